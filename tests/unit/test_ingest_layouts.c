/* Extracts in layouts other systems write, drafted and imported (issue 13): a report's
 * footer under its rows, two people in one row (a victim and a suspect; a child and a
 * mother), a header naming a column twice, a health extract keyed by the NHS number with
 * an address over several columns, datetimes as SQL Server, Access and Oracle print them.
 * Each drafts a profile with `svp profile draft`'s code and imports through it on the
 * back end SVP_TEST_BACKEND names. */
#include "ingest_fixture.h"

#include <stdlib.h>
#include <string.h>

/* A report's export with a footer under its rows (a blank line, a total, "End of report"):
 * the draft says footer_lines and scans no footer line as a row; the import keeps every row
 * and rejects none; a file whose footer is missing (cut short) or whose "footer" reads as a
 * row is refused whole, writing nothing, rather than losing its last rows. */
static void test_footer_lines(void **state)
{
    struct fixture *f = *state;
    static const char file[] =
        "Missing Persons Report\r\nRun on 01/08/2024\r\n\r\n"
        "Report,Subject,Name,DOB,Missing From\r\n"
        "R1,P1,\"DUNN, Kayla\",19/02/2008,01/07/2024 20:00\r\n"
        "R2,P2,\"LEE, Amy\",02/01/2011,02/07/2024 21:00\r\n"
        "R3,P1,\"DUNN, Kayla\",19/02/2008,05/07/2024 22:00\r\n"
        "R4,P3,\"ROSE, Ivy\",03/03/2010,06/07/2024 23:00\r\n"
        "R5,P4,\"OAK, Hal\",04/04/2010,07/07/2024 23:00\r\n"
        "R6,P5,\"ASH, Ida\",05/05/2010,08/07/2024 23:00\r\n"
        "R7,P6,\"ELM, Jo\",06/06/2010,09/07/2024 23:00\r\n"
        "R8,P7,\"FIR, Kim\",07/07/2010,10/07/2024 23:00\r\n"
        "R9,P8,\"YEW, Lou\",08/08/2010,11/07/2024 23:00\r\n"
        "R10,P9,\"BAY, Max\",09/09/2010,12/07/2024 23:00\r\n"
        "\r\nTotal reports:,10\r\nEnd of report";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.report, "the last 2 lines are a footer under the rows (footer_lines = 2)");
    assert_has(d.report, "5 columns, 10 rows read");
    if (strstr(d.report, "do not have the header's"))
        fail_msg("a footer line scanned as a row:\n%s", d.report);
    assert_has(d.profile, "header_line = 4\n# check: the last lines are the report's footer "
                          "(totals), not rows\nfooter_lines = 2\n");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "mp.csv", file, "2024-08-01");
    assert_int_equal(r.rows_read, 10);
    assert_int_equal(r.rows_accepted, 10);
    assert_int_equal(r.rows_rejected, 0);
    /* cut short: the last rows and the footer lost; or a footer line that is a row */
    static const char *const cut[] = {
        "Missing Persons Report\nRun on 02/08/2024\n\nReport,Subject,Name,DOB,Missing From\n"
        "R11,P1,\"DUNN, Kayla\",19/02/2008,01/07/2024 20:00\n"
        "R12,P2,\"LEE, Amy\",02/01/2011,02/07/2024 21:00\n"
        "R13,P3,\"ROSE, Ivy\",03/03/2010,06/07/2024 23:00\n",
        "Missing Persons Report\nRun on 02/08/2024\n\nReport,Subject,Name,DOB,Missing From\n"
        "R11,P1,\"DUNN, Kayla\",19/02/2008,01/07/2024 20:00\n"};
    static const char *const why[] = {"but line 1 of them reads as a row: is the file cut short?",
                                      "the file ends before its footer of 2 lines"};
    int64_t events = count(f->s, "SELECT COUNT(*) FROM event");
    for (int i = 0; i < 2; i++) {
        char *path = testutil_write_file(f->dir, "cut.csv", cut[i], strlen(cut[i]));
        struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .as_of = "2024-08-01"};
        struct svp_err err;
        assert_int_equal(ingest_import_file(f->s, p, path, &o, &r, &err), SVP_EINPUT);
        assert_has(err.msg, why[i]);
        assert_has(err.msg, "nothing imported");
        free(path);
    }
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event"), events);
    ingest_profile_free(&p);
}

