/* The generic register engine: validates entries against their schema and keeps them in
 * the register_entry table, fields as a JSON object. */
#include "base/json.h"
#include "registers.h"

#include <jansson.h>
#include <string.h>
#include <time.h>

static int field_index(const struct reg_schema *schema, const char *name)
{
    for (size_t i = 0; i < schema->nfields; i++)
        if (!strcmp(schema->fields[i].name, name))
            return (int)i;
    return -1;
}

int reg_entry_init(struct reg_entry *e, const struct reg_schema *schema, struct svp_err *err)
{
    memset(e, 0, sizeof *e);
    e->schema = schema;
    if (schema->nfields > REG_MAX_FIELDS)
        return svp_err_set(err, SVP_EINTERNAL, "register %s has too many fields", schema->name);
    for (size_t i = 0; i < schema->nfields; i++)
        if (schema->fields[i].def && !(e->values[i] = svp_strdup(schema->fields[i].def))) {
            reg_entry_clear(e);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
    return SVP_OK;
}

void reg_entry_clear(struct reg_entry *e)
{
    for (size_t i = 0; i < REG_MAX_FIELDS; i++) {
        svp_free(e->values[i]);
        e->values[i] = NULL;
    }
}

const char *reg_entry_get(const struct reg_entry *e, const char *field)
{
    int i = field_index(e->schema, field);
    return i < 0 ? NULL : e->values[i];
}

bool reg_entry_int(const struct reg_entry *e, const char *field, long *out)
{
    const char *v = reg_entry_get(e, field);
    int64_t n;
    if (!v || svp_parse_i64(v, &n))
        return false;
    *out = (long)n;
    return true;
}

const char *reg_entry_computed(const struct reg_entry *e, const char *name, char *buf, size_t cap)
{
    const struct reg_computed *c = reg_schema_computed(e->schema, name);
    if (!c || cap == 0)
        return NULL;
    buf[0] = 0;
    return c->fn(e, buf, cap) ? buf : NULL;
}

static bool is_choice(const char *choices, const char *v)
{
    size_t vl = strlen(v);
    for (const char *p = choices; *p;) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        if (l == vl && !memcmp(p, v, l))
            return true;
        p += l + (bar ? 1 : 0);
    }
    return false;
}

int reg_entry_set(struct reg_entry *e, const char *field, const char *value, struct svp_err *err)
{
    int i = field_index(e->schema, field);
    if (i < 0)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, field, "a %s has no field '%s'",
                          e->schema->title, field);
    const struct reg_field *f = &e->schema->fields[i];
    size_t len = value ? strlen(value) : 0;
    if (len > 0) {
        size_t bad;
        svp_day d;
        struct svp_err derr;
        if (!svp_utf8_valid(value, len, &bad))
            return svp_err_at(err, SVP_EINPUT, NULL, 0, field, "not valid UTF-8 at byte %zu", bad);
        if (f->type == REG_TEXT && len > f->max_len)
            return svp_err_at(err, SVP_EINPUT, NULL, 0, field, "longer than %zu bytes", f->max_len);
        if (f->type == REG_DATE && svp_date_parse_iso(value, len, &d, &derr))
            return svp_err_at(err, SVP_EINPUT, NULL, 0, field, "%s", derr.msg);
        if (f->type == REG_CHOICE && !is_choice(f->choices, value))
            return svp_err_at(err, SVP_EINPUT, NULL, 0, field, "'%.40s' is not one of %s", value,
                              f->choices);
        int64_t num;
        if (f->type == REG_INT && (svp_parse_i64(value, &num) || num < f->min || num > f->max))
            return svp_err_at(err, SVP_EINPUT, NULL, 0, field,
                              "'%.40s' is not a whole number from %ld to %ld", value, f->min,
                              f->max);
        if (f->type == REG_REF && len >= REG_REF_MAX)
            return svp_err_at(err, SVP_EINPUT, NULL, 0, field, "longer than %d bytes",
                              REG_REF_MAX - 1);
    }
    char *copy = NULL;
    if (len > 0 && !(copy = svp_strdup(value)))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    svp_free(e->values[i]);
    e->values[i] = copy;
    return SVP_OK;
}

