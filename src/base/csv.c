/* A streaming RFC 4180 CSV reader. Every buffer filled from the input has a cap, so a
 * hostile file (a 10 MB field, binary junk, a missing closing quote) costs bounded memory
 * and gives a row-level error instead of a crash. */
#include "base.h"

#include <errno.h>
#include <string.h>

#define CSV_CHUNK (64 * 1024)

struct svp_csv {
    FILE *fp;            /* NULL when reading from memory */
    const char *mem;     /* memory input, or the chunk buffer for files */
    size_t mem_len, pos; /* bytes available and read position in mem */
    char *chunk;         /* owned chunk buffer for files */
    uint64_t consumed;   /* bytes consumed before the current chunk */
    bool eof, bom;
    long line; /* current physical line, 1-based */
    struct svp_csv_opts opts;
    struct svp_buf rec;  /* the record's field bytes, each field NUL-terminated */
    size_t *starts;      /* offset of each field in rec */
    size_t cap_fields;
    struct svp_csv_field *fields;
    bool stop[256]; /* bytes that end a run of a field's ordinary bytes (add_run) */
    char errbuf[160];
};

static int refill(struct svp_csv *c)
{
    if (!c->fp || c->eof)
        return 0;
    c->consumed += c->mem_len;
    size_t n = fread(c->chunk, 1, CSV_CHUNK, c->fp);
    if (n == 0 && ferror(c->fp))
        return SVP_EIO;
    if (n == 0)
        c->eof = true;
    c->mem = c->chunk;
    c->mem_len = n;
    c->pos = 0;
    return (int)n;
}

/* Next byte, -1 at end of input, -2 on a read error. */
static inline int next_byte(struct svp_csv *c)
{
    if (c->pos >= c->mem_len) {
        int n = refill(c);
        if (n < 0)
            return -2;
        if (n == 0)
            return -1;
    }
    return (unsigned char)c->mem[c->pos++];
}

static inline int peek_byte(struct svp_csv *c)
{
    int b = next_byte(c);
    if (b >= 0)
        c->pos--;
    return b;
}

static int csv_init(struct svp_csv *c, const struct svp_csv_opts *opts)
{
    c->opts.delim = opts && opts->delim ? opts->delim : ',';
    c->opts.max_field = opts && opts->max_field ? opts->max_field : 64 * 1024;
    c->opts.max_fields = opts && opts->max_fields ? opts->max_fields : 1024;
    c->opts.check_utf8 = opts && opts->check_utf8;
    c->line = opts && opts->first_line > 0 ? opts->first_line : 1;
    c->stop[(unsigned char)c->opts.delim] = c->stop['"'] = c->stop['\n'] = c->stop['\r'] = true;
    c->stop[0] = true;
    svp_buf_init(&c->rec, 0);
    c->cap_fields = 16;
    c->starts = svp_malloc(c->cap_fields * sizeof *c->starts);
    c->fields = svp_malloc(c->cap_fields * sizeof *c->fields);
    if (!c->starts || !c->fields)
        return SVP_ENOMEM;
    /* Skip a UTF-8 byte order mark: Excel writes one. */
    if (peek_byte(c) == 0xEF && c->mem_len - c->pos >= 3 &&
        memcmp(c->mem + c->pos, "\xEF\xBB\xBF", 3) == 0) {
        c->pos += 3;
        c->bom = true;
    }
    return SVP_OK;
}

int svp_csv_open_mem(const char *data, size_t len, const struct svp_csv_opts *opts,
                     struct svp_csv **out, struct svp_err *err)
{
    struct svp_csv *c = svp_calloc(1, sizeof *c);
    if (!c)
        return svp_err_set(err, SVP_ENOMEM, "out of memory opening CSV");
    c->mem = data;
    c->mem_len = len;
    c->eof = true;
    if (csv_init(c, opts)) {
        svp_csv_free(&c);
        return svp_err_set(err, SVP_ENOMEM, "out of memory opening CSV");
    }
    *out = c;
    return SVP_OK;
}

int svp_csv_open_file(const char *path, const struct svp_csv_opts *opts, struct svp_csv **out,
                      struct svp_err *err)
{
    struct svp_csv *c = svp_calloc(1, sizeof *c);
    if (!c)
        return svp_err_set(err, SVP_ENOMEM, "out of memory opening CSV");
    c->fp = fopen(path, "rb");
    if (!c->fp) {
        int e = errno;
        svp_csv_free(&c);
        return svp_err_at(err, e == ENOENT ? SVP_ENOTFOUND : SVP_EIO, path, 0, NULL,
                          "cannot open: %s", strerror(e));
    }
    c->chunk = svp_malloc(CSV_CHUNK);
    if (!c->chunk || csv_init(c, opts)) {
        svp_csv_free(&c);
        return svp_err_set(err, SVP_ENOMEM, "out of memory opening CSV");
    }
    *out = c;
    return SVP_OK;
}

