/* Clustering: pairs at or above the threshold join in order of weight, decisions first,
 * with the guard that keeps a weak record from chaining two people together. */
#include "link_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ clustering */

static int cmp_pair_p(const void *x, const void *y)
{
    const struct link_pair *a = x, *b = y;
    if (a->w != b->w)
        return a->w > b->w ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

/* Union-find with each cluster's members on a circular list, so a merge can check every
 * cross pair. */
struct uf {
    uint32_t *parent, *next, *size;
};

static uint32_t uf_find(struct uf *u, uint32_t x)
{
    while (u->parent[x] != x) {
        u->parent[x] = u->parent[u->parent[x]];
        x = u->parent[x];
    }
    return x;
}

static void uf_union(struct uf *u, uint32_t a, uint32_t b)
{
    if (u->size[a] < u->size[b]) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    u->parent[b] = a;
    u->size[a] += u->size[b];
    uint32_t t = u->next[a];
    u->next[a] = u->next[b];
    u->next[b] = t;
}

/* Cluster guard: two clusters join only if no cross pair is held to be two people by a
 * household rule (twins, siblings), none is below guard_min, and the cross pairs' mean is
 * at least guard_mean; larger merges than guard_max_pairs cross pairs are refused. The
 * thresholds are low on purpose: records of one person with typos, initials and missing
 * values score low against each other, and what marks two people is the guard's evidence. */
static const double guard_min = 0.0001, guard_mean = 0.3;
static const uint64_t guard_max_pairs = 10000;


static bool merge_ok(const struct link_set *s, const struct link_model *m, struct uf *u,
                     uint32_t ra, uint32_t rb)
{
    uint64_t cross = (uint64_t)u->size[ra] * u->size[rb];
    if (cross > guard_max_pairs)
        return false;
    double sum = 0;
    uint32_t x = ra;
    do {
        uint32_t y = rb;
        do {
            /* a cross pair the household rules hold to be two people keeps them apart */
            double p;
            if (!link_pair_joinable(m, s, x, y, &p) || p < guard_min)
                return false;
            sum += p;
            y = u->next[y];
        } while (y != rb);
        x = u->next[x];
    } while (x != ra);
    return sum / (double)cross >= guard_mean;
}

static bool rejected_between(struct uf *u, const struct link_decision *dec, size_t ndec,
                             uint32_t ra, uint32_t rb)
{
    for (size_t k = 0; k < ndec; k++) {
        if (dec[k].same)
            continue;
        uint32_t x = uf_find(u, dec[k].i), y = uf_find(u, dec[k].j);
        if ((x == ra && y == rb) || (x == rb && y == ra))
            return true;
    }
    return false;
}

int link_cluster(const struct link_set *s, const struct link_model *m,
                 const struct link_pair *pairs, size_t npairs,
                 const struct link_decision *dec, size_t ndec, const struct link_opts *o,
                 uint32_t *label, struct link_stats *stats, struct svp_err *err)
{
    size_t n = s->n;
    struct uf u = {svp_malloc((n ? n : 1) * sizeof(uint32_t)),
                   svp_malloc((n ? n : 1) * sizeof(uint32_t)),
                   svp_malloc((n ? n : 1) * sizeof(uint32_t))};
    struct link_pair *e = svp_malloc((npairs + ndec + 1) * sizeof *e);
    int rc = 0;
    if (!u.parent || !u.next || !u.size || !e) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory clustering %zu records", n);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        u.parent[i] = u.next[i] = (uint32_t)i, u.size[i] = 1;
    /* A reviewer's confirmation joins first, whatever the model says. */
    for (size_t k = 0; k < ndec; k++)
        if (dec[k].same && dec[k].i < n && dec[k].j < n) {
            uint32_t a = uf_find(&u, dec[k].i), b = uf_find(&u, dec[k].j);
            if (a != b)
                uf_union(&u, a, b);
        }
    size_t ne = 0;
    for (size_t k = 0; k < npairs; k++)
        if (pairs[k].p >= o->threshold)
            e[ne++] = pairs[k];
    qsort(e, ne, sizeof *e, cmp_pair_p);
    uint64_t refused = 0;
    for (size_t k = 0; k < ne; k++) {
        uint32_t a = uf_find(&u, e[k].i), b = uf_find(&u, e[k].j);
        if (a == b)
            continue;
        if (rejected_between(&u, dec, ndec, a, b)) {
            refused++;
            continue;
        }
        if ((u.size[a] > 1 || u.size[b] > 1) && !merge_ok(s, m, &u, a, b)) {
            refused++;
            continue;
        }
        uf_union(&u, a, b);
    }
    /* Label = smallest member index, so labels do not depend on merge order. */
    for (size_t i = 0; i < n; i++)
        label[i] = UINT32_MAX;
    size_t clusters = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = uf_find(&u, (uint32_t)i);
        if (label[r] == UINT32_MAX) {
            label[r] = (uint32_t)i;
            clusters++;
        }
    }
    for (size_t i = 0; i < n; i++)
        label[i] = label[uf_find(&u, (uint32_t)i)];
    if (stats) {
        stats->clusters = clusters;
        stats->merges_refused = refused;
    }
out:
    svp_free(u.parent);
    svp_free(u.next);
    svp_free(u.size);
    svp_free(e);
    return rc;
}
