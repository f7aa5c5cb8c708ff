/* The rules over a set of incidents: MARAC criteria and repeats, history, the daily call,
 * serial perpetrators and repeat victims, the data return figures, Encompass deadlines.
 * All of it is plain computation over the set in memory (docs/triage.md defines each
 * rule); nothing here reads the store. */
#include "triage.h"

#include <stdlib.h>
#include <string.h>

#define DAY_SECONDS 86400

/* ------------------------------------------------------------------ the set */

int triage_incident_check(const struct triage_incident *inc, struct svp_err *err)
{
    if (!inc->ref[0])
        return svp_err_set(err, SVP_EINPUT, "the incident has no reference");
    if (!inc->victim)
        return svp_err_set(err, SVP_EINPUT, "incident %s has no victim recorded", inc->ref);
    if (inc->perpetrator && inc->perpetrator == inc->victim)
        return svp_err_set(err, SVP_EINPUT,
                           "incident %s records the same person as victim and perpetrator",
                           inc->ref);
    return SVP_OK;
}

int triage_set_add(struct triage_set *set, const struct triage_incident *inc,
                   struct svp_err *err)
{
    int rc = triage_incident_check(inc, err);
    if (rc)
        return rc;
    size_t cap = set->n; /* grown one at a time: hand-made sets are small */
    struct triage_incident *v = svp_realloc(set->v, (cap + 1) * sizeof *v);
    if (!v)
        return svp_err_set(err, SVP_ENOMEM, "out of memory adding an incident");
    set->v = v;
    struct triage_incident *d = &set->v[set->n];
    *d = *inc;
    d->children = NULL;
    d->child_refs = NULL;
    d->told = NULL;
    d->nchildren = 0;
    set->n++;
    if (inc->nchildren) {
        d->children = svp_malloc(inc->nchildren * sizeof *d->children);
        d->child_refs = svp_calloc(inc->nchildren, sizeof *d->child_refs);
        d->told = inc->told ? svp_malloc(inc->nchildren * sizeof *d->told) : NULL;
        if (!d->children || !d->child_refs || (inc->told && !d->told)) {
            svp_free(d->children);
            svp_free(d->child_refs);
            svp_free(d->told);
            set->n--;
            return svp_err_set(err, SVP_ENOMEM, "out of memory adding an incident");
        }
        memcpy(d->children, inc->children, inc->nchildren * sizeof *d->children);
        if (inc->child_refs)
            memcpy(d->child_refs, inc->child_refs, inc->nchildren * sizeof *d->child_refs);
        if (inc->told)
            memcpy(d->told, inc->told, inc->nchildren * sizeof *d->told);
        d->nchildren = inc->nchildren;
    }
    return SVP_OK;
}

void triage_set_free(struct triage_set **set)
{
    if (!set || !*set)
        return;
    for (size_t i = 0; i < (*set)->n; i++) {
        svp_free((*set)->v[i].children);
        svp_free((*set)->v[i].child_refs);
        svp_free((*set)->v[i].told);
    }
    svp_free((*set)->v);
    svp_free((*set)->marac);
    svp_free((*set)->hh);
    svp_free(*set);
    *set = NULL;
}

void triage_idx_free(struct triage_idx *x)
{
    svp_free(x->v);
    memset(x, 0, sizeof *x);
}

static int idx_push(struct triage_idx *x, size_t i)
{
    size_t *v = svp_grow(x->v, &x->cap, x->n + 1, sizeof *v, 16);
    if (!v)
        return SVP_ENOMEM;
    x->v = v;
    x->v[x->n++] = i;
    return SVP_OK;
}

static int cmp_incident(const void *a, const void *b)
{
    const struct triage_incident *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return strcmp(x->ref, y->ref);
}

static int cmp_hh(const void *a, const void *b)
{
    const struct triage_household *x = a, *y = b;
    if (x->adult != y->adult)
        return x->adult < y->adult ? -1 : 1;
    return (x->child > y->child) - (x->child < y->child);
}

static triage_subject subject_of(const struct triage_incident *inc, bool perp)
{
    return perp ? inc->perpetrator : inc->victim;
}

