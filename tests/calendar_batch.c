/* Answers working-day questions read from stdin, one per line, with svp's calendar (the
 * embedded bank holidays), for the differential test against python3-workalendar:
 *   add YYYY-MM-DD N        -> the N-th working day after the date
 *   between YYYY-MM-DD YYYY-MM-DD -> working days after the first up to the second
 * Prints one answer per line, or "error MESSAGE". */
#include "base/base.h"

#include <stdlib.h>
#include <string.h>

int main(void)
{
    const struct svp_embedded *e = svp_data_find("bank-holidays.csv");
    struct svp_calendar *cal = NULL;
    struct svp_err err;
    if (!e || svp_calendar_load_csv_mem(e->data, e->len, "bank-holidays.csv", &cal, &err)) {
        fprintf(stderr, "cannot load the calendar\n");
        return 3;
    }
    char line[128], op[16], a[16], b[16];
    while (fgets(line, sizeof line, stdin)) {
        if (sscanf(line, "%15s %15s %15s", op, a, b) != 3) {
            printf("error bad line\n");
            continue;
        }
        svp_day da, db;
        int64_t n;
        if (svp_date_parse_iso(a, strlen(a), &da, &err)) {
            printf("error %s\n", err.msg);
        } else if (!strcmp(op, "add")) {
            if (svp_parse_i64(b, &n) || n < -100000 || n > 100000)
                printf("error bad number\n");
            else if (svp_calendar_add_working_days(cal, da, (int)n, &db, &err))
                printf("error %s\n", err.msg);
            else {
                char out[16];
                svp_date_format(db, out, sizeof out);
                printf("%s\n", out);
            }
        } else {
            int k;
            if (svp_date_parse_iso(b, strlen(b), &db, &err) ||
                svp_calendar_working_days_between(cal, da, db, &k, &err))
                printf("error %s\n", err.msg);
            else
                printf("%d\n", k);
        }
    }
    svp_calendar_free(&cal);
    return 0;
}
