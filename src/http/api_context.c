/* Contexts of harm: hotspots as GeoJSON from the context room (context_hotspots_run and
 * context_hotspots_geojson, the functions behind `svp context hotspots --geojson`). The map
 * is drawn in the browser from this GeoJSON alone: no map tiles are fetched from outside. */
#include "context/context.h"
#include "http_int.h"

#include <string.h>

static bool query_day(struct http_req *req, const char *name, svp_day *out)
{
    const char *v = NULL;
    *out = 0;
    if (!http_req_query(req, name, 10, &v))
        return false;
    struct svp_err err;
    if (v && *v && svp_date_parse_iso(v, strlen(v), out, &err)) {
        http_reply_error(req, 400, name, "must be a date YYYY-MM-DD");
        return false;
    }
    return true;
}

/* The hotspot map's GeoJSON for the options in ctx, with what was and was not placed. */
static int hotspots_build(struct http_req *req, void *ctx, json_t **out, struct svp_err *err)
{
    const struct context_hotspot_opts *o = ctx;
    struct context_data *d = NULL;
    struct context_hotspots *h = NULL;
    int rc = context_load(req->db, &d, err);
    if (!rc)
        rc = context_hotspots_run(d, o, &h, err);
    json_t *geo = rc ? NULL : context_hotspots_web_json(h);
    if (!rc && !geo)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (!rc &&
        (json_object_set_new(geo, "events_used", json_integer(h->events_used)) ||
         json_object_set_new(geo, "events_outside", json_integer(h->events_outside)) ||
         json_object_set_new(geo, "events_unplaced", json_integer(h->events_unplaced)) ||
         json_object_set_new(geo, "empty_reason", json_string(h->empty_reason))))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    context_hotspots_free(&h);
    context_data_free(&d);
    *out = rc ? NULL : geo;
    if (rc)
        json_decref(geo);
    return rc;
}

void api_context_hotspots(struct http_req *req)
{
    const char *kinds = NULL;
    int64_t cell;
    struct context_hotspot_opts o = {0};
    if (!http_req_query(req, "kinds", 128, &kinds) ||
        !http_req_query_int(req, "cell", 50, 5000, 250, &cell) ||
        !query_day(req, "since", &o.filter.since) || !query_day(req, "until", &o.filter.until))
        return;
    o.filter.kinds = kinds && *kinds ? kinds : NULL;
    o.cell_m = (double)cell;
    struct svp_err err;
    int64_t version;
    if (http_data_version(req, &version, &err)) {
        http_reply_status(req, &err);
        return;
    }
    /* The same map for everyone who may see it: kept per data version and parameters, and
     * built through the gate (one build per user at a time). */
    char key[256];
    snprintf(key, sizeof key, "hotspots|%lld|%s|%lld|%d|%d", (long long)version,
             kinds ? kinds : "", (long long)cell, (int)o.filter.since, (int)o.filter.until);
    /* the cached map itself (read, never changed: http_reply_json only writes it out) */
    json_t *geo = NULL;
    int rc = http_cache_build(req, key, false, hotspots_build, &o, &geo, &err);
    if (rc == HTTP_BUSY)
        return; /* 503 with Retry-After replied */
    if (rc) {
        json_decref(geo);
        http_reply_status(req, &err);
        return;
    }
    char detail[160];
    snprintf(detail, sizeof detail, "hotspots kinds=%s: %lld events", kinds ? kinds : "",
             (long long)json_integer_value(json_object_get(geo, "events_used")));
    if (!http_audit(req, "view", "hotspots", detail)) {
        json_decref(geo);
        return;
    }
    http_reply_json(req, 200, geo);
}

/* The area boundaries imported with `svp context boundaries import`: names and shapes of
 * places, no person, so not audited as personal data. Read from the store each time (a
 * county's few hundred areas; an import while serving shows at once). */
void api_context_boundaries(struct http_req *req)
{
    struct svp_err err;
    json_t *fc = NULL;
    if (context_boundaries_json(req->db, &fc, &err)) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200, fc);
}

/* May the request see this network node? Practitioners only see the people their agency
 * holds a record of or has been shared (the same check as a person's page). */
