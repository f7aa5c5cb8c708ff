/* The panel: load persons, events and relationships from the store into facts, score every
 * child in two passes, rank, explain the list and compare it with the last saved panel.
 * The loader's three readers are in panel_persons.c, panel_events.c and panel_links.c, the
 * panel's words in panel_text.c; what they share is in panel_int.h. */
#include "panel_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* FNV-1a over the letters and digits of the strings, lower-cased (a key that spelling of
 * case, spaces and punctuation does not change); 0 when a string has none. */
uint64_t risk_key_hash(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    int na = 0, nb = 0;
    /* a letter or digit: lower-cased, a letter's case bit set (a digit has it already) */
    unsigned char c, l;
#define KEY_CHAR(s) (c = (unsigned char)*(s), l = c | 0x20, \
                     (unsigned)(l - 'a') < 26 || (unsigned)(c - '0') < 10)
    for (const char *s = a; s && *s; s++)
        if (KEY_CHAR(s)) {
            h = (h ^ (uint64_t)l) * 1099511628211ull;
            na++;
        }
    h = (h ^ 0xff) * 1099511628211ull;
    for (const char *s = b; s && *s; s++)
        if (KEY_CHAR(s)) {
            h = (h ^ (uint64_t)l) * 1099511628211ull;
            nb++;
        }
#undef KEY_CHAR
    return na && nb ? (h ? h : 1) : 0;
}

int panel_add_famrec(struct risk_famrec **arr, size_t *n, size_t *cap, uint64_t key,
                      uint32_t person)
{
    if (!key)
        return SVP_OK;
    struct risk_famrec *x = svp_grow(*arr, cap, *n + 1, sizeof *x, 1024);
    if (!x)
        return SVP_ENOMEM;
    *arr = x;
    x[(*n)++] = (struct risk_famrec){key, person};
    return SVP_OK;
}

const char *panel_intern(struct loader *L, const char *s)
{
    if (!s)
        return "";
    enum { SLOTS = sizeof L->interned / sizeof L->interned[0] };
    uint64_t h = 1469598103934665603ull;
    size_t len = 0;
    for (const char *c = s; *c; c++, len++)
        h = (h ^ (uint8_t)*c) * 1099511628211ull;
    size_t k = (size_t)(h ^ (h >> 29)) & (SLOTS - 1);
    while (L->interned[k]) {
        if (!strcmp(L->interned[k], s))
            return L->interned[k];
        k = (k + 1) & (SLOTS - 1);
    }
    char *d = svp_arena_strndup(L->p->arena, s, len);
    if (d && L->ninterned < SLOTS / 2) {
        L->interned[k] = d;
        L->ninterned++;
    }
    return d ? d : "";
}

int panel_add_fact(struct loader *L, uint32_t person, int ind, svp_day day, int agency,
                    int64_t event_id, int64_t rel_id, int64_t record_id, int64_t other, int share)
{
    struct risk_fact *nf = svp_grow(L->facts, &L->capfacts, L->nfacts + 1, sizeof *nf, 4096);
    if (!nf)
        return SVP_ENOMEM;
    L->facts = nf;
    struct risk_fact *f = &L->facts[L->nfacts++];
    f->person = person;
    f->indicator = (uint16_t)ind;
    f->agency = (uint8_t)agency;
    f->share = (uint8_t)(share < 1 ? 1 : share);
    f->day = day;
    f->event_id = event_id;
    f->relationship_id = rel_id;
    f->record_id = record_id;
    f->other = other;
    /* Domestic abuse in the household and the toxic trio around the child are family-context
     * signals: like the care signals they count only beside an exploitation signal
     * (docs/indicators.md), so a child whose only concern is the household's is for
     * children's social care, not the panel */
    f->flags = ind == RISK_DA_HOUSEHOLD || ind == RISK_TOXIC_TRIO ? RISK_FACT_CARE : 0;
    return SVP_OK;
}

/* The day of an ISO date or date-time text (its first 10 characters); false if none. */
bool panel_day_of(const char *s, svp_day *out)
{
    if (!s || strlen(s) < 10)
        return false;
    return svp_date_parse_iso(s, 10, out, NULL) == SVP_OK;
}

