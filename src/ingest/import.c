/* Import: one extract file through its profile into the canonical model.
 *
 * Nothing lost, nothing half-done (DESIGN.md): the good rows of a file and its source_file
 * row go in one transaction, so a killed import leaves all of the file or none of it; each
 * bad row goes to the rejects file with file, line, field and reason, never its values
 * (rejects and logs carry no personal data). The hot path reuses prepared statements, one
 * arena per row and per-file caches of the records and places already seen. */
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IMPORT_MAX_FILE ((size_t)2 << 30) /* 2 GiB: larger extracts should be split */
#define REJECTS_MAX (256u << 20)


static const char *const stmt_sql[S_COUNT] = {
    [S_REC_INSERT] = "INSERT INTO record (source, agency, agency_record_id, given_name, "
                     "middle_names, family_name, dob, sex, ethnicity, postcode, address, area, "
                     "role, norm_given, norm_family, detail, shared_id, file_id, line, "
                     "content_hash, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                     "ON CONFLICT (source, agency_record_id) DO NOTHING RETURNING id",
    [S_REC_SELECT] = "SELECT id, content_hash, given_name, middle_names, family_name, dob, sex, "
                     "ethnicity, postcode, address, area, role, detail, file_id, line, "
                     "shared_id FROM record WHERE source = ? AND agency_record_id = ?",
    [S_REC_UPDATE] = "UPDATE record SET agency = ?, given_name = ?, middle_names = ?, "
                     "family_name = ?, dob = ?, sex = ?, ethnicity = ?, postcode = ?, "
                     "address = ?, area = ?, role = ?, norm_given = ?, norm_family = ?, "
                     "detail = ?, shared_id = ?, file_id = ?, line = ?, content_hash = ?, "
                     "updated_at = ? WHERE id = ?",
    [S_REC_HIST] = "INSERT INTO record_history (record_id, file_id, line, changed_at, previous) "
                   "VALUES (?,?,?,?,?)",
    [S_EV_INSERT] = "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                    "subtype, started_at, ended_at, place_id, detail, file_id, line, "
                    "content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT (source, agency_event_id) DO NOTHING RETURNING id",
    [S_EV_SELECT] = "SELECT id, content_hash, record_id, type, subtype, started_at, ended_at, "
                    "place_id, detail, file_id, line FROM event "
                    "WHERE source = ? AND agency_event_id = ?",
    [S_EV_UPDATE] = "UPDATE event SET record_id = ?, type = ?, subtype = ?, started_at = ?, "
                    "ended_at = ?, place_id = ?, detail = ?, file_id = ?, line = ?, "
                    "content_hash = ? WHERE id = ?",
    [S_EV_HIST] = "INSERT INTO event_history (event_id, file_id, line, changed_at, previous) "
                  "VALUES (?,?,?,?,?)",
    [S_PLACE_INSERT] = "INSERT INTO place (place_key, name, postcode, lat, lon, area, "
                       "in_county, kind) VALUES (?,?,?,?,?,?,?,?) "
                       "ON CONFLICT (place_key) DO NOTHING RETURNING id",
    [S_PLACE_SELECT] = "SELECT id FROM place WHERE place_key = ?",
    [S_REL_EXISTS] = "SELECT id FROM relationship WHERE source = ? AND kind = ? AND "
                     "record_a = ? AND record_b = ? AND COALESCE(event_id, 0) = ?",
    [S_REL_INSERT] = "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                     "event_id, file_id, line) VALUES (?,?,?,?,?,?,?,?)",
    [S_STUB_INSERT] = "INSERT INTO record (source, agency, agency_record_id, role, file_id, "
                      "line, updated_at) VALUES (?,?,?,'unknown',?,?,?) RETURNING id",
    /* SQLite: the stub's id is the connection's last rowid (see S_REC_INSERT_QUIET). */
    [S_STUB_INSERT_QUIET] = "INSERT INTO record (source, agency, agency_record_id, role, "
                            "file_id, line, updated_at) VALUES (?,?,?,'unknown',?,?,?)",
    /* As S_EV_INSERT without RETURNING, for profiles that never need the new event's id
     * (no relationships): SQLite runs it without buffering a result row. */
    [S_EV_INSERT_QUIET] = "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                          "subtype, started_at, ended_at, place_id, detail, file_id, line, "
                          "content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                          "ON CONFLICT (source, agency_event_id) DO NOTHING",
    /* On SQLite a new record's id is read with last_insert_rowid(), which costs far less
     * than RETURNING (that buffers the result in a temporary table); PostgreSQL returns it. */
    [S_REC_INSERT_QUIET] = "INSERT INTO record (source, agency, agency_record_id, given_name, "
                           "middle_names, family_name, dob, sex, ethnicity, postcode, address, "
                           "area, role, norm_given, norm_family, detail, shared_id, file_id, "
                           "line, content_hash, updated_at) VALUES "
                           "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                           "ON CONFLICT (source, agency_record_id) DO NOTHING",
    /* PostgreSQL, an id space with no records yet (see take_record_id): the new record's id
     * is reserved ahead, so nothing waits for the insert's answer. */
    [S_REC_INSERT_ID] = "INSERT INTO record (source, agency, agency_record_id, given_name, "
                        "middle_names, family_name, dob, sex, ethnicity, postcode, address, "
                        "area, role, norm_given, norm_family, detail, shared_id, file_id, "
                        "line, content_hash, updated_at, id) VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [S_STUB_INSERT_ID] = "INSERT INTO record (source, agency, agency_record_id, role, file_id, "
                         "line, updated_at, id) VALUES (?,?,?,'unknown',?,?,?,?)",
    [S_PLACE_UPDATE] = "UPDATE place SET name = COALESCE(?, name), lat = COALESCE(?, lat), "
                       "lon = COALESCE(?, lon), area = COALESCE(?, area), in_county = ?, "
                       "kind = COALESCE(?, kind) WHERE id = ?",
};

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
static void unwrite_rejects(const char *path, long was_size)
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

