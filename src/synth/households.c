/* Households: each household's address, children and their lives. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Names that some families spell with an accent (truth) and agencies often key without. */
static const struct {
    const char *plain, *accented;
} accented_names[] = {
    {"Zoe", "Zoë"},     {"Chloe", "Chloé"}, {"Renee", "Renée"},   {"Jose", "José"},
    {"Andre", "André"}, {"Noel", "Noël"},   {"Anais", "Anaïs"},   {"Ines", "Inés"},
    {"Leon", "Léon"},   {"Sofia", "Sofía"}, {"Elodie", "Élodie"}, {"Ramon", "Ramón"},
};

/* Children's social care records the household of each child it knows (the family and
 * household composition of an assessment): the child's brothers and sisters, by the
 * case system's person id when it holds them, else by an id of its own for a related
 * person, with the name and date of birth the family gives (csc_household.csv). A random
 * stream of the household's own, after every other row of it. */
static void csc_household(struct gen *g, const struct household *h, struct child *kids, int nk)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x5EB0000000ULL + h->no);
    struct out_file *o = &g->files[F_CSC_HH];
    for (int j = 0; j < nk; j++) {
        const struct child *c = &kids[j];
        if (!c->known[AG_CSC] || !c->rows || !synth_rng_chance(&r, 0.9))
            continue;
        svp_day when = rand_day(&r, g->start, g->end);
        for (int k = 0; k < nk; k++) {
            const struct child *s = &kids[k];
            if (k == j || !s->rows)
                continue;
            char id[24], mid[24], dob[12];
            snprintf(id, sizeof id, "HH%09llu", (unsigned long long)++o->seq);
            const struct view *v = s->known[AG_CSC] ? &s->v[AG_CSC] : NULL;
            if (v)
                svp_strlcpy(mid, v->id, sizeof mid);
            else
                snprintf(mid, sizeof mid, "RP%08llu", (unsigned long long)(s->idx + 1));
            out_str(o, id);
            out_str(o, c->v[AG_CSC].id);
            out_str(o, mid);
            out_str(o, v ? v->fore : s->fore);
            out_str(o, v ? v->sur : h->surname);
            if (v)
                out_dob(o, v, 0);
            else if (synth_rng_chance(&r, 0.05))
                out_str(o, "");
            else {
                svp_date_format(s->dob, dob, sizeof dob);
                out_str(o, dob);
            }
            out_str(o, s->sex == 'M' ? "M" : "F");
            out_str(o, synth_rng_chance(&r, 0.1) ? "Half-sibling" : "Sibling");
            out_date_iso(o, when);
            row_end(g, F_CSC_HH, id, s->pid);
        }
    }
}

