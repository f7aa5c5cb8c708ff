/* The server: libmicrohttpd's thread pool, our capped body reader, the dispatcher that
 * runs the one authorisation check, the security headers, static files and the store pool.
 * What it keeps per data version is in server_cache.c, sign-in throttling in server_login.c. */
#include "server_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct audit_job {
    struct access_audit_item item;
    int rc;
    bool done;
    pthread_cond_t written; /* signalled when done: only this request wakes */
    struct audit_job *next;
};

/* Per connection: the body read so far (capped). */
struct conn_state {
    struct svp_buf body;
    bool too_large;
    bool no_memory; /* the body could not be kept: answered 503, not 413 */
    bool started;
};

static const char *const security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
     "form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
    {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};

int64_t http_server_session_ttl(const struct http_server *srv)
{
    return srv->opts.session_ttl;
}

bool http_server_secure_cookies(const struct http_server *srv)
{
    return srv->tls || srv->opts.secure_cookies;
}

int http_server_port(const struct http_server *srv)
{
    return srv->port;
}

bool http_server_tls(const struct http_server *srv)
{
    return srv->tls;
}

/* ------------------------------------------------------------------ store pool */

static struct store *pool_get(struct http_server *srv, size_t *slot)
{
    pthread_mutex_lock(&srv->pool_lock);
    for (;;) {
        for (size_t i = 0; i < srv->pool_n; i++)
            if (!srv->pool_busy[i]) {
                srv->pool_busy[i] = true;
                *slot = i;
                pthread_mutex_unlock(&srv->pool_lock);
                return srv->pool[i];
            }
        pthread_cond_wait(&srv->pool_cond, &srv->pool_lock);
    }
}

static void pool_put(struct http_server *srv, size_t slot)
{
    pthread_mutex_lock(&srv->pool_lock);
    srv->pool_busy[slot] = false;
    pthread_cond_signal(&srv->pool_cond);
    pthread_mutex_unlock(&srv->pool_lock);
}

/* Waits until the client has fewer than CLIENT_DB_MAX requests using the database, then
 * counts this one. A full table (more clients at once than slots) limits no one. */
static void client_enter(struct http_server *srv, uint64_t key)
{
    if (!key)
        return;
    pthread_mutex_lock(&srv->client_lock);
    for (;;) {
        struct client_slot *mine = NULL, *free_slot = NULL;
        for (size_t i = 0, h = key % CLIENT_SLOTS; i < CLIENT_SLOTS; i++, h = (h + 1) % CLIENT_SLOTS) {
            if (srv->clients[h].key == key) {
                mine = &srv->clients[h];
                break;
            }
            if (!free_slot && !srv->clients[h].key)
                free_slot = &srv->clients[h];
        }
        if (!mine && free_slot) {
            free_slot->key = key;
            free_slot->inflight = 1;
            break;
        }
        if (!mine) /* no room to count: go ahead */
            break;
        if (mine->inflight < CLIENT_DB_MAX) {
            mine->inflight++;
            break;
        }
        /* The slot stays this client's while anyone waits on it (client_leave frees it
         * only with no one in flight and no one waiting), so the signal finds us. */
        mine->waiting++;
        pthread_cond_wait(&mine->ended, &srv->client_lock);
        mine->waiting--;
    }
    pthread_mutex_unlock(&srv->client_lock);
}

static void client_leave(struct http_server *srv, uint64_t key)
{
    if (!key)
        return;
    pthread_mutex_lock(&srv->client_lock);
    for (size_t i = 0, h = key % CLIENT_SLOTS; i < CLIENT_SLOTS; i++, h = (h + 1) % CLIENT_SLOTS)
        if (srv->clients[h].key == key) {
            struct client_slot *c = &srv->clients[h];
            if (--c->inflight <= 0 && c->waiting == 0)
                c->key = 0;
            else if (c->waiting > 0)
                pthread_cond_signal(&c->ended); /* one place freed: one waiter goes */
            break;
        }
    pthread_mutex_unlock(&srv->client_lock);
}

/* The client a request counts against: its session cookie; 0 (not counted) without one
 * (sign-in, which its own throttle limits; behind the TLS proxy everyone shares an
 * address). */
static uint64_t client_key(struct MHD_Connection *conn)
{
    const char *token = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "svp_session");
    if (!token || !*token)
        return 0;
    uint64_t h = 1469598103934665603ull;
    for (const char *c = token; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ull;
    return h ? h : 1;
}

