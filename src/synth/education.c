/* Education: attendance by term, exclusions, children missing education. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct term {
    svp_day start, end;
    int year; /* academic year's first calendar year */
    const char *name;
    int sessions;
};

/* Age on 31 August before the academic year that starts in calendar year y. */
static int age_at_aug31(svp_day dob, int y)
{
    int by, bm, bd;
    svp_date_to_ymd(dob, &by, &bm, &bd);
    int age = y - by;
    if (bm > 8)
        age--;
    return age;
}

static int school_for(int area, int age)
{
    /* Two primaries (places 8 and 9) and one secondary (10) per area. */
    return area * PLACES_PER_AREA + (age <= 10 ? 8 + (area + age) % 2 : 10);
}

static void edu_event(struct gen *g, struct child *c, const char *type, svp_day s, svp_day e,
                      int days, const char *reason, const char *urn)
{
    struct out_file *o = &g->files[F_EDU_EV];
    char id[24];
    seq_id(id, sizeof id, o, "EV", 9);
    make_view(g, c, AG_EDU);
    const struct view *v = &c->v[AG_EDU];
    out_str(o, id);
    out_str(o, view_id(g, c, AG_EDU, s, F_EDU_EV, id));
    out_str(o, v->sur);
    out_str(o, v->fore);
    out_dob(o, v, 1);
    out_str(o, type);
    out_date_dmy(o, s);
    if (e)
        out_date_dmy(o, e);
    else
        out_str(o, "");
    if (days)
        out_fmt(o, "%d", days);
    else
        out_str(o, "");
    out_str(o, reason);
    out_str(o, urn);
    log_corr(g, F_EDU_EV, id, v);
    row_end(g, F_EDU_EV, id, c->pid);
}

