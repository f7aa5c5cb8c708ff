/* Children's social care: persons, contacts, referrals, assessments, plans and care. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const contact_sources[] = {"POLICE", "SCHOOL",    "HEALTH",   "HOUSING",
                                              "FAMILY", "ANONYMOUS", "LA_OTHER", "OTHER"};
static const double contact_source_cum[] = {30, 50, 65, 69, 79, 83, 93, 100};
static const char *const contact_reasons[] = {"DOMESTIC_ABUSE",
                                              "NEGLECT",
                                              "PHYSICAL_ABUSE",
                                              "SEXUAL_ABUSE",
                                              "EMOTIONAL_ABUSE",
                                              "MISSING",
                                              "CSE",
                                              "CCE",
                                              "BEHAVIOUR",
                                              "MENTAL_HEALTH",
                                              "PARENTING",
                                              "OTHER"};
static const double contact_reason_cum[] = {22, 38, 46, 50, 58, 60, 61, 62, 72, 82, 92, 100};

static void emit_assessment(struct gen *g, struct child *c, const char *refid, svp_day start,
                            const char *factors)
{
    if (start > g->end)
        return;
    char id[24];
    struct out_file *o = &g->files[F_CSC_ASSESSMENTS];
    seq_id(id, sizeof id, o, "SA", 8);
    const char *pid = view_id(g, c, AG_CSC, start, F_CSC_ASSESSMENTS, id);
    /* About 89% completed within 45 working days (county-profile
     * single_assessments_within_45_working_days). */
    int wd = synth_rng_chance(&c->r, 0.89) ? (int)synth_rng_range(&c->r, 8, 45)
                                           : (int)synth_rng_range(&c->r, 46, 90);
    svp_day done = wd_add(g, start, wd);
    out_str(o, id);
    out_str(o, pid);
    out_str(o, refid);
    out_date_iso(o, start);
    double u = synth_rng_unit(&c->r);
    const char *outcome = u < 0.35 ? "NFA" : u < 0.6 ? "EARLY_HELP" : u < 0.93 ? "CIN_PLAN" : "S47";
    if (done > g->end) {
        out_str(o, "");
        out_str(o, "");
    } else {
        out_date_iso(o, done);
        out_str(o, outcome);
    }
    out_str(o, factors);
    row_end(g, F_CSC_ASSESSMENTS, id, c->pid);
    if (done <= g->end && !strcmp(outcome, "S47")) {
        /* A section 47 enquiry that led to no conference: strategy discussion only. */
        struct out_file *p = &g->files[F_CSC_CP];
        for (int k = 0; k < 2; k++) {
            char eid[24];
            seq_id(eid, sizeof eid, p, "CP", 8);
            out_str(p, eid);
            out_str(p, view_id(g, c, AG_CSC, done, F_CSC_CP, eid));
            out_str(p, "");
            out_str(p, k ? "S47_START" : "STRATEGY_DISCUSSION");
            out_date_iso(p, done);
            out_str(p, "");
            row_end(g, F_CSC_CP, eid, c->pid);
        }
    }
}

