/* Expressions in profiles, evaluated by SQLite's own expression engine rather than a parser
 * of svp's (docs/profiles.md, "Expressions"). Each expression of a profile is prepared once
 * per file on a private in-memory SQLite handle, whatever the store is, as
 *     SELECT (EXPR) FROM (SELECT ?1 AS "Col1", ?2 AS "Col2", ...)
 * over the file's header, so an expression names columns as SQL names them ("Possible",
 * or Possible); each row binds its values (an empty value as NULL) and reads one value. */
#include "import_int.h"

#include <ctype.h>
#include <sqlite3.h>
#include <string.h>

/* Reads s with "FMT or FMT ..." as the date steps do (imp_read_date), the first that fits. */
static int read_date(const struct imp *im, const char *s, const char *fmts, bool datetime,
                     svp_time *t, bool *with_time)
{
    char f[128];
    const char *p = fmts;
    size_t len = strlen(s);
    while (*p) {
        const char *or = strstr(p, " or ");
        size_t n = or ? (size_t)(or - p) : strlen(p);
        if (n >= sizeof f)
            return SVP_EINPUT;
        memcpy(f, p, n);
        f[n] = '\0';
        p = or ? or + 4 : p + n;
        struct svp_err e;
        if (imp_read_date(im, s, len, f, datetime, t, with_time, &e) == SVP_OK)
            return SVP_OK;
    }
    return SVP_EINPUT;
}

/* svp_date(TEXT, FORMAT): the date svp's `date` step reads (FORMAT as there: a pattern,
 * "iso", "excel", or several joined by " or "), as YYYY-MM-DD, or NULL. */
static void fn_date(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const struct imp *im = sqlite3_user_data(cx);
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *f = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : "iso";
    svp_time t;
    bool with_time;
    if (!s || !f || read_date(im, s, f, false, &t, &with_time)) {
        sqlite3_result_null(cx);
        return;
    }
    char out[24];
    svp_date_format((svp_day)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400)), out, sizeof out);
    sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

/* svp_datetime(TEXT, FORMAT): as the `datetime` step: YYYY-MM-DDTHH:MM:SSZ (in UTC, from UK
 * local time with the profile's timezone = Europe/London) when the format read a time, else
 * YYYY-MM-DD; NULL when no format reads it. */
static void fn_datetime(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const struct imp *im = sqlite3_user_data(cx);
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *f = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : "iso";
    svp_time t;
    bool with_time;
    if (!s || !f || read_date(im, s, f, true, &t, &with_time)) {
        sqlite3_result_null(cx);
        return;
    }
    char out[24];
    if (with_time)
        svp_time_format(t, out, sizeof out);
    else
        svp_date_format((svp_day)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400)), out,
                        sizeof out);
    sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

/* The order a name's text shows without help: "surname_first" (a comma, or an upper-case
 * surname first), "given_first" (an upper-case surname last), or NULL when only the
 * analyst can say ("Kayla Dunn"). */
static const char *shown_order(const char *s, size_t n)
{
    struct svp_name_parts a, b;
    svp_name_split(s, n, SVP_NAME_SURNAME_FIRST, &a);
    svp_name_split(s, n, SVP_NAME_GIVEN_FIRST, &b);
    if (!a.family.p || a.family.p != b.family.p || a.family.n != b.family.n)
        return NULL;
    const char *g = a.given.p;
    return g && g > a.family.p ? "surname_first" : "given_first";
}

/* svp_name_given|middle|family|title|suffix(TEXT [, ORDER]): a part of a full name split as
 * the full_name steps split it; ORDER is 'surname_first', 'given_first' or 'any_order'
 * (default). svp_name_order(TEXT): the order the text shows, or NULL. */
static void fn_name(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const char *part = sqlite3_user_data(cx);
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    if (!s) {
        sqlite3_result_null(cx);
        return;
    }
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    if (!strcmp(part, "order")) {
        const char *o = shown_order(s, n);
        if (o)
            sqlite3_result_text(cx, o, -1, SQLITE_STATIC);
        else
            sqlite3_result_null(cx);
        return;
    }
    enum svp_name_order order = SVP_NAME_ANY_ORDER;
    const char *o = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
    if (o && !strcmp(o, "surname_first"))
        order = SVP_NAME_SURNAME_FIRST;
    else if (o && !strcmp(o, "given_first"))
        order = SVP_NAME_GIVEN_FIRST;
    else if (o && strcmp(o, "any_order")) {
        sqlite3_result_error(cx, "the order must be 'surname_first', 'given_first' or "
                                 "'any_order'", -1);
        return;
    }
    struct svp_name_parts np;
    svp_name_split(s, n, order, &np);
    const struct svp_span *sp = !strcmp(part, "given")    ? &np.given
                                : !strcmp(part, "middle") ? &np.middle
                                : !strcmp(part, "family") ? &np.family
                                : !strcmp(part, "title")  ? &np.title
                                                          : &np.suffix;
    if (!sp->p || !sp->n)
        sqlite3_result_null(cx);
    else
        sqlite3_result_text(cx, sp->p, (int)sp->n, SQLITE_TRANSIENT);
}

