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

/* Keeps what co-involvement (a police occurrence's reference) and the attendance decline
 * (the term's attendance) need from an event. */
static int note_occurrence_or_attendance(struct loader *L, uint32_t person, const char *type,
                                         const char *subtype, json_t *detail, svp_day day,
                                         int64_t eid, int64_t rid, int agency)
{
    if (!strcmp(type, "crime") || !strcmp(type, "incident")) {
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
    } else if (!strcmp(type, "school_attendance")) {
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

/* One event row of the loader's query (columns as in panel_load_events): its facts, plans and
 * what the person's later facts need. */
static int event_row(struct loader *L, struct store_stmt *st, struct svp_err *err)
{
    struct risk_panel *p = L->p;
    int rc = SVP_OK;
    int64_t eid = store_column_int64(st, 0), rid = store_column_int64(st, 1);
    int64_t pidx = panel_person_of(L, rid);
    svp_day day;
    if (pidx < 0 || !panel_day_of(store_column_text(st, 5), &day))
        return SVP_OK;
    struct risk_person *rp = &p->persons[pidx];
    struct pinfo *pi = &L->info[pidx];
    int agency = risk_agency_find(store_column_text(st, 2));
    const char *type = store_column_text(st, 3);
    const char *subtype = store_column_text(st, 4);
    const char *ended = store_column_text(st, 6);
    const char *dtext = store_column_text(st, 7);
    if (!type)
        return SVP_OK;
    if (L->as_of - day <= L->w->lookback_days) {
        rp->nevents++;
        rp->agencies |= 1u << agency;
    }
    if (!strcmp(type, "cin_plan") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_CIN;
    else if (!strcmp(type, "cp_plan") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_CP;
    else if (!strcmp(type, "looked_after") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_LAC;
    else if (!strcmp(type, "early_help") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_EARLY_HELP;
    else if (!strcmp(type, "yj_intervention") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_YJ;

    /* A term's attendance, most of a county's events, read without a full parse when its
     * detail is a flat object: the same indicators and term as below. */
    struct risk_attendance_in att;
    if (!strcmp(type, "school_attendance") && risk_attendance_flat(dtext, &att))
        return attendance_row(L, (uint32_t)pidx, &att, day, eid, rid, agency, err);

    /* Only the types whose meaning depends on detail keys are parsed (docs/model.md). */
    static const char *const with_detail[] = {
        "missing_episode", "return_interview", "crime", "arrest", "stop_search",
        "da_incident", "school_attendance", "placement", "exploitation_screening",
        "intelligence", "nrm_referral", "exclusion", "ed_attendance", "contact", "referral",
        "assessment", "sexual_health", "incident", NULL};
    bool parse = false;
    for (const char *const *t = with_detail; *t && !parse; t++)
        parse = !strcmp(*t, type);
    /* These read their one detail key only when there is no subtype (risk_classify_event:
     * the subtype, else the detail's reason, level, category, decision or type). */
    static const char *const subtype_first[] = {"ed_attendance", "exclusion",
                                                "exploitation_screening", "intelligence",
                                                "nrm_referral", NULL};
    for (const char *const *t = subtype_first; *t && parse && subtype; t++)
        parse = strcmp(*t, type) != 0;
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
                               .place_out_of_county = store_column_int64(st, 8) == 0};
    int inds[8];
    int n = risk_classify_event(&in, inds);

    /* What makes an adult 'of concern' and the household factors of the toxic trio. */
    const char *off = detail ? json_string_value(json_object_get(detail, "offence")) : NULL;
    bool concern = false;
    if ((!strcmp(type, "crime") || !strcmp(type, "incident")) && subtype &&
        (!strcmp(subtype, "suspect") || !strcmp(subtype, "offender")))
        concern = concern_offence(off) || json_array_size(json_object_get(detail,
                                                                          "exploitation"));
    else if (!strcmp(type, "arrest"))
        concern = concern_offence(off);
    else if (!strcmp(type, "intelligence"))
        /* intelligence about an adult's own exploitation of children makes them of
         * concern; cuckooing intelligence is recorded on the resident, its victim */
        concern = subtype && strcmp(subtype, "other") && strcmp(subtype, "cuckooing");
    else if (!strcmp(type, "offender_management"))
        concern = true; /* a known offender (MAPPA, registered, the partnership's list) */
    if (concern && (!pi->concern_day || day < pi->concern_day))
        pi->concern_day = day;
    unsigned needs = risk_event_needs(type, subtype, detail);
    for (int t = 0; t < TRIO_N; t++)
        if (needs & (1u << t))
            note_trio(pi, t, day, eid, rid, agency);
    if (!strcmp(type, "exclusion") && day > pi->last_exclusion)
        pi->last_exclusion = day;
    if (!strcmp(type, "placement") &&
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
    rc = note_occurrence_or_attendance(L, (uint32_t)pidx, type, subtype, detail, day, eid,
                                       rid, agency);
    if (rc) {
        json_decref(detail);
        return svp_err_set(err, rc, "out of memory for events");
    }
    json_decref(detail);
    /* Elective home education begun within a year of an exclusion: the route out of
     * school that the partnership's education reports watch (docs/indicators.md). */
    if (!strcmp(type, "ehe") && pi->last_exclusion && day >= pi->last_exclusion &&
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
        L->scope
            ? "SELECT e.id, e.record_id, e.agency, e.type, e.subtype, e.started_at, e.ended_at, "
              "e.detail, COALESCE(pl.in_county, 1) FROM event e LEFT JOIN place pl ON pl.id = "
              "e.place_id WHERE e.started_at < ? AND e.record_id = ? ORDER BY e.id"
            : "SELECT e.id, e.record_id, e.agency, e.type, e.subtype, e.started_at, e.ended_at, "
              "e.detail, COALESCE(pl.in_county, 1) FROM event e LEFT JOIN place pl ON pl.id = "
              "e.place_id WHERE e.started_at < ?";
    struct store_stmt *st = NULL;
    int rc = store_prepare(L->s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, upto, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (!L->scope) {
        while ((rc = store_step(st, err)) == STORE_ROW)
            if ((rc = event_row(L, st, err)))
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
                if ((rc = event_row(L, st, err)))
                    break;
        }
    }
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
