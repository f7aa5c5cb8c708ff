/* What the server keeps between requests: built objects, rendered replies and JSON
 * values, each for one data version of the database (http_data_version). */
#include "server_int.h"

#include <stdlib.h>
#include <string.h>

void *http_object_get(struct http_server *srv, const char *name, int64_t version)
{
    for (size_t i = 0; i < OBJECT_SLOTS; i++)
        if (srv->objects[i].obj && !strcmp(srv->objects[i].name, name))
            return srv->objects[i].version == version ? srv->objects[i].obj : NULL;
    return NULL;
}

static void object_put_locked(struct http_server *srv, const char *name, int64_t version,
                              void *obj, void (*free_fn)(void *), void **old,
                              void (**old_free)(void *))
{
    struct object_slot *slot = NULL;
    for (size_t i = 0; i < OBJECT_SLOTS && !slot; i++)
        if (srv->objects[i].obj && !strcmp(srv->objects[i].name, name))
            slot = &srv->objects[i];
    for (size_t i = 0; i < OBJECT_SLOTS && !slot; i++)
        if (!srv->objects[i].obj)
            slot = &srv->objects[i];
    if (!slot || strlen(name) >= sizeof slot->name) {
        *old = obj;
        *old_free = free_fn;
        return;
    }
    if (slot->obj) {
        *old = slot->obj;
        *old_free = slot->free_fn;
    }
    svp_strlcpy(slot->name, name, sizeof slot->name);
    slot->version = version;
    slot->obj = obj;
    slot->free_fn = free_fn;
}

void http_objects_read_lock(struct http_server *srv)
{
    pthread_rwlock_rdlock(&srv->objects_lock);
}

void http_objects_read_unlock(struct http_server *srv)
{
    pthread_rwlock_unlock(&srv->objects_lock);
}

struct http_authz_cache *http_server_authz(struct http_server *srv)
{
    return srv->authz;
}

struct http_gate *http_server_gate(struct http_server *srv)
{
    return srv->gate;
}

void http_object_put(struct http_server *srv, const char *name, int64_t version, void *obj,
                     void (*free_fn)(void *))
{
    void *old = NULL;
    void (*old_free)(void *) = NULL;
    pthread_rwlock_wrlock(&srv->objects_lock);
    object_put_locked(srv, name, version, obj, free_fn, &old, &old_free);
    pthread_rwlock_unlock(&srv->objects_lock);
    if (old)
        old_free(old); /* no reader holds it: they all hold the read lock while using one */
}

char *http_text_get(struct http_server *srv, const char *key, size_t *len, int64_t *aux)
{
    char *out = NULL;
    pthread_mutex_lock(&srv->text_lock);
    for (size_t i = 0; i < TEXT_SLOTS; i++) {
        struct text_slot *t = &srv->text[i];
        if (t->text && !strcmp(t->key, key)) {
            out = svp_malloc(t->len + 1);
            if (out) {
                memcpy(out, t->text, t->len + 1);
                *len = t->len;
                if (aux)
                    *aux = t->aux;
                t->used = ++srv->text_clock;
            }
            break;
        }
    }
    pthread_mutex_unlock(&srv->text_lock);
    return out;
}

void http_text_put(struct http_server *srv, const char *key, const char *text, size_t len,
                   int64_t aux)
{
    if (strlen(key) >= sizeof srv->text[0].key)
        return;
    char *copy = svp_malloc(len + 1);
    if (!copy)
        return; /* a cache that cannot grow just misses next time */
    memcpy(copy, text, len);
    copy[len] = '\0';
    pthread_mutex_lock(&srv->text_lock);
    struct text_slot *victim = &srv->text[0];
    for (size_t i = 0; i < TEXT_SLOTS; i++) {
        if (!srv->text[i].text || !strcmp(srv->text[i].key, key)) {
            victim = &srv->text[i];
            break;
        }
        if (srv->text[i].used < victim->used)
            victim = &srv->text[i];
    }
    svp_free(victim->text);
    svp_strlcpy(victim->key, key, sizeof victim->key);
    victim->text = copy;
    victim->len = len;
    victim->aux = aux;
    victim->used = ++srv->text_clock;
    pthread_mutex_unlock(&srv->text_lock);
}