/* A police DA extract naming two people in each row, each in columns prefixed with the
 * part they play. The victim is the row's person; the suspect gets a [record suspect] of
 * their own (named and dated, not detail on the victim's event), an [event suspect] as the
 * perpetrator, and a perpetrator relationship; the DASH risk is the incident's subtype. A
 * row with no suspect makes no suspect. Imported on both back ends. */
static void test_draft_two_people_in_a_row(void **state)
{
    struct fixture *f = *state;
    static const char file[] =
        "Incident Ref,Incident Date,Victim Ref,Victim Surname,Victim Forename,Victim DOB,"
        "Suspect Ref,Suspect Surname,Suspect Forename,Suspect DOB,DASH Risk\n"
        "DA1,01/03/2024 21:00,V1,Dunn,Amy,02/02/1990,S1,Lee,Tom,03/03/1988,High\n"
        "DA2,05/03/2024 22:00,V2,Orr,Zoe,04/04/1992,,,,,Standard\n"
        "DA3,09/03/2024 23:00,V1,Dunn,Amy,02/02/1990,S1,Lee,Tom,03/03/1988,Medium\n"
        "DA4,10/03/2024 20:00,V3,Hall,Kim,05/05/1985,S2,Wood,Sam,06/06/1980,Standard\n"
        "DA5,11/03/2024 20:00,V4,Ash,Ida,07/07/1991,S3,Elm,Jon,08/08/1989,High\n"
        "DA6,12/03/2024 20:00,V5,Oak,Eve,09/09/1993,S4,Fir,Dan,10/10/1987,Standard\n"
        "DA7,13/03/2024 20:00,V4,Ash,Ida,07/07/1991,S3,Elm,Jon,08/08/1989,Medium\n"
        "DA8,14/03/2024 20:00,V6,Yew,Fay,11/11/1994,S5,Bay,Ian,12/12/1986,High\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.profile, "person_id = Victim Ref\nrow_id = Incident Ref\n");
    assert_has(d.profile, "[record suspect]\nperson = Suspect Ref\ngiven_name = Suspect Forename\n"
                          "family_name = Suspect Surname\ndob = Suspect DOB | date %d/%m/%Y\n");
    assert_has(d.profile, "[event]\ntype = \"da_incident\"\nsubtype = DASH Risk | map dash_risk\n");
    assert_has(d.profile, "[event suspect]\nperson = Suspect Ref\ntype = \"da_incident\"\n");
    assert_has(d.profile, "detail.role = \"perpetrator\"\n");
    assert_has(d.profile, "[relationship suspect]\nkind = \"perpetrator\"\nperson = Suspect Ref\n"
                          "other = Victim Ref\nevent = suspect\n");
    if (strstr(d.profile, "detail.suspect_"))
        fail_msg("the suspect kept as detail:\n%s", d.profile);
    /* the suspect's columns first in the header: the victim's still make the record */
    static const char swapped[] =
        "Incident Ref,Incident Date,Suspect Ref,Suspect Surname,Suspect Forename,Suspect DOB,"
        "Victim Ref,Victim Surname,Victim Forename,Victim DOB\n"
        "DA1,01/03/2024 21:00,S1,Lee,Tom,03/03/1988,V1,Dunn,Amy,02/02/1990\n"
        "DA2,05/03/2024 22:00,S2,Wood,Sam,06/06/1980,V2,Orr,Zoe,04/04/1992\n"
        "DA3,09/03/2024 23:00,S1,Lee,Tom,03/03/1988,V1,Dunn,Amy,02/02/1990\n";
    struct ingest_draft d2 = draft_of(swapped, sizeof swapped - 1);
    assert_has(d2.profile, "person_id = Victim Ref\n");
    assert_has(d2.profile, "[record]\ngiven_name = Victim Forename | required\n"
                           "family_name = Victim Surname | required\ndob = Victim DOB | date "
                           "%d/%m/%Y\n");
    assert_has(d2.profile, "[record suspect]\nperson = Suspect Ref\ngiven_name = Suspect "
                           "Forename\nfamily_name = Suspect Surname\n");
    ingest_draft_free(&d2);
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "da.csv", file, "2024-08-01");
    assert_int_equal(r.rows_accepted, 8);
    expect_dump(f->s,
                "SELECT agency_record_id, given_name, family_name, dob FROM record "
                "WHERE source = 't-draft' AND agency_record_id IN ('S1', 'S2', 'V1', 'V2') "
                "ORDER BY agency_record_id",
                "S1:Tom:Lee:1988-03-03:\nS2:Sam:Wood:1980-06-06:\nV1:Amy:Dunn:1990-02-02:\n"
                "V2:Zoe:Orr:1992-04-04:\n");
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE source = 't-draft'"), 11);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event WHERE source = 't-draft' AND "
                                 "detail LIKE '%perpetrator%'"), 7);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship WHERE kind = 'perpetrator'"),
                     7);
    ingest_profile_free(&p);
}

