/* The storage interface: URI dispatch, dialect, and the calls that every back end shares. */
#include "store_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Copies a PostgreSQL URI without its password (user:secret@ and password=...). */
static void describe_pg(const char *uri, char *out, size_t cap)
{
    struct svp_buf b;
    svp_buf_init(&b, cap > 0 ? cap - 1 : 0);
    const char *p = strstr(uri, "://");
    const char *at = p ? strchr(p + 3, '@') : NULL;
    const char *colon = p ? strchr(p + 3, ':') : NULL;
    int rc = SVP_OK;
    if (at && colon && colon < at) {
        rc |= svp_buf_append(&b, uri, (size_t)(colon - uri));
        rc |= svp_buf_puts(&b, at);
    } else {
        rc |= svp_buf_puts(&b, uri);
    }
    char *q = b.data ? strstr(b.data, "password=") : NULL;
    if (q) {
        char *end = strchr(q, '&');
        if (end)
            memmove(q, end + 1, strlen(end + 1) + 1);
        else
            *q = '\0';
    }
    svp_strlcpy(out, rc == SVP_OK && b.data ? b.data : "postgresql://(unprintable)", cap);
    svp_buf_free(&b);
}

/* A URI names a scheme when it starts with letters then ':' (and is not a bare path). */
static bool has_scheme(const char *uri, size_t *scheme_len)
{
    size_t i = 0;
    if (!isalpha((unsigned char)uri[0]))
        return false;
    while (isalnum((unsigned char)uri[i]) || uri[i] == '+' || uri[i] == '.' || uri[i] == '-')
        i++;
    if (uri[i] != ':' || i < 2)
        return false;
    *scheme_len = i;
    return true;
}

int store_open(const char *uri, unsigned flags, struct store **out, struct svp_err *err)
{
    if (!uri || !*uri)
        return svp_err_set(err, SVP_EUSAGE, "no database given: use --db PATH or --db URI");
    struct store *s = svp_calloc(1, sizeof *s);
    if (!s)
        return svp_err_set(err, SVP_ENOMEM, "out of memory opening the database");
    const char *target = uri;
    size_t slen = 0;
    if (!strncmp(uri, "postgresql://", 13) || !strncmp(uri, "postgres://", 11)) {
        s->ops = &store_pg_ops;
        s->kind = STORE_POSTGRES;
        describe_pg(uri, s->desc, sizeof s->desc);
    } else if (!strncmp(uri, "sqlite:", 7)) {
        target = uri + 7;
        s->ops = &store_sqlite_ops;
        s->kind = STORE_SQLITE;
    } else if (has_scheme(uri, &slen)) {
        svp_free(s);
        return svp_err_set(err, SVP_EINPUT,
                           "unknown database scheme '%.*s:' in --db; use a file path, "
                           "sqlite:PATH or postgresql://...",
                           (int)(slen > 32 ? 32 : slen), uri);
    } else {
        s->ops = &store_sqlite_ops;
        s->kind = STORE_SQLITE;
    }
    if (s->kind == STORE_SQLITE)
        snprintf(s->desc, sizeof s->desc, "sqlite:%s", target);
    s->wait_ms = STORE_WAIT_DEFAULT_MS;
    int rc = s->ops->open(s, target, flags, err);
    if (!rc && (rc = s->ops->set_wait(s, err)))
        s->ops->close(s);
    if (rc) {
        svp_free(s);
        return rc;
    }
    *out = s;
    return SVP_OK;
}

void store_close(struct store **s)
{
    if (!s || !*s)
        return;
    store_finalize(&(*s)->dv_stmt);
    (*s)->ops->close(*s);
    svp_free(*s);
    *s = NULL;
}

enum store_kind store_kind(const struct store *s)
{
    return s->kind;
}

const char *store_describe(const struct store *s)
{
    return s->desc;
}

int store_exec(struct store *s, const char *sql, struct svp_err *err)
{
    int rc = s->ops->exec(s, sql, err);
    if (rc == SVP_OK && store_sql_changes_data(sql))
        rc = store_version_note(s, err);
    return rc;
}

int store_set_wait(struct store *s, int ms, struct svp_err *err)
{
    if (ms < 0 || ms > STORE_WAIT_MAX_MS)
        return svp_err_set(err, SVP_EUSAGE, "the wait must be from 0 to %d seconds",
                           STORE_WAIT_MAX_MS / 1000);
    s->wait_ms = ms;
    return s->ops->set_wait(s, err);
}

void store_wait_text(const struct store *s, char *buf, size_t cap)
{
    if (s->wait_ms % 1000 == 0)
        snprintf(buf, cap, "%d s", s->wait_ms / 1000);
    else
        snprintf(buf, cap, "%.1f s", s->wait_ms / 1000.0);
}

