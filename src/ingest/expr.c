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

/* svp_date(TEXT, FORMAT): the date svp's `date` step reads, as YYYY-MM-DD, or NULL. */
static void fn_date(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    const char *s = (const char *)sqlite3_value_text(argv[0]);
    const char *f = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : "iso";
    if (!s || !f) {
        sqlite3_result_null(cx);
        return;
    }
    struct svp_err e;
    svp_time t;
    int rc = !strcmp(f, "iso") ? svp_time_parse_iso(s, strlen(s), &t, &e)
                               : svp_time_parse_fmt_opt(s, strlen(s), f, NULL, &t, &e);
    if (rc) {
        sqlite3_result_null(cx);
        return;
    }
    char out[24];
    svp_date_format((svp_day)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400)), out, sizeof out);
    sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
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

static int expr_fail(struct imp *im, long line, const char *what, const char *msg)
{
    return svp_err_at(im->err, SVP_EINPUT, im->p->file, line, NULL,
                      "profile %s: %s cannot be evaluated on %s: %s", im->p->name, what,
                      im->path, msg);
}

/* Prepares one expression over the header; *out is NULL-free on success. */
static int expr_prepare(struct imp *im, const char *expr, long line, const char *what,
                        sqlite3_stmt **out)
{
    struct svp_buf b;
    svp_buf_init(&b, 1 << 20);
    int rc = svp_buf_printf(&b, "SELECT (%s) FROM (SELECT ", expr);
    for (size_t i = 0; i < im->nhdr && !rc; i++) {
        rc = svp_buf_printf(&b, "%s?%zu AS \"", i ? ", " : "", i + 1);
        for (const char *c = im->hdr[i]; *c && !rc; c++)
            rc = *c == '"' ? svp_buf_puts(&b, "\"\"") : svp_buf_putc(&b, *c);
        if (!rc)
            rc = svp_buf_putc(&b, '"');
    }
    if (!rc)
        rc = svp_buf_puts(&b, ")");
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
    if (sqlite3_create_function(im->xdb, "svp_date", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                NULL, fn_date, NULL, NULL) != SQLITE_OK ||
        sqlite3_create_function(im->xdb, "svp_blank", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                NULL, fn_blank, NULL, NULL) != SQLITE_OK)
        return SVP_ENOMEM;
    im->xst = svp_calloc((size_t)p->nexprs, sizeof *im->xst);
    if (!im->xst)
        return SVP_ENOMEM;
    im->nxst = p->nexprs;
    for (int i = 0; i < p->nsecs; i++) {
        const struct ingest_section *s = &p->secs[i];
        if (s->when) {
            int rc = expr_prepare(im, s->when, s->when_line, "'when'",
                                  (sqlite3_stmt **)&im->xst[s->when_id]);
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
                                  (sqlite3_stmt **)&im->xst[sp->expr_id]);
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
    svp_free(im->xst);
    im->xst = NULL;
    im->nxst = 0;
    if (im->xdb)
        sqlite3_close_v2(im->xdb);
    im->xdb = NULL;
}

int imp_expr_eval(struct imp *im, int id, const char *field, struct val *v)
{
    sqlite3_stmt *st = (sqlite3_stmt *)im->xst[id];
    sqlite3_reset(st);
    for (size_t i = 0; i < im->nhdr; i++) {
        const struct svp_csv_field *f = &im->r->fields[i];
        const char *s = f->p;
        size_t n = f->len;
        while (n && isspace((unsigned char)*s))
            s++, n--;
        while (n && isspace((unsigned char)s[n - 1]))
            n--;
        if ((n ? sqlite3_bind_text(st, (int)i + 1, s, (int)n, SQLITE_STATIC)
               : sqlite3_bind_null(st, (int)i + 1)) != SQLITE_OK)
            return SVP_ENOMEM;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc == SQLITE_NOMEM)
            return SVP_ENOMEM;
        return imp_bad(im, field, "expression failed: %s", sqlite3_errmsg(im->xdb));
    }
    if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
        *v = (struct val){NULL, 0, V_NULL};
    } else {
        int type = sqlite3_column_type(st, 0);
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
    return SVP_OK;
}
