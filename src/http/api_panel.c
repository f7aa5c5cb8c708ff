/* The Vulnerability Tracker: the panel list from the risk room (risk_panel_build and
 * risk_panel_json, the functions behind `svp panel`), with names added for those allowed to
 * see them and, for practitioners, only the people their agency may see. */
#include "http_int.h"
#include "people/people.h"
#include "risk/risk.h"

#include <string.h>

/* Adds "name" to each item of arr and drops items the request may not see. */
static int annotate(struct http_req *req, json_t *arr, bool persons_are_records,
                    struct svp_err *err)
{
    size_t i = 0;
    while (i < json_array_size(arr)) {
        json_t *item = json_array_get(arr, i);
        int64_t id = (int64_t)json_integer_value(json_object_get(item, "person_id"));
        if (req->decision.scope_agency[0]) {
            struct access_request ar = {.roles = req->route->roles, .data = req->route->data,
                                        .object = persons_are_records ? ACCESS_OBJ_RECORD
                                                                      : ACCESS_OBJ_PERSON,
                                        .object_id = id, .purpose = req->purpose};
            struct access_decision d;
            int rc = access_authorise(req->db, &req->session.user, &ar, &d, err);
            if (rc)
                return rc;
            if (!d.allowed) {
                json_array_remove(arr, i);
                continue;
            }
        }
        char pseudo[32];
        const char *name = "";
        int rc = req->decision.pseudonymise
                     ? access_pseudonym(req->db, persons_are_records ? 'R' : 'P', id, pseudo,
                                        sizeof pseudo, err)
                     : people_display_name(req->db, req->arena, persons_are_records ? 0 : id,
                                           persons_are_records ? id : 0, &name, err);
        if (rc && rc != SVP_ENOTFOUND)
            return rc;
        if (json_object_set_new(item, "name", json_string(req->decision.pseudonymise ? pseudo
                                                                                     : name)))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        i++;
    }
    return SVP_OK;
}

/* What the panel is computed from: imports, links, events and saved panels. Any change to
 * them changes this text, so a cached panel is never served stale. */
static int data_fingerprint(struct store *s, char *buf, size_t cap, struct svp_err *err)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM source_file", "SELECT coalesce(max(id), 0) FROM source_file",
        "SELECT count(*) FROM person_record", "SELECT coalesce(sum(person_id), 0) FROM person_record",
        "SELECT count(*) FROM event", "SELECT count(*) FROM relationship",
        "SELECT count(*) FROM risk_snapshot",
    };
    size_t off = 0;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        int64_t v = 0;
        int rc = store_query_int64(s, sql[i], &v, err);
        if (rc)
            return rc;
        int n = snprintf(buf + off, cap - off, "%lld:", (long long)v);
        if (n < 0 || (size_t)n >= cap - off)
            return svp_err_set(err, SVP_EINTERNAL, "fingerprint too long");
        off += (size_t)n;
    }
    return SVP_OK;
}

void api_panel_list(struct http_req *req)
{
    const char *area = NULL, *as_of = NULL;
    int64_t top, reasons;
    if (!http_req_query(req, "area", 64, &area) || !http_req_query(req, "as_of", 10, &as_of) ||
        !http_req_query_int(req, "top", 0, 1000, 50, &top) ||
        !http_req_query_int(req, "reasons", 0, 100, 10, &reasons))
        return;
    struct risk_weights w;
    struct svp_err err;
    if (risk_weights_load(NULL, &w, &err)) {
        http_reply_status(req, &err);
        return;
    }
    struct risk_panel_opts o = {.as_of = svp_date_today(), .area = area && *area ? area : NULL,
                                .top = (int)top};
    /* By default score as on the latest event not after today (an extract's end), as
     * `svp panel --as-of latest` does; a date scores as on that day. */
    if (as_of && *as_of && strcmp(as_of, "latest")) {
        if (svp_date_parse_iso(as_of, strlen(as_of), &o.as_of, &err)) {
            http_reply_error(req, 400, "as_of", "must be a date YYYY-MM-DD or 'latest'");
            return;
        }
    } else {
        int lrc = risk_latest_event_day(req->db, &o.as_of, &err);
        if (lrc && lrc != SVP_ENOTFOUND) {
            http_reply_status(req, &err);
            return;
        }
        if (lrc)
            o.as_of = svp_date_today();
    }
    /* Scoring a county takes a while and gives everyone the same list: keep the last few. */
    char fp[200], key[256], day[12];
    int rc = data_fingerprint(req->db, fp, sizeof fp, &err);
    svp_date_format(o.as_of, day, sizeof day);
    snprintf(key, sizeof key, "panel|%s|%s|%lld|%lld|%s", fp, day, (long long)top,
             (long long)reasons, o.area ? o.area : "");
    json_t *out = rc ? NULL : http_cache_get(req->srv, key);
    bool locked = false;
    if (!rc && !out) {
        http_cache_build_lock(req->srv);
        locked = true;
        out = http_cache_get(req->srv, key);
    }
    if (!rc && !out) {
        struct risk_panel *p = NULL;
        rc = risk_panel_build(req->db, &w, &o, &p, &err);
        if (rc == SVP_ECONFLICT) { /* linking has not run: persons are agency records */
            o.unlinked = true;
            rc = risk_panel_build(req->db, &w, &o, &p, &err);
        }
        out = rc ? NULL : risk_panel_json(p, (int)reasons);
        if (!rc && !out)
            rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
        risk_panel_free(&p);
        if (!rc)
            http_cache_put(req->srv, key, json_deep_copy(out));
    }
    if (locked)
        http_cache_build_unlock(req->srv);
    bool unlinked = json_is_true(json_object_get(out, "persons_are_records"));
    if (!rc)
        rc = annotate(req, json_object_get(out, "list"), unlinked, &err);
    if (!rc)
        rc = annotate(req, json_object_get(out, "left"), unlinked, &err);
    char detail[128];
    if (!rc) {
        snprintf(detail, sizeof detail, "panel list: %zu shown%s%s",
                 json_array_size(json_object_get(out, "list")), area ? ", area " : "",
                 area ? area : "");
        json_object_set_new(out, "pseudonymised", json_boolean(req->decision.pseudonymise));
    }
    if (rc) {
        json_decref(out);
        http_reply_status(req, &err);
        return;
    }
    if (!http_audit(req, "view", "panel", detail)) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}
