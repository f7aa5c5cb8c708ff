/* One row of an extract (import.c runs the file and its transaction): its ids and keys, the
 * evaluation and checks of its record, events, places and relationships in order, and the
 * rejects file's lines (file, line, field and reason, never a value). */
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ rejects */

static int csv_cell(struct svp_buf *b, const char *s)
{
    bool q = strpbrk(s, ",\"\r\n") != NULL;
    int rc = q ? svp_buf_putc(b, '"') : SVP_OK;
    for (; *s && !rc; s++)
        rc = *s == '"' ? svp_buf_puts(b, "\"\"") : svp_buf_putc(b, *s);
    return rc || !q ? rc : svp_buf_putc(b, '"');
}

/* Takes back what flush_rejects appended (the import did not commit). */
void imp_unwrite_rejects(const char *path, long was_size)
{
    if (was_size < 0)
        (void)remove(path);
    else
        (void)truncate(path, was_size);
}

/* One line of the rejects file: file, line, field, reason (never the value). */
static int reject_line(struct imp *im, long line, const char *field, const char *why)
{
    struct svp_buf *b = &im->rejects;
    int rc = csv_cell(b, im->path);
    if (!rc)
        rc = svp_buf_printf(b, ",%ld,", line);
    if (!rc)
        rc = csv_cell(b, field ? field : "");
    if (!rc)
        rc = svp_buf_putc(b, ',');
    if (!rc)
        rc = csv_cell(b, why);
    if (!rc)
        rc = svp_buf_putc(b, '\n');
    if (rc == SVP_EINPUT) /* past the cap: the count still says how many */
        return SVP_OK;
    return rc;
}

int imp_reject(struct imp *im, long line, const char *field, const char *why)
{
    im->res->rows_rejected++;
    return reject_line(im, line, field, why);
}

/* Appends the rejects to their file before the import commits: if they cannot be written
 * the import fails and keeps nothing, so no rejected row is lost behind a committed file
 * that a re-run would call "already imported". *was_size is the file's size before (-1:
 * it did not exist), for unwrite_rejects when the commit then fails. */
int imp_flush_rejects(struct imp *im, long *was_size)
{
    *was_size = -1;
    if (!im->rejects.len)
        return SVP_OK;
    if (im->opts && im->opts->rejects_out) /* a dry run: the caller shows them */
        return svp_buf_append(im->opts->rejects_out, im->rejects.data, im->rejects.len);
    const char *path = im->opts && im->opts->rejects_path ? im->opts->rejects_path
                                                          : "svp-rejects.csv";
    svp_strlcpy(im->res->rejects_path, path, sizeof im->res->rejects_path);
    struct stat sb;
    bool existed = stat(path, &sb) == 0;
    FILE *f = fopen(path, "ab");
    if (!f)
        return svp_err_at(im->err, SVP_EIO, path, 0, NULL,
                          "cannot write the rejects file (%s): nothing imported; give "
                          "--rejects a file svp can write", strerror(errno));
    long at = ftell(f);
    *was_size = existed ? (at < 0 ? 0 : at) : -1;
    bool ok = at >= 0;
    if (ok && at == 0)
        ok = fputs("file,line,field,reason\n", f) >= 0;
    if (ok)
        ok = fwrite(im->rejects.data, 1, im->rejects.len, f) == im->rejects.len;
    ok = fflush(f) == 0 && ok;
    int e = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        imp_unwrite_rejects(path, *was_size);
        return svp_err_at(im->err, SVP_EIO, path, 0, NULL,
                          "cannot write the rejects file (%s): nothing imported", strerror(e));
    }
    return SVP_OK;
}

/* ------------------------------------------------------------------ row ids seen */

/* Extracts mostly number their rows in order. While every accepted id sorts after the one
 * before, a new id that sorts after the last cannot repeat any, so the ids are only listed
 * (in order, no hashing: a hash table of a county's ids misses the cache on every row) and
 * the map of ids seen is built the first time the order breaks. */
