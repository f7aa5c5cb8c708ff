/* Fuzz target: the GeoJSON boundaries parser must never crash or hang, pass on a feature
 * without a name or with a label point outside WGS84, or pass on anything when it failed. */
#include "context/context.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int feature(void *arg, const struct context_boundary *b)
{
    long *n = arg;
    const char *t = json_string_value(json_object_get(b->geometry, "type"));
    if (!b->name || !*b->name || !b->code || !*b->code || !t ||
        (strcmp(t, "Polygon") && strcmp(t, "MultiPolygon")) || !(b->label_lat >= -90) ||
        !(b->label_lat <= 90) || !(b->label_lon >= -180) || !(b->label_lon <= 180))
        abort();
    (*n)++;
    return 0;
}

static void bad(void *arg, long no, const char *why)
{
    (void)arg;
    if (no < 1 || !strstr(why, "feature"))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct context_import_report rep;
    struct svp_err err;
    long passed = 0;
    int rc = context_boundaries_parse((const char *)data, size, "fuzz", NULL, feature, bad,
                                      &passed, &rep, &err);
    if ((rc == 0 && (rep.rejected || passed != rep.rows || rep.imported != rep.rows)) ||
        (rc != 0 && passed))
        abort();
    return 0;
}
