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

void draft_put(struct writer *w, const char *fmt, ...)
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
        draft_put(w, "%s = %s + %s%s%s\n", key, c->name, w->d->cols[c->time_col].name,
            *steps ? " | " : "", steps);
    else
        draft_put(w, "%s = %s%s%s\n", key, c->name, *steps ? " | " : "", steps);
}

/* The steps that read a column as its kind says. */
static void kind_steps(struct writer *w, int i, bool as_datetime, char *out, size_t cap)
{
    struct col *c = &w->d->cols[i];
    char f[160];
    out[0] = '\0';
    if (c->role == R_MENTIONS) {
        /* one person's name may hold a comma ("SMITH, Dean"): split on '|' or ';' only */
        int64_t comma = c->name_mention ? 0 : c->sep_comma;
        char sep = c->sep_pipe >= c->sep_semi && c->sep_pipe > comma ? '|'
                   : comma > c->sep_semi                            ? ','
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
        if (draft_list_sep(c) && c->map >= 0)
            snprintf(out, cap, "list %s | map %s", draft_list_sep(c) == '|' ? "pipe" : ";",
                     w->maps[c->map].name);
        else if (draft_list_sep(c))
            snprintf(out, cap, "list %s", draft_list_sep(c) == '|' ? "pipe" : ";");
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
        draft_put(w, "%s = %s\n", key, w->d->cols[p->key_col].name);
        return;
    }
    draft_put(w, "%s = ", key);
    for (int k = 0; k < p->nkey; k++)
        draft_put(w, "%s%s", k ? " + " : "", w->d->cols[p->key[k]].name);
    draft_put(w, "\n");
}

/* The event's type: column tc's codes through map tm, or the type the draft found. */
static void put_type(struct writer *w, int tc, int tm)
{
    if (tm >= 0) {
        put_value(w, "type", tc, "");
        w->b->len--; /* the line end: the map step follows */
        w->b->data[w->b->len] = '\0';
        draft_put(w, " | map %s\n", w->maps[tm].name);
    } else {
        draft_put(w, "type = \"%s\"\n", w->d->type ? w->d->type : "incident");
    }
}

