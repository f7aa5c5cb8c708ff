/* JSON text from jansson values, safe under memory pressure. jansson 2.14's json_dumps does
 * not check every write of an object's key: when an allocation fails there it can return
 * text with a key cut short (malformed JSON, found by tests/unit/test_torture_http.c). Every
 * place that stores, sends or prints JSON text calls svp_json_dumps instead. */
#ifndef SVP_BASE_JSON_H
#define SVP_BASE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* json_dumps(obj, flags), or NULL when obj is NULL or any allocation failed while writing
 * it. The text is released with free() (jansson allocates through svp_malloc). */
char *svp_json_dumps(const json_t *obj, size_t flags);

/* One member of a flat JSON object: key k (kl bytes), value v (vl bytes; a string's content,
 * or the text of a number, true, false or null when str is false). Not NUL-terminated. */
typedef void (*svp_json_member_fn)(void *ctx, const char *k, size_t kl, const char *v,
                                   size_t vl, bool str);

/* The fast path for event details: reads text (NUL-terminated) when it is one flat JSON
 * object whose keys and string values are printable ASCII without escapes and whose other
 * values are JSON numbers (at most 15 digits either side of the point, no exponent), true,
 * false or null, calling fn (may be NULL) for each member in order (duplicates too). False
 * for anything else: nesting, escapes, other bytes, bad syntax; fn may then have seen the
 * members before the one it stopped at (a full parse delivers them again). Whatever it
 * accepts is valid JSON that jansson reads the same way (fuzz/fuzz_detail.c). Used by the
 * triage room (triage_detail_flat) and the risk panel's reading of attendance. */
bool svp_json_flat(const char *text, svp_json_member_fn fn, void *ctx);

/* The value of a number as svp_json_flat passes it (v, vl bytes, vl < 64: an optional minus
 * and at most 15 digits either side of the point), the same double strtod reads: with at
 * most 15 digits in all it is their integer divided by a power of ten (both exact, so the
 * one rounding is the division's, as strtod's), else strtod itself. */
double svp_json_number(const char *v, size_t vl);

#endif