struct keyed {
    triage_subject who;
    size_t i;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->who != y->who)
        return x->who < y->who ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i); /* set->v is in time order */
}

/* Indices of the usable incidents, grouped by victim (or perpetrator), in time order within a
 * group. Owned; NULL when out of memory. */
static size_t *sort_by_subject(const struct triage_set *set, bool perp, size_t *n)
{
    size_t m = set->n ? set->n : 1;
    struct keyed *k = svp_malloc(m * sizeof *k);
    size_t *ix = svp_malloc(m * sizeof *ix);
    if (!k || !ix) {
        svp_free(k);
        svp_free(ix);
        return NULL;
    }
    size_t c = 0;
    for (size_t i = 0; i < set->n; i++)
        if (!set->v[i].problem && subject_of(&set->v[i], perp))
            k[c++] = (struct keyed){subject_of(&set->v[i], perp), i};
    qsort(k, c, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < c; i++)
        ix[i] = k[i].i;
    svp_free(k);
    *n = c;
    return ix;
}

int triage_set_evaluate(struct triage_set *set, const struct triage_questions *qs,
                        const struct triage_criteria *c, struct svp_err *err)
{
    if (set->n > 1)
        qsort(set->v, set->n, sizeof *set->v, cmp_incident);
    if (set->nhh > 1)
        qsort(set->hh, set->nhh, sizeof *set->hh, cmp_hh);
    for (size_t i = 0; i < set->n; i++) {
        struct triage_incident *inc = &set->v[i];
        struct svp_err perr;
        inc->problem = NULL;
        if (triage_incident_check(inc, &perr))
            inc->problem = !inc->victim ? "no victim recorded"
                                        : "the same person is recorded as victim and "
                                          "perpetrator";
        if (inc->has_dash) {
            triage_dash_assess(qs, c, &inc->dash, inc->recorded, &inc->dres);
        } else {
            memset(&inc->dres, 0, sizeof inc->dres);
            inc->dres.level = inc->recorded ? inc->recorded : TRIAGE_STANDARD;
            if (inc->recorded == TRIAGE_HIGH)
                inc->dres.criteria = TRIAGE_CRIT_JUDGEMENT;
        }
        inc->criteria = inc->problem ? 0 : inc->dres.criteria;
        inc->repeat_referral = false;
    }
    /* Potential escalation: the victim's Nth incident within M months (window
     * [day - M months, day], both ends included). */
    size_t n;
    size_t *ix = sort_by_subject(set, false, &n);
    if (!ix)
        return svp_err_set(err, SVP_ENOMEM, "out of memory evaluating incidents");
    size_t lo = 0;
    for (size_t k = 0; k < n; k++) {
        struct triage_incident *inc = &set->v[ix[k]];
        if (k == 0 || set->v[ix[k - 1]].victim != inc->victim)
            lo = k;
        svp_day start = svp_date_add_months(inc->day, -c->escalation_months);
        while (set->v[ix[lo]].day < start)
            lo++;
        if ((int)(k - lo + 1) >= c->escalation_incidents)
            inc->criteria |= TRIAGE_CRIT_ESCALATION;
    }
    /* Repeat MARAC: an incident between the same victim and perpetrator within
     * repeat_months of the last referral (to the day: the same date that many months on
     * is still within). */
    for (size_t k = 0; k < n; k++) {
        struct triage_incident *inc = &set->v[ix[k]];
        if (!inc->perpetrator)
            continue;
        svp_day last = 0;
        bool have = false;
        for (size_t j = k; j-- > 0 && set->v[ix[j]].victim == inc->victim;) {
            const struct triage_incident *p = &set->v[ix[j]];
            if (p->referred && p->perpetrator == inc->perpetrator) {
                last = p->day;
                have = true;
                break;
            }
        }
        if (have && inc->day <= svp_date_add_months(last, c->repeat_months)) {
            inc->criteria |= TRIAGE_CRIT_REPEAT;
            inc->repeat_referral = inc->referred;
        }
    }
    svp_free(ix);
    for (size_t i = 0; i < set->n; i++) {
        struct triage_incident *inc = &set->v[i];
        inc->level = inc->criteria ? TRIAGE_HIGH : inc->dres.level;
    }
    return SVP_OK;
}

