/* Trends: monthly counts per community area and event kind, and the change against the
 * same months a year earlier.
 *
 * Test: for each area and kind, the count in the window (a) against the count in the same
 * months a year before (b). If the underlying rate had not changed, each of the a + b events
 * is equally likely to fall in either year, so a ~ Binomial(a + b, 1/2); the one-sided
 * p-value is P(X >= a). This exact conditional test for two Poisson counts needs no large
 * counts, and comparing the same months removes seasonality (summer holidays, school
 * terms). With one test per area and kind, rises are called significant at a
 * Benjamini-Hochberg false discovery rate (default 0.05). */
#include "context_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct tev {
    const char *area;
    const char *kind;
    int month; /* year * 12 + month - 1 */
};

struct tcollect {
    const struct context_data *d;
    struct tev *v;
    size_t n, cap;
    bool oom;
};

static int month_of(svp_day day)
{
    int y, m, dd;
    svp_date_to_ymd(day, &y, &m, &dd);
    return y * 12 + m - 1;
}

static void tcollect_fn(void *arg, const struct ctx_event *e, int place, const char *kind)
{
    struct tcollect *c = arg;
    const char *area = NULL;
    if (place >= 0) {
        const struct ctx_place *p = &c->d->places[place];
        if (p->status == CONTEXT_PLACE_OUTSIDE)
            area = "(outside the county)";
        else if (p->area && *p->area)
            area = p->area;
    }
    if (!area && e->node >= 0)
        area = c->d->nodes[e->node].area; /* the child's home area */
    if (!area)
        area = "(no area)";
    struct tev *nv = svp_grow(c->v, &c->cap, c->n + 1, sizeof *nv, 1024);
    if (!nv) {
        c->oom = true;
        return;
    }
    c->v = nv;
    c->v[c->n++] = (struct tev){area, kind, month_of(e->day)};
}

static int cmp_row(const void *a, const void *b)
{
    const struct context_trend_row *x = a, *y = b;
    if (x->significant_rise != y->significant_rise)
        return x->significant_rise ? -1 : 1;
    if (x->significant_rise && x->q != y->q)
        return x->q < y->q ? -1 : 1;
    if (x->current != y->current)
        return x->current > y->current ? -1 : 1;
    int c = strcmp(x->area, y->area);
    return c ? c : strcmp(x->kind, y->kind);
}

static struct context_trend_row *find_row(struct context_trends *t, const char *area,
                                          const char *kind)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i].area, area) && !strcmp(t->rows[i].kind, kind))
            return &t->rows[i];
    return NULL;
}

int context_trends_run(const struct context_data *d, const struct context_trend_opts *o,
                       struct context_trends **out, struct svp_err *err)
{
    *out = NULL;
    struct ctx_kinds k;
    int rc = ctx_kinds_parse(o->filter.kinds, &k, err);
    if (rc)
        return rc;
    if (o->months < 0 || o->months > 60)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "months",
                          "the window must be 1 to 60 months, not %d", o->months);
    if (o->to_year &&
        (o->to_month < 1 || o->to_month > 12 || o->to_year < 1900 || o->to_year > 2200))
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "to", "not a month: use YYYY-MM");
    if (o->alpha < 0 || o->alpha >= 1)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "alpha", "alpha must be between 0 and 1");
    struct context_trends *t = svp_calloc(1, sizeof *t);
    if (!t)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    double alpha = o->alpha > 0 ? o->alpha : 0.05;
    t->months = o->months > 0 ? o->months : 12;
    struct tcollect c = {.d = d};
    struct context_filter all = {.kinds = o->filter.kinds};
    ctx_select(d, &k, &all, tcollect_fn, &c);
    if (c.oom) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto done;
    }
    if (c.n == 0) {
        snprintf(t->empty_reason, sizeof t->empty_reason,
                 "no events of the chosen kinds (%zu events loaded)", d->nevents);
        goto done;
    }
    int first = c.v[0].month, last = c.v[0].month;
    for (size_t i = 0; i < c.n; i++) {
        if (c.v[i].month < first)
            first = c.v[i].month;
        if (c.v[i].month > last)
            last = c.v[i].month;
    }
    int to = o->to_year ? o->to_year * 12 + o->to_month - 1 : last;
    int from = to - t->months + 1;
    t->to_year = to / 12;
    t->to_month = to % 12 + 1;
    t->from_year = from / 12;
    t->from_month = from % 12 + 1;
    t->has_previous = first <= from - 12;
    size_t cap = 0;
    for (size_t i = 0; i < c.n && !rc; i++) {
        int m = c.v[i].month;
        bool cur = m >= from && m <= to, prev = m >= from - 12 && m <= to - 12;
        if (!cur && !prev)
            continue;
        for (int pass = 0; pass < 2 && !rc; pass++) {
            const char *area = pass ? "(all areas)" : c.v[i].area;
            struct context_trend_row *r = find_row(t, area, c.v[i].kind);
            if (!r) {
                struct context_trend_row *nr =
                    svp_grow(t->rows, &cap, t->nrows + 1, sizeof *nr, 64);
                if (!nr) {
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                    break;
                }
                t->rows = nr;
                r = &t->rows[t->nrows];
                memset(r, 0, sizeof *r);
                r->monthly = svp_calloc((size_t)t->months, sizeof *r->monthly);
                if (!r->monthly) {
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                    break;
                }
                t->nrows++;
                svp_strlcpy(r->area, area, sizeof r->area);
                svp_strlcpy(r->kind, c.v[i].kind, sizeof r->kind);
            }
            if (cur) {
                r->current++;
                r->monthly[m - from]++;
            } else {
                r->previous++;
            }
        }
    }
    if (rc)
        goto done;
    if (t->nrows == 0) {
        snprintf(t->empty_reason, sizeof t->empty_reason,
                 "no events in %04d-%02d..%04d-%02d or the same months a year earlier",
                 t->from_year, t->from_month, t->to_year, t->to_month);
        goto done;
    }
    double *p = svp_malloc(t->nrows * sizeof *p);
    if (!p) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < t->nrows; i++) {
        struct context_trend_row *r = &t->rows[i];
        r->change_pct =
            r->previous ? 100.0 * (double)(r->current - r->previous) / (double)r->previous : NAN;
        r->p = t->has_previous ? context_binomial_rise_p(r->current, r->previous) : 1.0;
        p[i] = r->p;
    }
    if (context_fdr_bh(t->nrows, p, p))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < t->nrows; i++) {
        t->rows[i].q = p[i];
        t->rows[i].significant_rise =
            t->has_previous && t->rows[i].current > t->rows[i].previous && p[i] <= alpha;
    }
    svp_free(p);
    if (!rc)
        qsort(t->rows, t->nrows, sizeof *t->rows, cmp_row);
    if (!rc && !t->has_previous)
        snprintf(t->empty_reason, sizeof t->empty_reason,
                 "the data start in %04d-%02d: no earlier year to compare %04d-%02d..%04d-%02d "
                 "with",
                 first / 12, first % 12 + 1, t->from_year, t->from_month, t->to_year, t->to_month);
