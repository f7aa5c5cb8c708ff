/* svp profile draft and extracts in other systems' layouts, on SQLite and on PostgreSQL: a
 * draft from a vendor's layout, keys and date formats, a GP register (names by their values,
 * the postcode in the address, event types from codes), a SQL Server export's NULLs, a
 * report's title above the header, an Excel workbook, optional columns, composite ids in
 * `person` and `other`, and the draft's refusals. */
#include "ingest_fixture.h"
#include "ingest/ingest_int.h"

#include <xlsxwriter.h>

#include <stdlib.h>
#include <string.h>

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
    struct ingest_profile *p = profile_of(d.profile);
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
    /* a child's exploitation and domestic abuse are no adult safeguarding concerns (no
     * category only adults have: financial, organisational, discriminatory, self-neglect) */
    assert_has(d.profile, "agency = health\n");

    struct ingest_profile *p = profile_of(d.profile);
    struct ingest_result r = import_through(f, p, "gp.tsv", text, "2024-08-01");
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
    struct ingest_profile *pv = profile_of(victims), *pp = profile_of(perps);
    struct ingest_result r = import_through(f, pp, "marac.csv", file, NULL);
    assert_int_equal(r.rows_accepted, 2); /* M3 names no perpetrator: its id is empty */
    assert_int_equal(r.rows_rejected, 1);
    r = import_through(f, pv, "marac.csv", file, NULL);
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
    struct ingest_profile *p = profile_of(profile);
    struct ingest_result r = import_through(f, p, "eh.csv", file, "2024-01-01");
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
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "mp.csv", file, "2024-08-01");
    assert_int_equal(r.rows_accepted, 4);
    assert_int_equal(r.rows_rejected, 0);
    /* each row known by its line in the file: 5 to 8 */
    assert_int_equal(count(f->s, "SELECT min(line) FROM event WHERE source = 't-draft'"), 5);
    assert_int_equal(count(f->s, "SELECT max(line) FROM event WHERE source = 't-draft'"), 8);
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
    struct ingest_profile *p = profile_of(profile);
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
    p = profile_of(other);
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

/* A sheet with empty rows (two above the header, one between rows): each row keeps the
 * number Excel shows, so a reject names the row an analyst finds in the workbook, and the
 * header is found below the empty rows with no header_line. */
static void test_xlsx_row_numbers(void **state)
{
    struct fixture *f = *state;
    size_t n = strlen(f->dir) + 32;
    char *path = malloc(n);
    assert_non_null(path);
    snprintf(path, n, "%s/gaps.xlsx", f->dir);
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Missing");
    static const char *const cells[][4] = {
        /* Excel rows 3 to 8 (0-based 2 to 7); row 6 is left empty */
        {"Report", "Subject", "Name", "From"},
        {"R1", "P1", "DUNN, Kayla", "2024-07-01"},
        {"R2", "P2", "LEE, Amy", "2024-07-02"},
        {NULL, NULL, NULL, NULL},
        {"R3", "", "ROSE, Ivy", "2024-07-03"},
        {"R4", "P1", "DUNN, Kayla", "2024-07-04"},
    };
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 4 && cells[r][0]; c++)
            if (*cells[r][c])
                worksheet_write_string(ws, (lxw_row_t)(r + 2), (lxw_col_t)c, cells[r][c], NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    static const char profile[] =
        "[source]\nname = t-gap\nagency = police\nperson_id = Subject\n"
        "row_id = Report\n[record]\nfull_name = Name | surname_first\n"
        "[event]\ntype = \"missing_episode\"\nstarted_at = From | date iso\n";
    struct ingest_profile *p = profile_of(profile);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .as_of = "2024-08-01"};
    struct ingest_result r;
    struct svp_err err;
    if (ingest_import_file(f->s, p, path, &o, &r, &err))
        fail_msg("import: %s", err.msg);
    assert_int_equal(r.rows_accepted, 3);
    assert_int_equal(r.rows_rejected, 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE source = 't-gap' AND "
                                 "((agency_event_id = 'R1' AND line = 4) OR (agency_event_id = "
                                 "'R2' AND line = 5) OR (agency_event_id = 'R4' AND line = 8))"),
                     3);
    char *rej = slurp(f->rejects);
    assert_non_null(rej);
    assert_non_null(strstr(rej, ",7,")); /* R3, with no subject, is Excel's row 7 */
    free(rej);
    ingest_profile_free(&p);
    free(path);
}

/* Dates as other systems write them: a month name first ("Feb 19 2008"), an ordinal day
 * ("15th March 2023"), month first as US systems write ("2/19/2008"); day first wins a
 * column whose values read both ways. */
static void test_draft_more_date_forms(void **state)
{
    (void)state;
    static const char text[] =
        "Ref,Born,Seen,US,Either\n"
        "R1,Feb 19 2008,19 February 2023,2/19/2008,01/02/2023\n"
        "R2,Jan 2 2011,1st March 2023,1/2/2011,03/04/2023\n"
        "R3,Mar 30 2010,15th March 2023,12/30/2010,05/06/2023\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.report, "Born: date; 0 blank, 3 distinct; formats: %b %d %Y (3)");
    assert_has(d.report, "Seen: date; 0 blank, 3 distinct; formats: %d %B %Y (3)");
    assert_has(d.report, "US: date; 0 blank, 3 distinct; formats: %m/%d/%Y (3)");
    assert_has(d.report, "Either: date; 0 blank, 3 distinct; formats: %d/%m/%Y (3)");
    ingest_draft_free(&d);
}

/* Names as case systems write them in one field: a known-as name in brackets or quotes,
 * particles before an upper-case surname, O'Brien, a title and a suffix. The draft takes
 * the column for a name in any order; import keeps the known-as name where the linker
 * compares it with given names, never as a middle name. */
