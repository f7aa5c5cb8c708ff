/* The web server, end to end over a real socket: need-to-know scoping, pseudonymisation, the
 * audit trail of views, security headers, static files, each page's API, and every bad input
 * the issue names: each a 4xx with a clear message, never a 500, nothing written. The route
 * and category matrices are in test_http_matrix.c; the fixture in http_fixture.c.
 * Runs on SQLite and on PostgreSQL. */
#include "http_fixture.h"

/* ------------------------------------------------------------------ need-to-know */

static void test_practitioner_sees_only_own_agency(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[4]); /* police practitioner */
    struct resp r = expect(f, "GET", "/api/v1/persons/1", &s, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor"));
    /* Health's event and record are not police's to see: only that health knows the child. */
    if (strstr(r.body, "ed_attendance") || strstr(r.body, "H200") || strstr(r.body, "Jaydon"))
        fail_msg("a health record or event shown to police in %s", r.body);
    assert_non_null(strstr(r.body, "{\"agency\":\"health\",\"shown\":false}"));
    assert_non_null(strstr(r.body, "missing_episode"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/persons/2", &s, NULL, 403);
    assert_non_null(strstr(r.body, "not known to your agency"));
    assert_null(strstr(r.body, "Brien"));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/records/3", &s, NULL, 403);
    /* A person who does not exist is refused the same way: no probing for ids. */
    expect_status(f, "GET", "/api/v1/persons/999", &s, NULL, 403);
    r = expect(f, "GET", "/api/v1/persons?q=", &s, NULL, 200);
    assert_null(strstr(r.body, "Brien"));
    assert_null(strstr(r.body, "H200")); /* health's record of a child police know */
    assert_non_null(strstr(r.body, "P100"));
    resp_free(&r);

    /* Shared through the panel: now visible. */
    struct session panel = session_for(f, f->uid[1]);
    expect_status(f, "POST", "/api/v1/persons/2/share", &panel,
                  "{\"agency\":\"police\",\"reason\":\"on the panel list of 2026-11\"}", 200);
    r = expect(f, "GET", "/api/v1/persons/2", &s, NULL, 200);
    /* Markup in a name comes back as JSON text, never as live HTML. */
    assert_non_null(strstr(r.body, "\\u003cscript") ? strstr(r.body, "\\u003cscript")
                                                      : strstr(r.body, "<script>alert(1)"));
    resp_free(&r);
    testutil_exec(f->s, "DELETE FROM person_share");
}

static void test_analyst_pseudonymised_without_purpose(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[2]);
    struct resp r = expect(f, "GET", "/api/v1/persons/1", &s, NULL, 200);
    assert_null(strstr(r.body, "Okafor"));
    assert_null(strstr(r.body, "P100"));
    assert_null(strstr(r.body, "older males"));
    assert_non_null(strstr(r.body, "\"dob\":\"2010\""));
    /* One pseudonym for the person, on both agencies' records, and no raw id anywhere. */
    char pseudo[32];
    struct svp_err err;
    assert_int_equal(access_pseudonym(f->s, 'P', 1, pseudo, sizeof pseudo, &err), 0);
    char want[64];
    snprintf(want, sizeof want, "\"name\":\"%s\"", pseudo);
    const char *first = strstr(r.body, want);
    assert_non_null(first);
    assert_non_null(strstr(first + 1, want));
    assert_null(strstr(r.body, "\"person_id\":1"));
    assert_null(strstr(r.body, "\"id\":1,"));
    assert_null(strstr(r.body, "\"record_id\":"));
    resp_free(&r);
    /* A purpose is one of the partnership's list; it is recorded and lifts nothing. */
    r = request(f, "GET", "/api/v1/persons/1", &s, NULL, "X-SVP-Purpose: needs_analysis\r\n");
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "Okafor"));
    resp_free(&r);
    assert_true(q64(f->s, "SELECT count(*) FROM audit_log WHERE purpose = 'needs_analysis' AND "
                          "action = 'view'") == 1);
    r = request(f, "GET", "/api/v1/persons/1", &s, NULL,
                "X-SVP-Purpose: strategy meeting 2026-11-20 for this child\r\n");
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "needs_analysis"));
    resp_free(&r);
    /* No search by name or agency id. */
    expect_status(f, "GET", "/api/v1/persons?q=okafor", &s, NULL, 403);
    expect_status(f, "GET", "/api/v1/persons?q=P100", &s, NULL, 403);
    r = expect(f, "GET", "/api/v1/persons", &s, NULL, 200);
    assert_null(strstr(r.body, "Okafor"));
    assert_null(strstr(r.body, "\"id\":1,"));
    resp_free(&r);
    /* Re-identification: not the analyst; the panel with a reason, audited. */
    char body[160];
    snprintf(body, sizeof body, "{\"pseudonym\":\"%s\",\"reason\":\"panel 2026-11 asked\"}",
             pseudo);
    expect_status(f, "POST", "/api/v1/reidentify", &s, body, 403);
    struct session panel = session_for(f, f->uid[3]);
    r = expect(f, "POST", "/api/v1/reidentify", &panel, body, 200);
    assert_non_null(strstr(r.body, "\"id\":1"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'reidentify' AND "
                               "object = 'person:1' AND detail LIKE '%panel 2026-11 asked%'"),
                     1);
    expect_status(f, "POST", "/api/v1/reidentify", &panel,
                  "{\"pseudonym\":\"P-0000000000\",\"reason\":\"panel 2026-11 asked\"}", 404);
    expect_status(f, "POST", "/api/v1/reidentify", &panel,
                  "{\"pseudonym\":\"Okafor\",\"reason\":\"panel 2026-11 asked\"}", 400);
    /* Rotating the key changes every pseudonym. */
    assert_int_equal(access_pseudonym_rotate(f->s, NULL, &err), 0);
    char after[32];
    assert_int_equal(access_pseudonym(f->s, 'P', 1, after, sizeof after, &err), 0);
    assert_string_not_equal(pseudo, after);
}

/* ------------------------------------------------------------------ audit */

