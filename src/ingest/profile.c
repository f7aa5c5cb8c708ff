/* Source profiles: the declarative text that maps one agency layout onto the canonical
 * model. The format is documented in docs/profiles.md; this file is its only parser. It
 * is line-based (INI-like) so that a partnership can write one in a text editor, and
 * strict: anything it does not understand is an error naming the line, never ignored. */
#include "ingest_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE_MAX_LINE 4096
#define PROFILE_MAX_COLS 512
#define PROFILE_MAX_MAPS 32
#define PROFILE_MAX_MAP_ENTRIES 512

/* ------------------------------------------------------------------ vocabulary */

/* Target names as written in a profile, and the sections they belong to. */
static const struct {
    const char *name;
    enum ingest_target t;
    unsigned secs; /* bit per enum ingest_sec_kind */
} targets[] = {
    {"given_name", T_GIVEN, 1u << SEC_RECORD},
    {"middle_names", T_MIDDLE, 1u << SEC_RECORD},
    {"family_name", T_FAMILY, 1u << SEC_RECORD},
    {"full_name", T_FULL_NAME, 1u << SEC_RECORD},
    {"dob", T_DOB, 1u << SEC_RECORD},
    {"sex", T_SEX, 1u << SEC_RECORD},
    {"ethnicity", T_ETHNICITY, 1u << SEC_RECORD},
    {"postcode", T_POSTCODE, 1u << SEC_RECORD},
    {"address", T_ADDRESS, 1u << SEC_RECORD},
    {"area", T_AREA, 1u << SEC_RECORD},
    {"role", T_ROLE, 1u << SEC_RECORD},
    {"shared_id", T_SHARED_ID, 1u << SEC_RECORD},
    {"type", T_TYPE, 1u << SEC_EVENT},
    {"subtype", T_SUBTYPE, 1u << SEC_EVENT},
    {"started_at", T_STARTED, 1u << SEC_EVENT},
    {"ended_at", T_ENDED, 1u << SEC_EVENT},
    {"place.name", T_PLACE_NAME, 1u << SEC_EVENT},
    {"place.postcode", T_PLACE_POSTCODE, 1u << SEC_EVENT},
    {"place.lat", T_PLACE_LAT, 1u << SEC_EVENT},
    {"place.lon", T_PLACE_LON, 1u << SEC_EVENT},
    {"place.area", T_PLACE_AREA, 1u << SEC_EVENT},
    {"place.kind", T_PLACE_KIND, 1u << SEC_EVENT},
    {"place.in_county", T_PLACE_IN_COUNTY, 1u << SEC_EVENT},
    {"kind", T_REL_KIND, 1u << SEC_RELATIONSHIP},
    {"other", T_REL_OTHER, 1u << SEC_RELATIONSHIP},
    {"person", T_PERSON, 1u << SEC_EVENT | 1u << SEC_RELATIONSHIP | 1u << SEC_RECORD},
    {"name", T_PLACE_NAME, 1u << SEC_PLACE},
    {"postcode", T_PLACE_POSTCODE, 1u << SEC_PLACE},
    {"lat", T_PLACE_LAT, 1u << SEC_PLACE},
    {"lon", T_PLACE_LON, 1u << SEC_PLACE},
    {"area", T_PLACE_AREA, 1u << SEC_PLACE},
    {"kind", T_PLACE_KIND, 1u << SEC_PLACE},
    {"in_county", T_PLACE_IN_COUNTY, 1u << SEC_PLACE},
};

/* ------------------------------------------------------------------ parser state */

struct parser {
    struct ingest_profile *p;
    const char *file;
    long line;
    struct svp_err *err;
    int sec;  /* current section index, -1 for [source], -2 none yet, -3 a [map] */
    int map;  /* current map when sec == -3 */
    bool seen_source;
    bool source_keys[16];
};

static int perr(struct parser *ps, const char *fmt, ...) SVP_PRINTF(2, 3);
static int perr(struct parser *ps, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return svp_err_at(ps->err, SVP_EINPUT, ps->file, ps->line, NULL, "%s", msg);
}

static int oom(struct parser *ps)
{
    return svp_err_set(ps->err, SVP_ENOMEM, "out of memory reading profile %s", ps->file);
}

static char *dup_trim(struct parser *ps, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return svp_arena_strndup(ps->p->arena, s, n);
}

/* A column by name; NAME? is a column the file may lack (a layout's later versions add it):
 * when the header does not have it, its values are empty. A column named once without '?'
 * is required. */
static int col_index(struct parser *ps, const char *name, int *out)
{
    struct ingest_profile *p = ps->p;
    size_t len = strlen(name);
    bool optional = len > 1 && name[len - 1] == '?';
    if (optional)
        len--;
    if (!len)
        return perr(ps, "empty column name");
    for (int i = 0; i < p->ncols; i++)
        if (strlen(p->cols[i]) == len && !strncmp(p->cols[i], name, len)) {
            p->col_optional[i] &= optional;
            *out = i;
            return SVP_OK;
        }
    if (p->ncols >= PROFILE_MAX_COLS)
        return perr(ps, "more than %d columns", PROFILE_MAX_COLS);
    p->cols[p->ncols] = svp_arena_strndup(p->arena, name, len);
    if (!p->cols[p->ncols])
        return oom(ps);
    p->col_optional[p->ncols] = optional;
    *out = p->ncols++;
    return SVP_OK;
}

