/* Fuzz target: the web server's request parsers. A JSON body is either refused with a
 * message or accepted as an object holding only declared fields of the declared types; a
 * static path is either refused or a relative name without '..', hidden or empty segments. */
#include "http/http.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct http_field fields[] = {
        {"username", JSON_STRING, true, 63},
        {"count", JSON_INTEGER, false, 0},
        {"flag", JSON_TRUE, false, 0},
        {NULL, 0, false, 0},
    };
    struct svp_err err;
    json_t *o = NULL;
    if (http_json_parse((const char *)data, size, fields, &o, &err) == SVP_OK) {
        if (!json_is_object(o) || !json_is_string(json_object_get(o, "username")) ||
            json_string_length(json_object_get(o, "username")) > 63)
            abort();
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v)
        {
            if (strcmp(key, "username") && strcmp(key, "count") && strcmp(key, "flag"))
                abort(); /* an undeclared field got through */
        }
        json_decref(o);
    } else if (o || !err.msg[0]) {
        abort(); /* a refusal must say why and return nothing */
    }
    char path[300], out[256];
    size_t n = size < sizeof path - 1 ? size : sizeof path - 1;
    memcpy(path, data, n);
    path[n] = '\0';
    if (http_static_path(path, out, sizeof out, &err) == SVP_OK) {
        if (out[0] == '/' || out[0] == '.' || strstr(out, "/.") || strstr(out, "//") ||
            strchr(out, '\\'))
            abort(); /* an accepted path must stay inside the web root */
    }
    return 0;
}
