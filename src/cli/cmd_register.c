/* `svp register`: every register of the registers room from one command (the schemas say
 * which fields each has, so a field added to a schema is a new option here), CSV import and
 * CSV or XLSX export, and the annual report's figures (registers/figures.h). */
#include "cli.h"
#include "registers/figures.h"
#include "registers/registers.h"

#include <string.h>

static const char register_help[] =
    "usage: svp register list [NAME] [--parent REF]\n"
    "       svp register fields NAME\n"
    "       svp register show NAME REF [--history]\n"
    "       svp register add NAME [REF] [--parent REF] [--FIELD VALUE ...]\n"
    "       svp register update NAME REF --FIELD VALUE ...\n"
    "       svp register import NAME FILE.csv\n"
    "       svp register export NAME [--format csv|xlsx] [--out FILE]\n"
    "       svp register figures [WHICH] [--from DATE] [--to DATE] [--year Y] [--as-of DATE]\n"
    "       svp register stages\n"
    "\n"
    "The partnership's registers (docs/registers.md): 'list' alone names them; with NAME it\n"
    "lists the entries. A top-level register's entries take the partnership's REF; a child\n"
    "register's (session, booking, evaluation, escalation, attendance, recommendation,\n"
    "action, evidence) are numbered under --parent (a recommendation's parent may be\n"
    "REF of a review or audit:REF, inspection:REF, child_death:REF). Options are the\n"
    "register's fields with '-' for '_' ('svp register fields NAME'); an empty value clears a\n"
    "field on update. A refused change stores nothing and names the field.\n"
    "import reads a CSV whose header is ref (or parent) and field names: every row is\n"
    "checked, refused rows are listed as FILE:LINE: field: why, and nothing is stored unless\n"
    "every row is good. export writes CSV to standard output (or --out) or XLSX (--out).\n"
    "figures prints the annual report's figures: training, distance, returns, challenges,\n"
    "recommendations, cdop, risks, attendance (all when WHICH is not given); --year picks\n"
    "an audit round (e.g. 2016-17), --from/--to the period, --as-of the day states are\n"
    "judged on. stages lists the Case Resolution Protocol's stages and time limits.\n";

#define MAX_OPTS (REG_MAX_FIELDS + 12)

struct register_args {
    const char *values[REG_MAX_FIELDS];
    char names[REG_MAX_FIELDS][48];
    struct cli_opt opts[MAX_OPTS];
    const char *parent, *format, *out, *from, *to, *year, *as_of, *rules;
    bool history;
};

static void build_opts(const struct reg_schema *sc, struct register_args *a)
{
    size_t k = 0;
    for (size_t i = 0; sc && i < sc->nfields; i++) {
        svp_strlcpy(a->names[i], sc->fields[i].name, sizeof a->names[i]);
        for (char *p = a->names[i]; *p; p++)
            if (*p == '_')
                *p = '-';
        a->opts[k++] = (struct cli_opt){a->names[i], &a->values[i], NULL};
    }
    a->opts[k++] = (struct cli_opt){"parent", &a->parent, NULL};
    a->opts[k++] = (struct cli_opt){"format", &a->format, NULL};
    a->opts[k++] = (struct cli_opt){"out", &a->out, NULL};
    a->opts[k++] = (struct cli_opt){"from", &a->from, NULL};
    a->opts[k++] = (struct cli_opt){"to", &a->to, NULL};
    a->opts[k++] = (struct cli_opt){"year", &a->year, NULL};
    a->opts[k++] = (struct cli_opt){"as-of", &a->as_of, NULL};
    a->opts[k++] = (struct cli_opt){"rules", &a->rules, NULL};
    a->opts[k++] = (struct cli_opt){"history", NULL, &a->history};
    a->opts[k] = (struct cli_opt){NULL, NULL, NULL};
}

static const char *type_name(const struct reg_field *f, char *buf, size_t cap)
{
    switch (f->type) {
    case REG_TEXT:
        snprintf(buf, cap, "text (up to %zu bytes)", f->max_len);
        break;
    case REG_DATE:
        snprintf(buf, cap, "date");
        break;
    case REG_CHOICE:
        snprintf(buf, cap, "one of %s", f->choices);
        break;
    case REG_INT:
        snprintf(buf, cap, "whole number %ld-%ld", f->min, f->max);
        break;
    case REG_REF:
        snprintf(buf, cap, "ref of a %s", f->choices);
        break;
    }
    return buf;
}