void http_req_db_release(struct http_req *req)
{
    if (req->db) {
        pool_put(req->srv, req->db_slot);
        req->db = NULL;
    }
}

void http_req_db_done(struct http_req *req)
{
    http_req_db_release(req);
    client_leave(req->srv, req->client);
    req->client = 0;
}

void http_req_db_acquire(struct http_req *req)
{
    if (!req->db)
        req->db = pool_get(req->srv, &req->db_slot);
}

/* ------------------------------------------------------------------ helpers for handlers */

#define AUDIT_BATCH 256
#define AUDIT_CHECKPOINT_EVERY 256

static void *audit_writer(void *arg)
{
    struct http_server *srv = arg;
    struct access_audit_item items[AUDIT_BATCH];
    struct audit_job *jobs[AUDIT_BATCH];
    struct svp_err err;
    uint64_t batches = 0;
    pthread_mutex_lock(&srv->audit_lock);
    for (;;) {
        while (!srv->audit_head && !srv->audit_stopping)
            pthread_cond_wait(&srv->audit_work, &srv->audit_lock);
        if (!srv->audit_head)
            break;
        size_t n = 0;
        while (srv->audit_head && n < AUDIT_BATCH) {
            jobs[n] = srv->audit_head;
            items[n] = jobs[n]->item;
            srv->audit_head = jobs[n]->next;
            n++;
        }
        if (!srv->audit_head)
            srv->audit_tail = NULL;
        pthread_mutex_unlock(&srv->audit_lock);
        int rc = access_audit_many(srv->audit_db, items, n, &err);
        if (rc)
            svp_log(SVP_LOG_ERROR, "http: %zu audit entries not written: %s", n, err.msg);
        pthread_mutex_lock(&srv->audit_lock);
        for (size_t i = 0; i < n; i++) {
            jobs[i]->rc = rc;
            jobs[i]->done = true;
            pthread_cond_signal(&jobs[i]->written);
        }
        /* SQLite: the writer's connection does not checkpoint inside a commit (every
         * waiter would wait for the copy and its fsync); the checkpointer thread copies
         * the log back into the database beside it. */
        if (srv->ckpt_running && ++batches % AUDIT_CHECKPOINT_EVERY == 0) {
            srv->ckpt_pending = true;
            pthread_cond_signal(&srv->ckpt_work);
        }
    }
    pthread_mutex_unlock(&srv->audit_lock);
    return NULL;
}

/* SQLite's log is copied back into the database by this thread, on its own connection, so
 * that appending to the audit chain never waits for it (a passive checkpoint runs beside
 * the writer and readers). */
static void *checkpointer(void *arg)
{
    struct http_server *srv = arg;
    struct svp_err err;
    pthread_mutex_lock(&srv->audit_lock);
    for (;;) {
        while (!srv->ckpt_pending && !srv->audit_stopping)
            pthread_cond_wait(&srv->ckpt_work, &srv->audit_lock);
        if (!srv->ckpt_pending)
            break;
        srv->ckpt_pending = false;
        pthread_mutex_unlock(&srv->audit_lock);
        if (store_exec(srv->ckpt_db, "PRAGMA wal_checkpoint(PASSIVE)", &err))
            svp_log(SVP_LOG_WARN, "http: checkpoint after audit writes: %s", err.msg);
        pthread_mutex_lock(&srv->audit_lock);
    }
    pthread_mutex_unlock(&srv->audit_lock);
    return NULL;
}

bool http_audit(struct http_req *req, const char *action, const char *object, const char *detail)
{
    return http_audit_seen(req, action, object, detail, NULL);
}

bool http_audit_seen(struct http_req *req, const char *action, const char *object,
                     const char *detail, const char *persons)
{
    struct http_server *srv = req->srv;
    struct audit_job job = {
        .item = {req->has_session ? &req->session.user : NULL, action, object, req->purpose,
                 detail, persons},
        .rc = SVP_EINTERNAL,
    };
    pthread_cond_init(&job.written, NULL);
    pthread_mutex_lock(&srv->audit_lock);
    if (srv->audit_tail)
        srv->audit_tail->next = &job;
    else
        srv->audit_head = &job;
    srv->audit_tail = &job;
    pthread_cond_signal(&srv->audit_work);
    while (!job.done)
        pthread_cond_wait(&job.written, &srv->audit_lock);
    pthread_mutex_unlock(&srv->audit_lock);
    pthread_cond_destroy(&job.written);
    if (job.rc) {
        http_reply_error(req, 500, NULL,
                         "the audit trail could not be written, so nothing is shown");
        return false;
    }
    return true;
}


