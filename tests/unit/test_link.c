/* Unit tests for the link room: comparators with hand-worked values, blocking, the model,
 * clustering and its guards, and the store side (stable ids, incremental = full, review). */
#include "testutil.h"
#include "link/link.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JW(a, b) link_jaro_winkler(a, strlen(a), b, strlen(b))
#define OSA(a, b) link_osa_distance(a, strlen(a), b, strlen(b), -1)
#define DL(a, b) link_dl_distance(a, strlen(a), b, strlen(b), -1)

/* Winkler's Jaro as the textbook writes it (flag arrays, window loop): the reference the
 * bit-parallel version must agree with exactly. */
static double jaro_ref(const char *a, size_t al, const char *b, size_t bl)
{
    size_t range = (al > bl ? al : bl) / 2;
    range = range > 0 ? range - 1 : 0;
    char fa[64] = {0}, fb[64] = {0};
    size_t common = 0, trans = 0, k = 0;
    for (size_t i = 0; i < al; i++)
        for (size_t j = i > range ? i - range : 0; j < bl && j <= i + range; j++)
            if (!fb[j] && a[i] == b[j]) {
                fa[i] = fb[j] = 1;
                common++;
                break;
            }
    if (!common)
        return 0.0;
    for (size_t i = 0; i < al; i++) {
        if (!fa[i])
            continue;
        while (!fb[k])
            k++;
        trans += a[i] != b[k++];
    }
    double c = (double)common;
    return (c / (double)al + c / (double)bl + (c - (double)(trans / 2)) / c) / 3.0;
}

static void test_jaro_window(void **state)
{
    (void)state;
    /* random strings over a small alphabet (many matches, many transpositions), every length
     * from 1 to 64 on either side: the window edges, the longest window, b shorter than a */
    unsigned x = 12345;
    char a[65], b[65];
    for (int t = 0; t < 20000; t++) {
        size_t al = 1 + (x = x * 1103515245u + 12345u) % 64;
        x = x * 1103515245u + 12345u;
        size_t bl = 1 + (x >> 8) % 64;
        for (size_t i = 0; i < al; i++)
            a[i] = (char)('a' + ((x = x * 1103515245u + 12345u) >> 16) % 4);
        for (size_t i = 0; i < bl; i++)
            b[i] = (char)('a' + ((x = x * 1103515245u + 12345u) >> 16) % 4);
        if (t % 7 == 0) {
            bl = al;
            memcpy(b, a, al);
        }
        assert_true(link_jaro(a, al, b, bl) == jaro_ref(a, al, b, bl));
    }
}

static void test_jaro_winkler(void **state)
{
    (void)state;
    /* Winkler's worked examples: MARTHA/MARHTA: m = 6, t = 1, jaro = 17/18 = 0.9444;
     * prefix 3 -> 0.9444 + 0.3 * 0.0556 = 0.9611. DWAYNE/DUANE: m = 4, t = 0,
     * jaro = (4/6 + 4/5 + 1) / 3 = 0.8222, prefix 1 -> 0.84. DIXON/DICKSONX: m = 4,
     * jaro = (4/5 + 4/8 + 1) / 3 = 0.7667, prefix 2 -> 0.8133. */
    assert_true(fabs(JW("martha", "marhta") - 0.961111111111) < 1e-9);
    assert_true(fabs(JW("dwayne", "duane") - 0.84) < 1e-9);
    assert_true(fabs(JW("dixon", "dicksonx") - 0.813333333333) < 1e-9);
    assert_true(fabs(link_jaro("martha", 6, "marhta", 6) - 17.0 / 18.0) < 1e-9);
    assert_true(JW("", "abc") == 0.0);
    assert_true(JW("abc", "abc") == 1.0);
    assert_true(JW("abc", "xyz") == 0.0);
    /* long strings take the general path and agree with the bit-parallel one on a prefix */
    char a[100], b[100];
    memset(a, 'a', 99), a[99] = 0;
    memcpy(b, a, 100), b[50] = 'b';
    assert_true(JW(a, b) > 0.98 && JW(a, b) < 1.0);
}

/* A plain dynamic-programming OSA distance, the reference for the bit-parallel one. */
static int osa_ref(const char *a, const char *b)
{
    int n = (int)strlen(a), m = (int)strlen(b), d[40][40];
    for (int i = 0; i <= n; i++)
        d[i][0] = i;
    for (int j = 0; j <= m; j++)
        d[0][j] = j;
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= m; j++) {
            int c = a[i - 1] != b[j - 1], v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + c < v)
                v = d[i - 1][j - 1] + c;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(OSA("kitten", "sitting"), 3);
    assert_int_equal(OSA("ca", "ac"), 1);
    assert_int_equal(OSA("ca", "abc"), 3); /* OSA may not edit a transposed pair again */
    assert_int_equal(DL("ca", "abc"), 2);  /* unrestricted Damerau-Levenshtein may */
    assert_int_equal(OSA("", "abc"), 3);
    assert_int_equal(DL("smith", "smyth"), 1);
    assert_int_equal(link_osa_distance("kitten", 6, "sitting", 7, 1), 2); /* bounded: max+1 */
    assert_int_equal(link_dl_distance("abcdef", 6, "a", 1, 2), 3);
    unsigned seed = 7;
    for (int k = 0; k < 5000; k++) {
        char a[20], b[20];
        int n = (int)(rand_r(&seed) % 12), m = (int)(rand_r(&seed) % 12);
        for (int i = 0; i < n; i++)
            a[i] = (char)('a' + rand_r(&seed) % 4);
        for (int i = 0; i < m; i++)
            b[i] = (char)('a' + rand_r(&seed) % 4);
        a[n] = b[m] = 0;
        assert_int_equal(OSA(a, b), osa_ref(a, b));
        assert_true(DL(a, b) <= OSA(a, b));
    }
}

static void test_phonetic(void **state)
{
    (void)state;
    char x[16], y[16];
    struct {
        const char *a, *b;
        bool same;
    } cases[] = {
        {"mcdonald", "macdonald", true}, {"stephen", "steven", true},
        {"philips", "filips", true},     {"thompson", "tomson", false},
        {"knight", "night", true},       {"smith", "smyth", true},
        {"leigh", "lee", true},          {"catherine", "kathryn", true},
        {"jones", "brown", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        link_phonetic(cases[i].a, strlen(cases[i].a), x, sizeof x);
        link_phonetic(cases[i].b, strlen(cases[i].b), y, sizeof y);
        if ((strcmp(x, y) == 0) != cases[i].same)
            fail_msg("%s (%s) vs %s (%s)", cases[i].a, x, cases[i].b, y);
    }
    link_phonetic("smith", 5, x, sizeof x);
    assert_string_equal(x, "SM0");
    link_phonetic("abc", 3, x, 2); /* capped */
    assert_int_equal(strlen(x), 1);
}

static void test_nicknames(void **state)
{
    (void)state;
    struct svp_err err;
    struct link_nicknames *t = NULL;
    assert_int_equal(link_nicknames_default(&t, &err), 0);
    assert_true(link_nicknames_equiv(t, "robert", "bob"));
    assert_true(link_nicknames_equiv(t, "bob", "robert"));
    assert_true(link_nicknames_equiv(t, "margaret", "peggy"));
    assert_true(link_nicknames_equiv(t, "bob", "robby")); /* both stand for robert */
    assert_false(link_nicknames_equiv(t, "robert", "margaret"));
    assert_false(link_nicknames_equiv(t, "zzyzx", "bob"));
    /* spelling and language variants from the variants list */
    assert_true(link_nicknames_equiv(t, "giuseppe", "joseph"));
    assert_true(link_nicknames_equiv(t, "kristofer", "christopher"));
    link_nicknames_free(&t);
    assert_null(t);
    const char bad[] = "name,nickname\nRobert\n";
    assert_int_equal(link_nicknames_load(bad, strlen(bad), "x.csv", &t, &err), SVP_EINPUT);
    assert_int_equal(err.line, 2);
    assert_null(t);
    /* the variants layout: only given-name rows count; a short row names its line */
    const char kinds[] = "kind,name,variant\ngiven,Aaron,Arran\nsurname,Smith,Smyth\n";
    assert_int_equal(link_nicknames_load(kinds, strlen(kinds), "v.csv", &t, &err), 0);
    assert_true(link_nicknames_equiv(t, "arran", "aaron"));
    assert_false(link_nicknames_equiv(t, "smyth", "smith"));
    link_nicknames_free(&t);
    const char kbad[] = "kind,name,variant\ngiven,Aaron\n";
    assert_int_equal(link_nicknames_load(kbad, strlen(kbad), "v.csv", &t, &err), SVP_EINPUT);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "kind,name,variant"));
    assert_null(t);
}

