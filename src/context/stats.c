/* The statistics of the contexts room: Getis-Ord Gi*, normal and binomial p-values, the
 * Benjamini-Hochberg false discovery rate, and communities through igraph. Pure functions
 * on arrays so that tests can check them against independent computations. */
#include "context/context.h"

#include <igraph/igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Getis and Ord (1992), Ord and Getis (1995): the local G* statistic in its standardised
 * form, as ArcGIS "Hot Spot Analysis" and PySAL's esda.G_Local(star=True) compute it with
 * binary weights. It is already a z-score: under the null of no spatial association it is
 * approximately standard normal. */
int context_gistar(size_t n, const double *x, const size_t *nb_start, const size_t *nb, double *z,
                   struct svp_err *err)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = nb_start[i]; k < nb_start[i + 1]; k++)
            if (nb[k] >= n)
                return svp_err_set(err, SVP_EINPUT, "unit %zu has neighbour %zu of only %zu", i,
                                   nb[k], n);
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
        sum2 += x[i] * x[i];
    }
    double dn = (double)n;
    double mean = sum / dn;
    double var = sum2 / dn - mean * mean;
    double s = var > 0 ? sqrt(var) : 0;
    for (size_t i = 0; i < n; i++) {
        z[i] = 0;
        if (n < 2 || s <= 1e-12 * (fabs(mean) + 1))
            continue;
        double wx = 0, w = (double)(nb_start[i + 1] - nb_start[i]);
        for (size_t k = nb_start[i]; k < nb_start[i + 1]; k++)
            wx += x[nb[k]];
        double den2 = (dn * w - w * w) / (dn - 1);
        if (den2 <= 0)
            continue; /* the neighbourhood is the whole map: nothing to compare with */
        z[i] = (wx - mean * w) / (s * sqrt(den2));
    }
    return 0;
}

double context_normal_p2(double z)
{
    return erfc(fabs(z) / sqrt(2.0));
}

struct pidx {
    double p;
    size_t i;
};

static int cmp_pidx(const void *a, const void *b)
{
    const struct pidx *x = a, *y = b;
    if (x->p < y->p)
        return -1;
    if (x->p > y->p)
        return 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Benjamini and Hochberg (1995): q_(k) = min over j >= k of p_(j) n / j. Controls the
 * expected share of false discoveries among the units called significant, which is what an
 * analyst needs when testing hundreds of grid cells at once (Bonferroni would hide real
 * hotspots; no correction would show about 5% of cells as "hot" by chance). */
int context_fdr_bh(size_t n, const double *p, double *q)
{
    if (n == 0)
        return 0;
    struct pidx *v = svp_malloc(n * sizeof *v);
    if (!v)
        return SVP_ENOMEM;
    for (size_t i = 0; i < n; i++)
        v[i] = (struct pidx){isnan(p[i]) ? 1.0 : p[i], i};
    qsort(v, n, sizeof *v, cmp_pidx);
    double run = 1.0;
    for (size_t k = n; k-- > 0;) {
        double adj = v[k].p * (double)n / (double)(k + 1);
        if (adj < run)
            run = adj;
        v[k].p = run;
    }
    for (size_t k = 0; k < n; k++)
        q[v[k].i] = v[k].p;
    svp_free(v);
    return 0;
}

double context_binomial_rise_p(long a, long b)
{
    if (a < 0 || b < 0)
        return NAN;
    long n = a + b;
    if (a == 0)
        return 1.0;
    /* sum_{k=a}^{n} C(n,k) 2^-n in log space, largest term first for accuracy */
    double ln2n = (double)n * log(2.0);
    double lgn = lgamma((double)n + 1);
    double total = 0;
    for (long k = a; k <= n; k++) {
        double lt = lgn - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) - ln2n;
        double t = exp(lt);
        total += t;
        if (k > n / 2 && t < total * 1e-17)
            break;
    }
    return total > 1.0 ? 1.0 : total;
}

/* igraph's default error handler aborts the process; the room checks its inputs first and
 * turns what igraph still reports (out of memory) into a status. */
static int graph_status(igraph_error_t e, struct svp_err *err, const char *what)
{
    if (e == IGRAPH_SUCCESS)
        return 0;
    if (e == IGRAPH_ENOMEM)
        return svp_err_set(err, SVP_ENOMEM, "out of memory in %s", what);
    return svp_err_set(err, SVP_EINTERNAL, "igraph failed in %s: %s", what, igraph_strerror(e));
}

int context_communities(size_t nnodes, size_t nedges, const int *from, const int *to,
                        const double *w, double resolution, int *membership, double *modularity,
                        struct svp_err *err)
{
    if (resolution < 0 || !(resolution < 1000))
        return svp_err_set(err, SVP_EINPUT, "resolution %g is not between 0 and 1000", resolution);
    if (resolution == 0)
        resolution = 1;
    *modularity = 0;
    for (size_t i = 0; i < nnodes; i++)
        membership[i] = (int)i;
    for (size_t e = 0; e < nedges; e++) {
        if (from[e] < 0 || to[e] < 0 || (size_t)from[e] >= nnodes || (size_t)to[e] >= nnodes)
            return svp_err_set(err, SVP_EINPUT, "edge %zu joins a node that does not exist", e);
        if (w && !(w[e] > 0))
            return svp_err_set(err, SVP_EINPUT, "edge %zu has weight %g: weights must be > 0", e,
                               w[e]);
    }
    if (nnodes == 0 || nedges == 0)
        return 0;
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    igraph_rng_seed(igraph_rng_default(), 20261121);
    igraph_vector_int_t ev, memb;
    igraph_vector_t wv, mods;
    igraph_t g;
    int rc = 0;
    bool have_g = false;
    if (igraph_vector_int_init(&ev, 0))
        return svp_err_set(err, SVP_ENOMEM, "out of memory building the graph");
    igraph_vector_init(&wv, 0);
    igraph_vector_int_init(&memb, 0);
    igraph_vector_init(&mods, 0);
    for (size_t e = 0; e < nedges && !rc; e++) {
        if (from[e] == to[e])
            continue; /* a self-loop says nothing about groups */
        if (igraph_vector_int_push_back(&ev, from[e]) || igraph_vector_int_push_back(&ev, to[e]) ||
            igraph_vector_push_back(&wv, w ? w[e] : 1.0))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory building the graph");
    }
    if (!rc && igraph_vector_size(&wv) > 0) {
        rc = graph_status(igraph_create(&g, &ev, (igraph_integer_t)nnodes, IGRAPH_UNDIRECTED), err,
                          "building the graph");
        have_g = rc == 0;
        if (!rc)
            rc = graph_status(igraph_community_multilevel(&g, &wv, resolution, &memb, NULL, &mods),
                              err, "community detection");
        if (!rc) {
            /* renumber communities by their first member so output is stable */
            int *map = svp_malloc(nnodes * sizeof *map);
            if (!map)
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            else {
                for (size_t i = 0; i < nnodes; i++)
                    map[i] = -1;
                int next = 0;
                for (size_t i = 0; i < nnodes; i++) {
                    igraph_integer_t c = VECTOR(memb)[i];
                    if (map[c] < 0)
                        map[c] = next++;
                    membership[i] = map[c];
                }
                svp_free(map);
                if (igraph_vector_size(&mods) > 0)
                    *modularity = VECTOR(mods)[igraph_vector_size(&mods) - 1];
            }
        }
    }
    if (have_g)
        igraph_destroy(&g);
    igraph_vector_int_destroy(&ev);
    igraph_vector_destroy(&wv);
    igraph_vector_int_destroy(&memb);
    igraph_vector_destroy(&mods);
    return rc;
}
