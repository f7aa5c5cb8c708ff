/* Networks: a weighted graph of children and adults from co-occurrence, its communities
 * (igraph multilevel, i.e. Louvain) and centrality (igraph betweenness and strength), and
 * the adults linked to several children at risk (possible perpetrators).
 *
 * Each co-occurrence adds its kind's weight to the edge between two persons (see
 * enum context_link_kind). The links are evidence for a human to weigh, not findings: every
 * edge keeps the events and relationships behind it so the panel can read them. */
#include "network_int.h"

#include <igraph/igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ADDRESS_GROUP_MAX 40 /* a shared address with more persons is a hostel or a block */
#define DAY_SECONDS 86400
/* found at one place within three hours of each other: found together (the same police
 * attendance or the same carer collecting them), not two children found there on one day */
#define FOUND_WINDOW (3 * 3600)
#define DEFAULT_RESOLUTION 1.0
#define DEFAULT_MAX_GROUP 30 /* a peer group larger than this is rarely one group of peers */

static const struct {
    const char *name;
    double weight;
} link_kinds[CONTEXT_LINK_KINDS] = {
    [CONTEXT_LINK_MISSING_TOGETHER] = {"missing_together", 1},
    [CONTEXT_LINK_FOUND_TOGETHER] = {"found_together", 3},
    [CONTEXT_LINK_SAME_INCIDENT] = {"same_incident", 2},
    [CONTEXT_LINK_SAME_ADDRESS] = {"same_address", 1},
    [CONTEXT_LINK_ASSOCIATE] = {"associate", 2},
    [CONTEXT_LINK_PERPETRATOR] = {"perpetrator", 3},
    [CONTEXT_LINK_FAMILY] = {"family", 1},
    [CONTEXT_LINK_CO_OFFENDING] = {"co_offending", 3},
    [CONTEXT_LINK_DA] = {"domestic_abuse", 1},
};

bool context_link_kind_is_peer(enum context_link_kind k)
{
    return k != CONTEXT_LINK_FAMILY && k != CONTEXT_LINK_SAME_ADDRESS && k != CONTEXT_LINK_DA &&
           (unsigned)k < CONTEXT_LINK_KINDS;
}

const char *context_link_kind_name(enum context_link_kind k)
{
    return (unsigned)k < CONTEXT_LINK_KINDS ? link_kinds[k].name : "?";
}

double context_link_kind_weight(const char *name)
{
    for (int k = 0; name && k < CONTEXT_LINK_KINDS; k++)
        if (!strcmp(link_kinds[k].name, name))
            return link_kinds[k].weight;
    return 0;
}

static size_t hash_pair(int a, int b)
{
    uint64_t h = ((uint64_t)(uint32_t)a << 32) | (uint32_t)b;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return (size_t)h;
}

static int rehash(struct context_network *n)
{
    size_t ns = n->nslots ? n->nslots * 2 : 1024;
    size_t *s = svp_calloc(ns, sizeof *s);
    if (!s)
        return SVP_ENOMEM;
    for (size_t i = 0; i < n->nedges; i++) {
        size_t h = hash_pair(n->edges[i].a, n->edges[i].b) & (ns - 1);
        while (s[h])
            h = (h + 1) & (ns - 1);
        s[h] = i + 1;
    }
    svp_free(n->slots);
    n->slots = s;
    n->nslots = ns;
    return 0;
}

static int add_link(struct context_network *n, int a, int b, enum context_link_kind k,
                    int64_t event_id, int64_t rel_id, svp_day day)
{
    if (a < 0 || b < 0 || a == b)
        return 0;
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    if ((n->nedges + 1) * 2 > n->nslots && rehash(n))
        return SVP_ENOMEM;
    size_t h = hash_pair(a, b) & (n->nslots - 1);
    while (n->slots[h] && !(n->edges[n->slots[h] - 1].a == a && n->edges[n->slots[h] - 1].b == b))
        h = (h + 1) & (n->nslots - 1);
    struct edge *e;
    if (n->slots[h]) {
        e = &n->edges[n->slots[h] - 1];
    } else {
        struct edge *ne = svp_grow(n->edges, &n->cap, n->nedges + 1, sizeof *ne, 1024);
        if (!ne)
            return SVP_ENOMEM;
        n->edges = ne;
        e = &n->edges[n->nedges++];
        memset(e, 0, sizeof *e);
        e->a = a;
        e->b = b;
        n->slots[h] = n->nedges;
    }
    e->weight += link_kinds[k].weight;
    e->count[k]++;
    if (e->nev < EVIDENCE_MAX)
        e->ev[e->nev++] = (struct evidence){(unsigned char)k, day, event_id, rel_id};
    return 0;
}

