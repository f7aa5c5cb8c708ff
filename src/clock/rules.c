/* The statutory rules table: data/clock-rules.csv or a partnership's own file. Every row is
 * checked before any is used, so a typo cannot silently change a deadline. */
#include "clock.h"

#include <string.h>

/* A rules table is a partnership's list of duties: thousands would be a mistake. */
#define MAX_RULES 10000

static const char *const columns[] = {
    "id",     "times", "start_event", "start_field", "stop_event", "stop_field",
    "amount", "unit",  "direction",   "when",        "until",      "source",
};
enum { NCOLUMNS = sizeof columns / sizeof columns[0] };

static const struct {
    const char *name, *phrase;
} units[] = {
    [CLOCK_WORKING_DAYS] = {"working_days", "working days"},
    [CLOCK_CALENDAR_DAYS] = {"calendar_days", "calendar days"},
    [CLOCK_HOURS] = {"hours", "hours"},
    [CLOCK_WEEKS] = {"weeks", "weeks"},
    [CLOCK_MONTHS] = {"months", "months"},
};

const char *clock_unit_name(enum clock_unit unit)
{
    return units[unit].name;
}

const char *clock_unit_phrase(enum clock_unit unit)
{
    return units[unit].phrase;
}

bool clock_rule_is_register(const struct clock_rule *rule, const char **name)
{
    if (strncmp(rule->start_event, "register:", 9) != 0)
        return false;
    if (name)
        *name = rule->start_event + 9;
    return true;
}

bool clock_rule_when_matches(const struct clock_rule *rule, const char *value)
{
    if (!strcmp(rule->when_values, "*"))
        return *value != '\0';
    size_t vl = strlen(value);
    for (const char *p = rule->when_values; *p;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l == vl && !memcmp(p, value, l))
            return true;
        p += l + (bar ? 1 : 0);
    }
    return false;
}

const struct clock_rule *clock_rules_find(const struct clock_rules *rules, const char *id)
{
    for (size_t i = 0; i < rules->n; i++)
        if (!strcmp(rules->v[i].id, id))
            return &rules->v[i];
    return NULL;
}

void clock_rules_free(struct clock_rules **rules)
{
    if (!rules || !*rules)
        return;
    svp_free((*rules)->v);
    svp_free(*rules);
    *rules = NULL;
}

/* A name: lower-case letters, digits, '_', ':' (for "register:review") and '/' (for an
 * event type's subtype, "cp_conference/initial"). */
static bool is_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == ':' ||
              *s == '/'))
            return false;
    return true;
}

/* `until`: "" none, "EVENT" (the next such event after the start ends the clock) or
 * "EVENT.FIELD" (the field of the subject's latest such event on or before the start). */
static int parse_until(struct clock_rule *r, const char *u, const char *file, struct svp_err *err)
{
    if (!*u)
        return SVP_OK;
    const char *dot = strchr(u, '.');
    size_t tl = dot ? (size_t)(dot - u) : strlen(u);
    if (tl == 0 || tl >= sizeof r->until_event || (dot && strlen(dot + 1) >= sizeof r->until_field))
        return svp_err_at(err, SVP_EINPUT, file, r->line, "until", "'%s' is too long or empty", u);
    memcpy(r->until_event, u, tl);
    r->until_event[tl] = '\0';
    if (dot)
        svp_strlcpy(r->until_field, dot + 1, sizeof r->until_field);
    if (!is_name(r->until_event) || (dot && !is_name(r->until_field)) ||
        !strncmp(u, "register:", 9))
        return svp_err_at(err, SVP_EINPUT, file, r->line, "until",
                          "'%s' is not EVENT or EVENT.FIELD", u);
    if (clock_rule_is_register(r, NULL))
        return svp_err_at(err, SVP_EINPUT, file, r->line, "until",
                          "a register rule cannot have 'until'");
    return SVP_OK;
}

static int copy_field(char *dst, size_t cap, const struct svp_csv_field *f, const char *file,
                      long line, const char *col, bool name, struct svp_err *err)
{
    if (f->len >= cap)
        return svp_err_at(err, SVP_EINPUT, file, line, col, "longer than %zu bytes", cap - 1);
    memcpy(dst, f->p, f->len + 1);
    if (name && !is_name(dst))
        return svp_err_at(err, SVP_EINPUT, file, line, col,
                          "'%s' is not a name (lower-case letters, digits, '_')", dst);
    return SVP_OK;
}

