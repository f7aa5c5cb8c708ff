/* One call per analysis for the web application's handlers: load, compute, JSON. */
#include "context/context.h"

static int done(json_t *j, json_t **out, struct svp_err *err)
{
    if (!j)
        return svp_err_set(err, SVP_ENOMEM, "out of memory making JSON");
    *out = j;
    return 0;
}

int context_hotspots_geojson_load(struct store *s, const struct context_hotspot_opts *o,
                                  json_t **out, struct svp_err *err)
{
    *out = NULL;
    struct context_data *d = NULL;
    struct context_hotspots *h = NULL;
    int rc = context_load(s, &d, err);
    if (!rc)
        rc = context_hotspots_run(d, o, &h, err);
    if (!rc)
        rc = done(context_hotspots_geojson(h), out, err);
    context_hotspots_free(&h);
    context_data_free(&d);
    return rc;
}

int context_trends_json_load(struct store *s, const struct context_trend_opts *o, json_t **out,
                             struct svp_err *err)
{
    *out = NULL;
    struct context_data *d = NULL;
    struct context_trends *t = NULL;
    int rc = context_load(s, &d, err);
    if (!rc)
        rc = context_trends_run(d, o, &t, err);
    if (!rc)
        rc = done(context_trends_json(t), out, err);
    context_trends_free(&t);
    context_data_free(&d);
    return rc;
}

int context_network_json_load(struct store *s, const struct context_network_opts *o, bool scores,
                              json_t **out, struct svp_err *err)
{
    *out = NULL;
    struct context_data *d = NULL;
    struct context_network *n = NULL;
    int rc = context_load(s, &d, err);
    if (!rc && scores)
        rc = context_scores_attach(d, s, 0, err);
    /* the centrality `svp context run` stored for this data version, when it did */
    struct context_network_opts so = *o;
    so.store = s;
    so.save_centrality = false;
    if (!rc)
        rc = context_network_build(d, &so, &n, err);
    if (!rc)
        rc = done(context_network_json(n), out, err);
    context_network_free(&n);
    context_data_free(&d);
    return rc;
}

int context_routes_json_load(struct store *s, json_t **out, struct svp_err *err)
{
    *out = NULL;
    struct context_data *d = NULL;
    int rc = context_load(s, &d, err);
    if (!rc)
        rc = done(context_routes_json(d), out, err);
    context_data_free(&d);
    return rc;
}
