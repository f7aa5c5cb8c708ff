/* Hotspots: Getis-Ord Gi* on a square grid and on community areas, and a kernel density
 * surface for maps.
 *
 * Grid neighbourhood: a cell and its eight neighbours (queen contiguity, binary weights,
 * the cell itself included: Gi* "star"). Cells cover the county's extent (postcode lookup
 * and located places), empty cells included, since a hotspot is a cluster of high values
 * against the whole county. Area neighbourhood: an area and its four nearest areas by
 * centroid (the postcode lookup's mean coordinates), because the county's areas are known
 * as names and points, not polygons.
 *
 * Significance: p is two-sided from the normal distribution; because hundreds of cells are
 * tested at once, a unit is called a hotspot only when its Benjamini-Hochberg q-value is at
 * most alpha (default 0.05): among the cells shown as hot, at most about 5% are expected to
 * be hot by chance. Counts are small in most cells, so the normal approximation is rough
 * for single cells; rank and q together are the honest reading. */
#include "context_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GRID_CELLS 160000 /* 400 x 400: cells grow when the county is larger */

struct point {
    double x, y;
    int place;
    int cls; /* what the event is (enum hot_class), for the cell's "mostly" label */
};

/* What a counted event is, whatever kind selected it: so a cell of a mixed table (the default
 * missing, found and incident) says what most of its events were, and a street of late-night
 * disorder reads as the night-time economy, not beside exploitation as if alike. */
enum hot_class { HC_MISSING, HC_FOUND, HC_EXPLOITATION, HC_CUCKOOING, HC_NIGHT, HC_GENERAL,
                 HC_OTHER, HC_N };
static const char *const hot_class_name[HC_N] = {"missing", "found", "exploitation",
                                                 "cuckooing", "night-time", "general",
                                                 "other"};

static int class_of(const struct ctx_event *e, const char *kind)
{
    if (e->exploit)
        return HC_EXPLOITATION;
    if (e->cuckoo)
        return HC_CUCKOOING;
    if (e->type == CTX_T_MISSING)
        return !strcmp(kind, "found") ? HC_FOUND : HC_MISSING;
    if (CTX_IS_POLICE(e->type))
        return ctx_at_night(e) ? HC_NIGHT : HC_GENERAL;
    return HC_OTHER;
}

struct collect {
    const struct context_data *d;
    struct point *pts;
    size_t n, cap;
    long outside, unplaced;
    bool oom;
};

static void collect_fn(void *arg, const struct ctx_event *e, int place, const char *kind)
{
    struct collect *c = arg;
    if (place < 0) {
        c->unplaced++;
        return;
    }
    const struct ctx_place *p = &c->d->places[place];
    if (p->status == CONTEXT_PLACE_OUTSIDE) {
        c->outside++;
        return;
    }
    if (p->status == CONTEXT_PLACE_NO_LOCATION) {
        c->unplaced++;
        return;
    }
    struct point *np = svp_grow(c->pts, &c->cap, c->n + 1, sizeof *np, 1024);
    if (!np) {
        c->oom = true;
        return;
    }
    c->pts = np;
    c->pts[c->n++] = (struct point){p->x, p->y, place, class_of(e, kind)};
}

static int cmp_unit(const void *a, const void *b)
{
    const struct context_hot_unit *x = a, *y = b;
    if (x->z != y->z)
        return x->z > y->z ? -1 : 1;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->label, y->label);
}

/* Sorts hottest first and numbers the units that have events. */
static void rank_units(struct context_hot_unit *u, size_t n)
{
    qsort(u, n, sizeof *u, cmp_unit);
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        u[i].rank = u[i].count > 0 ? ++r : 0;
}

