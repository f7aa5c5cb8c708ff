/* The scoring core: event classification, decayed and capped points, the person's sum.
 * Kept free of the store so that it can be tested per indicator and benchmarked at scale. */
#include "risk.h"
#include "risk_int.h"

#include "base/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is(const char *a, const char *b)
{
    return a && !strcmp(a, b);
}

static bool flag(json_t *d, const char *key)
{
    json_t *v = d ? json_object_get(d, key) : NULL;
    return v && ((json_is_integer(v) && json_integer_value(v) != 0) || json_is_true(v));
}

static const char *text(json_t *d, const char *key)
{
    json_t *v = d ? json_object_get(d, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool number(json_t *d, const char *key, double *out)
{
    json_t *v = d ? json_object_get(d, key) : NULL;
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

/* True if the JSON list d[key] holds one of the words. */
static bool list_has(json_t *d, const char *key, const char *const *words)
{
    json_t *v = d ? json_object_get(d, key) : NULL;
    if (json_is_string(v)) {
        for (const char *const *w = words; *w; w++)
            if (!strcmp(json_string_value(v), *w))
                return true;
        return false;
    }
    if (!json_is_array(v))
        return false;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        if (!json_is_string(x))
            continue;
        for (const char *const *w = words; *w; w++)
            if (!strcmp(json_string_value(x), *w))
                return true;
    }
    return false;
}

static const char *const exploitation_words[] = {"cse", "cce", "county_lines", "gang", NULL};

static bool weapon_offence(const char *offence)
{
    return is(offence, "weapon_possession") || is(offence, "violence_weapon");
}

/* Found-with codes (ingest's mentions step) by who: unknown or older adults, family,
 * carers. Friends and peers name nobody on the list, so they weigh nothing here (a peer
 * resolved to a person is a found_with relationship). */
int risk_found_with_kind(json_t *codes)
{
    static const char *const adult[] = {"older_males", "older_females", "unknown_adult",
                                        "unknown_male", "unknown_female", "adult_male",
                                        "adult_female", "gang_members", NULL};
    static const char *const family[] = {"family", "parent", "relatives", "mother", "father",
                                         "sibling", "siblings", "grandparent", NULL};
    static const char *const carer[] = {"carer", "foster_carer", "placement", NULL};
    json_t *wrap = json_object();
    if (!wrap)
        return 0;
    int k = 0;
    if (codes && !json_object_set(wrap, "c", codes)) {
        k |= list_has(wrap, "c", adult) ? RISK_WITH_ADULT : 0;
        k |= list_has(wrap, "c", family) ? RISK_WITH_FAMILY : 0;
        k |= list_has(wrap, "c", carer) ? RISK_WITH_CARER : 0;
    }
    json_decref(wrap);
    return k;
}

/* Found at home or at the care placement, as the found place is commonly written. */
bool risk_found_at_home(const char *place)
{
    static const char *const words[] = {"home", "home_address", "home address", "placement",
                                        "care_placement", "care placement", "at home",
                                        "at placement", NULL};
    if (!place)
        return false;
    for (const char *const *w = words; *w; w++)
        if (!strcasecmp(place, *w))
            return true;
    return false;
}

bool risk_harmed_is_child(const char *dob, const char *role, svp_day day)
{
    svp_day d;
    if (dob && strlen(dob) >= 10 && svp_date_parse_iso(dob, 10, &d, NULL) == SVP_OK)
        return d <= day && svp_date_age(d, day) < 18;
    return is(role, "child");
}

/* The term's attendance: attendance_pct, else computed from the sessions a layout gives
 * (possible and missed, or possible and attended). */
bool risk_attendance_of(const struct risk_attendance_in *a, double *out)
{
    if (a->has_pct) {
        *out = a->pct;
        return true;
    }
    if (!a->has_possible || a->possible <= 0)
        return false;
    if (a->has_missed && a->missed >= 0 && a->missed <= a->possible) {
        *out = 100.0 * (a->possible - a->missed) / a->possible;
        return true;
    }
    if (a->has_attended && a->attended >= 0 && a->attended <= a->possible) {
        *out = 100.0 * a->attended / a->possible;
        return true;
    }
    return false;
}

static void attendance_in(json_t *d, struct risk_attendance_in *a)
{
    *a = (struct risk_attendance_in){0};
    a->has_pct = number(d, "attendance_pct", &a->pct);
    a->has_possible = number(d, "sessions_possible", &a->possible);
    a->has_missed = number(d, "sessions_missed", &a->missed);
    a->has_attended = number(d, "sessions_attended", &a->attended);
    a->persistent = flag(d, "persistent_absence");
}

bool risk_attendance_pct(json_t *d, double *out)
{
    struct risk_attendance_in a;
    attendance_in(d, &a);
    return risk_attendance_of(&a, out);
}

int risk_classify_attendance(const struct risk_attendance_in *a, int out[8])
{
    int n = 0;
    double pct;
    bool have = risk_attendance_of(a, &pct);
    if (have && pct < 50)
        out[n++] = RISK_SCHOOL_SEVERE_ABSENCE;
    if (a->persistent || (have && pct < 90))
        out[n++] = RISK_SCHOOL_PERSISTENT_ABSENCE;
    return n;
}

/* risk_attendance_flat's reading: the members it needs, and every key seen (a key twice, or
 * more keys than it keeps, sends the text to jansson). */
struct att_scan {
    struct risk_attendance_in *a;
    bool bad;
    size_t nkeys;
    struct {
        const char *k;
        size_t kl;
    } keys[32];
};

static inline bool key_is(const char *k, size_t kl, const char *name)
{
    return strlen(name) == kl && k[0] == name[0] && !memcmp(k, name, kl);
}

static void att_member(void *ctx, const char *k, size_t kl, const char *v, size_t vl, bool str)
{
    struct att_scan *sc = ctx;
    if (sc->bad)
        return;
    for (size_t i = 0; i < sc->nkeys; i++)
        if (sc->keys[i].kl == kl && (!kl || (sc->keys[i].k[0] == k[0] &&
                                             !memcmp(sc->keys[i].k, k, kl)))) {
            sc->bad = true;
            return;
        }
    if (sc->nkeys == sizeof sc->keys / sizeof sc->keys[0]) {
        sc->bad = true;
        return;
    }
    sc->keys[sc->nkeys].k = k;
    sc->keys[sc->nkeys++].kl = kl;
    /* only the keys read below are worth a number's parse (school names, URNs and the
     * other counts are not) */
    enum { PCT, POSSIBLE, MISSED, ATTENDED, PERSISTENT, OTHER } which =
        key_is(k, kl, "attendance_pct")       ? PCT
        : key_is(k, kl, "sessions_possible")  ? POSSIBLE
        : key_is(k, kl, "sessions_missed")    ? MISSED
        : key_is(k, kl, "sessions_attended")  ? ATTENDED
        : key_is(k, kl, "persistent_absence") ? PERSISTENT
                                              : OTHER;
    if (which == OTHER)
        return;
    /* a number as svp_json_flat passes it: at most 15 digits either side of the point */
    bool isnum = !str && vl < 40 && (*v == '-' || (*v >= '0' && *v <= '9'));
    double x = isnum ? svp_json_number(v, vl) : 0;
    bool integer = isnum && !memchr(v, '.', vl);
    struct risk_attendance_in *a = sc->a;
    if (which == PCT)
        a->has_pct = isnum, a->pct = x;
    else if (which == POSSIBLE)
        a->has_possible = isnum, a->possible = x;
    else if (which == MISSED)
        a->has_missed = isnum, a->missed = x;
    else if (which == ATTENDED)
        a->has_attended = isnum, a->attended = x;
    else
        a->persistent = (integer && x != 0) || (!str && vl == 4 && !memcmp(v, "true", 4));
}

bool risk_attendance_flat(const char *text, struct risk_attendance_in *a)
{
    *a = (struct risk_attendance_in){0};
    struct att_scan sc = {.a = a};
    if (!text || !svp_json_flat(text, att_member, &sc) || sc.bad) {
        *a = (struct risk_attendance_in){0};
        return false;
    }
    return true;
}

/* docs/indicators.md is the prose form of this function: keep them together. */
int risk_classify_event(const struct risk_event_in *ev, int out[8])
{
    int n = 0;
    const char *t = ev->type, *st = ev->subtype;
    json_t *d = ev->detail;
    if (!t)
        return 0;
    if (is(t, "missing_episode")) {
        out[n++] = RISK_MISSING_EPISODE;
        if (is(text(d, "risk_level"), "high"))
            out[n++] = RISK_MISSING_HIGH_RISK;
        /* missing from a care placement, however the record says it (docs/model.md) */
        if (flag(d, "looked_after") || is(text(d, "reported_by"), "placement") ||
            is(text(d, "missing_from"), "care_placement"))
            out[n++] = RISK_MISSING_FROM_CARE;
        /* Found at home or at the placement is not found out of area, even when the
         * placement itself is out of county. */
        if ((flag(d, "found_out_of_county") || ev->place_out_of_county) &&
            !risk_found_at_home(text(d, "found_place")))
            out[n++] = RISK_MISSING_FOUND_OUT_OF_COUNTY;
        /* Who the child was found with, as the agency wrote it (a profile's mentions step
         * keeps the kinds of people as codes): weighed by who (docs/indicators.md). */
        json_t *fw = d ? json_object_get(d, "found_with") : NULL;
        json_t *codes = json_is_object(fw) ? json_object_get(fw, "codes") : fw;
        int who = risk_found_with_kind(codes);
        if (who & RISK_WITH_ADULT)
            out[n++] = RISK_MISSING_FOUND_WITH_ADULT;
        if (who & RISK_WITH_FAMILY)
            out[n++] = RISK_MISSING_FOUND_WITH_FAMILY;
        if (who & RISK_WITH_CARER)
            out[n++] = RISK_MISSING_FOUND_WITH_CARER;
    } else if (is(t, "return_interview")) {
        /* Adult associates are how grooming shows in a return interview (WSCB 2016-17:
         * return interviews are scrutinised for intelligence on exploitation). */
        static const char *const words[] = {"cse", "cce", "county_lines", "gang",
                                            "adult_associates", NULL};
        if (list_has(d, "disclosures", words))
            out[n++] = RISK_RETURN_INTERVIEW_DISCLOSURE;
        const char *o = st ? st : text(d, "outcome");
        if (is(o, "declined") || is(o, "not_offered") || is(o, "not_completed"))
            out[n++] = RISK_RETURN_INTERVIEW_DECLINED;
    } else if (is(t, "exploitation_screening")) {
        const char *r = st ? st : text(d, "risk_level");
        if (is(r, "high"))
            out[n++] = RISK_EXPLOITATION_SCREENING_HIGH;
        else if (is(r, "medium"))
            out[n++] = RISK_EXPLOITATION_SCREENING_MEDIUM;
        else if (is(r, "low"))
            out[n++] = RISK_EXPLOITATION_SCREENING_LOW;
    } else if (is(t, "intelligence")) {
        const char *c = st ? st : text(d, "category");
        if (is(c, "cse") || is(c, "cce") || is(c, "county_lines") || is(c, "gang"))
            out[n++] = RISK_EXPLOITATION_INTELLIGENCE;
    } else if (is(t, "nrm_referral")) {
        if (!is(st ? st : text(d, "decision"), "negative"))
            out[n++] = RISK_NRM_REFERRAL;
    } else if (is(t, "contact") || is(t, "referral")) {
        static const char *const words[] = {"cse", "cce", "county_lines", "gang", "gangs",
                                            "trafficking", NULL};
        if (list_has(d, "reason", words) || list_has(d, "reasons", words))
            out[n++] = RISK_EXPLOITATION_CONCERN;
    } else if (is(t, "assessment")) {
        static const char *const words[] = {"cse", "cce", "county_lines", "gang", "gangs",
                                            "trafficking", NULL};
        if (list_has(d, "factors", words))
            out[n++] = RISK_EXPLOITATION_CONCERN;
    } else if (is(t, "crime") || is(t, "incident")) {
        const char *role = st ? st : text(d, "role");
        const char *off = text(d, "offence");
        bool expl = list_has(d, "exploitation", exploitation_words) || is(off, "exploitation");
        if (is(role, "victim")) {
            out[n++] = expl ? RISK_CRIME_EXPLOITATION : RISK_POLICE_VICTIM;
        } else if (is(role, "suspect") || is(role, "offender")) {
            out[n++] = RISK_POLICE_SUSPECT;
            /* Children drawn into criminal exploitation are often recorded as suspects. */
            if (expl)
                out[n++] = RISK_CRIME_EXPLOITATION;
            if (is(off, "drugs_supply"))
                out[n++] = RISK_DRUG_SUPPLY;
            if (weapon_offence(off) || text(d, "weapon"))
                out[n++] = RISK_WEAPON;
        }
    } else if (is(t, "arrest")) {
        const char *off = text(d, "offence");
        if (is(off, "drugs_supply"))
            out[n++] = RISK_DRUG_SUPPLY;
        else if (weapon_offence(off))
            out[n++] = RISK_WEAPON;
        else
            out[n++] = RISK_POLICE_SUSPECT;
    } else if (is(t, "stop_search")) {
        if (flag(d, "found")) {
            const char *o = text(d, "object");
            if (is(o, "weapon"))
                out[n++] = RISK_WEAPON;
            else if (is(o, "drugs"))
                out[n++] = RISK_STOP_SEARCH_DRUGS;
        }
    } else if (is(t, "da_incident")) {
        const char *role = text(d, "role");
        if (is(role, "child_in_household") || (!role && flag(d, "children_present")))
            out[n++] = RISK_DA_HOUSEHOLD;
        else if (is(role, "victim"))
            out[n++] = RISK_POLICE_VICTIM;
    } else if (is(t, "school_attendance")) {
        struct risk_attendance_in a;
        attendance_in(d, &a);
        n += risk_classify_attendance(&a, out + n);
    } else if (is(t, "exclusion")) {
        const char *x = st ? st : text(d, "exclusion_type");
        out[n++] = is(x, "permanent") ? RISK_EXCLUSION_PERMANENT : RISK_EXCLUSION_SUSPENSION;
    } else if (is(t, "cme")) {
        out[n++] = RISK_MISSING_EDUCATION;
    } else if (is(t, "ed_attendance")) {
        const char *r = st ? st : text(d, "reason");
        if (is(r, "injury") || is(r, "assault"))
            out[n++] = RISK_ED_INJURY;
        else if (is(r, "stab_wound"))
            out[n++] = RISK_ED_STAB_WOUND;
        else if (is(r, "self_harm") || is(r, "overdose"))
            out[n++] = RISK_ED_SELF_HARM;
        else if (is(r, "alcohol") || is(r, "drugs"))
            out[n++] = RISK_ED_SUBSTANCE;
        else if (is(r, "sexual_assault"))
            out[n++] = RISK_ED_SEXUAL_ASSAULT;
        else if (is(r, "pregnancy"))
            out[n++] = RISK_SEXUAL_HEALTH;
    } else if (is(t, "sexual_health")) {
        /* the CSE proforma (Spotting the Signs) raised a concern */
        if (flag(d, "cse_concern"))
            out[n++] = RISK_EXPLOITATION_CONCERN;
        if (is(st, "sti") || is(st, "pregnancy") || is(st, "termination") ||
            is(st, "emergency_contraception"))
            out[n++] = RISK_SEXUAL_HEALTH;
    } else if (is(t, "substance_misuse")) {
        out[n++] = RISK_SUBSTANCE_MISUSE;
    } else if (is(t, "yj_intervention")) {
        out[n++] = RISK_YOUTH_JUSTICE;
    } else if (is(t, "looked_after")) {
        out[n++] = RISK_LOOKED_AFTER;
    } else if (is(t, "placement")) {
        out[n++] = RISK_PLACEMENT_MOVE;
        if (flag(d, "out_of_county") || ev->place_out_of_county)
            out[n++] = RISK_PLACEMENT_OUT_OF_COUNTY;
    }
    return n;
}

double risk_fact_points(const struct risk_weights *w, const struct risk_fact *f, svp_day as_of)
{
    if (f->day > as_of || as_of - f->day > w->lookback_days)
        return 0;
    const struct risk_weight *rw = &w->ind[f->indicator];
    double p = rw->weight;
    if (rw->half_life_days > 0)
        p *= exp2(-(double)(as_of - f->day) / rw->half_life_days);
    return p / (f->share ? f->share : 1);
}

static int cmp_fact(const void *a, const void *b)
{
    const struct risk_fact *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    if (x->day != y->day)
        return x->day > y->day ? -1 : 1;
    if (x->indicator != y->indicator)
        return x->indicator < y->indicator ? -1 : 1;
    return (x->event_id > y->event_id) - (x->event_id < y->event_id);
}

/* Person indices are dense, so a counting sort by person (linear) does most of the work;
 * each person's few facts are then sorted by date. Falls back to qsort when the scratch
 * memory cannot be had. */
void risk_facts_sort(struct risk_fact *facts, size_t n)
{
    if (n < 2)
        return;
    uint32_t maxp = 0;
    for (size_t i = 0; i < n; i++)
        if (facts[i].person > maxp)
            maxp = facts[i].person;
    size_t *start = svp_calloc((size_t)maxp + 2, sizeof *start);
    struct risk_fact *tmp = start ? svp_malloc(n * sizeof *tmp) : NULL;
    if (!tmp) {
        svp_free(start);
        qsort(facts, n, sizeof *facts, cmp_fact);
        return;
    }
    for (size_t i = 0; i < n; i++)
        start[facts[i].person + 1]++;
    for (size_t p = 1; p <= (size_t)maxp + 1; p++)
        start[p] += start[p - 1];
    for (size_t i = 0; i < n; i++)
        tmp[start[facts[i].person]++] = facts[i];
    memcpy(facts, tmp, n * sizeof *facts);
    svp_free(tmp);
    svp_free(start);
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && facts[j].person == facts[i].person)
            j++;
        if (j - i > 16) {
            qsort(facts + i, j - i, sizeof *facts, cmp_fact);
        } else {
            for (size_t a = i + 1; a < j; a++) {
                struct risk_fact x = facts[a];
                size_t b = a;
                while (b > i && cmp_fact(&facts[b - 1], &x) > 0) {
                    facts[b] = facts[b - 1];
                    b--;
                }
                facts[b] = x;
            }
        }
        i = j;
    }
}

