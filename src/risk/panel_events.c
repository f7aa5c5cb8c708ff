/* The panel's loader, events: each event's facts, plans, agencies and the toxic trio's household factors. */
#include "panel_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool open_on(svp_day start, const char *ended, svp_day as_of)
{
    svp_day end;
    return start <= as_of && (!panel_day_of(ended, &end) || end > as_of);
}

/* Indicators that describe a state rather than a moment: aged from when the state ended,
 * or counted in full while it lasts. */
static bool is_state(int ind)
{
    return ind == RISK_LOOKED_AFTER || ind == RISK_PLACEMENT_OUT_OF_COUNTY ||
           ind == RISK_MISSING_EDUCATION;
}

static bool concern_offence(const char *off)
{
    return off && (!strcmp(off, "drugs_supply") || !strcmp(off, "weapon_possession") ||
                   !strcmp(off, "violence_weapon") || !strcmp(off, "exploitation") ||
                   !strcmp(off, "sexual"));
}

static void note_trio(struct pinfo *pi, int which, svp_day day, int64_t ev, int64_t rec, int ag)
{
    struct trio_fact *t = &pi->trio[which];
    if (day > t->day) {
        t->day = day;
        t->event_id = ev;
        t->record_id = rec;
        t->agency = (uint8_t)ag;
    }
}

/* The event types the loader tells apart (the type's text compared once per event). */
enum etype {
    T_OTHER, T_SCHOOL_ATTENDANCE, T_ED_ATTENDANCE, T_CONTACT, T_DA_INCIDENT, T_ASSESSMENT,
    T_REFERRAL, T_CRIME, T_MISSING_EPISODE, T_RETURN_INTERVIEW, T_EXCLUSION, T_ARREST,
    T_SEXUAL_HEALTH, T_CP_PLAN, T_INCIDENT, T_LOOKED_AFTER, T_PLACEMENT, T_YJ_INTERVENTION,
    T_EHE, T_OFFENDER_MANAGEMENT, T_CIN_PLAN, T_EARLY_HELP, T_STOP_SEARCH,
    T_EXPLOITATION_SCREENING, T_INTELLIGENCE, T_NRM_REFERRAL, T_COUNT
};

static const struct {
    const char *name;
    /* detail: the type's meaning depends on detail keys, so its detail is parsed
     * (docs/model.md); subtype_first: it reads its one detail key only when there is no
     * subtype (risk_classify_event: the subtype, else the detail's reason, level,
     * category, decision or type) */
    bool detail, subtype_first;
} etypes[T_COUNT] = {
    [T_SCHOOL_ATTENDANCE] = {"school_attendance", true, false},
    [T_ED_ATTENDANCE] = {"ed_attendance", true, true},
    [T_CONTACT] = {"contact", true, false},
    [T_DA_INCIDENT] = {"da_incident", true, false},
    [T_ASSESSMENT] = {"assessment", true, false},
    [T_REFERRAL] = {"referral", true, false},
    [T_CRIME] = {"crime", true, false},
    [T_MISSING_EPISODE] = {"missing_episode", true, false},
    [T_RETURN_INTERVIEW] = {"return_interview", true, false},
    [T_EXCLUSION] = {"exclusion", true, true},
    [T_ARREST] = {"arrest", true, false},
    [T_SEXUAL_HEALTH] = {"sexual_health", true, false},
    [T_CP_PLAN] = {"cp_plan", false, false},
    [T_INCIDENT] = {"incident", true, false},
    [T_LOOKED_AFTER] = {"looked_after", false, false},
    [T_PLACEMENT] = {"placement", true, false},
    [T_YJ_INTERVENTION] = {"yj_intervention", false, false},
    [T_EHE] = {"ehe", false, false},
    [T_OFFENDER_MANAGEMENT] = {"offender_management", false, false},
    [T_CIN_PLAN] = {"cin_plan", false, false},
    [T_EARLY_HELP] = {"early_help", false, false},
    [T_STOP_SEARCH] = {"stop_search", true, false},
    [T_EXPLOITATION_SCREENING] = {"exploitation_screening", true, true},
    [T_INTELLIGENCE] = {"intelligence", true, true},
    [T_NRM_REFERRAL] = {"nrm_referral", true, true},
};

static enum etype etype_of(const char *type)
{
    for (int i = 1; type && i < T_COUNT; i++)
        if (etypes[i].name[0] == type[0] && !strcmp(etypes[i].name, type))
            return (enum etype)i;
    return T_OTHER;
}

/* Keeps what co-involvement (a police occurrence's reference) and the attendance decline
 * (the term's attendance) need from an event. */
