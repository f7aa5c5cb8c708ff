/* Fairness under load: the gate every expensive build passes (a panel scored for a date,
 * the association network, the risk panel behind person pages and the meeting).
 *
 * A build runs only on its own request's thread (the server gives each connection its
 * own thread, so a long build holds up nobody else's page) and only with a permit:
 *   - one build at a time per user: a second one is refused at once (503, Retry-After),
 *   - at most `limit` builds at a time in the server, and at most `limit` requests
 *     waiting for a permit; a request that would queue beyond that, or that waited
 *     max_wait without getting one, is refused (503, Retry-After),
 *   - a request whose result another request is already building waits for that build
 *     (no second build of the same thing) and then finds it in the cache.
 * While a request waits it gives its database connection back, so waiting requests never
 * hold up the session check or a person page. */
#include "http_int.h"

#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define GATE_SLOTS 64

struct gate_entry {
    bool used;
    bool building; /* false: waiting for a permit */
    char key[256];
    int64_t user_id;
    int64_t started_ms;
};

struct http_gate {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a build ended or a permit was freed */
    int limit;
    int64_t max_wait_ms;
    int running, waiting;
    int64_t avg_ms; /* moving average of build times, for Retry-After */
    struct gate_entry e[GATE_SLOTS];
    /* counters for tests and the operator */
    int64_t built, refused;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int http_gate_new(int limit, int64_t max_wait_ms, struct http_gate **out)
{
    struct http_gate *g = svp_calloc(1, sizeof *g);
    *out = NULL;
    if (!g)
        return SVP_ENOMEM;
    g->limit = limit > 0 ? limit : 1;
    if (g->limit > GATE_SLOTS / 4)
        g->limit = GATE_SLOTS / 4;
    g->max_wait_ms = max_wait_ms > 0 ? max_wait_ms : 10000;
    g->avg_ms = 5000;
    pthread_mutex_init(&g->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&g->changed, &ca);
    pthread_condattr_destroy(&ca);
    *out = g;
    return SVP_OK;
}

void http_gate_free(struct http_gate **pg)
{
    struct http_gate *g = *pg;
    if (!g)
        return;
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->changed);
    svp_free(g);
    *pg = NULL;
}

void http_gate_counts(struct http_gate *g, int64_t *built, int64_t *refused)
{
    pthread_mutex_lock(&g->lock);
    *built = g->built;
    *refused = g->refused;
    pthread_mutex_unlock(&g->lock);
}

static struct gate_entry *find_key(struct http_gate *g, const char *key)
{
    for (size_t i = 0; i < GATE_SLOTS; i++)
        if (g->e[i].used && g->e[i].building && !strcmp(g->e[i].key, key))
            return &g->e[i];
    return NULL;
}

static struct gate_entry *find_user(struct http_gate *g, int64_t user_id)
{
    for (size_t i = 0; i < GATE_SLOTS; i++)
        if (g->e[i].used && g->e[i].user_id == user_id)
            return &g->e[i];
    return NULL;
}

static struct gate_entry *free_entry(struct http_gate *g)
{
    for (size_t i = 0; i < GATE_SLOTS; i++)
        if (!g->e[i].used)
            return &g->e[i];
    return NULL;
}

/* Seconds until a build of this user (or, user_id 0, the first of all) is likely done,
 * plus the queue before a new one: for Retry-After. Called with the lock held. */
static int64_t retry_after(struct http_gate *g, int64_t user_id, int64_t now)
{
    int64_t soonest = -1;
    for (size_t i = 0; i < GATE_SLOTS; i++) {
        const struct gate_entry *e = &g->e[i];
        if (!e->used || !e->building || (user_id && e->user_id != user_id))
            continue;
        int64_t left = g->avg_ms - (now - e->started_ms);
        if (left < 1000)
            left = 1000;
        if (soonest < 0 || left < soonest)
            soonest = left;
    }
    if (soonest < 0)
        soonest = g->avg_ms;
    if (!user_id)
        soonest += g->avg_ms * g->waiting / g->limit;
    int64_t s = (soonest + 999) / 1000;
    return s < 1 ? 1 : s > 600 ? 600 : s;
}

static void lowest_priority(void)
{
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 19))
        svp_log(SVP_LOG_DEBUG, "http: setpriority refused; the thread keeps its priority");
}

