/* Police and return interviews: nominals, missing episodes, occurrences, interviews. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct where at_place(const struct gen *g, uint32_t place)
{
    return (struct where){g->pl[place].name, g->pl[place].pc};
}

static void emit_rhi(struct gen *g, struct child *c, const char *police_ref, svp_time back,
                     bool exploited)
{
    struct out_file *o = &g->files[F_RHI];
    char id[24];
    seq_id(id, sizeof id, o, "INT", 7);
    make_view(g, c, AG_RHI);
    const struct view *v = &c->v[AG_RHI];
    out_str(o, id);
    out_str(o, view_id(g, c, AG_RHI, day_of(back), F_RHI, id));
    out_str(o, v->fore);
    out_str(o, v->sur);
    out_dob(o, v, 1);
    out_str(o, sex_code(v, c->sex, AG_RHI));
    out_str(o, police_ref);
    out_time_dmy(o, back);
    /* county-profile: 441 interviews completed and 229 declined for 1,360 episodes. */
    double u = synth_rng_unit(&c->r);
    const char *outcome = u < P_RHI_COMPLETED / P_MISSING_EPISODES ? "COMPLETED"
                          : u < (P_RHI_COMPLETED + P_RHI_DECLINED) / P_MISSING_EPISODES
                              ? "DECLINED"
                              : "NOT_COMPLETED";
    bool never = outcome[0] == 'N' && synth_rng_chance(&c->r, 0.15);
    /* Statutory guidance on children who run away or go missing (2014): offer an
     * independent return interview within 72 hours of the child's return. */
    int offered_h = synth_rng_chance(&c->r, 0.85) ? (int)synth_rng_range(&c->r, 2, 70)
                                                  : (int)synth_rng_range(&c->r, 73, 200);
    svp_time offered = back + (svp_time)offered_h * 3600;
    svp_time done = 0;
    if (outcome[0] == 'C') {
        /* Most interviews are held within the 72 hours; an offer made late cannot be. */
        int h = offered_h < 72 && synth_rng_chance(&c->r, 0.62)
                    ? (int)synth_rng_range(&c->r, offered_h, 72)
                    : (int)synth_rng_range(&c->r, offered_h > 73 ? offered_h : 73, 240);
        done = back + (svp_time)h * 3600 + (h < 72 ? 1800 : 0);
    }
    if (never || offered > g->extract_time) {
        out_str(o, "");
        out_str(o, "NOT_COMPLETED");
        out_str(o, "");
        out_str(o, "");
    } else {
        out_time_dmy(o, offered);
        if (done > g->extract_time) {
            outcome = "NOT_COMPLETED";
            done = 0;
        }
        out_str(o, outcome);
        if (done)
            out_time_dmy(o, done);
        else
            out_str(o, "");
        if (done && exploited && synth_rng_chance(&c->r, 0.6)) {
            static const char *const disclosed[] = {"CSE;ADULT_ASSOCIATES", "CCE;DRUGS",
                                                    "CCE;PEER_ASSOCIATES;ADULT_ASSOCIATES"};
            out_str(o, disclosed[c->ex]);
        } else if (done && synth_rng_chance(&c->r, 0.3)) {
            static const char *const disclosed[] = {"HOME_CONFLICT", "BULLYING", "ALCOHOL",
                                                    "PEER_ASSOCIATES"};
            out_str(o, disclosed[synth_rng_below(&c->r, 4)]);
        } else {
            out_str(o, "");
        }
    }
    log_corr(g, F_RHI, id, v);
    row_end(g, F_RHI, id, c->pid);
}

/* One missing episode, its police record and (once returned) its return interview.
 * back == 0: still missing when the extract was taken. */