bool panel_day_cached(struct loader *L, const char *s, svp_day *out)
{
    enum { SLOTS = sizeof L->days / sizeof L->days[0] };
    if (!s || strnlen(s, 10) < 10)
        return false;
    uint64_t lo;
    uint16_t hi;
    memcpy(&lo, s, sizeof lo);
    memcpy(&hi, s + 8, sizeof hi);
    size_t k = (size_t)(((lo ^ ((uint64_t)hi * 0xC2B2AE3D27D4EB4Full)) * 0x9E3779B97F4A7C15ull) >>
                        54) & (SLOTS - 1);
    if (L->days[k].used && L->days[k].lo == lo && L->days[k].hi == hi) {
        if (L->days[k].ok)
            *out = L->days[k].day;
        return L->days[k].ok;
    }
    svp_day day = 0;
    bool ok = svp_date_parse_iso(s, 10, &day, NULL) == SVP_OK;
    L->days[k].lo = lo;
    L->days[k].hi = hi;
    L->days[k].used = true;
    L->days[k].ok = ok;
    L->days[k].day = day;
    if (ok)
        *out = day;
    return ok;
}

int64_t panel_person_of(const struct loader *L, int64_t record_id)
{
    if (record_id <= 0 || record_id > L->max_record)
        return -1;
    return (int64_t)L->rec_person[record_id] - 1;
}

void panel_vote_add(struct vote *vt, const char *s)
{
    if (!s || !*s || !strcmp(s, "U") || !strcmp(s, "NOBT"))
        return;
    for (int i = 0; i < vt->k; i++)
        if (!strcmp(vt->v[i], s)) {
            vt->n[i]++;
            return;
        }
    if (vt->k < 16) {
        vt->v[vt->k] = s;
        vt->n[vt->k++] = 1;
    }
}
static const char *vote_best(const struct vote *vt)
{
    int best = -1;
    for (int i = 0; i < vt->k; i++)
        if (best < 0 || vt->n[i] > vt->n[best])
            best = i;
    return best < 0 ? NULL : vt->v[best];
}

/* Settles a person's sex, ethnicity and area from the votes of their records (unknown sex
 * is "U", the others empty). */
void panel_vote_settle(struct risk_person *rp, const struct vote *sex, const struct vote *eth,
                        const struct vote *area)
{
    const char *s = vote_best(sex), *e = vote_best(eth), *a = vote_best(area);
    rp->sex = s ? s : "U";
    rp->ethnicity = e ? e : "";
    rp->area = a ? a : "";
}

/* ------------------------------------------------------------------ scoring and ranking */

static int add_age_facts(struct loader *L)
{
    for (size_t i = 0; i < L->p->npersons; i++) {
        const struct risk_person *rp = &L->p->persons[i];
        if (rp->child && rp->age >= L->w->age_min && rp->age < L->w->age_max) {
            int rc = panel_add_fact(L, (uint32_t)i, RISK_AGE_BAND, L->as_of, RISK_AG_OTHER, 0, 0,
                              L->info[i].dob_record, 0, 1);
            if (rc)
                return rc;
        }
    }
    return SVP_OK;
}

struct rank_key {
    double score;
    int64_t person_id;
    struct risk_person *rp;
};