static void test_names_with_known_as(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "Ref,Name,Born\n"
        "R1,\"DUNN, Kayla (Kay)\",19/02/2008\n"
        "R2,O'BRIEN Sean,02/01/2011\n"
        "R3,de la CRUZ Maria,30/03/2010\n"
        "R4,DUNN-SMITH Kayla Jane,19/02/2008\n"
        "R5,\"Kayla \"\"Kay\"\" DUNN\",19/02/2008\n"
        "R6,VAN DER BERG Pieter,01/01/2009\n"
        "R7,Mr John SMITH Jr,01/01/1980\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.profile, "full_name = Name | any_order | required\n");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "names.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 7);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE given_name = 'Kayla' AND "
                                 "family_name = 'DUNN' AND middle_names IS NULL AND detail "
                                 "LIKE '%\"known_as\":\"Kay\"%'"), 2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE given_name = 'Maria' AND "
                                 "family_name = 'de la CRUZ'"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE given_name = 'Sean' AND "
                                 "family_name = 'O''BRIEN'"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE given_name = 'John' AND "
                                 "family_name = 'SMITH' AND detail LIKE '%\"title\":\"Mr\"%'"),
                     1);
    ingest_profile_free(&p);
}

/* Ethnicity as systems print it: the census categories' descriptions, and the NHS's
 * one-letter ethnic category codes; the draft maps each to svp's code, leaves a value it
 * cannot read out of the map, and import stores the codes. */
static void test_draft_ethnicity_descriptions(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "Ref,Forename,Surname,Ethnicity,Seen\n"
        "R1,Amy,Lee,White - British,2023-01-01\n"
        "R2,Sam,Brown,Asian or Asian British - Pakistani,2023-01-02\n"
        "R3,Jo,Green,Not stated,2023-01-03\n"
        "R4,Al,Black,Black or Black British - African,2023-01-04\n"
        "R5,Bo,White,Mixed - White and Black Caribbean,2023-01-05\n"
        "R6,Cy,Grey,White - Gypsy or Irish Traveller,2023-01-06\n"
        "R7,Di,Rose,Klingon,2023-01-07\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.profile, "ethnicity = Ethnicity | map ethnicity\n");
    assert_has(d.profile, "White - British = WBRI\nAsian or Asian British - Pakistani = APKN\n"
                          "Not stated = NOBT\nBlack or Black British - African = BAFR\n"
                          "Mixed - White and Black Caribbean = MWBC\n"
                          "White - Gypsy or Irish Traveller = WIRT\n# check: values not read");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    static const char letters[] = "Ref,Ethnic Category\nR1,A\nR2,J\nR3,Z\nR4,N\nR5,D\nR6,C\n"
                                  "R7,S\nR8,A\n";
    d = draft_of(letters, sizeof letters - 1);
    assert_has(d.profile, "ethnicity = Ethnic Category | map ethnic_category\n");
    assert_has(d.profile, "A = WBRI\nJ = APKN\nZ = NOBT\nN = BAFR\nD = MWBC\nC = WOTH\nS = "
                          "OOTH\n");
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "eth.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 7);
    assert_int_equal(r.values_dropped, 1); /* Klingon: not in the map, dropped with a warning */
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-draft' AND "
                                 "ethnicity IN ('WBRI', 'APKN', 'NOBT', 'BAFR', 'MWBC', "
                                 "'WIRT')"), 6);
    ingest_profile_free(&p);
}

/* A police nominals export: a row per person per occurrence (the key is the pair), the
 * place written with its postcode and no postcode column: the draft gives the place its
 * postcode from the text. */
static void test_draft_place_with_postcode(void **state)
{
    (void)state;
    static const char text[] =
        "Occurrence Ref,Nominal ID,Surname,Forename(s),DOB,Involvement,Occurrence Date/Time,"
        "Location\n"
        "22/1234/24,N100,DUNN,Kayla,19/02/2008,Victim,01/07/2024 20:15,\"Park, SV1 2AB\"\n"
        "22/1234/24,N200,OKAFOR,Reece,01/03/2005,Suspect,01/07/2024 20:15,\"Park, SV1 2AB\"\n"
        "22/1300/24,N100,DUNN,Kayla,19/02/2008,Witness,05/07/2024 13:00,\"Shop, SV2 3CD\"\n"
        "22/1301/24,N300,LEE,Amy,02/01/2011,Victim,06/07/2024 22:10,\"Bus Station, SV1 1AA\"\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.profile, "row_id = Occurrence Ref + Nominal ID\n");
    assert_has(d.profile, "place.name = Location\nplace.postcode = Location | postcode\n");
    ingest_draft_free(&d);
}

