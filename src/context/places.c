/* Places: the postcode lookup a partnership imports, and the snapshot every analysis reads
 * (context_load), with each place normalised to coordinates and a community area. */
#include "context_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LOOKUP_BYTES (256L * 1024 * 1024)

/* ------------------------------------------------------------------ postcodes */

bool context_postcode_canonical(const char *s, char *out, size_t cap)
{
    char c[8];
    size_t n = 0;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t')
            continue;
        if (n >= 7 || !isalnum((unsigned char)*s))
            return false;
        c[n++] = (char)toupper((unsigned char)*s);
    }
    /* outward code 2-4 characters (letter first, a digit in it), inward code digit-letter-
     * letter: A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA */
    if (n < 5 || cap < 9)
        return false;
    size_t out_len = n - 3;
    if (!isalpha((unsigned char)c[0]) || !isdigit((unsigned char)c[out_len]) ||
        !isalpha((unsigned char)c[out_len + 1]) || !isalpha((unsigned char)c[out_len + 2]))
        return false;
    bool digit = false;
    for (size_t i = 1; i < out_len; i++)
        digit |= isdigit((unsigned char)c[i]) != 0;
    if (!digit)
        return false;
    memcpy(out, c, out_len);
    out[out_len] = ' ';
    memcpy(out + out_len + 1, c + out_len, 3);
    out[n + 1] = '\0';
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

int context_postcodes_parse(const char *data, size_t len, const char *name,
                            int (*row_fn)(void *arg, const char *postcode, double lat, double lon,
                                          const char *area, bool in_county),
                            context_bad_row_fn bad_fn, void *arg, struct context_import_report *rep,
                            struct svp_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct svp_csv_opts opts = {
        .delim = ',', .max_field = 256, .max_fields = 64, .check_utf8 = true};
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
    int cp = find_col(&row, pcn), cla = find_col(&row, latn), clo = find_col(&row, lonn),
        car = find_col(&row, arean);
    if (cp < 0 || cla < 0 || clo < 0 || car < 0) {
        svp_csv_free(&csv);
        return svp_err_at(err, SVP_EINPUT, name, 1, NULL,
                          "the header must name the columns postcode, lat, lon and area "
                          "(missing: %s)",
                          cp < 0    ? "postcode"
                          : cla < 0 ? "lat"
                          : clo < 0 ? "lon"
                                    : "area");
    }
    int need = cp;
    if (cla > need)
        need = cla;
    if (clo > need)
        need = clo;
    if (car > need)
        need = car;
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
        bool in_county = strcasecmp(row.fields[car].p, "OUT") != 0;
        if (row_fn && (rc = row_fn(arg, pc, lat, lon, row.fields[car].p, in_county)) != 0) {
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
    int rc = store_bind_text(c->del, 1, pc, -1);
    if (!rc && (rc = store_step(c->del, c->err)) >= 0)
        rc = 0;
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
    if (!rc && (rc = store_step(c->ins, c->err)) >= 0)
        rc = 0;
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
        rc = context_postcodes_parse(data, len, path, import_row, import_bad, &c, rep, err);
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

/* ------------------------------------------------------------------ the snapshot */

void ctx_project(const struct context_data *d, double lat, double lon, double *x, double *y)
{
    *x = (lon - d->lon0) * cos(d->lat0 * M_PI / 180.0) * 111320.0;
    *y = (lat - d->lat0) * 110574.0;
}

void ctx_unproject(const struct context_data *d, double x, double y, double *lat, double *lon)
{
    *lat = d->lat0 + y / 110574.0;
    *lon = d->lon0 + x / (cos(d->lat0 * M_PI / 180.0) * 111320.0);
}

static char *adup(struct context_data *d, const char *s)
{
    if (!s)
        return NULL;
    return svp_arena_strndup(d->arena, s, strlen(s));
}

/* Records and database places are loaded in id order and postcodes in byte order, so
 * each is found by binary search (svp_lower_bound) with one of these comparisons. */
static bool record_below(const void *arr, size_t i, const void *id)
{
    return ((const struct ctx_record *)arr)[i].id < *(const int64_t *)id;
}

static bool place_below(const void *arr, size_t i, const void *id)
{
    return ((const struct ctx_place *)arr)[i].id < *(const int64_t *)id;
}

/* arr is the context_data itself: its postcode entries have no type name of their own */
static bool postcode_below(const void *arr, size_t i, const void *pc)
{
    return strcmp(((const struct context_data *)arr)->postcodes[i].pc, pc) < 0;
}

int ctx_record_index(const struct context_data *d, int64_t id)
{
    size_t k = svp_lower_bound(d->records, d->nrecords, &id, record_below);
    return k < d->nrecords && d->records[k].id == id ? (int)k : -1;
}

int ctx_place_index(const struct context_data *d, int64_t id)
{
    size_t k = svp_lower_bound(d->places, d->nplaces_db, &id, place_below);
    return k < d->nplaces_db && d->places[k].id == id ? (int)k : -1;
}

static int cmp_pc(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* index of the canonical postcode in the lookup, or -1 */
static long postcode_find(const struct context_data *d, const char *raw)
{
    char pc[10];
    if (!raw || !context_postcode_canonical(raw, pc, sizeof pc) || d->npostcodes == 0)
        return -1;
    size_t lo = svp_lower_bound(d, d->npostcodes, pc, postcode_below);
    return lo < d->npostcodes && !strcmp(d->postcodes[lo].pc, pc) ? (long)lo : -1;
}

/* Grows a heap array of sz-byte elements to hold need (svp_grow), zeroing the new part so
 * callers may fill elements field by field. */
static int grow(void **arr, size_t *cap, size_t need, size_t sz)
{
    size_t old = *cap;
    void *p = svp_grow(*arr, cap, need, sz, 256);
    if (!p)
        return SVP_ENOMEM;
    memset((char *)p + old * sz, 0, (*cap - old) * sz);
    *arr = p;
    return 0;
}

static enum ctx_type type_of(const char *t)
{
    static const struct {
        const char *name;
        enum ctx_type type;
    } map[] = {{"missing_episode", CTX_T_MISSING}, {"crime", CTX_T_CRIME},
               {"intelligence", CTX_T_INTEL},      {"stop_search", CTX_T_STOP},
               {"arrest", CTX_T_ARREST},           {"exploitation_screening", CTX_T_SCREENING},
               {"nrm_referral", CTX_T_NRM},        {"return_interview", CTX_T_RHI}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].name, t))
            return map[i].type;
    return CTX_T_OTHER;
}

static int load_postcodes(struct store *s, struct context_data *d, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT postcode, lat, lon, area, in_county FROM context_postcode "
                           "ORDER BY postcode",
                           &st, err);
    size_t cap = 0;
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = grow((void **)&d->postcodes, &cap, d->npostcodes + 1, sizeof *d->postcodes);
        if (rc) {
            svp_err_set(err, rc, "out of memory");
            break;
        }
        const char *pc = store_column_text(st, 0);
        svp_strlcpy(d->postcodes[d->npostcodes].pc, pc ? pc : "", 10);
        d->postcodes[d->npostcodes].lat = store_column_double(st, 1);
        d->postcodes[d->npostcodes].lon = store_column_double(st, 2);
        d->postcodes[d->npostcodes].area = adup(d, store_column_text(st, 3));
        d->postcodes[d->npostcodes].in_county = store_column_int64(st, 4) != 0;
        d->npostcodes++;
        rc = 0;
    }
    store_finalize(&st);
    /* the database sorts by its collation; bsearch needs byte order */
    if (rc >= 0 && d->npostcodes)
        qsort(d->postcodes, d->npostcodes, sizeof *d->postcodes, cmp_pc);
    return rc < 0 ? rc : 0;
}

