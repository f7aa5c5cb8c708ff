/* The dataset as a table, CSV, JSON and one self-contained HTML page with SVG charts. */
#include "base/json.h"
#include "report_int.h"

#include <jansson.h>
#include <string.h>

#define TRY(x)                                                                                     \
    do {                                                                                           \
        if (x)                                                                                     \
            goto nomem;                                                                            \
    } while (0)

int report_format_parse(const char *s, enum report_format *out, struct svp_err *err)
{
    static const char *const names[] = {"table", "csv", "json", "html"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) {
            *out = (enum report_format)i;
            return SVP_OK;
        }
    return svp_err_at(err, SVP_EUSAGE, NULL, 0, "--format",
                      "'%.20s' is not a format: table, csv, json, html, xlsx or pdf", s);
}

static const char *unit_name(enum report_unit u)
{
    return u == REPORT_PERCENT ? "percent" : u == REPORT_RATE ? "rate_per_10000" : "count";
}

/* The value rounded as shown: counts whole, percentages and rates to one decimal. */
static double shown(const struct report_figure *f, const struct report_value *v)
{
    if (f->unit == REPORT_COUNT)
        return v->value;
    return (double)(long long)(v->value * 10.0 + (v->value >= 0 ? 0.5 : -0.5)) / 10.0;
}

int report_value_json(const struct report_value *v, struct svp_buf *b)
{
    if (!v->available || !v->has_value)
        return svp_buf_puts(b, "null");
    return svp_buf_printf(b, "%.1f", v->value);
}

/* ------------------------------------------------------------------ JSON */

static json_t *value_json(const struct report_figure *f, const struct report_value *v)
{
    return v->available && v->has_value ? json_real(shown(f, v)) : json_null();
}

static json_t *points_json(const struct report_figure *f, const struct report_trend_point *p,
                           size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *o =
            json_pack("{s:s, s:o, s:I, s:I}", "label", p[i].label, "value", value_json(f, &p[i].v),
                      "numerator", (json_int_t)p[i].v.num, "denominator", (json_int_t)p[i].v.den);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *reviews_json(const struct report_case_reviews *r)
{
    json_t *s = json_array();
    for (int i = 0; s && i < 3; i++)
        if (json_array_append_new(s, json_string(r->sentences[i]))) {
            json_decref(s);
            return NULL;
        }
    if (!s)
        return NULL;
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o}", "notifications",
                     r->notifications, "notifications_within_5_working_days",
                     r->notifications_on_time, "rapid_reviews", r->rapid_reviews,
                     "rapid_reviews_within_15_working_days", r->rapid_on_time,
                     "rapid_reviews_latest_day", r->rapid_max_day,
                     "rapid_reviews_without_awareness", r->rapid_unknown, "lcsprs", r->lcsprs,
                     "published", r->published, "published_within_6_months", r->published_on_time,
                     "longest_months_to_publication", r->max_publication_months, "sentences", s);
}

static json_t *dataset_json(const struct report_dataset *ds)
{
    char from[16], to[16], asof[16];
    svp_date_format(ds->period.from, from, sizeof from);
    svp_date_format(ds->period.to, to, sizeof to);
    svp_date_format(ds->as_of, asof, sizeof asof);
    json_t *figs = json_array();
    for (size_t i = 0; figs && i < ds->n; i++) {
        const struct report_row *r = &ds->rows[i];
        const struct report_figure *f = r->fig;
        json_t *bench = json_array();
        for (size_t b = 0; bench && b < r->nbench; b++) {
            const struct report_benchmark *x = r->bench[b];
            json_t *o = json_pack("{s:s, s:f, s:s, s:s, s:b, s:s, s:b}", "comparator",
                                  x->comparator, "value", x->value, "year", x->year, "source",
                                  x->source, "illustrative", x->illustrative, "narrative",
                                  r->narrative[b], "exception", r->exception[b]);
            if (!o || json_array_append_new(bench, o)) {
                json_decref(bench);
                bench = NULL;
            }
        }
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s?, s:o, s:I, s:I, s:o?, s:o?, s:o?}",
                      "id", f->id, "theme", f->theme, "title", f->title, "unit", unit_name(f->unit),
                      "definition", f->definition, "source", f->source, "available", r->v.available,
                      "note", r->v.why[0] ? r->v.why : NULL, "value", value_json(f, &r->v),
                      "numerator", (json_int_t)r->v.num, "denominator", (json_int_t)r->v.den,
                      "quarters", points_json(f, r->quarters, r->nquarters), "years",
                      points_json(f, r->years, r->nyears), "benchmarks", bench);
        if (!o || json_array_append_new(figs, o)) {
            json_decref(figs);
            return NULL;
        }
    }
    if (!figs)
        return NULL;
    return json_pack("{s:{s:s, s:s, s:s}, s:s, s:I, s:s, s:f, s:o, s:o?}", "period", "label",
                     ds->period.label, "from", from, "to", to, "as_of", asof, "population",
                     (json_int_t)ds->population, "population_source", ds->population_source,
                     "seconds", ds->seconds, "figures", figs, "case_reviews",
                     ds->has_reviews ? reviews_json(&ds->reviews) : NULL);
}

