/* The contexts room's unit tests' fixture: a migrated store on SQLite or PostgreSQL, loading
 * and building with failures as test failures, captured output, and a small county. */
#include "context_fixture.h"

#include <stdlib.h>

int fx_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->s = testutil_open_migrated(&f->uri);
    f->dir = testutil_tmpdir();
    *state = f;
    return 0;
}

int fx_teardown(void **state)
{
    struct fixture *f = *state;
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    testutil_rmdir(&f->dir);
    free(f);
    return 0;
}

struct context_data *load_ok(struct store *s)
{
    struct context_data *d = NULL;
    struct svp_err err;
    if (context_load(s, &d, &err))
        fail_msg("context_load: %s", err.msg);
    return d;
}

/* Text a function printed, for checks on what a person reads. */
char *capture(void (*fn)(void *arg, FILE *f), void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(arg, f);
    fclose(f);
    return buf;
}

/* The network of d under o; fails the test on error. */
struct context_network *network_ok(const struct context_data *d,
                                   const struct context_network_opts *o)
{
    struct context_network *n = NULL;
    struct svp_err err;
    if (context_network_build(d, o, &n, &err))
        fail_msg("context_network_build: %s", err.msg);
    return n;
}

/* For capture: the network's GraphML, which must be written without error. */
void print_graphml(void *arg, FILE *f)
{
    struct svp_err err;
    assert_int_equal(context_network_graphml(arg, f, &err), 0);
}

/* Two areas; three children who go missing on one evening and are found at a shop (the
 * event's place is where the child was found, docs/model.md); an adult associate of two of
 * them and parent of the third; a place outside the county; a place with no location; a
 * child found out of the county. */
void small_county(struct store *s)
{
    testutil_exec(s, "INSERT INTO context_postcode (postcode, lat, lon, area) VALUES "
               "('SN1 1AA', 51.500, -1.800, 'North'), ('SN1 1AB', 51.510, -1.790, 'North'), "
               "('SN2 2AA', 51.450, -1.750, 'South'), ('SN2 2AB', 51.440, -1.740, 'South')");
    testutil_exec(s, "INSERT INTO record (source, agency, agency_record_id, given_name, family_name, "
               "role, area, address, postcode) VALUES "
               "('police', 'police', '1', 'Amy', 'A', 'child', 'North', '1 High St', 'SN1 1AA'),"
               "('police', 'police', '2', 'Ben', 'B', 'child', 'North', NULL, 'SN1 1AB'),"
               "('police', 'police', '3', 'Cal', 'C', 'child', 'South', NULL, 'SN2 2AB'),"
               "('police', 'police', '4', 'Dan', 'D', 'adult', 'South', NULL, NULL),"
               "('police', 'police', '5', 'Eve', 'E', 'child', NULL, '1 High St.', 'sn11aa'),"
               "('police', 'police', '6', 'Fay', 'F', 'child', 'South', NULL, 'SN2 2AA')");
    testutil_exec(s, "INSERT INTO place (place_key, name, postcode, lat, lon, area, in_county) VALUES "
               "('park|', 'Park', NULL, 51.501, -1.801, NULL, 1),"
               "('shop|sn2 2aa', 'Shop', 'SN2 2AA', NULL, NULL, NULL, 1),"
               "('far|', 'Far', NULL, 53.0, -2.0, NULL, 1),"
               "('nowhere|', 'Nowhere', NULL, NULL, NULL, NULL, 1),"
               "('kx|', 'Kings Cross', NULL, 51.5, -0.1, 'London', 0)");
    testutil_exec(s, "INSERT INTO event (source, agency, agency_event_id, record_id, type, started_at, "
               "place_id, detail) VALUES "
               "('p', 'police', 'e1', 1, 'missing_episode', '2025-03-01T20:00:00Z', 2, "
               "'{\"found_place\": \"Shop\", \"returned_at\": \"2025-03-02T10:00:00Z\"}'),"
               "('p', 'police', 'e2', 2, 'missing_episode', '2025-03-01T21:00:00Z', 2, "
               "'{\"found_place\": \"shop\", \"returned_at\": \"2025-03-02T11:00:00Z\"}'),"
               "('p', 'police', 'e3', 3, 'missing_episode', '2025-03-01T22:00:00Z', 2, "
               "'{\"found_place\": \"Shop\", \"returned_at\": \"2025-03-02T12:00:00Z\"}'),"
               "('p', 'police', 'e4', 6, 'missing_episode', '2026-03-05', 5, "
               "'{\"found_out_of_county\": 1, \"found_place\": \"Kings Cross\"}'),"
               "('p', 'police', 'e5', 4, 'crime', '2026-03-05', 3, NULL),"
               "('p', 'police', 'e6', 1, 'crime', '2026-04-05', 4, NULL),"
               "('p', 'police', 'e7', 4, 'crime', '2026-04-06', 5, NULL)");
    testutil_exec(s, "INSERT INTO relationship (source, agency, kind, record_a, record_b) VALUES "
               "('p', 'police', 'associate', 4, 1), ('p', 'police', 'associate', 4, 2),"
               "('p', 'police', 'parent', 4, 3)");
}

/* For context_groups_each: records a record's group in the struct group_of at arg (record
 * ids 1 to 31; others are left out). */
void note_group(void *arg, int group, int64_t person_id, int64_t record_id)
{
    (void)person_id;
    struct group_of *g = arg;
    if (record_id > 0 && record_id < 32)
        g->group[record_id] = group;
}
