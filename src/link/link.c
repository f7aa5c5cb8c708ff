/* The link room's side of the store: reads records, runs the model, writes persons with
 * stable ids, pair scores, review decisions and each record's reason. */
#include "link_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void link_loaded_free(struct loaded *l)
{
    for (size_t i = 0; i < l->n; i++)
        for (int k = 0; k < NREC_FIELDS; k++)
            svp_free(l->r[i].f[k]);
    svp_free(l->r);
    memset(l, 0, sizeof *l);
}

static void fingerprint(struct rowrec *r)
{
    uint64_t h = 1469598103934665603ULL;
    for (int k = 0; k < NREC_FIELDS; k++) {
        for (const char *p = r->f[k] ? r->f[k] : ""; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ 0x1e) * 1099511628211ULL;
    }
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++)
        r->fp[i] = hex[(h >> (60 - 4 * i)) & 15];
    r->fp[16] = 0;
}

/* Record row fields as the linker keeps them (owned, NULL when empty): the columns' text,
 * except detail, of which only the known-as (preferred) name (normalised as the given names
 * are), the email address, the phone number and the carer's phone (contact_phone) are
 * kept. A detail that is not JSON, or a value that is not a string, gives nothing. */
static int detail_text(json_t *d, const char *key, bool name, char **out, struct svp_err *err)
{
    const char *v = json_string_value(json_object_get(d, key));
    *out = NULL;
    if (!v || !*v)
        return 0;
    if (!name)
        return (*out = svp_strdup(v)) ? 0 : svp_err_set(err, SVP_ENOMEM, "out of memory reading records");
    /* a name that cannot be normalised (not UTF-8) is no known-as name */
    int rc = svp_name_normalise(v, strlen(v), out, err);
    if (rc && rc != SVP_ENOMEM)
        rc = 0, *out = NULL;
    if (*out && !**out) {
        svp_free(*out);
        *out = NULL;
    }
    return rc;
}

int link_row_fields(struct store_stmt *st, char *f[NREC_FIELDS], struct svp_err *err)
{
    for (int k = 0; k < NREC_COLS - 1; k++) {
        const char *t = store_column_text(st, k + 1);
        if (t && !(f[k] = svp_strdup(t)))
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading records");
    }
    const char *t = store_column_text(st, NREC_COLS);
    if (!t || (!strstr(t, "\"known_as\"") && !strstr(t, "\"email\"") && !strstr(t, "phone\"")))
        return 0;
    json_t *d = json_loads(t, 0, NULL);
    int rc = detail_text(d, "known_as", true, &f[NREC_COLS - 1], err);
    if (!rc)
        rc = detail_text(d, "email", false, &f[NREC_COLS], err);
    if (!rc)
        rc = detail_text(d, "phone", false, &f[NREC_COLS + 1], err);
    if (!rc)
        rc = detail_text(d, "contact_phone", false, &f[NREC_COLS + 2], err);
    json_decref(d);
    return rc;
}

static int load_records(struct store *db, struct loaded *l, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(db,
                           "SELECT r.id, " REC_FIELDS ", s.fingerprint, pr.person_id "
                           "FROM record r LEFT JOIN link_state s ON s.record_id = r.id "
                           "LEFT JOIN person_record pr ON pr.record_id = r.id ORDER BY r.id",
                           &st, err);
    while (rc == 0 && (rc = store_step(st, err)) == STORE_ROW) {
        rc = 0;
        struct rowrec *nr = svp_grow(l->r, &l->cap, l->n + 1, sizeof *nr, 1024);
        if (!nr) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading records");
            break;
        }
        l->r = nr;
        struct rowrec *r = &l->r[l->n];
        memset(r, 0, sizeof *r);
        l->n++;
        r->id = store_column_int64(st, 0);
        rc = link_row_fields(st, r->f, err);
        fingerprint(r);
        const char *old = store_column_text(st, NREC_COLS + 1);
        r->dirty = !old || strcmp(old, r->fp);
        r->old_person =
            store_column_is_null(st, NREC_COLS + 2) ? 0 : store_column_int64(st, NREC_COLS + 2);
    }
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}

