/* Unit tests for the link room's parent-and-child guard and the any_name blocking: a father
 * and a son of one name at one home (dates of birth a generation apart) stay two people
 * where the data says such pairs are parents and juniors (its sources' roles, or its own
 * households holding them with few same-name pairs a few years apart), and join where the
 * data's years of birth are keyed wrongly as often (FEBRL's duplicates); and a sorted
 * neighbourhood on any of a record's names reaches names put in the other field or in an
 * email address, giving each pair once. */
#include "link_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* A county's extracts: children with two records each, and in every tenth home a parent
 * whose child bears the parent's own given name (a junior), born 25-35 years earlier, each
 * with two records of the same agency; no source records roles. The households hold such
 * pairs and no same-name pair a few years apart, so they are parents and juniors: held
 * apart, while each person's own records join. */
static void test_juniors_held_apart(void **state)
{
    (void)state;
    struct pop p;
    pop_init(&p, 2000);
    size_t par = 0, kid = 0;
    for (size_t h = 0; h < 400; h++) {
        int y = 2004 + (int)(h % 12), m = 1 + (int)(h % 12), d = 1 + (int)((h * 7) % 27);
        const char *g = link_fx_given[h % 10];
        size_t a = pop_add_role(&p, h, "police", g, y, m, d, NULL);
        pop_add_role(&p, h, "police", g, y, m, d, NULL);
        if (h % 10 == 3) {
            int py = y - 25 - (int)(h % 11), pm = 1 + (int)((h * 5) % 12);
            size_t q = pop_add_role(&p, h, "police", g, py, pm, d, NULL);
            pop_add_role(&p, h, "police", g, py, pm, d, NULL);
            if (h == 3)
                par = q, kid = a;
        }
    }
    struct linked l;
    link_pop(&p, &l);
    assert_true(link_model_generation(l.m) >= 40);
    assert_int_equal(link_model_year_out(l.m), 0);
    assert_true(link_model_generation_share(l.m) >= 0.5);
    struct link_score sc;
    link_score_pair(l.m, l.s, par, kid, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "exact");
    assert_non_null(sc.note);
    assert_non_null(strstr(sc.note, "parent and child"));
    assert_true(sc.probability <= 0.01);
    assert_int_not_equal(l.label[par], l.label[kid]);
    assert_int_equal(l.label[par], l.label[par + 1]);
    assert_int_equal(l.label[kid], l.label[kid + 1]);
    /* the counts survive the model's text */
    char *txt = NULL;
    struct svp_err err;
    struct link_model *m2 = NULL;
    assert_int_equal(link_model_save(l.m, &txt, &err), 0);
    assert_non_null(strstr(txt, "\ngeneration "));
    assert_non_null(strstr(txt, "\nrandom_years "));
    assert_int_equal(link_model_load(txt, &m2, &err), 0);
    assert_true(link_model_generation(m2) == link_model_generation(l.m));
    assert_true(fabs(link_model_generation_share(m2) - link_model_generation_share(l.m)) <
                1e-12);
    link_model_free(&m2);
    /* a damaged count is refused, not read as none */
    char *cut = strstr(txt, "random_years ");
    assert_non_null(cut);
    cut[strlen("random_years ")] = 'x';
    assert_int_equal(link_model_load(txt, &m2, &err), SVP_EINPUT);
    assert_null(m2);
    svp_free(txt);
    linked_free(&l);
    pop_free(&p);
}

/* FEBRL-like: one source whose duplicates often carry a date of birth keyed anew (years out,
 * by a few or by decades) with the name and address kept. Its households hold same-name pairs
 * a few years apart about as often as random dates would put them there, so the pairs a
 * generation apart are one person too: the rule yields and the weights join them. */
