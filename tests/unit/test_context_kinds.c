/* The contexts room's hotspot kinds (issue 15): a night-time-economy street is of the kind
 * "night" (general police events from 20:00 to 05:59) and never of the kind "exploitation";
 * a missing child found with an adult who is not family is exploitation-related, counted
 * where the child was found, while one found with a parent, or with an adult living at the
 * child's address, is not (docs/contexts.md "Kinds apart"). On SQLite and PostgreSQL. */
#include "testutil.h"

#include "context/context.h"

#include <stdlib.h>
#include <string.h>

/* Homes at three postcodes (the extent), a pub, a park and a flat. Records 1-3 children,
 * 4-6 adults: 4 is 2's mother (a parent relationship in the second test) living elsewhere,
 * 5 lives at 3's address. */
static void county(struct store *s)
{
    testutil_exec(s, "INSERT INTO place (place_key, name, postcode, lat, lon, area, in_county) "
                     "VALUES ('|SN1 1AA', NULL, 'SN1 1AA', 51.500, -1.800, NULL, 1),"
                     "('|SN1 1AB', NULL, 'SN1 1AB', 51.520, -1.780, NULL, 1),"
                     "('|SN2 2AA', NULL, 'SN2 2AA', 51.560, -1.700, NULL, 1),"
                     "('pub|', 'Pub', NULL, 51.540, -1.750, NULL, 1),"
                     "('park|', 'Park', NULL, 51.505, -1.790, NULL, 1),"
                     "('flat|', 'Flat', NULL, 51.530, -1.720, NULL, 1)");
    testutil_exec(s, "INSERT INTO record (source, agency, agency_record_id, given_name, "
                     "family_name, role, address, postcode) VALUES "
                     "('p', 'police', '1', 'Amy', 'A', 'child', '1 High St', 'SN1 1AA'),"
                     "('p', 'police', '2', 'Ben', 'B', 'child', '2 Low Rd', 'SN1 1AB'),"
                     "('p', 'police', '3', 'Cal', 'C', 'child', '3 Mill Ln', 'SN2 2AA'),"
                     "('p', 'police', '4', 'Bea', 'B', 'adult', NULL, NULL),"
                     "('p', 'police', '5', 'Dan', 'D', 'adult', '3 Mill Ln', 'SN2 2AA'),"
                     "('p', 'police', '6', 'Eli', 'E', 'adult', NULL, NULL)");
}

static struct context_hotspots *hot(const struct context_data *d, const char *kinds)
{
    struct context_hotspot_opts o = {.filter.kinds = kinds};
    struct context_hotspots *h = NULL;
    struct svp_err err;
    if (context_hotspots_run(d, &o, &h, &err))
        fail_msg("context_hotspots_run(%s): %s", kinds, err.msg);
    return h;
}

static struct context_data *load_ok(struct store *s)
{
    struct context_data *d = NULL;
    struct svp_err err;
    if (context_load(s, &d, &err))
        fail_msg("context_load: %s", err.msg);
    return d;
}

/* Events at the pub at 23:00 and 01:30 are night-time; at the park at 14:00 they are
 * general but not night; one recorded with a date alone is not counted at night; one flagged
 * cce at 23:30 is exploitation, neither general nor night. */
