/* Unit tests for the report room: periods, each figure's edges (12 months, two years, 45
 * working days, 72 hours, 7 working days, open at the period's end), children counted
 * once across linked records, absent events, benchmarks and narrative, allocation
 * failure. */
#include "testutil.h"

#include "registers/registers.h"
#include "report/report.h"

#include <stdio.h>
#include <string.h>

static int setup(void **state)
{
    return testutil_clock_setup(state);
}

static int teardown(void **state)
{
    return testutil_clock_teardown(state);
}

static void test_periods(void **state)
{
    (void)state;
    struct report_period p;
    struct svp_err err;
    assert_int_equal(report_period_parse("2021-22", &p, &err), 0);
    assert_int_equal(p.from, testutil_day("2021-04-01"));
    assert_int_equal(p.to, testutil_day("2022-03-31"));
    assert_string_equal(p.label, "2021-22");
    assert_int_equal(report_period_parse("fy2021", &p, &err), 0);
    assert_string_equal(p.label, "2021-22");
    assert_int_equal(report_period_parse("2024", &p, &err), 0);
    assert_int_equal(p.to, testutil_day("2024-12-31"));
    assert_int_equal(report_period_parse("2024Q1", &p, &err), 0);
    assert_int_equal(p.to, testutil_day("2024-03-31"));
    assert_int_equal(report_period_parse("2024-Q4", &p, &err), 0);
    assert_int_equal(p.from, testutil_day("2024-10-01"));
    assert_int_equal(report_period_parse("2024-02", &p, &err), 0);
    assert_int_equal(p.to, testutil_day("2024-02-29"));
    assert_int_equal(report_period_parse("2022-01-05..2022-02-03", &p, &err), 0);
    assert_int_equal(p.to - p.from, 29);
    const char *bad[] = {"",
                         "2021-23",
                         "2024Q5",
                         "2024-13",
                         "21-22",
                         "2022-02-30..2022-03-01",
                         "2022-03-01..2022-02-01",
                         "fy21",
                         "1800",
                         "2024Q",
                         "2024-Q1x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(report_period_parse(bad[i], &p, &err), SVP_EINPUT);
        assert_string_equal(err.field, "--period");
    }
    struct report_period q[8];
    assert_int_equal(report_period_parse("2021-22", &p, &err), 0);
    assert_int_equal(report_period_quarters(&p, q, 8), 4);
    assert_string_equal(q[0].label, "Apr-Jun 2021");
    assert_string_equal(q[3].label, "Jan-Mar 2022");
    assert_int_equal(q[3].to, p.to);
    report_period_fyear(testutil_day("2022-03-31"), &p);
    assert_string_equal(p.label, "2021-22");
    report_period_fyear(testutil_day("2022-04-01"), &p);
    assert_string_equal(p.label, "2022-23");
}

static int64_t next_id;

static int64_t add_record(struct store *s, const char *dob)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    char id[32];
    snprintf(id, sizeof id, "R%lld", (long long)++next_id);
    if (store_prepare(s,
                      "INSERT INTO record (source, agency, agency_record_id, dob) VALUES "
                      "('csc', 'csc', ?, ?)",
                      &st, &err) ||
        store_bind_text(st, 1, id, -1) || store_bind_text(st, 2, dob, -1) ||
        store_step(st, &err) < 0)
        fail_msg("insert record: %s", err.msg);
    store_finalize(&st);
    int64_t rid = 0;
    char q[128];
    snprintf(q, sizeof q, "SELECT id FROM record WHERE agency_record_id = '%s'", id);
    if (store_query_int64(s, q, &rid, &err))
        fail_msg("%s", err.msg);
    return rid;
}

static void add_event(struct store *s, int64_t record, const char *type, const char *subtype,
                      const char *start, const char *end, const char *detail)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    char id[32];
    snprintf(id, sizeof id, "E%lld", (long long)++next_id);
    if (store_prepare(s,
                      "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                      "subtype, started_at, ended_at, detail) VALUES ('test', 'csc', ?, ?, ?, ?, "
                      "?, ?, ?)",
                      &st, &err) ||
        store_bind_text(st, 1, id, -1) || store_bind_int64(st, 2, record) ||
        store_bind_text(st, 3, type, -1) || store_bind_text(st, 4, subtype, -1) ||
        store_bind_text(st, 5, start, -1) || store_bind_text(st, 6, end, -1) ||
        store_bind_text(st, 7, detail, -1) || store_step(st, &err) < 0)
        fail_msg("insert event: %s", err.msg);
    store_finalize(&st);
}

