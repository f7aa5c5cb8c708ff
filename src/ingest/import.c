/* Import: one extract file through its profile into the canonical model.
 *
 * Nothing lost, nothing half-done (DESIGN.md): the good rows of a file and its source_file
 * row go in one transaction, so a killed import leaves all of the file or none of it; each
 * bad row goes to the rejects file with file, line, field and reason, never its values
 * (rejects and logs carry no personal data). The hot path reuses prepared statements, one
 * arena per row and per-file caches of the records and places already seen. */
#include "ingest_int.h"

#include <ctype.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define IMPORT_MAX_FILE ((size_t)2 << 30) /* 2 GiB: larger extracts should be split */
#define REJECTS_MAX (256u << 20)

/* ------------------------------------------------------------------ a small string map */

struct smap_val {
    int64_t id;
    uint64_t hash;
    long line;
};

struct smap_slot {
    char *key; /* NULL: empty */
    uint64_t hash;
    struct smap_val v;
};

struct smap {
    struct smap_slot *slots;
    size_t cap, n;
    struct svp_arena *keys;
};

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}
#define FNV_START 14695981039346656037ull

/* fnv() of a NUL-terminated string, in one pass (no strlen first). */
static uint64_t fnv_str(const char *s, uint64_t h)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h;
}

static void smap_free(struct smap *m)
{
    svp_free(m->slots);
    svp_arena_free(&m->keys);
    memset(m, 0, sizeof *m);
}

/* The slot holding k (hash h), or the empty slot where it would go. Each slot keeps its
 * key's hash, so a probe compares strings only when the hashes agree. */
static struct smap_slot *smap_slot(const struct smap *m, const char *k, uint64_t h)
{
    size_t i = h & (m->cap - 1);
    while (m->slots[i].key && (m->slots[i].hash != h || strcmp(m->slots[i].key, k)))
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

static struct smap_val *smap_get(struct smap *m, const char *k)
{
    if (!m->cap)
        return NULL;
    struct smap_slot *sl = smap_slot(m, k, fnv_str(k, FNV_START));
    return sl->key ? &sl->v : NULL;
}

static int smap_grow(struct smap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 1024;
    struct smap_slot *ns = svp_calloc(nc, sizeof *ns);
    if (!ns)
        return SVP_ENOMEM;
    for (size_t j = 0; j < m->cap; j++)
        if (m->slots[j].key) {
            size_t i = m->slots[j].hash & (nc - 1);
            while (ns[i].key)
                i = (i + 1) & (nc - 1);
            ns[i] = m->slots[j];
        }
    svp_free(m->slots);
    m->slots = ns;
    m->cap = nc;
    return SVP_OK;
}

static int smap_put(struct smap *m, const char *k, struct smap_val v)
{
    if ((m->n + 1) * 2 > m->cap && smap_grow(m))
        return SVP_ENOMEM;
    if (!m->keys && !(m->keys = svp_arena_new(256 * 1024)))
        return SVP_ENOMEM;
    uint64_t h = fnv_str(k, FNV_START);
    struct smap_slot *sl = smap_slot(m, k, h);
    if (!sl->key) {
        if (!(sl->key = svp_arena_strndup(m->keys, k, strlen(k))))
            return SVP_ENOMEM;
        sl->hash = h;
        m->n++;
    }
    sl->v = v;
    return SVP_OK;
}

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
    S_STUB_INSERT, S_PLACE_UPDATE, S_EV_INSERT_QUIET, S_REC_INSERT_QUIET, S_LAST_ID,
    S_REC_INSERT_ID, S_STUB_INSERT_ID, S_RESERVE_IDS, S_COUNT
};

#define RESERVE_IDS 256
#define RESERVE_IDS_TEXT "256"

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
    [S_LAST_ID] = "SELECT last_insert_rowid()",
    /* PostgreSQL, an id space with no records yet (see take_record_id): the new record's id
     * is reserved ahead, so nothing waits for the insert's answer. */
    [S_REC_INSERT_ID] = "INSERT INTO record (source, agency, agency_record_id, given_name, "
                        "middle_names, family_name, dob, sex, ethnicity, postcode, address, "
                        "area, role, norm_given, norm_family, detail, shared_id, file_id, "
                        "line, content_hash, updated_at, id) VALUES "
                        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [S_STUB_INSERT_ID] = "INSERT INTO record (source, agency, agency_record_id, role, file_id, "
                         "line, updated_at, id) VALUES (?,?,?,'unknown',?,?,?,?)",
    [S_RESERVE_IDS] = "SELECT nextval(pg_get_serial_sequence('record', 'id')) "
                      "FROM generate_series(1, " RESERVE_IDS_TEXT ")",
    [S_PLACE_UPDATE] = "UPDATE place SET name = COALESCE(?, name), lat = COALESCE(?, lat), "
                       "lon = COALESCE(?, lon), area = COALESCE(?, area), in_county = ?, "
                       "kind = COALESCE(?, kind) WHERE id = ?",
};

struct imp {
    struct store *s;
    const struct ingest_profile *p;
    const char *path;
    const struct ingest_opts *opts;
    struct ingest_result *res;
    struct svp_err *err;
    struct store_stmt *st[S_COUNT];
    int *colmap;         /* profile col -> header index */
    const char **hdr;    /* header names by index (owned copies) */
    size_t nhdr;
    struct svp_arena *row; /* per-row values beyond the bump block */
    char *bump;            /* per-row bump block: no allocation per row on the hot path */
    size_t bump_used;
    bool row_spilled;      /* row arena holds something to free at the next row */
    struct svp_arena *run; /* pending relationships */
    struct smap seen_rows, records, places;
    struct seen_id *ids_in_order; /* accepted row ids while each sorted after the last */
    size_t n_in_order, cap_in_order;
    bool out_of_order;            /* once they did not: seen_rows holds them all */
    struct pending_rel *rels;
    size_t nrels, caprels;
    struct svp_buf rejects;
    char now[32];
    char today[16];
    int64_t file_id;
    int nrelsecs; /* relationship sections in the profile */
    bool sqlite;
    bool queue_events;  /* every event is new and none's id is needed: see write_event */
    bool queue_records; /* every record is new: see take_record_id */
    int64_t ids[RESERVE_IDS]; /* record ids reserved ahead, ids[next_id..n_ids) unused */
    int n_ids, next_id;
    /* the row being read */
    const struct svp_csv_row *r;
    const char *bad_field;  /* column name of a bad value */
    char why[300];          /* reason a row is bad */
    const char *drop_field; /* column of a value the row is kept without, or NULL */
    char drop_why[360];     /* why it was dropped, for the rejects file */
};

static int bad(struct imp *im, const char *field, const char *fmt, ...) SVP_PRINTF(3, 4);
static int bad(struct imp *im, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->why, sizeof im->why, fmt, ap);
    va_end(ap);
    im->bad_field = field;
    return SVP_EINPUT;
}

#define BUMP_SIZE (64 * 1024)

static void *row_alloc(struct imp *im, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n <= BUMP_SIZE - im->bump_used) {
        void *p = im->bump + im->bump_used;
        im->bump_used += n;
        return p;
    }
    im->row_spilled = true;
    return svp_arena_alloc(im->row, n);
}

