/* PostgreSQL's bulk path (issue 13, Speed). When a source's file is its first (the source
 * has no events yet, so every event is new), the rows that need no answer are not sent one
 * statement at a time: each row, checked in C first (a bad row is rejected alone, as on
 * every path), is written as a line of COPY text in memory (or kept as values, records) and
 * sent through libpq's COPY protocol at the end of the file or every 16 MB, all in the
 * file's transaction (a failure anywhere rolls back the whole file). Record and event ids
 * are given here as SQLite numbers rows (rels.c); the records the id space already holds are
 * read once at the start, so a row about a known person needs no statement at all.
 *
 * Records and events go straight into their tables by COPY, with no stage table: every one is
 * new, its id and every value known here. A record staged in this file that a later row
 * changes is changed in memory (write.c, update_staged: its old values staged as history, as
 * the row-by-row update would), and each staged record is written out once, with its last
 * values, when the records are sent; an event listed twice in the file is kept once
 * (event_id). A stage table, its DELETE ... RETURNING and the sorts by sequence cost as much
 * again on the county's 414,000 attendance rows. History rows and relationships still go
 * through temporary tables and one set-based INSERT each (a relationship already stored is
 * not stored again).
 *
 * Order keeps the foreign keys: records, then their history, then events (which name
 * records), then relationships (which name both). */
#include "import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAGE_FLUSH_AT ((size_t)16 << 20) /* bytes staged before they are sent */
#define STAGE_MAX ((size_t)1 << 30)

static const char stage_tables[] =
    /* Made once per connection and emptied at each commit, not dropped: every CREATE, DROP
     * or TRUNCATE makes or unlinks files (the table's, its TOAST table's and index's), a
     * dozen per file imported, and creating files is slow on a busy file system. */
    "CREATE TEMP TABLE IF NOT EXISTS svp_stage_history (seq BIGINT, record_id BIGINT, "
    "line BIGINT, previous TEXT) ON COMMIT DELETE ROWS; "
    "CREATE TEMP TABLE IF NOT EXISTS svp_stage_rel (seq BIGINT, kind TEXT, record_a BIGINT, "
    "record_b BIGINT, event_id BIGINT, line BIGINT) ON COMMIT DELETE ROWS; "
    /* Another file earlier in the same outer transaction may have left rows. */
    "DELETE FROM svp_stage_history; DELETE FROM svp_stage_rel; "
    /* The ids of history rows and relationships are given below, one after the highest as
     * the columns' default does row by row (migration 006), under the same lock. */
    "SELECT pg_advisory_xact_lock(22006); "
    /* Sorts of the stages (relationships by their key) in memory, not on
     * disk: the default 4 MB spilled a county file's; for this transaction only. No JIT:
     * the checks and set-based INSERTs are estimated dear enough to be compiled, which
     * costs more than they take to run. */
    "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off";

static const char *const copy_sql[IMP_NSTAGES] = {
    ("COPY record (id, source, agency, agency_record_id, given_name, middle_names, family_name, "
     "dob, sex, ethnicity, postcode, address, area, role, norm_given, norm_family, detail, "
     "shared_id, file_id, line, content_hash, updated_at) FROM STDIN"),
    "COPY svp_stage_history (seq, record_id, line, previous) FROM STDIN",
    ("COPY event (id, source, agency, agency_event_id, record_id, type, subtype, started_at, "
     "ended_at, place_id, detail, file_id, line, content_hash) FROM STDIN"),
    "COPY svp_stage_rel (seq, kind, record_a, record_b, event_id, line) FROM STDIN",
};

/* Each INSERT empties its stage as it reads it (a TRUNCATE per flush costs far more). Ids
 * are those the column's default would give the rows in order (one after the highest), in
 * one step rather than a call of svp_next_*_id() per row. */
/* Parameters: file, time. */
static const char insert_history[] =
    "WITH staged AS (DELETE FROM svp_stage_history RETURNING *) "
    "INSERT INTO record_history (id, record_id, file_id, line, changed_at, previous) "
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM record_history) + "
    "row_number() OVER (ORDER BY seq), record_id, ?, line, ?, previous FROM staged "
    "ORDER BY seq";

/* Parameters: source, agency, file, source. A relationship the source already holds, or
 * named twice, is stored once (the first), as the row-by-row check does. */
