/* The panel meeting: the children on the Vulnerability Tracker's list with what the panel
 * decided about each (owner, RAG, next review, decision, day discussed), every discussion
 * kept, and the actions agreed; recording a discussion or an action; the pack as XLSX.
 * The list comes from the risk panel kept per data version (http_risk_panel), the decisions
 * from the panel register (registers room: reg_panel_*). Personal data: audited. */
#include "http_int.h"
#include "registers/registers.h"
#include "risk/risk.h"

#include <stdlib.h>
#include <string.h>

/* Reasons shown per child in the meeting view and the pack. */
#define MEETING_REASONS 5

static json_t *entry_fields(const struct reg_entry *e)
{
    json_t *o = json_object();
    if (o && json_object_set_new(o, "ref", json_string(e->ref))) {
        json_decref(o);
        return NULL;
    }
    for (size_t i = 0; o && i < e->schema->nfields; i++)
        if (e->values[i] &&
            json_object_set_new(o, e->schema->fields[i].name, json_string(e->values[i]))) {
            json_decref(o);
            return NULL;
        }
    if (o && json_object_set_new(o, "updated_at", json_string(e->updated_at))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The listed children (band medium or above), ranked, with MEETING_REASONS reasons each. */
static int listed_children(struct http_req *req, json_t *items, char *as_of, size_t cap,
                           struct svp_err *err)
{
    int64_t version;
    int rc = http_data_version(req, &version, err);
    if (rc)
        return rc;
    struct risk_panel *p = NULL;
    rc = http_risk_panel(req, version, &p, err);
    if (rc == HTTP_BUSY)
        return rc;
    if (rc == SVP_ECONFLICT) {
        svp_strlcpy(as_of, "", cap);
        return SVP_OK; /* not linked: nobody is listed yet */
    }
    if (!rc)
        svp_date_format(p->as_of, as_of, cap);
    /* ranked order: rank r sits at r - 1 */
    size_t n = 0;
    for (size_t i = 0; !rc && i < p->npersons; i++)
        if (p->persons[i].status == RISK_SCORED && p->persons[i].band >= RISK_BAND_MEDIUM &&
            p->persons[i].rank > 0)
            n++;
    struct risk_person **v = n ? svp_calloc(n, sizeof *v) : NULL;
    if (n && !v)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; !rc && i < p->npersons; i++)
        if (p->persons[i].status == RISK_SCORED && p->persons[i].band >= RISK_BAND_MEDIUM &&
            p->persons[i].rank > 0 && k < n)
            v[k++] = &p->persons[i];
    for (size_t i = 1; i < k; i++) /* insertion sort by rank: the list is short */
        for (size_t j = i; j > 0 && v[j - 1]->rank > v[j]->rank; j--) {
            struct risk_person *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    for (size_t i = 0; !rc && i < k; i++) {
        struct risk_person *rp = risk_panel_person(p, v[i]->person_id);
        json_t *o = rp ? risk_person_json(p, rp, MEETING_REASONS) : NULL;
        if (!o || json_object_set_new(o, "on_list", json_true()) ||
            json_array_append_new(items, o))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    svp_free(v);
    if (p)
        http_objects_read_unlock(req->srv);
    return rc;
}

static json_t *find_child(json_t *items, int64_t person_id)
{
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        if ((int64_t)json_integer_value(json_object_get(o, "person_id")) == person_id)
            return o;
    }
    return NULL;
}

/* Attaches the panel register to the children: "panel" (current state), "discussions"
 * (in ref order; the page orders them by day) and "actions" (with "overdue" judged on day
 * on). Children in the register who are not listed are added with on_list false while they
 * have an open action or a next review. */
static int attach_register(struct http_req *req, json_t *items, svp_day on, struct svp_err *err)
{
    struct reg_entry *kids = NULL, *talks = NULL, *acts = NULL;
    size_t nk = 0, nt = 0, na = 0;
    int rc = reg_list(req->db, reg_schema_find("panel_child"), 0, &kids, &nk, err);
    if (!rc)
        rc = reg_list(req->db, reg_schema_find("panel_discussion"), 0, &talks, &nt, err);
    if (!rc)
        rc = reg_list(req->db, reg_schema_find("panel_action"), 0, &acts, &na, err);
    for (size_t i = 0; !rc && i < nk; i++) {
        int64_t pid = 0;
        const char *ps = reg_entry_get(&kids[i], "person_id");
        if (!ps || svp_parse_i64(ps, &pid))
            continue;
        json_t *discussions = json_array(), *actions = json_array(), *state = entry_fields(&kids[i]);
        bool open_action = false;
        if (!discussions || !actions || !state) {
            json_decref(discussions);
            json_decref(actions);
            json_decref(state);
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        for (size_t t = 0; t < nt; t++)
            if (talks[t].parent_id == kids[i].id)
                json_array_append_new(discussions, entry_fields(&talks[t]));
        for (size_t a = 0; a < na; a++) {
            if (acts[a].parent_id != kids[i].id)
                continue;
            json_t *o = entry_fields(&acts[a]);
            const char *due = reg_entry_get(&acts[a], "due"), *st = reg_entry_get(&acts[a], "state");
            svp_day d = 0;
            struct svp_err ignore;
            bool open = st && !strcmp(st, "open");
            bool late = open && due && !svp_date_parse_iso(due, strlen(due), &d, &ignore) && d < on;
            open_action |= open;
            if (o)
                json_object_set_new(o, "overdue", json_boolean(late));
            json_array_append_new(actions, o);
        }
        json_t *child = find_child(items, pid);
        /* off the list: kept in view while an action is open or a review is set */
        if (!child && (open_action || reg_entry_get(&kids[i], "next_review"))) {
            child = json_pack("{s:I, s:b}", "person_id", (json_int_t)pid, "on_list", 0);
            if (child)
                json_array_append_new(items, child);
        }
        if (child) {
            json_object_set_new(child, "panel", state);
            json_object_set_new(child, "discussions", discussions);
            json_object_set_new(child, "actions", actions);
        } else {
            json_decref(state);
            json_decref(discussions);
            json_decref(actions);
        }
    }
    reg_entries_free(&kids, nk);
    reg_entries_free(&talks, nt);
    reg_entries_free(&acts, na);
    return rc;
}

/* Need-to-know for each child: a child the viewer may not see is left out; reasons from
 * records the viewer may not see in detail are withheld (as on the panel list); each child
 * shown is named (or pseudonymised) and added to seen for the audit. */
static int filter_and_name(struct http_req *req, json_t *items, struct svp_buf *seen,
                           struct svp_err *err)
{
    size_t i = 0;
    while (i < json_array_size(items)) {
        json_t *o = json_array_get(items, i);
        int64_t id = (int64_t)json_integer_value(json_object_get(o, "person_id"));
        if (req->decision.scope_agency[0]) {
            struct access_decision d;
            int rc = http_check_person(req, ACCESS_OBJ_PERSON, id, &d, err);
            if (rc)
                return rc;
            if (!d.allowed) {
                json_array_remove(items, i);
                continue;
            }
            if (http_risk_item_filter(req, &d.view, o))
                return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        char pseudo[32];
        const char *shown;
        int rc = http_display_name(req, ACCESS_OBJ_PERSON, id, pseudo, sizeof pseudo, &shown, err);
        if (rc)
            return rc;
        if (json_object_set_new(o, "name", json_string(*shown ? shown : "(no name recorded)")) ||
            http_seen_add(seen, ACCESS_OBJ_PERSON, id))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        if (req->decision.pseudonymise)
            http_risk_item_strip_ids(o);
        i++;
    }
    return SVP_OK;
}

int http_meeting_json(struct http_req *req, svp_day on, json_t **out, struct svp_buf *seen,
                      struct svp_err *err)
{
    char as_of[12] = "", day[12];
    json_t *items = json_array();
    int rc = items ? listed_children(req, items, as_of, sizeof as_of, err)
                   : svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (!rc)
        rc = attach_register(req, items, on, err);
    if (!rc)
        rc = filter_and_name(req, items, seen, err);
    if (rc) {
        json_decref(items);
        return rc;
    }
    svp_date_format(on, day, sizeof day);
    *out = json_pack("{s:s, s:s, s:o, s:b}", "meeting_on", day, "as_of", as_of, "children",
                     items, "pseudonymised", req->decision.pseudonymise);
    return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
}

/* ?on=YYYY-MM-DD, the meeting's day (default today). */
static bool meeting_day(struct http_req *req, svp_day *on)
{
    const char *v = NULL;
    if (!http_req_query(req, "on", 10, &v))
        return false;
    *on = svp_date_today();
    struct svp_err err;
    if (v && *v && svp_date_parse_iso(v, strlen(v), on, &err)) {
        http_reply_error(req, 400, "on", "must be a date YYYY-MM-DD");
        return false;
    }
    return true;
}

void api_meeting_view(struct http_req *req)
{
    svp_day on;
    if (!meeting_day(req, &on))
        return;
    json_t *out = NULL;
    struct svp_err err;
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    int rc = http_meeting_json(req, on, &out, &seen, &err);
    if (rc) {
        svp_buf_free(&seen);
        if (rc != HTTP_BUSY) /* else 503 with Retry-After replied */
            http_reply_status(req, &err);
        return;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "panel meeting: %zu children",
             json_array_size(json_object_get(out, "children")));
    bool audited = http_audit_seen(req, "view", "panel meeting", detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}

void api_meeting_export(struct http_req *req)
{
    svp_day on;
    if (!meeting_day(req, &on))
        return;
    json_t *m = NULL;
    char *bytes = NULL;
    size_t len = 0;
    struct svp_err err;
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    int rc = http_meeting_json(req, on, &m, &seen, &err);
    if (!rc)
        rc = http_meeting_xlsx(m, &bytes, &len, &err);
    json_decref(m);
    if (rc) {
        svp_buf_free(&seen);
        if (rc != HTTP_BUSY)
            http_reply_status(req, &err);
        return;
    }
    bool audited =
        http_audit_seen(req, "export", "panel meeting", "panel pack as XLSX", seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        svp_free(bytes);
        return;
    }
    req->reply_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    http_reply_text(req, 200, bytes, len);
}

static void reply_change(struct http_req *req, int rc, const struct svp_err *err,
                         const char *ref, const char *what)
{
    if (rc) {
        http_reply_status(req, err);
        return;
    }
    char object[REG_REF_MAX + 16];
    snprintf(object, sizeof object, "panel:%s", ref);
    if (!http_audit(req, "change", object, what))
        return;
    http_reply_json(req, 201, json_pack("{s:s}", "ref", ref));
}

void api_meeting_discuss(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"discussed_on", JSON_STRING, true, 10},  {"decision", JSON_STRING, false, 2000},
        {"rag", JSON_STRING, false, 8},           {"owner", JSON_STRING, false, 100},
        {"next_review", JSON_STRING, false, 10},  {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
#define S(k) json_string_value(json_object_get(body, k))
    struct reg_panel_decision d = {S("discussed_on"), S("decision"), S("rag"), S("owner"),
                                   S("next_review")};
#undef S
    char ref[REG_REF_MAX] = "";
    struct svp_err err;
    int rc = reg_panel_discuss(req->db, req->id, &d, ref, sizeof ref, &err);
    json_decref(body);
    reply_change(req, rc, &err, ref, "panel discussion recorded");
}

void api_meeting_action_add(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"text", JSON_STRING, true, 2000},     {"owner", JSON_STRING, true, 100},
        {"due", JSON_STRING, true, 10},        {"agreed_on", JSON_STRING, false, 10},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    char ref[REG_REF_MAX] = "";
    struct svp_err err;
    int rc = reg_panel_action_add(req->db, req->id,
                                  json_string_value(json_object_get(body, "text")),
                                  json_string_value(json_object_get(body, "owner")),
                                  json_string_value(json_object_get(body, "due")),
                                  json_string_value(json_object_get(body, "agreed_on")), ref,
                                  sizeof ref, &err);
    json_decref(body);
    reply_change(req, rc, &err, ref, "panel action agreed");
}

void api_meeting_action_set(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"ref", JSON_STRING, true, REG_REF_MAX - 1},
        {"state", JSON_STRING, true, 8},
        {"date", JSON_STRING, false, 10},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    char ref[REG_REF_MAX], today[12];
    svp_strlcpy(ref, json_string_value(json_object_get(body, "ref")), sizeof ref);
    svp_date_format(svp_date_today(), today, sizeof today);
    const char *date = json_string_value(json_object_get(body, "date"));
    struct svp_err err;
    int rc = reg_panel_action_set(req->db, ref, json_string_value(json_object_get(body, "state")),
                                  date && *date ? date : today, &err);
    json_decref(body);
    reply_change(req, rc, &err, ref, "panel action state changed");
}
