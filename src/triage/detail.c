/* Reading event details (docs/triage.md, "Reading details"): the flat scanner for the common
 * case (svp_json_flat, src/base/json.c), jansson for everything else. See triage_detail_scan
 * in triage.h. */
#include "triage.h"

#include "base/json.h"

#include <strings.h>
#include <string.h>

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
    return svp_json_flat(detail, fn, ctx);
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
