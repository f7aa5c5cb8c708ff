/* The ingest suite's fast paths, on SQLite and on PostgreSQL: what they skip must leave the
 * rows, counts, history and rejects the plain path gives. A row whose person and record
 * columns repeat the previous row's is not evaluated again (an attendance file's pupil,
 * one row per term). */
#include "ingest_fixture.h"

#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char memo_profile[] =
    "[source]\n"
    "name = t-memo\n"
    "agency = education\n"
    "person_id = PID\n"
    "row_id = RID\n"
    "[record]\n"
    "full_name = Name | surname_first | required\n"
    "dob = DOB | date %d/%m/%Y\n"
    "postcode = PC | postcode\n"
    "[event]\n"
    "type = \"school_attendance\"\n"
    "started_at = From | date %d/%m/%Y\n";

/* Rows 3 and 5 repeat the previous row's record (nothing evaluated, nothing written); row 4
 * changes it (history); rows 6 and 7 repeat a date of birth that is dropped, each with its
 * own line in the rejects file; row 8 goes back to row 2's values after another person's
 * rows (history again); row 9 is rejected after its record was evaluated, and row 10, the
 * same record, is then stored as new. */
static const char memo_v1[] =
    "RID,PID,Name,DOB,PC,From\n"
    "E1,P1,\"SMITH, Jane\",03/04/2010,SN1 1AA,01/02/2024\n"
    "E2,P1,\"SMITH, Jane\",03/04/2010,SN1 1AA,02/02/2024\n"
    "E3,P1,\"SMITH, Jane\",03/04/2010,SN2 2BB,03/02/2024\n"
    "E4,P1,\"SMITH, Jane\",03/04/2010,SN2 2BB,04/02/2024\n"
    "E5,P2,\"JONES, Tom\",01/01/2030,SN1 1AB,01/02/2024\n"
    "E6,P2,\"JONES, Tom\",01/01/2030,SN1 1AB,02/02/2024\n"
    "E7,P1,\"SMITH, Jane\",03/04/2010,SN1 1AA,05/02/2024\n"
    "E8,P3,\"BROWN, Amy\",01/02/2011,SN1 1AB,\n"
    "E9,P3,\"BROWN, Amy\",01/02/2011,SN1 1AB,06/02/2024\n";

/* The next extract: row 2 changes P1 (history), row 3 repeats it (unchanged). */
static const char memo_v2[] =
    "RID,PID,Name,DOB,PC,From\n"
    "E1,P1,\"SMITH, Jane\",03/04/2010,SN9 9ZZ,01/02/2024\n"
    "E2,P1,\"SMITH, Jane\",03/04/2010,SN9 9ZZ,02/02/2024\n";

static void test_repeated_record_rows(void **state)
{
    struct fixture *f = *state;
    struct ingest_profile *p = profile_of(memo_profile);
    struct ingest_result r = import_through(f, p, "memo1.csv", memo_v1, "2024-08-01");
    assert_int_equal(r.rows_read, 9);
    assert_int_equal(r.rows_accepted, 8);
    assert_int_equal(r.rows_rejected, 1); /* E8: no start */
    assert_int_equal(r.values_dropped, 2); /* E5 and E6: a date of birth in the future */
    assert_int_equal(r.rows_new, 8);       /* every accepted row brought a new event */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 8);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history"), 2);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history WHERE line = 4 AND "
                                 "previous LIKE '%\"postcode\":\"SN1 1AA\"%'"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history WHERE line = 8 AND "
                                 "previous LIKE '%\"postcode\":\"SN2 2BB\"%'"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = 'P1' "
                                 "AND postcode = 'SN1 1AA' AND line = 8"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = 'P2' "
                                 "AND dob IS NULL AND line = 6"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = 'P3' "
                                 "AND line = 10"), 1);
    /* every event names its own person's record */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event e JOIN record x ON x.id = "
                                 "e.record_id WHERE (e.agency_event_id IN ('E1', 'E2', 'E3', "
                                 "'E4', 'E7') AND x.agency_record_id = 'P1') OR "
                                 "(e.agency_event_id IN ('E5', 'E6') AND x.agency_record_id = "
                                 "'P2') OR (e.agency_event_id = 'E9' AND "
                                 "x.agency_record_id = 'P3')"), 8);
    char *rej = slurp(f->rejects);
    assert_non_null(rej);
    assert_int_equal(count_lines(rej, "row kept without date of birth"), 2);
    assert_has(rej, "memo1.csv,6,DOB,");
    assert_has(rej, "memo1.csv,7,DOB,");
    assert_has(rej, "memo1.csv,9,From,");
    free(rej);

    r = import_through(f, p, "memo2.csv", memo_v2, "2024-08-01");
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(r.rows_updated, 1);
    assert_int_equal(r.rows_unchanged, 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history"), 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = 'P1' "
                                 "AND postcode = 'SN9 9ZZ' AND line = 2"), 1);
    ingest_profile_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_repeated_record_rows, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
