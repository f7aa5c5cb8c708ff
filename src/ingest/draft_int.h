/* Private to `svp profile draft` (draft.c: reading and scanning the extract, keys and ids;
 * draft_write.c: what each column is for, the draft profile and the report). */
#ifndef SVP_DRAFT_INT_H
#define SVP_DRAFT_INT_H

#include "ingest_int.h"

#define DRAFT_MAX_BYTES (64u << 20) /* read at most this much of a file */
#define DRAFT_MAX_COLS 512
#define DRAFT_CODES 30       /* a column with at most this many distinct values is code-like */
#define DRAFT_KEY_COLS 16    /* columns tried in composite keys */
#define DRAFT_MAX_MAPS 24
#define DRAFT_DEFAULT_ROWS 100000
#define DRAFT_ADDR_PARTS 6
#define DRAFT_PEOPLE 4
#define DRAFT_PERSON_COLS 8
#define DRAFT_NFORMATS 29
/* at most 32: a value's formats are bits of a uint32_t */
#define DF_EXCEL (DRAFT_NFORMATS - 1)
#define MAX_MASKS 256

/* Date formats tried on every value, in the order ties are broken. */
extern const char *const draft_formats[DRAFT_NFORMATS];

/* Person codes as systems write them, to svp's canonical codes, or NULL (draft_codes.c). */
const char *draft_sex_code(const char *v, bool iso5218);
const char *draft_ethnicity_code(const char *v);
const char *draft_nhs_ethnic_letter(const char *v);
const char *draft_ed_reason(const char *v);
const char *draft_offence(const char *v);
const char *draft_exclusion_category(const char *v);
const char *draft_exclusion_reason(const char *v);
const char *draft_yj_disposal(const char *v);
const char *draft_concern(const char *v);
const char *draft_rhi_outcome(const char *v);
const char *draft_missing_risk(const char *v);
const char *draft_missing_from(const char *v);
const char *draft_returned_by(const char *v);
const char *draft_adult_abuse(const char *v);
const char *draft_adult_location(const char *v);
const char *draft_concern_source(const char *v);

struct hset {
    uint64_t *v;
    size_t cap, n;
};

/* ------------------------------------------------------------------ per column */

enum ckind { K_BLANK, K_DATE, K_TERM, K_FLAG, K_INT, K_NUM, K_CODE, K_TEXT, K_TIME };

enum crole {
    R_DETAIL, R_SKIP, R_PERSON_ID, R_ROW_ID, R_GIVEN, R_FAMILY, R_FULL, R_DOB, R_SEX,
    R_ETHNICITY, R_POSTCODE, R_ADDRESS, R_SHARED, R_START, R_END, R_TERM, R_SUBTYPE,
    R_PLACE_NAME, R_PLACE_POSTCODE, R_LAT, R_LON, R_MENTIONS, R_EMAIL, R_PHONE, R_MIDDLE,
    R_KNOWN_AS, R_COUNT
};

struct code {
    char *v;
    int64_t n;
};

struct col {
    char *name;   /* as in the header, trimmed */
    char words[128]; /* the header's words, lower case, one space between ("found at") */
    char *key;    /* the detail key drafted from the name */
    bool keep_codes; /* a standard's codes, stored as written (SSDA903's C2, U1, E11) */
    bool name_mention; /* one person's name as a mention ("SMITH, Dean": no list) */
    bool also_detail; /* written as the subtype and again as detail.KEY (an adult concern's
                       * category: subtype and abuse_type) */
    bool carer_phone; /* a phone of the person's parent or carer, or the home's: detail
                       * contact_phone, a household fact (docs/household.md) */
    bool own_phone_if_adult; /* carer_phone by "contact" or "home" alone: in a file of
                              * adults, the person's own (draft_own_phones) */
    bool unusable; /* the profile language cannot name it */
    int64_t nonblank, blank, maxlen;
    int64_t dups; /* rows minus distinct values: 0 for a unique column */
    struct hset distinct;
    struct code codes[DRAFT_CODES + 1];
    int ncodes;
    bool many; /* more than DRAFT_CODES distinct values */
    /* the items of values split on '|' and ';' (a list's: "CSE|Drugs"), as codes */
    struct code items[DRAFT_CODES + 1];
    int nitems;
    bool items_many;
    int64_t ints, nums, flags, yes, terms, postcodes, nhs, spaces, namey;
    int64_t phones; /* UK phone numbers as written: 0113 496 0001, +44 (0)7700 900123 */
    int64_t times, times_sec; /* times of day, HH:MM or HH:MM:SS (the latter counted apart) */
    int time_col; /* a date's own time of day in another column ("Date Missing", "Time
                     Missing"), or -1 */
    int64_t postcodes_in; /* values holding a postcode (an address with it) */
    int64_t digits; /* values with a digit in them (ids mostly have one) */
    double lo, hi;
    /* dates: values read per format and the distinct combinations of formats that read */
    bool dates_off;
    int64_t dread[DRAFT_NFORMATS];
    uint32_t masks[MAX_MASKS];
    int64_t mask_n[MAX_MASKS];
    int nmasks;
    int64_t mask_over, dnone;
    int chosen[4], nchosen;
    bool with_time;
    int64_t dcovered;
    /* names */
    int64_t comma, upper_first, upper_last, mixed, all_upper, single, titled;
    /* lists */
    int64_t sep_pipe, sep_semi, sep_comma;
    char yes_spelling[8];
    bool yes_mixed;
    enum ckind kind;
    enum crole role;
    int map; /* index into the draft's maps, or -1 */
};

