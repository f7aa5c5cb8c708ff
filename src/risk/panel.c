/* The panel: load persons, events and relationships from the store into facts, score every
 * child in two passes, rank, explain the list and compare it with the last saved panel. */
#include "risk.h"
#include "risk_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Household factors of the 'toxic trio' (domestic abuse, parental substance misuse, mental
 * ill health): the partnership's practice fora worked on it (WSCB annual report 2016-17). */
enum { TRIO_DA = RISK_NEED_DA, TRIO_SUBSTANCE = RISK_NEED_SUBSTANCE,
       TRIO_MENTAL = RISK_NEED_MENTAL, TRIO_N = 3 };

struct trio_fact {
    svp_day day; /* most recent, 0 none */
    int64_t event_id, record_id;
    uint8_t agency;
};

/* What the loader knows about a person beyond the public struct. */
struct pinfo {
    svp_day dob;   /* 0 unknown (1970-01-01 taken as unknown is harmless for children) */
    bool has_dob;
    bool role_child, role_adult;
    int64_t dob_record;
    svp_day concern_day;       /* adult of concern since (0: not of concern) */
    struct trio_fact trio[TRIO_N];
    int64_t first_placement_event;
    svp_day first_placement_day;
    svp_day last_exclusion;    /* for elective home education after exclusion */
};

struct loader {
    struct store *s;
    const struct risk_weights *w;
    svp_day as_of;
    bool unlinked;
    struct risk_panel *p;
    struct pinfo *info;
    const uint8_t *scope; /* record id -> 1 when in one person's neighbourhood (NULL: all;
                             risk_person_score) */
    int64_t scope_max;    /* the largest record id scope covers */
    uint32_t *rec_person; /* record id -> person index + 1 (0: none) */
    int64_t max_record;
    struct risk_fact *facts;
    size_t nfacts, capfacts;
    /* interned short strings (sex, ethnicity, area codes) */
    const char *interned[512];
    size_t ninterned;
    /* family inference: records' family name with address, and with postcode */
    struct risk_famrec *fam_addr, *fam_pc;
    size_t nfam_addr, nfam_pc, capfam_addr, capfam_pc;
    struct risk_family_link *links;
    size_t nlinks, caplinks;
    /* police occurrences (one row per person involved), for co-involvement */
    struct occ_row *occ;
    size_t nocc, capocc;
    /* school attendance per term, for the decline */
    struct att_row *att;
    size_t natt, capatt;
};

struct occ_row {
    uint64_t ref;  /* hash of the occurrence reference */
    uint32_t person;
    uint8_t role;  /* OCC_OTHER (witness, other), OCC_VICTIM, OCC_SUSPECT */
    uint8_t agency;
    svp_day day;
    int64_t event_id, record_id;
};
enum { OCC_OTHER, OCC_VICTIM, OCC_SUSPECT };

struct att_row {
    uint32_t person;
    uint8_t agency;
    svp_day day;
    double pct;
    int64_t event_id, record_id;
};

/* FNV-1a over the letters and digits of the strings, lower-cased (a key that spelling of
 * case, spaces and punctuation does not change); 0 when a string has none. */
uint64_t risk_key_hash(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    int na = 0, nb = 0;
    for (const char *s = a; s && *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')) {
            h = (h ^ (uint64_t)(*s | 0x20)) * 1099511628211ull;
            na++;
        }
    h = (h ^ 0xff) * 1099511628211ull;
    for (const char *s = b; s && *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')) {
            h = (h ^ (uint64_t)(*s | 0x20)) * 1099511628211ull;
            nb++;
        }
    return na && nb ? (h ? h : 1) : 0;
}

static int add_famrec(struct risk_famrec **arr, size_t *n, size_t *cap, uint64_t key,
                      uint32_t person)
{
    if (!key)
        return SVP_OK;
    struct risk_famrec *x = svp_grow(*arr, cap, *n + 1, sizeof *x, 1024);
    if (!x)
        return SVP_ENOMEM;
    *arr = x;
    x[(*n)++] = (struct risk_famrec){key, person};
    return SVP_OK;
}

static const char *intern(struct loader *L, const char *s)
{
    if (!s)
        return "";
    for (size_t i = 0; i < L->ninterned; i++)
        if (!strcmp(L->interned[i], s))
            return L->interned[i];
    char *d = svp_arena_strndup(L->p->arena, s, strlen(s));
    if (d && L->ninterned < sizeof L->interned / sizeof L->interned[0])
        L->interned[L->ninterned++] = d;
    return d ? d : "";
}

static int add_fact(struct loader *L, uint32_t person, int ind, svp_day day, int agency,
                    int64_t event_id, int64_t rel_id, int64_t record_id, int64_t other, int share)
{
    struct risk_fact *nf = svp_grow(L->facts, &L->capfacts, L->nfacts + 1, sizeof *nf, 4096);
    if (!nf)
        return SVP_ENOMEM;
    L->facts = nf;
    struct risk_fact *f = &L->facts[L->nfacts++];
    f->person = person;
    f->indicator = (uint16_t)ind;
    f->agency = (uint8_t)agency;
    f->share = (uint8_t)(share < 1 ? 1 : share);
    f->day = day;
    f->event_id = event_id;
    f->relationship_id = rel_id;
    f->record_id = record_id;
    f->other = other;
    /* Domestic abuse in the household is a family-context signal: like the care signals it
     * counts only beside an exploitation signal (docs/indicators.md), so a child whose only
     * concern is the household's abuse is for children's social care, not the panel */
    f->flags = ind == RISK_DA_HOUSEHOLD ? RISK_FACT_CARE : 0;
    return SVP_OK;
}

/* The day of an ISO date or date-time text (its first 10 characters); false if none. */
static bool day_of(const char *s, svp_day *out)
{
    if (!s || strlen(s) < 10)
        return false;
    return svp_date_parse_iso(s, 10, out, NULL) == SVP_OK;
}


static int64_t person_of(const struct loader *L, int64_t record_id)
{
    if (record_id <= 0 || record_id > L->max_record)
        return -1;
    return (int64_t)L->rec_person[record_id] - 1;
}

/* The most common non-empty value among up to 16 candidates (first one wins ties). */
struct vote {
    const char *v[16];
    int n[16];
    int k;
};
static void vote_add(struct vote *vt, const char *s)
{
    if (!s || !*s || !strcmp(s, "U") || !strcmp(s, "NOBT"))
        return;
    for (int i = 0; i < vt->k; i++)
        if (!strcmp(vt->v[i], s)) {
            vt->n[i]++;
            return;
        }
    if (vt->k < 16) {
        vt->v[vt->k] = s;
        vt->n[vt->k++] = 1;
    }
}
static const char *vote_best(const struct vote *vt)
{
    int best = -1;
    for (int i = 0; i < vt->k; i++)
        if (best < 0 || vt->n[i] > vt->n[best])
            best = i;
    return best < 0 ? NULL : vt->v[best];
}

/* Settles a person's sex, ethnicity and area from the votes of their records (unknown sex
 * is "U", the others empty). */
static void vote_settle(struct risk_person *rp, const struct vote *sex, const struct vote *eth,
                        const struct vote *area)
{
    const char *s = vote_best(sex), *e = vote_best(eth), *a = vote_best(area);
    rp->sex = s ? s : "U";
    rp->ethnicity = e ? e : "";
    rp->area = a ? a : "";
}

/* ------------------------------------------------------------------ persons */

/* Postcode (or postcode district) -> community area, from the places the reference
 * geography imported: agencies give a postcode far more often than an area. */
struct pc_area {
    const char *postcode, *area;
};

static int cmp_pc(const void *a, const void *b)
{
    return strcmp(((const struct pc_area *)a)->postcode, ((const struct pc_area *)b)->postcode);
}

static int load_postcode_areas(struct loader *L, struct pc_area **out, size_t *n,
                               struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(L->s,
                           "SELECT postcode, MIN(area) FROM place WHERE postcode IS NOT NULL "
                           "AND area IS NOT NULL AND in_county = 1 GROUP BY postcode",
                           &st, err);
    if (rc)
        return rc;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct pc_area *x = svp_grow(*out, &cap, *n + 1, sizeof *x, 1024);
        if (!x) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading postcodes");
            break;
        }
        *out = x;
        const char *pc = store_column_text(st, 0), *area = store_column_text(st, 1);
        char *dpc = svp_arena_strndup(L->p->arena, pc, strlen(pc));
        if (!dpc) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading postcodes");
            break;
        }
        (*out)[(*n)++] = (struct pc_area){dpc, intern(L, area)};
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (*n > 1)
        qsort(*out, *n, sizeof **out, cmp_pc);
    return SVP_OK;
}

