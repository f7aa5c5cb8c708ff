/* Places: each place of the snapshot normalised to coordinates and a community area, the
 * places report, and the event selection every analysis reads. */
#include "context_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
/* index of the canonical postcode in the lookup, or -1 */
long ctx_postcode_find(const struct context_data *d, const char *raw)
{
    char pc[10];
    if (!raw || !context_postcode_canonical(raw, pc, sizeof pc) || d->npostcodes == 0)
        return -1;
    size_t lo = svp_lower_bound(d, d->npostcodes, pc, postcode_below);
    return lo < d->npostcodes && !strcmp(d->postcodes[lo].pc, pc) ? (long)lo : -1;
}

/* The county's extent: the postcode lookup's bounding box with a 2 km margin. Without a
 * lookup, every place with in_county = 1 counts as inside. */
void ctx_normalise_places(struct context_data *d)
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
        long pci = ctx_postcode_find(d, p->postcode);
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

void ctx_extent_from_homes(struct context_data *d)
{
    for (size_t i = 0; i < d->npostcodes; i++)
        if (d->postcodes[i].in_county)
            return; /* the lookup gives the extent */
    double minlat = 90, maxlat = -90, minlon = 180, maxlon = -180;
    size_t homes = 0;
    for (size_t i = 0; i < d->nrecords; i++) {
        int h = d->records[i].home;
        if (h < 0 || (d->places[h].status != CONTEXT_PLACE_LOCATED &&
                      d->places[h].status != CONTEXT_PLACE_BY_POSTCODE))
            continue;
        minlat = fmin(minlat, d->places[h].lat);
        maxlat = fmax(maxlat, d->places[h].lat);
        minlon = fmin(minlon, d->places[h].lon);
        maxlon = fmax(maxlon, d->places[h].lon);
        homes++;
    }
    if (homes < 3)
        return;
    minlat -= 0.018;
    maxlat += 0.018;
    minlon -= 0.03;
    maxlon += 0.03;
    double slat = 0, slon = 0;
    size_t nin = 0;
    for (size_t i = 0; i < d->nplaces; i++) {
        struct ctx_place *p = &d->places[i];
        if (p->status != CONTEXT_PLACE_LOCATED && p->status != CONTEXT_PLACE_BY_POSTCODE)
            continue;
        if (p->lat < minlat || p->lat > maxlat || p->lon < minlon || p->lon > maxlon) {
            p->status = CONTEXT_PLACE_OUTSIDE;
            p->why = "coordinates outside the county (beyond the recorded homes' extent; import "
                     "a postcode lookup to set the county's extent)";
            continue;
        }
        slat += p->lat;
        slon += p->lon;
        nin++;
    }
    d->extent_from_homes = true;
    if (!nin)
        return;
    /* the origin moves to the places inside: re-project them */
    d->lat0 = slat / (double)nin;
    d->lon0 = slon / (double)nin;
    for (size_t i = 0; i < d->nplaces; i++) {
        struct ctx_place *p = &d->places[i];
        if (p->status == CONTEXT_PLACE_LOCATED || p->status == CONTEXT_PLACE_BY_POSTCODE)
            ctx_project(d, p->lat, p->lon, &p->x, &p->y);
    }
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
                              "'%.40s' is not a list of event kinds (missing, found, incident, "
                              "exploitation, general, night, cuckooing or event types)",
                              s);
        memcpy(w, p, n);
        w[n] = '\0';
        if (!strcmp(w, "missing"))
            k->missing = true;
        else if (!strcmp(w, "found"))
            k->found = true;
        else if (!strcmp(w, "incident"))
            k->incident = true;
        else if (!strcmp(w, "exploitation"))
            k->exploitation = true;
        else if (!strcmp(w, "general"))
            k->general = true;
        else if (!strcmp(w, "night"))
            k->night = true;
        else if (!strcmp(w, "cuckooing"))
            k->cuckooing = true;
        else {
            if (ctx_type_of(w) == CTX_T_OTHER)
                return svp_err_at(err, SVP_EINPUT, NULL, 0, "events",
                                  "'%s' is not an event kind (missing, found, incident, exploitation, "
                                  "general, night, cuckooing) or one "
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

bool ctx_at_night(const struct ctx_event *e)
{
    if (!e->has_time)
        return false;
    long s = (long)(e->t % 86400);
    if (s < 0)
        s += 86400;
    return s >= CTX_NIGHT_FROM * 3600L || s < CTX_NIGHT_TO * 3600L;
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
        if (k->exploitation && e->exploit)
            fn(arg, e, e->type == CTX_T_MISSING ? e->found_place : e->place, "exploitation");
        if (k->general && CTX_IS_POLICE(e->type) && !e->exploit && !e->cuckoo)
            fn(arg, e, e->place, "general");
        if (k->night && CTX_IS_POLICE(e->type) && !e->exploit && !e->cuckoo &&
            ctx_at_night(e))
            fn(arg, e, e->place, "night");
        if (k->cuckooing && e->cuckoo)
            fn(arg, e, e->place, "cuckooing");
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
