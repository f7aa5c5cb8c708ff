/* Request parsing (JSON bodies, static paths) and the JSON reply helpers. */
#include "base/json.h"
#include "http_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JSON_MAX_BODY (1024 * 1024)

/* jansson nests up to 2048 levels; a request never needs more than a few, so deeper
 * nesting is refused before parsing. Brackets inside strings do not count. */
static int check_depth(const char *p, size_t len, struct svp_err *err)
{
    int depth = 0;
    bool in_str = false, esc = false;
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++depth > HTTP_JSON_MAX_DEPTH)
                return svp_err_set(err, SVP_EINPUT,
                                   "the JSON body nests deeper than %d levels", HTTP_JSON_MAX_DEPTH);
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return SVP_OK;
}

static const char *type_name(json_type t)
{
    switch (t) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "a whole number";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "true or false";
    default: return "null";
    }
}

int http_json_parse(const char *body, size_t len, const struct http_field *fields, json_t **out,
                    struct svp_err *err)
{
    *out = NULL;
    if (len == 0)
        return svp_err_set(err, SVP_EINPUT, "the request needs a JSON object body");
    if (len > JSON_MAX_BODY)
        return svp_err_set(err, SVP_EINPUT, "the JSON body is larger than %d bytes",
                           JSON_MAX_BODY);
    int rc = check_depth(body, len, err);
    if (rc)
        return rc;
    json_error_t je;
    unsigned long failures = svp_mem_failures();
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    /* jansson allocates through svp_malloc in the server (http_server_start) and reports
     * some failed allocations as malformed text, or returns an object that lacks what it
     * could not allocate: any failure during the parse is memory */
    if (svp_mem_failures() != failures || (!root && json_error_code(&je) ==
                                                        json_error_out_of_memory)) {
        json_decref(root);
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading the request body");
    }
    if (!root)
        return svp_err_at(err, SVP_EINPUT, "body", je.line, NULL,
                          "malformed JSON at column %d: %s", je.column, je.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return svp_err_set(err, SVP_EINPUT, "the JSON body must be an object");
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val)
    {
        const struct http_field *f = fields;
        while (f->name && strcmp(f->name, key))
            f++;
        if (!f->name) {
            char shown[64];
            svp_strlcpy(shown, key, sizeof shown);
            for (char *c = shown; *c; c++)
                if ((unsigned char)*c < 0x20 || *c == '<' || *c == '>')
                    *c = '?';
            json_decref(root);
            return svp_err_at(err, SVP_EINPUT, "", 0, shown, "unknown field");
        }
        bool type_ok = f->type == JSON_TRUE ? json_is_boolean(val) : json_typeof(val) == f->type;
        if (!type_ok) {
            svp_err_at(err, SVP_EINPUT, "", 0, f->name, "must be %s", type_name(f->type));
            json_decref(root);
            return SVP_EINPUT;
        }
        if (f->type == JSON_STRING) {
            size_t cap = f->max_len ? f->max_len : 256;
            if (json_string_length(val) > cap) {
                svp_err_at(err, SVP_EINPUT, "", 0, f->name, "is longer than %zu bytes", cap);
                json_decref(root);
                return SVP_EINPUT;
            }
            if (strlen(json_string_value(val)) != json_string_length(val)) {
                svp_err_at(err, SVP_EINPUT, "", 0, f->name, "contains a NUL character");
                json_decref(root);
                return SVP_EINPUT;
            }
        }
    }
    for (const struct http_field *f = fields; f->name; f++)
        if (f->required && !json_object_get(root, f->name)) {
            svp_err_at(err, SVP_EINPUT, "", 0, f->name, "is required");
            json_decref(root);
            return SVP_EINPUT;
        }
    *out = root;
    return SVP_OK;
}

