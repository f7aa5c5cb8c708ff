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
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        struct clock_item *v = svp_realloc(list->v, cap * sizeof *v);
        if (!v)
            return SVP_ENOMEM;
        list->v = v;
        list->cap = cap;
    }
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
    size_t k = 0;
    for (size_t r = 0; r < rules->n; r++) {
        struct clock_summary s = {.rule = &rules->v[r], .pct_on_time = -1};
        for (size_t i = 0; i < list->n; i++) {
            const struct clock_item *it = &list->v[i];
            if (it->rule != &rules->v[r])
                continue;
            s.due++;
            switch (it->state) {
            case CLOCK_MET:
                s.on_time++;
                break;
            case CLOCK_LATE:
                s.late++;
                if (it->taken > s.max_taken_late)
                    s.max_taken_late = it->taken;
                if (it->late_by > s.max_late_by)
                    s.max_late_by = it->late_by;
                break;
            case CLOCK_OVERDUE:
                s.overdue++;
                break;
            case CLOCK_OPEN:
                s.open++;
                break;
            case CLOCK_UNKNOWN:
                s.unknown++;
                break;
            }
        }
        if (s.due == 0)
            continue;
        int decided = s.on_time + s.late + s.overdue;
        if (decided > 0)
            s.pct_on_time = (s.on_time * 200 + decided) / (2 * decided); /* round half up */
        v[k++] = s;
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
