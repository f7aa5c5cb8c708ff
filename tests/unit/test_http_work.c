/* The web server's work pages end to end over a real socket: the Safeguarding Adults
 * Collection, the partnership's registers, the case review register and learning tracker,
 * the link review queue and explain, and the daily domestic abuse call. The fixture is in
 * http_fixture.c. Runs on SQLite and on PostgreSQL. */
#include "http_fixture.h"


/* The adults' collection figures: one adult's concern and s42 enquiry, counted for the
 * financial year asked for; bad periods refused. */
/* The Sources page's routes: the files imported with their counts (no person named), and a
 * profile drafted from an extract sent in the body: larger than the server's usual cap for
 * this route only, audited, bad input refused with its reason. */
static void test_sources_and_profile_draft(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[2]); /* an analyst */
    struct resp r = expect(f, "GET", "/api/v1/sources", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"files\":["));
    assert_non_null(strstr(r.body, "\"profiles\":[\""));
    assert_non_null(strstr(r.body, "police-missing"));
    resp_free(&r);

    /* an extract of ~200 KiB: past the 64 KiB every other route takes */
    struct svp_buf b;
    svp_buf_init(&b, 1u << 22);
    assert_int_equal(svp_buf_puts(&b, "{\"file\":\"gp.tsv\",\"name\":\"gp-register\",\"text\":\""
                                      "Patient\\tDate of Birth\\tAddress\\tCode Date\\tCode\\r\\n"), 0);
    static const char *const codes[] = {"Child sexual exploitation", "Substance misuse",
                                        "Domestic abuse in household"};
    for (int i = 0; i < 3000; i++)
        assert_int_equal(svp_buf_printf(&b, "%s, Kayla%d\\t19-Feb-2008\\t%d Church Road, "
                                            "sv12 8gn\\t03/11/2022 10:%02d\\t%s\\r\\n",
                                        i % 2 ? "DUNN" : "OKAFOR", i, i, i % 60, codes[i % 3]),
                         0);
    assert_int_equal(svp_buf_puts(&b, "\"}"), 0);
    assert_true(b.len > 150 * 1024);
    r = expect(f, "POST", "/api/v1/profile/draft", &s, b.data, 200);
    assert_non_null(strstr(r.body, "\"rows\":3000"));
    assert_non_null(strstr(r.body, "name = gp-register\\n"));
    assert_non_null(strstr(r.body, "postcode = Address | postcode\\n"));
    assert_non_null(strstr(r.body, "Child sexual exploitation = exploitation_concern"));
    /* the report prints counts and codes, never a name or an address */
    char *report_end = strstr(r.body, "\"profile\"");
    assert_non_null(report_end);
    *report_end = '\0';
    assert_null(strstr(r.body, "Kayla"));
    assert_null(strstr(r.body, "Church"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'profile:draft'"),
                     1);
    /* the same body to another route is too large */
    r = request(f, "POST", "/api/v1/learning", &s, b.data, NULL);
    assert_int_equal(r.status, 413);
    resp_free(&r);
    svp_buf_free(&b);

    expect_refused(f, "POST", "/api/v1/profile/draft", &s, "{\"file\":\"x.csv\"}", 400,
                   "no text");
    expect_refused(f, "POST", "/api/v1/profile/draft", &s,
                   "{\"file\":\"x.csv\",\"text\":\"A,B\\n1,2\\n\",\"encoding\":\"ebcdic\"}", 400,
                   "bad encoding");
    expect_refused(f, "POST", "/api/v1/profile/draft", &s,
                   "{\"file\":\"x.csv\",\"text\":\"A,B\\n1,2\\n\",\"name\":\"Bad Name\"}", 400,
                   "bad name");
    expect_refused(f, "POST", "/api/v1/profile/draft", &s,
                   "{\"file\":\"x.csv\",\"text\":\"A,B\\n1,2\\n\",\"as_of\":\"2024-13-01\"}", 400,
                   "bad as_of");
    /* a workbook in base64: bad base64, both or neither of text and workbook, a zip that
     * is not one */
    expect_refused(f, "POST", "/api/v1/profile/draft", &s,
                   "{\"file\":\"x.xlsx\",\"workbook\":\"%%%not base64\"}", 400, "bad base64");
    expect_refused(f, "POST", "/api/v1/profile/draft", &s,
                   "{\"file\":\"x.xlsx\",\"workbook\":\"UEsDBCBub3QgYSB6aXA=\",\"text\":\"A\"}",
                   400, "text and workbook");
    r = expect(f, "POST", "/api/v1/profile/draft", &s,
               "{\"file\":\"x.xlsx\",\"workbook\":\"UEsDBCBub3QgYSB6aXA=\"}", 400);
    assert_non_null(strstr(r.body, "not a readable Excel workbook"));
    resp_free(&r);
    r = expect(f, "POST", "/api/v1/profile/draft", &s, "{\"file\":\"x.csv\",\"text\":\"A,B\\n\"}",
               400);
    assert_non_null(strstr(r.body, "no rows"));
    resp_free(&r);
}

