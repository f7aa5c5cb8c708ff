/* The synthetic county's adult social care: safeguarding concerns and the section 42
 * enquiries they lead to, for adults the children's files never name (older people and
 * adults with care and support needs). One file, asc_concerns.csv, in an adult social care
 * system's layout (profiles/asc-concerns.profile): display names for codes, dd/mm/yyyy dates,
 * a primary and a secondary category of abuse. Rates are illustrative (the seeds give no
 * adult figures): about 12 concerns a year per 1,000 adults, 30% leading to a section 42
 * enquiry, shares of type, location and source of risk of the order England's collection
 * reports. Its own random stream: the rest of the county is the same with or without it. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

/* the adult population beside the children (county-profile: children 23.6% of people) */
#define CHILD_SHARE 0.236
#define CONCERNS_PER_ADULT_YEAR 0.012

struct choice {
    const char *text;
    double weight;
};

static const char *pick(struct synth_rng *r, const struct choice *c, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += c[i].weight;
    double u = synth_rng_unit(r) * total;
    for (size_t i = 0; i < n; i++) {
        if (u < c[i].weight)
            return c[i].text;
        u -= c[i].weight;
    }
    return c[n - 1].text;
}
#define PICK(r, c) pick((r), (c), sizeof(c) / sizeof((c)[0]))

static const struct choice abuse[] = {
    {"Neglect and Acts of Omission", 32}, {"Physical Abuse", 19},
    {"Psychological Abuse", 15},          {"Financial or Material Abuse", 15},
    {"Self-Neglect", 8},                  {"Domestic Abuse", 8},
    {"Sexual Abuse", 4},                  {"Organisational Abuse", 4},
    {"Sexual Exploitation", 0.4},         {"Discriminatory Abuse", 0.3},
    {"Modern Slavery", 0.3}};
static const struct choice location[] = {
    {"Own Home", 45},
    {"Care Home - Residential", 20},
    {"Care Home - Nursing", 15},
    {"In the Community (excluding Community Services)", 8},
    {"Hospital - Acute", 4},
    {"Hospital - Mental Health", 1},
    {"In a Community Service", 4},
    {"Other", 3}};
static const struct choice risk_source[] = {{"Service Provider", 30},
                                            {"Other - Known to Individual", 55},
                                            {"Other - Unknown to Individual", 15}};
static const struct choice concern_source[] = {
    {"Care Provider", 25}, {"Health", 20}, {"Police", 15},   {"Family or Friend", 10},
    {"Self", 5},           {"Member of the Public", 5},      {"Other", 20}};
static const struct choice outcome[] = {{"Risk identified and action taken", 70},
                                        {"Risk identified and no action taken", 5},
                                        {"No risk identified", 15},
                                        {"Enquiry ceased at individual's request", 10}};
static const struct choice result[] = {
    {"Risk Removed", 20}, {"Risk Reduced", 70}, {"Risk Remains", 10}};
static const struct choice asked[] = {{"Yes", 78}, {"No", 17}, {"Don't Know", 5}};
static const struct choice met[] = {
    {"Fully Achieved", 67}, {"Partially Achieved", 28}, {"Not Achieved", 5}};

/* An adult's age: older people are most of the collection's adults. */
static int adult_age(struct synth_rng *r)
{
    double u = synth_rng_unit(r);
    return u < 0.40   ? (int)synth_rng_range(r, 18, 64)
           : u < 0.52 ? (int)synth_rng_range(r, 65, 74)
           : u < 0.72 ? (int)synth_rng_range(r, 75, 84)
           : u < 0.95 ? (int)synth_rng_range(r, 85, 94)
                      : (int)synth_rng_range(r, 95, 102);
}