int reg_entry_check(const struct reg_entry *e, struct svp_err *err)
{
    const struct reg_schema *sc = e->schema;
    for (size_t i = 0; i < sc->nfields; i++)
        if (sc->fields[i].required && !e->values[i])
            return svp_err_at(err, SVP_EINPUT, NULL, 0, sc->fields[i].name, "a %s needs a %s",
                              sc->title, sc->fields[i].name);
    for (size_t k = 0; k < sc->norder; k++) {
        const char *a = reg_entry_get(e, sc->order[k].earlier);
        const char *b = reg_entry_get(e, sc->order[k].later);
        /* ISO dates order as text */
        if (a && b && strcmp(a, b) > 0)
            return svp_err_at(err, SVP_EINPUT, NULL, 0, sc->order[k].later, "%s %s is before %s %s",
                              sc->order[k].later, b, sc->order[k].earlier, a);
    }
    return SVP_OK;
}

static bool ref_ok(const char *ref)
{
    size_t n = strlen(ref);
    if (n == 0 || n > 40)
        return false;
    for (const char *p = ref; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

/* The entry's values as a JSON object text (owned). */
static char *values_json(const struct reg_entry *e)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    for (size_t i = 0; i < e->schema->nfields; i++)
        if (e->values[i] &&
            json_object_set_new(o, e->schema->fields[i].name, json_string(e->values[i]))) {
            json_decref(o);
            return NULL;
        }
    char *js = svp_json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(o);
    if (!js)
        return NULL;
    char *out = svp_strdup(js);
    free(js); /* jansson's allocator */
    return out;
}

static int values_from_json(struct reg_entry *e, const char *text, struct svp_err *err)
{
    json_error_t jerr;
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(o)) {
        json_decref(o);
        return svp_err_set(err, SVP_EDB, "register entry %s holds bad data", e->ref);
    }
    int rc = SVP_OK;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        int i = field_index(e->schema, k);
        if (i < 0 || !json_is_string(v))
            continue; /* a field a later svp dropped: keep reading the rest */
        svp_free(e->values[i]);
        if (!(e->values[i] = svp_strdup(json_string_value(v)))) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
    }
    json_decref(o);
    return rc;
}

static void now_text(char *buf, size_t cap)
{
    svp_time_format((svp_time)time(NULL), buf, cap);
}

static int bind_fail(struct store_stmt **st, struct svp_err *err)
{
    store_finalize(st);
    return svp_err_set(err, SVP_ENOMEM, "out of memory binding a query");
}

/* Looks up (register, ref): id in *id (0 if absent). */
static int find_id(struct store *s, const char *reg, const char *ref, int64_t *id,
                   struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc =
        store_prepare(s, "SELECT id FROM register_entry WHERE register = ? AND ref = ?", &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, reg, -1) || store_bind_text(st, 2, ref, -1))
        return bind_fail(&st, err);
    *id = 0;
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        *id = store_column_int64(st, 0);
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

static int count_children(struct store *s, const char *reg, int64_t parent, int64_t *n,
                          struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(
        s, "SELECT count(*) FROM register_entry WHERE register = ? AND parent_id = ?", &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, reg, -1) || store_bind_int64(st, 2, parent))
        return bind_fail(&st, err);
    rc = store_step(st, err);
    *n = rc == STORE_ROW ? store_column_int64(st, 0) : 0;
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

