/* Reading domestic abuse incidents, MARAC cases and households from the canonical model
 * (docs/model.md): one `da_incident` event per person involved, sharing the incident's row
 * id (`ROW` for the victim, `ROW/suspect`, `ROW/present/PERSON`), so an incident is the
 * group of events whose agency_event_id starts with the same row id in the same source.
 * Incidents and MARAC cases are read alike: each event's start through started_at() and
 * day_of(), its detail through the room's one detail reader (detail.c). */
#include "triage.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct row {
    char key[TRIAGE_REF_MAX]; /* the row id: agency_event_id up to the first '/' section */
    char source[48];
    int role;                 /* 0 victim, 1 perpetrator, 2 child */
    svp_time at;
    triage_subject who;
    int64_t record;
    char sex;
    char eth[8];
    char subtype[16];
    char ref[32]; /* the person's agency id */
    /* from the event's detail */
    int drole;      /* detail.role as a role, -1 when absent */
    char risk[16];  /* detail.dash_risk */
    bool referred;  /* detail.marac_referred */
    bool any_dash;  /* some dash_NN answer given */
    unsigned char ans[TRIAGE_QUESTIONS_MAX + 1]; /* by police position: 0 absent, else answer+1 */
    char eth_app[8]; /* the record's detail.ethnic_appearance */
};

/* The event's started_at (column col) as a time: false when absent or not a date. */
static bool started_at(struct store_stmt *st, int col, svp_time *at)
{
    const char *t = store_column_text(st, col);
    struct svp_err perr;
    return t && svp_time_parse_iso(t, strlen(t), at, &perr) == SVP_OK;
}

/* The day a time falls on (times before 1970 round down). */
static svp_day day_of(svp_time at)
{
    return (svp_day)(at >= 0 ? at / 86400 : (at - 86399) / 86400);
}

static bool key_is(const char *k, size_t kl, const char *want)
{
    return strlen(want) == kl && !memcmp(k, want, kl);
}

static void row_member(void *ctx, const char *k, size_t kl, const char *v, size_t vl, bool str)
{
    struct row *r = ctx;
    if (key_is(k, kl, "role") && str) {
        r->drole = key_is(v, vl, "victim") ? 0
                   : key_is(v, vl, "perpetrator") || key_is(v, vl, "suspect") ? 1
                   : key_is(v, vl, "child_in_household") || key_is(v, vl, "child") ? 2
                                                                                   : r->drole;
    } else if (key_is(k, kl, "dash_risk") && str) {
        size_t l = vl < sizeof r->risk - 1 ? vl : sizeof r->risk - 1;
        memcpy(r->risk, v, l);
        r->risk[l] = '\0';
    } else if (key_is(k, kl, "marac_referred")) {
        r->referred = triage_detail_flag(v, vl);
    } else if (kl == 7 && !memcmp(k, "dash_", 5) && k[5] >= '0' && k[5] <= '9' && k[6] >= '0' &&
               k[6] <= '9') {
        int pos = (k[5] - '0') * 10 + (k[6] - '0');
        char b[16];
        enum triage_answer a;
        struct svp_err e;
        if (pos < 1 || pos > TRIAGE_QUESTIONS_MAX || vl >= sizeof b)
            return;
        memcpy(b, v, vl);
        b[vl] = '\0';
        if (triage_answer_parse(b, &a, &e) == SVP_OK) {
            r->ans[pos] = (unsigned char)(a + 1);
            r->any_dash = true;
        }
    }
}

static void record_member(void *ctx, const char *k, size_t kl, const char *v, size_t vl,
                          bool str)
{
    struct row *r = ctx;
    if (key_is(k, kl, "ethnic_appearance") && str && vl < sizeof r->eth_app) {
        memcpy(r->eth_app, v, vl);
        r->eth_app[vl] = '\0';
    }
}

static int cmp_row(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c = strcmp(x->source, y->source);
    if (c)
        return c;
    c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->role - y->role;
}

/* The row id and the role of one event: the victim's event is the row's own id; a named
 * section adds "/suspect" or "/present/PERSON" (detail.role, when present, wins). */
