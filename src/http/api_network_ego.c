/* The network from one child (or one adult): the people within two links of them in the
 * association network, and only those, so a view stays small (a county's whole network is
 * megabytes). Cut from the network kept per data version (http_network_shared), then cut
 * again to what the viewer may see (http_network_for_request). Audited. */
#include "context/context.h"
#include "http_int.h"

#include <string.h>

/* People in one view at most: the nearest first (breadth first, strongest links first
 * among equals is not attempted: links are taken in the network's order). */
#define EGO_MAX_NODES 150 /* a group's view: its members and 150 around them */

/* Who the view is about: ?group=N (a peer group, by the number the network page shows),
 * ?person=ID or ?record=ID, or for a pseudonymised user (who may
 * not name raw ids) ?person=P-... or ?record=R-..., the pseudonym a reply showed them.
 * Replies 400 and returns false when it cannot tell. */
static bool ego_focus(struct http_req *req, int64_t *person, int64_t *record)
{
    const char *ps = NULL, *rs = NULL;
    *person = *record = 0;
    if (!http_req_query(req, "person", 24, &ps) || !http_req_query(req, "record", 24, &rs))
        return false;
    if (ps && !*ps)
        ps = NULL;
    if (rs && !*rs)
        rs = NULL;
    if (!ps == !rs) {
        http_reply_error(req, 400, "person", "name one person (or one unlinked record)");
        return false;
    }
    const char *v = ps ? ps : rs, *field = ps ? "person" : "record";
    int64_t id = 0;
    if (req->decision.pseudonymise) {
        char kind = 0;
        struct svp_err err;
        int rc = access_pseudonym_find(req->db, v, &kind, &id, &err);
        if (rc == SVP_EINPUT || rc == SVP_ENOTFOUND || (!rc && kind != (ps ? 'P' : 'R'))) {
            http_reply_error(req, 400, field, "name them by the pseudonym shown (%s-...)",
                             ps ? "P" : "R");
            return false;
        }
        if (rc) {
            http_reply_status(req, &err);
            return false;
        }
    } else if (svp_parse_i64(v, &id) || id <= 0) {
        http_reply_error(req, 400, field, "must be a positive whole number");
        return false;
    }
    *(ps ? person : record) = id;
    return true;
}

/* Everyone within hops links of the focus in the whole network (at most SUPERSET_MAX),
 * before need-to-know: a superset of what the viewer's own rings can reach, since links
 * they may not see only take links away. Lets the one check and the pseudonyms run for a
 * few people, not a county. focus < 0 when no node is the person. */
#define SUPERSET_MAX 20000
static long superset(const json_t *full, int64_t person, int64_t record, int64_t group,
                     int hops, bool *keep)
{
    json_t *nodes = json_object_get(full, "nodes"), *edges = json_object_get(full, "edges");
    size_t n = json_array_size(nodes), ne = json_array_size(edges), kept = 0;
    long focus = -1;
    for (size_t i = 0; i < n; i++) {
        json_t *nd = json_array_get(nodes, i);
        int64_t pid = (int64_t)json_integer_value(json_object_get(nd, "person_id"));
        int64_t rid = (int64_t)json_integer_value(json_object_get(nd, "record_id"));
        bool hit = group > 0 ? json_integer_value(json_object_get(nd, "group")) == group
                             : (person > 0 && pid == person) ||
                                   (record > 0 && pid <= 0 && rid == record);
        if (hit) {
            keep[i] = true;
            kept++;
            if (focus < 0)
                focus = (long)i;
            if (group <= 0)
                break;
        }
    }
    if (focus < 0)
        return -1;
    int *depth = svp_calloc(n, sizeof *depth);
    if (!depth)
        return -2;
    for (int d = 1; d <= hops && kept < SUPERSET_MAX; d++)
        for (size_t e = 0; e < ne; e++) {
            json_t *ed = json_array_get(edges, e);
            json_int_t a = json_integer_value(json_object_get(ed, "source"));
            json_int_t b = json_integer_value(json_object_get(ed, "target"));
            if (a < 0 || b < 0 || (size_t)a >= n || (size_t)b >= n)
                continue;
            for (int side = 0; side < 2; side++) {
                json_int_t from = side ? b : a, to = side ? a : b;
                if (keep[from] && depth[from] == d - 1 && !keep[to] && kept < SUPERSET_MAX) {
                    keep[to] = true;
                    depth[to] = d;
                    kept++;
                }
            }
        }
    svp_free(depth);
    return focus;
}

