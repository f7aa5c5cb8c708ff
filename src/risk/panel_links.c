/* The panel's loader, relationships: family and household, co-involvement in police occurrences, found-with mentions, adults of concern. */
#include "panel_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rel {
    int64_t id, a, b, event_id, record_a, record_b;
    int64_t order; /* a mention's id */
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

static uint32_t hh_child(const void *a)
{
    return ((const struct hh *)a)->child;
}

static int household_trio(struct loader *L, struct hh *links, size_t n)
{
    /* sort by child so each child's household is contiguous */
    risk_sort_bucketed(links, n, sizeof *links, hh_child, cmp_hh);
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
            /* the trio is the adults' (parental domestic abuse, substance misuse, mental ill
             * health): a brother's or sister's own self-harm or drug use is theirs, not the
             * household's */
            if (!is_adult(L, links[j].other))
                continue;
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
                    int rc = panel_add_fact(L, c, RISK_TOXIC_TRIO, best[t].day, best[t].agency,
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
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    /* a person's rows in event order, however the events were read (one neighbourhood's
     * record by record): the first is the one that counts */
    return (x->event_id > y->event_id) - (x->event_id < y->event_id);
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
                        rc = panel_add_fact(L, c, RISK_INTRA_FAMILIAL, g[a].day, g[a].agency,
                                      g[a].event_id, 0, g[a].record_id, other, 1);
                    else if (!adult)
                        rc = panel_add_fact(L, c, RISK_SIBLING_AT_RISK, g[a].day, g[a].agency,
                                      g[a].event_id, 0, g[a].record_id, other, 1);
                } else if (g[a].role == OCC_OTHER ||
                           (g[a].role == OCC_VICTIM && g[b].role != OCC_SUSPECT) ||
                           (family_here && g[a].role != OCC_SUSPECT)) {
                    continue;
                } else if (adult && of_concern(L, o)) {
                    rc = panel_add_fact(L, c, RISK_ADULT_OF_CONCERN, g[a].day, g[a].agency,
                                  g[a].event_id, 0, g[a].record_id, other, 1);
                } else if (!adult) {
                    rc = panel_add_fact(L, c, RISK_PEER_AT_RISK, g[a].day, g[a].agency,
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
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->event_id > y->event_id) - (x->event_id < y->event_id);
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

static uint32_t att_person(const void *a)
{
    return ((const struct att_row *)a)->person;
}

static int attendance_facts(struct loader *L)
{
    risk_sort_bucketed(L->att, L->natt, sizeof *L->att, att_person, cmp_att);
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
                int rc = panel_add_fact(L, a->person, RISK_ATTENDANCE_DECLINE, a->day, a->agency,
                                  a->event_id, 0, a->record_id, 0, 1);
                if (rc)
                    return rc;
            }
        }
        i = j;
    }
    return SVP_OK;
}

/* The next row of a query over the whole table, or with one person's neighbourhood
 * (L->scope) of the query for one record (bound as parameter idx) after another: *r is the
 * next record of the neighbourhood to ask for (start at 1). STORE_ROW, STORE_DONE or an
 * error. */
static int next_row(struct loader *L, struct store_stmt *st, int idx, int64_t *r,
                    struct svp_err *err)
{
    if (!L->scope)
        return store_step(st, err);
    for (;;) {
        if (*r > 1) {
            int rc = store_step(st, err);
            if (rc != STORE_DONE)
                return rc;
        }
        while (*r <= L->max_record && *r <= L->scope_max && !L->scope[*r])
            (*r)++;
        if (*r > L->max_record || *r > L->scope_max)
            return STORE_DONE;
        store_reset(st);
        if (store_bind_int64(st, idx, *r))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        (*r)++;
        int rc = store_step(st, err);
        if (rc != STORE_DONE)
            return rc;
    }
}

static int cmp_rel_order(const void *a, const void *b)
{
    const struct rel *x = a, *y = b;
    return (x->order > y->order) - (x->order < y->order);
}

