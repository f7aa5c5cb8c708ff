/* The partnership's registers in the browser: every register the registers room describes
 * (schemas, entries with a filter, add, update, history, export) and the annual report's
 * figures, as `svp register` gives them. None holds personal data (the panel's registers,
 * which do, are refused here: they have their own pages), so reads are not audited as
 * views of it; every change is audited as a change in the same transaction, and recorded in
 * the entry's history with the user's name. Only the roles a schema names may change it. */
#include "base/xlsx.h"
#include "http_int.h"
#include "registers/figures.h"
#include "registers/registers.h"

#include <string.h>

/* The register the request names (?register= or the body's), or NULL after a 400/404. */
static const struct reg_schema *named(struct http_req *req, const char *name)
{
    if (!name || !*name) {
        http_reply_error(req, 400, "register", "name a register");
        return NULL;
    }
    const struct reg_schema *sc = reg_schema_find(name);
    if (!sc || !strncmp(sc->name, "panel_", 6)) {
        http_reply_error(req, 404, "register", "no register '%.40s'", name);
        return NULL;
    }
    return sc;
}

static const struct reg_schema *query_schema(struct http_req *req)
{
    const char *name = NULL;
    if (!http_req_query(req, "register", 40, &name))
        return NULL;
    return named(req, name);
}

/* True if the signed-in user's role is one of those the schema names. */
static bool may_change(const struct http_req *req, const struct reg_schema *sc)
{
    const char *role = access_role_name(req->session.user.role);
    const char *roles = sc->roles ? sc->roles : "administrator";
    size_t l = strlen(role);
    for (const char *p = roles; *p;) {
        size_t k = strcspn(p, " ");
        if (k == l && !memcmp(p, role, l))
            return true;
        p += k;
        while (*p == ' ')
            p++;
    }
    return false;
}

static const char *type_name(enum reg_type t)
{
    static const char *const names[] = {"text", "date", "choice", "integer", "ref"};
    return names[t];
}

static json_t *schema_json(const struct http_req *req, const struct reg_schema *sc)
{
    json_t *fields = json_array(), *computed = json_array();
    for (size_t i = 0; fields && i < sc->nfields; i++) {
        const struct reg_field *f = &sc->fields[i];
        json_t *o = json_pack("{s:s, s:s, s:b, s:s?, s:s?, s:s}", "name", f->name, "type",
                              type_name(f->type), "required", f->required, "choices",
                              f->type == REG_CHOICE ? f->choices : NULL, "default", f->def, "help",
                              f->help);
        if (o && f->type == REG_INT) {
            json_object_set_new(o, "min", json_integer(f->min));
            json_object_set_new(o, "max", json_integer(f->max));
        }
        if (o && f->type == REG_REF)
            json_object_set_new(o, "refers", json_string(f->choices));
        if (!o || json_array_append_new(fields, o)) {
            json_decref(fields);
            fields = NULL;
        }
    }
    for (size_t i = 0; computed && i < sc->ncomputed; i++)
        if (json_array_append_new(computed, json_pack("{s:s, s:s}", "name", sc->computed[i].name,
                                                      "help", sc->computed[i].help))) {
            json_decref(computed);
            computed = NULL;
        }
    if (!fields || !computed) {
        json_decref(fields);
        json_decref(computed);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:b, s:o, s:o}", "name", sc->name, "title",
                     sc->title, "parent", sc->parent, "group", sc->group ? sc->group : sc->name,
                     "roles", sc->roles ? sc->roles : "administrator", "can_change",
                     may_change(req, sc), "fields", fields, "computed", computed);
}

void api_registers_schemas(struct http_req *req)
{
    json_t *items = json_array();
    const struct reg_schema *sc;
    for (size_t i = 0; items && (sc = reg_schema_at(i)); i++) {
        if (!strncmp(sc->name, "panel_", 6))
            continue;
        json_t *o = schema_json(req, sc);
        if (!o || json_array_append_new(items, o)) {
            json_decref(items);
            items = NULL;
        }
    }
    http_reply_json(req, 200, items ? json_pack("{s:o}", "registers", items) : NULL);
}

/* The parent as reg_add takes it: a bare ref for the schema's first parent register. */
static void parent_text(const struct reg_schema *sc, const struct reg_entry *p, char *buf,
                        size_t cap)
{
    size_t first = strcspn(sc->parent, "|");
    if (strlen(p->schema->name) == first && !strncmp(p->schema->name, sc->parent, first))
        snprintf(buf, cap, "%s", p->ref);
    else
        snprintf(buf, cap, "%s:%s", p->schema->name, p->ref);
}

