/* `svp profile check|list`: validate and list source profiles (src/ingest). */
#include "cli.h"
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>

static const char profile_help[] =
    "usage: svp profile check FILE|NAME [--data EXTRACT [--rows N] [--as-of DATE]]\n"
    "       svp profile list\n"
    "\n"
    "check  reads a source profile and reports the first problem with its line, or a short\n"
    "       summary when the profile is sound. The format is in docs/profiles.md.\n"
    "       With --data, also dry-runs the profile on the extract's first N rows (default:\n"
    "       all) in a private in-memory database, writing nothing: what an import would\n"
    "       accept, reject and drop, the rejects it would write, and per mapped value a\n"
    "       warning naming the profile's line when a date format reads none of a column's\n"
    "       values, a list separator never occurs or a 'when' never holds (exit 1).\n"
    "list   names the profiles built into svp.\n";

/* svp profile check PROFILE --data FILE: the dry run and its report. */
static int dry_run(const struct ingest_profile *p, const char *spec, const char *data,
                   const char *rows, const char *as_of)
{
    int64_t n = 0;
    if (rows && (svp_parse_i64(rows, &n) || n < 1))
        return cli_usage_error("profile", "--rows must be a whole number above 0");
    struct ingest_check_report r;
    struct svp_err err;
    if (ingest_check_file(p, data, n, as_of, &r, &err))
        return cli_fail(&err);
    printf("%s: %lld rows%s: %lld would be accepted, %lld rejected, %lld values dropped\n",
           data, (long long)r.res.rows_read, n ? " read" : "", (long long)r.res.rows_accepted,
           (long long)r.res.rows_rejected, (long long)r.res.values_dropped);
    int warnings = 0;
    for (int i = 0; i < r.nfields; i++) {
        const struct ingest_check_field *f = &r.fields[i];
        if (f->when) {
            printf("  [%s] when: held on %lld rows\n", f->section, (long long)f->values);
            if (!f->values && r.res.rows_read) {
                fprintf(stderr, "svp: %s:%ld: [%s] when never holds on %s\n", spec, f->line,
                        f->section, data);
                warnings++;
            }
            continue;
        }
        printf("  [%s] %s: %lld values", f->section, f->key, (long long)f->values);
        if (f->dates_read >= 0)
            printf(", %lld read as dates", (long long)f->dates_read);
        if (f->sep_seen >= 0)
            printf(", %lld lists", (long long)f->sep_seen);
        putchar('\n');
        if (f->dates_read == 0 && f->values) {
            fprintf(stderr, "svp: %s:%ld: [%s] %s: the date format reads none of %lld values "
                            "in %s\n", spec, f->line, f->section, f->key, (long long)f->values,
                    data);
            warnings++;
        }
        if (f->sep_seen == 0 && f->values) {
            fprintf(stderr, "svp: %s:%ld: [%s] %s: the list separator occurs in none of %lld "
                            "values in %s\n", spec, f->line, f->section, f->key,
                    (long long)f->values, data);
            warnings++;
        }
    }
    if (r.rejects)
        printf("what an import would write to the rejects file (file,line,field,reason):\n%s",
               r.rejects);
    ingest_check_free(&r);
    return warnings ? 1 : 0;
}

int cmd_profile(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *pos[2];
    int npos;
    struct svp_err err;
    const char *data = NULL, *rows = NULL, *as_of = NULL;
    const struct cli_opt opts[] = {
        {"data", &data, NULL},
        {"rows", &rows, NULL},
        {"as-of", &as_of, NULL},
        {NULL, NULL, NULL},
    };
    int go = cli_begin("profile", profile_help, argc, argv, opts, ctx, pos, 2, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos == 1 && !strcmp(pos[0], "list")) {
        for (int i = 0; ingest_builtin_profile(i); i++)
            puts(ingest_builtin_profile(i));
        return 0;
    }
    if (npos != 2 || strcmp(pos[0], "check"))
        return cli_usage_error("profile", "expected 'check FILE' or 'list'");
    struct ingest_profile *p = NULL;
    if (ingest_profile_load(pos[1], getenv("SVP_PROFILE_PATH"), &p, &err))
        return cli_fail(&err);
    int cols, events, rels;
    ingest_profile_counts(p, &cols, &events, &rels);
    printf("%s: profile %s (agency %s, id space %s) is sound: %d column%s, %d event "
           "section%s, %d relationship section%s\n",
           pos[1], ingest_profile_name(p), ingest_profile_agency(p), ingest_profile_id_space(p),
           cols, cols == 1 ? "" : "s", events, events == 1 ? "" : "s", rels,
           rels == 1 ? "" : "s");
    int status = data ? dry_run(p, pos[1], data, rows, as_of) : 0;
    ingest_profile_free(&p);
    return status;
}