/* The link kind of a relationship: recorded with a domestic abuse incident, anything but a
 * family or household relationship is domestic abuse co-involvement. */
static int rel_kind(const char *k, bool da)
{
    int fam = k && (!strcmp(k, "parent") || !strcmp(k, "sibling") ||
                    !strcmp(k, "household_member"));
    if (da && k && !fam)
        return CONTEXT_LINK_DA;
    static const struct {
        const char *name;
        enum context_link_kind kind;
    } map[] = {{"found_with", CONTEXT_LINK_FOUND_TOGETHER},
               {"household_member", CONTEXT_LINK_SAME_ADDRESS},
               {"parent", CONTEXT_LINK_FAMILY},
               {"sibling", CONTEXT_LINK_FAMILY},
               {"associate", CONTEXT_LINK_ASSOCIATE},
               {"co_involved", CONTEXT_LINK_SAME_INCIDENT},
               {"co_offender", CONTEXT_LINK_CO_OFFENDING},
               {"perpetrator", CONTEXT_LINK_PERPETRATOR}};
    for (size_t i = 0; k && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].name, k))
            return (int)map[i].kind;
    return -1;
}

/* events sorted by a place and a time, to pair those at one place close in time */
struct pt_ev {
    int place;
    svp_time t;
    const struct ctx_event *e;
};

static int cmp_pt_ev(const void *a, const void *b)
{
    const struct pt_ev *x = a, *y = b;
    if (x->place != y->place)
        return x->place < y->place ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->e->id < y->e->id ? -1 : x->e->id > y->e->id;
}

static int pair_close(struct context_network *n, struct pt_ev *v, size_t nv, svp_time window,
                      enum context_link_kind k)
{
    qsort(v, nv, sizeof *v, cmp_pt_ev);
    for (size_t i = 0; i < nv; i++)
        for (size_t j = i + 1; j < nv && v[j].place == v[i].place && v[j].t - v[i].t <= window; j++)
            if (add_link(n, v[i].e->node, v[j].e->node, k, v[j].e->id, 0, v[j].e->day))
                return SVP_ENOMEM;
    return 0;
}

static int cmp_ref(const void *a, const void *b)
{
    const struct pt_ev *x = a, *y = b;
    int c = strcmp(x->e->occurrence_ref, y->e->occurrence_ref);
    return c ? c : (x->e->id > y->e->id) - (x->e->id < y->e->id);
}

/* Pairs everyone in one occurrence; an occurrence with more than 30 persons involved is a
 * public order event, not a group, and is left out. A domestic abuse occurrence is domestic
 * abuse co-involvement; two suspects or offenders (or arrested) in one are co-offending. */
static int pair_same_ref(struct context_network *n, struct pt_ev *v, size_t nv)
{
    qsort(v, nv, sizeof *v, cmp_ref);
    for (size_t i = 0; i < nv;) {
        size_t j = i;
        while (j < nv && !strcmp(v[j].e->occurrence_ref, v[i].e->occurrence_ref))
            j++;
        for (size_t x = i; j - i <= 30 && x < j; x++)
            for (size_t y = x + 1; y < j; y++) {
                const struct ctx_event *ex = v[x].e, *ey = v[y].e;
                enum context_link_kind k = ex->da || ey->da ? CONTEXT_LINK_DA
                                           : ex->offending && ey->offending
                                               ? CONTEXT_LINK_CO_OFFENDING
                                               : CONTEXT_LINK_SAME_INCIDENT;
                if (add_link(n, ex->node, ey->node, k, ey->id, 0, ey->day))
                    return SVP_ENOMEM;
            }
        i = j;
    }
    return 0;
}

struct addr_row {
    const char *key;
    int node;
};

