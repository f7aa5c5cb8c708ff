/* The synthetic county's exploited adults (issue 23, item 6): homes of vulnerable adults
 * taken over for drug dealing ("cuckooing") and the young adults (18-25) drawn into it, as
 * the police and adult social care record them, in the existing extracts:
 *   - each cuckooed address: a vulnerable adult (police nominal), two or three police
 *     occurrences at the address flagged CUCKOOING (the resident the victim, the dealers
 *     suspects), and often an adult safeguarding concern from the police;
 *   - exploited young adults: some dealing from a cuckooed address (suspects there, arrested
 *     for drug supply), some victims of criminal exploitation or county lines elsewhere, some
 *     with an adult safeguarding concern of modern slavery or sexual exploitation;
 *   - young adults with histories who are not exploited (the decoys a list must not take
 *     for exploited): possession, antisocial behaviour, a fight, an adult concern of
 *     self-neglect, now and then an arrest for supply;
 *   - older adults who run the lines (suspects at the cuckooed addresses).
 * Nobody here is a child and no child's row changes: the children's county is the same with
 * or without these adults (their own random stream, adult numbers above every other kind).
 * Truth: truth/cuckooed.csv (place_name,postcode,lat,lon,resident_id,taken_over) and
 * truth/young_adults.csv (person_id,exploited,kind,dob,care_history). Some of the young
 * adults, exploited or not, have a history in children's social care (care_history:
 * looked_after or cp_plan; csc_persons.csv, csc_looked_after.csv, csc_child_protection.csv)
 * that the adult list's care_history indicator reads. Rates are illustrative: the seeds
 * name cuckooing as a priority (the 2021-22 report's county lines work) but give no counts. */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Shares of the young adults with a children's social care history: the exploited, and
 * those with ordinary histories (illustrative: care experienced young people are
 * over-represented among those exploited, as the county lines guidance says; the seeds
 * give no count). */
#define CARE_EXPLOITED 0.5
#define CARE_HISTORY 0.3

/* One adult of this file: numbers from the first after the unconnected known offenders. */
struct xadult {
    uint64_t no;
    char nid[24], pid[16], fore[64], sur[64];
    char sex;
    svp_day dob;
    int area;
};

static uint64_t first_adult(const struct gen *g)
{
    return g->nadults_concern + 7 * g->n + g->n / 2000 + 1;
}

static void make_adult(struct gen *g, struct synth_rng *r, uint64_t no, char sex, svp_day dob,
                       int area, const char *addr, const char *postcode, struct xadult *a)
{
    a->no = no;
    a->sex = sex;
    a->dob = dob;
    a->area = area;
    police_id(g, a->nid, sizeof a->nid, 2 * g->n + no);
    adult_pid(a->pid, sizeof a->pid, no);
    svp_strlcpy(a->fore, synth_names_given(g->names, sex, r), sizeof a->fore);
    svp_strlcpy(a->sur, synth_names_surname(g->names, r), sizeof a->sur);
    struct out_file *o = &g->files[F_POL_NOMINALS];
    out_str(o, a->nid);
    out_str(o, a->sur);
    out_str(o, a->fore);
    out_date_dmy(o, dob);
    out_str(o, sex == 'M' ? "M" : "F");
    out_str(o, synth_rng_chance(r, 0.85) ? "IC1" : "IC3");
    out_str(o, addr);
    out_str(o, postcode);
    row_end(g, F_POL_NOMINALS, a->nid, a->pid);
    char dob_s[12];
    svp_date_format(dob, dob_s, sizeof dob_s);
    fprintf(g->t_persons, "%s,ADULT,%s,%s,%s,%c,,,%s,\n", a->pid, a->fore, a->sur, dob_s, sex,
            area_code(g, area));
}

/* A home address of its own (numbers above any household's, so no family shares it). */
static void home_of(const struct gen *g, struct synth_rng *r, int area, char *addr, size_t cap,
                    uint32_t *pc)
{
    int street = (int)synth_rng_below(r, 30), number = 200 + (int)synth_rng_below(r, 300);
    char base[96];
    addr_text(g, base, sizeof base, area, street, number);
    snprintf(addr, cap, "Flat %d, %s", 1 + (int)synth_rng_below(r, 6), base);
    *pc = addr_pc(area, street, number);
}

