/* Adult safeguarding: the Safeguarding Adults Collection's figures for a period, from the
 * one function behind `svp adults sac` (adults_sac_compute), so the page and the command
 * agree. Aggregate figures only: no person is named. */
#include "adults/adults.h"
#include "http_int.h"

#include <stdlib.h>
#include <string.h>

void api_adults_sac(struct http_req *req)
{
    const char *from = NULL, *to = NULL;
    int64_t year;
    if (!http_req_query(req, "from", 10, &from) || !http_req_query(req, "to", 10, &to) ||
        !http_req_query_int(req, "year", 1900, 2999,
                            adults_last_financial_year(svp_date_today()), &year))
        return;
    svp_day a, b;
    struct svp_err err;
    bool has_from = from && *from, has_to = to && *to;
    if (has_from != has_to) {
        http_reply_error(req, 400, has_from ? "to" : "from", "give both from and to");
        return;
    }
    if (has_from) {
        if (svp_date_parse_iso(from, strlen(from), &a, &err)) {
            http_reply_error(req, 400, "from", "must be a date YYYY-MM-DD");
            return;
        }
        if (svp_date_parse_iso(to, strlen(to), &b, &err)) {
            http_reply_error(req, 400, "to", "must be a date YYYY-MM-DD");
            return;
        }
        if (b < a) {
            http_reply_error(req, 400, "to", "the period ends before it starts");
            return;
        }
    } else if (adults_financial_year((int)year, &a, &b)) {
        http_reply_error(req, 400, "year", "must be a year such as 2021");
        return;
    }
    struct adults_sac f;
    int rc = adults_sac_compute(req->db, a, b, &f, &err);
    if (rc) {
        http_reply_status(req, &err);
        return;
    }
    struct svp_buf out;
    svp_buf_init(&out, 1u << 20);
    json_t *j = adults_sac_json(&f, &out) ? NULL : json_loads(out.data, 0, NULL);
    svp_buf_free(&out);
    http_reply_json(req, 200, j); /* NULL: out of memory, answered 503 */
}