/* ------------------------------------------------------------------ responses */

static enum MHD_Result send_response(struct MHD_Connection *conn, unsigned status,
                                     struct MHD_Response *resp, const char *cache,
                                     const char *ctype, bool tls, const char *cookie,
                                     int64_t retry_after, bool close)
{
    if (!resp)
        return MHD_NO;
    if (close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%lld", (long long)retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    if (tls)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    MHD_add_response_header(resp, "Cache-Control", cache);
    if (ctype)
        MHD_add_response_header(resp, "Content-Type", ctype);
    if (cookie && *cookie)
        MHD_add_response_header(resp, "Set-Cookie", cookie);
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result send_json(struct http_server *srv, struct MHD_Connection *conn,
                                 unsigned status, json_t *obj, const char *cookie,
                                 int64_t retry_after, bool close)
{
    char *text = http_json_text(obj);
    if (!text) {
        status = 500;
        text = strdup("{\"error\":\"the server could not complete the request\"}");
        if (!text)
            return MHD_NO;
    }
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    return send_response(conn, status, resp, "no-store", "application/json; charset=utf-8",
                         srv->tls, cookie, retry_after, close);
}

static enum MHD_Result send_text(struct http_server *srv, struct MHD_Connection *conn,
                                 unsigned status, char *text, size_t len, const char *cookie,
                                 const char *ctype, bool close)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        svp_free(text);
        return MHD_NO;
    }
    return send_response(conn, status, resp, "no-store",
                         ctype ? ctype : "application/json; charset=utf-8", srv->tls, cookie, 0,
                         close);
}

/* The reply when memory runs out before a request has its own state: a fixed text that
 * needs no allocation of ours (libmicrohttpd's own response object aside). */
static enum MHD_Result send_no_memory(struct http_server *srv, struct MHD_Connection *conn)
{
    static const char text[] =
        "{\"error\":\"the server is short of memory and could not take the request; try again\"}";
    struct MHD_Response *resp = MHD_create_response_from_buffer(sizeof text - 1, (void *)text,
                                                                MHD_RESPMEM_PERSISTENT);
    return send_response(conn, 503, resp, "no-store", "application/json; charset=utf-8",
                         srv->tls, NULL, 1, false);
}

static enum MHD_Result send_error(struct http_server *srv, struct MHD_Connection *conn,
                                  unsigned status, const char *msg)
{
    json_t *o = json_pack("{s:s}", "error", msg);
    enum MHD_Result r = send_json(srv, conn, status, o, NULL, 0, false);
    json_decref(o);
    return r;
}

/* ------------------------------------------------------------------ static files */

static const char *content_type(const char *name)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
        {".png", "image/png"},                 {".ico", "image/x-icon"},
        {".json", "application/json"},         {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i][0]))
            return types[i][1];
    return "application/octet-stream";
}

static enum MHD_Result serve_static(struct http_server *srv, struct MHD_Connection *conn,
                                    const char *method, const char *url)
{
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return send_error(srv, conn, 405, "static files are read with GET");
    if (!srv->has_web)
        return send_error(srv, conn, 404,
                          "the browser application is not built (run 'make run'); the API is "
                          "under /api/v1/");
    char rel[256];
    struct svp_err err;
    if (http_static_path(url, rel, sizeof rel, &err))
        return send_error(srv, conn, 400, err.msg);
    char full[PATH_MAX], real[PATH_MAX];
    if ((size_t)snprintf(full, sizeof full, "%s/%s", srv->web_root, rel) >= sizeof full)
        return send_error(srv, conn, 400, "the path is too long");
    /* Refuse anything that resolves outside the web root (a symlink, say). */
    size_t rootlen = strlen(srv->web_root);
    if (!realpath(full, real) || strncmp(real, srv->web_root, rootlen) || real[rootlen] != '/')
        return send_error(srv, conn, 404, "no such file");
    int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0)
        return send_error(srv, conn, 404, "no such file");
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        close(fd);
        return send_error(srv, conn, 404, "no such file");
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    if (!resp) {
        close(fd);
        return MHD_NO;
    }
    /* Vite names built assets by content hash: they may be cached for good. */
    const char *cache = !strncmp(rel, "assets/", 7) ? "public, max-age=31536000, immutable"
                                                    : "no-cache";
    return send_response(conn, 200, resp, cache, content_type(rel), srv->tls, NULL, 0, false);
}

