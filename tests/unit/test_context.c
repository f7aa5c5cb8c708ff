/* The contexts room: statistics by hand-worked examples, and places, hotspots, trends,
 * networks, routes and profiles on small databases on SQLite and PostgreSQL. */
#include "testutil.h"

#include "context/context.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    char *uri;
    struct store *s;
    char *dir;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->s = testutil_open_migrated(&f->uri);
    f->dir = testutil_tmpdir();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    testutil_rmdir(&f->dir);
    free(f);
    return 0;
}

#define exec_ok testutil_exec

static struct context_data *load_ok(struct store *s)
{
    struct context_data *d = NULL;
    struct svp_err err;
    if (context_load(s, &d, &err))
        fail_msg("context_load: %s", err.msg);
    return d;
}

/* Text a function printed, for checks on what a person reads. */
static char *capture(void (*fn)(void *arg, FILE *f), void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(arg, f);
    fclose(f);
    return buf;
}

/* The network of d under o; fails the test on error. */
static struct context_network *network_ok(const struct context_data *d,
                                          const struct context_network_opts *o)
{
    struct context_network *n = NULL;
    struct svp_err err;
    if (context_network_build(d, o, &n, &err))
        fail_msg("context_network_build: %s", err.msg);
    return n;
}

/* For capture: the network's GraphML, which must be written without error. */
static void print_graphml(void *arg, FILE *f)
{
    struct svp_err err;
    assert_int_equal(context_network_graphml(arg, f, &err), 0);
}

/* ------------------------------------------------------------------ statistics */

static void test_gistar_hand_worked(void **state)
{
    (void)state;
    /* a line of four, x = 0 0 0 4, neighbourhood self and adjacent: mean 1, S = sqrt(3);
     * unit 3: (4 - 2) / (sqrt(3) sqrt((4*2 - 4) / 3)) = 1; unit 2: (4 - 3) / sqrt(3) */
    double x[] = {0, 0, 0, 4}, z[4];
    size_t start[] = {0, 2, 5, 8, 10}, nb[] = {0, 1, 0, 1, 2, 1, 2, 3, 2, 3};
    struct svp_err err;
    assert_int_equal(context_gistar(4, x, start, nb, z, &err), 0);
    assert_true(fabs(z[0] + 1) < 1e-12);
    assert_true(fabs(z[1] + sqrt(3)) < 1e-12);
    assert_true(fabs(z[2] - 1 / sqrt(3)) < 1e-12);
    assert_true(fabs(z[3] - 1) < 1e-12);
    /* every value the same: no cluster anywhere */
    double flat[] = {2, 2, 2, 2};
    assert_int_equal(context_gistar(4, flat, start, nb, z, &err), 0);
    for (int i = 0; i < 4; i++)
        assert_true(z[i] == 0);
    /* a neighbour that does not exist */
    size_t bad[] = {0, 1, 0, 1, 2, 1, 2, 3, 2, 9};
    assert_int_equal(context_gistar(4, x, start, bad, z, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "neighbour"));
}

static void test_fdr_and_p_values(void **state)
{
    (void)state;
    double p[] = {0.01, 0.04, 0.03, 0.5}, q[4];
    assert_int_equal(context_fdr_bh(4, p, q), 0);
    assert_true(fabs(q[0] - 0.04) < 1e-12);
    assert_true(fabs(q[1] - 0.04 * 4 / 3) < 1e-12);
    assert_true(fabs(q[2] - 0.04 * 4 / 3) < 1e-12);
    assert_true(fabs(q[3] - 0.5) < 1e-12);
    assert_true(fabs(context_normal_p2(1.959963985) - 0.05) < 1e-8);
    assert_true(fabs(context_normal_p2(0) - 1) < 1e-12);
    /* 10 events now, none a year ago: 2^-10 */
    assert_true(fabs(context_binomial_rise_p(10, 0) - 1.0 / 1024) < 1e-15);
    assert_true(fabs(context_binomial_rise_p(1, 1) - 0.75) < 1e-12);
    assert_true(context_binomial_rise_p(0, 5) == 1.0);
    assert_true(context_binomial_rise_p(500, 400) < 0.001);
    assert_true(context_binomial_rise_p(400, 500) > 0.99);
}

