/* Transition to adulthood (transitional safeguarding): the children who turn 18 soon, for
 * handover to adult services. The partnership's 2021-22 report makes transitional
 * safeguarding a priority and the tracker's own quality run found the exploited young
 * people it missed had just turned 18 (docs/indicators.md, "Transition"). */
#include "risk.h"

#include <stdlib.h>
#include <string.h>

int risk_age_band_parse(const char *band, int *age_to, struct svp_err *err)
{
    int64_t v;
    if (!band || !strcmp(band, "children"))
        *age_to = 0;
    else if (!strcmp(band, "transition"))
        *age_to = RISK_AGE_TRANSITION;
    else if (!svp_parse_i64(band, &v) && v >= 17 && v <= RISK_AGE_TRACK_MAX)
        *age_to = (int)v;
    else
        return svp_err_set(err, SVP_EUSAGE,
                           "must be children, transition or an age from 17 to %d",
                           RISK_AGE_TRACK_MAX);
    return SVP_OK;
}

svp_day risk_person_day18(const struct risk_person *rp)
{
    if (!rp->dob)
        return 0;
    return svp_date_add_months(rp->dob, 18 * 12);
}

static int cmp_day18(const void *a, const void *b)
{
    const struct risk_person *x = *(struct risk_person *const *)a,
                             *y = *(struct risk_person *const *)b;
    svp_day dx = risk_person_day18(x), dy = risk_person_day18(y);
    if (dx != dy)
        return dx < dy ? -1 : 1;
    return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

int risk_panel_turning18(const struct risk_panel *p, int months, struct risk_person ***out,
                         size_t *n, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    if (months < 1 || months > 24)
        return svp_err_set(err, SVP_EINPUT, "the months ahead must be 1 to 24");
    svp_day until = svp_date_add_months(p->as_of, months);
    size_t cap = 0;
    for (size_t i = 0; i < p->npersons; i++) {
        struct risk_person *rp = &p->persons[i];
        svp_day d18 = risk_person_day18(rp);
        if (!rp->child || !d18 || d18 <= p->as_of || d18 > until)
            continue;
        /* those the partnership must hand over: on the tracker's list, or with a plan open */
        bool listed = rp->status == RISK_SCORED && rp->band >= RISK_BAND_MEDIUM;
        if (!listed && !rp->plans)
            continue;
        struct risk_person **grown = svp_grow(*out, &cap, *n + 1, sizeof **out, 64);
        if (!grown) {
            svp_free(*out);
            *out = NULL;
            *n = 0;
            return svp_err_set(err, SVP_ENOMEM, "out of memory listing who turns 18");
        }
        *out = grown;
        (*out)[(*n)++] = rp;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof **out, cmp_day18);
    return SVP_OK;
}

json_t *risk_turning18_json(const struct risk_panel *p, int months, struct risk_person **list,
                            size_t n)
{
    json_t *o = json_object(), *people = json_array();
    char day[16];
    svp_date_format(p->as_of, day, sizeof day);
    bool bad = !o || !people;
    bad = bad || json_object_set_new(o, "as_of", json_string(day));
    bad = bad || json_object_set_new(o, "months", json_integer(months));
    for (size_t i = 0; i < n && !bad; i++) {
        json_t *x = risk_person_json(p, list[i], 3);
        svp_date_format(risk_person_day18(list[i]), day, sizeof day);
        bad = !x || json_object_set_new(x, "turns_18", json_string(day)) ||
              json_object_set_new(x, "status", json_string(risk_status_text(list[i]->status)));
        bad = json_array_append_new(people, x) || bad;
    }
    bad = bad || json_object_set(o, "people", people);
    json_decref(people);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}
