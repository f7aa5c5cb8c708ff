/* Unit tests for the triage room: the DASH and criteria tables, answers and assessment,
 * the MARAC rules at their boundaries (12 months to the day, N in M months), the daily
 * call's window (a Monday, the day after a bank holiday), serial perpetrators and repeat
 * victims (a victim with two perpetrators), figures, Encompass deadlines, and incidents
 * read from events inserted straight into the store. Runs on SQLite and PostgreSQL. */
#include "testutil.h"

#include "triage/triage.h"

#include <stdlib.h>
#include <string.h>

#define D testutil_day

struct fx {
    struct triage_questions qs;
    struct triage_criteria c;
    struct svp_calendar *cal;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct svp_err err;
    if (!f || triage_questions_load(NULL, &f->qs, &err) ||
        triage_criteria_load(NULL, &f->c, &err) || clock_calendar_load(NULL, &f->cal, &err))
        fail_msg("fixture: %s", err.msg);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    svp_calendar_free(&f->cal);
    free(f);
    return 0;
}

static svp_time T(const char *iso)
{
    svp_time t;
    struct svp_err err;
    if (svp_time_parse_iso(iso, strlen(iso), &t, &err))
        fail_msg("bad test time %s", iso);
    return t;
}

/* An incident with n yes answers on the police form (the rest no). */
static struct triage_incident mk(const struct fx *f, const char *ref, const char *at,
                                 triage_subject victim, triage_subject perp, int yes,
                                 bool referred)
{
    struct triage_incident inc;
    memset(&inc, 0, sizeof inc);
    svp_strlcpy(inc.ref, ref, sizeof inc.ref);
    inc.at = T(at);
    inc.day = (svp_day)(inc.at / 86400);
    inc.victim = victim;
    inc.perpetrator = perp;
    inc.referred = referred;
    inc.victim_sex = 'F';
    inc.has_dash = true;
    inc.dash.form = TRIAGE_FORM_POLICE;
    int k = 0;
    for (size_t i = 0; i < f->qs.n; i++)
        if (f->qs.v[i].police_pos)
            inc.dash.answer[i] = k++ < yes ? TRIAGE_YES : TRIAGE_NO;
    inc.recorded = TRIAGE_STANDARD;
    return inc;
}

static void add(struct triage_set *set, const struct triage_incident *inc)
{
    struct svp_err err;
    if (triage_set_add(set, inc, &err))
        fail_msg("add %s: %s", inc->ref, err.msg);
}

static void eval(struct fx *f, struct triage_set *set)
{
    struct svp_err err;
    if (triage_set_evaluate(set, &f->qs, &f->c, &err))
        fail_msg("evaluate: %s", err.msg);
}

static const struct triage_incident *find(const struct triage_set *set, const char *ref)
{
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->v[i].ref, ref))
            return &set->v[i];
    fail_msg("incident %s not in the set", ref);
    return NULL;
}

static void set_clear(struct triage_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        svp_free(set->v[i].children);
        svp_free(set->v[i].child_refs);
        svp_free(set->v[i].told);
    }
    svp_free(set->v);
    svp_free(set->hh);
    svp_free(set->marac);
    memset(set, 0, sizeof *set);
}

/* ------------------------------------------------------------------ tables */

static void test_tables_default(void **state)
{
    struct fx *f = *state;
    int ric = 0, police = 0, care = 0, counted_police = 0;
    for (size_t i = 0; i < f->qs.n; i++) {
        ric += (f->qs.v[i].forms >> TRIAGE_FORM_RIC) & 1;
        police += (f->qs.v[i].forms >> TRIAGE_FORM_POLICE) & 1;
        care += (f->qs.v[i].forms >> TRIAGE_FORM_CARE) & 1;
        counted_police += f->qs.v[i].counts && ((f->qs.v[i].forms >> TRIAGE_FORM_POLICE) & 1);
    }
    assert_int_equal(ric, 24);    /* the SafeLives RIC */
    assert_int_equal(police, 27); /* plus three about children */
    assert_int_equal(care, 28);   /* plus four for adults with care and support needs */
    assert_int_equal(counted_police, 27);
    assert_int_equal(f->c.high_risk_yes, 14);
    assert_int_equal(f->c.escalation_incidents, 3);
    assert_int_equal(f->c.escalation_months, 12);
    assert_int_equal(f->c.repeat_months, 12);
    assert_int_equal(f->c.call_minute, 9 * 60 + 30);
    assert_int_equal(f->c.school_minute, 8 * 60 + 45);
}

