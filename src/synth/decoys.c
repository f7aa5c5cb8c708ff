/* The decoys and traps of the synthetic county: children with some of the signs of the
 * exploited and none of the harm, written with their truth (truth/decoys.csv). */
#include "gen.h"

#include <math.h>

static void care_missing(struct gen *g, struct child *c);

void gen_decoy(struct gen *g, struct child *c)
{
    if (c->decoy & DC_CARE)
        care_missing(g, c);
    svp_day from = g->start + (g->end - g->start) / 4;
    if (c->decoy & DC_MISSING) {
        int n = 1 + (int)synth_rng_below(&c->r, 2);
        for (int i = 0; i < n; i++)
            background_missing(g, c, rand_day(&c->r, from, g->end));
    }
    if (c->decoy & DC_ED)
        emit_ed(g, c, at(rand_day(&c->r, from, g->end), (int)synth_rng_range(&c->r, 600, 1300)),
                synth_rng_chance(&c->r, 0.7) ? "INJURY_ACCIDENT" : "INJURY_ASSAULT", "PARENT");
    if (c->decoy & DC_SUSPECT) {
        svp_day d = rand_day(&c->r, from, g->end);
        emit_occurrence(g, c, at(d, 1000), "SUSPECT",
                        synth_rng_chance(&c->r, 0.5) ? "THEFT" : "ANTISOCIAL",
                        at_place(g, (uint32_t)(c->hh->area * PLACES_PER_AREA + 2)), UINT64_MAX, 0);
    }
}

const char *const decoy_names[DC_KINDS] = {
    "MISSING",        "ABSENCE",      "ED_INJURY", "SUSPENSION",
    "POLICE_SUSPECT", "CARE_MISSING", "SIBLING",   "DA_HOUSEHOLD", "DA_ACROSS_HOUSEHOLDS"};

static int age_on(svp_day dob, svp_day d)
{
    return (int)((d - dob) / 365.25);
}

void choose_traps(struct gen *g, struct household *h, struct child *kids, int nk)
{
    const struct synth_noise *nz = &g->o->noise;
    for (int j = 0; j < nk; j++) {
        struct child *c = &kids[j];
        uint64_t s = g->o->seed ^ (c->idx * 0x9E3779B97F4A7C15ull);
        if (c->ex != EX_NONE || c->decoy)
            continue;
        int age = age_on(c->dob, g->start);
        /* in care during the window at 11 to 16, and not already a trap of this household */
        svp_day lo = c->lac_start > g->start ? c->lac_start : g->start;
        svp_day hi = c->lac_end < g->end ? c->lac_end : g->end;
        if (c->lac && hi - lo >= 60 && age >= 11 && age <= 16 &&
            synth_hash_unit(s, 0xCA7E) < nz->care_decoy) {
            bool other = false;
            for (int k = 0; k < j; k++)
                other |= (kids[k].decoy & DC_CARE) != 0;
            if (!other)
                c->decoy |= DC_CARE;
        } else if (age >= 11 && age <= 13 && synth_hash_unit(s, 0x5C01) < nz->school_only) {
            c->ex = EX_CCE;
            c->school_only = true;
            c->group = UINT32_MAX;
            svp_day h0 = g->start + 90, h1 = g->end - 200 > h0 ? g->end - 200 : h0;
            c->harm = h0 + (svp_day)(synth_hash(s, 0x5C02) % (uint64_t)(h1 - h0 + 1));
        }
    }
    /* an exploited child's brother or sister, 10 to 17, drawn into the same occurrences */
    for (int j = 0; j < nk; j++) {
        struct child *c = &kids[j];
        if (c->ex == EX_NONE || c->school_only)
            continue;
        for (int k = 0; k < nk; k++) {
            struct child *b = &kids[k];
            int age = age_on(b->dob, g->end);
            uint64_t s = g->o->seed ^ (b->idx * 0x9E3779B97F4A7C15ull);
            if (k == j || b->ex != EX_NONE || b->decoy || age < 10 || age > 17 ||
                synth_hash_unit(s, 0x51B1) >= nz->sibling_decoy)
                continue;
            b->decoy |= DC_SIBLING;
            c->sib = b;
            break;
        }
    }
    (void)h;
}

/* A parent's police nominal at the family home (the same family name and address as the
 * child's own record): who the child is found with when found with family. */
