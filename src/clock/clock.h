/*
 * clock: the door of svp's statutory clocks room.
 *
 * Timescales are data, not code: data/clock-rules.csv (embedded, replaceable by a file)
 * lists each rule: what it times, the start (an event type and the field that dates it),
 * the stop, an amount and unit, a direction and the document it comes from. A
 * partnership adds or changes a local timescale by editing that table.
 *
 * A rule's start and stop name either an event type of the canonical model (docs/model.md),
 * optionally with a subtype ("cp_conference/initial"), or a register ("register:review",
 * computed by the registers room). Fields are started_at, ended_at, subtype or a key of the
 * event's detail JSON; the stop event "same" means the start event itself (a date recorded
 * on it, e.g. a referral's decision_at). `until` names what makes a clock unnecessary: the
 * next cp_plan_end after a conference, or the ended_at of the looked-after episode; a clock
 * whose until comes on or before its deadline, with no stop before it, is not counted.
 *
 * Deadlines are computed when asked for, never stored, so a changed rule or bank-holiday
 * list changes every open deadline at once. The holiday list is the embedded
 * data/bank-holidays.csv unless the database holds one imported from gov.uk's
 * bank-holidays.json (`svp calendar import`).
 */
#ifndef SVP_CLOCK_H
#define SVP_CLOCK_H

#include "base/base.h"
#include "store/store.h"

/* ------------------------------------------------------------------ rules */

enum clock_unit {
    CLOCK_WORKING_DAYS,
    CLOCK_CALENDAR_DAYS,
    CLOCK_HOURS,
    CLOCK_WEEKS,
    CLOCK_MONTHS,
};

/* Which start events a rule applies to (the `when` column). */
enum clock_when {
    CLOCK_WHEN_ALWAYS,
    CLOCK_WHEN_FIRST,       /* "first": only the subject's first start event of its type;
                               "first:TYPE": the first since the subject's latest TYPE */
    CLOCK_WHEN_LATER,       /* "later" / "later:TYPE": every start event but those */
    CLOCK_WHEN_YEAR1,       /* "year1:TYPE": within a year of the subject's first TYPE */
    CLOCK_WHEN_AFTER_YEAR1, /* "after_year1:TYPE": a year or more after it */
    CLOCK_WHEN_FIELD,       /* "FIELD=A|B": a register field (or event subtype) is A or B */
};

#define CLOCK_NAME_MAX 48
#define CLOCK_TEXT_MAX 256

struct clock_rule {
    char id[CLOCK_NAME_MAX];
    char times[CLOCK_TEXT_MAX]; /* what it times, for people */
    char start_event[CLOCK_NAME_MAX];
    char start_field[CLOCK_NAME_MAX];
    char stop_event[CLOCK_NAME_MAX]; /* "same": the start event itself */
    char stop_field[CLOCK_NAME_MAX];
    int amount; /* > 0 */
    enum clock_unit unit;
    int direction; /* +1 after the start, -1 before it */
    enum clock_when when;
    char when_name[CLOCK_NAME_MAX];   /* TYPE for first:, later: and year1 rules, FIELD for
                                         field rules ("" for plain first and later) */
    char when_values[CLOCK_TEXT_MAX]; /* "A|B" for field rules; "*" any value */
    char until_event[CLOCK_NAME_MAX]; /* "": none; else an event that ends the clock */
    char until_field[CLOCK_NAME_MAX]; /* "": the next until_event after the start; else this
                                         field of the latest until_event on or before it */
    char source[CLOCK_TEXT_MAX];      /* the document the timescale comes from */
    long line;                        /* line in the rules file */
};

struct clock_rules {
    struct clock_rule *v;
    size_t n;
};

/* Parses a rules table (CSV text, borrowed) and checks every row: known unit and
 * direction, whole amount above zero, unique ids, start and stop named, a valid `when`.
 * name is used in messages. On error nothing is returned and err names the line and field.
 * Returns owned rules in *out. */
int clock_rules_parse(const char *data, size_t len, const char *name, struct clock_rules **out,
                      struct svp_err *err) SVP_WUR;

/* Loads path (borrowed), or the embedded data/clock-rules.csv when path is NULL. */
int clock_rules_load(const char *path, struct clock_rules **out, struct svp_err *err) SVP_WUR;