static int cmp_addr(const void *a, const void *b)
{
    const struct addr_row *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->node > y->node) - (x->node < y->node);
}

static int build_edges(struct context_network *n, svp_day since, struct svp_err *err)
{
    const struct context_data *d = n->d;
    for (size_t i = 0; i < d->nrels; i++) {
        int k = rel_kind(d->rels[i].kind, d->rels[i].da);
        if (k < 0)
            continue;
        if (add_link(n, d->records[d->rels[i].a].node, d->records[d->rels[i].b].node, k,
                     d->rels[i].event_id, d->rels[i].id, d->rels[i].day))
            return svp_err_set(err, SVP_ENOMEM, "out of memory building the network");
    }
    struct pt_ev *v = svp_malloc((d->nevents + 1) * sizeof *v);
    struct addr_row *ar = svp_malloc((d->nrecords + 1) * sizeof *ar);
    if (!v || !ar) {
        svp_free(v);
        svp_free(ar);
        return svp_err_set(err, SVP_ENOMEM, "out of memory building the network");
    }
    int rc = 0;
    /* missing within an hour of each other, living in the same area (the model does
     * not record where a child went missing from; the home area stands in for it) */
    size_t nv = 0;
    const char **areas = svp_calloc(d->nnodes + 1, sizeof *areas);
    size_t nareas = 0;
    if (!areas)
        rc = SVP_ENOMEM;
    for (size_t i = 0; !rc && i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (e->type != CTX_T_MISSING || e->node < 0 || e->day < since || !d->nodes[e->node].area)
            continue;
        const char *a = d->nodes[e->node].area;
        size_t k = 0;
        while (k < nareas && strcmp(areas[k], a))
            k++;
        if (k == nareas)
            areas[nareas++] = a;
        v[nv++] = (struct pt_ev){(int)k, e->t, e};
    }
    svp_free(areas);
    if (!rc)
        rc = pair_close(n, v, nv, 3600, CONTEXT_LINK_MISSING_TOGETHER);
    /* found at the same place within a day */
    nv = 0;
    for (size_t i = 0; !rc && i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (e->type == CTX_T_MISSING && e->found_place >= 0 && e->node >= 0 && e->day >= since)
            v[nv++] = (struct pt_ev){e->found_place, e->found_t, e};
    }
    if (!rc)
        rc = pair_close(n, v, nv, FOUND_WINDOW, CONTEXT_LINK_FOUND_TOGETHER);
    /* one police occurrence (everyone involved shares its reference) */
    nv = 0;
    for (size_t i = 0; !rc && i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if ((CTX_IS_POLICE(e->type) || e->type == CTX_T_DA) && e->occurrence_ref && e->node >= 0 &&
            e->day >= since)
            v[nv++] = (struct pt_ev){0, 0, e};
    }
    if (!rc)
        rc = pair_same_ref(n, v, nv);
    /* without a reference: police events at one place on one day */
    nv = 0;
    for (size_t i = 0; !rc && i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (CTX_IS_POLICE(e->type) && !e->da && !e->occurrence_ref && e->place >= 0 &&
            e->node >= 0 && e->day >= since)
            v[nv++] = (struct pt_ev){e->place, (svp_time)e->day * DAY_SECONDS, e};
    }
    if (!rc)
        rc = pair_close(n, v, nv, 0, CONTEXT_LINK_SAME_INCIDENT);
    /* one domestic abuse incident: its events (victim, suspect, each child present) share a
     * place and a time, or a domestic police event at one place on one day */
    nv = 0;
    for (size_t i = 0; !rc && i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (e->da && !e->occurrence_ref && e->place >= 0 && e->node >= 0 && e->day >= since)
            v[nv++] = (struct pt_ev){e->place, e->type == CTX_T_DA ? e->t
                                                                    : (svp_time)e->day * DAY_SECONDS,
                                     e};
    }
    if (!rc)
        rc = pair_close(n, v, nv, 0, CONTEXT_LINK_DA);
    /* same address and postcode */
    size_t na = 0;
    for (size_t i = 0; !rc && i < d->nrecords; i++)
        if (d->records[i].addr_key)
            ar[na++] = (struct addr_row){d->records[i].addr_key, d->records[i].node};
    qsort(ar, na, sizeof *ar, cmp_addr);
    for (size_t i = 0; !rc && i < na;) {
        size_t j = i;
        while (j < na && !strcmp(ar[j].key, ar[i].key))
            j++;
        if (j - i <= ADDRESS_GROUP_MAX)
            for (size_t x = i; !rc && x < j; x++)
                for (size_t y = x + 1; !rc && y < j; y++)
                    if (ar[y].node != ar[x].node && (y == x + 1 || ar[y].node != ar[y - 1].node))
                        rc = add_link(n, ar[x].node, ar[y].node, CONTEXT_LINK_SAME_ADDRESS, 0, 0, 0);
        i = j;
    }
    svp_free(v);
    svp_free(ar);
    if (rc)
        return svp_err_set(err, SVP_ENOMEM, "out of memory building the network");
    return 0;
}

