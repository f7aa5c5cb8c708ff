/* The contexts room's networks: peer groups, perpetrators, routes, profiles, ego networks,
 * centrality (stored per data version) and scores, on small databases on SQLite and
 * PostgreSQL (statistics, places, hotspots and trends: test_context.c). */
#include "context_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void print_groups(void *arg, FILE *f)
{
    context_groups_print(arg, NULL, 10, f);
}

static void print_perps(void *arg, FILE *f)
{
    context_perpetrators_print(arg, f);
}

static void print_routes(void *arg, FILE *f)
{
    context_routes_print(arg, 10, f);
}

static void test_network(void **state)
{
    struct fixture *f = *state;
    small_county(f->s);
    struct context_data *d = load_ok(f->s);
    struct context_network_opts o = {0};
    struct context_network *n = network_ok(d, &o);
    struct svp_err err;
    struct context_network_stats st;
    context_network_stats(n, &st);
    assert_int_equal(st.nodes, 6);
    /* Amy-Ben (missing from one area and found together), Amy-Cal, Ben-Cal (found
     * together), Dan-Amy, Dan-Ben
     * (associates), Dan-Cal (parent), Amy-Eve (same address) */
    assert_int_equal(st.edges, 7);
    assert_int_equal(st.isolated, 1); /* Fay */
    assert_true(st.groups >= 1);
    /* Dan is linked to Amy and Ben as an associate: a possible perpetrator; the parent link
     * to Cal does not count */
    assert_int_equal(st.perpetrators, 1);
    char *text = capture(print_perps, n);
    assert_non_null(strstr(text, "R4 Dan D: 2 children at risk"));
    assert_non_null(strstr(text, "associate x1 (relationship 1)"));
    free(text);
    text = capture(print_groups, n);
    assert_non_null(strstr(text, "group 1:"));
    assert_non_null(strstr(text, "Shop (South"));
    free(text);
    json_t *j = context_network_json(n);
    assert_int_equal(json_array_size(json_object_get(j, "nodes")), 5);
    assert_int_equal(json_array_size(json_object_get(j, "edges")), 7);
    assert_int_equal(json_array_size(json_object_get(j, "perpetrators")), 1);
    assert_true(json_is_null(json_object_get(j, "empty_reason")));
    json_decref(j);
    char *buf = capture(print_graphml, n);
    assert_non_null(strstr(buf, "<graphml"));
    assert_non_null(strstr(buf, "<node id=\"R4\">"));
    free(buf);
    /* profiles */
    size_t len = 0;
    FILE *mf = open_memstream(&buf, &len);
    assert_int_equal(context_profile_print(d, n, 0, NULL, 1, mf, &err), 0);
    assert_int_equal(context_profile_print(d, n, 2, NULL, 0, mf, &err), 0);
    assert_int_equal(context_profile_print(d, n, 0, "north", 0, mf, &err), 0);
    fclose(mf);
    assert_non_null(strstr(buf, "peer group 1"));
    assert_non_null(strstr(buf, "place 2: Shop"));
    assert_non_null(strstr(buf, "found here 3"));
    assert_non_null(strstr(buf, "community area: North"));
    free(buf);
    mf = open_memstream(&buf, &len);
    assert_int_equal(context_profile_print(d, n, 99, NULL, 0, mf, &err), SVP_ENOTFOUND);
    assert_int_equal(context_profile_print(d, n, 0, "Atlantis", 0, mf, &err), SVP_ENOTFOUND);
    assert_int_equal(context_profile_print(d, n, 0, NULL, 42, mf, &err), SVP_ENOTFOUND);
    assert_int_equal(context_profile_print(d, n, 1, "North", 0, mf, &err), SVP_EUSAGE);
    fclose(mf);
    free(buf);
    /* routes: Fay found out of the county */
    text = capture(print_routes, d);
    assert_non_null(strstr(text, "Kings Cross"));
    free(text);
    json_t *r = context_routes_json(d);
    assert_int_equal(json_array_size(r), 1);
    json_decref(r);
    context_network_free(&n);
    /* a higher bar: no one */
    o.min_children = 3;
    n = network_ok(d, &o);
    context_network_stats(n, &st);
    assert_int_equal(st.perpetrators, 0);
    text = capture(print_perps, n);
    assert_non_null(strstr(text, "no possible perpetrators"));
    free(text);
    context_network_free(&n);
    context_data_free(&d);
}

