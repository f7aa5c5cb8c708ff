/* Area boundaries: a GeoJSON FeatureCollection of polygons (wards, LSOAs, police beats) with
 * their names, imported into context_boundary so that the hotspot map draws the areas and
 * names the places on it, with nothing fetched from outside (RFC 7946 is the format). */
#include "base/json.h"
#include "context_int.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#define MAX_FEATURES 100000

/* One feature as checked: borrowed from the parsed document. */
struct feat {
    const char *code, *name;
    json_t *geometry;
    double label_lat, label_lon;
};

/* "feature 3 (E05001 \"Northgate\")": which feature a message is about, by its number in
 * the file (1-based) and whatever names it. */
static void feat_label(char *out, size_t cap, long no, const char *code, const char *name)
{
    if (code && name && strcmp(code, name))
        snprintf(out, cap, "feature %ld (%.40s \"%.60s\")", no, code, name);
    else if (name || code)
        snprintf(out, cap, "feature %ld (\"%.60s\")", no, name ? name : code);
    else
        snprintf(out, cap, "feature %ld", no);
}

/* A property's text: a string as it is, a whole number written out (ONS codes are strings,
 * but an id may be a number). NULL when absent, empty or neither. */
static const char *prop_text(json_t *props, const char *key, char *buf, size_t cap)
{
    json_t *v = json_object_get(props, key);
    if (json_is_string(v) && *json_string_value(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    return NULL;
}

/* The first property whose key ends in suffix (any case): ONS files name a ward's name
 * WD23NM and its code WD23CD, an LSOA's LSOA21NM and LSOA21CD. */
static const char *prop_suffix(json_t *props, const char *suffix, char *buf, size_t cap)
{
    const char *key;
    json_t *v;
    size_t sl = strlen(suffix);
    json_object_foreach(props, key, v) {
        size_t kl = strlen(key);
        if (kl > sl && !strcasecmp(key + kl - sl, suffix)) {
            const char *t = prop_text(props, key, buf, cap);
            if (t)
                return t;
        }
    }
    return NULL;
}

/* Signed area (shoelace, in square degrees) and area centroid of a ring of n positions. */
static double ring_area(json_t *ring, double *cx, double *cy)
{
    size_t n = json_array_size(ring);
    double a = 0, x = 0, y = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *p = json_array_get(ring, i), *q = json_array_get(ring, i + 1);
        double x0 = json_number_value(json_array_get(p, 0)), y0 = json_number_value(json_array_get(p, 1));
        double x1 = json_number_value(json_array_get(q, 0)), y1 = json_number_value(json_array_get(q, 1));
        double c = x0 * y1 - x1 * y0;
        a += c;
        x += (x0 + x1) * c;
        y += (y0 + y1) * c;
    }
    a /= 2;
    if (cx && cy && a != 0) {
        *cx = x / (6 * a);
        *cy = y / (6 * a);
    }
    return a;
}

static bool ring_contains(json_t *ring, double x, double y)
{
    size_t n = json_array_size(ring);
    bool in = false;
    for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
        json_t *p = json_array_get(ring, i), *q = json_array_get(ring, j);
        double xi = json_number_value(json_array_get(p, 0)), yi = json_number_value(json_array_get(p, 1));
        double xj = json_number_value(json_array_get(q, 0)), yj = json_number_value(json_array_get(q, 1));
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

/* Where a label goes: the outer ring's centroid when it lies inside the ring, else (a
 * crescent, an L) the middle of the widest stretch of the ring across the centroid's
 * latitude. */
static void ring_label(json_t *ring, double *lon, double *lat)
{
    size_t n = json_array_size(ring), nx = 0;
    double x0b = INFINITY, x1b = -INFINITY, y0b = INFINITY, y1b = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(ring, i);
        double x = json_number_value(json_array_get(p, 0)), y = json_number_value(json_array_get(p, 1));
        x0b = fmin(x0b, x);
        x1b = fmax(x1b, x);
        y0b = fmin(y0b, y);
        y1b = fmax(y1b, y);
    }
    double cx = 0, cy = 0;
    ring_area(ring, &cx, &cy);
    /* a ring that crosses itself (a bow tie) has a "centroid" anywhere, even far outside
     * WGS84 (found by fuzz-boundaries): then the middle of its bounding box */
    if (!isfinite(cx) || !isfinite(cy) || cx < x0b || cx > x1b || cy < y0b || cy > y1b) {
        cx = (x0b + x1b) / 2;
        cy = (y0b + y1b) / 2;
    }
    *lon = cx;
    *lat = cy;
    if (ring_contains(ring, cx, cy))
        return;
    double xs[64];
    for (size_t i = 0; i + 1 < n && nx < 64; i++) {
        json_t *p = json_array_get(ring, i), *q = json_array_get(ring, i + 1);
        double x0 = json_number_value(json_array_get(p, 0)), y0 = json_number_value(json_array_get(p, 1));
        double x1 = json_number_value(json_array_get(q, 0)), y1 = json_number_value(json_array_get(q, 1));
        if ((y0 > cy) != (y1 > cy))
            xs[nx++] = x0 + (x1 - x0) * (cy - y0) / (y1 - y0);
    }
    for (size_t i = 1; i < nx; i++) /* insertion sort: a handful of crossings */
        for (size_t j = i; j > 0 && xs[j - 1] > xs[j]; j--) {
            double t = xs[j];
            xs[j] = xs[j - 1];
            xs[j - 1] = t;
        }
    double best = -1;
    for (size_t i = 0; i + 1 < nx; i += 2)
        if (xs[i + 1] - xs[i] > best) {
            best = xs[i + 1] - xs[i];
            *lon = (xs[i] + xs[i + 1]) / 2;
        }
}

/* Checks one polygon (an array of rings, the first the outer one). why gets the reason
 * when it is bad; *outer its outer ring. */
static bool polygon_ok(json_t *poly, const char *where, json_t **outer, char *why, size_t cap)
{
    if (!json_is_array(poly) || json_array_size(poly) == 0) {
        snprintf(why, cap, "%s is not a list of rings", where);
        return false;
    }
    size_t r;
    json_t *ring;
    json_array_foreach(poly, r, ring) {
        size_t n = json_array_size(ring);
        if (!json_is_array(ring) || n < 4) {
            snprintf(why, cap,
                     "%s ring %zu has %zu positions: a ring needs at least 4 (its first "
                     "repeated last)",
                     where, r + 1, json_is_array(ring) ? n : 0);
            return false;
        }
        size_t k;
        json_t *pos;
        json_array_foreach(ring, k, pos) {
            json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
            if (!json_is_array(pos) || !json_is_number(x) || !json_is_number(y)) {
                snprintf(why, cap, "%s ring %zu position %zu is not [longitude, latitude]", where,
                         r + 1, k + 1);
                return false;
            }
            double lon = json_number_value(x), lat = json_number_value(y);
            if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 ||
                lat > 90) {
                snprintf(why, cap,
                         "%s ring %zu position %zu (%g, %g) is not a longitude and latitude: "
                         "boundaries must be in WGS84 degrees (EPSG:4326); a file in British "
                         "National Grid metres needs converting first",
                         where, r + 1, k + 1, lon, lat);
                return false;
            }
        }
        json_t *a = json_array_get(ring, 0), *b = json_array_get(ring, n - 1);
        if (json_number_value(json_array_get(a, 0)) != json_number_value(json_array_get(b, 0)) ||
            json_number_value(json_array_get(a, 1)) != json_number_value(json_array_get(b, 1))) {
            snprintf(why, cap, "%s ring %zu is not closed: its last position must repeat its first",
                     where, r + 1);
            return false;
        }
    }
    *outer = json_array_get(poly, 0);
    if (ring_area(*outer, NULL, NULL) == 0) {
        snprintf(why, cap, "%s encloses no area (its outer ring's positions are in a line)",
                 where);
        return false;
    }
    return true;
}

