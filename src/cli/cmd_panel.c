/* `svp panel`: the Vulnerability Tracker list, its saved snapshots and its fairness check.
 * Everything is computed by the risk room; this file parses, calls and prints. */
#include "base/json.h"
#include "cli.h"
#include "risk/risk.h"

#include <stdlib.h>
#include <string.h>

static const char panel_help[] =
    "usage: svp panel [--top N] [--area A] [--format table|csv|json] [OPTIONS]\n"
    "       svp panel save [OPTIONS]\n"
    "       svp panel fairness [--format table|json] [OPTIONS]\n"
    "       svp panel quality --truth FILE [--k N] [--no-months] [--format table|json]\n"
    "       svp panel turning18 [--months N] [--format table|json] [OPTIONS]\n"
    "\n"
    "The children most at risk of exploitation, ranked, with the reasons behind each place:\n"
    "rank, person, age, area, score, band, top reasons, change since the last saved panel\n"
    "(new, up, down, same; those who left are listed after), open plans and agencies.\n"
    "The list is every child in band medium or above (see --band).\n"
    "\n"
    "save      scores and keeps a dated snapshot of the list for the next panel's changes\n"
    "fairness  the list's make-up by sex, ethnicity and area against every child in the\n"
    "          data, with disparity flags (README: 'Reading the fairness check')\n"
    "quality   the ranking against a list of children the partnership knows were exploited\n"
    "          (FILE: child,kind,first_harm; child SOURCE:ID or a record id; kind exploited\n"
    "          or decoy:KIND; first_harm YYYY-MM): recall and precision at K (default twice\n"
    "          the exploited), decoys in the top K per kind, AUPRC and months from first harm\n"
    "          to the top K, beside a naive baseline ranked by missing episodes\n"
    "          (docs/indicators.md, 'Measuring quality'); --no-months skips the monthly runs\n"
    "turning18 the children on the list or with a plan open who turn 18 in the next N months\n"
    "          (default 6), soonest first, with score, band and open plans: the handover list\n"
    "          for adult services\n"
    "\n"
    "options:\n"
    "  --top N          list at most N children\n"
    "  --area A         only children of community area A\n"
    "  --format F       table (default), csv or json (json carries every reason's source)\n"
    "  --band B         lowest band listed: low, medium (default) or high\n"
    "  --as-of DATE     score as on DATE (YYYY-MM-DD; default today); later events ignored;\n"
    "                   'latest': as on the date of the latest event (an extract's end)\n"
    "  --weights FILE   indicator weights (default: the shipped data/risk-weights.csv)\n"
    "  --unlinked       score each agency record as its own person (when 'svp link' has not\n"
    "                   run); the output says so\n"
    "  --reasons N      reasons per person in json (default all)\n"
    "  --age-band B     who is tracked: children (default: under 18), transition (to 25:\n"
    "                   young adults stay on the tracker past 18, their age marked T), or the\n"
    "                   oldest age tracked, 17 to 30\n";

/* Loads the weights and parses --as-of and --band into o. SVP_EUSAGE for a bad value. */
static int risk_options(const char *as_of, const char *weights, const char *band,
                        struct risk_weights *w, struct risk_panel_opts *o, struct svp_err *err)
{
    int rc = risk_weights_load(weights, w, err);
    if (rc)
        return rc;
    o->as_of = svp_date_today();
    if (as_of && strcmp(as_of, "latest") &&
        svp_date_parse_iso(as_of, strlen(as_of), &o->as_of, err))
        return svp_err_set(err, SVP_EUSAGE, "--as-of must be a date YYYY-MM-DD or 'latest'");
    if (band) {
        if (!strcmp(band, "low"))
            o->min_band = RISK_BAND_LOW;
        else if (!strcmp(band, "medium"))
            o->min_band = RISK_BAND_MEDIUM;
        else if (!strcmp(band, "high"))
            o->min_band = RISK_BAND_HIGH;
        else
            return svp_err_set(err, SVP_EUSAGE, "--band must be low, medium or high");
    }
    return SVP_OK;
}

