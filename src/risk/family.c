/* Households and family: who a child lives with, from what agencies hold. Recorded links
 * (parent, sibling and household member relationships; the children listed with a
 * domestic abuse incident) and inferred ones: records of two persons that share a family
 * name and an address (or a postcode, with ages that fit a family), kept with their
 * evidence and confidence. The tracker never reads family co-involvement as association
 * (docs/indicators.md, "Family and household"). */
#include "risk.h"
#include "risk_int.h"

#include "link/link.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *risk_relation_name(int relation)
{
    switch (relation) {
    case RISK_REL_PARENT: return "parent";
    case RISK_REL_CHILD: return "child";
    case RISK_REL_SIBLING: return "sibling";
    default: return "household member";
    }
}

static bool is(const char *a, const char *b)
{
    return a && !strcmp(a, b);
}

unsigned risk_event_needs(const char *type, const char *subtype, json_t *detail)
{
    (void)detail;
    if (!type)
        return 0;
    if (is(type, "da_incident"))
        return 1u << RISK_NEED_DA;
    if (is(type, "substance_misuse"))
        return 1u << RISK_NEED_SUBSTANCE;
    if ((is(type, "ed_attendance") &&
         (is(subtype, "mental_health") || is(subtype, "self_harm") || is(subtype, "overdose"))) ||
        is(type, "camhs_referral"))
        return 1u << RISK_NEED_MENTAL;
    if ((is(type, "crime") && (is(subtype, "suspect") || is(subtype, "offender"))) ||
        is(type, "arrest") || is(type, "yj_intervention") || is(type, "offender_management"))
        return 1u << RISK_NEED_OFFENDING;
    return 0;
}

static const char *const need_names[RISK_NEED_COUNT][2] = {
    [RISK_NEED_DA] = {"domestic_abuse", "domestic abuse"},
    [RISK_NEED_SUBSTANCE] = {"substance_misuse", "substance misuse"},
    [RISK_NEED_MENTAL] = {"mental_health", "mental ill health"},
    [RISK_NEED_OFFENDING] = {"offending", "offending"},
};

const char *risk_need_name(int need)
{
    return need >= 0 && need < RISK_NEED_COUNT ? need_names[need][0] : "unknown";
}

const char *risk_need_label(int need)
{
    return need >= 0 && need < RISK_NEED_COUNT ? need_names[need][1] : "unknown";
}

/* What b is to a, from their ages on the scoring date (-1 unknown): 14 or more years older
 * is a parent (or carer), 14 or more younger a child, two children siblings, and a child
 * with an adult fewer than 10 years older or younger siblings too (a brother who turned 18 is
 * still a brother); else household members (a 25-year-old with a 12-year-old may be a
 * parent's partner as well as a brother). */
int risk_relation_by_age(int age_a, int age_b)
{
    if (age_a < 0 || age_b < 0)
        return RISK_REL_HOUSEHOLD;
    int d = age_b - age_a;
    if (d >= 14)
        return RISK_REL_PARENT;
    if (d <= -14)
        return RISK_REL_CHILD;
    if ((age_a < 18 && age_b < 18) || ((age_a < 18 || age_b < 18) && d > -10 && d < 10))
        return RISK_REL_SIBLING;
    return RISK_REL_HOUSEHOLD;
}

int risk_family_add(struct risk_family_link **links, size_t *n, size_t *cap, uint32_t a,
                    uint32_t b, int relation, bool recorded, int agency, float confidence,
                    const char *basis)
{
    if (a == b)
        return SVP_OK;
    struct risk_family_link *x = svp_grow(*links, cap, *n + 2, sizeof *x, 1024);
    if (!x)
        return SVP_ENOMEM;
    *links = x;
    int back = relation == RISK_REL_PARENT ? RISK_REL_CHILD
               : relation == RISK_REL_CHILD ? RISK_REL_PARENT
                                            : relation;
    x[(*n)++] = (struct risk_family_link){a, b, (uint8_t)relation, recorded, (uint8_t)agency,
                                          confidence, basis};
    x[(*n)++] = (struct risk_family_link){b, a, (uint8_t)back, recorded, (uint8_t)agency,
                                          confidence, basis};
    return SVP_OK;
}