/* Escalation window: the last 90 days against the 90 before (the partnership's missing
 * protocol asks for escalation when episodes become more frequent). */
enum { ESCALATION_DAYS = 90, ESCALATION_MIN = 3 };

/* What score_core adds up beside the score: the exploitation signals' points, those of them
 * that point outside the home, the care and family-context signals' points, and the
 * family-context (household) signals' among those, all before any factor. */
struct core_sums {
    double expl, outside, care, household;
};

static double score_core(const struct risk_weights *w, svp_day as_of,
                         const struct risk_fact *f, size_t n, const double *first_pass,
                         double care_factor, double household_factor,
                         struct risk_reason *reasons, size_t *nreasons, struct core_sums *sums);

/* The household's context: domestic abuse at home and the toxic trio. */
static bool household_context(int indicator)
{
    return indicator == RISK_DA_HOUSEHOLD || indicator == RISK_TOXIC_TRIO;
}

/* The child's own signs that living with domestic abuse, parental substance misuse and
 * mental ill health explains as well as exploitation does: drinking or drug use (at A&E, a
 * substance misuse referral) and sexual health (a young person's STI, pregnancy or
 * emergency contraception). Adverse childhood experiences at home are among the strongest
 * known predictors of exactly these (Felitti et al. 1998; Hughes et al., Lancet Public
 * Health 2017), so beside the household's context they do not say that harm comes from
 * outside the home (docs/indicators.md, "Domestic abuse in the household"). */
