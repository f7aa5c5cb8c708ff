/* `svp persons export`: one row per linked record (source, the agency's record id, svp's
 * person id, the probability that joined it), as CSV or JSON. */
#include "base/json.h"
#include "cli.h"
#include "link/link.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const char persons_help[] =
    "usage: svp persons export [--format csv|json]\n"
    "\n"
    "export   writes one row per linked record to standard output: source, the agency's\n"
    "         record id, svp's person id and the match probability that joined the record\n"
    "         to its person (empty for the record a person started from).\n";


static int row_csv(const struct link_export_row *r, void *ctx)
{
    (void)ctx;
    cli_csv_field(stdout, r->source ? r->source : "");
    putchar(',');
    cli_csv_field(stdout, r->agency_record_id ? r->agency_record_id : "");
    printf(",%lld,", (long long)r->person_id);
    if (!isnan(r->probability))
        printf("%.6f", r->probability);
    putchar('\n');
    return 0;
}

static int row_json(const struct link_export_row *r, void *ctx)
{
    bool *first = ctx;
    json_t *o = json_pack("{s:s, s:s, s:I}", "source", r->source ? r->source : "",
                          "agency_record_id", r->agency_record_id ? r->agency_record_id : "",
                          "person_id", (json_int_t)r->person_id);
    if (!o)
        return SVP_ENOMEM;
    if (json_object_set_new(o, "probability",
                            isnan(r->probability) ? json_null() : json_real(r->probability))) {
        json_decref(o);
        return SVP_ENOMEM;
    }
    char *s = svp_json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
    json_decref(o);
    if (!s)
        return SVP_ENOMEM;
    printf("%s\n  %s", *first ? "" : ",", s);
    *first = false;
    free(s);
    return 0;
}

int cmd_persons(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *format = NULL;
    const struct cli_opt opts[] = {{"format", &format, NULL}, {NULL, NULL, NULL}};
    const char *pos[2];
    int npos;
    struct svp_err err;
    int go = cli_begin("persons", persons_help, argc, argv, opts, ctx, pos, 2, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos != 1 || strcmp(pos[0], "export"))
        return cli_usage_error("persons", "expected 'export'");
    if (format && strcmp(format, "csv") && strcmp(format, "json"))
        return cli_usage_error("persons", "--format must be csv or json, not '%s'", format);
    bool json = format && !strcmp(format, "json");
    struct store *db = NULL;
    int rc = cli_open_db(ctx, false, &db, &err);
    if (!rc) {
        if (json) {
            bool first = true;
            fputs("[", stdout);
            rc = link_export(db, row_json, &first, &err);
            fputs(first ? "]\n" : "\n]\n", stdout);
        } else {
            fputs("source,agency_record_id,person_id,probability\n", stdout);
            rc = link_export(db, row_csv, NULL, &err);
        }
        if (rc == SVP_ENOMEM && !err.msg[0])
            svp_err_set(&err, SVP_ENOMEM, "out of memory writing the export");
    }
    store_close(&db);
    return rc ? cli_fail(&err) : 0;
}