static void test_night_kind(void **state)
{
    struct testutil_db *f = *state;
    county(f->s);
    testutil_exec(f->s,
                  "INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, "
                  "started_at, place_id, detail) VALUES "
                  "('p', 'police', 'n1', 4, 'crime', 'suspect', '2026-01-02T23:00:00Z', 4, NULL),"
                  "('p', 'police', 'n2', 5, 'crime', 'suspect', '2026-01-03T01:30:00Z', 4, NULL),"
                  "('p', 'police', 'n3', 6, 'incident', NULL, '2026-01-09T22:10:00Z', 4, NULL),"
                  "('p', 'police', 'n4', 4, 'crime', 'victim', '2026-01-10T05:59:00Z', 4, NULL),"
                  "('p', 'police', 'd1', 5, 'crime', 'suspect', '2026-01-04T14:00:00Z', 5, NULL),"
                  "('p', 'police', 'd2', 6, 'crime', 'suspect', '2026-01-05T06:00:00Z', 5, NULL),"
                  "('p', 'police', 'd3', 6, 'crime', 'suspect', '2026-01-06T19:59:00Z', 5, NULL),"
                  "('p', 'police', 'x1', 6, 'incident', NULL, '2026-01-07', 4, NULL),"
                  "('p', 'police', 'e1', 1, 'crime', 'victim', '2026-01-08T23:30:00Z', 5, "
                  "'{\"exploitation\": [\"cce\"]}')");
    struct context_data *d = load_ok(f->s);
    struct context_hotspots *h = hot(d, "night");
    assert_int_equal(h->events_used, 4);
    assert_string_equal(h->kinds, "night");
    assert_string_equal(h->cells[0].top_place, "Pub");
    context_hotspots_free(&h);
    h = hot(d, "general");
    assert_int_equal(h->events_used, 8);
    context_hotspots_free(&h);
    h = hot(d, "exploitation");
    assert_int_equal(h->events_used, 1);
    assert_string_equal(h->cells[0].top_place, "Park");
    context_hotspots_free(&h);
    h = hot(d, "incident");
    assert_int_equal(h->events_used, 9); /* every police event, flagged or not */
    /* in the mixed table each cell says what most of its events were */
    int pub_cells = 0, park_cells = 0;
    for (size_t i = 0; i < h->ncells; i++) {
        if (!strcmp(h->cells[i].top_place, "Pub")) {
            assert_string_equal(h->cells[i].mostly, "night-time");
            pub_cells++;
        } else if (!strcmp(h->cells[i].top_place, "Park")) {
            assert_string_equal(h->cells[i].mostly, "general"); /* 3 by day, 1 flagged */
            park_cells++;
        } else if (h->cells[i].count == 0) {
            assert_null(h->cells[i].mostly);
        }
    }
    assert_int_equal(pub_cells, 1);
    assert_int_equal(park_cells, 1);
    context_hotspots_free(&h);
    /* the by-kind tables: the pub under night, labelled with its kind; never under
     * exploitation */
    struct context_hotspot_opts o = {0};
    struct svp_err err;
    char *buf = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&buf, &len);
    assert_int_equal(context_hotspots_kinds_print(d, &o, 5, mf, &err), 0);
    fclose(mf);
    const char *ex = strstr(buf, "== exploitation"), *ge = strstr(buf, "== general"),
               *ni = strstr(buf, "== night"), *cu = strstr(buf, "== cuckooing");
    assert_true(ex && ge && ni && cu && ex < ge && ge < ni && ni < cu);
    const char *pub = strstr(ni, "Pub");
    assert_true(pub && pub < cu);
    assert_non_null(strstr(ni, "night         Pub"));
    const char *pub_ex = strstr(ex, "Pub");
    assert_true(!pub_ex || pub_ex > ge);
    free(buf);
    context_data_free(&d);
}

/* Child 1 found at the flat with adult 6 (no relation): exploitation, at the flat. Child 2
 * found at the park with their mother 4, child 3 at the pub with adult 5 who lives at 3's
 * address, child 1 again at the pub with child 2, and child 1 with adult 6 again, recorded
 * as found at HOME_ADDRESS: none of these is exploitation-related. */
static void test_found_with_adult_not_family(void **state)
{
    struct testutil_db *f = *state;
    county(f->s);
    testutil_exec(
        f->s, "INSERT INTO event (source, agency, agency_event_id, record_id, type, started_at, "
              "place_id, detail) VALUES "
              "('p', 'police', 'm1', 1, 'missing_episode', '2026-02-01T20:00:00Z', 6, "
              "'{\"returned_at\": \"2026-02-02T02:00:00Z\"}'),"
              "('p', 'police', 'm2', 2, 'missing_episode', '2026-02-03T20:00:00Z', 5, "
              "'{\"returned_at\": \"2026-02-04T02:00:00Z\"}'),"
              "('p', 'police', 'm3', 3, 'missing_episode', '2026-02-05T20:00:00Z', 4, "
              "'{\"returned_at\": \"2026-02-06T02:00:00Z\"}'),"
              "('p', 'police', 'm4', 1, 'missing_episode', '2026-02-07T20:00:00Z', 4, "
              "'{\"returned_at\": \"2026-02-08T02:00:00Z\"}'),"
              "('p', 'police', 'm5', 1, 'missing_episode', '2026-02-09T20:00:00Z', 3, "
              "'{\"found_place\": \"HOME_ADDRESS\"}')");
    testutil_exec(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                        "event_id) VALUES ('p', 'police', 'found_with', 1, 6, 1),"
                        "('p', 'csc', 'parent', 4, 2, NULL),"
                        "('p', 'police', 'found_with', 2, 4, 2),"
                        "('p', 'police', 'found_with', 5, 3, 3),"
                        "('p', 'police', 'found_with', 1, 2, 4),"
                        "('p', 'police', 'found_with', 1, 6, 5)");
    struct context_data *d = load_ok(f->s);
    struct context_hotspots *h = hot(d, "exploitation");
    assert_int_equal(h->events_used, 1);
    assert_string_equal(h->cells[0].top_place, "Flat");
    context_hotspots_free(&h);
    h = hot(d, "found");
    assert_int_equal(h->events_used, 5);
    for (size_t i = 0; i < h->ncells; i++)
        if (h->cells[i].count > 0)
            assert_string_equal(h->cells[i].mostly,
                                strcmp(h->cells[i].top_place, "Flat") ? "found" : "exploitation");
    context_hotspots_free(&h);
    context_data_free(&d);
    /* without the parent relationship nothing says the woman at the park is family: found
     * with her is then exploitation-related (the adult at child 3's address still is not) */
    testutil_exec(f->s, "DELETE FROM relationship WHERE kind = 'parent'");
    d = load_ok(f->s);
    h = hot(d, "exploitation");
    assert_int_equal(h->events_used, 2);
    context_hotspots_free(&h);
    context_data_free(&d);
}

