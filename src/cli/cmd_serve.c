/* `svp serve`: the web application and JSON API. */
#include "cli.h"
#include "http/http.h"

#include <signal.h>
#include <string.h>

static const char serve_help[] =
    "usage: svp serve [--listen HOST:PORT] [--web DIR] [--threads N]\n"
    "                 [--tls-cert PEM --tls-key PEM] [--behind-tls-proxy]\n"
    "                 [--session-hours N] [--login-rate N] [--port-file FILE]\n"
    "                 [--trusted-proxy ADDR] [--idle-minutes N] [--wait SECONDS]\n"
    "                 [--builds N]\n"
    "\n"
    "serves the browser application (DIR, default web/dist) and the JSON API under\n"
    "/api/v1/ until interrupted. --listen defaults to 127.0.0.1:8080 (port 0: any free\n"
    "port, written to --port-file). With --tls-cert and --tls-key svp speaks HTTPS itself;\n"
    "otherwise it must sit behind a TLS proxy (--behind-tls-proxy marks cookies Secure).\n"
    "--login-rate: sign-in attempts per client address a minute (default 10).\n"
    "--idle-minutes: a session unused this long ends (default 30), beside --session-hours.\n"
    "--threads N: requests using the database at once (default 4); each connection has its\n"
    "own thread, so a slow request holds up only itself.\n"
    "--builds N: expensive views (a panel for a new date, the network, hotspots) built at\n"
    "once (default 2), one per user; a request that would wait more than 10 s for one gets\n"
    "503 with Retry-After, and pages that need no build are never held up by them.\n"
    "--trusted-proxy ADDR: the TLS proxy's address; from it the client address is the last\n"
    "entry of X-Forwarded-For (for sign-in throttling per client), from anyone else the\n"
    "header is ignored. Repeated failed sign-ins wait 1 s, 2 s, 4 s ... (at most 15 min)\n"
    "per account and client address; no account is ever locked by failures.\n"
    "--wait SECONDS: how long a write (the audit trail, a sign-in, a saved minute) waits\n"
    "for another svp process writing the database (default 10) before the request fails.\n"
    "Users are made with 'svp user add'.\n";

static int parse_listen(const char *s, char *host, size_t cap, int *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon)
        return -1;
    size_t hl = (size_t)(colon - s);
    if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') {
        s++;
        hl -= 2;
    }
    if (hl == 0 || hl >= cap)
        return -1;
    memcpy(host, s, hl);
    host[hl] = '\0';
    int64_t p;
    if (svp_parse_i64(colon + 1, &p) || p < 0 || p > 65535)
        return -1;
    *port = (int)p;
    return 0;
}

int cmd_serve(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *listen = "127.0.0.1:8080", *web = NULL, *threads_s = NULL, *cert = NULL,
               *key = NULL, *hours_s = NULL, *rate_s = NULL, *port_file = NULL,
               *trusted = NULL, *idle_s = NULL, *builds_s = NULL;
    bool proxy = false;
    const struct cli_opt opts[] = {
        {"listen", &listen, NULL},       {"web", &web, NULL},
        {"threads", &threads_s, NULL},   {"tls-cert", &cert, NULL},
        {"tls-key", &key, NULL},         {"behind-tls-proxy", NULL, &proxy},
        {"session-hours", &hours_s, NULL}, {"login-rate", &rate_s, NULL},
        {"port-file", &port_file, NULL}, {"trusted-proxy", &trusted, NULL},
        {"idle-minutes", &idle_s, NULL}, {"builds", &builds_s, NULL},
        {NULL, NULL, NULL},
    };
    const char *pos[1];
    int npos;
    struct svp_err err;
    int go = cli_begin("serve", serve_help, argc, argv, opts, ctx, pos, 0, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    char host[64];
    int port;
    if (parse_listen(listen, host, sizeof host, &port))
        return cli_usage_error("serve", "--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
    int64_t threads = 4, hours = 8, rate = 10;
    if (threads_s && (svp_parse_i64(threads_s, &threads) || threads < 1 || threads > 64))
        return cli_usage_error("serve", "--threads must be from 1 to 64");
    if (hours_s && (svp_parse_i64(hours_s, &hours) || hours < 1 || hours > 24))
        return cli_usage_error("serve", "--session-hours must be from 1 to 24");
    if (rate_s && (svp_parse_i64(rate_s, &rate) || rate < 1 || rate > 100000))
        return cli_usage_error("serve", "--login-rate must be from 1 to 100000");
    int64_t builds = 2;
    if (builds_s && (svp_parse_i64(builds_s, &builds) || builds < 1 || builds > 16))
        return cli_usage_error("serve", "--builds must be from 1 to 16");
    int64_t idle = 30;
    if (idle_s && (svp_parse_i64(idle_s, &idle) || idle < 1 || idle > 24 * 60))
        return cli_usage_error("serve", "--idle-minutes must be from 1 to 1440");
    if (!web)
        web = getenv("SVP_WEB") ? getenv("SVP_WEB") : "web/dist";

    int wait_ms;
    if (cli_wait_ms(ctx, &wait_ms, &err))
        return cli_fail(&err);
    struct store *s = NULL; /* migrate first so the server's pool opens a current schema */
    if (cli_open_db(ctx, true, &s, &err))
        return cli_fail(&err);
    store_close(&s);

    /* Block the stop signals in every thread; this one waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct http_server_opts o = {.db_uri = ctx->db_uri, .host = host, .port = port,
                                 .threads = (int)threads, .web_root = web, .tls_cert = cert,
                                 .tls_key = key, .secure_cookies = proxy,
                                 .session_ttl = hours * 3600, .login_per_minute = (int)rate,
                                 .trusted_proxy = trusted, .idle_timeout = idle * 60,
                                 .wait_set = true, .wait_ms = wait_ms,
                                 .builds = (int)builds};
    struct http_server *srv = NULL;
    if (http_server_start(&o, &srv, &err))
        return cli_fail(&err);
    int actual = http_server_port(srv);
    bool v6 = strchr(host, ':') != NULL;
    printf("svp: serving %s://%s%s%s:%d/ (database %s)\n", http_server_tls(srv) ? "https" : "http",
           v6 ? "[" : "", host, v6 ? "]" : "", actual, ctx->db_uri);
    if (!http_server_tls(srv))
        printf("svp: no TLS here: outside this machine svp must sit behind a TLS proxy\n");
    fflush(stdout);
    if (port_file) {
        FILE *f = fopen(port_file, "w");
        if (f) {
            fprintf(f, "%d\n", actual);
            fclose(f);
        }
    }
    int sig = 0;
    sigwait(&stop, &sig);
    printf("svp: stopping\n");
    http_server_stop(&srv);
    return 0;
}
