/* Unit tests for the registers room: the generic engine, the case review register and its
 * deadlines (the SVPP 2021-22 annual report's table), and the case learning tracker.
 * Runs on SQLite and PostgreSQL. */
#include "testutil.h"

#include "registers/registers.h"

#include <stdlib.h>
#include <string.h>

#define D testutil_day

/* the registers room judges deadlines on the calendar in use in the database */
#define setup testutil_clock_setup_db_calendar
#define teardown testutil_clock_teardown

static int64_t count_entries(struct store *s)
{
    int64_t n = -1;
    struct svp_err err;
    if (store_query_int64(s, "SELECT count(*) FROM register_entry", &n, &err))
        fail_msg("%s", err.msg);
    return n;
}

/* Adds a review with fields given as "name=value" strings; returns the status. */
static int add_review(struct testutil_clock *f, const char *ref, const char *const *kv, size_t n,
                      struct svp_err *err)
{
    struct reg_entry e;
    int rc = reg_entry_init(&e, reg_schema_find("review"), err);
    svp_strlcpy(e.ref, ref, sizeof e.ref);
    for (size_t i = 0; i < n && rc == SVP_OK; i++) {
        char name[64];
        const char *eq = strchr(kv[i], '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq - kv[i]), kv[i]);
        rc = reg_entry_set(&e, name, eq + 1, err);
    }
    if (rc == SVP_OK)
        rc = reg_add(f->s, &e, NULL, err);
    reg_entry_clear(&e);
    return rc;
}

#define ADD_OK(f, ref, ...)                                                                        \
    do {                                                                                           \
        const char *const kv_[] = {__VA_ARGS__};                                                   \
        struct svp_err e_;                                                                         \
        if (add_review(f, ref, kv_, sizeof kv_ / sizeof kv_[0], &e_))                              \
            fail_msg("add %s: %s", ref, e_.msg);                                                   \
    } while (0)

static void expect_refused(struct testutil_clock *f, const char *ref, const char *const *kv,
                           size_t n, const char *field, const char *msg)
{
    int64_t before = count_entries(f->s);
    struct svp_err err;
    svp_err_clear(&err);
    int rc = add_review(f, ref, kv, n, &err);
    if (rc != SVP_EINPUT)
        fail_msg("review %s accepted (rc %d)", ref, rc);
    assert_string_equal(err.field, field);
    if (!strstr(err.msg, msg))
        fail_msg("'%s' lacks '%s'", err.msg, msg);
    assert_int_equal(count_entries(f->s), before);
}

static int fail_also(struct store *s, const struct reg_entry *e, void *ctx, struct svp_err *err)
{
    (void)s, (void)e, (void)ctx;
    return svp_err_set(err, SVP_EINTERNAL, "the audit trail could not be written");
}

static int count_also(struct store *s, const struct reg_entry *e, void *ctx, struct svp_err *err)
{
    (void)s, (void)err;
    assert_string_equal(e->ref, "R2");
    ++*(int *)ctx;
    return 0;
}

static void test_review_refused(void **state)
{
    struct testutil_clock *f = *state;
    const char *order[] = {"kind=lcspr", "initiation=2022-03-01", "publication=2022-01-01"};
    expect_refused(f, "R1", order, 3, "publication", "before initiation");
    const char *nodate[] = {"kind=lcspr", "awareness=2022-02-30"};
    expect_refused(f, "R1", nodate, 2, "awareness", "no such day");
    const char *notdate[] = {"kind=sar", "notification=01/02/2022"};
    expect_refused(f, "R1", notdate, 2, "notification", "");
    const char *kind[] = {"kind=serious"};
    expect_refused(f, "R1", kind, 1, "kind", "not one of");
    const char *nokind[] = {"title=Child A"};
    expect_refused(f, "R1", nokind, 1, "kind", "needs a kind");
    const char *field[] = {"kind=sar", "colour=red"};
    expect_refused(f, "R1", field, 2, "colour", "no field");
    const char *badref[] = {"kind=sar"};
    expect_refused(f, "R 1/x", badref, 1, "ref", "not a reference");
    assert_int_equal(count_entries(f->s), 0);

    /* an update that breaks the order is refused and changes nothing */
    ADD_OK(f, "R2", "kind=lcspr", "initiation=2022-03-01", "publication=2022-09-01");
    struct reg_change ch[] = {{"publication", "2022-02-01"}};
    struct svp_err err;
    assert_int_equal(reg_update(f->s, reg_schema_find("review"), "R2", ch, 1, NULL, &err),
                     SVP_EINPUT);
    struct reg_entry e;
    assert_int_equal(reg_get(f->s, reg_schema_find("review"), "R2", &e, &err), 0);
    assert_string_equal(reg_entry_get(&e, "publication"), "2022-09-01");
    reg_entry_clear(&e);
    /* a duplicate ref is a conflict */
    const char *dup[] = {"kind=sar"};
    assert_int_equal(add_review(f, "R2", dup, 1, &err), SVP_ECONFLICT);
    assert_int_equal(reg_get(f->s, reg_schema_find("review"), "none", &e, &err), SVP_ENOTFOUND);
    /* clearing a field on update */
    struct reg_change clear[] = {{"publication", ""}};
    assert_int_equal(reg_update(f->s, reg_schema_find("review"), "R2", clear, 1, &e, &err), 0);
    assert_null(reg_entry_get(&e, "publication"));
    reg_entry_clear(&e);
    /* what an update does beside it (an audit entry) is in its transaction: when that
     * fails, the update is not stored */
    struct reg_change later[] = {{"publication", "2022-10-01"}};
    assert_int_equal(reg_update_also(f->s, reg_schema_find("review"), "R2", later, 1, &e,
                                     fail_also, NULL, &err),
                     SVP_EINTERNAL);
    assert_int_equal(reg_get(f->s, reg_schema_find("review"), "R2", &e, &err), 0);
    assert_null(reg_entry_get(&e, "publication"));
    reg_entry_clear(&e);
    int calls = 0;
    assert_int_equal(reg_update_also(f->s, reg_schema_find("review"), "R2", later, 1, NULL,
                                     count_also, &calls, &err),
                     0);
    assert_int_equal(calls, 1);
    assert_int_equal(reg_get(f->s, reg_schema_find("review"), "R2", &e, &err), 0);
    assert_string_equal(reg_entry_get(&e, "publication"), "2022-10-01");
    reg_entry_clear(&e);
}

/* SVPP annual report 2021-22, case reviews since June 2018: "10 notifications made ... All
 * made within 5 working days"; "8 Rapid Reviews completed ... 7 submitted within 15 working
 * days ... 1 submitted on day 16". */
static void test_annual_report_table(void **state)
{
    struct testutil_clock *f = *state;
    /* notified on working days 1..5 after awareness; rapid reviews on days 12..15 after
     * awareness (Working Together 2018 ch.4 para 22 counts from becoming aware, as the
     * report does), and one on day 16 (2022-09-05 + 15 working days over the State Funeral
     * of 19 September is 2022-09-27) */
    ADD_OK(f, "RR-01", "kind=lcspr", "awareness=2018-07-02", "notification=2018-07-03",
           "rapid_review_sent=2018-07-18", "initiation=2018-08-20", "publication=2019-02-15");
    ADD_OK(f, "RR-02", "kind=rapid_review", "awareness=2018-11-09", "notification=2018-11-16",
           "rapid_review_sent=2018-11-29");
    ADD_OK(f, "RR-03", "kind=rapid_review", "awareness=2019-03-29", "notification=2019-04-04",
           "rapid_review_sent=2019-04-23"); /* Easter 2019: 19 and 22 April */
    ADD_OK(f, "RR-04", "kind=lcspr", "awareness=2019-12-20", "notification=2019-12-30",
           "rapid_review_sent=2020-01-13", "initiation=2020-02-10", "publication=2020-11-10");
    ADD_OK(f, "RR-05", "kind=rapid_review", "awareness=2020-05-05", "notification=2020-05-11",
           "rapid_review_sent=2020-05-27"); /* VE day moved to Friday 8 May 2020 */
    ADD_OK(f, "RR-06", "kind=rapid_review", "awareness=2021-05-28", "notification=2021-06-02",
           "rapid_review_sent=2021-06-21");
    ADD_OK(f, "RR-07", "kind=rapid_review", "awareness=2021-09-13", "notification=2021-09-17",
           "rapid_review_sent=2021-10-01");
    ADD_OK(f, "RR-08", "kind=rapid_review", "awareness=2022-09-05", "notification=2022-09-09",
           "rapid_review_sent=2022-09-28"); /* day 16 */
    /* two notified, not (yet) rapid reviews: the panel advised another partnership */
    ADD_OK(f, "N-09", "kind=non_statutory", "awareness=2021-01-04", "notification=2021-01-08");
    ADD_OK(f, "N-10", "kind=non_statutory", "awareness=2021-11-01", "notification=2021-11-05");
    /* a SAR and a DHR are in the register too but are timed by other rules */
    ADD_OK(f, "SAR-1", "kind=sar", "initiation=2021-04-01", "publication=2021-09-30");
    ADD_OK(f, "DHR-1", "kind=dhr", "notification=2021-06-01", "decision=2021-06-25");

    /* the two cases reviewed elsewhere are kept as non-statutory here: a partnership that
     * counts their notifications changes the rule's `when` (as data, here in memory) */
    for (size_t i = 0; i < f->rules->n; i++)
        if (!strcmp(f->rules->v[i].id, "notification"))
            svp_strlcpy(f->rules->v[i].when_values, "rapid_review|lcspr|non_statutory",
                        sizeof f->rules->v[i].when_values);
    struct clock_query q = {.as_of = D("2022-11-01")};
    struct clock_summary *rows = NULL;
    size_t n = 0;
    long skipped = 0;
    struct svp_err err;
    if (reg_clock_report(f->s, f->cal, f->rules, &q, &rows, &n, &skipped, &err))
        fail_msg("%s", err.msg);
    char lines[8][512];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 8; i++)
        clock_summary_sentence(&rows[i], lines[k++], sizeof lines[0]);
    assert_true(k >= 4);
    assert_string_equal(lines[0], "serious incident notification to the national panel: 10 due, "
                                  "all within 5 working days");
    assert_string_equal(lines[1], "rapid review sent to the national panel: 8 due, 7 within 15 "
                                  "working days (88%), 1 on day 16");
    assert_string_equal(rows[0].rule->id, "notification");
    assert_int_equal(rows[1].late, 1);
    assert_int_equal(rows[1].max_taken_late, 16);
    /* RR-01 published within 6 months; RR-04 took 9 */
    assert_string_equal(rows[2].rule->id, "lcspr_publication");
    assert_int_equal(rows[2].on_time, 1);
    assert_int_equal(rows[2].late, 1);
    /* the SAR on time; the DHR decided within a month, its report overdue */
    bool sar = false, dhr = false;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(rows[i].rule->id, "sar_publication"))
            sar = rows[i].on_time == 1;
        if (!strcmp(rows[i].rule->id, "dhr_completion"))
            dhr = rows[i].overdue == 1;
    }
    assert_true(sar && dhr);
    svp_free(rows);

    /* one review's clocks, with lateness in working days */
    struct clock_list l = {0};
    assert_int_equal(reg_review_clocks(f->s, f->cal, f->rules, &q, "RR-08", &l, &err), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[1].rule->id, "rapid_review");
    assert_int_equal(l.v[1].state, CLOCK_LATE);
    assert_int_equal(l.v[1].late_by, 1);
    assert_int_equal(l.v[1].taken, 16);
    clock_list_free(&l);
    /* a period: only deadlines in 2021 */
    struct clock_query y = {.as_of = D("2022-11-01"),
                            .has_from = true,
                            .from = D("2021-01-01"),
                            .has_to = true,
                            .to = D("2021-12-31"),
                            .rule_id = "notification"};
    assert_int_equal(reg_review_clocks(f->s, f->cal, f->rules, &y, NULL, &l, &err), 0);
    assert_int_equal(l.n, 4); /* RR-06, RR-07, N-09, N-10 */
    clock_list_free(&l);
}

