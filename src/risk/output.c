/* The panel's saved snapshots, its JSON form, fairness figures and the multi-agency
 * chronology of one person. */
#include "risk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ snapshots */

static int bind_opt_id(struct store_stmt *st, int idx, int64_t v)
{
    return v ? store_bind_int64(st, idx, v) : store_bind_null(st, idx);
}

int risk_panel_saved_persons(struct store *s, int64_t **ids, size_t *n, struct svp_err *err)
{
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT person_id FROM risk_snapshot_person WHERE snapshot_id = "
                           "(SELECT MAX(id) FROM risk_snapshot) ORDER BY person_id",
                           &st, err);
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        int64_t *grown = svp_grow(*ids, &cap, *n + 1, sizeof **ids, 256);
        if (!grown) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading the saved panel");
            break;
        }
        *ids = grown;
        (*ids)[(*n)++] = store_column_int64(st, 0);
        rc = 0;
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(*ids);
        *ids = NULL;
        *n = 0;
        return rc;
    }
    return 0;
}

int risk_panel_save(struct store *s, struct risk_panel *p, int64_t *snapshot_id,
                    struct svp_err *err)
{
    char as_of[16], saved[32];
    svp_date_format(p->as_of, as_of, sizeof as_of);
    svp_date_format(svp_date_today(), saved, sizeof saved);
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    struct store_stmt *snap = NULL, *per = NULL, *why = NULL;
    if ((rc = store_prepare(s,
                            "INSERT INTO risk_snapshot (saved_at, as_of, weights, children, "
                            "scored, listed) VALUES (?, ?, ?, ?, ?, ?)",
                            &snap, err)))
        goto fail;
    if (store_bind_text(snap, 1, saved, -1) || store_bind_text(snap, 2, as_of, -1) ||
        store_bind_text(snap, 3, p->weights.name, -1) ||
        store_bind_int64(snap, 4, (int64_t)p->nchildren) ||
        store_bind_int64(snap, 5, (int64_t)p->nscored) ||
        store_bind_int64(snap, 6, (int64_t)p->nlisted_all))
        goto nomem;
    if ((rc = store_step(snap, err)) < 0)
        goto fail;
    if ((rc = store_query_int64(s, "SELECT MAX(id) FROM risk_snapshot", snapshot_id, err)))
        goto fail;
    if ((rc = store_prepare(s,
                            "INSERT INTO risk_snapshot_person (snapshot_id, person_id, rank, "
                            "score, band, age, area) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            &per, err)) ||
        (rc = store_prepare(s,
                            "INSERT INTO risk_snapshot_reason (snapshot_id, person_id, "
                            "indicator, points, day, agency, event_id, relationship_id, "
                            "record_id, other_person_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            &why, err)))
        goto fail;
    /* The whole list (band medium or above), whatever --top or --area showed. */
    for (size_t i = 0; i < p->npersons; i++) {
        struct risk_person *rp = &p->persons[i];
        if (rp->status != RISK_SCORED || rp->band < RISK_BAND_MEDIUM)
            continue;
        rp = risk_panel_person(p, rp->person_id);
        if (!rp)
            goto nomem;
        store_reset(per);
        if (store_bind_int64(per, 1, *snapshot_id) || store_bind_int64(per, 2, rp->person_id) ||
            store_bind_int64(per, 3, rp->rank) || store_bind_double(per, 4, rp->score) ||
            store_bind_text(per, 5, risk_band_name(rp->band), -1) ||
            store_bind_int64(per, 6, rp->age) || store_bind_text(per, 7, rp->area, -1))
            goto nomem;
        /* queued: on PostgreSQL one round trip for many rows (pipeline mode) */
        if ((rc = store_queue(per, err)))
            goto fail;
        for (size_t k = 0; k < rp->nreasons; k++) {
            const struct risk_reason *r = &rp->reasons[k];
            char day[16];
            svp_date_format(r->day, day, sizeof day);
            store_reset(why);
            if (store_bind_int64(why, 1, *snapshot_id) ||
                store_bind_int64(why, 2, rp->person_id) ||
                store_bind_text(why, 3, risk_indicator_name(r->indicator), -1) ||
                store_bind_double(why, 4, r->points) || store_bind_text(why, 5, day, -1) ||
                store_bind_text(why, 6, risk_agency_name(r->agency), -1) ||
                bind_opt_id(why, 7, r->event_id) || bind_opt_id(why, 8, r->relationship_id) ||
                bind_opt_id(why, 9, r->record_id) || bind_opt_id(why, 10, r->other_person_id))
                goto nomem;
            if ((rc = store_queue(why, err)))
                goto fail;
        }
    }
    if ((rc = store_flush(s, err)))
        goto fail;
    store_finalize(&snap);
    store_finalize(&per);
    store_finalize(&why);
    return store_commit(s, err);
nomem:
    rc = svp_err_set(err, SVP_ENOMEM, "out of memory saving the panel");
fail:
    store_finalize(&snap);
    store_finalize(&per);
    store_finalize(&why);
    store_rollback(s);
    return rc;
}

/* ------------------------------------------------------------------ JSON */

static json_t *reason_json(const struct risk_panel *p, const struct risk_reason *r)
{
    char day[16];
    svp_date_format(r->day, day, sizeof day);
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = 0; /* a failed allocation: NULL, never an object with members missing */
    bad |= json_object_set_new(o, "indicator", json_string(risk_indicator_name(r->indicator)));
    bad |= json_object_set_new(o, "label", json_string(risk_indicator_label(r->indicator)));
    bad |= json_object_set_new(o, "description",
                        json_string(p->weights.ind[r->indicator].description));
    bad |= json_object_set_new(o, "points", json_real(round(r->points * 100) / 100));
    bad |= json_object_set_new(o, "date", json_string(day));
    bad |= json_object_set_new(o, "agency", json_string(risk_agency_name(r->agency)));
    bad |= json_object_set_new(o, "record_id", r->record_id ? json_integer(r->record_id) : json_null());
    bad |= json_object_set_new(o, "agency_record_id",
                        r->agency_record_id ? json_string(r->agency_record_id) : json_null());
    bad |= json_object_set_new(o, "event_id", r->event_id ? json_integer(r->event_id) : json_null());
    bad |= json_object_set_new(o, "relationship_id",
                        r->relationship_id ? json_integer(r->relationship_id) : json_null());
    if (r->other_person_id) {
        bad |= json_object_set_new(o, "other_person_id", json_integer(r->other_person_id));
        const char *kind = risk_indicator_other_kind(r->indicator);
        if (kind)
            bad |= json_object_set_new(o, "other_kind", json_string(kind));
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *person_json(const struct risk_panel *p, const struct risk_person *rp,
                           int top_reasons)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = 0; /* a failed allocation: NULL, never an object with members missing */
    char plans[64], agencies[128];
    bad |= json_object_set_new(o, "rank", json_integer(rp->rank));
    bad |= json_object_set_new(o, "person_id", json_integer(rp->person_id));
    bad |= json_object_set_new(o, "age", rp->age >= 0 ? json_integer(rp->age) : json_null());
    bad |= json_object_set_new(o, "transition", json_boolean(rp->transition));
    bad |= json_object_set_new(o, "area", json_string(rp->area));
    bad |= json_object_set_new(o, "score", json_real(round(rp->score * 10) / 10));
    bad |= json_object_set_new(o, "band", json_string(risk_band_name(rp->band)));
    bad |= json_object_set_new(o, "change", rp->change ? json_string(risk_change_name(rp->change))
                                                : json_null());
    bad |= json_object_set_new(o, "previous_rank", rp->prev_rank ? json_integer(rp->prev_rank)
                                                          : json_null());
    json_t *pl = json_array(), *ag = json_array();
    risk_plans_format(rp->plans, plans, sizeof plans);
    risk_agencies_format(rp->agencies, agencies, sizeof agencies);
    static const char *const plan_names[] = {"CIN", "CP", "LAC", "EH", "YJ"};
    for (int i = 0; i < 5; i++)
        if (rp->plans & (1u << i))
            bad |= json_array_append_new(pl, json_string(plan_names[i]));
    for (int i = 0; i < RISK_AG_COUNT; i++)
        if (rp->agencies & (1u << i))
            bad |= json_array_append_new(ag, json_string(risk_agency_name(i)));
    bad |= json_object_set_new(o, "open_plans", pl);
    bad |= json_object_set_new(o, "agencies", ag);
    char summary[512];
    risk_reasons_summary(rp, 3, summary, sizeof summary);
    bad |= json_object_set_new(o, "top_reasons", json_string(summary));
    risk_reasons_summary_plain(rp, 3, summary, sizeof summary);
    bad |= json_object_set_new(o, "summary", json_string(summary));
    json_t *rs = json_array();
    for (size_t i = 0; i < rp->nreasons && (top_reasons <= 0 || (int)i < top_reasons); i++)
        bad |= json_array_append_new(rs, reason_json(p, &rp->reasons[i]));
    bad |= json_object_set_new(o, "reasons", rs);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *risk_person_json(const struct risk_panel *p, const struct risk_person *rp,
                         int top_reasons)
{
    return person_json(p, rp, top_reasons);
}

json_t *risk_panel_json(const struct risk_panel *p, int top_reasons)
{
    json_t *o = json_object(), *list = json_array(), *left = json_array();
    if (!o || !list || !left) {
        json_decref(o);
        json_decref(list);
        json_decref(left);
        return NULL;
    }
    int bad = 0; /* a failed allocation: NULL, never a list with members missing */
    char as_of[16];
    svp_date_format(p->as_of, as_of, sizeof as_of);
    bad |= json_object_set_new(o, "as_of", json_string(as_of));
    bad |= json_object_set_new(o, "weights", json_string(p->weights.name));
    bad |= json_object_set_new(o, "persons_are_records", json_boolean(p->unlinked));
    bad |= json_object_set_new(o, "children", json_integer((json_int_t)p->nchildren));
    bad |= json_object_set_new(o, "age_to", json_integer(p->age_to)); /* 0: children only */
    bad |= json_object_set_new(o, "scored", json_integer((json_int_t)p->nscored));
    bad |= json_object_set_new(o, "not_scored_no_dob", json_integer((json_int_t)p->nno_dob));
    bad |= json_object_set_new(o, "not_scored_too_little_data",
                        json_integer((json_int_t)p->ntoo_little));
    bad |= json_object_set_new(o, "on_list", json_integer((json_int_t)p->nlisted_all));
    bad |= json_object_set_new(o, "compared_with_saved",
                        p->previous_snapshot ? json_string(p->previous_saved_at) : json_null());
    for (size_t i = 0; i < p->nlist; i++)
        bad |= json_array_append_new(list, person_json(p, p->list[i], top_reasons));
    for (size_t i = 0; i < p->nleft; i++) {
        json_t *l = json_object();
        bad |= json_object_set_new(l, "person_id", json_integer(p->left[i]->person_id));
        bad |= json_object_set_new(l, "previous_rank", json_integer(p->left[i]->prev_rank));
        bad |= json_object_set_new(l, "score", json_real(round(p->left[i]->score * 10) / 10));
        bad |= json_object_set_new(l, "band", json_string(risk_band_name(p->left[i]->band)));
        bad |= json_array_append_new(left, l);
    }
    bad |= json_object_set_new(o, "list", list);
    bad |= json_object_set_new(o, "left", left);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------------ fairness */

/* ONS 2021 ethnic group of a DfE/ONS code (docs/model.md); unknown codes are their own
 * group so that nothing is silently merged. */
static const char *ethnic_group(const char *code)
{
    if (!code || !*code || !strcmp(code, "REFU") || !strcmp(code, "NOBT"))
        return "not recorded";
    if (strlen(code) == 4)
        switch (code[0]) {
        case 'W': return "White";
        case 'M': return "Mixed";
        case 'A':
        case 'C': return "Asian"; /* CHNE: Chinese is in the Asian group in 2021 */
        case 'B': return "Black";
        case 'O': return "Other";
        }
    return code;
}

static const char *sex_group(const char *s)
{
    if (s && !strcmp(s, "M"))
        return "male";
    if (s && !strcmp(s, "F"))
        return "female";
    if (s && !strcmp(s, "X"))
        return "other";
    return "not recorded";
}

static int fair_add(struct risk_fairness *f, size_t *cap, const char *dim, const char *group,
                    bool listed)
{
    for (size_t i = 0; i < f->n; i++)
        if (f->rows[i].dimension == dim && !strcmp(f->rows[i].group, group)) {
            f->rows[i].pop_n++;
            f->rows[i].list_n += listed;
            return SVP_OK;
        }
    struct risk_fair_row *r = svp_grow(f->rows, cap, f->n + 1, sizeof *r, 32);
    if (!r)
        return SVP_ENOMEM;
    f->rows = r;
    char *g = svp_arena_strndup(f->arena, group, strlen(group));
    if (!g)
        return SVP_ENOMEM;
    f->rows[f->n++] = (struct risk_fair_row){.dimension = dim, .group = g, .pop_n = 1,
                                             .list_n = listed};
    return SVP_OK;
}

static double log_pmf(long k, long n, double q)
{
    if (q <= 0)
        return k == 0 ? 0 : -INFINITY;
    if (q >= 1)
        return k == n ? 0 : -INFINITY;
    return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) +
           (double)k * log(q) + (double)(n - k) * log1p(-q);
}

static double binomial_two_sided(long k, long n, double q)
{
    double at = log_pmf(k, n, q), sum = 0;
    for (long i = 0; i <= n; i++) {
        double l = log_pmf(i, n, q);
        if (l <= at + 1e-7)
            sum += exp(l);
    }
    return sum > 1 ? 1 : sum;
}

static int dim_order(const char *d)
{
    return !strcmp(d, "sex") ? 0 : !strcmp(d, "ethnicity") ? 1 : 2;
}

static int cmp_fair(const void *a, const void *b)
{
    const struct risk_fair_row *x = a, *y = b;
    int dx = dim_order(x->dimension), dy = dim_order(y->dimension);
    if (dx != dy)
        return dx - dy;
    return strcmp(x->group, y->group);
}

int risk_fairness(const struct risk_panel *p, struct risk_fairness **out, struct svp_err *err)
{
    *out = NULL;
    struct risk_fairness *f = svp_calloc(1, sizeof *f);
    if (!f || !(f->arena = svp_arena_new(16 * 1024))) {
        svp_free(f);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    size_t cap = 0;
    int rc = SVP_OK;
    for (size_t i = 0; i < p->npersons && !rc; i++) {
        const struct risk_person *rp = &p->persons[i];
        if (!rp->child && !rp->transition)
            continue;
        bool listed = rp->status == RISK_SCORED && rp->band >= RISK_BAND_MEDIUM;
        f->pop_total++;
        f->list_total += listed;
        if (!(rc = fair_add(f, &cap, "sex", sex_group(rp->sex), listed)) &&
            !(rc = fair_add(f, &cap, "ethnicity", ethnic_group(rp->ethnicity), listed)))
            rc = fair_add(f, &cap, "area", *rp->area ? rp->area : "not recorded", listed);
    }
    if (rc) {
        risk_fairness_free(&f);
        return svp_err_set(err, rc, "out of memory");
    }
    for (size_t i = 0; i < f->n; i++) {
        struct risk_fair_row *r = &f->rows[i];
        r->pop_share = f->pop_total ? (double)r->pop_n / f->pop_total : 0;
        r->list_share = f->list_total ? (double)r->list_n / f->list_total : 0;
        r->ratio = r->pop_share > 0 ? r->list_share / r->pop_share : 0;
        /* Is the group's count on the list what a random draw of list_total children from
         * the population would give? Exact two-sided binomial test (the probabilities of
         * every count no likelier than the one seen), valid for small lists too. */
        r->too_few = f->list_total < 10;
        r->p_value = r->too_few ? 1 : binomial_two_sided(r->list_n, f->list_total, r->pop_share);
        r->flagged = !r->too_few && r->p_value < 0.05 && (r->ratio < 0.8 || r->ratio > 1.25);
    }
    if (f->n > 1)
        qsort(f->rows, f->n, sizeof *f->rows, cmp_fair);
    *out = f;
    return SVP_OK;
}

void risk_fairness_free(struct risk_fairness **f)
{
    if (!f || !*f)
        return;
    svp_free((*f)->rows);
    svp_arena_free(&(*f)->arena);
    svp_free(*f);
    *f = NULL;
}

/* ------------------------------------------------------------------ chronology */

/* Copies a column's text into the arena; sets *failed when a copy could not be made. */
static const char *adup(struct svp_arena *a, const char *s, bool *failed)
{
    if (!s)
        return NULL;
    const char *d = svp_arena_strndup(a, s, strlen(s));
    if (!d)
        *failed = true;
    return d;
}

int risk_chronology_load(struct store *s, int64_t person_id, bool unlinked,
                         struct risk_chronology **out, struct svp_err *err)
{
    *out = NULL;
    int64_t exists = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           unlinked ? "SELECT COUNT(*) FROM record WHERE id = ?"
                                    : "SELECT COUNT(*) FROM person_record WHERE person_id = ?",
                           &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, person_id) == 0 && (rc = store_step(st, err)) == STORE_ROW)
        exists = store_column_int64(st, 0);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (!exists)
        return svp_err_set(err, SVP_ENOTFOUND, "no %s %lld%s", unlinked ? "record" : "person",
                           (long long)person_id,
                           unlinked ? "" : " (persons come from 'svp link')");
    struct risk_chronology *c = svp_calloc(1, sizeof *c);
    if (!c || !(c->arena = svp_arena_new(64 * 1024))) {
        svp_free(c);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    c->person_id = person_id;
    bool failed = false;
    const char *rsql =
        unlinked ? "SELECT r.id, r.agency, r.source, r.agency_record_id, sf.path, r.line FROM "
                   "record r LEFT JOIN source_file sf ON sf.id = r.file_id WHERE r.id = ?"
                 : "SELECT r.id, r.agency, r.source, r.agency_record_id, sf.path, r.line FROM "
                   "record r LEFT JOIN source_file sf ON sf.id = r.file_id WHERE r.id IN "
                   "(SELECT record_id FROM person_record WHERE person_id = ?) ORDER BY r.id";
    if ((rc = store_prepare(s, rsql, &st, err)))
        goto fail;
    if (store_bind_int64(st, 1, person_id)) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto fail;
    }
    size_t rcap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct risk_chrono_record *x = svp_grow(c->records, &rcap, c->nrecords + 1, sizeof *x, 8);
        if (!x) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            goto fail;
        }
        c->records = x;
        struct risk_chrono_record *r = &c->records[c->nrecords++];
        r->record_id = store_column_int64(st, 0);
        r->agency = adup(c->arena, store_column_text(st, 1), &failed);
        r->source = adup(c->arena, store_column_text(st, 2), &failed);
        r->agency_record_id = adup(c->arena, store_column_text(st, 3), &failed);
        r->file = adup(c->arena, store_column_text(st, 4), &failed);
        r->line = store_column_int64(st, 5);
        if (failed) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            goto fail;
        }
    }
    store_finalize(&st);
    if (rc < 0)
        goto fail;
    const char *sql =
        unlinked
            ? "SELECT e.started_at, e.agency, e.type, e.subtype, e.detail, e.source, sf.path, "
              "e.line, r.agency_record_id, e.agency_event_id, e.id, r.id FROM event e JOIN "
              "record r ON r.id = e.record_id LEFT JOIN source_file sf ON sf.id = e.file_id "
              "WHERE e.record_id = ? ORDER BY e.started_at, e.id"
            : "SELECT e.started_at, e.agency, e.type, e.subtype, e.detail, e.source, sf.path, "
              "e.line, r.agency_record_id, e.agency_event_id, e.id, r.id FROM event e JOIN "
              "record r ON r.id = e.record_id LEFT JOIN source_file sf ON sf.id = e.file_id "
              "WHERE e.record_id IN (SELECT record_id FROM person_record WHERE person_id = ?) "
              "ORDER BY e.started_at, e.id";
    if ((rc = store_prepare(s, sql, &st, err)))
        goto fail;
    if (store_bind_int64(st, 1, person_id)) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto fail;
    }
    size_t cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct risk_chrono_entry *x = svp_grow(c->entries, &cap, c->n + 1, sizeof *x, 64);
        if (!x) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            goto fail;
        }
        c->entries = x;
        struct risk_chrono_entry *e = &c->entries[c->n++];
        e->when = adup(c->arena, store_column_text(st, 0), &failed);
        e->agency = adup(c->arena, store_column_text(st, 1), &failed);
        e->type = adup(c->arena, store_column_text(st, 2), &failed);
        e->subtype = adup(c->arena, store_column_text(st, 3), &failed);
        e->detail = adup(c->arena, store_column_text(st, 4), &failed);
        e->source = adup(c->arena, store_column_text(st, 5), &failed);
        e->file = adup(c->arena, store_column_text(st, 6), &failed);
        e->line = store_column_int64(st, 7);
        e->agency_record_id = adup(c->arena, store_column_text(st, 8), &failed);
        e->agency_event_id = adup(c->arena, store_column_text(st, 9), &failed);
        e->event_id = store_column_int64(st, 10);
        e->record_id = store_column_int64(st, 11);
        if (failed) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            goto fail;
        }
    }
    if (rc < 0)
        goto fail;
    store_finalize(&st);
    *out = c;
    return SVP_OK;
fail:
    store_finalize(&st);
    risk_chronology_free(&c);
    return rc;
}

void risk_chronology_free(struct risk_chronology **c)
{
    if (!c || !*c)
        return;
    svp_free((*c)->entries);
    svp_free((*c)->records);
    svp_arena_free(&(*c)->arena);
    svp_free(*c);
    *c = NULL;
}
