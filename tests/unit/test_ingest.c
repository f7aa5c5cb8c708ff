/* The ingest suite, on SQLite and on PostgreSQL: import through a profile, idempotence,
 * incremental updates with history, relationships and places, all-or-nothing when the
 * process is killed mid-file, and the profile parser's refusals. */
#include "ingest_fixture.h"

#include "ingest/ingest.h"
#include "link/link.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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
    "E2,P2,\"JONES, Tom\",28/02/2011,M,SN1 1AB,01/02/2024 18:30,03/02/2024 08:00,Park,"
    "SN1 1AA,Y,P1;P9\n"
    "E4,P4,\"GREEN, Al\",01/01/2012,M,SN1 1AB,05/02/2024 18:30,,,,,\n";

static void test_import_counts_and_provenance(void **state)
{
    struct fixture *f = *state;
    struct ingest_result r = import(f, "v1.csv", file_v1);
    assert_int_equal(r.rows_read, 3);
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(r.rows_rejected, 1); /* sex Q: a required value that cannot be read */
    assert_int_equal(r.rows_new, 2);
    /* P1, P2 and P9 (named only as found-with: known by id alone). */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE role = 'unknown'"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE file_id IS NOT NULL "
                                 "AND line IN (2, 3) AND type = 'missing_episode'"), 2);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM place"), 1);
    /* P1<->P2 from E1, P2<->P1 and P2<->P9 from E2: both ways. */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), 6);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE norm_family = 'smith' "
                                 "AND postcode = 'SN15 1AB' AND dob = '2010-04-03'"), 1);
    assert_int_equal(count(f->s, "SELECT rows_rejected FROM source_file"), 1);
    struct ingest_count_row *v = NULL;
    size_t n = 0;
    struct svp_err err;
    assert_int_equal(ingest_stats(f->s, &v, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[n - 1].source, "total");
    assert_int_equal(v[n - 1].records, 3);
    assert_int_equal(v[n - 1].events, 2);
    assert_int_equal(v[n - 1].places, 1);
    assert_int_equal(v[n - 1].relationships, 6);
    svp_free(v);
}

/* An unusable date of birth keeps its row without it (issue 9: a record with no date of
 * birth still links on what it has); an event with an impossible date is still refused. */
static void test_bad_dob_keeps_the_row(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
        "E1,P1,\"SMITH, Jane\",31/02/2011,F,SN1 1AB,01/02/2024 18:30,,,,,\n"
        "E2,P2,\"JONES, Tom\",01/01/2999,M,SN1 1AB,01/02/2024 18:30,,,,,\n"
        "E3,P3,\"BROWN, Amy\",01/01/1850,F,SN1 1AB,01/02/2024 18:30,,,,,\n"
        "E4,P4,\"GREEN, Al\",01/01/2012,M,SN1 1AB,31/02/2024 18:30,,,,,\n";
    struct ingest_result r = import(f, "dob.csv", text);
    assert_int_equal(r.rows_read, 4);
    assert_int_equal(r.rows_accepted, 3);
    assert_int_equal(r.rows_rejected, 1); /* E4: the event's day does not exist */
    assert_int_equal(r.values_dropped, 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE dob IS NULL AND "
                                 "agency_record_id IN ('P1', 'P2', 'P3')"), 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = 'P4'"),
                     0);
    assert_int_equal(count(f->s, "SELECT values_dropped FROM source_file"), 3);
    assert_int_equal(count(f->s, "SELECT rows_rejected FROM source_file"), 1);
    struct ingest_source_row *v = NULL;
    size_t n = 0;
    struct svp_err err;
    assert_int_equal(ingest_sources_list(f->s, &v, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].values_dropped, 3);
    svp_free(v);
    /* The same bytes again: already imported, and the counts come back as they were. */
    r = import(f, "dob-again.csv", text);
    assert_true(r.already_imported);
    assert_int_equal(r.values_dropped, 3);
}

/* A person on two rows of one new file with different values: the second row updates the
 * record the first wrote (on PostgreSQL the first insert was queued with a reserved id). */
/* A source's first file names the same found-with person twice on a row, and the same
 * event's relationships again on a later row with the same event id: each relationship is
 * stored once (SQLite keeps this file's in memory then, with no SELECT each). A later file
 * of the same source that names them again adds none (they are in the table by then). */
static void test_relationship_once(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
        "E1,P1,\"SMITH, Jane\",03/04/2010,F,SN1 1AA,01/02/2024 18:30,,,,,P2;P2; P2\n"
        "E2,P2,\"JONES, Tom\",28/02/2011,M,SN1 1AB,01/02/2024 18:30,,,,,P1\n"
        "E2,P2,\"JONES, Tom\",28/02/2011,M,SN1 1AB,01/02/2024 18:30,,,,,P1\n";
    struct ingest_result r = import(f, "dup.csv", text);
    /* the second E2 repeats the first whole: kept once, nothing of it written again */
    assert_int_equal(r.rows_rejected, 0);
    assert_int_equal(r.rows_repeated, 1);
    /* P1<->P2 from E1 and P2<->P1 from E2, both ways: four, not eight. */
    assert_int_equal(r.relationships, 4);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), 4);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM (SELECT DISTINCT kind, record_a, "
                                 "record_b, event_id FROM relationship) d"), 4);
    static const char later[] =
        "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
        "E1,P1,\"SMITH, Jane\",03/04/2010,F,SN1 1AA,01/02/2024 18:30,,,,,P2\n"
        "E3,P2,\"JONES, Tom\",28/02/2011,M,SN1 1AB,03/02/2024 18:30,,,,,P1;P1\n";
    r = import(f, "dup-later.csv", later);
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(r.relationships, 2); /* E3's, both ways, once */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), 6);
}