/* ------------------------------------------------------------------ table and CSV */

static int write_table(const struct report_dataset *ds, struct svp_buf *b)
{
    char pop[32];
    report_format_count(ds->population, pop, sizeof pop);
    TRY(svp_buf_printf(b, "Core dataset %s; %s children aged 0-17 (%s)\n\n", ds->period.label, pop,
                       ds->population_source));
    const char *theme = "";
    for (size_t i = 0; i < ds->n; i++) {
        const struct report_row *r = &ds->rows[i];
        if (strcmp(theme, r->fig->theme)) {
            theme = r->fig->theme;
            TRY(svp_buf_printf(b, "%s%s\n", i ? "\n" : "", report_theme_title(theme)));
        }
        char v[48];
        report_format_value(r->fig, &r->v, v, sizeof v);
        TRY(svp_buf_printf(b, "  %-46s %18s", r->fig->title, v));
        if (r->v.available && r->fig->unit == REPORT_PERCENT)
            TRY(svp_buf_printf(b, "  (%ld of %ld)", r->v.num, r->v.den));
        if (!r->v.available || r->v.why[0])
            TRY(svp_buf_printf(b, "  [%s]", r->v.why));
        TRY(svp_buf_putc(b, '\n'));
        for (size_t k = 0; k < r->nbench; k++)
            TRY(svp_buf_printf(b, "      %s%s\n", r->narrative[k],
                               r->bench[k]->illustrative ? "" : ""));
    }
    if (ds->has_reviews) {
        TRY(svp_buf_puts(b, "\nCase reviews (Working Together 2018 ch.4)\n"));
        for (int k = 0; k < 3; k++)
            TRY(svp_buf_printf(b, "  %s\n", ds->reviews.sentences[k]));
    }
    return SVP_OK;
nomem:
    return SVP_ENOMEM;
}

static int csv_field(struct svp_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return svp_buf_puts(b, s);
    if (svp_buf_putc(b, '"'))
        return SVP_ENOMEM;
    for (; *s; s++)
        if ((*s == '"' && svp_buf_putc(b, '"')) || svp_buf_putc(b, *s))
            return SVP_ENOMEM;
    return svp_buf_putc(b, '"');
}

static int csv_row(struct svp_buf *b, const struct report_figure *f, const char *kind,
                   const char *label, const struct report_value *v)
{
    char val[32] = "";
    if (v->available && v->has_value)
        snprintf(val, sizeof val, f->unit == REPORT_COUNT ? "%.0f" : "%.1f", shown(f, v));
    TRY(csv_field(b, f->id));
    TRY(svp_buf_putc(b, ','));
    TRY(csv_field(b, f->theme));
    TRY(svp_buf_putc(b, ','));
    TRY(csv_field(b, f->title));
    TRY(svp_buf_printf(b, ",%s,%s,", unit_name(f->unit), kind));
    TRY(csv_field(b, label));
    TRY(svp_buf_printf(b, ",%s,%ld,%ld,%s,", val, v->num, v->den, v->available ? "yes" : "no"));
    TRY(csv_field(b, v->why));
    TRY(svp_buf_putc(b, '\n'));
    return SVP_OK;
nomem:
    return SVP_ENOMEM;
}

static int write_csv(const struct report_dataset *ds, struct svp_buf *b)
{
    TRY(svp_buf_puts(b, "figure,theme,title,unit,kind,period,value,numerator,denominator,"
                        "available,note\n"));
    for (size_t i = 0; i < ds->n; i++) {
        const struct report_row *r = &ds->rows[i];
        TRY(csv_row(b, r->fig, "period", ds->period.label, &r->v));
        for (size_t q = 0; q < r->nquarters; q++)
            TRY(csv_row(b, r->fig, "quarter", r->quarters[q].label, &r->quarters[q].v));
        for (size_t y = 0; y < r->nyears; y++)
            TRY(csv_row(b, r->fig, "year", r->years[y].label, &r->years[y].v));
    }
    return SVP_OK;
nomem:
    return SVP_ENOMEM;
}