static void test_views_are_audited_and_chain_verifies(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    int64_t before = q64(f->s, "SELECT count(*) FROM audit_log");
    struct resp r = expect(f, "GET", "/api/v1/persons/1", &s, NULL, 200);
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/persons?q=okafor", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"total\":1,")); /* counted: only what may be seen */
    assert_non_null(strstr(r.body, "H200"));
    assert_null(strstr(r.body, "P100")); /* a health panel member: police's record withheld */
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log"), before + 2);
    r = expect(f, "GET", "/api/v1/audit/mine", &s, NULL, 200);
    assert_non_null(strstr(r.body, "person:1"));
    assert_non_null(strstr(r.body, "q=okafor"));
    resp_free(&r);

    struct session aud = session_for(f, f->uid[5]);
    r = expect(f, "GET", "/api/v1/audit/verify", &aud, NULL, 200);
    assert_non_null(strstr(r.body, "\"intact\":true"));
    resp_free(&r);
    struct svp_err err;
    int64_t checked = 0;
    assert_int_equal(access_audit_verify(f->s, &checked, &err), 0);
    /* Tamper: edit one row's purpose. */
    testutil_exec(f->s, "UPDATE audit_log SET detail = 'nothing to see' WHERE object = 'person:1'");
    r = expect(f, "GET", "/api/v1/audit/verify", &aud, NULL, 200);
    assert_non_null(strstr(r.body, "\"intact\":false"));
    assert_non_null(strstr(r.body, "was changed"));
    resp_free(&r);
    assert_int_equal(access_audit_verify(f->s, &checked, &err), SVP_ECONFLICT);
}

/* ------------------------------------------------------------------ headers */

static void test_security_headers(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[1]);
    struct resp r = expect(f, "GET", "/api/v1/persons/1", &s, NULL, 200);
    const char *want[] = {"Content-Security-Policy: default-src 'none'; script-src 'self'",
                          "frame-ancestors 'none'", "X-Content-Type-Options: nosniff",
                          "Cache-Control: no-store", "Referrer-Policy: no-referrer"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(r.head, want[i]))
            fail_msg("missing header %s in\n%s", want[i], r.head);
    assert_null(strstr(r.head, "unsafe-inline"));
    resp_free(&r);
    r = expect(f, "GET", "/", NULL, NULL, 200);
    assert_non_null(strstr(r.body, "<title>svp</title>"));
    assert_non_null(strstr(r.head, "Content-Security-Policy"));
    resp_free(&r);
}