/* Clean records first, then new and changed ones, each in id order. */
static int cmp_rows(const void *x, const void *y)
{
    const struct rowrec *a = x, *b = y;
    if (a->dirty != b->dirty)
        return a->dirty ? 1 : -1;
    return a->id < b->id ? -1 : a->id > b->id;
}

int link_build_set(struct loaded *l, struct link_set **out, struct svp_err *err)
{
    struct link_rec *v = svp_calloc(l->n ? l->n : 1, sizeof *v);
    if (!v)
        return svp_err_set(err, SVP_ENOMEM, "out of memory preparing records");
    for (size_t i = 0; i < l->n; i++) {
        struct rowrec *r = &l->r[i];
        v[i] = (struct link_rec){r->id,    r->f[0],  r->f[2],  r->f[3], r->f[4],
                                 r->f[5],  r->f[6],  r->f[7],  r->f[8], r->f[10],
                                 r->f[11], r->f[12], r->f[9], r->f[13]};
    }
    int rc = link_set_new(v, l->n, out, err);
    svp_free(v);
    return rc;
}

/* Index of record id in l (sorted by dirty, id): a small map built once. */
struct idmap {
    int64_t *ids;
    uint32_t *idx;
    size_t n;
};

static int cmp_i64_pair(const void *x, const void *y)
{
    const int64_t *a = x, *b = y;
    return a[0] < b[0] ? -1 : a[0] > b[0];
}

static int idmap_build(const struct loaded *l, struct idmap *m)
{
    int64_t *tmp = svp_malloc((l->n ? l->n : 1) * 2 * sizeof *tmp);
    m->ids = svp_malloc((l->n ? l->n : 1) * sizeof *m->ids);
    m->idx = svp_malloc((l->n ? l->n : 1) * sizeof *m->idx);
    if (!tmp || !m->ids || !m->idx) {
        svp_free(tmp);
        return SVP_ENOMEM;
    }
    for (size_t i = 0; i < l->n; i++)
        tmp[2 * i] = l->r[i].id, tmp[2 * i + 1] = (int64_t)i;
    qsort(tmp, l->n, 2 * sizeof *tmp, cmp_i64_pair);
    for (size_t i = 0; i < l->n; i++)
        m->ids[i] = tmp[2 * i], m->idx[i] = (uint32_t)tmp[2 * i + 1];
    m->n = l->n;
    svp_free(tmp);
    return 0;
}

static long idmap_get(const struct idmap *m, int64_t id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->ids[lo] == id ? (long)m->idx[lo] : -1;
}

static void idmap_free(struct idmap *m)
{
    svp_free(m->ids);
    svp_free(m->idx);
    memset(m, 0, sizeof *m);
}

/* The model in force, and how many records it was trained on (records may be NULL). */
int link_load_model(struct store *db, struct link_model **out, int64_t *records,
                    struct svp_err *err)
{
    *out = NULL;
    struct store_stmt *st = NULL;
    int rc = store_prepare(db, "SELECT body, records FROM link_model ORDER BY id DESC LIMIT 1",
                           &st, err);
    if (rc == 0 && (rc = store_step(st, err)) == STORE_ROW) {
        if (records)
            *records = store_column_int64(st, 1);
        rc = link_model_load(store_column_text(st, 0), out, err);
    }
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}

void link_now_iso(char buf[32])
{
    svp_time t = (svp_time)svp_date_today() * 86400;
    svp_time_format(t, buf, 32);
}

int link_exec_bind2(struct store *db, const char *sql, int64_t a, int64_t b, bool two,
                    struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(db, sql, &st, err);
    if (!rc && (store_bind_int64(st, 1, a) || (two && store_bind_int64(st, 2, b))))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    if (!rc)
        rc = store_step(st, err);
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}

