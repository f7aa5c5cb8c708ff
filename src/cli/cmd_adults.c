/* `svp adults sac`: adult safeguarding (Care Act 2014), the Safeguarding Adults Collection's
 * figures for a period. The figures are computed by the adults room (src/adults/adults.h);
 * this file only reads options and prints. */
#include "adults/adults.h"
#include "cli.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char adults_help[] =
    "usage: svp adults sac [--year YYYY | --from DATE --to DATE] [--json]\n"
    "\n"
    "Adult safeguarding under the Care Act 2014, from adult social care's concerns and\n"
    "section 42 enquiries (profile asc-concerns; events adult_concern and adult_enquiry).\n"
    "\n"
    "sac    the figures of the national Safeguarding Adults Collection (NHS England) for\n"
    "       the period: concerns, enquiries started, conversion, adults by age and sex,\n"
    "       concluded enquiries by type, location and source of risk, risk outcomes and\n"
    "       Making Safeguarding Personal. --year YYYY is the financial year from 1 April\n"
    "       YYYY (the collection's year); default the last financial year that has ended.\n"
    "       Definitions: docs/adults.md. --json prints one JSON object.\n";

static double pct(long a, long b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void print_counts(const char *title, const char *const *codes, int n, const long *v,
                         bool last, long of)
{
    printf("%s\n", title);
    for (int i = 0; i < n + (last ? 1 : 0); i++)
        printf("  %-32s %8ld  %5.1f%%\n", i < n ? codes[i] : "not recorded", v[i], pct(v[i], of));
}

static void print_table(const struct adults_sac *f)
{
    char df[16], dt[16];
    svp_date_format(f->from, df, sizeof df);
    svp_date_format(f->to, dt, sizeof dt);
    printf("Safeguarding Adults Collection, %s to %s\n", df, dt);
    printf("%-34s %8ld\n", "concerns received", f->concerns);
    printf("%-34s %8ld\n", "adults with concerns", f->concern_adults);
    printf("%-34s %8ld  %.1f%% of concerns\n", "section 42 enquiries started", f->s42_started,
           adults_sac_conversion(f));
    printf("%-34s %8ld\n", "other enquiries started", f->other_started);
    printf("%-34s %8ld\n", "adults in s42 enquiries started", f->s42_adults);
    print_counts("adults in s42 enquiries, by age", adults_age_bands, ADULTS_NAGES, f->s42_by_age,
                 false, f->s42_adults);
    print_counts("adults in s42 enquiries, by sex", adults_sex_codes, ADULTS_NSEXES, f->s42_by_sex,
                 false, f->s42_adults);
    printf("%-34s %8ld\n", "section 42 enquiries concluded", f->s42_concluded);
    print_counts("concluded, by type of risk (each type recorded)", adults_type_codes,
                 ADULTS_NTYPES, f->by_type, false, f->s42_concluded);
    print_counts("concluded, by location of risk", adults_location_codes, ADULTS_NLOCATIONS,
                 f->by_location, true, f->s42_concluded);
    print_counts("concluded, by source of risk", adults_source_codes, ADULTS_NSOURCES,
                 f->by_source, true, f->s42_concluded);
    print_counts("concluded, by risk assessment outcome", adults_assess_codes, ADULTS_NASSESS,
                 f->by_assess, true, f->s42_concluded);
    print_counts("risk identified and action taken: result", adults_result_codes,
                 ADULTS_NRESULTS, f->by_result, true, f->by_assess[0]);
    printf("Making Safeguarding Personal (concluded s42 enquiries)\n");
    printf("  %-32s %8ld  %5.1f%%\n", "asked about desired outcomes", f->msp_asked_yes,
           pct(f->msp_asked_yes, f->s42_concluded));
    printf("  %-32s %8ld  %5.1f%%\n", "not asked", f->msp_asked_no,
           pct(f->msp_asked_no, f->s42_concluded));
    printf("  %-32s %8ld  %5.1f%%\n", "don't know or not recorded", f->msp_asked_unknown,
           pct(f->msp_asked_unknown, f->s42_concluded));
    printf("  %-32s %8ld  %5.1f%% of those asked\n", "outcomes expressed", f->msp_expressed,
           pct(f->msp_expressed, f->msp_asked_yes));
    printf("  %-32s %8ld  %5.1f%% of those expressed\n", "fully achieved", f->msp_fully,
           pct(f->msp_fully, f->msp_expressed));
    printf("  %-32s %8ld  %5.1f%%\n", "partially achieved", f->msp_partially,
           pct(f->msp_partially, f->msp_expressed));
    printf("  %-32s %8ld  %5.1f%%\n", "not achieved", f->msp_not, pct(f->msp_not, f->msp_expressed));
}

/* The period: --from/--to, or the financial year --year (1 April to 31 March), or the last
 * financial year that has ended. */
static int period(const char *year, const char *from, const char *to, svp_day *a, svp_day *b,
                  struct svp_err *err)
{
    if (year && (from || to))
        return svp_err_set(err, SVP_EUSAGE, "give --year or --from and --to, not both");
    if ((from != NULL) != (to != NULL))
        return svp_err_set(err, SVP_EUSAGE, "give both --from and --to");
    if (from) {
        int rc = cli_parse_date(from, "--from", a, err);
        if (rc == SVP_OK)
            rc = cli_parse_date(to, "--to", b, err);
        if (rc == SVP_OK && *b < *a)
            rc = svp_err_set(err, SVP_EUSAGE, "--to is before --from");
        return rc;
    }
    int y = adults_last_financial_year(svp_date_today());
    if (year) {
        char *end;
        long v = strtol(year, &end, 10);
        if (*end || end == year || v < 1990 || v > 2100)
            return svp_err_set(err, SVP_EUSAGE, "--year must be a year such as 2021 (the "
                                                "financial year from 1 April)");
        y = (int)v;
    }
    if (adults_financial_year(y, a, b))
        return svp_err_set(err, SVP_EUSAGE, "--year is out of range");
    return SVP_OK;
}

int cmd_adults(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *year = NULL, *from = NULL, *to = NULL;
    bool json = false;
    const struct cli_opt opts[] = {
        {"year", &year, NULL}, {"from", &from, NULL}, {"to", &to, NULL},
        {"json", NULL, &json}, {NULL, NULL, NULL},
    };
    const char *pos[2];
    int npos;
    struct svp_err err;
    int go = cli_begin("adults", adults_help, argc, argv, opts, ctx, pos, 2, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos != 1 || strcmp(pos[0], "sac"))
        return cli_usage_error("adults", "expected 'sac' (see svp adults --help)");
    svp_day a, b;
    int rc = period(year, from, to, &a, &b, &err);
    if (rc == SVP_EUSAGE)
        return cli_usage_error("adults", "%s", err.msg);
    struct store *s = NULL;
    struct adults_sac f;
    if (rc == SVP_OK)
        rc = cli_open_db(ctx, false, &s, &err);
    if (rc == SVP_OK)
        rc = adults_sac_compute(s, a, b, &f, &err);
    store_close(&s);
    if (rc)
        return cli_fail(&err);
    if (!json) {
        print_table(&f);
        return 0;
    }
    struct svp_buf out;
    svp_buf_init(&out, 1u << 20);
    if (adults_sac_json(&f, &out) || svp_buf_putc(&out, '\n')) {
        svp_buf_free(&out);
        svp_err_set(&err, SVP_ENOMEM, "out of memory");
        return cli_fail(&err);
    }
    fwrite(out.data, 1, out.len, stdout);
    svp_buf_free(&out);
    return 0;
}
