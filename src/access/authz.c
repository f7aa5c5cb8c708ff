/* The one authorisation check, pseudonyms and sharing. */
#include "access_int.h"

#include <sodium.h>
#include <string.h>

/* An analyst's purpose must say something: a few words, not a single letter. */
#define MIN_PURPOSE 10

static void refuse(struct access_decision *d, int status, const char *reason)
{
    d->allowed = false;
    d->status = status;
    svp_strlcpy(d->reason, reason, sizeof d->reason);
}

int access_authorise(struct store *s, const struct access_user *user,
                     const struct access_request *req, struct access_decision *out,
                     struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    refuse(out, 403, "not allowed");
    if (!user || user->id <= 0) {
        refuse(out, 401, "sign in first");
        return SVP_OK;
    }
    if (user->disabled) {
        refuse(out, 401, "this account is disabled");
        return SVP_OK;
    }
    if (!(req->roles & (unsigned)user->role)) {
        char why[160];
        snprintf(why, sizeof why, "your role (%s) may not do this", access_role_name(user->role));
        refuse(out, 403, why);
        return SVP_OK;
    }
    if (req->data == ACCESS_DATA_PERSONAL) {
        switch (user->role) {
        case ACCESS_ADMIN:
        case ACCESS_PANEL:
        case ACCESS_PRACTITIONER:
            break;
        case ACCESS_ANALYST: {
            size_t n = req->purpose ? strlen(req->purpose) : 0;
            out->pseudonymise = n < MIN_PURPOSE;
            break;
        }
        default:
            refuse(out, 403, "your role may not see personal data");
            return SVP_OK;
        }
        struct access_policy *own = NULL;
        const struct access_policy *p = req->policy;
        if (!p) {
            int rc = access_policy_load(s, &own, err);
            if (rc)
                return rc;
            p = own;
        }
        if (!access_policy_whole(p, user))
            svp_strlcpy(out->scope_agency, user->agency, sizeof out->scope_agency);
        int rc = SVP_OK;
        if (req->object != ACCESS_OBJ_NONE)
            rc = access_view_compute(s, p, user, req->object, req->object_id, &out->view, err);
        access_policy_free(&own);
        if (rc)
            return rc;
        if (req->object != ACCESS_OBJ_NONE && !out->view.any) {
            refuse(out, 403,
                   "this person is not known to your agency and has not been shared with it");
            return SVP_OK;
        }
    }
    out->allowed = true;
    out->status = 200;
    out->reason[0] = '\0';
    return SVP_OK;
}

static int pseudonym_key(struct store *s, unsigned char key[32], struct svp_err *err)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        struct store_stmt *st = NULL;
        int rc = store_prepare(s, "SELECT value FROM svp_meta WHERE key = 'access.pseudonym_key'",
                               &st, err);
        if (rc)
            return rc;
        rc = store_step(st, err);
        if (rc == STORE_ROW) {
            const char *hex = store_column_text(st, 0);
            size_t bin_len = 0;
            rc = hex && sodium_hex2bin(key, 32, hex, strlen(hex), NULL, &bin_len, NULL) == 0 &&
                         bin_len == 32
                     ? SVP_OK
                     : svp_err_set(err, SVP_EINTERNAL, "the pseudonym key in svp_meta is damaged");
            store_finalize(&st);
            return rc;
        }
        store_finalize(&st);
        if (rc < 0)
            return rc;
        /* None yet: make one. A concurrent creator wins the primary key; then read theirs. */
        unsigned char fresh[32];
        char hex[65];
        randombytes_buf(fresh, sizeof fresh);
        sodium_bin2hex(hex, sizeof hex, fresh, sizeof fresh);
        if (store_prepare(s, "INSERT INTO svp_meta (key, value) VALUES "
                             "('access.pseudonym_key', ?)", &st, err) == SVP_OK) {
            if (store_bind_text(st, 1, hex, -1) == SVP_OK && store_step(st, err) < 0)
                svp_log(SVP_LOG_DEBUG, "access: another writer made the pseudonym key");
            store_finalize(&st);
        }
    }
    return svp_err_set(err, SVP_EDB, "cannot create the pseudonym key");
}

int access_pseudonym(struct store *s, char kind, int64_t id, char *buf, size_t cap,
                     struct svp_err *err)
{
    unsigned char key[32], h[16];
    int rc = pseudonym_key(s, key, err);
    if (rc)
        return rc;
    char msg[48];
    int n = snprintf(msg, sizeof msg, "%c:%lld", kind, (long long)id);
    crypto_generichash(h, sizeof h, (const unsigned char *)msg, (size_t)n, key, sizeof key);
    sodium_memzero(key, sizeof key);
    snprintf(buf, cap, "%c-%02X%02X%02X%02X%02X", kind, h[0], h[1], h[2], h[3], h[4]);
    return SVP_OK;
}

int access_share_person(struct store *s, const struct access_user *actor, int64_t person_id,
                        const char *agency, const char *reason, struct svp_err *err)
{
    int rc = access_agency_check(agency, err);
    if (rc)
        return rc;
    char now[24], obj[64];
    access_now_iso(now, sizeof now);
    snprintf(obj, sizeof obj, "person:%lld", (long long)person_id);
    if ((rc = store_begin(s, err)))
        return rc;
    struct store_stmt *st = NULL;
    rc = store_prepare(s, "DELETE FROM person_share WHERE person_id = ? AND agency = ?", &st, err);
    if (!rc) {
        rc = store_bind_int64(st, 1, person_id) || store_bind_text(st, 2, agency, -1)
                 ? SVP_ENOMEM
                 : store_step(st, err);
        store_finalize(&st);
    }
    if (rc >= 0)
        rc = store_prepare(s, "INSERT INTO person_share (person_id, agency, reason, shared_at) "
                              "VALUES (?, ?, ?, ?)", &st, err);
    if (rc >= 0) {
        rc = store_bind_int64(st, 1, person_id) || store_bind_text(st, 2, agency, -1) ||
                     store_bind_text(st, 3, reason ? reason : "", -1) ||
                     store_bind_text(st, 4, now, -1)
                 ? SVP_ENOMEM
                 : store_step(st, err);
        store_finalize(&st);
    }
    char detail[96];
    snprintf(detail, sizeof detail, "shared with %s", agency);
    if (rc >= 0)
        rc = access_audit_in_tx(s, actor, "change", obj, reason, detail, err);
    if (rc >= 0)
        rc = store_commit(s, err);
    if (rc < 0) {
        if (rc == SVP_ENOMEM)
            svp_err_set(err, rc, "out of memory sharing a person");
        store_rollback(s);
        return rc;
    }
    return SVP_OK;
}
