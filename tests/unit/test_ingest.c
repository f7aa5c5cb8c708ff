/* The ingest suite, on SQLite and on PostgreSQL: import through a profile, idempotence,
 * incremental updates with history, relationships and places, all-or-nothing when the
 * process is killed mid-file, and the profile parser's refusals. */
#include "testutil.h"

#include <xlsxwriter.h>
#include "ingest/ingest.h"
#include "link/link.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct fixture {
    char *uri;
    struct store *s;
    char *dir;
    char *rejects;
    struct ingest_profile *p;
};

static const char profile_text[] =
    "[source]\n"
    "name = t-missing\n"
    "agency = police\n"
    "id_space = t-police\n"
    "person_id = PID\n"
    "row_id = RID\n"
    "[record]\n"
    "full_name = Name | surname_first | required\n"
    "dob = DOB | date %d/%m/%Y\n"
    "sex = Sex | map sex | required\n"
    "postcode = PC | postcode\n"
    "[event]\n"
    "type = \"missing_episode\"\n"
    "started_at = From | datetime %d/%m/%Y %H:%M\n"
    "ended_at = To | datetime %d/%m/%Y %H:%M\n"
    "place.name = Found\n"
    "place.postcode = FoundPC | postcode\n"
    "detail.found_out_of_county = OOC | flag\n"
    "[relationship]\n"
    "kind = \"found_with\"\n"
    "other = With | list ;\n"
    "both_ways = yes\n"
    "[map sex]\n"
    "M = M\n"
    "F = F\n";

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

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->s = testutil_open_migrated(&f->uri);
    f->dir = testutil_tmpdir();
    size_t n = strlen(f->dir) + 32;
    f->rejects = malloc(n);
    snprintf(f->rejects, n, "%s/rejects.csv", f->dir);
    struct svp_err err;
    if (ingest_profile_parse(profile_text, sizeof profile_text - 1, "t.profile", &f->p, &err))
        fail_msg("profile: %s", err.msg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    ingest_profile_free(&f->p);
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    testutil_rmdir(&f->dir);
    free(f->rejects);
    free(f);
    return 0;
}

static int64_t count(struct store *s, const char *sql)
{
    int64_t n = -1;
    struct svp_err err;
    if (store_query_int64(s, sql, &n, &err))
        fail_msg("%s: %s", sql, err.msg);
    return n;
}

static struct ingest_result import(struct fixture *f, const char *name, const char *text)
{
    char *path = testutil_write_file(f->dir, name, text, strlen(text));
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct ingest_result r;
    struct svp_err err;
    if (ingest_import_file(f->s, f->p, path, &o, &r, &err))
        fail_msg("import %s: %s", name, err.msg);
    free(path);
    return r;
}

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
    assert_int_equal(r.rows_rejected, 1); /* the second E2: a duplicate row id */
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
/* A source's first file gives the same record and event ids on both back ends (issue 22):
 * SQLite's numbering, one after the highest, with no gaps; PostgreSQL's sequence used to
 * leave a block of reserved ids unused at the end of every file. A later file, row by row,
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

/* The rows of a query, each column followed by ':' and each row by '\n' (owned). */
static char *dump(struct store *s, const char *sql)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    if (store_prepare(s, sql, &st, &err))
        fail_msg("%s: %s", sql, err.msg);
    int rc;
    while ((rc = store_step(st, &err)) == STORE_ROW) {
        for (int i = 0; i < store_column_count(st); i++) {
            const char *v = store_column_text(st, i);
            assert_int_equal(svp_buf_printf(&b, "%s:", v ? v : "-"), 0);
        }
        assert_int_equal(svp_buf_putc(&b, '\n'), 0);
    }
    if (rc < 0)
        fail_msg("%s: %s", sql, err.msg);
    store_finalize(&st);
    assert_int_equal(svp_buf_putc(&b, '\0'), 0);
    return svp_buf_take(&b);
}

