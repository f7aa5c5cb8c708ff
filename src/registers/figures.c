/* The annual report's figures from the partnership's registers (figures.h). The registers
 * are small (a year's training is a few thousand bookings), so each figure reads the entries
 * it needs and counts them here, in one pass over each. */
#include "registers/figures.h"

#include <stdlib.h>
#include <string.h>

/* Every entry of register name (owned). */
static int load(struct store *s, const char *name, struct reg_entry **v, size_t *n,
                struct svp_err *err)
{
    *v = NULL;
    *n = 0;
    return reg_list(s, reg_schema_find(name), 0, v, n, err);
}

static bool in_period(const char *day, const char *from, const char *to)
{
    return day && (!from || strcmp(day, from) >= 0) && (!to || strcmp(day, to) <= 0);
}

static const struct reg_entry *by_id(const struct reg_entry *v, size_t n, int64_t id)
{
    /* entries are listed by ref; ids are few enough to look through */
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return &v[i];
    return NULL;
}

static bool is(const struct reg_entry *e, const char *field, const char *value)
{
    const char *v = reg_entry_get(e, field);
    return v && !strcmp(v, value);
}

static long int_of(const struct reg_entry *e, const char *field)
{
    long v = 0;
    return reg_entry_int(e, field, &v) ? v : 0;
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : -1;
}

static int nomem(struct svp_err *err)
{
    return svp_err_set(err, SVP_ENOMEM, "out of memory counting the registers");
}

/* ------------------------------------------------------------------ training */

struct training {
    struct reg_entry *courses, *sessions, *bookings;
    size_t ncourses, nsessions, nbookings;
};

static void training_free(struct training *t)
{
    reg_entries_free(&t->courses, t->ncourses);
    reg_entries_free(&t->sessions, t->nsessions);
    reg_entries_free(&t->bookings, t->nbookings);
}

static int training_load(struct store *s, struct training *t, struct svp_err *err)
{
    memset(t, 0, sizeof *t);
    int rc = load(s, "course", &t->courses, &t->ncourses, err);
    if (!rc)
        rc = load(s, "session", &t->sessions, &t->nsessions, err);
    if (!rc)
        rc = load(s, "booking", &t->bookings, &t->nbookings, err);
    if (rc)
        training_free(t);
    return rc;
}

/* A held session in the period. */
static bool session_counts(const struct reg_entry *se, const char *from, const char *to)
{
    return is(se, "state", "held") && in_period(reg_entry_get(se, "date"), from, to);
}

int reg_fig_training_by_course(struct store *s, const char *from, const char *to,
                               struct reg_training_row **out, size_t *n, struct svp_err *err)
{
    struct training t;
    int rc = training_load(s, &t, err);
    if (rc)
        return rc;
    struct reg_training_row *rows = svp_calloc(t.ncourses + 1, sizeof *rows);
    if (!rows) {
        training_free(&t);
        return nomem(err);
    }
    /* per session: its bookings marked attended, and whether it has any */
    long *booked_att = svp_calloc(t.nsessions + 1, sizeof *booked_att);
    bool *has_bookings = svp_calloc(t.nsessions + 1, sizeof *has_bookings);
    long *booked = svp_calloc(t.nsessions + 1, sizeof *booked);
    long *no_show = svp_calloc(t.nsessions + 1, sizeof *no_show);
    if (!booked_att || !has_bookings || !booked || !no_show) {
        rc = nomem(err);
        goto done;
    }
    for (size_t b = 0; b < t.nbookings; b++)
        for (size_t k = 0; k < t.nsessions; k++)
            if (t.sessions[k].id == t.bookings[b].parent_id) {
                has_bookings[k] = true;
                booked_att[k] += is(&t.bookings[b], "status", "attended");
                no_show[k] += is(&t.bookings[b], "status", "no_show");
                booked[k] += !is(&t.bookings[b], "status", "cancelled");
                break;
            }
    struct reg_training_row *total = &rows[t.ncourses];
    svp_strlcpy(total->key, "TOTAL", sizeof total->key);
    for (size_t c = 0; c < t.ncourses; c++) {
        struct reg_training_row *r = &rows[c];
        svp_strlcpy(r->key, reg_entry_get(&t.courses[c], "title"), sizeof r->key);
        svp_strlcpy(r->ref, t.courses[c].ref, sizeof r->ref);
        for (size_t k = 0; k < t.nsessions; k++) {
            const struct reg_entry *se = &t.sessions[k];
            if (se->parent_id != t.courses[c].id || !session_counts(se, from, to))
                continue;
            r->sessions++;
            r->capacity += int_of(se, "capacity");
            r->attendees += has_bookings[k] ? booked_att[k] : int_of(se, "attended");
            r->booked += booked[k];
            r->no_shows += no_show[k];
        }
        r->fill = ratio((double)r->attendees, (double)r->capacity);
        total->sessions += r->sessions;
        total->capacity += r->capacity;
        total->attendees += r->attendees;
        total->booked += r->booked;
        total->no_shows += r->no_shows;
    }
    total->fill = ratio((double)total->attendees, (double)total->capacity);
    for (size_t c = 0; c <= t.ncourses; c++)
        rows[c].share = ratio((double)rows[c].attendees, (double)total->attendees);
done:
    svp_free(booked_att);
    svp_free(has_bookings);
    svp_free(booked);
    svp_free(no_show);
    training_free(&t);
    if (rc) {
        svp_free(rows);
        return rc;
    }
    *out = rows;
    *n = t.ncourses + 1;
    return SVP_OK;
}