static char *row_strndup(struct imp *im, const char *s, size_t n)
{
    char *d = row_alloc(im, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* "a" sep "b" in the row arena (done by hand: snprintf is slow on the hot path). */
static char *row_join(struct imp *im, const char *a, char sep, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *d = row_alloc(im, na + nb + 2);
    if (!d)
        return NULL;
    memcpy(d, a, na);
    d[na] = sep;
    memcpy(d + na + 1, b, nb);
    d[na + 1 + nb] = '\0';
    return d;
}

static void row_reset(struct imp *im)
{
    im->bump_used = 0;
    if (im->row_spilled)
        svp_arena_reset(im->row);
    im->row_spilled = false;
}

static int dberr(struct imp *im, int rc)
{
    /* The store already filled err; name the file and keep its message. */
    if (rc == SVP_ENOMEM)
        return svp_err_set(im->err, SVP_ENOMEM, "%s: out of memory", im->path);
    return rc;
}

/* ------------------------------------------------------------------ value steps */

static const char *col_name(struct imp *im, const struct ingest_spec *sp)
{
    return sp->col >= 0 ? im->p->cols[sp->col] : "(fixed value)";
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* The reason part of a base date error, without the value (which may be personal). */
static const char *date_why(const struct svp_err *e)
{
    const char *c = strstr(e->msg, "date: ");
    return c ? c + 6 : "not a valid date";
}

static int step_date(struct imp *im, const struct ingest_spec *sp, const struct ingest_step *st,
                     struct val *v)
{
    struct svp_err e;
    svp_time t;
    bool iso = !strcmp(st->arg, "iso");
    int rc = iso ? svp_time_parse_iso(v->s, v->len, &t, &e)
                 : svp_time_parse_fmt(v->s, v->len, st->arg, &t, &e);
    if (rc)
        return bad(im, col_name(im, sp), "not a valid date in the format '%s': %s", st->arg,
                   date_why(&e));
    char *out = row_alloc(im, 24);
    if (!out)
        return SVP_ENOMEM;
    bool with_time = st->kind == STEP_DATETIME && (iso ? v->len > 10 : !!strstr(st->arg, "%H"));
    if (with_time)
        svp_time_format(t, out, 24);
    else
        svp_date_format((svp_day)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400)), out, 24);
    v->s = out;
    v->len = strlen(out);
    return SVP_OK;
}

static int step_map(struct imp *im, const struct ingest_spec *sp, const struct ingest_step *st,
                    struct val *v)
{
    const struct ingest_map *m = &im->p->maps[st->map];
    for (int i = 0; i < m->n; i++) {
        const char *c = m->entries[i].code;
        if (strlen(c) == v->len && !strncasecmp(c, v->s, v->len)) {
            v->s = m->entries[i].value;
            v->len = strlen(v->s);
            return SVP_OK;
        }
    }
    if (m->fallback && !strcmp(m->fallback, "*"))
        return SVP_OK; /* "* = *": other codes pass through unchanged */
    if (m->fallback) {
        v->s = m->fallback;
        v->len = strlen(v->s);
        return SVP_OK;
    }
    return bad(im, col_name(im, sp), "code not in [map %s] and the map has no '*' default",
               m->name);
}

static int step_flag(struct imp *im, const struct ingest_spec *sp, struct val *v)
{
    static const char *const yes[] = {"1", "y", "yes", "true", "t", NULL};
    static const char *const no[] = {"0", "n", "no", "false", "f", NULL};
    for (int i = 0; yes[i]; i++)
        if (strlen(yes[i]) == v->len && !strncasecmp(yes[i], v->s, v->len)) {
            *v = (struct val){"1", 1, V_NUM};
            return SVP_OK;
        }
    for (int i = 0; no[i]; i++)
        if (strlen(no[i]) == v->len && !strncasecmp(no[i], v->s, v->len)) {
            *v = (struct val){"0", 1, V_NUM};
            return SVP_OK;
        }
    return bad(im, col_name(im, sp), "not a yes/no flag (yes, no, y, n, true, false, 1, 0)");
}

/* Writes v in decimal into out (>= 21 bytes). */
static void fmt_i64(int64_t v, char *out)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        tmp[n++] = (char)('0' + u % 10);
    while ((u /= 10));
    if (v < 0)
        tmp[n++] = '-';
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* Writes r with at most one decimal ("95", "87.5") into out (>= 40 bytes), without
 * printf's floating-point path, which is slow on the hot path. */
static void fmt_decimal(double r, char *out)
{
    bool neg = r < 0;
    double a = neg ? -r : r;
    if (a > 1e15) {
        snprintf(out, 40, "%.10g", r);
        return;
    }
    unsigned long long t = (unsigned long long)(a * 10 + 0.5);
    char tmp[40];
    int n = 0;
    if (t % 10)
        tmp[n++] = (char)('0' + t % 10), tmp[n++] = '.';
    t /= 10;
    do
        tmp[n++] = (char)('0' + t % 10);
    while ((t /= 10));
    if (neg && (n > 1 || tmp[0] != '0'))
        tmp[n++] = '-';
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

/* True if s[0..n) is already a plain JSON number: -?digits(.digits)? without a leading
 * zero. Such text is kept as written, which is both exact and cheaper than reformatting. */
static bool plain_number(const char *s, size_t n, bool whole)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d0 || (s[d0] == '0' && i - d0 > 1) || i - d0 > 15)
        return false;
    if (i == n)
        return true;
    if (whole || s[i] != '.')
        return false;
    size_t f0 = ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i == n && i > f0 && i - f0 <= 15;
}

static int step_number(struct imp *im, const struct ingest_spec *sp, struct val *v, bool whole)
{
    if (plain_number(v->s, v->len, whole)) {
        v->kind = V_NUM;
        return SVP_OK;
    }
    char tmp[64];
    if (v->len >= sizeof tmp)
        return bad(im, col_name(im, sp), "not a number (too long)");
    memcpy(tmp, v->s, v->len);
    tmp[v->len] = '\0';
    char *out = row_alloc(im, 32);
    if (!out)
        return SVP_ENOMEM;
    if (whole) {
        int64_t n;
        if (svp_parse_i64(tmp, &n))
            return bad(im, col_name(im, sp), "not a whole number");
        fmt_i64(n, out);
    } else {
        char *end;
        errno = 0;
        double d = strtod(tmp, &end);
        if (end == tmp || *end || errno || d != d || d > 1e300 || d < -1e300)
            return bad(im, col_name(im, sp), "not a number");
        snprintf(out, 32, "%.10g", d);
    }
    *v = (struct val){out, strlen(out), V_NUM};
    return SVP_OK;
}

static int json_str(struct svp_buf *b, const char *s, size_t n)
{
    int rc = svp_buf_putc(b, '"');
    size_t run = 0; /* start of the current run of characters that need no escape */
    for (size_t i = 0; i < n && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '"' && c != '\\' && c >= 0x20)
            continue;
        rc = svp_buf_append(b, s + run, i - run);
        if (!rc)
            rc = c < 0x20 ? svp_buf_printf(b, "\\u%04x", c) : svp_buf_putc(b, '\\');
        if (!rc && c >= 0x20)
            rc = svp_buf_putc(b, (char)c);
        run = i + 1;
    }
    if (!rc)
        rc = svp_buf_append(b, s + run, n - run);
    return rc ? rc : svp_buf_putc(b, '"');
}

static int step_list(struct imp *im, const struct ingest_step *st, struct val *v)
{
    struct svp_buf b;
    svp_buf_init(&b, 1 << 20);
    int rc = svp_buf_putc(&b, '[');
    const char *p = v->s, *end = v->s + v->len;
    bool first = true;
    while (!rc && p <= end) {
        const char *q = memchr(p, st->arg[0], (size_t)(end - p));
        if (!q)
            q = end;
        const char *a = p, *z = q;
        while (a < z && isspace((unsigned char)*a))
            a++;
        while (z > a && isspace((unsigned char)z[-1]))
            z--;
        if (z > a) {
            if (!first)
                rc = svp_buf_putc(&b, ',');
            if (!rc)
                rc = json_str(&b, a, (size_t)(z - a));
            first = false;
        }
        p = q + 1;
    }
    if (!rc)
        rc = svp_buf_putc(&b, ']');
    char *out = rc ? NULL : row_strndup(im, b.data, b.len);
    svp_buf_free(&b);
    if (!out)
        return rc == SVP_EINPUT ? bad(im, "", "list too long") : SVP_ENOMEM;
    *v = (struct val){out, strlen(out), V_LIST};
    return SVP_OK;
}

/* UK postcode: outward code of 2-4 characters, inward code digit letter letter. A value
 * that does not look like one is kept upper-cased as recorded rather than lost. */
static int step_postcode(struct imp *im, struct val *v)
{
    char *out = row_alloc(im, v->len + 2);
    if (!out)
        return SVP_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < v->len; i++)
        if (!isspace((unsigned char)v->s[i]))
            out[n++] = (char)toupper((unsigned char)v->s[i]);
    out[n] = '\0';
    bool ok = n >= 5 && n <= 7 && isdigit((unsigned char)out[n - 3]) &&
              isalpha((unsigned char)out[n - 2]) && isalpha((unsigned char)out[n - 1]) &&
              isalpha((unsigned char)out[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)out[i]);
    if (ok) {
        memmove(out + n - 2, out + n - 3, 4);
        out[n - 3] = ' ';
        n++;
    }
    v->s = out;
    v->len = n;
    return SVP_OK;
}

static int step_case(struct imp *im, struct val *v, bool up)
{
    char *out = row_strndup(im, v->s, v->len);
    if (!out)
        return SVP_ENOMEM;
    for (size_t i = 0; i < v->len; i++)
        out[i] = (char)(up ? toupper((unsigned char)out[i]) : tolower((unsigned char)out[i]));
    v->s = out;
    return SVP_OK;
}