static const char insert_rels[] =
    "WITH staged AS (DELETE FROM svp_stage_rel RETURNING *) "
    "INSERT INTO relationship (id, source, agency, kind, record_a, record_b, event_id, "
    "file_id, line) SELECT (SELECT COALESCE(MAX(id), 0) FROM relationship) + "
    "row_number() OVER (ORDER BY seq), ?, ?, kind, record_a, record_b, event_id, ?, line "
    "FROM "
    "(SELECT DISTINCT ON (kind, record_a, record_b, COALESCE(event_id, 0)) * "
    " FROM staged ORDER BY kind, record_a, record_b, COALESCE(event_id, 0), seq) s "
    "WHERE NOT EXISTS (SELECT 1 FROM relationship r WHERE r.source = ? AND r.kind = s.kind "
    "AND r.record_a = s.record_a AND r.record_b = s.record_b "
    "AND COALESCE(r.event_id, 0) = COALESCE(s.event_id, 0)) ORDER BY seq";

/* Records and events have none: their COPY is into the table. */
static const char *const insert_sql[IMP_NSTAGES] = {NULL, insert_history, NULL, insert_rels};

/* ------------------------------------------------------------------ COPY text */

static int put_text(struct svp_buf *b, const char *s)
{
    if (!s)
        return svp_buf_append(b, "\\N", 2);
    const char *run = s;
    int rc = SVP_OK;
    for (; *s && !rc; s++) {
        char e = *s == '\\' ? '\\' : *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : 0;
        if (!e)
            continue;
        rc = svp_buf_append(b, run, (size_t)(s - run));
        if (!rc)
            rc = svp_buf_append(b, (char[2]){'\\', e}, 2);
        run = s + 1;
    }
    return rc ? rc : svp_buf_append(b, run, strlen(run));
}

/* An id, or NULL when it is 0 (no id: an event with no place). */
static int put_id(struct svp_buf *b, int64_t v)
{
    if (!v)
        return svp_buf_append(b, "\\N", 2);
    char tmp[24];
    imp_fmt_i64(v, tmp);
    return svp_buf_append(b, tmp, strlen(tmp));
}

static int sep(struct svp_buf *b, int rc)
{
    return rc ? rc : svp_buf_putc(b, '\t');
}

/* Starts a staged row with its sequence number. */
static int begin_row(struct imp *im, struct svp_buf *b)
{
    return sep(b, put_id(b, ++im->stage_seq));
}

static int end_row(struct svp_buf *b, int rc)
{
    return rc ? rc : svp_buf_putc(b, '\n');
}

static int stage_err(struct imp *im, int rc)
{
    if (rc == SVP_EINPUT) /* past STAGE_MAX */
        return svp_err_set(im->err, SVP_EINPUT, "%s: too many rows to stage in one file: "
                           "split the extract", im->path);
    return rc;
}

/* ------------------------------------------------------------------ foreign keys */

/* PostgreSQL checks a foreign key row by row: an internal trigger per inserted row runs
 * `SELECT 1 FROM record WHERE id = $1 FOR KEY SHARE`, an executor started and stopped for
 * each, and the county's 570,000 events, 157,000 records and 75,000 relationships make
 * 1.5 million of them: half of the server's CPU for the import (perf, 2026-12-07). Where the
 * role may set session_replication_role (a superuser, or from PostgreSQL 15 one granted SET
 * on it), each send of the bulk path runs with it set to `replica`, which stops those
 * triggers for the send only, and checks the same keys itself, set-based, one statement per
 * table: no row of the send may name a record, place, event or file that is not stored, or
 * the file fails whole (rolled back) as it would on the first row the trigger refused.
 *
 * What the trigger's FOR KEY SHARE adds, that no other transaction deletes a named row or
 * changes its id before this one commits, comes from table locks held to the commit:
 * source_file, place, record and event are locked IN SHARE ROW EXCLUSIVE MODE (as rels.c
 * already locks record and event for their ids), which lets every reader go on and makes
 * every other writer of them wait. No other trigger exists on these tables; a schema with
 * other foreign keys or triggers than the ones checked here keeps the row-by-row checks
 * (fk_plan). Nothing else changes: unique keys, NOT NULL and CHECK constraints are the
 * table's own, not triggers, and stay checked row by row. */

#define FK_COUNT 10 /* the foreign keys of record, record_history, event and relationship */

static const char fk_allowed[] =
    "SELECT CASE WHEN current_setting('is_superuser') = 'on' THEN 1 ELSE 0 END";
