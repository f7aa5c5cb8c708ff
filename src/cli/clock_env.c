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

int cli_clock_period(const char *from, const char *to, struct clock_query *q,
                     struct svp_err *err)
{
    int rc;
    if (from && (rc = cli_parse_date(from, "--from", &q->from, err)))
        return rc;
    if (to && (rc = cli_parse_date(to, "--to", &q->to, err)))
        return rc;
    q->has_from = from != NULL;
    q->has_to = to != NULL;
    if (q->has_from && q->has_to && q->from > q->to)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "--to", "the period ends before it starts");
    return SVP_OK;
}
