/* The partnership's sharing rules (data/sharing.csv) and data categories
 * (data/data-categories.csv), and what one viewer may see of one person under them. The
 * rules are data: one row allows a role of an agency to see a category of an agency's
 * records on a condition; nothing is shown that no row allows. */
#include "access_int.h"

#include <string.h>

#define MAX_RULES 256
#define MAX_CATROWS 256
#define MAX_PLANS 16
#define META_KEY "access.sharing"

enum cond { COND_ALWAYS, COND_SHARED, COND_PANEL_LIST, COND_OPEN_PLAN, COND_KNOWN, NCOND };
static const char *const cond_names[NCOND] = {"always", "shared", "panel_list", "open_plan",
                                              "known"};
static const char *const cond_why[NCOND] = {"rule", "shared with the agency", "on the panel list",
                                            "open plan or allocation", "known to the agency"};

#define HOLDER_ANY (-1)
#define HOLDER_OWN (-2)

struct rule {
    unsigned roles; /* enum access_role bits */
    int agency;     /* viewer's agency index, -1 any */
    unsigned cats;  /* category bits */
    int holder;     /* agency index, HOLDER_ANY or HOLDER_OWN */
    enum cond cond;
};

struct catrow {
    char kind; /* 'e' event, 'i' indicator, 'p' plan */
    char name[48];
    char subtype[48]; /* "*" any */
    int cat;
};

struct access_policy {
    size_t nrules, ncats;
    struct rule rules[MAX_RULES];
    struct catrow cats[MAX_CATROWS];
};

static const char *const cat_names[ACCESS_NCAT] = {
    "ordinary",        "sexual_health", "mental_health", "substance_misuse",
    "da_victim",       "police_intel",  "youth_justice",    "adult_safeguarding",
};

static const char *const agency_names[ACCESS_NAGENCY] = {
    "csc", "asc", "police", "health", "education", "yjs", "rhi", "partnership", "other",
};

const char *access_category_name(int c)
{
    return c >= 0 && c < ACCESS_NCAT ? cat_names[c] : "unknown";
}

int access_category_parse(const char *name)
{
    for (int i = 0; name && i < ACCESS_NCAT; i++)
        if (!strcmp(cat_names[i], name))
            return i;
    return -1;
}

int access_agency_index(const char *agency)
{
    for (int i = 0; agency && i < ACCESS_AGENCY_OTHER; i++)
        if (!strcmp(agency_names[i], agency))
            return i;
    return ACCESS_AGENCY_OTHER;
}

const char *access_agency_name(int i)
{
    return i >= 0 && i < ACCESS_NAGENCY ? agency_names[i] : "other";
}

/* ------------------------------------------------------------------ parsing */

static int bad(struct svp_err *err, const char *name, long line, const char *field,
               const char *what)
{
    return svp_err_at(err, SVP_EINPUT, name, line, field, "%s", what);
}

static int parse_rule(const struct svp_csv_row *row, const char *name, struct rule *r,
                      struct svp_err *err)
{
    if (row->nfields < 5)
        return bad(err, name, row->line, "",
                   "a rule has five columns: role, agency, category, holder, condition");
    const char *role = row->fields[0].p, *ag = row->fields[1].p, *cat = row->fields[2].p,
               *holder = row->fields[3].p, *cond = row->fields[4].p;
    memset(r, 0, sizeof *r);
    if (!strcmp(role, "*")) {
        r->roles = ACCESS_ALL_ROLES & ~(unsigned)ACCESS_AUDITOR;
    } else {
        enum access_role ro;
        struct svp_err e2;
        if (access_role_parse(role, &ro, &e2) || ro == ACCESS_AUDITOR)
            return bad(err, name, row->line, "role",
                       "role must be practitioner, panel, analyst, administrator or *");
        r->roles = (unsigned)ro;
    }
    if (!strcmp(ag, "*"))
        r->agency = -1;
    else if ((r->agency = access_agency_index(ag)) == ACCESS_AGENCY_OTHER)
        return bad(err, name, row->line, "agency", "unknown agency (use an agency code or *)");
    if (!strcmp(cat, "*")) {
        r->cats = ACCESS_CAT_ALL;
    } else {
        int c = access_category_parse(cat);
        if (c < 0)
            return bad(err, name, row->line, "category",
                       "category must be ordinary, sexual_health, mental_health, "
                       "substance_misuse, da_victim, police_intel, youth_justice, "
                       "adult_safeguarding or *");
        r->cats = 1u << c;
    }
    if (!strcmp(holder, "*"))
        r->holder = HOLDER_ANY;
    else if (!strcmp(holder, "own"))
        r->holder = HOLDER_OWN;
    else if ((r->holder = access_agency_index(holder)) == ACCESS_AGENCY_OTHER)
        return bad(err, name, row->line, "holder", "holder must be an agency code, own or *");
    int c = -1;
    for (int i = 0; i < NCOND; i++)
        if (!strcmp(cond_names[i], cond))
            c = i;
    if (c < 0)
        return bad(err, name, row->line, "condition",
                   "condition must be always, shared, panel_list, open_plan or known");
    r->cond = (enum cond)c;
    return SVP_OK;
}

