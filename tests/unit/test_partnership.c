/* Unit tests for the partnership's registers (src/registers/partnership.c, figures.c, io.c):
 * checks against other entries, history, import all or nothing, and each annual-report
 * figure on entries whose answers are worked out by hand here. Runs on SQLite and
 * PostgreSQL. */
#include "testutil.h"

#include "registers/figures.h"
#include "registers/registers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D testutil_day
#define setup testutil_clock_setup_db_calendar
#define teardown testutil_clock_teardown

static int64_t count(struct store *s, const char *sql)
{
    int64_t n = -1;
    struct svp_err err;
    if (store_query_int64(s, sql, &n, &err))
        fail_msg("%s", err.msg);
    return n;
}

/* Adds an entry of register name: ref (top level) or parent, and "field=value" pairs. */
static int add(struct store *s, const char *name, const char *ref, const char *parent,
               const char *const *kv, size_t n, char *out, struct svp_err *err)
{
    struct reg_entry e;
    int rc = reg_entry_init(&e, reg_schema_find(name), err);
    if (ref)
        svp_strlcpy(e.ref, ref, sizeof e.ref);
    for (size_t i = 0; i < n && rc == SVP_OK; i++) {
        char field[64];
        const char *eq = strchr(kv[i], '=');
        snprintf(field, sizeof field, "%.*s", (int)(eq - kv[i]), kv[i]);
        rc = reg_entry_set(&e, field, eq + 1, err);
    }
    if (rc == SVP_OK)
        rc = reg_add_as(s, &e, parent, "unit test", NULL, NULL, err);
    if (rc == SVP_OK && out)
        svp_strlcpy(out, e.ref, REG_REF_MAX);
    reg_entry_clear(&e);
    return rc;
}

#define ADD(s, name, ref, parent, ...)                                                             \
    do {                                                                                           \
        const char *const kv_[] = {__VA_ARGS__};                                                   \
        struct svp_err e_;                                                                         \
        if (add(s, name, ref, parent, kv_, sizeof kv_ / sizeof kv_[0], NULL, &e_))                 \
            fail_msg("add %s %s: %s (%s)", name, ref ? ref : parent, e_.msg, e_.field);            \
    } while (0)

#define REFUSED(s, name, ref, parent, code, fld, ...)                                              \
    do {                                                                                           \
        const char *const kv_[] = {__VA_ARGS__};                                                   \
        struct svp_err e_;                                                                         \
        int64_t before_ = count(s, "SELECT count(*) FROM register_entry");                         \
        assert_int_equal(add(s, name, ref, parent, kv_, sizeof kv_ / sizeof kv_[0], NULL, &e_),    \
                         code);                                                                    \
        assert_string_equal(e_.field, fld);                                                        \
        assert_int_equal(count(s, "SELECT count(*) FROM register_entry"), before_);                \
    } while (0)

/* The protocol's stages and the clock rules that time them agree. */
static void test_stages_match_clock_rules(void **state)
{
    struct testutil_clock *f = *state;
    struct reg_crp_stage *v = NULL;
    size_t n = 0;
    struct svp_err err;
    assert_int_equal(reg_crp_stages(&v, &n, &err), 0);
    assert_true(n >= 2);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "crp_stage%d", v[i].stage);
        const struct clock_rule *r = clock_rules_find(f->rules, id);
        if (!r)
            fail_msg("no clock rule %s", id);
        assert_int_equal(r->amount, v[i].working_days);
        assert_int_equal(r->unit, CLOCK_WORKING_DAYS);
        assert_string_equal(r->start_event, "register:escalation");
    }
    svp_free(v);
}

