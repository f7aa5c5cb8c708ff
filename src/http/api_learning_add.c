/* Adds to the case learning tracker from the browser, as `svp learning add` does: a
 * recommendation of a review, an action of a recommendation (owner agency, due date) or
 * evidence of impact of an action. Every field is checked by the registers room; a bad one
 * is a 400 naming it and nothing is stored. Audited as a change. */
#include "http_int.h"
#include "registers/registers.h"

#include <string.h>

void api_learning_add(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"register", JSON_STRING, true, 32},
        {"parent", JSON_STRING, true, REG_REF_MAX - 1},
        {"text", JSON_STRING, true, 2000},
        {"theme", JSON_STRING, false, 100},
        {"owner", JSON_STRING, false, 100},
        {"due", JSON_STRING, false, 10},
        {"date", JSON_STRING, false, 10},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    const char *name = json_string_value(json_object_get(body, "register"));
    const struct reg_schema *schema = NULL;
    if (!strcmp(name, "recommendation") || !strcmp(name, "action") ||
        !strcmp(name, "evidence"))
        schema = reg_schema_find(name);
    if (!schema) {
        json_decref(body);
        http_reply_error(req, 400, "register", "must be recommendation, action or evidence");
        return;
    }
    struct reg_entry e;
    struct svp_err err;
    int rc = reg_entry_init(&e, schema, &err);
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        if (!rc && strcmp(key, "register") && strcmp(key, "parent"))
            rc = reg_entry_set(&e, key, json_string_value(v), &err);
    }
    if (!rc) /* the audit entry in the same transaction: nothing stored without it */
        rc = reg_add_also(req->db, &e, json_string_value(json_object_get(body, "parent")),
                          http_reg_audit,
                          &(struct http_reg_audit){req, "learning tracker entry added"}, &err);
    json_t *out = rc ? NULL : json_pack("{s:s, s:s}", "register", name, "ref", e.ref);
    reg_entry_clear(&e);
    json_decref(body);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    http_reply_json(req, 201, out); /* NULL (out of memory): a 500, the entry is stored */
}
