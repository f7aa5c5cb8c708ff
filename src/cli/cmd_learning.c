/* `svp learning list|add|done|overdue`: the case learning tracker. Recommendations belong
 * to a review, actions to a recommendation, evidence of impact to an action. */
#include "cli.h"
#include "registers/registers.h"

#include <string.h>

static const char learning_help[] =
    "usage: svp learning add REVIEW --recommendation TEXT [--theme T]\n"
    "       svp learning add RECOMMENDATION --action TEXT --owner AGENCY --due DATE\n"
    "       svp learning add ACTION --evidence TEXT [--date DATE]\n"
    "       svp learning done ACTION [--date DATE]\n"
    "       svp learning list [REVIEW]\n"
    "       svp learning overdue [--as-of DATE]\n"
    "\n"
    "A recommendation's parent is a case review (REVIEW), or audit:REF, inspection:REF or\n"
    "child_death:REF (the partnership's registers: svp register).\n"
    "Recommendations get references REVIEW/R1, R2...; actions REVIEW/R1/A1...; evidence\n"
    "REVIEW/R1/A1/E1.... 'done' closes an action (on --date, default today). 'overdue'\n"
    "lists open actions past their due date, oldest first. Dates are YYYY-MM-DD.\n";

struct learning_args {
    const char *recommendation, *theme, *action, *owner, *due, *evidence, *date, *as_of;
};

static int add_child(struct store *s, const char *schema, const char *parent,
                     const struct reg_change *ch, size_t n, struct svp_err *err)
{
    struct reg_entry e;
    int rc = reg_entry_init(&e, reg_schema_find(schema), err);
    for (size_t i = 0; i < n && rc == SVP_OK; i++)
        if (ch[i].value)
            rc = reg_entry_set(&e, ch[i].field, ch[i].value, err);
    if (rc == SVP_OK)
        rc = reg_add(s, &e, parent, err);
    if (rc == SVP_OK)
        printf("added %s %s\n", e.schema->title, e.ref);
    reg_entry_clear(&e);
    return rc;
}

static int learning_add(struct store *s, const char *parent, const struct learning_args *a,
                        svp_day today, struct svp_err *err)
{
    int kinds = (a->recommendation != NULL) + (a->action != NULL) + (a->evidence != NULL);
    if (kinds != 1)
        return svp_err_set(err, SVP_EUSAGE,
                           "give exactly one of --recommendation, --action, --evidence");
    if (a->recommendation) {
        struct reg_change ch[] = {{"text", a->recommendation}, {"theme", a->theme}};
        return add_child(s, "recommendation", parent, ch, 2, err);
    }
    if (a->action) {
        struct reg_change ch[] = {{"text", a->action}, {"owner", a->owner}, {"due", a->due}};
        return add_child(s, "action", parent, ch, 3, err);
    }
    char d[16];
    svp_date_format(today, d, sizeof d);
    struct reg_change ch[] = {{"text", a->evidence}, {"date", a->date ? a->date : d}};
    return add_child(s, "evidence", parent, ch, 2, err);
}

static void print_entry(const struct reg_entry *e, int depth)
{
    printf("%*s%s", depth * 2, "", e->ref);
    if (!strcmp(e->schema->name, "action"))
        printf(" [%s, %s, due %s%s%s]", reg_entry_get(e, "owner"), reg_entry_get(e, "state"),
               reg_entry_get(e, "due"), reg_entry_get(e, "done_date") ? ", done " : "",
               reg_entry_get(e, "done_date") ? reg_entry_get(e, "done_date") : "");
    if (!strcmp(e->schema->name, "evidence"))
        printf(" [%s]", reg_entry_get(e, "date"));
    printf(" %s\n", reg_entry_get(e, "text"));
}

/* Prints the children of parent in register schema, and theirs, depth-first. */
static int print_tree(struct store *s, const char *schema, int64_t parent, int depth,
                      struct svp_err *err)
{
    const struct reg_schema *sc = reg_schema_find(schema);
    struct reg_entry *v = NULL;
    size_t n = 0;
    int rc = reg_list(s, sc, parent, &v, &n, err);
    const char *child = !strcmp(schema, "recommendation") ? "action"
                        : !strcmp(schema, "action")       ? "evidence"
                                                          : NULL;
    for (size_t i = 0; i < n && rc == SVP_OK; i++) {
        print_entry(&v[i], depth);
        if (child)
            rc = print_tree(s, child, v[i].id, depth + 1, err);
    }
    reg_entries_free(&v, n);
    return rc;
}