static void test_record_changes_within_a_file(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
        "E1,P1,\"SMITH, Jane\",03/04/2010,F,SN1 1AA,01/02/2024 18:30,,,,,P9\n"
        "E2,P1,\"SMITH, Jane\",03/04/2010,F,SN2 2BB,02/02/2024 18:30,,,,,\n"
        "E3,P5,\"GREEN, Al\",01/01/2012,M,SN1 1AB,05/02/2024 18:30,,,,,P1\n";
    struct ingest_result r = import(f, "twice.csv", text);
    assert_int_equal(r.rows_accepted, 3);
    assert_int_equal(r.rows_new, 3); /* each row's event is new */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = 'P1' "
                                 "AND postcode = 'SN2 2BB'"), 1);
    /* P1, P5 and P9 (a stub: named only as found-with). */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event e JOIN record x ON x.id = "
                                 "e.record_id"), 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), 4);
}

/* One person changed on three rows of a new file, then unchanged on a fourth. On PostgreSQL
 * the file takes the bulk path (stage.c), which changes a record it staged in memory: the
 * result must be the row-by-row update's, history in order with the line each value came
 * from. A bad row among them is rejected alone, and values with a backslash, a tab or a
 * line end arrive whole through COPY's text format. */
/* A source's later file on PostgreSQL's bulk path (issue 22): an unchanged row sends nothing,
 * a stored record and a stored event changed by the file are merged and compared in memory
 * and sent as one UPDATE each with their history, a new place and a new event are given ids
 * here and COPY'd; a record changed twice keeps both histories. The ids, history rows (their
 * previous values byte for byte) and counts are SQLite's. On PostgreSQL no row took an id
 * from a column default (svp_next_*_id(), what a row-by-row INSERT calls) but the file's. */
static void test_later_file_set_based(void **state)
{
    struct fixture *f = *state;
    static const char later_file[] =
        "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
        "E1,P1,\"SMITH, Jane\",03/04/2010,F,sn151ab,01/02/2024 18:30,02/02/2024 09:00,"
        "Park,SN1 1AA,N,P2\n"
        "E2,P2,\"JONES, Tom\",28/02/2011,M,SN2 2BB,01/02/2024 18:30,03/02/2024 08:00,"
        "Library,SN7 7AA,N,\n"
        "E9,P2,\"JONES, Tom\",28/02/2011,M,SN3 3CC,04/02/2024 18:30,,"
        "Library,SN7 7AA,N,\n"
        "E8,P9,\"WHITE, Kim\",05/05/2012,F,SN4 4DD,06/02/2024 18:30,,Shops,SN5 5AA,N,\n";
    import(f, "v1.csv", file_v1);
    bool pg = testutil_backend_is_pg();
    struct svp_err err;
    if (pg) {
        if (store_begin(f->s, &err))
            fail_msg("begin: %s", err.msg);
        testutil_exec(f->s, "SET LOCAL track_functions = 'all'");
    }
    struct ingest_result r = import(f, "later.csv", later_file);
    if (pg) {
        expect_dump(f->s, "SELECT funcname, calls FROM pg_stat_xact_user_functions WHERE "
                          "funcname LIKE 'svp_next_%' ORDER BY funcname",
                    "svp_next_source_file_id:1:\n");
        if (store_commit(f->s, &err))
            fail_msg("commit: %s", err.msg);
    }
    assert_int_equal(r.rows_read, 4);
    assert_int_equal(r.rows_accepted, 4);
    assert_int_equal(r.rows_unchanged, 1);
    assert_int_equal(r.rows_updated, 1);
    assert_int_equal(r.rows_new, 2); /* a stub filled, and a new event */
    expect_dump(f->s, "SELECT id, agency_record_id, postcode, file_id, line FROM record "
                      "ORDER BY id",
                "1:P1:SN15 1AB:1:2:\n2:P2:SN3 3CC:2:4:\n3:P9:SN4 4DD:2:5:\n");
    expect_dump(f->s, "SELECT id, record_id, file_id, line, previous FROM record_history "
                      "ORDER BY id",
                "1:2:2:3:{\"given_name\":\"Tom\",\"family_name\":\"JONES\",\"dob\":"
                "\"2011-02-28\",\"sex\":\"M\",\"postcode\":\"SN1 1AB\",\"role\":\"child\","
                "\"file_id\":\"1\",\"line\":\"3\"}:\n"
                "2:2:2:4:{\"given_name\":\"Tom\",\"family_name\":\"JONES\",\"dob\":"
                "\"2011-02-28\",\"sex\":\"M\",\"postcode\":\"SN2 2BB\",\"role\":\"child\","
                "\"file_id\":\"2\",\"line\":\"3\"}:\n");
    expect_dump(f->s, "SELECT id, place_key FROM place ORDER BY id",
                "1:park|SN1 1AA:\n2:library|SN7 7AA:\n3:shops|SN5 5AA:\n");
    expect_dump(f->s, "SELECT id, agency_event_id, record_id, ended_at, place_id, file_id, "
                      "line FROM event ORDER BY id",
                "1:E1:1:2024-02-02T09:00:00Z:1:1:2:\n2:E2:2:2024-02-03T08:00:00Z:2:2:3:\n"
                "3:E9:2:-:2:2:4:\n4:E8:3:-:3:2:5:\n");
    expect_dump(f->s, "SELECT id, event_id, file_id, line, previous FROM event_history "
                      "ORDER BY id",
                "1:2:2:3:{\"record_id\":\"2\",\"type\":\"missing_episode\",\"started_at\":"
                "\"2024-02-01T18:30:00Z\",\"place_id\":\"1\",\"detail\":"
                "\"{\\\"found_out_of_county\\\":0}\",\"file_id\":\"1\",\"line\":\"3\"}:\n");
}

