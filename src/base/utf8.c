/* Strings, UTF-8 validation, Windows-1252 and UTF-16 decoding and name normalisation. */
#include "base.h"

#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t svp_strlcpy(char *dst, const char *src, size_t cap)
{
    size_t n = strlen(src);
    if (cap) {
        size_t k = n < cap - 1 ? n : cap - 1;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return n;
}

int svp_parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s)
        return SVP_EINPUT;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || *end != '\0' || end == s)
        return SVP_EINPUT;
    *out = (int64_t)v;
    return SVP_OK;
}

/* Length of the UTF-8 sequence starting at s (1..4), or 0 if it is malformed. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t min, cp;
    if ((c & 0xE0) == 0xC0) {
        n = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, min = 0x10000, cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

bool svp_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_seq_len(u + i, len - i);
        if (n == 0) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += n;
    }
    return true;
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

int svp_cp1252_to_utf8(const char *s, size_t len, char **out, size_t *out_len,
                       struct svp_err *err)
{
    if (len > SIZE_MAX / 3 - 1)
        return svp_err_set(err, SVP_EINPUT, "text too large to convert");
    char *d = svp_malloc(len * 3 + 1);
    if (!d)
        return svp_err_set(err, SVP_ENOMEM, "out of memory converting Windows-1252 text");
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        /* most bytes of an extract are ASCII, the same in both encodings: a run of them is
         * found eight bytes at a step and copied at once */
        size_t r = i;
        for (uint64_t w; r + 8 <= len && (memcpy(&w, s + r, 8), !(w & 0x8080808080808080ull));)
            r += 8;
        while (r < len && !((unsigned char)s[r] & 0x80))
            r++;
        if (r > i) {
            memcpy(d + o, s + i, r - i);
            o += r - i;
            i = r;
            if (i == len)
                break;
        }
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        if (c >= 0x80 && c <= 0x9F) {
            cp = cp1252_high[c - 0x80];
            if (!cp) {
                svp_free(d);
                return svp_err_set(err, SVP_EINPUT,
                                   "byte 0x%02X at offset %zu is not defined in Windows-1252",
                                   c, i);
            }
        }
        o += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)d + o);
    }
    d[o] = '\0';
    *out = d;
    if (out_len)
        *out_len = o;
    return SVP_OK;
}

int svp_utf16_bom(const char *s, size_t len)
{
    if (len < 2)
        return 0;
    unsigned char a = (unsigned char)s[0], b = (unsigned char)s[1];
    if (a == 0xFF && b == 0xFE && !(len >= 4 && !s[2] && !s[3])) /* not UTF-32LE's FF FE 00 00 */
        return 1;
    return a == 0xFE && b == 0xFF ? 2 : 0;
}

int svp_utf16_to_utf8(const char *s, size_t len, bool partial, char **out, size_t *out_len,
                      struct svp_err *err)
{
    *out = NULL;
    int order = svp_utf16_bom(s, len);
    if (!order)
        return svp_err_set(err, SVP_EINPUT, "not UTF-16 text: no byte order mark");
    if (len > SIZE_MAX / 2 - 8)
        return svp_err_set(err, SVP_EINPUT, "text too large to convert");
    /* two bytes of UTF-16 are at most three of UTF-8; a pair of four is four */
    size_t cap = (len - 2) / 2 * 3 + 1;
    char *d = svp_malloc(cap);
    if (!d)
        return svp_err_set(err, SVP_ENOMEM, "out of memory converting UTF-16 text");
    iconv_t cd = iconv_open("UTF-8", order == 1 ? "UTF-16LE" : "UTF-16BE");
    if (cd == (iconv_t)-1) {
        svp_free(d);
        return svp_err_set(err, SVP_EINTERNAL, "this system cannot convert UTF-16 (iconv)");
    }
    char *in = (char *)s + 2, *o = d;
    size_t inleft = len - 2, outleft = cap - 1;
    int rc = SVP_OK;
    if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
        size_t at = (size_t)(in - s);
        if (errno == EINVAL && partial)
            ; /* a prefix cut inside a character: the whole characters before it are kept */
        else if (errno == EINVAL)
            rc = svp_err_set(err, SVP_EINPUT, "not UTF-16 text: it ends inside a character "
                                              "(byte %zu of %zu)", at, len);
        else if (errno == EILSEQ)
            rc = svp_err_set(err, SVP_EINPUT, "not UTF-16 text: an unpaired surrogate at byte "
                                              "%zu", at);
        else
            rc = svp_err_set(err, SVP_EINTERNAL, "converting UTF-16 text failed: %s",
                             strerror(errno));
    }
    iconv_close(cd);
    if (rc) {
        svp_free(d);
        return rc;
    }
    *o = '\0';
    *out = d;
    if (out_len)
        *out_len = (size_t)(o - d);
    return SVP_OK;
}