static void refuse(struct http_req *req, int64_t seconds, const char *why)
{
    req->retry_after = seconds;
    http_reply_error(req, 503, NULL,
                     "%s; try again in %lld seconds (pages others use are not held up)", why,
                     (long long)seconds);
}

static void wait_until(struct http_gate *g, int64_t deadline_ms)
{
    struct timespec ts;
    ts.tv_sec = (time_t)(deadline_ms / 1000);
    ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000L;
    pthread_cond_timedwait(&g->changed, &g->lock, &ts);
}

static int begin_locked(struct http_gate *g, struct http_req *req, const char *key)
{
    int64_t user = req->has_session ? req->session.user.id : -1;
    int64_t now = mono_ms(), deadline = now + g->max_wait_ms;
    bool queued = false;
    struct gate_entry *mine = NULL;
    int result = HTTP_BUILD_REFUSED;
    for (;;) {
        now = mono_ms();
        struct gate_entry *same = find_key(g, key);
        if (same) {
            /* Someone is building exactly this: wait for it, then look in the cache. */
            if (mine) { /* give up the place in the queue while waiting for theirs */
                mine->used = false;
                g->waiting--;
                mine = NULL;
                queued = false;
                pthread_cond_broadcast(&g->changed);
            }
            if (now >= deadline) {
                g->refused++;
                refuse(req, retry_after(g, same->user_id, now),
                       "this view is still being prepared for another request");
                break;
            }
            wait_until(g, deadline);
            if (!find_key(g, key)) {
                result = HTTP_BUILD_RECHECK;
                break;
            }
            continue;
        }
        struct gate_entry *other = find_user(g, user);
        if (other && other != mine) {
            g->refused++;
            refuse(req, retry_after(g, user, now),
                   "one of your requests is already being prepared and each user has one at "
                   "a time");
            break;
        }
        if (g->running < g->limit) {
            struct gate_entry *e = mine ? mine : free_entry(g);
            if (!e) {
                g->refused++;
                refuse(req, retry_after(g, 0, now), "the server is preparing many views");
                break;
            }
            if (mine)
                g->waiting--;
            e->used = true;
            e->building = true;
            svp_strlcpy(e->key, key, sizeof e->key);
            e->user_id = user;
            e->started_ms = now;
            g->running++;
            req->gate_entry = e;
            result = HTTP_BUILD_GO;
            break;
        }
        if (!queued) {
            struct gate_entry *e = free_entry(g);
            if (g->waiting >= g->limit || !e) {
                g->refused++;
                refuse(req, retry_after(g, 0, now),
                       "the server is busy preparing other views");
                break;
            }
            e->used = true;
            e->building = false;
            svp_strlcpy(e->key, key, sizeof e->key);
            e->user_id = user;
            e->started_ms = now;
            g->waiting++;
            mine = e;
            queued = true;
        }
        if (now >= deadline) {
            mine->used = false;
            g->waiting--;
            g->refused++;
            refuse(req, retry_after(g, 0, now), "the server is busy preparing other views");
            pthread_cond_broadcast(&g->changed);
            break;
        }
        wait_until(g, deadline);
    }
    return result;
}

/* A build yields the processor to every other request: its thread (this connection's own)
 * runs at the lowest priority from now on, and the connection is closed after the reply, so
 * the thread ends with it and the client's next request gets a fresh one. */
static void build_at_low_priority(struct http_req *req)
{
    lowest_priority();
    req->close_after = true;
}

int http_build_begin(struct http_req *req, const char *key)
{
    struct http_gate *g = http_server_gate(req->srv);
    /* Waiting holds no database connection: it goes back to the pool until the wait ends. */
    http_req_db_release(req);
    pthread_mutex_lock(&g->lock);
    int r = begin_locked(g, req, key);
    pthread_mutex_unlock(&g->lock);
    http_req_db_acquire(req);
    if (r == HTTP_BUILD_GO)
        build_at_low_priority(req);
    return r;
}

void http_build_end(struct http_req *req)
{
    struct gate_entry *e = req->gate_entry;
    if (!e)
        return;
    struct http_gate *g = http_server_gate(req->srv);
    pthread_mutex_lock(&g->lock);
    int64_t took = mono_ms() - e->started_ms;
    g->avg_ms = (g->avg_ms * 3 + (took < 100 ? 100 : took)) / 4;
    e->used = false;
    e->building = false;
    g->running--;
    g->built++;
    pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
    req->gate_entry = NULL;
}
