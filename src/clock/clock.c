/* One clock, lists of clocks and their compliance figures. */
#include "clock.h"

#include <stdlib.h>
#include <string.h>

const char *clock_state_name(enum clock_state state)
{
    switch (state) {
    case CLOCK_MET:
        return "met on time";
    case CLOCK_LATE:
        return "met late";
    case CLOCK_OPEN:
        return "open";
    case CLOCK_OVERDUE:
        return "overdue";
    case CLOCK_UNKNOWN:
        break;
    }
    return "cannot count";
}

int clock_moment_parse(const char *s, struct clock_moment *out, struct svp_err *err)
{
    size_t len = strlen(s);
    memset(out, 0, sizeof *out);
    int rc;
    if (len == 10) {
        rc = svp_date_parse_iso(s, len, &out->day, err);
        out->time = (svp_time)out->day * 86400;
    } else {
        rc = svp_time_parse_iso(s, len, &out->time, err);
        /* floor division: days before 1970 stay on the right day */
        out->day = (svp_day)(out->time >= 0 ? out->time / 86400 : -((-out->time + 86399) / 86400));
    }
    out->set = rc == SVP_OK;
    return rc;
}

static void set_day(struct clock_moment *m, svp_day d)
{
    m->day = d;
    m->time = (svp_time)d * 86400;
    m->set = true;
}

/* Working days (or hours for an hours rule) from a to b; false if it cannot be counted. */
static bool count_units(const struct svp_calendar *cal, const struct clock_rule *rule,
                        struct clock_moment a, struct clock_moment b, int *out, struct svp_err *err)
{
    if (rule->unit == CLOCK_HOURS) {
        svp_time d = b.time - a.time;
        /* a part-hour counts as an hour begun: 72h 10m is in the 73rd hour */
        *out = (int)(d >= 0 ? (d + 3599) / 3600 : -((-d + 3599) / 3600));
        return true;
    }
    return svp_calendar_working_days_between(cal, a.day, b.day, out, err) == SVP_OK;
}

void clock_evaluate(const struct svp_calendar *cal, const struct clock_rule *rule,
                    struct clock_moment start, struct clock_moment stop, svp_day as_of,
                    struct clock_item *item)
{
    item->rule = rule;
    item->subject = 0;
    item->start = start;
    item->stop = stop;
    memset(&item->due, 0, sizeof item->due);
    item->taken = item->late_by = 0;
    item->why[0] = '\0';
    int n = rule->amount * rule->direction;
    struct svp_err err;
    svp_day due;
    switch (rule->unit) {
    case CLOCK_WORKING_DAYS:
        if (svp_calendar_add_working_days(cal, start.day, n, &due, &err)) {
            item->state = CLOCK_UNKNOWN;
            svp_strlcpy(item->why, err.msg, sizeof item->why);
            return;
        }
        set_day(&item->due, due);
        break;
    case CLOCK_CALENDAR_DAYS:
        set_day(&item->due, start.day + n);
        break;
    case CLOCK_WEEKS:
        set_day(&item->due, start.day + 7 * n);
        break;
    case CLOCK_MONTHS:
        set_day(&item->due, svp_date_add_months(start.day, n));
        break;
    case CLOCK_HOURS:
        item->due.time = start.time + (svp_time)n * 3600;
        item->due.day = (svp_day)(item->due.time / 86400);
        item->due.set = true;
        break;
    }
    struct clock_moment end = stop;
    if (stop.set) {
        bool on_time =
            rule->unit == CLOCK_HOURS ? stop.time <= item->due.time : stop.day <= item->due.day;
        item->state = on_time ? CLOCK_MET : CLOCK_LATE;
    } else {
        item->state = as_of > item->due.day ? CLOCK_OVERDUE : CLOCK_OPEN;
        set_day(&end, as_of);
        if (rule->unit == CLOCK_HOURS && item->state == CLOCK_OPEN)
            end.time = start.time; /* the hour of as_of is not known: nothing taken yet */
    }
    /* For a "before" rule, time taken is how far ahead of the start the stop came. */
    bool ok = rule->direction > 0 ? count_units(cal, rule, start, end, &item->taken, &err)
                                  : count_units(cal, rule, end, start, &item->taken, &err);
    if (ok && (item->state == CLOCK_LATE || item->state == CLOCK_OVERDUE))
        ok = count_units(cal, rule, item->due, end, &item->late_by, &err);
    if (!ok) {
        item->state = CLOCK_UNKNOWN;
        svp_strlcpy(item->why, err.msg, sizeof item->why);
    }
    if (item->late_by < 0)
        item->late_by = 0;
}

int clock_list_push(struct clock_list *list, const struct clock_item *item)
{
    struct clock_item *v = svp_grow(list->v, &list->cap, list->n + 1, sizeof *v, 64);
    if (!v)
        return SVP_ENOMEM;
    list->v = v;
    list->v[list->n++] = *item;
    return SVP_OK;
}

