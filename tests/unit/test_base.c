/* Unit tests for the base room. */
#include "testutil.h"

#include "base/json.h"
#include "base/xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define D testutil_day

static void test_err_format(void **state)
{
    (void)state;
    struct svp_err err;
    char line[256];
    svp_err_at(&err, SVP_EINPUT, "police.csv", 12, "dob", "'%s' is not a date", "31/02/2020");
    svp_err_format(&err, line, sizeof line);
    assert_string_equal(line, "police.csv:12: field dob: '31/02/2020' is not a date");
    assert_int_equal(svp_exit_code(err.code), 1);
    svp_err_set(&err, SVP_EUSAGE, "two\nlines");
    svp_err_format(&err, line, sizeof line);
    assert_string_equal(line, "two lines");
    assert_int_equal(svp_exit_code(SVP_EUSAGE), 2);
    assert_int_equal(svp_exit_code(SVP_EDB), 3);
    /* A message may quote the error it replaces. */
    svp_err_set(&err, SVP_EINPUT, "inner");
    svp_err_at(&err, SVP_EINPUT, "f", 0, "x", "outer: %s", err.msg);
    assert_string_equal(err.msg, "outer: inner");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    size_t bad = 99;
    assert_true(svp_utf8_valid("Zoë Brontë", strlen("Zoë Brontë"), NULL));
    assert_false(svp_utf8_valid("ab\xC3", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(svp_utf8_valid("\xC0\xAF", 2, NULL));         /* overlong '/' */
    assert_false(svp_utf8_valid("\xED\xA0\x80", 3, NULL));     /* surrogate */
    assert_false(svp_utf8_valid("\xF4\x90\x80\x80", 4, NULL)); /* > U+10FFFF */
    assert_true(svp_utf8_valid("\xF0\x9F\x98\x80", 4, NULL));
}

static void check_norm(const char *in, const char *want)
{
    char *out = NULL;
    struct svp_err err;
    assert_int_equal(svp_name_normalise(in, strlen(in), &out, &err), SVP_OK);
    assert_string_equal(out, want);
    free(out);
}

/* The ASCII fast path gives what utf8proc's full mapping gives: each name of ASCII bytes
 * (NUL and controls too) against the same name with a soft hyphen (U+00AD, which the
 * mapping ignores) after it, which takes the full path. */
static void test_name_normalise_ascii(void **state)
{
    (void)state;
    struct svp_err err;
    for (int a = 0; a < 128; a++)
        for (int b = 0; b < 128; b++) {
            const char shapes[3][4] = {{(char)a, (char)b}, {(char)a, 'x', (char)b}, {'Q', (char)a, (char)b, '7'}};
            const size_t lens[3] = {2, 3, 4};
            for (int k = 0; k < 3; k++) {
                char slow_in[8];
                memcpy(slow_in, shapes[k], lens[k]);
                memcpy(slow_in + lens[k], "\xC2\xAD", 2);
                char *fast = NULL, *slow = NULL;
                assert_int_equal(svp_name_normalise(shapes[k], lens[k], &fast, &err), SVP_OK);
                assert_int_equal(svp_name_normalise(slow_in, lens[k] + 2, &slow, &err), SVP_OK);
                if (strcmp(fast, slow))
                    fail_msg("bytes %d %d shape %d: fast '%s', full '%s'", a, b, k, fast, slow);
                free(fast);
                free(slow);
            }
        }
}

static void test_name_normalise(void **state)
{
    (void)state;
    check_norm("  O'Brien ", "obrien");
    check_norm("SMITH-JONES", "smith jones");
    check_norm("Zoë  Brontë", "zoe bronte");
    check_norm("José\tÁlvarez", "jose alvarez");
    check_norm("Straße", "strasse");
    check_norm("ＪＯＨＮ", "john"); /* full-width: NFKC */
    check_norm("d’Arcy", "darcy");
    check_norm("...", "");
    char *out = NULL;
    struct svp_err err;
    assert_int_equal(svp_name_normalise("bad\xFF", 4, &out, &err), SVP_EINPUT);
    assert_null(out);
}

static void test_cp1252(void **state)
{
    (void)state;
    char *out = NULL;
    size_t n;
    struct svp_err err;
    assert_int_equal(svp_cp1252_to_utf8("Zo\xEB \x80 \x92", 7, &out, &n, &err), SVP_OK);
    assert_string_equal(out, "Zoë € ’");
    free(out);
    assert_int_equal(svp_cp1252_to_utf8("x\x81", 2, &out, &n, &err), SVP_EINPUT);
    /* long ASCII runs (copied eight bytes at a step) around high bytes, at every alignment,
     * and an undefined byte after a run is still found */
    char in[64], want[128];
    for (int at = 0; at < 40; at++) {
        size_t w = 0;
        for (int i = 0; i < 40; i++) {
            in[i] = i == at ? '\xE9' : (char)('a' + i % 26);
            if (i == at)
                memcpy(want + w, "\xC3\xA9", 2), w += 2;
            else
                want[w++] = in[i];
        }
        want[w] = '\0';
        assert_int_equal(svp_cp1252_to_utf8(in, 40, &out, &n, &err), SVP_OK);
        assert_string_equal(out, want);
        assert_int_equal(n, w);
        free(out);
        in[at] = '\x8D';
        assert_int_equal(svp_cp1252_to_utf8(in, 40, &out, &n, &err), SVP_EINPUT);
        assert_non_null(strstr(err.msg, "0x8D"));
    }
    assert_int_equal(svp_cp1252_to_utf8("", 0, &out, &n, &err), SVP_OK);
    assert_string_equal(out, "");
    free(out);
}

/* svp_hash_fast: the same bytes the same hash, whatever their alignment; any byte, the
 * length or the starting value changed, another. */
static void test_hash_fast(void **state)
{
    (void)state;
    char buf[80];
    for (int i = 0; i < 80; i++)
        buf[i] = (char)('A' + i % 50);
    for (size_t n = 0; n <= 33; n++) {
        uint64_t h = svp_hash_fast(buf, n, 1);
        char copy[48];
        memcpy(copy + 3, buf, n); /* unaligned */
        assert_true(svp_hash_fast(copy + 3, n, 1) == h);
        assert_true(svp_hash_fast(buf, n, 2) != h);
        assert_true(svp_hash_fast(buf, n + 1, 1) != h);
        for (size_t k = 0; k < n; k++) {
            buf[k] ^= 1;
            assert_true(svp_hash_fast(buf, n, 1) != h);
            buf[k] ^= 1;
        }
    }
    /* "ab" then "c" is not "a" then "bc" */
    assert_true(svp_hash_fast("c", 1, svp_hash_fast("ab", 2, 7)) !=
                svp_hash_fast("bc", 2, svp_hash_fast("a", 1, 7)));
}

/* UTF-16 with its byte order mark, both byte orders: a letter outside the Basic Multilingual
 * Plane (a surrogate pair) converts whole, the mark is dropped; text that is not UTF-16 is
 * refused naming the byte; a prefix cut inside a character keeps the characters before. */
static void test_utf16(void **state)
{
    (void)state;
    char *out = NULL;
    size_t n;
    struct svp_err err;
    /* "Zoë,𝔸\n": Z o ë , U+1D538 (D835 DD38) \n */
    static const char le[] = "\xFF\xFEZ\0o\0\xEB\0,\0\x35\xD8\x38\xDD\n\0";
    static const char be[] = "\xFE\xFF\0Z\0o\0\xEB\0,\xD8\x35\xDD\x38\0\n";
    assert_int_equal(svp_utf16_bom(le, sizeof le - 1), 1);
    assert_int_equal(svp_utf16_bom(be, sizeof be - 1), 2);
    assert_int_equal(svp_utf16_bom("Zo", 2), 0);
    assert_int_equal(svp_utf16_bom("\xFF\xFE\0\0", 4), 0); /* UTF-32LE's mark */
    assert_int_equal(svp_utf16_to_utf8(le, sizeof le - 1, false, &out, &n, &err), SVP_OK);
    assert_string_equal(out, "Zoë,\xF0\x9D\x94\xB8\n");
    assert_int_equal(n, strlen(out));
    free(out);
    assert_int_equal(svp_utf16_to_utf8(be, sizeof be - 1, false, &out, &n, &err), SVP_OK);
    assert_string_equal(out, "Zoë,\xF0\x9D\x94\xB8\n");
    free(out);
    /* a high surrogate followed by a letter: not UTF-16 */
    static const char lone[] = "\xFF\xFEZ\0\x35\xD8o\0";
    assert_int_equal(svp_utf16_to_utf8(lone, sizeof lone - 1, false, &out, &n, &err),
                     SVP_EINPUT);
    assert_null(out);
    assert_non_null(strstr(err.msg, "unpaired surrogate at byte 4"));
    /* cut inside the pair: refused whole, or the characters before it as a prefix */
    assert_int_equal(svp_utf16_to_utf8(le, 12, false, &out, &n, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "ends inside a character"));
    assert_int_equal(svp_utf16_to_utf8(le, 12, true, &out, &n, &err), SVP_OK);
    assert_string_equal(out, "Zoë,");
    free(out);
    assert_int_equal(svp_utf16_to_utf8(le, 3, false, &out, &n, &err), SVP_EINPUT); /* odd */
    assert_int_equal(svp_utf16_to_utf8("Zo", 2, false, &out, &n, &err), SVP_EINPUT);
    assert_int_equal(svp_utf16_to_utf8(le, 2, false, &out, &n, &err), SVP_OK); /* mark only */
    assert_string_equal(out, "");
    free(out);
}

static void test_dates(void **state)
{
    (void)state;
    svp_day d;
    struct svp_err err;
    assert_int_equal(svp_date_parse_iso("1970-01-01", 10, &d, &err), SVP_OK);
    assert_int_equal(d, 0);
    assert_int_equal(svp_date_parse_iso("2024-02-29", 10, &d, &err), SVP_OK);
    assert_int_equal(svp_date_parse_iso("2023-02-29", 10, &d, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "no such day"));
    assert_int_equal(svp_date_parse_iso("1900-02-29", 10, &d, &err), SVP_EINPUT);
    assert_int_equal(svp_date_parse_iso("2000-02-29", 10, &d, &err), SVP_OK);
    assert_int_equal(svp_date_parse_iso("2023-13-01", 10, &d, &err), SVP_EINPUT);
    assert_int_equal(svp_date_parse_iso("2023-1-01", 9, &d, &err), SVP_EINPUT);
    assert_int_equal(svp_date_parse_iso("2023-01-011", 11, &d, &err), SVP_EINPUT);
    assert_int_equal(svp_date_parse_iso("", 0, &d, &err), SVP_EINPUT);
    int y, m, dd;
    svp_date_to_ymd(D("2022-09-19"), &y, &m, &dd);
    assert_int_equal(y * 10000 + m * 100 + dd, 20220919);
    assert_int_equal(svp_date_weekday(D("2022-09-19")), 0); /* Monday */
    assert_int_equal(svp_date_weekday(D("1969-12-31")), 2);
    assert_int_equal(svp_date_add_months(D("2023-01-31"), 1), D("2023-02-28"));
    assert_int_equal(svp_date_add_months(D("2024-01-31"), 1), D("2024-02-29"));
    assert_int_equal(svp_date_add_months(D("2024-03-31"), -1), D("2024-02-29"));
    /* whole years: a birthday counts on its day; a 29 February birthday on 1 March */
    assert_int_equal(svp_date_age(D("2008-02-19"), D("2026-02-18")), 17);
    assert_int_equal(svp_date_age(D("2008-02-19"), D("2026-02-19")), 18);
    assert_int_equal(svp_date_age(D("2008-02-29"), D("2026-02-28")), 17);
    assert_int_equal(svp_date_age(D("2008-02-29"), D("2026-03-01")), 18);
    assert_int_equal(svp_date_age(D("2026-03-01"), D("2026-02-28")), -1);
    assert_int_equal(svp_date_add_months(D("2022-08-15"), 6), D("2023-02-15"));
    char buf[32];
    svp_date_format(D("2021-04-01"), buf, sizeof buf);
    assert_string_equal(buf, "2021-04-01");
}

static void test_times(void **state)
{
    (void)state;
    svp_time t;
    struct svp_err err;
    char buf[32];
    assert_int_equal(svp_time_parse_iso("2022-06-02T14:30", 16, &t, &err), SVP_OK);
    svp_time_format(t, buf, sizeof buf);
    assert_string_equal(buf, "2022-06-02T14:30:00Z");
    assert_int_equal(svp_time_parse_iso("2022-06-02T14:30:05+01:00", 25, &t, &err), SVP_OK);
    svp_time_format(t, buf, sizeof buf);
    assert_string_equal(buf, "2022-06-02T13:30:05Z");
    assert_int_equal(svp_time_parse_iso("2022-06-02 01:02:03.123Z", 24, &t, &err), SVP_OK);
    assert_int_equal(svp_time_parse_iso("2022-06-02T24:00", 16, &t, &err), SVP_EINPUT);
    assert_int_equal(svp_time_parse_iso("2022-06-02T10:60", 16, &t, &err), SVP_EINPUT);
    assert_int_equal(svp_time_parse_iso("2022-06-02X", 11, &t, &err), SVP_EINPUT);
    const char *uk = "05/03/2020 18:45";
    assert_int_equal(svp_time_parse_fmt(uk, strlen(uk), "%d/%m/%Y %H:%M", &t, &err), SVP_OK);
    svp_time_format(t, buf, sizeof buf);
    assert_string_equal(buf, "2020-03-05T18:45:00Z");
    assert_int_equal(svp_time_parse_fmt("5/3/2020", 8, "%d/%m/%Y", &t, &err), SVP_OK);
    assert_int_equal(svp_time_parse_fmt("31/02/2020", 10, "%d/%m/%Y", &t, &err), SVP_EINPUT);
    assert_int_equal(svp_time_parse_fmt("2020-02-01", 10, "%d/%m/%Y", &t, &err), SVP_EINPUT);
    assert_int_equal(svp_time_parse_fmt("01/02/2020", 10, "%d/%q/%Y", &t, &err), SVP_EINPUT);
    assert_int_equal(svp_time_parse_fmt("01/02/2020", 10, "%d/%m/", &t, &err), SVP_EINPUT);
}

/* Parses s with fmt and options into "YYYY-MM-DDTHH:MM:SSZ" (or "ERR"). */
static const char *fmt_parse(const char *s, const char *fmt, int century_end, bool london)
{
    static char buf[32];
    struct svp_err err;
    svp_time t;
    struct svp_date_opts o = {.century_end = century_end, .london = london};
    if (svp_time_parse_fmt_opt(s, strlen(s), fmt, &o, &t, &err))
        return "ERR";
    svp_time_format(t, buf, sizeof buf);
    return buf;
}

static void test_date_formats(void **state)
{
    (void)state;
    /* month names and abbreviations, any case */
    assert_string_equal(fmt_parse("19-Feb-2008", "%d-%b-%Y", 0, false), "2008-02-19T00:00:00Z");
    assert_string_equal(fmt_parse("19-FEB-2008", "%d-%b-%Y", 0, false), "2008-02-19T00:00:00Z");
    assert_string_equal(fmt_parse("3 september 2019", "%d %B %Y", 0, false),
                        "2019-09-03T00:00:00Z");
    assert_string_equal(fmt_parse("3 Sept 2019", "%d %b %Y", 0, false), "2019-09-03T00:00:00Z");
    assert_string_equal(fmt_parse("3 Sep 2019", "%d %b %Y", 0, false), "2019-09-03T00:00:00Z");
    assert_string_equal(fmt_parse("3 Spt 2019", "%d %b %Y", 0, false), "ERR");
    assert_string_equal(fmt_parse("3 Ma 2019", "%d %b %Y", 0, false), "ERR");
    assert_string_equal(fmt_parse("31-Apr-2019", "%d-%b-%Y", 0, false), "ERR");
    /* a day as an ordinal; month first (US systems) */
    assert_string_equal(fmt_parse("15th March 2023", "%d %B %Y", 0, false),
                        "2023-03-15T00:00:00Z");
    assert_string_equal(fmt_parse("1ST March 2023", "%d %B %Y", 0, false),
                        "2023-03-01T00:00:00Z");
    assert_string_equal(fmt_parse("February 22nd, 2008", "%b %d, %Y", 0, false),
                        "2008-02-22T00:00:00Z");
    assert_string_equal(fmt_parse("15xx March 2023", "%d %B %Y", 0, false), "ERR");
    assert_string_equal(fmt_parse("2/19/2008", "%m/%d/%Y", 0, false), "2008-02-19T00:00:00Z");
    assert_string_equal(fmt_parse("19/2/2008", "%m/%d/%Y", 0, false), "ERR");
    /* two-digit years: the latest year ending so that is not after century_end */
    assert_string_equal(fmt_parse("01/02/24", "%d/%m/%y", 2024, false), "2024-02-01T00:00:00Z");
    assert_string_equal(fmt_parse("01/02/25", "%d/%m/%y", 2024, false), "1925-02-01T00:00:00Z");
    assert_string_equal(fmt_parse("01/02/08", "%d/%m/%y", 2024, false), "2008-02-01T00:00:00Z");
    assert_string_equal(fmt_parse("01/02/99", "%d/%m/%y", 2024, false), "1999-02-01T00:00:00Z");
    assert_string_equal(fmt_parse("01/02/9", "%d/%m/%y", 2024, false), "ERR");
    /* 'T' or space before the time */
    assert_string_equal(fmt_parse("2024-02-01T18:30", "%Y-%m-%d %H:%M", 0, false),
                        "2024-02-01T18:30:00Z");
    assert_string_equal(fmt_parse("2024-02-01 18:30", "%Y-%m-%dT%H:%M", 0, false),
                        "2024-02-01T18:30:00Z");
    assert_string_equal(fmt_parse("2024-02-01X18:30", "%Y-%m-%dT%H:%M", 0, false), "ERR");
    /* Excel serial days: 1 = 1900-01-01, 60 never was, 61 = 1900-03-01 */
    assert_string_equal(fmt_parse("1", "excel", 0, false), "1900-01-01T00:00:00Z");
    assert_string_equal(fmt_parse("59", "excel", 0, false), "1900-02-28T00:00:00Z");
    assert_string_equal(fmt_parse("60", "excel", 0, false), "ERR");
    assert_string_equal(fmt_parse("61", "excel", 0, false), "1900-03-01T00:00:00Z");
    assert_string_equal(fmt_parse("39497", "excel", 0, false), "2008-02-19T00:00:00Z");
    assert_string_equal(fmt_parse("45323.75", "excel", 0, false), "2024-02-01T18:00:00Z");
    assert_string_equal(fmt_parse("0", "excel", 0, false), "ERR");
    assert_string_equal(fmt_parse("4e4", "excel", 0, false), "ERR");
    assert_string_equal(fmt_parse("", "excel", 0, false), "ERR");
    /* Europe/London: GMT in winter, BST (UTC+1) from the last Sunday of March 01:00 GMT to
     * the last Sunday of October 01:00 GMT */
    assert_string_equal(fmt_parse("15/01/2024 18:30", "%d/%m/%Y %H:%M", 0, true),
                        "2024-01-15T18:30:00Z");
    assert_string_equal(fmt_parse("15/07/2024 18:30", "%d/%m/%Y %H:%M", 0, true),
                        "2024-07-15T17:30:00Z");
    assert_string_equal(fmt_parse("31/03/2024 00:59", "%d/%m/%Y %H:%M", 0, true),
                        "2024-03-31T00:59:00Z");
    assert_string_equal(fmt_parse("31/03/2024 02:00", "%d/%m/%Y %H:%M", 0, true),
                        "2024-03-31T01:00:00Z");
    assert_string_equal(fmt_parse("27/10/2024 00:30", "%d/%m/%Y %H:%M", 0, true),
                        "2024-10-26T23:30:00Z");
    assert_string_equal(fmt_parse("27/10/2024 02:00", "%d/%m/%Y %H:%M", 0, true),
                        "2024-10-27T02:00:00Z");
    /* dates before 1900 are dates */
    assert_string_equal(fmt_parse("01/01/1899", "%d/%m/%Y", 0, false), "1899-01-01T00:00:00Z");
    /* 12-hour clocks: SQL Server's padded default text, Access/Excel with or without a space
     * before AM/PM, midnight and noon, "p.m." */
    assert_string_equal(fmt_parse("Feb  1 2024  6:30PM", "%b %d %Y %I:%M%p", 0, false),
                        "2024-02-01T18:30:00Z");
    assert_string_equal(fmt_parse("Feb 11 2024 10:05AM", "%b %d %Y %I:%M%p", 0, false),
                        "2024-02-11T10:05:00Z");
    assert_string_equal(fmt_parse("01/02/2024 6:30 PM", "%d/%m/%Y %I:%M %p", 0, false),
                        "2024-02-01T18:30:00Z");
    assert_string_equal(fmt_parse("01/02/2024 6:30pm", "%d/%m/%Y %I:%M %p", 0, false),
                        "2024-02-01T18:30:00Z");
    assert_string_equal(fmt_parse("01/02/2024 12:05 AM", "%d/%m/%Y %I:%M %p", 0, false),
                        "2024-02-01T00:05:00Z");
    assert_string_equal(fmt_parse("01/02/2024 12:05 p.m.", "%d/%m/%Y %I:%M %p", 0, false),
                        "2024-02-01T12:05:00Z");
    assert_string_equal(fmt_parse("01/02/2024 13:05 PM", "%d/%m/%Y %I:%M %p", 0, false), "ERR");
    assert_string_equal(fmt_parse("01/02/2024 0:05 AM", "%d/%m/%Y %I:%M %p", 0, false), "ERR");
    assert_string_equal(fmt_parse("01/02/2024 6:30 XM", "%d/%m/%Y %I:%M %p", 0, false), "ERR");
    assert_string_equal(fmt_parse("01/02/2024 6:30", "%d/%m/%Y %I:%M %p", 0, false), "ERR");
    /* across the clocks' change a 12-hour local time is converted as any other */
    assert_string_equal(fmt_parse("07/07/2024 6:30 PM", "%d/%m/%Y %I:%M %p", 0, true),
                        "2024-07-07T17:30:00Z");
    /* fractions of a second are read and dropped: SQL Server, Oracle's TIMESTAMP text */
    assert_string_equal(fmt_parse("01/02/2024 18:30:15.250", "%d/%m/%Y %H:%M:%S.%f", 0, false),
                        "2024-02-01T18:30:15Z");
    assert_string_equal(fmt_parse("01-FEB-24 18.30.00.000000000", "%d-%b-%y %H.%M.%S.%f", 2024,
                                  false),
                        "2024-02-01T18:30:00Z");
    assert_string_equal(fmt_parse("01/02/2024 18:30:15.", "%d/%m/%Y %H:%M:%S.%f", 0, false),
                        "ERR");
    assert_true(svp_date_fmt_has_time("%d/%m/%Y %I:%M %p"));
    assert_true(svp_date_fmt_has_time("%d/%m/%Y %H:%M"));
    assert_false(svp_date_fmt_has_time("%d/%m/%Y"));
}

/* "title|given|middle|family|suffix[|known_as]" of a name split in order. */
static const char *split(const char *s, enum svp_name_order order)
{
    static char buf[256];
    struct svp_name_parts np;
    svp_name_split(s, strlen(s), order, &np);
    const struct svp_span *parts[6] = {&np.title,  &np.given,  &np.middle,
                                       &np.family, &np.suffix, &np.known_as};
    size_t at = 0;
    for (int i = 0; i < 6; i++) {
        if (i == 5 && !parts[i]->p)
            break; /* "|known_as" only when there is one */
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%.*s", i ? "|" : "",
                               (int)parts[i]->n, parts[i]->p ? parts[i]->p : "");
    }
    return buf;
}

/* "title|given|known_as" of a given-name column's value. */
static const char *given_split(const char *s)
{
    static char buf[256];
    struct svp_name_parts np;
    svp_name_given_split(s, strlen(s), &np);
    snprintf(buf, sizeof buf, "%.*s|%.*s|%.*s", (int)np.title.n, np.title.p ? np.title.p : "",
             (int)np.given.n, np.given.p ? np.given.p : "", (int)np.known_as.n,
             np.known_as.p ? np.known_as.p : "");
    assert_null(np.family.p);
    assert_null(np.middle.p);
    return buf;
}

static void test_trim(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {{"  Dunn \t", "Dunn"},           {"Surname\xc2\xa0", "Surname"},
                 {"\xc2\xa0 Lee\xc2\xa0\xc2\xa0", "Lee"}, {"Mary\xc2\xa0" "Ann", "Mary\xc2\xa0" "Ann"},
                 {"\xc2", "\xc2"},                {"\xc2\xa0", ""},
                 {"", ""},                       {" \r\n", ""}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *s = cases[i].in;
        size_t n = strlen(s);
        svp_trim(&s, &n);
        assert_int_equal(n, strlen(cases[i].out));
        assert_memory_equal(s, cases[i].out, n);
    }
}

static void test_name_given_split(void **state)
{
    (void)state;
    assert_string_equal(given_split("Kayla (Kay)"), "|Kayla|Kay");
    assert_string_equal(given_split("Kayla \"Kay\""), "|Kayla|Kay");
    assert_string_equal(given_split("'Kay' Kayla"), "|Kayla|Kay");
    assert_string_equal(given_split("Jane Ann"), "|Jane Ann|");
    assert_string_equal(given_split("Mr John"), "Mr|John|");
    assert_string_equal(given_split("Dr Jane Ann (Annie)"), "Dr|Jane Ann|Annie");
    assert_string_equal(given_split("Mr"), "|Mr|"); /* a title alone is what was written */
    assert_string_equal(given_split("Siobhan O'Neil"), "|Siobhan O'Neil|");
    assert_string_equal(given_split("Kayla (Kay"), "|Kayla (Kay|"); /* never closed */
    assert_string_equal(given_split(""), "||");
}

static void test_name_split(void **state)
{
    (void)state;
    enum svp_name_order g = SVP_NAME_GIVEN_FIRST, f = SVP_NAME_SURNAME_FIRST,
                        any = SVP_NAME_ANY_ORDER;
    assert_string_equal(split("SMITH, Jane Ann", f), "|Jane|Ann|SMITH|");
    assert_string_equal(split("SMITH, Jane Ann", any), "|Jane|Ann|SMITH|");
    assert_string_equal(split("SMITH Jane Ann", f), "|Jane|Ann|SMITH|");
    assert_string_equal(split("SMITH Jane Ann", any), "|Jane|Ann|SMITH|");
    assert_string_equal(split("SMITH Jane Ann", g), "|Jane|Ann|SMITH|"); /* case wins */
    assert_string_equal(split("VAN DER BERG Anna Maria", any), "|Anna|Maria|VAN DER BERG|");
    assert_string_equal(split("Jane Ann SMITH", any), "|Jane|Ann|SMITH|");
    assert_string_equal(split("Jane Ann SMITH", f), "|Jane|Ann|SMITH|");
    assert_string_equal(split("Jane LLOYD GEORGE", g), "|Jane||LLOYD GEORGE|");
    assert_string_equal(split("Jane Ann Smith", g), "|Jane|Ann|Smith|");
    assert_string_equal(split("Smith Jane Ann", f), "|Jane|Ann|Smith|");
    assert_string_equal(split("Jane Smith-Jones", g), "|Jane||Smith-Jones|");
    assert_string_equal(split("SMITH-JONES Jane", any), "|Jane||SMITH-JONES|");
    assert_string_equal(split("J A Smith", g), "|J|A|Smith|");
    assert_string_equal(split("SMITH J A", any), "|J|A|SMITH|");
    assert_string_equal(split("J SMITH", any), "|J||SMITH|");
    assert_string_equal(split("Ludwig van Beethoven", g), "|Ludwig||van Beethoven|");
    assert_string_equal(split("Kayla Van Der Berg", g), "|Kayla||Van Der Berg|");
    assert_string_equal(split("Ana Maria De Souza", g), "|Ana|Maria|De Souza|");
    assert_string_equal(split("Di Smith", g), "|Di||Smith|");
    /* a known-as name in brackets or quotes; O'Brien's apostrophe is a name's */
    assert_string_equal(split("DUNN, Kayla (Kay)", any), "|Kayla||DUNN||Kay");
    assert_string_equal(split("Kayla \"Kay\" DUNN", any), "|Kayla||DUNN||Kay");
    assert_string_equal(split("Kayla (Kay Lee) Dunn", g), "|Kayla||Dunn||Kay Lee");
    assert_string_equal(split("Mr Sean 'Shay' O'BRIEN", any), "Mr|Sean||O'BRIEN||Shay");
    assert_string_equal(split("O'BRIEN Sean", any), "|Sean||O'BRIEN|");
    assert_string_equal(split("Kayla (Kay Dunn", g), "|Kayla|(Kay|Dunn|"); /* never closed */
    /* particles before an upper-case surname written first */
    assert_string_equal(split("de la CRUZ Maria", any), "|Maria||de la CRUZ|");
    assert_string_equal(split("van GOGH Vincent Willem", f), "|Vincent|Willem|van GOGH|");
    assert_string_equal(split("Maria de la CRUZ", any), "|Maria||de la CRUZ|");
    assert_string_equal(split("Mr John Smith", g), "Mr|John||Smith|");
    assert_string_equal(split("Mrs. J. Smith", g), "Mrs.|J.||Smith|");
    assert_string_equal(split("Rev Dr Ann Lee", g), "Rev Dr|Ann||Lee|");
    assert_string_equal(split("SMITH, Dr Ann", f), "Dr|Ann||SMITH|");
    assert_string_equal(split("John Smith Jr", g), "|John||Smith|Jr");
    assert_string_equal(split("John Smith III", g), "|John||Smith|III");
    assert_string_equal(split("Sir John Smith, 9th Baronet", any),
                        "Sir|John||Smith|9th Baronet");
    assert_string_equal(split("Sir John Smith, 9th Baronet", f), "Sir|John||Smith|9th Baronet");
    assert_string_equal(split("Dame Ann Lee OBE", g), "Dame|Ann||Lee|OBE");
    assert_string_equal(split("SMITH Jr, John", f), "|John||SMITH|Jr");
    /* a title that is also a surname, in upper case before a forename that is not: the
     * surname of a SURNAME Forename layout; in mixed case or before more capitals, a title */
    assert_string_equal(split("LORD Ariana", f), "|Ariana||LORD|");
    assert_string_equal(split("LORD Ariana", any), "|Ariana||LORD|");
    assert_string_equal(split("MASTER Kai Lee", any), "|Kai|Lee|MASTER|");
    assert_string_equal(split("Lord Ariana Smith", g), "Lord|Ariana||Smith|");
    assert_string_equal(split("MR John Smith", g), "MR|John||Smith|");
    assert_string_equal(split("LORD JOHN SMITH", g), "LORD|JOHN||SMITH|");
    /* a title alone, a surname alone, nothing */
    assert_string_equal(split("Smith", g), "|||Smith|");
    assert_string_equal(split("Mr Smith", g), "Mr|||Smith|");
    assert_string_equal(split("", g), "||||");
    assert_string_equal(split(" , ", f), "||||");
}

static struct svp_calendar *load_cal(void)
{
    struct svp_calendar *cal = NULL;
    struct svp_err err;
    const struct svp_embedded *e = svp_data_find("bank-holidays.csv");
    assert_non_null(e);
    if (svp_calendar_load_csv_mem(e->data, e->len, "bank-holidays.csv", &cal, &err))
        fail_msg("%s", err.msg);
    return cal;
}

static void check_add(struct svp_calendar *cal, const char *start, int n, const char *want)
{
    svp_day out;
    struct svp_err err;
    if (svp_calendar_add_working_days(cal, D(start), n, &out, &err))
        fail_msg("%s + %d: %s", start, n, err.msg);
    char buf[16];
    svp_date_format(out, buf, sizeof buf);
    if (strcmp(buf, want))
        fail_msg("%s + %d working days: got %s, want %s", start, n, buf, want);
    int back;
    assert_int_equal(svp_calendar_working_days_between(cal, D(start), out, &back, &err), 0);
    assert_int_equal(back, n);
}

/* Hand-worked cases around the holidays that catch calendars out. */
static void test_calendar_hand_worked(void **state)
{
    (void)state;
    struct svp_calendar *cal = load_cal();
    /* Platinum Jubilee: Thu 2 and Fri 3 June 2022 (the late May holiday moved). */
    check_add(cal, "2022-06-01", 1, "2022-06-06");
    check_add(cal, "2022-05-27", 5, "2022-06-07");
    check_add(cal, "2022-06-06", -1, "2022-06-01");
    /* State Funeral of Queen Elizabeth II: Mon 19 September 2022. */
    check_add(cal, "2022-09-16", 1, "2022-09-20");
    check_add(cal, "2022-09-12", 5, "2022-09-20");
    /* Coronation of King Charles III: Mon 8 May 2023, and the early May holiday on 1 May. */
    check_add(cal, "2023-05-05", 1, "2023-05-09");
    check_add(cal, "2023-04-28", 5, "2023-05-09");
    /* Easter 2023: Good Friday 7 April, Easter Monday 10 April. */
    check_add(cal, "2023-04-06", 1, "2023-04-11");
    check_add(cal, "2023-04-05", 15, "2023-04-28");
    /* Christmas 2022: Sunday 25th, so the holidays are Mon 26 and Tue 27 December. */
    check_add(cal, "2022-12-23", 1, "2022-12-28");
    check_add(cal, "2022-12-23", 5, "2023-01-04");
    /* A start on a weekend is still day 0. */
    check_add(cal, "2023-01-07", 1, "2023-01-09");
    check_add(cal, "2023-01-07", 0, "2023-01-07");
    assert_true(svp_calendar_is_holiday(cal, D("2023-05-08")));
    assert_false(svp_calendar_is_working_day(cal, D("2022-09-19")));
    assert_true(svp_calendar_is_working_day(cal, D("2022-09-20")));
    svp_day out;
    struct svp_err err;
    assert_int_equal(svp_calendar_add_working_days(cal, D("2027-12-20"), 30, &out, &err),
                     SVP_EINPUT);
    assert_non_null(strstr(err.msg, "outside the bank holidays known"));
    int n;
    assert_int_equal(svp_calendar_working_days_between(cal, D("2011-06-01"), D("2012-06-01"),
                                                       &n, &err),
                     SVP_EINPUT);
    svp_calendar_free(&cal);
    assert_null(cal);
}

static void test_calendar_bad_files(void **state)
{
    (void)state;
    struct svp_calendar *cal = NULL;
    struct svp_err err;
    const char *no_header = "2022-01-03,New Year\n";
    assert_int_equal(svp_calendar_load_csv_mem(no_header, strlen(no_header), "h.csv", &cal, &err),
                     SVP_EINPUT);
    const char *bad_date = "date,title\n2022-01-03,x\n2023-02-29,y\n";
    assert_int_equal(svp_calendar_load_csv_mem(bad_date, strlen(bad_date), "h.csv", &cal, &err),
                     SVP_EINPUT);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.field, "date");
    const char *empty = "date,title\n";
    assert_int_equal(svp_calendar_load_csv_mem(empty, strlen(empty), "h.csv", &cal, &err),
                     SVP_EINPUT);
    assert_int_equal(svp_calendar_load_csv("/nonexistent/h.csv", &cal, &err), SVP_ENOTFOUND);
    assert_null(cal);
}