static void print_profile_group(void *arg, FILE *f)
{
    struct svp_err err;
    struct context_network *n = arg;
    assert_int_equal(context_profile_print(NULL, n, 0, NULL, 1, f, &err), 0);
}

/* Two peer groups (found together) whose members are also siblings co-involved in one
 * occurrence, and domestic abuse co-involvement across them: family, household and domestic
 * abuse never join the groups; the adult in the household is intra-familial, not a possible
 * perpetrator; co_offender is its own kind. */
static void test_network_household_and_da_never_join(void **state)
{
    struct fixture *f = *state;
    exec_ok(f->s, "INSERT INTO record (source, agency, agency_record_id, given_name, family_name, "
                  "role) VALUES ('p', 'police', '1', 'C1', 'X', 'child'), ('p', 'police', '2', "
                  "'C2', 'X', 'child'), ('p', 'police', '3', 'C3', 'X', 'child'), ('p', 'police', "
                  "'4', 'C4', 'X', 'child'), ('p', 'police', '5', 'C5', 'X', 'child'), ('p', "
                  "'police', '6', 'C6', 'X', 'child'), ('p', 'police', '7', 'Mum', 'X', 'adult'), "
                  "('p', 'police', '8', 'Sus', 'Y', 'adult')");
    exec_ok(f->s, "INSERT INTO place (place_key, name, lat, lon, in_county) VALUES "
                  "('flat|', 'Flat', 51.5, -1.8, 1)");
    exec_ok(f->s,
            "INSERT INTO event (source, agency, agency_event_id, record_id, type, started_at, "
            "place_id, detail) VALUES "
            "('p', 'police', 'm1', 1, 'missing_episode', '2025-01-01T20:00:00Z', NULL, NULL),"
            "('p', 'police', 'm4', 4, 'missing_episode', '2025-01-02T20:00:00Z', NULL, NULL),"

            "('p', 'police', 'o3', 3, 'crime', '2025-02-01', NULL, "
            "'{\"occurrence_ref\": \"OCC1\"}'),"
            "('p', 'police', 'o4', 4, 'crime', '2025-02-01', NULL, "
            "'{\"occurrence_ref\": \"OCC1\"}'),"
            "('p', 'police', 'da2', 2, 'da_incident', '2025-03-01T22:00:00Z', 1, NULL),"
            "('p', 'police', 'da5', 5, 'da_incident', '2025-03-01T22:00:00Z', 1, NULL),"
            "('p', 'police', 'da8', 8, 'da_incident', '2025-03-01T22:00:00Z', 1, NULL),"
            "('p', 'police', 'x1', 1, 'crime', '2025-04-01', NULL, NULL),"
            "('p', 'police', 'm3', 3, 'missing_episode', '2025-01-03T20:00:00Z', NULL, NULL)");
    exec_ok(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id) "
                  "VALUES ('p', 'police', 'found_with', 1, 2, 1), ('p', 'police', 'found_with', 2, "
                  "3, 1), ('p', 'police', 'found_with', 1, 3, 1), ('p', 'police', 'found_with', 4, "
                  "5, 2), ('p', 'police', 'found_with', 5, 6, 2), ('p', 'police', 'found_with', 4, "
                  "6, 2), ('p', 'police', 'sibling', 3, 4, NULL), ('p', 'police', 'parent', 7, 3, "
                  "NULL), ('p', 'police', 'parent', 7, 4, NULL), ('p', 'police', 'perpetrator', 7, "
                  "3, NULL), ('p', 'police', 'co_involved', 2, 5, 5), ('p', 'police', "
                  "'co_offender', 1, 6, 8)");
    struct context_data *d = load_ok(f->s);
    struct context_network_opts o = {0};
    struct context_network *n = network_ok(d, &o);
    struct group_of g = {{0}};
    context_groups_each(n, note_group, &g);
    /* co_offender 1-6 is a peer link of weight 3: it may pull 6 over, so look at 2..5 */
    assert_true(g.group[2] > 0 && g.group[2] == g.group[3]);
    assert_true(g.group[4] > 0 && g.group[4] == g.group[5]);
    assert_int_not_equal(g.group[3], g.group[4]); /* siblings in one occurrence: household */
    assert_int_not_equal(g.group[2], g.group[5]); /* one domestic abuse incident */
    assert_int_equal(g.group[7], 0);              /* Mum: family links only */
    assert_int_equal(g.group[8], 0);              /* the DA suspect */
    json_t *j = context_network_json(n);
    size_t i;
    json_t *e;
    int da = 0, co = 0;
    json_array_foreach(json_object_get(j, "edges"), i, e)
    {
        da += json_object_get(json_object_get(e, "kinds"), "domestic_abuse") != NULL;
        co += json_object_get(json_object_get(e, "kinds"), "co_offending") != NULL;
    }
    assert_int_equal(da, 3); /* 2-5 (relationship and incident), 2-8, 5-8 */
    assert_int_equal(co, 1);
    json_decref(j);
    char *text = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&text, &len);
    context_perpetrators_print(n, mf);
    fclose(mf);
    assert_non_null(strstr(text, "no possible perpetrators"));
    assert_non_null(strstr(text, "R7 Mum X: intra-familial"));
    free(text);
    context_network_free(&n);
    context_data_free(&d);
}

