/* A person's place on the Vulnerability Tracker for the person page: score, rank, band,
 * change, open plans, agencies and every reason in plain words, naming the adult or young
 * person a reason is about (as far as the viewer may see them). The panel is built once per
 * data version (risk_panel_build, as `svp panel` does) and kept; one person's reasons are
 * then filled from it (risk_panel_person), so a page does not score the county again. */
#include "http_int.h"
#include "adults/adults.h"
#include "risk/risk.h"

#include <string.h>

static void panel_free(void *p)
{
    struct risk_panel *panel = p;
    risk_panel_free(&panel);
}

int http_risk_panel(struct http_req *req, int64_t version, struct risk_panel **out,
                    struct svp_err *err)
{
    char key[64];
    snprintf(key, sizeof key, "risk-panel|%lld", (long long)version);
    for (;;) {
        http_objects_read_lock(req->srv);
        *out = http_object_get(req->srv, "risk-panel", version);
        if (*out)
            return SVP_OK; /* with the read lock held */
        http_objects_read_unlock(req->srv);
        int g = http_build_begin(req, key);
        if (g == HTTP_BUILD_REFUSED)
            return HTTP_BUSY;
        if (g == HTTP_BUILD_GO)
            break;
    }
    struct risk_weights w;
    int rc = risk_weights_load(NULL, &w, err);
    struct risk_panel_opts o = {.top = 1};
    if (!rc) {
        rc = risk_latest_event_day(req->db, &o.as_of, err);
        if (rc == SVP_ENOTFOUND) {
            o.as_of = svp_date_today();
            rc = SVP_OK;
        }
    }
    struct risk_panel *p = NULL;
    if (!rc)
        rc = risk_panel_build(req->db, &w, &o, &p, err);
    if (!rc)
        http_object_put(req->srv, "risk-panel", version, p, panel_free);
    http_build_end(req);
    if (rc)
        return rc;
    http_objects_read_lock(req->srv);
    *out = http_object_get(req->srv, "risk-panel", version);
    if (!*out) { /* replaced by a newer version at once: rare; the caller may ask again */
        http_objects_read_unlock(req->srv);
        return svp_err_set(err, SVP_ECONFLICT, "the data changed while scoring; reload");
    }
    return SVP_OK;
}

bool http_req_as_of(struct http_req *req, const char *as_of, svp_day *out)
{
    struct svp_err err;
    if (as_of && *as_of && strcmp(as_of, "latest")) {
        if (svp_date_parse_iso(as_of, strlen(as_of), out, &err)) {
            http_reply_error(req, 400, "as_of", "must be a date YYYY-MM-DD or 'latest'");
            return false;
        }
        return true;
    }
    int rc = risk_latest_event_day(req->db, out, &err);
    if (rc == SVP_ENOTFOUND) {
        *out = svp_date_today();
        return true;
    }
    if (rc) {
        http_reply_status(req, &err);
        return false;
    }
    return true;
}

int http_risk_panel_or_reply(struct http_req *req, const char *why, const char *empty,
                             struct risk_panel **out, struct svp_err *err)
{
    *out = NULL;
    int64_t version;
    int rc = http_data_version(req, &version, err);
    if (!rc)
        rc = http_risk_panel(req, version, out, err);
    if (rc != SVP_ECONFLICT)
        return rc;
    json_t *o = json_pack("{s:b, s:s}", "linked", 0, "why", why);
    if (o && empty && json_object_set_new(o, empty, json_array())) {
        json_decref(o);
        o = NULL;
    }
    if (o)
        http_reply_json(req, 200, o);
    else
        http_reply_json(req, 500, NULL);
    return rc;
}

