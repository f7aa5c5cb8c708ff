/* The data version (migration 051): a number that goes up in the same transaction as every
 * write that changes what pages show, so a reader (the web server) knows its built pages
 * are out of date by reading one row instead of counting tables.
 *
 * No writer has to remember it: the store looks at each statement it is given, and a
 * transaction that ran an INSERT, UPDATE, DELETE, REPLACE, COPY or TRUNCATE on any table
 * but the bookkeeping ones (sessions, the audit trail, the migrations' list, the version
 * itself and the network centrality stored for a version) bumps the number just before its COMMIT. A write outside a transaction
 * bumps it right after. A statement whose text starts with the comment
 * `/ * svp: bookkeeping * /` (without the spaces) is bookkeeping too: a sign-in's failure
 * count, which no page shows. Schema statements (CREATE, ALTER, DROP) do not count:
 * migrations are followed by a restart. */
#include "store_int.h"

#include <ctype.h>
#include <string.h>

#define BOOKKEEPING_TAG "/* svp: bookkeeping */"

static const char *const quiet_tables[] = {
    "app_session", "audit_log", "schema_migrations", "data_version",
    /* derived from the data at a version, and kept with it (migration 042) */
    "context_centrality", "context_centrality_state",
};

static const char *skip_space(const char *p)
{
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else {
            return p;
        }
    }
}

/* The word at p (letters, digits, '_'), its length in *n. */
static size_t word_len(const char *p)
{
    size_t n = 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_')
        n++;
    return n;
}

static bool word_is(const char *p, size_t n, const char *w)
{
    return strlen(w) == n && !strncasecmp(p, w, n);
}

/* Past the statement that starts at p: the next ';' outside quotes and parentheses. */
static const char *statement_end(const char *p)
{
    char quote = 0;
    int depth = 0;
    for (; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if (*p == ';' && depth <= 0) {
            return p + 1;
        }
    }
    return p;
}

/* The table name at p ("name", schema.name or "quoted"): true when it is a bookkeeping
 * table. */
static bool quiet_table(const char *p)
{
    char name[64];
    for (;;) {
        p = skip_space(p);
        size_t n;
        if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            if (!end)
                return false;
            n = (size_t)(end - p - 1);
            if (n >= sizeof name)
                return false;
            memcpy(name, p + 1, n);
            p = end + 1;
        } else {
            n = word_len(p);
            if (n == 0 || n >= sizeof name)
                return false;
            memcpy(name, p, n);
            p += n;
        }
        name[n] = '\0';
        if (*p != '.')
            break;
        p++; /* schema.name: the name is what follows */
    }
    for (size_t i = 0; i < sizeof quiet_tables / sizeof quiet_tables[0]; i++)
        if (!strcasecmp(name, quiet_tables[i]))
            return true;
    return false;
}