static int cmp_rec(const void *x, const void *y)
{
    const struct risk_famrec *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->person > b->person) - (a->person < b->person);
}

/* A child or a young adult (to 25) with a known age: whom a slip of the keys may hide from
 * a brother or sister under one postcode. */
static bool young(const struct risk_person *p)
{
    return p->age >= 0 && (p->child || p->age < 26);
}

/* More persons than this with one family name under one postcode are not read as one
 * family (two families of one name in a street); a family of two adults and four children
 * is not more. */
enum { POSTCODE_MOST = 4 };

/* Groups of records sharing a key: 2 to `most` distinct persons make links (a larger group
 * is a hostel or a children's home, not a family). `how` is what the key holds
 * (enum risk_fam_key): a family name and an address, a family name's sound and an address
 * (a name typed differently on every record), or a family name and a postcode. */
/* Whether entries (of size elem, a uint32_t person at offset off) come by person. */
static bool by_person(const void *items, size_t n, size_t elem, size_t off)
{
    const char *p = items;
    uint32_t last = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t person;
        memcpy(&person, p + i * elem + off, sizeof person);
        if (i && person < last)
            return false;
        last = person;
    }
    return true;
}

/* From this many entries on, those that come by person are put in key order by a radix
 * sort (risk_order_key64) rather than compared n log n times. */
enum { RADIX_FROM = 1024 };
_Static_assert(offsetof(struct risk_famrec, key) == 0, "key_order reads the key first");
_Static_assert(offsetof(struct risk_famname, key) == 0, "key_order reads the key first");

/* The order of n entries' keys (perm), equal keys in the entries' order, when there are
 * enough entries for it and memory: false for a comparison sort instead. */
static bool key_order(const void *items, size_t n, size_t elem, uint32_t **perm)
{
    *perm = NULL;
    if (n < RADIX_FROM)
        return false;
    uint64_t *keys = svp_malloc(n * sizeof *keys);
    *perm = keys ? svp_malloc(n * sizeof **perm) : NULL;
    if (*perm) {
        const char *p = items;
        for (size_t i = 0; i < n; i++)
            memcpy(&keys[i], p + i * elem, sizeof keys[i]); /* the key leads each entry */
    }
    if (!*perm || risk_order_key64(keys, n, *perm)) {
        svp_free(*perm);
        *perm = NULL;
    }
    svp_free(keys);
    return *perm != NULL;
}

/* recs in cmp_rec's order (key, then person): by key alone when they come by person. */
void risk_famrec_sort(struct risk_famrec *recs, size_t n)
{
    if (n < 2)
        return;
    uint32_t *perm = NULL;
    struct risk_famrec *copy = NULL;
    if (by_person(recs, n, sizeof *recs, offsetof(struct risk_famrec, person)) &&
        key_order(recs, n, sizeof *recs, &perm) && (copy = svp_malloc(n * sizeof *copy))) {
        memcpy(copy, recs, n * sizeof *copy);
        for (size_t i = 0; i < n; i++)
            recs[i] = copy[perm[i]];
    } else {
        qsort(recs, n, sizeof *recs, cmp_rec);
    }
    svp_free(copy);
    svp_free(perm);
}

