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
    struct risk_panel *p = NULL;
    int rc = risk_panel_build(req->db, &w, &o, &p, &err);
    if (rc == SVP_ECONFLICT) { /* linking has not run: persons are agency records */
        o.unlinked = true;
        rc = risk_panel_build(req->db, &w, &o, &p, &err);
    }
    json_t *out = rc ? NULL : risk_panel_json(p, (int)reasons);
    if (!rc && !out)
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (!rc)
        rc = annotate(req, json_object_get(out, "list"), p->unlinked, &err);
    if (!rc)
        rc = annotate(req, json_object_get(out, "left"), p->unlinked, &err);
    char detail[128];
    if (!rc) {
        snprintf(detail, sizeof detail, "panel list: %zu shown%s%s",
                 json_array_size(json_object_get(out, "list")), area ? ", area " : "",
                 area ? area : "");
        json_object_set_new(out, "pseudonymised", json_boolean(req->decision.pseudonymise));
    }
    risk_panel_free(&p);
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