/* The rule with this id, or NULL. Borrowed from rules. */
const struct clock_rule *clock_rules_find(const struct clock_rules *rules, const char *id);

void clock_rules_free(struct clock_rules **rules);

/* The unit's name as in the rules table ("working_days"), and a phrase ("working days"). */
const char *clock_unit_name(enum clock_unit unit);
const char *clock_unit_phrase(enum clock_unit unit);

/* True if value is one of the rule's `when` alternatives (CLOCK_WHEN_FIELD rules). */
bool clock_rule_when_matches(const struct clock_rule *rule, const char *value);

/* True if the rule's start is a register ("register:NAME"); *name then points into rule. */
bool clock_rule_is_register(const struct clock_rule *rule, const char **name);

/* ------------------------------------------------------------------ one clock */

enum clock_state {
    CLOCK_MET,     /* stopped on or before the deadline */
    CLOCK_LATE,    /* stopped after the deadline */
    CLOCK_OPEN,    /* not stopped, deadline not yet passed */
    CLOCK_OVERDUE, /* not stopped, deadline passed */
    CLOCK_UNKNOWN, /* the deadline cannot be counted (outside the known bank holidays) */
};

/* "met on time", "met late", "open", "overdue", "cannot count". */
const char *clock_state_name(enum clock_state state);

/* A moment: a day, and a time when the source gave one (hours rules need a time; a plain
 * date counts as midnight UTC). */
struct clock_moment {
    svp_day day;
    svp_time time;
    bool set;
};

struct clock_item {
    const struct clock_rule *rule; /* borrowed from the rules */
    int64_t source_id;             /* event id, or register entry id */
    int64_t subject;               /* whose clock: a person id (> 0), minus an unlinked
                                      record's id (< 0), or 0 for a register entry */
    char ref[64];                  /* register entry ref, or "event N" */
    struct clock_moment start;     /* the anchor the deadline is counted from */
    struct clock_moment due;
    struct clock_moment stop; /* unset while open */
    enum clock_state state;
    int taken;     /* rule units from start to stop (or to as-of when not stopped): "day 16" */
    int late_by;   /* rule units past the deadline at stop (or as-of), 0 when on time */
    char why[160]; /* for CLOCK_UNKNOWN: why it cannot be counted */
};

/* Works out one clock: the deadline from start by rule and calendar, then the state on
 * day as_of given the stop (unset: not stopped). Never fails: a deadline outside the
 * calendar gives CLOCK_UNKNOWN with the reason in item->why. Fills *item (rule borrowed). */
void clock_evaluate(const struct svp_calendar *cal, const struct clock_rule *rule,
                    struct clock_moment start, struct clock_moment stop, svp_day as_of,
                    struct clock_item *item);