/* A source's first file gives the same record and event ids on both back ends (issue 22):
 * SQLite's numbering, one after the highest, with no gaps; PostgreSQL's sequence used to
 * leave a block of reserved ids unused at the end of every file. A later file
 * takes the next ids after them on both (test_same_ids_for_later_files_and_links goes on). */
static void test_same_ids_on_both_back_ends(void **state)
{
    struct fixture *f = *state;
    import(f, "v1.csv", file_v1);
    assert_int_equal(count(f->s, "SELECT MAX(id) FROM record"), 3);
    assert_int_equal(count(f->s, "SELECT id FROM record WHERE agency_record_id = 'P1'"), 1);
    assert_int_equal(count(f->s, "SELECT id FROM record WHERE agency_record_id = 'P2'"), 2);
    assert_int_equal(count(f->s, "SELECT id FROM record WHERE agency_record_id = 'P9'"), 3);
    assert_int_equal(count(f->s, "SELECT MAX(id) FROM event"), 2);
    assert_int_equal(count(f->s, "SELECT id FROM event WHERE agency_event_id = 'E2'"), 2);
    struct ingest_result r = import(f, "v2.csv", file_v2);
    assert_int_equal(r.rows_new, 1);
    assert_true(count(f->s, "SELECT id FROM record WHERE agency_record_id = 'P4'") > 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), 4);
    assert_true(count(f->s, "SELECT id FROM event WHERE agency_event_id = 'E4'") > 2);
    assert_int_equal(count(f->s, "SELECT id FROM record WHERE agency_record_id = 'P4'"), 4);
    assert_int_equal(count(f->s, "SELECT id FROM event WHERE agency_event_id = 'E4'"), 3);
}

/* A source's later files, a second source's, a re-import and an incremental link give the
 * same ids on both back ends (issue 22 item 2): the numbers below are SQLite's (one after
 * the highest id, no gaps), and PostgreSQL must give them too (migration 006: an upsert that
 * finds its row no longer uses up a number). Every table an import writes, and the persons
 * two links make, are compared whole. */