void clock_list_free(struct clock_list *list)
{
    if (!list)
        return;
    svp_free(list->v);
    list->v = NULL;
    list->n = list->cap = 0;
}

bool clock_query_selects(const struct clock_query *query, const struct clock_item *item)
{
    if (query->rule_id && strcmp(query->rule_id, item->rule->id) != 0)
        return false;
    svp_day d = item->due.set ? item->due.day : item->start.day;
    if (query->has_from && d < query->from)
        return false;
    if (query->has_to && d > query->to)
        return false;
    return true;
}

int clock_summarise(const struct clock_rules *rules, const struct clock_list *list,
                    struct clock_summary **out, size_t *n, struct svp_err *err)
{
    struct clock_summary *v = svp_calloc(rules->n ? rules->n : 1, sizeof *v);
    if (!v)
        return svp_err_set(err, SVP_ENOMEM, "out of memory summarising clocks");
    for (size_t r = 0; r < rules->n; r++)
        v[r] = (struct clock_summary){.rule = &rules->v[r], .pct_on_time = -1};
    /* one pass: an item's rule is an element of rules->v, so its index is a subtraction */
    for (size_t i = 0; i < list->n; i++) {
        const struct clock_item *it = &list->v[i];
        /* compared as addresses: a rule from another table is not ours to count */
        uintptr_t at = (uintptr_t)it->rule, lo = (uintptr_t)rules->v;
        if (at < lo || at >= lo + rules->n * sizeof *rules->v)
            continue;
        struct clock_summary *s = &v[(at - lo) / sizeof *rules->v];
        s->due++;
        switch (it->state) {
        case CLOCK_MET:
            s->on_time++;
            break;
        case CLOCK_LATE:
            s->late++;
            if (it->taken > s->max_taken_late)
                s->max_taken_late = it->taken;
            if (it->late_by > s->max_late_by)
                s->max_late_by = it->late_by;
            break;
        case CLOCK_OVERDUE:
            s->overdue++;
            break;
        case CLOCK_OPEN:
            s->open++;
            break;
        case CLOCK_UNKNOWN:
            s->unknown++;
            break;
        }
    }
    size_t k = 0;
    for (size_t r = 0; r < rules->n; r++) {
        if (v[r].due == 0)
            continue;
        int decided = v[r].on_time + v[r].late + v[r].overdue;
        if (decided > 0) /* round half up */
            v[r].pct_on_time = (v[r].on_time * 200 + decided) / (2 * decided);
        v[k++] = v[r];
    }
    *out = v;
    *n = k;
    return SVP_OK;
}

int clock_period_parse(const char *s, enum clock_period *out, struct svp_err *err)
{
    static const char *const names[] = {"all", "month", "quarter", "year", "fyear"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i])) {
            *out = (enum clock_period)i;
            return SVP_OK;
        }
    return svp_err_at(err, SVP_EINPUT, NULL, 0, "--by",
                      "'%.40s' is not one of all, month, quarter, year, fyear", s);
}

void clock_period_bounds(enum clock_period p, svp_day day, svp_day *first, svp_day *last,
                         char *label, size_t cap)
{
    int y, m, d, fm = 1, months = 12;
    svp_date_to_ymd(day, &y, &m, &d);
    switch (p) {
    case CLOCK_PERIOD_ALL:
        *first = INT32_MIN;
        *last = INT32_MAX;
        snprintf(label, cap, "all");
        return;
    case CLOCK_PERIOD_MONTH:
        fm = m;
        months = 1;
        snprintf(label, cap, "%04d-%02d", y, m);
        break;
    case CLOCK_PERIOD_QUARTER:
        fm = (m - 1) / 3 * 3 + 1;
        months = 3;
        snprintf(label, cap, "%04d Q%d", y, (m - 1) / 3 + 1);
        break;
    case CLOCK_PERIOD_YEAR:
        snprintf(label, cap, "%04d", y);
        break;
    case CLOCK_PERIOD_FYEAR:
        /* the financial year starts on 1 April */
        if (m < 4)
            y--;
        fm = 4;
        snprintf(label, cap, "%04d-%02d", y, (y + 1) % 100);
        break;
    }
    if (svp_date_from_ymd(y, fm, 1, first) != SVP_OK)
        *first = day; /* cannot happen: the first of a month always exists */
    *last = svp_date_add_months(*first, months) - 1;
}

void clock_period_summaries_free(struct clock_period_summary **v, size_t n)
{
    if (!v || !*v)
        return;
    for (size_t i = 0; i < n; i++)
        svp_free((*v)[i].rows);
    svp_free(*v);
    *v = NULL;
}

static svp_day item_day(const struct clock_item *it)
{
    return it->due.set ? it->due.day : it->start.day;
}