void emit_missing(struct gen *g, struct child *c, svp_time from, svp_time back,
                         struct where found, bool home, const char *with, bool exploited)
{
    if (day_of(from) > g->end || day_of(from) < g->start)
        return;
    if (back > g->extract_time)
        back = 0;
    struct out_file *o = &g->files[F_POL_MISSING];
    svp_time reported = from + (svp_time)synth_rng_range(&c->r, 30, 300) * 60;
    char id[32];
    snprintf(id, sizeof id, "MIS/%02d/%06llu", year2(day_of(reported)),
             (unsigned long long)++o->seq);
    out_str(o, id);
    out_str(o, view_id(g, c, AG_POLICE, day_of(from), F_POL_MISSING, id));
    out_time_dmy(o, reported);
    out_time_dmy(o, from);
    bool in_care = c->lac && day_of(from) >= c->lac_start && day_of(from) < c->lac_end;
    if (back) {
        out_time_dmy(o, back);
    } else {
        out_str(o, "");
    }
    double u = synth_rng_unit(&c->r);
    out_str(o, in_care ? "CARE_PLACEMENT" : u < 0.9 ? "HOME" : u < 0.95 ? "SCHOOL" : "OTHER");
    double risk = synth_rng_unit(&c->r) - (exploited ? 0.4 : 0);
    out_str(o, risk < 0.1   ? "HIGH"
               : risk < 0.6 ? "MEDIUM"
               : risk < 0.9 ? "LOW"
                            : "NO_APPARENT_RISK");
    if (!back) {
        for (int k = 0; k < 5; k++)
            out_str(o, "");
        out_str(o, "");
    } else {
        uint32_t pc = home ? hh_pc(c->hh, day_of(back)) : found.pc;
        out_str(o, home ? "HOME_ADDRESS" : found.name);
        out_str(o, g->pc[pc].code);
        out_fmt(o, "%.5f", g->pc[pc].lat);
        out_fmt(o, "%.5f", g->pc[pc].lon);
        out_str(o, g->pc[pc].area < 0 ? "Y" : "N");
        out_str(o, with);
    }
    static const char *const by[] = {"SELF", "POLICE", "FAMILY", "CARER"};
    out_str(o, back ? (in_care && synth_rng_chance(&c->r, 0.4) ? "CARER"
                                                               : by[synth_rng_below(&c->r, 3)])
                    : "");
    row_end(g, F_POL_MISSING, id, c->pid);
    if (back)
        emit_rhi(g, c, id, back, exploited);
}

/* A background missing episode: found at home, nearby or (11% of incidents,
 * missing_out_of_county_share) out of county. */
void background_missing(struct gen *g, struct child *c, svp_day d)
{
    svp_time from = at(d, (int)synth_rng_range(&c->r, 14 * 60, 23 * 60 + 59));
    double u = synth_rng_unit(&c->r);
    int hours = u < 0.6   ? (int)synth_rng_range(&c->r, 2, 12)
                : u < 0.9 ? (int)synth_rng_range(&c->r, 13, 48)
                          : (int)synth_rng_range(&c->r, 49, 120);
    svp_time back = from + (svp_time)hours * 3600 + (svp_time)synth_rng_range(&c->r, 0, 59) * 60;
    double f = synth_rng_unit(&c->r);
    int area = c->hh->area;
    struct where w = {"UNKNOWN", hh_pc(c->hh, d)};
    bool home = false;
    if (f < 0.12)
        w = at_place(g, (uint32_t)(g->nareas * PLACES_PER_AREA + synth_rng_below(&c->r, NTOWNS)));
    else if (f < 0.6)
        home = true;
    else if (f < 0.9)
        w = at_place(g, (uint32_t)(area * PLACES_PER_AREA + synth_rng_below(&c->r, 8)));
    else if (f < 0.97)
        w = at_place(g, (uint32_t)(synth_rng_below(&c->r, g->nareas) * PLACES_PER_AREA +
                                   synth_rng_below(&c->r, 8)));
    emit_missing(g, c, from, back, w, home, "", false);
}

void synth_occ_row(struct gen *g, const char *id, const char *ref, const char *nominal,
                   const char *pid, const char *role, const char *type, const char *cat,
                   svp_time t, const char *place, uint32_t pc, svp_time arrest,
                   const char *outcome)
{
    struct out_file *o = &g->files[F_POL_OCC];
    char seq[24];
    if (!id) {
        seq_id(seq, sizeof seq, o, "INV", 9);
        id = seq;
    }
    out_str(o, id);
    out_str(o, ref);
    out_str(o, nominal);
    out_str(o, role);
    out_str(o, type);
    out_str(o, cat);
    out_time_dmy(o, t);
    out_str(o, place);
    out_str(o, g->pc[pc].code);
    out_fmt(o, "%.5f", g->pc[pc].lat);
    out_fmt(o, "%.5f", g->pc[pc].lon);
    if (arrest)
        out_time_dmy(o, arrest);
    else
        out_str(o, "");
    out_str(o, outcome);
    row_end(g, F_POL_OCC, id, pid);
}

static void emit_occ_row(struct gen *g, const char *ref, const char *nominal, const char *pid,
                         const char *role, const char *type, const char *cat, svp_time t,
                         struct where w, svp_time arrest, const char *outcome)
{
    synth_occ_row(g, NULL, ref, nominal, pid, role, type, cat, t, w.name, w.pc, arrest, outcome);
}

