/* Finding a person or a peer group in the association network, so that the network page can
 * start from them (the ego view, api_network_ego.c) instead of drawing a county. A name is
 * searched only by those who see names; a pseudonymised user (an analyst) names a person by
 * the pseudonym shown to them, and anyone names a group by its number. Every person offered
 * passes the one need-to-know check (http_check_person); the search is audited with who
 * was offered. */
#include "context/context.h"
#include "http_int.h"

#include <ctype.h>
#include <string.h>

#define SEARCH_MAX 20 /* people offered at most */
#define SCAN_MAX 400  /* name matches put through the check at most */

/* Does the node's name hold q, ignoring case? Both are short. */
static bool name_has(const char *name, const char *q)
{
    size_t nl = strlen(name), ql = strlen(q);
    for (size_t i = 0; ql <= nl && i <= nl - ql; i++) {
        size_t k = 0;
        while (k < ql && tolower((unsigned char)name[i + k]) == tolower((unsigned char)q[k]))
            k++;
        if (k == ql)
            return true;
    }
    return false;
}

/* "group 12", "g12", "#12" or "12": a peer group's number; 0 when q is not one. */
static int64_t group_query(const char *q)
{
    while (*q == ' ')
        q++;
    if (!strncasecmp(q, "group", 5))
        q += 5;
    else if (*q == 'g' || *q == 'G' || *q == '#')
        q++;
    while (*q == ' ')
        q++;
    int64_t g = 0;
    if (!*q || svp_parse_i64(q, &g) || g <= 0 || g > 1000000)
        return 0;
    return g;
}

static int node_allowed(struct http_req *req, json_t *nd, bool *ok, struct svp_err *err)
{
    int64_t pid = (int64_t)json_integer_value(json_object_get(nd, "person_id"));
    int64_t rid = (int64_t)json_integer_value(json_object_get(nd, "record_id"));
    struct access_decision d;
    int rc = http_check_person(req, pid > 0 ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD,
                               pid > 0 ? pid : rid, &d, err);
    *ok = !rc && d.allowed;
    return rc;
}

/* One person offered: how the viewer names them (the name, or their pseudonym), the
 * address of the view from them, and what the table shows. */
static int offer(struct http_req *req, json_t *nd, json_t *out, struct svp_buf *seen,
                 struct svp_err *err)
{
    int64_t pid = (int64_t)json_integer_value(json_object_get(nd, "person_id"));
    int64_t rid = (int64_t)json_integer_value(json_object_get(nd, "record_id"));
    char pseudo[32] = "", ref[48];
    const char *label = json_string_value(json_object_get(nd, "name"));
    if (req->decision.pseudonymise) {
        int rc = access_pseudonym(req->db, pid > 0 ? 'P' : 'R', pid > 0 ? pid : rid, pseudo,
                                  sizeof pseudo, err);
        if (rc)
            return rc;
        label = pseudo;
        snprintf(ref, sizeof ref, "%s=%s", pid > 0 ? "person" : "record", pseudo);
    } else {
        snprintf(ref, sizeof ref, "%s=%lld", pid > 0 ? "person" : "record",
                 (long long)(pid > 0 ? pid : rid));
    }
    json_t *g = json_object_get(nd, "group"); /* of the shared network: copied, not kept */
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:o, s:b}", "kind", "person", "label",
                          label ? label : "", "ref", ref, "role",
                          json_string_value(json_object_get(nd, "role")), "group",
                          json_is_integer(g) ? json_integer(json_integer_value(g)) : json_null(),
                          "at_risk", json_is_true(json_object_get(nd, "at_risk")));
    if (!o || json_array_append_new(out, o) ||
        http_seen_add(seen, pid > 0 ? ACCESS_OBJ_PERSON : ACCESS_OBJ_RECORD, pid > 0 ? pid : rid))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    return SVP_OK;
}

