/* `svp link`, `svp link explain A B`, `svp link review`: identity resolution from the
 * command line. All the work is in src/link; this file parses, calls and prints. */
#include "cli.h"
#include "link/link.h"
#include "risk/risk.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char link_help[] =
    "usage: svp link [--threshold P] [--review-low P] [--rules R1,R2,...] [--max-pairs N]\n"
    "                [--max-block N]\n"
    "                [--full] [--retrain] [--link-only] [--no-household-guard]\n"
    "       svp link explain SOURCE:ID SOURCE:ID\n"
    "       svp link review [list [--all] | confirm A B | reject A B] [--by NAME]\n"
    "       svp link model\n"
    "\n"
    "link     decides which records are the same person and writes persons. New and\n"
    "         changed records are compared with all others (--full: every record again);\n"
    "         the model (Fellegi-Sunter, m and u by EM) is trained on the first run and\n"
    "         kept (--retrain: estimate it again, which re-scores everything).\n"
    "         --threshold P   pairs at or above this probability join (default 0.95)\n"
    "         --review-low P  pairs from P up to the threshold go to review (default 0.5)\n"
    "         --rules R,...   blocking rules: fields joined by '+', e.g. dob+given1\n"
    "                         (fields: given family given1 family1 given_ph family_ph\n"
    "                         given_letters names names_ph initials dob dob_year\n"
    "                         dob_year3 dob_md dob_dm dob_swap postcode sector\n"
    "                         district address street\n"
    "                         housenum street3 given3 family3 given_or_family\n"
    "                         family_or_given sex source id contact email_user);\n"
    "                         a rule ending ~W (2-50) is a sorted neighbourhood: records\n"
    "                         sorted on its fields, each compared with the next W-1,\n"
    "                         e.g. given_or_family+dob~5; ~W:letters keeps only\n"
    "                         pairs whose values differ and where a name's letters\n"
    "                         are all in one of the other's (or one has no name)\n"
    "         --max-pairs N   refuse a rule that would make more than N pairs\n"
    "         --max-block N   leave out of a rule its blocks of more than N records\n"
    "                         (default 30; counted in the output): a common value\n"
    "                         says little, and narrower rules find those pairs\n"
    "         --link-only     compare records of different sources only (no dedupe\n"
    "                         within a source)\n"
    "         --no-household-guard  let the weights join possible twins (one date of\n"
    "                         birth and family name, different given names, one home)\n"
    "                         and records that agree on neither given name nor date of\n"
    "                         birth (the guard never holds apart two records with the\n"
    "                         same shared identifier, such as an NHS number)\n"
    "explain  shows each comparison's weight for two records and the total. A record is\n"
    "         SOURCE:ID, the source and the agency's own id as 'svp persons export' prints\n"
    "         them (e.g. police:P123), or an internal record id.\n"
    "review   lists pairs in the uncertain band, those that would join or split most first;\n"
    "         confirm or reject one (SOURCE:ID or record id). A decision overrides the\n"
    "         model on every later run; 'list --all' shows them.\n"
    "model    prints what the model in force learnt: the prior, and per comparison level\n"
    "         m, u and the match weight log2(m/u), one line each.\n";

static int parse_prob(const char *s, const char *what, double *out, struct svp_err *err)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (!*s || *end || !(v > 0 && v < 1))
        return svp_err_at(err, SVP_EUSAGE, NULL, 0, what, "'%s' is not a probability between 0 "
                          "and 1", s);
    *out = v;
    return 0;
}

/* A record reference's shape (SOURCE:ID, or a record id in digits), checked before the
 * database is opened so a typing slip is a usage error. */
static int parse_ref(const char *s, struct svp_err *err)
{
    int64_t v;
    const char *c = strchr(s, ':');
    if (c ? (c == s || !c[1]) : (svp_parse_i64(s, &v) || v <= 0))
        return svp_err_set(err, SVP_EUSAGE, "'%.60s' is neither SOURCE:ID (e.g. police:P123) "
                           "nor a record id", s);
    return 0;
}

