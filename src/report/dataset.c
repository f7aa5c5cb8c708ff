/* Periods, the population, benchmarks and thresholds, the case review table, and the
 * whole dataset built from the figures. */
#include "report_int.h"
#include "registers/registers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ periods */

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void report_period_fyear(svp_day day, struct report_period *out)
{
    int y, m, d;
    svp_date_to_ymd(day, &y, &m, &d);
    if (m < 4)
        y--;
    if (svp_date_from_ymd(y, 4, 1, &out->from) || svp_date_from_ymd(y + 1, 3, 31, &out->to))
        out->from = out->to = day; /* cannot happen for days svp can hold */
    snprintf(out->label, sizeof out->label, "%04d-%02d", y, (y + 1) % 100);
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int report_period_parse(const char *s, struct report_period *out, struct svp_err *err)
{
    size_t len = strlen(s);
    memset(out, 0, sizeof *out);
    int y = 0, rc = SVP_EINPUT;
    const char *dots = strstr(s, "..");
    if (dots) {
        struct svp_err e;
        if (svp_date_parse_iso(s, (size_t)(dots - s), &out->from, &e) ||
            svp_date_parse_iso(dots + 2, strlen(dots + 2), &out->to, &e))
            return svp_err_at(err, SVP_EINPUT, NULL, 0, "--period",
                              "'%.60s' is not FROM..TO with ISO dates (2021-04-01..2022-03-31)", s);
        if (out->to < out->from)
            return svp_err_at(err, SVP_EINPUT, NULL, 0, "--period",
                              "the period '%.60s' ends before it starts", s);
        char a[16], b[16];
        svp_date_format(out->from, a, sizeof a);
        svp_date_format(out->to, b, sizeof b);
        snprintf(out->label, sizeof out->label, "%.10s to %.10s", a, b);
        return SVP_OK;
    }
    if (len == 6 && !strncmp(s, "fy", 2) && digits(s + 2, 4)) {
        y = num(s + 2, 4);
        rc = svp_date_from_ymd(y, 4, 1, &out->from);
        if (rc == SVP_OK)
            report_period_fyear(out->from, out);
    } else if (len == 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2)) {
        y = num(s, 4);
        int two = num(s + 5, 2);
        if (two == (y + 1) % 100) {
            rc = svp_date_from_ymd(y, 4, 1, &out->from);
            if (rc == SVP_OK)
                report_period_fyear(out->from, out);
        } else if (two >= 1 && two <= 12) {
            rc = svp_date_from_ymd(y, two, 1, &out->from);
            if (rc == SVP_OK) {
                out->to = svp_date_add_months(out->from, 1) - 1;
                snprintf(out->label, sizeof out->label, "%s %04d", month_abbr[two - 1], y);
            }
        }
    } else if (len == 4 && digits(s, 4)) {
        y = num(s, 4);
        rc = svp_date_from_ymd(y, 1, 1, &out->from);
        if (rc == SVP_OK && (rc = svp_date_from_ymd(y, 12, 31, &out->to)) == SVP_OK)
            snprintf(out->label, sizeof out->label, "%04d", y);
    } else if ((len == 6 || len == 7) && digits(s, 4) &&
               (s[4] == 'Q' || s[4] == 'q' || (s[4] == '-' && (s[5] == 'Q' || s[5] == 'q')))) {
        char qc = s[len - 1];
        y = num(s, 4);
        if (qc >= '1' && qc <= '4' && (len == 6 || s[5] == 'Q' || s[5] == 'q')) {
            int q = qc - '0';
            rc = svp_date_from_ymd(y, 3 * (q - 1) + 1, 1, &out->from);
            if (rc == SVP_OK) {
                out->to = svp_date_add_months(out->from, 3) - 1;
                snprintf(out->label, sizeof out->label, "%04d Q%d", y, q);
            }
        }
    }
    if (rc != SVP_OK || y < 1900 || y > 2200)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "--period",
                          "'%.60s' is not a period: use 2021-22 (financial year), 2022, "
                          "2022Q1, 2022-06 or 2021-04-01..2022-03-31",
                          s);
    return SVP_OK;
}