/* z, p and q for units whose values are x[] and neighbourhoods nb_start/nb. */
static int score_units(struct context_hot_unit *u, size_t n, const double *x,
                       const size_t *nb_start, const size_t *nb, double alpha, struct svp_err *err)
{
    double *z = svp_malloc((n + 1) * sizeof *z), *p = svp_malloc((n + 1) * sizeof *p);
    int rc = (!z || !p) ? svp_err_set(err, SVP_ENOMEM, "out of memory") : 0;
    if (!rc)
        rc = context_gistar(n, x, nb_start, nb, z, err);
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            p[i] = context_normal_p2(z[i]);
        for (size_t i = 0; i < n; i++) {
            u[i].z = z[i];
            u[i].p = p[i];
        }
        if (context_fdr_bh(n, p, p))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < n; i++) {
            u[i].q = p[i];
            u[i].significant = u[i].z > 0 && u[i].q <= alpha;
        }
    }
    svp_free(z);
    svp_free(p);
    return rc;
}

struct area_acc {
    const char *name;
    double sx, sy;
    long n, count;
};

static int find_area(struct area_acc *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a[i].name, name))
            return (int)i;
    return -1;
}

static int run_areas(const struct context_data *d, struct context_hotspots *h,
                     const struct point *pts, size_t npts, struct svp_err *err)
{
    size_t cap = d->npostcodes + d->nplaces + 1;
    struct area_acc *a = svp_calloc(cap, sizeof *a);
    if (!a)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    size_t na = 0;
    /* centroids from the postcode lookup where there is one, else from located places */
    for (size_t i = 0; i < d->npostcodes; i++) {
        if (!d->postcodes[i].in_county)
            continue;
        int k = find_area(a, na, d->postcodes[i].area);
        if (k < 0) {
            k = (int)na++;
            a[k].name = d->postcodes[i].area;
        }
        double x, y;
        ctx_project(d, d->postcodes[i].lat, d->postcodes[i].lon, &x, &y);
        a[k].sx += x;
        a[k].sy += y;
        a[k].n++;
    }
    for (size_t i = 0; i < d->nplaces; i++) {
        const struct ctx_place *p = &d->places[i];
        if ((p->status != CONTEXT_PLACE_LOCATED && p->status != CONTEXT_PLACE_BY_POSTCODE) ||
            !p->area || !*p->area)
            continue;
        int k = find_area(a, na, p->area);
        if (k < 0) {
            k = (int)na++;
            a[k].name = p->area;
        }
        if (d->npostcodes == 0 || a[k].n == 0) {
            a[k].sx += p->x;
            a[k].sy += p->y;
            a[k].n++;
        }
    }
    for (size_t i = 0; i < npts; i++) {
        const char *ar = d->places[pts[i].place].area;
        int k = ar && *ar ? find_area(a, na, ar) : -1;
        if (k >= 0)
            a[k].count++;
    }
    int rc = 0;
    if (na > 0) {
        size_t k_nb = na - 1 < 4 ? na - 1 : 4;
        size_t *nb_start = svp_malloc((na + 1) * sizeof *nb_start);
        size_t *nb = svp_malloc(na * (k_nb + 1) * sizeof *nb);
        double *x = svp_malloc(na * sizeof *x);
        double *dist = svp_malloc(na * sizeof *dist);
        h->areas = svp_calloc(na, sizeof *h->areas);
        if (!nb_start || !nb || !x || !dist || !h->areas)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        for (size_t i = 0; !rc && i < na; i++) {
            double cx = a[i].sx / (double)a[i].n, cy = a[i].sy / (double)a[i].n;
            nb_start[i] = i * (k_nb + 1);
            nb[nb_start[i]] = i;
            for (size_t j = 0; j < na; j++) {
                double dx = a[j].sx / (double)a[j].n - cx, dy = a[j].sy / (double)a[j].n - cy;
                dist[j] = j == i ? INFINITY : dx * dx + dy * dy;
            }
            for (size_t m = 1; m <= k_nb; m++) {
                size_t best = 0;
                for (size_t j = 1; j < na; j++)
                    if (dist[j] < dist[best])
                        best = j;
                nb[nb_start[i] + m] = best;
                dist[best] = INFINITY;
            }
            x[i] = (double)a[i].count;
            struct context_hot_unit *u = &h->areas[i];
            svp_strlcpy(u->label, a[i].name, sizeof u->label);
            ctx_unproject(d, cx, cy, &u->lat, &u->lon);
            u->count = a[i].count;
        }
        if (!rc) {
            nb_start[na] = na * (k_nb + 1);
            rc = score_units(h->areas, na, x, nb_start, nb, h->alpha, err);
        }
        if (!rc) {
            h->nareas = na;
            rank_units(h->areas, na);
        }
        svp_free(nb_start);
        svp_free(nb);
        svp_free(x);
        svp_free(dist);
    }
    svp_free(a);
    return rc;
}

