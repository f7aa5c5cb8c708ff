/* Reads over the canonical model: search persons-as-recorded, a person's chronology. */
#include "people/people.h"

#include <string.h>

#define MAX_WORDS 4

static const char *dup(struct svp_arena *a, const char *s)
{
    return s ? svp_arena_strndup(a, s, strlen(s)) : NULL;
}

#define RECORD_COLS                                                                          \
    "r.id, pr.person_id, r.source, r.agency, r.agency_record_id, r.given_name, "             \
    "r.family_name, r.dob, r.sex, r.postcode, r.area, r.role"

/* Makes room for element n of an arena array with capacity *cap, doubling from first.
 * Arena memory cannot be resized, so a full array is copied into a fresh one twice the
 * size (the old one goes when the arena does). Returns the array, or NULL when out of
 * memory or the size would overflow (then *cap is unchanged). */
static void *arena_grow(struct svp_arena *a, void *items, size_t n, size_t *cap, size_t elem,
                        size_t first)
{
    if (n < *cap)
        return items;
    size_t nc = *cap ? *cap * 2 : first;
    if (nc < *cap || nc > SIZE_MAX / elem)
        return NULL;
    void *nv = svp_arena_alloc(a, nc * elem);
    if (!nv)
        return NULL;
    if (n)
        memcpy(nv, items, n * elem);
    *cap = nc;
    return nv;
}

static int read_record(struct store_stmt *st, struct svp_arena *a, struct people_record *r)
{
    r->id = store_column_int64(st, 0);
    r->person_id = store_column_int64(st, 1);
    const char **f[] = {&r->source,      &r->agency, &r->agency_record_id, &r->given_name,
                        &r->family_name, &r->dob,    &r->sex,              &r->postcode,
                        &r->area,        &r->role};
    for (int i = 0; i < 10; i++) {
        const char *t = store_column_text(st, i + 2);
        *f[i] = dup(a, t);
        if (t && !*f[i])
            return SVP_ENOMEM;
    }
    return SVP_OK;
}

/* The visibility rule of access_authorise, as SQL over record r and its person pr. */
static const char scope_sql[] =
    " AND (r.agency = ? OR EXISTS (SELECT 1 FROM person_record p2 JOIN record r2 ON r2.id = "
    "p2.record_id WHERE p2.person_id = pr.person_id AND r2.agency = ?) OR EXISTS (SELECT 1 "
    "FROM person_share ps WHERE ps.person_id = pr.person_id AND ps.agency = ?))";

struct search_sql {
    struct svp_buf where;
    const char *binds[4 + 2 * MAX_WORDS + 4];
    int nbinds;
    char words[MAX_WORDS][128];
};

static int build_where(struct search_sql *q, const struct people_search *p, const char *norm,
                       struct svp_err *err)
{
    svp_buf_init(&q->where, 8192);
    int rc = svp_buf_puts(&q->where, " FROM record r LEFT JOIN person_record pr ON "
                                     "pr.record_id = r.id WHERE 1 = 1");
    if (!rc && norm && *norm) {
        rc = svp_buf_puts(&q->where, " AND (r.agency_record_id = ? OR (1 = 1");
        q->binds[q->nbinds++] = p->query;
        const char *w = norm;
        for (int i = 0; !rc && *w && i < MAX_WORDS; i++) {
            const char *sp = strchr(w, ' ');
            size_t len = sp ? (size_t)(sp - w) : strlen(w);
            if (len >= sizeof q->words[i] - 1)
                len = sizeof q->words[i] - 2;
            memcpy(q->words[i], w, len);
            /* LIKE wildcards in the query match themselves only as text: drop them. */
            for (size_t k = 0; k < len; k++)
                if (q->words[i][k] == '%' || q->words[i][k] == '_' || q->words[i][k] == '\\')
                    q->words[i][k] = ' ';
            q->words[i][len] = '%';
            q->words[i][len + 1] = '\0';
            rc = svp_buf_puts(&q->where, " AND (r.norm_given LIKE ? OR r.norm_family LIKE ?)");
            q->binds[q->nbinds++] = q->words[i];
            q->binds[q->nbinds++] = q->words[i];
            w += len;
            while (*w == ' ')
                w++;
        }
        if (!rc)
            rc = svp_buf_puts(&q->where, "))");
    }
    if (!rc && p->agency && *p->agency) {
        rc = svp_buf_puts(&q->where, " AND r.agency = ?");
        q->binds[q->nbinds++] = p->agency;
    }
    if (!rc && p->scope_agency && *p->scope_agency) {
        rc = svp_buf_puts(&q->where, scope_sql);
        for (int i = 0; i < 3; i++)
            q->binds[q->nbinds++] = p->scope_agency;
    }
    if (rc)
        return svp_err_set(err, SVP_ENOMEM, "out of memory building a search");
    return SVP_OK;
}