/* A social care referral extract naming the child and the mother, the mother with no id:
 * a [record mother] known by her name and date of birth, and a parent relationship; no
 * event for her (she plays no part in the referral) and no role on the child's. A row
 * naming no mother makes no record for her. */
static void test_draft_child_and_mother(void **state)
{
    struct fixture *f = *state;
    static const char file[] =
        "Referral ID,Referral Date,Child ID,Child Forename,Child Surname,Child DOB,"
        "Mother Forename,Mother Surname,Mother DOB,Referral Source\n"
        "R1,01/02/2024,C1,Amy,Dunn,01/01/2012,Jo,Dunn,02/02/1985,Police\n"
        "R2,02/02/2024,C2,Tom,Lee,03/03/2013,Eve,Lee,04/04/1988,School\n"
        "R3,03/02/2024,C3,Zoe,Orr,05/05/2011,,,,Health\n"
        "R4,04/02/2024,C1,Amy,Dunn,01/01/2012,Jo,Dunn,02/02/1985,Police\n"
        "R5,05/02/2024,C4,Kim,Hall,06/06/2014,Ann,Hall,07/07/1990,School\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.profile, "[record mother]\nperson = Mother Surname + Mother Forename + Mother DOB\n");
    assert_has(d.profile, "[relationship mother]\nkind = \"parent\"\n"
                          "person = Mother Surname + Mother Forename + Mother DOB\nother = Child ID\n"
                          "event = none\n");
    if (strstr(d.profile, "[event mother]") || strstr(d.profile, "detail.role"))
        fail_msg("the mother given a part in the referral:\n%s", d.profile);
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "ref.csv", file, "2024-08-01");
    assert_int_equal(r.rows_accepted, 5);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE source = 't-draft' AND "
                                 "dob < '2000-01-01' AND given_name IS NOT NULL"), 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM relationship r JOIN record a ON "
                                 "a.id = r.record_a JOIN record b ON b.id = r.record_b WHERE "
                                 "r.kind = 'parent' AND a.given_name = 'Jo' AND "
                                 "b.agency_record_id = 'C1'"), 1);
    ingest_profile_free(&p);
}

/* A contact that lists the children of a household in numbered columns ("Child 1
 * Forename" ... "Child 2 DOB"; "Child2 Surname" written together too): each child is a
 * person with a contact of their own, and the household's address and postcode are the
 * second child's as well (twins told apart by the linker need the shared home); a row with
 * one child makes no second record, and a second child with no date of birth is still a
 * child with a record (its id the names and a blank date), not lost. */
