/* Domestic abuse triage: the daily call's list (and its XLSX export), the actions set at
 * the call, and the MARAC data return, from the triage room's functions behind `svp da`,
 * so the page, the export and the command agree. Each person passes the one check
 * (http_check_person: agency scope, pseudonyms); a case whose victim the viewer may not
 * see is withheld with its actions; the audit entry names everyone shown. */
#include "clock/clock.h"
#include "http_int.h"
#include "triage/triage.h"

#include <string.h>

struct da_ctx {
    struct triage_questions qs;
    struct triage_criteria c;
    struct svp_calendar *cal;
    struct triage_set *set;
};

/* skip: TRIAGE_SKIP_* (the call and its actions need no households) */
static int ctx_open(struct http_req *req, struct da_ctx *x, unsigned skip, struct svp_err *err)
{
    memset(x, 0, sizeof *x);
    int rc = triage_questions_load(NULL, &x->qs, err);
    if (rc == SVP_OK)
        rc = triage_criteria_load(NULL, &x->c, err);
    if (rc == SVP_OK)
        rc = clock_calendar_load(req->db, &x->cal, err);
    if (rc == SVP_OK)
        rc = triage_set_load_some(req->db, &x->qs, &x->c, skip, &x->set, err);
    return rc;
}

static void ctx_close(struct da_ctx *x)
{
    triage_set_free(&x->set);
    svp_calendar_free(&x->cal);
}

static bool query_day(struct http_req *req, const char *name, svp_day dflt, svp_day *out)
{
    const char *v = NULL;
    *out = dflt;
    if (!http_req_query(req, name, 10, &v))
        return false;
    if (!v || !*v)
        return true;
    struct svp_err err;
    if (svp_date_parse_iso(v, strlen(v), out, &err)) {
        http_reply_error(req, 400, name, "must be a date YYYY-MM-DD");
        return false;
    }
    return true;
}

/* The viewer of triage_call_json for this request: who it shows goes into seen. */
struct viewer_ctx {
    struct http_req *req;
    struct svp_buf *seen;
};

/* A person as this request may see them: a pseudonym, "not shared with your agency", or
 * the name with the agencies that know them. */
