/* Persons-as-recorded: search, a person's page with the multi-agency chronology. */
#include "http_int.h"
#include "people/people.h"

#include <string.h>
#include <time.h>

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
        /* One pseudonym per person (all their records carry it, so rows of one child can
         * be counted as one), and no raw id anywhere. */
        char pseudo[32], year[8] = "", outward[8] = "";
        struct svp_err err;
        if (access_pseudonym(req->db, r->person_id ? 'P' : 'R',
                             r->person_id ? r->person_id : r->id, pseudo, sizeof pseudo, &err)) {
            json_decref(o);
            return NULL;
        }
        rc |= json_object_set_new(o, "id", json_null()) |
              json_object_set_new(o, "person_id", json_string(pseudo));
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
    if (e->detail && !pseudo) {
        json_error_t je;
        unsigned long failures = svp_mem_failures();
        detail = json_loads(e->detail, JSON_REJECT_DUPLICATES, &je);
        if (!detail && (json_error_code(&je) == json_error_out_of_memory ||
                        svp_mem_failures() != failures))
            return NULL; /* an error, not an event shown without its detail */
    }
    if (pseudo)
        return json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s?}", "agency", e->agency ? e->agency : "", "source",
                         e->source ? e->source : "", "type", e->type ? e->type : "", "subtype",
                         e->subtype, "started_at", e->started_at ? e->started_at : "",
                         "ended_at", e->ended_at);
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
    /* A query of only wildcards or punctuation ("%", "_") would match everyone: it must
     * hold a letter or digit (LIKE wildcards are matched as text, never as patterns). */
    if (q && *q) {
        bool word = false;
        for (const unsigned char *c = (const unsigned char *)q; *c && !word; c++)
            word = *c >= 0x80 || (*c >= '0' && *c <= '9') || ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z');
        if (!word) {
            http_reply_error(req, 400, "q", "a search needs a letter or digit");
            return;
        }
    }
    /* Pseudonymised data cannot be searched by what it hides: a name or an agency's id
     * would re-identify the person beside their pseudonym. */
    if (req->decision.pseudonymise && q && *q) {
        req->decision.status = 403;
        svp_strlcpy(req->decision.reason,
                    "pseudonymised users cannot search by name or agency id; browse without "
                    "a query",
                    sizeof req->decision.reason);
        http_audit_refusal(req);
        if (!req->reply)
            http_reply_error(req, 403, "q", "%s", req->decision.reason);
        return;
    }
    /* The page of results is kept per viewer, query and data version (each record in it
     * passed this viewer's check at that version); the audit entry, with whom it showed,
     * is written for every request. Kept as "detail\0seen\0json". */
    char what[600], key[640];
    size_t kept_len = 0;
    snprintf(what, sizeof what, "persons|%lld|%d|%s|%s|%s|%s|%lld|%lld",
             (long long)req->session.user.id, (int)req->session.user.role,
             req->session.user.agency, req->purpose ? req->purpose : "", q ? q : "",
             agency ? agency : "", (long long)limit, (long long)offset);
    char *kept = http_shared_get(req, what, key, sizeof key, &kept_len);
    if (kept) {
        const char *k_detail = kept;
        const char *k_seen = k_detail + strlen(k_detail) + 1;
        char *k_json = (char *)k_seen + strlen(k_seen) + 1;
        size_t json_len = kept_len - (size_t)(k_json - kept);
        http_req_db_done(req);
        if (!http_audit_seen(req, "search", "persons", k_detail, *k_seen ? k_seen : NULL)) {
            svp_free(kept);
            return;
        }
        memmove(kept, k_json, json_len + 1);
        http_reply_text(req, 200, kept, json_len);
        return;
    }
    struct people_search ps = {.query = q ? q : "", .agency = agency,
                               .scope_agency = req->decision.scope_agency[0]
                                                   ? req->decision.scope_agency
                                                   : NULL,
                               .limit = (size_t)limit, .offset = (size_t)offset};
    struct people_record *rs = NULL;
    size_t n = 0;
    int64_t total = 0;
    bool total_more = false;
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    int rc = SVP_OK;
    if (!req->decision.scope_agency[0]) {
        /* Whole view: every match may be shown; the database counts and pages. */
        rc = people_search(req->db, req->arena, &ps, &rs, &n, &total, &err);
        for (size_t i = 0; !rc && i < n; i++)
            if (http_seen_add(&seen, rs[i].person_id ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
                              rs[i].person_id ? rs[i].person_id : rs[i].id))
                rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    } else {
        /* Each record through the one check: a record is listed, and counted, only when
         * the rules let this user see something its agency holds about that person; so
         * the total and the pages count only what this user may see (a total of every
         * agency's matches would say how many records others hold). At most SCAN_MAX
         * candidates are checked; beyond that the total is a lower bound. */
        enum { SCAN_CHUNK = 200, SCAN_MAX = 4000 };
        rs = svp_arena_alloc(req->arena, (size_t)limit * sizeof *rs);
        if (!rs)
            rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
        int64_t last_pid = -1;
        bool last_ok = false;
        struct access_decision d;
        for (size_t from = 0; !rc; from += SCAN_CHUNK) {
            if (from >= SCAN_MAX) {
                total_more = true;
                break;
            }
            struct people_search chunk = ps;
            chunk.offset = from;
            chunk.limit = SCAN_CHUNK;
            struct people_record *cs;
            size_t cn;
            int64_t ctotal;
            rc = people_search(req->db, req->arena, &chunk, &cs, &cn, &ctotal, &err);
            for (size_t i = 0; !rc && i < cn; i++) {
                int64_t pid = cs[i].person_id;
                if (!pid || pid != last_pid) { /* records come grouped by name: reuse */
                    rc = http_check_person(req, pid ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
                                           pid ? pid : cs[i].id, &d, &err);
                    last_pid = pid ? pid : -1;
                    last_ok = !rc && d.allowed;
                }
                bool keep = !rc && last_ok && d.view.allow[access_agency_index(cs[i].agency)];
                if (!keep)
                    continue;
                if (total >= offset && n < (size_t)limit) {
                    rs[n++] = cs[i];
                    if (http_seen_add(&seen, pid ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
                                      pid ? pid : cs[i].id))
                        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
                }
                total++;
            }
            if (!rc && cn < SCAN_CHUNK)
                break;
        }
    }
    if (rc) {
        svp_buf_free(&seen);
        http_reply_status(req, &err);
        return;
    }
    size_t shown = n;
    char detail[256];
    snprintf(detail, sizeof detail, "q=%s agency=%s: %lld found, %zu shown", q ? q : "",
             agency ? agency : "", (long long)total, shown);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        if (json_array_append_new(items, record_json(req, &rs[i]))) {
            json_decref(items);
            items = NULL;
        }
    json_t *page = items ? json_pack("{s:o, s:I, s:b, s:I, s:I, s:b}", "items", items, "total",
                                     (json_int_t)total, "total_at_least", total_more, "limit",
                                     (json_int_t)limit, "offset", (json_int_t)offset,
                                     "pseudonymised", req->decision.pseudonymise)
                         : NULL;
    char *text = page ? http_json_text(page) : NULL;
    json_decref(page);
    if (!text) {
        svp_buf_free(&seen);
        http_reply_json(req, 500, NULL);
        return;
    }
    size_t dlen = strlen(detail), slen = seen.data ? seen.len : 0, tlen = strlen(text);
    char *blob = key[0] ? svp_malloc(dlen + slen + tlen + 3) : NULL;
    if (blob) {
        memcpy(blob, detail, dlen + 1);
        if (slen)
            memcpy(blob + dlen + 1, seen.data, slen);
        blob[dlen + 1 + slen] = '\0';
        memcpy(blob + dlen + slen + 2, text, tlen + 1);
        http_text_put(req->srv, key, blob, dlen + slen + 2 + tlen, 0);
        svp_free(blob);
    }
    http_req_db_done(req);
    bool audited = http_audit_seen(req, "search", "persons", detail, seen.data);
    svp_buf_free(&seen);
    char *out = audited ? svp_strdup(text) : NULL;
    free(text); /* jansson allocates with malloc */
    if (!audited)
        return;
    if (!out) {
        http_reply_json(req, 500, NULL);
        return;
    }
    http_reply_text(req, 200, out, tlen);
}

