/* Persons-as-recorded: search, a person's page with the multi-agency chronology. */
#include "http_int.h"
#include "people/people.h"

#include <string.h>

/* Fills a JSON record, pseudonymised when the decision says so: names become the keyed
 * pseudonym, the date of birth its year, the postcode its outward code, the agency's own
 * id is withheld. */
static json_t *record_json(struct http_req *req, const struct people_record *r)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int rc = json_object_set_new(o, "id", json_integer(r->id)) |
             json_object_set_new(o, "person_id", r->person_id ? json_integer(r->person_id)
                                                              : json_null()) |
             json_object_set_new(o, "agency", json_string(r->agency ? r->agency : "")) |
             json_object_set_new(o, "source", json_string(r->source ? r->source : "")) |
             json_object_set_new(o, "sex", r->sex ? json_string(r->sex) : json_null()) |
             json_object_set_new(o, "area", r->area ? json_string(r->area) : json_null()) |
             json_object_set_new(o, "role", r->role ? json_string(r->role) : json_null());
    if (req->decision.pseudonymise) {
        char pseudo[32], year[8] = "", outward[8] = "";
        struct svp_err err;
        if (access_pseudonym(req->db, 'R', r->id, pseudo, sizeof pseudo, &err)) {
            json_decref(o);
            return NULL;
        }
        if (r->dob)
            svp_strlcpy(year, r->dob, 5);
        if (r->postcode) {
            const char *sp = strchr(r->postcode, ' ');
            size_t n = sp ? (size_t)(sp - r->postcode) : 0;
            if (n > 0 && n < sizeof outward) {
                memcpy(outward, r->postcode, n);
                outward[n] = '\0';
            }
        }
        rc |= json_object_set_new(o, "pseudonymised", json_true()) |
              json_object_set_new(o, "name", json_string(pseudo)) |
              json_object_set_new(o, "given_name", json_null()) |
              json_object_set_new(o, "family_name", json_null()) |
              json_object_set_new(o, "agency_record_id", json_null()) |
              json_object_set_new(o, "dob", *year ? json_string(year) : json_null()) |
              json_object_set_new(o, "postcode", *outward ? json_string(outward) : json_null());
    } else {
        char name[256];
        snprintf(name, sizeof name, "%s %s", r->given_name ? r->given_name : "",
                 r->family_name ? r->family_name : "");
        rc |= json_object_set_new(o, "pseudonymised", json_false()) |
              json_object_set_new(o, "name", json_string(name)) |
              json_object_set_new(o, "given_name",
                                  r->given_name ? json_string(r->given_name) : json_null()) |
              json_object_set_new(o, "family_name",
                                  r->family_name ? json_string(r->family_name) : json_null()) |
              json_object_set_new(o, "agency_record_id", json_string(r->agency_record_id
                                                                         ? r->agency_record_id
                                                                         : "")) |
              json_object_set_new(o, "dob", r->dob ? json_string(r->dob) : json_null()) |
              json_object_set_new(o, "postcode",
                                  r->postcode ? json_string(r->postcode) : json_null());
    }
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *event_json(struct http_req *req, const struct people_event *e)
{
    bool pseudo = req->decision.pseudonymise;
    json_t *detail = NULL;
    if (e->detail && !pseudo)
        detail = json_loads(e->detail, JSON_REJECT_DUPLICATES, NULL);
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s?, s:s?, s:o?, s:s?, s:I}", "id",
                     (json_int_t)e->id, "record_id", (json_int_t)e->record_id, "agency",
                     e->agency ? e->agency : "", "source", e->source ? e->source : "", "type",
                     e->type ? e->type : "", "subtype", e->subtype, "started_at",
                     e->started_at ? e->started_at : "", "ended_at", e->ended_at, "place",
                     pseudo ? NULL : e->place, "detail", detail, "file",
                     pseudo ? NULL : e->file, "line", (json_int_t)e->line);
}