/* A contact to the front door, with the decision and what followed. reason < 0 draws one. */
void emit_contact(struct gen *g, struct child *c, svp_time t, int source, int reason,
                         double p_referral, const char *factors)
{
    svp_day d = day_of(t);
    if (d > g->end || d < c->dob)
        return;
    struct out_file *o = &g->files[F_CSC_CONTACTS];
    char id[24];
    seq_id(id, sizeof id, o, "C", 8);
    if (source < 0)
        source = (int)synth_pick_cumulative(contact_source_cum, 8, synth_rng_unit(&c->r));
    if (reason < 0)
        reason = (int)synth_pick_cumulative(contact_reason_cum, 12, synth_rng_unit(&c->r));
    /* Working Together 2018 ch. 1: a decision within one working day, mostly met. */
    svp_day dec =
        wd_add(g, d, synth_rng_chance(&c->r, 0.85) ? 1 : (int)synth_rng_range(&c->r, 2, 5));
    double u = synth_rng_unit(&c->r);
    bool referral = u < p_referral;
    const char *outcome = referral               ? "REFERRAL"
                          : u < p_referral + 0.3 ? "NFA"
                          : u < p_referral + 0.5 ? "ADVICE"
                                                 : "EARLY_HELP";
    out_str(o, id);
    out_str(o, view_id(g, c, AG_CSC, d, F_CSC_CONTACTS, id));
    out_time_iso(o, t);
    out_str(o, contact_sources[source]);
    out_str(o, contact_reasons[reason]);
    if (dec > g->end) {
        out_str(o, "");
        out_str(o, "");
        referral = false;
    } else {
        out_date_iso(o, dec);
        out_str(o, outcome);
    }
    row_end(g, F_CSC_CONTACTS, id, c->pid);
    if (!referral)
        return;
    struct out_file *r = &g->files[F_CSC_REFERRALS];
    char rid[24];
    seq_id(rid, sizeof rid, r, "R", 8);
    svp_day rdec = wd_add(g, dec, synth_rng_chance(&c->r, 0.7) ? 0 : 1);
    bool rerefer = c->last_referral != INT32_MIN ? dec - c->last_referral <= 365
                                                 : synth_rng_chance(&c->r, 0.12);
    c->last_referral = dec;
    double v = synth_rng_unit(&c->r);
    const char *rout = v < 0.93 ? "ASSESSMENT" : v < 0.97 ? "STRATEGY" : "NFA";
    out_str(r, rid);
    out_str(r, view_id(g, c, AG_CSC, dec, F_CSC_REFERRALS, rid));
    out_str(r, id);
    out_date_iso(r, dec);
    out_str(r, contact_sources[source]);
    if (rdec > g->end) {
        out_str(r, "");
        out_str(r, "");
    } else {
        out_date_iso(r, rdec);
        out_str(r, rout);
    }
    out_str(r, rerefer ? "Y" : "N");
    row_end(g, F_CSC_REFERRALS, rid, c->pid);
    if (rdec > g->end || !strcmp(rout, "NFA"))
        return;
    if (!factors) {
        static const char *const f[] = {"DOMESTIC_ABUSE",
                                        "PARENT_MENTAL_HEALTH",
                                        "PARENT_SUBSTANCE",
                                        "NEGLECT",
                                        "DOMESTIC_ABUSE;PARENT_MENTAL_HEALTH",
                                        "NEGLECT;PARENT_SUBSTANCE",
                                        "SELF_HARM",
                                        ""};
        factors = f[synth_rng_below(&c->r, 8)];
    }
    emit_assessment(g, c, rid, rdec, factors);
    /* More single assessments than referrals in the profile (5,515 against 3,912): open
     * cases are re-assessed when circumstances change. */
    if (synth_rng_chance(&c->r, 0.45))
        emit_assessment(g, c, "", rdec + (svp_day)synth_rng_range(&c->r, 30, 180), factors);
}

static void cp_event(struct gen *g, struct child *c, const char *plan, const char *type, svp_day d,
                     const char *cat)
{
    struct out_file *p = &g->files[F_CSC_CP];
    char eid[24];
    seq_id(eid, sizeof eid, p, "CP", 8);
    out_str(p, eid);
    out_str(p, view_id(g, c, AG_CSC, d, F_CSC_CP, eid));
    out_str(p, plan);
    out_str(p, type);
    out_date_iso(p, d);
    out_str(p, cat);
    row_end(g, F_CSC_CP, eid, c->pid);
}

/* A child protection plan: a stock of 397 children on plans at any time
 * (county-profile child_protection_plans). Plans start uniformly over the 18 months before
 * the window and the window itself and last 3-18 months (mean 10.5). */
void gen_cp_plan(struct gen *g, struct child *c)
{
    double span_m = 18.0 + g->o->months;
    double p = P_CP_PLANS / PROFILE_CHILDREN * span_m / 10.5;
    if (!synth_rng_chance(&c->r, p))
        return;
    svp_day lo = svp_date_add_months(g->start, -18);
    svp_day icpc = rand_day(&c->r, lo, g->end);
    if (icpc < c->dob + 14)
        icpc = c->dob + 14;
    svp_day end = icpc + (svp_day)synth_rng_range(&c->r, 91, 548);
    svp_day eighteen = svp_date_add_months(c->dob, 216);
    if (end > eighteen)
        end = eighteen;
    if (end < g->start || icpc > g->end || icpc >= end)
        return;
    char plan[24];
    snprintf(plan, sizeof plan, "PLN%07llu", (unsigned long long)++g->plan_seq);
    /* Working Together 2018: the initial conference within 15 working days of the strategy
     * discussion; about four in five on time. */
    int wd = synth_rng_chance(&c->r, 0.8) ? (int)synth_rng_range(&c->r, 5, 15)
                                          : (int)synth_rng_range(&c->r, 16, 30);
    svp_day strat = wd_add(g, icpc, -wd);
    cp_event(g, c, plan, "STRATEGY_DISCUSSION", strat, "");
    cp_event(g, c, plan, "S47_START", strat, "");
    cp_event(g, c, plan, "ICPC", icpc, "");
    static const char *const cats[] = {"NEGLECT", "EMOTIONAL", "PHYSICAL", "SEXUAL", "MULTIPLE"};
    static const double cat_cum[] = {48, 83, 91, 95, 100};
    cp_event(g, c, plan, "PLAN_START", icpc,
             cats[synth_pick_cumulative(cat_cum, 5, synth_rng_unit(&c->r))]);
    /* Reviews: first within 3 months of the ICPC, then every 6 months; some late. */
    svp_day due = svp_date_add_months(icpc, 3);
    while (true) {
        svp_day held = synth_rng_chance(&c->r, 0.9) ? due - (svp_day)synth_rng_range(&c->r, 0, 10)
                                                    : due + (svp_day)synth_rng_range(&c->r, 1, 25);
        if (held >= end || held > g->end)
            break;
        cp_event(g, c, plan, "REVIEW_CONFERENCE", held, "");
        due = svp_date_add_months(held, 6);
    }
    if (end <= g->end)
        cp_event(g, c, plan, "PLAN_END", end, "");
}