static int read_pairs(struct store *db, const struct idmap *im, struct link_pair **out,
                      size_t *nout, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    struct link_pair *v = NULL;
    size_t n = 0, cap = 0;
    int rc = store_prepare(db, "SELECT record_a, record_b, probability, weight FROM link_pair", &st, err);
    while (rc == 0 && (rc = store_step(st, err)) == STORE_ROW) {
        rc = 0;
        long a = idmap_get(im, store_column_int64(st, 0));
        long b = idmap_get(im, store_column_int64(st, 1));
        if (a < 0 || b < 0)
            continue;
        struct link_pair *nv = svp_grow(v, &cap, n + 1, sizeof *v, 1024);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading pairs");
            break;
        }
        v = nv;
        v[n++] = (struct link_pair){(uint32_t)(a < b ? a : b), (uint32_t)(a < b ? b : a),
                                    (float)store_column_double(st, 2),
                                    (float)store_column_double(st, 3)};
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(v);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

static int read_decisions(struct store *db, const struct idmap *im, struct link_decision **out,
                          size_t *nout, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    struct link_decision *v = NULL;
    size_t n = 0, cap = 0;
    int rc = store_prepare(db, "SELECT record_a, record_b, same FROM link_decision", &st, err);
    while (rc == 0 && (rc = store_step(st, err)) == STORE_ROW) {
        rc = 0;
        long a = idmap_get(im, store_column_int64(st, 0));
        long b = idmap_get(im, store_column_int64(st, 1));
        if (a < 0 || b < 0)
            continue;
        struct link_decision *nv = svp_grow(v, &cap, n + 1, sizeof *v, 64);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading decisions");
            break;
        }
        v = nv;
        v[n++] = (struct link_decision){(uint32_t)a, (uint32_t)b, store_column_int64(st, 2) != 0};
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(v);
        return rc;
    }
    *out = v;
    *nout = n;
    return 0;
}

/* Stable person ids: each new cluster takes the old person id most of its records had,
 * unless a bigger share of that person went to another cluster; the rest get new ids. */
struct claim {
    uint32_t label;
    int64_t person;
    uint32_t votes;
};

static int cmp_claim(const void *x, const void *y)
{
    const struct claim *a = x, *b = y;
    if (a->votes != b->votes)
        return a->votes > b->votes ? -1 : 1;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    return a->label < b->label ? -1 : a->label > b->label;
}

static int cmp_claim_lp(const void *x, const void *y)
{
    const struct claim *a = x, *b = y;
    if (a->label != b->label)
        return a->label < b->label ? -1 : 1;
    return a->person < b->person ? -1 : a->person > b->person;
}

static int cmp_u64(const void *x, const void *y)
{
    const uint64_t *a = x, *b = y;
    return *a < *b ? -1 : *a > *b;
}