static json_t *entry_json(struct http_req *req, const struct reg_entry *e,
                          const struct clock_list *clocks, struct svp_err *err)
{
    const struct reg_schema *sc = e->schema;
    json_t *fields = json_object(), *computed = json_object(), *cl = json_array();
    bool ok = fields && computed && cl;
    for (size_t i = 0; ok && i < sc->nfields; i++)
        ok = !json_object_set_new(fields, sc->fields[i].name,
                                  e->values[i] ? json_string(e->values[i]) : json_null());
    for (size_t i = 0; ok && i < sc->ncomputed; i++) {
        char buf[64];
        const char *v = reg_entry_computed(e, sc->computed[i].name, buf, sizeof buf);
        ok = !json_object_set_new(computed, sc->computed[i].name, v ? json_string(v) : json_null());
    }
    for (size_t k = 0; ok && clocks && k < clocks->n; k++) {
        const struct clock_item *it = &clocks->v[k];
        if (it->source_id != e->id)
            continue;
        char due[12] = "";
        if (it->due.set)
            svp_date_format(it->due.day, due, sizeof due);
        ok = !json_array_append_new(cl, json_pack("{s:s, s:s, s:s, s:s}", "rule", it->rule->id,
                                                  "times", it->rule->times, "due", due, "state",
                                                  clock_state_name(it->state)));
    }
    char parent[REG_REF_MAX + 32] = "";
    if (ok && sc->parent && e->parent_id) {
        struct reg_entry p;
        if (reg_get_id(req->db, e->parent_id, &p, err))
            ok = false;
        else {
            parent_text(sc, &p, parent, sizeof parent);
            reg_entry_clear(&p);
        }
    }
    json_t *o =
        ok ? json_pack("{s:s, s:s?, s:s, s:s, s:o, s:o, s:o}", "ref", e->ref, "parent",
                       sc->parent ? parent : NULL, "created_at", e->created_at, "updated_at",
                       e->updated_at, "fields", fields, "computed", computed, "clocks", cl)
           : NULL;
    if (!o) {
        if (!ok) {
            json_decref(fields);
            json_decref(computed);
            json_decref(cl);
        }
        if (!err->code)
            svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    return o;
}

/* Case-insensitive: does any field hold q? */
static bool matches_text(const struct reg_entry *e, const char *q)
{
    if (!q || !*q)
        return true;
    if (strcasestr(e->ref, q))
        return true;
    for (size_t i = 0; i < e->schema->nfields; i++)
        if (e->values[i] && strcasestr(e->values[i], q))
            return true;
    return false;
}

void api_registers_entries(struct http_req *req)
{
    const struct reg_schema *sc = query_schema(req);
    const char *parent = NULL, *q = NULL, *field = NULL, *value = NULL;
    if (!sc || !http_req_query(req, "parent", REG_REF_MAX + 32, &parent) ||
        !http_req_query(req, "q", 200, &q) || !http_req_query(req, "field", 40, &field) ||
        !http_req_query(req, "value", 200, &value))
        return;
    if (field && *field && !reg_schema_field(sc, field)) {
        http_reply_error(req, 400, "field", "a %s has no field '%.40s'", sc->title, field);
        return;
    }
    struct svp_err err;
    svp_err_clear(&err);
    int64_t pid = 0;
    int rc = SVP_OK;
    if (parent && *parent) {
        if (!sc->parent) {
            http_reply_error(req, 400, "parent", "a %s has no parent", sc->title);
            return;
        }
        char reg[48];
        const char *pref = parent, *colon = strchr(parent, ':');
        if (colon) {
            snprintf(reg, sizeof reg, "%.*s", (int)(colon - parent), parent);
            pref = colon + 1;
        } else {
            snprintf(reg, sizeof reg, "%.*s", (int)strcspn(sc->parent, "|"), sc->parent);
        }
        const struct reg_schema *ps = reg_schema_find(reg);
        struct reg_entry p;
        if (!ps || !reg_schema_has_parent(sc, reg)) {
            http_reply_error(req, 400, "parent", "a %s has no parent '%.40s'", sc->title, reg);
            return;
        }
        if ((rc = reg_get(req->db, ps, pref, &p, &err))) {
            http_reply_status(req, &err);
            return;
        }
        pid = p.id;
        reg_entry_clear(&p);
    }
    struct clock_rules *rules = NULL;
    struct svp_calendar *cal = NULL;
    struct clock_list clocks = {0};
    struct clock_query cq = {.as_of = svp_date_today()};
    struct reg_entry *v = NULL;
    size_t n = 0;
    rc = clock_rules_load(NULL, &rules, &err);
    if (!rc)
        rc = clock_calendar_load(req->db, &cal, &err);
    if (!rc)
        rc = reg_register_clocks(req->db, cal, rules, &cq, sc->name, NULL, &clocks, &err);
    if (!rc)
        rc = reg_list(req->db, sc, pid, &v, &n, &err);
    json_t *items = rc ? NULL : json_array();
    if (!rc && !items)
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    size_t shown = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if (!matches_text(&v[i], q))
            continue;
        if (field && *field) {
            const char *fv = reg_entry_get(&v[i], field);
            if (!(fv ? value && !strcmp(fv, value) : !value || !*value))
                continue;
        }
        if (++shown > 2000)
            continue; /* the list says how many matched; the first 2000 are sent */
        json_t *o = entry_json(req, &v[i], &clocks, &err);
        if (!o || json_array_append_new(items, o))
            rc = err.code ? err.code : svp_err_set(&err, SVP_ENOMEM, "out of memory");
    }
    reg_entries_free(&v, n);
    clock_list_free(&clocks);
    svp_calendar_free(&cal);
    clock_rules_free(&rules);
    if (rc) {
        json_decref(items);
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:s, s:o, s:I, s:b}", "register", sc->name, "items", items,
                              "matched", (json_int_t)shown, "can_change", may_change(req, sc)));
}