/* A star of 13 children around one: one community at the classic resolution, split when
 * the analyst bounds the group size. */
static void test_network_max_group(void **state)
{
    struct fixture *f = *state;
    char sql[4096];
    size_t l = (size_t)snprintf(sql, sizeof sql,
                                "INSERT INTO record (source, agency, agency_record_id, role) "
                                "VALUES ('p', 'police', 'hub', 'child')");
    for (int i = 0; i < 12; i++)
        l += (size_t)snprintf(sql + l, sizeof sql - l, ", ('p', 'police', 'leaf%d', 'child')", i);
    exec_ok(f->s, sql);
    l = (size_t)snprintf(sql, sizeof sql,
                         "INSERT INTO relationship (source, agency, kind, record_a, record_b) "
                         "VALUES ('p', 'police', 'associate', 1, 2)");
    for (int i = 3; i <= 13; i++)
        l += (size_t)snprintf(sql + l, sizeof sql - l, ", ('p', 'police', 'associate', 1, %d)",
                              i);
    exec_ok(f->s, sql);
    struct context_data *d = load_ok(f->s);
    for (int bound = 0; bound < 2; bound++) {
        struct context_network_opts o = {.max_group = bound ? 5 : 100};
        struct context_network *n = network_ok(d, &o);
        struct group_of g = {{0}};
        context_groups_each(n, note_group, &g);
        int size[32] = {0}, biggest = 0;
        for (int r = 1; r <= 13; r++)
            if (g.group[r] && ++size[g.group[r]] > biggest)
                biggest = size[g.group[r]];
        if (bound)
            assert_true(biggest <= 5);
        else
            assert_int_equal(biggest, 13);
        context_network_free(&n);
    }
    struct context_network_opts bad = {.max_group = -1};
    struct context_network *n = NULL;
    struct svp_err err;
    assert_int_equal(context_network_build(d, &bad, &n, &err), SVP_EINPUT);
    assert_string_equal(err.field, "max-group");
    context_data_free(&d);
}

static bool refuse_record_2(void *arg, int64_t person_id, int64_t record_id)
{
    (void)person_id;
    (*(int *)arg)++;
    return record_id != 2;
}

/* One person's network: rings by hops, a person the viewer may not see neither shown nor
 * walked through, bad arguments refused. A chain 1 - 2 - 3 and 1 - 4 - 5 - 6. */
