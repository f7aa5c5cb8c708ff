/* Speed of the Vulnerability Tracker's scoring core at county and national scale.
 * usage: bench-risk CHILDREN [SEED]
 * Generates facts in memory (the mix a county's extracts give: most children with a few
 * facts, a few with many) in chunks of 1,000,000 children, then times what
 * risk_panel_build does after loading: sort the facts, score every child twice (the second
 * pass adds association with children on the list) and rank. The peer in the same run is
 * the naive baseline over the same facts (count of missing episodes), timed the same way.
 * The database import is not timed here (bench/risk.sh times svp panel on a database). */
#include "risk/risk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench-risk CHILDREN [SEED]\n");
        return 2;
    }
    int64_t children;
    if (svp_parse_i64(argv[1], &children) || children < 1 || children > 100000000) {
        fprintf(stderr, "bench-risk: CHILDREN must be 1..100000000\n");
        return 2;
    }
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
    if (!seed)
        seed = 42;
    struct risk_weights w;
    struct svp_err err;
    if (risk_weights_load(NULL, &w, &err)) {
        fprintf(stderr, "bench-risk: %s\n", err.msg);
        return 1;
    }
    svp_day as_of;
    if (svp_date_from_ymd(2026, 11, 1, &as_of))
        return 1;
    const size_t chunk = 1000000;
    size_t capf = chunk * 8;
    struct risk_fact *facts = svp_malloc(capf * sizeof *facts);
    double *first = svp_malloc(chunk * sizeof *first), *final = svp_malloc(chunk * sizeof *final);
    double *all = svp_malloc((size_t)children * sizeof *all);
    double *base = svp_malloc((size_t)children * sizeof *base);
    if (!facts || !first || !final || !all || !base) {
        fprintf(stderr, "bench-risk: out of memory\n");
        return 3;
    }
    double t_score = 0, t_base = 0, t_gen = 0, c_score = 0;
    size_t total_facts = 0;
    for (int64_t start = 0; start < children; start += (int64_t)chunk) {
        size_t n = (size_t)(children - start) < chunk ? (size_t)(children - start) : chunk;
        double g0 = now();
        size_t nf = 0;
        for (size_t i = 0; i < n; i++) {
            /* about 60% of children have nothing, most others 1-4 facts, 2% up to 40 */
            uint64_t r = rng(&seed) % 100;
            int k = r < 60 ? 0 : r < 98 ? 1 + (int)(rng(&seed) % 4) : 5 + (int)(rng(&seed) % 36);
            for (int j = 0; j < k && nf < capf; j++) {
                struct risk_fact *f = &facts[nf++];
                f->person = (uint32_t)i;
                f->indicator = (uint16_t)(rng(&seed) % RISK_INDICATOR_COUNT);
                f->agency = (uint8_t)(rng(&seed) % RISK_AG_COUNT);
                f->share = 1;
                f->day = as_of - (svp_day)(rng(&seed) % 1000);
                f->event_id = (int64_t)(start + (int64_t)nf);
                f->relationship_id = 0;
                f->record_id = start + (int64_t)i + 1;
                f->other = risk_indicator_second_pass(f->indicator)
                               ? (int64_t)(rng(&seed) % n) + 1
                               : 0;
            }
            if (nf < capf && i + 1 < n) /* age band fact for most */
                facts[nf++] = (struct risk_fact){.person = (uint32_t)i, .indicator = RISK_AGE_BAND,
                                                 .share = 1, .day = as_of,
                                                 .record_id = start + (int64_t)i + 1};
        }
        /* shuffle a little so the sort has work to do, as rows arrive from a database */
        for (size_t i = 0; i + 1 < nf; i += 7) {
            size_t j = i + rng(&seed) % (nf - i);
            struct risk_fact t = facts[i];
            facts[i] = facts[j];
            facts[j] = t;
        }
        double s0 = now(), cs0 = cpu();
        t_gen += s0 - g0;
        risk_facts_sort(facts, nf);
        risk_score_facts(&w, as_of, facts, nf, NULL, first, n);
        risk_score_facts(&w, as_of, facts, nf, first, final, n);
        memcpy(all + start, final, n * sizeof *final);
        double b0 = now();
        t_score += b0 - s0;
        c_score += cpu() - cs0;
        /* the naive peer: count missing episodes per child (same facts, same pass) */
        memset(base + start, 0, n * sizeof *base);
        for (size_t i = 0; i < nf; i++)
            if (facts[i].indicator == RISK_MISSING_EPISODE && facts[i].day <= as_of)
                base[start + facts[i].person] += 1;
        t_base += now() - b0;
        total_facts += nf;
    }
    double r0 = now(), cr0 = cpu();
    qsort(all, (size_t)children, sizeof *all, cmp_desc);
    double t_rank = now() - r0;
    c_score += cpu() - cr0;
    r0 = now();
    qsort(base, (size_t)children, sizeof *base, cmp_desc);
    double t_brank = now() - r0;
    printf("children %lld, facts %zu (generated in %.2f s, not counted)\n", (long long)children,
           total_facts, t_gen);
    printf("svp scoring core: sort + two passes %.3f s, rank %.3f s, total %.3f s\n", t_score,
           t_rank, t_score + t_rank);
    printf("svp scoring core CPU time (steadier on a shared machine): %.3f s\n", c_score);
    printf("naive baseline (count missing episodes): %.3f s, rank %.3f s, total %.3f s\n", t_base,
           t_brank, t_base + t_brank);
    printf("ratio svp / baseline: %.1fx; top score %.1f\n",
           (t_score + t_rank) / (t_base + t_brank > 0 ? t_base + t_brank : 1e-9), all[0]);
    svp_free(facts);
    svp_free(first);
    svp_free(final);
    svp_free(all);
    svp_free(base);
    return 0;
}
