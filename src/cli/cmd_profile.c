/* `svp profile check|draft|list`: validate, draft and list source profiles (src/ingest). */
#include "cli.h"
#include "ingest/ingest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char profile_help[] =
    "usage: svp profile check FILE|NAME [--data EXTRACT [--rows N] [--as-of DATE]]\n"
    "       svp profile draft EXTRACT [--out PROFILE] [--name NAME] [--rows N] [--as-of DATE]\n"
    "                               [--sheet SHEET]\n"
    "       svp profile list\n"
    "\n"
    "check  reads a source profile and reports the first problem with its line, or a short\n"
    "       summary when the profile is sound. The format is in docs/profiles.md.\n"
    "       With --data, also dry-runs the profile on the extract's first N rows (default:\n"
    "       all) in a private in-memory database, writing nothing: what an import would\n"
    "       accept, reject and drop, the rejects it would write, and per mapped value a\n"
    "       warning naming the profile's line when a date format reads none of a column's\n"
    "       values, a list separator never occurs or a 'when' never holds (exit 1).\n"
    "draft  scans an extract svp has never seen (its first N rows, default 100000): encoding,\n"
    "       separator, line ends, header; per column the type and formats of its values with\n"
    "       the count that fit none, blanks, the values of code-like columns, name orders;\n"
    "       candidate single and composite keys. An Excel workbook (.xlsx) is read through\n"
    "       its first sheet, or --sheet by its tab's name. Prints that report and writes a draft\n"
    "       profile to --out (which must not exist; without --out it follows the report on\n"
    "       stdout) for the analyst to finish and check with --data.\n"
    "list   names the profiles built into svp.\n";

/* svp profile draft EXTRACT: the scan's report on stdout and the draft profile. */
static int draft(const char *data, const char *out, const char *name, const char *rows,
                 const char *as_of, const char *sheet)
{
    int64_t n = 0;
    if (rows && (svp_parse_i64(rows, &n) || n < 1))
        return cli_usage_error("profile", "--rows must be a whole number above 0");
    struct ingest_draft_opts o = {.max_rows = n, .name = name, .as_of = as_of, .sheet = sheet};
    struct ingest_draft d;
    struct svp_err err;
    if (ingest_draft_file(data, &o, &d, &err))
        return cli_fail(&err);
    fputs(d.report, stdout);
    int status = 0;
    if (!out) {
        printf("\n%s", d.profile);
    } else {
        FILE *f = fopen(out, "wx"); /* never over an analyst's work */
        if (!f) {
            svp_err_set(&err, SVP_EIO, "%s: cannot write the draft profile: %s%s", out,
                        strerror(errno), errno == EEXIST ? " (choose another --out)" : "");
            status = cli_fail(&err);
        } else {
            bool ok = fputs(d.profile, f) >= 0;
            ok = !fclose(f) && ok;
            if (!ok) {
                svp_err_set(&err, SVP_EIO, "%s: cannot write the draft profile", out);
                status = cli_fail(&err);
            } else {
                printf("draft profile written to %s: finish it, then `svp profile check %s "
                       "--data %s`\n", out, out, data);
            }
        }
    }
    ingest_draft_free(&d);
    return status;
}

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
    const char *data = NULL, *rows = NULL, *as_of = NULL, *out = NULL, *name = NULL,
               *sheet = NULL;
    const struct cli_opt opts[] = {
        {"data", &data, NULL},
        {"out", &out, NULL},
        {"name", &name, NULL},
        {"rows", &rows, NULL},
        {"as-of", &as_of, NULL},
        {"sheet", &sheet, NULL},
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
    if (npos == 2 && !strcmp(pos[0], "draft")) {
        if (data)
            return cli_usage_error("profile", "draft takes the extract as its argument, not --data");
        return draft(pos[1], out, name, rows, as_of, sheet);
    }
    if (npos != 2 || strcmp(pos[0], "check"))
        return cli_usage_error("profile", "expected 'check FILE', 'draft EXTRACT' or 'list'");
    if (out || name || sheet)
        return cli_usage_error("profile", "--out, --name and --sheet are for 'draft' (a "
                                          "profile says its sheet with 'sheet =')");
    struct ingest_profile *p = NULL;
    if (ingest_profile_load(pos[1], getenv("SVP_PROFILE_PATH"), &p, &err))
        return cli_fail(&err);
    int cols, events, rels, others;
    ingest_profile_counts(p, &cols, &events, &rels, &others);
    printf("%s: profile %s (agency %s, id space %s) is sound: %d column%s, %d event "
           "section%s, %d relationship section%s",
           pos[1], ingest_profile_name(p), ingest_profile_agency(p), ingest_profile_id_space(p),
           cols, cols == 1 ? "" : "s", events, events == 1 ? "" : "s", rels,
           rels == 1 ? "" : "s");
    if (others) /* [record NAME]: other people a row names */
        printf(", %d other person%s", others, others == 1 ? "" : "s");
    putchar('\n');
    int status = data ? dry_run(p, pos[1], data, rows, as_of) : 0;
    ingest_profile_free(&p);
    return status;
}