size_t report_period_quarters(const struct report_period *p, struct report_period *out, size_t cap)
{
    size_t n = 0;
    for (svp_day from = p->from; from <= p->to && n < cap; n++) {
        svp_day next = svp_date_add_months(from, 3);
        out[n].from = from;
        out[n].to = next - 1 < p->to ? next - 1 : p->to;
        int y1, m1, d1, y2, m2, d2;
        svp_date_to_ymd(out[n].from, &y1, &m1, &d1);
        svp_date_to_ymd(out[n].to, &y2, &m2, &d2);
        snprintf(out[n].label, sizeof out[n].label, "%s-%s %04d", month_abbr[m1 - 1],
                 month_abbr[m2 - 1], y2);
        from = next;
    }
    return n;
}

/* ------------------------------------------------------------------ CSV tables */

typedef int (*row_fn)(const struct svp_csv_row *row, const char *file, void *ctx,
                      struct svp_err *err);

/* Reads the CSV at path, else the text mem (mem_len bytes) when not NULL, else the
 * embedded name, with header (checked exactly), calling fn for every non-empty row. */
static int read_table_from(const char *path, const char *mem, size_t mem_len, const char *name,
                           const char *header, row_fn fn, void *ctx, struct svp_err *err)
{
    struct svp_csv *csv = NULL;
    const char *file = path ? path : name;
    int rc;
    struct svp_csv_opts opts = {
        .delim = ',', .max_field = 4096, .max_fields = 64, .check_utf8 = true};
    if (path) {
        rc = svp_csv_open_file(path, &opts, &csv, err);
    } else if (mem) {
        rc = svp_csv_open_mem(mem, mem_len, &opts, &csv, err);
    } else {
        const struct svp_embedded *e = svp_data_find(name);
        if (!e)
            return svp_err_set(err, SVP_EINTERNAL, "data/%s is not embedded", name);
        rc = svp_csv_open_mem(e->data, e->len, &opts, &csv, err);
    }
    if (rc)
        return rc;
    struct svp_csv_row row;
    rc = svp_csv_next(csv, &row, err);
    if (rc == 0)
        rc = svp_err_at(err, SVP_EINPUT, file, 0, NULL, "the file is empty");
    if (rc == 1) {
        char got[512] = "";
        size_t k = 0;
        for (size_t i = 0; i < row.nfields && k < sizeof got; i++)
            k += (size_t)snprintf(got + k, sizeof got - k, "%s%s", i ? "," : "", row.fields[i].p);
        rc = strcmp(got, header)
                 ? svp_err_at(err, SVP_EINPUT, file, 1, NULL, "the header must be '%s'", header)
                 : 1;
    }
    while (rc == 1 && (rc = svp_csv_next(csv, &row, err)) == 1) {
        if (row.nfields == 1 && row.fields[0].len == 0)
            continue;
        if (row.error) {
            rc = svp_err_at(err, SVP_EINPUT, file, row.line, NULL, "%s", row.error);
            break;
        }
        if ((rc = fn(&row, file, ctx, err)))
            break;
        rc = 1;
    }
    svp_csv_free(&csv);
    return rc < 0 ? rc : SVP_OK;
}

static int read_table(const char *path, const char *name, const char *header, row_fn fn, void *ctx,
                      struct svp_err *err)
{
    return read_table_from(path, NULL, 0, name, header, fn, ctx, err);
}

static int parse_number(const char *s, const char *file, long line, const char *field, double *out,
                        struct svp_err *err)
{
    char *end = NULL;
    double v = s[0] ? strtod(s, &end) : 0;
    *out = 0;
    if (!s[0] || !end || *end || !isfinite(v))
        return svp_err_at(err, SVP_EINPUT, file, line, field, "'%.40s' is not a number", s);
    *out = v;
    return SVP_OK;
}

/* ------------------------------------------------------------------ population */

struct pop_ctx {
    long children;
    char source[160];
    char date[16];
};