void gen_household(struct gen *g, struct hh_state *st, uint64_t hno, uint64_t first, int nk)
{
    struct household *h = &st->h;
    memset(h, 0, sizeof *h);
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x4000000000ULL + hno);
    const struct synth_noise *nz = &g->o->noise;
    h->no = hno;
    h->first = first;
    h->nkids = nk;
    h->area = (int)synth_rng_below(&r, g->nareas);
    while (g->plan_pos < g->nplan && g->plan[g->plan_pos].child < first)
        g->plan_pos++;
    size_t pp = g->plan_pos;
    bool planned = pp < g->nplan && g->plan[pp].child < first + (uint64_t)nk;
    if (planned) /* exploited children live near their group's meeting place */
        h->area = g->groups[g->plan[pp].group].area;
    h->street = (int)synth_rng_below(&r, 30);
    h->number = (int)synth_rng_range(&r, 1, 180);
    h->move = INT32_MAX;
    h->area2 = h->area;
    h->street2 = h->street;
    h->number2 = h->number;
    if (synth_rng_chance(&r, nz->move)) {
        h->move = rand_day(&r, g->start + 30, g->end);
        if (!planned && synth_rng_chance(&r, 0.5))
            h->area2 = (int)synth_rng_below(&r, g->nareas);
        h->street2 = (h->street + 1 + (int)synth_rng_below(&r, 28)) % 30;
        h->number2 = (int)synth_rng_range(&r, 1, 180);
    }
    const char *s1 = synth_names_surname(g->names, &r);
    h->hyphen = synth_rng_chance(&r, nz->hyphenated);
    if (h->hyphen)
        snprintf(h->surname, sizeof h->surname, "%s-%s", s1, synth_names_surname(g->names, &r));
    else
        svp_strlcpy(h->surname, s1, sizeof h->surname);
    bool twins = nk >= 2 && synth_rng_chance(&r, nz->twins);
    int eth = (int)synth_pick_cumulative(g->eth_cum, NETH, synth_rng_unit(&r));
    for (int j = 0; j < nk; j++) {
        struct child *c = &st->kids[j];
        memset(c, 0, sizeof *c);
        c->idx = first + (uint64_t)j;
        synth_rng_seed(&c->r, g->o->seed, c->idx);
        snprintf(c->pid, sizeof c->pid, "C%08llu", (unsigned long long)(c->idx + 1));
        c->hh = h;
        c->ex = EX_NONE;
        c->last_referral = INT32_MIN;
        c->eth = eth;
        c->sex = synth_rng_chance(&c->r, 0.512) ? 'M' : 'F';
        for (int tries = 0; tries < 4; tries++) { /* siblings get different names */
            svp_strlcpy(c->fore, synth_names_given(g->names, c->sex, &c->r), sizeof c->fore);
            bool same = false;
            for (int k = 0; k < j; k++)
                same |= !strcmp(st->kids[k].fore, c->fore);
            if (!same)
                break;
        }
        for (size_t a = 0; a < sizeof accented_names / sizeof accented_names[0]; a++)
            if (!strcmp(c->fore, accented_names[a].plain) && synth_rng_chance(&c->r, 0.35))
                svp_strlcpy(c->fore, accented_names[a].accented, sizeof c->fore);
        double u = synth_rng_unit(&c->r);
        c->tier = u < 0.85 ? 0 : u < 0.97 ? 1 : 2;
        c->dob = g->start - 1 - (svp_day)synth_rng_below(&c->r, (uint64_t)(18 * 365.25));
        if (twins && j == 1 && c->idx != (pp < g->nplan ? g->plan[pp].child : UINT64_MAX))
            c->dob = st->kids[0].dob;
        if (pp < g->nplan && g->plan[pp].child == c->idx) {
            const struct plan_entry *pe = &g->plan[pp++];
            c->group = pe->group;
            c->slot = pe->slot;
            c->ex = g->groups[pe->group].type;
            c->harm = member_harm(g, pe->group, pe->slot);
            /* Exploited children are 12 to 16 when harm begins. */
            c->dob = c->harm - (svp_day)synth_rng_range(&c->r, 12 * 365, 16 * 365 + 300);
            c->tier = 2;
        } else {
            int age = age_years(c->dob, g->start);
            /* Decoys: about as many as the exploited, with one or two of the same signs. */
            if (age >= 11 && age <= 15 && synth_rng_chance(&c->r, g->o->noise.decoy)) {
                unsigned a = 1u << synth_rng_below(&c->r, 5);
                if (synth_rng_chance(&c->r, 0.4))
                    a |= 1u << synth_rng_below(&c->r, 5);
                c->decoy = a;
            }
        }
    }
    gen_domestic_abuse(g, h, st->kids, &r);
    gen_da_ex_household(g, h, st->kids, nk);
    for (int j = 0; j < nk; j++)
        plan_lac(g, &st->kids[j]);
    choose_traps(g, h, st->kids, nk);
    /* the children of a household with domestic abuse, 10 to 17 by the end, not exploited:
     * their signs are the incidents and the adults (truth only: nothing more is written);
     * at a serial perpetrator's ex-partner's home, a trap of its own kind (domestic abuse
     * co-involvement across households) */
    for (int j = 0; (h->da || h->da_ex) && j < nk; j++) {
        struct child *c = &st->kids[j];
        int age = age_years(c->dob, g->end);
        if (c->ex == EX_NONE && age >= 10 && age <= 17)
            c->decoy |= h->da_ex ? DC_DA_ACROSS : DC_DA;
    }
    /* an exploited child whose brother or sister is drawn in comes first, so that the
     * sibling's register rows know of the occurrences they share */
    int order[6], no = 0;
    for (int j = 0; j < nk; j++)
        if (st->kids[j].sib)
            order[no++] = j;
    for (int j = 0; j < nk; j++)
        if (!st->kids[j].sib)
            order[no++] = j;
    for (int oj = 0; oj < nk; oj++) {
        int j = order[oj];
        struct child *c = &st->kids[j];
        uint64_t rows0 = g->stats.rows;
        if (c->ex != EX_NONE && !c->school_only)
            gen_exploited(g, c);
        if (c->decoy)
            gen_decoy(g, c);
        gen_background(g, c);
        gen_cp_plan(g, c);
        emit_lac(g, c);
        gen_private_fostering(g, c);
        gen_education(g, c);
        register_rows(g, c, AG_CSC);
        register_rows(g, c, AG_POLICE);
        c->rows = g->stats.rows - rows0;
        char twin_of[16] = "";
        if (twins && j <= 1 && st->kids[0].dob == st->kids[1].dob)
            svp_strlcpy(twin_of, st->kids[1 - j].pid, sizeof twin_of);
        if (c->rows)
            truth_child(g, c, twin_of);
    }
    csc_household(g, h, st->kids, nk);
    gen_da_ex_keep_kids(g, h, st->kids, nk);
}