/* One review line: record ids, probability, decision, then each record as SOURCE:ID. */
static int print_review(const struct link_review_item *it, void *ctx)
{
    struct store *db = ctx;
    struct svp_err err;
    char na[256], nb[256];
    if (link_record_name(db, it->a, na, sizeof na, &err) ||
        link_record_name(db, it->b, nb, sizeof nb, &err))
        return SVP_EINTERNAL;
    char p[16] = "-";
    if (it->probability >= 0)
        snprintf(p, sizeof p, "%.4f", it->probability);
    printf("%lld\t%lld\t%s\t%s\t%s\t%s%s\n", (long long)it->a, (long long)it->b, p,
           it->decision ? it->decision : "pending", na, nb,
           it->first ? "\ta child on the saved panel list" : "");
    return 0;
}

static int link_main(struct cli_ctx *ctx, const struct link_opts *o, const char *rules,
                     bool full, bool retrain, struct svp_err *err)
{
    const char **v = NULL;
    char *buf = NULL;
    size_t n = 0;
    if (rules) {
        /* every rule given is passed on: the library refuses too many with a reason */
        size_t len = strlen(rules), cap = 1;
        if (len > 65536)
            return svp_err_set(err, SVP_EUSAGE, "--rules is too long");
        for (const char *p = rules; *p; p++)
            cap += *p == ',';
        if (!(buf = svp_strdup(rules)) || !(v = svp_calloc(cap, sizeof *v))) {
            svp_free(buf);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        for (char *p = buf; p;) {
            char *c = strchr(p, ',');
            if (c)
                *c = 0;
            v[n++] = p;
            p = c ? c + 1 : NULL;
        }
    }
    struct store *db = NULL;
    int rc = cli_open_db(ctx, true, &db, err);
    struct link_stats st;
    if (!rc)
        rc = link_run_store(db, o, n ? v : NULL, n, full, retrain, &st, err);
    store_close(&db);
    if (rc) {
        svp_free(v);
        svp_free(buf);
        return rc;
    }
    if (st.changed[0])
        printf("settings changed since the last link (%s): every record linked again\n",
               st.changed);
    if (st.threshold_was[0])
        printf("threshold changed from %s to %.4g: persons formed again from the kept pairs\n",
               st.threshold_was, o->threshold);
    if (!st.nrules)
        printf("no new or changed records since the last link: nothing to compare (--full "
               "compares every record again)\n");
    const char *const *names = n ? v : link_blocking_defaults();
    for (size_t r = 0; r < st.nrules && r < LINK_MAX_RULES; r++)
    {
        printf("blocking rule %-28s %llu pairs, %llu compared first by this rule", names[r],
               (unsigned long long)st.rule_pairs[r], (unsigned long long)st.rule_new[r]);
        if (st.rule_skipped_blocks[r])
            printf("; %llu blocks over %zu records left out (%llu pairs)",
                   (unsigned long long)st.rule_skipped_blocks[r],
                   o->max_block ? o->max_block : (size_t)LINK_DEFAULT_MAX_BLOCK,
                   (unsigned long long)st.rule_skipped_pairs[r]);
        printf("\n");
    }
    printf("candidate pairs compared: %llu", (unsigned long long)st.candidates);
    if (st.compare_seconds > 0 && st.candidates)
        printf(" (%.0f pairs/s)", (double)st.candidates / st.compare_seconds);
    printf("\npairs kept (at or above review floor): %llu\n", (unsigned long long)st.kept);
    printf("persons: %zu\nmerges refused by the chaining guard or a decision: %llu\n",
           st.clusters, (unsigned long long)st.merges_refused);
    if (st.events)
        printf("existing persons merged or split: %llu (recorded with the reason)\n",
               (unsigned long long)st.events);
    if (st.mentions.mentions)
        printf("people named in free text (found with ...): %llu; %llu resolved to a person by "
               "name and age or area (%llu with confidence 0.8 or more), %llu ambiguous, %llu "
               "kept as written\n",
               (unsigned long long)st.mentions.mentions, (unsigned long long)st.mentions.resolved,
               (unsigned long long)st.mentions.high, (unsigned long long)st.mentions.ambiguous,
               (unsigned long long)st.mentions.unresolved);
    svp_free(v);
    svp_free(buf);
    return 0;
}

static int print_model_line(const struct link_model_line *l, void *ctx)
{
    (void)ctx;
    printf("%-17s %-28s m %.6f  u %.6f  weight %+7.2f\n", l->comparison, l->level, l->m, l->u,
           l->weight);
    return 0;
}

/* `svp link model`: what the model in force learnt, one line a level. */
static int link_model_print(struct cli_ctx *ctx, struct svp_err *err)
{
    struct store *db = NULL;
    struct link_model *m = NULL;
    int rc = cli_open_db(ctx, false, &db, err);
    if (!rc)
        rc = link_model_stored(db, &m, err);
    store_close(&db);
    if (!rc && !m)
        rc = svp_err_set(err, SVP_ECONFLICT, "no model yet; run 'svp link'");
    if (rc)
        return rc;
    double lam = link_model_lambda(m);
    printf("%-17s %-28s lambda %.3g  weight %+7.2f\n", "prior", "share of pairs that match", lam,
           log2(lam / (1 - lam)));
    rc = link_model_lines(m, print_model_line, NULL);
    static const char *const what[3] = {"given name", "family name", "postcode"};
    for (int t = 0; t < 3; t++) {
        size_t distinct;
        uint64_t recs;
        double wc, w1, share;
        link_model_tf(m, t, &distinct, &recs, &wc, &w1, &share);
        printf("%-17s %-28s %zu values in %llu records; exact on the commonest (%.2f%%) "
               "weight %+.2f, on a value seen once %+.2f\n",
               what[t], "term frequency", distinct, (unsigned long long)recs, 100 * share, wc,
               w1);
    }
    printf("%-17s %-28s %llu pairs within a source%s\n", "twins", "seen when learnt",
           (unsigned long long)link_model_twins(m),
           link_model_twins(m) ? " (the twin guard holds across sources)"
                               : " (the twin guard holds within a source only)");
    if (link_model_siblings(m) != UINT64_MAX) {
        double q = link_model_twin_share(m);
        printf("%-17s %-28s %llu pairs within a source; share of twin-like pairs that can be "
               "twins %.3f%s\n", "siblings", "seen when learnt",
               (unsigned long long)link_model_siblings(m), q,
               q >= 0.5 ? " (twin-like pairs held apart)"
                        : " (too many twin-like pairs for twins: capped, not held apart)");
    }
    if (link_model_alike(m) != UINT64_MAX) {
        double q = link_model_alike_share(m);
        printf("%-17s %-28s %llu pairs within a source; share that can be siblings %.3f%s\n",
               "alike", "seen when learnt", (unsigned long long)link_model_alike(m), q,
               q >= 0.5 ? " (alike given names with dates apart held apart as siblings)"
                        : " (too many alike pairs for siblings: capped, not held apart)");
    }
    {
        double q = link_model_generation_share(m);
        printf("%-17s %-28s %llu pairs within a source a generation apart, %llu a year or "
               "more but less; share that can be a parent and a child %.3f%s\n",
               "generation", "seen when learnt", (unsigned long long)link_model_generation(m),
               (unsigned long long)link_model_year_out(m), q,
               !link_model_generation(m)
                   ? " (held apart within a source, or where the sources' roles say adult "
                     "and child)"
               : q >= 0.5                ? " (same-name pairs a generation apart held apart)"
                          : " (too many years keyed wrongly: capped, not held apart)");
    }
    link_model_free(&m);
    return 0;
}

int cmd_link(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *threshold = NULL, *low = NULL, *rules = NULL, *maxp = NULL, *by = NULL;
    const char *maxb = NULL;
    bool full = false, retrain = false, all = false, no_household = false;
    bool link_only = false;
    const struct cli_opt opts[] = {
        {"threshold", &threshold, NULL}, {"review-low", &low, NULL}, {"rules", &rules, NULL},
        {"max-pairs", &maxp, NULL},      {"full", NULL, &full},      {"retrain", NULL, &retrain},
        {"max-block", &maxb, NULL},
        {"all", NULL, &all},             {"by", &by, NULL},
        {"no-household-guard", NULL, &no_household}, {"link-only", NULL, &link_only},
        {NULL, NULL, NULL},
    };
    const char *pos[4];
    int npos;
    struct svp_err err;
    int go = cli_begin("link", link_help, argc, argv, opts, ctx, pos, 4, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    struct link_opts o;
    link_opts_default(&o);
    o.quiet = ctx->quiet;
    o.no_household_guard = no_household;
    o.dedupe_within_source = !link_only;
    if ((threshold && parse_prob(threshold, "--threshold", &o.threshold, &err)) ||
        (low && parse_prob(low, "--review-low", &o.review_low, &err)))
        return cli_usage_error("link", "%s: %s", err.field, err.msg);
    if (o.review_low > o.threshold)
        return cli_usage_error("link", "--review-low must not be above --threshold");
    if (maxp) {
        int64_t v;
        if (svp_parse_i64(maxp, &v) || v <= 0)
            return cli_usage_error("link", "--max-pairs '%s' is not a positive number", maxp);
        o.max_pairs = (uint64_t)v;
    }
    if (maxb) {
        int64_t v;
        if (svp_parse_i64(maxb, &v) || v < 2 || v > 1000000)
            return cli_usage_error("link", "--max-block '%s' is not a number from 2 to 1000000",
                                   maxb);
        o.max_block = (size_t)v;
    }
    int rc;
    if (npos == 0) {
        rc = link_main(ctx, &o, rules, full, retrain, &err);
        return rc ? cli_fail(&err) : 0;
    }
    struct store *db = NULL;
    if (!strcmp(pos[0], "model")) {
        if (npos != 1)
            return cli_usage_error("link", "model takes no arguments");
        rc = link_model_print(ctx, &err);
        return rc ? cli_fail(&err) : 0;
    }
    if (!strcmp(pos[0], "explain")) {
        int64_t a, b;
        if (npos != 3)
            return cli_usage_error("link", "explain takes two records (SOURCE:ID or record id)");
        if (parse_ref(pos[1], &err) || parse_ref(pos[2], &err))
            return cli_usage_error("link", "%s", err.msg);
        struct link_score sc;
        char na[256], nb[256];
        if ((rc = cli_open_db(ctx, false, &db, &err)) == 0 &&
            (rc = link_record_resolve(db, pos[1], &a, &err)) == 0 &&
            (rc = link_record_resolve(db, pos[2], &b, &err)) == 0 &&
            (rc = link_explain_store(db, a, b, &sc, &err)) == 0 &&
            (rc = link_record_name(db, a, na, sizeof na, &err)) == 0 &&
            (rc = link_record_name(db, b, nb, sizeof nb, &err)) == 0) {
            printf("records %s and %s (record ids %lld and %lld)\n", na, nb, (long long)a,
                   (long long)b);
            link_explain_print(stdout, &sc);
        }
    } else if (!strcmp(pos[0], "review")) {
        const char *sub = npos > 1 ? pos[1] : "list";
        if (!strcmp(sub, "list")) {
            if (npos > 2)
                return cli_usage_error("link", "review list takes no arguments");
            /* pairs that would join or split a child on the saved panel list first */
            int64_t *panel = NULL;
            size_t npanel = 0;
            if ((rc = cli_open_db(ctx, false, &db, &err)) == 0 &&
                (rc = risk_panel_saved_persons(db, &panel, &npanel, &err)) == 0)
                rc = link_review_list_first(db, all, panel, npanel, print_review, db, &err);
            svp_free(panel);
        } else if (!strcmp(sub, "confirm") || !strcmp(sub, "reject")) {
            int64_t a, b;
            if (npos != 4)
                return cli_usage_error("link", "review %s takes two records (SOURCE:ID or "
                                       "record id)", sub);
            if (parse_ref(pos[2], &err) || parse_ref(pos[3], &err))
                return cli_usage_error("link", "%s", err.msg);
            const char *who = by ? by : getenv("USER");
            if ((rc = cli_open_db(ctx, false, &db, &err)) == 0 &&
                (rc = link_record_resolve(db, pos[2], &a, &err)) == 0 &&
                (rc = link_record_resolve(db, pos[3], &b, &err)) == 0 &&
                (rc = link_review_decide(db, a, b, !strcmp(sub, "confirm"), who ? who : "",
                                         &err)) == 0)
                printf("%s: records %s and %s (applies from the next 'svp link')\n",
                       !strcmp(sub, "confirm") ? "confirmed" : "rejected", pos[2], pos[3]);
        } else
            return cli_usage_error("link", "review: expected list, confirm or reject");
    } else
        return cli_usage_error("link", "unknown subcommand '%s'", pos[0]);
    store_close(&db);
    return rc ? cli_fail(&err) : 0;
}
