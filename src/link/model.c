/* The Fellegi-Sunter model: comparison levels, term frequencies, the household guards, EM
 * training, the model's text, and scoring one pair. Everything here works in memory on a
 * struct link_set (set.c); blocking.c makes the candidate pairs, pairs.c scores them all and
 * cluster.c makes the persons; link.c moves data between the store and these functions. */
#include "link_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ comparison levels */

enum {
    G_NULL, G_EXACT, G_NICK, G_OTHER_NAME, G_CLOSE, G_SOUND, G_FAIR, G_INITIAL, G_OTHER_INITIAL,
    G_DIFF, G_NLEVELS
};
enum { F_NULL, F_EXACT, F_PART, F_CLOSE, F_SOUND, F_FAIR, F_DIFF, F_NLEVELS };

static const int nlevels[LINK_NCMP] = {G_NLEVELS,        F_NLEVELS,         LINK_DOB_NLEVELS,
                                       LINK_PC_NLEVELS,  LINK_ADDR_NLEVELS, LINK_SEX_NLEVELS,
                                       LINK_ID_NLEVELS,  LINK_CONTACT_NLEVELS};
static const char *const cmp_label[LINK_NCMP] = {"given name", "family name", "date of birth",
                                                  "postcode",   "address",     "sex",
                                                  "shared identifier", "email or phone"};
static const char *const level_names[LINK_NCMP][LINK_MAX_LEVELS] = {
    {"missing", "exact", "nickname or variant", "another given or known-as name", "close spelling",
     "sounds alike", "similar", "initial", "initial of another name", "different"},
    {"missing", "exact", "one part of a double name", "close spelling", "sounds alike",
     "similar", "different"},
    {"missing", "exact", "day and month swapped", "one keying error", "within a year",
     "different"},
    {"missing", "same postcode", "same sector", "same district", "one character different",
     "different"},
    {"missing", "exact", "close", "half the words shared", "different"},
    {"missing", "same", "different"},
    {"missing", "same", "one character different", "different"},
    {"missing", "same", "close", "different"},
};

/* Whether one of the given names of a, after its first, is the first given name of b (Mary
 * Ann ~ Ann), or, with initial, starts with b's first letter. */
static bool later_given(const struct srec *a, const struct srec *b, bool initial)
{
    const char *p = a->given + a->g1len, *end = a->given + a->glen;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *q = p;
        while (q < end && *q != ' ')
            q++;
        size_t n = (size_t)(q - p);
        if (n && (initial ? *p == b->gfirst[0]
                          : n > 1 && n == b->g1len && !memcmp(p, b->gfirst, n)))
            return true;
        p = q;
    }
    return false;
}

/* Whether a's known-as (preferred) name is b's first given name or b's known-as name. */
static bool known_as_agrees(const struct srec *a, const struct srec *b)
{
    return a->klen > 1 && ((a->klen == b->g1len && !memcmp(a->known, b->gfirst, a->klen)) ||
                           (a->klen == b->klen && !memcmp(a->known, b->known, a->klen)));
}

static int cmp_given(const struct link_set *s, const struct srec *a, const struct srec *b)
{
    if (!a->glen || !b->glen)
        return G_NULL;
    if ((a->glen == b->glen && !memcmp(a->given, b->given, a->glen)) ||
        (a->g1len == b->g1len && !memcmp(a->gfirst, b->gfirst, a->g1len) && a->g1len > 1))
        return G_EXACT;
    /* one record's known-as name is the other's given or known-as name */
    if ((a->klen || b->klen) && (known_as_agrees(a, b) || known_as_agrees(b, a)))
        return G_OTHER_NAME;
    /* An initial agrees with the first given name or with another; one that agrees with
     * none of the other record's given names is a disagreement of its own kind, stronger
     * than two full names that differ (which may be a nickname no list knows). */
    if (a->g1len == 1 || b->g1len == 1) {
        if (a->gfirst[0] == b->gfirst[0])
            return G_INITIAL;
        return (a->g1len == 1 && later_given(b, a, true)) ||
                       (b->g1len == 1 && later_given(a, b, true))
                   ? G_INITIAL
                   : G_OTHER_INITIAL;
    }
    double jw = link_jaro_winkler(a->gfirst, a->g1len, b->gfirst, b->g1len);
    if (link_nicknames_equiv_ids(s->nick, a->nick, b->nick))
        return G_NICK;
    if (jw >= 0.92)
        return G_CLOSE;
    /* known by a middle name: one record's later given name is the other's first */
    if ((a->glen > a->g1len && later_given(a, b, false)) ||
        (b->glen > b->g1len && later_given(b, a, false)))
        return G_OTHER_NAME;
    if (a->gph[0] && !strcmp(a->gph, b->gph))
        return G_SOUND;
    if (jw >= 0.8)
        return G_FAIR;
    return G_DIFF;
}

/* True if the shorter name is one whole part of the longer (Smith ~ Smith-Jones). */
static bool name_part(const char *a, size_t al, const char *b, size_t bl)
{
    if (al > bl) {
        const char *t = a;
        a = b;
        b = t;
        size_t tl = al;
        al = bl;
        bl = tl;
    }
    for (size_t i = 0; i + al <= bl; i++)
        if ((i == 0 || b[i - 1] == ' ') && (i + al == bl || b[i + al] == ' ') &&
            !memcmp(b + i, a, al))
            return true;
    return false;
}