/* Decides whether c is looked after during the window (a stock of 443 at any time,
 * county-profile looked_after_children): episodes start uniformly in the 48 months before
 * the window and the window, and last 6-48 months (mean 27). */
void plan_lac(struct gen *g, struct child *c)
{
    double span_m = 48.0 + g->o->months;
    double p = P_LAC / PROFILE_CHILDREN * span_m / 27.0 * 1.05; /* 1.05: episodes cut at 18 */
    if (!synth_rng_chance(&c->r, p))
        return;
    svp_day s = rand_day(&c->r, svp_date_add_months(g->start, -48), g->end);
    if (s < c->dob + 7)
        s = c->dob + 7;
    svp_day e = svp_date_add_months(s, (int)synth_rng_range(&c->r, 6, 48));
    svp_day eighteen = svp_date_add_months(c->dob, 216);
    if (e > eighteen)
        e = eighteen;
    if (e < g->start || s >= e || s > g->end)
        return;
    c->lac = true;
    c->lac_start = s;
    c->lac_end = e > g->end ? INT32_MAX : e;
}

void emit_lac(struct gen *g, struct child *c)
{
    if (!c->lac)
        return;
    struct out_file *o = &g->files[F_CSC_LAC];
    char id[24];
    seq_id(id, sizeof id, o, "LA", 8);
    out_str(o, id);
    out_str(o, view_id(g, c, AG_CSC, c->lac_start, F_CSC_LAC, id));
    out_date_iso(o, c->lac_start);
    bool open = c->lac_end == INT32_MAX;
    if (open)
        out_str(o, "");
    else
        out_date_iso(o, c->lac_end);
    static const char *const legal[] = {"C2", "C1", "V2", "E1", "L2"};
    static const double legal_cum[] = {55, 70, 92, 97, 100};
    out_str(o, legal[synth_pick_cumulative(legal_cum, 5, synth_rng_unit(&c->r))]);
    static const char *const ptype[] = {"FOSTER_LA",      "FOSTER_AGENCY",    "KINSHIP",
                                        "CHILDRENS_HOME", "SEMI_INDEPENDENT", "WITH_PARENTS"};
    static const double ptype_cum[] = {45, 66, 75, 87, 93, 100};
    out_str(o, ptype[synth_pick_cumulative(ptype_cum, 6, synth_rng_unit(&c->r))]);
    /* 36% placed more than 20 miles away (county-profile looked_after_placed_over_20_miles). */
    uint32_t home = hh_pc(c->hh, c->lac_start), place;
    if (synth_rng_chance(&c->r, 0.27))
        place = (uint32_t)(g->nareas * PC_PER_AREA + synth_rng_below(&c->r, NTOWNS * PC_PER_TOWN));
    else
        place = (uint32_t)synth_rng_below(&c->r, g->nareas * PC_PER_AREA);
    double miles =
        miles_between(g->pc[home].lat, g->pc[home].lon, g->pc[place].lat, g->pc[place].lon);
    out_str(o, g->pc[place].code);
    out_fmt(o, "%.1f", miles);
    out_str(o, g->pc[place].area < 0 ? "Y" : "N");
    if (open) {
        out_str(o, "");
    } else {
        static const char *const why[] = {"RETURNED_HOME", "ADOPTED", "SGO", "OTHER"};
        bool adult = c->lac_end >= svp_date_add_months(c->dob, 216);
        out_str(o, adult ? "AGE_18" : why[synth_rng_below(&c->r, 4)]);
    }
    row_end(g, F_CSC_LAC, id, c->pid);
    /* Reviews: first within 20 working days, second within 3 months, then 6-monthly. */
    struct out_file *e = &g->files[F_CSC_LAC_EVENTS];
    svp_day stop = open ? g->end : c->lac_end;
    svp_day due = wd_add(g, c->lac_start, 20);
    for (int k = 0;; k++) {
        svp_day held = synth_rng_chance(&c->r, 0.88) ? due - (svp_day)synth_rng_range(&c->r, 0, 7)
                                                     : due + (svp_day)synth_rng_range(&c->r, 1, 20);
        if (held > stop)
            break;
        char eid[24];
        seq_id(eid, sizeof eid, e, "LE", 8);
        out_str(e, eid);
        out_str(e, view_id(g, c, AG_CSC, held, F_CSC_LAC_EVENTS, eid));
        out_str(e, id);
        out_str(e, "REVIEW");
        out_date_iso(e, held);
        row_end(g, F_CSC_LAC_EVENTS, eid, c->pid);
        due = svp_date_add_months(held, k == 0 ? 3 : 6);
    }
    /* Initial health assessment: 67% within 28 days (initial_health_assessments_within_28_days). */
    svp_day iha =
        c->lac_start + (synth_rng_chance(&c->r, 0.67) ? (svp_day)synth_rng_range(&c->r, 7, 28)
                                                      : (svp_day)synth_rng_range(&c->r, 29, 75));
    if (iha <= stop) {
        char eid[24];
        seq_id(eid, sizeof eid, e, "LE", 8);
        out_str(e, eid);
        out_str(e, view_id(g, c, AG_CSC, iha, F_CSC_LAC_EVENTS, eid));
        out_str(e, id);
        out_str(e, "IHA");
        out_date_iso(e, iha);
        row_end(g, F_CSC_LAC_EVENTS, eid, c->pid);
    }
}