static void expect_dump(struct store *s, const char *sql, const char *want)
{
    char *got = dump(s, sql);
    if (strcmp(got, want))
        fail_msg("%s\ngave\n%s\nwanted\n%s", sql, got, want);
    svp_free(got);
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
        {"twice.csv", "RID,RID,PID\n", "twice"},
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
        {"[source x]\nname = a\n", 1, "[source] takes no name"},
        {SRC "[source]\n", 5, "second [source] section"},
        {SRC "[map Big]\n", 5, "[map NAME] needs a name"},
        {SRC "[record]\nsex = S | map m\n[map m]\nM = M\n[map m]\n", 9, "second [map m]"},
        {SRC "[person]\n", 5, "unknown section [person]"},
        {SRC "[record x]\n", 5, "[record] takes no name"},
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
        int rc = ingest_profile_parse(profile_text, sizeof profile_text - 1, "t", &p, &err);
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


/* The whole of a small file (owned), or NULL. */
static char *slurp(const char *path)
{
    FILE *fh = fopen(path, "rb");
    if (!fh)
        return NULL;
    char *b = calloc(1, 1 << 16);
    size_t n = b ? fread(b, 1, (1 << 16) - 1, fh) : 0;
    (void)n;
    fclose(fh);
    return b;
}

static int count_lines(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++)
        n++;
    return n;
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

/* ------------------------------------------------------------------ svp profile draft */

static struct ingest_draft draft_of(const char *text, size_t len)
{
    struct ingest_draft d;
    struct svp_err err;
    struct ingest_draft_opts o = {.as_of = "2024-08-01", .name = "t-draft"};
    if (ingest_draft_mem(text, len, "x.csv", &o, &d, &err))
        fail_msg("draft: %s", err.msg);
    return d;
}

static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("'%s' not in:\n%s", needle, hay);
}

static void test_draft_reads_a_vendor_layout(void **state)
{
    (void)state;
    /* Windows-1252 (the e acute of Se\xe9n), semicolons, CRLF, month-name dates, SURNAME
     * Forename, ISO/IEC 5218 sex codes, pupil + term key, a Y/N flag naming an exclusion, a
     * code column, a '|' list, found-with free text. */
    static const char text[] =
        "UPN;Nominal;Born;Sex;Term;Reason;Excl;Flags;Found With\r\n"
        "U1;DUNN Kayla;19-Feb-2008;2;2023/24 AUT;Injury;N;cse|cce;older males\r\n"
        "U1;DUNN Kayla;19-Feb-2008;2;2023/24 SPR;Injury;Y;cse;\r\n"
        "U2;OKAFOR Reece;01-MAR-2009;1;2023/24 AUT;Self harm;N;;Kayla Dunn\r\n"
        "U2;OKAFOR Reece;01-MAR-2009;1;2023/24 SPR;Injury;N;cce|drugs;\r\n"
        "U3;BYRNE Se\xe9n;30-Sep-2010;9;2023/24 AUT;Self harm;Y;;friends\r\n"
        "U3;BYRNE Se\xe9n;30-Sep-2010;9;2023/24 SPR;Injury;N;drugs;\r\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_int_equal(d.rows, 6);
    assert_int_equal(d.columns, 9);
    assert_has(d.report, "Windows-1252, semicolon separated, CRLF line ends");
    assert_has(d.report, "Born: date; 0 blank, 3 distinct; formats: %d-%b-%Y (6); 0 fit none");
    assert_has(d.report, "SURNAME Forename 6, Forename SURNAME 0");
    assert_has(d.report, "keys (unique over the rows read): UPN + Term");
    assert_has(d.report, "Injury (4)");
    /* names, found-with text and ids are never printed: only counts */
    assert_null(strstr(d.report, "Kayla"));
    assert_null(strstr(d.report, "OKAFOR"));
    assert_null(strstr(d.report, "U1"));
    assert_has(d.profile, "encoding = windows-1252\n");
    assert_has(d.profile, "delimiter = semicolon\n");
    assert_has(d.profile, "person_id = UPN\nrow_id = UPN + Term\n");
    assert_has(d.profile, "full_name = Nominal | surname_first | required\n");
    assert_has(d.profile, "dob = Born | date %d-%b-%Y\n");
    assert_has(d.profile, "sex = Sex | map sex\n");
    assert_has(d.profile, "[map sex]\n2 = F\n1 = M\n9 = U\n");
    assert_has(d.profile, "started_at = Term | term_start\nended_at = Term | term_end\n");
    assert_has(d.profile, "subtype = Reason | map reason\n");
    assert_has(d.profile, "Self harm = self_harm\n");
    assert_has(d.profile, "detail.flags = Flags | list pipe\n");
    assert_has(d.profile, "detail.found_with = Found With | mentions ;\n");
    assert_has(d.profile, "[event exclusion]\ntype = \"exclusion\"\nstarted_at = Term | "
                          "term_start\nwhen = Excl = 'Y'\n");
    /* what the draft says is a profile svp accepts */
    struct ingest_profile *p = NULL;
    struct svp_err err;
    if (ingest_profile_parse(d.profile, strlen(d.profile), "draft", &p, &err))
        fail_msg("draft refused: %s", err.msg);
    ingest_profile_free(&p);
    ingest_draft_free(&d);
}

