/* Domestic abuse: police incidents, MARAC cases and truth/da.csv from da.c's plans. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Domestic abuse at households with children: 3,312 incidents a year
 * (county-profile domestic_abuse_incidents). About 3% of households, ~1.9 incidents a year.
 * da.c plans each household's story; this writes it: police DA rows (victim, suspect, DASH,
 * children present), the MARAC coordinator's list of cases heard, and truth/da.csv. */
static void da_adult(const struct gen *g, const struct household *h, enum synth_da_who w,
                     uint64_t *adult_no)
{
    /* The household's own two adults, and two more in a range of their own after every
     * household's pair, so no id collides with another household's. */
    if (w == DA_VICTIM || w == DA_PERP)
        *adult_no = h->adult0 + (w == DA_PERP);
    else
        *adult_no = g->nadults_concern + 2 * g->n + 2 * h->no + (w == DA_NEW);
}

/* What the officer records of the suspect: their relationship to the victim and whether
 * they live at the address (police DA records hold both; a blank is "not recorded"). The
 * household's perpetrator lives there until the couple separates; a new partner and an
 * ex-partner do not. Errors and omissions at realistic rates, from a random stream of its
 * own (the incident's number), so nothing else in the county moves. */
static void suspect_relationship(const struct gen *g, struct out_file *o,
                                 const struct synth_da_incident *x,
                                 const struct synth_da_plan *plan)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xDA5E000000ULL + o->seq);
    const char *rel, *lives;
    double u = synth_rng_unit(&r);
    if (x->victim == DA_EX) {
        rel = u < 0.85 ? "EX_PARTNER" : u < 0.95 ? "" : "PARTNER";
        lives = synth_rng_chance(&r, 0.8) ? "N" : synth_rng_chance(&r, 0.9) ? "" : "Y";
    } else if (x->perp == DA_NEW) {
        rel = u < 0.7 ? "PARTNER" : u < 0.85 ? "BOYFRIEND_GIRLFRIEND" : "";
        lives = synth_rng_chance(&r, 0.7) ? "N" : synth_rng_chance(&r, 0.8) ? "" : "Y";
    } else {
        rel = u < 0.55 ? "PARTNER" : u < 0.8 ? "SPOUSE" : u < 0.9 ? "BOYFRIEND_GIRLFRIEND"
              : u < 0.95 ? "EX_PARTNER" : "";
        double v = synth_rng_unit(&r);
        lives = v < 0.78 ? "Y" : v < 0.95 ? "" : "N";
    }
    (void)plan;
    out_str(o, rel);
    out_str(o, lives);
}

/* One police domestic abuse row (and its truth/da.csv row, and a MARAC row when the case was
 * heard): victim and perpetrator by nominal and person id, at postcode pc, with the children
 * kids[0..nk) of the home listed in the household (each present with p_present) and also[0..nalso)
 * (another household's children, known to the police) present too. */