static int first_seen_at(struct imp *im, const char *rid, long *line, uint64_t *hash)
{
    *line = 0;
    *hash = 0;
    if (!im->out_of_order) {
        if (!im->n_in_order || strcmp(rid, im->ids_in_order[im->n_in_order - 1].id) > 0)
            return SVP_OK;
        im->out_of_order = true;
        for (size_t i = 0; i < im->n_in_order; i++) {
            const struct seen_id *e = &im->ids_in_order[i];
            int rc = svp_smap_put(&im->seen_rows, e->id, (struct svp_smap_val){0, e->hash, e->line});
            if (rc)
                return rc;
        }
    }
    struct svp_smap_val *v = svp_smap_get(&im->seen_rows, rid);
    if (v) {
        *line = v->line;
        *hash = v->hash;
    }
    return SVP_OK;
}

/* A hash of every field of the current row, so that a row repeated whole (an extract's
 * report joined twice, a page exported twice) is told from two rows sharing an id. Kept in
 * memory only, so made eight bytes at a step (svp_hash_fast): every accepted row pays for
 * it. */
static int row_hash(struct imp *im, const struct svp_csv_row *row, uint64_t *h)
{
    /* The reader keeps a row's fields one after another, each ended by a NUL that no field
     * holds: the run from the first field's first byte to the last field's last is hashed
     * in one pass (the NULs tell "ab","c" from "a","bc"). A field rewritten in place (an
     * Excel ="..." value) leaves a gap: such a row's fields are first copied into that
     * form, so that the same values give the same hash however they were written. */
    size_t n = row->nfields;
    *h = svp_hash_fast("", 0, 1469598103934665603ULL ^ n);
    if (!n)
        return SVP_OK;
    bool packed = true;
    for (size_t i = 0; i + 1 < n && packed; i++)
        packed = row->fields[i + 1].p == row->fields[i].p + row->fields[i].len + 1;
    if (packed) {
        *h = svp_hash_fast(row->fields[0].p,
                           (size_t)(row->fields[n - 1].p - row->fields[0].p) +
                               row->fields[n - 1].len,
                           *h);
        return SVP_OK;
    }
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += row->fields[i].len + 1;
    char *b = imp_alloc(im, total);
    if (!b)
        return SVP_ENOMEM;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(b + at, row->fields[i].p, row->fields[i].len);
        at += row->fields[i].len;
        b[at++] = '\0';
    }
    *h = svp_hash_fast(b, total - 1, *h);
    return SVP_OK;
}

/* Notes the id of an accepted row. */
static int seen_row(struct imp *im, const char *rid, long line)
{
    uint64_t h;
    int rc = row_hash(im, im->r, &h);
    if (rc)
        return rc;
    if (im->out_of_order)
        return svp_smap_put(&im->seen_rows, rid, (struct svp_smap_val){0, h, line});
    struct seen_id *n = svp_grow(im->ids_in_order, &im->cap_in_order, im->n_in_order + 1,
                                 sizeof *n, 1024);
    if (!n)
        return SVP_ENOMEM;
    im->ids_in_order = n;
    const char *copy = svp_arena_strndup(im->run, rid, strlen(rid));
    if (!copy)
        return SVP_ENOMEM;
    im->ids_in_order[im->n_in_order++] = (struct seen_id){copy, line, h};
    return SVP_OK;
}

/* A row of a reference list of places: the list's values win over those first seen on
 * events (which may lack coordinates or kind). */
