/* Fuzz target: the triage room's reader of event details (triage_detail_flat, the fast
 * path, and triage_detail_scan with its jansson fallback). Whatever the flat scanner
 * accepts must be a JSON object jansson reads the same way: the same keys, the last of
 * each the same value (a string's content, an integer, true, false or null), no nesting;
 * what it refuses is left to jansson, and scan must then agree with jansson on whether the
 * text is an object. Never a crash, a hang or a read past the end. */
#include "triage/triage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXM 256

struct seen {
    size_t n;
    bool over; /* more members than MAXM: the last of each key may not be among them */
    struct {
        char k[64], v[64];
        size_t kl, vl;
        bool str, cut;
    } m[MAXM];
};

static void collect(void *ctx, const char *k, size_t kl, const char *v, size_t vl, bool str)
{
    struct seen *s = ctx;
    if (s->n >= MAXM) {
        s->over = true;
        return;
    }
    s->m[s->n].kl = kl;
    s->m[s->n].vl = vl;
    s->m[s->n].str = str;
    s->m[s->n].cut = kl >= 64 || vl >= 64;
    memcpy(s->m[s->n].k, k, kl < 63 ? kl : 63);
    s->m[s->n].k[kl < 63 ? kl : 63] = '\0';
    memcpy(s->m[s->n].v, v, vl < 63 ? vl : 63);
    s->m[s->n].v[vl < 63 ? vl : 63] = '\0';
    s->n++;
}

static void check_member(json_t *o, const struct seen *s, size_t i)
{
    /* only the last occurrence of a key counts */
    for (size_t j = i + 1; j < s->n; j++)
        if (s->m[j].kl == s->m[i].kl &&
            !memcmp(s->m[j].k, s->m[i].k, s->m[i].kl < 63 ? s->m[i].kl : 63))
            return;
    if (s->m[i].cut)
        return;
    json_t *v = json_object_get(o, s->m[i].k);
    if (!v)
        abort();
    if (s->m[i].str) {
        if (!json_is_string(v) || json_string_length(v) != s->m[i].vl ||
            memcmp(json_string_value(v), s->m[i].v, s->m[i].vl))
            abort();
    } else if (!strcmp(s->m[i].v, "true")) {
        if (!json_is_true(v))
            abort();
    } else if (!strcmp(s->m[i].v, "false")) {
        if (!json_is_false(v))
            abort();
    } else if (!strcmp(s->m[i].v, "null")) {
        if (!json_is_null(v))
            abort();
    } else if (!json_is_number(v)) {
        abort();
    } else if (json_is_integer(v)) {
        int64_t n;
        if (!svp_parse_i64(s->m[i].v, &n) && n != (int64_t)json_integer_value(v))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    json_error_t je;
    json_t *o = json_loads(text, JSON_DECODE_ANY, &je);
    struct seen *flat = calloc(1, sizeof *flat), *all = calloc(1, sizeof *all);
    if (!flat || !all)
        abort();
    if (triage_detail_flat(text, collect, flat)) {
        if (!json_is_object(o))
            abort(); /* the fast path accepted what is not a JSON object */
        for (size_t i = 0; i < flat->n && !flat->over; i++)
            check_member(o, flat, i);
        const char *k;
        json_t *v;
        size_t keys = 0;
        json_object_foreach(o, k, v)
        {
            if (json_is_object(v) || json_is_array(v))
                abort(); /* nesting accepted */
            keys++;
        }
        if (flat->n < MAXM && keys > flat->n)
            abort();
    }
    bool scanned = triage_detail_scan(text, collect, all);
    if (scanned != json_is_object(o))
        abort();
    json_decref(o);
    free(flat);
    free(all);
    free(text);
    return 0;
}
