/* Fuzz target: the web server end to end, one HTTP request per input over a real socket, so
 * the fuzzer drives every route's request parsing (path ids, query parameters, JSON bodies)
 * and the handlers behind them. Input layout:
 *   byte 0  which route of the route table (its method and pattern)
 *   byte 1  which account's fresh session sends it (none, or one per role)
 *   byte 2  the {id} in the path (0 is not a valid id)
 *   then    the query string up to the first newline, then the request body.
 * Byte 0 = 255 sends the rest as raw request text instead. Every request must be answered,
 * and never with a 5xx: bad input is a 4xx with a message. The server and its database (a
 * temporary SQLite file with two linked persons and an account per role) are set up once. */
#include "access/access.h"
#include "http/http.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
    struct store *s;
    struct http_server *srv;
    int port;
    int64_t uid[5], target_uid;
    char uri[256];
} g;

static void die(const char *what, const struct svp_err *err)
{
    fprintf(stderr, "fuzz-server setup: %s: %s\n", what, err ? err->msg : "");
    abort();
}

static void setup_once(void)
{
    struct svp_err err;
    char dir[] = "/tmp/svp-fuzz-server-XXXXXX";
    if (!mkdtemp(dir))
        die("mkdtemp", NULL);
    snprintf(g.uri, sizeof g.uri, "%s/svp.db", dir);
    struct store_migration_status ms;
    if (store_open(g.uri, STORE_OPEN_CREATE, &g.s, &err) || store_migrate(g.s, &ms, &err))
        die("database", &err);
    if (store_exec(g.s,
                   "INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES "
                   "('police-niche', 'police', 'p.csv', 'aa', '2026-01-01T00:00:00Z'),"
                   "('csc-lcs', 'csc', 'c.csv', 'bb', '2026-01-01T00:00:00Z');"
                   "INSERT INTO record (source, agency, agency_record_id, given_name, "
                   "family_name, dob, sex, postcode, area, norm_given, norm_family, file_id, "
                   "line) VALUES ('police-niche', 'police', 'P1', 'Ama', 'Mensah', "
                   "'2011-02-03', 'F', 'AB1 2CD', 'North', 'ama', 'mensah', 1, 2),"
                   "('csc-lcs', 'csc', 'C1', 'Amma', 'Mensah', '2011-02-03', 'F', 'AB1 2CD', "
                   "'North', 'amma', 'mensah', 2, 2);"
                   "INSERT INTO person (created_at) VALUES ('2026-01-01');"
                   "INSERT INTO person_record (record_id, person_id) VALUES (1, 1), (2, 1);"
                   "INSERT INTO event (source, agency, agency_event_id, record_id, type, "
                   "started_at, file_id, line) VALUES ('police-niche', 'police', 'E1', 1, "
                   "'missing_episode', '2026-02-01T22:00:00Z', 1, 5)",
                   &err))
        die("fixture data", &err);
    static const enum access_role roles[5] = {ACCESS_ADMIN, ACCESS_ANALYST, ACCESS_PANEL,
                                              ACCESS_PRACTITIONER, ACCESS_AUDITOR};
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "fuzz%d", i);
        if (access_user_add(g.s, NULL, name, roles[i], i == 3 ? "police" : "partnership",
                            "a long fuzz password", false, &g.uid[i], &err))
            die("account", &err);
    }
    if (access_user_add(g.s, NULL, "target", ACCESS_PRACTITIONER, "csc", "a long fuzz password",
                        false, &g.target_uid, &err))
        die("account", &err);
    struct http_server_opts o = {.db_uri = g.uri,
                                 .host = "127.0.0.1",
                                 .threads = 1,
                                 .login_per_minute = 100000,
                                 .max_body = 16384};
    if (http_server_start(&o, &g.srv, &err))
        die("server", &err);
    g.port = http_server_port(g.srv);
}

/* The length of a whole reply whose head is in buf (got bytes): the head plus its
 * Content-Length; 0 while the head is incomplete or carries no length. */
static size_t reply_length(const char *buf, size_t got)
{
    const char *end = NULL;
    for (size_t i = 0; i + 3 < got && !end; i++)
        if (!memcmp(buf + i, "\r\n\r\n", 4))
            end = buf + i + 4;
    if (!end)
        return 0;
    for (const char *p = buf; p < end; p++) {
        if ((p == buf || p[-1] == '\n') && !strncasecmp(p, "Content-Length:", 15)) {
            char *stop;
            unsigned long long n = strtoull(p + 15, &stop, 10);
            if (stop != p + 15)
                return (size_t)(end - buf) + (size_t)n;
        }
    }
    return 0;
}

/* Sends req and returns the reply's status (-1: no reply). A request built from a route says
 * Connection: close and its length, so the socket stays open both ways until the reply (a
 * server may drop a connection whose client has closed its side while the answer is being
 * worked out, e.g. a sign-in hashing a password). Raw text may ask to keep the connection
 * alive: the reply is read until it is whole (its head and Content-Length), not until the
 * server closes, since a kept-alive connection stays open until the server's idle timeout
 * (30 s) when the server has not seen the half-close. */