static int insert_entry(struct store *s, struct reg_entry *e, struct svp_err *err)
{
    char *data = values_json(e);
    if (!data)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "INSERT INTO register_entry (register, ref, parent_id, data, "
                           "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                           &st, err);
    if (rc == SVP_OK) {
        if (store_bind_text(st, 1, e->schema->name, -1) || store_bind_text(st, 2, e->ref, -1) ||
            (e->parent_id ? store_bind_int64(st, 3, e->parent_id) : store_bind_null(st, 3)) ||
            store_bind_text(st, 4, data, -1) || store_bind_text(st, 5, e->created_at, -1) ||
            store_bind_text(st, 6, e->updated_at, -1))
            rc = bind_fail(&st, err);
        else
            rc = store_step(st, err) < 0 ? err->code : SVP_OK;
        store_finalize(&st);
    }
    svp_free(data);
    if (rc == SVP_OK)
        rc = find_id(s, e->schema->name, e->ref, &e->id, err);
    return rc;
}

/* The parent register and ref parent_ref names for schema: "REG:REF" for any register
 * schema->parent lists, a bare REF for the first. reg (cap bytes) gets the register. */
static int parent_of(const struct reg_schema *sc, const char *parent_ref, char *reg, size_t cap,
                     const char **ref, struct svp_err *err)
{
    const char *colon = strchr(parent_ref, ':');
    size_t first = strcspn(sc->parent, "|");
    if (colon && strchr(sc->parent, '|')) {
        char name[48];
        snprintf(name, sizeof name, "%.*s", (int)(colon - parent_ref), parent_ref);
        if (!reg_schema_has_parent(sc, name))
            return svp_err_at(err, SVP_EINPUT, NULL, 0, "parent",
                              "a %s belongs to a %s, not a '%.40s'", sc->title, sc->parent, name);
        svp_strlcpy(reg, name, cap);
        *ref = colon + 1;
        return SVP_OK;
    }
    snprintf(reg, cap, "%.*s", (int)first, sc->parent);
    *ref = parent_ref;
    return SVP_OK;
}

/* Fields naming an entry of another register: each must exist. */
static int check_refs(struct store *s, const struct reg_entry *e, struct svp_err *err)
{
    for (size_t i = 0; i < e->schema->nfields; i++) {
        const struct reg_field *f = &e->schema->fields[i];
        if (f->type != REG_REF || !e->values[i])
            continue;
        int64_t id = 0;
        int rc = find_id(s, f->choices, e->values[i], &id, err);
        if (rc)
            return rc;
        if (!id)
            return svp_err_at(err, SVP_EINPUT, NULL, 0, f->name, "no %s '%.60s'", f->choices,
                              e->values[i]);
    }
    return e->schema->check ? e->schema->check(s, e, err) : SVP_OK;
}

/* Keeps the entry as it now is in its history. */
static int keep_history(struct store *s, const struct reg_entry *e, const char *change,
                        const char *actor, struct svp_err *err)
{
    char *data = values_json(e);
    if (!data)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "INSERT INTO register_history (entry_id, register, ref, change, data, "
                           "changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           &st, err);
    if (rc == SVP_OK) {
        if (store_bind_int64(st, 1, e->id) || store_bind_text(st, 2, e->schema->name, -1) ||
            store_bind_text(st, 3, e->ref, -1) || store_bind_text(st, 4, change, -1) ||
            store_bind_text(st, 5, data, -1) ||
            store_bind_text(st, 6, actor && *actor ? actor : "svp", -1) ||
            store_bind_text(st, 7, e->updated_at, -1))
            rc = bind_fail(&st, err);
        else
            rc = store_step(st, err) < 0 ? err->code : SVP_OK;
        store_finalize(&st);
    }
    svp_free(data);
    return rc;
}