void gen_education(struct gen *g, struct child *c)
{
    int sy, sm, sd;
    svp_date_to_ymd(g->start, &sy, &sm, &sd);
    /* A pupil's own propensity to be absent: persistent absence (below 90%) in about
     * 10.3% of pupil-terms (county-profile persistent_absence). */
    double base = 0.015 + synth_rng_exp(&c->r, 0.036);
    if (c->decoy & DC_ABSENCE)
        base = 0.12 + synth_rng_unit(&c->r) * 0.12;
    int ev_budget = 0;
    svp_day cme_from = INT32_MAX, ehe_from = INT32_MAX;
    if (synth_rng_chance(&c->r, 0.003))
        cme_from = rand_day(&c->r, g->start, g->end);
    else if (synth_rng_chance(&c->r, 0.006))
        ehe_from = rand_day(&c->r, g->start, g->end);
    bool excluded = false;
    for (int y = sy - 1; y <= sy + g->o->months / 12 + 1; y++) {
        int age = age_at_aug31(c->dob, y);
        if (age < 4 || age > 15)
            continue;
        struct term terms[3];
        svp_day a, b;
        if (svp_date_from_ymd(y, 9, 1, &a) || svp_date_from_ymd(y, 12, 20, &b))
            continue;
        terms[0] = (struct term){a, b, y, "AUT", 144};
        if (svp_date_from_ymd(y + 1, 1, 4, &a) || svp_date_from_ymd(y + 1, 3, 31, &b))
            continue;
        terms[1] = (struct term){a, b, y, "SPR", 118};
        if (svp_date_from_ymd(y + 1, 4, 15, &a) || svp_date_from_ymd(y + 1, 7, 20, &b))
            continue;
        terms[2] = (struct term){a, b, y, "SUM", 130};
        for (int t = 0; t < 3; t++) {
            const struct term *tm = &terms[t];
            if (tm->end < g->start || tm->start > g->end || tm->start >= cme_from ||
                tm->start >= ehe_from)
                continue;
            int area, st, no;
            hh_addr(c->hh, tm->start, &area, &st, &no);
            int school = school_for(area, age);
            if (excluded && age > 10)
                school = ((area + 1) % g->nareas) * PLACES_PER_AREA + 10;
            double absent = base;
            bool harmed = c->ex != EX_NONE && tm->start >= c->harm;
            if (harmed && c->school_only) /* only the attendance shows it */
                absent += 0.2 + 0.06 * ((tm->start - c->harm) / 120);
            else if (harmed)
                absent += 0.12 + 0.05 * ((tm->start - c->harm) / 120);
            absent += (synth_rng_unit(&c->r) - 0.5) * 0.02;
            if (absent < 0)
                absent = 0;
            if (absent > 0.9)
                absent = 0.9;
            int possible = tm->sessions - (int)synth_rng_below(&c->r, 5);
            int missed = (int)lround(absent * possible);
            double unauth_share = harmed ? 0.75 : 0.3;
            int unauth = (int)lround(missed * unauth_share);
            struct out_file *o = &g->files[F_EDU_ATT];
            char id[24], ay[12];
            seq_id(id, sizeof id, o, "AT", 9);
            make_view(g, c, AG_EDU);
            const struct view *v = &c->v[AG_EDU];
            out_str(o, id);
            out_str(o, view_id(g, c, AG_EDU, tm->start, F_EDU_ATT, id));
            out_str(o, v->sur);
            out_str(o, v->fore);
            out_dob(o, v, 1);
            out_str(o, sex_code(v, c->sex, AG_EDU));
            out_str(o, eth_code(v, c->eth, AG_EDU));
            out_str(o, rec_pc(g, c, v, tm->start));
            out_str(o, g->pl[school].urn);
            out_str(o, g->pl[school].name);
            snprintf(ay, sizeof ay, "%d/%02d", tm->year, (tm->year + 1) % 100);
            out_str(o, ay);
            out_str(o, tm->name);
            out_fmt(o, "%d", possible);
            out_fmt(o, "%d", possible - missed);
            out_fmt(o, "%d", missed - unauth);
            out_fmt(o, "%d", unauth);
            char phone[32];
            contact_phone_school(g, c, tm->start, o->seq, phone, sizeof phone);
            out_str(o, phone);
            log_corr(g, F_EDU_ATT, id, v);
            row_end(g, F_EDU_ATT, id, c->pid);
            /* Suspensions: background in secondary school, more once harm has begun. */
            double p_susp = age >= 11 ? 0.012 : 0.002;
            if (harmed && !c->school_only)
                p_susp = 0.45;
            if ((c->decoy & DC_SUSPENSION) && ev_budget == 0)
                p_susp = 1;
            if (synth_rng_chance(&c->r, p_susp) && ev_budget < 4) {
                ev_budget++;
                svp_day s = rand_day(&c->r, tm->start, tm->end - 10);
                int days = (int)synth_rng_range(&c->r, 1, 5);
                static const char *const reasons[] = {"PERSISTENT_DISRUPTION",
                                                      "PHYSICAL_ASSAULT_PUPIL",
                                                      "VERBAL_ABUSE",
                                                      "PHYSICAL_ASSAULT_ADULT",
                                                      "DAMAGE",
                                                      "OTHER",
                                                      "DRUGS_ALCOHOL",
                                                      "WEAPON"};
                const char *why = harmed ? reasons[5 + synth_rng_below(&c->r, 3)]
                                         : reasons[synth_rng_below(&c->r, 6)];
                if (harmed && c->ex != EX_CSE && !excluded && synth_rng_chance(&c->r, 0.12)) {
                    edu_event(g, c, "PERMANENT_EXCLUSION", s, 0, 0, why, g->pl[school].urn);
                    excluded = true;
                } else if (s <= g->end && s >= g->start) {
                    edu_event(g, c, "SUSPENSION", s, wd_add(g, s, days - 1), days, why,
                              g->pl[school].urn);
                }
            }
        }
    }
    if (cme_from != INT32_MAX) {
        int age = age_at_aug31(c->dob, sy);
        if (age >= 4 && age <= 15)
            edu_event(g, c, "CME", cme_from,
                      synth_rng_chance(&c->r, 0.6) && cme_from + 60 <= g->end ? cme_from + 60 : 0,
                      0, synth_rng_chance(&c->r, 0.5) ? "NOT_ON_ROLL" : "LEFT_NO_DESTINATION", "");
    }
    if (ehe_from != INT32_MAX) {
        int age = age_at_aug31(c->dob, sy);
        static const char *const why[] = {"PARENT_CHOICE", "SCHOOL_DISPUTE", "HEALTH"};
        if (age >= 4 && age <= 15)
            edu_event(g, c, "EHE", ehe_from, 0, 0, why[synth_rng_below(&c->r, 3)], "");
    }
}