void synth_asc_concern(struct gen *g, struct synth_rng *r, const char *asc_id, const char *pid,
                       const char *fore, const char *sur, svp_day dob, char sex,
                       const char *postcode, svp_day day, const char *primary_given,
                       const char *location_given)
{
    struct out_file *o = &g->files[F_ASC];
    char ref[24];
    snprintf(ref, sizeof ref, "SG%07llu", (unsigned long long)++o->seq);
    const char *primary = primary_given ? primary_given : PICK(r, abuse), *secondary = NULL;
    if (synth_rng_chance(r, 0.15))
        do
            secondary = PICK(r, abuse);
        while (!strcmp(secondary, primary));
    double u = synth_rng_unit(r);
    const char *decision = u < 0.30 ? "S42 Enquiry" : u < 0.35 ? "Other Enquiry"
                           : u < 0.90                        ? "No Further Action"
                                                             : "Signposted";
    svp_day decided = day + (svp_day)synth_rng_range(r, 0, 5);
    bool enquiry = decision[1] == '4' || decision[0] == 'O';
    svp_day start = decided, concluded = decided + (svp_day)synth_rng_range(r, 5, 150);
    bool closed = enquiry && concluded <= g->end;
    out_str(o, ref);
    out_str(o, asc_id);
    out_str(o, fore);
    out_str(o, sur);
    out_date_dmy(o, dob);
    out_str(o, sex == 'F' ? "Female" : "Male");
    out_str(o, postcode);
    out_date_dmy(o, day);
    out_str(o, PICK(r, concern_source));
    out_str(o, primary);
    out_str(o, secondary);
    out_str(o, location_given ? location_given : PICK(r, location));
    out_str(o, PICK(r, risk_source));
    out_str(o, decision);
    if (decided <= g->end)
        out_date_dmy(o, decided);
    else
        out_str(o, NULL);
    out_str(o, !enquiry ? NULL : decision[1] == '4' ? "S42" : "Other");
    if (enquiry && start <= g->end)
        out_date_dmy(o, start);
    else
        out_str(o, NULL);
    if (closed) {
        out_date_dmy(o, concluded);
        const char *oc = PICK(r, outcome);
        out_str(o, oc);
        out_str(o, !strncmp(oc, "Risk identified and action", 26) ? PICK(r, result) : NULL);
        const char *a = PICK(r, asked);
        out_str(o, a);
        bool expressed = a[0] == 'Y' && synth_rng_chance(r, 0.93);
        out_str(o, a[0] != 'Y' ? NULL : expressed ? "Y" : "N");
        out_str(o, expressed ? PICK(r, met) : NULL);
    } else {
        for (int i = 0; i < 6; i++)
            out_str(o, NULL);
    }
    row_end(g, F_ASC, ref, pid);
}

void synth_asc(struct gen *g)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xA5C0ULL);
    double adults = (double)g->n / CHILD_SHARE * (1.0 - CHILD_SHARE);
    /* adults with one or more concerns: concerns / 1.3 (some adults have several) */
    double lambda = adults * CONCERNS_PER_ADULT_YEAR * g->years / 1.3;
    uint64_t nadults = (uint64_t)(lambda + 0.5), first = g->nadults_concern + 6 * g->n;
    for (uint64_t k = 0; k < nadults && !g->rc; k++) {
        char pid[16], asc_id[32], fore[64], sur[64], dob_s[12];
        adult_pid(pid, sizeof pid, first + k);
        snprintf(asc_id, sizeof asc_id, "AS%07llu", (unsigned long long)(k + 1));
        char sex = synth_rng_chance(&r, 0.6) ? 'F' : 'M';
        svp_strlcpy(fore, synth_names_given(g->names, sex, &r), sizeof fore);
        svp_strlcpy(sur, synth_names_surname(g->names, &r), sizeof sur);
        svp_day first_day = rand_day(&r, g->start, g->end);
        svp_day dob = first_day - (svp_day)(adult_age(&r) * 365.25) -
                      (svp_day)synth_rng_below(&r, 365);
        int area = (int)synth_rng_below(&r, (uint64_t)g->nareas);
        int street = (int)synth_rng_below(&r, 30), number = (int)synth_rng_range(&r, 1, 180);
        const char *postcode = g->pc[addr_pc(area, street, number)].code;
        int n = 1 + (synth_rng_chance(&r, 0.2) ? 1 + (int)synth_rng_below(&r, 3) : 0);
        svp_day d = first_day;
        for (int i = 0; i < n && d <= g->end; i++) {
            synth_asc_concern(g, &r, asc_id, pid, fore, sur, dob, sex, postcode, d, NULL, NULL);
            d += (svp_day)synth_rng_range(&r, 20, 300);
        }
        svp_date_format(dob, dob_s, sizeof dob_s);
        fprintf(g->t_persons, "%s,ADULT,%s,%s,%s,%c,,,%s,\n", pid, fore, sur, dob_s, sex,
                area_code(g, area));
    }
}

