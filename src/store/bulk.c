/* store_bulk: many rows into one table without a round trip per row (issue 22). PostgreSQL
 * gets COPY text in 16 MB pieces through store_copy_in; SQLite a prepared INSERT run per
 * row (in process, a run costs no round trip). Values are formatted as the PostgreSQL back
 * end binds them (doubles with 17 significant digits), so both back ends store the same. */
#include "store_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BULK_FLUSH_AT ((size_t)16 << 20)
#define BULK_MAX ((size_t)64 << 20)

struct store_bulk {
    struct store *s;
    int ncols;
    int col;     /* values given in the current row */
    int failed;  /* the first failure of a value in the current row, or 0 */
    char *copy;  /* PostgreSQL: "COPY table (columns) FROM STDIN" */
    struct svp_buf buf;
    struct store_stmt *ins; /* SQLite */
};

int store_bulk_open(struct store *s, const char *table, const char *columns, int ncols,
                    struct store_bulk **out, struct svp_err *err)
{
    *out = NULL;
    if (ncols < 1 || ncols > 64)
        return svp_err_set(err, SVP_EINTERNAL, "bulk write into %s: %d columns", table, ncols);
    struct store_bulk *b = svp_calloc(1, sizeof *b);
    if (!b)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    b->s = s;
    b->ncols = ncols;
    svp_buf_init(&b->buf, BULK_MAX);
    struct svp_buf sql;
    svp_buf_init(&sql, 1 << 16);
    int rc;
    if (s->kind == STORE_POSTGRES) {
        rc = svp_buf_printf(&sql, "COPY %s (%s) FROM STDIN", table, columns);
        if (!rc && !(b->copy = svp_buf_take(&sql)))
            rc = SVP_ENOMEM;
        if (rc)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    } else {
        rc = svp_buf_printf(&sql, "INSERT INTO %s (%s) VALUES (?", table, columns);
        for (int i = 1; i < ncols && !rc; i++)
            rc = svp_buf_puts(&sql, ", ?");
        if (!rc)
            rc = svp_buf_putc(&sql, ')');
        rc = rc ? svp_err_set(err, SVP_ENOMEM, "out of memory")
                : store_prepare(s, sql.data, &b->ins, err);
    }
    svp_buf_free(&sql);
    if (rc) {
        store_bulk_free(&b);
        return rc;
    }
    *out = b;
    return SVP_OK;
}

/* PostgreSQL: the separator before a value. */
static void sep(struct store_bulk *b)
{
    if (b->col && !b->failed)
        b->failed = svp_buf_putc(&b->buf, '\t');
}

static void put_raw(struct store_bulk *b, const char *s, size_t n)
{
    if (!b->failed)
        b->failed = svp_buf_append(&b->buf, s, n);
}

void store_bulk_null(struct store_bulk *b)
{
    if (b->ins) {
        if (!b->failed)
            b->failed = store_bind_null(b->ins, b->col + 1);
    } else {
        sep(b);
        put_raw(b, "\\N", 2);
    }
    b->col++;
}

void store_bulk_text(struct store_bulk *b, const char *text)
{
    if (!text) {
        store_bulk_null(b);
        return;
    }
    if (b->ins) {
        if (!b->failed)
            b->failed = store_bind_text(b->ins, b->col + 1, text, -1);
        b->col++;
        return;
    }
    sep(b);
    const char *run = text, *p = text;
    for (; *p; p++) {
        char e = *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : 0;
        if (!e)
            continue;
        put_raw(b, run, (size_t)(p - run));
        put_raw(b, (char[2]){'\\', e}, 2);
        run = p + 1;
    }
    put_raw(b, run, (size_t)(p - run));
    b->col++;
}

void store_bulk_int64(struct store_bulk *b, int64_t v)
{
    if (b->ins) {
        if (!b->failed)
            b->failed = store_bind_int64(b->ins, b->col + 1, v);
    } else {
        char tmp[24];
        int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
        sep(b);
        put_raw(b, tmp, (size_t)n);
    }
    b->col++;
}

void store_bulk_double(struct store_bulk *b, double v)
{
    if (isnan(v)) {
        store_bulk_null(b);
        return;
    }
    if (b->ins) {
        if (!b->failed)
            b->failed = store_bind_double(b->ins, b->col + 1, v);
    } else {
        char tmp[40];
        int n = snprintf(tmp, sizeof tmp, "%.17g", v);
        sep(b);
        put_raw(b, tmp, (size_t)n);
    }
    b->col++;
}

static int send(struct store_bulk *b, struct svp_err *err)
{
    if (!b->buf.len)
        return SVP_OK;
    int rc = store_copy_in(b->s, b->copy, b->buf.data, b->buf.len, err);
    svp_buf_reset(&b->buf);
    return rc;
}

int store_bulk_row(struct store_bulk *b, struct svp_err *err)
{
    int col = b->col, failed = b->failed;
    b->col = 0;
    b->failed = 0;
    if (col != b->ncols)
        return svp_err_set(err, SVP_EINTERNAL, "bulk write: a row of %d values for %d columns",
                           col, b->ncols);
    if (failed)
        return svp_err_set(err, failed == SVP_EINPUT ? SVP_ENOMEM : failed,
                           failed == SVP_EINPUT || failed == SVP_ENOMEM
                               ? "out of memory gathering rows to store"
                               : "cannot bind values");
    if (b->ins) {
        int rc = store_step(b->ins, err);
        store_reset(b->ins);
        return rc < 0 ? rc : SVP_OK;
    }
    int rc = svp_buf_putc(&b->buf, '\n');
    if (rc)
        return svp_err_set(err, SVP_ENOMEM, "out of memory gathering rows to store");
    return b->buf.len >= BULK_FLUSH_AT ? send(b, err) : SVP_OK;
}