static void test_adults_sac_figures(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    testutil_exec(f->s,
                  "INSERT INTO record (source, agency, agency_record_id, given_name, family_name, "
                  "dob, sex, norm_given, norm_family, file_id, line, role) VALUES ('asc', 'asc', "
                  "'AS1', 'Ada', 'Lake', '1931-02-03', 'F', 'ada', 'lake', 1, 2, 'adult');"
                  "INSERT INTO event (record_id, source, agency, agency_event_id, type, "
                  "subtype, started_at, detail, file_id, line) VALUES ((SELECT max(id) FROM "
                  "record), 'asc', 'asc', 'SG1', 'adult_concern', 'financial', '2022-05-10', "
                  "'{\"abuse_type\":\"financial\"}', 1, 2);"
                  "INSERT INTO event (record_id, source, agency, agency_event_id, type, "
                  "subtype, started_at, ended_at, detail, file_id, line) VALUES ((SELECT "
                  "max(id) FROM record), 'asc', 'asc', 'SG1/enquiry', 'adult_enquiry', 's42', '2022-05-11', "
                  "'2022-07-01', '{\"abuse_type\":\"financial\",\"location\":\"own_home\","
                  "\"risk_assessment\":\"risk_identified_action\",\"risk_result\":"
                  "\"reduced\",\"msp_asked\":\"yes\",\"msp_expressed\":1,\"msp_met\":"
                  "\"fully\"}', 1, 2)");
    struct resp r = expect(f, "GET", "/api/v1/adults/sac?year=2022", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"from\":\"2022-04-01\""));
    assert_non_null(strstr(r.body, "\"concerns\":1"));
    assert_non_null(strstr(r.body, "\"s42_started\":1"));
    assert_non_null(strstr(r.body, "\"conversion_pct\":100"));
    assert_non_null(strstr(r.body, "\"85-94\":1"));
    assert_non_null(strstr(r.body, "\"reduced\":1"));
    assert_non_null(strstr(r.body, "\"fully\":1"));
    assert_null(strstr(r.body, "Lake"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/adults/sac?from=2023-04-01&to=2024-03-31", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"concerns\":0"));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/adults/sac?year=12", &s, NULL, 400, "bad year");
    expect_refused(f, "GET", "/api/v1/adults/sac?from=2022-04-01", &s, NULL, 400, "no to");
    expect_refused(f, "GET", "/api/v1/adults/sac?from=2022-04-01&to=2021-01-01", &s, NULL, 400,
                   "to before from");
    expect_refused(f, "GET", "/api/v1/adults/sac?from=2022-14-01&to=2023-01-01", &s, NULL, 400,
                   "bad from");
    /* The adult list: her concern is of modern slavery too (exploited, 30, and a concern, 10:
     * listed), named with her reasons for the administrator; a panel member, whose rules do
     * not open adult social care's safeguarding records, does not see her listed; bad
     * parameters refused. */
    testutil_exec(f->s, "UPDATE event SET detail = '{\"abuse_type\":\"financial\",\"abuse_type2\":"
                        "\"modern_slavery\"}' WHERE agency_event_id = 'SG1'");
    struct session admin = session_for(f, f->uid[1]);
    r = expect(f, "GET", "/api/v1/adults/list?as_of=2022-12-31", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"listed\":1"));
    assert_non_null(strstr(r.body, "\"indicator\":\"exploited\""));
    assert_non_null(strstr(r.body, "\"score\":40"));
    assert_non_null(strstr(r.body, "Lake"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/adults/list?as_of=2022-12-31", &s, NULL, 200);
    assert_null(strstr(r.body, "Lake"));
    assert_null(strstr(r.body, "modern slavery"));
    resp_free(&r);
    /* The list is kept per data version: each view still audited; a change is seen. */
    int64_t views = q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'adults'");
    r = expect(f, "GET", "/api/v1/adults/list?as_of=2022-12-31", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "Lake"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'adults'"),
                     views + 1);
    testutil_exec(f->s, "UPDATE event SET detail = '{\"abuse_type\":\"financial\"}' "
                        "WHERE agency_event_id = 'SG1'");
    struct timespec ts = {0, 300 * 1000 * 1000}; /* longer than the version recheck */
    nanosleep(&ts, NULL);
    r = expect(f, "GET", "/api/v1/adults/list?as_of=2022-12-31", &admin, NULL, 200);
    if (!strstr(r.body, "\"listed\":0"))
        fail_msg("the adult list was not rebuilt after a change: %s", r.body);
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/adults/list?as_of=31/12/2022", &s, NULL, 400, "bad as_of");
    expect_refused(f, "GET", "/api/v1/adults/list?top=5000", &s, NULL, 400, "top too big");
}

/* Adds an entry of register name (fields "name=value", NULL-terminated) under parent_ref. */
static void add_entry(struct store *s, const char *name, const char *ref, const char *parent_ref,
                      const char *const *kv)
{
    struct reg_entry e;
    struct svp_err err;
    int rc = reg_entry_init(&e, reg_schema_find(name), &err);
    if (ref)
        svp_strlcpy(e.ref, ref, sizeof e.ref);
    for (size_t i = 0; !rc && kv[i]; i++) {
        char field[64];
        const char *eq = strchr(kv[i], '=');
        snprintf(field, sizeof field, "%.*s", (int)(eq - kv[i]), kv[i]);
        rc = reg_entry_set(&e, field, eq + 1, &err);
    }
    if (!rc)
        rc = reg_add(s, &e, parent_ref, &err);
    reg_entry_clear(&e);
    if (rc)
        fail_msg("add %s: %s", name, err.msg);
}

/* The partnership's registers from the browser: only the roles a schema names change it, a
 * bad field is a 400 naming it and stores nothing, every change is audited and kept in the
 * entry's history with the user's name, the list filters, the panel's registers are not
 * served here, and the figures and the export come from the registers room. */
static void test_partnership_registers(void **state)
{
    struct fixture *f = *state;
    struct session analyst = session_for(f, f->uid[2]), panel = session_for(f, f->uid[3]);
    static const char risk[] =
        "{\"register\":\"risk\",\"ref\":\"R1\",\"fields\":{\"title\":\"Front door\","
        "\"owner_agency\":\"council\",\"likelihood\":\"4\",\"impact\":\"3\"}}";
    int64_t before = q64(f->s, "SELECT count(*) FROM register_entry");
    struct resp r = expect(f, "POST", "/api/v1/registers/entries", &analyst, risk, 403);
    assert_non_null(strstr(r.body, "\"field\":\"register\""));
    resp_free(&r);
    r = expect(f, "POST", "/api/v1/registers/entries", &panel,
               "{\"register\":\"risk\",\"ref\":\"R1\",\"fields\":{\"title\":\"t\","
               "\"owner_agency\":\"council\",\"likelihood\":\"6\",\"impact\":\"3\"}}",
               400);
    assert_non_null(strstr(r.body, "\"field\":\"likelihood\""));
    resp_free(&r);
    expect_status(f, "POST", "/api/v1/registers/entries", &panel,
                  "{\"register\":\"risk\",\"ref\":\"R1\",\"fields\":{\"title\":3}}", 400);
    expect_status(f, "POST", "/api/v1/registers/entries", &panel,
                  "{\"register\":\"panel_child\",\"ref\":\"P1\",\"fields\":{}}", 404);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM register_entry"), before);
    expect_status(f, "POST", "/api/v1/registers/entries", &panel, risk, 201);
    expect_status(f, "POST", "/api/v1/registers/entries", &panel, risk, 409);
    expect_status(f, "POST", "/api/v1/registers/entries/update", &panel,
                  "{\"register\":\"risk\",\"ref\":\"R1\",\"fields\":{\"likelihood\":\"2\"}}",
                  200);
    /* an analyst keeps the audits */
    expect_status(f, "POST", "/api/v1/registers/entries", &analyst,
                  "{\"register\":\"audit\",\"ref\":\"A1\",\"fields\":{\"kind\":\"s175\","
                  "\"year\":\"2016-17\",\"subject\":\"School 1\",\"returned\":\"2016-12-01\"}}",
                  201);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'change' AND "
                               "object IN ('risk:R1', 'audit:A1')"),
                     3);
    r = expect(f, "GET", "/api/v1/registers/history?register=risk&ref=R1", &analyst, NULL, 200);
    assert_non_null(strstr(r.body, "\"change\":\"added\""));
    assert_non_null(strstr(r.body, "\"change\":\"updated\""));
    assert_non_null(strstr(r.body, "\"likelihood\":\"2\""));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/registers/entries?register=risk&field=owner_agency&value=council",
               &analyst, NULL, 200);
    assert_non_null(strstr(r.body, "\"ref\":\"R1\""));
    assert_non_null(strstr(r.body, "\"score\":\"6\""));
    assert_non_null(strstr(r.body, "\"can_change\":false"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/registers/entries?register=risk&q=nothing-like-it", &panel, NULL,
               200);
    assert_non_null(strstr(r.body, "\"matched\":0"));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/registers/entries?register=panel_child", &panel, NULL, 404);
    expect_status(f, "GET", "/api/v1/registers/entries?register=risk&field=colour", &panel, NULL,
                  400);
    r = expect(f, "GET", "/api/v1/registers", &analyst, NULL, 200);
    assert_non_null(strstr(r.body, "\"name\":\"child_death\""));
    assert_null(strstr(r.body, "panel_child"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/registers/figures?year=2016-17", &panel, NULL, 200);
    assert_non_null(strstr(r.body, "\"kind\":\"s175\""));
    assert_non_null(strstr(r.body, "\"training_by_course\""));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/registers/figures?from=2016-02-30", &panel, NULL, 400);
    r = expect(f, "GET", "/api/v1/registers/export.xlsx?register=risk", &panel, NULL, 200);
    assert_true(r.body_len > 4 && !memcmp(r.body, "PK", 2));
    resp_free(&r);
}

static void test_review_register_and_learning_tracker(void **state)
{
    struct fixture *f = *state;
    add_entry(f->s, "review", "RR-7", NULL,
              (const char *const[]){"kind=rapid_review", "title=Child G", "awareness=2026-06-01",
                                    "notification=2026-06-10", NULL});
    add_entry(f->s, "recommendation", NULL, "RR-7",
              (const char *const[]){"text=Share missing episodes with schools", NULL});
    add_entry(f->s, "action", NULL, "RR-7/R1",
              (const char *const[]){"text=Daily missing list to schools", "owner=police",
                                    "due=2026-09-01", NULL});
    struct session s = session_for(f, f->uid[3]);
    struct resp r = expect(f, "GET", "/api/v1/reviews", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"ref\":\"RR-7\""));
    assert_non_null(strstr(r.body, "\"title\":\"Child G\""));
    /* Notification is due within 5 working days of awareness: 10 June is late. */
    assert_non_null(strstr(r.body, "\"state\":\"met late\""));
    assert_non_null(strstr(r.body, "\"late\":1"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/learning", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"ref\":\"RR-7/R1\""));
    assert_non_null(strstr(r.body, "\"overdue\":true"));
    assert_non_null(strstr(r.body, "\"overdue\":[{"));
    resp_free(&r);

    /* A panel member adds a review and closes the action; bad input is a 400 naming the
     * field and writes nothing. */
    int64_t entries = q64(f->s, "SELECT count(*) FROM register_entry");
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"ref\":\"RR-8\",\"kind\":\"inquest\"}", "kind"},
        {"{\"ref\":\"RR-8\",\"kind\":\"sar\",\"awareness\":\"2026-02-30\"}", "awareness"},
        {"{\"ref\":\"RR-8\",\"kind\":\"sar\",\"awareness\":\"2026-05-02\","
         "\"initiation\":\"2026-05-01\"}", "initiation"},
        {"{\"ref\":\"../etc\",\"kind\":\"sar\"}", "ref"},
        {"{\"ref\":\"RR-8\",\"kind\":\"sar\",\"colour\":\"red\"}", "colour"},
        {"{\"ref\":\"RR-8\",\"kind\":7}", "kind"},
        {"{\"ref\":\"RR-8\",", NULL},
        {"{\"ref\":\"RR-7\",\"kind\":\"sar\"}", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = request(f, "POST", "/api/v1/reviews", &s, bad[i].body, NULL);
        if (r.status < 400 || r.status > 499)
            fail_msg("review %s: %d %s", bad[i].body, r.status, r.body);
        if (bad[i].field && !strstr(r.body, bad[i].field))
            fail_msg("review %s: the reply does not name %s: %s", bad[i].body, bad[i].field,
                     r.body);
        resp_free(&r);
    }
    assert_int_equal(q64(f->s, "SELECT count(*) FROM register_entry"), entries);
    /* Later dates on a review: out of order, unknown, for no review or nothing at all is a
     * 4xx that changes nothing; a good one is stored and audited. */
    static const struct {
        const char *body, *field;
    } bad_update[] = {
        {"{\"ref\":\"RR-7\",\"initiation\":\"2026-05-01\"}", "initiation"},
        {"{\"ref\":\"RR-7\",\"publication\":\"2026-13-01\"}", "publication"},
        {"{\"ref\":\"RR-7\",\"colour\":\"red\"}", "colour"},
        {"{\"ref\":\"RR-7\",\"kind\":\"sar\"}", "kind"},
        {"{\"ref\":\"RR-7\"}", "nothing to change"},
        {"{\"ref\":\"RR-99\",\"initiation\":\"2026-07-01\"}", NULL},
    };
    for (size_t i = 0; i < sizeof bad_update / sizeof bad_update[0]; i++) {
        r = request(f, "POST", "/api/v1/reviews/update", &s, bad_update[i].body, NULL);
        if (r.status < 400 || r.status > 499)
            fail_msg("update %s: %d %s", bad_update[i].body, r.status, r.body);
        if (bad_update[i].field && !strstr(r.body, bad_update[i].field))
            fail_msg("update %s: the reply does not name %s: %s", bad_update[i].body,
                     bad_update[i].field, r.body);
        resp_free(&r);
    }
    r = expect(f, "GET", "/api/v1/reviews", &s, NULL, 200);
    assert_null(strstr(r.body, "2026-05-01"));
    resp_free(&r);
    r = expect(f, "POST", "/api/v1/reviews/update", &s,
               "{\"ref\":\"RR-7\",\"initiation\":\"2026-07-01\"}", 200);
    assert_non_null(strstr(r.body, "\"initiation\":\"2026-07-01\""));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'review:RR-7' "
                               "AND detail = 'case review updated'"),
                     1);
    expect_status(f, "POST", "/api/v1/reviews", &s,
                  "{\"ref\":\"RR-8\",\"kind\":\"lcspr\",\"awareness\":\"2026-10-01\"}", 201);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM register_entry"), entries + 1);
    expect_status(f, "POST", "/api/v1/learning/done", &s, "{\"ref\":\"RR-7/R1/A9\"}", 404);
    r = expect(f, "POST", "/api/v1/learning/done", &s,
               "{\"ref\":\"RR-7/R1/A1\",\"date\":\"2026-11-20\"}", 200);
    assert_non_null(strstr(r.body, "\"state\":\"done\""));
    resp_free(&r);
    r = request(f, "GET", "/api/v1/learning", &s, NULL, NULL);
    assert_non_null(strstr(r.body, "\"overdue\":[]"));
    resp_free(&r);
    /* the review added, the review updated, the action done */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object LIKE 'review:%' "
                               "OR object LIKE 'action:%'"),
                     3);

    /* The learning tracker from the browser: a recommendation, an action and evidence;
     * a bad register, parent or date is refused and stores nothing. */
    entries = q64(f->s, "SELECT count(*) FROM register_entry");
    expect_status(f, "POST", "/api/v1/learning", &s,
                  "{\"register\":\"review\",\"parent\":\"RR-7\",\"text\":\"x\"}", 400);
    expect_status(f, "POST", "/api/v1/learning", &s,
                  "{\"register\":\"recommendation\",\"parent\":\"RR-404\",\"text\":\"x\"}",
                  404);
    expect_status(f, "POST", "/api/v1/learning", &s,
                  "{\"register\":\"action\",\"parent\":\"RR-7/R1\",\"text\":\"x\","
                  "\"owner\":\"police\",\"due\":\"2026-13-01\"}",
                  400);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM register_entry"), entries);
    r = expect(f, "POST", "/api/v1/learning", &s,
               "{\"register\":\"recommendation\",\"parent\":\"RR-7\",\"text\":\"Train "
               "reception staff\",\"theme\":\"front door\"}",
               201);
    assert_non_null(strstr(r.body, "\"ref\":\"RR-7/R2\""));
    resp_free(&r);
    expect_status(f, "POST", "/api/v1/learning", &s,
                  "{\"register\":\"action\",\"parent\":\"RR-7/R2\",\"text\":\"Run two "
                  "sessions\",\"owner\":\"health\",\"due\":\"2027-01-31\"}",
                  201);
    expect_status(f, "POST", "/api/v1/learning", &s,
                  "{\"register\":\"evidence\",\"parent\":\"RR-7/R2/A1\",\"text\":\"40 "
                  "staff trained\",\"date\":\"2026-12-01\"}",
                  201);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM register_entry"), entries + 3);
}