/* Terms as MIS exports write them: each to its first and last day, or why not. */
static void test_school_terms(void **state)
{
    (void)state;
    static const struct {
        const char *in, *from, *to;
    } ok[] = {
        {"2021/22 AUT", "2021-09-01", "2021-12-31"}, {"2021/22 SPR", "2022-01-01", "2022-03-31"},
        {"2021/22 SUM", "2022-04-01", "2022-07-31"}, {"Autumn 2023", "2023-09-01", "2023-12-31"},
        {"Spring 2024", "2024-01-01", "2024-03-31"}, {"2023-24 Summer Term", "2024-04-01",
                                                      "2024-07-31"},
        {"2023/2024 spring", "2024-01-01", "2024-03-31"}, {"Aut1 2023/24", "2023-09-01",
                                                          "2023-10-31"},
        {"Autumn 2 2023", "2023-11-01", "2023-12-31"}, {"Spring 2 2023/24", "2024-02-16",
                                                       "2024-03-31"},
        {"Summer Half-Term 1 2024", "2024-04-01", "2024-05-31"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        svp_day a, b;
        const char *why = ingest_term_parse(ok[i].in, strlen(ok[i].in), &a, &b);
        if (why)
            fail_msg("'%s': %s", ok[i].in, why);
        char fa[11], fb[11];
        svp_date_format(a, fa, sizeof fa);
        svp_date_format(b, fb, sizeof fb);
        if (strcmp(fa, ok[i].from) || strcmp(fb, ok[i].to))
            fail_msg("'%s': %s to %s", ok[i].in, fa, fb);
    }
    static const struct {
        const char *in, *why;
    } bad[] = {
        {"2021/23 AUT", "do not follow each other"}, {"2023", "names no term"},
        {"Autumn", "names no year"},                  {"Autumn Spring 2023", "names two terms"},
        {"Winter 2023", "not a school term"},         {"2023/24 Spring 2023", "not in its academic"},
        {"Summer Smith", "not a school term"},        {"Autumn 2023 t", "not a school term"},
        {"Spring ha 2024", "not a school term"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        svp_day a, b;
        const char *why = ingest_term_parse(bad[i].in, strlen(bad[i].in), &a, &b);
        if (!why || !strstr(why, bad[i].why))
            fail_msg("'%s': %s", bad[i].in, why ? why : "read as a term");
    }
}

/* A school MIS attendance export: a row per pupil per term written "Autumn 2023", counts of
 * sessions, a preferred forename. The draft makes each row a school_attendance event over
 * its term, puts the counts under the keys the tracker reads (sessions missed as the sum of
 * authorised and unauthorised absence) and the preferred forename where the linker reads
 * it. */
static void test_draft_mis_attendance(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Term,Possible Sessions,"
        "Attended,Authorised Absence,Unauthorised Absence\n"
        "A123456789012,Dunn,Kayla,Kay,19/02/2008,Autumn 2023,140,120,10,10\n"
        "A123456789012,Dunn,Kayla,Kay,19/02/2008,Spring 2024,120,90,10,20\n"
        "B123456789012,Lee,Amy,,02/01/2011,Autumn 2023,140,138,2,0\n"
        "B123456789012,Lee,Amy,,02/01/2011,Spring 2024,120,118,2,0\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.profile, "known_as = Preferred Forename\n");
    assert_has(d.profile, "type = \"school_attendance\"\nstarted_at = Term | term_start\n"
                          "ended_at = Term | term_end\n");
    assert_has(d.profile, "detail.sessions_possible = Possible Sessions | integer\n");
    assert_has(d.profile, "detail.sessions_attended = Attended | integer\n");
    assert_has(d.profile, "detail.sessions_missed = Authorised Absence + Unauthorised Absence "
                          "| sum\n");
    assert_has(d.profile, "detail.attendance_pct = Attended + Possible Sessions | percent\n");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "mis.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 4);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE type = 'school_attendance' "
                                 "AND started_at LIKE '2024-01-01%' AND ended_at LIKE "
                                 "'2024-03-31%' AND detail LIKE '%\"sessions_missed\":30%' AND "
                                 "detail LIKE '%\"attendance_pct\":75%'"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE given_name = 'Kayla' AND "
                                 "detail LIKE '%\"known_as\":\"Kay\"%'"), 1);
    ingest_profile_free(&p);
}

/* A date and its time of day in two columns ("Date Missing", "Time Missing"; an ED's
 * "Arrival Date", "Arrival Time" with seconds): the draft reads each date with its time,
 * takes the found date for the episode's end, never a time for a key or a place. A time
 * column with blanks is left apart (the joined value would be empty on those rows). */
static void test_draft_date_and_time_columns(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "MISPER Ref,Subject Name,DOB,Date Missing,Time Missing,Date Found,Time Found,"
        "Found Location\n"
        "M1,DUNN Kayla,19/02/2008,01/07/2024,20:15,02/07/2024,03:40,\"Bus Station, SV1 1AA\"\n"
        "M2,LEE Amy,02/01/2011,03/07/2024,21:00,03/07/2024,23:10,Home\n"
        "M3,DUNN Kayla,19/02/2008,06/07/2024,22:10,07/07/2024,01:00,\"Park, SV1 2AB\"\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.report, "Time Missing: time of day; 0 blank, 3 distinct");
    assert_has(d.profile, "started_at = Date Missing + Time Missing | datetime %d/%m/%Y %H:%M | "
                          "required\nended_at = Date Found + Time Found | datetime %d/%m/%Y "
                          "%H:%M\nplace.name = Found Location\n");
    assert_has(d.profile, "# timezone = Europe/London\n");
    assert_null(strstr(d.profile, "row_id = Time"));
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "mp.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 3);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE started_at LIKE "
                                 "'2024-07-06T22:10%' AND ended_at LIKE '2024-07-07T01:00%'"), 1);
    ingest_profile_free(&p);

    static const char ed[] =
        "Attendance No,Patient,Arrival Date,Arrival Time,Departure Time\n"
        "A1,Kayla DUNN,2024-07-01,20:15:05,23:00:00\n"
        "A2,Amy LEE,2024-07-03,21:00:00,\n"
        "A3,Reece OKAFOR,2024-07-06,22:10:10,01:00:00\n";
    d = draft_of(ed, sizeof ed - 1);
    assert_has(d.profile, "started_at = Arrival Date + Arrival Time | datetime iso | required\n");
    assert_null(strstr(d.profile, "Departure Time |")); /* blanks: left in detail as text */
    ingest_draft_free(&d);
}

/* The file's rows, each of values[] twice, as "ID,VALUE,DATE" lines after header. */
static char *repeated_rows(const char *header, const char *const *values, int n)
{
    struct svp_buf b;
    svp_buf_init(&b, 0);
    assert_int_equal(svp_buf_printf(&b, "%s\n", header), 0);
    for (int k = 0; k < 2 * n; k++)
        assert_int_equal(svp_buf_printf(&b, "R%d,%s,01/07/2024\n", k, values[k % n]), 0);
    return svp_buf_take(&b);
}

/* An ED system's presenting complaints and a police system's offences, as they write them:
 * the draft's maps read each to svp's ED reasons (the ED attendance's subtype) and offence
 * categories (a crime's `offence`) where its words say which (the tracker's indicators
 * read those), and keep any other as written. */
