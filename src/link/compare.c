/* Comparators: the inner loop of linking, so they avoid allocation and work on bit vectors
 * where a name fits in 64 bytes (almost every name does). */
#include "link_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ Jaro-Winkler */

/* The general path, for strings over 64 bytes: Winkler's algorithm with flag arrays. */
static double jaro_long(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t range = (alen > blen ? alen : blen) / 2;
    range = range > 0 ? range - 1 : 0;
    unsigned char *fa = svp_calloc(alen + blen, 1);
    if (!fa)
        return 0.0; /* treated as no similarity: the caller cannot do better */
    unsigned char *fb = fa + alen;
    size_t common = 0;
    for (size_t i = 0; i < alen; i++) {
        size_t lo = i > range ? i - range : 0, hi = i + range < blen ? i + range : blen - 1;
        for (size_t j = lo; j <= hi && j < blen; j++)
            if (!fb[j] && a[i] == b[j]) {
                fa[i] = fb[j] = 1;
                common++;
                break;
            }
    }
    size_t trans = 0, k = 0;
    for (size_t i = 0; i < alen && common; i++) {
        if (!fa[i])
            continue;
        while (!fb[k])
            k++;
        if (a[i] != b[k])
            trans++;
        k++;
    }
    svp_free(fa);
    if (!common)
        return 0.0;
    double c = (double)common;
    return (c / (double)alen + c / (double)blen + (c - (double)(trans / 2)) / c) / 3.0;
}

/* Bit-parallel Jaro for strings up to 64 bytes: a mask of b's positions per byte value,
 * then for each byte of a the lowest unflagged position of b inside the window. The greedy
 * order (left to right over a, leftmost free match in b) is Winkler's, so results agree with
 * the textbook loop exactly. */
double link_jaro(const char *a, size_t alen, const char *b, size_t blen)
{
    if (!alen || !blen)
        return 0.0;
    if (alen > 64 || blen > 64)
        return jaro_long(a, alen, b, blen);
    uint64_t pm[256];
    const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
    for (size_t j = 0; j < blen; j++)
        pm[ub[j]] = 0;
    for (size_t i = 0; i < alen; i++)
        pm[ua[i]] = 0;
    for (size_t j = 0; j < blen; j++)
        pm[ub[j]] |= 1ULL << j;
    /* The match window of a[i] is b[i - range .. i + range]: one mask of 2 * range + 1 bits
     * shifted into place (range is at most 31 here, so it fits). Bits past the end of b are
     * never set in pm, so the window needs no clipping on the right; a[i] with i - range
     * beyond b has no window, so the loop stops there. */
    size_t range = (alen > blen ? alen : blen) / 2;
    range = range > 0 ? range - 1 : 0;
    const uint64_t base = (2ULL << (2 * range)) - 1;
    size_t end = blen + range < alen ? blen + range : alen;
    uint64_t flag_b = 0, flag_a = 0;
    int common = 0;
    for (size_t i = 0; i < end; i++) {
        uint64_t win = i <= range ? base >> (range - i) : base << (i - range);
        uint64_t cand = pm[ua[i]] & ~flag_b & win;
        uint64_t low = cand & (~cand + 1);
        flag_b |= low;
        flag_a |= (uint64_t)(cand != 0) << i;
        common += cand != 0;
    }
    if (!common)
        return 0.0;
    int trans = 0;
    uint64_t fa = flag_a, fb = flag_b;
    while (fa) {
        int i = __builtin_ctzll(fa), j = __builtin_ctzll(fb);
        trans += ua[i] != ub[j];
        fa &= fa - 1;
        fb &= fb - 1;
    }
    /* the textbook order of operations, so results agree bit for bit with other
     * implementations at Winkler's 0.7 boundary */
    double c = common;
    return (c / (double)alen + c / (double)blen + (c - (double)(trans / 2)) / c) / 3.0;
}

double link_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
    double w = link_jaro(a, alen, b, blen);
    if (w > 0.7) {
        size_t n = alen < blen ? alen : blen, p = 0;
        if (n > 4)
            n = 4;
        while (p < n && a[p] == b[p])
            p++;
        w += (double)p * 0.1 * (1.0 - w);
    }
    return w;
}