static int cmp_cell_place(const void *a, const void *b, void *arg)
{
    (void)arg;
    const long *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

static int run_grid(const struct context_data *d, struct context_hotspots *h,
                    const struct point *pts, size_t npts, struct svp_err *err)
{
    /* extent: the points, the postcode lookup and every place located in the county (a place
     * outside it, by the lookup or beyond the recorded homes, is never part of the grid) */
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < npts; i++) {
        minx = fmin(minx, pts[i].x);
        maxx = fmax(maxx, pts[i].x);
        miny = fmin(miny, pts[i].y);
        maxy = fmax(maxy, pts[i].y);
    }
    for (size_t i = 0; i < d->npostcodes; i++) {
        if (!d->postcodes[i].in_county)
            continue;
        double x, y;
        ctx_project(d, d->postcodes[i].lat, d->postcodes[i].lon, &x, &y);
        minx = fmin(minx, x);
        maxx = fmax(maxx, x);
        miny = fmin(miny, y);
        maxy = fmax(maxy, y);
    }
    for (size_t i = 0; i < d->nplaces; i++) {
        const struct ctx_place *p = &d->places[i];
        if (p->status != CONTEXT_PLACE_LOCATED && p->status != CONTEXT_PLACE_BY_POSTCODE)
            continue;
        minx = fmin(minx, p->x);
        maxx = fmax(maxx, p->x);
        miny = fmin(miny, p->y);
        maxy = fmax(maxy, p->y);
    }
    /* a margin of two cells, so a cluster near the county's edge is not scored against a
     * truncated neighbourhood (edge cells have fewer neighbours and inflated z) */
    minx -= 2 * h->cell_m;
    miny -= 2 * h->cell_m;
    maxx += 2 * h->cell_m;
    maxy += 2 * h->cell_m;
    double cell = h->cell_m;
    size_t ncols, nrows;
    for (;;) {
        ncols = (size_t)floor((maxx - minx) / cell) + 1;
        nrows = (size_t)floor((maxy - miny) / cell) + 1;
        if (ncols * nrows <= MAX_GRID_CELLS)
            break;
        /* a size the analyst asked for is honoured or refused, never silently changed */
        if (h->cell_requested) {
            double need = ceil(sqrt((maxx - minx) * (maxy - miny) / MAX_GRID_CELLS) / 10) * 10;
            return svp_err_at(err, SVP_EINPUT, NULL, 0, "cell",
                              "a %.0f m grid over the county's extent (%.0f x %.0f km%s) needs "
                              "%zu cells, more than %d: give a cell of %.0f m or more",
                              h->cell_m, (maxx - minx) / 1000, (maxy - miny) / 1000,
                              d->npostcodes ? ", the postcode lookup's"
                              : d->extent_from_homes ? ", the recorded homes'"
                                                     : ", the located places'",
                              ncols * nrows, MAX_GRID_CELLS, need + 10);
        }
        cell *= 1.5;
    }
    if (cell != h->cell_m)
        snprintf(h->cell_note, sizeof h->cell_note,
                 "the default %.0f m grid would need more than %d cells over this extent: "
                 "cells of %.0f m (give --cell to choose)",
                 h->cell_m, MAX_GRID_CELLS, cell);
    h->cell_m = cell;
    h->ncols = ncols;
    h->nrows = nrows;
    size_t n = ncols * nrows;
    double *x = svp_calloc(n, sizeof *x);
    size_t *nb_start = svp_malloc((n + 1) * sizeof *nb_start);
    size_t *nb = svp_malloc(n * 9 * sizeof *nb);
    long *cp = svp_malloc((npts + 1) * 3 * sizeof *cp);
    h->cells = svp_calloc(n, sizeof *h->cells);
    int rc = 0;
    if (!x || !nb_start || !nb || !cp || !h->cells)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory for a %zu x %zu grid", ncols, nrows);
    for (size_t i = 0; !rc && i < npts; i++) {
        size_t cx = (size_t)floor((pts[i].x - minx) / cell);
        size_t cy = (size_t)floor((pts[i].y - miny) / cell);
        if (cx >= ncols)
            cx = ncols - 1;
        if (cy >= nrows)
            cy = nrows - 1;
        x[cy * ncols + cx] += 1;
        cp[3 * i] = (long)(cy * ncols + cx);
        cp[3 * i + 1] = pts[i].place;
        cp[3 * i + 2] = pts[i].cls;
    }
    if (!rc) {
        size_t k = 0;
        for (size_t cy = 0; cy < nrows; cy++)
            for (size_t cx = 0; cx < ncols; cx++) {
                size_t i = cy * ncols + cx;
                nb_start[i] = k;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        long yy = (long)cy + dy, xx = (long)cx + dx;
                        if (yy < 0 || xx < 0 || yy >= (long)nrows || xx >= (long)ncols)
                            continue;
                        nb[k++] = (size_t)yy * ncols + (size_t)xx;
                    }
                struct context_hot_unit *u = &h->cells[i];
                snprintf(u->label, sizeof u->label, "cell %zu,%zu", cx, cy);
                ctx_unproject(d, minx + ((double)cx + 0.5) * cell, miny + ((double)cy + 0.5) * cell,
                              &u->lat, &u->lon);
                u->count = (long)x[i];
            }
        nb_start[n] = k;
        rc = score_units(h->cells, n, x, nb_start, nb, h->alpha, err);
    }
    if (!rc && npts) {
        /* the place with most events in each cell, so a hotspot has a name, and what most
         * of its events were (the first class in enum order on a tie) */
        qsort_r(cp, npts, 3 * sizeof *cp, cmp_cell_place, NULL);
        size_t i = 0;
        while (i < npts) {
            size_t j = i;
            long best_n = 0, best_place = -1, cls_n[HC_N] = {0};
            while (j < npts && cp[3 * j] == cp[3 * i]) {
                size_t k = j;
                while (k < npts && cp[3 * k] == cp[3 * j] && cp[3 * k + 1] == cp[3 * j + 1]) {
                    cls_n[cp[3 * k + 2]]++;
                    k++;
                }
                if ((long)(k - j) > best_n) {
                    best_n = (long)(k - j);
                    best_place = cp[3 * j + 1];
                }
                j = k;
            }
            const struct ctx_place *p = &d->places[best_place];
            struct context_hot_unit *u = &h->cells[cp[3 * i]];
            svp_strlcpy(u->top_place, p->name ? p->name : "(unnamed place)", sizeof u->top_place);
            u->top_place_id = p->id;
            int most = 0;
            for (int c = 1; c < HC_N; c++)
                if (cls_n[c] > cls_n[most])
                    most = c;
            u->mostly = hot_class_name[most];
            i = j;
        }
    }
    /* kernel density: quartic (biweight) kernel, as police crime mapping tools use;
     * K(r) = 3 / (pi h^2) (1 - r^2/h^2)^2 for r < h, in events per square kilometre */
    if (!rc) {
        double dc = cell / 2, bw = h->bandwidth_m;
        h->dcols = ncols * 2;
        h->drows = nrows * 2;
        h->density = svp_calloc(h->dcols * h->drows, sizeof *h->density);
        if (!h->density)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory for the density grid");
        double norm = 3.0 / (M_PI * bw * bw) * 1e6;
        long reach = (long)ceil(bw / dc);
        for (size_t i = 0; !rc && i < npts; i++) {
            long pcx = (long)floor((pts[i].x - minx) / dc),
                 pcy = (long)floor((pts[i].y - miny) / dc);
            for (long yy = pcy - reach; yy <= pcy + reach; yy++) {
                if (yy < 0 || yy >= (long)h->drows)
                    continue;
                for (long xx = pcx - reach; xx <= pcx + reach; xx++) {
                    if (xx < 0 || xx >= (long)h->dcols)
                        continue;
                    double ddx = minx + ((double)xx + 0.5) * dc - pts[i].x;
                    double ddy = miny + ((double)yy + 0.5) * dc - pts[i].y;
                    double r2 = (ddx * ddx + ddy * ddy) / (bw * bw);
                    if (r2 < 1)
                        h->density[(size_t)yy * h->dcols + (size_t)xx] +=
                            norm * (1 - r2) * (1 - r2);
                }
            }
        }
        double lat1, lon1;
        ctx_unproject(d, minx, miny, &h->min_lat, &h->min_lon);
        ctx_unproject(d, minx + dc, miny + dc, &lat1, &lon1);
        h->dlat = lat1 - h->min_lat;
        h->dlon = lon1 - h->min_lon;
    }
    if (!rc) {
        h->ncells = n;
        rank_units(h->cells, n);
    }
    svp_free(x);
    svp_free(nb_start);
    svp_free(nb);
    svp_free(cp);
    return rc;
}

