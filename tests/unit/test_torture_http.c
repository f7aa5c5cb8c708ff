/* Failing allocations inside the web server (curl's torture mode, with SQLite's allocations and
 * jansson's, which the server routes through svp_malloc, on the same countdown): one request of each kind (sign-in, the person list, one
 * person, the panel list, a POST with a JSON body, the meeting pack export) is sent while the
 * n-th allocation fails, for each n in turn (every one of the first 100, then a widening
 * stride; SVP_TORTURE_FULL=1: every one). Each time the server must answer (never a
 * crash; ASan checks that nothing leaks), with either the clean reply or an error reply that
 * is JSON with a message; personal data is never shown without its audit entry; a refused
 * write leaves nothing behind and an accepted one is whole; and the database passes
 * integrity_check and its audit chain verifies. The server starts afresh for every request so
 * that no cached page hides the work. SQLite. */
#include "testutil.h"

#include "access/access.h"
#include "http/http.h"
#include "ingest/ingest.h"
#include "link/link.h"
#include "risk/risk.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ data (our own rows) */

static const char nominals_csv[] =
    "NominalID,Surname,Forenames,DOB,Sex,EthnicAppearance,Address,Postcode\n"
    "N1001,Adeyemi,Tobi,14/03/2010,M,IC3,\"4 Larch Row, Eastby\",EB1 4QT\n"
    "N1002,Kowalska,Zofia,02/11/2009,F,IC1,\"17 Harbour St, Eastby\",EB2 9LW\n"
    "N1003,Adeyemi,Kemi,30/06/1985,F,IC3,\"4 Larch Row, Eastby\",EB1 4QT\n"
    "N1004,Hart,Reece,08/08/2001,M,IC1,\"Flat 2, 9 Quay Lane, Eastby\",EB2 1PX\n";

static const char csc_csv[] =
    "PersonID,Forename,Surname,DateOfBirth,Gender,Ethnicity,AddressLine,Postcode,NHSNumber\n"
    "5001,Toby,Adeyemi,2010-03-14,M,BA,\"4 Larch Row, Eastby\",EB1 4QT,\n"
    "5002,Zofia,Kowalski,2009-11-02,F,WO,\"17 Harbour Street, Eastby\",EB2 9LW,\n"
    "5003,Mia,Osei,2012-01-20,F,BA,\"33 Mill View, Westby\",WB3 2AA,\n";

static const char missing_csv[] =
    "OccurrenceRef,NominalID,ReportedDateTime,MissingFromDateTime,ReturnedDateTime,"
    "MissingFrom,RiskGrade,FoundLocation,FoundPostcode,FoundLat,FoundLon,OutOfCounty,"
    "FoundWith,ReturnedBy\n"
    "MIS/26/0001,N1001,03/02/2026 23:10,03/02/2026 19:00,04/02/2026 07:30,HOME,HIGH,"
    "Rail station,EB1 1AA,52.1,-1.3,N,N1002;N1004,POLICE\n"
    "MIS/26/0002,N1002,10/03/2026 22:00,10/03/2026 18:45,11/03/2026 02:00,CARE_PLACEMENT,"
    "MEDIUM,Rail station,EB1 1AA,52.1,-1.3,N,N1004,SELF\n"
    "MIS/26/0003,N1001,21/04/2026 21:30,21/04/2026 17:00,,HOME,HIGH,UNKNOWN,,,,Y,,\n";

static const struct {
    const char *file, *profile, *text;
} extracts[] = {
    {"nominals.csv", "police-nominals", nominals_csv},
    {"csc.csv", "csc-persons", csc_csv},
    {"missing.csv", "police-missing", missing_csv},
};
#define NEXTRACTS (sizeof extracts / sizeof extracts[0])

#define PASSWORD "a long torture password"

struct world {
    char *dir, *uri;
    struct store *s; /* the test's own connection, used only with memory */
    int64_t admin, panel;
    int64_t person;
    int port;
    struct http_server *srv;
};

/* ------------------------------------------------------------------ a small HTTP client */

struct reply {
    int status;
    char *body; /* malloc'd */
    size_t len;
};

