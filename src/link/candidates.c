/* The walk over the candidate pairs: each rule's order in the blocking index (blocking.c
 * builds it) walked block by block or window by window, a pair given once (at the first
 * rule, and the first place, that pairs it), with its records asked for ahead of the
 * comparison; on one thread or on LINK_THREADS. This walk is the linker's hottest code:
 * what it calls for every pair is inline here or in link_internal.h. */
#include "link_internal.h"

#include <pthread.h>
#include <string.h>

static bool same_source(const struct link_set *s, size_t i, size_t j)
{
    const struct srec *a = &s->r[i], *b = &s->r[j];
    if (a->srcid != UINT16_MAX && b->srcid != UINT16_MAX)
        return a->srcid == b->srcid;
    return !strcmp(a->source, b->source);
}

/* Whether rule q paired two records, from their keys for it (see struct blockidx). */
static inline bool rule_paired(const struct blockidx *bi, size_t q, uint32_t a, uint32_t b)
{
    if (!a || !b)
        return false;
    uint32_t w = (uint32_t)bi->window[q];
    return w ? (a > b ? a - b : b - a) < w : a == b;
}

/* One candidate pair of rule r: the filters, then fn. */
struct pair_walk {
    const struct blockidx *bi;
    const struct link_set *s;
    const struct link_opts *o;
    bool only_new;
    size_t first_new;
    int only_rule;
    uint64_t stride;
    pair_fn fn;
    void *ctx;
    uint64_t made, *per_rule;
    uint32_t x, y; /* the pair's places in rule r's order plus one (any_name rules) */
    size_t pf_rec, pf_txt; /* the next places whose records, and names, to prefetch */
};

/* Whether any_name rule q paired records i and j: some place of each less than the
 * window apart; with before set, only at a place pair before (x, y) in the walk's order. */
static bool multi_paired(const struct blockidx *bi, size_t q, size_t i, size_t j, bool before,
                         uint32_t x, uint32_t y)
{
    const uint32_t *pi = bi->mpos[q] + i * SN_MULTI, *pj = bi->mpos[q] + j * SN_MULTI;
    uint32_t w = (uint32_t)bi->window[q];
    for (int a = 0; a < SN_MULTI && pi[a]; a++)
        for (int c = 0; c < SN_MULTI && pj[c]; c++) {
            uint32_t lo = pi[a] < pj[c] ? pi[a] : pj[c], hi = pi[a] < pj[c] ? pj[c] : pi[a];
            if (hi - lo >= w)
                continue;
            if (!before || lo < x || (lo == x && hi < y))
                return true;
        }
    return false;
}

static inline __attribute__((always_inline)) void walk_pair(struct pair_walk *pw, size_t r,
                                                            size_t i, size_t j)
{
    if (pw->only_new && i < pw->first_new && j < pw->first_new)
        return;
    if (pw->stride > 1 &&
        ((uint64_t)i * 0x9e3779b97f4a7c15ULL ^ (uint64_t)j * 0xc2b2ae3d27d4eb4fULL) % pw->stride)
        return;
    if (!pw->o->dedupe_within_source && same_source(pw->s, i, j))
        return;
    if (pw->only_rule < 0) {
        /* equal keys: a block of an equality rule (a sorted neighbourhood's places are
         * unique, so two records never share one); then the neighbourhoods' windows */
        size_t nr = pw->bi->nrules;
        const uint32_t *ka = pw->bi->keys + i * nr, *kb = pw->bi->keys + j * nr;
        /* without a branch a rule, so the compiler compares several rules at once (most
         * pairs are new, and every earlier rule is read for them) */
        uint32_t same = 0;
        for (size_t q = 0; q < r; q++)
            same |= (uint32_t)(ka[q] == kb[q]) & (uint32_t)(ka[q] != 0);
        if (same)
            return;
        for (size_t q = pw->bi->first_window; q < r; q++)
            if (pw->bi->window[q] && rule_paired(pw->bi, q, ka[q], kb[q]) &&
                (!pw->bi->filter[q] ||
                 (pw->bi->sorted[q][ka[q] - 1].key != pw->bi->sorted[q][kb[q] - 1].key &&
                  link_letters_ok(pw->bi, i, j))))
                return;
        for (size_t q = pw->bi->first_multi; q < r; q++)
            if (pw->bi->mpos[q] && multi_paired(pw->bi, q, i, j, false, 0, 0))
                return;
    }
    /* a record meets another under several of its names: the pair is given once, at the
     * first place pair in the order */
    if (pw->bi->mpos[r] && multi_paired(pw->bi, r, i, j, true, pw->x, pw->y))
        return;
    pw->fn(i, j, pw->ctx);
    pw->made++;
    if (pw->per_rule)
        pw->per_rule[r]++;
}