static int reject(struct imp *im, long line, const char *field, const char *why)
{
    im->res->rows_rejected++;
    return reject_line(im, line, field, why);
}

/* Appends the rejects to their file before the import commits: if they cannot be written
 * the import fails and keeps nothing, so no rejected row is lost behind a committed file
 * that a re-run would call "already imported". *was_size is the file's size before (-1:
 * it did not exist), for unwrite_rejects when the commit then fails. */
static int flush_rejects(struct imp *im, long *was_size)
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
        unwrite_rejects(path, *was_size);
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
static int first_seen_at(struct imp *im, const char *rid, long *line)
{
    *line = 0;
    if (!im->out_of_order) {
        if (!im->n_in_order || strcmp(rid, im->ids_in_order[im->n_in_order - 1].id) > 0)
            return SVP_OK;
        im->out_of_order = true;
        for (size_t i = 0; i < im->n_in_order; i++) {
            const struct seen_id *e = &im->ids_in_order[i];
            int rc = svp_smap_put(&im->seen_rows, e->id, (struct svp_smap_val){0, 0, e->line});
            if (rc)
                return rc;
        }
    }
    struct svp_smap_val *v = svp_smap_get(&im->seen_rows, rid);
    if (v)
        *line = v->line;
    return SVP_OK;
}

