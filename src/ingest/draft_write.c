/* `svp profile draft`, the draft profile: each column written as its role says
 * (draft_roles.c), with the steps its kind needs and the maps of its codes; further events
 * a row's flags and risk levels name. The report is draft_report.c. */
#include "draft_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ writing the draft */

/* A column's name in SQL: bare when it is a plain word that is no SQL keyword. */
static int sql_name(struct svp_buf *b, const char *name)
{
    static const char *const kw[] = {
        "order", "group", "end", "case", "when", "then", "else", "from", "select", "where",
        "index", "table", "to", "by", "as", "and", "or", "not", "in", "is", "null", "like",
        "between", "default", "check", "key", "primary", "references", "limit", "offset",
        "union", "join", "on", "exists", "all", "values", "set", "update", "delete", "insert",
        "create", "drop", "distinct", "having", "cast", "collate", "escape", "glob", "match",
        "regexp", "natural", "left", "right", "full", "outer", "inner", "cross", "using",
        "begin", "commit", "if", "do", "raise", "over", "filter", "window", "range", "rows",
        "unique", "foreign", "constraint", "add", "column", "into", "of", "for", "each", "row",
        "view", "current_date", "current_time", "current_timestamp", "returning", "true",
        "false", "nothing", "after", "before", "abort", "action", "analyze", "asc", "desc",
        "attach", "detach", "autoincrement", "cascade", "conflict", "database", "deferred",
        "exclusive", "explain", "fail", "ignore", "immediate", "instead", "isnull", "notnull",
        "plan", "pragma", "query", "recursive", "reindex", "release", "rename", "replace",
        "restrict", "rollback", "savepoint", "temp", "temporary", "transaction", "trigger",
        "vacuum", "virtual", "with", "without", "initially", "deferrable", "generated",
        "always", "nulls", "first", "last", "others", "ties", "exclude", "current", "following",
        "preceding", "unbounded", "partition", "materialized", "groups", "within", NULL};
    bool plain = (isalpha((unsigned char)name[0]) || name[0] == '_');
    for (const char *p = name; *p && plain; p++)
        plain = isalnum((unsigned char)*p) || *p == '_';
    for (int i = 0; kw[i] && plain; i++)
        plain = strcasecmp(kw[i], name) != 0;
    if (plain)
        return svp_buf_puts(b, name);
    int rc = svp_buf_putc(b, '"');
    for (const char *p = name; *p && !rc; p++)
        rc = *p == '"' ? svp_buf_puts(b, "\"\"") : svp_buf_putc(b, *p);
    return rc ? rc : svp_buf_putc(b, '"');
}

struct dmap {
    char name[64];
    int col;
    bool sex;
    bool eth;         /* a map to ethnicity codes */
    bool eth_letters; /* the NHS's one-letter ethnic category codes */
    /* a subtype's map for an event type whose subtypes svp knows (ED reasons, offence
     * categories): each code read to one of them where its words say which */
    const char *(*canon)(const char *v);
    bool only_canon; /* codes canon cannot read are left out (a risk level's "None") */
    const char *type; /* a map to event types: the type of codes that name none */
    bool items;       /* a list's map: of its items (struct col's items), not its values */
};

struct writer {
    struct draft *d;
    struct svp_buf *b;
    struct dmap maps[DRAFT_MAX_MAPS];
    int nmaps;
    int rc;
};

static void put(struct writer *w, const char *fmt, ...) SVP_PRINTF(2, 3);
static void put(struct writer *w, const char *fmt, ...)
{
    if (w->rc)
        return;
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof line) {
        w->rc = SVP_EINPUT;
        return;
    }
    w->rc = svp_buf_puts(w->b, line);
}

/* A map for column i: its name (the column's key, made unique). */
static int new_map(struct writer *w, int col, bool sex)
{
    if (w->nmaps == DRAFT_MAX_MAPS)
        return -1;
    struct dmap *m = &w->maps[w->nmaps];
    snprintf(m->name, sizeof m->name, "%s", sex ? "sex" : w->d->cols[col].key);
    for (int i = 0; i < w->nmaps; i++)
        if (!strcmp(w->maps[i].name, m->name)) {
            snprintf(m->name, sizeof m->name, "%.40s_%d", sex ? "sex" : w->d->cols[col].key,
                     w->nmaps + 1);
            break;
        }
    m->col = col;
    m->sex = sex;
    return w->nmaps++;
}

/* Whether every code of column c is already a canonical code for target t. */
static bool codes_canonical(const struct col *c, enum ingest_target t)
{
    for (int k = 0; k < c->ncodes; k++)
        if (!ingest_known_code(t, c->codes[k].v))
            return false;
    return true;
}

/* Whether every code of column a is one of column b's. */
static bool codes_within(const struct col *a, const struct col *b)
{
    for (int i = 0; i < a->ncodes; i++) {
        bool found = false;
        for (int j = 0; j < b->ncodes && !found; j++)
            found = !strcasecmp(a->codes[i].v, b->codes[j].v);
        if (!found)
            return false;
    }
    return true;
}

/* The sex columns of the other people a row names ("Child 2 Gender"): a map as the row's
 * person's sex column gets one, shared with an earlier sex column whose codes hold all of
 * theirs (one [map sex] for "Male"/"Female" however many children). */