static int cmp_family(const struct srec *a, const struct srec *b)
{
    if (!a->flen || !b->flen)
        return F_NULL;
    if (a->flen == b->flen && !memcmp(a->family, b->family, a->flen))
        return F_EXACT;
    if (a->flen > 1 && b->flen > 1 && name_part(a->family, a->flen, b->family, b->flen))
        return F_PART;
    double jw = link_jaro_winkler(a->family, a->flen, b->family, b->flen);
    if (jw >= 0.92)
        return F_CLOSE;
    if (a->fph[0] && !strcmp(a->fph, b->fph))
        return F_SOUND;
    if (jw >= 0.8)
        return F_FAIR;
    return F_DIFF;
}

/* link_compare_id on identifiers normalised once. */
static int cmp_id(const struct srec *a, const struct srec *b)
{
    if (!a->idlen || !b->idlen)
        return LINK_ID_NULL;
    if (a->idlen == b->idlen && !memcmp(a->idn, b->idn, a->idlen))
        return LINK_ID_SAME;
    return link_osa_distance(a->idn, a->idlen, b->idn, b->idlen, 1) <= 1 ? LINK_ID_ONE_EDIT
                                                                         : LINK_ID_DIFFERENT;
}

/* Given and family names written the wrong way round on one of two records (HUXLEY Claudia
 * read as given name Huxley): each record's given name is the other's family name, allowing a
 * typo. */
static bool names_swapped(const struct srec *a, const struct srec *b)
{
    if (!(a->g1len > 1 && b->g1len > 1 && a->flen > 1 && b->flen > 1))
        return false;
    double x = link_jaro_winkler(a->gfirst, a->g1len, b->family, b->flen);
    double y = link_jaro_winkler(a->family, a->flen, b->gfirst, b->g1len);
    /* one name the same (allowing a typo), the other alike: a typo in a swapped name is as
     * common as in one in its place (Amrbr Dixon, Dixon Amber) */
    return (x >= 0.92 && y >= 0.8) || (x >= 0.8 && y >= 0.92);
}

/* One record has only one of its names and it is the other record's name of the other
 * kind (Holly with no family name; Thomson Holly): a name written in the wrong field.
 * Returns 1 when a's given name is b's family name (a has no family name), 2 when a's
 * family name is b's given name (a has no given name), else 0. */
static int name_in_other_field(const struct srec *a, const struct srec *b)
{
    if (a->g1len > 1 && !a->flen && b->flen > 1 && b->g1len > 1 &&
        link_jaro_winkler(a->gfirst, a->g1len, b->family, b->flen) >= 0.92)
        return 1;
    if (a->flen > 1 && !a->glen && b->g1len > 1 && b->flen > 1 &&
        link_jaro_winkler(a->family, a->flen, b->gfirst, b->g1len) >= 0.92)
        return 2;
    return 0;
}

static void compare_levels(const struct link_set *s, size_t i, size_t j, uint8_t lv[LINK_NCMP])
{
    const struct srec *a = &s->r[i], *b = &s->r[j];
    lv[LINK_CMP_GIVEN] = (uint8_t)cmp_given(s, a, b);
    lv[LINK_CMP_FAMILY] = (uint8_t)cmp_family(a, b);
    /* Given and family names written the wrong way round agree as close spellings. */
    if (lv[LINK_CMP_GIVEN] >= G_FAIR && lv[LINK_CMP_FAMILY] >= F_FAIR && names_swapped(a, b)) {
        lv[LINK_CMP_GIVEN] = G_CLOSE;
        lv[LINK_CMP_FAMILY] = F_CLOSE;
    }
    /* A lone name in the other field agrees as a close spelling of its kind; the name one
     * record lacks stays missing. */
    if ((lv[LINK_CMP_GIVEN] == G_NULL && lv[LINK_CMP_FAMILY] >= F_FAIR) ||
        (lv[LINK_CMP_FAMILY] == F_NULL && lv[LINK_CMP_GIVEN] >= G_FAIR)) {
        int k = name_in_other_field(a, b), l = name_in_other_field(b, a);
        if (k == 1 || l == 1)
            lv[LINK_CMP_GIVEN] = G_CLOSE;
        else if (k == 2 || l == 2)
            lv[LINK_CMP_FAMILY] = F_CLOSE;
    }
    lv[LINK_CMP_DOB] = (uint8_t)link_compare_dob_parsed(&a->dobp, &b->dobp);
    lv[LINK_CMP_POSTCODE] = (uint8_t)link_compare_postcode_parsed(&a->pc, &b->pc);
    lv[LINK_CMP_ADDRESS] = (uint8_t)link_compare_address_norm(a->anorm, a->alen, b->anorm,
                                                              b->alen);
    lv[LINK_CMP_SEX] = (uint8_t)link_compare_sex(a->sex, b->sex);
    lv[LINK_CMP_ID] = (uint8_t)cmp_id(a, b);
    lv[LINK_CMP_CONTACT] = (uint8_t)link_compare_contact_norm(
        a->email, a->elen, a->phone, a->plen, b->email, b->elen, b->phone, b->plen);
}