/* An upper bound of Jaro-Winkler from what is cheap to count: a matched byte of a has its
 * value somewhere in b and the other way round, so the matches are at most the bytes of
 * each found in the other (by a 64-bit mask of their low six bits: a collision only
 * loosens the bound); Jaro is at most its value at no transpositions, and the prefix bonus
 * is at most the common prefix's. Jaro-Winkler grows with Jaro, so the bound holds. */
double link_jaro_winkler_min_masked(const char *a, size_t alen, uint64_t ma, const char *b,
                                    size_t blen, uint64_t mb, double min)
{
    if (!alen || !blen)
        return 0.0;
    size_t ca = 0, cb = 0;
    for (size_t i = 0; i < alen; i++)
        ca += (mb >> ((unsigned char)a[i] & 63)) & 1;
    for (size_t i = 0; i < blen; i++)
        cb += (ma >> ((unsigned char)b[i] & 63)) & 1;
    double c = (double)(ca < cb ? ca : cb);
    double j = c ? (c / (double)alen + c / (double)blen + 1.0) / 3.0 : 0.0;
    size_t n = alen < blen ? alen : blen, p = 0;
    if (n > 4)
        n = 4;
    while (p < n && a[p] == b[p])
        p++;
    double ub = j > 0.7 ? j + (double)p * 0.1 * (1.0 - j) : j;
    if (ub < min - 1e-9)
        return 0.0;
    return link_jaro_winkler(a, alen, b, blen);
}

double link_jaro_winkler_min(const char *a, size_t alen, const char *b, size_t blen, double min)
{
    return link_jaro_winkler_min_masked(a, alen, link_byte_mask(a, alen), b, blen,
                                        link_byte_mask(b, blen), min);
}

/* ------------------------------------------------------------------ edit distances */

static int osa_dp(const char *a, size_t alen, const char *b, size_t blen, int max)
{
    /* three rows of the optimal-string-alignment table */
    size_t w = blen + 1;
    int *rows = svp_malloc(3 * w * sizeof *rows);
    if (!rows)
        return max >= 0 ? max + 1 : -1;
    int *pp = rows, *p = rows + w, *c = rows + 2 * w;
    for (size_t j = 0; j < w; j++)
        p[j] = (int)j;
    for (size_t i = 1; i <= alen; i++) {
        c[0] = (int)i;
        for (size_t j = 1; j <= blen; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        int *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    int d = p[blen];
    svp_free(rows);
    return max >= 0 && d > max ? max + 1 : d;
}

int link_osa_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
    size_t diff = alen > blen ? alen - blen : blen - alen;
    if (max >= 0 && diff > (size_t)max)
        return max + 1;
    if (!alen || !blen) {
        int d = (int)(alen + blen);
        return max >= 0 && d > max ? max + 1 : d;
    }
    /* the bit vectors run over the shorter... any string up to 64 bytes; put it in a */
    if (alen > 64 && blen <= 64) {
        const char *t = a;
        a = b;
        b = t;
        size_t tl = alen;
        alen = blen;
        blen = tl;
    }
    if (alen > 64)
        return osa_dp(a, alen, b, blen, max);
    /* Hyyro's bit-vector algorithm for the OSA distance: vertical deltas VP/VN of one
     * column of the table packed into words, with a transposition vector TR. */
    const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
    uint64_t pm[256];
    for (size_t j = 0; j < blen; j++)
        pm[ub[j]] = 0;
    for (size_t i = 0; i < alen; i++)
        pm[ua[i]] = 0;
    for (size_t i = 0; i < alen; i++)
        pm[ua[i]] |= 1ULL << i;
    uint64_t vp = alen == 64 ? ~0ULL : (1ULL << alen) - 1, vn = 0, d0 = 0, pm_prev = 0;
    uint64_t last = 1ULL << (alen - 1);
    int score = (int)alen;
    for (size_t j = 0; j < blen; j++) {
        uint64_t x = pm[ub[j]];
        uint64_t tr = (((~d0) & x) << 1) & pm_prev;
        d0 = (((x & vp) + vp) ^ vp) | x | vn | tr;
        uint64_t hp = vn | ~(d0 | vp);
        uint64_t hn = d0 & vp;
        if (hp & last)
            score++;
        if (hn & last)
            score--;
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        pm_prev = x;
    }
    return max >= 0 && score > max ? max + 1 : score;
}

bool link_dl_within_one(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen > 255 || blen > 255) /* as link_dl_distance */
        return false;
    if (alen > blen) {
        const char *t = a;
        a = b;
        b = t;
        size_t l = alen;
        alen = blen;
        blen = l;
    }
    if (blen - alen > 1)
        return false;
    size_t i = 0;
    while (i < alen && a[i] == b[i])
        i++;
    if (i == alen) /* equal, or b one byte longer at the end */
        return true;
    if (alen < blen) /* one byte of b more: the first that differs */
        return !memcmp(a + i, b + i + 1, alen - i);
    /* one substitution, or the first that differs swapped with the next */
    return !memcmp(a + i + 1, b + i + 1, alen - i - 1) ||
           (i + 1 < alen && a[i] == b[i + 1] && a[i + 1] == b[i] &&
            !memcmp(a + i + 2, b + i + 2, alen - i - 2));
}