static void occ_row(struct gen *g, const char *ref, const struct xadult *a, const char *role,
                    const char *type, const char *cat, svp_time t, const char *place,
                    uint32_t pc, svp_time arrest, const char *outcome)
{
    synth_occ_row(g, NULL, ref, a->nid, a->pid, role, type, cat, t, place, pc, arrest, outcome);
}

static void new_ref(struct gen *g, svp_day d, char *ref, size_t cap)
{
    snprintf(ref, cap, "OCC/%02d/%07llu", year2(d), (unsigned long long)++g->occ_seq);
}

static svp_time when(struct synth_rng *r, svp_day d)
{
    return at(d, (int)synth_rng_range(r, 8 * 60, 23 * 60 + 59));
}

/* Children's social care's history of a young adult (transitional safeguarding): the case
 * system's person record, kept when the child turned 18, and either a period looked after
 * that ended at 18 or a child protection plan in their teens. Its own person ids (8 digits:
 * the children's have 7) and the files' own sequences, after every child's row. Returns
 * which ("looked_after", "cp_plan"). */
static const char *care_history(struct gen *g, struct synth_rng *r, const struct xadult *a,
                                const char *addr, const char *postcode)
{
    char pid[16], id[24], dob_s[12];
    snprintf(pid, sizeof pid, "8%07llu", (unsigned long long)(a->no - first_adult(g) + 1));
    struct out_file *o = &g->files[F_CSC_PERSONS];
    out_str(o, pid);
    out_str(o, a->fore);
    out_str(o, a->sur);
    svp_date_format(a->dob, dob_s, sizeof dob_s);
    out_str(o, synth_rng_chance(r, 0.03) ? "" : dob_s);
    out_str(o, a->sex == 'M' ? "M" : "F");
    out_str(o, "WB");
    out_str(o, synth_rng_chance(r, 0.2) ? "" : addr); /* the address when the case closed */
    out_str(o, synth_rng_chance(r, 0.2) ? "" : postcode);
    out_str(o, "");
    row_end(g, F_CSC_PERSONS, pid, a->pid);
    svp_day at18 = svp_date_add_months(a->dob, 216);
    if (synth_rng_chance(r, 0.5)) {
        /* looked after from 13-16 until 18 */
        svp_day start = svp_date_add_months(a->dob, 156 + (int)synth_rng_below(r, 48));
        struct out_file *l = &g->files[F_CSC_LAC];
        seq_id(id, sizeof id, l, "LA", 8);
        out_str(l, id);
        out_str(l, pid);
        out_date_iso(l, start);
        out_date_iso(l, at18);
        out_str(l, synth_rng_chance(r, 0.7) ? "C2" : "V2");
        out_str(l, synth_rng_chance(r, 0.5) ? "CHILDRENS_HOME" : "FOSTER_AGENCY");
        uint32_t place = (uint32_t)synth_rng_below(r, (uint64_t)g->npc);
        out_str(l, g->pc[place].code);
        out_fmt(l, "%.1f", 2.0 + (double)synth_rng_below(r, 300) / 10.0);
        out_str(l, g->pc[place].area < 0 ? "Y" : "N");
        out_str(l, "AGE_18");
        row_end(g, F_CSC_LAC, id, a->pid);
        return "looked_after";
    }
    /* a child protection plan at 12-16, for 6-18 months */
    svp_day start = svp_date_add_months(a->dob, 144 + (int)synth_rng_below(r, 48));
    svp_day end = svp_date_add_months(start, 6 + (int)synth_rng_below(r, 13));
    if (end >= at18)
        end = at18 - 1;
    struct out_file *c = &g->files[F_CSC_CP];
    char plan[24];
    snprintf(plan, sizeof plan, "PLNA%07llu", (unsigned long long)(a->no - first_adult(g) + 1));
    static const char *const cats[] = {"NEGLECT", "EMOTIONAL", "PHYSICAL", "SEXUAL"};
    const char *cat = cats[synth_rng_below(r, 4)];
    for (int k = 0; k < 2; k++) {
        seq_id(id, sizeof id, c, "CP", 8);
        out_str(c, id);
        out_str(c, pid);
        out_str(c, plan);
        out_str(c, k ? "PLAN_END" : "PLAN_START");
        out_date_iso(c, k ? end : start);
        out_str(c, k ? "" : cat);
        row_end(g, F_CSC_CP, id, a->pid);
    }
    return "cp_plan";
}

