/* A night-time-economy hotspot unrelated to exploitation (issue 15): a street of licensed
 * premises in one area where police record violence, disorder and damage late on Friday and
 * Saturday nights, among adults. Nothing about it concerns a child: a contexts analysis must
 * rank it among general or night-time events and never among exploitation hotspots. Its
 * own random stream, called after everything else, so the rest of the county is as it would
 * be without it; its truth is a NIGHT row of truth/hotspots.csv (the busiest premises). */
#include "gen.h"

#include <string.h>

#define NIGHT_PREMISES 3

static const char *const premises_fmt[NIGHT_PREMISES] = {"Vibe Nightclub, %s", "The Crown, %s",
                                                         "The Red Lion, %s"};
/* the nightclub is the busiest: half of the occurrences, the two pubs a quarter each */
static const double premises_cum[NIGHT_PREMISES] = {50, 75, 100};

struct nte_adult {
    char nid[24], pid[16];
    bool written;
};

/* An adult out for the night: a police nominal living somewhere in the county, written the
 * first time the adult is involved. Aged 19 to 40 (not the young adults' 18-25 alone). */
static void nte_nominal(struct gen *g, uint64_t no, struct nte_adult *a)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x4E7E000000ULL + no);
    police_id(g, a->nid, sizeof a->nid, 2 * g->n + no);
    adult_pid(a->pid, sizeof a->pid, no);
    char sex = synth_rng_chance(&r, 0.75) ? 'M' : 'F';
    char fore[64], sur[64], addr[128];
    svp_strlcpy(fore, synth_names_given(g->names, sex, &r), sizeof fore);
    svp_strlcpy(sur, synth_names_surname(g->names, &r), sizeof sur);
    svp_day dob = g->start - (svp_day)synth_rng_range(&r, 19 * 365, 40 * 365);
    int area = (int)synth_rng_below(&r, (uint64_t)g->nareas);
    int street = (int)synth_rng_below(&r, 30), number = 200 + (int)synth_rng_below(&r, 300);
    addr_text(g, addr, sizeof addr, area, street, number);
    struct out_file *o = &g->files[F_POL_NOMINALS];
    out_str(o, a->nid);
    out_str(o, sur);
    out_str(o, fore);
    out_date_dmy(o, dob);
    out_str(o, sex == 'M' ? "M" : "F");
    out_str(o, synth_rng_chance(&r, 0.85) ? "IC1" : "IC3");
    out_str(o, addr);
    out_str(o, g->pc[addr_pc(area, street, number)].code);
    row_end(g, F_POL_NOMINALS, a->nid, a->pid);
    char dob_s[12];
    svp_date_format(dob, dob_s, sizeof dob_s);
    fprintf(g->t_persons, "%s,ADULT,%s,%s,%s,%c,,,%s,\n", a->pid, fore, sur, dob_s, sex,
            area_code(g, area));
    a->written = true;
}

static void nte_row(struct gen *g, const char *ref, const struct nte_adult *a, const char *role,
                    const char *type, const char *cat, svp_time t, const char *place,
                    uint32_t pc, svp_time arrest, const char *outcome)
{
    synth_occ_row(g, NULL, ref, a->nid, a->pid, role, type, cat, t, place, pc, arrest, outcome);
}

/* Whether postcode pc is where a planted group meets or an incident hotspot lies. */
static bool pc_taken(const struct gen *g, uint32_t pc)
{
    for (int k = 0; k < 2; k++)
        if (g->pl[g->incident_hotspot[k]].pc == pc)
            return true;
    for (size_t i = 0; i < g->ngroups; i++)
        if (g->pl[g->groups[i].hotspot].pc == pc)
            return true;
    return false;
}