int link_dl_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
    size_t diff = alen > blen ? alen - blen : blen - alen;
    if (max >= 0 && diff > (size_t)max)
        return max + 1;
    if (alen > 255 || blen > 255)
        return max >= 0 ? max + 1 : -1;
    /* Lowrance-Wagner: table with a border row/column of "infinity", and the last row where
     * each byte value was seen (da). Only byte values present are reset. */
    int *d = svp_malloc((alen + 2) * (blen + 2) * sizeof *d);
    if (!d)
        return max >= 0 ? max + 1 : -1;
    size_t cols = blen + 2;
#define D(i, j) d[(size_t)(i) * cols + (size_t)(j)]
    int inf = (int)(alen + blen);
    int da[256];
    const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
    for (size_t i = 0; i < alen; i++)
        da[ua[i]] = 0;
    for (size_t j = 0; j < blen; j++)
        da[ub[j]] = 0;
    D(0, 0) = inf;
    for (size_t i = 0; i <= alen; i++) {
        D(i + 1, 0) = inf;
        D(i + 1, 1) = (int)i;
    }
    for (size_t j = 0; j <= blen; j++) {
        D(0, j + 1) = inf;
        D(1, j + 1) = (int)j;
    }
    for (size_t i = 1; i <= alen; i++) {
        int db = 0;
        for (size_t j = 1; j <= blen; j++) {
            int i1 = da[ub[j - 1]], j1 = db;
            int cost = 1;
            if (ua[i - 1] == ub[j - 1]) {
                cost = 0;
                db = (int)j;
            }
            int v = D(i, j) + cost;
            if (D(i + 1, j) + 1 < v)
                v = D(i + 1, j) + 1;
            if (D(i, j + 1) + 1 < v)
                v = D(i, j + 1) + 1;
            int t = D(i1, j1) + ((int)i - i1 - 1) + 1 + ((int)j - j1 - 1);
            if (t < v)
                v = t;
            D(i + 1, j + 1) = v;
        }
        da[ua[i - 1]] = (int)i;
    }
    int r = D(alen + 1, blen + 1);
#undef D
    svp_free(d);
    return max >= 0 && r > max ? max + 1 : r;
}

/* ------------------------------------------------------------------ phonetic key */