int risk_family_infer(struct risk_famrec *recs, size_t n, const struct risk_person *persons,
                      int how, struct risk_family_link **links, size_t *nlinks, size_t *cap)
{
    risk_famrec_sort(recs, n);
    bool postcode_only = how == RISK_FAM_POSTCODE;
    const int most = postcode_only ? POSTCODE_MOST : 8;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && recs[j].key == recs[i].key)
            j++;
        uint32_t who[8];
        int k = 0;
        for (size_t m = i; m < j && k <= most; m++)
            if (!k || who[k - 1] != recs[m].person) {
                if (k < 8)
                    who[k] = recs[m].person;
                k++;
            }
        if (k >= 2 && k <= most)
            for (int x = 0; x < k; x++)
                for (int y = x + 1; y < k; y++) {
                    const struct risk_person *px = &persons[who[x]], *py = &persons[who[y]];
                    int ax = px->age, ay = py->age;
                    int rel = risk_relation_by_age(ax, ay);
                    float conf = how == RISK_FAM_ADDRESS ? 0.85f
                                 : how == RISK_FAM_ADDRESS_SOUND ? 0.75f : 0.6f;
                    const char *basis = how == RISK_FAM_ADDRESS
                                            ? "same family name and address"
                                        : how == RISK_FAM_ADDRESS_SOUND
                                            ? "family names that sound alike, same address"
                                            : "same family name and postcode, ages of a family";
                    /* a postcode is shared by a street's households: only ages that fit a
                     * family, and less confidence; two children of whom one has no date of
                     * birth on any record (both recorded as children) are siblings with
                     * less confidence still */
                    if (postcode_only) {
                        if ((ax < 0) != (ay < 0) && (ax < 0 ? px->child : young(px)) &&
                            (ay < 0 ? py->child : young(py))) {
                            rel = RISK_REL_SIBLING;
                            conf = 0.5f;
                            basis = "same family name and postcode, both recorded as children";
                        } else if (rel == RISK_REL_HOUSEHOLD && ax >= 0 && ay >= 0 &&
                                   ax < 26 && ay < 26 &&
                                   ((ax < 18) != (ay < 18) || abs(ax - ay) < 10)) {
                            /* a child and a young adult (a brother who has left school), or
                             * two young adults close in age: brothers and sisters who have
                             * grown up, as a family's records keep them */
                            conf = 0.5f;
                        } else if (rel == RISK_REL_HOUSEHOLD || ax < 0 || ay < 0 ||
                                   (rel != RISK_REL_SIBLING && abs(ax - ay) > 50)) {
                            continue;
                        }
                    }
                    int rc = risk_family_add(links, nlinks, cap, who[x], who[y], rel, false,
                                             RISK_AG_OTHER, conf, basis);
                    if (rc)
                        return rc;
                }
        i = j;
    }
    return SVP_OK;
}

/* The order of entries by postcode, person and field (family name before given name);
 * 0 on a tie, which the name breaks. */
static int cmp_key_fields(uint64_t ka, uint32_t pa, bool ga, uint64_t kb, uint32_t pb, bool gb)
{
    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (pa != pb)
        return pa < pb ? -1 : 1;
    if (ga != gb)
        return ga ? 1 : -1;
    return 0;
}

static int cmp_name(const void *x, const void *y)
{
    const struct risk_famname *a = x, *b = y;
    int c = cmp_key_fields(a->key, a->person, a->given, b->key, b->person, b->given);
    return c ? c : strcmp(a->name, b->name);
}

static int cmp_name_only(const void *x, const void *y)
{
    const struct risk_famname *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->given != b->given)
        return a->given ? 1 : -1;
    return (a->person > b->person) - (a->person < b->person);
}

/* Whether name is fam, or one part of a family name of two or more (fam holds letters only:
 * the parts are not marked, so a part is a prefix or a suffix of at least four letters). */
static bool name_or_part(const char *name, const char *fam)
{
    size_t n = strlen(name), f = strlen(fam);
    if (!strcmp(name, fam))
        return true;
    return n >= 4 && f >= n + 3 && (!strncmp(fam, name, n) || !strcmp(fam + f - n, name));
}

/* Whether the records of person under one postcode (recs[i..j)) carry a family name that is
 * a forename (more persons have it as their given name than as their family name) and never
 * the family name fam: a record whose two names were swapped. */
static bool swapped(const struct risk_famname *recs, size_t i, size_t j, uint32_t person,
                    const char *fam)
{
    bool forename = false;
    for (size_t k = i; k < j; k++) {
        const struct risk_famname *r = &recs[k];
        if (r->person != person || r->given)
            continue;
        if (!strcmp(r->name, fam))
            return false;
        forename |= r->as_given > r->carriers;
    }
    return forename;
}

/* A family name carried by no more than this many persons anywhere is a slip of the keys
 * (a real family name is shared by the family and, mostly, by others). */
enum { NAMES_SLIP = 2 };

/* Postcodes of more persons than this are a block of flats or a bad key: not compared. */
enum { NAMES_MOST = 400 };

/* A name's 64-bit hash (FNV-1a), to count its carriers without comparing texts. */
static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

struct name_slot {
    uint64_t hash;
    uint32_t first;   /* an entry with the name + 1 (0: slot free) */
    uint32_t last[2]; /* the last person counted, as family and as given name, + 1 */
    uint32_t k[2];    /* persons carrying the name as family and as given name */
};