struct draft {
    const char *path;
    char *text; /* the file, UTF-8 */
    size_t len;
    bool bom, cp1252, crlf, truncated, no_final_newline;
    char delim;
    struct col *cols;
    int ncols;
    int ncols_named; /* while the header is read: the columns named so far */
    int64_t rows, ragged;
    int64_t nulls; /* values written NULL (read as blank) */
    int header_line; /* the header's line when a title stands above it, else 0 */
    int footer_lines; /* the last lines that are a report's footer (totals), else 0 */
    bool person_nhs;  /* the person id is the NHS number, no other id being there */
    /* the people a row names by the part they play ("Victim ...", "Suspect ..."): the row's
     * own (main_person) and the others, each with its columns (draft_people.c) */
    struct draft_person {
        const char *part;             /* "victim", "suspect" ... (static) */
        int num;                      /* its number where several play one part ("Child 2
                                       * Forename": 2), else 0 */
        char name[24];                /* its sections' name: the part, with the number
                                       * ("child_2") */
        int cols[DRAFT_PERSON_COLS];  /* the other people's own columns and their roles */
        enum crole roles[DRAFT_PERSON_COLS];
        int ncols;
        int key_col;                  /* its id column, or -1: then key[] joined */
        int key[3], nkey;
    } people[DRAFT_PEOPLE];
    int npeople, main_person;
    int addr_parts[DRAFT_ADDR_PARTS]; /* an address over several columns, in header order */
    int naddr_parts;                  /* 0: the address is one column (or none) */
    bool xlsx;       /* an Excel workbook, its sheet scanned as CSV */
    int utf16;       /* UTF-16 with a byte order mark: 1 little-, 2 big-endian; 0 not */
    const char *sheet; /* the workbook's sheet asked for (NULL: the first) */
    bool rows_capped;
    int64_t max_rows;
    const char *as_of; /* YYYY-MM-DD */
    int as_of_year;
    /* keys */
    int singles[8], nsingles;
    int pairs[8][2], npairs;
    int64_t pair_dups[8], triple_dups[4];
    int triples[4][3], ntriples;
    int person, row_parts[3], nrow_parts;
    bool row_line, person_line;
    /* the draft */
    const char *type, *agency;
    char name[64];
    int64_t adults, children;
};

/* The header's words and letters, lower_snake, digits (draft.c). */
bool draft_has_word(const struct col *c, const char *w);
bool draft_has_any(const struct col *c, const char *const *ws);
/* A school attendance column's key as the tracker reads it, or NULL (draft_codes.c). */
const char *draft_attendance_key(const struct col *c);
/* draft_roles.c: a code the profile language can write as a map's code; the event type a
 * code's words name in the file's agency's records, or NULL; the code column that gives each row its type, or -1; the
 * further event a yes/no column names, or NULL. */
bool draft_writable_code(const char *s);
const char *draft_code_type(const struct draft *d, const char *code);
int draft_type_column(const struct draft *d);
const char *draft_type_of_flag(const struct col *c);
/* A risk level ("Significant", "Amber") as high, medium or low, or NULL; the kind of
 * exploitation a column's header names (cse, cce, county_lines, gang, unspecified), or NULL
 * (draft_codes.c). */