static struct reply send_raw(int port, const char *req, size_t len)
{
    struct reply r = {.status = -1};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    size_t cap = 1 << 16, got = 0;
    char *buf = malloc(cap + 1);
    for (;;) {
        if (got == cap)
            buf = realloc(buf, (cap *= 2) + 1);
        ssize_t n = recv(fd, buf + got, cap - got, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    if (sscanf(buf, "HTTP/1.%*d %d", &r.status) != 1)
        r.status = -1;
    char *end = strstr(buf, "\r\n\r\n");
    const char *b = end ? end + 4 : buf + got;
    r.len = got - (size_t)(b - buf);
    r.body = malloc(r.len + 1);
    memcpy(r.body, b, r.len);
    r.body[r.len] = '\0';
    free(buf);
    return r;
}

static struct reply send_request(struct world *w, const char *method, const char *path,
                                 const struct access_session *sess, const char *body)
{
    char req[4096];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "%s%s%s%s%s%s"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     method, path, sess ? "Cookie: svp_session=" : "", sess ? sess->token : "",
                     sess ? "\r\n" : "", sess ? "X-CSRF-Token: " : "", sess ? sess->csrf : "",
                     sess ? "\r\n" : "", body ? strlen(body) : 0, body ? body : "");
    assert_true(n > 0 && (size_t)n < sizeof req);
    return send_raw(w->port, req, (size_t)n);
}

/* ------------------------------------------------------------------ checks */

static int64_t count(struct store *s, const char *sql)
{
    int64_t v = -1;
    struct svp_err err;
    if (store_query_int64(s, sql, &v, &err))
        fail_msg("%s: %s", sql, err.msg);
    return v;
}

static void database_consistent(struct store *s, const char *what, long n)
{
    struct svp_err err;
    struct store_stmt *st = NULL;
    if (store_prepare(s, "PRAGMA integrity_check", &st, &err) || store_step(st, &err) != 1)
        fail_msg("%s, allocation %ld: integrity_check: %s", what, n, err.msg);
    if (strcmp(store_column_text(st, 0), "ok"))
        fail_msg("%s, allocation %ld: integrity_check: %s", what, n, store_column_text(st, 0));
    store_finalize(&st);
    int64_t checked = 0;
    if (access_audit_verify(s, &checked, &err))
        fail_msg("%s, allocation %ld: the audit chain does not verify: %s", what, n, err.msg);
}

/* An error reply is JSON with a non-empty "error". */
static bool is_error_json(const struct reply *r)
{
    json_error_t je;
    json_t *o = json_loadb(r->body, r->len, 0, &je);
    bool good = o && json_is_string(json_object_get(o, "error")) &&
                json_string_length(json_object_get(o, "error")) > 0;
    json_decref(o);
    return good;
}

/* ------------------------------------------------------------------ request kinds */

struct kind {
    const char *name, *method, *path;
    int64_t *as;         /* whose session sends it (NULL: none) */
    bool personal;       /* shows personal data: never without its audit entry */
    bool same_body;      /* the clean reply is the same every time: a 2xx must equal it */
    /* a write: its body for run k (a new entry each time), and how many rows of it the
     * database holds after run k (0 or 1: all or nothing) */
    void (*body)(long k, char *out, size_t cap);
    int64_t (*written)(struct store *s, long k);
    int64_t (*audited)(struct store *s, long k); /* its audit entries */
};

static void review_body(long k, char *out, size_t cap)
{
    snprintf(out, cap,
             "{\"ref\": \"TR-%ld\", \"kind\": \"rapid_review\", \"title\": \"torture %ld\", "
             "\"awareness\": \"2026-10-01\"}",
             k, k);
}

static int64_t review_written(struct store *s, long k)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM register_entry WHERE ref = 'TR-%ld'", k);
    return count(s, sql);
}

static int64_t review_audited(struct store *s, long k)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM audit_log WHERE action = 'change' AND object = 'review:TR-%ld'",
             k);
    return count(s, sql);
}

static void signin_body(long k, char *out, size_t cap)
{
    (void)k;
    snprintf(out, cap, "{\"username\": \"torture-admin\", \"password\": \"" PASSWORD "\"}");
}

static void start_server(struct world *w)
{
    struct svp_err err;
    struct http_server_opts o = {.db_uri = w->uri, .host = "127.0.0.1", .threads = 1,
                                 .login_per_minute = 100000, .max_body = 16384};
    if (http_server_start(&o, &w->srv, &err))
        fail_msg("server: %s", err.msg);
    w->port = http_server_port(w->srv);
}