/* Notes the id of an accepted row. */
static int seen_row(struct imp *im, const char *rid, long line)
{
    if (im->out_of_order)
        return svp_smap_put(&im->seen_rows, rid, (struct svp_smap_val){0, 0, line});
    struct seen_id *n = svp_grow(im->ids_in_order, &im->cap_in_order, im->n_in_order + 1,
                                 sizeof *n, 1024);
    if (!n)
        return SVP_ENOMEM;
    im->ids_in_order = n;
    const char *copy = svp_arena_strndup(im->run, rid, strlen(rid));
    if (!copy)
        return SVP_ENOMEM;
    im->ids_in_order[im->n_in_order++] = (struct seen_id){copy, line};
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
    struct val v[INGEST_MAX_KEY];
    size_t total = 1;
    for (int i = 0; i < n; i++) {
        struct ingest_spec sp = {.col = cols[i], .join = {-1, -1, -1, -1}};
        int rc = imp_raw_value(im, &sp, &v[i]);
        if (rc)
            return rc;
        if (v[i].kind == V_NULL)
            return imp_bad(im, im->p->cols[cols[i]], "%s is empty", what);
        total += 2 * v[i].len + 1;
    }
    if (n == 1) {
        *out = imp_strndup(im, v[0].s, v[0].len);
        return *out ? SVP_OK : SVP_ENOMEM;
    }
    char *d = imp_alloc(im, total);
    if (!d)
        return SVP_ENOMEM;
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        if (i)
            d[at++] = '/';
        for (size_t k = 0; k < v[i].len; k++) {
            if (v[i].s[k] == '/' || v[i].s[k] == '\\')
                d[at++] = '\\';
            d[at++] = v[i].s[k];
        }
    }
    d[at] = '\0';
    *out = d;
    return SVP_OK;
}

static int do_row(struct imp *im, const struct svp_csv_row *row)
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
    if (!p->cp1252)
        for (int c = 0; c < p->ncols; c++) {
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
    if ((rc = first_seen_at(im, rid, &first)))
        return rc;
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
    if (p->record_sec >= 0 && (rc = imp_compute_record(im, &rv)))
        return rc;
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
    int64_t rec_id = 0;
    enum change best = CH_UNCHANGED;
    if (p->record_sec >= 0) {
        if ((rc = imp_write_record(im, pid, &rv, &rec_id, &best)))
            return rc;
    } else {
        struct svp_smap_val *k = svp_smap_get(&im->records, pid);
        if (k)
            rec_id = k->id;
        else if ((rc = imp_stub_record(im, pid, row->line, &rec_id)))
            return rc;
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

/* ------------------------------------------------------------------ the file */

static int read_whole(const char *path, char **out, size_t *len, struct svp_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, errno == ENOENT ? SVP_ENOTFOUND : SVP_EIO, path, 0, NULL,
                          "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "not a regular file");
    }
    if ((size_t)sb.st_size > IMPORT_MAX_FILE) {
        fclose(f);
        return svp_err_at(err, SVP_EINPUT, path, 0, NULL,
                          "file is larger than 2 GiB: split the extract");
    }
    size_t n = (size_t)sb.st_size;
    char *buf = svp_malloc(n + 1);
    if (!buf) {
        fclose(f);
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", path);
    }
    size_t got = fread(buf, 1, n, f);
    bool bad_read = ferror(f) || got != n;
    fclose(f);
    if (bad_read) {
        svp_free(buf);
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "read error");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return SVP_OK;
}

static int prepare_all(struct imp *im)
{
    for (int i = 0; i < S_COUNT; i++) {
        if (!im->sqlite && (i == S_REC_INSERT_QUIET || i == S_STUB_INSERT_QUIET))
            continue; /* SQLite only */
        if (im->sqlite && (i == S_REC_INSERT_ID || i == S_STUB_INSERT_ID || i == S_STUB_INSERT))
            continue; /* PostgreSQL only */
        int rc = store_prepare(im->s, stmt_sql[i], &im->st[i], im->err);
        if (rc)
            return rc;
    }
    return SVP_OK;
}

/* A file the profile says is UTF-8 but which holds no well-formed multi-byte sequence and
 * malformed bytes on several lines was written in a single-byte encoding (Windows-1252 exports are
 * common): every name with an accent would be rejected, so the file is refused whole. One
 * line with malformed bytes (binary junk in a row) is a bad row instead. */
static bool looks_single_byte(const char *s, size_t n)
{
    size_t good = 0, bad_lines = 0, line = 0, last_bad_line = (size_t)-1;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            line += c == '\n';
            i++;
            continue;
        }
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (len > 1 && i + len <= n && svp_utf8_valid(s + i, len, NULL)) {
            good++;
            i += len;
            continue;
        }
        if (line != last_bad_line)
            bad_lines++;
        last_bad_line = line;
        i++;
    }
    return good == 0 && bad_lines >= 2;
}

