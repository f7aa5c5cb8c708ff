/* The store test suite: the same tests on SQLite and on a real PostgreSQL server
 * (SVP_TEST_BACKEND=postgres, run by scripts/test). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh migrated database per test (testutil's fixture). */
#define fixture testutil_db
#define setup testutil_db_setup
#define teardown testutil_db_teardown

#define exec_ok testutil_exec

/* How many migrations this svp carries (version numbers have gaps between rooms' ranges). */
static int64_t known_migrations(void)
{
    int v;
    const char *name;
    int64_t n = 0;
    while (store_migration_info((int)n, &v, &name))
        n++;
    return n;
}

static void test_migrate_is_idempotent(void **state)
{
    struct fixture *f = *state;
    struct store_migration_status st;
    struct svp_err err;
    assert_int_equal(store_migrate(f->s, &st, &err), 0);
    assert_int_equal(st.applied, 0);
    assert_int_equal(st.current, st.latest);
    assert_true(st.latest >= 2);
    assert_int_equal(store_require_current(f->s, &err), 0);
    int64_t n = -1;
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM schema_migrations", &n, &err),
                     0);
    assert_int_equal(n, known_migrations());
}

/* SQLite's session settings: WAL for readers beside a writer, and a log truncated back to
 * 64 MB after a checkpoint (it grew past 600 MB under a busy web server). */
static void test_sqlite_session_settings(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t limit = 0, fk = 0;
    if (testutil_backend_is_pg())
        return; /* PostgreSQL has no such session settings; checked on SQLite */
    assert_int_equal(store_query_int64(f->s, "PRAGMA journal_size_limit", &limit, &err), 0);
    assert_int_equal(limit, 64 * 1024 * 1024);
    assert_int_equal(store_query_int64(f->s, "PRAGMA foreign_keys", &fk, &err), 0);
    assert_int_equal(fk, 1);
}

static void test_roundtrip_values(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    exec_ok(f->s, "CREATE TABLE t (id {{ID}}, name TEXT, n BIGINT, x {{REAL}})");
    struct store_stmt *ins = NULL;
    assert_int_equal(store_prepare(f->s, "INSERT INTO t (name, n, x) VALUES (?, ?, ?)", &ins,
                                   &err),
                     0);
    const char *names[] = {"O'Brien", "Zoë \"quoted\"; DROP TABLE t; --", "?", NULL};
    const int64_t nums[] = {INT64_MAX, INT64_MIN, 0, -1};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(store_bind_text(ins, 1, names[i], -1), 0);
        assert_int_equal(store_bind_int64(ins, 2, nums[i]), 0);
        if (i == 3)
            assert_int_equal(store_bind_null(ins, 3), 0);
        else
            assert_int_equal(store_bind_double(ins, 3, 0.1 * i), 0);
        assert_int_equal(store_step(ins, &err), STORE_DONE);
        assert_int_equal(store_changes(ins), 1);
        store_reset(ins);
    }
    store_finalize(&ins);
    assert_null(ins);
    struct store_stmt *sel = NULL;
    assert_int_equal(store_prepare(f->s, "SELECT name, n, x FROM t WHERE id > ? ORDER BY id",
                                   &sel, &err),
                     0);
    assert_int_equal(store_bind_int64(sel, 1, 0), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(store_step(sel, &err), STORE_ROW);
        assert_int_equal(store_column_count(sel), 3);
        if (names[i])
            assert_string_equal(store_column_text(sel, 0), names[i]);
        else
            assert_true(store_column_is_null(sel, 0));
        assert_true(store_column_int64(sel, 1) == nums[i]);
        if (i == 3)
            assert_true(store_column_is_null(sel, 2));
        else
            assert_true(store_column_double(sel, 2) == 0.1 * i);
    }
    assert_int_equal(store_step(sel, &err), STORE_DONE);
    assert_string_equal(store_column_name(sel, 1), "n");
    store_finalize(&sel);
}

static void test_question_mark_in_literal(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(f->s, "SELECT 'why?', ? -- is this a '?'\n", &st, &err), 0);
    assert_int_equal(store_bind_text(st, 1, "yes", -1), 0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_string_equal(store_column_text(st, 0), "why?");
    assert_string_equal(store_column_text(st, 1), "yes");
    store_finalize(&st);
}

/* A borrowed text binding reads the caller's bytes at the step (length honoured), and a
 * rebinding of the same buffer with new contents is what the next step stores. */