void api_network_ego(struct http_req *req)
{
    int64_t person, record, hops, group;
    struct context_network_opts o = {.min_children = 2};
    if (!http_req_query_int(req, "group", 0, 1000000, 0, &group) ||
        !http_req_query_int(req, "hops", 1, 3, 2, &hops))
        return;
    person = record = 0;
    if (group == 0 && !ego_focus(req, &person, &record))
        return;
    json_t *full = NULL, *net = NULL;
    struct svp_err err;
    int rc = http_network_shared(req, &o, false, &full, &err);
    if (rc == HTTP_BUSY)
        return;
    size_t fn = rc ? 0 : json_array_size(json_object_get(full, "nodes"));
    bool *near = rc ? NULL : svp_calloc(fn + 1, sizeof *near);
    if (!rc && !near)
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    long sfocus = rc ? -1 : superset(full, person, record, group, (int)hops, near);
    if (!rc && sfocus == -2)
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (!rc && sfocus >= 0)
        rc = http_network_subset(full, near, NULL, NULL, &net, &err);
    json_decref(full);
    svp_free(near);
    if (!rc && sfocus == -1) {
        http_reply_error(req, 404, NULL,
                         group > 0 ? "no peer group has this number"
                                   : "this person has no links in the network");
        return;
    }
    /* Cut to what the viewer may see first (people and links), so the rings are walked
     * only over links they may see. */
    if (!rc)
        rc = http_network_for_request(req, net, &err);
    if (rc) {
        json_decref(net);
        http_reply_status(req, &err);
        return;
    }
    json_t *nodes = json_object_get(net, "nodes"), *edges = json_object_get(net, "edges");
    size_t n = json_array_size(nodes), ne = json_array_size(edges);
    int *depth = svp_calloc(n + 1, sizeof *depth);
    bool *keep = svp_calloc(n + 1, sizeof *keep);
    if (!depth || !keep) {
        svp_free(depth);
        svp_free(keep);
        json_decref(net);
        http_reply_json(req, 500, NULL);
        return;
    }
    /* The start: the person, or every member of the group the viewer may see. */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *nd = json_array_get(nodes, i);
        int64_t pid = (int64_t)json_integer_value(json_object_get(nd, "person_id"));
        int64_t rid = (int64_t)json_integer_value(json_object_get(nd, "record_id"));
        keep[i] = group > 0 ? json_integer_value(json_object_get(nd, "group")) == group
                            : (person > 0 && pid == person) ||
                                  (record > 0 && pid <= 0 && rid == record);
        kept += keep[i];
    }
    if (kept == 0) { /* the person (or the group) is not one the viewer may see */
        svp_free(depth);
        svp_free(keep);
        json_decref(net);
        http_reply_error(req, 404, NULL,
                         group > 0 ? "no peer group has this number"
                                   : "this person has no links in the network");
        return;
    }
    bool truncated = false;
    /* breadth first, one ring per pass over the edges */
    for (int d = 1; d <= hops; d++) {
        for (size_t e = 0; e < ne; e++) {
            json_t *ed = json_array_get(edges, e);
            json_int_t a = json_integer_value(json_object_get(ed, "source"));
            json_int_t b = json_integer_value(json_object_get(ed, "target"));
            if (a < 0 || b < 0 || (size_t)a >= n || (size_t)b >= n)
                continue;
            for (int side = 0; side < 2; side++) {
                json_int_t from = side ? b : a, to = side ? a : b;
                if (!keep[from] || depth[from] != d - 1 || keep[to])
                    continue;
                if (kept >= EGO_MAX_NODES + (group > 0 ? EGO_MAX_NODES : 0)) {
                    truncated = true;
                    continue;
                }
                keep[to] = true;
                depth[to] = d;
                kept++;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        json_object_set_new(json_array_get(nodes, i), "hops", json_integer(depth[i]));
    rc = http_network_keep(net, keep, n, NULL) ? svp_err_set(&err, SVP_ENOMEM, "out of memory")
                                               : 0;
    svp_free(depth);
    svp_free(keep);
    /* the focus's new index: it is the only node at 0 hops */
    long fi = -1;
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get(net, "nodes"), i, nd)
    {
        if (fi < 0 && json_integer_value(json_object_get(nd, "hops")) == 0)
            fi = (long)i;
    }
    if (!rc && (json_object_set_new(net, "focus", json_integer(fi)) ||
                json_object_set_new(net, "group", json_integer(group)) ||
                json_object_set_new(net, "hops", json_integer(hops)) ||
                json_object_set_new(net, "truncated", json_boolean(truncated))))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (rc) {
        json_decref(net);
        http_reply_status(req, &err);
        return;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "network from one person: %zu shown",
             json_array_size(json_object_get(net, "nodes")));
    /* Everyone shown is named in the audit entry; a pseudonymised reply then loses every
     * raw id (the names are the pseudonyms). */
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 20);
    json_array_foreach(json_object_get(net, "nodes"), i, nd)
    {
        int64_t pid = (int64_t)json_integer_value(json_object_get(nd, "person_id"));
        int64_t rid = (int64_t)json_integer_value(json_object_get(nd, "record_id"));
        if (!rc && http_seen_add(&seen, pid > 0 ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
                                 pid > 0 ? pid : rid))
            rc = SVP_ENOMEM;
        if (req->decision.pseudonymise) {
            json_object_set_new(nd, "person_id", json_null());
            json_object_set_new(nd, "record_id", json_null());
        }
    }
    bool audited = !rc && http_audit_seen(req, "view", "network", detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(net);
        if (rc)
            http_reply_json(req, 500, NULL);
        return;
    }
    http_reply_json(req, 200, net);
}
