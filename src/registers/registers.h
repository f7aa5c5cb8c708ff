/*
 * registers: the door of svp's registers room.
 *
 * One generic register engine, described by schemas: a register is a named list of
 * entries, each with a reference, an optional parent entry in another register and typed
 * fields (text, date, choice) checked on every write: type, length, allowed values,
 * required fields and date order ("publication not before initiation"). A write is
 * all-or-nothing: a refused change stores nothing.
 *
 * Schemas shipped (src/registers/schemas.c, the partnership's registers in
 * src/registers/partnership.c; docs/registers.md describes every one): review (the case
 * review register: rapid reviews, LCSPRs, SARs, DHRs, non-statutory reviews), and the case
 * learning tracker's recommendation (of a review, an audit, an inspection or a child death
 * review; it may name the training course that answers it), action (of a recommendation:
 * owner agency, due date, state) and evidence (of impact, recorded against an action); the
 * partnership risk register, the challenge log and its escalations under the Case
 * Resolution Protocol, training (courses, sessions, bookings, evaluations), audits,
 * inspections, child deaths and meetings with their attendance.
 *
 * Every add and update also keeps the entry as it then was in register_history, with who
 * made the change and when (reg_history). Fields may be whole numbers in a range, or name
 * an entry of another register (checked when stored); a schema may compute fields from the
 * stored ones (reg_entry_computed) and check an entry against others (the stages of an
 * escalation in order, an evaluation only from someone who attended).
 *
 * Review deadlines come from the clock room's rules whose start is "register:review":
 * computed when asked for, never stored.
 */
#ifndef SVP_REGISTERS_H
#define SVP_REGISTERS_H

#include "base/base.h"
#include "clock/clock.h"
#include "store/store.h"

#include <stdio.h>

struct reg_entry;

/* REG_INT: a whole number from min to max. REG_REF: the ref of an entry of the register
 * named in choices (checked when the entry is stored). */
enum reg_type { REG_TEXT, REG_DATE, REG_CHOICE, REG_INT, REG_REF };

struct reg_field {
    const char *name;
    enum reg_type type;
    bool required;
    const char *choices; /* REG_CHOICE: "a|b|c" */
    const char *def;     /* value given when none is: NULL for none. Only required fields
                            have one; an entry stored before the field existed reads as it */
    size_t max_len;      /* REG_TEXT: bytes */
    const char *help;    /* one line for --help and show */
    long min, max;       /* REG_INT: the range, inclusive */
};

/* A field computed from the stored ones when read, never stored (a risk's score). fn writes
 * the value to buf and returns true, or returns false when it cannot be computed. */
struct reg_computed {
    const char *name;
    const char *help;
    bool (*fn)(const struct reg_entry *e, char *buf, size_t cap);
};

/* Two date fields that must be in order when both are set: earlier <= later. */
struct reg_order {
    const char *earlier, *later;
};

