/* A change and its audit entry in one transaction: the library's write (which opens its own
 * transaction, nested here as a savepoint) and the audit entry commit together or not at
 * all, so a change is never stored without the entry that says who made it. */
#include "http_int.h"
#include "registers/registers.h"

int http_change_audited(struct http_req *req, http_write_fn write, void *ctx,
                        const char *detail, struct svp_err *err)
{
    char object[160] = "";
    int rc = store_begin(req->db, err);
    if (rc)
        return rc;
    rc = write(req->db, ctx, object, sizeof object, err);
    if (rc == SVP_OK)
        rc = access_audit_in_tx(req->db, &req->session.user, "change", object, req->purpose,
                                detail, err);
    if (rc == SVP_OK)
        rc = store_commit(req->db, err);
    else
        store_rollback(req->db);
    return rc;
}

int http_reg_audit(struct store *s, const struct reg_entry *e, void *ctx, struct svp_err *err)
{
    const struct http_reg_audit *a = ctx;
    char object[REG_REF_MAX + 24];
    snprintf(object, sizeof object, "%s:%s", e->schema->name, e->ref);
    return access_audit_in_tx(s, &a->req->session.user, "change", object, a->req->purpose,
                              a->detail, err);
}