/* "Found with Kayla Dunn" in a missing episode's free text, resolved by the link room to a
 * person (link_mention): a found_with from the child to that person, weighed by who like a
 * recorded one (family, adult, peer on the list). */
static int load_mentions(struct loader *L, struct rel **rels, size_t *n, size_t *cap,
                         struct svp_err *err)
{
    const char *sql = L->scope
                          ? "SELECT e.id, e.record_id, e.agency, e.started_at, lm.person_id, "
                            "lm.record_id, lm.id FROM link_mention lm JOIN event e ON e.id = "
                            "lm.event_id WHERE lm.status = 'resolved' AND e.type || '' = "
                            "'missing_episode' AND e.started_at < ? AND e.record_id = ?"
                          : "SELECT e.id, e.record_id, e.agency, e.started_at, lm.person_id, "
                            "lm.record_id, lm.id FROM link_mention lm JOIN event e ON e.id = "
                            "lm.event_id WHERE lm.status = 'resolved' AND e.type = "
                            "'missing_episode' AND e.started_at < ?";
    size_t first = *n;
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
    int64_t at = 1;
    while ((rc = next_row(L, st, 2, &at, err)) == STORE_ROW) {
        struct rel r = {.kind = K_FOUND_WITH, .event_id = store_column_int64(st, 0),
                        .order = store_column_int64(st, 6),
                        .record_a = store_column_int64(st, 1),
                        .agency = risk_agency_find(store_column_text(st, 2))};
        r.record_b = store_column_int64(st, 5);
        r.a = panel_person_of(L, r.record_a);
        int64_t pid = store_column_int64(st, 4);
        const struct risk_person *op = pid > 0 ? risk_panel_find(L->p, pid) : NULL;
        r.b = op ? op - L->p->persons : panel_person_of(L, r.record_b);
        if (r.a < 0 || r.b < 0 || r.a == r.b || !panel_day_of(store_column_text(st, 3), &r.day))
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
    if (rc < 0)
        return rc;
    /* by the mention's id, however read */
    if (*n - first > 1)
        qsort(*rels + first, *n - first, sizeof **rels, cmp_rel_order);
    return SVP_OK;
}

static int cmp_rel_id(const void *a, const void *b)
{
    const struct rel *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* What a relationship's query once joined: the day of the event it was recorded with
 * (*has_day false when it names none, none that exists, or one whose start is no date)
 * and whether that event is a domestic abuse incident, from the events the loader read,
 * else asked of the store. */
static int relationship_event(struct loader *L, struct store_stmt **ask, bool named,
                              int64_t id, bool *has_day, svp_day *day, bool *da,
                              struct svp_err *err)
{
    *has_day = *da = false;
    *day = 0;
    if (!named)
        return SVP_OK;
    if (L->ev_flags && id > 0 && id <= L->max_event && L->ev_flags[id]) {
        *has_day = L->ev_flags[id] & EV_DAY;
        *day = L->ev_day[id];
        *da = L->ev_flags[id] & EV_DA;
        return SVP_OK;
    }
    int rc = *ask ? SVP_OK
                  : store_prepare(L->s, "SELECT started_at, type FROM event WHERE id = ?", ask,
                                  err);
    if (rc)
        return rc;
    store_reset(*ask);
    if (store_bind_int64(*ask, 1, id))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    int step = store_step(*ask, err);
    if (step < 0)
        return step;
    if (step == STORE_ROW) {
        const char *type = store_column_text(*ask, 1);
        *has_day = panel_day_of(store_column_text(*ask, 0), day);
        *da = type && !strcmp(type, "da_incident");
    }
    return SVP_OK;
}

/* Whether the person of record id (one a perpetrator link names as harmed) was a child on
 * day, as risk_harmed_is_child reads the record's date of birth and role: from the records
 * the loader read, else asked of the store. */
static int harmed_child(struct loader *L, struct store_stmt **ask, int64_t id, svp_day day,
                        bool *out, struct svp_err *err)
{
    if (id > 0 && id <= L->max_record && (L->rec_flags[id] & REC_READ)) {
        uint8_t f = L->rec_flags[id];
        *out = f & REC_DOB ? L->rec_dob[id] <= day && svp_date_age(L->rec_dob[id], day) < 18
                           : (f & REC_CHILD) != 0;
        return SVP_OK;
    }
    int rc = *ask ? SVP_OK
                  : store_prepare(L->s, "SELECT dob, role FROM record WHERE id = ?", ask, err);
    if (rc)
        return rc;
    store_reset(*ask);
    if (store_bind_int64(*ask, 1, id))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    int step = store_step(*ask, err);
    if (step < 0)
        return step;
    *out = step == STORE_ROW ? risk_harmed_is_child(store_column_text(*ask, 0),
                                                    store_column_text(*ask, 1), day)
                             : risk_harmed_is_child(NULL, NULL, day);
    return SVP_OK;
}

/* A placement the missing-person extract does not name: an address (with its postcode)
 * that PLACED_MIN to PLACED_MOST children share, no two of them family and no adult
 * recorded there family of any of them, of whom at least PLACED_IN_CARE are looked after
 * (a looked_after or placement event), is a children's home or foster carers' home
 * (children in residential care live with children of other families and without their
 * parents: docs/indicators.md, "Care signals"). The missing episodes of the children there
 * are then missing from care, care signals that count only beside exploitation signals, as
 * when the episode says so. Children of different family names with no parent recorded at
 * their address and none in care are a family whose parent the extracts miss, not a home;
 * more children than PLACED_MOST at one address is a bad key or a block, not a home. */
enum { PLACED_MIN = 3, PLACED_MOST = 12, PLACED_IN_CARE = 2 };

static int placement_facts(struct loader *L)
{
    size_t n = L->nhomes;
    if (n < PLACED_MIN)
        return SVP_OK;
    risk_famrec_sort(L->homes, n);
    uint8_t *placed = NULL;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        while (j < n && L->homes[j].key == L->homes[i].key)
            j++;
        uint32_t child[PLACED_MOST + 1], adult[4 * PLACED_MOST];
        size_t nc = 0, na = 0;
        bool home = j - i <= 4 * PLACED_MOST + PLACED_MOST;
        for (size_t k = i; k < j && home; k++) {
            uint32_t p = L->homes[k].person;
            if (k > i && L->homes[k - 1].person == p)
                continue;
            if (L->p->persons[p].child) {
                home = nc < PLACED_MOST;
                if (home)
                    child[nc++] = p;
            } else {
                home = na < 4 * PLACED_MOST;
                if (home)
                    adult[na++] = p;
            }
        }
        size_t in_care = 0;
        for (size_t a = 0; a < nc; a++)
            in_care += L->info[child[a]].in_care;
        home = home && nc >= PLACED_MIN && in_care >= PLACED_IN_CARE;
        for (size_t a = 0; a < nc && home; a++) {
            for (size_t b = a + 1; b < nc && home; b++)
                home = !risk_family_has(L->links, L->nlinks, child[a], child[b]);
            for (size_t b = 0; b < na && home; b++)
                home = !risk_family_has(L->links, L->nlinks, child[a], adult[b]);
        }
        if (home) {
            if (!placed && !(placed = svp_calloc(L->p->npersons, 1)))
                return SVP_ENOMEM;
            for (size_t a = 0; a < nc; a++)
                placed[child[a]] = 1;
        }
        i = j;
    }
    if (!placed)
        return SVP_OK;
    /* an episode's facts are together, in the order its event gave them */
    size_t n0 = L->nfacts;
    int rc = SVP_OK;
    for (size_t k = 0; k < n0 && !rc; k++) {
        const struct risk_fact *f = &L->facts[k];
        if (f->indicator != RISK_MISSING_EPISODE || f->relationship_id || !placed[f->person])
            continue;
        size_t e = k + 1;
        bool from_care = false;
        while (e < n0 && L->facts[e].event_id == f->event_id && L->facts[e].person == f->person &&
               !L->facts[e].relationship_id) {
            from_care |= L->facts[e].indicator == RISK_MISSING_FROM_CARE;
            e++;
        }
        if (from_care)
            continue; /* the episode said so: its facts are care signals already */
        for (size_t x = k; x < e; x++)
            if (L->facts[x].indicator == RISK_MISSING_EPISODE ||
                L->facts[x].indicator == RISK_MISSING_HIGH_RISK)
                L->facts[x].flags |= RISK_FACT_CARE;
        struct risk_fact c = *f;
        rc = panel_add_fact(L, c.person, RISK_MISSING_FROM_CARE, c.day, c.agency, c.event_id, 0,
                            c.record_id, 0, 1);
        if (!rc)
            L->facts[L->nfacts - 1].flags |= RISK_FACT_CARE;
    }
    svp_free(placed);
    return rc;
}

int panel_load_relationships(struct loader *L, struct svp_err *err)
{
    /* one person's neighbourhood: a relationship counts only from a record in it. The
     * event a relationship was recorded with, and the record of one a perpetrator link
     * names, are mostly among those the loader read (relationship_event, harmed_child). */
    const char *sql = L->scope
                          ? "SELECT r.id, r.kind, r.record_a, r.record_b, r.agency, r.event_id "
                            "FROM relationship r WHERE r.record_a = ?"
                          : "SELECT r.id, r.kind, r.record_a, r.record_b, r.agency, r.event_id "
                            "FROM relationship r";
    struct store_stmt *st = NULL, *ask_event = NULL, *ask_record = NULL;
    int rc = store_prepare(L->s, sql, &st, err);
    if (rc)
        return rc;
    struct rel *rels = NULL;
    size_t n = 0, cap = 0;
    int64_t at = 1;
    while ((rc = next_row(L, st, 1, &at, err)) == STORE_ROW) {
        struct rel r = {.id = store_column_int64(st, 0),
                        .kind = kind_of(store_column_text(st, 1)),
                        .record_a = store_column_int64(st, 2),
                        .agency = risk_agency_find(store_column_text(st, 4)),
                        .event_id = store_column_int64(st, 5)};
        r.record_b = store_column_int64(st, 3);
        r.a = panel_person_of(L, r.record_a);
        r.b = panel_person_of(L, r.record_b);
        bool has_day;
        svp_day eday;
        if ((rc = relationship_event(L, &ask_event, !store_column_is_null(st, 5), r.event_id,
                                     &has_day, &eday, &r.da, err)))
            break;
        /* An adult of concern is one recorded as perpetrator of harm to a child: domestic
         * abuse of an adult partner is the household's harm, not a sign that the abuser
         * exploits children (docs/indicators.md). Read from the harmed person's record, so
         * one person's neighbourhood (where the harmed may be outside it) agrees with the
         * whole panel. */
        svp_day d0 = has_day ? eday : L->as_of;
        bool harms_child = false;
        if (r.kind == K_PERPETRATOR &&
            (rc = harmed_child(L, &ask_record, r.record_b, d0, &harms_child, err)))
            break;
        if (harms_child && r.a >= 0 && d0 <= L->as_of &&
            (!L->info[r.a].concern_day || d0 < L->info[r.a].concern_day))
            L->info[r.a].concern_day = d0;
        if (r.a < 0 || r.b < 0 || r.a == r.b || r.kind == K_OTHER)
            continue;
        r.day = has_day ? eday : L->as_of; /* a standing relationship holds on the scoring date */
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
        struct rel *nr = svp_grow(rels, &cap, n + 1, sizeof *nr, 1024);
        if (!nr) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading relationships");
            break;
        }
        rels = nr;
        rels[n++] = r;
    }
    store_finalize(&st);
    store_finalize(&ask_event);
    store_finalize(&ask_record);
    if (rc < 0) {
        svp_free(rels);
        return rc;
    }
    /* in the order of their ids, however read (the facts of one day keep that order) */
    if (n > 1)
        qsort(rels, n, sizeof *rels, cmp_rel_id);
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
                             r->da && r->kind == K_HOUSEHOLD && is_adult(L, r->a) &&
                                     is_adult(L, r->b)
                                 ? "recorded by police as living with the victim of a domestic "
                                   "abuse incident"
                             : r->da ? "listed together with a domestic abuse incident"
                             : r->kind == K_PARENT  ? "recorded as parent or carer"
                             : r->kind == K_SIBLING ? "recorded as siblings"
                                                    : "recorded as one household");
    }
    if (!rc)
        rc = risk_family_infer(L->fam_addr, L->nfam_addr, L->p->persons, RISK_FAM_ADDRESS,
                               &L->links, &L->nlinks, &L->caplinks);
    if (!rc)
        rc = risk_family_infer(L->fam_sound, L->nfam_sound, L->p->persons,
                               RISK_FAM_ADDRESS_SOUND, &L->links, &L->nlinks, &L->caplinks);
    if (!rc)
        rc = risk_family_infer(L->fam_pc, L->nfam_pc, L->p->persons, RISK_FAM_POSTCODE,
                               &L->links, &L->nlinks, &L->caplinks);
    if (!rc)
        rc = risk_family_infer_names(L->fam_names, L->nfam_names, L->p->persons, &L->links,
                                     &L->nlinks, &L->caplinks);
    if (!rc)
        rc = risk_family_infer_phone(L->fam_phone, L->nfam_phone, L->p->persons, &L->links,
                                     &L->nlinks, &L->caplinks);
    if (!rc)
        risk_family_finish(L->links, &L->nlinks);
    if (!rc)
        rc = placement_facts(L);
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
                    rc = panel_add_fact(L, (uint32_t)c, RISK_MISSING_FOUND_WITH_FAMILY, r->day,
                                  r->agency, r->event_id, r->id, r->record_a, other, 1);
                /* a perpetrator link is harm to the person it names (dir 1), never to
                 * the one recorded as its perpetrator */
                if (!rc && adult &&
                    (r->kind == K_PERPETRATOR ? dir == 1 : of_concern(L, o)))
                    rc = panel_add_fact(L, (uint32_t)c, RISK_INTRA_FAMILIAL, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                else if (!rc && !adult && r->kind != K_PERPETRATOR)
                    rc = panel_add_fact(L, (uint32_t)c, RISK_SIBLING_AT_RISK, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                continue;
            }
            switch (r->kind) {
            case K_FOUND_WITH:
                if (adult)
                    rc = panel_add_fact(L, (uint32_t)c, RISK_MISSING_FOUND_WITH_ADULT, r->day,
                                  r->agency, r->event_id, r->id, r->record_a, other, 1);
                else
                    rc = panel_add_fact(L, (uint32_t)c, RISK_MISSING_FOUND_WITH_PEER_AT_RISK, r->day,
                                  r->agency, r->event_id, r->id, r->record_a, other, 1);
                if (!rc && adult && of_concern(L, o))
                    rc = panel_add_fact(L, (uint32_t)c, RISK_ADULT_OF_CONCERN, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                break;
            case K_ASSOCIATE:
            case K_CO_INVOLVED:
            case K_CO_OFFENDER:
                if (adult && of_concern(L, o))
                    rc = panel_add_fact(L, (uint32_t)c, RISK_ADULT_OF_CONCERN, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                else if (!adult)
                    rc = panel_add_fact(L, (uint32_t)c, RISK_PEER_AT_RISK, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                break;
            case K_PERPETRATOR:
                if (dir == 1)
                    rc = panel_add_fact(L, (uint32_t)c, RISK_PERPETRATOR_LINK, r->day, r->agency,
                                  r->event_id, r->id, r->record_a, other, 1);
                break;
            default: /* household, parent, sibling */
                /* Police record a domestic abuse incident on the adults and list the
                 * children of the household with it (docs/model.md). */
                if (r->da && r->event_id &&
                    (rc = panel_add_fact(L, (uint32_t)c, RISK_DA_HOUSEHOLD, r->day, r->agency,
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
