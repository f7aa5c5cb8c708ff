/* `svp audit verify|list`: the audit trail of every view, search and change. */
#include "access/access.h"
#include "cli.h"

#include <string.h>

static const char audit_help[] =
    "usage: svp audit verify\n"
    "       svp audit list [--limit N] [--user NAME]\n"
    "\n"
    "verify  recomputes the hash chain of the whole audit trail; a row edited, removed or\n"
    "        reordered is reported by id (exit 1).\n"
    "list    prints the newest entries: when, who, what, the object and the purpose.\n";

int cmd_audit(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *limit_s = NULL, *user = NULL, *pos[1];
    const struct cli_opt opts[] = {
        {"limit", &limit_s, NULL},
        {"user", &user, NULL},
        {NULL, NULL, NULL},
    };
    int npos;
    struct svp_err err;
    int go = cli_begin("audit", audit_help, argc, argv, opts, ctx, pos, 1, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos != 1 || (strcmp(pos[0], "verify") && strcmp(pos[0], "list")))
        return cli_usage_error("audit", "expected 'verify' or 'list'");
    int64_t limit = 50;
    if (limit_s && (svp_parse_i64(limit_s, &limit) || limit < 1 || limit > 100000))
        return cli_usage_error("audit", "--limit must be a number from 1 to 100000");
    struct store *s = NULL;
    if (cli_open_db(ctx, false, &s, &err))
        return cli_fail(&err);
    int rc = 0;
    if (!strcmp(pos[0], "verify")) {
        int64_t checked = 0;
        if (access_audit_verify(s, &checked, &err))
            rc = cli_fail(&err);
        else
            printf("audit trail intact: %lld entr%s checked\n", (long long)checked,
                   checked == 1 ? "y" : "ies");
    } else {
        int64_t uid = 0;
        struct access_user u;
        if (user && access_user_find(s, user, &u, &err))
            rc = cli_fail(&err);
        else if (user)
            uid = u.id;
        struct access_audit_entry *v = NULL;
        size_t n = 0;
        if (!rc && access_audit_list(s, uid, 0, (size_t)limit, &v, &n, &err))
            rc = cli_fail(&err);
        for (size_t i = 0; !rc && i < n; i++)
            printf("%lld %s %-16s %-12s %-16s %s%s%s\n", (long long)v[i].id, v[i].at,
                   v[i].username, v[i].action, v[i].object, v[i].detail,
                   v[i].purpose[0] ? " | purpose: " : "", v[i].purpose);
        svp_free(v);
    }
    store_close(&s);
    return rc;
}
