/* Adult safeguarding: the Safeguarding Adults Collection's figures for a period, from the
 * one function behind `svp adults sac` (adults_sac_compute), so the page and the command
 * agree. Aggregate figures only: no person is named. */
#include "adults/adults.h"
#include "http_int.h"
#include "risk/risk.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

void api_adults_sac(struct http_req *req)
{
    const char *from = NULL, *to = NULL;
    int64_t year;
    if (!http_req_query(req, "from", 10, &from) || !http_req_query(req, "to", 10, &to) ||
        !http_req_query_int(req, "year", 1900, 2999,
                            adults_last_financial_year(svp_date_today()), &year))
        return;
    svp_day a, b;
    struct svp_err err;
    bool has_from = from && *from, has_to = to && *to;
    if (has_from != has_to) {
        http_reply_error(req, 400, has_from ? "to" : "from", "give both from and to");
        return;
    }
    if (has_from) {
        if (svp_date_parse_iso(from, strlen(from), &a, &err)) {
            http_reply_error(req, 400, "from", "must be a date YYYY-MM-DD");
            return;
        }
        if (svp_date_parse_iso(to, strlen(to), &b, &err)) {
            http_reply_error(req, 400, "to", "must be a date YYYY-MM-DD");
            return;
        }
        if (b < a) {
            http_reply_error(req, 400, "to", "the period ends before it starts");
            return;
        }
    } else if (adults_financial_year((int)year, &a, &b)) {
        http_reply_error(req, 400, "year", "must be a year such as 2021");
        return;
    }
    struct adults_sac f;
    int rc = adults_sac_compute(req->db, a, b, &f, &err);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    struct svp_buf out;
    svp_buf_init(&out, 1u << 20);
    json_t *j = adults_sac_json(&f, &out) ? NULL : json_loads(out.data, 0, NULL);
    svp_buf_free(&out);
    http_reply_json(req, 200, j); /* NULL: out of memory, answered 503 */
}

/* A reason the viewer may not read in detail: its points and agency stay, so the score adds
 * up and the reader knows whom to ask; what it says and every id go. */
static int withhold(json_t *r)
{
    const char *agency = json_string_value(json_object_get(r, "agency"));
    char says[96];
    snprintf(says, sizeof says, "held by %s: ask them", agency ? agency : "another agency");
    int rc = json_object_set_new(r, "indicator", json_string("withheld")) |
             json_object_set_new(r, "description", json_string(says)) |
             json_object_set_new(r, "withheld", json_true());
    json_object_del(r, "event_id");
    json_object_del(r, "type");
    json_object_del(r, "subtype");
    return rc ? SVP_ENOMEM : SVP_OK;
}

/* An adult on the list: a linked person, else an unlinked record. */
static void adult_who(void *ctx, json_t *item, enum access_object *kind, int64_t *id)
{
    (void)ctx;
    int64_t pid = (int64_t)json_integer_value(json_object_get(item, "person_id"));
    *kind = pid ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD;
    *id = pid ? pid : (int64_t)json_integer_value(json_object_get(item, "record_id"));
}

/* Withholds each reason whose category of that agency's records the view may not read. */
static int adult_filter(struct http_req *req, const struct access_view *v, json_t *item)
{
    json_t *r;
    size_t k;
    json_array_foreach(json_object_get(item, "reasons"), k, r)
    {
        const char *ag = json_string_value(json_object_get(r, "agency"));
        int cat = access_event_category(req->policy, json_string_value(json_object_get(r, "type")),
                                        json_string_value(json_object_get(r, "subtype")));
        if (!access_view_allows(v, ag ? ag : "", cat) && withhold(r))
            return SVP_ENOMEM;
    }
    return SVP_OK;
}

static void adult_strip(json_t *item)
{
    json_t *r;
    size_t k;
    json_array_foreach(json_object_get(item, "reasons"), k, r)
        json_object_del(r, "event_id");
    json_object_del(item, "record_id");
}

static const struct http_list_shape adult_shape = {adult_who, adult_filter, adult_strip};

struct adults_build {
    const struct adults_list_opts *o;
    size_t top;
};

static int adults_build(struct http_req *req, void *ctx, json_t **out, struct svp_err *err)
{
    const struct adults_build *b = ctx;
    struct adults_list *l = NULL;
    int rc = adults_list_build(req->db, b->o, &l, err);
    *out = rc ? NULL : adults_list_json(l, b->top);
    adults_list_free(&l);
    return rc;
}

void api_adults_list(struct http_req *req)
{
    const char *as_of = NULL;
    int64_t top;
    if (!http_req_query(req, "as_of", 10, &as_of) ||
        !http_req_query_int(req, "top", 0, 1000, 50, &top))
        return;
    struct svp_err err;
    struct adults_list_opts o = {0};
    if (!http_req_as_of(req, as_of, &o.as_of))
        return;
    /* The same list for everyone before their view of it is cut: built once per data
     * version, date and length (scoring every adult takes a while on a county). */
    int64_t version;
    if (http_data_version(req, &version, &err)) {
        http_reply_status(req, &err);
        return;
    }
    char key[96];
    snprintf(key, sizeof key, "adults|%lld|%d|%lld", (long long)version, (int)o.as_of,
             (long long)top);
    struct adults_build b = {&o, (size_t)top};
    json_t *out = NULL;
    int rc = http_cache_build(req, key, true, adults_build, &b, &out, &err);
    if (rc == HTTP_BUSY)
        return; /* 503 with Retry-After replied */
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 24);
    if (!rc)
        rc = http_list_annotate(req, json_object_get(out, "list"), &adult_shape, NULL, &seen,
                                &err);
    if (!rc && json_object_set_new(out, "pseudonymised", json_boolean(req->decision.pseudonymise)))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    /* A cuckooed address is where a vulnerable adult lives: shown to those who see the
     * whole list, not to a practitioner whose agency may see only some of the adults. */
    if (!rc && req->decision.scope_agency[0] &&
        (json_array_clear(json_object_get(out, "cuckooed_places")) ||
         json_object_set_new(out, "places_withheld", json_true())))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    if (rc) {
        svp_buf_free(&seen);
        json_decref(out);
        http_reply_status(req, &err);
        return;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "adult list: %zu shown",
             json_array_size(json_object_get(out, "list")));
    bool audited = http_audit_seen(req, "view", "adults", detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(out);
        return;
    }
    http_reply_json(req, 200, out);
}