static void test_draft_ed_reasons_and_offences(void **state)
{
    (void)state;
    static const char *const complaints[] = {"Assault", "Self harm", "Overdose", "Stab wound",
                                             "Alcohol intoxication", "Head injury",
                                             "Chest pain", "Sexual assault",
                                             "Emergency contraception", "GUM"};
    char *text = repeated_rows("A&E Attendance No,Presenting Complaint,Arrival Date", complaints, 10);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "type = \"ed_attendance\"\nsubtype = Presenting Complaint | map "
                          "presenting_complaint\n");
    assert_has(d.profile, "Assault = assault\nSelf harm = self_harm\nOverdose = overdose\n"
                          "Stab wound = stab_wound\nAlcohol intoxication = alcohol\n"
                          "Head injury = injury\nChest pain = chest_pain\n"
                          "Sexual assault = sexual_assault\nEmergency contraception = "
                          "sexual_health\nGUM = sexual_health\n");
    ingest_draft_free(&d);
    free(text);
    static const char *const offences[] = {
        "Possession with intent to supply Class A", "Theft from shop", "ABH",
        "Possession of a bladed article", "Robbery of personal property", "Rape of a female",
        "Possession of cannabis", "Modern slavery", "Wounding with a knife"};
    text = repeated_rows("Occurrence Ref,Offence,Occurred", offences, 9);
    d = draft_of(text, strlen(text));
    assert_has(d.profile, "detail.offence = Offence | map offence\n"); /* subtype: a role */
    assert_has(d.profile, "Possession with intent to supply Class A = drugs_supply\n"
                          "Theft from shop = theft\nABH = violence\n"
                          "Possession of a bladed article = weapon_possession\n"
                          "Robbery of personal property = robbery\nRape of a female = sexual\n"
                          "Possession of cannabis = drugs_possession\n"
                          "Modern slavery = exploitation\nWounding with a knife = "
                          "violence_weapon\n");
    ingest_draft_free(&d);
    free(text);
}

/* A police occurrence extract whose "Occurrence Type" both types each row and names its
 * offence, and an arrest extract's "Reason for Arrest": codes that read as offences are the
 * offence (the subtype of a crime is the person's part in it, which no column gives: the
 * draft says so), and the police's drugs codes are offences, not a health service's
 * substance misuse. */
static void test_draft_police_types_and_offences(void **state)
{
    (void)state;
    static const char *const types[] = {"Missing Person", "Drugs Possession", "Assault",
                                        "Theft", "Robbery", "Domestic Incident",
                                        "Child Sexual Exploitation", "Possession of Weapon"};
    char *text = repeated_rows("Occurrence No,Occurrence Type,Date Reported", types, 8);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "detail.offence = Occurrence Type | map occurrence_type\n");
    assert_has(d.profile, "Drugs Possession = drugs_possession\n");
    assert_has(d.profile, "Possession of Weapon = weapon_possession\n");
    assert_has(d.profile, "Missing Person = missing_episode\n");
    assert_has(d.profile, "# check: a crime's subtype is the person's part in it");
    if (strstr(d.profile, "substance_misuse") || strstr(d.profile, "\nsubtype = "))
        fail_msg("a police drugs code as substance misuse, or offences as the role:\n%s",
                 d.profile);
    ingest_draft_free(&d);
    free(text);
    static const char *const reasons[] = {"Supply of Class A drugs", "Possession of knife",
                                          "Theft from person", "Section 47 assault"};
    text = repeated_rows("Arrest Ref,Reason for Arrest,Arrested", reasons, 4);
    d = draft_of(text, strlen(text));
    assert_has(d.profile, "type = \"arrest\"\n");
    assert_has(d.profile, "detail.offence = Reason for Arrest | map reason_for_arrest\n");
    assert_has(d.profile, "Supply of Class A drugs = drugs_supply\n");
    ingest_draft_free(&d);
    free(text);
}

/* A school MIS's exclusions in the school census's codes: the file is exclusions, not
 * attendance (a pupil number and a count of sessions say school, not which record), its
 * category (FIXD, LUNC, PERM) the subtype the tracker weighs (a permanent exclusion above a
 * suspension) and its reason codes svp's reasons. */
static void test_draft_census_exclusions(void **state)
{
    (void)state;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    static const char *const cat[] = {"FIXD", "PERM", "LUNC"};
    static const char *const why[] = {"PD", "PP", "PA", "VA", "DA", "DM", "TH", "MT", "OT", "BU"};
    assert_int_equal(svp_buf_printf(&b, "UPN,Surname,Forename,Category,Start Date,Sessions,"
                                        "Reason\n"), 0);
    for (int k = 0; k < 60; k++)
        assert_int_equal(svp_buf_printf(&b, "A%012d,Dunn,Kai,%s,2024-03-%02d,%d,%s\n", k % 20,
                                        cat[k % 3], 1 + k % 28, 1 + k % 6, why[k % 10]), 0);
    char *text = svp_buf_take(&b);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "type = \"exclusion\"\nsubtype = Category | map category\n");
    assert_has(d.profile, "detail.reason = Reason | map reason\n");
    assert_has(d.profile, "FIXD = suspension\nPERM = permanent\nLUNC = suspension\n");
    assert_has(d.profile, "PD = persistent_disruption\nPP = physical_assault_pupil\n"
                          "PA = physical_assault_adult\nVA = verbal_abuse\n"
                          "DA = drugs_alcohol\nDM = damage\nTH = theft\nMT = weapon\n"
                          "OT = other\nBU = verbal_abuse\n");
    ingest_draft_free(&d);
    free(text);
}

/* A youth offending team's orders: "Triage" and "Referral Order" are the intervention's
 * own disposals (its subtype, read to docs/model.md's), not an ED's triage or a social care
 * referral; a Detention and Training Order is custody. */
static void test_draft_yot_disposals(void **state)
{
    (void)state;
    static const char *const orders[] = {"Referral Order", "Youth Rehabilitation Order",
                                         "Youth Caution", "Youth Conditional Caution",
                                         "Triage", "Detention and Training Order"};
    char *text = repeated_rows("YOT ID,Order Type,Order Start", orders, 6);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "type = \"yj_intervention\"\nsubtype = Order Type | map order_type\n");
    assert_has(d.profile, "Referral Order = referral_order\nYouth Rehabilitation Order = yro\n"
                          "Youth Caution = youth_caution\n"
                          "Youth Conditional Caution = youth_conditional_caution\n"
                          "Triage = triage\nDetention and Training Order = custody\n");
    if (strstr(d.profile, "ed_attendance") || strstr(d.profile, "= referral\n"))
        fail_msg("a disposal read as another record:\n%s", d.profile);
    ingest_draft_free(&d);
    free(text);
}

/* An ED system's attendances keyed by attendance and by the hospital's number for the
 * patient (MRN): the MRN, repeated over a patient's visits, names the person; the
 * attendance number, unique, the row. */