int context_hotspots_run(const struct context_data *d, const struct context_hotspot_opts *o,
                         struct context_hotspots **out, struct svp_err *err)
{
    *out = NULL;
    struct ctx_kinds k;
    int rc = ctx_kinds_parse(o->filter.kinds, &k, err);
    if (rc)
        return rc;
    if (o->cell_m < 0 || (o->cell_m > 0 && (o->cell_m < 50 || o->cell_m > 20000)))
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "cell",
                          "cell size %g m is not between 50 "
                          "and 20000 metres",
                          o->cell_m);
    if (o->bandwidth_m < 0 ||
        (o->bandwidth_m > 0 && (o->bandwidth_m < 50 || o->bandwidth_m > 50000)))
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "bandwidth",
                          "bandwidth %g m is not between 50 and 50000 metres", o->bandwidth_m);
    if (o->alpha < 0 || o->alpha >= 1)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "alpha", "alpha must be between 0 and 1");
    struct context_hotspots *h = svp_calloc(1, sizeof *h);
    if (!h)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    h->cell_m = o->cell_m > 0 ? o->cell_m : 250;
    h->cell_requested = o->cell_m > 0;
    svp_strlcpy(h->kinds, o->filter.kinds ? o->filter.kinds : "missing,found,incident",
                sizeof h->kinds);
    h->bandwidth_m = o->bandwidth_m > 0 ? o->bandwidth_m : 600;
    h->alpha = o->alpha > 0 ? o->alpha : 0.05;
    struct collect c = {.d = d};
    ctx_select(d, &k, &o->filter, collect_fn, &c);
    if (c.oom) {
        svp_free(c.pts);
        svp_free(h);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    h->events_used = (long)c.n;
    h->events_outside = c.outside;
    h->events_unplaced = c.unplaced;
    if (c.n == 0) {
        snprintf(h->empty_reason, sizeof h->empty_reason,
                 "no events with a location in the county match (%ld outside the county, %ld "
                 "with no location, %zu events loaded)",
                 c.outside, c.unplaced, d->nevents);
    } else {
        rc = run_grid(d, h, c.pts, c.n, err);
        if (!rc)
            rc = run_areas(d, h, c.pts, c.n, err);
        if (!rc && c.n < 3)
            snprintf(h->empty_reason, sizeof h->empty_reason,
                     "only %zu located events: too few to test for clusters", c.n);
    }
    svp_free(c.pts);
    if (rc) {
        context_hotspots_free(&h);
        return rc;
    }
    *out = h;
    return 0;
}

