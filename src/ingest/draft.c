/* `svp profile draft`: a scan of an extract (in the spirit of OHDSI WhiteRabbit's scan) and
 * a draft source profile for the analyst to finish. The scan reads the file's encoding,
 * separator, byte order mark, line ends and header; per column the values' type and formats
 * (each date format with the values it reads, and the values no format reads), blanks, the
 * distinct values of code-like columns, name orders; candidate single and composite keys
 * (unique over the rows read). The draft maps what the scan could place and keeps every
 * other column in the detail of the record or the event, so nothing is lost. It is parsed
 * with the profile parser before it is returned: a draft svp would refuse is a bug here. */
#include "draft_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>


/* Date formats tried on every value, in the order ties are broken. */
const char *const draft_formats[DRAFT_NFORMATS] = {
    "iso",         "%d/%m/%Y",       "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%y",
    "%d/%m/%y %H:%M", "%d-%m-%Y",    "%d-%m-%Y %H:%M", "%d.%m.%Y",          "%d.%m.%y",
    "%d-%b-%Y",    "%d-%b-%Y %H:%M", "%d-%b-%y",       "%d %B %Y",          "%d %B %Y %H:%M",
    "%Y%m%d",      "%Y/%m/%d",       "%b %d %Y",       "%b %d, %Y",
    /* fractions of a second (SQL Server's datetime as text), Oracle's TIMESTAMP as text */
    "%d/%m/%Y %H:%M:%S.%f", "%d-%b-%y %H.%M.%S.%f",
    /* 12-hour clocks: SQL Server's default text for a datetime ("Feb  1 2024  6:30PM"),
     * Access and Excel ("01/02/2024 6:30 PM", "01/02/2024 6:30:00 PM") */
    "%b %d %Y %I:%M%p", "%d/%m/%Y %I:%M %p", "%d/%m/%Y %I:%M:%S %p",
    /* month first (US systems): after the day-first forms, which win a tie */
    "%m/%d/%Y",    "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p", "excel",
};

/* ------------------------------------------------------------------ a set of hashes */

/* Adds h; returns 1 if it was new, 0 if present, SVP_ENOMEM. */
int draft_hset_add(struct hset *s, uint64_t h)
{
    if (!h)
        h = 1;
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        uint64_t *nv = svp_calloc(nc, sizeof *nv);
        if (!nv)
            return SVP_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i])
                for (size_t j = s->v[i] & (nc - 1);; j = (j + 1) & (nc - 1))
                    if (!nv[j]) {
                        nv[j] = s->v[i];
                        break;
                    }
        svp_free(s->v);
        s->v = nv;
        s->cap = nc;
    }
    for (size_t j = h & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
        if (s->v[j] == h)
            return 0;
        if (!s->v[j]) {
            s->v[j] = h;
            s->n++;
            return 1;
        }
    }
}

void draft_hset_free(struct hset *s)
{
    svp_free(s->v);
    *s = (struct hset){0};
}

