/* Fuzz target for the link room's parsers and comparators. The first byte chooses:
 *   0 a blocking rule (refused or accepted, never a crash),
 *   1 a stored model's text (load, and a loaded model saves to text that loads again),
 *   2 a nickname CSV,
 *   else two strings split at the first NUL or newline: every comparator must agree with
 *   itself in either order and stay in range (shared identifiers included). */
#include "link/link.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    struct svp_err err;
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = 0;
    switch (data[0]) {
    case 0: {
        const char *rules[1] = {s};
        struct link_blocking *b = NULL;
        if (link_blocking_parse(rules, 1, &b, &err) == 0)
            link_blocking_free(&b);
        break;
    }
    case 1: {
        struct link_model *m = NULL;
        if (link_model_load(s, &m, &err) == 0 && m) { /* NULL: an older model, none */
            char *txt = NULL;
            struct link_model *m2 = NULL;
            if (link_model_save(m, &txt, &err) || link_model_load(txt, &m2, &err))
                abort();
            svp_free(txt);
            link_model_free(&m2);
            link_model_free(&m);
        }
        break;
    }
    case 2: {
        struct link_nicknames *t = NULL;
        if (link_nicknames_load(s, size - 1, "fuzz", &t, &err) == 0) {
            (void)link_nicknames_equiv(t, "robert", "bob");
            link_nicknames_free(&t);
        }
        break;
    }
    default: {
        size_t n = size - 1, k = 0;
        while (k < n && s[k] && s[k] != '\n')
            k++;
        const char *a = s, *b = k < n ? s + k + 1 : "";
        size_t al = k, bl = k < n ? strlen(b) : 0;
        double x = link_jaro_winkler(a, al, b, bl), y = link_jaro_winkler(b, bl, a, al);
        if (x < 0 || x > 1 + 1e-12 || y < 0 || y > 1 + 1e-12)
            abort();
        int d1 = link_dl_distance(a, al, b, bl, -1), d2 = link_osa_distance(a, al, b, bl, -1);
        if (al <= 255 && bl <= 255 && (d1 > d2 || d1 != link_dl_distance(b, bl, a, al, -1)))
            abort();
        char key[16];
        link_phonetic(a, al, key, sizeof key);
        char ab[256];
        size_t c = al < sizeof ab - 1 ? al : sizeof ab - 1;
        memcpy(ab, a, c);
        ab[c] = 0;
        (void)link_compare_dob(ab, b);
        (void)link_compare_postcode(ab, b);
        (void)link_compare_address(ab, b);
        (void)link_compare_sex(ab, b);
        int i1 = link_compare_id(ab, b), i2 = link_compare_id(b, ab);
        if (i1 != i2 || i1 < LINK_ID_NULL || i1 >= LINK_ID_NLEVELS)
            abort();
        break;
    }
    }
    free(s);
    return 0;
}
