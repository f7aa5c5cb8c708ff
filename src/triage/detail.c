/* Reading event details (docs/triage.md, "Reading details"): a flat scanner for the common
 * case, jansson for everything else. See triage_detail_scan in triage.h. */
#include "triage.h"

#include <strings.h>
#include <string.h>

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

/* One flat object of plain strings and scalars, delivered to fn (when not NULL) as read. */
static bool flat_pass(const char *s, triage_member_fn fn, void *ctx)
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

/* The same members from a parsed object: strings, integers, reals (as "%.17g"), true,
 * false and null; nested values are skipped. */
static void json_pass(json_t *o, triage_member_fn fn, void *ctx)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        char num[40];
        const char *t = NULL;
        if (json_is_string(v)) {
            fn(ctx, k, strlen(k), json_string_value(v), json_string_length(v), true);
            continue;
        }
        if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
            t = num;
        } else if (json_is_real(v)) {
            snprintf(num, sizeof num, "%.17g", json_real_value(v));
            t = num;
        } else if (json_is_boolean(v)) {
            t = json_is_true(v) ? "true" : "false";
        } else if (json_is_null(v)) {
            t = "null";
        }
        if (t)
            fn(ctx, k, strlen(k), t, strlen(t), false);
    }
}

bool triage_detail_flat(const char *detail, triage_member_fn fn, void *ctx)
{
    return flat_pass(detail, fn, ctx);
}

bool triage_detail_scan(const char *detail, triage_member_fn fn, void *ctx)
{
    if (triage_detail_flat(detail, fn, ctx))
        return true;
    json_error_t je;
    json_t *o = json_loads(detail, 0, &je);
    if (!json_is_object(o)) {
        json_decref(o);
        return false;
    }
    json_pass(o, fn, ctx);
    json_decref(o);
    return true;
}

bool triage_detail_flag(const char *v, size_t vl)
{
    char b[8];
    if (vl >= sizeof b)
        return false;
    memcpy(b, v, vl);
    b[vl] = '\0';
    return !strcmp(b, "1") || !strcasecmp(b, "true") || !strcasecmp(b, "yes") ||
           !strcasecmp(b, "y");
}
