/* The risk room's faster paths give what the plain ones give: an event's detail reduced to
 * the keys the room reads (risk_detail_slim) classifies as the whole parse does; the
 * bucketed sort and the radix order are stable sorts; names one slip apart give the same
 * links whichever way their carriers are counted, family keys whichever way they are sorted;
 * the test for one edit apart agrees with the distance; one person's neighbourhood (risk_scope_records) stops at
 * adults and at records with no address or postcode, and the person's score from it is the
 * panel's. Store-backed tests run on SQLite and PostgreSQL. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "link/link.h"
#include "risk/risk.h"
#include "risk/risk_int.h"

/* ------------------------------------------------------------------ details */

static void classify_both_ways(const char *type, const char *subtype, const char *text)
{
    json_error_t je;
    json_t *full = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    json_t *slim = NULL;
    int how = risk_detail_slim(text, &slim);
    assert_true(how == 0 || how == 1);
    if (how == 0) { /* not flat: the caller parses it whole */
        assert_null(slim);
        json_decref(full);
        return;
    }
    /* a key twice: jansson refuses the text, and so no detail either way */
    assert_true((full == NULL) == (slim == NULL));
    int a[8], b[8];
    struct risk_event_in in = {.type = type, .subtype = subtype, .detail = full};
    int na = risk_classify_event(&in, a);
    in.detail = slim;
    int nb = risk_classify_event(&in, b);
    if (na != nb)
        fail_msg("%s %s: %d indicators from the whole parse, %d from the reduced", type, text,
                 na, nb);
    for (int i = 0; i < na; i++)
        assert_int_equal(a[i], b[i]);
    double pa = -1, pb = -1;
    assert_int_equal(risk_attendance_pct(full, &pa), risk_attendance_pct(slim, &pb));
    assert_true(pa == pb);
    json_decref(full);
    json_decref(slim);
}