static int add_in_tx(struct store *s, struct reg_entry *e, const char *parent_ref,
                     struct svp_err *err)
{
    const struct reg_schema *sc = e->schema;
    int64_t existing = 0;
    int rc;
    if (sc->parent) {
        if (!parent_ref || !*parent_ref)
            return svp_err_at(err, SVP_EINPUT, NULL, 0, "parent", "a %s belongs to a %s: name it",
                              sc->title, sc->parent);
        char preg[48];
        const char *pref = NULL;
        if ((rc = parent_of(sc, parent_ref, preg, sizeof preg, &pref, err)))
            return rc;
        if ((rc = find_id(s, preg, pref, &e->parent_id, err)))
            return rc;
        if (!e->parent_id)
            return svp_err_at(err, SVP_ENOTFOUND, NULL, 0, "parent", "no %s '%.60s'", preg, pref);
        int64_t n;
        if ((rc = count_children(s, sc->name, e->parent_id, &n, err)))
            return rc;
        if ((size_t)snprintf(e->ref, sizeof e->ref, "%s/%s%lld", parent_ref, sc->ref_prefix,
                             (long long)n + 1) >= sizeof e->ref)
            return svp_err_set(err, SVP_EINPUT, "the reference would be too long");
    } else if (!ref_ok(e->ref)) {
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "ref",
                          "'%.60s' is not a reference: 1-40 letters, digits, '-', '_' or '.'",
                          e->ref);
    }
    if ((rc = find_id(s, sc->name, e->ref, &existing, err)))
        return rc;
    if (existing)
        return svp_err_at(err, SVP_ECONFLICT, NULL, 0, "ref", "%s %s already exists", sc->title,
                          e->ref);
    if ((rc = check_refs(s, e, err)))
        return rc;
    return insert_entry(s, e, err);
}

int reg_add(struct store *s, struct reg_entry *e, const char *parent_ref, struct svp_err *err)
{
    return reg_add_as(s, e, parent_ref, NULL, NULL, NULL, err);
}

int reg_add_also(struct store *s, struct reg_entry *e, const char *parent_ref,
                 int (*also)(struct store *s, const struct reg_entry *e, void *ctx,
                             struct svp_err *err),
                 void *ctx, struct svp_err *err)
{
    return reg_add_as(s, e, parent_ref, NULL, also, ctx, err);
}

int reg_add_as(struct store *s, struct reg_entry *e, const char *parent_ref, const char *actor,
               int (*also)(struct store *s, const struct reg_entry *e, void *ctx,
                           struct svp_err *err),
               void *ctx, struct svp_err *err)
{
    int rc = reg_entry_check(e, err);
    if (rc)
        return rc;
    now_text(e->created_at, sizeof e->created_at);
    svp_strlcpy(e->updated_at, e->created_at, sizeof e->updated_at);
    if ((rc = store_begin(s, err)))
        return rc;
    rc = add_in_tx(s, e, parent_ref, err);
    if (rc == SVP_OK)
        rc = keep_history(s, e, "added", actor, err);
    if (rc == SVP_OK && also)
        rc = also(s, e, ctx, err);
    if (rc == SVP_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    if (rc)
        e->id = 0;
    return rc;
}

static const char select_cols[] =
    "SELECT id, ref, parent_id, data, created_at, updated_at FROM register_entry ";

static int read_row(struct store_stmt *st, const struct reg_schema *schema, struct reg_entry *e,
                    struct svp_err *err)
{
    int rc = reg_entry_init(e, schema, err);
    if (rc)
        return rc;
    /* Stored values replace the defaults; a field the entry was stored without keeps its
     * default (a field added to the schema later, e.g. a recommendation's state). Every
     * field with a default is required, so a stored entry lacks one only then. */
    e->id = store_column_int64(st, 0);
    svp_strlcpy(e->ref, store_column_text(st, 1) ? store_column_text(st, 1) : "", sizeof e->ref);
    e->parent_id = store_column_int64(st, 2);
    svp_strlcpy(e->created_at, store_column_text(st, 4) ? store_column_text(st, 4) : "",
                sizeof e->created_at);
    svp_strlcpy(e->updated_at, store_column_text(st, 5) ? store_column_text(st, 5) : "",
                sizeof e->updated_at);
    const char *data = store_column_text(st, 3);
    rc = values_from_json(e, data ? data : "{}", err);
    if (rc)
        reg_entry_clear(e);
    return rc;
}

int reg_get(struct store *s, const struct reg_schema *schema, const char *ref,
            struct reg_entry *out, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    char sql[256];
    snprintf(sql, sizeof sql, "%sWHERE register = ? AND ref = ?", select_cols);
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, schema->name, -1) || store_bind_text(st, 2, ref, -1))
        return bind_fail(&st, err);
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        rc = read_row(st, schema, out, err);
    else if (rc == STORE_DONE)
        rc = svp_err_set(err, SVP_ENOTFOUND, "no %s '%.60s'", schema->title, ref);
    store_finalize(&st);
    return rc;
}