/* ------------------------------------------------------------------ HTML with SVG */

static int esc(struct svp_buf *b, const char *s)
{
    for (; *s; s++) {
        const char *r = NULL;
        switch (*s) {
        case '&':
            r = "&amp;";
            break;
        case '<':
            r = "&lt;";
            break;
        case '>':
            r = "&gt;";
            break;
        case '"':
            r = "&quot;";
            break;
        case '\'':
            r = "&#39;";
            break;
        default:
            break;
        }
        if (r ? svp_buf_puts(b, r) : svp_buf_putc(b, *s))
            return SVP_ENOMEM;
    }
    return SVP_OK;
}

/* A bar chart of points: one bar each, labelled, scaled to the largest value. */
static int svg_bars(struct svp_buf *b, const struct report_figure *f,
                    const struct report_trend_point *p, size_t n, const char *what)
{
    double max = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i].v.available && p[i].v.has_value && p[i].v.value > max)
            max = p[i].v.value;
    size_t longest = 0;
    for (size_t i = 0; i < n; i++)
        if (strlen(p[i].label) > longest)
            longest = strlen(p[i].label);
    const int w = longest > 8 ? (int)longest * 6 + 4 : 56, h = 90, top = 14;
    int width = (int)n * w + 10;
    TRY(svp_buf_printf(b, "<svg role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
                       width, h + 34, width, h + 34));
    TRY(svp_buf_puts(b, "<title>"));
    TRY(esc(b, f->title));
    TRY(svp_buf_printf(b, ": %s</title>", what));
    for (size_t i = 0; i < n; i++) {
        int x = 5 + (int)i * w;
        char v[48];
        report_format_value(f, &p[i].v, v, sizeof v);
        if (!p[i].v.available || !p[i].v.has_value) {
            TRY(svp_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"na\">n/a</text>", x + 8,
                               top + h - 4));
        } else {
            int bh = max > 0 ? (int)(p[i].v.value / max * (h - top)) : 0;
            char lab[32];
            snprintf(lab, sizeof lab, f->unit == REPORT_COUNT ? "%.0f" : "%.1f", p[i].v.value);
            TRY(svp_buf_printf(b,
                               "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"><title>%s"
                               "</title></rect><text x=\"%d\" y=\"%d\">%s</text>",
                               x + 4, top + h - bh, w - 12, bh, lab, x + 4, top + h - bh - 3, lab));
        }
        TRY(svp_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"l\">", x + 2, top + h + 14));
        TRY(esc(b, p[i].label));
        TRY(svp_buf_puts(b, "</text>"));
    }
    TRY(svp_buf_puts(b, "</svg>"));
    return SVP_OK;
nomem:
    return SVP_ENOMEM;
}

