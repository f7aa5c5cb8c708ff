/* DASH: the question table, answers, the MARAC criteria table and the assessment. Both
 * tables are data (data/dash-questions.csv, data/marac-criteria.csv) checked row by row
 * before use, so a typo cannot silently change who is referred. */
#include "triage.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const answer_names[] = {"not_asked", "yes", "no", "not_known"};
static const char *const form_names[] = {"ric", "police", "care"};
static const char *const level_names[] = {"", "standard", "medium", "high"};

const char *triage_answer_name(enum triage_answer a)
{
    return (unsigned)a < 4 ? answer_names[a] : "?";
}

const char *triage_form_name(enum triage_form f)
{
    return (unsigned)f < TRIAGE_FORM_N ? form_names[f] : "?";
}

const char *triage_level_name(enum triage_level l)
{
    return (unsigned)l < 4 ? level_names[l] : "";
}

enum triage_level triage_level_parse(const char *s)
{
    for (int i = 1; s && i < 4; i++)
        if (!strcasecmp(s, level_names[i]))
            return (enum triage_level)i;
    return TRIAGE_LEVEL_NONE;
}

int triage_answer_parse(const char *s, enum triage_answer *out, struct svp_err *err)
{
    static const struct {
        const char *word;
        enum triage_answer a;
    } words[] = {
        {"yes", TRIAGE_YES},   {"y", TRIAGE_YES},      {"1", TRIAGE_YES},
        {"no", TRIAGE_NO},     {"n", TRIAGE_NO},       {"0", TRIAGE_NO},
        {"not_known", TRIAGE_NOT_KNOWN}, {"nk", TRIAGE_NOT_KNOWN},
        {"not_asked", TRIAGE_NOT_ASKED},
    };
    for (size_t i = 0; s && i < sizeof words / sizeof words[0]; i++)
        if (!strcasecmp(s, words[i].word)) {
            *out = words[i].a;
            return SVP_OK;
        }
    return svp_err_set(err, SVP_EINPUT,
                       "answer '%.20s' is not allowed: use yes, no, not_known or not_asked",
                       s ? s : "");
}

int triage_form_parse(const char *s, enum triage_form *out, struct svp_err *err)
{
    for (int i = 0; s && i < TRIAGE_FORM_N; i++)
        if (!strcmp(s, form_names[i])) {
            *out = (enum triage_form)i;
            return SVP_OK;
        }
    return svp_err_set(err, SVP_EINPUT, "unknown DASH form '%.20s': use ric, police or care",
                       s ? s : "");
}

/* ------------------------------------------------------------------ reading tables */

/* Reads a small CSV table into rows of fields; '#' lines and blank lines are skipped, the
 * first remaining row is the header. calls row(ctx, fields, n, line) for each data row. */
static int read_table(const char *data, size_t len, const char *name, const char *header,
                      int (*row)(void *ctx, const struct svp_csv_row *r, const char *name,
                                 struct svp_err *err),
                      void *ctx, struct svp_err *err)
{
    struct svp_csv_opts opts = {.delim = ',', .max_field = 256, .max_fields = 16,
                                .check_utf8 = true};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(data, len, &opts, &csv, err);
    if (rc)
        return rc;
    bool seen_header = false;
    struct svp_csv_row r;
    while ((rc = svp_csv_next(csv, &r, err)) == 1) {
        if (r.nfields == 0 || (r.nfields == 1 && r.fields[0].len == 0) ||
            r.fields[0].p[0] == '#')
            continue;
        if (r.error) {
            rc = svp_err_at(err, SVP_EINPUT, name, r.line, NULL, "%s", r.error);
            break;
        }
        if (!seen_header) {
            char got[256] = "";
            size_t l = 0;
            for (size_t i = 0; i < r.nfields && l < sizeof got; i++)
                l += (size_t)snprintf(got + l, sizeof got - l, "%s%s", i ? "," : "",
                                      r.fields[i].p);
            if (strcmp(got, header) != 0) {
                rc = svp_err_at(err, SVP_EINPUT, name, r.line, NULL,
                                "the header must be '%s'", header);
                break;
            }
            seen_header = true;
            continue;
        }
        if ((rc = row(ctx, &r, name, err)) != SVP_OK)
            break;
    }
    svp_csv_free(&csv);
    if (rc < 0)
        return rc;
    if (!seen_header)
        return svp_err_at(err, SVP_EINPUT, name, 0, NULL, "no header row '%s'", header);
    return SVP_OK;
}