static void split_id(const char *id, char *key, size_t cap, int *role)
{
    /* the DA profile's row ids contain '/' themselves (DA/16/000123): the section is what
     * follows the last known section word */
    const char *s = strstr(id, "/suspect");
    const char *p = strstr(id, "/present/");
    size_t l = strlen(id);
    *role = 0;
    if (p) {
        l = (size_t)(p - id);
        *role = 2;
    } else if (s && s[8] == '\0') {
        l = (size_t)(s - id);
        *role = 1;
    }
    if (l >= cap)
        l = cap - 1;
    memcpy(key, id, l);
    key[l] = '\0';
}

/* Police-form answers dash_01..dash_NN (flags 1/0, or answer words); absent is not known,
 * since the police form asks every question. */
static bool read_dash(const struct triage_questions *qs, const struct row *r,
                      struct triage_dash *d)
{
    memset(d, 0, sizeof *d);
    d->form = TRIAGE_FORM_POLICE;
    for (size_t i = 0; i < qs->n; i++) {
        int pos = qs->v[i].police_pos;
        if (!pos)
            continue;
        d->answer[i] = r->ans[pos] ? (unsigned char)(r->ans[pos] - 1)
                                   : (unsigned char)TRIAGE_NOT_KNOWN;
    }
    return r->any_dash;
}

static int load_rows(struct store *s, struct row **out, size_t *nout, long *skipped,
                     struct svp_err *err)
{
    static const char sql[] =
        "SELECT e.agency_event_id, e.source, e.started_at, e.detail, e.subtype, e.record_id, "
        "COALESCE(pr.person_id, -e.record_id), r.sex, r.ethnicity, r.agency_record_id, "
        "r.detail "
        "FROM event e "
        "JOIN record r ON r.id = e.record_id "
        "LEFT JOIN person_record pr ON pr.record_id = e.record_id "
        "WHERE e.type = 'da_incident'";
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    struct row *v = NULL;
    size_t n = 0, cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *id = store_column_text(st, 0);
        svp_time at;
        if (!id || !started_at(st, 2, &at)) {
            (*skipped)++;
            continue;
        }
        struct row *nv = svp_grow(v, &cap, n + 1, sizeof *v, 1024);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading incidents");
            break;
        }
        v = nv;
        struct row *r = &v[n];
        memset(r, 0, sizeof *r);
        const char *detail = store_column_text(st, 3);
        r->drole = -1;
        if (detail && !triage_detail_scan(detail, row_member, r)) {
            (*skipped)++;
            continue;
        }
        n++;
        split_id(id, r->key, sizeof r->key, &r->role);
        if (r->drole >= 0)
            r->role = r->drole;
        svp_strlcpy(r->source, store_column_text(st, 1) ? store_column_text(st, 1) : "",
                    sizeof r->source);
        r->at = at;
        svp_strlcpy(r->subtype, store_column_text(st, 4) ? store_column_text(st, 4) : "",
                    sizeof r->subtype);
        r->record = store_column_int64(st, 5);
        r->who = store_column_int64(st, 6);
        const char *sex = store_column_text(st, 7);
        r->sex = sex && *sex ? sex[0] : 'U';
        svp_strlcpy(r->eth, store_column_text(st, 8) ? store_column_text(st, 8) : "",
                    sizeof r->eth);
        svp_strlcpy(r->ref, store_column_text(st, 9) ? store_column_text(st, 9) : "",
                    sizeof r->ref);
        /* Police records hold an officer's view of ethnic appearance, not ethnicity: the
         * figures use it only where no ethnicity is recorded (docs/triage.md). */
        const char *rd = store_column_text(st, 10);
        if (!r->eth[0] && rd && strstr(rd, "ethnic_appearance")) {
            (void)triage_detail_scan(rd, record_member, r);
            const char *ic = r->eth_app;
            if (!strcasecmp(ic, "ic1") || !strcasecmp(ic, "ic2"))
                svp_strlcpy(r->eth, "W", sizeof r->eth);
            else if (strlen(ic) == 3 && ic[2] >= '3' && ic[2] <= '6')
                svp_strlcpy(r->eth, "IC", sizeof r->eth); /* IC9: not known */
        }
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(v);
        return rc;
    }
    *out = v;
    *nout = n;
    return SVP_OK;
}

