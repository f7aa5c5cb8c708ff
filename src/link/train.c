/* Training: u from random pairs, m by EM one session per blocking rule that pins the
 * person, and the prior by EM over the candidates. */
#include "model_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ training */

/* Pair counts per pattern of comparison levels. Patterns are many (the product of every
 * comparison's levels, PH_MAXPAT) but few occur, so they are counted in a hash table of
 * fixed size (more than twice PH_MAXPAT slots: it never fills) and EM walks only those seen. */
#define PH_SLOTS (1u << 21)
#define PH_EMPTY UINT32_MAX
struct phist {
    uint32_t *key;   /* PH_SLOTS patterns, PH_EMPTY where none */
    uint64_t *count; /* per slot */
    uint32_t *seen;  /* the slots in use, in the order first seen */
    size_t nseen;
};

static int phist_init(struct phist *h)
{
    h->key = svp_malloc(PH_SLOTS * sizeof *h->key);
    h->count = svp_calloc(PH_SLOTS, sizeof *h->count);
    h->seen = svp_malloc(PH_SLOTS * sizeof *h->seen);
    h->nseen = 0;
    if (h->key)
        memset(h->key, 0xff, PH_SLOTS * sizeof *h->key);
    return h->key && h->count && h->seen ? 0 : SVP_ENOMEM;
}

static void phist_add_n(struct phist *h, uint32_t p, uint64_t n)
{
    uint32_t k = (p * 0x9E3779B1u) >> (32 - 21);
    while (h->key[k] != p && h->key[k] != PH_EMPTY)
        k = (k + 1) & (PH_SLOTS - 1);
    if (h->key[k] == PH_EMPTY) {
        h->key[k] = p;
        h->seen[h->nseen++] = k;
    }
    h->count[k] += n;
}

static int cmp_u64(const void *x, const void *y)
{
    const uint64_t *a = x, *b = y;
    return *a < *b ? -1 : *a > *b;
}

/* Puts the patterns seen in the order of their keys, so that sums over them run in one order
 * whichever thread counted which pair. */
static int phist_sort(struct phist *h)
{
    uint64_t *t = svp_malloc((h->nseen ? h->nseen : 1) * sizeof *t);
    if (!t)
        return SVP_ENOMEM;
    for (size_t k = 0; k < h->nseen; k++)
        t[k] = (uint64_t)h->key[h->seen[k]] << 32 | h->seen[k];
    qsort(t, h->nseen, sizeof *t, cmp_u64);
    for (size_t k = 0; k < h->nseen; k++)
        h->seen[k] = (uint32_t)t[k];
    svp_free(t);
    return 0;
}

static void phist_add(struct phist *h, uint32_t p)
{
    uint32_t k = (p * 0x9E3779B1u) >> (32 - 21);
    while (h->key[k] != p && h->key[k] != PH_EMPTY)
        k = (k + 1) & (PH_SLOTS - 1);
    if (h->key[k] == PH_EMPTY) {
        h->key[k] = p;
        h->seen[h->nseen++] = k;
    }
    h->count[k]++;
}

static void phist_clear(struct phist *h)
{
    for (size_t k = 0; k < h->nseen; k++) {
        h->key[h->seen[k]] = PH_EMPTY;
        h->count[h->seen[k]] = 0;
    }
    h->nseen = 0;
}

static void phist_free(struct phist *h)
{
    svp_free(h->key);
    svp_free(h->count);
    svp_free(h->seen);
    memset(h, 0, sizeof *h);
}

struct hist_ctx {
    const struct link_set *s;
    struct phist *hist;
    uint32_t mask;  /* level bits kept (comparisons a blocking rule fixed are dropped) */
};

static void hist_pair(size_t i, size_t j, void *vctx)
{
    struct hist_ctx *h = vctx;
    uint8_t lv[LINK_NCMP];
    link_compare_levels(h->s, i, j, lv);
    phist_add(h->hist, link_pack_levels(lv) & h->mask);
}

/* A small deterministic generator so that training gives the same model every run. */
static uint64_t xorshift(uint64_t *st)
{
    uint64_t x = *st;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *st = x;
}

/* Runs fn(arg[t]) for each of LINK_THREADS threads, the first on this one; a thread that
 * cannot be started runs here after the others. */