static void test_communities(void **state)
{
    (void)state;
    /* two triangles joined by one edge, and an isolated node 6 */
    int from[] = {0, 1, 2, 3, 4, 5, 2}, to[] = {1, 2, 0, 4, 5, 3, 3};
    int memb[7];
    double q;
    struct svp_err err;
    assert_int_equal(context_communities(7, 7, from, to, NULL, 0, memb, &q, &err), 0);
    assert_int_equal(memb[0], memb[1]);
    assert_int_equal(memb[1], memb[2]);
    assert_int_equal(memb[3], memb[4]);
    assert_int_equal(memb[4], memb[5]);
    assert_int_not_equal(memb[0], memb[3]);
    assert_int_not_equal(memb[6], memb[0]);
    assert_int_not_equal(memb[6], memb[3]);
    assert_true(q > 0.3);
    /* no edges: each node alone, modularity 0 */
    assert_int_equal(context_communities(3, 0, NULL, NULL, NULL, 0, memb, &q, &err), 0);
    assert_int_equal(memb[2], 2);
    assert_true(q == 0);
    int bad_to[] = {9};
    assert_int_equal(context_communities(3, 1, from, bad_to, NULL, 0, memb, &q, &err), SVP_EINPUT);
    double w0[] = {0};
    assert_int_equal(context_communities(3, 1, from, to, w0, 0, memb, &q, &err), SVP_EINPUT);
}

/* ------------------------------------------------------------------ postcodes */

static void test_postcode_canonical(void **state)
{
    (void)state;
    char out[10];
    assert_true(context_postcode_canonical("sn151ab", out, sizeof out));
    assert_string_equal(out, "SN15 1AB");
    assert_true(context_postcode_canonical(" N1  9AL ", out, sizeof out));
    assert_string_equal(out, "N1 9AL");
    assert_true(context_postcode_canonical("EC1A 1BB", out, sizeof out));
    assert_false(context_postcode_canonical("", out, sizeof out));
    assert_false(context_postcode_canonical("12345", out, sizeof out));
    assert_false(context_postcode_canonical("SN15 1A", out, sizeof out));
    assert_false(context_postcode_canonical("SNAB 1AB", out, sizeof out));
    assert_false(context_postcode_canonical("SN15-1AB", out, sizeof out));
}

static void count_bad(void *arg, long line, const char *why)
{
    (void)line;
    (void)why;
    (*(long *)arg)++;
}

static void test_postcodes_import(void **state)
{
    struct fixture *f = *state;
    const char *csv = "area,latitude,longitude,postcode\n"
                      "North,51.5,-1.8,sn1 1aa\n"
                      "North,51.6,-1.8,SN1 1AB\n"
                      "South,91,-1.8,SN2 2AA\n"   /* latitude out of range */
                      "South,51.4,east,SN2 2AB\n" /* not a number */
                      ",51.4,-1.7,SN2 2AC\n"      /* no area */
                      "South,51.4,-1.7,NOTAPOSTCODE\n"
                      "South,51.4,-1.7\n"; /* too few fields */
    char *path = testutil_write_file(f->dir, "pc.csv", csv, strlen(csv));
    struct context_import_report rep;
    struct svp_err err;
    long bad = 0;
    assert_int_equal(context_postcodes_import(f->s, path, NULL, count_bad, &bad, &rep, &err), 0);
    assert_int_equal(rep.rows, 7);
    assert_int_equal(rep.imported, 2);
    assert_int_equal(rep.rejected, 5);
    assert_int_equal(bad, 5);
    /* importing again replaces, never duplicates */
    assert_int_equal(context_postcodes_import(f->s, path, NULL, NULL, NULL, &rep, &err), 0);
    int64_t n = 0;
    assert_int_equal(store_query_int64(f->s, "SELECT count(*) FROM context_postcode", &n, &err), 0);
    assert_int_equal(n, 2);
    free(path);
    /* a header without the needed columns */
    path = testutil_write_file(f->dir, "bad.csv", "postcode,lat\nSN1 1AA,51\n", 23);
    assert_int_equal(context_postcodes_import(f->s, path, NULL, NULL, NULL, &rep, &err),
                     SVP_EINPUT);
    assert_non_null(strstr(err.msg, "lon"));
    free(path);
    path = testutil_write_file(f->dir, "empty.csv", "", 0);
    assert_int_equal(context_postcodes_import(f->s, path, NULL, NULL, NULL, &rep, &err),
                     SVP_EINPUT);
    free(path);
    assert_int_equal(
        context_postcodes_import(f->s, "/nonexistent/pc.csv", NULL, NULL, NULL, &rep, &err),
        SVP_EIO);
}

