/* The Sources page: what each agency's extracts brought in (the one list behind `svp
 * sources` and `svp stats`), the profiles svp reads them with, and a profile drafted from a
 * new extract as `svp profile draft` drafts it. Counts and file names only: no person is
 * named. A draft reads the extract in memory and keeps nothing of it; its report prints
 * codes and counts, never a name, id, date of birth, postcode or address. */
#include "http_int.h"
#include "ingest/ingest.h"

#include <sodium.h>
#include <string.h>

static json_t *source_json(const struct ingest_source_row *r)
{
    const char *base = strrchr(r->path, '/');
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "id",
                     (json_int_t)r->id, "source", r->source, "agency", r->agency, "file",
                     base ? base + 1 : r->path, "imported_at", r->imported_at, "rows_read",
                     (json_int_t)r->rows_read, "rows_accepted", (json_int_t)r->rows_accepted,
                     "rows_new", (json_int_t)r->rows_new, "rows_updated",
                     (json_int_t)r->rows_updated, "rows_unchanged",
                     (json_int_t)r->rows_unchanged, "rows_rejected",
                     (json_int_t)r->rows_rejected, "values_dropped",
                     (json_int_t)r->values_dropped);
}

static json_t *count_json(const struct ingest_count_row *c)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "source", c->source, "records",
                     (json_int_t)c->records, "events", (json_int_t)c->events, "places",
                     (json_int_t)c->places, "relationships", (json_int_t)c->relationships,
                     "persons", (json_int_t)c->persons, "links", (json_int_t)c->links);
}

/* GET /api/v1/sources: {"files": [...], "counts": [...], "total": {...}, "profiles": [...]} */
void api_sources(struct http_req *req)
{
    struct ingest_source_row *files = NULL;
    struct ingest_count_row *counts = NULL;
    size_t nf = 0, nc = 0;
    struct svp_err err;
    int rc = ingest_sources_list(req->db, &files, &nf, &err);
    if (!rc)
        rc = ingest_stats(req->db, &counts, &nc, &err);
    if (rc) {
        svp_free(files);
        http_reply_status(req, &err);
        return;
    }
    json_t *out = json_object(), *fa = json_array(), *ca = json_array(), *pa = json_array();
    bool ok = out && fa && ca && pa;
    for (size_t i = 0; ok && i < nf; i++)
        ok = !json_array_append_new(fa, source_json(&files[nf - 1 - i])); /* newest first */
    for (size_t i = 0; ok && i + 1 < nc; i++)
        ok = !json_array_append_new(ca, count_json(&counts[i]));
    for (int i = 0; ok && ingest_builtin_profile(i); i++)
        ok = !json_array_append_new(pa, json_string(ingest_builtin_profile(i)));
    /* json_object_set_new takes the value's reference whether or not it succeeds */
    if (ok)
        ok = !json_object_set_new(out, "files", fa);
    else
        json_decref(fa);
    if (ok)
        ok = !json_object_set_new(out, "counts", ca);
    else
        json_decref(ca);
    if (ok)
        ok = !json_object_set_new(out, "profiles", pa);
    else
        json_decref(pa);
    if (ok && nc)
        ok = !json_object_set_new(out, "total", count_json(&counts[nc - 1]));
    svp_free(files);
    svp_free(counts);
    if (!ok) {
        json_decref(out);
        out = NULL;
    }
    http_reply_json(req, 200, out); /* NULL: out of memory, a 500 */
}

/* POST /api/v1/profile/draft {"file": NAME, "text": EXTRACT | "workbook": BASE64,
 * "encoding": "windows-1252" | "utf-16le" | "utf-16be"?, "part": true?, "sheet": SHEET?, "name": PROFILE?, "as_of":
 * DATE?}: the report and the draft profile. The page sends a text extract's first
 * megabytes as text (converted from UTF-16 or Windows-1252 when it is not UTF-8, saying so), cut at a
 * line end; an Excel workbook whole, in base64. */
