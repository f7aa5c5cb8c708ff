/* `svp profile draft`, second half: what each column is for (ids are chosen in draft.c),
 * the event's type, the draft profile and the scan's report. */
#include "draft_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ the event's type */

static const struct {
    const char *word, *type;
} type_words[] = {
    {"missing", "missing_episode"}, {"absconded", "missing_episode"},
    {"interview", "return_interview"}, {"rhi", "return_interview"},
    {"arrived", "ed_attendance"}, {"triage", "ed_attendance"}, {"patient", "ed_attendance"},
    {"nhs", "ed_attendance"}, {"ed", "ed_attendance"}, {"ae", "ed_attendance"},
    {"upn", "school_attendance"}, {"sessions", "school_attendance"},
    {"possible", "school_attendance"}, {"term", "school_attendance"},
    {"pupil", "school_attendance"},
    {"exclusion", "exclusion"}, {"excluded", "exclusion"}, {"excl", "exclusion"},
    {"suspension", "exclusion"},
    {"occurrence", "crime"}, {"crime", "crime"}, {"offence", "crime"}, {"nominal", "crime"},
    {"occurred", "crime"}, {"victim", "crime"}, {"suspect", "crime"}, {"witness", "crime"},
    {"arrest", "arrest"}, {"arrested", "arrest"}, {"custody", "arrest"},
    {"referral", "referral"}, {"referred", "referral"},
    {"assessment", "assessment"},
    {"yj", "yj_intervention"}, {"yot", "yj_intervention"}, {"intervention", "yj_intervention"},
    {"breach", "yj_intervention"},
    {"leaver", "care_leaver"}, {"pathway", "care_leaver"}, {"leaving care", "care_leaver"},
    {"former relevant", "care_leaver"}, {"qualifying", "care_leaver"},
    {"exploitation", "exploitation_concern"}, {"concern", "exploitation_concern"},
    {"cse", "exploitation_concern"}, {"cce", "exploitation_concern"},
    {"county lines", "exploitation_concern"},
    {"domestic", "da_incident"}, {"dash", "da_incident"},
    {"lac", "looked_after"}, {"placement", "looked_after"}, {"looked after", "looked_after"},
    {"contact", "contact"}, {"strategy", "strategy_discussion"}, {"s47", "s47_enquiry"},
    {"marac", "marac"}, {"nrm", "nrm_referral"}, {"stop search", "stop_search"},
    {"intelligence", "intelligence"}, {"camhs", "camhs_referral"},
    {"sexual health", "sexual_health"}, {"substance", "substance_misuse"},
    {"drugs", "substance_misuse"},
};
#define NTW ((int)(sizeof type_words / sizeof type_words[0]))

/* Which event types words found in text (a header or a code, as words) point to. */
static void type_votes(const char *words, int *votes, int weight)
{
    for (int i = 0; i < NTW; i++) {
        size_t n = strlen(type_words[i].word);
        for (const char *p = words; (p = strstr(p, type_words[i].word)); p++)
            if ((p == words || p[-1] == ' ') && (p[n] == ' ' || !p[n])) {
                votes[i] += weight;
                break;
            }
    }
}

static const char *type_of_flag(const struct col *c)
{
    static const char *const w[] = {"referred", "referral", "excluded", "exclusion", "excl",
                                    "arrested", "arrest", "missing", "suspended", NULL};
    static const char *const t[] = {"referral", "referral", "exclusion", "exclusion",
                                    "exclusion", "arrest", "arrest", "missing_episode",
                                    "exclusion"};
    for (int i = 0; w[i]; i++)
        if (draft_has_word(c, w[i]))
            return t[i];
    return NULL;
}

static bool writable_code(const char *s);

/* The event type a code's words point to ("Child sexual exploitation": an exploitation
 * concern), or NULL. */
static const char *code_type(const char *code)
{
    char words[160];
    int v[NTW] = {0};
    draft_header_words(code, words, sizeof words);
    type_votes(words, v, 1);
    /* "concern" names an exploitation concern in a header ("Concern type"), but a code
     * that says only that ("Child is cause for concern") says no kind of harm */
    for (int i = 0; i < NTW; i++)
        if (v[i] && strcmp(type_words[i].word, "concern"))
            return type_words[i].type;
    return NULL;
}