/* Reads all records of text into a flat "a|b;c|d" form for easy comparison. */
static char *csv_flatten(const char *text, size_t len, const struct svp_csv_opts *opts,
                         int *status)
{
    struct svp_csv *csv = NULL;
    struct svp_err err;
    assert_int_equal(svp_csv_open_mem(text, len, opts, &csv, &err), SVP_OK);
    struct svp_buf out;
    svp_buf_init(&out, 0);
    struct svp_csv_row row;
    int rc;
    while ((rc = svp_csv_next(csv, &row, &err)) == 1) {
        if (row.error) {
            assert_int_equal(svp_buf_printf(&out, "!%ld:%s;", row.line, row.error), 0);
            continue;
        }
        for (size_t i = 0; i < row.nfields; i++)
            assert_int_equal(svp_buf_printf(&out, "%s%s", i ? "|" : "", row.fields[i].p), 0);
        assert_int_equal(svp_buf_putc(&out, ';'), 0);
    }
    *status = rc;
    svp_csv_free(&csv);
    return svp_buf_take(&out);
}

static void check_csv(const char *text, const char *want)
{
    int rc;
    char *got = csv_flatten(text, strlen(text), NULL, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(got, want);
    free(got);
}

static void test_csv_basic(void **state)
{
    (void)state;
    check_csv("a,b\n1,2\n", "a|b;1|2;");
    check_csv("a,b\r\n1,2\r\n", "a|b;1|2;");
    check_csv("\xEF\xBB\xBF" "a,b\n1,2", "a|b;1|2;");
    check_csv("a,\"b,c\",\"say \"\"hi\"\"\"\n", "a|b,c|say \"hi\";");
    check_csv("x,\"line1\nline2\",y\nz\n", "x|line1\nline2|y;z;");
    check_csv("a,,b,\n", "a||b|;");
    check_csv("", "");
    check_csv("one\n\ntwo\n", "one;;two;");
    check_csv("ragged,row,here\nshort\n", "ragged|row|here;short;");
    check_csv("a\"b,c\n", "a\"b|c;");
    /* spaces after a quoted field pad it; a quote after a space is text, as free text
     * writes one ("a, "quoted" word" unquoted), so it does not open a quoted field */
    check_csv("1,\"DUNN, Kayla\" ,x\n3,\"a\"\t\n", "1|DUNN, Kayla|x;3|a;");
    check_csv("  x ,\" y \"\n", "  x | y ;"); /* unquoted spaces and quoted ones are kept */
    check_csv("a, \"b\" c,d\n", "a| \"b\" c|d;");
    /* values written for Excel as text formulas: the text inside, quoted or not; quotes
     * inside doubled; anything else that starts with = is as written */
    check_csv("=\"00123\",\"=\"\"07700 900123\"\"\",=\"\"\n", "00123|07700 900123|;");
    check_csv("\"=\"\"a,\"\"\"\"b\"\"\"\n", "a,\"b;");
    check_csv("=SUM(A1),=\"x\"y\",=\"a\"b\"\n", "=SUM(A1)|=\"x\"y\"|=\"a\"b\";");
}

static void test_csv_bad_records(void **state)
{
    (void)state;
    int rc;
    char *got = csv_flatten("a,\"b\"x,c\nok,1\n", 14, NULL, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(got, "!1:unexpected character after the closing quote"));
    assert_non_null(strstr(got, "ok|1;"));
    free(got);

    const char nul[] = "a,b\0c,d\nok,2\n";
    got = csv_flatten(nul, sizeof nul - 1, NULL, &rc);
    assert_non_null(strstr(got, "!1:NUL byte in field 2;"));
    assert_non_null(strstr(got, "ok|2;"));
    free(got);

    struct svp_csv_opts strict = {.check_utf8 = true};
    got = csv_flatten("a,ok\nb,bad\xC3(\nc,fine\n", 21, &strict, &rc);
    assert_non_null(strstr(got, "!2:field 2 is not valid UTF-8 (byte 4);"));
    assert_non_null(strstr(got, "c|fine;"));
    free(got);

    struct svp_csv_opts small = {.max_field = 8, .max_fields = 3};
    got = csv_flatten("123456789,x\n\"a\nb\",1,2,3\nfine,1\n", 31, &small, &rc);
    assert_non_null(strstr(got, "!1:field 1 is longer than 8 bytes;"));
    assert_non_null(strstr(got, "!2:more than 3 fields in one record;"));
    assert_non_null(strstr(got, "fine|1;"));
    free(got);
    /* The cap is exact whether a field is copied as one run or byte by byte. */
    got = csv_flatten("12345678,a\"bcdefg\n1234567\"9,x\n", 30, &small, &rc);
    assert_string_equal(got, "12345678|a\"bcdefg;!2:field 1 is longer than 8 bytes;");
    free(got);
}

/* Quoted fields are copied a run at a time up to a quote, LF or NUL: a delimiter, CR or
 * doubled quote inside is kept, the length cap is exact, a NUL is still refused; records
 * wider than the first ones grow the field table, narrower ones reuse it; another delimiter
 * ends runs in its place. */
static void test_csv_quoted_runs(void **state)
{
    (void)state;
    int rc;
    check_csv("\"a,b\r\nc\",\"x\"\"y\"\"\",\"\"\n", "a,b\r\nc|x\"y\"|;");
    struct svp_csv_opts small = {.max_field = 8};
    const char *capped = "\"12345678\",x\n\"123,56789\",y\n\"1234\"\"678\"\n";
    char *got = csv_flatten(capped, strlen(capped), &small, &rc);
    assert_string_equal(got, "12345678|x;!2:field 1 is longer than 8 bytes;1234\"678;");
    free(got);
    const char nul[] = "\"a\0b\",c\nok,\"3\"\n";
    got = csv_flatten(nul, sizeof nul - 1, NULL, &rc);
    assert_string_equal(got, "!1:NUL byte in field 1;ok|3;");
    free(got);
    check_csv("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20\na,b\n\"q\",,\"r\"\n",
              "1|2|3|4|5|6|7|8|9|10|11|12|13|14|15|16|17|18|19|20;a|b;q||r;");
    struct svp_csv_opts semi = {.delim = ';'};
    got = csv_flatten("a;b,c;\"d;e\"\n", 12, &semi, &rc);
    assert_string_equal(got, "a|b,c|d;e;");
    free(got);
}

/* A quoted field longer than the file reader's chunk (64 KiB) is read whole across chunks. */
static void test_csv_quoted_across_chunks(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    size_t big = 200 * 1024;
    char *text = malloc(big + 64);
    assert_non_null(text);
    memcpy(text, "id,name\n1,\"", 11);
    for (size_t i = 0; i < big; i++)
        text[11 + i] = i % 1000 == 999 ? '\n' : (char)('a' + i % 26);
    memcpy(text + 11 + big, "\"\n2,ok\n", 7);
    char *path = testutil_write_file(dir, "wide.csv", text, big + 18);
    struct svp_csv_opts opts = {.max_field = 1 << 20};
    struct svp_csv *csv = NULL;
    struct svp_err err;
    assert_int_equal(svp_csv_open_file(path, &opts, &csv, &err), 0);
    struct svp_csv_row row;
    assert_int_equal(svp_csv_next(csv, &row, &err), 1);
    assert_int_equal(svp_csv_next(csv, &row, &err), 1);
    assert_null(row.error);
    assert_int_equal(row.fields[1].len, big);
    assert_memory_equal(row.fields[1].p, text + 11, big);
    assert_int_equal(row.end_line, row.line + (long)(big / 1000));
    assert_int_equal(svp_csv_next(csv, &row, &err), 1);
    assert_string_equal(row.fields[1].p, "ok");
    assert_int_equal(svp_csv_next(csv, &row, &err), 0);
    svp_csv_free(&csv);
    free(text);
    free(path);
    testutil_rmdir(&dir);
}

static void test_csv_unterminated_and_lines(void **state)
{
    (void)state;
    const char *text = "h1,h2\n\"multi\nline\",1\nx,\"never closed\n";
    struct svp_csv *csv = NULL;
    struct svp_err err;
    assert_int_equal(svp_csv_open_mem(text, strlen(text), NULL, &csv, &err), 0);
    struct svp_csv_row row;
    assert_int_equal(svp_csv_next(csv, &row, &err), 1);
    assert_int_equal(row.line, 1);
    assert_int_equal(svp_csv_next(csv, &row, &err), 1);
    assert_int_equal(row.line, 2);
    assert_int_equal(row.end_line, 3);
    assert_int_equal(svp_csv_next(csv, &row, &err), SVP_EINPUT);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "never closed"));
    svp_csv_free(&csv);
}