static int find_map(struct parser *ps, const char *name)
{
    for (int i = 0; i < ps->p->nmaps; i++)
        if (!strcmp(ps->p->maps[i].name, name))
            return i;
    return -1;
}

/* One date pattern: "iso", "excel", or fields svp_time_parse_fmt_opt knows with a year
 * (%Y or %y), a month (%m, %b or %B) and a day (%d). */
static bool good_date_format(const char *f)
{
    if (!strcmp(f, "iso") || !strcmp(f, "excel"))
        return true;
    bool y = false, m = false, d = false;
    for (; *f; f++) {
        if (*f != '%')
            continue;
        f++;
        if (*f == 'Y' || *f == 'y')
            y = true;
        else if (*f == 'm' || *f == 'b' || *f == 'B')
            m = true;
        else if (*f == 'd')
            d = true;
        else if (!strchr("HIMSpf%", *f) || !*f)
            return false;
    }
    return y && m && d;
}

/* Splits a date step's argument "FMT or FMT ..." into its patterns, tried in order. */
static int date_formats(struct parser *ps, struct ingest_step *st)
{
    char *a = st->arg;
    st->nformats = 0;
    while (a) {
        char *or = strstr(a, " or ");
        if (or)
            *or = '\0';
        char *f = dup_trim(ps, a, strlen(a));
        if (!f)
            return oom(ps);
        if (st->nformats == INGEST_MAX_FORMATS)
            return perr(ps, "more than %d date formats in one step", INGEST_MAX_FORMATS);
        if (!good_date_format(f))
            return perr(ps, "date format '%.40s' must be 'iso', 'excel' or use a year (%%Y or "
                            "%%y), a month (%%m, %%b or %%B) and a day (%%d), and %%H %%I %%M %%S %%p %%f",
                        f);
        st->formats[st->nformats++] = f;
        if (or) {
            *or = ' ';
            a = or + 4;
        } else {
            a = NULL;
        }
    }
    return SVP_OK;
}

