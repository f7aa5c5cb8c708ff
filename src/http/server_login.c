/* Sign-in throttling: the client's address (through a trusted proxy), the growing wait
 * after failed sign-ins per account and address, and sign-ins per address per minute. */
#include "server_int.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static void client_addr(struct MHD_Connection *conn, char *buf, size_t cap)
{
    svp_strlcpy(buf, "unknown", cap);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  (socklen_t)cap);
}

void http_client_addr(struct http_req *req, char *buf, size_t cap)
{
    client_addr(req->conn, buf, cap);
    const char *proxy = req->srv->opts.trusted_proxy;
    if (!proxy || !*proxy || strcmp(buf, proxy))
        return;
    /* From the trusted proxy: the client is the address it appended last to
     * X-Forwarded-For (earlier entries came from the client and may be forged). */
    const char *xff = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    size_t n = strcspn(last, " ");
    unsigned char probe[sizeof(struct in6_addr)];
    char one[INET6_ADDRSTRLEN];
    if (n == 0 || n >= sizeof one)
        return;
    memcpy(one, last, n);
    one[n] = '\0';
    if (inet_pton(AF_INET, one, probe) == 1 || inet_pton(AF_INET6, one, probe) == 1)
        svp_strlcpy(buf, one, cap);
}

static uint64_t delay_key(struct http_req *req, const char *username)
{
    char addr[INET6_ADDRSTRLEN];
    http_client_addr(req, addr, sizeof addr);
    uint64_t h = 1469598103934665603ull;
    for (const char *c = username ? username : ""; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (const char *c = addr; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ull;
    return h ? h : 1;
}

int64_t http_login_wait(struct http_req *req, const char *username)
{
    uint64_t k = delay_key(req, username);
    int64_t now = http_now_ms(), wait = 0;
    pthread_mutex_lock(&req->srv->rate_lock);
    struct delay_slot *d = &req->srv->delay[k % DELAY_SLOTS];
    if (d->key == k && d->next_at > now)
        wait = (d->next_at - now + 999) / 1000; /* whole seconds, rounded up */
    pthread_mutex_unlock(&req->srv->rate_lock);
    return wait;
}

void http_login_result(struct http_req *req, const char *username, bool ok)
{
    uint64_t k = delay_key(req, username);
    int64_t now = http_now_ms();
    pthread_mutex_lock(&req->srv->rate_lock);
    struct delay_slot *d = &req->srv->delay[k % DELAY_SLOTS];
    if (ok) {
        if (d->key == k)
            memset(d, 0, sizeof *d);
    } else {
        if (d->key != k) { /* a new pair (or a collision: the newer one takes the slot) */
            d->key = k;
            d->failures = 0;
        }
        d->failures++;
        int shift = d->failures - 3;
        d->next_at =
            shift < 0 ? 0 : now + 1000 * (shift >= 10 ? 900 : (int64_t)1 << shift);
        if (d->next_at - now > 900 * 1000)
            d->next_at = now + 900 * 1000;
    }
    pthread_mutex_unlock(&req->srv->rate_lock);
}

bool http_login_allowed(struct http_req *req)
{
    struct http_server *srv = req->srv;
    char addr[INET6_ADDRSTRLEN];
    http_client_addr(req, addr, sizeof addr);
    int64_t minute = (int64_t)time(NULL) / 60;
    /* A small fixed table: the address hashes to a slot; a collision shares a budget,
     * which errs on the side of refusing. */
    uint32_t h = 2166136261u;
    for (const char *c = addr; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    pthread_mutex_lock(&srv->rate_lock);
    struct rate_slot *s = &srv->rate[h % RATE_SLOTS];
    if (s->window != minute || strcmp(s->addr, addr)) {
        svp_strlcpy(s->addr, addr, sizeof s->addr);
        s->window = minute;
        s->count = 0;
    }
    bool ok = s->count < srv->opts.login_per_minute;
    if (ok)
        s->count++;
    pthread_mutex_unlock(&srv->rate_lock);
    return ok;
}
