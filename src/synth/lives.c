/* Background lives: the ordinary events of children who are not exploited. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int age_years(svp_day dob, svp_day d)
{
    return (int)((d - dob) / 365.25);
}

void gen_background(struct gen *g, struct child *c)
{
    struct synth_rng *r = &c->r;
    int nyears = (g->o->months + 11) / 12;
    for (int y = 0; y < nyears; y++) {
        svp_day ys = svp_date_add_months(g->start, 12 * y);
        svp_day ye = svp_date_add_months(g->start, 12 * (y + 1)) - 1;
        if (ye > g->end)
            ye = g->end;
        double frac = (ye - ys + 1) / 365.25;
        int age = age_years(c->dob, ys);
        /* Missing: 1,360 episodes by 513 children a year, 54% of episodes by the 131
         * children in care who go missing (county-profile missing profile). */
        bool in_care = c->lac && c->lac_start <= ye && c->lac_end >= ys;
        /* (a care-missing decoy's episodes are its own: decoys.c) */
        if (in_care && age >= 8 && synth_rng_chance(r, 0.34 * frac) && !(c->decoy & DC_CARE)) {
            int n = synth_rng_chance(r, 0.09) ? 12 + synth_rng_poisson(r, 4)
                                              : 1 + synth_rng_poisson(r, 1.6);
            svp_day lo = c->lac_start > ys ? c->lac_start : ys;
            svp_day hi = c->lac_end < ye ? c->lac_end : ye;
            for (int k = 0; k < n; k++)
                background_missing(g, c, rand_day(r, lo, hi));
        } else if (!in_care && c->ex == EX_NONE && age >= 10 &&
                   synth_rng_chance(r, 0.0075 * frac)) {
            int n = 1 + synth_rng_poisson(r, 0.45);
            for (int k = 0; k < n; k++)
                background_missing(g, c, rand_day(r, ys, ye));
        }
        /* Police: victims, suspects and witnesses among older children; some incidents at
         * the two incident hotspots. */
        if (age >= 10) {
            static const char *const vcat[] = {"ASSAULT", "THEFT", "ROBBERY", "SEXUAL_OFFENCE"};
            static const char *const scat[] = {"THEFT", "CRIMINAL_DAMAGE", "ASSAULT", "ANTISOCIAL",
                                               "DRUG_POSSESSION"};
            const char *role = NULL, *cat = NULL;
            double u = synth_rng_unit(r) / frac;
            if (u < 0.015) {
                role = "VICTIM";
                cat = vcat[synth_rng_below(r, 4)];
            } else if (u < 0.025) {
                role = "SUSPECT";
                cat = scat[synth_rng_below(r, 5)];
            } else if (u < 0.032) {
                role = "WITNESS";
                cat = scat[synth_rng_below(r, 4)];
            }
            if (role) {
                svp_day d = rand_day(r, ys, ye);
                struct where w;
                char addr[128];
                double p = synth_rng_unit(r);
                if (p < 0.25) {
                    w = at_place(g, g->incident_hotspot[synth_rng_below(r, 2)]);
                } else if (p < 0.7) {
                    w = at_place(g,
                                 (uint32_t)(c->hh->area * PLACES_PER_AREA + synth_rng_below(r, 8)));
                } else {
                    int a, s, no;
                    hh_addr(c->hh, d, &a, &s, &no);
                    addr_text(g, addr, sizeof addr, a, s, no);
                    w = (struct where){addr, addr_pc(a, s, no)};
                }
                emit_occurrence(g, c, at(d, (int)synth_rng_range(r, 480, 1439)), role, cat, w,
                                UINT64_MAX, 0.72);
            }
        }
        /* Emergency department and sexual health. */
        int ned = synth_rng_poisson(r, 0.2 * frac);
        for (int k = 0; k < ned; k++) {
            static const char *const why[] = {"ILLNESS",   "INJURY_ACCIDENT", "MENTAL_HEALTH",
                                              "SELF_HARM", "ALCOHOL",         "INJURY_ASSAULT"};
            static const double cum_young[] = {55, 100, 100, 100, 100, 100};
            static const double cum_teen[] = {40, 78, 85, 92, 96, 100};
            int i =
                (int)synth_pick_cumulative(age >= 12 ? cum_teen : cum_young, 6, synth_rng_unit(r));
            emit_ed(g, c, at(rand_day(r, ys, ye), (int)synth_rng_range(r, 0, 1439)), why[i],
                    age < 16 ? "PARENT" : "ALONE");
        }
        if (age >= 14 && synth_rng_chance(r, (c->sex == 'F' ? 0.05 : 0.01) * frac))
            emit_sh(g, c, rand_day(r, ys, ye), synth_rng_chance(r, 0.02));
    }
    /* Contacts to the front door: 14,016 a year (contacts_to_social_care), 27.9% becoming
     * referrals (referrals_to_mash 3,912), concentrated in a minority of families. Domestic
     * abuse and exploitation contacts come on top, so the base is a little lower. */
    static const double tier_mult[] = {0.35 / 0.8975, 3.0 / 0.8975, 8.0 / 0.8975};
    double lambda = (P_CONTACTS - 1900.0) / PROFILE_CHILDREN * tier_mult[c->tier] * g->years;
    int nc = synth_rng_poisson(r, lambda);
    for (int k = 0; k < nc; k++)
        emit_contact(g, c, at(rand_day(r, g->start, g->end), (int)synth_rng_range(r, 420, 1260)),
                     -1, -1, 0.30, NULL);
}