/* Builds the incidents from rows sorted by (source, key, role). */
static int build_incidents(const struct triage_questions *qs, struct row *v, size_t n,
                           struct triage_set *set, struct svp_err *err)
{
    size_t cap = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && !strcmp(v[e].source, v[k].source) && !strcmp(v[e].key, v[k].key))
            e++;
        struct triage_incident *nv = svp_grow(set->v, &cap, set->n + 1, sizeof *nv, 1024);
        if (!nv)
            return svp_err_set(err, SVP_ENOMEM, "out of memory loading incidents");
        set->v = nv;
        struct triage_incident *inc = &set->v[set->n++];
        memset(inc, 0, sizeof *inc);
        svp_strlcpy(inc->ref, v[k].key, sizeof inc->ref);
        inc->at = v[k].at;
        inc->victim_sex = 'U';
        size_t nkids = 0;
        for (size_t j = k; j < e; j++)
            nkids += v[j].role == 2;
        if (nkids) {
            inc->children = svp_malloc(nkids * sizeof *inc->children);
            inc->child_refs = svp_malloc(nkids * sizeof *inc->child_refs);
            if (!inc->children || !inc->child_refs)
                return svp_err_set(err, SVP_ENOMEM, "out of memory loading incidents");
        }
        for (size_t j = k; j < e; j++) {
            struct row *r = &v[j];
            if (r->role == 0 && !inc->victim) {
                inc->victim = r->who;
                inc->victim_record = r->record;
                inc->at = r->at;
                inc->victim_sex = r->sex;
                svp_strlcpy(inc->victim_ethnicity, r->eth, sizeof inc->victim_ethnicity);
                inc->has_dash = read_dash(qs, r, &inc->dash);
                inc->recorded = triage_level_parse(r->risk[0] ? r->risk : r->subtype);
                inc->referred = r->referred;
            } else if (r->role == 1 && !inc->perpetrator) {
                inc->perpetrator = r->who;
                inc->perpetrator_record = r->record;
                inc->referred |= r->referred;
                if (!inc->recorded)
                    inc->recorded = triage_level_parse(r->subtype);
            } else if (r->role == 2) {
                bool seen = false;
                for (size_t q = 0; q < inc->nchildren; q++)
                    seen |= inc->children[q] == r->who;
                if (!seen) {
                    svp_strlcpy(inc->child_refs[inc->nchildren], r->ref,
                                sizeof inc->child_refs[0]);
                    inc->children[inc->nchildren++] = r->who;
                }
            }
        }
        inc->day = day_of(inc->at);
        k = e;
    }
    return SVP_OK;
}

/* A MARAC case's detail (profiles/marac-cases.profile). */
static void marac_member(void *ctx, const char *k, size_t kl, const char *v, size_t vl,
                         bool str)
{
    struct triage_marac *m = ctx;
    if (key_is(k, kl, "referring_agency") && str) {
        size_t l = vl < sizeof m->agency - 1 ? vl : sizeof m->agency - 1;
        memcpy(m->agency, v, l);
        m->agency[l] = '\0';
    } else if (key_is(k, kl, "repeat")) {
        m->repeat = triage_detail_flag(v, vl);
    } else if (key_is(k, kl, "disabled")) {
        m->disabled = triage_detail_flag(v, vl);
    } else if (key_is(k, kl, "lgbt")) {
        m->lgbt = triage_detail_flag(v, vl);
    } else if (key_is(k, kl, "children")) {
        char b[16];
        int64_t n;
        m->children = -1;
        if (!str && vl < sizeof b) {
            memcpy(b, v, vl);
            b[vl] = '\0';
            if (!svp_parse_i64(b, &n) && n >= 0 && n <= 1000)
                m->children = (int)n;
        }
    }
}