static int pop_row(const struct svp_csv_row *row, const char *file, void *vctx, struct svp_err *err)
{
    struct pop_ctx *p = vctx;
    if (row->nfields != 5)
        return svp_err_at(err, SVP_EINPUT, file, row->line, NULL, "expected 5 fields, found %zu",
                          row->nfields);
    double v = 0;
    int rc = parse_number(row->fields[2].p, file, row->line, "children", &v, err);
    if (rc)
        return rc;
    if (v < 1 || v > 1e9 || v != floor(v))
        return svp_err_at(err, SVP_EINPUT, file, row->line, "children",
                          "'%s' is not a whole number of children", row->fields[2].p);
    if (strcmp(row->fields[1].p, p->date) >= 0) {
        p->children = (long)v;
        svp_strlcpy(p->date, row->fields[1].p, sizeof p->date);
        snprintf(p->source, sizeof p->source, "%s (%s)%s", row->fields[3].p, row->fields[1].p,
                 !strcmp(row->fields[4].p, "yes") ? ", illustrative" : "");
    }
    return SVP_OK;
}

int report_population(long given, long *out, char *source, size_t cap, struct svp_err *err)
{
    if (given > 0) {
        *out = given;
        svp_strlcpy(source, "given with --population", cap);
        return SVP_OK;
    }
    struct pop_ctx p = {0};
    int rc = read_table(NULL, "population.csv", "area,date,children,source,illustrative", pop_row,
                        &p, err);
    if (rc)
        return rc;
    *out = p.children;
    svp_strlcpy(source, p.source, cap);
    return SVP_OK;
}

/* ------------------------------------------------------------------ benchmarks */

static int bench_row(const struct svp_csv_row *row, const char *file, void *vctx,
                     struct svp_err *err)
{
    struct report_benchmarks *b = vctx;
    if (row->nfields != 6)
        return svp_err_at(err, SVP_EINPUT, file, row->line, NULL, "expected 6 fields, found %zu",
                          row->nfields);
    const char *fig = row->fields[0].p;
    if (!report_figure_find(fig))
        return svp_err_at(err, SVP_EINPUT, file, row->line, "figure",
                          "no figure '%.48s' in the dataset (see docs/dataset.md)", fig);
    if (!row->fields[1].len || row->fields[1].len >= 48)
        return svp_err_at(err, SVP_EINPUT, file, row->line, "comparator",
                          "a comparator of 1 to 47 bytes is needed (England, region, ...)");
    if (!row->fields[3].len || row->fields[3].len >= 16)
        return svp_err_at(err, SVP_EINPUT, file, row->line, "year",
                          "the year the value is for is needed (e.g. 2016-17)");
    if (!row->fields[4].len || row->fields[4].len >= 160)
        return svp_err_at(err, SVP_EINPUT, file, row->line, "source",
                          "a source of 1 to 159 bytes is needed: where the value comes from");
    const char *ill = row->fields[5].p;
    if (strcmp(ill, "yes") && strcmp(ill, "no"))
        return svp_err_at(err, SVP_EINPUT, file, row->line, "illustrative",
                          "'%.20s' is not yes or no", ill);
    double v = 0;
    int rc = parse_number(row->fields[2].p, file, row->line, "value", &v, err);
    if (rc)
        return rc;
    size_t cap = b->n;
    struct report_benchmark *nv = svp_realloc(b->v, (cap + 1) * sizeof *nv);
    if (!nv)
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", file);
    b->v = nv;
    struct report_benchmark *x = &b->v[b->n++];
    memset(x, 0, sizeof *x);
    svp_strlcpy(x->figure, fig, sizeof x->figure);
    svp_strlcpy(x->comparator, row->fields[1].p, sizeof x->comparator);
    x->value = v;
    svp_strlcpy(x->year, row->fields[3].p, sizeof x->year);
    svp_strlcpy(x->source, row->fields[4].p, sizeof x->source);
    x->illustrative = !strcmp(ill, "yes");
    return SVP_OK;
}

