/* England and Wales working days. Holidays come from a file (data/bank-holidays.csv)
 * so that a newly announced bank holiday, like the 2023 Coronation, needs no new code. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

struct svp_calendar {
    svp_day first, last; /* covered range, whole years */
    svp_day *holidays;   /* sorted, unique */
    size_t nholidays;
    int32_t *cum; /* cum[i]: working days in [first, first + i] */
};

static int cmp_day(const void *a, const void *b)
{
    svp_day x = *(const svp_day *)a, y = *(const svp_day *)b;
    return (x > y) - (x < y);
}

bool svp_calendar_is_holiday(const struct svp_calendar *cal, svp_day day)
{
    return bsearch(&day, cal->holidays, cal->nholidays, sizeof(svp_day), cmp_day) != NULL;
}

bool svp_calendar_is_working_day(const struct svp_calendar *cal, svp_day day)
{
    return svp_date_weekday(day) < 5 && !svp_calendar_is_holiday(cal, day);
}

void svp_calendar_range(const struct svp_calendar *cal, svp_day *first, svp_day *last)
{
    *first = cal->first;
    *last = cal->last;
}

void svp_calendar_free(struct svp_calendar **cal)
{
    if (!cal || !*cal)
        return;
    svp_free((*cal)->holidays);
    svp_free((*cal)->cum);
    svp_free(*cal);
    *cal = NULL;
}

int svp_calendar_from_days(const svp_day *days, size_t n, int first_year, int last_year,
                           struct svp_calendar **out, struct svp_err *err)
{
    svp_day first, last;
    if (first_year > last_year || svp_date_from_ymd(first_year, 1, 1, &first) ||
        svp_date_from_ymd(last_year, 12, 31, &last))
        return svp_err_set(err, SVP_EINPUT, "calendar years %d..%d are not a valid range",
                           first_year, last_year);
    struct svp_calendar *cal = svp_calloc(1, sizeof *cal);
    if (!cal)
        return svp_err_set(err, SVP_ENOMEM, "out of memory building the calendar");
    cal->first = first;
    cal->last = last;
    cal->holidays = svp_malloc((n ? n : 1) * sizeof(svp_day));
    cal->cum = svp_malloc((size_t)(last - first + 1) * sizeof(int32_t));
    if (!cal->holidays || !cal->cum) {
        svp_calendar_free(&cal);
        return svp_err_set(err, SVP_ENOMEM, "out of memory building the calendar");
    }
    if (n)
        memcpy(cal->holidays, days, n * sizeof(svp_day));
    qsort(cal->holidays, n, sizeof(svp_day), cmp_day);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || cal->holidays[u - 1] != cal->holidays[i])
            cal->holidays[u++] = cal->holidays[i];
    cal->nholidays = u;
    int32_t run = 0;
    for (svp_day d = first; d <= last; d++) {
        run += svp_calendar_is_working_day(cal, d);
        cal->cum[d - first] = run;
    }
    *out = cal;
    return SVP_OK;
}

struct day_list {
    svp_day *v;
    size_t n, cap;
};

static int day_list_push(struct day_list *l, svp_day d)
{
    svp_day *v = svp_grow(l->v, &l->cap, l->n + 1, sizeof *v, 64);
    if (!v)
        return SVP_ENOMEM;
    l->v = v;
    l->v[l->n++] = d;
    return SVP_OK;
}

static int read_holiday_rows(struct svp_csv *csv, const char *path, struct day_list *list,
                             struct svp_err *err)
{
    struct svp_csv_row row;
    int rc = svp_csv_next(csv, &row, err);
    if (rc < 0)
        return rc;
    if (rc == 0 || row.nfields < 1 || strcmp(row.fields[0].p, "date") != 0)
        return svp_err_at(err, SVP_EINPUT, path, 1, NULL,
                          "expected a header whose first column is 'date'");
    while ((rc = svp_csv_next(csv, &row, err)) == 1) {
        if (row.error)
            return svp_err_at(err, SVP_EINPUT, path, row.line, NULL, "%s", row.error);
        if (row.nfields == 1 && row.fields[0].len == 0)
            continue; /* a blank line */
        svp_day d;
        struct svp_err derr;
        if (svp_date_parse_iso(row.fields[0].p, row.fields[0].len, &d, &derr))
            return svp_err_at(err, SVP_EINPUT, path, row.line, "date", "%s", derr.msg);
        if (day_list_push(list, d))
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", path);
    }
    return rc;
}

static int calendar_from_csv(struct svp_csv *csv, const char *path, struct svp_calendar **out,
                             struct svp_err *err)
{
    int rc;
    struct day_list list = {0};
    rc = read_holiday_rows(csv, path, &list, err);
    svp_csv_free(&csv);
    if (rc == SVP_OK && list.n == 0)
        rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "no bank holidays listed");
    if (rc == SVP_OK) {
        int fy, ly, m, d;
        qsort(list.v, list.n, sizeof(svp_day), cmp_day);
        svp_date_to_ymd(list.v[0], &fy, &m, &d);
        svp_date_to_ymd(list.v[list.n - 1], &ly, &m, &d);
        rc = svp_calendar_from_days(list.v, list.n, fy, ly, out, err);
    }
    svp_free(list.v);
    return rc;
}

int svp_calendar_load_csv(const char *path, struct svp_calendar **out, struct svp_err *err)
{
    struct svp_csv *csv = NULL;
    const struct svp_csv_opts opts = {.check_utf8 = true};
    int rc = svp_csv_open_file(path, &opts, &csv, err);
    if (rc)
        return rc;
    return calendar_from_csv(csv, path, out, err);
}

int svp_calendar_load_csv_mem(const char *data, size_t len, const char *name,
                              struct svp_calendar **out, struct svp_err *err)
{
    struct svp_csv *csv = NULL;
    const struct svp_csv_opts opts = {.check_utf8 = true};
    int rc = svp_csv_open_mem(data, len, &opts, &csv, err);
    if (rc)
        return rc;
    return calendar_from_csv(csv, name, out, err);
}

static int outside(const struct svp_calendar *cal, svp_day d, struct svp_err *err)
{
    char a[16], b[16], x[16];
    svp_date_format(cal->first, a, sizeof a);
    svp_date_format(cal->last, b, sizeof b);
    svp_date_format(d, x, sizeof x);
    return svp_err_set(err, SVP_EINPUT,
                       "%s is outside the bank holidays known (%s to %s); import a newer "
                       "list with 'svp calendar import'",
                       x, a, b);
}

int svp_calendar_add_working_days(const struct svp_calendar *cal, svp_day start, int n,
                                  svp_day *out, struct svp_err *err)
{
    if (start < cal->first || start > cal->last)
        return outside(cal, start, err);
    int step = n < 0 ? -1 : 1, left = n < 0 ? -n : n;
    svp_day d = start;
    while (left > 0) {
        d += step;
        if (d < cal->first || d > cal->last)
            return outside(cal, d, err);
        if (svp_calendar_is_working_day(cal, d))
            left--;
    }
    *out = d;
    return SVP_OK;
}

int svp_calendar_working_days_between(const struct svp_calendar *cal, svp_day a, svp_day b,
                                      int *out, struct svp_err *err)
{
    if (a < cal->first || a > cal->last)
        return outside(cal, a, err);
    if (b < cal->first || b > cal->last)
        return outside(cal, b, err);
    *out = cal->cum[b - cal->first] - cal->cum[a - cal->first];
    return SVP_OK;
}