static void test_csv_big_field_file(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    size_t big = 10 * 1024 * 1024;
    char *text = malloc(big + 64);
    assert_non_null(text);
    memcpy(text, "id,name\n1,\"", 11);
    memset(text + 11, 'x', big);
    memcpy(text + 11 + big, "\"\n2,ok\n", 7);
    char *path = testutil_write_file(dir, "big.csv", text, big + 18);
    free(text);
    struct svp_csv *csv = NULL;
    struct svp_err err;
    assert_int_equal(svp_csv_open_file(path, NULL, &csv, &err), 0);
    struct svp_csv_row row;
    assert_int_equal(svp_csv_next(csv, &row, &err), 1);
    assert_int_equal(svp_csv_next(csv, &row, &err), 1);
    assert_non_null(row.error);
    assert_non_null(strstr(row.error, "longer than"));
    assert_int_equal(svp_csv_next(csv, &row, &err), 1);
    assert_null(row.error);
    assert_string_equal(row.fields[1].p, "ok");
    assert_int_equal(svp_csv_next(csv, &row, &err), 0);
    svp_csv_free(&csv);
    assert_int_equal(svp_csv_open_file("/nonexistent.csv", NULL, &csv, &err), SVP_ENOTFOUND);
    free(path);
    testutil_rmdir(&dir);
}