static int update_in_tx(struct store *s, const struct reg_schema *schema, const char *ref,
                        const struct reg_change *changes, size_t n, struct reg_entry *e,
                        struct svp_err *err)
{
    int rc = reg_get(s, schema, ref, e, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < n && rc == SVP_OK; i++)
        rc = reg_entry_set(e, changes[i].field, changes[i].value, err);
    if (rc == SVP_OK)
        rc = reg_entry_check(e, err);
    if (rc == SVP_OK)
        rc = check_refs(s, e, err);
    char *data = rc == SVP_OK ? values_json(e) : NULL;
    if (rc == SVP_OK && !data)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (rc == SVP_OK) {
        now_text(e->updated_at, sizeof e->updated_at);
        struct store_stmt *st = NULL;
        rc = store_prepare(s, "UPDATE register_entry SET data = ?, updated_at = ? WHERE id = ?",
                           &st, err);
        if (rc == SVP_OK) {
            if (store_bind_text(st, 1, data, -1) || store_bind_text(st, 2, e->updated_at, -1) ||
                store_bind_int64(st, 3, e->id))
                rc = bind_fail(&st, err);
            else
                rc = store_step(st, err) < 0 ? err->code : SVP_OK;
            store_finalize(&st);
        }
    }
    svp_free(data);
    if (rc)
        reg_entry_clear(e);
    return rc;
}

int reg_update(struct store *s, const struct reg_schema *schema, const char *ref,
               const struct reg_change *changes, size_t n, struct reg_entry *out,
               struct svp_err *err)
{
    return reg_update_also(s, schema, ref, changes, n, out, NULL, NULL, err);
}

int reg_update_also(struct store *s, const struct reg_schema *schema, const char *ref,
                    const struct reg_change *changes, size_t n, struct reg_entry *out,
                    int (*also)(struct store *s, const struct reg_entry *e, void *ctx,
                                struct svp_err *err),
                    void *ctx, struct svp_err *err)
{
    return reg_update_as(s, schema, ref, changes, n, out, NULL, also, ctx, err);
}

int reg_update_as(struct store *s, const struct reg_schema *schema, const char *ref,
                  const struct reg_change *changes, size_t n, struct reg_entry *out,
                  const char *actor,
                  int (*also)(struct store *s, const struct reg_entry *e, void *ctx,
                              struct svp_err *err),
                  void *ctx, struct svp_err *err)
{
    struct reg_entry e;
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    rc = update_in_tx(s, schema, ref, changes, n, &e, err);
    bool filled = rc == SVP_OK; /* e holds the updated entry */
    if (rc == SVP_OK)
        rc = keep_history(s, &e, "updated", actor, err);
    if (rc == SVP_OK && also)
        rc = also(s, &e, ctx, err);
    if (rc == SVP_OK)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    if (rc == SVP_OK && out)
        *out = e;
    else if (filled)
        reg_entry_clear(&e);
    return rc;
}

void reg_entries_free(struct reg_entry **v, size_t n)
{
    if (!v || !*v)
        return;
    for (size_t i = 0; i < n; i++)
        reg_entry_clear(&(*v)[i]);
    svp_free(*v);
    *v = NULL;
}

