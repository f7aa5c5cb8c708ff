/* Scoring the candidate pairs: the blocking index walked on two threads, each pair scored
 * by the model (model.c) as it is given, those at or above the review floor kept in (i, j)
 * order. */
#include "link_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ scoring pairs */

struct score_ctx {
    const struct link_set *s;
    const struct link_model *m;
    double low;
    struct link_pair *v;
    size_t n, cap;
    int rc;
};

static void score_one(size_t i, size_t j, void *vctx)
{
    struct score_ctx *sc = vctx;
    if (sc->rc)
        return;
    double w = link_pair_weight(sc->m, sc->s, i, j);
    double p = link_weight_to_p(w);
    if (p < sc->low)
        return;
    struct link_pair *nv = svp_grow(sc->v, &sc->cap, sc->n + 1, sizeof *nv, 4096);
    if (!nv) {
        sc->rc = SVP_ENOMEM;
        return;
    }
    sc->v = nv;
    sc->v[sc->n++] = (struct link_pair){(uint32_t)(i < j ? i : j), (uint32_t)(i < j ? j : i),
                                        (float)p, (float)w};
}

static int cmp_pair_ij(const void *x, const void *y)
{
    const struct link_pair *a = x, *b = y;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The candidate pairs of link_blocking_candidates, collected (i, j). */
struct collect_ctx {
    uint32_t *v; /* i, j interleaved */
    size_t n, cap;
    int rc;
};

static void collect_one(size_t i, size_t j, void *vctx)
{
    struct collect_ctx *c = vctx;
    if (c->rc)
        return;
    uint32_t *nv = svp_grow(c->v, &c->cap, c->n + 1, 2 * sizeof *nv, 65536); /* i, j */
    if (!nv) {
        c->rc = SVP_ENOMEM;
        return;
    }
    c->v = nv;
    c->v[2 * c->n] = (uint32_t)i;
    c->v[2 * c->n + 1] = (uint32_t)j;
    c->n++;
}

static int cmp_u32_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

int link_blocking_candidates(const struct link_set *s, const struct link_blocking *b,
                             const struct link_opts *o, uint32_t **out, size_t *nout,
                             struct svp_err *err)
{
    *out = NULL;
    *nout = 0;
    struct blockidx bi;
    struct collect_ctx cc = {0};
    int rc = link_blockidx_build(s, b, o, &bi, err);
    if (rc)
        return rc;
    link_blockidx_pairs(&bi, s, o, false, 0, -1, 1, collect_one, &cc, NULL);
    link_blockidx_free(&bi);
    if (cc.rc) {
        svp_free(cc.v);
        return svp_err_set(err, SVP_ENOMEM, "out of memory collecting candidate pairs");
    }
    for (size_t k = 0; k < cc.n; k++)
        if (cc.v[2 * k] > cc.v[2 * k + 1]) {
            uint32_t t = cc.v[2 * k];
            cc.v[2 * k] = cc.v[2 * k + 1];
            cc.v[2 * k + 1] = t;
        }
    if (cc.n)
        qsort(cc.v, cc.n, 2 * sizeof *cc.v, cmp_u32_pair);
    *out = cc.v;
    *nout = cc.n;
    return 0;
}

int link_pairs_make(const struct link_set *s, const struct link_blocking *b,
                    const struct link_model *m, const struct link_opts *o, bool only_new,
                    size_t first_new, struct link_pair **out, size_t *nout,
                    struct link_stats *stats, struct svp_err *err)
{
    *out = NULL;
    *nout = 0;
    double t0 = now_seconds();
    struct blockidx bi;
    int rc = link_blockidx_take(s, b, o, &bi, err);
    if (!rc)
        rc = link_blockidx_check(&bi, b, o, only_new, first_new, stats, err);
    if (rc) {
        link_blockidx_free(&bi);
        return rc;
    }
    double t1 = now_seconds();
    /* the index walked and each pair scored as it is given, on LINK_THREADS threads, each
     * keeping its own pairs and counts */
    struct score_ctx sc[LINK_THREADS];
    void *ctx[LINK_THREADS];
    uint64_t rule_new[LINK_THREADS][LINK_MAX_RULES];
    uint64_t *per_rule[LINK_THREADS];
    memset(rule_new, 0, sizeof rule_new);
    for (size_t t = 0; t < LINK_THREADS; t++) {
        sc[t] = (struct score_ctx){.s = s, .m = m, .low = o->review_low};
        ctx[t] = &sc[t];
        per_rule[t] = rule_new[t];
    }
    link_tfw_make(m, s);
    uint64_t made = link_blockidx_pairs_par(&bi, s, o, only_new, first_new, -1, 1, score_one,
                                            ctx, per_rule);
    link_tfw_drop(s);
    link_blockidx_free(&bi);
    size_t total = 0;
    for (size_t t = 0; t < LINK_THREADS; t++) {
        if (sc[t].rc)
            rc = SVP_ENOMEM;
        total += sc[t].n;
    }
    struct link_pair *v = NULL;
    if (!rc && !(v = svp_malloc((total ? total : 1) * sizeof *v)))
        rc = SVP_ENOMEM;
    size_t at = 0;
    for (size_t t = 0; t < LINK_THREADS; t++) {
        if (v && sc[t].n)
            memcpy(v + at, sc[t].v, sc[t].n * sizeof *v);
        at += sc[t].n;
        svp_free(sc[t].v);
    }
    if (rc) {
        svp_free(v);
        return svp_err_set(err, SVP_ENOMEM, "out of memory keeping scored pairs");
    }
    if (stats) {
        stats->candidates = made;
        for (size_t r = 0; r < b->n && r < LINK_MAX_RULES; r++)
            for (size_t t = 0; t < LINK_THREADS; t++)
                stats->rule_new[r] += rule_new[t][r];
        stats->block_seconds = t1 - t0;
        stats->compare_seconds = now_seconds() - t1;
        stats->kept = total;
    }
    if (total)
        qsort(v, total, sizeof *v, cmp_pair_ij);
    *out = v;
    *nout = total;
    return 0;
}