static int threshold_row(const struct svp_csv_row *row, const char *file, void *vctx,
                         struct svp_err *err)
{
    struct report_benchmarks *b = vctx;
    if (row->nfields != 3)
        return svp_err_at(err, SVP_EINPUT, file, row->line, NULL, "expected 3 fields, found %zu",
                          row->nfields);
    if (!report_figure_find(row->fields[0].p))
        return svp_err_at(err, SVP_EINPUT, file, row->line, "figure",
                          "no figure '%.48s' in the dataset", row->fields[0].p);
    int better;
    const char *s = row->fields[1].p;
    if (!strcmp(s, "higher"))
        better = 1;
    else if (!strcmp(s, "lower"))
        better = -1;
    else if (!strcmp(s, "neither"))
        better = 0;
    else
        return svp_err_at(err, SVP_EINPUT, file, row->line, "better",
                          "'%.20s' is not higher, lower or neither", s);
    double m = 0;
    int rc = parse_number(row->fields[2].p, file, row->line, "margin", &m, err);
    if (rc)
        return rc;
    if (m < 0)
        return svp_err_at(err, SVP_EINPUT, file, row->line, "margin",
                          "a margin cannot be negative");
    struct report_threshold *nv = svp_realloc(b->t, (b->nt + 1) * sizeof *nv);
    if (!nv)
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", file);
    b->t = nv;
    struct report_threshold *t = &b->t[b->nt++];
    svp_strlcpy(t->figure, row->fields[0].p, sizeof t->figure);
    t->better = better;
    t->margin = m;
    return SVP_OK;
}

void report_benchmarks_free(struct report_benchmarks **b)
{
    if (!b || !*b)
        return;
    svp_free((*b)->v);
    svp_free((*b)->t);
    svp_free(*b);
    *b = NULL;
}

static int benchmarks_load(const char *path, const char *mem, size_t len,
                           const char *thresholds_path, struct report_benchmarks **out,
                           struct svp_err *err)
{
    struct report_benchmarks *b = svp_calloc(1, sizeof *b);
    if (!b)
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading benchmarks");
    int rc = read_table_from(path, mem, len, mem ? "benchmarks" : "benchmarks.csv",
                             "figure,comparator,value,year,source,illustrative", bench_row, b, err);
    if (rc == SVP_OK)
        rc = read_table(thresholds_path, "report-thresholds.csv", "figure,better,margin",
                        threshold_row, b, err);
    if (rc) {
        report_benchmarks_free(&b);
        return rc;
    }
    *out = b;
    return SVP_OK;
}

int report_benchmarks_load(const char *path, const char *thresholds_path,
                           struct report_benchmarks **out, struct svp_err *err)
{
    return benchmarks_load(path, NULL, 0, thresholds_path, out, err);
}

int report_benchmarks_parse(const char *data, size_t len, struct report_benchmarks **out,
                            struct svp_err *err)
{
    return benchmarks_load(NULL, data, len, NULL, out, err);
}

static const struct report_threshold *threshold_of(const struct report_benchmarks *all,
                                                   const char *figure)
{
    for (size_t i = 0; all && i < all->nt; i++)
        if (!strcmp(all->t[i].figure, figure))
            return &all->t[i];
    return NULL;
}

/* A whole number with thousands separators, as the annual reports print them: "3,912". */
static void group_digits(long long v, char *buf, size_t cap)
{
    char raw[32], out[48];
    snprintf(raw, sizeof raw, "%lld", v < 0 ? -v : v);
    size_t len = strlen(raw), k = 0;
    if (v < 0)
        out[k++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = raw[i];
    }
    out[k] = '\0';
    svp_strlcpy(buf, out, cap);
}

static void format_number(const struct report_figure *f, double v, char *buf, size_t cap)
{
    if (f->unit == REPORT_PERCENT)
        snprintf(buf, cap, "%.1f%%", v);
    else if (f->unit == REPORT_RATE)
        snprintf(buf, cap, "%.1f per 10,000", v);
    else
        group_digits((long long)(v + (v >= 0 ? 0.5 : -0.5)), buf, cap);
}

void report_format_count(long n, char *buf, size_t cap)
{
    group_digits(n, buf, cap);
}

void report_format_value(const struct report_figure *f, const struct report_value *v, char *buf,
                         size_t cap)
{
    if (!v->available)
        svp_strlcpy(buf, "not available", cap);
    else if (!v->has_value)
        svp_strlcpy(buf, "none in period", cap);
    else
        format_number(f, v->value, buf, cap);
}

