/* Bank holidays kept in the database: imported from gov.uk's bank-holidays.json, so a
 * newly announced holiday (like the 2023 Coronation) needs neither code nor a release. */
#include "clock.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

#define MAX_HOLIDAYS 10000

static void free_titles(char **titles, size_t n)
{
    if (!titles)
        return;
    for (size_t i = 0; i < n; i++)
        svp_free(titles[i]);
    svp_free(titles);
}

static int parse_events(json_t *events, const char *name, svp_day *days, char **titles, size_t *n,
                        struct svp_err *err)
{
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev)
    {
        char field[32];
        snprintf(field, sizeof field, "events[%zu]", i);
        json_t *date = json_object_get(ev, "date"), *title = json_object_get(ev, "title");
        if (!json_is_object(ev) || !json_is_string(date))
            return svp_err_at(err, SVP_EINPUT, name, 0, field, "an event needs a \"date\"");
        const char *d = json_string_value(date);
        struct svp_err derr;
        if (svp_date_parse_iso(d, json_string_length(date), &days[i], &derr))
            return svp_err_at(err, SVP_EINPUT, name, 0, field, "%s", derr.msg);
        const char *t = json_is_string(title) ? json_string_value(title) : "";
        titles[i] = svp_strndup(t, strnlen(t, 200));
        if (!titles[i])
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", name);
        *n = i + 1;
    }
    return SVP_OK;
}

int clock_holidays_parse_json(const char *data, size_t len, const char *name, svp_day **days,
                              char ***titles, size_t *n, struct svp_err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return svp_err_at(err, SVP_EINPUT, name, jerr.line > 0 ? jerr.line : 0, NULL,
                          "not valid JSON: %s", jerr.text);
    json_t *div = json_object_get(root, "england-and-wales");
    json_t *events = json_object_get(div, "events");
    int rc = SVP_OK;
    *days = NULL;
    *titles = NULL;
    *n = 0;
    if (!json_is_object(root) || !json_is_object(div))
        rc = svp_err_at(err, SVP_EINPUT, name, 0, "england-and-wales",
                        "no \"england-and-wales\" division: is this gov.uk's "
                        "bank-holidays.json?");
    else if (!json_is_array(events) || json_array_size(events) == 0)
        rc = svp_err_at(err, SVP_EINPUT, name, 0, "events",
                        "the england-and-wales division lists no events");
    else if (json_array_size(events) > MAX_HOLIDAYS)
        rc = svp_err_at(err, SVP_EINPUT, name, 0, "events", "more than %d events", MAX_HOLIDAYS);
    if (rc == SVP_OK) {
        size_t cap = json_array_size(events);
        *days = svp_malloc(cap * sizeof **days);
        *titles = svp_calloc(cap, sizeof **titles);
        if (!*days || !*titles)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", name);
        else
            rc = parse_events(events, name, *days, *titles, n, err);
    }
    json_decref(root);
    if (rc) {
        free_titles(*titles, *n);
        svp_free(*days);
        *days = NULL;
        *titles = NULL;
        *n = 0;
    }
    return rc;
}

static int read_file(const char *path, struct svp_buf *b, struct svp_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot open the file");
    char chunk[4096];
    size_t got;
    int rc = SVP_OK;
    while (rc == SVP_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (svp_buf_append(b, chunk, got))
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "larger than %zu bytes", b->max);
    if (rc == SVP_OK && ferror(f))
        rc = svp_err_at(err, SVP_EIO, path, 0, NULL, "read error");
    fclose(f);
    return rc;
}

static int insert_holiday(struct store_stmt *ins, svp_day day, const char *title,
                          const char *source, const char *now, long *added, struct svp_err *err)
{
    char d[16];
    svp_date_format(day, d, sizeof d);
    store_reset(ins);
    if (store_bind_text(ins, 1, d, -1) || store_bind_text(ins, 2, title, -1) ||
        store_bind_text(ins, 3, source, -1) || store_bind_text(ins, 4, now, -1))
        return svp_err_set(err, SVP_ENOMEM, "out of memory binding a holiday");
    int rc = store_step(ins, err);
    if (rc < 0)
        return rc;
    if (added)
        *added += store_changes(ins) > 0;
    return SVP_OK;
}

static int stored_count(struct store *s, int64_t *n, struct svp_err *err)
{
    return store_query_int64(s, "SELECT count(*) FROM calendar_holiday", n, err);
}

