/* Evaluation of mapped values: each step of a profile's value on the row being read, the
 * row arena the values live in, and the detail JSON of a section. Nothing here writes. */
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int imp_bad(struct imp *im, const char *field, const char *fmt, ...) SVP_PRINTF(3, 4);
int imp_bad(struct imp *im, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->why, sizeof im->why, fmt, ap);
    va_end(ap);
    im->bad_field = field;
    return SVP_EINPUT;
}

void imp_drop(struct imp *im, const char *field, const char *why, const char *what)
{
    char w[360];
    snprintf(w, sizeof w, "%s; row kept without %s", why, what);
    for (int i = 0; i < im->ndrops; i++) /* a value evaluated twice is dropped once */
        if (im->drop_field[i] == field && !strcmp(im->drop_why[i], w))
            return;
    if (im->ndrops == IMP_MAX_DROPS) {
        im->drops_over++;
        return;
    }
    im->drop_field[im->ndrops] = field;
    memcpy(im->drop_why[im->ndrops++], w, sizeof w);
}

/* A value that could not be read: dropped (the row kept) when its spec allows, else the
 * row's reason stands. */
static int drop_or_reject(struct imp *im, const struct ingest_spec *sp, int rc, struct val *v)
{
    if (rc != SVP_EINPUT || !sp->keep_row)
        return rc;
    imp_drop(im, im->bad_field, im->why, "this value");
    im->why[0] = '\0';
    im->bad_field = NULL;
    *v = (struct val){NULL, 0, V_NULL};
    return SVP_OK;
}

void *imp_alloc(struct imp *im, size_t n)
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

char *imp_strndup(struct imp *im, const char *s, size_t n)
{
    char *d = imp_alloc(im, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* "a" sep "b" in the row arena (done by hand: snprintf is slow on the hot path). */
char *imp_join(struct imp *im, const char *a, char sep, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *d = imp_alloc(im, na + nb + 2);
    if (!d)
        return NULL;
    memcpy(d, a, na);
    d[na] = sep;
    memcpy(d + na + 1, b, nb);
    d[na + 1 + nb] = '\0';
    return d;
}

void imp_reset(struct imp *im)
{
    im->bump_used = 0;
    if (im->row_spilled)
        svp_arena_reset(im->row);
    im->row_spilled = false;
}

int imp_dberr(struct imp *im, int rc)
{
    /* The store already filled err; name the file and keep its message. */
    if (rc == SVP_ENOMEM)
        return svp_err_set(im->err, SVP_ENOMEM, "%s: out of memory", im->path);
    /* A value the database refuses (a constraint, a trigger) is no bad value that the row's
     * checks found: the row may be half written, so the file fails whole (rejecting the row
     * would keep its first half). */
    if (rc == SVP_EINPUT)
        return im->err->code = SVP_EDB;
    return rc;
}

/* ------------------------------------------------------------------ value steps */

const char *imp_col_name(struct imp *im, const struct ingest_spec *sp)
{
    if (sp->col >= 0)
        return im->p->cols[sp->col];
    return sp->expr ? (sp->label ? sp->label : "(expression)") : "(fixed value)";
}

/* isspace in the C locale (svp never sets another), without a call per character. */
static inline bool c_space(char ch)
{
    unsigned char c = (unsigned char)ch;
    return c == ' ' || (c >= '\t' && c <= '\r');
}

bool imp_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!c_space(s[i]))
            return false;
    return true;
}

/* The reason part of a base date error, without the value (which may be personal). */
static const char *date_why(const struct svp_err *e)
{
    const char *c = strstr(e->msg, "date: ");
    return c ? c + 6 : "not a valid date";
}


