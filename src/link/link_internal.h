/*
 * link_internal.h: what the link room's own files share (not part of its door, link.h):
 * the prepared record set, the blocking rules and their index, and the one pair test the
 * clustering needs from the model.
 */
#ifndef SVP_LINK_INTERNAL_H
#define SVP_LINK_INTERNAL_H

#include "link.h"

/* One prepared record (set.c builds them; every comparison reads them). */
struct srec {
    int64_t id;
    const char *source, *given, *gfirst, *family, *dob, *sex, *postcode, *address;
    const char *anorm; /* address in link_address_normalise form */
    const char *idn;   /* shared identifier in link_id_normalise form ("" if none) */
    uint8_t idlen;
    uint16_t srcid;            /* index of the source among the first 255 seen, else UINT16_MAX */
    const char *known;         /* known-as (preferred) name, "" if none */
    const char *email, *phone; /* link_email_normalise / link_phone_normalise forms */
    const char *cphone;        /* the carer's phone, link_phone_normalise form ("" if none) */
    uint16_t glen, g1len, flen, alen, klen;
    uint8_t elen, plen;
    bool adult; /* the source says the person is an adult (role "adult") */
    char sexc;  /* the sex as link_compare_sex reads it ('M', 'F', 'X'; 0: none), so a
                 * pair need not fetch the text */
    int32_t nick; /* nickname entry of the first given name, -1 if not listed */
    char gph[12], fph[12];
    uint64_t gmask, fmask; /* link_byte_mask of the first given name and the family name */
    struct link_postcode pc;
    struct link_dob dobp;
    const char *reason;
};

struct link_bcache;

/* Asks the kernel for huge pages (2 MB) under a large array that a pair reads at random
 * places (the records, the rows of blocking keys): with 4 kB pages nearly every such read
 * missed the TLB as well as the cache. Only the whole 2 MB steps inside p..p+len; a no-op
 * where the kernel says no. */
void link_hugepages(void *p, size_t len);

/* A sex as link_compare_sex reads it: 'M', 'F' or 'X', else 0. */
char link_sex_code(const char *s);

/* Each record's term-frequency adjustments (an exact given name, family name, postcode)
 * under one model, made once before the pairs are scored (guard.c): a pair then reads them
 * where it would look each name up. */
struct link_tfw {
    const struct link_model *m; /* the model they are for (NULL: none made) */
    double *w;                  /* w[3 * i + k], k as the model's tf tables */
};

struct link_set {
    size_t n;
    struct link_bcache *bc; /* the blocking index training built, kept for the pairs */
    struct link_tfw *tfw;   /* see link_tfw_make */
    struct srec *r;  /* n records, 64-byte aligned inside r_alloc */
    void *r_alloc;
    struct svp_arena *arena, *arena2; /* the records' text: the first half's, the second's */
    struct link_nicknames *nick;
    bool household_guard;
    const char *sources[255];
    size_t nsources;
};

/* Asks for record i's lines (the records start on a cache line), and for the text of its
 * names (once the record itself is in the cache: ask for it a few pairs earlier), before a
 * comparison reads them. */
static inline void link_prefetch_rec(const struct link_set *s, size_t i)
{
    const char *p = (const char *)&s->r[i];
    for (size_t k = 0; k < sizeof(struct srec); k += 64)
        __builtin_prefetch(p + k);
}
static inline void link_prefetch_names(const struct link_set *s, size_t i)
{
    __builtin_prefetch(s->r[i].gfirst);
    __builtin_prefetch(s->r[i].family);
}

/* Whether a[0..n) and b[0..n) are the same bytes: inline, for the short names and codes a
 * pair compares (a call to memcmp cost more than the comparison). */
static inline bool link_same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Whether two strings are the same (strcmp(a, b) == 0), inline for the short codes a pair
 * compares (phonetic codes, postcode sectors and districts). */
static inline bool link_same_str(const char *a, const char *b)
{
    for (;; a++, b++) {
        if (*a != *b)
            return false;
        if (!*a)
            return true;
    }
}

/* The bytes of s[0..n) by their low six bits, one bit each: what link_jaro_winkler_min's
 * bound counts against. */
static inline uint64_t link_byte_mask(const char *s, size_t n)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= 1ULL << ((unsigned char)s[i] & 63);
    return m;
}

/* link_jaro_winkler_min with the two strings' byte masks already made. */
double link_jaro_winkler_min_masked(const char *a, size_t alen, uint64_t ma, const char *b,
                                    size_t blen, uint64_t mb, double min);

/* ------------------------------------------------------------------ blocking (blocking.c:
 * the rules and the index; keys.c: a record's keys; candidates.c: the walk over the
 * candidate pairs) */