/* A pair's comparison reads both records (four cache lines each), their rows of keys and
 * their names' text, all at random places in memory: the walk was bound by waiting for
 * them. It now asks for the records of the places PF_REC ahead of those it pairs, and for
 * their names' text PF_TXT ahead (by then the record, which points to the text, is in the
 * cache), so the loads overlap the comparisons of the pairs before. */
enum { PF_REC = 16, PF_TXT = 8 };

static inline void walk_ahead(struct pair_walk *pw, const struct keyidx *ki, size_t m,
                              size_t upto)
{
    const struct blockidx *bi = pw->bi;
    size_t a = upto + PF_REC < m ? upto + PF_REC : m;
    for (; pw->pf_rec < a; pw->pf_rec++) {
        size_t i = ki[pw->pf_rec].idx;
        link_prefetch_rec(pw->s, i);
        const char *kr = (const char *)(bi->keys + i * bi->nrules);
        for (size_t k = 0; k < bi->nrules * sizeof *bi->keys; k += 64)
            __builtin_prefetch(kr + k);
        if (bi->lmask)
            __builtin_prefetch(bi->lmask + i * SN_MULTI);
    }
    size_t t = upto + PF_TXT < m ? upto + PF_TXT : m;
    for (; pw->pf_txt < t; pw->pf_txt++)
        link_prefetch_names(pw->s, ki[pw->pf_txt].idx);
}

/* The pairs of rule r whose first place in the order is in [from, to): a window's places, or
 * the blocks that start there (a block begun before from is its slice's before it). */
static void walk_slice(struct pair_walk *pw, size_t r, size_t from, size_t to)
{
    const struct blockidx *bi = pw->bi;
    const struct keyidx *ki = bi->sorted[r];
    size_t m = bi->m[r];
    to = to < m ? to : m;
    pw->pf_rec = pw->pf_txt = from;
    if (bi->window[r] && bi->filter[r]) {
        /* the next W - 1 places whose value differs from x's (the same value is other
         * rules' work), and whose records pass the letters filter */
        size_t w = (size_t)bi->window[r], run = from;
        for (size_t x = from; x < to; x++) {
            if (pw->stride <= 1) /* a sample compares too few to ask ahead */
                walk_ahead(pw, ki, m, x + w - 1);
            if (run <= x)
                for (run = x + 1; run < m && ki[run].key == ki[x].key;)
                    run++;
            for (size_t y = run; y < m && y < x + w; y++) {
                size_t i = ki[x].idx, j = ki[y].idx;
                if (i == j || !link_letters_ok(bi, i, j))
                    continue;
                pw->x = (uint32_t)x + 1;
                pw->y = (uint32_t)y + 1;
                walk_pair(pw, r, i < j ? i : j, i < j ? j : i);
            }
        }
        return;
    }
    if (bi->window[r]) {
        size_t w = (size_t)bi->window[r];
        for (size_t x = from; x < to; x++) {
            if (pw->stride <= 1) /* a sample compares too few to ask ahead */
                walk_ahead(pw, ki, m, x + w - 1);
            for (size_t y = x + 1; y < m && y < x + w; y++) {
                size_t i = ki[x].idx, j = ki[y].idx;
                if (i == j) /* one record's two names side by side */
                    continue;
                pw->x = (uint32_t)x + 1;
                pw->y = (uint32_t)y + 1;
                walk_pair(pw, r, i < j ? i : j, i < j ? j : i);
            }
        }
        return;
    }
    size_t g = from;
    while (g > 0 && g < to && ki[g].key == ki[g - 1].key)
        g++;
    while (g < to) {
        size_t e = g + 1;
        while (e < m && ki[e].key == ki[g].key)
            e++;
        if (pw->stride <= 1)
            walk_ahead(pw, ki, m, e - 1);
        for (size_t x = g; x < e; x++)
            for (size_t y = x + 1; y < e; y++)
                walk_pair(pw, r, ki[x].idx, ki[y].idx);
        g = e;
    }
}

/* A walk's state before its first pair: what the serial walk walks with, and what each
 * thread of the parallel walk starts from (with its own ctx and per_rule). */