static int parse_cat(const struct svp_csv_row *row, const char *name, struct catrow *c,
                     struct svp_err *err)
{
    if (row->nfields < 4)
        return bad(err, name, row->line, "", "a row has kind, name, subtype and category");
    const char *kind = row->fields[0].p;
    memset(c, 0, sizeof *c);
    c->kind = !strcmp(kind, "event")          ? 'e'
              : !strcmp(kind, "indicator")    ? 'i'
              : !strcmp(kind, "plan")         ? 'p'
              : !strcmp(kind, "relationship") ? 'r'
                                              : 0;
    if (!c->kind)
        return bad(err, name, row->line, "kind",
                   "kind must be event, indicator, plan or relationship");
    if (!row->fields[1].len || row->fields[1].len >= sizeof c->name ||
        row->fields[2].len >= sizeof c->subtype)
        return bad(err, name, row->line, "name", "a name of 1 to 47 characters is needed");
    memcpy(c->name, row->fields[1].p, row->fields[1].len + 1);
    memcpy(c->subtype, row->fields[2].len ? row->fields[2].p : "*",
           row->fields[2].len ? row->fields[2].len + 1 : 2);
    c->cat = c->kind == 'p' ? 0 : access_category_parse(row->fields[3].p);
    if (c->cat < 0)
        return bad(err, name, row->line, "category", "unknown category");
    return SVP_OK;
}

