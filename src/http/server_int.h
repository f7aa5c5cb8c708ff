/* The server's own state, shared by its files (server.c: the daemon, pool, dispatcher;
 * server_cache.c: what it keeps per data version; server_login.c: sign-in throttling).
 * Not a door: only src/http/server*.c include it. */
#ifndef SVP_HTTP_SERVER_INT_H
#define SVP_HTTP_SERVER_INT_H

#include "http_int.h"

#include <arpa/inet.h>
#include <limits.h>
#include <pthread.h>
#include <time.h>

#define RATE_SLOTS 256
#define CACHE_SLOTS 16
#define TEXT_SLOTS 512

struct cache_slot {
    char key[256];
    json_t *value;
    uint64_t used; /* for least-recently-used replacement */
};

/* A built object kept for one data version (see http_object_get). */
#define OBJECT_SLOTS 4
struct object_slot {
    char name[32];
    int64_t version;
    void *obj;
    void (*free_fn)(void *);
};

/* A rendered reply body kept for reuse (see http_text_get). */
struct text_slot {
    char key[192];
    char *text; /* NULL: free slot */
    size_t len;
    int64_t aux;
    uint64_t used;
};

/* Requests of one client (one session, or without one, one address) using the database at
 * once: the rest of theirs wait, holding nothing, so one client's many connections never
 * take the connections everyone else's pages need. */
#define CLIENT_SLOTS 512
#define CLIENT_DB_MAX 2
struct client_slot {
    uint64_t key; /* 0: free (never while a request of its client waits) */
    int inflight;
    int waiting;          /* requests of this client waiting for one of theirs to end */
    pthread_cond_t ended; /* signalled once when one ends: it wakes one waiter, not all */
};

#define DELAY_SLOTS 1024
struct delay_slot {
    uint64_t key; /* hash of username and client address; 0 free */
    int failures;
    int64_t next_at; /* monotonic ms before which no attempt is checked (a wait of 1 s is a
                      * whole second, whenever in a second the failure came) */
};

struct rate_slot {
    char addr[INET6_ADDRSTRLEN];
    int64_t window; /* minute number */
    int count;
};

struct http_server {
    struct http_server_opts opts;
    struct MHD_Daemon *daemon;
    int port;
    bool tls;
    char *cert_pem, *key_pem;
    char web_root[PATH_MAX];
    bool has_web;
    /* store pool: one connection per worker, handed out under pool_lock */
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cond;
    struct store **pool;
    bool *pool_busy;
    size_t pool_n;
    /* The audit chain has one writer: a thread with its own connection that appends every
     * entry waiting in the queue in one transaction (group commit). A request waits until
     * its entry is committed before it shows anything. */
    pthread_mutex_t audit_lock;
    pthread_cond_t audit_work;
    pthread_t audit_thread;
    bool audit_running, audit_stopping;
    /* SQLite: the checkpointer (see checkpointer()) */
    pthread_t ckpt_thread;
    pthread_cond_t ckpt_work;
    bool ckpt_running, ckpt_pending;
    struct store *ckpt_db;
    struct audit_job *audit_head, *audit_tail;
    struct store *audit_db;
    pthread_mutex_t rate_lock;
    struct rate_slot rate[RATE_SLOTS];
    pthread_mutex_t client_lock;
    struct client_slot clients[CLIENT_SLOTS];
    struct delay_slot delay[DELAY_SLOTS]; /* sign-in failures per account and address */
    pthread_mutex_t cache_lock;
    struct http_gate *gate; /* expensive builds (gate.c) */
    struct http_authz_cache *authz; /* need-to-know decisions (authz_cache.c) */
    pthread_rwlock_t objects_lock;
    struct cache_slot cache[CACHE_SLOTS];
    uint64_t cache_clock;
    pthread_mutex_t text_lock;
    struct text_slot text[TEXT_SLOTS];
    uint64_t text_clock;
    struct object_slot objects[OBJECT_SLOTS]; /* used under objects_lock */
    /* The data version rendered pages are keyed by (http_data_version). */
    pthread_mutex_t version_lock;
    int64_t version;
    int64_t version_db; /* the database's data version it stands for */
};

/* Milliseconds on the monotonic clock. */
static inline int64_t http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