static int list_registers(struct store *s, struct svp_err *err)
{
    printf("%-16s %-22s %-36s %-8s %s\n", "REGISTER", "TITLE", "PARENT", "ENTRIES",
           "CHANGED BY (WEB)");
    const struct reg_schema *sc;
    int rc = SVP_OK;
    for (size_t i = 0; rc == SVP_OK && (sc = reg_schema_at(i)); i++) {
        if (!strncmp(sc->name, "panel_", 6))
            continue; /* personal data: the panel's pages only */
        struct reg_entry *v = NULL;
        size_t n = 0;
        if ((rc = reg_list(s, sc, 0, &v, &n, err)))
            break;
        reg_entries_free(&v, n);
        printf("%-16s %-22s %-36s %-8zu %s\n", sc->name, sc->title, sc->parent ? sc->parent : "-",
               n, sc->roles ? sc->roles : "administrator");
    }
    return rc;
}

static int print_fields(const struct reg_schema *sc)
{
    printf("%s (%s)%s%s\n", sc->name, sc->title, sc->parent ? ", entries of a " : "",
           sc->parent ? sc->parent : "");
    char buf[300];
    for (size_t i = 0; i < sc->nfields; i++)
        printf("  %-20s %-9s %-40s %s\n", sc->fields[i].name,
               sc->fields[i].required ? "required" : "", type_name(&sc->fields[i], buf, sizeof buf),
               sc->fields[i].help);
    for (size_t i = 0; i < sc->ncomputed; i++)
        printf("  %-20s %-9s %-40s %s\n", sc->computed[i].name, "computed", "",
               sc->computed[i].help);
    return SVP_OK;
}