static struct report_value value_of(const struct report_data *d, const struct svp_calendar *cal,
                                    const char *figure, const char *period, struct report_ids *ids)
{
    const struct report_figure *f = report_figure_find(figure);
    assert_non_null(f);
    struct report_ctx c = {d, {0}, 10000, cal};
    struct svp_err err;
    assert_int_equal(report_period_parse(period, &c.period, &err), 0);
    struct report_value v;
    assert_int_equal(f->compute(&c, &v, ids), 0);
    return v;
}

/* Absent event types are "not available", never 0. */
static void test_absent(void **state)
{
    struct testutil_clock *f = *state;
    struct report_data *d = NULL;
    struct svp_err err;
    assert_int_equal(report_data_load(f->s, &d, &err), 0);
    size_t n;
    const struct report_figure *figs = report_figures(&n);
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        struct report_ctx c = {d, {0}, 1000, f->cal};
        assert_int_equal(report_period_parse("2021-22", &c.period, &err), 0);
        struct report_value v;
        assert_int_equal(figs[i].compute(&c, &v, NULL), 0);
        assert_false(v.available);
        /* the registers' figures: no entries in their register */
        assert_non_null(strncmp(figs[i].id, "reg_", 4) ? strstr(v.why, "events have been imported")
                                                        : strstr(v.why, "register"));
    }
    report_data_free(&d);
    assert_null(d);
}

static void test_referrals_and_assessments(void **state)
{
    struct testutil_clock *f = *state;
    int64_t a = add_record(f->s, "2010-01-01"), b = add_record(f->s, "2011-01-01");
    int64_t c = add_record(f->s, "2012-01-01"), a2 = add_record(f->s, "2010-01-01");
    /* a: referred 2021-05-10 and again exactly 12 months later: a re-referral */
    add_event(f->s, a, "referral", "mash", "2021-05-10", NULL, "{}");
    add_event(f->s, a, "referral", "mash", "2022-05-10", NULL, "{}");
    /* b: 12 months and a day apart: not one */
    add_event(f->s, b, "referral", "mash", "2021-05-09", NULL, "{}");
    add_event(f->s, b, "referral", "mash", "2022-05-10", NULL, "{}");
    /* c: once; a2 is a's second record, linked to the same person below */
    add_event(f->s, c, "referral", "mash", "2022-06-01", NULL, "{}");
    add_event(f->s, a2, "referral", "mash", "2022-07-01", NULL, "{}");
    testutil_exec(f->s, "INSERT INTO person (id, created_at) VALUES (500, 'x')");
    char sql[160];
    snprintf(sql, sizeof sql,
             "INSERT INTO person_record (record_id, person_id) VALUES (%lld, 500), (%lld, 500)",
             (long long)a, (long long)a2);
    testutil_exec(f->s, sql);
    /* assessments: 45 working days from Monday 2022-10-03 is Monday 2022-12-05 (nine weeks,
     * no bank holiday); one on the day, one a day late, one completed in the next year; and
     * one over the Jubilee: from 2022-06-01, 45 working days is 2022-08-05, not 08-03 */
    add_event(f->s, a, "assessment", "single", "2022-10-03", "2022-12-05", "{}");
    add_event(f->s, b, "assessment", "single", "2022-10-03", NULL,
              "{\"completed_at\": \"2022-12-06\"}");
    add_event(f->s, c, "assessment", "single", "2022-06-01", "2022-08-05", "{}");
    add_event(f->s, c, "assessment", "single", "2023-03-01", "2023-04-03", "{}");
    add_event(f->s, c, "contact", "early_help", "2022-06-01T10:00:00Z", NULL,
              "{\"outcome\": \"early_help\"}");
    add_event(f->s, c, "contact", "nfa", "2022-06-02T10:00:00Z", NULL, "{\"outcome\": \"nfa\"}");
    struct report_data *d = NULL;
    struct svp_err err;
    assert_int_equal(report_data_load(f->s, &d, &err), 0);
    struct report_ids ids = {0};
    struct report_value v = value_of(d, f->cal, "re_referrals_pct", "2022-23", &ids);
    assert_int_equal(v.den, 4);
    /* a's 2022-05-10 and the linked a2's 2022-07-01 (a referral two months before) */
    assert_int_equal(v.num, 2);
    assert_int_equal(ids.n, 1);
    assert_int_equal(ids.v[0], 500);
    report_ids_free(&ids);
    v = value_of(d, f->cal, "referrals_rate", "2022-23", NULL);
    assert_int_equal(v.num, 4);
    assert_true(v.value > 3.99 && v.value < 4.01);
    v = value_of(d, f->cal, "assessments_45_pct", "2022-23", NULL);
    assert_int_equal(v.den, 3);
    assert_int_equal(v.num, 2);
    v = value_of(d, f->cal, "assessments", "2023-24", NULL);
    assert_int_equal(v.num, 1);
    v = value_of(d, f->cal, "contacts_early_help", "2022-23", NULL);
    assert_int_equal(v.num, 1);
    v = value_of(d, f->cal, "early_help", "2022-23", NULL);
    assert_false(v.available);
    /* a year before the first referral: not known, not 0 */
    struct report_ctx cx = {d, {0}, 10000, f->cal};
    assert_int_equal(report_period_parse("2020-21", &cx.period, &err), 0);
    assert_int_equal(report_value_compute(report_figure_find("referrals"), &cx, &v, NULL), 0);
    assert_false(v.available);
    assert_string_equal(v.why, "before the first referral event imported (2021-05-09)");
    assert_int_equal(report_period_parse("2021-22", &cx.period, &err), 0);
    assert_int_equal(report_value_compute(report_figure_find("referrals"), &cx, &v, NULL), 0);
    assert_true(v.available);
    assert_int_equal(v.num, 2);
    report_data_free(&d);
}

