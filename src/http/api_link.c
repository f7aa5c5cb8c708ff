/* The link review queue: record pairs the linkage model was unsure of, side by side, and
 * a reviewer's decision (link_review_list and link_review_decide, the functions behind
 * `svp link review`). Decisions are changes to personal data: audited. */
#include "http_int.h"
#include "link/link.h"
#include "people/people.h"
#include "risk/risk.h"

#include <string.h>

#define REVIEW_MAX 100

struct review_ctx {
    struct link_review_item items[REVIEW_MAX];
    size_t n, total;
};

static int collect(const struct link_review_item *it, void *arg)
{
    struct review_ctx *c = arg;
    c->total++;
    if (c->n < REVIEW_MAX) {
        c->items[c->n] = *it;
        c->items[c->n].decision = NULL; /* pending only (all = false) */
        c->n++;
    }
    return 0;
}

static json_t *record_side(struct http_req *req, int64_t record_id, struct svp_err *err)
{
    struct people_record *rs;
    struct people_event *es;
    size_t nr, ne;
    if (people_get(req->db, req->arena, 0, record_id, &rs, &nr, &es, &ne, err))
        return NULL;
    const struct people_record *r = &rs[0];
    char pseudo[32], year[8] = "";
    bool p = req->decision.pseudonymise;
    if (p && access_pseudonym(req->db, 'R', r->id, pseudo, sizeof pseudo, err))
        return NULL;
    if (r->dob)
        svp_strlcpy(year, r->dob, 5);
    char name[256];
    snprintf(name, sizeof name, "%s %s", r->given_name ? r->given_name : "",
             r->family_name ? r->family_name : "");
    /* A pseudonymised reviewer names a record by its pseudonym, never its id. */
    return json_pack("{s:o, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:I}", "record_id",
                     p ? json_string(pseudo) : json_integer((json_int_t)r->id), "agency", r->agency ? r->agency : "", "source",
                     r->source ? r->source : "", "name", p ? pseudo : name, "dob",
                     p ? (*year ? year : NULL) : r->dob, "sex", r->sex, "postcode",
                     p ? NULL : r->postcode, "area", r->area, "events", (json_int_t)ne);
}

void api_link_review_list(struct http_req *req)
{
    struct review_ctx *c = svp_arena_alloc(req->arena, sizeof *c);
    struct svp_err err;
    if (!c) {
        http_reply_error(req, 500, NULL, "out of memory");
        return;
    }
    memset(c, 0, sizeof *c);
    /* pairs that would join or split a child on the saved panel list first */
    int64_t *panel = NULL;
    size_t npanel = 0;
    int rc = risk_panel_saved_persons(req->db, &panel, &npanel, &err);
    if (!rc)
        rc = link_review_list_first(req->db, false, panel, npanel, collect, c, &err);
    svp_free(panel);
    if (rc == SVP_ECONFLICT) { /* nothing linked yet: an empty queue */
        c->n = c->total = 0;
        rc = SVP_OK;
    }
    json_t *items = rc ? NULL : json_array();
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 20);
    for (size_t i = 0; items && i < c->n; i++) {
        if (http_seen_add(&seen, ACCESS_OBJ_RECORD, c->items[i].a) ||
            http_seen_add(&seen, ACCESS_OBJ_RECORD, c->items[i].b)) {
            json_decref(items);
            items = NULL;
            rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
            break;
        }
        json_t *a = record_side(req, c->items[i].a, &err);
        json_t *b = a ? record_side(req, c->items[i].b, &err) : NULL;
        json_t *o = b ? json_pack("{s:o, s:o, s:f, s:b}", "a", a, "b", b, "probability",
                                  c->items[i].probability, "on_panel", c->items[i].first)
                      : NULL;
        if (!o) {
            json_decref(a);
            json_decref(items);
            items = NULL;
            rc = err.code ? err.code : SVP_ENOMEM;
        } else if (json_array_append_new(items, o)) {
            json_decref(items);
            items = NULL;
            rc = SVP_ENOMEM;
        }
    }
    if (rc) {
        svp_buf_free(&seen);
        http_reply_status(req, &err);
        return;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "link review queue: %zu pairs", c->n);
    bool audited = http_audit_seen(req, "view", "link-review", detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(items);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o, s:I, s:b}", "items", items, "total",
                                        (json_int_t)c->total, "pseudonymised",
                                        req->decision.pseudonymise));
}

/* A record named in a request: its pseudonym ("R-...") for a pseudonymised user, who may
 * not name raw ids (they would let ids be probed and joined), else its id. Replies 400 and
 * returns false when it is not one. */
