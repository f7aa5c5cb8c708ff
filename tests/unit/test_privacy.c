/* Subject access and retention (the access room; issue 16 item 8): the export of everything
 * held about one person with its sources, audited; retention rules per source applied
 * exactly, a dry run writing nothing, bad rules refused clearly. Runs on SQLite and on
 * PostgreSQL. */
#include "testutil.h"

#include "access/access.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define fixture testutil_db
#define setup testutil_db_setup
#define teardown testutil_db_teardown

static int64_t q64(struct store *s, const char *sql)
{
    int64_t v = -1;
    struct svp_err err;
    if (store_query_int64(s, sql, &v, &err))
        fail_msg("%s: %s", sql, err.msg);
    return v;
}

/* Person 1: a police record (events 2015 and 2018, an associate relationship to record 3)
 * and a health record (an event in 2025); person 2: a social care record (2012) and a
 * record without events from an old file (education, imported 2010). */
static void add_data(struct store *s)
{
    testutil_exec(s,
        "INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES "
        "('police', 'police', 'police-2019.csv', 'aa', '2019-01-01T00:00:00Z'),"
        "('health-ed', 'health', 'ed-2025.csv', 'bb', '2025-06-01T00:00:00Z'),"
        "('csc', 'csc', 'csc-2013.csv', 'cc', '2013-01-01T00:00:00Z'),"
        "('education', 'education', 'school-2010.csv', 'dd', '2010-09-01T00:00:00Z');"
        "INSERT INTO record (source, agency, agency_record_id, given_name, family_name, dob, "
        "file_id, line) VALUES "
        "('police', 'police', 'N1', 'Jayden', 'Okafor', '2010-03-04', 1, 2),"
        "('health-ed', 'health', 'H1', 'Jaydon', 'Okafor', '2010-03-04', 2, 7),"
        "('csc', 'csc', 'C1', 'Aoife', 'Brien', '2011-05-06', 3, 4),"
        "('education', 'education', 'S1', 'Aoife', 'Brien', '2011-05-06', 4, 9);"
        "INSERT INTO person (created_at) VALUES ('2026-01-01'), ('2026-01-01');"
        "INSERT INTO person_record (record_id, person_id) VALUES (1, 1), (2, 1), (3, 2), (4, 2);"
        "INSERT INTO place (place_key, name, postcode) VALUES ('station', 'Bus station', 'AB1 1AA');"
        "INSERT INTO event (source, agency, agency_event_id, record_id, type, started_at, "
        "place_id, file_id, line) VALUES "
        "('police', 'police', 'E1', 1, 'missing_episode', '2015-02-01T22:00:00Z', 1, 1, 5),"
        "('police', 'police', 'E2', 1, 'missing_episode', '2018-03-01T22:00:00Z', NULL, 1, 6),"
        "('health-ed', 'health', 'E3', 2, 'ed_attendance', '2025-01-15', NULL, 2, 8),"
        "('csc', 'csc', 'E4', 3, 'referral', '2012-12-01', NULL, 3, 5);"
        "INSERT INTO event_history (event_id, file_id, line, changed_at, previous) VALUES "
        "(1, 1, 5, '2019-01-01', '{\"type\": \"missing_episode\"}');"
        "INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id, file_id, "
        "line) VALUES ('police', 'police', 'associate', 1, 3, 2, 1, 10);"
        "INSERT INTO link_decision (record_a, record_b, same, decided_by, decided_at) VALUES "
        "(1, 2, 1, 'ann', '2026-01-02');");
}