/* A GP practice's safeguarding codes: names under a header that does not say so, in two
 * orders; the postcode only inside the address; a code column naming several kinds of
 * event. The draft reads all three, and the draft itself imports the file. */
static void test_draft_gp_register(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "Practice\tPatient\tNHS No.\tDate of Birth\tAddress\tCode Date\tCode Description\r\n"
        "Y01\tDUNN, Kayla\t943 476 5919\t19-Feb-2008\t94 Church Road, sv12 8gn\t"
        "03/11/2022 10:15\tChild sexual exploitation\r\n"
        "Y01\tMiss Kayla DUNN\t943 476 5919\t19-Feb-2008\t94 Church Road, sv12 8gn\t"
        "04/11/2022 11:00\tDomestic abuse in household\r\n"
        "Y02\tReece OKAFOR\t\t01-Mar-2009\t3 Mill Lane,SV184BY\t05/11/2022 09:30\t"
        "Substance misuse\r\n"
        "Y02\tOKAFOR, Reece\t\t01-Mar-2009\t3 Mill Lane,SV184BY\t06/11/2022 09:40\t"
        "Child is cause for concern\r\n"
        "Y02\tBYRNE, Sean\t\t30-Sep-2010\t7 High St, Brindlemoor SV18 4BY\t"
        "07/11/2022 14:00\tChild is cause for concern\r\n"
        "Y01\tAmy LEE\t\t02-Jan-2011\t1 Low Road, sv9 1aa\t08/11/2022 15:00\t"
        "Substance misuse\r\n"
        "Y01\tAmy LEE\t\t02-Jan-2011\t1 Low Road, sv9 1aa\t09/11/2022 15:00\t"
        "Child sexual exploitation\r\n"
        "Y01\tLEE, Amy\t\t02-Jan-2011\t1 Low Road, sv9 1aa\t10/11/2022 15:00\t"
        "Domestic abuse in household\r\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.report, "Address: code; 0 blank, 4 distinct; a postcode in 8 values");
    /* both orders, each shown by a comma or an upper-case surname */
    assert_has(d.profile, "full_name = Patient | any_order | required\n");
    assert_has(d.profile, "address = Address\npostcode = Address | postcode\n");
    assert_has(d.profile, "type = Code Description | map code_description_type\n");
    assert_has(d.profile, "Child sexual exploitation = exploitation_concern\n");
    assert_has(d.profile, "Domestic abuse in household = da_incident\n");
    assert_has(d.profile, "Substance misuse = substance_misuse\n");
    /* a cause for concern names no kind of harm: it takes the default, not exploitation */
    assert_null(strstr(d.profile, "Child is cause for concern = exploitation_concern"));

    struct ingest_profile *p = NULL;
    struct svp_err err;
    if (ingest_profile_parse(d.profile, strlen(d.profile), "draft", &p, &err))
        fail_msg("draft refused: %s\n%s", err.msg, d.profile);
    char *path = testutil_write_file(f->dir, "gp.tsv", text, sizeof text - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .as_of = "2024-08-01"};
    struct ingest_result r;
    if (ingest_import_file(f->s, p, path, &o, &r, &err))
        fail_msg("import: %s", err.msg);
    assert_int_equal(r.rows_accepted, 8);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-draft' AND "
                                 "postcode = 'SV12 8GN' AND family_name = 'DUNN' AND "
                                 "given_name = 'Kayla'"), 2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-draft' AND "
                                 "family_name = 'LEE' AND given_name = 'Amy'"), 3);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-draft' AND "
                                 "postcode = 'SV18 4BY'"), 3);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE source = 't-draft' AND "
                                 "type = 'exploitation_concern'"), 2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE source = 't-draft' AND "
                                 "type = 'da_incident'"), 2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE source = 't-draft' AND "
                                 "type = 'substance_misuse'"), 2);
    free(path);
    ingest_profile_free(&p);
    ingest_draft_free(&d);
}