/* The county's extent: the postcode lookup's bounding box with a 2 km margin. Without a
 * lookup, every place with in_county = 1 counts as inside. */
static void normalise_places(struct context_data *d)
{
    double minlat = 90, maxlat = -90, minlon = 180, maxlon = -180, slat = 0, slon = 0;
    size_t nin = 0;
    for (size_t i = 0; i < d->npostcodes; i++) {
        if (!d->postcodes[i].in_county)
            continue;
        double la = d->postcodes[i].lat, lo = d->postcodes[i].lon;
        minlat = fmin(minlat, la);
        maxlat = fmax(maxlat, la);
        minlon = fmin(minlon, lo);
        maxlon = fmax(maxlon, lo);
        slat += la;
        slon += lo;
        nin++;
    }
    bool have_extent = nin > 0;
    minlat -= 0.018;
    maxlat += 0.018;
    minlon -= 0.03;
    maxlon += 0.03;
    for (size_t i = 0; i < d->nplaces; i++) {
        struct ctx_place *p = &d->places[i];
        if (p->status == CONTEXT_PLACE_OUTSIDE || p->status == CONTEXT_PLACE_NO_LOCATION)
            continue; /* decided while loading (in_county = 0, bad coordinates) */
        bool has = !isnan(p->lat);
        long pci = postcode_find(d, p->postcode);
        if (!has && pci >= 0) {
            p->lat = d->postcodes[pci].lat;
            p->lon = d->postcodes[pci].lon;
            p->status = CONTEXT_PLACE_BY_POSTCODE;
            has = true;
        }
        if (!has) {
            p->status = CONTEXT_PLACE_NO_LOCATION;
            p->why = p->postcode && *p->postcode
                         ? "no coordinates and the postcode is not in the lookup"
                         : "no coordinates and no postcode";
            continue;
        }
        if (pci >= 0 && !d->postcodes[pci].in_county) {
            p->status = CONTEXT_PLACE_OUTSIDE;
            p->why = "the postcode is outside the county";
            continue;
        }
        if (have_extent &&
            (p->lat < minlat || p->lat > maxlat || p->lon < minlon || p->lon > maxlon)) {
            p->status = CONTEXT_PLACE_OUTSIDE;
            p->why = "coordinates outside the county (beyond the postcode lookup's extent)";
            continue;
        }
        if (!have_extent) {
            slat += p->lat;
            slon += p->lon;
            nin++;
        }
        if ((!p->area || !*p->area) && pci >= 0)
            p->area = d->postcodes[pci].area;
    }
    if (nin) {
        d->lat0 = slat / (double)nin;
        d->lon0 = slon / (double)nin;
    }
    /* a located place with no area takes its nearest postcode's area */
    for (size_t i = 0; i < d->nplaces; i++) {
        struct ctx_place *p = &d->places[i];
        if (p->status != CONTEXT_PLACE_LOCATED && p->status != CONTEXT_PLACE_BY_POSTCODE)
            continue;
        ctx_project(d, p->lat, p->lon, &p->x, &p->y);
        if ((p->area && *p->area) || d->npostcodes == 0)
            continue;
        double best = INFINITY;
        for (size_t k = 0; k < d->npostcodes; k++) {
            if (!d->postcodes[k].in_county)
                continue;
            double x, y;
            ctx_project(d, d->postcodes[k].lat, d->postcodes[k].lon, &x, &y);
            double dd = (x - p->x) * (x - p->x) + (y - p->y) * (y - p->y);
            if (dd < best) {
                best = dd;
                p->area = d->postcodes[k].area;
            }
        }
        d->rep.area_from_nearest++;
    }
}

