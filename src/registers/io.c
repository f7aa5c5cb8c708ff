/* Registers in and out as tables: CSV import of the spreadsheets partnerships keep (all or
 * nothing, every refused row named by line and field), and export as CSV or XLSX. */
#include "base/xlsx.h"
#include "registers.h"

#include <string.h>

void reg_import_result_free(struct reg_import_result *res)
{
    svp_free(res->errors);
    memset(res, 0, sizeof *res);
}

/* Keeps a refused row's error (the first REG_IMPORT_ERRORS_MAX of them). */
static int refuse(struct reg_import_result *res, const struct svp_err *e, const char *name,
                  long line, struct svp_err *err)
{
    res->refused++;
    if (res->nerrors >= REG_IMPORT_ERRORS_MAX)
        return SVP_OK;
    if (!res->errors && !(res->errors = svp_calloc(REG_IMPORT_ERRORS_MAX, sizeof *res->errors)))
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    struct svp_err *r = &res->errors[res->nerrors++];
    *r = *e;
    svp_strlcpy(r->file, name, sizeof r->file);
    r->line = line;
    return SVP_OK;
}

/* Column i's meaning: -1 ref, -2 parent, else the field's index. */
static int read_header(const struct reg_schema *schema, const struct svp_csv_row *row,
                       const char *name, int *cols, struct svp_err *err)
{
    bool seen[REG_MAX_FIELDS + 2] = {false};
    for (size_t i = 0; i < row->nfields; i++) {
        const char *h = row->fields[i].p;
        int c = -3;
        if (!strcmp(h, "ref") && !schema->parent)
            c = -1;
        else if (!strcmp(h, "parent") && schema->parent)
            c = -2;
        else
            for (size_t f = 0; f < schema->nfields; f++)
                if (!strcmp(h, schema->fields[f].name))
                    c = (int)f;
        if (c == -3)
            return svp_err_at(err, SVP_EINPUT, name, row->line, h,
                              "column %zu: a %s has no field '%.60s' (columns: %s and its "
                              "fields; svp register show %s --fields lists them)",
                              i + 1, schema->title, h, schema->parent ? "parent" : "ref",
                              schema->name);
        if (seen[c + 2])
            return svp_err_at(err, SVP_EINPUT, name, row->line, h, "column '%.60s' given twice", h);
        seen[c + 2] = true;
        cols[i] = c;
    }
    if (!schema->parent && !seen[1])
        return svp_err_at(err, SVP_EINPUT, name, row->line, "ref",
                          "the header needs a 'ref' column");
    if (schema->parent && !seen[0])
        return svp_err_at(err, SVP_EINPUT, name, row->line, "parent",
                          "the header needs a 'parent' column (the %s each row belongs to)",
                          schema->parent);
    return SVP_OK;
}

static bool blank(const struct svp_csv_row *row)
{
    for (size_t i = 0; i < row->nfields; i++)
        if (row->fields[i].len)
            return false;
    return true;
}

/* One row, added in its own savepoint: a refused row leaves nothing behind. The row's own
 * error goes to rowerr; a failure of the store (not the row's fault) is returned. */
static int import_row(struct store *s, const struct reg_schema *schema, const int *cols,
                      const struct svp_csv_row *row, const char *actor, struct svp_err *rowerr)
{
    struct reg_entry e;
    int rc = reg_entry_init(&e, schema, rowerr);
    if (rc)
        return rc;
    const char *parent = NULL;
    for (size_t i = 0; rc == SVP_OK && i < row->nfields; i++) {
        const char *v = row->fields[i].p;
        if (cols[i] == -1) {
            if (strlen(v) >= sizeof e.ref)
                rc = svp_err_at(rowerr, SVP_EINPUT, NULL, 0, "ref", "longer than %zu bytes",
                                sizeof e.ref - 1);
            else
                svp_strlcpy(e.ref, v, sizeof e.ref);
        } else if (cols[i] == -2) {
            parent = v;
        } else {
            rc = reg_entry_set(&e, schema->fields[cols[i]].name, v, rowerr);
        }
    }
    if (rc == SVP_OK)
        rc = reg_add_as(s, &e, parent, actor, NULL, NULL, rowerr);
    reg_entry_clear(&e);
    return rc;
}

