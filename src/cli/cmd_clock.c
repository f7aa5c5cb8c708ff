/* `svp clock report|due|rules`: statutory timescales over imported events and registers. */
#include "cli.h"
#include "registers/registers.h"

#include <string.h>

static const char clock_help[] =
    "usage: svp clock report [--rule R] [--from DATE] [--to DATE] [--by PERIOD] [--sentences]\n"
    "       svp clock due [--within N] [--rule R]\n"
    "       svp clock rules\n"
    "options for all: [--rules FILE] [--as-of DATE]\n"
    "\n"
    "report  per rule: clocks whose deadline falls in the period, met on time, met late,\n"
    "        overdue, open (not yet due) and the percentage on time (of those decided).\n"
    "        --by month|quarter|year|fyear splits it by deadline (fyear: April-March).\n"
    "        --sentences prints each rule as an annual report would put it.\n"
    "due     clocks not yet stopped that fall due within N working days (default 5),\n"
    "        overdue ones included, oldest deadline first.\n"
    "rules   lists the rules in use and checks a --rules file.\n"
    "\n"
    "Rules come from data/clock-rules.csv unless --rules names a file of the same form.\n"
    "Open and overdue are judged on --as-of (default today). Deadlines use the bank\n"
    "holidays imported with 'svp calendar import', else the embedded list.\n";

struct clock_args {
    const char *rule, *from, *to, *within, *rules, *as_of, *by;
    bool sentences;
};

static int print_rules(const struct clock_rules *rules)
{
    printf("%-26s %-6s %-14s %-6s %-44s %s\n", "RULE", "AMOUNT", "UNIT", "DIR", "FROM -> TO",
           "SOURCE");
    for (size_t i = 0; i < rules->n; i++) {
        const struct clock_rule *r = &rules->v[i];
        char span[4 * CLOCK_NAME_MAX + 8];
        snprintf(span, sizeof span, "%s.%s -> %s.%s", r->start_event, r->start_field, r->stop_event,
                 r->stop_field);
        printf("%-26s %-6d %-14s %-6s %-44s %s\n", r->id, r->amount, clock_unit_name(r->unit),
               r->direction > 0 ? "after" : "before", span, r->source);
    }
    return SVP_OK;
}

static void print_rows(const struct clock_summary *rows, size_t n, const char *period,
                       bool sentences)
{
    for (size_t i = 0; i < n; i++) {
        if (sentences) {
            char line[512];
            clock_summary_sentence(&rows[i], line, sizeof line);
            printf("%s%s%s\n", period ? period : "", period ? ": " : "", line);
            continue;
        }
        char pct[16] = "-";
        if (rows[i].pct_on_time >= 0)
            snprintf(pct, sizeof pct, "%d%%", rows[i].pct_on_time);
        if (period)
            printf("%-8s ", period);
        printf("%-26s %6d %8d %6d %8d %6d %10s\n", rows[i].rule->id, rows[i].due, rows[i].on_time,
               rows[i].late, rows[i].overdue, rows[i].open, pct);
    }
}

static int run_report(struct cli_clock_env *env, const struct clock_query *q, enum clock_period by,
                      bool sentences, struct svp_err *err)
{
    struct clock_period_summary *ps = NULL;
    size_t n = 0, rows = 0;
    long skipped = 0;
    int rc = reg_clock_report_by(env->s, env->cal, env->rules, q, by, &ps, &n, &skipped, err);
    if (rc)
        return rc;
    if (!sentences)
        printf("%s%-26s %6s %8s %6s %8s %6s %10s\n", by != CLOCK_PERIOD_ALL ? "PERIOD   " : "",
               "RULE", "DUE", "ON TIME", "LATE", "OVERDUE", "OPEN", "% ON TIME");
    for (size_t i = 0; i < n; i++) {
        print_rows(ps[i].rows, ps[i].n, by != CLOCK_PERIOD_ALL ? ps[i].label : NULL, sentences);
        rows += ps[i].n;
    }
    if (rows == 0)
        printf("no clocks in this period\n");
    if (skipped)
        fprintf(stderr, "svp clock: %ld events with dates that cannot be read were left out\n",
                skipped);
    clock_period_summaries_free(&ps, n);
    return SVP_OK;
}

