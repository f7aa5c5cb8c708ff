/* `svp audit verify|list|person|anchor`: the audit trail of every view, search and change. */
#include "access/access.h"
#include "cli.h"

#include <string.h>

static const char audit_help[] =
    "usage: svp audit verify [--anchor ID:HASH]\n"
    "       svp audit list [--limit N] [--user NAME]\n"
    "       svp audit person ID [--limit N]\n"
    "       svp audit anchor\n"
    "       svp audit break-glass [--limit N]\n"
    "\n"
    "verify  recomputes the hash chain of the whole audit trail; a row edited, removed or\n"
    "        reordered is reported by id (exit 1). With --anchor (as printed by anchor) it\n"
    "        also checks that the anchored entry is still there with its hash, so removing\n"
    "        the newest entries is detected too.\n"
    "list    prints the newest entries: when, who, what, the object and the purpose.\n"
    "person  who saw person ID, when and why: their page and records viewed, every list,\n"
    "        search, network or export that showed them, and requests for them refused.\n"
    "anchor  prints the chain's head as ID:HASH; keep it outside svp (e.g. mail it daily to\n"
    "        the Caldicott guardian) and give it to verify --anchor later.\n"
    "break-glass  every urgent access beyond the sharing rules: who, which person, the\n"
    "        reason and their words, from when until when, for review.\n";

int cmd_audit(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *limit_s = NULL, *user = NULL, *anchor = NULL, *pos[2];
    const struct cli_opt opts[] = {
        {"limit", &limit_s, NULL},
        {"user", &user, NULL},
        {"anchor", &anchor, NULL},
        {NULL, NULL, NULL},
    };
    int npos;
    struct svp_err err;
    int go = cli_begin("audit", audit_help, argc, argv, opts, ctx, pos, 2, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    const char *sub = npos ? pos[0] : "";
    bool is_person = !strcmp(sub, "person");
    if ((is_person ? npos != 2 : npos != 1) ||
        (strcmp(sub, "verify") && strcmp(sub, "list") && strcmp(sub, "anchor") &&
         strcmp(sub, "break-glass") && !is_person))
        return cli_usage_error("audit",
                               "expected 'verify', 'list', 'person ID', 'anchor' or 'break-glass'");
    int64_t limit = 50, person = 0, anchor_id = 0;
    if (limit_s && (svp_parse_i64(limit_s, &limit) || limit < 1 || limit > 100000))
        return cli_usage_error("audit", "--limit must be a number from 1 to 100000");
    if (is_person && (svp_parse_i64(pos[1], &person) || person < 1))
        return cli_usage_error("audit", "person needs a person id (a positive whole number)");
    if (anchor && strcmp(sub, "verify"))
        return cli_usage_error("audit", "--anchor is for verify");
    char anchor_hash[65] = "";
    if (anchor) {
        const char *colon = strchr(anchor, ':');
        char idtext[24];
        size_t idlen = colon ? (size_t)(colon - anchor) : 0;
        if (!colon || idlen == 0 || idlen >= sizeof idtext || strlen(colon + 1) != 64)
            return cli_usage_error("audit", "--anchor must be ID:HASH as printed by audit anchor");
        memcpy(idtext, anchor, idlen);
        idtext[idlen] = '\0';
        if (svp_parse_i64(idtext, &anchor_id) || anchor_id < 0)
            return cli_usage_error("audit", "--anchor must be ID:HASH as printed by audit anchor");
        svp_strlcpy(anchor_hash, colon + 1, sizeof anchor_hash);
    }
    struct store *s = NULL;
    if (cli_open_db(ctx, false, &s, &err))
        return cli_fail(&err);
    int rc = 0;
    if (!strcmp(sub, "verify")) {
        int64_t checked = 0;
        if (access_audit_verify(s, &checked, &err) ||
            (anchor && access_audit_check_anchor(s, anchor_id, anchor_hash, &err)))
            rc = cli_fail(&err);
        else
            printf("audit trail intact: %lld entr%s checked%s\n", (long long)checked,
                   checked == 1 ? "y" : "ies", anchor ? ", the anchored entry is there" : "");
    } else if (!strcmp(sub, "anchor")) {
        int64_t id = 0;
        char hash[65];
        if (access_audit_anchor(s, &id, hash, &err))
            rc = cli_fail(&err);
        else
            printf("%lld:%s\n", (long long)id, hash);
    } else if (!strcmp(sub, "break-glass")) {
        struct access_glass *g = NULL;
        size_t n = 0;
        if (access_glass_list(s, (size_t)limit, &g, &n, &err))
            rc = cli_fail(&err);
        for (size_t i = 0; !rc && i < n; i++) {
            char from[24], until[24];
            svp_time_format((svp_time)g[i].started_at, from, sizeof from);
            svp_time_format((svp_time)g[i].expires_at, until, sizeof until);
            printf("%lld %-16s %s:%lld %s..%s %s: %s\n", (long long)g[i].id,
                   g[i].username, g[i].kind == 'R' ? "record" : "person",
                   (long long)g[i].person_id, from, until, g[i].reason, g[i].text);
        }
        if (!rc)
            printf("%zu break-glass use%s\n", n, n == 1 ? "" : "s");
        svp_free(g);
    } else if (is_person) {
        struct access_audit_entry *v = NULL;
        size_t n = 0;
        if (access_audit_person(s, person, 0, (size_t)limit, &v, &n, &err))
            rc = cli_fail(&err);
        for (size_t i = 0; !rc && i < n; i++)
            printf("%lld %s %-16s %-8s %-16s %s%s%s\n", (long long)v[i].id, v[i].at,
                   v[i].username, v[i].action, v[i].object, v[i].detail,
                   v[i].purpose[0] ? " | purpose: " : "", v[i].purpose);
        if (!rc)
            printf("%zu entr%s name person %lld\n", n, n == 1 ? "y" : "ies", (long long)person);
        svp_free(v);
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