/* A code column whose codes name two or more event types other than the file's own (a
 * GP's safeguarding codes: "Child sexual exploitation", "Domestic abuse in household",
 * "Substance misuse") says each row's type: the one with most such types, or -1. (One
 * other type is an outcome or a detail: a youth justice order's outcome "Absconded".) */
static int type_column(const struct draft *d)
{
    int best = -1, best_n = 1;
    for (int i = 0; i < d->ncols; i++) {
        const struct col *c = &d->cols[i];
        if (c->kind != K_CODE)
            continue;
        const char *seen[DRAFT_CODES + 1];
        int n = 0;
        for (int k = 0; k < c->ncodes; k++) {
            const char *t = writable_code(c->codes[k].v) ? code_type(c->codes[k].v) : NULL;
            if (t && d->type && !strcmp(t, d->type))
                t = NULL;
            int j = 0;
            while (t && j < n && strcmp(seen[j], t))
                j++;
            if (t && j == n)
                seen[n++] = t;
        }
        if (n > best_n)
            best = i, best_n = n;
    }
    return best;
}

void draft_guess_type(struct draft *d)
{
    int votes[NTW] = {0};
    char words[160];
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->kind == K_FLAG && type_of_flag(c))
            continue; /* a flag names a further event, not the row's */
        type_votes(c->words, votes, 2);
        if (c->kind != K_CODE)
            continue;
        /* the column's codes, as words, vote once */
        int cv[NTW] = {0};
        for (int k = 0; k < c->ncodes; k++) {
            draft_header_words(c->codes[k].v, words, sizeof words);
            type_votes(words, cv, 1);
        }
        for (int k = 0; k < NTW; k++)
            votes[k] += cv[k] > 0;
    }
    const char *types[NTW];
    int tv[NTW], nt = 0;
    for (int i = 0; i < NTW; i++) {
        int k = 0;
        while (k < nt && strcmp(types[k], type_words[i].type))
            k++;
        if (k == nt)
            types[nt] = type_words[i].type, tv[nt++] = 0;
        tv[k] += votes[i];
    }
    int best = -1;
    for (int k = 0; k < nt; k++)
        if (tv[k] && (best < 0 || tv[k] > tv[best]))
            best = k;
    d->type = best >= 0 ? types[best] : NULL;
    static const struct {
        const char *type, *agency;
    } ag[] = {{"missing_episode", "police"}, {"crime", "police"}, {"arrest", "police"},
              {"stop_search", "police"}, {"intelligence", "police"}, {"da_incident", "police"},
              {"ed_attendance", "health"}, {"sexual_health", "health"},
              {"camhs_referral", "health"}, {"substance_misuse", "health"},
              {"school_attendance", "education"}, {"exclusion", "education"},
              {"yj_intervention", "yjs"}, {"return_interview", "rhi"}};
    d->agency = d->type ? "csc" : "other";
    for (size_t i = 0; d->type && i < sizeof ag / sizeof ag[0]; i++)
        if (!strcmp(ag[i].type, d->type))
            d->agency = ag[i].agency;
}

/* ------------------------------------------------------------------ roles */

static bool words_any(const struct col *c, const char *const *w)
{
    return draft_has_any(c, w);
}

