/*
 * store: the door of svp's storage room.
 *
 * One interface over two back ends, chosen by a URI:
 *   svp.db, sqlite:PATH         SQLite file (the embedded default, WAL journal)
 *   postgresql://..., postgres://...   PostgreSQL through libpq
 *
 * SQL is written once, with `?` placeholders; the PostgreSQL back end numbers them.
 * Prepared, parameterised statements only: values never go into SQL text.
 * Schema migrations are .sql files in src/store/migrations, embedded at build time,
 * applied in order, each in its own transaction, and recorded in schema_migrations.
 * Dialect differences live in one place (store_dialect_sql): migrations may use
 *   {{ID}}    an auto-numbered BIGINT primary key
 *   {{REAL}}  a double-precision column
 *   {{BLOB}}  a byte string column
 *   {{PG}} ... {{/PG}}  statements for PostgreSQL alone (left out on SQLite)
 */
#ifndef SVP_STORE_H
#define SVP_STORE_H

#include "base/base.h"

enum store_kind { STORE_SQLITE, STORE_POSTGRES };

enum store_open_flags {
    STORE_OPEN_CREATE = 1, /* create a missing SQLite file (never affects PostgreSQL) */
};

/* store_step results */
enum { STORE_DONE = 0, STORE_ROW = 1 };

struct store;
struct store_stmt;

/* Opens the database that uri names (borrows uri). A missing SQLite file is an error
 * unless STORE_OPEN_CREATE is given; a file that is not a SQLite database, an unknown
 * scheme or an unreachable server gives SVP_EINPUT/SVP_EDB with a one-line message that
 * never contains a password. Returns an owned handle in *out. A handle and its statements
 * are used by one thread at a time (hand it between threads under a lock, as the server's
 * pool does): neither back end locks inside a connection. */
int store_open(const char *uri, unsigned flags, struct store **out, struct svp_err *err) SVP_WUR;

/* How long a statement waits for another connection's write to end before it fails with
 * SVP_ECONFLICT ("another svp process is writing the database; svp waited 10 s"): SQLite's
 * busy timeout, PostgreSQL's lock_timeout. ms from 0 to STORE_WAIT_MAX_MS; a new store
 * waits STORE_WAIT_DEFAULT_MS. Ordinary conditions of the file also fail with their own
 * status and a message a person can act on: a read-only database or directory and a full
 * disk give SVP_EIO. */
#define STORE_WAIT_DEFAULT_MS 10000
#define STORE_WAIT_MAX_MS (24 * 3600 * 1000)
int store_set_wait(struct store *s, int ms, struct svp_err *err) SVP_WUR;
int store_wait_ms(const struct store *s);

/* Tests only: routes SQLite's own allocations through svp's torture countdown
 * (svp_mem_fail_after), so that a test can fail every allocation of a whole import, link or
 * request in turn, SQLite's included. Call once, before any database is opened. */
int store_sqlite_torture(struct svp_err *err) SVP_WUR;

/* Closes and frees *s (finalize every statement first); sets *s to NULL. */
void store_close(struct store **s);

enum store_kind store_kind(const struct store *s);

/* The URI with any password removed, for messages. Borrowed from s. */
const char *store_describe(const struct store *s);

/* Runs SQL text with no parameters (one or several statements). For schema work only:
 * never build this text from values. */
int store_exec(struct store *s, const char *sql, struct svp_err *err) SVP_WUR;

/* Opens a transaction for writing. On SQLite it takes the write lock at once (BEGIN
 * IMMEDIATE), waiting up to the store's wait (store_set_wait) for another connection's
 * write to end, so writers queue at the door instead of failing midway after a read (under
 * WAL a plain BEGIN that reads and then writes fails at once while another process writes).
 * Every transaction svp opens writes. When the wait runs out: SVP_ECONFLICT, with a message
 * saying how long svp waited. */
int store_begin(struct store *s, struct svp_err *err) SVP_WUR;
/* Commits the open transaction. A commit that fails rolls the transaction back, so nothing
 * is left half open. */
int store_commit(struct store *s, struct svp_err *err) SVP_WUR;
/* Rolls back the open transaction; errors are ignored (it is the cleanup path).
 * Transactions nest: store_begin inside an open transaction opens a savepoint, which
 * store_commit releases into the outer one and store_rollback undoes; only the outermost
 * commit makes anything durable. */
void store_rollback(struct store *s);

/* Prepares one statement with `?` placeholders. Returns an owned statement in *out. */
int store_prepare(struct store *s, const char *sql, struct store_stmt **out,
                  struct svp_err *err) SVP_WUR;

/* Binding, 1-based like SQLite. Text is copied; len < 0 means NUL-terminated. A NULL
 * text binds SQL NULL. Values bound stay bound until rebound. */
int store_bind_text(struct store_stmt *st, int idx, const char *text, long len) SVP_WUR;
/* As store_bind_text, but borrows text instead of copying it: the caller keeps it alive and
 * unchanged as long as the statement may be stepped with it (until idx is rebound or the
 * statement finalized). For hot loops (an import binds millions of values), where a copy of
 * each costs a malloc and a free; back ends that must copy anyway do so. */
