/* Benchmarks of the link room (run by bench/link.sh):
 *   link-bench quality febrl FILE [FILE2]   dedupe one FEBRL file, or link two
 *   link-bench quality fake FILE            dedupe splink's fake_1000 layout
 *   link-bench speed N                      dedupe N generated person records
 *   link-bench comparators PAIRS_FILE       Jaro-Winkler and OSA throughput
 * Truth columns are read only to score the result, never by the matcher. */
#include "link/link.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct recs {
    struct link_rec *r;
    int64_t *truth;
    size_t n, cap;
};

static char *trimdup(const char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        n--;
    return svp_strndup(s, n);
}

static char *normname(const char *s)
{
    char *t = trimdup(s), *out = NULL;
    struct svp_err err;
    if (svp_name_normalise(t, strlen(t), &out, &err))
        out = svp_strdup("");
    svp_free(t);
    return out;
}

static void push(struct recs *v, struct link_rec r, int64_t truth)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->r = realloc(v->r, v->cap * sizeof *v->r);
        v->truth = realloc(v->truth, v->cap * sizeof *v->truth);
        if (!v->r || !v->truth)
            abort();
    }
    v->truth[v->n] = truth;
    v->r[v->n++] = r;
}

static int load(const char *layout, const char *path, const char *source, struct recs *v)
{
    struct svp_csv *csv = NULL;
    struct svp_err err;
    if (svp_csv_open_file(path, NULL, &csv, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    struct svp_csv_row row;
    bool header = true;
    bool febrl = !strcmp(layout, "febrl");
    while (svp_csv_next(csv, &row, &err) == 1) {
        if (header) {
            header = false;
            continue;
        }
        struct link_rec r = {.id = (int64_t)v->n + 1, .source = source};
        int64_t truth = 0;
        char buf[512];
        if (febrl && row.nfields >= 10) {
            const char *id = row.fields[0].p;
            while (*id == ' ')
                id++;
            truth = strtoll(id + 4, NULL, 10);
            r.given = normname(row.fields[1].p);
            r.family = normname(row.fields[2].p);
            char *d = trimdup(row.fields[9].p);
            if (strlen(d) == 8) {
                snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
                r.dob = svp_strdup(buf);
            }
            svp_free(d);
            r.postcode = trimdup(row.fields[7].p);
            char *a[4] = {trimdup(row.fields[3].p), trimdup(row.fields[4].p),
                          trimdup(row.fields[5].p), trimdup(row.fields[6].p)};
            snprintf(buf, sizeof buf, "%s %s %s %s", a[0], a[1], a[2], a[3]);
            for (int k = 0; k < 4; k++)
                svp_free(a[k]);
            r.address = svp_strdup(buf);
            if (row.nfields >= 11 && !getenv("LINK_BENCH_NO_ID"))
                r.shared_id = trimdup(row.fields[10].p);
        } else if (!strcmp(layout, "hist") && row.nfields >= 8) {
            /* bench/link_historic.py: id,given,family,dob,sex,postcode,address,truth */
            truth = strtoll(row.fields[7].p, NULL, 10);
            r.given = normname(row.fields[1].p);
            r.family = normname(row.fields[2].p);
            r.dob = trimdup(row.fields[3].p);
            r.sex = trimdup(row.fields[4].p);
            r.postcode = trimdup(row.fields[5].p);
            r.address = trimdup(row.fields[6].p);
        } else if (!febrl && row.nfields >= 7) {
            truth = strtoll(row.fields[6].p, NULL, 10);
            r.given = normname(row.fields[1].p);
            r.family = normname(row.fields[2].p);
            r.dob = trimdup(row.fields[3].p);
            r.address = trimdup(row.fields[4].p);
            if (!getenv("LINK_BENCH_NO_EMAIL"))
                r.email = trimdup(row.fields[5].p);
        } else
            continue;
        push(v, r, truth);
    }
    svp_csv_free(&csv);
    return 0;
}

static int cmp_u64(const void *x, const void *y)
{
    const uint64_t *a = x, *b = y;
    return *a < *b ? -1 : *a > *b;
}

/* Pair precision/recall/F1 from cluster labels against truth; with cross_only, only pairs
 * of records from different sources count (linking two files). */
static void score(const struct recs *v, const uint32_t *label, bool cross_only, const char *what)
{
    size_t n = v->n;
    /* groups by (label), (truth), (label,truth); count per source side A/B */
    uint64_t *k = malloc(n * sizeof *k);
    double tp = 0, pp = 0, tt = 0;
    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < n; i++) {
            uint64_t a = pass == 0 ? label[i] : pass == 1 ? (uint64_t)v->truth[i]
                                                          : ((uint64_t)label[i] << 32) ^ (uint64_t)v->truth[i] * 0x9e3779b97f4a7c15ULL;
            k[i] = (a << 1) | (uint64_t)(v->r[i].source[0] == 'b');
        }
        qsort(k, n, sizeof *k, cmp_u64);
        double sum = 0;
        for (size_t i = 0; i < n;) {
            size_t e = i, nb = 0;
            while (e < n && (k[e] >> 1) == (k[i] >> 1))
                nb += k[e] & 1, e++;
            double sz = (double)(e - i);
            sum += cross_only ? (double)nb * (sz - (double)nb) : sz * (sz - 1) / 2;
            i = e;
        }
        if (pass == 0)
            pp = sum;
        else if (pass == 1)
            tt = sum;
        else
            tp = sum;
    }
    free(k);
    double p = pp ? tp / pp : 0, r = tt ? tp / tt : 0;
    printf("%-34s precision %.4f  recall %.4f  F1 %.4f  (true pairs %.0f, predicted %.0f)\n",
           what, p, r, p + r ? 2 * p * r / (p + r) : 0, tt, pp);
}

