/* Centrality computed once per data version and stored (issue 22, item 3; migration 042).
 *
 * Betweenness over a region's association graph is the costliest part of a network build
 * (tens of seconds at a million children, even within 4 links), and every reader (groups,
 * perpetrators, the profile and network pages) builds the network. `svp context run`
 * computes it and stores it with the data version it was computed at (store_data_version,
 * bumped by every write) and a fingerprint of the graph; a reader whose store is at that
 * version and whose graph has that fingerprint reads the values back instead. Any write
 * moves the version on, so the stored values stop being used until they are computed again.
 * The fingerprint also covers what the version cannot: a graph built with other options
 * (--since) or from data read before a write that came between the load and the version.
 * Values are stored as the doubles they are (SQLite REAL; PostgreSQL text with 17
 * significant digits), so reading back gives the very numbers computed. */
#include "network_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static uint64_t mix(uint64_t h, uint64_t v)
{
    /* splitmix64's finaliser over the running value */
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

/* "nodes:links:hash" of the graph centrality is computed on: each node's person and record,
 * each link's ends and weight. */
static void fingerprint(const struct context_network *n, const int *from, const int *to,
                        const double *w, char *out, size_t cap)
{
    uint64_t h = mix(0, n->ng);
    h = mix(h, n->nedges);
    for (size_t i = 0; i < n->ng; i++) {
        const struct ctx_node *nd = &n->d->nodes[n->gnode[i]];
        h = mix(mix(h, (uint64_t)nd->person_id), (uint64_t)nd->record_id);
    }
    for (size_t i = 0; i < n->nedges; i++) {
        uint64_t bits;
        memcpy(&bits, &w[i], sizeof bits);
        h = mix(mix(mix(h, (uint64_t)from[i]), (uint64_t)to[i]), bits);
    }
    snprintf(out, cap, "%zu:%zu:%016" PRIx64, n->ng, n->nedges, h);
}

/* Whether the state row says the stored values are version's for the graph fp. */
static int state_is(struct context_network *n, int64_t version, const char *fp, bool *yes,
                    struct svp_err *err)
{
    *yes = false;
    struct store_stmt *st = NULL;
    int rc = store_prepare(n->store,
                           "SELECT data_version, graph, nodes FROM context_centrality_state "
                           "WHERE id = 1",
                           &st, err);
    if (rc)
        return rc;
    rc = store_step(st, err);
    *yes = rc == STORE_ROW && store_column_int64(st, 0) == version && store_column_text(st, 1) &&
           !strcmp(store_column_text(st, 1), fp) && store_column_int64(st, 2) == (int64_t)n->ng;
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

/* Reads the stored values into n when they were stored at version for the graph fp; *found
 * says whether they were. The state row is read again after the values: a run storing
 * others in between (it writes both in one transaction) makes them not found. */
static int load(struct context_network *n, int64_t version, const char *fp, bool *found,
                struct svp_err *err)
{
    *found = false;
    bool current;
    struct store_stmt *st = NULL;
    int rc = state_is(n, version, fp, &current, err);
    if (rc || !current)
        return rc;
    rc = store_prepare(n->store,
                       "SELECT node, betweenness, strength FROM context_centrality ORDER BY node",
                       &st, err);
    size_t k = 0;
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        if (k >= n->ng || store_column_int64(st, 0) != (int64_t)k) {
            k = n->ng + 1; /* not the rows the state row promised: computed instead */
            break;
        }
        n->betweenness[k] = store_column_double(st, 1);
        n->strength[k] = store_column_double(st, 2);
        k++;
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (k != n->ng)
        return SVP_OK;
    rc = state_is(n, version, fp, &current, err);
    *found = !rc && current;
    return rc;
}

static int save(struct context_network *n, int64_t version, const char *fp, struct svp_err *err)
{
    char now[32];
    svp_time_format((svp_time)time(NULL), now, sizeof now);
    int rc = store_begin(n->store, err);
    if (rc)
        return rc;
    /* the state row first: its row lock queues two writers one after the other */
    struct store_stmt *st = NULL;
    rc = store_prepare(n->store,
                       "UPDATE context_centrality_state SET data_version = ?, graph = ?, "
                       "nodes = ?, computed_at = ? WHERE id = 1",
                       &st, err);
    if (!rc && ((rc = store_bind_int64(st, 1, version)) ||
                (rc = store_bind_text(st, 2, fp, -1)) ||
                (rc = store_bind_int64(st, 3, (int64_t)n->ng)) ||
                (rc = store_bind_text(st, 4, now, -1))))
        rc = svp_err_set(err, rc, "out of memory");
    if (!rc && (rc = store_step(st, err)) > 0)
        rc = SVP_OK;
    store_finalize(&st);
    if (!rc)
        rc = store_exec(n->store, "DELETE FROM context_centrality", err);
    struct store_bulk *b = NULL;
    if (!rc)
        rc = store_bulk_open(n->store, "context_centrality",
                             "node, person_id, record_id, betweenness, strength", 5, &b, err);
    for (size_t i = 0; !rc && i < n->ng; i++) {
        const struct ctx_node *nd = &n->d->nodes[n->gnode[i]];
        store_bulk_int64(b, (int64_t)i);
        store_bulk_int64(b, nd->person_id);
        store_bulk_int64(b, nd->record_id);
        store_bulk_double(b, n->betweenness[i]);
        store_bulk_double(b, n->strength[i]);
        rc = store_bulk_row(b, err);
    }
    if (!rc)
        rc = store_bulk_finish(b, err);
    store_bulk_free(&b);
    if (!rc)
        rc = store_commit(n->store, err);
    else
        store_rollback(n->store);
    return rc;
}

int ctx_centrality(struct context_network *n, const int *from, const int *to, const double *w,
                   struct svp_err *err)
{
    n->centrality_source = CONTEXT_CENTRALITY_COMPUTED;
    if (!n->store)
        return ctx_centrality_compute(n, from, to, w, err);
    int64_t version = 0;
    char fp[80];
    fingerprint(n, from, to, w, fp, sizeof fp);
    bool found = false;
    int rc = store_data_version(n->store, &version, err);
    if (!rc)
        rc = load(n, version, fp, &found, err);
    if (rc || found) {
        if (found)
            n->centrality_source = CONTEXT_CENTRALITY_STORED;
        return rc;
    }
    rc = ctx_centrality_compute(n, from, to, w, err);
    if (!rc && n->save_centrality && !(rc = save(n, version, fp, err)))
        n->centrality_source = CONTEXT_CENTRALITY_SAVED;
    return rc;
}

enum context_centrality_source context_network_centrality_source(const struct context_network *n)
{
    return n->centrality_source;
}
