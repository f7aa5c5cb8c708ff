/* The web server's test fixture, shared by test_http.c and test_http_matrix.c: a migrated
 * store with a few persons and one user per role, a server on a loopback port, and a tiny
 * HTTP client (request, expect, sessions). */
#ifndef SVP_TEST_HTTP_FIXTURE_H
#define SVP_TEST_HTTP_FIXTURE_H

#include "testutil.h"

#include "access/access.h"
#include "http/http.h"
#include "link/link.h"
#include "registers/registers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct fixture {
    char *uri;
    struct store *s;
    char *webdir;
    struct http_server *srv;
    int port;
    int64_t uid[6];       /* users by role_users index (0 unused) */
    int64_t target_uid;   /* a user the matrix may disable and reset */
    int64_t person_police, person_csc, record_police, record_csc;
};

struct resp {
    int status;
    char head[4096];
    char *body;
    size_t body_len;
};

struct session {
    char token[ACCESS_TOKEN_LEN + 1];
    char csrf[ACCESS_TOKEN_LEN + 1];
};

extern const char *const role_users[];
int64_t q64(struct store *s, const char *sql);
void add_fixture_data(struct fixture *f);
extern const char *const agency_of[];
int setup(void **state);
int teardown(void **state);
void resp_free(struct resp *r);
struct resp raw(int port, const char *req, size_t len);
struct resp request(struct fixture *f, const char *method, const char *path,
                           const struct session *sess, const char *body, const char *extra);
struct resp expect(struct fixture *f, const char *method, const char *path,
                          const struct session *sess, const char *body, int status);
void expect_status(struct fixture *f, const char *method, const char *path,
                          const struct session *sess, const char *body, int status);
struct session session_for(struct fixture *f, int64_t uid);
void assert_clear_4xx(const struct resp *r, const char *what);
void expect_refused(struct fixture *f, const char *method, const char *path,
                           const struct session *sess, const char *body, int status,
                           const char *what);

#endif