static bool household_explains(int indicator)
{
    return indicator == RISK_ED_SUBSTANCE || indicator == RISK_SUBSTANCE_MISUSE ||
           indicator == RISK_SEXUAL_HEALTH;
}

/* The household's context counts once: domestic abuse at home (da_household) is one of the
 * toxic trio's factors, often the very incident the trio counts, so of the two only the one
 * worth more points counts (docs/indicators.md, "Domestic abuse in the household"). Returns
 * the indicator left out (-1: none). */
static int household_context_skip(const struct risk_weights *w, svp_day as_of,
                                  const struct risk_fact *f, size_t n)
{
    double pts[2] = {0, 0}, cnt[2] = {0, 0};
    static const int ind[2] = {RISK_DA_HOUSEHOLD, RISK_TOXIC_TRIO};
    for (size_t i = 0; i < n; i++) {
        int k = f[i].indicator == RISK_DA_HOUSEHOLD ? 0 : f[i].indicator == RISK_TOXIC_TRIO ? 1
                                                                                          : -1;
        if (k < 0 || f[i].day > as_of || as_of - f[i].day > w->lookback_days)
            continue;
        const struct risk_weight *rw = &w->ind[ind[k]];
        double unit = 1.0 / (f[i].share ? f[i].share : 1);
        if (cnt[k] + unit > rw->cap + 1e-9 || rw->weight <= 0)
            continue;
        cnt[k] += unit;
        pts[k] += risk_fact_points(w, &f[i], as_of);
    }
    if (pts[0] <= 0 || pts[1] <= 0)
        return -1;
    return pts[1] >= pts[0] ? RISK_DA_HOUSEHOLD : RISK_TOXIC_TRIO;
}