/* Parses "SOURCE [| step ARG]..." into spec. Maps named by steps are resolved later. */
static int parse_spec(struct parser *ps, char *v, struct ingest_spec *spec, char **mapnames)
{
    memset(spec, 0, sizeof *spec);
    spec->line = ps->line;
    spec->stat_id = ps->p->nspecs++;
    for (int j = 0; j < INGEST_MAX_JOIN; j++)
        spec->join[j] = -1;
    if (!strncmp(v, "expr(", 5)) {
        /* expr(SQL): up to the matching ')' outside quotes, then steps as usual */
        int depth = 1;
        char q = 0, *e = v + 5;
        for (; *e && depth; e++) {
            if (q) {
                if (*e == q)
                    q = 0;
            } else if (*e == '\'' || *e == '"') {
                q = *e;
            } else {
                depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
            }
        }
        if (depth)
            return perr(ps, "expr( has no closing ')'");
        spec->expr = dup_trim(ps, v + 5, (size_t)(e - 1 - (v + 5)));
        if (!spec->expr)
            return oom(ps);
        if (!*spec->expr)
            return perr(ps, "expr() is empty");
        spec->expr_id = ps->p->nexprs++;
        spec->col = -1;
        spec->literal = "";
        while (isspace((unsigned char)*e))
            e++;
        if (*e && *e != '|')
            return perr(ps, "expected '|' and a step after expr(...)");
        v = e; /* the steps, if any */
    }
    char *bar = strchr(v, '|');
    char *src = spec->expr ? svp_arena_strndup(ps->p->arena, "", 0)
                           : dup_trim(ps, v, bar ? (size_t)(bar - v) : strlen(v));
    if (!src)
        return oom(ps);
    size_t sl = strlen(src);
    if (spec->expr) {
        /* the source is the expression */
    } else if (sl >= 2 && src[0] == '"' && src[sl - 1] == '"') {
        spec->col = -1;
        spec->literal = src + 1;
        src[sl - 1] = '\0';
    } else {
        if (strchr(src, '"'))
            return perr(ps, "a fixed value must be wholly in double quotes");
        /* "A + B": columns joined with one space, for steps that read several values. */
        for (int j = 0; j < INGEST_MAX_JOIN; j++)
            spec->join[j] = -1;
        char *plus = strstr(src, " + ");
        if (plus)
            *plus = '\0';
        int rc = col_index(ps, src, &spec->col);
        for (int j = 0; plus && !rc; j++) {
            if (j == INGEST_MAX_JOIN)
                return perr(ps, "more than %d columns joined with '+'", INGEST_MAX_JOIN + 1);
            char *part = plus + 3;
            plus = strstr(part, " + ");
            if (plus)
                *plus = '\0';
            while (isspace((unsigned char)*part))
                part++;
            size_t pl = strlen(part);
            while (pl && isspace((unsigned char)part[pl - 1]))
                part[--pl] = '\0';
            rc = col_index(ps, part, &spec->join[j]);
        }
        if (rc)
            return rc;
    }
    while (bar) {
        char *start = bar + 1;
        bar = strchr(start, '|');
        char *step = dup_trim(ps, start, bar ? (size_t)(bar - start) : strlen(start));
        if (!step)
            return oom(ps);
        char *arg = step;
        while (*arg && !isspace((unsigned char)*arg))
            arg++;
        if (*arg) {
            *arg++ = '\0';
            while (isspace((unsigned char)*arg))
                arg++;
        }
        if (!strcmp(step, "required")) {
            if (*arg)
                return perr(ps, "'required' takes no argument");
            spec->required = true;
            continue;
        }
        if (spec->nsteps >= INGEST_MAX_STEPS)
            return perr(ps, "more than %d steps", INGEST_MAX_STEPS);
        struct ingest_step *st = &spec->steps[spec->nsteps];
        st->arg = arg;
        st->map = -1;
        static const struct {
            const char *name;
            enum ingest_step_kind k;
            bool takes_arg;
        } steps[] = {
            {"date", STEP_DATE, true},        {"datetime", STEP_DATETIME, true},
            {"map", STEP_MAP, true},          {"flag", STEP_FLAG, false},
            {"number", STEP_NUMBER, false},   {"integer", STEP_INTEGER, false},
            {"list", STEP_LIST, true},        {"postcode", STEP_POSTCODE, false},
            {"mentions", STEP_MENTIONS, true},
            {"upper", STEP_UPPER, false},     {"lower", STEP_LOWER, false},
            {"past", STEP_PAST, false},       {"surname_first", STEP_SURNAME_FIRST, false},
            {"given_first", STEP_GIVEN_FIRST, false}, {"any_order", STEP_ANY_ORDER, false},
            {"term_start", STEP_TERM_START, false},
            {"term_end", STEP_TERM_END, false},       {"percent", STEP_PERCENT, false},
            {"sum", STEP_SUM, false},                 {"below", STEP_BELOW, true},
        };
        size_t k = 0;
        while (k < sizeof steps / sizeof steps[0] && strcmp(steps[k].name, step))
            k++;
        if (k == sizeof steps / sizeof steps[0])
            return perr(ps, "unknown step '%.40s' (see docs/profiles.md)", step);
        if (steps[k].takes_arg && !*arg)
            return perr(ps, "step '%s' needs an argument", step);
        if (!steps[k].takes_arg && *arg)
            return perr(ps, "step '%s' takes no argument", step);
        st->kind = steps[k].k;
        if (st->kind == STEP_DATE || st->kind == STEP_DATETIME) {
            int rc = date_formats(ps, st);
            if (rc)
                return rc;
        }
        if (st->kind == STEP_BELOW) {
            char *end;
            strtod(arg, &end);
            if (end == arg || *end)
                return perr(ps, "below needs a number");
        }
        if (st->kind == STEP_LIST || st->kind == STEP_MENTIONS) {
            /* '|' separates steps, so it and the invisible ones are named */
            static const char *const names[][2] = {{"pipe", "|"},  {"tab", "\t"},
                                                   {"space", " "}, {"comma", ","},
                                                   {"semicolon", ";"}, {"slash", "/"}};
            for (size_t k2 = 0; k2 < sizeof names / sizeof names[0]; k2++)
                if (!strcmp(arg, names[k2][0]))
                    st->arg = (char *)names[k2][1];
            if (strlen(st->arg) != 1)
                return perr(ps, "list separator must be one character or pipe, tab, space, "
                                "comma, semicolon, slash");
        }
        if (st->kind == STEP_MAP)
            mapnames[spec->nsteps] = arg;
        spec->nsteps++;
    }
    return SVP_OK;
}

/* ------------------------------------------------------------------ sections */