/* A pattern of levels packed in 24 bits: four for the given name (ten levels), three for
 * each other comparison but email or phone (two). */
static const unsigned lshift[LINK_NCMP] = {0, 4, 7, 10, 13, 16, 19, 22};
#define NPATTERNS (1u << 24)
#define LVMASK(c) \
    (((c) == LINK_CMP_GIVEN ? 15u : (c) == LINK_CMP_CONTACT ? 3u : 7u) << lshift[c])
#define LEVEL_OF(p, c) ((int)(((p)&LVMASK(c)) >> lshift[c]))

static uint32_t pack_levels(const uint8_t lv[LINK_NCMP])
{
    uint32_t p = 0;
    for (int c = 0; c < LINK_NCMP; c++)
        p |= (uint32_t)lv[c] << lshift[c];
    return p;
}

/* ------------------------------------------------------------------ term frequencies */

struct tf_table {
    size_t n, nslots;
    char **names;
    uint32_t *count;
    uint32_t *slots; /* index + 1 */
    uint64_t total;
};

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static long tf_find(const struct tf_table *t, const char *s, size_t n)
{
    if (!t->nslots)
        return -1;
    for (size_t k = fnv(s, n) & (t->nslots - 1);; k = (k + 1) & (t->nslots - 1)) {
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
        size_t k = fnv(t->names[i], strlen(t->names[i])) & (ns - 1);
        while (sl[k])
            k = (k + 1) & (ns - 1);
        sl[k] = (uint32_t)(i + 1);
    }
    svp_free(t->slots);
    t->slots = sl;
    t->nslots = ns;
    return 0;
}

static int tf_add(struct tf_table *t, const char *s, size_t n, uint32_t count)
{
    if (!n)
        return 0;
    t->total += count;
    long f = tf_find(t, s, n);
    if (f >= 0) {
        t->count[f] += count;
        return 0;
    }
    if ((t->n + 1) * 2 > t->nslots && tf_grow(t))
        return SVP_ENOMEM;
    if (!(t->names[t->n] = svp_strndup(s, n)))
        return SVP_ENOMEM;
    t->count[t->n] = count;
    size_t k = fnv(s, n) & (t->nslots - 1);
    while (t->slots[k])
        k = (k + 1) & (t->nslots - 1);
    t->slots[k] = (uint32_t)(t->n + 1);
    t->n++;
    return 0;
}

