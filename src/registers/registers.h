/*
 * registers: the door of svp's registers room.
 *
 * One generic register engine, described by schemas: a register is a named list of
 * entries, each with a reference, an optional parent entry in another register and typed
 * fields (text, date, choice) checked on every write: type, length, allowed values,
 * required fields and date order ("publication not before initiation"). A write is
 * all-or-nothing: a refused change stores nothing.
 *
 * Schemas shipped (src/registers/schemas.c): review (the case review register: rapid
 * reviews, LCSPRs, SARs, DHRs, non-statutory reviews), and the case learning tracker's
 * recommendation (of a review), action (of a recommendation: owner agency, due date,
 * state) and evidence (of impact, recorded against an action). The risk register,
 * challenge log and training records are further schemas of the same engine.
 *
 * Review deadlines come from the clock room's rules whose start is "register:review":
 * computed when asked for, never stored.
 */
#ifndef SVP_REGISTERS_H
#define SVP_REGISTERS_H

#include "base/base.h"
#include "clock/clock.h"
#include "store/store.h"

enum reg_type { REG_TEXT, REG_DATE, REG_CHOICE };

struct reg_field {
    const char *name;
    enum reg_type type;
    bool required;
    const char *choices; /* REG_CHOICE: "a|b|c" */
    const char *def;     /* value given when none is: NULL for none */
    size_t max_len;      /* REG_TEXT: bytes */
    const char *help;    /* one line for --help and show */
};

/* Two date fields that must be in order when both are set: earlier <= later. */
struct reg_order {
    const char *earlier, *later;
};

struct reg_schema {
    const char *name;       /* register name as stored, e.g. "review" */
    const char *title;      /* for people, e.g. "case review" */
    const char *parent;     /* register of the parent entry, NULL for a top-level register */
    const char *ref_prefix; /* child refs are PARENT_REF/<prefix><n>; NULL: refs are given */
    const struct reg_field *fields;
    size_t nfields;
    const struct reg_order *order;
    size_t norder;
};

#define REG_MAX_FIELDS 24
#define REG_REF_MAX 96

struct reg_entry {
    int64_t id; /* 0 until stored */
    const struct reg_schema *schema;
    char ref[REG_REF_MAX];
    int64_t parent_id;            /* 0 for none */
    char *values[REG_MAX_FIELDS]; /* owned; NULL when unset; index as schema->fields */
    char created_at[32], updated_at[32];
};

/* The schema named name, or NULL. Borrowed (static). */
const struct reg_schema *reg_schema_find(const char *name);

/* The field of schema called name, or NULL. */
const struct reg_field *reg_schema_field(const struct reg_schema *schema, const char *name);

/* Prepares an empty entry of schema (defaults filled in). Free with reg_entry_clear. */
int reg_entry_init(struct reg_entry *e, const struct reg_schema *schema,
                   struct svp_err *err) SVP_WUR;

/* Frees the entry's values (the struct itself is the caller's). */
void reg_entry_clear(struct reg_entry *e);

/* A field's value, borrowed from e; NULL when unset or unknown. */
const char *reg_entry_get(const struct reg_entry *e, const char *field);

/* Sets one field (value borrowed and copied; NULL or "" clears it) after checking it alone:
 * a known field, valid UTF-8 within the length cap, an existing YYYY-MM-DD date, one of
 * the choices. SVP_EINPUT naming the field otherwise; e is then unchanged. */
int reg_entry_set(struct reg_entry *e, const char *field, const char *value,
                  struct svp_err *err) SVP_WUR;

/* Checks the whole entry: required fields set and dates in order. */
int reg_entry_check(const struct reg_entry *e, struct svp_err *err) SVP_WUR;

/* Stores a new entry (borrows e; fills e->id, e->ref, e->parent_id, timestamps). A child
 * register needs parent_ref, an existing entry of the parent register; its ref is made
 * from the parent's. A top-level entry needs e->ref set: 1-40 letters, digits, '-', '_'
 * or '.'. SVP_ECONFLICT if the ref is taken. Nothing is stored on any error. */
int reg_add(struct store *s, struct reg_entry *e, const char *parent_ref,
            struct svp_err *err) SVP_WUR;
/* As reg_add, and runs also (when not NULL; ctx is its own) in the same transaction once
 * the entry is stored, with e's id and ref filled: e.g. the audit entry of the change, so
 * that the register never holds a change its audit trail lacks. Either both are stored or
 * neither; an error of also is returned as it is. */
int reg_add_also(struct store *s, struct reg_entry *e, const char *parent_ref,
                 int (*also)(struct store *s, const struct reg_entry *e, void *ctx,
                             struct svp_err *err),
                 void *ctx, struct svp_err *err) SVP_WUR;