static void on_threads(void *(*fn)(void *), void *arg[LINK_THREADS])
{
    pthread_t tid[LINK_THREADS];
    bool started[LINK_THREADS] = {false};
    for (size_t t = 1; t < LINK_THREADS; t++)
        started[t] = pthread_create(&tid[t], NULL, fn, arg[t]) == 0;
    fn(arg[0]);
    for (size_t t = 1; t < LINK_THREADS; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            fn(arg[t]);
    }
}

/* u's random pairs compared, a share of them on each thread. */
#define U_PAIRS 1000000
/* EM's sample of each rule's pairs, and the prior's of all candidates: a rule or a data set
 * with fewer pairs gives every one. m and the prior are shares, so their sampling error at
 * these sizes (about 1/sqrt(pairs) of a share, under 0.5%) is far below what moves a pair
 * across the threshold; more pairs made a million records' training slower, not better. */
#define EM_PAIRS 50000
#define PRIOR_PAIRS 250000
struct u_job {
    const struct link_set *s;
    const uint32_t *pairs;
    size_t from, to;
    uint64_t count[LINK_NCMP][LINK_MAX_LEVELS];
};

static void *u_worker(void *arg)
{
    struct u_job *j = arg;
    for (size_t k = j->from; k < j->to; k++) {
        uint8_t lv[LINK_NCMP];
        /* random pairs: each record is far from the last; ask for them ahead */
        if (k + 8 < j->to) {
            link_prefetch_rec(j->s, j->pairs[2 * (k + 8)]);
            link_prefetch_rec(j->s, j->pairs[2 * (k + 8) + 1]);
        }
        if (k + 4 < j->to) {
            link_prefetch_names(j->s, j->pairs[2 * (k + 4)]);
            link_prefetch_names(j->s, j->pairs[2 * (k + 4) + 1]);
        }
        link_compare_levels(j->s, j->pairs[2 * k], j->pairs[2 * k + 1], lv);
        for (int c = 0; c < LINK_NCMP; c++)
            j->count[c][lv[c]]++;
    }
    return NULL;
}

/* The comparison a blocking field fixes (LINK_NCMP for none). */
static int bfield_cmp(enum bfield f)
{
    switch (f) {
    case BF_GIVEN: case BF_GIVEN1: case BF_GIVEN_PH: case BF_GIVEN3: return LINK_CMP_GIVEN;
    case BF_NAMES: case BF_NAMES_PH: case BF_INITIALS:
        return LINK_CMP_GIVEN; /* and family: see the caller */
    case BF_FAMILY: case BF_FAMILY1: case BF_FAMILY_PH: case BF_FAMILY3:
        return LINK_CMP_FAMILY;
    case BF_DOB: case BF_DOB_YEAR: case BF_DOB_MD: case BF_DOB_DM: case BF_DOB_YEAR3: return LINK_CMP_DOB;
    case BF_POSTCODE: case BF_SECTOR: case BF_DISTRICT: return LINK_CMP_POSTCODE;
    case BF_SEX: return LINK_CMP_SEX;
    case BF_ID: return LINK_CMP_ID;
    case BF_CONTACT: case BF_EMAIL_USER: return LINK_CMP_CONTACT;
    default: return LINK_NCMP;
    }
}

/* Log-likelihood ratio of a pattern under m and u, null levels skipped. */
static double pattern_llr(const struct link_model *m, uint32_t p)
{
    double w = 0;
    for (int c = 0; c < LINK_NCMP; c++) {
        int l = LEVEL_OF(p, c);
        if (l)
            w += log(m->m[c][l]) - log(m->u[c][l]);
    }
    return w;
}

/* EM for m and the match share on one rule's pattern counts, u held at its random-pair
 * value; comparisons outside mask are left alone. */
