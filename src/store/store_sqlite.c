/* SQLite back end: one file, WAL journal, foreign keys on. */
#include "store_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

/* A connection and its parked statements: store_finalize parks a statement (reset, bindings
 * cleared) instead of freeing it, and store_prepare of the same SQL text takes it back, so
 * a server answering the same few queries does not parse them again on every request. */
#define PARK_SLOTS 32

struct sqlite_conn {
    sqlite3 *db;
    struct {
        sqlite3_stmt *st; /* NULL: free slot */
        uint64_t used;
    } park[PARK_SLOTS];
    uint64_t clock;
    /* the rows svp_rows reads (store_insert_rows), or NULL */
    const struct store_val *rows;
    size_t nrows;
    int ncols;
};

static sqlite3 *db_of(struct store *s)
{
    return s->impl ? ((struct sqlite_conn *)s->impl)->db : NULL;
}

static sqlite3_stmt *stmt_of(struct store_stmt *st)
{
    return st->impl;
}

/* The status and message for a failure with SQLite result code code (primary) and ext
 * (extended): the ordinary conditions of a file, a disk and other writers get a line a person
 * can act on; the rest keep SQLite's own words after what. */
static int fail(struct store *s, int code, int ext, const char *what, const char *detail,
                struct svp_err *err)
{
    char waited[32];
    store_wait_text(s, waited, sizeof waited);
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        if (ext == SQLITE_BUSY_SNAPSHOT)
            return svp_err_set(err, SVP_ECONFLICT,
                               "%s: another svp process changed the database during this "
                               "command; nothing was saved: run it again",
                               s->desc);
        return svp_err_set(err, SVP_ECONFLICT,
                           "%s: another svp process (an import, a link or a save) is writing "
                           "the database; svp waited %s: run the command again when it "
                           "has finished, or wait longer with --wait SECONDS",
                           s->desc, waited);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
        return svp_err_set(err, SVP_EIO,
                           "%s: the database is read-only for this user: svp must write the "
                           "file and create its -wal and -shm files beside it; check the "
                           "permissions of the file and its directory",
                           s->desc);
    case SQLITE_FULL:
        return svp_err_set(err, SVP_EIO,
                           "%s: the disk holding the database is full; the change was not "
                           "saved: free some space and run the command again",
                           s->desc);
    case SQLITE_IOERR:
        return svp_err_set(err, SVP_EIO,
                           "%s: the disk failed a read or write of the database (%s); the "
                           "change was not saved: check the disk and run the command again",
                           s->desc, sqlite3_errstr(ext));
    default:
        break;
    }
    int status = code == SQLITE_NOTADB || code == SQLITE_CORRUPT || code == SQLITE_CONSTRAINT
                     ? SVP_EINPUT
                 : code == SQLITE_NOMEM ? SVP_ENOMEM
                                        : SVP_EDB;
    if (what)
        return svp_err_set(err, status, "%s: %s: %s", s->desc, what, detail);
    return svp_err_set(err, status, "%s: %s", s->desc, detail);
}

static int db_error(struct store *s, struct svp_err *err, const char *what)
{
    sqlite3 *db = db_of(s);
    if (!db)
        return svp_err_set(err, SVP_EDB, "%s: %s: cannot open", s->desc, what);
    return fail(s, sqlite3_errcode(db), sqlite3_extended_errcode(db), what, sqlite3_errmsg(db),
                err);
}

/* Session settings. WAL lets readers (the web server) run beside one writer (an import).
 * The write-ahead log grows while readers keep old snapshots open (a busy web server beside
 * an import grew it past 600 MB); journal_size_limit truncates it back to 64 MB once a
 * checkpoint has emptied it, instead of keeping the largest size it ever reached. */
static const char *const sqlite_setup =
    "PRAGMA foreign_keys = ON;"
    "PRAGMA journal_mode = WAL;"
    "PRAGMA journal_size_limit = 67108864;"
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA temp_store = MEMORY;";

/* ------------------------------------------------------------------ svp_rows
 * An eponymous virtual table over the rows store_insert_rows was given: columns c0..c23,
 * read in order, one scan. SQLite's own INSERT ... SELECT then stores them, with one
 * statement's setup, cursors and checks for all of them instead of one per row. */
