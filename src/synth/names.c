/* Name tables from data/names-*.csv (see data/NAMES-SOURCES.md for origin and licences):
 * forenames by sex weighted by births 1996-2024, surnames weighted by population share,
 * nicknames and variant spellings. */
#include "synth.h"

#include <stdlib.h>
#include <string.h>

struct weighted {
    const char **name;
    double *cum;
    size_t n;
};

struct pair {
    const char *key;
    const char *value;
};

struct pairs {
    struct pair *p;
    size_t n;
};

struct synth_names {
    struct svp_arena *arena;
    struct weighted given[2]; /* 0 = F, 1 = M */
    struct weighted surname;
    struct pairs nick, var_given, var_surname;
    size_t given_cap[2], surname_cap, nick_cap, vg_cap, vs_cap; /* while loading */
};

static int pair_cmp(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

/* Reads an embedded CSV and calls row() for each data row. */
static int each_row(const char *file, int (*row)(struct synth_names *, const struct svp_csv_row *),
                    struct synth_names *nm, struct svp_err *err)
{
    const struct svp_embedded *e = svp_data_find(file);
    if (!e)
        return svp_err_set(err, SVP_EINTERNAL, "%s is not embedded in this svp binary", file);
    struct svp_csv *csv;
    int rc = svp_csv_open_mem(e->data, e->len, NULL, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row r;
    bool header = true;
    while ((rc = svp_csv_next(csv, &r, err)) == 1) {
        if (header) {
            header = false;
            continue;
        }
        if (r.error)
            continue;
        if ((rc = row(nm, &r)))
            break;
    }
    svp_csv_free(&csv);
    return rc < 0 ? rc : SVP_OK;
}

static int add_weighted(struct synth_names *nm, struct weighted *w, size_t *cap,
                        const struct svp_csv_field *name, const struct svp_csv_field *count)
{
    int64_t c;
    if (svp_parse_i64(count->p, &c) || c <= 0)
        return SVP_OK;
    /* names and their running totals grow together, one capacity for both */
    size_t ncap = *cap, ccap = *cap;
    const char **names = svp_grow(w->name, &ncap, w->n + 1, sizeof *names, 1024);
    if (!names)
        return SVP_ENOMEM;
    w->name = names;
    double *cum = svp_grow(w->cum, &ccap, w->n + 1, sizeof *cum, 1024);
    if (!cum)
        return SVP_ENOMEM;
    w->cum = cum;
    *cap = ccap;
    const char *s = svp_arena_strndup(nm->arena, name->p, name->len);
    if (!s)
        return SVP_ENOMEM;
    w->name[w->n] = s;
    w->cum[w->n] = (w->n ? w->cum[w->n - 1] : 0) + (double)c;
    w->n++;
    return SVP_OK;
}

static int given_row(struct synth_names *nm, const struct svp_csv_row *r)
{
    if (r->nfields < 3)
        return SVP_OK;
    int s = r->fields[1].p[0] == 'M';
    return add_weighted(nm, &nm->given[s], &nm->given_cap[s], &r->fields[0], &r->fields[2]);
}

static int surname_row(struct synth_names *nm, const struct svp_csv_row *r)
{
    if (r->nfields < 2)
        return SVP_OK;
    return add_weighted(nm, &nm->surname, &nm->surname_cap, &r->fields[0], &r->fields[1]);
}

static int add_pair(struct synth_names *nm, struct pairs *ps, size_t *cap,
                    const struct svp_csv_field *k, const struct svp_csv_field *v)
{
    struct pair *np = svp_grow(ps->p, cap, ps->n + 1, sizeof *np, 1024);
    if (!np)
        return SVP_ENOMEM;
    ps->p = np;
    const char *ks = svp_arena_strndup(nm->arena, k->p, k->len);
    const char *vs = svp_arena_strndup(nm->arena, v->p, v->len);
    if (!ks || !vs)
        return SVP_ENOMEM;
    ps->p[ps->n++] = (struct pair){ks, vs};
    return SVP_OK;
}

static int nick_row(struct synth_names *nm, const struct svp_csv_row *r)
{
    if (r->nfields < 2)
        return SVP_OK;
    return add_pair(nm, &nm->nick, &nm->nick_cap, &r->fields[0], &r->fields[1]);
}

static int variant_row(struct synth_names *nm, const struct svp_csv_row *r)
{
    if (r->nfields < 3)
        return SVP_OK;
    if (!strcmp(r->fields[0].p, "surname"))
        return add_pair(nm, &nm->var_surname, &nm->vs_cap, &r->fields[1], &r->fields[2]);
    return add_pair(nm, &nm->var_given, &nm->vg_cap, &r->fields[1], &r->fields[2]);
}

int synth_names_load(struct synth_names **out, struct svp_err *err)
{
    *out = NULL;
    struct synth_names *nm = svp_calloc(1, sizeof *nm);
    if (!nm || !(nm->arena = svp_arena_new(256 * 1024))) {
        svp_free(nm);
        return svp_err_set(err, SVP_ENOMEM, "out of memory loading name tables");
    }
    int rc = each_row("names-given.csv", given_row, nm, err);
    if (!rc)
        rc = each_row("names-surnames.csv", surname_row, nm, err);
    if (!rc)
        rc = each_row("nicknames.csv", nick_row, nm, err);
    if (!rc)
        rc = each_row("names-variants.csv", variant_row, nm, err);
    if (!rc && (!nm->given[0].n || !nm->given[1].n || !nm->surname.n))
        rc = svp_err_set(err, SVP_EINTERNAL, "the embedded name tables are empty");
    if (rc) {
        if (rc == SVP_ENOMEM)
            svp_err_set(err, rc, "out of memory loading name tables");
        synth_names_free(&nm);
        return rc;
    }
    qsort(nm->nick.p, nm->nick.n, sizeof *nm->nick.p, pair_cmp);
    qsort(nm->var_given.p, nm->var_given.n, sizeof *nm->var_given.p, pair_cmp);
    qsort(nm->var_surname.p, nm->var_surname.n, sizeof *nm->var_surname.p, pair_cmp);
    *out = nm;
    return SVP_OK;
}

void synth_names_free(struct synth_names **names)
{
    struct synth_names *nm = *names;
    if (!nm)
        return;
    for (int s = 0; s < 2; s++) {
        svp_free(nm->given[s].name);
        svp_free(nm->given[s].cum);
    }
    svp_free(nm->surname.name);
    svp_free(nm->surname.cum);
    svp_free(nm->nick.p);
    svp_free(nm->var_given.p);
    svp_free(nm->var_surname.p);
    svp_arena_free(&nm->arena);
    svp_free(nm);
    *names = NULL;
}

static const char *pick(const struct weighted *w, struct synth_rng *r)
{
    return w->name[synth_pick_cumulative(w->cum, w->n, synth_rng_unit(r))];
}

const char *synth_names_given(const struct synth_names *names, char sex, struct synth_rng *r)
{
    return pick(&names->given[sex == 'M'], r);
}

const char *synth_names_surname(const struct synth_names *names, struct synth_rng *r)
{
    return pick(&names->surname, r);
}

/* A random value among the pairs whose key is name, or NULL. */
static const char *lookup(const struct pairs *ps, const char *name, struct synth_rng *r)
{
    size_t lo = 0, hi = ps->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ps->p[mid].key, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ps->n && !strcmp(ps->p[end].key, name))
        end++;
    if (end == lo)
        return NULL;
    return ps->p[lo + synth_rng_below(r, end - lo)].value;
}

const char *synth_names_nickname(const struct synth_names *names, const char *given,
                                 struct synth_rng *r)
{
    return lookup(&names->nick, given, r);
}

const char *synth_names_variant(const struct synth_names *names, const char *name, bool surname,
                                struct synth_rng *r)
{
    return lookup(surname ? &names->var_surname : &names->var_given, name, r);
}