/* ------------------------------------------------------------------ known offenders */

/* The police's list of adults it manages as a risk (profiles/police-known-offenders.profile):
 * about a third of the adults who exploit children in the county's groups, a few of the
 * domestic abuse perpetrators, and adults on the list who never meet a child of the county
 * (known_offenders_unconnected). Whether an adult is listed is drawn from a stream of its
 * own, so the rest of the county is the same with or without the list. */
void synth_known_offender(struct gen *g, uint64_t adult_no, const char *nid, const char *pid,
                          const char *fore, const char *surname, svp_day dob, char sex,
                          const char *postcode)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xC0FFEE0000ULL + adult_no);
    bool exploiter = adult_no < g->nadults_concern;
    bool perpetrator = !exploiter && adult_no < g->nadults_concern + 2 * g->n &&
                       (adult_no - g->nadults_concern) % 2 == 1;
    bool unconnected = adult_no >= g->nadults_concern + 7 * g->n;
    double p = exploiter ? 0.35 : perpetrator ? 0.04 : unconnected ? 1.0 : 0.0;
    if (!synth_rng_chance(&r, p))
        return;
    struct out_file *o = &g->files[F_POL_KO];
    double u = synth_rng_unit(&r);
    const char *basis = u < 0.45 ? "MAPPA 1" : u < 0.65 ? "MAPPA 2" : u < 0.70 ? "MAPPA 3"
                        : u < 0.85                    ? "RSO"
                                                      : "Partnership";
    const char *cat = !strncmp(basis, "MAPPA", 5) ? (synth_rng_chance(&r, 0.5) ? "2" : "3")
                      : !strcmp(basis, "RSO")     ? NULL
                                                  : NULL;
    svp_day start = rand_day(&r, g->start - 730, g->end - 30);
    char pnc[24];
    snprintf(pnc, sizeof pnc, "%02d/%06llu%c", (int)synth_rng_range(&r, 0, 24),
             (unsigned long long)synth_rng_below(&r, 1000000), "ABCDEFGHJKLMNPQRSTUVWXYZ"[synth_rng_below(&r, 24)]);
    out_str(o, nid);
    out_str(o, synth_rng_chance(&r, 0.9) ? pnc : NULL);
    out_str(o, surname);
    out_str(o, fore);
    out_date_dmy(o, dob);
    out_str(o, sex == 'M' ? "M" : "F");
    out_str(o, postcode);
    out_str(o, basis);
    out_str(o, cat);
    out_str(o, !strncmp(basis, "MAPPA", 5) && synth_rng_chance(&r, 0.5) ? "Probation" : "Police");
    out_str(o, synth_rng_chance(&r, 0.8) ? "Y" : "N");
    out_date_dmy(o, start);
    out_str(o, NULL);
    row_end(g, F_POL_KO, nid, pid);
    fprintf(g->t_known, "%s,%s,%s,%s\n", pid, nid, basis,
            exploiter ? "group_adult" : perpetrator ? "da_perpetrator" : "unconnected");
}

/* Listed adults who never meet a child of the county: about 1 per 2,000 children. */
void synth_known_unconnected(struct gen *g)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xC0FFEEFFFFULL);
    uint64_t n = g->n / 2000 + 1, first = g->nadults_concern + 7 * g->n;
    for (uint64_t k = 0; k < n && !g->rc; k++) {
        char sex = synth_rng_chance(&r, 0.9) ? 'M' : 'F';
        svp_day dob = g->start - (svp_day)synth_rng_range(&r, 20 * 365, 60 * 365);
        write_adult_nominal(g, first + k, &r, sex, synth_names_surname(g->names, &r), dob,
                            (int)synth_rng_below(&r, (uint64_t)g->nareas));
    }
}