/* A wide layout (a MARAC list: victim and perpetrator by name and date of birth, no ids)
 * read by two profiles of one id space: `person` and `other` made of the same columns as a
 * person_id name the records that person_id made, not stubs of their own. */
static void test_composite_ids_in_person_and_other(void **state)
{
    struct fixture *f = *state;
    static const char victims[] =
        "[source]\nname = t-marac-v\nagency = police\nid_space = t-marac\n"
        "person_id = Victim + Victim DOB\nrow_id = Ref\n"
        "[record]\nfull_name = Victim | surname_first\ndob = Victim DOB | date %d/%m/%Y\n"
        "role = \"adult\"\n"
        "[event]\ntype = \"marac\"\nstarted_at = Date | date %d/%m/%Y\n"
        "[relationship]\nkind = \"perpetrator\"\nperson = Perpetrator + Perpetrator DOB\n"
        "other = Victim + Victim DOB\n";
    static const char perps[] =
        "[source]\nname = t-marac-p\nagency = police\nid_space = t-marac\n"
        "person_id = Perpetrator + Perpetrator DOB\nrow_id = Ref\n"
        "[record]\nfull_name = Perpetrator | surname_first\n"
        "dob = Perpetrator DOB | date %d/%m/%Y\nrole = \"adult\"\n";
    static const char file[] =
        "Ref,Date,Victim,Victim DOB,Perpetrator,Perpetrator DOB\n"
        "M1,01/02/2024,\"DUNN, Kayla\",19/02/1990,\"OKAFOR, Reece\",01/03/1988\n"
        "M2,03/02/2024,\"LEE, Amy\",02/01/1995,\"OKAFOR, Reece\",01/03/1988\n"
        "M3,04/02/2024,\"ROSE, Ivy\",03/03/1993,,\n";
    struct svp_err err;
    struct ingest_profile *pv = NULL, *pp = NULL;
    if (ingest_profile_parse(victims, sizeof victims - 1, "v", &pv, &err) ||
        ingest_profile_parse(perps, sizeof perps - 1, "p", &pp, &err))
        fail_msg("profile: %s", err.msg);
    char *path = testutil_write_file(f->dir, "marac.csv", file, sizeof file - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct ingest_result r;
    assert_int_equal(ingest_import_file(f->s, pp, path, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 2); /* M3 names no perpetrator: its id is empty */
    assert_int_equal(r.rows_rejected, 1);
    assert_int_equal(ingest_import_file(f->s, pv, path, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 3);
    /* four records, all with names: no stub was made for an id written another way */
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-marac'"), 4);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-marac' AND "
                                 "given_name IS NULL"), 0);
    /* Reece is the perpetrator of Kayla and of Amy; Ivy's row names none */
    assert_int_equal(count(f->s, "SELECT count(*) FROM relationship r JOIN record a ON a.id = "
                                 "r.record_a JOIN record b ON b.id = r.record_b WHERE r.kind = "
                                 "'perpetrator' AND a.given_name = 'Reece' AND b.given_name IN "
                                 "('Kayla', 'Amy')"), 2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM relationship"), 2);
    free(path);
    ingest_profile_free(&pv);
    ingest_profile_free(&pp);
}

/* A database export writes NULL (and a system N/K) for what it does not hold: with `blank =`
 * they are empty values everywhere (names, dates, ids, expressions), never a name "NULL"
 * two records would agree on; the draft of such an export proposes it. */
static void test_blank_values(void **state)
{
    struct fixture *f = *state;
    static const char profile[] =
        "[source]\nname = t-eh\nagency = csc\nblank = NULL, N/K\nperson_id = Ref\n"
        "[record]\ngiven_name = Forename\nmiddle_names = Middle\nfamily_name = Surname\n"
        "dob = DOB | date iso\npostcode = Postcode | postcode\n"
        "[event]\ntype = \"early_help\"\nstarted_at = Opened | date iso\n"
        "ended_at = Closed | date iso\n"
        "detail.known = expr(coalesce(Postcode, 'no postcode'))\n";
    static const char file[] =
        "Ref,Forename,Middle,Surname,DOB,Postcode,Opened,Closed\n"
        "C1,Kayla,NULL,Dunn,2008-02-19 00:00:00.000,SV12 8GN,2022-03-04,NULL\n"
        "C2,NULL,NULL,Okafor,NULL,N/K,2022-03-05,2022-04-01\n"
        "NULL,Amy,Jane,Lee,2011-01-02,SV9 1AA,2022-03-06,NULL\n";
    struct svp_err err;
    struct ingest_profile *p = NULL;
    if (ingest_profile_parse(profile, sizeof profile - 1, "eh", &p, &err))
        fail_msg("profile: %s", err.msg);
    char *path = testutil_write_file(f->dir, "eh.csv", file, sizeof file - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .as_of = "2024-01-01"};
    struct ingest_result r;
    assert_int_equal(ingest_import_file(f->s, p, path, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 2);
    assert_int_equal(r.rows_rejected, 1); /* a person id written NULL is no id */
    assert_int_equal(r.values_dropped, 0); /* NULL is no bad date: nothing to drop */
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-eh' AND "
                                 "agency_record_id = 'C2' AND given_name IS NULL AND dob IS "
                                 "NULL AND postcode IS NULL AND middle_names IS NULL"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE given_name = 'NULL' OR "
                                 "middle_names = 'NULL' OR postcode IN ('NULL', 'N/K')"), 0);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE source = 't-eh' AND "
                                 "ended_at IS NULL"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE source = 't-eh' AND "
                                 "detail LIKE '%no postcode%'"), 1);
    free(path);
    ingest_profile_free(&p);

    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.report, "values are written NULL: read as blank");
    assert_has(d.profile, "blank = NULL\n");
    assert_has(d.profile, "given_name = Forename\nmiddle_names = Middle\nfamily_name = Surname");
    assert_has(d.profile, "dob = DOB | date iso\n");
    ingest_draft_free(&d);
}

