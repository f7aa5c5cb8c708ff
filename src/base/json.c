#include "base/json.h"

#include "base/base.h"

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
 * character or a byte of a multi-byte character is left to jansson). NULL if not. */
static const char *plain_string(const char *p)
{
    while (*p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c >= 0x7f || c == '\\')
            return NULL;
        p++;
    }
    return p;
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
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t l = strlen(words[i]);
        if (!strncmp(p, words[i], l))
            return p + l;
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

bool svp_json_flat(const char *s, svp_json_member_fn fn, void *ctx)
{
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
        if (!(p = plain_string(p)))
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
            if (!(e = plain_string(p)))
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
