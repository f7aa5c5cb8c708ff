/*
 * model_internal.h: what the model's files share (levels.c compares a pair, guard.c scores
 * it under the household guards, train.c learns the model, model.c keeps and reads it).
 */
#ifndef SVP_LINK_MODEL_INTERNAL_H
#define SVP_LINK_MODEL_INTERNAL_H

#include "link_internal.h"

/* ------------------------------------------------------------------ comparison levels */

enum {
    G_NULL,
    G_EXACT,
    G_NICK,
    G_OTHER_NAME,
    G_CLOSE,
    G_SOUND,
    G_FAIR,
    G_INITIAL,
    G_OTHER_INITIAL,
    G_DIFF,
    G_NLEVELS
};
enum { F_NULL, F_EXACT, F_PART, F_CLOSE, F_SOUND, F_FAIR, F_DIFF, F_NLEVELS };

extern const int link_nlevels[LINK_NCMP];
extern const char *const link_cmp_label[LINK_NCMP];
extern const char *const link_level_names[LINK_NCMP][LINK_MAX_LEVELS];

/* A pattern of levels packed in 24 bits: four for the given name (ten levels), three for
 * each other comparison but email or phone (two). */
static const unsigned lshift[LINK_NCMP] = {0, 4, 7, 10, 13, 16, 19, 22};
#define NPATTERNS (1u << 24)
#define LVMASK(c) (((c) == LINK_CMP_GIVEN ? 15u : (c) == LINK_CMP_CONTACT ? 3u : 7u) << lshift[c])
#define LEVEL_OF(p, c) ((int)(((p)&LVMASK(c)) >> lshift[c]))

/* The levels of records i and j of s, one per comparison (levels.c), and packed. */
void link_compare_levels(const struct link_set *s, size_t i, size_t j, uint8_t lv[LINK_NCMP]);
static inline uint32_t link_pack_levels(const uint8_t lv[LINK_NCMP])
{
    uint32_t p = 0;
    for (int c = 0; c < LINK_NCMP; c++)
        p |= (uint32_t)lv[c] << lshift[c];
    return p;
}
/* Given and family names written the wrong way round on one of a and b (levels.c). */
bool link_names_swapped(const struct srec *a, const struct srec *b);

/* ------------------------------------------------------------------ term frequencies */

struct tf_table {
    size_t n, nslots;
    char **names;
    uint32_t *count;
    uint32_t *slots; /* index + 1 */
    uint64_t total;
};

uint64_t link_fnv(const char *s, size_t n);
long link_tf_find(const struct tf_table *t, const char *s, size_t n);
int link_tf_add(struct tf_table *t, const char *s, size_t n, uint32_t count);
void link_tf_free(struct tf_table *t);
/* Counts below this are noise, not a frequency: no adjustment. */
#define LINK_TF_MIN_RECORDS 100

/* ------------------------------------------------------------------ the model */

struct link_model {
    double m[LINK_NCMP][LINK_MAX_LEVELS], u[LINK_NCMP][LINK_MAX_LEVELS];
    double lw[LINK_NCMP][LINK_MAX_LEVELS]; /* log2(m/u), derived */
    double lambda;
    struct tf_table tf[3]; /* given (first part), family, postcode (spaceless) */
    double em_iterations;
    uint64_t twins;    /* within-source pairs that look like twins (see household_pairs) */
    uint64_t siblings; /* within-source pairs that look like siblings (the same);
                        * UINT64_MAX: not counted (a model stored by an older svp) */
    uint64_t alike;    /* within-source pairs of one home and family name with alike
                        * given names and dates of birth apart (see alike_share);
                        * UINT64_MAX: not counted */
    uint64_t generation; /* within-source pairs of one home, family and given name with
                          * dates of birth a generation apart (a parent and a junior) */
    uint64_t year_out;   /* the same with dates of birth a year or more but less than a
                          * generation apart (one person with a wrong year: siblings do
                          * not share a given name); see generation_share */
    uint64_t random_near, random_far; /* random pairs of records with dates of birth a
                                       * year or more but less than a generation apart,
                                       * and a generation or more */
};

/* log2(m/u) of every level, from m and u. */
void link_model_derive(struct link_model *m);

/* Within-source pairs of one home and family name that look like twins, siblings and alike
 * (guard.c), counted when the model is learnt. */
void link_household_pairs(const struct link_set *s, uint64_t *twins, uint64_t *siblings,
                          uint64_t *alike);
/* The same-name pairs of one home a generation apart and a year or more but less than a
 * generation apart (guard.c). */
void link_generation_pairs(const struct link_set *s, uint64_t *generation, uint64_t *year_out,
                           uint64_t *random_near, uint64_t *random_far);

#endif