static int load_file(const char *path, const char *embedded, const char *what,
                     int (*parse)(const char *, size_t, const char *, void *, struct svp_err *),
                     void *out, struct svp_err *err)
{
    if (!path) {
        const struct svp_embedded *e = svp_data_find(embedded);
        if (!e)
            return svp_err_set(err, SVP_EINTERNAL, "%s is missing from this build", embedded);
        char name[64];
        snprintf(name, sizeof name, "data/%s", embedded);
        return parse(e->data, e->len, name, out, err);
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot open the %s file", what);
    struct svp_buf b;
    svp_buf_init(&b, 1u << 20);
    char chunk[4096];
    size_t got;
    int rc = SVP_OK;
    while (rc == SVP_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (svp_buf_append(&b, chunk, got))
            rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "larger than 1 MiB");
    if (rc == SVP_OK && ferror(f))
        rc = svp_err_at(err, SVP_EIO, path, 0, NULL, "read error");
    fclose(f);
    if (rc == SVP_OK)
        rc = parse(b.data ? b.data : "", b.len, path, out, err);
    svp_buf_free(&b);
    return rc;
}

/* ------------------------------------------------------------------ questions */

static bool qid_ok(const char *s)
{
    size_t l = strlen(s);
    if (l < 2 || l >= TRIAGE_QID_MAX || !islower((unsigned char)s[0]))
        return false;
    for (size_t i = 1; i < l; i++)
        if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}

static int question_row(void *ctx, const struct svp_csv_row *r, const char *name,
                        struct svp_err *err)
{
    struct triage_questions *qs = ctx;
    if (r->nfields != 5)
        return svp_err_at(err, SVP_EINPUT, name, r->line, NULL,
                          "expected 5 fields (id,forms,police,counts,topic), found %zu",
                          r->nfields);
    if (qs->n >= TRIAGE_QUESTIONS_MAX)
        return svp_err_at(err, SVP_EINPUT, name, r->line, NULL, "more than %d questions",
                          TRIAGE_QUESTIONS_MAX);
    struct triage_question q = {0};
    const char *id = r->fields[0].p;
    if (!qid_ok(id))
        return svp_err_at(err, SVP_EINPUT, name, r->line, "id",
                          "'%.20s' is not a question id (a lower-case letter, then letters, "
                          "digits or _; under %d characters)", id, TRIAGE_QID_MAX);
    if (triage_question_find(qs, id) >= 0)
        return svp_err_at(err, SVP_EINPUT, name, r->line, "id", "question %s listed twice", id);
    svp_strlcpy(q.id, id, sizeof q.id);
    const char *p = r->fields[1].p;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t l = strcspn(p, " ");
        if (!l)
            break;
        int f = -1;
        for (int i = 0; i < TRIAGE_FORM_N; i++)
            if (strlen(form_names[i]) == l && !memcmp(form_names[i], p, l))
                f = i;
        if (f < 0)
            return svp_err_at(err, SVP_EINPUT, name, r->line, "forms",
                              "unknown form '%.*s': use ric, police or care", (int)(l > 20 ? 20 : l),
                              p);
        q.forms |= 1u << f;
        p += l;
    }
    if (!q.forms)
        return svp_err_at(err, SVP_EINPUT, name, r->line, "forms", "no form asks %s", id);
    int64_t pos;
    if (svp_parse_i64(r->fields[2].p, &pos) || pos < 0 || pos > TRIAGE_QUESTIONS_MAX)
        return svp_err_at(err, SVP_EINPUT, name, r->line, "police",
                          "position must be 0..%d", TRIAGE_QUESTIONS_MAX);
    if ((pos > 0) != ((q.forms & (1u << TRIAGE_FORM_POLICE)) != 0))
        return svp_err_at(err, SVP_EINPUT, name, r->line, "police",
                          "a question has a police position if and only if the police form "
                          "asks it");
    for (size_t i = 0; pos && i < qs->n; i++)
        if (qs->v[i].police_pos == pos)
            return svp_err_at(err, SVP_EINPUT, name, r->line, "police",
                              "police position %lld is also %s's", (long long)pos,
                              qs->v[i].id);
    q.police_pos = (int)pos;
    if (strcmp(r->fields[3].p, "0") && strcmp(r->fields[3].p, "1"))
        return svp_err_at(err, SVP_EINPUT, name, r->line, "counts", "must be 0 or 1");
    q.counts = r->fields[3].p[0] == '1';
    svp_strlcpy(q.topic, r->fields[4].p, sizeof q.topic);
    qs->v[qs->n++] = q;
    return SVP_OK;
}

