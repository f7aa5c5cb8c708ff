/* Private to the contexts room's network files (network.c builds and analyses the graph,
 * network_out.c prints and exports it and walks one person's ego network). */
#ifndef SVP_CONTEXT_NETWORK_INT_H
#define SVP_CONTEXT_NETWORK_INT_H

#include "context_int.h"

#define EVIDENCE_MAX 6

struct evidence {
    unsigned char kind;
    svp_day day;      /* the day of the event behind it, 0 when not known */
    int64_t event_id; /* 0 if none */
    int64_t rel_id;   /* 0 if none */
};

struct edge {
    int a, b; /* data node indices, a < b */
    double weight;
    double peer_weight; /* the weight peer groups see: 0 when the edge carries family,
                           household or domestic abuse evidence (that is never a peer link) */
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
    int max_group;  /* communities above this many members are split at a finer resolution */
    int *intra;     /* graph indices of adults linked to children at risk within a family or
                       household (intra-familial: never counted as possible perpetrators) */
    size_t nintra;
    struct store *store;  /* borrowed from the options: centrality stored per data version */
    bool save_centrality;
    enum context_centrality_source centrality_source;
    char empty_reason[256];
};

/* Betweenness (within CTX_BETWEENNESS_HOPS links) and strength of every graph node into
 * n->betweenness and n->strength, with igraph (network.c). from, to and w are the graph's
 * links in graph indices. */
int ctx_centrality_compute(struct context_network *n, const int *from, const int *to,
                           const double *w, struct svp_err *err);
/* The same, read from the store when it holds them for the current data version and this
 * graph, else computed (and stored when n->save_centrality) (centrality.c). */
int ctx_centrality(struct context_network *n, const int *from, const int *to, const double *w,
                   struct svp_err *err);

/* True when the edge carries family, household or domestic abuse evidence. */
bool ctx_edge_is_household(const struct edge *e);

#endif
