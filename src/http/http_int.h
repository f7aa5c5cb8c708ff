/* Private to the http room: the request handlers see, and helpers they share. */
#ifndef SVP_HTTP_INT_H
#define SVP_HTTP_INT_H

#include "http/http.h"
#include "store/store.h"

#include <microhttpd.h>

struct gate_entry;

struct http_req {
    struct http_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const struct http_route *route;
    const char *body; /* NUL-terminated, body_len bytes */
    size_t body_len;
    int64_t id; /* {id} from the path, 0 when none */
    struct store *db;
    struct svp_arena *arena;
    bool has_session;
    struct access_session session;
    const char *token; /* the session cookie as presented (borrowed from MHD) */
    struct access_decision decision;
    struct access_policy *policy; /* the sharing rules in force for this request (owned) */
    const char *purpose;
    /* the reply */
    int status;
    json_t *reply;
    char *reply_text; /* or a rendered body (owned), sent as it is */
    const char *reply_type; /* reply_text's content type (static); NULL: JSON */
    size_t reply_len;
    char set_cookie[256];
    int64_t retry_after;     /* seconds for a Retry-After header (503), 0: none */
    struct gate_entry *gate_entry; /* the build permit held (http_build_begin), or NULL */
    size_t db_slot;          /* req->db's place in the server's pool */
    uint64_t client;         /* the client it counts against (0: none, or left) */
    int64_t version_seen;    /* the data version its checks are kept by (0: not read yet) */
    bool close_after;        /* close the connection after the reply (a build ran on it) */
};

/* Replies status with {"error": message[, "field": field]} (field may be NULL). */
void http_reply_error(struct http_req *req, int status, const char *field, const char *fmt, ...)
    SVP_PRINTF(4, 5);
/* Replies status with obj (takes the reference). A NULL obj (allocation failed) is a 500. */
void http_reply_json(struct http_req *req, int status, json_t *obj);
/* obj as compact JSON text (free() it), or NULL when an allocation failed while writing it:
 * jansson 2.14 does not check every write of an object's key, so under memory pressure
 * json_dumps can return text with a key cut short (found by test_torture_http). */
char *http_json_text(const json_t *obj);
/* Replies for a failed library call: 400/404/409 for bad input, not found and conflicts
 * (with err's message and field), 500 with a generic message for the rest. */
void http_reply_status(struct http_req *req, const struct svp_err *err);

/* Parses the request body with fields; on failure replies 400 and returns NULL. */
json_t *http_req_json(struct http_req *req, const struct http_field *fields);

/* A query parameter (decoded, borrowed) or NULL; refuses (replies 400, returns false) one
 * longer than max or not valid UTF-8. */
bool http_req_query(struct http_req *req, const char *name, size_t max, const char **out);
/* An integer query parameter in [lo, hi], default dflt when absent; replies 400 if bad. */
bool http_req_query_int(struct http_req *req, const char *name, int64_t lo, int64_t hi,
                        int64_t dflt, int64_t *out);

/* The one check for one person (kind PERSON) or record shown in a list: fills *d (allowed,
 * what of them may be shown) under this request's rules. 0 or a store error. */
int http_check_person(struct http_req *req, enum access_object kind, int64_t id,
                      struct access_decision *d, struct svp_err *err) SVP_WUR;

/* What a reply calls person (kind PERSON) or unlinked record id: its pseudonym when the
 * request is pseudonymised (written into pseudo, cap bytes), else its display name ("" when
 * none is recorded). *shown is pseudo or arena text. 0 or a store error. */
int http_display_name(struct http_req *req, enum access_object kind, int64_t id, char *pseudo,
                      size_t cap, const char **shown, struct svp_err *err) SVP_WUR;

/* Withholds, in item (one person of risk_person_json), each reason that view v may not see
 * in detail: a special category another agency holds keeps its points and agency, so a score
 * adds up and the reader knows whom to ask, and loses what it says and every id; the
 * summary lines are then written again from what may be shown. 0 or SVP_ENOMEM. */
int http_risk_item_filter(struct http_req *req, const struct access_view *v,
                          json_t *item) SVP_WUR;