bool draft_has_word(const struct col *c, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = c->words; (p = strstr(p, w)); p++)
        if ((p == c->words || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
            return true;
    return false;
}

bool draft_has_any(const struct col *c, const char *const *ws)
{
    for (; *ws; ws++)
        if (draft_has_word(c, *ws))
            return true;
    return false;
}

/* The header's words: split at non-letters and at lower-to-upper changes ("FoundLocation",
 * "D.O.B." -> "dob" is also tried by draft_compact). */
void draft_header_words(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; s[i] && n + 2 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '&' && i && isalpha((unsigned char)s[i - 1]) && isalpha((unsigned char)s[i + 1]) &&
            !isalpha((unsigned char)s[i + 2]))
            continue; /* "A&E" is one word, "ae" */
        bool alnum = isalnum(ch);
        bool boundary = i && isupper(ch) && islower((unsigned char)s[i - 1]);
        if (!alnum || boundary) {
            if (n && out[n - 1] != ' ')
                out[n++] = ' ';
            if (!alnum)
                continue;
        }
        out[n++] = (char)tolower(ch);
    }
    while (n && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

/* The header's letters and digits, lower case ("D.O.B." -> "dob"). */
void draft_compact(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        if (isalnum((unsigned char)*s))
            out[n++] = (char)tolower((unsigned char)*s);
    out[n] = '\0';
}

/* lower_snake of s into out (cap bytes): letters and digits, others one '_'. */
void draft_snake(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool boundary = i && isupper(ch) && islower((unsigned char)s[i - 1]);
        if (boundary && n && out[n - 1] != '_' && n + 1 < cap)
            out[n++] = '_';
        if (isalnum(ch) && ch < 0x80)
            out[n++] = (char)tolower(ch);
        else if (n && out[n - 1] != '_')
            out[n++] = '_';
    }
    while (n && out[n - 1] == '_')
        n--;
    out[n] = '\0';
}

/* ------------------------------------------------------------------ the scan */

bool draft_all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Whether a column before the one being named has name s (a repeated name is read as
 * "NAME (2)", as the import reads it). */
static bool header_taken(void *ctx, const char *s)
{
    const struct draft *d = ctx;
    for (int j = 0; j < d->ncols_named; j++)
        if (!strcmp(d->cols[j].name, s))
            return true;
    return false;
}

static bool is_int(const char *s, size_t n)
{
    if (n && (*s == '-' || *s == '+'))
        s++, n--;
    return n && n <= 18 && draft_all_digits(s, n);
}

static bool is_num(const char *s, size_t n, double *out)
{
    char tmp[64];
    if (!n || n >= sizeof tmp)
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (!isdigit((unsigned char)tmp[0]) && tmp[0] != '-' && tmp[0] != '+' && tmp[0] != '.')
        return false;
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (*end || errno || v != v || isinf(v))
        return false;
    *out = v;
    return true;
}

static int flag_value(const char *s, size_t n)
{
    static const char *const yes[] = {"y", "yes", "true", "t", NULL};
    static const char *const no[] = {"n", "no", "false", "f", NULL};
    for (int i = 0; yes[i]; i++)
        if (strlen(yes[i]) == n && !strncasecmp(yes[i], s, n))
            return 1;
    for (int i = 0; no[i]; i++)
        if (strlen(no[i]) == n && !strncasecmp(no[i], s, n))
            return 0;
    return -1;
}

static bool is_term(const char *s, size_t n)
{
    svp_day a, b;
    return n <= 40 && !ingest_term_parse(s, n, &a, &b);
}

/* A time of day alone: 1 for HH:MM (or H:MM), 2 for HH:MM:SS, else 0. */
static int time_of_day(const char *s, size_t n)
{
    size_t h = n >= 5 && s[2] == ':' ? 2 : n >= 4 && s[1] == ':' ? 1 : 0;
    if (!h || !draft_all_digits(s, h) || !draft_all_digits(s + h + 1, 2))
        return 0;
    int hh = h == 2 ? (s[0] - '0') * 10 + s[1] - '0' : s[0] - '0';
    if (hh > 23 || s[h + 1] > '5')
        return 0;
    if (n == h + 3)
        return 1;
    if (n == h + 6 && s[h + 3] == ':' && draft_all_digits(s + h + 4, 2) && s[h + 4] <= '5')
        return 2;
    return 0;
}

/* A UK phone number as people write it: digits with spaces, dashes, dots or brackets, a
 * leading +44 or 0044 (with or without "(0)") or 0, then a national number of 10 digits
 * whose first is 1, 2, 3, 5, 7 or 8 (Ofcom's numbering: geographic, non-geographic,
 * mobile, freephone), or 9 after 01 (the few geographic numbers of that length). */