static void test_draft_numbered_children(void **state)
{
    struct fixture *f = *state;
    static const char file[] =
        "Contact ID,Contact Date,Reason,Child 1 Forename,Child 1 Surname,Child 1 DOB,"
        "Child2 Forename,Child2 Surname,Child2 DOB,Address,Postcode\n"
        "C1,01/11/2023,DA notification,Kayla,Dunn,12/03/2012,Leo,Dunn,05/07/2015,"
        "12 High St,LS1 1AB\n"
        "C2,02/11/2023,Neglect,Amir,Khan,01/01/2010,,,,3 Low Rd,LS2 2BB\n"
        "C3,03/11/2023,Health,Maisie,Cole,22/09/2018,Harley,Cole,22/09/2018,8 Park Ln,"
        "LS3 3CC\n"
        "C4,04/11/2023,School,Zoe,Orr,05/05/2011,,,,1 Elm Rd,LS4 4DD\n"
        "C5,05/11/2023,Police,Ivy,Rose,03/03/2013,Daine,Rose,,2 Ash Rd,LS5 5EE\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.profile, "[record child_2]\nperson = Child2 Surname + Child2 Forename + "
                          "Child2 DOB\n");
    assert_has(d.profile, "dob = Child2 DOB | date %d/%m/%Y\naddress = Address\n"
                          "postcode = Postcode | postcode\n");
    assert_has(d.profile, "[event child_2]\n");
    assert_has(d.profile, "given_name = Child 1 Forename | required\n");
    if (strstr(d.profile, "detail.child"))
        fail_msg("the second child kept as detail:\n%s", d.profile);
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "contacts.csv", file, "2024-08-01");
    assert_int_equal(r.rows_accepted, 5);
    expect_dump(f->s,
                "SELECT given_name, dob, postcode FROM record WHERE source = 't-draft' "
                "ORDER BY given_name",
                "Amir:2010-01-01:LS2 2BB:\nDaine:-:LS5 5EE:\nHarley:2018-09-22:LS3 3CC:\n"
                "Ivy:2013-03-03:LS5 5EE:\nKayla:2012-03-12:LS1 1AB:\nLeo:2015-07-05:LS1 1AB:\n"
                "Maisie:2018-09-22:LS3 3CC:\nZoe:2011-05-05:LS4 4DD:\n");
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM event e JOIN record r ON r.id = "
                                 "e.record_id WHERE e.type = 'contact' AND r.given_name IN "
                                 "('Leo', 'Harley', 'Daine')"), 3);
    assert_int_equal(count(f->s, "SELECT COUNT(*) FROM record WHERE agency_record_id = "
                                 "'Rose/Daine/'"), 1);
    ingest_profile_free(&p);
}

/* A school's or a GP's number for a child is the parent's or carer's: the draft writes it
 * as detail.contact_phone (a household fact, docs/household.md), never as the child's own
 * phone, which the linker would compare; a column that is the person's own stays phone. */
static void test_draft_carer_phone(void **state)
{
    (void)state;
    static const char file[] = "UPN,Forename,Surname,DOB,Parent Mobile,Mobile\n"
                               "U1,Amy,Dunn,01/01/2012,07700 900001,07700 900101\n"
                               "U2,Tom,Dunn,03/03/2013,07700 900001,07700 900102\n"
                               "U3,Zoe,Orr,05/05/2011,07700 900003,\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.profile, "detail.contact_phone = Parent Mobile\n");
    assert_has(d.profile, "phone = Mobile\n");
    if (strstr(d.profile, "\nphone = Parent Mobile"))
        fail_msg("the parent's number as the child's own:\n%s", d.profile);
    ingest_draft_free(&d);
}

/* A household's address that holds its postcode, with no postcode column: each child the
 * row numbers gets the postcode from it as the first does (the linker's household rules and
 * blocking read the postcode, not the address). */
static void test_draft_numbered_children_postcode_in_address(void **state)
{
    (void)state;
    static const char file[] =
        "Contact ID,Contact Date,Child 1 Forename,Child 1 Surname,Child 1 DOB,"
        "Child 2 Forename,Child 2 Surname,Child 2 DOB,Address\n"
        "C1,01/11/2023,Kayla,Dunn,12/03/2012,Leo,Dunn,05/07/2015,\"12 High St, Leeds LS1 1AB\"\n"
        "C2,02/11/2023,Amir,Khan,01/01/2010,,,,\"3 Low Rd, Leeds LS2 2BB\"\n"
        "C3,03/11/2023,Maisie,Cole,22/09/2018,Harley,Cole,22/09/2018,\"8 Park Ln, LS3 3CC\"\n"
        "C4,04/11/2023,Zoe,Orr,05/05/2011,,,,\"1 Elm Rd, Leeds LS4 4DD\"\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    const char *second = strstr(d.profile, "[record child_2]\n");
    assert_non_null(second);
    assert_has(d.profile, "address = Address\npostcode = Address | postcode\n");
    assert_has(second, "address = Address\npostcode = Address | postcode\n");
    ingest_draft_free(&d);
}

