/* The case review register and the case learning tracker, from the registers room: the
 * same entries and review clocks as `svp review` and `svp learning`. The registers hold no
 * personal data (their notes say so), so reads are not audited as views of it; additions
 * and changes are audited as changes. */
#include "clock/clock.h"
#include "http_int.h"
#include "registers/registers.h"

#include <string.h>

/* {"id", "ref", "created_at", "updated_at", "fields": {...}} of e; NULL on allocation failure. */
static json_t *entry_json(const struct reg_entry *e)
{
    json_t *fields = json_object();
    for (size_t i = 0; fields && i < e->schema->nfields; i++)
        if (json_object_set_new(fields, e->schema->fields[i].name,
                                e->values[i] ? json_string(e->values[i]) : json_null())) {
            json_decref(fields);
            fields = NULL;
        }
    return fields ? json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)e->id, "ref", e->ref,
                              "created_at", e->created_at, "updated_at", e->updated_at, "fields",
                              fields)
                  : NULL;
}

static json_t *moment_json(struct clock_moment m)
{
    char buf[12];
    if (!m.set)
        return json_null();
    svp_date_format(m.day, buf, sizeof buf);
    return json_string(buf);
}

/* One review clock: the rule, its deadline and where it stands on as_of. */
static json_t *clock_item_json(const struct clock_item *it)
{
    return json_pack("{s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:s, s:i, s:i, s:s}", "rule",
                     it->rule->id, "times", it->rule->times, "amount", it->rule->amount, "unit",
                     clock_unit_phrase(it->rule->unit), "start", moment_json(it->start), "due",
                     moment_json(it->due), "stop", moment_json(it->stop), "state",
                     clock_state_name(it->state), "taken", it->taken, "late_by", it->late_by,
                     "why", it->why);
}

static int append(json_t *arr, json_t *item, struct svp_err *err)
{
    if (!item || json_array_append_new(arr, item))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    return SVP_OK;
}

void api_reviews_list(struct http_req *req)
{
    struct clock_query q = {.as_of = svp_date_today()};
    struct clock_rules *rules = NULL;
    struct svp_calendar *cal = NULL;
    struct clock_list clocks = {0};
    struct reg_entry *v = NULL;
    size_t n = 0;
    struct svp_err err;
    int rc = clock_rules_load(NULL, &rules, &err);
    if (!rc)
        rc = clock_calendar_load(req->db, &cal, &err);
    if (!rc)
        rc = reg_review_clocks(req->db, cal, rules, &q, NULL, &clocks, &err);
    if (!rc)
        rc = reg_list(req->db, reg_schema_find("review"), 0, &v, &n, &err);
    json_t *items = rc ? NULL : json_array();
    if (!rc && !items)
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *o = entry_json(&v[i]), *cl = json_array();
        long late = 0, overdue = 0;
        for (size_t k = 0; o && cl && !rc && k < clocks.n; k++) {
            if (strcmp(clocks.v[k].ref, v[i].ref))
                continue;
            late += clocks.v[k].state == CLOCK_LATE;
            overdue += clocks.v[k].state == CLOCK_OVERDUE;
            rc = append(cl, clock_item_json(&clocks.v[k]), &err);
        }
        if (!rc && o && cl) {
            json_object_set_new(o, "clocks", cl);
            json_object_set_new(o, "late", json_integer(late));
            json_object_set_new(o, "overdue", json_integer(overdue));
            rc = append(items, o, &err);
        } else {
            json_decref(o);
            json_decref(cl);
            if (!rc)
                rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
        }
    }
    reg_entries_free(&v, n);
    clock_list_free(&clocks);
    svp_calendar_free(&cal);
    clock_rules_free(&rules);
    if (rc) {
        json_decref(items);
        http_reply_status(req, &err);
        return;
    }
    char as_of[12];
    svp_date_format(q.as_of, as_of, sizeof as_of);
    http_reply_json(req, 200, json_pack("{s:o, s:s}", "items", items, "as_of", as_of));
}

/* Entries of register name whose parent is parent_id, as JSON, each with its children of
 * child (when not NULL) nested under key; overdue actions are flagged. */