/* The body's "fields" as changes (borrowed from body); 400 replied on a bad one. */
static bool body_changes(struct http_req *req, json_t *fields, struct reg_change *ch, size_t *n)
{
    const char *key;
    json_t *v;
    *n = 0;
    json_object_foreach(fields, key, v)
    {
        if (*n >= REG_MAX_FIELDS) {
            http_reply_error(req, 400, key, "too many fields");
            return false;
        }
        if (!json_is_string(v) && !json_is_null(v)) {
            http_reply_error(req, 400, key, "must be a string (or null to clear)");
            return false;
        }
        ch[(*n)++] = (struct reg_change){key, json_is_string(v) ? json_string_value(v) : NULL};
    }
    return true;
}

static const struct http_field write_fields[] = {
    {"register", JSON_STRING, true, 40},
    {"ref", JSON_STRING, false, REG_REF_MAX - 1},
    {"parent", JSON_STRING, false, REG_REF_MAX + 31},
    {"fields", JSON_OBJECT, true, 0},
    {NULL, 0, false, 0},
};

/* The schema of a write, its role checked: NULL after a 4xx. */
static const struct reg_schema *write_schema(struct http_req *req, json_t *body)
{
    const struct reg_schema *sc = named(req, json_string_value(json_object_get(body, "register")));
    if (sc && !may_change(req, sc)) {
        http_reply_error(req, 403, "register", "the %s register is changed by: %s", sc->title,
                         sc->roles ? sc->roles : "administrator");
        return NULL;
    }
    return sc;
}

/* A write's body, its register's schema (the role checked) and its field changes (ch, n;
 * ch holds REG_MAX_FIELDS): NULL after a 4xx, *body then freed. */
static const struct reg_schema *write_prelude(struct http_req *req, json_t **body,
                                              struct reg_change *ch, size_t *n)
{
    *body = http_req_json(req, write_fields);
    if (!*body)
        return NULL;
    const struct reg_schema *sc = write_schema(req, *body);
    if (!sc || !body_changes(req, json_object_get(*body, "fields"), ch, n)) {
        json_decref(*body);
        *body = NULL;
        return NULL;
    }
    return sc;
}

