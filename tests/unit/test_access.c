/* The access room directly: passwords, sign-in lock, sessions, the authorisation rules,
 * pseudonyms and the audit chain. Runs on SQLite and on PostgreSQL. */
#include "testutil.h"

#include "access/access.h"
#include "access/access_int.h"

#include <stdlib.h>
#include <string.h>

/* A fresh migrated database per test (testutil's fixture). */
#define fixture testutil_db
#define setup testutil_db_setup
#define teardown testutil_db_teardown

static void test_password_is_hashed_and_checked(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t id;
    assert_int_equal(access_user_add(f->s, NULL, "amy", ACCESS_ANALYST, "partnership",
                                     "a good long password", false, &id, &err),
                     0);
    int64_t n = 0;
    assert_int_equal(store_query_int64(f->s,
                                       "SELECT count(*) FROM app_user WHERE pw_hash LIKE "
                                       "'$argon2id$%' AND pw_hash NOT LIKE '%good long%'",
                                       &n, &err),
                     0);
    assert_int_equal(n, 1);
    struct access_user u;
    assert_int_equal(access_login(f->s, "amy", "a good long password", 1000, &u, &err), 0);
    assert_int_equal(u.id, id);
    assert_int_equal(u.role, ACCESS_ANALYST);
    assert_int_equal(access_login(f->s, "amy", "a wrong password", 1000, &u, &err), SVP_EINPUT);
    /* The same words for an unknown name: a caller cannot tell which names exist. */
    char wrong[512];
    svp_strlcpy(wrong, err.msg, sizeof wrong);
    assert_int_equal(access_login(f->s, "nobody", "a wrong password", 1000, &u, &err),
                     SVP_EINPUT);
    assert_string_equal(err.msg, wrong);
    assert_int_equal(access_user_add(f->s, NULL, "amy", ACCESS_PANEL, "csc",
                                     "another long password", false, NULL, &err),
                     SVP_ECONFLICT);
    assert_int_equal(access_user_add(f->s, NULL, "bob", ACCESS_PANEL, "csc", "short", false,
                                     NULL, &err),
                     SVP_EINPUT);
    assert_string_equal(err.field, "password");
}

static void test_lock_after_failures_and_unlock_by_reset(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    struct access_user u;
    assert_int_equal(access_user_add(f->s, NULL, "cat", ACCESS_PANEL, "csc",
                                     "the right password", false, NULL, &err),
                     0);
    /* Failures are counted but lock nothing: a stranger cannot shut the owner out. */
    for (int i = 0; i < 20; i++)
        assert_int_equal(access_login(f->s, "cat", "the wrong password", 5000, &u, &err),
                         SVP_EINPUT);
    int64_t failed = 0;
    assert_int_equal(store_query_int64(f->s, "SELECT failed_logins FROM app_user WHERE username "
                                             "= 'cat'", &failed, &err),
                     0);
    assert_int_equal(failed, 20);
    assert_int_equal(access_login(f->s, "cat", "the right password", 5001, &u, &err), 0);
    /* An administrator's lock holds until it runs out, and answers like a wrong password. */
    char wrong[512];
    assert_int_equal(access_login(f->s, "cat", "the wrong password", 5002, &u, &err),
                     SVP_EINPUT);
    svp_strlcpy(wrong, err.msg, sizeof wrong);
    testutil_exec(f->s, "UPDATE app_user SET locked_until = 6000 WHERE username = 'cat'");
    assert_int_equal(access_login(f->s, "cat", "the right password", 5003, &u, &err),
                     SVP_EINPUT);
    assert_string_equal(err.msg, wrong);
    assert_int_equal(access_login(f->s, "cat", "the right password", 6001, &u, &err), 0);
    assert_int_equal(access_user_set_password(f->s, NULL, "cat", "a brand new password", true,
                                              &err),
                     0);
    assert_int_equal(access_login(f->s, "cat", "a brand new password", 9001, &u, &err), 0);
    assert_true(u.must_change);
    assert_int_equal(access_user_set_disabled(f->s, NULL, "cat", true, &err), 0);
    assert_int_equal(access_login(f->s, "cat", "a brand new password", 9002, &u, &err),
                     SVP_EINPUT);
}