static int write_persons(struct store *db, const struct loaded *l, const uint32_t *label,
                         const struct link_pair *pairs, size_t npairs,
                         const struct link_decision *dec, size_t ndec,
                         const struct link_set *set, const char *reason, uint64_t *events,
                         struct svp_err *err)
{
    bool *used = NULL;
    size_t n = l->n;
    int rc = 0;
    int64_t *pid = svp_calloc(n ? n : 1, sizeof *pid);        /* person id per label */
    double *prob = svp_malloc((n ? n : 1) * sizeof *prob);     /* joining probability */
    struct claim *cl = svp_malloc((n ? n : 1) * sizeof *cl);
    uint64_t *key = svp_malloc((n ? n : 1) * sizeof *key);
    struct store_bulk *bk = NULL, *bs = NULL;
    if (!pid || !prob || !cl || !key) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory writing persons");
        goto out;
    }
    /* votes: how many records of each old person each new cluster holds */
    size_t ncl = 0;
    for (size_t i = 0; i < n; i++)
        if (l->r[i].old_person)
            cl[ncl++] = (struct claim){label[i], l->r[i].old_person, 1};
    qsort(cl, ncl, sizeof *cl, cmp_claim_lp);
    size_t nagg = 0;
    for (size_t k = 0; k < ncl;) {
        size_t e = k;
        while (e < ncl && cl[e].label == cl[k].label && cl[e].person == cl[k].person)
            e++;
        cl[nagg++] = (struct claim){cl[k].label, cl[k].person, (uint32_t)(e - k)};
        k = e;
    }
    ncl = nagg;
    /* distinct old persons, to mark each as used once */
    for (size_t k = 0; k < ncl; k++)
        key[k] = (uint64_t)cl[k].person;
    qsort(key, ncl, sizeof *key, cmp_u64);
    size_t nper = 0;
    for (size_t k = 0; k < ncl; k++)
        if (!nper || key[nper - 1] != key[k])
            key[nper++] = key[k];
    used = svp_calloc(nper ? nper : 1, sizeof *used);
    if (!used) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory writing persons");
        goto out;
    }
    /* greedy: biggest share first; each person id and each cluster used once */
    qsort(cl, ncl, sizeof *cl, cmp_claim);
    for (size_t k = 0; k < ncl; k++) {
        uint64_t pk = (uint64_t)cl[k].person;
        uint64_t *hit = bsearch(&pk, key, nper, sizeof *key, cmp_u64);
        size_t at = (size_t)(hit - key);
        if (pid[cl[k].label] || used[at])
            continue;
        pid[cl[k].label] = cl[k].person;
        used[at] = true;
    }
    /* joining probability: the best kept pair linking a record into its person */
    for (size_t i = 0; i < n; i++)
        prob[i] = NAN;
    for (size_t k = 0; k < npairs; k++) {
        uint32_t a = pairs[k].i, b = pairs[k].j;
        if (label[a] != label[b])
            continue;
        if (a != label[a] && (isnan(prob[a]) || pairs[k].p > prob[a]))
            prob[a] = pairs[k].p;
        if (b != label[b] && (isnan(prob[b]) || pairs[k].p > prob[b]))
            prob[b] = pairs[k].p;
    }
    for (size_t k = 0; k < ndec; k++)
        if (dec[k].same) {
            if (dec[k].i != label[dec[k].i])
                prob[dec[k].i] = 1.0;
            if (dec[k].j != label[dec[k].j])
                prob[dec[k].j] = 1.0;
        }
    char now[32];
    link_now_iso(now);
    /* New persons take the ids after the highest there is, in record order (what SQLite's
     * own numbering gives), written with the ids on both back ends so they agree; PostgreSQL's
     * identity is moved past them below. */
    int64_t next = 0;
    if ((rc = store_exec(db, "DELETE FROM person_record", err)) ||
        (rc = store_exec(db, "DELETE FROM link_state", err)) ||
        (rc = store_query_int64(db, "SELECT COALESCE(MAX(id), 0) FROM person", &next, err)) ||
        (rc = store_bulk_open(db, "person", "id, created_at", 2, &bk, err)))
        goto out;
    for (size_t i = 0; i < n && !rc; i++) {
        uint32_t lb = label[i];
        if (pid[lb])
            continue;
        pid[lb] = ++next;
        store_bulk_int64(bk, pid[lb]);
        store_bulk_text(bk, now);
        rc = store_bulk_row(bk, err);
    }
    if (rc || (rc = store_bulk_finish(bk, err)))
        goto out;
    store_bulk_free(&bk);
    if (store_kind(db) == STORE_POSTGRES &&
        (rc = store_exec(db,
                         "SELECT setval(pg_get_serial_sequence('person', 'id'), "
                         "(SELECT COALESCE(MAX(id), 0) + 1 FROM person), false)",
                         err)))
        goto out;
    if ((rc = store_bulk_open(db, "person_record", "record_id, person_id, probability", 3, &bk,
                              err)) ||
        (rc = store_bulk_open(db, "link_state", "record_id, fingerprint, reason", 3, &bs, err)))
        goto out;
    for (size_t i = 0; i < n && !rc; i++) {
        store_bulk_int64(bk, l->r[i].id);
        store_bulk_int64(bk, pid[label[i]]);
        store_bulk_double(bk, prob[i]);
        if ((rc = store_bulk_row(bk, err)))
            break;
        store_bulk_int64(bs, l->r[i].id);
        store_bulk_text(bs, l->r[i].fp);
        store_bulk_text(bs, link_set_reason(set, i));
        rc = store_bulk_row(bs, err);
    }
    if (!rc && !(rc = store_bulk_finish(bk, err)))
        rc = store_bulk_finish(bs, err);
    /* Joins and splits of existing persons, each with the run's reason: records of an old
     * person now under another id were merged into it (the old id is gone) or split off
     * (the old id stays with the rest). */
    if (rc >= 0) {
        struct store_bulk *ev = NULL;
        rc = store_bulk_open(db, "link_event",
                             "at, kind, person_id, other_person_id, records, reason", 6, &ev, err);
        for (size_t k = 0; k < ncl && rc >= 0; k++) {
            int64_t now_id = pid[cl[k].label], old_id = cl[k].person;
            if (!now_id || now_id == old_id)
                continue;
            uint64_t pk = (uint64_t)old_id;
            uint64_t *hit = bsearch(&pk, key, nper, sizeof *key, cmp_u64);
            bool kept = hit && used[hit - key];
            store_bulk_text(ev, now);
            store_bulk_text(ev, kept ? "split" : "merge");
            store_bulk_int64(ev, now_id);
            store_bulk_int64(ev, old_id);
            store_bulk_int64(ev, cl[k].votes);
            store_bulk_text(ev, reason);
            if ((rc = store_bulk_row(ev, err)) >= 0 && events)
                (*events)++;
        }
        if (rc >= 0)
            rc = store_bulk_finish(ev, err);
        store_bulk_free(&ev);
    }
    if (rc >= 0)
        rc = store_exec(db,
                        "DELETE FROM person WHERE NOT EXISTS (SELECT 1 FROM person_record "
                        "pr WHERE pr.person_id = person.id)",
                        err);