size_t triage_household_children(const struct triage_set *set, size_t i, triage_subject *out,
                                 size_t cap)
{
    const struct triage_incident *inc = &set->v[i];
    size_t n = 0;
    /* children present first, then the household list, each once */
    for (size_t k = 0; k < inc->nchildren; k++) {
        bool seen = false;
        for (size_t j = 0; j < n && j < cap; j++)
            seen |= out[j] == inc->children[k];
        if (!seen) {
            if (n < cap)
                out[n] = inc->children[k];
            n++;
        }
    }
    struct triage_household key = {inc->victim, INT64_MIN};
    size_t a = 0, b = set->nhh;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (cmp_hh(&set->hh[m], &key) < 0)
            a = m + 1;
        else
            b = m;
    }
    for (; a < set->nhh && set->hh[a].adult == inc->victim; a++) {
        triage_subject ch = set->hh[a].child;
        bool seen = ch == inc->victim || ch == inc->perpetrator;
        for (size_t j = 0; j < n && j < cap; j++)
            seen |= out[j] == ch;
        if (!seen) {
            if (n < cap)
                out[n] = ch;
            n++;
        }
    }
    return n;
}

/* ------------------------------------------------------------------ history */

int triage_history_of(const struct triage_set *set, size_t i, struct triage_history *h,
                      struct svp_err *err)
{
    memset(h, 0, sizeof *h);
    const struct triage_incident *inc = &set->v[i];
    int rc = SVP_OK;
    for (size_t j = 0; j < i && rc == SVP_OK; j++) {
        const struct triage_incident *p = &set->v[j];
        if (p->problem)
            continue;
        bool v = inc->victim && p->victim == inc->victim;
        bool pp = inc->perpetrator && p->perpetrator == inc->perpetrator;
        if (v && pp)
            rc = idx_push(&h->same_pair, j);
        else if (v)
            rc = idx_push(&h->victim_other, j);
        else if (pp)
            rc = idx_push(&h->perp_other, j);
        if (rc == SVP_OK && v && p->referred)
            rc = idx_push(&h->referrals, j);
    }
    if (rc) {
        triage_history_free(h);
        return svp_err_set(err, SVP_ENOMEM, "out of memory listing an incident's history");
    }
    return SVP_OK;
}

void triage_history_free(struct triage_history *h)
{
    triage_idx_free(&h->same_pair);
    triage_idx_free(&h->victim_other);
    triage_idx_free(&h->perp_other);
    triage_idx_free(&h->referrals);
}

/* ------------------------------------------------------------------ the daily call */

int triage_call_build(const struct triage_set *set, const struct svp_calendar *cal,
                      const struct triage_criteria *c, svp_day day, svp_day today,
                      struct triage_call *out, struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    char d[16];
    svp_date_format(day, d, sizeof d);
    if (day > today)
        return svp_err_set(err, SVP_EINPUT,
                           "cannot run the call for %s: it is in the future", d);
    svp_day first, last;
    svp_calendar_range(cal, &first, &last);
    if (day <= first || day > last)
        return svp_err_set(err, SVP_EINPUT,
                           "%s is outside the bank holidays the calendar knows", d);
    if (!svp_calendar_is_working_day(cal, day)) {
        svp_day next = day;
        while (next <= last && !svp_calendar_is_working_day(cal, next))
            next++;
        char nd[16];
        svp_date_format(next, nd, sizeof nd);
        return svp_err_set(err, SVP_EINPUT,
                           "%s is not a working day: no call is held (the next is on %s, "
                           "and covers the days between)",
                           d, nd);
    }
    int rc = svp_calendar_add_working_days(cal, day, -1, &out->previous, err);
    if (rc)
        return rc;
    out->day = day;
    out->from = (svp_time)out->previous * DAY_SECONDS + (svp_time)c->call_minute * 60;
    out->to = (svp_time)day * DAY_SECONDS + (svp_time)c->call_minute * 60;
    /* set->v is in time order: find the window by binary search */
    size_t a = 0, b = set->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (set->v[m].at < out->from)
            a = m + 1;
        else
            b = m;
    }
    for (; a < set->n && set->v[a].at < out->to; a++)
        if (idx_push(&out->cases, a)) {
            triage_call_free(out);
            return svp_err_set(err, SVP_ENOMEM, "out of memory building the call list");
        }
    return SVP_OK;
}