/* An address over several columns: its lines joined, blank ones left out. */
static void put_address_lines(struct writer *w)
{
    const struct draft *d = w->d;
    draft_put(w, "address = expr(svp_join(', '");
    for (int a = 0; a < d->naddr_parts; a++) {
        draft_put(w, ", \"");
        for (const char *q = d->cols[d->addr_parts[a]].name; *q; q++)
            draft_put(w, *q == '"' ? "\"\"" : "%c", *q);
        draft_put(w, "\"");
    }
    draft_put(w, "))\n");
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
    draft_people_sex_maps(w);
    for (int g = 0; g < d->npeople; g++) {
        const struct draft_person *p = &d->people[g];
        if (g == d->main_person || !p->ncols)
            continue;
        draft_put(w, "\n# check: the %s the row names, a person of their own\n[record %s]\n",
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
        int rc = k ? draft_rename_key(d, c, k) : 0;
        if (rc < 0)
            return rc;
        for (int j = 0; j < 6 && rc; j++)
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
    for (int i = 0; i < d->ncols; i++)
        if (d->cols[i].carer_phone && d->cols[i].role == R_DETAIL &&
            draft_rename_key(d, &d->cols[i], "contact_phone") < 0)
            return SVP_ENOMEM;
    /* a police record's occurrence or crime number, shared by everyone involved in it, is
     * the occurrence_ref the peer networks join people by (docs/model.md) */
    static const char *const occ_w[] = {"occurrence", "crime", "incident", "occ", NULL};
    static const char *const ref_w[] = {"ref", "reference", "no", "number", "id", "urn", "num",
                                        NULL};
    bool police = d->type && (!strcmp(d->type, "crime") || !strcmp(d->type, "arrest") ||
                              !strcmp(d->type, "incident") || !strcmp(d->type, "da_incident") ||
                              !strcmp(d->type, "stop_search"));
    for (int i = 0; police && i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->role == R_DETAIL && c->kind != K_DATE && draft_has_any(c, occ_w) &&
            draft_has_any(c, ref_w)) {
            if (draft_rename_key(d, c, "occurrence_ref") < 0)
                return SVP_ENOMEM;
            break;
        }
    }
    int mrc = draft_choose_maps(&w);
    if (mrc)
        return mrc;
    draft_put(&w, "# A draft written by `svp profile draft` from %s (%lld rows read). Check each\n"
            "# line, and those marked 'check' first; then `svp profile check` it with --data.\n",
        d->path, (long long)d->rows);
    draft_put(&w, "[source]\nname = %s\nagency = %s\n", name, d->agency);
    if (d->cp1252)
        draft_put(&w, "encoding = windows-1252\n");
    if (d->delim != ',')
        draft_put(&w, "delimiter = %s\n", d->delim == ';' ? "semicolon" : d->delim == '\t' ? "tab"
                                                                                       : "pipe");
    if (d->xlsx && d->sheet)
        draft_put(&w, "sheet = %s\n", d->sheet);
    if (d->header_line)
        draft_put(&w, "# check: the lines above the header are a title\nheader_line = %d\n",
            d->header_line);
    if (d->footer_lines)
        draft_put(&w, "# check: the last lines are the report's footer (totals), not rows\n"
                "footer_lines = %d\n", d->footer_lines);
    if (d->nulls)
        draft_put(&w, "# check: NULL is how the system writes a value it does not hold (%lld values)\n"
                "blank = NULL\n",
            (long long)d->nulls);
    if (d->person_line)
        draft_put(&w, "# check: no column looks like a person id; each row is its own record\n"
                "person_id = @line\n");
    else if (d->person_nhs)
        draft_put(&w, "# check: no column but the NHS number names the person; it is the person id\n"
                "person_id = %s\n", d->cols[d->person].name);
    else
        draft_put(&w, "person_id = %s\n", d->cols[d->person].name);
    if (d->nrow_parts) {
        draft_put(&w, "row_id = ");
        for (int k = 0; k < d->nrow_parts; k++)
            draft_put(&w, "%s%s", k ? " + " : "", d->cols[d->row_parts[k]].name);
        draft_put(&w, "\n");
    } else if (d->row_line) {
        draft_put(&w, "# check: no column or pair of columns is unique: rows are known by line\n"
                "row_id = @line\n");
    }
    if (d->adults + d->children) {
        if (draft_adult_file(d))
            draft_put(&w, "role = adult\n");
        else if (d->children * 20 < (d->adults + d->children) * 19)
            draft_put(&w, "role = by_dob\n");
    }
    bool any_time = false;
    for (int i = 0; i < d->ncols; i++)
        any_time |= d->cols[i].kind == K_DATE && (d->cols[i].with_time || d->cols[i].time_col >= 0);
    if (any_time)
        draft_put(&w, "# check: if the times are UK local time, say so:\n# timezone = Europe/London\n");

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
                draft_put(&w, "\n[record]\n");
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
                    draft_put(&w, "# check: names are 'Forename Surname' or 'Surname Forename'? "
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
            draft_put(&w, "\n[record]\n");
        if (any)
            rec_open = true;
        bool repeats = d->person >= 0 && d->cols[d->person].dups > 0;
        if (any && repeats)
            draft_put(&w, "# check: a person has several rows but no column is a date: give an [event]\n"
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
            draft_put(&w, "\n[record]\n# check: no column but the id could be placed\n");
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
        draft_put(&w, "\n[event]\n");
        int tc = draft_type_column(d), tm = tc >= 0 ? draft_new_map(&w, tc, false) : -1;
        if (tm >= 0) {
            snprintf(w.maps[tm].name, sizeof w.maps[tm].name, "%.50s_type", d->cols[tc].key);
            w.maps[tm].type = d->type ? d->type : "incident";
            draft_put(&w, "# check: each code of %s says what the row records; codes that say "
                    "nothing are a '%s'\n", d->cols[tc].name, w.maps[tm].type);
        } else if (!d->type) {
            draft_put(&w, "# check: what each row records (docs/model.md)\n");
        }
        put_type(&w, tc, tm);
        int start = -1;
        for (int i = 0; i < d->ncols; i++)
            if (d->cols[i].role == R_SUBTYPE) {
                kind_steps(&w, i, true, steps, sizeof steps);
                put_value(&w, "subtype", i, steps);
                char key[80];
                snprintf(key, sizeof key, "detail.%s", d->cols[i].key);
                if (d->cols[i].also_detail)
                    put_value(&w, key, i, steps);
            }
        if (d->type && !strcmp(d->type, "crime") && !has_role(d, R_SUBTYPE))
            draft_put(&w, "# check: a crime's subtype is the person's part in it (victim, suspect, "
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
                    draft_put(&w, "# check: rows with no %s make no event\noptional = yes\n", c->name);
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
            draft_put(&w, "detail.role = \"%s\"\n", draft_person_role(d, d->main_person));
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
            draft_put(&w, "detail.sessions_missed = %s + %s | sum\n", d->cols[a_auth].name,
                d->cols[a_unauth].name);
        if (a_pct < 0 && a_attended >= 0 && a_possible >= 0)
            draft_put(&w, "detail.attendance_pct = %s + %s | percent\n", d->cols[a_attended].name,
                d->cols[a_possible].name);
        /* the other people's part in the same event */
        for (int g = 0; g < d->npeople && start >= 0; g++) {
            if (g == d->main_person || !d->people[g].ncols || draft_person_parent(d, g))
                continue;
            draft_put(&w, "\n[event %s]\n", d->people[g].name);
            put_person_key(&w, "person", g);
            put_type(&w, tc, tm); /* the row's event, the other's part in it */
            put_start(&w, start, steps, sizeof steps);
            draft_put(&w, "detail.role = \"%s\"\n", draft_person_role(d, g));
        }
        for (int i = 0; i < d->ncols && start >= 0; i++) {
            struct col *c = &d->cols[i];
            const char *t = c->kind == K_FLAG && c->yes ? draft_type_of_flag(c) : NULL;
            if (!t || (d->type && !strcmp(t, d->type)))
                continue;
            draft_put(&w, "\n[event %s]\ntype = \"%s\"\n", t, t);
            put_start(&w, start, steps, sizeof steps);
            struct svp_buf q;
            svp_buf_init(&q, 4096);
            int rc = sql_name(&q, c->name);
            if (!rc && !c->yes_mixed && !strchr(c->yes_spelling, '\''))
                draft_put(&w, "when = %s = '%s'\n", q.data, c->yes_spelling);
            else if (!rc)
                draft_put(&w, "when = upper(%s) IN ('Y', 'YES', 'T', 'TRUE')\n", q.data);
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
                int m = draft_new_map(&w, i, false);
                if (m >= 0) {
                    snprintf(w.maps[m].name, sizeof w.maps[m].name, "%.50s_level", c->key);
                    w.maps[m].canon = draft_risk_level;
                    w.maps[m].only_canon = true;
                    draft_put(&w, "\n[event %s_screening]\n# check: the screening's own date, if "
                            "the extract has one (the row's is used)\n"
                            "type = \"exploitation_screening\"\n", c->key);
                    put_start(&w, start, steps, sizeof steps);
                    draft_put(&w, "subtype = %s | map %s\nwhen = upper(%s)\ndetail.concerns = \"%s\"\n",
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
        draft_put(&w, "\n[relationship %s]\nkind = \"%s\"\n", d->people[g].name,
            harms ? "perpetrator" : "parent");
        put_person_key(&w, "person", g);
        draft_put(&w, "other = %s\n", d->cols[d->person].name);
        draft_put(&w, "event = %s\n", harms ? d->people[g].name : "none");
    }
    draft_write_maps(&w);
    return w.rc;
}