static const char *area_of_postcode(const struct pc_area *map, size_t n, const char *pc)
{
    if (!pc || !*pc || !n)
        return NULL;
    struct pc_area key = {pc, NULL};
    const struct pc_area *hit = bsearch(&key, map, n, sizeof *map, cmp_pc);
    return hit ? hit->area : NULL;
}

static int load_persons(struct loader *L, struct svp_err *err)
{
    struct risk_panel *p = L->p;
    int rc = store_query_int64(L->s, "SELECT COALESCE(MAX(id), 0) FROM record", &L->max_record,
                               err);
    if (rc)
        return rc;
    L->rec_person = svp_calloc((size_t)L->max_record + 1, sizeof *L->rec_person);
    if (!L->rec_person)
        return svp_err_set(err, SVP_ENOMEM, "out of memory for %lld records",
                           (long long)L->max_record);
    const char *sql =
        L->unlinked
            ? "SELECT r.id, r.id, r.dob, r.sex, r.ethnicity, r.area, r.role, r.postcode, "
              "COALESCE(r.norm_family, r.family_name), r.address FROM record r ORDER BY r.id"
            : "SELECT pr.person_id, r.id, r.dob, r.sex, r.ethnicity, r.area, r.role, r.postcode, "
              "COALESCE(r.norm_family, r.family_name), r.address "
              "FROM person_record pr JOIN record r ON r.id = pr.record_id "
              "ORDER BY pr.person_id, r.id";
    struct pc_area *pcmap = NULL;
    size_t npc = 0;
    if ((rc = load_postcode_areas(L, &pcmap, &npc, err))) {
        svp_free(pcmap);
        return rc;
    }
    struct store_stmt *st = NULL;
    if ((rc = store_prepare(L->s, sql, &st, err))) {
        svp_free(pcmap);
        return rc;
    }
    size_t cap = 0;
    int64_t cur = -1;
    struct vote vsex = {0}, veth = {0}, varea = {0};
    /* values are borrowed from the row, so intern them as they arrive */
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t pid = store_column_int64(st, 0), rid = store_column_int64(st, 1);
        if (L->scope && (rid <= 0 || rid > L->scope_max || !L->scope[rid]))
            continue; /* outside the neighbourhood of the person scored */
        if (pid != cur) {
            if (cur >= 0)
                vote_settle(&p->persons[p->npersons - 1], &vsex, &veth, &varea);
            /* persons and their load-time info grow together, one capacity for both */
            size_t pcap = cap, icap = cap, need = p->npersons + 1;
            struct risk_person *np = svp_grow(p->persons, &pcap, need, sizeof *np, 1024);
            struct pinfo *ni = np ? svp_grow(L->info, &icap, need, sizeof *ni, 1024) : NULL;
            if (np)
                p->persons = np;
            if (!np || !ni) {
                store_finalize(&st);
                svp_free(pcmap);
                return svp_err_set(err, SVP_ENOMEM, "out of memory loading persons");
            }
            L->info = ni;
            cap = icap;
            struct risk_person *rp = &p->persons[p->npersons];
            memset(rp, 0, sizeof *rp);
            memset(&L->info[p->npersons], 0, sizeof L->info[0]);
            rp->person_id = pid;
            rp->age = -1;
            p->npersons++;
            cur = pid;
            memset(&vsex, 0, sizeof vsex);
            memset(&veth, 0, sizeof veth);
            memset(&varea, 0, sizeof varea);
        }
        uint32_t idx = (uint32_t)(p->npersons - 1);
        struct pinfo *pi = &L->info[idx];
        if (rid > 0 && rid <= L->max_record)
            L->rec_person[rid] = idx + 1;
        svp_day dob;
        if (!pi->has_dob && day_of(store_column_text(st, 2), &dob)) {
            pi->has_dob = true;
            pi->dob = dob;
            pi->dob_record = rid;
        }
        vote_add(&vsex, intern(L, store_column_text(st, 3)));
        vote_add(&veth, intern(L, store_column_text(st, 4)));
        const char *area = store_column_text(st, 5);
        if (!area || !*area) {
            /* a full postcode, else its district (health records give only the district) */
            const char *pc = store_column_text(st, 7);
            area = area_of_postcode(pcmap, npc, pc);
            if (!area && pc) {
                char district[16];
                size_t k = 0;
                while (pc[k] && pc[k] != ' ' && k + 1 < sizeof district) {
                    district[k] = pc[k];
                    k++;
                }
                district[k] = '\0';
                area = area_of_postcode(pcmap, npc, district);
            }
        }
        vote_add(&varea, intern(L, area));
        /* family name with address, and with postcode: the keys of family inference */
        const char *fam = store_column_text(st, 8), *addr = store_column_text(st, 9);
        const char *rpc = store_column_text(st, 7);
        char fa[512];
        snprintf(fa, sizeof fa, "%s|%s", rpc ? rpc : "", addr ? addr : "");
        if ((addr && *addr && rpc && *rpc &&
             add_famrec(&L->fam_addr, &L->nfam_addr, &L->capfam_addr, risk_key_hash(fam, fa), idx)) ||
            add_famrec(&L->fam_pc, &L->nfam_pc, &L->capfam_pc, risk_key_hash(fam, rpc), idx)) {
            store_finalize(&st);
            svp_free(pcmap);
            return svp_err_set(err, SVP_ENOMEM, "out of memory loading persons");
        }
        const char *role = store_column_text(st, 6);
        if (role && !strcmp(role, "child"))
            pi->role_child = true;
        else if (role && !strcmp(role, "adult"))
            pi->role_adult = true;
    }
    if (cur >= 0)
        vote_settle(&p->persons[p->npersons - 1], &vsex, &veth, &varea);
    store_finalize(&st);
    svp_free(pcmap);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < p->npersons; i++) {
        struct risk_person *rp = &p->persons[i];
        struct pinfo *pi = &L->info[i];
        if (pi->has_dob) {
            rp->age = svp_date_age(pi->dob, L->as_of);
            rp->dob = pi->dob;
            rp->child = rp->age >= 0 && rp->age < 18;
        } else {
            rp->child = pi->role_child;
        }
        pi->first_placement_day = INT32_MAX;
    }
    return SVP_OK;
}

/* ------------------------------------------------------------------ events */

static bool open_on(svp_day start, const char *ended, svp_day as_of)
{
    svp_day end;
    return start <= as_of && (!day_of(ended, &end) || end > as_of);
}

/* Indicators that describe a state rather than a moment: aged from when the state ended,
 * or counted in full while it lasts. */
static bool is_state(int ind)
{
    return ind == RISK_LOOKED_AFTER || ind == RISK_PLACEMENT_OUT_OF_COUNTY ||
           ind == RISK_MISSING_EDUCATION;
}

static bool concern_offence(const char *off)
{
    return off && (!strcmp(off, "drugs_supply") || !strcmp(off, "weapon_possession") ||
                   !strcmp(off, "violence_weapon") || !strcmp(off, "exploitation") ||
                   !strcmp(off, "sexual"));
}

static void note_trio(struct pinfo *pi, int which, svp_day day, int64_t ev, int64_t rec, int ag)
{
    struct trio_fact *t = &pi->trio[which];
    if (day > t->day) {
        t->day = day;
        t->event_id = ev;
        t->record_id = rec;
        t->agency = (uint8_t)ag;
    }
}

/* Keeps what co-involvement (a police occurrence's reference) and the attendance decline
 * (the term's attendance) need from an event. */