static void people_sex_maps(struct writer *w)
{
    struct draft *d = w->d;
    int first = -1; /* the first sex column, the row's person's where there is one */
    for (int i = 0; i < d->ncols && first < 0; i++)
        if (d->cols[i].role == R_SEX)
            first = i;
    for (int g = 0; g < d->npeople; g++) {
        const struct draft_person *p = &d->people[g];
        for (int k = 0; g != d->main_person && k < p->ncols; k++) {
            struct col *c = &d->cols[p->cols[k]];
            if (p->roles[k] != R_SEX)
                continue;
            if (codes_canonical(c, T_SEX))
                continue;
            if (first >= 0 && d->cols[first].map >= 0 && codes_within(c, &d->cols[first]))
                c->map = d->cols[first].map;
            else
                c->map = new_map(w, p->cols[k], true);
            if (first < 0)
                first = p->cols[k];
        }
    }
}

/* Whether a code-like text column's values make a map (each to its lower_snake code). */
static bool mappable(const struct col *c)
{
    if (c->kind != K_CODE || c->ints == c->nonblank)
        return false;
    int ok = 0;
    for (int i = 0; i < c->ncodes; i++) {
        char s[64];
        draft_snake(c->codes[i].v, strlen(c->codes[i].v), s, sizeof s);
        ok += *s && draft_writable_code(c->codes[i].v);
    }
    return ok > 0;
}

/* One mapped value: "KEY = COLUMN | steps". */
static bool has_role(const struct draft *d, enum crole r)
{
    for (int i = 0; i < d->ncols; i++)
        if (d->cols[i].role == r)
            return true;
    return false;
}

static void put_value(struct writer *w, const char *key, int i, const char *steps)
{
    const struct col *c = &w->d->cols[i];
    if (c->kind == K_DATE && c->time_col >= 0 && !strncmp(steps, "date", 4))
        put(w, "%s = %s + %s%s%s\n", key, c->name, w->d->cols[c->time_col].name,
            *steps ? " | " : "", steps);
    else
        put(w, "%s = %s%s%s\n", key, c->name, *steps ? " | " : "", steps);
}

/* The separator a text column's values are lists on ('|' or ';', in one value in twenty
 * and two at least), or 0. */
static char list_sep(const struct col *c)
{
    if (c->sep_pipe * 20 >= c->nonblank && c->sep_pipe >= 2)
        return '|';
    if (c->sep_semi * 20 >= c->nonblank && c->sep_semi >= 2)
        return ';';
    return 0;
}

/* Whether a list's items are codes a map can hold: at most DRAFT_CODES of them, each seen
 * twice on average, each writable. */
static bool items_mappable(const struct col *c)
{
    int64_t seen = 0;
    for (int i = 0; i < c->nitems; i++) {
        if (!draft_writable_code(c->items[i].v))
            return false;
        seen += c->items[i].n;
    }
    return c->kind == K_TEXT && list_sep(c) && !c->items_many && c->nitems >= 2 &&
           seen >= 2 * c->nitems;
}

/* The steps that read a column as its kind says. */
static void kind_steps(struct writer *w, int i, bool as_datetime, char *out, size_t cap)
{
    struct col *c = &w->d->cols[i];
    char f[160];
    out[0] = '\0';
    if (c->role == R_MENTIONS) {
        char sep = c->sep_pipe >= c->sep_semi && c->sep_pipe > c->sep_comma ? '|'
                   : c->sep_comma > c->sep_semi                           ? ','
                                                                          : ';';
        snprintf(out, cap, "mentions %s", sep == '|' ? "pipe" : sep == ',' ? "comma" : ";");
        return;
    }
    switch (c->kind) {
    case K_DATE:
        if (c->time_col >= 0) { /* read with its time: "DATE + TIME | datetime FMT %H:%M" */
            const char *hm = w->d->cols[c->time_col].times_sec ? " %H:%M:%S" : " %H:%M";
            size_t at = (size_t)snprintf(out, cap, "datetime ");
            for (int k = 0; k < c->nchosen && at < cap; k++) {
                const char *fm = draft_formats[c->chosen[k]];
                at += (size_t)snprintf(out + at, cap - at, "%s%s%s", k ? " or " : "", fm,
                                       strcmp(fm, "iso") ? hm : "");
            }
            break;
        }
        draft_formats_text(c, f, sizeof f);
        snprintf(out, cap, "%s %s", as_datetime && c->with_time ? "datetime" : "date", f);
        break;
    case K_FLAG: snprintf(out, cap, "flag"); break;
    case K_INT:
        snprintf(out, cap, "%s", c->maxlen > 15 || (c->codes[0].v && c->codes[0].v[0] == '0' &&
                                                     c->maxlen > 1) ? "" : "integer");
        break;
    case K_NUM: snprintf(out, cap, "number"); break;
    case K_TERM: snprintf(out, cap, "term_start"); break;
    case K_CODE:
        if (c->map >= 0)
            snprintf(out, cap, "map %s", w->maps[c->map].name);
        break;
    case K_TEXT:
        if (list_sep(c) && c->map >= 0)
            snprintf(out, cap, "list %s | map %s", list_sep(c) == '|' ? "pipe" : ";",
                     w->maps[c->map].name);
        else if (list_sep(c))
            snprintf(out, cap, "list %s", list_sep(c) == '|' ? "pipe" : ";");
        break;
    case K_TIME:
    case K_BLANK: break;
    }
}

/* A further event's start: the row's start column as the row's own event reads it. */
static void put_start(struct writer *w, int start, char *steps, size_t cap)
{
    if (w->d->cols[start].role == R_TERM) {
        put_value(w, "started_at", start, "term_start");
        return;
    }
    kind_steps(w, start, true, steps, cap);
    put_value(w, "started_at", start, steps);
}

/* "person = COLUMN" (or its names and date of birth joined) of another person in the row. */
static void put_person_key(struct writer *w, const char *key, int g)
{
    const struct draft_person *p = &w->d->people[g];
    if (p->key_col >= 0) {
        put(w, "%s = %s\n", key, w->d->cols[p->key_col].name);
        return;
    }
    put(w, "%s = ", key);
    for (int k = 0; k < p->nkey; k++)
        put(w, "%s%s", k ? " + " : "", w->d->cols[p->key[k]].name);
    put(w, "\n");
}

