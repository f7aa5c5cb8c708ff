/* The web server's contexts pages end to end over a real socket: hotspots and boundaries as
 * GeoJSON, trends and clock periods for charts, and the network view (pseudonymised,
 * scoped by the recording agency's rules, an analyst's ego network). The fixture is in
 * http_fixture.c. Runs on SQLite and on PostgreSQL. */
#include "http_fixture.h"


static void test_hotspots_geojson_from_the_context_room(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[2]);
    struct resp r = expect(f, "GET", "/api/v1/contexts/hotspots?kinds=missing", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"type\":\"FeatureCollection\""));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/contexts/hotspots?since=31/12/2025", &s, NULL, 400,
                   "bad date");
    expect_status(f, "GET", "/api/v1/contexts/hotspots?cell=1", &s, NULL, 400);
}

/* Area boundaries: none until imported, then every one with its name and label point. */
static void test_boundaries_geojson(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    struct resp r = expect(f, "GET", "/api/v1/contexts/boundaries", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"features\":[]"));
    resp_free(&r);
    testutil_exec(f->s, "INSERT INTO context_boundary (code, name, kind, geometry, label_lat, "
                        "label_lon) VALUES ('XW1', 'North <ward>', 'ward', '{\"type\":"
                        "\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}', 0.25, 0.5);");
    r = expect(f, "GET", "/api/v1/contexts/boundaries", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"name\":\"North <ward>\""));
    assert_non_null(strstr(r.body, "\"kind\":\"ward\""));
    assert_non_null(strstr(r.body, "\"label\":[0.5,0.25]"));
    assert_non_null(strstr(r.body, "\"type\":\"Polygon\""));
    resp_free(&r);
    /* a stored shape that is not JSON is an error naming the fix, not a crash */
    testutil_exec(f->s, "UPDATE context_boundary SET geometry = 'not json'");
    expect_status(f, "GET", "/api/v1/contexts/boundaries", &s, NULL, 500);
}

static void test_network_pseudonymised_and_scoped(void **state)
{
    struct fixture *f = *state;
    /* The two children were recorded as associates by the police. */
    testutil_exec(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                        "file_id, line) VALUES ('police-niche', 'police', 'associate', 1, 3, 1, 9);");
    int64_t audit = q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network'");
    struct session admin = session_for(f, f->uid[1]);
    struct resp r = expect(f, "GET", "/api/v1/contexts/network", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "\"source\":0"));
    assert_non_null(strstr(r.body, "\"hidden\":0"));
    resp_free(&r);

    /* An analyst without a purpose sees pseudonyms, not names. */
    struct session analyst = session_for(f, f->uid[2]);
    r = expect(f, "GET", "/api/v1/contexts/network", &analyst, NULL, 200);
    assert_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "\"name\":\"P-"));
    assert_non_null(strstr(r.body, "\"pseudonymised\":true"));
    resp_free(&r);

    /* A police practitioner sees the child police hold, not the one only social care know,
     * and no edge to them. */
    struct session prac = session_for(f, f->uid[4]);
    r = expect(f, "GET", "/api/v1/contexts/network", &prac, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor"));
    assert_null(strstr(r.body, "Brien"));
    assert_non_null(strstr(r.body, "\"hidden\":1"));
    assert_non_null(strstr(r.body, "\"edges\":[]"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network'"),
                     audit + 3);

    /* From one child: the child at 0 hops and the associate at 1; the practitioner's view
     * of it drops the child police do not hold; a person with no links is a 404. */
    r = expect(f, "GET", "/api/v1/contexts/network/ego?person=1", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"focus\":"));
    assert_non_null(strstr(r.body, "\"hops\":1"));
    assert_non_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "Brien"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/ego?person=1", &prac, NULL, 200);
    assert_null(strstr(r.body, "Brien"));
    assert_non_null(strstr(r.body, "\"hidden\":1"));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/contexts/network/ego?person=99", &admin, NULL, 404);

    /* Search: by name for those who see names, and only among the people each may see. */
    int64_t searches = q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'search' AND "
                                 "object = 'network'");
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=okaf", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"label\":\"Jayden Okafor\""));
    assert_non_null(strstr(r.body, "\"ref\":\"person=1\""));
    assert_null(strstr(r.body, "Brien"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=BRIEN", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "Brien"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=brien", &prac, NULL, 200);
    assert_non_null(strstr(r.body, "\"people\":[]"));
    resp_free(&r);
    /* a group by its number, counting only the members the viewer may see */
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=group%201", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"group\":1,\"members\":2"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=g1", &prac, NULL, 200);
    assert_non_null(strstr(r.body, "\"members\":1"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=group%209", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"groups\":[]"));
    resp_free(&r);
    /* an analyst: no search by name; by the pseudonym shown, which is all they get back */
    expect_refused(f, "GET", "/api/v1/contexts/network/search?q=okaf", &analyst, NULL, 400,
                   "an analyst's name search");
    char pseudo[32], path[128];
    struct svp_err perr;
    assert_int_equal(access_pseudonym(f->s, 'P', 1, pseudo, sizeof pseudo, &perr), 0);
    snprintf(path, sizeof path, "/api/v1/contexts/network/search?q=%s", pseudo);
    r = expect(f, "GET", path, &analyst, NULL, 200);
    assert_non_null(strstr(r.body, pseudo));
    assert_null(strstr(r.body, "Okafor"));
    assert_null(strstr(r.body, "person=1\""));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/contexts/network/search?q=o", &admin, NULL, 400);
    expect_status(f, "GET", "/api/v1/contexts/network/search", &admin, NULL, 400);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'search' AND "
                               "object = 'network'"),
                     searches + 7);
    assert_true(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'search' AND object "
                          "= 'network' AND persons LIKE '%,p1,%'") >= 2);

    /* From a group: its members at 0 hops; the practitioner sees only theirs. */
    r = expect(f, "GET", "/api/v1/contexts/network/ego?group=1", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "Brien"));
    assert_non_null(strstr(r.body, "\"group\":1"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/ego?group=1", &prac, NULL, 200);
    assert_null(strstr(r.body, "Brien"));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/contexts/network/ego?group=7", &admin, NULL, 404);
    audit += 9; /* seven searches and two views from a group shown */

    expect_status(f, "GET", "/api/v1/contexts/network/ego", &admin, NULL, 400);
    expect_status(f, "GET", "/api/v1/contexts/network/ego?person=1&hops=9", &admin, NULL, 400);
    audit += 2;

    /* The graph is kept per data version (the analyst's and the practitioner's views above
     * were cut from it): once the data change, the next request builds it again. */
    testutil_exec(f->s, "DELETE FROM relationship");
    struct timespec ts = {0, 300 * 1000 * 1000}; /* longer than the version recheck */
    nanosleep(&ts, NULL);
    r = expect(f, "GET", "/api/v1/contexts/network", &admin, NULL, 200);
    if (!strstr(r.body, "\"edges\":[]"))
        fail_msg("stale network after a change: %.300s", r.body);
    resp_free(&r);
    audit++;

    expect_refused(f, "GET", "/api/v1/contexts/network?min_children=0", &admin, NULL, 400,
                   "bad min_children");
    expect_refused(f, "GET", "/api/v1/contexts/network?since=2026-13-01", &admin, NULL, 400,
                   "bad since");
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network'"),
                     audit + 3);

}

