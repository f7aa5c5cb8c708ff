/* `svp calendar add|between|import`: working-day arithmetic on the England and Wales
 * calendar, and gov.uk's bank-holidays.json as its source. */
#include "cli.h"

#include <string.h>
#include <unistd.h>

static const char calendar_help[] =
    "usage: svp calendar add DATE N [--holidays FILE]\n"
    "       svp calendar between DATE1 DATE2 [--holidays FILE]\n"
    "       svp calendar import FILE [--replace]\n"
    "\n"
    "add      prints the N-th working day after DATE (N < 0: before). DATE is day 0,\n"
    "         whether or not it is a working day.\n"
    "between  prints the number of working days after DATE1 up to and including DATE2\n"
    "         (negative when DATE2 is earlier).\n"
    "\n"
    "import   reads gov.uk's bank-holidays.json (https://www.gov.uk/bank-holidays.json)\n"
    "         into the database: its England and Wales dates are added to the list in\n"
    "         use, or with --replace become the whole list. Every open deadline follows.\n"
    "\n"
    "Working days exclude Saturdays, Sundays and England and Wales bank holidays: those\n"
    "imported into the database (--db) if any, else the embedded data/bank-holidays.csv;\n"
    "or --holidays FILE: a CSV whose first column is 'date'.\n"
    "Dates are YYYY-MM-DD.\n";

/* True if the database may hold imported holidays: a server, or a file that exists.
 * Arithmetic without a database uses the embedded list rather than creating one. */
static bool db_present(const char *uri)
{
    if (!strncmp(uri, "postgres", 8))
        return true;
    if (!strncmp(uri, "sqlite:", 7))
        uri += 7;
    return access(uri, F_OK) == 0;
}

static int load_calendar(struct cli_ctx *ctx, struct svp_calendar **cal, struct svp_err *err)
{
    if (!db_present(ctx->db_uri))
        return cli_load_calendar(cal, err);
    struct store *s = NULL;
    int rc = cli_open_db(ctx, false, &s, err);
    if (rc == SVP_OK)
        rc = clock_calendar_load(s, cal, err);
    store_close(&s);
    return rc;
}

static int import_run(struct cli_ctx *ctx, const char *path, bool replace, struct svp_err *err)
{
    struct store *s = NULL;
    int rc = cli_open_db(ctx, true, &s, err);
    long added = 0;
    if (rc == SVP_OK)
        rc = clock_holidays_import(s, path, replace, &added, err);
    struct svp_calendar *cal = NULL;
    if (rc == SVP_OK)
        rc = clock_calendar_load(s, &cal, err);
    if (rc == SVP_OK) {
        svp_day first, last;
        char a[16], b[16];
        svp_calendar_range(cal, &first, &last);
        svp_date_format(first, a, sizeof a);
        svp_date_format(last, b, sizeof b);
        printf("%s%ld %sbank holidays; calendar covers %s to %s\n",
               replace ? "calendar replaced: " : "", added, replace ? "" : "new ", a, b);
    }
    svp_calendar_free(&cal);
    store_close(&s);
    return rc;
}

static int calendar_run(struct cli_ctx *ctx, const char *sub, const char **pos,
                        const char *holidays, struct svp_err *err)
{
    struct svp_calendar *cal = NULL;
    int rc = holidays ? svp_calendar_load_csv(holidays, &cal, err) : load_calendar(ctx, &cal, err);
    if (rc)
        return rc;
    svp_day a, b;
    rc = cli_parse_date(pos[0], "DATE", &a, err);
    if (rc == SVP_OK && !strcmp(sub, "add")) {
        int64_t n;
        if (svp_parse_i64(pos[1], &n) || n < -100000 || n > 100000)
            rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "N", "'%s' is not a whole number of days",
                            pos[1]);
        else if ((rc = svp_calendar_add_working_days(cal, a, (int)n, &b, err)) == SVP_OK) {
            char buf[16];
            svp_date_format(b, buf, sizeof buf);
            printf("%s\n", buf);
        }
    } else if (rc == SVP_OK) {
        int n;
        rc = cli_parse_date(pos[1], "DATE2", &b, err);
        if (rc == SVP_OK && (rc = svp_calendar_working_days_between(cal, a, b, &n, err)) == 0)
            printf("%d\n", n);
    }
    svp_calendar_free(&cal);
    return rc;
}

int cmd_calendar(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *pos[3];
    int npos;
    bool replace = false;
    struct svp_err err;
    const char *holidays = NULL;
    const struct cli_opt opts[] = {
        {"replace", NULL, &replace}, {"holidays", &holidays, NULL}, {NULL, NULL, NULL}};
    int go = cli_begin("calendar", calendar_help, argc, argv, opts, ctx, pos, 3, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos < 1 ||
        (strcmp(pos[0], "add") && strcmp(pos[0], "between") && strcmp(pos[0], "import")))
        return cli_usage_error("calendar", "expected 'add', 'between' or 'import'");
    if (!strcmp(pos[0], "import")) {
        if (holidays)
            return cli_usage_error("calendar", "--holidays goes with 'add' and 'between'");
        if (npos != 2)
            return cli_usage_error("calendar", "'import' takes one FILE");
        int rc = import_run(ctx, pos[1], replace, &err);
        return rc ? cli_fail(&err) : 0;
    }
    if (replace)
        return cli_usage_error("calendar", "--replace goes with 'import'");
    if (npos != 3)
        return cli_usage_error("calendar", "'%s' takes two arguments", pos[0]);
    int rc = calendar_run(ctx, pos[0], pos + 1, holidays, &err);
    return rc ? cli_fail(&err) : 0;
}
