/* Subject access (UK GDPR article 15): everything svp holds about one person, each row as
 * it is stored with where it came from (source, agency, file, line), and who has seen them.
 * One JSON document; audited (the export names the person, so "who saw this child" finds
 * it too). */
#include "base/json.h"
#include "access_int.h"

#include <jansson.h>
#include <string.h>

/* What is held, table by table. {SET} is the person's records (each occurrence binds the
 * id once more). Values are given as stored, as text (NULL as null). */
static const struct {
    const char *name;
    const char *sql;
    bool person_only; /* only for a linked person (kind 'P') */
} sections[] = {
    {"records",
     "SELECT r.*, f.path AS source_file, f.imported_at AS source_file_imported_at "
     "FROM record r LEFT JOIN source_file f ON f.id = r.file_id WHERE r.id IN {SET} "
     "ORDER BY r.id",
     false},
    {"record_history",
     "SELECT h.*, f.path AS source_file FROM record_history h "
     "LEFT JOIN source_file f ON f.id = h.file_id WHERE h.record_id IN {SET} ORDER BY h.id",
     false},
    {"events",
     "SELECT e.*, f.path AS source_file, p.name AS place_name, p.postcode AS place_postcode "
     "FROM event e LEFT JOIN source_file f ON f.id = e.file_id "
     "LEFT JOIN place p ON p.id = e.place_id WHERE e.record_id IN {SET} "
     "ORDER BY e.started_at, e.id",
     false},
    {"event_history",
     "SELECT h.*, f.path AS source_file FROM event_history h "
     "LEFT JOIN source_file f ON f.id = h.file_id WHERE h.event_id IN "
     "(SELECT id FROM event WHERE record_id IN {SET}) ORDER BY h.id",
     false},
    {"relationships",
     "SELECT rel.*, f.path AS source_file FROM relationship rel "
     "LEFT JOIN source_file f ON f.id = rel.file_id "
     "WHERE rel.record_a IN {SET} OR rel.record_b IN {SET} ORDER BY rel.id",
     false},
    {"places",
     "SELECT p.id, p.name, p.postcode, p.lat, p.lon, p.area, p.kind FROM place p WHERE p.id IN "
     "(SELECT place_id FROM event WHERE record_id IN {SET}) ORDER BY p.id",
     false},
    {"link_decisions",
     "SELECT * FROM link_decision WHERE record_a IN {SET} OR record_b IN {SET} "
     "ORDER BY record_a, record_b",
     false},
    {"link_candidates",
     "SELECT * FROM link_pair WHERE record_a IN {SET} OR record_b IN {SET} "
     "ORDER BY record_a, record_b",
     false},
    {"link_events",
     "SELECT * FROM link_event WHERE person_id = ? OR other_person_id = ? ORDER BY id", true},
    {"shares", "SELECT * FROM person_share WHERE person_id = ? ORDER BY 1", true},
    {"panel_snapshots",
     "SELECT s.saved_at, s.as_of, sp.* FROM risk_snapshot_person sp "
     "JOIN risk_snapshot s ON s.id = sp.snapshot_id WHERE sp.person_id = ? "
     "ORDER BY sp.snapshot_id",
     true},
    {"panel_reasons",
     "SELECT * FROM risk_snapshot_reason WHERE person_id = ? ORDER BY snapshot_id, id", true},
    {"break_glass",
     "SELECT g.id, u.username, g.reason, g.reason_text, g.started_at, g.expires_at "
     "FROM break_glass g JOIN app_user u ON u.id = g.user_id WHERE g.person_id = ? "
     "AND g.kind = 'P' ORDER BY g.id",
     true},
};

static char *expand(const char *sql, char kind, int *nbind)
{
    const char *set = kind == 'P' ? "(SELECT record_id FROM person_record WHERE person_id = ?)"
                                  : "(SELECT id FROM record WHERE id = ?)";
    struct svp_buf b;
    svp_buf_init(&b, 1 << 16);
    *nbind = 0;
    for (const char *p = sql; *p;) {
        if (!strncmp(p, "{SET}", 5)) {
            if (svp_buf_puts(&b, set))
                break;
            (*nbind)++;
            p += 5;
            continue;
        }
        if (*p == '?')
            (*nbind)++;
        if (svp_buf_append(&b, p, 1))
            break;
        p++;
    }
    return svp_buf_take(&b);
}

static int section_json(struct store *s, const char *sql, char kind, int64_t id, json_t **out,
                        struct svp_err *err)
{
    int nbind;
    char *q = expand(sql, kind, &nbind);
    *out = json_array();
    if (!q || !*out) {
        svp_free(q);
        json_decref(*out);
        *out = NULL;
        return svp_err_set(err, SVP_ENOMEM, "out of memory exporting a person");
    }
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, q, &st, err);
    svp_free(q);
    for (int i = 1; !rc && i <= nbind; i++)
        if (store_bind_int64(st, i, id))
            rc = svp_err_set(err, SVP_EDB, "cannot bind the person's id");
    while (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        rc = SVP_OK;
        json_t *row = json_object();
        int nc = store_column_count(st);
        for (int c = 0; row && c < nc; c++) {
            const char *v = store_column_is_null(st, c) ? NULL : store_column_text(st, c);
            if (json_object_set_new(row, store_column_name(st, c),
                                    v ? json_string(v) : json_null())) {
                json_decref(row);
                row = NULL;
            }
        }
        if (!row || json_array_append_new(*out, row))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory exporting a person");
    }
    store_finalize(&st);
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
        return rc;
    }
    return SVP_OK;
}

