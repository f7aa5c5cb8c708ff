/* The contexts room: statistics by hand-worked examples, and places, hotspots and trends on
 * small databases on SQLite and PostgreSQL (networks, routes and profiles:
 * test_context_network.c). */
#include "context_fixture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gistar_hand_worked),
        cmocka_unit_test(test_fdr_and_p_values),
        cmocka_unit_test(test_communities),
        cmocka_unit_test(test_postcode_canonical),
        cmocka_unit_test_setup_teardown(test_postcodes_import, fx_setup, fx_teardown),
        cmocka_unit_test(test_postcodes_onspd),
        cmocka_unit_test_setup_teardown(test_postcodes_areas_and_out_of_county, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_places_normalised, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_hotspots, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_hotspots_extent_and_kinds, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_hotspots_empty_database, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_trends, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
