/* The panel pack as a spreadsheet: the meeting view's JSON written by libxlsxwriter into
 * three sheets (the list with the panel's decisions, the actions, the reasons). Version
 * 1.1.4 writes only to a file, so it goes through a private temporary file that is read
 * back and removed. */
#include "http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Bytes of a workbook at most (a county's list with every action is far smaller). */
#define XLSX_MAX (64u << 20)

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void header(lxw_worksheet *ws, lxw_format *bold, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, names[i], bold);
    worksheet_freeze_panes(ws, 1, 0);
}

static void write_list(lxw_worksheet *ws, lxw_format *bold, const json_t *children)
{
    static const char *const cols[] = {"Rank", "Name", "Age", "Area", "Score", "Band",
                                       "Change", "RAG", "Owner", "Next review",
                                       "Discussed on", "Decision", "Reasons", "Open actions"};
    header(ws, bold, cols, 14);
    worksheet_set_column(ws, 1, 1, 24, NULL);
    worksheet_set_column(ws, 11, 12, 60, NULL);
    size_t i;
    json_t *c;
    lxw_row_t r = 1;
    json_array_foreach(children, i, c)
    {
        const json_t *panel = json_object_get(c, "panel");
        json_t *rank = json_object_get(c, "rank"), *age = json_object_get(c, "age");
        if (json_is_integer(rank))
            worksheet_write_number(ws, r, 0, (double)json_integer_value(rank), NULL);
        worksheet_write_string(ws, r, 1, str(c, "name"), NULL);
        if (json_is_integer(age))
            worksheet_write_number(ws, r, 2, (double)json_integer_value(age), NULL);
        worksheet_write_string(ws, r, 3, str(c, "area"), NULL);
        if (json_is_number(json_object_get(c, "score")))
            worksheet_write_number(ws, r, 4, json_number_value(json_object_get(c, "score")), NULL);
        worksheet_write_string(ws, r, 5, str(c, "band"), NULL);
        worksheet_write_string(ws, r, 6,
                               json_is_true(json_object_get(c, "on_list")) ? str(c, "change")
                                                                           : "left the list",
                               NULL);
        worksheet_write_string(ws, r, 7, str(panel, "rag"), NULL);
        worksheet_write_string(ws, r, 8, str(panel, "owner"), NULL);
        worksheet_write_string(ws, r, 9, str(panel, "next_review"), NULL);
        worksheet_write_string(ws, r, 10, str(panel, "discussed_on"), NULL);
        worksheet_write_string(ws, r, 11, str(panel, "decision"), NULL);
        worksheet_write_string(ws, r, 12, str(c, "summary"), NULL);
        size_t k, open = 0;
        json_t *a;
        json_array_foreach(json_object_get(c, "actions"), k, a)
        {
            open += !strcmp(str(a, "state"), "open");
        }
        worksheet_write_number(ws, r, 13, (double)open, NULL);
        r++;
    }
}

static void write_actions(lxw_worksheet *ws, lxw_format *bold, const json_t *children)
{
    static const char *const cols[] = {"Child", "Action", "What", "Owner", "Due", "State",
                                       "Overdue", "Agreed on", "Done on"};
    header(ws, bold, cols, 9);
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 2, 2, 60, NULL);
    size_t i, k;
    json_t *c, *a;
    lxw_row_t r = 1;
    json_array_foreach(children, i, c)
    {
        json_array_foreach(json_object_get(c, "actions"), k, a)
        {
            worksheet_write_string(ws, r, 0, str(c, "name"), NULL);
            worksheet_write_string(ws, r, 1, str(a, "ref"), NULL);
            worksheet_write_string(ws, r, 2, str(a, "text"), NULL);
            worksheet_write_string(ws, r, 3, str(a, "owner"), NULL);
            worksheet_write_string(ws, r, 4, str(a, "due"), NULL);
            worksheet_write_string(ws, r, 5, str(a, "state"), NULL);
            worksheet_write_string(ws, r, 6,
                                   json_is_true(json_object_get(a, "overdue")) ? "yes" : "", NULL);
            worksheet_write_string(ws, r, 7, str(a, "agreed_on"), NULL);
            worksheet_write_string(ws, r, 8, str(a, "done_date"), NULL);
            r++;
        }
    }
}

static void write_reasons(lxw_worksheet *ws, lxw_format *bold, const json_t *children)
{
    static const char *const cols[] = {"Child", "Points", "Date", "Reason", "Agency", "Event"};
    header(ws, bold, cols, 6);
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_set_column(ws, 3, 3, 50, NULL);
    size_t i, k;
    json_t *c, *x;
    lxw_row_t r = 1;
    json_array_foreach(children, i, c)
    {
        json_array_foreach(json_object_get(c, "reasons"), k, x)
        {
            worksheet_write_string(ws, r, 0, str(c, "name"), NULL);
            worksheet_write_number(ws, r, 1, json_number_value(json_object_get(x, "points")),
                                   NULL);
            worksheet_write_string(ws, r, 2, str(x, "date"), NULL);
            worksheet_write_string(ws, r, 3, str(x, "label"), NULL);
            worksheet_write_string(ws, r, 4, str(x, "agency"), NULL);
            if (json_is_integer(json_object_get(x, "event_id")))
                worksheet_write_number(
                    ws, r, 5, (double)json_integer_value(json_object_get(x, "event_id")), NULL);
            r++;
        }
    }
}

static int read_back(const char *path, char **out, size_t *len, struct svp_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_set(err, SVP_EIO, "could not read the spreadsheet back");
    struct svp_buf b;
    svp_buf_init(&b, XLSX_MAX);
    char chunk[65536];
    size_t n;
    int rc = SVP_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (svp_buf_append(&b, chunk, n))
            rc = svp_err_set(err, SVP_ENOMEM, "the spreadsheet is too large");
    if (!rc && ferror(f))
        rc = svp_err_set(err, SVP_EIO, "could not read the spreadsheet back");
    fclose(f);
    if (rc) {
        svp_buf_free(&b);
        return rc;
    }
    *len = b.len;
    *out = b.data; /* handed over: svp_buf's storage is svp_malloc'ed */
    return SVP_OK;
}

int http_meeting_xlsx(const json_t *meeting, char **out, size_t *len, struct svp_err *err)
{
    *out = NULL;
    *len = 0;
    const char *tmp = getenv("TMPDIR");
    char path[512];
    if ((size_t)snprintf(path, sizeof path, "%s/svp-pack-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
        sizeof path)
        return svp_err_set(err, SVP_EINPUT, "TMPDIR is too long");
    int fd = mkstemp(path);
    if (fd < 0)
        return svp_err_set(err, SVP_EIO, "could not make a temporary file for the spreadsheet");
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    int rc = SVP_OK;
    if (!wb) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory making the spreadsheet");
    } else {
        lxw_format *bold = workbook_add_format(wb);
        format_set_bold(bold);
        const json_t *children = json_object_get(meeting, "children");
        write_list(workbook_add_worksheet(wb, "Panel list"), bold, children);
        write_actions(workbook_add_worksheet(wb, "Actions"), bold, children);
        write_reasons(workbook_add_worksheet(wb, "Reasons"), bold, children);
        lxw_doc_properties props = {.title = "Panel pack", .author = "svp"};
        workbook_set_properties(wb, &props);
        if (workbook_close(wb) != LXW_NO_ERROR)
            rc = svp_err_set(err, SVP_EIO, "could not write the spreadsheet");
    }
    if (!rc)
        rc = read_back(path, out, len, err);
    unlink(path);
    return rc;
}
