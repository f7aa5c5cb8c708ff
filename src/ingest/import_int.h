/* Private to the import: the state of one import and the functions its files share
 * (import.c: the file, its transaction and the row loop; row.c: one row and the rejects
 * file; eval.c: evaluation of mapped values; write.c: records, places, events and
 * relationships). Names start imp_. */
#ifndef SVP_IMPORT_INT_H
#define SVP_IMPORT_INT_H

#include "ingest_int.h"

struct sqlite3;

#include <stdarg.h>
#include <stdio.h>

/* ------------------------------------------------------------------ state of one import */

enum vkind { V_NULL, V_TEXT, V_NUM, V_LIST };

struct val {
    const char *s;
    size_t len;
    enum vkind kind;
};

struct seen_id {
    const char *id; /* in the run arena */
    long line;
    uint64_t hash; /* of the row's every field: an exact repeat is told from a clash */
};

struct pending_rel {
    int64_t a, event_id;
    char *other; /* agency person id */
    const char *kind;
    bool both_ways;
    long line;
};

enum stmt_id {
    S_REC_INSERT, S_REC_SELECT, S_REC_UPDATE, S_REC_HIST, S_EV_INSERT, S_EV_SELECT,
    S_EV_UPDATE, S_EV_HIST, S_PLACE_INSERT, S_PLACE_SELECT, S_REL_EXISTS, S_REL_INSERT,
    S_STUB_INSERT, S_PLACE_UPDATE, S_EV_INSERT_QUIET, S_REC_INSERT_QUIET, S_STUB_INSERT_QUIET,
    S_REC_INSERT_ID, S_STUB_INSERT_ID, S_COUNT
};

/* In the order they are sent (the foreign keys' order): new records, changed stored records,
 * record history, new places, new events, changed stored events, event history,
 * relationships. */
enum {
    IMP_STAGE_RECORD, IMP_STAGE_RECUP, IMP_STAGE_HISTORY, IMP_STAGE_PLACE, IMP_STAGE_EVENT,
    IMP_STAGE_EVUP, IMP_STAGE_EVHIST, IMP_STAGE_REL, IMP_NSTAGES
};

/* A record staged by this file (stage.c), with the values last staged for it. */
struct imp_staged_rec {
    int64_t id;
    const char *pid;   /* the agency's person id (in the run arena) */
    const char *v[14]; /* as struct rec_vals (in the run arena) */
    uint64_t h;
    long line;
    int64_t fid;   /* the file its values came from (history's file_id) */
    bool stub;
    bool in_table; /* stored (read at the start, or sent): a change to it is an UPDATE */
    bool dirty;    /* stored, and changed by this file since: in dirty[] */
};
#define INGEST_MAX_AGE 120 /* years: a date of birth further back is dropped */
#define INGEST_MAX_AGE_TEXT "120"
#define BUMP_SIZE (64 * 1024) /* the per-row bump block */

