/* Relationships (resolved once every row is in) and the record ids reserved ahead, split
 * from write.c. */
#include "import_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ relationships */

int imp_resolve_person(struct imp *im, const char *pid, int64_t *id);

int imp_queue_rels(struct imp *im, int si, int64_t rec_id, int64_t ev_id)
{
    const struct ingest_section *sec = &im->p->secs[si];
    const struct ingest_spec *sp = &sec->fields[sec->slot[T_REL_OTHER]].spec;
    struct val kind, other;
    int rc;
    bool holds;
    if ((rc = imp_when(im, sec, &holds)) || !holds)
        return rc;
    if ((rc = imp_eval_field(im, sec, T_REL_KIND, &kind)) || (rc = imp_eval(im, sp, &other, true)))
        return rc;
    if (other.kind == V_NULL || kind.kind == V_NULL)
        return SVP_OK;
    if (sec->slot[T_PERSON] >= 0) {
        struct val who;
        if ((rc = imp_eval(im, &sec->fields[sec->slot[T_PERSON]].spec, &who, true)))
            return rc;
        if (who.kind == V_NULL)
            return SVP_OK;
        const char *w = imp_vstr(im, &who);
        if (!w)
            return SVP_ENOMEM;
        if ((rc = imp_resolve_person(im, w, &rec_id)))
            return rc;
    }
    char sep = 0;
    for (int i = 0; i < sp->nsteps; i++)
        if (sp->steps[i].kind == STEP_LIST)
            sep = sp->steps[i].arg[0];
    const char *k = NULL;
    {
        char tmp[32];
        size_t n = kind.len < sizeof tmp - 1 ? kind.len : sizeof tmp - 1;
        memcpy(tmp, kind.s, n);
        tmp[n] = '\0';
        /* kind values are checked canonical by eval_field; keep a stable copy */
        k = svp_arena_strndup(im->run, tmp, n);
        if (!k)
            return SVP_ENOMEM;
    }
    const char *p = other.s, *end = other.s + other.len;
    while (p < end) {
        const char *q = sep ? memchr(p, sep, (size_t)(end - p)) : NULL;
        if (!q)
            q = end;
        const char *a = p, *z = q;
        while (a < z && isspace((unsigned char)*a))
            a++;
        while (z > a && isspace((unsigned char)z[-1]))
            z--;
        if (z > a) {
            if (im->nrels == im->caprels) {
                size_t nc = im->caprels ? im->caprels * 2 : 256;
                struct pending_rel *nr = svp_realloc(im->rels, nc * sizeof *nr);
                if (!nr)
                    return SVP_ENOMEM;
                im->rels = nr;
                im->caprels = nc;
            }
            char *o = svp_arena_strndup(im->run, a, (size_t)(z - a));
            if (!o)
                return SVP_ENOMEM;
            im->rels[im->nrels++] = (struct pending_rel){rec_id, ev_id, o, k, sec->both_ways,
                                                         im->r->line};
        }
        p = q + 1;
    }
    return SVP_OK;
}

/* Whether the source had no relationship before this file: then one exists only if this
 * file stored it, which a map in memory says without a statement per relationship. */
static int rels_new(struct imp *im, bool *yes)
{
    if (!im->rels_new) {
        struct store_stmt *st = NULL;
        int rc = store_prepare(im->s, "SELECT id FROM relationship WHERE source = ? LIMIT 1",
                               &st, im->err);
        if (!rc && !(rc = store_bind_text_ref(st, 1, im->p->name, -1)) &&
            (rc = store_step(st, im->err)) >= 0) {
            im->rels_new = rc == STORE_DONE ? 1 : -1;
            rc = SVP_OK;
        }
        store_finalize(&st);
        if (rc)
            return imp_dberr(im, rc);
    }
    *yes = im->rels_new > 0;
    return SVP_OK;
}

/* SQLite, a source's first relationships (rels_new): stored IMP_REL_BATCH at a time by one
 * INSERT ... SELECT from svp_rows (store_insert_rows) instead of an INSERT each, in the same
 * order (so with the same ids); the records they name are stored already. */
#define IMP_REL_BATCH 4096
#define REL_COLS 8

