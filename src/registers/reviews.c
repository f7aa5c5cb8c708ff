/* Deadlines of the case review register, every clock together, and the learning
 * tracker's overdue actions. */
#include "registers.h"

#include <stdlib.h>
#include <string.h>

/* A review's date field as a clock moment (unset when empty). */
static struct clock_moment date_of(const struct reg_entry *e, const char *field)
{
    struct clock_moment m = {0};
    const char *v = reg_entry_get(e, field);
    struct svp_err err;
    if (v && clock_moment_parse(v, &m, &err))
        memset(&m, 0, sizeof m); /* cannot happen: dates are checked on every write */
    return m;
}

static bool rule_fits(const struct clock_rule *rule, const struct reg_entry *e)
{
    if (rule->when == CLOCK_WHEN_ALWAYS)
        return true;
    if (rule->when != CLOCK_WHEN_FIELD)
        return false; /* first/later/year1 describe event series, not register entries */
    const char *v = reg_entry_get(e, rule->when_name);
    return v && clock_rule_when_matches(rule, v);
}

/* The clocks of one register's entries (all, or the one with ref). */
static int schema_clocks(struct store *s, const struct svp_calendar *cal,
                         const struct clock_rules *rules, const struct clock_query *query,
                         const struct reg_schema *schema, const char *ref, struct clock_list *list,
                         struct svp_err *err)
{
    bool any = false;
    for (size_t r = 0; r < rules->n && !any; r++) {
        const char *reg;
        any = clock_rule_is_register(&rules->v[r], &reg) && !strcmp(reg, schema->name);
    }
    if (!any)
        return SVP_OK;
    struct reg_entry *v = NULL, one;
    size_t n = 0;
    int rc;
    if (ref) {
        if ((rc = reg_get(s, schema, ref, &one, err)))
            return rc;
        v = &one;
        n = 1;
    } else if ((rc = reg_list(s, schema, 0, &v, &n, err))) {
        return rc;
    }
    for (size_t r = 0; r < rules->n && rc == SVP_OK; r++) {
        const struct clock_rule *rule = &rules->v[r];
        const char *reg;
        if (!clock_rule_is_register(rule, &reg) || strcmp(reg, schema->name) != 0)
            continue;
        if (query->rule_id && strcmp(query->rule_id, rule->id) != 0)
            continue;
        for (size_t i = 0; i < n && rc == SVP_OK; i++) {
            if (!rule_fits(rule, &v[i]))
                continue;
            struct clock_moment start = date_of(&v[i], rule->start_field);
            if (!start.set)
                continue;
            struct clock_item item;
            clock_evaluate(cal, rule, start, date_of(&v[i], rule->stop_field), query->as_of, &item);
            item.source_id = v[i].id;
            svp_strlcpy(item.ref, v[i].ref, sizeof item.ref);
            if (clock_query_selects(query, &item) && clock_list_push(list, &item))
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory computing register clocks");
        }
    }
    if (ref)
        reg_entry_clear(&one);
    else
        reg_entries_free(&v, n);
    return rc;
}

int reg_register_clocks(struct store *s, const struct svp_calendar *cal,
                        const struct clock_rules *rules, const struct clock_query *query,
                        const char *name, const char *ref, struct clock_list *list,
                        struct svp_err *err)
{
    if (name) {
        const struct reg_schema *schema = reg_schema_find(name);
        if (!schema)
            return svp_err_set(err, SVP_EINPUT, "no register '%.40s'", name);
        return schema_clocks(s, cal, rules, query, schema, ref, list, err);
    }
    int rc = SVP_OK;
    const struct reg_schema *sc;
    for (size_t i = 0; rc == SVP_OK && (sc = reg_schema_at(i)); i++)
        rc = schema_clocks(s, cal, rules, query, sc, NULL, list, err);
    return rc;
}

int reg_review_clocks(struct store *s, const struct svp_calendar *cal,
                      const struct clock_rules *rules, const struct clock_query *query,
                      const char *ref, struct clock_list *list, struct svp_err *err)
{
    return reg_register_clocks(s, cal, rules, query, "review", ref, list, err);
}

int reg_clocks_all(struct store *s, const struct svp_calendar *cal, const struct clock_rules *rules,
                   const struct clock_query *query, struct clock_list *list, long *skipped,
                   struct svp_err *err)
{
    int rc = clock_compute_events(s, cal, rules, query, list, skipped, err);
    if (rc == SVP_OK)
        rc = reg_register_clocks(s, cal, rules, query, NULL, NULL, list, err);
    return rc;
}

int reg_clock_report(struct store *s, const struct svp_calendar *cal,
                     const struct clock_rules *rules, const struct clock_query *query,
                     struct clock_summary **out, size_t *n, long *skipped, struct svp_err *err)
{
    struct clock_list list = {0};
    int rc = reg_clocks_all(s, cal, rules, query, &list, skipped, err);
    if (rc == SVP_OK)
        rc = clock_summarise(rules, &list, out, n, err);
    clock_list_free(&list);
    return rc;
}

int reg_clock_report_by(struct store *s, const struct svp_calendar *cal,
                        const struct clock_rules *rules, const struct clock_query *query,
                        enum clock_period period, struct clock_period_summary **out, size_t *n,
                        long *skipped, struct svp_err *err)
{
    struct clock_list list = {0};
    int rc = reg_clocks_all(s, cal, rules, query, &list, skipped, err);
    if (rc == SVP_OK)
        rc = clock_summarise_by(rules, &list, period, out, n, err);
    clock_list_free(&list);
    return rc;
}

static int cmp_due(const void *a, const void *b)
{
    const struct reg_entry *x = a, *y = b;
    int c = strcmp(reg_entry_get(x, "due"), reg_entry_get(y, "due"));
    return c ? c : strcmp(x->ref, y->ref);
}

int reg_learning_overdue(struct store *s, svp_day as_of, struct reg_entry **out, size_t *n,
                         struct svp_err *err)
{
    struct reg_entry *v = NULL;
    size_t k = 0, m = 0;
    int rc = reg_list(s, reg_schema_find("action"), 0, &v, &k, err);
    if (rc)
        return rc;
    char today[16];
    svp_date_format(as_of, today, sizeof today);
    for (size_t i = 0; i < k; i++) {
        const char *state = reg_entry_get(&v[i], "state");
        const char *due = reg_entry_get(&v[i], "due");
        bool overdue = state && !strcmp(state, "open") && due && strcmp(due, today) < 0;
        if (overdue)
            v[m++] = v[i]; /* moves the values: v[i] is not cleared below */
        else
            reg_entry_clear(&v[i]);
    }
    if (m > 1)
        qsort(v, m, sizeof *v, cmp_due);
    *out = v;
    *n = m;
    return SVP_OK;
}
