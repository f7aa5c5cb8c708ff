/* What the daily call shows about each person: their records across agencies, school and
 * open plans. Read on demand for the few people on a call, never for the whole county. */
#include "triage.h"

#include <jansson.h>
#include <string.h>

static void add_word(char *buf, size_t cap, const char *w)
{
    if (!w || !*w)
        return;
    size_t wl = strlen(w);
    for (const char *p = buf; (p = strstr(p, w)) != NULL; p += wl)
        if ((p == buf || p[-1] == ' ') && (p[wl] == ' ' || p[wl] == '\0'))
            return;
    size_t l = strlen(buf);
    snprintf(buf + l, cap - l, "%s%s", l ? " " : "", w);
}

int triage_person_describe(struct store *s, triage_subject who, struct triage_person *out,
                           struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    const char *recs = who > 0 ? "(SELECT record_id FROM person_record WHERE person_id = ?)"
                               : "(?)";
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT given_name, family_name, dob, agency, agency_record_id, source FROM record "
             "WHERE id IN %s "
             "ORDER BY id",
             recs);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, who > 0 ? who : -who)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory binding a query");
    }
    int found = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (!found++) {
            snprintf(out->id, sizeof out->id, "%s:%s",
                     store_column_text(st, 5) ? store_column_text(st, 5) : "",
                     store_column_text(st, 4) ? store_column_text(st, 4) : "");
            const char *g = store_column_text(st, 0), *f = store_column_text(st, 1);
            if (g || f)
                snprintf(out->name, sizeof out->name, "%s%s%s", g ? g : "", g && f ? " " : "",
                         f ? f : "");
            else /* named by id only: show the agency's id, as partners know it */
                snprintf(out->name, sizeof out->name, "%s id %s", store_column_text(st, 3),
                         store_column_text(st, 4) ? store_column_text(st, 4) : "?");
            svp_strlcpy(out->dob, store_column_text(st, 2) ? store_column_text(st, 2) : "",
                        sizeof out->dob);
        } else if (!out->dob[0] && store_column_text(st, 2)) {
            svp_strlcpy(out->dob, store_column_text(st, 2), sizeof out->dob);
        }
        add_word(out->agencies, sizeof out->agencies, store_column_text(st, 3));
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (!found)
        return svp_err_set(err, SVP_ENOTFOUND, "no record of person %lld", (long long)who);
    snprintf(sql, sizeof sql,
             "SELECT type, detail, ended_at FROM event WHERE record_id IN %s AND type IN "
             "('school_enrolment', 'school_attendance', 'cp_plan', 'cin_plan', 'looked_after', "
             "'early_help', 'cp_plan_end') ORDER BY started_at",
             recs);
    rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, who > 0 ? who : -who)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory binding a query");
    }
    bool cp_open = false;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *type = store_column_text(st, 0);
        const char *detail = store_column_text(st, 1);
        bool open = store_column_is_null(st, 2);
        if (!strncmp(type, "school_", 7)) {
            json_error_t je;
            json_t *d = detail ? json_loads(detail, 0, &je) : NULL;
            const char *name = json_string_value(json_object_get(d, "school_name"));
            if (name)
                svp_strlcpy(out->school, name, sizeof out->school);
            json_decref(d);
        } else if (!strcmp(type, "cp_plan")) {
            cp_open = open;
        } else if (!strcmp(type, "cp_plan_end")) {
            cp_open = false;
        } else if (open) {
            add_word(out->plans, sizeof out->plans, type);
        }
    }
    store_finalize(&st);
    if (cp_open)
        add_word(out->plans, sizeof out->plans, "cp_plan");
    return rc < 0 ? rc : SVP_OK;
}