struct rows_vtab {
    sqlite3_vtab base;
    struct sqlite_conn *conn; /* the connection it was registered on */
};

struct rows_cursor {
    sqlite3_vtab_cursor base;
    size_t i;
};

static int rows_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **errmsg)
{
    (void)argc, (void)argv, (void)errmsg;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, "
                                      "c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, "
                                      "c21, c22, c23)");
    if (rc != SQLITE_OK)
        return rc;
    struct rows_vtab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    t->conn = aux;
    *out = &t->base;
    return SQLITE_OK;
}

static int rows_disconnect(sqlite3_vtab *t)
{
    sqlite3_free(t);
    return SQLITE_OK;
}

static int rows_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
    (void)t;
    info->estimatedCost = 1e6;
    return SQLITE_OK;
}

static int rows_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
    (void)t;
    struct rows_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int rows_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

static int rows_filter(sqlite3_vtab_cursor *c, int idx, const char *idxs, int argc,
                       sqlite3_value **argv)
{
    (void)idx, (void)idxs, (void)argc, (void)argv;
    ((struct rows_cursor *)c)->i = 0;
    return SQLITE_OK;
}

static int rows_next(sqlite3_vtab_cursor *c)
{
    ((struct rows_cursor *)c)->i++;
    return SQLITE_OK;
}

static struct sqlite_conn *rows_conn(sqlite3_vtab_cursor *c)
{
    return ((struct rows_vtab *)c->pVtab)->conn;
}

static int rows_eof(sqlite3_vtab_cursor *c)
{
    struct sqlite_conn *conn = rows_conn(c);
    return !conn->rows || ((struct rows_cursor *)c)->i >= conn->nrows;
}

static int rows_column(sqlite3_vtab_cursor *c, sqlite3_context *cx, int col)
{
    struct sqlite_conn *conn = rows_conn(c);
    if (col >= conn->ncols)
        return SQLITE_OK; /* NULL */
    const struct store_val *v = &conn->rows[((struct rows_cursor *)c)->i * (size_t)conn->ncols + (size_t)col];
    if (v->kind == STORE_V_TEXT) /* a length given saves SQLite a scan for the NUL */
        sqlite3_result_text(cx, v->s, v->i > 0 && v->i <= INT32_MAX ? (int)v->i : -1,
                            SQLITE_STATIC);
    else if (v->kind == STORE_V_INT)
        sqlite3_result_int64(cx, v->i);
    return SQLITE_OK;
}

static int rows_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *out)
{
    *out = (sqlite3_int64)((struct rows_cursor *)c)->i;
    return SQLITE_OK;
}

static const sqlite3_module rows_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: "FROM svp_rows", no CREATE VIRTUAL TABLE */
    .xConnect = rows_connect,
    .xBestIndex = rows_best_index,
    .xDisconnect = rows_disconnect,
    .xOpen = rows_open,
    .xClose = rows_close,
    .xFilter = rows_filter,
    .xNext = rows_next,
    .xEof = rows_eof,
    .xColumn = rows_column,
    .xRowid = rows_rowid,
};

static void sqlite_rows_set(struct store *s, const struct store_val *vals, size_t nrows,
                            int ncols)
{
    struct sqlite_conn *conn = s->impl;
    conn->rows = vals;
    conn->nrows = nrows;
    conn->ncols = ncols;
}