static void test_same_ids_for_later_files_and_links(void **state)
{
    struct fixture *f = *state;
    static const char school_profile[] =
        "[source]\nname = t-school\nagency = education\nid_space = t-school\n"
        "person_id = UPN\nrow_id = Ref\n"
        "[record]\nfull_name = Name | surname_first | required\ndob = DOB | date %d/%m/%Y\n"
        "sex = Sex | map sex | required\npostcode = PC | postcode\n"
        "[event]\ntype = \"exclusion\"\nstarted_at = Day | date %d/%m/%Y\n"
        "place.name = School\nplace.postcode = SPC | postcode\n"
        "[map sex]\nM = M\nF = F\n";
    static const char school_1[] =
        "Ref,UPN,Name,DOB,Sex,PC,Day,School,SPC\n"
        "X1,U1,\"SMITH, Jane\",03/04/2010,F,SN15 1AB,05/01/2024,Hill School,SN2 2AA\n"
        "X2,U2,\"JONES, Thomas\",28/02/2011,M,SN1 1AB,06/01/2024,Hill School,SN2 2AA\n"
        "X3,U3,\"PATEL, Ravi\",09/09/2009,M,SN3 3AB,07/01/2024,Vale School,SN3 3AA\n";
    static const char school_2[] =
        "Ref,UPN,Name,DOB,Sex,PC,Day,School,SPC\n"
        "X2,U2,\"JONES, Thomas\",28/02/2011,M,SN1 1AC,06/01/2024,Hill School,SN2 2AA\n"
        "X4,U4,\"GREEN, Alan\",01/01/2012,M,SN1 1AB,08/01/2024,Park School,SN4 4AA\n"
        "X5,U5,\"KHAN, Sara\",11/11/2011,F,SN5 5AB,09/01/2024,Vale School,SN3 3AA\n";
    static const char police_3[] =
        "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
        "E2,P2,\"JONES, Tom\",28/02/2011,M,SN1 1AC,01/02/2024 18:30,03/02/2024 08:00,Park,"
        "SN1 1AA,Y,P1;P9\n"
        "E5,P5,\"KHAN, Sara\",11/11/2011,F,SN5 5AB,07/02/2024 18:30,,Shops,SN5 5AA,N,P11;P4\n"
        "E6,P12,\"PATEL, Ravi\",09/09/2009,M,SN3 3AB,08/02/2024 18:30,,Shops,SN5 5AA,N,\n";
    static const char police_4[] =
        "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
        "E7,P11,\"BLACK, Lee\",02/02/2008,M,SN6 6AB,09/02/2024 18:30,,Station,SN6 6AA,N,P5\n"
        "E1,P1,\"SMITH-JONES, Jane\",03/04/2010,F,SN15 1AB,01/02/2024 18:30,02/02/2024 "
        "09:00,Park,SN1 1AA,N,P2\n";
    struct ingest_profile *school = NULL;
    struct svp_err err;
    if (ingest_profile_parse(school_profile, sizeof school_profile - 1, "s.profile", &school,
                             &err))
        fail_msg("profile: %s", err.msg);
    struct ingest_profile *police = f->p;
    import(f, "v1.csv", file_v1);
    f->p = school;
    import(f, "s1.csv", school_1);
    f->p = police;
    import(f, "v2.csv", file_v2);
    f->p = school;
    import(f, "s2.csv", school_2);
    import(f, "s1-again.csv", school_1); /* already imported: nothing */
    f->p = police;
    import(f, "v3.csv", police_3);
    struct link_opts o;
    link_opts_default(&o);
    struct link_stats st;
    if (link_run_store(f->s, &o, NULL, 0, false, false, &st, &err))
        fail_msg("link: %s", err.msg);
    import(f, "v4.csv", police_4);
    if (link_run_store(f->s, &o, NULL, 0, false, false, &st, &err))
        fail_msg("link: %s", err.msg);
    ingest_profile_free(&school);
    expect_dump(f->s, "SELECT id, source FROM source_file ORDER BY id",
                "1:t-missing:\n2:t-school:\n3:t-missing:\n4:t-school:\n5:t-missing:\n"
                "6:t-missing:\n");
    expect_dump(f->s, "SELECT id, source, agency_record_id FROM record ORDER BY id",
                "1:t-police:P1:\n2:t-police:P2:\n3:t-police:P9:\n4:t-school:U1:\n"
                "5:t-school:U2:\n6:t-school:U3:\n7:t-police:P4:\n8:t-school:U4:\n"
                "9:t-school:U5:\n10:t-police:P5:\n11:t-police:P12:\n12:t-police:P11:\n");
    expect_dump(f->s, "SELECT id, record_id, line FROM record_history ORDER BY id",
                "1:1:2:\n2:5:2:\n3:2:2:\n");
    expect_dump(f->s, "SELECT id, place_key FROM place ORDER BY id",
                "1:park|SN1 1AA:\n2:hill school|SN2 2AA:\n3:vale school|SN3 3AA:\n"
                "4:park school|SN4 4AA:\n5:shops|SN5 5AA:\n6:station|SN6 6AA:\n");
    expect_dump(f->s, "SELECT id, source, agency_event_id, record_id, place_id FROM event "
                      "ORDER BY id",
                "1:t-missing:E1:1:1:\n2:t-missing:E2:2:1:\n3:t-school:X1:4:2:\n"
                "4:t-school:X2:5:2:\n5:t-school:X3:6:3:\n6:t-missing:E4:7:-:\n"
                "7:t-school:X4:8:4:\n8:t-school:X5:9:3:\n9:t-missing:E5:10:5:\n"
                "10:t-missing:E6:11:5:\n11:t-missing:E7:12:6:\n");
    expect_dump(f->s, "SELECT id, event_id, line FROM event_history ORDER BY id",
                "1:2:3:\n");
    expect_dump(f->s, "SELECT id, kind, record_a, record_b, event_id FROM relationship "
                      "ORDER BY id",
                "1:found_with:1:2:1:\n2:found_with:2:1:1:\n3:found_with:2:1:2:\n"
                "4:found_with:1:2:2:\n5:found_with:2:3:2:\n6:found_with:3:2:2:\n"
                "7:found_with:10:12:9:\n8:found_with:12:10:9:\n9:found_with:10:7:9:\n"
                "10:found_with:7:10:9:\n11:found_with:12:10:11:\n12:found_with:10:12:11:\n");
    expect_dump(f->s, "SELECT record_id, person_id FROM person_record ORDER BY record_id",
                "1:1:\n2:2:\n3:3:\n4:1:\n5:2:\n6:4:\n7:5:\n8:5:\n9:6:\n10:6:\n11:4:\n12:7:\n");
    expect_dump(f->s, "SELECT id FROM person ORDER BY id",
                "1:\n2:\n3:\n4:\n5:\n6:\n7:\n");
}

static void test_bulk_path_changes_in_memory(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\n"
        "E1,P1,\"SMITH, Jane\",03/04/2010,F,SN1 1AA,01/02/2024 18:30,,,,,\n"
        "E2,P1,\"SMITH, Jane\",03/04/2010,F,SN2 2BB,02/02/2024 18:30,,,,,\n"
        "E3,P1,\"SMITH, Jane\",03/04/2010,F,SN3 3CC,03/02/2024 18:30,,,,,\n"
        "E4,P1,\"SMITH, Jane\",03/04/2010,F,SN3 3CC,04/02/2024 18:30,,,,,\n"
        "E5,P2,\"JONES, Tom\",28/02/2011,Q,SN1 1AB,01/02/2024 18:30,,,,,\n"
        "\"E6\\a\tb\nc\",P3,\"O\\BRIEN, Amy\",01/02/2011,F,SN1 1AB,01/02/2024 18:30,,,,,\n";
    struct ingest_result r = import(f, "bulk.csv", text);
    assert_int_equal(r.rows_read, 6);
    assert_int_equal(r.rows_accepted, 5);
    assert_int_equal(r.rows_rejected, 1); /* E5: sex Q */
    assert_int_equal(r.rows_new, 5);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), 2);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 5);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = 'P1' "
                                 "AND postcode = 'SN3 3CC' AND line = 4"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history"), 2);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history h JOIN record x ON "
                                 "x.id = h.record_id WHERE x.agency_record_id = 'P1' AND "
                                 "h.line = 3 AND h.previous LIKE '%\"postcode\":\"SN1 1AA\"%' "
                                 "AND h.previous LIKE '%\"line\":\"2\"%' AND h.id = "
                                 "(SELECT MIN(id) FROM record_history)"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history WHERE line = 4 AND "
                                 "previous LIKE '%\"postcode\":\"SN2 2BB\"%'"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE family_name = "
                                 "'O\\BRIEN'"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE agency_event_id = "
                                 "'E6\\a\tb\nc'"), 1);
}