/* The raw text of a spec's source on the current row, trimmed. */
static int raw_value(struct imp *im, const struct ingest_spec *sp, struct val *v)
{
    if (sp->col < 0) {
        *v = (struct val){sp->literal, strlen(sp->literal), V_TEXT};
        return SVP_OK;
    }
    const struct svp_csv_field *f = &im->r->fields[im->colmap[sp->col]];
    const char *s = f->p;
    size_t n = f->len;
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    *v = (struct val){s, n, n ? V_TEXT : V_NULL};
    if (sp->join[0] < 0)
        return SVP_OK;
    /* "A + B": the columns' values joined with one space; any empty one makes it empty. */
    size_t total = n;
    for (int j = 0; j < INGEST_MAX_JOIN && sp->join[j] >= 0; j++)
        total += 1 + im->r->fields[im->colmap[sp->join[j]]].len;
    char *buf = row_alloc(im, total + 1);
    if (!buf)
        return SVP_ENOMEM;
    if (!n) {
        *v = (struct val){NULL, 0, V_NULL};
        return SVP_OK;
    }
    memcpy(buf, s, n);
    size_t at = n;
    for (int j = 0; j < INGEST_MAX_JOIN && sp->join[j] >= 0; j++) {
        const struct svp_csv_field *g = &im->r->fields[im->colmap[sp->join[j]]];
        const char *t = g->p;
        size_t m = g->len;
        while (m && isspace((unsigned char)*t))
            t++, m--;
        while (m && isspace((unsigned char)t[m - 1]))
            m--;
        if (!m) {
            *v = (struct val){NULL, 0, V_NULL};
            return SVP_OK;
        }
        buf[at++] = ' ';
        memcpy(buf + at, t, m);
        at += m;
    }
    buf[at] = '\0';
    *v = (struct val){buf, at, V_TEXT};
    return SVP_OK;
}

/* School terms (DfE): autumn 1 Sep - 31 Dec, spring 1 Jan - 31 Mar, summer 1 Apr - 31 Jul,
 * for an academic year written "2021/22". */
static int step_term(struct imp *im, const struct ingest_spec *sp, struct val *v, bool end)
{
    int y1 = 0, y2 = 0;
    char term[4] = {0};
    char tmp[32];
    size_t n = v->len < sizeof tmp - 1 ? v->len : sizeof tmp - 1;
    memcpy(tmp, v->s, n);
    tmp[n] = '\0';
    if (n != 11 || tmp[4] != '/' || tmp[7] != ' ')
        return bad(im, col_name(im, sp), "not an academic year and term like '2021/22 AUT'");
    for (int i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)tmp[i]))
            return bad(im, col_name(im, sp), "not an academic year like 2021/22");
        y1 = y1 * 10 + tmp[i] - '0';
    }
    if (!isdigit((unsigned char)tmp[5]) || !isdigit((unsigned char)tmp[6]))
        return bad(im, col_name(im, sp), "not an academic year like 2021/22");
    y2 = (tmp[5] - '0') * 10 + (tmp[6] - '0');
    if ((y1 + 1) % 100 != y2)
        return bad(im, col_name(im, sp), "academic year's two years do not follow each other");
    memcpy(term, tmp + 8, 3);
    int y, m, d;
    svp_day day;
    if (!strcmp(term, "AUT"))
        y = y1, m = end ? 12 : 9, d = end ? 31 : 1;
    else if (!strcmp(term, "SPR"))
        y = y1 + 1, m = end ? 3 : 1, d = end ? 31 : 1;
    else if (!strcmp(term, "SUM"))
        y = y1 + 1, m = end ? 7 : 4, d = end ? 31 : 1;
    else
        return bad(im, col_name(im, sp), "term must be AUT, SPR or SUM");
    char *out = row_alloc(im, 40);
    if (!out)
        return SVP_ENOMEM;
    svp_date_format(svp_date_from_ymd(y, m, d, &day) ? 0 : day, out, 40);
    *v = (struct val){out, 10, V_TEXT};
    return SVP_OK;
}

/* A number at p, as strtod reads it; whole numbers of up to 15 digits (session counts,
 * nearly every value these steps see) are read directly, as strtod costs far more. */
static double read_number(const char *p, char **end)
{
    const char *q = p;
    double v = 0;
    while (*q >= '0' && *q <= '9' && q - p < 15)
        v = v * 10 + (*q++ - '0');
    if (q > p && (*q == ' ' || !*q)) {
        *end = (char *)q;
        return v;
    }
    return strtod(p, end);
}

/* percent, sum, below: small arithmetic on numbers joined with spaces. */
static int step_arith(struct imp *im, const struct ingest_spec *sp, const struct ingest_step *st,
                      struct val *v)
{
    double x[INGEST_MAX_JOIN + 1];
    int n = 0;
    char tmp[128];
    if (v->len >= sizeof tmp)
        return bad(im, col_name(im, sp), "not a number");
    memcpy(tmp, v->s, v->len);
    tmp[v->len] = '\0';
    char *p = tmp;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *end;
        errno = 0;
        double d = read_number(p, &end);
        if (end == p || errno || d != d || (*end && *end != ' ') || n == INGEST_MAX_JOIN + 1)
            return bad(im, col_name(im, sp), "not a number");
        x[n++] = d;
        p = end;
    }
    double r = 0;
    if (st->kind == STEP_PERCENT) {
        if (n != 2)
            return bad(im, col_name(im, sp), "percent needs two numbers");
        if (x[1] <= 0)
            return bad(im, col_name(im, sp), "percent of zero or less");
        r = 100.0 * x[0] / x[1];
        r = (double)(long long)(r * 10 + 0.5) / 10;
    } else if (st->kind == STEP_SUM) {
        for (int i = 0; i < n; i++)
            r += x[i];
    } else {
        if (n != 1)
            return bad(im, col_name(im, sp), "not a number");
        char *end;
        r = x[0] < read_number(st->arg, &end) ? 1 : 0;
    }
    char *out = row_alloc(im, 40);
    if (!out)
        return SVP_ENOMEM;
    fmt_decimal(r, out);
    *v = (struct val){out, strlen(out), V_NUM};
    return SVP_OK;
}

/* Evaluates a spec on the current row. Stops before a list step when stop_at_list. */
static int eval(struct imp *im, const struct ingest_spec *sp, struct val *v, bool stop_at_list)
{
    int rc0 = raw_value(im, sp, v);
    if (rc0)
        return rc0;
    if (v->kind == V_NULL || is_blank(v->s, v->len)) {
        v->kind = V_NULL;
        if (sp->required)
            return bad(im, col_name(im, sp), "required value is empty");
        return SVP_OK;
    }
    for (int i = 0; i < sp->nsteps; i++) {
        const struct ingest_step *st = &sp->steps[i];
        int rc = SVP_OK;
        switch (st->kind) {
        case STEP_DATE:
        case STEP_DATETIME: rc = step_date(im, sp, st, v); break;
        case STEP_MAP: rc = step_map(im, sp, st, v); break;
        case STEP_FLAG: rc = step_flag(im, sp, v); break;
        case STEP_NUMBER: rc = step_number(im, sp, v, false); break;
        case STEP_INTEGER: rc = step_number(im, sp, v, true); break;
        case STEP_LIST:
            if (stop_at_list)
                return SVP_OK;
            rc = step_list(im, st, v);
            break;
        case STEP_POSTCODE: rc = step_postcode(im, v); break;
        case STEP_UPPER: rc = step_case(im, v, true); break;
        case STEP_LOWER: rc = step_case(im, v, false); break;
        case STEP_PAST:
            if (v->len >= 10 && strncmp(v->s, im->today, 10) > 0)
                rc = bad(im, col_name(im, sp), "date is in the future");
            break;
        case STEP_SURNAME_FIRST:
        case STEP_GIVEN_FIRST: break; /* split by the record code */
        case STEP_TERM_START:
        case STEP_TERM_END: rc = step_term(im, sp, v, st->kind == STEP_TERM_END); break;
        case STEP_PERCENT:
        case STEP_SUM:
        case STEP_BELOW: rc = step_arith(im, sp, st, v); break;
        }
        if (rc)
            return rc;
        if (v->len == 0) {
            v->kind = V_NULL;
            return SVP_OK;
        }
    }
    return SVP_OK;
}