void triage_call_free(struct triage_call *call)
{
    triage_idx_free(&call->cases);
}

/* ------------------------------------------------------------------ serial and repeat */

void triage_groups_free(struct triage_group **v, size_t n)
{
    if (!v || !*v)
        return;
    for (size_t i = 0; i < n; i++)
        triage_idx_free(&(*v)[i].incidents);
    svp_free(*v);
    *v = NULL;
}

static void escalation_of(const struct triage_set *set, struct triage_group *g)
{
    size_t n = g->incidents.n;
    const size_t *x = g->incidents.v;
    if (n < 3)
        return;
    const struct triage_incident *a = &set->v[x[n - 3]], *b = &set->v[x[n - 2]],
                                 *c = &set->v[x[n - 1]];
    g->faster = (c->at - b->at) < (b->at - a->at);
    g->worse = a->has_dash && b->has_dash && c->has_dash && b->dres.yes > a->dres.yes &&
               c->dres.yes > b->dres.yes;
}

int triage_groups(const struct triage_set *set, enum triage_group_kind kind, svp_day from,
                  svp_day to, struct triage_group **out, size_t *nout, struct svp_err *err)
{
    *out = NULL;
    *nout = 0;
    bool perp = kind == TRIAGE_SERIAL;
    size_t n;
    size_t *ix = sort_by_subject(set, perp, &n);
    if (!ix)
        return svp_err_set(err, SVP_ENOMEM, "out of memory grouping incidents");
    struct triage_group *v = NULL;
    size_t nv = 0, cap = 0;
    int rc = SVP_OK;
    for (size_t k = 0; k < n && rc == SVP_OK;) {
        triage_subject who = subject_of(&set->v[ix[k]], perp);
        size_t e = k;
        while (e < n && subject_of(&set->v[ix[e]], perp) == who)
            e++;
        struct triage_group g = {.who = who};
        for (size_t j = k; j < e && rc == SVP_OK; j++) {
            const struct triage_incident *inc = &set->v[ix[j]];
            if (inc->day < from || inc->day > to)
                continue;
            triage_subject other = subject_of(inc, !perp);
            bool seen = false;
            for (size_t q = 0; q < g.incidents.n; q++)
                seen |= subject_of(&set->v[g.incidents.v[q]], !perp) == other;
            if (!seen && other)
                g.others++;
            rc = idx_push(&g.incidents, ix[j]);
        }
        bool keep = perp ? g.others >= 2 : g.incidents.n >= 2;
        if (rc == SVP_OK && keep) {
            escalation_of(set, &g);
            struct triage_group *nvp = svp_grow(v, &cap, nv + 1, sizeof *v, 64);
            if (!nvp)
                rc = SVP_ENOMEM;
            else {
                v = nvp;
                v[nv++] = g;
                g.incidents.v = NULL;
            }
        }
        triage_idx_free(&g.incidents);
        k = e;
    }
    svp_free(ix);
    if (rc) {
        triage_groups_free(&v, nv);
        return svp_err_set(err, SVP_ENOMEM, "out of memory grouping incidents");
    }
    *out = v;
    *nout = nv;
    return SVP_OK;
}

/* ------------------------------------------------------------------ figures */

static bool minority_ethnic(const char *code)
{
    /* Recorded, and not one of the White groups (WBRI, WIRI, WIRT, WROM, WOTH). */
    return code[0] && code[0] != 'W' && strcmp(code, "NOBT") && strcmp(code, "REFU");
}