static const char fk_granted[] = /* PostgreSQL 15 and later */
    "SELECT CASE WHEN has_parameter_privilege('session_replication_role', 'SET') THEN 1 "
    "ELSE 0 END";
static const char fk_schema[] =
    "SELECT (SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN "
    "('record'::regclass, 'record_history'::regclass, 'event'::regclass, "
    "'relationship'::regclass)) * 1000 + (SELECT COUNT(*) FROM pg_trigger WHERE NOT "
    "tgisinternal AND tgrelid IN ('record'::regclass, 'record_history'::regclass, "
    "'event'::regclass, 'relationship'::regclass))";

/* Rows of a send naming something not stored: records and events by the ids COPY'd (?, ?),
 * which must name this file (?, whose row imp_stage_flush finds), history and relationships
 * in their stage, before the INSERT that reads it (which names this file itself). Each key is
 * looked up in its index per row (a correlated subquery), not joined: a hash join would read
 * the whole record table at every send. */
static const char *const fk_check[IMP_NSTAGES] = {
    "SELECT COUNT(*) FROM record WHERE id BETWEEN ? AND ? AND file_id IS DISTINCT FROM ?",
    ("SELECT COUNT(*) FROM svp_stage_history s WHERE "
     "(SELECT r.id FROM record r WHERE r.id = s.record_id) IS NULL"),
    ("SELECT COUNT(*) FROM event e WHERE e.id BETWEEN ? AND ? AND ((SELECT r.id FROM record r "
     "WHERE r.id = e.record_id) IS NULL OR (e.place_id IS NOT NULL AND (SELECT p.id FROM "
     "place p WHERE p.id = e.place_id) IS NULL) OR e.file_id IS DISTINCT FROM ?)"),
    ("SELECT COUNT(*) FROM svp_stage_rel s WHERE (SELECT r.id FROM record r WHERE r.id = "
     "s.record_a) IS NULL OR (SELECT r.id FROM record r WHERE r.id = s.record_b) IS NULL OR "
     "(s.event_id IS NOT NULL AND (SELECT e.id FROM event e WHERE e.id = s.event_id) IS "
     "NULL)"),
};

/* Whether the bulk path checks foreign keys itself (fk_set), and if so the locks. */
static int fk_plan(struct imp *im)
{
    int64_t yes = 0, version = 0, schema = 0;
    int rc = store_query_int64(im->s, fk_allowed, &yes, im->err);
    if (!rc && !yes)
        rc = store_query_int64(im->s, "SELECT current_setting('server_version_num')::int",
                               &version, im->err);
    if (!rc && !yes && version >= 150000)
        rc = store_query_int64(im->s, fk_granted, &yes, im->err);
    if (!rc && yes)
        rc = store_query_int64(im->s, fk_schema, &schema, im->err);
    if (rc || !yes || schema != FK_COUNT * 1000)
        return rc;
    rc = store_exec(im->s, "LOCK TABLE source_file, place, record, event IN SHARE ROW "
                    "EXCLUSIVE MODE", im->err);
    im->fk_set = !rc;
    return rc;
}

/* The send's rows of stage i name only what is stored (fk_check). */
int imp_stage_keys_checked(struct imp *im, int i)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, fk_check[i], &st, im->err);
    if (!rc && (i == IMP_STAGE_RECORD || i == IMP_STAGE_EVENT) &&
        !(rc = store_bind_int64(st, 1, im->stage_lo[i])) &&
        !(rc = store_bind_int64(st, 2, im->stage_hi[i])))
        rc = store_bind_int64(st, 3, im->file_id);
    if (!rc && (rc = store_step(st, im->err)) == STORE_ROW)
        rc = store_column_int64(st, 0) ? SVP_EINTERNAL : SVP_OK;
    store_finalize(&st);
    if (rc == SVP_EINTERNAL)
        return svp_err_set(im->err, SVP_EINTERNAL,
                           "%s: rows of the file name records, places or events that are "
                           "not stored (a fault in svp's import: please report it); nothing "
                           "of the file was imported", im->path);
    return rc < 0 ? imp_dberr(im, rc) : SVP_OK;
}

/* ------------------------------------------------------------------ the plan */

