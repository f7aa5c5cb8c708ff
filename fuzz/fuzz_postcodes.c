/* Fuzz target: the postcode lookup parser must never crash, hang or accept a row that is
 * not a canonical postcode with coordinates in range. */
#include "context/context.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int row(void *arg, const char *pc, double lat, double lon, const char *area, bool in_county)
{
    (void)arg;
    if (!in_county && strcasecmp(area, "OUT"))
        abort();
    char again[10];
    if (!context_postcode_canonical(pc, again, sizeof again) || strcmp(again, pc) ||
        !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) || !*area)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct context_import_report rep;
    struct svp_err err;
    if (context_postcodes_parse((const char *)data, size, "fuzz", row, NULL, NULL, &rep, &err) ==
            0 &&
        rep.imported + rep.rejected != rep.rows)
        abort();
    return 0;
}