/* svp_postcode(TEXT): as the `postcode` step (the postcode the text holds, upper case, one
 * space before the inward code; text with none upper-cased as it is).
 * svp_postcode_district(TEXT): the outward code ("SN15"); svp_postcode_area(TEXT): its
 * letters ("SN"); both NULL for text that holds no postcode. */
static void fn_postcode(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *part = sqlite3_user_data(cx);
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    char pc[SVP_POSTCODE_CAP];
    bool found = s && svp_postcode_find(s, strlen(s), pc);
    if (!s || (!found && strcmp(part, "full"))) {
        sqlite3_result_null(cx);
        return;
    }
    if (!found) { /* not a postcode: kept, upper-cased */
        size_t len = strlen(s);
        char *u = sqlite3_malloc64(len + 1);
        if (!u) {
            sqlite3_result_error_nomem(cx);
            return;
        }
        for (size_t i = 0; i <= len; i++)
            u[i] = (char)toupper((unsigned char)s[i]);
        sqlite3_result_text(cx, u, -1, sqlite3_free);
        return;
    }
    size_t outward = (size_t)(strchr(pc, ' ') - pc), k = outward;
    if (!strcmp(part, "area"))
        for (k = 0; k < outward && isalpha((unsigned char)pc[k]);)
            k++;
    sqlite3_result_text(cx, pc, strcmp(part, "full") ? (int)k : -1, SQLITE_TRANSIENT);
}

/* svp_blank(X): 1 when X is NULL or only spaces, else 0. */
static void fn_blank(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *s = sqlite3_value_text(argv[0]);
    int blank = 1;
    for (; s && *s && blank; s++)
        blank = isspace(*s) != 0;
    sqlite3_result_int(cx, blank);
}

/* svp_join(SEP, X, ...): the values that are not blank, each trimmed, joined with SEP (an
 * address written over several columns, some empty); NULL when all are blank. */
static void fn_join(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    if (argc < 2) {
        sqlite3_result_error(cx, "svp_join needs a separator and at least one value", -1);
        return;
    }
    const char *sep = (const char *)sqlite3_value_text(argv[0]);
    size_t seplen = sep ? strlen(sep) : 0;
    struct svp_buf b;
    svp_buf_init(&b, 1 << 16);
    int rc = SVP_OK;
    bool any = false;
    for (int i = 1; i < argc && !rc; i++) {
        const char *v = (const char *)sqlite3_value_text(argv[i]);
        if (!v)
            continue;
        size_t n = strlen(v);
        while (n && isspace((unsigned char)*v))
            v++, n--;
        while (n && isspace((unsigned char)v[n - 1]))
            n--;
        if (!n)
            continue;
        if (any && seplen)
            rc = svp_buf_append(&b, sep, seplen);
        if (!rc)
            rc = svp_buf_append(&b, v, n);
        any = true;
    }
    if (rc == SVP_ENOMEM)
        sqlite3_result_error_nomem(cx);
    else if (rc)
        sqlite3_result_error(cx, "svp_join: the joined text is over 64 KiB", -1);
    else if (!any)
        sqlite3_result_null(cx);
    else
        sqlite3_result_text(cx, b.data, (int)b.len, SQLITE_TRANSIENT);
    svp_buf_free(&b);
}

static int expr_fail(struct imp *im, long line, const char *what, const char *msg)
{
    return svp_err_at(im->err, SVP_EINPUT, im->p->file, line, NULL,
                      "profile %s: %s cannot be evaluated on %s: %s", im->p->name, what,
                      im->path, msg);
}

/* True if the expression's text holds a column's name (as SQL compares names: ASCII letters
 * in any case), as written or with its quotes doubled inside a quoted name. */
static bool names_column(const char *expr, const char *name)
{
    size_t n = strlen(name);
    if (!n)
        return true; /* an empty name can only be bound: keep it */
    for (const char *e = expr; *e; e++)
        if (!strncasecmp(e, name, n))
            return true;
    if (!strchr(name, '"'))
        return false;
    char doubled[2 * 256 + 1];
    size_t k = 0;
    for (const char *c = name; *c && k + 2 < sizeof doubled; c++) {
        doubled[k++] = *c;
        if (*c == '"')
            doubled[k++] = '"';
    }
    doubled[k] = '\0';
    for (const char *e = expr; *e; e++)
        if (!strncasecmp(e, doubled, k))
            return true;
    return false;
}

