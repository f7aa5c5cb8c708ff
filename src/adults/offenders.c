/* Known offenders (docs/adults.md): whether a person is on the police's or probation's list
 * of adults who pose a risk to children on a day, from their offender_management events. The
 * tracker already makes such an adult "of concern" (src/risk/panel.c); this answers the
 * person page's alert: which of the adults a child's reasons name is a known offender, on
 * what basis and since when. */
#include "adults.h"

#include "store/store.h"

#include <jansson.h>
#include <string.h>

int adults_known_offender(struct store *s, int64_t person_id, svp_day as_of,
                          struct adults_offender *out, struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    char upto[16];
    svp_date_format(as_of + 1, upto, sizeof upto);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT e.id, e.agency, e.subtype, e.started_at, e.ended_at, e.detail "
                           "FROM event e JOIN person_record pr ON pr.record_id = e.record_id "
                           "WHERE pr.person_id = ? AND e.type = 'offender_management' AND "
                           "e.started_at < ? ORDER BY e.started_at DESC, e.id DESC",
                           &st, err);
    if (rc)
        return rc;
    if (store_bind_int64(st, 1, person_id) || store_bind_text(st, 2, upto, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    char today[16];
    svp_date_format(as_of, today, sizeof today);
    while ((rc = store_step(st, err)) == STORE_ROW) {
        const char *ended = store_column_text(st, 4), *start = store_column_text(st, 3);
        if (ended && *ended && strncmp(ended, today, 10) < 0)
            continue; /* managed once, not now */
        struct svp_err ignore;
        if (!start || strlen(start) < 10 || svp_date_parse_iso(start, 10, &out->since, &ignore))
            continue;
        out->listed = true;
        out->event_id = store_column_int64(st, 0);
        const char *ag = store_column_text(st, 1), *sub = store_column_text(st, 2),
                   *dtext = store_column_text(st, 5);
        svp_strlcpy(out->agency, ag ? ag : "", sizeof out->agency);
        svp_strlcpy(out->basis, sub ? sub : "", sizeof out->basis);
        json_error_t je;
        json_t *d = dtext ? json_loads(dtext, 0, &je) : NULL;
        const char *m = json_string_value(json_object_get(d, "managing_agency"));
        svp_strlcpy(out->managing_agency, m ? m : "", sizeof out->managing_agency);
        json_decref(d);
        rc = STORE_DONE;
        break;
    }
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}
