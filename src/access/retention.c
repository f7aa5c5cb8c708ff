/* Retention: the partnership's rules per source (data/retention.csv, docs/retention.md)
 * say how long svp keeps what each source sent: N years after a record's last event, then
 * the record leaves the live model with its events, histories, relationships and links,
 * either archived (kept as JSON in retention_archive, out of every page) or deleted. A dry
 * run says what would go and writes nothing; a run is one transaction, audited per rule. */
#include "base/json.h"
#include "access_int.h"

#include <jansson.h>
#include <stdlib.h> /* free: jansson's text */
#include <string.h>

struct ret_rule {
    char source[64]; /* a source profile's name, or "*" for every source not named */
    enum access_retention_action action;
    int years;
    long line;
};

struct access_retention {
    struct ret_rule *rules;
    size_t n;
};

static int bad(struct svp_err *err, const char *name, long line, const char *field,
               const char *fmt, const char *what)
{
    svp_err_at(err, SVP_EINPUT, name, line, field, fmt, what);
    return SVP_EINPUT;
}

const char *access_retention_action_name(enum access_retention_action a)
{
    return a == ACCESS_RETAIN_ARCHIVE ? "archive" : a == ACCESS_RETAIN_DELETE ? "delete" : "keep";
}

int access_retention_parse(const char *text, size_t len, const char *name,
                           struct access_retention **out, struct svp_err *err)
{
    *out = NULL;
    struct access_retention *r = svp_calloc(1, sizeof *r);
    if (!r)
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading retention rules");
    struct svp_csv *csv = NULL;
    struct svp_csv_opts o = {.max_field = 256, .max_fields = 16, .check_utf8 = true};
    int rc = svp_csv_open_mem(text, len, &o, &csv, err);
    struct svp_csv_row row;
    bool header = false;
    size_t cap = 0;
    while (!rc && (rc = svp_csv_next(csv, &row, err)) == 1) {
        rc = SVP_OK;
        if (row.error) {
            rc = bad(err, name, row.line, "", "%s", row.error);
            break;
        }
        if (row.nfields == 0 || (row.nfields == 1 && !row.fields[0].len) ||
            row.fields[0].p[0] == '#')
            continue;
        if (!header) {
            if (row.nfields < 3 || strcmp(row.fields[0].p, "source") ||
                strcmp(row.fields[1].p, "action") || strcmp(row.fields[2].p, "years")) {
                rc = bad(err, name, row.line, "",
                         "the first row must be the header %s", "source,action,years");
                break;
            }
            header = true;
            continue;
        }
        if (row.nfields < 3) {
            rc = bad(err, name, row.line, "", "a rule has %s", "source, action and years");
            break;
        }
        struct ret_rule x = {.line = row.line};
        if (!row.fields[0].len || row.fields[0].len >= sizeof x.source) {
            rc = bad(err, name, row.line, "source", "%s",
                     "a source is a profile's name (1-63 characters) or *");
            break;
        }
        memcpy(x.source, row.fields[0].p, row.fields[0].len + 1);
        const char *a = row.fields[1].p;
        if (!strcmp(a, "archive"))
            x.action = ACCESS_RETAIN_ARCHIVE;
        else if (!strcmp(a, "delete"))
            x.action = ACCESS_RETAIN_DELETE;
        else if (!strcmp(a, "keep"))
            x.action = ACCESS_RETAIN_KEEP;
        else {
            rc = bad(err, name, row.line, "action", "%s",
                     "action must be archive, delete or keep");
            break;
        }
        int64_t y = 0;
        if (x.action != ACCESS_RETAIN_KEEP &&
            (svp_parse_i64(row.fields[2].p, &y) || y < 1 || y > 100)) {
            rc = bad(err, name, row.line, "years", "%s",
                     "years must be a whole number from 1 to 100 (years after the last event)");
            break;
        }
        x.years = (int)y;
        for (size_t i = 0; i < r->n; i++)
            if (!strcmp(r->rules[i].source, x.source)) {
                rc = bad(err, name, row.line, "source",
                         "source %s has a rule already: one rule per source", x.source);
                break;
            }
        if (rc)
            break;
        struct ret_rule *g = svp_grow(r->rules, &cap, r->n + 1, sizeof *g, 16);
        if (!g) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading retention rules");
            break;
        }
        r->rules = g;
        r->rules[r->n++] = x;
    }
    svp_csv_free(&csv);
    if (!rc && !header)
        rc = bad(err, name, 1, "", "no header: the file must start with %s",
                 "source,action,years");
    if (rc < 0) {
        access_retention_free(&r);
        return rc;
    }
    *out = r;
    return SVP_OK;
}