static int node_visible(struct http_req *req, json_t *node, bool *ok, struct access_view *v,
                        struct svp_err *err)
{
    *ok = true;
    if (!req->decision.scope_agency[0])
        return SVP_OK;
    int64_t pid = (int64_t)json_integer_value(json_object_get(node, "person_id"));
    int64_t rid = (int64_t)json_integer_value(json_object_get(node, "record_id"));
    struct access_decision d;
    int rc = http_check_person(req, pid > 0 ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
                               pid > 0 ? pid : rid, &d, err);
    if (!rc) {
        *ok = d.allowed;
        *v = d.view;
    }
    return rc;
}

/* The holding agency and data category of one piece of an edge's evidence: the event's
 * (by its type and subtype) or the relationship's (by its kind), as the sharing rules
 * class them (data/data-categories.csv). *agency "" when the evidence names neither (an
 * address two people share, from their records). */
static int evidence_class(struct http_req *req, json_t *ev, char *agency, size_t cap, int *cat,
                          struct svp_err *err)
{
    int64_t event_id = (int64_t)json_integer_value(json_object_get(ev, "event_id"));
    int64_t rel_id = (int64_t)json_integer_value(json_object_get(ev, "relationship_id"));
    *agency = '\0';
    *cat = ACCESS_CAT_ORDINARY;
    if (!event_id && !rel_id)
        return SVP_OK;
    struct store_stmt *st = NULL;
    int rc = store_prepare(req->db,
                           event_id ? "SELECT agency, type, subtype FROM event WHERE id = ?"
                                    : "SELECT agency, kind, NULL FROM relationship WHERE id = ?",
                           &st, err);
    if (!rc && store_bind_int64(st, 1, event_id ? event_id : rel_id))
        rc = svp_err_set(err, SVP_EDB, "cannot bind an id");
    if (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        const char *a = store_column_text(st, 0), *t = store_column_text(st, 1),
                   *sub = store_column_text(st, 2);
        svp_strlcpy(agency, a ? a : "", cap);
        *cat = event_id ? access_event_category(req->policy, t, sub)
                        : access_relationship_category(req->policy, t);
    } else if (rc >= 0) {
        rc = SVP_OK; /* gone since the network was built: withheld below */
        svp_strlcpy(agency, "?", cap);
        *cat = ACCESS_CAT_POLICE_INTEL;
    }
    store_finalize(&st);
    return rc;
}

/* Need-to-know for links: a link between two people the viewer may see is itself
 * information held by the agency that recorded it (a police occurrence, a clinic's
 * attendance, a recorded associate). Each piece of an edge's evidence is kept only when
 * the sharing rules let the viewer see that agency's records of that category for both
 * people; an edge with none left is dropped (ekeep false), and one with some left is
 * rewritten from them (kinds, weight, evidence). */