static void test_subject_export_holds_everything_with_sources(void **state)
{
    struct fixture *f = *state;
    add_data(f->s);
    struct svp_err err;
    char *text = NULL;
    int64_t audit = q64(f->s, "SELECT count(*) FROM audit_log");
    assert_int_equal(access_subject_export(f->s, NULL, 'P', 1, "SAR-2026-0042 (mother)", &text,
                                           &err),
                     0);
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    svp_free(text);
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(doc, "records")), 2);
    assert_int_equal(json_array_size(json_object_get(doc, "events")), 3);
    assert_int_equal(json_array_size(json_object_get(doc, "event_history")), 1);
    assert_int_equal(json_array_size(json_object_get(doc, "relationships")), 1);
    assert_int_equal(json_array_size(json_object_get(doc, "places")), 1);
    assert_int_equal(json_array_size(json_object_get(doc, "link_decisions")), 1);
    /* every row with its source: the file, the agency and the line */
    json_t *ev = json_array_get(json_object_get(doc, "events"), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "source_file")), "police-2019.csv");
    assert_string_equal(json_string_value(json_object_get(ev, "agency")), "police");
    assert_string_equal(json_string_value(json_object_get(ev, "line")), "5");
    assert_string_equal(json_string_value(json_object_get(ev, "place_name")), "Bus station");
    json_t *rec = json_array_get(json_object_get(doc, "records"), 1);
    assert_string_equal(json_string_value(json_object_get(rec, "source_file")), "ed-2025.csv");
    assert_string_equal(json_string_value(json_object_get(rec, "agency_record_id")), "H1");
    /* nothing of the other person */
    char *all = json_dumps(doc, JSON_COMPACT);
    assert_null(strstr(all, "\"C1\""));
    assert_null(strstr(all, "\"S1\""));
    free(all);
    json_decref(doc);
    /* audited, naming the person, with the reason */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log"), audit + 1);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'export' AND "
                               "object = 'person:1' AND persons = ',p1,' AND detail LIKE "
                               "'%2 records, 3 events; SAR-2026-0042%'"),
                     1);
    /* the export shows in "who saw this child", and the next export lists it */
    struct access_audit_entry *es = NULL;
    size_t n = 0;
    assert_int_equal(access_audit_person(f->s, 1, 0, 10, &es, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(es[0].action, "export");
    svp_free(es);
    assert_int_equal(access_subject_export(f->s, NULL, 'P', 1, "SAR-2026-0042 (again)", &text,
                                           &err),
                     0);
    assert_non_null(strstr(text, "\"seen_by\""));
    assert_non_null(strstr(text, "SAR-2026-0042 (mother)"));
    svp_free(text);
    /* bad input: a reason too short, an unknown person; neither is audited */
    int64_t before = q64(f->s, "SELECT count(*) FROM audit_log");
    assert_int_equal(access_subject_export(f->s, NULL, 'P', 1, "because", &text, &err),
                     SVP_EINPUT);
    assert_string_equal(err.field, "reason");
    assert_null(text);
    assert_int_equal(access_subject_export(f->s, NULL, 'P', 99, "SAR-2026-0042 (mother)", &text,
                                           &err),
                     SVP_ENOTFOUND);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log"), before);
    /* an unlinked record alone */
    assert_int_equal(access_subject_export(f->s, NULL, 'R', 3, "SAR-2026-0043 (Aoife)", &text,
                                           &err),
                     0);
    assert_non_null(strstr(text, "\"C1\""));
    assert_null(strstr(text, "\"N1\""));
    svp_free(text);
}

static const char rules_text[] = "source,action,years\n"
                                 "# a comment\n"
                                 "police,archive,7\n"
                                 "health-ed,delete,8\n"
                                 "csc,keep,\n"
                                 "*,delete,10\n";

/* Counts every table retention may touch, as one string. */
static void snapshot(struct store *s, char *buf, size_t cap)
{
    snprintf(buf, cap, "%lld %lld %lld %lld %lld %lld %lld %lld",
             (long long)q64(s, "SELECT count(*) FROM record"),
             (long long)q64(s, "SELECT count(*) FROM event"),
             (long long)q64(s, "SELECT count(*) FROM event_history"),
             (long long)q64(s, "SELECT count(*) FROM relationship"),
             (long long)q64(s, "SELECT count(*) FROM person_record"),
             (long long)q64(s, "SELECT count(*) FROM link_decision"),
             (long long)q64(s, "SELECT count(*) FROM retention_archive"),
             (long long)q64(s, "SELECT count(*) FROM audit_log"));
}

static const struct access_retention_result *result_for(const struct access_retention_result *r,
                                                        size_t n, const char *source)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(r[i].source, source))
            return &r[i];
    fail_msg("no result for %s", source);
    return NULL;
}

static void test_retention_dry_run_writes_nothing(void **state)
{
    struct fixture *f = *state;
    add_data(f->s);
    struct svp_err err;
    struct access_retention *rules = NULL;
    assert_int_equal(access_retention_parse(rules_text, strlen(rules_text), "rules.csv", &rules,
                                            &err),
                     0);
    char before[256], after[256];
    snapshot(f->s, before, sizeof before);
    struct access_retention_result *res = NULL;
    size_t n = 0;
    svp_day as_of;
    assert_int_equal(svp_date_parse_iso("2026-11-21", 10, &as_of, &err), 0);
    assert_int_equal(access_retention_run(f->s, NULL, rules, as_of, true, &res, &n, &err), 0);
    snapshot(f->s, after, sizeof after);
    assert_string_equal(before, after);
    /* what would go: police's last event 2018-03-01 < 2019-11-21 (7 years): due; health's
     * 2025 not; social care kept by rule; education (no events, file of 2010) under *. */
    const struct access_retention_result *p = result_for(res, n, "police");
    assert_int_equal(p->records, 1);
    assert_int_equal(p->events, 2);
    assert_int_equal(p->relationships, 1);
    assert_string_equal(p->cutoff, "2019-11-21");
    assert_false(p->done);
    assert_int_equal(result_for(res, n, "health-ed")->records, 0);
    assert_int_equal(result_for(res, n, "csc")->action, ACCESS_RETAIN_KEEP);
    assert_int_equal(result_for(res, n, "education")->records, 1);
    svp_free(res);
    access_retention_free(&rules);
}