static void torture_kind(struct world *w, const struct kind *k)
{
    bool full = getenv("SVP_TORTURE_FULL") != NULL;
    struct svp_err err;
    char body[1024];
    long run = 0;
    /* the clean reply, twice */
    struct reply clean[2];
    for (int i = 0; i < 2; i++) {
        struct access_session sess;
        if (k->as && access_session_create(w->s, *k->as, (svp_time)time(NULL), 3600, &sess, &err))
            fail_msg("session: %s", err.msg);
        if (k->body)
            k->body(++run, body, sizeof body);
        start_server(w);
        clean[i] = send_request(w, k->method, k->path, k->as ? &sess : NULL,
                                k->body ? body : NULL);
        http_server_stop(&w->srv);
        if (clean[i].status < 200 || clean[i].status > 299)
            fail_msg("%s: clean run answered %d: %s", k->name, clean[i].status, clean[i].body);
        if (k->written && k->written(w->s, run) != 1)
            fail_msg("%s: the clean run did not write its entry", k->name);
    }
    bool same = k->same_body && clean[0].len == clean[1].len &&
                !memcmp(clean[0].body, clean[1].body, clean[0].len);
    if (k->same_body && !same)
        fail_msg("%s: two clean replies differ", k->name);
    long tried = 0, errors = 0;
    const char *at = getenv("SVP_TORTURE_AT");
    for (long n = at ? strtol(at, NULL, 10) : 0;; n += full || n < 100 ? 1 : 1 + n / 6) {
        struct access_session sess;
        if (k->as && access_session_create(w->s, *k->as, (svp_time)time(NULL), 3600, &sess, &err))
            fail_msg("session: %s", err.msg);
        if (k->body)
            k->body(++run, body, sizeof body);
        int64_t audit_before = count(w->s, "SELECT count(*) FROM audit_log");
        int64_t sessions_before = count(w->s, "SELECT count(*) FROM app_session");
        start_server(w);
        svp_mem_fail_after(n);
        struct reply r = send_request(w, k->method, k->path, k->as ? &sess : NULL,
                                      k->body ? body : NULL);
        http_server_stop(&w->srv);
        bool fired = svp_mem_failed();
        svp_mem_fail_after(-1);
        tried++;
        if (r.status < 0)
            fail_msg("%s, allocation %ld: no reply", k->name, n);
        bool good = r.status >= 200 && r.status <= 299;
        if (good && r.status != clean[0].status)
            fail_msg("%s, allocation %ld: answered %d, not %d", k->name, n, r.status,
                     clean[0].status);
        if (good && same && (r.len != clean[0].len || memcmp(r.body, clean[0].body, r.len))) {
            size_t d = 0;
            while (d < r.len && d < clean[0].len && r.body[d] == clean[0].body[d])
                d++;
            size_t from = d > 60 ? d - 60 : 0;
            fail_msg("%s, allocation %ld: a %d reply that differs from the clean one at byte "
                     "%zu: '%.160s' where the clean reply has '%.160s'",
                     k->name, n, r.status, d, r.body + from, clean[0].body + from);
        }
        if (!good) {
            errors++;
            if (r.status < 500 || !is_error_json(&r))
                fail_msg("%s, allocation %ld: answered %d without a JSON error: %.300s",
                         k->name, n, r.status, r.body);
        }
        int64_t audit_after = count(w->s, "SELECT count(*) FROM audit_log");
        if (k->personal && good && audit_after <= audit_before)
            fail_msg("%s, allocation %ld: personal data shown without an audit entry", k->name,
                     n);
        if (k->written) {
            /* all or nothing, there when it said so, and never without its audit entry (a
             * reply that fails after the commit may still say 500: the change is whole and
             * audited) */
            int64_t rows = k->written(w->s, run);
            if (rows < 0 || rows > 1 || (good && rows != 1))
                fail_msg("%s, allocation %ld: answered %d and the database holds %lld of its "
                         "entry",
                         k->name, n, r.status, (long long)rows);
            if (rows && k->audited(w->s, run) != 1)
                fail_msg("%s, allocation %ld: the entry is stored without its audit entry",
                         k->name, n);
        }
        if (!k->as) { /* sign-in: a session when it said yes; at most one otherwise (a
                       * reply that fails after the commit leaves a session whose token
                       * nobody holds, which expires) */
            int64_t sessions = count(w->s, "SELECT count(*) FROM app_session");
            int64_t made = sessions - sessions_before;
            if (made < 0 || made > 1 || (good && made != 1))
                fail_msg("%s, allocation %ld: answered %d and made %lld sessions", k->name, n,
                         r.status, (long long)(sessions - sessions_before));
        }
        database_consistent(w->s, k->name, n);
        free(r.body);
        if (!fired) {
            if (!good)
                fail_msg("%s: failed with memory to spare: %d %s", k->name, r.status, r.body);
            break;
        }
        if (n > 5000000)
            fail_msg("%s: still allocating after 5,000,000 allocations", k->name);
    }
    free(clean[0].body);
    free(clean[1].body);
    print_message("# %s: %ld allocations failed in turn, %ld answered with an error\n", k->name,
                  tried - 1, errors);
    assert_true(errors > 0);
}

/* ------------------------------------------------------------------ tests */

static void test_sign_in(void **state)
{
    static const struct kind k = {"sign-in", "POST", "/api/v1/session", NULL, false, false,
                                  signin_body, NULL, NULL};
    torture_kind(*state, &k);
}

