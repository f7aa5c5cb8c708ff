/* GET /api/v1/panel/turning18?months=6: transition to adulthood, the children on the list or
 * with a plan open who turn 18 soon, for handover to adult services (risk_panel_turning18,
 * the function behind `svp panel turning18`), from the panel the server keeps per data
 * version; each person through the one need-to-know check, as on the panel list; audited. */
#include "http_int.h"
#include "risk/risk.h"

void api_panel_turning18(struct http_req *req)
{
    int64_t months;
    if (!http_req_query_int(req, "months", 1, 24, 6, &months))
        return;
    struct svp_err err;
    struct risk_panel *p = NULL;
    int rc = http_risk_panel_or_reply(req, "records have not been linked yet, so nobody is scored",
                                      "people", &p, &err);
    if (rc == HTTP_BUSY || rc == SVP_ECONFLICT)
        return; /* replied */
    json_t *out = NULL;
    struct risk_person **list = NULL;
    size_t n = 0;
    if (!rc)
        rc = risk_panel_turning18(p, (int)months, &list, &n, &err);
    if (!rc && !(out = risk_turning18_json(p, (int)months, list, n)))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    svp_free(list);
    if (p)
        http_objects_read_unlock(req->srv);
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 22);
    if (!rc)
        rc = http_panel_annotate(req, json_object_get(out, "people"), false, &seen, &err);
    if (!rc && json_object_set_new(out, "pseudonymised", json_boolean(req->decision.pseudonymise)))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (rc) {
        svp_buf_free(&seen);
        json_decref(out);
        http_reply_status(req, &err);
        return;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "turning 18 in %lld months: %zu shown", (long long)months,
             json_array_size(json_object_get(out, "people")));
    bool audited = http_audit_seen(req, "view", "panel", detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}
