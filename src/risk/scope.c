/* One person's neighbourhood: the records whose events can change one person's score
 * (risk_person_score). A score adds the person's own facts and, in a second pass, links to
 * children whose own first-pass score puts them on the list (a peer, brother or sister at
 * risk: never an adult); a first-pass score in turn reads the links of that child (an adult
 * of concern, family or not). So a score reads the person, everyone linked to them, and
 * everyone linked to those of them who may be children, by the links the panel reads
 * (relationships, shared police occurrences, resolved "found with" mentions), and everyone
 * at a shared address or postcode, or giving a shared contact phone, whose whole group is
 * taken so that the family inference (family.c: every key of it holds an address or a
 * postcode) sees the same households as on the whole panel. An adult's own links change
 * nobody's score but theirs. The groups keyed on no address or no postcode are none (a
 * record without either once joined every such record into one group: 75,782 of the 104k
 * county's 173,347 records were one person's neighbourhood). */
#include "risk.h"
#include "risk_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct pair {
    uint64_t key;
    uint32_t node; /* person index */
    bool occurrence; /* a police occurrence's group, not a household's key */
};

/* What the records of a person say of their age on the scoring date: an adult is one
 * the panel reads as an adult whichever record it takes the date of birth from (every date
 * of birth says 18 or over; none, and recorded as an adult and never as a child). */
enum { AGE_DOB = 1, AGE_DOB_CHILD = 2, AGE_ROLE_ADULT = 4, AGE_ROLE_CHILD = 8 };