void svp_csv_free(struct svp_csv **csv)
{
    if (!csv || !*csv)
        return;
    struct svp_csv *c = *csv;
    if (c->fp)
        fclose(c->fp);
    svp_free(c->chunk);
    svp_buf_free(&c->rec);
    svp_free(c->starts);
    svp_free(c->fields);
    svp_free(c);
    *csv = NULL;
}

bool svp_csv_had_bom(const struct svp_csv *csv)
{
    return csv->bom;
}

uint64_t svp_csv_offset(const struct svp_csv *csv)
{
    return csv->consumed + csv->pos;
}

/* Per-record parse state. */
struct rec_state {
    size_t nfields;
    size_t field_len;
    bool bad;
};

static void mark_bad(struct svp_csv *c, struct rec_state *st, const char *fmt, ...)
    SVP_PRINTF(3, 4);
static void mark_bad(struct svp_csv *c, struct rec_state *st, const char *fmt, ...)
{
    if (st->bad)
        return; /* keep the first reason: it is the one a person should fix */
    st->bad = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errbuf, sizeof c->errbuf, fmt, ap);
    va_end(ap);
}

static int start_field(struct svp_csv *c, struct rec_state *st)
{
    st->field_len = 0;
    if (st->nfields == c->opts.max_fields) {
        mark_bad(c, st, "more than %zu fields in one record", c->opts.max_fields);
        st->nfields++;
        return SVP_OK;
    }
    if (st->nfields > c->opts.max_fields)
        return SVP_OK;
    if (st->nfields < c->cap_fields) { /* room already: the common case */
        c->starts[st->nfields++] = c->rec.len;
        return SVP_OK;
    }
    /* starts and fields grow together, one capacity for both */
    size_t scap = c->cap_fields, fcap = c->cap_fields;
    size_t *s = svp_grow(c->starts, &scap, st->nfields + 1, sizeof *s, 16);
    if (!s)
        return SVP_ENOMEM;
    c->starts = s;
    struct svp_csv_field *f = svp_grow(c->fields, &fcap, st->nfields + 1, sizeof *f, 16);
    if (!f)
        return SVP_ENOMEM;
    c->fields = f;
    c->cap_fields = fcap;
    c->starts[st->nfields++] = c->rec.len;
    return SVP_OK;
}

/* svp_buf_putc's common case here, without a call: every field ends with one. */
static inline int rec_putc(struct svp_buf *b, char ch)
{
    if (b->len + 2 <= b->cap && b->len < b->max) {
        b->data[b->len++] = ch;
        b->data[b->len] = '\0';
        return SVP_OK;
    }
    return svp_buf_putc(b, ch);
}

/* svp_buf_append's common case (room already, within the cap) without a call. */
static inline int rec_append(struct svp_buf *b, const char *p, size_t n)
{
    if (n <= b->max && b->len <= b->max - n && b->len + n + 1 <= b->cap) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return SVP_OK;
    }
    return svp_buf_append(b, p, n);
}

static int end_field(struct svp_csv *c, struct rec_state *st)
{
    if (st->nfields > c->opts.max_fields)
        return SVP_OK;
    return rec_putc(&c->rec, '\0');
}

static int add_byte(struct svp_csv *c, struct rec_state *st, int b)
{
    if (b == 0) {
        mark_bad(c, st, "NUL byte in field %zu", st->nfields);
        return SVP_OK;
    }
    if (st->nfields > c->opts.max_fields || st->bad)
        return SVP_OK; /* a bad record is skipped: keep reading, store nothing */
    if (++st->field_len > c->opts.max_field) {
        mark_bad(c, st, "field %zu is longer than %zu bytes", st->nfields, c->opts.max_field);
        return SVP_OK;
    }
    return svp_buf_putc(&c->rec, (char)b) == SVP_OK ? SVP_OK : SVP_ENOMEM;
}

/* Stores b and the n bytes at p after it (read past already) in the current field. b is
 * the byte just before p (next_byte read it from the same chunk), so the two go in as one
 * run. */
static int store_run(struct svp_csv *c, struct rec_state *st, int b, const char *p, size_t n)
{
    c->pos += n;
    if (st->nfields > c->opts.max_fields || st->bad)
        return SVP_OK; /* a bad record is skipped: keep reading, store nothing */
    st->field_len += 1 + n;
    if (st->field_len > c->opts.max_field) {
        mark_bad(c, st, "field %zu is longer than %zu bytes", st->nfields, c->opts.max_field);
        return SVP_OK;
    }
    int rc = n ? rec_append(&c->rec, p - 1, n + 1) : rec_putc(&c->rec, (char)b);
    return rc == SVP_OK ? SVP_OK : SVP_ENOMEM;
}

/* Adds b and the run of ordinary bytes after it in the current chunk (none of the delimiter,
 * a quote, CR, LF or NUL) at once: a field is copied in one go, not byte by byte, and a
 * record already bad skips the run in one go too (a 10 MB field costs one pass). */
