/* The county's geography: areas, postcodes, streets, places and the out-of-county towns. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void pc_code(char *buf, size_t cap, const char *district, int k, int salt)
{
    int u = (k / 10 * 7 + salt) % 400;
    snprintf(buf, cap, "%s %d%c%c", district, k % 10, pc_letters[u / 20], pc_letters[u % 20]);
}

/* The grid the areas lie on: six wide up to 18 areas (the profile county, 6 x 3); beyond,
 * about twice as wide as high. */
static void grid_shape(int nareas, int *cols, int *rows)
{
    int c = 6;
    while (nareas > 18 && c * c < 2 * nareas)
        c++;
    *cols = c;
    *rows = (nareas + c - 1) / c;
}

int synth_areas_for(uint64_t children)
{
    /* the profile county's 18 areas for 104,000 children, more in proportion above it */
    uint64_t a = (children * 18 + 52000) / 104000;
    return a < 18 ? 18 : a > MAX_AREAS ? MAX_AREAS : (int)a;
}

int build_geography(struct gen *g)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xA4EAULL);
    g->npc = g->nareas * PC_PER_AREA + NTOWNS * PC_PER_TOWN;
    g->npl = g->nareas * PLACES_PER_AREA + NTOWNS;
    g->pc = svp_calloc(g->npc, sizeof *g->pc);
    g->pl = svp_calloc(g->npl, sizeof *g->pl);
    g->areas = svp_calloc((size_t)g->nareas, sizeof *g->areas);
    if (!g->pc || !g->pl || !g->areas)
        return svp_err_set(g->err, SVP_ENOMEM, "out of memory building the geography");
    /* A compact county about 48 km east to west and 30 km north to south: areas on a
     * jittered grid six wide (6 x 3 for the default 18 areas). More areas widen it, about
     * twice as wide as high, each area the same size: a region is wider, not denser. */
    grid_shape(g->nareas, &g->grid_cols, &g->grid_rows);
    int rows = g->grid_rows, cols = g->grid_cols;
    const double lat0 = GRID_LAT0, lon0 = GRID_LON0, dlon = GRID_DLON;
    const double dlat = g->nareas > 18 || rows <= 3 ? GRID_DLAT : 0.27 / rows;
    g->grid_dlat = dlat;
    size_t p = 0;
    for (int a = 0; a < g->nareas; a++) {
        struct area *ar = &g->areas[a];
        snprintf(ar->code, sizeof ar->code, "CA%02d", a + 1);
        if (a < 18)
            svp_strlcpy(ar->name, area_names[a], sizeof ar->name);
        else if (a < 18 + 18 * 9)
            snprintf(ar->name, sizeof ar->name, "%s%s", area_prefix[(a - 18) % 18],
                     area_suffix[(a - 18) / 18 % 9]);
        else /* past the names the lists make: numbered, so every name is its own */
            snprintf(ar->name, sizeof ar->name, "%s%s %d", area_prefix[(a - 18) % 18],
                     area_suffix[(a - 18) / 18 % 9], (a - 18) / (18 * 9) + 1);
        ar->lat = lat0 + (a / cols) * dlat + (synth_rng_unit(&r) - 0.5) * 0.03;
        ar->lon = lon0 + (a % cols) * dlon + (synth_rng_unit(&r) - 0.5) * 0.04;
        char district[16];
        snprintf(district, sizeof district, "SV%d", a + 1);
        for (int k = 0; k < PC_PER_AREA; k++, p++) {
            pc_code(g->pc[p].code, sizeof g->pc[p].code, district, k, a);
            g->pc[p].lat = ar->lat + (synth_rng_unit(&r) - 0.5) * 0.045;
            g->pc[p].lon = ar->lon + (synth_rng_unit(&r) - 0.5) * 0.07;
            g->pc[p].area = a;
        }
    }
    /* Out-of-county towns, 60-150 km away: county-lines destinations and far placements. */
    for (int t = 0; t < NTOWNS; t++) {
        double ang = 2 * M_PI * t / NTOWNS + 0.4;
        double tlat = 52.38 + sin(ang) * 0.9, tlon = -1.30 + cos(ang) * 1.4;
        if (g->nareas > 18) { /* around a wider county's middle, as far beyond its edge */
            double k = fmax(cols / 6.0, rows / 3.0);
            tlat = lat0 + (rows - 1) * dlat / 2 + 0.01 + sin(ang) * 0.9 * k;
            tlon = lon0 + (cols - 1) * dlon / 2 + 0.0325 + cos(ang) * 1.4 * k;
        }
        for (int k = 0; k < PC_PER_TOWN; k++, p++) {
            pc_code(g->pc[p].code, sizeof g->pc[p].code, town_districts[t], k, t * 3);
            g->pc[p].lat = tlat + (synth_rng_unit(&r) - 0.5) * 0.03;
            g->pc[p].lon = tlon + (synth_rng_unit(&r) - 0.5) * 0.05;
            g->pc[p].area = -1;
        }
    }
    size_t q = 0;
    for (int a = 0; a < g->nareas; a++)
        for (int k = 0; k < PLACES_PER_AREA; k++, q++) {
            struct place *pl = &g->pl[q];
            snprintf(pl->id, sizeof pl->id, "PL%04zu", q + 1);
            snprintf(pl->name, sizeof pl->name, place_fmt[k], g->areas[a].name);
            pl->kind = place_kinds[k];
            pl->area = a;
            pl->pc = (uint32_t)(a * PC_PER_AREA + synth_rng_below(&r, PC_PER_AREA));
            if (!strcmp(pl->kind, "SCHOOL"))
                snprintf(pl->urn, sizeof pl->urn, "%06d", 110000 + a * 37 + k * 5);
        }
    for (int t = 0; t < NTOWNS; t++, q++) {
        struct place *pl = &g->pl[q];
        snprintf(pl->id, sizeof pl->id, "PL%04zu", q + 1);
        snprintf(pl->name, sizeof pl->name, "%s Town Centre", town_names[t]);
        pl->kind = "TOWN";
        pl->area = -1;
        pl->pc = (uint32_t)(g->nareas * PC_PER_AREA + t * PC_PER_TOWN);
    }
    /* Two places where ordinary incidents cluster (the non-exploitation hotspots). */
    g->incident_hotspot[0] = (uint32_t)(synth_rng_below(&r, g->nareas) * PLACES_PER_AREA + 1);
    g->incident_hotspot[1] = (uint32_t)(synth_rng_below(&r, g->nareas) * PLACES_PER_AREA + 2);
    return SVP_OK;
}

