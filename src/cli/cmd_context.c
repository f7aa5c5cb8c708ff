/* `svp context ...`: places, hotspots, trends, networks, routes and profiles. Parses the
 * arguments, calls the contexts room (src/context/) and prints what it returns. */
#include "cli.h"

#include "access/access.h"
#include "context/context.h"

#include <string.h>
#include <time.h>

static const char context_help[] =
    "usage: svp context SUBCOMMAND [OPTIONS]\n"
    "\n"
    "  places [--limit N]          how every place was located; places outside the county\n"
    "                              or with no location (the first N, default 200)\n"
    "  postcodes import FILE [--areas AREAS]\n"
    "                              import a postcode lookup CSV: postcode,lat,lon,area\n"
    "                              (area OUT: outside the county); AREAS (area_code,name)\n"
    "                              turns area codes into the areas' names\n"
    "  postcodes import ONSPD.csv [--area-column COL] [--in CODES] [--county-column COL]\n"
    "                              the ONS Postcode Directory's layout (pcds, lat, long and\n"
    "                              code columns): the area is COL's code (default osward);\n"
    "                              with --in (a comma list, e.g. the partnership's local\n"
    "                              authorities) a postcode whose oslaua (or --county-column)\n"
    "                              is not listed is outside the county\n"
    "  boundaries import FILE.geojson [--kind KIND] [--name-field F] [--code-field F]\n"
    "                              import area boundaries (a GeoJSON FeatureCollection of\n"
    "                              named polygons in WGS84: wards, LSOAs, police beats) for\n"
    "                              the map; replaces the areas of that KIND (default area)\n"
    "  boundaries list             the boundaries stored: kind, code, name\n"
    "  hotspots [--events K] [--since D] [--until D] [--cell M] [--bandwidth M]\n"
    "           [--alpha A] [--geojson FILE] [--limit N] [--by-kind]\n"
    "                              Getis-Ord Gi* on a grid and on community areas, kernel\n"
    "                              density; each cell says what most of its events were\n"
    "                              (mostly); --geojson writes cells, areas and density\n"
    "                              (FILE '-' for standard output); a cell size given is\n"
    "                              honoured or refused with the reason; --by-kind: the\n"
    "                              hottest cells of each kind apart (missing, found,\n"
    "                              exploitation, general, night, cuckooing), each with\n"
    "                              its kind and busiest place\n"
    "  trends [--events K] [--to YYYY-MM] [--months N] [--json] [--limit N]\n"
    "                              monthly counts per area and kind, change against the\n"
    "                              same months a year earlier, significant rises\n"
    "  groups [--since D] [--json FILE] [--graphml FILE] [--limit N] [--resolution R]\n"
    "         [--max-group N]\n"
    "                              peer groups (communities with two or more children):\n"
    "                              members, shared places, timeline; from peer links only\n"
    "                              (family, household and domestic abuse never join one);\n"
    "                              a community above N members (default 30) is split at a\n"
    "                              finer resolution\n"
    "  perpetrators [--min-children N] [--since D]\n"
    "                              adults linked to N (default 2) or more children at risk\n"
    "                              outside their family and household, with each link's\n"
    "                              kind and date; intra-familial links listed apart\n"
    "  network --person ID | --record ID --as USER --purpose TEXT [--hops N]\n"
    "                              one person's network: everyone within N links (1-3,\n"
    "                              default 2), nearest first, each with the kinds of link;\n"
    "                              only people USER may see under the sharing rules are\n"
    "                              shown or walked through (pseudonymised for an analyst);\n"
    "                              audited as USER's view with the purpose\n"
    "  routes [--json]             missing children found outside the county (county lines),\n"
    "                              not those found at home or at their own care placement\n"
    "  profile --place ID | --area NAME | --group N\n"
    "                              one page about a place, an area or a peer group\n"
    "  run                         hotspots, trends and networks together, timed\n"
    "\n"
    "groups, perpetrators, profile and run take the Vulnerability Tracker's scores: a child\n"
    "in band medium or above is 'at risk' (--no-scores: recorded exploitation indicators).\n"
    "\n"
    "K is a comma list of missing, found, incident, exploitation, general, night (general\n"
    "police events from 20:00 to 06:00), cuckooing (adults' homes taken over for drug\n"
    "dealing) or event types\n"
    "(default missing,found,incident). Dates are YYYY-MM-DD. Significance uses a false\n"
    "discovery rate (Benjamini-Hochberg) of 0.05 unless --alpha says otherwise.\n";