static void test_cp_and_lac(void **state)
{
    struct testutil_clock *f = *state;
    int64_t a = add_record(f->s, "2010-01-01"), b = add_record(f->s, "2011-06-01");
    int64_t c = add_record(f->s, "2000-01-01");
    /* a: plan ended 2020-06-01 (its cp_plan_end), a second plan 2022-05-31: within 2 years */
    add_event(f->s, a, "cp_plan", NULL, "2019-01-01", NULL, "{\"plan_ref\": \"P1\"}");
    add_event(f->s, a, "cp_plan_end", NULL, "2020-06-01", NULL, "{\"plan_ref\": \"P1\"}");
    add_event(f->s, a, "cp_plan", NULL, "2022-05-31", NULL, "{\"plan_ref\": \"P2\"}");
    /* b: plan ended 2020-05-30, new one 2022-06-01: two years and two days, not within */
    add_event(f->s, b, "cp_plan", NULL, "2019-01-01", "2020-05-30", "{\"plan_ref\": \"P3\"}");
    add_event(f->s, b, "cp_plan", NULL, "2022-06-01", NULL, "{\"plan_ref\": \"P4\"}");
    add_event(f->s, b, "cp_plan_end", NULL, "2023-03-31", NULL, "{\"plan_ref\": \"P4\"}");
    struct report_data *d = NULL;
    struct svp_err err;
    /* looked after: a since 2019-06-01 in one placement 25 miles away; b from 2020-01-01,
     * placement moved 2022-01-01; c (over 16) in care since 2018 */
    add_event(f->s, a, "looked_after", "C2", "2019-06-01", NULL, "{}");
    add_event(f->s, a, "placement", "foster", "2019-06-01", NULL, "{\"distance_miles\": 25.0}");
    add_event(f->s, b, "looked_after", "C2", "2020-01-01", NULL, "{}");
    add_event(f->s, b, "placement", "foster", "2020-01-01", "2022-01-01",
              "{\"distance_miles\": 3}");
    add_event(f->s, b, "placement", "residential", "2022-01-01", NULL, "{\"distance_miles\": 20}");
    add_event(f->s, c, "looked_after", "V2", "2018-01-01", "2022-09-01", "{}");
    assert_int_equal(report_data_load(f->s, &d, &err), 0);
    struct report_value v = value_of(d, f->cal, "cp_second_2y_pct", "2022-23", NULL);
    assert_int_equal(v.den, 2);
    assert_int_equal(v.num, 1);
    /* at 2023-03-31: a's P2 open; b's P4 ended that day (not open) */
    v = value_of(d, f->cal, "cp_plans", "2022-23", NULL);
    assert_int_equal(v.num, 1);
    v = value_of(d, f->cal, "cp_plans", "2022Q1", NULL);
    assert_int_equal(v.num, 0);
    v = value_of(d, f->cal, "lac", "2022-23", NULL);
    assert_int_equal(v.num, 2);
    v = value_of(d, f->cal, "lac", "2022Q2", NULL);
    assert_int_equal(v.num, 3);
    v = value_of(d, f->cal, "lac_over_20_miles_pct", "2022-23", NULL);
    assert_int_equal(v.den, 2);
    assert_int_equal(v.num, 1); /* 20.0 is not more than 20 */
    /* 2.5 years in care by 2023-03-31 and under 16: a (same placement 2019) and b (moved
     * 2022-01-01: not 2 years) */
    v = value_of(d, f->cal, "lac_stability_pct", "2022-23", NULL);
    assert_int_equal(v.den, 2);
    assert_int_equal(v.num, 1);
    v = value_of(d, f->cal, "lac_three_placements_pct", "2021-22", NULL);
    assert_int_equal(v.num, 0);
    report_data_free(&d);
}

