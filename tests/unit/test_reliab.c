/* Reliability: writers that contend, ordinary conditions of the file and the disk (busy,
 * read-only, full), each reported with its own status and a line a person can act on. Runs on
 * SQLite and on PostgreSQL (SVP_TEST_BACKEND=postgres) where the condition exists there. */
#include "testutil.h"

#include "access/access.h"
#include "faultvfs.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define fixture testutil_db
#define setup testutil_db_setup
#define teardown testutil_db_teardown

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct store *open_again(const char *uri, int wait_ms)
{
    struct store *s = NULL;
    struct svp_err err;
    if (store_open(uri, 0, &s, &err))
        fail_msg("cannot open %s again: %s", uri, err.msg);
    if (store_set_wait(s, wait_ms, &err))
        fail_msg("store_set_wait: %s", err.msg);
    return s;
}

/* A write that finds another connection's write in progress waits the store's wait, then
 * fails with SVP_ECONFLICT and says how long it waited; after the other commits it goes
 * through. */
static void test_busy_waits_then_conflicts(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);"
                        "INSERT INTO t VALUES (1, 0)");
    struct store *other = open_again(f->uri, 300);
    struct svp_err err;
    assert_int_equal(store_begin(f->s, &err), SVP_OK);
    assert_int_equal(store_exec(f->s, "UPDATE t SET v = v + 1 WHERE id = 1", &err), SVP_OK);
    double t0 = now_s();
    int rc = store_begin(other, &err);
    if (rc == SVP_OK) /* PostgreSQL locks the row, not the database */
        rc = store_exec(other, "UPDATE t SET v = v + 10 WHERE id = 1", &err);
    double waited = now_s() - t0;
    assert_int_equal(rc, SVP_ECONFLICT);
    assert_true(waited >= 0.25);
    assert_non_null(strstr(err.msg, "another svp process"));
    assert_non_null(strstr(err.msg, "svp waited 0.3 s"));
    assert_non_null(strstr(err.msg, "--wait SECONDS"));
    assert_int_equal(svp_exit_code(rc), 1);
    store_rollback(other);
    assert_int_equal(store_commit(f->s, &err), SVP_OK);
    assert_int_equal(store_begin(other, &err), SVP_OK);
    assert_int_equal(store_exec(other, "UPDATE t SET v = v + 10 WHERE id = 1", &err), SVP_OK);
    assert_int_equal(store_commit(other, &err), SVP_OK);
    int64_t v = 0;
    assert_int_equal(store_query_int64(f->s, "SELECT v FROM t WHERE id = 1", &v, &err), SVP_OK);
    assert_int_equal(v, 11);
    /* a wait out of range is refused */
    assert_int_equal(store_set_wait(other, -1, &err), SVP_EUSAGE);
    store_close(&other);
}

/* A writer that holds the database in long transactions, as an import or a link does. */
struct writer {
    const char *uri;
    int rounds, hold_ms;
    int failures;
};

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    struct store *s = open_again(w->uri, 10000);
    struct svp_err err;
    for (int i = 0; i < w->rounds; i++) {
        if (store_begin(s, &err) ||
            store_exec(s, "INSERT INTO w (v) VALUES ('import row')", &err)) {
            w->failures++;
            store_rollback(s);
            continue;
        }
        struct timespec ts = {0, (long)w->hold_ms * 1000000L};
        nanosleep(&ts, NULL);
        if (store_commit(s, &err))
            w->failures++;
        ts.tv_nsec = 2000000L;
        nanosleep(&ts, NULL);
    }
    store_close(&s);
    return NULL;
}

/* The server's audit trail keeps being written while another process writes the database in
 * transactions longer than the old retry (about 0.26 s): every entry is appended, the chain
 * verifies, and none is lost. */
static void test_audit_beside_writer(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s, "CREATE TABLE w (id {{ID}}, v TEXT)");
    struct writer w = {.uri = f->uri, .rounds = 5, .hold_ms = 400};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
    struct timespec ts = {0, 50000000L};
    nanosleep(&ts, NULL); /* let the writer take the lock first */
    struct store *audit = open_again(f->uri, 5000);
    struct access_user u = {.id = 0};
    svp_strlcpy(u.username, "reader", sizeof u.username);
    struct svp_err err;
    int ok = 0;
    for (int i = 0; i < 12; i++) {
        int rc = access_audit(audit, &u, "view", "person:1", "test", "beside a writer", &err);
        if (rc)
            print_message("audit %d failed: %s\n", i, err.msg);
        ok += rc == SVP_OK;
        ts.tv_nsec = 150000000L;
        nanosleep(&ts, NULL);
    }
    pthread_join(th, NULL);
    assert_int_equal(w.failures, 0);
    assert_int_equal(ok, 12);
    int64_t n = 0, checked = 0;
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM audit_log", &n, &err), 0);
    assert_int_equal(n, 12);
    assert_int_equal(access_audit_verify(audit, &checked, &err), SVP_OK);
    assert_int_equal(checked, 12);
    store_close(&audit);
}

/* An audit write that cannot get the lock within the wait fails (fail-closed) with the
 * busy status, after about the wait and not much longer. */