void report_narrative(const struct report_figure *f, const struct report_value *v,
                      const struct report_benchmark *b, const struct report_benchmarks *all,
                      char *buf, size_t cap, bool *exception)
{
    *exception = false;
    char bv[48], vv[48];
    format_number(f, b->value, bv, sizeof bv);
    const char *ill = b->illustrative ? ", illustrative" : "";
    const char *pos = !strcmp(b->comparator, "target") ? "the" : "";
    const char *who = b->comparator;
    char whose[96];
    if (!strcmp(b->comparator, "target"))
        svp_strlcpy(whose, "the target of", sizeof whose);
    else
        snprintf(whose, sizeof whose, "%s%s'%s", pos, who, who[strlen(who) - 1] == 's' ? "" : "s");
    if (!v->available || !v->has_value) {
        snprintf(buf, cap, "%s: not available this period (%s %s %s%s)", f->title, whose, bv,
                 b->year, ill);
        return;
    }
    format_number(f, v->value, vv, sizeof vv);
    double diff = v->value - b->value;
    const char *rel = fabs(diff) < 0.05 ? "in line with" : diff > 0 ? "above" : "below";
    const struct report_threshold *t = threshold_of(all, f->id);
    if (t && t->better != 0) {
        double worse = t->better > 0 ? -diff : diff;
        *exception = worse > t->margin;
    }
    snprintf(buf, cap, "%s %s, %s %s %s (%s%s)%s", f->title, vv, rel, whose, bv, b->year, ill,
             *exception ? ": exception" : "");
}

/* ------------------------------------------------------------------ case reviews */

static bool review_day(const struct reg_entry *e, const char *field, svp_day *out)
{
    const char *v = reg_entry_get(e, field);
    struct svp_err err;
    return v && svp_date_parse_iso(v, strlen(v), out, &err) == SVP_OK;
}

/* Whole months from a to b, counting a part month as one: "published 9 months after". */
static int months_after(svp_day a, svp_day b)
{
    int k = 0;
    while (svp_date_add_months(a, k) < b && k < 1200)
        k++;
    return k;
}