/* The person's risk JSON, or an object saying why there is none. */
static int person_risk_json(struct http_req *req, int64_t id, json_t **out, struct svp_err *err)
{
    int64_t version;
    int rc = http_data_version(req, &version, err);
    if (rc)
        return rc;
    struct risk_panel *p = NULL;
    rc = http_risk_panel(req, version, &p, err);
    if (rc == HTTP_BUSY)
        return rc;
    if (rc == SVP_ECONFLICT) { /* not linked yet: there is no person to score */
        *out = json_pack("{s:b, s:s}", "scored", 0, "why",
                         "records have not been linked yet, so persons are not scored");
        return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    struct risk_person *rp = rc ? NULL : risk_panel_person(p, id);
    if (!rc && !rp) {
        *out = json_pack("{s:b, s:s}", "scored", 0, "why", "no events in the scoring period");
    } else if (!rc && rp->status != RISK_SCORED) {
        *out = json_pack("{s:b, s:s}", "scored", 0, "why", risk_status_text(rp->status));
    } else if (!rc) {
        *out = risk_person_json(p, rp, 0);
        char day[12];
        svp_date_format(p->as_of, day, sizeof day);
        if (*out &&
            (json_object_set_new(*out, "scored", json_true()) ||
             json_object_set_new(*out, "as_of", json_string(day)) ||
             json_object_set_new(*out, "scored_children", json_integer((json_int_t)p->nscored)) ||
             json_object_set_new(*out, "on_list", json_integer((json_int_t)p->nlisted_all)) ||
             json_object_set_new(*out, "compared_with_saved",
                                 p->previous_snapshot ? json_string(p->previous_saved_at)
                                                      : json_null()))) {
            json_decref(*out);
            *out = NULL;
        }
    }
    if (p)
        http_objects_read_unlock(req->srv);
    if (!rc && !*out)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    return rc;
}

/* Names the other person of each reason as far as this viewer may see them: a name, a
 * pseudonym, or (outside a practitioner's agency) no name and no id. */
static int name_others(struct http_req *req, json_t *reasons, struct svp_err *err)
{
    size_t i;
    json_t *r;
    json_array_foreach(reasons, i, r)
    {
        json_t *oid = json_object_get(r, "other_person_id");
        if (!oid)
            continue;
        int64_t other = (int64_t)json_integer_value(oid);
        if (req->decision.scope_agency[0]) {
            struct access_decision d;
            int rc = http_check_person(req, ACCESS_OBJ_PERSON, other, &d, err);
            if (rc)
                return rc;
            if (!d.allowed) {
                json_object_del(r, "other_person_id");
                if (json_object_set_new(r, "other_name",
                                        json_string("someone your agency does not hold")))
                    return svp_err_set(err, SVP_ENOMEM, "out of memory");
                continue;
            }
        }
        char pseudo[32];
        const char *shown;
        int rc = http_display_name(req, ACCESS_OBJ_PERSON, other, pseudo, sizeof pseudo, &shown,
                                   err);
        if (rc)
            return rc;
        if (json_object_set_new(r, "other_name", json_string(*shown ? shown : "(no name)")))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    return SVP_OK;
}

/* Known offenders among the adults the child's reasons name (docs/adults.md): one alert per
 * adult, with the basis of the listing and the reason that links them, as evidence. Only
 * reasons the viewer may read (withheld ones name nobody) and only when the viewer's view of
 * this child allows the list entry's category (police intelligence, docs/sharing.md). */
static int offender_alerts(struct http_req *req, json_t *out, struct svp_err *err)
{
    const char *as_of = json_string_value(json_object_get(out, "as_of"));
    svp_day day;
    struct svp_err ignore;
    if (!as_of || svp_date_parse_iso(as_of, strlen(as_of), &day, &ignore))
        return SVP_OK; /* not scored: no reasons */
    json_t *alerts = json_array();
    if (!alerts || json_object_set_new(out, "known_offender_alerts", alerts))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(out, "reasons"), i, r)
    {
        json_t *oid = json_object_get(r, "other_person_id");
        if (!json_is_integer(oid) || json_is_true(json_object_get(r, "withheld")))
            continue;
        int64_t other = (int64_t)json_integer_value(oid);
        bool seen = false;
        size_t k;
        json_t *a;
        json_array_foreach(alerts, k, a)
            seen |= json_integer_value(json_object_get(a, "other_person_id")) == other;
        if (seen)
            continue;
        struct adults_offender o;
        int rc = adults_known_offender(req->db, other, day, &o, err);
        if (rc)
            return rc;
        if (!o.listed ||
            !access_view_allows(&req->decision.view, o.agency,
                                access_event_category(req->policy, "offender_management",
                                                      o.basis)))
            continue;
        char since[16];
        svp_date_format(o.since, since, sizeof since);
        json_t *label = json_object_get(r, "label");
        a = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:O,s:O,s:O,s:O}", "other_person_id",
                      (json_int_t)other, "basis", o.basis, "managing_agency", o.managing_agency,
                      "list_agency", o.agency, "since", since, "list_event_id",
                      (json_int_t)o.event_id, "indicator",
                      json_string_value(json_object_get(r, "indicator")), "link",
                      label ? label : json_object_get(r, "description"), "date",
                      json_object_get(r, "date"), "agency", json_object_get(r, "agency"),
                      "event_id", json_object_get(r, "event_id"));
        if (!a || json_array_append_new(alerts, a))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    return SVP_OK;
}

void api_person_risk(struct http_req *req)
{
    struct svp_err err;
    json_t *out = NULL;
    int rc = person_risk_json(req, req->id, &out, &err);
    if (rc == HTTP_BUSY)
        return; /* 503 with Retry-After replied */
    /* Need-to-know: reasons from records the viewer may not see are withheld, as on the
     * panel list (docs/sharing.md). */
    if (!rc && json_object_get(out, "reasons") &&
        http_risk_item_filter(req, &req->decision.view, out))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (!rc)
        rc = offender_alerts(req, out, &err);
    if (!rc)
        rc = name_others(req, json_object_get(out, "reasons"), &err);
    if (!rc)
        rc = name_others(req, json_object_get(out, "known_offender_alerts"), &err);
    if (!rc && req->decision.pseudonymise) {
        http_risk_item_strip_ids(out); /* the pseudonyms named above stand for the people */
        size_t i;
        json_t *a;
        json_array_foreach(json_object_get(out, "known_offender_alerts"), i, a)
        {
            json_object_del(a, "other_person_id");
            json_object_del(a, "event_id");
            json_object_del(a, "list_event_id");
        }
    }
    if (rc) {
        json_decref(out);
        http_reply_status(req, &err);
        return;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "person:%lld", (long long)req->id);
    if (json_object_set_new(out, "pseudonymised", json_boolean(req->decision.pseudonymise))) {
        json_decref(out);
        http_reply_json(req, 500, NULL);
        return;
    }
    if (!http_audit(req, "view", obj, "risk score and reasons")) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}