static bool no_household_guard;

/* True pairs no blocking rule put together (the pairs the model never saw), of all true
 * pairs (with cross_only, those across the two sources). */
static int cmp_u32_pair(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    if (a[0] != b[0])
        return a[0] < b[0] ? -1 : 1;
    return a[1] < b[1] ? -1 : a[1] > b[1];
}

static void blocking_recall(const struct recs *v, const struct link_set *s,
                            const struct link_blocking *b, const struct link_opts *o,
                            bool cross_only)
{
    size_t n = v->n, nc = 0;
    uint32_t *cand = NULL;
    struct svp_err err;
    if (link_blocking_candidates(s, b, o, &cand, &nc, &err)) {
        fprintf(stderr, "link-bench: %s\n", err.msg);
        return;
    }
    uint64_t *k = malloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++)
        k[i] = ((uint64_t)v->truth[i] << 24) | i;
    qsort(k, n, sizeof *k, cmp_u64);
    double total = 0, missed = 0;
    for (size_t g = 0; g < n;) {
        size_t e = g + 1;
        while (e < n && (k[e] >> 24) == (k[g] >> 24))
            e++;
        for (size_t x = g; x < e; x++)
            for (size_t y = x + 1; y < e; y++) {
                uint32_t pr[2] = {(uint32_t)(k[x] & 0xffffff), (uint32_t)(k[y] & 0xffffff)};
                if (pr[0] > pr[1]) {
                    uint32_t t = pr[0];
                    pr[0] = pr[1];
                    pr[1] = t;
                }
                if (cross_only && v->r[pr[0]].source[0] == v->r[pr[1]].source[0])
                    continue;
                total++;
                bool miss = !bsearch(pr, cand, nc, 2 * sizeof *cand, cmp_u32_pair);
                missed += miss;
                if (miss && getenv("LINK_BENCH_UNBLOCKED_IDS"))
                    printf("  unblocked-ids: %u %u\n", pr[0], pr[1]);
                if (miss && getenv("LINK_BENCH_UNBLOCKED"))
                    printf("  unblocked: %s|%s|%s|%s|%s|%s  ~  %s|%s|%s|%s|%s|%s\n",
                           v->r[pr[0]].given, v->r[pr[0]].family,
                           v->r[pr[0]].dob ? v->r[pr[0]].dob : "",
                           v->r[pr[0]].postcode ? v->r[pr[0]].postcode : "",
                           v->r[pr[0]].address ? v->r[pr[0]].address : "",
                           v->r[pr[0]].email ? v->r[pr[0]].email : "", v->r[pr[1]].given,
                           v->r[pr[1]].family, v->r[pr[1]].dob ? v->r[pr[1]].dob : "",
                           v->r[pr[1]].postcode ? v->r[pr[1]].postcode : "",
                           v->r[pr[1]].address ? v->r[pr[1]].address : "",
                           v->r[pr[1]].email ? v->r[pr[1]].email : "");
            }
        g = e;
    }
    free(k);
    svp_free(cand);
    printf("  blocking: %.0f of %.0f true pairs in no rule's blocks (%.2f%%); %zu candidate "
           "pairs\n", missed, total, total ? 100.0 * missed / total : 0.0, nc);
}

