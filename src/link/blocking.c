/* Blocking: the rules that say which records are worth comparing, and the index that makes
 * each rule's candidate pairs (blocks over the limit left out and counted). A record's keys
 * under a rule are keys.c's; the walk over the pairs is candidates.c's. */
#include "link_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ blocking */

static const char *const bfield_names[BF_COUNT] = {
    "given", "family", "given1", "family1", "given_ph", "family_ph", "dob", "dob_year",
    "dob_md", "postcode", "sector", "district", "sex", "source", "names", "names_ph",
    "initials", "address", "street", "id", "contact", "housenum", "given3", "family3", "street3", "dob_swap",
    "given_letters", "email_user", "given_or_family", "family_or_given", "any_name",
    "any_name_rev", "any_name_letters", "dob_dm",
    "dob_year3"};


/* Each rule lets a true pair through when the fields it names agree, so together they
 * tolerate an error in any one field (and most pairs of errors); each pairs on two facts so
 * that no rule grows with the square of a county's population. */
static const char *const default_rules[] = {
    "dob+given",
    "dob+family",
    "dob+initials",
    "names",
    "names_ph",
    "given+postcode",
    "family+postcode",
    "postcode+initials",
    "postcode+dob_year",
    "given_ph+family1+district",
    "family_ph+given1+district",
    "family+given1+dob_year",
    "given+family1+dob_year",
    "street+initials",
    "street+dob_year",
    /* a home by postcode and house number (the street's words mistyped), or by house
     * number and the street's first letters (the postcode mistyped): records that changed
     * a name and the date of birth or lost them still meet the household's others */
    "postcode+housenum",
    "housenum+street3",
    "id",
    "contact",
    /* broad rules for records with errors in two fields: their big blocks (a common name,
     * a busy date) are left out by the block limit, so they add pairs only where a value
     * is rare enough to say something */
    "dob",
    "family+dob_year",
    "given+dob_year",
    "family_ph+given1",
    "given_ph+family1",
    "family+street",
    "dob_md+family1",
    "dob_md+given1",
    /* names mistyped after their third letter, with nothing else shared */
    "given3+family1",
    "family3+given1",
    /* a date written day-first in one system and month-first in another; a given name
     * with two letters swapped and a date lost */
    "dob_swap+initials",
    "given_letters+family1",
    /* an email address whose domain was mistyped, on records sharing little else */
    "email_user",
    /* the family name alone, for records whose given name is another form of it (Peggy,
     * Margaret) and whose date of birth one of them lacks: only rare names' blocks are
     * kept (a block over the limit is left out), so each record meets a few others */
    "family_ph",
    "family",
    /* sorted neighbourhoods, for records that share no whole value with their others: a
     * name missing on one side or put in the other field, a name kept only in an email
     * address, a name mistyped at its start, and a date of birth a month, a year or a
     * decade out. A record is placed in the first two orders once for each of its names
     * (any_name: given names, family name, the words of its email's user part): by the name,
     * then the day and month of birth, then the year; and by the name written backwards,
     * then the date of birth. Each place is compared with the next two (the next four in
     * the orders of address and date of birth and of email address), so each costs a few
     * pairs a record at most whatever the data's size. A third order sorts each name's
     * letters (any_name_letters: nleaeor and eleanor, chartotle and charlotte, one key),
     * then the date of birth: letters swapped or moved anywhere in a name */
    "any_name+dob_md+dob_year~3",
    "any_name_rev+dob~3",
    "any_name_letters+dob~3",
    "address+dob~5",
    "contact~5",
    /* a date of birth with an error and names badly mistyped or lost: records in order of
     * date of birth; of day and month, then year (a year out); of the year without its tens
     * digit, then day and month (1983 keyed 1993). Each is compared with the next 29 whose
     * date differs from its own (the same date is the rules above's work) and that have a
     * name whose letters are all in one of the other's (oievr and oliver, jnes and jones)
     * or no name at all: at most 29 pairs a record whatever the data's size, and few in
     * practice (two names rarely pass) */
    "dob~30:letters",
    "dob_md+dob_year~30:letters",
    "dob_year3+dob_md~30:letters",
    NULL,
};

const char *const *link_blocking_defaults(void)
{
    return default_rules;
}