int store_bulk_finish(struct store_bulk *b, struct svp_err *err)
{
    if (b->col)
        return svp_err_set(err, SVP_EINTERNAL, "bulk write: a row left unfinished");
    return b->ins ? SVP_OK : send(b, err);
}

void store_bulk_free(struct store_bulk **b)
{
    if (!*b)
        return;
    store_finalize(&(*b)->ins);
    svp_buf_free(&(*b)->buf);
    svp_free((*b)->copy);
    svp_free(*b);
    *b = NULL;
}

/* A table's foreign keys checked once after a bulk write (store_fk_hold). */
struct store_fk_hold {
    size_t n;
    char **check; /* per key: "SELECT count(*) ..." of the table's rows naming nothing */
};

void store_fk_hold_free(struct store_fk_hold **h)
{
    if (!*h)
        return;
    for (size_t i = 0; i < (*h)->n; i++)
        svp_free((*h)->check[i]);
    svp_free((*h)->check);
    svp_free(*h);
    *h = NULL;
}

/* Whether the role may set session_replication_role: a superuser, or (PostgreSQL 15 on) one
 * granted SET on it. */
static int may_replica(struct store *s, bool *yes, struct svp_err *err)
{
    int64_t v = 0, version = 0;
    int rc = store_query_int64(
        s, "SELECT CASE WHEN current_setting('is_superuser') = 'on' THEN 1 ELSE 0 END", &v, err);
    if (!rc && !v)
        rc = store_query_int64(s, "SELECT current_setting('server_version_num')::int", &version,
                               err);
    if (!rc && !v && version >= 150000)
        rc = store_query_int64(s, "SELECT CASE WHEN has_parameter_privilege("
                                  "'session_replication_role', 'SET') THEN 1 ELSE 0 END",
                               &v, err);
    *yes = !rc && v;
    return rc;
}

/* The table's keys when each is one column and the table has no trigger of its own (replica
 * would stop it too): 0 and no rows otherwise. */
static const char keys_sql[] =
    "SELECT format('SELECT count(*) FROM ONLY %s c WHERE c.%I IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM ONLY %s p WHERE p.%I = c.%I)', c.conrelid::regclass, a.attname, "
    "c.confrelid::regclass, fa.attname, a.attname), "
    "format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', c.confrelid::regclass) "
    "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND "
    "a.attnum = c.conkey[1] JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND "
    "fa.attnum = c.confkey[1] WHERE c.conrelid = ?::regclass AND c.contype = 'f' AND "
    "NOT EXISTS (SELECT 1 FROM pg_constraint o WHERE o.conrelid = c.conrelid AND "
    "o.contype = 'f' AND cardinality(o.conkey) <> 1) AND NOT EXISTS (SELECT 1 FROM pg_trigger t "
    "WHERE t.tgrelid = c.conrelid AND NOT t.tgisinternal) ORDER BY c.conname";

int store_fk_hold(struct store *s, const char *table, struct store_fk_hold **out,
                  struct svp_err *err)
{
    *out = NULL;
    if (s->kind != STORE_POSTGRES)
        return SVP_OK;
    if (s->tx_depth < 1)
        return svp_err_set(err, SVP_EINTERNAL,
                           "foreign keys of %s held outside a transaction", table);
    bool yes = false;
    int rc = may_replica(s, &yes, err);
    if (rc || !yes)
        return rc;
    struct store_fk_hold *h = svp_calloc(1, sizeof *h);
    if (!h)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    struct store_stmt *q = NULL;
    rc = store_prepare(s, keys_sql, &q, err);
    if (!rc && store_bind_text(q, 1, table, -1))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    size_t cap = 0;
    while (!rc && (rc = store_step(q, err)) == STORE_ROW) {
        rc = SVP_OK;
        if (h->n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            char **a = svp_realloc(h->check, nc * sizeof *a);
            if (!a) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            h->check = a;
            cap = nc;
        }
        if (!(h->check[h->n] = svp_strdup(store_column_text(q, 0)))) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        h->n++;
        /* no other transaction deletes a named row or changes its id before this one ends
         * (what each trigger's FOR KEY SHARE gave); readers go on */
        rc = store_exec(s, store_column_text(q, 1), err);
    }
    store_finalize(&q);
    if (!rc && h->n)
        rc = store_exec(s, "SET LOCAL session_replication_role = replica", err);
    if (rc || !h->n) {
        store_fk_hold_free(&h);
        return rc;
    }
    *out = h;
    return SVP_OK;
}

int store_fk_restore(struct store *s, struct store_fk_hold **h, struct svp_err *err)
{
    if (!*h)
        return SVP_OK;
    int rc = store_exec(s, "SET LOCAL session_replication_role = origin", err);
    for (size_t i = 0; i < (*h)->n && !rc; i++) {
        int64_t bad = 0;
        if (!(rc = store_query_int64(s, (*h)->check[i], &bad, err)) && bad)
            rc = svp_err_set(err, SVP_EINTERNAL,
                             "%lld rows written name rows that are not stored (a fault in "
                             "svp: please report it); nothing was written",
                             (long long)bad);
    }
    store_fk_hold_free(h);
    return rc;
}
