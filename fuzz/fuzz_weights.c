/* Fuzz target: the risk weights file parser must refuse bad input with a message and never
 * crash, hang or read out of bounds; anything it accepts must be usable. */
#include "risk/risk.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct risk_weights w;
    struct svp_err err;
    int rc = risk_weights_parse((const char *)data, size, "fuzz.csv", &w, &err);
    if (rc == SVP_OK) {
        for (int i = 0; i < RISK_INDICATOR_COUNT; i++)
            if (w.ind[i].weight < 0 || w.ind[i].half_life_days < 0 || w.ind[i].cap < 1)
                abort();
        if (w.band_medium <= 0 || w.band_high < w.band_medium || w.age_min >= w.age_max)
            abort();
    } else if (rc != SVP_EINPUT || !err.msg[0]) {
        abort();
    }
    return 0;
}