static void test_risk_and_escalations(void **state)
{
    struct testutil_clock *f = *state;
    struct store *s = f->s;
    REFUSED(s, "risk", "R1", NULL, SVP_EINPUT, "likelihood", "title=t", "owner_agency=council",
            "likelihood=6", "impact=3");
    REFUSED(s, "risk", "R1", NULL, SVP_EINPUT, "impact", "title=t", "owner_agency=council",
            "likelihood=2", "impact=0");
    REFUSED(s, "risk", "R1", NULL, SVP_EINPUT, "likelihood", "title=t", "owner_agency=council",
            "likelihood=two", "impact=3");
    REFUSED(s, "risk", "R1", NULL, SVP_EINPUT, "owner_agency", "title=t", "likelihood=2",
            "impact=3");
    ADD(s, "risk", "R1", NULL, "title=t", "owner_agency=council", "likelihood=5", "impact=4",
        "likelihood_after=1", "impact_after=4", "reviewed=2026-01-05");
    ADD(s, "risk", "R2", NULL, "title=u", "owner_agency=police", "likelihood=5", "impact=4");
    REFUSED(s, "risk", "R2", NULL, SVP_ECONFLICT, "ref", "title=u", "owner_agency=police",
            "likelihood=5", "impact=4");
    struct reg_entry e;
    struct svp_err err;
    char buf[32];
    assert_int_equal(reg_get(s, reg_schema_find("risk"), "R1", &e, &err), 0);
    assert_string_equal(reg_entry_computed(&e, "score", buf, sizeof buf), "20");
    assert_string_equal(reg_entry_computed(&e, "score_after", buf, sizeof buf), "4");
    assert_string_equal(reg_entry_computed(&e, "rating", buf, sizeof buf), "low");
    reg_entry_clear(&e);
    struct reg_heatmap h;
    assert_int_equal(reg_fig_risk_heatmap(s, false, &h, &err), 0);
    assert_int_equal(h.open, 2);
    assert_int_equal(h.cell[4][3], 2);
    assert_int_equal(reg_fig_risk_heatmap(s, true, &h, &err), 0);
    assert_int_equal(h.cell[0][3], 1);
    assert_int_equal(h.unscored, 1);
    /* R1 reviewed 2026-01-05: due 2026-04-05, overdue on 2026-05-01; R2 never reviewed */
    struct clock_list late = {0};
    assert_int_equal(reg_fig_risk_overdue(s, f->cal, f->rules, D("2026-05-01"), &late, &err), 0);
    assert_int_equal(late.n, 1);
    assert_string_equal(late.v[0].ref, "R1");
    clock_list_free(&late);
    assert_int_equal(reg_fig_risk_overdue(s, f->cal, f->rules, D("2026-04-01"), &late, &err), 0);
    assert_int_equal(late.n, 0);
    clock_list_free(&late);

    /* the challenge log: stages in order, each raised no earlier than the last */
    ADD(s, "challenge", "C1", NULL, "raised=2026-02-02", "raised_by_agency=police",
        "raised_to_agency=council", "subject=s", "themes=thresholds; communication");
    ADD(s, "challenge", "C2", NULL, "raised=2026-02-09", "raised_by_agency=health",
        "raised_to_agency=council", "subject=s", "themes=thresholds", "response_date=2026-02-13",
        "outcome=resolved");
    REFUSED(s, "escalation", NULL, "C1", SVP_EINPUT, "stage", "stage=2", "raised=2026-02-03");
    ADD(s, "escalation", NULL, "C1", "stage=1", "raised=2026-02-03", "response_date=2026-02-09");
    REFUSED(s, "escalation", NULL, "C1", SVP_EINPUT, "stage", "stage=1", "raised=2026-02-10");
    REFUSED(s, "escalation", NULL, "C1", SVP_EINPUT, "stage", "stage=3", "raised=2026-02-10");
    REFUSED(s, "escalation", NULL, "C1", SVP_EINPUT, "raised", "stage=2", "raised=2026-02-02");
    REFUSED(s, "escalation", NULL, "C1", SVP_EINPUT, "stage", "stage=9", "raised=2026-02-10");
    ADD(s, "escalation", NULL, "C1", "stage=2", "raised=2026-02-10");
    /* an earlier stage cannot be renumbered out of order */
    struct reg_change ch[] = {{"stage", "2"}};
    assert_int_equal(reg_update(s, reg_schema_find("escalation"), "C1/S1", ch, 1, NULL, &err),
                     SVP_EINPUT);
    assert_string_equal(err.field, "stage");

    /* figures: stage 1 answered on day 4 (limit 2): late; stage 2 open since 2026-02-10,
     * limit 5 working days: late by 2026-03-02 */
    struct reg_challenge_figs cf;
    assert_int_equal(reg_fig_challenges(s, f->cal, NULL, NULL, D("2026-03-02"), &cf, &err), 0);
    assert_int_equal(cf.total, 2);
    assert_string_equal(cf.themes[0].key, "thresholds");
    assert_int_equal(cf.themes[0].n, 2);
    assert_string_equal(cf.themes[1].key, "communication");
    assert_int_equal(cf.nagencies, 1);
    assert_int_equal(cf.agencies[0].n, 2);
    assert_int_equal(cf.agencies[0].responded, 1);
    assert_true(cf.agencies[0].mean_days > 3.99 && cf.agencies[0].mean_days < 4.01);
    assert_int_equal(cf.agencies[0].stages, 2);
    assert_int_equal(cf.agencies[0].stages_late, 2);
    reg_challenge_figs_free(&cf);

    /* history: each write, with who */
    assert_int_equal(reg_update_as(s, reg_schema_find("risk"), "R2",
                                   (struct reg_change[]){{"trend", "rising"}}, 1, NULL, "someone",
                                   NULL, NULL, &err),
                     0);
    struct reg_history_row *hist = NULL;
    size_t nh = 0;
    assert_int_equal(reg_history(s, reg_schema_find("risk"), "R2", &hist, &nh, &err), 0);
    assert_int_equal(nh, 2);
    assert_string_equal(hist[0].change, "added");
    assert_string_equal(hist[0].by, "unit test");
    assert_string_equal(hist[1].by, "someone");
    assert_non_null(strstr(hist[1].data, "\"trend\":\"rising\""));
    assert_null(strstr(hist[0].data, "trend"));
    reg_history_free(&hist, nh);
}