done:
    svp_free(c.v);
    if (rc) {
        context_trends_free(&t);
        return rc;
    }
    *out = t;
    return 0;
}

void context_trends_free(struct context_trends **tp)
{
    if (!tp || !*tp)
        return;
    for (size_t i = 0; i < (*tp)->nrows; i++)
        svp_free((*tp)->rows[i].monthly);
    svp_free((*tp)->rows);
    svp_free(*tp);
    *tp = NULL;
}

void context_trends_print(const struct context_trends *t, size_t limit, FILE *f)
{
    if (t->nrows == 0) {
        fprintf(f, "no trends: %s\n", t->empty_reason);
        return;
    }
    fprintf(f, "window %04d-%02d..%04d-%02d against the same months a year earlier\n", t->from_year,
            t->from_month, t->to_year, t->to_month);
    if (*t->empty_reason)
        fprintf(f, "note: %s\n", t->empty_reason);
    size_t sig = 0;
    for (size_t i = 0; i < t->nrows; i++)
        sig += t->rows[i].significant_rise;
    fprintf(f, "significant rises (exact binomial test, false discovery rate 0.05): %zu\n\n", sig);
    fprintf(f, "%-24s %-16s %7s %8s %8s %9s %9s %-4s %s\n", "area", "kind", "now", "year ago",
            "change", "p", "q", "rise", "monthly");
    for (size_t i = 0; i < t->nrows && i < limit; i++) {
        const struct context_trend_row *r = &t->rows[i];
        char ch[16];
        if (isnan(r->change_pct))
            svp_strlcpy(ch, "new", sizeof ch);
        else
            snprintf(ch, sizeof ch, "%+.0f%%", r->change_pct);
        fprintf(f, "%-24s %-16s %7ld %8ld %8s %9.2g %9.2g %-4s", r->area, r->kind, r->current,
                r->previous, ch, r->p, r->q, r->significant_rise ? "yes" : "no");
        for (int m = 0; m < t->months; m++)
            fprintf(f, "%s%ld", m ? "," : " ", r->monthly[m]);
        fputc('\n', f);
    }
}

json_t *context_trends_json(const struct context_trends *t)
{
    json_t *rows = json_array();
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-%02d", t->from_year % 10000, t->from_month % 100);
    snprintf(to, sizeof to, "%04d-%02d", t->to_year % 10000, t->to_month % 100);
    json_t *o =
        json_pack("{s:s,s:s,s:i,s:b,s:o,s:s}", "from", from, "to", to, "months", t->months,
                  "has_previous", t->has_previous, "rows", rows, "empty_reason", t->empty_reason);
    if (!o)
        return NULL;
    for (size_t i = 0; i < t->nrows; i++) {
        const struct context_trend_row *r = &t->rows[i];
        json_t *m = json_array();
        for (int k = 0; k < t->months; k++)
            json_array_append_new(m, json_integer(r->monthly[k]));
        json_t *row =
            json_pack("{s:s,s:s,s:I,s:I,s:o,s:f,s:f,s:b,s:o}", "area", r->area, "kind", r->kind,
                      "current", (json_int_t)r->current, "previous", (json_int_t)r->previous,
                      "change_pct", isnan(r->change_pct) ? json_null() : json_real(r->change_pct),
                      "p", r->p, "q", r->q, "significant_rise", r->significant_rise, "monthly", m);
        json_array_append_new(rows, row);
    }
    return o;
}