struct reg_schema {
    const char *name;       /* register name as stored, e.g. "review" */
    const char *title;      /* for people, e.g. "case review" */
    const char *parent;     /* register of the parent entry, NULL for a top-level register;
                               "a|b|c": any of these (the parent named "b:REF"; a bare REF is
                               the first's) */
    const char *ref_prefix; /* child refs are PARENT_REF/<prefix><n>; NULL: refs are given */
    const struct reg_field *fields;
    size_t nfields;
    const struct reg_order *order;
    size_t norder;
    const struct reg_computed *computed;
    size_t ncomputed;
    /* Checks e against the other entries, inside the write's transaction (e->parent_id set;
     * e->id 0 when new). NULL: none. */
    int (*check)(struct store *s, const struct reg_entry *e, struct svp_err *err);
    const char *roles; /* roles that may change it in the web application ("administrator
                          panel"); NULL: administrators only */
    const char *group; /* the register's family for lists and pages, e.g. "training" */
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

/* The i-th schema (0, 1, ...), NULL past the last. Borrowed (static). */
const struct reg_schema *reg_schema_at(size_t i);

/* True if register name may be the parent of schema's entries. */
bool reg_schema_has_parent(const struct reg_schema *schema, const char *name);

/* The computed field of schema called name, or NULL. */
const struct reg_computed *reg_schema_computed(const struct reg_schema *schema, const char *name);

/* A computed field's value written to buf: buf, or NULL when it cannot be computed. */
const char *reg_entry_computed(const struct reg_entry *e, const char *name, char *buf, size_t cap);

/* A whole-number field's value in *out: true when set (they are checked on every write). */
bool reg_entry_int(const struct reg_entry *e, const char *field, long *out);

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

/* As reg_add_also and reg_update_also, recording actor (borrowed; NULL: "svp") as who made
 * the change in the entry's history. */
int reg_add_as(struct store *s, struct reg_entry *e, const char *parent_ref, const char *actor,
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
/* As reg_update, calling also(s, updated entry, ctx, err) inside the same transaction (an
 * audit entry, say): if it fails, nothing is stored. */
int reg_update_also(struct store *s, const struct reg_schema *schema, const char *ref,
                    const struct reg_change *changes, size_t n, struct reg_entry *out,
                    int (*also)(struct store *s, const struct reg_entry *e, void *ctx,
                                struct svp_err *err),
                    void *ctx, struct svp_err *err) SVP_WUR;

int reg_update_as(struct store *s, const struct reg_schema *schema, const char *ref,
                  const struct reg_change *changes, size_t n, struct reg_entry *out,
                  const char *actor,
                  int (*also)(struct store *s, const struct reg_entry *e, void *ctx,
                              struct svp_err *err),
                  void *ctx, struct svp_err *err) SVP_WUR;

/* One change of an entry as history keeps it: what was done, by whom, when, and every
 * field as it was after it (JSON object text). */
struct reg_history_row {
    char change[16]; /* "added" or "updated" */
    char by[64];
    char at[32];
    char *data; /* owned */
};

/* The history of the entry of schema with ref, oldest first (owned array in *out; free
 * with reg_history_free). SVP_ENOTFOUND if there is no such entry. */
int reg_history(struct store *s, const struct reg_schema *schema, const char *ref,
                struct reg_history_row **out, size_t *n, struct svp_err *err) SVP_WUR;
void reg_history_free(struct reg_history_row **v, size_t n);

/* The entry with this id, whatever its register (its schema found by name). */
int reg_get_id(struct store *s, int64_t id, struct reg_entry *out, struct svp_err *err) SVP_WUR;

/* Entries of schema, by ref; only children of parent_id when it is not 0. Returns an owned
 * array in *out (free with reg_entries_free) and its length in *n. */
int reg_list(struct store *s, const struct reg_schema *schema, int64_t parent_id,
             struct reg_entry **out, size_t *n, struct svp_err *err) SVP_WUR;

void reg_entries_free(struct reg_entry **v, size_t n);

/* ------------------------------------------------------------------ the partnership's registers */

/* One stage of the Case Resolution Protocol (data/case-resolution.csv). */
struct reg_crp_stage {
    int stage;
    int working_days; /* the stage's time limit; data/clock-rules.csv crp_stageN agrees */
    char name[80];
    char raised_with[160];
};

/* The protocol's stages in order (owned array, svp_free). */
int reg_crp_stages(struct reg_crp_stage **out, size_t *n, struct svp_err *err) SVP_WUR;

/* "low", "medium" or "high" for a likelihood x impact score (1-4, 5-12, 15-25). */
const char *reg_risk_rating(long score);

/* True for audit kinds that are returns (s11, s175, early_years, childminder). */
bool reg_audit_kind_returns(const char *kind);

/* ------------------------------------------------------------------ import and export */

/* One refused row of an import: err names the file, line and field. */
struct reg_import_result {
    long rows, added;
    struct svp_err *errors; /* owned: the first REG_IMPORT_ERRORS_MAX refused rows */
    size_t nerrors;
    long refused; /* every refused row, listed or not */
};

#define REG_IMPORT_ERRORS_MAX 200

/* Imports the CSV file path (borrowed; name used in messages) into schema's register, all or
 * nothing: the header names the columns, "ref" (a top-level register's reference) or
 * "parent" (a child register's parent, as reg_add takes it) and the schema's fields, each at
 * most once; any other column is refused before a row is read (SVP_EINPUT naming it, line
 * 1). Every row is checked and added in one transaction, in file order (so a row may be the
 * parent of a later one): a refused row is kept in res->errors with its line and field and
 * the import goes on checking the rest, then stores nothing and returns SVP_EINPUT. actor
 * is recorded in each entry's history. Free res with reg_import_result_free. */
int reg_import_csv(struct store *s, const struct reg_schema *schema, const char *path,
                   const char *actor, struct reg_import_result *res, struct svp_err *err) SVP_WUR;
void reg_import_result_free(struct reg_import_result *res);

/* The entries of schema as a table: columns "ref", "parent" (child registers: the parent's
 * ref), every field, then the computed fields. Owned strings in *cells, row by row (ncols
 * per row, the header first), *nrows rows with the header; free with reg_table_free. */
struct reg_table {
    char **cells;
    size_t ncols, nrows;
};

int reg_table_build(struct store *s, const struct reg_schema *schema, struct reg_table *t,
                    struct svp_err *err) SVP_WUR;
void reg_table_free(struct reg_table *t);
/* The table as CSV (RFC 4180, quoted where needed; a cell starting with = + - @ is prefixed
 * with ' so a spreadsheet does not run it). */
int reg_table_write_csv(const struct reg_table *t, FILE *f, struct svp_err *err) SVP_WUR;
/* The table as an XLSX workbook, one sheet named after the register, at path. */
int reg_table_write_xlsx(const struct reg_table *t, const struct reg_schema *schema,
                         const char *path, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ case reviews and clocks */

/* The clocks of register name (every register when NULL; only the entry ref when ref is not
 * NULL): for each entry and each rule starting on "register:NAME" whose `when` fits it, the
 * deadline and state. Appends the items query selects to *list (item->ref is the entry's
 * ref). reg_review_clocks is this for "review". */
int reg_register_clocks(struct store *s, const struct svp_calendar *cal,
                        const struct clock_rules *rules, const struct clock_query *query,
                        const char *name, const char *ref, struct clock_list *list,
                        struct svp_err *err) SVP_WUR;

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