/* The slot of a name in the table: its own, or the free one where it goes. */
static size_t slot_of(const struct name_slot *t, size_t slots, uint64_t h, const char *name,
                      const struct risk_famname *recs)
{
    size_t k = (size_t)(h ^ (h >> 31)) & (slots - 1);
    while (t[k].first && (t[k].hash != h || strcmp(recs[t[k].first - 1].name, name)))
        k = (k + 1) & (slots - 1);
    return k;
}

/* How many persons carry each name, as a family name and as a given name, over the whole
 * panel, by a hash table of the names: one pass when the entries come by person (as the
 * loader makes them); false when they do not or memory is short (the caller then sorts). */
static bool count_carriers_hashed(struct risk_famname *recs, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (recs[i].person < recs[i - 1].person)
            return false;
    /* sized for the names, far fewer than the entries: grown when half full */
    size_t slots = 4096, used = 0;
    struct name_slot *t = svp_calloc(slots, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = name_hash(recs[i].name);
        size_t k = slot_of(t, slots, h, recs[i].name, recs);
        struct name_slot *e = &t[k];
        if (!e->first) {
            if (2 * (used + 1) > slots) {
                struct name_slot *b = svp_calloc(2 * slots, sizeof *b);
                if (!b) {
                    svp_free(t);
                    return false;
                }
                for (size_t j = 0; j < slots; j++)
                    if (t[j].first)
                        b[slot_of(b, 2 * slots, t[j].hash, recs[t[j].first - 1].name, recs)] =
                            t[j];
                svp_free(t);
                t = b;
                slots *= 2;
                k = slot_of(t, slots, h, recs[i].name, recs);
                e = &t[k];
            }
            e->first = (uint32_t)i + 1;
            e->hash = h;
            used++;
        }
        int g = recs[i].given;
        if (e->last[g] != recs[i].person + 1) {
            e->last[g] = recs[i].person + 1;
            e->k[g]++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct name_slot *e =
            &t[slot_of(t, slots, name_hash(recs[i].name), recs[i].name, recs)];
        recs[i].carriers = e->k[0];
        recs[i].as_given = e->k[1];
    }
    svp_free(t);
    return true;
}

/* The entries in cmp_name's order: their keys (postcode, person, field) sorted with integer
 * comparisons and the names compared only on a tie, then the entries moved once (qsort on
 * the entries themselves moved 56 bytes at a time). */
struct name_order {
    uint64_t key;
    uint32_t person, idx;
    bool given;
};

static int cmp_name_order(const void *x, const void *y, void *ctx)
{
    const struct name_order *a = x, *b = y;
    int c = cmp_key_fields(a->key, a->person, a->given, b->key, b->person, b->given);
    if (c)
        return c;
    const struct risk_famname *r = ctx;
    c = strcmp(r[a->idx].name, r[b->idx].name);
    return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

static void sort_by_postcode(struct risk_famname *recs, size_t n)
{
    if (n < 2)
        return;
    struct name_order *o = svp_malloc(n * sizeof *o);
    struct risk_famname *copy = o ? svp_malloc(n * sizeof *copy) : NULL;
    if (!copy) {
        svp_free(o);
        qsort(recs, n, sizeof *recs, cmp_name);
        return;
    }
    for (size_t i = 0; i < n; i++)
        o[i] = (struct name_order){recs[i].key, recs[i].person, (uint32_t)i, recs[i].given};
    uint32_t *perm = NULL;
    if (by_person(recs, n, sizeof *recs, offsetof(struct risk_famname, person)) &&
        key_order(recs, n, sizeof *recs, &perm)) {
        /* by postcode, each postcode's entries by person as they came: then each person's
         * few entries under the postcode by field and name */
        for (size_t i = 0; i < n; i++)
            copy[i] = recs[perm[i]];
        for (size_t i = 0; i < n; i++)
            o[i] = (struct name_order){copy[i].key, copy[i].person, perm[i], copy[i].given};
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && o[j].key == o[i].key && o[j].person == o[i].person)
                j++;
            if (j - i > 1)
                qsort_r(o + i, j - i, sizeof *o, cmp_name_order, recs);
            i = j;
        }
        svp_free(perm);
    } else {
        qsort_r(o, n, sizeof *o, cmp_name_order, recs);
    }
    memcpy(copy, recs, n * sizeof *copy);
    for (size_t i = 0; i < n; i++)
        recs[i] = copy[o[i].idx];
    svp_free(copy);
    svp_free(o);
}

