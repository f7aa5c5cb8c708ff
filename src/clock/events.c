/* Clocks over imported events: for each rule, each start event is paired with the first
 * stop event of the same subject (linked person, else agency record) on or after it. */
#include "clock.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct ev {
    int64_t id, subj;
    struct clock_moment at; /* started_at */
    char *ended_at, *detail, *subtype;
    json_t *json; /* detail parsed on first use (parsed says whether it was tried) */
    bool parsed;
};

struct ev_list {
    char type[CLOCK_NAME_MAX];
    struct ev *v;
    size_t n;
};

/* The event lists loaded so far in one computation, by type. */
struct ev_cache {
    struct ev_list *lists;
    size_t n;
};

static void ev_list_clear(struct ev_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        svp_free(l->v[i].ended_at);
        svp_free(l->v[i].detail);
        svp_free(l->v[i].subtype);
        json_decref(l->v[i].json);
    }
    svp_free(l->v);
}

static void ev_cache_free(struct ev_cache *c)
{
    for (size_t i = 0; i < c->n; i++)
        ev_list_clear(&c->lists[i]);
    svp_free(c->lists);
}

static int cmp_ev(const void *a, const void *b)
{
    const struct ev *x = a, *y = b;
    if (x->subj != y->subj)
        return x->subj < y->subj ? -1 : 1;
    if (x->at.time != y->at.time)
        return x->at.time < y->at.time ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static char *dup_or_null(const char *s)
{
    return s ? svp_strdup(s) : NULL;
}

/* Loads the events a spec names: "type" or "type/subtype". */
static int load_type(struct store *s, const char *spec, struct ev_list *out, long *skipped,
                     struct svp_err *err)
{
    char type[CLOCK_NAME_MAX];
    svp_strlcpy(type, spec, sizeof type);
    char *slash = strchr(type, '/');
    const char *subtype = NULL;
    if (slash) {
        *slash = '\0';
        subtype = slash + 1;
    }
    static const char sql[] =
        "SELECT e.id, COALESCE(pr.person_id, -e.record_id), e.started_at, e.ended_at, "
        "e.detail, e.subtype FROM event e LEFT JOIN person_record pr ON pr.record_id = "
        "e.record_id WHERE e.type = ?";
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, type, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory binding a query");
    }
    size_t cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct clock_moment at;
        struct svp_err perr;
        const char *started = store_column_text(st, 2);
        const char *sub = store_column_text(st, 5);
        if (subtype && (!sub || strcmp(sub, subtype) != 0))
            continue;
        if (!started || clock_moment_parse(started, &at, &perr)) {
            if (skipped)
                (*skipped)++;
            continue;
        }
        struct ev *v = svp_grow(out->v, &cap, out->n + 1, sizeof *v, 256);
        if (!v) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading events");
            break;
        }
        out->v = v;
        struct ev *e = &out->v[out->n];
        e->id = store_column_int64(st, 0);
        e->subj = store_column_int64(st, 1);
        e->at = at;
        e->ended_at = dup_or_null(store_column_text(st, 3));
        e->detail = dup_or_null(store_column_text(st, 4));
        e->subtype = dup_or_null(store_column_text(st, 5));
        e->json = NULL;
        e->parsed = false;
        out->n++;
        if ((store_column_text(st, 3) && !e->ended_at) ||
            (store_column_text(st, 4) && !e->detail) || (store_column_text(st, 5) && !e->subtype)) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading events");
            break;
        }
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_ev);
    return SVP_OK;
}

static const struct ev_list *cache_find(const struct ev_cache *c, const char *type)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->lists[i].type, type))
            return &c->lists[i];
    return NULL;
}

/* Loads the events of type into the cache unless already there. Pointers from cache_find
 * are invalid after a load: find them again. */
static int cache_load(struct ev_cache *c, struct store *s, const char *type, long *skipped,
                      struct svp_err *err)
{
    if (cache_find(c, type))
        return SVP_OK;
    struct ev_list *v = svp_realloc(c->lists, (c->n + 1) * sizeof *v);
    if (!v)
        return svp_err_set(err, SVP_ENOMEM, "out of memory loading events");
    c->lists = v;
    struct ev_list *l = &c->lists[c->n];
    memset(l, 0, sizeof *l);
    svp_strlcpy(l->type, type, sizeof l->type);
    c->n++;
    return load_type(s, type, l, skipped, err);
}

/* The value of a field of e: started_at, ended_at, subtype or a key of its detail JSON.
 * Returns an owned string, or NULL when the field is empty or missing. *bad is set when
 * the detail is not a JSON object or the key holds something other than a string. */