static int cmp_attendees(const void *a, const void *b)
{
    const struct reg_training_row *x = a, *y = b;
    if (x->attendees != y->attendees)
        return x->attendees < y->attendees ? 1 : -1;
    return strcmp(x->key, y->key);
}

int reg_fig_training_by_agency(struct store *s, const char *from, const char *to,
                               struct reg_training_row **out, size_t *n, struct svp_err *err)
{
    struct training t;
    int rc = training_load(s, &t, err);
    if (rc)
        return rc;
    struct reg_training_row *rows = svp_calloc(t.nbookings + 1, sizeof *rows);
    size_t k = 0;
    if (!rows) {
        training_free(&t);
        return nomem(err);
    }
    struct reg_training_row total = {.key = "TOTAL"};
    for (size_t b = 0; b < t.nbookings; b++) {
        const struct reg_entry *bk = &t.bookings[b];
        const struct reg_entry *se = by_id(t.sessions, t.nsessions, bk->parent_id);
        if (!se || !session_counts(se, from, to))
            continue;
        const char *agency = reg_entry_get(bk, "agency");
        size_t i;
        for (i = 0; i < k; i++)
            if (!strcmp(rows[i].key, agency))
                break;
        if (i == k)
            svp_strlcpy(rows[k++].key, agency, sizeof rows[0].key);
        long att = is(bk, "status", "attended"), ns = is(bk, "status", "no_show"),
             bkd = !is(bk, "status", "cancelled");
        rows[i].attendees += att, rows[i].no_shows += ns, rows[i].booked += bkd;
        total.attendees += att, total.no_shows += ns, total.booked += bkd;
    }
    if (k > 1)
        qsort(rows, k, sizeof *rows, cmp_attendees);
    rows[k++] = total;
    for (size_t i = 0; i < k; i++)
        rows[i].share = ratio((double)rows[i].attendees, (double)total.attendees);
    training_free(&t);
    *out = rows;
    *n = k;
    return SVP_OK;
}

/* One delegate's evaluations of one outcome: confidence at each stage (0: none). */
struct pair {
    int64_t booking;
    const char *outcome;
    long before, after, follow_up;
};