void context_hotspots_free(struct context_hotspots **hp)
{
    if (!hp || !*hp)
        return;
    svp_free((*hp)->cells);
    svp_free((*hp)->areas);
    svp_free((*hp)->density);
    svp_free(*hp);
    *hp = NULL;
}

static void print_units(const struct context_hot_unit *u, size_t n, size_t limit, bool grid,
                        FILE *f)
{
    fprintf(f, "%-4s %-*s %6s %7s %9s %9s %-3s %-*s%s\n", "rank", grid ? 12 : 24,
            grid ? "cell" : "area", "count", "z", "p", "q", "hot", grid ? 13 : 0,
            grid ? "mostly" : "", grid ? "busiest place" : "");
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < limit; i++) {
        /* the table lists units with events; the map also draws their hot neighbours */
        if (u[i].count == 0 && grid)
            continue;
        if (!u[i].significant && shown >= 5 && grid)
            break;
        fprintf(f, "%-4zu %-*s %6ld %7.2f %9.2g %9.2g %-3s %-*s%s\n", u[i].rank,
                grid ? 12 : 24, u[i].label, u[i].count, u[i].z, u[i].p, u[i].q,
                u[i].significant ? "yes" : "no", grid ? 13 : 0,
                grid && u[i].mostly ? u[i].mostly : "", grid ? u[i].top_place : "");
        shown++;
    }
}