struct args {
    const char *events, *since, *until, *cell, *bandwidth, *alpha, *geojson, *limit, *to, *months,
        *json_file, *graphml, *min_children, *place, *area, *group, *areas, *resolution,
        *area_column, *in_codes, *county_column, *max_group, *person, *record, *hops, *as_user,
        *purpose, *kind, *name_field, *code_field;
    bool json, no_scores, by_kind;
    struct store *store; /* the open database: networks read the centrality stored there */
};

static int parse_day(const char *s, const char *field, svp_day *out, struct svp_err *err)
{
    *out = 0;
    if (!s)
        return 0;
    int rc = svp_date_parse_iso(s, strlen(s), out, err);
    if (rc)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, field, "%s", err->msg);
    return 0;
}

static int parse_num(const char *s, const char *field, double lo, double hi, double *out,
                     struct svp_err *err)
{
    if (!s)
        return 0;
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= lo && v <= hi))
        return svp_err_at(err, SVP_EINPUT, NULL, 0, field, "'%.40s' is not a number from %g to %g",
                          s, lo, hi);
    *out = v;
    return 0;
}

static int parse_int(const char *s, const char *field, int64_t lo, int64_t hi, int64_t *out,
                     struct svp_err *err)
{
    if (!s)
        return 0;
    if (svp_parse_i64(s, out) || *out < lo || *out > hi)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, field,
                          "'%.40s' is not a whole number from %lld to %lld", s, (long long)lo,
                          (long long)hi);
    return 0;
}

static int write_json(json_t *j, const char *path, struct svp_err *err)
{
    if (!j)
        return svp_err_set(err, SVP_ENOMEM, "out of memory making JSON");
    int rc = 0;
    if (!path || !strcmp(path, "-")) {
        if (json_dumpf(j, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(8)))
            rc = svp_err_set(err, SVP_EIO, "could not write JSON");
        fputc('\n', stdout);
    } else if (json_dump_file(j, path, JSON_INDENT(1) | JSON_REAL_PRECISION(8))) {
        rc = svp_err_at(err, SVP_EIO, path, 0, NULL, "could not write the file");
    }
    json_decref(j);
    return rc;
}

static void print_bad_row(void *arg, long line, const char *why)
{
    fprintf(stderr, "%s:%ld: %s\n", (const char *)arg, line, why);
}

struct problems {
    long n, limit;
};

static void print_problem(void *arg, int64_t id, enum context_place_status st, const char *why)
{
    struct problems *p = arg;
    if (p->n++ < p->limit)
        printf("  place %lld: %s: %s\n", (long long)id,
               st == CONTEXT_PLACE_OUTSIDE ? "outside the county" : "no location", why);
}

static int run_places(struct context_data *d, const struct args *a, struct svp_err *err)
{
    int64_t limit = 200;
    int rc = parse_int(a->limit, "limit", 0, 1000000, &limit, err);
    if (rc)
        return rc;
    struct context_place_report r;
    context_places_report(d, &r);
    printf("places: %ld (located by coordinates %ld, by postcode %ld, outside the county %ld, "
           "no location %ld)\n",
           r.places, r.located, r.by_postcode, r.outside, r.no_location);
    printf("areas: %ld located places without an area took their nearest postcode's area\n",
           r.area_from_nearest);
    printf("postcode lookup: %ld postcodes%s\n", r.postcodes,
           r.postcodes ? "" : " (import one with 'svp context postcodes import FILE')");
    printf("events read (missing, police, exploitation): %ld (at a located place in the county "
           "%ld, elsewhere or unplaced %ld)\n",
           r.events, r.events_placed, r.events_unplaced);
    if (r.outside + r.no_location) {
        puts("places to check:");
        struct problems p = {0, (long)limit};
        context_places_problems(d, print_problem, &p);
        if (p.n > p.limit)
            printf("  ... and %ld more (--limit N shows more)\n", p.n - p.limit);
    }
    return 0;
}