static int bind_all(struct store_stmt *st, const struct search_sql *q, struct svp_err *err)
{
    for (int i = 0; i < q->nbinds; i++)
        if (store_bind_text(st, i + 1, q->binds[i], -1))
            return svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    return SVP_OK;
}

int people_search(struct store *s, struct svp_arena *a, const struct people_search *p,
                  struct people_record **out, size_t *n, int64_t *total, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    const char *query = p->query ? p->query : "";
    size_t qlen = strlen(query);
    if (qlen > 200)
        return svp_err_at(err, SVP_EINPUT, "", 0, "q", "a search has at most 200 characters");
    char *norm = NULL;
    if (qlen) {
        int rc = svp_name_normalise(query, qlen, &norm, err);
        if (rc)
            return rc == SVP_EINPUT ? svp_err_at(err, SVP_EINPUT, "", 0, "q",
                                                 "the search is not valid UTF-8 text")
                                    : rc;
    }
    struct people_search pq = *p;
    pq.query = query;
    struct search_sql q = {0};
    int rc = build_where(&q, &pq, norm, err);
    size_t limit = p->limit == 0 ? 50 : p->limit > 200 ? 200 : p->limit;
    struct store_stmt *st = NULL;
    struct svp_buf sql;
    svp_buf_init(&sql, 16384);
    if (!rc && (svp_buf_puts(&sql, "SELECT count(*)") || svp_buf_puts(&sql, q.where.data)))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory building a search");
    if (!rc && !(rc = store_prepare(s, sql.data, &st, err)) && !(rc = bind_all(st, &q, err))) {
        rc = store_step(st, err);
        if (rc == STORE_ROW)
            *total = store_column_int64(st, 0);
        rc = rc < 0 ? rc : SVP_OK;
    }
    store_finalize(&st);
    svp_buf_reset(&sql);
    if (!rc && (svp_buf_puts(&sql, "SELECT " RECORD_COLS) || svp_buf_puts(&sql, q.where.data) ||
                svp_buf_puts(&sql, " ORDER BY r.norm_family, r.norm_given, r.id LIMIT ? OFFSET ?")))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory building a search");
    struct people_record *v = NULL;
    if (!rc && *total > 0) {
        v = svp_arena_alloc(a, limit * sizeof *v);
        if (!v)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory searching");
    }
    if (!rc && v && !(rc = store_prepare(s, sql.data, &st, err)) && !(rc = bind_all(st, &q, err))) {
        if (store_bind_int64(st, q.nbinds + 1, (int64_t)limit) ||
            store_bind_int64(st, q.nbinds + 2, (int64_t)p->offset))
            rc = svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
        while (!rc && *n < limit && (rc = store_step(st, err)) == STORE_ROW) {
            memset(&v[*n], 0, sizeof v[*n]);
            rc = read_record(st, a, &v[(*n)++]);
            if (rc)
                rc = svp_err_set(err, rc, "out of memory searching");
        }
        rc = rc < 0 ? rc : SVP_OK;
    }
    store_finalize(&st);
    svp_buf_free(&sql);
    svp_buf_free(&q.where);
    svp_free(norm);
    if (rc) {
        *n = 0;
        return rc;
    }
    *out = v;
    return SVP_OK;
}