/* A row the database refuses (here a trigger refuses one event) fails the file whole, and
 * nothing of it is kept: no record, event, relationship or source_file row, no rejects. On
 * PostgreSQL the bulk path meets the refusal when it stores its stages at the end of the
 * file; on SQLite, row by row, after the row's record was written (so the row cannot be
 * rejected alone). The same file imports once the database accepts it. */
static void test_refused_at_store_writes_nothing(void **state)
{
    struct fixture *f = *state;
    bool pg = testutil_backend_is_pg();
    if (pg)
        testutil_exec(f->s, "CREATE FUNCTION refuse_e2() RETURNS trigger AS $$ BEGIN "
                            "IF NEW.agency_event_id = 'E2' THEN RAISE EXCEPTION 'refused by "
                            "the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; "
                            "CREATE TRIGGER refuse_e2 BEFORE INSERT ON event FOR EACH ROW "
                            "EXECUTE FUNCTION refuse_e2()");
    else
        testutil_exec(f->s, "CREATE TRIGGER refuse_e2 BEFORE INSERT ON event WHEN "
                            "NEW.agency_event_id = 'E2' BEGIN SELECT RAISE(ABORT, 'refused by "
                            "the test'); END");
    char *path = testutil_write_file(f->dir, "v1.csv", file_v1, strlen(file_v1));
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct ingest_result r;
    struct svp_err err;
    assert_int_equal(ingest_import_file(f->s, f->p, path, &o, &r, &err), SVP_EDB);
    if (!strstr(err.msg, "refused by the test"))
        fail_msg("message '%s' does not say why", err.msg);
    assert_int_equal(r.rows_accepted, 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM source_file"), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM place"), 0);
    assert_int_equal(access(f->rejects, F_OK), -1); /* E3's reject was not kept either */
    testutil_exec(f->s, pg ? "DROP TRIGGER refuse_e2 ON event; DROP FUNCTION refuse_e2()"
                           : "DROP TRIGGER refuse_e2");
    assert_int_equal(ingest_import_file(f->s, f->p, path, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), 6);
    free(path);
}

static void test_reimport_changes_nothing(void **state)
{
    struct fixture *f = *state;
    import(f, "v1.csv", file_v1);
    struct ingest_result r = import(f, "again.csv", file_v1);
    assert_true(r.already_imported);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM source_file"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 2);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), 6);
}

static void test_incremental_update_keeps_history(void **state)
{
    struct fixture *f = *state;
    import(f, "v1.csv", file_v1);
    struct ingest_result r = import(f, "v2.csv", file_v2);
    assert_int_equal(r.rows_accepted, 3);
    assert_int_equal(r.rows_new, 1);     /* E4 */
    assert_int_equal(r.rows_updated, 2); /* E1's name, E2's return */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event_history"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE family_name = 'SMITH-JONES'"
                                 " AND norm_family = 'smith jones'"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE agency_event_id = 'E2' AND "
                                 "ended_at = '2024-02-03T08:00:00Z'"), 1);
    /* Relationships are not duplicated by the second extract. */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), 6);
}

static void test_killed_import_is_all_or_nothing(void **state)
{
    struct fixture *f = *state;
    char *path = testutil_write_file(f->dir, "v1.csv", file_v1, strlen(file_v1));
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* The child opens its own connection, as a second process would. */
        struct store *s = NULL;
        struct svp_err err;
        if (store_open(f->uri, 0, &s, &err))
            _exit(3);
        struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .kill_at_row = 2};
        struct ingest_result r;
        if (ingest_import_file(s, f->p, path, &o, &r, &err))
            _exit(5);
        _exit(4); /* not reached: SIGKILL at row 2 */
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM source_file"), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 0);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct ingest_result r;
    struct svp_err err;
    assert_int_equal(ingest_import_file(f->s, f->p, path, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 2);
    free(path);
}

static void test_refused_files_write_nothing(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *name, *text, *want;
    } cases[] = {
        {"empty.csv", "", "file is empty"},
        {"layout.csv", "a,b,c\n1,2,3\n", "header lacks column"},
        {"quote.csv", "RID,PID,Name,DOB,Sex,PC,From,To,Found,FoundPC,OOC,With\nE1,P1,\"x\n",
         "never closed"},
        /* a repeated name is "RID (2)": the header still lacks what the profile maps */
        {"twice.csv", "RID,RID,PID\n", "header lacks column 'Name'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = testutil_write_file(f->dir, cases[i].name, cases[i].text,
                                         strlen(cases[i].text));
        struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
        struct ingest_result r;
        struct svp_err err;
        assert_int_equal(ingest_import_file(f->s, f->p, path, &o, &r, &err), SVP_EINPUT);
        if (!strstr(err.msg, cases[i].want))
            fail_msg("%s: message '%s' lacks '%s'", cases[i].name, err.msg, cases[i].want);
        free(path);
    }
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM source_file"), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), 0);
}