struct onspd_rows {
    int n, in;
    char area[4][16];
};

static int onspd_row(void *arg, const char *pc, double lat, double lon, const char *area,
                     bool in_county)
{
    (void)pc;
    (void)lat;
    (void)lon;
    struct onspd_rows *r = arg;
    if (r->n < 4)
        snprintf(r->area[r->n], sizeof r->area[0], "%s", area);
    r->n++;
    r->in += in_county;
    return 0;
}

/* The ONS Postcode Directory's layout (a made-up file with its column names): the area from
 * the column asked for, the county from the local authority codes given, rows without a grid
 * reference rejected, a missing column named. */
static void test_postcodes_onspd(void **state)
{
    (void)state;
    const char *csv =
        "pcd,pcds,doterm,oslaua,osward,msoa21,lat,long\n"
        "SN1 1AA,SN1 1AA,,E06000099,E05099001,E02099001,51.5,-1.8\n"
        "SN1 1AB,SN1 1AB,200912,E06000099,E05099001,E02099001,51.51,-1.79\n"
        "GL1 1AA,GL1 1AA,,E07000098,E05098001,E02098001,51.86,-2.24\n"
        "SN3 3AA,SN3 3AA,,E06000099,E05099002,,99.999999,0.000000\n";
    struct onspd_rows r = {0};
    struct context_import_report rep;
    struct svp_err err;
    long bad = 0;
    /* detected by its header (pcds and no area column): every row in, areas by ward */
    assert_int_equal(context_postcodes_parse_layout(csv, strlen(csv), "o.csv", NULL, NULL,
                                                    count_bad, &bad, &rep, &err),
                     0);
    assert_int_equal(rep.imported, 3);
    assert_int_equal(bad, 1);
    struct context_postcode_layout lay = {.in_county = "E06000099, E06000054"};
    assert_int_equal(context_postcodes_parse_layout(csv, strlen(csv), "o.csv", &lay, onspd_row,
                                                    NULL, &r, &rep, &err),
                     0);
    assert_int_equal(rep.rows, 4);
    assert_int_equal(rep.imported, 3);
    assert_int_equal(rep.rejected, 1);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.in, 2);
    assert_string_equal(r.area[0], "E05099001");
    assert_string_equal(r.area[2], "OUT");
    memset(&r, 0, sizeof r);
    lay = (struct context_postcode_layout){.area_column = "msoa21"};
    assert_int_equal(context_postcodes_parse_layout(csv, strlen(csv), "o.csv", &lay, onspd_row,
                                                    NULL, &r, &rep, &err),
                     0);
    assert_int_equal(r.in, 3);
    assert_string_equal(r.area[2], "E02098001");
    lay = (struct context_postcode_layout){.area_column = "lsoa11"};
    assert_int_equal(context_postcodes_parse_layout(csv, strlen(csv), "o.csv", &lay, onspd_row,
                                                    NULL, &r, &rep, &err),
                     SVP_EINPUT);
    assert_non_null(strstr(err.msg, "missing: lsoa11"));
    lay = (struct context_postcode_layout){.in_county = "E06000099", .county_column = "oscty"};
    assert_int_equal(context_postcodes_parse_layout(csv, strlen(csv), "o.csv", &lay, onspd_row,
                                                    NULL, &r, &rep, &err),
                     SVP_EINPUT);
    assert_non_null(strstr(err.msg, "missing: oscty"));
}

