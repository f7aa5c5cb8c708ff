/*
 * base: the door of svp's foundation room.
 *
 * Errors as values, checked allocation, capped buffers, an arena, UTF-8 and name
 * normalisation, ISO 8601 dates, the working-day calendar, a CSV reader and logging.
 * Nothing here knows about safeguarding; every other room builds on it.
 *
 * Conventions used in every svp header:
 *   - functions return 0 (SVP_OK) or a negative SVP_E... status and, on error, fill the
 *     caller's struct svp_err with a message a person can act on;
 *   - "borrows" means the callee keeps no reference after returning; "takes" means the
 *     callee owns the argument afterwards; "returns owned" means the caller must free;
 *   - thing_free(T **p) frees *p and sets the caller's pointer to NULL.
 */
#ifndef SVP_BASE_H
#define SVP_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SVP_WUR __attribute__((warn_unused_result))
#define SVP_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* ------------------------------------------------------------------ errors */

enum svp_status {
    SVP_OK = 0,
    SVP_EINPUT = -1,    /* bad input from a person or a file: exit code 1 */
    SVP_EUSAGE = -2,    /* bad command line: exit code 2 */
    SVP_EINTERNAL = -3, /* a bug or an unexpected state: exit code 3 */
    SVP_ENOMEM = -4,    /* allocation failed: exit code 3 */
    SVP_EIO = -5,       /* a file could not be read or written: exit code 1 */
    SVP_ENOTFOUND = -6, /* a named thing does not exist: exit code 1 */
    SVP_EDB = -7,       /* the database refused or failed: exit code 3 */
    SVP_ECONFLICT = -8, /* state does not allow the change (e.g. newer schema): exit 1 */
};

/* The human side of an error. file/line/field are set where one is involved. */
struct svp_err {
    int code;
    char file[256];
    long line;         /* 0 when no line applies */
    char field[64];    /* "" when no field applies */
    char msg[512];
};

/* Resets err to "no error". err may be NULL. */
void svp_err_clear(struct svp_err *err);

/* Sets code and message; returns code so callers can `return svp_err_set(...)`. */
int svp_err_set(struct svp_err *err, int code, const char *fmt, ...) SVP_PRINTF(3, 4);

/* As svp_err_set, also naming the file, line (0 for none) and field (NULL for none). */
int svp_err_at(struct svp_err *err, int code, const char *file, long line, const char *field,
               const char *fmt, ...) SVP_PRINTF(6, 7);

/* Writes the one-line form "file:line: field: message" (parts omitted when unset). */
void svp_err_format(const struct svp_err *err, char *buf, size_t cap);

/* Maps a status to the process exit code: 0 ok, 1 bad input, 2 usage, 3 internal. */
int svp_exit_code(int status);

/* A short name for a status, e.g. "bad input". */
const char *svp_status_name(int status);

/* ------------------------------------------------------------------ memory */

/* Checked allocation. Each returns NULL on failure; callers must check. In test builds
 * svp_mem_fail_after(n) makes the n-th following allocation fail (curl's torture mode)
 * so that every failure path can be exercised; n < 0 turns it off. */
void *svp_malloc(size_t n);
void *svp_calloc(size_t count, size_t size);
void *svp_realloc(void *p, size_t n);
char *svp_strdup(const char *s);
char *svp_strndup(const char *s, size_t n);
void svp_free(void *p);
/* Makes room for need elements of elem bytes in items (capacity *cap, doubling from first).
 * Returns the possibly moved array, or NULL (items and *cap unchanged) when out of memory
 * or the size would overflow. */
void *svp_grow(void *items, size_t *cap, size_t need, size_t elem, size_t first);
void svp_mem_fail_after(long n);
/* True if an injected failure has fired since the last svp_mem_fail_after call. */
bool svp_mem_failed(void);
/* Counts one allocation against the countdown and says whether it must fail: for allocators
 * outside svp_malloc that follow the same torture (SQLite's: store_sqlite_torture). */
bool svp_mem_fail_now(void);
/* How many svp_malloc, svp_calloc and svp_realloc calls have failed on this thread (injected
 * or real). A library that allocates through them (jansson, in the server) and reports
 * running out of memory as something else is read with it: a count that moved across a
 * call means the call ran out of memory. */
unsigned long svp_mem_failures(void);
/* Binary search: the first index in [0, n) at which below(arr, i, key) is false, or n.
 * For an array sorted so that below holds on a prefix (elements before key); the caller
 * checks whether the element found equals key. Borrows arr and key. */
size_t svp_lower_bound(const void *arr, size_t n, const void *key,
                       bool (*below)(const void *arr, size_t i, const void *key));