static bool is_vowel(int c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static void emit(char *out, size_t *o, size_t cap, char ch)
{
    if (*o + 1 < cap && (*o == 0 || out[*o - 1] != ch))
        out[(*o)++] = ch;
}

size_t link_phonetic(const char *s, size_t len, char *out, size_t cap)
{
    char w[64];
    size_t n = 0;
    for (size_t i = 0; i < len && n < sizeof w - 1; i++) {
        int c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c >= 'a' && c <= 'z')
            w[n++] = (char)c;
    }
    w[n] = 0;
    size_t o = 0, i = 0;
    if (!cap)
        return 0;
    /* Scottish and Irish prefixes: MacDonald, McDonald and M'Donald sound alike. */
    if (n > 3 && !strncmp(w, "mac", 3) && !is_vowel(w[3]))
        i = 3, emit(out, &o, cap, 'M'), emit(out, &o, cap, 'K');
    else if (n > 2 && !strncmp(w, "mc", 2))
        i = 2, emit(out, &o, cap, 'M'), emit(out, &o, cap, 'K');
    /* Silent first letters: Knight, Gnome, Wright, Pneu-; X at the start sounds S. */
    else if (n > 1 && (!strncmp(w, "kn", 2) || !strncmp(w, "gn", 2) || !strncmp(w, "pn", 2) ||
                       !strncmp(w, "wr", 2)))
        i = 1;
    else if (n > 0 && w[0] == 'x')
        i = 1, emit(out, &o, cap, 'S');
    for (; i < n; i++) {
        char c = w[i], nx = i + 1 < n ? w[i + 1] : 0, pv = i > 0 ? w[i - 1] : 0;
        if (c == pv && c != 'c')
            continue;
        switch (c) {
        case 'a': case 'e': case 'i': case 'o': case 'u':
            if (o == 0)
                emit(out, &o, cap, 'A'); /* a leading vowel is kept, as one symbol */
            break;
        case 'y':
            if (o == 0 && is_vowel(nx))
                emit(out, &o, cap, 'Y');
            else if (o == 0)
                emit(out, &o, cap, 'A');
            break;
        case 'b':
            if (!(pv == 'm' && i + 1 == n))
                emit(out, &o, cap, 'P');
            break;
        case 'c':
            if (nx == 'h') {
                emit(out, &o, cap, pv == 's' ? 'K' : 'X');
                i++;
            } else if (nx == 'i' || nx == 'e' || nx == 'y')
                emit(out, &o, cap, 'S');
            else if (nx == 'k' || nx == 'q')
                ;
            else
                emit(out, &o, cap, 'K');
            break;
        case 'd':
            if (nx == 'g' && i + 2 < n && (w[i + 2] == 'e' || w[i + 2] == 'i' || w[i + 2] == 'y'))
                emit(out, &o, cap, 'J'), i++;
            else
                emit(out, &o, cap, 'T');
            break;
        case 'g':
            if (nx == 'h') {
                /* Hugh, Leigh, Wright: silent; Gh at the start is hard (Ghosh). */
                if (i == 0)
                    emit(out, &o, cap, 'K');
                i++;
            } else if (nx == 'n' && (i + 2 == n))
                ;
            else if (nx == 'e' || nx == 'i' || nx == 'y')
                emit(out, &o, cap, 'J');
            else
                emit(out, &o, cap, 'K');
            break;
        case 'h':
            if (is_vowel(nx) && !(pv && strchr("csptg", pv)))
                emit(out, &o, cap, 'H');
            break;
        case 'k': case 'q':
            emit(out, &o, cap, 'K');
            break;
        case 'p':
            if (nx == 'h')
                emit(out, &o, cap, 'F'), i++;
            else
                emit(out, &o, cap, 'P');
            break;
        case 's':
            if (nx == 'h')
                emit(out, &o, cap, 'X'), i++;
            else if (nx == 'i' && i + 2 < n && (w[i + 2] == 'o' || w[i + 2] == 'a'))
                emit(out, &o, cap, 'X');
            else
                emit(out, &o, cap, 'S');
            break;
        case 't':
            if (nx == 'h')
                emit(out, &o, cap, '0'), i++;
            else if (nx == 'i' && i + 2 < n && (w[i + 2] == 'o' || w[i + 2] == 'a'))
                emit(out, &o, cap, 'X');
            else
                emit(out, &o, cap, 'T');
            break;
        case 'v':
            emit(out, &o, cap, 'F');
            break;
        case 'w':
            if (is_vowel(nx))
                emit(out, &o, cap, 'W');
            break;
        case 'x':
            emit(out, &o, cap, 'K'), emit(out, &o, cap, 'S');
            break;
        case 'z':
            emit(out, &o, cap, 'S');
            break;
        default: /* f j l m n r */
            emit(out, &o, cap, (char)(c - 'a' + 'A'));
            break;
        }
    }
    out[o] = 0;
    return o;
}