static void test_postcodes_areas_and_out_of_county(void **state)
{
    struct fixture *f = *state;
    const char *areas = "area_code,name,lat,lon\nCA01,Ashbourne Vale,51.5,-1.8\n";
    const char *pcs = "postcode,lat,lon,area_code\nSV1 1AA,51.5,-1.8,CA01\n"
                      "SV1 1AB,51.51,-1.79,CA01\nZX1 1AA,51.5,-0.1,OUT\n";
    char *ap = testutil_write_file(f->dir, "areas.csv", areas, strlen(areas));
    char *pp = testutil_write_file(f->dir, "postcodes.csv", pcs, strlen(pcs));
    struct context_import_report rep;
    struct svp_err err;
    assert_int_equal(context_postcodes_import(f->s, pp, ap, NULL, NULL, &rep, &err), 0);
    assert_int_equal(rep.imported, 3);
    int64_t n = 0;
    assert_int_equal(store_query_int64(f->s,
                                       "SELECT count(*) FROM context_postcode WHERE area = "
                                       "'Ashbourne Vale' AND in_county = 1",
                                       &n, &err),
                     0);
    assert_int_equal(n, 2);
    /* a place known only by an out-of-county postcode is outside, not in an area */
    exec_ok(f->s, "INSERT INTO place (place_key, name, postcode) VALUES ('t|', 'Town', "
                  "'ZX1 1AA'), ('h|', 'Home', 'SV1 1AB')");
    struct context_data *d = load_ok(f->s);
    struct context_place_report r;
    context_places_report(d, &r);
    assert_int_equal(r.outside, 1);
    assert_int_equal(r.by_postcode, 1);
    context_data_free(&d);
    /* a code the areas file does not know: nothing imported */
    const char *bad = "postcode,lat,lon,area_code\nSV2 1AA,51.5,-1.8,CA99\n";
    char *bp = testutil_write_file(f->dir, "bad.csv", bad, strlen(bad));
    assert_int_equal(context_postcodes_import(f->s, bp, ap, NULL, NULL, &rep, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "CA99"));
    free(ap);
    free(pp);
    free(bp);
}

/* ------------------------------------------------------------------ a small county */

/* Two areas; three children who go missing on one evening and are found at a shop (the
 * event's place is where the child was found, docs/model.md); an adult associate of two of
 * them and parent of the third; a place outside the county; a place with no location; a
 * child found out of the county. */