/* Prepares one expression over the header's columns that its text names (any other column
 * cannot be what it refers to, and binding every column of a wide file on every row cost
 * more than the expression: issue 13); *cols gets their indexes, -1 after the last. */
static int expr_prepare(struct imp *im, const char *expr, long line, const char *what,
                        sqlite3_stmt **out, int **cols)
{
    struct svp_buf b;
    svp_buf_init(&b, 1 << 20);
    int *c = svp_malloc((im->nhdr + 1) * sizeof *c);
    if (!c)
        return SVP_ENOMEM;
    *cols = c;
    int nc = 0;
    int rc = svp_buf_printf(&b, "SELECT (%s) FROM (SELECT ", expr);
    for (size_t i = 0; i < im->nhdr && !rc; i++) {
        if (!names_column(expr, im->hdr[i]))
            continue;
        c[nc++] = (int)i;
        rc = svp_buf_printf(&b, "%s?%d AS \"", nc > 1 ? ", " : "", nc);
        for (const char *h = im->hdr[i]; *h && !rc; h++)
            rc = *h == '"' ? svp_buf_puts(&b, "\"\"") : svp_buf_putc(&b, *h);
        if (!rc)
            rc = svp_buf_putc(&b, '"');
    }
    c[nc] = -1;
    if (!rc)
        rc = svp_buf_puts(&b, nc ? ")" : "NULL)");
    if (rc) {
        svp_buf_free(&b);
        return rc == SVP_ENOMEM ? SVP_ENOMEM : expr_fail(im, line, what, "too long");
    }
    const char *tail = NULL;
    int src = sqlite3_prepare_v3(im->xdb, b.data, (int)b.len, SQLITE_PREPARE_PERSISTENT, out,
                                 &tail);
    bool more = src == SQLITE_OK && tail && *tail;
    svp_buf_free(&b);
    if (src == SQLITE_NOMEM)
        return SVP_ENOMEM;
    if (src != SQLITE_OK || more)
        return expr_fail(im, line, what, more ? "more than one expression"
                                              : sqlite3_errmsg(im->xdb));
    return SVP_OK;
}

