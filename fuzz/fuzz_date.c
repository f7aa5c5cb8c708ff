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
    /* the patterns of other systems' exports: 12-hour clocks, padding, fractions */
    static const char *const fmts[] = {"%b %d %Y %I:%M%p", "%d/%m/%Y %I:%M:%S %p",
                                       "%d-%b-%y %H.%M.%S.%f", "%d %B %Y"};
    struct svp_date_opts o = {.century_end = 2024, .london = true};
    for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++)
        if (svp_time_parse_fmt_opt(s, size, fmts[i], &o, &t, &err) == SVP_OK &&
            (t < (svp_time)-62135596800LL || t > (svp_time)253402300799LL))
            abort(); /* a read date is between years 1 and 9999 */
    return rc == SVP_OK ? 0 : 0; /* either outcome is fine; only a crash is a failure */
}