void context_hotspots_print(const struct context_hotspots *h, size_t limit, FILE *f)
{
    fprintf(f, "events used: %ld (outside the county: %ld, no location: %ld)\n", h->events_used,
            h->events_outside, h->events_unplaced);
    if (h->events_used == 0) {
        fprintf(f, "no hotspots: %s\n", h->empty_reason);
        return;
    }
    if (*h->empty_reason)
        fprintf(f, "note: %s\n", h->empty_reason);
    if (*h->cell_note)
        fprintf(f, "note: %s\n", h->cell_note);
    size_t hot = 0, hota = 0, hot_events = 0;
    for (size_t i = 0; i < h->ncells; i++) {
        hot += h->cells[i].significant;
        hot_events += h->cells[i].significant && h->cells[i].count > 0;
    }
    for (size_t i = 0; i < h->nareas; i++)
        hota += h->areas[i].significant;
    fprintf(f,
            "\nGetis-Ord Gi* on a %.0f m grid (%zu x %zu cells; neighbourhood: the cell and its 8 "
            "neighbours)\nhot cells at false discovery rate %.2f (Benjamini-Hochberg): %zu, %zu of "
            "them with events (the others are hot through their neighbours; the map shows "
            "them)\n",
            h->cell_m, h->ncols, h->nrows, h->alpha, hot, hot_events);
    print_units(h->cells, h->ncells, limit, true, f);
    fprintf(f,
            "\nGetis-Ord Gi* on community areas (neighbourhood: the area and its 4 nearest)\n"
            "hot areas at false discovery rate %.2f: %zu\n",
            h->alpha, hota);
    print_units(h->areas, h->nareas, limit, false, f);
}

static json_t *cell_polygon(double lat0, double lon0, double dlat, double dlon)
{
    json_t *ring = json_array();
    double pts[5][2] = {{lon0, lat0},
                        {lon0 + dlon, lat0},
                        {lon0 + dlon, lat0 + dlat},
                        {lon0, lat0 + dlat},
                        {lon0, lat0}};
    for (int i = 0; i < 5; i++)
        json_array_append_new(ring, json_pack("[f,f]", pts[i][0], pts[i][1]));
    return json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates", ring);
}