static void test_year_errors_are_one_person(void **state)
{
    (void)state;
    struct pop p;
    pop_init(&p, 2000);
    size_t far_a = 0, far_b = 0;
    unsigned x = 12345;
    for (size_t h = 0; h < 600; h++) {
        int y = 1920 + (int)(h % 80), m = 1 + (int)(h % 12), d = 1 + (int)((h * 7) % 27);
        const char *g = link_fx_given[h % 10];
        size_t a = pop_add_role(&p, h, "febrl", g, y, m, d, NULL);
        if (h % 2 == 0) {
            /* the duplicate's date keyed anew: any year of the data's span */
            x = x * 1103515245u + 12345u;
            int ny = 1920 + (int)((x >> 16) % 80);
            if (ny == y)
                ny = y + 1;
            size_t b = pop_add_role(&p, h, "febrl", g, ny, 1 + (m + 3) % 12, d, NULL);
            if (!far_a && abs(ny - y) >= 30)
                far_a = a, far_b = b;
        } else
            pop_add_role(&p, h, "febrl", g, y, m, d, NULL);
    }
    assert_true(far_b > 0);
    /* roles where the data's years are keyed wrongly this often: no surer than the dates */
    size_t ra = pop_add_role(&p, 900, "febrl", "harry", 1941, 3, 3, "adult");
    size_t rb = pop_add_role(&p, 900, "febrl", "harry", 1990, 3, 3, "child");
    struct linked l;
    link_pop(&p, &l);
    assert_true(link_model_generation(l.m) > 50);
    assert_true(link_model_year_out(l.m) > 10);
    assert_true(link_model_generation_share(l.m) < 0.5);
    struct link_score sc;
    link_score_pair(l.m, l.s, far_a, far_b, &sc);
    assert_string_equal(sc.terms[LINK_CMP_DOB].level_name, "different");
    /* not held apart: capped no lower than the share that cannot be a parent and child */
    assert_true(!sc.note || !strstr(sc.note, "held to be two people"));
    assert_true(sc.probability >= 1.0 - link_model_generation_share(l.m) - 1e-9 ||
                sc.probability >= 0.95);
    link_score_pair(l.m, l.s, ra, rb, &sc);
    assert_true(!sc.note || !strstr(sc.note, "held to be two people"));
    linked_free(&l);
    pop_free(&p);
}

/* The sources' roles: a police record of an adult and a school record of a child of one
 * name, born a generation apart, at another address each, in data whose households show no
 * years keyed wrongly: the sources say one is an adult and the other a child, so they are
 * held apart. Two records both of adults are not held by roles. */
static void test_roles_parent_child(void **state)
{
    (void)state;
    struct pop p;
    pop_init(&p, 1000);
    for (size_t h = 0; h < 300; h++) {
        int y = 2004 + (int)(h % 12), m = 1 + (int)(h % 12), d = 1 + (int)((h * 7) % 27);
        pop_add_role(&p, h, "school", link_fx_given[h % 10], y, m, d, "child");
        pop_add_role(&p, h, "health", link_fx_given[h % 10], y, m, d, NULL);
    }
    size_t kid = pop_add_role(&p, 500, "school", "harry", 2012, 4, 9, "child");
    size_t kid2 = pop_add_role(&p, 500, "health", "harry", 2012, 4, 9, NULL);
    size_t dad = pop_add_role(&p, 500, "police", "harry", 1985, 11, 2, "adult");
    struct linked l;
    link_pop(&p, &l);
    /* no within-source evidence either way */
    assert_int_equal(link_model_generation(l.m), 0);
    struct link_score sc;
    link_score_pair(l.m, l.s, dad, kid, &sc);
    assert_non_null(sc.note);
    assert_non_null(strstr(sc.note, "parent and child"));
    assert_true(sc.probability <= 0.01);
    /* the health record says no role: it joins the child's school record on its date, and
     * the father stays apart from both (no chain through it) */
    assert_int_equal(l.label[kid], l.label[kid2]);
    assert_int_not_equal(l.label[dad], l.label[kid]);
    linked_free(&l);
    pop_free(&p);
    /* both adults: the roles say nothing of parent and child */
    pop_init(&p, 1000);
    for (size_t h = 0; h < 300; h++) {
        int y = 1960 + (int)(h % 40), m = 1 + (int)(h % 12), d = 1 + (int)((h * 7) % 27);
        pop_add_role(&p, h, "police", link_fx_given[h % 10], y, m, d, "adult");
        pop_add_role(&p, h, "health", link_fx_given[h % 10], y, m, d, "adult");
    }
    size_t a1 = pop_add_role(&p, 500, "police", "harry", 1961, 4, 9, "adult");
    size_t a2 = pop_add_role(&p, 500, "health", "harry", 1985, 11, 2, "adult");
    link_pop(&p, &l);
    link_score_pair(l.m, l.s, a1, a2, &sc);
    assert_true(!sc.note || !strstr(sc.note, "parent and child"));
    linked_free(&l);
    pop_free(&p);
}