static void da_row(struct gen *g, const struct synth_da_incident *x, const char *const nom[2],
                   const char *const pid[2], uint32_t pc, struct child *kids, int nk,
                   struct child *also, int nalso, double p_present, const char *scenario,
                   struct synth_rng *r)
{
    static const char *const levels[] = {"STANDARD", "MEDIUM", "HIGH"};
    struct out_file *o = &g->files[F_POL_DA];
    svp_day d = day_of(x->at);
    char id[32];
    snprintf(id, sizeof id, "DA/%02d/%06llu", year2(d), (unsigned long long)++o->seq);
    out_str(o, id);
    out_time_dmy(o, x->at);
    out_str(o, nom[0]);
    out_str(o, nom[1]);
    out_str(o, g->pc[pc].code);
    out_fmt(o, "%.5f", g->pc[pc].lat);
    out_fmt(o, "%.5f", g->pc[pc].lon);
    out_str(o, levels[x->level]);
    /* x->yes answers are yes, the rest no or (5%) not known, in random positions */
    unsigned char ans[27];
    memset(ans, 'N', sizeof ans);
    for (int y = 0; y < x->yes && y < 27;) {
        int q2 = (int)synth_rng_below(r, 27);
        if (ans[q2] != 'Y') {
            ans[q2] = 'Y';
            y++;
        }
    }
    for (int q2 = 0; q2 < 27; q2++)
        out_str(o, ans[q2] == 'Y' ? "Y" : synth_rng_chance(r, 0.05) ? "NK" : "N");
    char present[512] = "", all[512] = "";
    size_t lp = 0, la = 0;
    int nkids = 0;
    for (int j = 0; j < nk; j++) {
        struct child *c = &kids[j];
        if (c->dob > d)
            continue;
        const char *cnom = view_id(g, c, AG_POLICE, d, F_POL_DA, id);
        la += (size_t)snprintf(all + la, sizeof all - la, "%s%s", la ? ";" : "", cnom);
        nkids++;
        if (synth_rng_chance(r, p_present)) {
            lp += (size_t)snprintf(present + lp, sizeof present - lp, "%s%s", lp ? ";" : "",
                                   cnom);
            if (synth_rng_chance(r, 0.45))
                emit_contact(g, c, x->at + 6 * 3600, 0, 0, 0.25, "DOMESTIC_ABUSE");
        }
        if (la >= sizeof all - 40 || lp >= sizeof present - 40)
            break;
    }
    for (int j = 0; j < nalso && lp < sizeof present - 40; j++) {
        struct child *c = &also[j];
        if (c->dob > d)
            continue;
        lp += (size_t)snprintf(present + lp, sizeof present - lp, "%s%s", lp ? ";" : "",
                               view_id(g, c, AG_POLICE, d, F_POL_DA, id));
    }
    out_str(o, present);
    out_str(o, all);
    out_str(o, x->referred ? "Y" : "N");
    suspect_relationship(g, o, x, NULL);
    /* The incident's truth person is the victim; children are listed by id. */
    row_end(g, F_POL_DA, id, pid[0]);
    fprintf(g->t_da, "%s,%s,%s,%s,%s,%d,%s,%d\n", id, pid[0], pid[1], nom[0], nom[1], x->yes,
            scenario, x->referred);
    if (x->agency < 0 || x->heard > g->end)
        return;
    struct out_file *m = &g->files[F_MARAC];
    char mref[32];
    snprintf(mref, sizeof mref, "M%02d-%05llu", year2(x->heard), (unsigned long long)++m->seq);
    out_str(m, mref);
    out_date_dmy(m, x->heard);
    out_str(m, nom[0]);
    out_str(m, synth_da_agencies[x->agency]);
    out_str(m, x->repeat ? "Y" : "N");
    out_fmt(m, "%d", nkids);
    out_str(m, synth_rng_chance(r, 0.12) ? "Y" : "N");
    out_str(m, synth_rng_chance(r, 0.02) ? "Y" : "N");
    row_end(g, F_MARAC, mref, pid[0]);
}

