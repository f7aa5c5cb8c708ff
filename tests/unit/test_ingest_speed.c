/* The ingest suite's fast paths, on SQLite and on PostgreSQL: what they skip must leave the
 * rows, counts, history and rejects the plain path gives. A row whose person and record
 * columns repeat the previous row's is not evaluated again (an attendance file's pupil,
 * one row per term). */
#include "ingest_fixture.h"

#include "ingest/ingest.h"
#include "ingest/ingest_int.h"

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

/* store_insert_rows takes a text value's length when given (SQLite then need not look for
 * its end): the same rows as without it, and the length is what is stored. */
static void test_insert_rows_lengths(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    static const char sql[] = "INSERT INTO lens (k, v) SELECT c0, c1 FROM svp_rows WHERE true";
    const struct store_val v[] = {
        {STORE_V_TEXT, "first", 5},  {STORE_V_TEXT, "{\"a\":\"it's\"}", 0},
        {STORE_V_TEXT, "second", 0}, {STORE_V_TEXT, "{\"a\":\"it's\"}", 12},
        {STORE_V_TEXT, "third", 3},  {STORE_V_NULL, NULL, 0},
    };
    if (testutil_backend_is_pg()) {
        assert_int_equal(store_insert_rows(f->s, sql, v, 3, 2, &err), SVP_EINTERNAL);
        return;
    }
    testutil_exec(f->s, "CREATE TABLE lens (id INTEGER PRIMARY KEY, k TEXT, v TEXT)");
    assert_int_equal(store_begin(f->s, &err), 0);
    if (store_insert_rows(f->s, sql, v, 3, 2, &err))
        fail_msg("insert rows: %s", err.msg);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM lens WHERE (id = 1 AND k = 'first' AND "
                                 "v = '{\"a\":\"it''s\"}') OR (id = 2 AND k = 'second' AND "
                                 "v = '{\"a\":\"it''s\"}') OR (id = 3 AND k = 'thi' AND v IS "
                                 "NULL)"), 3);
}

/* Numbers of the arithmetic steps are read without strtod when they are plain (digits with
 * or without a decimal point): the same values strtod gives, at the edges of `below`. */
static void test_arith_numbers(void **state)
{
    struct fixture *f = *state;
    struct ingest_profile *p = profile_of(
        "[source]\nname = t-arith\nagency = education\nperson_id = PID\nrow_id = RID\n"
        "[record]\ngiven_name = Name\n"
        "[event]\ntype = \"school_attendance\"\nstarted_at = From | date %d/%m/%Y\n"
        "detail.low = A | below 90.05\ndetail.total = A + B | sum\n");
    static const char text[] =
        "RID,PID,Name,From,A,B\n"
        "E1,P1,Ann,01/02/2024,90.04,0.1\n"
        "E2,P1,Ann,01/02/2024,90.05,0.2\n"
        "E3,P1,Ann,01/02/2024,90.06,.5\n"
        "E4,P1,Ann,01/02/2024,1e1,2.25\n"
        "E5,P1,Ann,01/02/2024,007,3.\n"
        "E6,P1,Ann,01/02/2024,-1.5,1234567890.12345\n";
    struct ingest_result r = import_through(f, p, "arith.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 6);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE "
                                 "(agency_event_id = 'E1' AND detail = '{\"low\":1,\"total\":90.1}') OR "
                                 "(agency_event_id = 'E2' AND detail = '{\"low\":0,\"total\":90.3}') OR "
                                 "(agency_event_id = 'E3' AND detail = '{\"low\":0,\"total\":90.6}') OR "
                                 "(agency_event_id = 'E4' AND detail = '{\"low\":1,\"total\":12.3}') OR "
                                 "(agency_event_id = 'E5' AND detail = '{\"low\":1,\"total\":10}') OR "
                                 "(agency_event_id = 'E6' AND detail = "
                                 "'{\"low\":1,\"total\":1234567888.6}')"), 6);
    ingest_profile_free(&p);
}

