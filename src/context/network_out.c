/* Networks as a person reads them: peer groups with their members, shared places and
 * timeline, possible perpetrators with the kind and date of each link, the intra-familial
 * list, one person's ego network, and the JSON and GraphML exports. */
#include "network_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
            l += (size_t)snprintf(buf + l, cap - l, "%s%s x%d", l ? ", " : "", context_link_kind_name((enum context_link_kind)k),
                                  e->count[k]);
}

/* The evidence behind an edge: each relationship or event with its kind's name when the
 * edge has more than one kind, and its date when known ("relationship 4 on 2025-03-01"). */
static void evidence_text(const struct edge *e, char *buf, size_t cap)
{
    size_t l = 0;
    buf[0] = '\0';
    int kinds = 0;
    for (int k = 0; k < CONTEXT_LINK_KINDS; k++)
        kinds += e->count[k] > 0;
    for (size_t i = 0; i < e->nev && l < cap; i++) {
        const struct evidence *v = &e->ev[i];
        if (!v->rel_id && !v->event_id)
            continue;
        char day[16] = "";
        if (v->day)
            svp_date_format(v->day, day, sizeof day);
        l += (size_t)snprintf(buf + l, cap - l, "%s%s%s%s %lld%s%s", l ? ", " : "",
                              kinds > 1 ? context_link_kind_name((enum context_link_kind)v->kind)
                                        : "",
                              kinds > 1 ? " " : "", v->rel_id ? "relationship" : "event",
                              (long long)(v->rel_id ? v->rel_id : v->event_id), *day ? " on " : "",
                              day);
    }
}

/* The links of one adult to children: kinds, and the evidence with its dates. household:
 * the family, household and domestic abuse links only, else the others only. */
static void adult_links(const struct context_network *n, int node, bool household, FILE *f)
{
    const struct context_data *d = n->d;
    for (size_t e = 0; e < n->nedges; e++) {
        const struct edge *ed = &n->edges[e];
        int other = ed->a == node ? ed->b : ed->b == node ? ed->a : -1;
        if (other < 0 || d->nodes[other].role != 'c' || ctx_edge_is_household(ed) != household)
            continue;
        char olab[32], kinds[160], evid[400];
        ctx_node_label(&d->nodes[other], olab, sizeof olab);
        kinds_text(ed, kinds, sizeof kinds);
        evidence_text(ed, evid, sizeof evid);
        fprintf(f, "  - %s %s%s: %s (%s)\n", olab, d->nodes[other].name ? d->nodes[other].name : "",
                d->nodes[other].at_risk ? " [at risk]" : "", kinds, evid);
    }
}

void context_perpetrators_print(const struct context_network *n, FILE *f)
{
    const struct context_data *d = n->d;
    if (n->nperp == 0) {
        fprintf(f,
                "no possible perpetrators: no adult is linked to %d or more children at risk "
                "outside their family and household (%zu links in the network)\n",
                n->min_children, n->nedges);
    } else {
        fprintf(f,
                "possible perpetrators: adults linked to %d or more children at risk outside "
                "their family and household (%zu)\n",
                n->min_children, n->nperp);
        fputs("These are links for a person to weigh, not findings.\n", f);
    }
    for (size_t i = 0; i < n->nperp; i++) {
        int g = n->perp[i], node = n->gnode[g];
        char lab[32];
        ctx_node_label(&d->nodes[node], lab, sizeof lab);
        fprintf(f, "\n%s %s: %d children at risk, betweenness %.1f, group %d\n", lab,
                d->nodes[node].name ? d->nodes[node].name : "", n->perp_children[g],
                n->betweenness[g], n->group[g]);
        adult_links(n, node, false, f);
        adult_links(n, node, true, f);
    }
    if (n->nintra == 0)
        return;
    fprintf(f,
            "\nintra-familial: adults linked to children at risk within their family or "
            "household (co-involved, recorded as perpetrator, or domestic abuse): %zu\n"
            "Harm within the family is its own concern (a strategy discussion, not a "
            "contextual one); these adults are not counted above.\n",
            n->nintra);
    for (size_t i = 0; i < n->nintra; i++) {
        int node = n->gnode[n->intra[i]];
        char lab[32];
        ctx_node_label(&d->nodes[node], lab, sizeof lab);
        fprintf(f, "\n%s %s: intra-familial\n", lab,
                d->nodes[node].name ? d->nodes[node].name : "");
        adult_links(n, node, true, f);
    }
}