static int cmp_item_day(const void *a, const void *b)
{
    svp_day x = item_day(a), y = item_day(b);
    return (x > y) - (x < y);
}

int clock_summarise_by(const struct clock_rules *rules, const struct clock_list *list,
                       enum clock_period period, struct clock_period_summary **out, size_t *n,
                       struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    struct clock_list sorted = {0};
    for (size_t i = 0; i < list->n; i++)
        if (clock_list_push(&sorted, &list->v[i])) {
            clock_list_free(&sorted);
            return svp_err_set(err, SVP_ENOMEM, "out of memory summarising clocks");
        }
    if (sorted.n > 1)
        qsort(sorted.v, sorted.n, sizeof *sorted.v, cmp_item_day);
    struct clock_period_summary *v = NULL;
    size_t k = 0;
    int rc = SVP_OK;
    for (size_t i = 0; i < sorted.n && rc == SVP_OK;) {
        struct clock_period_summary ps = {0};
        clock_period_bounds(period, item_day(&sorted.v[i]), &ps.first, &ps.last, ps.label,
                            sizeof ps.label);
        size_t j = i;
        while (j < sorted.n && item_day(&sorted.v[j]) <= ps.last)
            j++;
        struct clock_list part = {.v = sorted.v + i, .n = j - i, .cap = j - i};
        struct clock_period_summary *nv = svp_realloc(v, (k + 1) * sizeof *nv);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory summarising clocks");
            break;
        }
        v = nv;
        rc = clock_summarise(rules, &part, &ps.rows, &ps.n, err);
        if (rc == SVP_OK)
            v[k++] = ps;
        i = j;
    }
    clock_list_free(&sorted);
    if (rc) {
        clock_period_summaries_free(&v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return SVP_OK;
}

void clock_summary_sentence(const struct clock_summary *s, char *buf, size_t cap)
{
    const struct clock_rule *r = s->rule;
    struct svp_buf b;
    svp_buf_init(&b, cap > 0 ? cap - 1 : 0);
    char limit[96];
    if (r->direction > 0)
        snprintf(limit, sizeof limit, "within %d %s", r->amount, clock_unit_phrase(r->unit));
    else
        snprintf(limit, sizeof limit, "at least %d %s before", r->amount,
                 clock_unit_phrase(r->unit));
    int decided = s->on_time + s->late + s->overdue;
    int rc = svp_buf_printf(&b, "%s: %d due, ", r->times, s->due);
    if (decided > 0 && s->on_time == decided)
        rc |= svp_buf_printf(&b, "all %s", limit);
    else
        rc |= svp_buf_printf(&b, "%d %s", s->on_time, limit);
    if (s->pct_on_time >= 0 && s->on_time != decided)
        rc |= svp_buf_printf(&b, " (%d%%)", s->pct_on_time);
    if (s->late == 1 && r->unit == CLOCK_WORKING_DAYS && r->direction > 0)
        rc |= svp_buf_printf(&b, ", 1 on day %d", s->max_taken_late);
    else if (s->late > 0)
        rc |= svp_buf_printf(&b, ", %d late (up to %d %s late)", s->late, s->max_late_by,
                             r->unit == CLOCK_HOURS ? "hours" : "working days");
    if (s->overdue)
        rc |= svp_buf_printf(&b, ", %d overdue", s->overdue);
    if (s->open)
        rc |= svp_buf_printf(&b, ", %d open", s->open);
    if (s->unknown)
        rc |= svp_buf_printf(&b, ", %d cannot be counted", s->unknown);
    /* a full buffer truncates the sentence, which is still a sentence's start */
    (void)rc;
    if (cap > 0)
        svp_strlcpy(buf, b.data ? b.data : "", cap);
    svp_buf_free(&b);
}

static int cmp_due(const void *a, const void *b)
{
    const struct clock_item *x = a, *y = b;
    if (x->due.time != y->due.time)
        return x->due.time < y->due.time ? -1 : 1;
    if (x->start.time != y->start.time)
        return x->start.time < y->start.time ? -1 : 1;
    int c = strcmp(x->rule->id, y->rule->id);
    if (c)
        return c;
    return (x->source_id > y->source_id) - (x->source_id < y->source_id);
}

int clock_due_soon(const struct svp_calendar *cal, const struct clock_list *list, svp_day as_of,
                   int within, struct clock_list *out, struct svp_err *err)
{
    svp_day limit;
    int rc = svp_calendar_add_working_days(cal, as_of, within, &limit, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < list->n; i++) {
        const struct clock_item *it = &list->v[i];
        if ((it->state == CLOCK_OPEN || it->state == CLOCK_OVERDUE) && it->due.day <= limit &&
            clock_list_push(out, it))
            return svp_err_set(err, SVP_ENOMEM, "out of memory listing clocks");
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_due);
    return SVP_OK;
}