static int parse_questions(const char *data, size_t len, const char *name, void *out,
                           struct svp_err *err)
{
    return triage_questions_parse(data, len, name, out, err);
}

int triage_questions_parse(const char *data, size_t len, const char *name,
                           struct triage_questions *out, struct svp_err *err)
{
    struct triage_questions *qs = svp_calloc(1, sizeof *qs);
    if (!qs)
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", name);
    int rc = read_table(data, len, name, "id,forms,police,counts,topic", question_row, qs, err);
    if (rc == SVP_OK && qs->n == 0)
        rc = svp_err_at(err, SVP_EINPUT, name, 0, NULL, "no questions listed");
    if (rc == SVP_OK)
        *out = *qs;
    svp_free(qs);
    return rc;
}

int triage_questions_load(const char *path, struct triage_questions *out, struct svp_err *err)
{
    return load_file(path, "dash-questions.csv", "DASH questions", parse_questions, out, err);
}

int triage_question_find(const struct triage_questions *qs, const char *id)
{
    for (size_t i = 0; i < qs->n; i++)
        if (!strcmp(qs->v[i].id, id))
            return (int)i;
    return -1;
}

int triage_dash_set(const struct triage_questions *qs, struct triage_dash *d, const char *qid,
                    const char *answer, struct svp_err *err)
{
    int i = triage_question_find(qs, qid ? qid : "");
    if (i < 0)
        return svp_err_set(err, SVP_EINPUT,
                           "unknown DASH question '%.20s' (see data/dash-questions.csv)",
                           qid ? qid : "");
    if (!(qs->v[i].forms & (1u << d->form)))
        return svp_err_set(err, SVP_EINPUT, "question %s is not asked on the %s form",
                           qs->v[i].id, triage_form_name(d->form));
    enum triage_answer a;
    int rc = triage_answer_parse(answer, &a, err);
    if (rc)
        return svp_err_set(err, rc, "question %s: %s", qs->v[i].id, err->msg);
    d->answer[i] = (unsigned char)a;
    return SVP_OK;
}

void triage_dash_assess(const struct triage_questions *qs, const struct triage_criteria *c,
                        const struct triage_dash *d, enum triage_level judged,
                        struct triage_dash_result *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < qs->n; i++) {
        if (!(qs->v[i].forms & (1u << d->form)))
            continue;
        bool yes = d->answer[i] == TRIAGE_YES;
        if (!qs->v[i].counts) {
            out->extra_yes += yes;
            continue;
        }
        out->asked++;
        out->yes += yes;
        out->unknown += d->answer[i] == TRIAGE_NOT_KNOWN || d->answer[i] == TRIAGE_NOT_ASKED;
    }
    if (out->yes >= c->high_risk_yes) {
        out->level = TRIAGE_HIGH;
        out->criteria = TRIAGE_CRIT_VISIBLE_HIGH;
    } else if (judged == TRIAGE_HIGH) {
        out->level = TRIAGE_HIGH;
        out->criteria = TRIAGE_CRIT_JUDGEMENT;
    } else {
        out->level = judged == TRIAGE_LEVEL_NONE ? TRIAGE_STANDARD : judged;
    }
}

