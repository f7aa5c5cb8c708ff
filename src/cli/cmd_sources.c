/* `svp sources` and `svp stats`: what was imported and what the database holds. */
#include "base/json.h"
#include "cli.h"
#include "ingest/ingest.h"

#include <jansson.h>
#include <string.h>

static const char sources_help[] =
    "usage: svp sources [--db URI]\n"
    "\n"
    "Lists every imported extract file: id, source (profile), agency, when, rows read,\n"
    "accepted (new, updated, unchanged), rejected (rows refused whole), dropped (values left\n"
    "out of rows kept, e.g. an impossible date of birth) and the file's path.\n";

static const char stats_help[] =
    "usage: svp stats [--format text|json] [--db URI]\n"
    "\n"
    "Counts what the database holds per source and in total: records (persons as recorded,\n"
    "by id space), events, relationships, links (records joined to a person), and in the\n"
    "total also places and persons.\n";

int cmd_sources(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int npos;
    struct svp_err err;
    int go = cli_begin("sources", sources_help, argc, argv, NULL, ctx, pos, 0, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    struct store *s = NULL;
    if (cli_open_db(ctx, false, &s, &err))
        return cli_fail(&err);
    struct ingest_source_row *v = NULL;
    size_t n = 0;
    int rc = ingest_sources_list(s, &v, &n, &err);
    store_close(&s);
    if (rc)
        return cli_fail(&err);
    printf("%-4s %-26s %-9s %-20s %8s %8s %8s %8s %8s %8s  %s\n", "id", "source", "agency",
           "imported", "read", "accepted", "new", "updated", "rejected", "dropped", "path");
    for (size_t i = 0; i < n; i++)
        printf("%-4lld %-26s %-9s %-20s %8lld %8lld %8lld %8lld %8lld %8lld  %s\n",
               (long long)v[i].id, v[i].source, v[i].agency, v[i].imported_at,
               (long long)v[i].rows_read, (long long)v[i].rows_accepted,
               (long long)v[i].rows_new, (long long)v[i].rows_updated,
               (long long)v[i].rows_rejected, (long long)v[i].values_dropped, v[i].path);
    if (!n)
        puts("(nothing imported yet: see 'svp import --help')");
    svp_free(v);
    return 0;
}

static int print_json(const struct ingest_count_row *v, size_t n)
{
    json_t *root = json_object(), *arr = json_array();
    if (!root || !arr) {
        json_decref(root);
        json_decref(arr);
        return 3;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "source", v[i].source,
                              "records", (json_int_t)v[i].records, "events",
                              (json_int_t)v[i].events, "places", (json_int_t)v[i].places,
                              "relationships", (json_int_t)v[i].relationships, "persons",
                              (json_int_t)v[i].persons, "links", (json_int_t)v[i].links);
        if (!o)
            continue;
        if (i + 1 == n)
            json_object_set_new(root, "total", o);
        else
            json_array_append_new(arr, o);
    }
    json_object_set_new(root, "sources", arr);
    char *text = svp_json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return 3;
    puts(text);
    free(text);
    return 0;
}

int cmd_stats(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *format = "text";
    const struct cli_opt opts[] = {{"format", &format, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int npos;
    struct svp_err err;
    int go = cli_begin("stats", stats_help, argc, argv, opts, ctx, pos, 0, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_usage_error("stats", "--format must be text or json");
    struct store *s = NULL;
    if (cli_open_db(ctx, false, &s, &err))
        return cli_fail(&err);
    struct ingest_count_row *v = NULL;
    size_t n = 0;
    int rc = ingest_stats(s, &v, &n, &err);
    store_close(&s);
    if (rc)
        return cli_fail(&err);
    int status = 0;
    if (!strcmp(format, "json")) {
        status = print_json(v, n);
    } else {
        printf("%-26s %10s %10s %10s %13s %10s %10s\n", "source", "records", "events", "places",
               "relationships", "persons", "links");
        for (size_t i = 0; i < n; i++)
            printf("%-26s %10lld %10lld %10lld %13lld %10lld %10lld\n", v[i].source,
                   (long long)v[i].records, (long long)v[i].events, (long long)v[i].places,
                   (long long)v[i].relationships, (long long)v[i].persons,
                   (long long)v[i].links);
    }
    svp_free(v);
    return status;
}
