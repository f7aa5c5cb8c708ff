/* Setup shared by `svp clock`, `svp review` and `svp learning`. */
#include "cli.h"

#include <string.h>

int cli_parse_date(const char *s, const char *what, svp_day *out, struct svp_err *err)
{
    int rc = svp_date_parse_iso(s, strlen(s), out, err);
    if (rc)
        svp_err_at(err, rc, NULL, 0, what, "%s", err->msg);
    return rc;
}

int cli_clock_env_open(struct cli_ctx *ctx, bool migrate, const char *rules_path, const char *as_of,
                       struct cli_clock_env *env, struct svp_err *err)
{
    memset(env, 0, sizeof *env);
    env->as_of = svp_date_today();
    int rc = SVP_OK;
    if (as_of)
        rc = cli_parse_date(as_of, "--as-of", &env->as_of, err);
    if (rc == SVP_OK)
        rc = clock_rules_load(rules_path, &env->rules, err);
    if (rc == SVP_OK)
        rc = cli_open_db(ctx, migrate, &env->s, err);
    if (rc == SVP_OK)
        rc = clock_calendar_load(env->s, &env->cal, err);
    if (rc)
        cli_clock_env_close(env);
    return rc;
}

void cli_clock_env_close(struct cli_clock_env *env)
{
    svp_calendar_free(&env->cal);
    clock_rules_free(&env->rules);
    store_close(&env->s);
}