static int load_places(struct store *s, struct context_data *d, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT id, name, postcode, lat, lon, area, in_county FROM place "
                           "ORDER BY id",
                           &st, err);
    size_t cap = 0;
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        if (grow((void **)&d->places, &cap, d->nplaces + 1, sizeof *d->places)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading places");
            break;
        }
        struct ctx_place *p = &d->places[d->nplaces++];
        p->id = store_column_int64(st, 0);
        p->name = adup(d, store_column_text(st, 1));
        p->postcode = adup(d, store_column_text(st, 2));
        p->area = adup(d, store_column_text(st, 5));
        p->lat = p->lon = NAN;
        p->status = CONTEXT_PLACE_LOCATED;
        if (!store_column_is_null(st, 3) && !store_column_is_null(st, 4)) {
            p->lat = store_column_double(st, 3);
            p->lon = store_column_double(st, 4);
            if (!isfinite(p->lat) || !isfinite(p->lon) || fabs(p->lat) > 90 || fabs(p->lon) > 180) {
                p->status = CONTEXT_PLACE_NO_LOCATION;
                p->why = "coordinates are not a latitude and longitude";
                p->lat = p->lon = NAN;
            }
        }
        if (store_column_int64(st, 6) == 0 && p->status == CONTEXT_PLACE_LOCATED) {
            p->status = CONTEXT_PLACE_OUTSIDE;
            p->why = "recorded as outside the county";
        }
        rc = 0;
    }
    store_finalize(&st);
    d->nplaces_db = d->nplaces;
    return rc < 0 ? rc : 0;
}

struct rec_row {
    int64_t key; /* person id, or -record id */
    size_t idx;
};

static int cmp_rec_row(const void *a, const void *b)
{
    const struct rec_row *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static char *address_key(struct context_data *d, const char *addr, const char *pc)
{
    char cpc[10];
    if (!addr || !*addr || !pc || !context_postcode_canonical(pc, cpc, sizeof cpc))
        return NULL;
    size_t n = strlen(addr);
    char *k = svp_arena_alloc(d->arena, n + 12);
    if (!k)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)addr[i];
        if (isalnum(c))
            k[j++] = (char)tolower(c);
    }
    k[j++] = '|';
    memcpy(k + j, cpc, strlen(cpc) + 1);
    return k;
}

struct pc_idx {
    char pc[10];
    int pref; /* 0: a postcode-only place (ingest's '|POSTCODE'), 1: a named place */
    int place;
};