/* A reference list of places, then a domestic-abuse-like layout: one event per child
 * listed, an event for another column's person, a relationship from that person, and an
 * event placed by postcode only, which finds the reference list's place. */
static void test_places_fan_out_and_person_columns(void **state)
{
    struct fixture *f = *state;
    static const char places_profile[] =
        "[source]\nname = t-places\nagency = ref\nrow_id = pc\n"
        "[place]\npostcode = pc | postcode | required\nlat = lat | number\n"
        "lon = lon | number\narea = area\nin_county = area | map inside | flag\n"
        "[map inside]\nOUT = no\n* = yes\n";
    static const char places_file[] = "pc,lat,lon,area\nsv1 1aa,52.1,-1.2,CA01\n"
                                      "ZX1 1AA,51.0,-0.5,OUT\n";
    static const char da_profile[] =
        "[source]\nname = t-da\nagency = police\nid_space = t-police\n"
        "person_id = Victim\nrow_id = Ref\n"
        "[event]\ntype = \"da_incident\"\nstarted_at = When | date iso\n"
        "place.postcode = PC | postcode\ndetail.role = \"victim\"\n"
        "[event suspect]\nperson = Suspect\ntype = \"da_incident\"\n"
        "started_at = When | date iso\ndetail.role = \"perpetrator\"\n"
        "[event present]\nperson = Kids | list ;\ntype = \"da_incident\"\n"
        "started_at = When | date iso\ndetail.children_present = \"yes\" | flag\n"
        "[relationship]\nperson = Suspect\nkind = \"perpetrator\"\nother = Victim\n";
    static const char da_file[] = "Ref,When,Victim,Suspect,Kids,PC\n"
                                  "DA1,2024-01-02,V1,S1,K1;K2,SV11AA\n"
                                  "DA2,2024-02-03,V1,,,\n";
    struct svp_err err;
    struct ingest_profile *pp = NULL, *dp = NULL;
    if (ingest_profile_parse(places_profile, sizeof places_profile - 1, "p", &pp, &err) ||
        ingest_profile_parse(da_profile, sizeof da_profile - 1, "d", &dp, &err))
        fail_msg("profile: %s", err.msg);
    char *p1 = testutil_write_file(f->dir, "pc.csv", places_file, sizeof places_file - 1);
    char *p2 = testutil_write_file(f->dir, "da.csv", da_file, sizeof da_file - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct ingest_result r;
    assert_int_equal(ingest_import_file(f->s, pp, p1, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(ingest_import_file(f->s, dp, p2, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM place"), 2);
    assert_int_equal(count(f->s, "SELECT in_county FROM place WHERE postcode = 'ZX1 1AA'"), 0);
    /* DA1: victim, suspect, two children; DA2: victim only. */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 5);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE agency_event_id IN "
                                 "('DA1', 'DA1/suspect', 'DA1/present/K1', "
                                 "'DA1/present/K2', 'DA2')"), 5);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event e JOIN place p ON p.id = "
                                 "e.place_id WHERE p.area = 'CA01' AND e.agency_event_id = "
                                 "'DA1'"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship x JOIN record a ON a.id = "
                                 "x.record_a JOIN record b ON b.id = x.record_b WHERE "
                                 "a.agency_record_id = 'S1' AND b.agency_record_id = 'V1' AND "
                                 "x.kind = 'perpetrator'"), 1);
    /* S1, K1, K2 and V1 are known by id only until a person file arrives. */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE role = 'unknown'"), 4);
    free(p1);
    free(p2);
    ingest_profile_free(&pp);
    ingest_profile_free(&dp);
}

static void test_profile_errors_name_lines(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line;
        const char *want;
    } cases[] = {
        {"[source]\nname = a\nagency = spies\n", 3, "agency 'spies'"},
        {"[source]\nname = a\nname = b\n", 3, "given twice"},
        {"[source]\nname = a\nagency = police\nperson_id = P\n[record]\ndob = D | date %q\n",
         6, "date format"},
        {"[source]\nname = a\nagency = police\nperson_id = P\n[relationship]\nkind = "
         "\"enemy\"\nother = O\n", 6, "not a kind"},
        {"[source]\nname = a\nagency = police\n", 0, "person_id"},
        {"name = a\n", 1, "before any [section]"},
        {"[source]\nname = a\nagency = police\nperson_id = P\n[map m]\nx = y\n", 5,
         "not used"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ingest_profile *p = NULL;
        struct svp_err err;
        int rc = ingest_profile_parse(cases[i].text, strlen(cases[i].text), "x", &p, &err);
        assert_int_equal(rc, SVP_EINPUT);
        assert_null(p);
        if (err.line != cases[i].line || !strstr(err.msg, cases[i].want))
            fail_msg("case %zu: line %ld '%s'", i, err.line, err.msg);
    }
}

/* Every refusal of the profile language says what is wrong, on the line it is on, and
 * returns no profile: one case per rule (docs/profiles.md). */