/* A column of phone numbers whose name has no phone word ("Contact No", "Number") is found
 * by its values, however written (+44 (0)..., 0044 ..., dashes, brackets); "contact" says a
 * child's number is the parent's, but an adult's is the person's own, unless another column
 * is. NHS numbers and other references are not phone numbers. */
static void test_draft_phone_by_values(void **state)
{
    (void)state;
    static const char adults[] =
        "ClientRef,Name,DOB,Contact No,NHS No,Ref\n"
        "A1,JONES Mary,01/02/1950,0113 496 0001,943 476 5919,00012345678\n"
        "A2,SMITH John,05/06/1942,+44 (0)7700 900123,401 023 2137,00012345679\n"
        "A3,LEE Ann,07/08/1960,07700-900-003,,00012345680\n"
        "A4,COLE Rose,09/10/1955,0044 20 7946 0018,,00012345681\n"
        "A5,HART Ian,11/12/1948,(0113) 496 0002,,00012345682\n";
    struct ingest_draft d = draft_of(adults, sizeof adults - 1);
    assert_has(d.profile, "role = adult\n");
    assert_has(d.profile, "phone = Contact No\n");
    assert_has(d.profile, "shared_id = NHS No\n");
    if (strstr(d.profile, "phone = Ref") || strstr(d.profile, "phone = NHS"))
        fail_msg("a reference or an NHS number taken for a phone:\n%s", d.profile);
    ingest_draft_free(&d);

    static const char children[] = "UPN,Forename,Surname,DOB,Contact No\n"
                                   "U1,Amy,Dunn,01/01/2012,0113 496 0001\n"
                                   "U2,Tom,Dunn,03/03/2013,0113 496 0001\n"
                                   "U3,Zoe,Orr,05/05/2011,07700 900003\n";
    d = draft_of(children, sizeof children - 1);
    assert_has(d.profile, "detail.contact_phone = Contact No\n");
    if (strstr(d.profile, "\nphone = "))
        fail_msg("a child's contact number as its own:\n%s", d.profile);
    ingest_draft_free(&d);

    /* an adult's own mobile named: the home's number stays the home's */
    static const char both[] = "ClientRef,Forename,Surname,DOB,Mobile,Home Phone\n"
                               "A1,Mary,Jones,01/02/1950,07700 900001,0113 496 0001\n"
                               "A2,John,Smith,05/06/1942,07700 900002,0113 496 0003\n";
    d = draft_of(both, sizeof both - 1);
    assert_has(d.profile, "phone = Mobile\n");
    assert_has(d.profile, "detail.contact_phone = Home Phone\n");
    ingest_draft_free(&d);
}

/* The steps after `list` read each item: a return interview's disclosures written "CSE|Drugs"
 * are the tracker's codes item by item (`list pipe | map disclosure`); an item the map
 * cannot read drops the value with a warning (the row kept), empty items are left out, and
 * `postcode` (or any step) works item by item too. */
