/* Unit tests for the link room's pairs on two threads: the blocking index's orders cut into
 * slices that the threads take in turn give every candidate pair once, the same pairs as one
 * walk (blocks that straddle a slice's end included), with records prepared on two threads;
 * training, whose sessions and sample run
 * on the threads, gives the same model every run; and the term-frequency adjustments made
 * once per record before scoring give each pair the weight it has when scored alone. */
#include "testutil.h"
#include "link/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Households of two records (every seventh of three, so blocks straddle the slices' ends),
 * each with a family name of its own (four letters from its number), one of ten given
 * names, a date of birth and a postcode; a household's second record has its day of birth
 * one out in every fifth. */
#define HOUSES 36000
static const char *const given[10] = {"oliver", "amelia", "harry", "isla", "noah",
                                      "freya", "george", "poppy", "jacob", "ruby"};

struct people {
    struct link_rec *r;
    char (*fam)[8], (*dob)[16], (*pc)[24];
    size_t n;
};

static void people_make(struct people *p)
{
    size_t cap = HOUSES * 3;
    p->r = calloc(cap, sizeof *p->r);
    p->fam = calloc(cap, sizeof *p->fam);
    p->dob = calloc(cap, sizeof *p->dob);
    p->pc = calloc(cap, sizeof *p->pc);
    assert_non_null(p->r);
    assert_non_null(p->fam);
    assert_non_null(p->dob);
    assert_non_null(p->pc);
    p->n = 0;
    for (size_t h = 0; h < HOUSES; h++) {
        size_t copies = h % 7 ? 2 : 3;
        for (size_t c = 0; c < copies; c++) {
            size_t k = p->n++;
            size_t x = h;
            for (int l = 0; l < 4; l++, x /= 26)
                p->fam[k][l] = (char)('a' + x % 26);
            p->fam[k][4] = 0;
            int day = 1 + (int)((h / 720) % 28);
            if (c == 1 && h % 5 == 0)
                day = day % 28 + 1;
            snprintf(p->dob[k], sizeof p->dob[k], "%04d-%02d-%02d", 1950 + (int)(h % 60),
                     1 + (int)((h / 60) % 12), day);
            snprintf(p->pc[k], sizeof p->pc[k], "LS%zu %zuAB", 1 + h % 29, h % 10);
            p->r[k] = (struct link_rec){.id = (int64_t)(k + 1),
                                        .source = "a",
                                        .given = given[h % 10],
                                        .family = p->fam[k],
                                        .dob = p->dob[k],
                                        .postcode = p->pc[k]};
        }
    }
}

static void people_free(struct people *p)
{
    free(p->r);
    free(p->fam);
    free(p->dob);
    free(p->pc);
}

static const char *const rules[] = {"family", "dob+given", "given+dob~3"};

/* Every candidate pair scored once on the threads: the pairs kept with no floor are
 * link_blocking_candidates' pairs, each rule's new pairs add up to them, and each pair's
 * weight is the one link_score_pair gives it (which looks each name's frequency up). */
static void test_pairs_on_threads(void **state)
{
    (void)state;
    struct people p;
    people_make(&p);
    struct link_set *s = NULL;
    struct link_blocking *b = NULL;
    struct link_model *m = NULL;
    struct svp_err err;
    struct link_opts o;
    link_opts_default(&o);
    o.review_low = 0; /* keep every pair */
    assert_int_equal(link_set_new(p.r, p.n, &s, &err), 0);
    assert_int_equal(link_blocking_parse(rules, 3, &b, &err), 0);
    assert_int_equal(link_model_train(s, b, &o, &m, &err), 0);
    uint32_t *cand = NULL;
    size_t nc = 0;
    assert_int_equal(link_blocking_candidates(s, b, &o, &cand, &nc, &err), 0);
    assert_true(nc > 100000); /* the orders are longer than a slice */
    struct link_pair *pairs = NULL;
    size_t np = 0;
    struct link_stats st = {0};
    assert_int_equal(link_pairs_make(s, b, m, &o, false, 0, &pairs, &np, &st, &err), 0);
    assert_int_equal(np, nc);
    assert_int_equal(st.candidates, nc);
    uint64_t sum = 0;
    for (size_t r = 0; r < 3; r++)
        sum += st.rule_new[r];
    assert_int_equal(sum, nc);
    for (size_t k = 0; k < np; k++) {
        assert_int_equal(pairs[k].i, cand[2 * k]);
        assert_int_equal(pairs[k].j, cand[2 * k + 1]);
    }
    /* exact names (their frequencies made once per record) and close ones alike */
    size_t exact = 0;
    for (size_t k = 0; k < np; k += 3) {
        struct link_score sc;
        link_score_pair(m, s, pairs[k].i, pairs[k].j, &sc);
        assert_true(pairs[k].w == (float)sc.weight);
        exact += !strcmp(p.r[pairs[k].i].family, p.r[pairs[k].j].family);
    }
    assert_true(exact > 1000);
    /* the records were prepared in two halves on two threads: the last household's two
     * records (the second half's) agree exactly on their names, date of birth and postcode */
    struct link_score last;
    link_score_pair(m, s, p.n - 2, p.n - 1, &last);
    for (int c = 0; c < 4; c++)
        assert_int_equal(last.terms[c].level, 1);
    assert_true(last.probability > 0.99);
    svp_free(pairs);
    svp_free(cand);
    link_model_free(&m);
    link_blocking_free(&b);
    link_set_free(&s);
    people_free(&p);
}

/* Training twice gives the same model, to the last digit of its text: the sessions' and the
 * prior's counts do not depend on which thread counted which pair. */
static void test_training_same_every_run(void **state)
{
    (void)state;
    struct people p;
    people_make(&p);
    struct link_set *s = NULL;
    struct link_blocking *b = NULL;
    struct svp_err err;
    struct link_opts o;
    link_opts_default(&o);
    assert_int_equal(link_set_new(p.r, p.n, &s, &err), 0);
    assert_int_equal(link_blocking_parse(rules, 3, &b, &err), 0);
    char *text[2] = {NULL, NULL};
    for (int t = 0; t < 2; t++) {
        struct link_model *m = NULL;
        assert_int_equal(link_model_train(s, b, &o, &m, &err), 0);
        assert_int_equal(link_model_save(m, &text[t], &err), 0);
        link_model_free(&m);
    }
    assert_string_equal(text[0], text[1]);
    svp_free(text[0]);
    svp_free(text[1]);
    link_blocking_free(&b);
    link_set_free(&s);
    people_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs_on_threads),
        cmocka_unit_test(test_training_same_every_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