void api_profile_draft(struct http_req *req)
{
    static const struct http_field fields[] = {
        {"file", JSON_STRING, true, 255},
        {"text", JSON_STRING, false, HTTP_DRAFT_MAX_TEXT},
        {"workbook", JSON_STRING, false, HTTP_DRAFT_MAX_TEXT},
        {"sheet", JSON_STRING, false, 100},
        {"encoding", JSON_STRING, false, 32},
        {"part", JSON_TRUE, false, 0},
        {"name", JSON_STRING, false, 63},
        {"as_of", JSON_STRING, false, 10},
        {NULL, 0, false, 0},
    };
    json_t *body = http_req_json(req, fields);
    if (!body)
        return;
    const char *enc = json_string_value(json_object_get(body, "encoding"));
    if (enc && strcmp(enc, "utf-8") && strcmp(enc, "windows-1252") && strcmp(enc, "utf-16le") &&
        strcmp(enc, "utf-16be")) {
        json_decref(body);
        http_reply_error(req, 400, "encoding", "must be utf-8, windows-1252, utf-16le or utf-16be");
        return;
    }
    const char *name = json_string_value(json_object_get(body, "name"));
    const char *as_of = json_string_value(json_object_get(body, "as_of"));
    struct ingest_draft_opts o = {
        .name = name && *name ? name : NULL,
        .as_of = as_of && *as_of ? as_of : NULL,
        .cp1252 = enc && !strcmp(enc, "windows-1252"),
        .utf16 = !enc ? 0 : !strcmp(enc, "utf-16le") ? 1 : !strcmp(enc, "utf-16be") ? 2 : 0,
        .part = json_is_true(json_object_get(body, "part")),
    };
    /* the upload is recorded before it is read: who looked at which extract's shape */
    if (!http_audit(req, "view", "profile:draft", "a profile drafted from an extract")) {
        json_decref(body);
        return; /* http_audit replied */
    }
    json_t *text = json_object_get(body, "text"), *book = json_object_get(body, "workbook");
    const char *sheet = json_string_value(json_object_get(body, "sheet"));
    o.sheet = sheet && *sheet ? sheet : NULL;
    /* an Excel workbook comes whole, in base64 (a zip cannot be cut at a line end) */
    unsigned char *bytes = NULL;
    size_t nbytes = 0;
    if (book) {
        size_t cap = json_string_length(book) / 4 * 3 + 3;
        bytes = svp_malloc(cap + 1);
        if (!bytes) {
            json_decref(body);
            http_reply_error(req, 503, NULL, "out of memory");
            return;
        }
        if (sodium_base642bin(bytes, cap, json_string_value(book), json_string_length(book),
                              " \r\n", &nbytes, NULL, sodium_base64_VARIANT_ORIGINAL)) {
            svp_free(bytes);
            json_decref(body);
            http_reply_error(req, 400, "workbook", "must be the workbook's bytes in base64");
            return;
        }
    }
    struct ingest_draft d;
    struct svp_err err;
    int rc;
    if (!text == !book)
        rc = svp_err_set(&err, SVP_EINPUT, "send the extract as text or a workbook, one of them");
    else
        rc = ingest_draft_mem(book ? (const char *)bytes : json_string_value(text),
                              book ? nbytes : json_string_length(text),
                              json_string_value(json_object_get(body, "file")), &o, &d, &err);
    svp_free(bytes);
    json_decref(body);
    if (rc) {
        if (rc == SVP_EUSAGE) /* a bad name or date: the caller's input */
            err.code = SVP_EINPUT;
        http_reply_status(req, &err);
        return;
    }
    json_t *out = json_pack("{s:s, s:s, s:I, s:i}", "report", d.report, "profile", d.profile,
                            "rows", (json_int_t)d.rows, "columns", d.columns);
    ingest_draft_free(&d);
    http_reply_json(req, 200, out); /* NULL: out of memory, a 500 */
}