static bool has_pair(const uint32_t *c, size_t n, uint32_t i, uint32_t j)
{
    for (size_t k = 0; k < n; k++)
        if (c[2 * k] == i && c[2 * k + 1] == j)
            return true;
    return false;
}

static size_t candidates(const struct link_set *s, const char *const *rules, size_t nr,
                         uint32_t **c)
{
    struct link_blocking *b = NULL;
    struct svp_err err;
    struct link_opts o;
    link_opts_default(&o);
    size_t nc = 0;
    *c = NULL;
    assert_int_equal(link_blocking_parse(rules, nr, &b, &err), 0);
    assert_int_equal(link_blocking_candidates(s, b, &o, c, &nc, &err), 0);
    /* sorted, each pair once */
    for (size_t k = 1; k < nc; k++)
        assert_true((*c)[2 * k - 2] < (*c)[2 * k] ||
                    ((*c)[2 * k - 2] == (*c)[2 * k] && (*c)[2 * k - 1] < (*c)[2 * k + 1]));
    link_blocking_free(&b);
    return nc;
}

/* any_name: a record placed in the order once for each of its names (given names, family
 * name, the words of its email address's user part), so a name put in the other field, or
 * kept only in an email address, meets the name it is; two records near under two names
 * are one pair; the field orders only a sorted neighbourhood. */
static void test_blocking_any_name(void **state)
{
    (void)state;
    static const struct link_rec r[] = {
        {.id = 1, .source = "a", .given = "alfie", .family = "griffiths", .dob = "2009-04-07"},
        {.id = 2, .source = "a", .given = "griffihs", .family = "alfie", .dob = "2008-05-07"},
        {.id = 3, .source = "a", .given = "", .family = "", .dob = "1999-06-06",
         .email = "zara.quinton@example.org"},
        {.id = 4, .source = "a", .given = "zara", .family = "quinton", .dob = "2000-06-07"},
        {.id = 5, .source = "a", .given = "mary", .family = "", .dob = "1950-01-01"},
        {.id = 6, .source = "a", .given = "ben", .family = "", .dob = "1980-01-01"},
        {.id = 7, .source = "a", .given = "george", .family = "", .dob = "1970-01-01"},
    };
    struct link_set *s = NULL;
    struct svp_err err;
    assert_int_equal(link_set_new(r, 7, &s, &err), 0);
    uint32_t *c = NULL;
    /* the swapped names: alfie (0, given) and alfie (1, family) sort side by side; the
     * email's quinton and zara meet the record that has them as names */
    const char *one[] = {"any_name+dob~2"};
    size_t nc = candidates(s, one, 1, &c);
    assert_true(has_pair(c, nc, 0, 1));
    assert_true(has_pair(c, nc, 2, 3));
    svp_free(c);
    /* given_or_family alone does not reach them (ben and george sort between alfie and
     * griffihs) */
    const char *gof[] = {"given_or_family+dob~2"};
    nc = candidates(s, gof, 1, &c);
    assert_false(has_pair(c, nc, 0, 1));
    assert_false(has_pair(c, nc, 2, 3));
    svp_free(c);
    /* written backwards (a name mistyped at its start): griffiths/griffihs do not share
     * their ends, alfie does */
    const char *rev[] = {"any_name_rev+dob~2"};
    nc = candidates(s, rev, 1, &c);
    assert_true(has_pair(c, nc, 0, 1));
    svp_free(c);
    /* with an equality rule and another neighbourhood before it: each pair once */
    const char *three[] = {"dob_year", "given_or_family+dob~3", "any_name+dob~4",
                           "any_name_rev+dob~3"};
    nc = candidates(s, three, 4, &c);
    assert_true(has_pair(c, nc, 0, 1) && has_pair(c, nc, 2, 3));
    svp_free(c);
    /* only in a sorted neighbourhood, one a rule */
    const char *bad[] = {"any_name", "any_name+dob", "any_name+any_name_rev~3"};
    struct link_blocking *b = NULL;
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(link_blocking_parse(&bad[k], 1, &b, &err), SVP_EINPUT);
        assert_null(b);
        assert_non_null(strstr(err.msg, "sorted neighbourhood"));
    }
    link_set_free(&s);
}