int imp_read_date(const struct imp *im, const char *s, size_t len, const char *f, bool datetime,
                  svp_time *t, bool *with_time, struct svp_err *e)
{
    bool iso = !strcmp(f, "iso");
    *with_time = iso ? len > 10 : !strcmp(f, "excel") ? !!memchr(s, '.', len)
                                                      : svp_date_fmt_has_time(f);
    /* a date keeps the date as written ("2015-09-21 00:00:00.000" is the 21st whatever the
     * clocks say); only a datetime moves a local time to UTC */
    struct svp_date_opts o = {.century_end = im->today_year,
                              .london = im->p->london && *with_time && datetime};
    int rc = iso ? svp_time_parse_iso(s, len, t, e) : svp_time_parse_fmt_opt(s, len, f, &o, t, e);
    if (rc || !iso || len <= 10)
        return rc;
    svp_day written;
    if (!datetime && svp_date_parse_iso(s, 10, &written, NULL) == SVP_OK)
        *t = (svp_time)written * 86400; /* an offset moves the time, not the date written */
    else if (o.london && !memchr(s + 10, 'Z', len - 10) && !memchr(s + 10, '+', len - 10) &&
             !memchr(s + 11, '-', len - 11))
        *t = svp_london_to_utc(*t); /* an ISO time without an offset is local */
    return SVP_OK;
}

/* date, datetime: the value read with each of the step's formats in turn; the first that
 * fits wins. Two-digit years end at the extract's year; a time with the profile's
 * Europe/London timezone is stored in UTC. */
static int step_date(struct imp *im, const struct ingest_spec *sp, const struct ingest_step *st,
                     struct val *v)
{
    struct svp_err e, first;
    svp_time t = 0;
    int rc = SVP_EINPUT, k;
    bool with_time = false;
    for (k = 0; k < st->nformats && rc; k++) {
        rc = imp_read_date(im, v->s, v->len, st->formats[k], st->kind == STEP_DATETIME, &t,
                           &with_time, &e);
        if (k == 0 && rc)
            first = e; /* a whole error copied only when there is one */
    }
    if (rc) {
        if (st->nformats == 1)
            return imp_bad(im, imp_col_name(im, sp), "not a valid date in the format '%s': %s",
                           st->formats[0], date_why(&first));
        return imp_bad(im, imp_col_name(im, sp), "not a valid date in any of the formats '%s'",
                       st->arg);
    }
    char *out = imp_alloc(im, 24);
    if (!out)
        return SVP_ENOMEM;
    if (st->kind == STEP_DATETIME && with_time)
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
    return imp_bad(im, imp_col_name(im, sp), "code not in [map %s] and the map has no '*' default",
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
    return imp_bad(im, imp_col_name(im, sp), "not a yes/no flag (yes, no, y, n, true, false, 1, 0)");
}

/* Writes v in decimal into out (>= 21 bytes). */
void imp_fmt_i64(int64_t v, char *out)
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
        return imp_bad(im, imp_col_name(im, sp), "not a number (too long)");
    memcpy(tmp, v->s, v->len);
    tmp[v->len] = '\0';
    char *out = imp_alloc(im, 32);
    if (!out)
        return SVP_ENOMEM;
    if (whole) {
        int64_t n;
        if (svp_parse_i64(tmp, &n))
            return imp_bad(im, imp_col_name(im, sp), "not a whole number");
        imp_fmt_i64(n, out);
    } else {
        char *end;
        errno = 0;
        double d = strtod(tmp, &end);
        if (end == tmp || *end || errno || d != d || d > 1e300 || d < -1e300)
            return imp_bad(im, imp_col_name(im, sp), "not a number");
        snprintf(out, 32, "%.10g", d);
    }
    *v = (struct val){out, strlen(out), V_NUM};
    return SVP_OK;
}

int imp_json_str(struct svp_buf *b, const char *s, size_t n)
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

