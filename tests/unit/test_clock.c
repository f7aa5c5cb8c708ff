/* Unit tests for the clock room: the rules table, single clocks, clocks over events
 * inserted straight into the event table, and bank holidays imported into the database.
 * Runs on SQLite and PostgreSQL. */
#include "testutil.h"

#include "clock/clock.h"

#include <stdlib.h>
#include <string.h>

#define D testutil_day

static struct clock_moment M(const char *iso) {
    struct clock_moment m = {0};
    struct svp_err err;
    if (iso && clock_moment_parse(iso, &m, &err))
        fail_msg("bad test moment %s: %s", iso, err.msg);
    return m;
}

#define setup testutil_clock_setup
#define teardown testutil_clock_teardown

#define exec_ok testutil_exec

/* ------------------------------------------------------------------ rules */

static const char header[] =
    "id,times,start_event,start_field,stop_event,stop_field,amount,unit,direction,when,until,"
    "source\n";

static void expect_bad_rules(const char *row, long line, const char *field, const char *msg)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s\n", header, row);
    struct clock_rules *rules = NULL;
    struct svp_err err;
    svp_err_clear(&err);
    int rc = clock_rules_parse(text, strlen(text), "r.csv", &rules, &err);
    if (rc != SVP_EINPUT)
        fail_msg("row '%s' accepted (rc %d)", row, rc);
    assert_null(rules);
    assert_int_equal(err.line, line);
    if (field)
        assert_string_equal(err.field, field);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