static void test_missing_da_pf(void **state)
{
    struct testutil_clock *f = *state;
    int64_t a = add_record(f->s, "2008-01-01"), b = add_record(f->s, "2009-01-01");
    add_event(f->s, a, "missing_episode", "missing", "2022-05-01T20:00:00Z", NULL,
              "{\"looked_after\": 1, \"found_out_of_county\": 1}");
    add_event(f->s, a, "missing_episode", "missing", "2022-06-01T20:00:00Z", NULL,
              "{\"missing_from\": \"home\"}");
    add_event(f->s, b, "missing_episode", "missing", "2022-06-02T20:00:00Z", NULL, "{}");
    /* return interviews: offered at exactly 72 h, at 72 h and a minute, never */
    add_event(f->s, a, "return_interview", "completed", "2022-05-02T10:00:00Z",
              "2022-05-04T09:00:00Z",
              "{\"outcome\": \"completed\", \"returned_at\": \"2022-05-02T10:00:00Z\", "
              "\"offered_at\": \"2022-05-05T10:00:00Z\", \"completed_at\": "
              "\"2022-05-04T09:00:00Z\"}");
    add_event(f->s, a, "return_interview", "declined", "2022-06-02T10:00:00Z", NULL,
              "{\"outcome\": \"declined\", \"returned_at\": \"2022-06-02T10:00:00Z\", "
              "\"offered_at\": \"2022-06-05T10:01:00Z\"}");
    add_event(f->s, b, "return_interview", "not_completed", "2022-06-03T10:00:00Z", NULL,
              "{\"outcome\": \"not_completed\"}");
    add_event(f->s, a, "da_incident", "high", "2022-07-01T01:00:00Z", NULL,
              "{\"role\": \"victim\"}");
    add_event(f->s, b, "da_incident", "high", "2022-07-01T01:00:00Z", NULL,
              "{\"role\": \"child_in_household\"}");
    add_event(f->s, b, "da_incident", "high", "2022-08-01T01:00:00Z", NULL,
              "{\"role\": \"child_in_household\"}");
    add_event(f->s, a, "marac", NULL, "2022-07-10", NULL, "{\"children\": 3}");
    /* private fostering: notified Friday 2022-08-26; 7 working days (Monday 29th is a bank
     * holiday) is 2022-09-07; visited that day, and a day later */
    add_event(f->s, b, "private_fostering", "notification", "2022-08-26", NULL,
              "{\"arrangement_ref\": \"PFA1\"}");
    add_event(f->s, b, "private_fostering", "visit", "2022-09-07", NULL,
              "{\"arrangement_ref\": \"PFA1\"}");
    add_event(f->s, a, "private_fostering", "notification", "2022-08-26", NULL,
              "{\"arrangement_ref\": \"PFA2\"}");
    add_event(f->s, a, "private_fostering", "visit", "2022-09-08", NULL,
              "{\"arrangement_ref\": \"PFA2\"}");
    add_event(f->s, a, "private_fostering", "end", "2022-12-01", NULL,
              "{\"arrangement_ref\": \"PFA2\"}");
    struct report_data *d = NULL;
    struct svp_err err;
    assert_int_equal(report_data_load(f->s, &d, &err), 0);
    struct report_value v = value_of(d, f->cal, "missing_episodes", "2022-23", NULL);
    assert_int_equal(v.num, 3);
    assert_int_equal(value_of(d, f->cal, "missing_children", "2022-23", NULL).num, 2);
    assert_int_equal(value_of(d, f->cal, "missing_repeat", "2022-23", NULL).num, 1);
    assert_int_equal(value_of(d, f->cal, "missing_looked_after", "2022-23", NULL).num, 1);
    assert_int_equal(value_of(d, f->cal, "missing_out_of_county_pct", "2022-23", NULL).num, 1);
    v = value_of(d, f->cal, "rhi_offered_72h_pct", "2022-23", NULL);
    assert_int_equal(v.den, 3);
    assert_int_equal(v.num, 1);
    assert_int_equal(value_of(d, f->cal, "rhi_completed_72h_pct", "2022-23", NULL).num, 1);
    assert_int_equal(value_of(d, f->cal, "rhi_declined_pct", "2022-23", NULL).num, 1);
    assert_int_equal(value_of(d, f->cal, "da_incidents", "2022-23", NULL).num, 1);
    assert_int_equal(value_of(d, f->cal, "da_children_present", "2022-23", NULL).num, 1);
    assert_int_equal(value_of(d, f->cal, "marac_children", "2022-23", NULL).num, 3);
    v = value_of(d, f->cal, "pf_first_visit_pct", "2022-23", NULL);
    assert_int_equal(v.den, 2);
    assert_int_equal(v.num, 1);
    assert_int_equal(value_of(d, f->cal, "pf_arrangements", "2022-23", NULL).num, 1);
    assert_int_equal(value_of(d, f->cal, "pf_arrangements", "2022Q3", NULL).num, 2);
    report_data_free(&d);
}

