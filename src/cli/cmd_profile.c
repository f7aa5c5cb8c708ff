/* `svp profile check|list`: validate and list source profiles (src/ingest). */
#include "cli.h"
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>

static const char profile_help[] =
    "usage: svp profile check FILE|NAME\n"
    "       svp profile list\n"
    "\n"
    "check  reads a source profile and reports the first problem with its line, or a short\n"
    "       summary when the profile is sound. The format is in docs/profiles.md.\n"
    "list   names the profiles built into svp.\n";

int cmd_profile(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *pos[2];
    int npos;
    struct svp_err err;
    int go = cli_begin("profile", profile_help, argc, argv, NULL, ctx, pos, 2, &npos, &err);
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
    ingest_profile_free(&p);
    return 0;
}