static void expect_bad_table(bool questions, const char *text, const char *msg)
{
    struct svp_err err;
    svp_err_clear(&err);
    struct triage_questions qs;
    struct triage_criteria c;
    int rc = questions ? triage_questions_parse(text, strlen(text), "t.csv", &qs, &err)
                       : triage_criteria_parse(text, strlen(text), "t.csv", &c, &err);
    if (rc != SVP_EINPUT)
        fail_msg("accepted (rc %d): %s", rc, text);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

static void test_tables_bad(void **state)
{
    (void)state;
    const char *h = "id,forms,police,counts,topic\n";
    char t[512];
    snprintf(t, sizeof t, "%sq01,ric police,1,1,x\nq01,ric,0,1,y\n", h);
    expect_bad_table(true, t, "listed twice");
    snprintf(t, sizeof t, "%sq01,ric tv,0,1,x\n", h);
    expect_bad_table(true, t, "unknown form");
    snprintf(t, sizeof t, "%sq01,ric,3,1,x\n", h);
    expect_bad_table(true, t, "if and only if");
    snprintf(t, sizeof t, "%sq01,police,1,1,x\nq02,police,1,1,x\n", h);
    expect_bad_table(true, t, "also q01");
    snprintf(t, sizeof t, "%sQ 1,ric,0,1,x\n", h);
    expect_bad_table(true, t, "not a question id");
    expect_bad_table(true, "id,forms\nq01,ric\n", "header");
    expect_bad_table(false, "key,value\nvisible_high_risk_yes,0\n", "1..100");
    expect_bad_table(false, "key,value\ncall_time,9.30\n", "HH:MM");
    expect_bad_table(false, "key,value\nvisible_high_risk_yes,14\n", "missing");
    expect_bad_table(false, "key,value\nthreshold,14\n", "unknown key");
}

/* ------------------------------------------------------------------ DASH */

static void test_dash_answers(void **state)
{
    struct fx *f = *state;
    struct triage_dash d = {.form = TRIAGE_FORM_POLICE};
    struct svp_err err;
    assert_int_equal(triage_dash_set(&f->qs, &d, "q01", "yes", &err), SVP_OK);
    assert_int_equal(triage_dash_set(&f->qs, &d, "c02", "not_known", &err), SVP_OK);
    struct triage_dash before = d;
    assert_int_equal(triage_dash_set(&f->qs, &d, "q99", "yes", &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "unknown DASH question 'q99'"));
    assert_int_equal(triage_dash_set(&f->qs, &d, "q02", "maybe", &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "q02"));
    assert_non_null(strstr(err.msg, "not allowed"));
    /* a care question is not on the police form */
    assert_int_equal(triage_dash_set(&f->qs, &d, "a01", "yes", &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "not asked on the police form"));
    assert_memory_equal(&before, &d, sizeof d); /* nothing written */
    int q1 = triage_question_find(&f->qs, "q01"), c2 = triage_question_find(&f->qs, "c02");
    assert_int_equal(d.answer[q1], TRIAGE_YES);
    assert_int_equal(d.answer[c2], TRIAGE_NOT_KNOWN);
    enum triage_answer a;
    assert_int_equal(triage_answer_parse("NK", &a, &err), SVP_OK);
    assert_int_equal(a, TRIAGE_NOT_KNOWN);
    assert_int_equal(triage_answer_parse("not_asked", &a, &err), SVP_OK);
    assert_int_equal(a, TRIAGE_NOT_ASKED);
}

static void test_dash_levels(void **state)
{
    struct fx *f = *state;
    struct triage_dash_result r;
    struct triage_incident a = mk(f, "A", "2020-01-01", 1, 2, 13, false);
    triage_dash_assess(&f->qs, &f->c, &a.dash, TRIAGE_MEDIUM, &r);
    assert_int_equal(r.yes, 13);
    assert_int_equal(r.asked, 27);
    assert_int_equal(r.level, TRIAGE_MEDIUM);
    assert_int_equal(r.criteria, 0);
    a = mk(f, "A", "2020-01-01", 1, 2, 14, false);
    triage_dash_assess(&f->qs, &f->c, &a.dash, TRIAGE_STANDARD, &r);
    assert_int_equal(r.level, TRIAGE_HIGH);
    assert_int_equal(r.criteria, TRIAGE_CRIT_VISIBLE_HIGH);
    a = mk(f, "A", "2020-01-01", 1, 2, 3, false);
    triage_dash_assess(&f->qs, &f->c, &a.dash, TRIAGE_HIGH, &r);
    assert_int_equal(r.level, TRIAGE_HIGH);
    assert_int_equal(r.criteria, TRIAGE_CRIT_JUDGEMENT);
    /* the care form: 24 counted questions; care questions inform judgement only */
    struct triage_dash d = {.form = TRIAGE_FORM_CARE};
    struct svp_err err;
    assert_int_equal(triage_dash_set(&f->qs, &d, "a01", "yes", &err), SVP_OK);
    assert_int_equal(triage_dash_set(&f->qs, &d, "c01", "yes", &err), SVP_EINPUT);
    triage_dash_assess(&f->qs, &f->c, &d, TRIAGE_LEVEL_NONE, &r);
    assert_int_equal(r.asked, 24);
    assert_int_equal(r.yes, 0);
    assert_int_equal(r.extra_yes, 1);
    assert_int_equal(r.unknown, 24);
    assert_int_equal(r.level, TRIAGE_STANDARD);
}

static void test_bad_incidents(void **state)
{
    struct fx *f = *state;
    struct triage_set set = {0};
    struct svp_err err;
    struct triage_incident a = mk(f, "X1", "2020-01-01", 0, 2, 0, false);
    assert_int_equal(triage_set_add(&set, &a, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "no victim"));
    a = mk(f, "X2", "2020-01-01", 7, 7, 0, false);
    assert_int_equal(triage_set_add(&set, &a, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "same person"));
    assert_int_equal(set.n, 0); /* nothing written */
    set_clear(&set);
}

/* ------------------------------------------------------------------ MARAC rules */

static void test_escalation_boundary(void **state)
{
    struct fx *f = *state;
    struct triage_set set = {0};
    /* victim 1: three incidents, the third 12 months to the day after the first */
    struct triage_incident a = mk(f, "E1", "2016-01-10T10:00:00", 1, 2, 1, false);
    add(&set, &a);
    a = mk(f, "E2", "2016-06-01T10:00:00", 1, 2, 1, false);
    add(&set, &a);
    a = mk(f, "E3", "2017-01-10T23:00:00", 1, 2, 1, false);
    add(&set, &a);
    /* victim 3: the third a day later than that: not escalation */
    a = mk(f, "F1", "2016-01-10T10:00:00", 3, 4, 1, false);
    add(&set, &a);
    a = mk(f, "F2", "2016-06-01T10:00:00", 3, 4, 1, false);
    add(&set, &a);
    a = mk(f, "F3", "2017-01-11T00:00:00", 3, 4, 1, false);
    add(&set, &a);
    eval(f, &set);
    assert_int_equal(find(&set, "E2")->criteria, 0);
    assert_int_equal(find(&set, "E3")->criteria, TRIAGE_CRIT_ESCALATION);
    assert_int_equal(find(&set, "E3")->level, TRIAGE_HIGH);
    assert_int_equal(find(&set, "F3")->criteria, 0);
    assert_int_equal(find(&set, "F3")->level, TRIAGE_STANDARD);
    set_clear(&set);
}

static void test_repeat_marac_boundary(void **state)
{
    struct fx *f = *state;
    struct triage_set set = {0};
    /* victim 1 referred on 2016-03-15 (15 yes: visible high risk) */
    struct triage_incident a = mk(f, "R0", "2016-03-15T20:00:00", 1, 2, 15, true);
    add(&set, &a);
    /* the same pair 12 months to the day later: a repeat */
    a = mk(f, "R1", "2017-03-15T08:00:00", 1, 2, 2, true);
    add(&set, &a);
    /* victim 5 referred, and the same pair 12 months and a day later: not a repeat */
    a = mk(f, "S0", "2016-03-15T20:00:00", 5, 6, 15, true);
    add(&set, &a);
    a = mk(f, "S1", "2017-03-16T08:00:00", 5, 6, 2, false);
    add(&set, &a);
    /* victim 1 with a second perpetrator soon after the referral: not a repeat of it */
    a = mk(f, "R2", "2016-05-01T12:00:00", 1, 9, 2, false);
    add(&set, &a);
    eval(f, &set);
    const struct triage_incident *r1 = find(&set, "R1");
    assert_true(r1->criteria & TRIAGE_CRIT_REPEAT);
    assert_true(r1->repeat_referral);
    assert_false(find(&set, "R0")->criteria & TRIAGE_CRIT_REPEAT);
    assert_false(find(&set, "R0")->repeat_referral);
    assert_false(find(&set, "S1")->criteria & TRIAGE_CRIT_REPEAT);
    assert_int_equal(find(&set, "R2")->criteria, 0);
    /* R1 is the victim's third incident within 12 months to the day (R0, R2, R1) */
    assert_true(r1->criteria & TRIAGE_CRIT_ESCALATION);

    struct triage_figures fg;
    struct svp_err err;
    assert_int_equal(triage_figures_compute(&set, D("2016-04-01"), D("2017-03-31"), &fg, &err),
                     SVP_OK);
    assert_int_equal(fg.incidents, 3); /* R1, S1, R2 */
    assert_int_equal(fg.cases, 1);     /* R1 */
    assert_int_equal(fg.repeat_cases, 1);
    assert_int_equal(fg.by_agency_police, 1);
    assert_int_equal(fg.repeat_victims, 1); /* victim 1: R2 and R1 are in the period */
    set_clear(&set);
}

static void test_two_perpetrators_and_serial(void **state)
{
    struct fx *f = *state;
    struct triage_set set = {0};
    /* victim 1 abused by perpetrators 2 and 3; perpetrator 4 abuses victims 5 and 6 */
    struct triage_incident a = mk(f, "A1", "2016-04-02T10:00:00", 1, 2, 2, false);
    add(&set, &a);
    a = mk(f, "A2", "2016-05-02T10:00:00", 1, 3, 5, false);
    add(&set, &a);
    a = mk(f, "B1", "2016-04-03T10:00:00", 5, 4, 1, false);
    add(&set, &a);
    a = mk(f, "B2", "2016-09-03T10:00:00", 6, 4, 2, false);
    add(&set, &a);
    a = mk(f, "B3", "2016-10-03T10:00:00", 6, 4, 3, false);
    add(&set, &a);
    a = mk(f, "B4", "2016-10-13T10:00:00", 6, 4, 4, false);
    add(&set, &a);
    eval(f, &set);
    struct triage_group *g = NULL;
    size_t n = 0;
    struct svp_err err;
    assert_int_equal(triage_groups(&set, TRIAGE_SERIAL, D("2016-04-01"), D("2017-03-31"), &g,
                                   &n, &err),
                     SVP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(g[0].who, 4);
    assert_int_equal(g[0].others, 2);
    assert_int_equal(g[0].incidents.n, 4);
    assert_true(g[0].faster); /* 30 days, then 10 */
    assert_true(g[0].worse);  /* 2, 3, 4 yes */
    triage_groups_free(&g, n);
    assert_int_equal(triage_groups(&set, TRIAGE_REPEAT_VICTIM, D("2016-04-01"),
                                   D("2017-03-31"), &g, &n, &err),
                     SVP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(g[0].who, 1);
    assert_int_equal(g[0].others, 2); /* two perpetrators */
    assert_false(g[0].faster);       /* only two incidents */
    assert_int_equal(g[1].who, 6);
    triage_groups_free(&g, n);
    /* history: A2's victim had an incident with another partner */
    size_t i2 = (size_t)(find(&set, "A2") - set.v);
    struct triage_history h;
    assert_int_equal(triage_history_of(&set, i2, &h, &err), SVP_OK);
    assert_int_equal(h.same_pair.n, 0);
    assert_int_equal(h.victim_other.n, 1);
    triage_history_free(&h);
    size_t i4 = (size_t)(find(&set, "B4") - set.v);
    assert_int_equal(triage_history_of(&set, i4, &h, &err), SVP_OK);
    assert_int_equal(h.same_pair.n, 2);
    assert_int_equal(h.perp_other.n, 1);
    triage_history_free(&h);
    /* a period that holds only one of perpetrator 4's victims */
    assert_int_equal(triage_groups(&set, TRIAGE_SERIAL, D("2016-09-01"), D("2017-03-31"), &g,
                                   &n, &err),
                     SVP_OK);
    assert_int_equal(n, 0);
    triage_groups_free(&g, n);
    set_clear(&set);
}

/* ------------------------------------------------------------------ the call */

static void test_call_windows(void **state)
{
    struct fx *f = *state;
    struct triage_set set = {0};
    /* the late May bank holiday 2016 was Monday 30 May: Tuesday's call covers Friday
     * 09:30 to Tuesday 09:30 */
    const char *at[] = {"2016-05-27T09:29:00", "2016-05-27T09:30:00", "2016-05-29T03:00:00",
                        "2016-05-30T15:00:00", "2016-05-31T09:29:00", "2016-05-31T09:30:00"};
    for (int i = 0; i < 6; i++) {
        char ref[8];
        snprintf(ref, sizeof ref, "C%d", i);
        struct triage_incident a = mk(f, ref, at[i], 10 + i, 20 + i, 1, false);
        add(&set, &a);
    }
    eval(f, &set);
    struct triage_call call;
    struct svp_err err;
    assert_int_equal(
        triage_call_build(&set, f->cal, &f->c, D("2016-05-31"), D("2016-06-30"), &call, &err),
        SVP_OK);
    assert_int_equal(call.previous, D("2016-05-27"));
    assert_int_equal(call.cases.n, 4);
    assert_string_equal(set.v[call.cases.v[0]].ref, "C1");
    assert_string_equal(set.v[call.cases.v[3]].ref, "C4");
    triage_call_free(&call);
    /* Friday's call covers Thursday 09:30 to Friday 09:30 */
    assert_int_equal(
        triage_call_build(&set, f->cal, &f->c, D("2016-05-27"), D("2016-06-30"), &call, &err),
        SVP_OK);
    assert_int_equal(call.cases.n, 1);
    assert_string_equal(set.v[call.cases.v[0]].ref, "C0");
    triage_call_free(&call);
    /* an ordinary Monday covers the weekend */
    assert_int_equal(
        triage_call_build(&set, f->cal, &f->c, D("2016-06-06"), D("2016-06-30"), &call, &err),
        SVP_OK);
    assert_int_equal(call.previous, D("2016-06-03"));
    triage_call_free(&call);
    /* a Monday after a bank holiday Friday (New Year's Day 2016): Thursday 09:30 on */
    struct triage_set ny = {0};
    const char *nyat[] = {"2015-12-31T09:29:00", "2015-12-31T09:30:00", "2016-01-01T12:00:00",
                          "2016-01-03T23:00:00", "2016-01-04T09:29:00", "2016-01-04T09:30:00"};
    for (int i = 0; i < 6; i++) {
        char ref[8];
        snprintf(ref, sizeof ref, "N%d", i);
        struct triage_incident a = mk(f, ref, nyat[i], 10 + i, 20 + i, 1, false);
        add(&ny, &a);
    }
    eval(f, &ny);
    assert_int_equal(
        triage_call_build(&ny, f->cal, &f->c, D("2016-01-04"), D("2016-06-30"), &call, &err),
        SVP_OK);
    assert_int_equal(call.previous, D("2015-12-31"));
    assert_int_equal(call.from, T("2015-12-31T09:30:00"));
    assert_int_equal(call.to, T("2016-01-04T09:30:00"));
    assert_int_equal(call.cases.n, 4);
    assert_string_equal(ny.v[call.cases.v[0]].ref, "N1");
    assert_string_equal(ny.v[call.cases.v[3]].ref, "N4");
    triage_call_free(&call);
    /* Easter 2016: Good Friday and Easter Monday; Tuesday's call covers Thursday on */
    assert_int_equal(
        triage_call_build(&ny, f->cal, &f->c, D("2016-03-29"), D("2016-06-30"), &call, &err),
        SVP_OK);
    assert_int_equal(call.previous, D("2016-03-24"));
    triage_call_free(&call);
    assert_int_equal(
        triage_call_build(&ny, f->cal, &f->c, D("2016-03-28"), D("2016-06-30"), &call, &err),
        SVP_EINPUT);
    set_clear(&ny);
    /* no call on the bank holiday, nor in the future */
    assert_int_equal(
        triage_call_build(&set, f->cal, &f->c, D("2016-05-30"), D("2016-06-30"), &call, &err),
        SVP_EINPUT);
    assert_non_null(strstr(err.msg, "not a working day"));
    assert_non_null(strstr(err.msg, "2016-05-31"));
    assert_int_equal(
        triage_call_build(&set, f->cal, &f->c, D("2016-07-01"), D("2016-06-30"), &call, &err),
        SVP_EINPUT);
    assert_non_null(strstr(err.msg, "future"));
    set_clear(&set);
}

static void test_encompass_due(void **state)
{
    struct fx *f = *state;
    svp_time due;
    struct svp_err err;
    /* Friday night: Monday's school start */
    assert_int_equal(triage_encompass_due(f->cal, &f->c, T("2016-06-03T22:00:00"), &due, &err),
                     SVP_OK);
    assert_int_equal(due, T("2016-06-06T08:45:00"));
    /* Friday before the late May bank holiday: Tuesday */
    assert_int_equal(triage_encompass_due(f->cal, &f->c, T("2016-05-27T07:00:00"), &due, &err),
                     SVP_OK);
    assert_int_equal(due, T("2016-05-31T08:45:00"));
    /* a Wednesday: Thursday */
    assert_int_equal(triage_encompass_due(f->cal, &f->c, T("2016-06-08T01:00:00"), &due, &err),
                     SVP_OK);
    assert_int_equal(due, T("2016-06-09T08:45:00"));
}

static void test_figures_children(void **state)
{
    struct fx *f = *state;
    struct triage_set set = {0};
    triage_subject kids[] = {100, 101};
    struct triage_incident a = mk(f, "K1", "2016-06-01T10:00:00", 1, 2, 16, true);
    a.children = kids;
    a.nchildren = 2;
    a.victim_sex = 'M';
    svp_strlcpy(a.victim_ethnicity, "BCRB", sizeof a.victim_ethnicity);
    add(&set, &a);
    a = mk(f, "K2", "2016-07-01T10:00:00", 3, 4, 2, false);
    add(&set, &a);
    /* the household list adds a third child to victim 1's household; 100 is listed too */
    set.hh = svp_malloc(2 * sizeof *set.hh);
    set.hh[0] = (struct triage_household){1, 102};
    set.hh[1] = (struct triage_household){1, 100};
    set.nhh = 2;
    /* a referral from children's social care, heard at MARAC with 2 children */
    set.marac = svp_calloc(2, sizeof *set.marac);
    set.marac[0] = (struct triage_marac){.ref = "M1", .day = D("2016-08-01"), .victim = 3,
                                         .agency = "csc", .children = 2, .lgbt = true};
    /* the hearing of K1's police referral: not a second case, but its flags count */
    set.marac[1] = (struct triage_marac){.ref = "M2", .day = D("2016-06-20"), .victim = 1,
                                         .agency = "police", .children = -1, .disabled = true};
    set.nmarac = 2;
    eval(f, &set);
    struct triage_figures fg;
    struct svp_err err;
    assert_int_equal(triage_figures_compute(&set, D("2016-04-01"), D("2017-03-31"), &fg, &err),
                     SVP_OK);
    assert_int_equal(fg.incidents, 2);
    assert_int_equal(fg.cases, 2);
    assert_int_equal(fg.by_agency_police, 1);
    assert_int_equal(fg.by_agency_other, 1);
    assert_int_equal(fg.children, 3 + 2);
    assert_int_equal(fg.victims_male, 1);
    assert_int_equal(fg.victims_bme, 1);
    assert_int_equal(fg.victims_disabled, 1);
    assert_int_equal(fg.victims_lgbt, 1);
    assert_int_equal(fg.meets_criteria, 1);
    assert_int_equal(fg.crit_visible, 1);
    assert_int_equal(fg.meets_not_referred, 0);
    assert_int_equal(triage_figures_compute(&set, D("2017-04-01"), D("2016-03-31"), &fg, &err),
                     SVP_EINPUT);
    set_clear(&set);
}

/* ------------------------------------------------------------------ from the store */

static int64_t add_record(struct store *s, const char *id, const char *role, const char *sex)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    if (store_prepare(s,
                      "INSERT INTO record (source, agency, agency_record_id, given_name, "
                      "family_name, role, sex, ethnicity) VALUES ('police', 'police', ?, 'Test', "
                      "?, ?, ?, 'WBRI')",
                      &st, &err) ||
        store_bind_text(st, 1, id, -1) || store_bind_text(st, 2, id, -1) ||
        store_bind_text(st, 3, role, -1) || store_bind_text(st, 4, sex, -1) ||
        store_step(st, &err) < 0)
        fail_msg("insert record: %s", err.msg);
    store_finalize(&st);
    int64_t rid = 0;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT id FROM record WHERE agency_record_id = '%s'", id);
    if (store_query_int64(s, sql, &rid, &err))
        fail_msg("%s", err.msg);
    return rid;
}

static void add_event(struct store *s, const char *id, int64_t rec, const char *type,
                      const char *subtype, const char *at, const char *detail)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    if (store_prepare(s,
                      "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                      "subtype, started_at, detail) VALUES ('police-domestic-abuse', 'police', "
                      "?, ?, ?, ?, ?, ?)",
                      &st, &err) ||
        store_bind_text(st, 1, id, -1) || store_bind_int64(st, 2, rec) ||
        store_bind_text(st, 3, type, -1) || store_bind_text(st, 4, subtype, -1) ||
        store_bind_text(st, 5, at, -1) || store_bind_text(st, 6, detail, -1) ||
        store_step(st, &err) < 0)
        fail_msg("insert event: %s", err.msg);
    store_finalize(&st);
}

static void test_load_from_store(void **state)
{
    struct fx *f = *state;
    char *uri = NULL;
    struct store *s = testutil_open_migrated(&uri);
    int64_t v = add_record(s, "V1", "adult", "F"), p = add_record(s, "P1", "adult", "M");
    int64_t c1 = add_record(s, "C1", "child", "M"), c2 = add_record(s, "C2", "child", "F");
    int64_t lone = add_record(s, "L1", "adult", "F");
    /* the victim's event carries the DASH: 14 yes on the police form, one answer as a word */
    char detail[1024] = "{\"role\": \"victim\", \"dash_risk\": \"medium\", \"marac_referred\": 1";
    size_t l = strlen(detail);
    for (int q = 1; q <= 27; q++)
        l += (size_t)snprintf(detail + l, sizeof detail - l, ", \"dash_%02d\": %s", q,
                              q == 27 ? "\"not_known\"" : q <= 14 ? "1" : "0");
    snprintf(detail + l, sizeof detail - l, "}");
    add_event(s, "DA/16/000001", v, "da_incident", "medium", "2016-06-03T22:10:00Z", detail);
    add_event(s, "DA/16/000001/suspect", p, "da_incident", "medium", "2016-06-03T22:10:00Z",
              "{\"role\": \"perpetrator\", \"marac_referred\": 1}");
    add_event(s, "DA/16/000001/present/C1", c1, "da_incident", "medium",
              "2016-06-03T22:10:00Z", "{\"role\": \"child_in_household\"}");
    /* an incident whose only event is the suspect's: no victim */
    add_event(s, "DA/16/000002/suspect", lone, "da_incident", "standard", "2016-06-04T10:00:00Z",
              "{\"role\": \"perpetrator\"}");
    /* C2 lives with the victim */
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO relationship (source, agency, kind, record_a, record_b) VALUES "
             "('police-domestic-abuse', 'police', 'household_member', %lld, %lld)",
             (long long)v, (long long)c2);
    testutil_exec(s, sql);
    /* a MARAC case referred by the IDVA service for another victim */
    int64_t v2 = add_record(s, "V2", "adult", "F");
    add_event(s, "MARAC/1", v2, "marac", NULL, "2016-07-01",
              "{\"referring_agency\": \"other\", \"repeat\": 1, \"children\": 1}");
    /* one whose detail needs the full parser (an escape): read the same way */
    add_event(s, "MARAC/2", v2, "marac", NULL, "2016-08-01",
              "{\"referring_agency\": \"idva\", \"note\": \"said \\\"no\\\"\", "
              "\"repeat\": \"N\", \"disabled\": true, \"lgbt\": \"yes\", \"children\": 2}");
    struct triage_set *set = NULL;
    struct svp_err err;
    if (triage_set_load(s, &f->qs, &f->c, &set, &err))
        fail_msg("load: %s", err.msg);
    assert_int_equal(set->n, 2);
    assert_int_equal(set->nmarac, 2);
    for (size_t i = 0; i < 2; i++) {
        const struct triage_marac *m = &set->marac[i];
        bool first = !strcmp(m->ref, "MARAC/1");
        assert_string_equal(m->agency, first ? "other" : "idva");
        assert_int_equal(m->repeat, first);
        assert_int_equal(m->disabled, !first);
        assert_int_equal(m->lgbt, !first);
        assert_int_equal(m->children, first ? 1 : 2);
    }
    const struct triage_incident *a = find(set, "DA/16/000001");
    assert_int_equal(a->victim, -v);
    assert_int_equal(a->perpetrator, -p);
    assert_int_equal(a->nchildren, 1);
    assert_int_equal(a->children[0], -c1);
    assert_true(a->has_dash);
    assert_int_equal(a->dres.yes, 14);
    assert_int_equal(a->dres.unknown, 1);
    assert_int_equal(a->recorded, TRIAGE_MEDIUM);
    assert_int_equal(a->criteria, TRIAGE_CRIT_VISIBLE_HIGH);
    assert_true(a->referred);
    assert_null(a->problem);
    const struct triage_incident *b = find(set, "DA/16/000002");
    assert_non_null(b->problem);
    assert_int_equal(b->criteria, 0);
    triage_subject kids[8];
    assert_int_equal(triage_household_children(set, (size_t)(a - set->v), kids, 8), 2);
    struct triage_figures fg;
    assert_int_equal(triage_figures_compute(set, D("2016-04-01"), D("2017-03-31"), &fg, &err),
                     SVP_OK);
    assert_int_equal(fg.cases, 3);
    assert_int_equal(fg.by_agency_other, 2);
    /* by agency: one each, in name order */
    assert_int_equal(fg.nby_agency, 3);
    assert_string_equal(fg.by_agency[0].agency, "idva");
    assert_string_equal(fg.by_agency[1].agency, "other");
    assert_string_equal(fg.by_agency[2].agency, "police");
    for (size_t k = 0; k < 3; k++)
        assert_int_equal(fg.by_agency[k].cases, 1);
    assert_int_equal(fg.repeat_cases, 1);
    assert_int_equal(fg.children, 5);
    assert_int_equal(fg.incidents, 2);
    struct triage_person who;
    assert_int_equal(triage_person_describe(s, -v, &who, &err), SVP_OK);
    assert_string_equal(who.name, "Test V1");
    assert_string_equal(who.agencies, "police");
    assert_int_equal(triage_person_describe(s, -999999, &who, &err), SVP_ENOTFOUND);
    triage_set_free(&set);
    store_close(&s);
    testutil_drop_db(&uri);
}