static int run(struct recs *v, bool link_only, const char *what, bool timing)
{
    struct svp_err err;
    struct link_set *s = NULL;
    struct link_blocking *b = NULL;
    struct link_model *m = NULL;
    struct link_pair *pairs = NULL;
    size_t np = 0;
    struct link_opts o;
    link_opts_default(&o);
    o.dedupe_within_source = !link_only;
    if (getenv("LINK_BENCH_DIAG"))
        o.review_low = 1e-12;
    const char *const *rules = link_blocking_defaults();
    size_t nr = 0;
    while (rules[nr])
        nr++;
    /* LINK_BENCH_RULES=r1,r2,... tries other rules (comparing rule sets) */
    const char *alt[LINK_MAX_RULES];
    char altbuf[4096];
    if (getenv("LINK_BENCH_RULES")) {
        snprintf(altbuf, sizeof altbuf, "%s", getenv("LINK_BENCH_RULES"));
        nr = 0;
        for (char *p = altbuf; p && nr < LINK_MAX_RULES;) {
            char *c = strchr(p, ',');
            if (c)
                *c = 0;
            alt[nr++] = p;
            p = c ? c + 1 : NULL;
        }
        rules = alt;
    }
    if (getenv("LINK_BENCH_MAX_BLOCK"))
        o.max_block = (size_t)strtoull(getenv("LINK_BENCH_MAX_BLOCK"), NULL, 10);
    double t0 = now(), c0 = cpu_now();
    struct link_stats st = {0};
    uint32_t *label = malloc(v->n * sizeof *label);
    if (link_set_new(v->r, v->n, &s, &err) || link_blocking_parse(rules, nr, &b, &err))
        goto bad;
    link_set_household_guard(s, !no_household_guard);
    if (link_model_train(s, b, &o, &m, &err))
        goto bad;
    if (getenv("LINK_BENCH_MODEL")) {
        char *txt = NULL;
        if (!link_model_save(m, &txt, &err)) {
            char *e = strstr(txt, "\ntf ");
            if (e)
                *e = 0;
            printf("%s\n", txt);
        }
        svp_free(txt);
    }
    if (getenv("LINK_BENCH_TRUE_M")) {
        /* m as the truth has it: the share of true pairs at each level (missing left out),
         * beside the model's m, to judge what EM learnt */
        double cnt[LINK_NCMP][LINK_MAX_LEVELS] = {{0}};
        for (size_t i = 0; i < v->n; i++)
            for (size_t j = i + 1; j < v->n; j++) {
                if (v->truth[i] != v->truth[j] ||
                    (link_only && v->r[i].source[0] == v->r[j].source[0]))
                    continue;
                struct link_score sc;
                link_score_pair(m, s, i, j, &sc);
                for (int c = 0; c < LINK_NCMP; c++)
                    cnt[c][sc.terms[c].level]++;
            }
        for (int c = 0; c < LINK_NCMP; c++) {
            double tot = 0;
            for (int l = 1; l < link_model_levels(c); l++)
                tot += cnt[c][l];
            for (int l = 1; l < link_model_levels(c) && tot > 0; l++)
                printf("  true m: cmp %d level %d  truth %.4f\n", c, l, cnt[c][l] / tot);
        }
        if (getenv("LINK_BENCH_ORACLE_M")) {
            /* score with m as the truth has it (u and the prior as learnt): what EM costs */
            char *txt = NULL;
            if (link_model_save(m, &txt, &err))
                goto bad;
            /* a line rewritten is at most the 60-odd characters of two %.17g numbers */
            size_t cap = 2 * strlen(txt) + 4096, len = 0;
            char *out = malloc(cap);
            if (!out)
                abort();
            for (char *line = txt, *nl; line && *line && len < cap; line = nl ? nl + 1 : NULL) {
                nl = strchr(line, '\n');
                if (nl)
                    *nl = 0;
                int c, l;
                double mm, uu;
                if (sscanf(line, "level %d %d %lf %lf", &c, &l, &mm, &uu) == 4) {
                    double tot = 0;
                    for (int k = 1; k < link_model_levels(c); k++)
                        tot += cnt[c][k];
                    if (tot > 0)
                        mm = (cnt[c][l] + 0.5) / (tot + 0.5 * (link_model_levels(c) - 1));
                    len += (size_t)snprintf(out + len, cap - len, "level %d %d %.17g %.17g\n", c,
                                            l, mm, uu);
                } else
                    len += (size_t)snprintf(out + len, cap - len, "%s\n", line);
            }
            svp_free(txt);
            link_model_free(&m);
            if (link_model_load(out, &m, &err))
                goto bad;
            free(out);
        }
    }
    double t1 = now(), c1 = cpu_now();
    if (link_pairs_make(s, b, m, &o, false, 0, &pairs, &np, &st, &err))
        goto bad;
    double t2 = now(), c2 = cpu_now();
    if (getenv("LINK_BENCH_DIAG")) {
        size_t tp50 = 0, tp95 = 0, fp95 = 0;
        for (size_t k = 0; k < np; k++) {
            bool t = v->truth[pairs[k].i] == v->truth[pairs[k].j] &&
                     (!link_only || v->r[pairs[k].i].source[0] != v->r[pairs[k].j].source[0]);
            tp50 += t;
            tp95 += t && pairs[k].p >= o.threshold;
            fp95 += !t && pairs[k].p >= o.threshold;
        }
        size_t band[2][10] = {{0}};
        for (size_t k = 0; k < np; k++) {
            bool t = v->truth[pairs[k].i] == v->truth[pairs[k].j];
            int bi = (int)(pairs[k].p * 10);
            band[t][bi > 9 ? 9 : bi]++;
        }
        for (int bi = 0; bi < 10; bi++)
            printf("  p %.1f-%.1f: true %zu false %zu\n", bi / 10.0, (bi + 1) / 10.0, band[1][bi],
                   band[0][bi]);
        if (getenv("LINK_BENCH_MISSED")) {
            int shown = 0;
            for (size_t i = 0; i < v->n && shown < 25; i++)
                for (size_t j = i + 1; j < v->n && shown < 25; j++) {
                    if (v->truth[i] != v->truth[j])
                        continue;
                    bool found = false;
                    for (size_t k = 0; k < np && !found; k++)
                        found = pairs[k].i == i && pairs[k].j == j;
                    if (!found) {
                        shown++;
                        printf("  missed: %s|%s|%s|%s  ~  %s|%s|%s|%s\n", v->r[i].given,
                               v->r[i].family, v->r[i].dob ? v->r[i].dob : "",
                               v->r[i].postcode, v->r[j].given, v->r[j].family,
                               v->r[j].dob ? v->r[j].dob : "", v->r[j].postcode);
                    }
                }
        }
        if (getenv("LINK_BENCH_LOW")) {
            /* True pairs under the threshold and not held by a guard, with their levels. */
            int shown = 0;
            int maxshown = getenv("LINK_BENCH_LOW_ALL") ? 1 << 30 : 60;
            for (size_t k = 0; k < np && shown < maxshown; k++) {
                if (v->truth[pairs[k].i] != v->truth[pairs[k].j] || pairs[k].p >= o.threshold)
                    continue;
                struct link_score sc;
                link_score_pair(m, s, pairs[k].i, pairs[k].j, &sc);
                if (sc.note)
                    continue;
                shown++;
                printf("  low %.3f: %s|%s|%s  ~  %s|%s|%s  lv", pairs[k].p, v->r[pairs[k].i].given,
                       v->r[pairs[k].i].family, v->r[pairs[k].i].dob ? v->r[pairs[k].i].dob : "",
                       v->r[pairs[k].j].given, v->r[pairs[k].j].family,
                       v->r[pairs[k].j].dob ? v->r[pairs[k].j].dob : "");
                for (int c = 0; c < LINK_NCMP; c++)
                    printf(" %s", sc.terms[c].level_name);
                printf("\n");
            }
        }
        if (getenv("LINK_BENCH_FALSE")) {
            /* The false pairs at or over the threshold, with their levels. */
            for (size_t k = 0; k < np; k++) {
                if (v->truth[pairs[k].i] == v->truth[pairs[k].j] || pairs[k].p < o.threshold)
                    continue;
                struct link_score sc;
                link_score_pair(m, s, pairs[k].i, pairs[k].j, &sc);
                printf("  false %.3f: %s|%s|%s  ~  %s|%s|%s  lv", pairs[k].p, v->r[pairs[k].i].given,
                       v->r[pairs[k].i].family, v->r[pairs[k].i].dob ? v->r[pairs[k].i].dob : "",
                       v->r[pairs[k].j].given, v->r[pairs[k].j].family,
                       v->r[pairs[k].j].dob ? v->r[pairs[k].j].dob : "");
                for (int c = 0; c < LINK_NCMP; c++)
                    printf(" %s", sc.terms[c].level_name);
                printf("\n");
            }
        }
        if (getenv("LINK_BENCH_GUARDED")) {
            /* Tally the true pairs a rule held apart, by the levels of the comparisons. */
            for (size_t k = 0; k < np; k++) {
                bool t = v->truth[pairs[k].i] == v->truth[pairs[k].j];
                struct link_score sc;
                link_score_pair(m, s, pairs[k].i, pairs[k].j, &sc);
                if (!sc.note)
                    continue;
                const struct link_rec *x = &v->r[pairs[k].i], *y = &v->r[pairs[k].j];
                printf("  guard %s: %s|%s|%s|%s  ~  %s|%s|%s|%s  lv", t ? "TRUE" : "false",
                       x->given, x->family, x->dob ? x->dob : "", x->postcode ? x->postcode : "",
                       y->given, y->family, y->dob ? y->dob : "", y->postcode ? y->postcode : "");
                for (int c = 0; c < LINK_NCMP; c++)
                    printf(" %s", sc.terms[c].level_name);
                printf(" | %.24s\n", sc.note);
            }
        }
        printf("  candidates %llu; true among kept (p>=%.2g) %zu; true >= threshold %zu; false >= "
               "threshold %zu\n", (unsigned long long)st.candidates, o.review_low, tp50, tp95,
               fp95);
    }
    if (link_cluster(s, m, pairs, np, NULL, 0, &o, label, &st, &err))
        goto bad;
    double t3 = now(), c3 = cpu_now();
    score(v, label, link_only, what);
    if (!timing)
        blocking_recall(v, s, b, &o, link_only);
    if (timing) {
        for (size_t r = 0; r < st.nrules && r < LINK_MAX_RULES; r++)
            printf("  blocking rule %-28s %llu pairs, %llu not given by an earlier rule\n",
                   rules[r], (unsigned long long)st.rule_pairs[r],
                   (unsigned long long)st.rule_new[r]);
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
        printf("  CPU seconds (all threads): prepare+train %.2f, pairs %.2f (%.2f M pairs "
               "compared per CPU second), cluster %.2f, link total %.2f\n",
               c1 - c0, c2 - c1, (double)st.candidates / (c2 - c1) / 1e6, c3 - c2, c3 - c0);
        printf("  records %zu; prepare+train %.2f s; pairs: blocking %.2f s, scoring %.2f s "
               "(%llu candidate pairs, %.2f M pairs compared/s); cluster %.2f s; total %.2f s "
               "wall, %.2f s CPU; peak memory %.0f MB\n",
               v->n, t1 - t0, st.block_seconds, st.compare_seconds,
               (unsigned long long)st.candidates,
               (double)st.candidates / st.compare_seconds / 1e6, t3 - t2, t3 - t0, cpu,
               (double)ru.ru_maxrss / 1024.0);
    }
    free(label);
    svp_free(pairs);
    link_model_free(&m);
    link_blocking_free(&b);
    link_set_free(&s);
    return 0;
bad:
    fprintf(stderr, "link-bench: %s\n", err.msg);
    return 1;
}

