/* PostgreSQL back end through libpq. Statements are prepared server-side with numbered
 * parameters; values travel as text parameters, never inside SQL. */
#include "store_int.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

struct pg_conn {
    PGconn *conn;
    unsigned long next_stmt; /* names server-side prepared statements */
    int queued;              /* statements sent in pipeline mode whose answers are unread */
    char failed[400];        /* a queued statement's failure not yet reported, or "" */
};

/* Statements in flight at most. Their answers (a few dozen bytes each) must fit the socket
 * buffers: with more, client and server could each wait for the other to read (libpq's
 * warning about pipelines on a blocking connection). */
#define PG_QUEUE_MAX 256

struct pg_stmt {
    char name[32];
    int nparams;
    char **values; /* owned copies, NULL for SQL NULL */
    int *lengths;
    PGresult *res;
    int row; /* current row; -1 before the first */
    bool executed;
};

static PGconn *conn_of(struct store *s)
{
    return ((struct pg_conn *)s->impl)->conn;
}

static struct pg_stmt *stmt_of(struct store_stmt *st)
{
    return st->impl;
}

/* libpq messages span lines ("ERROR:  ...\nDETAIL: ..."): keep the first, without the
 * severity prefix. DETAIL lines can quote row values, which may be personal data. */
static int pg_error(struct store *s, struct svp_err *err, const char *what, const char *msg)
{
    char line[400];
    if (!msg || !*msg)
        msg = "unknown error";
    if (!strncmp(msg, "ERROR:  ", 8))
        msg += 8;
    svp_strlcpy(line, msg, sizeof line);
    line[strcspn(line, "\r\n")] = '\0';
    return svp_err_set(err, SVP_EDB, "%s: %s: %s", s->desc, what, line);
}

/* A lock wait that ran out (55P03, lock_timeout: store_set_wait) or a serialization failure
 * or deadlock (class 40) is another writer's doing: SVP_ECONFLICT with a line a person can act
 * on. Otherwise returns rc unchanged. */
static int pg_conflict(struct store *s, const char *state, int rc, struct svp_err *err)
{
    char waited[32];
    store_wait_text(s, waited, sizeof waited);
    if (state && !strcmp(state, "55P03"))
        return svp_err_set(err, SVP_ECONFLICT,
                           "%s: another svp process (an import, a link or a save) is writing "
                           "the same rows; svp waited %s: run the command again when it "
                           "has finished, or wait longer with --wait SECONDS",
                           s->desc, waited);
    if (state && !strncmp(state, "40", 2))
        return svp_err_set(err, SVP_ECONFLICT,
                           "%s: another svp process changed the database during this command; "
                           "nothing was saved: run it again",
                           s->desc);
    return rc;
}

/* Reads the answers to every queued statement and leaves pipeline mode; the first failure
 * among them is kept in failed for the next call that can report it. With last, the answer
 * to the last statement queued is handed over instead (store_step's own statement). */
static void drain(struct pg_conn *pc, PGresult **last)
{
    if (!pc->queued)
        return;
    const char *why = NULL;
    bool synced = false;
    if (PQpipelineSync(pc->conn)) {
        /* Each statement's answer ends with a NULL; the sync point comes after them all. */
        for (int nulls = 0; nulls <= pc->queued && !synced;) {
            PGresult *r = PQgetResult(pc->conn);
            if (!r) {
                nulls++;
                continue;
            }
            ExecStatusType es = PQresultStatus(r);
            synced = es == PGRES_PIPELINE_SYNC;
            if (last && !synced && !*last && nulls == pc->queued - 1) {
                *last = r;
                continue;
            }
            if (!synced && es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK &&
                es != PGRES_PIPELINE_ABORTED && !pc->failed[0])
                svp_strlcpy(pc->failed, PQresultErrorMessage(r), sizeof pc->failed);
            PQclear(r);
        }
    }
    if (!synced || !PQexitPipelineMode(pc->conn))
        why = PQerrorMessage(pc->conn);
    if (why && !pc->failed[0])
        svp_strlcpy(pc->failed, *why ? why : "lost the answers to queued statements",
                    sizeof pc->failed);
    pc->queued = 0;
}