/* Care and family-context signals together count no more than the exploitation signals
 * beside them (care_factor); the household's context besides no more than the signals
 * among those that point outside the home (household_factor, never above care_factor). */
static void context_factors(const struct risk_weights *w, svp_day as_of,
                            const struct risk_fact *f, size_t n, const double *first_pass,
                            double *care_factor, double *household_factor)
{
    struct core_sums s = {0};
    score_core(w, as_of, f, n, first_pass, 1, 1, NULL, NULL, &s);
    *care_factor = s.care > s.expl ? s.expl / s.care : 1;
    double h = s.household > s.outside ? s.outside / s.household : 1;
    *household_factor = h < *care_factor ? h : *care_factor;
}

double risk_care_factor(const struct risk_weights *w, svp_day as_of, const struct risk_fact *f,
                        size_t n, const double *first_pass)
{
    double care, household;
    context_factors(w, as_of, f, n, first_pass, &care, &household);
    return care;
}

void risk_care_summary(const struct risk_weights *w, svp_day as_of, const struct risk_fact *f,
                       size_t n, const double *first_pass, bool *flag, int *missing, int *moves)
{
    *missing = *moves = 0;
    for (size_t i = 0; i < n; i++) {
        const struct risk_fact *x = &f[i];
        if (x->day > as_of || as_of - x->day > w->lookback_days ||
            !(x->flags & RISK_FACT_CARE))
            continue;
        if (x->indicator == RISK_MISSING_FROM_CARE)
            (*missing)++;
        else if (x->indicator == RISK_PLACEMENT_MOVE)
            (*moves)++;
    }
    *flag = (*missing || *moves) && risk_care_factor(w, as_of, f, n, first_pass) < 1;
}