/* An adult safeguarding concern the police raise (asc.c writes the row). */
static void concern(struct gen *g, struct synth_rng *r, const struct xadult *a,
                    const char *postcode, svp_day d, const char *primary, const char *location)
{
    char asc_id[32];
    snprintf(asc_id, sizeof asc_id, "AX%07llu", (unsigned long long)(a->no - first_adult(g) + 1));
    synth_asc_concern(g, r, asc_id, a->pid, a->fore, a->sur, a->dob, a->sex, postcode, d,
                      primary, location);
}

static svp_day young_dob(struct synth_rng *r, svp_day d, int lo, int hi)
{
    return d - (svp_day)(synth_rng_range(r, lo, hi) * 365.25) - (svp_day)synth_rng_below(r, 300);
}

/* A young adult exploited away from any cuckooed address: a victim of criminal exploitation
 * or county lines, a concern of modern slavery or sexual exploitation, or both. */
static void exploited_elsewhere(struct gen *g, struct synth_rng *r, const struct xadult *y,
                                const char *postcode, uint32_t pc, svp_day d)
{
    char ref[32];
    bool police = synth_rng_chance(r, 0.75);
    if (police) {
        new_ref(g, d, ref, sizeof ref);
        occ_row(g, ref, y, "VICTIM", "CRIME", synth_rng_chance(r, 0.7) ? "CCE" : "CSE",
                when(r, d), "Town centre", pc, 0, "");
    }
    if (!police || synth_rng_chance(r, 0.4))
        concern(g, r, y, postcode, d + (svp_day)synth_rng_range(r, 1, 40),
                synth_rng_chance(r, 0.6) ? "Modern Slavery" : "Sexual Exploitation",
                "In the Community (excluding Community Services)");
    if (synth_rng_chance(r, 0.4)) {
        new_ref(g, d, ref, sizeof ref);
        svp_time t = when(r, d + (svp_day)synth_rng_range(r, 10, 90));
        occ_row(g, ref, y, "SUSPECT", "CRIME", "DRUG_SUPPLY", t, "Railway station", pc,
                t + 3600, "UNDER_INVESTIGATION");
    }
}

/* A young adult with a history that is not exploitation. */
static void decoy_history(struct gen *g, struct synth_rng *r, const struct xadult *y,
                          const char *postcode, uint32_t pc, svp_day from, svp_day to)
{
    char ref[32];
    int n = 1 + (int)synth_rng_below(r, 3);
    for (int i = 0; i < n; i++) {
        svp_day d = rand_day(r, from, to);
        new_ref(g, d, ref, sizeof ref);
        double u = synth_rng_unit(r);
        if (u < 0.35)
            occ_row(g, ref, y, "SUSPECT", "CRIME", "DRUG_POSSESSION", when(r, d), "Park", pc, 0,
                    "COMMUNITY_RESOLUTION");
        else if (u < 0.6)
            occ_row(g, ref, y, "SUSPECT", "INCIDENT", "ANTISOCIAL", when(r, d), "Town centre", pc,
                    0, "NFA");
        else if (u < 0.85)
            occ_row(g, ref, y, "VICTIM", "CRIME", "ASSAULT", when(r, d), "Night club", pc, 0, "");
        else
            occ_row(g, ref, y, "VICTIM", "CRIME", "THEFT", when(r, d), "Bus station", pc, 0, "");
    }
    if (synth_rng_chance(r, 0.15))
        concern(g, r, y, postcode, rand_day(r, from, to), "Self-Neglect", "Own Home");
    if (synth_rng_chance(r, 0.2)) {
        svp_day d = rand_day(r, from, to);
        new_ref(g, d, ref, sizeof ref);
        svp_time t = when(r, d);
        occ_row(g, ref, y, "SUSPECT", "CRIME", "DRUG_SUPPLY", t, "Park", pc, t + 7200, "CAUTION");
    }
}

