/* Scoring one pair under the model, and the household guards that hold twins and siblings
 * apart on evidence (one home, one family name, given names and dates of birth that mark
 * two people); the household counts the guards stand on are learnt here too. */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static double tf_adjust(const struct link_model *m, int which, const char *s, size_t n,
                        double u_exact)
{
    const struct tf_table *t = &m->tf[which];
    /* a share counted over a handful of records is noise, not a frequency */
    if (t->total < LINK_TF_MIN_RECORDS || !n)
        return 0.0;
    long f = link_tf_find(t, s, n);
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
    const double *made = s->tfw && s->tfw->m == m ? s->tfw->w + 3 * i : NULL;
    for (int c = 0; c < LINK_NCMP; c++) {
        double t = m->lw[c][lv[c]];
        if (c == LINK_CMP_GIVEN && lv[c] == G_EXACT)
            t += made ? made[0] : tf_adjust(m, 0, a->gfirst, a->g1len, m->u[c][G_EXACT]);
        else if (c == LINK_CMP_FAMILY && lv[c] == F_EXACT)
            t += made ? made[1] : tf_adjust(m, 1, a->family, a->flen, m->u[c][F_EXACT]);
        else if (c == LINK_CMP_POSTCODE && lv[c] == LINK_PC_FULL)
            /* a postcode many records share (a children's home, a block of flats, a
             * hostel) says less than one few share */
            t += made ? made[2]
                      : tf_adjust(m, 2, a->pc.full, a->pc.len, m->u[c][LINK_PC_FULL]);
        if (tw)
            tw[c] = t;
        w += t;
    }
    if (note)
        *note = NULL;
    (void)b;
    return w;
}

void link_tfw_make(const struct link_model *m, const struct link_set *s)
{
    struct link_tfw *t = s->tfw;
    if (!t)
        return;
    t->m = NULL;
    svp_free(t->w);
    if (!(t->w = svp_malloc((s->n ? s->n : 1) * 3 * sizeof *t->w)))
        return;
    for (size_t i = 0; i < s->n; i++) {
        const struct srec *a = &s->r[i];
        t->w[3 * i] = tf_adjust(m, 0, a->gfirst, a->g1len, m->u[LINK_CMP_GIVEN][G_EXACT]);
        t->w[3 * i + 1] = tf_adjust(m, 1, a->family, a->flen, m->u[LINK_CMP_FAMILY][F_EXACT]);
        t->w[3 * i + 2] =
            tf_adjust(m, 2, a->pc.full, a->pc.len, m->u[LINK_CMP_POSTCODE][LINK_PC_FULL]);
    }
    t->m = m;
}

void link_tfw_drop(const struct link_set *s)
{
    if (s->tfw) {
        s->tfw->m = NULL;
        svp_free(s->tfw->w);
        s->tfw->w = NULL;
    }
}

/* Twins and siblings live in one household, so their records agree on the postcode
 * (perhaps with one character wrong), on the address (exactly, with a typo, or in most of
 * its words), or on the carer's phone a school or a GP keeps for a child (brothers and
 * sisters share their parent's number: docs/household.md). A pair with none of these gives
 * no sign of a shared household, and one whose postcode or address clearly differs lives
 * apart: the weights decide. */