bool ctx_edge_is_household(const struct edge *e)
{
    return e->count[CONTEXT_LINK_FAMILY] || e->count[CONTEXT_LINK_SAME_ADDRESS] ||
           e->count[CONTEXT_LINK_DA];
}

static int igraph_fail(igraph_error_t e, struct svp_err *err)
{
    if (e == IGRAPH_ENOMEM)
        return svp_err_set(err, SVP_ENOMEM, "out of memory in igraph");
    return svp_err_set(err, SVP_EINTERNAL, "igraph: %s", igraph_strerror(e));
}

/* Betweenness counts shortest chains of association of at most this many links. A broker
 * between two peer groups sits on chains of two to four links; longer chains run through
 * whole towns once a region's components merge, and counting them is O(persons x links):
 * `svp context run` took 0.6 / 3.0 / 9.7 / 41.9 s at 20k / 104k / 300k / 600k children and
 * never finished at 1M. With the cutoff each person's search stops at this radius, so the
 * time grows with the persons times their neighbourhoods (near-linear for a county's sparse
 * graph), and on a component no wider than the cutoff the figure is the exact one. */
#define CTX_BETWEENNESS_HOPS 4

/* betweenness (unweighted: the number of shortest chains of association of up to
 * CTX_BETWEENNESS_HOPS links through a person) and strength (the sum of edge weights) with
 * igraph */
int ctx_centrality_compute(struct context_network *n, const int *from, const int *to,
                           const double *w, struct svp_err *err)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_vector_int_t ev;
    igraph_vector_t wv, res;
    igraph_t g;
    if (igraph_vector_int_init(&ev, (igraph_integer_t)(2 * n->nedges)))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (igraph_vector_init(&wv, (igraph_integer_t)n->nedges)) {
        igraph_vector_int_destroy(&ev);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n->nedges; i++) {
        VECTOR(ev)[2 * i] = from[i];
        VECTOR(ev)[2 * i + 1] = to[i];
        VECTOR(wv)[i] = w[i];
    }
    int rc = 0;
    igraph_error_t e = igraph_create(&g, &ev, (igraph_integer_t)n->ng, IGRAPH_UNDIRECTED);
    if (e) {
        rc = igraph_fail(e, err);
    } else {
        if (igraph_vector_init(&res, 0)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        } else {
            e = igraph_betweenness_cutoff(&g, &res, igraph_vss_all(), IGRAPH_UNDIRECTED, NULL,
                                          CTX_BETWEENNESS_HOPS);
            for (size_t i = 0; !e && i < n->ng; i++)
                n->betweenness[i] = VECTOR(res)[i];
            if (!e)
                e = igraph_strength(&g, &res, igraph_vss_all(), IGRAPH_ALL, IGRAPH_NO_LOOPS, &wv);
            for (size_t i = 0; !e && i < n->ng; i++)
                n->strength[i] = VECTOR(res)[i];
            if (e)
                rc = igraph_fail(e, err);
            igraph_vector_destroy(&res);
        }
        igraph_destroy(&g);
    }
    igraph_vector_int_destroy(&ev);
    igraph_vector_destroy(&wv);
    return rc;
}

struct comm {
    int id;
    size_t size, children;
};

static int cmp_comm(const void *a, const void *b)
{
    const struct comm *x = a, *y = b;
    if (x->children != y->children)
        return x->children > y->children ? -1 : 1;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->id - y->id;
}