double risk_score_person(const struct risk_weights *w, svp_day as_of, const struct risk_fact *f,
                         size_t n, const double *first_pass, struct risk_reason *reasons,
                         size_t *nreasons)
{
    double care, household;
    context_factors(w, as_of, f, n, first_pass, &care, &household);
    return score_core(w, as_of, f, n, first_pass, care, household, reasons, nreasons, NULL);
}

/* The person's points; care facts' points are multiplied by care_factor, the household's
 * context's by household_factor (0: left out). sums (may be NULL) gets the points before
 * the factors (struct core_sums). */
static double score_core(const struct risk_weights *w, svp_day as_of,
                         const struct risk_fact *f, size_t n, const double *first_pass,
                         double care_factor, double household_factor,
                         struct risk_reason *reasons, size_t *nreasons, struct core_sums *sums)
{
    double counts[RISK_INDICATOR_COUNT];
    double expl = 0, care = 0, outside = 0, household = 0;
    int recent_care = 0;
    int skip = household_context_skip(w, as_of, f, n);
    memset(counts, 0, sizeof counts);
    double total = 0;
    size_t nr = 0;
    int recent = 0, before = 0;
    svp_day latest_missing = 0;
    for (size_t i = 0; i < n; i++) {
        const struct risk_fact *x = &f[i];
        if (x->day > as_of || as_of - x->day > w->lookback_days)
            continue;
        /* care signals with no exploitation signal beside them: a care-quality flag */
        bool is_care = (x->flags & RISK_FACT_CARE) != 0;
        bool is_household = is_care && household_context(x->indicator);
        if (is_care && (is_household ? household_factor : care_factor) <= 0)
            continue;
        if (x->indicator == RISK_MISSING_EPISODE) {
            if (as_of - x->day < ESCALATION_DAYS) {
                if (!recent)
                    latest_missing = x->day;
                recent++;
                recent_care += is_care;
            } else if (as_of - x->day < 2 * ESCALATION_DAYS) {
                before++;
            }
        }
        if (risk_indicator_second_pass(x->indicator) &&
            (!first_pass || !x->other || first_pass[x->other - 1] < w->band_medium))
            continue;
        if (x->indicator == skip)
            continue;
        const struct risk_weight *rw = &w->ind[x->indicator];
        double unit = 1.0 / (x->share ? x->share : 1);
        if (counts[x->indicator] + unit > rw->cap + 1e-9 || rw->weight <= 0)
            continue;
        counts[x->indicator] += unit;
        double p = risk_fact_points(w, x, as_of);
        if (is_care) {
            care += p;
            household += is_household ? p : 0;
            p *= is_household ? household_factor : care_factor;
        } else if (risk_indicator_exploitation(x->indicator)) {
            expl += p;
            outside += household_explains(x->indicator) ? 0 : p;
        }
        total += p;
        if (reasons) {
            struct risk_reason *r = &reasons[nr++];
            r->indicator = x->indicator;
            r->points = p;
            r->day = x->day;
            r->agency = x->agency;
            r->event_id = x->event_id;
            r->relationship_id = x->relationship_id;
            r->record_id = x->record_id;
            r->other_person_id = (int64_t)x->other; /* index + 1; the caller maps it to an id */
        }
    }
    const struct risk_weight *esc = &w->ind[RISK_MISSING_ESCALATION];
    if (recent >= ESCALATION_MIN && recent > before && esc->weight > 0) {
        double p = esc->weight;
        if (esc->half_life_days > 0)
            p *= exp2(-(double)(as_of - latest_missing) / esc->half_life_days);
        /* escalating missing from care only is a care signal too */
        if (recent_care == recent) {
            care += p;
            p *= care_factor;
        }
        total += p;
        if (reasons) {
            /* The points are shared equally by the recent episodes that make the escalation,
             * so each traces to its own source record. */
            for (size_t i = 0; i < n; i++) {
                const struct risk_fact *x = &f[i];
                if (x->indicator != RISK_MISSING_EPISODE || x->day > as_of ||
                    as_of - x->day >= ESCALATION_DAYS ||
                    ((x->flags & RISK_FACT_CARE) && care_factor <= 0))
                    continue;
                struct risk_reason *r = &reasons[nr++];
                r->indicator = RISK_MISSING_ESCALATION;
                r->points = p / recent;
                r->day = x->day;
                r->agency = x->agency;
                r->event_id = x->event_id;
                r->relationship_id = 0;
                r->record_id = x->record_id;
                r->other_person_id = 0;
            }
        }
    }
    if (nreasons)
        *nreasons = nr;
    if (sums)
        *sums = (struct core_sums){expl, outside, care, household};
    return total;
}