static int parse_when(struct clock_rule *r, const char *w, const char *file, struct svp_err *err)
{
    r->when = CLOCK_WHEN_ALWAYS;
    if (!*w)
        return SVP_OK;
    if (!strcmp(w, "first")) {
        r->when = CLOCK_WHEN_FIRST;
        return SVP_OK;
    }
    if (!strcmp(w, "later")) {
        r->when = CLOCK_WHEN_LATER;
        return SVP_OK;
    }
    /* "KIND:TYPE": counted against the subject's latest TYPE event */
    static const struct {
        const char *prefix;
        enum clock_when when;
    } anchored[] = {{"first:", CLOCK_WHEN_FIRST},
                    {"later:", CLOCK_WHEN_LATER},
                    {"year1:", CLOCK_WHEN_YEAR1},
                    {"after_year1:", CLOCK_WHEN_AFTER_YEAR1}};
    const char *rest = NULL;
    for (size_t i = 0; !rest && i < sizeof anchored / sizeof anchored[0]; i++)
        if (!strncmp(w, anchored[i].prefix, strlen(anchored[i].prefix))) {
            r->when = anchored[i].when;
            rest = w + strlen(anchored[i].prefix);
        }
    if (rest) {
        if (!is_name(rest) || strlen(rest) >= sizeof r->when_name)
            return svp_err_at(err, SVP_EINPUT, file, r->line, "when",
                              "'%s' does not name an event type", rest);
        svp_strlcpy(r->when_name, rest, sizeof r->when_name);
        return SVP_OK;
    }
    const char *eq = strchr(w, '=');
    if (eq && eq > w && (size_t)(eq - w) < sizeof r->when_name && eq[1]) {
        memcpy(r->when_name, w, (size_t)(eq - w));
        r->when_name[eq - w] = '\0';
        svp_strlcpy(r->when_values, eq + 1, sizeof r->when_values);
        if (is_name(r->when_name)) {
            r->when = CLOCK_WHEN_FIELD;
            return SVP_OK;
        }
    }
    return svp_err_at(err, SVP_EINPUT, file, r->line, "when",
                      "'%s' is not one of: (empty), first, later, year1:TYPE, "
                      "after_year1:TYPE, FIELD=VALUE|VALUE",
                      w);
}

static int parse_row(const struct svp_csv_row *row, const char *file, struct clock_rule *r,
                     struct svp_err *err)
{
    long line = row->line;
    if (row->error)
        return svp_err_at(err, SVP_EINPUT, file, line, NULL, "%s", row->error);
    if (row->nfields != NCOLUMNS)
        return svp_err_at(err, SVP_EINPUT, file, line, NULL, "%zu fields, expected %d",
                          row->nfields, NCOLUMNS);
    const struct svp_csv_field *f = row->fields;
    memset(r, 0, sizeof *r);
    r->line = line;
    int rc;
    if ((rc = copy_field(r->id, sizeof r->id, &f[0], file, line, "id", true, err)) ||
        (rc = copy_field(r->times, sizeof r->times, &f[1], file, line, "times", false, err)) ||
        (rc = copy_field(r->start_event, sizeof r->start_event, &f[2], file, line, "start_event",
                         true, err)) ||
        (rc = copy_field(r->start_field, sizeof r->start_field, &f[3], file, line, "start_field",
                         true, err)) ||
        (rc = copy_field(r->stop_event, sizeof r->stop_event, &f[4], file, line, "stop_event", true,
                         err)) ||
        (rc = copy_field(r->stop_field, sizeof r->stop_field, &f[5], file, line, "stop_field", true,
                         err)) ||
        (rc = copy_field(r->source, sizeof r->source, &f[11], file, line, "source", false, err)))
        return rc;
    if (!*r->times)
        return svp_err_at(err, SVP_EINPUT, file, line, "times", "say what the rule times");
    int64_t amount;
    if (svp_parse_i64(f[6].p, &amount) || amount <= 0 || amount > 100000)
        return svp_err_at(err, SVP_EINPUT, file, line, "amount",
                          "'%s' is not a whole number from 1 to 100000", f[6].p);
    r->amount = (int)amount;
    size_t u;
    for (u = 0; u < sizeof units / sizeof units[0]; u++)
        if (!strcmp(f[7].p, units[u].name))
            break;
    if (u == sizeof units / sizeof units[0])
        return svp_err_at(err, SVP_EINPUT, file, line, "unit",
                          "unknown unit '%s' (working_days, calendar_days, hours, weeks, "
                          "months)",
                          f[7].p);
    r->unit = (enum clock_unit)u;
    if (!strcmp(f[8].p, "after"))
        r->direction = 1;
    else if (!strcmp(f[8].p, "before"))
        r->direction = -1;
    else
        return svp_err_at(err, SVP_EINPUT, file, line, "direction",
                          "'%s' is neither 'after' nor 'before'", f[8].p);
    const char *reg;
    bool start_reg = clock_rule_is_register(r, &reg);
    bool stop_reg = !strncmp(r->stop_event, "register:", 9);
    if (start_reg != stop_reg && strcmp(r->stop_event, "same") != 0)
        return svp_err_at(err, SVP_EINPUT, file, line, "stop_event",
                          "a register rule must stop on the same register");
    if (start_reg && (!*reg || (stop_reg && strcmp(reg, r->stop_event + 9) != 0)))
        return svp_err_at(err, SVP_EINPUT, file, line, "stop_event",
                          "a register rule must start and stop on one register");
    if ((rc = parse_when(r, f[9].p, file, err)))
        return rc;
    return parse_until(r, f[10].p, file, err);
}

