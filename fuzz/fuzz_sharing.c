/* Fuzz target: the partnership's sharing rules file (data/sharing.csv, loaded with `svp user
 * sharing load`). Anything is either refused with a message or parsed into at most 256 rules;
 * a file parsed twice gives the same rules, and every category looked up is one of the known
 * categories. */
#include "access/access.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct access_policy *p = NULL, *again = NULL;
    struct svp_err err;
    svp_err_clear(&err);
    if (access_policy_parse((const char *)data, size, "fuzz.csv", &p, &err) != SVP_OK) {
        if (p || !err.msg[0])
            abort();
        return 0;
    }
    if (access_policy_parse((const char *)data, size, "fuzz.csv", &again, &err) != SVP_OK ||
        access_policy_rules(p) != access_policy_rules(again) || access_policy_rules(p) > 256)
        abort();
    static const char *const types[] = {"missing_episode", "sexual_health", "referral", "x", NULL};
    for (const char *const *t = types; *t; t++) {
        int c = access_event_category(p, *t, NULL);
        if (c < 0 || c >= ACCESS_NCAT || c != access_event_category(again, *t, NULL))
            abort();
    }
    access_policy_free(&p);
    access_policy_free(&again);
    return 0;
}
