/* The one authorisation check, pseudonyms and sharing. */
#include "access_int.h"

#include <sodium.h>
#include <string.h>

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
        case ACCESS_ANALYST:
            /* Always pseudonymised: a purpose is recorded, it does not lift it. Names come
             * back only through re-identification by a role allowed it. */
            out->pseudonymise = true;
            if (req->purpose && *req->purpose) {
                struct svp_err perr;
                if (access_purpose_check(req->purpose, &perr)) {
                    refuse(out, 403, perr.msg);
                    return SVP_OK;
                }
            }
            break;
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

static void pseudonym_with(const unsigned char key[32], char kind, int64_t id, char *buf,
                           size_t cap)
{
    unsigned char h[16];
    char msg[48];
    int n = snprintf(msg, sizeof msg, "%c:%lld", kind, (long long)id);
    crypto_generichash(h, sizeof h, (const unsigned char *)msg, (size_t)n, key, 32);
    snprintf(buf, cap, "%c-%02X%02X%02X%02X%02X", kind, h[0], h[1], h[2], h[3], h[4]);
}

int access_pseudonym(struct store *s, char kind, int64_t id, char *buf, size_t cap,
                     struct svp_err *err)
{
    unsigned char key[32];
    int rc = pseudonym_key(s, key, err);
    if (rc)
        return rc;
    pseudonym_with(key, kind, id, buf, cap);
    sodium_memzero(key, sizeof key);
    return SVP_OK;
}

int access_pseudonym_find(struct store *s, const char *pseudonym, char *kind, int64_t *id,
                          struct svp_err *err)
{
    *id = 0;
    if (!pseudonym || strlen(pseudonym) != 12 || (pseudonym[0] != 'P' && pseudonym[0] != 'R') ||
        pseudonym[1] != '-')
        return svp_err_at(err, SVP_EINPUT, "", 0, "pseudonym",
                          "a pseudonym looks like P-1A2B3C4D5E (or R- for an unlinked record)");
    unsigned char key[32];
    int rc = pseudonym_key(s, key, err);
    if (rc)
        return rc;
    /* Keyed hashes cannot be reversed: hash every candidate (a county's 150,000 take a
     * fraction of a second) and compare. */
    struct store_stmt *st = NULL;
    rc = store_prepare(s, pseudonym[0] == 'P' ? "SELECT id FROM person ORDER BY id"
                                              : "SELECT id FROM record ORDER BY id",
                       &st, err);
    char buf[32];
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        int64_t cand = store_column_int64(st, 0);
        pseudonym_with(key, pseudonym[0], cand, buf, sizeof buf);
        if (!strcmp(buf, pseudonym)) {
            *id = cand;
            break;
        }
    }
    store_finalize(&st);
    sodium_memzero(key, sizeof key);
    if (rc < 0)
        return rc;
    *kind = pseudonym[0];
    return *id ? SVP_OK
               : svp_err_set(err, SVP_ENOTFOUND, "no one has this pseudonym under the current "
                                                 "key (it may be from before a rotation)");
}

int access_pseudonym_rotate(struct store *s, const struct access_user *actor,
                            struct svp_err *err)
{
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    struct store_stmt *st = NULL;
    rc = store_prepare(s, "DELETE FROM svp_meta WHERE key = 'access.pseudonym_key'", &st, err);
    if (!rc) {
        rc = store_step(st, err);
        store_finalize(&st);
    }
    if (rc >= 0)
        rc = access_audit_in_tx(s, actor, "change", "pseudonym-key", NULL,
                                "pseudonym key rotated: every pseudonym changes", err);
    if (rc >= 0)
        rc = store_commit(s, err);
    if (rc < 0) {
        store_rollback(s);
        return rc;
    }
    /* The next use makes a fresh key. */
    unsigned char key[32];
    rc = pseudonym_key(s, key, err);
    sodium_memzero(key, sizeof key);
    return rc;
}

int access_purpose_check(const char *purpose, struct svp_err *err)
{
    return access_code_check("purposes.csv", "purpose", "state a purpose from the list", purpose,
                             err);
}

int access_code_check(const char *file, const char *field, const char *say, const char *purpose,
                      struct svp_err *err)
{
    const struct svp_embedded *e = svp_data_find(file);
    if (!e)
        return svp_err_set(err, SVP_EINTERNAL, "%s is not embedded", file);
    size_t n = purpose ? strlen(purpose) : 0;
    char codes[512] = "";
    size_t used = 0;
    for (const char *line = e->data; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *comma = memchr(line, ',', len);
        if (comma && line[0] != '#' && strncmp(line, "code,", 5)) {
            size_t clen = (size_t)(comma - line);
            if (n && clen == n && !memcmp(line, purpose, n))
                return SVP_OK;
            int w = snprintf(codes + used, sizeof codes - used, "%s%.*s", used ? ", " : "",
                             (int)clen, line);
            if (w > 0 && (size_t)w < sizeof codes - used)
                used += (size_t)w;
        }
        line = end ? end + 1 : NULL;
    }
    return svp_err_at(err, SVP_EINPUT, "", 0, field, "%s: %s", say, codes);
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