/* Opens ctx's database and, for --as-of latest, sets o->as_of to the newest event's day. */
static int risk_open(struct cli_ctx *ctx, const char *as_of, struct risk_panel_opts *o,
                     struct store **out, struct svp_err *err)
{
    struct store *s = NULL;
    int rc = cli_open_db(ctx, false, &s, err);
    if (rc)
        return rc;
    /* "latest" scores as at the newest event, for extracts whose window lies in the past. */
    if (as_of && !strcmp(as_of, "latest") && (rc = risk_latest_event_day(s, &o->as_of, err)) &&
        rc != SVP_ENOTFOUND) {
        store_close(&s);
        return rc;
    }
    *out = s;
    return SVP_OK;
}

int cli_risk_begin(const char *command, struct cli_ctx *ctx, const char *as_of, const char *weights,
                   const char *band, struct risk_weights *w, struct risk_panel_opts *o,
                   struct store **s)
{
    struct svp_err err;
    int rc = risk_options(as_of, weights, band, w, o, &err);
    if (rc == SVP_EUSAGE)
        return cli_usage_error(command, "%s", err.msg);
    if (rc || risk_open(ctx, as_of, o, s, &err))
        return cli_fail(&err);
    return CLI_CONTINUE;
}

static void print_counts(const struct risk_panel *p, FILE *out)
{
    char as_of[16];
    svp_date_format(p->as_of, as_of, sizeof as_of);
    fprintf(out, "panel as of %s: %zu children, %zu scored, %zu on the list", as_of,
            p->nchildren, p->nscored, p->nlisted_all);
    if (p->nno_dob || p->ntoo_little)
        fprintf(out, "; not scored: %zu without a date of birth, %zu with too little data",
                p->nno_dob, p->ntoo_little);
    fputc('\n', out);
    if (p->age_to >= 18)
        fprintf(out, "transition: young adults are tracked to age %d (their ages shown T18, T19 ...)\n",
                p->age_to);
    if (p->unlinked)
        fputs("note: persons are agency records (--unlinked): one child may appear more than "
              "once; run 'svp link'\n",
              out);
    if (p->previous_snapshot)
        fprintf(out, "changes since the panel saved on %s\n", p->previous_saved_at);
    else
        fputs("no saved panel yet: 'svp panel save' keeps one for the next changes\n", out);
}

static void print_table(const struct risk_panel *p)
{
    print_counts(p, stdout);
    printf("%4s %8s %3s %-16s %6s %-6s %-6s %-12s %-28s %s\n", "rank", "person", "age", "area",
           "score", "band", "change", "plans", "agencies", "top reasons");
    for (size_t i = 0; i < p->nlist; i++) {
        const struct risk_person *rp = p->list[i];
        char plans[64], ag[128], why[512];
        risk_plans_format(rp->plans, plans, sizeof plans);
        risk_agencies_format(rp->agencies, ag, sizeof ag);
        risk_reasons_summary(rp, 3, why, sizeof why);
        char age[8];
        snprintf(age, sizeof age, rp->transition ? "T%d" : "%d", rp->age);
        printf("%4d %8lld %3s %-16.16s %6.1f %-6s %-6s %-12s %-28s %s\n", rp->rank,
               (long long)rp->person_id, age, *rp->area ? rp->area : "-", rp->score,
               risk_band_name(rp->band), rp->change ? risk_change_name(rp->change) : "-", plans,
               ag, why);
    }
    for (size_t i = 0; i < p->nleft; i++)
        printf("%4s %8lld %3d %-16.16s %6.1f %-6s %-6s (was rank %d)\n", "-",
               (long long)p->left[i]->person_id, p->left[i]->age,
               *p->left[i]->area ? p->left[i]->area : "-", p->left[i]->score,
               risk_band_name(p->left[i]->band), "left", p->left[i]->prev_rank);
}