static void test_levels(void **state)
{
    (void)state;
    assert_int_equal(link_compare_dob("2010-03-04", "2010-03-04"), LINK_DOB_EXACT);
    assert_int_equal(link_compare_dob("2010-03-04", "2010-04-03"), LINK_DOB_TRANSPOSED);
    assert_int_equal(link_compare_dob("2010-03-04", "2010-03-05"), LINK_DOB_ONE_DIGIT);
    assert_int_equal(link_compare_dob("2010-03-04", "2010-11-25"), LINK_DOB_SAME_YEAR);
    assert_int_equal(link_compare_dob("2010-03-04", "2012-11-25"), LINK_DOB_DIFFERENT);
    assert_int_equal(link_compare_dob("", "2012-11-25"), LINK_DOB_NULL);
    assert_int_equal(link_compare_dob("04/03/2010", "2010-03-04"), LINK_DOB_NULL);
    assert_int_equal(link_compare_postcode("ls6 2ab", "LS62AB"), LINK_PC_FULL);
    assert_int_equal(link_compare_postcode("LS6 2AB", "LS6 2XY"), LINK_PC_SECTOR);
    assert_int_equal(link_compare_postcode("LS6 2AB", "LS6 3XY"), LINK_PC_DISTRICT);
    assert_int_equal(link_compare_postcode("LS6 2AB", "LS7 2AB"), LINK_PC_TYPO);
    assert_int_equal(link_compare_postcode("LS6 2AB", "M1 1AA"), LINK_PC_DIFFERENT);
    assert_int_equal(link_compare_postcode("", "M1 1AA"), LINK_PC_NULL);
    assert_int_equal(link_compare_postcode("4223", "4232"), LINK_PC_TYPO);
    /* no home: "NFA", "UNKNOWN" and the NHS's ZZ99 pseudo-postcodes agree with nothing */
    assert_int_equal(link_compare_postcode("NFA", "NFA"), LINK_PC_NULL);
    assert_int_equal(link_compare_postcode("UNKNOWN", "unknown"), LINK_PC_NULL);
    assert_int_equal(link_compare_postcode("ZZ99 3VZ", "ZZ993VZ"), LINK_PC_NULL);
    /* a postcode inside an address; a partial postcode agrees at its district */
    assert_int_equal(link_compare_postcode("94 Church Road, ls62ab", "LS6 2AB"), LINK_PC_FULL);
    assert_int_equal(link_compare_postcode("LS6", "LS6 2AB"), LINK_PC_DISTRICT);
    assert_int_equal(link_compare_postcode("LS6", "ls6"), LINK_PC_DISTRICT);
    assert_int_equal(link_compare_postcode("LS6", "LS7 2AB"), LINK_PC_DIFFERENT);
    /* identifiers: a keyed slip is one edit; what a system keys for none is no identifier */
    assert_int_equal(link_compare_id("943 476 5919", "9434765919"), LINK_ID_SAME);
    assert_int_equal(link_compare_id("9434765919", "9434765918"), LINK_ID_ONE_EDIT);
    assert_int_equal(link_compare_id("0000000000", "0000000000"), LINK_ID_NULL);
    assert_int_equal(link_compare_id("999 999 9999", "9999999999"), LINK_ID_NULL);
    assert_int_equal(link_compare_id("1234567890", "1234567890"), LINK_ID_NULL);
    assert_int_equal(link_compare_id("UNKNOWN", "unknown"), LINK_ID_NULL);
    assert_int_equal(link_compare_id("N/A", "NA"), LINK_ID_NULL);
    assert_int_equal(link_compare_id("AB123456C", "AB123456C"), LINK_ID_SAME);
    struct link_postcode pc;
    link_postcode_parse("sw1a 1aa", &pc);
    assert_string_equal(pc.full, "SW1A1AA");
    assert_string_equal(pc.sector, "SW1A1");
    assert_string_equal(pc.district, "SW1A");
    assert_int_equal(link_compare_address("12 High St.", "12 high st"), LINK_ADDR_EXACT);
    assert_int_equal(link_compare_address("12 High Street", "12 High Stret"), LINK_ADDR_CLOSE);
    assert_int_equal(link_compare_address("Flat 2, 12 High Street", "12 High Street Leeds"),
                     LINK_ADDR_TOKENS);
    assert_int_equal(link_compare_address("1 Low Road", "99 Park Lane"), LINK_ADDR_DIFFERENT);
    assert_int_equal(link_compare_sex("M", "m"), LINK_SEX_SAME);
    assert_int_equal(link_compare_sex("M", "F"), LINK_SEX_DIFFERENT);
    assert_int_equal(link_compare_sex("U", "F"), LINK_SEX_NULL);
    assert_int_equal(link_compare_id("485 777 3456", "4857773456"), LINK_ID_SAME);
    assert_int_equal(link_compare_id("ab-12-34-56-c", "AB123456C"), LINK_ID_SAME);
    assert_int_equal(link_compare_id("4857773456", "4857773465"), LINK_ID_ONE_EDIT);
    assert_int_equal(link_compare_id("4857773456", "485777345"), LINK_ID_ONE_EDIT);
    assert_int_equal(link_compare_id("4857773456", "4857770056"), LINK_ID_DIFFERENT);
    assert_int_equal(link_compare_id("9434765919", "9434765927"), LINK_ID_DIFFERENT);
    assert_int_equal(link_compare_id("", "4857773456"), LINK_ID_NULL);
    assert_int_equal(link_compare_id(NULL, "4857773456"), LINK_ID_NULL);
    assert_int_equal(link_compare_id(" - ", "4857773456"), LINK_ID_NULL);
}

static enum link_contact_level contact(const char *ea, const char *pa, const char *eb,
                                       const char *pb)
{
    char e1[128], p1[32], e2[128], p2[32];
    size_t l1 = link_email_normalise(ea, e1, sizeof e1), m1 = link_phone_normalise(pa, p1, sizeof p1);
    size_t l2 = link_email_normalise(eb, e2, sizeof e2), m2 = link_phone_normalise(pb, p2, sizeof p2);
    return link_compare_contact_norm(e1, l1, p1, m1, e2, l2, p2, m2);
}