static void test_list_items_through_steps(void **state)
{
    struct fixture *f = *state;
    struct ingest_profile *p = profile_of(
        "[source]\nname = t-list\nagency = rhi\nperson_id = Ref\n"
        "[record]\nfull_name = Name | given_first\n"
        "[event]\ntype = \"return_interview\"\nstarted_at = Returned | date %d/%m/%Y\n"
        "detail.disclosures = Disclosed | list pipe | map disclosure\n"
        "detail.areas = Areas | list ; | postcode\n"
        "[map disclosure]\nCSE = cse\nCCE = cce\nDrugs = drugs\n");
    static const char file[] = "Ref,Name,Returned,Disclosed,Areas\n"
                               "R1,Kayla Dunn,01/05/2024,CSE|Drugs,sv12 8gn; sv1 2ab\n"
                               "R2,Amy Lee,02/05/2024,cce | ,\n"
                               "R3,Ivy Rose,03/05/2024,CSE|Knife crime,sv3 3cc\n";
    struct ingest_result r = import_through(f, p, "rhi.csv", file, "2024-08-01");
    assert_int_equal(r.rows_accepted, 3);
    assert_int_equal(r.values_dropped, 1);
    expect_dump(f->s,
                "SELECT r.agency_record_id, e.detail FROM event e JOIN record r ON r.id = "
                "e.record_id WHERE r.source = 't-list' ORDER BY 1",
                "R1:{\"disclosures\":[\"cse\",\"drugs\"],\"areas\":[\"SV12 8GN\",\"SV1 2AB\"]}:\n"
                "R2:{\"disclosures\":[\"cce\"]}:\nR3:{\"areas\":[\"SV3 3CC\"]}:\n");
    char *rej = slurp(f->rejects);
    assert_non_null(rej);
    assert_has(rej, "rhi.csv,4,Disclosed,code not in [map disclosure]");
    free(rej);
    ingest_profile_free(&p);
}

/* A header that names a column twice ("Date" for the incident and again for its close)
 * and ends in empty names (an export's trailing commas): the second is "Date (2)" to the
 * draft and the import alike, each mappable; the nameless columns are left out, and the
 * file imports whole. */
static void test_repeated_header_names(void **state)
{
    struct fixture *f = *state;
    static const char file[] = "ID,Name,Date,Date,Notes,,\n"
                               "1,\"DUNN, Kayla\",01/02/2024,03/02/2024,x,,\n"
                               "2,\"LEE, Amy\",02/02/2024,04/02/2024,y,,\n"
                               "3,\"ORR, Zoe\",05/02/2024,06/02/2024,z,,\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.report, "  Date (2): date;");
    assert_has(d.report, "(no name): blank");
    assert_has(d.profile, "started_at = Date | date %d/%m/%Y | required\n");
    assert_has(d.profile, "= Date (2) | date %d/%m/%Y\n");
    ingest_draft_free(&d);
    static const char profile[] =
        "[source]\nname = t-rep\nagency = police\nperson_id = ID\n"
        "[record]\nfull_name = Name | surname_first\n"
        "[event]\ntype = \"crime\"\nstarted_at = Date | date %d/%m/%Y\n"
        "ended_at = Date (2) | date %d/%m/%Y\n";
    struct ingest_profile *p = profile_of(profile);
    struct ingest_result r = import_through(f, p, "rep.csv", file, "2024-08-01");
    assert_int_equal(r.rows_accepted, 3);
    expect_dump(f->s,
                "SELECT agency_event_id, started_at, ended_at FROM event WHERE source = 't-rep' "
                "ORDER BY agency_event_id",
                "1:2024-02-01:2024-02-03:\n2:2024-02-02:2024-02-04:\n3:2024-02-05:2024-02-06:\n");
    ingest_profile_free(&p);
}

/* A health system's patient extract: no id but the NHS number (printed with spaces), an
 * address over three columns. The NHS number is the person id and still the shared id the
 * linker compares; the address lines and town are one address, blank lines left out. */
