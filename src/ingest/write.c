/* Writing one row's values: records (with their history), places and events, through the
 * prepared statements of struct imp (relationships: rels.c; PostgreSQL's bulk path:
 * stage.c). Every value was computed and checked (eval.c) before anything here runs. */
#include "import_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ binding helpers */

int imp_bind_opt(struct store_stmt *st, int i, const char *s)
{
    return s ? store_bind_text_ref(st, i, s, -1) : store_bind_null(st, i);
}

static uint64_t hash_strs(const char *const *v, int n)
{
    /* FNV-1a (svp_fnv1a_str) written out: the stored hashes are these, so only the calls
     * go; each value, or 0x01 for none, then 0x1f */
    uint64_t h = SVP_FNV1A_START;
    for (int i = 0; i < n; i++) {
        if (v[i])
            for (const unsigned char *p = (const unsigned char *)v[i]; *p; p++)
                h = (h ^ *p) * 1099511628211ull;
        else
            h = (h ^ 0x01) * 1099511628211ull;
        h = (h ^ 0x1f) * 1099511628211ull;
    }
    return h;
}

void imp_hash_hex(uint64_t h, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

/* The current values of a row as a JSON object, for the history tables. */
int imp_previous_json(struct store_stmt *st, int first, char **out)
{
    struct svp_buf b;
    svp_buf_init(&b, 1 << 24);
    int rc = svp_buf_putc(&b, '{');
    bool any = false;
    for (int c = first; c < store_column_count(st) && !rc; c++) {
        const char *t = store_column_text(st, c);
        if (!t)
            continue;
        if (any)
            rc = svp_buf_putc(&b, ',');
        const char *name = store_column_name(st, c);
        if (!rc)
            rc = imp_json_str(&b, name, strlen(name));
        if (!rc)
            rc = svp_buf_putc(&b, ':');
        if (!rc)
            rc = imp_json_str(&b, t, strlen(t));
        any = true;
    }
    if (!rc)
        rc = svp_buf_putc(&b, '}');
    if (rc) {
        svp_buf_free(&b);
        return rc;
    }
    *out = svp_buf_take(&b);
    return *out ? SVP_OK : SVP_ENOMEM;
}

/* The same from names and values (NULL: left out), for a record staged in this file. */
static int previous_json_vals(const char *const *names, const char *const *vals, int n,
                              char **out)
{
    struct svp_buf b;
    svp_buf_init(&b, 1 << 24);
    int rc = svp_buf_putc(&b, '{');
    bool any = false;
    for (int c = 0; c < n && !rc; c++) {
        if (!vals[c])
            continue;
        if (any)
            rc = svp_buf_putc(&b, ',');
        if (!rc)
            rc = imp_json_str(&b, names[c], strlen(names[c]));
        if (!rc)
            rc = svp_buf_putc(&b, ':');
        if (!rc)
            rc = imp_json_str(&b, vals[c], strlen(vals[c]));
        any = true;
    }
    if (!rc)
        rc = svp_buf_putc(&b, '}');
    if (rc) {
        svp_buf_free(&b);
        return rc;
    }
    *out = svp_buf_take(&b);
    return *out ? SVP_OK : SVP_ENOMEM;
}

/* ------------------------------------------------------------------ records */


/* A span's arena copy, or NULL when it is empty. */
static int span_str(struct imp *im, struct svp_span sp, const char **out)
{
    *out = NULL;
    if (!sp.p || !sp.n)
        return SVP_OK;
    *out = imp_strndup(im, sp.p, sp.n);
    return *out ? SVP_OK : SVP_ENOMEM;
}

/* Splits a full name into given, middle and family names, the title and suffix that are
 * never compared as names, and a known-as name written in it (base: svp_name_split). */
static int split_name(struct imp *im, const struct ingest_spec *sp, const struct val *v,
                      const char **parts, const char **title, const char **suffix,
                      const char **known_as)
{
    enum svp_name_order order = SVP_NAME_ANY_ORDER;
    for (int i = 0; i < sp->nsteps; i++)
        if (sp->steps[i].kind == STEP_SURNAME_FIRST)
            order = SVP_NAME_SURNAME_FIRST;
        else if (sp->steps[i].kind == STEP_GIVEN_FIRST)
            order = SVP_NAME_GIVEN_FIRST;
    struct svp_name_parts np;
    svp_name_split(v->s, v->len, order, &np);
    int rc;
    if ((rc = span_str(im, np.given, &parts[0])) || (rc = span_str(im, np.middle, &parts[1])) ||
        (rc = span_str(im, np.family, &parts[2])) || (rc = span_str(im, np.title, title)) ||
        (rc = span_str(im, np.suffix, suffix)) || (rc = span_str(im, np.known_as, known_as)))
        return rc;
    return SVP_OK;
}

static int normalise(struct imp *im, const char *s, const char *field, const char **out)
{
    *out = NULL;
    if (!s)
        return SVP_OK;
    char *n = NULL;
    struct svp_err e;
    int rc = svp_name_normalise(s, strlen(s), &n, &e);
    if (rc == SVP_ENOMEM)
        return rc;
    if (rc)
        return imp_bad(im, field, "name cannot be normalised");
    *out = imp_strndup(im, n, strlen(n));
    svp_free(n);
    return *out ? SVP_OK : SVP_ENOMEM;
}

/* A record known only by its id (a found-with id, an event for a person not yet sent). */
int imp_take_record_id(struct imp *im, int64_t *id);

/* Binds a stub record's six shared columns (S_STUB_INSERT and S_STUB_INSERT_ID). */
static int bind_stub(struct imp *im, struct store_stmt *st, const char *pid, long line)
{
    int rc = store_bind_text_ref(st, 1, im->p->id_space, -1);
    if (!rc)
        rc = store_bind_text_ref(st, 2, im->p->agency, -1);
    if (!rc)
        rc = store_bind_text_ref(st, 3, pid, -1);
    if (!rc)
        rc = store_bind_int64(st, 4, im->file_id);
    if (!rc)
        rc = store_bind_int64(st, 5, line);
    if (!rc)
        rc = store_bind_text_ref(st, 6, im->now, -1);
    return rc;
}

/* A stub queued with a reserved id (take_record_id). */
static int queue_stub(struct imp *im, const char *pid, long line, int64_t *id)
{
    if (im->bulk || im->rec_batch) { /* staged (stage.c, batch.c): its line says where */
        long at;
        int rc = imp_take_record_id(im, id);
        if (!rc)
            rc = imp_stage_record(im, *id, pid, NULL, NULL, line, &at);
        return rc ? rc : svp_smap_put(&im->records, pid, (struct svp_smap_val){*id, 0, at});
    }
    struct store_stmt *st = im->st[S_STUB_INSERT_ID];
    store_reset(st);
    int rc = imp_take_record_id(im, id);
    if (!rc)
        rc = bind_stub(im, st, pid, line);
    if (!rc)
        rc = store_bind_int64(st, 7, *id);
    if (!rc && (rc = store_queue(st, im->err)))
        rc = imp_dberr(im, rc);
    return rc ? rc : svp_smap_put(&im->records, pid, (struct svp_smap_val){*id, 0, line});
}

int imp_stub_record(struct imp *im, const char *pid, long line, int64_t *id)
{
    if (im->queue_records || im->rec_batch)
        return queue_stub(im, pid, line, id);
    struct store_stmt *st = im->st[S_REC_SELECT];
    store_reset(st);
    int rc = store_bind_text_ref(st, 1, im->p->id_space, -1);
    if (!rc)
        rc = store_bind_text_ref(st, 2, pid, -1);
    if (rc)
        return rc;
    rc = store_step(st, im->err);
    if (rc < 0)
        return imp_dberr(im, rc);
    if (rc == STORE_ROW) {
        *id = store_column_int64(st, 0);
        store_reset(st);
        return svp_smap_put(&im->records, pid, (struct svp_smap_val){*id, 0, line});
    }
    store_reset(st);
    st = im->st[im->sqlite ? S_STUB_INSERT_QUIET : S_STUB_INSERT];
    store_reset(st);
    if ((rc = bind_stub(im, st, pid, line)))
        return rc;
    rc = store_step(st, im->err);
    if (im->sqlite && rc == STORE_DONE && store_changes(st) == 1) {
        *id = store_last_id(st); /* the id SQLite gave it (no RETURNING) */
        rc = STORE_ROW;
    } else if (rc == STORE_ROW) {
        *id = store_column_int64(st, 0);
    }
    if (rc != STORE_ROW)
        return rc < 0 ? imp_dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "stub insert gave no id");
    store_reset(st);
    return svp_smap_put(&im->records, pid, (struct svp_smap_val){*id, 0, line});
}