/* ------------------------------------------------------------------ dates of birth */

bool link_dob_parse(const char *s, struct link_dob *out)
{
    memset(out, 0, sizeof *out);
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int k = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (!isdigit((unsigned char)s[i]))
            return false;
        out->d[k++] = s[i];
    }
    const char *d = out->d;
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int m = (d[4] - '0') * 10 + (d[5] - '0'), dd = (d[6] - '0') * 10 + (d[7] - '0');
    if (m < 1 || m > 12 || dd < 1 || dd > 31)
        return false;
    out->y = (int16_t)y;
    out->m = (int8_t)m;
    out->day = (int8_t)dd;
    out->ok = true;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

enum link_dob_level link_compare_dob_parsed(const struct link_dob *a, const struct link_dob *b)
{
    if (!a->ok || !b->ok)
        return LINK_DOB_NULL;
    if (link_same_bytes(a->d, b->d, 8))
        return LINK_DOB_EXACT;
    /* 03/04 written as 04/03: the US and UK orders swapped at data entry */
    if (a->y == b->y && a->m == b->day && b->m == a->day)
        return LINK_DOB_TRANSPOSED;
    /* One keying error: one digit wrong, two adjacent digits swapped (1973 as 1937, 12 as
     * 21), or the year one off with the day and month right (a year worked out from a
     * stated age, a new year's date keyed with the old year). Siblings are born apart in
     * more than that: one date keyed once wrongly is one person's. */
    int diff = 0, first = -1;
    for (int i = 0; i < 8; i++)
        if (a->d[i] != b->d[i]) {
            if (first < 0)
                first = i;
            diff++;
        }
    if (diff == 1)
        return LINK_DOB_ONE_DIGIT;
    if (diff == 2 && first < 7 && a->d[first] == b->d[first + 1] &&
        a->d[first + 1] == b->d[first])
        return LINK_DOB_ONE_DIGIT;
    if (a->m == b->m && a->day == b->day && (a->y - b->y == 1 || b->y - a->y == 1))
        return LINK_DOB_ONE_DIGIT;
    /* the same year, or under a year apart across a new year (a date keyed a few weeks or
     * months out: the month wrong, a date of another event taken for the birth) */
    if (a->y == b->y)
        return LINK_DOB_SAME_YEAR;
    long gap = days_from_civil(a->y, a->m, a->day) - days_from_civil(b->y, b->m, b->day);
    if (gap > -366 && gap < 366)
        return LINK_DOB_SAME_YEAR;
    return LINK_DOB_DIFFERENT;
}

enum link_dob_level link_compare_dob(const char *a, const char *b)
{
    struct link_dob x, y;
    link_dob_parse(a, &x);
    link_dob_parse(b, &y);
    return link_compare_dob_parsed(&x, &y);
}

/* ------------------------------------------------------------------ postcodes */

/* A record's postcode as the linker compares it (src/base/postcode.c reads it): a UK
 * postcode (also one inside an address) gives full, sector and district; an outward code
 * alone (a partial postcode) gives the district only; the NHS's ZZ99 pseudo-postcodes (no
 * fixed abode, not known) and text without a digit ("NFA", "UNKNOWN", "N/K") name no home
 * and are no postcode: two records that both say "NFA" share nothing. Anything else (a
 * postcode of another country: FEBRL's are Australian) is compared as written, letters and
 * digits only. */