/* Parses an ISO 8601 date or date-time into a moment; SVP_EINPUT if it is not one. */
int clock_moment_parse(const char *s, struct clock_moment *out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ clocks over events */

struct clock_list {
    struct clock_item *v;
    size_t n, cap;
};

/* Appends a copy of *item; SVP_ENOMEM on failure. */
int clock_list_push(struct clock_list *list, const struct clock_item *item) SVP_WUR;
void clock_list_free(struct clock_list *list);

struct clock_query {
    const char *rule_id; /* NULL: every rule */
    bool has_from, has_to;
    svp_day from, to; /* counts items whose deadline falls in [from, to] */
    svp_day as_of;    /* the day open and overdue are judged on (usually today) */
};

/* Computes every clock of the event-based rules in rules (register rules are skipped:
 * the registers room owns them) over the event table, subjects being linked persons
 * where the link room has joined records and records otherwise. Appends to *list the
 * items query selects. Events with unreadable dates are skipped and counted in *skipped
 * (may be NULL). Returns 0 or a negative status with err set. */
int clock_compute_events(struct store *s, const struct svp_calendar *cal,
                         const struct clock_rules *rules, const struct clock_query *query,
                         struct clock_list *list, long *skipped, struct svp_err *err) SVP_WUR;

/* True if item belongs in query's selection (rule and deadline period). */
bool clock_query_selects(const struct clock_query *query, const struct clock_item *item);

/* Per-rule compliance figures: the numbers annual reports quote. */
struct clock_summary {
    const struct clock_rule *rule; /* borrowed */
    int due;                       /* items whose deadline falls in the period */
    int on_time, late, overdue, open, unknown;
    int pct_on_time;    /* on_time / (on_time + late + overdue), rounded; -1 when none decided */
    int max_taken_late; /* the longest time taken by a late item (working days, or hours) */
    int max_late_by;    /* the most working days (or hours) a late item was past its deadline */
};

/* Summarises list by rule, in the rules table's order; rules without items are left
 * out. Returns an owned array in *out and its length in *n. */
int clock_summarise(const struct clock_rules *rules, const struct clock_list *list,
                    struct clock_summary **out, size_t *n, struct svp_err *err) SVP_WUR;

/* Periods a report can be split into, by the day each clock falls due. */
enum clock_period {
    CLOCK_PERIOD_ALL,     /* one period: everything the query selects */
    CLOCK_PERIOD_MONTH,   /* "2022-06" */
    CLOCK_PERIOD_QUARTER, /* "2022 Q2" (calendar quarters) */
    CLOCK_PERIOD_YEAR,    /* "2022" */
    CLOCK_PERIOD_FYEAR,   /* "2022-23": April to March, as annual reports count */
};

/* Parses "all", "month", "quarter", "year" or "fyear"; SVP_EINPUT otherwise. */
int clock_period_parse(const char *s, enum clock_period *out, struct svp_err *err) SVP_WUR;

/* The first and last day of the period day falls in, and its label (cap >= 16). */
void clock_period_bounds(enum clock_period p, svp_day day, svp_day *first, svp_day *last,
                         char *label, size_t cap);

/* One period's figures. */
struct clock_period_summary {
    svp_day first, last;
    char label[16];
    struct clock_summary *rows; /* owned */
    size_t n;
};

/* Splits list into periods by each item's deadline (items that cannot be counted go by
 * their start) and summarises each, oldest period first. Returns an owned array in *out
 * (free with clock_period_summaries_free) and its length in *n. */
int clock_summarise_by(const struct clock_rules *rules, const struct clock_list *list,
                       enum clock_period period, struct clock_period_summary **out, size_t *n,
                       struct svp_err *err) SVP_WUR;
void clock_period_summaries_free(struct clock_period_summary **v, size_t n);

/* One line as annual reports put it, e.g. "rapid review sent to the national panel: 8 due,
 * 7 within 15 working days (88%), 1 on day 16". Writes into buf (cap bytes). */
void clock_summary_sentence(const struct clock_summary *s, char *buf, size_t cap);

/* Items not yet stopped whose deadline is on or before `within` working days after as_of
 * (overdue ones included), oldest deadline first. Copies them from list into *out. */
int clock_due_soon(const struct svp_calendar *cal, const struct clock_list *list, svp_day as_of,
                   int within, struct clock_list *out, struct svp_err *err) SVP_WUR;

/* The day of the latest event dated no later than tomorrow (later dates are typing errors
 * or planned dates, not what happened): the day a report on imported data is "as of" when
 * no day is chosen, so data that ends in 2023 is not judged against today. SVP_ENOTFOUND
 * when there are no dated events. */
int clock_latest_event_day(struct store *s, svp_day *out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ holidays in the database */

/* Parses gov.uk's bank-holidays.json (text borrowed; name for messages) and returns the
 * England and Wales dates as an owned array in *days with titles in *titles (owned
 * strings, same order). Duplicate keys, a missing division, a date that does not exist or
 * more than 10000 events are refused with the JSON line or event number. */
int clock_holidays_parse_json(const char *data, size_t len, const char *name, svp_day **days,
                              char ***titles, size_t *n, struct svp_err *err) SVP_WUR;

/* Imports a bank-holidays.json file into the database in one transaction. With replace the
 * stored list becomes exactly the file's; without, the file's dates are added to the list
 * in use (the embedded one on first import). *added counts new dates. */
int clock_holidays_import(struct store *s, const char *path, bool replace, long *added,
                          struct svp_err *err) SVP_WUR;

/* Loads the calendar in use: the database's list if one was imported (s may be NULL),
 * else the embedded data/bank-holidays.csv. Returns an owned calendar in *out. */
int clock_calendar_load(struct store *s, struct svp_calendar **out, struct svp_err *err) SVP_WUR;

#endif