static void test_sessions_store_only_a_hash_and_expire(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t id;
    assert_int_equal(access_user_add(f->s, NULL, "dan", ACCESS_AUDITOR, "partnership",
                                     "the right password", false, &id, &err),
                     0);
    struct access_session s, found;
    assert_int_equal(access_session_create(f->s, id, 1000, 60, &s, &err), 0);
    assert_int_equal(strlen(s.token), ACCESS_TOKEN_LEN);
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(f->s, "SELECT count(*) FROM app_session WHERE token_hash = ?",
                                   &st, &err),
                     0);
    assert_int_equal(store_bind_text(st, 1, s.token, -1), 0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_int_equal(store_column_int64(st, 0), 0); /* the token itself is not stored */
    store_finalize(&st);
    assert_int_equal(access_session_find(f->s, s.token, 1059, &found, &err), 0);
    assert_int_equal(found.user.id, id);
    assert_true(access_csrf_ok(&found, s.csrf));
    assert_false(access_csrf_ok(&found, "0000"));
    assert_false(access_csrf_ok(&found, NULL));
    assert_int_equal(access_session_find(f->s, s.token, 1060, &found, &err), SVP_ENOTFOUND);
    assert_int_equal(access_session_find(f->s, "' OR 1=1 --", 1000, &found, &err),
                     SVP_ENOTFOUND);
    assert_int_equal(access_session_end(f->s, s.token, &err), 0);
    assert_int_equal(access_session_find(f->s, s.token, 1001, &found, &err), SVP_ENOTFOUND);
    /* The idle limit beside the absolute one: a use is noted at most once a minute. */
    struct access_session idle;
    int64_t uid2;
    assert_int_equal(access_user_add(f->s, NULL, "idler", ACCESS_PANEL, "csc",
                                     "an idle long password", false, &uid2, &err),
                     0);
    assert_int_equal(access_session_create(f->s, uid2, 1000, 3600, &idle, &err), 0);
    struct access_session got;
    assert_int_equal(access_session_find_idle(f->s, idle.token, 1070, 90, &got, &err), 0);
    assert_int_equal(access_session_find_idle(f->s, idle.token, 1150, 90, &got, &err), 0);
    assert_int_equal(access_session_find_idle(f->s, idle.token, 1300, 90, &got, &err),
                     SVP_ENOTFOUND);
    assert_non_null(strstr(err.msg, "idle"));
    /* Without an idle limit it lasts its hour. */
    assert_int_equal(access_session_find_idle(f->s, idle.token, 4000, 0, &got, &err), 0);
    assert_int_equal(access_session_find_idle(f->s, idle.token, 4601, 0, &got, &err),
                     SVP_ENOTFOUND);
}

