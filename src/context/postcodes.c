/* The postcode lookup a partnership imports (context_postcode): a plain postcode,lat,lon,area
 * CSV or the ONS Postcode Directory's layout. */
#include "context_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LOOKUP_BYTES (256L * 1024 * 1024)

/* ------------------------------------------------------------------ postcodes */

bool context_postcode_canonical(const char *s, char *out, size_t cap)
{
    char pc[SVP_POSTCODE_CAP];
    if (!s || cap < SVP_POSTCODE_CAP || !svp_postcode_canonical(s, strlen(s), pc))
        return false;
    memcpy(out, pc, strlen(pc) + 1);
    return true;
}

static int find_col(const struct svp_csv_row *row, const char *const *names)
{
    for (size_t i = 0; i < row->nfields; i++)
        for (const char *const *n = names; *n; n++)
            if (!strcasecmp(row->fields[i].p, *n))
                return (int)i;
    return -1;
}

static bool parse_double(const char *s, double *out)
{
    char *end;
    if (!*s)
        return false;
    double v = strtod(s, &end);
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* The ONS Postcode Directory (ONSPD) gives the postcode in pcds ("SN15 1AB"), the
 * coordinates in lat and long, and a row per postcode with dozens of geography codes
 * (oslaua the local authority, osward the electoral ward, lsoa21, msoa21 ...). A postcode
 * without a grid reference has lat 99.999999 and long 0. */
#define ONSPD_NO_GRID_LAT 99.0

static bool code_in_list(const char *code, const char *list)
{
    size_t n = strlen(code);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        while (l && *p == ' ') {
            p++;
            l--;
        }
        while (l && p[l - 1] == ' ')
            l--;
        if (l == n && n && !strncasecmp(p, code, n))
            return true;
        p = c ? c + 1 : NULL;
    }
    return false;
}

int context_postcodes_parse(const char *data, size_t len, const char *name,
                            int (*row_fn)(void *arg, const char *postcode, double lat, double lon,
                                          const char *area, bool in_county),
                            context_bad_row_fn bad_fn, void *arg, struct context_import_report *rep,
                            struct svp_err *err)
{
    return context_postcodes_parse_layout(data, len, name, NULL, row_fn, bad_fn, arg, rep, err);
}