out:
    store_bulk_free(&bk);
    store_bulk_free(&bs);
    svp_free(used);
    svp_free(pid);
    svp_free(prob);
    svp_free(cl);
    svp_free(key);
    return rc < 0 ? rc : 0;
}

/* One svp_meta value: copied into out (cap bytes), "" when absent. */
int link_meta_get(struct store *db, const char *key, char *out, size_t cap, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    out[0] = 0;
    int rc = store_prepare(db, "SELECT value FROM svp_meta WHERE key = ?", &st, err);
    if (!rc && store_bind_text(st, 1, key, -1))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    if (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        const char *t = store_column_text(st, 0);
        svp_strlcpy(out, t ? t : "", cap);
        rc = 0;
    }
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}

static int meta_set(struct store *db, const char *key, const char *value, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(db, "DELETE FROM svp_meta WHERE key = ?", &st, err);
    if (!rc && store_bind_text(st, 1, key, -1))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    if (!rc && (rc = store_step(st, err)) > 0)
        rc = 0;
    store_finalize(&st);
    if (!rc)
        rc = store_prepare(db, "INSERT INTO svp_meta (key, value) VALUES (?, ?)", &st, err);
    if (!rc && (store_bind_text(st, 1, key, -1) || store_bind_text(st, 2, value, -1)))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    if (!rc && (rc = store_step(st, err)) > 0)
        rc = 0;
    store_finalize(&st);
    return rc;
}

/* The threshold of the last run, so the review queue knows the top of its band. */
static int save_threshold(struct store *db, double t, struct svp_err *err)
{
    char v[32];
    snprintf(v, sizeof v, "%.6f", t);
    return meta_set(db, "link.threshold", v, err);
}

/* The settings that decide which pairs are scored and how (rules, which pairs count, the
 * guard, the review floor), as one line kept with the results: a run whose settings differ
 * from the last one's re-links every record, so an option always means what it says. */
static int settings_line(const struct link_opts *o, const char *const *rules, size_t nrules,
                         struct svp_buf *b)
{
    int rc = svp_buf_printf(b, "pairs=%s guard=%s floor=%.6f block=%zu rules=",
                            o->dedupe_within_source ? "all" : "across-sources",
                            o->no_household_guard ? "off" : "on", o->review_low,
                            o->max_block ? o->max_block : (size_t)LINK_DEFAULT_MAX_BLOCK);
    for (size_t r = 0; !rc && r < nrules; r++)
        rc = svp_buf_printf(b, "%s%s", r ? "," : "", rules[r]);
    return rc;
}

/* What changed between two settings lines, for the message (fills why). Returns whether
 * the rules or the pairs that count changed (the model is learnt again then). */