static void test_draft_hospital_number(void **state)
{
    (void)state;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    assert_int_equal(svp_buf_printf(&b, "Attendance ID,MRN,Arrival Date Time,Complaint\n"), 0);
    for (int k = 0; k < 40; k++)
        assert_int_equal(svp_buf_printf(&b, "ATT%06d,RX%07d,2024-03-%02dT10:%02d:00,Fall\n",
                                        k, 100 + k % 9, 1 + k % 28, k), 0);
    char *text = svp_buf_take(&b);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "person_id = MRN\nrow_id = Attendance ID\n");
    ingest_draft_free(&d);
    free(text);
}

/* A return home interview service's extract: the interview starts at the return it follows
 * and ends when held (the missing date kept in detail), its outcome read to the tracker's
 * (an interview the child could not be reached for is not completed), and the concerns it
 * lists item by item to the tracker's codes under `disclosures`; a second list (push
 * factors) mapped too but not in the disclosures' place. The draft imports and the tracker's
 * codes are what is stored. */
static void test_draft_return_interviews(void **state)
{
    struct fixture *f = *state;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    static const char *const outcome[] = {"Completed", "Declined", "Unable to contact"};
    static const char *const concerns[] = {"CSE", "CCE|Drugs", "", "Gangs", "CSE|Older males"};
    static const char *const push[] = {"Family conflict", "Peers; Boredom", "Peers"};
    assert_int_equal(svp_buf_printf(&b, "RHI Ref,Date Missing,Date Returned,Interview Date,"
                                        "Outcome,Push Factors,Concerns Disclosed\n"), 0);
    for (int k = 0; k < 30; k++)
        assert_int_equal(svp_buf_printf(&b, "R%03d,%02d/05/2024,%02d/05/2024,%02d/05/2024,%s,"
                                            "%s,%s\n", k, 1 + k % 20, 2 + k % 20, 4 + k % 20,
                                        outcome[k % 3], push[k % 3], concerns[k % 5]), 0);
    char *text = svp_buf_take(&b);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "started_at = Date Returned | date %d/%m/%Y | required\n"
                          "ended_at = Interview Date | date %d/%m/%Y\n"
                          "detail.date_missing = Date Missing | date %d/%m/%Y\n");
    assert_has(d.profile, "Unable to contact = not_completed\n");
    assert_has(d.profile, "detail.disclosures = Concerns Disclosed | list pipe | map "
                          "concerns_disclosed\n");
    assert_has(d.profile, "detail.push_factors = Push Factors | list ; | map push_factors\n");
    assert_has(d.profile, "CSE = cse\nCCE = cce\nDrugs = drugs\nGangs = gang\n"
                          "Older males = adult_associates\n");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "rhi.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 30);
    assert_int_equal(r.values_dropped, 0);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE type = 'return_interview' "
                                 "AND detail LIKE '%\"disclosures\":[\"cce\",\"drugs\"]%'"), 6);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE type = 'return_interview' "
                                 "AND detail LIKE '%\"outcome\":\"not_completed\"%'"), 10);
    ingest_profile_free(&p);
    free(text);
}

/* A front door's contacts: the reasons listed per contact ("CSE concerns; Neglect") read item
 * by item to the tracker's codes under `reasons`, and an outcome column naming referrals and
 * strategy discussions is what the contact led to, not what each row is: every row stays a
 * contact, whose reasons the tracker reads. */
static void test_draft_contacts_with_outcomes(void **state)
{
    struct fixture *f = *state;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    static const char *const reasons[] = {"CSE concerns; Neglect", "Criminal exploitation",
                                          "Domestic abuse; Gang involvement", "Neglect"};
    static const char *const outcome[] = {"NFA", "Referral to CSC", "Strategy discussion"};
    assert_int_equal(svp_buf_printf(&b, "Contact ID,Contact Date,Reasons for Contact,"
                                        "Outcome\n"), 0);
    for (int k = 0; k < 24; k++)
        assert_int_equal(svp_buf_printf(&b, "C%03d,%02d/05/2024,%s,%s\n", k, 1 + k % 28,
                                        reasons[k % 4], outcome[k % 3]), 0);
    char *text = svp_buf_take(&b);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "type = \"contact\"\n");
    assert_has(d.profile, "detail.reasons = Reasons for Contact | list ; | map "
                          "reasons_for_contact\n");
    assert_has(d.profile, "CSE concerns = cse\n");
    assert_has(d.profile, "Criminal exploitation = cce\n");
    assert_has(d.profile, "Gang involvement = gang\n");
    if (strstr(d.profile, "type = Outcome"))
        fail_msg("the outcome taken for the row's type:\n%s", d.profile);
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "contacts.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 24);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE type = 'contact' AND "
                                 "detail LIKE '%\"reasons\":[\"cse\",\"neglect\"]%'"), 6);
    ingest_profile_free(&p);
    free(text);
}

/* A police missing-persons extract from another system: the misper's own number names the
 * person (the report's reference the row), the risk grading (APP's "No Apparent Risk"), where
 * the child went missing from and who brought them back read to the keys and codes the
 * tracker reads: an episode from a foster placement or a children's home is from care. */
static void test_draft_missing_persons(void **state)
{
    (void)state;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    static const char *const risk[] = {"High", "Medium", "Low", "No Apparent Risk"};
    static const char *const from[] = {"Home address", "Childrens home", "Foster placement"};
    static const char *const by[] = {"Self", "Police", "Parent", "Foster carer"};
    assert_int_equal(svp_buf_printf(&b, "Report Ref,Misper URN,Reported Missing,Risk "
                                        "Assessment,Missing From,Returned By\n"), 0);
    for (int k = 0; k < 36; k++)
        assert_int_equal(svp_buf_printf(&b, "MP%04d,N%03d,%02d/06/2024 21:00,%s,%s,%s\n", k,
                                        k % 9, 1 + k % 28, risk[k % 4], from[k % 3],
                                        by[k % 4]), 0);
    char *text = svp_buf_take(&b);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "person_id = Misper URN\nrow_id = Report Ref\n");
    assert_has(d.profile, "detail.risk_level = Risk Assessment | map risk_assessment\n"
                          "detail.missing_from = Missing From | map missing_from\n"
                          "detail.returned_by = Returned By | map returned_by\n");
    assert_has(d.profile, "High = high\nMedium = medium\nLow = low\n"
                          "No Apparent Risk = no_apparent_risk\n");
    assert_has(d.profile, "Home address = home\nChildrens home = care_placement\n"
                          "Foster placement = care_placement\n");
    assert_has(d.profile, "Self = self\nPolice = police\nParent = family\n"
                          "Foster carer = carer\n");
    ingest_draft_free(&d);
    free(text);
}