/* Checks the header names every column the profile maps and builds colmap. */
static int check_header(struct imp *im, const struct svp_csv_row *h)
{
    if (h->error)
        return svp_err_at(im->err, SVP_EINPUT, im->path, h->line, NULL,
                          "header cannot be read: %s", h->error);
    im->nhdr = h->nfields;
    im->hdr = svp_calloc(h->nfields ? h->nfields : 1, sizeof *im->hdr);
    if (!im->hdr)
        return SVP_ENOMEM;
    for (size_t i = 0; i < h->nfields; i++) {
        size_t off;
        if (!svp_utf8_valid(h->fields[i].p, h->fields[i].len, &off))
            return svp_err_at(im->err, SVP_EINPUT, im->path, h->line, NULL,
                              "header is not valid UTF-8: is the file's encoding %s?",
                              im->p->cp1252 ? "windows-1252" : "utf-8 (the profile says so)");
        const char *s = h->fields[i].p;
        size_t n = h->fields[i].len;
        while (n && isspace((unsigned char)*s))
            s++, n--;
        while (n && isspace((unsigned char)s[n - 1]))
            n--;
        char *c = svp_strndup(s, n);
        if (!c)
            return SVP_ENOMEM;
        im->hdr[i] = c;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(im->hdr[j], c))
                return svp_err_at(im->err, SVP_EINPUT, im->path, h->line, NULL,
                                  "header names column '%.60s' twice", c);
    }
    for (int c = 0; c < im->p->ncols; c++) {
        size_t i = 0;
        while (i < im->nhdr && strcmp(im->hdr[i], im->p->cols[c]))
            i++;
        if (i == im->nhdr)
            return svp_err_at(im->err, SVP_EINPUT, im->path, h->line, NULL,
                              "header lacks column '%.60s' that profile %s maps: is this the "
                              "right profile (and delimiter) for this file?",
                              im->p->cols[c], im->p->name);
        im->colmap[c] = (int)i;
    }
    return SVP_OK;
}

static int already(struct imp *im, const char *hash, bool *found)
{
    struct store_stmt *st = NULL;
    *found = false;
    int rc = store_prepare(im->s,
                           "SELECT id, rows_read, rows_accepted, rows_rejected, values_dropped "
                           "FROM source_file WHERE source = ? AND sha256 = ?",
                           &st, im->err);
    if (rc)
        return rc;
    if (!(rc = store_bind_text_ref(st, 1, im->p->name, -1)) &&
        !(rc = store_bind_text_ref(st, 2, hash, -1))) {
        rc = store_step(st, im->err);
        if (rc == STORE_ROW) {
            *found = true;
            im->res->file_id = store_column_int64(st, 0);
            im->res->rows_read = store_column_int64(st, 1);
            im->res->rows_accepted = store_column_int64(st, 2);
            im->res->rows_rejected = store_column_int64(st, 3);
            im->res->rows_unchanged = im->res->rows_accepted;
            im->res->values_dropped = store_column_int64(st, 4);
        }
        rc = rc < 0 ? rc : SVP_OK;
    }
    store_finalize(&st);
    return rc;
}

static int begin_file(struct imp *im, const char *hash)
{
    struct store_stmt *st = NULL;
    /* Another import of the same bytes may have begun after already() looked: its
     * transaction holds the write lock, so this insert waits for it and then, seeing its
     * row, inserts nothing (the caller reports "already imported"), not a UNIQUE error. */
    int rc = store_prepare(im->s,
                           "INSERT INTO source_file (source, agency, path, sha256, imported_at, "
                           "encoding) VALUES (?,?,?,?,?,?) "
                           "ON CONFLICT (source, sha256) DO NOTHING RETURNING id",
                           &st, im->err);
    if (rc)
        return rc;
    if (!(rc = store_bind_text_ref(st, 1, im->p->name, -1)) &&
        !(rc = store_bind_text_ref(st, 2, im->p->agency, -1)) &&
        !(rc = store_bind_text_ref(st, 3, im->path, -1)) &&
        !(rc = store_bind_text_ref(st, 4, hash, -1)) &&
        !(rc = store_bind_text_ref(st, 5, im->now, -1)) &&
        !(rc = store_bind_text_ref(st, 6, im->p->cp1252 ? "windows-1252" : "utf-8", -1))) {
        rc = store_step(st, im->err);
        if (rc == STORE_ROW) {
            im->file_id = im->res->file_id = store_column_int64(st, 0);
            rc = SVP_OK;
        } else if (rc == STORE_DONE) {
            im->raced = true; /* imported meanwhile by another process */
            rc = SVP_OK;
        }
    }
    store_finalize(&st);
    return rc;
}