const char *draft_risk_level(const char *v);
const char *draft_exploitation_kind(const struct col *c);
void draft_header_words(const char *s, char *out, size_t cap);
void draft_compact(const char *s, char *out, size_t cap);
void draft_snake(const char *s, size_t len, char *out, size_t cap);
bool draft_all_digits(const char *s, size_t n);
/* A date column's formats as the draft writes them: "FMT or FMT". */
void draft_formats_text(const struct col *c, char *out, size_t cap);
/* How much a column's name says it is a person's or a row's id. */
int draft_id_score(const struct col *c);

/* A set of hashes: adds h, returns 1 if it was new, 0 if present, SVP_ENOMEM (draft.c). */
int draft_hset_add(struct hset *s, uint64_t h);
void draft_hset_free(struct hset *s);

/* draft_keys.c: candidate keys over the rows read; the person and row ids chosen. */
int draft_find_keys(struct draft *d, struct svp_err *err);
void draft_choose_ids(struct draft *d);

/* draft_write.c */
void draft_guess_type(struct draft *d);
/* draft_shape.c: the extract's first DRAFT_MAX_BYTES (d->truncated when there is more); its
 * encoding, converted to UTF-8; then its header line, separator and footer. */
int draft_read_prefix(struct draft *d, struct svp_err *err);
int draft_sniff_encoding(struct draft *d, struct svp_err *err);
int draft_read_shape(struct draft *d, struct svp_err *err);
void draft_assign_roles(struct draft *d);
/* draft_people.c: the other people a row names in columns prefixed by their part; after
 * draft_assign_roles. Their role in an event ("perpetrator" on a DA incident, "suspect",
 * "victim", "witness" ...), and whether that role is one who harms. */
void draft_find_people(struct draft *d);
const char *draft_person_role(const struct draft *d, int g);
bool draft_person_harms(const struct draft *d, int g);
/* Whether the part is a parent's or carer's (mother, father, parent, carer, guardian): a
 * person of the family, with a standing relationship, not a part in the row's event. */
bool draft_person_parent(const struct draft *d, int g);
int draft_count_ages(struct draft *d, struct svp_err *err);
/* Whether the people of the file are adults (19 in 20 by date of birth), once counted. */
bool draft_adult_file(const struct draft *d);
/* After draft_count_ages: in a file of adults, a "Contact Number" or "Home Phone" is the
 * person's own phone where no other column is. */
void draft_own_phones(struct draft *d);
/* After draft_assign_roles: the layouts of statutory returns, known by their column names,
 * drafted as the return's guidance defines them (SSDA903's looked-after episodes). */
void draft_known_layouts(struct draft *d);
int draft_write_profile(struct draft *d, const char *name, struct svp_buf *b);
int draft_write_report(struct draft *d, struct svp_buf *b);


/* ------------------------------------------------------------------ writing the draft
 * draft_write.c writes the profile, draft_maps.c its maps; both write through a writer. */
struct dmap {
    char name[64];
    int col;
    bool sex;
    bool eth;         /* a map to ethnicity codes */
    bool eth_letters; /* the NHS's one-letter ethnic category codes */
    /* a subtype's map for an event type whose subtypes svp knows (ED reasons, offence
     * categories): each code read to one of them where its words say which */
    const char *(*canon)(const char *v);
    bool only_canon; /* codes canon cannot read are left out (a risk level's "None") */
    const char *type; /* a map to event types: the type of codes that name none */
    bool items;       /* a list's map: of its items (struct col's items), not its values */
};

struct writer {
    struct draft *d;
    struct svp_buf *b;
    struct dmap maps[DRAFT_MAX_MAPS];
    int nmaps;
    int rc;
};

void draft_put(struct writer *w, const char *fmt, ...) SVP_PRINTF(2, 3);
/* A map for column col (its name the column's key, made unique), or -1 when full. */
int draft_new_map(struct writer *w, int col, bool sex);
/* Gives column c the detail key k unless another column has it: 1 renamed, 0 taken,
 * SVP_ENOMEM. */
int draft_rename_key(struct draft *d, struct col *c, const char *k);
/* Whether half or more of a code column's codes read as one of svp's codes by canon
 * (draft_codes.c's sets), at most DRAFT_CODES of them. */
bool draft_codes_read(const struct col *c, const char *(*canon)(const char *));
/* The separator a text column's values are lists on ('|' or ';'), or 0. */
char draft_list_sep(const struct col *c);
/* Each column's map, its code set and its key (draft_maps.c); the other people's sex maps;
 * the tables written. */
int draft_choose_maps(struct writer *w);
void draft_people_sex_maps(struct writer *w);
void draft_write_maps(struct writer *w);

#endif
