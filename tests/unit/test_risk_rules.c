/* The tracker's rules of issue 15: found-with by who, attendance decline and attendance from
 * sessions, care signals only beside exploitation signals, households and family (recorded
 * and inferred) and never association, co-involvement from police occurrences by role, and
 * the quality report's truth file and measures. Store-backed tests run on SQLite and
 * PostgreSQL. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk.h"
#include "risk/risk_int.h"

static svp_day day(const char *iso)
{
    svp_day d = 0;
    assert_int_equal(svp_date_parse_iso(iso, strlen(iso), &d, NULL), 0);
    return d;
}

/* ------------------------------------------------------------------ found with */

static void test_found_with_by_who(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int want;
    } cases[] = {
        {"[\"older_males\"]", RISK_WITH_ADULT},
        {"[\"unknown_adult\", \"friends\"]", RISK_WITH_ADULT},
        {"\"gang_members\"", RISK_WITH_ADULT},
        {"[\"family\"]", RISK_WITH_FAMILY},
        {"[\"parent\"]", RISK_WITH_FAMILY},
        {"[\"relatives\", \"carer\"]", RISK_WITH_FAMILY | RISK_WITH_CARER},
        {"[\"carer\"]", RISK_WITH_CARER},
        {"[\"friends\", \"peers\", \"other_young_people\"]", 0},
        {"[]", 0},
        {"42", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
        assert_non_null(j);
        if (risk_found_with_kind(j) != cases[i].want)
            fail_msg("case %s: %d", cases[i].json, risk_found_with_kind(j));
        json_decref(j);
    }
    assert_int_equal(risk_found_with_kind(NULL), 0);

    assert_true(risk_found_at_home("HOME_ADDRESS"));
    assert_true(risk_found_at_home("care_placement"));
    assert_true(risk_found_at_home("At Placement"));
    assert_false(risk_found_at_home("Bus Station"));
    assert_false(risk_found_at_home(NULL));

    /* the classifier: who, and out of county only when not found at home or placement */
    static const struct {
        const char *detail;
        bool out_of_county, adult, family, carer;
    } ev[] = {
        {"{\"found_with\":{\"names\":[\"Kayla Dunn\"],\"codes\":[\"older_males\"]}}", false,
         true, false, false},
        {"{\"found_with\":{\"names\":[],\"codes\":[\"family\"]}}", false, false, true, false},
        {"{\"found_with\":[\"carer\"]}", false, false, false, true},
        {"{\"found_out_of_county\":1,\"found_place\":\"CARE_PLACEMENT\"}", false, false, false,
         false},
        {"{\"found_out_of_county\":1,\"found_place\":\"Bus Station\"}", true, false, false,
         false},
        {"{\"found_out_of_county\":1}", true, false, false, false},
    };
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
        json_t *d = json_loads(ev[i].detail, 0, NULL);
        struct risk_event_in in = {.type = "missing_episode", .subtype = "missing", .detail = d};
        int out[8], n = risk_classify_event(&in, out);
        bool ooc = false, adult = false, family = false, carer = false;
        for (int k = 0; k < n; k++) {
            ooc |= out[k] == RISK_MISSING_FOUND_OUT_OF_COUNTY;
            adult |= out[k] == RISK_MISSING_FOUND_WITH_ADULT;
            family |= out[k] == RISK_MISSING_FOUND_WITH_FAMILY;
            carer |= out[k] == RISK_MISSING_FOUND_WITH_CARER;
        }
        assert_int_equal(ooc, ev[i].out_of_county);
        assert_int_equal(adult, ev[i].adult);
        assert_int_equal(family, ev[i].family);
        assert_int_equal(carer, ev[i].carer);
        json_decref(d);
    }
}

/* ------------------------------------------------------------------ attendance */

static void test_attendance_from_sessions(void **state)
{
    (void)state;
    static const struct {
        const char *detail;
        bool have;
        double pct;
    } cases[] = {
        {"{\"attendance_pct\":87.5,\"sessions_possible\":100,\"sessions_missed\":50}", true, 87.5},
        {"{\"sessions_possible\":100,\"sessions_missed\":45}", true, 55},
        {"{\"sessions_possible\":120,\"sessions_attended\":60}", true, 50},
        {"{\"sessions_possible\":0,\"sessions_missed\":0}", false, 0},
        {"{\"sessions_possible\":10,\"sessions_missed\":11}", false, 0},
        {"{\"sessions_missed\":4}", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *d = json_loads(cases[i].detail, 0, NULL);
        double pct = -1;
        assert_int_equal(risk_attendance_pct(d, &pct), cases[i].have);
        if (cases[i].have)
            assert_true(fabs(pct - cases[i].pct) < 1e-9);
        json_decref(d);
    }
    /* severe absence from sessions alone (no precomputed percentage) */
    json_t *d = json_loads("{\"sessions_possible\":140,\"sessions_attended\":63}", 0, NULL);
    struct risk_event_in in = {.type = "school_attendance", .detail = d};
    int out[8], n = risk_classify_event(&in, out);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], RISK_SCHOOL_SEVERE_ABSENCE);
    assert_int_equal(out[1], RISK_SCHOOL_PERSISTENT_ABSENCE);
    json_decref(d);
}

/* The panel's fast reading of a term's attendance (risk_attendance_flat) gives what the full
 * parse gives, and leaves to jansson what it cannot read the same way. */
