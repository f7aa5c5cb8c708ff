/*
 * registers/figures: the figures an annual report prints, from the partnership's registers.
 * Each figure is one function here; `svp register figures`, the web application and the
 * report room call these and compute nothing of their own. docs/registers.md says how each
 * is counted.
 *
 * Periods: from and to are YYYY-MM-DD days, inclusive; NULL leaves that end open. A training
 * session counts by its date, an audit return by its round (year), a challenge by the day it
 * was raised, a child death notification by the day it was notified and a review by the day
 * the panel reviewed it. Rates are fractions from 0 to 1 (-1 when there is nothing to divide
 * by); the caller rounds them for print.
 */
#ifndef SVP_REGISTERS_FIGURES_H
#define SVP_REGISTERS_FIGURES_H

#include "registers/registers.h"

/* ------------------------------------------------------------------ training */

/* Per course (key: the course's title) or per agency (key: the delegate's agency). By
 * course: sessions held, attendees, places and fill rate (attendees / capacity); a
 * session's attendees are its bookings marked attended, or its head count (`attended`) when
 * it has no bookings. By agency (bookings only): booked (every booking not cancelled),
 * attendees, no-shows, and share (attendees / all attendees with a booking). */
struct reg_training_row {
    char key[200];
    char ref[REG_REF_MAX]; /* the course's ref; "" for an agency or the total */
    long sessions, attendees, capacity, booked, no_shows;
    double fill, share;
};

/* Rows by course in the courses' order, then one row "TOTAL" (ref ""). Owned (svp_free). */
int reg_fig_training_by_course(struct store *s, const char *from, const char *to,
                               struct reg_training_row **out, size_t *n,
                               struct svp_err *err) SVP_WUR;
/* Rows by agency, most attendees first, then "TOTAL". Owned (svp_free). */
int reg_fig_training_by_agency(struct store *s, const char *from, const char *to,
                               struct reg_training_row **out, size_t *n,
                               struct svp_err *err) SVP_WUR;

/* Evaluations and distance travelled per course and learning outcome: delegates who
 * attended, those who returned an evaluation both before and after (returns; rate = returns
 * / attended), the mean confidence (1-10) before, after and at follow-up over the pairs,
 * the mean change after - before ("distance travelled"), how many pairs rose, and the mean
 * course rating (1-5) with how many rated it. */
struct reg_distance_row {
    char course[200];
    char outcome[200];
    long attended, returns, increased, follow_ups, rated;
    double return_rate, before, after, follow_up, change, change_follow_up, rating;
};

int reg_fig_distance(struct store *s, const char *from, const char *to,
                     struct reg_distance_row **out, size_t *n, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ audits */

/* Returns by kind (s11, s175, early_years, childminder) for one round (year; NULL every
 * round), each kind's total row (sector "") followed by its rows by sector: how many were
 * asked, returned, the rate, and how many non-returners were challenged. */
struct reg_return_row {
    char kind[16];
    char sector[64];
    long total, returned, challenged;
    double rate;
};

int reg_fig_returns(struct store *s, const char *year, struct reg_return_row **out, size_t *n,
                    struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ challenge log */

/* Counts by key: themes (a challenge counts once under each of its ';'-separated themes),
 * outcomes, and per agency challenged: challenges, responded, mean working days from raised
 * to response (over those responded), escalation stages and stages answered late or not
 * yet answered past their time limit (data/case-resolution.csv) on as_of. */
struct reg_count_row {
    char key[200];
    long n, responded, stages, stages_late;
    double mean_days; /* over the responses whose working days the calendar could count */
};

struct reg_challenge_figs {
    struct reg_count_row *themes, *outcomes, *agencies; /* owned */
    size_t nthemes, noutcomes, nagencies;
    long total;
};

int reg_fig_challenges(struct store *s, const struct svp_calendar *cal, const char *from,
                       const char *to, svp_day as_of, struct reg_challenge_figs *out,
                       struct svp_err *err) SVP_WUR;
void reg_challenge_figs_free(struct reg_challenge_figs *f);

/* ------------------------------------------------------------------ inspections and learning */

/* Open recommendations (state open) whose parent is of register parent ("inspection",
 * "audit", "review", "child_death"; NULL any), by parent then recommendation, with their
 * actions still open and those of them overdue on as_of. */
struct reg_open_rec {
    char parent_register[24];
    char parent_ref[REG_REF_MAX];
    char parent_title[200];
    char ref[REG_REF_MAX];
    char text[300];
    char course[REG_REF_MAX]; /* the course that answers it, "" if none */
    long actions_open, actions_overdue;
};

int reg_fig_open_recommendations(struct store *s, const char *parent, svp_day as_of,
                                 struct reg_open_rec **out, size_t *n, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ child deaths */

/* Notifications in the period (unexpected, expected, under one), reviews completed in the
 * period (with modifiable factors; under one) and the backlog: notified by `to` (or ever)
 * and not reviewed by then. Rapid responses: unexpected deaths notified in the period with a
 * rapid response recorded, and the mean calendar days to it. */
struct reg_cdop_figs {
    long notifications, unexpected, expected, under_1_notified;
    long reviewed, modifiable, under_1_reviewed, awaiting_review;
    long rapid_responses;
    double modifiable_rate, under_1_rate, rapid_response_mean_days;
};

int reg_fig_cdop(struct store *s, const char *from, const char *to, struct reg_cdop_figs *out,
                 struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ risk register */

/* Open risks on a 5 x 5 grid: cell[l-1][i-1] counts risks with likelihood l and impact i,
 * before controls or (after) after them (risks not yet scored after controls are left out
 * of that grid and counted in unscored). */
struct reg_heatmap {
    long cell[5][5];
    long open, unscored;
};

int reg_fig_risk_heatmap(struct store *s, bool after, struct reg_heatmap *out,
                         struct svp_err *err) SVP_WUR;

/* Open risks whose review is overdue on as_of by the clock rules (risk_review): the clock
 * items, oldest deadline first (owned list; clock_list_free). */
int reg_fig_risk_overdue(struct store *s, const struct svp_calendar *cal,
                         const struct clock_rules *rules, svp_day as_of, struct clock_list *out,
                         struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ meetings */

/* Attendance per body and agency over meetings in the period: meetings the body held, and
 * those the agency was present at ("3/5"). Rows by body, then agency. */
struct reg_attendance_row {
    char body[100];
    char agency[200];
    long held, present;
};

int reg_fig_attendance(struct store *s, const char *from, const char *to,
                       struct reg_attendance_row **out, size_t *n, struct svp_err *err) SVP_WUR;

#endif