/* Debian's SQLite is built without lookaside memory (SQLITE_OMIT_LOOKASIDE), so each cursor
 * a statement opens and each record it builds is a malloc and a free; with memory statistics
 * on (SQLite's default) every one of them also takes a global mutex to count itself. svp
 * reads none of those statistics (no sqlite3_memory_used, no soft heap limit), so they are
 * turned off before SQLite starts: an import does millions of these. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup_once(void)
{
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK)
        (void)sqlite3_initialize();
}

static int sqlite_open(struct store *s, const char *path, unsigned flags, struct svp_err *err)
{
    pthread_once(&sqlite_once, sqlite_setup_once);
    struct stat sb;
    if (!(flags & STORE_OPEN_CREATE) && stat(path, &sb) != 0)
        return svp_err_set(err, SVP_ENOTFOUND,
                           "%s: database file does not exist; create it with 'svp db migrate'",
                           s->desc);
    /* NOMUTEX: a connection is used by one thread at a time (store.h; the server hands its
     * pool's connections out under a lock), so SQLite's per-connection mutex, taken on every
     * bind and step, only costs time (an import binds millions of values). */
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                 (flags & STORE_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
    struct sqlite_conn *conn = svp_calloc(1, sizeof *conn);
    if (!conn)
        return svp_err_set(err, SVP_ENOMEM, "%s: out of memory opening", s->desc);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, oflags, NULL);
    conn->db = db;
    s->impl = conn;
    if (rc != SQLITE_OK) {
        int status = db_error(s, err, "cannot open");
        sqlite3_close(db);
        svp_free(conn);
        s->impl = NULL;
        return status;
    }
    sqlite3_extended_result_codes(db, 0);
    sqlite3_busy_timeout(db, s->wait_ms);
    /* Read the header before any write so that a file that is not a database is refused
     * untouched. */
    rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
    if (rc == SQLITE_OK && sqlite3_db_readonly(db, "main") == 1) {
        int status = fail(s, SQLITE_READONLY, SQLITE_READONLY, NULL, "", err);
        sqlite3_close(db);
        svp_free(conn);
        s->impl = NULL;
        return status;
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sqlite_setup, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_module(db, "svp_rows", &rows_module, conn);
    if (rc != SQLITE_OK) {
        int status = db_error(s, err, "not a usable SQLite database");
        sqlite3_close(db);
        svp_free(conn);
        s->impl = NULL;
        return status;
    }
    return SVP_OK;
}

/* SQLite's default allocator, wrapped by the torture allocator below. Set once by
 * store_sqlite_torture before SQLite starts, read-only afterwards. */
static sqlite3_mem_methods torture_base;

static void *torture_malloc(int n)
{
    return svp_mem_fail_now() ? NULL : torture_base.xMalloc(n);
}

static void *torture_realloc(void *p, int n)
{
    return svp_mem_fail_now() ? NULL : torture_base.xRealloc(p, n);
}

int store_sqlite_torture(struct svp_err *err)
{
    sqlite3_mem_methods m;
    if (sqlite3_shutdown() != SQLITE_OK ||
        sqlite3_config(SQLITE_CONFIG_GETMALLOC, &torture_base) != SQLITE_OK)
        return svp_err_set(err, SVP_EINTERNAL, "cannot reconfigure SQLite's allocator");
    m = torture_base;
    m.xMalloc = torture_malloc;
    m.xRealloc = torture_realloc;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK ||
        sqlite3_initialize() != SQLITE_OK)
        return svp_err_set(err, SVP_EINTERNAL, "cannot reconfigure SQLite's allocator");
    return SVP_OK;
}

static int sqlite_set_wait(struct store *s, struct svp_err *err)
{
    (void)err;
    sqlite3_busy_timeout(db_of(s), s->wait_ms);
    return SVP_OK;
}

static void sqlite_close(struct store *s)
{
    struct sqlite_conn *conn = s->impl;
    if (conn) {
        for (int i = 0; i < PARK_SLOTS; i++)
            sqlite3_finalize(conn->park[i].st);
        sqlite3_close(conn->db);
        svp_free(conn);
    }
    s->impl = NULL;
}

static int sqlite_exec(struct store *s, const char *sql, struct svp_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return SVP_OK;
    sqlite3 *db = db_of(s);
    int status = fail(s, rc & 0xff, db ? sqlite3_extended_errcode(db) : rc, NULL,
                      msg ? msg : sqlite3_errstr(rc), err);
    sqlite3_free(msg);
    return status;
}

static int sqlite_prepare(struct store *s, const char *sql, struct store_stmt *st,
                          struct svp_err *err)
{
    struct sqlite_conn *conn = s->impl;
    for (int i = 0; i < PARK_SLOTS; i++)
        if (conn->park[i].st && !strcmp(sqlite3_sql(conn->park[i].st), sql)) {
            st->impl = conn->park[i].st;
            conn->park[i].st = NULL;
            return SVP_OK;
        }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3(db_of(s), sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
        SQLITE_OK)
        return db_error(s, err, "cannot prepare statement");
    st->impl = stmt;
    return SVP_OK;
}

static int bind_status(int rc)
{
    return rc == SQLITE_OK ? SVP_OK : rc == SQLITE_NOMEM ? SVP_ENOMEM : SVP_EINTERNAL;
}