enum bfield {
    BF_GIVEN,
    BF_FAMILY,
    BF_GIVEN1,
    BF_FAMILY1,
    BF_GIVEN_PH,
    BF_FAMILY_PH,
    BF_DOB,
    BF_DOB_YEAR,
    BF_DOB_MD,
    BF_POSTCODE,
    BF_SECTOR,
    BF_DISTRICT,
    BF_SEX,
    BF_SOURCE,
    BF_NAMES,
    BF_NAMES_PH,
    BF_INITIALS,
    BF_ADDRESS,
    BF_STREET,
    BF_ID,
    BF_CONTACT,
    BF_HOUSENUM,
    BF_GIVEN3,
    BF_FAMILY3,
    BF_STREET3,
    BF_DOB_SWAP,
    BF_GIVEN_LETTERS,
    BF_EMAIL_USER,
    BF_GIVEN_OR_FAMILY,
    BF_FAMILY_OR_GIVEN,
    BF_ANY_NAME,     /* several values: each of a record's names (see link_any_names) */
    BF_ANY_NAME_REV, /* the same names written backwards */
    BF_ANY_NAME_LETTERS, /* the same names with their letters in order (anagram keys) */
    BF_DOB_DM,           /* the day of birth, then the month */
    BF_DOB_YEAR3,        /* the year of birth without its tens digit */
    BF_COUNT
};

#define MAX_RULES LINK_MAX_RULES
/* A record's places in one sorted neighbourhood of several values a record (any_name): its
 * given names, family name and the words of its email address's user part */
#define SN_MULTI 4
#define MAX_RULE_FIELDS 6

struct link_blocking {
    size_t n;
    struct {
        char name[128];
        int nf;
        int window; /* 0: records with equal keys pair (a block); W >= 2: a sorted
                     * neighbourhood, records sorted on the fields, each paired with the
                     * next W - 1 */
        int filter; /* a sorted neighbourhood's filter (RULE_FILTER_*) */
        enum bfield f[MAX_RULE_FIELDS];
    } rule[MAX_RULES];
};

/* A sorted neighbourhood's filter, after its window (fields~W:letters, e.g. dob~30:letters). */
enum { RULE_FILTER_NONE, RULE_FILTER_LETTERS };

/* A record's blocking keys (keys.c): under equality rule r, a hash of the rule's fields; under
 * sorted-neighbourhood rule r, the fields packed so the keys sort as the values do (tok,
 * tlen: the value of the rule's any_name field, NULL when it has none); 0 when a field is
 * missing (the rule does not block the record). A record's names for the any_name fields
 * (at most SN_MULTI: their count), and the same as sets of letters for the letters filter. */
uint64_t link_rule_key(const struct link_blocking *b, size_t r, const struct srec *rec);
uint64_t link_sn_key(const struct link_blocking *b, size_t r, const struct srec *rec,
                     const char *tok, size_t tlen);
int link_any_names(const struct srec *r, const char *tok[SN_MULTI], size_t len[SN_MULTI]);
void link_letter_masks(const struct srec *r, uint32_t out[SN_MULTI]);

struct keyidx {
    uint64_t key;
    uint32_t idx;
};

typedef void (*pair_fn)(size_t i, size_t j, void *ctx);

/* The blocking index: every rule's key per record (one row of keys per record, so checking
 * "did an earlier rule already pair these two" touches few cache lines) and, per rule, the
 * records sorted by key. For an equality rule the row holds the place of the record's block
 * in the rule's order plus one (two records share a block when they share it); for a
 * sorted-neighbourhood rule the record's place in the rule's order plus one, and two
 * records were paired by the rule when their places are less than its window apart. Built
 * once per run and reused by every pass. */
struct blockidx {
    size_t n, nrules;
    uint32_t *keys;        /* keys[i * nrules + r]; 0 = not blocked by rule r */
    int window[MAX_RULES]; /* the rule's window (0: equal keys) */
    size_t first_window;   /* the first sorted-neighbourhood rule (nrules: none) */
    struct keyidx *sorted[MAX_RULES];
    size_t m[MAX_RULES];
    uint64_t skipped_blocks[MAX_RULES], skipped_pairs[MAX_RULES]; /* over max_block */
    /* a sorted neighbourhood on any_name places a record once for each of its names: its
     * places are mpos[r][i * SN_MULTI + k] plus one (0: none), and its row of keys holds 0
     * for the rule; a pair is given at the first of its places that fall in one window */
    uint32_t *mpos[MAX_RULES];
    size_t first_multi; /* the first such rule (nrules: none) */
    /* a sorted neighbourhood with the letters filter pairs only records whose values differ
     * and that have a name whose letters are all in one of the other's (or no name):
     * filter[r] says which; lmask[i * SN_MULTI + k] holds record i's names as sets of
     * letters (a bit a letter, the set ones first; made when a rule has the filter) */
    uint8_t filter[MAX_RULES];
    uint32_t *lmask;
    /* each rule's pairs (link_blockidx_count over every record), counted once as the rule
     * is built: training and the pairs' check ask for them again */
    uint64_t count[MAX_RULES];
    bool counted[MAX_RULES];
};

/* The letters filter on two records: one has no name, or a name of one has all its letters
 * in a name of the other (letters lost, doubled, swapped or moved by a keying slip: oievr
 * and oliver, jkjcason and jackson). Here so that both the index's count (blocking.c) and the
 * walk (candidates.c) have it inline. */