static void small_county(struct store *s)
{
    exec_ok(s, "INSERT INTO context_postcode (postcode, lat, lon, area) VALUES "
               "('SN1 1AA', 51.500, -1.800, 'North'), ('SN1 1AB', 51.510, -1.790, 'North'), "
               "('SN2 2AA', 51.450, -1.750, 'South'), ('SN2 2AB', 51.440, -1.740, 'South')");
    exec_ok(s, "INSERT INTO record (source, agency, agency_record_id, given_name, family_name, "
               "role, area, address, postcode) VALUES "
               "('police', 'police', '1', 'Amy', 'A', 'child', 'North', '1 High St', 'SN1 1AA'),"
               "('police', 'police', '2', 'Ben', 'B', 'child', 'North', NULL, 'SN1 1AB'),"
               "('police', 'police', '3', 'Cal', 'C', 'child', 'South', NULL, 'SN2 2AB'),"
               "('police', 'police', '4', 'Dan', 'D', 'adult', 'South', NULL, NULL),"
               "('police', 'police', '5', 'Eve', 'E', 'child', NULL, '1 High St.', 'sn11aa'),"
               "('police', 'police', '6', 'Fay', 'F', 'child', 'South', NULL, 'SN2 2AA')");
    exec_ok(s, "INSERT INTO place (place_key, name, postcode, lat, lon, area, in_county) VALUES "
               "('park|', 'Park', NULL, 51.501, -1.801, NULL, 1),"
               "('shop|sn2 2aa', 'Shop', 'SN2 2AA', NULL, NULL, NULL, 1),"
               "('far|', 'Far', NULL, 53.0, -2.0, NULL, 1),"
               "('nowhere|', 'Nowhere', NULL, NULL, NULL, NULL, 1),"
               "('kx|', 'Kings Cross', NULL, 51.5, -0.1, 'London', 0)");
    exec_ok(s, "INSERT INTO event (source, agency, agency_event_id, record_id, type, started_at, "
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
    exec_ok(s, "INSERT INTO relationship (source, agency, kind, record_a, record_b) VALUES "
               "('p', 'police', 'associate', 4, 1), ('p', 'police', 'associate', 4, 2),"
               "('p', 'police', 'parent', 4, 3)");
}

static void test_places_normalised(void **state)
{
    struct fixture *f = *state;
    small_county(f->s);
    struct context_data *d = load_ok(f->s);
    struct context_place_report r;
    context_places_report(d, &r);
    assert_int_equal(r.places, 5);
    assert_int_equal(r.located, 1);     /* Park, area from the nearest postcode */
    assert_int_equal(r.by_postcode, 1); /* Shop */
    assert_int_equal(r.outside, 2);     /* Far (beyond the lookup), City (in_county 0) */
    assert_int_equal(r.no_location, 1); /* Nowhere */
    assert_int_equal(r.area_from_nearest, 1);
    assert_int_equal(r.postcodes, 4);
    assert_int_equal(r.events, 7);
    context_data_free(&d);
    assert_null(d);
}

static void print_hotspots(void *arg, FILE *f)
{
    context_hotspots_print(arg, 10, f);
}

static void test_hotspots(void **state)
{
    struct fixture *f = *state;
    small_county(f->s);
    struct context_data *d = load_ok(f->s);
    struct context_hotspot_opts o = {0};
    struct context_hotspots *h = NULL;
    struct svp_err err;
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), 0);
    /* missing 4 (at the children's homes), found 4 (3 at Shop, 1 out of county), incidents 3
     * (Far outside, Nowhere no location, Kings Cross outside) */
    assert_int_equal(h->events_used, 7);
    assert_int_equal(h->events_outside, 3);
    assert_int_equal(h->events_unplaced, 1);
    assert_true(h->ncells > 0 && h->nareas == 2);
    /* the busiest cells are the hottest, and the hottest non-empty cell is named */
    size_t first = 0;
    while (h->cells[first].count == 0)
        first++;
    assert_true(h->cells[first].z > 2);
    assert_string_equal(h->cells[first].top_place, "Shop");
    char *text = capture(print_hotspots, h);
    assert_non_null(strstr(text, "Getis-Ord Gi*"));
    assert_non_null(strstr(text, "outside the county: 3"));
    free(text);
    json_t *g = context_hotspots_geojson(h);
    assert_non_null(g);
    assert_string_equal(json_string_value(json_object_get(g, "type")), "FeatureCollection");
    size_t layers[3] = {0};
    json_t *ft;
    size_t i;
    json_array_foreach(json_object_get(g, "features"), i, ft)
    {
        const char *layer =
            json_string_value(json_object_get(json_object_get(ft, "properties"), "layer"));
        layers[!strcmp(layer, "gistar") ? 0 : !strcmp(layer, "area") ? 1 : 2]++;
    }
    assert_true(layers[0] >= 2 && layers[1] == 2 && layers[2] > 0);
    json_decref(g);
    context_hotspots_free(&h);
    /* only incidents, all outside or unlocated: empty, and says why */
    o.filter.kinds = "incident";
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), 0);
    assert_int_equal(h->events_used, 0);
    assert_non_null(strstr(h->empty_reason, "outside the county"));
    text = capture(print_hotspots, h);
    assert_non_null(strstr(text, "no hotspots"));
    free(text);
    g = context_hotspots_geojson(h);
    assert_non_null(json_string_value(json_object_get(g, "empty_reason")));
    json_decref(g);
    context_hotspots_free(&h);
    /* bad options */
    o.filter.kinds = "missing,Bogus";
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), SVP_EINPUT);
    assert_string_equal(err.field, "events");
    o.filter.kinds = ",";
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), SVP_EINPUT);
    o.filter.kinds = NULL;
    o.cell_m = 1;
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), SVP_EINPUT);
    assert_null(h);
    context_data_free(&d);
}

/* No postcode lookup: the extent is the recorded homes' box, so a place 150 km away (in_county
 * given as 1 by its agency) is outside and a 250 m grid is honoured; a size that does not fit
 * is refused with the smallest that does; exploitation-related and general police events are
 * counted apart, each with its busiest place. */