static int cmp_pc_idx(const void *a, const void *b)
{
    const struct pc_idx *x = a, *y = b;
    int c = strcmp(x->pc, y->pc);
    if (c)
        return c;
    if (x->pref != y->pref)
        return x->pref - y->pref;
    return x->place - y->place;
}

static bool pc_idx_below(const void *arr, size_t i, const void *probe)
{
    return cmp_pc_idx(&((const struct pc_idx *)arr)[i], probe) < 0;
}

/* Postcode -> place for homes: the located places by postcode (sorted), and places made
 * here for home postcodes that only the lookup knows (few: scanned). */
struct home_map {
    struct pc_idx *sorted, *extra;
    size_t nsorted, nextra, extra_cap;
};

/* The place of a home postcode: a located place at that postcode (a postcode-only place
 * first), else a place of its own at the lookup's coordinates; -1 when unknown. */
static int home_place(struct context_data *d, struct home_map *m, const char *raw)
{
    struct pc_idx probe = {.pref = -1, .place = -1};
    if (!raw || !context_postcode_canonical(raw, probe.pc, sizeof probe.pc))
        return -1;
    size_t lo = svp_lower_bound(m->sorted, m->nsorted, &probe, pc_idx_below);
    if (lo < m->nsorted && !strcmp(m->sorted[lo].pc, probe.pc))
        return m->sorted[lo].place;
    for (size_t i = 0; i < m->nextra; i++)
        if (!strcmp(m->extra[i].pc, probe.pc))
            return m->extra[i].place;
    long k = postcode_find(d, probe.pc);
    if (k < 0 || !d->postcodes[k].in_county)
        return -1;
    size_t cap = d->nplaces;
    if (grow((void **)&d->places, &cap, d->nplaces + 1, sizeof *d->places) ||
        grow((void **)&m->extra, &m->extra_cap, m->nextra + 1, sizeof *m->extra))
        return -1;
    struct ctx_place *p = &d->places[d->nplaces];
    memset(p, 0, sizeof *p);
    p->postcode = d->postcodes[k].pc;
    p->name = p->postcode;
    p->lat = d->postcodes[k].lat;
    p->lon = d->postcodes[k].lon;
    p->area = d->postcodes[k].area;
    p->status = CONTEXT_PLACE_BY_POSTCODE;
    ctx_project(d, p->lat, p->lon, &p->x, &p->y);
    m->extra[m->nextra] = probe;
    m->extra[m->nextra].place = (int)d->nplaces;
    m->nextra++;
    return (int)d->nplaces++;
}

