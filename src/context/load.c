/* The snapshot every analysis reads (context_load): postcodes, places, records, events and
 * relationships from the store, once, into memory. */
#include "context_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *adup(struct context_data *d, const char *s)
{
    if (!s)
        return NULL;
    return svp_arena_strndup(d->arena, s, strlen(s));
}

static int cmp_pc(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
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

enum ctx_type ctx_type_of(const char *t)
{
    static const struct {
        const char *name;
        enum ctx_type type;
    } map[] = {{"missing_episode", CTX_T_MISSING}, {"crime", CTX_T_CRIME},
               {"intelligence", CTX_T_INTEL},      {"stop_search", CTX_T_STOP},
               {"arrest", CTX_T_ARREST},           {"exploitation_screening", CTX_T_SCREENING},
               {"nrm_referral", CTX_T_NRM},        {"return_interview", CTX_T_RHI},
               {"incident", CTX_T_INCIDENT},      {"da_incident", CTX_T_DA}};
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
    long k = ctx_postcode_find(d, probe.pc);
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
            long k = ctx_postcode_find(d, store_column_text(st, 5));
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

/* Whether a found place recorded as text says the child was found where they live: at home
 * or at their care placement (agencies' codes and words: HOME_ADDRESS, Home, Care placement,
 * Foster home, Children's home, ...), letters and digits alone compared. */
static bool says_where_lives(const char *text)
{
    static const char *const words[] = {"home",         "homeaddress",   "ownhome",
                                        "familyhome",   "parentshome",   "careplacement",
                                        "placement",    "fosterhome",    "fosterplacement",
                                        "childrenshome", "residentialhome", "carehome", NULL};
    char k[40];
    size_t j = 0;
    for (const char *p = text; *p; p++)
        if (isalnum((unsigned char)*p)) {
            if (j + 1 >= sizeof k)
                return false;
            k[j++] = (char)tolower((unsigned char)*p);
        }
    k[j] = '\0';
    for (const char *const *w = words; *w; w++)
        if (!strcmp(k, *w))
            return true;
    return false;
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
        long k = ctx_postcode_find(d, text + start);
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
    if (j && CTX_IS_POLICE(e->type)) {
        e->exploit = list_has_any(json_object_get(j, "exploitation"), exploit);
        static const char *const cuckooing[] = {"cuckooing", NULL};
        e->cuckoo = list_has_any(json_object_get(j, "exploitation"), cuckooing);
        const char *words[] = {json_string_value(json_object_get(j, "offence")),
                               json_string_value(json_object_get(j, "category"))};
        for (int w = 0; w < 2; w++)
            e->da |= words[w] && strstr(words[w], "domestic") != NULL;
    }
    e->cuckoo |= e->type == CTX_T_INTEL && e->subtype && !strcmp(e->subtype, "cuckooing");
    e->da |= e->type == CTX_T_DA;
    e->offending = e->type == CTX_T_ARREST ||
                   ((e->type == CTX_T_CRIME || e->type == CTX_T_INCIDENT) && e->subtype &&
                    (!strcmp(e->subtype, "suspect") || !strcmp(e->subtype, "offender")));
    if (j && e->type == CTX_T_RHI) {
        e->exploit = list_has_any(json_object_get(j, "disclosures"), disclosed);
        risk |= e->exploit;
    }
    e->exploit |= e->type == CTX_T_NRM ||
                  (e->type == CTX_T_SCREENING && e->subtype && strcmp(e->subtype, "low"));
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
            e->found_at_home = fp && says_where_lives(fp);
        }
        e->found_at_home |= e->found_place >= 0 && e->found_place == e->place;
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
        e->type = ctx_type_of(e->type_name ? e->type_name : "");
        e->subtype = adup(d, store_column_text(st, 3));
        e->t = t;
        e->has_time = strlen(started) > 10;
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
                           "SELECT r.id, r.kind, r.record_a, r.record_b, r.event_id, e.type, "
                           "e.started_at FROM relationship r LEFT JOIN event e ON e.id = "
                           "r.event_id ORDER BY r.id",
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
        const char *et = store_column_text(st, 5), *at = store_column_text(st, 6);
        r->da = et && !strcmp(et, "da_incident");
        svp_time t;
        struct svp_err ignore;
        if (at && !svp_time_parse_iso(at, strlen(at), &t, &ignore))
            r->day = (svp_day)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    }
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}

