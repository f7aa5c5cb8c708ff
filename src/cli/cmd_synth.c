/* `svp synth`: writes a synthetic county's extracts, geography, manifest and hidden truth. */
#include "cli.h"
#include "synth/synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char synth_help[] =
    "usage: svp synth --out DIR [--children N] [--seed S] [--start YYYY-MM-DD] [--months M]\n"
    "                 [--areas A]\n"
    "                 [--NOISE-rate P ...] [--quiet]\n"
    "\n"
    "Generates a synthetic county: one extract per agency system in its own layout\n"
    "(docs/extracts.md), DIR/manifest.csv naming each file's import profile, the\n"
    "geography (areas, postcodes, places) and, under DIR/truth/, the hidden truth: the true\n"
    "person of every row, the exploited children, groups, adults, hotspots and decoys.\n"
    "The same arguments always give byte-identical files.\n"
    "\n"
    "  --out DIR        output folder (created if missing; files in it are replaced)\n"
    "  --children N     children in the county (default 104000, the profile county)\n"
    "  --seed S         random seed, a whole number (default 1)\n"
    "  --start DATE     first day of the window (default 2021-04-01)\n"
    "  --months M       length of the window in months, 1..120 (default 24)\n"
    "  --areas A        community areas, 1..999 (default: the profile county's 18 up to\n"
    "                   104,000 children, then in proportion, so a bigger county is wider)\n"
    "\n"
    "Identity noise, each a probability 0..1 (defaults in brackets):\n"
    "  --nickname-rate (0.05) --variant-rate (0.03) --typo-rate (0.03) --swap-rate (0.01)\n"
    "  --hyphen-part-rate (0.35) --dob-swap-rate (0.01) --dob-typo-rate (0.015)\n"
    "  --missing-rate (0.02) --accent-rate (0.5) --old-address-rate (0.3)\n"
    "  --duplicate-id-rate (0.01) --move-rate (0.12) --twins-rate (0.03)\n"
    "  --hyphenated-rate (0.04)\n"
    "\n"
    "Decoys and traps for the tracker, each a probability 0..1 (truth/decoys.csv; the\n"
    "partnership's view of the truth for 'svp panel quality' in truth/panel-truth.csv):\n"
    "  --decoy-rate (0.0028)        a child of 11-15 has one or two of the exploited's signs\n"
    "  --care-decoy-rate (0.15)     a looked-after child of 11-16 goes missing again and\n"
    "                               again from unstable care, found with family or at the\n"
    "                               placement\n"
    "  --sibling-decoy-rate (0.7)   an exploited child's brother or sister is in the same\n"
    "                               police occurrences with the same adults\n"
    "  --school-only-rate (0.0003)  a child of 11-13 is exploited and only school attendance\n"
    "                               shows it\n";

#define NNOISE 18
static const char *const noise_names[NNOISE] = {
    "nickname-rate",     "variant-rate",  "typo-rate",    "swap-rate",      "hyphen-part-rate",
    "dob-swap-rate",     "dob-typo-rate", "missing-rate", "accent-rate",    "old-address-rate",
    "duplicate-id-rate", "move-rate",     "twins-rate",   "hyphenated-rate",
    "decoy-rate",        "care-decoy-rate", "sibling-decoy-rate", "school-only-rate"};

static double *noise_field(struct synth_noise *n, int i)
{
    double *fields[NNOISE] = {&n->nickname,    &n->variant,     &n->typo,         &n->swap,
                              &n->hyphen_part, &n->dob_swap,    &n->dob_typo,     &n->missing,
                              &n->accent,      &n->old_address, &n->duplicate_id, &n->move,
                              &n->twins,       &n->hyphenated,  &n->decoy,       &n->care_decoy,
                              &n->sibling_decoy, &n->school_only};
    return fields[i];
}

static int parse_count(const char *s, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    if (svp_parse_i64(s, out) || *out < lo || *out > hi)
        return cli_usage_error("synth", "--%s must be a whole number from %lld to %lld, not '%s'",
                               name, (long long)lo, (long long)hi, s);
    return 0;
}

int cmd_synth(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *children = NULL, *seed = NULL, *out = NULL, *start = NULL, *months = NULL;
    const char *areas = NULL;
    const char *noise[NNOISE] = {NULL};
    struct cli_opt opts[7 + NNOISE] = {
        {"children", &children, NULL}, {"seed", &seed, NULL},     {"out", &out, NULL},
        {"start", &start, NULL},       {"months", &months, NULL}, {"areas", &areas, NULL},
    };
    for (int i = 0; i < NNOISE; i++)
        opts[6 + i] = (struct cli_opt){noise_names[i], &noise[i], NULL};
    opts[6 + NNOISE] = (struct cli_opt){NULL, NULL, NULL};
    const char *pos[1];
    int npos;
    struct svp_err err;
    int go = cli_begin("synth", synth_help, argc, argv, opts, ctx, pos, 0, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    struct synth_opts so;
    synth_opts_default(&so);
    so.quiet = ctx->quiet;
    if (!out || !*out)
        return cli_usage_error("synth", "--out DIR is required");
    so.out = out;
    int64_t v;
    int rc;
    if (children) {
        if ((rc = parse_count(children, "children", 1, 1000000000, &v)))
            return rc;
        so.children = (uint64_t)v;
    }
    if (seed) {
        if ((rc = parse_count(seed, "seed", 0, INT64_MAX, &v)))
            return rc;
        so.seed = (uint64_t)v;
    }
    if (months) {
        if ((rc = parse_count(months, "months", 1, 120, &v)))
            return rc;
        so.months = (int)v;
    }
    if (areas) {
        if ((rc = parse_count(areas, "areas", 1, 999, &v)))
            return rc;
        so.areas = (int)v;
    }
    if (start && svp_date_parse_iso(start, strlen(start), &so.start, &err))
        return cli_usage_error("synth", "--start: %s", err.msg);
    for (int i = 0; i < NNOISE; i++) {
        if (!noise[i])
            continue;
        char *end;
        double p = strtod(noise[i], &end);
        if (end == noise[i] || *end || !(p >= 0 && p <= 1))
            return cli_usage_error("synth", "--%s must be a probability from 0 to 1, not '%s'",
                                   noise_names[i], noise[i]);
        *noise_field(&so.noise, i) = p;
    }
    struct synth_stats st;
    if ((rc = synth_run(&so, &st, &err)))
        return rc == SVP_EUSAGE ? cli_usage_error("synth", "%s", err.msg) : cli_fail(&err);
    if (!ctx->quiet)
        printf("synth: %llu children in %llu households, %llu rows; %llu exploited children "
               "in %llu groups, %llu decoys -> %s\n",
               (unsigned long long)st.children, (unsigned long long)st.households,
               (unsigned long long)st.rows, (unsigned long long)st.exploited,
               (unsigned long long)st.groups, (unsigned long long)st.decoys, out);
    return 0;
}
