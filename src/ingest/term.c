/* School terms as MIS exports write them, to their first and last days: "2021/22 AUT" (the
 * shipped layouts), "Autumn 2023", "2023/24 Spring", "2023-24 Summer Term", "Spr 2024",
 * "Autumn 1 2023/24" and "Aut2" half terms. An academic year (2023/24, 2023-24, 2023/2024)
 * or a calendar year (the autumn of 2023, the spring of 2024) says the year; a term word
 * (aut, autumn, spr, spring, sum, summer, any case), with a half term's 1 or 2, says the
 * part. Terms: autumn 1 September to 31 December, spring 1 January to 31 March, summer 1
 * April to 31 July; half terms split them at 1 November, 16 February and 1 June. */
#include "ingest_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return n ? v : -1;
}

/* "2023/24", "2023-24", "2023/2024", "2023-2024": the first year, or -1. */
static int academic_year(const char *s, size_t n)
{
    if (n != 7 && n != 9)
        return -1;
    if (s[4] != '/' && s[4] != '-')
        return -1;
    int y1 = digits(s, 4), y2 = digits(s + 5, n - 5);
    if (y1 < 0 || y2 < 0)
        return -1;
    return (n == 7 ? (y1 + 1) % 100 : y1 + 1) == y2 ? y1 : -2;
}

/* 1 autumn, 2 spring, 3 summer, with *half 1 or 2 when a digit follows ("Aut1"); 0 if the
 * word is none of them. */
static int term_word(const char *s, size_t n, int *half)
{
    static const char *const words[] = {"aut", "autumn", "spr", "spring", "sum", "summer"};
    size_t w = n;
    if (n >= 4 && (s[n - 1] == '1' || s[n - 1] == '2')) {
        w = n - 1;
        *half = s[n - 1] - '0';
    }
    for (int i = 0; i < 6; i++)
        if (strlen(words[i]) == w && !strncasecmp(words[i], s, w))
            return i / 2 + 1;
    if (w != n)
        *half = 0;
    return 0;
}

const char *ingest_term_parse(const char *s, size_t n, svp_day *start, svp_day *end)
{
    int term = 0, half = 0, ay = -1, year = -1;
    size_t i = 0;
    while (i < n) {
        while (i < n && (isspace((unsigned char)s[i]) || s[i] == ',' || s[i] == '_'))
            i++;
        size_t a = i;
        while (i < n && !isspace((unsigned char)s[i]) && s[i] != ',' && s[i] != '_')
            i++;
        if (i == a)
            break;
        const char *t = s + a;
        size_t tn = i - a;
        int v, h = 0, w;
        if ((v = academic_year(t, tn)) >= 0) {
            if (ay >= 0 && ay != v)
                return "names two academic years";
            ay = v;
        } else if (v == -2) {
            return "academic year's two years do not follow each other";
        } else if (tn == 4 && (v = digits(t, 4)) >= 1900) {
            year = v;
        } else if ((w = term_word(t, tn, &h))) {
            if (term && term != w)
                return "names two terms";
            term = w;
            if (h)
                half = h;
        } else if (tn == 1 && (t[0] == '1' || t[0] == '2') && term && !half) {
            half = t[0] - '0'; /* "Autumn 1" */
        } else if ((tn == 4 && !strncasecmp(t, "term", 4)) ||
                   (tn == 4 && !strncasecmp(t, "half", 4)) ||
                   (tn == 9 && !strncasecmp(t, "half-term", 9))) {
            continue;
        } else {
            return "not a school term like '2021/22 AUT' or 'Autumn 2023'";
        }
    }
    if (!term)
        return "names no term (autumn, spring or summer)";
    if (ay < 0 && year < 0)
        return "names no year";
    int y1 = ay >= 0 ? ay : term == 1 ? year : year - 1;
    if (ay >= 0 && year >= 0 && year != (term == 1 ? ay : ay + 1))
        return "its year is not in its academic year";
    static const int from[3][3][2] = {
        /* whole term, first half, second half: month, day */
        {{9, 1}, {9, 1}, {11, 1}}, {{1, 1}, {1, 1}, {2, 16}}, {{4, 1}, {4, 1}, {6, 1}}};
    static const int to[3][3][2] = {
        {{12, 31}, {10, 31}, {12, 31}}, {{3, 31}, {2, 15}, {3, 31}}, {{7, 31}, {5, 31}, {7, 31}}};
    int y = term == 1 ? y1 : y1 + 1;
    const int *f = from[term - 1][half], *e = to[term - 1][half];
    if (svp_date_from_ymd(y, f[0], f[1], start) || svp_date_from_ymd(y, e[0], e[1], end))
        return "not a school term like '2021/22 AUT' or 'Autumn 2023'";
    return NULL;
}
