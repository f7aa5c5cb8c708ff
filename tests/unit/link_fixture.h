/* The link room's unit tests' population: households of records whose family names and
 * given names clearly differ from one another (no nickname, no close spelling, no shared
 * sound), each household with a postcode and address of its own, and the whole linked as
 * `svp link` does. */
#ifndef SVP_LINK_FIXTURE_H
#define SVP_LINK_FIXTURE_H

#include "testutil.h"
#include "link/link.h"

/* Ten given names, none a nickname, variant or close spelling of another. */
extern const char *const link_fx_given[10];

struct pop {
    struct link_rec *r;
    char (*fam)[24], (*dob)[11], (*pc)[12], (*addr)[32];
    size_t n, cap;
};

void pop_init(struct pop *p, size_t cap);
void pop_free(struct pop *p);
/* One record of household h (family name, postcode and address of its own); role may be
 * NULL. Its index. */
size_t pop_add_role(struct pop *p, size_t h, const char *source, const char *g, int y, int m,
                    int d, const char *role);
/* The same with no role. */
static inline size_t pop_add(struct pop *p, size_t h, const char *source, const char *g,
                             int y, int m, int d)
{
    return pop_add_role(p, h, source, g, y, m, d, NULL);
}

/* Households 0 .. n-1 of two children each, born three years apart (every twins_every-th
 * household's on one day instead: twins; 0 for none), each child with two school records. */
void pop_add_households(struct pop *p, size_t n, size_t twins_every);

struct linked {
    struct link_set *s;
    struct link_model *m;
    uint32_t *label; /* each record's person */
};

/* Trains on p with the default rules, makes the pairs and clusters them. */
void link_pop(struct pop *p, struct linked *out);
void linked_free(struct linked *l);

#endif