void link_postcode_parse(const char *pc, struct link_postcode *out)
{
    char c[SVP_POSTCODE_CAP];
    size_t n = pc ? strlen(pc) : 0;
    out->len = 0;
    out->full[0] = out->sector[0] = out->district[0] = 0;
    if (svp_postcode_find(pc, n, c)) {
        if (svp_postcode_pseudo(c))
            return;
        size_t outward = (size_t)(strchr(c, ' ') - c);
        memcpy(out->district, c, outward);
        out->district[outward] = 0;
        memcpy(out->full, c, outward);
        memcpy(out->full + outward, c + outward + 1, 4); /* the inward code and its NUL */
        out->len = (uint8_t)(outward + 3);
        memcpy(out->sector, out->full, outward + 1);
        out->sector[outward + 1] = 0;
        return;
    }
    if (svp_postcode_outward(pc, n, c)) {
        memcpy(out->district, c, strlen(c) + 1);
        return;
    }
    bool digit = false;
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof out->full - 1; i++) {
        int ch = (unsigned char)pc[i];
        if (isalnum(ch))
            out->full[k++] = (char)toupper(ch);
        digit |= isdigit(ch) != 0;
    }
    out->full[digit ? k : 0] = 0;
    out->len = digit ? (uint8_t)k : 0;
}

enum link_postcode_level link_compare_postcode_parsed(const struct link_postcode *a,
                                                      const struct link_postcode *b)
{
    if (!a->len || !b->len) {
        /* a partial postcode agrees or not at its district */
        if (!a->district[0] || !b->district[0])
            return LINK_PC_NULL;
        return link_same_str(a->district, b->district) ? LINK_PC_DISTRICT : LINK_PC_DIFFERENT;
    }
    if (a->len == b->len && link_same_bytes(a->full, b->full, a->len))
        return LINK_PC_FULL;
    if (a->sector[0] && link_same_str(a->sector, b->sector))
        return LINK_PC_SECTOR;
    if (a->district[0] && link_same_str(a->district, b->district))
        return LINK_PC_DISTRICT;
    if (link_osa_distance(a->full, a->len, b->full, b->len, 1) <= 1)
        return LINK_PC_TYPO;
    return LINK_PC_DIFFERENT;
}

enum link_postcode_level link_compare_postcode(const char *a, const char *b)
{
    struct link_postcode x, y;
    link_postcode_parse(a, &x);
    link_postcode_parse(b, &y);
    return link_compare_postcode_parsed(&x, &y);
}

/* ------------------------------------------------------------------ addresses */

/* Lower-case letters and digits with single spaces; capped at cap-1 bytes. */
size_t link_address_normalise(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    bool space = false;
    for (; s && *s && n + 1 < cap; s++) {
        int c = (unsigned char)*s;
        if (isalnum(c)) {
            if (space && n)
                out[n++] = ' ';
            space = false;
            if (n + 1 < cap)
                out[n++] = (char)tolower(c);
        } else
            space = true;
    }
    out[n] = 0;
    return n;
}

enum link_address_level link_compare_address(const char *a, const char *b)
{
    char na[256], nb[256];
    size_t la = link_address_normalise(a, na, sizeof na);
    size_t lb = link_address_normalise(b, nb, sizeof nb);
    return link_compare_address_norm(na, la, nb, lb);
}

enum link_address_level link_compare_address_norm(const char *na, size_t la, const char *nb,
                                                  size_t lb)
{
    if (!la || !lb)
        return LINK_ADDR_NULL;
    if (la == lb && link_same_bytes(na, nb, la))
        return LINK_ADDR_EXACT;
    if (link_jaro_winkler_min(na, la, nb, lb, 0.9) >= 0.9)
        return LINK_ADDR_CLOSE;
    /* words in common, each word of a counted once */
    size_t wa = 0, common = 0, wb = 1;
    for (size_t i = 0; i < lb; i++)
        wb += nb[i] == ' ';
    for (size_t i = 0; i < la;) {
        size_t j = i;
        while (j < la && na[j] != ' ')
            j++;
        wa++;
        size_t wl = j - i;
        for (size_t k = 0; k < lb;) {
            size_t e = k;
            while (e < lb && nb[e] != ' ')
                e++;
            if (e - k == wl && !memcmp(nb + k, na + i, wl)) {
                common++;
                break;
            }
            k = e + 1;
        }
        i = j + 1;
    }
    size_t most = wa > wb ? wa : wb;
    if (2 * common >= most)
        return LINK_ADDR_TOKENS;
    return LINK_ADDR_DIFFERENT;
}