static bool settings_diff(const char *old, const char *now, char *why, size_t cap)
{
    static const char *const key[] = {"pairs=", "guard=", "floor=", "block=", "rules="};
    static const char *const what[] = {"--link-only", "household guard", "--review-low",
                                       "--max-block", "blocking rules"};
    bool retrain = false;
    why[0] = 0;
    for (int k = 0; k < 5; k++) {
        const char *a = strstr(old, key[k]), *b = strstr(now, key[k]);
        size_t al = a ? strcspn(a, k == 4 ? "" : " ") : 0;
        size_t bl = b ? strcspn(b, k == 4 ? "" : " ") : 0;
        if (a && b && al == bl && !memcmp(a, b, al))
            continue;
        size_t used = strlen(why);
        snprintf(why + used, cap - used, "%s%s", used ? ", " : "", what[k]);
        retrain |= k == 0 || k == 3 || k == 4;
    }
    return retrain;
}

static int write_pairs(struct store *db, const struct loaded *l, const struct link_pair *v,
                       size_t n, struct svp_err *err)
{
    struct store_bulk *b = NULL;
    int rc = store_bulk_open(db, "link_pair", "record_a, record_b, probability, weight", 4, &b,
                             err);
    for (size_t k = 0; k < n && !rc; k++) {
        int64_t a = l->r[v[k].i].id, bb = l->r[v[k].j].id;
        store_bulk_int64(b, a < bb ? a : bb);
        store_bulk_int64(b, a < bb ? bb : a);
        store_bulk_double(b, v[k].p);
        store_bulk_double(b, v[k].w);
        rc = store_bulk_row(b, err);
    }
    if (!rc)
        rc = store_bulk_finish(b, err);
    store_bulk_free(&b);
    return rc;
}