/* A report's export: a title, a run date and a blank line above the header. The draft
 * finds the header; the import reads from it, and a bad row is named by its line in the
 * file as an analyst opening it would count. */
static void test_title_lines(void **state)
{
    struct fixture *f = *state;
    static const char file[] =
        "Missing Persons Report\r\nRun on 01/08/2024 by the system\r\n\r\n"
        "Report,Subject,Name,DOB,Missing From\r\n"
        "R1,P1,\"DUNN, Kayla\",19/02/2008,01/07/2024 20:00\r\n"
        "R2,P2,\"LEE, Amy\",02/01/2011,02/07/2024 21:00\r\n"
        "R3,P1,\"DUNN, Kayla\",19/02/2008,05/07/2024 22:00\r\n"
        "R4,P3,\"ROSE, Ivy\",03/03/2010,06/07/2024 23:00\r\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.report, "the header is line 4: the lines above it are a title");
    assert_has(d.report, "5 columns, 4 rows read");
    assert_has(d.profile, "header_line = 4\nperson_id = Subject\nrow_id = Report\n");
    struct ingest_profile *p = NULL;
    struct svp_err err;
    if (ingest_profile_parse(d.profile, strlen(d.profile), "draft", &p, &err))
        fail_msg("draft refused: %s", err.msg);
    ingest_draft_free(&d);
    char *path = testutil_write_file(f->dir, "mp.csv", file, sizeof file - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .as_of = "2024-08-01"};
    struct ingest_result r;
    if (ingest_import_file(f->s, p, path, &o, &r, &err))
        fail_msg("import: %s", err.msg);
    assert_int_equal(r.rows_accepted, 4);
    assert_int_equal(r.rows_rejected, 0);
    /* each row known by its line in the file: 5 to 8 */
    assert_int_equal(count(f->s, "SELECT min(line) FROM event WHERE source = 't-draft'"), 5);
    assert_int_equal(count(f->s, "SELECT max(line) FROM event WHERE source = 't-draft'"), 8);
    free(path);
    ingest_profile_free(&p);
}