static int run_hotspots(struct context_data *d, const struct args *a, struct svp_err *err)
{
    struct context_hotspot_opts o = {.filter.kinds = a->events};
    int64_t limit = 20;
    int rc = parse_day(a->since, "since", &o.filter.since, err);
    if (!rc)
        rc = parse_day(a->until, "until", &o.filter.until, err);
    if (!rc)
        rc = parse_num(a->cell, "cell", 50, 20000, &o.cell_m, err);
    if (!rc)
        rc = parse_num(a->bandwidth, "bandwidth", 50, 50000, &o.bandwidth_m, err);
    if (!rc)
        rc = parse_num(a->alpha, "alpha", 1e-6, 0.5, &o.alpha, err);
    if (!rc)
        rc = parse_int(a->limit, "limit", 1, 100000, &limit, err);
    if (!rc && a->by_kind && (a->events || a->geojson))
        return svp_err_set(err, SVP_EUSAGE, "--by-kind chooses the kinds itself: no --events or "
                                            "--geojson with it");
    if (!rc && a->by_kind)
        return context_hotspots_kinds_print(d, &o, (size_t)limit, stdout, err);
    struct context_hotspots *h = NULL;
    if (!rc)
        rc = context_hotspots_run(d, &o, &h, err);
    if (rc)
        return rc;
    if (a->geojson)
        rc = write_json(context_hotspots_geojson(h), a->geojson, err);
    if (!rc && (!a->geojson || strcmp(a->geojson, "-")))
        context_hotspots_print(h, (size_t)limit, stdout);
    context_hotspots_free(&h);
    return rc;
}