/* The one need-to-know walk over a list of persons a reply shows (arr): each item passes
 * http_check_person (scoped requests) and is dropped when refused, or has what the view may
 * not see withheld by shape->filter; then it is named (or pseudonymised, shape->strip taking
 * out its raw ids) and added to seen for http_audit_seen. ctx is passed to shape->who. */
struct http_list_shape {
    /* the person (or unlinked record) an item is about */
    void (*who)(void *ctx, json_t *item, enum access_object *kind, int64_t *id);
    int (*filter)(struct http_req *req, const struct access_view *v, json_t *item);
    void (*strip)(json_t *item);
};
int http_list_annotate(struct http_req *req, json_t *arr, const struct http_list_shape *shape,
                       void *ctx, struct svp_buf *seen, struct svp_err *err) SVP_WUR;

/* For a list of persons as risk_person_json writes them (arr): adds "name" to each item,
 * drops items the request may not see, withholds reasons it may not see, strips raw ids
 * when pseudonymised and adds everyone shown to seen (for http_audit_seen). */
int http_panel_annotate(struct http_req *req, json_t *arr, bool persons_are_records,
                        struct svp_buf *seen, struct svp_err *err) SVP_WUR;

/* Removes every raw id (records, events, relationships, other persons) from the reasons of
 * item, for a pseudonymised reply. */
void http_risk_item_strip_ids(json_t *item);

/* Writes a "refused" audit entry for a request the check refused (signed-in users only). */
void http_audit_refusal(struct http_req *req);

/* Adds a shown person (kind PERSON) or record to b, the list of who a reply shows as
 * ",p12,p57,r9," (what http_audit_seen records). SVP_ENOMEM when it cannot grow. */
int http_seen_add(struct svp_buf *b, enum access_object kind, int64_t id) SVP_WUR;

/* Writes an audit entry for the signed-in user (serialised within this server). Returns
 * false and replies 500 when it cannot be written: nothing personal is shown unaudited. */
/* A write for http_change_audited: makes the change on db and names what it changed in
 * object (the audit entry's object, e.g. "panel:P-12"). */
typedef int (*http_write_fn)(struct store *db, void *ctx, char *object, size_t cap,
                             struct svp_err *err);
/* Runs write and the "change" audit entry (with detail) for it in one transaction: both are
 * stored or neither. Returns write's status or the audit's. */
int http_change_audited(struct http_req *req, http_write_fn write, void *ctx,
                        const char *detail, struct svp_err *err);
/* The "change" audit entry for a register entry, written in the entry's transaction: the
 * also callback of reg_add_also and reg_update_also, with ctx a struct http_reg_audit; the
 * object is "SCHEMA:REF" (review:RR-7, action:RR-7/R1/A1). */
struct reg_entry;
struct http_reg_audit {
    struct http_req *req;
    const char *detail;
};
int http_reg_audit(struct store *s, const struct reg_entry *e, void *ctx, struct svp_err *err);
bool http_audit(struct http_req *req, const char *action, const char *object,
                const char *detail);
/* As http_audit, naming every person the reply shows (persons as built by http_seen_add,
 * may be NULL): lists, searches, networks and exports. */
bool http_audit_seen(struct http_req *req, const char *action, const char *object,
                     const char *detail, const char *persons);

/* Server facts handlers need. */
int64_t http_server_session_ttl(const struct http_server *srv);
bool http_server_secure_cookies(const struct http_server *srv);
/* Sign-in rate limit for the request's client address: true if one more is allowed. */
bool http_login_allowed(struct http_req *req);
/* The client's address: the peer, or behind the trusted proxy the address it forwarded. */
void http_client_addr(struct http_req *req, char *buf, size_t cap);
/* Per account and client address: seconds to wait before another sign-in attempt (0: go
 * ahead). http_login_result records the outcome: a failure doubles the wait from the third
 * on (1 s, 2 s, 4 s ... 15 min), a success clears it. Others elsewhere are not delayed. */
int64_t http_login_wait(struct http_req *req, const char *username);
void http_login_result(struct http_req *req, const char *username, bool ok);