static bool record_ref(struct http_req *req, const char *field, const char *text, int64_t *id)
{
    struct svp_err err;
    *id = 0;
    if (req->decision.pseudonymise) {
        char kind = 0;
        int rc = text ? access_pseudonym_find(req->db, text, &kind, id, &err) : SVP_EINPUT;
        if (rc == SVP_EINPUT || rc == SVP_ENOTFOUND || (!rc && kind != 'R')) {
            http_reply_error(req, 400, field,
                             "name the record by its pseudonym (R-...), as the queue shows it");
            return false;
        }
        if (rc) {
            http_reply_status(req, &err);
            return false;
        }
        return true;
    }
    if (!text || svp_parse_i64(text, id) || *id <= 0) {
        http_reply_error(req, 400, field, "must be a record id (a positive whole number)");
        return false;
    }
    return true;
}

void api_link_review_decide(struct http_req *req)
{
    static const struct http_field by_id[] = {
        {"a", JSON_INTEGER, true, 0},
        {"b", JSON_INTEGER, true, 0},
        {"same", JSON_TRUE, true, 0},
        {NULL, 0, false, 0},
    };
    static const struct http_field by_pseudonym[] = {
        {"a", JSON_STRING, true, 16},
        {"b", JSON_STRING, true, 16},
        {"same", JSON_TRUE, true, 0},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, req->decision.pseudonymise ? by_pseudonym : by_id);
    if (!body)
        return;
    int64_t a = 0, b = 0;
    bool same = json_is_true(json_object_get(body, "same"));
    if (req->decision.pseudonymise) {
        bool ok = record_ref(req, "a", json_string_value(json_object_get(body, "a")), &a) &&
                  record_ref(req, "b", json_string_value(json_object_get(body, "b")), &b);
        if (!ok) {
            json_decref(body);
            return;
        }
    } else {
        a = (int64_t)json_integer_value(json_object_get(body, "a"));
        b = (int64_t)json_integer_value(json_object_get(body, "b"));
    }
    json_decref(body);
    struct svp_err err;
    svp_err_clear(&err);
    if (a <= 0 || b <= 0 || a == b) {
        http_reply_error(req, 400, "b", "a and b must be two different record ids");
        return;
    }
    char obj[64], detail[64];
    snprintf(obj, sizeof obj, "records:%lld,%lld", (long long)a, (long long)b);
    snprintf(detail, sizeof detail, "link review: %s", same ? "same person" : "different people");
    int rc = link_review_decide(req->db, a, b, same, req->session.user.username, &err);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    if (!http_audit(req, "change", obj, detail))
        return;
    http_reply_json(req, 200, json_pack("{s:b}", "decided", 1));
}

/* The comparison table behind one pair's probability (link_explain_store, as `svp link
 * explain A B` prints it): agreement levels, m, u and weights only, no values from the
 * records, so a pseudonymised reviewer sees it too. */
static json_t *score_json(const struct link_score *sc)
{
    json_t *terms = json_array();
    for (int c = 0; terms && c < LINK_NCMP; c++) {
        const struct link_term *t = &sc->terms[c];
        json_t *o = t->level ? json_pack("{s:s, s:s, s:f, s:f, s:f}", "comparison", t->label,
                                         "agreement", t->level_name, "m", t->m, "u", t->u,
                                         "weight", t->weight)
                             : json_pack("{s:s, s:s, s:n, s:n, s:f}", "comparison", t->label,
                                         "agreement", t->level_name, "m", "u", "weight", 0.0);
        if (!o || json_array_append_new(terms, o)) {
            json_decref(terms);
            return NULL;
        }
    }
    if (!terms)
        return NULL;
    return json_pack("{s:o, s:f, s:f, s:f, s:s?}", "terms", terms, "prior_weight",
                     sc->prior_weight, "weight", sc->weight, "probability", sc->probability,
                     "note", sc->note);
}

void api_link_explain(struct http_req *req)
{
    int64_t a = 0, b = 0;
    const char *as = NULL, *bs = NULL;
    if (!http_req_query(req, "a", 24, &as) || !http_req_query(req, "b", 24, &bs) ||
        !record_ref(req, "a", as, &a) || !record_ref(req, "b", bs, &b))
        return;
    if (!a || !b || a == b) {
        http_reply_error(req, 400, "b", "a and b must be two different record ids");
        return;
    }
    struct link_score sc;
    struct svp_err err;
    svp_err_clear(&err);
    if (link_explain_store(req->db, a, b, &sc, &err)) {
        http_reply_status(req, &err);
        return;
    }
    char obj[64];
    snprintf(obj, sizeof obj, "records:%lld,%lld", (long long)a, (long long)b);
    if (!http_audit(req, "view", obj, "link explain"))
        return;
    http_reply_json(req, 200, score_json(&sc));
}
