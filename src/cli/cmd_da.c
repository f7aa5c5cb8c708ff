/* `svp da call|figures|marac|serial|repeat|encompass|criteria`: domestic abuse triage. The
 * triage room computes; this file parses arguments and prints. */
#include "cli.h"
#include "triage/triage.h"

#include <string.h>

static const char da_help[] =
    "usage: svp da call [--date DATE] [--csv | --xlsx FILE]\n"
    "       svp da figures --from DATE --to DATE\n"
    "       svp da marac --from DATE --to DATE\n"
    "       svp da serial|repeat [--from DATE] [--to DATE] [--csv]\n"
    "       svp da encompass [--from DATE] [--to DATE] [--as-of DATE]\n"
    "       svp da encompass notify INCIDENT CHILD --at DATETIME\n"
    "       svp da action add INCIDENT --agency A --action TEXT --owner WHO --due DATE\n"
    "                     [--date CALLDAY]\n"
    "       svp da action done ID [--date DATE]\n"
    "       svp da action list [--date DATE]\n"
    "       svp da dash record FILE.json\n"
    "       svp da list [--from DATE] [--to DATE]\n"
    "       svp da criteria\n"
    "options for all: [--criteria FILE] [--questions FILE]\n"
    "\n"
    "call       the daily Domestic Abuse Conference Call's list: every incident since the\n"
    "           previous working day's call (a Monday covers the weekend, the day after a\n"
    "           bank holiday covers it too), each with the victim, alleged perpetrator,\n"
    "           children present, DASH level and why, earlier incidents between them and\n"
    "           with others, agencies that know each person, open plans, MARAC history.\n"
    "           --date is the call's day (default today; not in the future, a working\n"
    "           day). --csv prints one row per case; --xlsx FILE writes the call for\n"
    "           partners as a workbook (sheets Call, Cases, Children, Actions), as the\n"
    "           web page's export does.\n"
    "figures    the SafeLives MARAC data return for the period (definitions: docs/triage.md).\n"
    "marac      the MARAC list: referrals in the period, with the children in each household.\n"
    "serial     perpetrators with incidents against two or more victims in the period.\n"
    "repeat     victims with two or more incidents in the period.\n"
    "           Both mark escalation in frequency (the last gap shorter than the one before)\n"
    "           and severity (more DASH yes answers at each of the last three incidents).\n"
    "encompass  Operation Encompass: each child present, the deadline to tell their school\n"
    "           (school start on the next working day), when it was told, and compliance\n"
    "           judged on --as-of (default today). 'notify' records that CHILD's (their\n"
    "           agency id at the incident) school was told at DATETIME.\n"
    "action     actions set at the call (agency, action, owner, due), shown with their\n"
    "           case and carried to every later call until done.\n"
    "dash       records a DASH completed in svp (ric, police or care form) from a JSON\n"
    "           file; it replaces the extract's answers (docs/triage.md gives the layout).\n"
    "list       every incident in the period as CSV: level, DASH, criteria met, history.\n"
    "criteria   the MARAC criteria and DASH questions in use (checks --criteria and\n"
    "           --questions files).\n"
    "\n"
    "Criteria come from data/marac-criteria.csv and questions from data/dash-questions.csv\n"
    "unless --criteria / --questions name files of the same form.\n";

struct da_args {
    const char *date, *from, *to, *criteria, *questions, *as_of, *at, *agency, *action, *owner,
        *due, *xlsx;
    bool csv;
};

struct da_env {
    struct store *s;
    struct svp_calendar *cal;
    struct triage_questions qs;
    struct triage_criteria c;
    struct triage_set *set;
};

static void env_close(struct da_env *e)
{
    triage_set_free(&e->set);
    svp_calendar_free(&e->cal);
    store_close(&e->s);
}

static int env_open(struct cli_ctx *ctx, const struct da_args *a, bool load, bool writes,
                    unsigned skip, struct da_env *e, struct svp_err *err)
{
    memset(e, 0, sizeof *e);
    int rc = triage_questions_load(a->questions, &e->qs, err);
    if (rc == SVP_OK)
        rc = triage_criteria_load(a->criteria, &e->c, err);
    if (rc == SVP_OK && load)
        rc = cli_open_db(ctx, writes, &e->s, err);
    if (rc == SVP_OK && load)
        rc = clock_calendar_load(e->s, &e->cal, err);
    if (rc == SVP_OK && load)
        rc = triage_set_load_some(e->s, &e->qs, &e->c, skip, &e->set, err);
    if (rc)
        env_close(e);
    return rc;
}

