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
    /* A source's later files: stored records and events changed by the file, and the
     * events' history (stage.c's second half). */
    "CREATE TEMP TABLE IF NOT EXISTS svp_stage_recup (id BIGINT, agency TEXT, given_name TEXT, "
    "middle_names TEXT, family_name TEXT, dob TEXT, sex TEXT, ethnicity TEXT, postcode TEXT, "
    "address TEXT, area TEXT, role TEXT, norm_given TEXT, norm_family TEXT, detail TEXT, "
    "shared_id TEXT, file_id BIGINT, line BIGINT, content_hash TEXT, updated_at TEXT) "
    "ON COMMIT DELETE ROWS; "
    "CREATE TEMP TABLE IF NOT EXISTS svp_stage_evup (seq BIGINT, id BIGINT, record_id BIGINT, "
    "type TEXT, subtype TEXT, started_at TEXT, ended_at TEXT, place_id BIGINT, detail TEXT, "
    "line BIGINT, content_hash TEXT) ON COMMIT DELETE ROWS; "
    "CREATE TEMP TABLE IF NOT EXISTS svp_stage_evhist (seq BIGINT, event_id BIGINT, "
    "line BIGINT, previous TEXT) ON COMMIT DELETE ROWS; "
    /* Another file earlier in the same outer transaction may have left rows. */
    "DELETE FROM svp_stage_history; DELETE FROM svp_stage_rel; DELETE FROM svp_stage_recup; "
    "DELETE FROM svp_stage_evup; DELETE FROM svp_stage_evhist; "
    /* The ids of history rows and relationships are given below, one after the highest as
     * the columns' default does row by row (migration 006), under the same lock. */
    "SELECT pg_advisory_xact_lock(22006); "
    /* Sorts of the stages (relationships by their key) in memory, not on
     * disk: the default 4 MB spilled a county file's; for this transaction only. No JIT:
     * the checks and set-based INSERTs are estimated dear enough to be compiled, which
     * costs more than they take to run. */
    "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off";