static void test_buf_cap(void **state)
{
    (void)state;
    struct svp_buf b;
    svp_buf_init(&b, 8);
    assert_int_equal(svp_buf_puts(&b, "12345678"), 0);
    assert_int_equal(svp_buf_putc(&b, '9'), SVP_EINPUT);
    assert_string_equal(b.data, "12345678");
    svp_buf_free(&b);
    struct svp_arena *a = svp_arena_new(64);
    assert_non_null(a);
    for (int i = 0; i < 100; i++)
        assert_non_null(svp_arena_strndup(a, "hello world", 5));
    assert_non_null(svp_arena_alloc(a, 1000));
    /* rewound, it keeps its newest block (here the 1000 bytes' own) for what follows */
    svp_arena_rewind(a);
    char *x = svp_arena_strndup(a, "hello world", 11);
    assert_non_null(x);
    assert_string_equal(x, "hello world");
    char *y = svp_arena_alloc(a, 2000); /* a block of its own */
    assert_non_null(y);
    memset(y, 'y', 2000);
    assert_string_equal(x, "hello world");
    svp_arena_rewind(a);
    svp_arena_rewind(a);
    assert_non_null(svp_arena_alloc(a, 16));
    svp_arena_free(&a);
    assert_null(a);
}

static void test_grow(void **state)
{
    (void)state;
    size_t cap = 0;
    int *v = svp_grow(NULL, &cap, 1, sizeof *v, 4);
    assert_non_null(v);
    assert_int_equal(cap, 4);
    int *same = svp_grow(v, &cap, 4, sizeof *v, 4);
    assert_ptr_equal(same, v);
    v = svp_grow(v, &cap, 9, sizeof *v, 4);
    assert_non_null(v);
    assert_int_equal(cap, 16);
    size_t before = cap;
    assert_null(svp_grow(v, &cap, SIZE_MAX / 2, sizeof *v, 4)); /* would overflow */
    assert_int_equal(cap, before);
    svp_mem_fail_after(0);
    assert_null(svp_grow(v, &cap, 17, sizeof *v, 4));
    svp_mem_fail_after(-1);
    assert_int_equal(cap, before);
    free(v);
}