static void test_login_cookie_and_lock(void **state)
{
    struct fixture *f = *state;
    struct resp r = expect(f, "POST", "/api/v1/session", NULL,
                           "{\"username\":\"target\",\"password\":\"target password 1\"}", 200);
    assert_non_null(strstr(r.head, "HttpOnly"));
    assert_non_null(strstr(r.head, "SameSite=Strict"));
    assert_non_null(strstr(r.head, "Max-Age="));
    resp_free(&r);
    /* Three failures from here; then this address waits (1 s, doubling) for this account. */
    for (int i = 0; i < 3; i++)
        expect_status(f, "POST", "/api/v1/session", NULL,
                      "{\"username\":\"target\",\"password\":\"wrong password!\"}", 401);
    r = request(f, "POST", "/api/v1/session", NULL,
                "{\"username\":\"target\",\"password\":\"target password 1\"}", NULL);
    assert_int_equal(r.status, 429);
    assert_non_null(strstr(r.body, "try again in"));
    resp_free(&r);
    /* Another account from the same address is not held up. */
    r = request(f, "POST", "/api/v1/session", NULL,
                "{\"username\":\"u-panel\",\"password\":\"correct horse battery\"}", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    /* Behind the trusted proxy, the account's owner at another address is not held up
     * either: a second server trusting 127.0.0.1 reads X-Forwarded-For. */
    struct http_server_opts o = {.db_uri = f->uri, .host = "127.0.0.1", .port = 0, .threads = 1,
                                 .login_per_minute = 1000, .trusted_proxy = "127.0.0.1"};
    struct http_server *srv = NULL;
    struct svp_err err;
    assert_int_equal(http_server_start(&o, &srv, &err), 0);
    int saved = f->port;
    f->port = http_server_port(srv);
    for (int i = 0; i < 3; i++) {
        r = request(f, "POST", "/api/v1/session", NULL,
                    "{\"username\":\"target\",\"password\":\"wrong password!\"}",
                    "X-Forwarded-For: 203.0.113.9\r\n");
        assert_int_equal(r.status, 401);
        resp_free(&r);
    }
    r = request(f, "POST", "/api/v1/session", NULL,
                "{\"username\":\"target\",\"password\":\"target password 1\"}",
                "X-Forwarded-For: 203.0.113.9\r\n");
    int from_attacker = r.status;
    resp_free(&r);
    r = request(f, "POST", "/api/v1/session", NULL,
                "{\"username\":\"target\",\"password\":\"target password 1\"}",
                "X-Forwarded-For: 198.51.100.7\r\n");
    int from_owner = r.status;
    resp_free(&r);
    f->port = saved;
    http_server_stop(&srv);
    assert_int_equal(from_attacker, 429);
    assert_int_equal(from_owner, 200);
    assert_int_equal(access_user_set_password(f->s, NULL, "target", "target password 1", false,
                                              &err),
                     0);
}

static void test_login_rate_limit(void **state)
{
    struct fixture *f = *state;
    struct http_server_opts o = {.db_uri = f->uri, .host = "127.0.0.1", .port = 0, .threads = 1,
                                 .login_per_minute = 2};
    struct http_server *srv = NULL;
    struct svp_err err;
    int codes[3];
    /* The limit counts sign-ins per clock minute: three attempts that straddle a minute
     * start a new count (on a loaded machine they can), so the three must fall in one
     * minute; a fresh server (fresh counts) tries again when they did not. */
    for (int attempt = 0; attempt < 3; attempt++) {
        assert_int_equal(http_server_start(&o, &srv, &err), 0);
        int saved = f->port;
        f->port = http_server_port(srv);
        int64_t minute = (int64_t)time(NULL) / 60;
        for (int i = 0; i < 3; i++) {
            struct resp r =
                request(f, "POST", "/api/v1/session", NULL,
                        "{\"username\":\"nobody\",\"password\":\"whatever-it-is\"}", NULL);
            codes[i] = r.status;
            resp_free(&r);
        }
        bool one_minute = (int64_t)time(NULL) / 60 == minute;
        f->port = saved;
        http_server_stop(&srv);
        if (one_minute)
            break;
    }
    assert_int_equal(codes[0], 401);
    assert_int_equal(codes[1], 401);
    assert_int_equal(codes[2], 429);
}

/* ------------------------------------------------------------------ bad input */

static void test_bad_inputs_are_clear_4xx_and_write_nothing(void **state)
{
    struct fixture *f = *state;
    struct session admin = session_for(f, f->uid[1]);
    int64_t users = q64(f->s, "SELECT count(*) FROM app_user");
    int64_t audit = q64(f->s, "SELECT count(*) FROM audit_log");
    int64_t shares = q64(f->s, "SELECT count(*) FROM person_share");
    static const struct {
        const char *what, *method, *path, *body;
        int status;
        const char *says;
    } cases[] = {
        {"malformed JSON", "POST", "/api/v1/users", "{\"username\": ", 400, "malformed JSON"},
        {"not an object", "POST", "/api/v1/users", "[1,2]", 400, "must be an object"},
        {"duplicate keys", "POST", "/api/v1/users",
         "{\"username\":\"a1\",\"username\":\"a2\",\"role\":\"analyst\",\"agency\":\"csc\"}", 400,
         "duplicate"},
        {"unknown field", "POST", "/api/v1/users",
         "{\"username\":\"a1\",\"role\":\"analyst\",\"agency\":\"csc\",\"admin\":true}", 400,
         "unknown field"},
        {"wrong type", "POST", "/api/v1/users",
         "{\"username\":5,\"role\":\"analyst\",\"agency\":\"csc\"}", 400, "must be a string"},
        {"missing field", "POST", "/api/v1/users", "{\"username\":\"a1\",\"role\":\"analyst\"}",
         400, "required"},
        {"too deep", "POST", "/api/v1/users", "{\"a\":[[[[[[[[[[1]]]]]]]]]]}", 400, "deeper"},
        {"script in a username", "POST", "/api/v1/users",
         "{\"username\":\"<script>alert(1)</script>\",\"role\":\"analyst\",\"agency\":\"csc\"}",
         400, "username"},
        {"SQL in a username", "POST", "/api/v1/users",
         "{\"username\":\"x'); DROP TABLE app_user; --\",\"role\":\"analyst\",\"agency\":\"csc\"}",
         400, "username"},
        {"unknown role", "POST", "/api/v1/users",
         "{\"username\":\"a1\",\"role\":\"root\",\"agency\":\"csc\"}", 400, "role"},
        {"SQL in an agency", "POST", "/api/v1/persons/1/share",
         "{\"agency\":\"police' OR '1'='1\",\"reason\":\"because it is needed\"}", 400, "agency"},
        {"NUL in a string", "POST", "/api/v1/users",
         "{\"username\":\"a\\u0000b\",\"role\":\"analyst\",\"agency\":\"csc\"}", 400, "NUL"},
        {"invalid UTF-8", "POST", "/api/v1/users",
         "{\"username\":\"\xff\xfe\",\"role\":\"analyst\",\"agency\":\"csc\"}", 400, "JSON"},
        {"empty body", "POST", "/api/v1/users", "", 400, "JSON object body"},
        {"bad id", "GET", "/api/v1/persons/abc", NULL, 400, "positive whole number"},
        {"negative id", "GET", "/api/v1/persons/-1", NULL, 400, "positive whole number"},
        {"huge id", "GET", "/api/v1/persons/99999999999999999999999", NULL, 400, "whole number"},
        {"bad limit", "GET", "/api/v1/persons?limit=1e9", NULL, 400, "limit"},
        {"unknown agency filter", "GET", "/api/v1/persons?agency=mi5", NULL, 400, "agency"},
        {"long search", "GET",
         "/api/v1/persons?q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
         NULL, 400, "longer than"},
        {"unknown route", "GET", "/api/v1/nothing-here", NULL, 404, "no such API route"},
        {"wrong method", "PUT", "/api/v1/persons", "{}", 405, "not allowed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resp r = request(f, cases[i].method, cases[i].path, &admin, cases[i].body, NULL);
        if (r.status != cases[i].status)
            fail_msg("%s: expected %d, got %d: %s", cases[i].what, cases[i].status, r.status,
                     r.body);
        assert_clear_4xx(&r, cases[i].what);
        if (!strstr(r.body, cases[i].says))
            fail_msg("%s: message does not say '%s': %s", cases[i].what, cases[i].says, r.body);
        resp_free(&r);
    }

    /* An oversize body is refused before it is read into memory. */
    size_t big = 100 * 1024;
    char *body = malloc(big + 1);
    memset(body, 'a', big);
    memcpy(body, "{\"username\":\"", 13);
    memcpy(body + big - 2, "\"}", 2);
    body[big] = '\0';
    expect_refused(f, "POST", "/api/v1/users", &admin, body, 413, "oversize body");
    /* The same without Content-Length (chunked), so the cap is ours while reading. */
    struct svp_buf req;
    svp_buf_init(&req, big * 2);
    assert_int_equal(svp_buf_printf(&req,
                                    "POST /api/v1/users HTTP/1.1\r\nHost: x\r\nConnection: "
                                    "close\r\nCookie: svp_session=%s\r\nX-CSRF-Token: %s\r\n"
                                    "Content-Type: application/json\r\nTransfer-Encoding: "
                                    "chunked\r\n\r\n%zx\r\n",
                                    admin.token, admin.csrf, big),
                     0);
    assert_int_equal(svp_buf_append(&req, body, big), 0);
    assert_int_equal(svp_buf_puts(&req, "\r\n0\r\n\r\n"), 0);
    struct resp r = raw(f->port, req.data, req.len);
    assert_int_equal(r.status, 413);
    resp_free(&r);
    svp_buf_free(&req);
    free(body);

    /* No Content-Type: application/json on a state change. */
    char raw_req[1024];
    int n = snprintf(raw_req, sizeof raw_req,
                     "POST /api/v1/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: "
                     "svp_session=%s\r\nX-CSRF-Token: %s\r\nContent-Type: "
                     "application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\nx=1&y=2",
                     admin.token, admin.csrf);
    r = raw(f->port, raw_req, (size_t)n);
    assert_int_equal(r.status, 415);
    assert_clear_4xx(&r, "form post");
    resp_free(&r);
    /* A state change without the CSRF token. */
    const char *victim = "{\"username\":\"csrfvictim\",\"role\":\"analyst\",\"agency\":\"csc\"}";
    n = snprintf(raw_req, sizeof raw_req,
                 "POST /api/v1/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: "
                 "svp_session=%s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n"
                 "%s",
                 admin.token, strlen(victim), victim);
    r = raw(f->port, raw_req, (size_t)n);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "CSRF"));
    resp_free(&r);
    /* A forged session cookie. */
    n = snprintf(raw_req, sizeof raw_req,
                 "GET /api/v1/persons HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: "
                 "svp_session=' OR 1=1 --\r\n\r\n");
    r = raw(f->port, raw_req, (size_t)n);
    assert_int_equal(r.status, 401);
    resp_free(&r);

    /* Static files: traversal in every spelling is refused, never served. */
    static const char *const traversal[] = {
        "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
        "/.%2e/etc/passwd", "/assets/../../../etc/passwd", "/.git/config",
        "//etc/passwd", "/assets/%5c..%5cetc", "/nonexistent.js",
    };
    for (size_t i = 0; i < sizeof traversal / sizeof traversal[0]; i++) {
        char line[512];
        n = snprintf(line, sizeof line, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                     traversal[i]);
        r = raw(f->port, line, (size_t)n);
        if (r.status < 400 || r.status > 499 || strstr(r.body, "root:"))
            fail_msg("static %s: expected a 4xx, got %d", traversal[i], r.status);
        resp_free(&r);
    }
    r = expect(f, "GET", "/assets/app.js", NULL, NULL, 200);
    assert_non_null(strstr(r.head, "text/javascript"));
    resp_free(&r);

    /* SQL in a search is only text: no error, no rows, nothing changed. */
    r = expect(f, "GET", "/api/v1/persons?q=%27%20OR%201%3D1%20--", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"total\":0"));
    resp_free(&r);

    assert_int_equal(q64(f->s, "SELECT count(*) FROM app_user"), users);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM person_share"), shares);
    /* Only the one search above was audited; no refused request wrote anything. */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log"), audit + 1);
}

