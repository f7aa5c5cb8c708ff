/* Fuzz target: an Excel workbook read into CSV text (src/ingest/xlsx_in.c: libzip and
 * libxml2 under svp's own walk of the parts). Any bytes either give CSV text that svp's
 * reader reads whole, with every row ending in a line end, or refuse with a message; no
 * crash, hang, leak or read out of bounds. */
#include "ingest/ingest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *csv = NULL;
    size_t len = 0;
    struct svp_err err;
    int rc = ingest_xlsx_to_csv((const char *)data, size, NULL, ',', &csv, &len, &err);
    if (rc) {
        if (!err.msg[0] || csv)
            abort(); /* a refusal says why and hands back nothing */
        return 0;
    }
    if (!csv || !len || csv[len - 1] != '\n' || strlen(csv) != len)
        abort(); /* whole rows, no NUL inside */
    struct svp_csv *c = NULL;
    if (svp_csv_open_mem(csv, len, NULL, &c, &err))
        abort();
    struct svp_csv_row row;
    while ((rc = svp_csv_next(c, &row, &err)) == 1)
        ;
    svp_csv_free(&c);
    svp_free(csv);
    return 0;
}