static json_t *hotspots_json(const struct context_hotspots *h, bool compact_density);

json_t *context_hotspots_geojson(const struct context_hotspots *h)
{
    return hotspots_json(h, false);
}

json_t *context_hotspots_web_json(const struct context_hotspots *h)
{
    return hotspots_json(h, true);
}

static json_t *hotspots_json(const struct context_hotspots *h, bool compact_density)
{
    json_t *feats = json_array();
    json_t *fc = json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", feats);
    if (!fc)
        return NULL;
    json_object_set_new(fc, "empty_reason",
                        *h->empty_reason && h->events_used == 0 ? json_string(h->empty_reason)
                                                                : json_null());
    json_object_set_new(fc, "cell_m", json_real(h->cell_m));
    json_object_set_new(fc, "kinds", json_string(h->kinds));
    json_object_set_new(fc, "cell_note", *h->cell_note ? json_string(h->cell_note) : json_null());
    json_object_set_new(fc, "alpha", json_real(h->alpha));
    /* a cell's size in degrees, from the density grid (half a cell) */
    double clat = h->dlat * 2, clon = h->dlon * 2;
    for (size_t i = 0; i < h->ncells; i++) {
        const struct context_hot_unit *u = &h->cells[i];
        if (u->count == 0 && !u->significant)
            continue;
        json_t *props =
            json_pack("{s:s,s:s,s:I,s:f,s:f,s:f,s:b,s:I}", "layer", "gistar", "label", u->label,
                      "count", (json_int_t)u->count, "z", u->z, "p", u->p, "q", u->q, "significant",
                      u->significant, "rank", (json_int_t)u->rank);
        if (props && u->mostly)
            json_object_set_new(props, "mostly", json_string(u->mostly));
        if (props && *u->top_place) {
            json_object_set_new(props, "place", json_string(u->top_place));
            json_object_set_new(props, "place_id", json_integer(u->top_place_id));
        }
        json_array_append_new(
            feats, json_pack("{s:s,s:o,s:o}", "type", "Feature", "geometry",
                             cell_polygon(u->lat - clat / 2, u->lon - clon / 2, clat, clon),
                             "properties", props));
    }
    for (size_t i = 0; i < h->nareas; i++) {
        const struct context_hot_unit *u = &h->areas[i];
        json_t *geom = json_pack("{s:s,s:[f,f]}", "type", "Point", "coordinates", u->lon, u->lat);
        json_t *props =
            json_pack("{s:s,s:s,s:I,s:f,s:f,s:f,s:b,s:I}", "layer", "area", "label", u->label,
                      "count", (json_int_t)u->count, "z", u->z, "p", u->p, "q", u->q, "significant",
                      u->significant, "rank", (json_int_t)u->rank);
        json_array_append_new(feats, json_pack("{s:s,s:o,s:o}", "type", "Feature", "geometry", geom,
                                               "properties", props));
    }
    double peak = 0;
    size_t nd = h->dcols * h->drows;
    for (size_t i = 0; i < nd; i++)
        peak = fmax(peak, h->density[i]);
    if (compact_density) {
        /* The density grid as numbers, not polygons (a county's is 14,000 cells: 4.6 MB
         * as GeoJSON, 0.2 MB so): cells above 1% of the peak as pairs of the cell's index
         * (row * cols + column) and events per km2 in hundredths. */
        json_t *cells = json_array();
        json_t *grid = json_pack("{s:f,s:f,s:f,s:f,s:I,s:I,s:f,s:o}", "min_lat", h->min_lat,
                                 "min_lon", h->min_lon, "dlat", h->dlat, "dlon", h->dlon, "cols",
                                 (json_int_t)h->dcols, "rows", (json_int_t)h->drows, "peak", peak,
                                 "cells", cells);
        for (size_t i = 0; grid && peak > 0 && i < nd; i++)
            if (h->density[i] >= peak * 0.01 &&
                (json_array_append_new(cells, json_integer((json_int_t)i)) ||
                 json_array_append_new(cells, json_integer((json_int_t)lround(h->density[i] * 100))))) {
                json_decref(grid);
                grid = NULL;
            }
        if (!grid || json_object_set_new(fc, "density", grid)) {
            json_decref(fc);
            return NULL;
        }
        return fc;
    }
    for (size_t i = 0; peak > 0 && i < nd; i++) {
        if (h->density[i] < peak * 0.01)
            continue;
        size_t cx = i % h->dcols, cy = i / h->dcols;
        json_t *props = json_pack("{s:s,s:f}", "layer", "density", "per_km2", h->density[i]);
        json_array_append_new(
            feats, json_pack("{s:s,s:o,s:o}", "type", "Feature", "geometry",
                             cell_polygon(h->min_lat + (double)cy * h->dlat,
                                          h->min_lon + (double)cx * h->dlon, h->dlat, h->dlon),
                             "properties", props));
    }
    return fc;
}