/* Words for people that name nobody: kept as codes (spaces to '_'), never as names. */
static const char *mention_code(const char *s, size_t n)
{
    static const char *const codes[][2] = {
        {"family", "family"},          {"friend", "friends"},
        {"friends", "friends"},        {"peers", "peers"},
        {"peer", "peers"},             {"older male", "older_males"},
        {"older males", "older_males"}, {"older female", "older_females"},
        {"older females", "older_females"}, {"unknown adult", "unknown_adult"},
        {"unknown adults", "unknown_adult"}, {"unknown male", "unknown_male"},
        {"unknown female", "unknown_female"}, {"adult male", "adult_male"},
        {"adult female", "adult_female"}, {"boyfriend", "boyfriend"},
        {"girlfriend", "girlfriend"},  {"partner", "partner"},
        {"associates", "associates"},  {"associate", "associates"},
        {"gang members", "gang_members"}, {"alone", "alone"},
        {"other young people", "other_young_people"}, {"young people", "other_young_people"},
        {"parent", "parent"},          {"parents", "parent"},
        {"carer", "carer"},            {"carers", "carer"},
        {"relative", "relatives"},     {"relatives", "relatives"},
        {"unknown", "unknown"},        {"not known", "unknown"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (strlen(codes[i][0]) == n && !strncasecmp(codes[i][0], s, n))
            return codes[i][1];
    return NULL;
}

/* mentions SEP: people named in free text ("Kayla Dunn; older males") split on SEP into
 * {"names": [...], "codes": [...]}: a name is kept as written for the linker to resolve
 * where it can; a category of people (family, friends, older males, unknown adult) is a
 * code the tracker can weigh. */
static int step_mentions(struct imp *im, const struct ingest_step *st, struct val *v)
{
    struct svp_buf names, codes;
    svp_buf_init(&names, 1 << 20);
    svp_buf_init(&codes, 1 << 20);
    int rc = SVP_OK;
    const char *p = v->s, *end = v->s + v->len;
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
            const char *code = mention_code(a, (size_t)(z - a));
            struct svp_buf *b = code ? &codes : &names;
            rc = svp_buf_putc(b, b->len ? ',' : '[');
            if (!rc)
                rc = code ? imp_json_str(b, code, strlen(code))
                          : imp_json_str(b, a, (size_t)(z - a));
        }
        p = q + 1;
    }
    struct svp_buf o;
    svp_buf_init(&o, 1 << 21);
    if (!rc)
        rc = svp_buf_printf(&o, "{\"names\":%s%.*s],\"codes\":%s%.*s]}", names.len ? "" : "[",
                            (int)names.len, names.len ? names.data : "", codes.len ? "" : "[",
                            (int)codes.len, codes.len ? codes.data : "");
    char *out = rc ? NULL : imp_strndup(im, o.data, o.len);
    svp_buf_free(&names);
    svp_buf_free(&codes);
    svp_buf_free(&o);
    if (!out)
        return rc == SVP_EINPUT ? imp_bad(im, "", "list too long") : SVP_ENOMEM;
    *v = (struct val){out, strlen(out), V_LIST};
    return SVP_OK;
}

static int apply_step(struct imp *im, const struct ingest_spec *sp, const struct ingest_step *st,
                      struct val *v);

/* Splits the value on the list's separator into a JSON array of its items, trimmed, each
 * read by the spec's steps from `from` on (`list pipe | map concern`); an item those steps
 * leave empty is left out, and one they cannot read makes the value one that cannot be. */