static void test_retention_run_takes_exactly_the_due_records(void **state)
{
    struct fixture *f = *state;
    add_data(f->s);
    struct svp_err err;
    struct access_retention *rules = NULL;
    assert_int_equal(access_retention_parse(rules_text, strlen(rules_text), "rules.csv", &rules,
                                            &err),
                     0);
    struct access_retention_result *res = NULL;
    size_t n = 0;
    svp_day as_of;
    assert_int_equal(svp_date_parse_iso("2026-11-21", 10, &as_of, &err), 0);
    assert_int_equal(access_retention_run(f->s, NULL, rules, as_of, false, &res, &n, &err), 0);
    assert_true(result_for(res, n, "police")->done);
    assert_true(result_for(res, n, "education")->done);
    svp_free(res);
    /* gone: the police record (1) and the education record (4), with the police events,
     * their history, the relationship and the link decision naming record 1 */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM record WHERE id IN (1, 4)"), 0);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM record WHERE id IN (2, 3)"), 2);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM event WHERE record_id = 1"), 0);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM event WHERE record_id IN (2, 3)"), 2);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM event_history"), 0);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM relationship"), 0);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM link_decision"), 0);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM person_record"), 2);
    /* police's rule archives: its rows are kept as JSON; education's deletes: nothing kept */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM retention_archive WHERE rule = 'police "
                               "archive 7' AND table_name = 'record' AND body LIKE '%\"N1\"%'"),
                     1);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM retention_archive WHERE table_name = "
                               "'event'"),
                     2);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM retention_archive WHERE body LIKE "
                               "'%\"S1\"%'"),
                     0);
    /* one audit entry per source acted on, and the chain is intact */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'retention'"), 2);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'retention' AND "
                               "object = 'source:police' AND detail LIKE '%archive after 7 "
                               "years%1 records, 2 events, 1 relationships%'"),
                     1);
    int64_t checked;
    assert_int_equal(access_audit_verify(f->s, &checked, &err), 0);
    /* run again: nothing more is due */
    assert_int_equal(access_retention_run(f->s, NULL, rules, as_of, false, &res, &n, &err), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(res[i].records, 0);
    svp_free(res);
    access_retention_free(&rules);
}

static void test_retention_bad_rules_are_clear(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"", "no header"},
        {"src,action,years\npolice,archive,7\n", "header"},
        {"source,action,years\npolice,shred,7\n", "rules.csv:2: field action: action must be "
                                                  "archive, delete or keep"},
        {"source,action,years\npolice,archive,seven\n", "rules.csv:2: field years"},
        {"source,action,years\npolice,archive,0\n", "from 1 to 100"},
        {"source,action,years\npolice,archive,7\npolice,delete,3\n",
         "rules.csv:3: field source: source police has a rule already"},
        {"source,action,years\npolice,archive\n", "rules.csv:2"},
        {"source,action,years\n,archive,7\n", "field source"},
    };
    struct svp_err err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct access_retention *r = NULL;
        svp_err_clear(&err);
        int rc = access_retention_parse(bad[i].text, strlen(bad[i].text), "rules.csv", &r, &err);
        char line[512];
        svp_err_format(&err, line, sizeof line);
        if (rc != SVP_EINPUT || r || !strstr(line, bad[i].want))
            fail_msg("rules %zu: rc %d, message '%s', wanted '%s'", i, rc, line, bad[i].want);
    }
    /* the shipped rules are valid */
    struct access_retention *r = NULL;
    assert_int_equal(access_retention_shipped(&r, &err), 0);
    access_retention_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_subject_export_holds_everything_with_sources, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_retention_dry_run_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_run_takes_exactly_the_due_records, setup,
                                        teardown),
        cmocka_unit_test(test_retention_bad_rules_are_clear),
    };
    return cmocka_run_group_tests_name("privacy", tests, NULL, NULL);
}