/* Splits communities larger than max_group: each is partitioned again on its own links at
 * twice the resolution, up to six times (64 times the resolution), so the group size an
 * analyst sets is a bound a dense blob cannot pass unnoticed; one still above it after that
 * is kept whole (its members are that tightly linked). Community numbers stay dense. */
static int split_large(struct context_network *n, size_t np, const int *from, const int *to,
                       const double *w, struct svp_err *err)
{
    size_t ng = n->ng;
    int *size = svp_calloc(ng + 1, sizeof *size), *local = svp_malloc((ng + 1) * sizeof *local);
    int *lf = svp_malloc((np + 1) * sizeof *lf), *lt = svp_malloc((np + 1) * sizeof *lt);
    int *memb = svp_malloc((ng + 1) * sizeof *memb), *nodes = svp_malloc((ng + 1) * sizeof *nodes);
    double *lw = svp_malloc((np + 1) * sizeof *lw);
    int rc = 0;
    if (!size || !local || !lf || !lt || !memb || !nodes || !lw)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    int ncomm = 0;
    for (size_t i = 0; !rc && i < ng; i++)
        if (n->community[i] + 1 > ncomm)
            ncomm = n->community[i] + 1;
    double res = n->resolution;
    for (int pass = 0; !rc && pass < 6; pass++) {
        res *= 2;
        memset(size, 0, (ng + 1) * sizeof *size);
        for (size_t i = 0; i < ng; i++)
            size[n->community[i]]++;
        bool any = false;
        for (int c = 0, nc = ncomm; !rc && c < nc; c++) {
            if (size[c] <= n->max_group)
                continue;
            size_t nn = 0, ne = 0;
            for (size_t i = 0; i < ng; i++) {
                local[i] = n->community[i] == c ? (int)nn : -1;
                if (local[i] >= 0)
                    nodes[nn++] = (int)i;
            }
            for (size_t e = 0; e < np; e++)
                if (local[from[e]] >= 0 && local[to[e]] >= 0) {
                    lf[ne] = local[from[e]];
                    lt[ne] = local[to[e]];
                    lw[ne++] = w[e];
                }
            double mod;
            rc = context_communities(nn, ne, lf, lt, lw, res, memb, &mod, err);
            for (size_t k = 0; !rc && k < nn; k++)
                if (memb[k] > 0) {
                    n->community[nodes[k]] = ncomm + memb[k] - 1;
                    any = true;
                }
            int mx = 0;
            for (size_t k = 0; !rc && k < nn; k++)
                if (memb[k] > mx)
                    mx = memb[k];
            ncomm += mx;
        }
        if (!any)
            break;
    }
    svp_free(size);
    svp_free(local);
    svp_free(lf);
    svp_free(lt);
    svp_free(memb);
    svp_free(nodes);
    svp_free(lw);
    return rc;
}

/* The weight an edge carries between peers: its peer kinds' weights, 0 when it carries
 * family, household or domestic abuse evidence, and 0 when missing together is all it has. */
static double peer_link_weight(const struct edge *e)
{
    if (ctx_edge_is_household(e))
        return 0;
    double w = 0;
    bool other = false;
    for (int k = 0; k < CONTEXT_LINK_KINDS; k++)
        if (e->count[k] && context_link_kind_is_peer((enum context_link_kind)k)) {
            w += link_kinds[k].weight * e->count[k];
            other |= k != CONTEXT_LINK_MISSING_TOGETHER;
        }
    return other ? w : 0;
}

struct adult_link {
    int adult, community;
    double weight;
};

static int cmp_adult_link(const void *a, const void *b)
{
    const struct adult_link *x = a, *y = b;
    if (x->adult != y->adult)
        return x->adult < y->adult ? -1 : 1;
    return x->community < y->community ? -1 : x->community > y->community;
}

/* Attaches each adult to the community of children the adult's peer links weigh most with
 * (a community with two or more children: a peer group to be); an adult with no such link
 * stays alone. Community numbers are made dense again afterwards. */