void draft_assign_roles(struct draft *d)
{
    static const char *const given_w[] = {"forename", "forenames", "firstname", "first",
                                          "given", "christian", NULL};
    static const char *const family_w[] = {"surname", "lastname", "last", "family", NULL};
    static const char *const middle_w[] = {"middle", "middlename", "middlenames", "second", NULL};
    static const char *const name_w[] = {"name", "nominal", "fullname", NULL};
    static const char *const sex_w[] = {"sex", "gender", NULL};
    static const char *const eth_w[] = {"ethnicity", "ethnic", "ethnicorigin", NULL};
    static const char *const addr_w[] = {"address", "addr", NULL};
    static const char *const place_w[] = {"location", "place", "venue", "where", "site",
                                          "found", "at", NULL};
    static const char *const start_w[] = {"start", "started", "from", "opened", "occurred",
                                          "date", "reported", "arrived", "since", "on", NULL};
    static const char *const end_w[] = {"end", "ended", "returned", "return", "closed", "close",
                                        "until", "finish", "finished", "discharged", "left",
                                        "to", NULL};
    static const char *const subtype_w[] = {"type", "kind", "category", "subtype", "reason",
                                            "role", "status", "concern", NULL};
    static const char *const lat_w[] = {"lat", "latitude", NULL};
    static const char *const phone_w[] = {"phone", "tel", "telephone", "mobile", NULL};
    static const char *const known_w[] = {"preferred", "known", "aka", "alias", "nickname",
                                           NULL};
    static const char *const lon_w[] = {"lon", "long", "lng", "longitude", NULL};
    bool have[R_COUNT] = {false};
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        c->role = c->unusable || c->kind == K_BLANK ? R_SKIP : R_DETAIL;
    }
    if (d->person >= 0)
        d->cols[d->person].role = R_PERSON_ID;
    if (d->nrow_parts == 1)
        d->cols[d->row_parts[0]].role = R_ROW_ID;
    char k[64];
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->role != R_DETAIL)
            continue;
        draft_compact(c->name, k, sizeof k);
        enum crole r = R_DETAIL;
        bool text = c->kind == K_TEXT || c->kind == K_CODE;
        if (c->kind == K_DATE && (strstr(k, "dob") || strstr(k, "birth") || draft_has_word(c, "born")))
            r = R_DOB;
        else if (c->kind == K_TERM)
            r = R_TERM;
        else if (text && (draft_has_word(c, "with") || draft_has_word(c, "whom")))
            r = R_MENTIONS;
        else if (text && (draft_has_word(c, "email") || draft_has_word(c, "e mail")))
            r = R_EMAIL;
        else if (draft_has_any(c, phone_w) && c->kind != K_DATE)
            r = R_PHONE;
        else if (draft_has_word(c, "nhs") || c->nhs * 10 >= c->nonblank * 9)
            r = R_SHARED;
        else if (text && words_any(c, sex_w))
            r = R_SEX;
        else if (c->kind == K_INT && words_any(c, sex_w) && c->distinct.n <= 4)
            r = R_SEX;
        else if (text && words_any(c, eth_w))
            r = R_ETHNICITY;
        else if (text && words_any(c, known_w) && c->namey * 10 >= c->nonblank * 8)
            r = R_KNOWN_AS; /* "Preferred Forename", "Known As": the linker compares it */
        else if (text && words_any(c, middle_w))
            r = R_MIDDLE;
        else if (text && words_any(c, given_w))
            r = R_GIVEN;
        else if (text && words_any(c, family_w))
            r = R_FAMILY;
        else if (text && words_any(c, name_w) && c->namey * 10 >= c->nonblank * 8 &&
                 c->single * 2 < c->nonblank)
            r = R_FULL;
        else if (text && c->kind == K_TEXT && c->namey * 10 >= c->nonblank * 9 &&
                 (c->comma + c->upper_first + c->upper_last) * 10 >= c->nonblank * 8 &&
                 c->single * 2 < c->nonblank)
            r = R_FULL; /* a header that does not say so ("Patient", "Subject"), values that
                           show a name's order ("DUNN, Kayla", "Kayla DUNN") */
        else if (text && c->postcodes * 10 >= c->nonblank * 8)
            r = words_any(c, place_w) ? R_PLACE_POSTCODE : R_POSTCODE;
        else if (c->kind == K_NUM && words_any(c, lat_w) && c->lo >= -90 && c->hi <= 90)
            r = R_LAT;
        else if (c->kind == K_NUM && words_any(c, lon_w) && c->lo >= -180 && c->hi <= 180)
            r = R_LON;
        else if (text && words_any(c, addr_w))
            r = words_any(c, place_w) ? R_PLACE_NAME : R_ADDRESS;
        else if (text && words_any(c, place_w))
            r = R_PLACE_NAME;
        else if (c->kind == K_DATE && words_any(c, end_w) && !words_any(c, start_w) &&
                 have[R_START])
            r = R_END;
        else if (c->kind == K_DATE && !have[R_START])
            r = R_START;
        else if (c->kind == K_CODE && words_any(c, subtype_w))
            r = R_SUBTYPE;
        if (r != R_DETAIL && r != R_DOB && have[r])
            r = R_DETAIL; /* one column per role; the rest kept in detail */
        if (r == R_DOB && have[R_DOB])
            r = R_DETAIL;
        if (r == R_TERM && have[R_START])
            r = R_DETAIL;
        if (r == R_START && have[R_TERM])
            r = R_DETAIL;
        if (r == R_FULL && (have[R_GIVEN] || have[R_FAMILY]))
            r = R_DETAIL;
        c->role = r;
        have[r] = true;
        if (r == R_TERM)
            have[R_START] = true;
    }
    /* an end date may come before the start in the header */
    for (int i = 0; i < d->ncols && have[R_START] && !have[R_END]; i++) {
        struct col *c = &d->cols[i];
        if (c->role == R_DETAIL && c->kind == K_DATE && words_any(c, end_w) &&
            !words_any(c, start_w)) {
            c->role = R_END;
            have[R_END] = true;
        }
    }
    /* given and family names must come as a pair, or a full name alone (whichever column
     * came first in the header): a pair wins and the full name is kept in detail */
    bool pair = have[R_GIVEN] && have[R_FAMILY];
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if ((c->role == R_GIVEN || c->role == R_FAMILY || c->role == R_MIDDLE) && !pair)
            c->role = R_DETAIL;
        else if (c->role == R_FULL && pair)
            c->role = R_DETAIL;
    }
}

