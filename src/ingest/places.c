/* PostgreSQL: a reference list of places ([place] profile) written set-based (issue 22: no
 * round trip per row in a bulk path). Row by row, each row was a SELECT by the place's key
 * and an INSERT or an UPDATE, two round trips a row. Here the stored places are read once
 * (under a lock held to the commit, as the bulk path's preload_places takes it), each row is
 * settled in memory, and at the end of the file the new places go in by one COPY with the ids
 * SQLite gives them (one after the highest, in the order first named) and the known ones are
 * changed by one COPY into a stage and one UPDATE.
 *
 * A place named by several rows of the file ends as the rows one after another would leave
 * it: the first row that finds it new stores it, each later one is an update, whose values
 * win where given (name, coordinates, area, kind: COALESCE) and whose in_county always wins.
 * Those updates are merged here, so each place is written once. SQLite keeps the row-by-row
 * path (in process, a statement costs no round trip); tests/unit/test_ingest_places_pg.c
 * compares the two. */
#include "import_int.h"

#include <string.h>

struct imp_place_pend {
    int64_t id;
    bool is_new; /* not stored before the file: COPY'd; else an update of the stored one */
    const char *key, *name, *postcode, *area, *kind;
    bool has_lat, has_lon;
    double lat, lon;
    int in_county;
};

static const char stage_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS svp_stage_placeup (id BIGINT, name TEXT, "
    "lat DOUBLE PRECISION, lon DOUBLE PRECISION, area TEXT, in_county BIGINT, kind TEXT) "
    "ON COMMIT DELETE ROWS; DELETE FROM svp_stage_placeup; "
    /* place's column default takes it too (migration 006): ids given here are not taken */
    "SELECT pg_advisory_xact_lock(22006)";

static const char update_sql[] =
    "UPDATE place p SET name = COALESCE(s.name, p.name), lat = COALESCE(s.lat, p.lat), "
    "lon = COALESCE(s.lon, p.lon), area = COALESCE(s.area, p.area), in_county = s.in_county, "
    "kind = COALESCE(s.kind, p.kind) FROM svp_stage_placeup s WHERE p.id = s.id";

int imp_places_start(struct imp *im)
{
    int rc = store_exec(im->s, stage_sql, im->err);
    if (!rc)
        rc = imp_preload_places(im);
    if (rc)
        return imp_dberr(im, rc);
    im->place_bulk = true;
    return SVP_OK;
}

/* A copy in the file's arena (the row's goes at the next row). */
static int keep(struct imp *im, const char *s, const char **out)
{
    *out = NULL;
    if (s && !(*out = svp_arena_strndup(im->run, s, strlen(s))))
        return SVP_ENOMEM;
    return SVP_OK;
}

/* The values of pv as an update leaves them on top of o (S_PLACE_UPDATE's COALESCEs). */
static int merge(struct imp *im, struct imp_place_pend *o, const struct place_vals *pv)
{
    int rc = SVP_OK;
    if (pv->name)
        rc = keep(im, pv->name, &o->name);
    if (!rc && pv->area)
        rc = keep(im, pv->area, &o->area);
    if (!rc && pv->kind)
        rc = keep(im, pv->kind, &o->kind);
    if (pv->has_lat) {
        o->has_lat = true;
        o->lat = pv->lat;
    }
    if (pv->has_lon) {
        o->has_lon = true;
        o->lon = pv->lon;
    }
    o->in_county = pv->in_county;
    return rc;
}

int imp_places_row(struct imp *im, const struct place_vals *pv, bool *is_new)
{
    struct svp_smap_val *v = svp_smap_get(&im->places, pv->key);
    *is_new = !v;
    if (v && v->hash) /* named before in this file: one more update of it */
        return merge(im, &im->pplace[v->hash - 1], pv);
    if (im->npplace == im->cappplace) {
        size_t cap = im->cappplace ? im->cappplace * 2 : 256;
        struct imp_place_pend *a = svp_realloc(im->pplace, cap * sizeof *a);
        if (!a)
            return SVP_ENOMEM;
        im->pplace = a;
        im->cappplace = cap;
    }
    struct imp_place_pend *o = &im->pplace[im->npplace];
    memset(o, 0, sizeof *o);
    o->is_new = !v;
    int rc = SVP_OK;
    if (v) {
        o->id = v->id;
        o->in_county = 1;
        rc = merge(im, o, pv);
    } else {
        /* one after the highest, as SQLite and the column's default give it */
        if (!im->place_next) {
            int64_t top = 0;
            if ((rc = store_query_int64(im->s, "SELECT COALESCE(MAX(id), 0) FROM place", &top,
                                        im->err)))
                return imp_dberr(im, rc);
            im->place_next = top + 1;
        }
        o->id = im->place_next++;
        o->has_lat = pv->has_lat;
        o->has_lon = pv->has_lon;
        o->lat = pv->lat;
        o->lon = pv->lon;
        o->in_county = pv->in_county;
        rc = keep(im, pv->key, &o->key);
        if (!rc)
            rc = keep(im, pv->name, &o->name);
        if (!rc)
            rc = keep(im, pv->postcode, &o->postcode);
        if (!rc)
            rc = keep(im, pv->area, &o->area);
        if (!rc)
            rc = keep(im, pv->kind, &o->kind);
    }
    if (rc)
        return rc;
    im->npplace++;
    return svp_smap_put(&im->places, pv->key,
                        (struct svp_smap_val){o->id, (uint64_t)im->npplace, im->r->line});
}

static void coords(struct store_bulk *b, const struct imp_place_pend *o)
{
    if (o->has_lat)
        store_bulk_double(b, o->lat);
    else
        store_bulk_null(b);
    if (o->has_lon)
        store_bulk_double(b, o->lon);
    else
        store_bulk_null(b);
}

int imp_places_end(struct imp *im)
{
    if (!im->place_bulk)
        return SVP_OK;
    struct store_bulk *ins = NULL, *up = NULL;
    size_t nup = 0;
    int rc = store_bulk_open(im->s, "place",
                             "id, place_key, name, postcode, lat, lon, area, in_county, kind", 9,
                             &ins, im->err);
    if (!rc)
        rc = store_bulk_open(im->s, "svp_stage_placeup",
                             "id, name, lat, lon, area, in_county, kind", 7, &up, im->err);
    for (size_t i = 0; i < im->npplace && !rc; i++) {
        const struct imp_place_pend *o = &im->pplace[i];
        struct store_bulk *b = o->is_new ? ins : up;
        store_bulk_int64(b, o->id);
        if (o->is_new)
            store_bulk_text(b, o->key);
        store_bulk_text(b, o->name);
        if (o->is_new)
            store_bulk_text(b, o->postcode);
        coords(b, o);
        store_bulk_text(b, o->area);
        store_bulk_int64(b, o->in_county);
        store_bulk_text(b, o->kind);
        rc = store_bulk_row(b, im->err);
        nup += !o->is_new;
    }
    if (!rc)
        rc = store_bulk_finish(ins, im->err);
    if (!rc)
        rc = store_bulk_finish(up, im->err);
    if (!rc && nup)
        rc = store_exec(im->s, update_sql, im->err);
    store_bulk_free(&ins);
    store_bulk_free(&up);
    im->npplace = 0;
    return rc ? imp_dberr(im, rc) : SVP_OK;
}

void imp_places_free(struct imp *im)
{
    svp_free(im->pplace);
    im->pplace = NULL;
    im->npplace = im->cappplace = 0;
}