static bool int_below(const void *arr, size_t i, const void *key)
{
    return ((const int *)arr)[i] < *(const int *)key;
}

static void test_lower_bound(void **state)
{
    (void)state;
    const int v[] = {2, 4, 4, 4, 9};
    const int keys[] = {1, 2, 3, 4, 5, 9, 10}, want[] = {0, 0, 1, 1, 4, 4, 5};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_int_equal(svp_lower_bound(v, 5, &keys[i], int_below), want[i]);
    assert_int_equal(svp_lower_bound(v, 0, &keys[0], int_below), 0); /* empty */
    assert_int_equal(svp_lower_bound(v, 1, &keys[6], int_below), 1);
}

/* curl-style torture: fail each allocation in turn; every path must fail cleanly (the
 * sanitizers catch leaks and bad frees) and the last run must succeed. */
static void test_torture(void **state)
{
    (void)state;
    for (long n = 0;; n++) {
        svp_mem_fail_after(n);
        char *out = NULL;
        struct svp_err err;
        int rc1 = svp_name_normalise("Zoë O'Brien", strlen("Zoë O'Brien"), &out, &err);
        free(out);
        struct svp_csv *csv = NULL;
        const char *text = "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r\n\"x\ny\",2\n";
        int rc2 = svp_csv_open_mem(text, strlen(text), NULL, &csv, &err);
        struct svp_csv_row row;
        if (rc2 == 0)
            while ((rc2 = svp_csv_next(csv, &row, &err)) == 1)
                ;
        svp_csv_free(&csv);
        struct svp_calendar *cal = NULL;
        const char *hol = "date\n2022-01-03\n";
        int rc3 = svp_calendar_load_csv_mem(hol, strlen(hol), "h", &cal, &err);
        svp_calendar_free(&cal);
        bool fired = svp_mem_failed();
        svp_mem_fail_after(-1);
        if (!fired) {
            assert_int_equal(rc1, 0);
            assert_int_equal(rc2, 0);
            assert_int_equal(rc3, 0);
            break;
        }
        assert_true(rc1 == 0 || rc1 == SVP_ENOMEM);
        assert_true(n < 10000);
    }
}

