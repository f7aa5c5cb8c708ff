/* The dataset's partnership figures, from the registers (issue 20): training, audit
 * returns, child deaths, challenges and inspections. Each calls the one function in
 * src/registers/figures.h that `svp register figures` and the figures page call, over the
 * dataset's period; a register with no entries at all is "not available", never 0. These
 * figures count no children, so they have no drill-down. */
#include "registers/figures.h"
#include "report_int.h"

#include <stdio.h>
#include <string.h>

static void period_days(const struct report_ctx *c, char *from, char *to)
{
    svp_date_format(c->period.from, from, 16);
    svp_date_format(c->period.to, to, 16);
}

static void absent(struct report_value *out, const char *why)
{
    memset(out, 0, sizeof *out);
    svp_strlcpy(out->why, why, sizeof out->why); /* a long error is cut to the field */
}

/* A register's failure other than memory is shown as the figure's reason: the dataset
 * still prints the rest. */
static int failed(struct report_value *out, const struct svp_err *err, int rc)
{
    if (rc == SVP_ENOMEM)
        return rc;
    absent(out, err->msg);
    return SVP_OK;
}

/* The TOTAL row of training by course over [from, to] (NULL: open), in *t. */
static int training_total(struct store *s, const char *from, const char *to,
                          struct reg_training_row *t, struct svp_err *err)
{
    struct reg_training_row *rows = NULL;
    size_t n = 0;
    int rc = reg_fig_training_by_course(s, from, to, &rows, &n, err);
    memset(t, 0, sizeof *t);
    if (rc == SVP_OK && n)
        *t = rows[n - 1];
    svp_free(rows);
    return rc;
}

static int training(const struct report_ctx *c, struct report_value *out, int which)
{
    struct svp_err err;
    struct reg_training_row all, t;
    int rc = training_total(c->data->store, NULL, NULL, &all, &err);
    if (rc)
        return failed(out, &err, rc);
    if (!all.sessions) {
        absent(out, "no training sessions in the registers (svp register import session)");
        return SVP_OK;
    }
    char from[16], to[16];
    period_days(c, from, to);
    if ((rc = training_total(c->data->store, from, to, &t, &err)))
        return failed(out, &err, rc);
    if (which == 0)
        report_set_count(out, t.sessions);
    else if (which == 1)
        report_set_count(out, t.attendees);
    else
        report_set_pct(out, t.attendees, t.capacity);
    return SVP_OK;
}

int report_f_training_sessions(const struct report_ctx *c, struct report_value *out,
                               struct report_ids *ids)
{
    (void)ids;
    return training(c, out, 0);
}

int report_f_training_attendees(const struct report_ctx *c, struct report_value *out,
                                struct report_ids *ids)
{
    (void)ids;
    return training(c, out, 1);
}

int report_f_training_fill(const struct report_ctx *c, struct report_value *out,
                           struct report_ids *ids)
{
    (void)ids;
    return training(c, out, 2);
}

/* Audit returns are counted by round, which is the financial year ("2016-17"). */
static int returns(const struct report_ctx *c, struct report_value *out, const char *kind)
{
    struct svp_err err;
    struct reg_return_row *rows = NULL;
    size_t n = 0;
    int rc = reg_fig_returns(c->data->store, NULL, &rows, &n, &err);
    bool any = false;
    for (size_t i = 0; rc == SVP_OK && i < n; i++)
        any |= !strcmp(rows[i].kind, kind);
    svp_free(rows);
    if (rc)
        return failed(out, &err, rc);
    if (!any) {
        absent(out, "no returns of this kind in the audit register (svp register import audit)");
        return SVP_OK;
    }
    struct report_period fy;
    report_period_fyear(c->period.from, &fy);
    if (fy.from != c->period.from || fy.to != c->period.to) {
        absent(out, "audit returns are counted by round: ask for a financial year");
        return SVP_OK;
    }
    rows = NULL;
    n = 0;
    if ((rc = reg_fig_returns(c->data->store, fy.label, &rows, &n, &err)))
        return failed(out, &err, rc);
    long total = 0, returned = 0;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(rows[i].kind, kind) && !rows[i].sector[0]) {
            total = rows[i].total;
            returned = rows[i].returned;
        }
    svp_free(rows);
    report_set_pct(out, returned, total);
    return SVP_OK;
}