static void test_contact(void **state)
{
    (void)state;
    char b[64];
    /* emails: case, spaces, mailto: and angle brackets do not matter; not an address is none */
    assert_int_equal(link_email_normalise(" Mailto:<Kayla.D@Example.ORG> ", b, sizeof b), 19);
    assert_string_equal(b, "kayla.d@example.org");
    assert_int_equal(link_email_normalise("no address", b, sizeof b), 0);
    assert_int_equal(link_email_normalise("a@b@c", b, sizeof b), 0);
    assert_int_equal(link_email_normalise("@example.org", b, sizeof b), 0);
    assert_int_equal(link_email_normalise("kayla@", b, sizeof b), 0);
    assert_int_equal(link_email_normalise(NULL, b, sizeof b), 0);
    assert_int_equal(link_email_normalise("kayla@example.org", b, 4), 0); /* cut: no @ */
    /* a form's filler for "no address" and "no number" is no contact two records share */
    assert_int_equal(link_email_normalise("NoEmail@example.org", b, sizeof b), 0);
    assert_int_equal(link_email_normalise("none@none.com", b, sizeof b), 0);
    assert_int_equal(link_email_normalise("kayla@none.co.uk", b, sizeof b), 0);
    assert_int_equal(link_email_normalise("nonesuch@example.org", b, sizeof b), 20);
    assert_int_equal(link_phone_normalise("07000 000000", b, sizeof b), 0);
    assert_int_equal(link_phone_normalise("00000000000", b, sizeof b), 0);
    assert_int_equal(link_phone_normalise("07700 900123", b, sizeof b), 11);
    /* phones: the UK national form, however written */
    assert_int_equal(link_phone_normalise("+44 7700 900123", b, sizeof b), 11);
    assert_string_equal(b, "07700900123");
    assert_int_equal(link_phone_normalise("0044 (0)7700 900123", b, sizeof b), 11);
    assert_string_equal(b, "07700900123");
    assert_int_equal(link_phone_normalise("+44 (0)7700 900123", b, sizeof b), 11);
    assert_string_equal(b, "07700900123");
    assert_int_equal(link_phone_normalise("7700900123", b, sizeof b), 11);
    assert_string_equal(b, "07700900123");
    assert_int_equal(link_phone_normalise("01632 960001", b, sizeof b), 11);
    assert_int_equal(link_phone_normalise("ext 123", b, sizeof b), 0);
    assert_int_equal(link_phone_normalise("", b, sizeof b), 0);
    assert_int_equal(link_phone_normalise("+1 212 555 0100", b, sizeof b), 11);
    assert_string_equal(b, "12125550100");
    /* levels */
    assert_int_equal(contact("a.b@x.org", NULL, "A.B@X.org", NULL), LINK_CONTACT_SAME);
    assert_int_equal(contact(NULL, "+44 7700 900123", "", "07700 900123"), LINK_CONTACT_SAME);
    assert_int_equal(contact("robert255@smith.net", NULL, "roberta25@smith.net", NULL),
                     LINK_CONTACT_CLOSE);
    assert_int_equal(contact("kim@x.org", NULL, "kin@x.org", NULL), LINK_CONTACT_CLOSE);
    assert_int_equal(contact("kim@x.org", NULL, "kim@y.org", NULL), LINK_CONTACT_DIFFERENT);
    assert_int_equal(contact("jane@x.org", NULL, "paul@x.org", NULL), LINK_CONTACT_DIFFERENT);
    /* the same user's name with the domain mistyped (up to two keying errors) */
    assert_int_equal(contact("gabriel.t54@nichols.info", NULL, "gabriel.t54@nnichls.info", NULL),
                     LINK_CONTACT_CLOSE);
    assert_int_equal(contact("jsmith@gmail.com", NULL, "jsmith@gmial.com", NULL),
                     LINK_CONTACT_CLOSE);
    /* but a short user's name or a short domain is someone else's, and so is a domain three
     * keying errors away */
    assert_int_equal(contact("kim@gmail.com", NULL, "kim@gmial.com", NULL), LINK_CONTACT_DIFFERENT);
    assert_int_equal(contact("jsmith@x.org", NULL, "jsmith@y.org", NULL), LINK_CONTACT_DIFFERENT);
    assert_int_equal(contact("jsmith@gmail.com", NULL, "jsmith@hotmail.com", NULL),
                     LINK_CONTACT_DIFFERENT);
    /* a long address with two keying errors in user and domain */
    assert_int_equal(contact("e.page13@dyer-williams.com", NULL, "e.page1i3@dyer-wiliams.com",
                             NULL),
                     LINK_CONTACT_CLOSE);
    assert_int_equal(contact("e.page13@dyer-williams.com", NULL, "a.pike13@dyer-wiliams.com",
                             NULL),
                     LINK_CONTACT_DIFFERENT);
    assert_int_equal(contact(NULL, "07700900123", NULL, "07700900132"), LINK_CONTACT_CLOSE);
    assert_int_equal(contact(NULL, "07700900123", NULL, "01632960001"), LINK_CONTACT_DIFFERENT);
    /* an email on one and only a phone on the other: nothing to compare */
    assert_int_equal(contact("a@x.org", NULL, NULL, "07700900123"), LINK_CONTACT_NULL);
    assert_int_equal(contact(NULL, NULL, NULL, NULL), LINK_CONTACT_NULL);
    /* one agreeing is enough */
    assert_int_equal(contact("a@x.org", "07700900123", "b@y.org", "07700900123"),
                     LINK_CONTACT_SAME);
}

/* link_jaro_winkler_min agrees with link_jaro_winkler wherever the measure reaches the
 * bound, and is below it wherever it does not: its cheap bound never rejects a pair that
 * reaches it. */
static void test_jaro_winkler_min(void **state)
{
    (void)state;
    static const char *const names[] = {
        "oliver", "olivia", "ollie", "jack", "james", "jacques", "thomas", "tomas", "amelia",
        "emilia", "smith", "smyth", "smithson", "dixon", "dickson", "nancy", "anncy", "lily",
        "lilly", "lyla", "isabelle", "isa", "aa", "a", "abcdefghij", "jihgfedcba", "martha",
        "marhta", "dwayne", "duane", "12 high street", "12 high st", "crescent", "cresent"};
    size_t n = sizeof names / sizeof *names, rejected = 0;
    static const double mins[] = {0.5, 0.7, 0.8, 0.9, 0.92};
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < sizeof mins / sizeof *mins; k++) {
                const char *a = names[i], *b = names[j];
                double jw = link_jaro_winkler(a, strlen(a), b, strlen(b));
                double jm = link_jaro_winkler_min(a, strlen(a), b, strlen(b), mins[k]);
                if (jw >= mins[k])
                    assert_true(jm == jw);
                else
                    assert_true(jm < mins[k]);
                rejected += jm != jw;
            }
    assert_true(rejected > 0); /* the bound does reject */
    assert_true(link_jaro_winkler_min("", 0, "a", 1, 0.0) == 0.0);
}

static void test_blocking_parse(void **state)
{
    (void)state;
    struct svp_err err;
    struct link_blocking *b = NULL;
    const char *good[] = {"dob+given1", "names", "family_ph+district", "id"};
    assert_int_equal(link_blocking_parse(good, 4, &b, &err), 0);
    link_blocking_free(&b);
    const char *bad[] = {"dob+shoe_size"};
    assert_int_equal(link_blocking_parse(bad, 1, &b, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "unknown field 'shoe_size'"));
    const char *empty[] = {"dob+"};
    assert_int_equal(link_blocking_parse(empty, 1, &b, &err), SVP_EINPUT);
    assert_null(b);
}

/* A small population: people with 1-3 records each, errors in some, plus a pair of twins
 * and a record with only an initial. */