/* A source's first file into an id space with no records (on SQLite its records are kept in
 * memory and stored a batch at a time, before the events that name them): 1,500 pupils
 * seen three and a third times, each pass with a new postcode, over 5,000 rows, so that
 * changes fall both on records still waiting (changed in memory) and on records stored by an
 * earlier batch (updated row by row). The stored rows are those of the row-by-row path: ids
 * in the order the rows first name each person, one history row per change in the order of
 * the rows, with the values it replaced, and each record's last values and line. */
#define BATCH_PUPILS 1500
#define BATCH_ROWS 5000

static void test_record_batch(void **state)
{
    struct fixture *f = *state;
    struct ingest_profile *p = profile_of(
        "[source]\nname = t-batch\nagency = education\nperson_id = PID\nrow_id = RID\n"
        "[record]\ngiven_name = Name\npostcode = PC | postcode\n"
        "[event]\ntype = \"school_attendance\"\nstarted_at = From | date %d/%m/%Y\n");
    struct svp_buf b;
    svp_buf_init(&b, 1 << 24);
    assert_int_equal(svp_buf_append(&b, "RID,PID,Name,PC,From\n", 21), 0);
    for (int i = 0; i < BATCH_ROWS; i++) {
        char line[96];
        int k = i % BATCH_PUPILS;
        int n = snprintf(line, sizeof line, "P%d/%d,P%d,Ann,SN%d 1AA,01/02/2024\n", k, i, k,
                         i / BATCH_PUPILS + 1);
        assert_int_equal(svp_buf_append(&b, line, (size_t)n), 0);
    }
    assert_int_equal(svp_buf_putc(&b, '\0'), 0);
    struct ingest_result r = import_through(f, p, "batch.csv", b.data, "2024-08-01");
    svp_buf_free(&b);
    assert_int_equal(r.rows_accepted, BATCH_ROWS);
    assert_int_equal(r.rows_new, BATCH_ROWS);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record"), BATCH_PUPILS);
    /* ids in first-seen order */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = "
                                 "'P' || CAST(id - 1 AS TEXT)"), BATCH_PUPILS);
    /* each record's last values and the line they came from */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE (id <= 500 AND "
                                 "postcode = 'SN4 1AA' AND line = id + 4501) OR (id > 500 AND "
                                 "postcode = 'SN3 1AA' AND line = id + 3001)"), BATCH_PUPILS);
    /* one history row per change, in the order of the rows: row i (line i + 2) changed
     * record i % 1500 + 1 */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history"),
                     BATCH_ROWS - BATCH_PUPILS);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history WHERE line = id + 1501 "
                                 "AND record_id = (id - 1) % 1500 + 1 AND file_id IS NOT NULL"),
                     BATCH_ROWS - BATCH_PUPILS);
    for (int pass = 1; pass <= 3; pass++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM record_history WHERE line BETWEEN %d "
                 "AND %d AND previous LIKE '%%\"postcode\":\"SN%d 1AA\"%%' AND previous LIKE "
                 "'%%\"line\":\"%%'", pass * BATCH_PUPILS + 2, (pass + 1) * BATCH_PUPILS + 1,
                 pass);
        assert_int_equal(count(f->s, sql), pass < 3 ? BATCH_PUPILS : BATCH_ROWS - 3 * BATCH_PUPILS);
    }
    /* the replaced values' line is the line that gave them */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history WHERE previous LIKE "
                                 "'%\"line\":\"' || CAST(line - 1500 AS TEXT) || '\"%'"),
                     BATCH_ROWS - BATCH_PUPILS);
    /* every event names its own person's record */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event e JOIN record x ON x.id = "
                                 "e.record_id WHERE e.agency_event_id LIKE "
                                 "x.agency_record_id || '/%'"), BATCH_ROWS);
    ingest_profile_free(&p);
}

