/* What the database holds: the imported files (`svp sources`) and counts per source
 * (`svp stats`). The CLI and any report print these numbers; they are computed only here. */
#include "ingest_int.h"

#include <stdlib.h>
#include <string.h>

int ingest_sources_list(struct store *s, struct ingest_source_row **out, size_t *n,
                        struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT id, source, agency, path, sha256, imported_at, rows_read, "
                           "rows_accepted, rows_rejected, rows_new, rows_updated, rows_unchanged, "
                           "values_dropped "
                           "FROM source_file ORDER BY id",
                           &st, err);
    if (rc)
        return rc;
    size_t cap = 0;
    struct ingest_source_row *v = NULL;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            struct ingest_source_row *nv = svp_realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            v = nv;
            cap = nc;
        }
        struct ingest_source_row *r = &v[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = store_column_int64(st, 0);
        svp_strlcpy(r->source, store_column_text(st, 1), sizeof r->source);
        svp_strlcpy(r->agency, store_column_text(st, 2), sizeof r->agency);
        svp_strlcpy(r->path, store_column_text(st, 3), sizeof r->path);
        svp_strlcpy(r->sha256, store_column_text(st, 4), sizeof r->sha256);
        svp_strlcpy(r->imported_at, store_column_text(st, 5), sizeof r->imported_at);
        int64_t *nums[7] = {&r->rows_read,    &r->rows_accepted,  &r->rows_rejected,
                            &r->rows_new,     &r->rows_updated,   &r->rows_unchanged,
                            &r->values_dropped};
        for (int i = 0; i < 7; i++)
            *nums[i] = store_column_int64(st, 6 + i);
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(v);
        *n = 0;
        return rc;
    }
    *out = v;
    return SVP_OK;
}

static struct ingest_count_row *row_for(struct ingest_count_row **v, size_t *n, size_t *cap,
                                        const char *source)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i].source, source))
            return &(*v)[i];
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        struct ingest_count_row *nv = svp_realloc(*v, nc * sizeof *nv);
        if (!nv)
            return NULL;
        *v = nv;
        *cap = nc;
    }
    struct ingest_count_row *r = &(*v)[(*n)++];
    memset(r, 0, sizeof *r);
    svp_strlcpy(r->source, source, sizeof r->source);
    return r;
}

static int cmp_rows(const void *a, const void *b)
{
    return strcmp(((const struct ingest_count_row *)a)->source,
                  ((const struct ingest_count_row *)b)->source);
}

int ingest_stats(struct store *s, struct ingest_count_row **out, size_t *n, struct svp_err *err)
{
    /* Records are grouped by id space, events and relationships by profile: both are the
     * `source` column of their table. Links are records joined to a person. */
    static const char *const per_source[] = {
        "SELECT source, COUNT(*) FROM record GROUP BY source",
        "SELECT source, COUNT(*) FROM event GROUP BY source",
        "SELECT source, COUNT(*) FROM relationship GROUP BY source",
        ("SELECT r.source, COUNT(*) FROM person_record pr JOIN record r ON r.id = pr.record_id "
         "GROUP BY r.source"),
    };
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct ingest_count_row *v = NULL;
    int rc = SVP_OK;
    for (int q = 0; q < 4 && rc == SVP_OK; q++) {
        struct store_stmt *st = NULL;
        if ((rc = store_prepare(s, per_source[q], &st, err)))
            break;
        while ((rc = store_step(st, err)) == STORE_ROW) {
            const char *src = store_column_text(st, 0);
            struct ingest_count_row *r = row_for(&v, n, &cap, src ? src : "");
            if (!r) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            int64_t c = store_column_int64(st, 1);
            if (q == 0)
                r->records = c;
            else if (q == 1)
                r->events = c;
            else if (q == 2)
                r->relationships = c;
            else
                r->links = c;
        }
        store_finalize(&st);
        if (rc > 0 || rc == STORE_DONE)
            rc = SVP_OK;
    }
    if (rc == SVP_OK) {
        if (*n)
            qsort(v, *n, sizeof *v, cmp_rows);
        struct ingest_count_row total = {.source = "total"};
        for (size_t i = 0; i < *n; i++) {
            total.records += v[i].records;
            total.events += v[i].events;
            total.relationships += v[i].relationships;
            total.links += v[i].links;
        }
        if ((rc = store_query_int64(s, "SELECT COUNT(*) FROM place", &total.places, err)) ==
                SVP_OK &&
            (rc = store_query_int64(s, "SELECT COUNT(*) FROM person", &total.persons, err)) ==
                SVP_OK) {
            struct ingest_count_row *t = row_for(&v, n, &cap, "\x7f");
            if (!t)
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            else
                *t = total;
        }
    }
    if (rc) {
        svp_free(v);
        *n = 0;
        return rc;
    }
    *out = v;
    return SVP_OK;
}