/* A bad kind is refused, naming the kinds there are. */
static void test_night_kind_parse(void **state)
{
    struct testutil_db *f = *state;
    county(f->s);
    struct context_data *d = load_ok(f->s);
    struct context_hotspot_opts o = {.filter.kinds = "night,nightclub"};
    struct context_hotspots *h = NULL;
    struct svp_err err;
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), SVP_EINPUT);
    assert_null(h);
    assert_string_equal(err.field, "events");
    assert_non_null(strstr(err.msg, "general, night, cuckooing"));
    o.filter.kinds = "night";
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), 0);
    assert_int_equal(h->events_used, 0);
    context_hotspots_free(&h);
    context_data_free(&d);
}

/* County-lines routes: a child found in a town outside the county is on a route; one found
 * at their own care placement out of county (recorded as CARE_PLACEMENT or "Foster home"),
 * or at home, is not, however far the placement (issue 15: found at placement is a care
 * matter, not exploitation). */
static void test_routes_not_home_or_placement(void **state)
{
    struct testutil_db *f = *state;
    county(f->s);
    testutil_exec(f->s, "UPDATE record SET area = 'North' WHERE agency_record_id IN ('1', '2')");
    testutil_exec(f->s, "INSERT INTO place (place_key, name, postcode, lat, lon, in_county) "
                        "VALUES ('far town|', 'Far Town', NULL, 53.0, -2.0, 0)");
    testutil_exec(
        f->s, "INSERT INTO event (source, agency, agency_event_id, record_id, type, started_at, "
              "place_id, detail) VALUES "
              "('p', 'police', 'r1', 1, 'missing_episode', '2026-03-01T20:00:00Z', 7, "
              "'{\"found_out_of_county\": 1}'),"
              "('p', 'police', 'r2', 2, 'missing_episode', '2026-03-02T20:00:00Z', NULL, "
              "'{\"found_place\": \"CARE_PLACEMENT\", \"found_out_of_county\": 1}'),"
              "('p', 'police', 'r3', 2, 'missing_episode', '2026-03-03T20:00:00Z', NULL, "
              "'{\"found_place\": \"Foster home\", \"found_out_of_county\": 1}'),"
              "('p', 'police', 'r4', 2, 'missing_episode', '2026-03-04T20:00:00Z', NULL, "
              "'{\"found_place\": \"Home\", \"found_out_of_county\": 1}'),"
              "('p', 'police', 'r5', 2, 'missing_episode', '2026-03-05T20:00:00Z', NULL, "
              "'{\"found_place\": \"Homebase car park\", \"found_out_of_county\": 1}')");
    struct context_data *d = load_ok(f->s);
    json_t *r = context_routes_json(d);
    assert_non_null(r);
    assert_int_equal(json_array_size(r), 2);
    long far = 0, other = 0;
    size_t i;
    json_t *v;
    json_array_foreach(r, i, v)
    {
        const char *to = json_string_value(json_object_get(v, "to"));
        assert_non_null(to);
        assert_null(strstr(to, "PLACEMENT"));
        assert_null(strstr(to, "Foster"));
        far += !strcmp(to, "Far Town");
        other += !strcmp(to, "Homebase car park");
        assert_string_equal(json_string_value(json_object_get(v, "from")), "North");
    }
    assert_int_equal(far, 1);
    assert_int_equal(other, 1);
    json_decref(r);
    context_data_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_night_kind, testutil_db_setup, testutil_db_teardown),
        cmocka_unit_test_setup_teardown(test_found_with_adult_not_family, testutil_db_setup,
                                        testutil_db_teardown),
        cmocka_unit_test_setup_teardown(test_night_kind_parse, testutil_db_setup,
                                        testutil_db_teardown),
        cmocka_unit_test_setup_teardown(test_routes_not_home_or_placement, testutil_db_setup,
                                        testutil_db_teardown),
    };
    return cmocka_run_group_tests_name("context_kinds", tests, NULL, NULL);
}
