/* The manifest of a folder of extracts (manifest.csv: each file's name, profile and
 * agency), read for `svp import DIR`. */
#include "ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ manifest */

int ingest_manifest_read(const char *dir, struct ingest_manifest_entry **out, size_t *n,
                         struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    char path[1100];
    snprintf(path, sizeof path, "%s/manifest.csv", dir);
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_file(path, NULL, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row row;
    int fcol = -1, pcol = -1, acol = -1;
    size_t cap = 0;
    struct ingest_manifest_entry *v = NULL;
    rc = svp_csv_next(csv, &row, err);
    if (rc == 0)
        rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "manifest is empty");
    if (rc == 1) {
        for (size_t i = 0; i < row.nfields; i++) {
            if (!strcmp(row.fields[i].p, "file") || !strcmp(row.fields[i].p, "path"))
                fcol = (int)i;
            if (!strcmp(row.fields[i].p, "profile"))
                pcol = (int)i;
            if (!strcmp(row.fields[i].p, "as_of"))
                acol = (int)i;
        }
        rc = fcol < 0 || pcol < 0 ? svp_err_at(err, SVP_EINPUT, path, 1, NULL,
                                               "manifest header needs columns 'file' and "
                                               "'profile'")
                                  : SVP_OK;
    }
    while (rc == SVP_OK && (rc = svp_csv_next(csv, &row, err)) == 1) {
        rc = SVP_OK;
        if (row.nfields == 1 && row.fields[0].len == 0)
            continue;
        if (row.error || row.nfields <= (size_t)(fcol > pcol ? fcol : pcol)) {
            rc = svp_err_at(err, SVP_EINPUT, path, row.line, NULL, "bad manifest row");
            break;
        }
        const char *f = row.fields[fcol].p;
        if (!*f || strstr(f, "..") || f[0] == '/') {
            rc = svp_err_at(err, SVP_EINPUT, path, row.line, "file",
                            "file must be a path inside the folder");
            break;
        }
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            struct ingest_manifest_entry *nv = svp_realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            v = nv;
            cap = nc;
        }
        struct ingest_manifest_entry *e = &v[(*n)++];
        if ((size_t)snprintf(e->path, sizeof e->path, "%s/%s", dir, f) >= sizeof e->path ||
            svp_strlcpy(e->profile, row.fields[pcol].p, sizeof e->profile) >= sizeof e->profile) {
            rc = svp_err_at(err, SVP_EINPUT, path, row.line, NULL, "path or profile too long");
            break;
        }
        e->line = row.line;
        e->as_of[0] = '\0';
        if (acol >= 0 && (size_t)acol < row.nfields && row.fields[acol].len) {
            svp_day day;
            if (svp_date_parse_iso(row.fields[acol].p, row.fields[acol].len, &day, NULL)) {
                rc = svp_err_at(err, SVP_EINPUT, path, row.line, "as_of",
                                "as_of must be the extract's date as YYYY-MM-DD");
                break;
            }
            svp_date_format(day, e->as_of, sizeof e->as_of);
        }
    }
    svp_csv_free(&csv);
    if (rc < 0) {
        svp_free(v);
        *n = 0;
        return rc;
    }
    *out = v;
    return SVP_OK;
}
