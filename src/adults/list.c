/* The adult vulnerability list (docs/indicators.md, "Adults"): adults whose homes are taken
 * over for drug dealing (cuckooing) and adults exploited alongside children, beside the
 * children's tracker. One read of the records and of the event types the list looks at; an
 * adult is a linked person (or a record not yet linked). Each indicator counts once, with the
 * latest event behind it as its evidence. */
#include "adults.h"

#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct adults_indicator adults_indicators[ADULTS_NIND] = {
    {"cuckooed_home", 40,
     "home taken over for drug dealing (cuckooing): a police victim of it or intelligence"},
    {"exploited", 30,
     "exploited: a police victim of exploitation (cse, cce, county lines, gang), an NRM "
     "referral, or an adult concern of modern slavery or sexual exploitation"},
    {"exploited_with_children", 25,
     "aged 18-25 in an exploitation occurrence with a child"},
    {"young_at_cuckooed_address", 25,
     "aged 18-25 in an occurrence at a cuckooed address (those who hold and deal the drugs)"},
    {"at_cuckooed_address", 15, "aged over 25 in an occurrence at a cuckooed address"},
    {"young_drug_supply", 10, "aged 18-25, a suspect, offender or arrested for drug supply"},
    {"adult_concern", 10, "an adult safeguarding concern (Care Act 2014)"},
    {"missing_as_adult", 10, "reported missing as an adult"},
    {"care_history", 10,
     "aged 18-25 with a child protection plan, child in need plan or care in their history"},
};

/* What an event says, once read. */
enum {
    EV_CUCKOO = 1,      /* cuckooing flagged, or intelligence of subtype cuckooing */
    EV_EXPLOITED = 2,   /* exploitation victim (see adults_indicators[1]) */
    EV_EXPLOIT_OCC = 4, /* a police event flagged with any exploitation */
    EV_VICTIM = 8,      /* role victim */
    EV_DRUG_SUPPLY = 16,
    EV_CONCERN = 32,
    EV_MISSING = 64,
    EV_CARE = 128,
    EV_WITH_CHILD = 256, /* its occurrence has someone under 18 on the day in it */
};

struct ev {
    int64_t id, place;
    size_t who; /* index into persons */
    svp_day day;
    unsigned flags;
    const char *occ; /* arena: occurrence_ref, or NULL */
    char agency[16], type[24], subtype[24];
};

struct who {
    int64_t key; /* person id, or -record id */
    svp_day dob;
    bool has_dob;
    struct adults_entry e;
};