void api_registers_add(struct http_req *req)
{
    json_t *body = NULL;
    struct reg_change ch[REG_MAX_FIELDS];
    size_t n = 0;
    const struct reg_schema *sc = write_prelude(req, &body, ch, &n);
    if (!sc)
        return;
    const char *ref = json_string_value(json_object_get(body, "ref"));
    const char *parent = json_string_value(json_object_get(body, "parent"));
    struct reg_entry e;
    struct svp_err err;
    svp_err_clear(&err);
    int rc = reg_entry_init(&e, sc, &err);
    if (!rc && !sc->parent && (!ref || !*ref))
        rc = svp_err_at(&err, SVP_EINPUT, NULL, 0, "ref", "a %s needs a reference", sc->title);
    if (!rc && sc->parent && (!parent || !*parent))
        rc = svp_err_at(&err, SVP_EINPUT, NULL, 0, "parent", "a %s belongs to a %s: name it",
                        sc->title, sc->parent);
    if (!rc && ref && !sc->parent)
        svp_strlcpy(e.ref, ref, sizeof e.ref);
    for (size_t i = 0; !rc && i < n; i++)
        rc = reg_entry_set(&e, ch[i].field, ch[i].value, &err);
    char detail[80];
    snprintf(detail, sizeof detail, "%s added", sc->title);
    if (!rc) /* the audit entry in the same transaction: nothing stored without it */
        rc = reg_add_as(req->db, &e, parent, req->session.user.username, http_reg_audit,
                        &(struct http_reg_audit){req, detail}, &err);
    json_t *out = rc ? NULL : json_pack("{s:s, s:s}", "register", sc->name, "ref", e.ref);
    reg_entry_clear(&e);
    json_decref(body);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 201, out);
}

void api_registers_update(struct http_req *req)
{
    json_t *body = NULL;
    struct reg_change ch[REG_MAX_FIELDS];
    size_t n = 0;
    const struct reg_schema *sc = write_prelude(req, &body, ch, &n);
    if (!sc)
        return;
    const char *ref = json_string_value(json_object_get(body, "ref"));
    struct svp_err err;
    svp_err_clear(&err);
    char detail[80];
    snprintf(detail, sizeof detail, "%s updated", sc->title);
    int rc = !ref || !*ref ? svp_err_at(&err, SVP_EINPUT, NULL, 0, "ref", "name the entry")
             : n == 0      ? svp_err_at(&err, SVP_EINPUT, NULL, 0, "fields", "nothing to change")
                      : reg_update_as(req->db, sc, ref, ch, n, NULL, req->session.user.username,
                                      http_reg_audit, &(struct http_reg_audit){req, detail}, &err);
    json_t *out = rc ? NULL : json_pack("{s:s, s:s}", "register", sc->name, "ref", ref);
    json_decref(body);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200, out);
}

void api_registers_history(struct http_req *req)
{
    const struct reg_schema *sc = query_schema(req);
    const char *ref = NULL;
    if (!sc || !http_req_query(req, "ref", REG_REF_MAX + 32, &ref))
        return;
    if (!ref || !*ref) {
        http_reply_error(req, 400, "ref", "name the entry");
        return;
    }
    struct reg_history_row *h = NULL;
    size_t n = 0;
    struct svp_err err;
    int rc = reg_history(req->db, sc, ref, &h, &n, &err);
    json_t *items = rc ? NULL : json_array();
    for (size_t i = 0; items && i < n; i++) {
        json_error_t jerr;
        json_t *data = json_loads(h[i].data, 0, &jerr);
        if (!data ||
            json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:o}", "change", h[i].change,
                                                   "by", h[i].by, "at", h[i].at, "fields", data))) {
            json_decref(items);
            items = NULL;
        }
    }
    reg_history_free(&h, n);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(
        req, 200,
        items ? json_pack("{s:s, s:s, s:o}", "register", sc->name, "ref", ref, "history", items)
              : NULL);
}

struct xlsx_ctx {
    const struct reg_table *t;
    const struct reg_schema *sc;
};

static void fill(lxw_workbook *wb, lxw_format *bold, void *vctx)
{
    const struct xlsx_ctx *x = vctx;
    lxw_worksheet *ws = svp_xlsx_sheet(wb, x->sc->name);
    if (!ws)
        return;
    svp_xlsx_header(ws, bold, (const char *const *)x->t->cells, (int)x->t->ncols);
    for (size_t r = 1; r < x->t->nrows; r++)
        for (size_t c = 0; c < x->t->ncols; c++)
            if (*x->t->cells[r * x->t->ncols + c])
                worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c,
                                       x->t->cells[r * x->t->ncols + c], NULL);
}