/* Whether table holds no row with this source (the file's rows are then all new). */
static int source_is_new(struct imp *im, const char *sql, const char *source, bool *yes)
{
    struct store_stmt *st = NULL;
    *yes = false;
    int rc = store_prepare(im->s, sql, &st, im->err);
    if (!rc && !(rc = store_bind_text_ref(st, 1, source, -1)) &&
        (rc = store_step(st, im->err)) >= 0) {
        *yes = rc == STORE_DONE;
        rc = SVP_OK;
    }
    store_finalize(&st);
    return rc;
}

/* Whether the import can queue its inserts (store_queue) instead of waiting for each.
 * Events: when the source has no events yet, so every one is new, and no relationship
 * needs an event's id. Records, on PostgreSQL (which answers each statement over the
 * network): when the id space has no records yet; their ids are then reserved ahead. */
static int plan_queues(struct imp *im)
{
    int rc = SVP_OK;
    bool new_source = false;
    if (!im->nrelsecs || !im->sqlite)
        rc = source_is_new(im, "SELECT id FROM event WHERE source = ? LIMIT 1", im->p->name,
                           &new_source);
    /* PostgreSQL, a source's first file: the bulk path (stage.c). */
    if (!rc && new_source && !im->sqlite && im->p->id_space && im->p->place_sec < 0)
        return imp_stage_start(im);
    im->queue_events = new_source && !im->nrelsecs;
    if (!rc && !im->sqlite && im->p->id_space)
        rc = source_is_new(im, "SELECT id FROM record WHERE source = ? LIMIT 1",
                           im->p->id_space, &im->queue_records);
    return rc;
}


static int end_file(struct imp *im)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(im->s,
                           "UPDATE source_file SET rows_read = ?, rows_accepted = ?, "
                           "rows_rejected = ?, rows_new = ?, rows_updated = ?, "
                           "rows_unchanged = ?, values_dropped = ? WHERE id = ?",
                           &st, im->err);
    if (rc)
        return rc;
    const struct ingest_result *r = im->res;
    int64_t v[8] = {r->rows_read,    r->rows_accepted,  r->rows_rejected,  r->rows_new,
                    r->rows_updated, r->rows_unchanged, r->values_dropped, im->file_id};
    for (int i = 0; i < 8 && !rc; i++)
        rc = store_bind_int64(st, i + 1, v[i]);
    if (!rc)
        rc = store_step(st, im->err);
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