static void test_rules_default(void **state)
{
    struct testutil_clock *f = *state;
    /* every timescale the issue lists ships in data/clock-rules.csv */
    static const char *const ids[] = {
        "notification",      "rapid_review",
        "lcspr_publication", "final_report",
        "sar_publication",   "dhr_decision",
        "dhr_completion",    "referral_decision",
        "single_assessment", "icpc",
        "cp_review_first",   "cp_review_later",
        "lac_review_first",  "lac_review_second",
        "lac_review_later",  "initial_health_assessment",
        "return_interview",  "pf_first_visit",
        "pf_visit_year1",    "pf_visit_later",
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (!clock_rules_find(f->rules, ids[i]))
            fail_msg("rule %s missing", ids[i]);
    const struct clock_rule *r = clock_rules_find(f->rules, "return_interview");
    assert_int_equal(r->unit, CLOCK_HOURS);
    assert_int_equal(r->amount, 72);
    assert_string_equal(r->start_field, "returned_at");
    r = clock_rules_find(f->rules, "final_report");
    assert_int_equal(r->direction, -1);
    assert_int_equal(r->when, CLOCK_WHEN_FIELD);
    assert_true(clock_rule_when_matches(r, "lcspr"));
    assert_false(clock_rule_when_matches(r, "lcs"));
    assert_true(clock_rule_is_register(r, NULL));
    assert_null(clock_rules_find(f->rules, "nope"));
}

static void test_rules_refused(void **state)
{
    (void)state;
    expect_bad_rules("a,t,referral,started_at,same,d,5,fortnights,after,,,s", 2, "unit",
                     "unknown unit 'fortnights'");
    expect_bad_rules("a,t,referral,started_at,same,d,-5,working_days,after,,,s", 2, "amount",
                     "not a whole number");
    expect_bad_rules("a,t,referral,started_at,same,d,0,working_days,after,,,s", 2, "amount",
                     "not a whole number");
    expect_bad_rules("a,t,referral,started_at,same,d,1.5,working_days,after,,,s", 2, "amount",
                     "not a whole number");
    expect_bad_rules("a,t,referral,started_at,same,d,5,working_days,around,,,s", 2, "direction",
                     "neither");
    expect_bad_rules("a,t,referral,started_at,same,d,5,working_days,after,sometimes,,s", 2, "when",
                     "is not one of");
    expect_bad_rules("a,t,lac_review,started_at,lac_review,started_at,3,months,after,"
                     "first:Looked After,,s",
                     2, "when", "does not name an event type");
    expect_bad_rules("a,t,Referral Type,started_at,same,d,5,working_days,after,,,s", 2,
                     "start_event", "is not a name");
    expect_bad_rules("a,t,referral,started_at,same,d,5,working_days,after,,s", 2, NULL,
                     "11 fields, expected 12");
    expect_bad_rules("a,t,referral,started_at,same,d,5,working_days,after,,Bad Until,s", 2, "until",
                     "not EVENT or EVENT.FIELD");
    expect_bad_rules("a,t,register:review,awareness,same,d,5,working_days,after,,x,s", 2, "until",
                     "cannot have 'until'");
    expect_bad_rules("a,t,register:review,awareness,icpc,started_at,5,working_days,after,,,s", 2,
                     "stop_event", "same register");
    expect_bad_rules("a,t,referral,started_at,same,d,5,working_days,after,,,s\n"
                     "a,t,referral,started_at,same,d,6,working_days,after,,,s",
                     3, "id", "already defined on line 2");
    /* a bad header and an empty table */
    struct clock_rules *rules = NULL;
    struct svp_err err;
    const char *bad = "id,what\nx,y\n";
    assert_int_equal(clock_rules_parse(bad, strlen(bad), "r.csv", &rules, &err), SVP_EINPUT);
    assert_int_equal(clock_rules_parse(header, strlen(header), "r.csv", &rules, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "no rules"));
    assert_int_equal(clock_rules_load("/nonexistent/rules.csv", &rules, &err), SVP_EIO);
    assert_null(rules);
}

/* A table is refused at its 10,001st rule, where the message says (it once stopped at 8,192
 * while saying 10,000). */
static void test_rules_cap(void **state)
{
    (void)state;
    struct svp_buf b;
    svp_buf_init(&b, 1 << 24);
    assert_int_equal(svp_buf_puts(&b, header), 0);
    for (int i = 1; i <= 10000; i++)
        assert_int_equal(svp_buf_printf(&b, "r%d,t,referral,started_at,same,d,5,working_days,"
                                            "after,,,s\n", i),
                         0);
    struct clock_rules *rules = NULL;
    struct svp_err err;
    if (clock_rules_parse(b.data, b.len, "r.csv", &rules, &err))
        fail_msg("10000 rules refused: %s", err.msg);
    clock_rules_free(&rules);
    assert_int_equal(svp_buf_puts(&b, "r10001,t,referral,started_at,same,d,5,working_days,"
                                      "after,,,s\n"),
                     0);
    assert_int_equal(clock_rules_parse(b.data, b.len, "r.csv", &rules, &err), SVP_EINPUT);
    assert_int_equal(err.line, 10002);
    assert_non_null(strstr(err.msg, "more than 10000 rules"));
    assert_null(rules);
    svp_buf_free(&b);
}

/* ------------------------------------------------------------------ single clocks */

static void check_clock(struct testutil_clock *f, const char *rule, const char *start,
                        const char *stop, const char *as_of, const char *want_due,
                        enum clock_state want, int want_taken, int want_late)
{
    struct clock_item it;
    clock_evaluate(f->cal, clock_rules_find(f->rules, rule), M(start), M(stop), D(as_of), &it);
    char due[16];
    svp_date_format(it.due.day, due, sizeof due);
    if (strcmp(due, want_due) || it.state != want || it.taken != want_taken ||
        it.late_by != want_late)
        fail_msg("%s from %s: due %s %s taken %d late %d; want %s %s taken %d late %d", rule, start,
                 due, clock_state_name(it.state), it.taken, it.late_by, want_due,
                 clock_state_name(want), want_taken, want_late);
}

static void test_evaluate(void **state)
{
    struct testutil_clock *f = *state;
    /* 5 working days over the Platinum Jubilee (2-3 June 2022) */
    check_clock(f, "notification", "2022-05-31", "2022-06-07", "2022-07-01", "2022-06-09",
                CLOCK_MET, 3, 0);
    /* 15 working days over the State Funeral (19 September 2022): day 16 is late by 1 */
    check_clock(f, "rapid_review", "2022-09-09", "2022-10-03", "2022-11-01", "2022-10-03",
                CLOCK_MET, 15, 0);
    check_clock(f, "rapid_review", "2022-09-09", "2022-10-04", "2022-11-01", "2022-10-03",
                CLOCK_LATE, 16, 1);
    /* months clamp to the month's end */
    check_clock(f, "lcspr_publication", "2021-08-31", NULL, "2022-01-10", "2022-02-28", CLOCK_OPEN,
                91, 0);
    check_clock(f, "lcspr_publication", "2021-08-31", NULL, "2022-03-02", "2022-02-28",
                CLOCK_OVERDUE, 128, 2);
    /* 7 working days before publication on Tuesday 9 May 2023 (Coronation on the 8th,
     * early May holiday on the 1st) */
    check_clock(f, "final_report", "2023-05-09", "2023-04-26", "2023-06-01", "2023-04-26",
                CLOCK_MET, 7, 0);
    check_clock(f, "final_report", "2023-05-09", "2023-04-27", "2023-06-01", "2023-04-26",
                CLOCK_LATE, 6, 1);
    /* 72 hours is clock hours, not working days */
    check_clock(f, "return_interview", "2023-05-05T18:00:00Z", "2023-05-08T17:59:00Z", "2023-06-01",
                "2023-05-08", CLOCK_MET, 72, 0);
    check_clock(f, "return_interview", "2023-05-05T18:00:00Z", "2023-05-08T18:30:00Z", "2023-06-01",
                "2023-05-08", CLOCK_LATE, 73, 1);
    /* 6 weeks is 42 calendar days */
    check_clock(f, "pf_visit_year1", "2023-01-02", "2023-02-13", "2023-06-01", "2023-02-13",
                CLOCK_MET, 30, 0);
    /* outside the known bank holidays: refused, not guessed */
    struct clock_item it;
    clock_evaluate(f->cal, clock_rules_find(f->rules, "notification"), M("2035-01-01"), M(NULL),
                   D("2026-01-01"), &it);
    assert_int_equal(it.state, CLOCK_UNKNOWN);
    assert_non_null(strstr(it.why, "outside the bank holidays known"));
}

static void test_summary_sentence(void **state)
{
    struct testutil_clock *f = *state;
    struct clock_list list = {0};
    struct clock_item it;
    const struct clock_rule *r = clock_rules_find(f->rules, "single_assessment");
    for (int i = 0; i < 100; i++) {
        /* 89 on time, 8 late, 3 overdue: "89% within 45 working days" */
        const char *stop = i < 89 ? "2023-03-01" : i < 97 ? "2023-04-03" : NULL;
        clock_evaluate(f->cal, r, M("2023-01-03"), M(stop), D("2023-06-01"), &it);
        assert_int_equal(clock_list_push(&list, &it), 0);
    }
    struct clock_summary *rows = NULL;
    size_t n = 0;
    struct svp_err err;
    assert_int_equal(clock_summarise(f->rules, &list, &rows, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].due, 100);
    assert_int_equal(rows[0].on_time, 89);
    assert_int_equal(rows[0].late, 8);
    assert_int_equal(rows[0].overdue, 3);
    assert_int_equal(rows[0].pct_on_time, 89);
    char line[512];
    clock_summary_sentence(&rows[0], line, sizeof line);
    assert_string_equal(line, "single assessment completed: 100 due, 89 within 45 working days "
                              "(89%), 8 late (up to 19 working days late), 3 overdue");
    svp_free(rows);
    clock_list_free(&list);
}

static void test_periods(void **state)
{
    struct testutil_clock *f = *state;
    svp_day a, b;
    char label[16];
    clock_period_bounds(CLOCK_PERIOD_FYEAR, D("2022-03-31"), &a, &b, label, sizeof label);
    assert_string_equal(label, "2021-22");
    assert_int_equal(a, D("2021-04-01"));
    assert_int_equal(b, D("2022-03-31"));
    clock_period_bounds(CLOCK_PERIOD_FYEAR, D("2022-04-01"), &a, &b, label, sizeof label);
    assert_string_equal(label, "2022-23");
    clock_period_bounds(CLOCK_PERIOD_QUARTER, D("2024-02-29"), &a, &b, label, sizeof label);
    assert_string_equal(label, "2024 Q1");
    assert_int_equal(b, D("2024-03-31"));
    clock_period_bounds(CLOCK_PERIOD_MONTH, D("2024-02-10"), &a, &b, label, sizeof label);
    assert_string_equal(label, "2024-02");
    assert_int_equal(b, D("2024-02-29"));
    clock_period_bounds(CLOCK_PERIOD_YEAR, D("1999-12-31"), &a, &b, label, sizeof label);
    assert_string_equal(label, "1999");
    assert_int_equal(a, D("1999-01-01"));
    enum clock_period p;
    struct svp_err err;
    assert_int_equal(clock_period_parse("fyear", &p, &err), 0);
    assert_int_equal(p, CLOCK_PERIOD_FYEAR);
    assert_int_equal(clock_period_parse("fortnight", &p, &err), SVP_EINPUT);
    /* two financial years of referral decisions, one late in the second */
    const struct clock_rule *r = clock_rules_find(f->rules, "referral_decision");
    struct clock_list l = {0};
    struct clock_item it;
    static const char *const starts[] = {"2022-03-01", "2022-03-30", "2022-04-04", "2022-05-03"};
    static const char *const stops[] = {"2022-03-02", "2022-03-31", "2022-04-05", "2022-05-05"};
    for (int i = 0; i < 4; i++) {
        clock_evaluate(f->cal, r, M(starts[i]), M(stops[i]), D("2023-01-01"), &it);
        assert_int_equal(clock_list_push(&l, &it), 0);
    }
    struct clock_period_summary *ps = NULL;
    size_t n = 0;
    assert_int_equal(clock_summarise_by(f->rules, &l, CLOCK_PERIOD_FYEAR, &ps, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(ps[0].label, "2021-22");
    assert_int_equal(ps[0].rows[0].on_time, 2);
    assert_int_equal(ps[0].rows[0].pct_on_time, 100);
    assert_string_equal(ps[1].label, "2022-23");
    assert_int_equal(ps[1].rows[0].late, 1);
    assert_int_equal(ps[1].rows[0].pct_on_time, 50);
    clock_period_summaries_free(&ps, n);
    assert_null(ps);
    clock_list_free(&l);
}

/* ------------------------------------------------------------------ clocks over events */

static int64_t next_id;

static int64_t add_record(struct store *s, const char *source)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    char id[32];
    snprintf(id, sizeof id, "R%lld", (long long)++next_id);
    if (store_prepare(s,
                      "INSERT INTO record (source, agency, agency_record_id) VALUES (?, 'csc', ?)",
                      &st, &err) ||
        store_bind_text(st, 1, source, -1) || store_bind_text(st, 2, id, -1) ||
        store_step(st, &err) < 0)
        fail_msg("insert record: %s", err.msg);
    store_finalize(&st);
    int64_t rid = 0;
    char q[128];
    snprintf(q, sizeof q, "SELECT id FROM record WHERE agency_record_id = 'R%lld'",
             (long long)next_id);
    if (store_query_int64(s, q, &rid, &err))
        fail_msg("%s", err.msg);
    return rid;
}

static void add_event(struct store *s, int64_t record, const char *type, const char *start,
                      const char *end, const char *detail)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    char id[32];
    snprintf(id, sizeof id, "E%lld", (long long)++next_id);
    if (store_prepare(s,
                      "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                      "started_at, ended_at, detail) VALUES ('test', 'csc', ?, ?, ?, ?, ?, ?)",
                      &st, &err) ||
        store_bind_text(st, 1, id, -1) || store_bind_int64(st, 2, record) ||
        store_bind_text(st, 3, type, -1) || store_bind_text(st, 4, start, -1) ||
        store_bind_text(st, 5, end, -1) || store_bind_text(st, 6, detail, -1) ||
        store_step(st, &err) < 0)
        fail_msg("insert event: %s", err.msg);
    store_finalize(&st);
}