const char *area_code(const struct gen *g, int a)
{
    return a < 0 ? "OUT" : g->areas[a].code;
}

FILE *open_out(struct gen *g, const char *rel);

/* DIR/boundaries.geojson: each area's cell of the grid as a polygon (a GeoJSON
 * FeatureCollection, RFC 7946, longitude first), for `svp context boundaries import`. The
 * cells tile the county, and each holds its area's postcodes (jitter 0.0375 of latitude
 * and 0.055 of longitude at most, within the cell's half-height 0.045 and half-width
 * 0.0575). */
int write_boundaries(struct gen *g)
{
    FILE *f = open_out(g, "boundaries.geojson");
    if (!f)
        return g->rc;
    fputs("{\"type\": \"FeatureCollection\", \"features\": [\n", f);
    for (int a = 0; a < g->nareas; a++) {
        double clat = GRID_LAT0 + (a / g->grid_cols) * g->grid_dlat;
        double clon = GRID_LON0 + (a % g->grid_cols) * GRID_DLON;
        double y0 = clat - g->grid_dlat / 2, y1 = clat + g->grid_dlat / 2;
        double x0 = clon - GRID_DLON / 2, x1 = clon + GRID_DLON / 2;
        fprintf(f,
                "{\"type\": \"Feature\", \"properties\": {\"code\": \"%s\", \"name\": "
                "\"%s\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[%.5f, %.5f], "
                "[%.5f, %.5f], [%.5f, %.5f], [%.5f, %.5f], [%.5f, %.5f]]]}}%s\n",
                g->areas[a].code, g->areas[a].name, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0,
                a + 1 < g->nareas ? "," : "");
    }
    fputs("]}\n", f);
    if (ferror(f) | fclose(f)) {
        char path[4200];
        snprintf(path, sizeof path, "%s/boundaries.geojson", g->o->out);
        return g->rc = svp_err_at(g->err, SVP_EIO, path, 0, NULL, "cannot write the file");
    }
    return SVP_OK;
}

int write_geography(struct gen *g)
{
    for (int a = 0; a < g->nareas; a++) {
        struct out_file *o = &g->files[F_AREAS];
        out_str(o, g->areas[a].code);
        out_str(o, g->areas[a].name);
        out_fmt(o, "%.5f", g->areas[a].lat);
        out_fmt(o, "%.5f", g->areas[a].lon);
        out_fmt(o, "SV%d", a + 1);
        row_end(g, F_AREAS, g->areas[a].code, NULL);
    }
    for (size_t p = 0; p < g->npc; p++) {
        struct out_file *o = &g->files[F_POSTCODES];
        out_str(o, g->pc[p].code);
        out_fmt(o, "%.5f", g->pc[p].lat);
        out_fmt(o, "%.5f", g->pc[p].lon);
        out_str(o, area_code(g, g->pc[p].area));
        row_end(g, F_POSTCODES, g->pc[p].code, NULL);
    }
    for (size_t q = 0; q < g->npl; q++) {
        struct out_file *o = &g->files[F_PLACES];
        const struct place *pl = &g->pl[q];
        out_str(o, pl->id);
        out_str(o, pl->name);
        out_str(o, pl->kind);
        out_str(o, area_code(g, pl->area));
        out_str(o, g->pc[pl->pc].code);
        out_fmt(o, "%.5f", g->pc[pl->pc].lat);
        out_fmt(o, "%.5f", g->pc[pl->pc].lon);
        row_end(g, F_PLACES, pl->id, NULL);
    }
    return g->rc;
}

uint32_t addr_pc(int area, int street, int number)
{
    return (uint32_t)(area * PC_PER_AREA + (street * 5 + number / 20) % PC_PER_AREA);
}

void addr_text(const struct gen *g, char *buf, size_t cap, int area, int street, int number)
{
    snprintf(buf, cap, "%d %s %s, %s", number, street_base[(street + area * 7) % 30],
             street_suffix[(street * 3 + area) % 10], g->areas[area].name);
}

/* The household's address on day d. */
void hh_addr(const struct household *h, svp_day d, int *area, int *street, int *number)
{
    bool moved = d >= h->move;
    *area = moved ? h->area2 : h->area;
    *street = moved ? h->street2 : h->street;
    *number = moved ? h->number2 : h->number;
}

uint32_t hh_pc(const struct household *h, svp_day d)
{
    int a, s, n;
    hh_addr(h, d, &a, &s, &n);
    return addr_pc(a, s, n);
}
