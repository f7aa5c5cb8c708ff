/* `svp report dataset|reviews|benchmarks`: the partnership's core dataset. */
#include "cli.h"
#include "report/report.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char report_help[] =
    "usage: svp report dataset [--period P] [--format F] [--out FILE] [--population N]\n"
    "                          [--benchmarks FILE] [--thresholds FILE] [--years N]\n"
    "       svp report reviews [--since DATE] [--until DATE]\n"
    "       svp report benchmarks [--benchmarks FILE] [--thresholds FILE]\n"
    "\n"
    "dataset     every figure of the core dataset (docs/dataset.md defines each) for the\n"
    "            period, its quarters and the financial years before, with benchmarks and\n"
    "            exception lines. --period: 2021-22 (financial year, the default: the one of\n"
    "            the latest event), 2022, 2022Q1, 2022-06 or 2021-04-01..2022-03-31.\n"
    "            --format table (default), csv, json, html (one self-contained page with SVG\n"
    "            charts), xlsx (one sheet per theme) or pdf (the html printed by headless\n"
    "            Chromium); xlsx and pdf need --out FILE. --population: children aged 0-17\n"
    "            (default data/population.csv). --years: financial years in the trend (5).\n"
    "reviews     the annual report's case review table: notifications within 5 working days\n"
    "            and rapid reviews within 15 working days of becoming aware, publications\n"
    "            within 6 months of initiation, for reviews the partnership became aware of\n"
    "            between --since and --until (default: all).\n"
    "benchmarks  checks and lists the benchmarks (data/benchmarks.csv) and thresholds\n"
    "            (data/report-thresholds.csv), or the files given.\n";

struct report_args {
    const char *period, *format, *out, *population, *benchmarks, *thresholds, *years;
    const char *since, *until;
};

/* Prints the HTML at html_path to pdf_path with headless Chromium. */
static int print_pdf(const char *html_path, const char *pdf_path, struct svp_err *err)
{
    const char *chromium = getenv("SVP_CHROMIUM");
    if (!chromium || !chromium[0])
        chromium = "chromium";
    char url[8400], arg[4400];
    char cwd[4096];
    if (html_path[0] != '/' && !getcwd(cwd, sizeof cwd))
        return svp_err_set(err, SVP_EIO, "cannot tell the current directory");
    if (strlen(html_path) > 4000 || strlen(pdf_path) > 4000)
        return svp_err_set(err, SVP_EINPUT, "the --out path is too long");
    snprintf(url, sizeof url, "file://%.4095s%s%.4000s", html_path[0] == '/' ? "" : cwd,
             html_path[0] == '/' ? "" : "/", html_path);
    snprintf(arg, sizeof arg, "--print-to-pdf=%.4000s", pdf_path);
    char *argv[] = {(char *)chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-pdf-header-footer",
                    arg,
                    url,
                    NULL};
    pid_t pid;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int e = posix_spawnp(&pid, chromium, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e)
        return svp_err_set(err, SVP_EIO, "cannot run %s to print the PDF: %s", chromium,
                           strerror(e));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || access(pdf_path, R_OK) != 0)
        return svp_err_set(err, SVP_EIO, "%s could not print the dataset to %s", chromium,
                           pdf_path);
    return SVP_OK;
}

static int write_file(const char *path, const char *data, size_t len, struct svp_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot write: %s", strerror(errno));
    bool ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    return ok ? SVP_OK : svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot write the file");
}

static int run_dataset(struct cli_ctx *ctx, const struct report_args *a, struct svp_err *err)
{
    struct report_opts o = {
        .period = a->period, .benchmarks = a->benchmarks, .thresholds = a->thresholds};
    int64_t v;
    if (a->population) {
        if (svp_parse_i64(a->population, &v) || v < 1 || v > 1000000000)
            return svp_err_at(err, SVP_EUSAGE, NULL, 0, "--population",
                              "'%.20s' is not a number of children", a->population);
        o.population = (long)v;
    }
    if (a->years) {
        if (svp_parse_i64(a->years, &v) || v < 1 || v > 10)
            return svp_err_at(err, SVP_EUSAGE, NULL, 0, "--years",
                              "'%.20s' is not a number of years from 1 to 10", a->years);
        o.years = (int)v;
    }
    const char *fmt_name = a->format ? a->format : "table";
    bool xlsx = !strcmp(fmt_name, "xlsx"), pdf = !strcmp(fmt_name, "pdf");
    enum report_format fmt = REPORT_HTML;
    int rc = SVP_OK;
    if (!xlsx && !pdf && (rc = report_format_parse(fmt_name, &fmt, err)))
        return rc;
    if ((xlsx || pdf) && !a->out)
        return svp_err_at(err, SVP_EUSAGE, NULL, 0, "--out",
                          "--format %s writes a file: give it with --out FILE", fmt_name);
    if (a->period) {
        struct report_period p;
        if ((rc = report_period_parse(a->period, &p, err)))
            return rc;
    }
    struct cli_clock_env env;
    if ((rc = cli_clock_env_open(ctx, false, NULL, NULL, &env, err)))
        return rc;
    struct report_dataset *ds = NULL;
    rc = report_dataset_build(env.s, env.cal, &o, &ds, err);
    if (rc == SVP_OK && xlsx) {
        rc = report_write_xlsx(ds, a->out, NULL, NULL, err);
    } else if (rc == SVP_OK) {
        struct svp_buf b;
        svp_buf_init(&b, (size_t)64 << 20);
        rc = report_write(ds, fmt, &b, err);
        if (rc == SVP_OK && pdf) {
            char tmp[4200];
            snprintf(tmp, sizeof tmp, "%.4000s.html", a->out);
            rc = write_file(tmp, b.data, b.len, err);
            if (rc == SVP_OK) {
                rc = print_pdf(tmp, a->out, err);
                remove(tmp);
            }
        } else if (rc == SVP_OK && a->out) {
            rc = write_file(a->out, b.data, b.len, err);
        } else if (rc == SVP_OK) {
            fwrite(b.data, 1, b.len, stdout);
        }
        svp_buf_free(&b);
    }
    if (rc == SVP_OK && !ctx->quiet)
        fprintf(stderr, "svp report: dataset %s in %.2f s\n", ds->period.label, ds->seconds);
    report_dataset_free(&ds);
    cli_clock_env_close(&env);
    return rc;
}