static void test_bind_text_ref(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    exec_ok(f->s, "CREATE TABLE r (id {{ID}}, name TEXT)");
    struct store_stmt *ins = NULL;
    assert_int_equal(store_prepare(f->s, "INSERT INTO r (name) VALUES (?)", &ins, &err), 0);
    char buf[16];
    const char *vals[] = {"first|tail", "Zoë", NULL};
    for (int i = 0; i < 3; i++) {
        if (vals[i])
            memcpy(buf, vals[i], strlen(vals[i]) + 1);
        long len = i == 0 ? 5 : -1;
        assert_int_equal(store_bind_text_ref(ins, 1, vals[i] ? buf : NULL, len), 0);
        assert_int_equal(store_step(ins, &err), STORE_DONE);
        store_reset(ins);
        memset(buf, 'x', sizeof buf); /* after the step: what was stored is kept */
    }
    store_finalize(&ins);
    struct store_stmt *sel = NULL;
    assert_int_equal(store_prepare(f->s, "SELECT name FROM r ORDER BY id", &sel, &err), 0);
    assert_int_equal(store_step(sel, &err), STORE_ROW);
    assert_string_equal(store_column_text(sel, 0), "first");
    assert_int_equal(store_step(sel, &err), STORE_ROW);
    assert_string_equal(store_column_text(sel, 0), "Zoë");
    assert_int_equal(store_step(sel, &err), STORE_ROW);
    assert_true(store_column_is_null(sel, 0));
    assert_int_equal(store_step(sel, &err), STORE_DONE);
    store_finalize(&sel);
}

static void test_transactions(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t n = -1;
    exec_ok(f->s, "CREATE TABLE u (k TEXT PRIMARY KEY)");
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO u VALUES ('a')");
    store_rollback(f->s);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM u", &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO u VALUES ('a')");
    assert_int_equal(store_commit(f->s, &err), 0);
    /* A constraint violation is bad input, not an internal error. */
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(f->s, "INSERT INTO u VALUES (?)", &st, &err), 0);
    assert_int_equal(store_bind_text(st, 1, "a", 1), 0);
    assert_int_equal(store_step(st, &err), SVP_EINPUT);
    store_finalize(&st);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM u", &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_prepare(f->s, "SELECT * FROM no_such_table", &st, &err), SVP_EDB);
    assert_null(st);
    /* Transactions nest: an inner one is a savepoint. Its rollback undoes only its own
     * writes; its commit is kept only if the outer one commits. */
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO u VALUES ('b')");
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO u VALUES ('c')");
    store_rollback(f->s);
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO u VALUES ('d')");
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM u WHERE k IN ('b', 'c', 'd')",
                                       &n, &err),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO u VALUES ('e')");
    assert_int_equal(store_commit(f->s, &err), 0);
    store_rollback(f->s);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM u WHERE k = 'e'", &n, &err),
                     0);
    assert_int_equal(n, 0);
    /* after all that, a plain transaction is a plain transaction again */
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO u VALUES ('f')");
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM u", &n, &err), 0);
    assert_int_equal(n, 4);
}

static int64_t count_q(struct store *s)
{
    int64_t n = -1;
    struct svp_err err;
    if (store_query_int64(s, "SELECT count(*) FROM q", &n, &err))
        fail_msg("count: %s", err.msg);
    return n;
}

/* store_queue: statements run in order, more than PostgreSQL keeps in flight at once, a
 * step behind queued statements sees them, and a queued statement's failure is reported by
 * the queue call itself (SQLite), store_flush, the next step or the commit (PostgreSQL). */
