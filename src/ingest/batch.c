/* SQLite's record batch (issue 13, Speed). When a file is its source's first (its events are
 * batched: write.c, queue_events) and its id space holds no record yet, every record the file
 * makes is new: it is kept in memory (stage.c's staged records, as PostgreSQL's bulk path
 * keeps them) with the id SQLite would give it (one after the highest, in the order the rows
 * make them), and a row that changes a record still in memory changes it there, its old
 * values kept as the history row the UPDATE would have written (write.c, update_staged).
 * The records, then their history rows, are stored by one INSERT ... SELECT from svp_rows
 * each (store_insert_rows) before the events that name them, when a batch of events is
 * stored, when IMP_REC_BATCH records wait, before a record already stored is updated row by
 * row (so history rows keep the order they were made in) and when the rows end. Instead of
 * an INSERT per record and, for every change, a SELECT, an UPDATE that rewrites every index
 * entry of the row and a history INSERT. The stored rows are the same: same ids, values,
 * history and order (bench/ingest-same.sh; test_ingest_speed). */
#include "import_int.h"

#include <string.h>

#define IMP_REC_BATCH 4096 /* records waiting before they are stored */
#define REC_COLS 22        /* id, source, agency, agency_record_id, 14 values, file, line,
                              content hash, updated_at */
#define HIST_COLS 5

static const char record_sql[] =
    "INSERT INTO record (id, source, agency, agency_record_id, given_name, middle_names, "
    "family_name, dob, sex, ethnicity, postcode, address, area, role, norm_given, "
    "norm_family, detail, shared_id, file_id, line, content_hash, updated_at) SELECT c0, c1, "
    "c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, "
    "c21 FROM svp_rows WHERE true";

static const char history_sql[] =
    "INSERT INTO record_history (record_id, file_id, line, changed_at, previous) "
    "SELECT c0, c1, c2, c3, c4 FROM svp_rows WHERE true";

static struct store_val text(const char *s)
{
    return s ? (struct store_val){STORE_V_TEXT, s, 0} : (struct store_val){STORE_V_NULL, NULL, 0};
}

static struct store_val num(int64_t i)
{
    return (struct store_val){STORE_V_INT, NULL, i};
}

int imp_batch_plan(struct imp *im, bool *yes)
{
    *yes = false;
    if (!im->sqlite || !im->queue_events || !im->p->id_space || im->p->place_sec >= 0)
        return SVP_OK;
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s, "SELECT id FROM record WHERE source = ? LIMIT 1", &st,
                           im->err);
    if (!rc && !(rc = store_bind_text_ref(st, 1, im->p->id_space, -1)) &&
        (rc = store_step(st, im->err)) >= 0) {
        *yes = rc == STORE_DONE;
        rc = SVP_OK;
    }
    store_finalize(&st);
    return rc;
}

int imp_batch_history(struct imp *im, int64_t rec_id, long line, const char *previous)
{
    struct imp_batch_hist *n = svp_grow(im->bhist, &im->capbhist, im->nbhist + 1, sizeof *n, 256);
    if (!n)
        return SVP_ENOMEM;
    im->bhist = n;
    char *p = svp_arena_strndup(im->run, previous, strlen(previous));
    if (!p)
        return SVP_ENOMEM;
    im->bhist[im->nbhist++] = (struct imp_batch_hist){rec_id, line, p};
    return SVP_OK;
}

int imp_batch_flush(struct imp *im)
{
    size_t n = im->nsrec - im->srec_sent;
    if (!im->rec_batch || (!n && !im->nbhist))
        return SVP_OK;
    size_t rows = n > im->nbhist ? n : im->nbhist;
    struct store_val *v = svp_grow(im->bvals, &im->capbvals, rows * REC_COLS, sizeof *v, 1024);
    if (!v)
        return SVP_ENOMEM;
    im->bvals = v;
    /* hex hashes: 17 bytes a record, in the run arena (stored as text) */
    char *hex = n ? svp_arena_alloc(im->run, n * 17) : NULL;
    if (n && !hex)
        return SVP_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        const struct imp_staged_rec *o = &im->srec[im->srec_sent + k];
        struct store_val *r = &v[k * REC_COLS];
        r[0] = num(o->id);
        r[1] = text(im->p->id_space);
        r[2] = text(im->p->agency);
        r[3] = text(o->pid);
        for (int i = 0; i < REC_NVALS; i++) /* given ... shared_id, as the table */
            r[4 + i] = text(o->stub ? (i == 9 ? "unknown" : NULL) : o->v[i]);
        r[18] = num(im->file_id);
        r[19] = num(o->line);
        char *h = hex + k * 17;
        imp_hash_hex(o->h, h);
        r[20] = text(o->stub ? NULL : h);
        r[21] = text(im->now);
    }
    int rc = store_insert_rows(im->s, record_sql, v, n, REC_COLS, im->err);
    if (rc)
        return imp_dberr(im, rc);
    im->srec_sent = im->nsrec; /* in the table now: a change to one is an UPDATE */
    for (size_t k = 0; k < im->nbhist; k++) {
        struct store_val *r = &v[k * HIST_COLS];
        r[0] = num(im->bhist[k].rec_id);
        r[1] = num(im->file_id);
        r[2] = num(im->bhist[k].line);
        r[3] = text(im->now);
        r[4] = text(im->bhist[k].previous);
    }
    rc = store_insert_rows(im->s, history_sql, v, im->nbhist, HIST_COLS, im->err);
    im->nbhist = 0;
    return rc ? imp_dberr(im, rc) : SVP_OK;
}

int imp_batch_maybe_flush(struct imp *im)
{
    return im->nsrec - im->srec_sent < IMP_REC_BATCH ? SVP_OK : imp_batch_flush(im);
}

int imp_batch_end(struct imp *im)
{
    if (!im->rec_batch)
        return SVP_OK;
    int rc = imp_batch_flush(im);
    im->rec_batch = false; /* later records (relationships' stubs) are inserted one by one, */
    im->rec_next = 0;      /* numbered by SQLite after the batch's */
    return rc;
}
