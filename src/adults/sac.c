/* The Safeguarding Adults Collection's figures (docs/adults.md) from adult_concern and
 * adult_enquiry events. One pass over the period's events of the two types; an adult is a
 * linked person (or a record not yet linked), so one adult known to two systems counts once. */
#include "adults.h"

#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const adults_type_codes[ADULTS_NTYPES] = {
    "physical",      "sexual",       "psychological",  "financial",
    "discriminatory", "organisational", "neglect",     "domestic_abuse",
    "sexual_exploitation", "modern_slavery", "self_neglect"};
const char *const adults_location_codes[ADULTS_NLOCATIONS] = {
    "own_home", "community", "community_service", "care_home", "hospital", "other"};
const char *const adults_source_codes[ADULTS_NSOURCES] = {"service_provider", "known",
                                                          "unknown"};
const char *const adults_assess_codes[ADULTS_NASSESS] = {
    "risk_identified_action", "risk_identified_no_action", "risk_not_identified", "ceased"};
const char *const adults_result_codes[ADULTS_NRESULTS] = {"removed", "reduced", "remains"};
const char *const adults_age_bands[ADULTS_NAGES] = {"18-64", "65-74", "75-84",
                                                    "85-94", "95+",   "unknown"};
const char *const adults_sex_codes[ADULTS_NSEXES] = {"F", "M", "other_or_unknown"};

/* The index of code in codes[n], else n (not recorded or not a SAC category). */
static int code_index(const char *const *codes, int n, const char *code)
{
    for (int i = 0; code && i < n; i++)
        if (!strcmp(codes[i], code))
            return i;
    return n;
}