/* Who has seen the person: every audit entry naming them (views, lists, refusals). */
static int seen_json(struct store *s, int64_t person_id, json_t **out, struct svp_err *err)
{
    struct access_audit_entry *es = NULL;
    size_t n = 0;
    int rc = access_audit_person(s, person_id, 0, 100000, &es, &n, err);
    if (rc)
        return rc;
    *out = json_array();
    for (size_t i = 0; *out && i < n; i++) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)es[i].id,
                              "at", es[i].at, "user", es[i].username, "action", es[i].action,
                              "object", es[i].object, "purpose", es[i].purpose, "detail",
                              es[i].detail);
        if (!o || json_array_append_new(*out, o)) {
            json_decref(*out);
            *out = NULL;
        }
    }
    svp_free(es);
    return *out ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory exporting a person");
}

int access_subject_export(struct store *s, const struct access_user *actor, char kind,
                          int64_t id, const char *reason, char **out, struct svp_err *err)
{
    *out = NULL;
    if (kind != 'P' && kind != 'R')
        return svp_err_set(err, SVP_EINTERNAL, "kind must be P or R");
    if (!reason || strlen(reason) < 10)
        return svp_err_at(err, SVP_EINPUT, "", 0, "reason",
                          "say why (at least 10 characters: e.g. the subject access request's "
                          "reference)");
    int64_t found = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, kind == 'P' ? "SELECT count(*) FROM person WHERE id = ?"
                                          : "SELECT count(*) FROM record WHERE id = ?",
                           &st, err);
    if (!rc && store_bind_int64(st, 1, id))
        rc = svp_err_set(err, SVP_EDB, "cannot bind the id");
    if (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        found = store_column_int64(st, 0);
        rc = SVP_OK;
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (!found)
        return svp_err_set(err, SVP_ENOTFOUND, "there is no %s %lld",
                           kind == 'P' ? "person" : "record", (long long)id);
    char now[32];
    access_now_iso(now, sizeof now);
    json_t *doc = json_pack("{s:s, s:s, s:I, s:s, s:s}", "subject",
                            kind == 'P' ? "person" : "record", "exported_at", now, "id",
                            (json_int_t)id, "reason", reason, "note",
                            "every row svp holds about this person, as stored, with its source "
                            "(source, agency, source_file, line); seen_by lists every audited "
                            "view, list, export and refusal that named them");
    rc = doc ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory exporting a person");
    size_t nrec = 0, nev = 0;
    for (size_t i = 0; !rc && i < sizeof sections / sizeof sections[0]; i++) {
        if (sections[i].person_only && kind != 'P')
            continue;
        json_t *arr = NULL;
        rc = section_json(s, sections[i].sql, kind, id, &arr, err);
        if (!rc) {
            if (!strcmp(sections[i].name, "records"))
                nrec = json_array_size(arr);
            if (!strcmp(sections[i].name, "events"))
                nev = json_array_size(arr);
            if (json_object_set_new(doc, sections[i].name, arr))
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory exporting a person");
        }
    }
    if (!rc && kind == 'P') {
        json_t *seen = NULL;
        rc = seen_json(s, id, &seen, err);
        if (!rc && json_object_set_new(doc, "seen_by", seen))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory exporting a person");
    }
    char *text = NULL;
    if (!rc) {
        text = svp_json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (!text)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory exporting a person");
    }
    json_decref(doc);
    if (!rc) {
        /* Audited before anything leaves svp; the entry names the person. */
        char object[48], detail[256], persons[48];
        snprintf(object, sizeof object, "%s:%lld", kind == 'P' ? "person" : "record",
                 (long long)id);
        snprintf(detail, sizeof detail, "subject access export: %zu records, %zu events; %s",
                 nrec, nev, reason);
        snprintf(persons, sizeof persons, ",%c%lld,", kind == 'P' ? 'p' : 'r', (long long)id);
        struct access_audit_item item = {actor, "export", object, NULL, detail, persons};
        rc = access_audit_many(s, &item, 1, err);
    }
    if (!rc) {
        size_t len = strlen(text);
        *out = svp_malloc(len + 2);
        if (!*out) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory exporting a person");
        } else {
            memcpy(*out, text, len);
            (*out)[len] = '\n';
            (*out)[len + 1] = '\0';
        }
    }
    free(text); /* jansson allocates with malloc */
    return rc;
}
