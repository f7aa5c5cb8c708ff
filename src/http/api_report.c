/* The core dataset dashboard: the dataset from the report room (report_dataset_build, the
 * function behind `svp report dataset`) as JSON for the page and as the same exports
 * (html, csv, xlsx), and the drill-down from a figure to the children behind it, each
 * passed through the need-to-know check and audited. */
#include "http_int.h"
#include "report/report.h"

#include <string.h>

/* Children listed at most by a drill-down; the rest are counted. */
#define DRILL_SHOWN 500

static bool period_arg(struct http_req *req, const char **period)
{
    *period = NULL;
    if (!http_req_query(req, "period", 40, period))
        return false;
    if (*period && !**period)
        *period = NULL;
    if (*period) {
        struct report_period p;
        struct svp_err err;
        if (report_period_parse(*period, &p, &err)) {
            http_reply_error(req, 400, "period", "%s", err.msg);
            return false;
        }
    }
    return true;
}

/* The dataset for period rendered as fmt ("json", "html", "csv", "xlsx"), built at most
 * once per data version (under the build gate) and kept. Owned text in *out, or false
 * after a reply (an error or 503). */
static bool rendered(struct http_req *req, const char *period, const char *fmt, char **out,
                     size_t *len)
{
    struct svp_err err;
    int64_t version;
    if (http_data_version(req, &version, &err)) {
        http_reply_status(req, &err);
        return false;
    }
    char key[160];
    snprintf(key, sizeof key, "report|%lld|%s|%s", (long long)version, period ? period : "", fmt);
    int64_t aux;
    while (!(*out = http_text_get(req->srv, key, len, &aux))) {
        int g = http_build_begin(req, key);
        if (g == HTTP_BUILD_REFUSED)
            return false; /* 503 with Retry-After replied */
        if (g == HTTP_BUILD_RECHECK)
            continue;
        struct svp_calendar *cal = NULL;
        struct report_dataset *ds = NULL;
        struct report_opts o = {.period = period};
        int rc = clock_calendar_load(req->db, &cal, &err);
        if (!rc)
            rc = report_dataset_build(req->db, cal, &o, &ds, &err);
        char *bytes = NULL;
        size_t n = 0;
        if (!rc && !strcmp(fmt, "xlsx")) {
            rc = report_write_xlsx(ds, NULL, &bytes, &n, &err);
        } else if (!rc) {
            struct svp_buf b;
            svp_buf_init(&b, (size_t)64 << 20);
            enum report_format f = !strcmp(fmt, "html")  ? REPORT_HTML
                                   : !strcmp(fmt, "csv") ? REPORT_CSV
                                                         : REPORT_JSON;
            rc = report_write(ds, f, &b, &err);
            n = b.len;
            bytes = rc ? NULL : svp_buf_take(&b);
            svp_buf_free(&b);
            if (!rc && !bytes)
                rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
        }
        if (!rc)
            http_text_put(req->srv, key, bytes, n, 0);
        report_dataset_free(&ds);
        svp_calendar_free(&cal);
        http_build_end(req);
        if (rc) {
            http_reply_status(req, &err);
            return false;
        }
        *out = bytes;
        *len = n;
        return true;
    }
    return true;
}

void api_report_dataset(struct http_req *req)
{
    const char *period;
    if (!period_arg(req, &period))
        return;
    char *text;
    size_t len;
    if (!rendered(req, period, "json", &text, &len))
        return;
    http_reply_text(req, 200, text, len);
}

void api_report_export(struct http_req *req)
{
    const char *period, *fmt = NULL;
    if (!period_arg(req, &period) || !http_req_query(req, "format", 8, &fmt))
        return;
    if (!fmt || (strcmp(fmt, "html") && strcmp(fmt, "csv") && strcmp(fmt, "xlsx"))) {
        http_reply_error(req, 400, "format", "must be html, csv or xlsx");
        return;
    }
    char *text;
    size_t len;
    if (!rendered(req, period, fmt, &text, &len))
        return;
    req->reply_type = !strcmp(fmt, "html") ? "text/html; charset=utf-8"
                      : !strcmp(fmt, "csv")
                          ? "text/csv; charset=utf-8"
                          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    http_reply_text(req, 200, text, len);
}

/* The children behind figure for period: each checked (need-to-know), named or
 * pseudonymised as the viewer may see them, audited with everyone shown. */
void api_report_drill(struct http_req *req)
{
    const char *period, *figure = NULL;
    if (!period_arg(req, &period) || !http_req_query(req, "figure", 48, &figure))
        return;
    const struct report_figure *f = figure ? report_figure_find(figure) : NULL;
    if (!f) {
        http_reply_error(req, 400, "figure", "no such figure in the dataset");
        return;
    }
    struct svp_err err;
    struct report_data *d = NULL;
    struct svp_calendar *cal = NULL;
    struct report_ids ids = {0};
    struct report_value v = {0};
    struct report_ctx c = {0};
    int rc = clock_calendar_load(req->db, &cal, &err);
    if (!rc)
        rc = report_data_load(req->db, &d, &err);
    if (!rc) {
        c.data = d;
        c.cal = cal;
        if (period)
            rc = report_period_parse(period, &c.period, &err);
        else
            report_period_fyear(report_data_latest(d) ? report_data_latest(d) : svp_date_today(),
                                &c.period);
    }
    if (!rc && report_value_compute(f, &c, &v, &ids))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    report_data_free(&d);
    svp_calendar_free(&cal);
    json_t *list = rc ? NULL : json_array();
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    long withheld = 0, shown = 0;
    if (!rc && !list)
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < ids.n; i++) {
        enum access_object kind = ids.v[i] > 0 ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD;
        int64_t id = ids.v[i] > 0 ? ids.v[i] : -ids.v[i];
        if (req->decision.scope_agency[0]) {
            struct access_decision dec;
            if ((rc = http_check_person(req, kind, id, &dec, &err)))
                break;
            if (!dec.allowed) {
                withheld++;
                continue;
            }
        }
        if (shown >= DRILL_SHOWN) {
            shown++;
            continue;
        }
        char pseudo[32];
        const char *name;
        if ((rc = http_display_name(req, kind, id, pseudo, sizeof pseudo, &name, &err)))
            break;
        json_t *o =
            req->decision.pseudonymise
                ? json_pack("{s:s, s:s}", "kind", kind == ACCESS_OBJ_PERSON ? "person" : "record",
                            "pseudonym", pseudo)
                : json_pack("{s:s, s:I, s:s}", "kind",
                            kind == ACCESS_OBJ_PERSON ? "person" : "record", "id", (json_int_t)id,
                            "name", name);
        if (!o || json_array_append_new(list, o) || http_seen_add(&seen, kind, id))
            rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
        shown++;
    }
    report_ids_free(&ids);
    if (rc) {
        json_decref(list);
        svp_buf_free(&seen);
        http_reply_status(req, &err);
        return;
    }
    char detail[160];
    snprintf(detail, sizeof detail, "children behind %s", f->id);
    bool audited = http_audit_seen(req, "view", "report drill-down", detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(list);
        return;
    }
    char value[48], from[16], to[16];
    report_format_value(f, &v, value, sizeof value);
    svp_date_format(c.period.from, from, sizeof from);
    svp_date_format(c.period.to, to, sizeof to);
    http_reply_json(req, 200,
                    json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:o, s:I, s:I}", "figure", f->id,
                              "title", f->title, "value", value, "period", "label", c.period.label,
                              "from", from, "to", to, "children", list, "total", (json_int_t)shown,
                              "withheld", (json_int_t)withheld));
}