static int place_row(struct imp *im, const char *rid)
{
    struct place_vals pv;
    int rc = imp_compute_place(im, &im->p->secs[im->p->place_sec], &pv);
    if (rc)
        return rc;
    if (!pv.key)
        return imp_bad(im, "", "place has neither name nor postcode");
    if (im->place_bulk) {
        bool is_new = false;
        if ((rc = imp_places_row(im, &pv, &is_new)))
            return rc;
        if (is_new)
            im->res->rows_new++;
        else
            im->res->rows_updated++;
        if ((rc = seen_row(im, rid, im->r->line)))
            return rc;
        im->res->rows_accepted++;
        return SVP_OK;
    }
    struct store_stmt *sel = im->st[S_PLACE_SELECT];
    store_reset(sel);
    if ((rc = store_bind_text_ref(sel, 1, pv.key, -1)))
        return rc;
    rc = store_step(sel, im->err);
    int64_t id = rc == STORE_ROW ? store_column_int64(sel, 0) : 0;
    store_reset(sel);
    if (rc < 0)
        return imp_dberr(im, rc);
    if (!id) {
        if ((rc = imp_write_place(im, &pv, &id)))
            return rc;
        im->res->rows_new++;
    } else {
        struct store_stmt *up = im->st[S_PLACE_UPDATE];
        store_reset(up);
        rc = imp_bind_opt(up, 1, pv.name);
        if (!rc)
            rc = pv.has_lat ? store_bind_double(up, 2, pv.lat) : store_bind_null(up, 2);
        if (!rc)
            rc = pv.has_lon ? store_bind_double(up, 3, pv.lon) : store_bind_null(up, 3);
        if (!rc)
            rc = imp_bind_opt(up, 4, pv.area);
        if (!rc)
            rc = store_bind_int64(up, 5, pv.in_county);
        if (!rc)
            rc = imp_bind_opt(up, 6, pv.kind);
        if (!rc)
            rc = store_bind_int64(up, 7, id);
        if (rc)
            return rc;
        if ((rc = store_step(up, im->err)) < 0)
            return imp_dberr(im, rc);
        store_reset(up);
        im->res->rows_updated++;
    }
    if ((rc = seen_row(im, rid, im->r->line)))
        return rc;
    im->res->rows_accepted++;
    return SVP_OK;
}

/* A key's name for messages: its first column, "A + B" for a composite one (in the row
 * arena), "@line". */
static const char *key_name(struct imp *im, const int *cols, int n)
{
    if (!n)
        return "@line";
    const char *name = im->p->cols[cols[0]];
    for (int i = 1; i < n && name; i++) {
        const char *joined = imp_join(im, name, '+', im->p->cols[cols[i]]);
        name = joined;
    }
    return name ? name : im->p->cols[cols[0]];
}

/* A row's id: a column's trimmed value, columns' values joined with '/' (each with '\' and
 * '/' escaped by '\', so different values never give one id), or the line number. An
 * empty column rejects the row, naming it. */
static int key_value(struct imp *im, const int *cols, int n, bool line, const char *what,
                     const char **out)
{
    if (line) {
        char *d = imp_alloc(im, 24);
        if (!d)
            return SVP_ENOMEM;
        imp_fmt_i64(im->r->line, d);
        *out = d;
        return SVP_OK;
    }
    if (n == 1) {
        struct val v;
        struct ingest_spec sp = {.col = cols[0], .join = {-1, -1, -1, -1}};
        int rc = imp_raw_value(im, &sp, &v);
        if (rc)
            return rc;
        if (v.kind == V_NULL)
            return imp_bad(im, im->p->cols[cols[0]], "%s is empty", what);
        *out = imp_strndup(im, v.s, v.len);
        return *out ? SVP_OK : SVP_ENOMEM;
    }
    struct val id;
    int rc = imp_composite_id(im, cols, n, false, &id);
    if (rc)
        return rc;
    for (int i = 0; id.kind == V_NULL && i < n; i++) {
        struct val v;
        struct ingest_spec sp = {.col = cols[i], .join = {-1, -1, -1, -1}};
        if ((rc = imp_raw_value(im, &sp, &v)))
            return rc;
        if (v.kind == V_NULL)
            return imp_bad(im, im->p->cols[cols[i]], "%s is empty", what);
    }
    *out = id.s;
    return SVP_OK;
}

/* ------------------------------------------------------------------ the previous row's record */

/* Whether the record section can be remembered from one row to the next: its values read
 * only columns (no expression), and no dry run counts each evaluation. */