/* Synthetic people: names from small pools with realistic skew, dates over 18 years,
 * postcodes, and 1-4 records each with typos, nicknames, swapped day/month and missing
 * values. */
static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static char *typo(const char *s)
{
    size_t n = strlen(s);
    char *t = malloc(n + 2);
    memcpy(t, s, n + 1);
    if (n < 3)
        return t;
    size_t i = 1 + rnd() % (n - 2);
    switch (rnd() % 3) {
    case 0: t[i] = (char)('a' + rnd() % 26); break;
    case 1: { char c = t[i]; t[i] = t[i + 1]; t[i + 1] = c; } break;
    default: memmove(t + i, t + i + 1, n - i); break;
    }
    return t;
}

/* A weighted list of names read from ../shared/data/names (name,[sex,]count). */
struct wnames {
    char **name;
    char *sex;
    double *cum;
    size_t n;
};

static int wnames_load(const char *path, struct wnames *w)
{
    struct svp_csv *csv = NULL;
    struct svp_err err;
    memset(w, 0, sizeof *w);
    if (svp_csv_open_file(path, NULL, &csv, &err)) {
        fprintf(stderr, "link-bench: %s\n", err.msg);
        return 1;
    }
    struct svp_csv_row row;
    size_t cap = 0;
    double total = 0;
    bool header = true;
    while (svp_csv_next(csv, &row, &err) == 1) {
        if (header || row.nfields < 2) {
            header = false;
            continue;
        }
        if (w->n == cap) {
            cap = cap ? cap * 2 : 1024;
            w->name = realloc(w->name, cap * sizeof *w->name);
            w->sex = realloc(w->sex, cap);
            w->cum = realloc(w->cum, cap * sizeof *w->cum);
            if (!w->name || !w->sex || !w->cum)
                abort();
        }
        w->name[w->n] = normname(row.fields[0].p);
        w->sex[w->n] = row.nfields >= 3 ? row.fields[1].p[0] : 'U';
        total += strtod(row.fields[row.nfields - 1].p, NULL);
        w->cum[w->n++] = total;
    }
    svp_csv_free(&csv);
    return w->n ? 0 : 1;
}

