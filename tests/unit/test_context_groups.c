/* The contexts room's peer groups: who joins a group and who does not (issue 15). Peer
 * groups are children linked to children (found together, co-offending, co-involved,
 * recorded associates); the adults around a group are attached to it; a brother or sister
 * co-involved only with the same adults, a child who went missing at about the same time
 * from the same area, a child found at the same place hours apart and a child linked only
 * to the group's adult stay out (docs/contexts.md "Peer groups"). On SQLite and PostgreSQL. */
#include "context_fixture.h"

#include <stdlib.h>
#include <string.h>

static struct group_of groups_of(struct store *s)
{
    struct context_data *d = load_ok(s);
    struct context_network_opts o = {0};
    struct context_network *n = network_ok(d, &o);
    struct group_of g = {{0}};
    context_groups_each(n, note_group, &g);
    context_network_free(&n);
    context_data_free(&d);
    return g;
}

/* Records 1-3: a group of children found together (found_with) with adult 5 at a shop;
 * 4: 1's brother at 1's address, a witness in the occurrence where 1 and 5 were arrested;
 * 6: missing from 1's area within the hour, found elsewhere; 7: found at the shop ten hours
 * after the group; 8: recorded as 5's co-offender, never with a child of the group. */
static void county(struct store *s)
{
    testutil_exec(s, "INSERT INTO record (source, agency, agency_record_id, given_name, "
                     "family_name, role, area, address, postcode) VALUES "
                     "('p', 'police', '1', 'Amy', 'A', 'child', 'North', '1 High St', 'SN1 1AA'),"
                     "('p', 'police', '2', 'Ben', 'B', 'child', 'South', NULL, NULL),"
                     "('p', 'police', '3', 'Cal', 'C', 'child', 'South', NULL, NULL),"
                     "('p', 'police', '4', 'Abe', 'A', 'child', 'North', '1 High St', 'SN1 1AA'),"
                     "('p', 'police', '5', 'Dan', 'D', 'adult', 'South', NULL, NULL),"
                     "('p', 'police', '6', 'Eve', 'E', 'child', 'North', NULL, NULL),"
                     "('p', 'police', '7', 'Fay', 'F', 'child', 'East', NULL, NULL),"
                     "('p', 'police', '8', 'Gus', 'G', 'child', 'West', NULL, NULL)");
    testutil_exec(s, "INSERT INTO place (place_key, name, lat, lon, in_county) VALUES "
                     "('shop|', 'Shop', 51.5, -1.8, 1), ('park|', 'Park', 51.6, -1.7, 1)");
    testutil_exec(s,
                  "INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, "
                  "started_at, place_id, detail) VALUES "
                  "('p', 'police', 'm1', 1, 'missing_episode', NULL, '2025-03-01T20:00:00Z', 1, "
                  "'{\"returned_at\": \"2025-03-02T10:00:00Z\"}'),"
                  "('p', 'police', 'm2', 2, 'missing_episode', NULL, '2025-03-01T18:00:00Z', 1, "
                  "'{\"returned_at\": \"2025-03-02T11:00:00Z\"}'),"
                  "('p', 'police', 'm3', 3, 'missing_episode', NULL, '2025-03-01T17:00:00Z', 1, "
                  "'{\"returned_at\": \"2025-03-02T12:00:00Z\"}'),"
                  "('p', 'police', 'm6', 6, 'missing_episode', NULL, '2025-03-01T20:30:00Z', 2, "
                  "'{\"returned_at\": \"2025-03-01T23:00:00Z\"}'),"
                  "('p', 'police', 'm7', 7, 'missing_episode', NULL, '2025-03-02T08:00:00Z', 1, "
                  "'{\"returned_at\": \"2025-03-02T22:30:00Z\"}'),"
                  "('p', 'police', 'o1', 1, 'crime', 'suspect', '2025-04-01T19:00:00Z', NULL, "
                  "'{\"occurrence_ref\": \"OCC1\"}'),"
                  "('p', 'police', 'o5', 5, 'crime', 'suspect', '2025-04-01T19:00:00Z', NULL, "
                  "'{\"occurrence_ref\": \"OCC1\"}'),"
                  "('p', 'police', 'o4', 4, 'crime', 'witness', '2025-04-01T19:00:00Z', NULL, "
                  "'{\"occurrence_ref\": \"OCC1\"}')");
    testutil_exec(s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                     "event_id) VALUES ('p', 'police', 'found_with', 1, 2, 1), "
                     "('p', 'police', 'found_with', 2, 3, 2), ('p', 'police', 'found_with', 1, "
                     "3, 1), ('p', 'police', 'found_with', 1, 5, 1), ('p', 'police', "
                     "'co_offender', 8, 5, NULL)");
}