#define SRC "[source]\nname = a\nagency = police\nperson_id = P\n"
static void test_profile_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line;
        const char *want;
    } cases[] = {
        {SRC "[record]\ndob = a\"b | date %d/%m/%Y\n", 6, "wholly in double quotes"},
        {SRC "[record]\ndetail.x = A + B + C + D + E + F\n", 6, "more than 5 columns joined"},
        {SRC "[record]\ndob = | date %d/%m/%Y\n", 6, "empty column name"},
        {SRC "[record]\ndob = D | required now\n", 6, "'required' takes no argument"},
        {SRC "[record]\ndetail.x = X | upper | lower | upper | lower | upper | lower | upper\n",
         6, "more than 6 steps"},
        {SRC "[record]\ndob = D | date\n", 6, "step 'date' needs an argument"},
        {SRC "[record]\npostcode = PC | postcode now\n", 6, "step 'postcode' takes no argument"},
        {SRC "[record]\ndetail.x = X | sideways\n", 6, "unknown step 'sideways'"},
        {SRC "[record]\ndetail.x = X | below many\n", 6, "below needs a number"},
        {"[source]\nname = t\nagency = csc\nblank = NULL,, N/K\nperson_id = P\n", 4,
         "none of them empty"},
        {"[source]\nname = t\nagency = csc\nblank = a,b,c,d,e,f,g,h,i\nperson_id = P\n", 4,
         "more than 8 values"},
        {"[source]\nname = t\nagency = csc\nheader_line = 0\nperson_id = P\n", 4,
         "header_line must be a line number from 1 to 100"},
        {"[source]\nname = t\nagency = csc\nheader_line = two\nperson_id = P\n", 4,
         "header_line must be a line number"},
        {"[source]\nname = t\nagency = csc\nfooter_lines = 21\nperson_id = P\n", 4,
         "footer_lines must be a number of lines from 0 to 20"},
        {"[source]\nname = t\nagency = csc\nfooter_lines = -1\nperson_id = P\n", 4,
         "footer_lines must be a number of lines"},
        {"[source x]\nname = a\n", 1, "[source] takes no name"},
        {SRC "[source]\n", 5, "second [source] section"},
        {SRC "[map Big]\n", 5, "[map NAME] needs a name"},
        {SRC "[record]\nsex = S | map m\n[map m]\nM = M\n[map m]\n", 9, "second [map m]"},
        {SRC "[person]\n", 5, "unknown section [person]"},
        {SRC "[record x]\n", 5, "a [record x] section needs 'person'"},
        {SRC "[record]\nperson = Other\n", 5, "[record] is the row's person"},
        {SRC "[record x]\nperson = O\n[record x]\nperson = P\n", 7, "second [record x] section"},
        {SRC "[place x]\n", 5, "[place] takes no name"},
        {SRC "[event Big]\n", 5, "section name must be lower-case"},
        {SRC "[record]\n[record]\n", 6, "second [record] section"},
        {"[source]\nname = a\nagency = police\nid_space = Not Ok\n", 4, "id_space must be"},
        {"[source]\nname = a\nagency = police\nencoding = latin1\n", 4, "encoding must be"},
        {"[source]\nname = a\nagency = police\ndelimiter = colon\n", 4, "delimiter must be"},
        {"[source]\nname = a\nagency = police\nrole = elder\n", 4, "role must be"},
        {"[source]\nname = a\nagency = police\ntimezone = Mars\n", 4, "timezone must be"},
        {SRC "[record]\nsex = S | map m\n[map m]\n* = M\n* = F\n", 9, "'*' given twice"},
        {SRC "[record]\nsex = S | map m\n[map m]\nM = M\nM = F\n", 9,
         "code 'M' given twice in [map m]"},
        {SRC "[event]\ntype = \"referral\"\noptional = maybe\n", 7, "optional must be yes or no"},
        {SRC "[event]\ntype = \"referral\"\nwhen = A = 1\nwhen = A = 2\n", 8,
         "'when' given twice"},
        {SRC "[relationship]\nkind = \"sibling\"\nother = O\nboth_ways = often\n", 8,
         "both_ways must be yes or no"},
        {SRC "[relationship]\nkind = \"sibling\"\nother = O\nevent = nothing\n", 8,
         "no [event nothing] before this line"},
        {SRC "[relationship]\ndetail.x = X\n", 6, "this section has no detail"},
        {SRC "[record]\ndetail.Bad = X\n", 6, "detail key must be lower-case"},
        {SRC "[record]\nshoe_size = X\n", 6, "unknown key 'shoe_size'"},
        {SRC "[record]\ndob = D | date %d/%m/%Y\ndob = E | date %d/%m/%Y\n", 7,
         "'dob' given twice in this section"},
        {SRC "[record]\nfull_name = N\n", 6, "full_name needs a step saying its order"},
        {SRC "[relationship]\nkind = \"sibling\"\n", 5, "needs 'kind' and 'other'"},
        {"[source]\nagency = police\nperson_id = P\n", 0, "[source] lacks 'name'"},
        {SRC "just some words\n", 5, "expected 'key = value'"},
        {SRC " = x\n", 5, "empty key before '='"},
        {SRC "[record]\ndob =\n", 6, "'dob' has no value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ingest_profile *p = NULL;
        struct svp_err err;
        svp_err_clear(&err);
        int rc = ingest_profile_parse(cases[i].text, strlen(cases[i].text), "x", &p, &err);
        if (rc != SVP_EINPUT || p || err.line != cases[i].line || !strstr(err.msg, cases[i].want))
            fail_msg("case %zu (%s): rc %d, line %ld '%s'", i, cases[i].want, rc, err.line,
                     err.msg);
    }
    /* a NUL byte, an over-long line, and a profile over its size cap */
    static const char nul[] = SRC "[record]\ndob = D\0 | date %d\n";
    struct ingest_profile *p = NULL;
    struct svp_err err;
    assert_int_equal(ingest_profile_parse(nul, sizeof nul - 1, "x", &p, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "NUL byte"));
    assert_int_equal(err.line, 6);
    size_t big = 300 * 1024;
    char *text = malloc(big + 1);
    memset(text, '#', big);
    text[big] = '\0';
    memcpy(text, SRC, strlen(SRC));
    assert_int_equal(ingest_profile_parse(text, 5000 + strlen(SRC), "x", &p, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "line longer than 4096 bytes"));
    assert_int_equal(ingest_profile_parse(text, big, "x", &p, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "profile is larger than 256 KiB"));
    assert_null(p);
    free(text);
}
#undef SRC