static const char rel_batch_sql[] =
    "INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id, file_id, "
    "line) SELECT c0, c1, c2, c3, c4, c5, c6, c7 FROM svp_rows WHERE true";

static int rels_flush(struct imp *im)
{
    if (!im->nrelb)
        return SVP_OK;
    int rc = store_insert_rows(im->s, rel_batch_sql, im->relb, im->nrelb, REL_COLS, im->err);
    im->nrelb = 0;
    return rc ? imp_dberr(im, rc) : SVP_OK;
}

static int batch_rel(struct imp *im, const struct pending_rel *r, int64_t a, int64_t b)
{
    if (!im->relb && !(im->relb = svp_malloc(IMP_REL_BATCH * REL_COLS * sizeof *im->relb)))
        return SVP_ENOMEM;
    struct store_val *v = &im->relb[im->nrelb * REL_COLS];
    v[0] = (struct store_val){STORE_V_TEXT, im->p->name, 0};
    v[1] = (struct store_val){STORE_V_TEXT, im->p->agency, 0};
    v[2] = (struct store_val){STORE_V_TEXT, r->kind, 0};
    v[3] = (struct store_val){STORE_V_INT, NULL, a};
    v[4] = (struct store_val){STORE_V_INT, NULL, b};
    v[5] = r->event_id ? (struct store_val){STORE_V_INT, NULL, r->event_id}
                       : (struct store_val){STORE_V_NULL, NULL, 0};
    v[6] = (struct store_val){STORE_V_INT, NULL, im->file_id};
    v[7] = (struct store_val){STORE_V_INT, NULL, r->line};
    im->res->relationships++;
    return ++im->nrelb < IMP_REL_BATCH ? SVP_OK : rels_flush(im);
}

/* The in-memory key of a relationship: kind|a|b|event. */
static void rel_key(char *key, size_t size, const char *kind, int64_t a, int64_t b, int64_t ev)
{
    size_t n = strlen(kind);
    if (n > size - 3 * 24 - 4)
        n = size - 3 * 24 - 4;
    memcpy(key, kind, n);
    const int64_t v[3] = {a, b, ev};
    for (int i = 0; i < 3; i++) {
        key[n++] = '|';
        imp_fmt_i64(v[i], key + n);
        n += strlen(key + n);
    }
}

static int add_rel(struct imp *im, const struct pending_rel *r, int64_t a, int64_t b)
{
    if (im->bulk) /* staged; counted when stored (stage.c) */
        return imp_stage_rel(im, r->kind, a, b, r->event_id, r->line);
    bool fresh = false;
    int rc = rels_new(im, &fresh);
    if (rc)
        return rc;
    char key[128];
    if (fresh) {
        rel_key(key, sizeof key, r->kind, a, b, r->event_id);
        if (svp_smap_get(&im->rels_stored, key))
            return SVP_OK;
        if ((rc = svp_smap_put(&im->rels_stored, key, (struct svp_smap_val){0, 0, 0})))
            return rc;
        if (im->sqlite)
            return batch_rel(im, r, a, b);
        goto insert;
    }
    struct store_stmt *ex = im->st[S_REL_EXISTS];
    store_reset(ex);
    rc = store_bind_text_ref(ex, 1, im->p->name, -1);
    if (!rc)
        rc = store_bind_text_ref(ex, 2, r->kind, -1);
    if (!rc)
        rc = store_bind_int64(ex, 3, a);
    if (!rc)
        rc = store_bind_int64(ex, 4, b);
    if (!rc)
        rc = store_bind_int64(ex, 5, r->event_id);
    if (rc)
        return rc;
    rc = store_step(ex, im->err);
    store_reset(ex);
    if (rc < 0)
        return imp_dberr(im, rc);
    if (rc == STORE_ROW)
        return SVP_OK;
insert:;
    struct store_stmt *in = im->st[S_REL_INSERT];
    store_reset(in);
    rc = store_bind_text_ref(in, 1, im->p->name, -1);
    if (!rc)
        rc = store_bind_text_ref(in, 2, im->p->agency, -1);
    if (!rc)
        rc = store_bind_text_ref(in, 3, r->kind, -1);
    if (!rc)
        rc = store_bind_int64(in, 4, a);
    if (!rc)
        rc = store_bind_int64(in, 5, b);
    if (!rc)
        rc = r->event_id ? store_bind_int64(in, 6, r->event_id) : store_bind_null(in, 6);
    if (!rc)
        rc = store_bind_int64(in, 7, im->file_id);
    if (!rc)
        rc = store_bind_int64(in, 8, r->line);
    if (rc)
        return rc;
    /* Nothing is read back: queued (the next existence check runs behind it). */
    if ((rc = store_queue(in, im->err)))
        return imp_dberr(im, rc);
    im->res->relationships++;
    return SVP_OK;
}