static char *field_text(struct ev *e, const char *field, bool *bad)
{
    if (!strcmp(field, "ended_at"))
        return dup_or_null(e->ended_at);
    if (!strcmp(field, "subtype"))
        return dup_or_null(e->subtype);
    if (!e->detail)
        return NULL;
    if (!e->parsed) {
        json_error_t jerr;
        e->json = json_loads(e->detail, JSON_REJECT_DUPLICATES, &jerr);
        e->parsed = true;
    }
    json_t *root = e->json;
    char *out = NULL;
    if (!json_is_object(root)) {
        *bad = true;
    } else {
        json_t *v = json_object_get(root, field);
        if (json_is_string(v) && json_string_length(v) > 0)
            out = svp_strdup(json_string_value(v));
        else if (v && !json_is_null(v) && !json_is_string(v))
            *bad = true;
    }
    return out;
}

/* The moment a field of e gives; unset when empty. false when it cannot be read. */
static bool field_moment(struct ev *e, const char *field, struct clock_moment *m)
{
    memset(m, 0, sizeof *m);
    if (!strcmp(field, "started_at")) {
        *m = e->at;
        return true;
    }
    bool bad = false;
    char *t = field_text(e, field, &bad);
    struct svp_err err;
    if (t && clock_moment_parse(t, m, &err))
        bad = true;
    svp_free(t);
    return !bad;
}

/* The index of the first event of subject subj in l (sorted by subject), or l->n. */
static size_t subj_first(const struct ev_list *l, int64_t subj)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid].subj < subj)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The subject's latest event in l on or before day, or NULL. */
static struct ev *latest_before(const struct ev_list *l, int64_t subj, svp_day day)
{
    struct ev *a = NULL;
    for (size_t k = subj_first(l, subj); k < l->n && l->v[k].subj == subj; k++)
        if (l->v[k].at.day <= day)
            a = &l->v[k];
    return a;
}

/* The `when` column: does start event list->v[i] start a clock under rule? */
static void applies(const struct clock_rule *rule, const struct ev_list *list, size_t i,
                    const struct ev_list *anchor, bool *yes)
{
    struct ev *e = &list->v[i];
    bool first = i == 0 || list->v[i - 1].subj != e->subj;
    if (!first && anchor && (rule->when == CLOCK_WHEN_FIRST || rule->when == CLOCK_WHEN_LATER)) {
        /* first since the subject's latest anchor (a care episode's start): the previous
         * start event belongs to an earlier episode */
        const struct ev *a = latest_before(anchor, e->subj, e->at.day);
        first = a && list->v[i - 1].at.day < a->at.day;
    }
    *yes = true;
    switch (rule->when) {
    case CLOCK_WHEN_ALWAYS:
        break;
    case CLOCK_WHEN_FIRST:
        *yes = first;
        break;
    case CLOCK_WHEN_LATER:
        *yes = !first;
        break;
    case CLOCK_WHEN_YEAR1:
    case CLOCK_WHEN_AFTER_YEAR1: {
        /* the subject's latest anchor event on or before e */
        const struct ev *a = latest_before(anchor, e->subj, e->at.day);
        if (!a) {
            *yes = false;
            break;
        }
        bool in_year1 = e->at.day < svp_date_add_months(a->at.day, 12);
        *yes = rule->when == CLOCK_WHEN_YEAR1 ? in_year1 : !in_year1;
        break;
    }
    case CLOCK_WHEN_FIELD: {
        bool bad = false;
        char *v = field_text(e, rule->when_name, &bad);
        *yes = v && clock_rule_when_matches(rule, v);
        svp_free(v);
        break;
    }
    }
}

/* True when the rule's `until` made the clock unnecessary: the plan or episode ended on or
 * before the deadline and before anything stopped the clock. */
static bool ended_before_due(const struct clock_rule *rule, const struct ev_list *untils,
                             struct ev *e, const struct clock_item *item)
{
    struct clock_moment end = {0};
    if (!rule->until_field[0]) {
        /* the next until event of the subject on or after the start event */
        for (size_t k = subj_first(untils, e->subj); k < untils->n && untils->v[k].subj == e->subj;
             k++)
            if (untils->v[k].at.day >= e->at.day) {
                end = untils->v[k].at;
                break;
            }
    } else {
        struct ev *a = strcmp(rule->until_event, rule->start_event) == 0
                           ? e
                           : latest_before(untils, e->subj, e->at.day);
        if (a && !field_moment(a, rule->until_field, &end))
            memset(&end, 0, sizeof end);
    }
    if (!end.set || !item->due.set || end.day > item->due.day)
        return false;
    return !item->stop.set || item->stop.day > end.day;
}