/* The content hash of a record's values; the normalised names (v[10], v[11]) follow from
 * the names and are left out. The shared identifier came later: it joins the hash only when
 * there is one, so records stored before it keep their hashes. */
static uint64_t rec_hash(const struct ingest_profile *p, const char *const *v)
{
    const char *w[12] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[12],
                         v[13]};
    return svp_fnv1a_str(p->agency, hash_strs(w, v[13] ? 12 : 11));
}


static void drop_value(struct imp *im, const char *field, const char *why, const char *what)
{
    imp_drop(im, field, why, what);
}

/* The record's date of birth, or NULL. One that cannot be used (no such day, after the
 * extract's date, or more than INGEST_MAX_AGE years before it: a keying error, not a
 * person) is dropped and the row kept: a record
 * with no date of birth still imports and links on what it has (issue 9), and refusing
 * the row would lose a child. An empty required one still rejects the row. */
static int eval_dob(struct imp *im, const struct ingest_section *sec, const char **dob)
{
    *dob = NULL;
    if (sec->slot[T_DOB] < 0)
        return SVP_OK;
    const char *col = imp_col_name(im, &sec->fields[sec->slot[T_DOB]].spec);
    struct val x;
    int rc = imp_eval_field(im, sec, T_DOB, &x);
    if (rc == SVP_EINPUT && x.kind != V_NULL) {
        drop_value(im, im->bad_field, im->why, "date of birth");
        return SVP_OK;
    }
    if (rc || x.kind == V_NULL)
        return rc;
    if (x.len != 10) /* the profile's mistake, not the row's: every row would lose it */
        return imp_bad(im, col, "date of birth must be a date (use the 'date' step)");
    if (strncmp(x.s, im->today, 10) > 0)
        drop_value(im, col, "date of birth is in the future", "date of birth");
    else if (strncmp(x.s, im->oldest, 10) < 0)
        drop_value(im, col, "date of birth is more than " INGEST_MAX_AGE_TEXT
                   " years before the extract's date", "date of birth");
    else if (!(*dob = imp_vstr(im, &x)))
        return SVP_ENOMEM;
    return SVP_OK;
}

