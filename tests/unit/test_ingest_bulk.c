/* PostgreSQL's bulk import path (src/ingest/stage.c): its foreign keys checked set-based once
 * per send under session_replication_role = replica where the role may set it, by the
 * triggers row by row where it may not, and the same rows either way (on SQLite the same
 * imports give the rows the literals below hold, so the two back ends are compared too). */
#include "ingest_fixture.h"

#include "ingest/import_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char file_v1[] =
    "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
    "E1,P1,\"SMITH, Jane\",03/04/2010,F,sn151ab,01/02/2024 18:30,02/02/2024 09:00,"
    "Park,SN1 1AA,N,P2\n"
    "E2,P2,\"JONES, Tom\",28/02/2011,M,SN1 1AB,01/02/2024 18:30,,Park,SN1 1AA,N,P1;P9\n"
    "E3,P3,\"BROWN, Amy\",01/02/2011,Q,SN1 1AB,01/02/2024 18:30,,,,,\n";

static const char file_v2[] =
    "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
    "E1,P1,\"SMITH-JONES, Jane\",03/04/2010,F,sn151ab,01/02/2024 18:30,02/02/2024 09:00,"
    "Park,SN1 1AA,N,P2\n"
    "E4,P4,\"GREEN, Al\",01/01/2012,M,SN1 1AB,05/02/2024 18:30,,,,,\n";

/* A second source in the same id space, its first file (the bulk path on PostgreSQL) naming a
 * person already stored, one it adds, and one named twice with a change between. */
static const char other_profile[] =
    "[source]\nname = t-other\nagency = police\nid_space = t-police\nperson_id = PID\n"
    "row_id = RID\n"
    "[record]\nfull_name = Name | surname_first | required\ndob = DOB | date %d/%m/%Y\n"
    "sex = Sex | required\n"
    "[event]\ntype = \"incident\"\nstarted_at = Day | date %d/%m/%Y\n"
    "[relationship]\nkind = \"co_involved\"\nother = With | list ;\nboth_ways = yes\n";
static const char other_1[] =
    "RID,PID,Name,DOB,Sex,Day,With\n"
    "O1,P2,\"JONES, Tom\",28/02/2011,M,02/03/2024,P5\n"
    "O2,P5,\"WHITE, Kim\",05/05/2010,F,03/03/2024,P2\n"
    "O3,P5,\"WHITE, Kim\",05/06/2010,F,04/03/2024,\n";

static void exec_ok(struct store *s, const char *sql)
{
    struct svp_err err;
    if (store_exec(s, sql, &err))
        fail_msg("%s: %s", sql, err.msg);
}

/* The three imports and what they store, on either back end and either PostgreSQL path. */
static void import_and_compare(struct fixture *f)
{
    import(f, "v1.csv", file_v1);
    import(f, "v2.csv", file_v2); /* a later file: row by row */
    struct ingest_profile *other = profile_of(other_profile);
    import_through(f, other, "o1.csv", other_1, NULL); /* a first file: the bulk path */
    ingest_profile_free(&other);
    expect_dump(f->s, "SELECT id, source, agency_record_id, dob, file_id, line FROM record "
                      "ORDER BY id",
                "1:t-police:P1:2010-04-03:2:2:\n2:t-police:P2:2011-02-28:1:3:\n"
                "3:t-police:P9:-:1:3:\n4:t-police:P4:2012-01-01:2:3:\n"
                "5:t-police:P5:2010-06-05:3:4:\n");
    expect_dump(f->s, "SELECT id, record_id, file_id, line FROM record_history ORDER BY id",
                "1:1:2:2:\n2:5:3:4:\n");
    expect_dump(f->s, "SELECT id, source, agency_event_id, record_id, file_id FROM event "
                      "ORDER BY id",
                "1:t-missing:E1:1:1:\n2:t-missing:E2:2:1:\n3:t-missing:E4:4:2:\n"
                "4:t-other:O1:2:3:\n5:t-other:O2:5:3:\n6:t-other:O3:5:3:\n");
    expect_dump(f->s, "SELECT id, kind, record_a, record_b, event_id, file_id FROM "
                      "relationship ORDER BY id",
                "1:found_with:1:2:1:1:\n2:found_with:2:1:1:1:\n3:found_with:2:1:2:1:\n"
                "4:found_with:1:2:2:1:\n5:found_with:2:3:2:1:\n6:found_with:3:2:2:1:\n"
                "7:co_involved:2:5:4:3:\n8:co_involved:5:2:4:3:\n9:co_involved:5:2:5:3:\n"
                "10:co_involved:2:5:5:3:\n");
}

/* A reference list of places ([place] profile): on PostgreSQL settled in memory and written
 * by one COPY and one UPDATE at the end of the file (src/ingest/places.c), on SQLite row by
 * row; the same places either way, as the literals say. The list updates a place the events
 * stored (values given win, absent ones keep the stored), adds two, and names one of its new
 * ones again (an update of the row before it: its in_county always wins); a later events file
 * gives the next new place the id after them. */
