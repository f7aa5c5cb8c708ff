/* Nickname equivalence: each name gets the set of formal names it stands for (a formal
 * name stands for itself); two names are equivalent when their sets meet. The lists are
 * data/nicknames.csv (carltonnorthern/nicknames, Apache-2.0; see data/LICENSE-nicknames)
 * and the given-name rows of data/names-variants.csv (Febrl's, via sdglinkage, MIT; see
 * data/NAMES-SOURCES.md). */
#include "link.h"

#include <string.h>

struct nick_node {
    char *name;
    uint32_t *ids; /* formal-name node indexes, sorted */
    uint32_t n, cap;
};

struct link_nicknames {
    struct nick_node *nodes;
    size_t nnodes, capnodes;
    uint32_t *slots; /* open addressing: node index + 1, 0 = empty */
    size_t nslots;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static long nick_find(const struct link_nicknames *t, const char *name)
{
    if (!t->nslots)
        return -1;
    for (size_t k = hash_str(name) & (t->nslots - 1);; k = (k + 1) & (t->nslots - 1)) {
        uint32_t v = t->slots[k];
        if (!v)
            return -1;
        if (!strcmp(t->nodes[v - 1].name, name))
            return (long)(v - 1);
    }
}

static int nick_rehash(struct link_nicknames *t)
{
    size_t ns = t->nslots ? t->nslots * 2 : 1024;
    uint32_t *sl = svp_calloc(ns, sizeof *sl);
    if (!sl)
        return SVP_ENOMEM;
    for (size_t i = 0; i < t->nnodes; i++) {
        size_t k = hash_str(t->nodes[i].name) & (ns - 1);
        while (sl[k])
            k = (k + 1) & (ns - 1);
        sl[k] = (uint32_t)(i + 1);
    }
    svp_free(t->slots);
    t->slots = sl;
    t->nslots = ns;
    return 0;
}

/* The node for name, created if new; -1 on allocation failure. */
static long nick_intern(struct link_nicknames *t, const char *name)
{
    long f = nick_find(t, name);
    if (f >= 0)
        return f;
    if ((t->nnodes + 1) * 2 > t->nslots && nick_rehash(t))
        return -1;
    struct nick_node *nn = svp_grow(t->nodes, &t->capnodes, t->nnodes + 1, sizeof *nn, 256);
    if (!nn)
        return -1;
    t->nodes = nn;
    struct nick_node *nd = &t->nodes[t->nnodes];
    memset(nd, 0, sizeof *nd);
    if (!(nd->name = svp_strdup(name)))
        return -1;
    size_t k = hash_str(name) & (t->nslots - 1);
    while (t->slots[k])
        k = (k + 1) & (t->nslots - 1);
    t->slots[k] = (uint32_t)(t->nnodes + 1);
    return (long)t->nnodes++;
}

static int nick_add_id(struct nick_node *nd, uint32_t id)
{
    uint32_t k = 0;
    while (k < nd->n && nd->ids[k] < id)
        k++;
    if (k < nd->n && nd->ids[k] == id)
        return 0;
    if (nd->n == nd->cap) {
        uint32_t nc = nd->cap ? nd->cap * 2 : 2;
        uint32_t *ni = svp_realloc(nd->ids, nc * sizeof *ni);
        if (!ni)
            return SVP_ENOMEM;
        nd->ids = ni;
        nd->cap = nc;
    }
    memmove(nd->ids + k + 1, nd->ids + k, (nd->n - k) * sizeof *nd->ids);
    nd->ids[k] = id;
    nd->n++;
    return 0;
}

/* Adds the equivalences of one list to t: `name,nickname` rows, or `kind,name,variant`
 * rows of which only kind `given` is read (surname variants are a different matter). */
static int nick_add_list(struct link_nicknames *t, const char *data, size_t len,
                         const char *name, struct svp_err *err)
{
    struct svp_csv_opts co = {.delim = ',', .max_field = 256, .max_fields = 8};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(data, len, &co, &csv, err);
    struct svp_csv_row row;
    bool header = true, kinds = false;
    while (rc == 0 && (rc = svp_csv_next(csv, &row, err)) == 1) {
        rc = 0;
        if (header && !row.error && row.nfields == 3 && !strcmp(row.fields[0].p, "kind"))
            kinds = true;
        if (row.error || row.nfields != (kinds ? 3u : 2u)) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, NULL, "expected %s%s%s",
                            kinds ? "three fields (kind,name,variant)"
                                  : "two fields (name,nickname)",
                            row.error ? ": " : "", row.error ? row.error : "");
            break;
        }
        const struct svp_csv_field *f = row.fields + (kinds ? 1 : 0);
        if (header) {
            header = false;
            if (!strcmp(f[0].p, "name"))
                continue;
        }
        if (kinds && strcmp(row.fields[0].p, "given"))
            continue;
        char *fn = NULL, *nn = NULL;
        if ((rc = svp_name_normalise(f[0].p, f[0].len, &fn, err)) == 0 &&
            (rc = svp_name_normalise(f[1].p, f[1].len, &nn, err)) == 0) {
            if (!fn[0] || !nn[0])
                rc = svp_err_at(err, SVP_EINPUT, name, row.line, NULL, "empty name");
            else {
                long a = nick_intern(t, fn);
                long k = a >= 0 ? nick_intern(t, nn) : -1;
                if (k < 0 || nick_add_id(&t->nodes[a], (uint32_t)a) ||
                    nick_add_id(&t->nodes[k], (uint32_t)a))
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading nicknames");
            }
        } else
            svp_err_at(err, rc, name, row.line, NULL, "%s", err->msg);
        svp_free(fn);
        svp_free(nn);
    }
    svp_csv_free(&csv);
    return rc < 0 ? rc : 0;
}