int report_f_s175_returns(const struct report_ctx *c, struct report_value *out,
                          struct report_ids *ids)
{
    (void)ids;
    return returns(c, out, "s175");
}

int report_f_early_years_returns(const struct report_ctx *c, struct report_value *out,
                                 struct report_ids *ids)
{
    (void)ids;
    return returns(c, out, "early_years");
}

static int cdop(const struct report_ctx *c, struct report_value *out, int which)
{
    struct svp_err err;
    struct reg_cdop_figs all, f;
    int rc = reg_fig_cdop(c->data->store, NULL, NULL, &all, &err);
    if (rc)
        return failed(out, &err, rc);
    if (!all.notifications && !all.reviewed) {
        absent(out, "no child deaths in the registers (svp register import child_death)");
        return SVP_OK;
    }
    char from[16], to[16];
    period_days(c, from, to);
    if ((rc = reg_fig_cdop(c->data->store, from, to, &f, &err)))
        return failed(out, &err, rc);
    if (which == 0)
        report_set_count(out, f.notifications);
    else if (which == 1)
        report_set_count(out, f.unexpected);
    else
        report_set_pct(out, f.modifiable, f.reviewed);
    return SVP_OK;
}

int report_f_cdop_notifications(const struct report_ctx *c, struct report_value *out,
                                struct report_ids *ids)
{
    (void)ids;
    return cdop(c, out, 0);
}

int report_f_cdop_unexpected(const struct report_ctx *c, struct report_value *out,
                             struct report_ids *ids)
{
    (void)ids;
    return cdop(c, out, 1);
}

int report_f_cdop_modifiable(const struct report_ctx *c, struct report_value *out,
                             struct report_ids *ids)
{
    (void)ids;
    return cdop(c, out, 2);
}

int report_f_challenges(const struct report_ctx *c, struct report_value *out,
                        struct report_ids *ids)
{
    (void)ids;
    struct svp_err err;
    struct reg_challenge_figs all, f;
    int rc = reg_fig_challenges(c->data->store, c->cal, NULL, NULL, c->period.to, &all, &err);
    long any = rc ? 0 : all.total;
    reg_challenge_figs_free(&all);
    if (rc)
        return failed(out, &err, rc);
    if (!any) {
        absent(out, "no challenges in the challenge log (svp register import challenge)");
        return SVP_OK;
    }
    char from[16], to[16];
    period_days(c, from, to);
    if ((rc = reg_fig_challenges(c->data->store, c->cal, from, to, c->period.to, &f, &err)))
        return failed(out, &err, rc);
    report_set_count(out, f.total);
    reg_challenge_figs_free(&f);
    return SVP_OK;
}

int report_f_open_inspection_recs(const struct report_ctx *c, struct report_value *out,
                                  struct report_ids *ids)
{
    (void)ids;
    struct svp_err err;
    struct reg_entry *v = NULL;
    size_t n = 0;
    const struct reg_schema *sc = reg_schema_find("inspection");
    int rc = sc ? reg_list(c->data->store, sc, 0, &v, &n, &err) : SVP_OK;
    reg_entries_free(&v, n);
    if (rc)
        return failed(out, &err, rc);
    if (!n) {
        absent(out, "no inspections in the registers (svp register import inspection)");
        return SVP_OK;
    }
    struct reg_open_rec *recs = NULL;
    size_t nr = 0;
    if ((rc = reg_fig_open_recommendations(c->data->store, "inspection", c->period.to, &recs,
                                           &nr, &err)))
        return failed(out, &err, rc);
    svp_free(recs);
    report_set_count(out, (long)nr);
    return SVP_OK;
}
