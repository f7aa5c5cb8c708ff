/* The Vulnerability Tracker: the panel list from the risk room (risk_panel_build and
 * risk_panel_json, the functions behind `svp panel`), with names added for those allowed to
 * see them and, for practitioners, only the people their agency may see. */
#include "http_int.h"
#include "risk/risk.h"

#include <string.h>

/* A panel item is a person, or an agency record when linking has not run (*ctx: bool). */
static void panel_who(void *ctx, json_t *item, enum access_object *kind, int64_t *id)
{
    *kind = *(const bool *)ctx ? ACCESS_OBJ_RECORD : ACCESS_OBJ_PERSON;
    *id = (int64_t)json_integer_value(json_object_get(item, "person_id"));
}

int http_panel_annotate(struct http_req *req, json_t *arr, bool persons_are_records,
                        struct svp_buf *seen, struct svp_err *err)
{
    static const struct http_list_shape shape = {panel_who, http_risk_item_filter,
                                                 http_risk_item_strip_ids};
    return http_list_annotate(req, arr, &shape, &persons_are_records, seen, err);
}

struct panel_build {
    const struct risk_weights *w;
    struct risk_panel_opts *o;
    int reasons;
};

/* The panel list's JSON (risk_panel_json): persons are agency records when linking has not
 * run. */
static int panel_build(struct http_req *req, void *ctx, json_t **out, struct svp_err *err)
{
    struct panel_build *b = ctx;
    struct risk_panel *p = NULL;
    int rc = risk_panel_build(req->db, b->w, b->o, &p, err);
    if (rc == SVP_ECONFLICT) {
        b->o->unlinked = true;
        rc = risk_panel_build(req->db, b->w, b->o, &p, err);
    }
    *out = rc ? NULL : risk_panel_json(p, b->reasons);
    risk_panel_free(&p);
    return rc;
}

void api_panel_list(struct http_req *req)
{
    const char *area = NULL, *as_of = NULL, *band = NULL;
    int64_t top, reasons;
    if (!http_req_query(req, "area", 64, &area) || !http_req_query(req, "as_of", 10, &as_of) ||
        !http_req_query_int(req, "top", 0, 1000, 50, &top) ||
        !http_req_query_int(req, "reasons", 0, 100, 10, &reasons) ||
        !http_req_query(req, "age_band", 16, &band))
        return;
    struct svp_err err;
    /* The children's panel by default; "transition" (or an age to 30) keeps young adults on
     * the tracker past 18, as `svp panel --age-band` does. */
    int age_to = 0;
    if (risk_age_band_parse(band && *band ? band : NULL, &age_to, &err)) {
        http_reply_error(req, 400, "age_band", "%s", err.msg);
        return;
    }
    struct risk_panel_opts o = {.as_of = svp_date_today(), .area = area && *area ? area : NULL,
                                .top = (int)top, .age_to = age_to};
    int64_t version;
    if (http_data_version(req, &version, &err)) {
        http_reply_status(req, &err);
        return;
    }
    /* Those who see the whole list (no agency scope) all get the same page for the same
     * data version and parameters: serve it rendered. The audit entry is still written,
     * before anything is shown. */
    char page_key[192], today[12], detail[128];
    svp_date_format(o.as_of, today, sizeof today);
    snprintf(page_key, sizeof page_key, "panel|%lld|%s|%s|%lld|%lld|%d|%d|%s",
             (long long)version, today, as_of ? as_of : "", (long long)top,
             (long long)reasons, age_to, req->decision.pseudonymise ? 1 : 0,
             o.area ? o.area : "");
    bool whole = !req->decision.scope_agency[0];
    size_t page_len = 0;
    int64_t shown = 0;
    char *page = whole ? http_text_get(req->srv, page_key, &page_len, &shown) : NULL;
    char seen_key[200];
    snprintf(seen_key, sizeof seen_key, "%s|seen", page_key);
    size_t seen_len = 0;
    char *seen_ids = page ? http_text_get(req->srv, seen_key, &seen_len, NULL) : NULL;
    if (page && !seen_ids) {
        svp_free(page);
        page = NULL;
    }
    if (page) {
        snprintf(detail, sizeof detail, "panel list: %lld shown%s%s", (long long)shown,
                 area ? ", area " : "", area ? area : "");
        bool audited = http_audit_seen(req, "view", "panel", detail, seen_ids);
        svp_free(seen_ids);
        if (!audited) {
            svp_free(page);
            return;
        }
        http_reply_text(req, 200, page, page_len);
        return;
    }
    struct risk_weights w;
    if (risk_weights_load(NULL, &w, &err)) {
        http_reply_status(req, &err);
        return;
    }
    /* By default score as on the latest event not after today (an extract's end), as
     * `svp panel --as-of latest` does; a date scores as on that day. */
    if (!http_req_as_of(req, as_of, &o.as_of))
        return;
    /* Scoring a county takes a while and gives everyone the same list: keep the last few. */
    char key[256], day[12];
    svp_date_format(o.as_of, day, sizeof day);
    snprintf(key, sizeof key, "panel|%lld|%s|%lld|%lld|%d|%s", (long long)version, day,
             (long long)top, (long long)reasons, age_to, o.area ? o.area : "");
    struct panel_build b = {&w, &o, (int)reasons};
    json_t *out = NULL;
    int rc = http_cache_build(req, key, true, panel_build, &b, &out, &err);
    if (rc == HTTP_BUSY)
        return; /* 503 with Retry-After */
    bool unlinked = json_is_true(json_object_get(out, "persons_are_records"));
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    if (!rc)
        rc = http_panel_annotate(req, json_object_get(out, "list"), unlinked, &seen, &err);
    if (!rc)
        rc = http_panel_annotate(req, json_object_get(out, "left"), unlinked, &seen, &err);
    if (!rc) {
        snprintf(detail, sizeof detail, "panel list: %zu shown%s%s",
                 json_array_size(json_object_get(out, "list")), area ? ", area " : "",
                 area ? area : "");
        json_object_set_new(out, "pseudonymised", json_boolean(req->decision.pseudonymise));
    }
    if (rc) {
        svp_buf_free(&seen);
        json_decref(out);
        http_reply_status(req, &err);
        return;
    }
    if (whole) {
        char *text = http_json_text(out);
        if (text) {
            http_text_put(req->srv, seen_key, seen.data ? seen.data : "", seen.len, 0);
            http_text_put(req->srv, page_key, text, strlen(text),
                          (int64_t)json_array_size(json_object_get(out, "list")));
        }
        free(text); /* jansson allocates with malloc */
    }
    bool audited = http_audit_seen(req, "view", "panel", detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}