void risk_score_facts(const struct risk_weights *w, svp_day as_of, const struct risk_fact *facts,
                      size_t nfacts, const double *first_pass, double *scores, size_t npersons)
{
    memset(scores, 0, npersons * sizeof *scores);
    size_t i = 0;
    while (i < nfacts) {
        size_t j = i;
        uint32_t p = facts[i].person;
        while (j < nfacts && facts[j].person == p)
            j++;
        if (p < npersons) {
            /* In the second pass only persons with association facts can change. */
            bool assoc = false;
            for (size_t k = i; first_pass && k < j && !assoc; k++)
                assoc = risk_indicator_second_pass(facts[k].indicator);
            scores[p] = first_pass && !assoc
                            ? first_pass[p]
                            : risk_score_person(w, as_of, facts + i, j - i, first_pass, NULL,
                                                NULL);
        }
        i = j;
    }
}

/* Every detail key the risk room reads from an event (risk_classify_event, the loader's
 * adults of concern, occurrences and attendance): a detail is reduced to these before it
 * is read (risk_detail_slim). A key read anywhere in the room must be listed here;
 * tests/unit/test_risk_speed.c classifies every event of its fixtures both ways. */
#define KEY(s) {s, sizeof s - 1}
static const struct {
    const char *k;
    size_t len;
} detail_keys[] = {
    KEY("attendance_pct"), KEY("category"), KEY("children_present"), KEY("cse_concern"),
    KEY("decision"), KEY("disclosures"), KEY("exclusion_type"), KEY("exploitation"),
    KEY("factors"), KEY("found"), KEY("found_out_of_county"), KEY("found_place"),
    KEY("found_with"), KEY("looked_after"), KEY("object"), KEY("occurrence_ref"),
    KEY("offence"), KEY("out_of_county"), KEY("outcome"), KEY("persistent_absence"),
    KEY("reason"), KEY("reasons"), KEY("reported_by"), KEY("risk_level"), KEY("role"),
    KEY("sessions_attended"), KEY("sessions_missed"), KEY("sessions_possible"), KEY("weapon"),
    {NULL, 0}};