/* People an event names before their own rows (a found-with column) are records known by
 * id only (role unknown), numbered where the row names them; their own row later gives them
 * values (a new record, no history). */
static void test_record_batch_stubs(void **state)
{
    struct fixture *f = *state;
    struct ingest_profile *p = profile_of(
        "[source]\nname = t-stubs\nagency = police\nperson_id = PID\nrow_id = RID\n"
        "[record]\ngiven_name = Name\n"
        "[event]\ntype = \"missing_episode\"\nstarted_at = From | date %d/%m/%Y\n"
        "[event with]\ntype = \"missing_episode\"\nstarted_at = From | date %d/%m/%Y\n"
        "person = With | list ;\n");
    static const char text[] =
        "RID,PID,Name,From,With\n"
        "E1,P1,Ann,01/02/2024,P3;P2\n"
        "E2,P2,Bea,02/02/2024,\n"
        "E3,P4,Cat,03/02/2024,P3\n"
        "E4,P3,Dee,04/02/2024,P1\n"
        "E5,P1,Ann,05/02/2024,P5\n";
    struct ingest_result r = import_through(f, p, "stubs.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 5);
    expect_dump(f->s, "SELECT id, agency_record_id, given_name, role, line, CASE WHEN "
                      "content_hash IS NULL THEN 1 ELSE 0 END FROM record ORDER BY id",
                "1:P1:Ann:child:2:0:\n2:P3:Dee:child:5:0:\n3:P2:Bea:child:3:0:\n"
                "4:P4:Cat:child:4:0:\n5:P5:-:unknown:6:1:\n");
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record_history"), 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), 10);
    ingest_profile_free(&p);
}

/* A source's first relationships (on SQLite stored a batch at a time): 3,000 rows each
 * found with two people known only by id (made as the relationships are resolved), both
 * ways, past a batch of 4,096; a person listed twice on a row is one relationship. Every
 * relationship is stored once, in the order of the rows, naming the row's event. */
#define REL_ROWS 3000

static void test_relationship_batch(void **state)
{
    struct fixture *f = *state;
    struct ingest_profile *p = profile_of(
        "[source]\nname = t-relb\nagency = police\nperson_id = PID\nrow_id = RID\n"
        "[record]\ngiven_name = Name\n"
        "[event]\ntype = \"missing_episode\"\nstarted_at = From | date %d/%m/%Y\n"
        "[relationship]\nkind = \"found_with\"\nother = With | list ;\nboth_ways = yes\n");
    struct svp_buf b;
    svp_buf_init(&b, 1 << 24);
    assert_int_equal(svp_buf_append(&b, "RID,PID,Name,From,With\n", 23), 0);
    for (int i = 0; i < REL_ROWS; i++) {
        char line[96];
        int q = i % 700, q2 = i % 10 == 0 ? q : (i + 1) % 700; /* every tenth: twice */
        int n = snprintf(line, sizeof line, "E%d,P%d,Ann,01/02/2024,Q%d;Q%d\n", i, i, q, q2);
        assert_int_equal(svp_buf_append(&b, line, (size_t)n), 0);
    }
    assert_int_equal(svp_buf_putc(&b, '\0'), 0);
    struct ingest_result r = import_through(f, p, "relb.csv", b.data, "2024-08-01");
    svp_buf_free(&b);
    int64_t want = 2 * (REL_ROWS * 2 - REL_ROWS / 10);
    assert_int_equal(r.rows_accepted, REL_ROWS);
    assert_int_equal(r.relationships, want);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship"), want);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE role = 'unknown'"), 700);
    /* each names its row's event and person, one way then the other */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship r JOIN event e ON e.id = "
                                 "r.event_id JOIN record x ON x.id = e.record_id WHERE "
                                 "e.line = r.line AND ((r.id % 2 = 1 AND r.record_a = x.id) OR "
                                 "(r.id % 2 = 0 AND r.record_b = x.id)) AND r.file_id IS NOT "
                                 "NULL"), want);
    /* in the order of the rows */
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship r1 JOIN relationship r2 "
                                 "ON r2.id = r1.id + 1 WHERE r2.line < r1.line"), 0);
    ingest_profile_free(&p);
}

