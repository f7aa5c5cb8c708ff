/* The web server's test fixture (http_fixture.h). */
#include "http_fixture.h"

const char *const role_users[] = {"none", "administrator", "analyst", "panel",
                                         "practitioner", "auditor"};

/* ------------------------------------------------------------------ fixture */

int64_t q64(struct store *s, const char *sql)
{
    int64_t v = -1;
    struct svp_err err;
    if (store_query_int64(s, sql, &v, &err))
        fail_msg("%s: %s", sql, err.msg);
    return v;
}

void add_fixture_data(struct fixture *f)
{
    /* Two linked persons: one with police and health records, one known only to children's
     * social care. Names include markup and SQL so that their escaping is exercised. */
    testutil_exec(f->s,
            "INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES "
            "('police-niche', 'police', 'police.csv', 'aa', '2026-01-01T00:00:00Z'),"
            "('csc-lcs', 'csc', 'csc.csv', 'bb', '2026-01-01T00:00:00Z'),"
            "('health-ed', 'health', 'ed.csv', 'cc', '2026-01-01T00:00:00Z');"
            "INSERT INTO record (source, agency, agency_record_id, given_name, family_name, dob, "
            "sex, postcode, area, norm_given, norm_family, file_id, line) VALUES "
            "('police-niche', 'police', 'P100', 'Jayden', 'Okafor', '2010-03-04', 'M', "
            "'AB1 2CD', 'North', 'jayden', 'okafor', 1, 2),"
            "('health-ed', 'health', 'H200', 'Jaydon', 'Okafor', '2010-03-04', 'M', 'AB1 2CD', "
            "'North', 'jaydon', 'okafor', 3, 2),"
            "('csc-lcs', 'csc', 'C300', '<script>alert(1)</script>', 'O''Brien', '2011-05-06', "
            "'F', 'ZZ9 9ZZ', 'South', 'script alert 1 script', 'obrien', 2, 2);"
            "INSERT INTO person (created_at) VALUES ('2026-01-01'), ('2026-01-01');"
            "INSERT INTO person_record (record_id, person_id) VALUES (1, 1), (2, 1), (3, 2);"
            "INSERT INTO place (place_key, name, postcode, lat, lon, area) VALUES "
            "('station', 'Bus station', 'AB1 1AA', 52.1, -1.2, 'North');"
            "INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, "
            "started_at, place_id, detail, file_id, line) VALUES "
            "('police-niche', 'police', 'E1', 1, 'missing_episode', NULL, "
            "'2026-02-01T22:00:00Z', 1, '{\"found\": \"with older males\"}', 1, 5),"
            "('health-ed', 'health', 'E2', 2, 'ed_attendance', 'assault', '2026-01-15', NULL, "
            "NULL, 3, 7),"
            "('csc-lcs', 'csc', 'E3', 3, 'referral', NULL, '2025-12-01', NULL, NULL, 2, 9);");
    f->person_police = 1;
    f->person_csc = 2;
    f->record_police = 1;
    f->record_csc = 3;
}

const char *const agency_of[] = {"", "partnership", "partnership", "health",
                                        "police", "partnership"};

int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->s = testutil_open_migrated(&f->uri);
    add_fixture_data(f);
    struct svp_err err;
    for (int i = 1; i < 6; i++) {
        enum access_role r;
        assert_int_equal(access_role_parse(role_users[i], &r, &err), 0);
        char name[32];
        snprintf(name, sizeof name, "u-%s", role_users[i]);
        if (access_user_add(f->s, NULL, name, r, agency_of[i], "correct horse battery", false,
                            &f->uid[i], &err))
            fail_msg("%s", err.msg);
    }
    if (access_user_add(f->s, NULL, "target", ACCESS_PRACTITIONER, "csc", "target password 1",
                        false, &f->target_uid, &err))
        fail_msg("%s", err.msg);
    f->webdir = testutil_tmpdir();
    char sub[512];
    snprintf(sub, sizeof sub, "%s/assets", f->webdir);
    mkdir(sub, 0755);
    free(testutil_write_file(f->webdir, "index.html", "<!doctype html><title>svp</title>", 33));
    free(testutil_write_file(f->webdir, "assets/app.js", "console.log(1)", 14));
    struct http_server_opts o = {.db_uri = f->uri, .host = "127.0.0.1", .port = 0, .threads = 2,
                                 .web_root = f->webdir, .login_per_minute = 1000,
                                 .max_body = 16384};
    if (http_server_start(&o, &f->srv, &err))
        fail_msg("%s", err.msg);
    f->port = http_server_port(f->srv);
    *state = f;
    return 0;
}