int reg_fig_distance(struct store *s, const char *from, const char *to,
                     struct reg_distance_row **out, size_t *n, struct svp_err *err)
{
    struct training t;
    struct reg_entry *ev = NULL;
    size_t nev = 0;
    int rc = training_load(s, &t, err);
    if (rc)
        return rc;
    if ((rc = load(s, "evaluation", &ev, &nev, err))) {
        training_free(&t);
        return rc;
    }
    struct pair *pairs = svp_calloc(nev + 1, sizeof *pairs);
    struct reg_distance_row *rows = svp_calloc(nev + t.ncourses + 1, sizeof *rows);
    size_t np = 0, nr = 0;
    if (!pairs || !rows) {
        rc = nomem(err);
        goto done;
    }
    /* pair each delegate's evaluations by outcome */
    for (size_t i = 0; i < nev; i++) {
        const char *outcome = reg_entry_get(&ev[i], "outcome");
        size_t p;
        for (p = 0; p < np; p++)
            if (pairs[p].booking == ev[i].parent_id && !strcmp(pairs[p].outcome, outcome))
                break;
        if (p == np)
            pairs[np++] = (struct pair){ev[i].parent_id, outcome, 0, 0, 0};
        long c = int_of(&ev[i], "confidence");
        if (is(&ev[i], "stage", "before"))
            pairs[p].before = c;
        else if (is(&ev[i], "stage", "after"))
            pairs[p].after = c;
        else
            pairs[p].follow_up = c;
    }
    for (size_t c = 0; c < t.ncourses; c++) {
        const struct reg_entry *co = &t.courses[c];
        long attended = 0;
        for (size_t b = 0; b < t.nbookings; b++) {
            const struct reg_entry *se = by_id(t.sessions, t.nsessions, t.bookings[b].parent_id);
            attended += se && se->parent_id == co->id && session_counts(se, from, to) &&
                        is(&t.bookings[b], "status", "attended");
        }
        size_t first = nr;
        for (size_t p = 0; p < np; p++) {
            const struct reg_entry *bk = by_id(t.bookings, t.nbookings, pairs[p].booking);
            const struct reg_entry *se = bk ? by_id(t.sessions, t.nsessions, bk->parent_id) : NULL;
            if (!se || se->parent_id != co->id || !session_counts(se, from, to))
                continue;
            size_t r;
            for (r = first; r < nr; r++)
                if (!strcmp(rows[r].outcome, pairs[p].outcome))
                    break;
            if (r == nr) {
                svp_strlcpy(rows[nr].course, reg_entry_get(co, "title"), sizeof rows[nr].course);
                svp_strlcpy(rows[nr].outcome, pairs[p].outcome, sizeof rows[nr].outcome);
                rows[nr++].attended = attended;
            }
            struct reg_distance_row *d = &rows[r];
            if (pairs[p].before && pairs[p].after) {
                d->returns++;
                d->before += (double)pairs[p].before;
                d->after += (double)pairs[p].after;
                d->increased += pairs[p].after > pairs[p].before;
                if (pairs[p].follow_up) {
                    d->follow_ups++;
                    d->follow_up += (double)pairs[p].follow_up;
                }
            }
        }
        for (size_t r = first; r < nr; r++) {
            struct reg_distance_row *d = &rows[r];
            d->return_rate = ratio((double)d->returns, (double)d->attended);
            d->change = d->returns ? (d->after - d->before) / (double)d->returns : 0;
            d->before = d->returns ? d->before / (double)d->returns : -1;
            d->after = d->returns ? d->after / (double)d->returns : -1;
            d->follow_up = d->follow_ups ? d->follow_up / (double)d->follow_ups : -1;
            d->change_follow_up = -1;
            d->rating = -1;
        }
        /* follow-up change over the pairs with all three, and the course rating */
        for (size_t r = first; r < nr; r++) {
            double sum = 0, rsum = 0;
            long m = 0, rated = 0;
            for (size_t p = 0; p < np; p++) {
                const struct reg_entry *bk = by_id(t.bookings, t.nbookings, pairs[p].booking);
                const struct reg_entry *se =
                    bk ? by_id(t.sessions, t.nsessions, bk->parent_id) : NULL;
                if (!se || se->parent_id != co->id || !session_counts(se, from, to) ||
                    strcmp(pairs[p].outcome, rows[r].outcome))
                    continue;
                if (pairs[p].before && pairs[p].follow_up) {
                    sum += (double)(pairs[p].follow_up - pairs[p].before);
                    m++;
                }
            }
            for (size_t i = 0; i < nev; i++) {
                const struct reg_entry *bk = by_id(t.bookings, t.nbookings, ev[i].parent_id);
                const struct reg_entry *se =
                    bk ? by_id(t.sessions, t.nsessions, bk->parent_id) : NULL;
                long rt;
                if (se && se->parent_id == co->id && session_counts(se, from, to) &&
                    is(&ev[i], "outcome", rows[r].outcome) &&
                    reg_entry_int(&ev[i], "rating", &rt)) {
                    rsum += (double)rt;
                    rated++;
                }
            }
            rows[r].change_follow_up = m ? sum / (double)m : -1;
            rows[r].rated = rated;
            rows[r].rating = rated ? rsum / (double)rated : -1;
        }
    }
done:
    svp_free(pairs);
    reg_entries_free(&ev, nev);
    training_free(&t);
    if (rc) {
        svp_free(rows);
        return rc;
    }
    *out = rows;
    *n = nr;
    return SVP_OK;
}