static void test_trends_and_clock_periods_for_charts(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    struct resp r = expect(f, "GET", "/api/v1/contexts/trends?months=6", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"rows\":["));
    assert_non_null(strstr(r.body, "\"months\":6"));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/contexts/trends?months=0", &s, NULL, 400, "bad months");
    r = expect(f, "GET", "/api/v1/clocks/periods?by=quarter&from=2025-01-01&to=2026-12-31", &s,
               NULL, 200);
    assert_non_null(strstr(r.body, "\"periods\":["));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/clocks/periods?by=week", &s, NULL, 400, "bad period");
}

/* A link two visible children share is withheld when the agency that recorded it does not
 * share that category with the viewer: a police intelligence "associate" link is not shown
 * to social care, though social care may see both children. */
static void test_network_edges_follow_the_recording_agencys_rule(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                        "file_id, line) VALUES ('police-niche', 'police', 'associate', 1, 3, 1, 9);");
    struct svp_err err;
    assert_int_equal(access_share_person(f->s, NULL, 1, "csc", "strategy meeting", &err), 0);
    struct session csc = session_for(f, f->target_uid);
    struct resp r = expect(f, "GET", "/api/v1/contexts/network", &csc, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor")); /* both children may be seen */
    assert_non_null(strstr(r.body, "Brien"));
    if (!strstr(r.body, "\"edges\":[]") || !strstr(r.body, "\"links_withheld\":1"))
        fail_msg("a police intelligence link shown to social care: %s", r.body);
    resp_free(&r);
    /* Nor does the network from one child, nor what the withheld link implied (the peer
     * group, the community it was found in). */
    r = expect(f, "GET", "/api/v1/contexts/network/ego?person=2", &csc, NULL, 200);
    if (!strstr(r.body, "\"edges\":[]") || strstr(r.body, "\"group\":1") ||
        !strstr(r.body, "\"communities\":[]"))
        fail_msg("the withheld link still shows: %s", r.body);
    resp_free(&r);
    /* The police see their own link. */
    struct session admin = session_for(f, f->uid[1]);
    r = expect(f, "GET", "/api/v1/contexts/network", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"kinds\":{\"associate\":1}"));
    resp_free(&r);
}

/* An analyst names the start of an ego network by pseudonym; a raw id is refused and the
 * reply holds no raw id. */
static void test_ego_network_takes_an_analysts_pseudonym(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                        "file_id, line) VALUES ('police-niche', 'police', 'associate', 1, 3, 1, 9);");
    struct session an = session_for(f, f->uid[2]);
    expect_refused(f, "GET", "/api/v1/contexts/network/ego?person=1", &an, NULL, 400,
                   "a raw id from an analyst");
    char pseudo[32], path[128];
    struct svp_err err;
    assert_int_equal(access_pseudonym(f->s, 'P', 1, pseudo, sizeof pseudo, &err), 0);
    snprintf(path, sizeof path, "/api/v1/contexts/network/ego?person=%s", pseudo);
    struct resp r = expect(f, "GET", path, &an, NULL, 200);
    assert_non_null(strstr(r.body, pseudo));
    if (strstr(r.body, "\"person_id\":1") || strstr(r.body, "\"person_id\":2") ||
        strstr(r.body, "\"relationship_id\":1") || strstr(r.body, "Okafor"))
        fail_msg("raw ids or names in an analyst's ego network: %s", r.body);
    resp_free(&r);
    /* who was shown is in the audit entry */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network' AND "
                               "persons LIKE '%,p1,%' AND persons LIKE '%,p2,%'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_network_edges_follow_the_recording_agencys_rule,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ego_network_takes_an_analysts_pseudonym,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundaries_geojson, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hotspots_geojson_from_the_context_room,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_pseudonymised_and_scoped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trends_and_clock_periods_for_charts, setup, teardown),
    };
    return cmocka_run_group_tests_name("http-contexts", tests, NULL, NULL);
}