static void test_queue(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    exec_ok(f->s, "CREATE TABLE q (k TEXT PRIMARY KEY, n BIGINT)");
    struct store_stmt *ins = NULL, *cnt = NULL;
    assert_int_equal(store_prepare(f->s, "INSERT INTO q (k, n) VALUES (?, ?)", &ins, &err), 0);
    assert_int_equal(store_prepare(f->s, "SELECT count(*), max(n) FROM q", &cnt, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    char k[32];
    for (int i = 0; i < 600; i++) {
        snprintf(k, sizeof k, "k%d", i);
        assert_int_equal(store_bind_text(ins, 1, k, -1), 0);
        assert_int_equal(store_bind_int64(ins, 2, i), 0);
        assert_int_equal(store_queue(ins, &err), 0);
    }
    assert_int_equal(store_step(cnt, &err), STORE_ROW);
    assert_int_equal(store_column_int64(cnt, 0), 600);
    assert_int_equal(store_column_int64(cnt, 1), 599);
    store_reset(cnt);
    assert_int_equal(store_bind_text(ins, 1, "last", -1), 0);
    assert_int_equal(store_queue(ins, &err), 0);
    assert_int_equal(store_flush(f->s, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(count_q(f->s), 601);
    /* A duplicate key, found by store_flush, by the next step, or by the commit. */
    for (int how = 0; how < 3; how++) {
        assert_int_equal(store_begin(f->s, &err), 0);
        assert_int_equal(store_bind_text(ins, 1, "k7", -1), 0);
        int rc = store_queue(ins, &err);
        if (rc == 0 && how == 0)
            rc = store_flush(f->s, &err);
        if (rc == 0 && how == 1) {
            rc = store_step(cnt, &err);
            store_reset(cnt);
        }
        if (rc == 0 && how == 2)
            rc = store_commit(f->s, &err);
        assert_true(rc < 0);
        store_rollback(f->s);
        assert_int_equal(count_q(f->s), 601);
    }
    store_finalize(&ins);
    store_finalize(&cnt);
}


static int64_t data_version(struct store *s)
{
    int64_t v = -1;
    struct svp_err err;
    if (store_data_version(s, &v, &err))
        fail_msg("data version: %s", err.msg);
    return v;
}

/* Which statements count as a change to the data (src/store/version.c). */
static void test_data_version_classifier(void **state)
{
    (void)state;
    static const struct {
        const char *sql;
        bool changes;
    } cases[] = {
        {"SELECT * FROM record", false},
        {"  select count(*) from event", false},
        {"WITH x AS (SELECT 1) SELECT * FROM x", false},
        {"PRAGMA journal_mode", false},
        {"BEGIN IMMEDIATE", false},
        {"CREATE TABLE t (a INT)", false},
        {"ALTER TABLE app_user ADD COLUMN z INT", false},
        {"-- a comment\nSELECT 1", false},
        {"INSERT INTO record (id) VALUES (1)", true},
        {"insert or ignore into person_record VALUES (1, 2)", true},
        {"INSERT OR REPLACE INTO place VALUES (1)", true},
        {"UPDATE register_entry SET fields = ?", true},
        {"UPDATE OR IGNORE \"event\" SET kind = 'x'", true},
        {"DELETE FROM person_share WHERE id = 1", true},
        {"REPLACE INTO svp_meta VALUES ('k', 'v')", true},
        {"TRUNCATE TABLE relationship", true},
        {"COPY event (id) FROM STDIN", true},
        {"WITH d AS (SELECT 1) INSERT INTO link_pair SELECT * FROM d", true},
        {"WITH d AS (SELECT 1 AS insert_x) DELETE FROM main.record", true},
        {"/* a note */ INSERT INTO record VALUES (1)", true},
        {"SELECT 1; DELETE FROM event", true},
        {"MERGE INTO record USING x ON true", true}, /* not understood: a change */
        {"INSERT INTO audit_log VALUES (1)", false},
        {"INSERT INTO app_session (token_hash) VALUES (?)", false},
        {"UPDATE app_session SET last_seen = ?", false},
        {"DELETE FROM \"app_session\"", false},
        {"COPY audit_log (id) FROM STDIN", false},
        {"INSERT INTO schema_migrations VALUES (1)", false},
        {"UPDATE data_version SET version = version + 1", false},
        {"/* svp: bookkeeping */ UPDATE app_user SET failed_logins = 0", false},
        {"UPDATE app_user SET failed_logins = 0", true},
        {"/* svp: bookkeeping */ UPDATE app_user SET x = 1; DELETE FROM record", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (store_sql_changes_data(cases[i].sql) != cases[i].changes)
            fail_msg("'%s' should %scount as a change", cases[i].sql,
                     cases[i].changes ? "" : "not ");
    assert_false(store_sql_changes_data(NULL));
}

/* The data version goes up at the commit of a transaction that wrote, once, and not for a
 * rolled back one, a read, or the bookkeeping tables; a write outside a transaction bumps
 * it at once; queued and copied writes count too. */
static void test_data_version_bumps(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    exec_ok(f->s, "CREATE TABLE dv (k TEXT PRIMARY KEY)");
    int64_t v = data_version(f->s);
    assert_true(v >= 1);
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO dv VALUES ('a')");
    exec_ok(f->s, "INSERT INTO dv VALUES ('b')");
    assert_int_equal(data_version(f->s), v); /* not before the commit */
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(data_version(f->s), v + 1);
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO dv VALUES ('c')");
    store_rollback(f->s);
    assert_int_equal(data_version(f->s), v + 1);
    assert_int_equal(store_begin(f->s, &err), 0); /* a transaction that only read */
    int64_t n;
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM dv", &n, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(data_version(f->s), v + 1);
    /* nested: the savepoint's write bumps at the outer commit */
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(f->s, "DELETE FROM dv WHERE k = ?", &st, &err), 0);
    assert_int_equal(store_bind_text(st, 1, "a", -1), 0);
    assert_int_equal(store_step(st, &err), STORE_DONE);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(data_version(f->s), v + 1);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(data_version(f->s), v + 2);
    /* outside a transaction: at once */
    store_reset(st);
    assert_int_equal(store_bind_text(st, 1, "b", -1), 0);
    assert_int_equal(store_step(st, &err), STORE_DONE);
    assert_int_equal(data_version(f->s), v + 3);
    store_finalize(&st);
    /* queued writes, in a transaction and outside one */
    assert_int_equal(store_prepare(f->s, "INSERT INTO dv VALUES (?)", &st, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_bind_text(st, 1, "q1", -1), 0);
    assert_int_equal(store_queue(st, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(data_version(f->s), v + 4);
    assert_int_equal(store_bind_text(st, 1, "q2", -1), 0);
    assert_int_equal(store_queue(st, &err), 0);
    assert_int_equal(store_flush(f->s, &err), 0);
    assert_int_equal(data_version(f->s), v + 5);
    store_finalize(&st);
    if (testutil_backend_is_pg()) {
        assert_int_equal(store_begin(f->s, &err), 0);
        assert_int_equal(store_copy_in(f->s, "COPY dv (k) FROM STDIN", "c1\nc2\n", 6, &err), 0);
        assert_int_equal(store_commit(f->s, &err), 0);
        assert_int_equal(data_version(f->s), v + 6);
        v++;
    }
    /* bookkeeping: sessions and the audit trail do not count */
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "DELETE FROM app_session");
    exec_ok(f->s, "/* svp: bookkeeping */ UPDATE app_user SET failed_logins = 0");
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(data_version(f->s), v + 5);
    /* a failed commit is no change: a write that breaks a rule at commit (a deferred
     * check is not portable, so a failing write is rolled back instead) */
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO dv VALUES ('z')");
    assert_int_equal(store_prepare(f->s, "INSERT INTO dv VALUES ('z')", &st, &err), 0);
    assert_true(store_step(st, &err) < 0);
    store_finalize(&st);
    store_rollback(f->s);
    assert_int_equal(data_version(f->s), v + 5);
}

/* Every table the schema has, but the six bookkeeping ones, counts: a table a later
 * migration adds counts without anyone remembering to add it. Each table is emptied in
 * its own transaction (it is empty already in a fresh database) and the version read. */
static void test_data_version_every_table(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    struct store_stmt *st = NULL;
    assert_int_equal(
        store_prepare(f->s,
                      testutil_backend_is_pg()
                          ? "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = "
                            "current_schema() ORDER BY tablename"
                          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                            "LIKE 'sqlite_%' ORDER BY name",
                      &st, &err),
        0);
    char names[128][64];
    size_t n = 0;
    int rc;
    while ((rc = store_step(st, &err)) == STORE_ROW && n < 128)
        svp_strlcpy(names[n++], store_column_text(st, 0), sizeof names[0]);
    store_finalize(&st);
    assert_true(n >= 20);
    size_t quiet = 0;
    for (size_t i = 0; i < n; i++) {
        bool is_quiet = !strcmp(names[i], "app_session") || !strcmp(names[i], "audit_log") ||
                        !strcmp(names[i], "schema_migrations") ||
                        !strcmp(names[i], "data_version") ||
                        /* derived from the data at a version, and kept with it (042) */
                        !strcmp(names[i], "context_centrality") ||
                        !strcmp(names[i], "context_centrality_state");
        quiet += is_quiet;
        if (!strcmp(names[i], "data_version") || !strcmp(names[i], "schema_migrations"))
            continue; /* never emptied */
        char sql[128];
        int w = snprintf(sql, sizeof sql, "DELETE FROM %s WHERE 1 = 0", names[i]);
        assert_true(w > 0 && (size_t)w < sizeof sql);
        int64_t before = data_version(f->s);
        assert_int_equal(store_begin(f->s, &err), 0);
        exec_ok(f->s, sql);
        assert_int_equal(store_commit(f->s, &err), 0);
        int64_t after = data_version(f->s);
        if (after != before + (is_quiet ? 0 : 1))
            fail_msg("a write to %s moved the data version from %lld to %lld", names[i],
                     (long long)before, (long long)after);
    }
    assert_int_equal(quiet, 6);
}

static void test_newer_schema_refused(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    exec_ok(f->s, "INSERT INTO schema_migrations VALUES (999, '999_future.sql', 'x')");
    struct store_migration_status st;
    assert_int_equal(store_migrate(f->s, &st, &err), SVP_ECONFLICT);
    assert_non_null(strstr(err.msg, "version 999"));
    assert_int_equal(store_require_current(f->s, &err), SVP_ECONFLICT);
    int64_t n = 0;
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM schema_migrations", &n, &err),
                     0);
    assert_int_equal(n, known_migrations() + 1); /* nothing written */
}

/* Rooms number migrations in separate ranges, so a lower-numbered one (another room's) can
 * arrive after a higher one was applied: it must still be applied, and until it is the
 * database is not current. */
static void test_gap_migration_applied_late(void **state)
{
    (void)state;
    char *uri = testutil_new_db();
    struct store *s = NULL;
    struct svp_err err;
    if (store_open(uri, STORE_OPEN_CREATE, &s, &err))
        fail_msg("open: %s", err.msg);
    int first, latest = 0, v;
    const char *name, *latest_name = NULL;
    assert_true(store_migration_info(0, &first, &name));
    for (int i = 0; store_migration_info(i, &v, &name); i++)
        if (v > latest) {
            latest = v;
            latest_name = name;
        }
    assert_true(latest > first);
    /* a database where only the highest migration was recorded */
    exec_ok(s, "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
               " applied_at TEXT NOT NULL)");
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, '%s', 'x')", latest,
             latest_name);
    exec_ok(s, sql);
    struct store_migration_status st;
    assert_int_equal(store_schema_status(s, &st, &err), 0);
    assert_int_equal(st.current, latest);
    assert_int_equal(st.pending, known_migrations() - 1);
    assert_int_equal(store_require_current(s, &err), SVP_ECONFLICT);
    assert_non_null(strstr(err.msg, "svp db migrate"));
    bool applied = true;
    assert_int_equal(store_migration_applied(s, first, &applied, &err), 0);
    assert_false(applied);
    assert_int_equal(store_migrate(s, &st, &err), 0);
    assert_int_equal(st.applied, known_migrations() - 1);
    assert_int_equal(st.pending, 0);
    assert_int_equal(store_migration_applied(s, first, &applied, &err), 0);
    assert_true(applied);
    assert_int_equal(store_require_current(s, &err), 0);
    int64_t n = 0;
    assert_int_equal(store_query_int64(s, "SELECT count(*) FROM schema_migrations", &n, &err), 0);
    assert_int_equal(n, known_migrations());
    store_close(&s);
    testutil_drop_db(&uri);
}

static void test_open_errors(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct svp_err err;
    assert_int_equal(store_open("mysql://localhost/x", 0, &s, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "unknown database scheme"));
    assert_int_equal(store_open("", 0, &s, &err), SVP_EUSAGE);
    assert_int_equal(store_open("/nonexistent/dir/x.db", 0, &s, &err), SVP_ENOTFOUND);
    assert_int_equal(store_open("postgresql://svp:secret@127.0.0.1:1/none", 0, &s, &err),
                     SVP_EDB);
    assert_null(strstr(err.msg, "secret"));
    assert_null(s);
    /* A file that is not a database is refused and left as it was. */
    char *dir = testutil_tmpdir();
    char *path = testutil_write_file(dir, "junk.db", "this is not sqlite, just text\n", 30);
    assert_int_equal(store_open(path, STORE_OPEN_CREATE, &s, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "not a database"));
    FILE *fp = fopen(path, "rb");
    char buf[64] = {0};
    assert_int_equal(fread(buf, 1, sizeof buf, fp), 30);
    fclose(fp);
    assert_string_equal(buf, "this is not sqlite, just text\n");
    free(path);
    testutil_rmdir(&dir);
}

/* COPY's text format through libpq (PostgreSQL; SQLite has none and says so): escapes
 * arrive whole, \N is NULL, queued statements go first, and a row the server refuses fails
 * the call with the server's line and leaves the transaction to roll back: nothing kept. */
static void test_copy_in(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t n = -1;
    exec_ok(f->s, "CREATE TABLE c (k TEXT, n BIGINT)");
    /* In COPY text: a, an escaped backslash, b, an escaped tab, c, an escaped line end, d. */
    static const char rows[] = "a\\\\b\\tc\\nd\t1\n\\N\t2\nplain\t\\N\n";
    if (!testutil_backend_is_pg()) {
        assert_int_equal(store_copy_in(f->s, "COPY c (k, n) FROM STDIN", rows,
                                       sizeof rows - 1, &err), SVP_EINTERNAL);
        return;
    }
    assert_int_equal(store_begin(f->s, &err), 0);
    struct store_stmt *ins = NULL;
    assert_int_equal(store_prepare(f->s, "INSERT INTO c (k, n) VALUES ('queued', 0)", &ins,
                                   &err), 0);
    assert_int_equal(store_queue(ins, &err), 0);
    store_finalize(&ins);
    if (store_copy_in(f->s, "COPY c (k, n) FROM STDIN", rows, sizeof rows - 1, &err))
        fail_msg("copy: %s", err.msg);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM c", &n, &err), 0);
    assert_int_equal(n, 4);
    assert_int_equal(store_query_int64(f->s, "SELECT n FROM c WHERE k = 'a' || chr(92) || "
                                       "'b' || chr(9) || 'c' || chr(10) || 'd'", &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_query_int64(f->s, "SELECT n FROM c WHERE k IS NULL", &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM c WHERE k = 'plain' AND "
                                       "n IS NULL", &n, &err), 0);
    assert_int_equal(n, 1);
    /* A bad row: the call fails, and the transaction keeps nothing. */
    static const char bad[] = "x\t7\ny\tnot a number\n";
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_copy_in(f->s, "COPY c (k, n) FROM STDIN", bad, sizeof bad - 1, &err),
                     SVP_EDB);
    assert_non_null(strstr(err.msg, "COPY failed"));
    store_rollback(f->s);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM c", &n, &err), 0);
    assert_int_equal(n, 4);
    /* No such table: refused before any row is sent. */
    assert_int_equal(store_copy_in(f->s, "COPY no_such (k) FROM STDIN", "a\n", 2, &err),
                     SVP_EDB);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM c", &n, &err), 0);
    assert_int_equal(n, 4);
}

/* store_insert_rows (SQLite): rows made in C go in by one INSERT ... SELECT from svp_rows,
 * in order (ids as row-by-row inserts give them), with text, whole numbers and NULLs; a row
 * the table refuses fails the call and the transaction keeps none of them; an empty batch
 * does nothing; a column count out of range and PostgreSQL are refused. */
static void test_insert_rows(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t n = -1;
    exec_ok(f->s, "CREATE TABLE r (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, n BIGINT)");
    static const char sql[] = "INSERT INTO r (k, n) SELECT c0, c1 FROM svp_rows WHERE true "
                              "ON CONFLICT (k) DO NOTHING";
    const struct store_val v[] = {
        {STORE_V_TEXT, "first", 0},  {STORE_V_INT, NULL, 7},
        {STORE_V_TEXT, "it's", 0},   {STORE_V_NULL, NULL, 0},
        {STORE_V_TEXT, "first", 0},  {STORE_V_INT, NULL, 9}, /* the same key: skipped */
        {STORE_V_TEXT, "last", 0},   {STORE_V_INT, NULL, -3},
    };
    if (testutil_backend_is_pg()) {
        assert_int_equal(store_insert_rows(f->s, sql, v, 4, 2, &err), SVP_EINTERNAL);
        return;
    }
    assert_int_equal(store_insert_rows(f->s, sql, v, 4, 0, &err), SVP_EINTERNAL);
    assert_int_equal(store_insert_rows(f->s, sql, v, 4, STORE_ROWS_MAX_COLS + 1, &err),
                     SVP_EINTERNAL);
    assert_int_equal(store_begin(f->s, &err), 0);
    if (store_insert_rows(f->s, sql, v, 4, 2, &err))
        fail_msg("insert rows: %s", err.msg);
    assert_int_equal(store_insert_rows(f->s, sql, v, 0, 2, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM r", &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM r WHERE (id, k, n) IN "
                                       "(VALUES (1, 'first', 7), (3, 'last', -3)) OR (id = 2 "
                                       "AND k = 'it''s' AND n IS NULL)", &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM r WHERE typeof(n) = "
                                       "'integer'", &n, &err), 0);
    assert_int_equal(n, 2);
    /* A NULL where the table wants a value: nothing of the batch is kept. */
    const struct store_val bad[] = {{STORE_V_TEXT, "more", 0}, {STORE_V_INT, NULL, 1},
                                    {STORE_V_NULL, NULL, 0},   {STORE_V_INT, NULL, 2}};
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_not_equal(store_insert_rows(f->s, sql, bad, 2, 2, &err), 0);
    store_rollback(f->s);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM r", &n, &err), 0);
    assert_int_equal(n, 3);
    /* Outside a call the table is empty. */
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM svp_rows", &n, &err), 0);
    assert_int_equal(n, 0);
}

/* store_bulk: the same rows on both back ends, values that need escaping in COPY text, NULLs,
 * doubles that must come back bit for bit, more rows than one 16 MB piece, and its refusals. */
static void test_bulk(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t n = -1;
    exec_ok(f->s, "CREATE TABLE b (id {{ID}}, k TEXT, n BIGINT, x {{REAL}})");
    assert_int_equal(store_begin(f->s, &err), 0);
    struct store_bulk *b = NULL;
    if (store_bulk_open(f->s, "b", "k, n, x", 3, &b, &err))
        fail_msg("open: %s", err.msg);
    store_bulk_text(b, "a\\b\tc\nd\re");
    store_bulk_int64(b, INT64_MIN);
    store_bulk_double(b, 0.1 + 0.2);
    assert_int_equal(store_bulk_row(b, &err), 0);
    store_bulk_text(b, NULL);
    store_bulk_null(b);
    store_bulk_double(b, NAN);
    assert_int_equal(store_bulk_row(b, &err), 0);
    /* 180,000 rows of ~110 bytes: past the 16 MB at which PostgreSQL's piece is sent. */
    char big[101];
    memset(big, 'z', 100);
    big[100] = 0;
    for (int i = 0; i < 180000; i++) {
        store_bulk_text(b, big);
        store_bulk_int64(b, i);
        store_bulk_double(b, i / 7.0);
        if (store_bulk_row(b, &err))
            fail_msg("row %d: %s", i, err.msg);
    }
    /* A row of the wrong width is refused. */
    store_bulk_int64(b, 1);
    assert_int_equal(store_bulk_row(b, &err), SVP_EINTERNAL);
    /* An unfinished row is refused at finish. */
    store_bulk_text(b, "half");
    assert_int_equal(store_bulk_finish(b, &err), SVP_EINTERNAL);
    store_bulk_null(b);
    store_bulk_null(b);
    assert_int_equal(store_bulk_row(b, &err), 0);
    if (store_bulk_finish(b, &err))
        fail_msg("finish: %s", err.msg);
    store_bulk_free(&b);
    assert_null(b);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM b", &n, &err), 0);
    assert_int_equal(n, 180003);
    /* Rows in the order given: ids the table assigns follow it. */
    assert_int_equal(store_query_int64(f->s, "SELECT id FROM b WHERE n = 179999", &n, &err), 0);
    assert_int_equal(n, 180002);
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(f->s, "SELECT count(*) FROM b WHERE id = 1 AND k = ? "
                                   "AND n = -9223372036854775807 - 1", &st, &err), 0);
    assert_int_equal(store_bind_text(st, 1, "a\\b\tc\nd\re", -1), 0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_int_equal(store_column_int64(st, 0), 1);
    store_finalize(&st);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM b WHERE id = 2 AND k IS NULL "
                                       "AND n IS NULL AND x IS NULL", &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_prepare(f->s, "SELECT x FROM b WHERE id = 1 OR n = 12345 ORDER BY id",
                                   &st, &err), 0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_true(store_column_double(st, 0) == 0.1 + 0.2);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_true(store_column_double(st, 0) == 12345 / 7.0);
    store_finalize(&st);
    /* No such table: on SQLite at open, on PostgreSQL when the rows are sent. */
    assert_int_equal(store_begin(f->s, &err), 0);
    int rc = store_bulk_open(f->s, "no_such", "k", 1, &b, &err);
    if (!rc) {
        store_bulk_text(b, "x");
        assert_int_equal(store_bulk_row(b, &err), 0);
        rc = store_bulk_finish(b, &err);
    }
    assert_int_equal(rc, SVP_EDB);
    store_bulk_free(&b);
    store_rollback(f->s);
    assert_int_equal(store_bulk_open(f->s, "b", "k", 0, &b, &err), SVP_EINTERNAL);
    assert_null(b);
}

/* store_fk_hold/restore: a table's foreign keys checked once after a bulk write. As the
 * test server's superuser the triggers stop until the restore (a dangling row goes in), the
 * named table is locked against writers, not readers, and the restore checks every row: rows
 * naming stored rows pass and the triggers are back (a dangling row refused as before); a
 * dangling row fails the restore with SVP_EINTERNAL. A role that may not set the parameter,
 * and SQLite, hold nothing: the row is refused at once, as always. Outside a transaction:
 * refused. */
static void test_fk_hold(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t n = -1;
    exec_ok(f->s, "CREATE TABLE fk_p (id BIGINT PRIMARY KEY); "
                  "CREATE TABLE fk_c (p BIGINT NOT NULL REFERENCES fk_p(id), "
                  "q BIGINT REFERENCES fk_p(id)); INSERT INTO fk_p (id) VALUES (1), (2)");
    struct store_fk_hold *h = NULL;
    bool pg = testutil_backend_is_pg();
    if (pg) {
        assert_int_equal(store_fk_hold(f->s, "fk_c", &h, &err), SVP_EINTERNAL);
        assert_null(h);
    }
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_fk_hold(f->s, "fk_c", &h, &err), 0);
    if (!pg) {
        assert_null(h);
        assert_int_not_equal(store_exec(f->s, "INSERT INTO fk_c (p) VALUES (9)", &err), 0);
        store_rollback(f->s);
        return;
    }
    assert_non_null(h);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM pg_locks WHERE pid = "
                                       "pg_backend_pid() AND relation = 'fk_p'::regclass AND "
                                       "mode = 'ShareRowExclusiveLock'", &n, &err), 0);
    assert_int_equal(n, 1);
    exec_ok(f->s, "INSERT INTO fk_c (p, q) VALUES (1, 2), (2, NULL)");
    assert_int_equal(store_fk_restore(f->s, &h, &err), 0);
    assert_null(h);
    assert_int_not_equal(store_exec(f->s, "INSERT INTO fk_c (p) VALUES (9)", &err), 0);
    store_rollback(f->s);
    /* a dangling row while held: refused at the restore */
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_fk_hold(f->s, "fk_c", &h, &err), 0);
    exec_ok(f->s, "INSERT INTO fk_c (p, q) VALUES (1, 7)");
    assert_int_equal(store_fk_restore(f->s, &h, &err), SVP_EINTERNAL);
    assert_null(h);
    store_rollback(f->s);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM fk_c", &n, &err), 0);
    assert_int_equal(n, 0);
    /* a role without the privilege: nothing held, the trigger refuses the row */
    char role[32], sql[512];
    snprintf(role, sizeof role, "svp_t_fk_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "DROP ROLE IF EXISTS %s; CREATE ROLE %s; GRANT ALL ON ALL TABLES "
                              "IN SCHEMA public TO %s; GRANT ALL ON ALL SEQUENCES IN SCHEMA "
                              "public TO %s; SET ROLE %s", role, role, role, role, role);
    exec_ok(f->s, sql);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_fk_hold(f->s, "fk_c", &h, &err), 0);
    assert_null(h);
    assert_int_not_equal(store_exec(f->s, "INSERT INTO fk_c (p) VALUES (9)", &err), 0);
    store_rollback(f->s);
    snprintf(sql, sizeof sql, "RESET ROLE; DROP OWNED BY %s; DROP ROLE %s", role, role);
    exec_ok(f->s, sql);
}

