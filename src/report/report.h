/*
 * report: the door of svp's report room, the partnership's core dataset.
 *
 * Every figure of the dataset is one function over the imported events (docs/dataset.md
 * defines each one and the national return it follows: the CIN census, SSDA903, the DfE
 * children's social care performance framework, Working Together 2018). The command line,
 * the web dashboard and the exports all call these functions, so a number is the same
 * wherever it is shown.
 *
 * A figure whose events were never imported is "not available" with the reason, never 0.
 * Children are counted once: by linked person where the link room has joined records, by
 * the agency's record otherwise (the clock room's subjects).
 *
 * Periods are any [from, to] of days; the financial year (April to March) by default.
 * Benchmarks (England, region, statistical neighbours, targets) come from
 * data/benchmarks.csv, each with its source and year; whether a difference is worth an
 * exception line comes from data/report-thresholds.csv.
 */
#ifndef SVP_REPORT_H
#define SVP_REPORT_H

#include "base/base.h"
#include "clock/clock.h"
#include "store/store.h"

/* ------------------------------------------------------------------ periods */

struct report_period {
    svp_day from, to; /* inclusive */
    char label[32];   /* "2021-22", "2022 Q1", "2022", "2021-04-01 to 2021-09-30" */
};

/* Parses a period: "2021-22" (financial year April 2021 to March 2022), "fy2021" (the
 * same), "2022" (calendar year), "2022Q1" or "2022-Q1" (calendar quarter), "2022-06"
 * (month), or "FROM..TO" with ISO dates. SVP_EINPUT naming the value otherwise, or when TO
 * is before FROM. */
int report_period_parse(const char *s, struct report_period *out, struct svp_err *err) SVP_WUR;

/* The financial year (April-March) day falls in. */
void report_period_fyear(svp_day day, struct report_period *out);

/* Splits p into the financial quarters (Apr-Jun ...) or calendar quarters it covers when
 * p is not a financial year: up to cap periods into out, returning how many. Quarters
 * are cut to p. */
size_t report_period_quarters(const struct report_period *p, struct report_period *out, size_t cap);

/* ------------------------------------------------------------------ the data */

/* The events the dataset reads, loaded once (opaque). */
struct report_data;

/* Loads every event type the dataset reads from the store. Events whose dates cannot be
 * read are left out and counted (report_data_skipped). Returns an owned set in *out. */
int report_data_load(struct store *s, struct report_data **out, struct svp_err *err) SVP_WUR;
void report_data_free(struct report_data **d);

/* The day of the latest event dated no later than tomorrow; 0 when there are none. */
svp_day report_data_latest(const struct report_data *d);
long report_data_skipped(const struct report_data *d);

/* ------------------------------------------------------------------ figures */

enum report_unit {
    REPORT_COUNT,   /* a number of things or children */
    REPORT_PERCENT, /* numerator / denominator * 100 */
    REPORT_RATE,    /* numerator per 10,000 children of the population */
};

/* One figure's value for one period. */
struct report_value {
    bool available; /* false: the events it needs were never imported (why says which) */
    char why[160];
    long num, den;  /* count: num; percent: num of den; rate: num children (den: population) */
    double value;   /* what is shown: the count, the percentage or the rate */
    bool has_value; /* false when a percentage has no denominator in the period */
};

/* What a figure computes over: data, period, population, calendar (all borrowed). */
struct report_ctx {
    const struct report_data *data;
    struct report_period period;
    long population;                /* children aged 0-17 in the area; 0: unknown */
    const struct svp_calendar *cal; /* working days */
};

/* The subjects behind a figure (drill-down): person ids (> 0) or minus record ids. */
struct report_ids {
    int64_t *v;
    size_t n, cap;
};
void report_ids_free(struct report_ids *ids);

struct report_figure {
    const char *id;    /* stable, e.g. "re_referrals_pct" */
    const char *theme; /* "referrals", "child_protection", ... (one XLSX sheet each) */
    const char *title; /* for people */
    enum report_unit unit;
    const char *definition; /* one sentence; docs/dataset.md has the full definition */
    const char *source;     /* the national return or guidance it follows */
    /* Computes the value; when ids is not NULL also collects the subjects counted in the
     * numerator. SVP_ENOMEM only: a figure with no data is out->available = false. */
    int (*compute)(const struct report_ctx *c, struct report_value *out, struct report_ids *ids);
};

/* Computes figure f for c as f->compute does, except that a period ending before the
 * first event of the kind the figure counts is not available ("before the first referral
 * event imported"), not 0. What every caller uses. */
int report_value_compute(const struct report_figure *f, const struct report_ctx *c,
                         struct report_value *out, struct report_ids *ids) SVP_WUR;

/* The dataset's figures in the order they are shown; *n set. Static, borrowed. */
const struct report_figure *report_figures(size_t *n);
/* The figure called id, or NULL. */
const struct report_figure *report_figure_find(const char *id);

/* The themes in order, with a title each (NULL-terminated arrays of pairs). */
const char *report_theme_title(const char *theme);
extern const char *const report_themes[];

/* ------------------------------------------------------------------ benchmarks */

struct report_benchmark {
    char figure[48];
    char comparator[48]; /* "England", "South West", "statistical neighbours", "target" */
    double value;
    char year[16];
    char source[160];
    bool illustrative; /* a made-up value standing in until the partnership fills it in */
};

struct report_threshold {
    char figure[48];
    int better;    /* +1 higher is better, -1 lower is better, 0 neither */
    double margin; /* an exception when worse than a comparator by more than this */
};

struct report_benchmarks {
    struct report_benchmark *v;
    size_t n;
    struct report_threshold *t;
    size_t nt;
};