static void fmt_time(svp_time t, char *buf, size_t cap)
{
    char iso[24];
    svp_time_format(t, iso, sizeof iso);
    /* YYYY-MM-DDTHH:MM:SSZ -> YYYY-MM-DD HH:MM */
    snprintf(buf, cap, "%.10s %.5s", iso, iso + 11);
}

static void fmt_day(svp_day d, char *buf, size_t cap)
{
    svp_date_format(d, buf, cap);
}

static void why_text(const struct triage_incident *inc, const struct triage_criteria *c,
                     char *buf, size_t cap)
{
    size_t l = 0;
    buf[0] = '\0';
    if (inc->criteria & TRIAGE_CRIT_VISIBLE_HIGH)
        l += (size_t)snprintf(buf + l, cap - l, "visible high risk (%d or more yes); ",
                              c->high_risk_yes);
    if (l < cap && (inc->criteria & TRIAGE_CRIT_JUDGEMENT))
        l += (size_t)snprintf(buf + l, cap - l, "professional judgement; ");
    if (l < cap && (inc->criteria & TRIAGE_CRIT_ESCALATION))
        l += (size_t)snprintf(buf + l, cap - l, "potential escalation (%d in %d months); ",
                              c->escalation_incidents, c->escalation_months);
    if (l < cap && (inc->criteria & TRIAGE_CRIT_REPEAT))
        l += (size_t)snprintf(buf + l, cap - l, "repeat MARAC (within %d months of referral); ",
                              c->repeat_months);
    if (l >= 2 && l < cap)
        buf[l - 2] = '\0';
}

static void dash_text(const struct triage_incident *inc, char *buf, size_t cap)
{
    if (!inc->has_dash)
        snprintf(buf, cap, "no DASH answers");
    else
        snprintf(buf, cap, "DASH %d yes of %d (%d not known)", inc->dres.yes, inc->dres.asked,
                 inc->dres.unknown);
}

static int print_person(struct store *s, const char *label, triage_subject who, bool child,
                        struct svp_err *err)
{
    if (!who) {
        printf("   %s: not recorded\n", label);
        return SVP_OK;
    }
    struct triage_person p;
    int rc = triage_person_describe(s, who, &p, err);
    if (rc)
        return rc;
    printf("   %s: %s%s%s%s; known to: %s", label, p.name[0] ? p.name : "(no name)",
           p.dob[0] ? " (born " : "", p.dob, p.dob[0] ? ")" : "", p.agencies);
    if (child)
        printf("; school: %s", p.school[0] ? p.school : "not recorded");
    if (p.plans[0])
        printf("; open: %s", p.plans);
    printf("\n");
    return SVP_OK;
}

static int print_case(struct da_env *e, size_t no, size_t i, struct svp_err *err)
{
    const struct triage_incident *inc = &e->set->v[i];
    char when[24], dash[64], why[256];
    fmt_time(inc->at, when, sizeof when);
    dash_text(inc, dash, sizeof dash);
    why_text(inc, &e->c, why, sizeof why);
    printf("%zu. %s  %s  %s", no, inc->ref, when, triage_level_name(inc->level));
    if (inc->recorded && inc->recorded != inc->level)
        printf(" (assessed %s)", triage_level_name(inc->recorded));
    printf("  %s\n", dash);
    if (inc->problem) {
        printf("   cannot triage: %s\n", inc->problem);
        return SVP_OK;
    }
    if (why[0])
        printf("   MARAC criteria: %s\n", why);
    int rc = print_person(e->s, "victim", inc->victim, false, err);
    if (rc == SVP_OK)
        rc = print_person(e->s, "alleged perpetrator", inc->perpetrator, false, err);
    for (size_t k = 0; rc == SVP_OK && k < inc->nchildren; k++)
        rc = print_person(e->s, "child present", inc->children[k], true, err);
    if (rc)
        return rc;
    struct triage_history h;
    rc = triage_history_of(e->set, i, &h, err);
    if (rc)
        return rc;
    char last[16] = "";
    if (h.same_pair.n)
        fmt_day(e->set->v[h.same_pair.v[h.same_pair.n - 1]].day, last, sizeof last);
    printf("   history: %zu earlier between them%s%s%s; victim %zu with other partners; "
           "perpetrator %zu against other victims\n",
           h.same_pair.n, last[0] ? " (last " : "", last, last[0] ? ")" : "", h.victim_other.n,
           h.perp_other.n);
    if (h.referrals.n) {
        char d[16];
        fmt_day(e->set->v[h.referrals.v[h.referrals.n - 1]].day, d, sizeof d);
        printf("   MARAC: %zu earlier referral%s, last %s\n", h.referrals.n,
               h.referrals.n == 1 ? "" : "s", d);
    } else {
        printf("   MARAC: no earlier referral\n");
    }
    if (inc->criteria && !inc->referred)
        printf("   ! meets MARAC criteria: no referral recorded\n");
    triage_history_free(&h);
    return SVP_OK;
}