static void parent_nominal(struct gen *g, struct child *c, char *nid, size_t cap)
{
    uint64_t adult_no = g->nadults_concern + 4 * g->n + c->hh->no;
    police_id(g, nid, cap, 2 * g->n + adult_no);
    char pid[16], fore[64], addr[128];
    adult_pid(pid, sizeof pid, adult_no);
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x7A4E000000ULL + c->hh->no);
    char sex = synth_rng_chance(&r, 0.8) ? 'F' : 'M';
    svp_strlcpy(fore, synth_names_given(g->names, sex, &r), sizeof fore);
    svp_day dob = c->dob - (svp_day)synth_rng_range(&r, 20 * 365, 38 * 365);
    int a, s, no;
    hh_addr(c->hh, g->end, &a, &s, &no);
    addr_text(g, addr, sizeof addr, a, s, no);
    struct out_file *o = &g->files[F_POL_NOMINALS];
    out_str(o, nid);
    out_str(o, c->hh->surname);
    out_str(o, fore);
    out_date_dmy(o, dob);
    out_str(o, sex == 'M' ? "M" : "F");
    out_str(o, "IC1");
    out_str(o, addr);
    out_str(o, g->pc[addr_pc(a, s, no)].code);
    row_end(g, F_POL_NOMINALS, nid, pid);
    char dob_s[12];
    svp_date_format(dob, dob_s, sizeof dob_s);
    fprintf(g->t_persons, "%s,ADULT,%s,%s,%s,%c,,H%08llu,%s,\n", pid, fore, c->hh->surname, dob_s,
            sex, (unsigned long long)(c->hh->no + 1), area_code(g, c->hh->area));
    fprintf(g->t_households, "H%08llu,%s,adult\n", (unsigned long long)(c->hh->no + 1), pid);
}

/* Missing again and again from an unstable placement (a children's home, moved on two to
 * four times, often out of county), found at the placement or with family at the family
 * home, a police call-out for damage at the placement: care signals, no exploitation. */
static void care_missing(struct gen *g, struct child *c)
{
    struct synth_rng *r = &c->r;
    svp_day lo = c->lac_start > g->start ? c->lac_start : g->start;
    svp_day hi = c->lac_end < g->end ? c->lac_end : g->end;
    if (hi - lo < 60)
        return;
    /* placement moves: further looked-after rows, one per placement */
    int moves = 2 + (int)synth_rng_below(r, 3);
    uint32_t placement = 0;
    for (int k = 0; k < moves; k++) {
        struct out_file *o = &g->files[F_CSC_LAC];
        char id[24];
        snprintf(id, sizeof id, "LA%08llu", (unsigned long long)++o->seq);
        svp_day s = lo + (svp_day)((hi - lo) * (k + 1) / (moves + 1));
        bool out = synth_rng_chance(r, 0.5);
        placement = out ? (uint32_t)(g->nareas * PC_PER_AREA +
                                     synth_rng_below(r, NTOWNS * PC_PER_TOWN))
                        : (uint32_t)synth_rng_below(r, (uint64_t)g->nareas * PC_PER_AREA);
        uint32_t home = hh_pc(c->hh, s);
        double dlat = g->pc[home].lat - g->pc[placement].lat;
        double dlon = g->pc[home].lon - g->pc[placement].lon;
        out_str(o, id);
        out_str(o, view_id(g, c, AG_CSC, s, F_CSC_LAC, id));
        out_date_iso(o, s);
        out_str(o, "");
        out_str(o, "C2");
        out_str(o, synth_rng_chance(r, 0.7) ? "CHILDRENS_HOME" : "SEMI_INDEPENDENT");
        out_str(o, g->pc[placement].code);
        out_fmt(o, "%.1f", 69.0 * sqrt(dlat * dlat + dlon * dlon * 0.4));
        out_str(o, g->pc[placement].area < 0 ? "Y" : "N");
        out_str(o, "");
        row_end(g, F_CSC_LAC, id, c->pid);
    }
    char parent[24] = "";
    int n = 4 + (int)synth_rng_below(r, 7);
    for (int k = 0; k < n; k++) {
        svp_day d = rand_day(r, lo, hi);
        svp_time from = at(d, (int)synth_rng_range(r, 15 * 60, 23 * 60));
        svp_time back = from + (svp_time)synth_rng_range(r, 3, 30) * 3600;
        if (synth_rng_chance(r, 0.45)) {
            if (!parent[0])
                parent_nominal(g, c, parent, sizeof parent);
            emit_missing(g, c, from, back, (struct where){"HOME_ADDRESS", hh_pc(c->hh, d)}, true,
                         parent, false);
        } else {
            emit_missing(g, c, from, back, (struct where){"CARE_PLACEMENT", placement}, false,
                         "", false);
        }
    }
    if (synth_rng_chance(r, 0.5))
        emit_occurrence(g, c, at(rand_day(r, lo, hi), 1250), "SUSPECT", "CRIMINAL_DAMAGE",
                        (struct where){"CARE_PLACEMENT", placement}, UINT64_MAX, 0.3);
}