static bool uk_phone(const char *s, size_t n)
{
    char t[16];
    size_t k = 0;
    bool plus = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isdigit(ch)) {
            if (k == sizeof t)
                return false;
            t[k++] = (char)ch;
        } else if (ch == '+' && !k && !plus) {
            plus = true;
        } else if (ch != ' ' && ch != '-' && ch != '.' && ch != '(' && ch != ')') {
            return false;
        }
    }
    const char *p = t;
    if ((plus && k >= 2 && !memcmp(p, "44", 2)) || (!plus && k >= 4 && !memcmp(p, "0044", 4))) {
        p += plus ? 2 : 4, k -= plus ? 2 : 4;
        if (k == 11 && p[0] == '0') /* +44 (0)113 ... */
            p++, k--;
        if (k != 10)
            return false;
    } else if (plus || !k || p[0] != '0') {
        return false;
    } else {
        p++, k--;
        if (k != 10 && !(k == 9 && p[0] == '1'))
            return false;
    }
    return strchr("123578", p[0]) != NULL;
}

static bool nhs_number(const char *s, size_t n)
{
    char t[10];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '-')
            continue;
        if (k == 10 || !isdigit((unsigned char)s[i]))
            return false;
        t[k++] = s[i];
    }
    if (k != 10)
        return false;
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (t[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11)
        check = 0;
    return check != 10 && check == t[9] - '0';
}

/* A name's shape: title, comma, which end is in upper case. */
static void name_shape(struct col *c, const char *s, size_t n)
{
    struct svp_name_parts np;
    svp_name_split(s, n, SVP_NAME_ANY_ORDER, &np);
    if (np.title.p) {
        c->titled++;
        size_t skip = (size_t)(np.title.p + np.title.n - s);
        s += skip;
        n -= skip;
        while (n && *s == ' ')
            s++, n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!(isalpha(ch) || ch == ' ' || ch == '-' || ch == '\'' || ch == ',' || ch == '.' ||
              ch == '(' || ch == ')' || ch == '"' || ch >= 0x80)) /* "Kayla (Kay)" */
            return;
    }
    c->namey++;
    if (memchr(s, ',', n)) {
        c->comma++;
        return;
    }
    /* words: upper case when they have two or more letters and no lower-case one */
    int nw = 0, first_up = -1, last_up = -1, ups = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == ' ')
            i++;
        if (i == n)
            break;
        size_t a = i;
        int letters = 0, lower = 0;
        while (i < n && s[i] != ' ') {
            unsigned char ch = (unsigned char)s[i++];
            letters += isalpha(ch) != 0;
            lower += islower(ch) != 0;
        }
        bool up = letters >= 2 && !lower;
        (void)a;
        if (nw == 0)
            first_up = up;
        last_up = up;
        ups += up;
        nw++;
    }
    if (nw < 2)
        c->single++;
    else if (ups == nw)
        c->all_upper++;
    else if (first_up == 1 && last_up == 0)
        c->upper_first++;
    else if (last_up == 1 && first_up == 0)
        c->upper_last++;
    else
        c->mixed++;
}

/* Counts s in a table of at most DRAFT_CODES codes, or marks it *many when full. */
static int code_add(struct code *codes, int *ncodes, bool *many, const char *s, size_t n)
{
    for (int i = 0; i < *ncodes; i++)
        if (strlen(codes[i].v) == n && !memcmp(codes[i].v, s, n)) {
            codes[i].n++;
            return SVP_OK;
        }
    if (*ncodes == DRAFT_CODES) {
        *many = true;
        return SVP_OK;
    }
    if (!(codes[*ncodes].v = svp_strndup(s, n)))
        return SVP_ENOMEM;
    codes[(*ncodes)++].n = 1;
    return SVP_OK;
}

/* The items of a value a list would split it into (on '|' and ';' unless the file is
 * separated by one), trimmed, as codes: what a drafted list's map reads. */
