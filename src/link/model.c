/* The Fellegi-Sunter model: its term-frequency tables, its text (save and load) and what
 * it says (one line a level, the household counts). levels.c compares a pair, guard.c
 * scores it, train.c learns the model; blocking.c makes the candidate pairs, pairs.c scores
 * them all and cluster.c makes the persons; link.c moves data between the store and these. */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ term frequencies */


uint64_t link_fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

long link_tf_find(const struct tf_table *t, const char *s, size_t n)
{
    if (!t->nslots)
        return -1;
    for (size_t k = link_fnv(s, n) & (t->nslots - 1);; k = (k + 1) & (t->nslots - 1)) {
        uint32_t v = t->slots[k];
        if (!v)
            return -1;
        if (!strncmp(t->names[v - 1], s, n) && !t->names[v - 1][n])
            return (long)(v - 1);
    }
}

static int tf_grow(struct tf_table *t)
{
    size_t ns = t->nslots ? t->nslots * 2 : 1024;
    uint32_t *sl = svp_calloc(ns, sizeof *sl);
    char **nm = svp_realloc(t->names, ns / 2 * sizeof *nm);
    if (nm)
        t->names = nm;
    uint32_t *ct = svp_realloc(t->count, ns / 2 * sizeof *ct);
    if (ct)
        t->count = ct;
    if (!sl || !nm || !ct) {
        svp_free(sl);
        return SVP_ENOMEM;
    }
    for (size_t i = 0; i < t->n; i++) {
        size_t k = link_fnv(t->names[i], strlen(t->names[i])) & (ns - 1);
        while (sl[k])
            k = (k + 1) & (ns - 1);
        sl[k] = (uint32_t)(i + 1);
    }
    svp_free(t->slots);
    t->slots = sl;
    t->nslots = ns;
    return 0;
}

int link_tf_add(struct tf_table *t, const char *s, size_t n, uint32_t count)
{
    if (!n)
        return 0;
    t->total += count;
    long f = link_tf_find(t, s, n);
    if (f >= 0) {
        t->count[f] += count;
        return 0;
    }
    if ((t->n + 1) * 2 > t->nslots && tf_grow(t))
        return SVP_ENOMEM;
    if (!(t->names[t->n] = svp_strndup(s, n)))
        return SVP_ENOMEM;
    t->count[t->n] = count;
    size_t k = link_fnv(s, n) & (t->nslots - 1);
    while (t->slots[k])
        k = (k + 1) & (t->nslots - 1);
    t->slots[k] = (uint32_t)(t->n + 1);
    t->n++;
    return 0;
}