static void test_clocks_page_uses_the_clock_report(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    struct resp r = expect(f, "GET", "/api/v1/clocks?from=2025-01-01&to=2026-12-31", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"items\":["));
    /* As of the data's latest event (2026-02-01), not today (2026-11-21). */
    assert_non_null(strstr(r.body, "\"as_of\":\"2026-02-01\""));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/clocks?as_of=2026-11-21", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"as_of\":\"2026-11-21\""));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/clocks?from=yesterday", &s, NULL, 400, "bad date");
    expect_refused(f, "GET", "/api/v1/clocks?as_of=soon", &s, NULL, 400, "bad as_of");
    /* What falls due: the referral of 2025-12-01 (person 2) within five working days of it,
     * open on that day and overdue a week later; the view is audited. */
    int64_t audit = q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'clocks due'");
    r = expect(f, "GET", "/api/v1/clocks/due?as_of=2025-12-01&within=5", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"until\":\"2025-12-08\""));
    assert_non_null(strstr(r.body, "\"subject\":\"person\",\"subject_id\":2"));
    assert_non_null(strstr(r.body, "\"overdue_total\":0"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/clocks/due?as_of=2025-12-31", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"items\":[]"));
    assert_null(strstr(r.body, "\"overdue_total\":0"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'clocks due'"),
                     audit + 2);
    expect_refused(f, "GET", "/api/v1/clocks/due?within=99", &s, NULL, 400, "bad within");
}

static void test_person_risk_from_the_risk_room(void **state)
{
    struct fixture *f = *state;
    /* A health panel member: the police's missing episodes of a child not on a saved panel
     * list are withheld (points and agency kept, what they say not). */
    struct session hp = session_for(f, f->uid[3]);
    struct resp r = expect(f, "GET", "/api/v1/persons/1/risk", &hp, NULL, 200);
    assert_non_null(strstr(r.body, "\"withheld\":true"));
    assert_non_null(strstr(r.body, "held by police: ask them"));
    assert_null(strstr(r.body, "\"label\":\"went missing\""));
    resp_free(&r);
    /* The police practitioner who holds them sees them in plain words. */
    struct session pp = session_for(f, f->uid[4]);
    r = expect(f, "GET", "/api/v1/persons/1/risk", &pp, NULL, 200);
    assert_non_null(strstr(r.body, "\"label\":\"went missing\""));
    resp_free(&r);
    /* An administrator sees every reason. */
    struct session s = session_for(f, f->uid[1]);
    int64_t audit = q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'person:1'");
    r = expect(f, "GET", "/api/v1/persons/1/risk", &s, NULL, 200);
    /* Rank, score and band, and each reason in plain words with its source event. */
    assert_non_null(strstr(r.body, "\"scored\":true"));
    assert_non_null(strstr(r.body, "\"rank\":1"));
    assert_non_null(strstr(r.body, "\"band\":\"low\""));
    assert_non_null(strstr(r.body, "\"label\":\"went missing\""));
    assert_non_null(strstr(r.body, "\"summary\":\"in the age band"));
    assert_null(strstr(r.body, "\"summary\":\"age_band"));
    resp_free(&r);
    /* Served again from the panel kept for this data version: the same answer. */
    r = expect(f, "GET", "/api/v1/persons/1/risk", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"scored\":"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'person:1'"),
                     audit + 2);
}

/* The panel meeting: a chair records a discussion and an action on a child, sees them in
 * the meeting view (the action overdue on the meeting's day), closes the action and exports
 * the pack as XLSX; bad input is refused and stores nothing. */