int store_bind_text_ref(struct store_stmt *st, int idx, const char *text, long len) SVP_WUR;
int store_bind_int64(struct store_stmt *st, int idx, int64_t v) SVP_WUR;
int store_bind_double(struct store_stmt *st, int idx, double v) SVP_WUR;
int store_bind_null(struct store_stmt *st, int idx) SVP_WUR;

/* Runs the statement or moves to its next row: STORE_ROW, STORE_DONE, or a negative
 * status with err filled. */
int store_step(struct store_stmt *st, struct svp_err *err) SVP_WUR;

/* Runs st with its current bindings when nothing is wanted from it but success: no rows,
 * no change count. PostgreSQL sends it without waiting for the answer (pipeline mode: one
 * round trip for many statements) and reads the answers when the connection is next used
 * for anything else, or at store_flush; SQLite runs it at once. The failure of a queued
 * statement is returned by that later call, and the open transaction must then be rolled
 * back. st may be rebound and queued again at once. */
int store_queue(struct store_stmt *st, struct svp_err *err) SVP_WUR;

/* Waits for every statement queued on s; returns the first failure among them. */
int store_flush(struct store *s, struct svp_err *err) SVP_WUR;

/* PostgreSQL only: runs sql, a `COPY table (columns) FROM STDIN` statement, and sends it
 * data, rows in COPY's text format (tab between values, \N for NULL, a newline after each
 * row; backslash, tab, newline and carriage return in a value escaped with a backslash), in
 * the open transaction, through libpq's COPY protocol: one round trip for any number of
 * rows. Queued statements are waited for first. A failure (a bad row, a lost connection)
 * returns SVP_EDB with the server's first line; the open transaction must then be rolled
 * back. SQLite has no COPY: SVP_EINTERNAL. */
int store_copy_in(struct store *s, const char *sql, const char *data, size_t len,
                  struct svp_err *err) SVP_WUR;

/* Bulk rows into one table, for the write paths that store many rows at once (link's persons,
 * pairs and states). On PostgreSQL the rows are written as COPY text and sent through
 * store_copy_in when 16 MB have gathered and at store_bulk_finish: one round trip per 16 MB,
 * not one per row. On SQLite, where a statement costs no round trip, each row is one run of
 * a prepared INSERT. table and columns ("a, b, c", ncols of them) are SQL text written in the
 * code, never values. Values go in column order, then store_bulk_row ends the row. Rows are
 * stored in the order given, so ids a table assigns itself follow the same order on both back
 * ends. A failure leaves the open transaction to be rolled back. */
struct store_bulk;
int store_bulk_open(struct store *s, const char *table, const char *columns, int ncols,
                    struct store_bulk **out, struct svp_err *err) SVP_WUR;
/* NULL text is SQL NULL. */
void store_bulk_text(struct store_bulk *b, const char *text);
void store_bulk_int64(struct store_bulk *b, int64_t v);
/* A NaN is SQL NULL. */
void store_bulk_double(struct store_bulk *b, double v);
void store_bulk_null(struct store_bulk *b);
/* Ends the row (on SQLite, stores it); the first failure of its values or of the row. */
int store_bulk_row(struct store_bulk *b, struct svp_err *err) SVP_WUR;
/* Sends what is gathered; every row given is then stored. */
int store_bulk_finish(struct store_bulk *b, struct svp_err *err) SVP_WUR;
/* Frees *b (rows not finished are dropped) and sets it to NULL. */
void store_bulk_free(struct store_bulk **b);

/* A table's foreign keys checked once after a bulk write into it, set-based, instead of one
 * lookup per row. PostgreSQL checks a foreign key with a trigger per row written (an executor
 * started for `SELECT 1 ... FOR KEY SHARE`), 4-7 times the cost of storing the row. Where the
 * role may set session_replication_role (a superuser, or from PostgreSQL 15 one granted SET
 * on it) and the table's keys are single columns with no trigger of the table's own,
 * store_fk_hold locks the tables the keys name IN SHARE ROW EXCLUSIVE MODE to the end of the
 * transaction (readers go on; their writers wait, as the triggers' row locks made a deleter
 * wait) and sets the parameter to `replica` for the transaction (SET LOCAL), which stops the
 * triggers; store_fk_restore sets it back to `origin` and checks every key of the table over
 * all its rows with one statement each: a row naming nothing fails with SVP_EINTERNAL (the
 * writer's fault), and the transaction is to be rolled back. Everything the session writes
 * between the two goes unchecked: only bulk writes of rows made by svp belong there. Where
 * the role may not, and on SQLite (which checks in process, cheaply), *out is NULL and the
 * keys are checked per row as always. Inside a transaction only. store_fk_restore frees *h;
 * with *h NULL it does nothing. */
struct store_fk_hold;
int store_fk_hold(struct store *s, const char *table, struct store_fk_hold **out,
                  struct svp_err *err) SVP_WUR;