int http_static_path(const char *path, char *out, size_t cap, struct svp_err *err)
{
    if (!path || path[0] != '/')
        return svp_err_set(err, SVP_EINPUT, "a path must start with '/'");
    if (!strcmp(path, "/")) {
        if (svp_strlcpy(out, "index.html", cap) >= cap)
            return svp_err_set(err, SVP_EINPUT, "path too long");
        return SVP_OK;
    }
    size_t n = strlen(path + 1);
    if (n > 255 || n + 1 > cap)
        return svp_err_set(err, SVP_EINPUT, "the path is too long");
    const char *s = path + 1;
    bool seg_start = true;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '/') {
            if (seg_start)
                return svp_err_set(err, SVP_EINPUT, "the path has an empty segment");
            seg_start = true;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return svp_err_set(err, SVP_EINPUT, "the path has a character files here never have");
        if (seg_start && c == '.')
            return svp_err_set(err, SVP_EINPUT,
                               "the path has a segment starting with '.' (no '..' or hidden files)");
        seg_start = false;
    }
    if (seg_start)
        return svp_err_set(err, SVP_EINPUT, "the path ends with '/'");
    memcpy(out, s, n + 1);
    return SVP_OK;
}

void http_reply_text(struct http_req *req, int status, char *text, size_t len)
{
    svp_free(req->reply_text);
    json_decref(req->reply);
    req->reply = NULL;
    req->reply_text = text;
    req->reply_len = len;
    req->status = status;
}

char *http_json_text(const json_t *obj)
{
    return svp_json_dumps(obj, JSON_COMPACT);
}

void http_reply_json(struct http_req *req, int status, json_t *obj)
{
    svp_free(req->reply_text);
    req->reply_text = NULL;
    req->reply_len = 0;
    if (req->reply)
        json_decref(req->reply);
    req->reply = obj;
    req->status = obj ? status : 500;
}

void http_reply_error(struct http_req *req, int status, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_object();
    if (o && json_object_set_new(o, "error", json_string(msg)) == 0 && field && *field)
        (void)json_object_set_new(o, "field", json_string(field));
    http_reply_json(req, status, o);
}

void http_reply_status(struct http_req *req, const struct svp_err *err)
{
    char line[800];
    switch (err->code) {
    case SVP_EINPUT:
    case SVP_EUSAGE:
        svp_strlcpy(line, err->msg, sizeof line);
        if (err->line > 0)
            snprintf(line, sizeof line, "line %ld: %s", err->line, err->msg);
        http_reply_error(req, 400, err->field, "%s", line);
        break;
    case SVP_ENOTFOUND:
        http_reply_error(req, 404, err->field, "%s", err->msg);
        break;
    case SVP_ECONFLICT:
        http_reply_error(req, 409, err->field, "%s", err->msg);
        break;
    default:
        svp_log(SVP_LOG_ERROR, "http: %s %s: %s", req->method, req->route ? req->route->pattern : "",
                err->msg);
        http_reply_error(req, 500, NULL, "the server could not complete the request");
    }
}

json_t *http_req_json(struct http_req *req, const struct http_field *fields)
{
    json_t *o = NULL;
    struct svp_err err;
    svp_err_clear(&err);
    if (http_json_parse(req->body, req->body_len, fields, &o, &err)) {
        http_reply_status(req, &err);
        return NULL;
    }
    return o;
}

bool http_req_query(struct http_req *req, const char *name, size_t max, const char **out)
{
    const char *v = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
    *out = v;
    if (!v)
        return true;
    size_t n = strlen(v);
    if (n > max) {
        http_reply_error(req, 400, name, "is longer than %zu bytes", max);
        return false;
    }
    if (!svp_utf8_valid(v, n, NULL)) {
        http_reply_error(req, 400, name, "is not valid UTF-8");
        return false;
    }
    return true;
}

bool http_req_query_int(struct http_req *req, const char *name, int64_t lo, int64_t hi,
                        int64_t dflt, int64_t *out)
{
    const char *v = NULL;
    if (!http_req_query(req, name, 24, &v))
        return false;
    *out = dflt;
    if (!v || !*v)
        return true;
    if (svp_parse_i64(v, out) || *out < lo || *out > hi) {
        http_reply_error(req, 400, name, "must be a whole number from %lld to %lld",
                         (long long)lo, (long long)hi);
        return false;
    }
    return true;
}

json_t *http_user_json(const struct access_user *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:b, s:s}", "id", (json_int_t)u->id,
                     "username", u->username, "role", access_role_name(u->role), "agency",
                     u->agency, "must_change", u->must_change, "disabled", u->disabled,
                     "locked", u->locked_until > (int64_t)time(NULL), "created_at", u->created_at);
}