static const char places_profile[] =
    "[source]\nname = t-places\nagency = ref\nrow_id = RID\n"
    "[place]\nname = Name\npostcode = PC | postcode\nlat = Lat | number\nlon = Lon | number\n"
    "area = Area\nin_county = Area | map inside | flag\nkind = Kind\n"
    "[map inside]\nOUT = no\n* = yes\n";
static const char places_file[] =
    "RID,Name,PC,Lat,Lon,Area,Kind\n"
    "R1,Park,SN1 1AA,51.5,-1.75,CA01,park\n"
    "R2,School,sn2 2bb,51.6,,CA02,school\n"
    "R3,School,SN2 2BB,,-1.8,OUT,\n"
    "R4,Shop,SN3 3CC,,,CA03,\n"
    "R5,Park,SN1 1AA,,,CA09,\n";
static const char places_events[] =
    "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
    "E7,P7,\"GREY, Ann\",03/04/2010,F,SN1 1AB,01/03/2024 18:30,,Library,SN4 4DD,N,\n";

static void test_bulk_places_reference_list(void **state)
{
    struct fixture *f = *state;
    import(f, "v1.csv", file_v1); /* place 1: Park, SN1 1AA, from the events */
    struct ingest_profile *pp = profile_of(places_profile);
    struct ingest_result r = import_through(f, pp, "places.csv", places_file, NULL);
    assert_int_equal(r.rows_accepted, 5);
    assert_int_equal(r.rows_new, 2);
    assert_int_equal(r.rows_updated, 3);
    const char *q = "SELECT id, place_key, name, postcode, lat, lon, area, in_county, kind "
                    "FROM place ORDER BY id";
    const char *want = "1:park|SN1 1AA:Park:SN1 1AA:51.5:-1.75:CA09:1:park:\n"
                       "2:school|SN2 2BB:School:SN2 2BB:51.6:-1.8:OUT:0:school:\n"
                       "3:shop|SN3 3CC:Shop:SN3 3CC:-:-:CA03:1:-:\n";
    expect_dump(f->s, q, want);
    /* the same list again: every place known, nothing changes */
    r = import_through(f, pp, "places2.csv", places_file, NULL);
    ingest_profile_free(&pp);
    expect_dump(f->s, q, want);
    import(f, "v3.csv", places_events);
    assert_int_equal(count(f->s, "SELECT id FROM place WHERE postcode = 'SN4 4DD'"), 4);
}

/* As the test server's superuser: the bulk path checks its own keys (SQLite: the same rows). */
static void test_bulk_rows_with_keys_checked_per_send(void **state)
{
    import_and_compare(*state);
}

/* A role that may not set session_replication_role (no superuser, no grant) imports the same
 * rows through the same path, its keys checked by PostgreSQL's triggers: setting the
 * parameter anyway would refuse the file ("permission denied"). */
static void test_bulk_rows_without_the_privilege(void **state)
{
    struct fixture *f = *state;
    char role[64], sql[512];
    snprintf(role, sizeof role, "svp_t_plain_%ld", (long)getpid());
    snprintf(sql, sizeof sql,
             "DROP ROLE IF EXISTS %s; CREATE ROLE %s; "
             "GRANT ALL ON ALL TABLES IN SCHEMA public TO %s; "
             "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO %s; SET ROLE %s",
             role, role, role, role, role);
    exec_ok(f->s, sql);
    assert_int_equal(count(f->s, "SELECT CASE WHEN current_setting('is_superuser') = 'off' "
                                 "THEN 1 ELSE 0 END"), 1);
    import_and_compare(f);
    snprintf(sql, sizeof sql, "RESET ROLE; DROP OWNED BY %s; DROP ROLE %s", role, role);
    exec_ok(f->s, sql);
}

/* The parameter is set for a send only: an import inside a caller's transaction leaves it
 * `origin`, and a row naming no record is then refused by the trigger as before. */
static void test_bulk_replica_role_ends_with_the_send(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    if (store_begin(f->s, &err))
        fail_msg("begin: %s", err.msg);
    import(f, "v1.csv", file_v1);
    assert_int_equal(count(f->s, "SELECT MAX(id) FROM event"), 2);
    assert_int_equal(count(f->s, "SELECT CASE WHEN current_setting('session_replication_role')"
                                 " = 'origin' THEN 1 ELSE 0 END"), 1);
    assert_int_not_equal(store_exec(f->s, "INSERT INTO event (id, source, agency, "
                                          "agency_event_id, record_id, type, started_at) "
                                          "VALUES (50, 't-x', 'police', 'X', 999, 'x', "
                                          "'2024-01-01')", &err), 0);
    store_rollback(f->s);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 0);
}

/* The set-based checks themselves, on rows written with the triggers off: each kind of
 * dangling key refuses the send with one line saying so, and rows naming what is stored
 * pass. */