static void tf_free(struct tf_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        svp_free(t->names[i]);
    svp_free(t->names);
    svp_free(t->count);
    svp_free(t->slots);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ the model */

struct link_model {
    double m[LINK_NCMP][LINK_MAX_LEVELS], u[LINK_NCMP][LINK_MAX_LEVELS];
    double lw[LINK_NCMP][LINK_MAX_LEVELS]; /* log2(m/u), derived */
    double lambda;
    struct tf_table tf[3]; /* given (first part), family, postcode (spaceless) */
    double em_iterations;
    uint64_t twins;        /* within-source pairs that look like twins (see household_pairs) */
    uint64_t siblings;     /* within-source pairs that look like siblings (the same);
                            * UINT64_MAX: not counted (a model stored by an older svp) */
    uint64_t alike;        /* within-source pairs of one home and family name with alike
                            * given names and dates of birth apart (see alike_share);
                            * UINT64_MAX: not counted */
};

static void model_derive(struct link_model *m)
{
    for (int c = 0; c < LINK_NCMP; c++)
        for (int l = 0; l < nlevels[c]; l++)
            m->lw[c][l] = l ? log2(m->m[c][l] / m->u[c][l]) : 0.0;
}

void link_model_free(struct link_model **mp)
{
    struct link_model *m = mp ? *mp : NULL;
    if (!m)
        return;
    for (int t = 0; t < 3; t++)
        tf_free(&m->tf[t]);
    svp_free(m);
    *mp = NULL;
}

/* Twins share a family name, a date of birth and usually an address; only their given
 * names differ. A model that adds up evidence would join them, and a wrong merge puts one
 * child's history on another, so clearly different full given names with the same date of
 * birth and family name are held to be two people. */
static const double twin_cap_w = -9.965784284662087; /* log2(0.001 / 0.999): p = 0.001 */
static const double household_cap_w = 3.169925001442312; /* log2(0.9 / 0.1): p = 0.9 */

static int cmp_u64_pair(const void *x, const void *y)
{
    const uint64_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

double link_weight_to_p(double w)
{
    if (w > 60)
        return 1.0;
    if (w < -60)
        return 0.0;
    double x = exp2(w);
    return x / (1.0 + x);
}

/* Term-frequency adjustment for an exact name match: log2(u_exact / tf(value)), where
 * tf is the share of records with that value; a rare value counts for more. */
static const uint64_t tf_min_records = 100;

static double tf_adjust(const struct link_model *m, int which, const char *s, size_t n,
                        double u_exact)
{
    const struct tf_table *t = &m->tf[which];
    /* a share counted over a handful of records is noise, not a frequency */
    if (t->total < tf_min_records || !n)
        return 0.0;
    long f = tf_find(t, s, n);
    double freq = (double)(f >= 0 ? t->count[f] : 1) / (double)t->total;
    if (freq < 1e-7)
        freq = 1e-7;
    return log2(u_exact / freq);
}

static double score_levels(const struct link_model *m, const struct link_set *s, size_t i,
                           size_t j, const uint8_t lv[LINK_NCMP], double tw[LINK_NCMP],
                           const char **note)
{
    const struct srec *a = &s->r[i], *b = &s->r[j];
    double w = log2(m->lambda / (1.0 - m->lambda));
    for (int c = 0; c < LINK_NCMP; c++) {
        double t = m->lw[c][lv[c]];
        if (c == LINK_CMP_GIVEN && lv[c] == G_EXACT)
            t += tf_adjust(m, 0, a->gfirst, a->g1len, m->u[c][G_EXACT]);
        else if (c == LINK_CMP_FAMILY && lv[c] == F_EXACT)
            t += tf_adjust(m, 1, a->family, a->flen, m->u[c][F_EXACT]);
        else if (c == LINK_CMP_POSTCODE && lv[c] == LINK_PC_FULL)
            /* a postcode many records share (a children's home, a block of flats, a
             * hostel) says less than one few share */
            t += tf_adjust(m, 2, a->pc.full, a->pc.len, m->u[c][LINK_PC_FULL]);
        if (tw)
            tw[c] = t;
        w += t;
    }
    if (note)
        *note = NULL;
    (void)b;
    return w;
}

/* Twins and siblings live in one household, so their records agree on the postcode
 * (perhaps with one character wrong) or on the address (exactly, with a typo, or in most of
 * its words). A pair with neither gives no sign of a shared household: the weights decide. */
static bool shares_household(const uint8_t lv[LINK_NCMP])
{
    int pc = lv[LINK_CMP_POSTCODE], ad = lv[LINK_CMP_ADDRESS];
    bool pc_same = pc == LINK_PC_FULL || pc == LINK_PC_TYPO;
    bool ad_same = ad == LINK_ADDR_EXACT || ad == LINK_ADDR_CLOSE || ad == LINK_ADDR_TOKENS;
    bool pc_other = pc == LINK_PC_DISTRICT || pc == LINK_PC_DIFFERENT;
    bool ad_other = ad == LINK_ADDR_DIFFERENT;
    return (pc_same || ad_same) && !pc_other && !ad_other;
}

/* Twins and siblings have identifiers of their own: an NHS number is issued to each child,
 * and two issued one after the other differ in the last digit and the check digit. Two
 * records whose shared identifiers agree, or are one keying error apart, are one person
 * whatever their names say, so none of the household rules below holds for them. */
static bool same_identifier(const uint8_t lv[LINK_NCMP])
{
    return lv[LINK_CMP_ID] == LINK_ID_SAME || lv[LINK_CMP_ID] == LINK_ID_ONE_EDIT;
}

static bool family_agrees(const uint8_t lv[LINK_NCMP])
{
    int f = lv[LINK_CMP_FAMILY];
    return f != F_NULL && f != F_DIFF;
}

static bool dob_agrees(int d)
{
    return d == LINK_DOB_EXACT || d == LINK_DOB_TRANSPOSED || d == LINK_DOB_ONE_DIGIT;
}

/* Possible twins: one home, one family name, one date of birth (allowing a typo), and given
 * names that are clearly different (not a nickname, variant, misspelling or initial of each
 * other). A model that adds up evidence would join them, and a wrong merge puts one child's
 * history on another, so they are held to be two people. The rule stands on evidence that
 * twins occur in this data: a source holding two such records (see twin_pairs); with none,
 * a pair across sources is left to the weights (a given name keyed wrongly looks the same),
 * while two records of one source are still held apart. */
static bool is_twin_pattern(const struct link_model *m, const struct link_set *s, size_t i,
                            size_t j, const uint8_t lv[LINK_NCMP])
{
    const struct srec *a = &s->r[i], *b = &s->r[j];
    return s->household_guard && !same_identifier(lv) && shares_household(lv) &&
           dob_agrees(lv[LINK_CMP_DOB]) && family_agrees(lv) &&
           lv[LINK_CMP_GIVEN] == G_DIFF && a->g1len > 1 && b->g1len > 1 &&
           (m->twins > 0 || a->srcid == b->srcid);
}

/* How many twins the data's households can hold. Twins are born in about one maternity in
 * seventy (ONS, births in England and Wales), so wherever twins live, many more pairs of
 * siblings live: households of children born years apart. A twin pair is rarer than one in
 * ten of the sibling pairs in any population; we allow one in ten (twin_per_sibling), and
 * as many as two twin pairs where the data shows no siblings at all (twin_prior_siblings).
 * When the data holds many more twin-like pairs than that (one home, family name and date
 * of birth, clearly different given names), they cannot all be twins: most are one person
 * whose given name was keyed as another (a data set built by corrupting records, FEBRL's
 * duplicates). The share that can be twins, twin_share, is the chance a twin-like pair is
 * two people; 1 where the households explain every such pair (the twin rule holds as
 * before). */
static const double twin_per_sibling = 0.1, twin_prior_siblings = 20;

static double twin_share(const struct link_model *m)
{
    if (!m->twins || m->siblings == UINT64_MAX)
        return 1.0; /* no twin-like pairs, or a model stored before siblings were counted */
    double can = twin_per_sibling * ((double)m->siblings + twin_prior_siblings);
    return fmin(1.0, can / (double)m->twins);
}

/* Given names alike but not the same (a nickname, a close spelling, one sound, a fair
 * likeness) and dates of birth apart: two siblings (Lily and Lyla, Alexander and Alexandra)
 * or one child whose name and date were both keyed wrongly. Siblings with alike names are a
 * small part of all siblings: two given names drawn by their counts from the register of
 * given names (data/names' given-names.csv) are alike (Jaro-Winkler 0.8 or more, or one
 * sound) in 0.7% of pairs. We allow fourteen times that, one alike pair in ten sibling pairs
 * (alike_per_sibling), and two where the data shows no siblings. Where one source's
 * households hold many more alike pairs than that, most are one child keyed wrongly (a data
 * set whose dates of birth are often wrong): alike_share, the chance such a pair is two
 * children, falls below 1 and the sibling rules for alike names yield to the weights, capped
 * at that share. Clearly different given names stay siblings whatever the counts. */
static const double alike_per_sibling = 0.1;

static double alike_share(const struct link_model *m)
{
    if (!m->alike || m->alike == UINT64_MAX || m->siblings == UINT64_MAX)
        return 1.0;
    double can = alike_per_sibling * ((double)m->siblings + twin_prior_siblings);
    return fmin(1.0, can / (double)m->alike);
}

static bool given_alike(int g)
{
    return g == G_NICK || g == G_CLOSE || g == G_SOUND || g == G_FAIR;
}

/* Possible siblings: one home and one family name, and dates of birth in different years or
 * months (not a swap, not one digit) with given names that are not one name. Clearly
 * different given names with the same date of birth are the twin rule's; with no date of
 * birth on one side they are the next rule's. */
static bool is_sibling_pattern(const struct link_set *s, size_t i, size_t j,
                               const uint8_t lv[LINK_NCMP])
{
    const struct srec *a = &s->r[i], *b = &s->r[j];
    int g = lv[LINK_CMP_GIVEN], d = lv[LINK_CMP_DOB];
    if (!s->household_guard || same_identifier(lv) || !shares_household(lv) ||
        !family_agrees(lv))
        return false;
    bool dob_differs = d == LINK_DOB_DIFFERENT || d == LINK_DOB_SAME_YEAR;
    /* Siblings do not share a given name: one name written the same, as a nickname or
     * variant, or misspelt (close spelling) is one person's with a wrong date of birth, and
     * the weights judge it; names the wrong way round on one record are one person's too.
     * Alike names held in one agency are the next rule's. */
    bool same_name = g == G_EXACT || g == G_NICK || g == G_CLOSE;
    /* and a given name missing on one side says nothing of the name: then only dates of
     * birth years apart say sibling (a day or month keyed wrongly is one person's) */
    if (g == G_NULL && d == LINK_DOB_SAME_YEAR)
        return false;
    return dob_differs && !same_name && !names_swapped(a, b);
}

/* One home and one family name, given names that differ (two full names, or an initial that
 * is none of the other's names) and no date of birth on one side: a sibling, or the same
 * person under a nickname no list knows (Peggy, Margaret). Nothing in the records tells which,
 * so the pair is neither joined nor split by the model: it is held for a person to review,
 * and no chain of other records joins it meanwhile. */
static bool is_unsure_household_pattern(const struct link_set *s, size_t i, size_t j,
                                        const uint8_t lv[LINK_NCMP])
{
    const struct srec *a = &s->r[i], *b = &s->r[j];
    int g = lv[LINK_CMP_GIVEN];
    bool given_differs = (g == G_DIFF && a->g1len > 1 && b->g1len > 1) || g == G_OTHER_INITIAL;
    return s->household_guard && !same_identifier(lv) && shares_household(lv) &&
           family_agrees(lv) && given_differs && lv[LINK_CMP_DOB] == LINK_DOB_NULL &&
           !names_swapped(a, b);
}

/* One agency holding two records whose given names are alike but not the same and whose
 * dates of birth fall in different years is telling us of two children (Lily and Lyla,
 * Alexander and Alexandra), whatever else they share. */
static bool is_alike_sibling_pattern(const struct link_set *s, size_t i, size_t j,
                                     const uint8_t lv[LINK_NCMP])
{
    int g = lv[LINK_CMP_GIVEN];
    return s->household_guard && !same_identifier(lv) &&
           lv[LINK_CMP_DOB] == LINK_DOB_DIFFERENT &&
           (g == G_NICK || g == G_CLOSE || g == G_SOUND || g == G_FAIR) &&
           s->r[i].srcid == s->r[j].srcid && !strcmp(s->r[i].source, s->r[j].source) &&
           !names_swapped(&s->r[i], &s->r[j]);
}

/* Nothing personal agrees or disagrees: no given name beyond an initial and no date of
 * birth on one side, no shared identifier. Household facts alone cannot say which member
 * of the household a record is, so such a pair never joins by itself: it is capped in the
 * review band for a person to decide. */
static bool only_household(const uint8_t lv[LINK_NCMP])
{
    int g = lv[LINK_CMP_GIVEN], d = lv[LINK_CMP_DOB];
    return (g == G_NULL || g == G_INITIAL) && d == LINK_DOB_NULL && !same_identifier(lv);
}

enum guard { GUARD_NONE, GUARD_TWINS, GUARD_SIBLINGS, GUARD_ALIKE, GUARD_HOUSEHOLD, GUARD_UNSURE,
             GUARD_FEW_TWINS, GUARD_FEW_ALIKE };

static enum guard guard_of(const struct link_model *m, const struct link_set *s, size_t i,
                           size_t j, const uint8_t lv[LINK_NCMP])
{
    if (!s->household_guard)
        return GUARD_NONE;
    /* twin-like pairs are held apart while they are more likely twins than one person */
    if (is_twin_pattern(m, s, i, j, lv))
        return twin_share(m) >= 0.5 ? GUARD_TWINS : GUARD_FEW_TWINS;
    /* siblings with alike given names, while the data's households can hold them; and where
     * they cannot, the data's dates of birth are often keyed wrongly, so a date years out is
     * no sign of a sibling where one record has no given name either */
    bool few_alike = (given_alike(lv[LINK_CMP_GIVEN]) || lv[LINK_CMP_GIVEN] == G_NULL) &&
                     alike_share(m) < 0.5;
    if (is_sibling_pattern(s, i, j, lv))
        return few_alike ? GUARD_FEW_ALIKE : GUARD_SIBLINGS;
    if (is_alike_sibling_pattern(s, i, j, lv))
        return few_alike ? GUARD_FEW_ALIKE : GUARD_ALIKE;
    if (only_household(lv))
        return GUARD_HOUSEHOLD;
    if (is_unsure_household_pattern(s, i, j, lv))
        return GUARD_UNSURE;
    return GUARD_NONE;
}

static double guard_cap_w(const struct link_model *m, enum guard g)
{
    if (g == GUARD_FEW_TWINS || g == GUARD_FEW_ALIKE) {
        /* no more sure than the share of such pairs that are not twins or siblings */
        double q = fmax(g == GUARD_FEW_TWINS ? twin_share(m) : alike_share(m), 1e-9);
        return log2((1.0 - q) / q);
    }
    return g == GUARD_NONE                               ? INFINITY
           : g == GUARD_HOUSEHOLD || g == GUARD_UNSURE ? household_cap_w
                                                       : twin_cap_w;
}

static const char *const guard_note[] = {
    NULL,
    "possible twins: same home, family name and date of birth, clearly different given "
    "names; held to be two people",
    "possible siblings: same home and family name, different dates of birth or clearly "
    "different given names; held to be two people",
    "possible siblings: one source holds both, given names alike but not the same, dates of "
    "birth in different years; held to be two people",
    "only household facts agree (no given name beyond an initial, no date of birth): held "
    "for review, never joined by the model alone",
    "same home and family name, different given names and no date of birth: a sibling or "
    "one person under another name; held for review, never joined by the model alone",
    "possible twins, but this data holds far more such pairs than its households can hold "
    "twins: no surer than the share that cannot be twins",
    "possible siblings (given names alike, or one missing, and dates of birth apart), but "
    "this data holds far more pairs with alike given names and dates apart than its "
    "households can hold siblings (its dates of birth are often wrong): no surer than the "
    "share that cannot be siblings",
};

double link_pair_weight(const struct link_model *m, const struct link_set *s, size_t i,
                        size_t j)
{
    uint8_t lv[LINK_NCMP];
    compare_levels(s, i, j, lv);
    double w = score_levels(m, s, i, j, lv, NULL, NULL);
    double cap = guard_cap_w(m, guard_of(m, s, i, j, lv));
    return w > cap ? cap : w;
}

void link_score_pair(const struct link_model *m, const struct link_set *s, size_t i, size_t j,
                     struct link_score *out)
{
    uint8_t lv[LINK_NCMP];
    double tw[LINK_NCMP];
    memset(out, 0, sizeof *out);
    compare_levels(s, i, j, lv);
    out->weight = score_levels(m, s, i, j, lv, tw, &out->note);
    out->prior_weight = log2(m->lambda / (1.0 - m->lambda));
    for (int c = 0; c < LINK_NCMP; c++) {
        struct link_term *t = &out->terms[c];
        t->level = lv[c];
        t->label = cmp_label[c];
        t->level_name = level_names[c][lv[c]];
        t->m = m->m[c][lv[c]];
        t->u = m->u[c][lv[c]];
        t->weight = tw[c];
    }
    out->probability = link_weight_to_p(out->weight);
    enum guard g = guard_of(m, s, i, j, lv);
    double cap = guard_cap_w(m, g);
    if (out->weight > cap) {
        out->weight = cap;
        out->probability = link_weight_to_p(cap);
        out->note = guard_note[g];
    }
}

bool link_pair_joinable(const struct link_model *m, const struct link_set *s, size_t i,
                        size_t j, double *p)
{
    uint8_t lv[LINK_NCMP];
    compare_levels(s, i, j, lv);
    enum guard g = guard_of(m, s, i, j, lv);
    double w = score_levels(m, s, i, j, lv, NULL, NULL);
    double cap = guard_cap_w(m, g);
    *p = link_weight_to_p(w > cap ? cap : w);
    return !(g == GUARD_TWINS || g == GUARD_SIBLINGS || g == GUARD_ALIKE || g == GUARD_UNSURE);
}

/* Within-source pairs that look like twins (one source, one home, family name and date of
 * birth, clearly different given names) and like siblings (the same with dates of birth
 * clearly apart): the data's own evidence that twins occur, and how many its households can
 * hold (see twin_share). Records are grouped by source, family name and home (the postcode,
 * or the address where there is none); only pairs inside a group of at most 64 are compared.
 * On no memory both counts are 1: the guard stays on. */
static void household_pairs(const struct link_set *s, uint64_t *twins, uint64_t *siblings,
                            uint64_t *alike)
{
    size_t n = s->n, k = 0;
    uint64_t *key = svp_malloc((n ? n : 1) * 2 * sizeof *key);
    *twins = *siblings = *alike = 0;
    if (!key) {
        *twins = *siblings = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct srec *r = &s->r[i];
        if (!r->flen || r->g1len < 2 || r->srcid == UINT16_MAX || (!r->pc.len && !r->alen))
            continue;
        uint64_t home = r->pc.len ? fnv(r->pc.full, r->pc.len) : fnv(r->anorm, r->alen) * 7;
        key[2 * k] = fnv(r->family, r->flen) ^ home * 31 ^ r->srcid;
        key[2 * k + 1] = i;
        k++;
    }
    qsort(key, k, 2 * sizeof *key, cmp_u64_pair);
    for (size_t g = 0; g < k;) {
        size_t e = g + 1;
        while (e < k && key[2 * e] == key[2 * g])
            e++;
        for (size_t x = g; x < e && e - g <= 64; x++)
            for (size_t y = x + 1; y < e; y++) {
                uint8_t lv[LINK_NCMP];
                size_t i = key[2 * x + 1], j = key[2 * y + 1];
                compare_levels(s, i, j, lv);
                if (s->r[i].srcid != s->r[j].srcid || same_identifier(lv) ||
                    !shares_household(lv) || !family_agrees(lv))
                    continue;
                int d = lv[LINK_CMP_DOB];
                if (lv[LINK_CMP_GIVEN] == G_DIFF) {
                    *twins += dob_agrees(d);
                    *siblings += d == LINK_DOB_DIFFERENT;
                } else if (given_alike(lv[LINK_CMP_GIVEN]))
                    *alike += d == LINK_DOB_DIFFERENT || d == LINK_DOB_SAME_YEAR;
            }
        g = e;
    }
    svp_free(key);
}

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
    compare_levels(h->s, i, j, lv);
    phist_add(h->hist, pack_levels(lv) & h->mask);
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

/* The comparison a blocking field fixes (LINK_NCMP for none). */
static int bfield_cmp(enum bfield f)
{
    switch (f) {
    case BF_GIVEN: case BF_GIVEN1: case BF_GIVEN_PH: case BF_GIVEN3: return LINK_CMP_GIVEN;
    case BF_NAMES: case BF_NAMES_PH: case BF_INITIALS:
        return LINK_CMP_GIVEN; /* and family: see the caller */
    case BF_FAMILY: case BF_FAMILY1: case BF_FAMILY_PH: case BF_FAMILY3:
        return LINK_CMP_FAMILY;
    case BF_DOB: case BF_DOB_YEAR: case BF_DOB_MD: return LINK_CMP_DOB;
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
            for (int l = 1; l < nlevels[c]; l++)
                tm += am[c][l];
            if (tm <= 0)
                continue;
            for (int l = 1; l < nlevels[c]; l++) {
                double nm = (am[c][l] + 0.01) / (tm + 0.01 * (nlevels[c] - 1));
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
    household_pairs(s, &m->twins, &m->siblings, &m->alike);
    /* Term frequencies of names over the records. */
    for (size_t i = 0; i < s->n; i++)
        if (tf_add(&m->tf[0], s->r[i].gfirst, s->r[i].g1len, 1) ||
            tf_add(&m->tf[1], s->r[i].family, s->r[i].flen, 1) ||
            tf_add(&m->tf[2], s->r[i].pc.full, s->r[i].pc.len, 1)) {
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
        uint64_t seed = 0x9e3779b97f4a7c15ULL;
        for (uint64_t k = 0, tries = 0; k < 1000000 && tries < 20000000; tries++) {
            size_t i = (size_t)(xorshift(&seed) % s->n), j = (size_t)(xorshift(&seed) % s->n);
            if (i == j || (!o->dedupe_within_source && !strcmp(s->r[i].source, s->r[j].source)))
                continue;
            uint8_t lv[LINK_NCMP];
            compare_levels(s, i, j, lv);
            for (int c = 0; c < LINK_NCMP; c++)
                ucount[c][lv[c]]++;
            k++;
        }
    }
    for (int c = 0; c < LINK_NCMP; c++) {
        uint64_t tot = 0;
        for (int l = 1; l < nlevels[c]; l++)
            tot += ucount[c][l];
        for (int l = 1; l < nlevels[c]; l++)
            m->u[c][l] = ((double)ucount[c][l] + 0.5) / ((double)tot + 0.5 * (nlevels[c] - 1));
        /* m starts high on full agreement, low on disagreement; EM moves it */
        int mid = nlevels[c] - 3 > 0 ? nlevels[c] - 3 : 1;
        for (int l = 1; l < nlevels[c]; l++)
            m->m[c][l] = l == 1 ? 0.8 : l == nlevels[c] - 1 ? 0.02 : 0.18 / mid;
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
    /* EM needs pattern counts, not every pair: a fixed sample keeps training fast. */
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
        /* A rule that pins only a household (family name and address) gives pairs of
         * siblings, and EM would learn "same household" as its match class; only rules that
         * pin something of the person (given name or date of birth) train m. A sorted
         * neighbourhood pins nothing (its pairs are near, not equal): it trains none. */
        if (!personal || b->rule[r].window)
            continue;
        phist_clear(&hist);
        struct hist_ctx hc = {s, &hist, mask};
        link_blockidx_pairs(&bi, s, o, false, 0, (int)r, cnt / 150000 + 1, hist_pair, &hc, NULL);
        double mnew[LINK_NCMP][LINK_MAX_LEVELS];
        em_rule(m, &hist, mask, mnew);
        for (int c = 0; c < LINK_NCMP; c++) {
            if (!(mask & LVMASK(c)))
                continue;
            for (int l = 1; l < nlevels[c]; l++)
                msum[c][l] += mnew[c][l];
            mcount[c]++;
        }
    }
    for (int c = 0; c < LINK_NCMP; c++)
        if (mcount[c])
            for (int l = 1; l < nlevels[c]; l++)
                m->m[c][l] = msum[c][l] / mcount[c];
    /* The prior: the chance two random records are the same person. Pairs outside the
     * candidates have almost no chance of matching, so the expected number of matches is the
     * sum of the candidates' probabilities; iterate prior = matches / all pairs. */
    phist_clear(&hist);
    struct hist_ctx hc = {s, &hist, NPATTERNS - 1};
    uint64_t stride = allpairs / 1000000 + 1;
    link_blockidx_pairs(&bi, s, o, false, 0, -1, stride, hist_pair, &hc, NULL);
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
    model_derive(m);
    *out = m;
    return 0;
fail:
    phist_free(&hist);
    link_model_free(&m);
    return rc;
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
    for (int c = 0; !rc && c < LINK_NCMP; c++)
        for (int l = 1; !rc && l < nlevels[c]; l++)
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
        unsigned long long twins;
        double a, u;
        if (line == 1) {
            int ver = 0, vused = 0;
            if (sscanf(buf, "svp-link-model %d%n", &ver, &vused) != 1 || buf[vused] || ver < 1 ||
                ver > LINK_MODEL_VERSION)
                goto bad;
            if (ver < LINK_MODEL_VERSION) {
                /* older comparisons (before 4: eight given-name levels; before 5: no email
                 * or phone; before 6: a date of birth one keying error out and an email with
                 * its domain mistyped were different, and alike pairs were not counted): train
                 * anew */
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
        } else if (sscanf(buf, "alike %llu%n", &twins, &used) == 1 && !buf[used]) {
            m->alike = (uint64_t)twins;
            have_alike = true;
        } else if (sscanf(buf, "level %d %d %lf %lf%n", &c, &l, &a, &u, &used) == 4 &&
                   !buf[used]) {
            /* each level exactly once: a repeated level would hide a missing one */
            if (c < 0 || c >= LINK_NCMP || l < 1 || l >= nlevels[c] || seen[c][l] ||
                !(a > 0 && a <= 1) || !(u > 0 && u <= 1))
                goto bad;
            m->m[c][l] = a;
            m->u[c][l] = u;
            seen[c][l] = true;
        } else if (sscanf(buf, "tf %d %u %n", &t, &cnt, &used) == 2 && t >= 0 && t <= 2 &&
                   buf[used]) {
            if (tf_add(&m->tf[t], buf + used, strlen(buf + used), cnt)) {
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
        for (int l = 1; l < nlevels[c]; l++)
            if (!seen[c][l])
                goto bad;
    model_derive(m);
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
        for (int l = 1; l < nlevels[c]; l++) {
            struct link_model_line ln = {cmp_label[c], level_names[c][l], m->m[c][l],
                                         m->u[c][l], m->lw[c][l]};
            int rc = fn(&ln, ctx);
            if (rc)
                return rc;
        }
    return 0;
}

int link_model_levels(int cmp)
{
    return cmp >= 0 && cmp < LINK_NCMP ? nlevels[cmp] : 0;
}

double link_model_lambda(const struct link_model *m)
{
    return m->lambda;
}

uint64_t link_model_twins(const struct link_model *m)
{
    return m->twins;
}

uint64_t link_model_siblings(const struct link_model *m)
{
    return m->siblings;
}

double link_model_twin_share(const struct link_model *m)
{
    return twin_share(m);
}

uint64_t link_model_alike(const struct link_model *m)
{
    return m->alike;
}

double link_model_alike_share(const struct link_model *m)
{
    return alike_share(m);
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
    *w_commonest = t->total >= tf_min_records ? base + log2(u / fm) : base;
    *w_once = t->total >= tf_min_records ? base + log2(u / f1) : base;
}
