/* Networks: a weighted graph of children and adults from co-occurrence, its communities
 * (igraph multilevel, i.e. Louvain) and centrality (igraph betweenness and strength), and
 * the adults linked to several children at risk (possible perpetrators).
 *
 * Each co-occurrence adds its kind's weight to the edge between two persons (see
 * enum context_link_kind). The links are evidence for a human to weigh, not findings: every
 * edge keeps the events and relationships behind it so the panel can read them. */
#include "context_int.h"

#include <igraph/igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EVIDENCE_MAX 6
#define ADDRESS_GROUP_MAX 40 /* a shared address with more persons is a hostel or a block */
#define DAY_SECONDS 86400
#define DEFAULT_RESOLUTION 1.0

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
};

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

struct evidence {
    unsigned char kind;
    int64_t event_id; /* 0 if none */
    int64_t rel_id;   /* 0 if none */
};

struct edge {
    int a, b; /* data node indices, a < b */
    double weight;
    int count[CONTEXT_LINK_KINDS];
    size_t nev;
    struct evidence ev[EVIDENCE_MAX];
};

struct context_network {
    const struct context_data *d;
    struct edge *edges;
    size_t nedges, cap;
    size_t *slots; /* open-addressing hash of (a, b) -> edge index + 1 */
    size_t nslots;
    /* graph nodes: data nodes with at least one edge */
    int *gnode;  /* graph index -> data node */
    int *gindex; /* data node -> graph index or -1 */
    size_t ng;
    int *community;
    int *group; /* graph index -> group number (1-based) or 0 */
    double *betweenness, *strength;
    int *degree;
    size_t ncommunities, ngroups;
    int *perp; /* graph indices of possible perpetrators, most children first */
    size_t nperp;
    int *perp_children;
    double modularity;
    int min_children;
    double resolution;
    char empty_reason[256];
};

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
                    int64_t event_id, int64_t rel_id)
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
        e->ev[e->nev++] = (struct evidence){(unsigned char)k, event_id, rel_id};
    return 0;
}