static void print_csv(const struct risk_panel *p)
{
    puts("rank,person_id,age,area,score,band,top_reasons,change,previous_rank,open_plans,"
         "agencies");
    for (size_t i = 0; i < p->nlist + p->nleft; i++) {
        bool left = i >= p->nlist;
        const struct risk_person *rp = left ? p->left[i - p->nlist] : p->list[i];
        char plans[64], ag[128], why[512];
        risk_plans_format(rp->plans, plans, sizeof plans);
        risk_agencies_format(rp->agencies, ag, sizeof ag);
        risk_reasons_summary(rp, 3, why, sizeof why);
        if (left)
            printf(",%lld,", (long long)rp->person_id);
        else
            printf("%d,%lld,", rp->rank, (long long)rp->person_id);
        if (rp->age >= 0)
            printf("%d", rp->age);
        putchar(',');
        cli_csv_field(stdout, rp->area);
        printf(",%.1f,%s,", rp->score, risk_band_name(rp->band));
        cli_csv_field(stdout, left ? "" : why);
        printf(",%s,", risk_change_name(rp->change));
        if (rp->prev_rank)
            printf("%d", rp->prev_rank);
        printf(",%s,%s\n", plans, ag);
    }
}

static int print_json(json_t *j)
{
    if (!j)
        return 3;
    char *s = svp_json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!s)
        return 3;
    puts(s);
    free(s);
    return 0;
}

static int print_fairness(const struct risk_panel *p, bool json)
{
    struct svp_err err;
    struct risk_fairness *f = NULL;
    if (risk_fairness(p, &f, &err))
        return cli_fail(&err);
    if (json) {
        json_t *o = json_object(), *rows = json_array();
        json_object_set_new(o, "list_total", json_integer(f->list_total));
        json_object_set_new(o, "population_total", json_integer(f->pop_total));
        for (size_t i = 0; i < f->n; i++) {
            const struct risk_fair_row *r = &f->rows[i];
            json_t *x = json_object();
            json_object_set_new(x, "dimension", json_string(r->dimension));
            json_object_set_new(x, "group", json_string(r->group));
            json_object_set_new(x, "on_list", json_integer(r->list_n));
            json_object_set_new(x, "in_population", json_integer(r->pop_n));
            json_object_set_new(x, "list_share", json_real(r->list_share));
            json_object_set_new(x, "population_share", json_real(r->pop_share));
            json_object_set_new(x, "ratio", json_real(r->ratio));
            json_object_set_new(x, "p_value", r->too_few ? json_null() : json_real(r->p_value));
            json_object_set_new(x, "too_few_to_test", json_boolean(r->too_few));
            json_object_set_new(x, "flagged", json_boolean(r->flagged));
            json_array_append_new(rows, x);
        }
        json_object_set_new(o, "groups", rows);
        risk_fairness_free(&f);
        return print_json(o);
    }
    printf("fairness: %ld children on the list out of %ld children in the data\n",
           f->list_total, f->pop_total);
    printf("flag: share on the list / share in the data outside 0.80-1.25 and p < 0.05\n");
    printf("%-10s %-20s %8s %9s %7s %7s %6s %8s %s\n", "dimension", "group", "on list",
           "in data", "list %", "data %", "ratio", "p", "flag");
    for (size_t i = 0; i < f->n; i++) {
        const struct risk_fair_row *r = &f->rows[i];
        char pv[16];
        if (r->too_few)
            svp_strlcpy(pv, "-", sizeof pv);
        else
            snprintf(pv, sizeof pv, "%.3g", r->p_value);
        printf("%-10s %-20.20s %8ld %9ld %6.1f%% %6.1f%% %6.2f %8s %s\n", r->dimension,
               r->group, r->list_n, r->pop_n, 100 * r->list_share, 100 * r->pop_share, r->ratio,
               pv,
               r->flagged ? (r->ratio > 1 ? "OVER" : "UNDER")
                          : r->too_few ? "too few to test" : "");
    }
    risk_fairness_free(&f);
    return 0;
}