static int memo_plan(struct imp *im)
{
    const struct ingest_section *sec = &im->p->secs[im->p->record_sec];
    im->memo_state = -1;
    if (im->opts && im->opts->stats)
        return SVP_OK;
    size_t cap = (size_t)sec->nfields * (INGEST_MAX_JOIN + 1);
    if (!(im->memo_cols = svp_calloc(cap ? cap : 1, sizeof *im->memo_cols)))
        return SVP_ENOMEM;
    for (int i = 0; i < sec->nfields; i++) {
        const struct ingest_spec *sp = &sec->fields[i].spec;
        if (sp->expr)
            return SVP_OK;
        if (sp->col >= 0)
            im->memo_cols[im->nmemo_cols++] = sp->col;
        for (int j = 0; j < INGEST_MAX_JOIN && sp->join[j] >= 0; j++)
            im->memo_cols[im->nmemo_cols++] = sp->join[j];
    }
    svp_buf_init(&im->memo, 1 << 24);
    svp_buf_init(&im->memo_cur, 1 << 24);
    im->memo_state = 1;
    return SVP_OK;
}

/* This row's record inputs into memo_cur: the person id and each column's length and bytes. */
static int memo_key(struct imp *im, const char *pid)
{
    struct svp_buf *b = &im->memo_cur;
    svp_buf_reset(b);
    int rc = svp_buf_append(b, pid, strlen(pid) + 1);
    for (int i = 0; i < im->nmemo_cols && !rc; i++) {
        int at = im->colmap[im->memo_cols[i]];
        size_t n = at < 0 ? 0 : im->r->fields[at].len;
        rc = svp_buf_append(b, &n, sizeof n);
        if (!rc && n)
            rc = svp_buf_append(b, im->r->fields[at].p, n);
    }
    if (rc == SVP_EINPUT) { /* too long to keep: such rows are evaluated as ever */
        svp_buf_reset(b);
        return SVP_OK;
    }
    return rc;
}

/* Whether this row's record is the previous row's: the same person id and the same bytes in
 * every column the record section reads give the same values, hence the same hash; when
 * the record stored for the person has that hash, nothing would be written (*id is it).
 * Compared in place, without copying the row's values. */
static int same_record(struct imp *im, const char *pid, bool *same, int64_t *id)
{
    *same = false;
    if (!im->memo_state) {
        int rc = memo_plan(im);
        if (rc)
            return rc;
    }
    if (im->memo_state < 0 || !im->memo_set)
        return SVP_OK;
    const char *m = im->memo.data, *end = m + im->memo.len;
    size_t n = strlen(pid) + 1;
    if ((size_t)(end - m) < n || memcmp(m, pid, n))
        return SVP_OK;
    m += n;
    for (int i = 0; i < im->nmemo_cols; i++) {
        int at = im->colmap[im->memo_cols[i]];
        size_t len = at < 0 ? 0 : im->r->fields[at].len, was;
        if ((size_t)(end - m) < sizeof was)
            return SVP_OK;
        memcpy(&was, m, sizeof was);
        m += sizeof was;
        if (was != len || (size_t)(end - m) < len || (len && memcmp(m, im->r->fields[at].p, len)))
            return SVP_OK;
        m += len;
    }
    if (m != end)
        return SVP_OK;
    struct svp_smap_val *known = svp_smap_get(&im->records, pid);
    if (known && known->hash == im->memo_h) {
        *same = true;
        *id = known->id;
    }
    return SVP_OK;
}

/* Keeps this row's record inputs and hash for the next row, unless a value was dropped (each
 * row's own line goes to the rejects file, so such a row is evaluated again). */
static int memo_note(struct imp *im, const char *pid, const struct rec_vals *rv)
{
    if (im->memo_state < 0)
        return SVP_OK;
    im->memo_set = false;
    if (im->ndrops || im->drops_over)
        return SVP_OK;
    int rc = memo_key(im, pid);
    if (rc || !im->memo_cur.len)
        return rc;
    struct svp_buf t = im->memo;
    im->memo = im->memo_cur;
    im->memo_cur = t;
    im->memo_h = rv->h;
    im->memo_set = true;
    return SVP_OK;
}