/* The id space's records, so that a row about a known person needs no statement. */
int imp_preload_records(struct imp *im)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, "SELECT agency_record_id, id, content_hash FROM record "
                           "WHERE source = ?", &st, im->err);
    if (!rc)
        rc = store_bind_text_ref(st, 1, im->p->id_space, -1);
    while (!rc && (rc = store_step(st, im->err)) == STORE_ROW) {
        const char *hash = store_column_text(st, 2);
        struct svp_smap_val v = {store_column_int64(st, 1),
                                 hash ? strtoull(hash, NULL, 16) : 0, 0};
        rc = svp_smap_put(&im->records, store_column_text(st, 0), v);
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

int imp_stage_start(struct imp *im)
{
    int rc = store_exec(im->s, stage_tables, im->err);
    for (int i = 0; i < IMP_NSTAGES && !rc; i++) {
        svp_buf_init(&im->stage[i], STAGE_MAX);
        if (insert_sql[i])
            rc = store_prepare(im->s, insert_sql[i], &im->stage_st[i], im->err);
    }
    if (!rc)
        rc = imp_preload_records(im);
    if (!rc)
        rc = fk_plan(im);
    if (rc)
        return rc;
    im->bulk = true;
    im->queue_events = true;
    im->queue_records = true;
    return SVP_OK;
}

void imp_stage_free(struct imp *im)
{
    for (int i = 0; i < IMP_NSTAGES; i++) {
        store_finalize(&im->stage_st[i]);
        svp_buf_free(&im->stage[i]);
    }
    svp_free(im->srec);
    svp_free(im->bhist);
    svp_free(im->bvals);
    svp_smap_free(&im->staged_events);
}

/* ------------------------------------------------------------------ staging rows */

/* Keeps a staged record's values (copies in the run arena). */
static int keep_values(struct imp *im, struct imp_staged_rec *o, const char *const *v)
{
    for (int i = 0; i < REC_NVALS; i++) {
        o->v[i] = NULL;
        if (v && v[i] && !(o->v[i] = svp_arena_strndup(im->run, v[i], strlen(v[i]))))
            return SVP_ENOMEM;
    }
    return SVP_OK;
}

struct imp_staged_rec *imp_staged_rec(struct imp *im, long at)
{
    if (at >= 0 || (size_t)(-at - 1) < im->srec_sent)
        return NULL;
    return &im->srec[-at - 1];
}

/* A staged record as a line of COPY text for the record table, with its last values. */
static int record_row(struct imp *im, struct svp_buf *b, const struct imp_staged_rec *o)
{
    char hex[17] = "";
    if (!o->stub)
        snprintf(hex, sizeof hex, "%016llx", (unsigned long long)o->h);
    int rc = sep(b, put_id(b, o->id));
    rc = sep(b, rc ? rc : put_text(b, im->p->id_space));
    rc = sep(b, rc ? rc : put_text(b, im->p->agency));
    rc = sep(b, rc ? rc : put_text(b, o->pid));
    for (int i = 0; i < REC_NVALS && !rc; i++) /* given ... shared_id, as the table */
        rc = sep(b, put_text(b, o->stub ? (i == 9 ? "unknown" : NULL) : o->v[i]));
    rc = sep(b, rc ? rc : put_id(b, im->file_id));
    rc = sep(b, rc ? rc : put_id(b, o->line));
    rc = sep(b, rc ? rc : put_text(b, o->stub ? NULL : hex));
    return end_row(b, rc ? rc : put_text(b, im->now));
}

int imp_stage_record(struct imp *im, int64_t id, const char *pid, const char *const *v,
                     const char *hex, long line, long *at)
{
    struct imp_staged_rec *n = svp_grow(im->srec, &im->capsrec, im->nsrec + 1, sizeof *n, 1024);
    if (!n)
        return SVP_ENOMEM;
    im->srec = n;
    struct imp_staged_rec *o = &im->srec[im->nsrec];
    *o = (struct imp_staged_rec){.id = id, .h = hex ? strtoull(hex, NULL, 16) : 0,
                                 .line = line, .stub = !v};
    int rc = keep_values(im, o, v);
    if (!rc && !(o->pid = svp_arena_strndup(im->run, pid, strlen(pid))))
        rc = SVP_ENOMEM;
    if (rc)
        return rc;
    *at = -(long)++im->nsrec;
    return SVP_OK;
}

int imp_restage_record(struct imp *im, long at, const char *const *v, uint64_t h, long line)
{
    struct imp_staged_rec *o = imp_staged_rec(im, at);
    if (!o)
        return svp_err_set(im->err, SVP_EINTERNAL, "%s: restaging a record not staged", im->path);
    int rc = keep_values(im, o, v);
    if (rc)
        return rc;
    o->h = h;
    o->line = line;
    o->stub = false;
    return SVP_OK;
}

int imp_stage_history(struct imp *im, int64_t rec_id, long line, const char *previous)
{
    if (im->rec_batch) /* SQLite: batch.c */
        return imp_batch_history(im, rec_id, line, previous);
    struct svp_buf *b = &im->stage[IMP_STAGE_HISTORY];
    int rc = begin_row(im, b);
    rc = sep(b, rc ? rc : put_id(b, rec_id));
    rc = sep(b, rc ? rc : put_id(b, line));
    rc = end_row(b, rc ? rc : put_text(b, previous));
    return stage_err(im, rc);
}

/* Once the event table is locked (the first event id): another import of the same source
 * may have committed between the check that chose this path (plan_queues) and the lock. Its
 * events would make the COPY fail on the first shared id with the server's words; this says
 * what happened instead. */
static int still_new(struct imp *im)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, "SELECT 1 FROM event WHERE source = ? LIMIT 1", &st, im->err);
    if (!rc)
        rc = store_bind_text_ref(st, 1, im->p->name, -1);
    if (!rc)
        rc = store_step(st, im->err);
    store_finalize(&st);
    if (rc == STORE_ROW)
        return svp_err_set(im->err, SVP_ECONFLICT,
                           "%s: another import of source '%s' committed while this one ran; "
                           "import the file again", im->path, im->p->name);
    return rc < 0 ? imp_dberr(im, rc) : SVP_OK;
}