static int load_records(struct store *s, struct context_data *d, struct svp_err *err)
{
    struct home_map hm = {0};
    hm.sorted = svp_malloc((d->nplaces + 1) * sizeof *hm.sorted);
    if (!hm.sorted)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->nplaces; i++) {
        const struct ctx_place *p = &d->places[i];
        struct pc_idx *e = &hm.sorted[hm.nsorted];
        if ((p->status == CONTEXT_PLACE_LOCATED || p->status == CONTEXT_PLACE_BY_POSTCODE) &&
            p->postcode && context_postcode_canonical(p->postcode, e->pc, sizeof e->pc)) {
            e->pref = p->name && *p->name;
            e->place = (int)i;
            hm.nsorted++;
        }
    }
    qsort(hm.sorted, hm.nsorted, sizeof *hm.sorted, cmp_pc_idx);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT r.id, r.role, r.given_name, r.family_name, r.address, "
                           "r.postcode, r.area, pr.person_id, r.dob FROM record r "
                           "LEFT JOIN person_record pr ON pr.record_id = r.id ORDER BY r.id",
                           &st, err);
    size_t cap = 0;
    struct rec_row *rows = NULL;
    int64_t *pid = NULL;
    size_t pcap = 0;
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        if (grow((void **)&d->records, &cap, d->nrecords + 1, sizeof *d->records) ||
            grow((void **)&pid, &pcap, d->nrecords + 1, sizeof *pid)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading records");
            break;
        }
        struct ctx_record *r = &d->records[d->nrecords];
        r->id = store_column_int64(st, 0);
        const char *role = store_column_text(st, 1);
        r->role = role && !strcmp(role, "child") ? 'c' : role && !strcmp(role, "adult") ? 'a' : 'u';
        r->given = adup(d, store_column_text(st, 2));
        r->family = adup(d, store_column_text(st, 3));
        r->addr_key = address_key(d, store_column_text(st, 4), store_column_text(st, 5));
        r->home = home_place(d, &hm, store_column_text(st, 5));
        r->area = adup(d, store_column_text(st, 6));
        if ((!r->area || !*r->area) && d->npostcodes) {
            long k = postcode_find(d, store_column_text(st, 5));
            if (k >= 0 && d->postcodes[k].in_county)
                r->area = d->postcodes[k].area;
        }
        pid[d->nrecords] = store_column_is_null(st, 7) ? 0 : store_column_int64(st, 7);
        const char *dob = store_column_text(st, 8);
        struct svp_err ignore;
        r->has_dob = dob && svp_date_parse_iso(dob, strlen(dob), &r->dob, &ignore) == 0;
        d->nrecords++;
        rc = 0;
    }
    store_finalize(&st);
    svp_free(hm.sorted);
    svp_free(hm.extra);
    if (rc < 0) {
        svp_free(pid);
        return rc;
    }
    /* nodes: one per linked person, or per record not yet linked */
    if (d->nrecords) {
        rows = svp_malloc(d->nrecords * sizeof *rows);
        d->nodes = svp_calloc(d->nrecords, sizeof *d->nodes);
        if (!rows || !d->nodes) {
            svp_free(rows);
            svp_free(pid);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < d->nrecords; i++)
            rows[i] = (struct rec_row){pid[i] ? pid[i] : -d->records[i].id, i};
        qsort(rows, d->nrecords, sizeof *rows, cmp_rec_row);
        for (size_t i = 0; i < d->nrecords; i++) {
            if (i == 0 || rows[i].key != rows[i - 1].key) {
                struct ctx_node *n = &d->nodes[d->nnodes++];
                n->person_id = rows[i].key > 0 ? rows[i].key : 0;
                n->record_id = d->records[rows[i].idx].id;
                n->role = 'u';
            }
            struct ctx_node *n = &d->nodes[d->nnodes - 1];
            struct ctx_record *r = &d->records[rows[i].idx];
            r->node = (int)(d->nnodes - 1);
            /* a person recorded as a child anywhere is a child */
            if (r->role == 'c' || (r->role == 'a' && n->role == 'u'))
                n->role = r->role;
            if (!n->name && r->family) {
                size_t cap2 = strlen(r->family) + (r->given ? strlen(r->given) : 0) + 2;
                char *nm = svp_arena_alloc(d->arena, cap2);
                if (nm) {
                    svp_strlcpy(nm, r->given ? r->given : "", cap2);
                    size_t l = strlen(nm);
                    if (l)
                        nm[l++] = ' ';
                    svp_strlcpy(nm + l, r->family, cap2 - l);
                }
                n->name = nm;
            }
            if (!n->has_dob && r->has_dob) {
                n->has_dob = true;
                n->dob = r->dob;
            }
            if (!n->area && r->area && *r->area)
                n->area = r->area;
        }
    }
    svp_free(rows);
    svp_free(pid);
    return 0;
}

struct name_idx {
    const char *key;
    int place;
};

static int cmp_name_idx(const void *a, const void *b)
{
    return strcmp(((const struct name_idx *)a)->key, ((const struct name_idx *)b)->key);
}

static char *lower_key(struct context_data *d, const char *s)
{
    size_t n = strlen(s);
    char *k = svp_arena_alloc(d->arena, n + 1);
    if (!k)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)s[i]))
            k[j++] = (char)tolower((unsigned char)s[i]);
    k[j] = '\0';
    return k;
}

/* Where a child was found: a place of that name, else a place at a postcode written at the
 * end of the text, else a place of its own (no location unless the postcode is known). */
static int found_place(struct context_data *d, struct name_idx *names, size_t nnames, size_t *cap,
                       const char *text, bool out_of_county)
{
    char *key = lower_key(d, text);
    if (!key || !*key)
        return -1;
    struct name_idx probe = {key, -1};
    struct name_idx *hit =
        nnames ? bsearch(&probe, names, nnames, sizeof *names, cmp_name_idx) : NULL;
    if (hit)
        return hit->place;
    for (size_t i = d->nplaces_db; i < d->nplaces; i++)
        if (!strcmp(d->places[i].name, text))
            return (int)i;
    if (grow((void **)&d->places, cap, d->nplaces + 1, sizeof *d->places))
        return -1;
    struct ctx_place *p = &d->places[d->nplaces];
    memset(p, 0, sizeof *p);
    p->name = adup(d, text);
    p->lat = p->lon = NAN;
    /* a postcode may end the text: "Kings Cross station, N1 9AL" */
    size_t n = strlen(text);
    for (size_t start = n > 8 ? n - 8 : 0; start + 5 <= n; start++) {
        if (start > 0 && text[start - 1] != ' ' && text[start - 1] != ',')
            continue;
        long k = postcode_find(d, text + start);
        if (k >= 0) {
            p->postcode = d->postcodes[k].pc;
            p->lat = d->postcodes[k].lat;
            p->lon = d->postcodes[k].lon;
            p->area = d->postcodes[k].in_county ? d->postcodes[k].area : NULL;
            out_of_county |= !d->postcodes[k].in_county;
            break;
        }
    }
    if (!isnan(p->lat) && !out_of_county) {
        p->status = CONTEXT_PLACE_BY_POSTCODE;
        ctx_project(d, p->lat, p->lon, &p->x, &p->y);
    } else if (out_of_county) {
        p->status = CONTEXT_PLACE_OUTSIDE;
        p->why = "found out of the county";
    } else {
        p->status = CONTEXT_PLACE_NO_LOCATION;
        p->why = "a found place named only in text";
    }
    return (int)d->nplaces++;
}