/* Copies the embedded list in, so that a first import without --replace extends it. */
static int seed_embedded(struct store *s, struct store_stmt *ins, const char *now,
                         struct svp_err *err)
{
    const struct svp_embedded *e = svp_data_find("bank-holidays.csv");
    if (!e)
        return svp_err_set(err, SVP_EINTERNAL, "bank-holidays.csv is missing from this build");
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(e->data, e->len, NULL, &csv, err);
    struct svp_csv_row row;
    bool header = true;
    while (rc == SVP_OK && (rc = svp_csv_next(csv, &row, err)) == 1) {
        rc = SVP_OK;
        if (header || row.nfields < 2) {
            header = false;
            continue;
        }
        svp_day d;
        if (svp_date_parse_iso(row.fields[0].p, row.fields[0].len, &d, err))
            rc = SVP_EINTERNAL;
        else
            rc = insert_holiday(ins, d, row.fields[1].p, "embedded", now, NULL, err);
    }
    svp_csv_free(&csv);
    (void)s;
    return rc < 0 ? rc : SVP_OK;
}

int clock_holidays_import(struct store *s, const char *path, bool replace, long *added,
                          struct svp_err *err)
{
    struct svp_buf b;
    svp_buf_init(&b, 4u << 20);
    svp_day *days = NULL;
    char **titles = NULL;
    size_t n = 0;
    int rc = read_file(path, &b, err);
    if (rc == SVP_OK)
        rc = clock_holidays_parse_json(b.data ? b.data : "", b.len, path, &days, &titles, &n, err);
    svp_buf_free(&b);
    if (rc)
        return rc;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char now[32];
    svp_time_format((svp_time)time(NULL), now, sizeof now);
    struct store_stmt *ins = NULL;
    *added = 0;
    int64_t stored = 0;
    rc = store_begin(s, err);
    if (rc == SVP_OK)
        rc = store_prepare(s,
                           "INSERT INTO calendar_holiday (day, title, source, imported_at) "
                           "VALUES (?, ?, ?, ?) ON CONFLICT (day) DO NOTHING",
                           &ins, err);
    if (rc == SVP_OK && replace)
        rc = store_exec(s, "DELETE FROM calendar_holiday", err);
    if (rc == SVP_OK && !replace && (rc = stored_count(s, &stored, err)) == SVP_OK && stored == 0)
        rc = seed_embedded(s, ins, now, err);
    for (size_t i = 0; rc == SVP_OK && i < n; i++)
        rc = insert_holiday(ins, days[i], titles[i], base, now, added, err);
    store_finalize(&ins);
    if (rc == SVP_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    free_titles(titles, n);
    svp_free(days);
    return rc;
}

static int load_stored(struct store *s, struct svp_calendar **out, bool *found, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT day FROM calendar_holiday ORDER BY day", &st, err);
    if (rc)
        return rc;
    svp_day *v = NULL;
    size_t n = 0, cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *t = store_column_text(st, 0);
        svp_day d;
        if (!t || svp_date_parse_iso(t, strlen(t), &d, err)) {
            rc = svp_err_set(err, SVP_EDB, "calendar_holiday holds a bad date");
            break;
        }
        svp_day *nv = svp_grow(v, &cap, n + 1, sizeof *nv, 128);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading holidays");
            break;
        }
        v = nv;
        v[n++] = d;
    }
    store_finalize(&st);
    *found = n > 0;
    if (rc == SVP_OK && n > 0) {
        int fy, ly, m, d;
        svp_date_to_ymd(v[0], &fy, &m, &d);
        svp_date_to_ymd(v[n - 1], &ly, &m, &d);
        rc = svp_calendar_from_days(v, n, fy, ly, out, err);
    }
    svp_free(v);
    return rc;
}

int clock_calendar_load(struct store *s, struct svp_calendar **out, struct svp_err *err)
{
    if (s) {
        bool found = false;
        int rc = load_stored(s, out, &found, err);
        if (rc || found)
            return rc;
    }
    const struct svp_embedded *e = svp_data_find("bank-holidays.csv");
    if (!e)
        return svp_err_set(err, SVP_EINTERNAL, "bank-holidays.csv is missing from this build");
    return svp_calendar_load_csv_mem(e->data, e->len, "data/bank-holidays.csv", out, err);
}