static int rule_clocks(struct store *s, const struct svp_calendar *cal,
                       const struct clock_rule *rule, const struct clock_query *query,
                       struct ev_cache *cache, struct clock_list *list, long *skipped,
                       struct svp_err *err)
{
    bool same = !strcmp(rule->stop_event, "same");
    bool anchored = rule->when != CLOCK_WHEN_FIELD && rule->when_name[0];
    int rc = cache_load(cache, s, rule->start_event, skipped, err);
    if (rc == SVP_OK && !same)
        rc = cache_load(cache, s, rule->stop_event, skipped, err);
    if (rc == SVP_OK && anchored)
        rc = cache_load(cache, s, rule->when_name, skipped, err);
    if (rc == SVP_OK && rule->until_event[0])
        rc = cache_load(cache, s, rule->until_event, skipped, err);
    if (rc)
        return rc;
    const struct ev_list *untils =
        rule->until_event[0] ? cache_find(cache, rule->until_event) : NULL;
    const struct ev_list *starts = cache_find(cache, rule->start_event);
    const struct ev_list *stops = same ? NULL : cache_find(cache, rule->stop_event);
    const struct ev_list *anchor = anchored ? cache_find(cache, rule->when_name) : NULL;
    bool chain = !same && !strcmp(rule->start_event, rule->stop_event);
    size_t j = 0;
    for (size_t i = 0; i < starts->n; i++) {
        struct ev *e = &starts->v[i];
        bool yes;
        applies(rule, starts, i, anchor, &yes);
        if (!yes)
            continue;
        struct clock_moment start, stop = {0};
        if (!field_moment(e, rule->start_field, &start)) {
            if (skipped)
                (*skipped)++;
            continue;
        }
        if (!start.set)
            continue; /* e.g. a missing episode with no return yet: no clock runs */
        if (same) {
            if (!field_moment(e, rule->stop_field, &stop) && skipped)
                (*skipped)++;
        } else {
            /* first stop event of this subject on or after the start event (strictly
             * after it when a rule chains an event type to its next occurrence) */
            while (j < stops->n &&
                   (stops->v[j].subj < e->subj ||
                    (stops->v[j].subj == e->subj &&
                     (chain ? cmp_ev(&stops->v[j], e) <= 0 : stops->v[j].at.day < e->at.day))))
                j++;
            if (j < stops->n && stops->v[j].subj == e->subj &&
                !field_moment(&stops->v[j], rule->stop_field, &stop) && skipped)
                (*skipped)++;
        }
        struct clock_item item;
        clock_evaluate(cal, rule, start, stop, query->as_of, &item);
        if (untils && ended_before_due(rule, untils, e, &item))
            continue;
        item.source_id = e->id;
        item.subject = e->subj;
        snprintf(item.ref, sizeof item.ref, "event %lld", (long long)e->id);
        if (clock_query_selects(query, &item) && clock_list_push(list, &item))
            return svp_err_set(err, SVP_ENOMEM, "out of memory computing clocks");
    }
    return SVP_OK;
}

int clock_compute_events(struct store *s, const struct svp_calendar *cal,
                         const struct clock_rules *rules, const struct clock_query *query,
                         struct clock_list *list, long *skipped, struct svp_err *err)
{
    struct ev_cache cache = {0};
    int rc = SVP_OK;
    for (size_t r = 0; r < rules->n && rc == SVP_OK; r++) {
        const struct clock_rule *rule = &rules->v[r];
        if (clock_rule_is_register(rule, NULL))
            continue;
        if (query->rule_id && strcmp(query->rule_id, rule->id) != 0)
            continue;
        rc = rule_clocks(s, cal, rule, query, &cache, list, skipped, err);
    }
    ev_cache_free(&cache);
    return rc;
}

int clock_latest_event_day(struct store *s, svp_day *out, struct svp_err *err)
{
    char upto[16];
    svp_date_format(svp_date_today() + 2, upto, sizeof upto);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT MAX(started_at) FROM event WHERE started_at < ?", &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, upto, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory binding a query");
    }
    rc = store_step(st, err);
    const char *t = rc == STORE_ROW ? store_column_text(st, 0) : NULL;
    struct svp_err perr;
    bool found = t && strlen(t) >= 10 && svp_date_parse_iso(t, 10, out, &perr) == SVP_OK;
    store_finalize(&st);
    if (rc < 0)
        return rc;
    return found ? SVP_OK : svp_err_set(err, SVP_ENOTFOUND, "there are no dated events yet");
}