static int eval_field(struct imp *im, const struct ingest_section *sec, enum ingest_target t,
                      struct val *v)
{
    int i = sec->slot[t];
    if (i < 0) {
        *v = (struct val){NULL, 0, V_NULL};
        return SVP_OK;
    }
    const struct ingest_spec *sp = &sec->fields[i].spec;
    int rc = eval(im, sp, v, false);
    bool coded = t == T_SEX || t == T_ETHNICITY || t == T_ROLE || t == T_TYPE ||
                 t == T_PLACE_KIND || t == T_REL_KIND;
    /* Fixed values and code tables were checked against the vocabulary when the profile
     * was read; only values straight from a column (or passed through) need a look. */
    const struct ingest_step *last = sp->nsteps ? &sp->steps[sp->nsteps - 1] : NULL;
    if (sp->col < 0 || (last && last->kind == STEP_MAP && (!im->p->maps[last->map].fallback ||
                                                           strcmp(im->p->maps[last->map].fallback,
                                                                  "*"))))
        coded = false;
    if (rc == SVP_OK && v->kind != V_NULL && coded) {
        char tmp[64];
        size_t n = v->len < sizeof tmp - 1 ? v->len : sizeof tmp - 1;
        memcpy(tmp, v->s, n);
        tmp[n] = '\0';
        if (!ingest_known_code(t, tmp))
            return bad(im, col_name(im, &sec->fields[i].spec),
                       "value is not a canonical %s code (docs/model.md): add a [map]",
                       sec->fields[i].key);
    }
    return rc;
}

/* NUL-terminated arena copy of a value, or NULL for V_NULL. */
static const char *vstr(struct imp *im, const struct val *v)
{
    if (v->kind == V_NULL)
        return NULL;
    return row_strndup(im, v->s, v->len);
}

/* Writes s[0..n) as a JSON string at out, escaped as json_str does; returns the bytes
 * written, at most 6n + 2. */
static size_t json_put(char *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c < 0x20) {
            memcpy(o, "\\u00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o += 6;
        } else {
            *o++ = (char)c;
        }
    }
    *o++ = '"';
    return (size_t)(o - out);
}

#define DETAIL_MAX (1u << 24)

/* The detail JSON object of a section, or NULL when it has no values. Written straight
 * into the row arena after sizing it, since every event row of a county builds one. */
static int detail_json(struct imp *im, const struct ingest_section *sec, const char **out)
{
    struct val vals[INGEST_MAX_FIELDS];
    const char *keys[INGEST_MAX_FIELDS];
    size_t klen[INGEST_MAX_FIELDS];
    int n = 0;
    size_t cap = 2; /* the braces */
    for (int i = 0; i < sec->nfields; i++) {
        const struct ingest_field *f = &sec->fields[i];
        if (f->target != T_DETAIL)
            continue;
        int rc = eval(im, &f->spec, &vals[n], false);
        if (rc)
            return rc;
        if (vals[n].kind == V_NULL)
            continue;
        keys[n] = f->key;
        klen[n] = strlen(f->key);
        cap += 6 * klen[n] + 4 + (vals[n].kind == V_TEXT ? 6 * vals[n].len + 2 : vals[n].len);
        n++;
    }
    *out = NULL;
    if (!n)
        return SVP_OK;
    if (cap > DETAIL_MAX)
        return bad(im, "", "detail too long");
    char *b = row_alloc(im, cap + 1);
    if (!b)
        return SVP_ENOMEM;
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        b[at++] = i ? ',' : '{';
        at += json_put(b + at, keys[i], klen[i]);
        b[at++] = ':';
        if (vals[i].kind == V_TEXT) {
            at += json_put(b + at, vals[i].s, vals[i].len);
        } else {
            memcpy(b + at, vals[i].s, vals[i].len);
            at += vals[i].len;
        }
    }
    b[at++] = '}';
    b[at] = '\0';
    *out = b;
    return SVP_OK;
}

/* ------------------------------------------------------------------ binding helpers */

static int bind_opt(struct store_stmt *st, int i, const char *s)
{
    return s ? store_bind_text_ref(st, i, s, -1) : store_bind_null(st, i);
}

static uint64_t hash_strs(const char *const *v, int n)
{
    uint64_t h = FNV_START;
    for (int i = 0; i < n; i++) {
        h = v[i] ? fnv_str(v[i], h) : fnv("\x01", 1, h);
        h = fnv("\x1f", 1, h);
    }
    return h;
}

static void hash_hex(uint64_t h, char out[17])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

/* The current values of a row as a JSON object, for the history tables. */
static int previous_json(struct store_stmt *st, int first, char **out)
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
            rc = json_str(&b, name, strlen(name));
        if (!rc)
            rc = svp_buf_putc(&b, ':');
        if (!rc)
            rc = json_str(&b, t, strlen(t));
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

enum change { CH_UNCHANGED, CH_UPDATED, CH_NEW };

/* Splits a full name into given, middle and family parts (arena copies). */
static int split_name(struct imp *im, const struct ingest_spec *sp, const struct val *v,
                      const char **given, const char **middle, const char **family)
{
    bool surname_first = false;
    for (int i = 0; i < sp->nsteps; i++)
        if (sp->steps[i].kind == STEP_SURNAME_FIRST)
            surname_first = true;
    const char *s = v->s, *end = v->s + v->len;
    const char *fam_a, *fam_z, *rest_a, *rest_z;
    if (surname_first) {
        const char *comma = memchr(s, ',', v->len);
        if (!comma)
            return bad(im, col_name(im, sp), "name is not 'SURNAME, Forenames'");
        fam_a = s, fam_z = comma, rest_a = comma + 1, rest_z = end;
    } else {
        const char *sp_last = end;
        while (sp_last > s && !isspace((unsigned char)sp_last[-1]))
            sp_last--;
        fam_a = sp_last, fam_z = end, rest_a = s, rest_z = sp_last;
    }
    while (fam_a < fam_z && isspace((unsigned char)*fam_a))
        fam_a++;
    while (fam_z > fam_a && isspace((unsigned char)fam_z[-1]))
        fam_z--;
    while (rest_a < rest_z && isspace((unsigned char)*rest_a))
        rest_a++;
    while (rest_z > rest_a && isspace((unsigned char)rest_z[-1]))
        rest_z--;
    const char *g_z = rest_a;
    while (g_z < rest_z && !isspace((unsigned char)*g_z))
        g_z++;
    const char *m_a = g_z;
    while (m_a < rest_z && isspace((unsigned char)*m_a))
        m_a++;
    *family = fam_z > fam_a ? row_strndup(im, fam_a, (size_t)(fam_z - fam_a)) : NULL;
    *given = g_z > rest_a ? row_strndup(im, rest_a, (size_t)(g_z - rest_a)) : NULL;
    *middle = rest_z > m_a ? row_strndup(im, m_a, (size_t)(rest_z - m_a)) : NULL;
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
        return bad(im, field, "name cannot be normalised");
    *out = row_strndup(im, n, strlen(n));
    svp_free(n);
    return *out ? SVP_OK : SVP_ENOMEM;
}

/* A record known only by its id (a found-with id, an event for a person not yet sent). */
static int take_record_id(struct imp *im, int64_t *id);

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
    struct store_stmt *st = im->st[S_STUB_INSERT_ID];
    store_reset(st);
    int rc = take_record_id(im, id);
    if (!rc)
        rc = bind_stub(im, st, pid, line);
    if (!rc)
        rc = store_bind_int64(st, 7, *id);
    if (!rc && (rc = store_queue(st, im->err)))
        rc = dberr(im, rc);
    return rc ? rc : smap_put(&im->records, pid, (struct smap_val){*id, 0, line});
}

static int stub_record(struct imp *im, const char *pid, long line, int64_t *id)
{
    if (im->queue_records)
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
        return dberr(im, rc);
    if (rc == STORE_ROW) {
        *id = store_column_int64(st, 0);
        store_reset(st);
        return smap_put(&im->records, pid, (struct smap_val){*id, 0, line});
    }
    store_reset(st);
    st = im->st[S_STUB_INSERT];
    store_reset(st);
    if ((rc = bind_stub(im, st, pid, line)))
        return rc;
    rc = store_step(st, im->err);
    if (rc != STORE_ROW)
        return rc < 0 ? dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "stub insert gave no id");
    *id = store_column_int64(st, 0);
    store_reset(st);
    return smap_put(&im->records, pid, (struct smap_val){*id, 0, line});
}

/* The content hash of a record's values; the normalised names (v[10], v[11]) follow from
 * the names and are left out. The shared identifier came later: it joins the hash only when
 * there is one, so records stored before it keep their hashes. */
static uint64_t rec_hash(const struct ingest_profile *p, const char *const *v)
{
    const char *w[12] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[12],
                         v[13]};
    return fnv_str(p->agency, hash_strs(w, v[13] ? 12 : 11));
}

/* A record's values, computed and checked before anything is written. */
#define REC_NVALS 14
struct rec_vals {
    const char *v[REC_NVALS]; /* given, middle, family, dob, sex, ethnicity, postcode, address,
                                 area, role, norm_given, norm_family, detail, shared_id */
    uint64_t h;
};

/* Notes a value the row is kept without; written to the rejects file once the row is
 * accepted (a row rejected whole for another reason gets that line instead). */
