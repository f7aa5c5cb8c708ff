/* Test fixtures: throwaway databases on either back end, temporary files. */
#include "testutil.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool testutil_backend_is_pg(void)
{
    const char *b = getenv("SVP_TEST_BACKEND");
    return b && !strcmp(b, "postgres");
}

static int db_counter;

static void pg_admin(const char *sql)
{
    const char *base = getenv("SVP_TEST_PG_URI");
    if (!base)
        fail_msg("SVP_TEST_BACKEND=postgres but SVP_TEST_PG_URI is not set");
    PGconn *c = PQconnectdb(base);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("cannot reach the test PostgreSQL server: %s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s failed: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

char *testutil_new_db(void)
{
    char name[64], buf[1024];
    snprintf(name, sizeof name, "svp_t_%ld_%d", (long)getpid(), ++db_counter);
    if (testutil_backend_is_pg()) {
        snprintf(buf, sizeof buf, "DROP DATABASE IF EXISTS %s", name);
        pg_admin(buf);
        snprintf(buf, sizeof buf, "CREATE DATABASE %s", name);
        pg_admin(buf);
        /* Same server and user, the new database: replace the path after the last '/'. */
        const char *base = getenv("SVP_TEST_PG_URI");
        const char *q = strchr(base, '?');
        const char *slash = strrchr(base, '/');
        int keep = (int)(slash - base);
        snprintf(buf, sizeof buf, "%.*s/%s%s", keep, base, name, q ? q : "");
        return strdup(buf);
    }
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(buf, sizeof buf, "%s/%s.db", tmp, name);
    unlink(buf);
    return strdup(buf);
}

void testutil_drop_db(char **uri)
{
    if (!uri || !*uri)
        return;
    if (testutil_backend_is_pg()) {
        const char *slash = strrchr(*uri, '/');
        char name[128], sql[256];
        svp_strlcpy(name, slash + 1, sizeof name);
        name[strcspn(name, "?")] = '\0';
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
        pg_admin(sql);
    } else {
        char path[1100];
        unlink(*uri);
        snprintf(path, sizeof path, "%s-wal", *uri);
        unlink(path);
        snprintf(path, sizeof path, "%s-shm", *uri);
        unlink(path);
    }
    free(*uri);
    *uri = NULL;
}

struct store *testutil_open_migrated(char **uri_out)
{
    char *uri = testutil_new_db();
    struct store *s = NULL;
    struct svp_err err;
    if (store_open(uri, STORE_OPEN_CREATE, &s, &err))
        fail_msg("open %s: %s", uri, err.msg);
    struct store_migration_status st;
    if (store_migrate(s, &st, &err))
        fail_msg("migrate: %s", err.msg);
    *uri_out = uri;
    return s;
}

char *testutil_tmpdir(void)
{
    char tmpl[256];
    snprintf(tmpl, sizeof tmpl, "%s/svp-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    char *d = mkdtemp(tmpl);
    if (!d)
        fail_msg("mkdtemp failed");
    return strdup(d);
}

void testutil_rmdir(char **path)
{
    if (!path || !*path)
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", *path);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", *path);
    free(*path);
    *path = NULL;
}

char *testutil_write_file(const char *dir, const char *name, const char *text, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
        fail_msg("cannot write %s", path);
    return strdup(path);
}

void testutil_exec(struct store *s, const char *sql)
{
    struct svp_err err;
    char *d = store_dialect_sql(store_kind(s), sql);
    if (!d)
        fail_msg("out of memory");
    if (store_exec(s, d, &err))
        fail_msg("%s: %s", sql, err.msg);
    free(d);
}

void testutil_insert(struct store *s, const char *sql, int n, const char *const *v)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    if (store_prepare(s, sql, &st, &err))
        fail_msg("%s: %s", sql, err.msg);
    for (int i = 0; i < n; i++)
        assert_int_equal(store_bind_text(st, i + 1, v[i], -1), 0);
    if (store_step(st, &err) < 0)
        fail_msg("%s: %s", sql, err.msg);
    store_finalize(&st);
}

int64_t testutil_last_id(struct store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT MAX(id) FROM %s", table);
    int64_t id = 0;
    struct svp_err err;
    assert_int_equal(store_query_int64(s, sql, &id, &err), 0);
    return id;
}

svp_day testutil_day(const char *iso)
{
    svp_day d;
    struct svp_err err;
    if (svp_date_parse_iso(iso, strlen(iso), &d, &err))
        fail_msg("bad test date %s: %s", iso, err.msg);
    return d;
}

int testutil_db_setup(void **state)
{
    struct testutil_db *f = calloc(1, sizeof *f);
    if (!f)
        fail_msg("out of memory");
    f->s = testutil_open_migrated(&f->uri);
    *state = f;
    return 0;
}

int testutil_db_teardown(void **state)
{
    struct testutil_db *f = *state;
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    free(f);
    return 0;
}

/* Both clock fixtures; db_calendar says whether the calendar comes from the database. */
static int clock_setup(void **state, bool db_calendar)
{
    struct testutil_clock *f = calloc(1, sizeof *f);
    if (!f)
        fail_msg("out of memory");
    struct svp_err err;
    f->s = testutil_open_migrated(&f->uri);
    if (clock_calendar_load(db_calendar ? f->s : NULL, &f->cal, &err) ||
        clock_rules_load(NULL, &f->rules, &err))
        fail_msg("%s", err.msg);
    *state = f;
    return 0;
}

int testutil_clock_setup(void **state)
{
    return clock_setup(state, false);
}

int testutil_clock_setup_db_calendar(void **state)
{
    return clock_setup(state, true);
}

int testutil_clock_teardown(void **state)
{
    struct testutil_clock *f = *state;
    svp_calendar_free(&f->cal);
    clock_rules_free(&f->rules);
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    free(f);
    return 0;
}