static int nest(struct store *s, const char *name, int64_t parent_id, svp_day as_of,
                json_t *into, struct svp_err *err)
{
    struct reg_entry *v = NULL;
    size_t n = 0;
    int rc = reg_list(s, reg_schema_find(name), parent_id, &v, &n, err);
    const char *child = !strcmp(name, "recommendation") ? "action"
                        : !strcmp(name, "action")       ? "evidence"
                                                        : NULL;
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *o = entry_json(&v[i]);
        rc = o ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
        if (!rc && child) {
            json_t *kids = json_array();
            rc = kids ? nest(s, child, v[i].id, as_of, kids, err)
                      : svp_err_set(err, SVP_ENOMEM, "out of memory");
            json_object_set_new(o, child, kids);
        }
        if (!rc && !strcmp(name, "action")) {
            /* Overdue as reg_learning_overdue counts it: not done or dropped, due before
             * as_of. */
            const char *due = reg_entry_get(&v[i], "due"), *state = reg_entry_get(&v[i], "state");
            svp_day d = 0;
            struct svp_err ignore;
            bool late = due && state && !strcmp(state, "open") &&
                        !svp_date_parse_iso(due, strlen(due), &d, &ignore) && d < as_of;
            json_object_set_new(o, "overdue", json_boolean(late));
        }
        if (!rc)
            rc = append(into, o, err);
        else
            json_decref(o);
    }
    reg_entries_free(&v, n);
    return rc;
}

void api_learning_list(struct http_req *req)
{
    svp_day as_of = svp_date_today();
    struct svp_err err;
    struct reg_entry *reviews = NULL, *late = NULL;
    size_t nreviews = 0, nlate = 0;
    json_t *items = json_array(), *overdue = json_array();
    int rc = items && overdue ? SVP_OK : svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (!rc)
        rc = reg_list(req->db, reg_schema_find("review"), 0, &reviews, &nreviews, &err);
    for (size_t i = 0; !rc && i < nreviews; i++) {
        json_t *recs = json_array();
        rc = recs ? nest(req->db, "recommendation", reviews[i].id, as_of, recs, &err)
                  : svp_err_set(&err, SVP_ENOMEM, "out of memory");
        if (!rc && json_array_size(recs))
            rc = append(items,
                        json_pack("{s:s, s:s?, s:o}", "review", reviews[i].ref, "title",
                                  reg_entry_get(&reviews[i], "title"), "recommendations", recs),
                        &err);
        else
            json_decref(recs);
    }
    if (!rc)
        rc = reg_learning_overdue(req->db, as_of, &late, &nlate, &err);
    for (size_t i = 0; !rc && i < nlate; i++)
        rc = append(overdue, entry_json(&late[i]), &err);
    reg_entries_free(&reviews, nreviews);
    reg_entries_free(&late, nlate);
    if (rc) {
        json_decref(items);
        json_decref(overdue);
        http_reply_status(req, &err);
        return;
    }
    char day[12];
    svp_date_format(as_of, day, sizeof day);
    http_reply_json(req, 200, json_pack("{s:o, s:o, s:s}", "items", items, "overdue", overdue,
                                        "as_of", day));
}

/* The review fields a request may set, as the review schema names them. */
static const struct http_field review_fields[] = {
    {"ref", JSON_STRING, true, REG_REF_MAX - 1},
    {"kind", JSON_STRING, true, 32},
    {"title", JSON_STRING, false, 200},
    {"awareness", JSON_STRING, false, 10},
    {"notification", JSON_STRING, false, 10},
    {"rapid_review_sent", JSON_STRING, false, 10},
    {"decision", JSON_STRING, false, 10},
    {"initiation", JSON_STRING, false, 10},
    {"final_report_sent", JSON_STRING, false, 10},
    {"publication", JSON_STRING, false, 10},
    {"notes", JSON_STRING, false, 1000},
    {NULL, 0, false, 0},
};

static int audit_review_added(struct store *s, const struct reg_entry *e, void *ctx,
                              struct svp_err *err)
{
    struct http_req *req = ctx;
    char object[REG_REF_MAX + 8];
    snprintf(object, sizeof object, "review:%s", e->ref);
    return access_audit_in_tx(s, &req->session.user, "change", object, req->purpose,
                              "case review added", err);
}