/* An adult social care system's safeguarding concerns: the Safeguarding Adults Collection's
 * categories of abuse make the file adult concerns (adult social care's, not a children's
 * referral), the category both the subtype and abuse_type (which the collection counts),
 * "Location of Abuse" a location code rather than a place, and who raised it the concern's
 * source. */
static void test_draft_adult_concerns(void **state)
{
    struct fixture *f = *state;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    static const char *const cat[] = {"Financial or Material Abuse", "Neglect and Acts of Omission",
                                      "Self-Neglect", "Physical Abuse", "Domestic Abuse"};
    static const char *const loc[] = {"Own Home", "Care Home", "Hospital", "Community"};
    static const char *const src[] = {"Care Provider", "Family", "Police"};
    assert_int_equal(svp_buf_printf(&b, "Concern ID,Person ID,Date of Birth,Concern Received,"
                                        "Primary Category,Location of Abuse,Source of "
                                        "Referral\n"), 0);
    for (int k = 0; k < 30; k++)
        assert_int_equal(svp_buf_printf(&b, "SG%04d,P%03d,%02d/03/19%02d,%02d/06/2024,%s,%s,%s\n",
                                        k, k % 12, 1 + k % 12, 30 + k % 12, 1 + k % 28,
                                        cat[k % 5], loc[k % 4], src[k % 3]), 0);
    char *text = svp_buf_take(&b);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "agency = asc\n");
    assert_has(d.profile, "type = \"adult_concern\"\nsubtype = Primary Category | map "
                          "primary_category\ndetail.abuse_type = Primary Category | map "
                          "primary_category\n");
    assert_has(d.profile, "detail.location = Location of Abuse | map location_of_abuse\n");
    assert_has(d.profile, "detail.concern_source = Source of Referral | map "
                          "source_of_referral\n");
    assert_has(d.profile, "Financial or Material Abuse = financial\n"
                          "Neglect and Acts of Omission = neglect\nSelf-Neglect = self_neglect\n");
    if (strstr(d.profile, "place.name"))
        fail_msg("a location category taken for a place:\n%s", d.profile);
    /* a category column already named for the key ("Abuse Type") is written twice too */
    struct svp_buf nb;
    svp_buf_init(&nb, 0);
    assert_int_equal(svp_buf_printf(&nb, "Concern ID,Person ID,Date of Birth,Concern Received,"
                                         "Abuse Type,Location of Abuse,Source of Referral%s",
                                    strchr(text, '\n')), 0);
    char *named = svp_buf_take(&nb);
    struct ingest_draft d2 = draft_of(named, strlen(named));
    assert_has(d2.profile, "subtype = Abuse Type | map abuse_type\ndetail.abuse_type = Abuse "
                           "Type | map abuse_type\n");
    ingest_draft_free(&d2);
    free(named);
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "asc.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 30);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE type = 'adult_concern' AND "
                                 "subtype = 'self_neglect' AND detail LIKE "
                                 "'%\"abuse_type\":\"self_neglect\"%' AND detail LIKE "
                                 "'%\"location\":%'"), 6);
    ingest_profile_free(&p);
    free(text);
}

/* A screening tool's export: a file that says screening is the screenings' (not exploitation
 * concerns, though it names the exploitation screened for); its subtype the risk level, read
 * to high, medium, low (Significant is high), which the tracker weighs; the kind screened for
 * its concerns. */
static void test_draft_screenings(void **state)
{
    (void)state;
    static const char *const rows[] = {"CSE,Significant", "CCE,Moderate", "County Lines,Low",
                                       "CSE,No Risk Identified"};
    char *text = repeated_rows("Child ID,Exploitation Type,Overall Risk Level,Screening Date",
                               rows, 4);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "type = \"exploitation_screening\"\nsubtype = Overall Risk Level | "
                          "map overall_risk_level\n");
    assert_has(d.profile, "detail.concerns = Exploitation Type | map exploitation_type\n");
    assert_has(d.profile, "Significant = high\nModerate = medium\nLow = low\n");
    assert_has(d.profile, "County Lines = county_lines\n");
    ingest_draft_free(&d);
    free(text);
}

/* An attendance export in percentages: the attendance % is the tracker's attendance_pct, an
 * absence's percentage is no count of sessions (it had been drafted as sessions_authorised
 * read as an integer, and summed into sessions_missed), and a "PA Flag" is the persistent
 * absence flag. */
static void test_draft_attendance_percentages(void **state)
{
    (void)state;
    static const char *const rows[] = {"88.5,6.5,5.0,Y", "97.2,2.8,0.0,N", "91.0,4.5,4.5,N",
                                       "79.9,10.1,10.0,Y"};
    char *text = repeated_rows("UPN,Attendance %,Authorised Absence %,Unauthorised Absence %,"
                               "PA Flag,Week Ending", rows, 4);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "detail.attendance_pct = Attendance % | number\n");
    assert_has(d.profile, "detail.persistent_absence = PA Flag | flag\n");
    if (strstr(d.profile, "sessions_"))
        fail_msg("a percentage drafted as a count of sessions:\n%s", d.profile);
    ingest_draft_free(&d);
    free(text);
}

/* A police nominals export: the crime number everyone involved in one crime shares is the
 * occurrence_ref the peer networks join people by, whatever the export calls it. */
static void test_draft_occurrence_ref(void **state)
{
    (void)state;
    static const char *const rows[] = {"CR001,Victim", "CR001,Suspect", "CR002,Suspect",
                                       "CR002,Witness", "CR003,Victim"};
    char *text = repeated_rows("Nominal Ref,Crime Ref,Involvement,Committed Date", rows, 5);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "type = \"crime\"\n");
    assert_has(d.profile, "detail.occurrence_ref = Crime Ref\n");
    ingest_draft_free(&d);
    free(text);
}