static void test_authorise_rules(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s, "INSERT INTO record (source, agency, agency_record_id) VALUES "
                  "('police', 'police', 'P1'), ('csc', 'csc', 'C1'), ('csc', 'csc', 'C2');"
                  "INSERT INTO person (created_at) VALUES ('x'), ('x');"
                  "INSERT INTO person_record (record_id, person_id) VALUES (1, 1), (2, 1), "
                  "(3, 2);");
    struct access_user prac = {.id = 1, .role = ACCESS_PRACTITIONER, .agency = "police"};
    struct access_user analyst = {.id = 2, .role = ACCESS_ANALYST, .agency = "partnership"};
    struct access_user auditor = {.id = 3, .role = ACCESS_AUDITOR, .agency = "partnership"};
    struct access_request person1 = {.roles = ACCESS_ALL_ROLES & ~ACCESS_AUDITOR,
                                     .data = ACCESS_DATA_PERSONAL,
                                     .object = ACCESS_OBJ_PERSON, .object_id = 1};
    struct access_decision d;
    struct svp_err err;
    assert_int_equal(access_authorise(f->s, &prac, &person1, &d, &err), 0);
    assert_true(d.allowed);
    assert_string_equal(d.scope_agency, "police");
    /* Record 2 is csc's, but its person is known to police through record 1. */
    struct access_request rec2 = person1;
    rec2.object = ACCESS_OBJ_RECORD;
    rec2.object_id = 2;
    assert_int_equal(access_authorise(f->s, &prac, &rec2, &d, &err), 0);
    assert_true(d.allowed);
    struct access_request person2 = person1;
    person2.object_id = 2;
    assert_int_equal(access_authorise(f->s, &prac, &person2, &d, &err), 0);
    assert_false(d.allowed);
    assert_int_equal(d.status, 403);
    assert_int_equal(access_share_person(f->s, NULL, 2, "police", "panel list", &err), 0);
    assert_int_equal(access_authorise(f->s, &prac, &person2, &d, &err), 0);
    assert_true(d.allowed);
    assert_int_equal(access_authorise(f->s, &analyst, &person1, &d, &err), 0);
    assert_true(d.allowed && d.pseudonymise);
    /* A purpose from the partnership's list is recorded and lifts nothing; free text is
     * refused, naming the list. */
    person1.purpose = "performance";
    assert_int_equal(access_authorise(f->s, &analyst, &person1, &d, &err), 0);
    assert_true(d.allowed && d.pseudonymise);
    person1.purpose = "s47 enquiry strategy discussion";
    assert_int_equal(access_authorise(f->s, &analyst, &person1, &d, &err), 0);
    assert_false(d.allowed);
    assert_non_null(strstr(d.reason, "needs_analysis"));
    person1.purpose = NULL;
    assert_int_equal(access_authorise(f->s, &auditor, &person1, &d, &err), 0);
    assert_false(d.allowed);
    assert_int_equal(access_authorise(f->s, NULL, &person1, &d, &err), 0);
    assert_int_equal(d.status, 401);
}

static void test_pseudonyms_are_stable_and_keyed(void **state)
{
    struct fixture *f = *state;
    char a[32], b[32], c[32];
    struct svp_err err;
    assert_int_equal(access_pseudonym(f->s, 'R', 7, a, sizeof a, &err), 0);
    assert_int_equal(access_pseudonym(f->s, 'R', 7, b, sizeof b, &err), 0);
    assert_int_equal(access_pseudonym(f->s, 'R', 8, c, sizeof c, &err), 0);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strncmp(a, "R-", 2), 0);
    assert_int_equal(strlen(a), 12);
}

static void test_audit_chain_detects_edits_and_gaps(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    struct access_user u = {.id = 9, .username = "eve", .role = ACCESS_PANEL};
    struct access_audit_item items[3] = {
        {&u, "view", "person:1", "strategy meeting", NULL, NULL},
        {&u, "search", "persons", NULL, "q=smith", ",p1,p7,r3,"},
        {NULL, "change", "user:2", NULL, "disabled", NULL},
    };
    assert_int_equal(access_audit_many(f->s, items, 3, &err), 0);
    assert_int_equal(access_audit(f->s, &u, "view", "person:2", NULL, NULL, &err), 0);
    int64_t checked = 0;
    assert_int_equal(access_audit_verify(f->s, &checked, &err), 0);
    assert_int_equal(checked, 4);
    struct access_audit_entry *v;
    size_t n;
    assert_int_equal(access_audit_list(f->s, 9, 0, 10, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].object, "person:2");
    assert_string_equal(v[2].purpose, "strategy meeting");
    svp_free(v);
    testutil_exec(f->s, "UPDATE audit_log SET purpose = 'curiosity' WHERE id = 1");
    assert_int_equal(access_audit_verify(f->s, &checked, &err), SVP_ECONFLICT);
    assert_non_null(strstr(err.msg, "entry 1 was changed"));
    testutil_exec(f->s, "UPDATE audit_log SET purpose = 'strategy meeting' WHERE id = 1");
    assert_int_equal(access_audit_verify(f->s, &checked, &err), 0);
    testutil_exec(f->s, "DELETE FROM audit_log WHERE id = 2");
    assert_int_equal(access_audit_verify(f->s, &checked, &err), SVP_ECONFLICT);
    assert_non_null(strstr(err.msg, "entry 3 does not follow"));
}

