/* Accounts, for administrators. */
#include "http_int.h"

#include <string.h>

void api_users_list(struct http_req *req)
{
    struct access_user *v;
    size_t n;
    struct svp_err err;
    if (access_user_list(req->db, &v, &n, &err)) {
        http_reply_status(req, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, http_user_json(&v[i]))) {
            json_decref(a);
            a = NULL;
        }
    svp_free(v);
    http_reply_json(req, 200, a ? json_pack("{s:o}", "items", a) : NULL);
}

void api_users_add(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"username", JSON_STRING, true, 63},
        {"role", JSON_STRING, true, 32},
        {"agency", JSON_STRING, true, 32},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    struct svp_err err;
    enum access_role role;
    char pw[32];
    access_password_generate(pw, sizeof pw);
    int64_t id = 0;
    int rc = access_role_parse(json_string_value(json_object_get(body, "role")), &role, &err);
    if (!rc)
        rc = access_user_add(req->db, &req->session.user,
                             json_string_value(json_object_get(body, "username")), role,
                             json_string_value(json_object_get(body, "agency")), pw, true, &id,
                             &err);
    json_decref(body);
    struct access_user u;
    if (!rc)
        rc = access_user_get(req->db, id, &u, &err);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 201, json_pack("{s:o, s:s}", "user", http_user_json(&u),
                                        "one_time_password", pw));
}

static bool target(struct http_req *req, struct access_user *u)
{
    struct svp_err err;
    if (access_user_get(req->db, req->id, u, &err)) {
        http_reply_status(req, &err);
        return false;
    }
    if (req->body_len) {
        static const struct http_field none[] = {{NULL, 0, false, 0}};
        json_t *b = http_req_json(req, none);
        if (!b)
            return false;
        json_decref(b);
    }
    return true;
}

static void set_disabled(struct http_req *req, bool disabled)
{
    struct access_user u;
    struct svp_err err;
    if (!target(req, &u))
        return;
    if (disabled && u.id == req->session.user.id) {
        http_reply_error(req, 409, NULL, "you cannot disable your own account");
        return;
    }
    if (access_user_set_disabled(req->db, &req->session.user, u.username, disabled, &err) ||
        access_user_get(req->db, u.id, &u, &err)) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "user", http_user_json(&u)));
}

void api_users_disable(struct http_req *req)
{
    set_disabled(req, true);
}

void api_users_enable(struct http_req *req)
{
    set_disabled(req, false);
}

void api_users_reset(struct http_req *req)
{
    struct access_user u;
    struct svp_err err;
    if (!target(req, &u))
        return;
    char pw[32];
    access_password_generate(pw, sizeof pw);
    if (access_user_set_password(req->db, &req->session.user, u.username, pw, true, &err) ||
        access_user_get(req->db, u.id, &u, &err)) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o, s:s}", "user", http_user_json(&u),
                                        "one_time_password", pw));
}