/* School terms read through the import's cache of recent terms (16): 24 terms over 200 rows,
 * in an order that makes it forget and read terms again, and a term written too long to
 * keep: each row's start and end are the term's days as the parser gives them. */
static void test_term_cache(void **state)
{
    struct fixture *f = *state;
    struct ingest_profile *p = profile_of(
        "[source]\nname = t-terms\nagency = education\nperson_id = PID\nrow_id = RID\n"
        "[record]\ngiven_name = Name\n"
        "[event]\ntype = \"school_attendance\"\nstarted_at = Term | term_start\n"
        "ended_at = Term | term_end\n");
    static const char *const names[3] = {"AUT", "Spring", "summer term"};
    struct svp_buf b;
    svp_buf_init(&b, 1 << 24);
    assert_int_equal(svp_buf_append(&b, "RID,PID,Name,Term\n", 18), 0);
    char terms[201][96];
    for (int i = 0; i < 200; i++) {
        int t = (i * 7) % 24;
        if (i == 199) /* too long to keep */
            snprintf(terms[i], sizeof terms[i], "%d/%02d                                    %s",
                     2010 + t / 3, (11 + t / 3) % 100, names[t % 3]);
        else
            snprintf(terms[i], sizeof terms[i], "%d/%02d %s", 2010 + t / 3, (11 + t / 3) % 100,
                     names[t % 3]);
        char line[160];
        int n = snprintf(line, sizeof line, "E%d,P%d,Ann,%s\n", i, i % 5, terms[i]);
        assert_int_equal(svp_buf_append(&b, line, (size_t)n), 0);
    }
    assert_int_equal(svp_buf_putc(&b, '\0'), 0);
    struct ingest_result r = import_through(f, p, "terms.csv", b.data, "2024-08-01");
    svp_buf_free(&b);
    assert_int_equal(r.rows_accepted, 200);
    for (int i = 0; i < 200; i++) {
        svp_day first, last;
        const char *why = ingest_term_parse(terms[i], strlen(terms[i]), &first, &last);
        if (why)
            fail_msg("%s: %s", terms[i], why);
        char a[40], z[40], sql[256];
        svp_date_format(first, a, sizeof a);
        svp_date_format(last, z, sizeof z);
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM event WHERE agency_event_id = 'E%d' AND "
                 "started_at = '%s' AND ended_at = '%s'", i, a, z);
        assert_int_equal(count(f->s, sql), 1);
    }
    ingest_profile_free(&p);
}

/* A later file of an id space with records: on SQLite they are read into memory first when
 * the file is large against the record table, so a person already stored needs no SELECT
 * and an unchanged one no statement. Whether they are read or not, the stored rows are the
 * same: an unchanged person (with a value another layout gave), a change (history), two
 * changes on one person, a record known only by id completed, a new person. */