static const struct clock_item *find_item(const struct clock_list *l, const char *rule, int nth)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].rule->id, rule) && nth-- == 0)
            return &l->v[i];
    return NULL;
}

static int count_rule(const struct clock_list *l, const char *rule)
{
    int n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += !strcmp(l->v[i].rule->id, rule);
    return n;
}

static void compute(struct testutil_clock *f, const char *as_of, struct clock_list *l,
                    long *skipped)
{
    struct clock_query q = {.as_of = D(as_of)};
    struct svp_err err;
    *skipped = 0;
    if (clock_compute_events(f->s, f->cal, f->rules, &q, l, skipped, &err))
        fail_msg("compute: %s", err.msg);
}

static void test_events_interviews_and_referrals(void **state)
{
    struct testutil_clock *f = *state;
    int64_t child = add_record(f->s, "rhi");
    /* returned Friday 18:00, interview offered Monday 17:00: within 72 hours */
    add_event(f->s, child, "return_interview", "2023-05-05T18:00:00Z", NULL,
              "{\"returned_at\":\"2023-05-05T18:00:00Z\",\"offered_at\":\"2023-05-08T17:00:00Z\"}");
    /* offered after 73 hours */
    add_event(f->s, child, "return_interview", "2023-05-20T10:00:00Z", NULL,
              "{\"returned_at\":\"2023-05-20T10:00:00Z\",\"offered_at\":\"2023-05-23T10:30:00Z\"}");
    /* returned, never offered: overdue */
    add_event(f->s, child, "return_interview", "2023-06-02T10:00:00Z", NULL,
              "{\"returned_at\":\"2023-06-02T10:00:00Z\"}");
    /* no return recorded: no clock runs */
    add_event(f->s, child, "return_interview", "2023-07-01T09:00:00Z", NULL, "{}");
    /* a referral decided next working day; one decided late; one with a bad date and one
     * whose own date cannot be read */
    int64_t csc = add_record(f->s, "csc");
    add_event(f->s, csc, "referral", "2022-06-01", NULL, "{\"decision_at\":\"2022-06-06\"}");
    add_event(f->s, csc, "referral", "2022-06-06", NULL, "{\"decision_at\":\"2022-06-08\"}");
    add_event(f->s, csc, "referral", "2022-07-01", NULL, "{\"decision_at\":\"2022-13-01\"}");
    add_event(f->s, csc, "referral", "not a date", NULL, NULL);
    /* a single assessment completed on working day 45 (the Jubilee on the way) */
    add_event(f->s, csc, "assessment", "2022-06-01", "2022-08-05",
              "{\"completed_at\":\"2022-08-05\"}");
    /* the strategy discussion is on one record, the conference on another record of the
     * same linked person; a discussion that led to no plan starts no clock */
    int64_t other = add_record(f->s, "csc-old");
    add_event(f->s, csc, "strategy_discussion", "2023-04-28", NULL, "{\"plan_ref\":\"PLN1\"}");
    add_event(f->s, csc, "strategy_discussion", "2023-03-01", NULL, "{}");
    add_event(f->s, other, "cp_conference", "2023-05-19", NULL, "{\"plan_ref\":\"PLN1\"}");
    exec_ok(f->s, "UPDATE event SET subtype = 'initial' WHERE type = 'cp_conference'");
    exec_ok(f->s, "INSERT INTO person (id, created_at) VALUES (900, 'x')");
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO person_record (record_id, person_id) VALUES (%lld, 900), (%lld, 900)",
             (long long)csc, (long long)other);
    exec_ok(f->s, sql);

    struct clock_list l = {0};
    long skipped;
    compute(f, "2023-09-01", &l, &skipped);
    assert_int_equal(count_rule(&l, "return_interview"), 3);
    assert_int_equal(find_item(&l, "return_interview", 0)->state, CLOCK_MET);
    assert_int_equal(find_item(&l, "return_interview", 0)->taken, 71);
    assert_int_equal(find_item(&l, "return_interview", 1)->state, CLOCK_LATE);
    assert_int_equal(find_item(&l, "return_interview", 1)->late_by, 1);
    assert_int_equal(find_item(&l, "return_interview", 2)->state, CLOCK_OVERDUE);
    assert_int_equal(count_rule(&l, "referral_decision"), 3);
    assert_int_equal(find_item(&l, "referral_decision", 0)->state, CLOCK_MET);
    assert_int_equal(find_item(&l, "referral_decision", 1)->state, CLOCK_LATE);
    assert_int_equal(find_item(&l, "referral_decision", 1)->late_by, 1);
    /* the bad decision date leaves the clock running, and is counted as unreadable */
    assert_int_equal(find_item(&l, "referral_decision", 2)->state, CLOCK_OVERDUE);
    assert_int_equal(skipped, 2); /* the "not a date" referral, the bad decision date */
    const struct clock_item *sa = find_item(&l, "single_assessment", 0);
    char due[16];
    svp_date_format(sa->due.day, due, sizeof due);
    assert_string_equal(due, "2022-08-05");
    assert_int_equal(sa->state, CLOCK_MET);
    assert_int_equal(sa->taken, 45);
    /* ICPC 15 working days after 2023-04-28: over the early May and Coronation holidays */
    assert_int_equal(count_rule(&l, "icpc"), 1);
    const struct clock_item *icpc = find_item(&l, "icpc", 0);
    svp_date_format(icpc->due.day, due, sizeof due);
    assert_string_equal(due, "2023-05-23");
    assert_int_equal(icpc->state, CLOCK_MET); /* found through the linked person */
    assert_int_equal(icpc->taken, 13);

    /* due soon: oldest deadline first */
    struct clock_list soon = {0};
    struct svp_err err;
    assert_int_equal(clock_due_soon(f->cal, &l, D("2023-09-01"), 5, &soon, &err), 0);
    /* (the conference's first review, due 2023-08-19, has not been held either) */
    assert_int_equal(soon.n, 3);
    assert_string_equal(soon.v[0].rule->id, "referral_decision");
    assert_string_equal(soon.v[1].rule->id, "return_interview");
    assert_string_equal(soon.v[2].rule->id, "cp_review_first");
    assert_int_equal(soon.v[2].state, CLOCK_OVERDUE);
    clock_list_free(&soon);

    /* the report's query: one rule, a period by deadline */
    struct clock_list only = {0};
    struct clock_query q = {.rule_id = "referral_decision",
                            .has_from = true,
                            .from = D("2022-06-07"),
                            .as_of = D("2023-09-01")};
    assert_int_equal(clock_compute_events(f->s, f->cal, f->rules, &q, &only, NULL, &err), 0);
    assert_int_equal(only.n, 2);
    clock_list_free(&only);
    clock_list_free(&l);
}

