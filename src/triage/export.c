/* The daily call as partners receive it: one JSON document (what GET /api/v1/da/call
 * answers and what `svp da call --xlsx` writes) built once here, with the caller deciding
 * how each person is shown (the web application: the need-to-know check and pseudonyms;
 * the command line: in full), and the same document written as a workbook through
 * base/xlsx.h, the one export path. */
#include "base/xlsx.h"
#include "triage.h"

#include <string.h>

static int nomem(struct svp_err *err)
{
    return svp_err_set(err, SVP_ENOMEM, "out of memory building the call");
}

/* The full description (the command line's viewer). */
static int describe(struct store *s, triage_subject who, bool child, json_t **out,
                    struct svp_err *err)
{
    struct triage_person p;
    int rc = triage_person_describe(s, who, &p, err);
    if (rc)
        return rc;
    *out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", p.name, "dob", p.dob, "agencies",
                     p.agencies, "plans", p.plans, "school", child ? p.school : "");
    return *out ? SVP_OK : nomem(err);
}

static int person(struct store *s, const struct triage_viewer *v, triage_subject who,
                  bool child, json_t **out, struct svp_err *err)
{
    *out = NULL;
    if (!who) {
        *out = json_null();
        return SVP_OK;
    }
    if (v && v->person)
        return v->person(v->ctx, who, child, out, err);
    return describe(s, who, child, out, err);
}