static bool is_apostrophe(utf8proc_int32_t cp)
{
    return cp == 0x27 || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC || cp == 0x60 ||
           cp == 0xB4;
}

/* Letters and digits are kept; apostrophes vanish; anything else separates words. */
static int classify(utf8proc_int32_t cp)
{
    if (is_apostrophe(cp))
        return 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return 0; /* a mark that survived stripping carries no letter of its own */
    default:
        return 2;
    }
}

/* The same for a name in ASCII, as utf8proc's mapping leaves it (letters case-folded to
 * lower case; nothing to decompose, compose, strip or ignore), without its allocation and
 * tables: most names an import writes are ASCII. Returns false, writing nothing, for any
 * other name. test_name_normalise_ascii checks it against the full path. */
static bool name_normalise_ascii(const char *s, size_t len, char *d)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    size_t o = 0;
    bool pending_space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'' || c == '`')
            continue; /* apostrophes vanish */
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
            if (pending_space && o > 0)
                d[o++] = ' ';
            pending_space = false;
            d[o++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        } else {
            pending_space = true;
        }
    }
    d[o] = '\0';
    return true;
}

int svp_name_normalise(const char *s, size_t len, char **out, struct svp_err *err)
{
    if (len < ((size_t)1 << 30)) {
        char *d = svp_malloc(len + 1);
        if (!d)
            return svp_err_set(err, SVP_ENOMEM, "out of memory normalising a name");
        if (name_normalise_ascii(s, len, d)) {
            *out = d;
            return SVP_OK;
        }
        svp_free(d);
    }
    size_t bad;
    if (!svp_utf8_valid(s, len, &bad))
        return svp_err_set(err, SVP_EINPUT, "malformed UTF-8 at byte %zu", bad);
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t n = utf8proc_map(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &mapped,
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
            UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n < 0)
        return svp_err_set(err, n == UTF8PROC_ERROR_NOMEM ? SVP_ENOMEM : SVP_EINPUT,
                           "cannot normalise name: %s", utf8proc_errmsg(n));
    char *d = svp_malloc((size_t)n + 1);
    if (!d) {
        free(mapped);
        return svp_err_set(err, SVP_ENOMEM, "out of memory normalising a name");
    }
    size_t o = 0;
    bool pending_space = false;
    utf8proc_ssize_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(mapped + i, n - i, &cp);
        if (k <= 0)
            break; /* cannot happen: utf8proc_map produced it */
        int cls = classify(cp);
        if (cls == 1) {
            if (pending_space && o > 0)
                d[o++] = ' ';
            pending_space = false;
            memcpy(d + o, mapped + i, (size_t)k);
            o += (size_t)k;
        } else if (cls == 2) {
            pending_space = true;
        }
        i += k;
    }
    d[o] = '\0';
    free(mapped);
    *out = d;
    return SVP_OK;
}

void svp_trim(const char **s, size_t *n)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t k = *n;
    for (;;) {
        if (k && (*p == ' ' || (*p >= '\t' && *p <= '\r')))
            p++, k--;
        else if (k >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
            p += 2, k -= 2;
        else
            break;
    }
    for (;;) {
        if (k && (p[k - 1] == ' ' || (p[k - 1] >= '\t' && p[k - 1] <= '\r')))
            k--;
        else if (k >= 2 && p[k - 2] == 0xC2 && p[k - 1] == 0xA0)
            k -= 2;
        else
            break;
    }
    *s = (const char *)p;
    *n = k;
}