void link_tf_free(struct tf_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        svp_free(t->names[i]);
    svp_free(t->names);
    svp_free(t->count);
    svp_free(t->slots);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ the model */


void link_model_derive(struct link_model *m)
{
    for (int c = 0; c < LINK_NCMP; c++)
        for (int l = 0; l < link_nlevels[c]; l++)
            m->lw[c][l] = l ? log2(m->m[c][l] / m->u[c][l]) : 0.0;
}

void link_model_free(struct link_model **mp)
{
    struct link_model *m = mp ? *mp : NULL;
    if (!m)
        return;
    for (int t = 0; t < 3; t++)
        link_tf_free(&m->tf[t]);
    svp_free(m);
    *mp = NULL;
}

/* ------------------------------------------------------------------ model text */

int link_model_save(const struct link_model *m, char **out, struct svp_err *err)
{
    struct svp_buf b;
    svp_buf_init(&b, (size_t)1 << 30);
    int rc = svp_buf_printf(&b, "svp-link-model %d\nlambda %.17g\ntwins %llu\nsiblings %llu\n",
                            LINK_MODEL_VERSION, m->lambda, (unsigned long long)m->twins,
                            (unsigned long long)m->siblings);
    if (!rc && m->alike != UINT64_MAX)
        rc = svp_buf_printf(&b, "alike %llu\n", (unsigned long long)m->alike);
    if (!rc)
        rc = svp_buf_printf(&b, "generation %llu\nyear_out %llu\nrandom_years %llu %llu\n",
                            (unsigned long long)m->generation, (unsigned long long)m->year_out,
                            (unsigned long long)m->random_near,
                            (unsigned long long)m->random_far);
    for (int c = 0; !rc && c < LINK_NCMP; c++)
        for (int l = 1; !rc && l < link_nlevels[c]; l++)
            rc = svp_buf_printf(&b, "level %d %d %.17g %.17g\n", c, l, m->m[c][l], m->u[c][l]);
    for (int t = 0; !rc && t < 3; t++)
        for (size_t i = 0; !rc && i < m->tf[t].n; i++)
            rc = svp_buf_printf(&b, "tf %d %u %s\n", t, m->tf[t].count[i], m->tf[t].names[i]);
    if (rc) {
        svp_buf_free(&b);
        return svp_err_set(err, SVP_ENOMEM, "out of memory saving the model");
    }
    *out = svp_buf_take(&b);
    return *out ? 0 : svp_err_set(err, SVP_ENOMEM, "out of memory saving the model");
}

int link_model_load(const char *text, struct link_model **out, struct svp_err *err)
{
    *out = NULL;
    struct link_model *m = svp_calloc(1, sizeof *m);
    if (!m)
        return svp_err_set(err, SVP_ENOMEM, "out of memory loading the model");
    long line = 0;
    bool head = false, have_lambda = false, have_twins = false, have_siblings = false;
    bool have_alike = false;
    bool seen[LINK_NCMP][LINK_MAX_LEVELS] = {{false}};
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        line++;
        char buf[512];
        if (len >= sizeof buf)
            goto bad;
        memcpy(buf, p, len);
        buf[len] = 0;
        int c, l, t, used = 0;
        unsigned cnt;
        unsigned long long twins, far;
        double a, u;
        if (line == 1) {
            int ver = 0, vused = 0;
            if (sscanf(buf, "svp-link-model %d%n", &ver, &vused) != 1 || buf[vused] || ver < 1 ||
                ver > LINK_MODEL_VERSION)
                goto bad;
            if (ver < LINK_MODEL_VERSION) {
                /* older comparisons (before 4: eight given-name levels; before 5: no email
                 * or phone; before 6: a date of birth one keying error out and an email with
                 * its domain mistyped were different, and alike pairs were not counted; before
                 * 7: same-name pairs a generation apart were not counted): train anew */
                link_model_free(&m);
                return 0;
            }
            head = true;
        } else if (sscanf(buf, "lambda %lf%n", &a, &used) == 1 && !buf[used]) {
            if (!(a > 0 && a < 1))
                goto bad;
            m->lambda = a;
            have_lambda = true;
        } else if (sscanf(buf, "twins %llu%n", &twins, &used) == 1 && !buf[used]) {
            m->twins = (uint64_t)twins;
            have_twins = true;
        } else if (sscanf(buf, "siblings %llu%n", &twins, &used) == 1 && !buf[used]) {
            m->siblings = (uint64_t)twins;
            have_siblings = true;
        } else if (sscanf(buf, "generation %llu%n", &twins, &used) == 1 && !buf[used]) {
            m->generation = (uint64_t)twins;
        } else if (sscanf(buf, "year_out %llu%n", &twins, &used) == 1 && !buf[used]) {
            m->year_out = (uint64_t)twins;
        } else if (sscanf(buf, "random_years %llu %llu%n", &twins, &far, &used) == 2 &&
                   !buf[used]) {
            m->random_near = (uint64_t)twins;
            m->random_far = (uint64_t)far;
        } else if (sscanf(buf, "alike %llu%n", &twins, &used) == 1 && !buf[used]) {
            m->alike = (uint64_t)twins;
            have_alike = true;
        } else if (sscanf(buf, "level %d %d %lf %lf%n", &c, &l, &a, &u, &used) == 4 &&
                   !buf[used]) {
            /* each level exactly once: a repeated level would hide a missing one */
            if (c < 0 || c >= LINK_NCMP || l < 1 || l >= link_nlevels[c] || seen[c][l] ||
                !(a > 0 && a <= 1) || !(u > 0 && u <= 1))
                goto bad;
            m->m[c][l] = a;
            m->u[c][l] = u;
            seen[c][l] = true;
        } else if (sscanf(buf, "tf %d %u %n", &t, &cnt, &used) == 2 && t >= 0 && t <= 2 &&
                   buf[used]) {
            if (link_tf_add(&m->tf[t], buf + used, strlen(buf + used), cnt)) {
                link_model_free(&m);
                return svp_err_set(err, SVP_ENOMEM, "out of memory loading the model");
            }
        } else
            goto bad;
        p = e ? e + 1 : p + len;
    }
    if (!head || !have_lambda || !have_twins)
        goto bad;
    if (!have_siblings)
        m->siblings = UINT64_MAX; /* not counted: the twin guard holds in full */
    if (!have_alike)
        m->alike = UINT64_MAX; /* not counted: the sibling guards hold in full */
    for (int c = 0; c < LINK_NCMP; c++)
        for (int l = 1; l < link_nlevels[c]; l++)
            if (!seen[c][l])
                goto bad;
    link_model_derive(m);
    *out = m;
    return 0;
bad:
    link_model_free(&m);
    return svp_err_at(err, SVP_EINPUT, "link model", line, NULL,
                      "the stored model is damaged; run 'svp link --retrain'");
}