static void drop_value(struct imp *im, const char *field, const char *why, const char *what)
{
    im->drop_field = field;
    snprintf(im->drop_why, sizeof im->drop_why, "%s; row kept without %s", why, what);
}

/* The record's date of birth, or NULL. One that cannot be used (no such day, in the
 * future, before 1900: a keying error, not a child) is dropped and the row kept: a record
 * with no date of birth still imports and links on what it has (issue 9), and refusing
 * the row would lose a child. An empty required one still rejects the row. */
static int eval_dob(struct imp *im, const struct ingest_section *sec, const char **dob)
{
    *dob = NULL;
    if (sec->slot[T_DOB] < 0)
        return SVP_OK;
    const char *col = col_name(im, &sec->fields[sec->slot[T_DOB]].spec);
    struct val x;
    int rc = eval_field(im, sec, T_DOB, &x);
    if (rc == SVP_EINPUT && x.kind != V_NULL) {
        drop_value(im, im->bad_field, im->why, "date of birth");
        return SVP_OK;
    }
    if (rc || x.kind == V_NULL)
        return rc;
    if (x.len != 10) /* the profile's mistake, not the row's: every row would lose it */
        return bad(im, col, "date of birth must be a date (use the 'date' step)");
    if (strncmp(x.s, im->today, 10) > 0)
        drop_value(im, col, "date of birth is in the future", "date of birth");
    else if (strncmp(x.s, "1900-01-01", 10) < 0)
        drop_value(im, col, "date of birth is before 1900", "date of birth");
    else if (!(*dob = vstr(im, &x)))
        return SVP_ENOMEM;
    return SVP_OK;
}

static int compute_record(struct imp *im, struct rec_vals *rv)
{
    const struct ingest_profile *p = im->p;
    const struct ingest_section *sec = &p->secs[p->record_sec];
    const char **v = rv->v;
    memset(rv, 0, sizeof *rv);
    struct val x;
    int rc;
    if (sec->slot[T_FULL_NAME] >= 0) {
        const struct ingest_spec *sp = &sec->fields[sec->slot[T_FULL_NAME]].spec;
        if ((rc = eval(im, sp, &x, false)))
            return rc;
        if (x.kind != V_NULL && (rc = split_name(im, sp, &x, &v[0], &v[1], &v[2])))
            return rc;
    } else {
        static const enum ingest_target nt[3] = {T_GIVEN, T_MIDDLE, T_FAMILY};
        for (int i = 0; i < 3; i++) {
            if ((rc = eval_field(im, sec, nt[i], &x)))
                return rc;
            v[i] = vstr(im, &x);
        }
    }
    static const enum ingest_target ot[6] = {T_SEX, T_ETHNICITY, T_POSTCODE,
                                             T_ADDRESS, T_AREA, T_ROLE};
    for (int i = 0; i < 6; i++) {
        if ((rc = eval_field(im, sec, ot[i], &x)))
            return rc;
        v[4 + i] = vstr(im, &x);
    }
    if ((rc = eval_dob(im, sec, &v[3])))
        return rc;
    if (!v[9] && !strcmp(p->default_role, "by_dob")) {
        /* Nothing but the date of birth says child or adult (police nominals). */
        int y, m, d;
        svp_date_to_ymd(svp_date_today(), &y, &m, &d);
        char adult_before[40];
        snprintf(adult_before, sizeof adult_before, "%04d-%02d-%02d", y - 18, m, d);
        v[9] = !v[3] ? "unknown" : strcmp(v[3], adult_before) > 0 ? "child" : "adult";
    } else if (!v[9]) {
        v[9] = p->default_role;
    }
    if ((rc = detail_json(im, sec, &v[12])))
        return rc;
    if ((rc = eval_field(im, sec, T_SHARED_ID, &x)))
        return rc;
    v[13] = vstr(im, &x);
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
    if ((rc = store_step(hs, im->err)) < 0)
        return dberr(im, rc);
    store_reset(hs);
    return SVP_OK;
}

/* Binds a record's values and provenance (file, line, content hash, time), the columns
 * the record INSERTs and UPDATE share, from parameter first on. */
static int bind_record_values(struct imp *im, struct store_stmt *st, int first,
                              const struct rec_vals *rv, const char *hex)
{
    int rc = SVP_OK;
    for (int i = 0; i < REC_NVALS && !rc; i++)
        rc = bind_opt(st, first + i, rv->v[i]);
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

static int write_record(struct imp *im, const char *pid, const struct rec_vals *rv,
                        int64_t *rec_id, enum change *ch)
{
    const struct ingest_profile *p = im->p;
    struct smap_val *known = smap_get(&im->records, pid);
    if (known && known->hash == rv->h) {
        *rec_id = known->id;
        *ch = CH_UNCHANGED;
        return SVP_OK;
    }
    char hex[17];
    hash_hex(rv->h, hex);
    struct rec_vals normed = *rv;
    int rc = rec_norms(im, normed.v);
    if (rc)
        return rc;
    rv = &normed;
    bool quiet = im->sqlite;
    /* A record already written by this file (a stub, or other values on an earlier row)
     * takes the path that finds and updates it. */
    bool queued = im->queue_records && !known;
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
        if ((rc = take_record_id(im, rec_id)) ||
            (rc = store_bind_int64(st, 8 + REC_NVALS, *rec_id)))
            return rc;
        if ((rc = store_queue(st, im->err)))
            return dberr(im, rc);
        *ch = CH_NEW;
        return smap_put(&im->records, pid, (struct smap_val){*rec_id, rv->h, im->r->line});
    }
    rc = store_step(st, im->err);
    if (rc < 0)
        return dberr(im, rc);
    if (quiet && store_changes(st) == 1) {
        store_reset(st);
        struct store_stmt *li = im->st[S_LAST_ID];
        store_reset(li);
        if ((rc = store_step(li, im->err)) != STORE_ROW)
            return rc < 0 ? dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "no last id");
        *rec_id = store_column_int64(li, 0);
        store_reset(li);
        *ch = CH_NEW;
        return smap_put(&im->records, pid, (struct smap_val){*rec_id, rv->h, im->r->line});
    }
    if (rc == STORE_ROW) {
        *rec_id = store_column_int64(st, 0);
        *ch = CH_NEW;
        store_reset(st);
        return smap_put(&im->records, pid, (struct smap_val){*rec_id, rv->h, im->r->line});
    }
    store_reset(st);
    /* It exists: same content changes nothing; different content is an update. */
    struct store_stmt *sel = im->st[S_REC_SELECT];
    store_reset(sel);
    if ((rc = store_bind_text_ref(sel, 1, p->id_space, -1)) || (rc = store_bind_text_ref(sel, 2, pid, -1)))
        return rc;
    rc = store_step(sel, im->err);
    if (rc != STORE_ROW) {
        store_reset(sel);
        return rc < 0 ? dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "record vanished");
    }
    *rec_id = store_column_int64(sel, 0);
    const char *old = store_column_text(sel, 1);
    /* A layout that does not map a field keeps what another layout of the same id space
     * recorded (the school events file has no ethnicity; the attendance file has). */
    struct rec_vals merged = *rv;
    const struct ingest_section *sec = &p->secs[p->record_sec];
    bool names = sec->slot[T_FULL_NAME] >= 0;
    const int mapped[REC_NVALS] = {
        names || sec->slot[T_GIVEN] >= 0, names || sec->slot[T_MIDDLE] >= 0,
        names || sec->slot[T_FAMILY] >= 0, sec->slot[T_DOB] >= 0, sec->slot[T_SEX] >= 0,
        sec->slot[T_ETHNICITY] >= 0, sec->slot[T_POSTCODE] >= 0, sec->slot[T_ADDRESS] >= 0,
        sec->slot[T_AREA] >= 0, 1, names || sec->slot[T_GIVEN] >= 0,
        names || sec->slot[T_FAMILY] >= 0, rv->v[12] != NULL, sec->slot[T_SHARED_ID] >= 0};
    static const int oldcol[REC_NVALS] = {2, 3, 4, 5, 6, 7, 8, 9, 10, -1, -1, -1, 12, 15};
    for (int i = 0; old && i < REC_NVALS; i++)
        if (!mapped[i] && oldcol[i] >= 0) {
            const char *o = store_column_text(sel, oldcol[i]);
            merged.v[i] = o ? row_strndup(im, o, strlen(o)) : NULL;
            if (o && !merged.v[i]) {
                store_reset(sel);
                return SVP_ENOMEM;
            }
        }
    if (old && (rc = rec_norms(im, merged.v)))
        return rc;
    merged.h = rec_hash(p, merged.v);
    hash_hex(merged.h, hex);
    rv = &merged;
    if (old && !strcmp(old, hex)) {
        store_reset(sel);
        *ch = CH_UNCHANGED;
        return smap_put(&im->records, pid, (struct smap_val){*rec_id, rv->h, im->r->line});
    }
    char *prev = NULL;
    /* A stub (content_hash NULL) held no values worth keeping. */
    if (old && (rc = previous_json(sel, 2, &prev))) {
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
    if ((rc = store_step(up, im->err)) < 0)
        return dberr(im, rc);
    store_reset(up);
    *ch = old ? CH_UPDATED : CH_NEW;
    return smap_put(&im->records, pid, (struct smap_val){*rec_id, rv->h, im->r->line});
}

