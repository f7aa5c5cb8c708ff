/* Private to the ingest room: the parsed form of a source profile, shared by profile.c
 * (which builds it) and import.c, eval.c, write.c (which run it). Not a door: other rooms
 * use ingest.h. */
#ifndef SVP_INGEST_INT_H
#define SVP_INGEST_INT_H

#include "ingest.h"

#define INGEST_MAX_STEPS 6
#define INGEST_MAX_FIELDS 128 /* mappings per section */
#define INGEST_MAX_SECTIONS 32
#define INGEST_MAX_KEY 4 /* columns in one composite id */

enum ingest_step_kind {
    STEP_DATE,          /* date FMT: a day, stored YYYY-MM-DD */
    STEP_DATETIME,      /* datetime FMT: a time if FMT has %H, else a day */
    STEP_MAP,           /* map NAME: translate a code through [map NAME] */
    STEP_FLAG,          /* flag: yes/no, y/n, true/false, 1/0 -> 1 or 0 */
    STEP_NUMBER,        /* number: a decimal number */
    STEP_INTEGER,       /* integer: a whole number */
    STEP_LIST,          /* list SEP: split on SEP into a list */
    STEP_MENTIONS,      /* mentions SEP: people in free text -> {"names": [], "codes": []} */
    STEP_POSTCODE,      /* postcode: upper case, one space before the inward code */
    STEP_UPPER,         /* upper: ASCII upper case */
    STEP_LOWER,         /* lower: ASCII lower case */
    STEP_PAST,          /* past: a date not after today */
    STEP_SURNAME_FIRST, /* surname_first: "SURNAME, Given Middle" (full_name only) */
    STEP_GIVEN_FIRST,   /* given_first: "Given Middle Surname" (full_name only) */
    STEP_ANY_ORDER,     /* any_order: a comma or an upper-case surname says (full_name) */
    STEP_TERM_START,    /* term_start: "2021/22 AUT" -> first day of that school term */
    STEP_TERM_END,      /* term_end: "2021/22 AUT" -> last day of that school term */
    STEP_PERCENT,       /* percent: "X Y" -> 100 * X / Y, one decimal */
    STEP_SUM,           /* sum: "X Y ..." -> X + Y + ... */
    STEP_BELOW,         /* below N: a number -> 1 if it is below N, else 0 */
};

#define INGEST_MAX_FORMATS 8 /* date formats tried in order: "FMT or FMT ..." */

struct ingest_step {
    enum ingest_step_kind kind;
    char *arg; /* date format ("iso" or a pattern), list separator */
    int map;   /* index into profile maps for STEP_MAP */
    char *formats[INGEST_MAX_FORMATS]; /* date, datetime: arg split at " or " */
    int nformats;
};

/* Where a value comes from and what is done to it. */
#define INGEST_MAX_JOIN 4
#define INGEST_MAX_BLANKS 8 /* values a [source] says are empty */

struct ingest_spec {
    int col;       /* index into profile cols, or -1 for a literal */
    int join[INGEST_MAX_JOIN]; /* further columns joined with a space ("A + B"), -1 unused */
    bool id_join;  /* joined as a composite id instead (`person`, `other`): as person_id joins
                      them, so "Name + DOB" names the record a person_id of that key made */
    bool id_partial; /* and a blank part stays blank (empty only when all are): the columns
                      * are a [record NAME]'s person, whose record then holds the names */
    char *literal; /* the fixed value when col < 0 */
    struct ingest_step steps[INGEST_MAX_STEPS];
    int nsteps;
    bool required;
    bool keep_row; /* a value that cannot be read is dropped with a warning, the row kept */
    long line; /* profile line, for messages */
    int stat_id; /* its counters in a dry run (svp profile check --data) */
    char *expr;  /* expr(SQL): the value is this SQL expression over the row, or NULL */
    const char *label; /* the key it maps ("detail.pct"): names an expression's value */
    int expr_id; /* its statement in the import (expr.c) */
};

/* Canonical targets. Detail keys are T_DETAIL with a key name. */
enum ingest_target {
    T_GIVEN, T_MIDDLE, T_FAMILY, T_FULL_NAME, T_DOB, T_SEX, T_ETHNICITY, T_POSTCODE,
    T_ADDRESS, T_AREA, T_ROLE, T_SHARED_ID, /* record */
    T_TYPE, T_SUBTYPE, T_STARTED, T_ENDED, /* event */
    T_PLACE_NAME, T_PLACE_POSTCODE, T_PLACE_LAT, T_PLACE_LON, T_PLACE_AREA, T_PLACE_KIND,
    T_PLACE_IN_COUNTY, /* event place */
    T_REL_KIND, T_REL_OTHER, /* relationship */
    T_PERSON, /* event, relationship: whose it is, when not the row's person */
    T_DETAIL,
    T_COUNT
};