/* ------------------------------------------------------------------ criteria */

static int parse_hhmm(const char *s, int *out)
{
    if (strlen(s) != 5 || s[2] != ':' || !isdigit((unsigned char)s[0]) ||
        !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[3]) ||
        !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    *out = h * 60 + m;
    return 0;
}

struct crit_ctx {
    struct triage_criteria c;
    unsigned seen;
};

static int criteria_row(void *ctx, const struct svp_csv_row *r, const char *name,
                        struct svp_err *err)
{
    struct crit_ctx *x = ctx;
    static const struct {
        const char *key;
        size_t off;
        int lo, hi;
        bool time;
    } keys[] = {
        {"visible_high_risk_yes", offsetof(struct triage_criteria, high_risk_yes), 1, 100, false},
        {"escalation_incidents", offsetof(struct triage_criteria, escalation_incidents), 2, 100,
         false},
        {"escalation_months", offsetof(struct triage_criteria, escalation_months), 1, 120, false},
        {"repeat_months", offsetof(struct triage_criteria, repeat_months), 1, 120, false},
        {"call_time", offsetof(struct triage_criteria, call_minute), 0, 0, true},
        {"school_start", offsetof(struct triage_criteria, school_minute), 0, 0, true},
    };
    if (r->nfields != 2)
        return svp_err_at(err, SVP_EINPUT, name, r->line, NULL,
                          "expected 2 fields (key,value), found %zu", r->nfields);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(r->fields[0].p, keys[i].key))
            continue;
        if (x->seen & (1u << i))
            return svp_err_at(err, SVP_EINPUT, name, r->line, keys[i].key, "given twice");
        int *dst = (int *)((char *)&x->c + keys[i].off);
        if (keys[i].time) {
            if (parse_hhmm(r->fields[1].p, dst))
                return svp_err_at(err, SVP_EINPUT, name, r->line, keys[i].key,
                                  "'%.20s' is not a time HH:MM", r->fields[1].p);
        } else {
            int64_t v;
            if (svp_parse_i64(r->fields[1].p, &v) || v < keys[i].lo || v > keys[i].hi)
                return svp_err_at(err, SVP_EINPUT, name, r->line, keys[i].key,
                                  "'%.20s' must be a whole number %d..%d", r->fields[1].p,
                                  keys[i].lo, keys[i].hi);
            *dst = (int)v;
        }
        x->seen |= 1u << i;
        return SVP_OK;
    }
    return svp_err_at(err, SVP_EINPUT, name, r->line, "key", "unknown key '%.40s'",
                      r->fields[0].p);
}

static int parse_criteria(const char *data, size_t len, const char *name, void *out,
                          struct svp_err *err)
{
    return triage_criteria_parse(data, len, name, out, err);
}

int triage_criteria_parse(const char *data, size_t len, const char *name,
                          struct triage_criteria *out, struct svp_err *err)
{
    struct crit_ctx x = {0};
    int rc = read_table(data, len, name, "key,value", criteria_row, &x, err);
    if (rc)
        return rc;
    static const char *const names[] = {"visible_high_risk_yes", "escalation_incidents",
                                        "escalation_months",     "repeat_months",
                                        "call_time",             "school_start"};
    for (int i = 0; i < 6; i++)
        if (!(x.seen & (1u << i)))
            return svp_err_at(err, SVP_EINPUT, name, 0, names[i], "missing");
    *out = x.c;
    return SVP_OK;
}

int triage_criteria_load(const char *path, struct triage_criteria *out, struct svp_err *err)
{
    return load_file(path, "marac-criteria.csv", "MARAC criteria", parse_criteria, out, err);
}