struct imp {
    struct store *s;
    const struct ingest_profile *p;
    const char *path;
    const struct ingest_opts *opts;
    struct ingest_result *res;
    struct svp_err *err;
    struct store_stmt *st[S_COUNT];
    int *colmap;         /* profile col -> header index */
    const char **hdr;    /* header names by index (owned copies; a repeated name is
                            "NAME (2)": ingest_header_unique) */
    size_t nhdr;
    size_t nhdr_named;   /* while the header is read: the columns named so far */
    struct svp_arena *row; /* per-row values beyond the bump block */
    char *bump;            /* per-row bump block: no allocation per row on the hot path */
    size_t bump_used;
    bool row_spilled;      /* row arena holds something to free at the next row */
    struct svp_arena *run; /* pending relationships */
    struct svp_smap seen_rows, records, places;
    /* SQLite, a source with no relationships before this file: the ones this file stored
     * (kind, a, b, event), so no statement asks whether each exists (rels.c) */
    struct svp_smap rels_stored;
    int rels_new; /* 0 not asked yet, 1 the source had none, -1 it had some */
    /* SQLite, a source's first file (queue_events): its events, stored a batch at a time by
     * one statement (write.c, store_insert_rows) instead of one INSERT each */
    struct store_val *evb; /* nevb rows of IMP_EV_COLS values */
    size_t nevb;
    struct svp_arena *evb_arena; /* their strings */
    struct seen_id *ids_in_order; /* accepted row ids while each sorted after the last */
    size_t n_in_order, cap_in_order;
    bool out_of_order;            /* once they did not: seen_rows holds them all */
    struct pending_rel *rels;
    size_t nrels, caprels;
    struct svp_buf rejects;
    char now[32];
    char today[16];  /* the extract's date (--as-of), else today */
    int today_year;  /* its year: two-digit years end there */
    char oldest[16];       /* INGEST_MAX_AGE years before today: an older birth is a slip */
    char adult_before[16]; /* 18 years before today: born on or before it, an adult */
    int64_t file_id;
    int nrelsecs; /* relationship sections in the profile */
    bool sqlite;
    int64_t body_lines; /* line ends in the file's text below its header */
    bool queue_events;  /* every event is new and none's id is needed: see write_event */
    bool queue_records; /* every record is new: see take_record_id */
    int64_t rec_next; /* PostgreSQL: the next record id this file gives (imp_take_record_id);
                         0 until it gives one */
    /* PostgreSQL's bulk path (stage.c): rows staged as COPY text, sent at the end */
    bool bulk;
    struct svp_buf stage[IMP_NSTAGES];
    struct store_stmt *stage_st[IMP_NSTAGES]; /* each stage's set-based INSERT */
    int64_t stage_seq;
    struct imp_staged_rec *srec; /* records staged, in order; a staged record's entry in
                                    records has line -(its index + 1) */
    size_t nsrec, capsrec, srec_sent; /* srec[0..srec_sent) are in the table now */
    size_t *dirty, ndirty, capdirty;  /* srec entries stored and changed: sent as UPDATEs */
    bool recs_loaded; /* the id space's stored records are in srec (stage.c, load_records) */
    bool new_source;  /* the source had no events before this file */
    int64_t place_next; /* the next place id the bulk path gives; 0 until it gives one */
    /* PostgreSQL, a [place] profile's rows settled in memory and written at the end of the
     * file (places.c) */
    bool place_bulk;
    struct imp_place_pend *pplace;
    size_t npplace, cappplace;
    int64_t evhist_seq; /* changed stored events staged (their history's order) */
    int64_t ev_next; /* the next event id the bulk path gives; 0 until it gives one */
    /* The bulk path's foreign keys checked once per send, set-based, instead of a trigger
     * per row (stage.c, refs_checked): when the role may set session_replication_role */
    bool fk_set;
    int64_t stage_lo[IMP_NSTAGES], stage_hi[IMP_NSTAGES]; /* ids COPY'd by this send */
    struct svp_smap staged_events; /* event id in the file -> the id it was given */
    /* SQLite's record batch (batch.c): the file's new records are staged as above (srec)
     * and stored a batch at a time with their history rows (bhist) */
    bool rec_batch;
    struct imp_batch_hist {
        int64_t rec_id;
        long line;
        const char *previous; /* in the run arena */
    } *bhist;
    size_t nbhist, capbhist;
    struct store_val *bvals; /* the rows of a batch being stored */
    size_t capbvals;
    /* SQLite, a source's first relationships: stored a batch at a time (rels.c) */
    struct store_val *relb;
    size_t nrelb;
    /* The previous row's record inputs (row.c, same_record): a row whose person id and
     * record columns are byte for byte the previous row's has the same record values, so
     * they are not evaluated again (an attendance file gives a pupil a row per term) */
    int memo_state;                 /* 0 not planned yet, 1 usable, -1 not for this profile */
    int *memo_cols;                 /* the record section's columns (profile cols) */
    int nmemo_cols;
    struct svp_buf memo, memo_cur;  /* the previous row's inputs, this row's */
    uint64_t memo_h;                /* the previous row's record hash */
    bool memo_set;
    /* detail keys as JSON strings ("key", quoted and escaped), made once per file
     * (eval.c): [section * INGEST_MAX_FIELDS + field] */
    struct imp_jkey {
        const char *s;
        size_t n;
    } *jkeys;
    /* school terms read lately (eval.c, step_term): the text and its first and last day */
#define IMP_TERMS 16
    struct imp_term {
        char text[48];
        size_t len; /* 0: an empty slot */
        char days[2][11];
    } terms[IMP_TERMS];
    int next_term;
    struct sqlite3 *xdb; /* expressions (expr.c): a private in-memory SQLite */
    void **xst;          /* their prepared statements (sqlite3_stmt *) */
    int **xcols;         /* each one's header columns, bound in order as ?1, ?2, ...; -1 ends */
    int nxst;
    /* the row being read */
    const struct svp_csv_row *r;
    const char *cur_pid;    /* the row's person id (a generic place is theirs) */
    const char *bad_field;  /* column name of a bad value */
    char why[300];          /* reason a row is bad */
    /* values the row is kept without: column and why, for the rejects file */
#define IMP_MAX_DROPS 8
    const char *drop_field[IMP_MAX_DROPS];
    char drop_why[IMP_MAX_DROPS][360];
    int ndrops;
    int64_t drops_over; /* dropped beyond IMP_MAX_DROPS on this row (counted, not listed) */
    bool raced;             /* begin_file found the same bytes imported meanwhile */
    bool no_final_newline;  /* the file's last line has no line end */
    const char *encoding;   /* as the file was read: utf-8, windows-1252, utf-16le, utf-16be */
    bool converted;         /* the text was converted to UTF-8 (so it is valid UTF-8) */
    bool last_ragged;       /* the last row read could not be read whole */
    bool stopped_early;     /* a dry run read only its first rows */
};