/* Looked-after reviews run per care episode: a child looked after again has a first
 * review within 20 working days and a second within 3 months of that first review, not 6
 * months as a later review of the first episode would. */
static void test_lac_reviews_per_episode(void **state)
{
    struct testutil_clock *f = *state;
    int64_t c = add_record(f->s, "csc");
    add_event(f->s, c, "looked_after", "2022-01-04", "2022-03-01", NULL);
    add_event(f->s, c, "lac_review", "2022-01-31", NULL, NULL);
    add_event(f->s, c, "looked_after", "2022-06-01", NULL, NULL);
    add_event(f->s, c, "lac_review", "2022-06-28", NULL, NULL);
    add_event(f->s, c, "lac_review", "2022-10-10", NULL, NULL); /* 3 months: 2022-09-28 */
    struct clock_list l = {0};
    long skipped;
    compute(f, "2023-09-01", &l, &skipped);
    assert_int_equal(count_rule(&l, "lac_review_first"), 2);
    assert_int_equal(find_item(&l, "lac_review_first", 0)->state, CLOCK_MET);
    assert_int_equal(find_item(&l, "lac_review_first", 1)->state, CLOCK_MET);
    /* the first episode ended before its second review fell due */
    assert_int_equal(count_rule(&l, "lac_review_second"), 1);
    const struct clock_item *second = find_item(&l, "lac_review_second", 0);
    char start[16];
    svp_date_format(second->start.day, start, sizeof start);
    assert_string_equal(start, "2022-06-28");
    assert_int_equal(second->state, CLOCK_LATE);
    assert_int_equal(count_rule(&l, "lac_review_later"), 1);
    assert_int_equal(find_item(&l, "lac_review_later", 0)->state, CLOCK_OVERDUE);
    clock_list_free(&l);
}