static int attach_adults(struct context_network *n, struct svp_err *err)
{
    const struct context_data *d = n->d;
    size_t ng = n->ng;
    int ncomm = 0;
    for (size_t i = 0; i < ng; i++)
        if (n->community[i] + 1 > ncomm)
            ncomm = n->community[i] + 1;
    int *kids = svp_calloc((size_t)ncomm + 1, sizeof *kids);
    int *renum = svp_malloc(((size_t)ncomm + 1) * sizeof *renum);
    int *best = svp_malloc((ng + 1) * sizeof *best);
    double *bw = svp_calloc(ng + 1, sizeof *bw);
    if (!kids || !renum || !best || !bw) {
        svp_free(kids);
        svp_free(renum);
        svp_free(best);
        svp_free(bw);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ng; i++) {
        best[i] = -1;
        if (d->nodes[n->gnode[i]].role == 'c')
            kids[n->community[i]]++;
    }
    /* an adult's weight with each community: (adult, community, weight) for every peer
     * link of an adult to a child of a community with two or more children, sorted so that
     * each adult's links to one community are adjacent, then summed */
    size_t nt = 0;
    struct adult_link *t = svp_malloc((n->nedges + 1) * sizeof *t);
    if (!t) {
        svp_free(kids);
        svp_free(renum);
        svp_free(best);
        svp_free(bw);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n->nedges; i++) {
        const struct edge *e = &n->edges[i];
        int ad = d->nodes[e->a].role == 'a' ? e->a : e->b, ch = ad == e->a ? e->b : e->a;
        if (e->peer_weight <= 0 || d->nodes[ad].role != 'a' || d->nodes[ch].role == 'a')
            continue;
        int c = n->community[n->gindex[ch]];
        if (kids[c] >= 2)
            t[nt++] = (struct adult_link){n->gindex[ad], c, e->peer_weight};
    }
    qsort(t, nt, sizeof *t, cmp_adult_link);
    for (size_t i = 0; i < nt;) {
        size_t j = i;
        double sum = 0;
        while (j < nt && t[j].adult == t[i].adult && t[j].community == t[i].community)
            sum += t[j++].weight;
        if (sum > bw[t[i].adult]) { /* ties: the lower community number, seen first */
            bw[t[i].adult] = sum;
            best[t[i].adult] = t[i].community;
        }
        i = j;
    }
    svp_free(t);
    for (size_t i = 0; i < ng; i++)
        if (best[i] >= 0)
            n->community[i] = best[i];
    for (int c = 0; c < ncomm; c++)
        renum[c] = -1;
    int next = 0;
    for (size_t i = 0; i < ng; i++) {
        int c = n->community[i];
        if (renum[c] < 0)
            renum[c] = next++;
        n->community[i] = renum[c];
    }
    svp_free(kids);
    svp_free(renum);
    svp_free(best);
    svp_free(bw);
    return 0;
}

