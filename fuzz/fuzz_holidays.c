/* Fuzz target: gov.uk bank-holidays.json parsing returns only real dates, or nothing. */
#include "clock/clock.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    svp_day *days = NULL;
    char **titles = NULL;
    size_t n = 0;
    struct svp_err err;
    if (clock_holidays_parse_json((const char *)data, size, "fuzz.json", &days, &titles, &n,
                                  &err) == SVP_OK) {
        if (n == 0 || !days || !titles)
            abort();
        for (size_t i = 0; i < n; i++) {
            int y, m, d;
            svp_date_to_ymd(days[i], &y, &m, &d);
            if (m < 1 || m > 12 || d < 1 || d > 31 || !titles[i])
                abort();
            svp_free(titles[i]);
        }
        svp_free(titles);
        svp_free(days);
    } else if (days || titles || n) {
        abort();
    }
    return 0;
}