/* Drains the queue and reports a failure found there, once. */
static int queue_failure(struct store *s, struct svp_err *err)
{
    struct pg_conn *pc = s->impl;
    drain(pc, NULL);
    if (!pc->failed[0])
        return SVP_OK;
    char why[sizeof pc->failed];
    svp_strlcpy(why, pc->failed, sizeof why);
    pc->failed[0] = '\0';
    return pg_error(s, err, "queued statement failed", why);
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int pg_open(struct store *s, const char *uri, unsigned flags, struct svp_err *err)
{
    (void)flags;
    struct pg_conn *pc = svp_calloc(1, sizeof *pc);
    if (!pc)
        return svp_err_set(err, SVP_ENOMEM, "out of memory connecting to PostgreSQL");
    /* A server that does not answer should fail in seconds, not hang a command. */
    const char *keys[] = {"dbname", "connect_timeout", "application_name", NULL};
    const char *vals[] = {uri, "5", "svp", NULL};
    pc->conn = PQconnectdbParams(keys, vals, 1);
    s->impl = pc;
    if (!pc->conn || PQstatus(pc->conn) != CONNECTION_OK) {
        int rc = pg_error(s, err, "cannot connect",
                          pc->conn ? PQerrorMessage(pc->conn) : "out of memory");
        PQfinish(pc->conn);
        svp_free(pc);
        s->impl = NULL;
        return rc;
    }
    PQsetNoticeProcessor(pc->conn, ignore_notice, NULL);
    PGresult *r = PQexec(pc->conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    PQclear(r);
    return SVP_OK;
}

static void pg_close(struct store *s)
{
    struct pg_conn *pc = s->impl;
    if (!pc)
        return;
    PQfinish(pc->conn);
    svp_free(pc);
    s->impl = NULL;
}

static int pg_exec(struct store *s, const char *sql, struct svp_err *err)
{
    /* A queued statement's failure fails this call, but the statement still runs: a
     * ROLLBACK must, and a COMMIT of the failed transaction rolls it back on the server. */
    struct svp_err qerr;
    int qrc = queue_failure(s, &qerr);
    PGresult *r = PQexec(conn_of(s), sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = SVP_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = pg_conflict(s, PQresultErrorField(r, PG_DIAG_SQLSTATE),
                         pg_error(s, err, "statement failed", PQerrorMessage(conn_of(s))), err);
    PQclear(r);
    if (qrc) {
        *err = qerr;
        return qrc;
    }
    return rc;
}

/* Rewrites `?` placeholders as $1, $2 ... outside quotes and comments. */
static char *number_placeholders(const char *sql, int *nparams)
{
    struct svp_buf b;
    svp_buf_init(&b, 0);
    int n = 0, rc = SVP_OK;
    char quote = 0;
    for (const char *p = sql; *p && rc == SVP_OK; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            rc = svp_buf_putc(&b, *p);
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            rc = svp_buf_putc(&b, *p);
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            rc = svp_buf_putc(&b, '\n');
            if (!*p)
                break;
        } else if (*p == '?') {
            rc = svp_buf_printf(&b, "$%d", ++n);
        } else {
            rc = svp_buf_putc(&b, *p);
        }
    }
    if (rc) {
        svp_buf_free(&b);
        return NULL;
    }
    *nparams = n;
    return svp_buf_take(&b);
}

static void stmt_free(struct pg_stmt *ps)
{
    if (!ps)
        return;
    PQclear(ps->res);
    /* values is NULL when preparing ran out of memory before it was allocated */
    for (int i = 0; ps->values && i < ps->nparams; i++)
        svp_free(ps->values[i]);
    svp_free(ps->values);
    svp_free(ps->lengths);
    svp_free(ps);
}

static int pg_prepare(struct store *s, const char *sql, struct store_stmt *st,
                      struct svp_err *err)
{
    struct pg_conn *pc = s->impl;
    int qrc = queue_failure(s, err);
    if (qrc)
        return qrc;
    struct pg_stmt *ps = svp_calloc(1, sizeof *ps);
    int n = 0;
    char *text = ps ? number_placeholders(sql, &n) : NULL;
    if (!text) {
        svp_free(ps);
        return svp_err_set(err, SVP_ENOMEM, "out of memory preparing a statement");
    }
    ps->nparams = n;
    ps->values = svp_calloc((size_t)n + 1, sizeof *ps->values);
    ps->lengths = svp_calloc((size_t)n + 1, sizeof *ps->lengths);
    snprintf(ps->name, sizeof ps->name, "svp_%lu", ++pc->next_stmt);
    if (!ps->values || !ps->lengths) {
        svp_free(text);
        stmt_free(ps);
        return svp_err_set(err, SVP_ENOMEM, "out of memory preparing a statement");
    }
    PGresult *r = PQprepare(pc->conn, ps->name, text, n, NULL);
    svp_free(text);
    int rc = SVP_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pg_error(s, err, "cannot prepare statement", PQerrorMessage(pc->conn));
    PQclear(r);
    if (rc) {
        stmt_free(ps);
        return rc;
    }
    ps->row = -1;
    st->impl = ps;
    return SVP_OK;
}

static int set_param(struct store_stmt *st, int idx, char *owned, size_t len)
{
    struct pg_stmt *ps = stmt_of(st);
    if (idx < 1 || idx > ps->nparams) {
        svp_free(owned);
        return SVP_EINTERNAL;
    }
    svp_free(ps->values[idx - 1]);
    ps->values[idx - 1] = owned;
    ps->lengths[idx - 1] = (int)len;
    return SVP_OK;
}

static int pg_bind_text(struct store_stmt *st, int idx, const char *text, size_t len)
{
    char *copy = svp_strndup(text, len);
    if (!copy)
        return SVP_ENOMEM;
    return set_param(st, idx, copy, len);
}

static int pg_bind_int64(struct store_stmt *st, int idx, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    return pg_bind_text(st, idx, tmp, (size_t)n);
}

static int pg_bind_double(struct store_stmt *st, int idx, double v)
{
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.17g", v);
    return pg_bind_text(st, idx, tmp, (size_t)n);
}

static int pg_bind_null(struct store_stmt *st, int idx)
{
    return set_param(st, idx, NULL, 0);
}

/* Runs ps, its answer in ps->res; behind queued statements, in the same round trip as
 * theirs. Returns a queued statement's failure (ps->res is then NULL), else 0: the caller
 * looks at the answer. */
static int run_prepared(struct store *s, struct pg_stmt *ps, struct svp_err *err)
{
    struct pg_conn *pc = s->impl;
    PQclear(ps->res);
    ps->res = NULL;
    if (pc->queued && !pc->failed[0] &&
        PQsendQueryPrepared(pc->conn, ps->name, ps->nparams, (const char *const *)ps->values,
                            ps->lengths, NULL, 0)) {
        pc->queued++;
        drain(pc, &ps->res);
    }
    int qrc = queue_failure(s, err);
    if (qrc) {
        PQclear(ps->res);
        ps->res = NULL;
        return qrc;
    }
    if (!ps->res)
        ps->res = PQexecPrepared(pc->conn, ps->name, ps->nparams, (const char *const *)ps->values,
                                 ps->lengths, NULL, 0);
    return SVP_OK;
}

static int pg_step(struct store_stmt *st, struct svp_err *err)
{
    struct pg_stmt *ps = stmt_of(st);
    if (!ps->executed) {
        int qrc = run_prepared(st->s, ps, err);
        if (qrc)
            return qrc;
        ExecStatusType es = PQresultStatus(ps->res);
        if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK) {
            int rc = pg_error(st->s, err, "statement failed",
                              ps->res ? PQresultErrorMessage(ps->res)
                                      : PQerrorMessage(conn_of(st->s)));
            const char *state = PQresultErrorField(ps->res, PG_DIAG_SQLSTATE);
            /* Class 23: integrity constraint violation, i.e. the data was refused. */
            if (state && !strncmp(state, "23", 2))
                err->code = rc = SVP_EINPUT;
            rc = pg_conflict(st->s, state, rc, err);
            PQclear(ps->res);
            ps->res = NULL;
            return rc;
        }
        ps->executed = true;
        ps->row = -1;
    }
    if (++ps->row < PQntuples(ps->res))
        return STORE_ROW;
    return STORE_DONE;
}

static int pg_queue(struct store_stmt *st, struct svp_err *err)
{
    struct pg_conn *pc = st->s->impl;
    struct pg_stmt *ps = stmt_of(st);
    if (pc->failed[0])
        return queue_failure(st->s, err);
    if (!pc->queued && !PQenterPipelineMode(pc->conn))
        return pg_error(st->s, err, "cannot queue a statement", PQerrorMessage(pc->conn));
    if (!PQsendQueryPrepared(pc->conn, ps->name, ps->nparams, (const char *const *)ps->values,
                             ps->lengths, NULL, 0)) {
        int rc = pg_error(st->s, err, "cannot queue a statement", PQerrorMessage(pc->conn));
        if (!pc->queued)
            PQexitPipelineMode(pc->conn);
        return rc;
    }
    if (++pc->queued < PG_QUEUE_MAX)
        return SVP_OK;
    return queue_failure(st->s, err);
}

static int pg_flush(struct store *s, struct svp_err *err)
{
    return queue_failure(s, err);
}

/* COPY's answers: the COPY IN state, then the command's own result, then NULL. */
static int pg_copy_in(struct store *s, const char *sql, const char *data, size_t len,
                      struct svp_err *err)
{
    int rc = queue_failure(s, err);
    if (rc)
        return rc;
    PGconn *conn = conn_of(s);
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = pg_conflict(s, PQresultErrorField(r, PG_DIAG_SQLSTATE),
                         pg_error(s, err, "cannot start COPY", PQerrorMessage(conn)), err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    /* In pieces, so that libpq never holds a second copy of a large stage. */
    const size_t piece = 1u << 20;
    bool sent = true;
    for (size_t at = 0; at < len && sent; at += piece)
        sent = PQputCopyData(conn, data + at, (int)(len - at < piece ? len - at : piece)) == 1;
    if (!sent) {
        char why[300];
        svp_strlcpy(why, PQerrorMessage(conn), sizeof why);
        PQputCopyEnd(conn, "svp could not send the rows");
        while ((r = PQgetResult(conn)))
            PQclear(r);
        return pg_error(s, err, "COPY failed", why);
    }
    if (PQputCopyEnd(conn, NULL) != 1)
        rc = pg_error(s, err, "COPY failed", PQerrorMessage(conn));
    while ((r = PQgetResult(conn))) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = pg_conflict(s, PQresultErrorField(r, PG_DIAG_SQLSTATE),
                             pg_error(s, err, "COPY failed", PQresultErrorMessage(r)), err);
        PQclear(r);
    }
    return rc;
}

static int pg_column_count(struct store_stmt *st)
{
    struct pg_stmt *ps = stmt_of(st);
    return ps->res ? PQnfields(ps->res) : 0;
}

static const char *pg_column_name(struct store_stmt *st, int col)
{
    struct pg_stmt *ps = stmt_of(st);
    return ps->res ? PQfname(ps->res, col) : NULL;
}

static bool pg_column_is_null(struct store_stmt *st, int col)
{
    struct pg_stmt *ps = stmt_of(st);
    if (!ps->res || ps->row < 0 || ps->row >= PQntuples(ps->res) || col >= PQnfields(ps->res))
        return true;
    return PQgetisnull(ps->res, ps->row, col);
}

static const char *pg_column_text(struct store_stmt *st, int col)
{
    struct pg_stmt *ps = stmt_of(st);
    if (pg_column_is_null(st, col))
        return NULL;
    return PQgetvalue(ps->res, ps->row, col);
}

static int64_t pg_column_int64(struct store_stmt *st, int col)
{
    const char *t = pg_column_text(st, col);
    return t ? strtoll(t, NULL, 10) : 0;
}

static double pg_column_double(struct store_stmt *st, int col)
{
    const char *t = pg_column_text(st, col);
    return t ? strtod(t, NULL) : 0.0;
}

static int64_t pg_changes(struct store_stmt *st)
{
    struct pg_stmt *ps = stmt_of(st);
    const char *n = ps->res ? PQcmdTuples(ps->res) : "";
    return *n ? strtoll(n, NULL, 10) : 0;
}

static void pg_reset(struct store_stmt *st)
{
    struct pg_stmt *ps = stmt_of(st);
    ps->executed = false;
    ps->row = -1;
}

static void pg_finalize(struct store_stmt *st)
{
    struct pg_stmt *ps = stmt_of(st);
    if (!ps)
        return;
    PGconn *conn = conn_of(st->s);
    drain(st->s->impl, NULL); /* a failure there stays for the next call to report */
    if (PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) != PQTRANS_INERROR) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", ps->name);
        PQclear(PQexec(conn, sql));
    }
    stmt_free(ps);
    st->impl = NULL;
}

static int pg_set_wait(struct store *s, struct svp_err *err)
{
    char ms[16];
    snprintf(ms, sizeof ms, "%d", s->wait_ms);
    const char *values[1] = {ms};
    struct svp_err qerr;
    int rc = queue_failure(s, &qerr);
    if (rc) {
        *err = qerr;
        return rc;
    }
    PGresult *r = PQexecParams(conn_of(s), "SELECT set_config('lock_timeout', $1, false)", 1,
                               NULL, values, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_error(s, err, "cannot set the lock wait", PQerrorMessage(conn_of(s)));
    PQclear(r);
    return rc;
}

const struct store_ops store_pg_ops = {
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .queue = pg_queue,
    .flush = pg_flush,
    .copy_in = pg_copy_in,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
    .column_text = pg_column_text,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_is_null = pg_column_is_null,
    .changes = pg_changes,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .set_wait = pg_set_wait,
};