void api_registers_export(struct http_req *req)
{
    const struct reg_schema *sc = query_schema(req);
    if (!sc)
        return;
    struct reg_table t;
    struct svp_err err;
    char *bytes = NULL;
    size_t len = 0;
    int rc = reg_table_build(req->db, sc, &t, &err);
    bool built = rc == SVP_OK;
    if (!rc)
        rc = svp_xlsx_bytes(sc->title, fill, &(struct xlsx_ctx){&t, sc}, &bytes, &len, &err);
    if (built)
        reg_table_free(&t);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    req->reply_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    http_reply_text(req, 200, bytes, len);
}

/* ------------------------------------------------------------------ figures */

static json_t *rate(double r)
{
    return r < 0 ? json_null() : json_real(r);
}

static int fig_training(struct http_req *req, const char *from, const char *to, json_t *out,
                        struct svp_err *err)
{
    for (int by_agency = 0; by_agency < 2; by_agency++) {
        struct reg_training_row *rows = NULL;
        size_t n = 0;
        int rc = by_agency ? reg_fig_training_by_agency(req->db, from, to, &rows, &n, err)
                           : reg_fig_training_by_course(req->db, from, to, &rows, &n, err);
        if (rc)
            return rc;
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++)
            if (json_array_append_new(
                    a,
                    json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "key", rows[i].key,
                              "ref", rows[i].ref, "sessions", (json_int_t)rows[i].sessions,
                              "attendees", (json_int_t)rows[i].attendees, "capacity",
                              (json_int_t)rows[i].capacity, "booked", (json_int_t)rows[i].booked,
                              "no_shows", (json_int_t)rows[i].no_shows, "fill", rate(rows[i].fill),
                              "share", rate(rows[i].share)))) {
                json_decref(a);
                a = NULL;
            }
        svp_free(rows);
        if (!a ||
            json_object_set_new(out, by_agency ? "training_by_agency" : "training_by_course", a))
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    return SVP_OK;
}

static int fig_rest(struct http_req *req, const char *from, const char *to, const char *year,
                    svp_day as_of, json_t *out, struct svp_err *err)
{
    struct reg_distance_row *d = NULL;
    size_t n = 0;
    int rc = reg_fig_distance(req->db, from, to, &d, &n, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(
                a, json_pack(
                       "{s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "course",
                       d[i].course, "outcome", d[i].outcome, "attended", (json_int_t)d[i].attended,
                       "returns", (json_int_t)d[i].returns, "increased", (json_int_t)d[i].increased,
                       "return_rate", rate(d[i].return_rate), "before", rate(d[i].before), "after",
                       rate(d[i].after), "change",
                       d[i].returns ? json_real(d[i].change) : json_null(), "follow_up_change",
                       d[i].change_follow_up < 0 && d[i].returns == 0
                           ? json_null()
                           : json_real(d[i].change_follow_up),
                       "rating", rate(d[i].rating)))) {
            json_decref(a);
            a = NULL;
        }
    svp_free(d);
    if (!a || json_object_set_new(out, "distance", a))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");

    struct reg_return_row *r = NULL;
    if ((rc = reg_fig_returns(req->db, year, &r, &n, err)))
        return rc;
    a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(
                a, json_pack("{s:s, s:s, s:I, s:I, s:I, s:o}", "kind", r[i].kind, "sector",
                             r[i].sector, "total", (json_int_t)r[i].total, "returned",
                             (json_int_t)r[i].returned, "challenged", (json_int_t)r[i].challenged,
                             "rate", rate(r[i].rate)))) {
            json_decref(a);
            a = NULL;
        }
    svp_free(r);
    if (!a || json_object_set_new(out, "returns", a))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");

    struct reg_open_rec *o = NULL;
    if ((rc = reg_fig_open_recommendations(req->db, NULL, as_of, &o, &n, err)))
        return rc;
    a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(
                a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "parent_register",
                             o[i].parent_register, "parent_ref", o[i].parent_ref, "parent_title",
                             o[i].parent_title, "ref", o[i].ref, "text", o[i].text, "course",
                             o[i].course, "actions_open", (json_int_t)o[i].actions_open,
                             "actions_overdue", (json_int_t)o[i].actions_overdue))) {
            json_decref(a);
            a = NULL;
        }
    svp_free(o);
    if (!a || json_object_set_new(out, "open_recommendations", a))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");

    struct reg_cdop_figs c;
    if ((rc = reg_fig_cdop(req->db, from, to, &c, err)))
        return rc;
    if (json_object_set_new(
            out, "cdop",
            json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "notifications",
                      (json_int_t)c.notifications, "unexpected", (json_int_t)c.unexpected,
                      "expected", (json_int_t)c.expected, "under_1_notified",
                      (json_int_t)c.under_1_notified, "reviewed", (json_int_t)c.reviewed,
                      "modifiable", (json_int_t)c.modifiable, "under_1_reviewed",
                      (json_int_t)c.under_1_reviewed, "awaiting_review",
                      (json_int_t)c.awaiting_review, "modifiable_rate", rate(c.modifiable_rate),
                      "under_1_rate", rate(c.under_1_rate))))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");

    struct reg_heatmap h;
    if ((rc = reg_fig_risk_heatmap(req->db, false, &h, err)))
        return rc;
    json_t *grid = json_array();
    for (int l = 0; grid && l < 5; l++) {
        json_t *row = json_array();
        for (int i = 0; row && i < 5; i++)
            if (json_array_append_new(row, json_integer(h.cell[l][i]))) {
                json_decref(row);
                row = NULL;
            }
        if (!row || json_array_append_new(grid, row)) {
            json_decref(grid);
            grid = NULL;
        }
    }
    if (!grid || json_object_set_new(out, "risk_heatmap", grid))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    return SVP_OK;
}