int imp_compute_record(struct imp *im, int si, struct rec_vals *rv)
{
    const struct ingest_profile *p = im->p;
    const struct ingest_section *sec = &p->secs[si];
    const char **v = rv->v;
    memset(rv, 0, sizeof *rv);
    rv->sec = si;
    struct val x;
    int rc;
    const char *title = NULL, *suffix = NULL, *known_as = NULL;
    if (sec->slot[T_FULL_NAME] >= 0) {
        const struct ingest_spec *sp = &sec->fields[sec->slot[T_FULL_NAME]].spec;
        if ((rc = imp_eval(im, sp, &x, false)))
            return rc;
        if (x.kind != V_NULL && (rc = split_name(im, sp, &x, v, &title, &suffix, &known_as)))
            return rc;
        if (x.kind != V_NULL && !v[0] && !v[2])
            return imp_bad(im, imp_col_name(im, sp), "name has no given name or surname");
    } else {
        static const enum ingest_target nt[3] = {T_GIVEN, T_MIDDLE, T_FAMILY};
        for (int i = 0; i < 3; i++) {
            if ((rc = imp_eval_field(im, sec, nt[i], &x)))
                return rc;
            v[i] = imp_vstr(im, &x);
        }
        /* A given-name column may carry a known-as or a title ("Kayla (Kay)", "Mr John"):
         * they are split off as from a full name, so neither is compared as a given name. */
        if (v[0] && strpbrk(v[0], " (\"'")) {
            struct svp_name_parts np;
            svp_name_given_split(v[0], strlen(v[0]), &np);
            if ((rc = span_str(im, np.given, &v[0])) || (rc = span_str(im, np.title, &title)) ||
                (rc = span_str(im, np.known_as, &known_as)))
                return rc;
        }
    }
    static const enum ingest_target ot[6] = {T_SEX, T_ETHNICITY, T_POSTCODE,
                                             T_ADDRESS, T_AREA, T_ROLE};
    for (int i = 0; i < 6; i++) {
        if ((rc = imp_eval_field(im, sec, ot[i], &x)))
            return rc;
        v[4 + i] = imp_vstr(im, &x);
    }
    if ((rc = eval_dob(im, sec, &v[3])))
        return rc;
    if (!v[9] && !strcmp(p->default_role, "by_dob")) {
        /* Nothing but the date of birth says child or adult (police nominals). */
        v[9] = !v[3] ? "unknown" : strcmp(v[3], im->adult_before) > 0 ? "child" : "adult";
    } else if (!v[9]) {
        v[9] = p->default_role;
    }
    /* A title or suffix split off a full name is kept in detail (unless a column gives
     * one), where the linker never compares it as a name; a known-as name written in the
     * full name is kept as known_as, which the linker compares with given names. */
    const char *xk[3] = {"title", "suffix", "known_as"};
    struct val xv[3] = {{title, title ? strlen(title) : 0, title ? V_TEXT : V_NULL},
                        {suffix, suffix ? strlen(suffix) : 0, suffix ? V_TEXT : V_NULL},
                        {known_as, known_as ? strlen(known_as) : 0, known_as ? V_TEXT : V_NULL}};
    if ((rc = imp_detail_json(im, sec, xk, xv, 3, &v[12])))
        return rc;
    if ((rc = imp_eval_field(im, sec, T_SHARED_ID, &x)))
        return rc;
    v[13] = imp_vstr(im, &x);
    rv->h = rec_hash(p, v);
    return SVP_OK;
}

/* Fills the normalised names (v[10], v[11]) from given and family names; done only when a
 * record is written, since most rows of an event file repeat a record already seen. */
static int rec_norms(struct imp *im, const char **v)
{
    int rc = normalise(im, v[0], "given_name", &v[10]);
    return rc ? rc : normalise(im, v[2], "family_name", &v[11]);
}

static int write_history(struct imp *im, enum stmt_id sid, int64_t id, const char *prev)
{
    struct store_stmt *hs = im->st[sid];
    store_reset(hs);
    int rc = store_bind_int64(hs, 1, id);
    if (!rc)
        rc = store_bind_int64(hs, 2, im->file_id);
    if (!rc)
        rc = store_bind_int64(hs, 3, im->r->line);
    if (!rc)
        rc = store_bind_text_ref(hs, 4, im->now, -1);
    if (!rc)
        rc = store_bind_text_ref(hs, 5, prev, -1);
    if (rc)
        return rc;
    /* Nothing is read back: queued (PostgreSQL sends it with the next statement). */
    return (rc = store_queue(hs, im->err)) ? imp_dberr(im, rc) : SVP_OK;
}

/* Binds a record's values and provenance (file, line, content hash, time), the columns
 * the record INSERTs and UPDATE share, from parameter first on. */
static int bind_record_values(struct imp *im, struct store_stmt *st, int first,
                              const struct rec_vals *rv, const char *hex)
{
    int rc = SVP_OK;
    for (int i = 0; i < REC_NVALS && !rc; i++)
        rc = imp_bind_opt(st, first + i, rv->v[i]);
    if (!rc)
        rc = store_bind_int64(st, first + REC_NVALS, im->file_id);
    if (!rc)
        rc = store_bind_int64(st, first + REC_NVALS + 1, im->r->line);
    if (!rc)
        rc = store_bind_text_ref(st, first + REC_NVALS + 2, hex, -1);
    if (!rc)
        rc = store_bind_text_ref(st, first + REC_NVALS + 3, im->now, -1);
    return rc;
}