static int open_section(struct parser *ps, char *head)
{
    struct ingest_profile *p = ps->p;
    char *sp = head;
    while (*sp && !isspace((unsigned char)*sp))
        sp++;
    char *arg = sp;
    if (*arg) {
        *arg++ = '\0';
        while (isspace((unsigned char)*arg))
            arg++;
    }
    if (!strcmp(head, "source")) {
        if (*arg)
            return perr(ps, "[source] takes no name");
        if (ps->seen_source)
            return perr(ps, "second [source] section");
        ps->seen_source = true;
        ps->sec = -1;
        return SVP_OK;
    }
    if (!strcmp(head, "map")) {
        if (!ingest_is_word(arg))
            return perr(ps, "[map NAME] needs a name of lower-case letters, digits, _ or -");
        if (find_map(ps, arg) >= 0)
            return perr(ps, "second [map %s]", arg);
        if (p->nmaps >= PROFILE_MAX_MAPS)
            return perr(ps, "more than %d maps", PROFILE_MAX_MAPS);
        struct ingest_map *m = &p->maps[p->nmaps];
        memset(m, 0, sizeof *m);
        m->name = svp_arena_strndup(p->arena, arg, strlen(arg));
        m->entries = svp_arena_alloc(p->arena, PROFILE_MAX_MAP_ENTRIES * sizeof *m->entries);
        if (!m->name || !m->entries)
            return oom(ps);
        m->line = ps->line;
        ps->map = p->nmaps++;
        ps->sec = -3;
        return SVP_OK;
    }
    enum ingest_sec_kind kind;
    if (!strcmp(head, "record"))
        kind = SEC_RECORD;
    else if (!strcmp(head, "event"))
        kind = SEC_EVENT;
    else if (!strcmp(head, "relationship"))
        kind = SEC_RELATIONSHIP;
    else if (!strcmp(head, "place"))
        kind = SEC_PLACE;
    else if (!strcmp(head, "check"))
        kind = SEC_CHECK;
    else
        return perr(ps, "unknown section [%.40s] (source, record, event, relationship, place, "
                        "check, map)", head);
    if (kind == SEC_CHECK && !*arg)
        return perr(ps, "a [check] section needs a name: [check NAME]");
    if (kind == SEC_PLACE && *arg)
        return perr(ps, "[%s] takes no name", head);
    if (*arg && !ingest_is_word(arg))
        return perr(ps, "section name must be lower-case letters, digits, _ or -");
    for (int i = 0; i < p->nsecs; i++)
        if (p->secs[i].kind == kind && !strcmp(p->secs[i].name, arg))
            return perr(ps, "second [%s%s%s] section", head, *arg ? " " : "", arg);
    if (p->nsecs >= INGEST_MAX_SECTIONS)
        return perr(ps, "more than %d sections", INGEST_MAX_SECTIONS);
    struct ingest_section *s = &p->secs[p->nsecs];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->line = ps->line;
    s->event = -1;
    s->name = svp_arena_strndup(p->arena, arg, strlen(arg));
    s->fields = svp_arena_alloc(p->arena, INGEST_MAX_FIELDS * sizeof *s->fields);
    if (!s->name || !s->fields)
        return oom(ps);
    for (int t = 0; t < T_COUNT; t++)
        s->slot[t] = -1;
    if (kind == SEC_RECORD && !*arg)
        p->record_sec = p->nsecs; /* the row's person; [record NAME] is another named in it */
    if (kind == SEC_PLACE)
        p->place_sec = p->nsecs;
    ps->sec = p->nsecs++;
    return SVP_OK;
}

/* An id: a column, columns joined with " + " (a composite key: pupil + term), or @line
 * (the row's line number, for a layout with no key). */
static int parse_key(struct parser *ps, char *v, int *cols, int *n, bool *line)
{
    *n = 0;
    *line = false;
    if (!strcmp(v, "@line")) {
        *line = true;
        return SVP_OK;
    }
    for (char *part = v; part;) {
        char *plus = strstr(part, " + ");
        if (plus)
            *plus = '\0';
        if (*n == INGEST_MAX_KEY)
            return perr(ps, "an id joins at most %d columns", INGEST_MAX_KEY);
        char *c = dup_trim(ps, part, strlen(part));
        if (!c)
            return oom(ps);
        if (!strcmp(c, "@line"))
            return perr(ps, "@line is a whole id, not part of one");
        int rc = col_index(ps, c, &cols[*n]);
        if (rc)
            return rc;
        for (int i = 0; i < *n; i++)
            if (cols[i] == cols[*n])
                return perr(ps, "column '%.40s' given twice in one id", c);
        (*n)++;
        part = plus ? plus + 3 : NULL;
    }
    return SVP_OK;
}

/* A whole number from lo to hi, else the profile's line with why. */
static int small_int(struct parser *ps, const char *v, int lo, int hi, const char *why, int *out)
{
    int64_t n = 0;
    if (svp_parse_i64(v, &n) || n < lo || n > hi)
        return perr(ps, "%s", why);
    *out = (int)n;
    return SVP_OK;
}