static int rel_kind(const char *k)
{
    static const struct {
        const char *name;
        enum context_link_kind kind;
    } map[] = {{"found_with", CONTEXT_LINK_FOUND_TOGETHER},
               {"household_member", CONTEXT_LINK_SAME_ADDRESS},
               {"parent", CONTEXT_LINK_FAMILY},
               {"sibling", CONTEXT_LINK_FAMILY},
               {"associate", CONTEXT_LINK_ASSOCIATE},
               {"co_involved", CONTEXT_LINK_SAME_INCIDENT},
               {"co_offender", CONTEXT_LINK_SAME_INCIDENT},
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
            if (add_link(n, v[i].e->node, v[j].e->node, k, v[j].e->id, 0))
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
 * public order event, not a group, and is left out. */
static int pair_same_ref(struct context_network *n, struct pt_ev *v, size_t nv)
{
    qsort(v, nv, sizeof *v, cmp_ref);
    for (size_t i = 0; i < nv;) {
        size_t j = i;
        while (j < nv && !strcmp(v[j].e->occurrence_ref, v[i].e->occurrence_ref))
            j++;
        for (size_t x = i; j - i <= 30 && x < j; x++)
            for (size_t y = x + 1; y < j; y++)
                if (add_link(n, v[x].e->node, v[y].e->node, CONTEXT_LINK_SAME_INCIDENT, v[y].e->id,
                             0))
                    return SVP_ENOMEM;
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
        int k = rel_kind(d->rels[i].kind);
        if (k < 0)
            continue;
        if (add_link(n, d->records[d->rels[i].a].node, d->records[d->rels[i].b].node, k,
                     d->rels[i].event_id, d->rels[i].id))
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
        rc = pair_close(n, v, nv, DAY_SECONDS, CONTEXT_LINK_FOUND_TOGETHER);
    /* one police occurrence (everyone involved shares its reference) */
    nv = 0;
    for (size_t i = 0; !rc && i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (CTX_IS_POLICE(e->type) && e->occurrence_ref && e->node >= 0 && e->day >= since)
            v[nv++] = (struct pt_ev){0, 0, e};
    }
    if (!rc)
        rc = pair_same_ref(n, v, nv);
    /* without a reference: police events at one place on one day */
    nv = 0;
    for (size_t i = 0; !rc && i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (CTX_IS_POLICE(e->type) && !e->occurrence_ref && e->place >= 0 && e->node >= 0 &&
            e->day >= since)
            v[nv++] = (struct pt_ev){e->place, (svp_time)e->day * DAY_SECONDS, e};
    }
    if (!rc)
        rc = pair_close(n, v, nv, 0, CONTEXT_LINK_SAME_INCIDENT);
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
                        rc = add_link(n, ar[x].node, ar[y].node, CONTEXT_LINK_SAME_ADDRESS, 0, 0);
        i = j;
    }
    svp_free(v);
    svp_free(ar);
    if (rc)
        return svp_err_set(err, SVP_ENOMEM, "out of memory building the network");
    return 0;
}

static bool edge_is_family_only(const struct edge *e)
{
    for (int k = 0; k < CONTEXT_LINK_KINDS; k++)
        if (e->count[k] && k != CONTEXT_LINK_FAMILY && k != CONTEXT_LINK_SAME_ADDRESS)
            return false;
    return true;
}

static int igraph_fail(igraph_error_t e, struct svp_err *err)
{
    if (e == IGRAPH_ENOMEM)
        return svp_err_set(err, SVP_ENOMEM, "out of memory in igraph");
    return svp_err_set(err, SVP_EINTERNAL, "igraph: %s", igraph_strerror(e));
}

/* betweenness (unweighted: the number of shortest chains of association through a person)
 * and strength (the sum of edge weights) with igraph */
static int centrality(struct context_network *n, const int *from, const int *to, const double *w,
                      struct svp_err *err)
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
            e = igraph_betweenness(&g, &res, igraph_vss_all(), IGRAPH_UNDIRECTED, NULL);
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
        rc = context_communities(n->ng, n->nedges, from, to, w, n->resolution, n->community,
                                 &n->modularity, err);
    if (!rc && n->nedges)
        rc = centrality(n, from, to, w, err);
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
            if (ca == n->community[n->gindex[n->edges[i].b]] && !edge_is_family_only(&n->edges[i]))
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
    /* possible perpetrators: adults linked, other than as family or by address, to
     * min_children or more children at risk */
    for (size_t i = 0; !rc && i < n->nedges; i++) {
        const struct edge *e = &n->edges[i];
        if (edge_is_family_only(e))
            continue;
        const struct ctx_node *na = &d->nodes[e->a], *nb = &d->nodes[e->b];
        if (na->role == 'a' && nb->role == 'c' && nb->at_risk)
            n->perp_children[n->gindex[e->a]]++;
        if (nb->role == 'a' && na->role == 'c' && na->at_risk)
            n->perp_children[n->gindex[e->b]]++;
    }
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
    struct context_network *n = svp_calloc(1, sizeof *n);
    if (!n)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    n->d = d;
    n->min_children = o->min_children > 0 ? o->min_children : 2;
    n->resolution = o->resolution > 0 ? o->resolution : DEFAULT_RESOLUTION;
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

static const char *role_name(char r)
{
    return r == 'c' ? "child" : r == 'a' ? "adult" : "unknown";
}

static void kinds_text(const struct edge *e, char *buf, size_t cap)
{
    size_t l = 0;
    buf[0] = '\0';
    for (int k = 0; k < CONTEXT_LINK_KINDS && l < cap; k++)
        if (e->count[k])
            l += (size_t)snprintf(buf + l, cap - l, "%s%s x%d", l ? ", " : "", link_kinds[k].name,
                                  e->count[k]);
}

static void evidence_text(const struct edge *e, char *buf, size_t cap)
{
    size_t l = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < e->nev && l < cap; i++) {
        if (e->ev[i].rel_id)
            l += (size_t)snprintf(buf + l, cap - l, "%srelationship %lld", l ? ", " : "",
                                  (long long)e->ev[i].rel_id);
        else if (e->ev[i].event_id)
            l += (size_t)snprintf(buf + l, cap - l, "%sevent %lld", l ? ", " : "",
                                  (long long)e->ev[i].event_id);
    }
}

void context_perpetrators_print(const struct context_network *n, FILE *f)
{
    const struct context_data *d = n->d;
    if (n->nperp == 0) {
        fprintf(f,
                "no possible perpetrators: no adult is linked to %d or more children at risk "
                "(%zu links in the network)\n",
                n->min_children, n->nedges);
        return;
    }
    fprintf(f, "possible perpetrators: adults linked to %d or more children at risk (%zu)\n",
            n->min_children, n->nperp);
    fputs("These are links for a person to weigh, not findings.\n", f);
    for (size_t i = 0; i < n->nperp; i++) {
        int g = n->perp[i], node = n->gnode[g];
        char lab[32];
        ctx_node_label(&d->nodes[node], lab, sizeof lab);
        fprintf(f, "\n%s %s: %d children at risk, betweenness %.1f, group %d\n", lab,
                d->nodes[node].name ? d->nodes[node].name : "", n->perp_children[g],
                n->betweenness[g], n->group[g]);
        for (size_t e = 0; e < n->nedges; e++) {
            const struct edge *ed = &n->edges[e];
            int other = ed->a == node ? ed->b : ed->b == node ? ed->a : -1;
            if (other < 0 || d->nodes[other].role != 'c')
                continue;
            char olab[32], kinds[160], evid[200];
            ctx_node_label(&d->nodes[other], olab, sizeof olab);
            kinds_text(ed, kinds, sizeof kinds);
            evidence_text(ed, evid, sizeof evid);
            fprintf(f, "  - %s %s%s: %s (%s)\n", olab,
                    d->nodes[other].name ? d->nodes[other].name : "",
                    d->nodes[other].at_risk ? " [at risk]" : "", kinds, evid);
        }
    }
}

void context_perpetrators_each(const struct context_network *n,
                               void (*fn)(void *arg, int64_t person_id, int64_t record_id,
                                          size_t children),
                               void *arg)
{
    for (size_t i = 0; i < n->nperp; i++) {
        const struct ctx_node *nd = &n->d->nodes[n->gnode[n->perp[i]]];
        fn(arg, nd->person_id, nd->record_id, (size_t)n->perp_children[n->perp[i]]);
    }
}

void context_groups_each(const struct context_network *n,
                         void (*fn)(void *arg, int group, int64_t person_id, int64_t record_id),
                         void *arg)
{
    for (size_t i = 0; i < n->ng; i++)
        if (n->group[i]) {
            const struct ctx_node *nd = &n->d->nodes[n->gnode[i]];
            fn(arg, n->group[i], nd->person_id, nd->record_id);
        }
}

struct place_count {
    int place;
    long events;
    long members;
};

/* Shared places and the timeline of one group: events of its members. */
static void group_detail(const struct context_network *n, int grp, size_t limit, FILE *f)
{
    const struct context_data *d = n->d;
    long *events = svp_calloc(d->nplaces + 1, sizeof *events);
    long *members = svp_calloc(d->nplaces + 1, sizeof *members);
    uint64_t *pairs = svp_malloc((2 * d->nevents + 1) * sizeof *pairs);
    if (!events || !members || !pairs) {
        svp_free(events);
        svp_free(members);
        svp_free(pairs);
        fputs("  (out of memory listing places)\n", f);
        return;
    }
    size_t shown = 0, npairs = 0;
    fputs("  timeline:\n", f);
    for (size_t i = 0; i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (e->node < 0 || n->gindex[e->node] < 0 || n->group[n->gindex[e->node]] != grp)
            continue;
        int places[2] = {e->place, e->found_place};
        for (int k = 0; k < 2; k++)
            if (places[k] >= 0) {
                events[places[k]]++;
                pairs[npairs++] = (uint64_t)places[k] << 32 | (uint32_t)e->node;
            }
        if (e->type == CTX_T_OTHER || shown >= limit)
            continue;
        char day[16], lab[32];
        svp_date_format(e->day, day, sizeof day);
        ctx_node_label(&d->nodes[e->node], lab, sizeof lab);
        const char *pn = e->place >= 0 && d->places[e->place].name ? d->places[e->place].name : "";
        fprintf(f, "    %s %-8s %s%s%s%s%s\n", day, lab, e->type_name, e->subtype ? " " : "",
                e->subtype ? e->subtype : "", *pn ? " at " : "", pn);
        shown++;
    }
    ctx_count_distinct(pairs, npairs, members, d->nplaces);
    fputs("  shared places (events of two or more members):\n", f);
    size_t np = 0;
    for (size_t p = 0; p < d->nplaces; p++)
        if (members[p] >= 2) {
            fprintf(f, "    %s (%s, place %lld): %ld events, %ld members\n",
                    d->places[p].name ? d->places[p].name : "(unnamed)",
                    d->places[p].area ? d->places[p].area : "no area", (long long)d->places[p].id,
                    events[p], members[p]);
            np++;
        }
    if (!np)
        fputs("    none\n", f);
    svp_free(events);
    svp_free(members);
    svp_free(pairs);
}

static void group_members(const struct context_network *n, int grp, FILE *f)
{
    const struct context_data *d = n->d;
    for (size_t i = 0; i < n->ng; i++) {
        if (n->group[i] != grp)
            continue;
        const struct ctx_node *nd = &d->nodes[n->gnode[i]];
        char lab[32], risk[80];
        ctx_node_label(nd, lab, sizeof lab);
        ctx_node_risk_text(nd, risk, sizeof risk);
        fprintf(f, "    %-8s %-5s %-24s %-18s degree %d, strength %.0f, betweenness %.1f%s%s\n",
                lab, role_name(nd->role), nd->name ? nd->name : "", nd->area ? nd->area : "",
                n->degree[i], n->strength[i], n->betweenness[i], risk,
                n->perp_children[i] >= n->min_children ? ", POSSIBLE PERPETRATOR" : "");
    }
}

static size_t group_size(const struct context_network *n, int grp, size_t *children)
{
    size_t s = 0;
    *children = 0;
    for (size_t i = 0; i < n->ng; i++)
        if (n->group[i] == grp) {
            s++;
            *children += n->d->nodes[n->gnode[i]].role == 'c';
        }
    return s;
}

void context_groups_print(const struct context_network *n, const struct context_data *d,
                          size_t limit, FILE *f)
{
    (void)d;
    struct context_network_stats st;
    context_network_stats(n, &st);
    fprintf(f,
            "network: %zu persons (%zu with no links), %zu links, %zu communities, "
            "modularity %.3f\n",
            st.nodes, st.isolated, st.edges, st.communities, st.modularity);
    if (n->ngroups == 0) {
        fprintf(f, "no peer groups: %s\n", n->empty_reason);
        return;
    }
    fprintf(f, "peer groups (communities with two or more children): %zu\n", n->ngroups);
    for (int g = 1; g <= (int)n->ngroups && (size_t)g <= limit; g++) {
        size_t ch, sz = group_size(n, g, &ch);
        fprintf(f, "\ngroup %d: %zu members (%zu children, %zu adults or unknown)\n", g, sz, ch,
                sz - ch);
        fputs("  members:\n", f);
        group_members(n, g, f);
        group_detail(n, g, 12, f);
    }
}

int ctx_group_profile(const struct context_network *n, int grp, FILE *f)
{
    if (grp < 1 || (size_t)grp > n->ngroups)
        return SVP_ENOTFOUND;
    size_t ch, sz = group_size(n, grp, &ch);
    fprintf(f, "peer group %d: %zu members, %zu children\n\nmembers:\n", grp, sz, ch);
    group_members(n, grp, f);
    fputs("\nlinks inside the group:\n", f);
    const struct context_data *d = n->d;
    for (size_t e = 0; e < n->nedges; e++) {
        const struct edge *ed = &n->edges[e];
        if (n->group[n->gindex[ed->a]] != grp || n->group[n->gindex[ed->b]] != grp)
            continue;
        char la[32], lb[32], kinds[160], evid[200];
        ctx_node_label(&d->nodes[ed->a], la, sizeof la);
        ctx_node_label(&d->nodes[ed->b], lb, sizeof lb);
        kinds_text(ed, kinds, sizeof kinds);
        evidence_text(ed, evid, sizeof evid);
        fprintf(f, "  %s - %s: %s (%s)\n", la, lb, kinds, evid);
    }
    fputs("\nlinked adults outside the group:\n", f);
    size_t shown = 0;
    for (size_t e = 0; e < n->nedges; e++) {
        const struct edge *ed = &n->edges[e];
        int ga = n->group[n->gindex[ed->a]], gb = n->group[n->gindex[ed->b]];
        int outside = ga == grp && gb != grp ? ed->b : gb == grp && ga != grp ? ed->a : -1;
        if (outside < 0 || d->nodes[outside].role != 'a')
            continue;
        char lab[32], kinds[160];
        ctx_node_label(&d->nodes[outside], lab, sizeof lab);
        kinds_text(ed, kinds, sizeof kinds);
        fprintf(f, "  %s %s: %s\n", lab, d->nodes[outside].name ? d->nodes[outside].name : "",
                kinds);
        shown++;
    }
    if (!shown)
        fputs("  none\n", f);
    fputc('\n', f);
    group_detail(n, grp, 40, f);
    ctx_scores_note(d, f);
    return 0;
}

json_t *context_network_json(const struct context_network *n)
{
    const struct context_data *d = n->d;
    json_t *nodes = json_array(), *edges = json_array(), *comms = json_array(),
           *perps = json_array();
    struct context_network_stats st;
    context_network_stats(n, &st);
    json_t *o = json_pack(
        "{s:o,s:o,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:f},s:o}", "nodes", nodes, "edges", edges,
        "communities", comms, "perpetrators", perps, "stats", "persons", (json_int_t)st.nodes,
        "links", (json_int_t)st.edges, "isolated", (json_int_t)st.isolated, "communities",
        (json_int_t)st.communities, "groups", (json_int_t)st.groups, "perpetrators",
        (json_int_t)st.perpetrators, "modularity", st.modularity, "empty_reason",
        *n->empty_reason ? json_string(n->empty_reason) : json_null());
    if (!o)
        return NULL;
    for (size_t i = 0; i < n->ng; i++) {
        const struct ctx_node *nd = &d->nodes[n->gnode[i]];
        char lab[32];
        ctx_node_label(nd, lab, sizeof lab);
        json_t *j = json_pack(
            "{s:I,s:s,s:I,s:I,s:s,s:b,s:o,s:o,s:i,s:o,s:i,s:f,s:f,s:b}", "id", (json_int_t)i, "key",
            lab, "person_id", (json_int_t)nd->person_id, "record_id", (json_int_t)nd->record_id,
            "role", role_name(nd->role), "at_risk", nd->at_risk, "name",
            nd->name ? json_string(nd->name) : json_null(), "area",
            nd->area ? json_string(nd->area) : json_null(), "community", n->community[i], "group",
            n->group[i] ? json_integer(n->group[i]) : json_null(), "degree", n->degree[i],
            "strength", n->strength[i], "betweenness", n->betweenness[i], "possible_perpetrator",
            n->perp_children[i] >= n->min_children);
        if (j) {
            json_object_set_new(j, "score", nd->scored ? json_real(nd->score) : json_null());
            json_object_set_new(j, "band", nd->scored ? json_string(nd->band) : json_null());
        }
        json_array_append_new(nodes, j);
    }
    for (size_t i = 0; i < n->nedges; i++) {
        const struct edge *e = &n->edges[i];
        json_t *kinds = json_object(), *ev = json_array();
        for (int k = 0; k < CONTEXT_LINK_KINDS; k++)
            if (e->count[k])
                json_object_set_new(kinds, link_kinds[k].name, json_integer(e->count[k]));
        for (size_t k = 0; k < e->nev; k++)
            json_array_append_new(
                ev, json_pack("{s:s,s:o,s:o}", "kind", link_kinds[e->ev[k].kind].name, "event_id",
                              e->ev[k].event_id ? json_integer(e->ev[k].event_id) : json_null(),
                              "relationship_id",
                              e->ev[k].rel_id ? json_integer(e->ev[k].rel_id) : json_null()));
        json_array_append_new(edges, json_pack("{s:i,s:i,s:f,s:o,s:o}", "source", n->gindex[e->a],
                                               "target", n->gindex[e->b], "weight", e->weight,
                                               "kinds", kinds, "evidence", ev));
    }
    for (size_t c = 0; c < n->ncommunities; c++) {
        json_t *mem = json_array();
        size_t ch = 0;
        int grp = 0;
        for (size_t i = 0; i < n->ng; i++)
            if ((size_t)n->community[i] == c) {
                json_array_append_new(mem, json_integer((json_int_t)i));
                ch += d->nodes[n->gnode[i]].role == 'c';
                grp = n->group[i];
            }
        json_array_append_new(comms, json_pack("{s:I,s:o,s:I,s:o}", "id", (json_int_t)c, "group",
                                               grp ? json_integer(grp) : json_null(), "children",
                                               (json_int_t)ch, "members", mem));
    }
    for (size_t i = 0; i < n->nperp; i++) {
        int g = n->perp[i], node = n->gnode[g];
        json_t *links = json_array();
        for (size_t e = 0; e < n->nedges; e++) {
            const struct edge *ed = &n->edges[e];
            int other = ed->a == node ? ed->b : ed->b == node ? ed->a : -1;
            if (other >= 0 && d->nodes[other].role == 'c' && !edge_is_family_only(ed))
                json_array_append_new(links, json_pack("{s:i,s:b,s:I}", "child", n->gindex[other],
                                                       "at_risk", d->nodes[other].at_risk, "edge",
                                                       (json_int_t)e));
        }
        json_array_append_new(perps, json_pack("{s:i,s:i,s:o}", "node", g, "children",
                                               n->perp_children[g], "links", links));
    }
    return o;
}

static void xml_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

int context_network_graphml(const struct context_network *n, FILE *f, struct svp_err *err)
{
    const struct context_data *d = n->d;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
          "  <key id=\"role\" for=\"node\" attr.name=\"role\" attr.type=\"string\"/>\n"
          "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
          "  <key id=\"at_risk\" for=\"node\" attr.name=\"at_risk\" attr.type=\"boolean\"/>\n"
          "  <key id=\"community\" for=\"node\" attr.name=\"community\" attr.type=\"int\"/>\n"
          "  <key id=\"group\" for=\"node\" attr.name=\"group\" attr.type=\"int\"/>\n"
          "  <key id=\"betweenness\" for=\"node\" attr.name=\"betweenness\" "
          "attr.type=\"double\"/>\n"
          "  <key id=\"perpetrator\" for=\"node\" attr.name=\"possible_perpetrator\" "
          "attr.type=\"boolean\"/>\n"
          "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
          "  <key id=\"kinds\" for=\"edge\" attr.name=\"kinds\" attr.type=\"string\"/>\n"
          "  <graph id=\"svp-context\" edgedefault=\"undirected\">\n",
          f);
    for (size_t i = 0; i < n->ng; i++) {
        const struct ctx_node *nd = &d->nodes[n->gnode[i]];
        char lab[32];
        ctx_node_label(nd, lab, sizeof lab);
        fprintf(f, "    <node id=\"%s\"><data key=\"role\">%s</data><data key=\"name\">", lab,
                role_name(nd->role));
        xml_text(f, nd->name);
        fprintf(f,
                "</data><data key=\"at_risk\">%s</data><data key=\"community\">%d</data>"
                "<data key=\"group\">%d</data><data key=\"betweenness\">%.3f</data>"
                "<data key=\"perpetrator\">%s</data></node>\n",
                nd->at_risk ? "true" : "false", n->community[i], n->group[i], n->betweenness[i],
                n->perp_children[i] >= n->min_children ? "true" : "false");
    }
    for (size_t i = 0; i < n->nedges; i++) {
        const struct edge *e = &n->edges[i];
        char la[32], lb[32], kinds[160];
        ctx_node_label(&d->nodes[e->a], la, sizeof la);
        ctx_node_label(&d->nodes[e->b], lb, sizeof lb);
        kinds_text(e, kinds, sizeof kinds);
        fprintf(f,
                "    <edge source=\"%s\" target=\"%s\"><data key=\"weight\">%g</data>"
                "<data key=\"kinds\">%s</data></edge>\n",
                la, lb, e->weight, kinds);
    }
    fputs("  </graph>\n</graphml>\n", f);
    if (ferror(f))
        return svp_err_set(err, SVP_EIO, "could not write the GraphML");
    return 0;
}