static void test_events_series(void **state)
{
    struct testutil_clock *f = *state;
    int64_t c = add_record(f->s, "csc");
    /* looked after from 2022-01-04: first review 20 wd (2022-02-01), second within 3 months
     * of the first, later ones within 6 months of the previous */
    add_event(f->s, c, "looked_after", "2022-01-04", NULL, NULL);
    add_event(f->s, c, "lac_review", "2022-01-31", NULL, NULL);
    add_event(f->s, c, "lac_review", "2022-05-03", NULL, NULL); /* 3 months: 2022-04-30 */
    add_event(f->s, c, "lac_review", "2022-11-01", NULL, NULL);
    add_event(f->s, c, "health_assessment", "2022-02-02", NULL, NULL);
    /* private fostering: notified, visited, then visits every 6 weeks in year one */
    add_event(f->s, c, "private_fostering", "2022-03-01", NULL, "{\"s\":\"notification\"}");
    add_event(f->s, c, "private_fostering", "2022-03-09", NULL, "{\"s\":\"visit\"}");
    add_event(f->s, c, "private_fostering", "2022-04-20", NULL, "{\"s\":\"visit\"}");
    add_event(f->s, c, "private_fostering", "2023-03-20", NULL, "{\"s\":\"visit\"}");
    add_event(f->s, c, "private_fostering", "2023-06-20", NULL, "{\"s\":\"visit\"}");
    /* a second child: looked after for a week, so no review or health assessment falls due;
     * a child protection plan whose review came late, then the plan ended */
    int64_t d = add_record(f->s, "csc");
    add_event(f->s, d, "looked_after", "2022-01-04", "2022-01-11", NULL);
    add_event(f->s, d, "cp_conference", "2022-02-01", NULL, "{\"s\":\"initial\"}");
    add_event(f->s, d, "cp_conference", "2022-05-10", NULL, "{\"s\":\"review\"}");
    add_event(f->s, d, "cp_plan_end", "2022-09-01", NULL, NULL);
    /* a plan that ended before its first review was due needs no review */
    int64_t e = add_record(f->s, "csc");
    add_event(f->s, e, "cp_conference", "2022-02-01", NULL, "{\"s\":\"initial\"}");
    add_event(f->s, e, "cp_plan_end", "2022-03-15", NULL, NULL);
    exec_ok(f->s, "UPDATE event SET subtype = 'notification' WHERE detail LIKE '%notification%'");
    exec_ok(f->s, "UPDATE event SET subtype = 'visit' WHERE detail LIKE '%visit%'");
    exec_ok(f->s, "UPDATE event SET subtype = 'initial' WHERE detail LIKE '%initial%'");
    exec_ok(f->s, "UPDATE event SET subtype = 'review' WHERE detail LIKE '%review%'");
    struct clock_list l = {0};
    long skipped;
    compute(f, "2023-09-01", &l, &skipped);
    assert_int_equal(skipped, 0);
    assert_int_equal(count_rule(&l, "lac_review_first"), 1);
    assert_int_equal(find_item(&l, "lac_review_first", 0)->state, CLOCK_MET);
    assert_int_equal(count_rule(&l, "lac_review_second"), 1);
    assert_int_equal(find_item(&l, "lac_review_second", 0)->state, CLOCK_LATE);
    assert_int_equal(count_rule(&l, "lac_review_later"), 2);
    assert_int_equal(find_item(&l, "lac_review_later", 0)->state, CLOCK_MET);
    assert_int_equal(find_item(&l, "lac_review_later", 1)->state, CLOCK_OVERDUE);
    assert_int_equal(count_rule(&l, "initial_health_assessment"), 1);
    assert_int_equal(find_item(&l, "initial_health_assessment", 0)->state, CLOCK_LATE);
    assert_int_equal(find_item(&l, "pf_first_visit", 0)->state, CLOCK_MET);
    /* year one runs to 2023-03-01. Visits starting in it (6 weeks): 2022-03-09 -> 04-20
     * is exactly 6 weeks (met), 04-20 -> 2023-03-20 is late. After it (12 weeks):
     * 2023-03-20 -> 06-20 is 13 weeks (late) and the last visit's next is open (due
     * 2023-09-12). */
    assert_int_equal(count_rule(&l, "pf_visit_year1"), 2);
    assert_int_equal(find_item(&l, "pf_visit_year1", 0)->state, CLOCK_MET);
    assert_int_equal(find_item(&l, "pf_visit_year1", 1)->state, CLOCK_LATE);
    assert_int_equal(count_rule(&l, "pf_visit_later"), 2);
    assert_int_equal(find_item(&l, "pf_visit_later", 0)->state, CLOCK_LATE);
    assert_int_equal(find_item(&l, "pf_visit_later", 1)->state, CLOCK_OPEN);
    /* child protection: d's first review late (due 2022-05-01); the plan ended before its
     * next review was due (2022-11-10): not counted. e's plan ended before any was due. */
    assert_int_equal(count_rule(&l, "cp_review_first"), 1);
    assert_int_equal(find_item(&l, "cp_review_first", 0)->state, CLOCK_LATE);
    assert_int_equal(count_rule(&l, "cp_review_later"), 0);
    clock_list_free(&l);
}

