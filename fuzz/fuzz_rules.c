/* Fuzz target: the statutory rules table parser accepts only well-formed tables, and every
 * rule it accepts has a positive amount, a known unit and a direction. */
#include "clock/clock.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct clock_rules *rules = NULL;
    struct svp_err err;
    if (clock_rules_parse((const char *)data, size, "fuzz.csv", &rules, &err) == SVP_OK) {
        for (size_t i = 0; i < rules->n; i++) {
            const struct clock_rule *r = &rules->v[i];
            if (r->amount <= 0 || (r->direction != 1 && r->direction != -1) ||
                r->unit > CLOCK_MONTHS || !r->id[0])
                abort();
            if (clock_rules_find(rules, r->id) != &rules->v[i])
                abort(); /* ids are unique */
        }
        clock_rules_free(&rules);
    } else if (rules) {
        abort(); /* nothing is returned on error */
    }
    return 0;
}