/* Children and adults by date of birth, against the extract's date. */
int draft_count_ages(struct draft *d, struct svp_err *err)
{
    int dob = -1;
    for (int i = 0; i < d->ncols; i++)
        if (d->cols[i].role == R_DOB)
            dob = i;
    if (dob < 0)
        return SVP_OK;
    struct col *c = &d->cols[dob];
    char fmts[160];
    draft_formats_text(c, fmts, sizeof fmts);
    struct svp_csv_opts o = {.delim = d->delim};
    struct svp_csv *csv = NULL;
    struct svp_err e;
    int rc = svp_csv_open_mem(d->text, d->len, &o, &csv, &e);
    if (rc)
        return rc == SVP_ENOMEM ? svp_err_set(err, SVP_ENOMEM, "out of memory") : SVP_OK;
    struct svp_csv_row r;
    int y, m, dd;
    svp_day today;
    if (svp_date_parse_iso(d->as_of, 10, &today, &e)) {
        svp_csv_free(&csv);
        return SVP_OK;
    }
    svp_date_to_ymd(today, &y, &m, &dd);
    char adult_before[48];
    snprintf(adult_before, sizeof adult_before, "%04d-%02d-%02d", y - 18, m, dd);
    struct svp_date_opts dopt = {.century_end = d->as_of_year};
    int64_t row = 0;
    int got = svp_csv_next(csv, &r, &e);
    if (got == 1)
        while (row < d->rows && (got = svp_csv_next(csv, &r, &e)) == 1) {
            if (r.error || r.nfields != (size_t)d->ncols)
                continue;
            row++;
            const char *s = r.fields[dob].p;
            size_t n = r.fields[dob].len;
            while (n && isspace((unsigned char)*s))
                s++, n--;
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            for (int k = 0; k < c->nchosen; k++) {
                svp_time t;
                const char *f = draft_formats[c->chosen[k]];
                if (!strcmp(f, "iso") ? svp_time_parse_iso(s, n, &t, &e)
                                      : svp_time_parse_fmt_opt(s, n, f, &dopt, &t, &e))
                    continue;
                char iso[24];
                svp_date_format((svp_day)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400)), iso,
                                sizeof iso);
                if (strcmp(iso, adult_before) <= 0)
                    d->adults++;
                else
                    d->children++;
                break;
            }
        }
    svp_csv_free(&csv);
    return got == SVP_ENOMEM ? svp_err_set(err, SVP_ENOMEM, "out of memory") : SVP_OK;
}

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

/* A code of a map written as a profile line can hold: no '=', no leading '#', ';' or '[',
 * no line end, and not '*'. */
static bool writable_code(const char *s)
{
    return *s && !strchr(s, '=') && !strchr(s, '\n') && !strchr(s, '\r') && s[0] != '#' &&
           s[0] != ';' && s[0] != '[' && strcmp(s, "*") && strlen(s) < 200;
}