/* A child known to police, health and csc, with events of several categories. */
static void add_child(struct fixture *f)
{
    testutil_exec(f->s,
            "INSERT INTO record (source, agency, agency_record_id, given_name, family_name) "
            "VALUES ('police-niche', 'police', 'P1', 'Ada', 'Ng'),"
            "('health-sh', 'health', 'H1', 'Ada', 'Ng'), ('csc-lcs', 'csc', 'C1', 'Ada', 'Ng'),"
            "('education', 'education', 'S9', 'Bo', 'Li');"
            "INSERT INTO person (created_at) VALUES ('2026-01-01'), ('2026-01-01');"
            "INSERT INTO person_record (record_id, person_id) VALUES (1, 1), (2, 1), (3, 1), "
            "(4, 2);");
}

static struct access_view view_of(struct fixture *f, const struct access_policy *p,
                                  enum access_role role, const char *agency, int64_t person)
{
    struct access_user u = {.id = 5, .role = role};
    svp_strlcpy(u.agency, agency, sizeof u.agency);
    struct access_view v;
    struct svp_err err;
    if (access_view_compute(f->s, p, &u, ACCESS_OBJ_PERSON, person, &v, &err))
        fail_msg("%s", err.msg);
    return v;
}

static void test_sharing_rules_and_conditions(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    add_child(f);
    struct access_policy *p = NULL;
    assert_int_equal(access_policy_load(f->s, &p, &err), 0);
    /* Categories: the specific subtype wins over the type's row; unknown types are ordinary. */
    assert_int_equal(access_event_category(p, "sexual_health", "pregnancy"),
                     ACCESS_CAT_SEXUAL_HEALTH);
    assert_int_equal(access_event_category(p, "ed_attendance", "self_harm"),
                     ACCESS_CAT_MENTAL_HEALTH);
    assert_int_equal(access_event_category(p, "ed_attendance", "injury"), ACCESS_CAT_ORDINARY);
    /* an ED attendance for sexual health (docs/model.md's ED reason) is sexual health data,
     * as an attendance for a pregnancy or a sexual assault is */
    assert_int_equal(access_event_category(p, "ed_attendance", "sexual_health"),
                     ACCESS_CAT_SEXUAL_HEALTH);
    assert_int_equal(access_event_category(p, "ed_attendance", "pregnancy"),
                     ACCESS_CAT_SEXUAL_HEALTH);
    assert_int_equal(access_event_category(p, "intelligence", NULL), ACCESS_CAT_POLICE_INTEL);
    assert_int_equal(access_event_category(p, "no_such_type", NULL), ACCESS_CAT_ORDINARY);
    assert_int_equal(access_indicator_category(p, "sexual_health"), ACCESS_CAT_SEXUAL_HEALTH);

    /* A police practitioner: police's records only, and that health and csc know her. */
    struct access_view v = view_of(f, p, ACCESS_PRACTITIONER, "police", 1);
    assert_true(v.any);
    assert_false(v.whole);
    assert_true(access_view_allows(&v, "police", ACCESS_CAT_POLICE_INTEL));
    assert_false(access_view_allows(&v, "health", ACCESS_CAT_ORDINARY));
    assert_false(access_view_allows(&v, "csc", ACCESS_CAT_ORDINARY));
    assert_int_equal(v.known_to, (1u << access_agency_index("police")) |
                                     (1u << access_agency_index("health")) |
                                     (1u << access_agency_index("csc")));
    /* Not known to education: refused outright. */
    assert_false(view_of(f, p, ACCESS_PRACTITIONER, "education", 1).any);
    /* A panel member from education: nothing until she is on the panel list. */
    assert_false(view_of(f, p, ACCESS_PANEL, "education", 1).any);
    testutil_exec(f->s, "INSERT INTO risk_snapshot (saved_at, as_of, weights, children, scored, "
                        "listed) VALUES ('2026-11-01', '2026-11-01', 'x', 1, 1, 1);"
                        "INSERT INTO risk_snapshot_person (snapshot_id, person_id, rank, score, "
                        "band) VALUES (1, 1, 1, 50, 'high')");
    v = view_of(f, p, ACCESS_PANEL, "education", 1);
    assert_true(v.any);
    assert_true(access_view_allows(&v, "health", ACCESS_CAT_ORDINARY));
    assert_false(access_view_allows(&v, "health", ACCESS_CAT_SEXUAL_HEALTH));
    assert_false(access_view_allows(&v, "police", ACCESS_CAT_POLICE_INTEL));
    /* A panel member from health sees health's special categories, not police's. */
    v = view_of(f, p, ACCESS_PANEL, "health", 1);
    assert_true(access_view_allows(&v, "health", ACCESS_CAT_SEXUAL_HEALTH));
    assert_false(access_view_allows(&v, "police", ACCESS_CAT_DA_VICTIM));
    /* Shared with education: its practitioners see ordinary records. */
    assert_false(view_of(f, p, ACCESS_PRACTITIONER, "education", 1).any);
    assert_int_equal(access_share_person(f->s, NULL, 1, "education", "strategy meeting", &err),
                     0);
    v = view_of(f, p, ACCESS_PRACTITIONER, "education", 1);
    assert_true(access_view_allows(&v, "police", ACCESS_CAT_ORDINARY));
    assert_false(access_view_allows(&v, "police", ACCESS_CAT_DA_VICTIM));
    /* A social worker: police DA victim details only while a plan is open. */
    v = view_of(f, p, ACCESS_PRACTITIONER, "csc", 1);
    assert_false(access_view_allows(&v, "police", ACCESS_CAT_DA_VICTIM));
    testutil_exec(f->s, "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                        "started_at) VALUES ('csc-lcs', 'csc', 'E1', 3, 'cp_plan', '2026-01-01')");
    v = view_of(f, p, ACCESS_PRACTITIONER, "csc", 1);
    assert_true(access_view_allows(&v, "police", ACCESS_CAT_DA_VICTIM));
    assert_true(access_view_allows(&v, "health", ACCESS_CAT_ORDINARY));
    assert_false(access_view_allows(&v, "health", ACCESS_CAT_SEXUAL_HEALTH));
    testutil_exec(f->s, "UPDATE event SET ended_at = '2026-06-01'");
    v = view_of(f, p, ACCESS_PRACTITIONER, "csc", 1);
    assert_false(access_view_allows(&v, "police", ACCESS_CAT_DA_VICTIM));
    /* Analysts and administrators see all (analysts pseudonymised). */
    assert_true(view_of(f, p, ACCESS_ANALYST, "partnership", 1).whole);
    /* A person who does not exist: nothing. */
    assert_false(view_of(f, p, ACCESS_PRACTITIONER, "police", 999).any);
    access_policy_free(&p);

    /* The partnership's own rules: bad ones are refused with line and field. */
    static const char bad_rules[] = "role,agency,category,holder,condition\n"
                                    "practitioner,*,*,own,sometimes\n";
    assert_int_equal(access_policy_parse(bad_rules, strlen(bad_rules), "x.csv", &p, &err),
                     SVP_EINPUT);
    assert_string_equal(err.file, "x.csv");
    assert_int_equal(err.line, 2);
    assert_string_equal(err.field, "condition");
    static const char none[] = "# nothing\n";
    assert_int_equal(access_policy_parse(none, strlen(none), "y.csv", &p, &err), SVP_EINPUT);
    /* Loaded rules replace the shipped ones: a police practitioner now sees health too. */
    static const char wide[] = "role,agency,category,holder,condition\n"
                               "practitioner,police,ordinary,*,known\n";
    assert_int_equal(access_policy_store(f->s, NULL, wide, strlen(wide), "wide.csv", &err), 0);
    assert_int_equal(access_policy_load(f->s, &p, &err), 0);
    assert_int_equal(access_policy_rules(p), 1);
    v = view_of(f, p, ACCESS_PRACTITIONER, "police", 1);
    assert_true(access_view_allows(&v, "health", ACCESS_CAT_ORDINARY));
    assert_false(access_view_allows(&v, "police", ACCESS_CAT_POLICE_INTEL));
    access_policy_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_password_is_hashed_and_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_after_failures_and_unlock_by_reset, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sessions_store_only_a_hash_and_expire, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_authorise_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pseudonyms_are_stable_and_keyed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain_detects_edits_and_gaps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sharing_rules_and_conditions, setup, teardown),
    };
    return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
