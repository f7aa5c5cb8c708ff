/* The synthetic county's domestic abuse: one household's story as a plan of incidents, which
 * synth.c writes as police DA rows, MARAC list rows and truth. Rates follow the 2016-17
 * annual report's shape (3,312 incidents, 566 MARAC cases, 805 children in their
 * households, non-police referrals above the national average): see the README's
 * calibration table. */
#include "synth_int.h"

#include <stdlib.h>
#include <string.h>

const char *const synth_da_agencies[SYNTH_DA_NAGENCIES] = {
    "police", "idva", "csc", "health", "housing", "asc", "probation"};
/* Shares of non-police referrals (cumulative over [1..6]). */
static const double agency_cum[SYNTH_DA_NAGENCIES - 1] = {40, 62, 80, 90, 95, 100};

#define DAY 86400

static svp_day rand_day(struct synth_rng *r, svp_day a, svp_day b)
{
    return b <= a ? a : a + (svp_day)synth_rng_below(r, (uint64_t)(b - a + 1));
}

/* DASH yes answers for the officer's level: standard and medium stay below the visible high
 * risk threshold; most high risk incidents are visible (14+), the rest judged. */
static int yes_for(struct synth_rng *r, int level)
{
    if (level == 2)
        return synth_rng_chance(r, 0.75) ? 14 + (int)synth_rng_below(r, 9)
                                         : 6 + (int)synth_rng_below(r, 8);
    double p = level == 1 ? 0.33 : 0.11;
    int y = 0;
    for (int i = 0; i < 27; i++)
        y += synth_rng_chance(r, p);
    return y > 13 ? 13 : y;
}

static int level_draw(struct synth_rng *r)
{
    double u = synth_rng_unit(r);
    return u < 0.6 ? 0 : u < 0.885 ? 1 : 2;
}

static void add(struct synth_da_plan *p, svp_time at, enum synth_da_who v, enum synth_da_who who,
                int level, int yes, bool kids)
{
    if (p->n >= SYNTH_DA_MAX)
        return;
    struct synth_da_incident *x = &p->v[p->n++];
    memset(x, 0, sizeof *x);
    x->at = at;
    x->victim = v;
    x->perp = who;
    x->level = level;
    x->yes = yes;
    x->kids = kids;
    x->agency = -1;
}

static int cmp_at(const void *a, const void *b)
{
    const struct synth_da_incident *x = a, *y = b;
    return (x->at > y->at) - (x->at < y->at);
}

void synth_da_plan(struct synth_rng *r, svp_day start, svp_day end, double rate,
                   struct synth_da_plan *p)
{
    memset(p, 0, sizeof *p);
    double years = (double)(end - start + 1) / 365.25;
    p->serial = synth_rng_chance(r, 0.10);
    p->two_perps = synth_rng_chance(r, 0.07);
    p->escalating = synth_rng_chance(r, 0.08);
    /* the victim and perpetrator at the children's home; with a second perpetrator the
     * couple separates on `split` and the new partner's abuse follows */
    svp_day split = p->two_perps ? rand_day(r, start + 60, end - 30) : end + 1;
    int n = 1 + synth_rng_poisson(r, rate * years - 1 > 0 ? rate * years - 1 : 0);
    for (int k = 0; k < n; k++) {
        svp_day d = rand_day(r, start, split - 1 > start ? split - 1 : start);
        int level = level_draw(r);
        add(p, (svp_time)d * DAY + (svp_time)synth_rng_range(r, 0, 1439) * 60, DA_VICTIM,
            DA_PERP, level, yes_for(r, level), true);
    }
    if (p->two_perps) {
        int m = 1 + synth_rng_poisson(r, 0.8);
        for (int k = 0; k < m; k++) {
            svp_day d = rand_day(r, split, end);
            int level = level_draw(r);
            add(p, (svp_time)d * DAY + (svp_time)synth_rng_range(r, 0, 1439) * 60, DA_VICTIM,
                DA_NEW, level, yes_for(r, level), true);
        }
    }
    if (p->serial) { /* the perpetrator's ex-partner, no children at her home */
        int m = 1 + synth_rng_poisson(r, 0.6 * years);
        for (int k = 0; k < m; k++) {
            svp_day d = rand_day(r, start, end);
            int level = level_draw(r);
            add(p, (svp_time)d * DAY + (svp_time)synth_rng_range(r, 0, 1439) * 60, DA_EX,
                DA_PERP, level, yes_for(r, level), false);
        }
    }
    if (p->escalating) { /* four incidents in under a year: gaps shrink, answers rise */
        svp_day d = rand_day(r, start, end - 200 > start ? end - 200 : start);
        int y = 3 + (int)synth_rng_below(r, 4);
        static const int gaps[] = {0, 90, 50, 25};
        for (int k = 0; k < 4 && d <= end; k++) {
            d += gaps[k];
            if (d > end)
                break;
            y += k ? 3 + (int)synth_rng_below(r, 2) : 0;
            int level = y >= 14 ? 2 : y >= 8 ? 1 : 0;
            add(p, (svp_time)d * DAY + (svp_time)synth_rng_range(r, 0, 1439) * 60, DA_VICTIM,
                d >= split ? DA_NEW : DA_PERP, level, y, true);
        }
    }
    qsort(p->v, (size_t)p->n, sizeof p->v[0], cmp_at);
    /* Referrals. The police refer most high risk incidents and, by the repeat rule, an
     * incident between the same pair within 12 months of their last referral; other
     * agencies (the IDVA service first) refer some medium risk victims. */
    for (int i = 0; i < p->n; i++) {
        struct synth_da_incident *x = &p->v[i];
        svp_day d = (svp_day)(x->at / DAY);
        svp_day last_pair = INT32_MIN, last_victim = INT32_MIN;
        for (int j = 0; j < i; j++) {
            const struct synth_da_incident *y = &p->v[j];
            if (y->victim == x->victim && y->agency >= 0)
                last_victim = y->heard;
            if (y->victim == x->victim && y->perp == x->perp && y->referred)
                last_pair = (svp_day)(y->at / DAY);
        }
        bool repeat_due = last_pair != INT32_MIN && d <= svp_date_add_months(last_pair, 12);
        if ((x->level == 2 && synth_rng_chance(r, 0.68)) ||
            (repeat_due && synth_rng_chance(r, 0.12))) {
            x->referred = true;
            x->agency = 0;
        } else if (x->level >= 1 && x->kids && synth_rng_chance(r, 0.23) &&
                   (last_victim == INT32_MIN || d > last_victim + 60)) {
            x->agency = 1 + (int)synth_pick_cumulative(agency_cum, SYNTH_DA_NAGENCIES - 1,
                                                       synth_rng_unit(r) * 100.0);
        }
        if (x->agency >= 0) {
            x->heard = d + 7 + (svp_day)synth_rng_below(r, 14);
            x->repeat = last_victim != INT32_MIN &&
                        x->heard <= svp_date_add_months(last_victim, 12);
        }
    }
}