static int check_header(const struct svp_csv_row *row, const char *file, struct svp_err *err)
{
    if (row->nfields != NCOLUMNS)
        return svp_err_at(err, SVP_EINPUT, file, row->line, NULL,
                          "the header has %zu columns, expected %d: id,times,start_event,"
                          "start_field,stop_event,stop_field,amount,unit,direction,when,until,"
                          "source",
                          row->nfields, NCOLUMNS);
    for (int i = 0; i < NCOLUMNS; i++)
        if (strcmp(row->fields[i].p, columns[i]) != 0)
            return svp_err_at(err, SVP_EINPUT, file, row->line, columns[i],
                              "header column %d is '%s', expected '%s'", i + 1, row->fields[i].p,
                              columns[i]);
    return SVP_OK;
}

static int read_rules(struct svp_csv *csv, const char *file, struct clock_rules *rules,
                      struct svp_err *err)
{
    struct svp_csv_row row;
    int rc = svp_csv_next(csv, &row, err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return svp_err_at(err, SVP_EINPUT, file, 0, NULL, "the rules file is empty");
    if ((rc = check_header(&row, file, err)))
        return rc;
    size_t cap = 0;
    while ((rc = svp_csv_next(csv, &row, err)) == 1) {
        if (row.nfields == 1 && row.fields[0].len == 0)
            continue;
        if (rules->n == MAX_RULES)
            return svp_err_at(err, SVP_EINPUT, file, row.line, NULL, "more than %d rules",
                              MAX_RULES);
        struct clock_rule *v = svp_grow(rules->v, &cap, rules->n + 1, sizeof *v, 32);
        if (!v)
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", file);
        rules->v = v;
        struct clock_rule *r = &rules->v[rules->n];
        if ((rc = parse_row(&row, file, r, err)))
            return rc;
        for (size_t i = 0; i < rules->n; i++)
            if (!strcmp(rules->v[i].id, r->id))
                return svp_err_at(err, SVP_EINPUT, file, row.line, "id",
                                  "rule '%s' is already defined on line %ld", r->id,
                                  rules->v[i].line);
        rules->n++;
    }
    if (rc < 0)
        return rc;
    if (rules->n == 0)
        return svp_err_at(err, SVP_EINPUT, file, 0, NULL, "no rules listed");
    return SVP_OK;
}

int clock_rules_parse(const char *data, size_t len, const char *name, struct clock_rules **out,
                      struct svp_err *err)
{
    struct svp_csv_opts opts = {.delim = ',', .max_field = 1024, .max_fields = 32};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(data, len, &opts, &csv, err);
    if (rc)
        return rc;
    struct clock_rules *rules = svp_calloc(1, sizeof *rules);
    if (!rules) {
        svp_csv_free(&csv);
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", name);
    }
    rc = read_rules(csv, name, rules, err);
    svp_csv_free(&csv);
    if (rc) {
        clock_rules_free(&rules);
        return rc;
    }
    *out = rules;
    return SVP_OK;
}

int clock_rules_load(const char *path, struct clock_rules **out, struct svp_err *err)
{
    if (!path) {
        const struct svp_embedded *e = svp_data_find("clock-rules.csv");
        if (!e)
            return svp_err_set(err, SVP_EINTERNAL, "clock-rules.csv is missing from this build");
        return clock_rules_parse(e->data, e->len, "data/clock-rules.csv", out, err);
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot open the rules file");
    struct svp_buf b;
    svp_buf_init(&b, 4u << 20);
    char chunk[4096];
    size_t got;
    int rc = SVP_OK;
    while (rc == SVP_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (svp_buf_append(&b, chunk, got))
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "larger than 4 MiB");
    if (rc == SVP_OK && ferror(f))
        rc = svp_err_at(err, SVP_EIO, path, 0, NULL, "read error");
    fclose(f);
    if (rc == SVP_OK)
        rc = clock_rules_parse(b.data ? b.data : "", b.len, path, out, err);
    svp_buf_free(&b);
    return rc;
}