static double em_rule(struct link_model *m, const struct phist *hist, uint32_t mask,
                      double mnew[LINK_NCMP][LINK_MAX_LEVELS])
{
    double lam = 0.1;
    double mm[LINK_NCMP][LINK_MAX_LEVELS];
    memcpy(mm, m->m, sizeof mm);
    struct link_model tmp = *m;
    for (int it = 0; it < 100; it++) {
        double am[LINK_NCMP][LINK_MAX_LEVELS] = {{0}};
        double sg = 0, stot = 0;
        memcpy(tmp.m, mm, sizeof mm);
        for (size_t k = 0; k < hist->nseen; k++) {
            uint32_t p = hist->key[hist->seen[k]];
            double x = log(lam / (1 - lam)) + pattern_llr(&tmp, p);
            double g = x > 40 ? 1.0 : x < -40 ? 0.0 : 1.0 / (1.0 + exp(-x));
            double cnt = (double)hist->count[hist->seen[k]];
            sg += g * cnt;
            stot += cnt;
            for (int c = 0; c < LINK_NCMP; c++)
                am[c][LEVEL_OF(p, c)] += g * cnt;
        }
        double delta = 0;
        for (int c = 0; c < LINK_NCMP; c++) {
            if (!(mask & LVMASK(c)))
                continue;
            double tm = 0;
            for (int l = 1; l < link_nlevels[c]; l++)
                tm += am[c][l];
            if (tm <= 0)
                continue;
            for (int l = 1; l < link_nlevels[c]; l++) {
                double nm = (am[c][l] + 0.01) / (tm + 0.01 * (link_nlevels[c] - 1));
                delta = fmax(delta, fabs(nm - mm[c][l]));
                mm[c][l] = nm;
            }
        }
        double nl = stot > 0 ? sg / stot : lam;
        nl = fmin(fmax(nl, 1e-6), 1 - 1e-6);
        delta = fmax(delta, fabs(nl - lam));
        lam = nl;
        if (delta < 1e-7)
            break;
    }
    memcpy(mnew, mm, sizeof mm);
    return lam;
}

/* The EM sessions, one a rule, taken by the threads in turn. */
struct em_job {
    const struct link_set *s;
    const struct link_opts *o;
    const struct blockidx *bi;
    const struct link_model *m; /* u and the starting m */
    size_t next, nrules;        /* the next rule to take (atomically) */
    double mnew[MAX_RULES][LINK_NCMP][LINK_MAX_LEVELS];
    uint32_t mask[MAX_RULES];
    bool trained[MAX_RULES];
    uint64_t stride[MAX_RULES];
    int failed;
};

struct em_thread {
    struct em_job *j;
    struct phist hist;
};

static void *em_worker(void *arg)
{
    struct em_thread *t = arg;
    struct em_job *j = t->j;
    for (;;) {
        size_t r = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
        if (r >= j->nrules)
            break;
        if (!j->trained[r])
            continue;
        phist_clear(&t->hist);
        struct hist_ctx hc = {j->s, &t->hist, j->mask[r]};
        link_blockidx_pairs(j->bi, j->s, j->o, false, 0, (int)r, j->stride[r], hist_pair, &hc,
                            NULL);
        struct link_model tmp = *j->m;
        em_rule(&tmp, &t->hist, j->mask[r], j->mnew[r]);
    }
    return NULL;
}

struct prior_ctx {
    const struct link_set *s;
    uint64_t *hist;
};

