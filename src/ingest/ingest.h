/*
 * ingest: the door of svp's import room.
 *
 * Agency extracts come in as delimited text in the agency's own layout. A source profile
 * (a declarative text file, docs/profiles.md) says how one layout maps onto the canonical
 * model (docs/model.md): which column is the agency's person id, which hold names, dates,
 * codes and places, which event each row records and which relationships it names.
 * ingest_import_file checks every row against its profile, stores the good rows of a file
 * in one transaction with their provenance (source, file hash, line) and writes every bad
 * row to a rejects file with file, line, field and reason. The same bytes imported again
 * change nothing; a later extract updates records and events by the agency's own ids and
 * keeps what they were in record_history and event_history.
 */
#ifndef SVP_INGEST_H
#define SVP_INGEST_H

#include "base/base.h"
#include "store/store.h"

/* ------------------------------------------------------------------ profiles */

struct ingest_profile;

/* Parses profile text (borrowed; need not be NUL-terminated). name_for_errors names the
 * file in messages. Every problem is reported with its line: unknown sections or keys,
 * duplicate keys, unknown steps, code tables used but not defined, canonical codes not in
 * docs/model.md's vocabulary, missing required settings. Text is capped at 256 KiB and
 * lines at 4 KiB. Returns an owned profile in *out, or SVP_EINPUT (err names the line). */
int ingest_profile_parse(const char *text, size_t len, const char *name_for_errors,
                         struct ingest_profile **out, struct svp_err *err) SVP_WUR;

/* Loads a profile by path or by name. A spec containing '/' or ending in ".profile" is a
 * path; otherwise NAME.profile is looked for in each directory of search_path (':'
 * separated, may be NULL) and then among the profiles built into svp (profiles/).
 * Returns an owned profile in *out; SVP_ENOTFOUND when no profile has that name. */
int ingest_profile_load(const char *spec, const char *search_path, struct ingest_profile **out,
                        struct svp_err *err) SVP_WUR;

void ingest_profile_free(struct ingest_profile **p);

/* The profile's name, agency and id space (borrowed from p). */
const char *ingest_profile_name(const struct ingest_profile *p);
const char *ingest_profile_agency(const struct ingest_profile *p);
const char *ingest_profile_id_space(const struct ingest_profile *p);
/* How many columns, event and relationship sections and other people ([record NAME]) the
 * profile maps (for `svp profile check`). */
void ingest_profile_counts(const struct ingest_profile *p, int *columns, int *events,
                           int *relationships, int *others);

/* Name of the i-th profile built into svp (0-based), or NULL past the end. */
const char *ingest_builtin_profile(int i);

/* ------------------------------------------------------------------ import */

struct ingest_opts {
    const char *rejects_path; /* where bad rows are appended (CSV); NULL: "svp-rejects.csv" */
    bool quiet;               /* no progress on the terminal */
    long kill_at_row;         /* tests only: raise SIGKILL after this many rows (0: never) */
    const char *as_of;        /* the extract's date, YYYY-MM-DD: the "today" of age and
                                 future-date checks and two-digit years; NULL: today */
    /* dry runs (ingest_check_file) only */
    int64_t max_rows;         /* stop after this many rows (0: all) */
    struct svp_buf *rejects_out; /* the rejects lines go here, not to a file */
    int64_t *stats;           /* per mapped value: 3 counters (ingest_check_file) */
    int64_t *when_held;       /* per section: rows where its `when` held */
};

struct ingest_result {
    int64_t file_id;     /* source_file id (of the earlier import when already_imported) */
    bool already_imported;
    int64_t rows_read, rows_accepted, rows_rejected; /* rejected: rows refused whole */
    int64_t rows_new, rows_updated, rows_unchanged;
    int64_t values_dropped; /* values left out of rows kept (an unusable date of birth, an
                               optional value that cannot be read) */
    int64_t relationships;
    int64_t rows_repeated; /* rows an exact copy of an earlier one (same id, every field):
                              counted accepted and unchanged, noted in the rejects file */
    char rejects_path[256]; /* "" when no row was rejected and no value dropped */
};

/* Imports one extract file with a profile (both borrowed). Refuses the whole file, writing
 * nothing, when it cannot be read, is empty, is not in the profile's encoding or its header
 * lacks a column the profile maps (SVP_EINPUT/SVP_EIO, err names file and line). Otherwise
 * stores every good row in one transaction, appends each bad row to the rejects file and
 * fills *res. A date of birth that cannot be used (no such day, after opts->as_of or more
 * than 120 years before it) does not refuse its row: the record is kept without it and the
 * problem is written to the rejects file all the same, counted in values_dropped. A file
 * whose last line has no line end is refused whole unless that row reads whole and ends in
 * a closed quote (a cut file). The rejects are written before the commit: if they cannot
 * be, nothing is kept (SVP_EIO). Returns 0 when the file was
 * imported (with or without rejected rows) or was already imported; SVP_EDB if the
 * database failed (nothing of the file is kept). */
int ingest_import_file(struct store *s, const struct ingest_profile *p, const char *path,
                       const struct ingest_opts *opts, struct ingest_result *res,
                       struct svp_err *err) SVP_WUR;

/* What a dry run of a profile on an extract found, per mapped value. */
struct ingest_check_field {
    const char *section; /* "record", "event NAME" ... (borrowed from the profile) */
    const char *key;
    long line;          /* the profile's line */
    int64_t values;     /* rows where the value was not empty */
    int64_t dates_read; /* of those, read by the value's date step; -1: it has none */
    int64_t sep_seen;   /* of those, holding the list separator; -1: no list step */
    bool when;          /* this entry is a section's `when`: values counts rows where it held */
};