static int run_due(struct cli_clock_env *env, const struct clock_query *q, int within,
                   struct svp_err *err)
{
    struct clock_list all = {0}, soon = {0};
    int rc = reg_clocks_all(env->s, env->cal, env->rules, q, &all, NULL, err);
    if (rc == SVP_OK)
        rc = clock_due_soon(env->cal, &all, env->as_of, within, &soon, err);
    if (rc == SVP_OK) {
        printf("%-10s %-26s %-20s %-10s %-8s %s\n", "DUE", "RULE", "WHAT", "STARTED", "STATE",
               "LATE BY");
        for (size_t i = 0; i < soon.n; i++) {
            const struct clock_item *it = &soon.v[i];
            char due[16], start[16], late[32] = "";
            svp_date_format(it->due.day, due, sizeof due);
            svp_date_format(it->start.day, start, sizeof start);
            if (it->state == CLOCK_OVERDUE)
                snprintf(late, sizeof late, "%d %s", it->late_by,
                         it->rule->unit == CLOCK_HOURS ? "hours" : "working days");
            printf("%-10s %-26s %-20s %-10s %-8s %s\n", due, it->rule->id, it->ref, start,
                   clock_state_name(it->state), late);
        }
        if (soon.n == 0)
            printf("nothing falls due\n");
    }
    clock_list_free(&all);
    clock_list_free(&soon);
    return rc;
}

static int clock_run(struct cli_ctx *ctx, const char *sub, const struct clock_args *a,
                     struct svp_err *err)
{
    struct clock_query q = {.rule_id = a->rule};
    int64_t within = 5;
    int rc = SVP_OK;
    if ((rc = cli_clock_period(a->from, a->to, &q, err)))
        return rc;
    if (a->within && (svp_parse_i64(a->within, &within) || within < 0 || within > 1000))
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "--within",
                          "'%s' is not a number of working days from 0 to 1000", a->within);
    enum clock_period by = CLOCK_PERIOD_ALL;
    if (a->by && (rc = clock_period_parse(a->by, &by, err)))
        return rc;
    if (!strcmp(sub, "rules")) {
        struct clock_rules *rules = NULL;
        if ((rc = clock_rules_load(a->rules, &rules, err)))
            return rc;
        rc = print_rules(rules);
        clock_rules_free(&rules);
        return rc;
    }
    struct cli_clock_env env;
    if ((rc = cli_clock_env_open(ctx, false, a->rules, a->as_of, &env, err)))
        return rc;
    q.as_of = env.as_of;
    if (a->rule && !clock_rules_find(env.rules, a->rule))
        rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "--rule",
                        "no rule '%.60s' (see 'svp clock "
                        "rules')",
                        a->rule);
    else if (!strcmp(sub, "report"))
        rc = run_report(&env, &q, by, a->sentences, err);
    else
        rc = run_due(&env, &q, (int)within, err);
    cli_clock_env_close(&env);
    return rc;
}

int cmd_clock(int argc, char **argv, struct cli_ctx *ctx)
{
    struct clock_args a = {0};
    const struct cli_opt opts[] = {
        {"rule", &a.rule, NULL},           {"from", &a.from, NULL},   {"to", &a.to, NULL},
        {"within", &a.within, NULL},       {"rules", &a.rules, NULL}, {"as-of", &a.as_of, NULL},
        {"sentences", NULL, &a.sentences}, {"by", &a.by, NULL},       {NULL, NULL, NULL},
    };
    const char *pos[2];
    int npos;
    struct svp_err err;
    int go = cli_begin("clock", clock_help, argc, argv, opts, ctx, pos, 2, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos != 1 || (strcmp(pos[0], "report") && strcmp(pos[0], "due") && strcmp(pos[0], "rules")))
        return cli_usage_error("clock", "expected 'report', 'due' or 'rules'");
    int rc = clock_run(ctx, pos[0], &a, &err);
    return rc ? cli_fail(&err) : 0;
}