static void test_benchmarks(void **state)
{
    (void)state;
    struct report_benchmarks *b = NULL;
    struct svp_err err;
    assert_int_equal(report_benchmarks_load(NULL, NULL, &b, &err), 0);
    const struct report_figure *f = report_figure_find("re_referrals_pct");
    const struct report_benchmark *eng = NULL;
    for (size_t i = 0; i < b->n; i++) {
        if (!strcmp(b->v[i].figure, "re_referrals_pct") && !strcmp(b->v[i].comparator, "England"))
            eng = &b->v[i];
        /* every value is either from the seeds with its source or says illustrative */
        assert_true(b->v[i].illustrative || strstr(b->v[i].source, "annual report"));
        assert_true(!b->v[i].illustrative || strstr(b->v[i].source, "illustrative"));
    }
    assert_non_null(eng);
    struct report_value v = {
        .available = true, .has_value = true, .num = 739, .den = 3912, .value = 18.9};
    char line[240];
    bool ex;
    report_narrative(f, &v, eng, b, line, sizeof line, &ex);
    assert_string_equal(line, "re-referrals within 12 months 18.9%, below England's 22.0% "
                              "(2016-17)");
    assert_false(ex);
    v.value = 24.5; /* worse than 22 by more than the 2-point margin */
    report_narrative(f, &v, eng, b, line, sizeof line, &ex);
    assert_true(ex);
    assert_non_null(strstr(line, "above England's 22.0%"));
    v.value = 23.5; /* worse, within the margin */
    report_narrative(f, &v, eng, b, line, sizeof line, &ex);
    assert_false(ex);
    v.available = false;
    report_narrative(f, &v, eng, b, line, sizeof line, &ex);
    assert_non_null(strstr(line, "not available"));
    report_benchmarks_free(&b);
    assert_null(b);
    long pop;
    char src[160];
    assert_int_equal(report_population(0, &pop, src, sizeof src, &err), 0);
    assert_int_equal(pop, 104000);
    assert_int_equal(report_population(3000, &pop, src, sizeof src, &err), 0);
    assert_int_equal(pop, 3000);
}

