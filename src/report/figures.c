/* The dataset's figures: one function each, defined in docs/dataset.md. Every function
 * reads only the loaded events (sorted by subject, then time) and the period. */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define HOURS_72 (72 * 3600)

/* Where subj's events begin in l (sorted by subject), or l->n. */
static size_t subj_first(const struct rlist *l, int64_t subj)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid].subj < subj)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool in(const struct report_ctx *c, svp_day d)
{
    return d >= c->period.from && d <= c->period.to;
}

/* Open at the end of the period: started on or before it, not ended by it. */
static bool open_at_end(const struct report_ctx *c, const struct rev *e)
{
    return e->day <= c->period.to && (!(e->flags & RF_HAS_END) || e->end > c->period.to);
}

void report_set_count(struct report_value *out, long n)
{
    memset(out, 0, sizeof *out);
    out->available = true;
    out->num = n;
    out->value = (double)n;
    out->has_value = true;
}

void report_set_pct(struct report_value *out, long num, long den)
{
    memset(out, 0, sizeof *out);
    out->available = true;
    out->num = num;
    out->den = den;
    out->has_value = den > 0;
    out->value = den > 0 ? 100.0 * (double)num / (double)den : 0;
}

static void set_rate(const struct report_ctx *c, struct report_value *out, long num)
{
    memset(out, 0, sizeof *out);
    out->available = true;
    out->num = num;
    out->den = c->population;
    out->has_value = c->population > 0;
    out->value = c->population > 0 ? 10000.0 * (double)num / (double)c->population : 0;
    if (c->population <= 0)
        snprintf(out->why, sizeof out->why, "no child population given (data/population.csv)");
}

/* Distinct subjects in ids (sorted and made unique in place). */
static long distinct(struct report_ids *ids)
{
    report_ids_unique(ids);
    return (long)ids->n;
}

/* Collects into ids (made unique) the subjects of list t's events for which keep() holds;
 * returns how many there are, or SVP_ENOMEM. */
static long subjects_where(const struct report_ctx *c, enum rtype t,
                           bool (*keep)(const struct report_ctx *, const struct rev *),
                           struct report_ids *ids)
{
    const struct rlist *l = &c->data->t[t];
    for (size_t i = 0; i < l->n; i++)
        if (keep(c, &l->v[i]) && report_ids_add(ids, l->v[i].subj))
            return SVP_ENOMEM;
    return distinct(ids);
}

/* Counts list t's events for which keep() holds, adding their subjects to ids. */
static long events_where(const struct report_ctx *c, enum rtype t,
                         bool (*keep)(const struct report_ctx *, const struct rev *),
                         struct report_ids *ids)
{
    const struct rlist *l = &c->data->t[t];
    long n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (keep(c, &l->v[i])) {
            n++;
            if (report_ids_add(ids, l->v[i].subj))
                return SVP_ENOMEM;
        }
    if (ids)
        report_ids_unique(ids);
    return n;
}

static bool started_in(const struct report_ctx *c, const struct rev *e)
{
    return in(c, e->day);
}

/* A count of the distinct subjects of list t's events for which keep() holds. */
static int count_subjects(const struct report_ctx *c, enum rtype t,
                          bool (*keep)(const struct report_ctx *, const struct rev *),
                          struct report_value *out, struct report_ids *ids)
{
    if (report_absent(c->data, t, out))
        return SVP_OK;
    struct report_ids local = {0};
    long n = subjects_where(c, t, keep, ids ? ids : &local);
    report_ids_free(&local);
    if (n < 0)
        return SVP_ENOMEM;
    report_set_count(out, n);
    return SVP_OK;
}

/* A count of list t's events for which keep() holds. */
static int count_events(const struct report_ctx *c, enum rtype t,
                        bool (*keep)(const struct report_ctx *, const struct rev *),
                        struct report_value *out, struct report_ids *ids)
{
    if (report_absent(c->data, t, out))
        return SVP_OK;
    long n = events_where(c, t, keep, ids);
    if (n < 0)
        return SVP_ENOMEM;
    report_set_count(out, n);
    return SVP_OK;
}

/* A count of events started in the period. */
static int count_started(const struct report_ctx *c, enum rtype t, struct report_value *out,
                         struct report_ids *ids)
{
    return count_events(c, t, started_in, out, ids);
}

/* ------------------------------------------------------------------ contacts, referrals */

static int f_contacts(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    return count_started(c, RT_CONTACT, out, ids);
}