struct dmap {
    char name[64];
    int col;
    bool sex;
    bool eth;         /* a map to ethnicity codes */
    bool eth_letters; /* the NHS's one-letter ethnic category codes */
    const char *type; /* a map to event types: the type of codes that name none */
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

/* Whether a code-like text column's values make a map (each to its lower_snake code). */
static bool mappable(const struct col *c)
{
    if (c->kind != K_CODE || c->ints == c->nonblank)
        return false;
    int ok = 0;
    for (int i = 0; i < c->ncodes; i++) {
        char s[64];
        draft_snake(c->codes[i].v, strlen(c->codes[i].v), s, sizeof s);
        ok += *s && writable_code(c->codes[i].v);
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
    put(w, "%s = %s%s%s\n", key, w->d->cols[i].name, *steps ? " | " : "", steps);
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
        if (c->sep_pipe * 20 >= c->nonblank && c->sep_pipe >= 2) {
            snprintf(out, cap, "list pipe");
        } else if (c->sep_semi * 20 >= c->nonblank && c->sep_semi >= 2) {
            snprintf(out, cap, "list ;");
        }
        break;
    case K_BLANK: break;
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
        for (int i = 0; i < c->ncodes; i++) {
            const char *v = c->codes[i].v;
            if (!writable_code(v)) {
                skipped = true;
                continue;
            }
            /* a map's codes match in any case, so one line serves "No kind" and "nO kind" */
            bool again = false;
            for (int j = 0; j < i && !again; j++)
                again = writable_code(c->codes[j].v) && !strcasecmp(c->codes[j].v, v);
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
                const char *t = code_type(v);
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
        bool taken = false;
        for (int j = 0; k && j < d->ncols && !taken; j++)
            taken = d->cols[j].key && !strcmp(d->cols[j].key, k);
        if (!k || taken)
            continue;
        char *nk = svp_strdup(k);
        if (!nk)
            return SVP_ENOMEM;
        svp_free(c->key);
        c->key = nk;
        for (int j = 0; j < 6; j++)
            if (!strcmp(k, keys[j]))
                *at[j] = i;
    }
    return SVP_OK;
}

int draft_write_profile(struct draft *d, const char *name, struct svp_buf *b)
{
    struct writer w = {.d = d, .b = b};
    int a_possible, a_attended, a_missed, a_auth, a_unauth, a_pct;
    if (attendance_keys(d, &a_possible, &a_attended, &a_missed, &a_auth, &a_unauth, &a_pct))
        return SVP_ENOMEM;
    /* maps: the sex column's, then code-like text columns' */
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->role == R_SEX) {
            bool canonical = true;
            for (int k = 0; k < c->ncodes && canonical; k++)
                canonical = ingest_known_code(T_SEX, c->codes[k].v);
            if (!canonical || c->many)
                c->map = new_map(&w, i, true);
            if (c->many && c->map < 0)
                c->role = R_DETAIL;
        } else if ((c->role == R_DETAIL || c->role == R_SUBTYPE) && mappable(c)) {
            c->map = new_map(&w, i, false);
        } else if (c->role == R_ETHNICITY) {
            bool canonical = !c->many;
            for (int k = 0; k < c->ncodes && canonical; k++)
                canonical = ingest_known_code(T_ETHNICITY, c->codes[k].v);
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
    if (d->nulls)
        put(&w, "# check: NULL is how the system writes a value it does not hold (%lld values)\n"
                "blank = NULL\n",
            (long long)d->nulls);
    if (d->person_line)
        put(&w, "# check: no column looks like a person id; each row is its own record\n"
                "person_id = @line\n");
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
        if (d->adults * 20 >= (d->adults + d->children) * 19)
            put(&w, "role = adult\n");
        else if (d->children * 20 < (d->adults + d->children) * 19)
            put(&w, "role = by_dob\n");
    }
    bool any_time = false;
    for (int i = 0; i < d->ncols; i++)
        any_time |= d->cols[i].kind == K_DATE && d->cols[i].with_time;
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
            if (c->role != rk[k].r)
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
            put_value(&w, rk[k].key, i, steps);
            /* an address with the postcode in it, where no column holds the postcode */
            if (c->role == R_ADDRESS && !has_role(d, R_POSTCODE) &&
                c->postcodes_in * 10 >= c->nonblank * 8)
                put_value(&w, "postcode", i, "postcode");
        }
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
        int tc = type_column(d), tm = tc >= 0 ? new_map(&w, tc, false) : -1;
        if (tm >= 0) {
            snprintf(w.maps[tm].name, sizeof w.maps[tm].name, "%.50s_type", d->cols[tc].key);
            w.maps[tm].type = d->type ? d->type : "incident";
            put(&w, "# check: each code of %s says what the row records; codes that say "
                    "nothing are a '%s'\n", d->cols[tc].name, w.maps[tm].type);
            put_value(&w, "type", tc, "");
            w.b->len--; /* the line end: the map step follows */
            w.b->data[w.b->len] = '\0';
            put(&w, " | map %s\n", w.maps[tm].name);
        } else if (d->type)
            put(&w, "type = \"%s\"\n", d->type);
        else
            put(&w, "# check: what each row records (docs/model.md)\ntype = \"incident\"\n");
        int start = -1;
        for (int i = 0; i < d->ncols; i++)
            if (d->cols[i].role == R_SUBTYPE) {
                kind_steps(&w, i, true, steps, sizeof steps);
                put_value(&w, "subtype", i, steps);
            }
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
        for (int i = 0; i < d->ncols && start >= 0; i++) {
            struct col *c = &d->cols[i];
            const char *t = c->kind == K_FLAG && c->yes ? type_of_flag(c) : NULL;
            if (!t || (d->type && !strcmp(t, d->type)))
                continue;
            put(&w, "\n[event %s]\ntype = \"%s\"\n", t, t);
            if (d->cols[start].role == R_TERM)
                put_value(&w, "started_at", start, "term_start");
            else {
                kind_steps(&w, start, true, steps, sizeof steps);
                put_value(&w, "started_at", start, steps);
            }
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
    }
    write_maps(&w);
    return w.rc;
}

