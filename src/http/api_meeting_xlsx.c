/* The panel pack as a spreadsheet: the meeting view's JSON written into three sheets (the
 * list with the panel's decisions, the actions, the reasons) through base/xlsx.h, the one
 * export path. */
#include "base/xlsx.h"
#include "http_int.h"

#include <string.h>

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void write_list(lxw_worksheet *ws, lxw_format *bold, const json_t *children)
{
    static const char *const cols[] = {"Rank", "Name", "Age", "Area", "Score", "Band",
                                       "Change", "RAG", "Owner", "Next review",
                                       "Discussed on", "Decision", "Reasons", "Open actions"};
    svp_xlsx_header(ws, bold, cols, 14);
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
    svp_xlsx_header(ws, bold, cols, 9);
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
    svp_xlsx_header(ws, bold, cols, 6);
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

static void fill(lxw_workbook *wb, lxw_format *bold, void *ctx)
{
    const json_t *children = json_object_get((const json_t *)ctx, "children");
    write_list(workbook_add_worksheet(wb, "Panel list"), bold, children);
    write_actions(workbook_add_worksheet(wb, "Actions"), bold, children);
    write_reasons(workbook_add_worksheet(wb, "Reasons"), bold, children);
}

int http_meeting_xlsx(const json_t *meeting, char **out, size_t *len, struct svp_err *err)
{
    return svp_xlsx_bytes("Panel pack", fill, (void *)meeting, out, len, err);
}