static void test_detail_slim_classifies_alike(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"missing_episode", NULL,
         "{\"risk_level\":\"high\",\"looked_after\":1,\"found_out_of_county\":1,"
         "\"found_place\":\"street\",\"extra\":\"x\"}"},
        {"missing_episode", NULL, "{\"reported_by\":\"placement\",\"found_place\":\"Home\"}"},
        {"missing_episode", NULL, "{\"looked_after\":true,\"found_out_of_county\":0}"},
        {"missing_episode", NULL, "{\"looked_after\":1.0}"}, /* a real is no flag */
        {"missing_episode", NULL, "{\"found_with\":{\"codes\":[\"older_males\"]}}"},
        {"return_interview", NULL, "{\"outcome\":\"declined\",\"disclosures\":[\"cce\"]}"},
        {"return_interview", NULL, "{\"outcome\":\"not_offered\"}"},
        {"exploitation_screening", NULL, "{\"risk_level\":\"medium\"}"},
        {"intelligence", NULL, "{\"category\":\"county_lines\",\"grading\":\"B2\"}"},
        {"nrm_referral", NULL, "{\"decision\":\"negative\"}"},
        {"contact", NULL, "{\"reason\":\"cse\",\"source_agency\":\"school\"}"},
        {"referral", NULL, "{\"reason\":\"neglect\",\"outcome\":\"nfa\"}"},
        {"assessment", NULL, "{\"factors\":\"gangs\"}"},
        {"crime", "suspect", "{\"offence\":\"drugs_supply\",\"occurrence_ref\":\"OR1\"}"},
        {"crime", "victim", "{\"offence\":\"exploitation\"}"},
        {"crime", NULL, "{\"role\":\"offender\",\"offence\":\"weapon_possession\"}"},
        {"crime", "suspect", "{\"weapon\":\"knife\",\"offence\":\"robbery\"}"},
        {"incident", NULL, "{\"role\":\"suspect\",\"offence\":\"assault\"}"},
        {"arrest", NULL, "{\"offence\":\"violence_weapon\"}"},
        {"stop_search", NULL, "{\"found\":1,\"object\":\"drugs\"}"},
        {"stop_search", NULL, "{\"found\":false,\"object\":\"weapon\"}"},
        {"da_incident", NULL,
         "{\"role\":\"child_in_household\",\"dash_risk\":\"high\",\"dash_01\":1,"
         "\"dash_02\":0,\"marac_referred\":1}"},
        {"da_incident", NULL, "{\"children_present\":1,\"dash_risk\":\"standard\"}"},
        {"da_incident", NULL, "{\"role\":\"victim\",\"role\":\"victim\"}"}, /* a key twice */
        {"school_attendance", NULL,
         "{\"sessions_possible\":120,\"sessions_missed\":70,\"school_urn\":\"1\"}"},
        {"school_attendance", NULL, "{\"attendance_pct\":88.5,\"persistent_absence\":1}"},
        {"school_attendance", NULL, "{\"sessions_possible\":100,\"sessions_attended\":45}"},
        {"exclusion", NULL, "{\"exclusion_type\":\"permanent\"}"},
        {"ed_attendance", NULL, "{\"reason\":\"stab_wound\",\"arrival_mode\":\"ambulance\"}"},
        {"ed_attendance", NULL, "{\"reason\":null}"},
        {"sexual_health", "sti", "{\"cse_concern\":1}"},
        {"placement", NULL, "{\"out_of_county\":1,\"provider\":\"x\"}"},
        {"placement", NULL, "{\"out_of_county\":-0}"},
        {"placement", NULL, "{\"out_of_county\":123456789012345}"},
        {"placement", NULL, "{}"},
        {"placement", NULL, "[1]"},
        {"placement", NULL, "{\"out_of_county\":1e2}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        classify_both_ways(cases[i][0], cases[i][1], cases[i][2]);
    json_t *d = NULL;
    assert_int_equal(risk_detail_slim("{\"a\":{\"b\":1}}", &d), 0); /* nested: jansson's */
    assert_null(d);
    assert_int_equal(risk_detail_slim(NULL, &d), 0);
    /* only the keys the room reads are kept */
    assert_int_equal(risk_detail_slim("{\"role\":\"victim\",\"dash_01\":1}", &d), 1);
    assert_int_equal(json_object_size(d), 1);
    assert_string_equal(json_string_value(json_object_get(d, "role")), "victim");
    json_decref(d);
}

/* ------------------------------------------------------------------ bucketed sort */

struct item {
    uint32_t person;
    int day;
    int serial; /* input order: a stable sort keeps it among equals */
};

static uint32_t item_person(const void *a)
{
    return ((const struct item *)a)->person;
}

static int cmp_item(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return (x->day > y->day) - (x->day < y->day);
}

static void test_sort_bucketed_is_stable(void **state)
{
    (void)state;
    srand(7);
    /* small buckets (insertion), a bucket of 200 (qsort), and persons sparse enough that the
     * comparison alone sorts */
    for (int round = 0; round < 3; round++) {
        size_t n = 3000;
        struct item *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
        for (size_t i = 0; i < n; i++) {
            uint32_t p = round == 2 ? (uint32_t)rand() * 4096u : (uint32_t)(rand() % 500);
            if (round == 1 && i % 15 == 0)
                p = 42;
            a[i] = (struct item){p, rand() % 5, (int)i};
        }
        memcpy(b, a, n * sizeof *a);
        risk_sort_bucketed(a, n, sizeof *a, item_person, cmp_item);
        /* a stable reference: insertion sort */
        for (size_t i = 1; i < n; i++) {
            struct item x = b[i];
            size_t j = i;
            while (j > 0 && cmp_item(&b[j - 1], &x) > 0) {
                b[j] = b[j - 1];
                j--;
            }
            b[j] = x;
        }
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(a[i].person, b[i].person);
            assert_int_equal(a[i].day, b[i].day);
            assert_int_equal(a[i].serial, b[i].serial);
        }
        free(a);
        free(b);
    }
    risk_sort_bucketed(NULL, 0, sizeof(struct item), item_person, cmp_item);
}

