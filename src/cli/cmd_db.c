/* `svp db migrate|status`: create and upgrade the database schema. */
#include "cli.h"

#include <string.h>

static const char db_help[] =
    "usage: svp db migrate [--db URI]\n"
    "       svp db status  [--db URI]\n"
    "\n"
    "migrate  creates the database if needed and applies every schema migration this svp\n"
    "         knows that the database lacks, each in its own transaction.\n"
    "status   prints the database's schema version and the migrations applied or pending.\n"
    "\n"
    "URI is a file path (svp.db), sqlite:PATH or postgresql://user@host/dbname;\n"
    "the default is $SVP_DB, else svp.db.\n";

static int db_migrate(struct cli_ctx *ctx)
{
    struct svp_err err;
    struct store *s = NULL;
    int rc = cli_open_store(ctx, STORE_OPEN_CREATE, &s, &err);
    if (rc)
        return cli_fail(&err);
    struct store_migration_status st;
    rc = store_migrate(s, &st, &err);
    if (rc == SVP_OK)
        printf("%s: schema at version %d (%d migration%s applied)\n", store_describe(s),
               st.current, st.applied, st.applied == 1 ? "" : "s");
    store_close(&s);
    return rc ? cli_fail(&err) : 0;
}

static int db_status(struct cli_ctx *ctx)
{
    struct svp_err err;
    struct store *s = NULL;
    int rc = cli_open_store(ctx, 0, &s, &err);
    if (rc)
        return cli_fail(&err);
    struct store_migration_status st;
    rc = store_schema_status(s, &st, &err);
    if (rc == SVP_OK) {
        printf("database: %s\nschema version: %d\nlatest known: %d\n", store_describe(s),
               st.current, st.latest);
        int version;
        const char *name;
        for (int i = 0; rc == SVP_OK && store_migration_info(i, &version, &name); i++) {
            bool applied = false;
            rc = store_migration_applied(s, version, &applied, &err);
            if (rc == SVP_OK)
                printf("  %-24s %s\n", name, applied ? "applied" : "pending");
        }
        if (st.current > st.latest)
            printf("warning: the database is newer than this svp\n");
    }
    store_close(&s);
    return rc ? cli_fail(&err) : 0;
}

int cmd_db(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *pos[1];
    int npos;
    struct svp_err err;
    int go = cli_begin("db", db_help, argc, argv, NULL, ctx, pos, 1, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos != 1)
        return cli_usage_error("db", "expected 'migrate' or 'status'");
    if (!strcmp(pos[0], "migrate"))
        return db_migrate(ctx);
    if (!strcmp(pos[0], "status"))
        return db_status(ctx);
    return cli_usage_error("db", "unknown subcommand '%s'", pos[0]);
}