static int write_html(const struct report_dataset *ds, struct svp_buf *b)
{
    TRY(svp_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
                        "<title>Core dataset "));
    TRY(esc(b, ds->period.label));
    TRY(svp_buf_puts(
        b, "</title><style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#111}"
           "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:2px solid #1d4e89}"
           "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;"
           "padding:4px 6px;vertical-align:top;text-align:left}td.v{text-align:right;"
           "white-space:nowrap;font-weight:600}.n{color:#555;font-size:.9em}.ex{color:#a00;"
           "font-weight:600}svg rect{fill:#1d4e89}svg text{font-size:10px;fill:#111}"
           "svg text.l{fill:#555}svg text.na{fill:#888}ul.ex li{margin:.2em 0}"
           "@media print{h2{break-before:auto}tr{break-inside:avoid}}</style></head><body>\n"));
    TRY(svp_buf_puts(b, "<h1>Core dataset "));
    TRY(esc(b, ds->period.label));
    char from[16], to[16], asof[16];
    svp_date_format(ds->period.from, from, sizeof from);
    svp_date_format(ds->period.to, to, sizeof to);
    svp_date_format(ds->as_of, asof, sizeof asof);
    char pop[32];
    report_format_count(ds->population, pop, sizeof pop);
    TRY(svp_buf_printf(b, "</h1><p class=\"n\">%s to %s; data as of %s; %s children aged 0-17 (",
                       from, to, asof, pop));
    TRY(esc(b, ds->population_source));
    TRY(svp_buf_puts(b, ")</p>\n<h2>Exceptions</h2><ul class=\"ex\">"));
    int nex = 0;
    for (size_t i = 0; i < ds->n; i++)
        for (size_t k = 0; k < ds->rows[i].nbench; k++)
            if (ds->rows[i].exception[k]) {
                TRY(svp_buf_puts(b, "<li>"));
                TRY(esc(b, ds->rows[i].narrative[k]));
                TRY(svp_buf_puts(b, "</li>"));
                nex++;
            }
    if (!nex)
        TRY(svp_buf_puts(b, "<li>none: no figure is worse than a benchmark by more than its "
                            "threshold</li>"));
    TRY(svp_buf_puts(b, "</ul>\n"));
    const char *theme = "";
    for (size_t i = 0; i < ds->n; i++) {
        const struct report_row *r = &ds->rows[i];
        if (strcmp(theme, r->fig->theme)) {
            if (theme[0])
                TRY(svp_buf_puts(b, "</table>\n"));
            theme = r->fig->theme;
            TRY(svp_buf_printf(b, "<h2 id=\"%s\">", theme));
            TRY(esc(b, report_theme_title(theme)));
            TRY(svp_buf_puts(b, "</h2><table><tr><th>figure</th><th>value</th><th>by quarter"
                                "</th><th>by year</th></tr>\n"));
        }
        char v[48];
        report_format_value(r->fig, &r->v, v, sizeof v);
        TRY(svp_buf_printf(b, "<tr id=\"%s\"><td>", r->fig->id));
        TRY(esc(b, r->fig->title));
        TRY(svp_buf_puts(b, "<div class=\"n\">"));
        TRY(esc(b, r->fig->definition));
        TRY(svp_buf_puts(b, " (source: "));
        TRY(esc(b, r->fig->source));
        TRY(svp_buf_puts(b, ")</div>"));
        if (r->v.why[0]) {
            TRY(svp_buf_puts(b, "<div class=\"n\">"));
            TRY(esc(b, r->v.why));
            TRY(svp_buf_puts(b, "</div>"));
        }
        for (size_t k = 0; k < r->nbench; k++) {
            TRY(svp_buf_printf(b, "<div class=\"%s\">", r->exception[k] ? "ex" : "n"));
            TRY(esc(b, r->narrative[k]));
            TRY(svp_buf_puts(b, "</div>"));
        }
        TRY(svp_buf_puts(b, "</td><td class=\"v\">"));
        TRY(esc(b, v));
        if (r->v.available && r->fig->unit == REPORT_PERCENT)
            TRY(svp_buf_printf(b, "<div class=\"n\">%ld of %ld</div>", r->v.num, r->v.den));
        TRY(svp_buf_puts(b, "</td><td>"));
        if (r->v.available) {
            TRY(svg_bars(b, r->fig, r->quarters, r->nquarters, "by quarter"));
            TRY(svp_buf_puts(b, "</td><td>"));
            TRY(svg_bars(b, r->fig, r->years, r->nyears, "by financial year"));
        } else {
            TRY(svp_buf_puts(b, "</td><td>"));
        }
        TRY(svp_buf_puts(b, "</td></tr>\n"));
    }
    if (theme[0])
        TRY(svp_buf_puts(b, "</table>\n"));
    if (ds->has_reviews) {
        TRY(svp_buf_puts(b, "<h2 id=\"case_reviews\">Case reviews</h2><ul>"));
        for (int k = 0; k < 3; k++) {
            TRY(svp_buf_puts(b, "<li>"));
            TRY(esc(b, ds->reviews.sentences[k]));
            TRY(svp_buf_puts(b, "</li>"));
        }
        TRY(svp_buf_puts(b, "</ul>\n"));
    }
    TRY(svp_buf_puts(b, "<p class=\"n\">Figures are defined in svp's docs/dataset.md and "
                        "docs/registers.md. Benchmarks marked illustrative stand in "
                        "until the partnership enters published values.</p></body></html>\n"));
    return SVP_OK;
nomem:
    return SVP_ENOMEM;
}

int report_write(const struct report_dataset *ds, enum report_format fmt, struct svp_buf *b,
                 struct svp_err *err)
{
    int rc = SVP_OK;
    if (fmt == REPORT_TABLE) {
        rc = write_table(ds, b);
    } else if (fmt == REPORT_CSV) {
        rc = write_csv(ds, b);
    } else if (fmt == REPORT_HTML) {
        rc = write_html(ds, b);
    } else {
        json_t *j = dataset_json(ds);
        char *s = j ? svp_json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
        json_decref(j);
        rc = s ? svp_buf_puts(b, s) : SVP_ENOMEM;
        if (rc == SVP_OK)
            rc = svp_buf_putc(b, '\n');
        free(s);
    }
    return rc ? svp_err_set(err, SVP_ENOMEM, "out of memory writing the dataset") : SVP_OK;
}