static int item_codes(const struct draft *d, struct col *c, const char *s, size_t n)
{
    const char *e = s + n;
    while (!c->items_many && s <= e) {
        const char *q = s;
        while (q < e && !((*q == '|' && d->delim != '|') || (*q == ';' && d->delim != ';')))
            q++;
        const char *a = s, *z = q;
        while (a < z && isspace((unsigned char)*a))
            a++;
        while (z > a && isspace((unsigned char)z[-1]))
            z--;
        int rc = z > a ? code_add(c->items, &c->nitems, &c->items_many, a, (size_t)(z - a)) : 0;
        if (rc)
            return rc;
        s = q + 1;
    }
    return SVP_OK;
}

static bool excel_hint(const struct col *c)
{
    static const char *const w[] = {"date", "dob", "birth", "born", "serial", "dt", "day", NULL};
    char k[64];
    draft_compact(c->name, k, sizeof k);
    return draft_has_any(c, w) || strstr(k, "date") || strstr(k, "dob") || strstr(k, "birth");
}

static void scan_dates(struct draft *d, struct col *c, const char *s, size_t n)
{
    if (c->dates_off)
        return;
    uint32_t mask = 0;
    bool digit = false;
    for (size_t i = 0; i < n && !digit; i++)
        digit = isdigit((unsigned char)s[i]);
    if (digit && n >= 4 && n <= 32) {
        struct svp_date_opts o = {.century_end = d->as_of_year};
        for (int f = 0; f < DRAFT_NFORMATS; f++) {
            svp_time t;
            struct svp_err e;
            int rc;
            if (f == DF_EXCEL) {
                int64_t v;
                char tmp[24];
                size_t m = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
                memcpy(tmp, s, m);
                tmp[m] = '\0';
                char *dot = strchr(tmp, '.');
                if (dot)
                    *dot = '\0';
                if (!excel_hint(c) || svp_parse_i64(tmp, &v) || v < 1 || v > 73050)
                    continue;
            }
            rc = !strcmp(draft_formats[f], "iso") ? svp_time_parse_iso(s, n, &t, &e)
                                              : svp_time_parse_fmt_opt(s, n, draft_formats[f], &o,
                                                                       &t, &e);
            if (!rc) {
                mask |= 1u << f;
                c->dread[f]++;
                if (f == 0 && n > 10)
                    c->with_time = true;
            }
        }
    }
    if (!mask) {
        c->dnone++;
    } else {
        int i = 0;
        while (i < c->nmasks && c->masks[i] != mask)
            i++;
        if (i == c->nmasks && c->nmasks < MAX_MASKS)
            c->masks[c->nmasks++] = mask;
        if (i < c->nmasks)
            c->mask_n[i]++;
        else
            c->mask_over++;
    }
    /* A column no format has read by its 200th value is not one of dates. */
    if (c->nonblank == 200 && c->dnone == 200)
        c->dates_off = true;
}