/* Which of a record's values the profile maps: a value it does not map keeps what another
 * layout of the same id space recorded (the school events file has no ethnicity; the
 * attendance file has). */
static void rec_mapped(struct imp *im, const struct rec_vals *rv, int *mapped)
{
    const struct ingest_section *sec = &im->p->secs[rv->sec];
    bool names = sec->slot[T_FULL_NAME] >= 0;
    const int m[REC_NVALS] = {
        names || sec->slot[T_GIVEN] >= 0, names || sec->slot[T_MIDDLE] >= 0,
        names || sec->slot[T_FAMILY] >= 0, sec->slot[T_DOB] >= 0, sec->slot[T_SEX] >= 0,
        sec->slot[T_ETHNICITY] >= 0, sec->slot[T_POSTCODE] >= 0, sec->slot[T_ADDRESS] >= 0,
        sec->slot[T_AREA] >= 0, 1, names || sec->slot[T_GIVEN] >= 0,
        names || sec->slot[T_FAMILY] >= 0, rv->v[12] != NULL, sec->slot[T_SHARED_ID] >= 0};
    memcpy(mapped, m, sizeof m);
}

/* A record staged by this file whose row now brings other values: what the row-by-row path
 * does with the stored row (merge, compare, history, update), done on the staged values in
 * memory, so nothing is sent before the file ends. The record is staged again with its new
 * values (the last staging of an id is the one stored) and the old ones go to the history
 * stage, as the history the update would write. */
static int update_staged(struct imp *im, const char *pid, const struct rec_vals *rv, long at,
                         int64_t *rec_id, enum change *ch)
{
    static const char *const hist_names[14] = {
        "given_name", "middle_names", "family_name", "dob", "sex", "ethnicity", "postcode",
        "address", "area", "role", "detail", "file_id", "line", "shared_id"};
    struct imp_staged_rec *o = imp_staged_rec(im, at);
    *rec_id = o->id;
    bool old = !o->stub;
    struct rec_vals merged = *rv;
    int rc;
    if (old) {
        int mapped[REC_NVALS];
        rec_mapped(im, rv, mapped);
        for (int i = 0; i < REC_NVALS; i++)
            if (!mapped[i] && i != 10 && i != 11)
                merged.v[i] = o->v[i];
        if ((rc = rec_norms(im, merged.v)))
            return rc;
    }
    merged.h = rec_hash(im->p, merged.v);
    if (old && merged.h == o->h) {
        *ch = CH_UNCHANGED;
        return svp_smap_put(&im->records, pid, (struct svp_smap_val){*rec_id, merged.h, at});
    }
    if (old) {
        char fid[24], line[24];
        imp_fmt_i64(o->fid, fid);
        imp_fmt_i64(o->line, line);
        const char *vals[14] = {o->v[0], o->v[1], o->v[2], o->v[3], o->v[4], o->v[5], o->v[6],
                                o->v[7], o->v[8], o->v[9], o->v[12], fid, line, o->v[13]};
        char *prev = NULL;
        if ((rc = previous_json_vals(hist_names, vals, 14, &prev)))
            return rc;
        rc = imp_stage_history(im, *rec_id, im->r->line, prev);
        svp_free(prev);
        if (rc)
            return rc;
    }
    if ((rc = imp_restage_record(im, at, merged.v, merged.h, im->r->line)))
        return rc;
    *ch = old ? CH_UPDATED : CH_NEW;
    return svp_smap_put(&im->records, pid, (struct svp_smap_val){*rec_id, merged.h, at});
}