int store_fk_restore(struct store *s, struct store_fk_hold **h, struct svp_err *err) SVP_WUR;
void store_fk_hold_free(struct store_fk_hold **h);

/* Columns of the current row, 0-based. Text is borrowed until the next step/reset;
 * NULL for SQL NULL. Numbers of a NULL column read as 0. */
int store_column_count(struct store_stmt *st);
const char *store_column_name(struct store_stmt *st, int col);
const char *store_column_text(struct store_stmt *st, int col);
int64_t store_column_int64(struct store_stmt *st, int col);
double store_column_double(struct store_stmt *st, int col);
bool store_column_is_null(struct store_stmt *st, int col);

/* Rows changed by the last completed INSERT/UPDATE/DELETE run of st. */
int64_t store_changes(struct store_stmt *st);

/* A value of a row for store_insert_rows. */
enum store_vkind { STORE_V_NULL, STORE_V_TEXT, STORE_V_INT };
struct store_val {
    enum store_vkind kind;
    const char *s; /* STORE_V_TEXT: NUL-terminated, borrowed for the call */
    int64_t i;     /* STORE_V_INT; STORE_V_TEXT: its length in bytes, or 0 (read to the NUL) */
};
#define STORE_ROWS_MAX_COLS 24

/* Runs sql, one statement that reads rows from the table svp_rows (columns c0, c1, ... up to
 * STORE_ROWS_MAX_COLS), over nrows rows of ncols values each, given row by row in vals:
 * an INSERT ... SELECT c0, c1, ... FROM svp_rows, so that many rows made in C go into a table
 * in one statement, as COPY does on PostgreSQL, instead of one statement each. SQLite only
 * (SVP_EINTERNAL elsewhere); in rows' order, so ids are given as row-by-row INSERTs give
 * them. */
int store_insert_rows(struct store *s, const char *sql, const struct store_val *vals,
                      size_t nrows, int ncols, struct svp_err *err) SVP_WUR;

/* SQLite: the id (rowid) its connection's last successful INSERT gave, as
 * last_insert_rowid() without running a statement; 0 on a back end that has none (PostgreSQL:
 * use RETURNING). */
int64_t store_last_id(struct store_stmt *st);

/* Makes st ready to run again (bindings are kept). */
void store_reset(struct store_stmt *st);

void store_finalize(struct store_stmt **st);

/* Convenience: prepares sql, binds no values, steps once and returns the first column of
 * the first row as int64 in *out (0 when there is no row). */
int store_query_int64(struct store *s, const char *sql, int64_t *out, struct svp_err *err) SVP_WUR;

/* The data version (migration 051): a number that goes up with every committed change to
 * what pages show. Writers need do nothing: a transaction that ran an INSERT, UPDATE,
 * DELETE, REPLACE, COPY or TRUNCATE on any table but app_session, audit_log,
 * schema_migrations and data_version bumps it just before COMMIT (a write outside a
 * transaction right after it). A statement whose text starts with the comment
 * "/" "* svp: bookkeeping *" "/" does not count (a sign-in's failure count).
 * store_data_version reads the number (SVP_ECONFLICT before migration 051). */
int store_data_version(struct store *s, int64_t *out, struct svp_err *err) SVP_WUR;
/* Whether running sql (one or several statements) counts as a change to the data. */
bool store_sql_changes_data(const char *sql);

/* Returns the SQL with {{ID}}, {{REAL}} and {{BLOB}} replaced for kind and the {{PG}} ...
 * {{/PG}} parts kept only for PostgreSQL, owned; NULL when out of memory or a {{PG}} part is
 * not closed. */
char *store_dialect_sql(enum store_kind kind, const char *sql);

/* ------------------------------------------------------------------ migrations */

struct store_migration_status {
    int current; /* highest version applied, 0 for an empty database */
    int latest;  /* highest version this svp knows */
    int applied; /* how many store_migrate applied now */
    int pending; /* migrations this svp knows that the database lacks: rooms number theirs
                    in separate ranges, so 004 may arrive after 031 has been applied */
};

/* The schema version of the database and of this svp. */
int store_schema_status(struct store *s, struct store_migration_status *st,
                        struct svp_err *err) SVP_WUR;

/* Sets *applied to whether migration version has been applied to the database. */
int store_migration_applied(struct store *s, int version, bool *applied,
                            struct svp_err *err) SVP_WUR;

/* Applies every migration the database lacks, in version order, each in a transaction.
 * A database newer than this svp is refused (SVP_ECONFLICT) and nothing is written. */
int store_migrate(struct store *s, struct store_migration_status *st,
                  struct svp_err *err) SVP_WUR;

/* Refuses a database that is newer than this svp or lacks one of its migrations. */
int store_require_current(struct store *s, struct svp_err *err) SVP_WUR;

/* Name and version of migration i (0-based) for `svp db status`; false past the end. */
bool store_migration_info(int i, int *version, const char **name);

#endif