/* ------------------------------------------------------------------ places and events */

struct place_vals {
    const char *key, *name, *postcode, *area, *kind;
    bool has_lat, has_lon;
    double lat, lon;
    int in_county;
};

static int compute_place(struct imp *im, const struct ingest_section *sec, struct place_vals *pv)
{
    struct val name, pc, lat, lon, area, kind, inc;
    int rc;
    memset(pv, 0, sizeof *pv);
    if ((rc = eval_field(im, sec, T_PLACE_NAME, &name)) ||
        (rc = eval_field(im, sec, T_PLACE_POSTCODE, &pc)) ||
        (rc = eval_field(im, sec, T_PLACE_LAT, &lat)) ||
        (rc = eval_field(im, sec, T_PLACE_LON, &lon)) ||
        (rc = eval_field(im, sec, T_PLACE_AREA, &area)) ||
        (rc = eval_field(im, sec, T_PLACE_KIND, &kind)) ||
        (rc = eval_field(im, sec, T_PLACE_IN_COUNTY, &inc)))
        return rc;
    if (name.kind == V_NULL && pc.kind == V_NULL)
        return SVP_OK;
    const char *norm = NULL;
    pv->name = vstr(im, &name);
    pv->postcode = vstr(im, &pc);
    pv->area = vstr(im, &area);
    pv->kind = vstr(im, &kind);
    pv->has_lat = lat.kind != V_NULL;
    pv->has_lon = lon.kind != V_NULL;
    pv->lat = pv->has_lat ? strtod(lat.s, NULL) : 0;
    pv->lon = pv->has_lon ? strtod(lon.s, NULL) : 0;
    pv->in_county = inc.kind == V_NULL || inc.s[0] == '1';
    if ((rc = normalise(im, pv->name, "place.name", &norm)))
        return rc;
    pv->key = row_join(im, norm ? norm : "", '|', pv->postcode ? pv->postcode : "");
    if (!pv->key)
        return SVP_ENOMEM;
    return SVP_OK;
}

static int write_place(struct imp *im, const struct place_vals *pv, int64_t *place_id)
{
    *place_id = 0;
    if (!pv->key)
        return SVP_OK;
    struct smap_val *c = smap_get(&im->places, pv->key);
    if (c) {
        *place_id = c->id;
        return SVP_OK;
    }
    struct store_stmt *st = im->st[S_PLACE_INSERT];
    store_reset(st);
    int rc = store_bind_text_ref(st, 1, pv->key, -1);
    if (!rc)
        rc = bind_opt(st, 2, pv->name);
    if (!rc)
        rc = bind_opt(st, 3, pv->postcode);
    if (!rc)
        rc = pv->has_lat ? store_bind_double(st, 4, pv->lat) : store_bind_null(st, 4);
    if (!rc)
        rc = pv->has_lon ? store_bind_double(st, 5, pv->lon) : store_bind_null(st, 5);
    if (!rc)
        rc = bind_opt(st, 6, pv->area);
    if (!rc)
        rc = store_bind_int64(st, 7, pv->in_county);
    if (!rc)
        rc = bind_opt(st, 8, pv->kind);
    if (rc)
        return rc;
    rc = store_step(st, im->err);
    if (rc < 0)
        return dberr(im, rc);
    if (rc == STORE_ROW) {
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
            return rc < 0 ? dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "place vanished");
        }
        *place_id = store_column_int64(sel, 0);
        store_reset(sel);
    }
    return smap_put(&im->places, pv->key, (struct smap_val){*place_id, 0, im->r->line});
}

/* An event's values, computed and checked before anything is written. */
struct ev_vals {
    bool present;
    const char *v[7]; /* type, subtype, started_at, ended_at, place key, detail, record id */
    const char *eid;
    const char *persons; /* whose events, when the section names a person column */
    char sep;            /* separator of persons when it is a list */
    struct place_vals place;
};

static int compute_event(struct imp *im, int si, const char *row_id, struct ev_vals *ev)
{
    const struct ingest_section *sec = &im->p->secs[si];
    struct val type, sub, start, end;
    int rc;
    memset(ev, 0, sizeof *ev);
    if (sec->slot[T_PERSON] >= 0) {
        const struct ingest_spec *ps = &sec->fields[sec->slot[T_PERSON]].spec;
        struct val who;
        if ((rc = eval(im, ps, &who, true)))
            return rc;
        if (who.kind == V_NULL)
            return SVP_OK; /* nobody named: no event */
        if (!(ev->persons = vstr(im, &who)))
            return SVP_ENOMEM;
        for (int i = 0; i < ps->nsteps; i++)
            if (ps->steps[i].kind == STEP_LIST)
                ev->sep = ps->steps[i].arg[0];
    }
    if ((rc = eval_field(im, sec, T_STARTED, &start)))
        return rc;
    if (start.kind == V_NULL) {
        if (sec->optional)
            return SVP_OK; /* no event from this section on this row */
        return bad(im, col_name(im, &sec->fields[sec->slot[T_STARTED]].spec),
                   "started_at is empty");
    }
    if ((rc = eval_field(im, sec, T_TYPE, &type)) || (rc = eval_field(im, sec, T_SUBTYPE, &sub)) ||
        (rc = eval_field(im, sec, T_ENDED, &end)))
        return rc;
    if (type.kind == V_NULL)
        return bad(im, col_name(im, &sec->fields[sec->slot[T_TYPE]].spec), "event type is empty");
    ev->v[0] = vstr(im, &type);
    ev->v[1] = vstr(im, &sub);
    ev->v[2] = vstr(im, &start);
    ev->v[3] = vstr(im, &end);
    /* Compare on the day: a date-only end on the start's day is not before it. */
    if (ev->v[3] && strncmp(ev->v[3], ev->v[2], 10) < 0)
        return bad(im, col_name(im, &sec->fields[sec->slot[T_ENDED]].spec),
                   "ended_at is before started_at");
    if ((rc = compute_place(im, sec, &ev->place)))
        return rc;
    ev->v[4] = ev->place.key;
    if ((rc = detail_json(im, sec, &ev->v[5])))
        return rc;
    ev->eid = row_id;
    if (*sec->name) {
        if (!(ev->eid = row_join(im, row_id, '/', sec->name)))
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
        rc = bind_opt(st, first + 1 + i, v[i]);
    if (!rc)
        rc = place_id ? store_bind_int64(st, first + 5, place_id) : store_bind_null(st, first + 5);
    if (!rc)
        rc = bind_opt(st, first + 6, v[5]);
    if (!rc)
        rc = store_bind_int64(st, first + 7, im->file_id);
    if (!rc)
        rc = store_bind_int64(st, first + 8, im->r->line);
    if (!rc)
        rc = store_bind_text_ref(st, first + 9, hex, -1);
    return rc;
}

static int write_event(struct imp *im, struct ev_vals *ev, int64_t rec_id, int64_t *ev_id,
                       enum change *ch)
{
    int64_t place_id;
    int rc = write_place(im, &ev->place, &place_id);
    if (rc)
        return rc;
    char rid[32];
    fmt_i64(rec_id, rid);
    ev->v[6] = rid;
    char hex[17];
    hash_hex(hash_strs(ev->v, 7), hex);
    const char *const *v = ev->v;
    bool quiet = im->nrelsecs == 0;
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
        return (rc = store_queue(st, im->err)) ? dberr(im, rc) : SVP_OK;
    }
    rc = store_step(st, im->err);
    if (rc < 0)
        return dberr(im, rc);
    if (quiet && store_changes(st) == 1) {
        *ev_id = 0; /* not needed: no relationship refers to it */
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
        return rc < 0 ? dberr(im, rc) : svp_err_set(im->err, SVP_EDB, "event vanished");
    }
    *ev_id = store_column_int64(sel, 0);
    const char *old = store_column_text(sel, 1);
    if (old && !strcmp(old, hex)) {
        store_reset(sel);
        *ch = CH_UNCHANGED;
        return SVP_OK;
    }
    char *prev = NULL;
    rc = previous_json(sel, 2, &prev);
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
        return dberr(im, rc);
    store_reset(up);
    *ch = CH_UPDATED;
    return SVP_OK;
}

