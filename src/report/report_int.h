/* The report room's inside: the loaded events and helpers shared by its files. */
#ifndef SVP_REPORT_INT_H
#define SVP_REPORT_INT_H

#include "report.h"

enum rtype {
    RT_CONTACT,
    RT_REFERRAL,
    RT_ASSESSMENT,
    RT_CP_PLAN,
    RT_CP_PLAN_END,
    RT_LAC,
    RT_PLACEMENT,
    RT_MISSING,
    RT_RHI,
    RT_DA,
    RT_MARAC,
    RT_PF,
    RT_EARLY_HELP,
    RT_N,
};

/* Flags of an event (bits of rev.flags). */
enum {
    RF_LOOKED_AFTER = 1,  /* missing_episode: from a care placement */
    RF_OUT_OF_COUNTY = 2, /* missing_episode found out of county; placement out of county */
    RF_HAS_RETURN = 4,    /* return_interview: returned_at set */
    RF_HAS_OFFER = 8,     /* offered_at set */
    RF_HAS_COMPLETE = 16, /* completed_at set */
    RF_HAS_END = 32,      /* end set */
    RF_HAS_NUM = 64,      /* num set */
    RF_HAS_DOB = 128,     /* dob set */
};

struct rev {
    int64_t subj; /* person id, or minus the record id */
    svp_day day;  /* started */
    svp_time at;  /* started, seconds (midnight for a date) */
    svp_day end;  /* ended (RF_HAS_END) */
    svp_day dob;  /* the record's date of birth (RF_HAS_DOB) */
    svp_time t_ret, t_off, t_comp;
    double num; /* distance_miles, children */
    unsigned flags;
    char code[24]; /* outcome, role or subtype */
    char ref[24];  /* plan_ref, arrangement_ref */
};

struct rlist {
    struct rev *v;
    size_t n, cap;
};

struct report_data {
    struct rlist t[RT_N];
    svp_day first[RT_N]; /* the earliest event of each type (when t[i].n > 0) */
    svp_day latest;
    long skipped;
    struct store *store; /* borrowed: the registers the partnership figures read */
};

/* The event type's name in the model ("looked_after"). */
const char *report_type_name(enum rtype t);

/* Sets out unavailable when type t has no events at all, with the reason. True if so. */
bool report_absent(const struct report_data *d, enum rtype t, struct report_value *out);

/* The event type a figure counts (its data begins with the first event of it). */
enum rtype report_figure_basis(const struct report_figure *f);

/* Adds id to ids (NULL: nothing); SVP_ENOMEM. */
int report_ids_add(struct report_ids *ids, int64_t id) SVP_WUR;
/* Sorts ids and removes repeats. */
void report_ids_unique(struct report_ids *ids);

/* A figure's value: a count n, or num of den as a percentage (no value when den is 0). */
void report_set_count(struct report_value *out, long n);
void report_set_pct(struct report_value *out, long num, long den);

/* partnership.c: the figures from the registers (training, returns, child deaths,
 * challenges, inspections); their ids start reg_ and they count no children. */
int report_f_training_sessions(const struct report_ctx *c, struct report_value *out,
                               struct report_ids *ids);
int report_f_training_attendees(const struct report_ctx *c, struct report_value *out,
                                struct report_ids *ids);
int report_f_training_fill(const struct report_ctx *c, struct report_value *out,
                           struct report_ids *ids);
int report_f_s175_returns(const struct report_ctx *c, struct report_value *out,
                          struct report_ids *ids);
int report_f_early_years_returns(const struct report_ctx *c, struct report_value *out,
                                 struct report_ids *ids);
int report_f_cdop_notifications(const struct report_ctx *c, struct report_value *out,
                                struct report_ids *ids);
int report_f_cdop_unexpected(const struct report_ctx *c, struct report_value *out,
                             struct report_ids *ids);
int report_f_cdop_modifiable(const struct report_ctx *c, struct report_value *out,
                             struct report_ids *ids);
int report_f_challenges(const struct report_ctx *c, struct report_value *out,
                        struct report_ids *ids);
int report_f_open_inspection_recs(const struct report_ctx *c, struct report_value *out,
                                  struct report_ids *ids);

#endif