void api_persons_search(struct http_req *req)
{
    const char *q = NULL, *agency = NULL;
    int64_t limit, offset;
    if (!http_req_query(req, "q", 200, &q) || !http_req_query(req, "agency", 32, &agency) ||
        !http_req_query_int(req, "limit", 1, 200, 50, &limit) ||
        !http_req_query_int(req, "offset", 0, 1000000, 0, &offset))
        return;
    struct svp_err err;
    if (agency && *agency && access_agency_check(agency, &err)) {
        http_reply_status(req, &err);
        return;
    }
    struct people_search ps = {.query = q ? q : "", .agency = agency,
                               .scope_agency = req->decision.scope_agency[0]
                                                   ? req->decision.scope_agency
                                                   : NULL,
                               .limit = (size_t)limit, .offset = (size_t)offset};
    struct people_record *rs;
    size_t n;
    int64_t total;
    if (people_search(req->db, req->arena, &ps, &rs, &n, &total, &err)) {
        http_reply_status(req, &err);
        return;
    }
    char detail[256];
    snprintf(detail, sizeof detail, "q=%s agency=%s: %lld found", q ? q : "",
             agency ? agency : "", (long long)total);
    if (!http_audit(req, "search", "persons", detail))
        return;
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        if (json_array_append_new(items, record_json(req, &rs[i]))) {
            json_decref(items);
            items = NULL;
        }
    http_reply_json(req, 200, items ? json_pack("{s:o, s:I, s:I, s:I, s:b}", "items", items,
                                                "total", (json_int_t)total, "limit",
                                                (json_int_t)limit, "offset", (json_int_t)offset,
                                                "pseudonymised", req->decision.pseudonymise)
                                    : NULL);
}

/* Renders the page as JSON text (owned, svp_malloc) or NULL when out of memory. */
static char *person_text(struct http_req *req, int64_t person_id, struct people_record *rs,
                         size_t nr, struct people_event *es, size_t ne, size_t *len)
{
    json_t *records = json_array(), *events = json_array();
    bool ok = records && events;
    for (size_t i = 0; ok && i < nr; i++)
        ok = json_array_append_new(records, record_json(req, &rs[i])) == 0;
    for (size_t i = 0; ok && i < ne; i++)
        ok = json_array_append_new(events, event_json(req, &es[i])) == 0;
    if (!ok) {
        json_decref(records);
        json_decref(events);
        return NULL;
    }
    json_t *page = json_pack("{s:I, s:o, s:o, s:b}", "person_id",
                             (json_int_t)(person_id ? person_id : rs[0].person_id), "records",
                             records, "chronology", events, "pseudonymised",
                             req->decision.pseudonymise);
    char *dumped = page ? json_dumps(page, JSON_COMPACT) : NULL;
    json_decref(page);
    char *out = dumped ? svp_strdup(dumped) : NULL;
    free(dumped); /* jansson allocates with malloc */
    if (out)
        *len = strlen(out);
    return out;
}

/* The page is rendered once per data version and pseudonymisation and then reused: the
 * authorisation check and the audit entry still happen on every request, before anything
 * is shown. */
static void person_page(struct http_req *req, int64_t person_id, int64_t record_id)
{
    struct svp_err err;
    int64_t version;
    if (http_data_version(req, &version, &err)) {
        http_reply_status(req, &err);
        return;
    }
    char obj[64], key[128];
    snprintf(obj, sizeof obj, "%s:%lld", person_id ? "person" : "record",
             (long long)(person_id ? person_id : record_id));
    snprintf(key, sizeof key, "%s|%d|%lld", obj, req->decision.pseudonymise ? 1 : 0,
             (long long)version);
    const char *what = req->decision.pseudonymise ? "chronology (pseudonymised)" : "chronology";
    size_t len = 0;
    char *text = http_text_get(req->srv, key, &len, NULL);
    if (!text) {
        struct people_record *rs;
        struct people_event *es;
        size_t nr, ne;
        if (people_get(req->db, req->arena, person_id, record_id, &rs, &nr, &es, &ne, &err)) {
            http_reply_status(req, &err);
            return;
        }
        text = person_text(req, person_id, rs, nr, es, ne, &len);
        if (!text) {
            http_reply_json(req, 500, NULL);
            return;
        }
        http_text_put(req->srv, key, text, len, 0);
    }
    if (!http_audit(req, "view", obj, what)) {
        svp_free(text);
        return;
    }
    http_reply_text(req, 200, text, len);
}

void api_person_get(struct http_req *req)
{
    person_page(req, req->id, 0);
}

void api_record_get(struct http_req *req)
{
    person_page(req, 0, req->id);
}

void api_person_share(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"agency", JSON_STRING, true, 32},
        {"reason", JSON_STRING, true, 250},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    struct svp_err err;
    struct people_record *rs;
    struct people_event *es;
    size_t nr, ne;
    int rc = people_get(req->db, req->arena, req->id, 0, &rs, &nr, &es, &ne, &err);
    if (!rc && strlen(json_string_value(json_object_get(body, "reason"))) < 10)
        rc = svp_err_at(&err, SVP_EINPUT, "", 0, "reason", "say why in at least 10 characters");
    if (!rc)
        rc = access_share_person(req->db, &req->session.user, req->id,
                                 json_string_value(json_object_get(body, "agency")),
                                 json_string_value(json_object_get(body, "reason")), &err);
    json_decref(body);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:b}", "shared", 1));
}