/* The SSDA903 return's episodes as a local authority's system exports them, with the
 * return's column names: a looked-after episode per row from DECOM to DEC, the child's id
 * CHILD (not the UPN, often blank for the young), the legal status as the subtype, and the
 * return's other codes (placement type U1, reason ended E11) kept as written, not
 * lower-cased; its key CHILD + DECOM. The draft imports. */
static void test_draft_ssda903_episodes(void **state)
{
    struct fixture *f = *state;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    static const char *const ls[] = {"C2", "V2", "E1", "C1"};
    static const char *const place[] = {"U1", "K2", "R1", "U4", "H5"};
    assert_int_equal(svp_buf_printf(&b, "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                                        "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"), 0);
    for (int k = 0; k < 40; k++)
        assert_int_equal(svp_buf_printf(&b, "%d,%02d/%02d/2023,S,%s,N1,%s,PR1,%s,%s,,LS1 1AB,"
                                            "LS2 2BB,SC%06d\n", 1000 + k % 20, 1 + k % 28,
                                        1 + k / 20, ls[k % 4], place[k % 5],
                                        k % 2 ? "" : "01/02/2024", k % 2 ? "" : "E11", k % 7),
                         0);
    char *text = svp_buf_take(&b);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "agency = csc\nperson_id = CHILD\nrow_id = CHILD + DECOM\n");
    assert_has(d.profile, "type = \"looked_after\"\nsubtype = LS\ndetail.legal_status = LS\n"
                          "started_at = DECOM | date %d/%m/%Y | required\n"
                          "ended_at = DEC | date %d/%m/%Y\n");
    assert_has(d.profile, "detail.placement = PLACE\n");
    assert_has(d.profile, "detail.reason_ended = REC\n");
    assert_has(d.profile, "postcode = HOME_POST | postcode\n");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "episodes.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 40);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE type = 'looked_after' AND "
                                 "subtype = 'C2' AND detail LIKE '%\"placement\":\"U1\"%'"), 2);
    ingest_profile_free(&p);
    free(text);
}

/* A column the system left empty says nothing of what the rows are: a police extract's empty
 * NHS_NO does not make it an emergency department's. */
static void test_draft_blank_column_no_type(void **state)
{
    (void)state;
    static const char *const rows[] = {"ARREST,", "ARREST,", "ARREST,"};
    char *text = repeated_rows("PERSON_ID,EVENT_TYPE,NHS_NO,EVENT_DATE", rows, 3);
    struct ingest_draft d = draft_of(text, strlen(text));
    if (strstr(d.profile, "ed_attendance") || strstr(d.profile, "agency = health"))
        fail_msg("an empty NHS number column made the file an ED's:\n%s", d.profile);
    ingest_draft_free(&d);
    free(text);
}

/* A MARAC's list of cases, referred and DASH-scored: a file that says MARAC is its cases',
 * not a social care referral's or a police incident's (the words tie). */
static void test_draft_marac_cases(void **state)
{
    (void)state;
    static const char *const rows[] = {"16,Y", "14,N", "21,N"};
    char *text = repeated_rows("MARAC Ref,DASH Score,Repeat,Referral Date", rows, 3);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "type = \"marac\"\n");
    ingest_draft_free(&d);
    free(text);
}

/* A DA list naming the perpetrator by name alone (no id, no date of birth): too little to
 * make a person of, so a mention the linker can resolve (not plain text in detail), and a
 * name written "SMITH, Dean" is one mention, not two. */
static void test_draft_name_only_person_is_a_mention(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "Incident No,Victim Name,Victim DOB,Perpetrator Name,Date Reported\n"
        "DA1,Kayla DUNN,01/02/1990,\"SMITH, Dean\",01/06/2024\n"
        "DA2,Amy LEE,03/04/1985,\"JONES, Craig\",02/06/2024\n"
        "DA3,Kayla DUNN,01/02/1990,\"SMITH, Dean\",03/06/2024\n"
        "DA4,Ivy ROSE,05/06/1979,\"HALL, Lee\",04/06/2024\n";
    struct ingest_draft d = draft_of(text, sizeof text - 1);
    assert_has(d.profile, "detail.perpetrator_name = Perpetrator Name | mentions ;\n");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "da.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 4);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE detail LIKE "
                                 "'%\"perpetrator_name\":{\"names\":[\"SMITH, Dean\"]%'"), 2);
    ingest_profile_free(&p);
}

/* A children's social care extract with a CSE risk level on each row ("High", "Amber",
 * "None"): the draft adds an exploitation screening at that level when the row gives one,
 * which the tracker reads; "None" makes none. */
static void test_draft_exploitation_risk_column(void **state)
{
    struct fixture *f = *state;
    static const char *const levels[] = {"High", "Amber", "Low", "None", "Significant"};
    char *text = repeated_rows("Child ID,CSE Risk,Placement Start", levels, 5);
    struct ingest_draft d = draft_of(text, strlen(text));
    assert_has(d.profile, "[event cse_risk_screening]\n");
    assert_has(d.profile, "type = \"exploitation_screening\"\nstarted_at = Placement Start | "
                          "date %d/%m/%Y\nsubtype = CSE Risk | map cse_risk_level\n"
                          "when = upper(\"CSE Risk\") IN ('HIGH', 'AMBER', 'LOW', "
                          "'SIGNIFICANT')\ndetail.concerns = \"cse\"\n");
    assert_has(d.profile, "[map cse_risk_level]\nHigh = high\nAmber = medium\nLow = low\n"
                          "Significant = high\n");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "csc.csv", text, "2024-08-01");
    assert_int_equal(r.rows_accepted, 10);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE type = "
                                 "'exploitation_screening' AND subtype = 'high'"), 4);
    assert_int_equal(count(f->s, "SELECT count(*) FROM event WHERE type = "
                                 "'exploitation_screening'"), 8);
    ingest_profile_free(&p);
    free(text);
}