static void test_who_joins_a_peer_group(void **state)
{
    struct testutil_db *f = *state;
    county(f->s);
    struct group_of g = groups_of(f->s);
    assert_true(g.group[1] > 0);
    assert_int_equal(g.group[2], g.group[1]);
    assert_int_equal(g.group[3], g.group[1]);
    assert_int_equal(g.group[5], g.group[1]); /* the adult around the group */
    assert_int_equal(g.group[4], 0); /* a brother co-involved with the same adult: family */
    assert_int_equal(g.group[6], 0); /* missing within the hour from one area: timing only */
    assert_int_equal(g.group[7], 0); /* found at the shop ten hours later: not together */
    assert_int_equal(g.group[8], 0); /* linked to the group's adult alone */
}

/* The links are still there for a person to read: the brother's co-involvement, the
 * missing-together link and the co-offender, each with its kind. */
static void test_links_kept_as_evidence(void **state)
{
    struct testutil_db *f = *state;
    county(f->s);
    struct context_data *d = NULL;
    struct svp_err err;
    assert_int_equal(context_load(f->s, &d, &err), 0);
    struct context_network_opts o = {0};
    struct context_network *n = NULL;
    assert_int_equal(context_network_build(d, &o, &n, &err), 0);
    json_t *j = context_network_json(n);
    json_t *e;
    size_t i;
    int missing = 0, incident_4_5 = 0, co_8_5 = 0;
    json_array_foreach(json_object_get(j, "edges"), i, e)
    {
        json_t *kinds = json_object_get(e, "kinds");
        missing += json_object_get(kinds, "missing_together") != NULL;
        incident_4_5 += json_object_get(kinds, "same_incident") != NULL &&
                        json_object_get(kinds, "same_address") == NULL &&
                        json_object_get(kinds, "co_offending") == NULL;
        co_8_5 += json_object_get(kinds, "co_offending") != NULL &&
                  json_object_get(kinds, "found_together") == NULL;
    }
    assert_true(missing >= 1);
    assert_int_equal(incident_4_5, 1); /* the brother and the adult */
    assert_int_equal(co_8_5, 1);       /* 8 and the adult (1 and 5 were also found together) */
    json_decref(j);
    context_network_free(&n);
    context_data_free(&d);
}

/* Missing together corroborates a peer link: with a found-together link as well, the child
 * who went missing at the same time joins. Found at one place within three hours is found
 * together. */
static void test_corroborated_links_join(void **state)
{
    struct testutil_db *f = *state;
    county(f->s);
    testutil_exec(f->s, "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                        "started_at, place_id, detail) VALUES "
                        "('p', 'police', 'm6b', 6, 'missing_episode', '2025-05-01T20:00:00Z', "
                        "2, '{\"returned_at\": \"2025-05-02T01:00:00Z\"}'),"
                        "('p', 'police', 'm1b', 1, 'missing_episode', '2025-05-01T20:10:00Z', "
                        "2, '{\"returned_at\": \"2025-05-02T03:30:00Z\"}')");
    struct group_of g = groups_of(f->s);
    assert_true(g.group[1] > 0);
    assert_int_equal(g.group[6], g.group[1]);
    assert_int_equal(g.group[4], 0);
    assert_int_equal(g.group[7], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_who_joins_a_peer_group, testutil_db_setup,
                                        testutil_db_teardown),
        cmocka_unit_test_setup_teardown(test_links_kept_as_evidence, testutil_db_setup,
                                        testutil_db_teardown),
        cmocka_unit_test_setup_teardown(test_corroborated_links_join, testutil_db_setup,
                                        testutil_db_teardown),
    };
    return cmocka_run_group_tests_name("context_groups", tests, NULL, NULL);
}
