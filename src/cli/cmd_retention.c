/* `svp retention run`: the partnership's retention rules applied (the access room decides
 * and writes; this file reads the rules file and prints). */
#include "access/access.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char retention_help[] =
    "usage: svp retention run [--rules FILE] [--as-of DATE] [--dry-run]\n"
    "       svp retention rules [--rules FILE]\n"
    "\n"
    "run    applies the retention rules (data/retention.csv, or --rules FILE: the\n"
    "       partnership's own; docs/retention.md) as of DATE (default today): each record\n"
    "       whose last event is more than the rule's years before DATE leaves the live model\n"
    "       with its events, histories, relationships and links, archived (kept, shown\n"
    "       nowhere) or deleted, as the rule for its source says. One transaction; one audit\n"
    "       entry per source acted on. --dry-run prints what would go and writes nothing.\n"
    "rules  checks the rules file and prints the rules.\n";

static int load_rules(const char *path, struct access_retention **out, struct svp_err *err)
{
    if (!path)
        return access_retention_shipped(out, err);
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EINPUT, path, 0, NULL, "cannot read the rules file");
    struct svp_buf b;
    svp_buf_init(&b, 1 << 20);
    char chunk[4096];
    size_t n;
    int rc = SVP_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (svp_buf_append(&b, chunk, n))
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "larger than 1 MiB: not a rules file");
    if (!rc && ferror(f))
        rc = svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot read the rules file");
    fclose(f);
    if (!rc)
        rc = access_retention_parse(b.data ? b.data : "", b.len, path, out, err);
    svp_buf_free(&b);
    return rc;
}

int cmd_retention(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *rules_path = NULL, *as_of_s = NULL, *pos[1];
    bool dry = false;
    const struct cli_opt opts[] = {
        {"rules", &rules_path, NULL},
        {"as-of", &as_of_s, NULL},
        {"dry-run", NULL, &dry},
        {NULL, NULL, NULL},
    };
    int npos;
    struct svp_err err;
    int go = cli_begin("retention", retention_help, argc, argv, opts, ctx, pos, 1, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    const char *sub = npos ? pos[0] : "";
    if (strcmp(sub, "run") && strcmp(sub, "rules"))
        return cli_usage_error("retention", "expected 'run' or 'rules'");
    svp_day as_of = svp_date_today();
    if (as_of_s && cli_parse_date(as_of_s, "--as-of", &as_of, &err))
        return cli_fail(&err);
    struct access_retention *rules = NULL;
    if (load_rules(rules_path, &rules, &err))
        return cli_fail(&err);
    if (!strcmp(sub, "rules")) {
        printf("retention rules from %s: valid\n", rules_path ? rules_path : "data/retention.csv");
        access_retention_free(&rules);
        return 0;
    }
    struct store *s = NULL;
    if (cli_open_db(ctx, true, &s, &err)) {
        access_retention_free(&rules);
        return cli_fail(&err);
    }
    struct access_retention_result *res = NULL;
    size_t n = 0;
    int rc = access_retention_run(s, NULL, rules, as_of, dry, &res, &n, &err);
    store_close(&s);
    access_retention_free(&rules);
    if (rc)
        return cli_fail(&err);
    char day[16];
    svp_date_format(as_of, day, sizeof day);
    printf("retention as of %s%s\n", day, dry ? " (dry run: nothing written)" : "");
    printf("%-16s %-8s %5s %-10s %8s %8s %13s\n", "source", "action", "years", "before",
           "records", "events", "relationships");
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const struct access_retention_result *x = &res[i];
        if (!x->has_rule) {
            printf("%-16s %-8s %5s %-10s (no rule covers this source: kept)\n", x->source, "-",
                   "-", "-");
            continue;
        }
        if (x->action == ACCESS_RETAIN_KEEP) {
            printf("%-16s %-8s %5s %-10s\n", x->source, "keep", "-", "-");
            continue;
        }
        printf("%-16s %-8s %5d %-10s %8lld %8lld %13lld%s\n", x->source,
               access_retention_action_name(x->action), x->years, x->cutoff,
               (long long)x->records, (long long)x->events, (long long)x->relationships,
               x->done ? (x->action == ACCESS_RETAIN_ARCHIVE ? "  archived" : "  deleted") : "");
        total += x->records;
    }
    printf("%lld records %s\n", (long long)total,
           dry ? "would leave the live model" : "left the live model");
    svp_free(res);
    return 0;
}