/* ------------------------------------------------------------------ holidays in the database */

static const char govuk[] =
    "{\"england-and-wales\":{\"division\":\"england-and-wales\",\"events\":["
    "{\"title\":\"New Year’s Day\",\"date\":\"2026-01-01\",\"notes\":\"\",\"bunting\":true},"
    "{\"title\":\"Extra day\",\"date\":\"2026-11-23\",\"notes\":\"\",\"bunting\":true},"
    "{\"title\":\"Christmas Day\",\"date\":\"2028-12-25\",\"notes\":\"\",\"bunting\":true}]},"
    "\"scotland\":{\"division\":\"scotland\",\"events\":[]}}";

static void test_holidays_import(void **state)
{
    struct testutil_clock *f = *state;
    char *dir = testutil_tmpdir();
    char *path = testutil_write_file(dir, "bank-holidays.json", govuk, strlen(govuk));
    struct svp_err err;
    struct svp_calendar *before = NULL, *after = NULL;
    assert_int_equal(clock_calendar_load(f->s, &before, &err), 0); /* nothing stored: embedded */
    long added = 0;
    if (clock_holidays_import(f->s, path, false, &added, &err))
        fail_msg("import: %s", err.msg);
    assert_int_equal(added, 2); /* 2026-01-01 was already known */
    assert_int_equal(clock_calendar_load(f->s, &after, &err), 0);
    /* the open deadline moves by the new holiday */
    struct clock_item a, b;
    const struct clock_rule *r = clock_rules_find(f->rules, "notification");
    clock_evaluate(before, r, M("2026-11-20"), M(NULL), D("2026-11-21"), &a);
    clock_evaluate(after, r, M("2026-11-20"), M(NULL), D("2026-11-21"), &b);
    assert_int_equal(a.due.day, D("2026-11-27"));
    assert_int_equal(b.due.day, D("2026-11-30"));
    svp_day first, last;
    svp_calendar_range(after, &first, &last);
    assert_int_equal(first, D("2012-01-01"));
    assert_int_equal(last, D("2028-12-31"));
    svp_calendar_free(&after);
    /* re-importing changes nothing */
    assert_int_equal(clock_holidays_import(f->s, path, false, &added, &err), 0);
    assert_int_equal(added, 0);
    /* --replace: the file's list is the whole calendar */
    assert_int_equal(clock_holidays_import(f->s, path, true, &added, &err), 0);
    int64_t n = 0;
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM calendar_holiday", &n, &err), 0);
    assert_int_equal(n, 3);

    /* refused files store nothing */
    static const char *const bad[][2] = {
        {"{\"england-and-wales\":{\"events\":[{\"date\":\"2026-02-30\"}]}}", "no such day"},
        {"{\"scotland\":{\"events\":[]}}", "england-and-wales"},
        {"{\"england-and-wales\":{\"events\":[]}}", "lists no events"},
        {"{\"england-and-wales\":{\"events\":[{\"title\":\"x\"}]}}", "needs a \"date\""},
        {"{\"a\":1,\"a\":2}", "not valid JSON"},
        {"[1,2", "not valid JSON"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *p = testutil_write_file(dir, "bad.json", bad[i][0], strlen(bad[i][0]));
        assert_int_equal(clock_holidays_import(f->s, p, true, &added, &err), SVP_EINPUT);
        if (!strstr(err.msg, bad[i][1]))
            fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, bad[i][1]);
        free(p);
    }
    assert_int_equal(clock_holidays_import(f->s, "/nonexistent.json", true, &added, &err), SVP_EIO);
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM calendar_holiday", &n, &err), 0);
    assert_int_equal(n, 3);
    svp_calendar_free(&before);
    free(path);
    testutil_rmdir(&dir);
}