int imp_do_row(struct imp *im, const struct svp_csv_row *row)
{
    const struct ingest_profile *p = im->p;
    im->r = row;
    im->why[0] = '\0';
    im->bad_field = NULL;
    im->ndrops = 0;
    im->drops_over = 0;
    im->cur_pid = NULL;
    imp_reset(im);
    if (row->error)
        return imp_bad(im, "", "%s", row->error);
    if (row->nfields != im->nhdr)
        return imp_bad(im, "", "row has %zu fields but the header has %zu", row->nfields, im->nhdr);
    if (!im->converted) /* converted text (Windows-1252, UTF-16, a workbook) is valid UTF-8 */
        for (int c = 0; c < p->ncols; c++) {
            if (im->colmap[c] < 0)
                continue; /* an optional column the file lacks */
            const struct svp_csv_field *f = &row->fields[im->colmap[c]];
            size_t off;
            if (!svp_utf8_valid(f->p, f->len, &off))
                return imp_bad(im, p->cols[c], "not valid UTF-8 (byte %zu of the value)", off);
        }
    const char *rid, *pid = NULL;
    int rc = key_value(im, p->row_cols, p->nrow_cols, p->row_line, "row id", &rid);
    if (rc)
        return rc;
    long first;
    uint64_t first_hash;
    if ((rc = first_seen_at(im, rid, &first, &first_hash)))
        return rc;
    uint64_t h = 0;
    if (first && (rc = row_hash(im, row, &h)))
        return rc;
    if (first && first_hash == h) {
        /* The same row again: nothing in it is new, so nothing is lost by keeping it once. */
        char why[96];
        snprintf(why, sizeof why, "an exact copy of line %ld; kept once", first);
        im->res->rows_repeated++;
        im->res->rows_accepted++;
        im->res->rows_unchanged++;
        return reject_line(im, row->line, "", why);
    }
    if (first)
        return imp_bad(im, key_name(im, p->row_cols, p->nrow_cols),
                       "duplicate id in this file (first at line %ld)", first);
    if (p->place_sec >= 0)
        return place_row(im, rid);
    if ((rc = key_value(im, p->person_cols, p->nperson_cols, p->person_line, "person id", &pid)))
        return rc;
    im->cur_pid = pid;
    if ((rc = imp_checks(im)))
        return rc;
    /* Every value is computed and checked before anything is written, so a bad row
     * leaves no trace but its line in the rejects file. */
    struct rec_vals rv;
    struct ev_vals ev[INGEST_MAX_SECTIONS];
    bool same_rec = false;
    int64_t rec_id = 0;
    if (p->record_sec >= 0) {
        if ((rc = same_record(im, pid, &same_rec, &rec_id)))
            return rc;
        if (!same_rec) {
            if ((rc = imp_compute_record(im, p->record_sec, &rv)) ||
                (rc = memo_note(im, pid, &rv)))
                return rc;
        }
    }
    /* the other people the row names with their own details ([record NAME]: a victim and a
     * suspect in one row), each computed before anything is written */
    struct rec_vals orv[INGEST_MAX_SECTIONS];
    const char *opid[INGEST_MAX_SECTIONS];
    for (int i = 0; i < p->nsecs; i++) {
        opid[i] = NULL;
        const struct ingest_section *sec = &p->secs[i];
        if (sec->kind != SEC_RECORD || i == p->record_sec)
            continue;
        bool holds;
        struct val who;
        if ((rc = imp_when(im, sec, &holds)))
            return rc;
        if (!holds)
            continue;
        if ((rc = imp_eval(im, &sec->fields[sec->slot[T_PERSON]].spec, &who, true)))
            return rc;
        if (who.kind == V_NULL)
            continue; /* nobody named there on this row */
        if (!(opid[i] = imp_vstr(im, &who)))
            return SVP_ENOMEM;
        if ((rc = imp_compute_record(im, i, &orv[i])))
            return rc;
    }
    for (int i = 0; i < p->nsecs; i++) {
        ev[i].present = false;
        if (p->secs[i].kind == SEC_EVENT && (rc = imp_compute_event(im, i, rid, &ev[i])))
            return rc;
        if (p->secs[i].kind == SEC_RELATIONSHIP) {
            const struct ingest_section *sec = &p->secs[i];
            struct val k, o;
            bool holds;
            if ((rc = imp_when(im, sec, &holds)))
                return rc;
            if (!holds)
                continue;
            if ((rc = imp_eval_field(im, sec, T_REL_KIND, &k)) ||
                (rc = imp_eval(im, &sec->fields[sec->slot[T_REL_OTHER]].spec, &o, true)))
                return rc;
        }
    }
    enum change best = CH_UNCHANGED;
    if (same_rec) {
        /* the record stored for the person has these values: unchanged */
    } else if (p->record_sec >= 0) {
        if ((rc = imp_write_record(im, pid, &rv, &rec_id, &best)))
            return rc;
    } else {
        struct svp_smap_val *k = svp_smap_get(&im->records, pid);
        if (k)
            rec_id = k->id;
        else if ((rc = imp_stub_record(im, pid, row->line, &rec_id)))
            return rc;
    }
    for (int i = 0; i < p->nsecs; i++) {
        if (!opid[i])
            continue;
        int64_t oid;
        enum change och;
        if ((rc = imp_write_record(im, opid[i], &orv[i], &oid, &och)))
            return rc;
        if (och > best)
            best = och;
    }
    int64_t ev_ids[INGEST_MAX_SECTIONS] = {0};
    for (int i = 0; i < p->nsecs; i++) {
        if (!ev[i].present)
            continue;
        enum change ech;
        if (!ev[i].persons) {
            if ((rc = imp_write_event(im, &ev[i], rec_id, &ev_ids[i], &ech)))
                return rc;
            if (ech > best)
                best = ech;
            continue;
        }
        /* An event about someone other than the row's person, or one per listed person
         * (children present at an incident): each gets its own event id. */
        const char *base = ev[i].eid, *q = ev[i].persons, *end = q + strlen(q);
        while (q < end) {
            const char *z = ev[i].sep ? memchr(q, ev[i].sep, (size_t)(end - q)) : NULL;
            if (!z)
                z = end;
            const char *a = q, *b = z;
            while (a < b && isspace((unsigned char)*a))
                a++;
            while (b > a && isspace((unsigned char)b[-1]))
                b--;
            q = z + 1;
            if (b == a)
                continue;
            char *who = imp_strndup(im, a, (size_t)(b - a));
            const char *eid = who ? imp_join(im, base, '/', who) : NULL;
            if (!eid)
                return SVP_ENOMEM;
            ev[i].eid = ev[i].sep ? eid : base;
            int64_t whom;
            if ((rc = imp_resolve_person(im, who, &whom)) ||
                (rc = imp_write_event(im, &ev[i], whom, &ev_ids[i], &ech)))
                return rc;
            if (ech > best)
                best = ech;
        }
    }
    for (int i = 0; i < p->nsecs; i++)
        if (p->secs[i].kind == SEC_RELATIONSHIP &&
            (rc = imp_queue_rels(im, i, rec_id, p->secs[i].event >= 0 ? ev_ids[p->secs[i].event] : 0)))
            return rc;
    if ((rc = seen_row(im, rid, row->line)))
        return rc;
    for (int i = 0; i < im->ndrops; i++) {
        im->res->values_dropped++;
        if ((rc = reject_line(im, row->line, im->drop_field[i], im->drop_why[i])))
            return rc;
    }
    im->res->values_dropped += im->drops_over;
    if (best == CH_NEW)
        im->res->rows_new++;
    else if (best == CH_UPDATED)
        im->res->rows_updated++;
    else
        im->res->rows_unchanged++;
    im->res->rows_accepted++;
    return SVP_OK;
}