void api_network_search(struct http_req *req)
{
    const char *q = NULL;
    if (!http_req_query(req, "q", 100, &q))
        return;
    size_t ql = q ? strlen(q) : 0;
    int64_t group = q ? group_query(q) : 0;
    if (ql < 2 && !group) {
        http_reply_error(req, 400, "q",
                         "give two or more letters of a name, a pseudonym (P-...) or a peer "
                         "group's number");
        return;
    }
    /* Pseudonymised data is not searched by what it hides (a name would re-identify the
     * person beside their pseudonym): a pseudonym or a group number only. */
    bool by_pseudonym = !group && req->decision.pseudonymise;
    char pkind = 0;
    int64_t pid_wanted = 0;
    struct svp_err err;
    if (by_pseudonym) {
        int rc = access_pseudonym_find(req->db, q, &pkind, &pid_wanted, &err);
        if (rc == SVP_EINPUT || rc == SVP_ENOTFOUND) {
            http_reply_error(req, 400, "q",
                             "pseudonymised: search by the pseudonym shown (P-... or R-...) or "
                             "a peer group's number, not by name");
            return;
        }
        if (rc) {
            http_reply_status(req, &err);
            return;
        }
    }
    struct context_network_opts o = {.min_children = 2};
    json_t *full = NULL;
    int rc = http_network_shared(req, &o, false, &full, &err);
    if (rc == HTTP_BUSY)
        return;
    json_t *people = json_array(), *groups = json_array();
    struct svp_buf seen;
    svp_buf_init(&seen, (size_t)1 << 20);
    if (!rc && (!people || !groups))
        rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    json_t *nodes = json_object_get(full, "nodes");
    size_t n = json_array_size(nodes), scanned = 0;
    bool more = false;
    if (!rc && group) {
        /* The group, with how many of its members the viewer may see. */
        size_t i, mi;
        json_t *c, *m;
        json_array_foreach(json_object_get(full, "communities"), i, c) {
            if (json_integer_value(json_object_get(c, "group")) != group)
                continue;
            size_t visible = 0, children = 0;
            json_array_foreach(json_object_get(c, "members"), mi, m) {
                json_int_t k = json_integer_value(m);
                json_t *nd = k >= 0 && (size_t)k < n ? json_array_get(nodes, (size_t)k) : NULL;
                bool ok = false;
                if (!rc && nd)
                    rc = node_allowed(req, nd, &ok, &err);
                visible += ok;
                children += ok && !strcmp(json_string_value(json_object_get(nd, "role"))
                                              ? json_string_value(json_object_get(nd, "role"))
                                              : "",
                                          "child");
            }
            if (!rc && visible > 0 &&
                json_array_append_new(groups, json_pack("{s:s, s:I, s:I, s:I}", "kind", "group",
                                                        "group", (json_int_t)group, "members",
                                                        (json_int_t)visible, "children",
                                                        (json_int_t)children)))
                rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
            break;
        }
    }
    for (size_t i = 0; !rc && !group && i < n; i++) {
        json_t *nd = json_array_get(nodes, i);
        int64_t pid = (int64_t)json_integer_value(json_object_get(nd, "person_id"));
        int64_t rid = (int64_t)json_integer_value(json_object_get(nd, "record_id"));
        bool match;
        if (by_pseudonym)
            match = pkind == 'P' ? pid == pid_wanted : (pid <= 0 && rid == pid_wanted);
        else {
            const char *name = json_string_value(json_object_get(nd, "name"));
            match = name && name_has(name, q);
        }
            if (!match)
            continue;
        if (json_array_size(people) >= SEARCH_MAX || scanned >= SCAN_MAX) {
            more = true;
            break;
        }
        scanned++;
        bool ok = false;
        rc = node_allowed(req, nd, &ok, &err);
        if (!rc && ok)
            rc = offer(req, nd, people, &seen, &err);
    }
    json_decref(full);
    json_t *res = NULL;
    if (!rc) {
        res = json_pack("{s:o, s:o, s:b}", "people", people, "groups", groups, "more", more);
        people = groups = NULL;
        if (!res || json_object_set_new(res, "pseudonymised",
                                        json_boolean(req->decision.pseudonymise)))
            rc = svp_err_set(&err, SVP_ENOMEM, "out of memory");
    }
    json_decref(people);
    json_decref(groups);
    if (rc) {
        svp_buf_free(&seen);
        json_decref(res);
        http_reply_status(req, &err);
        return;
    }
    char detail[192];
    snprintf(detail, sizeof detail, "network search q=%s: %zu people, %zu groups", q,
             json_array_size(json_object_get(res, "people")),
             json_array_size(json_object_get(res, "groups")));
    bool audited = http_audit_seen(req, "search", "network", detail, seen.data);
    svp_buf_free(&seen);
    if (!audited) {
        json_decref(res);
        return;
    }
    http_reply_json(req, 200, res);
}