static int run_reviews(struct cli_ctx *ctx, const struct report_args *a, struct svp_err *err)
{
    svp_day from = 0, to = 0;
    int rc = SVP_OK;
    if (a->since && (rc = cli_parse_date(a->since, "--since", &from, err)))
        return rc;
    if (a->until && (rc = cli_parse_date(a->until, "--until", &to, err)))
        return rc;
    if (!a->since && a->until)
        from = 1; /* any day before --until */
    if (a->since && !a->until)
        to = 2100000;
    if (from && to < from)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "--until", "--until is before --since");
    struct cli_clock_env env;
    if ((rc = cli_clock_env_open(ctx, false, NULL, NULL, &env, err)))
        return rc;
    struct report_case_reviews r;
    rc = report_case_reviews(env.s, env.cal, from, to, &r, err);
    if (rc == SVP_OK)
        for (int k = 0; k < 3; k++)
            printf("%s\n", r.sentences[k]);
    cli_clock_env_close(&env);
    return rc;
}

static int run_benchmarks(const struct report_args *a, struct svp_err *err)
{
    struct report_benchmarks *b = NULL;
    int rc = report_benchmarks_load(a->benchmarks, a->thresholds, &b, err);
    if (rc)
        return rc;
    printf("%-28s %-24s %8s %-8s %-4s %s\n", "FIGURE", "COMPARATOR", "VALUE", "YEAR", "ILL.",
           "SOURCE");
    for (size_t i = 0; i < b->n; i++)
        printf("%-28s %-24s %8.1f %-8s %-4s %s\n", b->v[i].figure, b->v[i].comparator,
               b->v[i].value, b->v[i].year, b->v[i].illustrative ? "yes" : "no", b->v[i].source);
    printf("\n%-28s %-8s %s\n", "FIGURE", "BETTER", "EXCEPTION WHEN WORSE BY MORE THAN");
    for (size_t i = 0; i < b->nt; i++)
        printf("%-28s %-8s %.1f\n", b->t[i].figure,
               b->t[i].better > 0   ? "higher"
               : b->t[i].better < 0 ? "lower"
                                    : "neither",
               b->t[i].margin);
    report_benchmarks_free(&b);
    return SVP_OK;
}

int cmd_report(int argc, char **argv, struct cli_ctx *ctx)
{
    struct report_args a = {0};
    const struct cli_opt opts[] = {
        {"period", &a.period, NULL},
        {"format", &a.format, NULL},
        {"out", &a.out, NULL},
        {"population", &a.population, NULL},
        {"benchmarks", &a.benchmarks, NULL},
        {"thresholds", &a.thresholds, NULL},
        {"years", &a.years, NULL},
        {"since", &a.since, NULL},
        {"until", &a.until, NULL},
        {NULL, NULL, NULL},
    };
    const char *pos[2];
    int npos;
    struct svp_err err;
    int go = cli_begin("report", report_help, argc, argv, opts, ctx, pos, 2, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos != 1 ||
        (strcmp(pos[0], "dataset") && strcmp(pos[0], "reviews") && strcmp(pos[0], "benchmarks")))
        return cli_usage_error("report", "expected 'dataset', 'reviews' or 'benchmarks'");
    int rc;
    if (!strcmp(pos[0], "dataset"))
        rc = run_dataset(ctx, &a, &err);
    else if (!strcmp(pos[0], "reviews"))
        rc = run_reviews(ctx, &a, &err);
    else
        rc = run_benchmarks(&a, &err);
    if (rc == SVP_EUSAGE)
        return cli_usage_error("report", "%s", err.msg);
    return rc ? cli_fail(&err) : 0;
}
