/* What people record about incidents: actions set at the call, DASH assessments completed
 * in svp, Operation Encompass notifications. Every input is checked in full before the one
 * INSERT, so a refused input writes nothing. */
#include "base/json.h"
#include "triage.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const agencies[] = {"csc",  "asc",     "police", "health",   "education",
                                       "yjs",  "rhi",     "housing", "probation", "idva",
                                       "military", "other", NULL};

int triage_agency_check(const char *agency, struct svp_err *err)
{
    for (size_t i = 0; agency && agencies[i]; i++)
        if (!strcmp(agencies[i], agency))
            return SVP_OK;
    return svp_err_at(err, SVP_EINPUT, "", 0, "agency",
                      "unknown agency '%.20s': use csc, asc, police, health, education, yjs, "
                      "rhi, housing, probation, idva, military or other",
                      agency ? agency : "");
}

static void now_text(char *buf, size_t cap)
{
    svp_time_format((svp_time)time(NULL), buf, cap);
}

static long find_ref(const struct triage_set *set, const char *ref)
{
    for (size_t i = 0; ref && i < set->n; i++)
        if (!strcmp(set->v[i].ref, ref))
            return (long)i;
    return -1;
}

static int text_check(const char *field, const char *s, size_t max, struct svp_err *err)
{
    size_t l = s ? strlen(s) : 0;
    if (l == 0 || l > max)
        return svp_err_at(err, SVP_EINPUT, "", 0, field, "give 1 to %zu bytes of text", max);
    if (!svp_utf8_valid(s, l, NULL))
        return svp_err_at(err, SVP_EINPUT, "", 0, field, "not valid UTF-8");
    for (size_t i = 0; i < l; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
            return svp_err_at(err, SVP_EINPUT, "", 0, field, "control characters are not allowed");
    return SVP_OK;
}

static int bind_fail(struct store_stmt **st, struct svp_err *err)
{
    store_finalize(st);
    return svp_err_set(err, SVP_ENOMEM, "out of memory binding a query");
}

/* ------------------------------------------------------------------ actions */

int triage_action_add(struct store *s, const struct triage_set *set,
                      const struct triage_action *a, int64_t *id, struct svp_err *err)
{
    if (find_ref(set, a->incident) < 0)
        return svp_err_at(err, SVP_ENOTFOUND, "", 0, "incident", "no incident %.64s",
                          a->incident);
    int rc = triage_agency_check(a->agency, err);
    if (rc == SVP_OK)
        rc = text_check("action", a->action, TRIAGE_TEXT_MAX, err);
    if (rc == SVP_OK)
        rc = text_check("owner", a->owner, 80, err);
    if (rc)
        return rc;
    if (a->due < a->set_on)
        return svp_err_at(err, SVP_EINPUT, "", 0, "due", "the due date is before the call");
    char due[16], on[16], now[32];
    svp_date_format(a->due, due, sizeof due);
    svp_date_format(a->set_on, on, sizeof on);
    now_text(now, sizeof now);
    struct store_stmt *st = NULL;
    rc = store_prepare(s,
                       "INSERT INTO da_action (incident_ref, agency, action, owner, due, set_on, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, a->incident, -1) || store_bind_text(st, 2, a->agency, -1) ||
        store_bind_text(st, 3, a->action, -1) || store_bind_text(st, 4, a->owner, -1) ||
        store_bind_text(st, 5, due, -1) || store_bind_text(st, 6, on, -1) ||
        store_bind_text(st, 7, now, -1))
        return bind_fail(&st, err);
    rc = store_step(st, err);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    return store_query_int64(s, "SELECT MAX(id) FROM da_action", id, err);
}

int triage_action_done(struct store *s, int64_t id, svp_day day, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT set_on, done_on FROM da_action WHERE id = ?", &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, id))
        return bind_fail(&st, err);
    rc = store_step(st, err);
    if (rc == STORE_DONE) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOTFOUND, "no action %lld", (long long)id);
    }
    if (rc < 0) {
        store_finalize(&st);
        return rc;
    }
    svp_day set_on = 0;
    struct svp_err perr;
    char on[16] = "";
    svp_strlcpy(on, store_column_text(st, 0) ? store_column_text(st, 0) : "", sizeof on);
    bool done = !store_column_is_null(st, 1);
    if (svp_date_parse_iso(on, strlen(on), &set_on, &perr))
        set_on = 0;
    store_finalize(&st);
    if (done)
        return svp_err_set(err, SVP_ECONFLICT, "action %lld is already done", (long long)id);
    if (day < set_on)
        return svp_err_set(err, SVP_EINPUT, "action %lld was set on %s: it cannot be done before",
                           (long long)id, on);
    char d[16];
    svp_date_format(day, d, sizeof d);
    rc = store_prepare(s, "UPDATE da_action SET done_on = ? WHERE id = ? AND done_on IS NULL",
                       &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, d, -1) || store_bind_int64(st, 2, id))
        return bind_fail(&st, err);
    rc = store_step(st, err);
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

