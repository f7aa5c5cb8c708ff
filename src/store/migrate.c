/* Versioned schema migrations: .sql files embedded at build time, applied in order, each
 * in its own transaction, recorded in schema_migrations. A file's version is the number
 * its name starts with (003_clock.sql is version 3). */
#include "store_int.h"

#include <string.h>
#include <time.h>

extern const struct svp_embedded svp_migrations[];

static int migration_version(const char *name)
{
    int v = 0;
    for (const char *p = name; *p >= '0' && *p <= '9' && v < 100000; p++)
        v = v * 10 + (*p - '0');
    return v;
}

bool store_migration_info(int i, int *version, const char **name)
{
    for (int k = 0; k <= i; k++)
        if (!svp_migrations[k].name)
            return false;
    *version = migration_version(svp_migrations[i].name);
    *name = svp_migrations[i].name;
    return true;
}

static int latest_version(void)
{
    int v = 0;
    for (const struct svp_embedded *m = svp_migrations; m->name; m++)
        if (migration_version(m->name) > v)
            v = migration_version(m->name);
    return v;
}

static const char *table_exists_sql(enum store_kind kind)
{
    return kind == STORE_SQLITE
               ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                 "'schema_migrations'"
               : "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                 "current_schema() AND table_name = 'schema_migrations'";
}

static int migrations_table_exists(struct store *s, bool *exists, struct svp_err *err)
{
    int64_t n = 0;
    int rc = store_query_int64(s, table_exists_sql(s->kind), &n, err);
    *exists = n > 0;
    return rc;
}

int store_migration_applied(struct store *s, int version, bool *applied, struct svp_err *err)
{
    bool exists;
    *applied = false;
    int rc = migrations_table_exists(s, &exists, err);
    if (rc || !exists)
        return rc;
    struct store_stmt *st = NULL;
    if ((rc = store_prepare(s, "SELECT count(*) FROM schema_migrations WHERE version = ?", &st,
                            err)))
        return rc;
    if (store_bind_int64(st, 1, version)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory binding a query");
    }
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        *applied = store_column_int64(st, 0) > 0;
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

int store_schema_status(struct store *s, struct store_migration_status *st, struct svp_err *err)
{
    memset(st, 0, sizeof *st);
    st->latest = latest_version();
    int64_t current = 0;
    bool exists;
    int rc = migrations_table_exists(s, &exists, err);
    if (rc == SVP_OK && exists)
        rc = store_query_int64(s, "SELECT coalesce(max(version), 0) FROM schema_migrations",
                               &current, err);
    st->current = (int)current;
    for (const struct svp_embedded *m = svp_migrations; rc == SVP_OK && m->name; m++) {
        bool applied = false;
        if (exists)
            rc = store_migration_applied(s, migration_version(m->name), &applied, err);
        st->pending += !applied;
    }
    return rc;
}

static int refuse_newer(struct store *s, const struct store_migration_status *st,
                        struct svp_err *err)
{
    return svp_err_set(err, SVP_ECONFLICT,
                       "%s: database schema is at version %d but this svp knows only up to "
                       "version %d; use a newer svp",
                       s->desc, st->current, st->latest);
}

static int record_migration(struct store *s, int version, const char *name, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(
        s, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", &st,
        err);
    if (rc)
        return rc;
    char now[32];
    svp_time_format((svp_time)time(NULL), now, sizeof now);
    if (store_bind_int64(st, 1, version) || store_bind_text(st, 2, name, -1) ||
        store_bind_text(st, 3, now, -1))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory recording a migration");
    else
        rc = store_step(st, err);
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

static int apply_one(struct store *s, const struct svp_embedded *m, struct svp_err *err)
{
    char *sql = store_dialect_sql(s->kind, m->data);
    if (!sql)
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading migration %s", m->name);
    int rc = store_begin(s, err);
    if (rc == SVP_OK)
        rc = store_exec(s, sql, err);
    if (rc == SVP_OK)
        rc = record_migration(s, migration_version(m->name), m->name, err);
    if (rc == SVP_OK)
        rc = store_commit(s, err);
    svp_free(sql);
    if (rc) {
        store_rollback(s);
        char why[sizeof err->msg];
        svp_strlcpy(why, err->msg, sizeof why);
        svp_err_set(err, rc, "migration %s failed and was rolled back: %s", m->name, why);
    }
    return rc;
}

int store_migrate(struct store *s, struct store_migration_status *st, struct svp_err *err)
{
    int rc = store_schema_status(s, st, err);
    if (rc)
        return rc;
    if (st->current > st->latest)
        return refuse_newer(s, st, err);
    rc = store_exec(s,
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
                    err);
    if (rc)
        return rc;
    /* Apply in version order whatever order the build listed the files in, including one
     * numbered below the database's highest (another room's range, landed later). */
    for (int v = 1; v <= st->latest; v++)
        for (const struct svp_embedded *m = svp_migrations; m->name; m++) {
            bool applied;
            if (migration_version(m->name) != v)
                continue;
            if ((rc = store_migration_applied(s, v, &applied, err)))
                return rc;
            if (applied)
                continue;
            if ((rc = apply_one(s, m, err)))
                return rc;
            st->applied++;
            st->pending--;
            if (v > st->current)
                st->current = v;
        }
    store_version_forget(s); /* the data version's table may be new */
    return SVP_OK;
}

int store_require_current(struct store *s, struct svp_err *err)
{
    struct store_migration_status st;
    int rc = store_schema_status(s, &st, err);
    if (rc)
        return rc;
    if (st.current > st.latest)
        return refuse_newer(s, &st, err);
    if (st.pending > 0)
        return svp_err_set(err, SVP_ECONFLICT,
                           "%s: database schema lacks %d migration%s this svp needs (latest "
                           "%d); run 'svp db migrate'",
                           s->desc, st.pending, st.pending == 1 ? "" : "s", st.latest);
    return SVP_OK;
}