static int load_marac(struct store *s, struct triage_set *set, struct svp_err *err)
{
    static const char sql[] =
        "SELECT e.agency_event_id, e.started_at, e.detail, e.agency, "
        "COALESCE(pr.person_id, -e.record_id) FROM event e "
        "LEFT JOIN person_record pr ON pr.record_id = e.record_id WHERE e.type = 'marac'";
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        svp_time at;
        if (!started_at(st, 1, &at)) {
            set->skipped++;
            continue;
        }
        struct triage_marac *nv = svp_grow(set->marac, &cap, set->nmarac + 1, sizeof *nv, 256);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading MARAC cases");
            break;
        }
        set->marac = nv;
        struct triage_marac *m = &set->marac[set->nmarac++];
        memset(m, 0, sizeof *m);
        svp_strlcpy(m->ref, store_column_text(st, 0) ? store_column_text(st, 0) : "",
                    sizeof m->ref);
        m->day = day_of(at);
        m->victim = store_column_int64(st, 4);
        m->children = -1;
        const char *detail = store_column_text(st, 2);
        if (detail)
            (void)triage_detail_scan(detail, marac_member, m);
        if (!m->agency[0])
            svp_strlcpy(m->agency, store_column_text(st, 3) ? store_column_text(st, 3) : "",
                        sizeof m->agency);
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

static int load_households(struct store *s, struct triage_set *set, struct svp_err *err)
{
    static const char sql[] =
        "SELECT COALESCE(pa.person_id, -rel.record_a), COALESCE(pb.person_id, -rel.record_b) "
        "FROM relationship rel JOIN record rb ON rb.id = rel.record_b "
        "LEFT JOIN person_record pa ON pa.record_id = rel.record_a "
        "LEFT JOIN person_record pb ON pb.record_id = rel.record_b "
        "WHERE rel.kind = 'household_member' AND rb.role <> 'adult' AND rel.record_a IN "
        "(SELECT record_id FROM event WHERE type = 'da_incident')";
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct triage_household *nv = svp_grow(set->hh, &cap, set->nhh + 1, sizeof *nv, 1024);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading households");
            break;
        }
        set->hh = nv;
        triage_subject a = store_column_int64(st, 0), b = store_column_int64(st, 1);
        if (a == b)
            continue;
        set->hh[set->nhh++] = (struct triage_household){a, b};
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    return SVP_OK;
}

/* Incidents by ref: (ref, index) pairs sorted by ref, searched by bisection. */
struct ref_entry {
    const char *ref;
    size_t i;
};

struct ref_index {
    struct ref_entry *v;
    size_t n;
};

static int cmp_ref_entry(const void *a, const void *b)
{
    return strcmp(((const struct ref_entry *)a)->ref, ((const struct ref_entry *)b)->ref);
}

static int ref_index_build(const struct triage_set *set, struct ref_index *x)
{
    x->n = set->n;
    x->v = svp_malloc((set->n ? set->n : 1) * sizeof *x->v);
    if (!x->v)
        return SVP_ENOMEM;
    for (size_t i = 0; i < set->n; i++)
        x->v[i] = (struct ref_entry){set->v[i].ref, i};
    qsort(x->v, x->n, sizeof *x->v, cmp_ref_entry);
    return SVP_OK;
}

static long find_incident(const struct ref_index *x, const char *ref)
{
    if (!ref)
        return -1;
    struct ref_entry key = {ref, 0};
    const struct ref_entry *e = bsearch(&key, x->v, x->n, sizeof *x->v, cmp_ref_entry);
    return e ? (long)e->i : -1;
}