static int step_list(struct imp *im, const struct ingest_spec *sp, const struct ingest_step *st,
                     struct val *v, int from)
{
    struct svp_buf b;
    svp_buf_init(&b, 1 << 20);
    int rc = svp_buf_putc(&b, '[');
    const char *p = v->s, *end = v->s + v->len;
    bool first = true;
    int item_rc = SVP_OK; /* an item the steps cannot read (imp_bad said why) */
    while (!rc && !item_rc && p <= end) {
        const char *q = memchr(p, st->arg[0], (size_t)(end - p));
        if (!q)
            q = end;
        const char *a = p, *z = q;
        while (a < z && isspace((unsigned char)*a))
            a++;
        while (z > a && isspace((unsigned char)z[-1]))
            z--;
        struct val item = {a, (size_t)(z - a), V_TEXT};
        for (int k = from; k < sp->nsteps && !item_rc && item.len; k++)
            item_rc = apply_step(im, sp, &sp->steps[k], &item);
        if (!item_rc && item.len) {
            if (!first)
                rc = svp_buf_putc(&b, ',');
            if (!rc)
                rc = imp_json_str(&b, item.s, item.len);
            first = false;
        }
        p = q + 1;
    }
    if (!rc && !item_rc)
        rc = svp_buf_putc(&b, ']');
    char *out = rc || item_rc ? NULL : imp_strndup(im, b.data, b.len);
    svp_buf_free(&b);
    if (item_rc)
        return item_rc;
    if (!out)
        return rc == SVP_EINPUT ? imp_bad(im, "", "list too long") : SVP_ENOMEM;
    *v = (struct val){out, strlen(out), V_LIST};
    return SVP_OK;
}

/* UK postcode: the whole value, or the postcode an address holds ("94 Church Road, sv12
 * 8gn"), in its canonical form. A value with none in it is kept upper-cased as recorded
 * rather than lost (the linker reads it as no postcode). */
static int step_postcode(struct imp *im, struct val *v)
{
    char pc[SVP_POSTCODE_CAP];
    if (svp_postcode_find(v->s, v->len, pc)) {
        char *out = imp_strndup(im, pc, strlen(pc));
        if (!out)
            return SVP_ENOMEM;
        v->s = out;
        v->len = strlen(out);
        return SVP_OK;
    }
    char *out = imp_alloc(im, v->len + 1);
    if (!out)
        return SVP_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < v->len; i++)
        if (!isspace((unsigned char)v->s[i]))
            out[n++] = (char)toupper((unsigned char)v->s[i]);
    out[n] = '\0';
    v->s = out;
    v->len = n;
    return SVP_OK;
}

static int step_case(struct imp *im, struct val *v, bool up)
{
    char *out = imp_strndup(im, v->s, v->len);
    if (!out)
        return SVP_ENOMEM;
    for (size_t i = 0; i < v->len; i++)
        out[i] = (char)(up ? toupper((unsigned char)out[i]) : tolower((unsigned char)out[i]));
    v->s = out;
    return SVP_OK;
}

/* A composite id of columns cols[0..n) on the current row: their trimmed values joined with
 * '/', each '/' and '\' escaped by '\' (so different values never give one id); V_NULL when
 * any is empty, or with partial only when all are (a blank part stays blank: "Kenney/Daine/"
 * for a child a contact names without a date of birth). person_id, row_id, `person` and
 * `other` all join this way, partial only for a [record NAME]'s person (ingest_spec). */
int imp_composite_id(struct imp *im, const int *cols, int n, bool partial, struct val *v)
{
    struct val part[INGEST_MAX_KEY + INGEST_MAX_JOIN + 1];
    if (n < 1 || n > (int)(sizeof part / sizeof part[0]))
        return svp_err_set(im->err, SVP_EINTERNAL, "a composite id of %d columns", n);
    size_t total = 1;
    bool named = false;
    for (int i = 0; i < n; i++) {
        struct ingest_spec sp = {.col = cols[i], .join = {-1, -1, -1, -1}};
        int rc = imp_raw_value(im, &sp, &part[i]);
        if (rc)
            return rc;
        if (part[i].kind == V_NULL && !partial) {
            *v = (struct val){NULL, 0, V_NULL};
            return SVP_OK;
        }
        if (part[i].kind == V_NULL)
            part[i] = (struct val){"", 0, V_NULL};
        else
            named = true;
        total += 2 * part[i].len + 1;
    }
    if (!named) {
        *v = (struct val){NULL, 0, V_NULL};
        return SVP_OK;
    }
    char *d = imp_alloc(im, total);
    if (!d)
        return SVP_ENOMEM;
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        if (i)
            d[at++] = '/';
        for (size_t k = 0; k < part[i].len; k++) {
            if (part[i].s[k] == '/' || part[i].s[k] == '\\')
                d[at++] = '\\';
            d[at++] = part[i].s[k];
        }
    }
    d[at] = '\0';
    *v = (struct val){d, at, V_TEXT};
    return SVP_OK;
}

