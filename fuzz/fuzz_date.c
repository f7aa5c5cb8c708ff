/* Fuzz target: date and time parsers accept only real dates and round-trip them. */
#include "base/base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct svp_err err;
    svp_day d;
    if (svp_date_parse_iso(s, size, &d, &err) == SVP_OK) {
        char buf[16];
        svp_date_format(d, buf, sizeof buf);
        if (size != 10 || memcmp(buf, s, 10) != 0)
            abort(); /* a parsed date must print back as itself */
    }
    svp_time t;
    int rc = svp_time_parse_iso(s, size, &t, &err);
    rc |= svp_time_parse_fmt(s, size, "%d/%m/%Y %H:%M", &t, &err);
    return rc == SVP_OK ? 0 : 0; /* either outcome is fine; only a crash is a failure */
}
