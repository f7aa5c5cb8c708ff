/* Fuzz target: JSON request bodies as the routes declare them. Byte 0 picks the field list of
 * one kind of route (sign-in, password change, share, learning, link review, account, meeting
 * minute, action, an empty list, and one with every JSON type); the rest is the body. A body
 * is either refused with a message or accepted as an object whose members are all declared,
 * of the declared type, strings within their cap and without NUL, and every required member
 * present. */
#include "http/http.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct http_field signin[] = {
    {"username", JSON_STRING, true, 64}, {"password", JSON_STRING, true, 256}, {NULL, 0, false, 0}};
static const struct http_field password[] = {{"password", JSON_STRING, true, 256},
                                             {"new_password", JSON_STRING, true, 256},
                                             {NULL, 0, false, 0}};
static const struct http_field share[] = {
    {"agency", JSON_STRING, true, 32}, {"reason", JSON_STRING, true, 250}, {NULL, 0, false, 0}};
static const struct http_field learning[] = {{"reason", JSON_STRING, true, 48},
                                             {"text", JSON_STRING, true, 250},
                                             {"minutes", JSON_INTEGER, false, 0},
                                             {NULL, 0, false, 0}};
static const struct http_field link_review[] = {{"a", JSON_INTEGER, true, 0},
                                                {"b", JSON_INTEGER, true, 0},
                                                {"same", JSON_TRUE, true, 0},
                                                {NULL, 0, false, 0}};
static const struct http_field account[] = {{"username", JSON_STRING, true, 63},
                                            {"role", JSON_STRING, true, 32},
                                            {"agency", JSON_STRING, true, 32},
                                            {NULL, 0, false, 0}};
static const struct http_field minute[] = {
    {"discussed_on", JSON_STRING, true, 10}, {"decision", JSON_STRING, false, 2000},
    {"rag", JSON_STRING, false, 8},          {"owner", JSON_STRING, false, 100},
    {"next_review", JSON_STRING, false, 10}, {NULL, 0, false, 0}};
static const struct http_field action[] = {
    {"text", JSON_STRING, true, 2000}, {"owner", JSON_STRING, true, 100},
    {"due", JSON_STRING, true, 10},    {"agreed_on", JSON_STRING, false, 10},
    {NULL, 0, false, 0}};
static const struct http_field none[] = {{NULL, 0, false, 0}};
static const struct http_field every_type[] = {
    {"s", JSON_STRING, false, 0},  {"i", JSON_INTEGER, false, 0}, {"r", JSON_REAL, false, 0},
    {"b", JSON_TRUE, false, 0},    {"a", JSON_ARRAY, false, 0},   {"o", JSON_OBJECT, false, 0},
    {"n", JSON_NULL, false, 0},    {NULL, 0, false, 0}};

static const struct http_field *const lists[] = {signin, password, share,  learning, link_review,
                                                 account, minute,  action, none,     every_type};
#define NLISTS (sizeof lists / sizeof lists[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const struct http_field *fields = lists[data[0] % NLISTS];
    struct svp_err err;
    svp_err_clear(&err);
    json_t *o = NULL;
    if (http_json_parse((const char *)data + 1, size - 1, fields, &o, &err) != SVP_OK) {
        if (o || !err.msg[0])
            abort(); /* refused: nothing returned, and a message */
        return 0;
    }
    if (!json_is_object(o))
        abort();
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        const struct http_field *f = fields;
        while (f->name && strcmp(f->name, key))
            f++;
        if (!f->name)
            abort(); /* an undeclared member */
        if (f->type == JSON_TRUE ? !json_is_boolean(v) : json_typeof(v) != f->type)
            abort();
        if (f->type == JSON_STRING &&
            (json_string_length(v) > (f->max_len ? f->max_len : 256) ||
             strlen(json_string_value(v)) != json_string_length(v)))
            abort();
    }
    for (const struct http_field *f = fields; f->name; f++)
        if (f->required && !json_object_get(o, f->name))
            abort();
    json_decref(o);
    return 0;
}