int store_wait_ms(const struct store *s)
{
    return s->wait_ms;
}

/* Transactions nest: inside an open one, store_begin opens a savepoint that store_commit
 * releases and store_rollback undoes, so a caller can make one library write and its audit
 * entry a single transaction although the library opens its own. */
int store_begin(struct store *s, struct svp_err *err)
{
    int rc;
    if (s->tx_depth > 0) {
        char sql[32];
        snprintf(sql, sizeof sql, "SAVEPOINT svp_%d", s->tx_depth);
        rc = s->ops->exec(s, sql, err);
    } else
        rc = s->ops->exec(s, s->kind == STORE_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", err);
    if (rc == SVP_OK)
        s->tx_depth++;
    return rc;
}

int store_commit(struct store *s, struct svp_err *err)
{
    if (s->tx_depth > 1) {
        char sql[32];
        snprintf(sql, sizeof sql, "RELEASE svp_%d", s->tx_depth - 1);
        int rc = s->ops->exec(s, sql, err);
        if (rc)
            store_rollback(s);
        else
            s->tx_depth--;
        return rc;
    }
    int rc = SVP_OK;
    if (s->tx_data) /* in the transaction that changed the data, just before it commits */
        rc = store_version_bump(s, err);
    s->tx_data = false;
    if (rc == SVP_OK)
        rc = s->ops->exec(s, "COMMIT", err);
    if (rc) { /* a commit that failed leaves nothing half open */
        struct svp_err ignored;
        (void)s->ops->exec(s, "ROLLBACK", &ignored);
    }
    s->tx_depth = 0;
    return rc;
}

void store_rollback(struct store *s)
{
    struct svp_err ignored;
    if (s->tx_depth > 1) {
        char sql[64];
        snprintf(sql, sizeof sql, "ROLLBACK TO svp_%d", s->tx_depth - 1);
        (void)s->ops->exec(s, sql, &ignored);
        snprintf(sql, sizeof sql, "RELEASE svp_%d", s->tx_depth - 1);
        (void)s->ops->exec(s, sql, &ignored);
        s->tx_depth--;
        return;
    }
    (void)s->ops->exec(s, "ROLLBACK", &ignored);
    s->tx_depth = 0;
    s->tx_data = false;
}

int store_prepare(struct store *s, const char *sql, struct store_stmt **out, struct svp_err *err)
{
    struct store_stmt *st = svp_calloc(1, sizeof *st);
    if (!st)
        return svp_err_set(err, SVP_ENOMEM, "out of memory preparing a statement");
    st->s = s;
    st->changes_data = store_sql_changes_data(sql);
    int rc = s->ops->prepare(s, sql, st, err);
    if (rc) {
        svp_free(st);
        return rc;
    }
    *out = st;
    return SVP_OK;
}

int store_bind_text(struct store_stmt *st, int idx, const char *text, long len)
{
    if (!text)
        return st->s->ops->bind_null(st, idx);
    return st->s->ops->bind_text(st, idx, text, len < 0 ? strlen(text) : (size_t)len);
}

int store_bind_text_ref(struct store_stmt *st, int idx, const char *text, long len)
{
    if (!text)
        return st->s->ops->bind_null(st, idx);
    size_t n = len < 0 ? strlen(text) : (size_t)len;
    const struct store_ops *ops = st->s->ops;
    return ops->bind_text_ref ? ops->bind_text_ref(st, idx, text, n)
                              : ops->bind_text(st, idx, text, n);
}

int store_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
    return st->s->ops->bind_int64(st, idx, v);
}

int store_bind_double(struct store_stmt *st, int idx, double v)
{
    return st->s->ops->bind_double(st, idx, v);
}

int store_bind_null(struct store_stmt *st, int idx)
{
    return st->s->ops->bind_null(st, idx);
}

int store_step(struct store_stmt *st, struct svp_err *err)
{
    int rc = st->s->ops->step(st, err);
    /* Outside a transaction the write has committed once the statement is done; one that
     * returns rows (RETURNING) bumps when its first row comes: its changes are made by then
     * and the bump waits for them to commit. */
    if (rc >= 0 && st->changes_data) {
        int vrc = store_version_note(st->s, err);
        if (vrc)
            return vrc;
    }
    return rc;
}

int store_queue(struct store_stmt *st, struct svp_err *err)
{
    int rc;
    if (st->s->ops->queue) {
        rc = st->s->ops->queue(st, err);
        if (rc == SVP_OK && st->changes_data) {
            if (st->s->tx_depth > 0)
                st->s->tx_data = true;
            else if ((rc = store_flush(st->s, err)) == SVP_OK)
                rc = store_version_bump(st->s, err);
        }
        return rc;
    }
    rc = store_step(st, err);
    st->s->ops->reset(st);
    return rc < 0 ? rc : SVP_OK;
}