static void test_hotspots_extent_and_kinds(void **state)
{
    struct fixture *f = *state;
    exec_ok(f->s, "INSERT INTO place (place_key, name, postcode, lat, lon, area, in_county) "
                  "VALUES ('|SN1 1AA', NULL, 'SN1 1AA', 51.500, -1.800, NULL, 1),"
                  "('|SN1 1AB', NULL, 'SN1 1AB', 51.520, -1.780, NULL, 1),"
                  "('|SN2 2AA', NULL, 'SN2 2AA', 51.700, -1.500, NULL, 1),"
                  "('park|', 'Park', NULL, 51.501, -1.801, NULL, 1),"
                  "('pub|', 'Pub', NULL, 51.600, -1.600, NULL, 1),"
                  "('far|', 'Far', NULL, 53.0, -2.0, NULL, 1)");
    exec_ok(f->s, "INSERT INTO record (source, agency, agency_record_id, given_name, role, "
                  "postcode) VALUES ('p', 'police', '1', 'Amy', 'child', 'SN1 1AA'),"
                  "('p', 'police', '2', 'Ben', 'child', 'SN1 1AB'),"
                  "('p', 'police', '3', 'Cal', 'child', 'SN2 2AA')");
    char sql[4096];
    size_t l = (size_t)snprintf(sql, sizeof sql,
                                "INSERT INTO event (source, agency, agency_event_id, record_id, "
                                "type, started_at, place_id, detail) VALUES ");
    for (int i = 0; i < 12; i++) /* 6 flagged at the park, 6 plain at the pub */
        l += (size_t)snprintf(sql + l, sizeof sql - l,
                              "('p', 'police', 'c%d', %d, 'crime', '2026-0%d-0%dT23:00:00Z', %d, "
                              "%s),",
                              i, 1 + i % 3, 1 + i % 6, 1 + i / 6, i % 2 ? 5 : 4,
                              i % 2 ? "NULL" : "'{\"exploitation\": [\"cce\"]}'");
    snprintf(sql + l, sizeof sql - l,
             "('p', 'police', 'far', 1, 'crime', '2026-01-01', 6, "
             "'{\"exploitation\": [\"county_lines\"]}')");
    exec_ok(f->s, sql);
    struct context_data *d = load_ok(f->s);
    struct context_place_report r;
    context_places_report(d, &r);
    assert_int_equal(r.outside, 1);
    struct context_hotspot_opts o = {.cell_m = 250};
    struct context_hotspots *h = NULL;
    struct svp_err err;
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), 0);
    assert_true(h->cell_m == 250);
    assert_string_equal(h->cell_note, "");
    assert_int_equal(h->events_outside, 1);
    context_hotspots_free(&h);
    /* 50 m over a ~25 x 26 km box is ~260,000 cells: refused, with the size that fits */
    o.cell_m = 50;
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), SVP_EINPUT);
    assert_string_equal(err.field, "cell");
    assert_non_null(strstr(err.msg, "recorded homes'"));
    assert_non_null(strstr(err.msg, "give a cell of"));
    assert_null(h);
    o.cell_m = 0;
    o.filter.kinds = "exploitation";
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), 0);
    assert_int_equal(h->events_used, 6);
    assert_int_equal(h->events_outside, 1);
    assert_string_equal(h->kinds, "exploitation");
    context_hotspots_free(&h);
    o.filter.kinds = "general";
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), 0);
    assert_int_equal(h->events_used, 6);
    context_hotspots_free(&h);
    o.filter.kinds = NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&buf, &len);
    assert_int_equal(context_hotspots_kinds_print(d, &o, 5, mf, &err), 0);
    fclose(mf);
    const char *ex = strstr(buf, "== exploitation"), *ge = strstr(buf, "== general");
    assert_non_null(ex);
    assert_non_null(ge);
    /* each kind names its own busiest place */
    const char *park = strstr(ex, "Park"), *pub = strstr(ge, "Pub");
    assert_true(park && park < ge);
    assert_non_null(pub);
    assert_null(strstr(ge, "Park"));
    free(buf);
    context_data_free(&d);
}

static void test_hotspots_empty_database(void **state)
{
    struct fixture *f = *state;
    struct context_data *d = load_ok(f->s);
    struct context_hotspot_opts o = {0};
    struct context_hotspots *h = NULL;
    struct svp_err err;
    assert_int_equal(context_hotspots_run(d, &o, &h, &err), 0);
    assert_int_equal(h->events_used, 0);
    assert_non_null(strstr(h->empty_reason, "no events"));
    context_hotspots_free(&h);
    struct context_trends *t = NULL;
    struct context_trend_opts to = {0};
    assert_int_equal(context_trends_run(d, &to, &t, &err), 0);
    assert_int_equal(t->nrows, 0);
    assert_non_null(strstr(t->empty_reason, "no events"));
    context_trends_free(&t);
    struct context_network_opts no = {0};
    struct context_network *n = network_ok(d, &no);
    assert_string_equal(context_network_empty_reason(n), "no persons are recorded");
    json_t *j = context_network_json(n);
    assert_int_equal(json_array_size(json_object_get(j, "nodes")), 0);
    json_decref(j);
    context_network_free(&n);
    context_data_free(&d);
}

