/* The synthetic county's households with adult needs (issue 23, item 6): the adults of a
 * household with domestic abuse (the victim and the perpetrator the police hold) with mental
 * ill health, substance misuse and offending, as the agencies that meet them record them:
 *   - mental ill health: attendances at the emergency department for mental health,
 *     self-harm or an overdose (health_ed.csv, the ED's own layout and patient numbers);
 *   - substance misuse: referrals to the adult drug and alcohol service
 *     (health_substance_misuse.csv, a layout of its own: the service's client numbers,
 *     names, dates of birth, postcodes, some missing);
 *   - offending: police occurrences with the adult as suspect (police_occurrences.csv).
 * Truth: truth/household_needs.csv (household_id,person_id,need,source). Rates are
 * illustrative, in the range the literature on the 'toxic trio' in households known to
 * children's services reports (a third to a half of domestic abuse households with a
 * second need); the seeds name the trio but give no counts. Every draw comes from a stream
 * of this household's own (seed, household number), and the rows carry ids of their own, so
 * no child's row or id changes. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

enum { NEED_MENTAL, NEED_SUBSTANCE, NEED_OFFENDING, NEED_KINDS };

static const char *const need_names[NEED_KINDS] = {"mental_health", "substance_misuse",
                                                   "offending"};
static const char *const need_sources[NEED_KINDS] = {"health_ed", "substance_misuse_service",
                                                     "police"};

/* Chances of each need: [0] the victim, [1] the perpetrator. */
static const double need_chance[2][NEED_KINDS] = {{0.30, 0.15, 0.05}, {0.15, 0.35, 0.35}};

static svp_time when(struct synth_rng *r, svp_day d)
{
    return at(d, (int)synth_rng_range(r, 0, 1439));
}

static void ed_row(struct gen *g, struct synth_rng *r, const struct hh_adult *a, uint64_t hno,
                   int k, svp_day d)
{
    struct out_file *o = &g->files[F_ED];
    char id[32], local[24], name[140], upper[64];
    /* ids of their own: never the sequence the children's attendances use */
    snprintf(id, sizeof id, "EDH%08llu%02d", (unsigned long long)hno, k);
    snprintf(local, sizeof local, "HA%09llu", (unsigned long long)a->no);
    size_t n = 0;
    for (; a->sur[n] && n + 1 < sizeof upper; n++)
        upper[n] = (a->sur[n] >= 'a' && a->sur[n] <= 'z') ? (char)(a->sur[n] - 32) : a->sur[n];
    upper[n] = '\0';
    snprintf(name, sizeof name, "%s, %s", upper, a->fore);
    double u = synth_rng_unit(r);
    const char *reason = u < 0.5 ? "MENTAL_HEALTH" : u < 0.8 ? "SELF_HARM" : "OVERDOSE";
    out_str(o, id);
    out_str(o, local);
    out_str(o, "");
    out_str(o, name);
    int y, m, dd;
    svp_date_to_ymd(a->dob, &y, &m, &dd);
    if (synth_rng_chance(r, 0.03))
        out_str(o, ""); /* not taken at the door */
    else
        out_fmt(o, "%04d%02d%02d", y, m, dd);
    out_str(o, a->sex == 'M' ? "1" : "2");
    out_str(o, synth_rng_chance(r, 0.3) ? "99" : "A");
    out_str(o, synth_rng_chance(r, 0.05) ? "" : a->postcode);
    out_time_isot(o, when(r, d));
    out_str(o, reason);
    out_str(o, synth_rng_chance(r, 0.4) ? "AMBULANCE" : "WALK_IN");
    out_str(o, synth_rng_chance(r, 0.6) ? "ALONE" : "FRIEND");
    out_str(o, synth_rng_chance(r, 0.2) ? "Y" : "N");
    char phone[32];
    contact_phone_adult(g, a->no, hno * 100 + (uint64_t)k, phone, sizeof phone);
    out_str(o, phone);
    row_end(g, F_ED, id, a->pid);
}

static void sms_row(struct gen *g, struct synth_rng *r, const struct hh_adult *a, svp_day d)
{
    struct out_file *o = &g->files[F_SMS];
    char id[24], client[24];
    snprintf(id, sizeof id, "R%07llu", (unsigned long long)++o->seq);
    snprintf(client, sizeof client, "SM%09llu", (unsigned long long)a->no);
    static const char *const substances[] = {"Alcohol", "Cannabis", "Cocaine", "Heroin", "Other"};
    static const char *const sources[] = {"Self", "GP", "Criminal Justice", "Children's Services",
                                          "Other"};
    out_str(o, id);
    out_str(o, client);
    out_str(o, a->fore);
    out_str(o, a->sur);
    if (synth_rng_chance(r, 0.04))
        out_str(o, "");
    else
        out_date_iso(o, a->dob);
    out_str(o, a->sex == 'M' ? "Male" : "Female");
    out_str(o, synth_rng_chance(r, 0.1) ? "" : a->postcode);
    out_date_dmy(o, d);
    svp_day out = d + (svp_day)synth_rng_range(r, 60, 400);
    if (out > g->end || synth_rng_chance(r, 0.3))
        out_str(o, "");
    else
        out_date_dmy(o, out);
    out_str(o, substances[synth_rng_below(r, 5)]);
    out_str(o, sources[synth_rng_below(r, 5)]);
    row_end(g, F_SMS, id, a->pid);
}

static void occ_row(struct gen *g, struct synth_rng *r, const struct hh_adult *a, uint64_t hno,
                    int k, svp_day d)
{
    char id[32], ref[32];
    snprintf(id, sizeof id, "INVH%08llu%02d", (unsigned long long)hno, k);
    snprintf(ref, sizeof ref, "OCC/%02d/H%08llu%02d", year2(d), (unsigned long long)hno, k);
    static const char *const cats[] = {"ASSAULT", "THEFT", "DRUG_POSSESSION", "CRIMINAL_DAMAGE",
                                       "ANTISOCIAL"};
    const char *cat = cats[synth_rng_below(r, 5)];
    uint32_t pc = (uint32_t)synth_rng_below(r, (uint64_t)g->npc);
    svp_time t = when(r, d);
    bool arrested = synth_rng_chance(r, 0.5);
    synth_occ_row(g, id, ref, a->nid, a->pid, "SUSPECT",
                  strcmp(cat, "ANTISOCIAL") ? "CRIME" : "INCIDENT", cat, t, "Street", pc,
                  arrested ? t + 3600 : 0, arrested ? "CHARGED" : "NFA");
}

void synth_household_needs(struct gen *g, const struct household *h, const struct hh_adult *adults,
                           int n)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x4EED000000ULL + h->no);
    for (int i = 0; i < n && i < 2; i++) {
        const struct hh_adult *a = &adults[i];
        for (int need = 0; need < NEED_KINDS; need++) {
            if (!synth_rng_chance(&r, need_chance[i][need]))
                continue;
            int k = 1 + (int)synth_rng_below(&r, 3);
            for (int j = 0; j < k; j++) {
                svp_day d = rand_day(&r, g->start, g->end);
                int slot = i * 8 + need * 3 + j; /* unique within the household */
                if (need == NEED_MENTAL)
                    ed_row(g, &r, a, h->no, slot, d);
                else if (need == NEED_SUBSTANCE)
                    sms_row(g, &r, a, d);
                else
                    occ_row(g, &r, a, h->no, slot, d);
            }
            fprintf(g->t_hh_needs, "H%08llu,%s,%s,%s\n", (unsigned long long)(h->no + 1), a->pid,
                    need_names[need], need_sources[need]);
        }
    }
}