int link_blocking_parse(const char *const *rules, size_t n, struct link_blocking **out,
                        struct svp_err *err)
{
    *out = NULL;
    if (!n)
        return svp_err_set(err, SVP_EINPUT, "no blocking rules given");
    if (n > MAX_RULES)
        return svp_err_set(err, SVP_EINPUT,
                           "at most %d blocking rules in one run (got %zu); join two rules' "
                           "fields with '+' or drop a rule",
                           MAX_RULES, n);
    struct link_blocking *b = svp_calloc(1, sizeof *b);
    if (!b)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    b->n = n;
    for (size_t r = 0; r < n; r++) {
        const char *s = rules[r];
        if (svp_strlcpy(b->rule[r].name, s, sizeof b->rule[r].name) >= sizeof b->rule[r].name) {
            svp_free(b);
            return svp_err_set(err, SVP_EINPUT, "blocking rule %zu is too long", r + 1);
        }
        const char *p = s, *tilde = strchr(s, '~');
        if (tilde) {
            /* fields~W: a sorted neighbourhood of window W */
            char *end = NULL;
            long w = strtol(tilde + 1, &end, 10);
            if (!tilde[1] || (*end && *end != ':') || w < 2 || w > LINK_MAX_WINDOW) {
                int rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "blocking rule",
                                    "'%s': the window after '~' must be a whole number from "
                                    "2 to %d (e.g. given_or_family+dob~5)",
                                    b->rule[r].name, LINK_MAX_WINDOW);
                svp_free(b);
                return rc;
            }
            if (*end == ':') {
                /* fields~W:letters: the window's pairs whose values differ and whose
                 * records share a name's letters (or one has no name) */
                if (strcmp(end + 1, "letters")) {
                    int rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "blocking rule",
                                        "'%s': unknown filter '%.40s' after the window (known: "
                                        "letters, e.g. dob~30:letters)",
                                        b->rule[r].name, end + 1);
                    svp_free(b);
                    return rc;
                }
                b->rule[r].filter = RULE_FILTER_LETTERS;
            }
            b->rule[r].window = (int)w;
        }
        for (;;) {
            const char *e = p;
            while (*e && *e != '+' && *e != '~')
                e++;
            size_t len = (size_t)(e - p);
            int f = -1;
            for (int k = 0; k < BF_COUNT; k++)
                if (strlen(bfield_names[k]) == len && !strncmp(bfield_names[k], p, len))
                    f = k;
            if (f < 0 || b->rule[r].nf == MAX_RULE_FIELDS) {
                int rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "blocking rule",
                                    f < 0 ? "'%s': unknown field '%.*s' (known: given family "
                                            "given1 family1 given_ph family_ph names names_ph "
                                            "initials given_or_family family_or_given "
                                            "any_name any_name_rev any_name_letters "
                                            "address street housenum street3 "
                                            "given3 family3 given_letters id contact "
                                            "email_user dob "
                                            "dob_year dob_year3 dob_md dob_dm dob_swap postcode sector "
                                            "district sex source)"
                                          : "'%s': too many fields (at most 6)%.*s",
                                    b->rule[r].name, f < 0 ? (int)(len > 40 ? 40 : len) : 0, p);
                svp_free(b);
                return rc;
            }
            b->rule[r].f[b->rule[r].nf++] = (enum bfield)f;
            if (!*e || *e == '~')
                break;
            p = e + 1;
        }
        int multi = 0;
        for (int k = 0; k < b->rule[r].nf; k++)
            multi += b->rule[r].f[k] == BF_ANY_NAME || b->rule[r].f[k] == BF_ANY_NAME_REV ||
                     b->rule[r].f[k] == BF_ANY_NAME_LETTERS;
        if (multi && (!b->rule[r].window || multi > 1)) {
            int rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "blocking rule",
                                "'%s': any_name, any_name_rev and any_name_letters (one a rule) "
                                "only order a "
                                "sorted neighbourhood (e.g. any_name+dob~5)",
                                b->rule[r].name);
            svp_free(b);
            return rc;
        }
    }
    *out = b;
    return 0;
}

void link_blocking_free(struct link_blocking **b)
{
    if (b && *b) {
        svp_free(*b);
        *b = NULL;
    }
}

static bool rule_multi(const struct link_blocking *b, size_t r)
{
    for (int k = 0; k < b->rule[r].nf; k++)
        if (b->rule[r].f[k] == BF_ANY_NAME || b->rule[r].f[k] == BF_ANY_NAME_REV ||
            b->rule[r].f[k] == BF_ANY_NAME_LETTERS)
            return true;
    return false;
}

static int cmp_keyidx(const void *x, const void *y)
{
    const struct keyidx *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}