static void test_profile_alloc_failures(void **state)
{
    (void)state;
    /* Fail each allocation in turn: the parser must report it, never crash or leak. */
    for (long n = 0; n < 400; n++) {
        struct ingest_profile *p = NULL;
        struct svp_err err;
        svp_mem_fail_after(n);
        int rc = ingest_profile_parse(profile_text, strlen(profile_text), "t", &p, &err);
        bool failed = svp_mem_failed();
        svp_mem_fail_after(-1);
        if (!failed) {
            assert_int_equal(rc, 0);
            ingest_profile_free(&p);
            return;
        }
        assert_int_equal(rc, SVP_ENOMEM);
        assert_null(p);
    }
    fail_msg("profile parse still allocating after 400 allocations");
}

/* Nothing lost (issue 13, item 10): an optional value that cannot be read is dropped with a
 * warning line in the rejects file and its row kept; a required one rejects the row. */
static void test_unreadable_optional_values_are_dropped(void **state)
{
    struct fixture *f = *state;
    static const char prof[] =
        "[source]\nname = t-drop\nagency = police\nperson_id = PID\nrow_id = RID\n"
        "[record]\ngiven_name = Given | required\nsex = Sex | map sex\n"
        "ethnicity = Eth\n"
        "[event]\ntype = \"missing_episode\"\nstarted_at = From | date %d/%m/%Y\n"
        "ended_at = To | date %d/%m/%Y\nplace.name = Found\nplace.lat = Lat | number\n"
        "place.lon = Lon | number\ndetail.risk = Risk | map risk\ndetail.ooc = OOC | flag\n"
        "detail.n = N | integer\n"
        "[event arrest]\ntype = \"arrest\"\nstarted_at = Arrested | date %d/%m/%Y\n"
        "optional = yes\n"
        "[map sex]\nM = M\nF = F\n[map risk]\nHigh = high\nLow = low\n";
    static const char text[] =
        "RID,PID,Given,Sex,Eth,From,To,Found,Lat,Lon,Risk,OOC,N,Arrested\n"
        "E1,P1,Ann,Q,ZZZZ,01/02/2024,31/02/2024,Park,north,-1.5,Odd,maybe,1.5,30/02/2024\n"
        "E2,P2,Bob,M,WBRI,32/01/2024,,,,,High,Y,2,\n"
        "E3,P3,,F,,01/02/2024,,,,,Low,N,3,\n"
        "E4,P4,Cy,F,,01/02/2024,02/02/2024,Park,51.5,-1.5,Low,N,4,03/02/2024\n";
    struct ingest_profile *p = NULL;
    struct svp_err err;
    if (ingest_profile_parse(prof, sizeof prof - 1, "drop.profile", &p, &err))
        fail_msg("profile: %s", err.msg);
    char *path = testutil_write_file(f->dir, "drop.csv", text, sizeof text - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct ingest_result r;
    if (ingest_import_file(f->s, p, path, &o, &r, &err))
        fail_msg("import: %s", err.msg);
    /* E1 is kept without its sex, ethnicity, end, latitude, risk, flag, count and arrest;
     * E2's start cannot be read (no event can be placed) and E3 lacks its required given
     * name: both rejected. */
    assert_int_equal(r.rows_read, 4);
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(r.rows_rejected, 2);
    assert_int_equal(r.values_dropped, 8);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = 'P1' "
                                 "AND sex IS NULL AND ethnicity IS NULL"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE agency_event_id = 'E1' AND "
                                 "ended_at IS NULL AND detail IS NULL"), 1);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE type = 'arrest'"), 1);
    char *rej = slurp(f->rejects);
    assert_non_null(rej);
    static const char *const want[] = {
        ",2,Sex,code not in [map sex]",
        ",2,Eth,value is not a canonical ethnicity code",
        ",2,To,not a valid date",
        ",2,Lat,not a number",
        ",2,Risk,code not in [map risk]",
        ",2,OOC,\"not a yes/no flag",
        ",2,N,not a whole number",
        ",2,Arrested,not a valid date",
        ",3,From,not a valid date",
        ",4,Given,required value is empty",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(rej, want[i]))
            fail_msg("'%s' not in the rejects file:\n%s", want[i], rej);
    assert_int_equal(count_lines(rej, "row kept without this value"), 8);
    free(rej);
    free(path);
    ingest_profile_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_counts_and_provenance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_dob_keeps_the_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_changes_within_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relationship_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bulk_path_changes_in_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_ids_on_both_back_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_later_file_set_based, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_ids_for_later_files_and_links, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_refused_at_store_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reimport_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental_update_keeps_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_killed_import_is_all_or_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_files_write_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_places_fan_out_and_person_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_optional_values_are_dropped, setup,
                                        teardown),
        cmocka_unit_test(test_profile_errors_name_lines),
        cmocka_unit_test(test_profile_refusals),
        cmocka_unit_test(test_profile_alloc_failures),
    };
    return cmocka_run_group_tests_name("ingest", tests, NULL, NULL);
}