static int source_key(struct parser *ps, const char *key, char *val)
{
    static const char *const keys[] = {"name", "agency", "id_space", "encoding", "delimiter",
                                       "person_id", "row_id", "role", "description", "timezone",
                                       "blank", "header_line", "sheet", "footer_lines", NULL};
    int k = 0;
    while (keys[k] && strcmp(keys[k], key))
        k++;
    if (!keys[k])
        return perr(ps, "unknown key '%.40s' in [source]", key);
    if (ps->source_keys[k])
        return perr(ps, "'%s' given twice", key);
    ps->source_keys[k] = true;
    struct ingest_profile *p = ps->p;
    char *v = svp_arena_strndup(p->arena, val, strlen(val));
    if (!v)
        return oom(ps);
    switch (k) {
    case 0:
        if (!ingest_is_word(v))
            return perr(ps, "name must be lower-case letters, digits, _ or -");
        p->name = v;
        break;
    case 1:
        if (!ingest_known_agency(v))
            return perr(ps, "agency '%.40s' is not one of csc, asc, police, health, "
                            "education, yjs, rhi, other", v);
        p->agency = v;
        break;
    case 2:
        if (!ingest_is_word(v))
            return perr(ps, "id_space must be lower-case letters, digits, _ or -");
        p->id_space = v;
        break;
    case 3:
        if (!strcmp(v, "utf-8"))
            p->cp1252 = false;
        else if (!strcmp(v, "windows-1252"))
            p->cp1252 = true;
        else
            return perr(ps, "encoding must be utf-8 or windows-1252");
        break;
    case 4:
        if (!strcmp(v, "comma"))
            p->delim = ',';
        else if (!strcmp(v, "tab"))
            p->delim = '\t';
        else if (!strcmp(v, "pipe"))
            p->delim = '|';
        else if (!strcmp(v, "semicolon"))
            p->delim = ';';
        else
            return perr(ps, "delimiter must be comma, tab, pipe or semicolon");
        break;
    case 5: return parse_key(ps, v, p->person_cols, &p->nperson_cols, &p->person_line);
    case 6: return parse_key(ps, v, p->row_cols, &p->nrow_cols, &p->row_line);
    case 7:
        if (!ingest_known_code(T_ROLE, v) && strcmp(v, "by_dob"))
            return perr(ps, "role must be child, adult, unknown or by_dob");
        p->default_role = v;
        break;
    case 8: p->description = v; break;
    case 9:
        if (!strcasecmp(v, "utc"))
            p->london = false;
        else if (!strcasecmp(v, "europe/london"))
            p->london = true;
        else
            return perr(ps, "timezone must be UTC or Europe/London");
        break;
    case 10:
        /* values that mean "not recorded", as a system writes them: NULL, N/K, -, 01/01/1900 */
        for (char *part = v; part;) {
            char *comma = strchr(part, ',');
            if (comma)
                *comma = '\0';
            while (isspace((unsigned char)*part))
                part++;
            size_t pl = strlen(part);
            while (pl && isspace((unsigned char)part[pl - 1]))
                part[--pl] = '\0';
            if (!pl)
                return perr(ps, "blank lists values separated by commas, none of them empty");
            if (p->nblanks == INGEST_MAX_BLANKS)
                return perr(ps, "blank lists more than %d values", INGEST_MAX_BLANKS);
            p->blanks[p->nblanks++] = part;
            part = comma ? comma + 1 : NULL;
        }
        break;
    case 11: /* a report's export: a title, a run date, a blank line, then the header */
        return small_int(ps, v, 1, 100, "header_line must be a line number from 1 to 100",
                         &p->header_line);
    case 12: p->sheet = v; break; /* a workbook's sheet, by its name as the tab shows it */
    case 13: /* a report's export: a blank line, a total and "End of report" under the rows */
        return small_int(ps, v, 0, 20, "footer_lines must be a number of lines from 0 to 20",
                         &p->footer_lines);
    }
    return SVP_OK;
}

static int map_entry(struct parser *ps, const char *code, char *val)
{
    size_t vl = strlen(val);
    if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') { /* "" maps a code to empty */
        val[vl - 1] = '\0';
        val++;
    }
    struct ingest_map *m = &ps->p->maps[ps->map];
    if (!strcmp(code, "*")) {
        if (m->fallback)
            return perr(ps, "'*' given twice in [map %s]", m->name);
        m->fallback = svp_arena_strndup(ps->p->arena, val, strlen(val));
        return m->fallback ? SVP_OK : oom(ps);
    }
    for (int i = 0; i < m->n; i++)
        if (!strcasecmp(m->entries[i].code, code))
            return perr(ps, "code '%.40s' given twice in [map %s]", code, m->name);
    if (m->n >= PROFILE_MAX_MAP_ENTRIES)
        return perr(ps, "more than %d codes in [map %s]", PROFILE_MAX_MAP_ENTRIES, m->name);
    m->entries[m->n].code = svp_arena_strndup(ps->p->arena, code, strlen(code));
    m->entries[m->n].value = svp_arena_strndup(ps->p->arena, val, strlen(val));
    if (!m->entries[m->n].code || !m->entries[m->n].value)
        return oom(ps);
    m->n++;
    return SVP_OK;
}

/* Map names waiting to be resolved once every [map] has been read. */
struct pending_map {
    struct ingest_spec *spec;
    int step;
    char *name;
    enum ingest_target target;
};

