/* Need-to-know decisions kept per data version. access_authorise decides from the user
 * (id, role, agency, disabled), the route (roles, data, object and its id), the stated
 * purpose and the database (the sharing rules, who holds what, shares, panels, plans,
 * break-glass grants): with all of those the same and the data version unchanged the
 * answer is the same, except a break-glass view, which lasts only until the grant's end,
 * so it is never kept. The check still runs for every request; only its queries are
 * saved. A person page's check and a list's per-person checks are the hot paths. */
#include "http_int.h"

#include <pthread.h>
#include <string.h>

#define AUTHZ_SLOTS 4096

struct authz_slot {
    bool used;
    uint64_t hash;
    int64_t version;
    int64_t user_id;
    int role;
    bool disabled;
    char agency[32];
    unsigned roles;
    int data;
    int object;
    int64_t object_id;
    char purpose[256];
    struct access_decision d;
};

struct http_authz_cache {
    pthread_mutex_t lock;
    struct authz_slot slots[AUTHZ_SLOTS];
};

int http_authz_cache_new(struct http_authz_cache **out, struct svp_err *err)
{
    struct http_authz_cache *c = svp_calloc(1, sizeof *c);
    if (!c)
        return svp_err_set(err, SVP_ENOMEM, "out of memory starting the server");
    pthread_mutex_init(&c->lock, NULL);
    *out = c;
    return SVP_OK;
}

void http_authz_cache_free(struct http_authz_cache **c)
{
    if (!c || !*c)
        return;
    pthread_mutex_destroy(&(*c)->lock);
    svp_free(*c);
    *c = NULL;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static bool same(const struct authz_slot *s, uint64_t hash, int64_t version,
                 const struct access_user *u, const struct access_request *ar,
                 const char *purpose)
{
    return s->used && s->hash == hash && s->version == version && s->user_id == u->id &&
           s->role == (int)u->role && s->disabled == u->disabled &&
           !strcmp(s->agency, u->agency) && s->roles == ar->roles && s->data == (int)ar->data &&
           s->object == (int)ar->object && s->object_id == ar->object_id &&
           !strcmp(s->purpose, purpose);
}

int http_authorise(struct http_req *req, const struct access_request *ar,
                   struct access_decision *d, struct svp_err *err)
{
    const struct access_user *u = req->has_session ? &req->session.user : NULL;
    struct http_authz_cache *c = http_server_authz(req->srv);
    const char *purpose = ar->purpose ? ar->purpose : "";
    /* Not kept: a check without a person or record (it reads nothing), no session, a
     * purpose too long to key by, or no data version to key by. */
    if (ar->object == ACCESS_OBJ_NONE || !u || !c || strlen(purpose) >= sizeof c->slots[0].purpose)
        return access_authorise(req->db, u, ar, d, err);
    if (!req->version_seen && http_data_version(req, &req->version_seen, err))
        return access_authorise(req->db, u, ar, d, err);
    int64_t version = req->version_seen;
    uint64_t h = 1469598103934665603ull;
    h = mix(h, &version, sizeof version);
    h = mix(h, &u->id, sizeof u->id);
    h = mix(h, &ar->object, sizeof ar->object);
    h = mix(h, &ar->object_id, sizeof ar->object_id);
    h = mix(h, &ar->roles, sizeof ar->roles);
    h = mix(h, purpose, strlen(purpose));
    struct authz_slot *slot = &c->slots[h % AUTHZ_SLOTS];
    pthread_mutex_lock(&c->lock);
    bool hit = same(slot, h, version, u, ar, purpose);
    if (hit)
        *d = slot->d;
    pthread_mutex_unlock(&c->lock);
    if (hit)
        return SVP_OK;
    int rc = access_authorise(req->db, u, ar, d, err);
    if (rc || (d->view.why && !strcmp(d->view.why, "break glass")))
        return rc; /* a grant that ends by the clock is decided afresh each time */
    pthread_mutex_lock(&c->lock);
    slot->used = true;
    slot->hash = h;
    slot->version = version;
    slot->user_id = u->id;
    slot->role = (int)u->role;
    slot->disabled = u->disabled;
    svp_strlcpy(slot->agency, u->agency, sizeof slot->agency);
    slot->roles = ar->roles;
    slot->data = (int)ar->data;
    slot->object = (int)ar->object;
    slot->object_id = ar->object_id;
    svp_strlcpy(slot->purpose, purpose, sizeof slot->purpose);
    slot->d = *d;
    pthread_mutex_unlock(&c->lock);
    return SVP_OK;
}