/* A sheet's name from data is made one Excel takes: the core dataset's partnership theme
 * ("The partnership: training, ...") was refused for its colon and its sheet lost. */
static void test_xlsx_sheet_names(void **state)
{
    (void)state;
    char path[] = "/tmp/svp-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *a = svp_xlsx_sheet(wb, "The partnership: training, audits, child deaths");
    lxw_worksheet *b = svp_xlsx_sheet(wb, "The partnership: training, audits, child deaths");
    lxw_worksheet *c = svp_xlsx_sheet(wb, "'Risks [open]/*?\\'");
    lxw_worksheet *d = svp_xlsx_sheet(wb, "");
    lxw_worksheet *e = svp_xlsx_sheet(wb, "Séances d'écoute, réunions et comités");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_non_null(d);
    assert_non_null(e);
    assert_string_equal(a->name, "The partnership- training, audi");
    assert_string_equal(b->name, "The partnership- training, (2)");
    assert_string_equal(c->name, "Risks -open-----");
    assert_string_equal(d->name, "Sheet");
    assert_true(strlen(e->name) <= 31);
    assert_true(svp_utf8_valid(e->name, strlen(e->name), NULL));
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    unlink(path);
}

/* UK postcodes: the whole value, one inside an address, partial ones, pseudo-postcodes. */
static void test_postcodes(void **state)
{
    (void)state;
    char pc[SVP_POSTCODE_CAP];
    static const struct {
        const char *in, *canon;
    } ok[] = {{"sn151ab", "SN15 1AB"}, {" N1  9AL ", "N1 9AL"}, {"EC1A 1BB", "EC1A 1BB"},
              {"W1A 0AX", "W1A 0AX"}, {"M1 1AE", "M1 1AE"}, {"B33 8TH", "B33 8TH"},
              {"CR2 6XH", "CR2 6XH"}, {"DN55 1PT", "DN55 1PT"}, {"GIR 0AA", "GIR 0AA"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_true(svp_postcode_canonical(ok[i].in, strlen(ok[i].in), pc));
        assert_string_equal(pc, ok[i].canon);
    }
    static const char *const bad[] = {"", "12345", "SN15 1A", "SNAB 1AB", "SN15-1AB", "NFA",
                                      "UNKNOWN", "1N15 1AB", "SN15 AAB", "SN151 1AB", "N 1AB"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(svp_postcode_canonical(bad[i], strlen(bad[i]), pc));

    /* inside an address: the last postcode written as one word or two */
    static const struct {
        const char *in, *pc;
    } in[] = {{"94 Church Road, Brindlemoor, sv12 8gn", "SV12 8GN"},
              {"154 High Street,sv185by", "SV18 5BY"},
              {"Flat 2, 10 Downing St, London SW1A 2AA", "SW1A 2AA"},
              {"SW1A 2AA (was N1 9AL)", "N1 9AL"},
              {"SV12 8GN", "SV12 8GN"}};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        assert_true(svp_postcode_find(in[i].in, strlen(in[i].in), pc));
        assert_string_equal(pc, in[i].pc);
    }
    static const char *const none[] = {"12 High Street, Brindlemoor", "NFA", "no fixed abode",
                                       "Flat 12 3AB", "", "SV12"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_false(svp_postcode_find(none[i], strlen(none[i]), pc));
    assert_false(svp_postcode_find(NULL, 0, pc));

    /* an outward code alone is a partial postcode */
    assert_true(svp_postcode_outward("sv2", 3, pc));
    assert_string_equal(pc, "SV2");
    assert_true(svp_postcode_outward("SW1A", 4, pc));
    assert_false(svp_postcode_outward("SV2 4BY", 7, pc));
    assert_false(svp_postcode_outward("NFA", 3, pc));

    assert_true(svp_postcode_canonical("zz993vz", 7, pc));
    assert_true(svp_postcode_pseudo(pc));
    assert_true(svp_postcode_canonical("SV2 4BY", 7, pc));
    assert_false(svp_postcode_pseudo(pc));
}

/* svp_json_number gives the double strtod gives, bit for bit, for every number
 * svp_json_flat can pass: integers, fractions, minus signs, leading and trailing zeros, and
 * more than 15 digits in all (up to 15 either side of the point: strtod's own reading). */
static void number_as_strtod(const char *text)
{
    double want = strtod(text, NULL), got = svp_json_number(text, strlen(text));
    if (memcmp(&want, &got, sizeof want)) {
        print_error("%s: strtod %.17g, svp_json_number %.17g\n", text, want, got);
        fail();
    }
}

static void test_json_number(void **state)
{
    (void)state;
    static const char *const fixed[] = {
        "0", "-0", "0.0", "-0.0", "1", "-1", "97.7", "93.7", "0.1", "0.3", "2.675", "1.005",
        "123456789012345", "999999999999999", "0.000000000000001", "0.999999999999999",
        "1234567.89012345", "9007199254740993", "123456789012345.123456789012345",
        "0.123456789012345", "100000000000000.5", "-55.55", "000.5", "5.000"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        number_as_strtod(fixed[i]);
    /* random numbers of 1 to 15 digits before the point and 0 to 15 after */
    uint64_t x = 88172645463325252ull;
    for (int n = 0; n < 200000; n++) {
        char text[40];
        size_t k = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (x & 1)
            text[k++] = '-';
        int before = 1 + (int)((x >> 1) % 15), after = (int)((x >> 5) % 16);
        for (int d = 0; d < before; d++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            text[k++] = (char)('0' + (d == 0 && before > 1 ? 1 + x % 9 : x % 10));
        }
        if (after) {
            text[k++] = '.';
            for (int d = 0; d < after; d++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                text[k++] = (char)('0' + x % 10);
            }
        }
        text[k] = '\0';
        number_as_strtod(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_format),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_name_normalise),
        cmocka_unit_test(test_name_normalise_ascii),
        cmocka_unit_test(test_cp1252),
        cmocka_unit_test(test_hash_fast),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_date_formats),
        cmocka_unit_test(test_name_split),
        cmocka_unit_test(test_name_given_split),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_calendar_hand_worked),
        cmocka_unit_test(test_calendar_bad_files),
        cmocka_unit_test(test_csv_basic),
        cmocka_unit_test(test_csv_bad_records),
        cmocka_unit_test(test_csv_unterminated_and_lines),
        cmocka_unit_test(test_csv_quoted_runs),
        cmocka_unit_test(test_csv_quoted_across_chunks),
        cmocka_unit_test(test_csv_big_field_file),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_grow),
        cmocka_unit_test(test_lower_bound),
        cmocka_unit_test(test_torture),
        cmocka_unit_test(test_xlsx_sheet_names),
        cmocka_unit_test(test_postcodes),
        cmocka_unit_test(test_json_number),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