static int section_key(struct parser *ps, const char *key, char *val, struct pending_map *pend,
                       int *npend)
{
    struct ingest_profile *p = ps->p;
    struct ingest_section *s = &p->secs[ps->sec];
    if (s->kind == SEC_EVENT && !strcmp(key, "optional")) {
        if (strcmp(val, "yes") && strcmp(val, "no"))
            return perr(ps, "optional must be yes or no");
        s->optional = !strcmp(val, "yes");
        return SVP_OK;
    }
    if ((s->kind == SEC_EVENT || s->kind == SEC_RELATIONSHIP ||
         (s->kind == SEC_RECORD && *s->name)) &&
        !strcmp(key, "when")) {
        if (s->when)
            return perr(ps, "'when' given twice in this section");
        s->when = svp_arena_strndup(p->arena, val, strlen(val));
        if (!s->when)
            return oom(ps);
        s->when_line = ps->line;
        s->when_id = p->nexprs++;
        return SVP_OK;
    }
    if (s->kind == SEC_CHECK) {
        char **slot = !strcmp(key, "rule")      ? &s->when
                      : !strcmp(key, "field")   ? &s->check_field
                      : !strcmp(key, "message") ? &s->check_message
                                                : NULL;
        if (!slot)
            return perr(ps, "unknown key '%.40s' in a [check] section (rule, field, message)",
                        key);
        if (*slot)
            return perr(ps, "'%s' given twice in this section", key);
        size_t n = strlen(val);
        if (slot == &s->check_message && n >= 2 && val[0] == '"' && val[n - 1] == '"') {
            val++; /* a message may be written in double quotes */
            n -= 2;
        }
        if (!n)
            return perr(ps, "'%s' is empty", key);
        if (!(*slot = svp_arena_strndup(p->arena, val, n)))
            return oom(ps);
        if (slot == &s->when) {
            s->when_line = ps->line;
            s->when_id = p->nexprs++;
        }
        return SVP_OK;
    }
    if (s->kind == SEC_RELATIONSHIP && !strcmp(key, "both_ways")) {
        if (strcmp(val, "yes") && strcmp(val, "no"))
            return perr(ps, "both_ways must be yes or no");
        s->both_ways = !strcmp(val, "yes");
        return SVP_OK;
    }
    if (s->kind == SEC_RELATIONSHIP && !strcmp(key, "event")) {
        if (!strcmp(val, "none")) {
            s->event = -2; /* a standing relationship (a parent), tied to no event */
            return SVP_OK;
        }
        for (int i = 0; i < p->nsecs; i++)
            if (p->secs[i].kind == SEC_EVENT && !strcmp(p->secs[i].name, val)) {
                s->event = i;
                return SVP_OK;
            }
        return perr(ps, "no [event %.40s] before this line", val);
    }
    enum ingest_target t = T_DETAIL;
    /* known_as, title, email and phone are person fields kept in the record's detail: the
     * linker compares known_as (a preferred name) with given names, and email and phone with
     * the other record's, and never compares a title. */
    char dkey[32];
    if (s->kind == SEC_RECORD && (!strcmp(key, "known_as") || !strcmp(key, "title") ||
                                  !strcmp(key, "email") || !strcmp(key, "phone"))) {
        snprintf(dkey, sizeof dkey, "detail.%s", key);
        key = dkey;
    }
    if (!strncmp(key, "detail.", 7)) {
        if (s->kind == SEC_RELATIONSHIP || s->kind == SEC_PLACE)
            return perr(ps, "this section has no detail");
        if (!ingest_is_word(key + 7))
            return perr(ps, "detail key must be lower-case letters, digits or _");
    } else {
        size_t i = 0;
        while (i < sizeof targets / sizeof targets[0] &&
               (strcmp(targets[i].name, key) || !(targets[i].secs & (1u << s->kind))))
            i++;
        if (i == sizeof targets / sizeof targets[0] || !(targets[i].secs & (1u << s->kind)))
            return perr(ps, "unknown key '%.40s' in this section (see docs/profiles.md)", key);
        t = targets[i].t;
    }
    for (int i = 0; i < s->nfields; i++)
        if (!strcmp(s->fields[i].key, key))
            return perr(ps, "'%.40s' given twice in this section", key);
    if (s->nfields >= INGEST_MAX_FIELDS)
        return perr(ps, "more than %d keys in one section", INGEST_MAX_FIELDS);
    struct ingest_field *f = &s->fields[s->nfields];
    f->target = t;
    f->key = svp_arena_strndup(p->arena, t == T_DETAIL ? key + 7 : key,
                               strlen(t == T_DETAIL ? key + 7 : key));
    if (!f->key)
        return oom(ps);
    char *mapnames[INGEST_MAX_STEPS] = {0};
    int rc = parse_spec(ps, val, &f->spec, mapnames);
    if (rc)
        return rc;
    f->spec.id_join = t == T_PERSON || t == T_REL_OTHER;
    if (!(f->spec.label = svp_arena_strndup(p->arena, key, strlen(key))))
        return oom(ps);
    bool name_step = false;
    for (int i = 0; i < f->spec.nsteps; i++) {
        enum ingest_step_kind k = f->spec.steps[i].kind;
        if (k == STEP_SURNAME_FIRST || k == STEP_GIVEN_FIRST || k == STEP_ANY_ORDER)
            name_step = true;
        if (mapnames[i]) {
            if (*npend >= INGEST_MAX_SECTIONS * INGEST_MAX_FIELDS)
                return perr(ps, "too many map steps");
            pend[(*npend)++] = (struct pending_map){&f->spec, i, mapnames[i], t};
        }
    }
    if (t == T_FULL_NAME && !name_step)
        return perr(ps, "full_name needs a step saying its order: surname_first, "
                        "given_first or any_order");
    if (t != T_FULL_NAME && name_step)
        return perr(ps, "surname_first, given_first and any_order apply to full_name only");
    if (f->spec.col < 0 && !f->spec.expr && !ingest_known_code(t, f->spec.literal))
        return perr(ps, "'%.40s' is not a %s svp knows (docs/model.md)", f->spec.literal, key);
    if (t != T_DETAIL)
        s->slot[t] = s->nfields;
    s->nfields++;
    return SVP_OK;
}

/* ------------------------------------------------------------------ whole profile */

/* Whether two specs join the same columns. */
static bool same_columns(const struct ingest_spec *a, const struct ingest_spec *b)
{
    return a->col == b->col && !memcmp(a->join, b->join, sizeof a->join);
}

/* A person a row names by columns joined ("Child 2 Surname + Child 2 Forename + Child 2
 * DOB") with a [record NAME] of their own is still that person when a part is blank (a
 * child a contact lists with no date of birth): every `person` and `other` of those columns
 * keeps blank parts blank, so each names the record that section makes, with its names.
 * Joined columns with no [record NAME] (a MARAC list's perpetrator by name and date of
 * birth) still name nobody when a part is blank, as a person_id of them would. */