static int analyse(struct context_network *n, struct svp_err *err)
{
    const struct context_data *d = n->d;
    n->gindex = svp_malloc((d->nnodes + 1) * sizeof *n->gindex);
    n->gnode = svp_malloc((d->nnodes + 1) * sizeof *n->gnode);
    if (!n->gindex || !n->gnode)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->nnodes; i++)
        n->gindex[i] = -1;
    for (size_t i = 0; i < n->nedges; i++) {
        int ends[2] = {n->edges[i].a, n->edges[i].b};
        for (int k = 0; k < 2; k++)
            if (n->gindex[ends[k]] < 0) {
                n->gindex[ends[k]] = (int)n->ng;
                n->gnode[n->ng++] = ends[k];
            }
    }
    size_t g = n->ng ? n->ng : 1, m = n->nedges ? n->nedges : 1;
    int *from = svp_malloc(m * sizeof *from), *to = svp_malloc(m * sizeof *to);
    double *w = svp_malloc(m * sizeof *w);
    n->community = svp_calloc(g, sizeof *n->community);
    n->group = svp_calloc(g, sizeof *n->group);
    n->betweenness = svp_calloc(g, sizeof *n->betweenness);
    n->strength = svp_calloc(g, sizeof *n->strength);
    n->degree = svp_calloc(g, sizeof *n->degree);
    n->perp = svp_calloc(g, sizeof *n->perp);
    n->perp_children = svp_calloc(g, sizeof *n->perp_children);
    int rc = 0;
    if (!from || !to || !w || !n->community || !n->group || !n->betweenness || !n->strength ||
        !n->degree || !n->perp || !n->perp_children)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n->nedges; i++) {
        from[i] = n->gindex[n->edges[i].a];
        to[i] = n->gindex[n->edges[i].b];
        w[i] = n->edges[i].weight;
        n->degree[from[i]]++;
        n->degree[to[i]]++;
    }
    if (!rc && n->nedges)
        rc = ctx_centrality(n, from, to, w, err);
    /* Peer groups are children linked to children (docs/contexts.md "Peer groups"):
     * communities are found on child-child peer links only, and the adults around a group
     * are attached to it afterwards. An edge carrying family, household or domestic abuse
     * evidence is never a peer link; missing at about the same time from one area only
     * corroborates another peer link (alone it is a coincidence of timing, not being
     * together); a child whose only peer links are to adults is not pulled into a group by
     * them (a brother or sister co-involved with the same adults at the family home). */
    size_t np = 0;
    for (size_t i = 0; !rc && i < n->nedges; i++) {
        struct edge *e = &n->edges[i];
        e->peer_weight = peer_link_weight(e);
        if (e->peer_weight > 0 && d->nodes[e->a].role != 'a' && d->nodes[e->b].role != 'a') {
            from[np] = n->gindex[e->a];
            to[np] = n->gindex[e->b];
            w[np++] = e->peer_weight;
        }
    }
    if (!rc && n->ng)
        rc = context_communities(n->ng, np, from, to, w, n->resolution, n->community,
                                 &n->modularity, err);
    if (!rc && np && n->max_group > 0)
        rc = split_large(n, np, from, to, w, err);
    if (!rc && n->ng)
        rc = attach_adults(n, err);
    struct comm *cs = NULL;
    if (!rc && n->ng) {
        cs = svp_calloc(n->ng, sizeof *cs);
        if (!cs)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (!rc && n->ng) {
        for (size_t i = 0; i < n->ng; i++) {
            int c = n->community[i];
            cs[c].id = c;
            cs[c].size++;
            if ((size_t)c + 1 > n->ncommunities)
                n->ncommunities = (size_t)c + 1;
            if (d->nodes[n->gnode[i]].role == 'c')
                cs[c].children++;
        }
        qsort(cs, n->ncommunities, sizeof *cs, cmp_comm);
        /* a peer group is a community with two or more children held together by more
         * than family or a shared address (otherwise it is a household) */
        int *num = svp_calloc(n->ncommunities, sizeof *num);
        bool *peer = svp_calloc(n->ncommunities, sizeof *peer);
        if (!num || !peer)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < n->nedges; i++) {
            int ca = n->community[n->gindex[n->edges[i].a]];
            if (ca == n->community[n->gindex[n->edges[i].b]] && n->edges[i].peer_weight > 0)
                peer[ca] = true;
        }
        for (size_t i = 0; !rc && i < n->ncommunities; i++)
            if (cs[i].children >= 2 && peer[cs[i].id])
                num[cs[i].id] = (int)++n->ngroups;
        for (size_t i = 0; !rc && i < n->ng; i++)
            n->group[i] = num[n->community[i]];
        svp_free(num);
        svp_free(peer);
    }
    /* possible perpetrators: adults linked to min_children or more children at risk outside
     * their own family and household (a link carrying family, household or domestic abuse
     * evidence does not count); an adult linked so to a child at risk within the family is
     * listed apart, as intra-familial */
    bool *intra = n->ng ? svp_calloc(n->ng, sizeof *intra) : NULL;
    if (!rc && n->ng && !intra)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n->nedges; i++) {
        const struct edge *e = &n->edges[i];
        const struct ctx_node *na = &d->nodes[e->a], *nb = &d->nodes[e->b];
        int adult = na->role == 'a' && nb->role == 'c' && nb->at_risk   ? e->a
                    : nb->role == 'a' && na->role == 'c' && na->at_risk ? e->b
                                                                         : -1;
        if (adult < 0)
            continue;
        if (!ctx_edge_is_household(e))
            n->perp_children[n->gindex[adult]]++;
        else if (e->count[CONTEXT_LINK_PERPETRATOR] || e->count[CONTEXT_LINK_DA] ||
                 e->count[CONTEXT_LINK_SAME_INCIDENT] || e->count[CONTEXT_LINK_CO_OFFENDING] ||
                 e->count[CONTEXT_LINK_ASSOCIATE] || e->count[CONTEXT_LINK_FOUND_TOGETHER])
            intra[n->gindex[adult]] = true;
    }
    if (!rc && n->ng) {
        n->intra = svp_calloc(n->ng, sizeof *n->intra);
        if (!n->intra)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < n->ng; i++)
            if (intra[i] && n->perp_children[i] < n->min_children)
                n->intra[n->nintra++] = (int)i;
    }
    svp_free(intra);
    for (size_t i = 0; !rc && i < n->ng; i++)
        if (n->perp_children[i] >= n->min_children)
            n->perp[n->nperp++] = (int)i;
    /* most children first, then the most central */
    for (size_t i = 1; i < n->nperp; i++)
        for (size_t j = i; j > 0; j--) {
            int a = n->perp[j - 1], b = n->perp[j];
            bool swap = n->perp_children[b] > n->perp_children[a] ||
                        (n->perp_children[b] == n->perp_children[a] &&
                         n->betweenness[b] > n->betweenness[a]);
            if (!swap)
                break;
            n->perp[j - 1] = b;
            n->perp[j] = a;
        }
    svp_free(cs);
    svp_free(from);
    svp_free(to);
    svp_free(w);
    if (!rc) {
        if (d->nnodes == 0)
            snprintf(n->empty_reason, sizeof n->empty_reason, "no persons are recorded");
        else if (n->nedges == 0)
            snprintf(n->empty_reason, sizeof n->empty_reason,
                     "no links between the %zu persons recorded: none missing, found or "
                     "involved together, no shared address, no recorded associates",
                     d->nnodes);
        else if (n->ngroups == 0)
            snprintf(n->empty_reason, sizeof n->empty_reason,
                     "%zu links between %zu persons, but no community holds two or more "
                     "children",
                     n->nedges, n->ng);
    }
    return rc;
}

