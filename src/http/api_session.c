/* Sign in, who am I, sign out, change password. */
#include "http_int.h"

#include <string.h>
#include <time.h>

static void set_cookie(struct http_req *req, const char *token, int64_t max_age)
{
    snprintf(req->set_cookie, sizeof req->set_cookie,
             "svp_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s", token,
             (long long)max_age, http_server_secure_cookies(req->srv) ? "; Secure" : "");
}

static json_t *session_json(const struct access_session *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (json_object_set_new(o, "user", http_user_json(&s->user)) ||
        json_object_set_new(o, "csrf", json_string(s->csrf)) ||
        json_object_set_new(o, "expires_at", json_integer(s->expires_at))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

void api_session_login(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"username", JSON_STRING, true, 64},
        {"password", JSON_STRING, true, 256},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    if (!http_login_allowed(req)) {
        json_decref(body);
        http_reply_error(req, 429, NULL, "too many sign-in attempts from here; wait a minute");
        return;
    }
    /* Repeated failures for one account from one address wait longer each time; the same
     * account from elsewhere (its owner) is not held up by them. */
    const char *username = json_string_value(json_object_get(body, "username"));
    int64_t wait = http_login_wait(req, username);
    if (wait > 0) {
        json_decref(body);
        http_reply_error(req, 429, NULL,
                         "too many failed sign-ins for this account from here; try again in "
                         "%lld seconds",
                         (long long)wait);
        return;
    }
    struct access_user u;
    struct access_session sess;
    struct svp_err err;
    svp_time now = (svp_time)time(NULL);
    int rc = access_login(req->db, username, json_string_value(json_object_get(body, "password")),
                          now, &u, &err);
    if (rc == SVP_OK || rc == SVP_EINPUT)
        http_login_result(req, username, rc == SVP_OK);
    json_decref(body);
    if (rc == SVP_EINPUT) {
        http_reply_error(req, 401, NULL, "%s", err.msg);
        return;
    }
    if (!rc)
        rc = access_session_create(req->db, u.id, now, http_server_session_ttl(req->srv), &sess,
                                   &err);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    set_cookie(req, sess.token, http_server_session_ttl(req->srv));
    http_reply_json(req, 200, session_json(&sess));
}

void api_session_get(struct http_req *req)
{
    http_reply_json(req, 200, session_json(&req->session));
}

void api_session_logout(struct http_req *req)
{
    struct svp_err err;
    if (access_session_end(req->db, req->token, &err)) {
        http_reply_status(req, &err);
        return;
    }
    set_cookie(req, "", 0);
    http_reply_json(req, 200, json_pack("{s:b}", "signed_out", 1));
}

void api_session_password(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"password", JSON_STRING, true, 256},
        {"new_password", JSON_STRING, true, 256},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    struct access_user u;
    struct svp_err err;
    const char *name = req->session.user.username;
    if (!http_login_allowed(req)) {
        json_decref(body);
        http_reply_error(req, 429, NULL, "too many attempts from here; wait a minute");
        return;
    }
    int rc = access_login(req->db, name, json_string_value(json_object_get(body, "password")),
                          (svp_time)time(NULL), &u, &err);
    if (rc == SVP_EINPUT) {
        json_decref(body);
        http_reply_error(req, 403, "password", "the current password is wrong");
        return;
    }
    if (!rc && !strcmp(json_string_value(json_object_get(body, "password")),
                       json_string_value(json_object_get(body, "new_password"))))
        rc = svp_err_at(&err, SVP_EINPUT, "", 0, "new_password",
                        "the new password must differ from the old one");
    if (!rc)
        rc = access_user_set_password(req->db, &req->session.user, name,
                                      json_string_value(json_object_get(body, "new_password")),
                                      false, &err);
    json_decref(body);
    /* Changing the password ends every session; start a fresh one for this browser. */
    struct access_session sess;
    if (!rc)
        rc = access_session_create(req->db, u.id, (svp_time)time(NULL),
                                   http_server_session_ttl(req->srv), &sess, &err);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    set_cookie(req, sess.token, http_server_session_ttl(req->srv));
    http_reply_json(req, 200, session_json(&sess));
}