/* An extract saved as an Excel workbook: the sheet the profile names (a notes sheet comes
 * first), shared strings, numbers (an id, a date as Excel's serial day), a text with the
 * separator and quotes in it, a missing cell. A sheet that is not there, and bytes that are
 * not a workbook, refuse the file with the reason. */
static void test_xlsx_extract(void **state)
{
    struct fixture *f = *state;
    size_t n = strlen(f->dir) + 32;
    char *path = malloc(n);
    assert_non_null(path);
    snprintf(path, n, "%s/mp.xlsx", f->dir);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *notes = workbook_add_worksheet(wb, "Notes");
    worksheet_write_string(notes, 0, 0, "Missing persons, run 01/08/2024", NULL);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Missing");
    lxw_format *day = workbook_add_format(wb);
    format_set_num_format(day, "dd/mm/yyyy");
    static const char *const head[] = {"Report", "Subject", "Name", "DOB", "Missing From",
                                       "Found With"};
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    static const struct {
        const char *report, *name, *from, *with;
        double subject;
        int y, m, d;
    } rows[] = {
        {"R1", "DUNN, Kayla", "01/07/2024 20:00", "Kayla \"K\" Dunn, older males", 1001, 2008, 2, 19},
        {"R2", "LEE, Amy", "02/07/2024 21:00", NULL, 1002, 2011, 1, 2},
        {"R3", "DUNN, Kayla", "05/07/2024 22:00", "friends", 1001, 2008, 2, 19},
    };
    for (int r = 0; r < 3; r++) {
        lxw_row_t row = (lxw_row_t)(r + 1);
        worksheet_write_string(ws, row, 0, rows[r].report, NULL);
        worksheet_write_number(ws, row, 1, rows[r].subject, NULL);
        worksheet_write_string(ws, row, 2, rows[r].name, NULL);
        lxw_datetime dt = {rows[r].y, (uint8_t)rows[r].m, (uint8_t)rows[r].d, 0, 0, 0};
        worksheet_write_datetime(ws, row, 3, &dt, day);
        worksheet_write_string(ws, row, 4, rows[r].from, NULL);
        if (rows[r].with)
            worksheet_write_string(ws, row, 5, rows[r].with, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    /* the draft reads the sheet asked for */
    struct ingest_draft d;
    struct svp_err derr;
    struct ingest_draft_opts dopts = {.as_of = "2024-08-01", .name = "t-xl", .sheet = "Missing"};
    if (ingest_draft_file(path, &dopts, &d, &derr))
        fail_msg("draft: %s", derr.msg);
    assert_has(d.report, "mp.xlsx: an Excel workbook, sheet 'Missing'; 6 columns, 3 rows read");
    assert_has(d.profile, "sheet = Missing\n");
    assert_has(d.profile, "full_name = Name | surname_first | required\n");
    assert_has(d.profile, "dob = DOB | date excel\n");
    ingest_draft_free(&d);
    dopts.sheet = "Nowhere";
    assert_int_equal(ingest_draft_file(path, &dopts, &d, &derr), SVP_EINPUT);
    assert_non_null(strstr(derr.msg, "no sheet named 'Nowhere'"));

    static const char profile[] =
        "[source]\nname = t-xl\nagency = police\nsheet = Missing\nperson_id = Subject\n"
        "row_id = Report\n[record]\nfull_name = Name | surname_first\n"
        "dob = DOB | date excel\n[event]\ntype = \"missing_episode\"\n"
        "started_at = Missing From | datetime %d/%m/%Y %H:%M\n"
        "detail.found_with = Found With\n";
    struct svp_err err;
    struct ingest_profile *p = NULL;
    if (ingest_profile_parse(profile, sizeof profile - 1, "xl", &p, &err))
        fail_msg("profile: %s", err.msg);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .as_of = "2024-08-01"};
    struct ingest_result r;
    if (ingest_import_file(f->s, p, path, &o, &r, &err))
        fail_msg("import: %s", err.msg);
    assert_int_equal(r.rows_accepted, 3);
    assert_int_equal(r.rows_rejected, 0);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-xl' AND "
                                 "agency_record_id = '1001' AND given_name = 'Kayla' AND "
                                 "dob = '2008-02-19'"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE source = 't-xl' AND "
                                 "started_at LIKE '2024-07-01T20:00%' AND detail LIKE "
                                 "'%Kayla __K__ Dunn, older males%'"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE source = 't-xl' AND "
                                 "agency_event_id = 'R2' AND coalesce(detail, '') NOT LIKE '%found_with%'"), 1);
    ingest_profile_free(&p);

    /* a sheet the workbook does not have; bytes that are not a workbook */
    static const char other[] =
        "[source]\nname = t-xl2\nagency = police\nsheet = Found\nperson_id = Subject\n"
        "[record]\nfull_name = Name | any_order\n";
    if (ingest_profile_parse(other, sizeof other - 1, "xl2", &p, &err))
        fail_msg("profile: %s", err.msg);
    assert_int_equal(ingest_import_file(f->s, p, path, &o, &r, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "no sheet named 'Found'"));
    static const char not_zip[] = "PK\x03\x04 not a zip at all\n";
    char *bad = testutil_write_file(f->dir, "bad.xlsx", not_zip, sizeof not_zip - 1);
    assert_int_equal(ingest_import_file(f->s, p, bad, &o, &r, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "not a readable Excel workbook"));
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-xl2'"), 0);
    ingest_profile_free(&p);
    free(bad);
    free(path);
}

