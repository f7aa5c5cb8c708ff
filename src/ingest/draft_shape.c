/* `svp profile draft`: the file before its columns. Its first bytes read (at most
 * DRAFT_MAX_BYTES, whole lines), their encoding (UTF-16 by its mark, UTF-8, else
 * Windows-1252, converted to UTF-8), then the table's shape: a report's title above the
 * header, the separator, a report's footer under the rows. */
#include "draft_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int draft_read_prefix(struct draft *d, struct svp_err *err)
{
    FILE *f = fopen(d->path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EIO, d->path, 0, NULL, "cannot open the extract: %s",
                          strerror(errno));
    char *buf = svp_malloc(DRAFT_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return svp_err_set(err, SVP_ENOMEM, "%s: out of memory", d->path);
    }
    size_t n = fread(buf, 1, DRAFT_MAX_BYTES, f);
    bool more = n == DRAFT_MAX_BYTES && fgetc(f) != EOF;
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        svp_free(buf);
        return svp_err_at(err, SVP_EIO, d->path, 0, NULL, "cannot read the extract");
    }
    buf[n] = '\0';
    d->text = buf;
    d->len = n;
    d->truncated = more;
    return SVP_OK;
}

/* Of a longer file, whole lines only are scanned. */
static void whole_lines(struct draft *d)
{
    if (!d->truncated)
        return;
    while (d->len && d->text[d->len - 1] != '\n')
        d->len--;
    d->text[d->len] = '\0';
}

/* Encoding: UTF-16 when the text starts with its byte order mark (import reads it so
 * whatever the profile says); UTF-8 (with or without a byte order mark) when every byte
 * sequence is well formed, else Windows-1252; converted to UTF-8 for the scan. */
int draft_sniff_encoding(struct draft *d, struct svp_err *err)
{
    char *u;
    size_t ul;
    struct svp_err e;
    if ((d->utf16 = svp_utf16_bom(d->text, d->len))) {
        int rc = svp_utf16_to_utf8(d->text, d->len, d->truncated, &u, &ul, &e);
        if (rc == SVP_ENOMEM)
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        if (rc)
            return svp_err_at(err, SVP_EINPUT, d->path, 0, NULL, "%s", e.msg);
        svp_free(d->text);
        d->text = u;
        d->len = ul;
        return SVP_OK;
    }
    d->bom = d->len >= 3 && !memcmp(d->text, "\xEF\xBB\xBF", 3);
    if (svp_utf8_valid(d->text, d->len, NULL))
        return SVP_OK;
    int rc = svp_cp1252_to_utf8(d->text, d->len, &u, &ul, &e);
    if (rc == SVP_ENOMEM)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (rc)
        return svp_err_at(err, SVP_EINPUT, d->path, 0, NULL,
                          "the extract is neither UTF-8 nor Windows-1252 text");
    svp_free(d->text);
    d->text = u;
    d->len = ul;
    d->cp1252 = true;
    return SVP_OK;
}

static const char delim_cands[] = {',', ';', '\t', '|'};

/* How the text from offset off reads with separator delim: the header's fields, the rows
 * read after it (up to max) and how many of them have as many. SVP_ENOMEM or SVP_OK. */
static int shape_at(const struct draft *d, size_t off, char delim, int max, size_t *hdr,
                    int *rows, int *same, int *tail)
{
    struct svp_csv_opts o = {.delim = delim};
    struct svp_csv *csv = NULL;
    struct svp_err e;
    int rc = svp_csv_open_mem(d->text + off, d->len - off, &o, &csv, &e);
    struct svp_csv_row r;
    *hdr = 0;
    *rows = *same = *tail = 0;
    while (!rc && *rows <= max && (rc = svp_csv_next(csv, &r, &e)) == 1) {
        rc = 0;
        if (*rows && r.nfields == 1 && !r.fields[0].len && !r.error)
            continue; /* a blank line in the body is skipped, as import skips it */
        if (!*rows)
            *hdr = r.nfields;
        else if (r.nfields == *hdr)
            (*same)++, *tail = 0;
        else
            (*tail)++; /* rows unlike the header since the last like it: a footer? */
        (*rows)++;
    }
    svp_csv_free(&csv);
    if (*rows)
        (*rows)--; /* the header is not a row */
    return rc == SVP_ENOMEM ? SVP_ENOMEM : SVP_OK;
}

/* Whether a header of hdr fields and the rows after it read as a table: nine in ten rows as
 * many fields, a short file's footer (up to five unlike rows at its end) aside. */
static bool table_shape(size_t hdr, int rows, int same, int tail)
{
    if (tail > 5)
        tail = 0;
    return hdr > 1 && (rows == 0 || (rows > tail && same * 10 >= (rows - tail) * 9));
}