static json_t *criteria_json(unsigned c)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{TRIAGE_CRIT_VISIBLE_HIGH, "visible_high_risk"},
                 {TRIAGE_CRIT_JUDGEMENT, "professional_judgement"},
                 {TRIAGE_CRIT_ESCALATION, "potential_escalation"},
                 {TRIAGE_CRIT_REPEAT, "repeat_marac"}};
    json_t *a = json_array();
    for (size_t i = 0; a && i < sizeof names / sizeof names[0]; i++)
        if ((c & names[i].bit) && json_array_append_new(a, json_string(names[i].name))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *action_json(const struct triage_action *a, bool with_incident)
{
    char due[16], on[16];
    svp_date_format(a->due, due, sizeof due);
    svp_date_format(a->set_on, on, sizeof on);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)a->id, "agency",
                          a->agency, "action", a->action, "owner", a->owner, "due", due,
                          "set_on", on);
    if (o && with_incident && json_object_set_new(o, "incident", json_string(a->incident))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int case_json(struct store *s, const struct triage_set *set, size_t i,
                     const struct triage_action *acts, size_t nacts,
                     const struct triage_viewer *v, json_t **out, struct svp_err *err)
{
    const struct triage_incident *inc = &set->v[i];
    char at[24];
    svp_time_format(inc->at, at, sizeof at);
    json_t *victim = NULL, *perp = NULL, *kids = json_array(), *actions = json_array();
    int rc = kids && actions ? SVP_OK : nomem(err);
    if (rc == SVP_OK)
        rc = person(s, v, inc->victim, false, &victim, err);
    if (rc == SVP_OK)
        rc = person(s, v, inc->perpetrator, false, &perp, err);
    for (size_t k = 0; rc == SVP_OK && k < inc->nchildren; k++) {
        json_t *c = NULL;
        rc = person(s, v, inc->children[k], true, &c, err);
        if (rc == SVP_OK && json_array_append_new(kids, c))
            rc = nomem(err);
    }
    for (size_t k = 0; rc == SVP_OK && k < nacts; k++)
        if (!strcmp(acts[k].incident, inc->ref) &&
            json_array_append_new(actions, action_json(&acts[k], false)))
            rc = nomem(err);
    struct triage_history h = {0};
    if (rc == SVP_OK)
        rc = triage_history_of(set, i, &h, err);
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
    return *out ? SVP_OK : nomem(err);
}

static bool in_call(const struct triage_set *set, const struct triage_call *call,
                    const char *ref)
{
    for (size_t j = 0; j < call->cases.n; j++)
        if (!strcmp(ref, set->v[call->cases.v[j]].ref))
            return true;
    return false;
}

/* Whether the viewer may see the incident an action belongs to (false when the incident
 * is no longer in the set, or the check fails: an action is shown only when it may be). */
static int action_visible(const struct triage_set *set, const struct triage_viewer *v,
                          const char *ref, bool *ok, struct svp_err *err)
{
    *ok = true;
    if (!v || !v->visible)
        return SVP_OK;
    *ok = false;
    for (size_t j = 0; j < set->n; j++)
        if (!strcmp(set->v[j].ref, ref))
            return v->visible(v->ctx, &set->v[j], ok, err);
    return SVP_OK;
}

int triage_call_json(struct store *s, const struct triage_set *set,
                     const struct triage_call *call, const struct triage_action *acts,
                     size_t nacts, const struct triage_viewer *v, json_t **out,
                     struct svp_err *err)
{
    *out = NULL;
    json_t *cases = json_array(), *carried = json_array();
    int rc = cases && carried ? SVP_OK : nomem(err);
    json_int_t withheld = 0;
    for (size_t k = 0; rc == SVP_OK && k < call->cases.n; k++) {
        size_t i = call->cases.v[k];
        bool ok = true;
        if (v && v->visible)
            rc = v->visible(v->ctx, &set->v[i], &ok, err);
        if (rc == SVP_OK && !ok) {
            withheld++;
            continue;
        }
        json_t *c = NULL;
        if (rc == SVP_OK)
            rc = case_json(s, set, i, acts, nacts, v, &c, err);
        if (rc == SVP_OK && json_array_append_new(cases, c))
            rc = nomem(err);
    }
    /* actions on earlier cases, carried until done */
    for (size_t k = 0; rc == SVP_OK && k < nacts; k++) {
        if (in_call(set, call, acts[k].incident))
            continue;
        bool ok = true;
        rc = action_visible(set, v, acts[k].incident, &ok, err);
        if (rc == SVP_OK && ok && json_array_append_new(carried, action_json(&acts[k], true)))
            rc = nomem(err);
    }
    if (rc) {
        json_decref(cases);
        json_decref(carried);
        return rc;
    }
    char d[16], prev[16], from[24], to[24];
    svp_date_format(call->day, d, sizeof d);
    svp_date_format(call->previous, prev, sizeof prev);
    svp_time_format(call->from, from, sizeof from);
    svp_time_format(call->to, to, sizeof to);
    *out = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:I}", "date", d, "previous", prev, "from",
                     from, "to", to, "cases", cases, "carried", carried, "withheld", withheld);
    return *out ? SVP_OK : nomem(err);
}

/* ------------------------------------------------------------------ the workbook */

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static double num(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

/* "YYYY-MM-DDTHH:MM:SSZ" as "YYYY-MM-DD HH:MM". */
static void when(const char *iso, char *buf, size_t cap)
{
    snprintf(buf, cap, "%.10s %.5s", iso, strlen(iso) >= 16 ? iso + 11 : "");
}

static const char *criterion_text(const char *name)
{
    return !strcmp(name, "visible_high_risk")        ? "visible high risk"
           : !strcmp(name, "professional_judgement") ? "professional judgement"
           : !strcmp(name, "potential_escalation")   ? "potential escalation"
           : !strcmp(name, "repeat_marac")           ? "repeat MARAC"
                                                     : name;
}

static void write_summary(lxw_worksheet *ws, lxw_format *bold, const json_t *call)
{
    char from[24], to[24];
    when(str(call, "from"), from, sizeof from);
    when(str(call, "to"), to, sizeof to);
    const char *rows[][2] = {
        {"Domestic abuse conference call", str(call, "date")},
        {"Previous call", str(call, "previous")},
        {"Incidents from", from},
        {"Incidents to", to},
    };
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 1, 20, NULL);
    lxw_row_t r = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++, r++) {
        worksheet_write_string(ws, r, 0, rows[i][0], bold);
        worksheet_write_string(ws, r, 1, rows[i][1], NULL);
    }
    worksheet_write_string(ws, r, 0, "Cases", bold);
    worksheet_write_number(ws, r++, 1, (double)json_array_size(json_object_get(call, "cases")),
                           NULL);
    json_int_t withheld = json_integer_value(json_object_get(call, "withheld"));
    if (withheld) {
        worksheet_write_string(ws, r, 0, "Cases your agency may not see", bold);
        worksheet_write_number(ws, r++, 1, (double)withheld, NULL);
    }
    if (json_is_true(json_object_get(call, "pseudonymised")))
        worksheet_write_string(ws, r++, 0, "Names are pseudonymised", bold);
}