/* ------------------------------------------------------------------ audits */

int reg_fig_returns(struct store *s, const char *year, struct reg_return_row **out, size_t *n,
                    struct svp_err *err)
{
    struct reg_entry *v = NULL;
    size_t nv = 0;
    int rc = load(s, "audit", &v, &nv, err);
    if (rc)
        return rc;
    static const char *const kinds[] = {"s11", "s175", "early_years", "childminder"};
    struct reg_return_row *rows = svp_calloc(nv + 4, sizeof *rows);
    size_t k = 0;
    if (!rows) {
        reg_entries_free(&v, nv);
        return nomem(err);
    }
    for (size_t q = 0; q < 4; q++) {
        size_t head = k++;
        svp_strlcpy(rows[head].kind, kinds[q], sizeof rows[head].kind);
        for (size_t i = 0; i < nv; i++) {
            if (!is(&v[i], "kind", kinds[q]) || (year && !is(&v[i], "year", year)))
                continue;
            const char *sector = reg_entry_get(&v[i], "sector");
            bool returned = reg_entry_get(&v[i], "returned") != NULL;
            bool challenged = !returned && reg_entry_get(&v[i], "challenged");
            rows[head].total++;
            rows[head].returned += returned;
            rows[head].challenged += challenged;
            if (!sector)
                continue;
            size_t r;
            for (r = head + 1; r < k; r++)
                if (!strcmp(rows[r].sector, sector))
                    break;
            if (r == k) {
                svp_strlcpy(rows[k].kind, kinds[q], sizeof rows[k].kind);
                svp_strlcpy(rows[k++].sector, sector, sizeof rows[0].sector);
            }
            rows[r].total++;
            rows[r].returned += returned;
            rows[r].challenged += challenged;
        }
        if (rows[head].total == 0) {
            k = head; /* a kind with no audits in the round is left out */
            continue;
        }
        for (size_t r = head; r < k; r++)
            rows[r].rate = ratio((double)rows[r].returned, (double)rows[r].total);
    }
    reg_entries_free(&v, nv);
    *out = rows;
    *n = k;
    return SVP_OK;
}

/* ------------------------------------------------------------------ challenge log */

/* The row of list with key, added (zeroed) when new; NULL when the list is full. */
static struct reg_count_row *count_row(struct reg_count_row *list, size_t *n, size_t cap,
                                       const char *key, size_t keylen)
{
    for (size_t i = 0; i < *n; i++)
        if (strlen(list[i].key) == keylen && !memcmp(list[i].key, key, keylen))
            return &list[i];
    if (*n >= cap)
        return NULL;
    struct reg_count_row *r = &list[(*n)++];
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "%.*s", (int)keylen, key);
    return r;
}

static int cmp_count(const void *a, const void *b)
{
    const struct reg_count_row *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->key, y->key);
}

void reg_challenge_figs_free(struct reg_challenge_figs *f)
{
    svp_free(f->themes);
    svp_free(f->outcomes);
    svp_free(f->agencies);
    memset(f, 0, sizeof *f);
}