/* The event's id, given here (imp_take_event_id) so that it is the one SQLite gives; an
 * event id already staged by this file is the first's, and the event is not staged again
 * (as the row-by-row insert keeps the first). */
static int event_id(struct imp *im, const char *eid, int64_t *id, bool *dup)
{
    *id = 0;
    *dup = false;
    struct svp_smap_val *known = svp_smap_get(&im->staged_events, eid);
    if (known) {
        *id = known->id;
        *dup = true;
        return SVP_OK;
    }
    bool first = !im->ev_next;
    int rc = imp_take_event_id(im, id);
    if (!rc && first)
        rc = still_new(im);
    return rc ? rc : svp_smap_put(&im->staged_events, eid, (struct svp_smap_val){*id, 0, 0});
}

int imp_stage_event(struct imp *im, const struct ev_vals *ev, int64_t rec_id,
                    int64_t place_id, const char *hex, long line, int64_t *ev_id)
{
    bool dup;
    int rc = event_id(im, ev->eid, ev_id, &dup);
    if (rc || dup)
        return rc;
    struct svp_buf *b = &im->stage[IMP_STAGE_EVENT]; /* as the table's columns */
    if (!b->len)
        im->stage_lo[IMP_STAGE_EVENT] = *ev_id;
    im->stage_hi[IMP_STAGE_EVENT] = *ev_id;
    rc = sep(b, put_id(b, *ev_id));
    rc = sep(b, rc ? rc : put_text(b, im->p->name));
    rc = sep(b, rc ? rc : put_text(b, im->p->agency));
    rc = sep(b, rc ? rc : put_text(b, ev->eid));
    rc = sep(b, rc ? rc : put_id(b, rec_id));
    for (int i = 0; i < 4 && !rc; i++) /* type, subtype, started_at, ended_at */
        rc = sep(b, put_text(b, ev->v[i]));
    rc = sep(b, rc ? rc : put_id(b, place_id));
    rc = sep(b, rc ? rc : put_text(b, ev->v[5]));
    rc = sep(b, rc ? rc : put_id(b, im->file_id));
    rc = sep(b, rc ? rc : put_id(b, line));
    rc = end_row(b, rc ? rc : put_text(b, hex));
    return stage_err(im, rc);
}

int imp_stage_rel(struct imp *im, const char *kind, int64_t a, int64_t b_id, int64_t event_id,
                  long line)
{
    struct svp_buf *b = &im->stage[IMP_STAGE_REL];
    int rc = begin_row(im, b);
    rc = sep(b, rc ? rc : put_text(b, kind));
    rc = sep(b, rc ? rc : put_id(b, a));
    rc = sep(b, rc ? rc : put_id(b, b_id));
    rc = sep(b, rc ? rc : put_id(b, event_id));
    rc = end_row(b, rc ? rc : put_id(b, line));
    return stage_err(im, rc);
}