/* Reads CSV text row by row after its header, skipping comments, into the policy. */
static int parse_csv(const char *text, size_t len, const char *name, bool rules,
                     struct access_policy *p, struct svp_err *err)
{
    struct svp_csv_opts o = {.max_field = 256, .max_fields = 16, .check_utf8 = true};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(text, len, &o, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row row;
    bool header = true;
    while (!rc && (rc = svp_csv_next(csv, &row, err)) == 1) {
        rc = SVP_OK;
        if (row.error) {
            rc = bad(err, name, row.line, "", row.error);
            break;
        }
        const char *f0 = row.nfields ? row.fields[0].p : "";
        if (f0[0] == '#' || (row.nfields == 1 && !*f0))
            continue;
        if (header) {
            header = false;
            if (strcmp(f0, rules ? "role" : "kind"))
                rc = bad(err, name, row.line, "",
                         rules ? "the header must be role,agency,category,holder,condition"
                               : "the header must be kind,name,subtype,category");
            continue;
        }
        if (rules) {
            if (p->nrules == MAX_RULES)
                rc = bad(err, name, row.line, "", "more than 256 rules");
            else if (!(rc = parse_rule(&row, name, &p->rules[p->nrules], err)))
                p->nrules++;
        } else {
            if (p->ncats == MAX_CATROWS)
                rc = bad(err, name, row.line, "", "more than 256 rows");
            else if (!(rc = parse_cat(&row, name, &p->cats[p->ncats], err)))
                p->ncats++;
        }
    }
    svp_csv_free(&csv);
    if (rc == 0 && header)
        rc = bad(err, name, 1, "", "the file is empty: a header row is needed");
    return rc < 0 ? rc : SVP_OK;
}

int access_policy_parse(const char *text, size_t len, const char *name,
                        struct access_policy **out, struct svp_err *err)
{
    *out = NULL;
    const struct svp_embedded *cats = svp_data_find("data-categories.csv");
    if (!cats)
        return svp_err_set(err, SVP_EINTERNAL, "data-categories.csv is not embedded");
    struct access_policy *p = svp_calloc(1, sizeof *p);
    if (!p)
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading the sharing rules");
    int rc = parse_csv(cats->data, cats->len, "data/data-categories.csv", false, p, err);
    if (!rc)
        rc = parse_csv(text, len, name, true, p, err);
    if (rc) {
        svp_free(p);
        return rc;
    }
    *out = p;
    return SVP_OK;
}

void access_policy_free(struct access_policy **p)
{
    if (p && *p) {
        svp_free(*p);
        *p = NULL;
    }
}

size_t access_policy_rules(const struct access_policy *p)
{
    return p ? p->nrules : 0;
}

int access_policy_text(struct store *s, char **out, const char **from, struct svp_err *err)
{
    *out = NULL;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT value FROM svp_meta WHERE key = '" META_KEY "'", &st, err);
    if (rc)
        return rc;
    rc = store_step(st, err);
    if (rc == STORE_ROW && store_column_text(st, 0)) {
        *out = svp_strdup(store_column_text(st, 0));
        *from = "database";
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (!*out) {
        const struct svp_embedded *e = svp_data_find("sharing.csv");
        if (!e)
            return svp_err_set(err, SVP_EINTERNAL, "sharing.csv is not embedded");
        *out = svp_strdup(e->data);
        *from = "data/sharing.csv";
    }
    return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
}

int access_policy_load(struct store *s, struct access_policy **out, struct svp_err *err)
{
    char *text = NULL;
    const char *from = NULL;
    int rc = access_policy_text(s, &text, &from, err);
    if (!rc)
        rc = access_policy_parse(text, strlen(text), from, out, err);
    svp_free(text);
    return rc;
}

int access_policy_store(struct store *s, const struct access_user *actor, const char *text,
                        size_t len, const char *name, struct svp_err *err)
{
    struct access_policy *p = NULL;
    int rc = access_policy_parse(text, len, name, &p, err);
    if (rc)
        return rc;
    char detail[128];
    snprintf(detail, sizeof detail, "sharing rules loaded from %s: %zu rules", name, p->nrules);
    access_policy_free(&p);
    if (memchr(text, '\0', len))
        return svp_err_set(err, SVP_EINPUT, "%s: the rules file holds a NUL byte", name);
    if ((rc = store_begin(s, err)))
        return rc;
    struct store_stmt *st = NULL;
    rc = store_prepare(s, "DELETE FROM svp_meta WHERE key = '" META_KEY "'", &st, err);
    if (!rc) {
        rc = store_step(st, err);
        store_finalize(&st);
    }
    if (rc >= 0)
        rc = store_prepare(s, "INSERT INTO svp_meta (key, value) VALUES ('" META_KEY "', ?)",
                           &st, err);
    if (rc >= 0) {
        rc = store_bind_text(st, 1, text, (long)len) ? SVP_ENOMEM : store_step(st, err);
        store_finalize(&st);
    }
    if (rc >= 0)
        rc = access_audit_in_tx(s, actor, "change", "sharing", NULL, detail, err);
    if (rc >= 0)
        rc = store_commit(s, err);
    if (rc < 0) {
        if (rc == SVP_ENOMEM)
            svp_err_set(err, rc, "out of memory storing the sharing rules");
        store_rollback(s);
        return rc;
    }
    return SVP_OK;
}

/* ------------------------------------------------------------------ categories */

int access_event_category(const struct access_policy *p, const char *type, const char *subtype)
{
    int any = ACCESS_CAT_ORDINARY;
    for (size_t i = 0; type && i < p->ncats; i++) {
        const struct catrow *c = &p->cats[i];
        if (c->kind != 'e' || strcmp(c->name, type))
            continue;
        if (subtype && !strcmp(c->subtype, subtype))
            return c->cat;
        if (!strcmp(c->subtype, "*"))
            any = c->cat;
    }
    return any;
}

int access_relationship_category(const struct access_policy *p, const char *kind)
{
    int any = ACCESS_CAT_ORDINARY;
    for (size_t i = 0; kind && i < p->ncats; i++) {
        const struct catrow *c = &p->cats[i];
        if (c->kind != 'r')
            continue;
        if (!strcmp(c->name, kind))
            return c->cat;
        if (!strcmp(c->name, "*"))
            any = c->cat;
    }
    return any;
}

int access_indicator_category(const struct access_policy *p, const char *indicator)
{
    for (size_t i = 0; indicator && i < p->ncats; i++)
        if (p->cats[i].kind == 'i' && !strcmp(p->cats[i].name, indicator))
            return p->cats[i].cat;
    return ACCESS_CAT_ORDINARY;
}

/* ------------------------------------------------------------------ the view */

bool access_view_allows(const struct access_view *v, const char *agency, int cat)
{
    if (v->whole)
        return true;
    if (cat < 0 || cat >= ACCESS_NCAT)
        return false;
    return (v->allow[access_agency_index(agency)] >> cat) & 1u;
}

/* Facts about the person that rule conditions ask, found only when a rule asks. */
struct facts {
    int64_t person_id, record_id; /* person 0: an unlinked record */
    int viewer;                   /* viewer's agency index */
    const char *viewer_agency;
    int known[NCOND]; /* -1 not looked up yet, 0 false, 1 true */
};

static int exists(struct store *s, const char *sql, int64_t id, const char *text,
                  const char *const *more, size_t nmore, bool *out, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    int k = 1;
    rc = store_bind_int64(st, k++, id);
    if (!rc && text)
        rc = store_bind_text(st, k++, text, -1);
    for (size_t i = 0; !rc && i < nmore; i++)
        rc = store_bind_text(st, k++, more[i], -1);
    if (rc) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    }
    rc = store_step(st, err);
    store_finalize(&st);
    if (rc < 0)
        return rc;
    *out = rc == STORE_ROW;
    return SVP_OK;
}

static int condition(struct store *s, const struct access_policy *p, struct facts *f,
                     unsigned holders, enum cond c, bool *out, struct svp_err *err)
{
    if (f->known[c] >= 0) {
        *out = f->known[c] == 1;
        return SVP_OK;
    }
    int rc = SVP_OK;
    bool v = false;
    switch (c) {
    case COND_ALWAYS:
        v = true;
        break;
    case COND_KNOWN:
        v = (holders >> f->viewer) & 1u;
        break;
    case COND_SHARED:
        if (f->person_id)
            rc = exists(s, "SELECT 1 FROM person_share WHERE person_id = ? AND agency = ?",
                        f->person_id, f->viewer_agency, NULL, 0, &v, err);
        break;
    case COND_PANEL_LIST:
        /* Unlinked panels list record ids in place of person ids. */
        rc = exists(s, "SELECT 1 FROM risk_snapshot_person WHERE person_id = ? AND snapshot_id "
                       "= (SELECT max(id) FROM risk_snapshot)",
                    f->person_id ? f->person_id : f->record_id, NULL, NULL, 0, &v, err);
        break;
    case COND_OPEN_PLAN: {
        const char *types[MAX_PLANS];
        size_t nt = 0;
        for (size_t i = 0; i < p->ncats && nt < MAX_PLANS; i++)
            if (p->cats[i].kind == 'p')
                types[nt++] = p->cats[i].name;
        if (!nt)
            break;
        char sql[1024];
        int n = snprintf(sql, sizeof sql,
                         f->person_id
                             ? "SELECT 1 FROM event e JOIN person_record pr ON pr.record_id = "
                               "e.record_id WHERE pr.person_id = ? AND e.agency = ? AND "
                               "e.ended_at IS NULL AND e.type IN (?"
                             : "SELECT 1 FROM event e WHERE e.record_id = ? AND e.agency = ? "
                               "AND e.ended_at IS NULL AND e.type IN (?");
        for (size_t i = 1; i < nt && n > 0 && (size_t)n < sizeof sql; i++)
            n += snprintf(sql + n, sizeof sql - (size_t)n, ", ?");
        if (n > 0 && (size_t)n < sizeof sql - 12)
            snprintf(sql + n, sizeof sql - (size_t)n, ") LIMIT 1");
        rc = exists(s, sql, f->person_id ? f->person_id : f->record_id, f->viewer_agency,
                    types, nt, &v, err);
        break;
    }
    case NCOND:
        break;
    }
    if (rc)
        return rc;
    f->known[c] = v ? 1 : 0;
    *out = v;
    return SVP_OK;
}

/* The agencies holding a record of the person (or the record's agency when unlinked);
 * 0 when there is no such person or record. Fills f's ids. */
static int holders_of(struct store *s, enum access_object kind, int64_t id, struct facts *f,
                      unsigned *holders, struct svp_err *err)
{
    *holders = 0;
    struct store_stmt *st = NULL;
    int rc;
    if (kind == ACCESS_OBJ_RECORD) {
        f->record_id = id;
        rc = store_prepare(s, "SELECT r.agency, pr.person_id FROM record r LEFT JOIN "
                              "person_record pr ON pr.record_id = r.id WHERE r.id = ?",
                           &st, err);
        if (rc)
            return rc;
        if (store_bind_int64(st, 1, id)) {
            store_finalize(&st);
            return svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
        }
        rc = store_step(st, err);
        if (rc == STORE_ROW) {
            *holders = 1u << access_agency_index(store_column_text(st, 0));
            f->person_id = store_column_is_null(st, 1) ? 0 : store_column_int64(st, 1);
        }
        store_finalize(&st);
        if (rc < 0)
            return rc;
        if (!f->person_id)
            return SVP_OK;
    } else {
        f->person_id = id;
    }
    rc = store_prepare(s, "SELECT DISTINCT r.agency FROM person_record pr JOIN record r ON "
                          "r.id = pr.record_id WHERE pr.person_id = ?",
                       &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, f->person_id)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    }
    while ((rc = store_step(st, err)) == STORE_ROW)
        *holders |= 1u << access_agency_index(store_column_text(st, 0));
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

bool access_policy_whole(const struct access_policy *p, const struct access_user *u)
{
    unsigned cats = 0;
    int ua = access_agency_index(u->agency);
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        if ((r->roles & (unsigned)u->role) && (r->agency < 0 || r->agency == ua) &&
            r->holder == HOLDER_ANY && r->cond == COND_ALWAYS)
            cats |= r->cats;
    }
    return cats == ACCESS_CAT_ALL;
}