static int note_occurrence_or_attendance(struct loader *L, uint32_t person, const char *type,
                                         const char *subtype, json_t *detail, svp_day day,
                                         int64_t eid, int64_t rid, int agency)
{
    if (!strcmp(type, "crime") || !strcmp(type, "incident")) {
        json_t *ref = json_object_get(detail, "occurrence_ref");
        if (!json_is_string(ref) || !*json_string_value(ref))
            return SVP_OK;
        const char *role = subtype ? subtype
                                   : json_string_value(json_object_get(detail, "role"));
        uint8_t r = OCC_OTHER;
        if (role && (!strcmp(role, "suspect") || !strcmp(role, "offender")))
            r = OCC_SUSPECT;
        else if (role && !strcmp(role, "victim"))
            r = OCC_VICTIM;
        struct occ_row *x = svp_grow(L->occ, &L->capocc, L->nocc + 1, sizeof *x, 1024);
        if (!x)
            return SVP_ENOMEM;
        L->occ = x;
        x[L->nocc++] = (struct occ_row){risk_key_hash(json_string_value(ref), "occ"), person, r,
                                        (uint8_t)agency, day, eid, rid};
    } else if (!strcmp(type, "school_attendance")) {
        double pct;
        if (!risk_attendance_pct(detail, &pct))
            return SVP_OK;
        struct att_row *x = svp_grow(L->att, &L->capatt, L->natt + 1, sizeof *x, 1024);
        if (!x)
            return SVP_ENOMEM;
        L->att = x;
        x[L->natt++] = (struct att_row){person, (uint8_t)agency, day, pct, eid, rid};
    }
    return SVP_OK;
}

/* A school_attendance event whose detail risk_attendance_flat read: what event_row does for
 * one with that detail (its indicators, none of them care signals, and the term). */
static int attendance_row(struct loader *L, uint32_t person, const struct risk_attendance_in *a,
                          svp_day day, int64_t eid, int64_t rid, int agency, struct svp_err *err)
{
    int inds[8];
    int n = risk_classify_attendance(a, inds);
    for (int k = 0; k < n; k++)
        if (add_fact(L, person, inds[k], day, agency, eid, 0, rid, 0, 1))
            return svp_err_set(err, SVP_ENOMEM, "out of memory for facts");
    double pct;
    if (!risk_attendance_of(a, &pct))
        return SVP_OK;
    struct att_row *x = svp_grow(L->att, &L->capatt, L->natt + 1, sizeof *x, 1024);
    if (!x)
        return svp_err_set(err, SVP_ENOMEM, "out of memory for events");
    L->att = x;
    x[L->natt++] = (struct att_row){person, (uint8_t)agency, day, pct, eid, rid};
    return SVP_OK;
}

/* One event row of the loader's query (columns as in load_events): its facts, plans and
 * what the person's later facts need. */