int imp_write_record(struct imp *im, const char *pid, const struct rec_vals *rv,
                        int64_t *rec_id, enum change *ch)
{
    const struct ingest_profile *p = im->p;
    struct svp_smap_val *known = svp_smap_get(&im->records, pid);
    if (known && known->hash == rv->h) {
        *rec_id = known->id;
        *ch = CH_UNCHANGED;
        return SVP_OK;
    }
    char hex[17];
    imp_hash_hex(rv->h, hex);
    struct rec_vals normed = *rv;
    int rc = rec_norms(im, normed.v);
    if (rc)
        return rc;
    rv = &normed;
    bool quiet = im->sqlite;
    /* A record already written by this file (a stub, or other values on an earlier row)
     * takes the path that finds and updates it. */
    bool staging = im->bulk || im->rec_batch;
    bool queued = (im->queue_records || im->rec_batch) && !known;
    if (queued && staging) { /* staged (stage.c, batch.c); its line in the map says where */
        long at;
        if ((rc = imp_take_record_id(im, rec_id)) ||
            (rc = imp_stage_record(im, *rec_id, pid, rv->v, hex, im->r->line, &at)) ||
            (rc = svp_smap_put(&im->records, pid, (struct svp_smap_val){*rec_id, rv->h, at})))
            return rc;
        *ch = CH_NEW;
        return im->rec_batch ? imp_batch_maybe_flush(im) : SVP_OK;
    }
    /* On the bulk path and in SQLite's record batch a known record is staged (changed in
     * memory) or in the table (the insert that would find it is skipped). */
    if (known && staging && imp_staged_rec(im, known->line))
        return update_staged(im, pid, rv, known->line, rec_id, ch);
    /* the history rows waiting go in before this update's, in the order they were made */
    if (known && im->rec_batch && (rc = imp_batch_flush(im)))
        return rc;
    if (known && im->bulk) { /* stored before the file: read back once, changed in memory */
        long at;
        if ((rc = imp_stage_known_record(im, pid, &at)))
            return rc;
        return update_staged(im, pid, rv, at, rec_id, ch);
    }
    /* Known: stored already (read at the start, or written by this file), so no INSERT that
     * would find it is tried. */
    if (known && im->sqlite)
        goto read_back;
    struct store_stmt *st =
        im->st[queued ? S_REC_INSERT_ID : quiet ? S_REC_INSERT_QUIET : S_REC_INSERT];
    store_reset(st);
    rc = store_bind_text_ref(st, 1, p->id_space, -1);
    if (!rc)
        rc = store_bind_text_ref(st, 2, p->agency, -1);
    if (!rc)
        rc = store_bind_text_ref(st, 3, pid, -1);
    if (!rc)
        rc = bind_record_values(im, st, 4, rv, hex);
    if (rc)
        return rc;
    if (queued) {
        if ((rc = imp_take_record_id(im, rec_id)) ||
            (rc = store_bind_int64(st, 8 + REC_NVALS, *rec_id)))
            return rc;
        if ((rc = store_queue(st, im->err)))
            return imp_dberr(im, rc);
        *ch = CH_NEW;
        return svp_smap_put(&im->records, pid, (struct svp_smap_val){*rec_id, rv->h, im->r->line});
    }
    rc = store_step(st, im->err);
    if (rc < 0)
        return imp_dberr(im, rc);
    if (quiet && store_changes(st) == 1) {
        /* the id SQLite gave it, read from the connection (no statement) */
        *rec_id = store_last_id(st);
        store_reset(st);
        if (*rec_id <= 0)
            return svp_err_set(im->err, SVP_EDB, "no last id");
        *ch = CH_NEW;
        return svp_smap_put(&im->records, pid, (struct svp_smap_val){*rec_id, rv->h, im->r->line});
    }
    if (rc == STORE_ROW) {
        *rec_id = store_column_int64(st, 0);
        *ch = CH_NEW;
        store_reset(st);
        return svp_smap_put(&im->records, pid, (struct svp_smap_val){*rec_id, rv->h, im->r->line});
    }
    store_reset(st);
read_back:;
    /* It exists: same content changes nothing; different content is an update. */
    struct store_stmt *sel = im->st[S_REC_SELECT];
    store_reset(sel);
    if ((rc = store_bind_text_ref(sel, 1, p->id_space, -1)) || (rc = store_bind_text_ref(sel, 2, pid, -1)))
        return rc;
    rc = store_step(sel, im->err);
    if (rc != STORE_ROW) {
        store_reset(sel);
        return rc < 0 ? imp_dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "record vanished");
    }
    *rec_id = store_column_int64(sel, 0);
    const char *old = store_column_text(sel, 1);
    /* A layout that does not map a field keeps what another layout of the same id space
     * recorded (the school events file has no ethnicity; the attendance file has). */
    struct rec_vals merged = *rv;
    int mapped[REC_NVALS];
    rec_mapped(im, rv, mapped);
    static const int oldcol[REC_NVALS] = {2, 3, 4, 5, 6, 7, 8, 9, 10, -1, -1, -1, 12, 15};
    for (int i = 0; old && i < REC_NVALS; i++)
        if (!mapped[i] && oldcol[i] >= 0) {
            const char *o = store_column_text(sel, oldcol[i]);
            merged.v[i] = o ? imp_strndup(im, o, strlen(o)) : NULL;
            if (o && !merged.v[i]) {
                store_reset(sel);
                return SVP_ENOMEM;
            }
        }
    if (old && (rc = rec_norms(im, merged.v)))
        return rc;
    merged.h = rec_hash(p, merged.v);
    imp_hash_hex(merged.h, hex);
    rv = &merged;
    if (old && !strcmp(old, hex)) {
        store_reset(sel);
        *ch = CH_UNCHANGED;
        return svp_smap_put(&im->records, pid, (struct svp_smap_val){*rec_id, rv->h, im->r->line});
    }
    char *prev = NULL;
    /* A stub (content_hash NULL) held no values worth keeping. */
    if (old && (rc = imp_previous_json(sel, 2, &prev))) {
        store_reset(sel);
        return rc;
    }
    store_reset(sel);
    if (prev) {
        rc = write_history(im, S_REC_HIST, *rec_id, prev);
        svp_free(prev);
        if (rc)
            return rc;
    }
    struct store_stmt *up = im->st[S_REC_UPDATE];
    store_reset(up);
    rc = store_bind_text_ref(up, 1, p->agency, -1);
    if (!rc)
        rc = bind_record_values(im, up, 2, rv, hex);
    if (!rc)
        rc = store_bind_int64(up, 6 + REC_NVALS, *rec_id);
    if (rc)
        return rc;
    if ((rc = store_queue(up, im->err)))
        return imp_dberr(im, rc);
    *ch = old ? CH_UPDATED : CH_NEW;
    return svp_smap_put(&im->records, pid, (struct svp_smap_val){*rec_id, rv->h, im->r->line});
}

/* ------------------------------------------------------------------ places and events */


/* Normalised place names that name no particular place. */
static bool generic_place(const char *norm)
{
    static const char *const generic[] = {
        "home", "home address", "own home", "at home", "address", "friends address",
        "friends house", "friends home", "friend", "relatives address", "relatives house",
        "family address", "family home", "boyfriends address", "girlfriends address",
        "partners address", "associates address", "carers address", "unknown", "not known",
        "unknown address", "no fixed abode", "nfa", "other", "n/a", "na", "none", NULL};
    for (const char *const *g = generic; *g; g++)
        if (!strcmp(*g, norm))
            return true;
    return false;
}