/* Checks a geometry and finds its label point (in its largest polygon). */
static bool geometry_ok(json_t *g, double *lat, double *lon, char *why, size_t cap)
{
    if (!json_is_object(g)) {
        snprintf(why, cap, "no geometry (a boundary is a Polygon or MultiPolygon)");
        return false;
    }
    const char *type = json_string_value(json_object_get(g, "type"));
    json_t *coords = json_object_get(g, "coordinates");
    bool multi = type && !strcmp(type, "MultiPolygon");
    if (!type || (strcmp(type, "Polygon") && !multi)) {
        snprintf(why, cap, "is a %.32s: a boundary must be a Polygon or MultiPolygon",
                 type ? type : "untyped");
        return false;
    }
    if (!json_is_array(coords) || json_array_size(coords) == 0) {
        snprintf(why, cap, "is a %s with no coordinates", type);
        return false;
    }
    json_t *best = NULL;
    double best_area = -1;
    size_t np = multi ? json_array_size(coords) : 1;
    for (size_t i = 0; i < np; i++) {
        json_t *poly = multi ? json_array_get(coords, i) : coords, *outer = NULL;
        char where[32];
        if (multi)
            snprintf(where, sizeof where, "polygon %zu", i + 1);
        else
            snprintf(where, sizeof where, "the polygon");
        if (!polygon_ok(poly, where, &outer, why, cap))
            return false;
        double a = fabs(ring_area(outer, NULL, NULL));
        if (a > best_area) {
            best_area = a;
            best = outer;
        }
    }
    ring_label(best, lon, lat);
    return true;
}

