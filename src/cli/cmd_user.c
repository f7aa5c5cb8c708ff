/* `svp user add|passwd|disable|enable|list`: accounts for the web application. */
#include "access/access.h"
#include "cli.h"

#include <string.h>

static const char user_help[] =
    "usage: svp user add NAME --role ROLE --agency AGENCY [--password-stdin]\n"
    "       svp user passwd NAME [--password-stdin]\n"
    "       svp user disable NAME\n"
    "       svp user enable NAME\n"
    "       svp user list\n"
    "\n"
    "add      creates a user and prints a one-time password they must change at first\n"
    "         sign-in (or takes the password from the first line of standard input).\n"
    "passwd   sets a new one-time password (or one from standard input) and unlocks.\n"
    "disable  stops a user signing in and ends their sessions; enable lets them back.\n"
    "list     prints every user with role, agency and state.\n"
    "\n"
    "ROLE: administrator, analyst, panel (panel member), practitioner, auditor.\n"
    "AGENCY: csc, police, health, education, yjs, rhi, or partnership.\n"
    "Passwords have 12 to 256 characters and are kept only as argon2id hashes.\n";

static int read_password(char *buf, size_t cap, struct svp_err *err)
{
    if (!fgets(buf, (int)cap, stdin))
        return svp_err_set(err, SVP_EINPUT, "no password on standard input");
    buf[strcspn(buf, "\r\n")] = '\0';
    return SVP_OK;
}

static int user_list(struct store *s)
{
    struct access_user *v;
    size_t n;
    struct svp_err err;
    if (access_user_list(s, &v, &n, &err))
        return cli_fail(&err);
    printf("%-24s %-14s %-12s %s\n", "username", "role", "agency", "state");
    for (size_t i = 0; i < n; i++)
        printf("%-24s %-14s %-12s %s%s\n", v[i].username, access_role_name(v[i].role),
               v[i].agency, v[i].disabled ? "disabled" : "active",
               v[i].must_change ? ", one-time password" : "");
    printf("%zu user%s\n", n, n == 1 ? "" : "s");
    svp_free(v);
    return 0;
}

int cmd_user(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *role = NULL, *agency = NULL, *pos[2];
    bool from_stdin = false;
    const struct cli_opt opts[] = {
        {"role", &role, NULL},
        {"agency", &agency, NULL},
        {"password-stdin", NULL, &from_stdin},
        {NULL, NULL, NULL},
    };
    int npos;
    struct svp_err err;
    int go = cli_begin("user", user_help, argc, argv, opts, ctx, pos, 2, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos < 1)
        return cli_usage_error("user", "expected add, passwd, disable, enable or list");
    const char *sub = pos[0];
    bool is_list = !strcmp(sub, "list");
    if (!is_list && strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "disable") &&
        strcmp(sub, "enable"))
        return cli_usage_error("user", "unknown subcommand '%s'", sub);
    if (is_list ? npos != 1 : npos != 2)
        return cli_usage_error("user", is_list ? "list takes no name" : "expected one NAME");
    if (!strcmp(sub, "add") && (!role || !agency))
        return cli_usage_error("user", "add needs --role and --agency");
    if (strcmp(sub, "add") && (role || agency))
        return cli_usage_error("user", "--role and --agency are for add");
    enum access_role r = 0;
    if (role && access_role_parse(role, &r, &err))
        return cli_fail(&err);
    struct store *s = NULL;
    if (cli_open_db(ctx, !strcmp(sub, "add"), &s, &err))
        return cli_fail(&err);
    int rc = 0;
    char pw[300];
    if (is_list) {
        rc = user_list(s);
    } else if (!strcmp(sub, "add") || !strcmp(sub, "passwd")) {
        if (from_stdin)
            rc = read_password(pw, sizeof pw, &err);
        else
            access_password_generate(pw, sizeof pw);
        if (!rc)
            rc = !strcmp(sub, "add")
                     ? access_user_add(s, NULL, pos[1], r, agency, pw, !from_stdin, NULL, &err)
                     : access_user_set_password(s, NULL, pos[1], pw, !from_stdin, &err);
        if (rc)
            rc = cli_fail(&err);
        else if (from_stdin)
            printf("%s: password set\n", pos[1]);
        else
            printf("%s: one-time password: %s\n(it must be changed at first sign-in)\n", pos[1],
                   pw);
    } else {
        bool disable = !strcmp(sub, "disable");
        rc = access_user_set_disabled(s, NULL, pos[1], disable, &err) ? cli_fail(&err) : 0;
        if (!rc)
            printf("%s: %s\n", pos[1], disable ? "disabled" : "enabled");
    }
    store_close(&s);
    return rc;
}