/* A growable byte buffer with a hard cap (like curl's dynbuf). Always NUL-terminated. */
struct svp_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max; /* appends beyond max fail with SVP_EINPUT */
};

void svp_buf_init(struct svp_buf *b, size_t max);
int svp_buf_append(struct svp_buf *b, const void *p, size_t n) SVP_WUR;
int svp_buf_puts(struct svp_buf *b, const char *s) SVP_WUR;
int svp_buf_putc(struct svp_buf *b, char c) SVP_WUR;
int svp_buf_printf(struct svp_buf *b, const char *fmt, ...) SVP_PRINTF(2, 3) SVP_WUR;
void svp_buf_reset(struct svp_buf *b);
/* Returns the data as an owned string and leaves b empty. */
char *svp_buf_take(struct svp_buf *b);
void svp_buf_free(struct svp_buf *b);

/* A bump allocator for one request or one import batch: everything is freed at once. */
struct svp_arena;
struct svp_arena *svp_arena_new(size_t block_size);
void *svp_arena_alloc(struct svp_arena *a, size_t n);
char *svp_arena_strndup(struct svp_arena *a, const char *s, size_t n);
void svp_arena_reset(struct svp_arena *a);
/* Empties the arena but keeps its newest block for what comes next (no allocation when a
 * batch of the same size follows). */
void svp_arena_rewind(struct svp_arena *a);
void svp_arena_free(struct svp_arena **a);

/* ------------------------------------------------------------------ a string map */

/* FNV-1a over n bytes, or over a NUL-terminated string, continuing from h. */
#define SVP_FNV1A_START 14695981039346656037ull
uint64_t svp_fnv1a(const void *p, size_t n, uint64_t h);
uint64_t svp_fnv1a_str(const char *s, uint64_t h);
/* A fast 64-bit hash of n bytes continuing from h, eight bytes at a step: for hashes kept
 * in memory only (never stored: it is not FNV-1a, and stored hashes must stay FNV-1a). */
uint64_t svp_hash_fast(const void *p, size_t n, uint64_t h);

/* A map from strings to a small value (an id, a hash and a line, as the caller uses them).
 * Zero-initialise; keys are copied; there is no delete. */
struct svp_smap_val {
    int64_t id;
    uint64_t hash;
    long line;
};
struct svp_smap_slot {
    char *key; /* NULL: empty */
    uint64_t hash;
    struct svp_smap_val v;
};
struct svp_smap {
    struct svp_smap_slot *slots;
    size_t cap, n;
    struct svp_arena *keys;
};
/* The value stored under k (valid until the next put), or NULL. */
struct svp_smap_val *svp_smap_get(struct svp_smap *m, const char *k);
/* Stores v under k (replacing any). SVP_ENOMEM leaves the map as it was. */
int svp_smap_put(struct svp_smap *m, const char *k, struct svp_smap_val v) SVP_WUR;
void svp_smap_free(struct svp_smap *m);

/* ------------------------------------------------------------------ strings and UTF-8 */

/* Safe bounded copy; always terminates; returns strlen(src) so truncation can be seen. */
size_t svp_strlcpy(char *dst, const char *src, size_t cap);

/* Parses a whole string as a base-10 int64 (no junk, no overflow). */
int svp_parse_i64(const char *s, int64_t *out) SVP_WUR;

/* True if s[0..len) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
 * On false and bad_offset != NULL, *bad_offset is the byte offset of the first bad byte. */
bool svp_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Narrows s[0..*n) past the spaces at either end: ASCII white space and the no-break space
 * (U+00A0, which spreadsheets write for a space: "Surname\u00a0" is the column Surname). */
void svp_trim(const char **s, size_t *n);

/* Converts Windows-1252 bytes to UTF-8. Returns owned NUL-terminated text in *out. Bytes
 * 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in 1252 and refused as SVP_EINPUT. */
int svp_cp1252_to_utf8(const char *s, size_t len, char **out, size_t *out_len,
                       struct svp_err *err) SVP_WUR;

/* Text written as UTF-16 with a byte order mark (Excel's "Unicode Text", SQL Server's and
 * PowerShell's exports): 1 little-endian (FF FE), 2 big-endian (FE FF), 0 neither. */
int svp_utf16_bom(const char *s, size_t len);

/* Converts UTF-16 text that starts with its byte order mark to UTF-8 (glibc's iconv), the
 * mark dropped. Owned NUL-terminated text in *out. Text that is not UTF-16 (an unpaired
 * surrogate, an odd last byte) is SVP_EINPUT naming the byte offset; with partial (a prefix
 * of a longer file) a code unit or pair cut at the end is dropped instead. */