static const char *const copy_sql[IMP_NSTAGES] = {
    [IMP_STAGE_RECORD] =
        ("COPY record (id, source, agency, agency_record_id, given_name, middle_names, "
         "family_name, dob, sex, ethnicity, postcode, address, area, role, norm_given, "
         "norm_family, detail, shared_id, file_id, line, content_hash, updated_at) FROM STDIN"),
    [IMP_STAGE_RECUP] =
        ("COPY svp_stage_recup (id, agency, given_name, middle_names, family_name, dob, sex, "
         "ethnicity, postcode, address, area, role, norm_given, norm_family, detail, shared_id, "
         "file_id, line, content_hash, updated_at) FROM STDIN"),
    [IMP_STAGE_HISTORY] = "COPY svp_stage_history (seq, record_id, line, previous) FROM STDIN",
    [IMP_STAGE_PLACE] = ("COPY place (id, place_key, name, postcode, lat, lon, area, in_county, "
                         "kind) FROM STDIN"),
    [IMP_STAGE_EVENT] =
        ("COPY event (id, source, agency, agency_event_id, record_id, type, subtype, "
         "started_at, ended_at, place_id, detail, file_id, line, content_hash) FROM STDIN"),
    [IMP_STAGE_EVUP] = ("COPY svp_stage_evup (seq, id, record_id, type, subtype, started_at, "
                        "ended_at, place_id, detail, line, content_hash) FROM STDIN"),
    [IMP_STAGE_EVHIST] = "COPY svp_stage_evhist (seq, event_id, line, previous) FROM STDIN",
    [IMP_STAGE_REL] = "COPY svp_stage_rel (seq, kind, record_a, record_b, event_id, line) FROM STDIN",
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
    /* Looked up per staged row in the index on record_a (a scalar subquery with LIMIT is
     * never flattened into a join): as NOT EXISTS, with the source's rows estimated few
     * (statistics taken before a large load), PostgreSQL read every relationship of the
     * source once per staged row, 72-200 s for one file of a county's re-import. */
    "WHERE (SELECT r.id FROM relationship r WHERE r.record_a = s.record_a AND r.source = ? "
    "AND r.kind = s.kind AND r.record_b = s.record_b "
    "AND COALESCE(r.event_id, 0) = COALESCE(s.event_id, 0) LIMIT 1) IS NULL ORDER BY seq";

/* A stored record changed by the file: the UPDATE the row-by-row path sends, for every
 * such record of the send at once (each once, with its last values). No parameters. */
static const char update_records[] =
    "WITH s AS (DELETE FROM svp_stage_recup RETURNING *) "
    "UPDATE record r SET agency = s.agency, given_name = s.given_name, "
    "middle_names = s.middle_names, family_name = s.family_name, dob = s.dob, sex = s.sex, "
    "ethnicity = s.ethnicity, postcode = s.postcode, address = s.address, area = s.area, "
    "role = s.role, norm_given = s.norm_given, norm_family = s.norm_family, detail = s.detail, "
    "shared_id = s.shared_id, file_id = s.file_id, line = s.line, "
    "content_hash = s.content_hash, updated_at = s.updated_at FROM s WHERE r.id = s.id";

/* A stored event changed by the file: its stored values, for its history (read before the
 * UPDATE; the columns from the third on as the row-by-row path's history names them). */
static const char evup_previous[] =
    "SELECT s.seq, s.id, s.line, e.record_id, e.type, e.subtype, e.started_at, e.ended_at, "
    "e.place_id, e.detail, e.file_id, e.line FROM svp_stage_evup s JOIN event e ON e.id = s.id "
    "ORDER BY s.seq";

/* Parameter: file. */
static const char update_events[] =
    "WITH s AS (DELETE FROM svp_stage_evup RETURNING *) "
    "UPDATE event e SET record_id = s.record_id, type = s.type, subtype = s.subtype, "
    "started_at = s.started_at, ended_at = s.ended_at, place_id = s.place_id, "
    "detail = s.detail, file_id = ?, line = s.line, content_hash = s.content_hash "
    "FROM s WHERE e.id = s.id";

/* Parameters: file, time. */
static const char insert_evhist[] =
    "WITH staged AS (DELETE FROM svp_stage_evhist RETURNING *) "
    "INSERT INTO event_history (id, event_id, file_id, line, changed_at, previous) "
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM event_history) + "
    "row_number() OVER (ORDER BY seq), event_id, ?, line, ?, previous FROM staged "
    "ORDER BY seq";

/* Records, places and events have none: their COPY is into the table. */
static const char *const insert_sql[IMP_NSTAGES] = {
    [IMP_STAGE_RECUP] = update_records, [IMP_STAGE_HISTORY] = insert_history,
    [IMP_STAGE_EVUP] = update_events, [IMP_STAGE_EVHIST] = insert_evhist,
    [IMP_STAGE_REL] = insert_rels};

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

#define FK_COUNT 12 /* the foreign keys of record, record_history, event, event_history and
                      relationship */

static const char fk_allowed[] =
    "SELECT CASE WHEN current_setting('is_superuser') = 'on' THEN 1 ELSE 0 END";
static const char fk_granted[] = /* PostgreSQL 15 and later */
    "SELECT CASE WHEN has_parameter_privilege('session_replication_role', 'SET') THEN 1 "
    "ELSE 0 END";
static const char fk_schema[] =
    "SELECT (SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN "
    "('record'::regclass, 'record_history'::regclass, 'event'::regclass, "
    "'event_history'::regclass, 'relationship'::regclass)) * 1000 + (SELECT COUNT(*) FROM "
    "pg_trigger WHERE NOT tgisinternal AND tgrelid IN ('record'::regclass, "
    "'record_history'::regclass, 'event'::regclass, 'event_history'::regclass, "
    "'relationship'::regclass, 'place'::regclass))";

/* Rows of a send naming something not stored: records and events by the ids COPY'd (?, ?),
 * which must name this file (?, whose row imp_stage_flush finds), history and relationships
 * in their stage, before the INSERT that reads it (which names this file itself). Each key is
 * looked up in its index per row (a correlated subquery), not joined: a hash join would read
 * the whole record table at every send. */
