/* `svp household ID`: the Think Family view of one person; `--all` lists every child's
 * household links. The household room computes; this file prints. */
#include "cli.h"
#include "household/household.h"

#include <stdio.h>
#include <string.h>

static const char household_help[] =
    "usage: svp household ID [--format table|json] [--as-of DATE|latest] [--unlinked]\n"
    "       svp household --all [--as-of DATE|latest] [--out FILE]\n"
    "\n"
    "Think Family: the people person ID lives with, as the agencies' records show them --\n"
    "parents, siblings and household members recorded by an agency or inferred from a\n"
    "shared family name and address, one step out and one more through a parent or\n"
    "sibling -- with each one's age, open plans and the needs any agency's records show:\n"
    "domestic abuse, substance misuse, mental ill health (the 'toxic trio') and offending,\n"
    "each with its latest evidence (agency, event, date). Worked out from the person's\n"
    "neighbourhood, as 'svp person' scores them.\n"
    "--all writes CSV (person_id,member_id,relation,via,recorded,confidence): the household\n"
    "links of every child and young adult to 25 from one build of the panel, for checking\n"
    "against a partnership's own household records.\n"
    "ID is a person id from 'svp panel' or 'svp persons' (a record id with --unlinked).\n";

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void print_text(const struct household_view *v)
{
    char day[16], plans[64];
    svp_date_format(v->as_of, day, sizeof day);
    risk_plans_format(v->plans, plans, sizeof plans);
    printf("household of person %lld%s, as of %s\n", (long long)v->person_id,
           v->unlinked ? " (an agency record: 'svp link' has not run)" : "", day);
    if (v->age >= 0)
        printf("age %d, open plans %s\n", v->age, plans);
    else
        printf("age unknown, open plans %s\n", plans);
    unsigned trio = household_trio(v);
    printf("toxic trio among the adults: ");
    int shown = 0;
    for (int k = RISK_NEED_DA; k <= RISK_NEED_MENTAL; k++)
        if (trio & (1u << k))
            printf("%s%s", shown++ ? ", " : "", risk_need_label(k));
    printf("%s\n", shown ? "" : "none known");
    printf("\nmembers (%zu):\n", v->n);
    if (!v->n)
        printf("  none known: no agency records a family or household link\n");
    for (size_t i = 0; i < v->n; i++) {
        const struct household_member *m = &v->members[i];
        risk_plans_format(m->plans, plans, sizeof plans);
        printf("  person %lld: %s", (long long)m->person_id, risk_relation_name(m->relation));
        if (m->age >= 0)
            printf(", age %d", m->age);
        printf(", open plans %s\n", plans);
        printf("    %s%s%s (confidence %.2f)", or_dash(m->basis), m->recorded ? " by " : "",
               m->recorded ? risk_agency_name(m->agency) : "", m->confidence);
        if (m->via)
            printf(", through person %lld", (long long)m->via);
        putchar('\n');
        for (int k = 0; k < RISK_NEED_COUNT; k++) {
            const struct household_need *n = &m->needs[k];
            if (!n->nevents)
                continue;
            svp_date_format(n->latest, day, sizeof day);
            printf("    %s: %zu event%s, latest %s\n", risk_need_label(k), n->nevents,
                   n->nevents == 1 ? "" : "s", day);
            for (size_t j = 0; j < n->nevidence; j++) {
                const struct household_evidence *e = &n->evidence[j];
                svp_date_format(e->day, day, sizeof day);
                printf("      %s %-9s %s %s (event %lld)\n", day, or_dash(e->agency), e->type,
                       or_dash(e->subtype), (long long)e->event_id);
            }
        }
    }
}

static int print_all(struct store *s, const struct risk_weights *w,
                     const struct risk_panel_opts *o, const char *outp)
{
    struct svp_err err;
    struct risk_panel *p = NULL;
    if (risk_panel_build(s, w, o, &p, &err))
        return cli_fail(&err);
    FILE *f = outp ? fopen(outp, "w") : stdout;
    if (!f) {
        risk_panel_free(&p);
        svp_err_at(&err, SVP_EIO, outp, 0, NULL, "cannot open the file to write");
        return cli_fail(&err);
    }
    bool ok = fprintf(f, "person_id,member_id,relation,via,recorded,confidence\n") > 0;
    size_t children = 0, links = 0;
    for (size_t i = 0; i < p->npersons && ok; i++) {
        const struct risk_person *rp = &p->persons[i];
        if (!rp->child && (rp->age < 0 || rp->age > RISK_AGE_TRANSITION))
            continue; /* children, and young adults to 25 (a sibling who turned 18) */
        struct household_view *v = NULL;
        if (household_members(p, p->persons[i].person_id, &v, &err)) {
            ok = false;
            break;
        }
        children++;
        for (size_t j = 0; j < v->n && ok; j++) {
            const struct household_member *m = &v->members[j];
            ok = fprintf(f, "%lld,%lld,%s,%lld,%d,%.2f\n", (long long)v->person_id,
                         (long long)m->person_id, risk_relation_name(m->relation),
                         (long long)m->via, m->recorded, m->confidence) > 0;
            links++;
        }
        household_free(&v);
    }
    if (outp && fclose(f))
        ok = false;
    else if (!outp && fflush(f))
        ok = false;
    risk_panel_free(&p);
    if (!ok) {
        if (!err.code)
            svp_err_at(&err, SVP_EIO, outp ? outp : "stdout", 0, NULL,
                       "cannot write the household list");
        return cli_fail(&err);
    }
    fprintf(stderr, "%zu children and young adults, %zu household links\n", children, links);
    return 0;
}

int cmd_household(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL, *as_of = NULL, *outp = NULL;
    bool unlinked = false, all = false;
    const struct cli_opt opts[] = {
        {"format", &format, NULL},     {"as-of", &as_of, NULL}, {"out", &outp, NULL},
        {"unlinked", NULL, &unlinked}, {"all", NULL, &all},     {NULL, NULL, NULL},
    };
    const char *pos[1];
    int npos;
    struct svp_err err = {0};
    int go = cli_begin("household", household_help, argc, argv, opts, ctx, pos, 1, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    int64_t id = 0;
    if (all ? npos != 0 : npos != 1 || svp_parse_i64(pos[0], &id) || id < 1)
        return cli_usage_error("household", all ? "--all takes no person id"
                                                : "expected one person id (a whole number)");
    if (format && strcmp(format, "table") && strcmp(format, "json"))
        return cli_usage_error("household", "--format must be table or json");
    if (!all && outp)
        return cli_usage_error("household", "--out goes with --all");
    struct risk_weights w;
    struct risk_panel_opts o = {.unlinked = unlinked, .no_previous = true};
    struct store *s = NULL;
    if ((go = cli_risk_begin("household", ctx, as_of, NULL, NULL, &w, &o, &s)) != CLI_CONTINUE)
        return go;
    if (all) {
        int code = print_all(s, &w, &o, outp);
        store_close(&s);
        return code;
    }
    struct household_view *v = NULL;
    if (household_get(s, &w, &o, id, &v, &err)) {
        store_close(&s);
        return cli_fail(&err);
    }
    int code = 0;
    if (format && !strcmp(format, "json")) {
        json_t *j = household_json(v);
        if (!j || json_dumpf(j, stdout, JSON_INDENT(2)) || putchar('\n') == EOF) {
            svp_err_set(&err, j ? SVP_EIO : SVP_ENOMEM, "cannot write the household");
            code = cli_fail(&err);
        }
        json_decref(j);
    } else {
        print_text(v);
    }
    household_free(&v);
    store_close(&s);
    return code;
}
