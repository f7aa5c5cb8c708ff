/* The panel's words: status, band and change names, plans, agencies and reason summaries, and the latest event's day. */
#include "panel_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *risk_status_text(enum risk_status st)
{
    switch (st) {
    case RISK_SCORED: return "scored";
    case RISK_NO_DOB: return "no score: no date of birth on any record, so age is unknown";
    case RISK_TOO_LITTLE:
        return "no score: too little data (no events or relationships in the lookback period)";
    case RISK_ADULT: return "not scored: an adult on the scoring date";
    }
    return "unknown";
}

const char *risk_band_name(enum risk_band b)
{
    static const char *const n[] = {"none", "low", "medium", "high"};
    return b <= RISK_BAND_HIGH ? n[b] : "none";
}

enum risk_band risk_band_of(const struct risk_weights *w, double score)
{
    if (score >= w->band_high)
        return RISK_BAND_HIGH;
    if (score >= w->band_medium)
        return RISK_BAND_MEDIUM;
    return score > 0 ? RISK_BAND_LOW : RISK_BAND_NONE;
}

const char *risk_change_name(enum risk_change c)
{
    static const char *const n[] = {"", "new", "up", "down", "same", "left"};
    return c <= RISK_CHANGE_LEFT ? n[c] : "";
}

/* Appends to buf (*len of cap used) when all of it fits, else leaves buf as it was and
 * returns false. The short summaries below are written in place: nothing to allocate, so
 * nothing that can fail and leave a summary silently cut. */
static bool put(char *buf, size_t cap, size_t *len, const char *fmt, ...) SVP_PRINTF(4, 5);
static bool put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len >= cap)
        return false;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *len) {
        buf[*len] = '\0';
        return false;
    }
    *len += (size_t)n;
    return true;
}

void risk_plans_format(unsigned plans, char *buf, size_t cap)
{
    static const char *const n[] = {"CIN", "CP", "LAC", "EH", "YJ"};
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int i = 0; i < 5; i++)
        if (plans & (1u << i))
            if (!put(buf, cap, &len, "%s%s", len ? " " : "", n[i]))
                break;
    if (!len)
        svp_strlcpy(buf, "-", cap);
}

void risk_agencies_format(unsigned agencies, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int i = 0; i < RISK_AG_COUNT; i++)
        if (agencies & (1u << i))
            if (!put(buf, cap, &len, "%s%s", len ? " " : "", risk_agency_name(i)))
                break;
    if (!len)
        svp_strlcpy(buf, "-", cap);
}

void risk_reasons_summary(const struct risk_person *rp, int n, char *buf, size_t cap)
{
    /* Sum the points per indicator, then name the n largest. */
    double sum[RISK_INDICATOR_COUNT];
    risk_indicator_sums(rp, sum);
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int k = 0; k < n; k++) {
        int best = risk_indicator_next_best(sum);
        if (best < 0)
            break;
        if (!put(buf, cap, &len, "%s%s %.1f", len ? "; " : "", risk_indicator_name(best),
                 sum[best]))
            break;
        sum[best] = 0;
    }
    if (!len)
        svp_strlcpy(buf, "-", cap);
}

int risk_latest_event_day(struct store *s, svp_day *out, struct svp_err *err)
{
    char upto[16];
    svp_date_format(svp_date_today() + 1, upto, sizeof upto);
    struct store_stmt *st = NULL;
    /* MAX(started_at) of every event before tomorrow: the latest of each type's (the index
     * on type and time finds each type's at once, where the plain MAX reads the index
     * through), the types walked one after another by that index */
    int rc = store_prepare(s,
                           "WITH RECURSIVE t(type) AS (SELECT MIN(type) FROM event UNION ALL "
                           "SELECT (SELECT MIN(type) FROM event WHERE type > t.type) FROM t "
                           "WHERE t.type IS NOT NULL) SELECT MAX((SELECT MAX(started_at) FROM "
                           "event WHERE type = t.type AND started_at < ?)) FROM t",
                           &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, upto, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    rc = store_step(st, err);
    bool found = rc == STORE_ROW && panel_day_of(store_column_text(st, 0), out);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    return found ? SVP_OK : svp_err_set(err, SVP_ENOTFOUND, "there are no events to score yet");
}