/* Private fostering: 42 notifications a year (private_fostering_notifications). */
void gen_private_fostering(struct gen *g, struct child *c)
{
    if (!synth_rng_chance(&c->r, P_PF / PROFILE_CHILDREN * g->years))
        return;
    svp_day start = rand_day(&c->r, g->start, g->end);
    if (start < c->dob + 60)
        return;
    svp_day note = start + (svp_day)synth_rng_range(&c->r, 0, 25);
    svp_day end = svp_date_add_months(start, (int)synth_rng_range(&c->r, 3, 18));
    if (note > g->end)
        return;
    char arr[16];
    struct out_file *o = &g->files[F_CSC_PF];
    snprintf(arr, sizeof arr, "PFA%06llu", (unsigned long long)++g->pf_seq);
    svp_day first_year = svp_date_add_months(note, 12);
    /* Regulation 8 of the Children (Private Arrangements for Fostering) Regulations 2005:
     * a visit within 7 days of notification, then at least every 6 weeks in the first year. */
    svp_day d = note;
    for (int k = 0;; k++) {
        const char *type = k == 0 ? "NOTIFICATION" : "VISIT";
        if (k == 1)
            d = note + (synth_rng_chance(&c->r, 0.8) ? (svp_day)synth_rng_range(&c->r, 1, 7)
                                                     : (svp_day)synth_rng_range(&c->r, 8, 21));
        else if (k > 1)
            d += synth_rng_chance(&c->r, 0.85) ? (svp_day)synth_rng_range(&c->r, 28, 42)
                                               : (svp_day)synth_rng_range(&c->r, 43, 60);
        if (d > g->end || d >= end || (k > 1 && d > first_year + 90))
            break;
        char id[24];
        seq_id(id, sizeof id, o, "PF", 8);
        out_str(o, id);
        out_str(o, view_id(g, c, AG_CSC, d, F_CSC_PF, id));
        out_str(o, arr);
        out_str(o, type);
        out_date_iso(o, start);
        out_date_iso(o, d);
        row_end(g, F_CSC_PF, id, c->pid);
    }
    if (end <= g->end) {
        char id[24];
        seq_id(id, sizeof id, o, "PF", 8);
        out_str(o, id);
        out_str(o, view_id(g, c, AG_CSC, end, F_CSC_PF, id));
        out_str(o, arr);
        out_str(o, "END");
        out_date_iso(o, start);
        out_date_iso(o, end);
        row_end(g, F_CSC_PF, id, c->pid);
    }
}