static int event_row(struct loader *L, struct store_stmt *st, struct svp_err *err)
{
    struct risk_panel *p = L->p;
    int rc = SVP_OK;
    int64_t eid = store_column_int64(st, 0), rid = store_column_int64(st, 1);
    int64_t pidx = person_of(L, rid);
    svp_day day;
    if (pidx < 0 || !day_of(store_column_text(st, 5), &day))
        return SVP_OK;
    struct risk_person *rp = &p->persons[pidx];
    struct pinfo *pi = &L->info[pidx];
    int agency = risk_agency_find(store_column_text(st, 2));
    const char *type = store_column_text(st, 3);
    const char *subtype = store_column_text(st, 4);
    const char *ended = store_column_text(st, 6);
    const char *dtext = store_column_text(st, 7);
    if (!type)
        return SVP_OK;
    if (L->as_of - day <= L->w->lookback_days) {
        rp->nevents++;
        rp->agencies |= 1u << agency;
    }
    if (!strcmp(type, "cin_plan") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_CIN;
    else if (!strcmp(type, "cp_plan") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_CP;
    else if (!strcmp(type, "looked_after") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_LAC;
    else if (!strcmp(type, "early_help") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_EARLY_HELP;
    else if (!strcmp(type, "yj_intervention") && open_on(day, ended, L->as_of))
        rp->plans |= RISK_PLAN_YJ;

    /* A term's attendance, most of a county's events, read without a full parse when its
     * detail is a flat object: the same indicators and term as below. */
    struct risk_attendance_in att;
    if (!strcmp(type, "school_attendance") && risk_attendance_flat(dtext, &att))
        return attendance_row(L, (uint32_t)pidx, &att, day, eid, rid, agency, err);

    /* Only the types whose meaning depends on detail keys are parsed (docs/model.md). */
    static const char *const with_detail[] = {
        "missing_episode", "return_interview", "crime", "arrest", "stop_search",
        "da_incident", "school_attendance", "placement", "exploitation_screening",
        "intelligence", "nrm_referral", "exclusion", "ed_attendance", "contact", "referral",
        "assessment", "sexual_health", "incident", NULL};
    bool parse = false;
    for (const char *const *t = with_detail; *t && !parse; t++)
        parse = !strcmp(*t, type);
    /* These read their one detail key only when there is no subtype (risk_classify_event:
     * the subtype, else the detail's reason, level, category, decision or type). */
    static const char *const subtype_first[] = {"ed_attendance", "exclusion",
                                                "exploitation_screening", "intelligence",
                                                "nrm_referral", NULL};
    for (const char *const *t = subtype_first; *t && parse && subtype; t++)
        parse = strcmp(*t, type) != 0;
    json_t *detail = NULL;
    if (parse && dtext && *dtext) {
        json_error_t je;
        unsigned long failures = svp_mem_failures();
        detail = json_loads(dtext, JSON_REJECT_DUPLICATES, &je);
        /* out of memory is an error, never an event scored as if it had no detail (see
         * svp_mem_failures: jansson may report it as malformed text) */
        if (!detail && (json_error_code(&je) == json_error_out_of_memory ||
                        svp_mem_failures() != failures)) {
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading an event's detail");
        }
    }
    struct risk_event_in in = {.type = type, .subtype = subtype, .started_at = NULL,
                               .ended_at = ended, .detail = detail,
                               .place_out_of_county = store_column_int64(st, 8) == 0};
    int inds[8];
    int n = risk_classify_event(&in, inds);

    /* What makes an adult 'of concern' and the household factors of the toxic trio. */
    const char *off = detail ? json_string_value(json_object_get(detail, "offence")) : NULL;
    bool concern = false;
    if ((!strcmp(type, "crime") || !strcmp(type, "incident")) && subtype &&
        (!strcmp(subtype, "suspect") || !strcmp(subtype, "offender")))
        concern = concern_offence(off) || json_array_size(json_object_get(detail,
                                                                          "exploitation"));
    else if (!strcmp(type, "arrest"))
        concern = concern_offence(off);
    else if (!strcmp(type, "intelligence"))
        /* intelligence about an adult's own exploitation of children makes them of
         * concern; cuckooing intelligence is recorded on the resident, its victim */
        concern = subtype && strcmp(subtype, "other") && strcmp(subtype, "cuckooing");
    else if (!strcmp(type, "offender_management"))
        concern = true; /* a known offender (MAPPA, registered, the partnership's list) */
    if (concern && (!pi->concern_day || day < pi->concern_day))
        pi->concern_day = day;
    unsigned needs = risk_event_needs(type, subtype, detail);
    for (int t = 0; t < TRIO_N; t++)
        if (needs & (1u << t))
            note_trio(pi, t, day, eid, rid, agency);
    if (!strcmp(type, "exclusion") && day > pi->last_exclusion)
        pi->last_exclusion = day;
    if (!strcmp(type, "placement") &&
        (day < pi->first_placement_day ||
         (day == pi->first_placement_day && eid < pi->first_placement_event))) {
        pi->first_placement_day = day;
        pi->first_placement_event = eid;
    }

    bool from_care = false;
    for (int k = 0; k < n; k++)
        from_care |= inds[k] == RISK_MISSING_FROM_CARE;
    for (int k = 0; k < n; k++) {
        svp_day fday = day, end;
        if (is_state(inds[k]))
            fday = day_of(ended, &end) && end <= L->as_of ? end : L->as_of;
        if ((rc = add_fact(L, (uint32_t)pidx, inds[k], fday, agency, eid, 0, rid, 0, 1))) {
            json_decref(detail);
            return svp_err_set(err, rc, "out of memory for facts");
        }
        /* Care signals: count only beside an exploitation signal (docs/indicators.md) */
        int ind = inds[k];
        if ((from_care && (ind == RISK_MISSING_EPISODE || ind == RISK_MISSING_HIGH_RISK ||
                           ind == RISK_MISSING_FROM_CARE)) ||
            ind == RISK_PLACEMENT_MOVE || ind == RISK_PLACEMENT_OUT_OF_COUNTY ||
            ind == RISK_LOOKED_AFTER)
            L->facts[L->nfacts - 1].flags |= RISK_FACT_CARE;
    }
    rc = note_occurrence_or_attendance(L, (uint32_t)pidx, type, subtype, detail, day, eid,
                                       rid, agency);
    if (rc) {
        json_decref(detail);
        return svp_err_set(err, rc, "out of memory for events");
    }
    json_decref(detail);
    /* Elective home education begun within a year of an exclusion: the route out of
     * school that the partnership's education reports watch (docs/indicators.md). */
    if (!strcmp(type, "ehe") && pi->last_exclusion && day >= pi->last_exclusion &&
        day - pi->last_exclusion <= 365)
        if ((rc = add_fact(L, (uint32_t)pidx, RISK_EHE_AFTER_EXCLUSION, day, agency, eid, 0,
                           rid, 0, 1))) {
            return svp_err_set(err, rc, "out of memory for facts");
        }
    return SVP_OK;
}

static int load_events(struct loader *L, struct svp_err *err)
{
    /* Events up to the scoring date: compare ISO text with the next day's date. */
    char upto[16];
    svp_date_format(L->as_of + 1, upto, sizeof upto);
    const char *sql =
        L->scope
            ? "SELECT e.id, e.record_id, e.agency, e.type, e.subtype, e.started_at, e.ended_at, "
              "e.detail, COALESCE(pl.in_county, 1) FROM event e LEFT JOIN place pl ON pl.id = "
              "e.place_id WHERE e.started_at < ? AND e.record_id = ? ORDER BY e.id"
            : "SELECT e.id, e.record_id, e.agency, e.type, e.subtype, e.started_at, e.ended_at, "
              "e.detail, COALESCE(pl.in_county, 1) FROM event e LEFT JOIN place pl ON pl.id = "
              "e.place_id WHERE e.started_at < ?";
    struct store_stmt *st = NULL;
    int rc = store_prepare(L->s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, upto, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (!L->scope) {
        while ((rc = store_step(st, err)) == STORE_ROW)
            if ((rc = event_row(L, st, err)))
                break;
    } else {
        /* one person's neighbourhood: each record's events by the record's index, in id
         * order (as the whole table is read) */
        for (int64_t r = 1; !rc && r <= L->max_record && r <= L->scope_max; r++) {
            if (!L->scope[r])
                continue;
            store_reset(st);
            if (store_bind_text(st, 1, upto, -1) || store_bind_int64(st, 2, r)) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            while ((rc = store_step(st, err)) == STORE_ROW)
                if ((rc = event_row(L, st, err)))
                    break;
        }
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    /* The first placement is coming into care, not a move. */
    size_t k = 0;
    for (size_t i = 0; i < L->nfacts; i++) {
        struct risk_fact *f = &L->facts[i];
        if (f->indicator == RISK_PLACEMENT_MOVE &&
            f->event_id == L->info[f->person].first_placement_event)
            continue;
        L->facts[k++] = *f;
    }
    L->nfacts = k;
    return SVP_OK;
}

/* ------------------------------------------------------------------ relationships */

struct rel {
    int64_t id, a, b, event_id, record_a, record_b;
    svp_day day;
    int kind, agency;
    bool da; /* recorded with a domestic abuse incident */
};
enum { K_FOUND_WITH, K_HOUSEHOLD, K_PARENT, K_SIBLING, K_ASSOCIATE, K_CO_INVOLVED,
       K_CO_OFFENDER, K_PERPETRATOR, K_OTHER };

static int kind_of(const char *k)
{
    static const char *const names[] = {"found_with", "household_member", "parent", "sibling",
                                        "associate", "co_involved", "co_offender",
                                        "perpetrator"};
    for (int i = 0; k && i < K_OTHER; i++)
        if (!strcmp(names[i], k))
            return i;
    return K_OTHER;
}

static bool is_adult(const struct loader *L, int64_t idx)
{
    const struct risk_person *rp = &L->p->persons[idx];
    const struct pinfo *pi = &L->info[idx];
    return pi->has_dob ? rp->age >= 18 : pi->role_adult && !pi->role_child;
}

static bool of_concern(const struct loader *L, int64_t idx)
{
    svp_day d = L->info[idx].concern_day;
    return d && d <= L->as_of;
}

/* Household links for the toxic trio, collected while reading relationships. */
struct hh {
    uint32_t child, other;
};

static int cmp_hh(const void *a, const void *b)
{
    const struct hh *x = a, *y = b;
    return (x->child > y->child) - (x->child < y->child);
}

static int household_trio(struct loader *L, struct hh *links, size_t n)
{
    /* sort by child so each child's household is contiguous */
    if (n > 1)
        qsort(links, n, sizeof *links, cmp_hh);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        uint32_t c = links[i].child;
        /* the child's own record of domestic abuse at home counts for the household; its
         * own substance use or mental health does not (the trio is about the adults) */
        struct trio_fact best[TRIO_N];
        memset(best, 0, sizeof best);
        best[TRIO_DA] = L->info[c].trio[TRIO_DA];
        for (; j < n && links[j].child == c; j++) {
            const struct pinfo *o = &L->info[links[j].other];
            for (int t = 0; t < TRIO_N; t++)
                if (o->trio[t].day > best[t].day)
                    best[t] = o->trio[t];
        }
        int nf = 0;
        for (int t = 0; t < TRIO_N; t++)
            nf += best[t].day && best[t].day <= L->as_of;
        if (nf >= 2)
            for (int t = 0; t < TRIO_N; t++)
                if (best[t].day && best[t].day <= L->as_of) {
                    int rc = add_fact(L, c, RISK_TOXIC_TRIO, best[t].day, best[t].agency,
                                      best[t].event_id, 0, best[t].record_id, 0, nf);
                    if (rc)
                        return rc;
                }
        i = j;
    }
    return SVP_OK;
}

static int cmp_occ(const void *a, const void *b)
{
    const struct occ_row *x = a, *y = b;
    if (x->ref != y->ref)
        return x->ref < y->ref ? -1 : 1;
    return (x->person > y->person) - (x->person < y->person);
}

/* Co-involvement in one police occurrence (the persons recorded under one reference). A
 * witness is not an associate; a victim is associated with the suspects only; a child whose
 * family member is involved too is there as family unless a suspect; family among
 * themselves is never association (intra-familial or sibling instead). Occurrences of more
 * than 12 persons (a disorder, an event) link nobody. */
enum { OCC_MAX = 12 };

static int occurrence_facts(struct loader *L)
{
    if (L->nocc > 1)
        qsort(L->occ, L->nocc, sizeof *L->occ, cmp_occ);
    size_t i = 0;
    while (i < L->nocc) {
        size_t j = i + 1;
        while (j < L->nocc && L->occ[j].ref == L->occ[i].ref)
            j++;
        size_t m = j - i;
        if (m < 2 || m > OCC_MAX) {
            i = j;
            continue;
        }
        const struct occ_row *g = L->occ + i;
        for (size_t a = 0; a < m; a++) {
            uint32_t c = g[a].person;
            if ((a && g[a - 1].person == c) || !L->p->persons[c].child)
                continue;
            bool family_here = false;
            for (size_t b = 0; b < m && !family_here; b++)
                family_here = g[b].person != c &&
                              risk_family_has(L->links, L->nlinks, c, g[b].person);
            for (size_t b = 0; b < m; b++) {
                uint32_t o = g[b].person;
                if (o == c || (b && g[b - 1].person == o))
                    continue;
                bool adult = is_adult(L, o);
                int64_t other = (int64_t)o + 1;
                int rc = SVP_OK;
                if (risk_family_has(L->links, L->nlinks, c, o)) {
                    if (adult && of_concern(L, o))
                        rc = add_fact(L, c, RISK_INTRA_FAMILIAL, g[a].day, g[a].agency,
                                      g[a].event_id, 0, g[a].record_id, other, 1);
                    else if (!adult)
                        rc = add_fact(L, c, RISK_SIBLING_AT_RISK, g[a].day, g[a].agency,
                                      g[a].event_id, 0, g[a].record_id, other, 1);
                } else if (g[a].role == OCC_OTHER ||
                           (g[a].role == OCC_VICTIM && g[b].role != OCC_SUSPECT) ||
                           (family_here && g[a].role != OCC_SUSPECT)) {
                    continue;
                } else if (adult && of_concern(L, o)) {
                    rc = add_fact(L, c, RISK_ADULT_OF_CONCERN, g[a].day, g[a].agency,
                                  g[a].event_id, 0, g[a].record_id, other, 1);
                } else if (!adult) {
                    rc = add_fact(L, c, RISK_PEER_AT_RISK, g[a].day, g[a].agency,
                                  g[a].event_id, 0, g[a].record_id, other, 1);
                }
                if (rc)
                    return rc;
            }
        }
        i = j;
    }
    return SVP_OK;
}

static int cmp_att(const void *a, const void *b)
{
    const struct att_row *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return (x->day > y->day) - (x->day < y->day);
}

/* The child's own attendance falling: a term at least 10 points below the mean of up to
 * three terms before it in the year before, and below 90% (persistent absence). */
enum { DECLINE_POINTS = 10, DECLINE_TERMS = 3, DECLINE_DAYS = 400 };

int risk_attendance_declines(const double *pct, const svp_day *day, size_t n, bool *out)
{
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = false;
        double sum = 0;
        int m = 0;
        for (size_t j = i; j > 0 && m < DECLINE_TERMS; j--)
            if (day[i] - day[j - 1] <= DECLINE_DAYS && day[j - 1] < day[i]) {
                sum += pct[j - 1];
                m++;
            }
        if (m && pct[i] < 90 && sum / m - pct[i] >= DECLINE_POINTS) {
            out[i] = true;
            k++;
        }
    }
    return k;
}

static int attendance_facts(struct loader *L)
{
    if (L->natt > 1)
        qsort(L->att, L->natt, sizeof *L->att, cmp_att);
    size_t i = 0;
    while (i < L->natt) {
        size_t j = i + 1;
        while (j < L->natt && L->att[j].person == L->att[i].person)
            j++;
        double pct[64];
        svp_day day[64];
        bool hit[64];
        size_t m = j - i > 64 ? 64 : j - i, base = j - m;
        for (size_t k = 0; k < m; k++) {
            pct[k] = L->att[base + k].pct;
            day[k] = L->att[base + k].day;
        }
        risk_attendance_declines(pct, day, m, hit);
        for (size_t k = 0; k < m; k++) {
            const struct att_row *a = &L->att[base + k];
            if (hit[k] && L->p->persons[a->person].child) {
                int rc = add_fact(L, a->person, RISK_ATTENDANCE_DECLINE, a->day, a->agency,
                                  a->event_id, 0, a->record_id, 0, 1);
                if (rc)
                    return rc;
            }
        }
        i = j;
    }
    return SVP_OK;
}

/* "Found with Kayla Dunn" in a missing episode's free text, resolved by the link room to a
 * person (link_mention): a found_with from the child to that person, weighed by who like a
 * recorded one (family, adult, peer on the list). */
static int load_mentions(struct loader *L, struct rel **rels, size_t *n, size_t *cap,
                         struct svp_err *err)
{
    const char *sql = "SELECT e.id, e.record_id, e.agency, e.started_at, lm.person_id, "
                      "lm.record_id FROM link_mention lm JOIN event e ON e.id = lm.event_id "
                      "WHERE lm.status = 'resolved' AND e.type = 'missing_episode' AND e.started_at < ?";
    char upto[16];
    svp_date_format(L->as_of + 1, upto, sizeof upto);
    struct store_stmt *st = NULL;
    int rc = store_prepare(L->s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, upto, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct rel r = {.kind = K_FOUND_WITH, .event_id = store_column_int64(st, 0),
                        .record_a = store_column_int64(st, 1),
                        .agency = risk_agency_find(store_column_text(st, 2))};
        r.record_b = store_column_int64(st, 5);
        r.a = person_of(L, r.record_a);
        int64_t pid = store_column_int64(st, 4);
        const struct risk_person *op = pid > 0 ? risk_panel_find(L->p, pid) : NULL;
        r.b = op ? op - L->p->persons : person_of(L, r.record_b);
        if (r.a < 0 || r.b < 0 || r.a == r.b || !day_of(store_column_text(st, 3), &r.day))
            continue;
        if (!r.record_b && op)
            r.record_b = r.record_a;
        struct rel *nr = svp_grow(*rels, cap, *n + 1, sizeof *nr, 1024);
        if (!nr) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading mentions");
            break;
        }
        *rels = nr;
        (*rels)[(*n)++] = r;
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

static int load_relationships(struct loader *L, struct svp_err *err)
{
    const char *sql = "SELECT r.id, r.kind, r.record_a, r.record_b, r.agency, r.event_id, "
                      "e.started_at, e.type FROM relationship r LEFT JOIN event e ON "
                      "e.id = r.event_id";
    struct store_stmt *st = NULL;
    int rc = store_prepare(L->s, sql, &st, err);
    if (rc)
        return rc;
    struct rel *rels = NULL;
    size_t n = 0, cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct rel r = {.id = store_column_int64(st, 0),
                        .kind = kind_of(store_column_text(st, 1)),
                        .record_a = store_column_int64(st, 2),
                        .agency = risk_agency_find(store_column_text(st, 4)),
                        .event_id = store_column_int64(st, 5)};
        r.record_b = store_column_int64(st, 3);
        r.a = person_of(L, r.record_a);
        r.b = person_of(L, r.record_b);
        const char *etype = store_column_text(st, 7);
        r.da = etype && !strcmp(etype, "da_incident");
        /* one person's neighbourhood: a perpetrator link to someone outside it still makes
         * the adult of concern, as on the whole panel */
        if (L->scope && r.a >= 0 && r.b < 0 && r.kind == K_PERPETRATOR) {
            svp_day d0;
            if (!day_of(store_column_text(st, 6), &d0))
                d0 = L->as_of;
            if (d0 <= L->as_of && (!L->info[r.a].concern_day || d0 < L->info[r.a].concern_day))
                L->info[r.a].concern_day = d0;
        }
        if (r.a < 0 || r.b < 0 || r.a == r.b || r.kind == K_OTHER)
            continue;
        if (!day_of(store_column_text(st, 6), &r.day))
            r.day = L->as_of; /* a standing relationship holds on the scoring date */
        if (r.day > L->as_of)
            continue;
        /* what another agency recorded about a child through a relationship (listed in a
         * household with domestic abuse, found with someone) is data about the child */
        if (L->as_of - r.day <= L->w->lookback_days) {
            L->p->persons[r.a].nevents++;
            L->p->persons[r.b].nevents++;
            L->p->persons[r.a].agencies |= 1u << r.agency;
            L->p->persons[r.b].agencies |= 1u << r.agency;
        }
        if (r.kind == K_PERPETRATOR && (!L->info[r.a].concern_day ||
                                        r.day < L->info[r.a].concern_day))
            L->info[r.a].concern_day = r.day;
        struct rel *nr = svp_grow(rels, &cap, n + 1, sizeof *nr, 1024);
        if (!nr) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading relationships");
            break;
        }
        rels = nr;
        rels[n++] = r;
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(rels);
        return rc;
    }
    if ((rc = load_mentions(L, &rels, &n, &cap, err))) {
        svp_free(rels);
        return rc;
    }
    /* Households and family: recorded links, then inferred from shared family name and
     * address (or postcode with ages of a family). */
    rc = SVP_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const struct rel *r = &rels[i];
        if (r->kind != K_HOUSEHOLD && r->kind != K_PARENT && r->kind != K_SIBLING)
            continue;
        int relation = r->kind == K_PARENT ? RISK_REL_CHILD /* a is parent of b */
                       : r->kind == K_SIBLING ? RISK_REL_SIBLING
                                              : RISK_REL_HOUSEHOLD;
        rc = risk_family_add(&L->links, &L->nlinks, &L->caplinks, (uint32_t)r->b, (uint32_t)r->a,
                             relation == RISK_REL_CHILD ? RISK_REL_PARENT : relation, true,
                             r->agency, 1.0f,
                             r->da ? "listed together with a domestic abuse incident"
                             : r->kind == K_PARENT  ? "recorded as parent or carer"
                             : r->kind == K_SIBLING ? "recorded as siblings"
                                                    : "recorded as one household");
    }
    if (!rc)
        rc = risk_family_infer(L->fam_addr, L->nfam_addr, L->p->persons, false, &L->links,
                               &L->nlinks, &L->caplinks);
    if (!rc)
        rc = risk_family_infer(L->fam_pc, L->nfam_pc, L->p->persons, true, &L->links,
                               &L->nlinks, &L->caplinks);
    if (!rc)
        risk_family_finish(L->links, &L->nlinks);
    struct hh *links = NULL;
    size_t nl = 0, capl = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const struct rel *r = &rels[i];
        /* found_with is recorded both ways; the other kinds count from both ends */
        for (int dir = 0; dir < 2 && !rc; dir++) {
            if (dir == 1 && r->kind == K_FOUND_WITH)
                break;
            int64_t c = dir ? r->b : r->a, o = dir ? r->a : r->b;
            if (!L->p->persons[c].child)
                continue;
            bool adult = is_adult(L, o);
            int64_t other = o + 1;
            /* Family co-involvement is never association: harm from a family member of
             * concern is its own reason, a brother or sister on the list is exposure. */
            bool fam = r->kind != K_HOUSEHOLD && r->kind != K_PARENT && r->kind != K_SIBLING &&
                       risk_family_has(L->links, L->nlinks, (uint32_t)c, (uint32_t)o);
            if (fam) {
                if (r->kind == K_FOUND_WITH)
                    rc = add_fact(L, (uint32_t)c, RISK_MISSING_FOUND_WITH_FAMILY, r->day,
                                  r->agency, r->event_id, r->id, r->record_a, other, 1);
                if (!rc && adult && (of_concern(L, o) || r->kind == K_PERPETRATOR))
                    rc = add_fact(L, (uint32_t)c, RISK_INTRA_FAMILIAL, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                else if (!rc && !adult && r->kind != K_PERPETRATOR)
                    rc = add_fact(L, (uint32_t)c, RISK_SIBLING_AT_RISK, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                continue;
            }
            switch (r->kind) {
            case K_FOUND_WITH:
                if (adult)
                    rc = add_fact(L, (uint32_t)c, RISK_MISSING_FOUND_WITH_ADULT, r->day,
                                  r->agency, r->event_id, r->id, r->record_a, other, 1);
                else
                    rc = add_fact(L, (uint32_t)c, RISK_MISSING_FOUND_WITH_PEER_AT_RISK, r->day,
                                  r->agency, r->event_id, r->id, r->record_a, other, 1);
                if (!rc && adult && of_concern(L, o))
                    rc = add_fact(L, (uint32_t)c, RISK_ADULT_OF_CONCERN, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                break;
            case K_ASSOCIATE:
            case K_CO_INVOLVED:
            case K_CO_OFFENDER:
                if (adult && of_concern(L, o))
                    rc = add_fact(L, (uint32_t)c, RISK_ADULT_OF_CONCERN, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                else if (!adult)
                    rc = add_fact(L, (uint32_t)c, RISK_PEER_AT_RISK, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                break;
            case K_PERPETRATOR:
                if (dir == 1)
                    rc = add_fact(L, (uint32_t)c, RISK_PERPETRATOR_LINK, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                break;
            default: /* household, parent, sibling */
                /* Police record a domestic abuse incident on the adults and list the
                 * children of the household with it (docs/model.md). */
                if (r->da && r->event_id &&
                    (rc = add_fact(L, (uint32_t)c, RISK_DA_HOUSEHOLD, r->day, r->agency,
                                   r->event_id, r->id, dir ? r->record_a : r->record_b, other,
                                   1)))
                    break;
                struct hh *x = svp_grow(links, &capl, nl + 1, sizeof *x, 256);
                if (!x) {
                    rc = SVP_ENOMEM;
                    break;
                }
                links = x;
                links[nl++] = (struct hh){(uint32_t)c, (uint32_t)o};
                break;
            }
        }
    }
    svp_free(rels);
    if (!rc)
        rc = household_trio(L, links, nl);
    svp_free(links);
    if (!rc)
        rc = occurrence_facts(L);
    if (!rc)
        rc = attendance_facts(L);
    if (rc)
        return svp_err_set(err, rc, "out of memory for relationship facts");
    return SVP_OK;
}

/* ------------------------------------------------------------------ scoring and ranking */

static int add_age_facts(struct loader *L)
{
    for (size_t i = 0; i < L->p->npersons; i++) {
        const struct risk_person *rp = &L->p->persons[i];
        if (rp->child && rp->age >= L->w->age_min && rp->age < L->w->age_max) {
            int rc = add_fact(L, (uint32_t)i, RISK_AGE_BAND, L->as_of, RISK_AG_OTHER, 0, 0,
                              L->info[i].dob_record, 0, 1);
            if (rc)
                return rc;
        }
    }
    return SVP_OK;
}

struct rank_key {
    double score;
    int64_t person_id;
    struct risk_person *rp;
};

static int cmp_rank(const void *a, const void *b)
{
    const struct rank_key *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Persons are kept in person id order and facts in person index order, so both are found
 * by binary search (svp_lower_bound) with these comparisons. */
static bool person_below(const void *arr, size_t i, const void *person_id)
{
    return ((const struct risk_person *)arr)[i].person_id < *(const int64_t *)person_id;
}

static bool fact_below(const void *arr, size_t i, const void *person)
{
    return ((const struct risk_fact *)arr)[i].person < *(const size_t *)person;
}

struct risk_person *risk_panel_find(const struct risk_panel *p, int64_t person_id)
{
    size_t k = svp_lower_bound(p->persons, p->npersons, &person_id, person_below);
    return k < p->npersons && p->persons[k].person_id == person_id ? &p->persons[k] : NULL;
}

/* Fills rp's reasons from its facts (idempotent). */
static int explain(struct risk_panel *p, struct risk_person *rp, const double *first_pass)
{
    if (rp->reasons || rp->status != RISK_SCORED)
        return SVP_OK;
    size_t idx = (size_t)(rp - p->persons);
    /* facts are sorted by person: this person's range starts at the first not below it */
    size_t lo = svp_lower_bound(p->facts, p->nfacts, &idx, fact_below);
    size_t end = lo;
    while (end < p->nfacts && p->facts[end].person == idx)
        end++;
    size_t n = end - lo;
    rp->reasons = svp_arena_alloc(p->arena, (2 * n + 1) * sizeof *rp->reasons);
    if (!rp->reasons)
        return SVP_ENOMEM;
    memset(rp->reasons, 0, (2 * n + 1) * sizeof *rp->reasons);
    risk_score_person(&p->weights, p->as_of, p->facts + lo, n, first_pass, rp->reasons,
                      &rp->nreasons);
    for (size_t i = 0; i < rp->nreasons; i++) {
        int64_t o = rp->reasons[i].other_person_id;
        rp->reasons[i].other_person_id = o > 0 ? p->persons[o - 1].person_id : 0;
    }
    /* largest first, then most recent */
    for (size_t i = 1; i < rp->nreasons; i++) {
        struct risk_reason x = rp->reasons[i];
        size_t j = i;
        while (j > 0 && (rp->reasons[j - 1].points < x.points ||
                         (rp->reasons[j - 1].points == x.points &&
                          rp->reasons[j - 1].day < x.day))) {
            rp->reasons[j] = rp->reasons[j - 1];
            j--;
        }
        rp->reasons[j] = x;
    }
    return SVP_OK;
}

/* Reads the last saved panel: each person's rank on it, and who has left the list. */
/* Names each listed reason's record by the agency's own id, so the list can be read against
 * the agency's system. A small cache keyed by record id avoids asking twice. */
static int resolve_agency_ids(struct store *s, struct risk_panel *p, struct svp_err *err)
{
    size_t cap = 1024;
    while (cap < p->nlist * 16)
        cap *= 2;
    int64_t *keys = svp_calloc(cap, sizeof *keys);
    const char **vals = svp_calloc(cap, sizeof *vals);
    struct store_stmt *st = NULL;
    int rc = keys && vals ? store_prepare(s, "SELECT agency_record_id FROM record WHERE id = ?",
                                          &st, err)
                          : svp_err_set(err, SVP_ENOMEM, "out of memory");
    size_t used = 0;
    for (size_t i = 0; i < p->nlist && !rc; i++) {
        struct risk_person *rp = p->list[i];
        for (size_t k = 0; k < rp->nreasons && !rc; k++) {
            struct risk_reason *r = &rp->reasons[k];
            if (r->record_id <= 0)
                continue;
            size_t h = (size_t)((uint64_t)r->record_id * 0x9E3779B97F4A7C15ull) & (cap - 1);
            while (keys[h] && keys[h] != r->record_id)
                h = (h + 1) & (cap - 1);
            if (keys[h]) {
                r->agency_record_id = vals[h];
                continue;
            }
            if (used * 2 >= cap) /* cache full enough: stop caching, still resolve */
                h = SIZE_MAX;
            store_reset(st);
            if (store_bind_int64(st, 1, r->record_id)) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            int step = store_step(st, err);
            if (step < 0) {
                rc = step;
                break;
            }
            const char *id = step == STORE_ROW ? store_column_text(st, 0) : NULL;
            const char *copy = id ? svp_arena_strndup(p->arena, id, strlen(id)) : NULL;
            if (id && !copy) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            r->agency_record_id = copy;
            if (h != SIZE_MAX) {
                keys[h] = r->record_id;
                vals[h] = copy;
                used++;
            }
        }
    }
    store_finalize(&st);
    svp_free(keys);
    svp_free(vals);
    return rc;
}

static int load_previous(struct store *s, struct risk_panel *p,
                         const struct risk_panel_opts *opts, struct svp_err *err)
{
    int64_t snap = 0;
    int rc = store_query_int64(s, "SELECT COALESCE(MAX(id), 0) FROM risk_snapshot", &snap, err);
    if (rc || !snap)
        return rc;
    p->previous_snapshot = snap;
    struct store_stmt *st = NULL;
    if ((rc = store_prepare(s, "SELECT saved_at FROM risk_snapshot WHERE id = ?", &st, err)))
        return rc;
    if (store_bind_int64(st, 1, snap) == 0 && store_step(st, err) == STORE_ROW)
        svp_strlcpy(p->previous_saved_at, store_column_text(st, 0) ? store_column_text(st, 0)
                                                                   : "",
                    sizeof p->previous_saved_at);
    store_finalize(&st);
    if ((rc = store_prepare(s,
                            "SELECT person_id, rank FROM risk_snapshot_person WHERE "
                            "snapshot_id = ? ORDER BY rank",
                            &st, err)))
        return rc;
    if (store_bind_int64(st, 1, snap)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    size_t capleft = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        int64_t pid = store_column_int64(st, 0);
        int prev = (int)store_column_int64(st, 1);
        struct risk_person *rp = risk_panel_find(p, pid);
        if (!rp)
            continue; /* the person no longer exists (linking was redone) */
        rp->prev_rank = prev;
        bool listed = rp->status == RISK_SCORED && rp->band >= RISK_BAND_MEDIUM;
        if (!listed && (!opts->area || !strcmp(opts->area, rp->area))) {
            struct risk_person **x = svp_grow(p->left, &capleft, p->nleft + 1, sizeof *x, 64);
            if (!x) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            p->left = x;
            rp->change = RISK_CHANGE_LEFT;
            p->left[p->nleft++] = rp;
        }
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

/* A return interview declined or not done within 10 days after a missing episode from care
 * belongs to that episode: a care signal too. facts sorted by person, day descending. */
static void care_return_interviews(struct risk_fact *facts, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && facts[j].person == facts[i].person)
            j++;
        for (size_t a = i; a < j; a++) {
            if (facts[a].indicator != RISK_RETURN_INTERVIEW_DECLINED)
                continue;
            for (size_t b = i; b < j; b++)
                if (facts[b].indicator == RISK_MISSING_FROM_CARE && facts[b].day <= facts[a].day &&
                    facts[a].day - facts[b].day <= 10) {
                    facts[a].flags |= RISK_FACT_CARE;
                    break;
                }
        }
        i = j;
    }
}

static void loader_free(struct loader *L)
{
    svp_free(L->fam_addr);
    svp_free(L->fam_pc);
    svp_free(L->occ);
    svp_free(L->att);
    L->fam_addr = L->fam_pc = NULL;
    L->occ = NULL;
    L->att = NULL;
}

/* The panel, or with scope (record id -> 1) one person's neighbourhood only: then nobody
 * is ranked, listed or compared with the last saved panel. */
static int panel_build(struct store *s, const struct risk_weights *w,
                       const struct risk_panel_opts *opts, const uint8_t *scope,
                       int64_t max_record, struct risk_panel **out, struct svp_err *err)
{
    *out = NULL;
    double t0 = now_seconds();
    int rc = store_require_current(s, err);
    if (rc)
        return rc;
    if (!opts->unlinked) {
        int64_t linked = 0, records = 0;
        if ((rc = store_query_int64(s, "SELECT COUNT(*) FROM person_record", &linked, err)) ||
            (rc = store_query_int64(s, "SELECT COUNT(*) FROM record", &records, err)))
            return rc;
        if (records > 0 && linked == 0)
            return svp_err_set(err, SVP_ECONFLICT,
                               "the %lld records are not linked into persons yet: run 'svp "
                               "link' first (or --unlinked to score each record on its own)",
                               (long long)records);
    }
    struct risk_panel *p = svp_calloc(1, sizeof *p);
    if (!p || !(p->arena = svp_arena_new(256 * 1024))) {
        svp_free(p);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    p->as_of = opts->as_of;
    p->weights = *w;
    p->unlinked = opts->unlinked;
    p->age_to = opts->age_to;
    struct loader L = {.s = s, .w = &p->weights, .as_of = opts->as_of,
                       .unlinked = opts->unlinked, .p = p, .scope = scope,
                       .scope_max = max_record};
    double *first = NULL, *final = NULL;
    struct rank_key *ranked = NULL;
    if ((rc = load_persons(&L, err)) || (rc = load_events(&L, err)) ||
        (rc = load_relationships(&L, err)))
        goto fail;
    if ((rc = add_age_facts(&L))) {
        svp_err_set(err, rc, "out of memory");
        goto fail;
    }
    p->facts = L.facts;
    p->nfacts = L.nfacts;
    L.facts = NULL;
    p->family = L.links;
    p->nfamily = L.nlinks;
    L.links = NULL;
    loader_free(&L);
    double t1 = now_seconds();
    p->load_seconds = t1 - t0;

    /* Two passes: the second adds association with young people whom the first pass puts
     * on the list (band medium or above). */
    risk_facts_sort(p->facts, p->nfacts);
    care_return_interviews(p->facts, p->nfacts);
    size_t np = p->npersons ? p->npersons : 1;
    first = svp_malloc(np * sizeof *first);
    final = svp_malloc(np * sizeof *final);
    ranked = svp_malloc(np * sizeof *ranked);
    if (!first || !final || !ranked) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory scoring %zu persons", p->npersons);
        goto fail;
    }
    risk_score_facts(&p->weights, p->as_of, p->facts, p->nfacts, NULL, first, p->npersons);
    risk_score_facts(&p->weights, p->as_of, p->facts, p->nfacts, first, final, p->npersons);
    for (size_t i = 0; i < p->nfacts;) {
        size_t j = i;
        while (j < p->nfacts && p->facts[j].person == p->facts[i].person)
            j++;
        struct risk_person *rp = &p->persons[p->facts[i].person];
        risk_care_summary(&p->weights, p->as_of, p->facts + i, j - i, first, &rp->care_flag,
                          &rp->care_missing, &rp->care_moves);
        i = j;
    }

    size_t nr = 0;
    for (size_t i = 0; i < p->npersons; i++) {
        struct risk_person *rp = &p->persons[i];
        /* a young adult stays on the tracker up to opts->age_to (transitional safeguarding);
         * their own age is known, since only a date of birth makes them one */
        rp->transition = !rp->child && L.info[i].has_dob && rp->age >= 18 &&
                         rp->age <= opts->age_to;
        if (!rp->child && !rp->transition) {
            rp->status = RISK_ADULT;
            continue;
        }
        p->nchildren++;
        if (!L.info[i].has_dob) {
            rp->status = RISK_NO_DOB;
            p->nno_dob++;
        } else if (rp->nevents < p->weights.min_events) {
            rp->status = RISK_TOO_LITTLE;
            p->ntoo_little++;
        } else {
            rp->status = RISK_SCORED;
            rp->score = final[i];
            rp->band = risk_band_of(&p->weights, rp->score);
            p->nscored++;
            ranked[nr++] = (struct rank_key){rp->score, rp->person_id, rp};
        }
    }
    qsort(ranked, nr, sizeof *ranked, cmp_rank);
    for (size_t i = 0; !scope && i < nr; i++)
        ranked[i].rp->rank = (int)i + 1;
    p->score_seconds = now_seconds() - t1;
    if (scope)
        nr = 0; /* a neighbourhood has no list: its order says nothing of the county's */

    if (!scope && !opts->no_previous && (rc = load_previous(s, p, opts, err)))
        goto fail;

    /* The list: ranked children in band medium or above (or min_band), area, top N. */
    p->list = svp_malloc((nr ? nr : 1) * sizeof *p->list);
    if (!p->list) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto fail;
    }
    enum risk_band min_band = opts->min_band ? opts->min_band : RISK_BAND_MEDIUM;
    for (size_t i = 0; i < nr; i++) {
        struct risk_person *rp = ranked[i].rp;
        if (rp->band >= RISK_BAND_MEDIUM)
            p->nlisted_all++;
        if (rp->band < min_band || (opts->area && strcmp(opts->area, rp->area)))
            continue;
        if (opts->top > 0 && p->nlist >= (size_t)opts->top)
            continue;
        if (!opts->no_previous && p->previous_snapshot)
            rp->change = !rp->prev_rank             ? RISK_CHANGE_NEW
                         : rp->rank < rp->prev_rank ? RISK_CHANGE_UP
                         : rp->rank > rp->prev_rank ? RISK_CHANGE_DOWN
                                                    : RISK_CHANGE_SAME;
        p->list[p->nlist++] = rp;
    }
    for (size_t i = 0; i < p->nlist; i++)
        if ((rc = explain(p, p->list[i], first))) {
            svp_err_set(err, rc, "out of memory explaining scores");
            goto fail;
        }
    if ((rc = resolve_agency_ids(s, p, err)))
        goto fail;
    /* keep the first pass for later explanations (risk_panel_person) */
    p->first_pass = first;
    first = NULL;
    svp_free(final);
    svp_free(ranked);
    svp_free(L.info);
    svp_free(L.rec_person);
    *out = p;
    return SVP_OK;
fail:
    loader_free(&L);
    svp_free(L.links);
    svp_free(first);
    svp_free(final);
    svp_free(ranked);
    svp_free(L.info);
    svp_free(L.rec_person);
    svp_free(L.facts);
    risk_panel_free(&p);
    return rc;
}

int risk_panel_build(struct store *s, const struct risk_weights *w,
                     const struct risk_panel_opts *opts, struct risk_panel **out,
                     struct svp_err *err)
{
    if (opts->age_to < 0 || opts->age_to > RISK_AGE_TRACK_MAX)
        return svp_err_set(err, SVP_EINPUT, "the oldest age tracked must be 17 to %d",
                           RISK_AGE_TRACK_MAX);
    return panel_build(s, w, opts, NULL, 0, out, err);
}

int risk_person_score(struct store *s, const struct risk_weights *w,
                      const struct risk_panel_opts *opts, int64_t person_id,
                      struct risk_panel **out, struct risk_person **person, struct svp_err *err)
{
    *out = NULL;
    *person = NULL;
    uint8_t *scope = NULL;
    int64_t max_record = 0;
    int rc = risk_scope_records(s, opts->unlinked, person_id, &scope, &max_record, err);
    if (!rc)
        rc = panel_build(s, w, opts, scope, max_record, out, err);
    svp_free(scope);
    if (rc)
        return rc;
    struct risk_person *rp = risk_panel_person(*out, person_id);
    if (!rp) {
        risk_panel_free(out);
        return svp_err_set(err, SVP_ENOTFOUND, "no %s %lld",
                           opts->unlinked ? "record" : "person", (long long)person_id);
    }
    *person = rp;
    return SVP_OK;
}

void risk_panel_free(struct risk_panel **pp)
{
    if (!pp || !*pp)
        return;
    struct risk_panel *p = *pp;
    svp_free(p->persons);
    svp_free(p->list);
    svp_free(p->left);
    svp_free(p->facts);
    svp_free(p->first_pass);
    svp_free(p->family);
    svp_arena_free(&p->arena);
    svp_free(p);
    *pp = NULL;
}

struct risk_person *risk_panel_person(struct risk_panel *p, int64_t person_id)
{
    struct risk_person *rp = risk_panel_find(p, person_id);
    if (!rp || explain(p, rp, p->first_pass))
        return NULL;
    return rp;
}

/* ------------------------------------------------------------------ small helpers */

const char *risk_status_text(enum risk_status st)
{
    switch (st) {
    case RISK_SCORED: return "scored";
    case RISK_NO_DOB: return "no score: no date of birth on any record, so age is unknown";
    case RISK_TOO_LITTLE:
        return "no score: too little data (no events or relationships in the lookback period)";
    case RISK_ADULT: return "not scored: an adult on the scoring date";
    }
    return "unknown";
}

const char *risk_band_name(enum risk_band b)
{
    static const char *const n[] = {"none", "low", "medium", "high"};
    return b <= RISK_BAND_HIGH ? n[b] : "none";
}

enum risk_band risk_band_of(const struct risk_weights *w, double score)
{
    if (score >= w->band_high)
        return RISK_BAND_HIGH;
    if (score >= w->band_medium)
        return RISK_BAND_MEDIUM;
    return score > 0 ? RISK_BAND_LOW : RISK_BAND_NONE;
}

const char *risk_change_name(enum risk_change c)
{
    static const char *const n[] = {"", "new", "up", "down", "same", "left"};
    return c <= RISK_CHANGE_LEFT ? n[c] : "";
}

/* Appends to buf (*len of cap used) when all of it fits, else leaves buf as it was and
 * returns false. The short summaries below are written in place: nothing to allocate, so
 * nothing that can fail and leave a summary silently cut. */
static bool put(char *buf, size_t cap, size_t *len, const char *fmt, ...) SVP_PRINTF(4, 5);
static bool put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len >= cap)
        return false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *len) {
        buf[*len] = '\0';
        return false;
    }
    *len += (size_t)n;
    return true;
}

void risk_plans_format(unsigned plans, char *buf, size_t cap)
{
    static const char *const n[] = {"CIN", "CP", "LAC", "EH", "YJ"};
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int i = 0; i < 5; i++)
        if (plans & (1u << i))
            if (!put(buf, cap, &len, "%s%s", len ? " " : "", n[i]))
                break;
    if (!len)
        svp_strlcpy(buf, "-", cap);
}

void risk_agencies_format(unsigned agencies, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int i = 0; i < RISK_AG_COUNT; i++)
        if (agencies & (1u << i))
            if (!put(buf, cap, &len, "%s%s", len ? " " : "", risk_agency_name(i)))
                break;
    if (!len)
        svp_strlcpy(buf, "-", cap);
}

void risk_reasons_summary(const struct risk_person *rp, int n, char *buf, size_t cap)
{
    /* Sum the points per indicator, then name the n largest. */
    double sum[RISK_INDICATOR_COUNT] = {0};
    for (size_t i = 0; i < rp->nreasons; i++)
        sum[rp->reasons[i].indicator] += rp->reasons[i].points;
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int k = 0; k < n; k++) {
        int best = -1;
        for (int i = 0; i < RISK_INDICATOR_COUNT; i++)
            if (sum[i] > 0.005 && (best < 0 || sum[i] > sum[best]))
                best = i;
        if (best < 0)
            break;
        if (!put(buf, cap, &len, "%s%s %.1f", len ? "; " : "", risk_indicator_name(best),
                 sum[best]))
            break;
        sum[best] = 0;
    }
    if (!len)
        svp_strlcpy(buf, "-", cap);
}

int risk_latest_event_day(struct store *s, svp_day *out, struct svp_err *err)
{
    char upto[16];
    svp_date_format(svp_date_today() + 1, upto, sizeof upto);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT MAX(started_at) FROM event WHERE started_at < ?", &st,
                           err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, upto, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    rc = store_step(st, err);
    bool found = rc == STORE_ROW && day_of(store_column_text(st, 0), out);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    return found ? SVP_OK : svp_err_set(err, SVP_ENOTFOUND, "there are no events to score yet");
}
