/* Fuzz target: name normalisation accepts any bytes without crashing and its output is
 * valid UTF-8 and a fixed point (normalising twice changes nothing). */
#include "base/base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL, *again = NULL;
    struct svp_err err;
    if (svp_name_normalise((const char *)data, size, &out, &err) != SVP_OK)
        return 0;
    size_t n = strlen(out);
    if (!svp_utf8_valid(out, n, NULL))
        abort();
    if (svp_name_normalise(out, n, &again, &err) != SVP_OK || strcmp(out, again) != 0)
        abort();
    free(out);
    free(again);
    char *u8 = NULL;
    if (svp_cp1252_to_utf8((const char *)data, size, &u8, &n, &err) == SVP_OK) {
        if (!svp_utf8_valid(u8, n, NULL))
            abort();
        free(u8);
    }
    return 0;
}
