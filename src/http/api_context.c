/* Contexts of harm: hotspots as GeoJSON from the context room (context_hotspots_run and
 * context_hotspots_geojson, the functions behind `svp context hotspots --geojson`). The map
 * is drawn in the browser from this GeoJSON alone: no map tiles are fetched from outside. */
#include "context/context.h"
#include "http_int.h"

#include <string.h>

static bool query_day(struct http_req *req, const char *name, svp_day *out)
{
    const char *v = NULL;
    *out = 0;
    if (!http_req_query(req, name, 10, &v))
        return false;
    struct svp_err err;
    if (v && *v && svp_date_parse_iso(v, strlen(v), out, &err)) {
        http_reply_error(req, 400, name, "must be a date YYYY-MM-DD");
        return false;
    }
    return true;
}

void api_context_hotspots(struct http_req *req)
{
    const char *kinds = NULL;
    int64_t cell;
    struct context_hotspot_opts o = {0};
    if (!http_req_query(req, "kinds", 128, &kinds) ||
        !http_req_query_int(req, "cell", 50, 5000, 250, &cell) ||
        !query_day(req, "since", &o.filter.since) || !query_day(req, "until", &o.filter.until))
        return;
    o.filter.kinds = kinds && *kinds ? kinds : NULL;
    o.cell_m = (double)cell;
    struct context_data *d = NULL;
    struct context_hotspots *h = NULL;
    struct svp_err err;
    int rc = context_load(req->db, &d, &err);
    if (!rc)
        rc = context_hotspots_run(d, &o, &h, &err);
    json_t *geo = rc ? NULL : context_hotspots_geojson(h);
    if (!rc && !geo)
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    char detail[160];
    if (!rc) {
        snprintf(detail, sizeof detail, "hotspots kinds=%s: %ld events", kinds ? kinds : "",
                 h->events_used);
        json_object_set_new(geo, "events_used", json_integer(h->events_used));
        json_object_set_new(geo, "events_outside", json_integer(h->events_outside));
        json_object_set_new(geo, "events_unplaced", json_integer(h->events_unplaced));
        json_object_set_new(geo, "empty_reason", json_string(h->empty_reason));
    }
    context_hotspots_free(&h);
    context_data_free(&d);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    if (!http_audit(req, "view", "hotspots", detail)) {
        json_decref(geo);
        return;
    }
    http_reply_json(req, 200, geo);
}