/* Every allocation failure on the way is reported as SVP_ENOMEM, never a crash or a leak. */
static void test_torture(void **state)
{
    struct testutil_clock *f = *state;
    int64_t c = add_record(f->s, "csc");
    add_event(f->s, c, "referral", "2022-06-01", NULL, "{\"decision_at\":\"2022-06-06\"}");
    add_event(f->s, c, "lac_review", "2022-06-01", NULL, NULL);
    add_event(f->s, c, "lac_review", "2022-12-01", NULL, NULL);
    const struct svp_embedded *e = svp_data_find("clock-rules.csv");
    for (long n = 0;; n++) {
        svp_mem_fail_after(n);
        struct svp_err err;
        struct clock_rules *rules = NULL;
        int rc1 = clock_rules_parse(e->data, e->len, "rules", &rules, &err);
        svp_day *days = NULL;
        char **titles = NULL;
        size_t nd = 0;
        int rc2 = clock_holidays_parse_json(govuk, strlen(govuk), "h", &days, &titles, &nd, &err);
        for (size_t i = 0; i < nd; i++)
            svp_free(titles[i]);
        svp_free(titles);
        svp_free(days);
        struct clock_list l = {0};
        struct clock_query q = {.as_of = D("2023-01-01")};
        int rc3 = clock_compute_events(f->s, f->cal, f->rules, &q, &l, NULL, &err);
        struct clock_summary *rows = NULL;
        size_t nr = 0;
        int rc4 = rc3 ? rc3 : clock_summarise(f->rules, &l, &rows, &nr, &err);
        svp_free(rows);
        clock_list_free(&l);
        clock_rules_free(&rules);
        bool fired = svp_mem_failed();
        svp_mem_fail_after(-1);
        if (!fired) {
            assert_int_equal(rc1, 0);
            assert_int_equal(rc2, 0);
            assert_int_equal(rc4, 0);
            assert_int_equal(nr, 3);
            break;
        }
        assert_true(rc1 == 0 || rc1 == SVP_ENOMEM);
        assert_true(rc2 == 0 || rc2 == SVP_ENOMEM);
        assert_true(rc4 == 0 || rc4 == SVP_ENOMEM);
        assert_true(n < 10000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules_refused, setup, teardown),
        cmocka_unit_test(test_rules_cap),
        cmocka_unit_test_setup_teardown(test_lac_reviews_per_episode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_evaluate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_sentence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_periods, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_interviews_and_referrals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_holidays_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torture, setup, teardown),
    };
    return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