static int run_trends(struct context_data *d, const struct args *a, struct svp_err *err)
{
    struct context_trend_opts o = {.filter.kinds = a->events};
    int64_t months = 0, limit = 30;
    int rc = parse_int(a->months, "months", 1, 60, &months, err);
    if (!rc)
        rc = parse_int(a->limit, "limit", 1, 100000, &limit, err);
    o.months = (int)months;
    if (!rc && a->to) {
        int y = 0, m = 0;
        char tail;
        if (sscanf(a->to, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 || y < 1900)
            rc =
                svp_err_at(err, SVP_EINPUT, NULL, 0, "to", "'%.20s' is not a month YYYY-MM", a->to);
        o.to_year = y;
        o.to_month = m;
    }
    struct context_trends *t = NULL;
    if (!rc)
        rc = context_trends_run(d, &o, &t, err);
    if (rc)
        return rc;
    if (a->json)
        rc = write_json(context_trends_json(t), NULL, err);
    else
        context_trends_print(t, (size_t)limit, stdout);
    context_trends_free(&t);
    return rc;
}

static int build_network(struct context_data *d, const struct args *a, struct context_network **n,
                         struct svp_err *err)
{
    struct context_network_opts o = {0};
    int64_t minc = 0;
    int rc = parse_day(a->since, "since", &o.since, err);
    if (!rc)
        rc = parse_int(a->min_children, "min-children", 1, 1000, &minc, err);
    o.min_children = (int)minc;
    if (!rc)
        rc = parse_num(a->resolution, "resolution", 0.1, 100, &o.resolution, err);
    int64_t maxg = 0;
    if (!rc)
        rc = parse_int(a->max_group, "max-group", 2, 100000, &maxg, err);
    o.max_group = (int)maxg;
    o.store = a->store;
    if (!rc)
        rc = context_network_build(d, &o, n, err);
    return rc;
}

static int run_groups(struct context_data *d, const struct args *a, struct svp_err *err)
{
    struct context_network *n = NULL;
    int64_t limit = 50;
    int rc = parse_int(a->limit, "limit", 1, 100000, &limit, err);
    if (!rc)
        rc = build_network(d, a, &n, err);
    if (rc)
        return rc;
    bool to_stdout =
        (a->json_file && !strcmp(a->json_file, "-")) || (a->graphml && !strcmp(a->graphml, "-"));
    if (a->json_file)
        rc = write_json(context_network_json(n), a->json_file, err);
    if (!rc && a->graphml) {
        FILE *f = strcmp(a->graphml, "-") ? fopen(a->graphml, "w") : stdout;
        if (!f)
            rc = svp_err_at(err, SVP_EIO, a->graphml, 0, NULL, "cannot create the file");
        else {
            rc = context_network_graphml(n, f, err);
            if (f != stdout && fclose(f) && !rc)
                rc = svp_err_at(err, SVP_EIO, a->graphml, 0, NULL, "could not write the file");
        }
    }
    if (!rc && !to_stdout)
        context_groups_print(n, d, (size_t)limit, stdout);
    context_network_free(&n);
    return rc;
}

static int run_perpetrators(struct context_data *d, const struct args *a, struct svp_err *err)
{
    struct context_network *n = NULL;
    int rc = build_network(d, a, &n, err);
    if (rc)
        return rc;
    context_perpetrators_print(n, stdout);
    context_network_free(&n);
    return 0;
}

static void attach_scores(struct context_data *d, struct store *s);

/* The viewer of one person's network: who they are, and the store to check each person. */
struct viewer {
    struct store *s;
    struct access_user u;
    const char *purpose;
    bool pseudonymise;
    int rc; /* the first store error met while checking */
    struct svp_err err;
};

static bool viewer_may_see(void *arg, int64_t person_id, int64_t record_id)
{
    struct viewer *v = arg;
    if (v->rc)
        return false;
    struct access_request rq = {
        .roles = ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL | ACCESS_PRACTITIONER,
        .data = ACCESS_DATA_PERSONAL,
        .object = person_id > 0 ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
        .object_id = person_id > 0 ? person_id : record_id,
        .purpose = v->purpose};
    struct access_decision dec;
    int rc = access_authorise(v->s, &v->u, &rq, &dec, &v->err);
    if (rc) {
        v->rc = rc;
        return false;
    }
    return dec.allowed && dec.view.any;
}

static void viewer_label(void *arg, int64_t person_id, int64_t record_id, char *buf, size_t cap)
{
    struct viewer *v = arg;
    if (v->pseudonymise) {
        struct svp_err ignore;
        if (!access_pseudonym(v->s, person_id > 0 ? 'P' : 'R',
                              person_id > 0 ? person_id : record_id, buf, cap, &ignore))
            return;
        snprintf(buf, cap, "(withheld)");
        return;
    }
    snprintf(buf, cap, "%c%lld", person_id > 0 ? 'P' : 'R',
             (long long)(person_id > 0 ? person_id : record_id));
}

/* `svp context network --person ID --as USER --purpose TEXT`: one person's network as USER
 * may see it, audited as USER's view before it is written. */
static int run_network(struct store *s, const struct args *a, struct svp_err *err)
{
    int64_t person = 0, record = 0, hops = 2;
    if ((a->person != NULL) == (a->record != NULL))
        return svp_err_set(err, SVP_EUSAGE, "give exactly one of --person, --record");
    if (!a->as_user || !a->purpose || !*a->purpose)
        return svp_err_set(err, SVP_EUSAGE,
                           "--as USER and --purpose TEXT are required: the view is checked "
                           "against USER's need to know and audited");
    int rc = parse_int(a->person, "person", 1, INT64_MAX, &person, err);
    if (!rc)
        rc = parse_int(a->record, "record", 1, INT64_MAX, &record, err);
    if (!rc)
        rc = parse_int(a->hops, "hops", 1, 3, &hops, err);
    struct viewer v = {.s = s, .purpose = a->purpose};
    if (!rc)
        rc = access_user_find(s, a->as_user, &v.u, err);
    if (rc == SVP_ENOTFOUND)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "as", "no user called '%.60s'", a->as_user);
    if (rc)
        return rc;
    if (v.u.disabled)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "as", "user '%.60s' is disabled", a->as_user);
    char object[48];
    snprintf(object, sizeof object, "%s:%lld", person ? "person" : "record",
             (long long)(person ? person : record));
    struct access_request rq = {
        .roles = ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL | ACCESS_PRACTITIONER,
        .data = ACCESS_DATA_PERSONAL,
        .object = person ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
        .object_id = person ? person : record,
        .purpose = a->purpose};
    struct access_decision dec;
    rc = access_authorise(s, &v.u, &rq, &dec, err);
    if (rc)
        return rc;
    if (!dec.allowed || !dec.view.any) {
        struct svp_err aerr;
        if (access_audit(s, &v.u, "refused", object, a->purpose, "network from one person",
                         &aerr))
            return svp_err_set(err, aerr.code, "%s", aerr.msg);
        return svp_err_set(err, SVP_EINPUT, "%s may not see %s: %s", a->as_user, object,
                           *dec.reason ? dec.reason : "not shared with them");
    }
    v.pseudonymise = dec.pseudonymise;
    struct context_data *d = NULL;
    rc = context_load(s, &d, err);
    if (!rc)
        attach_scores(d, s);
    struct context_network *n = NULL;
    if (!rc)
        rc = build_network(d, a, &n, err);
    struct context_ego *eg = NULL;
    if (!rc)
        rc = context_network_ego(n, person, record, (int)hops, 0, viewer_may_see, &v, &eg, err);
    if (!rc && v.rc)
        rc = svp_err_set(err, v.rc, "%s", v.err.msg);
    char *text = NULL;
    size_t len = 0;
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 20);
    if (!rc) {
        FILE *mf = open_memstream(&text, &len);
        if (!mf)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        else {
            context_ego_print(eg, viewer_label, &v, !v.pseudonymise, mf);
            fclose(mf);
        }
        for (size_t i = 0; !rc && i < eg->n; i++)
            if ((seen.len == 0 && svp_buf_puts(&seen, ",")) ||
                svp_buf_printf(&seen, "%c%lld,", eg->nodes[i].person_id > 0 ? 'p' : 'r',
                               (long long)(eg->nodes[i].person_id > 0 ? eg->nodes[i].person_id
                                                                      : eg->nodes[i].record_id)))
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (!rc) {
        char detail[96];
        snprintf(detail, sizeof detail, "network from one person: %zu shown", eg->n);
        struct access_audit_item item = {&v.u, "view", "network", a->purpose, detail, seen.data};
        rc = access_audit_many(s, &item, 1, err);
    }
    if (!rc) /* shown only once the view is audited */
        fwrite(text, 1, len, stdout);
    free(text);
    svp_buf_free(&seen);
    context_ego_free(&eg);
    context_network_free(&n);
    context_data_free(&d);
    return rc;
}