static void test_panel_meeting_register(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]); /* panel member */
    int64_t entries = q64(f->s, "SELECT count(*) FROM register_entry");
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"discussed_on\":\"2026-12-07\",\"rag\":\"purple\"}", "rag"},
        {"{\"discussed_on\":\"2026-12-07\",\"next_review\":\"2026-12-01\"}", "next_review"},
        {"{\"discussed_on\":\"07/12/2026\"}", "discussed_on"},
        {"{\"decision\":\"watch\"}", "discussed_on"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp r = request(f, "POST", "/api/v1/meeting/1/discussion", &s, bad[i].body, NULL);
        if (r.status != 400 || !strstr(r.body, bad[i].field))
            fail_msg("discussion %s: %d %s", bad[i].body, r.status, r.body);
        resp_free(&r);
    }
    expect_status(f, "POST", "/api/v1/meeting/1/action", &s,
                  "{\"text\":\"x\",\"owner\":\"CSC\",\"due\":\"soon\"}", 400);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM register_entry"), entries);
    struct resp r = expect(f, "POST", "/api/v1/meeting/1/discussion", &s,
                           "{\"discussed_on\":\"2026-12-07\",\"decision\":\"Refer to the "
                           "exploitation hub\",\"rag\":\"amber\",\"owner\":\"CSC team 2\","
                           "\"next_review\":\"2027-01-04\"}",
                           201);
    assert_non_null(strstr(r.body, "\"ref\":\"P1/D1\""));
    resp_free(&r);
    r = expect(f, "POST", "/api/v1/meeting/1/action", &s,
               "{\"text\":\"Return home interview\",\"owner\":\"RHI service\","
               "\"due\":\"2026-12-01\",\"agreed_on\":\"2026-11-20\"}",
               201);
    assert_non_null(strstr(r.body, "\"ref\":\"P1/A1\""));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/meeting?on=2026-12-07", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"person_id\":1"));
    assert_non_null(strstr(r.body, "\"rag\":\"amber\""));
    assert_non_null(strstr(r.body, "\"next_review\":\"2027-01-04\""));
    assert_non_null(strstr(r.body, "\"overdue\":true"));
    assert_non_null(strstr(r.body, "Refer to the exploitation hub"));
    resp_free(&r);
    /* The audit names the child shown (reasons go through http_risk_item_filter, as on the
     * panel list and the person page: the category matrix tests it). */
    assert_true(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'panel meeting' AND "
                          "persons LIKE '%,p1,%'") >= 1);
    r = expect(f, "GET", "/api/v1/meeting/export.xlsx", &s, NULL, 200);
    assert_true(r.body_len > 1000 && !memcmp(r.body, "PK", 2));
    assert_non_null(strstr(r.head, "spreadsheetml"));
    resp_free(&r);
    /* A later meeting: the first discussion is kept, the child's state is the latest. */
    expect_status(f, "POST", "/api/v1/meeting/1/discussion", &s,
                  "{\"discussed_on\":\"2027-01-04\",\"rag\":\"green\"}", 201);
    expect_status(f, "POST", "/api/v1/meeting/action", &s,
                  "{\"ref\":\"P1/A1\",\"state\":\"done\",\"date\":\"2026-12-10\"}", 201);
    expect_status(f, "POST", "/api/v1/meeting/action", &s,
                  "{\"ref\":\"P1/A1\",\"state\":\"finished\"}", 400);
    r = expect(f, "GET", "/api/v1/meeting?on=2027-01-04", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"ref\":\"P1/D1\""));
    assert_non_null(strstr(r.body, "\"ref\":\"P1/D2\""));
    assert_non_null(strstr(r.body, "\"rag\":\"green\""));
    assert_null(strstr(r.body, "\"overdue\":true"));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/meeting?on=monday", &s, NULL, 400, "bad day");
    assert_true(q64(f->s, "SELECT count(*) FROM audit_log WHERE object LIKE 'panel%'") >= 7);
}

static void test_panel_list_from_the_risk_room(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    int64_t audit = q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'panel'");
    struct resp r = expect(f, "GET", "/api/v1/panel?top=10", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"list\":["));
    assert_non_null(strstr(r.body, "\"children\":"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'panel'"),
                     audit + 1);
    expect_refused(f, "GET", "/api/v1/panel?top=-1", &s, NULL, 400, "bad top");
}

static void test_hotspots_geojson_from_the_context_room(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[2]);
    struct resp r = expect(f, "GET", "/api/v1/contexts/hotspots?kinds=missing", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"type\":\"FeatureCollection\""));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/contexts/hotspots?since=31/12/2025", &s, NULL, 400,
                   "bad date");
    expect_status(f, "GET", "/api/v1/contexts/hotspots?cell=1", &s, NULL, 400);
}

/* Area boundaries: none until imported, then every one with its name and label point. */
static void test_boundaries_geojson(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    struct resp r = expect(f, "GET", "/api/v1/contexts/boundaries", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"features\":[]"));
    resp_free(&r);
    testutil_exec(f->s, "INSERT INTO context_boundary (code, name, kind, geometry, label_lat, "
                        "label_lon) VALUES ('XW1', 'North <ward>', 'ward', '{\"type\":"
                        "\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}', 0.25, 0.5);");
    r = expect(f, "GET", "/api/v1/contexts/boundaries", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"name\":\"North <ward>\""));
    assert_non_null(strstr(r.body, "\"kind\":\"ward\""));
    assert_non_null(strstr(r.body, "\"label\":[0.5,0.25]"));
    assert_non_null(strstr(r.body, "\"type\":\"Polygon\""));
    resp_free(&r);
    /* a stored shape that is not JSON is an error naming the fix, not a crash */
    testutil_exec(f->s, "UPDATE context_boundary SET geometry = 'not json'");
    expect_status(f, "GET", "/api/v1/contexts/boundaries", &s, NULL, 500);
}

