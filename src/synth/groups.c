/* Planted harm: the exploitation groups, their adults, meeting places and routes. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

svp_day member_harm(const struct gen *g, uint32_t gi, uint32_t slot)
{
    const struct group *gr = &g->groups[gi];
    svp_day h = svp_date_add_months(gr->start, (int)(synth_hash(g->o->seed ^ gi, slot) % 3));
    return h > g->end - 60 ? g->end - 60 : h;
}

/* Whether member slot joins the group's e-th outing: more often the longer the harm has
 * gone on, so missing episodes rise after harm begins. Every member computes the same
 * answer for every other member, so "found with" lists agree across children. */
bool joins(const struct gen *g, uint32_t gi, int e, uint32_t slot)
{
    svp_day d = g->groups[gi].ev[e], h = member_harm(g, gi, slot);
    if (d < h)
        return false;
    double p = fmin(0.4, 0.1 + 0.03 * ((d - h) / 30));
    return synth_hash_unit(g->o->seed ^ ((uint64_t)gi * 1000003u + (uint64_t)e), slot + 77) < p;
}

bool adult_joins(const struct gen *g, uint32_t gi, int e, int a)
{
    return synth_hash_unit(g->o->seed ^ ((uint64_t)gi * 1000003u + (uint64_t)e), 500u + a) < 0.5;
}

static int plan_cmp(const void *a, const void *b)
{
    const struct plan_entry *x = a, *y = b;
    return x->child < y->child ? -1 : x->child > y->child;
}

int plan_groups(struct gen *g)
{
    /* About 16 groups and 80 exploited children per 104,000 children (the county had 39
     * children open to its CSE team at one time: county-profile cse_open_to_specialist_team). */
    size_t ng = (size_t)llround((double)g->n * 16.0 / PROFILE_CHILDREN);
    if (ng < 1 && g->n >= 50)
        ng = 1;
    g->ngroups = ng;
    if (!ng)
        return SVP_OK;
    g->groups = svp_calloc(ng, sizeof *g->groups);
    g->plan = svp_calloc(ng * MAX_MEMBERS, sizeof *g->plan);
    if (!g->groups || !g->plan)
        return svp_err_set(g->err, SVP_ENOMEM, "out of memory planning groups");
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x6E0ULL);
    uint32_t adult_no = 0;
    for (size_t gi = 0; gi < ng; gi++) {
        struct group *gr = &g->groups[gi];
        double u = synth_rng_unit(&r);
        gr->type = u < 0.4 ? EX_CSE : u < 0.7 ? EX_CCE : EX_CL;
        gr->area = (int)synth_rng_below(&r, g->nareas);
        static const int hot_kinds[] = {0, 2, 3, 4, 6, 7}; /* park, shops, food, car park... */
        gr->hotspot = (uint32_t)(gr->area * PLACES_PER_AREA + hot_kinds[synth_rng_below(&r, 6)]);
        gr->route = gr->type == EX_CL
                        ? (uint32_t)(g->nareas * PLACES_PER_AREA + synth_rng_below(&r, NTOWNS))
                        : UINT32_MAX;
        int span = g->o->months * 6 / 10;
        gr->start =
            svp_date_add_months(g->start, (int)synth_rng_range(&r, -2, span > 0 ? span : 0));
        gr->nmem = (int)synth_rng_range(&r, 3, 7);
        if ((uint64_t)gr->nmem > g->n)
            gr->nmem = (int)g->n;
        gr->nadult = (int)synth_rng_range(&r, 1, MAX_ADULTS);
        for (int a = 0; a < gr->nadult; a++)
            gr->adult[a] = adult_no++;
        /* Outings: every two weeks or so from the group's start to the window's end. */
        svp_day d = gr->start;
        while (gr->nev < MAX_EVENTS) {
            d += 1 + (svp_day)synth_rng_exp(&r, 16.0);
            if (d > g->end)
                break;
            gr->ev[gr->nev++] = d;
        }
        for (int m = 0; m < gr->nmem; m++) {
            uint64_t c;
            bool taken;
            do { /* distinct children, not already in another group */
                c = synth_rng_below(&r, g->n);
                taken = false;
                for (size_t k = 0; k < g->nplan; k++)
                    taken |= g->plan[k].child == c;
            } while (taken);
            gr->mem[m] = c;
            g->plan[g->nplan++] = (struct plan_entry){c, (uint32_t)gi, (uint32_t)m};
        }
    }
    g->nadults_concern = adult_no;
    qsort(g->plan, g->nplan, sizeof *g->plan, plan_cmp);
    /* Truth about groups, hotspots and adults now; the adults' police records too. */
    static const char *const roles[] = {"ORGANISER", "RECRUITER", "ASSOCIATE"};
    for (size_t gi = 0; gi < ng; gi++) {
        struct group *gr = &g->groups[gi];
        const struct place *hp = &g->pl[gr->hotspot];
        fprintf(g->t_groups, "G%04zu,%s,%s,%s,%s\n", gi + 1, ex_names[gr->type],
                area_code(g, gr->area), hp->id, gr->route == UINT32_MAX ? "" : g->pl[gr->route].id);
        /* Two groups may share a meeting place or a route: each hotspot is listed once. */
        bool seen_hot = false, seen_route = false;
        for (size_t gj = 0; gj < gi; gj++) {
            seen_hot |= g->groups[gj].hotspot == gr->hotspot;
            seen_route |= g->groups[gj].route == gr->route;
        }
        if (!seen_hot)
            fprintf(g->t_hotspots, "%s,\"%s\",%s,%s,%.5f,%.5f,GROUP\n", hp->id, hp->name,
                    area_code(g, hp->area), g->pc[hp->pc].code, g->pc[hp->pc].lat,
                    g->pc[hp->pc].lon);
        if (gr->route != UINT32_MAX && !seen_route) {
            const struct place *rp = &g->pl[gr->route];
            fprintf(g->t_hotspots, "%s,\"%s\",%s,%s,%.5f,%.5f,ROUTE\n", rp->id, rp->name, "OUT",
                    g->pc[rp->pc].code, g->pc[rp->pc].lat, g->pc[rp->pc].lon);
        }
        for (int m = 0; m < gr->nmem; m++)
            fprintf(g->t_members, "G%04zu,C%08llu,CHILD\n", gi + 1,
                    (unsigned long long)(gr->mem[m] + 1));
        for (int a = 0; a < gr->nadult; a++) {
            char pid[16];
            adult_pid(pid, sizeof pid, gr->adult[a]);
            fprintf(g->t_members, "G%04zu,%s,ADULT\n", gi + 1, pid);
            fprintf(g->t_adults, "%s,G%04zu,%s\n", pid, gi + 1, roles[a]);
            struct synth_rng ar;
            synth_rng_seed(&ar, g->o->seed, 0xAD000000ULL + gr->adult[a]);
            char sex = synth_rng_chance(&ar, 0.85) ? 'M' : 'F';
            svp_day dob = g->start - (svp_day)synth_rng_range(&ar, 19 * 365, 38 * 365);
            write_adult_nominal(g, gr->adult[a], &ar, sex, synth_names_surname(g->names, &ar), dob,
                                gr->area);
        }
    }
    for (int k = 0; k < 2; k++) {
        const struct place *hp = &g->pl[g->incident_hotspot[k]];
        fprintf(g->t_hotspots, "%s,\"%s\",%s,%s,%.5f,%.5f,INCIDENT\n", hp->id, hp->name,
                area_code(g, hp->area), g->pc[hp->pc].code, g->pc[hp->pc].lat, g->pc[hp->pc].lon);
    }
    return g->rc;
}