enum change { CH_UNCHANGED, CH_UPDATED, CH_NEW };

/* A record's values, computed and checked before anything is written. */
#define REC_NVALS 14
struct rec_vals {
    const char *v[REC_NVALS]; /* given, middle, family, dob, sex, ethnicity, postcode, address,
                                 area, role, norm_given, norm_family, detail, shared_id */
    uint64_t h;
    int sec; /* the record section they were computed from */
};

struct place_vals {
    const char *key, *name, *postcode, *area, *kind;
    bool has_lat, has_lon;
    double lat, lon;
    int in_county;
};

/* An event's values, computed and checked before anything is written. */
struct ev_vals {
    bool present;
    const char *v[7]; /* type, subtype, started_at, ended_at, place key, detail, record id */
    const char *eid;
    const char *persons; /* whose events, when the section names a person column */
    char sep;            /* separator of persons when it is a list */
    struct place_vals place;
};

/* eval.c: a value the row is kept without (field, why and what it was, e.g. "date of birth"
 * or "this value"), written to the rejects file if the row is accepted. */
void imp_drop(struct imp *im, const char *field, const char *why, const char *what);
/* eval.c: the row arena */
int imp_bad(struct imp *im, const char *field, const char *fmt, ...) SVP_PRINTF(3, 4);
void *imp_alloc(struct imp *im, size_t n);
char *imp_strndup(struct imp *im, const char *s, size_t n);
char *imp_join(struct imp *im, const char *a, char sep, const char *b);
int imp_dberr(struct imp *im, int rc);
void imp_reset(struct imp *im); /* empties the row arena for the next row */
/* eval.c: values */
/* The raw text of a spec's source on the current row, trimmed ("A + B": joined). */
int imp_raw_value(struct imp *im, const struct ingest_spec *sp, struct val *v);
int imp_composite_id(struct imp *im, const int *cols, int n, bool partial, struct val *v);
const char *imp_col_name(struct imp *im, const struct ingest_spec *sp);
bool imp_is_blank(const char *s, size_t n);
void imp_fmt_i64(int64_t v, char *out);
int imp_json_str(struct svp_buf *b, const char *s, size_t n);
int imp_eval(struct imp *im, const struct ingest_spec *sp, struct val *v, bool stop_at_list);
int imp_eval_field(struct imp *im, const struct ingest_section *sec, enum ingest_target t,
                   struct val *v);
