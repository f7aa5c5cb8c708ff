/* Comparison levels: how two prepared records agree on each comparison the model makes
 * (given name, family name, date of birth, postcode, address, sex, shared identifier,
 * email or phone), names written in the wrong field or the wrong way round allowed for. */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const int link_nlevels[LINK_NCMP] = {G_NLEVELS,        F_NLEVELS,         LINK_DOB_NLEVELS,
                                       LINK_PC_NLEVELS,  LINK_ADDR_NLEVELS, LINK_SEX_NLEVELS,
                                       LINK_ID_NLEVELS,  LINK_CONTACT_NLEVELS};
const char *const link_cmp_label[LINK_NCMP] = {"given name", "family name", "date of birth",
                                                  "postcode",   "address",     "sex",
                                                  "shared identifier", "email or phone"};
const char *const link_level_names[LINK_NCMP][LINK_MAX_LEVELS] = {
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

/* ------------------------------------------------------------------ comparison levels */



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
                          : n > 1 && n == b->g1len && link_same_bytes(p, b->gfirst, n)))
            return true;
        p = q;
    }
    return false;
}

/* Whether a's known-as (preferred) name is b's first given name or b's known-as name. */
static bool known_as_agrees(const struct srec *a, const struct srec *b)
{
    return a->klen > 1 && ((a->klen == b->g1len && link_same_bytes(a->known, b->gfirst, a->klen)) ||
                           (a->klen == b->klen && link_same_bytes(a->known, b->known, a->klen)));
}

static int cmp_given(const struct link_set *s, const struct srec *a, const struct srec *b)
{
    if (!a->glen || !b->glen)
        return G_NULL;
    if ((a->glen == b->glen && link_same_bytes(a->given, b->given, a->glen)) ||
        (a->g1len == b->g1len && link_same_bytes(a->gfirst, b->gfirst, a->g1len) && a->g1len > 1))
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
    double jw = link_jaro_winkler_min_masked(a->gfirst, a->g1len, a->gmask, b->gfirst, b->g1len,
                                             b->gmask, 0.8);
    if (link_nicknames_equiv_ids(s->nick, a->nick, b->nick))
        return G_NICK;
    if (jw >= 0.92)
        return G_CLOSE;
    /* known by a middle name: one record's later given name is the other's first */
    if ((a->glen > a->g1len && later_given(a, b, false)) ||
        (b->glen > b->g1len && later_given(b, a, false)))
        return G_OTHER_NAME;
    if (a->gph[0] && link_same_str(a->gph, b->gph))
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
            link_same_bytes(b + i, a, al))
            return true;
    return false;
}

static int cmp_family(const struct srec *a, const struct srec *b)
{
    if (!a->flen || !b->flen)
        return F_NULL;
    if (a->flen == b->flen && link_same_bytes(a->family, b->family, a->flen))
        return F_EXACT;
    if (a->flen > 1 && b->flen > 1 && name_part(a->family, a->flen, b->family, b->flen))
        return F_PART;
    double jw = link_jaro_winkler_min_masked(a->family, a->flen, a->fmask, b->family, b->flen,
                                             b->fmask, 0.8);
    if (jw >= 0.92)
        return F_CLOSE;
    if (a->fph[0] && link_same_str(a->fph, b->fph))
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
    if (a->idlen == b->idlen && link_same_bytes(a->idn, b->idn, a->idlen))
        return LINK_ID_SAME;
    return link_osa_distance(a->idn, a->idlen, b->idn, b->idlen, 1) <= 1 ? LINK_ID_ONE_EDIT
                                                                         : LINK_ID_DIFFERENT;
}

/* Given and family names written the wrong way round on one of two records (HUXLEY Claudia
 * read as given name Huxley): each record's given name is the other's family name, allowing a
 * typo. */
bool link_names_swapped(const struct srec *a, const struct srec *b)
{
    if (!(a->g1len > 1 && b->g1len > 1 && a->flen > 1 && b->flen > 1))
        return false;
    double x = link_jaro_winkler_min_masked(a->gfirst, a->g1len, a->gmask, b->family, b->flen,
                                            b->fmask, 0.8);
    double y = link_jaro_winkler_min_masked(a->family, a->flen, a->fmask, b->gfirst, b->g1len,
                                            b->gmask, 0.8);
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
        link_jaro_winkler_min_masked(a->gfirst, a->g1len, a->gmask, b->family, b->flen, b->fmask,
                                     0.92) >= 0.92)
        return 1;
    if (a->flen > 1 && !a->glen && b->g1len > 1 && b->flen > 1 &&
        link_jaro_winkler_min_masked(a->family, a->flen, a->fmask, b->gfirst, b->g1len, b->gmask,
                                     0.92) >= 0.92)
        return 2;
    return 0;
}

void link_compare_levels(const struct link_set *s, size_t i, size_t j, uint8_t lv[LINK_NCMP])
{
    const struct srec *a = &s->r[i], *b = &s->r[j];
    lv[LINK_CMP_GIVEN] = (uint8_t)cmp_given(s, a, b);
    lv[LINK_CMP_FAMILY] = (uint8_t)cmp_family(a, b);
    /* Given and family names written the wrong way round agree as close spellings. */
    if (lv[LINK_CMP_GIVEN] >= G_FAIR && lv[LINK_CMP_FAMILY] >= F_FAIR && link_names_swapped(a, b)) {
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
    lv[LINK_CMP_SEX] = (uint8_t)(!a->sexc || !b->sexc   ? LINK_SEX_NULL
                                 : a->sexc == b->sexc ? LINK_SEX_SAME
                                                      : LINK_SEX_DIFFERENT);
    lv[LINK_CMP_ID] = (uint8_t)cmp_id(a, b);
    lv[LINK_CMP_CONTACT] = (uint8_t)link_compare_contact_norm(
        a->email, a->elen, a->phone, a->plen, b->email, b->elen, b->phone, b->plen);
}