static void test_bulk_dangling_keys_refused(void **state)
{
    struct fixture *f = *state;
    import(f, "v1.csv", file_v1); /* source_file 1, records 1-3, events 1-2, place 1 */
    struct svp_err err;
    struct imp im = {.s = f->s, .path = "x.csv", .err = &err, .file_id = 1};
    static const struct {
        int stage;
        const char *sql; /* with the triggers off */
        bool ok;
    } cases[] = {
        {IMP_STAGE_EVENT, "INSERT INTO event (id, source, agency, agency_event_id, record_id, "
                          "type, started_at, place_id, file_id) VALUES (100, 't-x', 'police', "
                          "'A', 2, 'x', '2024-01-01', 1, 1)", true},
        {IMP_STAGE_EVENT, "INSERT INTO event (id, source, agency, agency_event_id, record_id, "
                          "type, started_at, file_id) VALUES (100, 't-x', 'police', 'A', 999, "
                          "'x', '2024-01-01', 1)", false},
        {IMP_STAGE_EVENT, "INSERT INTO event (id, source, agency, agency_event_id, record_id, "
                          "type, started_at, place_id, file_id) VALUES (100, 't-x', 'police', "
                          "'A', 2, 'x', '2024-01-01', 77, 1)", false},
        {IMP_STAGE_EVENT, "INSERT INTO event (id, source, agency, agency_event_id, record_id, "
                          "type, started_at, file_id) VALUES (100, 't-x', 'police', 'A', 2, "
                          "'x', '2024-01-01', 9)", false},
        {IMP_STAGE_RECORD, "INSERT INTO record (id, source, agency, agency_record_id, role, "
                           "file_id) VALUES (100, 't-x', 'police', 'Q', 'unknown', 1)", true},
        {IMP_STAGE_RECORD, "INSERT INTO record (id, source, agency, agency_record_id, role, "
                           "file_id) VALUES (100, 't-x', 'police', 'Q', 'unknown', 9)", false},
        {IMP_STAGE_HISTORY, "INSERT INTO svp_stage_history VALUES (1, 3, 2, '{}')", true},
        {IMP_STAGE_HISTORY, "INSERT INTO svp_stage_history VALUES (1, 999, 2, '{}')", false},
        /* a later file's changed events and their history (seq, id, record, type, subtype,
         * started, ended, place, detail, line, hash) */
        {IMP_STAGE_EVUP, "INSERT INTO svp_stage_evup VALUES (1, 1, 2, 'x', NULL, "
                         "'2024-01-01', NULL, 1, NULL, 2, 'h')", true},
        {IMP_STAGE_EVUP, "INSERT INTO svp_stage_evup VALUES (1, 1, 999, 'x', NULL, "
                         "'2024-01-01', NULL, NULL, NULL, 2, 'h')", false},
        {IMP_STAGE_EVUP, "INSERT INTO svp_stage_evup VALUES (1, 1, 2, 'x', NULL, "
                         "'2024-01-01', NULL, 77, NULL, 2, 'h')", false},
        {IMP_STAGE_EVHIST, "INSERT INTO svp_stage_evhist VALUES (1, 2, 2, '{}')", true},
        {IMP_STAGE_EVHIST, "INSERT INTO svp_stage_evhist VALUES (1, 999, 2, '{}')", false},
        {IMP_STAGE_REL, "INSERT INTO svp_stage_rel VALUES (1, 'k', 1, 2, 1, 2)", true},
        {IMP_STAGE_REL, "INSERT INTO svp_stage_rel VALUES (1, 'k', 1, 2, NULL, 2)", true},
        {IMP_STAGE_REL, "INSERT INTO svp_stage_rel VALUES (1, 'k', 999, 2, 1, 2)", false},
        {IMP_STAGE_REL, "INSERT INTO svp_stage_rel VALUES (1, 'k', 1, 999, 1, 2)", false},
        {IMP_STAGE_REL, "INSERT INTO svp_stage_rel VALUES (1, 'k', 1, 2, 999, 2)", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (store_begin(f->s, &err))
            fail_msg("begin: %s", err.msg);
        /* the import made the stage tables for this connection (stage.c) */
        exec_ok(f->s, "SET LOCAL session_replication_role = replica; "
                      "DELETE FROM svp_stage_history; DELETE FROM svp_stage_rel; "
                      "DELETE FROM svp_stage_evup; DELETE FROM svp_stage_evhist");
        exec_ok(f->s, cases[i].sql);
        im.stage_lo[cases[i].stage] = im.stage_hi[cases[i].stage] = 100;
        memset(&err, 0, sizeof err);
        int rc = imp_stage_keys_checked(&im, cases[i].stage);
        if (cases[i].ok && rc)
            fail_msg("case %zu refused: %s", i, err.msg);
        if (!cases[i].ok) {
            if (rc != SVP_EINTERNAL)
                fail_msg("case %zu: %d, not refused", i, rc);
            assert_has(err.msg, "x.csv: rows of the file name records, places or events that "
                                "are not stored");
        }
        store_rollback(f->s);
    }
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bulk_rows_with_keys_checked_per_send, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bulk_places_reference_list, setup, teardown),
        /* PostgreSQL only: */
        cmocka_unit_test_setup_teardown(test_bulk_rows_without_the_privilege, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_replica_role_ends_with_the_send, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bulk_dangling_keys_refused, setup, teardown),
    };
    size_t n = testutil_backend_is_pg() ? sizeof tests / sizeof tests[0] : 2;
    return _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
}