/* UTF-8 text as UTF-16LE with its byte order mark (Excel's "Unicode Text"), owned. */
static char *to_utf16le(const char *u8, size_t *len)
{
    size_t n = strlen(u8);
    char *out = malloc(2 * n + 2);
    assert_non_null(out);
    out[0] = (char)0xFF;
    out[1] = (char)0xFE;
    size_t o = 2;
    for (const unsigned char *p = (const unsigned char *)u8; *p;) {
        unsigned cp = *p++;
        if (cp >= 0xC0) { /* two-byte sequences only: the Latin letters of these names */
            cp = ((cp & 0x1F) << 6) | (*p++ & 0x3F);
        }
        out[o++] = (char)(cp & 0xFF);
        out[o++] = (char)(cp >> 8);
    }
    *len = o;
    return out;
}

/* Excel's "Unicode Text" (UTF-16 little-endian with its mark, tab separated, CRLF): the
 * draft reads it and says so, import reads it whatever the profile's encoding, names with
 * accents kept, the file's encoding recorded; a UTF-16 file with an unpaired surrogate is
 * refused whole, naming the byte, and nothing is written. */
static void test_utf16_extract(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "PupilRef\tSurname\tForename\tDOB\tSessions\r\n"
        "P1\t\xC3\x93 S\xC3\xBAilleabh\xC3\xA1in\tZo\xC3\xAB\t19/02/2008\t120\r\n"
        "P2\tLee\tAmy\t02/01/2011\t118\r\n"
        "P3\tRose\tIvy\t03/03/2010\t96\r\n";
    size_t n;
    char *bytes = to_utf16le(text, &n);
    struct ingest_draft d = draft_of(bytes, n);
    assert_has(d.report, "UTF-16 (little-endian) with a byte order mark, tab separated, CRLF "
                         "line ends; 5 columns, 3 rows read");
    assert_has(d.profile, "delimiter = tab\n");
    assert_null(strstr(d.profile, "encoding ="));
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    char *path = testutil_write_file(f->dir, "pupils.txt", bytes, n);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .as_of = "2024-08-01"};
    struct ingest_result r;
    struct svp_err err;
    if (ingest_import_file(f->s, p, path, &o, &r, &err))
        fail_msg("import: %s", err.msg);
    assert_int_equal(r.rows_accepted, 3);
    assert_int_equal(r.rows_rejected, 0);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-draft' AND "
                                 "given_name = 'Zo\xC3\xAB' AND family_name = "
                                 "'\xC3\x93 S\xC3\xBAilleabh\xC3\xA1in' AND dob = '2008-02-19'"),
                     1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM source_file WHERE source = 't-draft' AND "
                                 "encoding = 'utf-16le'"), 1);
    free(path);

    /* a high surrogate alone (bytes 2-3 of the header's first letter): refused, nothing kept */
    bytes[2] = (char)0x00;
    bytes[3] = (char)0xD8;
    path = testutil_write_file(f->dir, "broken.txt", bytes, n);
    assert_int_equal(ingest_import_file(f->s, p, path, &o, &r, &err), SVP_EINPUT);
    assert_has(err.msg, "not UTF-16 text: an unpaired surrogate at byte 2; nothing imported");
    assert_int_equal(count(f->s, "SELECT count(*) FROM source_file WHERE source = 't-draft'"), 1);
    free(path);
    free(bytes);
    ingest_profile_free(&p);
}

/* A system that writes its header in another case ("SURNAME" for the profile's "Surname")
 * still imports; a header with two columns that differ only in case names neither. */
static void test_header_case(void **state)
{
    struct fixture *f = *state;
    static const char profile[] =
        "[source]\nname = t-case\nagency = education\nperson_id = UPN\n"
        "[record]\ngiven_name = Forename\nfamily_name = Surname\n";
    struct ingest_profile *p = profile_of(profile);
    struct ingest_result r =
        import_through(f, p, "upper.csv", "UPN,FORENAME,SURNAME\nU1,Ada,Brannigan\n", NULL);
    assert_int_equal(r.rows_accepted, 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM record WHERE source = 't-case' AND "
                                 "given_name = 'Ada' AND family_name = 'Brannigan'"), 1);
    static const char twice[] = "UPN,Forename,SURNAME,surname\nU2,Bo,Lee,Lee\n";
    char *path = testutil_write_file(f->dir, "twice.csv", twice, sizeof twice - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct svp_err err;
    assert_int_equal(ingest_import_file(f->s, p, path, &o, &r, &err), SVP_EINPUT);
    assert_has(err.msg, "header lacks column 'Surname'");
    free(path);
    ingest_profile_free(&p);
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
    struct ingest_profile *p = profile_of(profile);
    struct ingest_result r = import_through(f, p, "old.csv", old_file, NULL);
    assert_int_equal(r.rows_accepted, 1);
    r = import_through(f, p, "new.csv", new_file, NULL);
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
    p = profile_of(both);
    char *a = testutil_write_file(f->dir, "old.csv", old_file, sizeof old_file - 1);
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true};
    struct svp_err err;
    assert_int_equal(ingest_import_file(f->s, p, a, &o, &r, &err), SVP_EINPUT);
    assert_non_null(strstr(err.msg, "header lacks column 'ContactPhone'"));
    ingest_profile_free(&p);
    free(a);
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
        cmocka_unit_test(test_draft_reads_a_vendor_layout),
        cmocka_unit_test(test_draft_keys_and_formats),
        cmocka_unit_test_setup_teardown(test_draft_gp_register, setup, teardown),
        cmocka_unit_test_setup_teardown(test_composite_ids_in_person_and_other, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blank_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_title_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_extract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_row_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_extract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_more_date_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_with_known_as, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_ethnicity_descriptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_place_with_postcode, setup, teardown),
        cmocka_unit_test(test_school_terms),
        cmocka_unit_test_setup_teardown(test_draft_mis_attendance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_date_and_time_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_ed_reasons_and_offences, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_police_types_and_offences, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_census_exclusions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_yot_disposals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_hospital_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_return_interviews, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_contacts_with_outcomes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_missing_persons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_adult_concerns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_screenings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_attendance_percentages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_occurrence_ref, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_ssda903_episodes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_blank_column_no_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_marac_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_name_only_person_is_a_mention, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_exploitation_risk_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_optional_columns, setup, teardown),
        cmocka_unit_test(test_draft_refusals),
        cmocka_unit_test(test_draft_alloc_failures),
    };
    return cmocka_run_group_tests_name("ingest_draft", tests, NULL, NULL);
}