/* ------------------------------------------------------------------ the dispatcher */

static bool changes_state(const char *method)
{
    return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static enum MHD_Result dispatch_api(struct http_server *srv, struct MHD_Connection *conn,
                                    const char *method, const char *url, struct conn_state *cs)
{
    if (cs->no_memory)
        return send_no_memory(srv, conn);
    if (cs->too_large)
        return send_error(srv, conn, 413, "the request body is larger than the server accepts");
    size_t nroutes;
    const struct http_route *routes = http_routes(&nroutes), *route = NULL;
    int64_t id = 0;
    bool path_known = false, bad_id = false;
    for (size_t i = 0; i < nroutes && !route; i++) {
        int64_t rid;
        int m = http_route_match(routes[i].pattern, url, &rid);
        if (m == 0)
            continue;
        path_known = true;
        if (strcmp(routes[i].method, method))
            continue;
        if (m < 0) {
            bad_id = true;
            continue;
        }
        route = &routes[i];
        id = rid;
    }
    if (!route && bad_id)
        return send_error(srv, conn, 400, "the id in the path must be a positive whole number");
    if (!route)
        return path_known ? send_error(srv, conn, 405, "this method is not allowed here")
                          : send_error(srv, conn, 404, "no such API route");

    struct http_req req = {.srv = srv, .conn = conn, .method = method, .path = url,
                           .route = route, .body = cs->body.data ? cs->body.data : "",
                           .body_len = cs->body.len, .id = id, .status = 500};
    if (changes_state(method)) {
        const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
        /* JSON only: a cross-site form cannot send it without a CORS preflight. */
        if (!ct || strncmp(ct, "application/json", 16) || (ct[16] && ct[16] != ';'))
            return send_error(srv, conn, 415, "send the request as Content-Type: application/json");
    }
    req.purpose = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-SVP-Purpose");
    if (req.purpose && (strlen(req.purpose) > 250 || !svp_utf8_valid(req.purpose, strlen(req.purpose), NULL)))
        return send_error(srv, conn, 400, "the stated purpose must be text of at most 250 bytes");

    req.client = client_key(conn);
    client_enter(srv, req.client);
    req.db = pool_get(srv, &req.db_slot);
    req.arena = svp_arena_new(16384);
    struct svp_err err;
    svp_err_clear(&err);
    enum MHD_Result result;
    if (!req.arena) {
        http_req_db_done(&req);
        return send_error(srv, conn, 500, "out of memory");
    }
    req.token = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "svp_session");
    if (req.token) {
        int rc = access_session_find_idle(req.db, req.token, (svp_time)time(NULL),
                                          srv->opts.idle_timeout, &req.session, &err);
        if (rc == SVP_OK)
            req.has_session = true;
        else if (rc != SVP_ENOTFOUND)
            http_reply_status(&req, &err);
    }
    if (req.status == 500 && !req.reply) {
        if (route->public_route) {
            req.decision.allowed = true;
        } else {
            struct access_request ar = {.roles = route->roles, .data = route->data,
                                        .object = route->object, .object_id = id,
                                        .purpose = req.purpose};
            if (route->data == ACCESS_DATA_PERSONAL && req.has_session &&
                access_policy_load(req.db, &req.policy, &err))
                http_reply_status(&req, &err);
            ar.policy = req.policy;
            if (req.reply)
                ;
            else if (http_authorise(&req, &ar, &req.decision, &err))
                http_reply_status(&req, &err);
            else if (!req.decision.allowed) {
                http_audit_refusal(&req);
                http_reply_error(&req, req.decision.status, NULL, "%s", req.decision.reason);
            }
            else if (req.session.user.must_change && !route->while_must_change)
                http_reply_error(&req, 403, NULL,
                                 "change your one-time password before anything else");
            else if (changes_state(method) &&
                     !access_csrf_ok(&req.session,
                                     MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                                 "X-CSRF-Token")))
                http_reply_error(&req, 403, NULL,
                                 "missing or wrong X-CSRF-Token header; reload the page");
        }
        if (!req.reply && (route->public_route || req.decision.allowed))
            route->handler(&req);
    }
    http_build_end(&req); /* a handler that returned early still frees its permit */
    if (!req.reply && !req.reply_text)
        http_reply_error(&req, 500, NULL, "the server could not complete the request");
    svp_arena_free(&req.arena);
    access_policy_free(&req.policy);
    http_req_db_done(&req);
    if (req.reply_text) {
        result = send_text(srv, conn, (unsigned)req.status, req.reply_text, req.reply_len,
                           req.set_cookie, req.reply_type, req.close_after);
        req.reply_text = NULL;
    } else {
        result = send_json(srv, conn, (unsigned)req.status, req.reply, req.set_cookie,
                           req.status == 503 ? req.retry_after : 0, req.close_after);
    }
    json_decref(req.reply);
    return result;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct http_server *srv = cls;
    struct conn_state *cs = *con_cls;
    if (!cs) {
        cs = svp_calloc(1, sizeof *cs);
        if (!cs) {
            /* no state to carry the request over its body: answer at once (a body not read
             * is dropped with the connection, which libmicrohttpd closes after a reply to
             * an unread body) */
            return send_no_memory(srv, conn);
        }
        size_t cap = http_route_body_cap(method, url, srv->opts.max_body);
        svp_buf_init(&cs->body, cap);
        *con_cls = cs;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int64_t n = 0;
        if (cl && (svp_parse_i64(cl, &n) || n < 0 || (uint64_t)n > cap))
            cs->too_large = true;
        return MHD_YES;
    }
    if (*upload_data_size) {
        /* Our own capped reader: past the cap the rest is read and dropped, then refused. */
        if (!cs->too_large) {
            int rc = svp_buf_append(&cs->body, upload_data, *upload_data_size);
            if (rc) {
                cs->too_large = true;
                cs->no_memory = rc == SVP_ENOMEM;
            }
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api"))
        return dispatch_api(srv, conn, method, url, cs);
    if (cs->too_large || cs->body.len)
        return send_error(srv, conn, 413, "static files take no request body");
    return serve_static(srv, conn, method, url);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn_state *cs = *con_cls;
    if (cs) {
        svp_buf_free(&cs->body);
        svp_free(cs);
        *con_cls = NULL;
    }
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    svp_log(SVP_LOG_WARN, "http: %s", line);
}

/* ------------------------------------------------------------------ start and stop */

static int read_file(const char *path, char **out, struct svp_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EINPUT, path, 0, NULL, "cannot read: %s", strerror(errno));
    struct svp_buf b;
    svp_buf_init(&b, 1024 * 1024);
    char chunk[4096];
    size_t n;
    int rc = SVP_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (svp_buf_append(&b, chunk, n))
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "larger than 1 MiB; not a PEM file?");
    fclose(f);
    if (rc) {
        svp_buf_free(&b);
        return rc;
    }
    *out = svp_buf_take(&b);
    return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
}