static int scan_value(struct draft *d, struct col *c, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    /* NULL: what a database export (SQL Server's, Oracle's) writes for a value it does not
     * hold; read as blank, and the draft says `blank = NULL` */
    if (n == 4 && !memcmp(s, "NULL", 4)) {
        d->nulls++;
        n = 0;
    }
    if (!n) {
        c->blank++;
        return SVP_OK;
    }
    c->nonblank++;
    if ((int64_t)n > c->maxlen)
        c->maxlen = (int64_t)n;
    int rc = draft_hset_add(&c->distinct, svp_fnv1a(s, n, SVP_FNV1A_START));
    if (rc < 0)
        return rc;
    if (!c->many && (rc = code_add(c->codes, &c->ncodes, &c->many, s, n)))
        return rc;
    if (!c->items_many && (rc = item_codes(d, c, s, n)))
        return rc;
    double v;
    if (is_int(s, n))
        c->ints++;
    if (is_num(s, n, &v)) {
        if (!c->nums || v < c->lo)
            c->lo = v;
        if (!c->nums || v > c->hi)
            c->hi = v;
        c->nums++;
    }
    int fl = flag_value(s, n);
    if (fl >= 0) {
        c->flags++;
        if (fl == 1) {
            c->yes++;
            if (!c->yes_spelling[0] && n < sizeof c->yes_spelling) {
                memcpy(c->yes_spelling, s, n);
                c->yes_spelling[n] = '\0';
            } else if (strlen(c->yes_spelling) != n || memcmp(c->yes_spelling, s, n)) {
                c->yes_mixed = true;
            }
        }
    }
    c->terms += is_term(s, n);
    int tod = time_of_day(s, n);
    c->times += tod > 0;
    c->times_sec += tod == 2;
    char pc[SVP_POSTCODE_CAP];
    c->postcodes += svp_postcode_canonical(s, n, pc);
    c->postcodes_in += svp_postcode_find(s, n, pc);
    c->nhs += nhs_number(s, n);
    c->phones += uk_phone(s, n);
    c->spaces += memchr(s, ' ', n) != NULL;
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)s[i])) {
            c->digits++;
            break;
        }
    if (d->delim != '|' && memchr(s, '|', n))
        c->sep_pipe++;
    if (d->delim != ';' && memchr(s, ';', n))
        c->sep_semi++;
    if (d->delim != ',' && memchr(s, ',', n))
        c->sep_comma++;
    scan_dates(d, c, s, n);
    name_shape(c, s, n);
    return SVP_OK;
}