/* Relationships are resolved once every row is in, so an id named before its own row
 * (found with someone later in the file) finds that row's record. */
int imp_resolve_rels(struct imp *im)
{
    for (size_t i = 0; i < im->nrels; i++) {
        const struct pending_rel *r = &im->rels[i];
        struct svp_smap_val *k = svp_smap_get(&im->records, r->other);
        int64_t b;
        int rc;
        if (k)
            b = k->id;
        else if ((rc = imp_stub_record(im, r->other, r->line, &b)))
            return rc;
        if (b == r->a)
            continue;
        if ((rc = add_rel(im, r, r->a, b)))
            return rc;
        if (r->both_ways && (rc = add_rel(im, r, b, r->a)))
            return rc;
    }
    return rels_flush(im);
}


int imp_resolve_person(struct imp *im, const char *pid, int64_t *id)
{
    struct svp_smap_val *k = svp_smap_get(&im->records, pid);
    if (k) {
        *id = k->id;
        return SVP_OK;
    }
    return imp_stub_record(im, pid, im->r->line, id);
}

/* The next id of a table, given by this file as SQLite numbers its rows: after the highest
 * there is, one by one, so that the same imports give the same ids on both back ends (issue
 * 22). PostgreSQL's own numbering (a sequence) would leave gaps where SQLite has none. The
 * first id a file gives locks the table against other writers until the file commits
 * (SHARE ROW EXCLUSIVE: readers go on; another import waits as it would on SQLite), so no
 * one else takes the ids meanwhile; imp_ids_end moves the sequence past them. */
static int next_id(struct imp *im, const char *lock, const char *max, int64_t *next, int64_t *id)
{
    if (!*next) {
        int64_t top = 0;
        /* SQLite: the file's transaction holds the write lock since its source_file row */
        int rc = im->sqlite ? SVP_OK : store_exec(im->s, lock, im->err);
        if (!rc)
            rc = store_query_int64(im->s, max, &top, im->err);
        if (rc)
            return imp_dberr(im, rc);
        *next = top + 1;
    }
    *id = (*next)++;
    return SVP_OK;
}

int imp_take_record_id(struct imp *im, int64_t *id)
{
    return next_id(im, "LOCK TABLE record IN SHARE ROW EXCLUSIVE MODE",
                   "SELECT COALESCE(MAX(id), 0) FROM record", &im->rec_next, id);
}

int imp_take_event_id(struct imp *im, int64_t *id)
{
    return next_id(im, "LOCK TABLE event IN SHARE ROW EXCLUSIVE MODE",
                   "SELECT COALESCE(MAX(id), 0) FROM event", &im->ev_next, id);
}

int imp_ids_end(struct imp *im)
{
    static const char *const sql[2] = {
        "SELECT setval(pg_get_serial_sequence('record', 'id'), (SELECT MAX(id) FROM record))",
        "SELECT setval(pg_get_serial_sequence('event', 'id'), (SELECT MAX(id) FROM event))"};
    int rc = SVP_OK;
    if (im->sqlite) /* SQLite numbers its own rows: nothing to move */
        return SVP_OK;
    if ((im->rec_next || im->ev_next) && (rc = store_flush(im->s, im->err)))
        return imp_dberr(im, rc);
    for (int i = 0; i < 2 && !rc; i++)
        if (i ? im->ev_next : im->rec_next)
            rc = store_exec(im->s, sql[i], im->err);
    return rc ? imp_dberr(im, rc) : SVP_OK;
}