static void test_training_figures(void **state)
{
    struct testutil_clock *f = *state;
    struct store *s = f->s;
    struct svp_err err;
    ADD(s, "course", "FCP", NULL, "title=Foundation");
    ADD(s, "course", "ACP", NULL, "title=Advanced");
    ADD(s, "session", NULL, "FCP", "date=2026-03-02", "capacity=10");                /* bookings */
    ADD(s, "session", NULL, "FCP", "date=2026-03-09", "capacity=20", "attended=15"); /* count */
    ADD(s, "session", NULL, "FCP", "date=2026-03-16", "capacity=20", "state=cancelled");
    ADD(s, "session", NULL, "ACP", "date=2025-03-02", "capacity=20", "attended=20"); /* earlier */
    ADD(s, "booking", NULL, "FCP/S1", "agency=school", "status=attended");
    ADD(s, "booking", NULL, "FCP/S1", "agency=school", "status=attended");
    ADD(s, "booking", NULL, "FCP/S1", "agency=police", "status=attended");
    ADD(s, "booking", NULL, "FCP/S1", "agency=police", "status=no_show");
    ADD(s, "booking", NULL, "FCP/S1", "agency=health", "status=cancelled");
    ADD(s, "booking", NULL, "FCP/S1", "agency=health"); /* booked */
    /* evaluations: only from a delegate who attended (before: booked will do) */
    REFUSED(s, "evaluation", NULL, "FCP/S1/B4", SVP_EINPUT, "parent", "stage=after", "outcome=o",
            "confidence=5");
    REFUSED(s, "evaluation", NULL, "FCP/S1/B4", SVP_EINPUT, "parent", "stage=before", "outcome=o",
            "confidence=5");
    REFUSED(s, "evaluation", NULL, "FCP/S1/B1", SVP_EINPUT, "confidence", "stage=after",
            "outcome=o", "confidence=11");
    ADD(s, "evaluation", NULL, "FCP/S1/B6", "stage=before", "outcome=o", "confidence=5");
    ADD(s, "evaluation", NULL, "FCP/S1/B1", "stage=before", "outcome=o", "confidence=4");
    ADD(s, "evaluation", NULL, "FCP/S1/B1", "stage=after", "outcome=o", "confidence=8", "rating=5");
    ADD(s, "evaluation", NULL, "FCP/S1/B1", "stage=follow_up", "outcome=o", "confidence=7");
    ADD(s, "evaluation", NULL, "FCP/S1/B2", "stage=before", "outcome=o", "confidence=6");
    ADD(s, "evaluation", NULL, "FCP/S1/B2", "stage=after", "outcome=o", "confidence=6", "rating=4");
    ADD(s, "evaluation", NULL, "FCP/S1/B3", "stage=after", "outcome=o", "confidence=9", "rating=3");

    struct reg_training_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(reg_fig_training_by_course(s, "2025-04-01", "2026-03-31", &rows, &n, &err), 0);
    assert_int_equal(n, 3); /* ACP, FCP (by ref), TOTAL */
    assert_string_equal(rows[1].ref, "FCP");
    assert_int_equal(rows[1].sessions, 2);
    assert_int_equal(rows[1].attendees, 3 + 15);
    assert_int_equal(rows[1].capacity, 30);
    assert_int_equal(rows[1].no_shows, 1);
    assert_int_equal(rows[1].booked, 5);
    assert_true(rows[1].fill > 0.599 && rows[1].fill < 0.601);
    assert_int_equal(rows[0].sessions, 0); /* ACP's one session is before the period */
    assert_int_equal(rows[0].fill * 100, -100);
    assert_string_equal(rows[2].key, "TOTAL");
    assert_int_equal(rows[2].attendees, 18);
    svp_free(rows);
    assert_int_equal(reg_fig_training_by_agency(s, NULL, NULL, &rows, &n, &err), 0);
    assert_int_equal(n, 4);
    assert_string_equal(rows[0].key, "school");
    assert_int_equal(rows[0].attendees, 2);
    assert_string_equal(rows[1].key, "police");
    assert_int_equal(rows[1].no_shows, 1);
    assert_string_equal(rows[2].key, "health");
    assert_int_equal(rows[2].booked, 1);
    assert_string_equal(rows[3].key, "TOTAL");
    assert_int_equal(rows[3].attendees, 3);
    svp_free(rows);

    /* distance: pairs B1 (4 -> 8, follow-up 7) and B2 (6 -> 6); B3 only after; 3 attended */
    struct reg_distance_row *d = NULL;
    assert_int_equal(reg_fig_distance(s, NULL, NULL, &d, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(d[0].course, "Foundation");
    assert_int_equal(d[0].attended, 3);
    assert_int_equal(d[0].returns, 2);
    assert_int_equal(d[0].increased, 1);
    assert_true(d[0].before > 4.99 && d[0].before < 5.01);
    assert_true(d[0].after > 6.99 && d[0].after < 7.01);
    assert_true(d[0].change > 1.99 && d[0].change < 2.01);
    assert_true(d[0].change_follow_up > 2.99 && d[0].change_follow_up < 3.01);
    assert_int_equal(d[0].rated, 3);
    assert_true(d[0].rating > 3.99 && d[0].rating < 4.01);
    svp_free(d);
}

static void test_learning_from_anything(void **state)
{
    struct testutil_clock *f = *state;
    struct store *s = f->s;
    struct svp_err err;
    char ref[REG_REF_MAX];
    ADD(s, "inspection", "JTAI-1", NULL, "body=jtai", "title=JTAI", "date=2026-01-12");
    ADD(s, "audit", "CA-1", NULL, "kind=case_audit", "year=2025-26", "subject=neglect",
        "grading=requires_improvement");
    ADD(s, "child_death", "CD-1", NULL, "notified=2026-01-03", "age_band=28_days_to_1",
        "expected=unexpected", "rapid_response=2026-01-04");
    ADD(s, "course", "NEG", NULL, "title=Neglect");
    const char *const r1[] = {"text=Train on neglect", "course=NEG"};
    assert_int_equal(add(s, "recommendation", NULL, "inspection:JTAI-1", r1, 2, ref, &err), 0);
    assert_string_equal(ref, "inspection:JTAI-1/R1");
    ADD(s, "recommendation", NULL, "audit:CA-1", "text=Supervision");
    ADD(s, "recommendation", NULL, "child_death:CD-1", "text=Safe sleeping", "state=closed");
    REFUSED(s, "recommendation", NULL, "inspection:JTAI-1", SVP_EINPUT, "course", "text=t",
            "course=NOPE");
    REFUSED(s, "recommendation", NULL, "risk:R1", SVP_EINPUT, "parent", "text=t");
    REFUSED(s, "recommendation", NULL, "inspection:NOPE", SVP_ENOTFOUND, "parent", "text=t");
    ADD(s, "action", NULL, "inspection:JTAI-1/R1", "text=a", "owner=x", "due=2026-02-01");
    ADD(s, "action", NULL, "inspection:JTAI-1/R1", "text=b", "owner=x", "due=2026-09-01");
    struct reg_open_rec *v = NULL;
    size_t n = 0;
    assert_int_equal(reg_fig_open_recommendations(s, "inspection", D("2026-03-01"), &v, &n, &err),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].parent_ref, "JTAI-1");
    assert_string_equal(v[0].course, "NEG");
    assert_int_equal(v[0].actions_open, 2);
    assert_int_equal(v[0].actions_overdue, 1);
    svp_free(v);
    assert_int_equal(reg_fig_open_recommendations(s, NULL, D("2026-03-01"), &v, &n, &err), 0);
    assert_int_equal(n, 2); /* the child death's is closed */
    svp_free(v);
    struct reg_cdop_figs c;
    assert_int_equal(reg_fig_cdop(s, "2025-04-01", "2026-03-31", &c, &err), 0);
    assert_int_equal(c.notifications, 1);
    assert_int_equal(c.unexpected, 1);
    assert_int_equal(c.under_1_notified, 1);
    assert_int_equal(c.awaiting_review, 1);
    assert_int_equal(c.rapid_responses, 1);
    assert_true(c.rapid_response_mean_days > 0.99 && c.rapid_response_mean_days < 1.01);
    assert_true(c.modifiable_rate < 0); /* nothing reviewed */
    REFUSED(s, "child_death", "CD-2", NULL, SVP_EINPUT, "reviewed", "notified=2026-01-03",
            "age_band=1_to_4", "expected=expected", "reviewed=2026-01-02");
}

/* Writes text to a temporary file; returns its path (static buffer). */
static const char *temp_csv(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/svp-reg-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_import_all_or_nothing(void **state)
{
    struct testutil_clock *f = *state;
    struct store *s = f->s;
    struct svp_err err;
    struct reg_import_result res;
    const char *p = temp_csv("ref,kind,year,subject,returned,sector\n"
                             "A1,s175,2016-17,School 1,2016-12-01,academy\n"
                             "A2,s175,2016-17,School 2,,independent\n"
                             "A1,s175,2016-17,School 3,2016-12-02,academy\n"
                             "A4,s176,2016-17,School 4,,academy\n"
                             "A5,s175,2016-17\n");
    assert_int_equal(reg_import_csv(s, reg_schema_find("audit"), p, "test", &res, &err),
                     SVP_EINPUT);
    assert_int_equal(res.rows, 5);
    assert_int_equal(res.added, 0);
    assert_int_equal(res.refused, 3);
    assert_int_equal(res.errors[0].line, 4);
    assert_string_equal(res.errors[0].field, "ref");
    assert_int_equal(res.errors[1].line, 5);
    assert_string_equal(res.errors[1].field, "kind");
    assert_int_equal(res.errors[2].line, 6);
    reg_import_result_free(&res);
    assert_int_equal(count(s, "SELECT count(*) FROM register_entry"), 0);
    assert_int_equal(count(s, "SELECT count(*) FROM register_history"), 0);
    remove(p);
    p = temp_csv("ref,kind,year,subject,returned,sector,head\nA1,s175,2016-17,S,,x,y\n");
    assert_int_equal(reg_import_csv(s, reg_schema_find("audit"), p, "test", &res, &err),
                     SVP_EINPUT);
    assert_string_equal(err.field, "head");
    assert_int_equal(err.line, 1);
    reg_import_result_free(&res);
    remove(p);
    p = temp_csv("ref,kind,year,subject,returned,sector\n"
                 "A1,s175,2016-17,School 1,2016-12-01,academy\n"
                 "A2,s175,2016-17,School 2,,independent\n"
                 "A3,s175,2016-17,School 3,,independent\n");
    assert_int_equal(reg_import_csv(s, reg_schema_find("audit"), p, "test", &res, &err), 0);
    assert_int_equal(res.added, 3);
    reg_import_result_free(&res);
    remove(p);
    assert_int_equal(count(s, "SELECT count(*) FROM register_history"), 3);
    struct reg_return_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(reg_fig_returns(s, "2016-17", &rows, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].kind, "s175");
    assert_int_equal(rows[0].total, 3);
    assert_int_equal(rows[0].returned, 1);
    assert_string_equal(rows[2].sector, "independent");
    assert_int_equal(rows[2].total, 2);
    assert_int_equal(rows[2].rate * 100, 0);
    svp_free(rows);
    /* the export reads back as the import wrote */
    struct reg_table t;
    assert_int_equal(reg_table_build(s, reg_schema_find("audit"), &t, &err), 0);
    assert_int_equal(t.nrows, 4);
    assert_string_equal(t.cells[0], "ref");
    assert_string_equal(t.cells[t.ncols], "A1");
    assert_string_equal(t.cells[t.ncols * 2 - 1], "yes"); /* computed return_in */
    reg_table_free(&t);
}

/* A recommendation stored before it had a state (an older svp) reads as open and can be
 * changed: a field added to a schema later takes its default. */
static void test_entry_stored_before_a_field_existed(void **state)
{
    struct testutil_clock *f = *state;
    struct store *s = f->s;
    struct svp_err err;
    ADD(s, "review", "V1", NULL, "kind=sar");
    ADD(s, "recommendation", NULL, "V1", "text=old");
    if (store_exec(s, "UPDATE register_entry SET data = '{\"text\":\"old\"}' WHERE ref = 'V1/R1'",
                   &err))
        fail_msg("%s", err.msg);
    struct reg_entry e;
    assert_int_equal(reg_get(s, reg_schema_find("recommendation"), "V1/R1", &e, &err), 0);
    assert_string_equal(reg_entry_get(&e, "state"), "open");
    reg_entry_clear(&e);
    struct reg_change ch[] = {{"theme", "supervision"}};
    assert_int_equal(
        reg_update(s, reg_schema_find("recommendation"), "V1/R1", ch, 1, NULL, &err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stages_match_clock_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_risk_and_escalations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_training_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_learning_from_anything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_entry_stored_before_a_field_existed, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("partnership registers", tests, NULL, NULL);
}