/* The agencies that hold a record of the person, for the "known to" line: the agencies
 * are shown even where nothing they hold may be, so that the line prompts a conversation. */
static json_t *known_to_json(const struct access_view *v, const struct people_record *rs,
                             size_t nr)
{
    unsigned bits = v->known_to;
    for (size_t i = 0; i < nr; i++)
        bits |= 1u << access_agency_index(rs[i].agency);
    json_t *a = json_array();
    for (int h = 0; a && h < ACCESS_NAGENCY; h++)
        if ((bits >> h) & 1u) {
            json_t *o = json_pack("{s:s, s:b}", "agency", access_agency_name(h), "shown",
                                  v->whole || v->allow[h] != 0);
            if (!o || json_array_append_new(a, o)) {
                json_decref(a);
                return NULL;
            }
        }
    return a;
}

/* Renders the page as JSON text (owned, svp_malloc) or NULL when out of memory: only the
 * records and events the decision's view allows, and the "known to" line. */
static char *person_text(struct http_req *req, int64_t person_id, struct people_record *rs,
                         size_t nr, struct people_event *es, size_t ne, size_t *len,
                         size_t *shown)
{
    const struct access_view *v = &req->decision.view;
    json_t *records = json_array(), *events = json_array();
    bool ok = records && events;
    *shown = 0;
    for (size_t i = 0; ok && i < nr; i++)
        if (v->whole || v->allow[access_agency_index(rs[i].agency)])
            ok = json_array_append_new(records, record_json(req, &rs[i])) == 0;
    for (size_t i = 0; ok && i < ne; i++) {
        int cat = access_event_category(req->policy, es[i].type, es[i].subtype);
        if (!access_view_allows(v, es[i].agency, cat))
            continue;
        json_t *e = event_json(req, &es[i]);
        ok = e && json_object_set_new(e, "category", json_string(access_category_name(cat))) == 0 &&
             json_array_append_new(events, e) == 0;
        (*shown)++;
    }
    json_t *known = ok ? known_to_json(v, rs, nr) : NULL;
    if (!ok || !known) {
        json_decref(records);
        json_decref(events);
        json_decref(known);
        return NULL;
    }
    json_t *pid = json_integer((json_int_t)(person_id ? person_id : rs[0].person_id));
    if (req->decision.pseudonymise) {
        char pseudo[32];
        struct svp_err err;
        json_decref(pid);
        pid = access_pseudonym(req->db, person_id || rs[0].person_id ? 'P' : 'R',
                               person_id     ? person_id
                               : rs[0].person_id ? rs[0].person_id
                                                 : rs[0].id,
                               pseudo, sizeof pseudo, &err)
                  ? NULL
                  : json_string(pseudo);
    }
    json_t *page = json_pack("{s:o, s:o, s:o, s:o, s:b, s:I, s:s}", "person_id", pid, "records",
                             records, "chronology", events, "known_to", known, "pseudonymised",
                             req->decision.pseudonymise, "withheld_events",
                             (json_int_t)(ne - *shown), "access", v->why ? v->why : "");
    char *dumped = http_json_text(page);
    json_decref(page);
    char *out = dumped ? svp_strdup(dumped) : NULL;
    free(dumped); /* jansson allocates with malloc */
    if (out)
        *len = strlen(out);
    return out;
}