void synth_adults_exploited(struct gen *g)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xC0C0000ULL);
    char path[4200];
    snprintf(path, sizeof path, "%s/truth/cuckooed.csv", g->o->out);
    FILE *tc = fopen(path, "w");
    snprintf(path, sizeof path, "%s/truth/young_adults.csv", g->o->out);
    FILE *ty = fopen(path, "w");
    if (!tc || !ty) {
        g->rc = svp_err_at(g->err, SVP_EIO, path, 0, NULL, "cannot write: %s", strerror(errno));
        if (tc)
            fclose(tc);
        if (ty)
            fclose(ty);
        return;
    }
    fputs("place_name,postcode,lat,lon,resident_id,taken_over\n", tc);
    fputs("person_id,exploited,kind,dob,care_history\n", ty);
    uint64_t no = first_adult(g);
    /* the window's last two years, leaving two months for the police to find out */
    svp_day from = g->end - 600 > g->start ? g->end - 600 : g->start, to = g->end - 60;
    if (to < from)
        to = from;
    uint64_t ncuckoo = g->n / 3000 + 2, nelse = g->n / 4000 + 1, ndecoy = 3 * (ncuckoo + nelse);
    for (uint64_t k = 0; k < ncuckoo && !g->rc; k++) {
        int area = (int)synth_rng_below(&r, (uint64_t)g->nareas);
        char addr[160];
        uint32_t pc;
        home_of(g, &r, area, addr, sizeof addr, &pc);
        svp_day t0 = rand_day(&r, from, to);
        struct xadult res, dealer, young[2];
        const char *care[2] = {"", ""};
        char sex = synth_rng_chance(&r, 0.55) ? 'M' : 'F';
        svp_day dob = t0 - (svp_day)(synth_rng_range(&r, 30, 75) * 365.25);
        make_adult(g, &r, no++, sex, dob, area, addr, g->pc[pc].code, &res);
        char daddr[160];
        uint32_t dpc;
        home_of(g, &r, (int)synth_rng_below(&r, (uint64_t)g->nareas), daddr, sizeof daddr, &dpc);
        make_adult(g, &r, no++, 'M', t0 - (svp_day)(synth_rng_range(&r, 27, 45) * 365.25),
                   area, daddr, g->pc[dpc].code, &dealer);
        int nyoung = 1 + (int)synth_rng_below(&r, 2);
        for (int i = 0; i < nyoung; i++) {
            char yaddr[160];
            uint32_t ypc;
            int ya = (int)synth_rng_below(&r, (uint64_t)g->nareas);
            home_of(g, &r, ya, yaddr, sizeof yaddr, &ypc);
            make_adult(g, &r, no++, synth_rng_chance(&r, 0.8) ? 'M' : 'F',
                       young_dob(&r, t0, 18, 22), ya, yaddr, g->pc[ypc].code, &young[i]);
            care[i] = synth_rng_chance(&r, CARE_EXPLOITED)
                          ? care_history(g, &r, &young[i], yaddr, g->pc[ypc].code)
                          : "";
        }
        /* the occurrences at the address: the first tells the police, the rest follow */
        int nocc = 2 + (int)synth_rng_below(&r, 2);
        svp_day d = t0;
        for (int j = 0; j < nocc && d <= g->end; j++) {
            char ref[32];
            new_ref(g, d, ref, sizeof ref);
            svp_time t = when(&r, d);
            const char *type = j == 0 ? "INCIDENT" : "CRIME";
            occ_row(g, ref, &res, "VICTIM", type, "CUCKOOING", t, addr, pc, 0, "");
            occ_row(g, ref, &dealer, "SUSPECT", type, "CUCKOOING", t, addr, pc,
                    j ? t + 1800 : 0, j ? "CHARGED" : "UNDER_INVESTIGATION");
            for (int i = 0; i < nyoung; i++)
                if (j == 0 || synth_rng_chance(&r, 0.6))
                    occ_row(g, ref, &young[i], "SUSPECT", type,
                            j == 0 ? "CUCKOOING" : "DRUG_SUPPLY", t, addr, pc,
                            j ? t + 1800 : 0, j ? "CHARGED" : "NFA");
            d += (svp_day)synth_rng_range(&r, 14, 90);
        }
        if (synth_rng_chance(&r, 0.7))
            concern(g, &r, &res, g->pc[pc].code, t0 + (svp_day)synth_rng_range(&r, 1, 10),
                    synth_rng_chance(&r, 0.5) ? "Financial or Material Abuse" : "Modern Slavery",
                    "Own Home");
        /* some of the young dealers are seen for what they are */
        for (int i = 0; i < nyoung; i++) {
            if (synth_rng_chance(&r, 0.5))
                exploited_elsewhere(g, &r, &young[i], g->pc[pc].code, pc,
                                    t0 + (svp_day)synth_rng_range(&r, 5, 60));
            char dob_s[12];
            svp_date_format(young[i].dob, dob_s, sizeof dob_s);
            fprintf(ty, "%s,1,cuckooing,%s,%s\n", young[i].pid, dob_s, care[i]);
        }
        char day[12];
        svp_date_format(t0, day, sizeof day);
        fprintf(tc, "\"%s\",%s,%.5f,%.5f,%s,%s\n", addr, g->pc[pc].code, g->pc[pc].lat,
                g->pc[pc].lon, res.pid, day);
    }
    for (uint64_t k = 0; k < nelse && !g->rc; k++) {
        int area = (int)synth_rng_below(&r, (uint64_t)g->nareas);
        char addr[160];
        uint32_t pc;
        home_of(g, &r, area, addr, sizeof addr, &pc);
        svp_day d = rand_day(&r, from, to);
        struct xadult y;
        make_adult(g, &r, no++, synth_rng_chance(&r, 0.6) ? 'M' : 'F', young_dob(&r, d, 18, 22),
                   area, addr, g->pc[pc].code, &y);
        const char *care = synth_rng_chance(&r, CARE_EXPLOITED)
                               ? care_history(g, &r, &y, addr, g->pc[pc].code)
                               : "";
        exploited_elsewhere(g, &r, &y, g->pc[pc].code, pc, d);
        char dob_s[12];
        svp_date_format(y.dob, dob_s, sizeof dob_s);
        fprintf(ty, "%s,1,exploited,%s,%s\n", y.pid, dob_s, care);
    }
    for (uint64_t k = 0; k < ndecoy && !g->rc; k++) {
        int area = (int)synth_rng_below(&r, (uint64_t)g->nareas);
        char addr[160];
        uint32_t pc;
        home_of(g, &r, area, addr, sizeof addr, &pc);
        struct xadult y;
        make_adult(g, &r, no++, synth_rng_chance(&r, 0.6) ? 'M' : 'F',
                   young_dob(&r, from, 18, 22), area, addr, g->pc[pc].code, &y);
        const char *care = synth_rng_chance(&r, CARE_HISTORY)
                               ? care_history(g, &r, &y, addr, g->pc[pc].code)
                               : "";
        decoy_history(g, &r, &y, g->pc[pc].code, pc, from, g->end);
        char dob_s[12];
        svp_date_format(y.dob, dob_s, sizeof dob_s);
        fprintf(ty, "%s,0,history,%s,%s\n", y.pid, dob_s, care);
    }
    bool bad = ferror(tc) != 0;
    bad |= fclose(tc) != 0;
    bad |= ferror(ty) != 0;
    bad |= fclose(ty) != 0;
    if (bad && !g->rc)
        g->rc = svp_err_at(g->err, SVP_EIO, "truth", 0, NULL, "cannot write the adults' truth");
}