static void test_link_review_queue(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[1]);
    struct resp r = expect(f, "GET", "/api/v1/link/review", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"items\":["));
    resp_free(&r);
    expect_refused(f, "POST", "/api/v1/link/review", &s, "{\"a\":1,\"b\":1,\"same\":true}", 400,
                   "same record twice");
    r = expect(f, "POST", "/api/v1/link/review", &s, "{\"a\":1,\"b\":2,\"same\":\"yes\"}", 400);
    assert_non_null(strstr(r.body, "true or false"));
    resp_free(&r);
    /* Two pending pairs: the one touching a child on the saved panel list comes first and
     * says so, although it would join fewer records. */
    testutil_exec(f->s, "INSERT INTO svp_meta (key, value) VALUES ('link.threshold', '0.95');"
                        "INSERT INTO record (id, source, agency, agency_record_id) VALUES "
                        "(4, 'csc-lcs', 'csc', 'C400'), (5, 'health-ed', 'health', 'H500');"
                        "INSERT INTO person (id, created_at) VALUES (3, 'x'), (4, 'x');"
                        "INSERT INTO person_record (record_id, person_id) VALUES (4, 3), (5, 4);"
                        "INSERT INTO link_pair VALUES (1, 3, 0.5, 0.5), (4, 5, 0.75, 2.0);");
    r = expect(f, "GET", "/api/v1/link/review", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"total\":2"));
    assert_null(strstr(r.body, "\"on_panel\":true"));
    const char *first = strstr(r.body, "\"probability\":0.5");
    assert_non_null(first);
    assert_true(first < strstr(r.body, "\"probability\":0.75"));
    resp_free(&r);
    testutil_exec(f->s, "INSERT INTO risk_snapshot (id, saved_at, as_of, weights, children, "
                        "scored, listed) VALUES (1, '2026-01-01', '2026-01-01', 'default', 2, "
                        "2, 1); INSERT INTO risk_snapshot_person VALUES (1, 3, 1, 40, 'high', "
                        "15, 'North');");
    r = expect(f, "GET", "/api/v1/link/review", &s, NULL, 200);
    first = strstr(r.body, "\"probability\":0.75");
    assert_non_null(first);
    assert_true(first < strstr(r.body, "\"probability\":0.5"));
    assert_non_null(strstr(r.body, "\"on_panel\":true"));
    resp_free(&r);
}