/* name, born, known to, open plans of a person (null: not recorded). */
static void write_person(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const json_t *p)
{
    if (!json_is_object(p)) {
        worksheet_write_string(ws, r, c, "not recorded", NULL);
        return;
    }
    worksheet_write_string(ws, r, c, str(p, "name"), NULL);
    worksheet_write_string(ws, r, c + 1, str(p, "dob"), NULL);
    worksheet_write_string(ws, r, c + 2, str(p, "agencies"), NULL);
    worksheet_write_string(ws, r, c + 3, str(p, "plans"), NULL);
}

static void write_cases(lxw_worksheet *ws, lxw_format *bold, const json_t *cases)
{
    static const char *const cols[] = {
        "No", "Incident", "When", "Level", "Assessed", "DASH yes", "DASH asked",
        "MARAC criteria", "Referral recorded", "Cannot triage", "Victim", "Victim born",
        "Victim known to", "Victim open plans", "Alleged perpetrator", "Perpetrator born",
        "Perpetrator known to", "Perpetrator open plans", "Children present",
        "Earlier between them", "Victim with other partners",
        "Perpetrator against other victims", "Earlier MARAC referrals", "Open actions"};
    int n = (int)(sizeof cols / sizeof cols[0]);
    svp_xlsx_header(ws, bold, cols, n);
    worksheet_set_column(ws, 1, 2, 18, NULL);
    worksheet_set_column(ws, 7, 7, 30, NULL);
    worksheet_set_column(ws, 10, 10, 24, NULL);
    worksheet_set_column(ws, 14, 14, 24, NULL);
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c)
    {
        lxw_row_t r = (lxw_row_t)(i + 1);
        char at[24], crit[160] = "";
        when(str(c, "at"), at, sizeof at);
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(c, "criteria"), k, x)
        {
            size_t l = strlen(crit);
            snprintf(crit + l, sizeof crit - l, "%s%s", l ? "; " : "",
                     criterion_text(json_string_value(x) ? json_string_value(x) : ""));
        }
        const json_t *h = json_object_get(c, "history");
        worksheet_write_number(ws, r, 0, (double)(i + 1), NULL);
        worksheet_write_string(ws, r, 1, str(c, "ref"), NULL);
        worksheet_write_string(ws, r, 2, at, NULL);
        worksheet_write_string(ws, r, 3, str(c, "level"), NULL);
        worksheet_write_string(ws, r, 4, str(c, "assessed"), NULL);
        if (json_is_true(json_object_get(c, "has_dash"))) {
            worksheet_write_number(ws, r, 5, num(c, "dash_yes"), NULL);
            worksheet_write_number(ws, r, 6, num(c, "dash_asked"), NULL);
        }
        worksheet_write_string(ws, r, 7, crit, NULL);
        bool referred = json_is_true(json_object_get(c, "referred"));
        worksheet_write_string(ws, r, 8, referred ? "yes" : "no", NULL);
        worksheet_write_string(ws, r, 9, str(c, "problem"), NULL);
        write_person(ws, r, 10, json_object_get(c, "victim"));
        write_person(ws, r, 14, json_object_get(c, "perpetrator"));
        worksheet_write_number(ws, r, 18, (double)json_array_size(json_object_get(c, "children")),
                               NULL);
        worksheet_write_number(ws, r, 19, num(h, "same_pair"), NULL);
        worksheet_write_number(ws, r, 20, num(h, "victim_other"), NULL);
        worksheet_write_number(ws, r, 21, num(h, "perpetrator_other"), NULL);
        worksheet_write_number(ws, r, 22, num(h, "referrals"), NULL);
        worksheet_write_number(ws, r, 23, (double)json_array_size(json_object_get(c, "actions")),
                               NULL);
    }
}

