/* Need-to-know in the http room: the one check (access_authorise) applied to each person a
 * list shows, and refusals written to the audit trail. Handlers filter through these. */
#include "http_int.h"

#include <string.h>

int http_check_person(struct http_req *req, enum access_object kind, int64_t id,
                      struct access_decision *d, struct svp_err *err)
{
    struct access_request ar = {.roles = req->route->roles, .data = req->route->data,
                                .object = kind, .object_id = id, .purpose = req->purpose,
                                .policy = req->policy};
    return access_authorise(req->db, req->has_session ? &req->session.user : NULL, &ar, d,
                            err);
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

/* Appends ",p123" or ",r123" for a shown person or record to an id list being built. */
int http_seen_add(struct svp_buf *b, enum access_object kind, int64_t id)
{
    if (b->len == 0 && svp_buf_puts(b, ","))
        return SVP_ENOMEM;
    return svp_buf_printf(b, "%c%lld,", kind == ACCESS_OBJ_RECORD ? 'r' : 'p', (long long)id)
               ? SVP_ENOMEM
               : SVP_OK;
}