/* NAME? names a column a layout's older files lack (a contact phone added to an export):
 * without it in the header the file imports with that value empty; with it, the value is
 * kept; a column named once without '?' stays required. */
static void test_optional_columns(void **state)
{
    struct fixture *f = *state;
    static const char profile[] =
        "[source]\nname = t-opt\nagency = education\nperson_id = UPN\n"
        "[record]\ngiven_name = Forename\nfamily_name = Surname\n"
        "detail.contact_phone = ContactPhone?\ndetail.tutor = Tutor? + Room?\n";
    static const char old_file[] = "UPN,Forename,Surname\nU1,Ada,Brannigan\n";
    static const char new_file[] =
        "UPN,Forename,Surname,ContactPhone,Tutor,Room\nU2,Finn,Brannigan,07700 900461,Ms Lee,4B\n";
    struct svp_err err;
    struct ingest_profile *p = NULL;
    if (ingest_profile_parse(profile, sizeof profile - 1, "opt", &p, &err))
        fail_msg("profile: %s", err.msg);
    char *a = testutil_write_file(f->dir, "old.csv", old_file, sizeof old_file - 1);
    char *b = testutil_write_file(f->dir, "new.csv", new_file, sizeof new_file - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct ingest_result r;
    assert_int_equal(ingest_import_file(f->s, p, a, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 1);
    assert_int_equal(ingest_import_file(f->s, p, b, &o, &r, &err), 0);
    assert_int_equal(r.rows_accepted, 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE agency_record_id = 'U1' AND "
                                 "(detail IS NULL OR detail NOT LIKE '%contact_phone%')"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE agency_record_id = 'U2' AND "
                                 "detail LIKE '%07700 900461%' AND detail LIKE '%Ms Lee 4B%'"), 1);
    ingest_profile_free(&p);
    static const char both[] =
        "[source]\nname = t-opt2\nagency = education\nperson_id = UPN\n"
        "[record]\ngiven_name = Forename\nfamily_name = Surname\n"
        "detail.contact_phone = ContactPhone?\ndetail.phone2 = ContactPhone\n";
    if (ingest_profile_parse(both, sizeof both - 1, "opt2", &p, &err))
        fail_msg("profile: %s", err.msg);
    assert_int_equal(ingest_import_file(f->s, p, a, &o, &r, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "header lacks column 'ContactPhone'"));
    ingest_profile_free(&p);
    free(a);
    free(b);
}

static void test_draft_keys_and_formats(void **state)
{
    (void)state;
    /* Three formats in one column, a value none reads, a name with a comma; no column and no
     * pair is unique: rows are known by their line. */
    static const char text[] =
        "Ref|Name|Start|Outcome\n"
        "A|Nguyen, Priya|8 January 2024|Breach\n"
        "A|Nguyen, Priya|10/12/2023|Breach\n"
        "B|Smith, Jo|2024-02-01|Completed\n"
        "B|Smith, Jo|2024-02-01|Completed\n"
        "C|Ahmed, Ali|1 March 2024|Breach\n"
        "C|Ahmed, Ali|11/12/2023|Breach\n"
        "D|Lee, Al|2024-03-02|Completed\n"
        "D|Lee, Al|32/13/2024|Completed\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.report, "UTF-8, pipe separated, LF line ends; 4 columns, 8 rows read");
    assert_has(d.report, "formats: iso (3) %d/%m/%Y (2) %d %B %Y (2); 1 fit none of them");
    assert_has(d.report, "Surname, Forename 8");
    assert_has(d.report, "keys (unique over the rows read): none");
    assert_has(d.profile, "person_id = @line\n"); /* Ref is a code here: A to D */
    assert_has(d.profile, "full_name = Name | surname_first | required\n");
    assert_has(d.profile, "started_at = Start | date iso or %d/%m/%Y or %d %B %Y | required\n");
    ingest_draft_free(&d);
}

static void test_draft_refusals(void **state)
{
    (void)state;
    struct ingest_draft d;
    struct svp_err err;
    assert_int_equal(ingest_draft_mem("", 0, "e.csv", NULL, &d, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "empty"));
    assert_int_equal(ingest_draft_mem("A,B\n", 4, "h.csv", NULL, &d, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "no rows"));
    assert_int_equal(ingest_draft_mem("A,A\n1,2\n", 8, "d.csv", NULL, &d, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "names column 'A' twice"));
    /* 0x81 is undefined in Windows-1252 and no UTF-8 */
    assert_int_equal(ingest_draft_mem("A,B\n\x81,2\n", 8, "b.csv", NULL, &d, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "neither UTF-8 nor Windows-1252"));
    struct ingest_draft_opts o = {.name = "Bad Name"};
    assert_int_equal(ingest_draft_mem("A,B\n1,2\n", 8, "n.csv", &o, &d, &err), SVP_EUSAGE);
    assert_int_equal(ingest_draft_file("/nonexistent/x.csv", NULL, &d, &err), SVP_EIO);
    /* a column the profile language cannot name is reported and left out, not mapped */
    static const char odd[] = "ID,a|b,When\nX1,1,2024-01-01\nX2,2,2024-01-02\n";
    assert_int_equal(ingest_draft_mem(odd, sizeof odd - 1, "o.csv", NULL, &d, &err), SVP_OK);
    assert_non_null(strstr(d.report, "a profile cannot name this column"));
    assert_null(strstr(d.profile, "a|b"));
    ingest_draft_free(&d);
}

static void test_draft_alloc_failures(void **state)
{
    (void)state;
    static const char text[] = "UPN,Name,DOB,Sex,Term,Kind,Excl\n"
                               "U1,DUNN Kayla,19/02/2008,F,2023/24 AUT,CSE,N\n"
                               "U1,DUNN Kayla,19/02/2008,F,2023/24 SPR,CCE,Y\n"
                               "U2,SMITH Jo,01/03/2009,M,2023/24 AUT,CSE,N\n";
    for (long n = 0; n < 5000; n++) {
        struct ingest_draft d;
        struct svp_err err;
        svp_mem_fail_after(n);
        int rc = ingest_draft_mem(text, sizeof text - 1, "t.csv", NULL, &d, &err);
        bool failed = svp_mem_failed();
        svp_mem_fail_after(-1);
        if (!failed) {
            assert_int_equal(rc, 0);
            ingest_draft_free(&d);
            return;
        }
        if (rc != SVP_ENOMEM)
            fail_msg("allocation %ld failed but the draft returned %d: %s", n, rc, err.msg);
        assert_null(d.profile);
    }
    fail_msg("draft still allocating after 5000 allocations");
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
        cmocka_unit_test(test_draft_reads_a_vendor_layout),
        cmocka_unit_test(test_draft_keys_and_formats),
        cmocka_unit_test_setup_teardown(test_draft_gp_register, setup, teardown),
        cmocka_unit_test_setup_teardown(test_composite_ids_in_person_and_other, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blank_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_extract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_optional_columns, setup, teardown),
        cmocka_unit_test(test_draft_refusals),
        cmocka_unit_test(test_draft_alloc_failures),
    };
    return cmocka_run_group_tests_name("ingest", tests, NULL, NULL);
}