/* A small cache of computed results that are slow to build and the same for everyone
 * (e.g. the scored panel), keyed by text that must include a fingerprint of the data they
 * were computed from. http_cache_get returns an owned deep copy or NULL; http_cache_put
 * takes the reference to value. */
json_t *http_cache_get(struct http_server *srv, const char *key);
void http_cache_put(struct http_server *srv, const char *key, json_t *value);
/* The cached value itself, one more reference taken (json_decref when done), or NULL: for
 * large values read by many requests (a county's network), which copying would slow. It is
 * shared between threads: read it, never change it (jansson's reference counts are
 * atomic; reads of an unchanging value need no lock). */
json_t *http_cache_borrow(struct http_server *srv, const char *key);
/* Fairness under load (gate.c): every expensive build (a panel for a date, the network,
 * the risk panel) asks the gate first, after a cache miss for key (text naming what is
 * built, including the data version):
 *   HTTP_BUILD_GO: build now, put the result in the cache, then call http_build_end;
 *   HTTP_BUILD_RECHECK: another request has just built key: look in the cache again (and
 *     ask again if it is not there);
 *   HTTP_BUILD_REFUSED: 503 with Retry-After has been replied (the user already has a
 *     build running, or the server's builds are busy past the wait allowed): return.
 * While it waits the request's database connection goes back to the pool. */
enum { HTTP_BUILD_GO = 0, HTTP_BUILD_RECHECK = 1, HTTP_BUILD_REFUSED = -1 };
int http_build_begin(struct http_req *req, const char *key) SVP_WUR;
void http_build_end(struct http_req *req);
/* The cached JSON for key (which names the data version and parameters), built through the
 * gate when it is missing: build(req, ctx, out, err) makes an owned value, which is kept.
 * With copy, *out is an owned deep copy the caller may change; without, the shared value
 * borrowed (read it, never change it; json_decref when done). HTTP_BUSY (503 replied) when
 * the gate refused; otherwise build's status, *out NULL on failure. */
typedef int (*http_build_fn)(struct http_req *req, void *ctx, json_t **out, struct svp_err *err);
int http_cache_build(struct http_req *req, const char *key, bool copy, http_build_fn build,
                     void *ctx, json_t **out, struct svp_err *err) SVP_WUR;
struct http_gate;
int http_gate_new(int limit, int64_t max_wait_ms, struct http_gate **out) SVP_WUR;
void http_gate_free(struct http_gate **g);
/* Builds done and requests refused since the server started. */
void http_gate_counts(struct http_gate *g, int64_t *built, int64_t *refused);
struct http_gate *http_server_gate(struct http_server *srv);
/* Need-to-know decisions kept per data version (authz_cache.c). */
struct http_authz_cache;
int http_authz_cache_new(struct http_authz_cache **out, struct svp_err *err) SVP_WUR;
void http_authz_cache_free(struct http_authz_cache **c);
struct http_authz_cache *http_server_authz(struct http_server *srv);
/* access_authorise for req's user, the same answer, kept per data version (not a
 * break-glass view, which ends by the clock). */
int http_authorise(struct http_req *req, const struct access_request *ar,
                   struct access_decision *d, struct svp_err *err) SVP_WUR;
/* Gives req->db back to the pool (req->db NULL) and takes one again. */
void http_req_db_release(struct http_req *req);
void http_req_db_acquire(struct http_req *req);
/* The handler is done with the database: gives req->db back and ends the request's count
 * against its client (a session's requests use at most two connections at once), so a
 * request waiting only for its audit entry to be committed holds up no other. */
void http_req_db_done(struct http_req *req);
/* Built objects (http_object_get) are used under a read lock: take it before
 * http_object_get and hold it while using the object; http_object_put takes the write
 * lock itself (so call it without the read lock). */
void http_objects_read_lock(struct http_server *srv);
void http_objects_read_unlock(struct http_server *srv);

/* Replies status with text, a rendered JSON body of len bytes (takes ownership; svp_malloc). */
void http_reply_text(struct http_req *req, int status, char *text, size_t len);
/* Replies alike for every viewer the route lets in (figures; a list the route's check
 * covers), kept per data version: http_shared_get fills key (cap bytes) from what (the
 * route and its query) and the data version and returns the kept text (owned) or NULL;
 * http_shared_reply sends obj (taken) as text and keeps it under key. */