/* ------------------------------------------------------------------ names one slip apart */

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

static int cmp_by_person(const void *a, const void *b)
{
    const struct risk_famname *x = a, *y = b;
    return (x->person > y->person) - (x->person < y->person);
}

/* The family links of two runs (owned, freed here), finished, are one and the same list. */
static void expect_same_links(struct risk_family_link *la, size_t na,
                              struct risk_family_link *lb, size_t nb)
{
    risk_family_finish(la, &na);
    risk_family_finish(lb, &nb);
    assert_true(na > 0);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(la[i].a, lb[i].a);
        assert_int_equal(la[i].b, lb[i].b);
        assert_int_equal(la[i].relation, lb[i].relation);
        assert_string_equal(la[i].basis, lb[i].basis);
    }
    svp_free(la);
    svp_free(lb);
}

/* The links of names under postcodes, their carriers counted by hash (entries by person, as
 * the loader makes them) and by sorting (in any other order): the same. */
static void test_family_names_either_count(void **state)
{
    (void)state;
    struct risk_person persons[40];
    memset(persons, 0, sizeof persons);
    for (int i = 0; i < 40; i++) {
        persons[i].person_id = i + 1;
        persons[i].age = i % 7 == 3 ? 41 : 6 + i % 11;
        persons[i].child = persons[i].age < 18;
    }
    static const char *const fam[] = {"thornley", "thornleyy", "ludgrove", "ludgrovr",
                                      "joe", "griffithsharpe", "griffith", "tate"};
    static const char *const giv[] = {"joe", "amelia", "ludgrove", "oliver", "griffith"};
    /* and 3,000 names of their own under postcodes of their own, so that the table of
     * names grows (from 4,096 slots) while it counts */
    size_t cap = 160 + 3000;
    struct risk_famname *recs = malloc(cap * sizeof *recs);
    size_t n = 0;
    srand(11);
    for (uint32_t p = 0; p < 40; p++) {
        for (int k = 0; k < 2; k++) {
            uint64_t key = 1 + (p + (uint32_t)k) % 4;
            recs[n++] = famname(key, p, fam[rand() % 8], false);
            recs[n++] = famname(key, p, giv[rand() % 5], true);
        }
        for (int k = 0; k < 75; k++) {
            char name[16];
            snprintf(name, sizeof name, "zz%ux%d", p, k);
            recs[n++] = famname(1000 + p * 100 + (uint64_t)k, p, name, false);
        }
    }
    assert_int_equal(n, cap);
    struct risk_famname *shuffled = malloc(n * sizeof *shuffled);
    for (size_t i = 0; i < n; i++)
        shuffled[i] = recs[(i * 7) % n]; /* n = 3,160: 7 is coprime, a permutation */
    qsort(recs, n, sizeof *recs, cmp_by_person);
    struct risk_family_link *la = NULL, *lb = NULL;
    size_t na = 0, nb = 0, ca = 0, cb = 0;
    assert_int_equal(risk_family_infer_names(recs, n, persons, &la, &na, &ca), 0);
    assert_int_equal(risk_family_infer_names(shuffled, n, persons, &lb, &nb, &cb), 0);
    expect_same_links(la, na, lb, nb);
    free(shuffled);
    free(recs);
}

/* ------------------------------------------------------------------ radix order, one edit */

struct keyed {
    uint64_t key;
    uint32_t serial;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->serial > y->serial) - (x->serial < y->serial);
}

/* risk_order_key64 is a stable sort: keys anywhere in 64 bits, keys sharing their high or
 * low digits (passes skipped), and many equal keys, against qsort of key and position. */
