/* The audit trail: an append-only hash chain. Each entry's hash is the SHA-256 of the
 * previous entry's hash and this entry's fields, each written with its length so that no
 * two different entries encode alike. Editing, removing or reordering rows breaks it. */
#include "access_int.h"

#include <string.h>
#include <time.h>

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

struct entry_fields {
    const char *prev, *at, *username, *action, *object, *purpose, *detail;
    int64_t user_id;
    const char *persons; /* "" or ",p12,r9,": hashed only when not empty (older entries) */
};

static int entry_hash(const struct entry_fields *f, char *out, size_t cap, struct svp_err *err)
{
    struct svp_buf b;
    svp_buf_init(&b, (size_t)1 << 24); /* a view names up to a county of persons */
    const char *parts[] = {f->prev, f->at, f->username, f->action, f->object, f->purpose,
                           f->detail};
    int rc = svp_buf_printf(&b, "svp-audit-1\n%lld\n", (long long)f->user_id);
    for (size_t i = 0; !rc && i < sizeof parts / sizeof parts[0]; i++)
        rc = svp_buf_printf(&b, "%zu:%s\n", strlen(parts[i]), parts[i]);
    if (!rc && f->persons && *f->persons)
        rc = svp_buf_printf(&b, "persons %zu:%s\n", strlen(f->persons), f->persons);
    if (rc) {
        svp_buf_free(&b);
        return svp_err_set(err, SVP_ENOMEM, "out of memory hashing an audit entry");
    }
    access_sha256_hex(b.data, b.len, out, cap);
    svp_buf_free(&b);
    return SVP_OK;
}

/* Copies s into a field of cap bytes, cutting at a UTF-8 character boundary. */
static void cut(char *dst, const char *s, size_t cap)
{
    size_t n = svp_strlcpy(dst, s ? s : "", cap);
    if (n >= cap) {
        size_t end = cap - 1;
        while (end > 0 && ((unsigned char)dst[end] & 0xC0) == 0x80)
            end--;
        dst[end] = '\0';
    }
}