/* Sorts keys by key, then by idx, in linear time: a least-significant-digit radix sort,
 * 11 bits a pass, which is stable, so entries filled in idx order stay in idx order within
 * a key (the order cmp_keyidx gives). A million keys sort in a few milliseconds where qsort
 * took a quarter of a second, and the index sorts one array per rule. Falls back to qsort
 * when the scratch array cannot be had, and for a few keys. */
static void sort_keyidx(struct keyidx *a, size_t m)
{
    struct keyidx *tmp = m > 64 ? svp_malloc(m * sizeof *tmp) : NULL;
    if (!tmp) {
        qsort(a, m, sizeof *a, cmp_keyidx);
        return;
    }
    enum { BITS = 11, BUCKETS = 1 << BITS, PASSES = (64 + BITS - 1) / BITS };
    static _Thread_local size_t count[PASSES][BUCKETS];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < m; i++)
        for (int p = 0; p < PASSES; p++)
            count[p][(a[i].key >> (p * BITS)) & (BUCKETS - 1)]++;
    struct keyidx *src = a, *dst = tmp;
    for (int p = 0; p < PASSES; p++) {
        size_t *c = count[p];
        bool one = false; /* every key has the same digit here: nothing to move */
        for (size_t d = 0; d < BUCKETS && !one; d++)
            one = c[d] == m;
        if (one)
            continue;
        size_t sum = 0;
        for (size_t d = 0; d < BUCKETS; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < m; i++)
            dst[c[(src[i].key >> (p * BITS)) & (BUCKETS - 1)]++] = src[i];
        struct keyidx *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, m * sizeof *a);
    svp_free(tmp);
}

/* Blocks of more records than this are left out of a rule (their pairs are counted): a
 * rule that pairs on a common value (a common name, a busy date) would otherwise compare
 * each record with hundreds of others, and its true pairs are found by narrower rules.
 * Each record meets at most LINK_DEFAULT_MAX_BLOCK - 1 others per rule. */
static size_t max_block_of(const struct link_opts *o)
{
    return o && o->max_block ? o->max_block : LINK_DEFAULT_MAX_BLOCK;
}

void link_blockidx_free(struct blockidx *bi)
{
    svp_free(bi->keys);
    svp_free(bi->lmask);
    for (size_t r = 0; r < bi->nrules; r++) {
        svp_free(bi->sorted[r]);
        svp_free(bi->mpos[r]);
    }
    memset(bi, 0, sizeof *bi);
}

/* One rule's part of the index: its records' keys sorted, oversized blocks left out and
 * counted; then the array shrunk to what is kept. */
struct build_job {
    const struct link_set *s;
    const struct link_blocking *b;
    struct blockidx *bi;
    size_t maxb;
    size_t next; /* the next rule to build (taken atomically) */
    int failed;
};

