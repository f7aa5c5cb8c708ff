/* Statutory clocks: per-rule compliance figures, from the one function behind
 * `svp clock report` (reg_clock_report), so the page and the command agree. */
#include "clock/clock.h"
#include "http_int.h"
#include "registers/registers.h"

#include <string.h>

static bool query_day(struct http_req *req, const char *name, bool *has, svp_day *out)
{
    const char *v = NULL;
    *has = false;
    if (!http_req_query(req, name, 10, &v))
        return false;
    if (!v || !*v)
        return true;
    struct svp_err err;
    if (svp_date_parse_iso(v, strlen(v), out, &err)) {
        http_reply_error(req, 400, name, "must be a date YYYY-MM-DD");
        return false;
    }
    *has = true;
    return true;
}

/* The JSON of n rule summaries (an array), NULL on allocation failure. */
static json_t *summaries_json(const struct clock_summary *rows, size_t n)
{
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++) {
        char sentence[512];
        clock_summary_sentence(&rows[i], sentence, sizeof sentence);
        json_t *o = json_pack(
            "{s:s, s:s, s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s}", "rule",
            rows[i].rule->id, "times", rows[i].rule->times, "amount", rows[i].rule->amount,
            "unit", clock_unit_phrase(rows[i].rule->unit), "source", rows[i].rule->source, "due",
            rows[i].due, "on_time", rows[i].on_time, "late", rows[i].late, "overdue",
            rows[i].overdue, "open", rows[i].open, "unknown", rows[i].unknown, "pct_on_time",
            rows[i].pct_on_time, "sentence", sentence);
        if (json_array_append_new(items, o)) {
            json_decref(items);
            items = NULL;
        }
    }
    return items;
}

/* The embedded rules and the calendar in use: what both clock pages report against.
 * The caller frees both, whatever the result. */
static int load_rules(struct http_req *req, struct clock_rules **rules, struct svp_calendar **cal,
                      struct svp_err *err)
{
    int rc = clock_rules_load(NULL, rules, err);
    return rc ? rc : clock_calendar_load(req->db, cal, err);
}

/* Both clock pages answer {key: value, "as_of", "skipped"} (taking value), or the error of
 * a report that failed (rc). */
static void reply_report(struct http_req *req, int rc, const struct svp_err *err, const char *key,
                         json_t *value, svp_day as_of, long skipped, const char *kept_as)
{
    if (rc) {
        http_reply_status(req, err);
        return;
    }
    char day[12];
    svp_date_format(as_of, day, sizeof day);
    http_shared_reply(req, kept_as,
                      value ? json_pack("{s:o, s:s, s:I}", key, value, "as_of", day, "skipped",
                                        (json_int_t)skipped)
                            : NULL);
}

/* The key of a clock reply kept per data version: the route, its query as given and
 * today (the day reports are as of when the data has no events). The figures are the same
 * for every viewer the route lets in. */
bool http_clock_shared_what(struct http_req *req, const char *route, char *what, size_t cap)
{
    const char *from = NULL, *to = NULL, *as_of = NULL, *by = NULL, *within = NULL;
    if (!http_req_query(req, "from", 10, &from) || !http_req_query(req, "to", 10, &to) ||
        !http_req_query(req, "as_of", 10, &as_of) || !http_req_query(req, "by", 16, &by) ||
        !http_req_query(req, "within", 8, &within))
        return false;
    snprintf(what, cap, "%s|%s|%s|%s|%s|%s|%ld", route, from ? from : "", to ? to : "",
             as_of ? as_of : "", by ? by : "", within ? within : "", (long)svp_date_today());
    return true;
}

void api_clocks_report(struct http_req *req)
{
    char what[96], key[128];
    size_t len;
    if (!http_clock_shared_what(req, "clocks", what, sizeof what))
        return;
    char *kept = http_shared_get(req, what, key, sizeof key, &len);
    if (kept) {
        http_reply_text(req, 200, kept, len);
        return;
    }
    struct clock_query q = {0};
    if (!query_day(req, "from", &q.has_from, &q.from) || !query_day(req, "to", &q.has_to, &q.to) ||
        !http_clock_as_of(req, &q.as_of))
        return;
    struct clock_rules *rules = NULL;
    struct svp_calendar *cal = NULL;
    struct clock_summary *rows = NULL;
    size_t n = 0;
    long skipped = 0;
    struct svp_err err;
    int rc = load_rules(req, &rules, &cal, &err);
    if (!rc)
        rc = reg_clock_report(req->db, cal, rules, &q, &rows, &n, &skipped, &err);
    json_t *items = rc ? NULL : summaries_json(rows, n);
    svp_free(rows);
    svp_calendar_free(&cal);
    clock_rules_free(&rules);
    reply_report(req, rc, &err, "items", items, q.as_of, skipped, key);
}

/* Compliance per period (month, quarter, year or financial year) for the charts, from the
 * function behind `svp clock report --by` (reg_clock_report_by). */
void api_clocks_periods(struct http_req *req)
{
    char what[96], key[128];
    size_t len;
    if (!http_clock_shared_what(req, "clocks/periods", what, sizeof what))
        return;
    char *kept = http_shared_get(req, what, key, sizeof key, &len);
    if (kept) {
        http_reply_text(req, 200, kept, len);
        return;
    }
    struct clock_query q = {0};
    const char *by = NULL;
    enum clock_period period = CLOCK_PERIOD_MONTH;
    struct svp_err err;
    if (!query_day(req, "from", &q.has_from, &q.from) ||
        !query_day(req, "to", &q.has_to, &q.to) || !http_req_query(req, "by", 16, &by) ||
        !http_clock_as_of(req, &q.as_of))
        return;
    if (by && *by && clock_period_parse(by, &period, &err)) {
        http_reply_error(req, 400, "by", "must be month, quarter, year or fyear");
        return;
    }
    struct clock_rules *rules = NULL;
    struct svp_calendar *cal = NULL;
    struct clock_period_summary *ps = NULL;
    size_t n = 0;
    long skipped = 0;
    int rc = load_rules(req, &rules, &cal, &err);
    if (!rc)
        rc = reg_clock_report_by(req->db, cal, rules, &q, period, &ps, &n, &skipped, &err);
    json_t *periods = rc ? NULL : json_array();
    for (size_t i = 0; periods && i < n; i++) {
        char first[12], last[12];
        svp_date_format(ps[i].first, first, sizeof first);
        svp_date_format(ps[i].last, last, sizeof last);
        json_t *items = summaries_json(ps[i].rows, ps[i].n);
        json_t *o = items ? json_pack("{s:s, s:s, s:s, s:o}", "label", ps[i].label, "first",
                                      first, "last", last, "items", items)
                          : NULL;
        if (!o || json_array_append_new(periods, o)) {
            json_decref(periods);
            periods = NULL;
        }
    }
    clock_period_summaries_free(&ps, n);
    svp_calendar_free(&cal);
    clock_rules_free(&rules);
    reply_report(req, rc, &err, "periods", periods, q.as_of, skipped, key);
}