static void quality_row(const struct risk_quality *q, const char *name,
                        const struct risk_quality_ranking *r)
{
    size_t dec = 0;
    for (size_t i = 0; i < q->nkinds; i++)
        dec += r->decoys_top[i];
    printf("%-28s %8.3f %11.3f %7.3f %8zu", name, r->recall, r->precision, r->auprc, dec);
    if (q->months_done)
        printf("   %d / %.1f / %d (%zu of %zu)", r->months_median, r->months_mean, r->months_max,
               r->entered, q->nexploited);
    putchar('\n');
}

static json_t *quality_json_row(const struct risk_quality *q, const struct risk_quality_ranking *r)
{
    json_t *o = json_object(), *k = json_object();
    json_object_set_new(o, "hits", json_integer((json_int_t)r->hits));
    json_object_set_new(o, "recall_at_k", json_real(r->recall));
    json_object_set_new(o, "precision_at_k", json_real(r->precision));
    json_object_set_new(o, "auprc", json_real(r->auprc));
    for (size_t i = 0; i < q->nkinds; i++)
        json_object_set_new(k, q->kinds[i], json_integer((json_int_t)r->decoys_top[i]));
    json_object_set_new(o, "decoys_in_top_k", k);
    if (q->months_done) {
        json_object_set_new(o, "entered_top_k", json_integer((json_int_t)r->entered));
        json_object_set_new(o, "months_median", json_integer(r->months_median));
        json_object_set_new(o, "months_mean", json_real(r->months_mean));
        json_object_set_new(o, "months_max", json_integer(r->months_max));
    }
    return o;
}

static int panel_quality(struct cli_ctx *ctx, const char *truth, const char *kopt, bool months,
                         const char *format, const char *as_of, const char *weights, int age_to)
{
    if (!truth)
        return cli_usage_error("panel", "quality needs --truth FILE (child,kind,first_harm)");
    if (format && strcmp(format, "table") && strcmp(format, "json"))
        return cli_usage_error("panel", "quality prints table or json");
    int64_t k = 0;
    if (kopt && (svp_parse_i64(kopt, &k) || k < 1 || k > 10000000))
        return cli_usage_error("panel", "--k must be a whole number from 1");
    struct svp_err err;
    struct risk_quality q;
    memset(&q, 0, sizeof q);
    struct risk_quality_child *c = NULL;
    size_t n = 0;
    int rc = risk_quality_truth_load(truth, &q, &c, &n, &err);
    if (rc)
        return cli_fail(&err);
    struct risk_weights w;
    struct risk_panel_opts o = {0};
    struct store *s = NULL;
    int go = cli_risk_begin("panel", ctx, as_of ? as_of : "latest", weights, NULL, &w, &o, &s);
    if (go != CLI_CONTINUE) {
        svp_free(c);
        return go;
    }
    struct risk_quality_opts qo = {.as_of = o.as_of, .k = (size_t)k, .months = months,
                                   .age_to = age_to};
    rc = risk_quality_run(s, &w, &qo, c, n, &q, &err);
    store_close(&s);
    svp_free(c);
    if (rc)
        return cli_fail(&err);
    char day[16];
    svp_date_format(q.as_of, day, sizeof day);
    if (format && !strcmp(format, "json")) {
        json_t *j = json_object(), *kinds = json_object();
        json_object_set_new(j, "as_of", json_string(day));
        json_object_set_new(j, "k", json_integer((json_int_t)q.k));
        json_object_set_new(j, "exploited", json_integer((json_int_t)q.nexploited));
        json_object_set_new(j, "decoys", json_integer((json_int_t)q.ndecoys));
        json_object_set_new(j, "not_in_data", json_integer((json_int_t)q.nunknown));
        json_object_set_new(j, "exploited_adults", json_integer((json_int_t)q.exploited_adults));
        for (size_t i = 0; i < q.nkinds; i++)
            json_object_set_new(kinds, q.kinds[i], json_integer((json_int_t)q.kind_total[i]));
        json_object_set_new(j, "decoy_kinds", kinds);
        json_object_set_new(j, "svp", quality_json_row(&q, &q.svp));
        json_object_set_new(j, "baseline_missing_episodes", quality_json_row(&q, &q.baseline));
        return print_json(j);
    }
    printf("panel quality as of %s: %zu exploited, %zu decoys (%zu children of the file not in "
           "the data), K = %zu\n",
           day, q.nexploited, q.ndecoys, q.nunknown, q.k);
    printf("exploited who are older than the ages tracked on the scoring date (never listed; "
           "see --age-band): %zu\n\n",
           q.exploited_adults);
    printf("%-28s %8s %11s %7s %8s%s\n", "ranking", "recall@K", "precision@K", "AUPRC",
           "decoys", q.months_done ? "   months harm to top K: median / mean / max (entered)"
                                   : "");
    quality_row(&q, "svp", &q.svp);
    quality_row(&q, "baseline (missing episodes)", &q.baseline);
    printf("\ndecoys in the top %zu by kind (share of the top K):\n", q.k);
    for (size_t i = 0; i < q.nkinds; i++)
        printf("  %-16s %4zu listed   svp %3zu (%.1f%%)   baseline %3zu (%.1f%%)\n", q.kinds[i],
               q.kind_total[i], q.svp.decoys_top[i], 100.0 * q.svp.decoys_top[i] / q.k,
               q.baseline.decoys_top[i], 100.0 * q.baseline.decoys_top[i] / q.k);
    return 0;
}