int risk_family_infer_names(struct risk_famname *recs, size_t n,
                            const struct risk_person *persons, struct risk_family_link **links,
                            size_t *nlinks, size_t *cap)
{
    /* how many persons carry each name, as a family name and as a given name, over the
     * whole panel */
    if (!count_carriers_hashed(recs, n)) {
        if (n > 1)
            qsort(recs, n, sizeof *recs, cmp_name_only);
        for (size_t a = 0; a < n;) {
            size_t b = a;
            uint32_t k[2] = {0, 0};
            for (; b < n && !strcmp(recs[b].name, recs[a].name); b++)
                k[recs[b].given] += b == a || recs[b].person != recs[b - 1].person ||
                                    recs[b].given != recs[b - 1].given;
            for (size_t c = a; c < b; c++) {
                recs[c].carriers = k[0];
                recs[c].as_given = k[1];
            }
            a = b;
        }
    }
    sort_by_postcode(recs, n);
    /* Which entries of a postcode can make a link at all, so that a pair is looked at only
     * when one of the two can: a family name that is a slip (carried by no more than
     * NAMES_SLIP persons: two names one letter apart need one), or a given name of a young
     * person whose family name under the postcode is a forename (names swapped between the
     * fields need one). The pairs looked at are taken in the same order as all pairs, so
     * the links are the same. */
    uint8_t *special = svp_malloc(NAMES_MOST + 1);
    uint32_t *spec = svp_malloc((NAMES_MOST + 1) * sizeof *spec);
    if (!special || !spec) {
        svp_free(special);
        svp_free(spec);
        return SVP_ENOMEM;
    }
    int rc = SVP_OK;
    size_t i = 0;
    while (i < n && !rc) {
        size_t j = i + 1;
        while (j < n && recs[j].key == recs[i].key)
            j++;
        if (j - i > NAMES_MOST) {
            i = j;
            continue;
        }
        /* a person whose family name here is a forename (entries are by person) */
        size_t nspec = 0;
        for (size_t a = i; a < j;) {
            size_t b = a;
            bool forename = false;
            for (; b < j && recs[b].person == recs[a].person; b++)
                forename |= !recs[b].given && recs[b].as_given > recs[b].carriers;
            for (size_t x = a; x < b; x++) {
                const struct risk_famname *r = &recs[x];
                bool s = r->given ? forename && young(&persons[r->person])
                                  : r->carriers <= NAMES_SLIP;
                special[x - i] = s;
                if (s)
                    spec[nspec++] = (uint32_t)(x - i);
            }
            a = b;
        }
        if (!nspec) {
            i = j;
            continue;
        }
        for (size_t x = i; x < j && !rc; x++) {
            const struct risk_person *px = &persons[recs[x].person];
            if (!young(px) && !px->child)
                continue;
            size_t lx = strlen(recs[x].name);
            /* all later entries when x can link, else only the later ones that can */
            size_t s0 = 0;
            if (!special[x - i])
                while (s0 < nspec && spec[s0] <= x - i)
                    s0++;
            for (size_t yy = special[x - i] ? x + 1 : s0;
                 special[x - i] ? yy < j : yy < nspec; yy++) {
                size_t y = special[x - i] ? yy : i + spec[yy];
                if (recs[y].person == recs[x].person)
                    continue;
                const struct risk_person *py = &persons[recs[y].person];
                size_t ly = strlen(recs[y].name);
                if (recs[x].given || recs[y].given) {
                    /* names swapped between the fields: one's given name is the other's
                     * family name, and its own family name is a forename */
                    const struct risk_famname *g = recs[x].given ? &recs[x] : &recs[y],
                                              *f = recs[x].given ? &recs[y] : &recs[x];
                    if (f->given || !young(px) || !young(py) || lx < 3 ||
                        !name_or_part(g->name, f->name) ||
                        (risk_relation_by_age(px->age, py->age) != RISK_REL_SIBLING &&
                         abs(px->age - py->age) >= 10) ||
                        !swapped(recs, i, j, g->person, f->name))
                        continue;
                    rc = risk_family_add(links, nlinks, cap, recs[x].person, recs[y].person,
                                         RISK_REL_SIBLING, false, RISK_AG_OTHER, 0.45f,
                                         "given and family names swapped, same "
                                         "postcode, ages of siblings");
                    if (rc)
                        break;
                    continue;
                }
                /* a child with no date of birth on any record beside a child or young
                 * adult: ages cannot say no */
                bool ages = px->age >= 0 && py->age >= 0;
                if ((recs[x].carriers > NAMES_SLIP && recs[y].carriers > NAMES_SLIP) ||
                    !(ages ? young(px) && young(py) : (young(px) || px->child) &&
                                                          (young(py) || py->child)) ||
                    lx < 4 || ly < 4 || !strcmp(recs[x].name, recs[y].name) ||
                    (ages && risk_relation_by_age(px->age, py->age) != RISK_REL_SIBLING &&
                     abs(px->age - py->age) >= 10) ||
                    !link_dl_within_one(recs[x].name, lx, recs[y].name, ly))
                    continue;
                rc = risk_family_add(links, nlinks, cap, recs[x].person, recs[y].person,
                                     RISK_REL_SIBLING, false, RISK_AG_OTHER, 0.45f,
                                     "family names one letter apart, same postcode, "
                                     "ages of siblings");
                if (rc)
                    break;
            }
        }
        i = j;
    }
    svp_free(special);
    svp_free(spec);
    return rc;
}