static void mark_partial_ids(struct ingest_profile *p)
{
    for (int i = 0; i < p->nsecs; i++) {
        const struct ingest_section *r = &p->secs[i];
        if (r->kind != SEC_RECORD || !r->name || !*r->name || r->slot[T_PERSON] < 0)
            continue;
        const struct ingest_spec *who = &r->fields[r->slot[T_PERSON]].spec;
        if (who->join[0] < 0)
            continue;
        for (int j = 0; j < p->nsecs; j++)
            for (int k = 0; k < p->secs[j].nfields; k++) {
                struct ingest_spec *sp = &p->secs[j].fields[k].spec;
                if (sp->id_join && same_columns(sp, who))
                    sp->id_partial = true;
            }
    }
}

static int finish(struct parser *ps, struct pending_map *pend, int npend)
{
    struct ingest_profile *p = ps->p;
    ps->line = 0;
    if (!ps->seen_source)
        return perr(ps, "no [source] section");
    if (!p->name)
        return perr(ps, "[source] lacks 'name'");
    if (!p->agency)
        return perr(ps, "[source] lacks 'agency'");
    bool places_only = p->place_sec >= 0 && p->nsecs == 1;
    if (p->place_sec >= 0 && !places_only)
        return perr(ps, "a [place] section lists places: it cannot share a profile with "
                        "records, events or relationships");
    if (!p->nperson_cols && !p->person_line && !places_only)
        return perr(ps, "[source] lacks 'person_id' (the column of the agency's person id)");
    if (!p->nrow_cols && !p->row_line) {
        memcpy(p->row_cols, p->person_cols, sizeof p->row_cols);
        p->nrow_cols = p->nperson_cols;
        p->row_line = p->person_line;
    }
    if (!p->nrow_cols && !p->row_line)
        return perr(ps, "[source] lacks 'row_id' (the column that identifies each place)");
    p->person_col = p->nperson_cols ? p->person_cols[0] : -1;
    p->row_col = p->nrow_cols ? p->row_cols[0] : -1;
    if (!p->id_space)
        p->id_space = p->name;
    if (!p->default_role)
        p->default_role = "child";
    for (int i = 0; i < npend; i++) {
        int m = find_map(ps, pend[i].name);
        ps->line = pend[i].spec->line;
        if (m < 0)
            return perr(ps, "no [map %.40s] in this profile", pend[i].name);
        pend[i].spec->steps[pend[i].step].map = m;
        struct ingest_map *mp = &p->maps[m];
        mp->used = true;
        /* A code table feeding a canonical code must give canonical codes. */
        bool last = pend[i].step == pend[i].spec->nsteps - 1;
        if (!last)
            continue;
        for (int e = 0; e <= mp->n; e++) {
            const char *v = e < mp->n ? mp->entries[e].value : mp->fallback;
            if (v && strcmp(v, "*") && *v && !ingest_known_code(pend[i].target, v)) {
                ps->line = mp->line;
                return perr(ps, "[map %s] gives '%.40s', which is not a canonical code for "
                                "this field (docs/model.md)", mp->name, v);
            }
        }
    }
    mark_partial_ids(p);
    for (int m = 0; m < p->nmaps; m++)
        if (!p->maps[m].used) {
            ps->line = p->maps[m].line;
            return perr(ps, "[map %s] is not used by any field", p->maps[m].name);
        }
    for (int i = 0; i < p->nsecs; i++) {
        struct ingest_section *s = &p->secs[i];
        ps->line = s->line;
        if (s->kind == SEC_EVENT && (s->slot[T_TYPE] < 0 || s->slot[T_STARTED] < 0))
            return perr(ps, "an [event] section needs 'type' and 'started_at'");
        if (s->kind == SEC_RELATIONSHIP && (s->slot[T_REL_KIND] < 0 || s->slot[T_REL_OTHER] < 0))
            return perr(ps, "a [relationship] section needs 'kind' and 'other'");
        if (s->kind == SEC_PLACE && s->slot[T_PLACE_NAME] < 0 && s->slot[T_PLACE_POSTCODE] < 0)
            return perr(ps, "a [place] section needs 'name' or 'postcode'");
        if (s->kind == SEC_CHECK && (!s->when || !s->check_message))
            return perr(ps, "a [check] section needs 'rule' and 'message'");
        if (s->kind == SEC_RECORD && *s->name && s->slot[T_PERSON] < 0)
            return perr(ps, "a [record %s] section needs 'person': the column with the id of "
                            "the other person the row names",
                        s->name);
        if (s->kind == SEC_RECORD && !*s->name && s->slot[T_PERSON] >= 0)
            return perr(ps, "[record] is the row's person (person_id names it): 'person' "
                            "belongs in a [record NAME] for another person the row names");
        if (s->kind == SEC_RECORD && s->slot[T_FULL_NAME] >= 0 &&
            (s->slot[T_GIVEN] >= 0 || s->slot[T_FAMILY] >= 0 || s->slot[T_MIDDLE] >= 0))
            return perr(ps, "give either full_name or given_name/family_name, not both");
        /* Nothing lost (issue 13): an optional value that cannot be read is dropped with a
         * warning and the row kept. Only what the row cannot be stored without rejects it:
         * a required value, an event's type, its start (unless the section is optional),
         * a relationship's kind and other person, whose event or relationship it is, the
         * date of birth (which write.c drops itself) and a reference list of places. */
        for (int f = 0; f < s->nfields; f++) {
            struct ingest_field *fd = &s->fields[f];
            enum ingest_target t = fd->target;
            fd->spec.keep_row = !fd->spec.required && s->kind != SEC_PLACE && t != T_TYPE &&
                                t != T_REL_KIND && t != T_REL_OTHER && t != T_PERSON &&
                                t != T_DOB && (t != T_STARTED || s->optional);
        }
        if (s->kind == SEC_RELATIONSHIP && s->event == -1)
            for (int j = 0; j < p->nsecs; j++)
                if (p->secs[j].kind == SEC_EVENT) {
                    s->event = j;
                    break;
                }
    }
    return SVP_OK;
}