static int sqlite_bind_text(struct store_stmt *st, int idx, const char *text, size_t len)
{
    return bind_status(sqlite3_bind_text64(stmt_of(st), idx, text, len, SQLITE_TRANSIENT,
                                           SQLITE_UTF8));
}

static int sqlite_bind_text_ref(struct store_stmt *st, int idx, const char *text, size_t len)
{
    return bind_status(sqlite3_bind_text64(stmt_of(st), idx, text, len, SQLITE_STATIC,
                                           SQLITE_UTF8));
}

static int sqlite_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
    return bind_status(sqlite3_bind_int64(stmt_of(st), idx, v));
}

static int sqlite_bind_double(struct store_stmt *st, int idx, double v)
{
    return bind_status(sqlite3_bind_double(stmt_of(st), idx, v));
}

static int sqlite_bind_null(struct store_stmt *st, int idx)
{
    return bind_status(sqlite3_bind_null(stmt_of(st), idx));
}

static int sqlite_step(struct store_stmt *st, struct svp_err *err)
{
    int rc = sqlite3_step(stmt_of(st));
    if (rc == SQLITE_ROW)
        return STORE_ROW;
    if (rc == SQLITE_DONE)
        return STORE_DONE;
    int status = db_error(st->s, err, "statement failed");
    sqlite3_reset(stmt_of(st));
    return status;
}

static int sqlite_column_count(struct store_stmt *st)
{
    return sqlite3_column_count(stmt_of(st));
}

static const char *sqlite_column_name(struct store_stmt *st, int col)
{
    return sqlite3_column_name(stmt_of(st), col);
}

static const char *sqlite_column_text(struct store_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(stmt_of(st), col);
}

static int64_t sqlite_column_int64(struct store_stmt *st, int col)
{
    return sqlite3_column_int64(stmt_of(st), col);
}

static double sqlite_column_double(struct store_stmt *st, int col)
{
    return sqlite3_column_double(stmt_of(st), col);
}

static bool sqlite_column_is_null(struct store_stmt *st, int col)
{
    return sqlite3_column_type(stmt_of(st), col) == SQLITE_NULL;
}

static int64_t sqlite_last_id(struct store_stmt *st)
{
    return sqlite3_last_insert_rowid(db_of(st->s));
}

static int64_t sqlite_changes(struct store_stmt *st)
{
    return sqlite3_changes64(db_of(st->s));
}

static void sqlite_reset(struct store_stmt *st)
{
    sqlite3_reset(stmt_of(st));
}

static void sqlite_finalize(struct store_stmt *st)
{
    struct sqlite_conn *conn = st->s->impl;
    sqlite3_stmt *stmt = stmt_of(st);
    st->impl = NULL;
    if (!stmt)
        return;
    /* Park it for the next prepare of the same text; evict the least recently parked. */
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    int slot = 0;
    for (int i = 0; i < PARK_SLOTS; i++) {
        if (!conn->park[i].st) {
            slot = i;
            break;
        }
        if (conn->park[i].used < conn->park[slot].used)
            slot = i;
    }
    sqlite3_finalize(conn->park[slot].st);
    conn->park[slot].st = stmt;
    conn->park[slot].used = ++conn->clock;
}

const struct store_ops store_sqlite_ops = {
    .open = sqlite_open,
    .close = sqlite_close,
    .exec = sqlite_exec,
    .prepare = sqlite_prepare,
    .bind_text = sqlite_bind_text,
    .bind_text_ref = sqlite_bind_text_ref,
    .bind_int64 = sqlite_bind_int64,
    .bind_double = sqlite_bind_double,
    .bind_null = sqlite_bind_null,
    .step = sqlite_step,
    .column_count = sqlite_column_count,
    .column_name = sqlite_column_name,
    .column_text = sqlite_column_text,
    .column_int64 = sqlite_column_int64,
    .column_double = sqlite_column_double,
    .column_is_null = sqlite_column_is_null,
    .changes = sqlite_changes,
    .last_id = sqlite_last_id,
    .rows_set = sqlite_rows_set,
    .reset = sqlite_reset,
    .finalize = sqlite_finalize,
    .set_wait = sqlite_set_wait,
};
