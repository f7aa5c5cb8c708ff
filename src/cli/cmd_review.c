/* `svp review add|update|list|show|report`: the case review register. The options are the
 * review schema's fields, so a field added to the schema is a new option here. */
#include "cli.h"
#include "registers/registers.h"

#include <string.h>

static void print_help(const struct reg_schema *sc)
{
    fputs("usage: svp review add REF --kind KIND [FIELDS]\n"
          "       svp review update REF [FIELDS]\n"
          "       svp review list\n"
          "       svp review show REF\n"
          "       svp review report [--from DATE] [--to DATE]\n"
          "options for all: [--rules FILE] [--as-of DATE]\n"
          "\n"
          "The case review register. REF is the partnership's reference (letters, digits,\n"
          "'-', '_', '.'). Dates are YYYY-MM-DD; an empty value clears a field on update.\n"
          "A review whose dates are out of order is refused and nothing is stored.\n"
          "show and list give each deadline from the clock rules, its state and lateness in\n"
          "working days; report gives the figures annual reports quote.\n\nFIELDS:\n",
          stdout);
    for (size_t i = 0; i < sc->nfields; i++) {
        char opt[48];
        svp_strlcpy(opt, sc->fields[i].name, sizeof opt);
        for (char *p = opt; *p; p++)
            if (*p == '_')
                *p = '-';
        printf("  --%-20s %s\n", opt, sc->fields[i].help);
    }
}

struct review_args {
    const char *values[REG_MAX_FIELDS];
    char names[REG_MAX_FIELDS][48];
    struct cli_opt opts[REG_MAX_FIELDS + 6];
    const char *from, *to, *rules, *as_of;
};

static void build_opts(const struct reg_schema *sc, struct review_args *a)
{
    size_t k = 0;
    for (size_t i = 0; i < sc->nfields; i++) {
        svp_strlcpy(a->names[i], sc->fields[i].name, sizeof a->names[i]);
        for (char *p = a->names[i]; *p; p++)
            if (*p == '_')
                *p = '-';
        a->opts[k++] = (struct cli_opt){a->names[i], &a->values[i], NULL};
    }
    a->opts[k++] = (struct cli_opt){"from", &a->from, NULL};
    a->opts[k++] = (struct cli_opt){"to", &a->to, NULL};
    a->opts[k++] = (struct cli_opt){"rules", &a->rules, NULL};
    a->opts[k++] = (struct cli_opt){"as-of", &a->as_of, NULL};
    a->opts[k] = (struct cli_opt){NULL, NULL, NULL};
}

static void print_clock(const struct clock_item *it)
{
    char due[16] = "-", stop[16] = "-";
    if (it->due.set)
        svp_date_format(it->due.day, due, sizeof due);
    if (it->stop.set)
        svp_date_format(it->stop.day, stop, sizeof stop);
    printf("  %-20s due %-10s done %-10s %-12s", it->rule->id, due, stop,
           clock_state_name(it->state));
    if (it->state == CLOCK_UNKNOWN)
        printf(" (%s)", it->why);
    else if (it->state == CLOCK_LATE || it->state == CLOCK_OVERDUE)
        printf(" %d working days late", it->late_by);
    if (it->rule->unit == CLOCK_WORKING_DAYS && it->rule->direction > 0 && it->stop.set)
        printf(" (day %d)", it->taken);
    putchar('\n');
}

static int show_review(struct cli_clock_env *env, const struct reg_schema *sc, const char *ref,
                       struct svp_err *err)
{
    struct reg_entry e;
    int rc = reg_get(env->s, sc, ref, &e, err);
    if (rc)
        return rc;
    printf("review %s\n", e.ref);
    for (size_t i = 0; i < sc->nfields; i++)
        if (e.values[i])
            printf("  %-20s %s\n", sc->fields[i].name, e.values[i]);
    reg_entry_clear(&e);
    struct clock_query q = {.as_of = env->as_of};
    struct clock_list list = {0};
    rc = reg_review_clocks(env->s, env->cal, env->rules, &q, ref, &list, err);
    if (rc == SVP_OK) {
        printf("deadlines (as of ");
        char d[16];
        svp_date_format(env->as_of, d, sizeof d);
        printf("%s):\n", d);
        for (size_t i = 0; i < list.n; i++)
            print_clock(&list.v[i]);
        if (list.n == 0)
            printf("  none yet (no start date for any rule)\n");
    }
    clock_list_free(&list);
    return rc;
}

static int list_reviews(struct cli_clock_env *env, const struct reg_schema *sc, struct svp_err *err)
{
    struct reg_entry *v = NULL;
    size_t n = 0;
    int rc = reg_list(env->s, sc, 0, &v, &n, err);
    if (rc)
        return rc;
    struct clock_query q = {.as_of = env->as_of};
    struct clock_list list = {0};
    rc = reg_review_clocks(env->s, env->cal, env->rules, &q, NULL, &list, err);
    printf("%-16s %-14s %s\n", "REF", "KIND", "DEADLINES");
    for (size_t i = 0; i < n && rc == SVP_OK; i++) {
        printf("%-16s %-14s", v[i].ref, reg_entry_get(&v[i], "kind"));
        bool any = false;
        for (size_t k = 0; k < list.n; k++) {
            const struct clock_item *it = &list.v[k];
            if (it->source_id != v[i].id)
                continue;
            printf("%s%s %s", any ? ", " : " ", it->rule->id, clock_state_name(it->state));
            if (it->state == CLOCK_LATE || it->state == CLOCK_OVERDUE)
                printf(" +%d", it->late_by);
            any = true;
        }
        printf("%s\n", any ? "" : " -");
    }
    if (n == 0 && rc == SVP_OK)
        printf("no reviews\n");
    clock_list_free(&list);
    reg_entries_free(&v, n);
    return rc;
}