static void server_free(struct http_server *srv)
{
    if (srv->audit_running) {
        pthread_mutex_lock(&srv->audit_lock);
        srv->audit_stopping = true;
        pthread_cond_signal(&srv->audit_work);
        pthread_mutex_unlock(&srv->audit_lock);
        pthread_join(srv->audit_thread, NULL);
    }
    if (srv->ckpt_running) {
        pthread_mutex_lock(&srv->audit_lock);
        srv->audit_stopping = true;
        pthread_cond_signal(&srv->ckpt_work);
        pthread_mutex_unlock(&srv->audit_lock);
        pthread_join(srv->ckpt_thread, NULL);
    }
    store_close(&srv->ckpt_db);
    pthread_cond_destroy(&srv->ckpt_work);
    store_close(&srv->audit_db);
    pthread_cond_destroy(&srv->audit_work);
    for (size_t i = 0; srv->pool && i < srv->pool_n; i++)
        store_close(&srv->pool[i]);
    svp_free(srv->pool);
    svp_free(srv->pool_busy);
    svp_free(srv->cert_pem);
    svp_free(srv->key_pem);
    pthread_mutex_destroy(&srv->pool_lock);
    pthread_cond_destroy(&srv->pool_cond);
    pthread_mutex_destroy(&srv->audit_lock);
    pthread_mutex_destroy(&srv->rate_lock);
    pthread_mutex_destroy(&srv->client_lock);
    for (size_t i = 0; i < CLIENT_SLOTS; i++)
        pthread_cond_destroy(&srv->clients[i].ended);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        json_decref(srv->cache[i].value);
    pthread_mutex_destroy(&srv->cache_lock);
    pthread_rwlock_destroy(&srv->objects_lock);
    http_gate_free(&srv->gate);
    http_authz_cache_free(&srv->authz);
    for (size_t i = 0; i < TEXT_SLOTS; i++)
        svp_free(srv->text[i].text);
    pthread_mutex_destroy(&srv->text_lock);
    for (size_t i = 0; i < OBJECT_SLOTS; i++)
        if (srv->objects[i].obj)
            srv->objects[i].free_fn(srv->objects[i].obj);
    pthread_mutex_destroy(&srv->version_lock);
    svp_free(srv);
}