/* Whether the text from offset off reads, with some separator, as a header of two or more
 * fields that nine in ten of the next rows (up to 30, at least one) match. */
static int table_at(const struct draft *d, size_t off, bool *ok)
{
    *ok = false;
    for (int c = 0; c < 4 && !*ok; c++) {
        size_t hdr;
        int rows, same, tail;
        if (shape_at(d, off, delim_cands[c], 30, &hdr, &rows, &same, &tail))
            return SVP_ENOMEM;
        *ok = rows > 0 && table_shape(hdr, rows, same, tail);
    }
    return SVP_OK;
}

/* A report's export puts a title (a name, a run date, a blank line) above the header: when
 * the file does not read as a table from its first line, the first of its next 20 lines
 * from which it does is the header; the lines above it are dropped from the scan and the
 * draft says `header_line`. */
static int find_header(struct draft *d, struct svp_err *err)
{
    bool ok;
    if (table_at(d, 0, &ok))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (ok)
        return SVP_OK;
    size_t off = 0;
    for (int line = 2; line <= 21; line++) {
        const char *nl = memchr(d->text + off, '\n', d->len - off);
        if (!nl)
            return SVP_OK;
        off = (size_t)(nl + 1 - d->text);
        if (table_at(d, off, &ok))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        if (ok) {
            d->header_line = line;
            memmove(d->text, d->text + off, d->len - off + 1);
            d->len -= off;
            return SVP_OK;
        }
    }
    return SVP_OK;
}

/* The separator: of comma, semicolon, tab and pipe, the one that splits the header into
 * the most fields while the first rows have as many. */
static int sniff_delim(struct draft *d, struct svp_err *err)
{
    int best = -1;
    size_t best_fields = 0;
    bool best_ok = false;
    for (int c = 0; c < 4; c++) {
        size_t hdr;
        int rows, same, tail;
        if (shape_at(d, 0, delim_cands[c], 49, &hdr, &rows, &same, &tail))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        bool ok = table_shape(hdr, rows, same, tail);
        if (best < 0 || (ok && !best_ok) || (ok == best_ok && hdr > best_fields)) {
            best = c;
            best_fields = hdr;
            best_ok = ok;
        }
    }
    d->delim = best_ok ? delim_cands[best] : ',';
    const char *nl = memchr(d->text, '\n', d->len);
    d->crlf = nl && nl > d->text && nl[-1] == '\r';
    d->no_final_newline = d->len && d->text[d->len - 1] != '\n';
    return SVP_OK;
}

/* A report's export puts a footer under its rows (a blank line, "Total episodes: 300",
 * "End of report"): up to five last lines of at most two values, where the header has
 * three or more, are cut from the scan and the draft says `footer_lines`. Not when only the
 * file's start was read: its end is not the file's. */
static int find_footer(struct draft *d)
{
    if (d->truncated)
        return SVP_OK;
    size_t hdr;
    int rows, same, tail;
    if (shape_at(d, 0, d->delim, 1, &hdr, &rows, &same, &tail))
        return SVP_ENOMEM;
    if (hdr < 3)
        return SVP_OK;
    size_t end = d->len;
    int n = 0;
    while (n < 5) {
        size_t z = end;
        while (z && (d->text[z - 1] == '\n' || d->text[z - 1] == '\r' || d->text[z - 1] == ' '))
            z--;
        size_t a = z;
        while (a && d->text[a - 1] != '\n')
            a--;
        if (!a || a == z)
            break; /* the header's own line, or nothing left */
        struct svp_csv_opts o = {.delim = d->delim};
        struct svp_csv *csv = NULL;
        struct svp_err e;
        struct svp_csv_row r;
        int rc = svp_csv_open_mem(d->text + a, z - a, &o, &csv, &e);
        int got = rc ? rc : svp_csv_next(csv, &r, &e);
        bool foot = false;
        if (got == 1 && !r.error && r.nfields < hdr) {
            size_t filled = 0;
            for (size_t i = 0; i < r.nfields; i++)
                filled += r.fields[i].len > 0;
            foot = filled <= 2;
        }
        svp_csv_free(&csv);
        if (got == SVP_ENOMEM)
            return SVP_ENOMEM;
        if (!foot)
            break;
        end = a;
        n++;
    }
    if (n) {
        d->footer_lines = n;
        d->len = end;
        d->text[end] = '\0';
    }
    return SVP_OK;
}

int draft_read_shape(struct draft *d, struct svp_err *err)
{
    whole_lines(d);
    int rc = find_header(d, err);
    if (!rc)
        rc = sniff_delim(d, err);
    if (!rc && find_footer(d))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    return rc;
}