static void test_trends(void **state)
{
    struct fixture *f = *state;
    exec_ok(f->s, "INSERT INTO record (source, agency, agency_record_id, role, area) VALUES "
                  "('police', 'police', '1', 'child', 'North')");
    /* 2 missing episodes in March 2025, 14 in March 2026: a significant rise */
    struct store_stmt *st = NULL;
    struct svp_err err;
    assert_int_equal(store_prepare(f->s,
                                   "INSERT INTO event (source, agency, agency_event_id, "
                                   "record_id, type, started_at) VALUES ('p', 'police', ?, 1, "
                                   "'missing_episode', ?)",
                                   &st, &err),
                     0);
    for (int i = 0; i < 16; i++) {
        char id[16], when[32];
        snprintf(id, sizeof id, "m%d", i);
        snprintf(when, sizeof when, "%d-03-%02dT12:00:00Z", i < 2 ? 2025 : 2026, 1 + i);
        assert_int_equal(store_bind_text(st, 1, id, -1), 0);
        assert_int_equal(store_bind_text(st, 2, when, -1), 0);
        assert_int_equal(store_step(st, &err), STORE_DONE);
        store_reset(st);
    }
    store_finalize(&st);
    struct context_data *d = load_ok(f->s);
    struct context_trend_opts o = {.filter.kinds = "missing", .months = 1};
    struct context_trends *t = NULL;
    assert_int_equal(context_trends_run(d, &o, &t, &err), 0);
    assert_true(t->has_previous);
    assert_int_equal(t->to_year, 2026);
    assert_int_equal(t->to_month, 3);
    assert_int_equal(t->nrows, 2); /* North, (all areas) */
    assert_true(t->rows[0].significant_rise);
    assert_int_equal(t->rows[0].current, 14);
    assert_int_equal(t->rows[0].previous, 2);
    assert_int_equal(t->rows[0].monthly[0], 14);
    assert_true(fabs(t->rows[0].p - context_binomial_rise_p(14, 2)) < 1e-15);
    json_t *j = context_trends_json(t);
    assert_string_equal(json_string_value(json_object_get(j, "to")), "2026-03");
    json_decref(j);
    context_trends_free(&t);
    /* a window with no earlier year: nothing called significant, and it says why */
    o.to_year = 2025;
    o.to_month = 3;
    assert_int_equal(context_trends_run(d, &o, &t, &err), 0);
    assert_false(t->has_previous);
    assert_non_null(strstr(t->empty_reason, "no earlier year"));
    for (size_t i = 0; i < t->nrows; i++)
        assert_false(t->rows[i].significant_rise);
    context_trends_free(&t);
    o.months = 61;
    assert_int_equal(context_trends_run(d, &o, &t, &err), SVP_EINPUT);
    context_data_free(&d);
}

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

struct group_of {
    int group[32]; /* by record id */
};

static void note_group(void *arg, int group, int64_t person_id, int64_t record_id)
{
    (void)person_id;
    struct group_of *g = arg;
    if (record_id > 0 && record_id < 32)
        g->group[record_id] = group;
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
        cmocka_unit_test(test_gistar_hand_worked),
        cmocka_unit_test(test_fdr_and_p_values),
        cmocka_unit_test(test_communities),
        cmocka_unit_test(test_postcode_canonical),
        cmocka_unit_test_setup_teardown(test_postcodes_import, setup, teardown),
        cmocka_unit_test(test_postcodes_onspd),
        cmocka_unit_test_setup_teardown(test_postcodes_areas_and_out_of_county, setup, teardown),
        cmocka_unit_test_setup_teardown(test_places_normalised, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hotspots, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hotspots_extent_and_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hotspots_empty_database, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_household_and_da_never_join, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_max_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_ego, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scores_from_risk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_betweenness_within_four_links, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_network_no_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_centrality_stored_per_data_version, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_role_by_age_at_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_web_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_routes_none, setup, teardown),
    };
    return cmocka_run_group_tests_name("context", tests, NULL, NULL);
}