static const char *const fk_check[IMP_NSTAGES] = {
    [IMP_STAGE_RECORD] =
        "SELECT COUNT(*) FROM record WHERE id BETWEEN ? AND ? AND file_id IS DISTINCT FROM ?",
    [IMP_STAGE_HISTORY] = ("SELECT COUNT(*) FROM svp_stage_history s WHERE "
                           "(SELECT r.id FROM record r WHERE r.id = s.record_id) IS NULL"),
    [IMP_STAGE_EVENT] =
        ("SELECT COUNT(*) FROM event e WHERE e.id BETWEEN ? AND ? AND ((SELECT r.id FROM "
         "record r WHERE r.id = e.record_id) IS NULL OR (e.place_id IS NOT NULL AND (SELECT "
         "p.id FROM place p WHERE p.id = e.place_id) IS NULL) OR e.file_id IS DISTINCT FROM ?)"),
    /* before the UPDATE that reads the stage (which names this file itself) */
    [IMP_STAGE_EVUP] =
        ("SELECT COUNT(*) FROM svp_stage_evup s WHERE (SELECT r.id FROM record r WHERE r.id = "
         "s.record_id) IS NULL OR (s.place_id IS NOT NULL AND (SELECT p.id FROM place p WHERE "
         "p.id = s.place_id) IS NULL)"),
    [IMP_STAGE_EVHIST] = ("SELECT COUNT(*) FROM svp_stage_evhist s WHERE "
                          "(SELECT e.id FROM event e WHERE e.id = s.event_id) IS NULL"),
    [IMP_STAGE_REL] =
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
    if (!fk_check[i]) /* stored records changed (their file is checked), places: none */
        return SVP_OK;
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

/* The stored places (every file may name one), so that a known place needs no statement and
 * a new one is given its id here and COPY'd. Under a lock held to the commit (readers go
 * on), so that no other import stores a place meanwhile. */
int imp_preload_places(struct imp *im)
{
    int rc = store_exec(im->s, "LOCK TABLE place IN SHARE ROW EXCLUSIVE MODE", im->err);
    struct store_stmt *st = NULL;
    if (!rc)
        rc = store_prepare(im->s, "SELECT place_key, id FROM place", &st, im->err);
    while (!rc && (rc = store_step(st, im->err)) == STORE_ROW)
        rc = svp_smap_put(&im->places, store_column_text(st, 0),
                          (struct svp_smap_val){store_column_int64(st, 1), 0, 0});
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

/* A source's later file: its stored events (id and content hash), under the lock that gives
 * new events their ids, so that an unchanged event needs no statement and a changed one is
 * staged as an UPDATE. Line 0 marks an event stored before this file; 1 one this file
 * stored or changed. */
static int preload_events(struct imp *im)
{
    int rc = store_exec(im->s, "LOCK TABLE event IN SHARE ROW EXCLUSIVE MODE", im->err);
    struct store_stmt *st = NULL;
    if (!rc)
        rc = store_prepare(im->s, "SELECT agency_event_id, id, content_hash FROM event "
                           "WHERE source = ?", &st, im->err);
    if (!rc)
        rc = store_bind_text_ref(st, 1, im->p->name, -1);
    while (!rc && (rc = store_step(st, im->err)) == STORE_ROW) {
        const char *hash = store_column_text(st, 2);
        rc = svp_smap_put(&im->staged_events, store_column_text(st, 0),
                          (struct svp_smap_val){store_column_int64(st, 1),
                                                hash ? strtoull(hash, NULL, 16) : 0, 0});
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

int imp_stage_start(struct imp *im, bool new_source)
{
    im->new_source = new_source;
    int rc = store_exec(im->s, stage_tables, im->err);
    for (int i = 0; i < IMP_NSTAGES && !rc; i++) {
        svp_buf_init(&im->stage[i], STAGE_MAX);
        if (insert_sql[i])
            rc = store_prepare(im->s, insert_sql[i], &im->stage_st[i], im->err);
    }
    if (!rc)
        rc = imp_preload_records(im);
    if (!rc)
        rc = imp_preload_places(im);
    if (!rc && !new_source)
        rc = preload_events(im);
    if (!rc)
        rc = fk_plan(im);
    if (rc)
        return rc;
    im->bulk = true;
    im->queue_events = new_source;
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
    svp_free(im->dirty);
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
    if (at >= 0 || (size_t)(-at - 1) >= im->nsrec)
        return NULL;
    /* SQLite's record batch (batch.c): a record already sent is in the table, and a change
     * to it is an UPDATE row by row. PostgreSQL's bulk path keeps it staged: a change marks
     * it for the next send's UPDATE ... FROM. */
    if (im->rec_batch && (size_t)(-at - 1) < im->srec_sent)
        return NULL;
    return &im->srec[-at - 1];
}

static struct imp_staged_rec *new_srec(struct imp *im)
{
    struct imp_staged_rec *n = svp_grow(im->srec, &im->capsrec, im->nsrec + 1, sizeof *n, 1024);
    if (!n)
        return NULL;
    im->srec = n;
    return &im->srec[im->nsrec];
}

/* The id space's stored records with every value, as staged records already in the table,
 * so that a row bringing other values for one is merged, compared and its history written
 * in memory (write.c, update_staged) and the record sent as one UPDATE with the others of
 * the send: no statement per row. Read once per file, at the first row that needs it. */
static int load_records(struct imp *im)
{
    im->recs_loaded = true;
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s,
                           "SELECT agency_record_id, id, content_hash, file_id, line, "
                           "given_name, middle_names, family_name, dob, sex, ethnicity, "
                           "postcode, address, area, role, norm_given, norm_family, detail, "
                           "shared_id FROM record WHERE source = ?", &st, im->err);
    if (!rc)
        rc = store_bind_text_ref(st, 1, im->p->id_space, -1);
    while (!rc && (rc = store_step(st, im->err)) == STORE_ROW) {
        const char *pid = store_column_text(st, 0);
        struct svp_smap_val *m = svp_smap_get(&im->records, pid);
        if (m && m->line < 0)
            continue; /* staged by this file already: its values are those */
        struct imp_staged_rec *o = new_srec(im);
        if (!o) {
            rc = SVP_ENOMEM;
            break;
        }
        const char *hash = store_column_text(st, 2);
        *o = (struct imp_staged_rec){.id = store_column_int64(st, 1),
                                     .h = hash ? strtoull(hash, NULL, 16) : 0,
                                     .fid = store_column_int64(st, 3),
                                     .line = (long)store_column_int64(st, 4),
                                     .stub = !hash, .in_table = true};
        const char *v[REC_NVALS];
        for (int i = 0; i < REC_NVALS; i++)
            v[i] = store_column_text(st, 5 + i);
        if ((rc = keep_values(im, o, hash ? v : NULL)) ||
            !(o->pid = svp_arena_strndup(im->run, pid, strlen(pid)))) {
            rc = rc ? rc : SVP_ENOMEM;
            break;
        }
        im->nsrec++;
        rc = svp_smap_put(&im->records, pid,
                          (struct svp_smap_val){o->id, m ? m->hash : o->h, -(long)im->nsrec});
    }
    store_finalize(&st);
    return rc < 0 ? imp_dberr(im, rc) : rc;
}

int imp_stage_known_record(struct imp *im, const char *pid, long *at)
{
    *at = 0;
    int rc = im->recs_loaded ? SVP_OK : load_records(im);
    struct svp_smap_val *m = rc ? NULL : svp_smap_get(&im->records, pid);
    if (!rc && (!m || m->line >= 0))
        return svp_err_set(im->err, SVP_EINTERNAL, "%s: a stored record was not read back",
                           im->path);
    if (m)
        *at = m->line;
    return rc;
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

/* A stored record changed by this file, as a line of COPY text for svp_stage_recup: the
 * values the row-by-row UPDATE sets. */
static int record_update_row(struct imp *im, struct svp_buf *b, const struct imp_staged_rec *o)
{
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)o->h);
    int rc = sep(b, put_id(b, o->id));
    rc = sep(b, rc ? rc : put_text(b, im->p->agency));
    for (int i = 0; i < REC_NVALS && !rc; i++)
        rc = sep(b, put_text(b, o->v[i]));
    rc = sep(b, rc ? rc : put_id(b, im->file_id));
    rc = sep(b, rc ? rc : put_id(b, o->line));
    rc = sep(b, rc ? rc : put_text(b, hex));
    return end_row(b, rc ? rc : put_text(b, im->now));
}

int imp_stage_record(struct imp *im, int64_t id, const char *pid, const char *const *v,
                     const char *hex, long line, long *at)
{
    struct imp_staged_rec *o = new_srec(im);
    if (!o)
        return SVP_ENOMEM;
    *o = (struct imp_staged_rec){.id = id, .h = hex ? strtoull(hex, NULL, 16) : 0,
                                 .line = line, .fid = im->file_id, .stub = !v};
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
    o->fid = im->file_id;
    o->stub = false;
    if (o->in_table && !o->dirty) { /* sent as an UPDATE with the next send */
        size_t *d = svp_grow(im->dirty, &im->capdirty, im->ndirty + 1, sizeof *d, 1024);
        if (!d)
            return SVP_ENOMEM;
        im->dirty = d;
        im->dirty[im->ndirty++] = (size_t)(-at - 1);
        o->dirty = true;
    }
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

/* A double as the PostgreSQL back end binds one (store_pg.c: 17 significant digits), so
 * that COPY stores the same double a bound INSERT would. */
static int put_double(struct svp_buf *b, bool has, double v)
{
    if (!has)
        return svp_buf_append(b, "\\N", 2);
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.17g", v);
    return svp_buf_append(b, tmp, (size_t)n);
}

/* A new place's id, as SQLite gives it (one after the highest); place is locked from the
 * start (preload_places). */
static int next_place_id(struct imp *im, int64_t *id)
{
    if (!im->place_next) {
        int64_t top = 0;
        int rc = store_query_int64(im->s, "SELECT COALESCE(MAX(id), 0) FROM place", &top,
                                   im->err);
        if (rc)
            return imp_dberr(im, rc);
        im->place_next = top + 1;
    }
    *id = im->place_next++;
    return SVP_OK;
}

int imp_stage_place(struct imp *im, const struct place_vals *pv, int64_t *place_id)
{
    int rc = next_place_id(im, place_id);
    if (rc)
        return rc;
    struct svp_buf *b = &im->stage[IMP_STAGE_PLACE]; /* as the table's columns */
    rc = sep(b, put_id(b, *place_id));
    rc = sep(b, rc ? rc : put_text(b, pv->key));
    rc = sep(b, rc ? rc : put_text(b, pv->name));
    rc = sep(b, rc ? rc : put_text(b, pv->postcode));
    rc = sep(b, rc ? rc : put_double(b, pv->has_lat, pv->lat));
    rc = sep(b, rc ? rc : put_double(b, pv->has_lon, pv->lon));
    rc = sep(b, rc ? rc : put_text(b, pv->area));
    rc = sep(b, rc ? rc : svp_buf_putc(b, pv->in_county ? '1' : '0'));
    rc = end_row(b, rc ? rc : put_text(b, pv->kind));
    if (!rc)
        rc = svp_smap_put(&im->places, pv->key, (struct svp_smap_val){*place_id, 0, 0});
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

/* A source's later file, an event stored before it whose values changed: as a line of COPY
 * text for svp_stage_evup; its history is written when it is sent (send_event_updates). */
static int stage_event_update(struct imp *im, const struct ev_vals *ev, int64_t id,
                              int64_t rec_id, int64_t place_id, const char *hex, long line)
{
    struct svp_buf *b = &im->stage[IMP_STAGE_EVUP];
    int rc = begin_row(im, b);
    rc = sep(b, rc ? rc : put_id(b, id));
    rc = sep(b, rc ? rc : put_id(b, rec_id));
    for (int i = 0; i < 4 && !rc; i++) /* type, subtype, started_at, ended_at */
        rc = sep(b, put_text(b, ev->v[i]));
    rc = sep(b, rc ? rc : put_id(b, place_id));
    rc = sep(b, rc ? rc : put_text(b, ev->v[5]));
    rc = sep(b, rc ? rc : put_id(b, line));
    rc = end_row(b, rc ? rc : put_text(b, hex));
    return stage_err(im, rc);
}

/* The event's id, given here (imp_take_event_id) so that it is the one SQLite gives. A
 * source's first file: an event id already staged by this file is the first's, and the event
 * is not staged again (as the first file's batched insert keeps the first). A later file: as
 * the row-by-row path, an event stored with the same values is unchanged, one stored before
 * the file with other values is staged as an UPDATE with its history; one this file stored
 * or changed already and now brings other values again goes row by row (IMP_ROW_BY_ROW: the
 * stages are sent first, so the row-by-row path finds it in the table). */
int imp_stage_event(struct imp *im, const struct ev_vals *ev, int64_t rec_id,
                    int64_t place_id, const char *hex, long line, int64_t *ev_id,
                    enum change *ch)
{
    *ev_id = 0;
    *ch = CH_NEW;
    uint64_t h = strtoull(hex, NULL, 16);
    struct svp_smap_val *known = svp_smap_get(&im->staged_events, ev->eid);
    int rc;
    if (known && im->new_source) {
        *ev_id = known->id;
        return SVP_OK;
    }
    if (known) {
        *ev_id = known->id;
        if (known->hash == h) {
            *ch = CH_UNCHANGED;
            return SVP_OK;
        }
        if (known->line)
            return IMP_ROW_BY_ROW;
        known->hash = h;
        known->line = 1;
        *ch = CH_UPDATED;
        return stage_event_update(im, ev, *ev_id, rec_id, place_id, hex, line);
    }
    bool first = !im->ev_next;
    rc = imp_take_event_id(im, ev_id);
    if (!rc && first && im->new_source)
        rc = still_new(im);
    if (!rc)
        rc = svp_smap_put(&im->staged_events, ev->eid, (struct svp_smap_val){*ev_id, h, 1});
    if (rc)
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

/* Records: each new one once, with its last values (COPY into record), and each stored one
 * this file changed since the last send (COPY into svp_stage_recup, then one UPDATE). */
static int records_text(struct imp *im, int i)
{
    struct svp_buf *b = &im->stage[i];
    int rc = SVP_OK;
    if (i == IMP_STAGE_RECORD) {
        bool any = false;
        for (size_t k = im->srec_sent; k < im->nsrec && !rc; k++) {
            struct imp_staged_rec *o = &im->srec[k];
            if (o->in_table) /* read back (load_records), not new */
                continue;
            if (!any || o->id < im->stage_lo[i])
                im->stage_lo[i] = o->id;
            if (!any || o->id > im->stage_hi[i])
                im->stage_hi[i] = o->id;
            any = true;
            rc = record_row(im, b, o);
        }
    } else {
        for (size_t k = 0; k < im->ndirty && !rc; k++)
            rc = record_update_row(im, b, &im->srec[im->dirty[k]]);
    }
    return rc ? stage_err(im, rc) : SVP_OK;
}

/* After the records are sent: every staged record is in the table, a change to it an
 * UPDATE. */
static void records_sent(struct imp *im, int i)
{
    if (i == IMP_STAGE_RECORD) {
        for (size_t k = im->srec_sent; k < im->nsrec; k++)
            im->srec[k].in_table = true;
        im->srec_sent = im->nsrec;
    } else {
        for (size_t k = 0; k < im->ndirty; k++)
            im->srec[im->dirty[k]].dirty = false;
        im->ndirty = 0;
    }
}

/* The changed events' history, from their stored values (read before the UPDATE), as the
 * row-by-row path writes it: COPY text for svp_stage_evhist. */
static int events_history_text(struct imp *im)
{
    struct store_stmt *st = NULL;
    struct svp_buf *b = &im->stage[IMP_STAGE_EVHIST];
    int rc = store_prepare(im->s, evup_previous, &st, im->err);
    while (!rc && (rc = store_step(st, im->err)) == STORE_ROW) {
        char *prev = NULL;
        if ((rc = imp_previous_json(st, 3, &prev)))
            break;
        rc = sep(b, put_id(b, store_column_int64(st, 0)));
        rc = sep(b, rc ? rc : put_id(b, store_column_int64(st, 1)));
        rc = sep(b, rc ? rc : put_id(b, store_column_int64(st, 2)));
        rc = end_row(b, rc ? rc : put_text(b, prev));
        svp_free(prev);
    }
    store_finalize(&st);
    if (rc == STORE_DONE)
        rc = SVP_OK;
    return rc < 0 && rc != SVP_ENOMEM && rc != SVP_EINPUT ? imp_dberr(im, rc) : stage_err(im, rc);
}

static int bind_stage(struct imp *im, int i, struct store_stmt *st)
{
    int rc = SVP_OK;
    switch (i) {
    case IMP_STAGE_HISTORY:
    case IMP_STAGE_EVHIST:
        rc = store_bind_int64(st, 1, im->file_id);
        return rc ? rc : store_bind_text_ref(st, 2, im->now, -1);
    case IMP_STAGE_EVUP:
        return store_bind_int64(st, 1, im->file_id);
    case IMP_STAGE_REL:
        rc = store_bind_text_ref(st, 1, im->p->name, -1);
        if (!rc)
            rc = store_bind_text_ref(st, 2, im->p->agency, -1);
        if (!rc)
            rc = store_bind_int64(st, 3, im->file_id);
        return rc ? rc : store_bind_text_ref(st, 4, im->p->name, -1);
    default:
        return SVP_OK;
    }
}

static int send_stage(struct imp *im, int i)
{
    struct svp_buf *b = &im->stage[i];
    int rc = SVP_OK;
    if (i == IMP_STAGE_RECORD || i == IMP_STAGE_RECUP)
        rc = records_text(im, i);
    if (rc)
        return rc;
    if (!b->len) {
        if (i == IMP_STAGE_RECORD || i == IMP_STAGE_RECUP)
            records_sent(im, i);
        return SVP_OK;
    }
    if ((rc = store_copy_in(im->s, copy_sql[i], b->data, b->len, im->err)))
        return imp_dberr(im, rc);
    svp_buf_reset(b);
    if (im->fk_set && (rc = imp_stage_keys_checked(im, i)))
        return rc;
    if (i == IMP_STAGE_RECORD || i == IMP_STAGE_RECUP)
        records_sent(im, i);
    if (i == IMP_STAGE_EVUP && (rc = events_history_text(im)))
        return rc;
    struct store_stmt *st = im->stage_st[i];
    if (!st) /* records, places and events: in the table already */
        return SVP_OK;
    store_reset(st);
    if ((rc = bind_stage(im, i, st)))
        return rc;
    if ((rc = store_step(st, im->err)) < 0)
        return imp_dberr(im, rc);
    if (i == IMP_STAGE_REL)
        im->res->relationships += store_changes(st);
    store_reset(st);
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
    /* Every statement of a send looks stored rows up by the staged ones: by index, never by
     * reading a whole table per staged row. Right after a large load, before autovacuum has
     * analysed it, PostgreSQL may take a table for nearly empty and plan a nested loop over a
     * sequential scan of it: 72 s for one file's relationships in a re-import of the
     * 104,000-child county (2026-12-07), against well under a second by index. */
    if (!rc && (rc = store_exec(im->s, "SET LOCAL enable_seqscan = off", im->err)))
        rc = imp_dberr(im, rc);
    for (int i = 0; i < IMP_NSTAGES && !rc; i++)
        rc = send_stage(im, i);
    if (!rc && (rc = store_exec(im->s, "SET LOCAL enable_seqscan = on", im->err)))
        rc = imp_dberr(im, rc);
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
    /* records are written out when sent */
    n += (im->nsrec - im->srec_sent + im->ndirty) * 256;
    return n < STAGE_FLUSH_AT ? SVP_OK : imp_stage_flush(im);
}
