/* The network from one child (or one adult): the people within two links of them in the
 * association network, and only those, so a view stays small (a county's whole network is
 * megabytes). Cut from the network kept per data version (http_network_cached), then cut
 * again to what the viewer may see (http_network_for_request). Audited. */
#include "context/context.h"
#include "http_int.h"

#include <string.h>

/* People in one view at most: the nearest first (breadth first, strongest links first
 * among equals is not attempted: links are taken in the network's order). */
#define EGO_MAX_NODES 150

void api_network_ego(struct http_req *req)
{
    int64_t person, record, hops;
    struct context_network_opts o = {.min_children = 2};
    if (!http_req_query_int(req, "person", 0, INT64_MAX, 0, &person) ||
        !http_req_query_int(req, "record", 0, INT64_MAX, 0, &record) ||
        !http_req_query_int(req, "hops", 1, 3, 2, &hops))
        return;
    if ((person > 0) == (record > 0)) {
        http_reply_error(req, 400, "person", "name one person (or one unlinked record)");
        return;
    }
    json_t *net = NULL;
    struct svp_err err;
    int rc = http_network_cached(req, &o, false, &net, &err);
    if (rc == HTTP_BUSY)
        return;
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    json_t *nodes = json_object_get(net, "nodes"), *edges = json_object_get(net, "edges");
    size_t n = json_array_size(nodes), ne = json_array_size(edges);
    long focus = -1;
    for (size_t i = 0; i < n && focus < 0; i++) {
        json_t *nd = json_array_get(nodes, i);
        if ((person > 0 &&
             (int64_t)json_integer_value(json_object_get(nd, "person_id")) == person) ||
            (record > 0 && (int64_t)json_integer_value(json_object_get(nd, "person_id")) <= 0 &&
             (int64_t)json_integer_value(json_object_get(nd, "record_id")) == record))
            focus = (long)i;
    }
    if (focus < 0) {
        json_decref(net);
        http_reply_error(req, 404, NULL, "this person has no links in the network");
        return;
    }
    int *depth = svp_calloc(n, sizeof *depth);
    bool *keep = svp_calloc(n, sizeof *keep);
    if (!depth || !keep) {
        svp_free(depth);
        svp_free(keep);
        json_decref(net);
        http_reply_json(req, 500, NULL);
        return;
    }
    keep[focus] = true;
    size_t kept = 1;
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
                if (kept >= EGO_MAX_NODES) {
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
    rc = http_network_keep(net, keep, n) ? svp_err_set(&err, SVP_ENOMEM, "out of memory") : 0;
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
    if (!rc)
        rc = http_network_for_request(req, net, &err);
    if (!rc && (json_object_set_new(net, "focus", json_integer(fi)) ||
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
    if (!http_audit(req, "view", "network", detail)) {
        json_decref(net);
        return;
    }
    http_reply_json(req, 200, net);
}
