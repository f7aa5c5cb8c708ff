/* A small driver for tests/context_check.py: runs the contexts room's statistics on input
 * from stdin so that an independent implementation (pure Python, networkx) can check them.
 *   context-tool gistar       stdin: n, then n lines "x k nb1 .. nbk"; prints n z-scores
 *   context-tool communities  stdin: "n m", then m lines "a b w"; prints n memberships and
 *                             "modularity Q" */
#include "context/context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int gistar(void)
{
    size_t n;
    if (scanf("%zu", &n) != 1 || n == 0 || n > 1000000)
        return 2;
    double *x = calloc(n, sizeof *x), *z = calloc(n, sizeof *z);
    size_t *start = calloc(n + 1, sizeof *start), *nb = NULL, cap = 0, len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        if (scanf("%lf %zu", &x[i], &k) != 2)
            return 2;
        start[i] = len;
        for (size_t j = 0; j < k; j++) {
            size_t *grown = svp_grow(nb, &cap, len + 1, sizeof *nb, 1024);
            if (!grown)
                return 1;
            nb = grown;
            if (scanf("%zu", &nb[len++]) != 1)
                return 2;
        }
    }
    start[n] = len;
    struct svp_err err;
    if (context_gistar(n, x, start, nb, z, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%.17g\n", z[i]);
    free(x);
    free(z);
    free(start);
    free(nb);
    return 0;
}

static int communities(void)
{
    size_t n, m;
    if (scanf("%zu %zu", &n, &m) != 2 || n > 1000000 || m > 10000000)
        return 2;
    int *a = calloc(m + 1, sizeof *a), *b = calloc(m + 1, sizeof *b),
        *memb = calloc(n + 1, sizeof *memb);
    double *w = calloc(m + 1, sizeof *w), q = 0;
    for (size_t i = 0; i < m; i++)
        if (scanf("%d %d %lf", &a[i], &b[i], &w[i]) != 3)
            return 2;
    struct svp_err err;
    if (context_communities(n, m, a, b, w, 0, memb, &q, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%d\n", memb[i]);
    printf("modularity %.17g\n", q);
    free(a);
    free(b);
    free(w);
    free(memb);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "gistar"))
        return gistar();
    if (argc == 2 && !strcmp(argv[1], "communities"))
        return communities();
    fputs("usage: context-tool gistar|communities < input\n", stderr);
    return 2;
}