/* The page is rendered once per data version, pseudonymisation and view and then reused:
 * the authorisation check and the audit entry still happen on every request, before
 * anything is shown. */
static void person_page(struct http_req *req, int64_t person_id, int64_t record_id)
{
    struct svp_err err;
    int64_t version;
    if (http_data_version(req, &version, &err)) {
        http_reply_status(req, &err);
        return;
    }
    const struct access_view *v = &req->decision.view;
    char obj[64], key[256], allow[3 * ACCESS_NAGENCY + 1] = "";
    for (int h = 0; h < ACCESS_NAGENCY; h++)
        snprintf(allow + 2 * h, sizeof allow - 2 * (size_t)h, "%02x",
                 v->whole ? ACCESS_CAT_ALL : v->allow[h]);
    snprintf(obj, sizeof obj, "%s:%lld", person_id ? "person" : "record",
             (long long)(person_id ? person_id : record_id));
    snprintf(key, sizeof key, "%s|%d|%lld|%s|%x|%s", obj, req->decision.pseudonymise ? 1 : 0,
             (long long)version, allow, v->known_to, v->why ? v->why : "");
    size_t len = 0;
    int64_t shown = 0;
    char *text = http_text_get(req->srv, key, &len, &shown);
    if (!text) {
        struct people_record *rs;
        struct people_event *es;
        size_t nr, ne, n_shown = 0;
        if (people_get(req->db, req->arena, person_id, record_id, &rs, &nr, &es, &ne, &err)) {
            http_reply_status(req, &err);
            return;
        }
        text = person_text(req, person_id, rs, nr, es, ne, &len, &n_shown);
        if (!text) {
            http_reply_json(req, 500, NULL);
            return;
        }
        shown = (int64_t)n_shown;
        http_text_put(req->srv, key, text, len, shown);
    }
    char what[200];
    snprintf(what, sizeof what, "chronology%s: %lld events shown (%s)",
             req->decision.pseudonymise ? " (pseudonymised)" : "", (long long)shown,
             v->why ? v->why : "");
    /* Nothing more is read: the wait for the audit entry holds no connection. */
    http_req_db_done(req);
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

/* Re-identification (POST /api/v1/reidentify): what a pseudonym stands for, for a role
 * allowed it, with a reason, audited. It gives the id only; the person's page is then
 * opened through the same check as anyone's. */
void api_reidentify(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"pseudonym", JSON_STRING, true, 16},
        {"reason", JSON_STRING, true, 250},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    const char *pseudo = json_string_value(json_object_get(body, "pseudonym"));
    const char *reason = json_string_value(json_object_get(body, "reason"));
    struct svp_err err;
    char kind = 0;
    int64_t id = 0;
    int rc = strlen(reason) < 10 ? svp_err_at(&err, SVP_EINPUT, "", 0, "reason",
                                              "say why in at least 10 characters")
                                 : access_pseudonym_find(req->db, pseudo, &kind, &id, &err);
    if (rc) {
        json_decref(body);
        http_reply_status(req, &err);
        return;
    }
    char obj[64], detail[320];
    struct svp_buf seen;
    svp_buf_init(&seen, 64);
    snprintf(obj, sizeof obj, "%s:%lld", kind == 'P' ? "person" : "record", (long long)id);
    snprintf(detail, sizeof detail, "re-identified %s: %s", pseudo, reason);
    bool audited = http_seen_add(&seen, kind == 'P' ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
                                 id) == SVP_OK &&
                   http_audit_seen(req, "reidentify", obj, detail, seen.data);
    svp_buf_free(&seen);
    json_decref(body);
    if (!audited) {
        if (!req->reply)
            http_reply_json(req, 500, NULL);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:s, s:I}", "kind", kind == 'P' ? "person" : "record",
                                        "id", (json_int_t)id));
}

