/*
 * cli: the `svp` command's shared plumbing. Commands only parse arguments, call library
 * rooms and print; they compute nothing themselves.
 */
#ifndef SVP_CLI_H
#define SVP_CLI_H

#include "base/base.h"
#include "clock/clock.h"
#include "store/store.h"

/* Settings every command shares. */
struct cli_ctx {
    const char *db_uri; /* --db, else $SVP_DB, else svp.db */
    bool quiet;         /* --quiet: no progress */
    const char *wait;   /* --wait SECONDS: how long a write waits for another (NULL: 10 s) */
};

/* A subcommand: `svp NAME ...`. run returns a process exit code (0, 1, 2 or 3). */
struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv, struct cli_ctx *ctx);
};

/* An option a command accepts. Exactly one of value (for --name VALUE) or flag
 * (for --name) is set. */
struct cli_opt {
    const char *name; /* without the leading dashes */
    const char **value;
    bool *flag;
};

/* Parses argv[first..argc): options in opts (plus the common --db, --quiet and --wait, which fill
 * ctx) and up to maxpos positional arguments into pos[]. "-h"/"--help" sets *help.
 * A negative number such as -3 is positional. Returns 0 or SVP_EUSAGE with err set. */
int cli_parse(int argc, char **argv, int first, const struct cli_opt *opts, struct cli_ctx *ctx,
              const char **pos, int maxpos, int *npos, bool *help, struct svp_err *err) SVP_WUR;

/* cli_begin's answer when the command should go on. */
#define CLI_CONTINUE (-1)

/* The preamble every command shares: clears err, parses argv from argv[1] as cli_parse does
 * (opts, ctx, pos, maxpos, npos as there) and handles --help by printing help (borrowed) to
 * stdout. Returns CLI_CONTINUE when the command should go on, else the exit code to return
 * at once: 0 after the help, 2 after a usage error naming command. */
int cli_begin(const char *command, const char *help, int argc, char **argv,
              const struct cli_opt *opts, struct cli_ctx *ctx, const char **pos, int maxpos,
              int *npos, struct svp_err *err) SVP_WUR;

/* Prints "svp: <one-line error>" to stderr and returns the exit code for err->code. */
int cli_fail(const struct svp_err *err);

/* Prints a usage error and the hint to run --help; returns 2. */
int cli_usage_error(const char *command, const char *fmt, ...) SVP_PRINTF(2, 3);

/* Opens ctx's database. With migrate, creates and migrates it as needed (for commands
 * that write); without, refuses a missing, older or newer database. */
int cli_open_db(struct cli_ctx *ctx, bool migrate, struct store **out, struct svp_err *err) SVP_WUR;

/* The wait --wait asks for, in milliseconds (STORE_WAIT_DEFAULT_MS without it); a bad
 * --wait is SVP_EUSAGE. */
int cli_wait_ms(const struct cli_ctx *ctx, int *ms, struct svp_err *err) SVP_WUR;

/* Opens uri as store_open does (flags as there) and applies ctx's --wait; a bad --wait is
 * SVP_EUSAGE. Every command opens its database through this or cli_open_db. */
int cli_open_store(struct cli_ctx *ctx, unsigned flags, struct store **out,
                   struct svp_err *err) SVP_WUR;

/* Loads the working-day calendar: the embedded data/bank-holidays.csv. */
int cli_load_calendar(struct svp_calendar **out, struct svp_err *err) SVP_WUR;

/* Parses an ISO 8601 date argument; on error err names the argument (what). */
int cli_parse_date(const char *s, const char *what, svp_day *out, struct svp_err *err) SVP_WUR;

/* Parses --from/--to (either may be NULL) into q's period; refuses a period that ends
 * before it starts. */
int cli_clock_period(const char *from, const char *to, struct clock_query *q,
                     struct svp_err *err) SVP_WUR;

/* What the clock, review and learning commands share: the database, the calendar in use
 * (imported holidays or the embedded list), the rules (--rules FILE or the embedded
 * table) and the day states are judged on (--as-of, else today). */
struct cli_clock_env {
    struct store *s;
    struct svp_calendar *cal;
    struct clock_rules *rules;
    svp_day as_of;
};

/* Opens everything (see cli_open_db for migrate); rules_path and as_of may be NULL.
 * On error nothing is left open. */
int cli_clock_env_open(struct cli_ctx *ctx, bool migrate, const char *rules_path,
                       const char *as_of, struct cli_clock_env *env,
                       struct svp_err *err) SVP_WUR;
void cli_clock_env_close(struct cli_clock_env *env);

/* Writes s as one CSV field (RFC 4180: quoted when it holds a comma, quote or line end). */
void cli_csv_field(FILE *out, const char *s);

/* Commands (one file each in src/cli/). */
int cmd_db(int argc, char **argv, struct cli_ctx *ctx);
int cmd_calendar(int argc, char **argv, struct cli_ctx *ctx);
int cmd_synth(int argc, char **argv, struct cli_ctx *ctx);
int cmd_import(int argc, char **argv, struct cli_ctx *ctx);
int cmd_profile(int argc, char **argv, struct cli_ctx *ctx);
int cmd_sources(int argc, char **argv, struct cli_ctx *ctx);
int cmd_stats(int argc, char **argv, struct cli_ctx *ctx);
int cmd_clock(int argc, char **argv, struct cli_ctx *ctx);
int cmd_review(int argc, char **argv, struct cli_ctx *ctx);
int cmd_learning(int argc, char **argv, struct cli_ctx *ctx);
int cmd_register(int argc, char **argv, struct cli_ctx *ctx);
int cmd_serve(int argc, char **argv, struct cli_ctx *ctx);
int cmd_user(int argc, char **argv, struct cli_ctx *ctx);
int cmd_audit(int argc, char **argv, struct cli_ctx *ctx);
int cmd_retention(int argc, char **argv, struct cli_ctx *ctx);
int cmd_panel(int argc, char **argv, struct cli_ctx *ctx);
int cmd_person(int argc, char **argv, struct cli_ctx *ctx);

/* Shared by `svp panel` and `svp person` (cmd_panel.c): loads the weights (the embedded
 * default or the file at weights), parses --as-of (default today; "latest": the newest
 * event's day) and --band (may be NULL) into o, and opens ctx's database into *s (owned).
 * Returns CLI_CONTINUE, or the exit code after printing the error: 2 for a bad option
 * value (a usage error naming command), else as cli_fail. */
struct risk_weights;
struct risk_panel_opts;
int cli_risk_begin(const char *command, struct cli_ctx *ctx, const char *as_of, const char *weights,
                   const char *band, struct risk_weights *w, struct risk_panel_opts *o,
                   struct store **s) SVP_WUR;
int cmd_context(int argc, char **argv, struct cli_ctx *ctx);
int cmd_link(int argc, char **argv, struct cli_ctx *ctx);
int cmd_persons(int argc, char **argv, struct cli_ctx *ctx);
int cmd_da(int argc, char **argv, struct cli_ctx *ctx);
int cmd_report(int argc, char **argv, struct cli_ctx *ctx);
int cmd_adults(int argc, char **argv, struct cli_ctx *ctx);
int cmd_household(int argc, char **argv, struct cli_ctx *ctx);

#endif