static bool list_has_any(json_t *list, const char *const *words)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *w = json_string_value(v);
        for (const char *const *k = words; w && *k; k++)
            if (!strcmp(w, *k))
                return true;
    }
    return false;
}

/* Reads what the room needs from an event's detail (docs/model.md) and marks children at
 * risk. Until the risk room's scores are on main, a child is at risk with any exploitation
 * indicator recorded: a missing episode, a crime as victim or with an exploitation flag,
 * intelligence, a medium or high screening, an NRM referral, or a return interview
 * disclosure of exploitation or of adult associates. */
static void read_detail(struct context_data *d, struct ctx_event *e, const char *detail,
                        struct name_idx *names, size_t nnames, size_t *pcap)
{
    static const char *const exploit[] = {"cse", "cce", "county_lines", "gang", NULL};
    static const char *const disclosed[] = {
        "cse", "cce", "county_lines", "drugs", "adult_associates", NULL};
    bool risk = e->type == CTX_T_MISSING || e->type == CTX_T_INTEL || e->type == CTX_T_NRM ||
                (e->type == CTX_T_CRIME && e->subtype && !strcmp(e->subtype, "victim")) ||
                (e->type == CTX_T_SCREENING && e->subtype && strcmp(e->subtype, "low"));
    json_t *j = NULL;
    if (detail && (e->type == CTX_T_MISSING || e->type == CTX_T_RHI || CTX_IS_POLICE(e->type))) {
        json_error_t jerr;
        j = json_loads(detail, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(j)) { /* ingest checked it; a bad one just tells nothing */
            json_decref(j);
            j = NULL;
        }
    }
    if (j && CTX_IS_POLICE(e->type)) {
        const char *ref = json_string_value(json_object_get(j, "occurrence_ref"));
        if (ref && *ref)
            e->occurrence_ref = adup(d, ref);
        risk |= list_has_any(json_object_get(j, "exploitation"), exploit);
    }
    if (j && e->type == CTX_T_RHI)
        risk |= list_has_any(json_object_get(j, "disclosures"), disclosed);
    if (e->type == CTX_T_MISSING) {
        /* the event's place is where the child was found; failing that, the found place
         * named in the text; the episode itself is placed at the child's home */
        e->found_place = e->place;
        e->place = e->record >= 0 ? d->records[e->record].home : -1;
        if (j) {
            json_t *ooc = json_object_get(j, "found_out_of_county");
            e->found_out_of_county = json_is_integer(ooc) && json_integer_value(ooc) == 1;
            const char *ret = json_string_value(json_object_get(j, "returned_at"));
            svp_time t;
            struct svp_err ignore;
            if (ret && svp_time_parse_iso(ret, strlen(ret), &t, &ignore) == 0)
                e->found_t = t;
            const char *fp = json_string_value(json_object_get(j, "found_place"));
            if (e->found_place < 0 && fp && *fp)
                e->found_place = found_place(d, names, nnames, pcap, fp, e->found_out_of_county);
        }
    }
    json_decref(j);
    if (risk && e->node >= 0)
        d->nodes[e->node].at_risk = true;
}