static int scan(struct draft *d, struct svp_err *err)
{
    struct svp_csv_opts o = {.delim = d->delim};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(d->text, d->len, &o, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row r;
    rc = svp_csv_next(csv, &r, err);
    if (rc <= 0) {
        svp_csv_free(&csv);
        return rc < 0 ? rc : svp_err_at(err, SVP_EINPUT, d->path, 0, NULL,
                                        "the extract is empty: no header");
    }
    if (r.nfields > DRAFT_MAX_COLS) {
        svp_csv_free(&csv);
        return svp_err_at(err, SVP_EINPUT, d->path, 1, NULL, "the header has %zu columns; "
                          "a profile maps at most %d", r.nfields, DRAFT_MAX_COLS);
    }
    d->cols = svp_calloc(r.nfields, sizeof *d->cols);
    if (!d->cols) {
        svp_csv_free(&csv);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    d->ncols = (int)r.nfields;
    for (int i = 0; i < d->ncols; i++) {
        const char *s = r.fields[i].p;
        size_t n = r.fields[i].len;
        svp_trim(&s, &n);
        struct col *c = &d->cols[i];
        c->map = -1;
        c->time_col = -1;
        if (!(c->name = svp_strndup(s, n))) {
            svp_csv_free(&csv);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        draft_header_words(c->name, c->words, sizeof c->words);
        /* What the profile language cannot name: an empty name, '|', " + ", a double quote
         * anywhere (a value with one is read as a fixed value), a leading "expr(" or '@'; and
         * names svp_profile_parse would trim. */
        c->unusable = !n || memchr(s, '|', n) || strstr(c->name, " + ") || memchr(s, '"', n) ||
                      s[0] == '@' || !strncmp(c->name, "expr(", 5) || strchr(c->name, '\r') ||
                      strchr(c->name, '\n') || !svp_utf8_valid(s, n, NULL);
        d->ncols_named = i;
        if (ingest_header_unique(&c->name, header_taken, d)) {
            svp_csv_free(&csv);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
        if (n != strlen(c->name)) /* renamed "NAME (2)" */
            draft_header_words(c->name, c->words, sizeof c->words);
    }
    d->ncols_named = d->ncols;
    while ((rc = svp_csv_next(csv, &r, err)) == 1) {
        if (d->rows >= d->max_rows) {
            d->rows_capped = true;
            break;
        }
        if (r.nfields == 1 && !r.fields[0].len && !r.error)
            continue; /* a blank line: import skips it */
        if (r.error || r.nfields != (size_t)d->ncols) {
            d->ragged++;
            continue;
        }
        d->rows++;
        int vrc = SVP_OK;
        for (int i = 0; i < d->ncols && !vrc; i++)
            vrc = scan_value(d, &d->cols[i], r.fields[i].p, r.fields[i].len);
        if (vrc) {
            svp_csv_free(&csv);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
    }
    svp_csv_free(&csv);
    if (rc == SVP_ENOMEM)
        return rc;
    if (rc < 0) {
        /* an unterminated quote at the end: what was read still drafts a profile */
        d->ragged++;
        svp_err_clear(err);
    }
    return SVP_OK;
}

/* ------------------------------------------------------------------ what each column is */

/* Chooses a column's date formats: greedily the format that reads the most values not yet
 * read, while one adds at least 2 values and 1% of them (several systems writing one
 * column: "01/02/2024", "2024-02-01", "1 February 2024"). */
static void choose_formats(struct col *c)
{
    uint32_t chosen = 0;
    c->dcovered = 0;
    while (c->nchosen < 4) {
        int best = -1;
        int64_t gain_best = 0;
        for (int f = 0; f < DRAFT_NFORMATS; f++) {
            if (chosen & (1u << f))
                continue;
            int64_t gain = 0;
            for (int m = 0; m < c->nmasks; m++)
                if ((c->masks[m] & (1u << f)) && !(c->masks[m] & chosen))
                    gain += c->mask_n[m];
            if (gain > gain_best)
                best = f, gain_best = gain;
        }
        if (best < 0 || gain_best < 2 || gain_best * 100 < c->nonblank)
            break;
        chosen |= 1u << best;
        c->chosen[c->nchosen++] = best;
        c->dcovered += gain_best;
    }
    for (int i = 0; i < c->nchosen; i++)
        if (svp_date_fmt_has_time(draft_formats[c->chosen[i]]))
            c->with_time = true; /* "iso" has set it already if some value had a time */
}

static bool code_like(const struct col *c)
{
    return !c->many && c->nonblank >= 3 && c->nonblank >= 2 * (int64_t)c->distinct.n &&
           c->distinct.n >= 1;
}

static void classify(struct draft *d, struct col *c)
{
    (void)d;
    if (!c->nonblank) {
        c->kind = K_BLANK;
        return;
    }
    choose_formats(c);
    int64_t nb = c->nonblank;
    static const char *const namew[] = {"name", "forename", "forenames", "surname", "firstname",
                                        "lastname", "given", "nominal", "with", "whom", NULL};
    bool list = (c->sep_pipe >= 2 && c->sep_pipe * 20 >= nb) ||
                (c->sep_semi >= 2 && c->sep_semi * 20 >= nb);
    if (c->terms * 10 >= nb * 9)
        c->kind = K_TERM;
    else if (c->times == nb)
        c->kind = K_TIME;
    else if (c->nchosen && c->dcovered * 10 >= nb * 8 && !(c->ints == nb && !excel_hint(c) &&
                                                          c->chosen[0] != 15))
        c->kind = K_DATE;
    else if (c->flags == nb && c->distinct.n <= 8)
        c->kind = K_FLAG;
    else if (c->ints == nb)
        c->kind = code_like(c) && c->distinct.n <= 10 ? K_CODE : K_INT;
    else if (c->nums == nb)
        c->kind = K_NUM;
    else if (code_like(c) && !list && !draft_has_any(c, namew))
        c->kind = K_CODE; /* never names or lists, whose values are not codes */
    else
        c->kind = K_TEXT;
    if (c->kind != K_DATE)
        c->nchosen = 0;
}

/* The draft's formats of a date column: "FMT or FMT". */
void draft_formats_text(const struct col *c, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < c->nchosen && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " or " : "", draft_formats[c->chosen[i]]);
}

/* ------------------------------------------------------------------ the door */

static void draft_free(struct draft *d)
{
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        svp_free(c->name);
        svp_free(c->key);
        draft_hset_free(&c->distinct);
        for (int k = 0; k < c->ncodes; k++)
            svp_free(c->codes[k].v);
        for (int k = 0; k < c->nitems; k++)
            svp_free(c->items[k].v);
    }
    svp_free(d->cols);
    svp_free(d->text);
}

/* Each column's detail key: lower_snake of its name, made unique. */
static int make_keys(struct draft *d)
{
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        char k[48];
        draft_snake(c->name, strlen(c->name), k, 40);
        if (!*k || isdigit((unsigned char)k[0]))
            snprintf(k, sizeof k, "column_%d", i + 1);
        for (int j = 0; j < i; j++)
            if (d->cols[j].key && !strcmp(d->cols[j].key, k)) {
                snprintf(k + strlen(k), sizeof k - strlen(k), "_%d", i + 1);
                break;
            }
        if (!(c->key = svp_strdup(k)))
            return SVP_ENOMEM;
    }
    return SVP_OK;
}

static void default_name(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    draft_snake(base, n, out, cap);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
    if (!*out)
        snprintf(out, cap, "draft");
}

/* The scan and the draft of d, whose text is read; fills out. */
static int draft_run(struct draft *d, const struct ingest_draft_opts *opts,
                     struct ingest_draft *out, struct svp_err *err)
{
    d->max_rows = opts && opts->max_rows > 0 ? opts->max_rows : DRAFT_DEFAULT_ROWS;
    char today[16];
    if (opts && opts->as_of) {
        svp_day t;
        struct svp_err e;
        if (strlen(opts->as_of) != 10 || svp_date_parse_iso(opts->as_of, 10, &t, &e))
            return svp_err_set(err, SVP_EUSAGE, "--as-of must be a date YYYY-MM-DD");
        snprintf(today, sizeof today, "%s", opts->as_of);
    } else {
        svp_date_format(svp_date_today(), today, sizeof today);
    }
    d->as_of = today;
    d->as_of_year = (int)strtol(today, NULL, 10);
    char name[64];
    if (opts && opts->name) {
        if (!*opts->name || strlen(opts->name) >= sizeof name)
            return svp_err_set(err, SVP_EUSAGE, "--name must be 1 to 63 characters");
        for (const char *p = opts->name; *p; p++)
            if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' ||
                  *p == '_'))
                return svp_err_set(err, SVP_EUSAGE,
                                   "--name must be lower-case letters, digits, _ or -");
        snprintf(name, sizeof name, "%s", opts->name);
    } else {
        default_name(d->path, name, sizeof name);
    }
    int rc = SVP_OK;
    if (ingest_is_xlsx(d->text, d->len)) {
        /* an Excel workbook: its sheet as CSV; the zip's directory is at its end, so only a
         * workbook read whole can be opened */
        if (d->truncated)
            return svp_err_at(err, SVP_EINPUT, d->path, 0, NULL,
                              "an Excel workbook over %u MiB: save its sheet as CSV and draft "
                              "from that", (unsigned)(DRAFT_MAX_BYTES >> 20));
        char *csv;
        size_t n;
        if ((rc = ingest_xlsx_to_csv(d->text, d->len, opts ? opts->sheet : NULL, ',', &csv, &n,
                                     err))) {
            svp_strlcpy(err->file, d->path, sizeof err->file);
            return rc;
        }
        svp_free(d->text);
        d->text = csv;
        d->len = n;
        d->xlsx = true;
        d->sheet = opts ? opts->sheet : NULL;
        d->truncated = n > DRAFT_MAX_BYTES;
        if (d->truncated)
            d->len = DRAFT_MAX_BYTES;
    }
    rc = draft_sniff_encoding(d, err);
    if (opts && opts->cp1252)
        d->cp1252 = true;
    if (opts && opts->utf16 && !d->utf16)
        d->utf16 = opts->utf16;
    if (opts && opts->part)
        d->truncated = true;
    if (!rc) {
        rc = draft_read_shape(d, err);
        if (!rc)
            rc = scan(d, err);
    }
    if (!rc && !d->rows)
        rc = svp_err_at(err, SVP_EINPUT, d->path, 0, NULL,
                        "the extract has a header but no rows whole enough to scan%s",
                        d->xlsx ? " (is the data on another sheet of the workbook? --sheet "
                                  "names it)"
                                : "");
    if (!rc && (rc = make_keys(d)))
        svp_err_set(err, rc, "out of memory");
    if (!rc) {
        for (int i = 0; i < d->ncols; i++)
            classify(d, &d->cols[i]);
        rc = draft_find_keys(d, err);
    }
    struct svp_buf rep, prof;
    svp_buf_init(&rep, 16u << 20);
    svp_buf_init(&prof, 1u << 20);
    if (!rc) {
        draft_choose_ids(d);
        draft_guess_type(d);
        draft_assign_roles(d);
        draft_known_layouts(d);
        draft_find_people(d);
        rc = draft_count_ages(d, err);
        if (!rc)
            draft_own_phones(d);
        if (!rc && (rc = draft_write_report(d, &rep)) == 0)
            rc = draft_write_profile(d, name, &prof);
        if (rc && rc != SVP_ENOMEM)
            svp_err_set(err, rc, "%s: the draft is too large to write", d->path);
        else if (rc)
            svp_err_set(err, rc, "out of memory");
    }
    if (!rc) {
        /* the draft must be a profile svp accepts */
        struct ingest_profile *p = NULL;
        struct svp_err e;
        if (ingest_profile_parse(prof.data, prof.len, "draft", &p, &e)) {
            char m[700];
            svp_err_format(&e, m, sizeof m);
            rc = svp_err_set(err, e.code == SVP_ENOMEM ? SVP_ENOMEM : SVP_EINTERNAL,
                             "%s: the draft svp wrote is not a sound profile (a bug in svp "
                             "profile draft): %s", d->path, m);
        }
        ingest_profile_free(&p);
    }
    if (!rc) {
        out->report = svp_buf_take(&rep);
        out->profile = svp_buf_take(&prof);
        out->rows = d->rows;
        out->columns = d->ncols;
        if (!out->report || !out->profile) {
            ingest_draft_free(out);
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
    }
    svp_buf_free(&rep);
    svp_buf_free(&prof);
    return rc;
}

int ingest_draft_file(const char *path, const struct ingest_draft_opts *opts,
                      struct ingest_draft *out, struct svp_err *err)
{
    svp_err_clear(err);
    memset(out, 0, sizeof *out);
    struct draft d = {.path = path};
    int rc = draft_read_prefix(&d, err);
    if (!rc)
        rc = draft_run(&d, opts, out, err);
    draft_free(&d);
    return rc;
}

int ingest_draft_mem(const char *data, size_t len, const char *name_for_messages,
                     const struct ingest_draft_opts *opts, struct ingest_draft *out,
                     struct svp_err *err)
{
    svp_err_clear(err);
    memset(out, 0, sizeof *out);
    struct draft d = {.path = name_for_messages};
    d.truncated = len > DRAFT_MAX_BYTES;
    d.len = d.truncated ? DRAFT_MAX_BYTES : len;
    if (!(d.text = svp_malloc(d.len + 1)))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    memcpy(d.text, data, d.len);
    d.text[d.len] = '\0';
    int rc = draft_run(&d, opts, out, err);
    draft_free(&d);
    return rc;
}

void ingest_draft_free(struct ingest_draft *d)
{
    if (!d)
        return;
    svp_free(d->report);
    svp_free(d->profile);
    d->report = d->profile = NULL;
}