static size_t wnames_pick(const struct wnames *w)
{
    double x = (double)(rnd() % 1000000007ULL) / 1000000007.0 * w->cum[w->n - 1];
    size_t lo = 0, hi = w->n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (w->cum[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* People with names drawn by their frequency in England and Wales (given names by births,
 * surnames by bearers), dates of birth over 18 years, postcodes in 30 districts, and 1-3
 * records each with typos, a changed date of birth and missing postcodes. */
static int speed(size_t n, const char *names_dir)
{
    struct wnames gn, sn;
    char path[1024];
    snprintf(path, sizeof path, "%s/given-names.csv", names_dir);
    if (wnames_load(path, &gn))
        return 1;
    snprintf(path, sizeof path, "%s/surnames.csv", names_dir);
    if (wnames_load(path, &sn))
        return 1;
    struct recs v = {0};
    size_t person = 0;
    char buf[64];
    while (v.n < n) {
        person++;
        size_t g = wnames_pick(&gn), f = wnames_pick(&sn);
        char dob[11], pc[12];
        int y = 2006 + (int)(rnd() % 18), mo = 1 + (int)(rnd() % 12), d = 1 + (int)(rnd() % 28);
        snprintf(dob, sizeof dob, "%04d-%02d-%02d", y, mo, d);
        snprintf(pc, sizeof pc, "LS%d %d%c%c", (int)(rnd() % 30), (int)(rnd() % 10),
                 'A' + (int)(rnd() % 26), 'A' + (int)(rnd() % 26));
        const char *sex = gn.sex[g] == 'M' ? "M" : gn.sex[g] == 'F' ? "F" : "U";
        size_t copies = 1 + rnd() % 3;
        for (size_t c = 0; c < copies && v.n < n; c++) {
            struct link_rec r = {.id = (int64_t)v.n + 1, .sex = sex};
            snprintf(buf, sizeof buf, "src%d", (int)(rnd() % 5));
            r.source = strdup(buf);
            r.given = c && rnd() % 4 == 0 ? typo(gn.name[g]) : strdup(gn.name[g]);
            r.family = c && rnd() % 5 == 0 ? typo(sn.name[f]) : strdup(sn.name[f]);
            r.dob = c && rnd() % 10 == 0 ? strdup("2010-01-01") : strdup(dob);
            r.postcode = rnd() % 3 ? strdup(pc) : NULL;
            push(&v, r, (int64_t)person);
        }
    }
    return run(&v, false, "synthetic dedupe", true);
}

static int comparators(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 1;
    size_t n = 0, cap = 0;
    char **a = NULL, **b = NULL;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *t = strchr(line, '\t');
        if (!t)
            continue;
        *t = 0;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            a = realloc(a, cap * sizeof *a);
            b = realloc(b, cap * sizeof *b);
        }
        a[n] = strdup(line);
        b[n++] = strdup(t + 1);
    }
    fclose(f);
    size_t *la = malloc(n * sizeof *la), *lb = malloc(n * sizeof *lb);
    for (size_t i = 0; i < n; i++)
        la[i] = strlen(a[i]), lb[i] = strlen(b[i]);
    int reps = 50;
    volatile double sink = 0;
    /* CPU time of this process: the figure per core, whatever else the machine runs */
    double t0 = cpu_now();
    for (int r = 0; r < reps; r++)
        for (size_t i = 0; i < n; i++)
            sink += link_jaro_winkler(a[i], la[i], b[i], lb[i]);
    double t1 = cpu_now();
    for (int r = 0; r < reps; r++)
        for (size_t i = 0; i < n; i++)
            sink += link_osa_distance(a[i], la[i], b[i], lb[i], 2);
    double t2 = cpu_now();
    for (int r = 0; r < 5; r++)
        for (size_t i = 0; i < n; i++)
            sink += link_dl_distance(a[i], la[i], b[i], lb[i], 2);
    double t3 = cpu_now();
    printf("svp jaro_winkler %.0f pairs/s (CPU time)\n", (double)n * reps / (t1 - t0));
    printf("svp osa_distance (bit-parallel, bound 2) %.0f pairs/s (CPU time)\n",
           (double)n * reps / (t2 - t1));
    printf("svp damerau_levenshtein (bound 2) %.0f pairs/s (CPU time)\n",
           (double)n * 5 / (t3 - t2));
    (void)sink;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--no-household-guard")) {
        no_household_guard = true;
        argc--;
        argv++;
    }
    if (argc >= 4 && !strcmp(argv[1], "quality")) {
        struct recs v = {0};
        if (load(argv[2], argv[3], "a", &v))
            return 1;
        if (argc >= 5 && load(argv[2], argv[4], "b", &v))
            return 1;
        char what[128];
        const char *base = strrchr(argv[3], '/');
        snprintf(what, sizeof what, "%s %s", argc >= 5 ? "link" : "dedupe",
                 base ? base + 1 : argv[3]);
        return run(&v, argc >= 5, what, false);
    }
    if (argc == 4 && !strcmp(argv[1], "speed"))
        return speed((size_t)strtoull(argv[2], NULL, 10), argv[3]);
    if (argc == 3 && !strcmp(argv[1], "comparators"))
        return comparators(argv[2]);
    fprintf(stderr, "usage: link-bench quality febrl|fake|hist FILE [FILE2] | speed N | "
                    "comparators PAIRS\n       (speed N NAMES_DIR)\n");
    return 2;
}