int access_view_compute(struct store *s, const struct access_policy *p,
                        const struct access_user *u, enum access_object kind, int64_t id,
                        struct access_view *v, struct svp_err *err)
{
    memset(v, 0, sizeof *v);
    if (access_policy_whole(p, u)) {
        v->any = v->whole = true;
        v->why = "role sees all";
        for (int h = 0; h < ACCESS_NAGENCY; h++)
            v->allow[h] = ACCESS_CAT_ALL;
        return SVP_OK;
    }
    struct facts f = {.viewer = access_agency_index(u->agency), .viewer_agency = u->agency};
    for (int c = 0; c < NCOND; c++)
        f.known[c] = -1;
    unsigned holders;
    int rc = holders_of(s, kind, id, &f, &holders, err);
    if (rc || !holders)
        return rc;
    v->known_to = holders;
    /* Break glass: everything, while it lasts (audited when it was broken and on each view). */
    bool glass = false;
    rc = access_glass_active(s, u->id, f.person_id ? 'P' : 'R',
                             f.person_id ? f.person_id : f.record_id, &glass, err);
    if (rc)
        return rc;
    if (glass) {
        v->any = v->whole = true;
        v->why = "break glass";
        for (int h = 0; h < ACCESS_NAGENCY; h++)
            v->allow[h] = ACCESS_CAT_ALL;
        return SVP_OK;
    }
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        if (!(r->roles & (unsigned)u->role) || (r->agency >= 0 && r->agency != f.viewer))
            continue;
        unsigned targets = r->holder == HOLDER_ANY   ? (1u << ACCESS_NAGENCY) - 1
                           : r->holder == HOLDER_OWN ? 1u << f.viewer
                                                     : 1u << r->holder;
        if (!(targets & holders))
            continue; /* the rule is about agencies that hold nothing of this person */
        bool ok = false;
        if ((rc = condition(s, p, &f, holders, r->cond, &ok, err)))
            return rc;
        if (!ok)
            continue;
        for (int h = 0; h < ACCESS_NAGENCY; h++)
            if ((targets >> h) & 1u)
                v->allow[h] |= r->cats;
        if (!v->why || r->holder == HOLDER_OWN)
            v->why = r->holder == HOLDER_OWN ? "own agency's records" : cond_why[r->cond];
    }
    for (int h = 0; h < ACCESS_NAGENCY; h++)
        if (((holders >> h) & 1u) && v->allow[h])
            v->any = true;
    return SVP_OK;
}