struct ingest_field {
    enum ingest_target target;
    char *key; /* detail key, or the target's name */
    struct ingest_spec spec;
};

enum ingest_sec_kind { SEC_RECORD, SEC_EVENT, SEC_RELATIONSHIP, SEC_PLACE, SEC_CHECK };

struct ingest_section {
    enum ingest_sec_kind kind;
    char *name; /* "" for an unnamed [event] */
    long line;
    struct ingest_field *fields;
    int nfields;
    int slot[T_COUNT]; /* index into fields of each non-detail target, -1 if unmapped */
    bool optional;     /* event: a row with an empty started_at makes no event */
    bool both_ways;    /* relationship: also store b -> a */
    int event;         /* relationship: index of its event section; -1 for none given (the
                          first event section is then taken), -2 for `event = none` */
    char *when;        /* when = SQL: the section applies only to rows where it holds;
                        * for a [check], its rule (a row where it is false is rejected) */
    long when_line;
    int when_id;
    char *check_field;   /* [check]: the field a rejected row's line names */
    char *check_message; /* [check]: the reason a rejected row's line gives */
};

struct ingest_map_entry {
    char *code;
    char *value;
};

struct ingest_map {
    char *name;
    long line;
    struct ingest_map_entry *entries;
    int n;
    char *fallback; /* the value for '*', or NULL: an unknown code rejects the row */
    bool used;
};

struct ingest_profile {
    struct svp_arena *arena; /* every string and array below */
    char *name, *agency, *id_space, *description;
    char *file; /* where the profile was read from, for messages */
    bool cp1252;
    bool london; /* timezone = Europe/London: local times are stored as UTC */
    char delim;
    char *default_role;
    char **cols; /* distinct column names the profile refers to */
    bool *col_optional; /* per column: every reference says NAME? (the file may lack it) */
    int ncols;
    int person_col, row_col; /* indexes into cols of the ids' first columns; -1 for @line */
    int person_cols[INGEST_MAX_KEY], nperson_cols; /* "A + B": an id made of columns */
    int row_cols[INGEST_MAX_KEY], nrow_cols;
    bool person_line, row_line; /* "@line": the row's line number is the id */
    struct ingest_section *secs;
    int nsecs;
    int record_sec; /* index of [record], -1 if none */
    int place_sec;  /* index of [place] (a reference list of places), -1 if none */
    struct ingest_map *maps;
    int nmaps;
    int header_line; /* the header's line (lines before it are a report's title); 1 */
    int footer_lines; /* the file's last lines that are a report's footer, not rows; 0 */
    char *sheet;     /* a workbook's sheet to read (NULL: the first) */
    char *blanks[INGEST_MAX_BLANKS]; /* values that mean "not recorded" (`blank = NULL, N/K`) */
    int nblanks;
    int nexprs; /* expr() values and when conditions, numbered in order (expr_id, when_id) */
    int nspecs; /* mapped values, numbered in order (stat_id) */
};

/* The part of a file from the profile's header line on (header_line: lines before it are a
 * title) up to its footer (footer_lines: the last non-blank lines, a report's totals);
 * *first_line is that line's number. The whole text when header_line is 1 and there is no
 * footer. */
const char *ingest_from_header(const struct ingest_profile *p, const char *text, size_t len,
                               size_t *rest, long *first_line);

/* A header's column name made unique: a name an earlier column has (an export with two
 * "Date" columns) is read as "NAME (2)", then "NAME (3)"; an empty name stays empty (it
 * cannot be mapped). taken(ctx, s) says whether an earlier column is named s; *name (owned,
 * svp_malloc) is replaced. SVP_OK or SVP_ENOMEM. */
int ingest_header_unique(char **name, bool (*taken)(void *ctx, const char *s), void *ctx);

/* Whether a trimmed value is one the profile says means "not recorded" (`blank =`). */
bool ingest_is_blank(const struct ingest_profile *p, const char *s, size_t n);

/* A school term as MIS exports write it ("2021/22 AUT", "Autumn 2023", "2023-24 Spring
 * Term", "Aut1 2023/24") to its first and last days: NULL, or why it is not one (term.c). */
const char *ingest_term_parse(const char *s, size_t n, svp_day *start, svp_day *end);

/* Vocabulary checks (docs/model.md). */
bool ingest_known_event_type(const char *s);
bool ingest_known_agency(const char *s);
/* A profile's, a map's or a type's name: lower-case letters, digits, _ or -. */
bool ingest_is_word(const char *s);
/* The largest profile text read (bytes). */
#define PROFILE_MAX_BYTES (256 * 1024)
bool ingest_known_code(enum ingest_target t, const char *s);

#endif