int report_case_reviews(struct store *s, const struct svp_calendar *cal, svp_day from, svp_day to,
                        struct report_case_reviews *out, struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    out->from = from;
    out->to = to;
    struct reg_entry *v = NULL;
    size_t n = 0;
    int rc = reg_list(s, reg_schema_find("review"), 0, &v, &n, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const char *kind = reg_entry_get(&v[i], "kind");
        if (!kind || (strcmp(kind, "rapid_review") && strcmp(kind, "lcspr")))
            continue;
        svp_day aware, notified, sent, init, pub, key;
        bool has_aware = review_day(&v[i], "awareness", &aware);
        bool has_notified = review_day(&v[i], "notification", &notified);
        /* a review belongs to the period it became known in (notification without awareness) */
        if (has_aware)
            key = aware;
        else if (has_notified)
            key = notified;
        else
            continue;
        if (from && (key < from || key > to))
            continue;
        struct svp_err e;
        int wd;
        if (has_notified) {
            out->notifications++;
            /* Working Together 2018 ch.4 para 17: within 5 working days of becoming aware */
            if (has_aware && !svp_calendar_working_days_between(cal, aware, notified, &wd, &e) &&
                wd <= 5)
                out->notifications_on_time++;
        }
        if (review_day(&v[i], "rapid_review_sent", &sent)) {
            out->rapid_reviews++;
            /* ibid. para 22, as the annual report counts: 15 working days of becoming aware,
             * not of the notification */
            if (!has_aware || svp_calendar_working_days_between(cal, aware, sent, &wd, &e)) {
                out->rapid_unknown++;
            } else {
                if (wd <= 15)
                    out->rapid_on_time++;
                if (wd > out->rapid_max_day)
                    out->rapid_max_day = wd;
            }
        }
        if (!strcmp(kind, "lcspr")) {
            out->lcsprs++;
            if (review_day(&v[i], "publication", &pub)) {
                out->published++;
                if (review_day(&v[i], "initiation", &init)) {
                    int m = months_after(init, pub);
                    if (pub <= svp_date_add_months(init, 6))
                        out->published_on_time++;
                    if (m > out->max_publication_months)
                        out->max_publication_months = m;
                }
            }
        }
    }
    reg_entries_free(&v, n);
    snprintf(out->sentences[0], sizeof out->sentences[0],
             "Notifications to the national panel within 5 working days of becoming aware: %d "
             "made%s",
             out->notifications,
             out->notifications && out->notifications_on_time == out->notifications
                 ? ", all within 5 working days"
             : out->notifications ? ", "
                                  : "");
    if (out->notifications && out->notifications_on_time != out->notifications)
        snprintf(out->sentences[0] + strlen(out->sentences[0]),
                 sizeof out->sentences[0] - strlen(out->sentences[0]), "%d within 5 working days",
                 out->notifications_on_time);
    int late = out->rapid_reviews - out->rapid_on_time - out->rapid_unknown;
    snprintf(out->sentences[1], sizeof out->sentences[1],
             "Rapid reviews within 15 working days of becoming aware: %d completed, %d submitted "
             "within 15 working days",
             out->rapid_reviews, out->rapid_on_time);
    if (late == 1)
        snprintf(out->sentences[1] + strlen(out->sentences[1]),
                 sizeof out->sentences[1] - strlen(out->sentences[1]), ", 1 submitted on day %d",
                 out->rapid_max_day);
    else if (late > 1)
        snprintf(out->sentences[1] + strlen(out->sentences[1]),
                 sizeof out->sentences[1] - strlen(out->sentences[1]),
                 ", %d later (the latest on day %d)", late, out->rapid_max_day);
    if (out->rapid_unknown)
        snprintf(out->sentences[1] + strlen(out->sentences[1]),
                 sizeof out->sentences[1] - strlen(out->sentences[1]),
                 ", %d without the day of becoming aware", out->rapid_unknown);
    snprintf(out->sentences[2], sizeof out->sentences[2],
             "Local child safeguarding practice reviews published: %d of %d, %d within 6 months "
             "of initiation",
             out->published, out->lcsprs, out->published_on_time);
    if (out->published)
        snprintf(out->sentences[2] + strlen(out->sentences[2]),
                 sizeof out->sentences[2] - strlen(out->sentences[2]),
                 "; the longest %d months after initiation", out->max_publication_months);
    return SVP_OK;
}

/* ------------------------------------------------------------------ the whole dataset */

static void row_clear(struct report_row *r)
{
    svp_free(r->quarters);
    svp_free(r->years);
    svp_free(r->bench);
    svp_free(r->narrative);
    svp_free(r->exception);
}