static void build_rule(struct build_job *j, size_t r)
{
    const struct link_set *s = j->s;
    struct blockidx *bi = j->bi;
    size_t n = s->n;
    bool multi = rule_multi(j->b, r);
    size_t per = multi ? SN_MULTI : 1;
    struct keyidx *ki = svp_malloc((n ? n * per : 1) * sizeof *ki);
    if (!ki) {
        __atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
        return;
    }
    size_t m = 0;
    bool sn = j->b->rule[r].window > 0;
    for (size_t i = 0; i < n; i++) {
        if (multi) {
            const char *tok[SN_MULTI];
            size_t len[SN_MULTI];
            int nt = link_any_names(&s->r[i], tok, len);
            for (int t = 0; t < nt; t++) {
                uint64_t k = link_sn_key(j->b, r, &s->r[i], tok[t], len[t]);
                if (k)
                    ki[m++] = (struct keyidx){k, (uint32_t)i};
            }
            continue;
        }
        uint64_t k =
            sn ? link_sn_key(j->b, r, &s->r[i], NULL, 0) : link_rule_key(j->b, r, &s->r[i]);
        if (k)
            ki[m++] = (struct keyidx){k, (uint32_t)i};
    }
    if (m)
        sort_keyidx(ki, m);
    bi->window[r] = j->b->rule[r].window;
    bi->filter[r] = (uint8_t)j->b->rule[r].filter;
    if (multi) { /* each record's places in the order, for the pairs' first-place test */
        bi->mpos[r] = svp_calloc(n ? n * SN_MULTI : 1, sizeof *bi->mpos[r]);
        if (!bi->mpos[r]) {
            svp_free(ki);
            __atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
            return;
        }
        for (size_t k = 0; k < m; k++) {
            uint32_t *p = bi->mpos[r] + (size_t)ki[k].idx * SN_MULTI;
            int t = 0;
            while (t < SN_MULTI - 1 && p[t])
                t++;
            p[t] = (uint32_t)k + 1;
        }
    }
    size_t nr = j->b->n;
    if (sn) { /* a sorted neighbourhood keeps every record: it has no blocks to leave out */
        if (multi) { /* room was made for SN_MULTI places a record; most have two */
            struct keyidx *shrunk = svp_realloc(ki, (m ? m : 1) * sizeof *ki);
            ki = shrunk ? shrunk : ki;
        } else /* each record's place in the order, in its row */
            for (size_t k = 0; k < m; k++)
                bi->keys[(size_t)ki[k].idx * nr + r] = (uint32_t)k + 1;
        bi->sorted[r] = ki;
        bi->m[r] = m;
        bi->count[r] = link_blockidx_count(bi, r, false, 0); /* once: asked again */
        bi->counted[r] = true;
        return;
    }
    size_t kept = 0;
    for (size_t g = 0; g < m;) {
        size_t e = g + 1;
        while (e < m && ki[e].key == ki[g].key)
            e++;
        if (e - g > j->maxb) {
            bi->skipped_blocks[r]++;
            bi->skipped_pairs[r] += (uint64_t)(e - g) * (e - g - 1) / 2;
        } else
            for (size_t k = g; k < e; k++)
                ki[kept++] = ki[k];
        g = e;
    }
    struct keyidx *shrunk = svp_realloc(ki, (kept ? kept : 1) * sizeof *ki);
    ki = shrunk ? shrunk : ki;
    bi->sorted[r] = ki;
    bi->m[r] = kept;
    bi->count[r] = link_blockidx_count(bi, r, false, 0); /* once: asked again */
    bi->counted[r] = true;
    /* each record's block, by the place where the block starts, in its row: an oversized
     * block's records keep 0, so no later rule takes their pairs as already given */
    size_t block = 0;
    for (size_t k = 0; k < kept; k++) {
        if (k && ki[k].key != ki[k - 1].key)
            block = k;
        bi->keys[(size_t)ki[k].idx * nr + r] = (uint32_t)block + 1;
    }
}

static void *build_worker(void *arg)
{
    struct build_job *j = arg;
    for (;;) {
        size_t r = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
        if (r >= j->b->n || __atomic_load_n(&j->failed, __ATOMIC_RELAXED))
            break;
        build_rule(j, r);
    }
    return NULL;
}

/* The rules are built on two threads (each takes the next rule not yet built and fills its
 * column of the records' rows from what it kept). */
int link_blockidx_build(const struct link_set *s, const struct link_blocking *b,
                        const struct link_opts *o, struct blockidx *bi, struct svp_err *err)
{
    memset(bi, 0, sizeof *bi);
    size_t n = s->n;
    bi->n = n;
    bi->nrules = b->n;
    if (!(bi->keys = svp_calloc((n ? n : 1) * b->n, sizeof *bi->keys)))
        goto nomem;
    link_hugepages(bi->keys, (n ? n : 1) * b->n * sizeof *bi->keys);
    bool letters = false;
    for (size_t r = 0; r < b->n; r++)
        letters |= b->rule[r].filter == RULE_FILTER_LETTERS;
    if (letters) {
        if (!(bi->lmask = svp_malloc((n ? n : 1) * SN_MULTI * sizeof *bi->lmask)))
            goto nomem;
        for (size_t i = 0; i < n; i++)
            link_letter_masks(&s->r[i], bi->lmask + i * SN_MULTI);
    }
    struct build_job job = {s, b, bi, max_block_of(o), 0, 0};
    pthread_t tid;
    bool threaded = b->n > 1 && n >= 4096 && pthread_create(&tid, NULL, build_worker, &job) == 0;
    build_worker(&job);
    if (threaded)
        pthread_join(tid, NULL);
    bi->first_window = b->n;
    bi->first_multi = b->n;
    for (size_t r = b->n; r-- > 0;) {
        job.failed |= !bi->sorted[r];
        if (b->rule[r].window)
            bi->first_window = r;
        if (bi->mpos[r])
            bi->first_multi = r;
    }
    if (job.failed)
        goto nomem;
    return 0;
nomem:
    link_blockidx_free(bi);
    return svp_err_set(err, SVP_ENOMEM, "out of memory blocking %zu records", n);
}

struct link_bcache {
    bool valid;
    size_t maxb;
    struct link_blocking rules;
    struct blockidx bi;
};