static bool kind_ok(const char *k)
{
    if (!k || !*k || strlen(k) > 32)
        return false;
    for (; *k; k++)
        if (!islower((unsigned char)*k) && !isdigit((unsigned char)*k) && *k != '_')
            return false;
    return true;
}

int context_boundaries_parse(const char *data, size_t len, const char *file,
                             const struct context_boundary_opts *o,
                             int (*fn)(void *arg, const struct context_boundary *b),
                             context_bad_row_fn bad_fn, void *arg,
                             struct context_import_report *rep, struct svp_err *err)
{
    memset(rep, 0, sizeof *rep);
    const char *kind = o && o->kind ? o->kind : "area";
    if (!kind_ok(kind))
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "kind",
                          "'%.40s' is not a kind of area: lower-case letters, digits and _ "
                          "(ward, lsoa, beat)",
                          kind);
    json_error_t je;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return svp_err_at(err, SVP_EINPUT, file, je.line, NULL,
                          "not JSON (column %d): %.200s; boundaries are a GeoJSON "
                          "FeatureCollection",
                          je.column, je.text);
    const char *type = json_string_value(json_object_get(doc, "type"));
    json_t *features = json_object_get(doc, "features");
    if (!type || strcmp(type, "FeatureCollection") || !json_is_array(features)) {
        json_decref(doc);
        return svp_err_at(err, SVP_EINPUT, file, 0, NULL,
                          "not GeoJSON boundaries: expected {\"type\": \"FeatureCollection\", "
                          "\"features\": [...]}%s",
                          type ? "" : " (the document has no \"type\")");
    }
    size_t nf = json_array_size(features);
    if (nf == 0 || nf > MAX_FEATURES) {
        json_decref(doc);
        if (!nf)
            return svp_err_at(err, SVP_EINPUT, file, 0, NULL, "the FeatureCollection has no features");
        return svp_err_at(err, SVP_EINPUT, file, 0, NULL,
                          "%zu features: more than svp takes at once (%d)", nf, MAX_FEATURES);
    }
    struct feat *fs = svp_calloc(nf, sizeof *fs);
    char (*bufs)[2][32] = svp_calloc(nf, sizeof *bufs);
    if (!fs || !bufs) {
        svp_free(fs);
        svp_free(bufs);
        json_decref(doc);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    /* Every feature is checked before any is kept: a map with some areas silently missing
     * would mislead, so one bad feature stops the import (each is reported). */
    for (size_t i = 0; i < nf; i++) {
        json_t *f = json_array_get(features, i), *props = json_object_get(f, "properties");
        struct feat *ft = &fs[i];
        char why[512], label[128];
        rep->rows++;
        const char *ftype = json_string_value(json_object_get(f, "type"));
        if (!json_is_object(props))
            props = NULL;
        if (props) {
            ft->name = o && o->name_field ? prop_text(props, o->name_field, bufs[i][0], 32)
                                          : prop_text(props, "name", bufs[i][0], 32);
            if (!ft->name && !(o && o->name_field))
                ft->name = prop_suffix(props, "NM", bufs[i][0], 32);
            ft->code = o && o->code_field ? prop_text(props, o->code_field, bufs[i][1], 32)
                                          : prop_text(props, "code", bufs[i][1], 32);
            if (!ft->code && !(o && o->code_field))
                ft->code = prop_suffix(props, "CD", bufs[i][1], 32);
        }
        if (!ft->code && !(o && o->code_field))
            ft->code = prop_text(f, "id", bufs[i][1], 32);
        feat_label(label, sizeof label, (long)i + 1, ft->code, ft->name);
        bool ok = true;
        if (!json_is_object(f) || !ftype || strcmp(ftype, "Feature")) {
            snprintf(why, sizeof why, "%s is not a GeoJSON Feature (\"type\": \"Feature\")",
                     label);
            ok = false;
        } else if (!ft->name) {
            snprintf(why, sizeof why,
                     "%s has no name: give it properties.name%s%s (every area is labelled on "
                     "the map)",
                     label, o && o->name_field ? " or properties." : "",
                     o && o->name_field ? o->name_field : "");
            ok = false;
        } else if (strlen(ft->name) > 120 || (ft->code && strlen(ft->code) > 60)) {
            snprintf(why, sizeof why, "%s: a name over 120 or a code over 60 characters", label);
            ok = false;
        } else {
            char gwhy[360];
            ok = geometry_ok(json_object_get(f, "geometry"), &ft->label_lat, &ft->label_lon, gwhy,
                             sizeof gwhy);
            if (!ok)
                snprintf(why, sizeof why, "%s: %s%s", label, strncmp(gwhy, "is ", 3) ? "" : "its geometry ", gwhy);
        }
        if (ok) {
            if (!ft->code)
                ft->code = ft->name; /* the name is then the key */
            for (size_t j = 0; j < i && ok; j++)
                if (fs[j].code && !strcmp(fs[j].code, ft->code)) {
                    snprintf(why, sizeof why, "%s has the same code as feature %zu", label, j + 1);
                    ok = false;
                }
        }
        if (!ok) {
            rep->rejected++;
            if (bad_fn)
                bad_fn(arg, (long)i + 1, why);
            ft->geometry = NULL;
            ft->code = NULL; /* not compared with later features */
            continue;
        }
        ft->geometry = json_object_get(f, "geometry");
    }
    int rc = SVP_OK;
    if (rep->rejected)
        rc = svp_err_at(err, SVP_EINPUT, file, 0, NULL,
                        "%ld of %ld features are bad (each named above): nothing imported",
                        rep->rejected, rep->rows);
    for (size_t i = 0; !rc && i < nf; i++) {
        struct context_boundary b = {.code = fs[i].code,
                                     .name = fs[i].name,
                                     .kind = kind,
                                     .geometry = fs[i].geometry,
                                     .label_lat = fs[i].label_lat,
                                     .label_lon = fs[i].label_lon};
        rc = fn ? fn(arg, &b) : SVP_OK;
        rep->imported += !rc;
    }
    svp_free(fs);
    svp_free(bufs);
    json_decref(doc);
    return rc;
}