/* Loads benchmarks (path, or the embedded data/benchmarks.csv when NULL) and thresholds
 * (thresholds_path, or the embedded data/report-thresholds.csv). Every row is checked: a
 * known figure, a number, a source and year; SVP_EINPUT names the file, line and field. */
int report_benchmarks_load(const char *path, const char *thresholds_path,
                           struct report_benchmarks **out, struct svp_err *err) SVP_WUR;
/* As report_benchmarks_load, the benchmarks table from text in memory (borrowed), the
 * thresholds embedded. */
int report_benchmarks_parse(const char *data, size_t len, struct report_benchmarks **out,
                            struct svp_err *err) SVP_WUR;
void report_benchmarks_free(struct report_benchmarks **b);

/* One line of exception narrative for figure f's value v against benchmark b, e.g.
 * "re-referrals 18.9%, below England's 22% (2016-17)"; *exception is set when v is worse
 * than b by more than the figure's threshold margin. */
void report_narrative(const struct report_figure *f, const struct report_value *v,
                      const struct report_benchmark *b, const struct report_benchmarks *all,
                      char *buf, size_t cap, bool *exception);

/* ------------------------------------------------------------------ the whole dataset */

struct report_trend_point {
    char label[32];
    struct report_value v;
};

struct report_row {
    const struct report_figure *fig; /* borrowed */
    struct report_value v;
    struct report_trend_point *quarters; /* owned; the period's quarters */
    size_t nquarters;
    struct report_trend_point *years; /* owned; financial years up to the period's */
    size_t nyears;
    const struct report_benchmark **bench; /* owned array of borrowed benchmarks */
    size_t nbench;
    char (*narrative)[240]; /* owned, one per benchmark */
    bool *exception;        /* owned, one per benchmark */
};

/* The case review table of the annual report (Working Together 2018 ch.4), counted from
 * the review register. Rapid reviews are timed from the day the partnership became aware
 * of the incident, as the annual report counts (not from the notification). */
struct report_case_reviews {
    svp_day from, to;                                /* reviews whose awareness falls in it */
    int notifications, notifications_on_time;        /* within 5 working days */
    int rapid_reviews, rapid_on_time, rapid_max_day; /* within 15 working days */
    int rapid_unknown;                               /* no awareness date entered */
    int lcsprs, published, published_on_time;        /* within 6 months of initiation */
    int max_publication_months;                      /* longest initiation->publication */
    char sentences[4][200];
};

/* Counts the case review register's reviews aware in [from, to] (from = 0: since the
 * beginning). */
int report_case_reviews(struct store *s, const struct svp_calendar *cal, svp_day from, svp_day to,
                        struct report_case_reviews *out, struct svp_err *err) SVP_WUR;

struct report_dataset {
    struct report_period period;
    long population;
    char population_source[160];
    svp_day as_of;           /* the latest event's day */
    struct report_row *rows; /* owned */
    size_t n;
    struct report_case_reviews reviews;
    bool has_reviews; /* false when the register could not be read (no store given) */
    double seconds;   /* how long it took */
    struct report_benchmarks *bench_owner; /* owned: the rows' benchmarks point into it */
};

/* Options for report_dataset_build. */
struct report_opts {
    const char *period;     /* NULL: the financial year of the latest event */
    long population;        /* 0: data/population.csv's latest row */
    const char *benchmarks; /* NULL: embedded */
    const char *thresholds; /* NULL: embedded */
    int years;              /* financial years in the yearly trend (default 5) */
};

/* Builds the whole dataset for the period: every figure, its quarterly and yearly trend,
 * benchmarks and narrative, and the case review table. Owned result in *out. */
int report_dataset_build(struct store *s, const struct svp_calendar *cal,
                         const struct report_opts *o, struct report_dataset **out,
                         struct svp_err *err) SVP_WUR;
/* As report_dataset_build over data already loaded (s only for the review register; may
 * be NULL). */
int report_dataset_from(const struct report_data *d, struct store *s,
                        const struct svp_calendar *cal, const struct report_opts *o,
                        struct report_dataset **out, struct svp_err *err) SVP_WUR;
void report_dataset_free(struct report_dataset **ds);

/* The population: o->population when set, else data/population.csv's latest row. */
int report_population(long given, long *out, char *source, size_t cap, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ output */

enum report_format { REPORT_TABLE, REPORT_CSV, REPORT_JSON, REPORT_HTML };

/* Parses "table", "csv", "json", "html"; SVP_EUSAGE otherwise (xlsx and pdf are files,
 * written by report_write_xlsx and the command line). */
int report_format_parse(const char *s, enum report_format *out, struct svp_err *err) SVP_WUR;

/* Writes ds in format fmt into b (text grows; b's cap applies). The HTML is one
 * self-contained page: inline style, SVG charts, no script, nothing loaded from outside.
 * SVP_ENOMEM. */
int report_write(const struct report_dataset *ds, enum report_format fmt, struct svp_buf *b,
                 struct svp_err *err) SVP_WUR;

/* Writes ds as a workbook to path (one sheet per theme, a contents sheet first, and the
 * case reviews); when path is NULL into memory (*bytes, *len owned). */
int report_write_xlsx(const struct report_dataset *ds, const char *path, char **bytes, size_t *len,
                      struct svp_err *err) SVP_WUR;

/* The value as shown: "18.9%", "43.0 per 10,000", "3912", "not available", "none in
 * period". */
void report_format_value(const struct report_figure *f, const struct report_value *v, char *buf,
                         size_t cap);

/* A count with thousands separators ("104,000"). */
void report_format_count(long n, char *buf, size_t cap);

/* Writes a JSON number or null for v into b ("null" when not available or no value). */
int report_value_json(const struct report_value *v, struct svp_buf *b) SVP_WUR;

#endif