int imp_compute_place(struct imp *im, const struct ingest_section *sec, struct place_vals *pv)
{
    struct val name, pc, lat, lon, area, kind, inc;
    int rc;
    memset(pv, 0, sizeof *pv);
    if ((rc = imp_eval_field(im, sec, T_PLACE_NAME, &name)) ||
        (rc = imp_eval_field(im, sec, T_PLACE_POSTCODE, &pc)) ||
        (rc = imp_eval_field(im, sec, T_PLACE_LAT, &lat)) ||
        (rc = imp_eval_field(im, sec, T_PLACE_LON, &lon)) ||
        (rc = imp_eval_field(im, sec, T_PLACE_AREA, &area)) ||
        (rc = imp_eval_field(im, sec, T_PLACE_KIND, &kind)) ||
        (rc = imp_eval_field(im, sec, T_PLACE_IN_COUNTY, &inc)))
        return rc;
    bool coords = lat.kind != V_NULL && lon.kind != V_NULL;
    if (name.kind == V_NULL && pc.kind == V_NULL && !coords)
        return SVP_OK;
    const char *norm = NULL;
    pv->name = imp_vstr(im, &name);
    pv->postcode = imp_vstr(im, &pc);
    pv->area = imp_vstr(im, &area);
    pv->kind = imp_vstr(im, &kind);
    pv->has_lat = lat.kind != V_NULL;
    pv->has_lon = lon.kind != V_NULL;
    pv->lat = pv->has_lat ? strtod(lat.s, NULL) : 0;
    pv->lon = pv->has_lon ? strtod(lon.s, NULL) : 0;
    pv->in_county = inc.kind == V_NULL || inc.s[0] == '1';
    if ((rc = normalise(im, pv->name, "place.name", &norm)))
        return rc;
    /* A place is known by its name and postcode. Coordinates alone make a place of that
     * point. A generic name ("home", "friend's address") is no place of its own: with no
     * postcode it is that point, or else that person's (it never collapses onto the point
     * of the first row that named it). */
    char where[64] = "";
    if (coords)
        snprintf(where, sizeof where, "@%.5f,%.5f", pv->lat, pv->lon);
    const char *second = pv->postcode ? pv->postcode : "";
    if (!pv->postcode && (!norm || generic_place(norm))) {
        if (coords)
            second = where;
        else if (!(second = imp_join(im, "#", ' ', im->cur_pid ? im->cur_pid : "")))
            return SVP_ENOMEM;
    }
    pv->key = imp_join(im, norm ? norm : "", '|', second);
    if (!pv->key)
        return SVP_ENOMEM;
    return SVP_OK;
}

int imp_write_place(struct imp *im, const struct place_vals *pv, int64_t *place_id)
{
    *place_id = 0;
    if (!pv->key)
        return SVP_OK;
    struct svp_smap_val *c = svp_smap_get(&im->places, pv->key);
    if (c) {
        *place_id = c->id;
        return SVP_OK;
    }
    if (im->bulk) /* every stored place was read at the start: this one is new */
        return imp_stage_place(im, pv, place_id);
    struct store_stmt *st = im->st[S_PLACE_INSERT];
    store_reset(st);
    int rc = store_bind_text_ref(st, 1, pv->key, -1);
    if (!rc)
        rc = imp_bind_opt(st, 2, pv->name);
    if (!rc)
        rc = imp_bind_opt(st, 3, pv->postcode);
    if (!rc)
        rc = pv->has_lat ? store_bind_double(st, 4, pv->lat) : store_bind_null(st, 4);
    if (!rc)
        rc = pv->has_lon ? store_bind_double(st, 5, pv->lon) : store_bind_null(st, 5);
    if (!rc)
        rc = imp_bind_opt(st, 6, pv->area);
    if (!rc)
        rc = store_bind_int64(st, 7, pv->in_county);
    if (!rc)
        rc = imp_bind_opt(st, 8, pv->kind);
    if (rc)
        return rc;
    rc = store_step(st, im->err);
    if (rc < 0)
        return imp_dberr(im, rc);
    if (im->sqlite && rc == STORE_DONE && store_changes(st) == 1) {
        *place_id = store_last_id(st); /* new: the id SQLite gave it */
        store_reset(st);
    } else if (rc == STORE_ROW) {
        *place_id = store_column_int64(st, 0);
        store_reset(st);
    } else {
        store_reset(st);
        struct store_stmt *sel = im->st[S_PLACE_SELECT];
        store_reset(sel);
        if ((rc = store_bind_text_ref(sel, 1, pv->key, -1)))
            return rc;
        rc = store_step(sel, im->err);
        if (rc != STORE_ROW) {
            store_reset(sel);
            return rc < 0 ? imp_dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "place vanished");
        }
        *place_id = store_column_int64(sel, 0);
        store_reset(sel);
    }
    return svp_smap_put(&im->places, pv->key, (struct svp_smap_val){*place_id, 0, im->r->line});
}


