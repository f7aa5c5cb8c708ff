/* Fuzz target: the CSV reader must never crash, hang or read out of bounds. */
#include "base/base.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct svp_csv_opts opts = {.max_field = 256, .max_fields = 16};
    struct svp_csv *csv = NULL;
    struct svp_err err;
    if (svp_csv_open_mem((const char *)data, size, &opts, &csv, &err))
        return 0;
    struct svp_csv_row row;
    while (svp_csv_next(csv, &row, &err) == 1)
        for (size_t i = 0; i < row.nfields; i++)
            if (row.fields[i].p[row.fields[i].len] != '\0')
                abort();
    svp_csv_free(&csv);
    return 0;
}