static void test_network_ego(void **state)
{
    struct fixture *f = *state;
    exec_ok(f->s, "INSERT INTO record (source, agency, agency_record_id, given_name, role) VALUES "
                  "('p', 'police', '1', 'A', 'child'), ('p', 'police', '2', 'B', 'child'),"
                  "('p', 'police', '3', 'C', 'child'), ('p', 'police', '4', 'D', 'adult'),"
                  "('p', 'police', '5', 'E', 'child'), ('p', 'police', '6', 'F', 'child'),"
                  "('p', 'police', '7', 'G', 'child')");
    exec_ok(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b) VALUES "
                  "('p', 'police', 'found_with', 1, 2), ('p', 'police', 'associate', 2, 3),"
                  "('p', 'police', 'associate', 4, 1), ('p', 'police', 'associate', 4, 5),"
                  "('p', 'police', 'sibling', 5, 6)");
    struct context_data *d = load_ok(f->s);
    struct context_network_opts o = {0};
    struct context_network *n = network_ok(d, &o);
    struct context_ego *eg = NULL;
    struct svp_err err;
    assert_int_equal(context_network_ego(n, 0, 1, 2, 0, NULL, NULL, &eg, &err), 0);
    assert_int_equal(eg->n, 5); /* 1; 2, 4; 3, 5 */
    assert_int_equal(eg->nodes[0].record_id, 1);
    assert_int_equal(eg->nodes[1].record_id, 2); /* found_with (3) before associate (2) */
    assert_int_equal(eg->nodes[1].hops, 1);
    assert_string_equal(eg->nodes[1].kinds, "found_together x1");
    for (size_t i = 0; i < eg->n; i++)
        assert_true(eg->nodes[i].record_id != 6);
    context_ego_free(&eg);
    assert_null(eg);
    assert_int_equal(context_network_ego(n, 0, 1, 3, 0, NULL, NULL, &eg, &err), 0);
    assert_int_equal(eg->n, 6);
    assert_false(eg->nodes[5].peer); /* 6 reached through a sibling link */
    context_ego_free(&eg);
    /* the viewer may not see 2: 2 is withheld and 3 (only through 2) is not reached */
    int asked = 0;
    assert_int_equal(context_network_ego(n, 0, 1, 2, 0, refuse_record_2, &asked, &eg, &err), 0);
    assert_int_equal(eg->n, 3);
    assert_int_equal(eg->withheld, 1);
    assert_true(asked >= 3);
    for (size_t i = 0; i < eg->n; i++)
        assert_true(eg->nodes[i].record_id != 2 && eg->nodes[i].record_id != 3);
    char *text = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&text, &len);
    context_ego_print(eg, NULL, NULL, true, mf);
    fclose(mf);
    assert_non_null(strstr(text, "network of R1 within 2 links: 2 persons"));
    assert_non_null(strstr(text, "1 linked persons are not shown"));
    free(text);
    context_ego_free(&eg);
    /* at most max_nodes */
    assert_int_equal(context_network_ego(n, 0, 1, 3, 2, NULL, NULL, &eg, &err), 0);
    assert_int_equal(eg->n, 2);
    assert_true(eg->truncated);
    context_ego_free(&eg);
    assert_int_equal(context_network_ego(n, 0, 7, 2, 0, NULL, NULL, &eg, &err), SVP_ENOTFOUND);
    assert_int_equal(context_network_ego(n, 0, 1, 4, 0, NULL, NULL, &eg, &err), SVP_EINPUT);
    assert_int_equal(context_network_ego(n, 1, 1, 2, 0, NULL, NULL, &eg, &err), SVP_EINPUT);
    assert_null(eg);
    context_network_free(&n);
    context_data_free(&d);
}

