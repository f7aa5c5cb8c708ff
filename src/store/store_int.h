/* Private to the store room: the table of back-end operations (like sqlite3_vfs). */
#ifndef SVP_STORE_INT_H
#define SVP_STORE_INT_H

#include "store.h"

struct store_ops {
    int (*open)(struct store *s, const char *target, unsigned flags, struct svp_err *err);
    void (*close)(struct store *s);
    int (*exec)(struct store *s, const char *sql, struct svp_err *err);
    int (*prepare)(struct store *s, const char *sql, struct store_stmt *st,
                   struct svp_err *err);
    int (*bind_text)(struct store_stmt *st, int idx, const char *text, size_t len);
    /* borrows text (store_bind_text_ref); NULL: bind_text copies it instead */
    int (*bind_text_ref)(struct store_stmt *st, int idx, const char *text, size_t len);
    int (*bind_int64)(struct store_stmt *st, int idx, int64_t v);
    int (*bind_double)(struct store_stmt *st, int idx, double v);
    int (*bind_null)(struct store_stmt *st, int idx);
    int (*step)(struct store_stmt *st, struct svp_err *err);
    /* sends st without waiting (store_queue); NULL: step and reset at once */
    int (*queue)(struct store_stmt *st, struct svp_err *err);
    /* waits for queued statements (store_flush); NULL when queue is */
    int (*flush)(struct store *s, struct svp_err *err);
    /* COPY ... FROM STDIN with rows in text format (store_copy_in); NULL: no COPY */
    int (*copy_in)(struct store *s, const char *sql, const char *data, size_t len,
                   struct svp_err *err);
    int (*column_count)(struct store_stmt *st);
    const char *(*column_name)(struct store_stmt *st, int col);
    const char *(*column_text)(struct store_stmt *st, int col);
    int64_t (*column_int64)(struct store_stmt *st, int col);
    double (*column_double)(struct store_stmt *st, int col);
    bool (*column_is_null)(struct store_stmt *st, int col);
    int64_t (*changes)(struct store_stmt *st);
    /* makes vals the rows svp_rows reads (store_insert_rows); NULL vals: none; NULL: no
     * such table */
    void (*rows_set)(struct store *s, const struct store_val *vals, size_t nrows, int ncols);
    /* the rowid the connection's last INSERT gave (store_last_id); NULL: none */
    int64_t (*last_id)(struct store_stmt *st);
    void (*reset)(struct store_stmt *st);
    void (*finalize)(struct store_stmt *st);
    /* applies s->wait_ms (store_set_wait) to the connection */
    int (*set_wait)(struct store *s, struct svp_err *err);
};

struct store {
    const struct store_ops *ops;
    enum store_kind kind;
    char desc[256];
    int wait_ms; /* how long a write waits for another writer (store_set_wait) */
    int tx_depth; /* open transactions: 1 a BEGIN, each more a SAVEPOINT (store_begin) */
    bool tx_data;  /* the open transaction changed data: bump the data version at commit */
    int dv_state;  /* the data version row: 0 not asked yet, 1 there, -1 not (version.c) */
    struct store_stmt *dv_stmt; /* store_data_version's statement, kept prepared */
    void *impl;
};

struct store_stmt {
    struct store *s;
    bool changes_data; /* running it changes the data version (store_sql_changes_data) */
    void *impl;
};

/* s's wait for messages: "10 s", "0.3 s". */
void store_wait_text(const struct store *s, char *buf, size_t cap);

/* The data version (version.c): a write noted in a transaction bumps it at commit, one
 * outside a transaction at once; forget makes the next bump ask again whether the table is
 * there (after migrations). */
int store_version_note(struct store *s, struct svp_err *err);
int store_version_bump(struct store *s, struct svp_err *err);
void store_version_forget(struct store *s);

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

#endif
