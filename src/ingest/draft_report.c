/* `svp profile draft`, its report: the file's shape, each column's kind with its blanks,
 * distinct values, date formats, codes and name orders, and the candidate keys, for the
 * analyst to read beside the draft profile. Only counts and codes: never a name, an id or
 * a date of birth. */
#include "draft_int.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ the report */

static const char *kind_name(enum ckind k)
{
    static const char *const n[] = {"blank", "date", "school term", "yes/no", "whole number",
                                    "number", "code", "text", "time of day"};
    return n[k];
}

static const char *dup_note(int64_t dups, char *buf, size_t cap)
{
    if (!dups)
        return "";
    snprintf(buf, cap, " (but for %lld repeated row%s)", (long long)dups, dups == 1 ? "" : "s");
    return buf;
}

int draft_write_report(struct draft *d, struct svp_buf *b)
{
    char note[64];
    int rc;
    if (d->xlsx) {
        /* a workbook: its cells, not a text file's encoding or separator */
        rc = svp_buf_printf(b, "%s: an Excel workbook, sheet %s%s%s; %d columns, %lld "
                                   "rows read%s\n",
                                d->path, d->sheet ? "'" : "", d->sheet ? d->sheet : "1",
                                d->sheet ? "'" : "", d->ncols, (long long)d->rows,
                                d->rows_capped || d->truncated ? " (the first rows only)" : "");
        if (rc)
            return rc;
        goto columns;
    }
    rc = svp_buf_printf(b, "%s: %s%s, %s separated, %s line ends%s; %d columns, %lld rows "
                               "read%s%s\n", d->path,
                            d->utf16 == 1   ? "UTF-16 (little-endian)"
                            : d->utf16 == 2 ? "UTF-16 (big-endian)"
                            : d->cp1252     ? "Windows-1252"
                                            : "UTF-8",
                            d->bom || d->utf16 ? " with a byte order mark" : "",
                            d->delim == ',' ? "comma" : d->delim == ';' ? "semicolon"
                                                      : d->delim == '\t' ? "tab" : "pipe",
                            d->crlf ? "CRLF" : "LF",
                            d->no_final_newline ? " (no line end after the last row)" : "",
                            d->ncols, (long long)d->rows,
                            d->rows_capped || d->truncated ? " (the first rows only)" : "",
                            d->ragged ? "" : "");
    if (!rc && d->ragged)
        rc = svp_buf_printf(b, "  %lld rows do not have the header's %d fields (an import "
                               "rejects them)\n", (long long)d->ragged, d->ncols);
columns:
    if (!rc && d->header_line)
        rc = svp_buf_printf(b, "  the header is line %d: the lines above it are a title "
                               "(header_line = %d)\n", d->header_line, d->header_line);
    if (!rc && d->footer_lines)
        rc = svp_buf_printf(b, "  the last %d line%s a footer under the rows (footer_lines = %d)\n",
                            d->footer_lines, d->footer_lines == 1 ? " is" : "s are",
                            d->footer_lines);
    if (!rc && d->nulls)
        rc = svp_buf_printf(b, "  %lld values are written NULL: read as blank (blank = NULL)\n",
                            (long long)d->nulls);
    char f[160];
    for (int i = 0; i < d->ncols && !rc; i++) {
        struct col *c = &d->cols[i];
        rc = svp_buf_printf(b, "  %s: %s; %lld blank, %zu distinct", c->name[0] ? c->name : "(no name)",
                            kind_name(c->kind), (long long)c->blank, c->distinct.n);
        if (!rc && c->unusable)
            rc = svp_buf_puts(b, "; a profile cannot name this column (rename it)");
        if (!rc && c->kind == K_DATE) {
            rc = svp_buf_puts(b, "; formats:");
            for (int k = 0; k < c->nchosen && !rc; k++)
                rc = svp_buf_printf(b, " %s (%lld)", draft_formats[c->chosen[k]],
                                    (long long)c->dread[c->chosen[k]]);
            if (!rc)
                rc = svp_buf_printf(b, "; %lld fit none of them",
                                    (long long)(c->nonblank - c->dcovered));
        }
        if (!rc && (c->kind == K_INT || c->kind == K_NUM))
            rc = svp_buf_printf(b, "; from %g to %g", c->lo, c->hi);
        if (!rc && c->namey * 2 >= c->nonblank && c->nonblank && (c->kind == K_TEXT) &&
            c->single * 2 < c->nonblank)
            rc = svp_buf_printf(b, "; name orders: SURNAME Forename %lld, Forename SURNAME %lld, "
                                   "Surname, Forename %lld, Forename Surname (or Surname "
                                   "Forename) %lld, all upper case %lld; %lld with a title",
                                (long long)c->upper_first, (long long)c->upper_last,
                                (long long)c->comma, (long long)c->mixed,
                                (long long)c->all_upper, (long long)c->titled);
        if (!rc && (c->kind == K_TEXT || c->kind == K_CODE) && !c->postcodes && c->postcodes_in)
            rc = svp_buf_printf(b, "; a postcode in %lld values", (long long)c->postcodes_in);
        if (!rc && c->kind == K_TEXT && (c->sep_pipe || c->sep_semi))
            rc = svp_buf_printf(b, "; '|' in %lld values, ';' in %lld", (long long)c->sep_pipe,
                                (long long)c->sep_semi);
        if (!rc && !c->dups && !c->blank && d->rows > 1)
            rc = svp_buf_puts(b, "; unique");
        if (!rc)
            rc = svp_buf_putc(b, '\n');
        bool personal = c->role == R_GIVEN || c->role == R_FAMILY || c->role == R_FULL ||
                        c->role == R_MIDDLE ||
                        c->role == R_MENTIONS || c->role == R_PERSON_ID ||
                        c->role == R_ROW_ID || c->role == R_SHARED || c->role == R_DOB ||
                        c->role == R_POSTCODE || c->role == R_ADDRESS ||
                        c->role == R_EMAIL || c->role == R_PHONE;
        if (!rc && (c->kind == K_CODE || c->kind == K_FLAG) && !personal) {
            rc = svp_buf_puts(b, "    values:");
            for (int k = 0; k < c->ncodes && !rc; k++)
                rc = svp_buf_printf(b, " %s (%lld)%s", c->codes[k].v, (long long)c->codes[k].n,
                                    k + 1 < c->ncodes ? "," : "");
            if (!rc)
                rc = svp_buf_putc(b, '\n');
        }
        (void)f;
    }
    if (!rc)
        rc = svp_buf_puts(b, "keys (unique over the rows read):");
    for (int k = 0; k < d->nsingles && !rc; k++)
        rc = svp_buf_printf(b, "%s %s%s", k ? "," : "", d->cols[d->singles[k]].name,
                            dup_note(d->cols[d->singles[k]].dups, note, sizeof note));
    for (int k = 0; k < d->npairs && !rc; k++)
        rc = svp_buf_printf(b, "%s %s + %s%s", k || d->nsingles ? "," : "",
                            d->cols[d->pairs[k][0]].name, d->cols[d->pairs[k][1]].name,
                            dup_note(d->pair_dups[k], note, sizeof note));
    for (int k = 0; k < d->ntriples && !rc; k++)
        rc = svp_buf_printf(b, "%s %s + %s + %s%s", k || d->nsingles || d->npairs ? "," : "",
                            d->cols[d->triples[k][0]].name, d->cols[d->triples[k][1]].name,
                            d->cols[d->triples[k][2]].name,
                            dup_note(d->triple_dups[k], note, sizeof note));
    if (!rc && !d->nsingles && !d->npairs && !d->ntriples)
        rc = svp_buf_puts(b, " none");
    if (!rc)
        rc = svp_buf_putc(b, '\n');
    return rc;
}