static void test_scores_from_risk(void **state)
{
    struct fixture *f = *state;
    small_county(f->s);
    exec_ok(f->s, "UPDATE record SET dob = '2011-05-01' WHERE role = 'child'");
    exec_ok(f->s, "UPDATE record SET dob = '1980-05-01' WHERE role = 'adult'");
    struct context_data *d = load_ok(f->s);
    struct svp_err err;
    svp_day as_of;
    assert_int_equal(svp_date_from_ymd(2026, 11, 21, &as_of), 0);
    assert_int_equal(context_scores_attach(d, f->s, as_of, &err), 0);
    struct context_network_opts o = {0};
    struct context_network *n = network_ok(d, &o);
    char *text = capture(print_profile_group, n);
    assert_non_null(strstr(text, "scored by the Vulnerability Tracker"));
    free(text);
    json_t *j = context_network_json(n);
    json_t *node = json_array_get(json_object_get(j, "nodes"), 0);
    assert_non_null(json_object_get(node, "score"));
    assert_non_null(json_object_get(node, "band"));
    json_decref(j);
    context_network_free(&n);
    context_data_free(&d);
}

/* The betweenness of a node in the GraphML text: the figure on its node line. */
static double graphml_betweenness(const char *text, const char *label)
{
    static const char key[] = "<data key=\"betweenness\">";
    char want[48];
    int w = snprintf(want, sizeof want, "<node id=\"%s\">", label);
    assert_true(w > 0 && (size_t)w < sizeof want);
    const char *node = strstr(text, want);
    assert_non_null(node);
    const char *data = strstr(node, key);
    assert_non_null(data);
    return strtod(data + sizeof key - 1, NULL);
}

/* Betweenness counts shortest chains of at most 4 links (near-linear at a region's size):
 * on a chain of 7 the middle person is on 9 chains, 6 of them 4 links or shorter. */
static void test_network_betweenness_within_four_links(void **state)
{
    struct fixture *f = *state;
    exec_ok(f->s, "INSERT INTO record (source, agency, agency_record_id, given_name, role) VALUES "
                  "('p', 'police', '1', 'A', 'child'), ('p', 'police', '2', 'B', 'child'),"
                  "('p', 'police', '3', 'C', 'child'), ('p', 'police', '4', 'D', 'child'),"
                  "('p', 'police', '5', 'E', 'child'), ('p', 'police', '6', 'F', 'child'),"
                  "('p', 'police', '7', 'G', 'child')");
    exec_ok(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b) VALUES "
                  "('p', 'police', 'associate', 1, 2), ('p', 'police', 'associate', 2, 3),"
                  "('p', 'police', 'associate', 3, 4), ('p', 'police', 'associate', 4, 5),"
                  "('p', 'police', 'associate', 5, 6), ('p', 'police', 'associate', 6, 7)");
    struct context_data *d = load_ok(f->s);
    struct context_network_opts o = {0};
    struct context_network *n = network_ok(d, &o);
    char *text = capture(print_graphml, n);
    assert_true(graphml_betweenness(text, "R4") == 6.0); /* exact: 9 */
    assert_true(graphml_betweenness(text, "R2") == 3.0); /* exact: 5 */
    assert_true(graphml_betweenness(text, "R1") == 0.0);
    free(text);
    context_network_free(&n);
    context_data_free(&d);
}

static int64_t version_of(struct store *s)
{
    int64_t v = 0;
    struct svp_err err;
    if (store_data_version(s, &v, &err))
        fail_msg("data version: %s", err.msg);
    return v;
}

static int64_t count_of(struct store *s, const char *sql)
{
    int64_t v = -1;
    struct svp_err err;
    if (store_query_int64(s, sql, &v, &err))
        fail_msg("%s: %s", sql, err.msg);
    return v;
}

/* Centrality computed once per data version and stored (issue 22, item 3): `svp context run`
 * stores it; a build at the same version and graph reads back the very values a recompute
 * gives; a stored value is what is read (a value changed in the table shows); a write moves
 * the version on and the values are computed again, as is a build of another graph. */