/* svp_trim, called only when an end of the value can be trimmed (white space, or a
 * no-break space's first or last byte): most values are neither, and this runs for every
 * value of every row. */
static inline void trim(const char **s, size_t *n)
{
    if (!*n)
        return;
    unsigned char a = (unsigned char)(*s)[0], z = (unsigned char)(*s)[*n - 1];
    if (a <= ' ' || z <= ' ' || a == 0xC2 || z == 0xA0)
        svp_trim(s, n);
}

/* The raw text of a spec's source on the current row, trimmed. */
int imp_raw_value(struct imp *im, const struct ingest_spec *sp, struct val *v)
{
    if (sp->expr) {
        return imp_expr_eval(im, sp->expr_id, imp_col_name(im, sp), v); /* numbers stay numbers */
    }
    if (sp->col < 0) {
        *v = (struct val){sp->literal, strlen(sp->literal), V_TEXT};
        return SVP_OK;
    }
    static const struct svp_csv_field none = {"", 0}; /* an optional column not in the file */
    const struct svp_csv_field *f = im->colmap[sp->col] < 0 ? &none
                                                            : &im->r->fields[im->colmap[sp->col]];
    const char *s = f->p;
    size_t n = f->len;
    trim(&s, &n);
    if (n && im->p->nblanks && ingest_is_blank(im->p, s, n))
        n = 0; /* a value the profile says means "not recorded" */
    *v = (struct val){s, n, n ? V_TEXT : V_NULL};
    if (sp->join[0] < 0)
        return SVP_OK;
    /* "A + B": the columns' values joined with one space; any empty one makes it empty. A
     * composite id (`person`, `other`) is joined as a person_id of those columns is: with
     * '/', each '/' and '\' escaped by '\', so it names the same record. */
    if (sp->id_join) {
        int cols[INGEST_MAX_JOIN + 1], nc = 1;
        cols[0] = sp->col;
        for (int j = 0; j < INGEST_MAX_JOIN && sp->join[j] >= 0; j++)
            cols[nc++] = sp->join[j];
        return imp_composite_id(im, cols, nc, sp->id_partial, v);
    }
    size_t total = n;
    for (int j = 0; j < INGEST_MAX_JOIN && sp->join[j] >= 0; j++)
        total += 1 + (im->colmap[sp->join[j]] < 0 ? 0 : im->r->fields[im->colmap[sp->join[j]]].len);
    char *buf = imp_alloc(im, total + 1);
    if (!buf)
        return SVP_ENOMEM;
    if (!n) {
        *v = (struct val){NULL, 0, V_NULL};
        return SVP_OK;
    }
    memcpy(buf, s, n);
    size_t at = n;
    for (int j = 0; j < INGEST_MAX_JOIN && sp->join[j] >= 0; j++) {
        const struct svp_csv_field *g =
            im->colmap[sp->join[j]] < 0 ? &none : &im->r->fields[im->colmap[sp->join[j]]];
        const char *t = g->p;
        size_t m = g->len;
        trim(&t, &m);
        if (m && im->p->nblanks && ingest_is_blank(im->p, t, m))
            m = 0;
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
/* A school term's first or last day. The terms read lately are kept (an attendance file
 * names a dozen terms over its rows, each twice a row: its start and its end), so a term
 * is parsed and its days written out once, not on every row. */
static int step_term(struct imp *im, const struct ingest_spec *sp, struct val *v, bool end)
{
    struct imp_term *t = NULL;
    for (int i = 0; i < IMP_TERMS && !t; i++)
        if (im->terms[i].len == v->len && v->len && !memcmp(im->terms[i].text, v->s, v->len))
            t = &im->terms[i];
    if (!t) {
        svp_day first, last;
        const char *why = ingest_term_parse(v->s, v->len, &first, &last);
        if (why)
            return imp_bad(im, imp_col_name(im, sp), "%s", why);
        char days[2][40];
        svp_date_format(first, days[0], sizeof days[0]);
        svp_date_format(last, days[1], sizeof days[1]);
        if (v->len >= sizeof t->text) { /* too long to keep: read every time */
            char *out = imp_alloc(im, 11);
            if (!out)
                return SVP_ENOMEM;
            memcpy(out, days[end], 10);
            out[10] = '\0';
            *v = (struct val){out, 10, V_TEXT};
            return SVP_OK;
        }
        t = &im->terms[im->next_term];
        im->next_term = (im->next_term + 1) % IMP_TERMS;
        memcpy(t->text, v->s, v->len);
        t->len = v->len;
        for (int d = 0; d < 2; d++) { /* YYYY-MM-DD */
            memcpy(t->days[d], days[d], 10);
            t->days[d][10] = '\0';
        }
    }
    char *out = imp_alloc(im, 11);
    if (!out)
        return SVP_ENOMEM;
    memcpy(out, t->days[end], 11);
    *v = (struct val){out, 10, V_TEXT};
    return SVP_OK;
}

/* A number at p, as strtod reads it; numbers of up to 15 digits with or without a decimal
 * point (session counts, percentages: nearly every value these steps see) are read
 * directly, as strtod costs far more. The digits as a whole number are exact in a double,
 * and so is the power of ten, so their quotient is the correctly rounded value strtod
 * gives. */
static double read_number(const char *p, char **end)
{
    static const double p10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *q = p;
    uint64_t m = 0;
    int digits = 0, frac = -1; /* frac: digits after the point, -1 before one */
    for (;; q++) {
        if (*q >= '0' && *q <= '9') {
            if (++digits > 15)
                return strtod(p, end);
            m = m * 10 + (uint64_t)(*q - '0');
            frac += frac >= 0;
        } else if (*q == '.' && frac < 0) {
            frac = 0;
        } else {
            break;
        }
    }
    if (digits && frac != 0 && (*q == ' ' || !*q)) {
        *end = (char *)q;
        return frac > 0 ? (double)m / p10[frac] : (double)m;
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
        return imp_bad(im, imp_col_name(im, sp), "not a number");
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
            return imp_bad(im, imp_col_name(im, sp), "not a number");
        x[n++] = d;
        p = end;
    }
    double r = 0;
    if (st->kind == STEP_PERCENT) {
        if (n != 2)
            return imp_bad(im, imp_col_name(im, sp), "percent needs two numbers");
        if (x[1] <= 0)
            return imp_bad(im, imp_col_name(im, sp), "percent of zero or less");
        r = 100.0 * x[0] / x[1];
        r = (double)(long long)(r * 10 + 0.5) / 10;
    } else if (st->kind == STEP_SUM) {
        for (int i = 0; i < n; i++)
            r += x[i];
    } else {
        if (n != 1)
            return imp_bad(im, imp_col_name(im, sp), "not a number");
        char *end;
        r = x[0] < read_number(st->arg, &end) ? 1 : 0;
    }
    char *out = imp_alloc(im, 40);
    if (!out)
        return SVP_ENOMEM;
    fmt_decimal(r, out);
    *v = (struct val){out, strlen(out), V_NUM};
    return SVP_OK;
}

/* One step (not a list) on the value. */
static int apply_step(struct imp *im, const struct ingest_spec *sp, const struct ingest_step *st,
                      struct val *v)
{
    switch (st->kind) {
    case STEP_DATE:
    case STEP_DATETIME: return step_date(im, sp, st, v);
    case STEP_MAP: return step_map(im, sp, st, v);
    case STEP_FLAG: return step_flag(im, sp, v);
    case STEP_NUMBER: return step_number(im, sp, v, false);
    case STEP_INTEGER: return step_number(im, sp, v, true);
    case STEP_MENTIONS: return step_mentions(im, st, v);
    case STEP_POSTCODE: return step_postcode(im, v);
    case STEP_UPPER: return step_case(im, v, true);
    case STEP_LOWER: return step_case(im, v, false);
    case STEP_PAST:
        if (v->len >= 10 && strncmp(v->s, im->today, 10) > 0)
            return imp_bad(im, imp_col_name(im, sp), "date is in the future");
        return SVP_OK;
    case STEP_SURNAME_FIRST:
    case STEP_GIVEN_FIRST:
    case STEP_ANY_ORDER: return SVP_OK; /* split by the record code */
    case STEP_TERM_START:
    case STEP_TERM_END: return step_term(im, sp, v, st->kind == STEP_TERM_END);
    case STEP_PERCENT:
    case STEP_SUM:
    case STEP_BELOW: return step_arith(im, sp, st, v);
    case STEP_LIST: break; /* imp_eval's */
    }
    return SVP_OK;
}

/* Evaluates a spec on the current row. Stops before a list step when stop_at_list. */
int imp_eval(struct imp *im, const struct ingest_spec *sp, struct val *v, bool stop_at_list)
{
    int rc0 = imp_raw_value(im, sp, v);
    if (rc0)
        return rc0;
    if (v->kind == V_NULL || imp_is_blank(v->s, v->len)) {
        v->kind = V_NULL;
        if (sp->required)
            return imp_bad(im, imp_col_name(im, sp), "required value is empty");
        return SVP_OK;
    }
    int64_t *stat = im->opts && im->opts->stats ? &im->opts->stats[3 * sp->stat_id] : NULL;
    if (stat)
        stat[0]++;
    for (int i = 0; i < sp->nsteps; i++) {
        const struct ingest_step *st = &sp->steps[i];
        int rc;
        if (st->kind == STEP_LIST) {
            if (stat && memchr(v->s, st->arg[0], v->len))
                stat[2]++;
            if (stop_at_list)
                return SVP_OK;
            /* the steps after the list read each item (`list pipe | map concern`) */
            rc = step_list(im, sp, st, v, i + 1);
            if (rc)
                return drop_or_reject(im, sp, rc, v);
            if (v->len == 0)
                v->kind = V_NULL;
            return SVP_OK;
        }
        rc = apply_step(im, sp, st, v);
        if (stat && !rc && (st->kind == STEP_DATE || st->kind == STEP_DATETIME))
            stat[1]++;
        if (rc)
            return drop_or_reject(im, sp, rc, v);
        if (v->len == 0) {
            v->kind = V_NULL;
            return SVP_OK;
        }
    }
    return SVP_OK;
}

int imp_eval_field(struct imp *im, const struct ingest_section *sec, enum ingest_target t,
                      struct val *v)
{
    int i = sec->slot[t];
    if (i < 0) {
        *v = (struct val){NULL, 0, V_NULL};
        return SVP_OK;
    }
    const struct ingest_spec *sp = &sec->fields[i].spec;
    int rc = imp_eval(im, sp, v, false);
    bool coded = t == T_SEX || t == T_ETHNICITY || t == T_ROLE || t == T_TYPE ||
                 t == T_PLACE_KIND || t == T_REL_KIND;
    /* Fixed values and code tables were checked against the vocabulary when the profile
     * was read; only values straight from a column (or passed through) need a look. */
    const struct ingest_step *last = sp->nsteps ? &sp->steps[sp->nsteps - 1] : NULL;
    if ((sp->col < 0 && !sp->expr) || (last && last->kind == STEP_MAP && (!im->p->maps[last->map].fallback ||
                                                           strcmp(im->p->maps[last->map].fallback,
                                                                  "*"))))
        coded = false;
    if (rc == SVP_OK && v->kind != V_NULL && coded) {
        char tmp[64];
        size_t n = v->len < sizeof tmp - 1 ? v->len : sizeof tmp - 1;
        memcpy(tmp, v->s, n);
        tmp[n] = '\0';
        if (!ingest_known_code(t, tmp))
            return drop_or_reject(im, sp,
                                  imp_bad(im, imp_col_name(im, &sec->fields[i].spec),
                                          "value is not a canonical %s code (docs/model.md): "
                                          "add a [map]", sec->fields[i].key), v);
    }
    return rc;
}

/* NUL-terminated arena copy of a value, or NULL for V_NULL. */
const char *imp_vstr(struct imp *im, const struct val *v)
{
    if (v->kind == V_NULL)
        return NULL;
    return imp_strndup(im, v->s, v->len);
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

/* A field's detail key as a JSON string, made the first time a row of the file needs it
 * (the keys are the profile's: the same on every row). */
static int json_key(struct imp *im, const struct ingest_section *sec, int fi,
                    const char **s, size_t *n)
{
    if (!im->jkeys && !(im->jkeys = svp_calloc((size_t)im->p->nsecs * INGEST_MAX_FIELDS,
                                               sizeof *im->jkeys)))
        return SVP_ENOMEM;
    struct imp_jkey *k = &im->jkeys[(size_t)(sec - im->p->secs) * INGEST_MAX_FIELDS + (size_t)fi];
    if (!k->s) {
        const char *key = sec->fields[fi].key;
        size_t kl = strlen(key);
        char *d = svp_arena_alloc(im->run, 6 * kl + 3);
        if (!d)
            return SVP_ENOMEM;
        k->n = json_put(d, key, kl);
        d[k->n] = '\0';
        k->s = d;
    }
    *s = k->s;
    *n = k->n;
    return SVP_OK;
}

/* The detail JSON object of a section, or NULL when it has no values. Written straight
 * into the row arena after sizing it, since every event row of a county builds one. */
int imp_detail_json(struct imp *im, const struct ingest_section *sec, const char *const *xk,
                    const struct val *xv, int nx, const char **out)
{
    struct val vals[INGEST_MAX_FIELDS + 4];
    const char *keys[INGEST_MAX_FIELDS + 4];
    size_t klen[INGEST_MAX_FIELDS + 4];
    bool ready[INGEST_MAX_FIELDS + 4]; /* keys[n] is already a JSON string */
    int n = 0;
    size_t cap = 2; /* the braces */
    for (int i = 0; i < sec->nfields; i++) {
        const struct ingest_field *f = &sec->fields[i];
        if (f->target != T_DETAIL)
            continue;
        int rc = imp_eval(im, &f->spec, &vals[n], false);
        if (rc)
            return rc;
        if (vals[n].kind == V_NULL)
            continue;
        if ((rc = json_key(im, sec, i, &keys[n], &klen[n])))
            return rc;
        ready[n] = true;
        cap += klen[n] + 2 + (vals[n].kind == V_TEXT ? 6 * vals[n].len + 2 : vals[n].len);
        n++;
    }
    for (int x = 0; x < nx && x < 4; x++) {
        if (xv[x].kind == V_NULL)
            continue;
        bool named = false;
        for (int i = 0; i < sec->nfields && !named; i++)
            named = sec->fields[i].target == T_DETAIL && !strcmp(sec->fields[i].key, xk[x]);
        if (named)
            continue;
        vals[n] = xv[x];
        keys[n] = xk[x];
        klen[n] = strlen(xk[x]);
        ready[n] = false;
        cap += 6 * klen[n] + 4 + 6 * vals[n].len + 2;
        n++;
    }
    *out = NULL;
    if (!n)
        return SVP_OK;
    if (cap > DETAIL_MAX)
        return imp_bad(im, "", "detail too long");
    char *b = imp_alloc(im, cap + 1);
    if (!b)
        return SVP_ENOMEM;
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        b[at++] = i ? ',' : '{';
        if (ready[i]) {
            memcpy(b + at, keys[i], klen[i]);
            at += klen[i];
        } else {
            at += json_put(b + at, keys[i], klen[i]);
        }
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
