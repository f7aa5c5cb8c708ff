/* Context profiles (one page of text for a locality context meeting) and county-lines
 * routes (children missing from the county's areas and found outside it, not at their own
 * home or care placement). */
#include "context_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ routes */

struct route {
    const char *from; /* home area */
    const char *to;   /* where found */
    long episodes, children;
};

static int cmp_route(const void *a, const void *b)
{
    const struct route *x = a, *y = b;
    if (x->episodes != y->episodes)
        return x->episodes > y->episodes ? -1 : 1;
    int c = strcmp(x->from, y->from);
    return c ? c : strcmp(x->to, y->to);
}

/* Collects the routes into an owned array; *n gets the count. NULL with *n = 0 when there
 * are none or on allocation failure (*oom set). */
static struct route *routes_collect(const struct context_data *d, size_t *n, bool *oom)
{
    *n = 0;
    *oom = false;
    struct route *r = NULL;
    size_t cap = 0, npairs = 0;
    uint64_t *pairs = svp_malloc((d->nevents + 1) * sizeof *pairs);
    if (!pairs) {
        *oom = true;
        return NULL;
    }
    for (size_t i = 0; i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (e->type != CTX_T_MISSING || e->found_at_home)
            continue; /* found at home or at the child's own placement, however far */
        bool outside =
            e->found_out_of_county ||
            (e->found_place >= 0 && d->places[e->found_place].status == CONTEXT_PLACE_OUTSIDE);
        if (!outside)
            continue;
        const char *from = e->node >= 0 ? d->nodes[e->node].area : NULL;
        if (!from && e->place >= 0)
            from = d->places[e->place].area;
        if (!from)
            from = "(no home area)";
        const char *to = e->found_place >= 0 && d->places[e->found_place].name
                             ? d->places[e->found_place].name
                             : "(outside the county, place not recorded)";
        size_t k = 0;
        while (k < *n && (strcmp(r[k].from, from) || strcmp(r[k].to, to)))
            k++;
        if (k == *n) {
            struct route *nr = svp_grow(r, &cap, *n + 1, sizeof *nr, 32);
            if (!nr) {
                svp_free(r);
                svp_free(pairs);
                *n = 0;
                *oom = true;
                return NULL;
            }
            r = nr;
            r[k] = (struct route){from, to, 0, 0};
            (*n)++;
        }
        r[k].episodes++;
        if (e->node >= 0)
            pairs[npairs++] = (uint64_t)k << 32 | (uint32_t)e->node;
    }
    long *kids = svp_calloc(*n + 1, sizeof *kids);
    if (!kids) {
        svp_free(r);
        svp_free(pairs);
        *n = 0;
        *oom = true;
        return NULL;
    }
    ctx_count_distinct(pairs, npairs, kids, *n);
    for (size_t k = 0; k < *n; k++)
        r[k].children = kids[k];
    svp_free(kids);
    svp_free(pairs);
    if (*n)
        qsort(r, *n, sizeof *r, cmp_route);
    return r;
}

void context_routes_print(const struct context_data *d, size_t limit, FILE *f)
{
    size_t n;
    bool oom;
    struct route *r = routes_collect(d, &n, &oom);
    if (oom) {
        fputs("routes: out of memory\n", f);
        return;
    }
    if (n == 0) {
        fputs("no county-lines routes: no missing child was recorded as found outside the "
              "county\n",
              f);
        return;
    }
    fprintf(f,
            "missing children found outside the county: %zu routes (home area -> where "
            "found)\n",
            n);
    fprintf(f, "%-24s %-40s %8s %8s\n", "from", "to", "episodes", "children");
    for (size_t i = 0; i < n && i < limit; i++)
        fprintf(f, "%-24s %-40s %8ld %8ld\n", r[i].from, r[i].to, r[i].episodes, r[i].children);
    svp_free(r);
}

json_t *context_routes_json(const struct context_data *d)
{
    size_t n;
    bool oom;
    struct route *r = routes_collect(d, &n, &oom);
    if (oom)
        return NULL;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:I,s:I}", "from", r[i].from, "to", r[i].to,
                                           "episodes", (json_int_t)r[i].episodes, "children",
                                           (json_int_t)r[i].children));
    svp_free(r);
    return a;
}

/* ------------------------------------------------------------------ profiles */

static bool place_matches(const struct context_data *d, int p, int64_t place_id, const char *area)
{
    if (p < 0)
        return false;
    if (place_id > 0)
        return d->places[p].id == place_id;
    return d->places[p].area && !strcasecmp(d->places[p].area, area);
}