int link_model_train(const struct link_set *s, const struct link_blocking *b,
                     const struct link_opts *o, struct link_model **out, struct svp_err *err)
{
    *out = NULL;
    struct link_model *m = svp_calloc(1, sizeof *m);
    struct phist hist;
    int rc = 0;
    if (phist_init(&hist) || !m) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory training the model");
        goto fail;
    }
    link_household_pairs(s, &m->twins, &m->siblings, &m->alike);
    link_generation_pairs(s, &m->generation, &m->year_out, &m->random_near, &m->random_far);
    /* Term frequencies of names over the records. */
    for (size_t i = 0; i < s->n; i++)
        if (link_tf_add(&m->tf[0], s->r[i].gfirst, s->r[i].g1len, 1) ||
            link_tf_add(&m->tf[1], s->r[i].family, s->r[i].flen, 1) ||
            link_tf_add(&m->tf[2], s->r[i].pc.full, s->r[i].pc.len, 1)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory counting names");
            goto fail;
        }
    /* u: how often two records of different people agree, from random pairs (almost all
     * random pairs are of different people). */
    uint64_t ucount[LINK_NCMP][LINK_MAX_LEVELS] = {{0}};
    bool any_cross = false;
    for (size_t i = 1; i < s->n && !any_cross; i++)
        any_cross = strcmp(s->r[i].source, s->r[0].source) != 0;
    if (s->n >= 2 && (o->dedupe_within_source || any_cross)) {
        /* the pairs drawn first (the same every run), then compared on the threads */
        uint32_t *up = svp_malloc(2 * U_PAIRS * sizeof *up);
        if (!up) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory training the model");
            goto fail;
        }
        size_t nu = 0;
        uint64_t seed = 0x9e3779b97f4a7c15ULL;
        for (uint64_t tries = 0; nu < U_PAIRS && tries < 20000000; tries++) {
            size_t i = (size_t)(xorshift(&seed) % s->n), j = (size_t)(xorshift(&seed) % s->n);
            if (i == j || (!o->dedupe_within_source && !strcmp(s->r[i].source, s->r[j].source)))
                continue;
            up[2 * nu] = (uint32_t)i;
            up[2 * nu + 1] = (uint32_t)j;
            nu++;
        }
        struct u_job uj[LINK_THREADS];
        void *arg[LINK_THREADS];
        for (size_t t = 0; t < LINK_THREADS; t++) {
            uj[t] = (struct u_job){s, up, nu * t / LINK_THREADS, nu * (t + 1) / LINK_THREADS,
                                   {{0}}};
            arg[t] = &uj[t];
        }
        on_threads(u_worker, arg);
        svp_free(up);
        for (size_t t = 0; t < LINK_THREADS; t++)
            for (int c = 0; c < LINK_NCMP; c++)
                for (int l = 0; l < LINK_MAX_LEVELS; l++)
                    ucount[c][l] += uj[t].count[c][l];
    }
    for (int c = 0; c < LINK_NCMP; c++) {
        uint64_t tot = 0;
        for (int l = 1; l < link_nlevels[c]; l++)
            tot += ucount[c][l];
        for (int l = 1; l < link_nlevels[c]; l++)
            m->u[c][l] = ((double)ucount[c][l] + 0.5) / ((double)tot + 0.5 * (link_nlevels[c] - 1));
        /* m starts high on full agreement, low on disagreement; EM moves it */
        int mid = link_nlevels[c] - 3 > 0 ? link_nlevels[c] - 3 : 1;
        for (int l = 1; l < link_nlevels[c]; l++)
            m->m[c][l] = l == 1 ? 0.8 : l == link_nlevels[c] - 1 ? 0.02 : 0.18 / mid;
    }
    /* m by EM, one session per blocking rule: the pairs a rule makes agree on the rule's
     * fields by construction, so those comparisons are left out of that session and
     * estimated from the other rules; each m is the mean over the sessions that saw it. */
    double msum[LINK_NCMP][LINK_MAX_LEVELS] = {{0}};
    int mcount[LINK_NCMP] = {0};
    struct blockidx bi;
    if ((rc = link_blockidx_take(s, b, o, &bi, err)))
        goto fail;
    if ((rc = link_blockidx_check(&bi, b, o, false, 0, NULL, err))) {
        link_blockidx_free(&bi);
        goto fail;
    }
    /* EM needs pattern counts, not every pair: a fixed sample keeps training fast. The
     * rules' sessions run on the threads (each takes the next rule, with its own counts);
     * the means are taken in the rules' order after. */
    static const struct em_job ej0;
    struct em_job ej = ej0;
    ej.s = s, ej.o = o, ej.bi = &bi, ej.m = m;
    uint64_t allpairs = 0;
    for (size_t r = 0; r < b->n; r++) {
        uint32_t mask = NPATTERNS - 1;
        bool personal = false;
        for (int k = 0; k < b->rule[r].nf; k++) {
            enum bfield f = b->rule[r].f[k];
            personal |= f == BF_GIVEN || f == BF_GIVEN_PH || f == BF_GIVEN1 || f == BF_GIVEN3 ||
                        f == BF_DOB ||
                        f == BF_DOB_YEAR || f == BF_DOB_MD || f == BF_NAMES || f == BF_NAMES_PH ||
                        f == BF_ID;
            int c = bfield_cmp(b->rule[r].f[k]);
            if (c < LINK_NCMP)
                mask &= ~LVMASK(c);
            if (b->rule[r].f[k] == BF_NAMES || b->rule[r].f[k] == BF_NAMES_PH ||
                b->rule[r].f[k] == BF_INITIALS)
                mask &= ~LVMASK(LINK_CMP_FAMILY);
        }
        uint64_t cnt = link_blockidx_count(&bi, r, false, 0);
        allpairs += cnt;
        ej.mask[r] = mask;
        ej.stride[r] = cnt / EM_PAIRS + 1;
        /* A rule that pins only a household (family name and address) gives pairs of
         * siblings, and EM would learn "same household" as its match class; only rules that
         * pin something of the person (given name or date of birth) train m. A sorted
         * neighbourhood pins nothing (its pairs are near, not equal): it trains none. */
        ej.trained[r] = personal && !b->rule[r].window;
    }
    ej.nrules = b->n;
    struct em_thread et[LINK_THREADS];
    void *arg[LINK_THREADS];
    et[0] = (struct em_thread){&ej, hist}; /* the first thread counts in hist */
    arg[0] = &et[0];
    for (size_t t = 1; t < LINK_THREADS; t++) {
        et[t] = (struct em_thread){&ej, {0}};
        arg[t] = &et[t];
        if (phist_init(&et[t].hist))
            ej.failed = 1;
    }
    if (!ej.failed)
        on_threads(em_worker, arg);
    hist = et[0].hist;
    for (size_t t = 1; t < LINK_THREADS; t++)
        phist_free(&et[t].hist);
    if (ej.failed) {
        link_blockidx_free(&bi);
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory training the model");
        goto fail;
    }
    for (size_t r = 0; r < b->n; r++) {
        if (!ej.trained[r])
            continue;
        for (int c = 0; c < LINK_NCMP; c++) {
            if (!(ej.mask[r] & LVMASK(c)))
                continue;
            for (int l = 1; l < link_nlevels[c]; l++)
                msum[c][l] += ej.mnew[r][c][l];
            mcount[c]++;
        }
    }
    for (int c = 0; c < LINK_NCMP; c++)
        if (mcount[c])
            for (int l = 1; l < link_nlevels[c]; l++)
                m->m[c][l] = msum[c][l] / mcount[c];
    /* The prior: the chance two random records are the same person. Pairs outside the
     * candidates have almost no chance of matching, so the expected number of matches is the
     * sum of the candidates' probabilities; iterate prior = matches / all pairs. The sample
     * is counted on the threads, each into its own counts, then added and put in one order. */
    phist_clear(&hist);
    struct phist ph1;
    if (phist_init(&ph1)) {
        phist_free(&ph1);
        link_blockidx_free(&bi);
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory training the model");
        goto fail;
    }
    struct hist_ctx hc[LINK_THREADS] = {{s, &hist, NPATTERNS - 1}, {s, &ph1, NPATTERNS - 1}};
    void *hctx[LINK_THREADS] = {&hc[0], &hc[1]};
    uint64_t stride = allpairs / PRIOR_PAIRS + 1;
    link_blockidx_pairs_par(&bi, s, o, false, 0, -1, stride, hist_pair, hctx, NULL);
    for (size_t k = 0; k < ph1.nseen; k++)
        phist_add_n(&hist, ph1.key[ph1.seen[k]], ph1.count[ph1.seen[k]]);
    phist_free(&ph1);
    if (phist_sort(&hist)) {
        link_blockidx_free(&bi);
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory training the model");
        goto fail;
    }
    link_blockidx_keep(s, b, o, &bi); /* the pairs need the same index next */
    double total = (double)s->n * ((double)s->n - 1) / 2;
    if (!o->dedupe_within_source) {
        /* only pairs across sources count; sources are few, so a short list will do */
        const char **src = svp_calloc(s->n ? s->n : 1, sizeof *src);
        double *cnt = svp_calloc(s->n ? s->n : 1, sizeof *cnt);
        if (!src || !cnt) {
            svp_free(src);
            svp_free(cnt);
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory training the model");
            goto fail;
        }
        size_t nsrc = 0;
        for (size_t i = 0; i < s->n; i++) {
            size_t k = 0;
            while (k < nsrc && strcmp(src[k], s->r[i].source))
                k++;
            if (k == nsrc)
                src[nsrc++] = s->r[i].source;
            cnt[k] += 1;
        }
        double same = 0;
        for (size_t k = 0; k < nsrc; k++)
            same += cnt[k] * (cnt[k] - 1) / 2;
        svp_free(src);
        svp_free(cnt);
        total -= same;
    }
    if (total < 1)
        total = 1;
    double lam = 1.0 / total;
    for (int it = 0; it < 200; it++) {
        double matches = 0;
        for (size_t k = 0; k < hist.nseen; k++) {
            uint32_t p = hist.key[hist.seen[k]];
            double x = log(lam / (1 - lam)) + pattern_llr(m, p);
            matches += (double)hist.count[hist.seen[k]] * (double)stride *
                       (x > 40 ? 1.0 : x < -40 ? 0.0 : 1 / (1 + exp(-x)));
        }
        double nl = fmin(fmax(matches / total, 1e-12), 0.5);
        bool done = fabs(nl - lam) < 1e-9 * lam;
        lam = nl;
        if (done)
            break;
    }
    m->lambda = lam;
    phist_free(&hist);
    link_model_derive(m);
    *out = m;
    return 0;
fail:
    phist_free(&hist);
    link_model_free(&m);
    return rc;
}