/* A stored model with every comparison level (as `svp link` would have saved one). */
static void store_link_model(struct store *s)
{
    struct svp_buf b;
    svp_buf_init(&b, 1 << 16);
    assert_int_equal(
        svp_buf_printf(&b, "svp-link-model %d\nlambda 0.01\ntwins 0\n", LINK_MODEL_VERSION), 0);
    for (int c = 0; c < LINK_NCMP; c++)
        for (int l = 1; l < link_model_levels(c); l++)
            assert_int_equal(svp_buf_printf(&b, "level %d %d %g %g\n", c, l,
                                             l == 1 ? 0.9 : 0.02, l == 1 ? 0.01 : 0.3),
                             0);
    struct svp_err err;
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(s, "INSERT INTO link_model (created_at, records, body) "
                                      "VALUES ('2026-01-01', 3, ?)",
                                   &st, &err),
                     0);
    assert_int_equal(store_bind_text(st, 1, b.data, -1), 0);
    assert_true(store_step(st, &err) >= 0);
    store_finalize(&st);
    svp_buf_free(&b);
}

static void test_link_explain(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[1]);
    /* nothing linked yet */
    expect_refused(f, "GET", "/api/v1/link/explain?a=1&b=2", &s, NULL, 409,
                   "explain before any link");
    store_link_model(f->s);
    struct resp r = expect(f, "GET", "/api/v1/link/explain?a=1&b=2", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"comparison\":\"given name\""));
    assert_non_null(strstr(r.body, "\"comparison\":\"shared identifier\""));
    assert_non_null(strstr(r.body, "\"probability\":"));
    /* levels and weights only: no name or date of birth from the records */
    assert_null(strstr(r.body, "Okafor"));
    assert_null(strstr(r.body, "2010-03-04"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'records:1,2' "
                               "AND detail = 'link explain'"),
                     1);
    expect_refused(f, "GET", "/api/v1/link/explain?a=1&b=999", &s, NULL, 404, "unknown record");
    expect_refused(f, "GET", "/api/v1/link/explain?a=2&b=2", &s, NULL, 400, "same record twice");
    expect_status(f, "GET", "/api/v1/link/explain?a=x&b=2", &s, NULL, 400);
}

