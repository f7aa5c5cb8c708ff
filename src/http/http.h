/*
 * http: the door of svp's web server room.
 *
 * `svp serve`: libmicrohttpd with its own thread pool behind a thin adapter, a JSON API
 * under /api/v1/ and the browser application (web/dist) as static files. Request bodies are
 * read by our own capped reader (never libmicrohttpd's PostProcessor) and parsed by jansson
 * with duplicate keys refused and depth and size capped. Every route is one row of one
 * table (routes.c) that declares its method, path, the roles that may call it and what it
 * reads; the dispatcher runs the one authorisation check (access_authorise) before any
 * handler, checks the CSRF token on every state change, and sets the security headers on
 * every response. Handlers only call library rooms (access, people, ...) and write JSON.
 */
#ifndef SVP_HTTP_H
#define SVP_HTTP_H

#include <jansson.h>

#include "access/access.h"
#include "base/base.h"

struct http_server_opts {
    const char *db_uri;     /* the database (borrowed; opened once per pool connection) */
    const char *host;       /* address to listen on, e.g. "127.0.0.1" (IPv4 or IPv6) */
    int port;               /* 0: any free port (see http_server_port) */
    int threads;            /* requests using the database at once; 0: 4 (each connection
                             * has its own thread) */
    int builds;             /* expensive builds (panel for a date, network) at once, one
                             * per user; 0: 2 */
    int64_t build_wait_ms;  /* longest a request waits for a build permit before 503; 0: 10 s */
    const char *web_root;   /* directory of the built browser app, or NULL for none */
    const char *tls_cert;   /* PEM files; both or neither. With them svp speaks HTTPS */
    const char *tls_key;
    bool secure_cookies;    /* mark cookies Secure without TLS here (behind a TLS proxy) */
    int64_t session_ttl;    /* seconds a session lasts; 0: 8 hours */
    int64_t idle_timeout;   /* seconds a session may go unused; 0: 30 minutes */
    int login_per_minute;   /* sign-in attempts allowed per client address a minute; 0: 10 */
    const char *trusted_proxy; /* the TLS proxy's address: from it, the client address is the
                                * last entry of X-Forwarded-For; NULL: none trusted */
    size_t max_body;        /* request body cap in bytes; 0: 64 KiB */
    bool wait_set;          /* wait_ms given: how long a write of the server's (the audit
                             * trail, a sign-in, a saved minute) waits for another process's
                             * write, as store_set_wait (0: not at all); else
                             * STORE_WAIT_DEFAULT_MS */
    int wait_ms;
};

struct http_server;

/* Starts serving in background threads (borrows opts; strings must outlive the server).
 * Opens the database pool first so a bad URI fails here. SVP_EINPUT for unusable options
 * (TLS files unreadable, TLS asked for but libmicrohttpd built without it, bad host),
 * SVP_EIO if the address cannot be bound. Returns an owned server in *out. */
int http_server_start(const struct http_server_opts *opts, struct http_server **out,
                      struct svp_err *err) SVP_WUR;

/* The port the server listens on (useful after asking for port 0). */
int http_server_port(const struct http_server *srv);

/* True when the server speaks HTTPS itself. */
bool http_server_tls(const struct http_server *srv);

/* Stops accepting, finishes the requests in flight, closes the pool, frees *srv. */
void http_server_stop(struct http_server **srv);

/* ------------------------------------------------------------------ routes */

struct http_req;

/* One row of the route table. */
struct http_route {
    const char *method;        /* "GET", "POST", "DELETE" */
    const char *pattern;       /* e.g. "/api/v1/persons/{id}": {id} is a positive integer */
    bool public_route;         /* callable without a session (sign-in only) */
    unsigned roles;            /* enum access_role bits that may call it */
    enum access_data data;     /* what it reads */
    enum access_object object; /* what {id} names, for the per-object check */
    bool while_must_change;    /* callable before a one-time password is changed */
    void (*handler)(struct http_req *req);
};

/* The route table, in match order; *n set to its length. */
const struct http_route *http_routes(size_t *n);

/* The request body a route takes: more than the server's cap dflt for the few that take an
 * extract (a profile drafted from an extract's first part), else dflt. */
size_t http_route_body_cap(const char *method, const char *path, size_t dflt);

/* Matches path against a route pattern. Returns 1 with *id set (0 if the pattern has no
 * {id}), 0 if it does not match, -1 if it matches but {id} is not a positive integer. */
int http_route_match(const char *pattern, const char *path, int64_t *id);

/* ------------------------------------------------------------------ parsers */

#define HTTP_JSON_MAX_DEPTH 8

/* A field a JSON request body may carry. */
struct http_field {
    const char *name;
    json_type type;  /* JSON_STRING, JSON_INTEGER, JSON_TRUE (any boolean), ... */
    bool required;
    size_t max_len;  /* strings: bytes; 0 means 256 */
};

/* Parses a request body (borrowed, len bytes) as one JSON object whose members are all in
 * fields (NULL-name terminated): duplicate keys, unknown members, missing required ones,
 * wrong types, strings over their cap or not valid UTF-8, and nesting deeper than
 * HTTP_JSON_MAX_DEPTH are refused with SVP_EINPUT naming the field (err->field) and the
 * line and column for malformed JSON. Returns an owned object in *out (json_decref). */
int http_json_parse(const char *body, size_t len, const struct http_field *fields, json_t **out,
                    struct svp_err *err) SVP_WUR;

/* Checks a request path for a static file and writes the relative file name into out
 * (cap bytes): "/" is "index.html". Only [A-Za-z0-9._-] in segments, no segment starting
 * with '.', no empty segments, at most 255 bytes: anything else (path traversal) is
 * SVP_EINPUT. */
int http_static_path(const char *path, char *out, size_t cap, struct svp_err *err) SVP_WUR;

#endif