static void test_network_pseudonymised_and_scoped(void **state)
{
    struct fixture *f = *state;
    /* The two children were recorded as associates by the police. */
    testutil_exec(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                        "file_id, line) VALUES ('police-niche', 'police', 'associate', 1, 3, 1, 9);");
    int64_t audit = q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network'");
    struct session admin = session_for(f, f->uid[1]);
    struct resp r = expect(f, "GET", "/api/v1/contexts/network", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "\"source\":0"));
    assert_non_null(strstr(r.body, "\"hidden\":0"));
    resp_free(&r);

    /* An analyst without a purpose sees pseudonyms, not names. */
    struct session analyst = session_for(f, f->uid[2]);
    r = expect(f, "GET", "/api/v1/contexts/network", &analyst, NULL, 200);
    assert_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "\"name\":\"P-"));
    assert_non_null(strstr(r.body, "\"pseudonymised\":true"));
    resp_free(&r);

    /* A police practitioner sees the child police hold, not the one only social care know,
     * and no edge to them. */
    struct session prac = session_for(f, f->uid[4]);
    r = expect(f, "GET", "/api/v1/contexts/network", &prac, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor"));
    assert_null(strstr(r.body, "Brien"));
    assert_non_null(strstr(r.body, "\"hidden\":1"));
    assert_non_null(strstr(r.body, "\"edges\":[]"));
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network'"),
                     audit + 3);

    /* From one child: the child at 0 hops and the associate at 1; the practitioner's view
     * of it drops the child police do not hold; a person with no links is a 404. */
    r = expect(f, "GET", "/api/v1/contexts/network/ego?person=1", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"focus\":"));
    assert_non_null(strstr(r.body, "\"hops\":1"));
    assert_non_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "Brien"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/ego?person=1", &prac, NULL, 200);
    assert_null(strstr(r.body, "Brien"));
    assert_non_null(strstr(r.body, "\"hidden\":1"));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/contexts/network/ego?person=99", &admin, NULL, 404);

    /* Search: by name for those who see names, and only among the people each may see. */
    int64_t searches = q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'search' AND "
                                 "object = 'network'");
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=okaf", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"label\":\"Jayden Okafor\""));
    assert_non_null(strstr(r.body, "\"ref\":\"person=1\""));
    assert_null(strstr(r.body, "Brien"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=BRIEN", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "Brien"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=brien", &prac, NULL, 200);
    assert_non_null(strstr(r.body, "\"people\":[]"));
    resp_free(&r);
    /* a group by its number, counting only the members the viewer may see */
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=group%201", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"group\":1,\"members\":2"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=g1", &prac, NULL, 200);
    assert_non_null(strstr(r.body, "\"members\":1"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/search?q=group%209", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"groups\":[]"));
    resp_free(&r);
    /* an analyst: no search by name; by the pseudonym shown, which is all they get back */
    expect_refused(f, "GET", "/api/v1/contexts/network/search?q=okaf", &analyst, NULL, 400,
                   "an analyst's name search");
    char pseudo[32], path[128];
    struct svp_err perr;
    assert_int_equal(access_pseudonym(f->s, 'P', 1, pseudo, sizeof pseudo, &perr), 0);
    snprintf(path, sizeof path, "/api/v1/contexts/network/search?q=%s", pseudo);
    r = expect(f, "GET", path, &analyst, NULL, 200);
    assert_non_null(strstr(r.body, pseudo));
    assert_null(strstr(r.body, "Okafor"));
    assert_null(strstr(r.body, "person=1\""));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/contexts/network/search?q=o", &admin, NULL, 400);
    expect_status(f, "GET", "/api/v1/contexts/network/search", &admin, NULL, 400);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'search' AND "
                               "object = 'network'"),
                     searches + 7);
    assert_true(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'search' AND object "
                          "= 'network' AND persons LIKE '%,p1,%'") >= 2);

    /* From a group: its members at 0 hops; the practitioner sees only theirs. */
    r = expect(f, "GET", "/api/v1/contexts/network/ego?group=1", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "Brien"));
    assert_non_null(strstr(r.body, "\"group\":1"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/contexts/network/ego?group=1", &prac, NULL, 200);
    assert_null(strstr(r.body, "Brien"));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/contexts/network/ego?group=7", &admin, NULL, 404);
    audit += 9; /* seven searches and two views from a group shown */

    expect_status(f, "GET", "/api/v1/contexts/network/ego", &admin, NULL, 400);
    expect_status(f, "GET", "/api/v1/contexts/network/ego?person=1&hops=9", &admin, NULL, 400);
    audit += 2;

    /* The graph is kept per data version (the analyst's and the practitioner's views above
     * were cut from it): once the data change, the next request builds it again. */
    testutil_exec(f->s, "DELETE FROM relationship");
    struct timespec ts = {0, 300 * 1000 * 1000}; /* longer than the version recheck */
    nanosleep(&ts, NULL);
    r = expect(f, "GET", "/api/v1/contexts/network", &admin, NULL, 200);
    if (!strstr(r.body, "\"edges\":[]"))
        fail_msg("stale network after a change: %.300s", r.body);
    resp_free(&r);
    audit++;

    expect_refused(f, "GET", "/api/v1/contexts/network?min_children=0", &admin, NULL, 400,
                   "bad min_children");
    expect_refused(f, "GET", "/api/v1/contexts/network?since=2026-13-01", &admin, NULL, 400,
                   "bad since");
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network'"),
                     audit + 3);

}

static void test_trends_and_clock_periods_for_charts(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    struct resp r = expect(f, "GET", "/api/v1/contexts/trends?months=6", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"rows\":["));
    assert_non_null(strstr(r.body, "\"months\":6"));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/contexts/trends?months=0", &s, NULL, 400, "bad months");
    r = expect(f, "GET", "/api/v1/clocks/periods?by=quarter&from=2025-01-01&to=2026-12-31", &s,
               NULL, 200);
    assert_non_null(strstr(r.body, "\"periods\":["));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/clocks/periods?by=week", &s, NULL, 400, "bad period");
}

/* The adults' collection figures: one adult's concern and s42 enquiry, counted for the
 * financial year asked for; bad periods refused. */
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

static void test_must_change_blocks_everything_else(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t id;
    assert_int_equal(access_user_add(f->s, NULL, "newbie", ACCESS_PANEL, "police",
                                     "one time password", true, &id, &err),
                     0);
    struct session s = session_for(f, id);
    struct resp r = expect(f, "GET", "/api/v1/persons", &s, NULL, 403);
    assert_non_null(strstr(r.body, "one-time password"));
    resp_free(&r);
    r = expect(f, "POST", "/api/v1/session/password", &s,
               "{\"password\":\"one time password\",\"new_password\":\"my own password\"}", 200);
    assert_non_null(strstr(r.body, "\"must_change\":false"));
    resp_free(&r);
}

/* Pages rendered once and reused (per data version): every request is still authorised
 * and audited, a failed audit write refuses even a cached page, and a change committed by
 * another connection (an import, say) is seen once the version is checked again. */