static int place_profile(const struct context_data *d, int64_t place_id, const char *area, FILE *f,
                         struct svp_err *err)
{
    int pi = -1;
    if (place_id > 0) {
        pi = ctx_place_index(d, place_id);
        if (pi < 0)
            return svp_err_at(err, SVP_ENOTFOUND, NULL, 0, "place", "no place %lld",
                              (long long)place_id);
        const struct ctx_place *p = &d->places[pi];
        fprintf(f, "place %lld: %s\n", (long long)p->id, p->name ? p->name : "(unnamed)");
        fprintf(f, "  postcode %s, area %s", p->postcode ? p->postcode : "-",
                p->area ? p->area : "-");
        if (p->status == CONTEXT_PLACE_LOCATED || p->status == CONTEXT_PLACE_BY_POSTCODE)
            fprintf(f, ", at %.5f, %.5f%s\n", p->lat, p->lon,
                    p->status == CONTEXT_PLACE_BY_POSTCODE ? " (by postcode)" : "");
        else
            fprintf(f, ", not located: %s\n", p->why ? p->why : "");
    } else {
        const char *known = NULL;
        for (size_t i = 0; i < d->nplaces && !known; i++)
            if (d->places[i].area && !strcasecmp(d->places[i].area, area))
                known = d->places[i].area;
        for (size_t i = 0; i < d->npostcodes && !known; i++)
            if (!strcasecmp(d->postcodes[i].area, area))
                known = d->postcodes[i].area;
        if (!known)
            return svp_err_at(err, SVP_ENOTFOUND, NULL, 0, "area",
                              "no place or postcode is in an area called '%.60s'", area);
        area = known;
        fprintf(f, "community area: %s\n", area);
    }
    /* incidents over time: events here by year-month and type */
    int *seen = svp_calloc(d->nnodes + 1, sizeof *seen);
    if (!seen)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    long total = 0, missing = 0, found = 0, incidents = 0;
    int cur_month = -1;
    long month_n = 0;
    fputs("\nincidents over time (month: events):\n", f);
    for (size_t i = 0; i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        bool at = place_matches(d, e->place, place_id, area);
        bool found_here = place_matches(d, e->found_place, place_id, area);
        if (!at && !found_here)
            continue;
        total++;
        missing += at && e->type == CTX_T_MISSING;
        found += found_here;
        incidents += at && CTX_IS_POLICE(e->type);
        if (e->node >= 0)
            seen[e->node]++;
        int y, m, dd;
        svp_date_to_ymd(e->day, &y, &m, &dd);
        if (y * 12 + m != cur_month) {
            if (cur_month >= 0)
                fprintf(f, "  %04d-%02d: %ld\n", (cur_month - 1) / 12, (cur_month - 1) % 12 + 1,
                        month_n);
            cur_month = y * 12 + m;
            month_n = 0;
        }
        month_n++;
    }
    if (cur_month >= 0)
        fprintf(f, "  %04d-%02d: %ld\n", (cur_month - 1) / 12, (cur_month - 1) % 12 + 1, month_n);
    else
        fputs("  none recorded\n", f);
    fprintf(f, "\nevents: %ld (missing from home here %ld, found here %ld, police incidents %ld)\n",
            total, missing, found, incidents);
    fputs("\nchildren and young people seen here:\n", f);
    size_t kids = 0, adults = 0;
    for (size_t i = 0; i < d->nnodes; i++) {
        if (!seen[i])
            continue;
        const struct ctx_node *nd = &d->nodes[i];
        char lab[32], risk[80];
        ctx_node_label(nd, lab, sizeof lab);
        ctx_node_risk_text(nd, risk, sizeof risk);
        if (nd->role == 'c') {
            fprintf(f, "  %-8s %-24s %d events%s\n", lab, nd->name ? nd->name : "", seen[i], risk);
            kids++;
        }
    }
    if (!kids)
        fputs("  none\n", f);
    fputs("\nadults seen here:\n", f);
    for (size_t i = 0; i < d->nnodes; i++) {
        const struct ctx_node *nd = &d->nodes[i];
        if (!seen[i] || nd->role == 'c')
            continue;
        char lab[32];
        ctx_node_label(nd, lab, sizeof lab);
        fprintf(f, "  %-8s %-24s %d events (%s)\n", lab, nd->name ? nd->name : "", seen[i],
                nd->role == 'a' ? "adult" : "role unknown");
        adults++;
    }
    if (!adults)
        fputs("  none\n", f);
    svp_free(seen);
    ctx_scores_note(d, f);
    return 0;
}

int context_profile_print(const struct context_data *d, const struct context_network *n,
                          int64_t place_id, const char *area, int group, FILE *f,
                          struct svp_err *err)
{
    int which = (place_id > 0) + (area != NULL) + (group > 0);
    if (which != 1)
        return svp_err_set(err, SVP_EUSAGE, "name exactly one of a place, an area or a group");
    if (group > 0) {
        if (!n)
            return svp_err_set(err, SVP_EINTERNAL, "a group profile needs the network");
        if (ctx_group_profile(n, group, f)) {
            struct context_network_stats st;
            context_network_stats(n, &st);
            return svp_err_at(err, SVP_ENOTFOUND, NULL, 0, "group",
                              "no peer group %d (there are %zu; see 'svp context groups')", group,
                              st.groups);
        }
        return 0;
    }
    return place_profile(d, place_id, area, f, err);
}