static int f_referrals(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    return count_started(c, RT_REFERRAL, out, ids);
}

static int f_referrals_rate(const struct report_ctx *c, struct report_value *out,
                            struct report_ids *ids)
{
    int rc = count_started(c, RT_REFERRAL, out, ids);
    if (rc == SVP_OK && out->available)
        set_rate(c, out, out->num);
    return rc;
}

/* CIN census: a referral within 12 months of a previous referral of the same child. */
static int f_re_referrals(const struct report_ctx *c, struct report_value *out,
                          struct report_ids *ids)
{
    if (report_absent(c->data, RT_REFERRAL, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_REFERRAL];
    long num = 0, den = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct rev *e = &l->v[i];
        if (!in(c, e->day))
            continue;
        den++;
        svp_day since = svp_date_add_months(e->day, -12);
        /* the subject's earlier referrals are just before i in the sorted list */
        for (size_t k = i; k-- > 0 && l->v[k].subj == e->subj;) {
            if (l->v[k].day < e->day && l->v[k].day >= since) {
                num++;
                if (report_ids_add(ids, e->subj))
                    return SVP_ENOMEM;
                break;
            }
            if (l->v[k].day < since)
                break;
        }
    }
    if (ids)
        report_ids_unique(ids);
    report_set_pct(out, num, den);
    return SVP_OK;
}

static bool completed_in(const struct report_ctx *c, const struct rev *e)
{
    return (e->flags & RF_HAS_END) && in(c, e->end);
}

static int f_assessments(const struct report_ctx *c, struct report_value *out,
                         struct report_ids *ids)
{
    return count_events(c, RT_ASSESSMENT, completed_in, out, ids);
}

/* CIN census: assessments completed in the period within 45 working days of their start. */
static int f_assessments_45(const struct report_ctx *c, struct report_value *out,
                            struct report_ids *ids)
{
    if (report_absent(c->data, RT_ASSESSMENT, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_ASSESSMENT];
    long num = 0, den = 0, uncounted = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct rev *e = &l->v[i];
        if (!completed_in(c, e))
            continue;
        int wd;
        struct svp_err err;
        if (svp_calendar_working_days_between(c->cal, e->day, e->end, &wd, &err)) {
            uncounted++;
            continue;
        }
        den++;
        if (wd <= 45) {
            num++;
            if (report_ids_add(ids, e->subj))
                return SVP_ENOMEM;
        }
    }
    if (ids)
        report_ids_unique(ids);
    report_set_pct(out, num, den);
    if (uncounted)
        snprintf(out->why, sizeof out->why,
                 "%ld assessments outside the years the bank-holiday list covers left out",
                 uncounted);
    return SVP_OK;
}

static bool early_help_contact(const struct report_ctx *c, const struct rev *e)
{
    return in(c, e->day) && !strcmp(e->code, "early_help");
}

static int f_contacts_early_help(const struct report_ctx *c, struct report_value *out,
                                 struct report_ids *ids)
{
    return count_events(c, RT_CONTACT, early_help_contact, out, ids);
}

static int f_early_help(const struct report_ctx *c, struct report_value *out,
                        struct report_ids *ids)
{
    return count_started(c, RT_EARLY_HELP, out, ids);
}

/* ------------------------------------------------------------------ child protection */

/* The day plan e ended: its own end, or its subject's cp_plan_end with the same plan_ref. */
static bool plan_end(const struct report_data *d, const struct rev *e, svp_day *out)
{
    if (e->flags & RF_HAS_END) {
        *out = e->end;
        return true;
    }
    if (!e->ref[0])
        return false;
    const struct rlist *l = &d->t[RT_CP_PLAN_END];
    for (size_t i = subj_first(l, e->subj); i < l->n && l->v[i].subj == e->subj; i++)
        if (!strcmp(l->v[i].ref, e->ref)) {
            *out = l->v[i].day;
            return true;
        }
    return false;
}

static bool plan_open_at_end(const struct report_ctx *c, const struct rev *e)
{
    svp_day end;
    return e->day <= c->period.to && (!plan_end(c->data, e, &end) || end > c->period.to);
}

static int f_cp_plans(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    return count_subjects(c, RT_CP_PLAN, plan_open_at_end, out, ids);
}

static int f_cp_rate(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    int rc = f_cp_plans(c, out, ids);
    if (rc == SVP_OK && out->available)
        set_rate(c, out, out->num);
    return rc;
}

static int f_cp_started(const struct report_ctx *c, struct report_value *out,
                        struct report_ids *ids)
{
    return count_started(c, RT_CP_PLAN, out, ids);
}

