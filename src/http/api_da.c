/* Domestic abuse triage: the daily call's list and the MARAC data return, from the triage
 * room's functions behind `svp da call` and `svp da figures`, so the page and the command
 * agree. Names pass the access check for each person (agency scope, pseudonyms); the call
 * is audited before anything is shown. */
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

static int ctx_open(struct http_req *req, struct da_ctx *x, struct svp_err *err)
{
    memset(x, 0, sizeof *x);
    int rc = triage_questions_load(NULL, &x->qs, err);
    if (rc == SVP_OK)
        rc = triage_criteria_load(NULL, &x->c, err);
    if (rc == SVP_OK)
        rc = clock_calendar_load(req->db, &x->cal, err);
    if (rc == SVP_OK)
        rc = triage_set_load(req->db, &x->qs, &x->c, &x->set, err);
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

/* A person as this request may see them: null when not recorded, a pseudonym, "not shared
 * with your agency", or the name with the agencies that know them. */
static int person_json(struct http_req *req, triage_subject who, bool child, json_t **out,
                       struct svp_err *err)
{
    *out = json_null();
    if (!who)
        return SVP_OK;
    bool record = who < 0;
    int64_t id = record ? -who : who;
    if (req->decision.scope_agency[0]) {
        struct access_decision d;
        int rc = http_check_person(req, record ? ACCESS_OBJ_RECORD : ACCESS_OBJ_PERSON, id, &d,
                                   err);
        if (rc)
            return rc;
        if (!d.allowed) {
            *out = json_pack("{s:s}", "name", "not shared with your agency");
            return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
    }
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
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", p.name, "dob", p.dob, "agencies",
                     p.agencies, "plans", p.plans, "school", child ? p.school : "");
    return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
}

static json_t *criteria_json(unsigned c)
{
    json_t *a = json_array();
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{TRIAGE_CRIT_VISIBLE_HIGH, "visible_high_risk"},
                 {TRIAGE_CRIT_JUDGEMENT, "professional_judgement"},
                 {TRIAGE_CRIT_ESCALATION, "potential_escalation"},
                 {TRIAGE_CRIT_REPEAT, "repeat_marac"}};
    for (size_t i = 0; a && i < 4; i++)
        if ((c & names[i].bit) && json_array_append_new(a, json_string(names[i].name))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* Whether this request may see incident i: a user scoped to an agency sees it only when
 * the sharing rules (docs/sharing.md) let them see the victim's domestic abuse records
 * (category da_victim, held by the police, who record every DA incident). */
static int case_visible(struct http_req *req, const struct triage_incident *inc, bool *ok,
                        struct svp_err *err)
{
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

static int case_json(struct http_req *req, const struct da_ctx *x, size_t i,
                     const struct triage_action *acts, size_t nacts, json_t **out,
                     struct svp_err *err)
{
    const struct triage_incident *inc = &x->set->v[i];
    char at[24];
    svp_time_format(inc->at, at, sizeof at);
    json_t *victim = NULL, *perp = NULL, *kids = json_array(), *actions = json_array();
    int rc = person_json(req, inc->victim, false, &victim, err);
    if (rc == SVP_OK)
        rc = person_json(req, inc->perpetrator, false, &perp, err);
    for (size_t k = 0; rc == SVP_OK && k < inc->nchildren; k++) {
        json_t *c = NULL;
        rc = person_json(req, inc->children[k], true, &c, err);
        if (rc == SVP_OK && json_array_append_new(kids, c))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    for (size_t k = 0; rc == SVP_OK && k < nacts; k++) {
        if (strcmp(acts[k].incident, inc->ref))
            continue;
        char due[12];
        svp_date_format(acts[k].due, due, sizeof due);
        if (json_array_append_new(actions,
                                  json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
                                            (json_int_t)acts[k].id, "agency", acts[k].agency,
                                            "action", acts[k].action, "owner", acts[k].owner,
                                            "due", due)))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    struct triage_history h = {0};
    if (rc == SVP_OK)
        rc = triage_history_of(x->set, i, &h, err);
    if (rc) {
        json_decref(victim);
        json_decref(perp);
        json_decref(kids);
        json_decref(actions);
        return rc;
    }
    *out = json_pack("{s:s, s:s, s:s, s:s, s:b, s:i, s:i, s:o, s:b, s:s?, s:o, s:o, s:o, "
                     "s:{s:I, s:I, s:I, s:I}, s:o}",
                     "ref", inc->ref, "at", at, "level", triage_level_name(inc->level),
                     "assessed", triage_level_name(inc->recorded), "has_dash", inc->has_dash,
                     "dash_yes", inc->dres.yes, "dash_asked", inc->dres.asked, "criteria",
                     criteria_json(inc->criteria), "referred", inc->referred, "problem",
                     inc->problem, "victim", victim, "perpetrator", perp, "children", kids,
                     "history", "same_pair", (json_int_t)h.same_pair.n, "victim_other",
                     (json_int_t)h.victim_other.n, "perpetrator_other",
                     (json_int_t)h.perp_other.n, "referrals", (json_int_t)h.referrals.n,
                     "actions", actions);
    triage_history_free(&h);
    return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
}

void api_da_call(struct http_req *req)
{
    svp_day today = svp_date_today(), day;
    if (!query_day(req, "date", today, &day))
        return;
    struct svp_err err;
    struct da_ctx x;
    struct triage_call call = {0};
    struct triage_action *acts = NULL;
    size_t nacts = 0;
    int rc = ctx_open(req, &x, &err);
    if (rc == SVP_OK)
        rc = triage_call_build(x.set, x.cal, &x.c, day, today, &call, &err);
    if (rc == SVP_OK)
        rc = triage_actions_open(req->db, day, &acts, &nacts, &err);
    char object[32], detail[64], dd[12];
    svp_date_format(day, dd, sizeof dd);
    snprintf(object, sizeof object, "da_call:%s", dd);
    snprintf(detail, sizeof detail, "%zu cases", call.cases.n);
    if (rc == SVP_OK && !http_audit(req, "view", object, detail)) {
        triage_call_free(&call);
        svp_free(acts);
        ctx_close(&x);
        return;
    }
    json_t *cases = rc ? NULL : json_array();
    json_int_t withheld = 0;
    for (size_t k = 0; rc == SVP_OK && k < call.cases.n; k++) {
        json_t *c = NULL;
        bool ok = true;
        rc = case_visible(req, &x.set->v[call.cases.v[k]], &ok, &err);
        if (rc == SVP_OK && !ok) {
            withheld++;
            continue;
        }
        if (rc == SVP_OK)
            rc = case_json(req, &x, call.cases.v[k], acts, nacts, &c, &err);
        if (rc == SVP_OK && json_array_append_new(cases, c))
            rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    }
    if (rc) {
        json_decref(cases);
        triage_call_free(&call);
        svp_free(acts);
        ctx_close(&x);
        http_reply_status(req, &err);
        return;
    }
    char d[12], prev[12], from[24], to[24];
    svp_date_format(call.day, d, sizeof d);
    svp_date_format(call.previous, prev, sizeof prev);
    svp_time_format(call.from, from, sizeof from);
    svp_time_format(call.to, to, sizeof to);
    json_t *carried = json_array();
    for (size_t k = 0; carried && k < nacts; k++) {
        bool here = false;
        for (size_t j = 0; j < call.cases.n; j++)
            here |= !strcmp(acts[k].incident, x.set->v[call.cases.v[j]].ref);
        /* a carried action is shown to those who may see its incident */
        for (size_t j = 0; !here && req->decision.scope_agency[0] && j < x.set->n; j++) {
            bool ok = true;
            if (!strcmp(x.set->v[j].ref, acts[k].incident) &&
                (case_visible(req, &x.set->v[j], &ok, &err) || !ok))
                here = true; /* (withheld, or the check failed: not shown) */
        }
        char due[12];
        svp_date_format(acts[k].due, due, sizeof due);
        if (!here)
            json_array_append_new(carried,
                                  json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                                            (json_int_t)acts[k].id, "incident",
                                            acts[k].incident, "agency", acts[k].agency,
                                            "action", acts[k].action, "owner", acts[k].owner,
                                            "due", due));
    }
    http_reply_json(req, 200,
                    json_pack("{s:s, s:s, s:s, s:s, s:o, s:o?, s:b, s:I}", "date", d,
                              "previous", prev, "from", from, "to", to, "cases", cases,
                              "carried", carried, "pseudonymised", req->decision.pseudonymise,
                              "withheld", withheld));
    triage_call_free(&call);
    svp_free(acts);
    ctx_close(&x);
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
    int rc = ctx_open(req, &x, &err);
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
    http_reply_json(
        req, 200,
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
                  (json_int_t)f.repeat_victims));
}