static bool shares_household(const struct link_set *s, size_t i, size_t j,
                             const uint8_t lv[LINK_NCMP])
{
    int pc = lv[LINK_CMP_POSTCODE], ad = lv[LINK_CMP_ADDRESS];
    bool pc_same = pc == LINK_PC_FULL || pc == LINK_PC_TYPO;
    bool ad_same = ad == LINK_ADDR_EXACT || ad == LINK_ADDR_CLOSE || ad == LINK_ADDR_TOKENS;
    bool pc_other = pc == LINK_PC_DISTRICT || pc == LINK_PC_DIFFERENT;
    bool ad_other = ad == LINK_ADDR_DIFFERENT;
    const char *ca = s->r[i].cphone, *cb = s->r[j].cphone;
    bool carer_same = *ca && !strcmp(ca, cb);
    return (pc_same || ad_same || carer_same) && !pc_other && !ad_other;
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
    return s->household_guard && !same_identifier(lv) &&
           shares_household(s, i, j, lv) &&
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
    if (!s->household_guard || same_identifier(lv) || !shares_household(s, i, j, lv) ||
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
    return dob_differs && !same_name && !link_names_swapped(a, b);
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
    return s->household_guard && !same_identifier(lv) && shares_household(s, i, j, lv) &&
           family_agrees(lv) && given_differs && lv[LINK_CMP_DOB] == LINK_DOB_NULL &&
           !link_names_swapped(a, b);
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
           !link_names_swapped(&s->r[i], &s->r[j]);
}

/* Nothing personal agrees: no given name beyond an initial and no date of birth on one
 * side, or no name at all on one side and dates of birth that do not agree (within a year
 * is an age, not a birthday); no shared identifier, email or phone in common. Household
 * facts alone cannot say which member of the household a record is (nor which child of a
 * residential home: several of one age live at one address), so such a pair never joins by
 * itself: it is capped in the review band for a person to decide. */
static bool only_household(const uint8_t lv[LINK_NCMP])
{
    int g = lv[LINK_CMP_GIVEN], d = lv[LINK_CMP_DOB], c = lv[LINK_CMP_CONTACT];
    if (same_identifier(lv) || c == LINK_CONTACT_SAME || c == LINK_CONTACT_CLOSE)
        return false;
    bool no_given = g == G_NULL || g == G_INITIAL;
    return no_given && (d == LINK_DOB_NULL || (lv[LINK_CMP_FAMILY] == F_NULL && !dob_agrees(d)));
}

/* Months between two dates of birth (both known). */
static int months_apart(const struct srec *a, const struct srec *b)
{
    int d = (a->dobp.y * 12 + a->dobp.m) - (b->dobp.y * 12 + b->dobp.m);
    return d < 0 ? -d : d;
}

/* One home, one family name and one given name (written the same: a nickname or a close
 * spelling is as often a brother's or a sister's name, Ellie and Elsie),
 * dates of birth known on both and apart: a parent and a child named after them (a
 * generation apart), or one person whose year of birth was keyed wrongly. */
static bool same_name_dates_apart(const struct link_set *s, size_t i, size_t j,
                                  const uint8_t lv[LINK_NCMP])
{
    int g = lv[LINK_CMP_GIVEN];
    return !same_identifier(lv) && shares_household(s, i, j, lv) && family_agrees(lv) &&
           g == G_EXACT && s->r[i].dobp.ok &&
           s->r[j].dobp.ok && lv[LINK_CMP_DOB] == LINK_DOB_DIFFERENT &&
           s->r[i].dobp.y != s->r[j].dobp.y;
}

/* A father and his son of one name at one home (a mother and a daughter), born a generation
 * apart, look like one person to weights that add up names and address. Whether they are
 * two people the data says: where its households hold such pairs (generation) and few
 * same-name pairs a year or more but less than a generation apart (year_out: one person
 * with a wrong year, since siblings do not share a given name), the generation-apart pairs
 * are parents and juniors and are held apart. Where year_out is as common, the data's
 * years of birth are keyed wrongly often (FEBRL's duplicates), and a year out is as likely
 * by decades as by a few years, so at most generation - year_out of them are two people:
 * generation_share, the chance such a pair is two people. Like the twin rule it holds
 * across sources only when some source holds such a pair itself. */
/* A count of year_out is itself a sample: as many as this more may be expected by chance
 * (2.3 is the one-sided 90% upper bound of a Poisson count when none is seen), so a handful
 * of generation-apart pairs with no near one proves no junior. */
static const double year_out_slack = 2.3;

static double generation_share(const struct link_model *m)
{
    if (!m->generation)
        return 1.0;
    /* a year keyed wrongly lands as a random date of this data does: far (a generation
     * or more) random_far times for random_near near; so year_out near ones say about
     * year_out * far / near far ones (as many as year_out when no random pair is near) */
    double per = m->random_near ? (double)m->random_far / (double)m->random_near : 1.0;
    double q = 1.0 - ((double)m->year_out + year_out_slack) * per / (double)m->generation;
    return q < 0 ? 0 : q > 1 ? 1 : q;
}

/* One given and family name, dates of birth a generation apart, and the sources say the
 * older is an adult and the younger is not: a parent and a child, wherever each lives. A
 * source's role may itself come from the date of birth (police nominals: role = by_dob),
 * so it holds only while the data's own counts do not say its years are often keyed
 * wrongly (generation_share, as for the pattern without roles). */
static bool roles_parent_child(const struct link_set *s, size_t i, size_t j,
                               const uint8_t lv[LINK_NCMP])
{
    const struct srec *a = &s->r[i], *b = &s->r[j];
    int g = lv[LINK_CMP_GIVEN];
    if (a->adult == b->adult || !a->dobp.ok || !b->dobp.ok || same_identifier(lv) ||
        !family_agrees(lv) || !(g == G_EXACT || g == G_NICK || g == G_CLOSE) ||
        months_apart(a, b) < 12 * LINK_GENERATION_YEARS)
        return false;
    bool a_older = a->dobp.y * 12 + a->dobp.m < b->dobp.y * 12 + b->dobp.m;
    return a_older ? a->adult : b->adult;
}

/* 2: the sources' roles say parent and child; 1: the pattern with no roles to tell; 0: not
 * the pattern */
static int generation_pattern(const struct link_model *m, const struct link_set *s, size_t i,
                              size_t j, const uint8_t lv[LINK_NCMP])
{
    if (!s->household_guard)
        return 0;
    if (roles_parent_child(s, i, j, lv))
        return 2;
    return same_name_dates_apart(s, i, j, lv) &&
           months_apart(&s->r[i], &s->r[j]) >= 12 * LINK_GENERATION_YEARS &&
           (m->generation > 0 || s->r[i].srcid == s->r[j].srcid);
}

enum guard { GUARD_NONE, GUARD_TWINS, GUARD_SIBLINGS, GUARD_ALIKE, GUARD_HOUSEHOLD, GUARD_UNSURE,
             GUARD_FEW_TWINS, GUARD_FEW_ALIKE, GUARD_GENERATION, GUARD_FEW_GENERATION };

static enum guard guard_of(const struct link_model *m, const struct link_set *s, size_t i,
                           size_t j, const uint8_t lv[LINK_NCMP])
{
    if (!s->household_guard)
        return GUARD_NONE;
    /* twin-like pairs are held apart while they are more likely twins than one person */
    if (is_twin_pattern(m, s, i, j, lv))
        return twin_share(m) >= 0.5 ? GUARD_TWINS : GUARD_FEW_TWINS;
    int gen = generation_pattern(m, s, i, j, lv);
    if (gen)
        return generation_share(m) >= 0.5 ? GUARD_GENERATION : GUARD_FEW_GENERATION;
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
    if (g == GUARD_FEW_TWINS || g == GUARD_FEW_ALIKE || g == GUARD_FEW_GENERATION) {
        /* no more sure than the share of such pairs that are not twins or siblings */
        double q = fmax(g == GUARD_FEW_TWINS   ? twin_share(m)
                        : g == GUARD_FEW_ALIKE ? alike_share(m)
                                               : generation_share(m),
                        1e-9);
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
    "only household facts agree (no given name beyond an initial and no date of birth, or no "
    "name and dates of birth that differ): held for review, never joined by the model alone",
    "same home and family name, different given names and no date of birth: a sibling or "
    "one person under another name; held for review, never joined by the model alone",
    "possible twins, but this data holds far more such pairs than its households can hold "
    "twins: no surer than the share that cannot be twins",
    "possible siblings (given names alike, or one missing, and dates of birth apart), but "
    "this data holds far more pairs with alike given names and dates apart than its "
    "households can hold siblings (its dates of birth are often wrong): no surer than the "
    "share that cannot be siblings",
    "possible parent and child of one name: same home, family and given name, dates of birth "
    "a generation apart; held to be two people",
    "possible parent and child of one name (dates of birth a generation apart), but this data "
    "holds as many such pairs a few years apart (its years of birth are often wrong): no "
    "surer than the share that cannot be a parent and a child",
};

double link_pair_weight(const struct link_model *m, const struct link_set *s, size_t i,
                        size_t j)
{
    uint8_t lv[LINK_NCMP];
    link_compare_levels(s, i, j, lv);
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
    link_compare_levels(s, i, j, lv);
    out->weight = score_levels(m, s, i, j, lv, tw, &out->note);
    out->prior_weight = log2(m->lambda / (1.0 - m->lambda));
    for (int c = 0; c < LINK_NCMP; c++) {
        struct link_term *t = &out->terms[c];
        t->level = lv[c];
        t->label = link_cmp_label[c];
        t->level_name = link_level_names[c][lv[c]];
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
    link_compare_levels(s, i, j, lv);
    enum guard g = guard_of(m, s, i, j, lv);
    double w = score_levels(m, s, i, j, lv, NULL, NULL);
    double cap = guard_cap_w(m, g);
    *p = link_weight_to_p(w > cap ? cap : w);
    return !(g == GUARD_TWINS || g == GUARD_SIBLINGS || g == GUARD_ALIKE || g == GUARD_UNSURE ||
             g == GUARD_GENERATION);
}

/* Calls visit for each pair of records of one source with one family name at one home (the
 * postcode, or the address where there is none), given name of two letters or more, and a
 * date of birth when need_dob: records grouped by those keys, only pairs inside a group of
 * at most 64 compared. SVP_ENOMEM, or SVP_OK. */
static int same_home_pairs(const struct link_set *s, bool need_dob,
                           void (*visit)(const struct link_set *s, size_t i, size_t j,
                                         void *ctx),
                           void *ctx)
{
    size_t n = s->n, k = 0;
    uint64_t *key = svp_malloc((n ? n : 1) * 2 * sizeof *key);
    if (!key)
        return SVP_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const struct srec *r = &s->r[i];
        if (!r->flen || r->g1len < 2 || (need_dob && !r->dobp.ok) || r->srcid == UINT16_MAX ||
            (!r->pc.len && !r->alen))
            continue;
        uint64_t home = r->pc.len ? link_fnv(r->pc.full, r->pc.len) : link_fnv(r->anorm, r->alen) * 7;
        key[2 * k] = link_fnv(r->family, r->flen) ^ home * 31 ^ r->srcid;
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
                size_t i = key[2 * x + 1], j = key[2 * y + 1];
                if (s->r[i].srcid == s->r[j].srcid) /* a key shared by chance */
                    visit(s, i, j, ctx);
            }
        g = e;
    }
    svp_free(key);
    return SVP_OK;
}

struct household_counts {
    uint64_t *twins, *siblings, *alike;
};

static void count_household_pair(const struct link_set *s, size_t i, size_t j, void *ctx)
{
    struct household_counts *c = ctx;
    uint8_t lv[LINK_NCMP];
    link_compare_levels(s, i, j, lv);
    if (same_identifier(lv) || !shares_household(s, i, j, lv) || !family_agrees(lv))
        return;
    int d = lv[LINK_CMP_DOB];
    if (lv[LINK_CMP_GIVEN] == G_DIFF) {
        *c->twins += dob_agrees(d);
        *c->siblings += d == LINK_DOB_DIFFERENT;
    } else if (given_alike(lv[LINK_CMP_GIVEN])) {
        *c->alike += d == LINK_DOB_DIFFERENT || d == LINK_DOB_SAME_YEAR;
    }
}

/* Within-source pairs that look like twins (one source, one home, family name and date of
 * birth, clearly different given names) and like siblings (the same with dates of birth
 * clearly apart): the data's own evidence that twins occur, and how many its households can
 * hold (see twin_share), grouped as same_home_pairs does. On no memory both counts are 1:
 * the guard stays on. */
void link_household_pairs(const struct link_set *s, uint64_t *twins, uint64_t *siblings,
                            uint64_t *alike)
{
    *twins = *siblings = *alike = 0;
    struct household_counts c = {twins, siblings, alike};
    if (same_home_pairs(s, false, count_household_pair, &c)) {
        *twins = *siblings = 1;
        *alike = 0;
    }
}

struct generation_counts {
    uint64_t *generation, *year_out;
};

static void count_generation_pair(const struct link_set *s, size_t i, size_t j, void *ctx)
{
    struct generation_counts *c = ctx;
    uint8_t lv[LINK_NCMP];
    link_compare_levels(s, i, j, lv);
    if (!same_name_dates_apart(s, i, j, lv))
        return;
    if (months_apart(&s->r[i], &s->r[j]) >= 12 * LINK_GENERATION_YEARS)
        ++*c->generation;
    else
        ++*c->year_out;
}

/* Within-source same-name pairs of one home (see same_name_dates_apart): a generation apart,
 * and a year or more but less than a generation apart, grouped as same_home_pairs does. */
void link_generation_pairs(const struct link_set *s, uint64_t *generation, uint64_t *year_out,
                           uint64_t *random_near, uint64_t *random_far)
{
    size_t n = s->n;
    *generation = *year_out = *random_near = *random_far = 0;
    /* how far apart the dates of birth of two records drawn at random are (a fixed
     * sequence: the same counts every run) */
    uint64_t rs = 0x9e3779b97f4a7c15ULL;
    for (int t = 0; t < 20000 && n > 1; t++) {
        rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t i = (size_t)((rs >> 33) % n);
        rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t j = (size_t)((rs >> 33) % n);
        const struct srec *a = &s->r[i], *b = &s->r[j];
        if (i == j || !a->dobp.ok || !b->dobp.ok || a->dobp.y == b->dobp.y)
            continue;
        if (months_apart(a, b) >= 12 * LINK_GENERATION_YEARS)
            ++*random_far;
        else
            ++*random_near;
    }
    struct generation_counts c = {generation, year_out};
    if (same_home_pairs(s, true, count_generation_pair, &c))
        *generation = *year_out = 0; /* no evidence counted: the rule holds within a source only */
}

double link_model_generation_share(const struct link_model *m)
{
    return generation_share(m);
}

double link_model_twin_share(const struct link_model *m)
{
    return twin_share(m);
}

double link_model_alike_share(const struct link_model *m)
{
    return alike_share(m);
}