static int note_occurrence_or_attendance(struct loader *L, uint32_t person, enum etype type,
                                         const char *subtype, json_t *detail, svp_day day,
                                         int64_t eid, int64_t rid, int agency)
{
    if (type == T_CRIME || type == T_INCIDENT) {
        json_t *ref = json_object_get(detail, "occurrence_ref");
        if (!json_is_string(ref) || !*json_string_value(ref))
            return SVP_OK;
        const char *role = subtype ? subtype
                                   : json_string_value(json_object_get(detail, "role"));
        uint8_t r = OCC_OTHER;
        if (role && (!strcmp(role, "suspect") || !strcmp(role, "offender")))
            r = OCC_SUSPECT;
        else if (role && !strcmp(role, "victim"))
            r = OCC_VICTIM;
        struct occ_row *x = svp_grow(L->occ, &L->capocc, L->nocc + 1, sizeof *x, 1024);
        if (!x)
            return SVP_ENOMEM;
        L->occ = x;
        x[L->nocc++] = (struct occ_row){risk_key_hash(json_string_value(ref), "occ"), person, r,
                                        (uint8_t)agency, day, eid, rid};
    } else if (type == T_SCHOOL_ATTENDANCE) {
        double pct;
        if (!risk_attendance_pct(detail, &pct))
            return SVP_OK;
        struct att_row *x = svp_grow(L->att, &L->capatt, L->natt + 1, sizeof *x, 1024);
        if (!x)
            return SVP_ENOMEM;
        L->att = x;
        x[L->natt++] = (struct att_row){person, (uint8_t)agency, day, pct, eid, rid};
    }
    return SVP_OK;
}

/* A school_attendance event whose detail risk_attendance_flat read: what event_row does for
 * one with that detail (its indicators, none of them care signals, and the term). */
static int attendance_row(struct loader *L, uint32_t person, const struct risk_attendance_in *a,
                          svp_day day, int64_t eid, int64_t rid, int agency, struct svp_err *err)
{
    int inds[8];
    int n = risk_classify_attendance(a, inds);
    for (int k = 0; k < n; k++)
        if (panel_add_fact(L, person, inds[k], day, agency, eid, 0, rid, 0, 1))
            return svp_err_set(err, SVP_ENOMEM, "out of memory for facts");
    double pct;
    if (!risk_attendance_of(a, &pct))
        return SVP_OK;
    struct att_row *x = svp_grow(L->att, &L->capatt, L->natt + 1, sizeof *x, 1024);
    if (!x)
        return svp_err_set(err, SVP_ENOMEM, "out of memory for events");
    L->att = x;
    x[L->natt++] = (struct att_row){person, (uint8_t)agency, day, pct, eid, rid};
    return SVP_OK;
}