static int run_rows(struct imp *im, struct svp_csv *csv, size_t total)
{
    struct svp_progress pg;
    svp_progress_start(&pg, im->path, total, im->opts ? im->opts->quiet : true);
    struct svp_csv_row row;
    int rc;
    while ((rc = svp_csv_next(csv, &row, im->err)) == 1) {
        if (row.nfields == 1 && row.fields[0].len == 0 && !row.error)
            continue; /* a blank line */
        im->res->rows_read++;
        im->last_ragged = row.error || row.nfields != im->nhdr;
        rc = do_row(im, &row);
        if (rc == SVP_EINPUT) {
            if ((rc = reject(im, row.line, im->bad_field, im->why)))
                return rc;
        } else if (rc) {
            return rc == SVP_ENOMEM ? svp_err_set(im->err, SVP_ENOMEM, "out of memory") : rc;
        }
        if ((im->res->rows_read & 1023) == 0) {
            svp_progress_update(&pg, svp_csv_offset(csv));
            if ((rc = imp_stage_maybe_flush(im)))
                return rc;
        }
        if (im->opts && im->opts->kill_at_row && im->res->rows_read == im->opts->kill_at_row)
            raise(SIGKILL);
        if (im->opts && im->opts->max_rows && im->res->rows_read >= im->opts->max_rows) {
            im->stopped_early = true;
            break;
        }
    }
    svp_progress_end(&pg, svp_csv_offset(csv));
    if (rc == 0 && im->no_final_newline && im->last_ragged && !im->stopped_early)
        return svp_err_at(im->err, SVP_EINPUT, im->path, 0, NULL,
                          "file does not end with a line end and its last row cannot be read "
                          "whole: it may have been cut short; nothing imported");
    if (rc < 0) {
        /* An unterminated quote swallows the rest of the file: refuse it whole rather than
         * keep a file whose end we cannot see. */
        im->err->code = rc;
        svp_strlcpy(im->err->file, im->path, sizeof im->err->file);
        return rc;
    }
    return SVP_OK;
}

static void imp_free(struct imp *im)
{
    for (int i = 0; i < S_COUNT; i++)
        store_finalize(&im->st[i]);
    for (size_t i = 0; i < im->nhdr && im->hdr; i++)
        svp_free((void *)im->hdr[i]);
    svp_free(im->hdr);
    svp_free(im->colmap);
    svp_free(im->rels);
    svp_arena_free(&im->row);
    svp_free(im->bump);
    svp_arena_free(&im->run);
    svp_smap_free(&im->seen_rows);
    svp_free(im->ids_in_order);
    svp_smap_free(&im->records);
    svp_smap_free(&im->places);
    svp_smap_free(&im->rels_stored);
    svp_buf_free(&im->rejects);
    imp_expr_free(im);
    imp_stage_free(im);
}

