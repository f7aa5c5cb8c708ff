/* A string map with open addressing: keys copied into an arena, each slot keeping its key's
 * hash so a probe compares strings only when the hashes agree. Made for the per-file caches
 * of an import (hundreds of thousands of ids), so it never shrinks and never deletes. */
#include "base.h"

#include <string.h>

uint64_t svp_fnv1a(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t svp_fnv1a_str(const char *s, uint64_t h)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h;
}

/* Each 8-byte word (the last one zero-padded) and the length mixed in by a multiply and
 * the high half folded down (as in wyhash's mum step, reduced to 64 bits). */
static inline uint64_t mix64(uint64_t a, uint64_t b)
{
    unsigned __int128 r = (unsigned __int128)(a ^ 0xa0761d6478bd642full) *
                          (b ^ 0xe7037ed1a0b428dbull);
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t svp_hash_fast(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    h = mix64(h, n);
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = mix64(h ^ w, 0x8ebc6af09c88c6e3ull);
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = mix64(h ^ w, 0x589965cc75374cc3ull);
    }
    return h;
}

void svp_smap_free(struct svp_smap *m)
{
    svp_free(m->slots);
    svp_arena_free(&m->keys);
    memset(m, 0, sizeof *m);
}

/* The slot holding k (hash h), or the empty slot where it would go. */
static struct svp_smap_slot *smap_slot(const struct svp_smap *m, const char *k, uint64_t h)
{
    size_t i = h & (m->cap - 1);
    while (m->slots[i].key && (m->slots[i].hash != h || strcmp(m->slots[i].key, k)))
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

struct svp_smap_val *svp_smap_get(struct svp_smap *m, const char *k)
{
    if (!m->cap)
        return NULL;
    struct svp_smap_slot *sl = smap_slot(m, k, svp_fnv1a_str(k, SVP_FNV1A_START));
    return sl->key ? &sl->v : NULL;
}

static int smap_grow(struct svp_smap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 1024;
    struct svp_smap_slot *ns = svp_calloc(nc, sizeof *ns);
    if (!ns)
        return SVP_ENOMEM;
    for (size_t j = 0; j < m->cap; j++)
        if (m->slots[j].key) {
            size_t i = m->slots[j].hash & (nc - 1);
            while (ns[i].key)
                i = (i + 1) & (nc - 1);
            ns[i] = m->slots[j];
        }
    svp_free(m->slots);
    m->slots = ns;
    m->cap = nc;
    return SVP_OK;
}

int svp_smap_put(struct svp_smap *m, const char *k, struct svp_smap_val v)
{
    if ((m->n + 1) * 2 > m->cap && smap_grow(m))
        return SVP_ENOMEM;
    if (!m->keys && !(m->keys = svp_arena_new(256 * 1024)))
        return SVP_ENOMEM;
    uint64_t h = svp_fnv1a_str(k, SVP_FNV1A_START);
    struct svp_smap_slot *sl = smap_slot(m, k, h);
    if (!sl->key) {
        if (!(sl->key = svp_arena_strndup(m->keys, k, strlen(k))))
            return SVP_ENOMEM;
        sl->hash = h;
        m->n++;
    }
    sl->v = v;
    return SVP_OK;
}