static void test_cached_pages_are_still_authorised_and_audited(void **state)
{
    struct fixture *f = *state;
    struct session s = session_for(f, f->uid[3]);
    int64_t before = q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'person:1'");
    for (int i = 0; i < 3; i++) {
        struct resp r = expect(f, "GET", "/api/v1/persons/1", &s, NULL, 200);
        assert_non_null(strstr(r.body, "Okafor"));
        resp_free(&r);
    }
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'person:1'"),
                     before + 3);
    struct session police = session_for(f, f->uid[4]);
    struct resp r = request(f, "GET", "/api/v1/persons/2", &police, NULL, NULL);
    assert_int_equal(r.status, 403); /* the page is cached, the check still runs */
    assert_null(strstr(r.body, "Brien"));
    resp_free(&r);

    /* The audit trail cannot be written: the cached page is not shown. */
    testutil_exec(f->s, "ALTER TABLE audit_log RENAME TO audit_log_away");
    r = expect(f, "GET", "/api/v1/persons/1", &s, NULL, 500);
    assert_null(strstr(r.body, "Okafor"));
    assert_non_null(strstr(r.body, "audit trail"));
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/panel?top=10", &s, NULL, 500);
    /* nor is a change stored: it and its audit entry are one transaction */
    struct session reviewer = session_for(f, f->uid[1]);
    r = request(f, "POST", "/api/v1/link/review", &reviewer, "{\"a\":1,\"b\":3,\"same\":false}",
                NULL);
    if (r.status < 500)
        fail_msg("a link decision with no audit trail: %d %s", r.status, r.body);
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM link_decision"), 0);
    testutil_exec(f->s, "ALTER TABLE audit_log_away RENAME TO audit_log");
    r = expect(f, "POST", "/api/v1/link/review", &reviewer, "{\"a\":1,\"b\":3,\"same\":false}",
               200);
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM link_decision"), 1);

    /* Another connection changes the data (as an import does, with a history row). */
    testutil_exec(f->s, "UPDATE record SET family_name = 'Okonjo' WHERE id = 2;"
                        "INSERT INTO record_history (record_id, file_id, line, changed_at, "
                        "previous) VALUES (2, 3, 2, '2026-01-02T00:00:00Z', '{}')");
    struct timespec ts = {0, 300 * 1000 * 1000}; /* longer than the version recheck */
    nanosleep(&ts, NULL);
    r = expect(f, "GET", "/api/v1/persons/1", &s, NULL, 200);
    if (!strstr(r.body, "Okonjo"))
        fail_msg("stale page after a change: %s", r.body);
    resp_free(&r);
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

static void test_auditor_finds_every_view_of_one_child(void **state)
{
    struct fixture *f = *state;
    struct session police = session_for(f, f->uid[4]), panel = session_for(f, f->uid[3]);
    struct session admin = session_for(f, f->uid[1]), aud = session_for(f, f->uid[5]);
    expect_status(f, "GET", "/api/v1/persons/1", &police, NULL, 200);   /* a page view */
    expect_status(f, "GET", "/api/v1/persons?q=okafor", &panel, NULL, 200); /* a list view */
    expect_status(f, "GET", "/api/v1/persons/2", &police, NULL, 403);   /* refused */
    expect_status(f, "GET", "/api/v1/records/3", &panel, NULL, 403);    /* refused, by record */
    struct resp r = request(f, "GET", "/api/v1/contexts/network?min_children=1", &admin, NULL,
                            NULL);
    bool network_shown = r.status == 200;
    resp_free(&r);
    expect_status(f, "GET", "/api/v1/persons/2", &panel, NULL, 403);
    r = expect(f, "GET", "/api/v1/audit/person/1", &aud, NULL, 200);
    assert_non_null(strstr(r.body, "\"username\":\"u-practitioner\",\"action\":\"view\""));
    assert_non_null(strstr(r.body, "\"username\":\"u-panel\",\"action\":\"search\""));
    assert_null(strstr(r.body, "refused")); /* person 1 was never refused */
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/audit/person/2", &aud, NULL, 200);
    assert_non_null(strstr(r.body, "\"username\":\"u-practitioner\",\"action\":\"refused\""));
    assert_non_null(strstr(r.body, "\"object\":\"record:3\""));
    assert_null(strstr(r.body, "\"action\":\"search\"")); /* person 2 was in no search */
    if (network_shown && q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network' "
                                   "AND persons LIKE '%,p2,%'") > 0 &&
        !strstr(r.body, "\"action\":\"view\",\"object\":\"network\""))
        fail_msg("the network view that showed person 2 is missing: %s", r.body);
    resp_free(&r);
    /* The auditor's look is itself recorded. */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = "
                               "'audit:person:2'"),
                     1);
    /* Others may not ask. */
    expect_status(f, "GET", "/api/v1/audit/person/1", &police, NULL, 403);
    /* The anchor names the newest entry. */
    r = expect(f, "GET", "/api/v1/audit/anchor", &aud, NULL, 200);
    char want[96];
    snprintf(want, sizeof want, "\"id\":%lld",
             (long long)q64(f->s, "SELECT max(id) FROM audit_log"));
    assert_non_null(strstr(r.body, want));
    resp_free(&r);
}

/* Break glass: a school practitioner cannot see a child's health record; with a reason from
 * the list and their own words they can, until it runs out; the auditor sees the use. */