int ingest_import_file(struct store *s, const struct ingest_profile *p, const char *path,
                       const struct ingest_opts *opts, struct ingest_result *res,
                       struct svp_err *err)
{
    memset(res, 0, sizeof *res);
    svp_err_clear(err);
    char *data = NULL, *conv = NULL;
    size_t len = 0;
    int rc = read_whole(path, &data, &len, err);
    if (rc)
        return rc;
    if (len == 0) {
        svp_free(data);
        return svp_err_at(err, SVP_EINPUT, path, 0, NULL, "file is empty: no header");
    }
    /* GnuTLS hashes with the CPU's SHA instructions: a third of libsodium's time, on
     * every byte of every extract. */
    unsigned char digest[32];
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, digest) < 0) {
        svp_free(data);
        return svp_err_set(err, SVP_EINTERNAL, "%s: cannot compute SHA-256", path);
    }
    char hash[65];
    for (int i = 0; i < 32; i++)
        snprintf(hash + 2 * i, 3, "%02x", digest[i]);
    const char *text = data;
    size_t tlen = len;
    if (!p->cp1252 && looks_single_byte(data, len)) {
        svp_free(data);
        return svp_err_at(err, SVP_EINPUT, path, 0, NULL,
                          "not UTF-8 as profile %s says: it looks like a single-byte encoding "
                          "(windows-1252?); nothing imported", p->name);
    }
    if (p->cp1252) {
        if ((rc = svp_cp1252_to_utf8(data, len, &conv, &tlen, err))) {
            svp_free(data);
            return svp_err_at(err, rc, path, 0, NULL, "not windows-1252 text as profile %s "
                              "says: %s", p->name, err->msg);
        }
        text = conv;
    }
    struct imp im = {.s = s, .p = p, .path = path, .opts = opts, .res = res, .err = err};
    /* A file cut short: its last line has no line end. Unless that line ends with a closed
     * quote (and reads whole: run_rows), its last value may be cut (an NHS number that lost
     * digits is still a number), so the file is refused whole. */
    im.no_final_newline = text[tlen - 1] != '\n' && text[tlen - 1] != '\r';
    if (im.no_final_newline && text[tlen - 1] != '"') {
        svp_free(conv);
        svp_free(data);
        return svp_err_at(err, SVP_EINPUT, path, 0, NULL,
                          "file does not end with a line end: it may have been cut short and "
                          "its last value cut; nothing imported (if the file is whole, add a "
                          "final newline)");
    }
    for (int i = 0; i < p->nsecs; i++)
        im.nrelsecs += p->secs[i].kind == SEC_RELATIONSHIP;
    im.sqlite = store_kind(s) == STORE_SQLITE;
    time_t now = time(NULL);
    svp_time_format((svp_time)now, im.now, sizeof im.now);
    svp_day today = svp_date_today();
    if (opts && opts->as_of && *opts->as_of &&
        svp_date_parse_iso(opts->as_of, strlen(opts->as_of), &today, NULL)) {
        svp_free(conv);
        svp_free(data);
        return svp_err_set(err, SVP_EINPUT, "the extract's date (--as-of) must be YYYY-MM-DD");
    }
    svp_date_format(today, im.today, sizeof im.today);
    int ty, tm, td;
    svp_date_to_ymd(today, &ty, &tm, &td);
    im.today_year = ty;
    svp_date_format(svp_date_add_months(today, -12 * INGEST_MAX_AGE), im.oldest,
                    sizeof im.oldest);
    svp_date_format(svp_date_add_months(today, -12 * 18), im.adult_before,
                    sizeof im.adult_before);
    svp_buf_init(&im.rejects, REJECTS_MAX);
    im.colmap = svp_calloc((size_t)p->ncols + 1, sizeof *im.colmap);
    im.row = svp_arena_new(32 * 1024);
    im.bump = svp_malloc(BUMP_SIZE);
    im.run = svp_arena_new(64 * 1024);
    struct svp_csv *csv = NULL;
    struct svp_csv_opts co = {.delim = p->delim};
    bool in_tx = false;
    if (!im.colmap || !im.row || !im.run || !im.bump) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto out;
    }
    bool found;
    if ((rc = already(&im, hash, &found)))
        goto out;
    if (found) {
        res->already_imported = true;
        goto out;
    }
    if ((rc = svp_csv_open_mem(text, tlen, &co, &csv, err)))
        goto out;
    struct svp_csv_row h;
    rc = svp_csv_next(csv, &h, err);
    if (rc <= 0) {
        if (rc == 0)
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "file has no header");
        else
            svp_strlcpy(err->file, path, sizeof err->file);
        goto out;
    }
    if ((rc = check_header(&im, &h)))
        goto out;
    /* A large page cache keeps the indexes of a county-sized import in memory instead of
     * re-reading them from the file for every row (SQLite's default is 2 MB). */
    if (store_kind(s) == STORE_SQLITE &&
        (rc = store_exec(s, "PRAGMA cache_size = -262144", err)))
        goto out;
    if ((rc = prepare_all(&im)) || (rc = imp_expr_prepare_all(&im)))
        goto out;
    if ((rc = store_begin(s, err)))
        goto out;
    in_tx = true;
    if ((rc = begin_file(&im, hash)))
        goto out;
    if (!im.raced &&
        ((rc = plan_queues(&im)) ||
        (rc = run_rows(&im, csv, tlen)) || (rc = store_flush(s, err)) ||
        (rc = imp_resolve_rels(&im)) || (rc = imp_stage_flush(&im)) || (rc = imp_ids_end(&im)) ||
        (rc = end_file(&im))))
        goto out;
    if (im.raced) {
        store_rollback(s);
        in_tx = false;
        if ((rc = already(&im, hash, &found)))
            goto out;
        if (!found) {
            rc = svp_err_set(err, SVP_EDB, "%s: source_file insert gave no id", path);
            goto out;
        }
        res->already_imported = true;
        goto out;
    }
    long rejects_was;
    if ((rc = flush_rejects(&im, &rejects_was)))
        goto out;
    if ((rc = store_commit(s, err))) {
        if (im.rejects.len && !(opts && opts->rejects_out))
            unwrite_rejects(im.res->rejects_path, rejects_was);
        goto out;
    }
    in_tx = false;
    svp_log(SVP_LOG_INFO,
            "import %s: file %lld, %lld rows read, %lld accepted, %lld rejected, "
            "%lld values dropped",
            p->name, (long long)im.file_id, (long long)res->rows_read,
            (long long)res->rows_accepted, (long long)res->rows_rejected,
            (long long)res->values_dropped);