static int report_reviews(struct cli_clock_env *env, const struct review_args *a,
                          struct svp_err *err)
{
    struct clock_query q = {.as_of = env->as_of};
    int rc = SVP_OK;
    if ((rc = cli_clock_period(a->from, a->to, &q, err)))
        return rc;
    struct clock_list list = {0};
    struct clock_summary *rows = NULL;
    size_t n = 0;
    rc = reg_review_clocks(env->s, env->cal, env->rules, &q, NULL, &list, err);
    if (rc == SVP_OK)
        rc = clock_summarise(env->rules, &list, &rows, &n, err);
    for (size_t i = 0; rc == SVP_OK && i < n; i++) {
        char line[512];
        clock_summary_sentence(&rows[i], line, sizeof line);
        printf("%s\n", line);
    }
    if (rc == SVP_OK && n == 0)
        printf("no review deadlines in this period\n");
    svp_free(rows);
    clock_list_free(&list);
    return rc;
}

/* add and update: the changes given on the command line. */
static size_t collect_changes(const struct reg_schema *sc, const struct review_args *a,
                              struct reg_change *ch)
{
    size_t n = 0;
    for (size_t i = 0; i < sc->nfields; i++)
        if (a->values[i])
            ch[n++] = (struct reg_change){sc->fields[i].name, a->values[i]};
    return n;
}

static int add_review(struct cli_clock_env *env, const struct reg_schema *sc, const char *ref,
                      const struct review_args *a, struct svp_err *err)
{
    struct reg_entry e;
    int rc = reg_entry_init(&e, sc, err);
    if (rc)
        return rc;
    svp_strlcpy(e.ref, ref, sizeof e.ref);
    struct reg_change ch[REG_MAX_FIELDS];
    size_t n = collect_changes(sc, a, ch);
    for (size_t i = 0; i < n && rc == SVP_OK; i++)
        rc = reg_entry_set(&e, ch[i].field, ch[i].value, err);
    if (rc == SVP_OK)
        rc = reg_add(env->s, &e, NULL, err);
    reg_entry_clear(&e);
    if (rc == SVP_OK)
        rc = show_review(env, sc, ref, err);
    return rc;
}

static int review_run(struct cli_ctx *ctx, const struct reg_schema *sc, const char **pos, int npos,
                      const struct review_args *a, struct svp_err *err)
{
    const char *sub = pos[0];
    bool writes = !strcmp(sub, "add") || !strcmp(sub, "update");
    struct cli_clock_env env;
    int rc = cli_clock_env_open(ctx, writes, a->rules, a->as_of, &env, err);
    if (rc)
        return rc;
    if (!strcmp(sub, "add")) {
        rc = add_review(&env, sc, pos[1], a, err);
    } else if (!strcmp(sub, "update")) {
        struct reg_change ch[REG_MAX_FIELDS];
        size_t n = collect_changes(sc, a, ch);
        if (n == 0)
            rc = svp_err_set(err, SVP_EUSAGE, "nothing to change: give a field option");
        else if ((rc = reg_update(env.s, sc, pos[1], ch, n, NULL, err)) == SVP_OK)
            rc = show_review(&env, sc, pos[1], err);
    } else if (!strcmp(sub, "show")) {
        rc = show_review(&env, sc, pos[1], err);
    } else if (!strcmp(sub, "list")) {
        rc = list_reviews(&env, sc, err);
    } else {
        rc = report_reviews(&env, a, err);
    }
    (void)npos;
    cli_clock_env_close(&env);
    return rc;
}

int cmd_review(int argc, char **argv, struct cli_ctx *ctx)
{
    const struct reg_schema *sc = reg_schema_find("review");
    static struct review_args zero;
    struct review_args a = zero;
    build_opts(sc, &a);
    const char *pos[3];
    int npos;
    bool help;
    struct svp_err err;
    if (cli_parse(argc, argv, 1, a.opts, ctx, pos, 3, &npos, &help, &err))
        return cli_usage_error("review", "%s", err.msg);
    if (help) {
        print_help(sc);
        return 0;
    }
    static const char *const subs[] = {"add", "update", "show", "list", "report"};
    static const int args[] = {2, 2, 2, 1, 1};
    int k = -1;
    for (int i = 0; npos > 0 && i < 5; i++)
        if (!strcmp(pos[0], subs[i]))
            k = i;
    if (k < 0)
        return cli_usage_error("review", "expected 'add', 'update', 'show', 'list' or 'report'");
    if (npos != args[k])
        return cli_usage_error("review", "'%s' takes %s", subs[k],
                               args[k] == 2 ? "one REF" : "no arguments");
    int rc = review_run(ctx, sc, pos, npos, &a, &err);
    if (rc == SVP_EUSAGE)
        return cli_usage_error("review", "%s", err.msg);
    return rc ? cli_fail(&err) : 0;
}
