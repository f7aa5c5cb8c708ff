/* Need-to-know in the http room: the one check (access_authorise) applied to each person a
 * list shows, and refusals written to the audit trail. Handlers filter through these. */
#include "http_int.h"
#include "people/people.h"

#include <string.h>

int http_check_person(struct http_req *req, enum access_object kind, int64_t id,
                      struct access_decision *d, struct svp_err *err)
{
    struct access_request ar = {.roles = req->route->roles, .data = req->route->data,
                                .object = kind, .object_id = id, .purpose = req->purpose,
                                .policy = req->policy};
    return http_authorise(req, &ar, d, err);
}

void http_audit_refusal(struct http_req *req)
{
    if (!req->has_session)
        return; /* no one to name: sign-in attempts are audited by access_login */
    char obj[64], detail[256];
    if (req->route->object == ACCESS_OBJ_PERSON || req->route->object == ACCESS_OBJ_RECORD)
        snprintf(obj, sizeof obj, "%s:%lld",
                 req->route->object == ACCESS_OBJ_PERSON ? "person" : "record",
                 (long long)req->id);
    else
        snprintf(obj, sizeof obj, "%s", req->path);
    snprintf(detail, sizeof detail, "%s %s refused (%d): %s", req->method, req->path,
             req->decision.status, req->decision.reason);
    (void)http_audit(req, "refused", obj, detail);
    /* A failed audit write replied 500; the refusal below replaces nothing then. */
}

int http_display_name(struct http_req *req, enum access_object kind, int64_t id, char *pseudo,
                      size_t cap, const char **shown, struct svp_err *err)
{
    bool record = kind == ACCESS_OBJ_RECORD;
    *shown = "";
    if (req->decision.pseudonymise) {
        int rc = access_pseudonym(req->db, record ? 'R' : 'P', id, pseudo, cap, err);
        if (!rc)
            *shown = pseudo;
        return rc;
    }
    int rc = people_display_name(req->db, req->arena, record ? 0 : id, record ? id : 0, shown,
                                 err);
    if (rc == SVP_ENOTFOUND) {
        *shown = "";
        return SVP_OK;
    }
    return rc;
}

/* Appends ",p123" or ",r123" for a shown person or record to an id list being built. */
int http_seen_add(struct svp_buf *b, enum access_object kind, int64_t id)
{
    if (b->len == 0 && svp_buf_puts(b, ","))
        return SVP_ENOMEM;
    return svp_buf_printf(b, "%c%lld,", kind == ACCESS_OBJ_RECORD ? 'r' : 'p', (long long)id)
               ? SVP_ENOMEM
               : SVP_OK;
}

static void strip_ids(json_t *reason)
{
    json_object_del(reason, "record_id");
    json_object_del(reason, "agency_record_id");
    json_object_del(reason, "event_id");
    json_object_del(reason, "relationship_id");
    json_object_del(reason, "other_person_id");
}

void http_risk_item_strip_ids(json_t *item)
{
    size_t k;
    json_t *r;
    json_array_foreach(json_object_get(item, "reasons"), k, r)
        strip_ids(r);
}

/* One reason the viewer may not see: keeps points and agency, loses what it says. */
static int withhold_reason(json_t *reason)
{
    const char *agency = json_string_value(json_object_get(reason, "agency"));
    char says[96];
    snprintf(says, sizeof says, "held by %s: ask them", agency ? agency : "another agency");
    int rc = json_object_set_new(reason, "indicator", json_string("withheld")) |
             json_object_set_new(reason, "description", json_string(says)) |
             json_object_set_new(reason, "withheld", json_true());
    json_object_del(reason, "label");
    json_object_del(reason, "other_kind");
    strip_ids(reason);
    return rc ? SVP_ENOMEM : SVP_OK;
}

int http_risk_item_filter(struct http_req *req, const struct access_view *v, json_t *item)
{
    json_t *reasons = json_object_get(item, "reasons"), *r;
    size_t k;
    bool withheld = false;
    json_array_foreach(reasons, k, r) {
        const char *ind = json_string_value(json_object_get(r, "indicator"));
        const char *ag = json_string_value(json_object_get(r, "agency"));
        if (access_view_allows(v, ag ? ag : "", access_indicator_category(req->policy, ind)))
            continue;
        withheld = true;
        if (withhold_reason(r))
            return SVP_ENOMEM;
    }
    if (!withheld)
        return SVP_OK;
    /* The summaries were written from every reason: write them again from what may be
     * shown (the top three, as risk_reasons_summary does). */
    char coded[512] = "", plain[512] = "";
    size_t used_c = 0, used_p = 0;
    json_array_foreach(reasons, k, r) {
        if (k >= 3)
            break;
        const char *desc = json_string_value(json_object_get(r, "description"));
        const char *label = json_string_value(json_object_get(r, "label"));
        int w = snprintf(coded + used_c, sizeof coded - used_c, "%s%s", k ? "; " : "",
                         desc ? desc : "");
        if (w > 0 && (size_t)w < sizeof coded - used_c)
            used_c += (size_t)w;
        w = snprintf(plain + used_p, sizeof plain - used_p, "%s%s", k ? "; " : "",
                     label ? label : desc ? desc : "");
        if (w > 0 && (size_t)w < sizeof plain - used_p)
            used_p += (size_t)w;
    }
    if (json_object_set_new(item, "top_reasons", json_string(coded)) ||
        json_object_set_new(item, "summary", json_string(plain)))
        return SVP_ENOMEM;
    return SVP_OK;
}

int http_list_annotate(struct http_req *req, json_t *arr, const struct http_list_shape *shape,
                       void *ctx, struct svp_buf *seen, struct svp_err *err)
{
    size_t i = 0;
    while (i < json_array_size(arr)) {
        json_t *item = json_array_get(arr, i);
        enum access_object kind;
        int64_t id;
        shape->who(ctx, item, &kind, &id);
        if (req->decision.scope_agency[0]) {
            struct access_decision d;
            int rc = http_check_person(req, kind, id, &d, err);
            if (rc)
                return rc;
            if (!d.allowed) {
                json_array_remove(arr, i);
                continue;
            }
            if (shape->filter(req, &d.view, item))
                return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        char pseudo[32];
        const char *name;
        int rc = http_display_name(req, kind, id, pseudo, sizeof pseudo, &name, err);
        if (rc)
            return rc;
        if (json_object_set_new(item, "name", json_string(name)) ||
            http_seen_add(seen, kind, id))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        if (req->decision.pseudonymise) {
            /* No raw ids in a pseudonymised reply: the pseudonym stands for the person. */
            shape->strip(item);
            if (json_object_set_new(item, "person_id", json_string(pseudo)))
                return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        i++;
    }
    return SVP_OK;
}