static int view_person(void *ctx, triage_subject who, bool child, json_t **out,
                       struct svp_err *err)
{
    struct viewer_ctx *v = ctx;
    struct http_req *req = v->req;
    bool record = who < 0;
    enum access_object kind = record ? ACCESS_OBJ_RECORD : ACCESS_OBJ_PERSON;
    int64_t id = record ? -who : who;
    if (req->decision.scope_agency[0]) {
        struct access_decision d;
        int rc = http_check_person(req, kind, id, &d, err);
        if (rc)
            return rc;
        if (!d.allowed) {
            *out = json_pack("{s:s}", "name", "not shared with your agency");
            return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
    }
    if (http_seen_add(v->seen, kind, id))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (req->decision.pseudonymise) {
        char pseudo[32];
        int rc = access_pseudonym(req->db, record ? 'R' : 'P', id, pseudo, sizeof pseudo, err);
        if (rc)
            return rc;
        *out = json_pack("{s:s}", "name", pseudo);
        return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    struct triage_person p;
    int rc = triage_person_describe(req->db, who, &p, err);
    if (rc)
        return rc;
    /* the page links the name to the person's (or the unlinked record's) page, where the
     * same check decides again */
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "name", p.name, "dob", p.dob,
                     "agencies", p.agencies, "plans", p.plans, "school", child ? p.school : "",
                     record ? "record_id" : "person_id", (json_int_t)id);
    return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
}

/* Whether this request may see incident inc: a user scoped to an agency sees it only when
 * the sharing rules (docs/sharing.md) let them see the victim's domestic abuse records
 * (category da_victim, held by the police, who record every DA incident). */
static int view_case(void *ctx, const struct triage_incident *inc, bool *ok,
                     struct svp_err *err)
{
    struct http_req *req = ((struct viewer_ctx *)ctx)->req;
    *ok = true;
    if (!req->decision.scope_agency[0] || !inc->victim)
        return SVP_OK;
    bool record = inc->victim < 0;
    struct access_decision d;
    int rc = http_check_person(req, record ? ACCESS_OBJ_RECORD : ACCESS_OBJ_PERSON,
                               record ? -inc->victim : inc->victim, &d, err);
    if (rc)
        return rc;
    *ok = d.allowed && access_view_allows(&d.view, "police", ACCESS_CAT_DA_VICTIM);
    return SVP_OK;
}

/* The call on ?date= (default today) as this request may see it; owned in *out, everyone
 * shown in seen. Replies (400) and returns false for a bad date; other errors in *rc. */
static bool call_for_request(struct http_req *req, json_t **out, char *day_text, size_t cap,
                             struct svp_buf *seen, int *rc, struct svp_err *err)
{
    svp_day today = svp_date_today(), day;
    *out = NULL;
    *rc = SVP_OK;
    if (!query_day(req, "date", today, &day))
        return false;
    svp_date_format(day, day_text, cap);
    struct da_ctx x;
    struct triage_call call = {0};
    struct triage_action *acts = NULL;
    size_t nacts = 0;
    *rc = ctx_open(req, &x, TRIAGE_SKIP_HOUSEHOLDS, err);
    if (*rc == SVP_OK)
        *rc = triage_call_build(x.set, x.cal, &x.c, day, today, &call, err);
    if (*rc == SVP_OK)
        *rc = triage_actions_open(req->db, day, &acts, &nacts, err);
    struct viewer_ctx vc = {req, seen};
    struct triage_viewer v = {view_person, view_case, &vc};
    if (*rc == SVP_OK)
        *rc = triage_call_json(req->db, x.set, &call, acts, nacts, &v, out, err);
    if (*rc == SVP_OK &&
        json_object_set_new(*out, "pseudonymised", json_boolean(req->decision.pseudonymise)))
        *rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    triage_call_free(&call);
    svp_free(acts);
    ctx_close(&x);
    return true;
}

void api_da_call(struct http_req *req)
{
    json_t *out = NULL;
    char day[16], object[32], detail[64];
    struct svp_err err;
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    int rc;
    if (!call_for_request(req, &out, day, sizeof day, &seen, &rc, &err)) {
        svp_buf_free(&seen);
        return;
    }
    if (rc) {
        json_decref(out);
        svp_buf_free(&seen);
        http_reply_status(req, &err);
        return;
    }
    snprintf(object, sizeof object, "da_call:%s", day);
    snprintf(detail, sizeof detail, "%zu cases",
             json_array_size(json_object_get(out, "cases")));
    bool audited = http_audit_seen(req, "view", object, detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}

void api_da_call_export(struct http_req *req)
{
    json_t *call = NULL;
    char day[16], object[32], detail[64];
    char *bytes = NULL;
    size_t len = 0;
    struct svp_err err;
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    int rc;
    if (!call_for_request(req, &call, day, sizeof day, &seen, &rc, &err)) {
        svp_buf_free(&seen);
        return;
    }
    if (rc == SVP_OK)
        rc = triage_call_xlsx(call, NULL, &bytes, &len, &err);
    size_t ncases = json_array_size(json_object_get(call, "cases"));
    json_decref(call);
    if (rc) {
        svp_buf_free(&seen);
        http_reply_status(req, &err);
        return;
    }
    snprintf(object, sizeof object, "da_call:%s", day);
    snprintf(detail, sizeof detail, "call as XLSX: %zu cases", ncases);
    bool audited = http_audit_seen(req, "export", object, detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        svp_free(bytes);
        return;
    }
    req->reply_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    http_reply_text(req, 200, bytes, len);
}

/* Loads the set and checks that this request may see incident ref (404 when there is no
 * such incident or the viewer may not see it: the same answer, so nothing is learnt).
 * Replies and returns false when it may not go on. */
static bool incident_for_change(struct http_req *req, struct da_ctx *x, const char *ref)
{
    struct svp_err err;
    int rc = ctx_open(req, x, TRIAGE_SKIP_HOUSEHOLDS, &err);
    long found = -1;
    for (size_t i = 0; rc == SVP_OK && ref && i < x->set->n; i++)
        if (!strcmp(x->set->v[i].ref, ref)) {
            found = (long)i;
            break;
        }
    bool ok = found >= 0;
    struct viewer_ctx vc = {req, NULL};
    if (rc == SVP_OK && ok)
        rc = view_case(&vc, &x->set->v[found], &ok, &err);
    if (rc) {
        ctx_close(x);
        http_reply_status(req, &err);
        return false;
    }
    if (!ok) {
        ctx_close(x);
        http_reply_error(req, 404, "incident", "no incident %.64s that you may see",
                         ref ? ref : "");
        return false;
    }
    return true;
}

/* ?date= or the body's "date": the call's day, not in the future (default today). */
static bool change_day(struct http_req *req, const char *date, svp_day *day)
{
    svp_day today = svp_date_today();
    struct svp_err err;
    *day = today;
    if (date && *date && svp_date_parse_iso(date, strlen(date), day, &err)) {
        http_reply_error(req, 400, "date", "must be a date YYYY-MM-DD");
        return false;
    }
    if (*day > today) {
        http_reply_error(req, 400, "date", "is in the future");
        return false;
    }
    return true;
}

static void reply_action(struct http_req *req, int rc, const struct svp_err *err, int64_t id)
{
    if (rc) {
        http_reply_status(req, err);
        return;
    }
    http_reply_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* The call's two writes, each with its audit entry in one transaction
 * (http_change_audited). */
struct action_write {
    const struct triage_set *set; /* adding: the call's incidents */
    struct triage_action *a;      /* adding */
    int64_t id;                   /* done: the action; adding: its new id */
    svp_day day;                  /* done */
    const char *incident;
};

static int action_write(struct store *db, void *ctx, char *object, size_t cap,
                        struct svp_err *err)
{
    struct action_write *w = ctx;
    snprintf(object, cap, "da_incident:%s", w->incident);
    return w->a ? triage_action_add(db, w->set, w->a, &w->id, err)
                : triage_action_done(db, w->id, w->day, err);
}

void api_da_action_add(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"incident", JSON_STRING, true, TRIAGE_REF_MAX - 1},
        {"agency", JSON_STRING, true, 15},
        {"action", JSON_STRING, true, TRIAGE_TEXT_MAX},
        {"owner", JSON_STRING, true, 80},
        {"due", JSON_STRING, true, 10},
        {"date", JSON_STRING, false, 10},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
#define S(k) json_string_value(json_object_get(body, k))
    struct triage_action a = {0};
    svp_day day;
    struct svp_err err;
    if (!change_day(req, S("date"), &day)) {
        json_decref(body);
        return;
    }
    if (svp_date_parse_iso(S("due"), strlen(S("due")), &a.due, &err)) {
        json_decref(body);
        http_reply_error(req, 400, "due", "must be a date YYYY-MM-DD");
        return;
    }
    svp_strlcpy(a.incident, S("incident"), sizeof a.incident);
    svp_strlcpy(a.agency, S("agency"), sizeof a.agency);
    svp_strlcpy(a.action, S("action"), sizeof a.action);
    svp_strlcpy(a.owner, S("owner"), sizeof a.owner);
#undef S
    json_decref(body);
    a.set_on = day;
    struct da_ctx x;
    if (!incident_for_change(req, &x, a.incident))
        return;
    struct action_write w = {.set = x.set, .a = &a, .incident = a.incident};
    int rc = http_change_audited(req, action_write, &w, "action set at the DA call", &err);
    ctx_close(&x);
    reply_action(req, rc, &err, w.id);
}

void api_da_action_done(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"id", JSON_INTEGER, true, 0},
        {"date", JSON_STRING, false, 10},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    int64_t id = (int64_t)json_integer_value(json_object_get(body, "id"));
    svp_day day;
    bool ok = change_day(req, json_string_value(json_object_get(body, "date")), &day);
    json_decref(body);
    if (!ok)
        return;
    /* The action's incident, to check the viewer may see it: an open action on the day. */
    struct triage_action *acts = NULL;
    size_t n = 0;
    struct svp_err err;
    int rc = triage_actions_open(req->db, day, &acts, &n, &err);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    char incident[TRIAGE_REF_MAX] = "";
    for (size_t k = 0; k < n; k++)
        if (acts[k].id == id)
            svp_strlcpy(incident, acts[k].incident, sizeof incident);
    svp_free(acts);
    if (!incident[0]) {
        http_reply_error(req, 404, "id", "no action %lld open on that day", (long long)id);
        return;
    }
    struct da_ctx x;
    if (!incident_for_change(req, &x, incident))
        return;
    ctx_close(&x);
    struct action_write w = {.id = id, .day = day, .incident = incident};
    rc = http_change_audited(req, action_write, &w, "action at the DA call done", &err);
    reply_action(req, rc, &err, id);
}

void api_da_figures(struct http_req *req)
{
    svp_day today = svp_date_today(), from, to;
    if (!query_day(req, "from", today - 364, &from) || !query_day(req, "to", today, &to))
        return;
    if (to < from) {
        http_reply_error(req, 400, "to", "the period ends before it starts");
        return;
    }
    struct svp_err err;
    struct da_ctx x;
    struct triage_figures f;
    int rc = ctx_open(req, &x, 0, &err);
    if (rc == SVP_OK)
        rc = triage_figures_compute(x.set, from, to, &f, &err);
    ctx_close(&x);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    char a[12], b[12];
    svp_date_format(from, a, sizeof a);
    svp_date_format(to, b, sizeof b);
    json_t *agencies = json_array();
    for (size_t k = 0; agencies && k < f.nby_agency; k++)
        if (json_array_append_new(agencies, json_pack("{s:s, s:I}", "agency",
                                                      f.by_agency[k].agency, "cases",
                                                      (json_int_t)f.by_agency[k].cases))) {
            json_decref(agencies);
            agencies = NULL;
        }
    json_t *out =
        json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
                  "s:I, s:I, s:I, s:I, s:I}",
                  "from", a, "to", b, "incidents", (json_int_t)f.incidents, "cases",
                  (json_int_t)f.cases, "repeat_cases", (json_int_t)f.repeat_cases, "children",
                  (json_int_t)f.children, "referrals_police", (json_int_t)f.by_agency_police,
                  "referrals_other", (json_int_t)f.by_agency_other, "victims_male",
                  (json_int_t)f.victims_male, "victims_bme", (json_int_t)f.victims_bme,
                  "victims_disabled", (json_int_t)f.victims_disabled, "victims_lgbt",
                  (json_int_t)f.victims_lgbt, "meets_criteria", (json_int_t)f.meets_criteria,
                  "meets_not_referred", (json_int_t)f.meets_not_referred, "crit_visible",
                  (json_int_t)f.crit_visible, "crit_judgement", (json_int_t)f.crit_judgement,
                  "crit_escalation", (json_int_t)f.crit_escalation, "crit_repeat",
                  (json_int_t)f.crit_repeat, "serial_perpetrators",
                  (json_int_t)f.serial_perpetrators, "repeat_victims",
                  (json_int_t)f.repeat_victims);
    if (!out || !agencies) {
        json_decref(out);
        json_decref(agencies);
        out = NULL;
    } else if (json_object_set_new(out, "referrals_by_agency", agencies)) {
        json_decref(out); /* (set_new took agencies) */
        out = NULL;
    }
    http_reply_json(req, 200, out); /* NULL: a 500 */
}