static void test_person_list(void **state)
{
    struct world *w = *state;
    const struct kind k = {"GET the person list", "GET", "/api/v1/persons", &w->panel, true, true,
                           NULL, NULL, NULL};
    torture_kind(w, &k);
}

static void test_person(void **state)
{
    struct world *w = *state;
    char path[64];
    snprintf(path, sizeof path, "/api/v1/persons/%lld", (long long)w->person);
    const struct kind k = {"GET one person", "GET", path, &w->panel, true, true, NULL, NULL, NULL};
    torture_kind(w, &k);
}

static void test_panel_list(void **state)
{
    struct world *w = *state;
    const struct kind k = {"GET the panel list", "GET", "/api/v1/panel?as_of=2026-06-01",
                           &w->panel, true, true, NULL, NULL, NULL};
    torture_kind(w, &k);
}

static void test_post_json(void **state)
{
    struct world *w = *state;
    const struct kind k = {"POST a review (JSON body)", "POST", "/api/v1/reviews", &w->admin,
                           false, false, review_body, review_written, review_audited};
    torture_kind(w, &k);
}

static void test_export(void **state)
{
    struct world *w = *state;
    const struct kind k = {"GET the meeting pack export", "GET", "/api/v1/meeting/export.xlsx",
                           &w->panel, true, false, NULL, NULL, NULL};
    torture_kind(w, &k);
}

static void test_report_dataset(void **state)
{
    struct world *w = *state;
    const struct kind k = {"GET the core dataset", "GET", "/api/v1/report/dataset", &w->panel,
                           false, false, NULL, NULL, NULL};
    torture_kind(w, &k);
}

static void test_report_drill(void **state)
{
    struct world *w = *state;
    const struct kind k = {"GET the children behind a figure", "GET",
                           "/api/v1/report/drill?figure=missing_children", &w->panel, true, true,
                           NULL, NULL, NULL};
    torture_kind(w, &k);
}

/* ------------------------------------------------------------------ setup */

static int group_setup(void **state)
{
    struct svp_err err;
    if (store_sqlite_torture(&err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    struct world *w = calloc(1, sizeof *w);
    w->dir = testutil_tmpdir();
    w->s = testutil_open_migrated(&w->uri);
    for (size_t i = 0; i < NEXTRACTS; i++) {
        char *path = testutil_write_file(w->dir, extracts[i].file, extracts[i].text,
                                         strlen(extracts[i].text));
        struct ingest_profile *p = NULL;
        struct ingest_opts o = {.quiet = true};
        struct ingest_result res;
        if (ingest_profile_load(extracts[i].profile, NULL, &p, &err) ||
            ingest_import_file(w->s, p, path, &o, &res, &err))
            fail_msg("import %s: %s", extracts[i].file, err.msg);
        ingest_profile_free(&p);
        free(path);
    }
    struct link_opts lo;
    link_opts_default(&lo);
    lo.quiet = true;
    struct link_stats stats;
    if (link_run_store(w->s, &lo, NULL, 0, true, false, &stats, &err))
        fail_msg("link: %s", err.msg);
    struct risk_weights rw;
    struct risk_panel_opts po = {.as_of = testutil_day("2026-06-01")};
    struct risk_panel *panel = NULL;
    int64_t panel_id = 0;
    if (risk_weights_load(NULL, &rw, &err) || risk_panel_build(w->s, &rw, &po, &panel, &err) ||
        risk_panel_save(w->s, panel, &panel_id, &err))
        fail_msg("panel: %s", err.msg);
    risk_panel_free(&panel);
    if (access_user_add(w->s, NULL, "torture-admin", ACCESS_ADMIN, "partnership", PASSWORD, false,
                        &w->admin, &err) ||
        access_user_add(w->s, NULL, "torture-panel", ACCESS_PANEL, "partnership", PASSWORD, false,
                        &w->panel, &err))
        fail_msg("users: %s", err.msg);
    w->person = count(w->s, "SELECT min(person_id) FROM risk_snapshot_person");
    if (w->person <= 0)
        fail_msg("the panel list is empty: no person to view");
    *state = w;
    return 0;
}

static int group_teardown(void **state)
{
    struct world *w = *state;
    if (!w)
        return 0;
    store_close(&w->s);
    testutil_drop_db(&w->uri);
    testutil_rmdir(&w->dir);
    free(w);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_in),    cmocka_unit_test(test_person_list),
        cmocka_unit_test(test_person),     cmocka_unit_test(test_panel_list),
        cmocka_unit_test(test_post_json),  cmocka_unit_test(test_export),
        cmocka_unit_test(test_report_dataset), cmocka_unit_test(test_report_drill),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