/* DASH assessments recorded in svp replace the extract's answers (the latest one wins). */
static int load_assessments(struct store *s, const struct triage_questions *qs,
                            struct triage_set *set, const struct ref_index *x,
                            struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT incident_ref, form, answers, judged FROM da_assessment "
                           "ORDER BY assessed_on, id",
                           &st, err);
    if (rc)
        return rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        long i = find_incident(x, store_column_text(st, 0));
        struct svp_err perr;
        enum triage_form form;
        if (i < 0 || triage_form_parse(store_column_text(st, 1), &form, &perr))
            continue;
        json_error_t je;
        json_t *a = json_loads(store_column_text(st, 2), 0, &je);
        if (!a)
            continue;
        struct triage_dash d = {.form = form};
        const char *k;
        json_t *v;
        json_object_foreach(a, k, v)
        {
            if (triage_dash_set(qs, &d, k, json_string_value(v), &perr))
                continue; /* a question since removed from the table */
        }
        json_decref(a);
        struct triage_incident *inc = &set->v[i];
        inc->dash = d;
        inc->has_dash = true;
        inc->assessed_in_svp = true;
        inc->recorded = triage_level_parse(store_column_text(st, 3));
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

static int load_encompass(struct store *s, struct triage_set *set, const struct ref_index *x,
                          struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT incident_ref, child_ref, notified_at FROM da_encompass",
                           &st, err);
    if (rc)
        return rc;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        long i = find_incident(x, store_column_text(st, 0));
        const char *child = store_column_text(st, 1), *at = store_column_text(st, 2);
        svp_time t;
        struct svp_err perr;
        if (i < 0 || !child || !at || svp_time_parse_iso(at, strlen(at), &t, &perr))
            continue;
        struct triage_incident *inc = &set->v[i];
        for (size_t k = 0; k < inc->nchildren; k++) {
            if (strcmp(inc->child_refs[k], child))
                continue;
            if (!inc->told) {
                inc->told = svp_calloc(inc->nchildren, sizeof *inc->told);
                if (!inc->told) {
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading notifications");
                    goto out;
                }
            }
            inc->told[k] = t;
        }
    }
out:
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

static int cmp_hh2(const void *a, const void *b)
{
    const struct triage_household *x = a, *y = b;
    if (x->adult != y->adult)
        return x->adult < y->adult ? -1 : 1;
    return (x->child > y->child) - (x->child < y->child);
}

int triage_set_load(struct store *s, const struct triage_questions *qs,
                    const struct triage_criteria *c, struct triage_set **out,
                    struct svp_err *err)
{
    return triage_set_load_some(s, qs, c, 0, out, err);
}

int triage_set_load_some(struct store *s, const struct triage_questions *qs,
                         const struct triage_criteria *c, unsigned skip,
                         struct triage_set **out, struct svp_err *err)
{
    *out = NULL;
    struct triage_set *set = svp_calloc(1, sizeof *set);
    if (!set)
        return svp_err_set(err, SVP_ENOMEM, "out of memory loading incidents");
    struct row *rows = NULL;
    size_t nrows = 0;
    int rc = load_rows(s, &rows, &nrows, &set->skipped, err);
    if (rc == SVP_OK) {
        if (nrows > 1)
            qsort(rows, nrows, sizeof *rows, cmp_row);
        rc = build_incidents(qs, rows, nrows, set, err);
    }
    svp_free(rows);
    if (rc == SVP_OK) {
        struct ref_index x;
        rc = ref_index_build(set, &x);
        if (rc)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading incidents");
        if (rc == SVP_OK)
            rc = load_assessments(s, qs, set, &x, err);
        if (rc == SVP_OK)
            rc = load_encompass(s, set, &x, err);
        svp_free(x.v);
    }
    if (rc == SVP_OK)
        rc = load_marac(s, set, err);
    if (rc == SVP_OK && !(skip & TRIAGE_SKIP_HOUSEHOLDS))
        rc = load_households(s, set, err);
    if (rc == SVP_OK && set->nhh > 1) {
        qsort(set->hh, set->nhh, sizeof *set->hh, cmp_hh2);
        size_t w = 1;
        for (size_t i = 1; i < set->nhh; i++)
            if (cmp_hh2(&set->hh[i], &set->hh[w - 1]))
                set->hh[w++] = set->hh[i];
        set->nhh = w;
    }
    if (rc == SVP_OK)
        rc = triage_set_evaluate(set, qs, c, err);
    if (rc) {
        triage_set_free(&set);
        return rc;
    }
    *out = set;
    return SVP_OK;
}