void gen_domestic_abuse(struct gen *g, struct household *h, struct child *kids,
                               struct synth_rng *r)
{
    double households = PROFILE_CHILDREN / 1.83;
    double q = P_DA_INCIDENTS / (households * 1.9);
    if (!synth_rng_chance(r, q))
        return;
    h->da = true;
    h->adult0 = g->nadults_concern + 2 * h->no;
    struct synth_da_plan plan;
    synth_da_plan(r, g->start, g->end, 1.6, &plan);
    /* a serial perpetrator's ex-partner lives with her own children in another household,
     * which takes his incidents against her when it is made (one at a time) */
    bool defer = plan.serial && !g->da_ex.on;
    char vsex = synth_rng_chance(r, 0.85) ? 'F' : 'M', ssex = vsex == 'F' ? 'M' : 'F';
    svp_day eldest = kids[0].dob;
    for (int j = 1; j < h->nkids; j++)
        if (kids[j].dob < eldest)
            eldest = kids[j].dob;
    char nom[4][24], pid[4][16];
    bool used[4] = {true, true, plan.serial && !defer, plan.two_perps};
    struct hh_adult home[2];
    for (int w = 0; w < 4; w++) {
        uint64_t a;
        da_adult(g, h, (enum synth_da_who)w, &a);
        police_id(g, nom[w], sizeof nom[w], 2 * g->n + a);
        adult_pid(pid[w], sizeof pid[w], a);
        if (!used[w])
            continue;
        bool victim = w == DA_VICTIM || w == DA_EX;
        char sex = victim ? vsex : ssex;
        const char *surname = w == DA_VICTIM                              ? h->surname
                              : w == DA_PERP && synth_rng_chance(r, 0.6) ? h->surname
                                                                          : synth_names_surname(
                                                                                g->names, r);
        write_adult_nominal_as(g, a, r, sex, surname,
                               eldest - (svp_day)synth_rng_range(r, 18 * 365, 34 * 365),
                               w == DA_EX ? (int)synth_rng_below(r, g->nareas) : h->area,
                               w <= DA_PERP ? &home[w] : NULL);
        if (w == DA_VICTIM || w == DA_PERP) /* the household's own two adults */
            fprintf(g->t_households, "H%08llu,%s,%s\n", (unsigned long long)(h->no + 1), pid[w],
                    w == DA_VICTIM ? "adult_da_victim" : "adult_da_perpetrator");
    }
    if (defer) {
        struct da_ex_pending *x = &g->da_ex;
        memset(x, 0, sizeof *x);
        x->on = true;
        x->h1 = h->no;
        da_adult(g, h, DA_EX, &x->ex_adult);
        x->vsex = vsex;
        x->ex_dob = eldest - (svp_day)synth_rng_range(r, 18 * 365, 34 * 365);
        svp_strlcpy(x->vnom, nom[DA_EX], sizeof x->vnom);
        svp_strlcpy(x->vpid, pid[DA_EX], sizeof x->vpid);
        svp_strlcpy(x->pnom, nom[DA_PERP], sizeof x->pnom);
        svp_strlcpy(x->ppid, pid[DA_PERP], sizeof x->ppid);
        for (int k = 0; k < plan.n; k++)
            if (plan.v[k].victim == DA_EX)
                x->v[x->n++] = plan.v[k];
    }
    synth_household_needs(g, h, home, 2);
    for (int k = 0; k < plan.n; k++) {
        const struct synth_da_incident *x = &plan.v[k];
        if (defer && x->victim == DA_EX)
            continue;
        svp_day d = day_of(x->at);
        uint32_t pc = hh_pc(h, d);
        if (!x->kids) /* the ex-partner's home: somewhere in her area */
            pc = (uint32_t)synth_rng_below(r, (uint64_t)g->npc);
        const char *const who_nom[2] = {nom[x->victim], nom[x->perp]};
        const char *const who_pid[2] = {pid[x->victim], pid[x->perp]};
        const char *scenario = x->victim == DA_EX     ? "serial"
                               : x->perp == DA_NEW    ? "second_perpetrator"
                               : plan.escalating      ? "escalating"
                                                      : "ordinary";
        da_row(g, x, who_nom, who_pid, pc, kids, x->kids ? h->nkids : 0, NULL, 0, 0.37, scenario,
               r);
    }
}

void gen_da_ex_keep_kids(struct gen *g, const struct household *h, const struct child *kids,
                         int nk)
{
    struct da_ex_pending *x = &g->da_ex;
    if (!x->on || x->h1 != h->no)
        return;
    x->nkids = 0;
    for (int j = 0; j < nk && x->nkids < 4; j++)
        if (kids[j].known[AG_POLICE] && kids[j].rows) {
            x->kids[x->nkids] = kids[j];
            x->kids[x->nkids++].hh = NULL; /* that household's state is gone */
        }
}

/* The truth of one household linked to a serial perpetrator: its children's person ids. */
static void linked_row(struct gen *g, const char *ppid, uint64_t hno, const char *role,
                       const struct child *kids, int nk)
{
    fprintf(g->t_da_linked, "%s,H%08llu,%s,", ppid, (unsigned long long)(hno + 1), role);
    for (int j = 0; j < nk; j++)
        fprintf(g->t_da_linked, "%s%s", j ? ";" : "", kids[j].pid);
    fputc('\n', g->t_da_linked);
}

bool gen_da_ex_household(struct gen *g, struct household *h, struct child *kids, int nk)
{
    struct da_ex_pending *x = &g->da_ex;
    if (!x->on || x->h1 == h->no || h->da || nk < 1)
        return false;
    for (int j = 0; j < nk; j++)
        if (kids[j].ex != EX_NONE)
            return false;
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xDAE0000000ULL + h->no);
    h->da_ex = true;
    /* she is the children's mother (their family name, mostly) living at their home */
    struct hh_adult ex;
    const char *surname = synth_rng_chance(&r, 0.8) ? h->surname : synth_names_surname(g->names, &r);
    write_adult_nominal_as(g, x->ex_adult, &r, x->vsex, surname, x->ex_dob, h->area, &ex);
    fprintf(g->t_households, "H%08llu,%s,adult_da_victim\n", (unsigned long long)(h->no + 1),
            x->vpid);
    synth_household_needs(g, h, &ex, 1);
    const char *const nom[2] = {x->vnom, x->pnom};
    const char *const pid[2] = {x->vpid, x->ppid};
    /* After a separation most incidents are at the door (harassment, breaches), her
     * children less often there than at a home the couple shares; for half of the
     * perpetrators the first is at a handover where some of his own household's children
     * were with him. (These rates keep the county's children present at incidents near the
     * profile's 1,483 a year.) */
    struct child also[4];
    int nalso = 0;
    if (synth_rng_chance(&r, 0.5))
        for (int j = 0; j < x->nkids; j++)
            if (synth_rng_chance(&r, 0.5))
                also[nalso++] = x->kids[j];
    for (int k = 0; k < x->n; k++)
        da_row(g, &x->v[k], nom, pid, hh_pc(h, day_of(x->v[k].at)), kids, nk, k ? NULL : also,
               k ? 0 : nalso, 0.15, "serial", &r);
    linked_row(g, x->ppid, x->h1, "own", x->kids, x->nkids);
    linked_row(g, x->ppid, h->no, "ex_partner", kids, nk);
    x->on = false;
    return true;
}