static int edges_for_request(struct http_req *req, json_t *net, const bool *keep,
                             const struct access_view *views, size_t n, bool *ekeep,
                             size_t *withheld, struct svp_err *err)
{
    json_t *edges = json_object_get(net, "edges");
    size_t ne = json_array_size(edges);
    *withheld = 0;
    for (size_t e = 0; e < ne; e++) {
        json_t *ed = json_array_get(edges, e);
        json_int_t a = json_integer_value(json_object_get(ed, "source"));
        json_int_t b = json_integer_value(json_object_get(ed, "target"));
        ekeep[e] = a >= 0 && b >= 0 && (size_t)a < n && (size_t)b < n && keep[a] && keep[b];
        if (!ekeep[e])
            continue;
        json_t *evs = json_object_get(ed, "evidence"), *shown = json_array(), *kinds = json_object();
        if (!shown || !kinds) {
            json_decref(shown);
            json_decref(kinds);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        double weight = 0;
        size_t i;
        json_t *ev;
        int rc = SVP_OK;
        json_array_foreach(evs, i, ev) {
            char agency[32];
            int cat;
            rc = evidence_class(req, ev, agency, sizeof agency, &cat, err);
            if (rc)
                break;
            bool ok = !*agency || (access_view_allows(&views[a], agency, cat) &&
                                   access_view_allows(&views[b], agency, cat));
            if (!ok)
                continue;
            const char *kind = json_string_value(json_object_get(ev, "kind"));
            json_int_t k = json_integer_value(json_object_get(kinds, kind ? kind : "?"));
            if (json_array_append(shown, ev) ||
                json_object_set_new(kinds, kind ? kind : "?", json_integer(k + 1)))
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            weight += context_link_kind_weight(kind);
        }
        if (rc || json_array_size(shown) == json_array_size(evs)) {
            json_decref(shown);
            json_decref(kinds);
            if (rc)
                return rc;
            continue; /* all of it may be seen: the edge stays as built */
        }
        if (!json_array_size(shown)) {
            json_decref(shown);
            json_decref(kinds);
            ekeep[e] = false;
            (*withheld)++;
            continue;
        }
        if (json_object_set_new(ed, "evidence", shown) || json_object_set_new(ed, "kinds", kinds) ||
            json_object_set_new(ed, "weight", json_real(weight)))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    return SVP_OK;
}

/* Drops from the network JSON the nodes keep[i] is false for, with their edges (and the
 * edges ekeep[e] is false for; NULL: none), community memberships and perpetrator links,
 * renumbering what stays so indices still agree. */
int http_network_keep(json_t *net, const bool *keep, size_t n, const bool *ekeep)
{
    long *map = svp_calloc(n ? n : 1, sizeof *map);
    json_t *edges = json_object_get(net, "edges");
    size_t ne = json_array_size(edges);
    long *emap = svp_calloc(ne ? ne : 1, sizeof *emap);
    json_t *nodes = json_array(), *nedges = json_array(), *comms = json_array(),
           *perps = json_array();
    int rc = map && emap && nodes && nedges && comms && perps ? SVP_OK : SVP_ENOMEM;
    long next = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        map[i] = keep[i] ? next++ : -1;
        if (keep[i]) {
            json_t *nd = json_array_get(json_object_get(net, "nodes"), i);
            json_object_set_new(nd, "id", json_integer(map[i]));
            rc = json_array_append(nodes, nd) ? SVP_ENOMEM : SVP_OK;
        }
    }
    next = 0;
    for (size_t e = 0; !rc && e < ne; e++) {
        json_t *ed = json_array_get(edges, e);
        json_int_t a = json_integer_value(json_object_get(ed, "source"));
        json_int_t b = json_integer_value(json_object_get(ed, "target"));
        bool in = a >= 0 && b >= 0 && (size_t)a < n && (size_t)b < n && keep[a] && keep[b] &&
                  (!ekeep || ekeep[e]);
        emap[e] = in ? next++ : -1;
        if (in) {
            json_object_set_new(ed, "source", json_integer(map[a]));
            json_object_set_new(ed, "target", json_integer(map[b]));
            rc = json_array_append(nedges, ed) ? SVP_ENOMEM : SVP_OK;
        }
    }
    json_t *c;
    size_t ci;
    json_array_foreach(json_object_get(net, "communities"), ci, c) {
        json_t *mem = json_array(), *m;
        size_t mi, children = 0;
        json_array_foreach(json_object_get(c, "members"), mi, m) {
            json_int_t k = json_integer_value(m);
            if (k >= 0 && (size_t)k < n && keep[k]) {
                json_array_append_new(mem, json_integer(map[k]));
                json_t *nd = json_array_get(json_object_get(net, "nodes"), (size_t)k);
                children += !strcmp(json_string_value(json_object_get(nd, "role")) ? json_string_value(json_object_get(nd, "role")) : "", "child");
            }
        }
        if (!rc && json_array_size(mem)) {
            json_object_set_new(c, "members", mem);
            json_object_set_new(c, "children", json_integer((json_int_t)children));
            rc = json_array_append(comms, c) ? SVP_ENOMEM : SVP_OK;
        } else {
            json_decref(mem);
        }
    }
    json_t *p;
    size_t pi;
    json_array_foreach(json_object_get(net, "perpetrators"), pi, p) {
        json_int_t k = json_integer_value(json_object_get(p, "node"));
        if (rc || k < 0 || (size_t)k >= n || !keep[k])
            continue;
        json_t *links = json_array(), *l;
        size_t li;
        json_array_foreach(json_object_get(p, "links"), li, l) {
            json_int_t ch = json_integer_value(json_object_get(l, "child"));
            json_int_t e = json_integer_value(json_object_get(l, "edge"));
            if (ch >= 0 && (size_t)ch < n && keep[ch] && e >= 0 && (size_t)e < ne && emap[e] >= 0) {
                json_object_set_new(l, "child", json_integer(map[ch]));
                json_object_set_new(l, "edge", json_integer(emap[e]));
                json_array_append(links, l);
            }
        }
        json_object_set_new(p, "node", json_integer(map[k]));
        json_object_set_new(p, "links", links);
        rc = json_array_append(perps, p) ? SVP_ENOMEM : SVP_OK;
    }
    svp_free(map);
    svp_free(emap);
    if (rc) {
        json_decref(nodes);
        json_decref(nedges);
        json_decref(comms);
        json_decref(perps);
        return rc;
    }
    json_object_set_new(net, "nodes", nodes);
    json_object_set_new(net, "edges", nedges);
    json_object_set_new(net, "communities", comms);
    json_object_set_new(net, "perpetrators", perps);
    return SVP_OK;
}

/* After links were withheld: what the whole graph's links implied is not shown either.
 * Peer groups and communities (found with the withheld links) are dropped; each person's
 * degree and strength are counted again from the links left; betweenness is withheld; a
 * person is a possible perpetrator only if a link left says so. */
static int network_recount(json_t *net, struct svp_err *err)
{
    json_t *nodes = json_object_get(net, "nodes"), *edges = json_object_get(net, "edges");
    size_t n = json_array_size(nodes), i;
    json_t *nd, *ed, *p;
    json_array_foreach(nodes, i, nd) {
        if (json_object_set_new(nd, "degree", json_integer(0)) ||
            json_object_set_new(nd, "strength", json_real(0)) ||
            json_object_set_new(nd, "betweenness", json_null()) ||
            json_object_set_new(nd, "community", json_integer(0)) ||
            json_object_set_new(nd, "group", json_null()) ||
            json_object_set_new(nd, "possible_perpetrator", json_false()))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    json_array_foreach(edges, i, ed) {
        double w = json_number_value(json_object_get(ed, "weight"));
        json_int_t ends[2] = {json_integer_value(json_object_get(ed, "source")),
                              json_integer_value(json_object_get(ed, "target"))};
        for (int k = 0; k < 2; k++) {
            if (ends[k] < 0 || (size_t)ends[k] >= n)
                continue;
            json_t *x = json_array_get(nodes, (size_t)ends[k]);
            json_object_set_new(x, "degree",
                                json_integer(json_integer_value(json_object_get(x, "degree")) + 1));
            json_object_set_new(x, "strength",
                                json_real(json_number_value(json_object_get(x, "strength")) + w));
        }
    }
    json_t *perps = json_array();
    if (!perps)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    json_array_foreach(json_object_get(net, "perpetrators"), i, p) {
        json_int_t k = json_integer_value(json_object_get(p, "node"));
        if (!json_array_size(json_object_get(p, "links")) || k < 0 || (size_t)k >= n)
            continue; /* every link that made them one was withheld */
        json_object_set_new(json_array_get(nodes, (size_t)k), "possible_perpetrator",
                            json_true());
        json_array_append(perps, p);
    }
    if (json_object_set_new(net, "perpetrators", perps) ||
        json_object_set_new(net, "communities", json_array()))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    return SVP_OK;
}

/* Names the request may see: the keyed pseudonym when it must be pseudonymised, and only
 * the nodes a practitioner's agency may see. Sets "hidden" to the number left out. */
int http_network_for_request(struct http_req *req, json_t *net, struct svp_err *err)
{
    json_t *nodes = json_object_get(net, "nodes");
    size_t n = json_array_size(nodes), hidden = 0, withheld = 0;
    size_t ne = json_array_size(json_object_get(net, "edges"));
    bool *keep = svp_calloc(n ? n : 1, sizeof *keep);
    bool *ekeep = svp_calloc(ne ? ne : 1, sizeof *ekeep);
    struct access_view *views = svp_calloc(n ? n : 1, sizeof *views);
    if (!keep || !ekeep || !views) {
        svp_free(keep);
        svp_free(ekeep);
        svp_free(views);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    int rc = SVP_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *nd = json_array_get(nodes, i);
        rc = node_visible(req, nd, &keep[i], &views[i], err);
        hidden += !keep[i];
        if (rc || !keep[i] || !req->decision.pseudonymise)
            continue;
        int64_t pid = (int64_t)json_integer_value(json_object_get(nd, "person_id"));
        int64_t rid = (int64_t)json_integer_value(json_object_get(nd, "record_id"));
        char pseudo[32];
        rc = access_pseudonym(req->db, pid > 0 ? 'P' : 'R', pid > 0 ? pid : rid, pseudo,
                              sizeof pseudo, err);
        if (!rc && json_object_set_new(nd, "name", json_string(pseudo)))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    bool scoped = req->decision.scope_agency[0] != '\0';
    if (!rc && scoped)
        rc = edges_for_request(req, net, keep, views, n, ekeep, &withheld, err);
    if (!rc && (hidden || withheld) &&
        http_network_keep(net, keep, n, scoped ? ekeep : NULL))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    svp_free(keep);
    svp_free(ekeep);
    svp_free(views);
    if (!rc && withheld)
        rc = network_recount(net, err);
    if (!rc && req->decision.pseudonymise) { /* no raw ids: not even of events and links */
        json_t *ed, *ev;
        size_t e, k;
        json_array_foreach(json_object_get(net, "edges"), e, ed)
            json_array_foreach(json_object_get(ed, "evidence"), k, ev) {
                json_object_set_new(ev, "event_id", json_null());
                json_object_set_new(ev, "relationship_id", json_null());
            }
    }
    if (!rc && (json_object_set_new(net, "hidden", json_integer((json_int_t)hidden)) ||
                json_object_set_new(net, "links_withheld", json_integer((json_int_t)withheld)) ||
                json_object_set_new(net, "pseudonymised",
                                    json_boolean(req->decision.pseudonymise))))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    return rc;
}

struct network_build {
    const struct context_network_opts *o;
    bool scores;
};

static int network_build(struct http_req *req, void *ctx, json_t **out, struct svp_err *err)
{
    const struct network_build *b = ctx;
    return context_network_json_load(req->db, b->o, b->scores, out, err);
}

/* The network for o, kept for the data version: building it (and, with scores, scoring
 * every child) costs seconds on a county and gives everyone the same graph before their
 * view of it is cut. *out is the cached network itself, shared with other requests: read
 * it, never change it, json_decref it when done; http_network_subset copies out a part to
 * cut further. Built through the gate: HTTP_BUSY when it refused (503 replied). */
int http_network_shared(struct http_req *req, const struct context_network_opts *o,
                        bool scores, json_t **out, struct svp_err *err)
{
    int64_t version;
    int rc = http_data_version(req, &version, err);
    if (rc)
        return rc;
    char key[128];
    snprintf(key, sizeof key, "network|%lld|%lld|%d|%d", (long long)version,
             (long long)o->since, o->min_children, scores ? 1 : 0);
    struct network_build b = {o, scores};
    return http_cache_build(req, key, false, network_build, &b, out, err);
}

/* An owned network holding copies of the nodes keep[] marks (full's node count entries),
 * the links among them that ekeep (NULL: every one) lets through, and the communities and
 * possible perpetrators touching them, renumbered as http_network_keep does; nodes drawn[]
 * marks (NULL: none) get "drawn": true. full is only read (it may be the shared one). */
int http_network_subset(const json_t *full, const bool *keep, const bool *ekeep,
                        const bool *drawn, json_t **out, struct svp_err *err)
{
    *out = NULL;
    json_t *fnodes = json_object_get(full, "nodes"), *fedges = json_object_get(full, "edges");
    size_t n = json_array_size(fnodes), ne = json_array_size(fedges);
    json_t *net = json_object(), *nodes = json_array(), *edges = json_array(),
           *comms = json_array(), *perps = json_array();
    json_t *none = json_pack("{s:i, s:i}", "source", -1, "target", -1);
    bool bad = !net || !nodes || !edges || !comms || !perps || !none;
    for (size_t i = 0; !bad && i < n; i++) {
        json_t *nd = keep[i] ? json_deep_copy(json_array_get(fnodes, i)) : json_null();
        if (nd && drawn && drawn[i] && json_object_set_new(nd, "drawn", json_true()))
            bad = true;
        bad |= json_array_append_new(nodes, nd) != 0;
    }
    for (size_t e = 0; !bad && e < ne; e++) {
        json_t *ed = json_array_get(fedges, e);
        json_int_t a = json_integer_value(json_object_get(ed, "source"));
        json_int_t b = json_integer_value(json_object_get(ed, "target"));
        bool in = a >= 0 && b >= 0 && (size_t)a < n && (size_t)b < n && keep[a] && keep[b] &&
                  (!ekeep || ekeep[e]);
        bad |= json_array_append_new(edges, in ? json_deep_copy(ed) : json_incref(none)) != 0;
    }
    size_t i;
    json_t *c, *m;
    json_array_foreach(json_object_get(full, "communities"), i, c) {
        bool touched = false;
        size_t mi;
        json_array_foreach(json_object_get(c, "members"), mi, m) {
            json_int_t k = json_integer_value(m);
            if (k >= 0 && (size_t)k < n && keep[k]) {
                touched = true;
                break;
            }
        }
        if (!bad && touched)
            bad |= json_array_append_new(comms, json_deep_copy(c)) != 0;
    }
    json_array_foreach(json_object_get(full, "perpetrators"), i, c) {
        json_int_t k = json_integer_value(json_object_get(c, "node"));
        if (!bad && k >= 0 && (size_t)k < n && keep[k])
            bad |= json_array_append_new(perps, json_deep_copy(c)) != 0;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)full, key, v) {
        if (bad || !strcmp(key, "nodes") || !strcmp(key, "edges") ||
            !strcmp(key, "communities") || !strcmp(key, "perpetrators"))
            continue;
        bad |= json_object_set_new(net, key, json_deep_copy(v)) != 0;
    }
    json_decref(none);
    if (!bad && (json_object_set_new(net, "nodes", nodes) ||
                 json_object_set_new(net, "edges", edges) ||
                 json_object_set_new(net, "communities", comms) ||
                 json_object_set_new(net, "perpetrators", perps)))
        bad = true;
    else if (bad) {
        json_decref(nodes);
        json_decref(edges);
        json_decref(comms);
        json_decref(perps);
    }
    if (!bad && http_network_keep(net, keep, n, ekeep))
        bad = true;
    if (bad) {
        json_decref(net);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    *out = net;
    return SVP_OK;
}

/* The network page's view: at most VIEW_DRAW people drawn, chosen as the page always chose
 * them (possible perpetrators with the children linked to them, then whole peer groups in
 * order, while they fit), and beside the drawing the members of the first VIEW_GROUPS peer
 * groups for the table; links only among those drawn (and a perpetrator's own links). A
 * county's whole network is megabytes; search (api_network_search) finds anyone else. */
#define VIEW_DRAW 300
#define VIEW_GROUPS 40

static int group_order(const void *a, const void *b)
{
    const long *x = a, *y = b;
    return (x[0] > y[0]) - (x[0] < y[0]);
}

static int network_view(const json_t *full, bool *keep, bool *drawn, bool *ekeep,
                        size_t *ndrawn, struct svp_err *err)
{
    json_t *nodes = json_object_get(full, "nodes"), *edges = json_object_get(full, "edges");
    json_t *comms = json_object_get(full, "communities");
    size_t n = json_array_size(nodes), ne = json_array_size(edges), nc = json_array_size(comms);
    size_t picked = 0, i, li;
    json_t *p, *l, *m;
    json_array_foreach(json_object_get(full, "perpetrators"), i, p) {
        json_int_t k = json_integer_value(json_object_get(p, "node"));
        size_t add = k >= 0 && (size_t)k < n && !drawn[k];
        json_array_foreach(json_object_get(p, "links"), li, l) {
            json_int_t ch = json_integer_value(json_object_get(l, "child"));
            add += ch >= 0 && (size_t)ch < n && !drawn[ch];
        }
        bool fits = picked + add <= VIEW_DRAW;
        if (k >= 0 && (size_t)k < n) {
            keep[k] = true; /* listed in the table, drawn if it fits */
            if (fits && !drawn[k])
                drawn[k] = true, picked++;
        }
        json_array_foreach(json_object_get(p, "links"), li, l) {
            json_int_t ch = json_integer_value(json_object_get(l, "child"));
            json_int_t e = json_integer_value(json_object_get(l, "edge"));
            if (ch < 0 || (size_t)ch >= n)
                continue;
            keep[ch] = true;
            if (fits && !drawn[ch])
                drawn[ch] = true, picked++;
            if (e >= 0 && (size_t)e < ne)
                ekeep[e] = true;
        }
    }
    long(*order)[2] = svp_calloc(nc ? nc : 1, sizeof *order);
    if (!order)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    size_t ng = 0;
    for (i = 0; i < nc; i++) {
        json_t *g = json_object_get(json_array_get(comms, i), "group");
        if (json_is_integer(g)) {
            order[ng][0] = (long)json_integer_value(g);
            order[ng++][1] = (long)i;
        }
    }
    qsort(order, ng, sizeof *order, group_order);
    bool full_up = false;
    for (size_t gi = 0; gi < ng; gi++) {
        json_t *members = json_object_get(json_array_get(comms, (size_t)order[gi][1]), "members");
        size_t add = 0;
        json_array_foreach(members, i, m) {
            json_int_t k = json_integer_value(m);
            add += k >= 0 && (size_t)k < n && !drawn[k];
        }
        full_up |= picked + add > VIEW_DRAW;
        json_array_foreach(members, i, m) {
            json_int_t k = json_integer_value(m);
            if (k < 0 || (size_t)k >= n)
                continue;
            if (gi < VIEW_GROUPS)
                keep[k] = true;
            if (!full_up && !drawn[k]) {
                drawn[k] = keep[k] = true;
                picked++;
            }
        }
        if (full_up && gi >= VIEW_GROUPS)
            break;
    }
    svp_free(order);
    for (i = 0; picked == 0 && i < n && i < VIEW_DRAW; i++)
        keep[i] = drawn[i] = true;
    if (picked == 0)
        picked = i;
    for (size_t e = 0; e < ne; e++) {
        json_t *ed = json_array_get(edges, e);
        json_int_t a = json_integer_value(json_object_get(ed, "source"));
        json_int_t b = json_integer_value(json_object_get(ed, "target"));
        if (a >= 0 && b >= 0 && (size_t)a < n && (size_t)b < n && drawn[a] && drawn[b])
            ekeep[e] = true;
    }
    *ndrawn = picked;
    return SVP_OK;
}

void api_context_network(struct http_req *req)
{
    int64_t min_children, scores;
    struct context_network_opts o = {0};
    if (!query_day(req, "since", &o.since) ||
        !http_req_query_int(req, "min_children", 1, 50, 2, &min_children) ||
        !http_req_query_int(req, "scores", 0, 1, 0, &scores))
        return;
    o.min_children = (int)min_children;
    json_t *full = NULL, *net = NULL;
    struct svp_err err;
    int rc = http_network_shared(req, &o, scores == 1, &full, &err);
    if (rc == HTTP_BUSY)
        return;
    size_t n = rc ? 0 : json_array_size(json_object_get(full, "nodes"));
    size_t ne = rc ? 0 : json_array_size(json_object_get(full, "edges"));
    bool *keep = svp_calloc(n + 1, sizeof *keep), *drawn = svp_calloc(n + 1, sizeof *drawn),
         *ekeep = svp_calloc(ne + 1, sizeof *ekeep);
    size_t ndrawn = 0;
    if (!rc && (!keep || !drawn || !ekeep))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    /* Cut to the view first, then to what the viewer may see: the one check runs for the
     * few hundred people shown, not for the whole county. */
    if (!rc)
        rc = network_view(full, keep, drawn, ekeep, &ndrawn, &err);
    if (!rc)
        rc = http_network_subset(full, keep, ekeep, drawn, &net, &err);
    json_decref(full);
    svp_free(keep);
    svp_free(drawn);
    svp_free(ekeep);
    if (!rc)
        rc = http_network_for_request(req, net, &err);
    /* What the page does not draw or list stays on the server: a link's evidence (the
     * ego view and svp context groups show it), and of a person only listed in a table
     * everything but who they are. */
    json_t *it;
    size_t k;
    json_array_foreach(rc ? NULL : json_object_get(net, "edges"), k, it)
        json_object_del(it, "evidence");
    json_array_foreach(rc ? NULL : json_object_get(net, "nodes"), k, it) {
        json_object_del(it, "betweenness");
        if (json_is_true(json_object_get(it, "drawn")))
            continue;
        static const char *const table_only[] = {"area",     "community", "degree", "strength",
                                                 "score",    "band",      "key",    NULL};
        for (const char *const *f = table_only; *f; f++)
            if (strcmp(*f, "key") || json_is_string(json_object_get(it, "name")))
                json_object_del(it, *f);
    }
    if (!rc && json_object_set_new(net, "view",
                                   json_pack("{s:i, s:i, s:i}", "nodes_total", (json_int_t)n,
                                             "draw_cap", VIEW_DRAW, "groups_listed",
                                             VIEW_GROUPS)))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (rc) {
        json_decref(net);
        http_reply_status(req, &err);
        return;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "network: %zu persons shown%s",
             json_array_size(json_object_get(net, "nodes")),
             req->decision.pseudonymise ? " (pseudonymised)" : "");
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    json_t *nd;
    size_t i;
    json_array_foreach(json_object_get(net, "nodes"), i, nd) {
        int64_t pid = (int64_t)json_integer_value(json_object_get(nd, "person_id"));
        int64_t rid = (int64_t)json_integer_value(json_object_get(nd, "record_id"));
        if (http_seen_add(&seen, pid > 0 ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
                          pid > 0 ? pid : rid)) {
            svp_buf_free(&seen);
            json_decref(net);
            http_reply_json(req, 500, NULL);
            return;
        }
    }
    bool audited = http_audit_seen(req, "view", "network", detail, seen.data);
    svp_buf_free(&seen);
    if (req->decision.pseudonymise)
        json_array_foreach(json_object_get(net, "nodes"), i, nd) {
            json_object_set_new(nd, "person_id", json_null());
            json_object_set_new(nd, "record_id", json_null());
        }
    if (!audited) {
        json_decref(net);
        return;
    }
    http_reply_json(req, 200, net);
}

/* Trends of events per month and area (context_trends_run, behind `svp context trends`):
 * counts only, no person, so not audited as personal data. */
void api_context_trends(struct http_req *req)
{
    const char *kinds = NULL;
    int64_t months;
    struct context_trend_opts o = {0};
    if (!http_req_query(req, "kinds", 128, &kinds) ||
        !http_req_query_int(req, "months", 1, 60, 12, &months))
        return;
    o.filter.kinds = kinds && *kinds ? kinds : "missing";
    o.months = (int)months;
    /* Figures, the same for every viewer the route lets in: kept per data version (and
     * day: the months counted may end today). */
    char what[192], key[224];
    size_t len;
    snprintf(what, sizeof what, "contexts/trends|%s|%lld|%ld", o.filter.kinds,
             (long long)months, (long)svp_date_today());
    char *kept = http_shared_get(req, what, key, sizeof key, &len);
    if (kept) {
        http_reply_text(req, 200, kept, len);
        return;
    }
    json_t *out = NULL;
    struct svp_err err;
    int rc = context_trends_json_load(req->db, &o, &out, &err);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_shared_reply(req, key, out);
}