int link_nicknames_load(const char *data, size_t len, const char *name,
                        struct link_nicknames **out, struct svp_err *err)
{
    *out = NULL;
    struct link_nicknames *t = svp_calloc(1, sizeof *t);
    if (!t)
        return svp_err_set(err, SVP_ENOMEM, "out of memory loading nicknames");
    int rc = nick_add_list(t, data, len, name, err);
    if (rc) {
        link_nicknames_free(&t);
        return rc;
    }
    *out = t;
    return 0;
}

/* Nicknames (Bob for Robert) and spelling or language variants (Giuseppe for Joseph,
 * Kristofer for Christopher) both say one child recorded two ways. */
int link_nicknames_default(struct link_nicknames **out, struct svp_err *err)
{
    *out = NULL;
    const struct svp_embedded *nick = svp_data_find("nicknames.csv");
    const struct svp_embedded *var = svp_data_find("names-variants.csv");
    if (!nick || !var)
        return svp_err_set(err, SVP_EINTERNAL, "%s is not embedded in this build",
                           nick ? "names-variants.csv" : "nicknames.csv");
    int rc = link_nicknames_load(nick->data, nick->len, "nicknames.csv", out, err);
    if (!rc && (rc = nick_add_list(*out, var->data, var->len, "names-variants.csv", err)))
        link_nicknames_free(out);
    return rc;
}

void link_nicknames_free(struct link_nicknames **tp)
{
    struct link_nicknames *t = tp ? *tp : NULL;
    if (!t)
        return;
    for (size_t i = 0; i < t->nnodes; i++) {
        svp_free(t->nodes[i].name);
        svp_free(t->nodes[i].ids);
    }
    svp_free(t->nodes);
    svp_free(t->slots);
    svp_free(t);
    *tp = NULL;
}

int32_t link_nicknames_lookup(const struct link_nicknames *t, const char *name)
{
    return name && name[0] ? (int32_t)nick_find(t, name) : -1;
}

bool link_nicknames_equiv_ids(const struct link_nicknames *t, int32_t x, int32_t y)
{
    if (x < 0 || y < 0)
        return false;
    if (x == y)
        return true;
    const struct nick_node *p = &t->nodes[x], *q = &t->nodes[y];
    for (uint32_t i = 0, j = 0; i < p->n && j < q->n;) {
        if (p->ids[i] == q->ids[j])
            return true;
        if (p->ids[i] < q->ids[j])
            i++;
        else
            j++;
    }
    return false;
}

bool link_nicknames_equiv(const struct link_nicknames *t, const char *a, const char *b)
{
    if (!a || !b || !a[0] || !b[0])
        return false;
    if (!strcmp(a, b))
        return true;
    return link_nicknames_equiv_ids(t, link_nicknames_lookup(t, a), link_nicknames_lookup(t, b));
}