void access_retention_free(struct access_retention **pr)
{
    if (!*pr)
        return;
    svp_free((*pr)->rules);
    svp_free(*pr);
    *pr = NULL;
}

int access_retention_shipped(struct access_retention **out, struct svp_err *err)
{
    const struct svp_embedded *e = svp_data_find("retention.csv");
    if (!e)
        return svp_err_set(err, SVP_EINTERNAL, "retention.csv is not embedded");
    return access_retention_parse(e->data, e->len, "data/retention.csv", out, err);
}

static const struct ret_rule *rule_for(const struct access_retention *r, const char *source)
{
    const struct ret_rule *any = NULL;
    for (size_t i = 0; i < r->n; i++) {
        if (!strcmp(r->rules[i].source, source))
            return &r->rules[i];
        if (!strcmp(r->rules[i].source, "*"))
            any = &r->rules[i];
    }
    return any;
}

/* ------------------------------------------------------------------ running */

static int exec1(struct store *s, const char *sql, const char *text, int64_t *changes,
                 struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (!rc && text && store_bind_text(st, 1, text, -1))
        rc = svp_err_set(err, SVP_EDB, "cannot bind a value");
    if (!rc)
        rc = store_step(st, err);
    if (rc >= 0) {
        if (changes)
            *changes = store_changes(st);
        rc = SVP_OK;
    }
    store_finalize(&st);
    return rc;
}

#define DUE "(SELECT record_id FROM retention_due)"

/* What leaves with a due record, in an order the foreign keys allow. */
static const struct {
    const char *table, *where;
} cascade[] = {
    {"event_history", "event_id IN (SELECT id FROM event WHERE record_id IN " DUE ")"},
    {"relationship", "record_a IN " DUE " OR record_b IN " DUE
                     " OR event_id IN (SELECT id FROM event WHERE record_id IN " DUE ")"},
    {"event", "record_id IN " DUE},
    {"record_history", "record_id IN " DUE},
    {"person_record", "record_id IN " DUE},
    {"link_pair", "record_a IN " DUE " OR record_b IN " DUE},
    {"link_decision", "record_a IN " DUE " OR record_b IN " DUE},
    {"link_state", "record_id IN " DUE},
    {"record", "id IN " DUE},
};

/* Copies the rows of table matching where into retention_archive as JSON, under rule. */
static int archive_rows(struct store *s, const char *table, const char *where, const char *rule,
                        const char *now, struct svp_err *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE %s", table, where);
    struct store_stmt *sel = NULL, *ins = NULL;
    int rc = store_prepare(s, sql, &sel, err);
    if (!rc)
        rc = store_prepare(s,
                           "INSERT INTO retention_archive (archived_at, rule, table_name, body) "
                           "VALUES (?, ?, ?, ?)",
                           &ins, err);
    while (!rc && (rc = store_step(sel, err)) == STORE_ROW) {
        rc = SVP_OK;
        json_t *row = json_object();
        for (int c = 0; row && c < store_column_count(sel); c++) {
            const char *v = store_column_is_null(sel, c) ? NULL : store_column_text(sel, c);
            if (json_object_set_new(row, store_column_name(sel, c),
                                    v ? json_string(v) : json_null())) {
                json_decref(row);
                row = NULL;
            }
        }
        char *body = row ? svp_json_dumps(row, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(row);
        if (!body) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory archiving");
            break;
        }
        if (store_bind_text(ins, 1, now, -1) || store_bind_text(ins, 2, rule, -1) ||
            store_bind_text(ins, 3, table, -1) || store_bind_text(ins, 4, body, -1))
            rc = svp_err_set(err, SVP_EDB, "cannot bind a value");
        free(body);
        if (!rc && (rc = store_step(ins, err)) >= 0)
            rc = SVP_OK;
        store_reset(ins);
    }
    store_finalize(&sel);
    store_finalize(&ins);
    return rc < 0 ? rc : SVP_OK;
}

static int count_q(struct store *s, const char *sql, int64_t *out, struct svp_err *err)
{
    return store_query_int64(s, sql, out, err);
}

/* The day `years` years before as_of (29 February becomes 28 February). */
static void cutoff_day(svp_day as_of, int years, char *buf, size_t cap)
{
    char day[16];
    svp_date_format(as_of, day, sizeof day);
    int y = 0, m = 0, d = 0;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (day[i] - '0');
    m = (day[5] - '0') * 10 + (day[6] - '0');
    d = (day[8] - '0') * 10 + (day[9] - '0');
    y -= years;
    if (m == 2 && d == 29)
        d = 28;
    char out[48]; /* room for any int, so the release build's truncation check holds */
    snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
    svp_strlcpy(buf, out, cap);
}

