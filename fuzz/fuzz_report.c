/* Fuzz target: the report room's parsers. The benchmarks table accepts only well-formed
 * tables, every row of which names a known figure with a source and a year; a period is
 * refused or runs forwards. */
#include "report/report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct report_benchmarks *b = NULL;
    struct svp_err err;
    if (report_benchmarks_parse((const char *)data, size, &b, &err) == SVP_OK) {
        for (size_t i = 0; i < b->n; i++)
            if (!report_figure_find(b->v[i].figure) || !b->v[i].source[0] || !b->v[i].year[0] ||
                !b->v[i].comparator[0])
                abort();
        report_benchmarks_free(&b);
    } else if (b) {
        abort(); /* nothing is returned on error */
    }
    char period[64];
    size_t n = size < sizeof period - 1 ? size : sizeof period - 1;
    memcpy(period, data, n);
    period[n] = '\0';
    struct report_period p;
    if (report_period_parse(period, &p, &err) == SVP_OK) {
        if (p.to < p.from || !p.label[0])
            abort();
        struct report_period q[8];
        size_t k = report_period_quarters(&p, q, 8);
        for (size_t i = 0; i < k; i++)
            if (q[i].from < p.from || q[i].to > p.to || q[i].to < q[i].from)
                abort();
    }
    return 0;
}