/* Adds a case review (as `svp review add`): every field checked by the registers room,
 * dates in order; a bad one is a 400 naming the field and nothing is stored. */
void api_reviews_add(struct http_req *req)
{
    json_t *body = http_req_json(req, review_fields);
    if (!body)
        return;
    struct reg_entry e;
    struct svp_err err;
    const char *ref = json_string_value(json_object_get(body, "ref"));
    int rc = reg_entry_init(&e, reg_schema_find("review"), &err);
    if (!rc && !*ref)
        rc = svp_err_at(&err, SVP_EINPUT, NULL, 0, "ref", "a review needs a reference");
    if (!rc)
        svp_strlcpy(e.ref, ref, sizeof e.ref);
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (!rc && strcmp(key, "ref"))
            rc = reg_entry_set(&e, key, json_string_value(v), &err);
    }
    if (!rc) /* the audit entry in the same transaction: no review stored without it */
        rc = reg_add_also(req->db, &e, NULL, audit_review_added, req, &err);
    json_t *out = rc ? NULL : entry_json(&e);
    reg_entry_clear(&e);
    json_decref(body);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 201, out); /* NULL (out of memory): a 500, the review is stored */
}

/* Closes an action of the learning tracker (as `svp learning done`). */
void api_learning_done(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"ref", JSON_STRING, true, REG_REF_MAX - 1},
        {"date", JSON_STRING, false, 10},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    char today[12], ref[REG_REF_MAX];
    svp_date_format(svp_date_today(), today, sizeof today);
    const char *date = json_string_value(json_object_get(body, "date"));
    svp_strlcpy(ref, json_string_value(json_object_get(body, "ref")), sizeof ref);
    struct reg_change ch[] = {{"state", "done"}, {"done_date", date && *date ? date : today}};
    struct reg_entry e;
    struct svp_err err;
    int rc = reg_update(req->db, reg_schema_find("action"), ref, ch, 2, &e, &err);
    json_decref(body);
    json_t *out = rc ? NULL : entry_json(&e);
    if (!rc)
        reg_entry_clear(&e);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    char object[REG_REF_MAX + 8];
    snprintf(object, sizeof object, "action:%s", ref);
    if (!http_audit(req, "change", object, "action done")) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}

/* Records later dates, or notes, on a case review (as `svp review update`): each field given
 * is set, all or nothing, the dates still in order; a bad one is a 400 naming the field. */
void api_reviews_update(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"ref", JSON_STRING, true, REG_REF_MAX - 1},
        {"title", JSON_STRING, false, 200},
        {"awareness", JSON_STRING, false, 10},
        {"notification", JSON_STRING, false, 10},
        {"rapid_review_sent", JSON_STRING, false, 10},
        {"decision", JSON_STRING, false, 10},
        {"initiation", JSON_STRING, false, 10},
        {"final_report_sent", JSON_STRING, false, 10},
        {"publication", JSON_STRING, false, 10},
        {"notes", JSON_STRING, false, 1000},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    struct reg_change ch[sizeof fields / sizeof fields[0]];
    size_t n = 0;
    const char *key;
    json_t *v;
    char ref[REG_REF_MAX];
    svp_strlcpy(ref, json_string_value(json_object_get(body, "ref")), sizeof ref);
    json_object_foreach(body, key, v) {
        if (strcmp(key, "ref") && n < sizeof ch / sizeof ch[0])
            ch[n++] = (struct reg_change){key, json_string_value(v)};
    }
    struct reg_entry e;
    struct svp_err err;
    int rc = n ? reg_update(req->db, reg_schema_find("review"), ref, ch, n, &e, &err)
               : svp_err_at(&err, SVP_EINPUT, NULL, 0, "ref", "nothing to change: give a date "
                                                            "or notes");
    json_decref(body); /* the changes borrowed from it are stored by now */
    json_t *out = rc ? NULL : entry_json(&e);
    if (!rc)
        reg_entry_clear(&e);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    char object[REG_REF_MAX + 8];
    snprintf(object, sizeof object, "review:%s", ref);
    if (!http_audit(req, "change", object, "case review updated")) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}