void report_dataset_free(struct report_dataset **ds)
{
    if (!ds || !*ds)
        return;
    for (size_t i = 0; i < (*ds)->n; i++)
        row_clear(&(*ds)->rows[i]);
    svp_free((*ds)->rows);
    report_benchmarks_free(&(*ds)->bench_owner);
    svp_free(*ds);
    *ds = NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define MAX_YEARS 10

int report_dataset_from(const struct report_data *d, struct store *s,
                        const struct svp_calendar *cal, const struct report_opts *o,
                        struct report_dataset **out, struct svp_err *err)
{
    double t0 = now_seconds();
    struct report_dataset *ds = svp_calloc(1, sizeof *ds);
    struct report_benchmarks *bm = NULL;
    if (!ds)
        return svp_err_set(err, SVP_ENOMEM, "out of memory building the dataset");
    int rc = SVP_OK;
    ds->as_of = d->latest;
    if (o->period)
        rc = report_period_parse(o->period, &ds->period, err);
    else
        report_period_fyear(d->latest ? d->latest : svp_date_today(), &ds->period);
    if (rc == SVP_OK)
        rc = report_population(o->population, &ds->population, ds->population_source,
                               sizeof ds->population_source, err);
    if (rc == SVP_OK)
        rc = report_benchmarks_load(o->benchmarks, o->thresholds, &bm, err);
    size_t nf;
    const struct report_figure *figs = report_figures(&nf);
    if (rc == SVP_OK && !(ds->rows = svp_calloc(nf, sizeof *ds->rows)))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory building the dataset");
    /* the yearly trend: financial years back from the period's end, none before the data */
    int years = o->years > 0 ? (o->years > MAX_YEARS ? MAX_YEARS : o->years) : 5;
    struct report_period yv[MAX_YEARS], qv[16];
    size_t ny = 0, nq = report_period_quarters(&ds->period, qv, 16);
    svp_day earliest = d->latest;
    for (int t = 0; t < RT_N; t++)
        for (size_t i = 0; i < d->t[t].n; i++)
            if (d->t[t].v[i].day < earliest)
                earliest = d->t[t].v[i].day;
    struct report_period fy;
    report_period_fyear(ds->period.to, &fy);
    for (int k = years - 1; k >= 0; k--) {
        struct report_period p;
        report_period_fyear(svp_date_add_months(fy.from, -12 * k), &p);
        if (p.to >= earliest)
            yv[ny++] = p;
    }
    for (size_t i = 0; rc == SVP_OK && i < nf; i++) {
        struct report_row *r = &ds->rows[ds->n++];
        r->fig = &figs[i];
        struct report_ctx c = {d, ds->period, ds->population, cal};
        if (report_value_compute(&figs[i], &c, &r->v, NULL)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory computing %s", figs[i].id);
            break;
        }
        r->quarters = svp_calloc(nq ? nq : 1, sizeof *r->quarters);
        r->years = svp_calloc(ny ? ny : 1, sizeof *r->years);
        r->bench = svp_calloc(bm->n ? bm->n : 1, sizeof *r->bench);
        r->narrative = svp_calloc(bm->n ? bm->n : 1, sizeof *r->narrative);
        r->exception = svp_calloc(bm->n ? bm->n : 1, sizeof *r->exception);
        if (!r->quarters || !r->years || !r->bench || !r->narrative || !r->exception) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory building the dataset");
            break;
        }
        for (size_t q = 0; q < nq && rc == SVP_OK; q++) {
            struct report_ctx cq = {d, qv[q], ds->population, cal};
            svp_strlcpy(r->quarters[q].label, qv[q].label, sizeof r->quarters[q].label);
            if (report_value_compute(&figs[i], &cq, &r->quarters[q].v, NULL))
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory computing %s", figs[i].id);
        }
        r->nquarters = nq;
        for (size_t y = 0; y < ny && rc == SVP_OK; y++) {
            struct report_ctx cy = {d, yv[y], ds->population, cal};
            svp_strlcpy(r->years[y].label, yv[y].label, sizeof r->years[y].label);
            if (report_value_compute(&figs[i], &cy, &r->years[y].v, NULL))
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory computing %s", figs[i].id);
        }
        r->nyears = ny;
        for (size_t b = 0; b < bm->n; b++) {
            if (strcmp(bm->v[b].figure, figs[i].id))
                continue;
            r->bench[r->nbench] = &bm->v[b];
            report_narrative(&figs[i], &r->v, &bm->v[b], bm, r->narrative[r->nbench],
                             sizeof r->narrative[0], &r->exception[r->nbench]);
            r->nbench++;
        }
    }
    if (rc == SVP_OK && s) {
        rc = report_case_reviews(s, cal, ds->period.from, ds->period.to, &ds->reviews, err);
        ds->has_reviews = rc == SVP_OK;
    }
    if (rc) {
        report_benchmarks_free(&bm);
        report_dataset_free(&ds);
        return rc;
    }
    /* benchmarks are kept alive with the dataset: rows point into them */
    ds->bench_owner = bm;
    ds->seconds = now_seconds() - t0;
    *out = ds;
    return SVP_OK;
}

int report_dataset_build(struct store *s, const struct svp_calendar *cal,
                         const struct report_opts *o, struct report_dataset **out,
                         struct svp_err *err)
{
    double t0 = now_seconds();
    struct report_data *d = NULL;
    int rc = report_data_load(s, &d, err);
    if (rc)
        return rc;
    rc = report_dataset_from(d, s, cal, o, out, err);
    report_data_free(&d);
    if (rc == SVP_OK)
        (*out)->seconds = now_seconds() - t0;
    return rc;
}