/* Whether place id is one of the places out of the county (out: their ids, ascending). */
static bool place_out(const int64_t *out, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (out[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && out[lo] == id;
}

/* The ids of the places out of the county, ascending (few: an event's place is looked up
 * in them rather than joined in the events' query). */
static int places_out(struct loader *L, int64_t **out, size_t *n, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(L->s, "SELECT id FROM place WHERE in_county = 0 ORDER BY id", &st,
                           err);
    if (rc)
        return rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t *x = svp_grow(*out, &cap, *n + 1, sizeof *x, 64);
        if (!x) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading places");
            break;
        }
        *out = x;
        x[(*n)++] = store_column_int64(st, 0);
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

/* One event row of the loader's query (columns as in panel_load_events): its facts, plans and
 * what the person's later facts need. */
static int event_row(struct loader *L, struct store_stmt *st, const int64_t *out_places,
                     size_t nout, struct svp_err *err)
{
    struct risk_panel *p = L->p;
    int rc = SVP_OK;
    int64_t eid = store_column_int64(st, 0), rid = store_column_int64(st, 1);
    svp_day day;
    bool has_day = panel_day_cached(L, store_column_text(st, 5), &day);
    const char *type = store_column_text(st, 3);
    enum etype et = etype_of(type);
    /* the day and kind of every event read, for the relationships recorded with it */
    if (L->ev_flags && eid > 0 && eid <= L->max_event) {
        L->ev_flags[eid] = EV_READ | (has_day ? EV_DAY : 0) | (et == T_DA_INCIDENT ? EV_DA : 0);
        L->ev_day[eid] = has_day ? day : 0;
    }
    int64_t pidx = panel_person_of(L, rid);
    if (pidx < 0 || !has_day)
        return SVP_OK;
    struct risk_person *rp = &p->persons[pidx];
    struct pinfo *pi = &L->info[pidx];
    int agency = risk_agency_find(store_column_text(st, 2));
    const char *subtype = store_column_text(st, 4);
    const char *ended = store_column_text(st, 6);
    const char *dtext = store_column_text(st, 7);
    if (!type)
        return SVP_OK;
    if (L->as_of - day <= L->w->lookback_days) {
        rp->nevents++;
        rp->agencies |= 1u << agency;
    }
    if (et == T_CIN_PLAN && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_CIN;
    else if (et == T_CP_PLAN && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_CP;
    else if (et == T_LOOKED_AFTER && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_LAC;
    else if (et == T_EARLY_HELP && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_EARLY_HELP;
    else if (et == T_YJ_INTERVENTION && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_YJ;

    /* A term's attendance, most of a county's events, read without a full parse when its
     * detail is a flat object: the same indicators and term as below. */
    struct risk_attendance_in att;
    if (et == T_SCHOOL_ATTENDANCE && risk_attendance_flat(dtext, &att))
        return attendance_row(L, (uint32_t)pidx, &att, day, eid, rid, agency, err);

    /* Only the types whose meaning depends on detail keys are parsed (docs/model.md);
     * some only when they have no subtype (etypes). */
    bool parse = etypes[et].detail && !(etypes[et].subtype_first && subtype);
    json_t *detail = NULL;
    /* a flat detail (most are) reduced to the keys read below, without parsing the rest */
    int slim = parse && dtext && *dtext ? risk_detail_slim(dtext, &detail) : 0;
    if (slim < 0)
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading an event's detail");
    if (parse && dtext && *dtext && !slim) {
        json_error_t je;
        unsigned long failures = svp_mem_failures();
        detail = json_loads(dtext, JSON_REJECT_DUPLICATES, &je);
        /* out of memory is an error, never an event scored as if it had no detail (see
         * svp_mem_failures: jansson may report it as malformed text) */
        if (!detail && (json_error_code(&je) == json_error_out_of_memory ||
                        svp_mem_failures() != failures)) {
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading an event's detail");
        }
    }
    struct risk_event_in in = {.type = type, .subtype = subtype, .started_at = NULL,
                               .ended_at = ended, .detail = detail,
                               .place_out_of_county =
                                   !store_column_is_null(st, 8) &&
                                   place_out(out_places, nout, store_column_int64(st, 8))};
    int inds[8];
    int n = risk_classify_event(&in, inds);

    /* What makes an adult 'of concern' and the household factors of the toxic trio. */
    const char *off = detail ? json_string_value(json_object_get(detail, "offence")) : NULL;
    bool concern = false;
    if ((et == T_CRIME || et == T_INCIDENT) && subtype &&
        (!strcmp(subtype, "suspect") || !strcmp(subtype, "offender")))
        concern = concern_offence(off) || json_array_size(json_object_get(detail,
                                                                          "exploitation"));
    else if (et == T_ARREST)
        concern = concern_offence(off);
    else if (et == T_INTELLIGENCE)
        /* intelligence about an adult's own exploitation of children makes them of
         * concern; cuckooing intelligence is recorded on the resident, its victim */
        concern = subtype && strcmp(subtype, "other") && strcmp(subtype, "cuckooing");
    else if (et == T_OFFENDER_MANAGEMENT)
        concern = true; /* a known offender (MAPPA, registered, the partnership's list) */
    if (concern && (!pi->concern_day || day < pi->concern_day))
        pi->concern_day = day;
    unsigned needs = risk_event_needs(type, subtype, detail);
    for (int t = 0; t < TRIO_N; t++)
        if (needs & (1u << t))
            note_trio(pi, t, day, eid, rid, agency);
    if (et == T_LOOKED_AFTER || et == T_PLACEMENT)
        pi->in_care = true;
    if (et == T_EXCLUSION && day > pi->last_exclusion)
        pi->last_exclusion = day;
    if (et == T_PLACEMENT &&
        (day < pi->first_placement_day ||
         (day == pi->first_placement_day && eid < pi->first_placement_event))) {
        pi->first_placement_day = day;
        pi->first_placement_event = eid;
    }

    bool from_care = false;
    for (int k = 0; k < n; k++)
        from_care |= inds[k] == RISK_MISSING_FROM_CARE;
    for (int k = 0; k < n; k++) {
        svp_day fday = day, end;
        if (is_state(inds[k]))
            fday = panel_day_of(ended, &end) && end <= L->as_of ? end : L->as_of;
        if ((rc = panel_add_fact(L, (uint32_t)pidx, inds[k], fday, agency, eid, 0, rid, 0, 1))) {
            json_decref(detail);
            return svp_err_set(err, rc, "out of memory for facts");
        }
        /* Care signals: count only beside an exploitation signal (docs/indicators.md) */
        int ind = inds[k];
        if ((from_care && (ind == RISK_MISSING_EPISODE || ind == RISK_MISSING_HIGH_RISK ||
                           ind == RISK_MISSING_FROM_CARE)) ||
            ind == RISK_PLACEMENT_MOVE || ind == RISK_PLACEMENT_OUT_OF_COUNTY ||
            ind == RISK_LOOKED_AFTER)
            L->facts[L->nfacts - 1].flags |= RISK_FACT_CARE;
    }
    rc = note_occurrence_or_attendance(L, (uint32_t)pidx, et, subtype, detail, day, eid,
                                       rid, agency);
    if (rc) {
        json_decref(detail);
        return svp_err_set(err, rc, "out of memory for events");
    }
    json_decref(detail);
    /* Elective home education begun within a year of an exclusion: the route out of
     * school that the partnership's education reports watch (docs/indicators.md). */
    if (et == T_EHE && pi->last_exclusion && day >= pi->last_exclusion &&
        day - pi->last_exclusion <= 365)
        if ((rc = panel_add_fact(L, (uint32_t)pidx, RISK_EHE_AFTER_EXCLUSION, day, agency, eid, 0,
                           rid, 0, 1))) {
            return svp_err_set(err, rc, "out of memory for facts");
        }
    return SVP_OK;
}

int panel_load_events(struct loader *L, struct svp_err *err)
{
    /* Events up to the scoring date: compare ISO text with the next day's date. */
    char upto[16];
    svp_date_format(L->as_of + 1, upto, sizeof upto);
    const char *sql =
        L->scope ? "SELECT e.id, e.record_id, e.agency, e.type, e.subtype, e.started_at, "
                   "e.ended_at, e.detail, e.place_id FROM event e WHERE e.started_at < ? AND "
                   "e.record_id = ? ORDER BY e.id"
                 : "SELECT e.id, e.record_id, e.agency, e.type, e.subtype, e.started_at, "
                   "e.ended_at, e.detail, e.place_id FROM event e WHERE e.started_at < ?";
    int64_t *out = NULL;
    size_t nout = 0;
    int rc = store_query_int64(L->s, "SELECT COALESCE(MAX(id), 0) FROM event", &L->max_event,
                               err);
    if (!rc)
        rc = places_out(L, &out, &nout, err);
    if (rc)
        return rc;
    /* an id per event read, when the ids are not too sparse for it (else the relationships
     * ask the store) */
    if (L->max_event > 0 && L->max_event <= (int64_t)1 << 26) {
        L->ev_flags = svp_calloc((size_t)L->max_event + 1, sizeof *L->ev_flags);
        L->ev_day = svp_calloc((size_t)L->max_event + 1, sizeof *L->ev_day);
        if (!L->ev_flags || !L->ev_day) {
            svp_free(out);
            return svp_err_set(err, SVP_ENOMEM, "out of memory for %lld events",
                               (long long)L->max_event);
        }
    }
    struct store_stmt *st = NULL;
    if ((rc = store_prepare(L->s, sql, &st, err))) {
        svp_free(out);
        return rc;
    }
    if (store_bind_text(st, 1, upto, -1)) {
        store_finalize(&st);
        svp_free(out);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (!L->scope) {
        while ((rc = store_step(st, err)) == STORE_ROW)
            if ((rc = event_row(L, st, out, nout, err)))
                break;
    } else {
        /* one person's neighbourhood: each record's events by the record's index, in id
         * order (as the whole table is read) */
        for (int64_t r = 1; !rc && r <= L->max_record && r <= L->scope_max; r++) {
            if (!L->scope[r])
                continue;
            store_reset(st);
            if (store_bind_text(st, 1, upto, -1) || store_bind_int64(st, 2, r)) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            while ((rc = store_step(st, err)) == STORE_ROW)
                if ((rc = event_row(L, st, out, nout, err)))
                    break;
        }
    }
    svp_free(out);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    /* The first placement is coming into care, not a move. */
    size_t k = 0;
    for (size_t i = 0; i < L->nfacts; i++) {
        struct risk_fact *f = &L->facts[i];
        if (f->indicator == RISK_PLACEMENT_MOVE &&
            f->event_id == L->info[f->person].first_placement_event)
            continue;
        L->facts[k++] = *f;
    }
    L->nfacts = k;
    return SVP_OK;
}