static int cmp_rank(const void *a, const void *b)
{
    const struct rank_key *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Persons are kept in person id order and facts in person index order, so both are found
 * by binary search (svp_lower_bound) with these comparisons. */
static bool person_below(const void *arr, size_t i, const void *person_id)
{
    return ((const struct risk_person *)arr)[i].person_id < *(const int64_t *)person_id;
}

static bool fact_below(const void *arr, size_t i, const void *person)
{
    return ((const struct risk_fact *)arr)[i].person < *(const size_t *)person;
}

struct risk_person *risk_panel_find(const struct risk_panel *p, int64_t person_id)
{
    size_t k = svp_lower_bound(p->persons, p->npersons, &person_id, person_below);
    return k < p->npersons && p->persons[k].person_id == person_id ? &p->persons[k] : NULL;
}

/* Fills rp's reasons from its facts (idempotent). */
static int explain(struct risk_panel *p, struct risk_person *rp, const double *first_pass)
{
    if (rp->reasons || rp->status != RISK_SCORED)
        return SVP_OK;
    size_t idx = (size_t)(rp - p->persons);
    /* facts are sorted by person: this person's range starts at the first not below it */
    size_t lo = svp_lower_bound(p->facts, p->nfacts, &idx, fact_below);
    size_t end = lo;
    while (end < p->nfacts && p->facts[end].person == idx)
        end++;
    size_t n = end - lo;
    rp->reasons = svp_arena_alloc(p->arena, (2 * n + 1) * sizeof *rp->reasons);
    if (!rp->reasons)
        return SVP_ENOMEM;
    memset(rp->reasons, 0, (2 * n + 1) * sizeof *rp->reasons);
    risk_score_person(&p->weights, p->as_of, p->facts + lo, n, first_pass, rp->reasons,
                      &rp->nreasons);
    for (size_t i = 0; i < rp->nreasons; i++) {
        int64_t o = rp->reasons[i].other_person_id;
        rp->reasons[i].other_person_id = o > 0 ? p->persons[o - 1].person_id : 0;
    }
    /* largest first, then most recent */
    for (size_t i = 1; i < rp->nreasons; i++) {
        struct risk_reason x = rp->reasons[i];
        size_t j = i;
        while (j > 0 && (rp->reasons[j - 1].points < x.points ||
                         (rp->reasons[j - 1].points == x.points &&
                          rp->reasons[j - 1].day < x.day))) {
            rp->reasons[j] = rp->reasons[j - 1];
            j--;
        }
        rp->reasons[j] = x;
    }
    return SVP_OK;
}

/* Reads the last saved panel: each person's rank on it, and who has left the list. */
/* Names each listed reason's record by the agency's own id, so the list can be read against
 * the agency's system. A small cache keyed by record id avoids asking twice. */
static int resolve_agency_ids(struct store *s, struct risk_panel *p, struct svp_err *err)
{
    size_t cap = 1024;
    while (cap < p->nlist * 16)
        cap *= 2;
    int64_t *keys = svp_calloc(cap, sizeof *keys);
    const char **vals = svp_calloc(cap, sizeof *vals);
    struct store_stmt *st = NULL;
    int rc = keys && vals ? store_prepare(s, "SELECT agency_record_id FROM record WHERE id = ?",
                                          &st, err)
                          : svp_err_set(err, SVP_ENOMEM, "out of memory");
    size_t used = 0;
    for (size_t i = 0; i < p->nlist && !rc; i++) {
        struct risk_person *rp = p->list[i];
        for (size_t k = 0; k < rp->nreasons && !rc; k++) {
            struct risk_reason *r = &rp->reasons[k];
            if (r->record_id <= 0)
                continue;
            size_t h = (size_t)((uint64_t)r->record_id * 0x9E3779B97F4A7C15ull) & (cap - 1);
            while (keys[h] && keys[h] != r->record_id)
                h = (h + 1) & (cap - 1);
            if (keys[h]) {
                r->agency_record_id = vals[h];
                continue;
            }
            if (used * 2 >= cap) /* cache full enough: stop caching, still resolve */
                h = SIZE_MAX;
            store_reset(st);
            if (store_bind_int64(st, 1, r->record_id)) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            int step = store_step(st, err);
            if (step < 0) {
                rc = step;
                break;
            }
            const char *id = step == STORE_ROW ? store_column_text(st, 0) : NULL;
            const char *copy = id ? svp_arena_strndup(p->arena, id, strlen(id)) : NULL;
            if (id && !copy) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            r->agency_record_id = copy;
            if (h != SIZE_MAX) {
                keys[h] = r->record_id;
                vals[h] = copy;
                used++;
            }
        }
    }
    store_finalize(&st);
    svp_free(keys);
    svp_free(vals);
    return rc;
}

static int load_previous(struct store *s, struct risk_panel *p,
                         const struct risk_panel_opts *opts, struct svp_err *err)
{
    int64_t snap = 0;
    int rc = store_query_int64(s, "SELECT COALESCE(MAX(id), 0) FROM risk_snapshot", &snap, err);
    if (rc || !snap)
        return rc;
    p->previous_snapshot = snap;
    struct store_stmt *st = NULL;
    if ((rc = store_prepare(s, "SELECT saved_at FROM risk_snapshot WHERE id = ?", &st, err)))
        return rc;
    if (store_bind_int64(st, 1, snap) == 0 && store_step(st, err) == STORE_ROW)
        svp_strlcpy(p->previous_saved_at, store_column_text(st, 0) ? store_column_text(st, 0)
                                                                   : "",
                    sizeof p->previous_saved_at);
    store_finalize(&st);
    if ((rc = store_prepare(s,
                            "SELECT person_id, rank FROM risk_snapshot_person WHERE "
                            "snapshot_id = ? ORDER BY rank",
                            &st, err)))
        return rc;
    if (store_bind_int64(st, 1, snap)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    size_t capleft = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t pid = store_column_int64(st, 0);
        int prev = (int)store_column_int64(st, 1);
        struct risk_person *rp = risk_panel_find(p, pid);
        if (!rp)
            continue; /* the person no longer exists (linking was redone) */
        rp->prev_rank = prev;
        bool listed = rp->status == RISK_SCORED && rp->band >= RISK_BAND_MEDIUM;
        if (!listed && (!opts->area || !strcmp(opts->area, rp->area))) {
            struct risk_person **x = svp_grow(p->left, &capleft, p->nleft + 1, sizeof *x, 64);
            if (!x) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            p->left = x;
            rp->change = RISK_CHANGE_LEFT;
            p->left[p->nleft++] = rp;
        }
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

/* A return interview declined or not done within 10 days after a missing episode from care
 * belongs to that episode: a care signal too. facts sorted by person, day descending. */
static void care_return_interviews(struct risk_fact *facts, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && facts[j].person == facts[i].person)
            j++;
        for (size_t a = i; a < j; a++) {
            if (facts[a].indicator != RISK_RETURN_INTERVIEW_DECLINED)
                continue;
            for (size_t b = i; b < j; b++)
                if (facts[b].indicator == RISK_MISSING_FROM_CARE && facts[b].day <= facts[a].day &&
                    facts[a].day - facts[b].day <= 10) {
                    facts[a].flags |= RISK_FACT_CARE;
                    break;
                }
        }
        i = j;
    }
}

static void loader_free(struct loader *L)
{
    svp_free(L->fam_addr);
    svp_free(L->fam_pc);
    svp_free(L->fam_sound);
    L->fam_sound = NULL;
    svp_free(L->fam_names);
    L->fam_names = NULL;
    svp_free(L->fam_phone);
    L->fam_phone = NULL;
    svp_free(L->homes);
    L->homes = NULL;
    svp_free(L->occ);
    svp_free(L->att);
    L->fam_addr = L->fam_pc = NULL;
    L->occ = NULL;
    L->att = NULL;
}

/* The panel, or with scope (record id -> 1) one person's neighbourhood only: then nobody
 * is ranked, listed or compared with the last saved panel. */
static int panel_build(struct store *s, const struct risk_weights *w,
                       const struct risk_panel_opts *opts, const uint8_t *scope,
                       int64_t max_record, struct risk_panel **out, struct svp_err *err)
{
    *out = NULL;
    double t0 = now_seconds();
    int rc = store_require_current(s, err);
    if (rc)
        return rc;
    if (!opts->unlinked) {
        int64_t linked = 0, records = 0;
        if ((rc = store_query_int64(s, "SELECT COUNT(*) FROM person_record", &linked, err)) ||
            (rc = store_query_int64(s, "SELECT COUNT(*) FROM record", &records, err)))
            return rc;
        if (records > 0 && linked == 0)
            return svp_err_set(err, SVP_ECONFLICT,
                               "the %lld records are not linked into persons yet: run 'svp "
                               "link' first (or --unlinked to score each record on its own)",
                               (long long)records);
    }
    struct risk_panel *p = svp_calloc(1, sizeof *p);
    if (!p || !(p->arena = svp_arena_new(256 * 1024))) {
        svp_free(p);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    p->as_of = opts->as_of;
    p->weights = *w;
    p->unlinked = opts->unlinked;
    p->age_to = opts->age_to;
    struct loader L = {.s = s, .w = &p->weights, .as_of = opts->as_of,
                       .unlinked = opts->unlinked, .p = p, .scope = scope,
                       .scope_max = max_record};
    double *first = NULL, *final = NULL;
    struct rank_key *ranked = NULL;
    if ((rc = panel_load_persons(&L, err)) || (rc = panel_load_events(&L, err)) ||
        (rc = panel_load_relationships(&L, err)))
        goto fail;
    if ((rc = add_age_facts(&L))) {
        svp_err_set(err, rc, "out of memory");
        goto fail;
    }
    p->facts = L.facts;
    p->nfacts = L.nfacts;
    L.facts = NULL;
    p->family = L.links;
    p->nfamily = L.nlinks;
    L.links = NULL;
    loader_free(&L);
    double t1 = now_seconds();
    p->load_seconds = t1 - t0;

    /* Two passes: the second adds association with young people whom the first pass puts
     * on the list (band medium or above). */
    risk_facts_sort(p->facts, p->nfacts);
    care_return_interviews(p->facts, p->nfacts);
    size_t np = p->npersons ? p->npersons : 1;
    first = svp_malloc(np * sizeof *first);
    final = svp_malloc(np * sizeof *final);
    ranked = svp_malloc(np * sizeof *ranked);
    if (!first || !final || !ranked) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory scoring %zu persons", p->npersons);
        goto fail;
    }
    risk_score_facts(&p->weights, p->as_of, p->facts, p->nfacts, NULL, first, p->npersons);
    risk_score_facts(&p->weights, p->as_of, p->facts, p->nfacts, first, final, p->npersons);
    for (size_t i = 0; i < p->nfacts;) {
        size_t j = i;
        while (j < p->nfacts && p->facts[j].person == p->facts[i].person)
            j++;
        struct risk_person *rp = &p->persons[p->facts[i].person];
        risk_care_summary(&p->weights, p->as_of, p->facts + i, j - i, first, &rp->care_flag,
                          &rp->care_missing, &rp->care_moves);
        i = j;
    }

    size_t nr = 0;
    for (size_t i = 0; i < p->npersons; i++) {
        struct risk_person *rp = &p->persons[i];
        /* a young adult stays on the tracker up to opts->age_to (transitional safeguarding);
         * their own age is known, since only a date of birth makes them one */
        rp->transition = !rp->child && L.info[i].has_dob && rp->age >= 18 &&
                         rp->age <= opts->age_to;
        if (!rp->child && !rp->transition) {
            rp->status = RISK_ADULT;
            continue;
        }
        p->nchildren++;
        if (!L.info[i].has_dob) {
            rp->status = RISK_NO_DOB;
            p->nno_dob++;
        } else if (rp->nevents < p->weights.min_events) {
            rp->status = RISK_TOO_LITTLE;
            p->ntoo_little++;
        } else {
            rp->status = RISK_SCORED;
            rp->score = final[i];
            rp->band = risk_band_of(&p->weights, rp->score);
            p->nscored++;
            ranked[nr++] = (struct rank_key){rp->score, rp->person_id, rp};
        }
    }
    qsort(ranked, nr, sizeof *ranked, cmp_rank);
    for (size_t i = 0; !scope && i < nr; i++)
        ranked[i].rp->rank = (int)i + 1;
    p->score_seconds = now_seconds() - t1;
    if (scope)
        nr = 0; /* a neighbourhood has no list: its order says nothing of the county's */

    if (!scope && !opts->no_previous && (rc = load_previous(s, p, opts, err)))
        goto fail;

    /* The list: ranked children in band medium or above (or min_band), area, top N. */
    p->list = svp_malloc((nr ? nr : 1) * sizeof *p->list);
    if (!p->list) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto fail;
    }
    enum risk_band min_band = opts->min_band ? opts->min_band : RISK_BAND_MEDIUM;
    for (size_t i = 0; i < nr; i++) {
        struct risk_person *rp = ranked[i].rp;
        if (rp->band >= RISK_BAND_MEDIUM)
            p->nlisted_all++;
        if (rp->band < min_band || (opts->area && strcmp(opts->area, rp->area)))
            continue;
        if (opts->top > 0 && p->nlist >= (size_t)opts->top)
            continue;
        if (!opts->no_previous && p->previous_snapshot)
            rp->change = !rp->prev_rank             ? RISK_CHANGE_NEW
                         : rp->rank < rp->prev_rank ? RISK_CHANGE_UP
                         : rp->rank > rp->prev_rank ? RISK_CHANGE_DOWN
                                                    : RISK_CHANGE_SAME;
        p->list[p->nlist++] = rp;
    }
    for (size_t i = 0; i < p->nlist; i++)
        if ((rc = explain(p, p->list[i], first))) {
            svp_err_set(err, rc, "out of memory explaining scores");
            goto fail;
        }
    if ((rc = resolve_agency_ids(s, p, err)))
        goto fail;
    /* keep the first pass for later explanations (risk_panel_person) */
    p->first_pass = first;
    first = NULL;
    svp_free(final);
    svp_free(ranked);
    svp_free(L.info);
    svp_free(L.rec_person);
    svp_free(L.rec_flags);
    svp_free(L.rec_dob);
    svp_free(L.ev_flags);
    svp_free(L.ev_day);
    *out = p;
    return SVP_OK;
fail:
    loader_free(&L);
    svp_free(L.links);
    svp_free(first);
    svp_free(final);
    svp_free(ranked);
    svp_free(L.info);
    svp_free(L.rec_person);
    svp_free(L.rec_flags);
    svp_free(L.rec_dob);
    svp_free(L.ev_flags);
    svp_free(L.ev_day);
    svp_free(L.facts);
    risk_panel_free(&p);
    return rc;
}