static int load_events(struct store *s, struct context_data *d, struct svp_err *err)
{
    size_t nnames = 0, pcap = d->nplaces;
    struct name_idx *names = svp_malloc((d->nplaces_db + 1) * sizeof *names);
    if (!names)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    for (size_t i = 0; i < d->nplaces_db; i++)
        if (d->places[i].name) {
            char *k = lower_key(d, d->places[i].name);
            if (k && *k)
                names[nnames++] = (struct name_idx){k, (int)i};
        }
    qsort(names, nnames, sizeof *names, cmp_name_idx);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT id, record_id, type, subtype, started_at, place_id, detail "
                           "FROM event WHERE type IN (" CTX_LOADED_TYPES_SQL ") "
                           "ORDER BY started_at, id",
                           &st, err);
    size_t cap = 0;
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = 0;
        const char *started = store_column_text(st, 4);
        svp_time t;
        struct svp_err ignore;
        if (!started || svp_time_parse_iso(started, strlen(started), &t, &ignore))
            continue; /* ingest refuses these; nothing to place in time */
        if (grow((void **)&d->events, &cap, d->nevents + 1, sizeof *d->events)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading events");
            break;
        }
        struct ctx_event *e = &d->events[d->nevents];
        e->id = store_column_int64(st, 0);
        e->record = ctx_record_index(d, store_column_int64(st, 1));
        e->node = e->record >= 0 ? d->records[e->record].node : -1;
        e->type_name = adup(d, store_column_text(st, 2));
        e->type = type_of(e->type_name ? e->type_name : "");
        e->subtype = adup(d, store_column_text(st, 3));
        e->t = t;
        e->day = (svp_day)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
        e->place = store_column_is_null(st, 5) ? -1 : ctx_place_index(d, store_column_int64(st, 5));
        const char *detail = store_column_text(st, 6);
        e->found_place = -1;
        e->found_t = e->t;
        read_detail(d, e, detail, names, nnames, &pcap);
        d->nevents++;
    }
    store_finalize(&st);
    svp_free(names);
    return rc < 0 ? rc : 0;
}

static int load_rels(struct store *s, struct context_data *d, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT id, kind, record_a, record_b, event_id FROM relationship "
                           "ORDER BY id",
                           &st, err);
    size_t cap = 0;
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = 0;
        int a = ctx_record_index(d, store_column_int64(st, 2));
        int b = ctx_record_index(d, store_column_int64(st, 3));
        if (a < 0 || b < 0)
            continue;
        if (grow((void **)&d->rels, &cap, d->nrels + 1, sizeof *d->rels)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading relationships");
            break;
        }
        struct ctx_rel *r = &d->rels[d->nrels++];
        r->id = store_column_int64(st, 0);
        r->kind = adup(d, store_column_text(st, 1));
        r->a = a;
        r->b = b;
        r->event_id = store_column_int64(st, 4);
    }
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}

/* Whole years from dob to day. */
static int age_on(svp_day dob, svp_day day)
{
    int y1, m1, d1, y2, m2, d2;
    svp_date_to_ymd(dob, &y1, &m1, &d1);
    svp_date_to_ymd(day, &y2, &m2, &d2);
    return y2 - y1 - (m2 < m1 || (m2 == m1 && d2 < d1));
}

/* A child is a person under 18 when the events happened, not when the extract was taken:
 * a 16-year-old found with an adult in 2022 is a child in that network though 19 now.
 * With a date of birth and events, a person is a child if under 18 at any of them. */
static void roles_by_age(struct context_data *d)
{
    unsigned char *seen = svp_calloc(d->nnodes + 1, 1); /* bit 1: as a child, 2: as an adult */
    if (!seen)
        return; /* the agencies' own roles stand */
    for (size_t i = 0; i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if (e->node >= 0 && d->nodes[e->node].has_dob)
            seen[e->node] |= age_on(d->nodes[e->node].dob, e->day) < 18 ? 1 : 2;
    }
    for (size_t i = 0; i < d->nnodes; i++)
        if (seen[i])
            d->nodes[i].role = (seen[i] & 1) ? 'c' : 'a';
    svp_free(seen);
}