static int print_csv(struct da_env *e, const struct triage_idx *cases, struct svp_err *err)
{
    printf("ref,at,level,assessed,dash_yes,dash_asked,criteria,referred,victim,perpetrator,"
           "children_present,earlier_same_pair,victim_other,perpetrator_other,"
           "earlier_referrals,victim_id,perpetrator_id,visible_high_risk,judgement,"
           "escalation,repeat_marac\n");
    for (size_t k = 0; k < cases->n; k++) {
        size_t i = cases->v[k];
        const struct triage_incident *inc = &e->set->v[i];
        char when[24], why[256];
        fmt_time(inc->at, when, sizeof when);
        why_text(inc, &e->c, why, sizeof why);
        struct triage_person v = {0}, p = {0};
        int rc = inc->victim ? triage_person_describe(e->s, inc->victim, &v, err) : SVP_OK;
        if (rc == SVP_OK && inc->perpetrator)
            rc = triage_person_describe(e->s, inc->perpetrator, &p, err);
        struct triage_history h = {0};
        if (rc == SVP_OK)
            rc = triage_history_of(e->set, i, &h, err);
        if (rc)
            return rc;
        cli_csv_field(stdout, inc->ref);
        printf(",%s,%s,%s,%d,%d,", when, triage_level_name(inc->level),
               triage_level_name(inc->recorded), inc->dres.yes, inc->dres.asked);
        cli_csv_field(stdout, inc->problem ? inc->problem : why);
        printf(",%s,", inc->referred ? "yes" : "no");
        cli_csv_field(stdout, v.name);
        printf(",");
        cli_csv_field(stdout, p.name);
        printf(",%zu,%zu,%zu,%zu,%zu,", inc->nchildren, h.same_pair.n, h.victim_other.n,
               h.perp_other.n, h.referrals.n);
        cli_csv_field(stdout, v.id);
        printf(",");
        cli_csv_field(stdout, p.id);
        printf(",%d,%d,%d,%d\n", (inc->criteria & TRIAGE_CRIT_VISIBLE_HIGH) != 0,
               (inc->criteria & TRIAGE_CRIT_JUDGEMENT) != 0,
               (inc->criteria & TRIAGE_CRIT_ESCALATION) != 0,
               (inc->criteria & TRIAGE_CRIT_REPEAT) != 0);
        triage_history_free(&h);
    }
    return SVP_OK;
}

static void print_actions(const struct triage_action *v, size_t n, const char *incident)
{
    for (size_t k = 0; k < n; k++) {
        if (incident && strcmp(v[k].incident, incident))
            continue;
        char due[16], on[16];
        fmt_day(v[k].due, due, sizeof due);
        fmt_day(v[k].set_on, on, sizeof on);
        printf("   action %lld%s%s: %s: %s (owner %s, due %s, set %s)\n", (long long)v[k].id,
               incident ? "" : " for ", incident ? "" : v[k].incident, v[k].agency, v[k].action,
               v[k].owner, due, on);
    }
}

/* The call as the web page's export writes it (triage_call_json, triage_call_xlsx), every
 * person in full: the command line is for those who administer the database. */
static int write_xlsx(struct da_env *e, const struct triage_call *call, const char *path,
                      struct svp_err *err)
{
    struct triage_action *acts = NULL;
    size_t nacts = 0;
    json_t *doc = NULL;
    int rc = triage_actions_open(e->s, call->day, &acts, &nacts, err);
    if (rc == SVP_OK)
        rc = triage_call_json(e->s, e->set, call, acts, nacts, NULL, &doc, err);
    if (rc == SVP_OK)
        rc = triage_call_xlsx(doc, path, NULL, NULL, err);
    if (rc == SVP_OK)
        printf("wrote %s: %zu cases, %zu actions carried\n", path,
               json_array_size(json_object_get(doc, "cases")),
               json_array_size(json_object_get(doc, "carried")));
    json_decref(doc);
    svp_free(acts);
    return rc;
}