struct rec {
    int64_t id, key;
};

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int cmp_who(const void *a, const void *b)
{
    const struct who *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static bool list_has(json_t *v, const char *const *words)
{
    size_t i;
    json_t *x;
    if (json_is_string(v)) {
        for (const char *const *w = words; *w; w++)
            if (!strcmp(json_string_value(v), *w))
                return true;
        return false;
    }
    json_array_foreach(v, i, x)
    {
        const char *s = json_string_value(x);
        for (const char *const *w = words; s && *w; w++)
            if (!strcmp(s, *w))
                return true;
    }
    return false;
}

static unsigned read_event(const char *type, const char *sub, json_t *d, const char **occ)
{
    static const char *const ex[] = {"cse", "cce", "county_lines", "gang", NULL};
    static const char *const any_ex[] = {"cse", "cce", "county_lines", "gang", "cuckooing", NULL};
    static const char *const cuckoo[] = {"cuckooing", NULL};
    static const char *const adult_ex[] = {"modern_slavery", "sexual_exploitation", NULL};
    unsigned f = 0;
    bool police = !strcmp(type, "crime") || !strcmp(type, "incident") || !strcmp(type, "arrest") ||
                  !strcmp(type, "intelligence");
    if (police) {
        json_t *x = json_object_get(d, "exploitation");
        bool victim = sub && !strcmp(sub, "victim");
        const char *r = json_string_value(json_object_get(d, "occurrence_ref"));
        *occ = r && *r ? r : NULL;
        if (victim)
            f |= EV_VICTIM;
        if (list_has(x, cuckoo))
            f |= EV_CUCKOO;
        if (!strcmp(type, "intelligence") && sub && !strcmp(sub, "cuckooing"))
            f |= EV_CUCKOO | EV_VICTIM; /* intelligence is recorded on the resident */
        if (list_has(x, any_ex))
            f |= EV_EXPLOIT_OCC;
        if (victim && list_has(x, ex))
            f |= EV_EXPLOITED;
        const char *off = json_string_value(json_object_get(d, "offence"));
        bool offender = !strcmp(type, "arrest") ||
                        (sub && (!strcmp(sub, "suspect") || !strcmp(sub, "offender")));
        if (offender && off && !strcmp(off, "drugs_supply"))
            f |= EV_DRUG_SUPPLY;
    } else if (!strcmp(type, "nrm_referral") || !strcmp(type, "exploitation_concern")) {
        f |= EV_EXPLOITED;
    } else if (!strcmp(type, "adult_concern") || !strcmp(type, "adult_enquiry")) {
        f |= EV_CONCERN;
        const char *keys[] = {"abuse_type", "abuse_type2"};
        for (int k = 0; k < 2; k++)
            if (list_has(json_object_get(d, keys[k]), adult_ex))
                f |= EV_EXPLOITED;
        for (const char *const *w = adult_ex; sub && *w; w++)
            if (!strcmp(sub, *w))
                f |= EV_EXPLOITED;
    } else if (!strcmp(type, "missing_episode")) {
        f |= EV_MISSING;
    } else if (!strcmp(type, "cp_plan") || !strcmp(type, "cin_plan") ||
               !strcmp(type, "looked_after")) {
        f |= EV_CARE;
    }
    return f;
}

static int age_at(const struct who *w, svp_day day)
{
    return w->has_dob ? svp_date_age(w->dob, day) : -1;
}

/* Gives w indicator ind from event e (the latest event is kept as the evidence). */
static void give(struct who *w, int ind, const struct ev *e)
{
    struct adults_entry *a = &w->e;
    for (size_t i = 0; i < a->nreasons; i++)
        if (a->reasons[i].ind == ind) {
            a->reasons[i].events++;
            if (e->day > a->reasons[i].day) {
                a->reasons[i].day = e->day;
                a->reasons[i].event_id = e->id;
                svp_strlcpy(a->reasons[i].agency, e->agency, sizeof a->reasons[i].agency);
                svp_strlcpy(a->reasons[i].type, e->type, sizeof a->reasons[i].type);
                svp_strlcpy(a->reasons[i].subtype, e->subtype, sizeof a->reasons[i].subtype);
            }
            return;
        }
    struct adults_reason *r = &a->reasons[a->nreasons++];
    r->ind = ind;
    r->points = adults_indicators[ind].points;
    r->events = 1;
    r->day = e->day;
    r->event_id = e->id;
    svp_strlcpy(r->agency, e->agency, sizeof r->agency);
    svp_strlcpy(r->type, e->type, sizeof r->type);
    svp_strlcpy(r->subtype, e->subtype, sizeof r->subtype);
    a->score += r->points;
}

static int cmp_reason(const void *a, const void *b)
{
    const struct adults_reason *x = a, *y = b;
    if (x->points != y->points)
        return y->points - x->points;
    return x->ind - y->ind;
}

static int cmp_entry(const void *a, const void *b)
{
    const struct adults_entry *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    if (x->last != y->last)
        return (y->last > x->last) - (y->last < x->last);
    int64_t kx = x->person_id ? x->person_id : -x->record_id,
            ky = y->person_id ? y->person_id : -y->record_id;
    return (kx > ky) - (kx < ky);
}

static int cmp_ev_occ(const void *a, const void *b)
{
    const struct ev *x = *(const struct ev *const *)a, *y = *(const struct ev *const *)b;
    return strcmp(x->occ, y->occ);
}

static int cmp_place_out(const void *a, const void *b)
{
    const struct adults_place *x = a, *y = b;
    if (x->events != y->events)
        return (y->events > x->events) - (y->events < x->events);
    return (x->place_id > y->place_id) - (x->place_id < y->place_id);
}

static size_t find_who(struct who *v, size_t n, int64_t key)
{
    struct who k = {.key = key};
    struct who *w = bsearch(&k, v, n, sizeof *v, cmp_who);
    return w ? (size_t)(w - v) : SIZE_MAX;
}

struct cplace {
    int64_t id;
    long events;
    svp_day first, last;
};

static int cmp_cplace(const void *a, const void *b)
{
    const struct cplace *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int load_records(struct store *s, struct rec **recs, size_t *nrecs, struct who **whos,
                        size_t *nwho, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT r.id, COALESCE(pr.person_id, -r.id), r.dob FROM record r "
                           "LEFT JOIN person_record pr ON pr.record_id = r.id ORDER BY r.id",
                           &st, err);
    if (rc)
        return rc;
    size_t cr = 0, cw = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct rec *r = svp_grow(*recs, &cr, *nrecs + 1, sizeof *r, 1024);
        struct who *w = r ? svp_grow(*whos, &cw, *nwho + 1, sizeof *w, 1024) : NULL;
        if (r)
            *recs = r;
        if (!r || !w) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading records");
            break;
        }
        *whos = w;
        r = &(*recs)[(*nrecs)++];
        r->id = store_column_int64(st, 0);
        r->key = store_column_int64(st, 1);
        w = &(*whos)[(*nwho)++];
        memset(w, 0, sizeof *w);
        w->key = r->key;
        const char *dob = store_column_text(st, 2);
        struct svp_err ignore;
        w->has_dob = dob && !svp_date_parse_iso(dob, strlen(dob) < 10 ? strlen(dob) : 10,
                                                &w->dob, &ignore);
        rc = SVP_OK;
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    /* one entry per person: the first record (by id) with a date of birth gives it */
    qsort(*whos, *nwho, sizeof **whos, cmp_who); /* stable enough: ties merged below */
    size_t n = 0;
    for (size_t i = 0; i < *nwho; i++) {
        if (n && (*whos)[n - 1].key == (*whos)[i].key) {
            if (!(*whos)[n - 1].has_dob && (*whos)[i].has_dob) {
                (*whos)[n - 1].has_dob = true;
                (*whos)[n - 1].dob = (*whos)[i].dob;
            }
            continue;
        }
        (*whos)[n++] = (*whos)[i];
    }
    *nwho = n;
    return SVP_OK;
}