static int day_of(const char *text, svp_day *d)
{
    struct svp_err ignore;
    return text ? svp_date_parse_iso(text, strlen(text), d, &ignore) : -1;
}

int reg_fig_challenges(struct store *s, const struct svp_calendar *cal, const char *from,
                       const char *to, svp_day as_of, struct reg_challenge_figs *out,
                       struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    struct reg_entry *ch = NULL, *es = NULL;
    size_t nch = 0, nes = 0, nstages = 0;
    struct reg_crp_stage *stages = NULL;
    int rc = load(s, "challenge", &ch, &nch, err);
    if (!rc)
        rc = load(s, "escalation", &es, &nes, err);
    if (!rc)
        rc = reg_crp_stages(&stages, &nstages, err);
    size_t cap = nch * 8 + 1;
    long *timed = NULL; /* per agency row: responses counted in working days */
    if (!rc) {
        out->themes = svp_calloc(cap, sizeof *out->themes);
        out->outcomes = svp_calloc(nch + 1, sizeof *out->outcomes);
        out->agencies = svp_calloc(nch + 1, sizeof *out->agencies);
        timed = svp_calloc(nch + 1, sizeof *timed);
        if (!out->themes || !out->outcomes || !out->agencies || !timed)
            rc = nomem(err);
    }
    for (size_t i = 0; !rc && i < nch; i++) {
        const struct reg_entry *c = &ch[i];
        if (!in_period(reg_entry_get(c, "raised"), from, to))
            continue;
        out->total++;
        const char *themes = reg_entry_get(c, "themes");
        for (const char *p = themes; p && *p;) {
            size_t l = strcspn(p, ";");
            const char *a = p, *b = p + l;
            while (a < b && (*a == ' ' || *a == '\t'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            struct reg_count_row *r =
                b > a ? count_row(out->themes, &out->nthemes, cap, a, (size_t)(b - a)) : NULL;
            if (r)
                r->n++;
            p += l + (p[l] ? 1 : 0);
        }
        const char *outcome = reg_entry_get(c, "outcome");
        struct reg_count_row *r =
            count_row(out->outcomes, &out->noutcomes, nch + 1, outcome, strlen(outcome));
        if (r)
            r->n++;
        const char *agency = reg_entry_get(c, "raised_to_agency");
        struct reg_count_row *a =
            count_row(out->agencies, &out->nagencies, nch + 1, agency, strlen(agency));
        if (!a)
            continue;
        a->n++;
        svp_day d0, d1;
        int wd;
        if (!day_of(reg_entry_get(c, "raised"), &d0) &&
            !day_of(reg_entry_get(c, "response_date"), &d1)) {
            a->responded++;
            struct svp_err ignore;
            if (!svp_calendar_working_days_between(cal, d0, d1, &wd, &ignore)) {
                a->mean_days += wd;
                timed[a - out->agencies]++;
            }
        }
        for (size_t k = 0; k < nes; k++) {
            if (es[k].parent_id != c->id)
                continue;
            a->stages++;
            long st = int_of(&es[k], "stage");
            if (st < 1 || (size_t)st > nstages || day_of(reg_entry_get(&es[k], "raised"), &d0))
                continue;
            svp_day stop = day_of(reg_entry_get(&es[k], "response_date"), &d1) ? as_of : d1;
            struct svp_err ignore;
            if (!svp_calendar_working_days_between(cal, d0, stop, &wd, &ignore) &&
                wd > stages[st - 1].working_days)
                a->stages_late++;
        }
    }
    for (size_t i = 0; !rc && i < out->nagencies; i++)
        out->agencies[i].mean_days = timed[i] ? out->agencies[i].mean_days / (double)timed[i] : -1;
    if (!rc) {
        qsort(out->themes, out->nthemes, sizeof *out->themes, cmp_count);
        qsort(out->outcomes, out->noutcomes, sizeof *out->outcomes, cmp_count);
        qsort(out->agencies, out->nagencies, sizeof *out->agencies, cmp_count);
    }
    svp_free(stages);
    svp_free(timed);
    reg_entries_free(&ch, nch);
    reg_entries_free(&es, nes);
    if (rc)
        reg_challenge_figs_free(out);
    return rc;
}

/* ------------------------------------------------------------------ open recommendations */

int reg_fig_open_recommendations(struct store *s, const char *parent, svp_day as_of,
                                 struct reg_open_rec **out, size_t *n, struct svp_err *err)
{
    struct reg_entry *recs = NULL, *acts = NULL;
    size_t nrecs = 0, nacts = 0, k = 0;
    int rc = load(s, "recommendation", &recs, &nrecs, err);
    if (!rc)
        rc = load(s, "action", &acts, &nacts, err);
    struct reg_open_rec *rows = rc ? NULL : svp_calloc(nrecs + 1, sizeof *rows);
    if (!rc && !rows)
        rc = nomem(err);
    char today[16];
    svp_date_format(as_of, today, sizeof today);
    for (size_t i = 0; !rc && i < nrecs; i++) {
        if (is(&recs[i], "state", "closed"))
            continue;
        struct reg_entry p;
        if ((rc = reg_get_id(s, recs[i].parent_id, &p, err)))
            break;
        if (!parent || !strcmp(p.schema->name, parent)) {
            struct reg_open_rec *r = &rows[k++];
            svp_strlcpy(r->parent_register, p.schema->name, sizeof r->parent_register);
            svp_strlcpy(r->parent_ref, p.ref, sizeof r->parent_ref);
            const char *title = reg_entry_get(&p, "title");
            svp_strlcpy(r->parent_title, title ? title : "", sizeof r->parent_title);
            svp_strlcpy(r->ref, recs[i].ref, sizeof r->ref);
            svp_strlcpy(r->text, reg_entry_get(&recs[i], "text"), sizeof r->text);
            const char *course = reg_entry_get(&recs[i], "course");
            svp_strlcpy(r->course, course ? course : "", sizeof r->course);
            for (size_t a = 0; a < nacts; a++) {
                if (acts[a].parent_id != recs[i].id || !is(&acts[a], "state", "open"))
                    continue;
                r->actions_open++;
                const char *due = reg_entry_get(&acts[a], "due");
                r->actions_overdue += due && strcmp(due, today) < 0;
            }
        }
        reg_entry_clear(&p);
    }
    reg_entries_free(&recs, nrecs);
    reg_entries_free(&acts, nacts);
    if (rc) {
        svp_free(rows);
        return rc;
    }
    *out = rows;
    *n = k;
    return SVP_OK;
}

/* ------------------------------------------------------------------ child deaths */

int reg_fig_cdop(struct store *s, const char *from, const char *to, struct reg_cdop_figs *out,
                 struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    struct reg_entry *v = NULL;
    size_t nv = 0;
    int rc = load(s, "child_death", &v, &nv, err);
    if (rc)
        return rc;
    double rr = 0;
    char buf[24];
    for (size_t i = 0; i < nv; i++) {
        const char *notified = reg_entry_get(&v[i], "notified");
        const char *reviewed = reg_entry_get(&v[i], "reviewed");
        const char *u1 = reg_entry_computed(&v[i], "under_1", buf, sizeof buf);
        bool under_1 = u1 && !strcmp(u1, "yes");
        if (in_period(notified, from, to)) {
            out->notifications++;
            bool unexpected = is(&v[i], "expected", "unexpected");
            out->unexpected += unexpected;
            out->expected += !unexpected;
            out->under_1_notified += under_1;
            long d;
            const char *rd = reg_entry_computed(&v[i], "response_days", buf, sizeof buf);
            int64_t d64;
            if (unexpected && rd && !svp_parse_i64(rd, &d64)) {
                d = (long)d64;
                out->rapid_responses++;
                rr += (double)d;
            }
        }
        if (in_period(reviewed, from, to)) {
            out->reviewed++;
            out->modifiable += is(&v[i], "modifiable", "yes");
            out->under_1_reviewed += under_1;
        }
        if (notified && (!to || strcmp(notified, to) <= 0) &&
            !(reviewed && (!to || strcmp(reviewed, to) <= 0)))
            out->awaiting_review++;
    }
    out->modifiable_rate = ratio((double)out->modifiable, (double)out->reviewed);
    out->under_1_rate = ratio((double)out->under_1_reviewed, (double)out->reviewed);
    out->rapid_response_mean_days = out->rapid_responses ? rr / (double)out->rapid_responses : -1;
    reg_entries_free(&v, nv);
    return SVP_OK;
}

/* ------------------------------------------------------------------ risk register */

int reg_fig_risk_heatmap(struct store *s, bool after, struct reg_heatmap *out, struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    struct reg_entry *v = NULL;
    size_t nv = 0;
    int rc = load(s, "risk", &v, &nv, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < nv; i++) {
        if (!is(&v[i], "status", "open"))
            continue;
        out->open++;
        long l, m;
        if (!reg_entry_int(&v[i], after ? "likelihood_after" : "likelihood", &l) ||
            !reg_entry_int(&v[i], after ? "impact_after" : "impact", &m)) {
            out->unscored++;
            continue;
        }
        if (l >= 1 && l <= 5 && m >= 1 && m <= 5)
            out->cell[l - 1][m - 1]++;
    }
    reg_entries_free(&v, nv);
    return SVP_OK;
}

static int cmp_item_due(const void *a, const void *b)
{
    const struct clock_item *x = a, *y = b;
    if (x->due.day != y->due.day)
        return x->due.day < y->due.day ? -1 : 1;
    return strcmp(x->ref, y->ref);
}

int reg_fig_risk_overdue(struct store *s, const struct svp_calendar *cal,
                         const struct clock_rules *rules, svp_day as_of, struct clock_list *out,
                         struct svp_err *err)
{
    struct clock_query q = {.as_of = as_of, .rule_id = "risk_review"};
    struct clock_list all = {0};
    memset(out, 0, sizeof *out);
    int rc = reg_register_clocks(s, cal, rules, &q, "risk", NULL, &all, err);
    for (size_t i = 0; !rc && i < all.n; i++)
        if (all.v[i].state == CLOCK_OVERDUE && clock_list_push(out, &all.v[i]))
            rc = nomem(err);
    clock_list_free(&all);
    if (rc)
        clock_list_free(out);
    else if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_item_due);
    return rc;
}

/* ------------------------------------------------------------------ meetings */

int reg_fig_attendance(struct store *s, const char *from, const char *to,
                       struct reg_attendance_row **out, size_t *n, struct svp_err *err)
{
    struct reg_entry *m = NULL, *a = NULL;
    size_t nm = 0, na = 0, k = 0;
    int rc = load(s, "meeting", &m, &nm, err);
    if (!rc)
        rc = load(s, "attendance", &a, &na, err);
    struct reg_attendance_row *rows = rc ? NULL : svp_calloc(na + 1, sizeof *rows);
    if (!rc && !rows)
        rc = nomem(err);
    for (size_t i = 0; !rc && i < na; i++) {
        const struct reg_entry *mt = by_id(m, nm, a[i].parent_id);
        if (!mt || !in_period(reg_entry_get(mt, "date"), from, to))
            continue;
        const char *body = reg_entry_get(mt, "body"), *agency = reg_entry_get(&a[i], "agency");
        size_t r;
        for (r = 0; r < k; r++)
            if (!strcmp(rows[r].body, body) && !strcmp(rows[r].agency, agency))
                break;
        if (r == k) {
            svp_strlcpy(rows[k].body, body, sizeof rows[k].body);
            svp_strlcpy(rows[k++].agency, agency, sizeof rows[0].agency);
        }
        rows[r].present += is(&a[i], "present", "present");
    }
    /* meetings each body held in the period */
    for (size_t r = 0; !rc && r < k; r++)
        for (size_t i = 0; i < nm; i++)
            rows[r].held += is(&m[i], "body", rows[r].body) &&
                            in_period(reg_entry_get(&m[i], "date"), from, to);
    reg_entries_free(&m, nm);
    reg_entries_free(&a, na);
    if (rc) {
        svp_free(rows);
        return rc;
    }
    *out = rows;
    *n = k;
    return SVP_OK;
}