static int send_request(const char *req, size_t len, bool raw)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        abort();
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        if (errno != EINTR)
            abort();
        /* interrupted by a signal: the connect goes on; wait until it is done */
        struct pollfd pf = {.fd = fd, .events = POLLOUT};
        while (poll(&pf, 1, -1) < 0)
            if (errno != EINTR)
                abort();
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) || soerr)
            abort();
    }
    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the server may answer and close before reading everything */
        off += (size_t)n;
    }
    if (raw) {
        shutdown(fd, SHUT_WR); /* raw text may not end a request: say no more is coming */
        /* and may leave the server waiting for the rest: libmicrohttpd does not always see
         * the half-close and then holds the connection until its idle timeout (30 s), so
         * after 5 s of silence a raw request counts as unanswered (which raw text may be) */
        struct timeval tv = {.tv_sec = 5};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    char buf[4096];
    size_t got = 0, total = 0, whole = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
        if (n < 0 && errno == EINTR)
            continue; /* libFuzzer's timeout timer (SIGALRM each second) interrupts waits */
        if (n < 0 && total == 0 && !(raw && (errno == EAGAIN || errno == EWOULDBLOCK)))
            fprintf(stderr, "fuzz-server: recv: %s\n", strerror(errno));
        if (n <= 0)
            break;
        total += (size_t)n;
        if (!whole)
            whole = reply_length(buf, got + (size_t)n);
        got += (size_t)n;
        if (got == sizeof buf - 1)
            got = 16; /* keep the status line; the rest is not looked at */
        if (raw && whole && total >= whole)
            break;
    }
    close(fd);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    buf[got] = '\0';
    int status = -1;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
        status = -1;
    if (status < 0 && !raw) /* what the abort below needs to be understood */
        fprintf(stderr, "fuzz-server: no reply after %.1f s (%zu bytes read): %.60s\n",
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                total, req);
    return status;
}

/* Writes pattern with {id} replaced into out. */
static void fill_path(const char *pattern, int64_t id, char *out, size_t cap)
{
    const char *brace = strstr(pattern, "{id}");
    if (!brace)
        snprintf(out, cap, "%s", pattern);
    else
        snprintf(out, cap, "%.*s%lld%s", (int)(brace - pattern), pattern, (long long)id, brace + 4);
}

/* libFuzzer calls this once before any input: the accounts' argon2id hashes (seconds each
 * on a busy machine) are not counted against the first input's -timeout. The corpus replay
 * (replay.c) does not call it, so the first input still sets up when needed. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setup_once();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g.srv)
        setup_once();
    if (size < 3 || size > 16384)
        return 0;
    char *req = malloc(size + 8192);
    if (!req)
        abort();
    size_t len;
    if (data[0] == 255) {
        memcpy(req, data + 1, size - 1);
        len = size - 1;
    } else {
        size_t nroutes;
        const struct http_route *routes = http_routes(&nroutes);
        const struct http_route *r = &routes[data[0] % nroutes];
        int who = data[1] % 6; /* 0: no session */
        char cookie[256] = "";
        if (who) {
            struct access_session as;
            struct svp_err err;
            if (access_session_create(g.s, g.uid[who - 1], (svp_time)time(NULL), 3600, &as, &err))
                die("session", &err);
            snprintf(cookie, sizeof cookie, "Cookie: svp_session=%s\r\nX-CSRF-Token: %s\r\n",
                     as.token, as.csrf);
        }
        /* user routes name the target account, so the fuzzer's own stay usable */
        int64_t id = strncmp(r->pattern, "/api/v1/users/", 14) ? data[2] : g.target_uid;
        char path[256];
        fill_path(r->pattern, id, path, sizeof path);
        const char *rest = (const char *)data + 3;
        size_t nrest = size - 3;
        const char *nl = memchr(rest, '\n', nrest);
        size_t qlen = nl ? (size_t)(nl - rest) : 0;
        const char *body = nl ? nl + 1 : rest;
        size_t blen = nrest - (size_t)(body - rest);
        if (qlen > 2048)
            qlen = 2048;
        int n = snprintf(req, 8192,
                         "%s %s%s%.*s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
                         "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                         r->method, path, qlen ? "?" : "", (int)qlen, rest, cookie, blen);
        if (n < 0 || n >= 8192)
            abort();
        memcpy(req + n, body, blen);
        len = (size_t)n + blen;
    }
    int status = send_request(req, len, data[0] == 255);
    free(req);
    /* 505: raw text naming an HTTP version other than 1.0 or 1.1, answered by the protocol
     * layer (libmicrohttpd), not by a handler */
    if ((status >= 500 && !(status == 505 && data[0] == 255)) || (status < 0 && data[0] != 255)) {
        fprintf(stderr, "fuzz-server: answered %d\n", status);
        abort();
    }
    return 0;
}