const char *imp_vstr(struct imp *im, const struct val *v);
/* The section's detail JSON object (NULL when empty), with nx further keys xk and values xv
 * that no field of the section names. */
int imp_detail_json(struct imp *im, const struct ingest_section *sec, const char *const *xk,
                    const struct val *xv, int nx, const char **out);
/* Reads s (len bytes) with one date pattern f ("iso", "excel" or a pattern) as the date
 * steps do: two-digit years end at the extract's year; a datetime (datetime true) with the
 * profile's Europe/London timezone is stored in UTC, a date keeps the date written.
 * *with_time: whether f reads a time of day. SVP_OK or SVP_EINPUT (e says why). */
int imp_read_date(const struct imp *im, const char *s, size_t len, const char *f, bool datetime,
                  svp_time *t, bool *with_time, struct svp_err *e);
/* expr.c: expressions evaluated by SQLite */
int imp_expr_prepare_all(struct imp *im); /* after the header is read */
void imp_expr_free(struct imp *im);
int imp_expr_eval(struct imp *im, int id, const char *field, struct val *v);
/* The profile's [check] rules on the current row: a row where one is false is rejected,
 * naming its field and giving its message. */
int imp_checks(struct imp *im);
int imp_when(struct imp *im, const struct ingest_section *sec, bool *holds);
/* write.c */
/* The values of st's columns from first on as a JSON object of text values (NULLs left
 * out), the previous values the history tables keep. */
int imp_previous_json(struct store_stmt *st, int first, char **out);
int imp_bind_opt(struct store_stmt *st, int i, const char *s);
void imp_hash_hex(uint64_t h, char out[17]); /* a content hash as 16 hex digits */
int imp_take_record_id(struct imp *im, int64_t *id);
/* The next event id, as imp_take_record_id gives record ids (the bulk path, stage.c). */
int imp_take_event_id(struct imp *im, int64_t *id);
/* After a file's rows: moves the sequences past the ids the file gave (PostgreSQL). */
int imp_ids_end(struct imp *im);
int imp_stub_record(struct imp *im, const char *pid, long line, int64_t *id);
int imp_resolve_person(struct imp *im, const char *pid, int64_t *id);
/* The values of a record section's person: the row's ([record], p->record_sec) or another
 * the row names ([record NAME]). */
int imp_compute_record(struct imp *im, int si, struct rec_vals *rv);
int imp_write_record(struct imp *im, const char *pid, const struct rec_vals *rv,
                     int64_t *rec_id, enum change *ch);
int imp_compute_place(struct imp *im, const struct ingest_section *sec, struct place_vals *pv);
int imp_write_place(struct imp *im, const struct place_vals *pv, int64_t *place_id);
int imp_compute_event(struct imp *im, int si, const char *row_id, struct ev_vals *ev);
int imp_write_event(struct imp *im, struct ev_vals *ev, int64_t rec_id, int64_t *ev_id,
                    enum change *ch);
/* Stores the events batched so far (SQLite, queue_events); before anything reads event. */
int imp_events_flush(struct imp *im);
/* row.c: one row, and the rejects file */
int imp_do_row(struct imp *im, const struct svp_csv_row *row);
/* A rejected row's line (file, line, field, reason) for the rejects file. */
int imp_reject(struct imp *im, long line, const char *field, const char *why);
/* Appends the file's rejects to the rejects file (before the commit); *was_size is its size
 * before, for imp_unwrite_rejects to take them back if the import does not commit. */
