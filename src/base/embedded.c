/* Reference data carried inside the binary, so svp runs from any directory. */
#include "base.h"

#include <string.h>

extern const struct svp_embedded svp_data[];

const struct svp_embedded *svp_data_find(const char *name)
{
    for (const struct svp_embedded *e = svp_data; e->name; e++)
        if (!strcmp(e->name, name))
            return e;
    return NULL;
}