static int print_turning18(const struct risk_panel *p, int months, bool json, bool csv)
{
    struct svp_err err;
    struct risk_person **list = NULL;
    size_t n = 0;
    if (csv)
        return cli_usage_error("panel", "turning18 prints table or json");
    if (risk_panel_turning18(p, months, &list, &n, &err))
        return cli_fail(&err);
    if (json) {
        int code = print_json(risk_turning18_json(p, months, list, n));
        svp_free(list);
        return code;
    }
    char as_of[16];
    svp_date_format(p->as_of, as_of, sizeof as_of);
    printf("turning 18 in the %d months after %s, on the list or with a plan open: %zu children\n",
           months, as_of, n);
    printf("%-10s %8s %-16s %6s %-6s %4s %-12s %s\n", "turns 18", "person", "area", "score",
           "band", "rank", "plans", "agencies");
    for (size_t i = 0; i < n; i++) {
        const struct risk_person *rp = list[i];
        char day[16], plans[64], ag[128];
        svp_date_format(risk_person_day18(rp), day, sizeof day);
        risk_plans_format(rp->plans, plans, sizeof plans);
        risk_agencies_format(rp->agencies, ag, sizeof ag);
        if (rp->status == RISK_SCORED)
            printf("%-10s %8lld %-16.16s %6.1f %-6s %4d %-12s %s\n", day,
                   (long long)rp->person_id, *rp->area ? rp->area : "-", rp->score,
                   risk_band_name(rp->band), rp->rank, plans, ag);
        else
            printf("%-10s %8lld %-16.16s %6s %-6s %4s %-12s %s\n", day, (long long)rp->person_id,
                   *rp->area ? rp->area : "-", "-", "-", "-", plans, ag);
    }
    svp_free(list);
    return 0;
}