/* ------------------------------------------------------------------ sex */

char link_sex_code(const char *s)
{
    if (!s || !s[0] || s[1])
        return 0;
    int c = toupper((unsigned char)s[0]);
    return c == 'M' || c == 'F' || c == 'X' ? (char)c : 0;
}

enum link_sex_level link_compare_sex(const char *a, const char *b)
{
    int x = link_sex_code(a), y = link_sex_code(b);
    if (!x || !y)
        return LINK_SEX_NULL;
    return x == y ? LINK_SEX_SAME : LINK_SEX_DIFFERENT;
}

/* ------------------------------------------------------------------ shared identifiers */

/* What systems key where they hold no identifier: one character again and again
 * (0000000000, 9999999999), a count (123456789, 1234567890), or no digit at all (UNKNOWN,
 * N/A, NK, NONE). Every such record would "share" it; it is no identifier. */
static bool id_placeholder(const char *x, size_t n)
{
    bool digit = false, same = true, up = true;
    for (size_t i = 0; i < n; i++) {
        digit |= isdigit((unsigned char)x[i]) != 0;
        same &= x[i] == x[0];
        up &= i == 0 || (isdigit((unsigned char)x[i]) && (x[i] - '0') == (x[i - 1] - '0' + 1) % 10);
    }
    return !digit || (n > 1 && same) || (n >= 6 && up && isdigit((unsigned char)x[0]));
}

size_t link_id_normalise(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; s && *s && n + 1 < cap; s++)
        if (isalnum((unsigned char)*s))
            out[n++] = (char)toupper((unsigned char)*s);
    if (n && id_placeholder(out, n))
        n = 0;
    if (cap)
        out[n] = '\0';
    return n;
}

/* Identifiers are keyed by hand: one wrong, missing or extra character, or two swapped,
 * is the usual slip (the transposition is what the NHS number's check digit is built to
 * catch, but not every agency validates it). */
enum link_id_level link_compare_id(const char *a, const char *b)
{
    char x[32], y[32];
    size_t xl = link_id_normalise(a, x, sizeof x), yl = link_id_normalise(b, y, sizeof y);
    if (!xl || !yl)
        return LINK_ID_NULL;
    if (xl == yl && !memcmp(x, y, xl))
        return LINK_ID_SAME;
    return link_osa_distance(x, xl, y, yl, 1) <= 1 ? LINK_ID_ONE_EDIT : LINK_ID_DIFFERENT;
}

/* ------------------------------------------------------------------ email and phone */

size_t link_email_normalise(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    if (!cap)
        return 0;
    while (s && isspace((unsigned char)*s))
        s++;
    /* "mailto:" prefixes and angle brackets are how some systems export an address */
    if (s && !strncasecmp(s, "mailto:", 7))
        s += 7;
    for (; s && *s && n + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (isspace(c) || c == '<' || c == '>')
            continue;
        out[n++] = (char)tolower(c);
    }
    out[n] = '\0';
    const char *at = memchr(out, '@', n);
    /* one @ with something either side, else not an address */
    if (!at || at == out || at == out + n - 1 || memchr(at + 1, '@', (size_t)(out + n - at - 1)))
        n = 0, out[0] = '\0';
    /* what a form takes where a person has no address: noemail@..., none@none.com */
    static const char *const none[] = {"noemail", "no.email", "no_email", "nomail", "none",
                                       "na", "n.a", "unknown", "notknown", "not.known", "no",
                                       "nil", "null", "x", NULL};
    static const char *const none_domain[] = {"noemail", "nomail", "none", "unknown", "null",
                                              NULL};
    for (size_t i = 0; n && none[i]; i++) {
        size_t l = strlen(none[i]);
        if ((size_t)(at - out) == l && !memcmp(out, none[i], l))
            n = 0, out[0] = '\0';
    }
    for (size_t i = 0; n && none_domain[i]; i++) {
        size_t l = strlen(none_domain[i]);
        if (!strncmp(at + 1, none_domain[i], l) && at[1 + l] == '.')
            n = 0, out[0] = '\0';
    }
    return n;
}