static int cmp_link(const void *x, const void *y)
{
    const struct risk_family_link *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    /* recorded first, then most confident: the one kept */
    if (a->recorded != b->recorded)
        return a->recorded ? -1 : 1;
    return (a->confidence < b->confidence) - (a->confidence > b->confidence);
}

static uint32_t link_a(const void *x)
{
    return ((const struct risk_family_link *)x)->a;
}

void risk_family_finish(struct risk_family_link *links, size_t *n)
{
    risk_sort_bucketed(links, *n, sizeof *links, link_a, cmp_link);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (!k || links[k - 1].a != links[i].a || links[k - 1].b != links[i].b)
            links[k++] = links[i];
    *n = k;
}

static bool link_below(const void *arr, size_t i, const void *key)
{
    const struct risk_family_link *l = &((const struct risk_family_link *)arr)[i];
    const uint32_t *k = key;
    return l->a < k[0] || (l->a == k[0] && l->b < k[1]);
}

bool risk_family_has(const struct risk_family_link *links, size_t n, uint32_t a, uint32_t b)
{
    uint32_t key[2] = {a, b};
    size_t i = svp_lower_bound(links, n, key, link_below);
    return i < n && links[i].a == a && links[i].b == b;
}

bool risk_panel_is_family(const struct risk_panel *p, uint32_t a, uint32_t b)
{
    return risk_family_has(p->family, p->nfamily, a, b);
}

size_t risk_panel_family(const struct risk_panel *p, int64_t person_id,
                         const struct risk_family_link **out)
{
    *out = NULL;
    const struct risk_person *rp = risk_panel_find(p, person_id);
    if (!rp)
        return 0;
    uint32_t key[2] = {(uint32_t)(rp - p->persons), 0};
    size_t i = svp_lower_bound(p->family, p->nfamily, key, link_below), j = i;
    while (j < p->nfamily && p->family[j].a == key[0])
        j++;
    *out = p->family + i;
    return j - i;
}

/* ---------------------------------------------------------------- contact phones */

size_t risk_phone_norm(const char *raw, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    if (!raw || cap < 12)
        return 0;
    /* only digits and what separates them: "ext 2", "mum's", a second number are not one
     * number a family shares */
    size_t digits = 0;
    for (const char *s = raw; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (*s != ' ' && *s != '+' && *s != '-' && *s != '(' && *s != ')' && *s != '.')
            return 0;
    }
    if (digits > 15) /* 0044 (0) and ten digits at most */
        return 0;
    /* the national form the linker compares a person's own phone in (link_phone_normalise:
     * +44, 0044 and a leading 0 a spreadsheet lost; a form's filler such as 07777777777 or
     * 07000000000 is no number there) */
    char num[32];
    size_t len = link_phone_normalise(raw, num, sizeof num);
    if (num[0] != '0' || num[1] == '0' || len < 10 || len > 11)
        return 0;
    memcpy(out, num, len + 1);
    return len;
}

