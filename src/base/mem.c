/* Checked allocation with an injectable failure (curl's torture mode), capped buffers
 * and an arena. */
#include "base.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The torture countdown is process-wide by nature: it exists only to make the n-th
 * allocation fail in tests. -1 means off. */
static _Atomic long fail_countdown = -1;
static _Atomic bool fail_fired = false;
static _Thread_local unsigned long thread_failures;

unsigned long svp_mem_failures(void)
{
    return thread_failures;
}

void svp_mem_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
    atomic_store(&fail_fired, false);
}

bool svp_mem_failed(void)
{
    return atomic_load(&fail_fired);
}

static bool should_fail(void)
{
    long c = atomic_load(&fail_countdown);
    if (c < 0)
        return false;
    if (atomic_fetch_sub(&fail_countdown, 1) == 0) {
        atomic_store(&fail_fired, true);
        return true;
    }
    return false;
}

bool svp_mem_fail_now(void)
{
    return should_fail();
}

void *svp_malloc(size_t n)
{
    void *p = should_fail() ? NULL : malloc(n ? n : 1);
    if (!p)
        thread_failures++;
    return p;
}

void *svp_calloc(size_t count, size_t size)
{
    void *p = should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
    if (!p)
        thread_failures++;
    return p;
}

void *svp_realloc(void *p, size_t n)
{
    void *q = should_fail() ? NULL : realloc(p, n ? n : 1);
    if (!q)
        thread_failures++;
    return q;
}

char *svp_strndup(const char *s, size_t n)
{
    char *d = svp_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *svp_strdup(const char *s)
{
    return svp_strndup(s, strlen(s));
}

void svp_free(void *p)
{
    free(p);
}

void *svp_grow(void *items, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return items;
    size_t nc = *cap ? *cap : (first ? first : 1);
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return NULL;
        nc *= 2;
    }
    if (elem && nc > SIZE_MAX / elem)
        return NULL;
    void *p = svp_realloc(items, nc * elem);
    if (!p)
        return NULL;
    *cap = nc;
    return p;
}

size_t svp_lower_bound(const void *arr, size_t n, const void *key,
                       bool (*below)(const void *arr, size_t i, const void *key))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (below(arr, mid, key))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ------------------------------------------------------------------ buffers */

void svp_buf_init(struct svp_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : SIZE_MAX / 2;
}

static int buf_reserve(struct svp_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return SVP_EINPUT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return SVP_OK;
    char *p = svp_grow(b->data, &b->cap, need, 1, 64);
    if (!p)
        return SVP_ENOMEM;
    b->data = p;
    return SVP_OK;
}

int svp_buf_append(struct svp_buf *b, const void *p, size_t n)
{
    int rc = buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return SVP_OK;
}

int svp_buf_puts(struct svp_buf *b, const char *s)
{
    return svp_buf_append(b, s, strlen(s));
}

int svp_buf_putc(struct svp_buf *b, char c)
{
    /* The common case in one step: parsers put every field's bytes through here. */
    if (b->len + 2 <= b->cap && b->len < b->max) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return SVP_OK;
    }
    return svp_buf_append(b, &c, 1);
}

int svp_buf_printf(struct svp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SVP_EINTERNAL;
    int rc = buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SVP_OK;
}

void svp_buf_reset(struct svp_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *svp_buf_take(struct svp_buf *b)
{
    char *p = b->data;
    if (!p)
        p = svp_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void svp_buf_free(struct svp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ------------------------------------------------------------------ arena */

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    max_align_t data[];
};

struct svp_arena {
    struct arena_block *head;
    size_t block_size;
};

struct svp_arena *svp_arena_new(size_t block_size)
{
    struct svp_arena *a = svp_calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    return a;
}

void *svp_arena_alloc(struct svp_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    struct arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > a->block_size ? n : a->block_size;
        b = svp_malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->used = 0;
        b->size = size;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *svp_arena_strndup(struct svp_arena *a, const char *s, size_t n)
{
    char *d = svp_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void svp_arena_reset(struct svp_arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void svp_arena_rewind(struct svp_arena *a)
{
    struct arena_block *keep = a->head;
    if (!keep)
        return;
    struct arena_block *b = keep->next;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    keep->next = NULL;
    keep->used = 0;
}

void svp_arena_free(struct svp_arena **a)
{
    if (!a || !*a)
        return;
    svp_arena_reset(*a);
    free(*a);
    *a = NULL;
}
