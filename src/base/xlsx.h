/*
 * Spreadsheet exports (XLSX) through libxlsxwriter: the one code path every export takes
 * (the panel pack, the domestic abuse call). The caller fills the workbook's sheets; this
 * writes it to a path (the command line) or to memory (the web application: version 1.1.4
 * writes only to files, so through a private temporary file read back and removed).
 */
#ifndef SVP_BASE_XLSX_H
#define SVP_BASE_XLSX_H

#include "base/base.h"

#include <xlsxwriter.h>

/* Bytes of a workbook at most when read back into memory. */
#define SVP_XLSX_MAX (64u << 20)

/* Fills wb's sheets (bold: the header rows' format). Cell writes cannot fail here; a
 * workbook that cannot be written is reported when it is closed. */
typedef void (*svp_xlsx_fill_fn)(lxw_workbook *wb, lxw_format *bold, void *ctx);

/* Adds a sheet named after title (borrowed) made a valid sheet name: the characters Excel
 * refuses ([ ] : * ? / \) written as '-', a leading or trailing apostrophe dropped, cut to
 * 31 characters at a character's edge, and " (2)", " (3)" ... added where the name is taken
 * (libxlsxwriter returns no sheet for an invalid name, which lost a whole theme before).
 * NULL only when the workbook cannot take another sheet. */
lxw_worksheet *svp_xlsx_sheet(lxw_workbook *wb, const char *title);

/* Writes the header row names[0..n) in bold on ws's first row and freezes it. */
void svp_xlsx_header(lxw_worksheet *ws, lxw_format *bold, const char *const *names, int n);

/* Builds a workbook titled title with fill and writes it to path (borrowed), replacing
 * it. SVP_EIO naming path when it cannot be written, SVP_ENOMEM. */
int svp_xlsx_write(const char *path, const char *title, svp_xlsx_fill_fn fill, void *ctx,
                   struct svp_err *err) SVP_WUR;

/* As svp_xlsx_write into memory: owned bytes (svp_free) in *out, *len. The temporary file
 * is made in $TMPDIR (else /tmp), readable by the owner only, and removed. */
int svp_xlsx_bytes(const char *title, svp_xlsx_fill_fn fill, void *ctx, char **out,
                   size_t *len, struct svp_err *err) SVP_WUR;

#endif