static void emit_yjs(struct gen *g, struct child *c, svp_day start, const char *outcome_police,
                     const char *cat)
{
    if (start > g->end)
        return;
    struct out_file *o = &g->files[F_YJS];
    char id[24], name[140];
    seq_id(id, sizeof id, o, "YI", 7);
    make_view(g, c, AG_YJS);
    const struct view *v = &c->v[AG_YJS];
    const char *type =
        !strcmp(outcome_police, "COMMUNITY_RESOLUTION") ? "TRIAGE"
        : !strcmp(outcome_police, "CAUTION")
            ? (synth_rng_chance(&c->r, 0.5) ? "YOUTH_CAUTION" : "YOUTH_CONDITIONAL_CAUTION")
        : synth_rng_chance(&c->r, 0.6) ? "REFERRAL_ORDER"
        : synth_rng_chance(&c->r, 0.8) ? "YRO"
                                       : "DTO";
    svp_day end = svp_date_add_months(start, (int)synth_rng_range(&c->r, 3, 12));
    out_str(o, id);
    out_str(o, view_id(g, c, AG_YJS, start, F_YJS, id));
    snprintf(name, sizeof name, "%s, %s", v->sur, v->fore);
    out_str(o, name);
    out_dob(o, v, 1);
    out_str(o, sex_code(v, c->sex, AG_YJS));
    out_str(o, eth_code(v, c->eth, AG_YJS));
    out_str(o, rec_pc(g, c, v, start));
    out_str(o, type);
    out_date_dmy(o, start);
    if (end > g->end)
        out_str(o, "");
    else
        out_date_dmy(o, end);
    out_str(o, cat);
    out_str(o, end > g->end ? "ONGOING" : synth_rng_chance(&c->r, 0.85) ? "COMPLETED" : "BREACH");
    log_corr(g, F_YJS, id, v);
    row_end(g, F_YJS, id, c->pid);
}

/* A crime or incident involving c; co is an adult of concern's number (or UINT64_MAX) who
 * is a co-suspect (or the suspect when c is the victim). */
void emit_occurrence(struct gen *g, struct child *c, svp_time t, const char *role,
                            const char *cat, struct where w, uint64_t co, double p_yjs)
{
    emit_occurrence_with(g, c, t, role, cat, w, co, p_yjs, NULL, NULL);
}

void emit_occurrence_with(struct gen *g, struct child *c, svp_time t, const char *role,
                          const char *cat, struct where w, uint64_t co, double p_yjs,
                          struct child *also, const char *also_role)
{
    if (day_of(t) > g->end || day_of(t) < g->start)
        return;
    char ref[32];
    snprintf(ref, sizeof ref, "OCC/%02d/%07llu", year2(day_of(t)),
             (unsigned long long)++g->occ_seq);
    bool suspect = !strcmp(role, "SUSPECT");
    const char *type =
        (!strcmp(cat, "ANTISOCIAL") || !strcmp(role, "WITNESS")) && synth_rng_chance(&c->r, 0.6)
            ? "INCIDENT"
            : "CRIME";
    svp_time arrest = suspect && synth_rng_chance(&c->r, 0.45)
                          ? t + (svp_time)synth_rng_range(&c->r, 0, 72 * 60) * 60
                          : 0;
    const char *outcome = "";
    if (suspect) {
        static const char *const outs[] = {"CHARGED", "CAUTION", "COMMUNITY_RESOLUTION", "NFA",
                                           "UNDER_INVESTIGATION"};
        static const double outs_cum[] = {25, 40, 62, 88, 100};
        outcome = outs[synth_pick_cumulative(outs_cum, 5, synth_rng_unit(&c->r))];
    }
    char pref[32];
    snprintf(pref, sizeof pref, "INV%09llu", (unsigned long long)g->files[F_POL_OCC].seq + 1);
    const char *nom = view_id(g, c, AG_POLICE, day_of(t), F_POL_OCC, pref);
    emit_occ_row(g, ref, nom, c->pid, role, type, cat, t, w, arrest, outcome);
    if (co != UINT64_MAX) {
        char nid[24], apid[16];
        police_id(g, nid, sizeof nid, 2 * g->n + co);
        adult_pid(apid, sizeof apid, co);
        emit_occ_row(g, ref, nid, apid, "SUSPECT", type, cat, t, w,
                     synth_rng_chance(&c->r, 0.5) ? t + 3600 : 0, "UNDER_INVESTIGATION");
    }
    if (also) {
        snprintf(pref, sizeof pref, "INV%09llu", (unsigned long long)g->files[F_POL_OCC].seq + 1);
        const char *snom = view_id(g, also, AG_POLICE, day_of(t), F_POL_OCC, pref);
        emit_occ_row(g, ref, snom, also->pid, also_role, type, cat, t, w, 0, "");
    }
    if (suspect && strcmp(outcome, "NFA") && strcmp(outcome, "UNDER_INVESTIGATION") &&
        synth_rng_chance(&c->r, p_yjs))
        emit_yjs(g, c, day_of(t) + (svp_day)synth_rng_range(&c->r, 14, 60), outcome, cat);
}