struct bimport {
    struct store_stmt *ins;
    context_bad_row_fn bad_fn;
    void *bad_arg;
    struct svp_err *err;
};

static int import_one(void *arg, const struct context_boundary *b)
{
    struct bimport *c = arg;
    char *geo = svp_json_dumps(b->geometry, JSON_COMPACT | JSON_REAL_PRECISION(8));
    if (!geo)
        return svp_err_set(c->err, SVP_ENOMEM, "out of memory");
    int rc = SVP_OK;
    if (store_bind_text(c->ins, 1, b->code, -1) || store_bind_text(c->ins, 2, b->name, -1) ||
        store_bind_text(c->ins, 3, b->kind, -1) || store_bind_text(c->ins, 4, geo, -1) ||
        store_bind_double(c->ins, 5, b->label_lat) || store_bind_double(c->ins, 6, b->label_lon))
        rc = svp_err_set(c->err, SVP_EDB, "cannot bind a boundary");
    free(geo); /* jansson's allocator */
    if (!rc && (rc = store_step(c->ins, c->err)) == STORE_DONE)
        rc = SVP_OK;
    store_reset(c->ins);
    return rc;
}

static void import_bad(void *arg, long no, const char *why)
{
    struct bimport *c = arg;
    if (c->bad_fn)
        c->bad_fn(c->bad_arg, no, why);
}