static int fig_challenges(struct http_req *req, const char *from, const char *to, svp_day as_of,
                          json_t *out, struct svp_err *err)
{
    struct svp_calendar *cal = NULL;
    struct reg_challenge_figs f;
    int rc = clock_calendar_load(req->db, &cal, err);
    if (!rc)
        rc = reg_fig_challenges(req->db, cal, from, to, as_of, &f, err);
    svp_calendar_free(&cal);
    if (rc)
        return rc;
    const struct {
        const char *name;
        const struct reg_count_row *v;
        size_t n;
    } lists[] = {{"themes", f.themes, f.nthemes},
                 {"outcomes", f.outcomes, f.noutcomes},
                 {"agencies", f.agencies, f.nagencies}};
    json_t *o = json_pack("{s:I}", "total", (json_int_t)f.total);
    for (size_t k = 0; o && k < 3; k++) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < lists[k].n; i++) {
            const struct reg_count_row *r = &lists[k].v[i];
            if (json_array_append_new(
                    a, json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "key", r->key, "n",
                                 (json_int_t)r->n, "responded", (json_int_t)r->responded, "stages",
                                 (json_int_t)r->stages, "stages_late", (json_int_t)r->stages_late,
                                 "mean_days",
                                 r->responded && r->mean_days >= 0 ? json_real(r->mean_days)
                                                                   : json_null()))) {
                json_decref(a);
                a = NULL;
            }
        }
        if (!a || json_object_set_new(o, lists[k].name, a)) {
            json_decref(o);
            o = NULL;
        }
    }
    reg_challenge_figs_free(&f);
    if (!o || json_object_set_new(out, "challenges", o))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    return SVP_OK;
}

void api_registers_figures(struct http_req *req)
{
    const char *from = NULL, *to = NULL, *year = NULL, *as_of_text = NULL;
    if (!http_req_query(req, "from", 10, &from) || !http_req_query(req, "to", 10, &to) ||
        !http_req_query(req, "year", 9, &year) || !http_req_query(req, "as_of", 10, &as_of_text))
        return;
    struct svp_err err;
    svp_day d, as_of = svp_date_today();
    const char *names[] = {"from", "to", "as_of"}, *vals[] = {from, to, as_of_text};
    for (int i = 0; i < 3; i++)
        if (vals[i] && *vals[i] && svp_date_parse_iso(vals[i], strlen(vals[i]), &d, &err)) {
            http_reply_error(req, 400, names[i], "%s", err.msg);
            return;
        }
    if (as_of_text && *as_of_text && svp_date_parse_iso(as_of_text, 10, &as_of, &err)) {
        http_reply_error(req, 400, "as_of", "%s", err.msg);
        return;
    }
    from = from && *from ? from : NULL;
    to = to && *to ? to : NULL;
    year = year && *year ? year : NULL;
    json_t *out = json_object();
    int rc = out ? fig_training(req, from, to, out, &err)
                 : svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (!rc)
        rc = fig_rest(req, from, to, year, as_of, out, &err);
    if (!rc)
        rc = fig_challenges(req, from, to, as_of, out, &err);
    if (rc) {
        json_decref(out);
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200, out);
}