/* Break glass (POST /api/v1/persons/{id}/break-glass): urgent access to a person beyond the
 * sharing rules, with a reason from the list and the user's own words, for a limited time;
 * audited, and listed for the auditor (GET /api/v1/audit/break-glass). */
void api_break_glass(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"reason", JSON_STRING, true, 48},
        {"text", JSON_STRING, true, 250},
        {"minutes", JSON_INTEGER, false, 0},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    json_t *m = json_object_get(body, "minutes");
    json_int_t minutes = m ? json_integer_value(m) : 60;
    struct svp_err err;
    int64_t gid = 0;
    svp_time now = (svp_time)time(NULL);
    int rc = minutes < 1 || minutes > 240
                 ? svp_err_at(&err, SVP_EINPUT, "", 0, "minutes",
                              "break glass lasts 1 to 240 minutes")
                 : access_break_glass(req->db, &req->session.user, 'P', req->id,
                                      json_string_value(json_object_get(body, "reason")),
                                      json_string_value(json_object_get(body, "text")),
                                      (int)minutes, now, &gid, &err);
    json_decref(body);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:I, s:I, s:I}", "id", (json_int_t)gid, "person_id",
                                        (json_int_t)req->id, "expires_at",
                                        (json_int_t)(now + 60 * minutes)));
}