char *http_shared_get(struct http_req *req, const char *what, char *key, size_t cap,
                      size_t *len);
void http_shared_reply(struct http_req *req, const char *key, json_t *obj);

/* The data version: a number that changes whenever what the pages are computed from
 * changes, from the database's own data version (migration 051; every write bumps it in
 * its transaction, whoever makes it), read on each call. Rendered pages are keyed by it.
 * 0 or the read's error. */
int http_data_version(struct http_req *req, int64_t *out, struct svp_err *err) SVP_WUR;

/* Rendered reply bodies kept for reuse, keyed by text that must include the data version
 * and everything else the body depends on (the caller's pseudonymisation, parameters).
 * http_text_get returns an owned copy (svp_free) with its length and the aux number put
 * with it, or NULL; http_text_put copies text (a failure to copy just leaves it out). */
char *http_text_get(struct http_server *srv, const char *key, size_t *len, int64_t *aux);
void http_text_put(struct http_server *srv, const char *key, const char *text, size_t len,
                   int64_t aux);

/* Handlers, by file. */
void api_session_login(struct http_req *req);
void api_report_dataset(struct http_req *req);
void api_report_export(struct http_req *req);
void api_report_drill(struct http_req *req);
void api_session_get(struct http_req *req);
void api_session_logout(struct http_req *req);
void api_session_password(struct http_req *req);
void api_persons_search(struct http_req *req);
void api_person_get(struct http_req *req);
void api_record_get(struct http_req *req);
void api_person_share(struct http_req *req);
void api_reidentify(struct http_req *req);
void api_break_glass(struct http_req *req);
void api_glass_reasons(struct http_req *req);
void api_audit_break_glass(struct http_req *req);
void api_audit_list(struct http_req *req);
void api_audit_mine(struct http_req *req);
void api_audit_verify(struct http_req *req);
void api_audit_person(struct http_req *req);
void api_audit_anchor(struct http_req *req);
void api_clocks_report(struct http_req *req);
void api_clocks_periods(struct http_req *req);
void api_clocks_due(struct http_req *req);
void api_person_risk(struct http_req *req);
void api_person_household(struct http_req *req);
void api_panel_turning18(struct http_req *req);
/* The risk panel for this data version (scored as on the latest event), built and kept
 * if need be (through the gate); borrowed, and on success returned with the objects' read
 * lock held: call http_objects_read_unlock when done with it. SVP_ECONFLICT when records
 * have not been linked; HTTP_BUSY when the gate refused (503 replied). */
#define HTTP_BUSY 1
struct risk_panel;
int http_risk_panel(struct http_req *req, int64_t version, struct risk_panel **out,
                    struct svp_err *err) SVP_WUR;
/* The scoring date of a request's as_of parameter (borrowed, may be NULL): a date
 * YYYY-MM-DD, or by default or 'latest' the day of the latest event not after today (an
 * extract's end; today when there are no events), as `svp panel --as-of latest`. Replies
 * 400 (a bad date) or the store's error and returns false. */
bool http_req_as_of(struct http_req *req, const char *as_of, svp_day *out);
/* http_risk_panel for the current data version, replying for the two cases a page about
 * the panel answers alike: HTTP_BUSY when a 503 went out, and SVP_ECONFLICT after replying
 * 200 {"linked": false, "why": why} with an empty list named empty (NULL: none) when records
 * have not been linked. Otherwise as http_risk_panel (errors not replied). */
int http_risk_panel_or_reply(struct http_req *req, const char *why, const char *empty,
                             struct risk_panel **out, struct svp_err *err) SVP_WUR;
void api_meeting_view(struct http_req *req);
void api_registers_schemas(struct http_req *req);
void api_registers_entries(struct http_req *req);
void api_registers_add(struct http_req *req);
void api_registers_update(struct http_req *req);
void api_registers_history(struct http_req *req);
void api_registers_export(struct http_req *req);
void api_registers_figures(struct http_req *req);
/* The association network (api_context.c): kept per data version (*out is the shared cached
 * network: read only, json_decref when done), copied out in part (http_network_subset), cut
 * to the nodes keep[] holds (n nodes, renumbered), and cut and named for one request (what
 * the viewer may see, pseudonyms, "hidden"). */