static void test_order_key64_is_stable(void **state)
{
    (void)state;
    size_t n = 20000;
    uint64_t *keys = malloc(n * sizeof *keys);
    uint32_t *perm = malloc(n * sizeof *perm);
    struct keyed *ref = malloc(n * sizeof *ref);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            keys[i] = round == 0   ? x
                      : round == 1 ? x % 97                   /* many equal, high digits 0 */
                      : round == 2 ? (x % 13) << 48           /* low digits all 0 */
                                   : 0xFFFFFFFFFFFFFFFFull - x % 3; /* the top of the range */
            ref[i] = (struct keyed){keys[i], (uint32_t)i};
        }
        assert_int_equal(risk_order_key64(keys, n, perm), 0);
        qsort(ref, n, sizeof *ref, cmp_keyed);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(perm[i], ref[i].serial);
    }
    assert_int_equal(risk_order_key64(keys, 0, perm), 0);
    free(keys);
    free(perm);
    free(ref);
}

/* Family keys sorted by the radix order (entries by person, as the loader makes them) and by
 * comparison (any other order) give the same links. */
static void test_family_infer_either_sort(void **state)
{
    (void)state;
    struct risk_person persons[300];
    memset(persons, 0, sizeof persons);
    for (int i = 0; i < 300; i++) {
        persons[i].person_id = i + 1;
        persons[i].age = i % 5 == 2 ? 38 + i % 9 : 3 + i % 15;
        persons[i].child = persons[i].age < 18;
    }
    size_t n = 3000;
    struct risk_famrec *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    static const int hows[] = {RISK_FAM_ADDRESS, RISK_FAM_ADDRESS_SOUND, RISK_FAM_POSTCODE};
    for (int h = 0; h < 3; h++) {
        int how = hows[h];
        for (size_t i = 0; i < n; i++) /* by person; 1,200 keys, so that groups form */
            a[i] = (struct risk_famrec){1 + (i * 2654435761u) % 1200, (uint32_t)(i / 10)};
        for (size_t i = 0; i < n; i++)
            b[i] = a[(i * 7) % n]; /* 7 is coprime with 3,000: a permutation */
        struct risk_family_link *la = NULL, *lb = NULL;
        size_t na = 0, nb = 0, ca = 0, cb = 0;
        assert_int_equal(risk_family_infer(a, n, persons, how, &la, &na, &ca), 0);
        assert_int_equal(risk_family_infer(b, n, persons, how, &lb, &nb, &cb), 0);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(a[i].key, b[i].key);
            assert_int_equal(a[i].person, b[i].person);
        }
        expect_same_links(la, na, lb, nb);
    }
    free(a);
    free(b);
}

/* link_dl_within_one says what link_dl_distance(..., 1) <= 1 says: names of a few letters
 * from a small alphabet (so that slips, swaps and repeats abound), and the long ones. */
static void test_dl_within_one(void **state)
{
    (void)state;
    uint64_t x = 12345;
    char a[16], b[16];
    int near = 0;
    for (int n = 0; n < 200000; n++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t la = x % 7, lb = la + (x >> 3) % 3;
        lb = lb > 0 ? lb - 1 : 0;
        for (size_t i = 0; i < la; i++)
            a[i] = (char)('a' + (x >> (8 + 2 * i)) % 3);
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        /* b: a slip of a, or letters of its own */
        for (size_t i = 0; i < lb; i++)
            b[i] = i < la && (x & 1) ? a[i] : (char)('a' + (x >> (8 + 2 * i)) % 3);
        if (la >= 2 && lb == la && (x & 6) == 6) {
            memcpy(b, a, la);
            size_t k = (x >> 40) % (la - 1);
            b[k] = a[k + 1], b[k + 1] = a[k];
        }
        bool want = link_dl_distance(a, la, b, lb, 1) <= 1;
        near += want;
        assert_int_equal(link_dl_within_one(a, la, b, lb), want);
        assert_int_equal(link_dl_within_one(b, lb, a, la), want);
    }
    assert_true(near > 10000);
    char big[300];
    memset(big, 'a', sizeof big);
    assert_false(link_dl_within_one(big, 256, big, 256));
    assert_true(link_dl_distance(big, 256, big, 256, 1) > 1);
}

/* ------------------------------------------------------------------ one person's neighbourhood */

struct fixture {
    struct store *s;
    char *uri;
    int64_t file;
};