/* A `marac` event is the hearing of a referral already counted from the police incident
 * when the same victim has a referred incident in the 60 days before it. */
#define MARAC_MATCH_DAYS 60

static long match_incident(const struct triage_set *set, const struct triage_marac *m)
{
    for (size_t i = set->n; i-- > 0;) {
        const struct triage_incident *inc = &set->v[i];
        if (inc->day > m->day)
            continue;
        if (inc->day < m->day - MARAC_MATCH_DAYS)
            break;
        if (inc->referred && inc->victim == m->victim && !inc->problem)
            return (long)i;
    }
    return -1;
}

/* Counts a case referred by agency (the last row gathers agencies beyond the table). */
static void count_agency(struct triage_figures *out, const char *agency)
{
    const char *a = agency && *agency ? agency : "not recorded";
    size_t i = 0;
    while (i < out->nby_agency && strcmp(out->by_agency[i].agency, a))
        i++;
    if (i == out->nby_agency) {
        if (i == TRIAGE_FIG_AGENCIES) {
            i--;
            a = "(others)";
        } else {
            out->nby_agency++;
        }
        svp_strlcpy(out->by_agency[i].agency, a, sizeof out->by_agency[i].agency);
    }
    out->by_agency[i].cases++;
}

static int cmp_agency(const void *a, const void *b)
{
    const struct triage_agency_count *x = a, *y = b;
    if (x->cases != y->cases)
        return x->cases > y->cases ? -1 : 1;
    return strcmp(x->agency, y->agency);
}

int triage_figures_compute(const struct triage_set *set, svp_day from, svp_day to,
                           struct triage_figures *out, struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    out->from = from;
    out->to = to;
    if (to < from)
        return svp_err_set(err, SVP_EINPUT, "the period ends before it starts");
    triage_subject kids[256];
    /* per incident: the matched MARAC event's flags, if any */
    unsigned char *extra = svp_calloc(set->n ? set->n : 1, 1);
    if (!extra)
        return svp_err_set(err, SVP_ENOMEM, "out of memory computing figures");
    for (size_t k = 0; k < set->nmarac; k++) {
        const struct triage_marac *m = &set->marac[k];
        long i = match_incident(set, m);
        if (i >= 0) {
            extra[i] |= 1 | (m->repeat ? 2 : 0) | (m->disabled ? 4 : 0) | (m->lgbt ? 8 : 0);
            continue;
        }
        if (m->day < from || m->day > to)
            continue;
        /* a case referred by another agency, or one the police record did not flag */
        out->cases++;
        out->repeat_cases += m->repeat;
        if (!strcmp(m->agency, "police"))
            out->by_agency_police++;
        else
            out->by_agency_other++;
        count_agency(out, m->agency);
        out->victims_disabled += m->disabled;
        out->victims_lgbt += m->lgbt;
        if (m->children >= 0) {
            out->children += m->children;
        } else {
            struct triage_household key = {m->victim, INT64_MIN};
            for (size_t h = 0; h < set->nhh; h++)
                if (set->hh[h].adult == key.adult)
                    out->children++;
        }
        /* the victim's sex and ethnicity come from their latest incident, if any */
        for (size_t i2 = set->n; i2-- > 0;)
            if (set->v[i2].victim == m->victim) {
                out->victims_male += set->v[i2].victim_sex == 'M';
                out->victims_bme += minority_ethnic(set->v[i2].victim_ethnicity);
                break;
            }
    }
    for (size_t i = 0; i < set->n; i++) {
        const struct triage_incident *inc = &set->v[i];
        if (inc->day < from || inc->day > to)
            continue;
        out->incidents++;
        if (inc->problem)
            continue;
        if (inc->criteria) {
            out->meets_criteria++;
            out->meets_not_referred += !inc->referred;
            out->crit_visible += (inc->criteria & TRIAGE_CRIT_VISIBLE_HIGH) != 0;
            out->crit_judgement += (inc->criteria & TRIAGE_CRIT_JUDGEMENT) != 0;
            out->crit_escalation += (inc->criteria & TRIAGE_CRIT_ESCALATION) != 0;
            out->crit_repeat += (inc->criteria & TRIAGE_CRIT_REPEAT) != 0;
        }
        if (!inc->referred)
            continue;
        out->cases++;
        out->by_agency_police++;
        count_agency(out, "police");
        out->repeat_cases += inc->repeat_referral || (extra[i] & 2);
        out->victims_male += inc->victim_sex == 'M';
        out->victims_bme += minority_ethnic(inc->victim_ethnicity);
        out->victims_disabled += (extra[i] & 4) != 0;
        out->victims_lgbt += (extra[i] & 8) != 0;
        out->children += (long)triage_household_children(set, i, kids, 256);
    }
    svp_free(extra);
    /* the "(others)" row, if any, stays last */
    size_t sorted = out->nby_agency;
    if (sorted && !strcmp(out->by_agency[sorted - 1].agency, "(others)"))
        sorted--;
    if (sorted > 1)
        qsort(out->by_agency, sorted, sizeof out->by_agency[0], cmp_agency);
    struct triage_group *g = NULL;
    size_t ng = 0;
    int rc = triage_groups(set, TRIAGE_SERIAL, from, to, &g, &ng, err);
    if (rc)
        return rc;
    out->serial_perpetrators = (long)ng;
    triage_groups_free(&g, ng);
    rc = triage_groups(set, TRIAGE_REPEAT_VICTIM, from, to, &g, &ng, err);
    if (rc)
        return rc;
    out->repeat_victims = (long)ng;
    triage_groups_free(&g, ng);
    return SVP_OK;
}