static void test_centrality_stored_per_data_version(void **state)
{
    struct fixture *f = *state;
    small_county(f->s);
    struct context_data *d = load_ok(f->s);
    struct context_network_opts plain = {0};
    struct context_network *n = network_ok(d, &plain);
    assert_int_equal(context_network_centrality_source(n), CONTEXT_CENTRALITY_COMPUTED);
    json_t *want = context_network_json(n);
    context_network_free(&n);
    int64_t v = version_of(f->s);
    /* svp context run: computed and stored, and storing is not a change to the data */
    struct context_network_opts run = {.store = f->s, .save_centrality = true};
    n = network_ok(d, &run);
    assert_int_equal(context_network_centrality_source(n), CONTEXT_CENTRALITY_SAVED);
    context_network_free(&n);
    assert_int_equal(version_of(f->s), v);
    assert_int_equal(count_of(f->s, "SELECT data_version FROM context_centrality_state"), v);
    assert_int_equal(count_of(f->s, "SELECT COUNT(*) FROM context_centrality"), 5);
    assert_int_equal(count_of(f->s, "SELECT nodes FROM context_centrality_state"), 5);
    /* a reader: the stored values, equal to a recompute's */
    struct context_network_opts reader = {.store = f->s};
    n = network_ok(d, &reader);
    assert_int_equal(context_network_centrality_source(n), CONTEXT_CENTRALITY_STORED);
    json_t *got = context_network_json(n);
    assert_true(json_equal(got, want));
    json_decref(got);
    context_network_free(&n);
    /* what is read is what is stored */
    exec_ok(f->s, "UPDATE context_centrality SET betweenness = 12345.5 WHERE node = 0");
    assert_int_equal(version_of(f->s), v);
    n = network_ok(d, &reader);
    assert_int_equal(context_network_centrality_source(n), CONTEXT_CENTRALITY_STORED);
    got = context_network_json(n);
    char *text = json_dumps(got, JSON_COMPACT);
    assert_non_null(strstr(text, "12345.5"));
    free(text);
    json_decref(got);
    context_network_free(&n);
    /* another graph (the 2025 links left out) is computed, not read */
    struct context_network_opts since = {.store = f->s, .since = testutil_day("2026-01-01")};
    n = network_ok(d, &since);
    assert_int_equal(context_network_centrality_source(n), CONTEXT_CENTRALITY_COMPUTED);
    struct context_network_stats later;
    context_network_stats(n, &later);
    assert_true(later.edges > 0 && later.edges < 7);
    context_network_free(&n);
    /* a write moves the version on: computed again, the recompute's values */
    exec_ok(f->s, "INSERT INTO svp_meta (key, value) VALUES ('test', 'a write')");
    assert_true(version_of(f->s) > v);
    n = network_ok(d, &reader);
    assert_int_equal(context_network_centrality_source(n), CONTEXT_CENTRALITY_COMPUTED);
    got = context_network_json(n);
    assert_true(json_equal(got, want));
    json_decref(got);
    context_network_free(&n);
    /* and stored again by the next run, for the new version */
    n = network_ok(d, &run);
    assert_int_equal(context_network_centrality_source(n), CONTEXT_CENTRALITY_SAVED);
    context_network_free(&n);
    assert_int_equal(count_of(f->s, "SELECT data_version FROM context_centrality_state"),
                     version_of(f->s));
    n = network_ok(d, &reader);
    assert_int_equal(context_network_centrality_source(n), CONTEXT_CENTRALITY_STORED);
    got = context_network_json(n);
    assert_true(json_equal(got, want));
    json_decref(got);
    context_network_free(&n);
    json_decref(want);
    context_data_free(&d);
}