int teardown(void **state)
{
    struct fixture *f = *state;
    http_server_stop(&f->srv);
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    testutil_rmdir(&f->webdir);
    free(f);
    return 0;
}

/* ------------------------------------------------------------------ a tiny HTTP client */

void resp_free(struct resp *r)
{
    free(r->body);
    r->body = NULL;
}

/* Sends raw request text and reads the whole reply (the request says Connection: close). */
struct resp raw(int port, const char *req, size_t len)
{
    struct resp r = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may refuse and close before reading everything */
        off += (size_t)n;
    }
    size_t cap = 65536, got = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (got == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
        ssize_t n = recv(fd, buf + got, cap - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    char *end = strstr(buf, "\r\n\r\n");
    if (sscanf(buf, "HTTP/1.%*d %d", &r.status) != 1)
        r.status = -1;
    size_t hl = end ? (size_t)(end - buf) : got;
    svp_strlcpy(r.head, buf, hl + 1 < sizeof r.head ? hl + 1 : sizeof r.head);
    const char *b = end ? end + 4 : buf + got;
    r.body_len = got - (size_t)(b - buf);
    r.body = malloc(r.body_len + 1);
    memcpy(r.body, b, r.body_len);
    r.body[r.body_len] = '\0';
    free(buf);
    return r;
}

struct resp request(struct fixture *f, const char *method, const char *path,
                           const struct session *sess, const char *body, const char *extra)
{
    size_t cap = (body ? strlen(body) : 0) + 4096;
    char *req = malloc(cap);
    int n = snprintf(req, cap,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "%s%s%s%s%s%s%s%s"
                     "Content-Length: %zu\r\n\r\n%s",
                     method, path, sess ? "Cookie: svp_session=" : "", sess ? sess->token : "",
                     sess ? "\r\n" : "", sess ? "X-CSRF-Token: " : "", sess ? sess->csrf : "",
                     sess ? "\r\n" : "", body ? "Content-Type: application/json\r\n" : "",
                     extra ? extra : "", body ? strlen(body) : 0, body ? body : "");
    assert_true(n > 0 && (size_t)n < cap);
    struct resp r = raw(f->port, req, (size_t)n);
    free(req);
    return r;
}

/* Sends a request and fails the test unless the reply has this status (naming the request
 * and showing the reply). Returns the reply for further checks; the caller resp_frees it. */
struct resp expect(struct fixture *f, const char *method, const char *path,
                          const struct session *sess, const char *body, int status)
{
    struct resp r = request(f, method, path, sess, body, NULL);
    if (r.status != status)
        fail_msg("%s %s: expected %d, got %d: %s", method, path, status, r.status, r.body);
    return r;
}

/* As expect, for a request whose reply needs no further check. */
void expect_status(struct fixture *f, const char *method, const char *path,
                          const struct session *sess, const char *body, int status)
{
    struct resp r = expect(f, method, path, sess, body, status);
    resp_free(&r);
}

struct session session_for(struct fixture *f, int64_t uid)
{
    struct access_session as;
    struct svp_err err;
    if (access_session_create(f->s, uid, (svp_time)time(NULL), 3600, &as, &err))
        fail_msg("%s", err.msg);
    struct session s;
    memcpy(s.token, as.token, sizeof s.token);
    memcpy(s.csrf, as.csrf, sizeof s.csrf);
    return s;
}

/* Fails unless r is a 4xx whose body is JSON with a non-empty "error". */
void assert_clear_4xx(const struct resp *r, const char *what)
{
    if (r->status < 400 || r->status > 499)
        fail_msg("%s: expected a 4xx, got %d: %s", what, r->status, r->body);
    json_t *j = json_loads(r->body, 0, NULL);
    if (!j || !json_is_string(json_object_get(j, "error")) ||
        !*json_string_value(json_object_get(j, "error")))
        fail_msg("%s: no clear error message in %s", what, r->body);
    json_decref(j);
}

/* As expect, for a request that must be refused with status and a clear error (what). */
void expect_refused(struct fixture *f, const char *method, const char *path,
                           const struct session *sess, const char *body, int status,
                           const char *what)
{
    struct resp r = expect(f, method, path, sess, body, status);
    assert_clear_4xx(&r, what);
    resp_free(&r);
}