int link_run_store(struct store *db, const struct link_opts *o, const char *const *rules,
                   size_t nrules, bool full, bool retrain, struct link_stats *stats,
                   struct svp_err *err)
{
    struct loaded l = {0};
    struct link_set *set = NULL;
    struct link_blocking *bl = NULL;
    struct link_model *model = NULL;
    struct link_pair *pairs = NULL, *all = NULL;
    struct link_decision *dec = NULL;
    uint32_t *label = NULL;
    struct idmap im = {0};
    size_t npairs = 0, nall = 0, ndec = 0;
    char *body = NULL;
    if (!rules || !nrules) {
        rules = link_blocking_defaults();
        for (nrules = 0; rules[nrules]; nrules++)
            ;
    }
    memset(stats, 0, sizeof *stats);
    int rc = link_blocking_parse(rules, nrules, &bl, err);
    if (rc)
        return rc;
    if ((rc = store_begin(db, err)))
        goto out;
    {
        char prev[32];
        if ((rc = link_meta_get(db, "link.threshold", prev, sizeof prev, err)))
            goto fail;
        if (prev[0] && fabs(strtod(prev, NULL) - o->threshold) > 5e-7)
            snprintf(stats->threshold_was, sizeof stats->threshold_was, "%s", prev);
    }
    if ((rc = save_threshold(db, o->threshold, err)))
        goto fail;
    {
        struct svp_buf sb;
        svp_buf_init(&sb, 1 << 20);
        char *line = NULL, *old = svp_malloc(1 << 16);
        if (settings_line(o, rules, nrules, &sb) || !(line = svp_buf_take(&sb)) || !old) {
            svp_buf_free(&sb);
            svp_free(line);
            svp_free(old);
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            goto fail;
        }
        if (!(rc = link_meta_get(db, "link.settings", old, 1 << 16, err)) && old[0] &&
            strcmp(old, line)) {
            if (settings_diff(old, line, stats->changed, sizeof stats->changed))
                retrain = true;
            full = true;
        }
        if (!rc)
            rc = meta_set(db, "link.settings", line, err);
        svp_free(line);
        svp_free(old);
        if (rc)
            goto fail;
    }
    if ((rc = load_records(db, &l, err)))
        goto fail;
    if (l.n)
        qsort(l.r, l.n, sizeof *l.r, cmp_rows);
    size_t first_new = 0;
    while (first_new < l.n && !l.r[first_new].dirty)
        first_new++;
    if ((rc = link_build_set(&l, &set, err)))
        goto fail;
    link_set_household_guard(set, !o->no_household_guard);
    int64_t trained_on = 0;
    bool retrained = false;
    if (!retrain && (rc = link_load_model(db, &model, &trained_on, err)))
        goto fail;
    /* A model learnt from far fewer records than there are now (the first small import, or
     * none) says little about the rest: learn it again, which re-scores everything. */
    if (model && (uint64_t)trained_on * 2 < (uint64_t)l.n)
        link_model_free(&model);
    if (!model) {
        if ((rc = link_model_train(set, bl, o, &model, err)) ||
            (rc = link_model_save(model, &body, err)))
            goto fail;
        struct store_stmt *st = NULL;
        char now[32];
        link_now_iso(now);
        if (!(rc = store_prepare(db,
                                 "INSERT INTO link_model (created_at, records, body) "
                                 "VALUES (?, ?, ?)",
                                 &st, err))) {
            if (store_bind_text(st, 1, now, -1) || store_bind_int64(st, 2, (int64_t)l.n) ||
                store_bind_text(st, 3, body, -1))
                rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
            else if ((rc = store_step(st, err)) > 0)
                rc = 0;
        }
        store_finalize(&st);
        if (rc)
            goto fail;
        full = true; /* a new model re-scores everything */
        retrained = true;
    }
    if (full) {
        first_new = 0;
        if ((rc = store_exec(db, "DELETE FROM link_pair", err)))
            goto fail;
    } else {
        /* Queued: on PostgreSQL one round trip for all of them (pipeline mode). */
        struct store_stmt *del = NULL;
        if ((rc = store_prepare(db, "DELETE FROM link_pair WHERE record_a = ? OR record_b = ?",
                                &del, err)))
            goto fail;
        for (size_t i = first_new; i < l.n && !rc; i++) {
            if (store_bind_int64(del, 1, l.r[i].id) || store_bind_int64(del, 2, l.r[i].id))
                rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
            else
                rc = store_queue(del, err);
        }
        if (!rc)
            rc = store_flush(db, err);
        store_finalize(&del);
        if (rc)
            goto fail;
    }
    if (first_new < l.n || full) {
        if ((rc = link_pairs_make(set, bl, model, o, !full, first_new, &pairs, &npairs, stats,
                                  err)) ||
            (rc = write_pairs(db, &l, pairs, npairs, err)))
            goto fail;
    }
    if (idmap_build(&l, &im)) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = read_pairs(db, &im, &all, &nall, err)) ||
        (rc = read_decisions(db, &im, &dec, &ndec, err)))
        goto fail;
    char reason[256];
    if (stats->changed[0])
        snprintf(reason, sizeof reason, "settings changed (%s)", stats->changed);
    else if (retrained)
        snprintf(reason, sizeof reason, "model learnt again");
    else if (stats->threshold_was[0])
        snprintf(reason, sizeof reason, "threshold changed from %s", stats->threshold_was);
    else if (ndec)
        snprintf(reason, sizeof reason, "new or changed records, or a reviewer's decision");
    else
        snprintf(reason, sizeof reason, "new or changed records");
    stats->kept = nall;
    if (!(label = svp_malloc((l.n ? l.n : 1) * sizeof *label))) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = link_cluster(set, model, all, nall, dec, ndec, o, label, stats, err)) ||
        (rc = write_persons(db, &l, label, all, nall, dec, ndec, set, reason, &stats->events,
                            err)) ||
        (rc = link_mentions_resolve(db, &stats->mentions, err)))
        goto fail;
    rc = store_commit(db, err);
    goto out;
fail:
    store_rollback(db);
out:
    svp_free(body);
    svp_free(label);
    svp_free(pairs);
    svp_free(all);
    svp_free(dec);
    idmap_free(&im);
    link_model_free(&model);
    link_blocking_free(&bl);
    link_set_free(&set);
    link_loaded_free(&l);
    return rc;
}

int link_model_stored(struct store *db, struct link_model **out, struct svp_err *err)
{
    return link_load_model(db, out, NULL, err);
}