#undef KEY

struct slim {
    json_t *obj;
    bool dup, nomem, many;
    size_t nkeys;
    struct {
        const char *k;
        size_t kl;
    } keys[64];
};

static void slim_member(void *ctx, const char *k, size_t kl, const char *v, size_t vl, bool str)
{
    struct slim *sc = ctx;
    if (sc->dup || sc->nomem || sc->many)
        return;
    for (size_t i = 0; i < sc->nkeys; i++)
        if (sc->keys[i].kl == kl && (!kl || (sc->keys[i].k[0] == k[0] &&
                                             !memcmp(sc->keys[i].k, k, kl)))) {
            sc->dup = true;
            return;
        }
    if (sc->nkeys == sizeof sc->keys / sizeof sc->keys[0]) {
        sc->many = true;
        return;
    }
    sc->keys[sc->nkeys].k = k;
    sc->keys[sc->nkeys++].kl = kl;
    const char *w = NULL;
    for (size_t i = 0; !w && detail_keys[i].k; i++)
        if (detail_keys[i].len == kl && detail_keys[i].k[0] == k[0] &&
            !memcmp(detail_keys[i].k, k, kl))
            w = detail_keys[i].k;
    if (!w)
        return;
    json_t *val;
    if (str) {
        val = json_stringn(v, vl);
    } else if (vl == 4 && !memcmp(v, "true", 4)) {
        val = json_true();
    } else if (vl == 5 && !memcmp(v, "false", 5)) {
        val = json_false();
    } else if (vl == 4 && !memcmp(v, "null", 4)) {
        val = json_null();
    } else {
        char num[40]; /* svp_json_flat: at most 15 digits either side of the point */
        if (vl >= sizeof num) {
            sc->many = true; /* not expected: let jansson read it */
            return;
        }
        memcpy(num, v, vl);
        num[vl] = '\0';
        val = memchr(v, '.', vl) ? json_real(svp_json_number(v, vl))
                                 : json_integer((json_int_t)strtoll(num, NULL, 10));
    }
    if (!val || json_object_set_new_nocheck(sc->obj, w, val))
        sc->nomem = true;
}

int risk_detail_slim(const char *text, json_t **out)
{
    *out = NULL;
    if (!text)
        return 0;
    struct slim sc = {.obj = json_object()};
    if (!sc.obj)
        return SVP_ENOMEM;
    bool flat = svp_json_flat(text, slim_member, &sc);
    if (sc.nomem) {
        json_decref(sc.obj);
        return SVP_ENOMEM;
    }
    if (!flat || sc.many) {
        json_decref(sc.obj);
        return 0;
    }
    if (sc.dup) { /* jansson refuses a key twice (JSON_REJECT_DUPLICATES): no detail */
        json_decref(sc.obj);
        return 1;
    }
    *out = sc.obj;
    return 1;
}