int imp_compute_event(struct imp *im, int si, const char *row_id, struct ev_vals *ev)
{
    const struct ingest_section *sec = &im->p->secs[si];
    struct val type, sub, start, end;
    int rc;
    memset(ev, 0, sizeof *ev);
    bool holds;
    if ((rc = imp_when(im, sec, &holds)) || !holds)
        return rc; /* `when` does not hold: no event from this section on this row */
    if (sec->slot[T_PERSON] >= 0) {
        const struct ingest_spec *ps = &sec->fields[sec->slot[T_PERSON]].spec;
        struct val who;
        if ((rc = imp_eval(im, ps, &who, true)))
            return rc;
        if (who.kind == V_NULL)
            return SVP_OK; /* nobody named: no event */
        if (!(ev->persons = imp_vstr(im, &who)))
            return SVP_ENOMEM;
        for (int i = 0; i < ps->nsteps; i++)
            if (ps->steps[i].kind == STEP_LIST)
                ev->sep = ps->steps[i].arg[0];
    }
    if ((rc = imp_eval_field(im, sec, T_STARTED, &start)))
        return rc;
    if (start.kind == V_NULL) {
        if (sec->optional)
            return SVP_OK; /* no event from this section on this row */
        return imp_bad(im, imp_col_name(im, &sec->fields[sec->slot[T_STARTED]].spec),
                   "started_at is empty");
    }
    if ((rc = imp_eval_field(im, sec, T_TYPE, &type)) || (rc = imp_eval_field(im, sec, T_SUBTYPE, &sub)) ||
        (rc = imp_eval_field(im, sec, T_ENDED, &end)))
        return rc;
    if (type.kind == V_NULL)
        return imp_bad(im, imp_col_name(im, &sec->fields[sec->slot[T_TYPE]].spec), "event type is empty");
    ev->v[0] = imp_vstr(im, &type);
    ev->v[1] = imp_vstr(im, &sub);
    ev->v[2] = imp_vstr(im, &start);
    ev->v[3] = imp_vstr(im, &end);
    /* Compare on the day: a date-only end on the start's day is not before it. */
    if (ev->v[3] && strncmp(ev->v[3], ev->v[2], 10) < 0)
        return imp_bad(im, imp_col_name(im, &sec->fields[sec->slot[T_ENDED]].spec),
                   "ended_at is before started_at");
    if ((rc = imp_compute_place(im, sec, &ev->place)))
        return rc;
    ev->v[4] = ev->place.key;
    if ((rc = imp_detail_json(im, sec, NULL, NULL, 0, &ev->v[5])))
        return rc;
    ev->eid = row_id;
    if (*sec->name) {
        if (!(ev->eid = imp_join(im, row_id, '/', sec->name)))
            return SVP_ENOMEM;
    }
    ev->present = true;
    return SVP_OK;
}

/* Binds the event columns that INSERT and UPDATE share, in their common order, from
 * parameter `first`: record, type, subtype, started_at and ended_at (v[0..3]), place id, detail
 * (v[5]), file, line and content hash. */
static int bind_event_fields(struct imp *im, struct store_stmt *st, int first, int64_t rec_id,
                             const char *const *v, int64_t place_id, const char *hex)
{
    int rc = store_bind_int64(st, first, rec_id);
    for (int i = 0; i < 4 && !rc; i++)
        rc = imp_bind_opt(st, first + 1 + i, v[i]);
    if (!rc)
        rc = place_id ? store_bind_int64(st, first + 5, place_id) : store_bind_null(st, first + 5);
    if (!rc)
        rc = imp_bind_opt(st, first + 6, v[5]);
    if (!rc)
        rc = store_bind_int64(st, first + 7, im->file_id);
    if (!rc)
        rc = store_bind_int64(st, first + 8, im->r->line);
    if (!rc)
        rc = store_bind_text_ref(st, first + 9, hex, -1);
    return rc;
}

/* ------------------------------------------------------------------ SQLite's event batches */

#define IMP_EV_COLS 13
#define IMP_EV_BATCH 4096 /* rows per statement */

/* The batch's rows go in in order, as the row-by-row INSERT would put them: the same ids,
 * and a second row with the same event id (the same row's person listed twice) skipped. */
static const char ev_batch_sql[] =
    "INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, started_at, "
    "ended_at, place_id, detail, file_id, line, content_hash) SELECT c0, c1, c2, c3, c4, c5, "
    "c6, c7, c8, c9, c10, c11, c12 FROM svp_rows WHERE true "
    "ON CONFLICT (source, agency_event_id) DO NOTHING";

int imp_events_flush(struct imp *im)
{
    if (!im->nevb)
        return SVP_OK;
    int rc = imp_batch_flush(im); /* the records they name first */
    if (rc)
        return rc;
    rc = store_insert_rows(im->s, ev_batch_sql, im->evb, im->nevb, IMP_EV_COLS, im->err);
    im->nevb = 0;
    svp_arena_rewind(im->evb_arena); /* its block serves the next batch */
    return rc ? imp_dberr(im, rc) : SVP_OK;
}

static struct store_val ev_text(struct imp *im, const char *s, bool *nomem)
{
    if (!s)
        return (struct store_val){STORE_V_NULL, NULL, 0};
    size_t n = strlen(s);
    const char *c = svp_arena_strndup(im->evb_arena, s, n);
    if (!c)
        *nomem = true;
    return (struct store_val){STORE_V_TEXT, c, (int64_t)n};
}

static struct store_val ev_int(int64_t i)
{
    return (struct store_val){STORE_V_INT, NULL, i};
}