int reg_list(struct store *s, const struct reg_schema *schema, int64_t parent_id,
             struct reg_entry **out, size_t *n, struct svp_err *err)
{
    char sql[256];
    /* top-level entries by their reference; children in the order they were added */
    snprintf(sql, sizeof sql, "%sWHERE register = ?%s", select_cols,
             parent_id ? " AND parent_id = ? ORDER BY id" : " ORDER BY ref");
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, schema->name, -1) ||
        (parent_id && store_bind_int64(st, 2, parent_id)))
        return bind_fail(&st, err);
    struct reg_entry *v = NULL;
    size_t k = 0, cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct reg_entry *nv = svp_grow(v, &cap, k + 1, sizeof *nv, 16);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory listing %s", schema->name);
            break;
        }
        v = nv;
        if ((rc = read_row(st, schema, &v[k], err)))
            break;
        k++;
    }
    store_finalize(&st);
    if (rc < 0) {
        reg_entries_free(&v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return SVP_OK;
}

int reg_get_id(struct store *s, int64_t id, struct reg_entry *out, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    char sql[256];
    snprintf(sql, sizeof sql, "%sWHERE id = ?", select_cols);
    /* the register's name first, to know the schema */
    int rc = store_prepare(s, "SELECT register FROM register_entry WHERE id = ?", &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, id))
        return bind_fail(&st, err);
    const struct reg_schema *schema = NULL;
    rc = store_step(st, err);
    if (rc == STORE_ROW && store_column_text(st, 0))
        schema = reg_schema_find(store_column_text(st, 0));
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (!schema)
        return svp_err_set(err, SVP_ENOTFOUND, "no register entry %lld", (long long)id);
    if ((rc = store_prepare(s, sql, &st, err)))
        return rc;
    if (store_bind_int64(st, 1, id))
        return bind_fail(&st, err);
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        rc = read_row(st, schema, out, err);
    else if (rc == STORE_DONE)
        rc = svp_err_set(err, SVP_ENOTFOUND, "no register entry %lld", (long long)id);
    store_finalize(&st);
    return rc;
}

void reg_history_free(struct reg_history_row **v, size_t n)
{
    if (!v || !*v)
        return;
    for (size_t i = 0; i < n; i++)
        svp_free((*v)[i].data);
    svp_free(*v);
    *v = NULL;
}

int reg_history(struct store *s, const struct reg_schema *schema, const char *ref,
                struct reg_history_row **out, size_t *n, struct svp_err *err)
{
    int64_t id = 0;
    int rc = find_id(s, schema->name, ref, &id, err);
    if (rc)
        return rc;
    if (!id)
        return svp_err_set(err, SVP_ENOTFOUND, "no %s '%.60s'", schema->title, ref);
    struct store_stmt *st = NULL;
    if ((rc = store_prepare(s,
                            "SELECT change, changed_by, changed_at, data FROM register_history "
                            "WHERE entry_id = ? ORDER BY id",
                            &st, err)))
        return rc;
    if (store_bind_int64(st, 1, id))
        return bind_fail(&st, err);
    struct reg_history_row *v = NULL;
    size_t k = 0, cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct reg_history_row *nv = svp_grow(v, &cap, k + 1, sizeof *nv, 8);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading history");
            break;
        }
        v = nv;
        memset(&v[k], 0, sizeof v[k]);
        const char *c = store_column_text(st, 0), *b = store_column_text(st, 1),
                   *a = store_column_text(st, 2), *d = store_column_text(st, 3);
        svp_strlcpy(v[k].change, c ? c : "", sizeof v[k].change);
        svp_strlcpy(v[k].by, b ? b : "", sizeof v[k].by);
        svp_strlcpy(v[k].at, a ? a : "", sizeof v[k].at);
        if (!(v[k].data = svp_strdup(d ? d : "{}"))) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading history");
            break;
        }
        k++;
    }
    store_finalize(&st);
    if (rc < 0) {
        reg_history_free(&v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return SVP_OK;
}
