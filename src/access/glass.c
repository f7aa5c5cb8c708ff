/* Break glass: urgent, time-limited access beyond the sharing rules, with a reason from the
 * partnership's list and the user's own words; audited and listed for the auditor. */
#include "access_int.h"

#include <string.h>
#include <time.h>

#define MAX_GLASS_MINUTES 240

int access_break_glass(struct store *s, const struct access_user *user, char kind, int64_t id,
                       const char *reason, const char *text, int minutes, svp_time now,
                       int64_t *glass_id, struct svp_err *err)
{
    if (!user || (user->role != ACCESS_PRACTITIONER && user->role != ACCESS_PANEL))
        return svp_err_at(err, SVP_EINPUT, "", 0, "role",
                          "only practitioners and panel members may break glass");
    if (minutes < 1 || minutes > MAX_GLASS_MINUTES)
        return svp_err_at(err, SVP_EINPUT, "", 0, "minutes",
                          "break glass lasts 1 to 240 minutes");
    int rc = access_code_check("break-glass.csv", "reason", "give a reason from the list",
                               reason, err);
    if (rc)
        return rc;
    if (!text || strlen(text) < 10 || strlen(text) > 250)
        return svp_err_at(err, SVP_EINPUT, "", 0, "text",
                          "say in 10 to 250 characters why this cannot wait");
    /* The person (or record) must exist: no probing for ids through break glass. */
    struct store_stmt *st = NULL;
    rc = store_prepare(s, kind == 'P' ? "SELECT 1 FROM person WHERE id = ?"
                                      : "SELECT 1 FROM record WHERE id = ?",
                       &st, err);
    if (rc)
        return rc;
    rc = store_bind_int64(st, 1, id) ? svp_err_set(err, SVP_ENOMEM, "cannot bind a value")
                                     : store_step(st, err);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (rc != STORE_ROW)
        return svp_err_set(err, SVP_ENOTFOUND, "no such person");
    char obj[64], detail[320];
    snprintf(obj, sizeof obj, "%s:%lld", kind == 'P' ? "person" : "record", (long long)id);
    snprintf(detail, sizeof detail, "break glass for %d minutes: %s: %s", minutes, reason, text);
    if ((rc = store_begin(s, err)))
        return rc;
    rc = store_prepare(s, "INSERT INTO break_glass (user_id, person_id, kind, reason, "
                          "reason_text, started_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       &st, err);
    if (!rc) {
        char k[2] = {kind, '\0'};
        rc = store_bind_int64(st, 1, user->id) || store_bind_int64(st, 2, id) ||
                     store_bind_text(st, 3, k, -1) || store_bind_text(st, 4, reason, -1) ||
                     store_bind_text(st, 5, text, -1) || store_bind_int64(st, 6, (int64_t)now) ||
                     store_bind_int64(st, 7, (int64_t)now + 60 * (int64_t)minutes)
                 ? svp_err_set(err, SVP_ENOMEM, "cannot bind a value")
                 : store_step(st, err);
        store_finalize(&st);
    }
    if (rc >= 0)
        rc = access_audit_in_tx(s, user, "break-glass", obj, reason, detail, err);
    int64_t gid = 0;
    if (rc >= 0)
        rc = store_query_int64(s, "SELECT max(id) FROM break_glass", &gid, err);
    if (rc >= 0)
        rc = store_commit(s, err);
    if (rc < 0) {
        store_rollback(s);
        return rc;
    }
    if (glass_id)
        *glass_id = gid;
    return SVP_OK;
}

int access_glass_active(struct store *s, int64_t user_id, char kind, int64_t id, bool *out,
                        struct svp_err *err)
{
    *out = false;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT 1 FROM break_glass WHERE user_id = ? AND person_id = ? AND "
                              "kind = ? AND expires_at > ?",
                           &st, err);
    if (rc)
        return rc;
    char k[2] = {kind, '\0'};
    rc = store_bind_int64(st, 1, user_id) || store_bind_int64(st, 2, id) ||
                 store_bind_text(st, 3, k, -1) || store_bind_int64(st, 4, (int64_t)time(NULL))
             ? svp_err_set(err, SVP_ENOMEM, "cannot bind a value")
             : store_step(st, err);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    *out = rc == STORE_ROW;
    return SVP_OK;
}

int access_glass_list(struct store *s, size_t limit, struct access_glass **out, size_t *n,
                      struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    if (limit == 0)
        return SVP_OK;
    struct access_glass *v = svp_calloc(limit, sizeof *v);
    if (!v)
        return svp_err_set(err, SVP_ENOMEM, "out of memory listing break glass");
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT g.id, g.user_id, u.username, g.person_id, g.kind, "
                              "g.reason, g.reason_text, g.started_at, g.expires_at FROM "
                              "break_glass g JOIN app_user u ON u.id = g.user_id ORDER BY g.id "
                              "DESC LIMIT ?",
                           &st, err);
    if (!rc && store_bind_int64(st, 1, (int64_t)limit))
        rc = svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    while (!rc && *n < limit && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        struct access_glass *g = &v[(*n)++];
        g->id = store_column_int64(st, 0);
        g->user_id = store_column_int64(st, 1);
        svp_strlcpy(g->username, store_column_text(st, 2) ? store_column_text(st, 2) : "",
                    sizeof g->username);
        g->person_id = store_column_int64(st, 3);
        g->kind = store_column_text(st, 4) ? store_column_text(st, 4)[0] : 'P';
        svp_strlcpy(g->reason, store_column_text(st, 5) ? store_column_text(st, 5) : "",
                    sizeof g->reason);
        svp_strlcpy(g->text, store_column_text(st, 6) ? store_column_text(st, 6) : "",
                    sizeof g->text);
        g->started_at = store_column_int64(st, 7);
        g->expires_at = store_column_int64(st, 8);
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(v);
        *n = 0;
        return rc;
    }
    *out = v;
    return SVP_OK;
}

int access_glass_reasons(struct access_glass_reason **out, size_t *n, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    const struct svp_embedded *e = svp_data_find("break-glass.csv");
    if (!e)
        return svp_err_set(err, SVP_EINTERNAL, "break-glass.csv is not embedded");
    struct svp_csv *csv = NULL;
    struct svp_csv_opts o = {.max_field = 256, .max_fields = 8};
    int rc = svp_csv_open_mem(e->data, e->len, &o, &csv, err);
    struct svp_csv_row row;
    size_t cap = 0;
    while (!rc && (rc = svp_csv_next(csv, &row, err)) == 1) {
        rc = SVP_OK;
        if (row.error || row.nfields < 2 || row.fields[0].p[0] == '#' ||
            !strcmp(row.fields[0].p, "code"))
            continue;
        struct access_glass_reason *g = svp_grow(*out, &cap, *n + 1, sizeof *g, 8);
        if (!g) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        *out = g;
        svp_strlcpy(g[*n].code, row.fields[0].p, sizeof g[*n].code);
        svp_strlcpy(g[*n].description, row.fields[1].p, sizeof g[*n].description);
        (*n)++;
    }
    svp_csv_free(&csv);
    if (rc < 0) {
        svp_free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    return SVP_OK;
}