/* Whole years from dob to day. */

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
            seen[e->node] |= svp_date_age(d->nodes[e->node].dob, e->day) < 18 ? 1 : 2;
    }
    for (size_t i = 0; i < d->nnodes; i++)
        if (seen[i])
            d->nodes[i].role = (seen[i] & 1) ? 'c' : 'a';
    svp_free(seen);
}

struct id_index {
    int64_t id;
    int index;
};

static int cmp_id_index(const void *a, const void *b)
{
    const struct id_index *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_pair(const void *a, const void *b)
{
    const int *x = a, *y = b;
    return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* A missing episode where the child was found with an adult who is not family (no parent,
 * sibling or household relationship between them, not living at the child's address), and
 * not at home or at the child's placement, is exploitation-related: where children are found with unrelated adults is what missing and
 * return-interview mapping looks for (docs/contexts.md "Kinds apart"). Found with a parent
 * at home is not. The hotspot kind "exploitation" counts such an episode at its found place.
 * Without memory for the look-ups nothing is marked (the other kinds stand). */
static void mark_found_with_adults(struct context_data *d)
{
    struct id_index *ev = svp_malloc((d->nevents + 1) * sizeof *ev);
    int(*fam)[2] = svp_malloc((d->nrels + 1) * sizeof *fam);
    if (!ev || !fam) {
        svp_free(ev);
        svp_free(fam);
        return;
    }
    for (size_t i = 0; i < d->nevents; i++)
        ev[i] = (struct id_index){d->events[i].id, (int)i};
    qsort(ev, d->nevents, sizeof *ev, cmp_id_index);
    size_t nf = 0;
    for (size_t i = 0; i < d->nrels; i++) {
        const char *k = d->rels[i].kind;
        if (k && (!strcmp(k, "parent") || !strcmp(k, "sibling") ||
                  !strcmp(k, "household_member"))) {
            int a = d->records[d->rels[i].a].node, b = d->records[d->rels[i].b].node;
            fam[nf][0] = a < b ? a : b;
            fam[nf++][1] = a < b ? b : a;
        }
    }
    qsort(fam, nf, sizeof *fam, cmp_pair);
    for (size_t i = 0; i < d->nrels; i++) {
        const struct ctx_rel *r = &d->rels[i];
        if (!r->kind || strcmp(r->kind, "found_with") || r->event_id <= 0)
            continue;
        struct id_index key = {r->event_id, 0};
        const struct id_index *hit = bsearch(&key, ev, d->nevents, sizeof *ev, cmp_id_index);
        if (!hit)
            continue;
        struct ctx_event *e = &d->events[hit->index];
        if (e->type != CTX_T_MISSING || e->record < 0 || e->found_at_home)
            continue; /* found at home or at the placement: with whoever, not a place of harm */
        int other = d->records[r->a].node == e->node ? r->b : r->a;
        int on = d->records[other].node;
        if (on < 0 || on == e->node || d->nodes[on].role != 'a')
            continue;
        int pair[2] = {on < e->node ? on : e->node, on < e->node ? e->node : on};
        const char *ka = d->records[other].addr_key, *kc = d->records[e->record].addr_key;
        if (bsearch(pair, fam, nf, sizeof *fam, cmp_pair) || (ka && kc && !strcmp(ka, kc)))
            continue;
        e->exploit = true;
    }
    svp_free(ev);
    svp_free(fam);
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
        ctx_normalise_places(d);
        rc = load_records(s, d, err);
    }
    if (!rc)
        ctx_extent_from_homes(d);
    if (!rc)
        rc = load_events(s, d, err);
    if (!rc)
        rc = load_rels(s, d, err);
    if (!rc) {
        roles_by_age(d);
        mark_found_with_adults(d);
    }
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