/* ------------------------------------------------------------------ the DA call */

/* The daily call's page, its XLSX export and the actions set at the call: a police
 * practitioner sees the case, exports it (audited, naming the people shown) and sets and
 * closes an action; a health panel member, who may not see the police's DA victim records,
 * gets the case withheld from the page and the export and may not act on it; bad actions
 * are refused with nothing written. */
static void test_da_call_export_and_actions(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s,
                  "INSERT INTO record (source, agency, agency_record_id, given_name, "
                  "family_name, dob, sex, role, file_id, line) VALUES "
                  "('police-niche', 'police', 'N900', 'Dana', 'Mercer', '1988-01-02', 'F', "
                  "'adult', 1, 20),"
                  "('police-niche', 'police', 'N901', 'Rex', 'Stone', '1985-05-06', 'M', "
                  "'adult', 1, 21),"
                  "('police-niche', 'police', 'N902', 'Lily', 'Mercer', '2015-07-08', 'F', "
                  "'child', 1, 22);"
                  "INSERT INTO person (created_at) VALUES ('2026-01-01');"
                  "INSERT INTO person_record (record_id, person_id) VALUES (4, 3);"
                  "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                  "subtype, started_at, detail, file_id, line) VALUES "
                  "('police-niche', 'police', 'DA/26/000001', 4, 'da_incident', 'high', "
                  "'2026-10-29T21:30:00Z', '{\"role\": \"victim\"}', 1, 20),"
                  "('police-niche', 'police', 'DA/26/000001/suspect', 5, 'da_incident', "
                  "'high', '2026-10-29T21:30:00Z', '{\"role\": \"perpetrator\"}', 1, 20),"
                  "('police-niche', 'police', 'DA/26/000001/present/N902', 6, 'da_incident', "
                  "'high', '2026-10-29T21:30:00Z', '{\"role\": \"child_in_household\"}', 1, "
                  "20)");
    struct session police = session_for(f, f->uid[4]), health = session_for(f, f->uid[3]);
    struct resp r = expect(f, "GET", "/api/v1/da/call?date=2026-10-30", &police, NULL, 200);
    assert_non_null(strstr(r.body, "Mercer"));
    assert_non_null(strstr(r.body, "\"withheld\":0"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/da/call/export.xlsx?date=2026-10-30", &police, NULL, 200);
    assert_true(r.body_len > 1000 && !memcmp(r.body, "PK", 2));
    assert_non_null(strstr(r.head, "spreadsheetml"));
    resp_free(&r);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE user_id = %lld AND action = 'export' AND "
             "object = 'da_call:2026-10-30' AND persons LIKE '%%,p3,%%' AND persons LIKE "
             "'%%,r5,%%'",
             (long long)f->uid[4]);
    assert_int_equal(q64(f->s, sql), 1);
    /* The health panel member: the case is withheld, on the page and in the export. */
    r = expect(f, "GET", "/api/v1/da/call?date=2026-10-30", &health, NULL, 200);
    assert_null(strstr(r.body, "Mercer"));
    assert_null(strstr(r.body, "Stone"));
    assert_non_null(strstr(r.body, "\"withheld\":1"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/da/call/export.xlsx?date=2026-10-30", &health, NULL, 200);
    assert_true(!memcmp(r.body, "PK", 2));
    resp_free(&r);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE user_id = %lld AND action = 'export' AND "
             "object = 'da_call:2026-10-30' AND (persons IS NULL OR persons NOT LIKE "
             "'%%,p3,%%')",
             (long long)f->uid[3]);
    assert_int_equal(q64(f->s, sql), 1);
    /* A call in the future, on a Sunday, a bad date: refused, nothing exported. */
    expect_status(f, "GET", "/api/v1/da/call/export.xlsx?date=2099-01-05", &police, NULL, 400);
    expect_status(f, "GET", "/api/v1/da/call/export.xlsx?date=2026-11-01", &police, NULL, 400);
    expect_status(f, "GET", "/api/v1/da/call/export.xlsx?date=2026-13-01", &police, NULL, 400);
    /* Actions: bad ones refused with nothing written. */
    static const struct {
        const char *body;
        int status;
    } bad[] = {
        {"{\"incident\":\"DA/26/000001\",\"agency\":\"bank\",\"action\":\"x\",\"owner\":\"y\","
         "\"due\":\"2026-11-03\",\"date\":\"2026-10-30\"}", 400},
        {"{\"incident\":\"DA/26/000001\",\"agency\":\"csc\",\"action\":\"x\",\"owner\":\"y\","
         "\"due\":\"2026-10-01\",\"date\":\"2026-10-30\"}", 400},
        {"{\"incident\":\"DA/26/000001\",\"agency\":\"csc\",\"action\":\"x\",\"owner\":\"y\","
         "\"due\":\"2099-11-03\",\"date\":\"2099-10-30\"}", 400},
        {"{\"incident\":\"DA/26/000001\",\"agency\":\"csc\",\"action\":\"\",\"owner\":\"y\","
         "\"due\":\"2026-11-03\",\"date\":\"2026-10-30\"}", 400},
        {"{\"incident\":\"DA/26/000001\",\"agency\":\"csc\",\"action\":\"x\",\"owner\":\"y\","
         "\"due\":\"soon\",\"date\":\"2026-10-30\"}", 400},
        {"{\"incident\":\"DA/99/999999\",\"agency\":\"csc\",\"action\":\"x\",\"owner\":\"y\","
         "\"due\":\"2026-11-03\",\"date\":\"2026-10-30\"}", 404},
        {"{\"incident\":\"DA/26/000001\",\"agency\":\"csc\",\"action\":\"x\",\"owner\":\"y\"}",
         400},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_status(f, "POST", "/api/v1/da/action", &police, bad[i].body, bad[i].status);
    const char *good = "{\"incident\":\"DA/26/000001\",\"agency\":\"csc\",\"action\":"
                       "\"Strategy discussion for Lily\",\"owner\":\"MASH team\",\"due\":"
                       "\"2026-11-03\",\"date\":\"2026-10-30\"}";
    expect_status(f, "POST", "/api/v1/da/action", &health, good, 404);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM da_action"), 0);
    r = expect(f, "POST", "/api/v1/da/action", &police, good, 201);
    assert_non_null(strstr(r.body, "\"id\":1"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM da_action"), 1);
    /* Shown with its case, then carried to the next call until done; never to health. */
    r = expect(f, "GET", "/api/v1/da/call?date=2026-10-30", &police, NULL, 200);
    assert_non_null(strstr(r.body, "Strategy discussion for Lily"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/da/call?date=2026-11-02", &police, NULL, 200);
    assert_non_null(strstr(r.body, "\"carried\":[{"));
    assert_non_null(strstr(r.body, "Strategy discussion for Lily"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/da/call?date=2026-11-02", &health, NULL, 200);
    assert_null(strstr(r.body, "Strategy discussion"));
    resp_free(&r);
    expect_status(f, "POST", "/api/v1/da/action/done", &health,
                  "{\"id\":1,\"date\":\"2026-11-02\"}", 404);
    expect_status(f, "POST", "/api/v1/da/action/done", &police,
                  "{\"id\":1,\"date\":\"2099-11-02\"}", 400);
    expect_status(f, "POST", "/api/v1/da/action/done", &police,
                  "{\"id\":1,\"date\":\"2026-10-29\"}", 404); /* not yet set then */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM da_action WHERE done_on IS NOT NULL"), 0);
    expect_status(f, "POST", "/api/v1/da/action/done", &police,
                  "{\"id\":1,\"date\":\"2026-11-02\"}", 201);
    expect_status(f, "POST", "/api/v1/da/action/done", &police,
                  "{\"id\":1,\"date\":\"2026-11-02\"}", 404);
    r = expect(f, "GET", "/api/v1/da/call?date=2026-11-03", &police, NULL, 200);
    assert_non_null(strstr(r.body, "\"carried\":[]"));
    resp_free(&r);
    assert_true(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'change' AND object = "
                          "'da_incident:DA/26/000001'") == 2);
}

/* ------------------------------------------------------------------ leaks (issue 16) */

/* An analyst's link review names records by pseudonym only, and takes only pseudonyms. */
static void test_link_review_pseudonymised_for_analysts(void **state)
{
    struct fixture *f = *state;
    store_link_model(f->s);
    testutil_exec(f->s, "INSERT INTO svp_meta (key, value) VALUES ('link.threshold', '0.95');"
                        "INSERT INTO link_pair (record_a, record_b, probability, weight) VALUES "
                        "(2, 3, 0.7, 1.2);");
    struct session an = session_for(f, f->uid[2]);
    struct resp r = expect(f, "GET", "/api/v1/link/review", &an, NULL, 200);
    if (strstr(r.body, "\"record_id\":2") || strstr(r.body, "\"record_id\":3"))
        fail_msg("raw record ids in an analyst's review queue: %s", r.body);
    assert_non_null(strstr(r.body, "\"record_id\":\"R-"));
    resp_free(&r);
    char ra[32], rb[32], path[128], body[160];
    struct svp_err err;
    assert_int_equal(access_pseudonym(f->s, 'R', 2, ra, sizeof ra, &err), 0);
    assert_int_equal(access_pseudonym(f->s, 'R', 3, rb, sizeof rb, &err), 0);
    /* raw ids are refused: they would let an analyst probe and join records */
    expect_refused(f, "GET", "/api/v1/link/explain?a=2&b=3", &an, NULL, 400, "raw ids");
    snprintf(path, sizeof path, "/api/v1/link/explain?a=%s&b=%s", ra, rb);
    r = expect(f, "GET", path, &an, NULL, 200);
    assert_non_null(strstr(r.body, "\"probability\":"));
    resp_free(&r);
    expect_refused(f, "POST", "/api/v1/link/review", &an, "{\"a\":2,\"b\":3,\"same\":false}",
                   400, "raw ids");
    snprintf(body, sizeof body, "{\"a\":\"%s\",\"b\":\"R-0000000000\",\"same\":false}", ra);
    expect_refused(f, "POST", "/api/v1/link/review", &an, body, 400, "unknown pseudonym");
    snprintf(body, sizeof body, "{\"a\":\"%s\",\"b\":\"%s\",\"same\":false}", ra, rb);
    expect_status(f, "POST", "/api/v1/link/review", &an, body, 200);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM link_decision"), 1);
    /* The administrator still names records by id. */
    struct session admin = session_for(f, f->uid[1]);
    expect_status(f, "GET", "/api/v1/link/explain?a=2&b=3", &admin, NULL, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_link_review_pseudonymised_for_analysts,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_da_call_export_and_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_review_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partnership_registers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_register_and_learning_tracker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_adults_sac_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sources_and_profile_draft, setup, teardown),
    };
    return cmocka_run_group_tests_name("http-work", tests, NULL, NULL);
}
