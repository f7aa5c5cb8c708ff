/* JSON text from jansson values, safe under memory pressure. jansson 2.14's json_dumps does
 * not check every write of an object's key: when an allocation fails there it can return
 * text with a key cut short (malformed JSON, found by tests/unit/test_torture_http.c). Every
 * place that stores, sends or prints JSON text calls svp_json_dumps instead. */
#ifndef SVP_BASE_JSON_H
#define SVP_BASE_JSON_H

#include <jansson.h>

/* json_dumps(obj, flags), or NULL when obj is NULL or any allocation failed while writing
 * it. The text is released with free() (jansson allocates through svp_malloc). */
char *svp_json_dumps(const json_t *obj, size_t flags);

#endif
