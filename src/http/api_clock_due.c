/* Statutory clocks, what falls due: the day reports are "as of" (the data's latest event
 * unless one is chosen) and the clocks due in the coming working days, per case and child,
 * from the functions behind `svp clock due` (reg_clocks_all, clock_due_soon). */
#include "clock/clock.h"
#include "http_int.h"
#include "registers/registers.h"

#include <string.h>

/* Overdue clocks listed at most (newest deadline first); the rest are counted. */
#define OVERDUE_SHOWN 200

bool http_clock_as_of(struct http_req *req, svp_day *out)
{
    const char *v = NULL;
    if (!http_req_query(req, "as_of", 10, &v))
        return false;
    struct svp_err err;
    if (v && *v) {
        if (svp_date_parse_iso(v, strlen(v), out, &err)) {
            http_reply_error(req, 400, "as_of", "must be a date YYYY-MM-DD");
            return false;
        }
        return true;
    }
    int rc = clock_latest_event_day(req->db, out, &err);
    if (rc == SVP_ENOTFOUND) {
        *out = svp_date_today();
        return true;
    }
    if (rc) {
        http_reply_status(req, &err);
        return false;
    }
    return true;
}

static json_t *item_json(const struct clock_item *it)
{
    char due[16], start[16];
    svp_date_format(it->due.day, due, sizeof due);
    svp_date_format(it->start.day, start, sizeof start);
    const char *kind = it->subject > 0 ? "person" : it->subject < 0 ? "record" : "case";
    json_int_t who = (json_int_t)(it->subject < 0 ? -it->subject : it->subject);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:i, s:s}", "due", due, "rule",
                     it->rule->id, "times", it->rule->times, "ref", it->ref, "subject", kind,
                     "subject_id", who, "start", start, "state", clock_state_name(it->state),
                     "late_by", it->late_by, "unit", clock_unit_phrase(it->rule->unit));
}

static bool append(json_t *arr, const struct clock_item *it)
{
    json_t *o = item_json(it);
    return o && json_array_append_new(arr, o) == 0;
}

void api_clocks_due(struct http_req *req)
{
    /* The list is the same for everyone the route lets in: kept per data version; the
     * audit entry is still written for every request, before anything is sent. */
    char what[96], key[128];
    size_t len;
    if (!http_clock_shared_what(req, "clocks/due", what, sizeof what))
        return;
    char *kept = http_shared_get(req, what, key, sizeof key, &len);
    if (kept) {
        http_req_db_done(req);
        if (http_audit(req, "view", "clocks due", ""))
            http_reply_text(req, 200, kept, len);
        else
            svp_free(kept);
        return;
    }
    struct clock_query q = {0};
    int64_t within = 5;
    if (!http_clock_as_of(req, &q.as_of) ||
        !http_req_query_int(req, "within", 0, 60, 5, &within))
        return;
    struct clock_rules *rules = NULL;
    struct svp_calendar *cal = NULL;
    struct clock_list all = {0}, soon = {0};
    struct svp_err err;
    svp_day until = q.as_of;
    int rc = clock_rules_load(NULL, &rules, &err);
    if (!rc)
        rc = clock_calendar_load(req->db, &cal, &err);
    if (!rc)
        rc = reg_clocks_all(req->db, cal, rules, &q, &all, NULL, &err);
    if (!rc)
        rc = clock_due_soon(cal, &all, q.as_of, (int)within, &soon, &err);
    if (!rc)
        rc = svp_calendar_add_working_days(cal, q.as_of, (int)within, &until, &err);
    json_t *items = rc ? NULL : json_array(), *overdue = rc ? NULL : json_array();
    long overdue_total = 0;
    bool ok = items && overdue;
    /* soon is oldest deadline first: the open ones are the week's; the overdue ones are
     * shown newest first, at most OVERDUE_SHOWN of them. */
    for (size_t i = 0; ok && i < soon.n; i++)
        if (soon.v[i].state == CLOCK_OPEN)
            ok = append(items, &soon.v[i]);
    for (size_t i = soon.n; ok && i-- > 0;)
        if (soon.v[i].state == CLOCK_OVERDUE && overdue_total++ < OVERDUE_SHOWN)
            ok = append(overdue, &soon.v[i]);
    clock_list_free(&all);
    clock_list_free(&soon);
    svp_calendar_free(&cal);
    clock_rules_free(&rules);
    if (rc) {
        json_decref(items);
        json_decref(overdue);
        http_reply_status(req, &err);
        return;
    }
    if (!ok) {
        json_decref(items);
        json_decref(overdue);
        http_reply_json(req, 200, NULL);
        return;
    }
    if (!http_audit(req, "view", "clocks due", "")) {
        json_decref(items);
        json_decref(overdue);
        return;
    }
    char day[12], last[12];
    svp_date_format(q.as_of, day, sizeof day);
    svp_date_format(until, last, sizeof last);
    http_shared_reply(req, key,
                      json_pack("{s:s, s:s, s:I, s:o, s:o, s:I}", "as_of", day, "until", last,
                                "within", (json_int_t)within, "items", items, "overdue",
                                overdue, "overdue_total", (json_int_t)overdue_total));
}