/* ------------------------------------------------------------------ what the model says */

int link_model_lines(const struct link_model *m,
                     int (*fn)(const struct link_model_line *l, void *ctx), void *ctx)
{
    for (int c = 0; c < LINK_NCMP; c++)
        for (int l = 1; l < link_nlevels[c]; l++) {
            struct link_model_line ln = {link_cmp_label[c], link_level_names[c][l], m->m[c][l],
                                         m->u[c][l], m->lw[c][l]};
            int rc = fn(&ln, ctx);
            if (rc)
                return rc;
        }
    return 0;
}

int link_model_levels(int cmp)
{
    return cmp >= 0 && cmp < LINK_NCMP ? link_nlevels[cmp] : 0;
}

double link_model_lambda(const struct link_model *m)
{
    return m->lambda;
}

uint64_t link_model_twins(const struct link_model *m)
{
    return m->twins;
}

uint64_t link_model_generation(const struct link_model *m)
{
    return m->generation;
}

uint64_t link_model_year_out(const struct link_model *m)
{
    return m->year_out;
}

uint64_t link_model_siblings(const struct link_model *m)
{
    return m->siblings;
}

uint64_t link_model_alike(const struct link_model *m)
{
    return m->alike;
}

void link_model_tf(const struct link_model *m, int which, size_t *distinct, uint64_t *records,
                   double *w_commonest, double *w_once, double *share_commonest)
{
    which = which < 0 || which > 2 ? 0 : which;
    const struct tf_table *t = &m->tf[which];
    int c = which == 2 ? LINK_CMP_POSTCODE : which ? LINK_CMP_FAMILY : LINK_CMP_GIVEN;
    int exact = which == 2 ? LINK_PC_FULL : which ? F_EXACT : G_EXACT;
    uint32_t most = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->count[i] > most)
            most = t->count[i];
    *distinct = t->n;
    *records = t->total;
    double u = m->u[c][exact], base = m->lw[c][exact];
    double fm = t->total ? fmax((double)most / (double)t->total, 1e-7) : 1;
    double f1 = t->total ? fmax(1.0 / (double)t->total, 1e-7) : 1;
    *share_commonest = t->total ? (double)most / (double)t->total : 0;
    *w_commonest = t->total >= LINK_TF_MIN_RECORDS ? base + log2(u / fm) : base;
    *w_once = t->total >= LINK_TF_MIN_RECORDS ? base + log2(u / f1) : base;
}