static void test_audit_fails_closed_past_the_wait(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    assert_int_equal(store_begin(f->s, &err), SVP_OK);
    testutil_exec(f->s, "CREATE TABLE hold (x INTEGER)");
    struct store *audit = open_again(f->uri, 400);
    struct access_user u = {.id = 0};
    svp_strlcpy(u.username, "reader", sizeof u.username);
    double t0 = now_s();
    int rc = access_audit(audit, &u, "view", "person:1", "test", "", &err);
    double took = now_s() - t0;
    assert_int_equal(rc, SVP_ECONFLICT);
    assert_true(took >= 0.35 && took < 3.0);
    store_rollback(f->s);
    assert_int_equal(access_audit(audit, &u, "view", "person:1", "test", "", &err), SVP_OK);
    store_close(&audit);
}

/* A full disk (here: the database may not grow past its pages) is SVP_EIO with a line that
 * says so, and the transaction rolls back whole. */
static void test_disk_full(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    testutil_exec(f->s, "CREATE TABLE big (v TEXT)");
    int64_t pages = 0;
    assert_int_equal(store_query_int64(f->s, "PRAGMA page_count", &pages, &err), SVP_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 4);
    testutil_exec(f->s, sql);
    assert_int_equal(store_begin(f->s, &err), SVP_OK);
    int rc = store_exec(f->s,
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                        "WHERE i < 2000) INSERT INTO big SELECT printf('%0500d', i) FROM n",
                        &err);
    assert_int_equal(rc, SVP_EIO);
    assert_non_null(strstr(err.msg, "disk holding the database is full"));
    assert_int_equal(svp_exit_code(rc), 1);
    store_rollback(f->s);
    int64_t n = -1;
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM big", &n, &err), SVP_OK);
    assert_int_equal(n, 0);
}

/* A database file the user may not write is refused at open with its own line (exit 1),
 * not as "not a usable SQLite database". */
static void test_read_only_database(void **state)
{
    struct fixture *f = *state;
    struct store *s = NULL;
    struct svp_err err;
    faultvfs_readonly(true);
    int rc = store_open(f->uri, 0, &s, &err);
    faultvfs_readonly(false);
    assert_int_equal(rc, SVP_EIO);
    assert_null(s);
    assert_non_null(strstr(err.msg, "the database is read-only for this user"));
    assert_null(strstr(err.msg, "not a usable"));
    assert_int_equal(svp_exit_code(rc), 1);
}

/* The disk fails or fills at each write in turn during a transaction: the failure is
 * SVP_EIO with a line that says which, and the transaction is kept whole or not at all. */
static void test_write_errors(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s, "CREATE TABLE t (v TEXT)");
    static const struct {
        enum faultvfs_fault kind;
        const char *says;
    } kinds[] = {{FAULTVFS_IOERR, "the disk failed a read or write of the database"},
                 {FAULTVFS_FULL, "the disk holding the database is full"}};
    for (size_t k = 0; k < 2; k++) {
        int failures = 0;
        for (long n = 0; n < 60; n++) {
            struct store *s = open_again(f->uri, 1000);
            struct svp_err err;
            svp_err_clear(&err);
            faultvfs_set(kinds[k].kind, n);
            int rc = store_begin(s, &err);
            if (!rc)
                rc = store_exec(s,
                                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "
                                "n WHERE i < 400) INSERT INTO t SELECT printf('%0300d', i) "
                                "FROM n",
                                &err);
            if (!rc)
                rc = store_commit(s, &err);
            bool fired = faultvfs_fired();
            faultvfs_set(FAULTVFS_NONE, 0);
            if (rc)
                store_rollback(s);
            store_close(&s);
            if (rc) {
                failures++;
                if (rc != SVP_EIO || !strstr(err.msg, kinds[k].says) || !fired)
                    fail_msg("write %ld: %d %s", n, rc, err.msg);
            }
            s = open_again(f->uri, 1000);
            int64_t count = -1;
            assert_int_equal(store_query_int64(s, "SELECT count(*) FROM t", &count, &err), 0);
            struct store_stmt *st = NULL;
            assert_int_equal(store_prepare(s, "PRAGMA integrity_check", &st, &err), 0);
            assert_int_equal(store_step(st, &err), STORE_ROW);
            assert_string_equal(store_column_text(st, 0), "ok");
            store_finalize(&st);
            if (count != (rc ? 0 : 400))
                fail_msg("write %ld: status %d and %lld rows kept", n, rc, (long long)count);
            testutil_exec(s, "DELETE FROM t");
            store_close(&s);
        }
        assert_true(failures > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_busy_waits_then_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_beside_writer, setup, teardown),
        /* SQLite only: PostgreSQL appends to the audit log beside any other writer, and its
         * disk is the server's */
        cmocka_unit_test_setup_teardown(test_audit_fails_closed_past_the_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_errors, setup, teardown),
    };
    if (faultvfs_install())
        return 1;
    size_t n = sizeof tests / sizeof *tests;
    if (testutil_backend_is_pg())
        n = 2;
    return _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
}