void gen_da_ex_flush(struct gen *g)
{
    struct da_ex_pending *x = &g->da_ex;
    if (!x->on)
        return;
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xDAEF000000ULL + x->h1);
    write_adult_nominal_as(g, x->ex_adult, &r, x->vsex, synth_names_surname(g->names, &r),
                           x->ex_dob, (int)synth_rng_below(&r, g->nareas), NULL);
    const char *const nom[2] = {x->vnom, x->pnom};
    const char *const pid[2] = {x->vpid, x->ppid};
    for (int k = 0; k < x->n; k++)
        da_row(g, &x->v[k], nom, pid, (uint32_t)synth_rng_below(&r, (uint64_t)g->npc), NULL, 0,
               NULL, 0, 0.37, "serial", &r);
    x->on = false;
}

void gen_exploited(struct gen *g, struct child *c)
{
    const struct group *gr = &g->groups[c->group];
    uint32_t gi = c->group;
    int nepisodes = 0;
    for (int e = 0; e < gr->nev; e++) {
        if (!joins(g, gi, e, c->slot))
            continue;
        uint64_t h = synth_hash(g->o->seed ^ gi, (uint64_t)e);
        svp_time from =
            at(gr->ev[e], 16 * 60 + (int)(h % 360)) + (svp_time)synth_rng_range(&c->r, 0, 40) * 60;
        svp_time back = from + (svp_time)(6 + (h >> 16) % 42) * 3600 +
                        (svp_time)synth_rng_range(&c->r, 0, 90) * 60;
        uint32_t place = gr->hotspot;
        if (gr->type == EX_CL && (h >> 32) % 10 < 7)
            place = gr->route;
        else if (gr->type == EX_CSE && (h >> 32) % 10 < 2)
            place = (uint32_t)(gr->area * PLACES_PER_AREA + 7);
        char with[512] = "";
        size_t lw = 0;
        for (int m = 0; m < gr->nmem && lw < sizeof with - 40; m++) {
            if ((uint32_t)m == c->slot || !joins(g, gi, e, (uint32_t)m))
                continue;
            char nid[24];
            police_id(g, nid, sizeof nid, gr->mem[m]);
            lw += (size_t)snprintf(with + lw, sizeof with - lw, "%s%s", lw ? ";" : "", nid);
        }
        for (int a = 0; a < gr->nadult && lw < sizeof with - 40; a++) {
            if (!adult_joins(g, gi, e, a))
                continue;
            char nid[24];
            police_id(g, nid, sizeof nid, 2 * g->n + gr->adult[a]);
            lw += (size_t)snprintf(with + lw, sizeof with - lw, "%s%s", lw ? ";" : "", nid);
        }
        emit_missing(g, c, from, back, at_place(g, place), false, with, true);
        if (nepisodes++ < 3 && synth_rng_chance(&c->r, 0.4))
            emit_contact(g, c, back + 20 * 3600, 0, 5, 0.5, "MISSING");
    }
    svp_day harm = c->harm;
    int months_after = (g->end - harm) / 30;
    int solo = synth_rng_poisson(&c->r, 0.05 * months_after);
    for (int k = 0; k < solo; k++) {
        svp_time from = at(rand_day(&c->r, harm, g->end), (int)synth_rng_range(&c->r, 900, 1400));
        emit_missing(g, c, from, from + (svp_time)synth_rng_range(&c->r, 4, 60) * 3600,
                     at_place(g, gr->hotspot), synth_rng_chance(&c->r, 0.4), "", true);
    }
    static const char *const factors[] = {"CSE;MISSING", "CCE;MISSING;GANGS",
                                          "CCE;MISSING;TRAFFICKING;CHILD_DRUGS"};
    emit_contact(g, c, at(rand_day(&c->r, harm + 30, harm + 150), 600), 1, c->ex == EX_CSE ? 6 : 7,
                 0.85, factors[c->ex]);
    /* Police: drug supply and weapons for criminal exploitation, victim of CSE otherwise;
     * an adult of the group is the co-suspect or suspect. */
    int k = 1 + (int)synth_rng_below(&c->r, 2);
    for (int i = 0; i < k; i++) {
        svp_day d = rand_day(&c->r, harm + 20, g->end);
        uint32_t place =
            gr->route != UINT32_MAX && synth_rng_chance(&c->r, 0.5) ? gr->route : gr->hotspot;
        uint64_t adult = gr->adult[synth_rng_below(&c->r, (uint64_t)gr->nadult)];
        svp_time t = at(d, (int)synth_rng_range(&c->r, 600, 1430));
        if (c->ex == EX_CSE)
            emit_occurrence(g, c, t, "VICTIM",
                            synth_rng_chance(&c->r, 0.7) ? "CSE" : "SEXUAL_OFFENCE",
                            at_place(g, place), adult, 0);
        else
            emit_occurrence(g, c, t, "SUSPECT",
                            i == 1 && synth_rng_chance(&c->r, 0.6) ? "WEAPON_POSSESSION"
                                                                   : "DRUG_SUPPLY",
                            at_place(g, place), adult, 0.8);
    }
    /* A brother or sister drawn in: the police come to the family home, where the adults
     * of the group are with the child, and record the sibling as a witness or a victim. */
    if (c->sib) {
        int nhome = 1 + (int)(synth_hash(g->o->seed ^ c->idx, 0x51B) % 3);
        svp_day span = g->end - harm > 40 ? g->end - harm - 20 : 20;
        for (int i = 0; i < nhome; i++) {
            uint64_t hsh = synth_hash(g->o->seed ^ c->idx, 0x51C + (uint64_t)i);
            svp_day d = harm + 20 + (svp_day)(hsh % (uint64_t)span);
            int a, s2, no;
            hh_addr(c->hh, d, &a, &s2, &no);
            char addr[128];
            addr_text(g, addr, sizeof addr, a, s2, no);
            struct where home = {addr, addr_pc(a, s2, no)};
            uint64_t adult = gr->adult[(hsh >> 20) % (uint64_t)gr->nadult];
            emit_occurrence_with(g, c, at(d, 600 + (int)((hsh >> 8) % 800)),
                                 c->ex == EX_CSE ? "VICTIM" : "SUSPECT",
                                 c->ex == EX_CSE ? "SEXUAL_OFFENCE" : "DRUG_SUPPLY", home, adult,
                                 0.5, c->sib, (hsh >> 40) % 10 < 6 ? "WITNESS" : "VICTIM");
        }
    }
    if (c->ex != EX_CSE && synth_rng_chance(&c->r, 0.3))
        emit_occurrence(g, c, at(rand_day(&c->r, harm, g->end), 1300), "VICTIM", "ROBBERY",
                        at_place(g, gr->hotspot), UINT64_MAX, 0);
    /* Emergency department: injuries, substances, self-harm. */
    int ned = 1 + (int)synth_rng_below(&c->r, 3);
    static const char *const ed_cse[] = {"SELF_HARM", "OVERDOSE", "ALCOHOL", "INJURY_ASSAULT"};
    static const char *const ed_cce[] = {"INJURY_ASSAULT", "INJURY_STAB", "DRUGS", "ALCOHOL"};
    static const char *const with[] = {"FRIEND", "ADULT_NOT_FAMILY", "ALONE", "POLICE"};
    for (int i = 0; i < ned; i++)
        emit_ed(g, c, at(rand_day(&c->r, harm, g->end), (int)synth_rng_range(&c->r, 0, 1439)),
                (c->ex == EX_CSE ? ed_cse : ed_cce)[synth_rng_below(&c->r, 4)],
                with[synth_rng_below(&c->r, 4)]);
    if (c->ex == EX_CSE && c->sex == 'F') {
        int nsh = 1 + (int)synth_rng_below(&c->r, 3);
        for (int i = 0; i < nsh; i++)
            emit_sh(g, c, rand_day(&c->r, harm, g->end), synth_rng_chance(&c->r, 0.6));
    }
}