void context_intra_familial_each(const struct context_network *n,
                                 void (*fn)(void *arg, int64_t person_id, int64_t record_id),
                                 void *arg)
{
    for (size_t i = 0; i < n->nintra; i++) {
        const struct ctx_node *nd = &n->d->nodes[n->gnode[n->intra[i]]];
        fn(arg, nd->person_id, nd->record_id);
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
                json_object_set_new(kinds, context_link_kind_name((enum context_link_kind)k), json_integer(e->count[k]));
        for (size_t k = 0; k < e->nev; k++)
            json_array_append_new(
                ev, json_pack("{s:s,s:o,s:o}", "kind", context_link_kind_name((enum context_link_kind)e->ev[k].kind), "event_id",
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
            if (other >= 0 && d->nodes[other].role == 'c' && !ctx_edge_is_household(ed))
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

/* ------------------------------------------------------------------ one person's network */

struct nb {
    int node;
    size_t edge;
};

static int cmp_nb(const void *a, const void *b, void *arg)
{
    const struct nb *x = a, *y = b;
    const struct edge *edges = arg;
    double wx = edges[x->edge].weight, wy = edges[y->edge].weight;
    if (wx != wy)
        return wx > wy ? -1 : 1;
    return x->node - y->node;
}

int context_network_ego(const struct context_network *n, int64_t person_id, int64_t record_id,
                        int hops, size_t max_nodes, context_visible_fn visible, void *arg,
                        struct context_ego **out, struct svp_err *err)
{
    *out = NULL;
    const struct context_data *d = n->d;
    if (hops < 1 || hops > 3)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "hops", "must be 1, 2 or 3");
    if ((person_id > 0) == (record_id > 0))
        return svp_err_set(err, SVP_EINPUT, "name one person (or one unlinked record)");
    if (max_nodes == 0)
        max_nodes = 150;
    int focus = -1;
    for (size_t i = 0; i < d->nnodes && focus < 0; i++)
        if ((person_id > 0 && d->nodes[i].person_id == person_id) ||
            (record_id > 0 && d->nodes[i].person_id == 0 && d->nodes[i].record_id == record_id))
            focus = (int)i;
    if (focus < 0 || n->gindex[focus] < 0)
        return svp_err_set(err, SVP_ENOTFOUND, "%s %lld has no links in the network",
                           person_id > 0 ? "person" : "record",
                           (long long)(person_id > 0 ? person_id : record_id));
    /* adjacency over data nodes (CSR), strongest links first */
    size_t *start = svp_calloc(d->nnodes + 1, sizeof *start);
    struct nb *adj = svp_malloc((2 * n->nedges + 1) * sizeof *adj);
    int *seen = svp_malloc((d->nnodes + 1) * sizeof *seen); /* ego index, -1, or -2 withheld */
    struct context_ego *eg = svp_calloc(1, sizeof *eg);
    if (eg)
        eg->nodes = svp_calloc(max_nodes, sizeof *eg->nodes);
    if (!start || !adj || !seen || !eg || !eg->nodes) {
        svp_free(start);
        svp_free(adj);
        svp_free(seen);
        if (eg)
            svp_free(eg->nodes);
        svp_free(eg);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    for (size_t e = 0; e < n->nedges; e++) {
        start[n->edges[e].a + 1]++;
        start[n->edges[e].b + 1]++;
    }
    for (size_t i = 0; i < d->nnodes; i++)
        start[i + 1] += start[i];
    for (size_t e = 0; e < n->nedges; e++) {
        int ends[2] = {n->edges[e].a, n->edges[e].b};
        for (int k = 0; k < 2; k++)
            adj[start[ends[k]]++] = (struct nb){ends[!k], e};
    }
    for (size_t i = d->nnodes; i > 0; i--)
        start[i] = start[i - 1];
    start[0] = 0;
    for (size_t i = 0; i < d->nnodes; i++) {
        qsort_r(adj + start[i], start[i + 1] - start[i], sizeof *adj, cmp_nb, n->edges);
        seen[i] = -1;
    }
    eg->hops = hops;
    const struct ctx_node *fn = &d->nodes[focus];
    eg->nodes[0] = (struct context_ego_node){fn->person_id, fn->record_id, 0, -1, fn->role,
                                             fn->at_risk, fn->name, "", true, 0};
    int *dnode = svp_malloc(max_nodes * sizeof *dnode);
    if (!dnode) {
        svp_free(start);
        svp_free(adj);
        svp_free(seen);
        context_ego_free(&eg);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    dnode[0] = focus;
    seen[focus] = 0;
    eg->n = 1;
    /* breadth first: ring by ring, the nearest and the strongest links first; a person the
     * viewer may not see is neither listed nor walked through */
    for (size_t q = 0; q < eg->n; q++) {
        if (eg->nodes[q].hops >= hops)
            continue;
        int from = dnode[q];
        for (size_t k = start[from]; k < start[from + 1]; k++) {
            int to = adj[k].node;
            if (seen[to] != -1)
                continue;
            const struct ctx_node *tn = &d->nodes[to];
            if (visible && !visible(arg, tn->person_id, tn->record_id)) {
                seen[to] = -2;
                eg->withheld++;
                continue;
            }
            if (eg->n >= max_nodes) {
                eg->truncated = true;
                break;
            }
            const struct edge *ed = &n->edges[adj[k].edge];
            struct context_ego_node *en = &eg->nodes[eg->n];
            *en = (struct context_ego_node){tn->person_id, tn->record_id,
                                            eg->nodes[q].hops + 1, (int)q,
                                            tn->role, tn->at_risk, tn->name, "",
                                            !ctx_edge_is_household(ed), ed->weight};
            kinds_text(ed, en->kinds, sizeof en->kinds);
            dnode[eg->n] = to;
            seen[to] = (int)eg->n++;
        }
    }
    svp_free(dnode);
    svp_free(start);
    svp_free(adj);
    svp_free(seen);
    *out = eg;
    return 0;
}

void context_ego_free(struct context_ego **e)
{
    if (!e || !*e)
        return;
    svp_free((*e)->nodes);
    svp_free(*e);
    *e = NULL;
}

static void ego_label(const struct context_ego_node *nd, context_label_fn label, void *arg,
                      char *buf, size_t cap)
{
    if (label)
        label(arg, nd->person_id, nd->record_id, buf, cap);
    else if (nd->person_id)
        snprintf(buf, cap, "P%lld", (long long)nd->person_id);
    else
        snprintf(buf, cap, "R%lld", (long long)nd->record_id);
}

void context_ego_print(const struct context_ego *e, context_label_fn label, void *arg,
                       bool names, FILE *f)
{
    char lab[48], via[48];
    ego_label(&e->nodes[0], label, arg, lab, sizeof lab);
    fprintf(f, "network of %s%s%s within %d links: %zu persons%s\n", lab,
            names && e->nodes[0].name ? " " : "", names && e->nodes[0].name ? e->nodes[0].name : "",
            e->hops, e->n - 1, e->truncated ? " (the nearest only: more are linked)" : "");
    if (e->withheld)
        fprintf(f, "%zu linked persons are not shown: their records are not shared with you\n",
                e->withheld);
    for (int h = 1; h <= e->hops; h++) {
        size_t c = 0;
        for (size_t i = 1; i < e->n; i++)
            c += e->nodes[i].hops == h;
        if (!c)
            continue;
        fprintf(f, "\n%d link%s away (%zu):\n", h, h > 1 ? "s" : "", c);
        for (size_t i = 1; i < e->n; i++) {
            const struct context_ego_node *nd = &e->nodes[i];
            if (nd->hops != h)
                continue;
            ego_label(nd, label, arg, lab, sizeof lab);
            ego_label(&e->nodes[nd->via], label, arg, via, sizeof via);
            fprintf(f, "  %-12s %-6s %-24s via %-12s %s%s%s\n", lab, role_name(nd->role),
                    names && nd->name ? nd->name : "", via, nd->kinds,
                    nd->peer ? "" : " [family, household or domestic abuse]",
                    nd->at_risk ? " [at risk]" : "");
        }
    }
}