static void test_network_no_edges(void **state)
{
    struct fixture *f = *state;
    exec_ok(f->s, "INSERT INTO record (source, agency, agency_record_id, role) VALUES "
                  "('police', 'police', '1', 'child'), ('police', 'police', '2', 'adult')");
    struct context_data *d = load_ok(f->s);
    struct context_network_opts o = {0};
    struct context_network *n = network_ok(d, &o);
    struct context_network_stats st;
    context_network_stats(n, &st);
    assert_int_equal(st.edges, 0);
    assert_int_equal(st.isolated, 2);
    assert_non_null(strstr(context_network_empty_reason(n), "no links between the 2 persons"));
    char *text = capture(print_groups, n);
    assert_non_null(strstr(text, "no peer groups: no links"));
    free(text);
    text = capture(print_graphml, n);
    assert_non_null(strstr(text, "</graphml>"));
    free(text);
    context_network_free(&n);
    context_data_free(&d);
}

/* A person is a child in a network if under 18 when the events happened, whatever the
 * agency's role says now. */
static void test_role_by_age_at_events(void **state)
{
    struct fixture *f = *state;
    exec_ok(f->s, "INSERT INTO record (source, agency, agency_record_id, role, dob) VALUES "
                  "('police', 'police', '1', 'adult', '2006-01-01'),"
                  "('police', 'police', '2', 'adult', '1980-01-01'),"
                  "('police', 'police', '3', 'child', NULL)");
    exec_ok(f->s, "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                  "started_at) VALUES ('p', 'police', 'm1', 1, 'missing_episode', '2022-06-01'),"
                  "('p', 'police', 'm2', 2, 'crime', '2022-06-01')");
    exec_ok(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b) VALUES "
                  "('p', 'police', 'associate', 1, 2), ('p', 'police', 'associate', 2, 3)");
    struct context_data *d = load_ok(f->s);
    struct context_network_opts o = {0};
    struct context_network *n = network_ok(d, &o);
    json_t *j = context_network_json(n);
    size_t i;
    json_t *node;
    int seen = 0;
    json_array_foreach(json_object_get(j, "nodes"), i, node)
    {
        json_int_t rid = json_integer_value(json_object_get(node, "record_id"));
        const char *role = json_string_value(json_object_get(node, "role"));
        if (rid == 1)
            assert_string_equal(role, "child"); /* 16 when missing in 2022 */
        if (rid == 2)
            assert_string_equal(role, "adult");
        if (rid == 3)
            assert_string_equal(role, "child"); /* no date of birth: the agency's role */
        seen++;
    }
    assert_int_equal(seen, 3);
    json_decref(j);
    context_network_free(&n);
    context_data_free(&d);
}

static void test_web_calls(void **state)
{
    struct fixture *f = *state;
    small_county(f->s);
    struct svp_err err;
    json_t *j = NULL;
    struct context_hotspot_opts ho = {0};
    assert_int_equal(context_hotspots_geojson_load(f->s, &ho, &j, &err), 0);
    assert_string_equal(json_string_value(json_object_get(j, "type")), "FeatureCollection");
    json_decref(j);
    struct context_trend_opts to = {0};
    assert_int_equal(context_trends_json_load(f->s, &to, &j, &err), 0);
    assert_non_null(json_object_get(j, "rows"));
    json_decref(j);
    struct context_network_opts no = {0};
    assert_int_equal(context_network_json_load(f->s, &no, true, &j, &err), 0);
    assert_int_equal(json_array_size(json_object_get(j, "perpetrators")), 1);
    json_decref(j);
    assert_int_equal(context_routes_json_load(f->s, &j, &err), 0);
    assert_int_equal(json_array_size(j), 1);
    json_decref(j);
    ho.filter.kinds = "nonsense";
    assert_int_equal(context_hotspots_geojson_load(f->s, &ho, &j, &err), SVP_EINPUT);
    assert_null(j);
}

static void test_routes_none(void **state)
{
    struct fixture *f = *state;
    struct context_data *d = load_ok(f->s);
    char *text = capture(print_routes, d);
    assert_non_null(strstr(text, "no county-lines routes"));
    free(text);
    context_data_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_network, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_network_household_and_da_never_join, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_network_max_group, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_network_ego, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_scores_from_risk, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_network_betweenness_within_four_links, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_network_no_edges, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_centrality_stored_per_data_version, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_role_by_age_at_events, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_web_calls, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_routes_none, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