/* ------------------------------------------------------------------ sending */

static int send_stage(struct imp *im, int i)
{
    struct svp_buf *b = &im->stage[i];
    if (i == IMP_STAGE_RECORD) { /* each staged record once, with its last values */
        int rc = SVP_OK;
        for (size_t k = im->srec_sent; k < im->nsrec && !rc; k++) {
            int64_t id = im->srec[k].id;
            if (k == im->srec_sent || id < im->stage_lo[i])
                im->stage_lo[i] = id;
            if (k == im->srec_sent || id > im->stage_hi[i])
                im->stage_hi[i] = id;
            rc = record_row(im, b, &im->srec[k]);
        }
        if (rc)
            return stage_err(im, rc);
    }
    if (!b->len)
        return SVP_OK;
    int rc = store_copy_in(im->s, copy_sql[i], b->data, b->len, im->err);
    if (rc)
        return imp_dberr(im, rc);
    if (im->fk_set && (rc = imp_stage_keys_checked(im, i)))
        return rc;
    struct store_stmt *st = im->stage_st[i];
    if (i == IMP_STAGE_RECORD) /* in the table now: a change to one is an UPDATE */
        im->srec_sent = im->nsrec;
    if (!st) { /* records and events: in the table already */
        svp_buf_reset(b);
        return SVP_OK;
    }
    store_reset(st);
    if (i == IMP_STAGE_HISTORY) {
        rc = store_bind_int64(st, 1, im->file_id);
        if (!rc)
            rc = store_bind_text_ref(st, 2, im->now, -1);
    } else {
        rc = store_bind_text_ref(st, 1, im->p->name, -1);
        if (!rc)
            rc = store_bind_text_ref(st, 2, im->p->agency, -1);
        if (!rc)
            rc = store_bind_int64(st, 3, im->file_id);
        if (!rc && i == IMP_STAGE_REL)
            rc = store_bind_text_ref(st, 4, im->p->name, -1);
    }
    if (rc)
        return rc;
    if ((rc = store_step(st, im->err)) < 0)
        return imp_dberr(im, rc);
    if (i == IMP_STAGE_REL)
        im->res->relationships += store_changes(st);
    store_reset(st);
    svp_buf_reset(b);
    return SVP_OK;
}

/* Sends every stage; with fk_set, under session_replication_role = replica for the send only
 * (SET LOCAL: a failure rolls it back with the file), the keys checked by imp_stage_keys_checked. */
int imp_stage_flush(struct imp *im)
{
    if (!im->bulk)
        return SVP_OK;
    int rc = SVP_OK;
    if (im->fk_set) {
        int64_t files = 0;
        rc = store_exec(im->s, "SET LOCAL session_replication_role = replica", im->err);
        /* the file every row of the send names (history and relationships take it as a
         * parameter; records and events are checked against source_file above) */
        struct store_stmt *st = NULL;
        if (!rc && !(rc = store_prepare(im->s, "SELECT COUNT(*) FROM source_file WHERE id = ?",
                                        &st, im->err)) &&
            !(rc = store_bind_int64(st, 1, im->file_id)) &&
            (rc = store_step(st, im->err)) == STORE_ROW) {
            files = store_column_int64(st, 0);
            rc = SVP_OK;
        }
        store_finalize(&st);
        if (!rc && files != 1)
            rc = svp_err_set(im->err, SVP_EINTERNAL, "%s: the file's own row is not stored",
                             im->path);
        if (rc)
            return rc == SVP_EINTERNAL ? rc : imp_dberr(im, rc);
    }
    for (int i = 0; i < IMP_NSTAGES && !rc; i++)
        rc = send_stage(im, i);
    if (!rc && im->fk_set &&
        (rc = store_exec(im->s, "SET LOCAL session_replication_role = origin", im->err)))
        rc = imp_dberr(im, rc);
    return rc;
}

int imp_stage_maybe_flush(struct imp *im)
{
    if (!im->bulk)
        return SVP_OK;
    size_t n = 0;
    for (int i = 0; i < IMP_NSTAGES; i++)
        n += im->stage[i].len;
    n += (im->nsrec - im->srec_sent) * 256; /* records are written out when sent */
    return n < STAGE_FLUSH_AT ? SVP_OK : imp_stage_flush(im);
}