struct ingest_check_report {
    struct ingest_result res; /* what an import would have done */
    struct ingest_check_field *fields; /* owned: free with ingest_check_free */
    int nfields;
    char *rejects; /* the rejects file an import would write (CSV lines), owned, or NULL */
};

/* Dry-runs profile p on the first max_rows rows of path (0: all) into a private in-memory
 * database, writing nothing anywhere: *out tells per mapped value how many values there
 * were, how many a date step read and how many held the list separator, and what the
 * import would reject or drop. A file the import would refuse whole gives that error. */
int ingest_check_file(const struct ingest_profile *p, const char *path, int64_t max_rows,
                      const char *as_of, struct ingest_check_report *out,
                      struct svp_err *err) SVP_WUR;
void ingest_check_free(struct ingest_check_report *r);

/* ------------------------------------------------------------------ workbooks */

/* Whether bytes are an Excel workbook (.xlsx: a zip, "PK\3\4"). svp import and svp profile
 * draft read one through the sheet a profile names (`sheet =`; else the first). */
bool ingest_is_xlsx(const char *data, size_t len);

/* A workbook's sheet (NULL: the first) as CSV text separated by delim (UTF-8; text cells as
 * written, numbers as Excel holds them: a date is its serial day). *out is owned (svp_free).
 * SVP_EINPUT names what is wrong (not a workbook, no such sheet, a damaged part). */
int ingest_xlsx_to_csv(const char *data, size_t len, const char *sheet, char delim, char **out,
                       size_t *out_len, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ drafts */

/* `svp profile draft`: a scan of an extract svp has never seen and a draft profile for it. */
struct ingest_draft_opts {
    int64_t max_rows;  /* rows scanned (0: the first 100,000) */
    const char *name;  /* the draft's profile name (NULL: from the file's name) */
    const char *as_of; /* the extract's date, YYYY-MM-DD, for two-digit years and ages (NULL:
                          today) */
    bool cp1252;       /* the caller read the file as Windows-1252 and gives it as UTF-8 (a
                          browser's upload): the draft says `encoding = windows-1252` */
    int utf16;         /* the caller read the file as UTF-16 (1 little-, 2 big-endian, with its
                          byte order mark) and gives it as UTF-8: the report says so */
    bool part;         /* the text is the first part of a larger file, cut at a line end */
    const char *sheet; /* an Excel workbook's sheet to scan (NULL: the first) */
};

struct ingest_draft {
    char *report;  /* owned: what the scan found, lines of text (codes are printed, names
                      never: only how many are written in each order) */
    char *profile; /* owned: the draft profile, which ingest_profile_parse accepts */
    int64_t rows;  /* rows scanned */
    int columns;
};

/* Scans an extract (at most its first 64 MiB and opts->max_rows rows): its encoding (UTF-8,
 * with or without a byte order mark, else Windows-1252), separator (comma, semicolon, tab or
 * pipe), line ends and header; per column the type of its values, the date formats that read
 * them with the count of values none reads, blanks, distinct values of code-like columns,
 * name orders; candidate single and composite keys unique over the rows scanned. Then drafts
 * a profile: ids, names, date of birth, sex (with a map), dates of events, places, found-with
 * mentions, a conditional event for a yes/no column naming one, code tables, and every other
 * column kept in detail. Fills *out (free with ingest_draft_free). SVP_EINPUT/SVP_EIO: a file
 * that cannot be read, is empty, in neither encoding, or names a column twice. */
int ingest_draft_file(const char *path, const struct ingest_draft_opts *opts,
                      struct ingest_draft *out, struct svp_err *err) SVP_WUR;
/* As ingest_draft_file on bytes in memory (borrowed); name_for_messages stands for the path. */
int ingest_draft_mem(const char *data, size_t len, const char *name_for_messages,
                     const struct ingest_draft_opts *opts, struct ingest_draft *out,
                     struct svp_err *err) SVP_WUR;
void ingest_draft_free(struct ingest_draft *d);

/* One line of DIR/manifest.csv: a file (relative to DIR) and the profile that reads it. */
struct ingest_manifest_entry {
    char path[1024];
    char profile[128];
    char as_of[16]; /* the optional column as_of: the extract's date, or "" */
    long line;
};

/* Reads DIR/manifest.csv: a header with columns `file`, `profile` and optionally `as_of`
 * (the extract's date, YYYY-MM-DD; others ignored) and
 * one row per extract. Returns an owned array in *out (free with svp_free) and its length
 * in *n. SVP_EINPUT names the line of a bad manifest row. */
int ingest_manifest_read(const char *dir, struct ingest_manifest_entry **out, size_t *n,
                         struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ counts */

/* What was imported: one row per source file, oldest first. */
struct ingest_source_row {
    int64_t id;
    char source[64], agency[32], path[256], sha256[65], imported_at[32];
    int64_t rows_read, rows_accepted, rows_rejected, rows_new, rows_updated, rows_unchanged;
    int64_t values_dropped;
};

/* Lists source files. Returns an owned array in *out (svp_free) and its length in *n. */
int ingest_sources_list(struct store *s, struct ingest_source_row **out, size_t *n,
                        struct svp_err *err) SVP_WUR;

/* Counts per source name (records by id space, events and relationships by source) and a
 * total. places and persons are not per source: they are 0 in source rows. */
struct ingest_count_row {
    char source[64];
    int64_t records, events, places, relationships, persons, links;
};

/* Fills an owned array in *out (svp_free): one row per source, sorted by name, then a last
 * row named "total". *n counts all rows including the total. */
int ingest_stats(struct store *s, struct ingest_count_row **out, size_t *n,
                 struct svp_err *err) SVP_WUR;

#endif