/* DfE performance framework: plans started in the period for a child whose previous plan
 * ended within the two years before. */
static int f_cp_second(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    if (report_absent(c->data, RT_CP_PLAN, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_CP_PLAN];
    long num = 0, den = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct rev *e = &l->v[i];
        if (!in(c, e->day))
            continue;
        den++;
        svp_day since = svp_date_add_months(e->day, -24);
        for (size_t k = i; k-- > 0 && l->v[k].subj == e->subj;) {
            svp_day end;
            if (l->v[k].day < e->day && plan_end(c->data, &l->v[k], &end) && end <= e->day &&
                end >= since) {
                num++;
                if (report_ids_add(ids, e->subj))
                    return SVP_ENOMEM;
                break;
            }
        }
    }
    if (ids)
        report_ids_unique(ids);
    report_set_pct(out, num, den);
    return SVP_OK;
}

/* ------------------------------------------------------------------ looked after */

static int f_lac(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    return count_subjects(c, RT_LAC, open_at_end, out, ids);
}

static int f_lac_rate(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    int rc = f_lac(c, out, ids);
    if (rc == SVP_OK && out->available)
        set_rate(c, out, out->num);
    return rc;
}

static int f_lac_started(const struct report_ctx *c, struct report_value *out,
                         struct report_ids *ids)
{
    return count_subjects(c, RT_LAC, started_in, out, ids);
}

/* The subject's placement open at the period's end that started last, or NULL. */
static const struct rev *current_placement(const struct report_ctx *c, int64_t subj)
{
    const struct rlist *l = &c->data->t[RT_PLACEMENT];
    const struct rev *best = NULL;
    for (size_t i = subj_first(l, subj); i < l->n && l->v[i].subj == subj; i++)
        if (open_at_end(c, &l->v[i]))
            best = &l->v[i];
    return best;
}

/* The subject's looked-after episode open at the period's end that started last. */
static const struct rev *current_episode(const struct report_ctx *c, size_t first, size_t *next)
{
    const struct rlist *l = &c->data->t[RT_LAC];
    const struct rev *best = NULL;
    size_t i = first;
    for (; i < l->n && l->v[i].subj == l->v[first].subj; i++)
        if (open_at_end(c, &l->v[i]))
            best = &l->v[i];
    *next = i;
    return best;
}

enum lac_measure { LAC_OVER_20, LAC_LONG_TERM, LAC_THREE_MOVES };