static void test_dialect(void **state)
{
    (void)state;
    char *a = store_dialect_sql(STORE_SQLITE, "CREATE TABLE x (id {{ID}}, v {{REAL}}, {x})");
    assert_string_equal(a, "CREATE TABLE x (id INTEGER PRIMARY KEY, v REAL, {x})");
    free(a);
    a = store_dialect_sql(STORE_POSTGRES, "{{BLOB}} {{REAL}}");
    assert_string_equal(a, "BYTEA DOUBLE PRECISION");
    free(a);
    /* A part for PostgreSQL alone. */
    static const char pg[] = "A; {{PG}}B {{ID}};{{/PG}} C{{PG}}D{{/PG}}";
    a = store_dialect_sql(STORE_SQLITE, pg);
    assert_string_equal(a, "A;  C");
    free(a);
    a = store_dialect_sql(STORE_POSTGRES, pg);
    assert_string_equal(a, "A; B BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY; CD");
    free(a);
    assert_null(store_dialect_sql(STORE_POSTGRES, "A {{PG}} B"));
    assert_null(store_dialect_sql(STORE_SQLITE, "A {{PG}} B"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_is_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sqlite_session_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_question_mark_in_literal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_text_ref, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fk_hold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_rows, setup, teardown),
        cmocka_unit_test(test_data_version_classifier),
        cmocka_unit_test_setup_teardown(test_data_version_bumps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_data_version_every_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test(test_gap_migration_applied_late),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_dialect),
    };
    return cmocka_run_group_tests_name(testutil_backend_is_pg() ? "store-postgres" : "store-sqlite",
                                       tests, NULL, NULL);
}