int risk_panel_build(struct store *s, const struct risk_weights *w,
                     const struct risk_panel_opts *opts, struct risk_panel **out,
                     struct svp_err *err)
{
    if (opts->age_to < 0 || opts->age_to > RISK_AGE_TRACK_MAX)
        return svp_err_set(err, SVP_EINPUT, "the oldest age tracked must be 17 to %d",
                           RISK_AGE_TRACK_MAX);
    return panel_build(s, w, opts, NULL, 0, out, err);
}

int risk_person_score(struct store *s, const struct risk_weights *w,
                      const struct risk_panel_opts *opts, int64_t person_id,
                      struct risk_panel **out, struct risk_person **person, struct svp_err *err)
{
    *out = NULL;
    *person = NULL;
    uint8_t *scope = NULL;
    int64_t max_record = 0;
    int rc = risk_scope_records(s, opts->unlinked, person_id, opts->as_of, &scope, &max_record,
                                err);
    if (!rc)
        rc = panel_build(s, w, opts, scope, max_record, out, err);
    svp_free(scope);
    if (rc)
        return rc;
    struct risk_person *rp = risk_panel_person(*out, person_id);
    if (!rp) {
        risk_panel_free(out);
        return svp_err_set(err, SVP_ENOTFOUND, "no %s %lld",
                           opts->unlinked ? "record" : "person", (long long)person_id);
    }
    *person = rp;
    return SVP_OK;
}

void risk_panel_free(struct risk_panel **pp)
{
    if (!pp || !*pp)
        return;
    struct risk_panel *p = *pp;
    svp_free(p->persons);
    svp_free(p->list);
    svp_free(p->left);
    svp_free(p->facts);
    svp_free(p->first_pass);
    svp_free(p->family);
    svp_arena_free(&p->arena);
    svp_free(p);
    *pp = NULL;
}

struct risk_person *risk_panel_person(struct risk_panel *p, int64_t person_id)
{
    struct risk_person *rp = risk_panel_find(p, person_id);
    if (!rp || explain(p, rp, p->first_pass))
        return NULL;
    return rp;
}