static int run_call(struct da_env *e, const struct da_args *a, struct svp_err *err)
{
    svp_day today = svp_date_today(), day = today;
    if (a->csv && a->xlsx)
        return svp_err_set(err, SVP_EUSAGE, "give --csv or --xlsx FILE, not both");
    int rc = a->date ? cli_parse_date(a->date, "--date", &day, err) : SVP_OK;
    struct triage_call call;
    if (rc == SVP_OK)
        rc = triage_call_build(e->set, e->cal, &e->c, day, today, &call, err);
    if (rc)
        return rc;
    if (a->csv) {
        rc = print_csv(e, &call.cases, err);
        triage_call_free(&call);
        return rc;
    }
    if (a->xlsx) {
        rc = write_xlsx(e, &call, a->xlsx, err);
        triage_call_free(&call);
        return rc;
    }
    static const char *const wd[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                     "Saturday", "Sunday"};
    char d[16], from[24], to[24];
    fmt_day(day, d, sizeof d);
    fmt_time(call.from, from, sizeof from);
    fmt_time(call.to, to, sizeof to);
    int n[4] = {0}, kids = 0;
    for (size_t k = 0; k < call.cases.n; k++) {
        const struct triage_incident *inc = &e->set->v[call.cases.v[k]];
        n[inc->level]++;
        kids += inc->nchildren > 0;
    }
    printf("Domestic abuse conference call, %s %s\n", wd[svp_date_weekday(day)], d);
    printf("Covers incidents from %s to %s (%d days)\n", from, to, (int)(day - call.previous));
    printf("%zu cases: %d high, %d medium, %d standard; %d with children present\n\n",
           call.cases.n, n[TRIAGE_HIGH], n[TRIAGE_MEDIUM], n[TRIAGE_STANDARD], kids);
    struct triage_action *acts = NULL;
    size_t nacts = 0;
    rc = triage_actions_open(e->s, day, &acts, &nacts, err);
    for (size_t k = 0; k < call.cases.n && rc == SVP_OK; k++) {
        rc = print_case(e, k + 1, call.cases.v[k], err);
        if (rc == SVP_OK)
            print_actions(acts, nacts, e->set->v[call.cases.v[k]].ref);
        printf("\n");
    }
    /* actions on earlier cases, carried until done */
    size_t carried = 0;
    for (size_t k = 0; k < nacts; k++) {
        bool here = false;
        for (size_t j = 0; j < call.cases.n; j++)
            here |= !strcmp(acts[k].incident, e->set->v[call.cases.v[j]].ref);
        if (!here) {
            if (!carried++)
                printf("Actions carried from earlier calls\n");
            print_actions(&acts[k], 1, NULL);
        }
    }
    if (rc == SVP_OK && !carried)
        printf("No actions carried from earlier calls\n");
    svp_free(acts);
    triage_call_free(&call);
    return rc;
}

static int parse_period(const struct da_args *a, bool required, svp_day *from, svp_day *to,
                        struct svp_err *err);

/* Every incident in the period, as the call's CSV (for analysts and for checking). */
static int run_list(struct da_env *e, const struct da_args *a, struct svp_err *err)
{
    svp_day from, to;
    int rc = parse_period(a, false, &from, &to, err);
    if (rc)
        return rc;
    struct triage_idx x = {0};
    for (size_t i = 0; i < e->set->n; i++)
        if (e->set->v[i].day >= from && e->set->v[i].day <= to) {
            size_t *nv = svp_grow(x.v, &x.cap, x.n + 1, sizeof *nv, 256);
            if (!nv) {
                triage_idx_free(&x);
                return svp_err_set(err, SVP_ENOMEM, "out of memory listing incidents");
            }
            x.v = nv;
            x.v[x.n++] = i;
        }
    rc = print_csv(e, &x, err);
    triage_idx_free(&x);
    return rc;
}

static int parse_period(const struct da_args *a, bool required, svp_day *from, svp_day *to,
                        struct svp_err *err)
{
    if (required && (!a->from || !a->to))
        return svp_err_set(err, SVP_EUSAGE, "give the period: --from DATE --to DATE");
    *from = INT32_MIN / 2;
    *to = INT32_MAX / 2;
    int rc = a->from ? cli_parse_date(a->from, "--from", from, err) : SVP_OK;
    if (rc == SVP_OK && a->to)
        rc = cli_parse_date(a->to, "--to", to, err);
    if (rc == SVP_OK && *to < *from)
        rc = svp_err_set(err, SVP_EUSAGE, "--to is before --from");
    return rc;
}

