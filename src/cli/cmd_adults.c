/* `svp adults sac`: adult safeguarding (Care Act 2014), the Safeguarding Adults Collection's
 * figures for a period. The figures are computed by the adults room (src/adults/adults.h);
 * this file only reads options and prints. */
#include "adults/adults.h"
#include "cli.h"
#include "risk/risk.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char adults_help[] =
    "usage: svp adults sac [--year YYYY | --from DATE --to DATE] [--json]\n"
    "       svp adults list [--as-of DATE|latest] [--top N] [--min-score N]\n"
    "                       [--lookback DAYS] [--json]\n"
    "\n"
    "Adult safeguarding under the Care Act 2014, from adult social care's concerns and\n"
    "section 42 enquiries (profile asc-concerns; events adult_concern and adult_enquiry).\n"
    "\n"
    "sac    the figures of the national Safeguarding Adults Collection (NHS England) for\n"
    "       the period: concerns, enquiries started, conversion, adults by age and sex,\n"
    "       concluded enquiries by type, location and source of risk, risk outcomes and\n"
    "       Making Safeguarding Personal. --year YYYY is the financial year from 1 April\n"
    "       YYYY (the collection's year); default the last financial year that has ended.\n"
    "       Definitions: docs/adults.md. --json prints one JSON object.\n"
    "\n"
    "list   the adult vulnerability list beside the children's tracker: adults (18 or\n"
    "       over) whose homes are taken over for drug dealing (cuckooing) and adults\n"
    "       exploited alongside children, highest score first, each with its reasons and\n"
    "       the latest event behind each; then the cuckooed addresses. --as-of: events up\n"
    "       to that day (default: the latest event's day); --top N rows (default 50, 0\n"
    "       all); --min-score (default 25); --lookback DAYS (default 730). Indicators and\n"
    "       points: docs/indicators.md, \"Adults\".\n";

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

static long num(const char *s, long lo, long hi, long dflt, bool *ok)
{
    if (!s)
        return dflt;
    char *end;
    long v = strtol(s, &end, 10);
    *ok &= !*end && end != s && v >= lo && v <= hi;
    return v;
}

static void print_list(const struct adults_list *l, long top)
{
    char day[16];
    svp_date_format(l->as_of, day, sizeof day);
    printf("Adult vulnerability list as on %s: %zu listed (score %d or more) of %ld adults, "
           "%ld with an indicator\n",
           day, l->n, l->min_score, l->adults, l->scored);
    if (l->n)
        printf("%-4s %-10s %3s %5s  %s\n", "rank", "adult", "age", "score", "reasons");
    for (size_t i = 0; i < l->n && (!top || (long)i < top); i++) {
        const struct adults_entry *a = &l->v[i];
        char who[32];
        snprintf(who, sizeof who, "%c%lld", a->person_id ? 'P' : 'R',
                 (long long)(a->person_id ? a->person_id : a->record_id));
        printf("%-4d %-10s %3d %5d  ", a->rank, who, a->age, a->score);
        for (size_t r = 0; r < a->nreasons; r++) {
            svp_date_format(a->reasons[r].day, day, sizeof day);
            printf("%s%s (%d; %s event %lld, %s)", r ? "; " : "",
                   adults_indicators[a->reasons[r].ind].code, a->reasons[r].points,
                   a->reasons[r].agency, (long long)a->reasons[r].event_id, day);
        }
        printf("\n");
    }
    printf("\nCuckooed addresses: %zu\n", l->nplaces);
    for (size_t i = 0; i < l->nplaces; i++) {
        const struct adults_place *p = &l->places[i];
        char a[16], b[16];
        svp_date_format(p->first, a, sizeof a);
        svp_date_format(p->last, b, sizeof b);
        printf("  place %lld  %-30s %-9s %-20s %ld events, %s to %s\n",
               (long long)p->place_id, p->name, p->postcode, p->area, p->events, a, b);
    }
}

static int cmd_list(const char *as_of, const char *top_s, const char *min_s,
                    const char *look_s, bool json, struct cli_ctx *ctx)
{
    bool ok = true;
    long top = num(top_s, 0, 100000, 50, &ok);
    if (!ok)
        return cli_usage_error("adults", "--top must be a whole number from 0 to 100000");
    long min_score = num(min_s, 1, 1000, 25, &ok);
    if (!ok)
        return cli_usage_error("adults", "--min-score must be a whole number from 1 to 1000");
    long look = num(look_s, 1, 36500, 730, &ok);
    if (!ok)
        return cli_usage_error("adults", "--lookback must be a number of days from 1 to 36500");
    struct svp_err err;
    struct adults_list_opts o = {.lookback_days = (int)look, .min_score = (int)min_score};
    bool latest = !as_of || !strcmp(as_of, "latest");
    if (!latest && svp_date_parse_iso(as_of, strlen(as_of), &o.as_of, &err))
        return cli_usage_error("adults", "--as-of must be a date YYYY-MM-DD or 'latest'");
    struct store *s = NULL;
    int rc = cli_open_db(ctx, false, &s, &err);
    if (!rc && latest) {
        rc = risk_latest_event_day(s, &o.as_of, &err);
        if (rc == SVP_ENOTFOUND) {
            o.as_of = svp_date_today();
            rc = SVP_OK;
        }
    }
    struct adults_list *l = NULL;
    if (!rc)
        rc = adults_list_build(s, &o, &l, &err);
    store_close(&s);
    if (rc)
        return cli_fail(&err);
    if (!json) {
        print_list(l, top);
        adults_list_free(&l);
        return 0;
    }
    json_t *j = adults_list_json(l, (size_t)top);
    adults_list_free(&l);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!text) {
        svp_err_set(&err, SVP_ENOMEM, "out of memory");
        return cli_fail(&err);
    }
    printf("%s\n", text);
    free(text);
    return 0;
}

int cmd_adults(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *year = NULL, *from = NULL, *to = NULL, *as_of = NULL, *top = NULL,
               *min_score = NULL, *lookback = NULL;
    bool json = false;
    const struct cli_opt opts[] = {
        {"year", &year, NULL},         {"from", &from, NULL},   {"to", &to, NULL},
        {"as-of", &as_of, NULL},       {"top", &top, NULL},     {"min-score", &min_score, NULL},
        {"lookback", &lookback, NULL}, {"json", NULL, &json},   {NULL, NULL, NULL},
    };
    const char *pos[2];
    int npos;
    struct svp_err err;
    int go = cli_begin("adults", adults_help, argc, argv, opts, ctx, pos, 2, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos == 1 && !strcmp(pos[0], "list")) {
        if (year || from || to)
            return cli_usage_error("adults", "list takes --as-of, not --year, --from or --to");
        return cmd_list(as_of, top, min_score, lookback, json, ctx);
    }
    if (npos != 1 || strcmp(pos[0], "sac"))
        return cli_usage_error("adults", "expected 'sac' or 'list' (see svp adults --help)");
    if (as_of || top || min_score || lookback)
        return cli_usage_error("adults", "sac takes --year or --from and --to, not list's options");
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