size_t link_phone_normalise(const char *s, char *out, size_t cap)
{
    if (!cap)
        return 0;
    char d[32];
    size_t n = 0;
    for (; s && *s && n + 1 < sizeof d; s++)
        if (isdigit((unsigned char)*s))
            d[n++] = *s;
    const char *p = d;
    bool national = false; /* add the UK trunk 0 */
    if (n >= 4 && !memcmp(p, "0044", 4))
        p += 4, n -= 4, national = true; /* 0044 7700 900123 */
    else if ((n == 12 && !memcmp(p, "44", 2)) || (n == 13 && !memcmp(p, "440", 3)))
        p += 2, n -= 2, national = true; /* +44 7700 900123, +44 (0)7700 900123 */
    else if (n == 10 && p[0] != '0')
        national = true; /* 7700 900123: a spreadsheet dropped the leading 0 */
    if (national && n && p[0] == '0')
        p++, n--; /* +44 (0)7700 900123 */
    size_t k = 0;
    if (national && cap > 1)
        out[k++] = '0';
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        out[k++] = p[i];
    out[k] = '\0';
    /* fewer than 7 digits is an extension or a fragment, not a number; one digit again and
     * again after the first two (07000000000, 00000000000, 09999999999) is a form's filler */
    bool filler = k >= 7;
    for (size_t i = 3; filler && i < k; i++)
        filler = out[i] == out[2];
    if (k < 7 || filler)
        k = 0, out[0] = '\0';
    return k;
}

/* Two emails at one domain whose local parts are one slip apart (a letter wrong, missing,
 * extra or two swapped, or Jaro-Winkler 0.9 and over on parts of 6 or more characters:
 * robert255 ~ roberta25) are close; at different domains they are different. */
enum link_contact_level link_compare_contact_norm(const char *ea, size_t eal, const char *pa,
                                                  size_t pal, const char *eb, size_t ebl,
                                                  const char *pb, size_t pbl)
{
    bool emails = eal && ebl, phones = pal && pbl;
    if (!emails && !phones)
        return LINK_CONTACT_NULL;
    if ((emails && eal == ebl && !memcmp(ea, eb, eal)) ||
        (phones && pal == pbl && !memcmp(pa, pb, pal)))
        return LINK_CONTACT_SAME;
    if (emails) {
        const char *xa = memchr(ea, '@', eal), *xb = memchr(eb, '@', ebl);
        if (!xa || !xb)
            return phones && link_osa_distance(pa, pal, pb, pbl, 1) <= 1 ? LINK_CONTACT_CLOSE
                                                                         : LINK_CONTACT_DIFFERENT;
        size_t la = (size_t)(xa - ea), lb = (size_t)(xb - eb), da = eal - la, db = ebl - lb;
        /* the same domain and the user's name with a typo */
        if (da == db && !memcmp(xa, xb, da) &&
            (link_osa_distance(ea, la, eb, lb, 1) <= 1 ||
             (la >= 6 && lb >= 6 && link_jaro_winkler_min(ea, la, eb, lb, 0.9) >= 0.9)))
            return LINK_CONTACT_CLOSE;
        /* the same user's name (long enough to be someone's own) and the domain with up to two
         * typos (gmial.com, rivers-glass.bi): a short name on another provider (kim@x.org,
         * kim@y.org) is someone else */
        if (la == lb && la >= 5 && !memcmp(ea, eb, la) && da >= 7 && db >= 7 &&
            link_osa_distance(xa, da, xb, db, 2) <= 2)
            return LINK_CONTACT_CLOSE;
        /* a long address with two keying errors anywhere (e.page1i3@dyer-wiliams.com) */
        if (eal >= 16 && ebl >= 16 && link_osa_distance(ea, eal, eb, ebl, 2) <= 2)
            return LINK_CONTACT_CLOSE;
    }
    if (phones && link_osa_distance(pa, pal, pb, pbl, 1) <= 1)
        return LINK_CONTACT_CLOSE;
    return LINK_CONTACT_DIFFERENT;
}