int context_network_build(const struct context_data *d, const struct context_network_opts *o,
                          struct context_network **out, struct svp_err *err)
{
    *out = NULL;
    if (o->min_children < 0 || o->min_children > 1000)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "min-children",
                          "must be a number of children from 1 to 1000");
    if (o->max_group < 0 || o->max_group > 100000)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "max-group",
                          "must be a number of members from 2 to 100000");
    struct context_network *n = svp_calloc(1, sizeof *n);
    if (!n)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    n->d = d;
    n->min_children = o->min_children > 0 ? o->min_children : 2;
    n->resolution = o->resolution > 0 ? o->resolution : DEFAULT_RESOLUTION;
    n->max_group = o->max_group > 0 ? o->max_group : DEFAULT_MAX_GROUP;
    n->store = o->store;
    n->save_centrality = o->store && o->save_centrality;
    int rc = build_edges(n, o->since, err);
    if (!rc)
        rc = analyse(n, err);
    if (rc) {
        context_network_free(&n);
        return rc;
    }
    *out = n;
    return 0;
}

void context_network_free(struct context_network **np)
{
    if (!np || !*np)
        return;
    struct context_network *n = *np;
    svp_free(n->edges);
    svp_free(n->slots);
    svp_free(n->gnode);
    svp_free(n->gindex);
    svp_free(n->community);
    svp_free(n->group);
    svp_free(n->betweenness);
    svp_free(n->strength);
    svp_free(n->degree);
    svp_free(n->perp);
    svp_free(n->perp_children);
    svp_free(n->intra);
    svp_free(n);
    *np = NULL;
}

void context_network_stats(const struct context_network *n, struct context_network_stats *st)
{
    st->nodes = n->d->nnodes;
    st->edges = n->nedges;
    st->isolated = n->d->nnodes - n->ng;
    st->communities = n->ncommunities;
    st->groups = n->ngroups;
    st->perpetrators = n->nperp;
    st->modularity = n->modularity;
}

const char *context_network_empty_reason(const struct context_network *n)
{
    return n->empty_reason;
}