/* The hash of the newest entry (the genesis hash when the log is empty) into prev. */
static int chain_end(struct store *s, char prev[65], struct svp_err *err)
{
    svp_strlcpy(prev, genesis, 65);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", &st, err);
    if (rc)
        return rc;
    rc = store_step(st, err);
    if (rc == STORE_ROW && store_column_text(st, 0))
        svp_strlcpy(prev, store_column_text(st, 0), 65);
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

/* Appends one entry after the entry whose hash is prev; on success prev becomes the new
 * entry's hash, so a batch chains in memory without reading the log back. */
static int append_after(struct store *s, char prev[65], const struct access_user *user,
                        const char *action, const char *object, const char *purpose,
                        const char *detail, const char *persons, struct svp_err *err)
{
    struct access_audit_entry e = {0};
    access_now_iso(e.at, sizeof e.at);
    e.user_id = user ? user->id : 0;
    cut(e.username, user ? user->username : "system", sizeof e.username);
    cut(e.action, action, sizeof e.action);
    cut(e.object, object, sizeof e.object);
    cut(e.purpose, purpose, sizeof e.purpose);
    cut(e.detail, detail, sizeof e.detail);
    struct entry_fields f = {prev, e.at, e.username, e.action, e.object, e.purpose, e.detail,
                             e.user_id, persons ? persons : ""};
    int rc = entry_hash(&f, e.hash, sizeof e.hash, err);
    if (rc)
        return rc;
    struct store_stmt *st = NULL;
    rc = store_prepare(s,
                       "INSERT INTO audit_log (at, user_id, username, action, object, purpose, "
                       "detail, prev_hash, hash, persons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, e.at, -1) || store_bind_int64(st, 2, e.user_id) ||
        store_bind_text(st, 3, e.username, -1) || store_bind_text(st, 4, e.action, -1) ||
        store_bind_text(st, 5, e.object, -1) || store_bind_text(st, 6, e.purpose, -1) ||
        store_bind_text(st, 7, e.detail, -1) || store_bind_text(st, 8, prev, -1) ||
        store_bind_text(st, 9, e.hash, -1) || store_bind_text(st, 10, f.persons, -1))
        rc = svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    else
        rc = store_step(st, err);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    memcpy(prev, e.hash, 65);
    return SVP_OK;
}

int access_audit_in_tx(struct store *s, const struct access_user *user, const char *action,
                       const char *object, const char *purpose, const char *detail,
                       struct svp_err *err)
{
    char prev[65];
    int rc = chain_end(s, prev, err);
    return rc ? rc : append_after(s, prev, user, action, object, purpose, detail, NULL, err);
}

int access_audit(struct store *s, const struct access_user *user, const char *action,
                 const char *object, const char *purpose, const char *detail,
                 struct svp_err *err)
{
    const struct access_audit_item item = {user, action, object, purpose, detail, NULL};
    return access_audit_many(s, &item, 1, err);
}

int access_audit_many(struct store *s, const struct access_audit_item *items, size_t n,
                      struct svp_err *err)
{
    /* store_begin takes the write lock first (BEGIN IMMEDIATE on SQLite), waiting up to the
     * store's wait for an import or a link to commit, so the read of the chain's end and the
     * insert see one state. On PostgreSQL another writer may still append between the two;
     * the unique prev_hash then refuses ours and we try again on the new end of the chain,
     * for as long as the store's wait allows. Fail-closed: past the budget the error is
     * returned and the caller serves nothing the trail does not hold. */
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const long budget_ms = store_wait_ms(s);
    int rc = SVP_EDB;
    for (long attempt = 0;; attempt++) {
        if ((rc = store_begin(s, err)) == SVP_OK) {
            char prev[65];
            rc = chain_end(s, prev, err);
            for (size_t i = 0; !rc && i < n; i++)
                rc = append_after(s, prev, items[i].user, items[i].action, items[i].object,
                                  items[i].purpose, items[i].detail, items[i].persons, err);
            if (!rc)
                rc = store_commit(s, err);
            if (!rc)
                return SVP_OK;
            store_rollback(s);
        }
        if (rc != SVP_ECONFLICT && rc != SVP_EINPUT)
            return rc; /* neither another writer nor a lost race: waiting will not help */
        clock_gettime(CLOCK_MONOTONIC, &now);
        long spent_ms = (long)(now.tv_sec - t0.tv_sec) * 1000 +
                        (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (spent_ms >= budget_ms)
            return rc;
        long pause_ms = attempt < 50 ? 1 + attempt / 5 : 10;
        if (pause_ms > budget_ms - spent_ms)
            pause_ms = budget_ms - spent_ms;
        struct timespec ts = {pause_ms / 1000, (pause_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
}

static void read_entry(struct store_stmt *st, struct access_audit_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = store_column_int64(st, 0);
    cut(e->at, store_column_text(st, 1), sizeof e->at);
    e->user_id = store_column_int64(st, 2);
    cut(e->username, store_column_text(st, 3), sizeof e->username);
    cut(e->action, store_column_text(st, 4), sizeof e->action);
    cut(e->object, store_column_text(st, 5), sizeof e->object);
    cut(e->purpose, store_column_text(st, 6), sizeof e->purpose);
    cut(e->detail, store_column_text(st, 7), sizeof e->detail);
    cut(e->hash, store_column_text(st, 9), sizeof e->hash);
    const char *persons = store_column_text(st, 10);
    for (const char *c = persons ? persons : ""; *c; c++)
        e->persons += *c == ',' && c[1] != '\0';
}

#define AUDIT_COLS                                                                          \
    "id, at, user_id, username, action, object, purpose, detail, prev_hash, hash, persons"

int access_audit_list(struct store *s, int64_t user_id, int64_t before, size_t limit,
                      struct access_audit_entry **out, size_t *n, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    if (limit == 0)
        return SVP_OK;
    struct access_audit_entry *v = svp_calloc(limit, sizeof *v);
    if (!v)
        return svp_err_set(err, SVP_ENOMEM, "out of memory listing the audit log");
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT " AUDIT_COLS " FROM audit_log WHERE (? = 0 OR user_id = ?) "
                           "AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
                           &st, err);
    if (rc) {
        svp_free(v);
        return rc;
    }
    if (store_bind_int64(st, 1, user_id) || store_bind_int64(st, 2, user_id) ||
        store_bind_int64(st, 3, before) || store_bind_int64(st, 4, before) ||
        store_bind_int64(st, 5, (int64_t)limit))
        rc = svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    while (!rc && *n < limit && (rc = store_step(st, err)) == STORE_ROW) {
        read_entry(st, &v[(*n)++]);
        rc = SVP_OK;
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(v);
        *n = 0;
        return rc;
    }
    *out = v;
    return SVP_OK;
}

int access_audit_verify(struct store *s, int64_t *checked, struct svp_err *err)
{
    *checked = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT " AUDIT_COLS " FROM audit_log ORDER BY id", &st, err);
    if (rc)
        return rc;
    char prev[65];
    svp_strlcpy(prev, genesis, sizeof prev);
    while ((rc = store_step(st, err)) == STORE_ROW) {
        /* Hash the stored text as it is (not cut to the entry struct's sizes). */
        const char *cols[11];
        for (int i = 0; i < 11; i++)
            cols[i] = store_column_text(st, i) ? store_column_text(st, i) : "";
        int64_t id = store_column_int64(st, 0);
        if (strcmp(cols[8], prev) != 0) {
            rc = svp_err_set(err, SVP_ECONFLICT,
                             "audit entry %lld does not follow the entry before it: an entry "
                             "was removed, inserted or reordered",
                             (long long)id);
            break;
        }
        struct entry_fields f = {cols[8], cols[1], cols[3], cols[4], cols[5], cols[6], cols[7],
                                 store_column_int64(st, 2), cols[10]};
        char h[65];
        if ((rc = entry_hash(&f, h, sizeof h, err)))
            break;
        if (strcmp(h, cols[9]) != 0) {
            rc = svp_err_set(err, SVP_ECONFLICT,
                             "audit entry %lld was changed after it was written (its hash does "
                             "not match its contents)",
                             (long long)id);
            break;
        }
        svp_strlcpy(prev, cols[9], sizeof prev);
        (*checked)++;
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

int access_audit_person(struct store *s, int64_t person_id, int64_t before, size_t limit,
                        struct access_audit_entry **out, size_t *n, struct svp_err *err)
{
    enum { MAX_RECORDS = 64 };
    *out = NULL;
    *n = 0;
    if (limit == 0)
        return SVP_OK;
    /* The person's records (an unlinked record is seen as rID). */
    int64_t recs[MAX_RECORDS];
    size_t nrec = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT record_id FROM person_record WHERE person_id = ? ORDER BY "
                              "record_id",
                           &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, person_id))
        rc = svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        if (nrec < MAX_RECORDS)
            recs[nrec++] = store_column_int64(st, 0);
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    char keys[2 + 2 * MAX_RECORDS][40];
    size_t nk = 0;
    snprintf(keys[nk++], sizeof keys[0], "person:%lld", (long long)person_id);
    snprintf(keys[nk++], sizeof keys[0], "%%,p%lld,%%", (long long)person_id);
    for (size_t i = 0; i < nrec; i++) {
        snprintf(keys[nk++], sizeof keys[0], "record:%lld", (long long)recs[i]);
        snprintf(keys[nk++], sizeof keys[0], "%%,r%lld,%%", (long long)recs[i]);
    }
    struct svp_buf sql;
    svp_buf_init(&sql, 65536);
    rc = svp_buf_puts(&sql, "SELECT " AUDIT_COLS " FROM audit_log WHERE (? = 0 OR id < ?) AND (");
    for (size_t i = 0; !rc && i < nk; i++)
        rc = svp_buf_puts(&sql, i % 2 ? " OR persons LIKE ?" : i ? " OR object = ?" : "object = ?");
    if (!rc)
        rc = svp_buf_puts(&sql, ") ORDER BY id DESC LIMIT ?");
    struct access_audit_entry *v = rc ? NULL : svp_calloc(limit, sizeof *v);
    if (rc || !v) {
        svp_buf_free(&sql);
        return svp_err_set(err, SVP_ENOMEM, "out of memory listing the audit log");
    }
    rc = store_prepare(s, sql.data, &st, err);
    svp_buf_free(&sql);
    if (rc) {
        svp_free(v);
        return rc;
    }
    int k = 1;
    rc = store_bind_int64(st, k++, before) || store_bind_int64(st, k++, before);
    for (size_t i = 0; !rc && i < nk; i++)
        rc = store_bind_text(st, k++, keys[i], -1);
    if (rc || store_bind_int64(st, k, (int64_t)limit))
        rc = svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    while (!rc && *n < limit && (rc = store_step(st, err)) == STORE_ROW) {
        read_entry(st, &v[(*n)++]);
        rc = SVP_OK;
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(v);
        *n = 0;
        return rc;
    }
    *out = v;
    return SVP_OK;
}

int access_audit_anchor(struct store *s, int64_t *id, char hash[65], struct svp_err *err)
{
    *id = 0;
    svp_strlcpy(hash, genesis, 65);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &st, err);
    if (rc)
        return rc;
    rc = store_step(st, err);
    if (rc == STORE_ROW) {
        *id = store_column_int64(st, 0);
        svp_strlcpy(hash, store_column_text(st, 1) ? store_column_text(st, 1) : "", 65);
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

int access_audit_check_anchor(struct store *s, int64_t id, const char *hash,
                              struct svp_err *err)
{
    if (id == 0)
        return SVP_OK; /* anchored while empty: anything since is later */
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT hash FROM audit_log WHERE id = ?", &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, id)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    }
    rc = store_step(st, err);
    bool found = rc == STORE_ROW;
    bool same = found && store_column_text(st, 0) && !strcmp(store_column_text(st, 0), hash);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (!found)
        return svp_err_set(err, SVP_ECONFLICT,
                           "audit entry %lld named by the anchor is gone: the newest entries "
                           "were removed",
                           (long long)id);
    if (!same)
        return svp_err_set(err, SVP_ECONFLICT,
                           "audit entry %lld no longer has the anchored hash: the trail was "
                           "rewritten from there",
                           (long long)id);
    return SVP_OK;
}