int ingest_profile_parse(const char *text, size_t len, const char *name_for_errors,
                         struct ingest_profile **out, struct svp_err *err)
{
    *out = NULL;
    const char *file = name_for_errors ? name_for_errors : "profile";
    if (len > PROFILE_MAX_BYTES)
        return svp_err_at(err, SVP_EINPUT, file, 0, NULL, "profile is larger than %d KiB",
                          PROFILE_MAX_BYTES / 1024);
    size_t bad;
    if (!svp_utf8_valid(text, len, &bad))
        return svp_err_at(err, SVP_EINPUT, file, 0, NULL,
                          "profile is not UTF-8 (bad byte at offset %zu)", bad);
    struct svp_arena *arena = svp_arena_new(16 * 1024);
    struct ingest_profile *p = arena ? svp_arena_alloc(arena, sizeof *p) : NULL;
    struct pending_map *pend = svp_calloc(INGEST_MAX_SECTIONS * INGEST_MAX_FIELDS, sizeof *pend);
    if (!p || !pend) {
        svp_arena_free(&arena);
        svp_free(pend);
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading profile");
    }
    memset(p, 0, sizeof *p);
    p->arena = arena;
    p->delim = ',';
    p->header_line = 1;
    p->person_col = p->row_col = p->record_sec = p->place_sec = -1;
    p->cols = svp_arena_alloc(arena, PROFILE_MAX_COLS * sizeof *p->cols);
    p->col_optional = svp_arena_alloc(arena, PROFILE_MAX_COLS * sizeof *p->col_optional);
    p->secs = svp_arena_alloc(arena, INGEST_MAX_SECTIONS * sizeof *p->secs);
    p->maps = svp_arena_alloc(arena, PROFILE_MAX_MAPS * sizeof *p->maps);
    struct parser ps = {.p = p, .file = file, .err = err, .sec = -2};
    int npend = 0, rc = SVP_OK;
    if (!p->cols || !p->col_optional || !p->secs || !p->maps)
        rc = oom(&ps);
    char line[PROFILE_MAX_LINE + 1];
    size_t pos = 0;
    while (rc == SVP_OK && pos < len) {
        ps.line++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        if (n > PROFILE_MAX_LINE) {
            rc = perr(&ps, "line longer than %d bytes", PROFILE_MAX_LINE);
            break;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + (nl ? 1 : 0);
        if (memchr(line, '\0', n)) {
            rc = perr(&ps, "NUL byte in profile");
            break;
        }
        char *l = line;
        while (isspace((unsigned char)*l))
            l++;
        size_t ll = strlen(l);
        while (ll && isspace((unsigned char)l[ll - 1]))
            l[--ll] = '\0';
        if (!*l || *l == '#' || *l == ';')
            continue;
        if (*l == '[') {
            if (l[ll - 1] != ']') {
                rc = perr(&ps, "section header lacks ']'");
                break;
            }
            l[ll - 1] = '\0';
            char *h = l + 1;
            while (isspace((unsigned char)*h))
                h++;
            size_t hl = strlen(h);
            while (hl && isspace((unsigned char)h[hl - 1]))
                h[--hl] = '\0';
            rc = open_section(&ps, h);
            continue;
        }
        char *eq = strchr(l, '=');
        if (!eq) {
            rc = perr(&ps, "expected 'key = value', a [section] or a # comment");
            break;
        }
        char *key = l, *val = eq + 1;
        char *ke = eq;
        while (ke > key && isspace((unsigned char)ke[-1]))
            ke--;
        *ke = '\0';
        while (isspace((unsigned char)*val))
            val++;
        if (!*key) {
            rc = perr(&ps, "empty key before '='");
            break;
        }
        if (!*val) {
            rc = perr(&ps, "'%.40s' has no value", key);
            break;
        }
        if (ps.sec == -2)
            rc = perr(&ps, "'%.40s' before any [section]", key);
        else if (ps.sec == -1)
            rc = source_key(&ps, key, val);
        else if (ps.sec == -3)
            rc = map_entry(&ps, key, val);
        else
            rc = section_key(&ps, key, val, pend, &npend);
    }
    if (rc == SVP_OK)
        rc = finish(&ps, pend, npend);
    if (rc == SVP_OK && !(p->file = svp_arena_strndup(arena, file, strlen(file))))
        rc = oom(&ps);
    svp_free(pend);
    if (rc) {
        svp_arena_free(&arena);
        return rc;
    }
    *out = p;
    return SVP_OK;
}
