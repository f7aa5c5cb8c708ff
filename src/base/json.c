#include "base/json.h"

#include "base/base.h"

#include <stdlib.h>

char *svp_json_dumps(const json_t *obj, size_t flags)
{
    if (!obj)
        return NULL;
    unsigned long before = svp_mem_failures();
    char *text = json_dumps(obj, flags);
    if (text && svp_mem_failures() != before) {
        free(text);
        return NULL;
    }
    return text;
}
