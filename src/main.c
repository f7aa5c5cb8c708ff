/* The `svp` command: finds the subcommand and hands over. Every command lives in
 * src/cli/cmd_*.c and only calls library rooms. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

static int cmd_help(int argc, char **argv, struct cli_ctx *ctx);
static int cmd_version(int argc, char **argv, struct cli_ctx *ctx);

/* One line per command; keep in the order `svp help` should show them. */
static const struct cli_command commands[] = {
    {"help", "show the commands, or one command's help", cmd_help},
    {"version", "print svp's version", cmd_version},
    {"db", "create, upgrade and inspect the database (migrate, status)", cmd_db},
    {"synth", "generate a synthetic county's extracts with hidden truth", cmd_synth},
    {"import", "import agency extracts through source profiles", cmd_import},
    {"profile", "check, draft and list source profiles (check, draft, list)", cmd_profile},
    {"sources", "list the imported extract files", cmd_sources},
    {"stats", "count records, events, places, relationships, persons, links", cmd_stats},
    {"link", "decide which records are the same person (explain, review)", cmd_link},
    {"persons", "linked persons (export)", cmd_persons},
    {"calendar", "working-day arithmetic and bank holidays (add, between, import)",
     cmd_calendar},
    {"clock", "statutory timescales: compliance report, what falls due (report, due, rules)",
     cmd_clock},
    {"review", "case review register (add, update, list, show, report)", cmd_review},
    {"learning", "case learning tracker (list, add, done, overdue)", cmd_learning},
    {"register", "the partnership's registers: risk, challenges, training, audits, ... (add, update, list, show, import, export, figures)", cmd_register},
    {"serve", "serve the web application and JSON API", cmd_serve},
    {"user", "accounts for the web application (add, passwd, disable, enable, list)", cmd_user},
    {"audit", "the audit trail of views and changes (verify, list)", cmd_audit},
    {"panel", "children most at risk of exploitation, with reasons (save, fairness)", cmd_panel},
    {"person", "a person's score, reasons and chronology; export (subject access)", cmd_person},
    {"household", "Think Family: who a person lives with, and each one's needs", cmd_household},
    {"retention", "apply the partnership's retention rules per source (run, rules)",
     cmd_retention},
    {"context", "places, hotspots, trends, networks and profiles of harm", cmd_context},
    {"da", "domestic abuse: the daily call, DASH, MARAC, Encompass (call, figures, ...)",
     cmd_da},
    {"report", "the core dataset: figures, trends, benchmarks, case reviews (dataset, ...)",
     cmd_report},
    {"adults", "adult safeguarding: the Safeguarding Adults Collection's figures (sac)",
     cmd_adults},
    {NULL, NULL, NULL},
};

static const struct cli_command *find_command(const char *name)
{
    for (const struct cli_command *c = commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

static void print_overview(FILE *out)
{
    fputs("svp: multi-agency safeguarding information system\n\n"
          "usage: svp COMMAND [ARGS] [--db URI] [--quiet] [--wait SECONDS]\n\ncommands:\n",
          out);
    for (const struct cli_command *c = commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fputs("\n'svp COMMAND --help' explains a command. The database is --db, else $SVP_DB,\n"
          "else svp.db: a file path, sqlite:PATH or postgresql://user@host/dbname.\n"
          "A write waits --wait SECONDS (default 10) for another svp process's write to end.\n"
          "Exit codes: 0 success, 1 bad input or a condition to act on (a database busy past\n"
          "the wait, read-only or on a full disk), 2 usage, 3 internal error.\n",
          out);
}

static int cmd_help(int argc, char **argv, struct cli_ctx *ctx)
{
    if (argc < 2) {
        print_overview(stdout);
        return 0;
    }
    const struct cli_command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "svp help: unknown command '%s' (see 'svp help')\n", argv[1]);
        return 2;
    }
    if (c->run == cmd_help) {
        print_overview(stdout);
        return 0;
    }
    char *sub[] = {argv[1], "--help", NULL};
    return c->run(2, sub, ctx);
}

static int cmd_version(int argc, char **argv, struct cli_ctx *ctx)
{
    (void)ctx;
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("usage: svp version\n\nprints svp's version.");
        return 0;
    }
    if (argc > 1) {
        fprintf(stderr, "svp version: unexpected argument '%s' (see 'svp version --help')\n",
                argv[1]);
        return 2;
    }
    printf("svp %s\n", SVP_VERSION);
    return 0;
}

int main(int argc, char **argv)
{
    struct cli_ctx ctx = {.db_uri = getenv("SVP_DB"), .quiet = false};
    if (!ctx.db_uri || !*ctx.db_uri)
        ctx.db_uri = "svp.db";
    if (argc < 2) {
        print_overview(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return cmd_help(1, argv + 1, &ctx);
    if (!strcmp(argv[1], "--version"))
        return cmd_version(1, argv + 1, &ctx);
    const struct cli_command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "svp: unknown command '%s' (see 'svp help')\n", argv[1]);
        return 2;
    }
    return c->run(argc - 1, argv + 1, &ctx);
}