int svp_utf16_to_utf8(const char *s, size_t len, bool partial, char **out, size_t *out_len,
                      struct svp_err *err) SVP_WUR;

/* Normalises a name for matching: Unicode NFKC, case folded, accents removed, apostrophes
 * dropped (O'Brien -> obrien), other punctuation and all whitespace folded to one space,
 * trimmed. Input must be valid UTF-8 (else SVP_EINPUT). Returns owned text in *out. */
int svp_name_normalise(const char *s, size_t len, char **out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ names in one field */

/* A part of a string: p[0..n), not NUL-terminated; p NULL when absent. */
struct svp_span {
    const char *p;
    size_t n;
};

/* The parts of a name written in one field, as spans of that field. */
struct svp_name_parts {
    struct svp_span title, given, middle, family, suffix;
    struct svp_span known_as; /* "(Kay)", "\"Kay\"", "'Kay'" written in the name */
};

enum svp_name_order {
    SVP_NAME_GIVEN_FIRST,   /* "Jane Ann Smith", "Jane Ann SMITH", "J A Smith" */
    SVP_NAME_SURNAME_FIRST, /* "SMITH, Jane Ann", "SMITH Jane Ann", "Smith Jane" */
    SVP_NAME_ANY_ORDER      /* a comma or a surname in upper case says which; else given first */
};

/* Splits a full name. A comma puts the surname first, whatever order says (unless what
 * follows it is only a suffix: "Sir John Smith, 9th Baronet"). Without one, a run of
 * upper-case words at one end beside a word that is not upper case is the surname
 * ("SMITH Jane", "Jane LLOYD GEORGE"), whatever order says; otherwise order decides, the
 * surname being one word (with the particles before it in given-first order: "Ludwig van
 * Beethoven"). Hyphenated surnames are one word. Leading titles (Mr, Mrs, Ms, Miss, Mx, Dr,
 * Rev, Sir, Dame, Lord, Lady, Prof ...) and trailing suffixes (Jr, Snr, II, III, IV, OBE,
 * "9th Baronet" ...) go to title and suffix, never to the name parts. A known-as name in
 * brackets or quotes ("Kayla (Kay) DUNN") goes to known_as. Lower-case particles before an
 * upper-case surname written first belong to it ("de la CRUZ Maria"). */
void svp_name_split(const char *s, size_t n, enum svp_name_order order,
                    struct svp_name_parts *out);

/* A given-name column's value: a known-as in brackets or quotes ("Kayla (Kay)") goes to
 * known_as and leading titles ("Mr John") to title; given spans the rest as written
 * ("Jane Ann"); the other parts are empty. */
void svp_name_given_split(const char *s, size_t n, struct svp_name_parts *out);

/* ------------------------------------------------------------------ UK postcodes */

/* A postcode's canonical form: outward code, one space, inward code ("SN15 1AB"). */
#define SVP_POSTCODE_CAP 9

/* True when the whole of s[0..n) is a UK postcode (spaces anywhere, any case): outward
 * code A9, A99, A9A, AA9, AA99 or AA9A, inward code digit letter letter (and GIR 0AA);
 * writes its canonical form to out. */
bool svp_postcode_canonical(const char *s, size_t n, char out[SVP_POSTCODE_CAP]);

/* The postcode a free text holds: the whole text when it is one, else the last postcode
 * written in it as a word or two ("94 Church Road, Brindlemoor, sv12 8gn", "...,SV128GN");
 * false when there is none. */
bool svp_postcode_find(const char *s, size_t n, char out[SVP_POSTCODE_CAP]);

/* True when the whole of s[0..n) is an outward code alone ("SN15", "sw1a"): a partial
 * postcode, as sexual health services record; writes it upper-cased to out. */
bool svp_postcode_outward(const char *s, size_t n, char out[SVP_POSTCODE_CAP]);

/* True for the NHS's pseudo-postcodes (ZZ99 ...: no fixed abode, not known, abroad): they
 * name no place and two records holding one share no home. canon is canonical. */
bool svp_postcode_pseudo(const char *canon);

/* ------------------------------------------------------------------ dates and times */

/* Dates are days since 1970-01-01 (proleptic Gregorian); times are seconds since
 * 1970-01-01T00:00:00Z. */
typedef int32_t svp_day;
typedef int64_t svp_time;

/* Builds a day from year, month, day; SVP_EINPUT if the date does not exist. */
int svp_date_from_ymd(int y, int m, int d, svp_day *out) SVP_WUR;
void svp_date_to_ymd(svp_day day, int *y, int *m, int *d);
/* Monday 0 .. Sunday 6 */
int svp_date_weekday(svp_day day);
/* Adds calendar months, clamping to the month's end (31 Jan + 1 month = 28/29 Feb). */
svp_day svp_date_add_months(svp_day day, int months);
/* Whole years from dob to on (a birthday counts on its day; negative when on is before). */
int svp_date_age(svp_day dob, svp_day on);
/* Writes YYYY-MM-DD into buf (cap >= 11). */
void svp_date_format(svp_day day, char *buf, size_t cap);
/* Writes YYYY-MM-DDTHH:MM:SSZ into buf (cap >= 21). */
void svp_time_format(svp_time t, char *buf, size_t cap);

/* Parses exactly YYYY-MM-DD (ISO 8601 calendar date) and checks the date exists. */
int svp_date_parse_iso(const char *s, size_t len, svp_day *out, struct svp_err *err) SVP_WUR;

/* Parses ISO 8601 date-time: YYYY-MM-DD[T| ]HH:MM[:SS[.fff]][Z|+hh:mm|-hh:mm]; a plain
 * date is midnight. Without an offset the time is taken as UTC. */
int svp_time_parse_iso(const char *s, size_t len, svp_time *out, struct svp_err *err) SVP_WUR;

/* Parses s against a strftime-like pattern: %Y %m %d %H %M %S, %% and literal characters;
 * %e is a day or month with one or two digits is allowed by %d and %m already. The whole
 * string must be consumed and the date must exist. */
int svp_time_parse_fmt(const char *s, size_t len, const char *fmt, svp_time *out,
                       struct svp_err *err) SVP_WUR;

/* How svp_time_parse_fmt_opt reads what a pattern leaves open. */
struct svp_date_opts {
    int century_end; /* %y: the latest year ending in those two digits not after this year
                        (a sliding century); 0: the current year */
    bool london;     /* the text is a local time in Europe/London: converted to UTC */
};

/* As svp_time_parse_fmt, with also %b / %B (a month's name or its abbreviation, any case:
 * "feb", "FEBRUARY", "Sept"), %y (two digits, see svp_date_opts), %I and %p (a 12-hour
 * clock and AM/PM, any case, "p.m." too), %f (a fraction of a second, read and dropped),
 * a 'T' or a space before %H or %I matching either, a space matching any run of spaces or
 * none (SQL Server pads: "Feb  1 2024  6:30PM"), and the pattern "excel" (Excel's serial
 * day number, a fraction being the time of day). o may be NULL. */
/* Whether a date pattern reads a time of day (%H or %I). */
bool svp_date_fmt_has_time(const char *fmt);
int svp_time_parse_fmt_opt(const char *s, size_t len, const char *fmt,
                           const struct svp_date_opts *o, svp_time *out,
                           struct svp_err *err) SVP_WUR;

/* A local time in Europe/London (seconds counted as if UTC) to UTC: an hour earlier in
 * British Summer Time (last Sunday of March to last Sunday of October, 01:00 GMT). */
svp_time svp_london_to_utc(svp_time local);

/* Today in UTC, or the SVP_TODAY environment value (YYYY-MM-DD) so that tests and
 * reports can be reproduced. */
svp_day svp_date_today(void);

/* ------------------------------------------------------------------ working-day calendar */

/* England and Wales working days: not Saturday, Sunday or a listed bank holiday. The
 * calendar knows the years its holiday list covers and refuses to count outside them
 * rather than give a silently wrong deadline. */
struct svp_calendar;

/* Loads holidays from a CSV with a header whose first column is `date` (YYYY-MM-DD);
 * other columns (e.g. title) are kept as the holiday's name. Covered years run from the
 * first to the last holiday's year. Returns owned calendar in *out. */
int svp_calendar_load_csv(const char *path, struct svp_calendar **out,
                          struct svp_err *err) SVP_WUR;

/* As svp_calendar_load_csv, from CSV text in memory (borrowed); name is for messages. */
int svp_calendar_load_csv_mem(const char *data, size_t len, const char *name,
                              struct svp_calendar **out, struct svp_err *err) SVP_WUR;

/* Builds a calendar from days (borrowed, any order) covering years first..last. */
int svp_calendar_from_days(const svp_day *days, size_t n, int first_year, int last_year,
                           struct svp_calendar **out, struct svp_err *err) SVP_WUR;

void svp_calendar_free(struct svp_calendar **cal);

bool svp_calendar_is_holiday(const struct svp_calendar *cal, svp_day day);
bool svp_calendar_is_working_day(const struct svp_calendar *cal, svp_day day);
/* First and last covered days. */
void svp_calendar_range(const struct svp_calendar *cal, svp_day *first, svp_day *last);

/* The n-th working day after start (start is day 0, whether or not it is a working day);
 * n < 0 counts back: the |n|-th working day before start; n == 0 gives start.
 * SVP_EINPUT if the answer falls outside the covered years. */
int svp_calendar_add_working_days(const struct svp_calendar *cal, svp_day start, int n,
                                  svp_day *out, struct svp_err *err) SVP_WUR;

/* Working days in (a, b] when b >= a, or minus those in (b, a] when b < a, so that
 * between(a, add(a, n)) == n. SVP_EINPUT if either date is outside the covered years. */
int svp_calendar_working_days_between(const struct svp_calendar *cal, svp_day a, svp_day b,
                                      int *out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ CSV */

/* A streaming RFC 4180 reader with caps on every buffer. It reads UTF-8 (a leading BOM is
 * skipped), accepts LF and CRLF line ends and quoted fields with embedded newlines. A
 * field longer than max_field or a NUL byte makes the record bad (row.error set) but the
 * reader resynchronises at the record's end so the next row can be read. */
struct svp_csv_opts {
    char delim;        /* ',' by default */
    size_t max_field;  /* bytes per field, default 64 KiB */
    size_t max_fields; /* fields per record, default 1024 */
    bool check_utf8;   /* a field that is not well-formed UTF-8 makes the record bad */
    long first_line;   /* the physical line number of the text's first line (default 1): a
                          file read from its header line on, past a title */
};

struct svp_csv_field {
    const char *p; /* NUL-terminated, valid until the next svp_csv_next */
    size_t len;
};

struct svp_csv_row {
    size_t nfields;
    struct svp_csv_field *fields; /* borrowed from the reader */
    long line;                    /* physical line where the record starts (1-based) */
    long end_line;                /* physical line where it ends */
    const char *error;            /* NULL, or why this record is bad */
};

struct svp_csv;

/* Opens a file for reading (borrows path). Returns owned reader in *out. */
int svp_csv_open_file(const char *path, const struct svp_csv_opts *opts, struct svp_csv **out,
                      struct svp_err *err) SVP_WUR;
/* Reads from memory (borrows data, which must outlive the reader). */
int svp_csv_open_mem(const char *data, size_t len, const struct svp_csv_opts *opts,
                     struct svp_csv **out, struct svp_err *err) SVP_WUR;
/* Reads the next record: returns 1 with *row filled, 0 at end of input, or a negative
 * status when input cannot be read further (I/O error, unterminated quote at EOF). */
int svp_csv_next(struct svp_csv *csv, struct svp_csv_row *row, struct svp_err *err) SVP_WUR;
/* True if the input started with a UTF-8 byte order mark. */
bool svp_csv_had_bom(const struct svp_csv *csv);
/* Bytes consumed so far (for progress). */
uint64_t svp_csv_offset(const struct svp_csv *csv);
void svp_csv_free(struct svp_csv **csv);

/* ------------------------------------------------------------------ embedded files */

/* Files carried inside the binary (schema migrations, reference data), generated at build
 * time by tools/embed.c. A table ends with a {NULL, NULL, 0} sentinel. */
struct svp_embedded {
    const char *name;
    const char *data; /* NUL-terminated */
    size_t len;
};

/* The reference data file shipped in data/ under name (e.g. "bank-holidays.csv"), or NULL. */
const struct svp_embedded *svp_data_find(const char *name);

/* ------------------------------------------------------------------ logging */

/* Operational log lines to stderr. Never pass personal data (names, dates of birth,
 * addresses, free text from records): log counts, ids of svp's own and file names only.
 * The level comes from SVP_LOG (error, warn, info, debug; default warn). */
enum svp_log_level { SVP_LOG_ERROR, SVP_LOG_WARN, SVP_LOG_INFO, SVP_LOG_DEBUG };
void svp_log(enum svp_log_level level, const char *fmt, ...) SVP_PRINTF(2, 3);

/* ------------------------------------------------------------------ progress */

/* Progress on a terminal: prints "label: done/total (pct%)" to stderr at most ~5 times a
 * second, only when stderr is a terminal and quiet is false. */
struct svp_progress {
    const char *label;
    uint64_t total;
    bool enabled;
    int64_t last_ms;
};
void svp_progress_start(struct svp_progress *p, const char *label, uint64_t total, bool quiet);
void svp_progress_update(struct svp_progress *p, uint64_t done);
void svp_progress_end(struct svp_progress *p, uint64_t done);

#endif