static void add_review(struct store *s, const char *ref, const char *kind, const char *aware,
                       const char *notified, const char *sent)
{
    struct reg_entry e;
    struct svp_err err;
    assert_int_equal(reg_entry_init(&e, reg_schema_find("review"), &err), 0);
    svp_strlcpy(e.ref, ref, sizeof e.ref);
    assert_int_equal(reg_entry_set(&e, "kind", kind, &err), 0);
    assert_int_equal(reg_entry_set(&e, "awareness", aware, &err), 0);
    assert_int_equal(reg_entry_set(&e, "notification", notified, &err), 0);
    assert_int_equal(reg_entry_set(&e, "rapid_review_sent", sent, &err), 0);
    if (reg_add(s, &e, NULL, &err))
        fail_msg("%s", err.msg);
    reg_entry_clear(&e);
}

/* Rapid reviews are timed from becoming aware: a review sent on day 16 after awareness but
 * day 13 after its notification is late; one without the awareness date is not timed from
 * its notification instead. */
static void test_case_reviews(void **state)
{
    struct testutil_clock *f = *state;
    add_review(f->s, "RR1", "rapid_review", "2022-01-10", "2022-01-13", "2022-02-01");
    add_review(f->s, "RR2", "rapid_review", "2022-03-01", "2022-03-03", "2022-03-18");
    add_review(f->s, "RR3", "lcspr", NULL, "2022-03-07", "2022-03-11");
    add_review(f->s, "OLD", "rapid_review", "2019-03-01", "2019-03-03", "2019-03-18");
    struct report_case_reviews r;
    struct svp_err err;
    assert_int_equal(report_case_reviews(f->s, f->cal, testutil_day("2021-04-01"),
                                         testutil_day("2022-03-31"), &r, &err),
                     0);
    assert_int_equal(r.notifications, 3);
    assert_int_equal(r.notifications_on_time, 2); /* RR3 has no awareness day */
    assert_int_equal(r.rapid_reviews, 3);
    assert_int_equal(r.rapid_on_time, 1);
    assert_int_equal(r.rapid_max_day, 16);
    assert_int_equal(r.rapid_unknown, 1);
    assert_string_equal(r.sentences[1], "Rapid reviews within 15 working days of becoming aware: 3 "
                                        "completed, 1 submitted within 15 working days, 1 "
                                        "submitted on day 16, 1 without the day of becoming "
                                        "aware");
    /* every review, from the beginning */
    assert_int_equal(report_case_reviews(f->s, f->cal, 0, 0, &r, &err), 0);
    assert_int_equal(r.rapid_reviews, 4);
}

/* Every allocation of a whole dataset build failing in turn: SVP_ENOMEM, never a crash. */
static void test_torture(void **state)
{
    struct testutil_clock *f = *state;
    int64_t a = add_record(f->s, "2010-01-01");
    add_event(f->s, a, "referral", "mash", "2022-05-10", NULL, "{}");
    add_event(f->s, a, "looked_after", "C2", "2022-05-10", NULL, "{}");
    add_event(f->s, a, "placement", "foster", "2022-05-10", NULL, "{\"distance_miles\": 2}");
    for (int n = 0;; n++) {
        svp_mem_fail_after(n);
        struct report_dataset *ds = NULL;
        struct svp_err err;
        struct report_opts o = {.period = "2022-23"};
        int rc = report_dataset_build(f->s, f->cal, &o, &ds, &err);
        struct svp_buf b;
        svp_buf_init(&b, 1 << 20);
        int rc2 = rc == 0 ? report_write(ds, REPORT_HTML, &b, &err) : 0;
        svp_buf_free(&b);
        report_dataset_free(&ds);
        bool fired = svp_mem_failed();
        svp_mem_fail_after(-1);
        if (!fired) {
            assert_int_equal(rc, 0);
            assert_int_equal(rc2, 0);
            break;
        }
        assert_true(rc == 0 || rc == SVP_ENOMEM || rc == SVP_EDB);
        assert_true(n < 20000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_periods),
        cmocka_unit_test_setup_teardown(test_absent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_referrals_and_assessments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cp_and_lac, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_da_pf, setup, teardown),
        cmocka_unit_test(test_benchmarks),
        cmocka_unit_test_setup_teardown(test_case_reviews, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torture, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