int people_get(struct store *s, struct svp_arena *a, int64_t person_id, int64_t record_id,
               struct people_record **records, size_t *nrecords, struct people_event **events,
               size_t *nevents, struct svp_err *err)
{
    *records = NULL;
    *events = NULL;
    *nrecords = *nevents = 0;
    const char *rsql =
        person_id > 0
            ? "SELECT " RECORD_COLS " FROM record r JOIN person_record pr ON pr.record_id = r.id "
              "WHERE pr.person_id = ? ORDER BY r.agency, r.source, r.id"
            : "SELECT " RECORD_COLS " FROM record r LEFT JOIN person_record pr ON pr.record_id = "
              "r.id WHERE r.id = ?";
    const char *esql =
        person_id > 0
            ? "SELECT e.id, e.record_id, e.agency, e.source, e.type, e.subtype, e.started_at, "
              "e.ended_at, pl.name, e.detail, f.path, e.line FROM event e JOIN person_record pr "
              "ON pr.record_id = e.record_id LEFT JOIN place pl ON pl.id = e.place_id LEFT JOIN "
              "source_file f ON f.id = e.file_id WHERE pr.person_id = ? "
              "ORDER BY e.started_at, e.agency, e.id"
            : "SELECT e.id, e.record_id, e.agency, e.source, e.type, e.subtype, e.started_at, "
              "e.ended_at, pl.name, e.detail, f.path, e.line FROM event e LEFT JOIN place pl ON "
              "pl.id = e.place_id LEFT JOIN source_file f ON f.id = e.file_id WHERE e.record_id "
              "= ? ORDER BY e.started_at, e.agency, e.id";
    int64_t key = person_id > 0 ? person_id : record_id;
    size_t cap = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, rsql, &st, err);
    if (!rc && store_bind_int64(st, 1, key))
        rc = svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        struct people_record *nv = arena_grow(a, *records, *nrecords, &cap, sizeof *nv, 8);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading records");
            break;
        }
        *records = nv;
        struct people_record *r = &(*records)[(*nrecords)++];
        memset(r, 0, sizeof *r);
        rc = read_record(st, a, r) ? svp_err_set(err, SVP_ENOMEM, "out of memory") : SVP_OK;
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (*nrecords == 0)
        return svp_err_set(err, SVP_ENOTFOUND, "no such %s", person_id > 0 ? "person" : "record");
    cap = 0;
    rc = store_prepare(s, esql, &st, err);
    if (!rc && store_bind_int64(st, 1, key))
        rc = svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        struct people_event *nv = arena_grow(a, *events, *nevents, &cap, sizeof *nv, 32);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading events");
            break;
        }
        *events = nv;
        struct people_event *e = &(*events)[(*nevents)++];
        memset(e, 0, sizeof *e);
        rc = SVP_OK;
        e->id = store_column_int64(st, 0);
        e->record_id = store_column_int64(st, 1);
        const char **f[] = {&e->agency,   &e->source, &e->type,   &e->subtype, &e->started_at,
                            &e->ended_at, &e->place,  &e->detail, &e->file};
        for (int i = 0; i < 9 && !rc; i++) {
            const char *t = store_column_text(st, i + 2);
            *f[i] = dup(a, t);
            if (t && !*f[i])
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading events");
        }
        e->line = store_column_int64(st, 11);
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

int people_display_name(struct store *s, struct svp_arena *a, int64_t person_id,
                        int64_t record_id, const char **out, struct svp_err *err)
{
    *out = "";
    const char *sql = person_id > 0
                          ? "SELECT r.given_name, r.family_name FROM record r JOIN person_record "
                            "pr ON pr.record_id = r.id WHERE pr.person_id = ? "
                            "ORDER BY r.agency, r.source, r.id LIMIT 1"
                          : "SELECT r.given_name, r.family_name FROM record r WHERE r.id = ?";
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, person_id > 0 ? person_id : record_id)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    }
    rc = store_step(st, err);
    if (rc == STORE_ROW) {
        const char *g = store_column_text(st, 0), *f = store_column_text(st, 1);
        size_t n = (g ? strlen(g) : 0) + (f ? strlen(f) : 0) + 2;
        char *buf = svp_arena_alloc(a, n);
        if (!buf) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        } else {
            snprintf(buf, n, "%s%s%s", g ? g : "", g && f ? " " : "", f ? f : "");
            *out = buf;
            rc = SVP_OK;
        }
    } else if (rc == STORE_DONE) {
        rc = svp_err_set(err, SVP_ENOTFOUND, "no such person");
    }
    store_finalize(&st);
    return rc;
}