/* The data version pages are kept by: the database's own number (migration 051), which
 * every write that changes what pages show bumps in its transaction, read on the request's
 * connection (one row), so a change is seen by the next request whoever made it. The
 * server's version goes up whenever that number does (a number of the server's own, so
 * what it keeps is never taken for another database's). */
int http_data_version(struct http_req *req, int64_t *out, struct svp_err *err)
{
    struct http_server *srv = req->srv;
    int64_t db_version = 0;
    int rc = store_data_version(req->db, &db_version, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&srv->version_lock);
    if (srv->version == 0 || db_version > srv->version_db) {
        srv->version++;
        srv->version_db = db_version;
    }
    /* A request that read the number just before another's commit has an older one: it
     * gets the version before, so what it builds is never kept as the newest. */
    *out = db_version < srv->version_db ? srv->version - 1 : srv->version;
    pthread_mutex_unlock(&srv->version_lock);
    return SVP_OK;
}

char *http_shared_get(struct http_req *req, const char *what, char *key, size_t cap,
                      size_t *len)
{
    int64_t version = 0;
    struct svp_err err;
    key[0] = '\0';
    if (http_data_version(req, &version, &err))
        return NULL; /* not kept: built afresh */
    if ((size_t)snprintf(key, cap, "%s|%lld", what, (long long)version) >= cap) {
        key[0] = '\0'; /* too long to keep */
        return NULL;
    }
    return http_text_get(req->srv, key, len, NULL);
}

void http_shared_reply(struct http_req *req, const char *key, json_t *obj)
{
    char *dumped = obj ? http_json_text(obj) : NULL;
    json_decref(obj);
    char *text = dumped ? svp_strdup(dumped) : NULL;
    free(dumped); /* jansson allocates with malloc */
    if (!text) {
        http_reply_json(req, 500, NULL);
        return;
    }
    size_t len = strlen(text);
    if (key[0])
        http_text_put(req->srv, key, text, len, 0);
    http_reply_text(req, 200, text, len);
}

json_t *http_cache_get(struct http_server *srv, const char *key)
{
    json_t *out = NULL;
    pthread_mutex_lock(&srv->cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (srv->cache[i].value && !strcmp(srv->cache[i].key, key)) {
            out = json_deep_copy(srv->cache[i].value);
            srv->cache[i].used = ++srv->cache_clock;
            break;
        }
    pthread_mutex_unlock(&srv->cache_lock);
    return out;
}

json_t *http_cache_borrow(struct http_server *srv, const char *key)
{
    json_t *out = NULL;
    pthread_mutex_lock(&srv->cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (srv->cache[i].value && !strcmp(srv->cache[i].key, key)) {
            out = json_incref(srv->cache[i].value);
            srv->cache[i].used = ++srv->cache_clock;
            break;
        }
    pthread_mutex_unlock(&srv->cache_lock);
    return out;
}

void http_cache_put(struct http_server *srv, const char *key, json_t *value)
{
    if (strlen(key) >= sizeof srv->cache[0].key) {
        json_decref(value);
        return;
    }
    pthread_mutex_lock(&srv->cache_lock);
    struct cache_slot *victim = &srv->cache[0];
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        if (!strcmp(srv->cache[i].key, key) || !srv->cache[i].value) {
            victim = &srv->cache[i];
            break;
        }
        if (srv->cache[i].used < victim->used)
            victim = &srv->cache[i];
    }
    json_decref(victim->value);
    svp_strlcpy(victim->key, key, sizeof victim->key);
    victim->value = value;
    victim->used = ++srv->cache_clock;
    pthread_mutex_unlock(&srv->cache_lock);
}

int http_cache_build(struct http_req *req, const char *key, bool copy, http_build_fn build,
                     void *ctx, json_t **out, struct svp_err *err)
{
    for (;;) {
        *out = copy ? http_cache_get(req->srv, key) : http_cache_borrow(req->srv, key);
        if (*out)
            return SVP_OK;
        int g = http_build_begin(req, key);
        if (g == HTTP_BUILD_REFUSED)
            return HTTP_BUSY;
        if (g == HTTP_BUILD_RECHECK)
            continue; /* another request has just built it: look again */
        json_t *built = NULL;
        int rc = build(req, ctx, &built, err);
        if (!rc && !built)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        if (!rc) {
            http_cache_put(req->srv, key, json_incref(built));
            *out = copy ? json_deep_copy(built) : json_incref(built);
            if (!*out)
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        json_decref(built);
        http_build_end(req);
        return rc;
    }
}