static int add_child(struct testutil_clock *f, const char *schema, const char *parent,
                     const struct reg_change *ch, size_t n, char *ref_out, struct svp_err *err)
{
    struct reg_entry e;
    int rc = reg_entry_init(&e, reg_schema_find(schema), err);
    for (size_t i = 0; i < n && rc == SVP_OK; i++)
        rc = reg_entry_set(&e, ch[i].field, ch[i].value, err);
    if (rc == SVP_OK)
        rc = reg_add(f->s, &e, parent, err);
    if (rc == SVP_OK && ref_out)
        svp_strlcpy(ref_out, e.ref, REG_REF_MAX);
    reg_entry_clear(&e);
    return rc;
}

static void test_learning_tracker(void **state)
{
    struct testutil_clock *f = *state;
    ADD_OK(f, "LCSPR-Eva", "kind=lcspr", "initiation=2021-06-01", "publication=2022-08-15");
    struct svp_err err;
    char rec[REG_REF_MAX], a1[REG_REF_MAX], a2[REG_REF_MAX], ev[REG_REF_MAX];
    struct reg_change r[] = {{"text", "Assess the impact of parental cannabis use"},
                             {"theme", "invisible men"}};
    assert_int_equal(add_child(f, "recommendation", "LCSPR-Eva", r, 2, rec, &err), 0);
    assert_string_equal(rec, "LCSPR-Eva/R1");
    struct reg_change act1[] = {
        {"text", "Guidance on cannabis and parenting"}, {"owner", "csc"}, {"due", "2022-10-31"}};
    struct reg_change act2[] = {
        {"text", "Training for health visitors"}, {"owner", "health"}, {"due", "2022-12-31"}};
    assert_int_equal(add_child(f, "action", rec, act1, 3, a1, &err), 0);
    assert_int_equal(add_child(f, "action", rec, act2, 3, a2, &err), 0);
    assert_string_equal(a1, "LCSPR-Eva/R1/A1");
    assert_string_equal(a2, "LCSPR-Eva/R1/A2");
    struct reg_change e1[] = {{"text", "Audit: 9 of 10 assessments consider cannabis use"},
                              {"date", "2023-02-01"}};
    assert_int_equal(add_child(f, "evidence", a2, e1, 2, ev, &err), 0);
    assert_string_equal(ev, "LCSPR-Eva/R1/A2/E1");
    /* an action needs an owner, a due date that exists, and a real recommendation */
    struct reg_change noowner[] = {{"text", "x"}, {"due", "2022-10-31"}};
    assert_int_equal(add_child(f, "action", rec, noowner, 2, NULL, &err), SVP_EINPUT);
    assert_string_equal(err.field, "owner");
    struct reg_change baddue[] = {{"text", "x"}, {"owner", "csc"}, {"due", "2022-09-31"}};
    assert_int_equal(add_child(f, "action", rec, baddue, 3, NULL, &err), SVP_EINPUT);
    assert_int_equal(add_child(f, "action", "LCSPR-Eva/R9", act1, 3, NULL, &err), SVP_ENOTFOUND);
    /* a recommendation cannot hang off an action: the parent must be a review */
    assert_int_equal(add_child(f, "recommendation", a1, r, 2, NULL, &err), SVP_ENOTFOUND);
    assert_int_equal(count_entries(f->s), 5);

    /* overdue on 2022-11-15: A1 only; on 2023-01-05 both, oldest first */
    struct reg_entry *v = NULL;
    size_t n = 0;
    assert_int_equal(reg_learning_overdue(f->s, D("2022-11-15"), &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].ref, a1);
    reg_entries_free(&v, n);
    assert_int_equal(reg_learning_overdue(f->s, D("2023-01-05"), &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].ref, a1);
    assert_string_equal(v[1].ref, a2);
    reg_entries_free(&v, n);
    /* done: no longer overdue */
    struct reg_change done[] = {{"state", "done"}, {"done_date", "2022-11-20"}};
    assert_int_equal(reg_update(f->s, reg_schema_find("action"), a1, done, 2, NULL, &err), 0);
    struct reg_change badstate[] = {{"state", "finished"}};
    assert_int_equal(reg_update(f->s, reg_schema_find("action"), a2, badstate, 1, NULL, &err),
                     SVP_EINPUT);
    assert_int_equal(reg_learning_overdue(f->s, D("2023-01-05"), &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].ref, a2);
    assert_string_equal(reg_entry_get(&v[0], "owner"), "health");
    reg_entries_free(&v, n);
    /* the tree: children of the recommendation in the order added */
    struct reg_entry rec_e;
    assert_int_equal(reg_get(f->s, reg_schema_find("recommendation"), rec, &rec_e, &err), 0);
    assert_int_equal(reg_list(f->s, reg_schema_find("action"), rec_e.id, &v, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(reg_entry_get(&v[0], "state"), "done");
    assert_string_equal(reg_entry_get(&v[1], "state"), "open");
    reg_entries_free(&v, n);
    reg_entry_clear(&rec_e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_review_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_annual_report_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_learning_tracker, setup, teardown),
    };
    return cmocka_run_group_tests_name("registers", tests, NULL, NULL);
}
