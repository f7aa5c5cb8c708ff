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
    "       svp user sharing show|check FILE|load FILE\n"
    "\n"
    "add      creates a user and prints a one-time password they must change at first\n"
    "         sign-in (or takes the password from the first line of standard input).\n"
    "passwd   sets a new one-time password (or one from standard input) and unlocks.\n"
    "disable  stops a user signing in and ends their sessions; enable lets them back.\n"
    "list     prints every user with role, agency and state.\n"
    "sharing  the partnership's sharing rules (docs/sharing.md): show prints those in force,\n"
    "         check FILE reads a rules file and reports its first error, load FILE checks\n"
    "         it and puts it in force (audited).\n"
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

/* Reads a rules file of at most 1 MiB (owned, svp_free). */
static int read_rules(const char *path, char **out, size_t *len, struct svp_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return svp_err_set(err, SVP_EIO, "cannot open %s", path);
    struct svp_buf b;
    svp_buf_init(&b, (size_t)1 << 20);
    char chunk[4096];
    size_t n;
    int rc = SVP_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        rc = svp_buf_append(&b, chunk, n);
    if (!rc && ferror(fp))
        rc = svp_err_set(err, SVP_EIO, "cannot read %s", path);
    else if (rc)
        rc = svp_err_set(err, SVP_EINPUT, "%s is larger than 1 MiB", path);
    fclose(fp);
    if (rc) {
        svp_buf_free(&b);
        return rc;
    }
    *len = b.len;
    *out = svp_buf_take(&b);
    return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
}

static int user_sharing(struct cli_ctx *ctx, const char *what, const char *file)
{
    struct svp_err err;
    bool show = !strcmp(what, "show");
    if (show ? file != NULL
             : file == NULL || (strcmp(what, "check") != 0 && strcmp(what, "load") != 0))
        return cli_usage_error("user", "expected sharing show, sharing check FILE or sharing "
                                       "load FILE");
    char *text = NULL;
    size_t len = 0;
    struct access_policy *p = NULL;
    if (file && (read_rules(file, &text, &len, &err) ||
                 access_policy_parse(text, len, file, &p, &err))) {
        svp_free(text);
        return cli_fail(&err);
    }
    size_t rules = access_policy_rules(p);
    access_policy_free(&p);
    if (!strcmp(what, "check")) {
        printf("%s: %zu rules, all understood\n", file, rules);
        svp_free(text);
        return 0;
    }
    struct store *s = NULL;
    if (cli_open_db(ctx, false, &s, &err)) {
        svp_free(text);
        return cli_fail(&err);
    }
    int rc = 0;
    if (file) {
        rc = access_policy_store(s, NULL, text, len, file, &err) ? cli_fail(&err) : 0;
        if (!rc)
            printf("%s: %zu rules in force\n", file, rules);
    } else {
        const char *from = NULL;
        rc = access_policy_text(s, &text, &from, &err) ? cli_fail(&err) : 0;
        if (!rc)
            printf("# the sharing rules in force, from %s\n%s", from, text);
    }
    svp_free(text);
    store_close(&s);
    return rc;
}

int cmd_user(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *role = NULL, *agency = NULL, *pos[3];
    bool from_stdin = false;
    const struct cli_opt opts[] = {
        {"role", &role, NULL},
        {"agency", &agency, NULL},
        {"password-stdin", NULL, &from_stdin},
        {NULL, NULL, NULL},
    };
    int npos;
    struct svp_err err;
    int go = cli_begin("user", user_help, argc, argv, opts, ctx, pos, 3, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    if (npos < 1)
        return cli_usage_error("user", "expected add, passwd, disable, enable, list or sharing");
    const char *sub = pos[0];
    if (!strcmp(sub, "sharing") && npos >= 2)
        return user_sharing(ctx, pos[1], npos == 3 ? pos[2] : NULL);
    bool is_list = !strcmp(sub, "list");
    if (!is_list && strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "disable") &&
        strcmp(sub, "enable"))
        return cli_usage_error("user", "unknown subcommand '%s'", sub);
    if (is_list ? npos != 1 : npos != 2 || !strcmp(sub, "sharing"))
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
