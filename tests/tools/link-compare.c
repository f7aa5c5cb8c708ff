/* Reads "A<TAB>B" lines and prints Jaro-Winkler, Damerau-Levenshtein and OSA distance per
 * line, for the differential test against python3-jellyfish (tests/link-jellyfish.py). */
#include "link/link.h"

#include <string.h>

int main(void)
{
    char line[1024];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strcspn(line, "\n");
        line[n] = 0;
        char *tab = strchr(line, '\t');
        if (!tab)
            return 1;
        *tab = 0;
        const char *a = line, *b = tab + 1;
        size_t al = strlen(a), bl = strlen(b);
        printf("%.12f\t%d\t%d\n", link_jaro_winkler(a, al, b, bl),
               link_dl_distance(a, al, b, bl, -1), link_osa_distance(a, al, b, bl, -1));
    }
    return 0;
}