static void test_break_glass(void **state)
{
    struct fixture *f = *state;
    struct svp_err err;
    int64_t uid;
    if (access_user_add(f->s, NULL, "school", ACCESS_PRACTITIONER, "education",
                        "correct horse battery", false, &uid, &err))
        fail_msg("%s", err.msg);
    struct session s = session_for(f, uid), aud = session_for(f, f->uid[5]);
    expect_status(f, "GET", "/api/v1/persons/1", &s, NULL, 403);
    expect_refused(f, "POST", "/api/v1/persons/1/break-glass", &s,
                   "{\"reason\":\"curiosity\",\"text\":\"I would like to know\"}", 400,
                   "a reason off the list");
    expect_refused(f, "POST", "/api/v1/persons/1/break-glass", &s,
                   "{\"reason\":\"immediate_risk\",\"text\":\"now\"}", 400, "no words");
    expect_refused(f, "POST", "/api/v1/persons/1/break-glass", &s,
                   "{\"reason\":\"immediate_risk\",\"text\":\"disclosure at school today\","
                   "\"minutes\":1000}",
                   400, "too long");
    expect_status(f, "POST", "/api/v1/persons/999/break-glass", &s,
                  "{\"reason\":\"immediate_risk\",\"text\":\"disclosure at school today\"}",
                  404);
    struct resp r = expect(f, "POST", "/api/v1/persons/1/break-glass", &s,
                           "{\"reason\":\"immediate_risk\",\"text\":\"disclosure at school "
                           "today\",\"minutes\":30}",
                           200);
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/persons/1", &s, NULL, 200);
    assert_non_null(strstr(r.body, "ed_attendance")); /* health's event, under break glass */
    resp_free(&r);
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE action = 'view' AND "
                               "object = 'person:1' AND detail LIKE '%break glass%'"),
                     1);
    /* Only for this child. */
    expect_status(f, "GET", "/api/v1/persons/2", &s, NULL, 403);
    r = expect(f, "GET", "/api/v1/audit/break-glass", &aud, NULL, 200);
    assert_non_null(strstr(r.body, "\"username\":\"school\""));
    assert_non_null(strstr(r.body, "disclosure at school today"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/audit/person/1", &aud, NULL, 200);
    assert_non_null(strstr(r.body, "\"action\":\"break-glass\""));
    resp_free(&r);
    /* It runs out. */
    testutil_exec(f->s, "UPDATE break_glass SET expires_at = 1");
    expect_status(f, "GET", "/api/v1/persons/1", &s, NULL, 403);
    /* Analysts and administrators have no glass to break. */
    struct session an = session_for(f, f->uid[2]);
    expect_status(f, "POST", "/api/v1/persons/1/break-glass", &an,
                  "{\"reason\":\"immediate_risk\",\"text\":\"disclosure at school today\"}",
                  403);
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

/* A search's total counts only what the viewer may see: a police practitioner searching a
 * name that health also holds (for the same child) is not told health's record exists. */
static void test_search_total_counts_only_what_may_be_seen(void **state)
{
    struct fixture *f = *state;
    struct session prac = session_for(f, f->uid[4]);
    struct resp r = expect(f, "GET", "/api/v1/persons?q=okafor", &prac, NULL, 200);
    assert_non_null(strstr(r.body, "P100"));
    assert_null(strstr(r.body, "H200"));
    if (!strstr(r.body, "\"total\":1,"))
        fail_msg("the total counts records the viewer may not see: %s", r.body);
    resp_free(&r);
    /* pages are cut from what may be seen: the second page of one is empty */
    r = expect(f, "GET", "/api/v1/persons?q=okafor&limit=1&offset=1", &prac, NULL, 200);
    assert_non_null(strstr(r.body, "\"items\":[]"));
    resp_free(&r);
    struct session admin = session_for(f, f->uid[1]);
    r = expect(f, "GET", "/api/v1/persons?q=okafor", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"total\":2,"));
    resp_free(&r);
}

/* A link two visible children share is withheld when the agency that recorded it does not
 * share that category with the viewer: a police intelligence "associate" link is not shown
 * to social care, though social care may see both children. */
static void test_network_edges_follow_the_recording_agencys_rule(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                        "file_id, line) VALUES ('police-niche', 'police', 'associate', 1, 3, 1, 9);");
    struct svp_err err;
    assert_int_equal(access_share_person(f->s, NULL, 1, "csc", "strategy meeting", &err), 0);
    struct session csc = session_for(f, f->target_uid);
    struct resp r = expect(f, "GET", "/api/v1/contexts/network", &csc, NULL, 200);
    assert_non_null(strstr(r.body, "Okafor")); /* both children may be seen */
    assert_non_null(strstr(r.body, "Brien"));
    if (!strstr(r.body, "\"edges\":[]") || !strstr(r.body, "\"links_withheld\":1"))
        fail_msg("a police intelligence link shown to social care: %s", r.body);
    resp_free(&r);
    /* Nor does the network from one child, nor what the withheld link implied (the peer
     * group, the community it was found in). */
    r = expect(f, "GET", "/api/v1/contexts/network/ego?person=2", &csc, NULL, 200);
    if (!strstr(r.body, "\"edges\":[]") || strstr(r.body, "\"group\":1") ||
        !strstr(r.body, "\"communities\":[]"))
        fail_msg("the withheld link still shows: %s", r.body);
    resp_free(&r);
    /* The police see their own link. */
    struct session admin = session_for(f, f->uid[1]);
    r = expect(f, "GET", "/api/v1/contexts/network", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "\"kinds\":{\"associate\":1}"));
    resp_free(&r);
}

/* An analyst names the start of an ego network by pseudonym; a raw id is refused and the
 * reply holds no raw id. */
static void test_ego_network_takes_an_analysts_pseudonym(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s, "INSERT INTO relationship (source, agency, kind, record_a, record_b, "
                        "file_id, line) VALUES ('police-niche', 'police', 'associate', 1, 3, 1, 9);");
    struct session an = session_for(f, f->uid[2]);
    expect_refused(f, "GET", "/api/v1/contexts/network/ego?person=1", &an, NULL, 400,
                   "a raw id from an analyst");
    char pseudo[32], path[128];
    struct svp_err err;
    assert_int_equal(access_pseudonym(f->s, 'P', 1, pseudo, sizeof pseudo, &err), 0);
    snprintf(path, sizeof path, "/api/v1/contexts/network/ego?person=%s", pseudo);
    struct resp r = expect(f, "GET", path, &an, NULL, 200);
    assert_non_null(strstr(r.body, pseudo));
    if (strstr(r.body, "\"person_id\":1") || strstr(r.body, "\"person_id\":2") ||
        strstr(r.body, "\"relationship_id\":1") || strstr(r.body, "Okafor"))
        fail_msg("raw ids or names in an analyst's ego network: %s", r.body);
    resp_free(&r);
    /* who was shown is in the audit entry */
    assert_int_equal(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'network' AND "
                               "persons LIKE '%,p1,%' AND persons LIKE '%,p2,%'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_link_review_pseudonymised_for_analysts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_search_total_counts_only_what_may_be_seen, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_network_edges_follow_the_recording_agencys_rule,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ego_network_takes_an_analysts_pseudonym, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_break_glass, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auditor_finds_every_view_of_one_child, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_practitioner_sees_only_own_agency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_analyst_pseudonymised_without_purpose, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_views_are_audited_and_chain_verifies, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_security_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_cookie_and_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_rate_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs_are_clear_4xx_and_write_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clocks_page_uses_the_clock_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_risk_from_the_risk_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_panel_meeting_register, setup, teardown),
        cmocka_unit_test_setup_teardown(test_da_call_export_and_actions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_panel_list_from_the_risk_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boundaries_geojson, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hotspots_geojson_from_the_context_room, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_link_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_review_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_pseudonymised_and_scoped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_partnership_registers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_review_register_and_learning_tracker, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_trends_and_clock_periods_for_charts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_adults_sac_figures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_must_change_blocks_everything_else, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cached_pages_are_still_authorised_and_audited,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