static double pct(long a, long b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static int run_figures(struct da_env *e, const struct da_args *a, struct svp_err *err)
{
    svp_day from, to;
    int rc = parse_period(a, true, &from, &to, err);
    struct triage_figures f;
    if (rc == SVP_OK)
        rc = triage_figures_compute(e->set, from, to, &f, err);
    if (rc)
        return rc;
    char df[16], dt[16];
    fmt_day(from, df, sizeof df);
    fmt_day(to, dt, sizeof dt);
    printf("MARAC data return, %s to %s\n", df, dt);
    printf("%-34s %8s  %s\n", "FIGURE", "VALUE", "");
    printf("%-34s %8ld\n", "domestic abuse incidents", f.incidents);
    printf("%-34s %8ld\n", "MARAC cases", f.cases);
    printf("%-34s %8ld  %.1f%% of cases\n", "repeat cases", f.repeat_cases,
           pct(f.repeat_cases, f.cases));
    printf("%-34s %8ld\n", "children in the households", f.children);
    printf("%-34s %8ld  %.1f%%\n", "referrals from the police", f.by_agency_police,
           pct(f.by_agency_police, f.cases));
    printf("%-34s %8ld  %.1f%%\n", "referrals from other agencies", f.by_agency_other,
           pct(f.by_agency_other, f.cases));
    for (size_t k = 0; k < f.nby_agency; k++) {
        char label[40];
        snprintf(label, sizeof label, "  referred by %s", f.by_agency[k].agency);
        printf("%-34s %8ld  %.1f%%\n", label, f.by_agency[k].cases,
               pct(f.by_agency[k].cases, f.cases));
    }
    printf("%-34s %8ld  %.1f%%\n", "victims who are male", f.victims_male,
           pct(f.victims_male, f.cases));
    printf("%-34s %8ld  %.1f%%\n", "victims from minority ethnic groups", f.victims_bme,
           pct(f.victims_bme, f.cases));
    printf("%-34s %8ld  %.1f%%  (as recorded by the MARAC)\n", "victims who are disabled",
           f.victims_disabled, pct(f.victims_disabled, f.cases));
    printf("%-34s %8ld  %.1f%%  (as recorded by the MARAC)\n", "victims who are LGBT+",
           f.victims_lgbt, pct(f.victims_lgbt, f.cases));
    printf("%-34s %8ld\n", "incidents meeting MARAC criteria", f.meets_criteria);
    printf("%-34s %8ld\n", "  visible high risk", f.crit_visible);
    printf("%-34s %8ld\n", "  professional judgement", f.crit_judgement);
    printf("%-34s %8ld\n", "  potential escalation", f.crit_escalation);
    printf("%-34s %8ld\n", "  repeat MARAC", f.crit_repeat);
    printf("%-34s %8ld\n", "  of which no referral recorded", f.meets_not_referred);
    printf("%-34s %8ld\n", "serial perpetrators", f.serial_perpetrators);
    printf("%-34s %8ld\n", "repeat victims", f.repeat_victims);
    return SVP_OK;
}

static int run_marac(struct da_env *e, const struct da_args *a, struct svp_err *err)
{
    svp_day from, to;
    int rc = parse_period(a, true, &from, &to, err);
    if (rc)
        return rc;
    printf("%-12s %-20s %-6s %-28s %-28s %s\n", "DATE", "INCIDENT", "REPEAT", "VICTIM",
           "PERPETRATOR", "CHILDREN IN HOUSEHOLD");
    long cases = 0, children = 0;
    for (size_t i = 0; i < e->set->n && rc == SVP_OK; i++) {
        const struct triage_incident *inc = &e->set->v[i];
        if (!inc->referred || inc->problem || inc->day < from || inc->day > to)
            continue;
        triage_subject kids[64];
        size_t nk = triage_household_children(e->set, i, kids, 64);
        struct triage_person v = {0}, p = {0};
        rc = triage_person_describe(e->s, inc->victim, &v, err);
        if (rc == SVP_OK && inc->perpetrator)
            rc = triage_person_describe(e->s, inc->perpetrator, &p, err);
        char d[16];
        fmt_day(inc->day, d, sizeof d);
        printf("%-12s %-20s %-6s %-28.28s %-28.28s %zu", d, inc->ref,
               inc->repeat_referral ? "yes" : "no", v.name, p.name, nk);
        for (size_t k = 0; rc == SVP_OK && k < nk && k < 64; k++) {
            struct triage_person c;
            rc = triage_person_describe(e->s, kids[k], &c, err);
            if (rc == SVP_OK)
                printf("%s%s", k ? ", " : ": ", c.name);
        }
        printf("\n");
        cases++;
        children += (long)nk;
    }
    if (rc == SVP_OK)
        printf("%ld cases, %ld children in their households\n", cases, children);
    return rc;
}

static int run_groups(struct da_env *e, const struct da_args *a, enum triage_group_kind kind,
                      struct svp_err *err)
{
    svp_day from, to;
    int rc = parse_period(a, false, &from, &to, err);
    struct triage_group *g = NULL;
    size_t n = 0;
    if (rc == SVP_OK)
        rc = triage_groups(e->set, kind, from, to, &g, &n, err);
    if (rc)
        return rc;
    bool serial = kind == TRIAGE_SERIAL;
    if (a->csv)
        printf("id,name,incidents,%s,faster,worse,refs\n", serial ? "victims" : "partners");
    else
        printf("%-28s %9s %9s %-8s %-8s %s\n", serial ? "PERPETRATOR" : "VICTIM", "INCIDENTS",
               serial ? "VICTIMS" : "PARTNERS", "FASTER", "WORSE", "INCIDENTS (DATE REF)");
    for (size_t k = 0; k < n && rc == SVP_OK; k++) {
        struct triage_person p;
        rc = triage_person_describe(e->s, g[k].who, &p, err);
        if (rc)
            break;
        if (a->csv) {
            cli_csv_field(stdout, p.id);
            printf(",");
            cli_csv_field(stdout, p.name);
            printf(",%zu,%d,%d,%d,", g[k].incidents.n, g[k].others, g[k].faster, g[k].worse);
            for (size_t j = 0; j < g[k].incidents.n; j++)
                printf("%s%s", j ? ";" : "", e->set->v[g[k].incidents.v[j]].ref);
            printf("\n");
            continue;
        }
        printf("%-28.28s %9zu %9d %-8s %-8s", p.name, g[k].incidents.n, g[k].others,
               g[k].faster ? "yes" : "no", g[k].worse ? "yes" : "no");
        for (size_t j = 0; j < g[k].incidents.n; j++) {
            const struct triage_incident *inc = &e->set->v[g[k].incidents.v[j]];
            char d[16];
            fmt_day(inc->day, d, sizeof d);
            printf("%s%s %s", j ? ", " : " ", d, inc->ref);
        }
        printf("\n");
    }
    if (rc == SVP_OK && !a->csv)
        printf("%zu %s\n", n, serial ? "serial perpetrators" : "repeat victims");
    triage_groups_free(&g, n);
    return rc;
}

static int run_encompass(struct da_env *e, const struct da_args *a, struct svp_err *err)
{
    svp_day from, to, as_of = svp_date_today();
    int rc = parse_period(a, false, &from, &to, err);
    if (rc == SVP_OK && a->as_of)
        rc = cli_parse_date(a->as_of, "--as-of", &as_of, err);
    if (rc)
        return rc;
    svp_time now = (svp_time)(as_of + 1) * 86400 - 1; /* the end of the day judged on */
    printf("%-20s %-17s %-28s %-24s %-17s %-17s %s\n", "INCIDENT", "AT", "CHILD", "SCHOOL",
           "TELL SCHOOL BY", "TOLD", "STATE");
    for (size_t i = 0; i < e->set->n && rc == SVP_OK; i++) {
        const struct triage_incident *inc = &e->set->v[i];
        if (inc->day < from || inc->day > to)
            continue;
        for (size_t k = 0; k < inc->nchildren && rc == SVP_OK; k++) {
            svp_time due;
            enum triage_told state;
            struct triage_person c;
            rc = triage_encompass_state(e->set, i, k, e->cal, &e->c, now, &due, &state, err);
            if (rc == SVP_OK)
                rc = triage_person_describe(e->s, inc->children[k], &c, err);
            if (rc)
                break;
            char at[24], by[24], told[24] = "-";
            fmt_time(inc->at, at, sizeof at);
            fmt_time(due, by, sizeof by);
            if (inc->told && inc->told[k])
                fmt_time(inc->told[k], told, sizeof told);
            printf("%-20s %-17s %-28.28s %-24.24s %-17s %-17s %s\n", inc->ref, at, c.name,
                   c.school[0] ? c.school : "not recorded", by, told,
                   triage_told_name(state));
        }
    }
    struct triage_encompass_figures f;
    if (rc == SVP_OK)
        rc = triage_encompass_compliance(e->set, e->cal, &e->c, from, to, now, &f, err);
    if (rc == SVP_OK) {
        long decided = f.on_time + f.late + f.overdue;
        printf("%ld children: %ld told on time, %ld late, %ld overdue, %ld not yet due",
               f.children, f.on_time, f.late, f.overdue, f.open);
        if (decided)
            printf("; %.1f%% on time", 100.0 * (double)f.on_time / (double)decided);
        printf("\n");
    }
    return rc;
}

static int run_notify(struct da_env *e, const struct da_args *a, const char *incident,
                      const char *child, struct svp_err *err)
{
    if (!a->at)
        return svp_err_set(err, SVP_EUSAGE, "give --at DATETIME (when the school was told)");
    svp_time at;
    if (svp_time_parse_iso(a->at, strlen(a->at), &at, err))
        return svp_err_set(err, SVP_EUSAGE, "--at: %s", err->msg);
    if (at / 86400 > svp_date_today())
        return svp_err_set(err, SVP_EINPUT, "--at is in the future");
    int rc = triage_encompass_record(e->s, e->set, incident, child, at, err);
    if (rc == SVP_OK)
        printf("recorded: the school of %s was told about %s\n", child, incident);
    return rc;
}

static int run_action(struct da_env *e, const struct da_args *a, const char **pos, int npos,
                      struct svp_err *err)
{
    svp_day today = svp_date_today(), day = today;
    int rc = a->date ? cli_parse_date(a->date, "--date", &day, err) : SVP_OK;
    if (rc)
        return rc;
    if (day > today)
        return svp_err_set(err, SVP_EINPUT, "--date is in the future");
    if (!strcmp(pos[1], "add")) {
        if (npos != 3 || !a->agency || !a->action || !a->owner || !a->due)
            return svp_err_set(err, SVP_EUSAGE, "action add INCIDENT --agency A --action TEXT "
                                                "--owner WHO --due DATE");
        struct triage_action act = {0};
        svp_strlcpy(act.incident, pos[2], sizeof act.incident);
        svp_strlcpy(act.agency, a->agency, sizeof act.agency);
        if (strlen(a->action) > TRIAGE_TEXT_MAX || strlen(a->owner) > 80)
            return svp_err_set(err, SVP_EINPUT, "--action is at most %d bytes, --owner 80",
                               TRIAGE_TEXT_MAX);
        svp_strlcpy(act.action, a->action, sizeof act.action);
        svp_strlcpy(act.owner, a->owner, sizeof act.owner);
        act.set_on = day;
        rc = cli_parse_date(a->due, "--due", &act.due, err);
        int64_t id = 0;
        if (rc == SVP_OK)
            rc = triage_action_add(e->s, e->set, &act, &id, err);
        if (rc == SVP_OK)
            printf("added action %lld for %s\n", (long long)id, act.incident);
        return rc;
    }
    if (!strcmp(pos[1], "done")) {
        int64_t id;
        if (npos != 3 || svp_parse_i64(pos[2], &id))
            return svp_err_set(err, SVP_EUSAGE, "action done ID (a number)");
        rc = triage_action_done(e->s, id, day, err);
        if (rc == SVP_OK)
            printf("action %lld done\n", (long long)id);
        return rc;
    }
    if (!strcmp(pos[1], "list") && npos == 2) {
        struct triage_action *v = NULL;
        size_t n = 0;
        rc = triage_actions_open(e->s, day, &v, &n, err);
        if (rc == SVP_OK) {
            print_actions(v, n, NULL);
            printf("%zu open actions\n", n);
        }
        svp_free(v);
        return rc;
    }
    return svp_err_set(err, SVP_EUSAGE, "expected action add, done or list");
}

static int run_dash(struct da_env *e, const char *path, struct svp_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot open the file");
    struct svp_buf b;
    svp_buf_init(&b, 64u * 1024u);
    char chunk[4096];
    size_t got;
    int rc = SVP_OK;
    while (rc == SVP_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (svp_buf_append(&b, chunk, got))
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "larger than 64 KiB");
    fclose(f);
    struct triage_dash_result r;
    if (rc == SVP_OK)
        rc = triage_assessment_record(e->s, &e->qs, &e->c, e->set, b.data ? b.data : "",
                                      svp_date_today(), &r, err);
    svp_buf_free(&b);
    if (rc && err->file[0] == '\0')
        svp_strlcpy(err->file, path, sizeof err->file);
    if (rc == SVP_OK)
        printf("recorded: %d yes of %d (%d not known or not asked), level %s%s\n", r.yes,
               r.asked, r.unknown, triage_level_name(r.level),
               r.criteria & TRIAGE_CRIT_VISIBLE_HIGH ? " (visible high risk)"
               : r.criteria & TRIAGE_CRIT_JUDGEMENT  ? " (professional judgement)"
                                                      : "");
    return rc;
}

static void print_criteria(const struct da_env *e)
{
    printf("MARAC criteria\n");
    printf("  visible high risk       %d or more yes answers\n", e->c.high_risk_yes);
    printf("  potential escalation    %d incidents within %d months\n",
           e->c.escalation_incidents, e->c.escalation_months);
    printf("  repeat MARAC            an incident within %d months of the last referral\n",
           e->c.repeat_months);
    printf("  professional judgement  the assessor's high level, with a reason\n");
    printf("daily call at %02d:%02d; schools start at %02d:%02d\n\n", e->c.call_minute / 60,
           e->c.call_minute % 60, e->c.school_minute / 60, e->c.school_minute % 60);
    printf("%-5s %-18s %-7s %-6s %s\n", "ID", "FORMS", "POLICE", "COUNTS", "TOPIC");
    for (size_t i = 0; i < e->qs.n; i++) {
        const struct triage_question *q = &e->qs.v[i];
        char forms[32] = "";
        for (int f = 0; f < TRIAGE_FORM_N; f++)
            if (q->forms & (1u << f)) {
                size_t l = strlen(forms);
                snprintf(forms + l, sizeof forms - l, "%s%s", l ? " " : "",
                         triage_form_name((enum triage_form)f));
            }
        char pos[8] = "-";
        if (q->police_pos)
            snprintf(pos, sizeof pos, "%d", q->police_pos);
        printf("%-5s %-18s %-7s %-6s %s\n", q->id, forms, pos, q->counts ? "yes" : "no",
               q->topic);
    }
}

int cmd_da(int argc, char **argv, struct cli_ctx *ctx)
{
    struct da_args a = {0};
    const struct cli_opt opts[] = {
        {"date", &a.date, NULL},           {"from", &a.from, NULL},
        {"to", &a.to, NULL},               {"criteria", &a.criteria, NULL},
        {"questions", &a.questions, NULL}, {"csv", NULL, &a.csv},
        {"as-of", &a.as_of, NULL},         {"at", &a.at, NULL},
        {"agency", &a.agency, NULL},       {"action", &a.action, NULL},
        {"owner", &a.owner, NULL},         {"due", &a.due, NULL},
        {"xlsx", &a.xlsx, NULL},
        {NULL, NULL, NULL},
    };
    const char *pos[5];
    int npos;
    struct svp_err err;
    int go = cli_begin("da", da_help, argc, argv, opts, ctx, pos, 5, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    static const char *const subs[] = {"call",      "figures",  "marac",  "serial", "repeat",
                                       "encompass", "criteria", "action", "dash",   "list"};
    int k = -1;
    for (int i = 0; npos >= 1 && i < 10; i++)
        if (!strcmp(pos[0], subs[i]))
            k = i;
    if (k < 0)
        return cli_usage_error("da", "expected one of call, figures, marac, serial, repeat, "
                                     "encompass, action, dash, list, criteria");
    bool notify = k == 5 && npos >= 2 && !strcmp(pos[1], "notify");
    if ((k == 7 && npos < 2) || (k == 8 && (npos != 3 || strcmp(pos[1], "record"))) ||
        (notify && npos != 4) || (!notify && (k < 7 || k == 9) && npos != 1))
        return cli_usage_error("da", "wrong arguments for '%s' (see svp da --help)", subs[k]);
    bool writes = k == 7 || k == 8 || notify;
    struct da_env e;
    /* the call and actions show children present, not households */
    unsigned skip = k == 0 || k == 7 ? TRIAGE_SKIP_HOUSEHOLDS : 0;
    int rc = env_open(ctx, &a, k != 6, writes, skip, &e, &err);
    if (rc == SVP_OK) {
        switch (k) {
        case 0: rc = run_call(&e, &a, &err); break;
        case 1: rc = run_figures(&e, &a, &err); break;
        case 2: rc = run_marac(&e, &a, &err); break;
        case 3: rc = run_groups(&e, &a, TRIAGE_SERIAL, &err); break;
        case 4: rc = run_groups(&e, &a, TRIAGE_REPEAT_VICTIM, &err); break;
        case 5:
            rc = notify ? run_notify(&e, &a, pos[2], pos[3], &err) : run_encompass(&e, &a, &err);
            break;
        case 7: rc = run_action(&e, &a, pos, npos, &err); break;
        case 8: rc = run_dash(&e, pos[2], &err); break;
        case 9: rc = run_list(&e, &a, &err); break;
        default: print_criteria(&e); break;
        }
        env_close(&e);
    }
    if (rc == SVP_EUSAGE)
        return cli_usage_error("da", "%s", err.msg);
    return rc ? cli_fail(&err) : 0;
}