/* The event's type: column tc's codes through map tm, or the type the draft found. */
static void put_type(struct writer *w, int tc, int tm)
{
    if (tm >= 0) {
        put_value(w, "type", tc, "");
        w->b->len--; /* the line end: the map step follows */
        w->b->data[w->b->len] = '\0';
        put(w, " | map %s\n", w->maps[tm].name);
    } else {
        put(w, "type = \"%s\"\n", w->d->type ? w->d->type : "incident");
    }
}

/* An address over several columns: its lines joined, blank ones left out. */
static void put_address_lines(struct writer *w)
{
    const struct draft *d = w->d;
    put(w, "address = expr(svp_join(', '");
    for (int a = 0; a < d->naddr_parts; a++) {
        put(w, ", \"");
        for (const char *q = d->cols[d->addr_parts[a]].name; *q; q++)
            put(w, *q == '"' ? "\"\"" : "%c", *q);
        put(w, "\"");
    }
    put(w, "))\n");
}

/* The address column i (over several columns when the draft joined them), and the postcode
 * from it where no column holds the postcode and eight values in ten carry one. */
static void put_address(struct writer *w, int i)
{
    const struct draft *d = w->d;
    const struct col *c = &d->cols[i];
    if (d->naddr_parts)
        put_address_lines(w);
    else
        put_value(w, "address", i, "");
    if (!has_role(d, R_POSTCODE) && c->postcodes_in * 10 >= c->nonblank * 8)
        put_value(w, "postcode", i, "postcode");
}

/* The row's household (its postcode and address columns, not prefixed by any part) for
 * another child listed with the row's person ("Child 2" beside "Child 1"): the children a
 * contact or a notification lists live at the address it gives, and a shared home is what
 * keeps twins and siblings apart in the linker. */
static void put_household(struct writer *w, const struct draft_person *p)
{
    const struct draft *d = w->d;
    const struct draft_person *main = &d->people[d->main_person];
    if (!p->num || !main->num || strcmp(p->part, main->part))
        return;
    for (int j = 0; j < p->ncols; j++)
        if (p->roles[j] == R_POSTCODE || p->roles[j] == R_ADDRESS)
            return; /* the child's own */
    for (int i = 0; i < d->ncols; i++) {
        if (d->cols[i].role == R_POSTCODE)
            put_value(w, "postcode", i, "postcode");
        else if (d->cols[i].role == R_ADDRESS)
            put_address(w, i);
    }
}

/* [record WORD] for each other person the row names (draft_people.c). */
static void put_people_records(struct writer *w, char *steps, size_t cap)
{
    static const struct {
        enum crole r;
        const char *key;
    } pk[] = {{R_GIVEN, "given_name"}, {R_MIDDLE, "middle_names"}, {R_FAMILY, "family_name"},
              {R_FULL, "full_name"},   {R_DOB, "dob"},             {R_SEX, "sex"},
              {R_POSTCODE, "postcode"}, {R_ADDRESS, "address"}};
    const struct draft *d = w->d;
    people_sex_maps(w);
    for (int g = 0; g < d->npeople; g++) {
        const struct draft_person *p = &d->people[g];
        if (g == d->main_person || !p->ncols)
            continue;
        put(w, "\n# check: the %s the row names, a person of their own\n[record %s]\n",
            p->part, p->name);
        put_person_key(w, "person", g);
        for (size_t k = 0; k < sizeof pk / sizeof *pk; k++)
            for (int j = 0; j < p->ncols; j++) {
                if (p->roles[j] != pk[k].r)
                    continue;
                int i = p->cols[j];
                steps[0] = '\0';
                if (pk[k].r == R_DOB)
                    kind_steps(w, i, false, steps, cap);
                else if (pk[k].r == R_FULL)
                    snprintf(steps, cap, "any_order");
                else if (pk[k].r == R_POSTCODE)
                    snprintf(steps, cap, "postcode");
                else if (pk[k].r == R_SEX && d->cols[i].map >= 0)
                    snprintf(steps, cap, "map %s", w->maps[d->cols[i].map].name);
                put_value(w, pk[k].key, i, steps);
            }
        put_household(w, p);
    }
}

static bool needs_required(const struct col *c)
{
    return !c->blank && c->nonblank > 0;
}