int store_flush(struct store *s, struct svp_err *err)
{
    return s->ops->flush ? s->ops->flush(s, err) : SVP_OK;
}

int store_copy_in(struct store *s, const char *sql, const char *data, size_t len,
                  struct svp_err *err)
{
    if (!s->ops->copy_in)
        return svp_err_set(err, SVP_EINTERNAL, "%s: this database has no COPY", s->desc);
    int rc = s->ops->copy_in(s, sql, data, len, err);
    if (rc == SVP_OK && store_sql_changes_data(sql))
        rc = store_version_note(s, err);
    return rc;
}

int store_column_count(struct store_stmt *st)
{
    return st->s->ops->column_count(st);
}

const char *store_column_name(struct store_stmt *st, int col)
{
    return st->s->ops->column_name(st, col);
}

const char *store_column_text(struct store_stmt *st, int col)
{
    return st->s->ops->column_text(st, col);
}

int64_t store_column_int64(struct store_stmt *st, int col)
{
    return st->s->ops->column_int64(st, col);
}

double store_column_double(struct store_stmt *st, int col)
{
    return st->s->ops->column_double(st, col);
}

bool store_column_is_null(struct store_stmt *st, int col)
{
    return st->s->ops->column_is_null(st, col);
}

int64_t store_changes(struct store_stmt *st)
{
    return st->s->ops->changes(st);
}

int store_insert_rows(struct store *s, const char *sql, const struct store_val *vals,
                      size_t nrows, int ncols, struct svp_err *err)
{
    if (!s->ops->rows_set || ncols < 1 || ncols > STORE_ROWS_MAX_COLS)
        return svp_err_set(err, SVP_EINTERNAL, "%s: no svp_rows table here", s->desc);
    if (!nrows)
        return SVP_OK;
    s->ops->rows_set(s, vals, nrows, ncols);
    int rc = store_exec(s, sql, err);
    s->ops->rows_set(s, NULL, 0, 0);
    return rc;
}

int64_t store_last_id(struct store_stmt *st)
{
    return st->s->ops->last_id ? st->s->ops->last_id(st) : 0;
}

void store_reset(struct store_stmt *st)
{
    st->s->ops->reset(st);
}

void store_finalize(struct store_stmt **st)
{
    if (!st || !*st)
        return;
    (*st)->s->ops->finalize(*st);
    svp_free(*st);
    *st = NULL;
}

int store_query_int64(struct store *s, const char *sql, int64_t *out, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    rc = store_step(st, err);
    if (rc >= 0) {
        *out = rc == STORE_ROW ? store_column_int64(st, 0) : 0;
        rc = SVP_OK;
    }
    store_finalize(&st);
    return rc;
}

/* ------------------------------------------------------------------ dialect */

struct dialect_token {
    const char *token, *sqlite, *pg;
};

/* The one place where the SQL of the two back ends differs. */
static const struct dialect_token dialect_tokens[] = {
    {"{{ID}}", "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"{{REAL}}", "REAL", "DOUBLE PRECISION"},
    {"{{BLOB}}", "BLOB", "BYTEA"},
};

/* A part of a migration for PostgreSQL alone, between {{PG}} and {{/PG}} (what SQLite does
 * by itself, such as numbering rows one after the highest). */
#define PG_ONLY "{{PG}}"
#define PG_END "{{/PG}}"

char *store_dialect_sql(enum store_kind kind, const char *sql)
{
    struct svp_buf b;
    svp_buf_init(&b, 0);
    const char *p = sql;
    while (*p) {
        if (!strncmp(p, PG_ONLY, strlen(PG_ONLY))) {
            const char *end = strstr(p, PG_END);
            if (!end) {
                svp_buf_free(&b);
                return NULL;
            }
            if (kind == STORE_SQLITE) {
                p = end + strlen(PG_END);
                continue;
            }
            p += strlen(PG_ONLY);
            continue;
        }
        if (!strncmp(p, PG_END, strlen(PG_END))) {
            p += strlen(PG_END);
            continue;
        }
        const struct dialect_token *hit = NULL;
        if (p[0] == '{' && p[1] == '{')
            for (size_t i = 0; i < sizeof dialect_tokens / sizeof *dialect_tokens; i++)
                if (!strncmp(p, dialect_tokens[i].token, strlen(dialect_tokens[i].token)))
                    hit = &dialect_tokens[i];
        int rc;
        if (hit) {
            rc = svp_buf_puts(&b, kind == STORE_SQLITE ? hit->sqlite : hit->pg);
            p += strlen(hit->token);
        } else {
            rc = svp_buf_putc(&b, *p++);
        }
        if (rc) {
            svp_buf_free(&b);
            return NULL;
        }
    }
    return svp_buf_take(&b);
}