#define last_id testutil_last_id
#define insert testutil_insert

/* A person of one record: family name, postcode (NULL: none), date of birth. */
static int64_t one(struct fixture *f, const char *id, const char *family, const char *postcode,
                   const char *dob, int64_t *record)
{
    char fid[24];
    snprintf(fid, sizeof fid, "%lld", (long long)f->file);
    const char *v[] = {id, family, postcode, dob, fid};
    insert(f->s,
           "INSERT INTO record (source, agency, agency_record_id, family_name, postcode, dob, "
           "sex, role, file_id, line) VALUES ('police', 'police', ?, ?, ?, ?, 'M', 'child', ?, "
           "1)",
           5, v);
    *record = last_id(f->s, "record");
    const char *w[] = {"2026-01-01"};
    insert(f->s, "INSERT INTO person (created_at) VALUES (?)", 1, w);
    int64_t pid = last_id(f->s, "person");
    char r[24], p[24];
    snprintf(r, sizeof r, "%lld", (long long)*record);
    snprintf(p, sizeof p, "%lld", (long long)pid);
    const char *x[] = {r, p};
    insert(f->s, "INSERT INTO person_record (record_id, person_id) VALUES (?, ?)", 2, x);
    return pid;
}

static void event(struct fixture *f, int64_t record, const char *type, const char *subtype,
                  const char *day, const char *detail)
{
    static int serial;
    char r[24], id[24], fid[24];
    snprintf(r, sizeof r, "%lld", (long long)record);
    snprintf(id, sizeof id, "S%d", ++serial);
    snprintf(fid, sizeof fid, "%lld", (long long)f->file);
    const char *v[] = {id, r, type, subtype, day, detail, fid};
    insert(f->s,
           "INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, "
           "started_at, detail, file_id, line) VALUES ('police', 'police', ?, ?, ?, ?, ?, ?, "
           "?, 1)",
           7, v);
}

