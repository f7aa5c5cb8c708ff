#include "base/json.h"

#include "base/base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *svp_json_dumps(const json_t *obj, size_t flags)
{
    if (!obj)
        return NULL;
    unsigned long before = svp_mem_failures();
    char *text = json_dumps(obj, flags);
    if (text && svp_mem_failures() != before) {
        free(text);
        return NULL;
    }
    return text;
}

/* ------------------------------------------------------------------ the flat scanner */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* A string's content up to its closing quote: printable ASCII only (an escape, a control
 * character or a byte of a multi-byte character is left to jansson). NULL if not. clean:
 * the whole text has none of those bytes (nor tabs or line ends), so the quote is all to
 * look for. */
static const char *plain_string(const char *p, bool clean)
{
    if (clean)
        return strchr(p, '"');
    /* one unsigned comparison for below 0x20 and from 0x7f */
    unsigned char c;
    while ((unsigned char)((c = (unsigned char)*p) - 0x20) < 0x5f && c != '"' && c != '\\')
        p++;
    return c == '"' ? p : NULL;
}

/* Whether the n bytes of s are all printable ASCII other than a backslash (a loop the
 * compiler can run over many bytes at once). */
static bool all_plain(const char *s, size_t n)
{
    unsigned bad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bad |= ((unsigned char)(c - 0x20) >= 0x5f) | (c == '\\');
    }
    return !bad;
}

/* Up to 15 digits from p: their end (p itself when there are none), or NULL when more. */
static const char *digits(const char *p)
{
    const char *s = p;
    while (*p >= '0' && *p <= '9')
        p++;
    return p - s > 15 ? NULL : p;
}

/* true, false, null or a plain JSON number (at most 15 digits before and after the point,
 * no exponent: one that cannot overflow a parser) starting at p: its end, or NULL. */
static const char *scalar(const char *p)
{
    if (*p == 't' || *p == 'f' || *p == 'n') {
        static const char *const words[] = {"true", "false", "null"};
        for (size_t i = 0; i < 3; i++) {
            size_t l = strlen(words[i]);
            if (!strncmp(p, words[i], l))
                return p + l;
        }
        return NULL;
    }
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        p = digits(p);
    else
        return NULL;
    if (p && *p == '.') {
        const char *f = p + 1;
        p = digits(f);
        if (p == f)
            return NULL;
    }
    return p;
}

double svp_json_number(const char *v, size_t vl)
{
    static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *p = v, *end = v + vl;
    bool neg = p < end && *p == '-', point = false;
    p += neg;
    uint64_t m = 0;
    int nd = 0, frac = 0;
    for (; p < end; p++) {
        if (*p == '.' && !point) {
            point = true;
            continue;
        }
        if (*p < '0' || *p > '9' || ++nd > 15)
            break;
        m = m * 10 + (uint64_t)(*p - '0');
        frac += point;
    }
    if (p == end && nd) {
        double x = (double)m / pow10[frac];
        return neg ? -x : x;
    }
    char num[64];
    if (vl >= sizeof num)
        vl = sizeof num - 1;
    memcpy(num, v, vl);
    num[vl] = '\0';
    return strtod(num, NULL);
}

bool svp_json_flat(const char *s, svp_json_member_fn fn, void *ctx)
{
    bool clean = all_plain(s, strlen(s));
    const char *p = skip_ws(s);
    if (*p++ != '{')
        return false;
    p = skip_ws(p);
    if (*p == '}')
        return *skip_ws(p + 1) == '\0';
    for (;;) {
        if (*p++ != '"')
            return false;
        const char *k = p;
        if (!(p = plain_string(p, clean)))
            return false;
        size_t kl = (size_t)(p - k);
        p = skip_ws(p + 1);
        if (*p++ != ':')
            return false;
        p = skip_ws(p);
        const char *v = p, *e;
        bool str = *p == '"';
        if (str) {
            v = ++p;
            if (!(e = plain_string(p, clean)))
                return false;
            p = e + 1;
        } else {
            if (!(e = scalar(p)))
                return false;
            p = e;
        }
        p = skip_ws(p);
        if (*p != ',' && *p != '}')
            return false; /* (before fn: "1e2" must not be delivered as 1) */
        if (fn)
            fn(ctx, k, kl, v, (size_t)(e - v), str);
        if (*p == ',') {
            p = skip_ws(p + 1);
            continue;
        }
        if (*p != '}')
            return false;
        return *skip_ws(p + 1) == '\0';
    }
}
