/* The link room's unit tests' population (test_link_guard.c, test_link_generation.c):
 * households of records with family names, given names, postcodes and addresses made to
 * differ clearly, linked as `svp link` does (train, pairs, clusters). */
#include "link_fixture.h"

#include <stdio.h>
#include <stdlib.h>

/* family names are two or three of these syllables */
static const char *const syl1[] = {"ash", "brad", "cole", "dun", "fen", "gar", "hol", "mor",
                                   "pen", "wes"};
static const char *const syl2[] = {"ford", "ley", "ton", "well", "by", "ham", "wick", "more",
                                   "den", "combe"};
const char *const link_fx_given[10] = {"oliver", "amelia", "harry", "isla", "noah",
                                       "freya", "george", "poppy", "jacob", "ruby"};

void pop_init(struct pop *p, size_t cap)
{
    p->r = calloc(cap, sizeof *p->r);
    p->fam = calloc(cap, sizeof *p->fam);
    p->dob = calloc(cap, sizeof *p->dob);
    p->pc = calloc(cap, sizeof *p->pc);
    p->addr = calloc(cap, sizeof *p->addr);
    assert_non_null(p->r);
    assert_non_null(p->fam);
    assert_non_null(p->dob);
    assert_non_null(p->pc);
    assert_non_null(p->addr);
    p->n = 0;
    p->cap = cap;
}

void pop_free(struct pop *p)
{
    free(p->r);
    free(p->fam);
    free(p->dob);
    free(p->pc);
    free(p->addr);
}

size_t pop_add_role(struct pop *p, size_t h, const char *source, const char *g, int y,
                    int m, int d, const char *role)
{
    assert_true(p->n < p->cap);
    size_t k = p->n++;
    snprintf(p->fam[k], sizeof p->fam[k], "%s%s%s", syl1[h % 10], syl2[(h / 10) % 10],
             h >= 100 ? syl2[(h / 100) % 10] : "");
    snprintf(p->dob[k], sizeof p->dob[k], "%04d-%02d-%02d", y, m, d);
    snprintf(p->pc[k], sizeof p->pc[k], "LS%zu %zuAB", 1 + h % 29, h % 10);
    snprintf(p->addr[k], sizeof p->addr[k], "%zu oak road", 1 + h);
    p->r[k] = (struct link_rec){.id = (int64_t)(k + 1),
                                .source = source,
                                .given = g,
                                .family = p->fam[k],
                                .dob = p->dob[k],
                                .postcode = p->pc[k],
                                .address = p->addr[k],
                                .role = role};
    return k;
}

void pop_add_households(struct pop *p, size_t n, size_t twins_every)
{
    for (size_t h = 0; h < n; h++) {
        int y = 2004 + (int)(h % 9), m = 1 + (int)(h % 12), d = 1 + (int)((h * 7) % 27);
        for (int c = 0; c < 2; c++) {
            const char *g = link_fx_given[(h + 3 * (size_t)c) % 10];
            bool twin = c == 0 || (twins_every && h % twins_every == 0);
            int cy = twin ? y : y + 3 * c, cm = twin ? m : 1 + (m + 4 * c) % 12;
            int cd = twin ? d : 1 + (d + 10 * c) % 27;
            pop_add(p, h, "school", g, cy, cm, cd);
            pop_add(p, h, "school", g, cy, cm, cd);
        }
    }
}

void link_pop(struct pop *p, struct linked *out)
{
    struct svp_err err;
    struct link_blocking *b = NULL;
    struct link_pair *pairs = NULL;
    size_t np = 0, nr = 0;
    struct link_opts o;
    struct link_stats st = {0};
    link_opts_default(&o);
    const char *const *rules = link_blocking_defaults();
    while (rules[nr])
        nr++;
    out->s = NULL;
    out->m = NULL;
    out->label = calloc(p->n, sizeof *out->label);
    assert_non_null(out->label);
    assert_int_equal(link_set_new(p->r, p->n, &out->s, &err), 0);
    assert_int_equal(link_blocking_parse(rules, nr, &b, &err), 0);
    if (link_model_train(out->s, b, &o, &out->m, &err))
        fail_msg("train: %s", err.msg);
    assert_int_equal(link_pairs_make(out->s, b, out->m, &o, false, 0, &pairs, &np, &st, &err),
                     0);
    assert_int_equal(
        link_cluster(out->s, out->m, pairs, np, NULL, 0, &o, out->label, &st, &err), 0);
    svp_free(pairs);
    link_blocking_free(&b);
}

void linked_free(struct linked *l)
{
    link_model_free(&l->m);
    link_set_free(&l->s);
    free(l->label);
}