/* ------------------------------------------------------------------ relationships */

static int resolve_person(struct imp *im, const char *pid, int64_t *id);

static int queue_rels(struct imp *im, int si, int64_t rec_id, int64_t ev_id)
{
    const struct ingest_section *sec = &im->p->secs[si];
    const struct ingest_spec *sp = &sec->fields[sec->slot[T_REL_OTHER]].spec;
    struct val kind, other;
    int rc;
    if ((rc = eval_field(im, sec, T_REL_KIND, &kind)) || (rc = eval(im, sp, &other, true)))
        return rc;
    if (other.kind == V_NULL || kind.kind == V_NULL)
        return SVP_OK;
    if (sec->slot[T_PERSON] >= 0) {
        struct val who;
        if ((rc = eval(im, &sec->fields[sec->slot[T_PERSON]].spec, &who, true)))
            return rc;
        if (who.kind == V_NULL)
            return SVP_OK;
        const char *w = vstr(im, &who);
        if (!w)
            return SVP_ENOMEM;
        if ((rc = resolve_person(im, w, &rec_id)))
            return rc;
    }
    char sep = 0;
    for (int i = 0; i < sp->nsteps; i++)
        if (sp->steps[i].kind == STEP_LIST)
            sep = sp->steps[i].arg[0];
    const char *k = NULL;
    {
        char tmp[32];
        size_t n = kind.len < sizeof tmp - 1 ? kind.len : sizeof tmp - 1;
        memcpy(tmp, kind.s, n);
        tmp[n] = '\0';
        /* kind values are checked canonical by eval_field; keep a stable copy */
        k = svp_arena_strndup(im->run, tmp, n);
        if (!k)
            return SVP_ENOMEM;
    }
    const char *p = other.s, *end = other.s + other.len;
    while (p < end) {
        const char *q = sep ? memchr(p, sep, (size_t)(end - p)) : NULL;
        if (!q)
            q = end;
        const char *a = p, *z = q;
        while (a < z && isspace((unsigned char)*a))
            a++;
        while (z > a && isspace((unsigned char)z[-1]))
            z--;
        if (z > a) {
            if (im->nrels == im->caprels) {
                size_t nc = im->caprels ? im->caprels * 2 : 256;
                struct pending_rel *nr = svp_realloc(im->rels, nc * sizeof *nr);
                if (!nr)
                    return SVP_ENOMEM;
                im->rels = nr;
                im->caprels = nc;
            }
            char *o = svp_arena_strndup(im->run, a, (size_t)(z - a));
            if (!o)
                return SVP_ENOMEM;
            im->rels[im->nrels++] = (struct pending_rel){rec_id, ev_id, o, k, sec->both_ways,
                                                         im->r->line};
        }
        p = q + 1;
    }
    return SVP_OK;
}

static int add_rel(struct imp *im, const struct pending_rel *r, int64_t a, int64_t b)
{
    struct store_stmt *ex = im->st[S_REL_EXISTS];
    store_reset(ex);
    int rc = store_bind_text_ref(ex, 1, im->p->name, -1);
    if (!rc)
        rc = store_bind_text_ref(ex, 2, r->kind, -1);
    if (!rc)
        rc = store_bind_int64(ex, 3, a);
    if (!rc)
        rc = store_bind_int64(ex, 4, b);
    if (!rc)
        rc = store_bind_int64(ex, 5, r->event_id);
    if (rc)
        return rc;
    rc = store_step(ex, im->err);
    store_reset(ex);
    if (rc < 0)
        return dberr(im, rc);
    if (rc == STORE_ROW)
        return SVP_OK;
    struct store_stmt *in = im->st[S_REL_INSERT];
    store_reset(in);
    rc = store_bind_text_ref(in, 1, im->p->name, -1);
    if (!rc)
        rc = store_bind_text_ref(in, 2, im->p->agency, -1);
    if (!rc)
        rc = store_bind_text_ref(in, 3, r->kind, -1);
    if (!rc)
        rc = store_bind_int64(in, 4, a);
    if (!rc)
        rc = store_bind_int64(in, 5, b);
    if (!rc)
        rc = r->event_id ? store_bind_int64(in, 6, r->event_id) : store_bind_null(in, 6);
    if (!rc)
        rc = store_bind_int64(in, 7, im->file_id);
    if (!rc)
        rc = store_bind_int64(in, 8, r->line);
    if (rc)
        return rc;
    /* Nothing is read back: queued (the next existence check runs behind it). */
    if ((rc = store_queue(in, im->err)))
        return dberr(im, rc);
    im->res->relationships++;
    return SVP_OK;
}

/* Relationships are resolved once every row is in, so an id named before its own row
 * (found with someone later in the file) finds that row's record. */
static int resolve_rels(struct imp *im)
{
    for (size_t i = 0; i < im->nrels; i++) {
        const struct pending_rel *r = &im->rels[i];
        struct smap_val *k = smap_get(&im->records, r->other);
        int64_t b;
        int rc;
        if (k)
            b = k->id;
        else if ((rc = stub_record(im, r->other, r->line, &b)))
            return rc;
        if (b == r->a)
            continue;
        if ((rc = add_rel(im, r, r->a, b)))
            return rc;
        if (r->both_ways && (rc = add_rel(im, r, b, r->a)))
            return rc;
    }
    return SVP_OK;
}

/* ------------------------------------------------------------------ rejects */

static int csv_cell(struct svp_buf *b, const char *s)
{
    bool q = strpbrk(s, ",\"\r\n") != NULL;
    int rc = q ? svp_buf_putc(b, '"') : SVP_OK;
    for (; *s && !rc; s++)
        rc = *s == '"' ? svp_buf_puts(b, "\"\"") : svp_buf_putc(b, *s);
    return rc || !q ? rc : svp_buf_putc(b, '"');
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

static int flush_rejects(struct imp *im)
{
    if (!im->rejects.len)
        return SVP_OK;
    const char *path = im->opts && im->opts->rejects_path ? im->opts->rejects_path
                                                          : "svp-rejects.csv";
    svp_strlcpy(im->res->rejects_path, path, sizeof im->res->rejects_path);
    FILE *f = fopen(path, "ab");
    if (!f)
        return svp_err_at(im->err, SVP_EIO, path, 0, NULL, "cannot write rejects: %s",
                          strerror(errno));
    bool fresh = ftell(f) == 0;
    if (fresh)
        fputs("file,line,field,reason\n", f);
    fwrite(im->rejects.data, 1, im->rejects.len, f);
    if (fclose(f))
        return svp_err_at(im->err, SVP_EIO, path, 0, NULL, "cannot write rejects");
    return SVP_OK;
}

/* ------------------------------------------------------------------ one row */

static int resolve_person(struct imp *im, const char *pid, int64_t *id)
{
    struct smap_val *k = smap_get(&im->records, pid);
    if (k) {
        *id = k->id;
        return SVP_OK;
    }
    return stub_record(im, pid, im->r->line, id);
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
            int rc = smap_put(&im->seen_rows, e->id, (struct smap_val){0, 0, e->line});
            if (rc)
                return rc;
        }
    }
    struct smap_val *v = smap_get(&im->seen_rows, rid);
    if (v)
        *line = v->line;
    return SVP_OK;
}

/* Notes the id of an accepted row. */
static int seen_row(struct imp *im, const char *rid, long line)
{
    if (im->out_of_order)
        return smap_put(&im->seen_rows, rid, (struct smap_val){0, 0, line});
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
    int rc = compute_place(im, &im->p->secs[im->p->place_sec], &pv);
    if (rc)
        return rc;
    if (!pv.key)
        return bad(im, "", "place has neither name nor postcode");
    struct store_stmt *sel = im->st[S_PLACE_SELECT];
    store_reset(sel);
    if ((rc = store_bind_text_ref(sel, 1, pv.key, -1)))
        return rc;
    rc = store_step(sel, im->err);
    int64_t id = rc == STORE_ROW ? store_column_int64(sel, 0) : 0;
    store_reset(sel);
    if (rc < 0)
        return dberr(im, rc);
    if (!id) {
        if ((rc = write_place(im, &pv, &id)))
            return rc;
        im->res->rows_new++;
    } else {
        struct store_stmt *up = im->st[S_PLACE_UPDATE];
        store_reset(up);
        rc = bind_opt(up, 1, pv.name);
        if (!rc)
            rc = pv.has_lat ? store_bind_double(up, 2, pv.lat) : store_bind_null(up, 2);
        if (!rc)
            rc = pv.has_lon ? store_bind_double(up, 3, pv.lon) : store_bind_null(up, 3);
        if (!rc)
            rc = bind_opt(up, 4, pv.area);
        if (!rc)
            rc = store_bind_int64(up, 5, pv.in_county);
        if (!rc)
            rc = bind_opt(up, 6, pv.kind);
        if (!rc)
            rc = store_bind_int64(up, 7, id);
        if (rc)
            return rc;
        if ((rc = store_step(up, im->err)) < 0)
            return dberr(im, rc);
        store_reset(up);
        im->res->rows_updated++;
    }
    if ((rc = seen_row(im, rid, im->r->line)))
        return rc;
    im->res->rows_accepted++;
    return SVP_OK;
}