static int run_profile(struct context_data *d, const struct args *a, struct svp_err *err)
{
    int64_t place = 0, group = 0;
    int given = (a->place != NULL) + (a->area != NULL) + (a->group != NULL);
    if (given != 1)
        return svp_err_set(err, SVP_EUSAGE, "give exactly one of --place, --area, --group");
    int rc = parse_int(a->place, "place", 1, INT64_MAX, &place, err);
    if (!rc)
        rc = parse_int(a->group, "group", 1, 1000000, &group, err);
    struct context_network *n = NULL;
    if (!rc && group)
        rc = build_network(d, a, &n, err);
    if (!rc)
        rc = context_profile_print(d, n, place, a->area, (int)group, stdout, err);
    context_network_free(&n);
    return rc;
}

/* The Vulnerability Tracker's scores decide who is at risk; without them (no dates of
 * birth yet, say) the indicator rule stands, and the output says which was used. */
static void attach_scores(struct context_data *d, struct store *s)
{
    struct svp_err err;
    if (context_scores_attach(d, s, 0, &err)) {
        char line[600];
        svp_err_format(&err, line, sizeof line);
        fprintf(stderr, "svp context: note: no scores from the Vulnerability Tracker (%s)\n", line);
    }
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* The speed figure of issue 7: load, hotspots, trends and networks together. */
static int run_all(struct store *s, bool no_scores, struct svp_err *err)
{
    double t0 = now_s(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), cs = 0;
    struct context_data *d = NULL;
    int rc = context_load(s, &d, err);
    double t1 = now_s();
    struct context_hotspot_opts ho = {0};
    struct context_trend_opts to = {0};
    /* the centrality is computed and stored for this data version: groups, perpetrators
     * and the pages read it until the data change */
    struct context_network_opts no = {.store = s, .save_centrality = true};
    struct context_hotspots *h = NULL;
    struct context_trends *t = NULL;
    struct context_network *n = NULL;
    if (!rc)
        rc = context_hotspots_run(d, &ho, &h, err);
    double t2 = now_s();
    if (!rc)
        rc = context_trends_run(d, &to, &t, err);
    double t3 = now_s();
    double t3b = t3;
    if (!rc && !no_scores) {
        double cs0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        attach_scores(d, s);
        t3b = now_s();
        cs = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cs0;
    }
    if (!rc)
        rc = context_network_build(d, &no, &n, err);
    double t4 = now_s(), c4 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    if (!rc) {
        struct context_place_report pr;
        context_places_report(d, &pr);
        size_t hot = 0, hota = 0, rises = 0;
        for (size_t i = 0; i < h->ncells; i++)
            hot += h->cells[i].significant;
        for (size_t i = 0; i < h->nareas; i++)
            hota += h->areas[i].significant;
        for (size_t i = 0; i < t->nrows; i++)
            rises += t->rows[i].significant_rise;
        struct context_network_stats st;
        context_network_stats(n, &st);
        printf("places %ld, events %ld\n", pr.places, pr.events);
        printf("hotspots: %ld events used, %zu hot cells, %zu hot areas%s%s\n", h->events_used, hot,
               hota, *h->empty_reason ? ": " : "", h->empty_reason);
        printf("trends: %zu area/kind rows, %zu significant rises%s%s\n", t->nrows, rises,
               *t->empty_reason ? ": " : "", t->empty_reason);
        printf("network: %zu persons, %zu links, %zu groups, %zu possible perpetrators%s%s\n",
               st.nodes, st.edges, st.groups, st.perpetrators,
               *context_network_empty_reason(n) ? ": " : "", context_network_empty_reason(n));
        enum context_centrality_source cs_from = context_network_centrality_source(n);
        printf("centrality: %s\n",
               cs_from == CONTEXT_CENTRALITY_STORED  ? "as stored for this data version"
               : cs_from == CONTEXT_CENTRALITY_SAVED ? "computed and stored for this data version"
                                                     : "computed (no links)");
        /* the figure of issue 7 is load, hotspots, trends and networks; the Vulnerability
         * Tracker's scoring is the risk room's and is shown on its own */
        double total = (t4 - t0) - (t3b - t3);
        printf("time: load %.3f s, hotspots %.3f s, trends %.3f s, networks %.3f s, total "
               "%.3f s (CPU %.3f s); scores from the risk room %.3f s (CPU %.3f s)\n",
               t1 - t0, t2 - t1, t3 - t2, t4 - t3b, total, (c4 - c0) - cs, t3b - t3, cs);
    }
    context_hotspots_free(&h);
    context_trends_free(&t);
    context_network_free(&n);
    context_data_free(&d);
    return rc;
}

static void print_bad_feature(void *arg, long no, const char *why)
{
    (void)no; /* why names the feature */
    fprintf(stderr, "%s: %s\n", (const char *)arg, why);
}

/* `svp context boundaries import FILE` and `svp context boundaries list`. */
static int run_boundaries(struct cli_ctx *ctx, const struct args *a, const char **pos, int npos)
{
    bool import = npos == 3 && !strcmp(pos[1], "import");
    if (!import && !(npos == 2 && !strcmp(pos[1], "list")))
        return cli_usage_error("context", "use 'svp context boundaries import FILE.geojson' or "
                                          "'svp context boundaries list'");
    struct svp_err err;
    struct store *s = NULL;
    if (cli_open_db(ctx, import, &s, &err))
        return cli_fail(&err);
    int rc;
    if (import) {
        struct context_boundary_opts o = {
            .kind = a->kind, .name_field = a->name_field, .code_field = a->code_field};
        struct context_import_report rep;
        rc = context_boundaries_import(s, pos[2], &o, print_bad_feature, (void *)pos[2], &rep,
                                       &err);
        if (!rc)
            printf("boundaries: %ld imported from %s (kind %s)\n", rep.imported, pos[2],
                   a->kind ? a->kind : "area");
    } else {
        json_t *fc = NULL;
        rc = context_boundaries_json(s, &fc, &err);
        size_t i;
        json_t *f;
        json_array_foreach(json_object_get(fc, "features"), i, f) {
            json_t *p = json_object_get(f, "properties");
            printf("%-8s %-12s %s\n", json_string_value(json_object_get(p, "kind")),
                   json_string_value(json_object_get(p, "code")),
                   json_string_value(json_object_get(p, "name")));
        }
        if (!rc)
            printf("%zu boundaries%s\n", json_array_size(json_object_get(fc, "features")),
                   json_array_size(json_object_get(fc, "features"))
                       ? ""
                       : " (import some with 'svp context boundaries import FILE.geojson')");
        json_decref(fc);
    }
    store_close(&s);
    return rc ? cli_fail(&err) : 0;
}

int cmd_context(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *pos[3];
    int npos;
    struct svp_err err;
    struct args a = {0};
    struct cli_opt opts[] = {
        {"events", &a.events, NULL},
        {"since", &a.since, NULL},
        {"until", &a.until, NULL},
        {"cell", &a.cell, NULL},
        {"bandwidth", &a.bandwidth, NULL},
        {"alpha", &a.alpha, NULL},
        {"geojson", &a.geojson, NULL},
        {"limit", &a.limit, NULL},
        {"to", &a.to, NULL},
        {"months", &a.months, NULL},
        {"json", NULL, &a.json},
        {"graphml", &a.graphml, NULL},
        {"min-children", &a.min_children, NULL},
        {"place", &a.place, NULL},
        {"area", &a.area, NULL},
        {"group", &a.group, NULL},
        {"areas", &a.areas, NULL},
        {"no-scores", NULL, &a.no_scores},
        {"by-kind", NULL, &a.by_kind},
        {"max-group", &a.max_group, NULL},
        {"person", &a.person, NULL},
        {"record", &a.record, NULL},
        {"hops", &a.hops, NULL},
        {"as", &a.as_user, NULL},
        {"purpose", &a.purpose, NULL},
        {"resolution", &a.resolution, NULL},
        {"area-column", &a.area_column, NULL},
        {"in", &a.in_codes, NULL},
        {"county-column", &a.county_column, NULL},
        {"kind", &a.kind, NULL},
        {"name-field", &a.name_field, NULL},
        {"code-field", &a.code_field, NULL},
        {NULL, NULL, NULL},
    };
    /* groups takes --json FILE; everywhere else --json is a flag */
    if (argc > 1 && !strcmp(argv[1], "groups"))
        for (size_t i = 0; opts[i].name; i++)
            if (!strcmp(opts[i].name, "json")) {
                opts[i].value = &a.json_file;
                opts[i].flag = NULL;
            }
    int go = cli_begin("context", context_help, argc, argv, opts, ctx, pos, 3, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos == 0 && argc <= 1) { /* bare `svp context`: the help, as a usage error */
        fputs(context_help, stderr);
        return 2;
    }
    if (npos == 0)
        return cli_usage_error("context", "expected a subcommand");
    const char *sub = pos[0];
    static const char *const subs[] = {"places",  "postcodes",    "boundaries", "hotspots",
                                       "trends",  "groups",       "perpetrators", "routes",
                                       "profile", "run",          "network",    NULL};
    bool known = false;
    for (size_t i = 0; subs[i]; i++)
        known |= !strcmp(subs[i], sub);
    if (!known)
        return cli_usage_error("context", "unknown subcommand '%s'", sub);
    bool is_postcodes = !strcmp(sub, "postcodes");
    if (is_postcodes && (npos != 3 || strcmp(pos[1], "import")))
        return cli_usage_error("context", "use 'svp context postcodes import FILE'");
    if (!strcmp(sub, "boundaries"))
        return run_boundaries(ctx, &a, pos, npos);
    if (!is_postcodes && npos != 1)
        return cli_usage_error("context", "unexpected argument '%s'", pos[1]);
    struct store *s = NULL;
    int rc = cli_open_db(ctx, is_postcodes, &s, &err);
    if (rc)
        return cli_fail(&err);
    if (is_postcodes) {
        struct context_import_report rep;
        struct context_postcode_layout lay = {a.area_column, a.county_column, a.in_codes};
        rc = context_postcodes_import_layout(s, pos[2], a.areas, &lay, print_bad_row,
                                             (void *)pos[2], &rep, &err);
        if (!rc)
            printf("postcodes: %ld rows, %ld imported, %ld rejected\n", rep.rows, rep.imported,
                   rep.rejected);
        store_close(&s);
        if (!rc && rep.rejected && rep.imported == 0)
            return cli_fail(&(struct svp_err){.code = SVP_EINPUT,
                                              .msg = "no row of the lookup could be imported"});
        return rc ? cli_fail(&err) : 0;
    }
    if (!strcmp(sub, "run")) {
        rc = run_all(s, a.no_scores, &err);
        store_close(&s);
        return rc ? cli_fail(&err) : 0;
    }
    if (!strcmp(sub, "network")) {
        a.store = s;
        rc = run_network(s, &a, &err);
        store_close(&s);
        if (rc == SVP_EUSAGE)
            return cli_usage_error("context", "%s", err.msg);
        return rc ? cli_fail(&err) : 0;
    }
    struct context_data *d = NULL;
    rc = context_load(s, &d, &err);
    if (!rc && !a.no_scores &&
        (!strcmp(sub, "groups") || !strcmp(sub, "perpetrators") || !strcmp(sub, "profile")))
        attach_scores(d, s);
    if (rc) {
        store_close(&s);
        return cli_fail(&err);
    }
    a.store = s;
    if (!strcmp(sub, "places"))
        rc = run_places(d, &a, &err);
    else if (!strcmp(sub, "hotspots"))
        rc = run_hotspots(d, &a, &err);
    else if (!strcmp(sub, "trends"))
        rc = run_trends(d, &a, &err);
    else if (!strcmp(sub, "groups"))
        rc = run_groups(d, &a, &err);
    else if (!strcmp(sub, "perpetrators"))
        rc = run_perpetrators(d, &a, &err);
    else if (!strcmp(sub, "routes")) {
        if (a.json)
            rc = write_json(context_routes_json(d), NULL, &err);
        else
            context_routes_print(d, 100, stdout);
    } else
        rc = run_profile(d, &a, &err);
    store_close(&s);
    context_data_free(&d);
    if (rc == SVP_EUSAGE)
        return cli_usage_error("context", "%s", err.msg);
    return rc ? cli_fail(&err) : 0;
}