/* ------------------------------------------------------------------ reading details */

struct members {
    int n;
    char text[512];
};

static void note_member(void *ctx, const char *k, size_t kl, const char *v, size_t vl, bool str)
{
    struct members *m = ctx;
    size_t l = strlen(m->text);
    snprintf(m->text + l, sizeof m->text - l, "%s%.*s=%s%.*s%s", m->n++ ? " " : "", (int)kl, k,
             str ? "'" : "", (int)vl, v, str ? "'" : "");
}

/* flat: whether the fast path takes it; scan: whether it is read at all; want: the members
 * scan delivers. */
static void expect_detail(const char *json, bool flat, bool scan, const char *want)
{
    struct members m = {0};
    if (triage_detail_flat(json, NULL, NULL) != flat)
        fail_msg("%s: the flat scanner %s it", json, flat ? "refused" : "took");
    if (triage_detail_scan(json, note_member, &m) != scan)
        fail_msg("%s: %s", json, scan ? "not read" : "read");
    if (scan && strcmp(m.text, want))
        fail_msg("%s: read as [%s], want [%s]", json, m.text, want);
}

static void test_detail_reader(void **state)
{
    (void)state;
    expect_detail("{\"role\": \"victim\", \"dash_01\": 1, \"marac_referred\": true}", true, true,
                  "role='victim' dash_01=1 marac_referred=true");
    expect_detail("{}", true, true, "");
    expect_detail(" \n{ \"a\" :\t\"b\" } \r\n", true, true, "a='b'");
    expect_detail("{\"a\": null, \"b\": false, \"c\": -0.5, \"d\": 0}", true, true,
                  "a=null b=false c=-0.5 d=0");
    /* the last of duplicate keys wins, on both paths */
    expect_detail("{\"a\": \"x\", \"a\": \"y\"}", true, true, "a='x' a='y'");
    expect_detail("{\"a\": \"x\\n\", \"a\": \"y\"}", false, true, "a='y'");
    /* left to jansson: escapes, non-ASCII text, nesting, exponents, long numbers */
    expect_detail("{\"note\": \"say \\\"no\\\"\", \"role\": \"victim\"}", false, true,
                  "note='say \"no\"' role='victim'");
    expect_detail("{\"name\": \"Zo\xc3\xab\"}", false, true, "name='Zo\xc3\xab'");
    expect_detail("{\"a\": {\"b\": 1}, \"c\": [1], \"role\": \"suspect\"}", false, true,
                  "role='suspect'");
    expect_detail("{\"a\": 1e2}", false, true, "a=100");
    expect_detail("{\"a\": 1234567890123456}", false, true, "a=1234567890123456");
    expect_detail("{\"a\": 123456789012345}", true, true, "a=123456789012345");
    /* not JSON objects: refused by both */
    expect_detail("{\"a\": yes}", false, false, "");
    expect_detail("{\"a\": nul}", false, false, "");
    expect_detail("{\"a\": 01}", false, false, "");
    expect_detail("{\"a\": 1.}", false, false, "");
    expect_detail("{\"a\": -}", false, false, "");
    expect_detail("{\"a\": 1} x", false, false, "");
    expect_detail("{\"a\": \"b\",}", false, false, "");
    expect_detail("{\"a\": \"b\"", false, false, "");
    expect_detail("{\"a\" \"b\"}", false, false, "");
    expect_detail("{\"a\": \"tab\there\"}", false, false, "");
    expect_detail("{\"name\": \"Zo\xeb\"}", false, false, "");
    expect_detail("{\"a\": 1e999}", false, false, "");
    expect_detail("[\"a\"]", false, false, "");
    expect_detail("\"a\"", false, false, "");
    expect_detail("", false, false, "");
    /* flags as details hold them */
    assert_true(triage_detail_flag("Y", 1) && triage_detail_flag("true", 4) &&
                triage_detail_flag("1", 1) && triage_detail_flag("YES", 3));
    assert_false(triage_detail_flag("N", 1) || triage_detail_flag("0", 1) ||
                 triage_detail_flag("null", 4) || triage_detail_flag("yesterday", 9) ||
                 triage_detail_flag("", 0));
}

