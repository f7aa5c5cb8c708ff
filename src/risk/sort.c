/* A stable sort for arrays whose first key is a small dense number (a person index): a
 * counting sort by that number, then each bucket's few items by the whole comparison. The
 * same order as a stable sort by the comparison (glibc's qsort merges, so it is stable),
 * linear in the items where qsort compared them n log n times (the loader's attendance
 * rows and family links, hundreds of thousands each on a county). */
#include "risk_int.h"

#include <stdlib.h>
#include <string.h>

/* Items of one bucket: insertion sort up to this many, else qsort (stable, as above). */
enum { SMALL_BUCKET = 24 };

void risk_sort_bucketed(void *items, size_t n, size_t elem, uint32_t (*bucket)(const void *),
                        int (*cmp)(const void *, const void *))
{
    if (n < 2)
        return;
    char *a = items;
    uint32_t maxb = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t b = bucket(a + i * elem);
        if (b > maxb)
            maxb = b;
    }
    size_t *start = (size_t)maxb < 4 * n + 1024 ? svp_calloc((size_t)maxb + 2, sizeof *start)
                                                : NULL;
    char *tmp = start ? svp_malloc(n * elem) : NULL;
    char *x = tmp ? svp_malloc(elem) : NULL;
    if (!x) { /* sparse buckets or no scratch memory: the comparison alone */
        svp_free(start);
        svp_free(tmp);
        qsort(items, n, elem, cmp);
        return;
    }
    for (size_t i = 0; i < n; i++)
        start[bucket(a + i * elem) + 1]++;
    for (size_t b = 1; b <= (size_t)maxb + 1; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < n; i++)
        memcpy(tmp + start[bucket(a + i * elem)]++ * elem, a + i * elem, elem);
    memcpy(a, tmp, n * elem);
    svp_free(tmp);
    svp_free(start);
    size_t i = 0;
    while (i < n) {
        uint32_t b = bucket(a + i * elem);
        size_t j = i + 1;
        while (j < n && bucket(a + j * elem) == b)
            j++;
        if (j - i > SMALL_BUCKET) {
            qsort(a + i * elem, j - i, elem, cmp);
        } else {
            for (size_t k = i + 1; k < j; k++) {
                memcpy(x, a + k * elem, elem);
                size_t m = k;
                while (m > i && cmp(a + (m - 1) * elem, x) > 0) {
                    memcpy(a + m * elem, a + (m - 1) * elem, elem);
                    m--;
                }
                memcpy(a + m * elem, x, elem);
            }
        }
        i = j;
    }
    svp_free(x);
}

int risk_order_key64(const uint64_t *keys, size_t n, uint32_t *perm)
{
    if (n > UINT32_MAX)
        return SVP_EINPUT;
    if (!n)
        return SVP_OK;
    struct kv {
        uint64_t key;
        uint32_t idx;
    };
    enum { DIGITS = 4, RADIX = 1 << 16 };
    struct kv *a = svp_malloc(n * sizeof *a);
    struct kv *b = a ? svp_malloc(n * sizeof *b) : NULL;
    uint32_t *count = b ? svp_calloc((size_t)DIGITS * RADIX, sizeof *count) : NULL;
    if (!count) {
        svp_free(a);
        svp_free(b);
        return SVP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        a[i] = (struct kv){keys[i], (uint32_t)i};
        for (int d = 0; d < DIGITS; d++)
            count[d * RADIX + ((keys[i] >> (16 * d)) & (RADIX - 1))]++;
    }
    for (int d = 0; d < DIGITS; d++) {
        uint32_t *c = count + (size_t)d * RADIX;
        /* a digit all keys share orders nothing */
        if (c[(a[0].key >> (16 * d)) & (RADIX - 1)] == n)
            continue;
        uint32_t at = 0;
        for (size_t v = 0; v < RADIX; v++) {
            uint32_t k = c[v];
            c[v] = at;
            at += k;
        }
        for (size_t i = 0; i < n; i++)
            b[c[(a[i].key >> (16 * d)) & (RADIX - 1)]++] = a[i];
        struct kv *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = a[i].idx;
    svp_free(a);
    svp_free(b);
    svp_free(count);
    return SVP_OK;
}
