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
#include <strings.h>
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

/* SQLite reads a new place's id from the connection (RETURNING would buffer it). */
static const char place_insert_sqlite[] =
    "INSERT INTO place (place_key, name, postcode, lat, lon, area, in_county, kind) "
    "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (place_key) DO NOTHING";

static int prepare_all(struct imp *im)
{
    for (int i = 0; i < S_COUNT; i++) {
        if (im->sqlite && i == S_PLACE_INSERT) {
            int rc = store_prepare(im->s, place_insert_sqlite, &im->st[i], im->err);
            if (rc)
                return rc;
            continue;
        }
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

/* The lines footer_lines cut from the end must be a footer (a total, "End of report"),
 * never rows: a file cut short would otherwise lose its last rows without a word. */
static int check_footer(struct imp *im, const char *foot, size_t n)
{
    if (!im->p->footer_lines)
        return SVP_OK;
    struct svp_csv_opts o = {.delim = im->p->delim};
    struct svp_csv *csv = NULL;
    struct svp_csv_row r;
    int rc = svp_csv_open_mem(foot, n, &o, &csv, im->err);
    int k = 0;
    while (!rc && (rc = svp_csv_next(csv, &r, im->err)) == 1) {
        rc = 0;
        if (r.nfields == 1 && !r.fields[0].len)
            continue;
        k++;
        if (r.nfields >= im->nhdr && im->nhdr > 1) {
            svp_csv_free(&csv);
            return svp_err_at(im->err, SVP_EINPUT, im->path, 0, NULL,
                              "the last %d lines should be the report's footer (footer_lines = "
                              "%d) but line %d of them reads as a row: is the file cut short? "
                              "nothing imported",
                              im->p->footer_lines, im->p->footer_lines, k);
        }
    }
    svp_csv_free(&csv);
    if (rc < 0)
        return rc;
    if (k < im->p->footer_lines)
        return svp_err_at(im->err, SVP_EINPUT, im->path, 0, NULL,
                          "the file ends before its footer of %d lines (footer_lines): is it "
                          "cut short? nothing imported",
                          im->p->footer_lines);
    return SVP_OK;
}

/* Checks the header names every column the profile maps and builds colmap. */
/* Whether a column before the one being named has name s. */
static bool header_taken(void *ctx, const char *s)
{
    const struct imp *im = ctx;
    for (size_t j = 0; j < im->nhdr_named; j++)
        if (!strcmp(im->hdr[j], s))
            return true;
    return false;
}

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
                              "header is not valid UTF-8: is the file's encoding %s%s?",
                              im->encoding, im->p->cp1252 ? "" : " (the profile says so)");
        const char *s = h->fields[i].p;
        size_t n = h->fields[i].len;
        svp_trim(&s, &n);
        char *c = svp_strndup(s, n);
        if (!c)
            return SVP_ENOMEM;
        im->nhdr_named = i; /* the columns before this one, for header_taken */
        int rc = ingest_header_unique(&c, header_taken, im);
        if (rc) {
            svp_free(c);
            return rc;
        }
        im->hdr[i] = c;
    }
    for (int c = 0; c < im->p->ncols; c++) {
        size_t i = 0;
        while (i < im->nhdr && strcmp(im->hdr[i], im->p->cols[c]))
            i++;
        if (i == im->nhdr) {
            /* a system that changed its header's case ("SURNAME" for "Surname"): the one
             * column that matches but for case */
            size_t at = im->nhdr, n = 0;
            for (size_t j = 0; j < im->nhdr; j++)
                if (!strcasecmp(im->hdr[j], im->p->cols[c]))
                    at = j, n++;
            if (n == 1)
                i = at;
        }
        if (i == im->nhdr && im->p->col_optional[c]) {
            im->colmap[c] = -1; /* NAME?: a column this file lacks reads as empty */
            continue;
        }
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
        !(rc = store_bind_text_ref(st, 6, im->encoding, -1))) {
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
    /* PostgreSQL: the bulk path (stage.c), a source's first file and its later ones. */
    if (!rc && !im->sqlite && im->p->id_space && im->p->place_sec < 0)
        return imp_stage_start(im, new_source);
    /* PostgreSQL, a list of places: places.c */
    if (!rc && !im->sqlite && im->p->place_sec >= 0)
        return imp_places_start(im);
    im->queue_events = new_source && !im->nrelsecs;
    if (!rc)
        rc = imp_batch_plan(im, &im->rec_batch);
    /* SQLite, an id space with records: they are read into the map when the file is large
     * against them (at least a quarter as many lines as the id space has records, counted on
     * its index: reading one costs about what finding one person with a SELECT saves), so
     * that a person the file names again needs no SELECT (and an unchanged record no
     * statement at all) */
    if (!rc && im->sqlite && !im->rec_batch && im->p->id_space && im->p->place_sec < 0) {
        int64_t held = 0;
        struct store_stmt *st = NULL;
        rc = store_prepare(im->s, "SELECT COUNT(*) FROM record WHERE source = ?", &st, im->err);
        if (!rc && !(rc = store_bind_text_ref(st, 1, im->p->id_space, -1)) &&
            (rc = store_step(st, im->err)) == STORE_ROW) {
            held = store_column_int64(st, 0);
            rc = SVP_OK;
        }
        store_finalize(&st);
        if (!rc && held && im->body_lines * 4 >= held)
            rc = imp_preload_records(im);
    }
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
        rc = imp_do_row(im, &row);
        if (rc == SVP_EINPUT) {
            if ((rc = imp_reject(im, row.line, im->bad_field, im->why)))
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
    imp_places_free(im);
    svp_smap_free(&im->rels_stored);
    svp_free(im->memo_cols);
    svp_free(im->jkeys);
    svp_buf_free(&im->memo);
    svp_buf_free(&im->memo_cur);
    svp_free(im->evb);
    svp_free(im->relb);
    svp_arena_free(&im->evb_arena);
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
    const char *text = data, *encoding = p->cp1252 ? "windows-1252" : "utf-8";
    size_t tlen = len;
    int utf16 = svp_utf16_bom(data, len);
    if (utf16) {
        /* UTF-16 with its byte order mark (Excel's "Unicode Text", SQL Server): the mark says
         * what the file is, whatever the profile's encoding */
        if ((rc = svp_utf16_to_utf8(data, len, false, &conv, &tlen, err))) {
            svp_free(data);
            return svp_err_at(err, rc, path, 0, NULL, "%s; nothing imported", err->msg);
        }
        text = conv;
        encoding = utf16 == 1 ? "utf-16le" : "utf-16be";
        if (!tlen) {
            svp_free(conv);
            svp_free(data);
            return svp_err_at(err, SVP_EINPUT, path, 0, NULL, "file is empty: no header");
        }
    } else if (ingest_is_xlsx(data, len)) {
        /* an Excel workbook: its sheet as CSV text (UTF-8, the profile's separator) */
        if ((rc = ingest_xlsx_to_csv(data, len, p->sheet, p->delim, &conv, &tlen, err))) {
            svp_free(data);
            svp_strlcpy(err->file, path, sizeof err->file);
            return rc;
        }
        text = conv;
    } else if (!p->cp1252 && looks_single_byte(data, len)) {
        svp_free(data);
        return svp_err_at(err, SVP_EINPUT, path, 0, NULL,
                          "not UTF-8 as profile %s says: it looks like a single-byte encoding "
                          "(windows-1252?); nothing imported", p->name);
    }
    if (p->cp1252 && !utf16 && !conv) {
        if ((rc = svp_cp1252_to_utf8(data, len, &conv, &tlen, err))) {
            svp_free(data);
            return svp_err_at(err, rc, path, 0, NULL, "not windows-1252 text as profile %s "
                              "says: %s", p->name, err->msg);
        }
        text = conv;
    }
    struct imp im = {.s = s, .p = p, .path = path, .opts = opts, .res = res, .err = err,
                     .encoding = encoding, .converted = conv != NULL};
    /* A file cut short: its last line has no line end. Unless that line ends with a closed
     * quote (and reads whole: run_rows), its last value may be cut (an NHS number that lost
     * digits is still a number), so the file is refused whole. */
    im.no_final_newline = text[tlen - 1] != '\n' && text[tlen - 1] != '\r';
    if (im.no_final_newline && text[tlen - 1] != '"' && !p->footer_lines) {
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
    size_t body_len;
    long first_line;
    const char *body = ingest_from_header(p, text, tlen, &body_len, &first_line);
    struct svp_csv_opts co = {.delim = p->delim, .first_line = first_line};
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
    if ((rc = svp_csv_open_mem(body, body_len, &co, &csv, err)))
        goto out;
    for (const char *q = body, *e = body + body_len; (q = memchr(q, '\n', (size_t)(e - q)));
         q++)
        im.body_lines++;
    struct svp_csv_row h;
    rc = svp_csv_next(csv, &h, err);
    if (rc <= 0) {
        if (rc == 0 && p->footer_lines)
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL,
                            "the file ends before its footer of %d lines (footer_lines) and a "
                            "header: is it cut short? nothing imported",
                            p->footer_lines);
        else if (rc == 0)
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "file has no header");
        else
            svp_strlcpy(err->file, path, sizeof err->file);
        goto out;
    }
    if ((rc = check_header(&im, &h)) ||
        (rc = check_footer(&im, body + body_len, (size_t)(text + tlen - body - body_len))))
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
        (rc = run_rows(&im, csv, tlen)) || (rc = imp_batch_end(&im)) ||
        (rc = imp_events_flush(&im)) ||
        (rc = store_flush(s, err)) ||
        (rc = imp_resolve_rels(&im)) || (rc = imp_stage_flush(&im)) || (rc = imp_places_end(&im)) ||
        (rc = imp_ids_end(&im)) ||
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
    if ((rc = imp_flush_rejects(&im, &rejects_was)))
        goto out;
    if ((rc = store_commit(s, err))) {
        if (im.rejects.len && !(opts && opts->rejects_out))
            imp_unwrite_rejects(im.res->rejects_path, rejects_was);
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