static int64_t count(struct store *s, const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    int64_t n = -1;
    struct svp_err err;
    if (store_query_int64(s, sql, &n, &err))
        fail_msg("%s", err.msg);
    return n;
}

static void expect_assessment_refused(struct fx *f, struct store *s, struct triage_set *set,
                                      const char *json, const char *msg)
{
    struct svp_err err;
    svp_err_clear(&err);
    struct triage_dash_result r;
    int rc = triage_assessment_record(s, &f->qs, &f->c, set, json, D("2016-12-31"), &r, &err);
    if (rc == SVP_OK)
        fail_msg("accepted: %s", json);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
    assert_int_equal(count(s, "da_assessment"), 0);
}

static void test_records(void **state)
{
    struct fx *f = *state;
    char *uri = NULL;
    struct store *s = testutil_open_migrated(&uri);
    int64_t v = add_record(s, "V1", "adult", "F"), p = add_record(s, "P1", "adult", "M");
    int64_t c1 = add_record(s, "C1", "child", "M"), same = add_record(s, "S1", "adult", "F");
    add_event(s, "DA/9", v, "da_incident", "standard", "2016-06-03T22:10:00Z",
              "{\"role\": \"victim\"}");
    add_event(s, "DA/9/suspect", p, "da_incident", "standard", "2016-06-03T22:10:00Z",
              "{\"role\": \"perpetrator\"}");
    add_event(s, "DA/9/present/C1", c1, "da_incident", "standard", "2016-06-03T22:10:00Z",
              "{\"role\": \"child_in_household\"}");
    /* the same person as victim and suspect */
    add_event(s, "DA/10", same, "da_incident", "standard", "2016-06-04T10:00:00Z",
              "{\"role\": \"victim\"}");
    add_event(s, "DA/10/suspect", same, "da_incident", "standard", "2016-06-04T10:00:00Z",
              "{\"role\": \"perpetrator\"}");
    /* an incident whose only event is the suspect's: no victim */
    add_event(s, "DA/11/suspect", p, "da_incident", "standard", "2016-06-05T10:00:00Z",
              "{\"role\": \"perpetrator\"}");
    struct triage_set *set = NULL;
    struct svp_err err;
    if (triage_set_load(s, &f->qs, &f->c, &set, &err))
        fail_msg("load: %s", err.msg);
    assert_non_null(find(set, "DA/10")->problem);
    assert_non_null(find(set, "DA/11")->problem);

    /* DASH assessments: every bad input refused with nothing written */
    expect_assessment_refused(f, s, set, "{\"incident\": \"DA/9\"", "not a JSON object");
    expect_assessment_refused(
        f, s, set,
        "{\"incident\": \"DA/9\", \"form\": \"ric\", \"assessed_on\": \"2016-06-04\", "
        "\"agency\": \"idva\", \"level\": \"medium\", \"answers\": {\"q99\": \"yes\"}}",
        "unknown DASH question 'q99'");
    expect_assessment_refused(
        f, s, set,
        "{\"incident\": \"DA/9\", \"form\": \"ric\", \"assessed_on\": \"2016-06-04\", "
        "\"agency\": \"idva\", \"level\": \"medium\", \"answers\": {\"q01\": \"often\"}}",
        "not allowed");
    expect_assessment_refused(
        f, s, set,
        "{\"incident\": \"DA/10\", \"form\": \"ric\", \"assessed_on\": \"2016-06-04\", "
        "\"agency\": \"idva\", \"level\": \"medium\", \"answers\": {}}",
        "same person");
    expect_assessment_refused(
        f, s, set,
        "{\"incident\": \"DA/11\", \"form\": \"ric\", \"assessed_on\": \"2016-06-06\", "
        "\"agency\": \"idva\", \"level\": \"medium\", \"answers\": {}}",
        "no victim");
    expect_assessment_refused(
        f, s, set,
        "{\"incident\": \"DA/9\", \"form\": \"police\", \"assessed_on\": \"2016-06-04\", "
        "\"agency\": \"police\", \"level\": \"medium\", \"answers\": {\"a01\": \"yes\"}}",
        "a01");
    expect_assessment_refused(
        f, s, set,
        "{\"incident\": \"DA/9\", \"form\": \"ric\", \"assessed_on\": \"2017-06-04\", "
        "\"agency\": \"idva\", \"level\": \"medium\", \"answers\": {}}",
        "in the future");
    expect_assessment_refused(
        f, s, set,
        "{\"incident\": \"DA/9\", \"form\": \"care\", \"assessed_on\": \"2016-06-04\", "
        "\"agency\": \"asc\", \"level\": \"high\", \"answers\": {\"a01\": \"yes\"}}",
        "needs a reason");
    struct triage_dash_result r;
    assert_int_equal(
        triage_assessment_record(
            s, &f->qs, &f->c, set,
            "{\"incident\": \"DA/9\", \"form\": \"care\", \"assessed_on\": \"2016-06-04\", "
            "\"agency\": \"asc\", \"level\": \"high\", \"reason\": \"relies on him for care\", "
            "\"answers\": {\"a01\": \"yes\", \"q01\": \"yes\", \"q02\": \"no\"}}",
            D("2016-12-31"), &r, &err),
        SVP_OK);
    assert_int_equal(r.yes, 1);
    assert_int_equal(r.extra_yes, 1);
    assert_int_equal(r.criteria, TRIAGE_CRIT_JUDGEMENT);
    assert_int_equal(count(s, "da_assessment"), 1);

    /* actions */
    struct triage_action a = {.due = D("2016-06-10"), .set_on = D("2016-06-06")};
    svp_strlcpy(a.incident, "DA/9", sizeof a.incident);
    svp_strlcpy(a.agency, "housing", sizeof a.agency);
    svp_strlcpy(a.action, "check the tenancy", sizeof a.action);
    svp_strlcpy(a.owner, "Storm", sizeof a.owner);
    int64_t id = 0;
    assert_int_equal(triage_action_add(s, set, &a, &id, &err), SVP_OK);
    struct triage_action bad = a;
    svp_strlcpy(bad.agency, "bank", sizeof bad.agency);
    assert_int_equal(triage_action_add(s, set, &bad, &id, &err), SVP_EINPUT);
    bad = a;
    bad.due = D("2016-06-01");
    assert_int_equal(triage_action_add(s, set, &bad, &id, &err), SVP_EINPUT);
    bad = a;
    svp_strlcpy(bad.incident, "DA/404", sizeof bad.incident);
    assert_int_equal(triage_action_add(s, set, &bad, &id, &err), SVP_ENOTFOUND);
    assert_int_equal(count(s, "da_action"), 1);
    struct triage_action *open = NULL;
    size_t n = 0;
    assert_int_equal(triage_actions_open(s, D("2016-06-05"), &open, &n, &err), SVP_OK);
    assert_int_equal(n, 0); /* not yet set */
    svp_free(open);
    assert_int_equal(triage_actions_open(s, D("2016-06-07"), &open, &n, &err), SVP_OK);
    assert_int_equal(n, 1); /* carried to the next call */
    assert_string_equal(open[0].owner, "Storm");
    svp_free(open);
    assert_int_equal(triage_action_done(s, 1, D("2016-06-05"), &err), SVP_EINPUT);
    assert_int_equal(triage_action_done(s, 1, D("2016-06-08"), &err), SVP_OK);
    assert_int_equal(triage_action_done(s, 1, D("2016-06-09"), &err), SVP_ECONFLICT);
    assert_int_equal(triage_action_done(s, 77, D("2016-06-09"), &err), SVP_ENOTFOUND);
    assert_int_equal(triage_actions_open(s, D("2016-06-07"), &open, &n, &err), SVP_OK);
    assert_int_equal(n, 1); /* still open on the 7th */
    svp_free(open);
    assert_int_equal(triage_actions_open(s, D("2016-06-08"), &open, &n, &err), SVP_OK);
    assert_int_equal(n, 0);
    svp_free(open);

    /* Encompass: Friday 22:10, due Monday 08:45 */
    assert_int_equal(triage_encompass_record(s, set, "DA/9", "C2", T("2016-06-06T08:00:00"),
                                             &err),
                     SVP_ENOTFOUND);
    assert_int_equal(triage_encompass_record(s, set, "DA/9", "C1", T("2016-06-03T20:00:00"),
                                             &err),
                     SVP_EINPUT);
    assert_int_equal(count(s, "da_encompass"), 0);
    size_t i9 = (size_t)(find(set, "DA/9") - set->v);
    svp_time due;
    enum triage_told st;
    assert_int_equal(triage_encompass_state(set, i9, 0, f->cal, &f->c, T("2016-06-06T08:44:00"),
                                            &due, &st, &err),
                     SVP_OK);
    assert_int_equal(st, TRIAGE_TOLD_OPEN);
    assert_int_equal(triage_encompass_state(set, i9, 0, f->cal, &f->c, T("2016-06-06T08:46:00"),
                                            &due, &st, &err),
                     SVP_OK);
    assert_int_equal(st, TRIAGE_TOLD_OVERDUE);
    assert_int_equal(triage_encompass_record(s, set, "DA/9", "C1", T("2016-06-06T09:00:00"),
                                             &err),
                     SVP_OK);
    triage_set_free(&set);
    if (triage_set_load(s, &f->qs, &f->c, &set, &err))
        fail_msg("load: %s", err.msg);
    /* the recorded assessment replaced the (absent) extract answers */
    const struct triage_incident *inc = find(set, "DA/9");
    assert_true(inc->assessed_in_svp);
    assert_int_equal(inc->dash.form, TRIAGE_FORM_CARE);
    assert_int_equal(inc->level, TRIAGE_HIGH);
    assert_int_equal(triage_encompass_record(s, set, "DA/9", "C1", T("2016-06-06T09:00:00"),
                                             &err),
                     SVP_ECONFLICT);
    struct triage_encompass_figures ef;
    assert_int_equal(triage_encompass_compliance(set, f->cal, &f->c, D("2016-06-01"),
                                                 D("2016-06-30"), T("2016-07-01"), &ef, &err),
                     SVP_OK);
    assert_int_equal(ef.children, 1);
    assert_int_equal(ef.late, 1);
    triage_set_free(&set);
    store_close(&s);
    testutil_drop_db(&uri);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_default),
        cmocka_unit_test(test_tables_bad),
        cmocka_unit_test(test_dash_answers),
        cmocka_unit_test(test_dash_levels),
        cmocka_unit_test(test_bad_incidents),
        cmocka_unit_test(test_escalation_boundary),
        cmocka_unit_test(test_repeat_marac_boundary),
        cmocka_unit_test(test_two_perpetrators_and_serial),
        cmocka_unit_test(test_call_windows),
        cmocka_unit_test(test_encompass_due),
        cmocka_unit_test(test_figures_children),
        cmocka_unit_test(test_load_from_store),
        cmocka_unit_test(test_detail_reader),
        cmocka_unit_test(test_records),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