/* jansson allocates through svp_malloc in the server: a failed allocation counts in
 * svp_mem_failures (jansson reports some as malformed text) and follows the torture
 * countdown in tests. Set once, before the first request. */
static void json_allocator(void)
{
    json_set_alloc_funcs(svp_malloc, svp_free);
}

int http_server_start(const struct http_server_opts *opts, struct http_server **out,
                      struct svp_err *err)
{
    *out = NULL;
    static pthread_once_t json_once = PTHREAD_ONCE_INIT;
    pthread_once(&json_once, json_allocator);
    struct http_server *srv = svp_calloc(1, sizeof *srv);
    if (!srv)
        return svp_err_set(err, SVP_ENOMEM, "out of memory starting the server");
    srv->opts = *opts;
    if (srv->opts.threads <= 0)
        srv->opts.threads = 4;
    if (srv->opts.threads < 2) /* libmicrohttpd's pool needs two or more */
        srv->opts.threads = 2;
    if (srv->opts.session_ttl <= 0)
        srv->opts.session_ttl = 8 * 3600;
    if (srv->opts.idle_timeout <= 0)
        srv->opts.idle_timeout = 30 * 60;
    if (srv->opts.login_per_minute <= 0)
        srv->opts.login_per_minute = 10;
    if (srv->opts.max_body == 0)
        srv->opts.max_body = 64 * 1024;
    pthread_mutex_init(&srv->pool_lock, NULL);
    pthread_cond_init(&srv->pool_cond, NULL);
    pthread_mutex_init(&srv->audit_lock, NULL);
    pthread_cond_init(&srv->audit_work, NULL);
    pthread_cond_init(&srv->ckpt_work, NULL);
    pthread_mutex_init(&srv->rate_lock, NULL);
    pthread_mutex_init(&srv->client_lock, NULL);
    for (size_t i = 0; i < CLIENT_SLOTS; i++)
        pthread_cond_init(&srv->clients[i].ended, NULL);
    pthread_mutex_init(&srv->cache_lock, NULL);
    pthread_rwlock_init(&srv->objects_lock, NULL);
    pthread_mutex_init(&srv->text_lock, NULL);
    pthread_mutex_init(&srv->version_lock, NULL);