int reg_import_csv(struct store *s, const struct reg_schema *schema, const char *path,
                   const char *actor, struct reg_import_result *res, struct svp_err *err)
{
    memset(res, 0, sizeof *res);
    struct svp_csv_opts opts = {.delim = ',', .check_utf8 = true};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_file(path, &opts, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row row;
    int cols[REG_MAX_FIELDS + 2];
    size_t ncols = 0;
    rc = svp_csv_next(csv, &row, err);
    if (rc == 0)
        rc = svp_err_at(err, SVP_EINPUT, path, 1, NULL, "the file is empty: it needs a header");
    else if (rc == 1 && row.error)
        rc = svp_err_at(err, SVP_EINPUT, path, row.line, NULL, "%s", row.error);
    else if (rc == 1 && row.nfields > REG_MAX_FIELDS + 2)
        rc = svp_err_at(err, SVP_EINPUT, path, row.line, NULL, "%zu columns: a %s has at most %zu",
                        row.nfields, schema->title, schema->nfields + 1);
    else if (rc == 1)
        rc = read_header(schema, &row, path, cols, err);
    if (rc) {
        svp_csv_free(&csv);
        return rc;
    }
    ncols = row.nfields;
    if ((rc = store_begin(s, err))) {
        svp_csv_free(&csv);
        return rc;
    }
    while ((rc = svp_csv_next(csv, &row, err)) == 1) {
        if (blank(&row))
            continue;
        res->rows++;
        struct svp_err rowerr;
        svp_err_clear(&rowerr);
        int r;
        if (row.error)
            r = svp_err_at(&rowerr, SVP_EINPUT, NULL, 0, NULL, "%s", row.error);
        else if (row.nfields != ncols)
            r = svp_err_at(&rowerr, SVP_EINPUT, NULL, 0, NULL,
                           "%zu fields where the header has %zu", row.nfields, ncols);
        else
            r = import_row(s, schema, cols, &row, actor, &rowerr);
        if (r == SVP_OK) {
            res->added++;
        } else if (r == SVP_EINPUT || r == SVP_ECONFLICT || r == SVP_ENOTFOUND) {
            if ((rc = refuse(res, &rowerr, path, row.line, err)))
                break;
        } else {
            *err = rowerr; /* the store failed: not the row's fault */
            rc = r;
            break;
        }
    }
    svp_csv_free(&csv);
    if (rc == 0 && res->refused) {
        res->added = 0;
        rc = svp_err_at(err, SVP_EINPUT, path, 0, NULL, "%ld of %ld rows refused: nothing imported",
                        res->refused, res->rows);
    }
    if (rc == 0)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    if (rc)
        res->added = 0;
    return rc;
}

/* ------------------------------------------------------------------ export */

void reg_table_free(struct reg_table *t)
{
    if (t->cells)
        for (size_t i = 0; i < t->ncols * t->nrows; i++)
            svp_free(t->cells[i]);
    svp_free(t->cells);
    memset(t, 0, sizeof *t);
}

static void put(struct reg_table *t, size_t *k, bool *ok, const char *v)
{
    if (*ok)
        *ok = (t->cells[(*k)++] = svp_strdup(v ? v : "")) != NULL;
}

int reg_table_build(struct store *s, const struct reg_schema *schema, struct reg_table *t,
                    struct svp_err *err)
{
    memset(t, 0, sizeof *t);
    struct reg_entry *v = NULL;
    size_t n = 0;
    int rc = reg_list(s, schema, 0, &v, &n, err);
    if (rc)
        return rc;
    t->ncols = 1 + (schema->parent ? 1 : 0) + schema->nfields + schema->ncomputed;
    t->nrows = n + 1;
    t->cells = svp_calloc(t->ncols * t->nrows, sizeof *t->cells);
    if (!t->cells) {
        reg_entries_free(&v, n);
        memset(t, 0, sizeof *t);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    size_t k = 0;
    bool ok = true;
    put(t, &k, &ok, "ref");
    if (schema->parent)
        put(t, &k, &ok, "parent");
    for (size_t f = 0; f < schema->nfields; f++)
        put(t, &k, &ok, schema->fields[f].name);
    for (size_t f = 0; f < schema->ncomputed; f++)
        put(t, &k, &ok, schema->computed[f].name);
    for (size_t i = 0; i < n && ok && rc == SVP_OK; i++) {
        put(t, &k, &ok, v[i].ref);
        if (schema->parent) {
            struct reg_entry p;
            char pref[REG_REF_MAX + 32] = "";
            if ((rc = reg_get_id(s, v[i].parent_id, &p, err)))
                break;
            /* as reg_add takes it: a bare ref for the first parent register */
            size_t first = strcspn(schema->parent, "|");
            if (strlen(p.schema->name) == first && !strncmp(p.schema->name, schema->parent, first))
                snprintf(pref, sizeof pref, "%s", p.ref);
            else
                snprintf(pref, sizeof pref, "%s:%s", p.schema->name, p.ref);
            reg_entry_clear(&p);
            put(t, &k, &ok, pref);
        }
        for (size_t f = 0; f < schema->nfields; f++)
            put(t, &k, &ok, v[i].values[f]);
        for (size_t f = 0; f < schema->ncomputed; f++) {
            char buf[64];
            put(t, &k, &ok, reg_entry_computed(&v[i], schema->computed[f].name, buf, sizeof buf));
        }
    }
    reg_entries_free(&v, n);
    if (!rc && !ok)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (rc)
        reg_table_free(t); /* cells not filled are NULL */
    return rc;
}

static void csv_cell(FILE *f, const char *v)
{
    bool formula = *v == '=' || *v == '+' || *v == '-' || *v == '@';
    bool quote = formula || strpbrk(v, ",\"\r\n") != NULL;
    if (!quote) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

int reg_table_write_csv(const struct reg_table *t, FILE *f, struct svp_err *err)
{
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            if (c)
                fputc(',', f);
            csv_cell(f, t->cells[r * t->ncols + c]);
        }
        fputc('\n', f);
    }
    if (fflush(f) || ferror(f))
        return svp_err_set(err, SVP_EIO, "the export could not be written");
    return SVP_OK;
}

struct xlsx_ctx {
    const struct reg_table *t;
    const struct reg_schema *schema;
};

static void fill(lxw_workbook *wb, lxw_format *bold, void *vctx)
{
    const struct xlsx_ctx *x = vctx;
    lxw_worksheet *ws = svp_xlsx_sheet(wb, x->schema->name);
    if (!ws)
        return;
    svp_xlsx_header(ws, bold, (const char *const *)x->t->cells, (int)x->t->ncols);
    for (size_t r = 1; r < x->t->nrows; r++)
        for (size_t c = 0; c < x->t->ncols; c++) {
            const char *v = x->t->cells[r * x->t->ncols + c];
            if (*v)
                worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, v, NULL);
        }
}

int reg_table_write_xlsx(const struct reg_table *t, const struct reg_schema *schema,
                         const char *path, struct svp_err *err)
{
    struct xlsx_ctx x = {t, schema};
    return svp_xlsx_write(path, schema->title, fill, &x, err);
}