static void test_draft_nhs_number_and_address_lines(void **state)
{
    struct fixture *f = *state;
    static const char file[] =
        "NHS No,Patient Surname,Patient Forename,Date of Birth,Address Line 1,Address Line 2,"
        "Town,Post Code,Attendance Date\n"
        "787 789 3280,DUNN,Kayla,19/02/2008,12 High Street,Flat 3,Swindon,SN1 1AA,01/07/2024\n"
        "792 174 2181,LEE,Amy,02/01/2011,4 Mill Lane,,Swindon,SN1 2BB,02/07/2024\n"
        "096 792 9083,ROSE,Ivy,03/03/2010,9 Rose Court,Flat 1,Swindon,SN2 1CC,03/07/2024\n"
        "100 339 0757,OAK,Hal,04/04/2010,1 Oak Road,,Swindon,SN2 2DD,04/07/2024\n"
        "793 834 7019,ASH,Ida,05/05/2010,7 Ash Way,,Swindon,SN3 1EE,05/07/2024\n"
        "746 814 5385,ELM,Jo,06/06/2010,3 Elm Row,Flat 2,Swindon,SN3 2FF,06/07/2024\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.profile, "# check: no column but the NHS number names the person; it is the "
                          "person id\nperson_id = NHS No\n");
    assert_has(d.profile, "address = expr(svp_join(', ', \"Address Line 1\", \"Address Line 2\", "
                          "\"Town\"))\nshared_id = NHS No\n");
    if (strstr(d.profile, "detail.town") || strstr(d.profile, "detail.address_line_2"))
        fail_msg("an address line kept apart from the address:\n%s", d.profile);
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "gp.csv", file, "2024-08-01");
    assert_int_equal(r.rows_accepted, 6);
    expect_dump(f->s,
                "SELECT agency_record_id, shared_id, address FROM record WHERE source = 't-draft' "
                "AND agency_record_id IN ('787 789 3280', '792 174 2181') ORDER BY agency_record_id",
                "787 789 3280:787 789 3280:12 High Street, Flat 3, Swindon:\n"
                "792 174 2181:792 174 2181:4 Mill Lane, Swindon:\n");
    ingest_profile_free(&p);
}

/* Dates as other systems' exports print them: SQL Server's default datetime text (a 12-hour
 * clock, padded with spaces), Access/Excel's "6:30 PM", Oracle's TIMESTAMP text with a
 * fraction of a second. The draft names each format; the import reads them as they say. */
static void test_draft_twelve_hour_and_fraction_dates(void **state)
{
    struct fixture *f = *state;
    static const char file[] =
        "Ref,PersonRef,First Name,Last Name,Reported,Closed,Logged\n"
        "R1,P1,Ann,Lee,Feb  1 2024  6:30PM,01/02/2024 11:45 PM,01-FEB-24 18.31.00.000000000\n"
        "R2,P2,Bo,Kay,Mar 12 2024 12:05AM,12/03/2024 9:15 AM,12-MAR-24 00.06.10.500000000\n"
        "R3,P1,Ann,Lee,Apr  3 2024 11:59AM,03/04/2024 12:30 PM,03-APR-24 12.00.00.000000000\n"
        "R4,P3,Cy,Orr,May 30 2024 12:00PM,30/05/2024 1:00 PM,30-MAY-24 12.01.00.000000000\n";
    struct ingest_draft d = draft_of(file, sizeof file - 1);
    assert_has(d.profile, "started_at = Reported | datetime %b %d %Y %I:%M%p | required\n");
    assert_has(d.profile, "ended_at = Closed | datetime %d/%m/%Y %I:%M %p\n");
    assert_has(d.profile, "detail.logged = Logged | datetime %d-%b-%y %H.%M.%S.%f\n");
    struct ingest_profile *p = profile_of(d.profile);
    ingest_draft_free(&d);
    struct ingest_result r = import_through(f, p, "dt.csv", file, "2024-08-01");
    assert_int_equal(r.rows_accepted, 4);
    assert_int_equal(r.rows_rejected, 0);
    expect_dump(f->s,
                "SELECT agency_event_id, started_at, ended_at, detail "
                "FROM event WHERE source = 't-draft' ORDER BY agency_event_id",
                "R1:2024-02-01T18:30:00Z:2024-02-01T23:45:00Z:{\"logged\":\"2024-02-01T18:31:00Z\"}:\n"
                "R2:2024-03-12T00:05:00Z:2024-03-12T09:15:00Z:{\"logged\":\"2024-03-12T00:06:10Z\"}:\n"
                "R3:2024-04-03T11:59:00Z:2024-04-03T12:30:00Z:{\"logged\":\"2024-04-03T12:00:00Z\"}:\n"
                "R4:2024-05-30T12:00:00Z:2024-05-30T13:00:00Z:{\"logged\":\"2024-05-30T12:01:00Z\"}:\n");
    ingest_profile_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_footer_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_two_people_in_a_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_child_and_mother, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_numbered_children, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_carer_phone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_phone_by_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_numbered_children_postcode_in_address, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_list_items_through_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeated_header_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_nhs_number_and_address_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_draft_twelve_hour_and_fraction_dates, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
