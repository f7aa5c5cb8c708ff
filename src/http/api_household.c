/* GET /api/v1/persons/{id}/household: the Think Family view for the person page (the
 * household room computes it from the panel the server keeps per data version). Each member
 * passes the one need-to-know check: a member the viewer may not see keeps the relation and
 * loses identity and needs; a need's evidence is shown only where the viewer may see that
 * agency's records of that category about the member (docs/sharing.md). Audited, naming
 * every member shown. */
#include "http_int.h"
#include "household/household.h"

#include <string.h>

struct viewer {
    struct http_req *req;
    int64_t ids[HOUSEHOLD_MAX_MEMBERS];
    struct access_view views[HOUSEHOLD_MAX_MEMBERS];
    size_t n;
};

static int member_ok(void *ctx, int64_t person_id, struct svp_err *err)
{
    struct viewer *w = ctx;
    struct access_decision d;
    int rc = http_check_person(w->req, ACCESS_OBJ_PERSON, person_id, &d, err);
    if (rc)
        return rc < 0 ? rc : -rc;
    if (!d.allowed || w->n >= HOUSEHOLD_MAX_MEMBERS)
        return 0;
    w->ids[w->n] = person_id;
    w->views[w->n++] = d.view;
    return 1;
}

static bool evidence_ok(void *ctx, int64_t person_id, const char *agency, const char *type,
                        const char *subtype)
{
    struct viewer *w = ctx;
    for (size_t i = 0; i < w->n; i++)
        if (w->ids[i] == person_id)
            return access_view_allows(&w->views[i], agency,
                                      access_event_category(w->req->policy, type, subtype));
    return false;
}

/* Names each member shown (a name, or a pseudonym when the reply is pseudonymised, with
 * every raw id taken out) and lists them for the audit entry. */
static int name_members(struct http_req *req, json_t *members, struct svp_buf *seen,
                        struct svp_err *err)
{
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        json_t *pid = json_object_get(m, "person_id");
        if (!pid)
            continue; /* withheld */
        int64_t id = (int64_t)json_integer_value(pid);
        char pseudo[32];
        const char *shown;
        int rc = http_display_name(req, ACCESS_OBJ_PERSON, id, pseudo, sizeof pseudo, &shown,
                                   err);
        if (rc)
            return rc;
        if (http_seen_add(seen, ACCESS_OBJ_PERSON, id) ||
            json_object_set_new(m, "name", json_string(*shown ? shown : "(no name)")))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        if (req->decision.pseudonymise) {
            json_object_del(m, "person_id");
            json_object_del(m, "via");
            size_t j;
            json_t *need;
            json_array_foreach(json_object_get(m, "needs"), j, need)
            {
                size_t k;
                json_t *ev;
                json_array_foreach(json_object_get(need, "evidence"), k, ev)
                {
                    json_object_del(ev, "event_id");
                    json_object_del(ev, "record_id");
                }
            }
        }
    }
    return SVP_OK;
}

void api_person_household(struct http_req *req)
{
    struct svp_err err;
    struct risk_panel *p = NULL;
    int rc = http_risk_panel_or_reply(
        req, "records have not been linked yet, so households are not known", NULL, &p, &err);
    if (rc == HTTP_BUSY || rc == SVP_ECONFLICT)
        return; /* replied */
    json_t *out = NULL;
    struct household_view *v = NULL;
    if (!rc)
        rc = household_from_panel(req->db, p, req->id, &v, &err);
    if (p)
        http_objects_read_unlock(req->srv);
    struct viewer w = {.req = req};
    struct household_viewer who = {.ctx = &w, .member = member_ok, .evidence = evidence_ok};
    if (!rc)
        rc = household_restrict(v, &who, &err);
    if (!rc && !(out = household_json(v)))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    household_free(&v);
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 20);
    if (!rc)
        rc = name_members(req, json_object_get(out, "members"), &seen, &err);
    if (!rc && req->decision.pseudonymise)
        json_object_del(out, "person_id");
    if (!rc && json_object_set_new(out, "pseudonymised", json_boolean(req->decision.pseudonymise)))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (rc) {
        svp_buf_free(&seen);
        json_decref(out);
        http_reply_status(req, &err);
        return;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "person:%lld", (long long)req->id);
    bool ok = http_audit_seen(req, "view", obj, "household (Think Family)",
                              seen.data);
    svp_buf_free(&seen);
    if (!ok) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}