int access_retention_run(struct store *s, const struct access_user *actor,
                         const struct access_retention *rules, svp_day as_of, bool dry_run,
                         struct access_retention_result **out, size_t *n, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    /* The sources held, each under its rule. */
    struct store_stmt *st = NULL;
    struct access_retention_result *res = NULL;
    size_t cap = 0, nres = 0;
    int rc = store_prepare(s, "SELECT DISTINCT source FROM record ORDER BY source", &st, err);
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        const char *src = store_column_text(st, 0);
        struct access_retention_result *g = svp_grow(res, &cap, nres + 1, sizeof *g, 16);
        if (!g) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        res = g;
        struct access_retention_result *x = &res[nres++];
        memset(x, 0, sizeof *x);
        svp_strlcpy(x->source, src ? src : "", sizeof x->source);
        const struct ret_rule *r = rule_for(rules, x->source);
        x->has_rule = r != NULL;
        x->action = r ? r->action : ACCESS_RETAIN_KEEP;
        x->years = r ? r->years : 0;
        if (r && r->action != ACCESS_RETAIN_KEEP)
            cutoff_day(as_of, r->years, x->cutoff, sizeof x->cutoff);
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(res);
        return rc;
    }
    rc = store_begin(s, err);
    if (!rc)
        rc = store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS retention_due "
                           "(record_id BIGINT PRIMARY KEY)", err);
    char now[32];
    access_now_iso(now, sizeof now);
    for (size_t i = 0; !rc && i < nres; i++) {
        struct access_retention_result *x = &res[i];
        if (!x->has_rule || x->action == ACCESS_RETAIN_KEEP)
            continue;
        /* Due: the record's last event (or, with none, when its file came) is before the
         * cutoff. Dates compare as their first 10 characters (YYYY-MM-DD). */
        rc = exec1(s, "DELETE FROM retention_due", NULL, NULL, err);
        struct store_stmt *ins = NULL;
        if (!rc)
            rc = store_prepare(
                s,
                "INSERT INTO retention_due (record_id) SELECT r.id FROM record r "
                "LEFT JOIN source_file f ON f.id = r.file_id WHERE r.source = ? AND "
                "coalesce((SELECT max(substr(e.started_at, 1, 10)) FROM event e WHERE "
                "e.record_id = r.id), substr(f.imported_at, 1, 10)) < ?",
                &ins, err);
        if (!rc && (store_bind_text(ins, 1, x->source, -1) ||
                    store_bind_text(ins, 2, x->cutoff, -1)))
            rc = svp_err_set(err, SVP_EDB, "cannot bind a value");
        if (!rc && (rc = store_step(ins, err)) >= 0)
            rc = SVP_OK;
        store_finalize(&ins);
        if (!rc)
            rc = count_q(s, "SELECT count(*) FROM retention_due", &x->records, err);
        if (!rc)
            rc = count_q(s, "SELECT count(*) FROM event WHERE record_id IN " DUE, &x->events,
                         err);
        if (!rc)
            rc = count_q(s,
                         "SELECT count(*) FROM relationship WHERE record_a IN " DUE
                         " OR record_b IN " DUE,
                         &x->relationships, err);
        if (rc || dry_run || x->records == 0)
            continue;
        char rule[96];
        snprintf(rule, sizeof rule, "%s %s %d", x->source, access_retention_action_name(x->action),
                 x->years);
        for (size_t t = 0; !rc && t < sizeof cascade / sizeof cascade[0]; t++) {
            if (x->action == ACCESS_RETAIN_ARCHIVE)
                rc = archive_rows(s, cascade[t].table, cascade[t].where, rule, now, err);
            char sql[512];
            snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s", cascade[t].table,
                     cascade[t].where);
            if (!rc)
                rc = exec1(s, sql, NULL, NULL, err);
        }
        char object[80], detail[256];
        snprintf(object, sizeof object, "source:%s", x->source);
        snprintf(detail, sizeof detail,
                 "retention: %s after %d years (last event before %s): %lld records, %lld "
                 "events, %lld relationships",
                 access_retention_action_name(x->action), x->years, x->cutoff,
                 (long long)x->records, (long long)x->events, (long long)x->relationships);
        if (!rc)
            rc = access_audit_in_tx(s, actor, "retention", object, NULL, detail, err);
        if (!rc)
            x->done = true;
    }
    if (!rc)
        rc = exec1(s, "DROP TABLE retention_due", NULL, NULL, err);
    if (!rc && !dry_run)
        rc = store_commit(s, err);
    else
        store_rollback(s); /* a dry run writes nothing; a failure leaves all as it was */
    if (rc < 0) {
        svp_free(res);
        return rc;
    }
    *out = res;
    *n = nres;
    return SVP_OK;
}
