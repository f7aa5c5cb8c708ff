/* The audit trail: an auditor's view of everything, and everyone's view of their own. */
#include "http_int.h"

#include <stdio.h>

static json_t *entries_json(const struct access_audit_entry *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *e = json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id",
                              (json_int_t)v[i].id, "at", v[i].at, "user_id",
                              (json_int_t)v[i].user_id, "username", v[i].username, "action",
                              v[i].action, "object", v[i].object, "purpose", v[i].purpose,
                              "detail", v[i].detail, "hash", v[i].hash, "persons_shown",
                              (json_int_t)v[i].persons);
        if (json_array_append_new(a, e)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static void list(struct http_req *req, int64_t user_id)
{
    int64_t limit, before;
    if (!http_req_query_int(req, "limit", 1, 500, 100, &limit) ||
        !http_req_query_int(req, "before", 0, INT64_MAX, 0, &before))
        return;
    struct access_audit_entry *v;
    size_t n;
    struct svp_err err;
    if (access_audit_list(req->db, user_id, before, (size_t)limit, &v, &n, &err)) {
        http_reply_status(req, &err);
        return;
    }
    json_t *items = entries_json(v, n);
    svp_free(v);
    http_reply_json(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
}

void api_audit_list(struct http_req *req)
{
    /* Reading the trail is itself recorded: who watches the watchers. */
    if (http_audit(req, "view", "audit", "audit trail"))
        list(req, 0);
}

void api_audit_mine(struct http_req *req)
{
    list(req, req->session.user.id);
}

void api_audit_verify(struct http_req *req)
{
    int64_t checked = 0;
    struct svp_err err;
    svp_err_clear(&err);
    int rc = access_audit_verify(req->db, &checked, &err);
    if (rc && rc != SVP_ECONFLICT) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:b, s:I, s:s}", "intact", rc == 0, "checked",
                                        (json_int_t)checked, "message",
                                        rc ? err.msg : "the audit chain is intact"));
}

/* Who saw this child, when and why: every entry naming the person (GET
 * /api/v1/audit/person/{id}); the auditor's own look is recorded first. */
void api_audit_person(struct http_req *req)
{
    int64_t limit, before;
    if (!http_req_query_int(req, "limit", 1, 500, 200, &limit) ||
        !http_req_query_int(req, "before", 0, INT64_MAX, 0, &before))
        return;
    char obj[48];
    snprintf(obj, sizeof obj, "audit:person:%lld", (long long)req->id);
    if (!http_audit(req, "view", obj, "who saw this person"))
        return;
    struct access_audit_entry *v;
    size_t n;
    struct svp_err err;
    if (access_audit_person(req->db, req->id, before, (size_t)limit, &v, &n, &err)) {
        http_reply_status(req, &err);
        return;
    }
    json_t *items = entries_json(v, n);
    svp_free(v);
    http_reply_json(req, 200,
                    items ? json_pack("{s:I, s:o}", "person_id", (json_int_t)req->id, "items",
                                      items)
                          : NULL);
}

/* The chain's head, for keeping outside svp (GET /api/v1/audit/anchor). */
void api_audit_anchor(struct http_req *req)
{
    int64_t id = 0;
    char hash[65];
    struct svp_err err;
    if (access_audit_anchor(req->db, &id, hash, &err)) {
        http_reply_status(req, &err);
        return;
    }
    char anchor[96];
    snprintf(anchor, sizeof anchor, "%lld:%s", (long long)id, hash);
    http_reply_json(req, 200, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "hash", hash,
                                        "anchor", anchor));
}

/* Every break-glass use, newest first, for the auditor's review. */
void api_audit_break_glass(struct http_req *req)
{
    int64_t limit;
    if (!http_req_query_int(req, "limit", 1, 500, 200, &limit))
        return;
    if (!http_audit(req, "view", "audit:break-glass", "break glass review"))
        return;
    struct access_glass *v;
    size_t n;
    struct svp_err err;
    if (access_glass_list(req->db, (size_t)limit, &v, &n, &err)) {
        http_reply_status(req, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++) {
        json_t *e = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:I, s:I}", "id",
                              (json_int_t)v[i].id, "user_id", (json_int_t)v[i].user_id,
                              "username", v[i].username, "kind",
                              v[i].kind == 'R' ? "record" : "person", "person_id",
                              (json_int_t)v[i].person_id, "reason", v[i].reason, "text",
                              v[i].text, "started_at", (json_int_t)v[i].started_at,
                              "expires_at", (json_int_t)v[i].expires_at);
        if (json_array_append_new(items, e)) {
            json_decref(items);
            items = NULL;
        }
    }
    svp_free(v);
    http_reply_json(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
}

/* The reasons one may break glass for, for the person page's form (no personal data). */
void api_glass_reasons(struct http_req *req)
{
    struct access_glass_reason *v;
    size_t n;
    struct svp_err err;
    if (access_glass_reasons(&v, &n, &err)) {
        http_reply_status(req, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        if (json_array_append_new(items, json_pack("{s:s, s:s}", "code", v[i].code,
                                                   "description", v[i].description))) {
            json_decref(items);
            items = NULL;
        }
    svp_free(v);
    http_reply_json(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
}
