/* `svp import`: agency extracts in through their source profiles (src/ingest). */
#include "cli.h"
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char import_help[] =
    "usage: svp import --profile NAME|PATH FILE... [--as-of DATE] [--rejects FILE] [--db URI]\n"
    "                  [--quiet]\n"
    "       svp import DIR [--as-of DATE] [--rejects FILE] [--db URI] [--quiet]\n"
    "\n"
    "Imports agency extract files. Each file is read through a source profile (see\n"
    "'svp profile list' and docs/profiles.md): every row is checked, the good rows of a file\n"
    "are stored in one transaction with their source, file hash and line, and each bad row\n"
    "is appended to the rejects file (default svp-rejects.csv) with file, line, field and\n"
    "reason. A file that cannot be read at all (empty, wrong encoding, a header that is not\n"
    "the profile's layout, a last line cut short) is refused whole. A date of birth that\n"
    "cannot be used (no such day, after the extract's date, more than 120 years before it)\n"
    "does not refuse its row: the record is kept without it and the problem is written to\n"
    "the rejects file as well, counted as a dropped value.\n"
    "\n"
    "--as-of DATE (YYYY-MM-DD) is the extract's date: the \"today\" that future-date checks,\n"
    "ages (role by_dob) and two-digit years use. Without it, the SVP_TODAY environment\n"
    "value (YYYY-MM-DD) if set, else today.\n"
    "Importing the same file again changes nothing; a later extract updates records and\n"
    "events by the agency's ids and keeps their history.\n"
    "\n"
    "With DIR, imports every file DIR/manifest.csv names (columns file and profile, and\n"
    "optionally as_of: that file's extract date, which wins over --as-of).\n"
    "Profiles by NAME are looked for in $SVP_PROFILE_PATH (':'-separated folders), then\n"
    "among those built into svp. Exit code 1 if any file was refused.\n";

static void print_result(const char *profile, const char *path, const struct ingest_result *r)
{
    if (r->already_imported) {
        printf("%s: %s: already imported (file %lld): nothing changed\n", profile, path,
               (long long)r->file_id);
        return;
    }
    printf("%s: %s: %lld rows: %lld accepted (%lld new, %lld updated, %lld unchanged), "
           "%lld rejected",
           profile, path, (long long)r->rows_read, (long long)r->rows_accepted,
           (long long)r->rows_new, (long long)r->rows_updated, (long long)r->rows_unchanged,
           (long long)r->rows_rejected);
    if (r->values_dropped) /* only when there are some: most files have none */
        printf(", %lld value%s dropped (row kept)", (long long)r->values_dropped,
               r->values_dropped == 1 ? "" : "s");
    if (r->rows_repeated)
        printf(", %lld exact repeat%s of an earlier row kept once", (long long)r->rows_repeated,
               r->rows_repeated == 1 ? "" : "s");
    putchar('\n');
}

/* What the rejects file gained over the whole run. */
struct import_tally {
    int64_t rejected, dropped, repeated;
    const char *rejects_at;
};

/* Imports one file; returns 0, or 1 when the file was refused (error printed). */
static int import_one(struct store *s, const char *profile_spec, const char *path,
                      const struct ingest_opts *o, struct import_tally *t)
{
    struct svp_err err;
    struct ingest_profile *p = NULL;
    if (ingest_profile_load(profile_spec, getenv("SVP_PROFILE_PATH"), &p, &err)) {
        cli_fail(&err);
        return svp_exit_code(err.code) == 3 ? 3 : 1;
    }
    struct ingest_result r;
    int rc = ingest_import_file(s, p, path, o, &r, &err);
    if (rc == SVP_OK) {
        print_result(ingest_profile_name(p), path, &r);
        if (r.already_imported)
            r.rows_rejected = r.values_dropped = r.rows_repeated = 0;
        t->rejected += r.rows_rejected;
        t->dropped += r.values_dropped;
        t->repeated += r.rows_repeated;
        if (r.rows_rejected || r.values_dropped || r.rows_repeated)
            t->rejects_at = o->rejects_path ? o->rejects_path : "svp-rejects.csv";
    }
    ingest_profile_free(&p);
    if (rc) {
        cli_fail(&err);
        return svp_exit_code(rc) == 3 ? 3 : 1;
    }
    return 0;
}

int cmd_import(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *profile = NULL, *rejects = NULL, *as_of = NULL;
    const struct cli_opt opts[] = {
        {"profile", &profile, NULL},
        {"as-of", &as_of, NULL},
        {"rejects", &rejects, NULL},
        {NULL, NULL, NULL},
    };
    const char *pos[256];
    int npos;
    struct svp_err err;
    int go = cli_begin("import", import_help, argc, argv, opts, ctx, pos, 256, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos == 0)
        return cli_usage_error("import", "expected FILE... with --profile, or a DIR");
    struct stat sb;
    bool dir = !profile && npos == 1 && stat(pos[0], &sb) == 0 && S_ISDIR(sb.st_mode);
    if (!profile && !dir)
        return cli_usage_error("import", "give --profile NAME for files, or one DIR holding "
                                         "manifest.csv");
    struct ingest_manifest_entry *m = NULL;
    size_t nm = 0;
    if (dir && ingest_manifest_read(pos[0], &m, &nm, &err))
        return cli_fail(&err);
    struct store *s = NULL;
    if (cli_open_db(ctx, true, &s, &err)) {
        svp_free(m);
        return cli_fail(&err);
    }
    svp_day day;
    if (as_of && svp_date_parse_iso(as_of, strlen(as_of), &day, NULL)) {
        store_close(&s);
        svp_free(m);
        return cli_usage_error("import", "--as-of must be a date, YYYY-MM-DD");
    }
    struct ingest_opts o = {.rejects_path = rejects, .quiet = ctx->quiet, .as_of = as_of};
    const char *kill = getenv("SVP_TEST_KILL_AT_ROW");
    int64_t k;
    if (kill && svp_parse_i64(kill, &k) == SVP_OK)
        o.kill_at_row = (long)k;
    int status = 0;
    struct import_tally t = {0};
    size_t n = dir ? nm : (size_t)npos;
    for (size_t i = 0; i < n && status != 3; i++) {
        struct ingest_opts oi = o;
        if (dir && m[i].as_of[0])
            oi.as_of = m[i].as_of;
        int rc = dir ? import_one(s, m[i].profile, m[i].path, &oi, &t)
                     : import_one(s, profile, pos[i], &o, &t);
        if (rc > status)
            status = rc;
    }
    if (t.rejects_at) {
        printf("%lld rejected row%s", (long long)t.rejected, t.rejected == 1 ? "" : "s");
        if (t.dropped)
            printf("%s %lld dropped value%s", t.repeated ? "," : " and", (long long)t.dropped,
                   t.dropped == 1 ? "" : "s");
        if (t.repeated)
            printf(" and %lld exact repeat%s", (long long)t.repeated,
                   t.repeated == 1 ? "" : "s");
        printf(" written to %s\n", t.rejects_at);
    }
    store_close(&s);
    svp_free(m);
    return status;
}