int adults_list_build(struct store *s, const struct adults_list_opts *o,
                      struct adults_list **out, struct svp_err *err)
{
    *out = NULL;
    struct adults_list_opts opt = *o;
    if (!opt.lookback_days)
        opt.lookback_days = 730;
    if (!opt.min_score)
        opt.min_score = 25;
    if (opt.lookback_days < 0 || opt.min_score < 0)
        return svp_err_set(err, SVP_EUSAGE, "the lookback and the lowest score are positive");
    struct rec *recs = NULL;
    struct who *whos = NULL;
    struct ev *evs = NULL;
    struct ev **occ = NULL;
    struct cplace *cp = NULL;
    size_t nrecs = 0, nwho = 0, nev = 0, cev = 0, nocc = 0, ncp = 0, ccp = 0;
    struct svp_arena *arena = svp_arena_new(1 << 16);
    struct adults_list *L = svp_calloc(1, sizeof *L);
    int rc = arena && L ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (!rc)
        rc = load_records(s, &recs, &nrecs, &whos, &nwho, err);
    struct store_stmt *st = NULL;
    if (!rc)
        rc = store_prepare(
            s,
            "SELECT id, record_id, agency, type, subtype, started_at, place_id, detail FROM "
            "event WHERE started_at < ? AND type IN ('crime', 'incident', 'arrest', "
            "'intelligence', 'nrm_referral', 'exploitation_concern', 'adult_concern', "
            "'adult_enquiry', 'missing_episode', 'cp_plan', 'cin_plan', 'looked_after') "
            "ORDER BY id",
            &st, err);
    char upto[16];
    svp_date_format(opt.as_of + 1, upto, sizeof upto);
    if (!rc && store_bind_text(st, 1, upto, -1))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        const char *type = store_column_text(st, 3), *sub = store_column_text(st, 4),
                   *start = store_column_text(st, 5), *dtext = store_column_text(st, 7);
        struct svp_err ignore;
        svp_day day;
        if (!type || !start || strlen(start) < 10 || svp_date_parse_iso(start, 10, &day, &ignore))
            continue;
        json_t *d = NULL;
        if (dtext && *dtext) {
            json_error_t je;
            d = json_loads(dtext, JSON_REJECT_DUPLICATES, &je);
        }
        const char *occ_ref = NULL;
        unsigned f = read_event(type, sub, d, &occ_ref);
        struct rec rk = {.id = store_column_int64(st, 1)};
        struct rec *r = bsearch(&rk, recs, nrecs, sizeof *recs, cmp_rec);
        size_t w = r ? find_who(whos, nwho, r->key) : SIZE_MAX;
        if (f && w != SIZE_MAX) {
            struct ev *v = svp_grow(evs, &cev, nev + 1, sizeof *v, 1024);
            if (!v) {
                json_decref(d);
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading events");
                break;
            }
            evs = v;
            struct ev *e = &evs[nev++];
            memset(e, 0, sizeof *e);
            e->id = store_column_int64(st, 0);
            e->who = w;
            e->day = day;
            e->flags = f;
            e->place = store_column_is_null(st, 6) ? 0 : store_column_int64(st, 6);
            const char *ag = store_column_text(st, 2);
            svp_strlcpy(e->agency, ag ? ag : "", sizeof e->agency);
            svp_strlcpy(e->type, type, sizeof e->type);
            svp_strlcpy(e->subtype, sub ? sub : "", sizeof e->subtype);
            if (occ_ref && (f & EV_EXPLOIT_OCC)) {
                e->occ = svp_arena_strndup(arena, occ_ref, strlen(occ_ref));
                if (!e->occ)
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                nocc++;
            }
        }
        json_decref(d);
    }
    store_finalize(&st);
    if (rc < 0)
        goto done;
    rc = SVP_OK;
    /* cuckooed places: where a cuckooing event was recorded */
    for (size_t i = 0; i < nev && !rc; i++) {
        if (!(evs[i].flags & EV_CUCKOO) || !evs[i].place)
            continue;
        struct cplace *v = svp_grow(cp, &ccp, ncp + 1, sizeof *v, 64);
        if (!v) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        cp = v;
        cp[ncp++] = (struct cplace){evs[i].place, 1, evs[i].day, evs[i].day};
    }
    if (rc)
        goto done;
    if (ncp)
        qsort(cp, ncp, sizeof *cp, cmp_cplace);
    size_t m = 0;
    for (size_t i = 0; i < ncp; i++) {
        if (m && cp[m - 1].id == cp[i].id) {
            cp[m - 1].events++;
            if (cp[i].first < cp[m - 1].first)
                cp[m - 1].first = cp[i].first;
            if (cp[i].last > cp[m - 1].last)
                cp[m - 1].last = cp[i].last;
            continue;
        }
        cp[m++] = cp[i];
    }
    ncp = m;
    /* exploitation occurrences with a child in them */
    if (nocc && !(occ = svp_calloc(nocc, sizeof *occ))) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < nev; i++)
        if (evs[i].occ)
            occ[k++] = &evs[i];
    if (nocc)
        qsort(occ, nocc, sizeof *occ, cmp_ev_occ);
    for (size_t i = 0; i < nocc;) {
        size_t j = i;
        bool child = false;
        while (j < nocc && !strcmp(occ[j]->occ, occ[i]->occ)) {
            int a = age_at(&whos[occ[j]->who], occ[j]->day);
            child |= a >= 0 && a < 18;
            j++;
        }
        for (size_t q = i; child && q < j; q++)
            occ[q]->flags |= EV_WITH_CHILD;
        i = j;
    }
    /* the indicators */
    for (size_t i = 0; i < nev; i++) {
        const struct ev *e = &evs[i];
        struct who *w = &whos[e->who];
        int now = age_at(w, opt.as_of), then = age_at(w, e->day);
        if (now < 18)
            continue;
        bool young_then = then >= 18 && then <= 25;
        if (e->flags & EV_CARE) {
            if (now <= 25)
                give(w, ADULTS_IND_CARE_HISTORY, e);
            continue;
        }
        if (opt.as_of - e->day > opt.lookback_days)
            continue;
        bool resident = (e->flags & EV_CUCKOO) && (e->flags & EV_VICTIM);
        if (resident && then >= 18)
            give(w, ADULTS_IND_CUCKOOED_HOME, e);
        if ((e->flags & EV_EXPLOITED) && then >= 18)
            give(w, ADULTS_IND_EXPLOITED, e);
        if ((e->flags & EV_WITH_CHILD) && young_then)
            give(w, ADULTS_IND_WITH_CHILDREN, e);
        struct cplace ck = {.id = e->place};
        if (!resident && e->place && ncp && bsearch(&ck, cp, ncp, sizeof *cp, cmp_cplace))
            give(w, young_then ? ADULTS_IND_YOUNG_AT_CUCKOOED : ADULTS_IND_AT_CUCKOOED, e);
        if ((e->flags & EV_DRUG_SUPPLY) && young_then)
            give(w, ADULTS_IND_YOUNG_DRUG_SUPPLY, e);
        if (e->flags & EV_CONCERN)
            give(w, ADULTS_IND_CONCERN, e);
        if ((e->flags & EV_MISSING) && then >= 18)
            give(w, ADULTS_IND_MISSING, e);
    }
    L->as_of = opt.as_of;
    L->lookback_days = opt.lookback_days;
    L->min_score = opt.min_score;
    size_t cap = 0;
    for (size_t i = 0; i < nwho; i++) {
        struct who *w = &whos[i];
        int now = age_at(w, opt.as_of);
        if (now < 18)
            continue;
        L->adults++;
        if (w->e.score > 0)
            L->scored++;
        if (w->e.score < opt.min_score)
            continue;
        struct adults_entry *v = svp_grow(L->v, &cap, L->n + 1, sizeof *v, 64);
        if (!v) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            goto done;
        }
        L->v = v;
        struct adults_entry *a = &L->v[L->n++];
        *a = w->e;
        a->person_id = w->key > 0 ? w->key : 0;
        a->record_id = w->key > 0 ? 0 : -w->key;
        a->age = now;
        for (size_t r = 0; r < a->nreasons; r++)
            if (a->reasons[r].day > a->last)
                a->last = a->reasons[r].day;
        qsort(a->reasons, a->nreasons, sizeof *a->reasons, cmp_reason);
    }
    if (L->n)
        qsort(L->v, L->n, sizeof *L->v, cmp_entry);
    for (size_t i = 0; i < L->n; i++)
        L->v[i].rank = (int)i + 1;
    /* the cuckooed places, most events first */
    if (ncp && !(L->places = svp_calloc(ncp, sizeof *L->places))) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto done;
    }
    if (!rc)
        rc = store_prepare(s, "SELECT name, postcode, area FROM place WHERE id = ?", &st, err);
    for (size_t i = 0; i < ncp && !rc; i++) {
        struct adults_place *p = &L->places[L->nplaces++];
        p->place_id = cp[i].id;
        p->events = cp[i].events;
        p->first = cp[i].first;
        p->last = cp[i].last;
        if (store_bind_int64(st, 1, cp[i].id)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        rc = store_step(st, err);
        if (rc == STORE_ROW) {
            const char *t[3] = {store_column_text(st, 0), store_column_text(st, 1),
                                store_column_text(st, 2)};
            svp_strlcpy(p->name, t[0] ? t[0] : "", sizeof p->name);
            svp_strlcpy(p->postcode, t[1] ? t[1] : "", sizeof p->postcode);
            svp_strlcpy(p->area, t[2] ? t[2] : "", sizeof p->area);
        }
        if (rc >= 0) /* STORE_DONE: a place gone since; kept with its id */
            rc = SVP_OK;
        store_reset(st);
    }
    store_finalize(&st);
    if (!rc && L->nplaces)
        qsort(L->places, L->nplaces, sizeof *L->places, cmp_place_out);
done:
    svp_free(recs);
    svp_free(whos);
    svp_free(evs);
    svp_free(occ);
    svp_free(cp);
    svp_arena_free(&arena);
    if (rc)
        adults_list_free(&L);
    *out = L;
    return rc;
}