int context_load(struct store *s, struct context_data **out, struct svp_err *err)
{
    *out = NULL;
    struct context_data *d = svp_calloc(1, sizeof *d);
    if (!d || !(d->arena = svp_arena_new(1 << 16))) {
        svp_free(d);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    int rc = load_postcodes(s, d, err);
    if (!rc)
        rc = load_places(s, d, err);
    if (!rc) {
        normalise_places(d);
        rc = load_records(s, d, err);
    }
    if (!rc)
        rc = load_events(s, d, err);
    if (!rc)
        rc = load_rels(s, d, err);
    if (!rc)
        roles_by_age(d);
    if (rc) {
        context_data_free(&d);
        return rc;
    }
    struct context_place_report *r = &d->rep;
    r->postcodes = (long)d->npostcodes;
    r->places = (long)d->nplaces_db;
    for (size_t i = 0; i < d->nplaces_db; i++) {
        switch (d->places[i].status) {
        case CONTEXT_PLACE_LOCATED:
            r->located++;
            break;
        case CONTEXT_PLACE_BY_POSTCODE:
            r->by_postcode++;
            break;
        case CONTEXT_PLACE_OUTSIDE:
            r->outside++;
            break;
        case CONTEXT_PLACE_NO_LOCATION:
            r->no_location++;
            break;
        }
    }
    r->events = (long)d->nevents;
    for (size_t i = 0; i < d->nevents; i++) {
        int p = d->events[i].place;
        bool ok = p >= 0 && (d->places[p].status == CONTEXT_PLACE_LOCATED ||
                             d->places[p].status == CONTEXT_PLACE_BY_POSTCODE);
        if (ok)
            r->events_placed++;
        else
            r->events_unplaced++;
    }
    *out = d;
    return 0;
}

void context_data_free(struct context_data **dp)
{
    if (!dp || !*dp)
        return;
    struct context_data *d = *dp;
    svp_free(d->places);
    svp_free(d->records);
    svp_free(d->nodes);
    svp_free(d->events);
    svp_free(d->rels);
    svp_free(d->postcodes);
    svp_arena_free(&d->arena);
    svp_free(d);
    *dp = NULL;
}

void context_places_report(const struct context_data *d, struct context_place_report *r)
{
    *r = d->rep;
}

void context_places_problems(const struct context_data *d,
                             void (*fn)(void *arg, int64_t place_id, enum context_place_status st,
                                        const char *why),
                             void *arg)
{
    for (size_t i = 0; i < d->nplaces_db; i++) {
        const struct ctx_place *p = &d->places[i];
        if (p->status == CONTEXT_PLACE_OUTSIDE || p->status == CONTEXT_PLACE_NO_LOCATION)
            fn(arg, p->id, p->status, p->why ? p->why : "");
    }
}

/* ------------------------------------------------------------------ event selection */

int ctx_kinds_parse(const char *s, struct ctx_kinds *k, struct svp_err *err)
{
    memset(k, 0, sizeof *k);
    if (!s) {
        k->missing = k->found = k->incident = true;
        return 0;
    }
    const char *p = s;
    while (*p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        char w[32];
        if (n == 0 || n >= sizeof w)
            return svp_err_at(err, SVP_EINPUT, NULL, 0, "events",
                              "'%.40s' is not a list of event kinds (missing, found, incident "
                              "or event types)",
                              s);
        memcpy(w, p, n);
        w[n] = '\0';
        if (!strcmp(w, "missing"))
            k->missing = true;
        else if (!strcmp(w, "found"))
            k->found = true;
        else if (!strcmp(w, "incident"))
            k->incident = true;
        else {
            if (type_of(w) == CTX_T_OTHER)
                return svp_err_at(err, SVP_EINPUT, NULL, 0, "events",
                                  "'%s' is not an event kind (missing, found, incident) or one "
                                  "of the event types contexts reads: %s",
                                  w, CTX_LOADED_TYPES);
            if (k->nraw == 16)
                return svp_err_at(err, SVP_EINPUT, NULL, 0, "events", "more than 16 kinds");
            memcpy(k->raw[k->nraw++], w, n + 1);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

void ctx_select(const struct context_data *d, const struct ctx_kinds *k,
                const struct context_filter *f,
                void (*fn)(void *arg, const struct ctx_event *e, int place, const char *kind),
                void *arg)
{
    for (size_t i = 0; i < d->nevents; i++) {
        const struct ctx_event *e = &d->events[i];
        if ((f->since && e->day < f->since) || (f->until && e->day > f->until))
            continue;
        if (e->type == CTX_T_MISSING) {
            if (k->missing)
                fn(arg, e, e->place, "missing");
            if (k->found && (e->found_place >= 0 || e->found_out_of_county))
                fn(arg, e, e->found_place, "found");
        }
        if (k->incident && CTX_IS_POLICE(e->type))
            fn(arg, e, e->place, "incident");
        for (size_t r = 0; r < k->nraw; r++)
            if (e->type_name && !strcmp(e->type_name, k->raw[r]))
                fn(arg, e, e->place, k->raw[r]);
    }
}

void ctx_node_label(const struct ctx_node *n, char *buf, size_t cap)
{
    if (n->person_id)
        snprintf(buf, cap, "P%lld", (long long)n->person_id);
    else
        snprintf(buf, cap, "R%lld", (long long)n->record_id);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void ctx_count_distinct(uint64_t *pairs, size_t n, long *per_key, size_t nkeys)
{
    qsort(pairs, n, sizeof *pairs, cmp_u64);
    for (size_t i = 0; i < n; i++)
        if ((i == 0 || pairs[i] != pairs[i - 1]) && (pairs[i] >> 32) < nkeys)
            per_key[pairs[i] >> 32]++;
}