struct graph {
    int64_t *pid; /* person index -> person id (sorted) */
    uint8_t *age; /* person index -> AGE_* flags */
    size_t n;
    svp_day as_of;
    uint32_t *rec_node; /* record id -> person index + 1 */
    int64_t max_record;
    struct pair *pairs; /* (group key, person): persons sharing a key are linked */
    size_t npairs, cap;
    uint32_t *ea, *eb; /* direct links; eb's top bit: a family link (FAMILY_EDGE) */
    size_t ne, ecap;
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

/* (pair index, person) rows by person */
static int cmp_pair_node(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return (x->key > y->key) - (x->key < y->key);
}

static bool pid_below(const void *arr, size_t i, const void *id)
{
    return ((const int64_t *)arr)[i] < *(const int64_t *)id;
}

static long node_of_record(const struct graph *g, int64_t rid)
{
    if (rid <= 0 || rid > g->max_record)
        return -1;
    return (long)g->rec_node[rid] - 1;
}

/* key: risk_key_hash's (0: none, so no group) told apart from other kinds by mix */
enum { OCC_MIX = 0x9e3779b9u };

static int add_pair(struct graph *g, uint64_t key, uint64_t mix, long node)
{
    if (!key || node < 0)
        return SVP_OK;
    key ^= mix;
    key = key ? key : mix;
    struct pair *np = svp_grow(g->pairs, &g->cap, g->npairs + 1, sizeof *np, 4096);
    if (!np)
        return SVP_ENOMEM;
    g->pairs = np;
    g->pairs[g->npairs++] = (struct pair){key, (uint32_t)node, mix == OCC_MIX};
    return SVP_OK;
}

/* A recorded parent, sibling or household member: the family the household view (and the
 * family inference beside it) walks through an adult too. */
#define FAMILY_EDGE 0x80000000u

#define FAMILY_ADJ ((size_t)1 << 62)

static int add_edge(struct graph *g, long a, long b, bool family)
{
    if (a < 0 || b < 0 || a == b)
        return SVP_OK;
    size_t c1 = g->ecap, c2 = g->ecap;
    uint32_t *na = svp_grow(g->ea, &c1, g->ne + 1, sizeof *na, 4096);
    if (!na)
        return SVP_ENOMEM;
    g->ea = na;
    uint32_t *nb = svp_grow(g->eb, &c2, g->ne + 1, sizeof *nb, 4096);
    if (!nb)
        return SVP_ENOMEM;
    g->eb = nb;
    g->ecap = c1 < c2 ? c1 : c2;
    g->ea[g->ne] = (uint32_t)a;
    g->eb[g->ne++] = (uint32_t)b | (family ? FAMILY_EDGE : 0);
    return SVP_OK;
}

/* Persons and their records, and the family keys of each record (as the panel's loader
 * makes them: family name with postcode and address, and with postcode). */
static int load_records(struct store *s, bool unlinked, struct graph *g, struct svp_err *err)
{
    int rc = store_query_int64(s, "SELECT COALESCE(MAX(id), 0) FROM record", &g->max_record,
                               err);
    if (rc)
        return rc;
    g->rec_node = svp_calloc((size_t)g->max_record + 1, sizeof *g->rec_node);
    if (!g->rec_node)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    const char *sql = unlinked ? "SELECT r.id, r.id, r.dob, r.role, r.postcode, r.address, "
                                 "r.detail FROM record r ORDER BY r.id"
                               : "SELECT pr.person_id, r.id, r.dob, r.role, r.postcode, "
                                 "r.address, r.detail FROM person_record pr JOIN record r ON "
                                 "r.id = pr.record_id ORDER BY pr.person_id";
    struct store_stmt *st = NULL;
    if ((rc = store_prepare(s, sql, &st, err)))
        return rc;
    size_t cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t pid = store_column_int64(st, 0), rid = store_column_int64(st, 1);
        if (!g->n || g->pid[g->n - 1] != pid) {
            size_t c2 = cap;
            int64_t *np = svp_grow(g->pid, &cap, g->n + 1, sizeof *np, 4096);
            uint8_t *na = np ? svp_grow(g->age, &c2, g->n + 1, sizeof *na, 4096) : NULL;
            if (np)
                g->pid = np;
            if (!na) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            g->age = na;
            g->age[g->n] = 0;
            g->pid[g->n++] = pid;
        }
        long node = (long)g->n - 1;
        if (rid > 0 && rid <= g->max_record)
            g->rec_node[rid] = (uint32_t)node + 1;
        const char *dob = store_column_text(st, 2), *role = store_column_text(st, 3);
        svp_day d;
        if (dob && strlen(dob) >= 10 && svp_date_parse_iso(dob, 10, &d, NULL) == SVP_OK) {
            int age = svp_date_age(d, g->as_of);
            g->age[node] |= AGE_DOB | (age < 18 ? AGE_DOB_CHILD : 0);
        }
        if (role && !strcmp(role, "child"))
            g->age[node] |= AGE_ROLE_CHILD;
        else if (role && !strcmp(role, "adult"))
            g->age[node] |= AGE_ROLE_ADULT;
        /* the family inference's keys (family.c: a family name, its parts or its sound with
         * the address or the postcode, names one slip apart under the postcode) all share
         * an address or a postcode: everyone at either is in one group */
        const char *pc = store_column_text(st, 4), *addr = store_column_text(st, 5);
        if (add_pair(g, risk_key_hash("address", addr), 0x5bd1e995u, node) ||
            add_pair(g, risk_key_hash("postcode", pc), 0x85ebca6bu, node)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        /* a carer's contact phone (family.c): everyone giving the number is in one group */
        const char *detail = store_column_text(st, 6);
        char num[24];
        if (risk_detail_contact_phone(detail, num, sizeof num)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading a record's detail");
            break;
        }
        if (num[0] && add_pair(g, risk_key_hash("contact phone", num), 0x27d4eb2fu, node)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

/* Relationships and resolved mentions link persons directly. */
static int load_links(struct store *s, struct graph *g, struct svp_err *err)
{
    static const char *const sql[] = {
        "SELECT record_a, record_b, 0, kind FROM relationship",
        "SELECT e.record_id, lm.record_id, lm.person_id, NULL FROM link_mention lm JOIN event "
        "e ON e.id = lm.event_id WHERE lm.status = 'resolved'"};
    int rc = SVP_OK;
    for (size_t q = 0; !rc && q < 2; q++) {
        struct store_stmt *st = NULL;
        if ((rc = store_prepare(s, sql[q], &st, err)))
            return rc;
        while ((rc = store_step(st, err)) == STORE_ROW) {
            long a = node_of_record(g, store_column_int64(st, 0));
            long b = node_of_record(g, store_column_int64(st, 1));
            int64_t pid = store_column_int64(st, 2);
            if (pid > 0) {
                size_t k = svp_lower_bound(g->pid, g->n, &pid, pid_below);
                if (k < g->n && g->pid[k] == pid)
                    b = (long)k;
            }
            const char *kind = store_column_text(st, 3);
            bool family = kind && (!strcmp(kind, "parent") || !strcmp(kind, "sibling") ||
                                   !strcmp(kind, "household_member"));
            if (add_edge(g, a, b, family)) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
        }
        store_finalize(&st);
    }
    return rc < 0 ? rc : SVP_OK;
}

/* Everyone in one police occurrence shares its reference (crime and incident events). */
static int load_occurrences(struct store *s, struct graph *g, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT record_id, detail FROM event WHERE type IN ('crime', "
                           "'incident') AND detail IS NOT NULL",
                           &st, err);
    if (rc)
        return rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *d = store_column_text(st, 1);
        if (!d || !strstr(d, "occurrence_ref"))
            continue;
        json_error_t je;
        unsigned long failures = svp_mem_failures();
        json_t *j = json_loads(d, JSON_REJECT_DUPLICATES, &je);
        if (!j && (json_error_code(&je) == json_error_out_of_memory ||
                   svp_mem_failures() != failures)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading an event's detail");
            break;
        }
        const char *ref = json_string_value(json_object_get(j, "occurrence_ref"));
        rc = ref && *ref ? add_pair(g, risk_key_hash(ref, "occ"), OCC_MIX,
                                    node_of_record(g, store_column_int64(st, 0)))
                         : SVP_OK;
        json_decref(j);
        if (rc) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

/* Whether the panel reads the person as an adult whichever record it takes (is_adult in
 * panel_links.c): an adult's own links do not change anyone's score beside theirs. */
static bool surely_adult(const struct graph *g, size_t v)
{
    uint8_t a = g->age[v];
    return (a & AGE_DOB) ? !(a & AGE_DOB_CHILD)
                         : (a & AGE_ROLE_ADULT) && !(a & AGE_ROLE_CHILD);
}

int risk_scope_records(struct store *s, bool unlinked, int64_t person_id, svp_day as_of,
                       uint8_t **scope, int64_t *max_record, struct svp_err *err)
{
    *scope = NULL;
    *max_record = 0;
    struct graph g = {.as_of = as_of};
    int rc = load_records(s, unlinked, &g, err);
    if (!rc)
        rc = load_links(s, &g, err);
    if (!rc)
        rc = load_occurrences(s, &g, err);
    size_t focus = g.n;
    if (!rc) {
        focus = svp_lower_bound(g.pid, g.n, &person_id, pid_below);
        if (focus >= g.n || g.pid[focus] != person_id)
            rc = svp_err_set(err, SVP_ENOTFOUND, "no %s %lld", unlinked ? "record" : "person",
                             (long long)person_id);
    }
    /* adjacency: direct links, and every pair of a key group through the group */
    uint8_t *depth = NULL; /* 0: not reached; else hops + 1 */
    size_t *start = NULL, *adj = NULL, *gstart = NULL;
    if (!rc) {
        if (g.npairs > 1)
            qsort(g.pairs, g.npairs, sizeof *g.pairs, cmp_pair);
        depth = svp_calloc(g.n + 1, 1);
        start = svp_calloc(g.n + 2, sizeof *start);
        adj = svp_malloc((2 * g.ne + 1) * sizeof *adj);
        gstart = svp_malloc((g.npairs + 1) * sizeof *gstart);
        if (!depth || !start || !adj || !gstart)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (!rc) {
        for (size_t e = 0; e < g.ne; e++) {
            start[g.ea[e] + 1]++;
            start[(g.eb[e] & ~FAMILY_EDGE) + 1]++;
        }
        for (size_t i = 0; i < g.n; i++)
            start[i + 1] += start[i];
        size_t *pos = svp_malloc((g.n + 1) * sizeof *pos);
        if (!pos)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < g.n; i++)
            pos[i] = start[i];
        for (size_t e = 0; !rc && e < g.ne; e++) {
            size_t fl = (g.eb[e] & FAMILY_EDGE) ? FAMILY_ADJ : 0, b = g.eb[e] & ~FAMILY_EDGE;
            adj[pos[g.ea[e]]++] = b | fl;
            adj[pos[b]++] = g.ea[e] | fl;
        }
        svp_free(pos);
    }
    /* each pair's group: gstart[i] is where pair i's key group begins */
    for (size_t i = 0; !rc && i < g.npairs; i++)
        gstart[i] = i && g.pairs[i - 1].key == g.pairs[i].key ? gstart[i - 1] : i;
    /* for a person, the pairs they are in: sort (node, pair index) */
    struct pair *bynode = NULL;
    if (!rc && g.npairs) {
        bynode = svp_malloc(g.npairs * sizeof *bynode);
        if (!bynode)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < g.npairs; i++)
            bynode[i] = (struct pair){i, g.pairs[i].node, false};
        if (!rc)
            qsort(bynode, g.npairs, sizeof *bynode, cmp_pair_node);
    }
    /* breadth first, two links out */
    size_t *queue = NULL, qn = 0;
    uint8_t *gdone = NULL;
    if (!rc) {
        queue = svp_malloc((g.n + 1) * sizeof *queue);
        gdone = svp_calloc(g.npairs + 1, 1);
        if (!queue || !gdone)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (!rc) {
        queue[qn++] = focus;
        depth[focus] = 1;
        for (size_t q = 0; q < qn; q++) {
            size_t v = queue[q];
            /* two links out from the person, but only through those whose first-pass score
             * can count for the person: a peer, brother or sister at risk is a child (an
             * adult linked to the person counts by their own records: of concern, family,
             * the household's needs). Through an adult only the family: the household view
             * goes one more step through a parent (src/household), and the family inference
             * (the groups below) needs the parent's households whole. */
            if (depth[v] >= 3)
                continue;
            bool family_only = depth[v] == 2 && surely_adult(&g, v);
            for (size_t k = start[v]; k < start[v + 1]; k++) {
                size_t o = adj[k] & ~FAMILY_ADJ;
                if (!depth[o] && (!family_only || (adj[k] & FAMILY_ADJ))) {
                    depth[o] = (uint8_t)(depth[v] + 1);
                    queue[qn++] = o;
                }
            }
            /* the groups v is in */
            struct pair probe = {0, (uint32_t)v, false};
            size_t lo = 0, hi = g.npairs;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (bynode[mid].node < probe.node)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t b = lo; b < g.npairs && bynode[b].node == v; b++) {
                size_t i0 = gstart[bynode[b].key];
                if (family_only && g.pairs[i0].occurrence)
                    continue; /* an adult's occurrences: not their household */
                /* breadth first: a group's first visit gives its members their least depth,
                 * so a group is walked once (a big one, a common family name at a postcode,
                 * was walked again from each member) */
                if (gdone[i0])
                    continue;
                gdone[i0] = 1;
                for (size_t i = i0; i < g.npairs && g.pairs[i].key == g.pairs[i0].key; i++) {
                    uint32_t o = g.pairs[i].node;
                    if (!depth[o]) {
                        depth[o] = (uint8_t)(depth[v] + 1);
                        queue[qn++] = o;
                    }
                }
            }
        }
    }
    /* the records of everyone reached */
    if (!rc) {
        *scope = svp_calloc((size_t)g.max_record + 1, 1);
        if (!*scope)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        for (int64_t r = 1; !rc && r <= g.max_record; r++)
            if (g.rec_node[r] && depth[g.rec_node[r] - 1])
                (*scope)[r] = 1;
        *max_record = g.max_record;
    }
    svp_free(queue);
    svp_free(gdone);
    svp_free(bynode);
    svp_free(depth);
    svp_free(start);
    svp_free(adj);
    svp_free(gstart);
    svp_free(g.pid);
    svp_free(g.age);
    svp_free(g.rec_node);
    svp_free(g.pairs);
    svp_free(g.ea);
    svp_free(g.eb);
    return rc;
}