static int add_run(struct svp_csv *c, struct rec_state *st, int b)
{
    if (b == 0)
        return add_byte(c, st, b);
    const char *p = c->mem + c->pos;
    size_t n = 0, avail = c->mem_len - c->pos;
    const bool *stop = c->stop; /* the delimiter, a quote, CR, LF, NUL */
    while (n < avail && !stop[(unsigned char)p[n]])
        n++;
    return store_run(c, st, b, p, n);
}

/* As add_run inside quotes: b and the bytes after it in the current chunk up to a quote,
 * LF or NUL (a delimiter or CR there is part of the field). */
static int add_quoted_run(struct svp_csv *c, struct rec_state *st, int b)
{
    if (b == 0)
        return add_byte(c, st, b);
    const char *p = c->mem + c->pos;
    size_t n = 0, avail = c->mem_len - c->pos;
    while (n < avail && p[n] != '"' && p[n] != '\n' && p[n])
        n++;
    return store_run(c, st, b, p, n);
}

static int read_error(struct svp_csv *c, struct svp_err *err)
{
    return svp_err_at(err, SVP_EIO, NULL, c->line, NULL, "read error: %s", strerror(errno));
}

/* Reads a quoted field's body after its opening quote. Returns 0, or a negative status. */
static int read_quoted(struct svp_csv *c, struct rec_state *st, long start_line,
                       struct svp_err *err)
{
    for (;;) {
        int b = next_byte(c);
        if (b == -2)
            return read_error(c, err);
        if (b == -1)
            return svp_err_at(err, SVP_EINPUT, NULL, start_line, NULL,
                              "quoted field starting on line %ld is never closed", start_line);
        if (b == '"') {
            if (peek_byte(c) != '"')
                return SVP_OK;
            c->pos++;
        }
        if (b == '\n')
            c->line++;
        int rc = b == '"' || b == '\n' ? add_byte(c, st, b) : add_quoted_run(c, st, b);
        if (rc)
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading CSV");
    }
}

/* A value written for Excel as a text formula, ="00123" (exporters write ids, phone numbers
 * and codes so, to keep their leading zeros), is the text inside: 00123. Quotes inside are
 * doubled, as in a formula; a value with a lone quote inside is left as it is. In place. */
static void excel_text(struct svp_csv_field *f)
{
    char *p = (char *)f->p;
    size_t n = f->len;
    if (n < 3 || p[0] != '=' || p[1] != '"' || p[n - 1] != '"')
        return;
    for (size_t i = 2; i < n - 1; i++)
        if (p[i] == '"' && (i + 1 >= n - 1 || p[++i] != '"'))
            return;
    size_t o = 0;
    for (size_t i = 2; i < n - 1; i++) {
        p[o++] = p[i];
        if (p[i] == '"')
            i++;
    }
    p[o] = '\0';
    f->len = o;
}

int svp_csv_next(struct svp_csv *c, struct svp_csv_row *row, struct svp_err *err)
{
    struct rec_state st = {0};
    svp_buf_reset(&c->rec);
    int b = next_byte(c);
    if (b == -2)
        return read_error(c, err);
    if (b == -1)
        return 0;
    long start_line = c->line;
    if (start_field(c, &st))
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading CSV");
    bool after_quote = false;
    for (;; b = next_byte(c)) {
        if (b == -2)
            return read_error(c, err);
        if (b == -1 || b == '\n' || b == '\r') {
            if (b == '\r' && peek_byte(c) == '\n')
                c->pos++;
            if (b != -1)
                c->line++;
            break;
        }
        if (b == c->opts.delim) {
            if (end_field(c, &st) || start_field(c, &st))
                return svp_err_set(err, SVP_ENOMEM, "out of memory reading CSV");
            after_quote = false;
            continue;
        }
        if (after_quote) {
            if (b == ' ' || b == '\t')
                continue; /* padding after a quoted field ("DUNN, Kayla" ,...) */
            mark_bad(c, &st, "unexpected character after the closing quote of field %zu",
                     st.nfields);
            continue;
        }
        if (b == '"' && st.field_len == 0) {
            int rc = read_quoted(c, &st, start_line, err);
            if (rc)
                return rc;
            after_quote = true;
            continue;
        }
        if (add_run(c, &st, b))
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading CSV");
    }
    if (end_field(c, &st))
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading CSV");
    size_t n = st.nfields > c->opts.max_fields ? c->opts.max_fields : st.nfields;
    for (size_t i = 0; i < n && !st.bad; i++) {
        c->fields[i].p = c->rec.data + c->starts[i];
        size_t end = i + 1 < n ? c->starts[i + 1] - 1 : c->rec.len - 1;
        c->fields[i].len = end - c->starts[i];
        excel_text(&c->fields[i]);
        size_t bad;
        if (c->opts.check_utf8 && !svp_utf8_valid(c->fields[i].p, c->fields[i].len, &bad))
            mark_bad(c, &st, "field %zu is not valid UTF-8 (byte %zu)", i + 1, bad + 1);
    }
    row->nfields = st.bad ? 0 : n;
    row->fields = c->fields;
    row->line = start_line;
    row->end_line = c->line - (b == -1 ? 0 : 1);
    row->error = st.bad ? c->errbuf : NULL;
    return 1;
}
