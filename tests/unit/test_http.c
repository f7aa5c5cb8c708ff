/* The web server, end to end over a real socket: need-to-know scoping, pseudonymisation, the
 * audit trail of views, security headers, static files, each page's API, and every bad input
 * the issue names: each a 4xx with a clear message, never a 500, nothing written. The route
 * and category matrices are in test_http_matrix.c, the work pages (registers, reviews, links,
 * the DA call, adults) in test_http_work.c, the contexts in test_http_contexts.c; the fixture
 * in http_fixture.c.
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
    /* the age band, as `svp panel --age-band`: children by default, transition to 25 */
    r = expect(f, "GET", "/api/v1/panel?top=10&age_band=transition", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"age_to\":25"));
    resp_free(&r);
    r = expect(f, "GET", "/api/v1/panel?top=10", &s, NULL, 200);
    assert_non_null(strstr(r.body, "\"age_to\":0"));
    resp_free(&r);
    expect_refused(f, "GET", "/api/v1/panel?age_band=40", &s, NULL, 400, "bad age band");
    expect_refused(f, "GET", "/api/v1/panel?age_band=adults", &s, NULL, 400, "bad age band");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_search_total_counts_only_what_may_be_seen,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_break_glass, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auditor_finds_every_view_of_one_child,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_practitioner_sees_only_own_agency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_analyst_pseudonymised_without_purpose,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_views_are_audited_and_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_security_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_cookie_and_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_rate_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_inputs_are_clear_4xx_and_write_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_clocks_page_uses_the_clock_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_risk_from_the_risk_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_panel_meeting_register, setup, teardown),
        cmocka_unit_test_setup_teardown(test_panel_list_from_the_risk_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_must_change_blocks_everything_else, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cached_pages_are_still_authorised_and_audited,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