/* any_name_letters: each name's letters in order, so a name with letters swapped or moved
 * (nleaeor, eleanor) sorts beside itself where names sorting between them part them in
 * any_name's order; and a sorted neighbourhood's key reads letters and digits only, so an
 * email address written with and without a dot (e.e@, ee@) is one place in the order. */
static void test_blocking_any_name_letters(void **state)
{
    (void)state;
    static const struct link_rec r[] = {
        {.id = 1, .source = "a", .given = "eleanor", .family = "", .dob = "2009-08-25"},
        {.id = 2, .source = "a", .given = "nleaeor", .family = "wood", .dob = "2008-08-27"},
        {.id = 3, .source = "a", .given = "freya", .family = "", .dob = "1990-01-01"},
        {.id = 4, .source = "a", .given = "jack", .family = "", .dob = "1991-01-01"},
        {.id = 5, .source = "a", .given = "", .family = "", .dob = "1970-01-01",
         .email = "e.e@day.com"},
        {.id = 6, .source = "a", .given = "", .family = "", .dob = "1971-01-01",
         .email = "e.f@yak.com"},
        {.id = 7, .source = "a", .given = "", .family = "", .dob = "1972-01-01",
         .email = "ea@zed.com"},
        {.id = 8, .source = "a", .given = "", .family = "", .dob = "1973-01-01",
         .email = "ee@day.com"},
    };
    struct link_set *s = NULL;
    struct svp_err err;
    assert_int_equal(link_set_new(r, 8, &s, &err), 0);
    uint32_t *c = NULL;
    const char *plain[] = {"any_name+dob~2"};
    size_t nc = candidates(s, plain, 1, &c);
    assert_false(has_pair(c, nc, 0, 1)); /* freya and jack sort between */
    svp_free(c);
    const char *letters[] = {"any_name_letters+dob~2"};
    nc = candidates(s, letters, 1, &c);
    assert_true(has_pair(c, nc, 0, 1));
    svp_free(c);
    /* e.e@day.com and ee@day.com: one key; e.f@ and ea@ no longer sort between them */
    const char *contact[] = {"contact~2"};
    nc = candidates(s, contact, 1, &c);
    assert_true(has_pair(c, nc, 4, 7));
    svp_free(c);
    const char *bad[] = {"any_name_letters", "any_name+any_name_letters~3"};
    struct link_blocking *b = NULL;
    for (size_t k = 0; k < 2; k++) {
        assert_int_equal(link_blocking_parse(&bad[k], 1, &b, &err), SVP_EINPUT);
        assert_null(b);
        assert_non_null(strstr(err.msg, "sorted neighbourhood"));
    }
    link_set_free(&s);
}