int risk_detail_contact_phone(const char *detail, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    const char *k = detail ? strstr(detail, "\"contact_phone\"") : NULL;
    if (!k)
        return SVP_OK;
    /* the flat object the importer writes ({"contact_phone":"07700 900123",...}): read the
     * value where it stands; anything else (an escape, a number, spaces the importer does
     * not write) is read by the JSON parser */
    const char *v = k + strlen("\"contact_phone\"");
    size_t dl = strlen(detail);
    if (k > detail && k[-1] != '\\' && *v == ':' && v[1] == '"' && detail[0] == '{' &&
        detail[dl - 1] == '}') {
        const char *e = v + 2;
        while (*e && *e != '"' && *e != '\\')
            e++;
        if (*e == '"') {
            char raw[64];
            size_t n = (size_t)(e - (v + 2));
            if (n < sizeof raw) {
                memcpy(raw, v + 2, n);
                raw[n] = '\0';
                risk_phone_norm(raw, out, cap);
            }
            return SVP_OK;
        }
    }
    json_error_t je;
    unsigned long failures = svp_mem_failures();
    json_t *j = json_loads(detail, 0, &je);
    if (!j)
        return json_error_code(&je) == json_error_out_of_memory ||
                       svp_mem_failures() != failures
                   ? SVP_ENOMEM
                   : SVP_OK;
    risk_phone_norm(json_string_value(json_object_get(j, "contact_phone")), out, cap);
    json_decref(j);
    return SVP_OK;
}

static int cmp_phone(const void *x, const void *y)
{
    const struct risk_famphone *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->person != b->person)
        return a->person < b->person ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Whether two records' family names are one family's as records key it: the same, one part
 * of a double-barrelled name, one slip of the keys apart, or names that sound alike. */
static bool names_agree(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (!la || !lb)
        return false;
    if (name_or_part(a, b) || name_or_part(b, a))
        return true;
    if (la >= 4 && lb >= 4 && link_dl_within_one(a, la, b, lb))
        return true;
    char sa[64], sb[64];
    return link_phonetic(a, la, sa, sizeof sa) >= 2 && link_phonetic(b, lb, sb, sizeof sb) >= 2 &&
           !strcmp(sa, sb);
}

/* A child, or a young adult, whom a carer's phone may name: ages known and young, or no date
 * of birth on any record and recorded as a child. */
static bool phone_young(const struct risk_person *p)
{
    return p->age >= 0 ? young(p) : p->child;
}

int risk_family_infer_phone(struct risk_famphone *recs, size_t n,
                            const struct risk_person *persons, struct risk_family_link **links,
                            size_t *nlinks, size_t *cap)
{
    if (n > 1)
        qsort(recs, n, sizeof *recs, cmp_phone);
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && recs[j].key == recs[i].key)
            j++;
        int k = 1;
        for (size_t m = i + 1; m < j && k <= PHONE_MOST; m++)
            k += recs[m].person != recs[m - 1].person;
        if (k >= 2 && k <= PHONE_MOST)
            for (size_t x = i; x < j; x++) {
                const struct risk_person *px = &persons[recs[x].person];
                if (!phone_young(px))
                    continue;
                for (size_t y = x + 1; y < j; y++) {
                    if (recs[y].person == recs[x].person)
                        continue;
                    const struct risk_person *py = &persons[recs[y].person];
                    if (!phone_young(py) ||
                        (px->age >= 0 && py->age >= 0 &&
                         risk_relation_by_age(px->age, py->age) != RISK_REL_SIBLING &&
                         abs(px->age - py->age) >= 10) ||
                        !names_agree(recs[x].name, recs[y].name))
                        continue;
                    int rc = risk_family_add(links, nlinks, cap, recs[x].person,
                                             recs[y].person, RISK_REL_SIBLING, false,
                                             RISK_AG_OTHER, 0.8f,
                                             "the same contact phone and family name, ages of "
                                             "siblings");
                    if (rc)
                        return rc;
                }
            }
        i = j;
    }
    return SVP_OK;
}