static const struct link_rec people[] = {
    {1, "police", "oliver", "bennett", "2010-05-14", "M", "LS6 2AB", "12 High Street", NULL, NULL, NULL, NULL, NULL, NULL},
    {2, "health", "ollie", "bennett", "2010-05-14", "M", "LS6 2AB", "12 High St", NULL, NULL, NULL, NULL, NULL, NULL},
    {3, "school", "oliver", "benett", "2010-05-14", "M", "LS6 2AB", "", NULL, NULL, NULL, NULL, NULL, NULL},
    {4, "police", "amelia", "khan", "2011-02-03", "F", "LS7 1AA", "3 Park Lane", NULL, NULL, NULL, NULL, NULL, NULL},
    {5, "health", "amelia", "khan", "2011-03-02", "F", "LS7 1AA", "3 Park Lane", NULL, NULL, NULL, NULL, NULL, NULL},
    {6, "school", "jack", "obrien", "2012-08-20", "M", "LS8 4QQ", "7 Mill Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {7, "school", "james", "obrien", "2012-08-20", "M", "LS8 4QQ", "7 Mill Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {8, "health", "jack", "obrien", "2012-08-20", "M", "LS8 4QQ", "7 Mill Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {9, "health", "james", "obrien", "2012-08-20", "M", "LS8 4QQ", "7 Mill Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {10, "police", "j", "obrien", "2012-08-20", "M", "LS8 4QQ", "", NULL, NULL, NULL, NULL, NULL, NULL},
    {11, "police", "chloe", "walker", "2009-12-01", "F", "LS9 9ZZ", "1 Low Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {12, "health", "", "", "2009-12-01", "F", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
    {13, "school", "lily", "khan", "2014-06-01", "F", "LS7 1AA", "3 Park Lane", NULL, NULL, NULL, NULL, NULL, NULL},
    {14, "health", "lily", "khan", "2014-06-01", "F", "LS7 1AA", "3 Park Lane", NULL, NULL, NULL, NULL, NULL, NULL},
    /* same date of birth and family name, different given names, but different homes */
    {15, "police", "sophie", "marsden", "2013-04-04", "F", "LS5 5AA", "2 Elm Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {16, "police", "megan", "marsden", "2013-04-04", "F", "LS12 3BB", "40 Victoria Avenue", NULL, NULL, NULL, NULL, NULL, NULL},
    /* twins the school holds both of; police and health each hold one */
    {17, "police", "ruby", "hale", "2012-02-02", "F", "LS3 3CC", "5 Oak Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {18, "school", "ruby", "hale", "2012-02-02", "F", "LS3 3CC", "5 Oak Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {19, "school", "erin", "hale", "2012-02-02", "F", "LS3 3CC", "5 Oak Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {20, "health", "erin", "hale", "2012-02-02", "F", "LS3 3CC", "5 Oak Road", NULL, NULL, NULL, NULL, NULL, NULL},
    /* siblings named alike, ten years apart, both known to the school */
    {21, "school", "alexander", "daley", "2008-12-01", "M", "LS4 4DD", "9 Ash Grove", NULL, NULL, NULL, NULL, NULL, NULL},
    {22, "school", "alexandra", "daley", "2018-06-26", "F", "LS4 4DD", "9 Ash Grove", NULL, NULL, NULL, NULL, NULL, NULL},
    /* one girl, known to social care by her middle name: the NHS number both hold says one
     * person where the names look like twins; the school keyed it with two digits swapped */
    {23, "health", "maisie", "cole", "2013-09-09", "F", "LS2 2EE", "4 Kirk Lane", "485 777 3456", NULL, NULL, NULL, NULL, NULL},
    {24, "csc", "daisy", "cole", "2013-09-09", "F", "LS2 2EE", "4 Kirk Lane", "4857773456", NULL, NULL, NULL, NULL, NULL},
    {25, "school", "daisy", "cole", "2013-09-09", "F", "LS2 2EE", "4 Kirk Lane", "4857773546", NULL, NULL, NULL, NULL, NULL},
    /* twins with NHS numbers issued one after the other, each known to one agency: the
     * different numbers say two children */
    {26, "health", "tom", "reed", "2011-01-01", "M", "LS1 1FF", "8 Bank Street", "9434765919", NULL, NULL, NULL, NULL, NULL},
    {27, "csc", "sam", "reed", "2011-01-01", "M", "LS1 1FF", "8 Bank Street", "9434765927", NULL, NULL, NULL, NULL, NULL},
    /* titles and ordinals in name fields are not names; a date before 1900 is a date */
    {28, "police", "mr harold", "webb", "1899-11-30", "M", "LS13 1AA", "6 Fir Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {29, "health", "harold", "webb 3rd", "1899-11-30", "M", "LS13 1AA", "6 Fir Road", NULL, NULL, NULL, NULL, NULL, NULL},
    /* only an initial and no date of birth: the household alone cannot say who it is */
    {30, "school", "h", "webb", "", "M", "LS13 1AA", "6 Fir Road", NULL, NULL, NULL, NULL, NULL, NULL},
    /* known by her middle name; an initial that is none of her names, no date of birth */
    {31, "police", "mary ann", "ford", "2010-10-10", "F", "LS14 1GG", "11 Birch Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {32, "health", "ann", "ford", "2010-10-10", "F", "LS14 1GG", "11 Birch Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {33, "school", "d", "ford", "", "F", "LS14 1GG", "11 Birch Road", NULL, NULL, NULL, NULL, NULL, NULL},
    /* one home, one family name, different given names, one date of birth missing */
    {34, "police", "rose", "irwin", "", "F", "LS15 2HH", "2 Cedar Close", NULL, NULL, NULL, NULL, NULL, NULL},
    {35, "health", "violet", "irwin", "2009-03-03", "F", "LS15 2HH", "2 Cedar Close", NULL, NULL, NULL, NULL, NULL, NULL},
    /* names the wrong way round on one record, and a date of birth keyed wrongly */
    {36, "police", "huxley", "claudia", "2010-01-05", "F", "LS16 3JJ", "4 Yew Walk", NULL, NULL, NULL, NULL, NULL, NULL},
    {37, "health", "claudia", "huxley", "2011-07-09", "F", "LS16 3JJ", "4 Yew Walk", NULL, NULL, NULL, NULL, NULL, NULL},
    /* a nickname with a wrong date of birth is one name, not a sibling's */
    {38, "csc", "ollie", "bennett", "2012-01-20", "M", "LS6 2AB", "12 High Street", NULL, NULL, NULL, NULL, NULL, NULL},
    /* known by a chosen name the other agency records as her given name */
    {39, "csc", "elizabeth", "nunn", "2011-11-11", "F", "LS17 4KK", "3 Lime Street", NULL,
     "zara", NULL, NULL, NULL, NULL},
    {40, "police", "zara", "nunn", "2011-11-11", "F", "LS17 4KK", "3 Lime Street", NULL, NULL, NULL, NULL, NULL, NULL},
    /* one agency holds one boy twice, his names the wrong way round on one record and his
     * date of birth wrong: not two children named alike */
    {41, "school", "rowe", "caleb", "2003-01-17", "M", "LS18 1AA", "7 Beech Road", NULL, NULL, NULL, NULL, NULL, NULL},
    {42, "school", "caleb", "rowe", "1992-11-20", "M", "LS19 2BB", "20 Holly Road", NULL, NULL, NULL, NULL, NULL, NULL},
    /* one home and one family name; a given name missing on one record: born the same year
     * is no sign of a sibling, born four years apart is */
    {43, "police", "", "pryce", "2012-03-04", "F", "LS20 3CC", "5 Rowan Way", NULL, NULL, NULL, NULL, NULL, NULL},
    {44, "police", "isla", "pryce", "2012-07-09", "F", "LS20 3CC", "5 Rowan Way", NULL, NULL, NULL, NULL, NULL, NULL},
    {45, "health", "", "pryce", "2016-03-04", "F", "LS20 3CC", "5 Rowan Way", NULL, NULL, NULL, NULL, NULL, NULL},
};
#define NPEOPLE (sizeof people / sizeof people[0])

/* Background records so that u and the prior are learnt from many different people. */
static struct link_rec *population(size_t *n)
{
    static const char *g[] = {"harry", "isla", "noah", "ava", "leo", "mia", "arthur", "ivy",
                              "george", "freya", "theo", "grace", "oscar", "lily", "archie",
                              "ella", "henry", "rosie", "jacob", "evie"};
    static const char *f[] = {"smith", "jones", "taylor", "brown", "wilson", "evans", "thomas",
                              "roberts", "walsh", "wright", "hall", "green", "wood", "clarke",
                              "hughes", "patel", "hussain", "edwards", "turner", "hill"};
    size_t extra = 400;
    struct link_rec *v = calloc(NPEOPLE + extra, sizeof *v);
    memcpy(v, people, sizeof people);
    static char dobs[400][11], pcs[400][10];
    for (size_t k = 0; k < extra; k++) {
        size_t p = k / 2; /* two records per background person */
        snprintf(dobs[k], 11, "20%02zu-%02zu-%02zu", 5 + p % 13, 1 + p % 12, 1 + (p * 7) % 28);
        snprintf(pcs[k], 10, "LS%zu %zuAB", 10 + p % 20, p % 10);
        v[NPEOPLE + k] = (struct link_rec){
            (int64_t)(100 + k), k % 2 ? "health" : "police", g[p % 20], f[(p / 20) % 20],
            dobs[k], p % 2 ? "F" : "M", pcs[k], "", NULL, NULL, NULL, NULL, NULL, NULL};
    }
    *n = NPEOPLE + extra;
    return v;
}

static void link_all(struct link_set *s, uint32_t *label, struct link_model **mout)
{
    struct svp_err err;
    struct link_blocking *b = NULL;
    struct link_model *m = NULL;
    struct link_pair *pairs = NULL;
    size_t np = 0, nr = 0;
    struct link_opts o;
    struct link_stats st = {0};
    link_opts_default(&o);
    const char *const *rules = link_blocking_defaults();
    while (rules[nr])
        nr++;
    assert_int_equal(link_blocking_parse(rules, nr, &b, &err), 0);
    if (link_model_train(s, b, &o, &m, &err))
        fail_msg("train: %s", err.msg);
    assert_int_equal(link_pairs_make(s, b, m, &o, false, 0, &pairs, &np, &st, &err), 0);
    assert_true(st.candidates > 0);
    assert_int_equal(link_cluster(s, m, pairs, np, NULL, 0, &o, label, &st, &err), 0);
    svp_free(pairs);
    link_blocking_free(&b);
    *mout = m;
}

static void test_model_and_clusters(void **state)
{
    (void)state;
    size_t n;
    struct link_rec *v = population(&n);
    struct link_set *s = NULL;
    struct svp_err err;
    assert_int_equal(link_set_new(v, n, &s, &err), 0);
    uint32_t *label = calloc(n, sizeof *label);
    struct link_model *m = NULL;
    link_all(s, label, &m);
    /* oliver/ollie bennett (nickname, typo) are one person; amelia khan with day and month
     * swapped too */
    assert_int_equal(label[0], label[1]);
    assert_int_equal(label[0], label[2]);
    assert_int_equal(label[3], label[4]);
    /* twins jack and james stay apart, each joined to their own record in the other source */
    assert_int_equal(label[5], label[7]);
    assert_int_equal(label[6], label[8]);
    assert_int_not_equal(label[5], label[6]);
    /* the initial-only record cannot chain the twins together */
    assert_false(label[9] == label[5] && label[9] == label[6]);
    struct link_score sc;
    /* a record with no name stands alone, with its reason */
    assert_int_not_equal(label[11], label[10]);
    assert_string_equal(link_set_reason(s, 11), "no name");
    assert_string_equal(link_set_reason(s, 9), "given name is an initial");
    assert_string_equal(link_set_reason(s, 0), "");
    /* different people stay apart; a sister at the same address is not her sister */
    assert_int_not_equal(label[0], label[3]);
    assert_int_equal(label[12], label[13]);
    assert_int_not_equal(label[12], label[3]);
    assert_int_not_equal(label[12], label[4]);
    link_score_pair(m, s, 3, 12, &sc);
    assert_non_null(strstr(sc.note, "possible siblings"));
    /* background people: two records each, linked */
    size_t joined = 0;
    for (size_t k = NPEOPLE; k + 1 < n; k += 2)
        joined += label[k] == label[k + 1];
    assert_true(joined >= 190);
    /* explain: weights add up to the total, exact family name weighs positive */
    link_score_pair(m, s, 0, 1, &sc);
    double sum = sc.prior_weight;
    for (int c = 0; c < LINK_NCMP; c++)
        sum += sc.terms[c].weight;
    assert_true(fabs(sum - sc.weight) < 1e-9);
    assert_true(sc.terms[LINK_CMP_FAMILY].weight > 0);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "nickname or variant");
    assert_true(sc.probability > 0.95);
    link_score_pair(m, s, 5, 6, &sc);
    assert_non_null(sc.note);
    assert_true(sc.probability <= 0.01);
    /* the twin rule needs a shared household: with different postcodes and addresses it
     * does not fire, and the weights alone keep the two apart */
    link_score_pair(m, s, 14, 15, &sc);
    assert_null(sc.note);
    assert_true(sc.probability < 0.5);
    assert_int_not_equal(label[14], label[15]);
    /* the school's two records say there are twins: that holds for the police record of one
     * and the health record of the other too */
    link_score_pair(m, s, 16, 19, &sc);
    assert_non_null(sc.note);
    assert_non_null(strstr(sc.note, "possible twins"));
    assert_int_not_equal(label[16], label[19]);
    assert_int_equal(label[16], label[17]);
    assert_int_equal(label[18], label[19]);
    link_score_pair(m, s, 20, 21, &sc);
    assert_non_null(sc.note);
    assert_non_null(strstr(sc.note, "possible siblings"));
    assert_int_not_equal(label[20], label[21]);
    link_score_pair(m, s, 27, 28, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "exact");
    assert_string_equal(sc.terms[LINK_CMP_FAMILY].level_name, "exact");
    assert_string_equal(sc.terms[LINK_CMP_DOB].level_name, "exact");
    assert_int_equal(label[27], label[28]);
    link_score_pair(m, s, 27, 29, &sc);
    assert_non_null(sc.note);
    assert_non_null(strstr(sc.note, "held for review"));
    assert_true(sc.probability <= 0.9 + 1e-9 && sc.probability > 0.5);
    assert_int_not_equal(label[27], label[29]);
    /* the same NHS number (or one keying error away) outweighs the twin rule; different
     * NHS numbers keep twins apart */
    link_score_pair(m, s, 22, 23, &sc);
    assert_null(sc.note);
    assert_string_equal(sc.terms[LINK_CMP_ID].level_name, "same");
    assert_true(sc.probability > 0.95);
    assert_int_equal(label[22], label[23]);
    link_score_pair(m, s, 23, 24, &sc);
    assert_string_equal(sc.terms[LINK_CMP_ID].level_name, "one character different");
    assert_null(sc.note);
    assert_int_equal(label[23], label[24]);
    link_score_pair(m, s, 25, 26, &sc);
    assert_non_null(sc.note);
    assert_string_equal(sc.terms[LINK_CMP_ID].level_name, "different");
    assert_int_not_equal(label[25], label[26]);
    /* known by a middle name: another of the given names agrees, and the two join */
    link_score_pair(m, s, 30, 31, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "another given or known-as name");
    assert_true(sc.terms[LINK_CMP_GIVEN].weight > 0);
    assert_int_equal(label[30], label[31]);
    /* an initial that is none of the other's given names, no date of birth, one home: held
     * for review, not joined and not chained in */
    link_score_pair(m, s, 30, 32, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "initial of another name");
    assert_true(sc.terms[LINK_CMP_GIVEN].weight < 0);
    assert_non_null(sc.note);
    assert_non_null(strstr(sc.note, "held for review"));
    assert_true(sc.probability <= 0.9 + 1e-9);
    assert_int_not_equal(label[30], label[32]);
    /* different given names and one date of birth missing: a sibling or one person under
     * another name; a person decides */
    link_score_pair(m, s, 33, 34, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "different");
    assert_non_null(sc.note);
    assert_non_null(strstr(sc.note, "held for review"));
    assert_null(strstr(sc.note, "possible siblings"));
    assert_int_not_equal(label[33], label[34]);
    /* names the wrong way round with a different date of birth: no household rule, the
     * weights judge */
    link_score_pair(m, s, 35, 36, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "close spelling");
    assert_null(sc.note);
    /* a nickname with a different date of birth at the same home is not a sibling */
    link_score_pair(m, s, 0, 37, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "nickname or variant");
    assert_null(sc.note);
    /* a known-as name agrees with the other's given name: one girl, not twins */
    link_score_pair(m, s, 38, 39, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "another given or known-as name");
    assert_null(sc.note);
    assert_int_equal(label[38], label[39]);
    /* names the wrong way round in one agency with a wrong date of birth: no sibling rule */
    link_score_pair(m, s, 40, 41, &sc);
    assert_string_equal(sc.terms[LINK_CMP_GIVEN].level_name, "close spelling");
    assert_true(sc.note == NULL || !strstr(sc.note, "possible siblings"));
    /* a given name missing: the same year is left to the weights, four years apart is a
     * sibling */
    link_score_pair(m, s, 42, 43, &sc);
    assert_int_equal(sc.terms[LINK_CMP_GIVEN].level, 0);
    assert_string_equal(sc.terms[LINK_CMP_DOB].level_name, "within a year");
    assert_true(sc.note == NULL || !strstr(sc.note, "possible siblings"));
    link_score_pair(m, s, 43, 44, &sc);
    assert_non_null(sc.note);
    assert_non_null(strstr(sc.note, "possible siblings"));
    assert_int_not_equal(label[43], label[44]);
    /* the model survives a save and load unchanged */
    char *txt = NULL, *txt2 = NULL;
    struct link_model *m2 = NULL;
    assert_int_equal(link_model_save(m, &txt, &err), 0);
    assert_int_equal(link_model_load(txt, &m2, &err), 0);
    assert_int_equal(link_model_save(m2, &txt2, &err), 0);
    assert_string_equal(txt, txt2);
    link_model_free(&m2);
    /* one level given twice and another missing is refused (the count alone matches) */
    {
        const char *l1 = strstr(txt, "\nlevel 0 1 "), *l2 = strstr(txt, "\nlevel 0 2 ");
        assert_non_null(l1);
        assert_non_null(l2);
        const char *l1e = strchr(l1 + 1, '\n'), *l2e = strchr(l2 + 1, '\n');
        assert_non_null(l1e);
        assert_non_null(l2e);
        size_t cap = strlen(txt) + 256;
        char *dup = svp_malloc(cap);
        assert_non_null(dup);
        snprintf(dup, cap, "%.*s%.*s%s", (int)(l2 - txt), txt, (int)(l1e - l1), l1, l2e);
        assert_null(strstr(dup, "\nlevel 0 2 "));
        assert_int_equal(link_model_load(dup, &m2, &err), SVP_EINPUT);
        assert_null(m2);
        svp_free(dup);
    }
    assert_int_equal(link_model_load("svp-link-model 7\nlambda 2\n", &m2, &err), SVP_EINPUT);
    assert_int_equal(link_model_load("svp-link-model 9\nlambda 0.5\n", &m2, &err), SVP_EINPUT);
    /* models with older comparisons (1: before the shared identifier; 2 and 3: eight
     * given-name levels; 4: no email or phone; 5: a date of birth one keying error out and an
     * email with its domain mistyped compared as different; 6: same-name pairs a generation
     * apart not counted) read as none, so they are trained again */
    for (int ver = 1; ver <= 6; ver++) {
        char old[64];
        snprintf(old, sizeof old, "svp-link-model %d\nlambda 0.5\n", ver);
        assert_int_equal(link_model_load(old, &m2, &err), 0);
        assert_null(m2);
    }
    svp_free(txt);
    svp_free(txt2);
    link_model_free(&m2);
    link_model_free(&m);
    link_set_free(&s);
    free(label);
    free(v);
}

static bool has_pair(const uint32_t *c, size_t n, uint32_t i, uint32_t j)
{
    for (size_t k = 0; k < n; k++)
        if (c[2 * k] == i && c[2 * k + 1] == j)
            return true;
    return false;
}

/* The candidate pairs the one blocking rule makes in s, with the default options (c
 * owned by the caller, freed with svp_free). */
static size_t rule_candidates(const struct link_set *s, const char *rule, uint32_t **c)
{
    struct link_blocking *b = NULL;
    struct svp_err err;
    struct link_opts o;
    link_opts_default(&o);
    const char *rules[] = {rule};
    size_t nc = 0;
    *c = NULL;
    assert_int_equal(link_blocking_parse(rules, 1, &b, &err), 0);
    assert_int_equal(link_blocking_candidates(s, b, &o, c, &nc, &err), 0);
    link_blocking_free(&b);
    return nc;
}

/* The fields for records with errors in several fields: a home named by postcode and house
 * number (the street's words mistyped), by house number and the street's first letters (the
 * postcode mistyped), and names by their first three letters (typos later in both). */
static void test_blocking_fields(void **state)
{
    (void)state;
    static const struct link_rec r[] = {
        {1, "a", "jacinta", "bastiaans", "1933-08-03", "F", "3074", "12 bean crescent barwon", NULL, NULL, NULL, NULL, NULL, NULL},
        {2, "b", "jacina", "frencham", "", "F", "3074", "12 baen cresent barwon", NULL, NULL, NULL, NULL, NULL, NULL},
        {3, "b", "emmet", "weller", "1927-05-16", "M", "4365", "11 copland drive", NULL, NULL, NULL, NULL, NULL, NULL},
        {4, "a", "madisoen", "welller", "1934-10-24", "F", "4350", "11 coplanddrive", NULL, NULL, NULL, NULL, NULL, NULL},
        {5, "a", "kathleen", "batchelor", "", "F", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {6, "b", "katthleen", "batchelmr", "", "F", "", "flat", NULL, NULL, NULL, NULL, NULL, NULL},
    };
    struct link_set *s = NULL;
    struct link_blocking *b = NULL;
    struct svp_err err;
    struct link_opts o;
    link_opts_default(&o);
    assert_int_equal(link_set_new(r, 6, &s, &err), 0);
    const char *rules[] = {"postcode+housenum", "housenum+street3", "given3+family3"};
    uint32_t *c = NULL;
    size_t nc = 0;
    for (int k = 0; k < 3; k++) {
        nc = rule_candidates(s, rules[k], &c);
        assert_int_equal(nc, 1);
        assert_true(has_pair(c, nc, k == 0 ? 0 : k == 1 ? 2 : 4, k == 0 ? 1 : k == 1 ? 3 : 5));
        svp_free(c);
    }
    c = NULL;
    /* a record without a house number, or a name under three letters, is in no such block */
    static const struct link_rec r2[] = {
        {1, "a", "al", "li", "", "", "3074", "bean crescent", NULL, NULL, NULL, NULL, NULL, NULL},
        {2, "b", "al", "li", "", "", "3074", "bean crescent", NULL, NULL, NULL, NULL, NULL, NULL},
    };
    link_set_free(&s);
    assert_int_equal(link_set_new(r2, 2, &s, &err), 0);
    assert_int_equal(link_blocking_parse(rules, 3, &b, &err), 0);
    assert_int_equal(link_blocking_candidates(s, b, &o, &c, &nc, &err), 0);
    assert_int_equal(nc, 0);
    svp_free(c);
    link_blocking_free(&b);
    link_set_free(&s);
}

/* dob_swap: a date with day and month swapped meets itself (and a date whose day and month
 * are equal meets only itself); given_letters: a given name with two letters swapped meets
 * the name, a name with other letters does not. */
static void test_blocking_swap_letters(void **state)
{
    (void)state;
    static const struct link_rec r[] = {
        {1, "a", "ernest", "white", "1851-08-11", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {2, "a", "enrest", "whhite", "1851-11-08", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {3, "a", "ernesto", "wilson", "1851-11-09", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {4, "a", "tenser", "walker", "1851-05-05", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {5, "a", "er", "wood", "", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {6, "a", "re", "wood", "1851-05-05", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
    };
    struct link_set *s = NULL;
    struct svp_err err;
    assert_int_equal(link_set_new(r, 6, &s, &err), 0);
    uint32_t *c = NULL;
    size_t nc = rule_candidates(s, "dob_swap", &c);
    assert_int_equal(nc, 2);
    assert_true(has_pair(c, nc, 0, 1));
    assert_true(has_pair(c, nc, 3, 5));
    svp_free(c);
    /* ernest, enrest and tenser share their letters; under three letters gives no key */
    nc = rule_candidates(s, "given_letters+family1", &c);
    assert_int_equal(nc, 3);
    assert_true(has_pair(c, nc, 0, 1));
    assert_true(has_pair(c, nc, 0, 3));
    assert_true(has_pair(c, nc, 1, 3));
    svp_free(c);
    link_set_free(&s);
}

/* email_user: an address's part before the @ (three characters or more) meets itself with
 * the domain mistyped; a shorter part, or no address, gives no key. */
static void test_blocking_email_user(void **state)
{
    (void)state;
    static const struct link_rec r[] = {
        {1, "a", "theodore", "", "", "", "", "", NULL, NULL, "t.m39@brooks-sawyer.com", NULL, NULL, NULL},
        {2, "a", "etheodroe", "", "", "", "", "", NULL, NULL, "T.M39@brooks-sawer.com", NULL, NULL, NULL},
        {3, "a", "tom", "", "", "", "", "", NULL, NULL, "t.m38@brooks-sawyer.com", NULL, NULL, NULL},
        {4, "a", "al", "", "", "", "", "", NULL, NULL, "al@x.org", NULL, NULL, NULL},
        {5, "a", "al", "", "", "", "", "", NULL, NULL, "al@y.org", NULL, NULL, NULL},
        {6, "a", "al", "", "", "", "", "", NULL, NULL, NULL, "07700900123", NULL, NULL},
    };
    struct link_set *s = NULL;
    struct svp_err err;
    assert_int_equal(link_set_new(r, 6, &s, &err), 0);
    uint32_t *c = NULL;
    size_t nc = rule_candidates(s, "email_user", &c);
    assert_int_equal(nc, 1);
    assert_true(has_pair(c, nc, 0, 1));
    svp_free(c);
    link_set_free(&s);
}

/* A set big enough for the index's radix sort and its two-thread build: every candidate
 * pair shares a block, each once, in order, and the count is the blocks' pairs. The dates
 * of birth fall in 400 groups of 15 and the postcodes in 401 groups; no two records share
 * both, so the union is the sum. */
static void test_blocking_large(void **state)
{
    (void)state;
    enum { N = 6000 };
    struct link_rec *v = calloc(N, sizeof *v);
    char (*dob)[11] = calloc(N, sizeof *dob), (*pc)[12] = calloc(N, sizeof *pc);
    assert_non_null(v);
    assert_non_null(dob);
    assert_non_null(pc);
    for (size_t k = 0; k < N; k++) {
        size_t g = k % 400, h = k % 401;
        snprintf(dob[k], sizeof dob[k], "%04zu-%02zu-%02zu", 1990 + g / 336, 1 + (g / 28) % 12,
                 1 + g % 28);
        snprintf(pc[k], sizeof pc[k], "LS%zu %zuAB", h / 10, h % 10);
        v[k] = (struct link_rec){(int64_t)k + 1, "a", "x", "y", dob[k], "", pc[k], "",
                                 NULL, NULL, NULL, NULL, NULL, NULL};
    }
    struct link_set *s = NULL;
    struct link_blocking *b = NULL;
    struct svp_err err;
    struct link_opts o;
    link_opts_default(&o);
    assert_int_equal(link_set_new(v, N, &s, &err), 0);
    const char *rules[] = {"dob", "postcode"};
    assert_int_equal(link_blocking_parse(rules, 2, &b, &err), 0);
    uint32_t *c = NULL;
    size_t nc = 0;
    assert_int_equal(link_blocking_candidates(s, b, &o, &c, &nc, &err), 0);
    assert_int_equal(nc, 400 * 105 + 386 * 105 + 15 * 91);
    for (size_t k = 0; k < nc; k++) {
        uint32_t i = c[2 * k], j = c[2 * k + 1];
        assert_true(i < j && j < N);
        assert_true(i % 400 == j % 400 || i % 401 == j % 401);
        if (k)
            assert_true(c[2 * k - 2] < i || (c[2 * k - 2] == i && c[2 * k - 1] < j));
    }
    svp_free(c);
    link_blocking_free(&b);
    link_set_free(&s);
    free(v);
    free(dob);
    free(pc);
}

/* Sorted neighbourhoods (fields~W): the records with every field sorted on them, each paired
 * with the next W - 1; a record with one name sorts by it in either field
 * (given_or_family); a pair an earlier rule gave, by equal keys or by its window, is given
 * once; a bad window is refused. */
static void test_blocking_window(void **state)
{
    (void)state;
    static const struct link_rec r[] = {
        {1, "a", "", "thomas", "1977-10-17", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {2, "a", "thomas", "gabriel", "1976-09-15", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {3, "a", "thomas", "", "1990-01-01", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {4, "a", "anna", "", "1977-10-17", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
        {5, "a", "zoe", "x", "", "", "", "", NULL, NULL, NULL, NULL, NULL, NULL},
    };
    struct link_set *s = NULL;
    struct link_blocking *b = NULL;
    struct svp_err err;
    struct link_opts o;
    link_opts_default(&o);
    assert_int_equal(link_set_new(r, 5, &s, &err), 0);
    /* sorted: anna 1977 (3), thomas 1976 (1), thomas 1977 (0), thomas 1990 (2); zoe has no
     * date of birth and is in no neighbourhood */
    uint32_t *c = NULL;
    size_t nc = rule_candidates(s, "given_or_family+dob~2", &c);
    assert_int_equal(nc, 3);
    assert_true(has_pair(c, nc, 1, 3) && has_pair(c, nc, 0, 1) && has_pair(c, nc, 0, 2));
    svp_free(c);
    nc = rule_candidates(s, "given_or_family+dob~3", &c);
    assert_int_equal(nc, 5);
    assert_true(has_pair(c, nc, 0, 3) && has_pair(c, nc, 1, 2));
    assert_false(has_pair(c, nc, 2, 3));
    svp_free(c);
    /* family_or_given sorts thomas (0), thomas (2), gabriel (1), anna (3) by family name
     * first: anna 1977, gabriel 1976, thomas 1977, thomas 1990 */
    nc = rule_candidates(s, "family_or_given+dob~2", &c);
    assert_int_equal(nc, 3);
    assert_true(has_pair(c, nc, 1, 3) && has_pair(c, nc, 0, 1) && has_pair(c, nc, 0, 2));
    svp_free(c);
    /* the union has each pair once, whichever kind of rule gave it first */
    const char *eq_first[] = {"dob", "given_or_family+dob~2"};
    const char *win_first[] = {"given_or_family+dob~3", "dob", "given_or_family+dob~2"};
    assert_int_equal(link_blocking_parse(eq_first, 2, &b, &err), 0);
    assert_int_equal(link_blocking_candidates(s, b, &o, &c, &nc, &err), 0);
    assert_int_equal(nc, 4); /* (0,3) by the date, three by the window */
    for (size_t k = 1; k < nc; k++)
        assert_true(c[2 * k - 2] < c[2 * k] ||
                    (c[2 * k - 2] == c[2 * k] && c[2 * k - 1] < c[2 * k + 1]));
    svp_free(c);
    link_blocking_free(&b);
    assert_int_equal(link_blocking_parse(win_first, 3, &b, &err), 0);
    assert_int_equal(link_blocking_candidates(s, b, &o, &c, &nc, &err), 0);
    assert_int_equal(nc, 5); /* the window of 3 gave every pair the others would */
    svp_free(c);
    /* the counts: a window of W makes at most W - 1 pairs a record, none given twice */
    struct link_model *m = NULL;
    assert_int_equal(link_model_train(s, b, &o, &m, &err), 0);
    struct link_pair *pairs = NULL;
    size_t np = 0;
    struct link_stats st = {0};
    o.review_low = 0;
    assert_int_equal(link_pairs_make(s, b, m, &o, false, 0, &pairs, &np, &st, &err), 0);
    assert_int_equal(st.rule_pairs[0], 5);
    assert_int_equal(st.rule_new[0], 5);
    assert_int_equal(st.rule_pairs[1], 1);
    assert_int_equal(st.rule_new[1], 0);
    assert_int_equal(st.rule_pairs[2], 3);
    assert_int_equal(st.rule_new[2], 0);
    assert_int_equal(st.candidates, 5);
    svp_free(pairs);
    link_model_free(&m);
    link_blocking_free(&b);
    /* a window must be a whole number from 2 to LINK_MAX_WINDOW, after named fields */
    const char *bad[] = {"dob~1", "dob~", "dob~x", "dob~51", "~5", "dob~5~5", "shoe~3"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        assert_int_equal(link_blocking_parse(&bad[k], 1, &b, &err), SVP_EINPUT);
        assert_null(b);
    }
    assert_non_null(strstr(err.msg, "unknown field 'shoe'"));
    assert_int_equal(link_blocking_parse(&bad[0], 1, &b, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "from 2 to 50"));
    link_set_free(&s);
}

static void test_rule_explosion(void **state)
{
    (void)state;
    size_t n;
    struct link_rec *v = population(&n);
    struct link_set *s = NULL;
    struct link_blocking *b = NULL;
    struct link_model *m = NULL;
    struct svp_err err;
    struct link_opts o;
    link_opts_default(&o);
    assert_int_equal(link_set_new(v, n, &s, &err), 0);
    const char *ok[] = {"dob"};
    assert_int_equal(link_blocking_parse(ok, 1, &b, &err), 0);
    assert_int_equal(link_model_train(s, b, &o, &m, &err), 0);
    link_blocking_free(&b);
    const char *wide[] = {"sex"};
    assert_int_equal(link_blocking_parse(wide, 1, &b, &err), 0);
    struct link_pair *pairs = NULL;
    size_t np = 0;
    struct link_stats st = {0};
    /* with the default block limit, the two blocks (M, F) of over 30 records each are
     * left out of the rule and counted, so it makes no pairs */
    assert_int_equal(link_pairs_make(s, b, m, &o, false, 0, &pairs, &np, &st, &err), 0);
    assert_int_equal(st.rule_skipped_blocks[0], 2);
    assert_true(st.rule_skipped_pairs[0] > 1000);
    assert_int_equal(st.rule_pairs[0], 0);
    assert_int_equal(st.candidates, 0);
    svp_free(pairs);
    pairs = NULL;
    /* with blocks of any size allowed, the pair cap refuses the rule before pairs are made */
    memset(&st, 0, sizeof st);
    o.max_block = 100000;
    o.max_pairs = 1000;
    assert_int_equal(link_pairs_make(s, b, m, &o, false, 0, &pairs, &np, &st, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "'sex' would make"));
    assert_null(pairs);
    assert_true(st.rule_pairs[0] > 1000);
    link_blocking_free(&b);
    link_model_free(&m);
    link_set_free(&s);
    free(v);
}

/* ------------------------------------------------------------------ the store */

static void insert_record(struct store *db, const struct link_rec *r)
{
    struct svp_err err;
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(db,
                                   "INSERT INTO record (id, source, agency, agency_record_id, "
                                   "given_name, family_name, norm_given, norm_family, dob, sex, "
                                   "postcode, address, shared_id) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   &st, &err),
                     0);
    char rid[32];
    snprintf(rid, sizeof rid, "R%lld", (long long)r->id);
    assert_int_equal(store_bind_int64(st, 1, r->id), 0);
    assert_int_equal(store_bind_text(st, 2, r->source, -1), 0);
    assert_int_equal(store_bind_text(st, 3, r->source, -1), 0);
    assert_int_equal(store_bind_text(st, 4, rid, -1), 0);
    assert_int_equal(store_bind_text(st, 5, r->given, -1), 0);
    assert_int_equal(store_bind_text(st, 6, r->family, -1), 0);
    assert_int_equal(store_bind_text(st, 7, r->given, -1), 0);
    assert_int_equal(store_bind_text(st, 8, r->family, -1), 0);
    assert_int_equal(store_bind_text(st, 9, r->dob, -1), 0);
    assert_int_equal(store_bind_text(st, 10, r->sex, -1), 0);
    assert_int_equal(store_bind_text(st, 11, r->postcode, -1), 0);
    assert_int_equal(store_bind_text(st, 12, r->address, -1), 0);
    assert_int_equal(store_bind_text(st, 13, r->shared_id, -1), 0);
    if (store_step(st, &err) < 0)
        fail_msg("insert: %s", err.msg);
    store_finalize(&st);
}

/* person id of each record id 1..max (0 when unlinked), read from person_record */
static void persons_of(struct store *db, int64_t *out, size_t max)
{
    struct svp_err err;
    struct store_stmt *st = NULL;
    memset(out, 0, max * sizeof *out);
    assert_int_equal(store_prepare(db, "SELECT record_id, person_id FROM person_record", &st,
                                   &err),
                     0);
    while (store_step(st, &err) == STORE_ROW) {
        int64_t r = store_column_int64(st, 0);
        if (r > 0 && (size_t)r < max)
            out[r] = store_column_int64(st, 1);
    }
    store_finalize(&st);
}

/* The partition the person ids make, as "same as the smallest record id" per record. */
static void partition(const int64_t *pid, int64_t *part, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        part[i] = (int64_t)i;
        for (size_t j = 0; j < i; j++)
            if (pid[i] && pid[j] == pid[i]) {
                part[i] = (int64_t)j;
                break;
            }
    }
}

static void test_store_link(void **state)
{
    (void)state;
    char *uri = NULL;
    struct store *db = testutil_open_migrated(&uri);
    struct svp_err err;
    size_t n;
    struct link_rec *v = population(&n);
    size_t first = n - 60; /* the last records arrive in a later import */
    assert_int_equal(store_begin(db, &err), 0);
    for (size_t i = 0; i < first; i++)
        insert_record(db, &v[i]);
    assert_int_equal(store_commit(db, &err), 0);
    struct link_opts o;
    link_opts_default(&o);
    struct link_stats st;
    if (link_run_store(db, &o, NULL, 0, false, false, &st, &err))
        fail_msg("link: %s", err.msg);
    assert_true(st.clusters > 0);
    enum { MAXID = 600 };
    int64_t p1[MAXID], p2[MAXID], p3[MAXID], part2[MAXID], part3[MAXID];
    persons_of(db, p1, MAXID);
    assert_int_equal(p1[1], p1[2]);
    assert_int_not_equal(p1[6], p1[7]);
    /* the shared identifier read from the store joins the girl known by two given names */
    assert_int_equal(p1[23], p1[24]);
    assert_int_not_equal(p1[26], p1[27]);
    /* person ids are numbered 1, 2, ... in record order on both back ends */
    int64_t maxp = 0, np = 0;
    assert_int_equal(store_query_int64(db, "SELECT MAX(id) FROM person", &maxp, &err), 0);
    assert_int_equal(store_query_int64(db, "SELECT COUNT(*) FROM person", &np, &err), 0);
    assert_int_equal(maxp, np);
    assert_int_equal(p1[1], 1);
    /* a re-run with nothing new keeps every person id */
    assert_int_equal(link_run_store(db, &o, NULL, 0, false, false, &st, &err), 0);
    persons_of(db, p2, MAXID);
    assert_memory_equal(p1, p2, sizeof p1);
    /* a new import: incremental run ... */
    assert_int_equal(store_begin(db, &err), 0);
    for (size_t i = first; i < n; i++)
        insert_record(db, &v[i]);
    assert_int_equal(store_commit(db, &err), 0);
    assert_int_equal(link_run_store(db, &o, NULL, 0, false, false, &st, &err), 0);
    persons_of(db, p2, MAXID);
    /* ... old persons keep their ids ... */
    assert_int_equal(p2[1], p1[1]);
    assert_int_equal(p2[4], p1[4]);
    /* ... and equals a full re-link */
    int64_t pairs_inc, pairs_full;
    assert_int_equal(store_query_int64(db, "SELECT COUNT(*) FROM link_pair", &pairs_inc, &err),
                     0);
    assert_int_equal(link_run_store(db, &o, NULL, 0, true, false, &st, &err), 0);
    assert_int_equal(store_query_int64(db, "SELECT COUNT(*) FROM link_pair", &pairs_full, &err),
                     0);
    assert_int_equal(pairs_inc, pairs_full);
    persons_of(db, p3, MAXID);
    partition(p2, part2, MAXID);
    partition(p3, part3, MAXID);
    assert_memory_equal(part2, part3, sizeof part2);
    assert_memory_equal(p2, p3, sizeof p2); /* and the same ids */
    /* review: reject a pair the model joined, confirm one it did not; both survive re-links */
    assert_int_equal(link_review_decide(db, 2, 1, false, "tester", &err), 0);
    assert_int_equal(link_review_decide(db, 11, 12, true, "tester", &err), 0);
    assert_int_equal(link_review_decide(db, 11, 999999, true, "tester", &err), SVP_ENOTFOUND);
    assert_int_equal(link_review_decide(db, 11, 11, true, "tester", &err), SVP_EINPUT);
    for (int run = 0; run < 2; run++) {
        assert_int_equal(link_run_store(db, &o, NULL, 0, run == 1, run == 1, &st, &err), 0);
        persons_of(db, p3, MAXID);
        assert_int_not_equal(p3[1], p3[2]);
        assert_int_equal(p3[11], p3[12]);
    }
    /* explain reads the stored model */
    struct link_score sc;
    assert_int_equal(link_explain_store(db, 1, 3, &sc, &err), 0);
    assert_true(sc.probability > 0.5);
    assert_int_equal(link_explain_store(db, 1, 999999, &sc, &err), SVP_ENOTFOUND);
    /* a rule naming an unknown field is refused before anything is written */
    const char *bad[] = {"dob+colour"};
    assert_int_equal(link_run_store(db, &o, bad, 1, false, false, &st, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "colour"));
    /* the reason a record links weakly is kept */
    struct store_stmt *q = NULL;
    assert_int_equal(store_prepare(db, "SELECT reason FROM link_state WHERE record_id = 12", &q,
                                   &err),
                     0);
    assert_int_equal(store_step(q, &err), STORE_ROW);
    assert_string_equal(store_column_text(q, 0), "no name");
    store_finalize(&q);
    /* link writes its own person ids; the table's own numbering carries on after them */
    assert_int_equal(store_query_int64(db, "SELECT MAX(id) FROM person", &maxp, &err), 0);
    testutil_exec(db, "INSERT INTO person (created_at) VALUES ('2026-01-01T00:00:00Z')");
    assert_int_equal(store_query_int64(db, "SELECT MAX(id) FROM person", &np, &err), 0);
    assert_int_equal(np, maxp + 1);
    free(v);
    store_close(&db);
    testutil_drop_db(&uri);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaro_winkler),     cmocka_unit_test(test_jaro_window),
        cmocka_unit_test(test_jaro_winkler_min),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_phonetic),         cmocka_unit_test(test_nicknames),
        cmocka_unit_test(test_levels),           cmocka_unit_test(test_blocking_parse),
        cmocka_unit_test(test_contact),
        cmocka_unit_test(test_model_and_clusters), cmocka_unit_test(test_rule_explosion),
        cmocka_unit_test(test_blocking_fields), cmocka_unit_test(test_blocking_large),
        cmocka_unit_test(test_blocking_swap_letters), cmocka_unit_test(test_blocking_email_user),
        cmocka_unit_test(test_blocking_window),
        cmocka_unit_test(test_store_link),
    };
    return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}