int imp_expr_prepare_all(struct imp *im)
{
    const struct ingest_profile *p = im->p;
    if (!p->nexprs)
        return SVP_OK;
    if (sqlite3_open_v2(":memory:", &im->xdb, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY,
                        NULL) != SQLITE_OK)
        return SVP_ENOMEM;
    /* svp's own functions (docs/profiles.md, "Expressions") */
    static const struct {
        const char *name;
        int nargs;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
        const char *data; /* NULL: the import itself */
    } fns[] = {
        {"svp_date", 1, fn_date, NULL},          {"svp_date", 2, fn_date, NULL},
        {"svp_datetime", 1, fn_datetime, NULL},  {"svp_datetime", 2, fn_datetime, NULL},
        {"svp_blank", 1, fn_blank, ""},          {"svp_join", -1, fn_join, ""},
        {"svp_name_given", 1, fn_name, "given"}, {"svp_name_given", 2, fn_name, "given"},
        {"svp_name_middle", 1, fn_name, "middle"}, {"svp_name_middle", 2, fn_name, "middle"},
        {"svp_name_family", 1, fn_name, "family"}, {"svp_name_family", 2, fn_name, "family"},
        {"svp_name_title", 1, fn_name, "title"}, {"svp_name_title", 2, fn_name, "title"},
        {"svp_name_suffix", 1, fn_name, "suffix"}, {"svp_name_suffix", 2, fn_name, "suffix"},
        {"svp_name_order", 1, fn_name, "order"},
        {"svp_postcode", 1, fn_postcode, "full"},
        {"svp_postcode_district", 1, fn_postcode, "district"},
        {"svp_postcode_area", 1, fn_postcode, "area"},
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (sqlite3_create_function(im->xdb, fns[i].name, fns[i].nargs,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                    fns[i].data ? (void *)fns[i].data : (void *)im, fns[i].fn,
                                    NULL, NULL) != SQLITE_OK)
            return SVP_ENOMEM;
    im->xst = svp_calloc((size_t)p->nexprs, sizeof *im->xst);
    im->xcols = svp_calloc((size_t)p->nexprs, sizeof *im->xcols);
    if (!im->xst || !im->xcols)
        return SVP_ENOMEM;
    im->nxst = p->nexprs;
    for (int i = 0; i < p->nsecs; i++) {
        const struct ingest_section *s = &p->secs[i];
        if (s->when) {
            int rc = expr_prepare(im, s->when, s->when_line,
                                  s->kind == SEC_CHECK ? "'rule'" : "'when'",
                                  (sqlite3_stmt **)&im->xst[s->when_id],
                                  &im->xcols[s->when_id]);
            if (rc)
                return rc;
        }
        for (int f = 0; f < s->nfields; f++) {
            const struct ingest_spec *sp = &s->fields[f].spec;
            if (!sp->expr)
                continue;
            char what[80];
            snprintf(what, sizeof what, "the expression of '%.40s'", s->fields[f].key);
            int rc = expr_prepare(im, sp->expr, sp->line, what,
                                  (sqlite3_stmt **)&im->xst[sp->expr_id],
                                  &im->xcols[sp->expr_id]);
            if (rc)
                return rc;
        }
    }
    return SVP_OK;
}

void imp_expr_free(struct imp *im)
{
    for (int i = 0; i < im->nxst && im->xst; i++)
        sqlite3_finalize((sqlite3_stmt *)im->xst[i]);
    for (int i = 0; i < im->nxst && im->xcols; i++)
        svp_free(im->xcols[i]);
    svp_free(im->xst);
    svp_free(im->xcols);
    im->xst = NULL;
    im->xcols = NULL;
    im->nxst = 0;
    if (im->xdb)
        sqlite3_close_v2(im->xdb);
    im->xdb = NULL;
}

int imp_expr_eval(struct imp *im, int id, const char *field, struct val *v)
{
    sqlite3_stmt *st = (sqlite3_stmt *)im->xst[id];
    /* every way out below resets the statement: it is ready for this row's values */
    const int *cols = im->xcols[id];
    for (int k = 0; cols[k] >= 0; k++) {
        int i = cols[k];
        const struct svp_csv_field *f = &im->r->fields[i];
        const char *s = f->p;
        size_t n = f->len;
        while (n && isspace((unsigned char)*s))
            s++, n--;
        while (n && isspace((unsigned char)s[n - 1]))
            n--;
        if (n && im->p->nblanks && ingest_is_blank(im->p, s, n))
            n = 0; /* NULL, as the profile says */
        if ((n ? sqlite3_bind_text(st, k + 1, s, (int)n, SQLITE_STATIC)
               : sqlite3_bind_null(st, k + 1)) != SQLITE_OK) {
            sqlite3_reset(st);
            return SVP_ENOMEM;
        }
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc == SQLITE_NOMEM)
            return SVP_ENOMEM;
        return imp_bad(im, field, "expression failed: %s", sqlite3_errmsg(im->xdb));
    }
    int type = sqlite3_column_type(st, 0);
    if (type == SQLITE_NULL) {
        *v = (struct val){NULL, 0, V_NULL};
    } else {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        char *copy = t ? imp_strndup(im, t, (size_t)n) : NULL;
        if (!copy) {
            sqlite3_reset(st);
            return SVP_ENOMEM;
        }
        *v = (struct val){copy, (size_t)n,
                          type == SQLITE_INTEGER || type == SQLITE_FLOAT ? V_NUM : V_TEXT};
        if (!n)
            v->kind = V_NULL;
    }
    sqlite3_reset(st);
    return SVP_OK;
}

int imp_when(struct imp *im, const struct ingest_section *sec, bool *holds)
{
    *holds = true;
    if (!sec->when)
        return SVP_OK;
    struct val v;
    int rc = imp_expr_eval(im, sec->when_id, "", &v);
    if (rc)
        return rc;
    /* SQL truth: NULL, 0 and text that reads as 0 are false */
    *holds = v.kind != V_NULL && !(v.len == 1 && v.s[0] == '0') && strcmp(v.s, "0.0");
    if (*holds && im->opts && im->opts->when_held)
        im->opts->when_held[sec - im->p->secs]++;
    return SVP_OK;
}

int imp_checks(struct imp *im)
{
    const struct ingest_profile *p = im->p;
    for (int i = 0; i < p->nsecs; i++) {
        const struct ingest_section *sec = &p->secs[i];
        if (sec->kind != SEC_CHECK)
            continue;
        struct val v;
        int rc = imp_expr_eval(im, sec->when_id, sec->check_field ? sec->check_field : "", &v);
        if (rc)
            return rc;
        /* NULL (a value left blank) passes: a rule judges what the row gives. SQL truth
         * otherwise: 0 and text that reads as 0 are false. */
        if (v.kind != V_NULL && ((v.len == 1 && v.s[0] == '0') || !strcmp(v.s, "0.0")))
            return imp_bad(im, sec->check_field ? sec->check_field : sec->name, "%s",
                           sec->check_message);
        if (im->opts && im->opts->when_held)
            im->opts->when_held[i]++;
    }
    return SVP_OK;
}