/* A sorted neighbourhood with the letters filter (fields~W:letters): a pair in the window
 * is given only when its dates differ and a name of one has all its letters in a name of
 * the other, or one record has no name; a later rule without the filter still gives the
 * pairs the filter refused, each once. dob_year3 (the year without its tens digit) puts
 * 2018 beside 2008; dob_dm is the day, then the month. */
static void test_blocking_letters_filter(void **state)
{
    (void)state;
    static const struct link_rec r[] = {
        {.id = 1, .source = "a", .given = "oliver", .family = "atkinson", .dob = "2011-01-21"},
        {.id = 2, .source = "a", .given = "oievr", .family = "", .dob = "2009-12-21"},
        {.id = 3, .source = "a", .given = "george", .family = "davies", .dob = "2011-01-22"},
        {.id = 4, .source = "a", .given = "", .family = "", .dob = "2011-01-23"},
        {.id = 5, .source = "a", .given = "oliver", .family = "atkinson", .dob = "2011-01-21"},
        {.id = 6, .source = "a", .given = "isaac", .family = "jones", .dob = "2018-01-21"},
        {.id = 7, .source = "a", .given = "", .family = "jnes", .dob = "2008-01-20"},
    };
    struct link_set *s = NULL;
    struct svp_err err;
    assert_int_equal(link_set_new(r, 7, &s, &err), 0);
    uint32_t *c = NULL;
    /* by date: jnes, oievr, oliver, oliver, george, (no name), isaac jones */
    const char *dob[] = {"dob~3:letters"};
    size_t nc = candidates(s, dob, 1, &c);
    assert_true(has_pair(c, nc, 0, 1));  /* oievr's letters are all in oliver */
    assert_true(has_pair(c, nc, 1, 4));
    assert_false(has_pair(c, nc, 0, 4)); /* one date: other rules' work */
    assert_false(has_pair(c, nc, 0, 2)); /* no name's letters in the other's */
    assert_false(has_pair(c, nc, 4, 2));
    assert_true(has_pair(c, nc, 2, 3));  /* no name at all */
    assert_false(has_pair(c, nc, 1, 6)); /* jnes and oievr: nothing shared */
    svp_free(c);
    /* the rule without the filter after it gives what the filter refused, once */
    const char *both[] = {"dob~3:letters", "dob~3"};
    nc = candidates(s, both, 2, &c);
    assert_true(has_pair(c, nc, 0, 1));
    assert_true(has_pair(c, nc, 0, 4));
    assert_true(has_pair(c, nc, 2, 4));
    svp_free(c);
    /* 2018 keyed 2008, a day out: beside each other by the year without its tens digit */
    const char *y3[] = {"dob_year3+dob_md~2:letters"};
    nc = candidates(s, y3, 1, &c);
    assert_true(has_pair(c, nc, 5, 6));
    svp_free(c);
    const char *md[] = {"dob_md+dob_year~2:letters"};
    nc = candidates(s, md, 1, &c);
    assert_false(has_pair(c, nc, 5, 6));
    svp_free(c);
    /* day and month: 21 January on three records, 21 December on one */
    const char *dm[] = {"dob_dm"};
    nc = candidates(s, dm, 1, &c);
    assert_true(has_pair(c, nc, 0, 5));
    assert_false(has_pair(c, nc, 0, 1));
    svp_free(c);
    const char *bad[] = {"dob~30:sound", "dob~30:", "dob:letters"};
    struct link_blocking *b = NULL;
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(link_blocking_parse(&bad[k], 1, &b, &err), SVP_EINPUT);
        assert_null(b);
    }
    assert_int_equal(link_blocking_parse(&bad[0], 1, &b, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "unknown filter 'sound'"));
    link_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_juniors_held_apart),
        cmocka_unit_test(test_year_errors_are_one_person),
        cmocka_unit_test(test_roles_parent_child),
        cmocka_unit_test(test_blocking_any_name),
        cmocka_unit_test(test_blocking_any_name_letters),
        cmocka_unit_test(test_blocking_letters_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