static int do_row(struct imp *im, const struct svp_csv_row *row)
{
    const struct ingest_profile *p = im->p;
    im->r = row;
    im->why[0] = '\0';
    im->bad_field = NULL;
    im->drop_field = NULL;
    row_reset(im);
    if (row->error)
        return bad(im, "", "%s", row->error);
    if (row->nfields != im->nhdr)
        return bad(im, "", "row has %zu fields but the header has %zu", row->nfields, im->nhdr);
    if (!p->cp1252)
        for (int c = 0; c < p->ncols; c++) {
            const struct svp_csv_field *f = &row->fields[im->colmap[c]];
            size_t off;
            if (!svp_utf8_valid(f->p, f->len, &off))
                return bad(im, p->cols[c], "not valid UTF-8 (byte %zu of the value)", off);
        }
    struct ingest_spec idspec = {.col = p->row_col, .join = {-1, -1, -1, -1}};
    struct val pidv = {0}, ridv;
    int rc;
    if ((rc = raw_value(im, &idspec, &ridv)))
        return rc;
    if (ridv.kind == V_NULL)
        return bad(im, p->cols[p->row_col], "row id is empty");
    const char *rid = vstr(im, &ridv);
    if (!rid)
        return SVP_ENOMEM;
    long first;
    if ((rc = first_seen_at(im, rid, &first)))
        return rc;
    if (first)
        return bad(im, p->cols[p->row_col], "duplicate id in this file (first at line %ld)",
                   first);
    if (p->place_sec >= 0)
        return place_row(im, rid);
    idspec.col = p->person_col;
    if ((rc = raw_value(im, &idspec, &pidv)))
        return rc;
    if (pidv.kind == V_NULL)
        return bad(im, p->cols[p->person_col], "person id is empty");
    const char *pid = vstr(im, &pidv);
    if (!pid)
        return SVP_ENOMEM;
    /* Every value is computed and checked before anything is written, so a bad row
     * leaves no trace but its line in the rejects file. */
    struct rec_vals rv;
    struct ev_vals ev[INGEST_MAX_SECTIONS];
    if (p->record_sec >= 0 && (rc = compute_record(im, &rv)))
        return rc;
    for (int i = 0; i < p->nsecs; i++) {
        ev[i].present = false;
        if (p->secs[i].kind == SEC_EVENT && (rc = compute_event(im, i, rid, &ev[i])))
            return rc;
        if (p->secs[i].kind == SEC_RELATIONSHIP) {
            const struct ingest_section *sec = &p->secs[i];
            struct val k, o;
            if ((rc = eval_field(im, sec, T_REL_KIND, &k)) ||
                (rc = eval(im, &sec->fields[sec->slot[T_REL_OTHER]].spec, &o, true)))
                return rc;
        }
    }
    int64_t rec_id = 0;
    enum change best = CH_UNCHANGED;
    if (p->record_sec >= 0) {
        if ((rc = write_record(im, pid, &rv, &rec_id, &best)))
            return rc;
    } else {
        struct smap_val *k = smap_get(&im->records, pid);
        if (k)
            rec_id = k->id;
        else if ((rc = stub_record(im, pid, row->line, &rec_id)))
            return rc;
    }
    int64_t ev_ids[INGEST_MAX_SECTIONS] = {0};
    for (int i = 0; i < p->nsecs; i++) {
        if (!ev[i].present)
            continue;
        enum change ech;
        if (!ev[i].persons) {
            if ((rc = write_event(im, &ev[i], rec_id, &ev_ids[i], &ech)))
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
            char *who = row_strndup(im, a, (size_t)(b - a));
            const char *eid = who ? row_join(im, base, '/', who) : NULL;
            if (!eid)
                return SVP_ENOMEM;
            ev[i].eid = ev[i].sep ? eid : base;
            int64_t whom;
            if ((rc = resolve_person(im, who, &whom)) ||
                (rc = write_event(im, &ev[i], whom, &ev_ids[i], &ech)))
                return rc;
            if (ech > best)
                best = ech;
        }
    }
    for (int i = 0; i < p->nsecs; i++)
        if (p->secs[i].kind == SEC_RELATIONSHIP &&
            (rc = queue_rels(im, i, rec_id, p->secs[i].event >= 0 ? ev_ids[p->secs[i].event] : 0)))
            return rc;
    if ((rc = seen_row(im, rid, row->line)))
        return rc;
    if (im->drop_field) {
        im->res->values_dropped++;
        if ((rc = reject_line(im, row->line, im->drop_field, im->drop_why)))
            return rc;
    }
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
        if (!im->sqlite && (i == S_LAST_ID || i == S_REC_INSERT_QUIET))
            continue; /* SQLite only */
        if (im->sqlite && (i == S_REC_INSERT_ID || i == S_STUB_INSERT_ID || i == S_RESERVE_IDS))
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
    int rc = store_prepare(im->s,
                           "INSERT INTO source_file (source, agency, path, sha256, imported_at, "
                           "encoding) VALUES (?,?,?,?,?,?) RETURNING id",
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
            rc = svp_err_set(im->err, SVP_EDB, "source_file insert gave no id");
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
    if (!im->nrelsecs)
        rc = source_is_new(im, "SELECT id FROM event WHERE source = ? LIMIT 1", im->p->name,
                           &im->queue_events);
    if (!rc && !im->sqlite && im->p->id_space)
        rc = source_is_new(im, "SELECT id FROM record WHERE source = ? LIMIT 1",
                           im->p->id_space, &im->queue_records);
    return rc;
}

/* The next record id reserved from the table's sequence, RESERVE_IDS at a time. Ids of a
 * rolled back import stay unused, as a sequence's do. */
static int take_record_id(struct imp *im, int64_t *id)
{
    if (im->next_id == im->n_ids) {
        struct store_stmt *st = im->st[S_RESERVE_IDS];
        store_reset(st);
        int rc;
        im->n_ids = im->next_id = 0;
        while ((rc = store_step(st, im->err)) == STORE_ROW && im->n_ids < RESERVE_IDS)
            im->ids[im->n_ids++] = store_column_int64(st, 0);
        store_reset(st);
        if (rc < 0)
            return dberr(im, rc);
        if (!im->n_ids)
            return svp_err_set(im->err, SVP_EDB, "%s: no record ids reserved", im->path);
    }
    *id = im->ids[im->next_id++];
    return SVP_OK;
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
        rc = do_row(im, &row);
        if (rc == SVP_EINPUT) {
            if ((rc = reject(im, row.line, im->bad_field, im->why)))
                return rc;
        } else if (rc) {
            return rc == SVP_ENOMEM ? svp_err_set(im->err, SVP_ENOMEM, "out of memory") : rc;
        }
        if ((im->res->rows_read & 1023) == 0)
            svp_progress_update(&pg, svp_csv_offset(csv));
        if (im->opts && im->opts->kill_at_row && im->res->rows_read == im->opts->kill_at_row)
            raise(SIGKILL);
    }
    svp_progress_end(&pg, svp_csv_offset(csv));
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
    smap_free(&im->seen_rows);
    svp_free(im->ids_in_order);
    smap_free(&im->records);
    smap_free(&im->places);
    svp_buf_free(&im->rejects);
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
    for (int i = 0; i < p->nsecs; i++)
        im.nrelsecs += p->secs[i].kind == SEC_RELATIONSHIP;
    im.sqlite = store_kind(s) == STORE_SQLITE;
    time_t now = time(NULL);
    svp_time_format((svp_time)now, im.now, sizeof im.now);
    svp_date_format(svp_date_today(), im.today, sizeof im.today);
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
    if ((rc = prepare_all(&im)))
        goto out;
    if ((rc = store_begin(s, err)))
        goto out;
    in_tx = true;
    if ((rc = begin_file(&im, hash)) || (rc = plan_queues(&im)) ||
        (rc = run_rows(&im, csv, tlen)) || (rc = store_flush(s, err)) ||
        (rc = resolve_rels(&im)) || (rc = end_file(&im)))
        goto out;
    if ((rc = store_commit(s, err)))
        goto out;
    in_tx = false;
    rc = flush_rejects(&im);
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
    int fcol = -1, pcol = -1;
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