/* Adds a new event to the batch (copies of its values), storing the batch when full. */
static int batch_event(struct imp *im, const struct ev_vals *ev, int64_t rec_id,
                       int64_t place_id, const char *hex)
{
    if (!im->evb) {
        if (!(im->evb = svp_malloc(IMP_EV_BATCH * IMP_EV_COLS * sizeof *im->evb)) ||
            !(im->evb_arena = svp_arena_new(4 << 20))) /* a batch's strings, mostly */
            return SVP_ENOMEM;
    }
    bool nomem = false;
    const char *const *v = ev->v;
    struct store_val *r = &im->evb[im->nevb * IMP_EV_COLS];
    r[0] = (struct store_val){STORE_V_TEXT, im->p->name, 0};
    r[1] = (struct store_val){STORE_V_TEXT, im->p->agency, 0};
    r[2] = ev_text(im, ev->eid, &nomem);
    r[3] = ev_int(rec_id);
    for (int i = 0; i < 4; i++)
        r[4 + i] = ev_text(im, v[i], &nomem);
    r[8] = place_id ? ev_int(place_id) : (struct store_val){STORE_V_NULL, NULL, 0};
    r[9] = ev_text(im, v[5], &nomem);
    r[10] = ev_int(im->file_id);
    r[11] = ev_int(im->r->line);
    r[12] = ev_text(im, hex, &nomem);
    if (nomem)
        return SVP_ENOMEM;
    return ++im->nevb < IMP_EV_BATCH ? SVP_OK : imp_events_flush(im);
}

int imp_write_event(struct imp *im, struct ev_vals *ev, int64_t rec_id, int64_t *ev_id,
                       enum change *ch)
{
    int64_t place_id;
    int rc = imp_write_place(im, &ev->place, &place_id);
    if (rc)
        return rc;
    char rid[32];
    imp_fmt_i64(rec_id, rid);
    ev->v[6] = rid;
    char hex[17];
    imp_hash_hex(hash_strs(ev->v, 7), hex);
    const char *const *v = ev->v;
    if (im->bulk) { /* staged (stage.c) */
        rc = imp_stage_event(im, ev, rec_id, place_id, hex, im->r->line, ev_id, ch);
        if (rc != IMP_ROW_BY_ROW)
            return rc;
        /* changed twice by this file: the stages sent, then as the row-by-row path */
        if ((rc = imp_stage_flush(im)))
            return rc;
    }
    if (im->sqlite && im->queue_events) { /* every event is new and none's id is needed */
        *ev_id = 0;
        *ch = CH_NEW;
        return batch_event(im, ev, rec_id, place_id, hex);
    }
    /* On SQLite a new event's id, when a relationship needs it, is the connection's last
     * rowid: RETURNING would buffer each answer in a temporary table. */
    bool quiet = im->nrelsecs == 0 || im->sqlite;
    struct store_stmt *st = im->st[quiet ? S_EV_INSERT_QUIET : S_EV_INSERT];
    store_reset(st);
    rc = store_bind_text_ref(st, 1, im->p->name, -1);
    if (!rc)
        rc = store_bind_text_ref(st, 2, im->p->agency, -1);
    if (!rc)
        rc = store_bind_text_ref(st, 3, ev->eid, -1);
    if (!rc)
        rc = bind_event_fields(im, st, 4, rec_id, v, place_id, hex);
    if (rc)
        return rc;
    if (im->queue_events) {
        /* Nothing to wait for (PostgreSQL sends these in a pipeline): the insert is new, or
         * the same row's listed person twice, whose second event is the first. */
        *ev_id = 0;
        *ch = CH_NEW;
        return (rc = store_queue(st, im->err)) ? imp_dberr(im, rc) : SVP_OK;
    }
    rc = store_step(st, im->err);
    if (rc < 0)
        return imp_dberr(im, rc);
    if (quiet && store_changes(st) == 1) {
        /* not needed when no relationship refers to it */
        *ev_id = im->nrelsecs ? store_last_id(st) : 0;
        store_reset(st);
        *ch = CH_NEW;
        return SVP_OK;
    }
    if (rc == STORE_ROW) {
        *ev_id = store_column_int64(st, 0);
        store_reset(st);
        *ch = CH_NEW;
        return SVP_OK;
    }
    store_reset(st);
    struct store_stmt *sel = im->st[S_EV_SELECT];
    store_reset(sel);
    if ((rc = store_bind_text_ref(sel, 1, im->p->name, -1)) ||
        (rc = store_bind_text_ref(sel, 2, ev->eid, -1)))
        return rc;
    rc = store_step(sel, im->err);
    if (rc != STORE_ROW) {
        store_reset(sel);
        return rc < 0 ? imp_dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "event vanished");
    }
    *ev_id = store_column_int64(sel, 0);
    const char *old = store_column_text(sel, 1);
    if (old && !strcmp(old, hex)) {
        store_reset(sel);
        *ch = CH_UNCHANGED;
        return SVP_OK;
    }
    char *prev = NULL;
    rc = imp_previous_json(sel, 2, &prev);
    store_reset(sel);
    if (rc)
        return rc;
    rc = write_history(im, S_EV_HIST, *ev_id, prev);
    svp_free(prev);
    if (rc)
        return rc;
    struct store_stmt *up = im->st[S_EV_UPDATE];
    store_reset(up);
    rc = bind_event_fields(im, up, 1, rec_id, v, place_id, hex);
    if (!rc)
        rc = store_bind_int64(up, 11, *ev_id);
    if (rc)
        return rc;
    if ((rc = store_step(up, im->err)) < 0)
        return imp_dberr(im, rc);
    store_reset(up);
    *ch = CH_UPDATED;
    return SVP_OK;
}
