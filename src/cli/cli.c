/* Argument parsing and error printing shared by every svp command. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool is_negative_number(const char *a)
{
    return a[0] == '-' && a[1] >= '0' && a[1] <= '9';
}

static const struct cli_opt *find_opt(const struct cli_opt *opts, const char *name, size_t len)
{
    for (const struct cli_opt *o = opts; o && o->name; o++)
        if (strlen(o->name) == len && !strncmp(o->name, name, len))
            return o;
    return NULL;
}

int cli_parse(int argc, char **argv, int first, const struct cli_opt *opts, struct cli_ctx *ctx,
              const char **pos, int maxpos, int *npos, bool *help, struct svp_err *err)
{
    const struct cli_opt common[] = {
        {"db", &ctx->db_uri, NULL},
        {"quiet", NULL, &ctx->quiet},
        {"wait", &ctx->wait, NULL},
        {NULL, NULL, NULL},
    };
    *npos = 0;
    *help = false;
    bool only_positional = false;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (only_positional || a[0] != '-' || a[1] == '\0' || is_negative_number(a)) {
            if (*npos >= maxpos)
                return svp_err_set(err, SVP_EUSAGE, "unexpected argument '%s'", a);
            pos[(*npos)++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_positional = true;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            *help = true;
            continue;
        }
        if (a[1] != '-')
            return svp_err_set(err, SVP_EUSAGE, "unknown option '%s'", a);
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_opt *o = find_opt(opts, name, len);
        if (!o)
            o = find_opt(common, name, len);
        if (!o)
            return svp_err_set(err, SVP_EUSAGE, "unknown option '--%.*s'", (int)len, name);
        if (o->flag) {
            if (eq)
                return svp_err_set(err, SVP_EUSAGE, "option '--%s' takes no value", o->name);
            *o->flag = true;
        } else if (eq) {
            *o->value = eq + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            return svp_err_set(err, SVP_EUSAGE, "option '--%s' needs a value", o->name);
        }
    }
    return SVP_OK;
}

int cli_begin(const char *command, const char *help, int argc, char **argv,
              const struct cli_opt *opts, struct cli_ctx *ctx, const char **pos, int maxpos,
              int *npos, struct svp_err *err)
{
    bool want_help;
    svp_err_clear(err);
    if (cli_parse(argc, argv, 1, opts, ctx, pos, maxpos, npos, &want_help, err))
        return cli_usage_error(command, "%s", err->msg);
    if (want_help) {
        fputs(help, stdout);
        return 0;
    }
    return CLI_CONTINUE;
}

int cli_fail(const struct svp_err *err)
{
    char line[1024];
    svp_err_format(err, line, sizeof line);
    fprintf(stderr, "svp: %s\n", line);
    return svp_exit_code(err->code ? err->code : SVP_EINTERNAL);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "svp %s: %s (see 'svp %s --help')\n", command, msg, command);
    return 2;
}

int cli_wait_ms(const struct cli_ctx *ctx, int *out, struct svp_err *err)
{
    long ms = STORE_WAIT_DEFAULT_MS;
    if (ctx->wait) {
        char *end;
        errno = 0;
        long sec = strtol(ctx->wait, &end, 10);
        if (end == ctx->wait || *end || errno || sec < 0 || sec > STORE_WAIT_MAX_MS / 1000)
            return svp_err_set(err, SVP_EUSAGE,
                               "--wait takes a whole number of seconds from 0 to %d, not '%.40s'",
                               STORE_WAIT_MAX_MS / 1000, ctx->wait);
        ms = sec * 1000;
    }
    *out = (int)ms;
    return SVP_OK;
}

int cli_open_store(struct cli_ctx *ctx, unsigned flags, struct store **out, struct svp_err *err)
{
    *out = NULL;
    int ms = 0; /* set by cli_wait_ms; gcc -O3 cannot see it (maybe-uninitialized) */
    int rc = cli_wait_ms(ctx, &ms, err);
    if (rc)
        return rc;
    struct store *s = NULL;
    rc = store_open(ctx->db_uri, flags, &s, err);
    if (!rc && (rc = store_set_wait(s, ms, err)))
        store_close(&s);
    *out = s;
    return rc;
}

int cli_open_db(struct cli_ctx *ctx, bool migrate, struct store **out, struct svp_err *err)
{
    struct store *s = NULL;
    int rc = cli_open_store(ctx, migrate ? STORE_OPEN_CREATE : 0, &s, err);
    if (rc)
        return rc;
    struct store_migration_status st;
    rc = migrate ? store_migrate(s, &st, err) : store_require_current(s, err);
    if (rc) {
        store_close(&s);
        return rc;
    }
    *out = s;
    return SVP_OK;
}

int cli_load_calendar(struct svp_calendar **out, struct svp_err *err)
{
    const struct svp_embedded *e = svp_data_find("bank-holidays.csv");
    if (!e)
        return svp_err_set(err, SVP_EINTERNAL, "bank-holidays.csv is missing from this build");
    return svp_calendar_load_csv_mem(e->data, e->len, "data/bank-holidays.csv", out, err);
}

void cli_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}