static int learning_list(struct store *s, const char *review, struct svp_err *err)
{
    const struct reg_schema *rs = reg_schema_find("review");
    struct reg_entry *v = NULL, one;
    size_t n = 0;
    int rc;
    if (review) {
        if ((rc = reg_get(s, rs, review, &one, err)))
            return rc;
        v = &one;
        n = 1;
    } else if ((rc = reg_list(s, rs, 0, &v, &n, err))) {
        return rc;
    }
    for (size_t i = 0; i < n && rc == SVP_OK; i++) {
        printf("%s\n", v[i].ref);
        rc = print_tree(s, "recommendation", v[i].id, 1, err);
    }
    if (review)
        reg_entry_clear(&one);
    else
        reg_entries_free(&v, n);
    return rc;
}

static int learning_overdue(struct store *s, svp_day as_of, struct svp_err *err)
{
    struct reg_entry *v = NULL;
    size_t n = 0;
    int rc = reg_learning_overdue(s, as_of, &v, &n, err);
    if (rc)
        return rc;
    printf("%-10s %-20s %-20s %s\n", "DUE", "ACTION", "OWNER", "TEXT");
    for (size_t i = 0; i < n; i++)
        printf("%-10s %-20s %-20s %s\n", reg_entry_get(&v[i], "due"), v[i].ref,
               reg_entry_get(&v[i], "owner"), reg_entry_get(&v[i], "text"));
    if (n == 0)
        printf("no overdue actions\n");
    reg_entries_free(&v, n);
    return SVP_OK;
}

static int learning_run(struct cli_ctx *ctx, const char **pos, int npos,
                        const struct learning_args *a, struct svp_err *err)
{
    const char *sub = pos[0];
    bool writes = !strcmp(sub, "add") || !strcmp(sub, "done");
    struct store *s = NULL;
    svp_day as_of = svp_date_today();
    int rc = SVP_OK;
    if (a->as_of && (rc = cli_parse_date(a->as_of, "--as-of", &as_of, err)))
        return rc;
    if ((rc = cli_open_db(ctx, writes, &s, err)))
        return rc;
    if (!strcmp(sub, "add")) {
        rc = learning_add(s, pos[1], a, as_of, err);
    } else if (!strcmp(sub, "done")) {
        char d[16];
        svp_date_format(as_of, d, sizeof d);
        struct reg_change ch[] = {{"state", "done"}, {"done_date", a->date ? a->date : d}};
        if ((rc = reg_update(s, reg_schema_find("action"), pos[1], ch, 2, NULL, err)) == 0)
            printf("action %s done\n", pos[1]);
    } else if (!strcmp(sub, "list")) {
        rc = learning_list(s, npos > 1 ? pos[1] : NULL, err);
    } else {
        rc = learning_overdue(s, as_of, err);
    }
    store_close(&s);
    return rc;
}

int cmd_learning(int argc, char **argv, struct cli_ctx *ctx)
{
    struct learning_args a = {0};
    const struct cli_opt opts[] = {
        {"recommendation", &a.recommendation, NULL},
        {"theme", &a.theme, NULL},
        {"action", &a.action, NULL},
        {"owner", &a.owner, NULL},
        {"due", &a.due, NULL},
        {"evidence", &a.evidence, NULL},
        {"date", &a.date, NULL},
        {"as-of", &a.as_of, NULL},
        {NULL, NULL, NULL},
    };
    const char *pos[3];
    int npos;
    struct svp_err err;
    int go = cli_begin("learning", learning_help, argc, argv, opts, ctx, pos, 3, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    static const char *const subs[] = {"add", "done", "list", "overdue"};
    static const int lo[] = {2, 2, 1, 1}, hi[] = {2, 2, 2, 1};
    int k = -1;
    for (int i = 0; npos > 0 && i < 4; i++)
        if (!strcmp(pos[0], subs[i]))
            k = i;
    if (k < 0)
        return cli_usage_error("learning", "expected 'add', 'done', 'list' or 'overdue'");
    if (npos < lo[k] || npos > hi[k])
        return cli_usage_error("learning", "wrong number of arguments for '%s'", subs[k]);
    int rc = learning_run(ctx, pos, npos, &a, &err);
    if (rc == SVP_EUSAGE)
        return cli_usage_error("learning", "%s", err.msg);
    return rc ? cli_fail(&err) : 0;
}