static int list_entries(struct store *s, const struct reg_schema *sc, const char *parent,
                        struct svp_err *err)
{
    int64_t pid = 0;
    int rc;
    if (parent) {
        struct reg_entry p;
        const char *pname = sc->parent ? sc->parent : "";
        char reg[48];
        const char *pref = parent, *colon = strchr(parent, ':');
        if (colon) {
            snprintf(reg, sizeof reg, "%.*s", (int)(colon - parent), parent);
            pref = colon + 1;
        } else {
            snprintf(reg, sizeof reg, "%.*s", (int)strcspn(pname, "|"), pname);
        }
        const struct reg_schema *ps = reg_schema_find(reg);
        if (!ps || !reg_schema_has_parent(sc, reg))
            return svp_err_at(err, SVP_EINPUT, NULL, 0, "parent", "a %s has no parent '%s'",
                              sc->title, reg);
        if ((rc = reg_get(s, ps, pref, &p, err)))
            return rc;
        pid = p.id;
        reg_entry_clear(&p);
    }
    struct reg_entry *v = NULL;
    size_t n = 0;
    if ((rc = reg_list(s, sc, pid, &v, &n, err)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        printf("%s", v[i].ref);
        for (size_t f = 0; f < sc->nfields; f++)
            if (v[i].values[f] && (sc->fields[f].required || f < 4))
                printf("  %s=%.60s", sc->fields[f].name, v[i].values[f]);
        putchar('\n');
    }
    if (n == 0)
        printf("no %s entries\n", sc->name);
    reg_entries_free(&v, n);
    return SVP_OK;
}

static void print_entry(const struct reg_entry *e)
{
    const struct reg_schema *sc = e->schema;
    printf("%s %s\n", sc->title, e->ref);
    for (size_t f = 0; f < sc->nfields; f++)
        if (e->values[f])
            printf("  %-20s %s\n", sc->fields[f].name, e->values[f]);
    for (size_t f = 0; f < sc->ncomputed; f++) {
        char buf[64];
        const char *v = reg_entry_computed(e, sc->computed[f].name, buf, sizeof buf);
        if (v)
            printf("  %-20s %s (computed)\n", sc->computed[f].name, v);
    }
    printf("  %-20s %s\n  %-20s %s\n", "added", e->created_at, "changed", e->updated_at);
}

static int show_entry(struct cli_clock_env *env, const struct reg_schema *sc, const char *ref,
                      bool history, struct svp_err *err)
{
    struct reg_entry e;
    int rc = reg_get(env->s, sc, ref, &e, err);
    if (rc)
        return rc;
    print_entry(&e);
    reg_entry_clear(&e);
    struct clock_query q = {.as_of = env->as_of};
    struct clock_list list = {0};
    rc = reg_register_clocks(env->s, env->cal, env->rules, &q, sc->name, ref, &list, err);
    for (size_t i = 0; rc == SVP_OK && i < list.n; i++) {
        char due[16] = "-";
        if (list.v[i].due.set)
            svp_date_format(list.v[i].due.day, due, sizeof due);
        printf("  clock %-16s due %s %s\n", list.v[i].rule->id, due,
               clock_state_name(list.v[i].state));
    }
    clock_list_free(&list);
    if (rc == SVP_OK && history) {
        struct reg_history_row *h = NULL;
        size_t n = 0;
        if ((rc = reg_history(env->s, sc, ref, &h, &n, err)) == SVP_OK)
            for (size_t i = 0; i < n; i++)
                printf("  history %s %s by %s: %s\n", h[i].at, h[i].change, h[i].by, h[i].data);
        reg_history_free(&h, n);
    }
    return rc;
}

static size_t collect_changes(const struct reg_schema *sc, const struct register_args *a,
                              struct reg_change *ch)
{
    size_t n = 0;
    for (size_t i = 0; i < sc->nfields; i++)
        if (a->values[i])
            ch[n++] = (struct reg_change){sc->fields[i].name, a->values[i]};
    return n;
}

static int add_entry(struct store *s, const struct reg_schema *sc, const char *ref,
                     const struct register_args *a, struct svp_err *err)
{
    if (sc->parent && ref)
        return svp_err_set(err, SVP_EUSAGE, "a %s is numbered under its --parent: give no REF",
                           sc->title);
    if (!sc->parent && !ref)
        return svp_err_set(err, SVP_EUSAGE, "a %s needs its REF", sc->title);
    struct reg_entry e;
    int rc = reg_entry_init(&e, sc, err);
    if (rc)
        return rc;
    if (ref)
        svp_strlcpy(e.ref, ref, sizeof e.ref);
    struct reg_change ch[REG_MAX_FIELDS];
    size_t n = collect_changes(sc, a, ch);
    for (size_t i = 0; i < n && rc == SVP_OK; i++)
        rc = reg_entry_set(&e, ch[i].field, ch[i].value, err);
    if (rc == SVP_OK)
        rc = reg_add_as(s, &e, a->parent, "command line", NULL, NULL, err);
    if (rc == SVP_OK)
        printf("added %s %s\n", sc->title, e.ref);
    reg_entry_clear(&e);
    return rc;
}

static int import_file(struct store *s, const struct reg_schema *sc, const char *path,
                       struct svp_err *err)
{
    struct reg_import_result res;
    char actor[64];
    snprintf(actor, sizeof actor, "import %.50s", path);
    int rc = reg_import_csv(s, sc, path, actor, &res, err);
    for (size_t i = 0; i < res.nerrors; i++) {
        char line[1024];
        svp_err_format(&res.errors[i], line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (res.refused > (long)res.nerrors)
        fprintf(stderr, "... and %ld more refused rows\n", res.refused - (long)res.nerrors);
    if (rc == SVP_OK)
        printf("%s: %ld rows read, %ld %s entries added\n", path, res.rows, res.added, sc->name);
    reg_import_result_free(&res);
    return rc;
}

static int export_register(struct store *s, const struct reg_schema *sc,
                           const struct register_args *a, struct svp_err *err)
{
    bool xlsx = a->format && !strcmp(a->format, "xlsx");
    if (a->format && !xlsx && strcmp(a->format, "csv"))
        return svp_err_set(err, SVP_EUSAGE, "--format is csv or xlsx");
    if (xlsx && !a->out)
        return svp_err_set(err, SVP_EUSAGE, "an XLSX export needs --out FILE");
    struct reg_table t;
    int rc = reg_table_build(s, sc, &t, err);
    if (rc)
        return rc;
    if (xlsx) {
        rc = reg_table_write_xlsx(&t, sc, a->out, err);
    } else if (a->out) {
        FILE *f = fopen(a->out, "w");
        if (!f)
            rc = svp_err_set(err, SVP_EIO, "cannot write %s", a->out);
        else {
            rc = reg_table_write_csv(&t, f, err);
            if (fclose(f) && rc == SVP_OK)
                rc = svp_err_set(err, SVP_EIO, "cannot write %s", a->out);
        }
    } else {
        rc = reg_table_write_csv(&t, stdout, err);
    }
    if (rc == SVP_OK && a->out)
        printf("wrote %zu %s entries to %s\n", t.nrows - 1, sc->name, a->out);
    reg_table_free(&t);
    return rc;
}

/* A rate for print: "91.3%" or "-" when there is nothing to divide by. */
static const char *pct(double r, char *buf, size_t cap)
{
    if (r < 0)
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.0f%%", r * 100); /* annual reports print whole per cents */
    return buf;
}

static const char *num(double v, char *buf, size_t cap)
{
    if (v < 0)
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.1f", v);
    return buf;
}

static int fig_training(struct store *s, const struct register_args *a, struct svp_err *err)
{
    struct reg_training_row *rows = NULL;
    size_t n = 0;
    char b1[16];
    int rc = reg_fig_training_by_course(s, a->from, a->to, &rows, &n, err);
    if (rc)
        return rc;
    printf("training by course\n%-60s %8s %9s %8s %6s\n", "COURSE", "SESSIONS", "ATTENDEES",
           "CAPACITY", "FILL");
    for (size_t i = 0; i < n; i++)
        printf("%-60.60s %8ld %9ld %8ld %6s\n", rows[i].key, rows[i].sessions, rows[i].attendees,
               rows[i].capacity, pct(rows[i].fill, b1, sizeof b1));
    svp_free(rows);
    if ((rc = reg_fig_training_by_agency(s, a->from, a->to, &rows, &n, err)))
        return rc;
    printf("\ntraining by agency (bookings)\n%-40s %8s %9s %8s %6s\n", "AGENCY", "BOOKED",
           "ATTENDEES", "NO-SHOWS", "SHARE");
    for (size_t i = 0; i < n; i++)
        printf("%-40.40s %8ld %9ld %8ld %6s\n", rows[i].key, rows[i].booked, rows[i].attendees,
               rows[i].no_shows, pct(rows[i].share, b1, sizeof b1));
    svp_free(rows);
    return SVP_OK;
}

static int fig_distance(struct store *s, const struct register_args *a, struct svp_err *err)
{
    struct reg_distance_row *rows = NULL;
    size_t n = 0;
    char b1[16], b2[16], b3[16], b4[16], b5[16], b6[16];
    int rc = reg_fig_distance(s, a->from, a->to, &rows, &n, err);
    if (rc)
        return rc;
    printf("evaluations and distance travelled\n%-30s %-30s %8s %7s %6s %6s %6s %6s %6s %6s\n",
           "COURSE", "OUTCOME", "ATTENDED", "RETURNS", "RATE", "BEFORE", "AFTER", "CHANGE", "ROSE",
           "RATING");
    for (size_t i = 0; i < n; i++)
        printf("%-30.30s %-30.30s %8ld %7ld %6s %6s %6s %6s %6s %6s\n", rows[i].course,
               rows[i].outcome, rows[i].attended, rows[i].returns,
               pct(rows[i].return_rate, b1, sizeof b1), num(rows[i].before, b2, sizeof b2),
               num(rows[i].after, b3, sizeof b3),
               rows[i].returns ? (snprintf(b4, sizeof b4, "%+.1f", rows[i].change), b4) : "-",
               pct(rows[i].returns ? (double)rows[i].increased / (double)rows[i].returns : -1, b5,
                   sizeof b5),
               num(rows[i].rating, b6, sizeof b6));
    if (n == 0)
        printf("no evaluations\n");
    svp_free(rows);
    return SVP_OK;
}

static int fig_returns(struct store *s, const struct register_args *a, struct svp_err *err)
{
    struct reg_return_row *rows = NULL;
    size_t n = 0;
    char b1[16];
    int rc = reg_fig_returns(s, a->year, &rows, &n, err);
    if (rc)
        return rc;
    printf("audit returns%s%s\n%-12s %-20s %6s %8s %6s %10s\n", a->year ? " " : "",
           a->year ? a->year : "", "KIND", "SECTOR", "ASKED", "RETURNED", "RATE", "CHALLENGED");
    for (size_t i = 0; i < n; i++)
        printf("%-12s %-20.20s %6ld %8ld %6s %10ld\n", rows[i].kind,
               *rows[i].sector ? rows[i].sector : "all", rows[i].total, rows[i].returned,
               pct(rows[i].rate, b1, sizeof b1), rows[i].challenged);
    if (n == 0)
        printf("no returns\n");
    svp_free(rows);
    return SVP_OK;
}

static int fig_challenges(struct cli_clock_env *env, const struct register_args *a,
                          struct svp_err *err)
{
    struct reg_challenge_figs f;
    int rc = reg_fig_challenges(env->s, env->cal, a->from, a->to, env->as_of, &f, err);
    if (rc)
        return rc;
    printf("challenges: %ld\nby theme\n", f.total);
    for (size_t i = 0; i < f.nthemes; i++)
        printf("  %-40s %ld\n", f.themes[i].key, f.themes[i].n);
    printf("by outcome\n");
    for (size_t i = 0; i < f.noutcomes; i++)
        printf("  %-40s %ld\n", f.outcomes[i].key, f.outcomes[i].n);
    printf("by agency challenged\n  %-38s %10s %9s %9s %7s %5s\n", "AGENCY", "CHALLENGES",
           "RESPONDED", "MEAN DAYS", "STAGES", "LATE");
    char b1[16];
    for (size_t i = 0; i < f.nagencies; i++)
        printf("  %-38.38s %10ld %9ld %9s %7ld %5ld\n", f.agencies[i].key, f.agencies[i].n,
               f.agencies[i].responded, num(f.agencies[i].mean_days, b1, sizeof b1),
               f.agencies[i].stages, f.agencies[i].stages_late);
    reg_challenge_figs_free(&f);
    return SVP_OK;
}

static int fig_recommendations(struct cli_clock_env *env, struct svp_err *err)
{
    struct reg_open_rec *rows = NULL;
    size_t n = 0;
    int rc = reg_fig_open_recommendations(env->s, NULL, env->as_of, &rows, &n, err);
    if (rc)
        return rc;
    long insp = 0;
    for (size_t i = 0; i < n; i++)
        insp += !strcmp(rows[i].parent_register, "inspection");
    printf("open recommendations: %zu (of inspections: %ld)\n", n, insp);
    for (size_t i = 0; i < n; i++)
        printf("  %-12s %-24s %-28s actions open %ld, overdue %ld%s%s  %.60s\n",
               rows[i].parent_register, rows[i].parent_ref, rows[i].ref, rows[i].actions_open,
               rows[i].actions_overdue, *rows[i].course ? ", course " : "", rows[i].course,
               rows[i].text);
    svp_free(rows);
    return SVP_OK;
}

static int fig_cdop(struct store *s, const struct register_args *a, struct svp_err *err)
{
    struct reg_cdop_figs f;
    int rc = reg_fig_cdop(s, a->from, a->to, &f, err);
    if (rc)
        return rc;
    char b1[16], b2[16], b3[16];
    printf("child deaths\n"
           "  notifications          %ld\n"
           "  unexpected             %ld\n"
           "  expected               %ld\n"
           "  under one (notified)   %ld\n"
           "  reviewed               %ld\n"
           "  modifiable factors     %ld (%s of reviewed)\n"
           "  under one (reviewed)   %ld (%s of reviewed)\n"
           "  awaiting review        %ld\n"
           "  rapid responses        %ld (mean %s days from notification)\n",
           f.notifications, f.unexpected, f.expected, f.under_1_notified, f.reviewed, f.modifiable,
           pct(f.modifiable_rate, b1, sizeof b1), f.under_1_reviewed,
           pct(f.under_1_rate, b2, sizeof b2), f.awaiting_review, f.rapid_responses,
           num(f.rapid_response_mean_days, b3, sizeof b3));
    return SVP_OK;
}

static int fig_risks(struct cli_clock_env *env, struct svp_err *err)
{
    for (int after = 0; after < 2; after++) {
        struct reg_heatmap h;
        int rc = reg_fig_risk_heatmap(env->s, after, &h, err);
        if (rc)
            return rc;
        printf("open risks %s controls: %ld%s\n  likelihood \\ impact  1  2  3  4  5\n",
               after ? "after" : "before", h.open, after && h.unscored ? " (some unscored)" : "");
        for (int l = 4; l >= 0; l--) {
            printf("  %d                  ", l + 1);
            for (int i = 0; i < 5; i++)
                printf(" %2ld", h.cell[l][i]);
            putchar('\n');
        }
    }
    struct clock_list late = {0};
    int rc = reg_fig_risk_overdue(env->s, env->cal, env->rules, env->as_of, &late, err);
    if (rc)
        return rc;
    printf("reviews overdue: %zu\n", late.n);
    for (size_t i = 0; i < late.n; i++) {
        char due[16];
        svp_date_format(late.v[i].due.day, due, sizeof due);
        printf("  %-24s due %s\n", late.v[i].ref, due);
    }
    clock_list_free(&late);
    return SVP_OK;
}

static int fig_attendance(struct store *s, const struct register_args *a, struct svp_err *err)
{
    struct reg_attendance_row *rows = NULL;
    size_t n = 0;
    int rc = reg_fig_attendance(s, a->from, a->to, &rows, &n, err);
    if (rc)
        return rc;
    printf("meeting attendance\n");
    for (size_t i = 0; i < n; i++)
        printf("  %-20.20s %-60.60s %ld/%ld\n", rows[i].body, rows[i].agency, rows[i].present,
               rows[i].held);
    if (n == 0)
        printf("  no meetings\n");
    svp_free(rows);
    return SVP_OK;
}

static int figures(struct cli_clock_env *env, const char *which, const struct register_args *a,
                   struct svp_err *err)
{
    static const char *const all[] = {"training",        "distance", "returns", "challenges",
                                      "recommendations", "cdop",     "risks",   "attendance"};
    int rc = SVP_OK;
    bool any = false;
    for (size_t i = 0; rc == SVP_OK && i < sizeof all / sizeof all[0]; i++) {
        if (which && strcmp(which, all[i]))
            continue;
        if (any)
            putchar('\n');
        any = true;
        switch (i) {
        case 0:
            rc = fig_training(env->s, a, err);
            break;
        case 1:
            rc = fig_distance(env->s, a, err);
            break;
        case 2:
            rc = fig_returns(env->s, a, err);
            break;
        case 3:
            rc = fig_challenges(env, a, err);
            break;
        case 4:
            rc = fig_recommendations(env, err);
            break;
        case 5:
            rc = fig_cdop(env->s, a, err);
            break;
        case 6:
            rc = fig_risks(env, err);
            break;
        default:
            rc = fig_attendance(env->s, a, err);
            break;
        }
    }
    if (!any)
        return svp_err_set(err, SVP_EUSAGE,
                           "figures are training, distance, returns, challenges, "
                           "recommendations, cdop, risks or attendance");
    return rc;
}

static int stages(struct svp_err *err)
{
    struct reg_crp_stage *v = NULL;
    size_t n = 0;
    int rc = reg_crp_stages(&v, &n, err);
    if (rc)
        return rc;
    printf("Case Resolution Protocol (data/case-resolution.csv)\n");
    for (size_t i = 0; i < n; i++)
        printf("  stage %d  %-28s %2d working days  raised with %s\n", v[i].stage, v[i].name,
               v[i].working_days, v[i].raised_with);
    svp_free(v);
    return SVP_OK;
}

static int check_date(const char *v, const char *opt, struct svp_err *err)
{
    svp_day d;
    return v ? cli_parse_date(v, opt, &d, err) : SVP_OK;
}

static int run(struct cli_ctx *ctx, const struct reg_schema *sc, const char **pos, int npos,
               const struct register_args *a, struct svp_err *err)
{
    const char *sub = pos[0];
    bool writes = !strcmp(sub, "add") || !strcmp(sub, "update") || !strcmp(sub, "import");
    if (!strcmp(sub, "stages"))
        return stages(err);
    if (!strcmp(sub, "fields"))
        return print_fields(sc);
    int rc = check_date(a->from, "--from", err);
    if (!rc)
        rc = check_date(a->to, "--to", err);
    if (rc)
        return rc;
    struct cli_clock_env env;
    if ((rc = cli_clock_env_open(ctx, writes, a->rules, a->as_of, &env, err)))
        return rc;
    if (!strcmp(sub, "list"))
        rc = sc ? list_entries(env.s, sc, a->parent, err) : list_registers(env.s, err);
    else if (!strcmp(sub, "show"))
        rc = show_entry(&env, sc, pos[2], a->history, err);
    else if (!strcmp(sub, "add"))
        rc = add_entry(env.s, sc, npos > 2 ? pos[2] : NULL, a, err);
    else if (!strcmp(sub, "update")) {
        struct reg_change ch[REG_MAX_FIELDS];
        size_t n = collect_changes(sc, a, ch);
        if (n == 0)
            rc = svp_err_set(err, SVP_EUSAGE, "nothing to change: give a field option");
        else if ((rc = reg_update_as(env.s, sc, pos[2], ch, n, NULL, "command line", NULL, NULL,
                                     err)) == SVP_OK)
            printf("updated %s %s\n", sc->title, pos[2]);
    } else if (!strcmp(sub, "import"))
        rc = import_file(env.s, sc, pos[2], err);
    else if (!strcmp(sub, "export"))
        rc = export_register(env.s, sc, a, err);
    else
        rc = figures(&env, npos > 1 ? pos[1] : NULL, a, err);
    cli_clock_env_close(&env);
    return rc;
}

int cmd_register(int argc, char **argv, struct cli_ctx *ctx)
{
    /* The register is named before the options are known: find it first. */
    const struct reg_schema *sc = NULL;
    const char *sub = argc > 1 ? argv[1] : NULL, *name = argc > 2 ? argv[2] : NULL;
    bool named = sub && strcmp(sub, "figures") && strcmp(sub, "stages");
    if (named && name && name[0] != '-') {
        sc = reg_schema_find(name);
        if (!sc || !strncmp(name, "panel_", 6))
            return cli_usage_error("register",
                                   "no register '%.40s' ('svp register list' names "
                                   "them)",
                                   name);
    }
    static struct register_args zero;
    struct register_args a = zero;
    build_opts(sc, &a);
    const char *pos[4];
    int npos;
    struct svp_err err;
    int rc = cli_begin("register", register_help, argc, argv, a.opts, ctx, pos, 4, &npos, &err);
    if (rc != CLI_CONTINUE)
        return rc;
    static const struct {
        const char *sub;
        int min, max; /* positional arguments, the subcommand included */
    } subs[] = {{"list", 1, 2},   {"fields", 2, 2},  {"show", 3, 3},
                {"add", 2, 3},    {"update", 3, 3},  {"import", 3, 3},
                {"export", 2, 2}, {"figures", 1, 2}, {"stages", 1, 1}};
    size_t k = sizeof subs / sizeof subs[0];
    for (size_t i = 0; npos > 0 && i < sizeof subs / sizeof subs[0]; i++)
        if (!strcmp(pos[0], subs[i].sub))
            k = i;
    if (k == sizeof subs / sizeof subs[0])
        return cli_usage_error("register", "expected list, fields, show, add, update, import, "
                                           "export, figures or stages");
    if (npos < subs[k].min || npos > subs[k].max)
        return cli_usage_error("register", "wrong number of arguments to '%s'", subs[k].sub);
    rc = run(ctx, sc, pos, npos, &a, &err);
    if (rc == SVP_EUSAGE)
        return cli_usage_error("register", "%s", err.msg);
    return rc ? cli_fail(&err) : 0;
}