struct context_network_opts;
int http_network_shared(struct http_req *req, const struct context_network_opts *o, bool scores,
                        json_t **out, struct svp_err *err) SVP_WUR;
int http_network_subset(const json_t *full, const bool *keep, const bool *ekeep,
                        const bool *drawn, json_t **out, struct svp_err *err) SVP_WUR;
int http_network_keep(json_t *net, const bool *keep, size_t n, const bool *ekeep) SVP_WUR;
int http_network_for_request(struct http_req *req, json_t *net, struct svp_err *err) SVP_WUR;
void api_network_ego(struct http_req *req);
void api_network_search(struct http_req *req);
void api_meeting_discuss(struct http_req *req);
void api_meeting_action_add(struct http_req *req);
void api_meeting_action_set(struct http_req *req);
void api_meeting_export(struct http_req *req);
/* The meeting view's JSON (as GET /api/v1/meeting answers it) for day on; owned in *out:
 * only the children the viewer may see, reasons withheld as on the panel list; each child
 * shown is added to seen (http_seen_add) for the caller's audit entry. */
int http_meeting_json(struct http_req *req, svp_day on, json_t **out, struct svp_buf *seen,
                      struct svp_err *err) SVP_WUR;
/* The meeting as an XLSX workbook (owned bytes in *out, *len). */
int http_meeting_xlsx(const json_t *meeting, char **out, size_t *len, struct svp_err *err) SVP_WUR;
/* One object per name kept for a data version (a built risk panel): the object stored
 * under name if it was built for version, else NULL. Call get while holding the objects'
 * read lock; put (without it) takes obj (freed with free_fn when replaced, when the server
 * stops, or at once if no slot is free). */
void *http_object_get(struct http_server *srv, const char *name, int64_t version);
void http_object_put(struct http_server *srv, const char *name, int64_t version, void *obj,
                     void (*free_fn)(void *));
/* The day clock reports are as of: ?as_of= if given, else the latest event's day (today
 * when there are none). Replies 400 or 500 and returns false when it cannot. */
bool http_clock_as_of(struct http_req *req, svp_day *out);
/* The key of a clock reply kept per data version (http_shared_get): route, its query as
 * given, today. false: a query value too long (replied). */
bool http_clock_shared_what(struct http_req *req, const char *route, char *what, size_t cap);
void api_da_call(struct http_req *req);
void api_da_call_export(struct http_req *req);
void api_da_action_add(struct http_req *req);
void api_da_action_done(struct http_req *req);
void api_da_figures(struct http_req *req);
void api_adults_sac(struct http_req *req);
void api_adults_list(struct http_req *req);
/* The Sources page (api_sources.c): what was imported; a profile drafted from an extract. */
#define HTTP_DRAFT_MAX_TEXT (8u << 20) /* an extract's first 2 MiB as UTF-8 text */
#define HTTP_DRAFT_MAX_BODY (HTTP_DRAFT_MAX_TEXT * 2) /* as JSON: escapes at most double it */
void api_sources(struct http_req *req);
void api_profile_draft(struct http_req *req);
void api_reviews_list(struct http_req *req);
void api_learning_list(struct http_req *req);
void api_reviews_add(struct http_req *req);
void api_learning_done(struct http_req *req);
void api_reviews_update(struct http_req *req);
void api_learning_add(struct http_req *req);
void api_panel_list(struct http_req *req);
void api_context_hotspots(struct http_req *req);
void api_context_boundaries(struct http_req *req);
void api_context_network(struct http_req *req);
void api_context_trends(struct http_req *req);
void api_link_review_list(struct http_req *req);
void api_link_review_decide(struct http_req *req);
void api_link_explain(struct http_req *req);
void api_users_list(struct http_req *req);
void api_users_add(struct http_req *req);
void api_users_disable(struct http_req *req);
void api_users_enable(struct http_req *req);
void api_users_reset(struct http_req *req);

/* JSON of a user (no secrets). */
json_t *http_user_json(const struct access_user *u);

#endif