static void write_maps(struct writer *w)
{
    struct draft *d = w->d;
    for (int m = 0; m < w->nmaps; m++) {
        struct dmap *mp = &w->maps[m];
        struct col *c = &d->cols[mp->col];
        put(w, "\n[map %s]\n", mp->name);
        bool iso = mp->sex && c->ints == c->nonblank;
        bool skipped = false, unsure = false;
        const struct code *codes = mp->items ? c->items : c->codes;
        int ncodes = mp->items ? c->nitems : c->ncodes;
        for (int i = 0; i < ncodes; i++) {
            const char *v = codes[i].v;
            if (!draft_writable_code(v)) {
                skipped = true;
                continue;
            }
            /* a map's codes match in any case, so one line serves "No kind" and "nO kind" */
            bool again = false;
            for (int j = 0; j < i && !again; j++)
                again = draft_writable_code(codes[j].v) && !strcasecmp(codes[j].v, v);
            if (again)
                continue;
            if (mp->eth) {
                const char *e = mp->eth_letters ? draft_nhs_ethnic_letter(v)
                                                : draft_ethnicity_code(v);
                if (e)
                    put(w, "%s = %s\n", v, e);
                else
                    skipped = true;
            } else if (mp->type) {
                const char *t = draft_code_type(d, v);
                if (t)
                    put(w, "%s = %s\n", v, t);
                else
                    skipped = true;
            } else if (mp->sex) {
                const char *s = draft_sex_code(v, iso);
                if (!s) {
                    s = "U";
                    unsure = true;
                }
                put(w, "%s = %s\n", v, s);
            } else {
                char s[64];
                const char *canon = mp->canon ? mp->canon(v) : NULL;
                if (!canon && mp->only_canon)
                    continue;
                if (canon)
                    snprintf(s, sizeof s, "%s", canon);
                else
                    draft_snake(v, strlen(v), s, sizeof s);
                if (!*s) {
                    skipped = true;
                    continue;
                }
                put(w, "%s = %s\n", v, s);
            }
        }
        if (unsure)
            put(w, "# check: codes read as U (not known) were not recognised\n");
        if (mp->eth && skipped)
            put(w, "# check: values not read as an ethnicity are not in this map (import "
                   "drops them with a warning): add them\n");
        if (mp->eth)
            ;
        else if (mp->type)
            put(w, "* = %s\n", mp->type);
        else if (skipped && !mp->sex)
            put(w, "* = *\n");
        else if (skipped)
            put(w, "* = U\n");
    }
}

/* A school attendance export's counts under the keys the tracker reads (draft_codes.c):
 * each column renamed once; -1 or the column of each key. */
/* Gives column c the detail key k unless another column has it: 1 renamed, 0 taken,
 * SVP_ENOMEM. */
static int rename_key(struct draft *d, struct col *c, const char *k)
{
    for (int j = 0; j < d->ncols; j++)
        if (d->cols[j].key && !strcmp(d->cols[j].key, k))
            return 0;
    char *nk = svp_strdup(k);
    if (!nk)
        return SVP_ENOMEM;
    svp_free(c->key);
    c->key = nk;
    return 1;
}

static int attendance_keys(struct draft *d, int *possible, int *attended, int *missed,
                           int *auth, int *unauth, int *pct)
{
    *possible = *attended = *missed = *auth = *unauth = *pct = -1;
    if (!d->type || strcmp(d->type, "school_attendance"))
        return SVP_OK;
    static const char *const keys[] = {"sessions_possible", "sessions_attended",
                                       "sessions_missed",   "sessions_authorised",
                                       "sessions_unauthorised", "attendance_pct"};
    int *at[] = {possible, attended, missed, auth, unauth, pct};
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        const char *k = c->role == R_DETAIL ? draft_attendance_key(c) : NULL;
        int rc = k ? rename_key(d, c, k) : 0;
        if (rc < 0)
            return rc;
        for (int j = 0; j < 6 && rc; j++)
            if (!strcmp(k, keys[j]))
                *at[j] = i;
    }
    return SVP_OK;
}

/* Whether a map would change any of a list's items (canon's code, else its lower_snake
 * form): a list already written in codes needs none. */
static bool items_change(const struct col *c, const char *(*canon)(const char *))
{
    for (int i = 0; i < c->nitems; i++) {
        const char *v = c->items[i].v, *to = canon ? canon(v) : NULL;
        char s[64];
        if (!to) {
            draft_snake(v, strlen(v), s, sizeof s);
            to = s;
        }
        if (strcmp(to, v))
            return true;
    }
    return false;
}

/* How strongly a list column's name says it lists concerns: 2 ("Concerns Disclosed",
 * "Exploitation Concerns"), 1 ("Push Factors", "Reasons", "Risks"), 0. */
static int concern_words(const struct col *c)
{
    static const char *const strong[] = {"concern", "concerns", "disclosed", "disclosure",
                                         "disclosures", NULL};
    static const char *const weak[] = {"risk", "risks", "issue", "issues", "factor",
                                       "factors", "reason", "reasons", "theme", "themes",
                                       "vulnerability", "vulnerabilities", NULL};
    return draft_has_any(c, strong) ? 2 : draft_has_any(c, weak) ? 1 : 0;
}

/* The list of concerns the tracker reads (concern_key): the one whose name says so most,
 * the first of those; -1 if none. */
static int concern_column(const struct draft *d)
{
    int best = -1, best_w = 0;
    for (int i = 0; i < d->ncols; i++) {
        const struct col *c = &d->cols[i];
        int cw = c->role == R_DETAIL && items_mappable(c) ? concern_words(c) : 0;
        if (cw > best_w)
            best = i, best_w = cw;
    }
    return best;
}

/* The detail key the tracker reads a list of concerns under for the file's record, or
 * NULL (docs/model.md). */
static const char *concern_key(const struct draft *d)
{
    static const struct {
        const char *type, *key;
    } k[] = {{"return_interview", "disclosures"}, {"contact", "reasons"},
             {"referral", "reasons"},             {"assessment", "factors"},
             {"exploitation_screening", "concerns"}, {"exploitation_concern", "concerns"}};
    for (size_t i = 0; d->type && i < sizeof k / sizeof k[0]; i++)
        if (!strcmp(d->type, k[i].type))
            return k[i].key;
    return NULL;
}

/* Whether half or more of a code column's codes read as one of svp's codes by canon. */
static bool codes_read(const struct col *c, const char *(*canon)(const char *))
{
    int n = 0;
    for (int k = 0; k < c->ncodes; k++)
        n += canon(c->codes[k].v) != NULL;
    return c->ncodes && !c->many && n * 2 >= c->ncodes;
}