int context_boundaries_import(struct store *s, const char *path,
                              const struct context_boundary_opts *o, context_bad_row_fn bad_fn,
                              void *arg, struct context_import_report *rep, struct svp_err *err)
{
    memset(rep, 0, sizeof *rep);
    char *data = NULL;
    size_t len = 0;
    int rc = ctx_read_file(path, &data, &len, err);
    if (rc)
        return rc;
    struct bimport c = {.bad_fn = bad_fn, .bad_arg = arg, .err = err};
    rc = store_begin(s, err);
    bool began = !rc;
    struct store_stmt *del = NULL;
    if (!rc)
        rc = store_prepare(s, "DELETE FROM context_boundary WHERE kind = ?", &del, err);
    if (!rc && store_bind_text(del, 1, o && o->kind ? o->kind : "area", -1))
        rc = svp_err_set(err, SVP_EDB, "cannot bind the kind");
    if (!rc && (rc = store_step(del, err)) == STORE_DONE)
        rc = SVP_OK;
    store_finalize(&del);
    if (!rc)
        rc = store_prepare(s,
                           "INSERT INTO context_boundary (code, name, kind, geometry, label_lat, "
                           "label_lon) VALUES (?, ?, ?, ?, ?, ?)",
                           &c.ins, err);
    if (!rc)
        rc = context_boundaries_parse(data, len, path, o, import_one, import_bad, &c, rep, err);
    store_finalize(&c.ins);
    if (!rc)
        rc = store_commit(s, err);
    else if (began)
        store_rollback(s);
    svp_free(data);
    return rc;
}

int context_boundaries_json(struct store *s, json_t **out, struct svp_err *err)
{
    *out = NULL;
    struct store_stmt *st = NULL;
    json_t *fc = json_object(), *features = json_array();
    int rc = fc && features && !json_object_set_new(fc, "type", json_string("FeatureCollection"))
                 ? SVP_OK
                 : svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (!rc)
        rc = store_prepare(s,
                           "SELECT code, name, kind, geometry, label_lat, label_lon FROM "
                           "context_boundary ORDER BY kind, name, code",
                           &st, err);
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        json_error_t je;
        const char *gtext = store_column_text(st, 3);
        json_t *g = gtext ? json_loads(gtext, 0, &je) : NULL;
        json_t *props = json_object(), *label = json_array(), *f = json_object();
        const char *code = store_column_text(st, 0), *name = store_column_text(st, 1),
                   *kind = store_column_text(st, 2);
        if (!g || !props || !label || !f ||
            json_object_set_new(props, "code", json_string(code ? code : "")) ||
            json_object_set_new(props, "name", json_string(name ? name : "")) ||
            json_object_set_new(props, "kind", json_string(kind ? kind : "")) ||
            json_array_append_new(label, json_real(store_column_double(st, 5))) ||
            json_array_append_new(label, json_real(store_column_double(st, 4))) ||
            json_object_set(props, "label", label) ||
            json_object_set_new(f, "type", json_string("Feature")) ||
            json_object_set(f, "geometry", g) || json_object_set(f, "properties", props)) {
            rc = !g && gtext ? svp_err_set(err, SVP_EDB,
                                           "a stored boundary is not JSON: import it again")
                             : svp_err_set(err, SVP_ENOMEM, "out of memory");
            json_decref(f);
            f = NULL;
        }
        json_decref(g);
        json_decref(props);
        json_decref(label);
        if (!f)
            break;
        if (json_array_append_new(features, f))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (rc == STORE_DONE)
        rc = SVP_OK;
    store_finalize(&st);
    if (!rc && json_object_set(fc, "features", features))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    json_decref(features);
    if (rc) {
        json_decref(fc);
        return rc;
    }
    *out = fc;
    return SVP_OK;
}