static void write_children(lxw_worksheet *ws, lxw_format *bold, const json_t *cases)
{
    static const char *const cols[] = {"Incident", "Child present", "Born", "Known to",
                                       "Open plans", "School"};
    svp_xlsx_header(ws, bold, cols, 6);
    worksheet_set_column(ws, 0, 1, 24, NULL);
    worksheet_set_column(ws, 5, 5, 30, NULL);
    size_t i, k;
    json_t *c, *p;
    lxw_row_t r = 1;
    json_array_foreach(cases, i, c)
    {
        json_array_foreach(json_object_get(c, "children"), k, p)
        {
            worksheet_write_string(ws, r, 0, str(c, "ref"), NULL);
            write_person(ws, r, 1, p);
            if (json_is_object(p))
                worksheet_write_string(ws, r, 5, str(p, "school")[0] ? str(p, "school")
                                                                     : "not recorded",
                                       NULL);
            r++;
        }
    }
}

static void action_row(lxw_worksheet *ws, lxw_row_t r, const char *incident, const json_t *a,
                       bool carried)
{
    worksheet_write_string(ws, r, 0, incident, NULL);
    worksheet_write_number(ws, r, 1, num(a, "id"), NULL);
    worksheet_write_string(ws, r, 2, str(a, "agency"), NULL);
    worksheet_write_string(ws, r, 3, str(a, "action"), NULL);
    worksheet_write_string(ws, r, 4, str(a, "owner"), NULL);
    worksheet_write_string(ws, r, 5, str(a, "due"), NULL);
    worksheet_write_string(ws, r, 6, str(a, "set_on"), NULL);
    worksheet_write_string(ws, r, 7, carried ? "yes" : "no", NULL);
}

static void write_actions(lxw_worksheet *ws, lxw_format *bold, const json_t *call)
{
    static const char *const cols[] = {"Incident", "Action", "Agency", "What", "Owner",
                                       "Due", "Set on", "Carried from an earlier call"};
    svp_xlsx_header(ws, bold, cols, 8);
    worksheet_set_column(ws, 0, 0, 18, NULL);
    worksheet_set_column(ws, 3, 3, 60, NULL);
    worksheet_set_column(ws, 4, 4, 24, NULL);
    size_t i, k;
    json_t *c, *a;
    lxw_row_t r = 1;
    json_array_foreach(json_object_get(call, "cases"), i, c)
    {
        json_array_foreach(json_object_get(c, "actions"), k, a)
        {
            action_row(ws, r++, str(c, "ref"), a, false);
        }
    }
    json_array_foreach(json_object_get(call, "carried"), k, a)
    {
        action_row(ws, r++, str(a, "incident"), a, true);
    }
}

static void fill(lxw_workbook *wb, lxw_format *bold, void *ctx)
{
    const json_t *call = ctx, *cases = json_object_get(call, "cases");
    write_summary(workbook_add_worksheet(wb, "Call"), bold, call);
    write_cases(workbook_add_worksheet(wb, "Cases"), bold, cases);
    write_children(workbook_add_worksheet(wb, "Children"), bold, cases);
    write_actions(workbook_add_worksheet(wb, "Actions"), bold, call);
}

int triage_call_xlsx(const json_t *call, const char *path, char **out, size_t *len,
                     struct svp_err *err)
{
    char title[64];
    snprintf(title, sizeof title, "Domestic abuse conference call %s", str(call, "date"));
    if (path)
        return svp_xlsx_write(path, title, fill, (void *)call, err);
    return svp_xlsx_bytes(title, fill, (void *)call, out, len, err);
}