int triage_actions_open(struct store *s, svp_day day, struct triage_action **out, size_t *n,
                        struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    char d[16];
    svp_date_format(day, d, sizeof d);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT id, incident_ref, agency, action, owner, due, set_on, done_on "
                           "FROM da_action WHERE set_on <= ? AND (done_on IS NULL OR done_on > ?) "
                           "ORDER BY due, id",
                           &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, d, -1) || store_bind_text(st, 2, d, -1))
        return bind_fail(&st, err);
    struct triage_action *v = NULL;
    size_t cap = 0, k = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct triage_action *nv = svp_grow(v, &cap, k + 1, sizeof *v, 32);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory listing actions");
            break;
        }
        v = nv;
        struct triage_action *a = &v[k++];
        memset(a, 0, sizeof *a);
        a->id = store_column_int64(st, 0);
        svp_strlcpy(a->incident, store_column_text(st, 1), sizeof a->incident);
        svp_strlcpy(a->agency, store_column_text(st, 2), sizeof a->agency);
        svp_strlcpy(a->action, store_column_text(st, 3), sizeof a->action);
        svp_strlcpy(a->owner, store_column_text(st, 4), sizeof a->owner);
        struct svp_err perr;
        const char *due = store_column_text(st, 5), *on = store_column_text(st, 6);
        if (svp_date_parse_iso(due, strlen(due), &a->due, &perr) ||
            svp_date_parse_iso(on, strlen(on), &a->set_on, &perr)) {
            rc = svp_err_set(err, SVP_EDB, "action %lld has a malformed date", (long long)a->id);
            break;
        }
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(v);
        return rc;
    }
    *out = v;
    *n = k;
    return SVP_OK;
}

/* ------------------------------------------------------------------ DASH assessments */

#define ASSESSMENT_MAX (64u * 1024u)

static const char *str_field(json_t *o, const char *key, bool required, struct svp_err *err,
                             int *rc)
{
    json_t *v = json_object_get(o, key);
    if (!v) {
        if (required)
            *rc = svp_err_at(err, SVP_EINPUT, "", 0, key, "missing");
        return NULL;
    }
    if (!json_is_string(v)) {
        *rc = svp_err_at(err, SVP_EINPUT, "", 0, key, "must be text");
        return NULL;
    }
    return json_string_value(v);
}