int draft_write_profile(struct draft *d, const char *name, struct svp_buf *b)
{
    struct writer w = {.d = d, .b = b};
    int a_possible, a_attended, a_missed, a_auth, a_unauth, a_pct;
    if (attendance_keys(d, &a_possible, &a_attended, &a_missed, &a_auth, &a_unauth, &a_pct))
        return SVP_ENOMEM;
    for (int i = 0; i < d->ncols; i++)
        if (d->cols[i].carer_phone && d->cols[i].role == R_DETAIL &&
            rename_key(d, &d->cols[i], "contact_phone") < 0)
            return SVP_ENOMEM;
    /* maps: the sex column's, then code-like text columns' */
    int concern_col = concern_column(d);
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->role == R_SEX) {
            if (!codes_canonical(c, T_SEX) || c->many)
                c->map = new_map(&w, i, true);
            if (c->many && c->map < 0)
                c->role = R_DETAIL;
        } else if ((c->role == R_DETAIL || c->role == R_SUBTYPE) && mappable(c)) {
            c->map = new_map(&w, i, false);
            /* an ED's reasons are its subtype; an offence is a crime's, an arrest's or an
             * intervention's `offence` (their subtype is the person's role) */
            bool ed = d->type && !strcmp(d->type, "ed_attendance");
            bool crimes = d->type && (!strcmp(d->type, "crime") || !strcmp(d->type, "incident") ||
                                      !strcmp(d->type, "arrest") ||
                                      !strcmp(d->type, "yj_intervention"));
            /* a column named for offences, or a "type" or "reason" column most of whose codes
             * read as offences ("Occurrence Type": Drugs Possession, Assault, Robbery;
             * "Reason for Arrest"): not the person's role */
            bool offence = crimes && ((c->role == R_DETAIL && (draft_has_word(c, "offence") ||
                                                                draft_has_word(c, "offense"))) ||
                                      (c->role == R_SUBTYPE && codes_read(c, draft_offence)));
            if (c->map >= 0 && c->role == R_SUBTYPE && ed)
                w.maps[c->map].canon = draft_ed_reason;
            if (c->map >= 0 && c->role == R_SUBTYPE && d->type &&
                !strcmp(d->type, "yj_intervention") && codes_read(c, draft_yj_disposal))
                w.maps[c->map].canon = draft_yj_disposal;
            /* a missing episode's risk grading, where from and who brought the child back,
             * under the keys the tracker and the panels read */
            if (c->map >= 0 && d->type && !strcmp(d->type, "missing_episode") &&
                c->role == R_DETAIL) {
                static const char *const risk_w[] = {"risk", "grading", "graded",
                                                     "assessment", NULL};
                static const char *const from_w[] = {"from", NULL};
                static const char *const by_w[] = {"returned", "return", "brought", NULL};
                static const struct {
                    const char *const *words;
                    const char *(*canon)(const char *);
                    const char *key;
                } mk[] = {{risk_w, draft_missing_risk, "risk_level"},
                          {from_w, draft_missing_from, "missing_from"},
                          {by_w, draft_returned_by, "returned_by"}};
                for (size_t k = 0; k < sizeof mk / sizeof mk[0]; k++)
                    if (draft_has_any(c, mk[k].words) && codes_read(c, mk[k].canon)) {
                        w.maps[c->map].canon = mk[k].canon;
                        if (rename_key(d, c, mk[k].key) < 0)
                            return SVP_ENOMEM;
                        break;
                    }
            }
            /* a return interview's outcome ("Completed", "Declined", "Unable to contact") */
            if (c->map >= 0 && d->type && !strcmp(d->type, "return_interview") &&
                codes_read(c, draft_rhi_outcome)) {
                w.maps[c->map].canon = draft_rhi_outcome;
                if (c->role == R_DETAIL && rename_key(d, c, "outcome") < 0)
                    return SVP_ENOMEM;
            }
            /* an exclusion's category (the census's FIXD, PERM) is its subtype, suspension
             * or permanent, which the tracker weighs; its reason (PD, PP ...) the reason */
            bool excl = d->type && !strcmp(d->type, "exclusion");
            if (c->map >= 0 && excl && c->role == R_SUBTYPE &&
                codes_read(c, draft_exclusion_category))
                w.maps[c->map].canon = draft_exclusion_category;
            else if (c->map >= 0 && excl && c->role == R_DETAIL &&
                     codes_read(c, draft_exclusion_reason)) {
                w.maps[c->map].canon = draft_exclusion_reason;
                if (rename_key(d, c, "reason") < 0)
                    return SVP_ENOMEM;
            }
            if (offence)
                c->role = R_DETAIL;
            if (c->map >= 0 && offence) {
                w.maps[c->map].canon = draft_offence;
                if (rename_key(d, c, "offence") < 0)
                    return SVP_ENOMEM;
            }
        } else if (c->role == R_DETAIL && items_mappable(c) &&
                   items_change(c, concern_words(c) ? draft_concern : NULL)) {
            /* a list of concerns ("CSE|Drugs"): each item read to the tracker's codes, under
             * the key the tracker reads for the file's record */
            c->map = new_map(&w, i, false);
            if (c->map >= 0)
                w.maps[c->map].items = true;
            if (c->map >= 0 && concern_words(c)) {
                w.maps[c->map].canon = draft_concern;
                const char *k = concern_key(d);
                if (k && i == concern_col && rename_key(d, c, k) < 0)
                    return SVP_ENOMEM;
            }
        } else if (c->role == R_ETHNICITY) {
            bool canonical = !c->many && codes_canonical(c, T_ETHNICITY);
            /* descriptions ("White - British") or the NHS's letters: a map to the codes,
             * when most of the values read as one */
            int letters = 0, read = 0;
            for (int k = 0; k < c->ncodes && !canonical && !c->many; k++) {
                letters += draft_nhs_ethnic_letter(c->codes[k].v) != NULL;
                read += draft_ethnicity_code(c->codes[k].v) != NULL;
            }
            bool by_letter = c->ncodes && letters == c->ncodes;
            if (!canonical && !c->many && (by_letter || read * 2 > c->ncodes)) {
                c->map = new_map(&w, i, false);
                if (c->map >= 0) {
                    w.maps[c->map].eth = true;
                    w.maps[c->map].eth_letters = by_letter;
                }
            }
            if (!canonical && c->map < 0)
                c->role = R_DETAIL; /* kept as written until the analyst maps it */
        }
    }
    put(&w, "# A draft written by `svp profile draft` from %s (%lld rows read). Check each\n"
            "# line, and those marked 'check' first; then `svp profile check` it with --data.\n",
        d->path, (long long)d->rows);
    put(&w, "[source]\nname = %s\nagency = %s\n", name, d->agency);
    if (d->cp1252)
        put(&w, "encoding = windows-1252\n");
    if (d->delim != ',')
        put(&w, "delimiter = %s\n", d->delim == ';' ? "semicolon" : d->delim == '\t' ? "tab"
                                                                                       : "pipe");
    if (d->xlsx && d->sheet)
        put(&w, "sheet = %s\n", d->sheet);
    if (d->header_line)
        put(&w, "# check: the lines above the header are a title\nheader_line = %d\n",
            d->header_line);
    if (d->footer_lines)
        put(&w, "# check: the last lines are the report's footer (totals), not rows\n"
                "footer_lines = %d\n", d->footer_lines);
    if (d->nulls)
        put(&w, "# check: NULL is how the system writes a value it does not hold (%lld values)\n"
                "blank = NULL\n",
            (long long)d->nulls);
    if (d->person_line)
        put(&w, "# check: no column looks like a person id; each row is its own record\n"
                "person_id = @line\n");
    else if (d->person_nhs)
        put(&w, "# check: no column but the NHS number names the person; it is the person id\n"
                "person_id = %s\n", d->cols[d->person].name);
    else
        put(&w, "person_id = %s\n", d->cols[d->person].name);
    if (d->nrow_parts) {
        put(&w, "row_id = ");
        for (int k = 0; k < d->nrow_parts; k++)
            put(&w, "%s%s", k ? " + " : "", d->cols[d->row_parts[k]].name);
        put(&w, "\n");
    } else if (d->row_line) {
        put(&w, "# check: no column or pair of columns is unique: rows are known by line\n"
                "row_id = @line\n");
    }
    if (d->adults + d->children) {
        if (draft_adult_file(d))
            put(&w, "role = adult\n");
        else if (d->children * 20 < (d->adults + d->children) * 19)
            put(&w, "role = by_dob\n");
    }
    bool any_time = false;
    for (int i = 0; i < d->ncols; i++)
        any_time |= d->cols[i].kind == K_DATE && (d->cols[i].with_time || d->cols[i].time_col >= 0);
    if (any_time)
        put(&w, "# check: if the times are UK local time, say so:\n# timezone = Europe/London\n");

    /* [record] */
    char steps[256];
    bool rec_open = false;
    static const struct {
        enum crole r;
        const char *key;
    } rk[] = {{R_GIVEN, "given_name"}, {R_MIDDLE, "middle_names"}, {R_FAMILY, "family_name"},
              {R_FULL, "full_name"},
              {R_DOB, "dob"}, {R_SEX, "sex"}, {R_ETHNICITY, "ethnicity"},
              {R_POSTCODE, "postcode"}, {R_ADDRESS, "address"}, {R_SHARED, "shared_id"},
              {R_EMAIL, "email"}, {R_PHONE, "phone"}, {R_KNOWN_AS, "known_as"}};
    for (size_t k = 0; k < sizeof rk / sizeof rk[0]; k++)
        for (int i = 0; i < d->ncols; i++) {
            struct col *c = &d->cols[i];
            /* the NHS number as the person id is still the identifier the linker compares */
            bool nhs_id = rk[k].r == R_SHARED && d->person_nhs && i == d->person;
            if (c->role != rk[k].r && !nhs_id)
                continue;
            if (!rec_open)
                put(&w, "\n[record]\n");
            rec_open = true;
            steps[0] = '\0';
            switch (c->role) {
            case R_FULL: {
                /* both orders shown (a comma or an upper-case surname says which in each
                 * value): any_order reads each as it shows */
                const char *order =
                    c->comma + c->upper_first && c->upper_last  ? "any_order"
                    : c->comma + c->upper_first > c->upper_last ? "surname_first"
                                                                : "given_first";
                if (!(c->comma + c->upper_first + c->upper_last))
                    put(&w, "# check: names are 'Forename Surname' or 'Surname Forename'? "
                            "(no comma or upper-case surname says)\n");
                snprintf(steps, sizeof steps, "%s%s", order,
                         needs_required(c) ? " | required" : "");
                break;
            }
            case R_GIVEN:
            case R_FAMILY:
                snprintf(steps, sizeof steps, "%s", needs_required(c) ? "required" : "");
                break;
            case R_DOB: kind_steps(&w, i, false, steps, sizeof steps); break;
            case R_SEX:
            case R_ETHNICITY:
                if (c->map >= 0)
                    snprintf(steps, sizeof steps, "map %s", w.maps[c->map].name);
                break;
            case R_POSTCODE: snprintf(steps, sizeof steps, "postcode"); break;
            default: break;
            }
            if (c->role == R_ADDRESS)
                put_address(&w, i);
            else
                put_value(&w, rk[k].key, i, steps);
        }
    put_people_records(&w, steps, sizeof steps);
    bool has_event = false;
    for (int i = 0; i < d->ncols; i++)
        has_event |= d->cols[i].role == R_START || d->cols[i].role == R_TERM;
    if (!has_event) {
        /* no date for an event: everything else is the person's */
        for (int i = 0; i < d->ncols; i++)
            if (d->cols[i].role == R_MENTIONS || d->cols[i].role == R_SUBTYPE ||
                d->cols[i].role == R_END || d->cols[i].role == R_PLACE_NAME ||
                d->cols[i].role == R_PLACE_POSTCODE || d->cols[i].role == R_LAT ||
                d->cols[i].role == R_LON)
                d->cols[i].role = R_DETAIL;
        d->type = NULL;
        bool any = false;
        for (int i = 0; i < d->ncols; i++)
            any |= d->cols[i].role == R_DETAIL;
        if (any && !rec_open)
            put(&w, "\n[record]\n");
        if (any)
            rec_open = true;
        bool repeats = d->person >= 0 && d->cols[d->person].dups > 0;
        if (any && repeats)
            put(&w, "# check: a person has several rows but no column is a date: give an [event]\n"
                    "# with started_at (e.g. expr(...) | term_start), or each row's detail\n"
                    "# replaces the last\n");
        char key[80];
        for (int i = 0; i < d->ncols; i++) {
            if (d->cols[i].role != R_DETAIL)
                continue;
            kind_steps(&w, i, true, steps, sizeof steps);
            snprintf(key, sizeof key, "detail.%s", d->cols[i].key);
            put_value(&w, key, i, steps);
        }
        if (!rec_open) /* a profile needs something: the person id as a record */
            put(&w, "\n[record]\n# check: no column but the id could be placed\n");
    } else {
        if (rec_open) {
            char key[80];
            for (int i = 0; i < d->ncols; i++) {
                struct col *c = &d->cols[i];
                if (c->role != R_DETAIL || !(draft_has_word(c, "ethnicity") || draft_has_word(c, "ethnic") ||
                                             draft_has_word(c, "language") || draft_has_word(c, "religion") ||
                                             draft_has_word(c, "nationality")))
                    continue;
                kind_steps(&w, i, true, steps, sizeof steps);
                snprintf(key, sizeof key, "detail.%s", c->key);
                put_value(&w, key, i, steps);
                c->role = R_SKIP; /* written */
            }
        }
        put(&w, "\n[event]\n");
        int tc = draft_type_column(d), tm = tc >= 0 ? new_map(&w, tc, false) : -1;
        if (tm >= 0) {
            snprintf(w.maps[tm].name, sizeof w.maps[tm].name, "%.50s_type", d->cols[tc].key);
            w.maps[tm].type = d->type ? d->type : "incident";
            put(&w, "# check: each code of %s says what the row records; codes that say "
                    "nothing are a '%s'\n", d->cols[tc].name, w.maps[tm].type);
        } else if (!d->type) {
            put(&w, "# check: what each row records (docs/model.md)\n");
        }
        put_type(&w, tc, tm);
        int start = -1;
        for (int i = 0; i < d->ncols; i++)
            if (d->cols[i].role == R_SUBTYPE) {
                kind_steps(&w, i, true, steps, sizeof steps);
                put_value(&w, "subtype", i, steps);
            }
        if (d->type && !strcmp(d->type, "crime") && !has_role(d, R_SUBTYPE))
            put(&w, "# check: a crime's subtype is the person's part in it (victim, suspect, "
                    "offender, witness), which the tracker weighs; no column says it\n");
        for (int i = 0; i < d->ncols; i++) {
            struct col *c = &d->cols[i];
            if (c->role == R_START) {
                start = i;
                kind_steps(&w, i, true, steps, sizeof steps);
                /* a few blanks are slips (rejected); many, rows that record no event */
                bool few = c->blank * 100 <= c->blank + c->nonblank;
                if (few)
                    snprintf(steps + strlen(steps), sizeof steps - strlen(steps), " | required");
                put_value(&w, "started_at", i, steps);
                if (!few)
                    put(&w, "# check: rows with no %s make no event\noptional = yes\n", c->name);
            } else if (c->role == R_TERM) {
                start = i;
                put_value(&w, "started_at", i, "term_start");
                put_value(&w, "ended_at", i, "term_end");
            }
        }
        bool parts = false; /* another person plays a part in the event: say whose */
        for (int g = 0; g < d->npeople; g++)
            parts |= g != d->main_person && d->people[g].ncols && !draft_person_parent(d, g);
        if (parts)
            put(&w, "detail.role = \"%s\"\n", draft_person_role(d, d->main_person));
        static const struct {
            enum crole r;
            const char *key;
        } ek[] = {{R_END, "ended_at"}, {R_PLACE_NAME, "place.name"},
                  {R_PLACE_POSTCODE, "place.postcode"}, {R_LAT, "place.lat"},
                  {R_LON, "place.lon"}};
        for (size_t k = 0; k < sizeof ek / sizeof ek[0]; k++)
            for (int i = 0; i < d->ncols; i++) {
                if (d->cols[i].role != ek[k].r)
                    continue;
                kind_steps(&w, i, true, steps, sizeof steps);
                if (ek[k].r == R_PLACE_POSTCODE)
                    snprintf(steps, sizeof steps, "postcode");
                put_value(&w, ek[k].key, i, steps);
                /* a place written with its postcode ("Park, SV1 2AB"), where no column
                 * holds the place's postcode */
                if (ek[k].r == R_PLACE_NAME && !has_role(d, R_PLACE_POSTCODE) &&
                    d->cols[i].postcodes_in * 10 >= d->cols[i].nonblank * 8)
                    put_value(&w, "place.postcode", i, "postcode");
            }
        char key[80];
        for (int i = 0; i < d->ncols; i++) {
            struct col *c = &d->cols[i];
            if (c->role != R_DETAIL && c->role != R_MENTIONS)
                continue;
            if (c->kind == K_TERM)
                continue;
            kind_steps(&w, i, true, steps, sizeof steps);
            if (i == a_possible || i == a_attended || i == a_missed || i == a_auth ||
                i == a_unauth || i == a_pct) /* counts the tracker reads as numbers */
                snprintf(steps, sizeof steps, "%s", i == a_pct ? "number" : "integer");
            snprintf(key, sizeof key, "detail.%s", c->key);
            put_value(&w, key, i, steps);
        }
        /* what the tracker reads and the export leaves to be worked out: sessions missed
         * from authorised and unauthorised absence, the attendance % from the counts */
        if (a_missed < 0 && a_auth >= 0 && a_unauth >= 0)
            put(&w, "detail.sessions_missed = %s + %s | sum\n", d->cols[a_auth].name,
                d->cols[a_unauth].name);
        if (a_pct < 0 && a_attended >= 0 && a_possible >= 0)
            put(&w, "detail.attendance_pct = %s + %s | percent\n", d->cols[a_attended].name,
                d->cols[a_possible].name);
        /* the other people's part in the same event */
        for (int g = 0; g < d->npeople && start >= 0; g++) {
            if (g == d->main_person || !d->people[g].ncols || draft_person_parent(d, g))
                continue;
            put(&w, "\n[event %s]\n", d->people[g].name);
            put_person_key(&w, "person", g);
            put_type(&w, tc, tm); /* the row's event, the other's part in it */
            put_start(&w, start, steps, sizeof steps);
            put(&w, "detail.role = \"%s\"\n", draft_person_role(d, g));
        }
        for (int i = 0; i < d->ncols && start >= 0; i++) {
            struct col *c = &d->cols[i];
            const char *t = c->kind == K_FLAG && c->yes ? draft_type_of_flag(c) : NULL;
            if (!t || (d->type && !strcmp(t, d->type)))
                continue;
            put(&w, "\n[event %s]\ntype = \"%s\"\n", t, t);
            put_start(&w, start, steps, sizeof steps);
            struct svp_buf q;
            svp_buf_init(&q, 4096);
            int rc = sql_name(&q, c->name);
            if (!rc && !c->yes_mixed && !strchr(c->yes_spelling, '\''))
                put(&w, "when = %s = '%s'\n", q.data, c->yes_spelling);
            else if (!rc)
                put(&w, "when = upper(%s) IN ('Y', 'YES', 'T', 'TRUE')\n", q.data);
            svp_buf_free(&q);
            if (rc)
                w.rc = rc;
        }
        /* a risk level naming a kind of exploitation ("CSE Risk": High, Medium, Low, None):
         * a screening at that level, when the row gives one */
        for (int i = 0; i < d->ncols && start >= 0; i++) {
            struct col *c = &d->cols[i];
            const char *kind = c->role == R_DETAIL && c->kind == K_CODE
                                   ? draft_exploitation_kind(c) : NULL;
            if (!kind || (d->type && !strcmp(d->type, "exploitation_screening")))
                continue;
            struct svp_buf q;
            svp_buf_init(&q, 4096);
            int levels = 0, rc = sql_name(&q, c->name);
            if (!rc)
                rc = svp_buf_puts(&q, ") IN (");
            for (int k = 0; k < c->ncodes && !rc; k++)
                if (draft_risk_level(c->codes[k].v) && draft_writable_code(c->codes[k].v) &&
                    !strchr(c->codes[k].v, '\'')) {
                    rc = svp_buf_printf(&q, "%s'", levels++ ? ", " : "");
                    for (const char *p = c->codes[k].v; *p && !rc; p++)
                        rc = svp_buf_putc(&q, (char)toupper((unsigned char)*p));
                    if (!rc)
                        rc = svp_buf_putc(&q, '\'');
                }
            if (!rc && levels >= 2) {
                int m = new_map(&w, i, false);
                if (m >= 0) {
                    snprintf(w.maps[m].name, sizeof w.maps[m].name, "%.50s_level", c->key);
                    w.maps[m].canon = draft_risk_level;
                    w.maps[m].only_canon = true;
                    put(&w, "\n[event %s_screening]\n# check: the screening's own date, if "
                            "the extract has one (the row's is used)\n"
                            "type = \"exploitation_screening\"\n", c->key);
                    put_start(&w, start, steps, sizeof steps);
                    put(&w, "subtype = %s | map %s\nwhen = upper(%s)\ndetail.concerns = \"%s\"\n",
                        c->name, w.maps[m].name, q.data, kind);
                }
            }
            svp_buf_free(&q);
            if (rc)
                w.rc = rc;
        }
    }
    /* one who harms the row's person: a perpetrator relationship, on their event; a
     * parent or carer of the row's person: a parent relationship */
    for (int g = 0; g < d->npeople && d->person >= 0 && !d->person_line; g++) {
        if (g == d->main_person || !d->people[g].ncols)
            continue;
        bool harms = has_event && draft_person_harms(d, g) &&
                     !draft_person_harms(d, d->main_person);
        bool parent = draft_person_parent(d, g) && !draft_person_parent(d, d->main_person);
        if (!harms && !parent)
            continue;
        put(&w, "\n[relationship %s]\nkind = \"%s\"\n", d->people[g].name,
            harms ? "perpetrator" : "parent");
        put_person_key(&w, "person", g);
        put(&w, "other = %s\n", d->cols[d->person].name);
        put(&w, "event = %s\n", harms ? d->people[g].name : "none");
    }
    write_maps(&w);
    return w.rc;
}