int cmd_panel(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *top = NULL, *area = NULL, *format = NULL, *as_of = NULL, *weights = NULL,
               *band = NULL, *reasons = NULL, *truth = NULL, *kopt = NULL, *age_band = NULL,
               *months_opt = NULL;
    bool unlinked = false, no_months = false;
    const struct cli_opt opts[] = {
        {"truth", &truth, NULL},     {"k", &kopt, NULL},          {"no-months", NULL, &no_months},
        {"top", &top, NULL},         {"area", &area, NULL},       {"format", &format, NULL},
        {"as-of", &as_of, NULL},     {"weights", &weights, NULL}, {"band", &band, NULL},
        {"reasons", &reasons, NULL}, {"unlinked", NULL, &unlinked}, {"age-band", &age_band, NULL},
        {"months", &months_opt, NULL}, {NULL, NULL, NULL},
    };
    const char *pos[1];
    int npos;
    struct svp_err err;
    int go = cli_begin("panel", panel_help, argc, argv, opts, ctx, pos, 1, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    const char *sub = npos ? pos[0] : "list";
    if (strcmp(sub, "list") && strcmp(sub, "save") && strcmp(sub, "fairness") &&
        strcmp(sub, "quality") && strcmp(sub, "turning18"))
        return cli_usage_error("panel", "unknown subcommand '%s'", sub);
    int age_to = 0;
    if (risk_age_band_parse(age_band, &age_to, &err))
        return cli_usage_error("panel", "--age-band %s", err.msg);
    int64_t months = 6;
    if (months_opt && strcmp(sub, "turning18"))
        return cli_usage_error("panel", "--months is for 'svp panel turning18'");
    if (months_opt && (svp_parse_i64(months_opt, &months) || months < 1 || months > 24))
        return cli_usage_error("panel", "--months must be a whole number from 1 to 24");
    if (!strcmp(sub, "quality"))
        return panel_quality(ctx, truth, kopt, !no_months, format, as_of, weights, age_to);
    if (truth || kopt || no_months)
        return cli_usage_error("panel", "--truth, --k and --no-months are for 'svp panel quality'");
    if (format && strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json"))
        return cli_usage_error("panel", "--format must be table, csv or json");
    int64_t ntop = 0, nreasons = 0;
    if (top && (svp_parse_i64(top, &ntop) || ntop < 1 || ntop > 10000000))
        return cli_usage_error("panel", "--top must be a whole number from 1");
    if (reasons && (svp_parse_i64(reasons, &nreasons) || nreasons < 0 || nreasons > 100000))
        return cli_usage_error("panel", "--reasons must be a whole number from 0");

    struct risk_weights w;
    struct risk_panel_opts o = {.area = area, .top = (int)ntop, .unlinked = unlinked,
                                .age_to = age_to};
    struct store *s = NULL;
    if ((go = cli_risk_begin("panel", ctx, as_of, weights, band, &w, &o, &s)) != CLI_CONTINUE)
        return go;
    struct risk_panel *p = NULL;
    if (risk_panel_build(s, &w, &o, &p, &err)) {
        store_close(&s);
        return cli_fail(&err);
    }
    int code = 0;
    if (!strcmp(sub, "turning18")) {
        code = print_turning18(p, (int)months, format && !strcmp(format, "json"),
                               format && !strcmp(format, "csv"));
    } else if (!strcmp(sub, "save")) {
        int64_t id = 0;
        if (risk_panel_save(s, p, &id, &err))
            code = cli_fail(&err);
        else {
            print_counts(p, stdout);
            printf("saved panel %lld: %zu children on the list\n", (long long)id,
                   p->nlisted_all);
        }
    } else if (!strcmp(sub, "fairness")) {
        if (format && !strcmp(format, "csv"))
            code = cli_usage_error("panel", "fairness prints table or json");
        else
            code = print_fairness(p, format && !strcmp(format, "json"));
    } else if (format && !strcmp(format, "json")) {
        code = print_json(risk_panel_json(p, (int)nreasons));
    } else if (format && !strcmp(format, "csv")) {
        if (p->unlinked)
            fputs("svp: note: persons are agency records (--unlinked): one child may appear "
                  "more than once\n",
                  stderr);
        print_csv(p);
    } else {
        print_table(p);
    }
    if (!ctx->quiet && !code)
        svp_log(SVP_LOG_INFO, "panel: loaded in %.3f s, scored %zu persons in %.3f s",
                p->load_seconds, p->npersons, p->score_seconds);
    risk_panel_free(&p);
    store_close(&s);
    return code;
}
