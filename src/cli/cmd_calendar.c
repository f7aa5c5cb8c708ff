/* `svp calendar add|between`: working-day arithmetic on the England and Wales calendar. */
#include "cli.h"

#include <string.h>

static const char calendar_help[] =
    "usage: svp calendar add DATE N [--holidays FILE]\n"
    "       svp calendar between DATE1 DATE2 [--holidays FILE]\n"
    "\n"
    "add      prints the N-th working day after DATE (N < 0: before). DATE is day 0,\n"
    "         whether or not it is a working day.\n"
    "between  prints the number of working days after DATE1 up to and including DATE2\n"
    "         (negative when DATE2 is earlier).\n"
    "\n"
    "Working days exclude Saturdays, Sundays and England and Wales bank holidays\n"
    "(data/bank-holidays.csv, or --holidays FILE: a CSV whose first column is 'date').\n"
    "Dates are YYYY-MM-DD.\n";

static int parse_date_arg(const char *s, const char *what, svp_day *out, struct svp_err *err)
{
    int rc = svp_date_parse_iso(s, strlen(s), out, err);
    if (rc)
        svp_err_at(err, rc, NULL, 0, what, "%s", err->msg);
    return rc;
}

static int calendar_run(const char *sub, const char **pos, const char *holidays,
                        struct svp_err *err)
{
    struct svp_calendar *cal = NULL;
    int rc = holidays ? svp_calendar_load_csv(holidays, &cal, err) : cli_load_calendar(&cal, err);
    if (rc)
        return rc;
    svp_day a, b;
    rc = parse_date_arg(pos[0], "DATE", &a, err);
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
        rc = parse_date_arg(pos[1], "DATE2", &b, err);
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
    bool help;
    struct svp_err err;
    const char *holidays = NULL;
    const struct cli_opt opts[] = {{"holidays", &holidays, NULL}, {NULL, NULL, NULL}};
    if (cli_parse(argc, argv, 1, opts, ctx, pos, 3, &npos, &help, &err))
        return cli_usage_error("calendar", "%s", err.msg);
    if (help) {
        fputs(calendar_help, stdout);
        return 0;
    }
    if (npos < 1 || (strcmp(pos[0], "add") && strcmp(pos[0], "between")))
        return cli_usage_error("calendar", "expected 'add' or 'between'");
    if (npos != 3)
        return cli_usage_error("calendar", "'%s' takes two arguments", pos[0]);
    int rc = calendar_run(pos[0], pos + 1, holidays, &err);
    return rc ? cli_fail(&err) : 0;
}