void synth_night_economy(struct gen *g)
{
    if (g->n < 1000 || g->nareas < 1)
        return;
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x4E7E0ULL);
    /* an area with no planted group or incident hotspot when there is one */
    int area = (int)synth_rng_below(&r, (uint64_t)g->nareas);
    for (int tries = 0; tries < g->nareas; tries++) {
        bool used = false;
        for (int k = 0; k < 2; k++)
            used |= g->pl[g->incident_hotspot[k]].area == area;
        for (size_t i = 0; i < g->ngroups; i++)
            used |= g->groups[i].area == area;
        if (!used)
            break;
        area = (area + 1) % g->nareas;
    }
    uint32_t off = (uint32_t)synth_rng_below(&r, PC_PER_AREA), pc = 0;
    for (uint32_t tries = 0; tries < PC_PER_AREA; tries++) {
        pc = (uint32_t)area * PC_PER_AREA + (off + tries) % PC_PER_AREA;
        if (!pc_taken(g, pc))
            break;
    }
    char names[NIGHT_PREMISES][96];
    for (int k = 0; k < NIGHT_PREMISES; k++)
        snprintf(names[k], sizeof names[k], premises_fmt[k], g->areas[area].name);
    /* About one occurrence a weekend night in a county of 104,000 children (a town's late-night
     * strip); each involves one to three adults drawn from a pool of regulars and strangers. */
    uint64_t pool = g->n / 200 + 10, base = g->nadults_concern + 7 * g->n + g->n / 2;
    struct nte_adult *adults = svp_calloc(pool, sizeof *adults);
    if (!adults) {
        g->rc = svp_err_set(g->err, SVP_ENOMEM, "out of memory writing the night-time economy");
        return;
    }
    double per_night = 0.6 * (double)g->n / PROFILE_CHILDREN;
    int busiest[NIGHT_PREMISES] = {0};
    for (svp_day d = g->start; d <= g->end && !g->rc; d++) {
        int wd = svp_date_weekday(d);
        if (wd != 4 && wd != 5) /* Friday and Saturday nights */
            continue;
        int nocc = synth_rng_poisson(&r, per_night);
        for (int i = 0; i < nocc && !g->rc; i++) {
            int k = (int)synth_pick_cumulative(premises_cum, NIGHT_PREMISES, synth_rng_unit(&r));
            /* 22:00 to 03:30 */
            svp_time t = at(d, 22 * 60 + (int)synth_rng_range(&r, 0, 330));
            if (day_of(t) > g->end)
                continue;
            busiest[k]++;
            char ref[32];
            snprintf(ref, sizeof ref, "OCC/%02d/%07llu", year2(day_of(t)),
                     (unsigned long long)++g->occ_seq);
            double u = synth_rng_unit(&r);
            const char *cat = u < 0.55 ? "ASSAULT" : u < 0.85 ? "ANTISOCIAL" : "CRIMINAL_DAMAGE";
            const char *type = !strcmp(cat, "ANTISOCIAL") ? "INCIDENT" : "CRIME";
            int npeople = 1 + (int)synth_rng_below(&r, 3);
            for (int p = 0; p < npeople; p++) {
                uint64_t who = synth_rng_below(&r, pool);
                if (!adults[who].written)
                    nte_nominal(g, base + who, &adults[who]);
                const char *role = p == 0 ? "SUSPECT" : !strcmp(cat, "ASSAULT") && p == 1
                                                            ? "VICTIM"
                                                            : "WITNESS";
                bool suspect = !strcmp(role, "SUSPECT");
                svp_time arrest = suspect && synth_rng_chance(&r, 0.4)
                                      ? t + (svp_time)synth_rng_range(&r, 0, 90) * 60
                                      : 0;
                nte_row(g, ref, &adults[who], role, type, cat, t, names[k], pc, arrest,
                        suspect ? (synth_rng_chance(&r, 0.5) ? "CAUTION" : "NFA") : "");
            }
        }
    }
    svp_free(adults);
    int top = 0;
    for (int k = 1; k < NIGHT_PREMISES; k++)
        if (busiest[k] > busiest[top])
            top = k;
    if (busiest[top] == 0 || g->rc)
        return; /* a county too small for a night out to be recorded: no hotspot to find */
    fprintf(g->t_hotspots, "NTE%04d,\"%s\",%s,%s,%.5f,%.5f,NIGHT\n", area + 1, names[top],
            area_code(g, area), g->pc[pc].code, g->pc[pc].lat, g->pc[pc].lon);
}
