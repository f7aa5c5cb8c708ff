/* The dataset as a workbook: a contents sheet, one sheet per theme, the case reviews. */
#include "report_int.h"
#include "base/xlsx.h"

#include <string.h>

static void write_value(lxw_worksheet *ws, int r, int c, const struct report_figure *f,
                        const struct report_value *v)
{
    if (v->available && v->has_value)
        worksheet_write_number(ws, (lxw_row_t)r, (lxw_col_t)c, v->value, NULL);
    else
        worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c,
                               v->available ? "none in period" : "not available", NULL);
    (void)f;
}

static void fill(lxw_workbook *wb, lxw_format *bold, void *ctx)
{
    const struct report_dataset *ds = ctx;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Contents");
    static const char *const head[] = {"theme",     "figure",      "title",      "unit",   "value",
                                       "numerator", "denominator", "definition", "source", "note"};
    svp_xlsx_header(ws, bold, head, 10);
    worksheet_set_column(ws, 0, 2, 28, NULL);
    worksheet_set_column(ws, 7, 8, 60, NULL);
    for (size_t i = 0; i < ds->n; i++) {
        const struct report_row *r = &ds->rows[i];
        lxw_row_t y = (lxw_row_t)(i + 1);
        worksheet_write_string(ws, y, 0, report_theme_title(r->fig->theme), NULL);
        worksheet_write_string(ws, y, 1, r->fig->id, NULL);
        worksheet_write_string(ws, y, 2, r->fig->title, NULL);
        worksheet_write_string(ws, y, 3,
                               r->fig->unit == REPORT_PERCENT ? "percent"
                               : r->fig->unit == REPORT_RATE  ? "per 10,000 children"
                                                              : "count",
                               NULL);
        write_value(ws, (int)y, 4, r->fig, &r->v);
        worksheet_write_number(ws, y, 5, (double)r->v.num, NULL);
        worksheet_write_number(ws, y, 6, (double)r->v.den, NULL);
        worksheet_write_string(ws, y, 7, r->fig->definition, NULL);
        worksheet_write_string(ws, y, 8, r->fig->source, NULL);
        worksheet_write_string(ws, y, 9, r->v.why, NULL);
    }
    for (const char *const *t = report_themes; *t; t++) {
        lxw_worksheet *s = svp_xlsx_sheet(wb, report_theme_title(*t));
        if (!s)
            continue;
        static const char *const h[] = {"figure",    "period",      "value",
                                        "numerator", "denominator", "benchmarks and exceptions"};
        svp_xlsx_header(s, bold, h, 6);
        worksheet_set_column(s, 0, 0, 40, NULL);
        worksheet_set_column(s, 1, 1, 16, NULL);
        worksheet_set_column(s, 5, 5, 80, NULL);
        int y = 1;
        for (size_t i = 0; i < ds->n; i++) {
            const struct report_row *r = &ds->rows[i];
            if (strcmp(r->fig->theme, *t))
                continue;
            worksheet_write_string(s, (lxw_row_t)y, 0, r->fig->title, bold);
            worksheet_write_string(s, (lxw_row_t)y, 1, ds->period.label, bold);
            write_value(s, y, 2, r->fig, &r->v);
            worksheet_write_number(s, (lxw_row_t)y, 3, (double)r->v.num, NULL);
            worksheet_write_number(s, (lxw_row_t)y, 4, (double)r->v.den, NULL);
            for (size_t k = 0; k < r->nbench; k++)
                worksheet_write_string(s, (lxw_row_t)(y + (int)k), 5, r->narrative[k], NULL);
            y += r->nbench > 1 ? (int)r->nbench : 1;
            for (size_t q = 0; q < r->nquarters; q++, y++) {
                worksheet_write_string(s, (lxw_row_t)y, 1, r->quarters[q].label, NULL);
                write_value(s, y, 2, r->fig, &r->quarters[q].v);
                worksheet_write_number(s, (lxw_row_t)y, 3, (double)r->quarters[q].v.num, NULL);
                worksheet_write_number(s, (lxw_row_t)y, 4, (double)r->quarters[q].v.den, NULL);
            }
            for (size_t q = 0; q < r->nyears; q++, y++) {
                worksheet_write_string(s, (lxw_row_t)y, 1, r->years[q].label, NULL);
                write_value(s, y, 2, r->fig, &r->years[q].v);
                worksheet_write_number(s, (lxw_row_t)y, 3, (double)r->years[q].v.num, NULL);
                worksheet_write_number(s, (lxw_row_t)y, 4, (double)r->years[q].v.den, NULL);
            }
        }
    }
    if (ds->has_reviews) {
        lxw_worksheet *s = workbook_add_worksheet(wb, "Case reviews");
        static const char *const h[] = {"Working Together 2018 ch.4"};
        svp_xlsx_header(s, bold, h, 1);
        worksheet_set_column(s, 0, 0, 120, NULL);
        for (int k = 0; k < 3; k++)
            worksheet_write_string(s, (lxw_row_t)(k + 1), 0, ds->reviews.sentences[k], NULL);
    }
}

int report_write_xlsx(const struct report_dataset *ds, const char *path, char **bytes, size_t *len,
                      struct svp_err *err)
{
    char title[64];
    snprintf(title, sizeof title, "Core dataset %s", ds->period.label);
    if (path)
        return svp_xlsx_write(path, title, fill, (void *)ds, err);
    return svp_xlsx_bytes(title, fill, (void *)ds, bytes, len, err);
}