static inline bool link_letters_ok(const struct blockidx *bi, size_t i, size_t j)
{
    const uint32_t *a = bi->lmask + i * SN_MULTI, *b = bi->lmask + j * SN_MULTI;
    if (!a[0] || !b[0])
        return true;
    for (int x = 0; x < SN_MULTI && a[x]; x++)
        for (int y = 0; y < SN_MULTI && b[y]; y++)
            if (!(a[x] & ~b[y]) || !(b[y] & ~a[x]))
                return true;
    return false;
}

/* Builds the index of s under the rules b (blocks over o's max_block left out and counted);
 * frees it; counts rule r's pairs (only those touching a record >= first_new when only_new);
 * refuses a rule over the pair cap (filling st's per-rule counts); and calls fn for each
 * candidate pair once (only_rule >= 0: that rule's pairs; stride > 1: a fixed sample;
 * per_rule: pairs each rule gave first). */
void link_blockidx_free(struct blockidx *bi);
/* The index kept with s by link_blockidx_keep when it was built for the same rules and
 * block limit (moved out: the caller owns it), else a new one (link_blockidx_build). */
int link_blockidx_take(const struct link_set *s, const struct link_blocking *b,
                       const struct link_opts *o, struct blockidx *bi, struct svp_err *err);
/* Keeps bi with s for the next link_blockidx_take (training builds the index the pairs
 * need); bi is emptied. Freed with the set. */
void link_blockidx_keep(const struct link_set *s, const struct link_blocking *b,
                        const struct link_opts *o, struct blockidx *bi);
void link_bcache_free(struct link_bcache **c);
struct link_bcache *link_bcache_new(void);
int link_blockidx_build(const struct link_set *s, const struct link_blocking *b,
                        const struct link_opts *o, struct blockidx *bi, struct svp_err *err);
uint64_t link_blockidx_count(const struct blockidx *bi, size_t r, bool only_new, size_t first_new);
int link_blockidx_check(const struct blockidx *bi, const struct link_blocking *b,
                        const struct link_opts *o, bool only_new, size_t first_new,
                        struct link_stats *st, struct svp_err *err);
uint64_t link_blockidx_pairs(const struct blockidx *bi, const struct link_set *s,
                             const struct link_opts *o, bool only_new, size_t first_new,
                             int only_rule, uint64_t stride, pair_fn fn, void *ctx,
                             uint64_t *per_rule);
/* The same on LINK_THREADS threads, each with its own ctx and per_rule (per_rule may be
 * NULL); fn must touch only its ctx. */
#define LINK_THREADS 2
uint64_t link_blockidx_pairs_par(const struct blockidx *bi, const struct link_set *s,
                                 const struct link_opts *o, bool only_new, size_t first_new,
                                 int only_rule, uint64_t stride, pair_fn fn,
                                 void *ctx[LINK_THREADS], uint64_t *per_rule[LINK_THREADS]);

/* ------------------------------------------------------------------ the model (model.c) */

/* Whether records i and j may share a person in a cluster: false when a household rule
 * (twins, siblings) holds them to be two people; *p is their capped match probability. */
bool link_pair_joinable(const struct link_model *m, const struct link_set *s, size_t i, size_t j,
                        double *p);
/* The pair's match weight (log2 odds) under the model, capped by the household guards; and
 * a weight as a probability. */
double link_pair_weight(const struct link_model *m, const struct link_set *s, size_t i, size_t j);
/* Makes each record's term-frequency adjustments under m for the pairs to read (left unmade
 * when out of memory: the pairs then look them up), and drops them. */
void link_tfw_make(const struct link_model *m, const struct link_set *s);
void link_tfw_drop(const struct link_set *s);
double link_weight_to_p(double w);

/* ------------------------------------------------------------------ the store (link.c) */

/* The record fields the linker reads, in the order of struct rowrec's f. */
#define REC_FIELDS                                                                                 \
    "source, agency, norm_given, norm_family, dob, sex, postcode, address, shared_id, role, "    \
    "detail"
#define NREC_COLS 11 /* the columns of REC_FIELDS */
/* REC_FIELDS but detail, then what the linker reads from detail: the known-as name, email,
 * phone and the carer's phone (contact_phone) */
#define NREC_FIELDS 14

/* One record row as read from the store (owned strings). */
struct rowrec {
    int64_t id, old_person;
    char *f[NREC_FIELDS]; /* see REC_FIELDS */
    char fp[17];
    bool dirty;
};

struct loaded {
    struct rowrec *r;
    size_t n, cap;
};

void link_loaded_free(struct loaded *l);
int link_row_fields(struct store_stmt *st, char *f[NREC_FIELDS], struct svp_err *err);
int link_build_set(struct loaded *l, struct link_set **out, struct svp_err *err);
/* The model in force, and how many records it was trained on (records may be NULL). */
int link_load_model(struct store *db, struct link_model **out, int64_t *records,
                    struct svp_err *err);
void link_now_iso(char buf[32]);
int link_exec_bind2(struct store *db, const char *sql, int64_t a, int64_t b, bool two,
                    struct svp_err *err);
/* One svp_meta value: copied into out (cap bytes), "" when absent. */
int link_meta_get(struct store *db, const char *key, char *out, size_t cap, struct svp_err *err);

#endif
