/* Shared helpers for svp's cmocka unit tests. */
#ifndef SVP_TESTUTIL_H
#define SVP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "clock/clock.h"
#include "store/store.h"

/* The back end under test: "sqlite" unless SVP_TEST_BACKEND=postgres. */
bool testutil_backend_is_pg(void);

/* A fresh, empty database for one test: a temporary SQLite file, or a new PostgreSQL
 * database on the server that $SVP_TEST_PG_URI names (created through its maintenance
 * database). Returns an owned URI; testutil_drop_db removes the database and frees it.
 * Fails the test when PostgreSQL is asked for and not reachable. */
char *testutil_new_db(void);
void testutil_drop_db(char **uri);

/* A cmocka fixture holding a fresh, migrated database (setup) that teardown drops. */
struct testutil_db {
    char *uri;
    struct store *s;
};
int testutil_db_setup(void **state);
int testutil_db_teardown(void **state);

/* A cmocka fixture for the clock and registers rooms: a fresh, migrated database, the
 * embedded clock rules and a working-day calendar. testutil_clock_setup uses the embedded
 * calendar; testutil_clock_setup_db_calendar the calendar in use in the database (as the
 * registers room does). testutil_clock_teardown frees it all and drops the database. */
struct testutil_clock {
    char *uri;
    struct store *s;
    struct svp_calendar *cal;
    struct clock_rules *rules;
};
int testutil_clock_setup(void **state);
int testutil_clock_setup_db_calendar(void **state);
int testutil_clock_teardown(void **state);

/* Opens and migrates a fresh database; fails the test on error. */
struct store *testutil_open_migrated(char **uri_out);

/* Runs SQL text (with {{ID}}-style dialect tokens) on s; fails the test on error. */
void testutil_exec(struct store *s, const char *sql);

/* Runs one statement with n text parameters (NULL binds NULL); fails the test on error. */
void testutil_insert(struct store *s, const char *sql, int n, const char *const *v);

/* The highest id of a table (0 when empty); fails the test on error. */
int64_t testutil_last_id(struct store *s, const char *table);

/* The day an ISO date names; fails the test if it is not a real date. */
svp_day testutil_day(const char *iso);

/* A temporary directory for one test (owned path); testutil_rmdir removes it. */
char *testutil_tmpdir(void);
void testutil_rmdir(char **path);

/* Writes text to dir/name and returns the owned full path. */
char *testutil_write_file(const char *dir, const char *name, const char *text, size_t len);

#endif