int context_postcodes_parse_layout(const char *data, size_t len, const char *name,
                                   const struct context_postcode_layout *layout,
                                   int (*row_fn)(void *arg, const char *postcode, double lat,
                                                 double lon, const char *area, bool in_county),
                                   context_bad_row_fn bad_fn, void *arg,
                                   struct context_import_report *rep, struct svp_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct svp_csv_opts opts = {
        .delim = ',', .max_field = 256, .max_fields = 256, .check_utf8 = true};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(data, len, &opts, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row row;
    rc = svp_csv_next(csv, &row, err);
    if (rc <= 0 || row.error) {
        /* row.error lives in the reader: report before freeing it */
        if (rc == 0)
            rc = svp_err_at(err, SVP_EINPUT, name, 1, NULL,
                            "empty file: expected a header postcode,lat,lon,area");
        else if (rc > 0)
            rc = svp_err_at(err, SVP_EINPUT, name, 1, NULL, "unreadable header: %s", row.error);
        svp_csv_free(&csv);
        return rc;
    }
    static const char *const pcn[] = {"postcode", "pcds", "pcd", NULL};
    static const char *const latn[] = {"lat", "latitude", NULL};
    static const char *const lonn[] = {"lon", "long", "longitude", "lng", NULL};
    static const char *const arean[] = {"area", "community_area", "area_code", NULL};
    static const char *const pcdsn[] = {"pcds", NULL};
    const char *area_col = layout && layout->area_column && *layout->area_column
                               ? layout->area_column
                               : NULL;
    const char *county_col = layout && layout->county_column && *layout->county_column
                                 ? layout->county_column
                                 : "oslaua";
    const char *in_codes = layout && layout->in_county && *layout->in_county ? layout->in_county
                                                                              : NULL;
    /* ONSPD: a pcds column and no plain area column (or a layout that names one) */
    bool onspd = area_col || in_codes || (find_col(&row, pcdsn) >= 0 && find_col(&row, arean) < 0);
    if (onspd && !area_col)
        area_col = "osward";
    const char *area_names[] = {area_col, NULL}, *county_names[] = {county_col, NULL};
    int cp = onspd ? find_col(&row, pcdsn) : find_col(&row, pcn), cla = find_col(&row, latn),
        clo = find_col(&row, lonn), car = onspd ? find_col(&row, area_names) : find_col(&row, arean),
        cco = onspd && in_codes ? find_col(&row, county_names) : -1;
    if (cp < 0 || cla < 0 || clo < 0 || car < 0 || (onspd && in_codes && cco < 0)) {
        char what[96];
        snprintf(what, sizeof what, "%s",
                 cp < 0    ? (onspd ? "pcds" : "postcode")
                 : cla < 0 ? "lat"
                 : clo < 0 ? (onspd ? "long" : "lon")
                 : car < 0 ? (onspd ? area_col : "area")
                           : county_col);
        svp_csv_free(&csv);
        if (onspd)
            return svp_err_at(err, SVP_EINPUT, name, 1, NULL,
                              "an ONS Postcode Directory file needs the columns pcds, lat, long, "
                              "the area column (%s) and, with --in, the county column (%s) "
                              "(missing: %s)",
                              area_col, county_col, what);
        return svp_err_at(err, SVP_EINPUT, name, 1, NULL,
                          "the header must name the columns postcode, lat, lon and area "
                          "(missing: %s)",
                          what);
    }
    int need = cp;
    if (cla > need)
        need = cla;
    if (clo > need)
        need = clo;
    if (car > need)
        need = car;
    if (cco > need)
        need = cco;
    while ((rc = svp_csv_next(csv, &row, err)) == 1) {
        if (row.nfields == 1 && row.fields[0].len == 0)
            continue; /* blank line */
        rep->rows++;
        const char *why = row.error;
        char pc[10];
        double lat = 0, lon = 0;
        if (!why && row.nfields <= (size_t)need)
            why = "too few fields";
        if (!why && !context_postcode_canonical(row.fields[cp].p, pc, sizeof pc))
            why = "postcode is not shaped like a UK postcode";
        if (!why && onspd && parse_double(row.fields[cla].p, &lat) && lat > ONSPD_NO_GRID_LAT)
            why = "no grid reference (lat 99.999999 in the ONS Postcode Directory)";
        if (!why && (!parse_double(row.fields[cla].p, &lat) || lat < -90 || lat > 90))
            why = "lat is not a latitude between -90 and 90";
        if (!why && (!parse_double(row.fields[clo].p, &lon) || lon < -180 || lon > 180))
            why = "lon is not a longitude between -180 and 180";
        if (!why && row.fields[car].len == 0)
            why = "area is empty";
        if (why) {
            rep->rejected++;
            if (bad_fn)
                bad_fn(arg, row.line, why);
            continue;
        }
        bool in_county = onspd ? !in_codes || code_in_list(row.fields[cco].p, in_codes)
                               : strcasecmp(row.fields[car].p, "OUT") != 0;
        if (row_fn && (rc = row_fn(arg, pc, lat, lon, in_county ? row.fields[car].p : "OUT",
                                   in_county)) != 0) {
            svp_csv_free(&csv);
            return rc;
        }
        rep->imported++;
    }
    svp_csv_free(&csv);
    if (rc < 0)
        return svp_err_at(err, rc, name, 0, NULL, "%s", err->msg);
    return 0;
}

struct area_name {
    char code[64], name[128];
};

struct import_ctx {
    struct store_stmt *del, *ins;
    struct svp_err *err;
    context_bad_row_fn bad_fn;
    void *bad_arg;
    struct area_name *areas;
    size_t nareas;
};

static int import_row(void *arg, const char *pc, double lat, double lon, const char *area,
                      bool in_county)
{
    struct import_ctx *c = arg;
    if (c->nareas && in_county) {
        size_t i = 0;
        while (i < c->nareas && strcmp(c->areas[i].code, area))
            i++;
        if (i == c->nareas)
            return svp_err_set(c->err, SVP_EINPUT,
                               "postcode %s: area '%.60s' is not in the areas file", pc, area);
        area = c->areas[i].name;
    }
    /* Queued: on PostgreSQL one round trip for many rows, not two per row (pipeline mode);
     * a failure comes back at the next statement or at store_flush. */
    int rc = store_bind_text(c->del, 1, pc, -1);
    if (!rc)
        rc = store_queue(c->del, c->err);
    store_reset(c->del);
    if (!rc)
        rc = store_bind_text(c->ins, 1, pc, -1);
    if (!rc)
        rc = store_bind_double(c->ins, 2, lat);
    if (!rc)
        rc = store_bind_double(c->ins, 3, lon);
    if (!rc)
        rc = store_bind_text(c->ins, 4, area, -1);
    if (!rc)
        rc = store_bind_int64(c->ins, 5, in_county ? 1 : 0);
    if (!rc)
        rc = store_queue(c->ins, c->err);
    store_reset(c->ins);
    return rc;
}

static void import_bad(void *arg, long line, const char *why)
{
    struct import_ctx *c = arg;
    if (c->bad_fn)
        c->bad_fn(c->bad_arg, line, why);
}

int ctx_read_file(const char *path, char **out, size_t *len, struct svp_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot open the file");
    struct svp_buf b;
    svp_buf_init(&b, MAX_LOOKUP_BYTES);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = svp_buf_append(&b, chunk, n);
    if (!rc && ferror(f))
        rc = svp_err_at(err, SVP_EIO, path, 0, NULL, "read error");
    else if (rc)
        rc = svp_err_at(err, rc, path, 0, NULL,
                        rc == SVP_ENOMEM ? "out of memory" : "larger than 256 MiB");
    fclose(f);
    if (rc) {
        svp_buf_free(&b);
        return rc;
    }
    *len = b.len;
    *out = svp_buf_take(&b);
    if (!*out)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    return 0;
}

/* Reads an areas file (area_code,name) into c->areas. */
static int read_areas(const char *path, struct import_ctx *c, struct svp_err *err)
{
    struct svp_csv_opts opts = {
        .delim = ',', .max_field = 256, .max_fields = 64, .check_utf8 = true};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_file(path, &opts, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row row;
    static const char *const coden[] = {"area_code", "code", NULL};
    static const char *const namen[] = {"name", "area", NULL};
    int cc = -1, cn = -1;
    rc = svp_csv_next(csv, &row, err);
    if (rc == 1 && !row.error) {
        cc = find_col(&row, coden);
        cn = find_col(&row, namen);
    }
    if (rc >= 0 && (cc < 0 || cn < 0))
        rc = svp_err_at(err, SVP_EINPUT, path, 1, NULL,
                        "an areas file needs the columns area_code and name");
    size_t cap = 0;
    while (rc >= 0 && (rc = svp_csv_next(csv, &row, err)) == 1) {
        if (row.error || row.nfields <= (size_t)(cc > cn ? cc : cn)) {
            rc = svp_err_at(err, SVP_EINPUT, path, row.line, NULL, "%s",
                            row.error ? row.error : "too few fields");
            break;
        }
        struct area_name *na = svp_grow(c->areas, &cap, c->nareas + 1, sizeof *na, 32);
        if (!na) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        c->areas = na;
        svp_strlcpy(c->areas[c->nareas].code, row.fields[cc].p, sizeof c->areas[0].code);
        svp_strlcpy(c->areas[c->nareas].name, row.fields[cn].p, sizeof c->areas[0].name);
        c->nareas++;
    }
    svp_csv_free(&csv);
    return rc < 0 ? rc : 0;
}

int context_postcodes_import(struct store *s, const char *path, const char *areas_path,
                             context_bad_row_fn bad_fn, void *arg,
                             struct context_import_report *rep, struct svp_err *err)
{
    return context_postcodes_import_layout(s, path, areas_path, NULL, bad_fn, arg, rep, err);
}

int context_postcodes_import_layout(struct store *s, const char *path, const char *areas_path,
                                    const struct context_postcode_layout *layout,
                                    context_bad_row_fn bad_fn, void *arg,
                                    struct context_import_report *rep, struct svp_err *err)
{
    memset(rep, 0, sizeof *rep);
    char *data = NULL;
    size_t len = 0;
    struct import_ctx c = {.err = err, .bad_fn = bad_fn, .bad_arg = arg};
    int rc = areas_path ? read_areas(areas_path, &c, err) : 0;
    if (!rc)
        rc = ctx_read_file(path, &data, &len, err);
    if (!rc)
        rc = store_begin(s, err);
    if (rc) {
        svp_free(data);
        svp_free(c.areas);
        return rc;
    }
    rc = store_prepare(s, "DELETE FROM context_postcode WHERE postcode = ?", &c.del, err);
    if (!rc)
        rc = store_prepare(s,
                           "INSERT INTO context_postcode (postcode, lat, lon, area, in_county) "
                           "VALUES (?, ?, ?, ?, ?)",
                           &c.ins, err);
    if (!rc)
        rc = context_postcodes_parse_layout(data, len, path, layout, import_row, import_bad, &c,
                                            rep, err);
    if (!rc)
        rc = store_flush(s, err);
    store_finalize(&c.del);
    store_finalize(&c.ins);
    if (!rc)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    svp_free(data);
    svp_free(c.areas);
    return rc;
}