int imp_flush_rejects(struct imp *im, long *was_size);
void imp_unwrite_rejects(const char *path, long was_size);
/* rels.c */
int imp_queue_rels(struct imp *im, int si, int64_t rec_id, int64_t ev_id);
int imp_resolve_rels(struct imp *im);
/* stage.c: PostgreSQL's bulk path */
/* in the file's transaction; sets bulk. new_source: the source has no events yet */
int imp_stage_start(struct imp *im, bool new_source);
/* The id space's stored records into the records map (id and content hash): a row about a
 * known person with the same values then needs no statement, one with others no INSERT. */
int imp_preload_records(struct imp *im);
void imp_stage_free(struct imp *im);
/* Stages a new record (v NULL: a stub); *at is its mark for the records map's line. */
int imp_stage_record(struct imp *im, int64_t id, const char *pid, const char *const *v,
                     const char *hex, long line, long *at);
/* The staged record a records map line marks, or NULL (in the table: known before the
 * file, written row by row, or sent already). */
struct imp_staged_rec *imp_staged_rec(struct imp *im, long at);
/* Stages the record at again with new values (the last staging of an id is stored). */
int imp_restage_record(struct imp *im, long at, const char *const *v, uint64_t h, long line);
/* A record stored before this file (in records with line 0) as a staged record in the
 * table: *at its mark (the id space's stored records are read once per file, here). */
int imp_stage_known_record(struct imp *im, const char *pid, long *at);
int imp_stage_history(struct imp *im, int64_t rec_id, long line, const char *previous);
/* A place not stored: given its id and staged (COPY into place). */
int imp_stage_place(struct imp *im, const struct place_vals *pv, int64_t *place_id);
/* The stored places read into im->places, place locked to the commit (stage.c). */
int imp_preload_places(struct imp *im);
/* places.c: PostgreSQL's set-based path for a [place] profile: start (after begin_file), one
 * row (*is_new: the place was not stored and not named before in the file), end (writes them
 * all; nothing when the path is not taken), free. */
int imp_places_start(struct imp *im);
int imp_places_row(struct imp *im, const struct place_vals *pv, bool *is_new);
int imp_places_end(struct imp *im);
void imp_places_free(struct imp *im);
/* imp_stage_event's answer for an event this file already stored or changed and now
 * changes again: the stages are to be sent and the event written row by row. */
#define IMP_ROW_BY_ROW 1
int imp_stage_event(struct imp *im, const struct ev_vals *ev, int64_t rec_id,
                    int64_t place_id, const char *hex, long line, int64_t *ev_id,
                    enum change *ch);
int imp_stage_rel(struct imp *im, const char *kind, int64_t a, int64_t b, int64_t event_id,
                  long line);
int imp_stage_flush(struct imp *im);         /* every stage, in foreign-key order */
/* Whether the rows of stage i just sent (stage_lo..stage_hi for records and events) name only
 * stored rows: SVP_EINTERNAL, with a message, when not (the bulk path's foreign keys when
 * fk_set; tests/unit/test_ingest_bulk.c calls it on rows it wrote itself). */
int imp_stage_keys_checked(struct imp *im, int i);
int imp_stage_maybe_flush(struct imp *im);   /* when the stages have grown large */
/* batch.c: SQLite's record batch */
int imp_batch_plan(struct imp *im, bool *yes); /* whether the file's records can be batched */
int imp_batch_history(struct imp *im, int64_t rec_id, long line, const char *previous);
int imp_batch_flush(struct imp *im);       /* stores the waiting records and history rows */
int imp_batch_maybe_flush(struct imp *im); /* when IMP_REC_BATCH records wait */
int imp_batch_end(struct imp *im);         /* after the rows: flushed, and no more batching */

#endif