struct link_bcache *link_bcache_new(void)
{
    return svp_calloc(1, sizeof(struct link_bcache));
}

void link_bcache_free(struct link_bcache **c)
{
    if (c && *c) {
        if ((*c)->valid)
            link_blockidx_free(&(*c)->bi);
        svp_free(*c);
        *c = NULL;
    }
}

int link_blockidx_take(const struct link_set *s, const struct link_blocking *b,
                       const struct link_opts *o, struct blockidx *bi, struct svp_err *err)
{
    struct link_bcache *c = s->bc;
    if (c && c->valid && c->maxb == max_block_of(o) && !memcmp(&c->rules, b, sizeof *b)) {
        *bi = c->bi;
        memset(&c->bi, 0, sizeof c->bi);
        c->valid = false;
        return 0;
    }
    return link_blockidx_build(s, b, o, bi, err);
}

void link_blockidx_keep(const struct link_set *s, const struct link_blocking *b,
                        const struct link_opts *o, struct blockidx *bi)
{
    struct link_bcache *c = s->bc;
    if (!c) {
        link_blockidx_free(bi);
        return;
    }
    if (c->valid)
        link_blockidx_free(&c->bi);
    c->bi = *bi;
    memcpy(&c->rules, b, sizeof *b); /* padding too: rules compare with memcmp */
    c->maxb = max_block_of(o);
    c->valid = true;
    memset(bi, 0, sizeof *bi);
}

/* Pairs rule r would make (only those touching a record >= first_new when only_new). */
uint64_t link_blockidx_count(const struct blockidx *bi, size_t r, bool only_new,
                             size_t first_new)
{
    if (!only_new && bi->counted[r])
        return bi->count[r];
    const struct keyidx *ki = bi->sorted[r];
    size_t m = bi->m[r];
    uint64_t pairs = 0;
    if (bi->window[r]) {
        size_t w = (size_t)bi->window[r];
        for (size_t x = 0; x < m; x++) {
            size_t end = x + w < m ? x + w : m;
            if (bi->filter[r])
                for (size_t y = x + 1; y < end; y++)
                    pairs += ki[y].key != ki[x].key && link_letters_ok(bi, ki[x].idx, ki[y].idx) &&
                             (!only_new || ki[x].idx >= first_new || ki[y].idx >= first_new);
            else if (!only_new)
                pairs += end - x - 1;
            else
                for (size_t y = x + 1; y < end; y++)
                    pairs += ki[x].idx >= first_new || ki[y].idx >= first_new;
        }
        return pairs;
    }
    for (size_t g = 0; g < m;) {
        size_t e = g + 1;
        while (e < m && ki[e].key == ki[g].key)
            e++;
        uint64_t sz = e - g;
        if (only_new) {
            uint64_t nn = 0;
            for (size_t k = g; k < e; k++)
                nn += ki[k].idx >= first_new;
            pairs += nn * (sz - nn) + nn * (nn - 1) / 2;
        } else
            pairs += sz * (sz - 1) / 2;
        g = e;
    }
    return pairs;
}

/* Refuses a rule whose count is over the cap, before any pair is made. */
int link_blockidx_check(const struct blockidx *bi, const struct link_blocking *b,
                        const struct link_opts *o, bool only_new, size_t first_new,
                        struct link_stats *st, struct svp_err *err)
{
    uint64_t n = bi->n;
    uint64_t cap = o->max_pairs ? o->max_pairs : n * 100 > 2000000 ? n * 100 : 2000000;
    if (st)
        st->nrules = b->n;
    for (size_t r = 0; r < b->n; r++) {
        uint64_t pairs = link_blockidx_count(bi, r, only_new, first_new);
        if (st && r < LINK_MAX_RULES) {
            st->rule_pairs[r] = pairs;
            st->rule_skipped_blocks[r] = bi->skipped_blocks[r];
            st->rule_skipped_pairs[r] = bi->skipped_pairs[r];
        }
        if (pairs > cap)
            return svp_err_at(err, SVP_EINPUT, NULL, 0, "blocking rule",
                              "'%s' would make %llu pairs, more than the limit of %llu; use a "
                              "narrower rule (add a field) or raise --max-pairs",
                              b->rule[r].name, (unsigned long long)pairs,
                              (unsigned long long)cap);
    }
    return 0;
}

void link_opts_default(struct link_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threshold = 0.95;
    o->review_low = 0.5;
    o->dedupe_within_source = true;
}