static int lac_share(const struct report_ctx *c, enum lac_measure m, struct report_value *out,
                     struct report_ids *ids)
{
    if (report_absent(c->data, RT_LAC, out) || report_absent(c->data, RT_PLACEMENT, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_LAC];
    const struct rlist *pl = &c->data->t[RT_PLACEMENT];
    long num = 0, den = 0;
    svp_day to = c->period.to;
    for (size_t i = 0, next; i < l->n; i = next) {
        const struct rev *ep = current_episode(c, i, &next);
        if (!ep)
            continue;
        bool yes = false;
        if (m == LAC_OVER_20) {
            const struct rev *p = current_placement(c, ep->subj);
            if (!p || !(p->flags & RF_HAS_NUM))
                continue;
            yes = p->num > 20.0;
        } else if (m == LAC_LONG_TERM) {
            /* under 16, looked after for 2.5 years or more: same placement for 2 years */
            if (!(ep->flags & RF_HAS_DOB) || ep->dob <= svp_date_add_months(to, -16 * 12) ||
                ep->day > svp_date_add_months(to, -30))
                continue;
            const struct rev *p = current_placement(c, ep->subj);
            yes = p && p->day <= svp_date_add_months(to, -24);
        } else {
            /* placements open at any time in the period */
            int moves = 0;
            for (size_t k = subj_first(pl, ep->subj); k < pl->n && pl->v[k].subj == ep->subj; k++) {
                const struct rev *p = &pl->v[k];
                if (p->subj == ep->subj && p->day <= to &&
                    (!(p->flags & RF_HAS_END) || p->end >= c->period.from))
                    moves++;
            }
            yes = moves >= 3;
        }
        den++;
        if (yes) {
            num++;
            if (report_ids_add(ids, ep->subj))
                return SVP_ENOMEM;
        }
    }
    report_set_pct(out, num, den);
    return SVP_OK;
}

static int f_lac_20_miles(const struct report_ctx *c, struct report_value *out,
                          struct report_ids *ids)
{
    return lac_share(c, LAC_OVER_20, out, ids);
}

static int f_lac_long_term(const struct report_ctx *c, struct report_value *out,
                           struct report_ids *ids)
{
    return lac_share(c, LAC_LONG_TERM, out, ids);
}

static int f_lac_three(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    return lac_share(c, LAC_THREE_MOVES, out, ids);
}

/* ------------------------------------------------------------------ missing */

static int f_missing_episodes(const struct report_ctx *c, struct report_value *out,
                              struct report_ids *ids)
{
    return count_started(c, RT_MISSING, out, ids);
}

static int f_missing_children(const struct report_ctx *c, struct report_value *out,
                              struct report_ids *ids)
{
    return count_subjects(c, RT_MISSING, started_in, out, ids);
}

/* Children with at least min episodes in the period. */
static int missing_at_least(const struct report_ctx *c, int min, struct report_value *out,
                            struct report_ids *ids)
{
    if (report_absent(c->data, RT_MISSING, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_MISSING];
    long n = 0;
    for (size_t i = 0; i < l->n;) {
        size_t j = i;
        int k = 0;
        for (; j < l->n && l->v[j].subj == l->v[i].subj; j++)
            k += in(c, l->v[j].day);
        if (k >= min) {
            n++;
            if (report_ids_add(ids, l->v[i].subj))
                return SVP_ENOMEM;
        }
        i = j;
    }
    report_set_count(out, n);
    return SVP_OK;
}

static int f_missing_repeat(const struct report_ctx *c, struct report_value *out,
                            struct report_ids *ids)
{
    return missing_at_least(c, 2, out, ids);
}

static int f_missing_12(const struct report_ctx *c, struct report_value *out,
                        struct report_ids *ids)
{
    return missing_at_least(c, 12, out, ids);
}

static bool missing_from_care(const struct report_ctx *c, const struct rev *e)
{
    return in(c, e->day) && (e->flags & RF_LOOKED_AFTER);
}

static int f_missing_lac_children(const struct report_ctx *c, struct report_value *out,
                                  struct report_ids *ids)
{
    return count_subjects(c, RT_MISSING, missing_from_care, out, ids);
}

/* Share of the period's episodes with flag. */
static int missing_share(const struct report_ctx *c, unsigned flag, struct report_value *out,
                         struct report_ids *ids)
{
    if (report_absent(c->data, RT_MISSING, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_MISSING];
    long num = 0, den = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!in(c, l->v[i].day))
            continue;
        den++;
        if (l->v[i].flags & flag) {
            num++;
            if (report_ids_add(ids, l->v[i].subj))
                return SVP_ENOMEM;
        }
    }
    if (ids)
        report_ids_unique(ids);
    report_set_pct(out, num, den);
    return SVP_OK;
}

static int f_missing_lac_share(const struct report_ctx *c, struct report_value *out,
                               struct report_ids *ids)
{
    return missing_share(c, RF_LOOKED_AFTER, out, ids);
}

static int f_missing_ooc(const struct report_ctx *c, struct report_value *out,
                         struct report_ids *ids)
{
    return missing_share(c, RF_OUT_OF_COUNTY, out, ids);
}

/* Return interviews: those whose child returned in the period (the interview event starts
 * at the return). */
enum rhi_measure { RHI_DUE, RHI_OFFERED_72, RHI_COMPLETED, RHI_COMPLETED_72, RHI_DECLINED };

static int rhi(const struct report_ctx *c, enum rhi_measure m, struct report_value *out,
               struct report_ids *ids)
{
    if (report_absent(c->data, RT_RHI, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_RHI];
    long num = 0, den = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct rev *e = &l->v[i];
        if (!in(c, e->day))
            continue;
        den++;
        svp_time ret = (e->flags & RF_HAS_RETURN) ? e->t_ret : e->at;
        bool yes = false;
        switch (m) {
        case RHI_DUE:
            yes = true;
            break;
        case RHI_OFFERED_72:
            yes = (e->flags & RF_HAS_OFFER) && e->t_off - ret <= HOURS_72;
            break;
        case RHI_COMPLETED:
            yes = !strcmp(e->code, "completed");
            break;
        case RHI_COMPLETED_72:
            yes = !strcmp(e->code, "completed") && (e->flags & RF_HAS_COMPLETE) &&
                  e->t_comp - ret <= HOURS_72;
            break;
        case RHI_DECLINED:
            yes = !strcmp(e->code, "declined");
            break;
        }
        if (yes) {
            num++;
            if (report_ids_add(ids, e->subj))
                return SVP_ENOMEM;
        }
    }
    if (ids)
        report_ids_unique(ids);
    if (m == RHI_DUE)
        report_set_count(out, num);
    else
        report_set_pct(out, num, den);
    return SVP_OK;
}

static int f_rhi_due(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    return rhi(c, RHI_DUE, out, ids);
}

static int f_rhi_offered(const struct report_ctx *c, struct report_value *out,
                         struct report_ids *ids)
{
    return rhi(c, RHI_OFFERED_72, out, ids);
}

static int f_rhi_completed(const struct report_ctx *c, struct report_value *out,
                           struct report_ids *ids)
{
    return rhi(c, RHI_COMPLETED, out, ids);
}

static int f_rhi_completed_72(const struct report_ctx *c, struct report_value *out,
                              struct report_ids *ids)
{
    return rhi(c, RHI_COMPLETED_72, out, ids);
}

static int f_rhi_declined(const struct report_ctx *c, struct report_value *out,
                          struct report_ids *ids)
{
    return rhi(c, RHI_DECLINED, out, ids);
}

/* ------------------------------------------------------------------ domestic abuse */

static bool da_victim_in(const struct report_ctx *c, const struct rev *e)
{
    return in(c, e->day) && !strcmp(e->code, "victim");
}

static bool da_child_in(const struct report_ctx *c, const struct rev *e)
{
    return in(c, e->day) && !strcmp(e->code, "child_in_household");
}

static int f_da_incidents(const struct report_ctx *c, struct report_value *out,
                          struct report_ids *ids)
{
    return count_events(c, RT_DA, da_victim_in, out, ids);
}

static int f_da_children(const struct report_ctx *c, struct report_value *out,
                         struct report_ids *ids)
{
    return count_subjects(c, RT_DA, da_child_in, out, ids);
}

static int f_marac_cases(const struct report_ctx *c, struct report_value *out,
                         struct report_ids *ids)
{
    return count_started(c, RT_MARAC, out, ids);
}

static int f_marac_children(const struct report_ctx *c, struct report_value *out,
                            struct report_ids *ids)
{
    if (report_absent(c->data, RT_MARAC, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_MARAC];
    long n = 0, recorded = 0;
    for (size_t i = 0; i < l->n; i++)
        if (in(c, l->v[i].day) && (l->v[i].flags & RF_HAS_NUM)) {
            n += (long)l->v[i].num;
            recorded++;
            if (report_ids_add(ids, l->v[i].subj))
                return SVP_ENOMEM;
        }
    if (ids)
        report_ids_unique(ids);
    report_set_count(out, n);
    (void)recorded;
    return SVP_OK;
}

/* ------------------------------------------------------------------ private fostering */

static bool pf_notified_in(const struct report_ctx *c, const struct rev *e)
{
    return in(c, e->day) && !strcmp(e->code, "notification");
}

static int f_pf_notifications(const struct report_ctx *c, struct report_value *out,
                              struct report_ids *ids)
{
    return count_events(c, RT_PF, pf_notified_in, out, ids);
}

static bool pf_visit_in(const struct report_ctx *c, const struct rev *e)
{
    return in(c, e->day) && !strcmp(e->code, "visit");
}

static int f_pf_visits(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    return count_events(c, RT_PF, pf_visit_in, out, ids);
}

/* Arrangements notified by the period's end and not ended by it. */
static int f_pf_open(const struct report_ctx *c, struct report_value *out, struct report_ids *ids)
{
    if (report_absent(c->data, RT_PF, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_PF];
    long n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct rev *e = &l->v[i];
        if (strcmp(e->code, "notification") || e->day > c->period.to)
            continue;
        bool ended = false;
        for (size_t k = i + 1; k < l->n && l->v[k].subj == e->subj; k++)
            if (!strcmp(l->v[k].code, "end") && !strcmp(l->v[k].ref, e->ref) &&
                l->v[k].day <= c->period.to)
                ended = true;
        if (!ended) {
            n++;
            if (report_ids_add(ids, e->subj))
                return SVP_ENOMEM;
        }
    }
    if (ids)
        report_ids_unique(ids);
    report_set_count(out, n);
    return SVP_OK;
}

/* Notifications in the period with a visit to the arrangement within 7 working days. */
static int f_pf_first_visit(const struct report_ctx *c, struct report_value *out,
                            struct report_ids *ids)
{
    if (report_absent(c->data, RT_PF, out))
        return SVP_OK;
    const struct rlist *l = &c->data->t[RT_PF];
    long num = 0, den = 0;
    for (size_t i = 0; i < l->n; i++) {
        const struct rev *e = &l->v[i];
        if (!pf_notified_in(c, e))
            continue;
        svp_day due;
        struct svp_err err;
        if (svp_calendar_add_working_days(c->cal, e->day, 7, &due, &err))
            continue;
        den++;
        /* visits of the same arrangement are the subject's events after i */
        bool yes = false;
        for (size_t k = i + 1; k < l->n && l->v[k].subj == e->subj; k++)
            if (!strcmp(l->v[k].code, "visit") && !strcmp(l->v[k].ref, e->ref) &&
                l->v[k].day >= e->day && l->v[k].day <= due) {
                yes = true;
                break;
            }
        if (yes) {
            num++;
            if (report_ids_add(ids, e->subj))
                return SVP_ENOMEM;
        }
    }
    if (ids)
        report_ids_unique(ids);
    report_set_pct(out, num, den);
    return SVP_OK;
}

/* ------------------------------------------------------------------ the table */

#define WT "Working Together 2018"
#define CIN "CIN census (DfE)"
#define S903 "SSDA903 return (DfE)"
#define PF "DfE children's social care performance framework"
#define MISS "Statutory guidance on children who run away or go missing from home or care (2014)"

static const struct report_figure figures[] = {
    {"contacts", "referrals", "contacts to children's social care", REPORT_COUNT,
     "contacts received in the period", CIN, f_contacts},
    {"referrals", "referrals", "referrals", REPORT_COUNT,
     "referrals to children's social care received in the period", CIN, f_referrals},
    {"referrals_rate", "referrals", "referrals per 10,000 children", REPORT_RATE,
     "referrals received in the period per 10,000 children aged 0-17", CIN, f_referrals_rate},
    {"re_referrals_pct", "referrals", "re-referrals within 12 months", REPORT_PERCENT,
     "referrals in the period for a child referred in the 12 months before", CIN, f_re_referrals},
    {"assessments", "referrals", "assessments completed", REPORT_COUNT,
     "single assessments completed in the period", CIN, f_assessments},
    {"assessments_45_pct", "referrals", "assessments within 45 working days", REPORT_PERCENT,
     "assessments completed in the period within 45 working days of their start "
     "(England and Wales bank holidays)",
     WT " ch.1 para 84; " CIN, f_assessments_45},
    {"early_help", "early_help", "new early help cases", REPORT_COUNT,
     "early help episodes started in the period", "local (early help assessment)", f_early_help},
    {"contacts_early_help", "early_help", "contacts passed to early help", REPORT_COUNT,
     "contacts in the period whose outcome was early help", "local", f_contacts_early_help},
    {"cp_plans", "child_protection", "children on a child protection plan", REPORT_COUNT,
     "children subject of a child protection plan at the end of the period", CIN, f_cp_plans},
    {"cp_plans_rate", "child_protection", "child protection plans per 10,000 children", REPORT_RATE,
     "children on a plan at the end of the period per 10,000 children", CIN, f_cp_rate},
    {"cp_plans_started", "child_protection", "child protection plans started", REPORT_COUNT,
     "child protection plans started in the period", CIN, f_cp_started},
    {"cp_second_2y_pct", "child_protection", "second plans within two years", REPORT_PERCENT,
     "plans started in the period for a child whose previous plan ended in the two years "
     "before",
     PF, f_cp_second},
    {"lac", "looked_after", "children looked after", REPORT_COUNT,
     "children looked after at the end of the period", S903, f_lac},
    {"lac_rate", "looked_after", "children looked after per 10,000 children", REPORT_RATE,
     "children looked after at the end of the period per 10,000 children", S903, f_lac_rate},
    {"lac_started", "looked_after", "children starting to be looked after", REPORT_COUNT,
     "children whose looked-after episode started in the period", S903, f_lac_started},
    {"lac_over_20_miles_pct", "looked_after", "placed more than 20 miles from home", REPORT_PERCENT,
     "children looked after at the end of the period whose placement is more than 20 miles "
     "from home (of those with the distance recorded)",
     S903 "; " PF, f_lac_20_miles},
    {"lac_stability_pct", "looked_after", "long-term placement stability", REPORT_PERCENT,
     "children under 16 looked after for 2.5 years or more at the end of the period who have "
     "been in the same placement for 2 years or more",
     S903 "; " PF, f_lac_long_term},
    {"lac_three_placements_pct", "looked_after", "three or more placements in the period",
     REPORT_PERCENT,
     "children looked after at the end of the period with three or more placements during it",
     S903 "; " PF, f_lac_three},
    {"missing_episodes", "missing", "missing episodes", REPORT_COUNT,
     "missing episodes that began in the period", MISS, f_missing_episodes},
    {"missing_children", "missing", "children reported missing", REPORT_COUNT,
     "children with a missing episode that began in the period", MISS, f_missing_children},
    {"missing_repeat", "missing", "children missing more than once", REPORT_COUNT,
     "children with two or more missing episodes in the period", MISS, f_missing_repeat},
    {"missing_12_plus", "missing", "children missing 12 or more times", REPORT_COUNT,
     "children with twelve or more missing episodes in the period", MISS, f_missing_12},
    {"missing_looked_after", "missing", "looked-after children reported missing", REPORT_COUNT,
     "children with an episode in the period that began at a care placement", MISS,
     f_missing_lac_children},
    {"missing_looked_after_pct", "missing", "episodes from care", REPORT_PERCENT,
     "episodes in the period that began at a care placement", MISS, f_missing_lac_share},
    {"missing_out_of_county_pct", "missing", "episodes found out of county", REPORT_PERCENT,
     "episodes in the period in which the child was found outside the county", MISS, f_missing_ooc},
    {"rhi_due", "missing", "return interviews due", REPORT_COUNT,
     "returns from a missing episode in the period referred for a return interview", MISS,
     f_rhi_due},
    {"rhi_offered_72h_pct", "missing", "return interviews offered within 72 hours", REPORT_PERCENT,
     "returns in the period with an interview offered within 72 hours", MISS, f_rhi_offered},
    {"rhi_completed_pct", "missing", "return interviews completed", REPORT_PERCENT,
     "returns in the period whose interview was completed", MISS, f_rhi_completed},
    {"rhi_completed_72h_pct", "missing", "return interviews completed within 72 hours",
     REPORT_PERCENT, "returns in the period whose interview was completed within 72 hours", MISS,
     f_rhi_completed_72},
    {"rhi_declined_pct", "missing", "return interviews declined", REPORT_PERCENT,
     "returns in the period whose interview the child declined", MISS, f_rhi_declined},
    {"da_incidents", "domestic_abuse", "domestic abuse incidents", REPORT_COUNT,
     "domestic abuse incidents reported to the police in the period", "police (Home Office)",
     f_da_incidents},
    {"da_children_present", "domestic_abuse", "children present at incidents", REPORT_COUNT,
     "children recorded as present at a domestic abuse incident in the period",
     "police (Operation Encompass)", f_da_children},
    {"marac_cases", "domestic_abuse", "MARAC cases", REPORT_COUNT,
     "cases heard at MARAC in the period", "SafeLives MARAC data return", f_marac_cases},
    {"marac_children", "domestic_abuse", "children in MARAC households", REPORT_COUNT,
     "children in the households of the cases heard in the period, as the MARAC recorded",
     "SafeLives MARAC data return", f_marac_children},
    {"pf_notifications", "private_fostering", "private fostering notifications", REPORT_COUNT,
     "private fostering notifications in the period",
     "Children (Private Arrangements for Fostering) Regulations 2005", f_pf_notifications},
    {"pf_arrangements", "private_fostering", "private fostering arrangements", REPORT_COUNT,
     "arrangements notified and not ended at the end of the period",
     "Children (Private Arrangements for Fostering) Regulations 2005", f_pf_open},
    {"pf_visits", "private_fostering", "private fostering visits", REPORT_COUNT,
     "visits to privately fostered children in the period",
     "Children (Private Arrangements for Fostering) Regulations 2005 reg.8", f_pf_visits},
    {"pf_first_visit_pct", "private_fostering", "first visits within 7 working days",
     REPORT_PERCENT,
     "notifications in the period whose arrangement was visited within 7 working days",
     "Children (Private Arrangements for Fostering) Regulations 2005 reg.7", f_pf_first_visit},
    /* the partnership's registers (partnership.c; docs/registers.md counts each) */
    {"reg_training_sessions", "partnership", "multi-agency training sessions", REPORT_COUNT,
     "training sessions held in the period (the training register)", WT " ch.3",
     report_f_training_sessions},
    {"reg_training_attendees", "partnership", "training attendees", REPORT_COUNT,
     "delegates who attended a session in the period", WT " ch.3", report_f_training_attendees},
    {"reg_training_fill_pct", "partnership", "training places filled", REPORT_PERCENT,
     "attendees of the places offered at the period's sessions", WT " ch.3",
     report_f_training_fill},
    {"reg_s175_returns_pct", "partnership", "section 175 audit returns", REPORT_PERCENT,
     "schools that returned the financial year's section 175 audit, of those asked",
     "Education Act 2002 s.175", report_f_s175_returns},
    {"reg_early_years_returns_pct", "partnership", "early years audit returns", REPORT_PERCENT,
     "early years settings that returned the financial year's audit, of those asked",
     "Children Act 2004 s.11", report_f_early_years_returns},
    {"reg_cdop_notifications", "partnership", "child death notifications", REPORT_COUNT,
     "child deaths notified in the period (the child death register)", WT " ch.5",
     report_f_cdop_notifications},
    {"reg_cdop_unexpected", "partnership", "unexpected child deaths", REPORT_COUNT,
     "child deaths notified in the period as unexpected", WT " ch.5", report_f_cdop_unexpected},
    {"reg_cdop_modifiable_pct", "partnership", "child death reviews with modifiable factors",
     REPORT_PERCENT, "reviews completed in the period that found modifiable factors", WT " ch.5",
     report_f_cdop_modifiable},
    {"reg_challenges", "partnership", "challenges raised", REPORT_COUNT,
     "challenges raised in the period (the challenge log)", "the partnership's escalation policy",
     report_f_challenges},
    {"reg_open_inspection_recs", "partnership", "open inspection recommendations", REPORT_COUNT,
     "recommendations of inspections still open at the end of the period",
     "JTAI, Ofsted, HMICFRS inspections", report_f_open_inspection_recs},
};

enum rtype report_figure_basis(const struct report_figure *f)
{
    static const struct {
        const char *prefix;
        enum rtype t;
    } basis[] = {
        {"contacts", RT_CONTACT},
        {"referrals", RT_REFERRAL},
        {"re_referrals", RT_REFERRAL},
        {"assessments", RT_ASSESSMENT},
        {"early_help", RT_EARLY_HELP},
        {"cp_", RT_CP_PLAN},
        {"lac", RT_LAC},
        {"missing", RT_MISSING},
        {"rhi", RT_RHI},
        {"da_", RT_DA},
        {"marac", RT_MARAC},
        {"pf_", RT_PF},
        {"reg_", RT_N}, /* the registers' figures: no event type */
    };
    for (size_t i = 0; i < N(basis); i++)
        if (!strncmp(f->id, basis[i].prefix, strlen(basis[i].prefix)))
            return basis[i].t;
    return RT_CONTACT; /* cannot happen: every figure's id starts with one of the above */
}

int report_value_compute(const struct report_figure *f, const struct report_ctx *c,
                         struct report_value *out, struct report_ids *ids)
{
    enum rtype t = report_figure_basis(f);
    if (t != RT_N && c->data->t[t].n > 0 && c->period.to < c->data->first[t]) {
        /* before the extracts begin: nothing is known, which is not 0 */
        char day[16];
        memset(out, 0, sizeof *out);
        svp_date_format(c->data->first[t], day, sizeof day);
        snprintf(out->why, sizeof out->why, "before the first %s event imported (%s)",
                 report_type_name(t), day);
        return SVP_OK;
    }
    return f->compute(c, out, ids);
}

const struct report_figure *report_figures(size_t *n)
{
    *n = N(figures);
    return figures;
}

const struct report_figure *report_figure_find(const char *id)
{
    for (size_t i = 0; i < N(figures); i++)
        if (!strcmp(figures[i].id, id))
            return &figures[i];
    return NULL;
}

const char *const report_themes[] = {"referrals",         "early_help", "child_protection",
                                     "looked_after",      "missing",    "domestic_abuse",
                                     "private_fostering", "partnership", NULL};

const char *report_theme_title(const char *theme)
{
    static const char *const t[][2] = {
        {"referrals", "Contacts, referrals and assessments"},
        {"early_help", "Early help"},
        {"child_protection", "Child protection"},
        {"looked_after", "Children looked after"},
        {"missing", "Missing children and return interviews"},
        {"domestic_abuse", "Domestic abuse and MARAC"},
        {"private_fostering", "Private fostering"},
        {"partnership", "The partnership: training, audits, child deaths, challenges"},
    };
    for (size_t i = 0; i < N(t); i++)
        if (!strcmp(t[i][0], theme))
            return t[i][1];
    return theme;
}