/* Does the one statement from p to end change data pages show? */
static bool statement_changes_data(const char *p, const char *end)
{
    while (isspace((unsigned char)*p))
        p++;
    if (!strncmp(p, BOOKKEEPING_TAG, strlen(BOOKKEEPING_TAG)))
        return false;
    p = skip_space(p);
    if (p >= end || !*p || *p == ';')
        return false;
    size_t n = word_len(p);
    if (word_is(p, n, "WITH")) {
        /* the statement the common table expressions lead to: the first of these words
         * outside parentheses and quotes */
        const char *q = p + n;
        char quote = 0;
        int depth = 0;
        for (; q < end && *q; q++) {
            if (quote) {
                if (*q == quote)
                    quote = 0;
                continue;
            }
            if (*q == '\'' || *q == '"')
                quote = *q;
            else if (*q == '(')
                depth++;
            else if (*q == ')')
                depth--;
            else if (depth == 0 && isalpha((unsigned char)*q) &&
                     !(isalnum((unsigned char)q[-1]) || q[-1] == '_')) {
                size_t m = word_len(q);
                if (word_is(q, m, "SELECT") || word_is(q, m, "INSERT") ||
                    word_is(q, m, "UPDATE") || word_is(q, m, "DELETE") ||
                    word_is(q, m, "REPLACE"))
                    return statement_changes_data(q, end);
                q += m - 1;
            }
        }
        return true; /* not understood: counted as a change */
    }
    static const char *const reads[] = {
        "SELECT", "VALUES", "PRAGMA", "BEGIN", "START", "COMMIT", "END", "ROLLBACK",
        "SAVEPOINT", "RELEASE", "EXPLAIN", "ANALYZE", "VACUUM", "SET", "SHOW", "RESET",
        "CREATE", "ALTER", "DROP", "REINDEX", "LOCK", "DISCARD", "CHECKPOINT", "DEALLOCATE",
    };
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
        if (word_is(p, n, reads[i]))
            return false;
    const char *rest = skip_space(p + n);
    if (word_is(p, n, "INSERT") || word_is(p, n, "UPDATE")) {
        size_t m = word_len(rest);
        if (word_is(rest, m, "OR")) { /* INSERT OR IGNORE, UPDATE OR REPLACE */
            rest = skip_space(rest + m);
            rest = skip_space(rest + word_len(rest));
            m = word_len(rest);
        }
        if (word_is(p, n, "INSERT") && word_is(rest, m, "INTO"))
            rest += m;
        return !quiet_table(rest);
    }
    if (word_is(p, n, "REPLACE") || word_is(p, n, "DELETE") || word_is(p, n, "TRUNCATE")) {
        size_t m = word_len(rest);
        if (word_is(rest, m, "INTO") || word_is(rest, m, "FROM") || word_is(rest, m, "TABLE"))
            rest += m;
        return !quiet_table(rest);
    }
    if (word_is(p, n, "COPY"))
        return !quiet_table(rest);
    return true; /* not understood: counted as a change */
}

bool store_sql_changes_data(const char *sql)
{
    if (!sql)
        return false;
    for (const char *p = sql; *p;) {
        const char *end = statement_end(p);
        if (statement_changes_data(p, end))
            return true;
        p = end;
    }
    return false;
}

/* Whether this database has the version row (a database before migration 051, or one a
 * test made by hand, has not: nothing to bump). Asked once per connection. */
static int has_version(struct store *s, bool *yes, struct svp_err *err)
{
    if (s->dv_state == 0) {
        int64_t n = 0;
        int rc = store_query_int64(
            s,
            s->kind == STORE_SQLITE
                ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                  "'data_version'"
                : "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = "
                  "'data_version' AND schemaname = current_schema()",
            &n, err);
        if (rc)
            return rc;
        s->dv_state = n > 0 ? 1 : -1;
    }
    *yes = s->dv_state > 0;
    return SVP_OK;
}

int store_version_bump(struct store *s, struct svp_err *err)
{
    bool yes;
    int rc = has_version(s, &yes, err);
    if (rc || !yes)
        return rc;
    return s->ops->exec(s, "UPDATE data_version SET version = version + 1 WHERE id = 1", err);
}

int store_version_note(struct store *s, struct svp_err *err)
{
    if (s->tx_depth > 0) {
        s->tx_data = true;
        return SVP_OK;
    }
    return store_version_bump(s, err);
}

void store_version_forget(struct store *s)
{
    s->dv_state = 0;
}

int store_data_version(struct store *s, int64_t *out, struct svp_err *err)
{
    bool yes;
    int rc = has_version(s, &yes, err);
    if (rc)
        return rc;
    if (!yes)
        return svp_err_set(err, SVP_ECONFLICT,
                           "%s: the database has no data version (migration 051); run 'svp "
                           "db migrate'",
                           s->desc);
    if (!s->dv_stmt && (rc = store_prepare(s, "SELECT version FROM data_version WHERE id = 1",
                                           &s->dv_stmt, err)))
        return rc;
    rc = store_step(s->dv_stmt, err);
    if (rc >= 0) {
        *out = rc == STORE_ROW ? store_column_int64(s->dv_stmt, 0) : 0;
        rc = SVP_OK;
    }
    store_reset(s->dv_stmt);
    return rc;
}
