/* Operational logging and terminal progress. Log lines carry counts and svp's own ids,
 * never personal data. */
#include "base.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum svp_log_level log_threshold(void)
{
    const char *v = getenv("SVP_LOG");
    if (!v)
        return SVP_LOG_WARN;
    if (!strcmp(v, "error"))
        return SVP_LOG_ERROR;
    if (!strcmp(v, "info"))
        return SVP_LOG_INFO;
    if (!strcmp(v, "debug"))
        return SVP_LOG_DEBUG;
    return SVP_LOG_WARN;
}

void svp_log(enum svp_log_level level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    if (level > log_threshold())
        return;
    char ts[32];
    svp_time_format((svp_time)time(NULL), ts, sizeof ts);
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s svp %s: %s\n", ts, names[level], line);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void svp_progress_start(struct svp_progress *p, const char *label, uint64_t total, bool quiet)
{
    p->label = label;
    p->total = total;
    p->enabled = !quiet && isatty(STDERR_FILENO);
    p->last_ms = 0;
}

static void progress_print(struct svp_progress *p, uint64_t done, bool final)
{
    if (p->total)
        fprintf(stderr, "\r%s: %llu/%llu (%d%%)%s", p->label, (unsigned long long)done,
                (unsigned long long)p->total, (int)(done * 100 / p->total), final ? "\n" : "");
    else
        fprintf(stderr, "\r%s: %llu%s", p->label, (unsigned long long)done, final ? "\n" : "");
    fflush(stderr);
}

void svp_progress_update(struct svp_progress *p, uint64_t done)
{
    if (!p->enabled)
        return;
    int64_t t = now_ms();
    if (t - p->last_ms < 200)
        return;
    p->last_ms = t;
    progress_print(p, done, false);
}

void svp_progress_end(struct svp_progress *p, uint64_t done)
{
    if (p->enabled)
        progress_print(p, done, true);
}
