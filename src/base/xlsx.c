/* Spreadsheet exports: see xlsx.h. */
#include "base/xlsx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void svp_xlsx_header(lxw_worksheet *ws, lxw_format *bold, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        worksheet_write_string(ws, 0, (lxw_col_t)i, names[i], bold);
    worksheet_freeze_panes(ws, 1, 0);
}

/* Cuts name at 31 bytes less room, never inside a UTF-8 sequence nor before a space (Excel counts characters;
 * bytes are the stricter bound). */
static void cut_name(char *name, size_t room)
{
    size_t n = strlen(name), max = 31 - room;
    if (n <= max)
        return;
    while (max > 0 && ((unsigned char)name[max] & 0xC0) == 0x80)
        max--;
    while (max > 0 && name[max - 1] == ' ')
        max--;
    name[max] = '\0';
}

lxw_worksheet *svp_xlsx_sheet(lxw_workbook *wb, const char *title)
{
    char name[64];
    size_t n = 0;
    for (const char *p = title && *title ? title : "Sheet"; *p && n < sizeof name - 1; p++)
        name[n++] = strchr("[]:*?/\\", *p) ? '-' : *p;
    name[n] = '\0';
    while (n > 0 && name[n - 1] == '\'')
        name[--n] = '\0';
    char *start = name;
    while (*start == '\'')
        start++;
    memmove(name, start, strlen(start) + 1);
    if (!*name)
        svp_strlcpy(name, "Sheet", sizeof name);
    cut_name(name, 0);
    char base[64], suffix[16];
    svp_strlcpy(base, name, sizeof base);
    for (int k = 2; workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR && k < 1000; k++) {
        snprintf(suffix, sizeof suffix, " (%d)", k);
        svp_strlcpy(name, base, sizeof name);
        cut_name(name, strlen(suffix));
        size_t len = strlen(name);
        svp_strlcpy(name + len, suffix, sizeof name - len);
    }
    return workbook_add_worksheet(wb, name);
}

int svp_xlsx_write(const char *path, const char *title, svp_xlsx_fill_fn fill, void *ctx,
                   struct svp_err *err)
{
    /* libxlsxwriter reports a file it cannot create on stderr itself: find out first */
    FILE *probe = fopen(path, "wb");
    if (!probe)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot write the spreadsheet: %s",
                          strerror(errno));
    fclose(probe);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) {
        unlink(path);
        return svp_err_set(err, SVP_ENOMEM, "out of memory making the spreadsheet");
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    fill(wb, bold, ctx);
    char t[256], author[] = "svp";
    svp_strlcpy(t, title, sizeof t);
    lxw_doc_properties props = {.title = t, .author = author};
    workbook_set_properties(wb, &props);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        unlink(path);
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "could not write the spreadsheet (%s)",
                          lxw_strerror(e));
    }
    return SVP_OK;
}

static int read_back(const char *path, char **out, size_t *len, struct svp_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_set(err, SVP_EIO, "could not read the spreadsheet back");
    struct svp_buf b;
    svp_buf_init(&b, SVP_XLSX_MAX);
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

int svp_xlsx_bytes(const char *title, svp_xlsx_fill_fn fill, void *ctx, char **out,
                   size_t *len, struct svp_err *err)
{
    *out = NULL;
    *len = 0;
    const char *tmp = getenv("TMPDIR");
    char path[512];
    if ((size_t)snprintf(path, sizeof path, "%s/svp-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
        sizeof path)
        return svp_err_set(err, SVP_EINPUT, "TMPDIR is too long");
    int fd = mkstemp(path);
    if (fd < 0)
        return svp_err_set(err, SVP_EIO, "could not make a temporary file for the spreadsheet");
    close(fd);
    int rc = svp_xlsx_write(path, title, fill, ctx, err);
    if (!rc)
        rc = read_back(path, out, len, err);
    unlink(path);
    return rc;
}