    int rc = SVP_OK;
    if (!!opts->tls_cert != !!opts->tls_key)
        rc = svp_err_set(err, SVP_EINPUT, "give both --tls-cert and --tls-key, or neither");
    if (!rc && opts->tls_cert) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
            rc = svp_err_set(err, SVP_EINPUT,
                             "this libmicrohttpd was built without TLS (GnuTLS); serve behind a "
                             "TLS proxy instead");
        else if (!(rc = read_file(opts->tls_cert, &srv->cert_pem, err)))
            rc = read_file(opts->tls_key, &srv->key_pem, err);
        srv->tls = !rc;
    }
    if (!rc && opts->web_root) {
        if (!realpath(opts->web_root, srv->web_root))
            svp_log(SVP_LOG_WARN, "http: web root %s not found; serving the API only",
                    opts->web_root);
        else
            srv->has_web = true;
    }
    if (srv->opts.builds <= 0)
        srv->opts.builds = 2;
    if (srv->opts.build_wait_ms <= 0)
        srv->opts.build_wait_ms = 10000;
    if (!rc && http_gate_new(srv->opts.builds, srv->opts.build_wait_ms, &srv->gate))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory starting the server");
    if (!rc)
        rc = http_authz_cache_new(&srv->authz, err);
    /* The pool: a connection for each request handled at once, one spare, and one for each
     * expensive build, so builds never take the connections everyone else's pages use. */
    srv->pool_n = (size_t)srv->opts.threads + 1 + (size_t)srv->opts.builds;
    if (!rc) {
        srv->pool = svp_calloc(srv->pool_n, sizeof *srv->pool);
        srv->pool_busy = svp_calloc(srv->pool_n, sizeof *srv->pool_busy);
        if (!srv->pool || !srv->pool_busy)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory starting the server");
    }
    int wait_ms = opts->wait_set ? opts->wait_ms : STORE_WAIT_DEFAULT_MS;
    for (size_t i = 0; !rc && i < srv->pool_n; i++) {
        rc = store_open(opts->db_uri, 0, &srv->pool[i], err);
        if (!rc)
            rc = store_set_wait(srv->pool[i], wait_ms, err);
        if (!rc)
            rc = store_require_current(srv->pool[i], err);
        /* Readers map the file: after every audit commit SQLite drops each connection's
         * page cache, and re-reading through the map costs no system calls. */
        if (!rc && store_kind(srv->pool[i]) == STORE_SQLITE)
            rc = store_exec(srv->pool[i], "PRAGMA mmap_size = 268435456", err);
    }
    if (!rc)
        rc = store_open(opts->db_uri, 0, &srv->audit_db, err);
    if (!rc)
        rc = store_set_wait(srv->audit_db, wait_ms, err);
    if (!rc && store_kind(srv->audit_db) == STORE_SQLITE) {
        rc = store_open(opts->db_uri, 0, &srv->ckpt_db, err);
        if (!rc)
            rc = store_set_wait(srv->ckpt_db, wait_ms, err);
        if (!rc)
            rc = store_exec(srv->audit_db, "PRAGMA wal_autocheckpoint = 0", err);
        if (!rc && pthread_create(&srv->ckpt_thread, NULL, checkpointer, srv))
            rc = svp_err_set(err, SVP_EINTERNAL, "cannot start the checkpoint thread");
        else if (!rc)
            srv->ckpt_running = true;
    }
    if (!rc) {
        if (pthread_create(&srv->audit_thread, NULL, audit_writer, srv))
            rc = svp_err_set(err, SVP_EINTERNAL, "cannot start the audit writer thread");
        else
            srv->audit_running = true;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned family_flag = 0;
    if (!rc) {
        const char *host = opts->host ? opts->host : "127.0.0.1";
        struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
        if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons((uint16_t)opts->port);
        } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons((uint16_t)opts->port);
            family_flag = MHD_USE_IPv6;
        } else {
            rc = svp_err_at(err, SVP_EINPUT, "", 0, "listen",
                            "'%s' is not an IPv4 or IPv6 address", host);
        }
    }
    if (!rc) {
        /* A thread for each connection: a request that takes long (an expensive build, a
         * wait for the gate) holds up only its own connection, never the others a pool
         * thread would also serve. How many requests use the database at once is the
         * store pool's size. */
        unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
                         MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG | family_flag |
                         (srv->tls ? MHD_USE_TLS : 0);
        struct MHD_OptionItem tls_opts[] = {
            {srv->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, srv->cert_pem},
            {srv->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, srv->key_pem},
            /* TLS 1.2 and 1.3 only (OWASP ASVS 9.1.3): 1.0 and 1.1 are refused. */
            {srv->tls ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, 0,
             (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"},
            {MHD_OPTION_END, 0, NULL},
        };
        srv->daemon = MHD_start_daemon(
            flags, (uint16_t)opts->port, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
            on_mhd_log, srv, MHD_OPTION_SOCK_ADDR,
            (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_NOTIFY_COMPLETED,
            on_completed, srv, MHD_OPTION_ARRAY,
            tls_opts, MHD_OPTION_END);
        if (!srv->daemon)
            rc = svp_err_at(err, SVP_EIO, "", 0, "listen",
                            "cannot listen on %s port %d (in use, or not an address of this "
                            "machine?)",
                            opts->host ? opts->host : "127.0.0.1", opts->port);
    }
    if (!rc) {
        const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
        srv->port = di ? di->port : opts->port;
    }
    if (rc) {
        server_free(srv);
        return rc;
    }
    *out = srv;
    return SVP_OK;
}

void http_server_stop(struct http_server **psrv)
{
    struct http_server *srv = *psrv;
    if (!srv)
        return;
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
    server_free(srv);
    *psrv = NULL;
}