/* The kinds compared by context_hotspots_kinds_print, each with what it counts. */
static const struct {
    const char *kind, *label;
} hot_kinds[] = {
    {"missing", "missing from (the child's home)"},
    {"found", "found at (where missing children were found)"},
    {"exploitation", "exploitation-related (police events flagged cse, cce, county lines or "
                     "gang; NRM referrals; screenings medium or high; children found with an "
                     "adult who is not family, where found)"},
    {"general", "general police events (night-time economy, antisocial behaviour, other "
                "crime: not flagged as exploitation or cuckooing)"},
    {"night", "night-time economy (general police events from 20:00 to 06:00: violence and "
              "disorder around licensed premises; not exploitation)"},
    {"cuckooing", "adults' homes taken over for drug dealing (police events flagged cuckooing, "
                  "intelligence of subtype cuckooing): the adults' kind"},
};

int context_hotspots_kinds_print(const struct context_data *d,
                                 const struct context_hotspot_opts *o, size_t limit, FILE *f,
                                 struct svp_err *err)
{
    for (size_t k = 0; k < sizeof hot_kinds / sizeof hot_kinds[0]; k++) {
        struct context_hotspot_opts ko = *o;
        ko.filter.kinds = hot_kinds[k].kind;
        struct context_hotspots *h = NULL;
        int rc = context_hotspots_run(d, &ko, &h, err);
        if (rc)
            return rc;
        size_t hot = 0;
        for (size_t i = 0; i < h->ncells; i++)
            hot += h->cells[i].significant && h->cells[i].count > 0;
        fprintf(f, "%s== %s: %s\n", k ? "\n" : "", hot_kinds[k].kind, hot_kinds[k].label);
        if (h->events_used == 0) {
            fprintf(f, "no hotspots: %s\n", h->empty_reason);
        } else {
            fprintf(f, "%ld events, %zu hot cells with events (%.0f m grid, FDR %.2f)%s%s\n",
                    h->events_used, hot, h->cell_m, h->alpha, *h->cell_note ? "; " : "",
                    h->cell_note);
            fprintf(f, "%-4s %-12s %6s %7s %9s %-3s %-13s %s\n", "rank", "cell", "count", "z", "q",
                    "hot", "kind", "busiest place");
            size_t shown = 0;
            for (size_t i = 0; i < h->ncells && shown < limit; i++) {
                const struct context_hot_unit *u = &h->cells[i];
                if (u->count == 0)
                    continue;
                fprintf(f, "%-4zu %-12s %6ld %7.2f %9.2g %-3s %-13s %s\n", u->rank, u->label,
                        u->count, u->z, u->q, u->significant ? "yes" : "no", hot_kinds[k].kind,
                        u->top_place);
                shown++;
            }
        }
        context_hotspots_free(&h);
    }
    return 0;
}