void adults_list_free(struct adults_list **l)
{
    if (!l || !*l)
        return;
    svp_free((*l)->v);
    svp_free((*l)->places);
    svp_free(*l);
    *l = NULL;
}

json_t *adults_entry_json(const struct adults_entry *a)
{
    char day[16];
    svp_date_format(a->last, day, sizeof day);
    json_t *o = json_pack("{s:i,s:I,s:I,s:i,s:i,s:s,s:[]}", "rank", a->rank, "person_id",
                          (json_int_t)a->person_id, "record_id", (json_int_t)a->record_id, "age",
                          a->age, "score", a->score, "last", day, "reasons");
    json_t *rs = o ? json_object_get(o, "reasons") : NULL;
    for (size_t i = 0; rs && i < a->nreasons; i++) {
        const struct adults_reason *r = &a->reasons[i];
        svp_date_format(r->day, day, sizeof day);
        if (json_array_append_new(
                rs, json_pack("{s:s,s:s,s:i,s:I,s:I,s:s,s:s,s:s,s:s}", "indicator",
                              adults_indicators[r->ind].code, "description",
                              adults_indicators[r->ind].text, "points", r->points, "events",
                              (json_int_t)r->events, "event_id", (json_int_t)r->event_id, "date",
                              day, "agency", r->agency, "type", r->type, "subtype",
                              r->subtype))) {
            json_decref(o);
            return NULL;
        }
    }
    return rs ? o : (json_decref(o), NULL);
}