static void test_attendance_flat_as_parsed(void **state)
{
    (void)state;
    static const struct {
        const char *detail;
        bool flat; /* read without jansson */
    } cases[] = {
        {"{\"school_urn\":\"110082\",\"sessions_possible\":129,\"sessions_missed\":3,"
         "\"attendance_pct\":97.7,\"persistent_absence\":0}", true},
        {"{\"attendance_pct\":40}", true},
        {"{\"attendance_pct\":89.99, \"persistent_absence\": true}", true},
        {"{\"attendance_pct\":95,\"persistent_absence\":1.0}", true}, /* a real: no flag */
        {"{\"attendance_pct\":95,\"persistent_absence\":-3}", true},
        {"{\"attendance_pct\":95,\"persistent_absence\":\"1\"}", true}, /* text: no flag */
        {"{\"attendance_pct\":\"40\"}", true},                            /* text: no pct */
        {"{\"sessions_possible\":140,\"sessions_attended\":63}", true},
        {"{\"sessions_possible\":100,\"sessions_missed\":null}", true},
        {"{\"sessions_possible\":10,\"sessions_missed\":11}", true},
        {"{}", true},
        /* a key twice: jansson refuses the detail, so no indicator */
        {"{\"attendance_pct\":95,\"attendance_pct\":40}", false},
        {"{\"x\":1,\"persistent_absence\":1,\"x\":2}", false},
        {"{\"school_name\":\"St Mary\\u2019s\",\"attendance_pct\":40}", false}, /* escape */
        {"{\"attendance_pct\":4e1}", false},                                       /* exponent */
        {"{\"attendance_pct\":40,\"notes\":{\"a\":1}}", false},                    /* nested */
        {"{\"attendance_pct\":40", false},
        {"", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct risk_attendance_in a;
        assert_int_equal(risk_attendance_flat(cases[i].detail, &a), cases[i].flat);
        json_t *d = json_loads(cases[i].detail, JSON_REJECT_DUPLICATES, NULL);
        struct risk_event_in in = {.type = "school_attendance", .detail = d};
        int want[8], got[8];
        int nw = risk_classify_event(&in, want);
        if (cases[i].flat) {
            assert_non_null(d);
            int ng = risk_classify_attendance(&a, got);
            assert_int_equal(ng, nw);
            for (int k = 0; k < nw; k++)
                assert_int_equal(got[k], want[k]);
            double pw = -1, pg = -2;
            bool hw = risk_attendance_pct(d, &pw), hg = risk_attendance_of(&a, &pg);
            assert_int_equal(hg, hw);
            if (hw)
                assert_true(pg == pw);
        }
        json_decref(d);
    }
    /* the fixed cases above cover both indicators and none */
    struct risk_attendance_in a;
    int out[8];
    assert_true(risk_attendance_flat("{\"attendance_pct\":40}", &a));
    assert_int_equal(risk_classify_attendance(&a, out), 2);
    assert_true(risk_attendance_flat("{\"attendance_pct\":95,\"persistent_absence\":1.0}", &a));
    assert_int_equal(risk_classify_attendance(&a, out), 0);
    assert_true(risk_attendance_flat("{\"attendance_pct\":95,\"persistent_absence\":-3}", &a));
    assert_int_equal(risk_classify_attendance(&a, out), 1);
}

static void test_attendance_decline_boundaries(void **state)
{
    (void)state;
    svp_day t[4] = {day("2025-09-01"), day("2026-01-04"), day("2026-04-15"), day("2026-09-01")};
    bool hit[4];
    /* 10 points below the mean of the terms before, and below 90%: a decline */
    double a[] = {95, 95, 85, 85};
    assert_int_equal(risk_attendance_declines(a, t, 4, hit), 1);
    assert_false(hit[0]);
    assert_false(hit[1]);
    assert_true(hit[2]);  /* 95 - 85 = 10 */
    assert_false(hit[3]); /* mean(95, 95, 85) - 85 = 6.7: staying low is not falling */
    double a2[] = {95, 95, 85, 70};
    assert_int_equal(risk_attendance_declines(a2, t, 4, hit), 2);
    assert_true(hit[3]); /* falling term on term */
    /* 9.9 points: not yet */
    double b[] = {95, 95, 85.1};
    assert_int_equal(risk_attendance_declines(b, t, 3, hit), 0);
    /* a fall that stays at 90% or above is not persistent absence */
    double c[] = {100, 100, 90};
    assert_int_equal(risk_attendance_declines(c, t, 3, hit), 0);
    /* a low attendance that does not fall is not a decline */
    double d2[] = {60, 61, 59, 60};
    assert_int_equal(risk_attendance_declines(d2, t, 4, hit), 0);
    /* terms more than 400 days before do not count */
    svp_day far[2] = {day("2024-09-01"), day("2026-01-04")};
    double e[] = {98, 70};
    assert_int_equal(risk_attendance_declines(e, far, 2, hit), 0);
}

/* ------------------------------------------------------------------ care signals */

static double sum_reasons(const struct risk_reason *r, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += r[i].points;
    return s;
}

static void test_care_signals_need_exploitation(void **state)
{
    (void)state;
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    svp_day today = day("2026-06-01");
    struct risk_fact f[12];
    size_t n = 0;
    for (int i = 0; i < 5; i++)
        f[n++] = (struct risk_fact){.indicator = RISK_MISSING_FROM_CARE, .day = today - 10 * i,
                                    .share = 1, .flags = RISK_FACT_CARE, .event_id = i + 1};
    f[n++] = (struct risk_fact){.indicator = RISK_PLACEMENT_MOVE, .day = today - 3, .share = 1,
                                .flags = RISK_FACT_CARE, .event_id = 10};
    f[n++] = (struct risk_fact){.indicator = RISK_AGE_BAND, .day = today, .share = 1};
    risk_facts_sort(f, n);
    /* care signals alone: no points from them, the flag raised */
    struct risk_reason r[32];
    size_t nr;
    double s = risk_score_person(&w, today, f, n, NULL, r, &nr);
    assert_true(fabs(s - w.ind[RISK_AGE_BAND].weight) < 1e-9);
    assert_true(fabs(sum_reasons(r, nr) - s) < 1e-9);
    bool flag;
    int missing, moves;
    risk_care_summary(&w, today, f, n, NULL, &flag, &missing, &moves);
    assert_true(flag);
    assert_int_equal(missing, 5);
    assert_int_equal(moves, 1);
    assert_true(risk_care_factor(&w, today, f, n, NULL) == 0);

    /* one small exploitation signal: the care signals count as much as it, no more */
    f[n++] = (struct risk_fact){.indicator = RISK_ED_SUBSTANCE, .day = today, .share = 1,
                                .event_id = 20};
    risk_facts_sort(f, n);
    double expl = w.ind[RISK_ED_SUBSTANCE].weight;
    s = risk_score_person(&w, today, f, n, NULL, r, &nr);
    assert_true(fabs(s - (w.ind[RISK_AGE_BAND].weight + 2 * expl)) < 1e-9);
    assert_true(fabs(sum_reasons(r, nr) - s) < 1e-9);
    double factor = risk_care_factor(&w, today, f, n, NULL);
    assert_true(factor > 0 && factor < 1);
    risk_care_summary(&w, today, f, n, NULL, &flag, &missing, &moves);
    assert_true(flag);

    /* strong exploitation signals: the care signals count in full, no flag */
    f[n++] = (struct risk_fact){.indicator = RISK_EXPLOITATION_SCREENING_HIGH, .day = today,
                                .share = 1, .event_id = 21};
    f[n++] = (struct risk_fact){.indicator = RISK_NRM_REFERRAL, .day = today, .share = 1,
                                .event_id = 22};
    risk_facts_sort(f, n);
    assert_true(risk_care_factor(&w, today, f, n, NULL) == 1);
    risk_care_summary(&w, today, f, n, NULL, &flag, &missing, &moves);
    assert_false(flag);
    s = risk_score_person(&w, today, f, n, NULL, r, &nr);
    double care = 0;
    for (size_t i = 0; i < nr; i++)
        if (r[i].indicator == RISK_MISSING_FROM_CARE || r[i].indicator == RISK_PLACEMENT_MOVE)
            care += r[i].points;
    assert_true(care > 10);
    /* which indicators are exploitation signals */
    assert_true(risk_indicator_exploitation(RISK_ADULT_OF_CONCERN));
    assert_true(risk_indicator_exploitation(RISK_MISSING_FOUND_OUT_OF_COUNTY));
    assert_false(risk_indicator_exploitation(RISK_MISSING_FROM_CARE));
    assert_false(risk_indicator_exploitation(RISK_PLACEMENT_OUT_OF_COUNTY));
    assert_false(risk_indicator_exploitation(RISK_INTRA_FAMILIAL));
    assert_false(risk_indicator_exploitation(RISK_SIBLING_AT_RISK));
}

/* ------------------------------------------------------------------ family inference */

static void test_family_by_age_and_address(void **state)
{
    (void)state;
    assert_int_equal(risk_relation_by_age(12, 40), RISK_REL_PARENT);
    assert_int_equal(risk_relation_by_age(12, 26), RISK_REL_PARENT); /* 14 years: boundary */
    assert_int_equal(risk_relation_by_age(12, 25), RISK_REL_HOUSEHOLD);
    assert_int_equal(risk_relation_by_age(40, 12), RISK_REL_CHILD);
    assert_int_equal(risk_relation_by_age(12, 15), RISK_REL_SIBLING);
    assert_int_equal(risk_relation_by_age(12, 17), RISK_REL_SIBLING);
    assert_int_equal(risk_relation_by_age(12, -1), RISK_REL_HOUSEHOLD);
    /* a sibling who turned 18 is still a sibling; an adult 10 or more years apart is not
     * taken for one */
    assert_int_equal(risk_relation_by_age(12, 19), RISK_REL_SIBLING);
    assert_int_equal(risk_relation_by_age(20, 16), RISK_REL_SIBLING);
    assert_int_equal(risk_relation_by_age(12, 22), RISK_REL_HOUSEHOLD);
    assert_int_equal(risk_relation_by_age(19, 24), RISK_REL_HOUSEHOLD);

    struct risk_person persons[12];
    memset(persons, 0, sizeof persons);
    int ages[12] = {12, 15, 41, -1, 13, 14, 10, 11, 12, 13, 14, 15};
    for (int i = 0; i < 12; i++) {
        persons[i].person_id = i + 1;
        persons[i].age = ages[i];
        persons[i].child = ages[i] >= 0 && ages[i] < 18;
    }
    /* one address: children 0 and 1, mother 2, 3 of unknown age (twice: two records);
     * another: 8 children of 4..11 and more (a children's home): no links */
    struct risk_famrec recs[] = {{7, 0}, {7, 1}, {7, 2}, {7, 3}, {7, 3}, {9, 4}, {9, 5},
                                 {9, 6}, {9, 7}, {9, 8}, {9, 9}, {9, 10}, {9, 11}, {9, 0}};
    struct risk_family_link *links = NULL;
    size_t nl = 0, cap = 0;
    assert_int_equal(risk_family_infer(recs, sizeof recs / sizeof recs[0], persons, false,
                                       &links, &nl, &cap),
                     0);
    risk_family_finish(links, &nl);
    assert_int_equal(nl, 12); /* 4 persons: 6 pairs, both ways */
    assert_true(risk_family_has(links, nl, 0, 1));
    assert_true(risk_family_has(links, nl, 1, 0));
    assert_true(risk_family_has(links, nl, 0, 3));
    assert_false(risk_family_has(links, nl, 4, 5));
    for (size_t i = 0; i < nl; i++) {
        if (links[i].a == 0 && links[i].b == 2)
            assert_int_equal(links[i].relation, RISK_REL_PARENT);
        if (links[i].a == 2 && links[i].b == 0)
            assert_int_equal(links[i].relation, RISK_REL_CHILD);
        if (links[i].a == 0 && links[i].b == 1)
            assert_int_equal(links[i].relation, RISK_REL_SIBLING);
        if (links[i].a == 0 && links[i].b == 3)
            assert_int_equal(links[i].relation, RISK_REL_HOUSEHOLD);
        assert_false(links[i].recorded);
        assert_true(links[i].confidence > 0.8f);
    }
    /* a postcode alone: only ages of a family, less confidence; a recorded link wins */
    struct risk_famrec pc[] = {{5, 0}, {5, 2}, {5, 3}};
    assert_int_equal(risk_family_infer(pc, 3, persons, true, &links, &nl, &cap), 0);
    assert_int_equal(risk_family_add(&links, &nl, &cap, 0, 2, RISK_REL_PARENT, true,
                                     RISK_AG_CSC, 1.0f, "recorded as parent or carer"),
                     0);
    risk_family_finish(links, &nl);
    for (size_t i = 0; i < nl; i++)
        if (links[i].a == 0 && links[i].b == 2) {
            assert_true(links[i].recorded);
            assert_int_equal(links[i].agency, RISK_AG_CSC);
        }
    svp_free(links);
}

static struct risk_famname famname(uint64_t key, uint32_t person, const char *name,
                                    bool given)
{
    struct risk_famname x;
    memset(&x, 0, sizeof x);
    x.key = key;
    x.person = person;
    x.given = given;
    snprintf(x.name, sizeof x.name, "%s", name);
    return x;
}

static bool has_link(const struct risk_family_link *l, size_t n, uint32_t a, uint32_t b)
{
    return risk_family_has(l, n, a, b) && risk_family_has(l, n, b, a);
}

/* Names under one postcode: a slip of the keys, names swapped between the fields, and what
 * neither may join (a common name typed one way, a forename that is someone's family name,
 * ages of no brothers and sisters). */
static void test_family_names_slips_and_swaps(void **state)
{
    (void)state;
    struct risk_person persons[12];
    memset(persons, 0, sizeof persons);
    int ages[12] = {9, 12, 40, 23, 20, 7, 11, 8, 10, 37, 12, -1};
    for (int i = 0; i < 12; i++) {
        persons[i].person_id = i + 1;
        persons[i].age = ages[i];
        persons[i].child = ages[i] >= 0 && ages[i] < 18;
    }
    persons[11].child = true; /* recorded as a child, no date of birth anywhere */
    struct risk_famname recs[64];
    size_t n = 0;
    /* postcode 1: 0 "Thornley", 1 "Thornleyy" (a slip: nobody else carries it), the
     * mother 2 "Thornleyy" too (a parent's age: not joined as a sibling) */
    recs[n++] = famname(1, 0, "thornley", false);
    recs[n++] = famname(1, 0, "amelia", true);
    recs[n++] = famname(1, 1, "thornleyy", false);
    recs[n++] = famname(1, 1, "jack", true);
    recs[n++] = famname(1, 2, "thornleyy", false);
    recs[n++] = famname(1, 2, "ruth", true);
    /* postcode 2: 5 "Joe Ludgrove" keyed as family "Joe", given "Ludgrove", beside his brother
     * 6 "Asher Ludgrove"; 7 "Oliver James" and 8 "James Tate": James is a family name here and
     * Oliver is no family name, so no swap; 9 an adult "Ludgrove" (no sibling's age) */
    recs[n++] = famname(2, 5, "joe", false);
    recs[n++] = famname(2, 5, "ludgrove", true);
    recs[n++] = famname(2, 6, "ludgrove", false);
    recs[n++] = famname(2, 6, "asher", true);
    recs[n++] = famname(2, 7, "james", false);
    recs[n++] = famname(2, 7, "oliver", true);
    recs[n++] = famname(2, 8, "tate", false);
    recs[n++] = famname(2, 8, "james", true);
    recs[n++] = famname(2, 9, "ludgrove", false);
    recs[n++] = famname(2, 9, "joe", true);
    /* elsewhere: "joe", "oliver", "amelia", "jack" are given names of many; "tate" and
     * "james" family names of some */
    for (uint32_t k = 0; k < 6; k++) {
        recs[n++] = famname(100 + k, 3 + (k % 2), k % 2 ? "joe" : "oliver", true);
        recs[n++] = famname(100 + k, 3 + (k % 2), k % 3 ? "tate" : "james", false);
    }
    /* postcode 3: a young adult of 20 "Griffith-Sharpe", a child of 12 keyed "Anna" given
     * "Griffith" (swapped, a part of the name), and a child with no date of birth keyed
     * "Griffith-Sharpr" (a slip) */
    recs[n++] = famname(3, 10, "anna", false);
    recs[n++] = famname(3, 10, "griffith", true);
    recs[n++] = famname(3, 4, "griffithsharpe", false);
    recs[n++] = famname(3, 4, "demi", true);
    recs[n++] = famname(3, 11, "griffithsharpr", false);
    recs[n++] = famname(3, 11, "tulip", true);
    for (uint32_t k = 0; k < 3; k++) /* "Anna" is the given name of three */
        recs[n++] = famname(200 + k, 3 + k, "anna", true);
    struct risk_family_link *links = NULL;
    size_t nl = 0, cap = 0;
    assert_int_equal(risk_family_infer_names(recs, n, persons, &links, &nl, &cap), 0);
    risk_family_finish(links, &nl);
    assert_true(has_link(links, nl, 0, 1));   /* a slip, ages of siblings */
    assert_false(has_link(links, nl, 0, 2));  /* a slip, a parent's age */
    assert_true(has_link(links, nl, 5, 6));   /* swapped: "Joe" is a forename */
    assert_false(has_link(links, nl, 6, 9));  /* one name, not a slip: another rule's */
    assert_false(has_link(links, nl, 5, 9));  /* the adult is of no sibling's age */
    assert_false(has_link(links, nl, 7, 8));  /* "James" is a family name of some */
    assert_true(has_link(links, nl, 10, 4));  /* swapped, a part of a double-barrelled name */
    assert_true(has_link(links, nl, 11, 4));  /* a slip, no date of birth, recorded a child */
    for (size_t i = 0; i < nl; i++) {
        assert_false(links[i].recorded);
        assert_true(links[i].confidence < 0.5f);
        assert_int_equal(links[i].relation, RISK_REL_SIBLING);
    }
    svp_free(links);

    /* a postcode: two young adults close in age keep each other; a young adult with a child
     * 12 years younger too; two adults 3 years apart with no child do not */
    struct risk_famrec pc[] = {{5, 3}, {5, 4}, {6, 4}, {6, 7}, {8, 2}, {8, 9}};
    links = NULL;
    nl = cap = 0;
    assert_int_equal(risk_family_infer(pc, sizeof pc / sizeof pc[0], persons, true, &links,
                                       &nl, &cap),
                     0);
    risk_family_finish(links, &nl);
    assert_true(has_link(links, nl, 3, 4));
    assert_true(has_link(links, nl, 4, 7));
    assert_false(has_link(links, nl, 2, 9));
    svp_free(links);
}

/* A contact phone as schools and hospitals key it: one national number, or none. */
static void test_phone_norm(void **state)
{
    (void)state;
    char out[24];
    assert_int_equal(risk_phone_norm("07700 900123", out, sizeof out), 11);
    assert_string_equal(out, "07700900123");
    assert_int_equal(risk_phone_norm("+44 7700 900123", out, sizeof out), 11);
    assert_string_equal(out, "07700900123");
    assert_int_equal(risk_phone_norm("+44 (0)7700-900123", out, sizeof out), 11);
    assert_string_equal(out, "07700900123");
    assert_int_equal(risk_phone_norm("0044 7700 900123", out, sizeof out), 11);
    assert_string_equal(out, "07700900123");
    assert_int_equal(risk_phone_norm("7700 900123", out, sizeof out), 11); /* a lost 0 */
    assert_string_equal(out, "07700900123");
    assert_int_equal(risk_phone_norm("(01632) 960 001", out, sizeof out), 11);
    assert_string_equal(out, "01632960001");
    /* none: blank, a placeholder, not one number, too short or long, an international one */
    assert_int_equal(risk_phone_norm("", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(risk_phone_norm(NULL, out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("07777777777", out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("00000000000", out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("07700 900123 ext 2", out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("mum's mobile", out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("07700 900123 / 07700 900456", out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("0770090", out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("077009001234", out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("0033 6 12 34 56 78", out, sizeof out), 0);
    assert_int_equal(risk_phone_norm("07700 900123", out, 8), 0); /* no room */

    /* from a record's detail: as the importer writes it, through the JSON parser otherwise,
     * and none where the key is not the object's own */
    assert_int_equal(risk_detail_contact_phone("{\"contact_phone\":\"07700 900123\"}", out,
                                               sizeof out),
                     0);
    assert_string_equal(out, "07700900123");
    assert_int_equal(risk_detail_contact_phone("{\"a\":1, \"contact_phone\" : \"+44 7700 "
                                               "900123\"}",
                                               out, sizeof out),
                     0);
    assert_string_equal(out, "07700900123");
    assert_int_equal(risk_detail_contact_phone("{\"contact_phone\":\"07700\\u0020900123\"}",
                                               out, sizeof out),
                     0);
    assert_string_equal(out, "07700900123");
    static const char *const none[] = {
        NULL,
        "",
        "{}",
        "{\"phone\":\"07700 900123\"}",
        "{\"contact_phone\":7700900123}",
        "{\"contact_phone\":\"\"}",
        "{\"note\":\"\\\"contact_phone\\\":\\\"07700 900123\\\"\"}",
        "{\"contact_phone\":\"07700 900123\"",
        "not json \"contact_phone\"",
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        out[0] = 'x';
        out[1] = '\0';
        assert_int_equal(risk_detail_contact_phone(none[i], out, sizeof out), 0);
        if (out[0])
            fail_msg("detail %zu gave %s", i, out);
    }
}

static struct risk_famphone famphone(uint64_t key, uint32_t person, const char *name)
{
    struct risk_famphone x;
    memset(&x, 0, sizeof x);
    x.key = key;
    x.person = person;
    snprintf(x.name, sizeof x.name, "%s", name);
    return x;
}

/* One carer's number on children's records: brothers and sisters when their family names
 * agree and their ages are a family's; never a number many children give (a childminder's),
 * children of other names (a grandparent's number for cousins), or an adult. */
static void test_family_contact_phone(void **state)
{
    (void)state;
    struct risk_person persons[16];
    memset(persons, 0, sizeof persons);
    int ages[16] = {9, 12, 14, 41, 8, 10, 6, 7, 8, 9, 10, 11, -1, 24, 3, 19};
    for (int i = 0; i < 16; i++) {
        persons[i].person_id = i + 1;
        persons[i].age = ages[i];
        persons[i].child = ages[i] >= 0 && ages[i] < 18;
    }
    persons[12].child = true; /* recorded as a child, no date of birth anywhere */
    struct risk_famphone recs[40];
    size_t n = 0;
    /* number 1: 0 "Thornley" (two records), 1 "Thornleyy" (a slip), 2 "Thornley-Wade" (a
     * part), the mother 3 (a parent's age: not a sibling), 12 "Thornly" (no date of birth,
     * a slip) */
    recs[n++] = famphone(1, 0, "thornley");
    recs[n++] = famphone(1, 0, "thornley");
    recs[n++] = famphone(1, 1, "thornleyy");
    recs[n++] = famphone(1, 2, "thornleywade");
    recs[n++] = famphone(1, 3, "thornley");
    recs[n++] = famphone(1, 12, "thornly");
    /* number 2: a grandmother's, for cousins 4 "Ashdown" and 5 "Pereira" */
    recs[n++] = famphone(2, 4, "ashdown");
    recs[n++] = famphone(2, 5, "pereira");
    /* number 3: a childminder's, for six children, two of one name */
    for (uint32_t k = 6; k < 12; k++)
        recs[n++] = famphone(3, k, k < 8 ? "mistry" : "okafor");
    /* number 4: a young adult 13 and a child of 3, 21 years apart; number 5: the child and a
     * young adult of 19, 16 years apart: a parent's age, not a sibling's */
    recs[n++] = famphone(4, 13, "vance");
    recs[n++] = famphone(4, 14, "vance");
    recs[n++] = famphone(5, 14, "brook");
    recs[n++] = famphone(5, 15, "brook");
    /* number 6: one child alone */
    recs[n++] = famphone(6, 4, "ashdown");
    struct risk_family_link *links = NULL;
    size_t nl = 0, cap = 0;
    assert_int_equal(risk_family_infer_phone(recs, n, persons, &links, &nl, &cap), 0);
    risk_family_finish(links, &nl);
    assert_true(has_link(links, nl, 0, 1));   /* a slip of the keys */
    assert_true(has_link(links, nl, 0, 2));   /* a part of a double-barrelled name */
    /* "Thornleyy" and "Thornley-Wade" agree by no rule: the household view joins them one
     * step on, through 0 */
    assert_false(has_link(links, nl, 1, 2));
    assert_true(has_link(links, nl, 0, 12));  /* no date of birth, recorded a child */
    assert_false(has_link(links, nl, 0, 3));  /* a parent's age: the mother's own rules */
    assert_false(has_link(links, nl, 4, 5));  /* cousins: names differ */
    assert_false(has_link(links, nl, 6, 7));  /* a childminder's number: six children */
    assert_false(has_link(links, nl, 13, 14)); /* ages of no brothers and sisters */
    assert_false(has_link(links, nl, 14, 15));
    for (size_t i = 0; i < nl; i++) {
        assert_false(links[i].recorded);
        assert_int_equal(links[i].relation, RISK_REL_SIBLING);
        assert_true(links[i].confidence > 0.79f && links[i].confidence < 0.81f);
        assert_non_null(strstr(links[i].basis, "contact phone"));
    }
    svp_free(links);

    /* five children of one family on one number are still a family */
    n = 0;
    for (uint32_t k = 6; k < 11; k++)
        recs[n++] = famphone(7, k, "mistry");
    links = NULL;
    nl = cap = 0;
    assert_int_equal(risk_family_infer_phone(recs, n, persons, &links, &nl, &cap), 0);
    risk_family_finish(links, &nl);
    assert_int_equal(nl, 20);
    svp_free(links);
}

/* ------------------------------------------------------------------ store-backed */

struct fixture {
    char *uri;
    struct store *s;
    int64_t file;
};

#define last_id testutil_last_id
#define insert testutil_insert

/* A record with family name and address, and its own person. */
static int64_t person_rec(struct fixture *f, const char *source, const char *id, const char *dob,
                          const char *family, const char *postcode, const char *address,
                          const char *role, int64_t *record)
{
    char fid[24];
    snprintf(fid, sizeof fid, "%lld", (long long)f->file);
    const char *v[] = {source, "police", id, dob, family, postcode, address, role, fid};
    insert(f->s,
           "INSERT INTO record (source, agency, agency_record_id, dob, family_name, postcode, "
           "address, role, file_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 3)",
           9, v);
    *record = last_id(f->s, "record");
    const char *p[] = {"2026-01-01"};
    insert(f->s, "INSERT INTO person (created_at) VALUES (?)", 1, p);
    int64_t pid = last_id(f->s, "person");
    char r[24], ps[24];
    snprintf(r, sizeof r, "%lld", (long long)*record);
    snprintf(ps, sizeof ps, "%lld", (long long)pid);
    const char *w[] = {r, ps};
    insert(f->s, "INSERT INTO person_record (record_id, person_id) VALUES (?, ?)", 2, w);
    return pid;
}

static int64_t ev(struct fixture *f, int64_t record, const char *type, const char *subtype,
                  const char *start, const char *detail)
{
    static int serial = 0;
    char r[24], id[24], fid[24];
    snprintf(r, sizeof r, "%lld", (long long)record);
    snprintf(id, sizeof id, "Q%d", ++serial);
    snprintf(fid, sizeof fid, "%lld", (long long)f->file);
    const char *v[] = {r, id, type, subtype, start, detail, fid};
    insert(f->s,
           "INSERT INTO event (source, agency, record_id, agency_event_id, type, subtype, "
           "started_at, detail, file_id, line) VALUES ('police', 'police', ?, ?, ?, ?, ?, ?, ?, "
           "5)",
           7, v);
    return last_id(f->s, "event");
}

static void rel(struct fixture *f, const char *kind, int64_t a, int64_t b, int64_t event)
{
    char sa[24], sb[24], se[24];
    snprintf(sa, sizeof sa, "%lld", (long long)a);
    snprintf(sb, sizeof sb, "%lld", (long long)b);
    snprintf(se, sizeof se, "%lld", (long long)event);
    const char *v[] = {kind, sa, sb, event ? se : NULL};
    insert(f->s,
           "INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id) "
           "VALUES ('police', 'police', ?, ?, ?, ?)",
           4, v);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->s = testutil_open_migrated(&f->uri);
    testutil_exec(f->s, "INSERT INTO source_file (source, agency, path, sha256, imported_at) "
                        "VALUES ('t', 'police', 'extracts/police.csv', 'abc', '2026-11-01')");
    f->file = last_id(f->s, "source_file");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    free(f);
    return 0;
}

static double points(const struct risk_person *rp, int ind)
{
    double s = 0;
    for (size_t i = 0; rp && i < rp->nreasons; i++)
        if (rp->reasons[i].indicator == ind)
            s += rp->reasons[i].points;
    return s;
}

static struct risk_panel *build(struct fixture *f)
{
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_panel_opts o = {.as_of = day("2026-11-01"), .no_previous = true,
                                .min_band = RISK_BAND_LOW};
    struct risk_panel *p = NULL;
    if (risk_panel_build(f->s, &w, &o, &p, &err))
        fail_msg("%s", err.msg);
    return p;
}

/* Brother Sam (exploited: suspect with adult dealer Dan), sister Mia (the police record her at
 * the same occurrences as a witness and a victim), their mother Ann (of the same family name
 * and address, she found Mia), and Kai, an unrelated child, co-suspect with Dan. */
struct family_case {
    int64_t sam, mia, ann, dan, kai, rsam, rmia, rann, rdan, rkai;
};

static void family_county(struct fixture *f, struct family_case *k)
{
    const char *addr = "4 Mill Road, Dunmere", *pc = "SV1 2AB";
    k->sam = person_rec(f, "police", "S1", "2011-02-02", "Hale", pc, addr, "child", &k->rsam);
    k->mia = person_rec(f, "police", "S2", "2013-05-05", "HALE", pc, addr, "child", &k->rmia);
    k->ann = person_rec(f, "police", "S3", "1985-01-01", "Hale", pc, addr, "adult", &k->rann);
    k->dan = person_rec(f, "police", "S4", "1995-01-01", "Crane", "SV9 9ZZ", "1 High St",
                        "adult", &k->rdan);
    k->kai = person_rec(f, "police", "S5", "2011-07-07", "Moss", "SV3 3CC", "9 Elm Way", "child",
                        &k->rkai);
    ev(f, k->rdan, "arrest", NULL, "2026-03-01", "{\"offence\":\"drugs_supply\"}");
    /* two occurrences at home: Sam and Dan suspects, Mia a witness, then a victim */
    const char *o1 = "{\"offence\":\"drugs_supply\",\"occurrence_ref\":\"OCC/26/1\"}";
    const char *o2 = "{\"offence\":\"violence\",\"occurrence_ref\":\"OCC/26/2\"}";
    ev(f, k->rsam, "crime", "suspect", "2026-09-01", o1);
    ev(f, k->rdan, "crime", "suspect", "2026-09-01", o1);
    ev(f, k->rmia, "crime", "witness", "2026-09-01", o1);
    ev(f, k->rsam, "crime", "suspect", "2026-10-01", o2);
    ev(f, k->rdan, "crime", "suspect", "2026-10-01", o2);
    ev(f, k->rmia, "crime", "victim", "2026-10-01", o2);
    /* Kai and Dan co-suspects elsewhere */
    const char *o3 = "{\"offence\":\"drugs_supply\",\"occurrence_ref\":\"OCC/26/3\"}";
    ev(f, k->rkai, "crime", "suspect", "2026-10-05", o3);
    ev(f, k->rdan, "crime", "suspect", "2026-10-05", o3);
    /* Mia missing, found with her mother; Sam screened high (on the list) */
    int64_t m = ev(f, k->rmia, "missing_episode", "missing", "2026-10-10", "{}");
    rel(f, "found_with", k->rmia, k->rann, m);
    ev(f, k->rsam, "exploitation_screening", "high", "2026-09-15", "{}");
    ev(f, k->rsam, "intelligence", "county_lines", "2026-09-20", "{}");
}

static void test_family_is_never_association(void **state)
{
    struct fixture *f = *state;
    struct family_case k;
    family_county(f, &k);
    struct risk_panel *p = build(f);
    /* the household is inferred and shown with its evidence */
    const struct risk_family_link *fl;
    size_t nf = risk_panel_family(p, k.mia, &fl);
    assert_int_equal(nf, 2);
    bool mother = false, brother = false;
    for (size_t i = 0; i < nf; i++) {
        int64_t other = p->persons[fl[i].b].person_id;
        mother |= other == k.ann && fl[i].relation == RISK_REL_PARENT;
        brother |= other == k.sam && fl[i].relation == RISK_REL_SIBLING;
        assert_non_null(strstr(fl[i].basis, "family name"));
    }
    assert_true(mother && brother);
    assert_int_equal(risk_panel_family(p, k.dan, &fl), 0);

    struct risk_person *mia = risk_panel_person(p, k.mia);
    struct risk_person *sam = risk_panel_person(p, k.sam);
    struct risk_person *kai = risk_panel_person(p, k.kai);
    /* Mia: a witness, then a victim beside her brother: no association with Dan; found with
     * her mother: no adult after going missing; her brother on the list: exposure */
    assert_true(points(mia, RISK_ADULT_OF_CONCERN) == 0);
    assert_true(points(mia, RISK_PEER_AT_RISK) == 0);
    assert_true(points(mia, RISK_MISSING_FOUND_WITH_ADULT) == 0);
    assert_true(points(mia, RISK_SIBLING_AT_RISK) > 0);
    assert_true(mia->band < RISK_BAND_MEDIUM);
    /* Sam and Kai: co-suspects with an adult of concern */
    assert_true(points(sam, RISK_ADULT_OF_CONCERN) > 0);
    assert_true(points(sam, RISK_PEER_AT_RISK) == 0);
    assert_true(points(kai, RISK_ADULT_OF_CONCERN) > 0);
    assert_true(sam->band >= RISK_BAND_MEDIUM);
    risk_panel_free(&p);

    /* a name in a missing episode's free text, resolved by the link room to Dan (not family):
     * found with an adult; resolved to Mia's mother: family, never an adult */
    int64_t mk = ev(f, k.rkai, "missing_episode", "missing", "2026-10-12", "{}");
    int64_t mm = ev(f, k.rmia, "missing_episode", "missing", "2026-10-14", "{}");
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO link_mention (event_id, name, status, person_id, record_id, "
             "confidence, basis, candidates) VALUES (%lld, 'Dan Crane', 'resolved', %lld, %lld, "
             "1.0, 'name+age+area', 1), (%lld, 'Ann Hale', 'resolved', %lld, %lld, 0.8, "
             "'name+area', 1), (%lld, 'Jo Bloggs', 'unresolved', NULL, NULL, 0, 'none', 0)",
             (long long)mk, (long long)k.dan, (long long)k.rdan, (long long)mm, (long long)k.ann,
             (long long)k.rann, (long long)mk);
    testutil_exec(f->s, sql);
    p = build(f);
    kai = risk_panel_person(p, k.kai);
    mia = risk_panel_person(p, k.mia);
    assert_true(points(kai, RISK_MISSING_FOUND_WITH_ADULT) > 0);
    assert_true(points(mia, RISK_MISSING_FOUND_WITH_ADULT) == 0);
    assert_true(points(mia, RISK_ADULT_OF_CONCERN) == 0);
    risk_panel_free(&p);

    /* a mother of concern is intra-familial harm, its own reason, not association */
    ev(f, k.rann, "arrest", NULL, "2026-02-01", "{\"offence\":\"drugs_supply\"}");
    p = build(f);
    mia = risk_panel_person(p, k.mia);
    assert_true(points(mia, RISK_INTRA_FAMILIAL) > 0);
    assert_true(points(mia, RISK_ADULT_OF_CONCERN) == 0);
    assert_true(points(mia, RISK_MISSING_FOUND_WITH_ADULT) == 0);
    assert_string_equal(risk_relation_name(RISK_REL_PARENT), "parent");
    risk_panel_free(&p);
}

/* Domestic abuse is the household's context, not exploitation evidence (docs/indicators.md,
 * "Domestic abuse in the household"): Rob abuses Bea, Lee's mother; Rob is in an occurrence
 * with Zoe, an unrelated child, as co-suspects. Harm to an adult partner does not make Rob an
 * adult of concern for Zoe; harm to a child (Amy) does. Lee, recorded as the perpetrator of
 * an incident against his mother, is not harmed by her (no intra-familial). His brother
 * Max's own self-harm is not the household's mental ill health (the trio is the adults'). */
static void test_da_is_household_context(void **state)
{
    struct fixture *f = *state;
    const char *addr = "7 Weir Lane, Dunmere", *pc = "SV2 4DE";
    int64_t rlee, rbea, rrob, rzoe, ramy, rmax;
    int64_t lee = person_rec(f, "police", "D1", "2011-03-03", "Ash", pc, addr, "child", &rlee);
    person_rec(f, "police", "D2", "1984-04-04", "Ash", pc, addr, "adult", &rbea);
    int64_t rob =
        person_rec(f, "police", "D3", "1982-05-05", "Kerr", "SV8 1AA", "2 Cole St", "adult", &rrob);
    int64_t zoe =
        person_rec(f, "police", "D4", "2010-06-06", "Penn", "SV5 5EE", "3 Oak Rd", "child", &rzoe);
    int64_t amy =
        person_rec(f, "police", "D5", "2012-07-07", "Lowe", "SV6 6FF", "4 Yew Rd", "child", &ramy);
    int64_t max = person_rec(f, "police", "D6", "2009-08-08", "Ash", pc, addr, "child", &rmax);
    (void)amy;
    /* the incident: Bea the victim, Rob the perpetrator, Lee and Max in the household */
    int64_t da = ev(f, rbea, "da_incident", "high", "2026-08-01", "{\"role\":\"victim\"}");
    ev(f, rlee, "da_incident", "high", "2026-08-01", "{\"role\":\"child_in_household\"}");
    rel(f, "perpetrator", rrob, rbea, da);
    rel(f, "household_member", rbea, rlee, da);
    rel(f, "household_member", rbea, rmax, da);
    /* Rob and Zoe co-suspects; Zoe and Lee each with a sign of their own */
    const char *o = "{\"offence\":\"theft\",\"occurrence_ref\":\"OCC/26/9\"}";
    ev(f, rzoe, "crime", "suspect", "2026-09-01", o);
    ev(f, rrob, "crime", "suspect", "2026-09-01", o);
    ev(f, rzoe, "ed_attendance", "alcohol", "2026-09-02", "{}");
    ev(f, rlee, "ed_attendance", "alcohol", "2026-09-03", "{}");
    /* Max's own self-harm; Lee recorded as perpetrator against his mother */
    ev(f, rmax, "ed_attendance", "self_harm", "2026-07-01", "{}");
    int64_t da2 = ev(f, rbea, "da_incident", "medium", "2026-10-01", "{\"role\":\"victim\"}");
    rel(f, "perpetrator", rlee, rbea, da2);
    struct risk_panel *p = build(f);
    struct risk_person *z = risk_panel_person(p, zoe);
    struct risk_person *l = risk_panel_person(p, lee);
    assert_true(points(z, RISK_ADULT_OF_CONCERN) == 0);
    assert_true(points(l, RISK_INTRA_FAMILIAL) == 0);
    assert_true(points(l, RISK_TOXIC_TRIO) == 0);
    /* beside his own A&E visit for alcohol only, which the household's adversity explains
     * as well as exploitation does: the household's context gives nothing */
    assert_true(points(l, RISK_DA_HOUSEHOLD) == 0);
    assert_true(points(l, RISK_ED_SUBSTANCE) > 0);
    risk_panel_free(&p);
    /* found with drugs at a stop and search, a sign that points outside the home: the
     * household's context counts beside it */
    ev(f, rlee, "stop_search", NULL, "2026-09-04", "{\"found\":1,\"object\":\"drugs\"}");
    p = build(f);
    z = risk_panel_person(p, zoe);
    l = risk_panel_person(p, lee);
    assert_true(points(l, RISK_DA_HOUSEHOLD) > 0);
    /* one person's score, read from the neighbourhood, agrees */
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_panel_opts po = {.as_of = p->as_of, .min_band = RISK_BAND_LOW};
    for (int i = 0; i < 2; i++) {
        struct risk_panel *one = NULL;
        struct risk_person *rp = NULL;
        int64_t id = i ? lee : zoe;
        if (risk_person_score(f->s, &w, &po, id, &one, &rp, &err))
            fail_msg("%s", err.msg);
        assert_true(fabs(rp->score - risk_panel_person(p, id)->score) < 1e-9);
        risk_panel_free(&one);
    }
    risk_panel_free(&p);

    /* Rob recorded as harming a child: of concern from then on, so Zoe's co-suspect is an
     * adult of concern; Bea's drug referral makes a trio with the domestic abuse, which
     * then counts instead of da_household (the household's context counts once) */
    int64_t hurt = ev(f, ramy, "crime", "victim", "2026-06-01", "{\"offence\":\"violence\"}");
    rel(f, "perpetrator", rrob, ramy, hurt);
    ev(f, rbea, "substance_misuse", NULL, "2026-09-10", "{}");
    p = build(f);
    z = risk_panel_person(p, zoe);
    l = risk_panel_person(p, lee);
    assert_true(points(z, RISK_ADULT_OF_CONCERN) > 0);
    assert_true(points(l, RISK_TOXIC_TRIO) > 0);
    assert_true(points(l, RISK_DA_HOUSEHOLD) == 0);
    assert_true(points(l, RISK_INTRA_FAMILIAL) == 0);
    (void)rob;
    (void)max;
    risk_panel_free(&p);

    /* the rule on facts: of da_household and toxic_trio, the one worth more counts */
    svp_day today = day("2026-06-01");
    struct risk_fact fs[4] = {
        {.indicator = RISK_CRIME_EXPLOITATION, .day = today, .share = 1, .event_id = 1},
        {.indicator = RISK_DA_HOUSEHOLD, .day = today, .share = 1, .flags = RISK_FACT_CARE,
         .event_id = 2},
        {.indicator = RISK_TOXIC_TRIO, .day = today - 30, .share = 2, .flags = RISK_FACT_CARE,
         .event_id = 2},
        {.indicator = RISK_TOXIC_TRIO, .day = today - 60, .share = 2, .flags = RISK_FACT_CARE,
         .event_id = 3},
    };
    risk_facts_sort(fs, 4);
    struct risk_reason r[8];
    size_t nr;
    double sc = risk_score_person(&w, today, fs, 4, NULL, r, &nr);
    double trio = w.ind[RISK_TOXIC_TRIO].weight / 2 *
                  (exp2(-30 / w.ind[RISK_TOXIC_TRIO].half_life_days) +
                   exp2(-60 / w.ind[RISK_TOXIC_TRIO].half_life_days));
    double dah = w.ind[RISK_DA_HOUSEHOLD].weight;
    assert_true(trio > dah);
    assert_true(fabs(sc - (w.ind[RISK_CRIME_EXPLOITATION].weight + trio)) < 1e-9);
    for (size_t i = 0; i < nr; i++)
        assert_int_not_equal(r[i].indicator, RISK_DA_HOUSEHOLD);
    /* without the trio, da_household counts */
    sc = risk_score_person(&w, today, fs, 2, NULL, r, &nr);
    assert_true(fabs(sc - (w.ind[RISK_CRIME_EXPLOITATION].weight + dah)) < 1e-9);
    /* the harmed person's record tells a child */
    assert_true(risk_harmed_is_child("2012-07-07", "adult", day("2026-06-01")));
    assert_false(risk_harmed_is_child("1984-04-04", "child", day("2026-06-01")));
    assert_false(risk_harmed_is_child("2008-06-01", "child", day("2026-06-01")));
    assert_true(risk_harmed_is_child(NULL, "child", day("2026-06-01")));
    assert_false(risk_harmed_is_child("", "adult", day("2026-06-01")));
    assert_false(risk_harmed_is_child(NULL, NULL, day("2026-06-01")));
}

/* A placement the missing-person extract does not name (docs/indicators.md, "Care
 * signals"): four children of four families at one address with no parent of theirs there,
 * two of them looked after by children's social care (a children's home), go missing again
 * and again, found nowhere in particular. Their episodes are missing from care, care
 * signals that give no points alone; the one of them with a high-risk screening keeps them.
 * Three brothers and sisters at home with their mother, and three children of three family
 * names at one address whose parent no extract holds and none in care, missing as often,
 * are not placed: their episodes count. Names and addresses are this test's own. */
static void test_placement_inferred(void **state)
{
    struct fixture *f = *state;
    const char *home = "Beech Lodge, Kestrel Lane", *hpc = "SV2 4DE";
    const char *fam = "12 Rowan Close, Dunmere", *fpc = "SV5 1FG";
    const char *mix = "3 Alder Walk, Dunmere", *mpc = "SV6 2HJ";
    int64_t r[11], pid[11];
    pid[0] = person_rec(f, "csc", "P1", "2011-03-04", "Quinlan", hpc, home, "child", &r[0]);
    pid[1] = person_rec(f, "csc", "P2", "2012-06-07", "Petrov", hpc, home, "child", &r[1]);
    pid[2] = person_rec(f, "csc", "P3", "2010-09-10", "Adeyemi", hpc, home, "child", &r[2]);
    pid[3] = person_rec(f, "csc", "P4", "2010-01-02", "Oduya", hpc, home, "child", &r[3]);
    pid[4] = person_rec(f, "csc", "F1", "2011-03-04", "Brennan", fpc, fam, "child", &r[4]);
    pid[5] = person_rec(f, "csc", "F2", "2012-06-07", "Brennan", fpc, fam, "child", &r[5]);
    pid[6] = person_rec(f, "csc", "F3", "2010-09-10", "Brennan", fpc, fam, "child", &r[6]);
    pid[7] = person_rec(f, "csc", "F4", "1984-05-05", "Brennan", fpc, fam, "adult", &r[7]);
    pid[8] = person_rec(f, "csc", "M1", "2011-03-04", "Lindqvist", mpc, mix, "child", &r[8]);
    pid[9] = person_rec(f, "csc", "M2", "2012-06-07", "Carvalho", mpc, mix, "child", &r[9]);
    pid[10] = person_rec(f, "csc", "M3", "2010-09-10", "Okafor", mpc, mix, "child", &r[10]);
    static const char *const when[] = {"2026-05-02", "2026-06-11", "2026-07-19",
                                       "2026-08-23", "2026-09-14", "2026-10-06"};
    for (int c = 0; c < 11; c++)
        if (c != 3 && c != 7)
            for (int k = 0; k < 6; k++)
                ev(f, r[c], "missing_episode", "missing", when[k], "{\"risk_level\":\"medium\"}");
    for (int k = 0; k < 6; k++)
        ev(f, r[3], "missing_episode", "missing", when[k], "{}");
    ev(f, r[3], "exploitation_screening", "high", "2026-09-20", "{}");
    ev(f, r[0], "looked_after", "s20", "2025-11-01", "{}");
    ev(f, r[1], "placement", "residential", "2026-01-15", "{}");
    struct risk_panel *p = build(f);
    struct risk_person *q[11];
    for (int c = 0; c < 11; c++)
        q[c] = risk_panel_person(p, pid[c]);
    for (int c = 0; c < 3; c++) { /* placed, nothing else: the episodes give nothing */
        assert_non_null(q[c]);
        assert_true(points(q[c], RISK_MISSING_EPISODE) == 0);
        assert_true(points(q[c], RISK_MISSING_FROM_CARE) == 0);
        assert_true(q[c]->score < q[4 + c]->score);
        assert_true(q[c]->care_flag);
    }
    /* placed, with a high screening: the care signals count beside it */
    assert_true(points(q[3], RISK_MISSING_FROM_CARE) > 0);
    assert_true(points(q[3], RISK_MISSING_EPISODE) > 0);
    for (int c = 4; c < 11; c++) { /* a family at home, a family whose parent is missing */
        if (c == 7)
            continue;
        assert_true(points(q[c], RISK_MISSING_EPISODE) > 0);
        assert_true(points(q[c], RISK_MISSING_FROM_CARE) == 0);
    }
    /* one person's score without the panel reads the home the same way */
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_panel_opts o = {.as_of = day("2026-11-01"), .no_previous = true,
                                .min_band = RISK_BAND_LOW};
    static const int one_of[] = {2, 3, 6, 9};
    for (int k = 0; k < 4; k++) {
        int c = one_of[k];
        struct risk_panel *one = NULL;
        struct risk_person *rp = NULL;
        if (risk_person_score(f->s, &w, &o, pid[c], &one, &rp, &err))
            fail_msg("%s", err.msg);
        assert_true(fabs(rp->score - q[c]->score) < 1e-9);
        risk_panel_free(&one);
    }
    risk_panel_free(&p);
}

static void test_quality_truth_and_measures(void **state)
{
    struct fixture *f = *state;
    struct family_case k;
    family_county(f, &k);
    struct risk_quality q;
    memset(&q, 0, sizeof q);
    struct risk_quality_child *c = NULL;
    size_t n = 0;
    struct svp_err err;
    /* bad files name the line and column */
    static const char *const bad[] = {
        "who,kind\nx,exploited\n",         "child,kind\n,exploited\n",
        "child,kind\npolice:S1,victim\n",   "child,kind,first_harm\npolice:S1,exploited,26-1\n",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&q, 0, sizeof q);
        assert_int_equal(risk_quality_truth_parse(bad[i], strlen(bad[i]), "truth.csv", &q, &c,
                                                  &n, &err),
                         SVP_EINPUT);
        assert_string_equal(err.file, "truth.csv");
        assert_true(err.line >= 1);
        assert_true(err.msg[0] != '\0');
        assert_null(c);
    }
    memset(&q, 0, sizeof q);
    const char *good = "child,kind,first_harm\n"
                       "police:S1,exploited,2026-08\n"
                       "police:S5,exploited:cce,2026-09-15\n"
                       "police:S2,decoy:sibling,\n"
                       "police:NOPE,decoy:care_missing,\n";
    assert_int_equal(risk_quality_truth_parse(good, strlen(good), "truth.csv", &q, &c, &n, &err),
                     0);
    assert_int_equal(n, 4);
    assert_int_equal(q.nkinds, 2);
    struct risk_weights w;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_quality_opts o = {.as_of = day("2026-11-01"), .k = 2, .months = true};
    if (risk_quality_run(f->s, &w, &o, c, n, &q, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(q.nexploited, 2);
    assert_int_equal(q.ndecoys, 2);
    assert_int_equal(q.nunknown, 1);
    assert_int_equal(q.k, 2);
    /* Sam and Kai are the top two; Mia is not in the top K */
    assert_int_equal(q.svp.hits, 2);
    assert_true(q.svp.recall == 1.0);
    assert_true(q.svp.precision == 1.0);
    assert_true(fabs(q.svp.auprc - 1.0) < 1e-9);
    assert_int_equal(q.svp.decoys_top[0] + q.svp.decoys_top[1], 0);
    /* the baseline (missing episodes) ranks Mia alone */
    assert_int_equal(q.baseline.hits, 0);
    assert_true(q.months_done);
    assert_int_equal(q.svp.entered, 2);
    assert_true(q.svp.months_max <= 2);
    svp_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found_with_by_who),
        cmocka_unit_test(test_attendance_from_sessions),
        cmocka_unit_test(test_attendance_flat_as_parsed),
        cmocka_unit_test(test_attendance_decline_boundaries),
        cmocka_unit_test(test_care_signals_need_exploitation),
        cmocka_unit_test(test_family_by_age_and_address),
        cmocka_unit_test(test_family_names_slips_and_swaps),
        cmocka_unit_test(test_phone_norm),
        cmocka_unit_test(test_family_contact_phone),
        cmocka_unit_test_setup_teardown(test_family_is_never_association, setup, teardown),
        cmocka_unit_test_setup_teardown(test_da_is_household_context, setup, teardown),
        cmocka_unit_test_setup_teardown(test_placement_inferred, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quality_truth_and_measures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