static char *preload_scenario(struct fixture *f, bool inflate)
{
    struct ingest_profile *a = profile_of(
        "[source]\nname = t-pre-a\nagency = education\nid_space = t-pre\nperson_id = PID\n"
        "[record]\ngiven_name = Name\nethnicity = Eth\npostcode = PC | postcode\n");
    struct ingest_profile *st = profile_of(
        "[source]\nname = t-pre-s\nagency = education\nid_space = t-pre\nperson_id = PID\n"
        "row_id = RID\n[event]\ntype = \"school_enrolment\"\nstarted_at = From | date %d/%m/%Y\n");
    struct ingest_profile *b = profile_of(
        "[source]\nname = t-pre-b\nagency = education\nid_space = t-pre\nperson_id = PID\n"
        "row_id = RID\n[record]\ngiven_name = Name\npostcode = PC | postcode\n"
        "[event]\ntype = \"school_attendance\"\nstarted_at = From | date %d/%m/%Y\n");
    struct svp_buf t;
    svp_buf_init(&t, 1 << 24);
    assert_int_equal(svp_buf_append(&t, "PID,Name,Eth,PC\n", 16), 0);
    for (int i = 0; i < 10; i++) /* with the next file's stubs, 12 records: 6 lines read them */
        assert_int_equal(svp_buf_printf(&t, "P%d,Ann%d,WBRI,SN%d 1AA\n", i, i, i % 9 + 1), 0);
    import_through(f, a, "pre-a.csv", t.data, "2024-08-01");
    import_through(f, st, "pre-s.csv",
                   "RID,PID,From\nX1,P0,01/02/2024\nX2,S1,01/02/2024\nX3,S2,02/02/2024\n",
                   "2024-08-01");
    if (inflate) /* more records in the id space make it large against the next file */
        testutil_exec(f->s, "INSERT INTO record (source, agency, agency_record_id) WITH "
                            "RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE "
                            "i < 3000) SELECT 't-pre', 'education', 'X' || i FROM n");
    svp_buf_free(&t);
    struct ingest_result r = import_through(
        f, b, "pre-b.csv",
        "RID,PID,Name,PC,From\nB1,P0,Ann0,SN1 1AA,01/02/2024\nB2,P1,Ann1,SN7 7ZZ,01/02/2024\n"
        "B3,S1,Sue,SN3 3CC,01/02/2024\nB4,P2,Ann2,SN4 4DD,01/02/2024\n"
        "B5,P2,Ann2,SN5 5EE,02/02/2024\nB6,N1,Ned,SN6 6FF,02/02/2024\n",
        "2024-08-01");
    char *out = dump(f->s, "SELECT agency_record_id, given_name, ethnicity, postcode, role, "
                           "file_id - (SELECT MIN(id) FROM source_file), line, content_hash "
                           "FROM record WHERE source = 't-pre' AND agency_record_id NOT LIKE 'X%' "
                           "ORDER BY agency_record_id");
    char *hist = dump(f->s, "SELECT x.agency_record_id, h.line, h.previous FROM "
                            "record_history h JOIN record x ON x.id = h.record_id ORDER BY h.id");
    struct svp_buf all;
    svp_buf_init(&all, 1 << 24);
    assert_int_equal(svp_buf_printf(&all, "%s--\n%s--\n%lld %lld %lld\n", out, hist,
                                    (long long)r.rows_new, (long long)r.rows_updated,
                                    (long long)r.rows_unchanged), 0);
    free(out);
    free(hist);
    ingest_profile_free(&a);
    ingest_profile_free(&st);
    ingest_profile_free(&b);
    return svp_buf_take(&all);
}

static void test_preload_records(void **state)
{
    char *read = preload_scenario(*state, false);
    void *other = NULL;
    assert_int_equal(setup(&other), 0);
    char *not_read = preload_scenario(other, true);
    teardown(&other);
    assert_string_equal(read, not_read);
    /* what both stored: P0 unchanged (its ethnicity kept), P1 and P2 changed, S1 completed */
    assert_has(read, "P0:Ann0:WBRI:SN1 1AA:child:0:2:");
    assert_has(read, "P2:Ann2:WBRI:SN5 5EE:child:");
    assert_has(read, "S1:Sue:-:SN3 3CC:child:");
    assert_has(read, "P1:3:");
    assert_has(read, "P2:6:");
    assert_int_equal(count_lines(read, "\"postcode\":\"SN4 4DD\""), 1);
    free(read);
    free(not_read);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_repeated_record_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_rows_lengths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arith_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_batch_stubs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relationship_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_term_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preload_records, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