out:
    if (rc == SVP_ENOMEM && !err->msg[0]) /* helpers that only return the status */
        svp_err_at(err, rc, path, 0, NULL, "out of memory importing the file");
    if (in_tx) {
        store_rollback(s);
        int64_t keep = res->file_id;
        memset(res, 0, sizeof *res);
        res->file_id = keep;
    }
    svp_csv_free(&csv);
    imp_free(&im);
    svp_free(conv);
    svp_free(data);
    return rc;
}

/* ------------------------------------------------------------------ manifest */

int ingest_manifest_read(const char *dir, struct ingest_manifest_entry **out, size_t *n,
                         struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    char path[1100];
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_file(path, NULL, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row row;
    int fcol = -1, pcol = -1, acol = -1;
    size_t cap = 0;
    struct ingest_manifest_entry *v = NULL;
    rc = svp_csv_next(csv, &row, err);
    if (rc == 0)
        rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "manifest is empty");
    if (rc == 1) {
        for (size_t i = 0; i < row.nfields; i++) {
            if (!strcmp(row.fields[i].p, "file") || !strcmp(row.fields[i].p, "path"))
                fcol = (int)i;
            if (!strcmp(row.fields[i].p, "profile"))
                pcol = (int)i;
            if (!strcmp(row.fields[i].p, "as_of"))
                acol = (int)i;
        }
        rc = fcol < 0 || pcol < 0 ? svp_err_at(err, SVP_EINPUT, path, 1, NULL,
                                               "manifest header needs columns 'file' and "
                                               "'profile'")
                                  : SVP_OK;
    }
    while (rc == SVP_OK && (rc = svp_csv_next(csv, &row, err)) == 1) {
        rc = SVP_OK;
        if (row.nfields == 1 && row.fields[0].len == 0)
            continue;
        if (row.error || row.nfields <= (size_t)(fcol > pcol ? fcol : pcol)) {
            rc = svp_err_at(err, SVP_EINPUT, path, row.line, NULL, "bad manifest row");
            break;
        }
        const char *f = row.fields[fcol].p;
        if (!*f || strstr(f, "..") || f[0] == '/') {
            rc = svp_err_at(err, SVP_EINPUT, path, row.line, "file",
                            "file must be a path inside the folder");
            break;
        }
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            struct ingest_manifest_entry *nv = svp_realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            v = nv;
            cap = nc;
        }
        struct ingest_manifest_entry *e = &v[(*n)++];
        if ((size_t)snprintf(e->path, sizeof e->path, "%s/%s", dir, f) >= sizeof e->path ||
            svp_strlcpy(e->profile, row.fields[pcol].p, sizeof e->profile) >= sizeof e->profile) {
            rc = svp_err_at(err, SVP_EINPUT, path, row.line, NULL, "path or profile too long");
            break;
        }
        e->line = row.line;
        e->as_of[0] = '\0';
        if (acol >= 0 && (size_t)acol < row.nfields && row.fields[acol].len) {
            svp_day day;
            if (svp_date_parse_iso(row.fields[acol].p, row.fields[acol].len, &day, NULL)) {
                rc = svp_err_at(err, SVP_EINPUT, path, row.line, "as_of",
                                "as_of must be the extract's date as YYYY-MM-DD");
                break;
            }
            svp_date_format(day, e->as_of, sizeof e->as_of);
        }
    }
    svp_csv_free(&csv);
    if (rc < 0) {
        svp_free(v);
        *n = 0;
        return rc;
    }
    *out = v;
    return SVP_OK;
}