/* ------------------------------------------------------------------ Operation Encompass */

int triage_encompass_due(const struct svp_calendar *cal, const struct triage_criteria *c,
                         svp_time at, svp_time *due, struct svp_err *err)
{
    svp_day day = (svp_day)(at >= 0 ? at / DAY_SECONDS : (at - DAY_SECONDS + 1) / DAY_SECONDS);
    svp_day next;
    int rc = svp_calendar_add_working_days(cal, day, 1, &next, err);
    if (rc)
        return rc;
    *due = (svp_time)next * DAY_SECONDS + (svp_time)c->school_minute * 60;
    return SVP_OK;
}

const char *triage_told_name(enum triage_told t)
{
    static const char *const names[] = {"on time", "late", "overdue", "open"};
    return (unsigned)t < 4 ? names[t] : "?";
}

int triage_encompass_state(const struct triage_set *set, size_t i, size_t k,
                           const struct svp_calendar *cal, const struct triage_criteria *c,
                           svp_time now, svp_time *due, enum triage_told *state,
                           struct svp_err *err)
{
    const struct triage_incident *inc = &set->v[i];
    int rc = triage_encompass_due(cal, c, inc->at, due, err);
    if (rc)
        return rc;
    svp_time told = inc->told ? inc->told[k] : 0;
    if (told)
        *state = told <= *due ? TRIAGE_TOLD_ON_TIME : TRIAGE_TOLD_LATE;
    else
        *state = now > *due ? TRIAGE_TOLD_OVERDUE : TRIAGE_TOLD_OPEN;
    return SVP_OK;
}

int triage_encompass_compliance(const struct triage_set *set, const struct svp_calendar *cal,
                                const struct triage_criteria *c, svp_day from, svp_day to,
                                svp_time now, struct triage_encompass_figures *out,
                                struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < set->n; i++) {
        const struct triage_incident *inc = &set->v[i];
        if (inc->day < from || inc->day > to)
            continue;
        for (size_t k = 0; k < inc->nchildren; k++) {
            svp_time due;
            enum triage_told st;
            int rc = triage_encompass_state(set, i, k, cal, c, now, &due, &st, err);
            if (rc)
                return rc;
            out->children++;
            out->on_time += st == TRIAGE_TOLD_ON_TIME;
            out->late += st == TRIAGE_TOLD_LATE;
            out->overdue += st == TRIAGE_TOLD_OVERDUE;
            out->open += st == TRIAGE_TOLD_OPEN;
        }
    }
    return SVP_OK;
}