int triage_assessment_record(struct store *s, const struct triage_questions *qs,
                             const struct triage_criteria *c, const struct triage_set *set,
                             const char *text, svp_day today, struct triage_dash_result *res,
                             struct svp_err *err)
{
    if (!text || strlen(text) > ASSESSMENT_MAX)
        return svp_err_set(err, SVP_EINPUT, "an assessment is a JSON object of at most 64 KiB");
    json_error_t je;
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return svp_err_at(err, SVP_EINPUT, "", o ? 0 : je.line, NULL, "not a JSON object%s%s",
                          o ? "" : ": ", o ? "" : je.text);
    }
    static const char *const known[] = {"incident", "form", "assessed_on", "agency",
                                        "answers",  "level", "reason",     NULL};
    int rc = SVP_OK;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        bool ok = false;
        for (size_t i = 0; known[i]; i++)
            ok |= !strcmp(known[i], k);
        if (!ok && rc == SVP_OK)
            rc = svp_err_at(err, SVP_EINPUT, "", 0, NULL, "unknown field '%.40s'", k);
    }
    const char *incident = rc ? NULL : str_field(o, "incident", true, err, &rc);
    const char *form_s = rc ? NULL : str_field(o, "form", true, err, &rc);
    const char *on_s = rc ? NULL : str_field(o, "assessed_on", true, err, &rc);
    const char *agency = rc ? NULL : str_field(o, "agency", true, err, &rc);
    const char *level_s = rc ? NULL : str_field(o, "level", true, err, &rc);
    const char *reason = rc ? NULL : str_field(o, "reason", false, err, &rc);
    long i = -1;
    if (rc == SVP_OK && (i = find_ref(set, incident)) < 0)
        rc = svp_err_at(err, SVP_ENOTFOUND, "", 0, "incident", "no incident %.64s", incident);
    if (rc == SVP_OK && set->v[i].problem)
        rc = svp_err_at(err, SVP_EINPUT, "", 0, "incident",
                        "incident %.64s cannot be assessed: %s", incident, set->v[i].problem);
    struct triage_dash d = {0};
    if (rc == SVP_OK) {
        struct svp_err ferr;
        if (triage_form_parse(form_s, &d.form, &ferr))
            rc = svp_err_at(err, SVP_EINPUT, "", 0, "form", "%s", ferr.msg);
    }
    svp_day on = 0;
    if (rc == SVP_OK && svp_date_parse_iso(on_s, strlen(on_s), &on, err))
        rc = svp_err_at(err, SVP_EINPUT, "", 0, "assessed_on", "not a date YYYY-MM-DD");
    if (rc == SVP_OK && on > today)
        rc = svp_err_at(err, SVP_EINPUT, "", 0, "assessed_on", "in the future");
    if (rc == SVP_OK && on < set->v[i].day)
        rc = svp_err_at(err, SVP_EINPUT, "", 0, "assessed_on", "before the incident");
    if (rc == SVP_OK)
        rc = triage_agency_check(agency, err);
    enum triage_level judged = rc ? TRIAGE_LEVEL_NONE : triage_level_parse(level_s);
    if (rc == SVP_OK && !judged)
        rc = svp_err_at(err, SVP_EINPUT, "", 0, "level", "use standard, medium or high");
    if (rc == SVP_OK && reason)
        rc = text_check("reason", reason, TRIAGE_TEXT_MAX, err);
    json_t *answers = rc ? NULL : json_object_get(o, "answers");
    if (rc == SVP_OK && !json_is_object(answers))
        rc = svp_err_at(err, SVP_EINPUT, "", 0, "answers",
                        "must be an object of question id to answer");
    json_object_foreach(rc ? NULL : answers, k, v)
    {
        if (!json_is_string(v)) {
            rc = svp_err_at(err, SVP_EINPUT, "", 0, "answers", "question %.20s: answer must be "
                            "text", k);
            break;
        }
        struct svp_err aerr;
        if (triage_dash_set(qs, &d, k, json_string_value(v), &aerr)) {
            rc = svp_err_at(err, SVP_EINPUT, "", 0, "answers", "%s", aerr.msg);
            break;
        }
    }
    struct triage_dash_result r = {0};
    if (rc == SVP_OK) {
        triage_dash_assess(qs, c, &d, judged, &r);
        if ((r.criteria & TRIAGE_CRIT_JUDGEMENT) && !reason)
            rc = svp_err_at(err, SVP_EINPUT, "", 0, "reason",
                            "high by professional judgement (%d yes, below %d) needs a reason",
                            r.yes, c->high_risk_yes);
    }
    char *answers_text = rc ? NULL : svp_json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    if (rc == SVP_OK && !answers_text)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory recording an assessment");
    if (rc == SVP_OK) {
        char now[32];
        now_text(now, sizeof now);
        struct store_stmt *st = NULL;
        rc = store_prepare(s,
                           "INSERT INTO da_assessment (incident_ref, form, assessed_on, agency, "
                           "answers, judged, reason, yes_count, level, created_at) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           &st, err);
        if (rc == SVP_OK &&
            (store_bind_text(st, 1, incident, -1) ||
             store_bind_text(st, 2, triage_form_name(d.form), -1) ||
             store_bind_text(st, 3, on_s, -1) || store_bind_text(st, 4, agency, -1) ||
             store_bind_text(st, 5, answers_text, -1) ||
             store_bind_text(st, 6, triage_level_name(judged), -1) ||
             store_bind_text(st, 7, reason, -1) || store_bind_int64(st, 8, r.yes) ||
             store_bind_text(st, 9, triage_level_name(r.level), -1) ||
             store_bind_text(st, 10, now, -1)))
            rc = bind_fail(&st, err);
        if (rc == SVP_OK) {
            rc = store_step(st, err);
            rc = rc < 0 ? rc : SVP_OK;
            store_finalize(&st);
        }
    }
    free(answers_text); /* jansson allocates with malloc */
    json_decref(o);
    if (rc == SVP_OK && res)
        *res = r;
    return rc;
}

/* ------------------------------------------------------------------ Encompass */

int triage_encompass_record(struct store *s, const struct triage_set *set, const char *incident,
                            const char *child_ref, svp_time at, struct svp_err *err)
{
    long i = find_ref(set, incident);
    if (i < 0)
        return svp_err_at(err, SVP_ENOTFOUND, "", 0, "incident", "no incident %.64s",
                          incident ? incident : "");
    const struct triage_incident *inc = &set->v[i];
    long k = -1;
    for (size_t j = 0; child_ref && j < inc->nchildren; j++)
        if (inc->child_refs && !strcmp(inc->child_refs[j], child_ref))
            k = (long)j;
    if (k < 0)
        return svp_err_at(err, SVP_ENOTFOUND, "", 0, "child",
                          "no child %.32s is recorded as present at incident %.64s",
                          child_ref ? child_ref : "", incident);
    if (inc->told && inc->told[k])
        return svp_err_set(err, SVP_ECONFLICT,
                           "the school of child %.32s was already told about incident %.64s",
                           child_ref, incident);
    if (at < inc->at)
        return svp_err_at(err, SVP_EINPUT, "", 0, "at", "before the incident");
    char when[32], now[32];
    svp_time_format(at, when, sizeof when);
    now_text(now, sizeof now);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "INSERT INTO da_encompass (incident_ref, child_ref, notified_at, "
                           "created_at) VALUES (?, ?, ?, ?)",
                           &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, incident, -1) || store_bind_text(st, 2, child_ref, -1) ||
        store_bind_text(st, 3, when, -1) || store_bind_text(st, 4, now, -1))
        return bind_fail(&st, err);
    rc = store_step(st, err);
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}