json_t *adults_list_json(const struct adults_list *l, size_t top)
{
    char day[16];
    svp_date_format(l->as_of, day, sizeof day);
    json_t *o = json_pack("{s:s,s:i,s:i,s:I,s:I,s:I,s:[],s:[]}", "as_of", day, "lookback_days",
                          l->lookback_days, "min_score", l->min_score, "adults",
                          (json_int_t)l->adults, "scored", (json_int_t)l->scored, "listed",
                          (json_int_t)l->n, "list", "cuckooed_places");
    if (!o)
        return NULL;
    json_t *list = json_object_get(o, "list"), *pl = json_object_get(o, "cuckooed_places");
    for (size_t i = 0; i < l->n && (!top || i < top); i++)
        if (json_array_append_new(list, adults_entry_json(&l->v[i]))) {
            json_decref(o);
            return NULL;
        }
    for (size_t i = 0; i < l->nplaces; i++) {
        const struct adults_place *p = &l->places[i];
        char a[16], b[16];
        svp_date_format(p->first, a, sizeof a);
        svp_date_format(p->last, b, sizeof b);
        if (json_array_append_new(pl, json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s}", "place_id",
                                                (json_int_t)p->place_id, "name", p->name,
                                                "postcode", p->postcode, "area", p->area,
                                                "events", (json_int_t)p->events, "first", a,
                                                "last", b))) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}