static struct pair_walk walk_start(const struct blockidx *bi, const struct link_set *s,
                                   const struct link_opts *o, bool only_new, size_t first_new,
                                   int only_rule, uint64_t stride, pair_fn fn, void *ctx,
                                   uint64_t *per_rule)
{
    return (struct pair_walk){.bi = bi, .s = s, .o = o, .only_new = only_new,
                              .first_new = first_new, .only_rule = only_rule, .stride = stride,
                              .fn = fn, .ctx = ctx, .per_rule = per_rule};
}

/* Calls fn for the pairs of each rule's groups (or of only_rule), skipping a pair an
 * earlier rule already gave (so the union has no duplicates without a pair set). With
 * stride > 1 only about one pair in stride is given (a fixed hash of the pair decides, so
 * a training sample is the same every run). */
uint64_t link_blockidx_pairs(const struct blockidx *bi, const struct link_set *s,
                             const struct link_opts *o, bool only_new, size_t first_new,
                             int only_rule, uint64_t stride, pair_fn fn, void *ctx,
                             uint64_t *per_rule)
{
    struct pair_walk pw = walk_start(bi, s, o, only_new, first_new, only_rule, stride, fn, ctx,
                                     per_rule);
    for (size_t r = 0; r < bi->nrules; r++)
        if (only_rule < 0 || (size_t)only_rule == r)
            walk_slice(&pw, r, 0, bi->m[r]);
    return pw.made;
}

/* The same pairs on LINK_THREADS threads: the rules' orders are cut into slices of
 * SLICE places and each thread takes the next slice not yet taken, calling fn with its own
 * ctx[t] (and counting into its own per_rule[t]). Which thread gives a pair differs from
 * run to run; the pairs given do not. */
#define SLICE 32768
struct par_walk {
    struct pair_walk start; /* each thread's walk starts as this, with its own ctx, per_rule */
    size_t next; /* the next slice (taken atomically) */
    size_t nslices;
    size_t first_slice[MAX_RULES + 1]; /* rule r's slices are first_slice[r] .. [r + 1] - 1 */
};

struct par_thread {
    struct par_walk *pw;
    void *ctx;
    uint64_t *per_rule;
    uint64_t made;
};

static void *par_worker(void *arg)
{
    struct par_thread *t = arg;
    struct par_walk *p = t->pw;
    struct pair_walk pw = p->start;
    pw.ctx = t->ctx;
    pw.per_rule = t->per_rule;
    for (;;) {
        size_t k = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
        if (k >= p->nslices)
            break;
        size_t r = 0;
        while (p->first_slice[r + 1] <= k)
            r++;
        size_t from = (k - p->first_slice[r]) * SLICE;
        walk_slice(&pw, r, from, from + SLICE);
    }
    t->made = pw.made;
    return NULL;
}

uint64_t link_blockidx_pairs_par(const struct blockidx *bi, const struct link_set *s,
                                 const struct link_opts *o, bool only_new, size_t first_new,
                                 int only_rule, uint64_t stride, pair_fn fn,
                                 void *ctx[LINK_THREADS], uint64_t *per_rule[LINK_THREADS])
{
    struct par_walk p = {.start = walk_start(bi, s, o, only_new, first_new, only_rule, stride,
                                             fn, NULL, NULL)};
    for (size_t r = 0; r < bi->nrules; r++) {
        p.first_slice[r] = p.nslices;
        if (only_rule < 0 || (size_t)only_rule == r)
            p.nslices += (bi->m[r] + SLICE - 1) / SLICE;
    }
    p.first_slice[bi->nrules] = p.nslices;
    struct par_thread t[LINK_THREADS];
    pthread_t tid[LINK_THREADS];
    bool started[LINK_THREADS] = {false};
    for (size_t k = 0; k < LINK_THREADS; k++) {
        t[k] = (struct par_thread){&p, ctx[k], per_rule ? per_rule[k] : NULL, 0};
        /* the first runs on this thread; a thread that cannot start leaves its slices to
         * the others */
        if (k > 0 && p.nslices > 1 && pthread_create(&tid[k], NULL, par_worker, &t[k]) == 0)
            started[k] = true;
    }
    par_worker(&t[0]);
    uint64_t made = t[0].made;
    for (size_t k = 1; k < LINK_THREADS; k++)
        if (started[k]) {
            pthread_join(tid[k], NULL);
            made += t[k].made;
        }
    return made;
}