/* ------------------------------------------------------------------ the report */

static const char *kind_name(enum ckind k)
{
    static const char *const n[] = {"blank", "date", "school term", "yes/no", "whole number",
                                    "number", "code", "text"};
    return n[k];
}

static const char *dup_note(int64_t dups, char *buf, size_t cap)
{
    if (!dups)
        return "";
    snprintf(buf, cap, " (but for %lld repeated row%s)", (long long)dups, dups == 1 ? "" : "s");
    return buf;
}

int draft_write_report(struct draft *d, struct svp_buf *b)
{
    char note[64];
    int rc;
    if (d->xlsx) {
        /* a workbook: its cells, not a text file's encoding or separator */
        rc = svp_buf_printf(b, "%s: an Excel workbook, sheet %s%s%s; %d columns, %lld "
                                   "rows read%s\n",
                                d->path, d->sheet ? "'" : "", d->sheet ? d->sheet : "1",
                                d->sheet ? "'" : "", d->ncols, (long long)d->rows,
                                d->rows_capped || d->truncated ? " (the first rows only)" : "");
        if (rc)
            return rc;
        goto columns;
    }
    rc = svp_buf_printf(b, "%s: %s%s, %s separated, %s line ends%s; %d columns, %lld rows "
                               "read%s%s\n", d->path,
                            d->utf16 == 1   ? "UTF-16 (little-endian)"
                            : d->utf16 == 2 ? "UTF-16 (big-endian)"
                            : d->cp1252     ? "Windows-1252"
                                            : "UTF-8",
                            d->bom || d->utf16 ? " with a byte order mark" : "",
                            d->delim == ',' ? "comma" : d->delim == ';' ? "semicolon"
                                                      : d->delim == '\t' ? "tab" : "pipe",
                            d->crlf ? "CRLF" : "LF",
                            d->no_final_newline ? " (no line end after the last row)" : "",
                            d->ncols, (long long)d->rows,
                            d->rows_capped || d->truncated ? " (the first rows only)" : "",
                            d->ragged ? "" : "");
    if (!rc && d->ragged)
        rc = svp_buf_printf(b, "  %lld rows do not have the header's %d fields (an import "
                               "rejects them)\n", (long long)d->ragged, d->ncols);
columns:
    if (!rc && d->header_line)
        rc = svp_buf_printf(b, "  the header is line %d: the lines above it are a title "
                               "(header_line = %d)\n", d->header_line, d->header_line);
    if (!rc && d->nulls)
        rc = svp_buf_printf(b, "  %lld values are written NULL: read as blank (blank = NULL)\n",
                            (long long)d->nulls);
    char f[160];
    for (int i = 0; i < d->ncols && !rc; i++) {
        struct col *c = &d->cols[i];
        rc = svp_buf_printf(b, "  %s: %s; %lld blank, %zu distinct", c->name[0] ? c->name : "(no name)",
                            kind_name(c->kind), (long long)c->blank, c->distinct.n);
        if (!rc && c->unusable)
            rc = svp_buf_puts(b, "; a profile cannot name this column (rename it)");
        if (!rc && c->kind == K_DATE) {
            rc = svp_buf_puts(b, "; formats:");
            for (int k = 0; k < c->nchosen && !rc; k++)
                rc = svp_buf_printf(b, " %s (%lld)", draft_formats[c->chosen[k]],
                                    (long long)c->dread[c->chosen[k]]);
            if (!rc)
                rc = svp_buf_printf(b, "; %lld fit none of them",
                                    (long long)(c->nonblank - c->dcovered));
        }
        if (!rc && (c->kind == K_INT || c->kind == K_NUM))
            rc = svp_buf_printf(b, "; from %g to %g", c->lo, c->hi);
        if (!rc && c->namey * 2 >= c->nonblank && c->nonblank && (c->kind == K_TEXT) &&
            c->single * 2 < c->nonblank)
            rc = svp_buf_printf(b, "; name orders: SURNAME Forename %lld, Forename SURNAME %lld, "
                                   "Surname, Forename %lld, Forename Surname (or Surname "
                                   "Forename) %lld, all upper case %lld; %lld with a title",
                                (long long)c->upper_first, (long long)c->upper_last,
                                (long long)c->comma, (long long)c->mixed,
                                (long long)c->all_upper, (long long)c->titled);
        if (!rc && (c->kind == K_TEXT || c->kind == K_CODE) && !c->postcodes && c->postcodes_in)
            rc = svp_buf_printf(b, "; a postcode in %lld values", (long long)c->postcodes_in);
        if (!rc && c->kind == K_TEXT && (c->sep_pipe || c->sep_semi))
            rc = svp_buf_printf(b, "; '|' in %lld values, ';' in %lld", (long long)c->sep_pipe,
                                (long long)c->sep_semi);
        if (!rc && !c->dups && !c->blank && d->rows > 1)
            rc = svp_buf_puts(b, "; unique");
        if (!rc)
            rc = svp_buf_putc(b, '\n');
        bool personal = c->role == R_GIVEN || c->role == R_FAMILY || c->role == R_FULL ||
                        c->role == R_MIDDLE ||
                        c->role == R_MENTIONS || c->role == R_PERSON_ID ||
                        c->role == R_ROW_ID || c->role == R_SHARED || c->role == R_DOB ||
                        c->role == R_POSTCODE || c->role == R_ADDRESS ||
                        c->role == R_EMAIL || c->role == R_PHONE;
        if (!rc && (c->kind == K_CODE || c->kind == K_FLAG) && !personal) {
            rc = svp_buf_puts(b, "    values:");
            for (int k = 0; k < c->ncodes && !rc; k++)
                rc = svp_buf_printf(b, " %s (%lld)%s", c->codes[k].v, (long long)c->codes[k].n,
                                    k + 1 < c->ncodes ? "," : "");
            if (!rc)
                rc = svp_buf_putc(b, '\n');
        }
        (void)f;
    }
    if (!rc)
        rc = svp_buf_puts(b, "keys (unique over the rows read):");
    for (int k = 0; k < d->nsingles && !rc; k++)
        rc = svp_buf_printf(b, "%s %s%s", k ? "," : "", d->cols[d->singles[k]].name,
                            dup_note(d->cols[d->singles[k]].dups, note, sizeof note));
    for (int k = 0; k < d->npairs && !rc; k++)
        rc = svp_buf_printf(b, "%s %s + %s%s", k || d->nsingles ? "," : "",
                            d->cols[d->pairs[k][0]].name, d->cols[d->pairs[k][1]].name,
                            dup_note(d->pair_dups[k], note, sizeof note));
    for (int k = 0; k < d->ntriples && !rc; k++)
        rc = svp_buf_printf(b, "%s %s + %s + %s%s", k || d->nsingles || d->npairs ? "," : "",
                            d->cols[d->triples[k][0]].name, d->cols[d->triples[k][1]].name,
                            d->cols[d->triples[k][2]].name,
                            dup_note(d->triple_dups[k], note, sizeof note));
    if (!rc && !d->nsingles && !d->npairs && !d->ntriples)
        rc = svp_buf_puts(b, " none");
    if (!rc)
        rc = svp_buf_putc(b, '\n');
    return rc;
}