/* Loads the entry of schema with ref into *out (initialised here; clear it after).
 * SVP_ENOTFOUND if there is none. */
int reg_get(struct store *s, const struct reg_schema *schema, const char *ref,
            struct reg_entry *out, struct svp_err *err) SVP_WUR;

/* One field change for reg_update. */
struct reg_change {
    const char *field;
    const char *value; /* NULL or "" clears */
};

/* Applies changes (borrowed) to the entry of schema with ref, checks the result and
 * stores it, all or nothing. The updated entry is returned in *out when out != NULL. */
int reg_update(struct store *s, const struct reg_schema *schema, const char *ref,
               const struct reg_change *changes, size_t n, struct reg_entry *out,
               struct svp_err *err) SVP_WUR;

/* Entries of schema, by ref; only children of parent_id when it is not 0. Returns an owned
 * array in *out (free with reg_entries_free) and its length in *n. */
int reg_list(struct store *s, const struct reg_schema *schema, int64_t parent_id,
             struct reg_entry **out, size_t *n, struct svp_err *err) SVP_WUR;

void reg_entries_free(struct reg_entry **v, size_t n);

/* ------------------------------------------------------------------ case reviews and clocks */

/* The clocks of the review register: for each review (only ref's when ref != NULL) and
 * each rule starting on "register:review" whose `when` fits the review, the deadline and
 * state. Appends the items query selects to *list (item->ref is the review's ref). */
int reg_review_clocks(struct store *s, const struct svp_calendar *cal,
                      const struct clock_rules *rules, const struct clock_query *query,
                      const char *ref, struct clock_list *list, struct svp_err *err) SVP_WUR;

/* Every clock svp keeps: over imported events (clock_compute_events) and over the
 * registers. This is the list `svp clock report|due`, the web app and reports read. */
int reg_clocks_all(struct store *s, const struct svp_calendar *cal, const struct clock_rules *rules,
                   const struct clock_query *query, struct clock_list *list, long *skipped,
                   struct svp_err *err) SVP_WUR;

/* Per-rule compliance figures over every clock in query (rows owned in *out, *n rows):
 * the one function behind `svp clock report`, `svp review report` and the web app. */
int reg_clock_report(struct store *s, const struct svp_calendar *cal,
                     const struct clock_rules *rules, const struct clock_query *query,
                     struct clock_summary **out, size_t *n, long *skipped,
                     struct svp_err *err) SVP_WUR;

/* As reg_clock_report, split into periods by deadline (month, quarter, year, financial
 * year): `svp clock report --by`. Free *out with clock_period_summaries_free. */
int reg_clock_report_by(struct store *s, const struct svp_calendar *cal,
                        const struct clock_rules *rules, const struct clock_query *query,
                        enum clock_period period, struct clock_period_summary **out, size_t *n,
                        long *skipped, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ case learning tracker */

/* Actions not done or dropped whose due date is before as_of, oldest first (owned array). */
int reg_learning_overdue(struct store *s, svp_day as_of, struct reg_entry **out, size_t *n,
                         struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ the panel meeting */

/* One discussion of a child at a panel meeting (strings borrowed; NULL or "" unset). */
struct reg_panel_decision {
    const char *discussed_on; /* required: YYYY-MM-DD */
    const char *decision, *rag, *owner, *next_review;
};

/* Records a discussion of person_id: checks every field first (a bad one is SVP_EINPUT
 * naming it, nothing stored), adds the child's panel entry ("P<id>") if it has none, keeps
 * the discussion as a new panel_discussion entry (the history) and brings the child's
 * current owner, RAG, next review, decision and day discussed up to date. The new
 * discussion's ref goes to ref_out (cap bytes) when not NULL. */
int reg_panel_discuss(struct store *s, int64_t person_id, const struct reg_panel_decision *d,
                      char *ref_out, size_t cap, struct svp_err *err) SVP_WUR;

/* Adds an action agreed for person_id (owner and due date required; agreed_on may be NULL),
 * state open. Its ref ("P<id>/A<n>") goes to ref_out when not NULL. */
int reg_panel_action_add(struct store *s, int64_t person_id, const char *text, const char *owner,
                         const char *due, const char *agreed_on, char *ref_out, size_t cap,
                         struct svp_err *err) SVP_WUR;

/* Sets a panel action's state (open, done or dropped) with the day (done or dropped). */
int reg_panel_action_set(struct store *s, const char *ref, const char *state, const char *date,
                         struct svp_err *err) SVP_WUR;

#endif