static const char *str_member(json_t *o, const char *k)
{
    json_t *v = o ? json_object_get(o, k) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool flag_member(json_t *o, const char *k, bool *known)
{
    json_t *v = o ? json_object_get(o, k) : NULL;
    *known = v && !json_is_null(v);
    if (json_is_boolean(v))
        return json_is_true(v);
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (s && (!strcmp(s, "yes") || !strcmp(s, "1") || !strcmp(s, "true")))
        return true;
    if (s && strcmp(s, "no") && strcmp(s, "0") && strcmp(s, "false"))
        *known = false; /* "dont_know" and the like */
    return false;
}

static bool in_period(const char *ts, const char *from, const char *to)
{
    return ts && strncmp(ts, from, 10) >= 0 && strncmp(ts, to, 10) <= 0;
}

/* Whole years from dob to day, or -1 when dob is absent or unreadable. */
static int age_on(const char *dob, const char *day)
{
    svp_day b, d;
    struct svp_err e;
    if (!dob || !day || svp_date_parse_iso(dob, 10, &b, &e) || svp_date_parse_iso(day, 10, &d, &e))
        return -1;
    int age = svp_date_age(b, d);
    return age < 0 ? -1 : age;
}

static int age_band(int age)
{
    return age < 0 ? 5 : age < 65 ? 0 : age < 75 ? 1 : age < 85 ? 2 : age < 95 ? 3 : 4;
}

/* An adult's s42 enquiry started in the period: the adult counts once, in the age band and
 * sex of their first. */
struct start {
    int64_t who;
    char day[11];
    signed char band, sex;
};

static int cmp_start(const void *a, const void *b)
{
    const struct start *x = a, *y = b;
    if (x->who != y->who)
        return (x->who > y->who) - (x->who < y->who);
    return strcmp(x->day, y->day);
}

/* Distinct persons: a sorted, deduplicated list of ids. */
struct idset {
    int64_t *v;
    size_t n, cap;
};

static int idset_add(struct idset *s, int64_t id)
{
    int64_t *v = svp_grow(s->v, &s->cap, s->n + 1, sizeof *v, 256);
    if (!v)
        return SVP_ENOMEM;
    s->v = v;
    s->v[s->n++] = id;
    return SVP_OK;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static long idset_count(struct idset *s)
{
    if (!s->n)
        return 0;
    qsort(s->v, s->n, sizeof *s->v, cmp_id);
    long n = 1;
    for (size_t i = 1; i < s->n; i++)
        n += s->v[i] != s->v[i - 1];
    return n;
}

int adults_financial_year(int year, svp_day *from, svp_day *to)
{
    if (year < 1900 || year > 2999)
        return SVP_EUSAGE;
    if (svp_date_from_ymd(year, 4, 1, from) || svp_date_from_ymd(year + 1, 3, 31, to))
        return SVP_EUSAGE;
    return SVP_OK;
}

int adults_last_financial_year(svp_day today)
{
    int y, m, d;
    svp_date_to_ymd(today, &y, &m, &d);
    return y - (m >= 4 ? 1 : 2);
}

double adults_sac_conversion(const struct adults_sac *f)
{
    return f->concerns ? 100.0 * (double)f->s42_started / (double)f->concerns : 0.0;
}

/* One s42 enquiry concluded in the period. */
static void count_concluded(struct adults_sac *f, json_t *d)
{
    f->s42_concluded++;
    /* every type the enquiry records, each once */
    bool seen[ADULTS_NTYPES] = {false};
    const char *keys[] = {"abuse_type", "abuse_type2"};
    for (int k = 0; k < 2; k++) {
        int t = code_index(adults_type_codes, ADULTS_NTYPES, str_member(d, keys[k]));
        if (t < ADULTS_NTYPES && !seen[t]) {
            seen[t] = true;
            f->by_type[t]++;
        }
    }
    f->by_location[code_index(adults_location_codes, ADULTS_NLOCATIONS,
                              str_member(d, "location"))]++;
    f->by_source[code_index(adults_source_codes, ADULTS_NSOURCES,
                            str_member(d, "source_of_risk"))]++;
    int a = code_index(adults_assess_codes, ADULTS_NASSESS, str_member(d, "risk_assessment"));
    f->by_assess[a]++;
    if (a == 0)
        f->by_result[code_index(adults_result_codes, ADULTS_NRESULTS,
                                str_member(d, "risk_result"))]++;
    bool known, asked = flag_member(d, "msp_asked", &known);
    if (!known) {
        f->msp_asked_unknown++;
        return;
    }
    if (!asked) {
        f->msp_asked_no++;
        return;
    }
    f->msp_asked_yes++;
    bool ek, expressed = flag_member(d, "msp_expressed", &ek);
    if (!expressed)
        return;
    f->msp_expressed++;
    const char *met = str_member(d, "msp_met");
    if (met && !strcmp(met, "fully"))
        f->msp_fully++;
    else if (met && !strcmp(met, "partially"))
        f->msp_partially++;
    else if (met && !strcmp(met, "not"))
        f->msp_not++;
}

int adults_sac_compute(struct store *s, svp_day from, svp_day to, struct adults_sac *out,
                       struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    out->from = from;
    out->to = to;
    if (to < from)
        return svp_err_set(err, SVP_EUSAGE, "the period ends before it starts");
    char df[16], dt[16];
    svp_date_format(from, df, sizeof df);
    svp_date_format(to, dt, sizeof dt);
    struct store_stmt *st = NULL;
    int rc = store_prepare(
        s,
        "SELECT e.type, e.subtype, e.started_at, e.ended_at, e.detail, "
        "COALESCE(pr.person_id, -e.record_id), r.dob, r.sex FROM event e "
        "JOIN record r ON r.id = e.record_id "
        "LEFT JOIN person_record pr ON pr.record_id = e.record_id "
        "WHERE e.type IN ('adult_concern', 'adult_enquiry') AND "
        "((e.started_at >= ? AND e.started_at < ?) OR "
        "(e.ended_at IS NOT NULL AND e.ended_at >= ? AND e.ended_at < ?))",
        &st, err);
    if (rc)
        return rc;
    /* timestamps may carry a time: [from, the day after to) */
    char dnext[16];
    svp_date_format(to + 1, dnext, sizeof dnext);
    for (int i = 0; i < 2 && rc == SVP_OK; i++)
        if (store_bind_text(st, 2 * i + 1, df, -1) || store_bind_text(st, 2 * i + 2, dnext, -1))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    struct idset concern_adults = {0};
    struct start *starts = NULL;
    size_t nstarts = 0, cap_starts = 0;
    while (rc == SVP_OK && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        const char *type = store_column_text(st, 0), *sub = store_column_text(st, 1),
                   *start = store_column_text(st, 2), *end = store_column_text(st, 3),
                   *detail = store_column_text(st, 4), *dob = store_column_text(st, 6),
                   *sex = store_column_text(st, 7);
        int64_t who = store_column_int64(st, 5);
        bool concern = !strcmp(type, "adult_concern");
        if (concern) {
            if (in_period(start, df, dt)) {
                out->concerns++;
                if (idset_add(&concern_adults, who))
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            }
            continue;
        }
        bool s42 = sub && !strcmp(sub, "s42");
        if (in_period(start, df, dt)) {
            if (!s42) {
                out->other_started++;
            } else {
                out->s42_started++;
                struct start *v = svp_grow(starts, &cap_starts, nstarts + 1, sizeof *v, 256);
                if (!v) {
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                    break;
                }
                starts = v;
                struct start *x = &starts[nstarts++];
                x->who = who;
                snprintf(x->day, sizeof x->day, "%.10s", start);
                x->band = (signed char)age_band(age_on(dob, start));
                x->sex = (signed char)(sex && !strcmp(sex, "F")   ? 0
                                       : sex && !strcmp(sex, "M") ? 1
                                                                  : 2);
            }
        }
        if (s42 && end && in_period(end, df, dt)) {
            /* a detail jansson cannot read counts as one with nothing recorded */
            json_t *d = detail ? json_loads(detail, 0, NULL) : NULL;
            count_concluded(out, json_is_object(d) ? d : NULL);
            json_decref(d);
        }
    }
    if (rc == STORE_DONE)
        rc = SVP_OK;
    store_finalize(&st);
    if (rc == SVP_OK) {
        out->concern_adults = idset_count(&concern_adults);
        if (nstarts)
            qsort(starts, nstarts, sizeof *starts, cmp_start);
        for (size_t i = 0; i < nstarts; i++)
            if (i == 0 || starts[i].who != starts[i - 1].who) {
                out->s42_adults++;
                out->s42_by_age[starts[i].band]++;
                out->s42_by_sex[starts[i].sex]++;
            }
    }
    svp_free(concern_adults.v);
    svp_free(starts);
    return rc;
}

static int put_counts(struct svp_buf *b, const char *name, const char *const *codes, int n,
                      const long *v, const char *last)
{
    int rc = svp_buf_printf(b, ",\"%s\":{", name);
    for (int i = 0; i < n && rc == SVP_OK; i++)
        rc = svp_buf_printf(b, "%s\"%s\":%ld", i ? "," : "", codes[i], v[i]);
    if (rc == SVP_OK && last)
        rc = svp_buf_printf(b, ",\"%s\":%ld", last, v[n]);
    return rc ? rc : svp_buf_putc(b, '}');
}

int adults_sac_json(const struct adults_sac *f, struct svp_buf *b)
{
    char df[16], dt[16];
    svp_date_format(f->from, df, sizeof df);
    svp_date_format(f->to, dt, sizeof dt);
    int rc = svp_buf_printf(
        b,
        "{\"from\":\"%s\",\"to\":\"%s\",\"concerns\":%ld,\"concern_adults\":%ld,"
        "\"s42_started\":%ld,\"other_started\":%ld,\"s42_adults\":%ld,"
        "\"conversion_pct\":%.1f,\"s42_concluded\":%ld",
        df, dt, f->concerns, f->concern_adults, f->s42_started, f->other_started,
        f->s42_adults, adults_sac_conversion(f), f->s42_concluded);
    if (rc == SVP_OK)
        rc = put_counts(b, "s42_adults_by_age", adults_age_bands, ADULTS_NAGES, f->s42_by_age,
                        NULL);
    if (rc == SVP_OK)
        rc = put_counts(b, "s42_adults_by_sex", adults_sex_codes, ADULTS_NSEXES, f->s42_by_sex,
                        NULL);
    if (rc == SVP_OK)
        rc = put_counts(b, "concluded_by_type", adults_type_codes, ADULTS_NTYPES, f->by_type,
                        NULL);
    if (rc == SVP_OK)
        rc = put_counts(b, "concluded_by_location", adults_location_codes, ADULTS_NLOCATIONS,
                        f->by_location, "not_recorded");
    if (rc == SVP_OK)
        rc = put_counts(b, "concluded_by_source_of_risk", adults_source_codes, ADULTS_NSOURCES,
                        f->by_source, "not_recorded");
    if (rc == SVP_OK)
        rc = put_counts(b, "concluded_by_risk_assessment", adults_assess_codes, ADULTS_NASSESS,
                        f->by_assess, "not_recorded");
    if (rc == SVP_OK)
        rc = put_counts(b, "risk_result_where_action_taken", adults_result_codes,
                        ADULTS_NRESULTS, f->by_result, "not_recorded");
    if (rc == SVP_OK)
        rc = svp_buf_printf(b,
                            ",\"msp\":{\"asked_yes\":%ld,\"asked_no\":%ld,"
                            "\"asked_unknown\":%ld,\"expressed\":%ld,\"fully\":%ld,"
                            "\"partially\":%ld,\"not_achieved\":%ld}}",
                            f->msp_asked_yes, f->msp_asked_no, f->msp_asked_unknown,
                            f->msp_expressed, f->msp_fully, f->msp_partially, f->msp_not);
    return rc;
}