static void link2(struct fixture *f, const char *kind, int64_t a, int64_t b)
{
    char sa[24], sb[24];
    snprintf(sa, sizeof sa, "%lld", (long long)a);
    snprintf(sb, sizeof sb, "%lld", (long long)b);
    const char *v[] = {kind, sa, sb};
    insert(f->s,
           "INSERT INTO relationship (source, agency, kind, record_a, record_b) VALUES "
           "('police', 'police', ?, ?, ?)",
           3, v);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->s = testutil_open_migrated(&f->uri);
    testutil_exec(f->s, "INSERT INTO source_file (source, agency, path, sha256, imported_at) "
                        "VALUES ('t', 'police', 'police.csv', 'abc', '2026-11-01')");
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

/* A child A co-offends with an adult X (a drug supplier) and with a child D; X also with
 * a child B, who is found with an adult Y; D with an adult Z. Two children with no address
 * and no postcode (E, F) and one at A's postcode (G). A's score reads A, X, D, Z (D may be
 * a peer on the list, by D's own links) and G (the family inference at A's postcode), never
 * B or Y (through an adult: X's other links change no score of A's) nor E and F (no address
 * and no postcode is no shared place). */
static void test_person_neighbourhood(void **state)
{
    struct fixture *f = *state;
    int64_t ra, rx, rd, rz, rb, ry, re, rf, rg;
    int64_t a = one(f, "A", "Ashby", "SV1 1AA", "2009-05-01", &ra);
    one(f, "X", "Xavier", "SV9 9XX", "1990-01-01", &rx);
    one(f, "D", "Dunn", "SV2 2DD", "2009-07-01", &rd);
    one(f, "Z", "Zeller", "SV3 3ZZ", "1985-01-01", &rz);
    one(f, "B", "Baker", "SV4 4BB", "2010-01-01", &rb);
    one(f, "Y", "Young", "SV5 5YY", "1980-01-01", &ry);
    int64_t e = one(f, "E", "Evans", NULL, "2010-02-01", &re);
    one(f, "F", "Fox", NULL, "2010-03-01", &rf);
    one(f, "G", "Gray", "SV1 1AA", "2011-03-01", &rg);
    link2(f, "co_offender", ra, rx);
    link2(f, "co_offender", ra, rd);
    link2(f, "co_offender", rb, rx);
    link2(f, "found_with", rb, ry);
    link2(f, "co_offender", rd, rz);
    event(f, rx, "crime", "suspect", "2026-06-01", "{\"offence\":\"drugs_supply\"}");
    event(f, rz, "crime", "suspect", "2026-06-02", "{\"offence\":\"weapon_possession\"}");
    for (int64_t r = ra; r <= rg; r++)
        event(f, r, "missing_episode", NULL, "2026-09-01", "{\"risk_level\":\"high\"}");
    event(f, rd, "exploitation_screening", "high", "2026-09-05", NULL);
    event(f, ra, "ed_attendance", "stab_wound", "2026-09-06", NULL);
    svp_day as_of;
    assert_int_equal(svp_date_parse_iso("2026-11-01", 10, &as_of, NULL), SVP_OK);
    uint8_t *scope = NULL;
    int64_t max = 0;
    struct svp_err err;
    assert_int_equal(risk_scope_records(f->s, false, a, as_of, &scope, &max, &err), 0);
    assert_true(max >= rg);
    int64_t in[] = {ra, rx, rd, rz, rg}, out[] = {rb, ry, re, rf};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_int_equal(scope[in[i]], 1);
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        assert_int_equal(scope[out[i]], 0);
    svp_free(scope);
    /* E, with no address and no postcode, is alone */
    assert_int_equal(risk_scope_records(f->s, false, e, as_of, &scope, &max, &err), 0);
    for (int64_t r = 1; r <= max; r++)
        assert_int_equal(scope[r], r == re);
    svp_free(scope);

    /* every child's score from the neighbourhood is the panel's */
    struct risk_weights w;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_panel_opts o = {.as_of = as_of, .no_previous = true};
    struct risk_panel *p = NULL;
    assert_int_equal(risk_panel_build(f->s, &w, &o, &p, &err), 0);
    size_t scored = 0;
    for (size_t i = 0; i < p->npersons; i++) {
        struct risk_person *whole = risk_panel_person(p, p->persons[i].person_id);
        struct risk_panel *onep = NULL;
        struct risk_person *rp = NULL;
        if (risk_person_score(f->s, &w, &o, whole->person_id, &onep, &rp, &err))
            fail_msg("person %lld: %s", (long long)whole->person_id, err.msg);
        assert_int_equal(rp->status, whole->status);
        assert_true(fabs(rp->score - whole->score) < 1e-9);
        assert_int_equal(rp->nreasons, whole->nreasons);
        for (size_t k = 0; k < rp->nreasons; k++) {
            assert_int_equal(rp->reasons[k].indicator, whole->reasons[k].indicator);
            assert_true(fabs(rp->reasons[k].points - whole->reasons[k].points) < 1e-9);
            assert_int_equal(rp->reasons[k].other_person_id, whole->reasons[k].other_person_id);
        }
        scored += rp->status == RISK_SCORED && rp->score > 0;
        risk_panel_free(&onep);
    }
    assert_true(scored >= 5);
    /* A's peer D is on the list by D's own screening and adult of concern: A's score has it */
    struct risk_person *ap = risk_panel_person(p, a);
    bool peer = false;
    for (size_t k = 0; k < ap->nreasons; k++)
        peer |= ap->reasons[k].indicator == RISK_PEER_AT_RISK;
    assert_true(peer);
    risk_panel_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detail_slim_classifies_alike),
        cmocka_unit_test(test_sort_bucketed_is_stable),
        cmocka_unit_test(test_family_names_either_count),
        cmocka_unit_test(test_order_key64_is_stable),
        cmocka_unit_test(test_family_infer_either_sort),
        cmocka_unit_test(test_dl_within_one),
        cmocka_unit_test_setup_teardown(test_person_neighbourhood, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
