/* UK postcodes in what agencies write: a postcode field, a partial one, or an address with
 * the postcode inside it. The shapes are Royal Mail's (outward code A9, A99, A9A, AA9,
 * AA99, AA9A; inward code 9AA). */
#include "base.h"

#include <ctype.h>
#include <string.h>

static bool outward_shape(const char *c, size_t n)
{
    if (n < 2 || n > 4 || !isalpha((unsigned char)c[0]))
        return false;
    size_t k = 1;
    if (isalpha((unsigned char)c[k]))
        k++; /* AA... */
    if (k >= n || !isdigit((unsigned char)c[k]))
        return false;
    k++;
    if (k == n)
        return true; /* A9, AA9 */
    if (k + 1 != n)
        return false;
    /* A99, AA99, A9A, AA9A */
    return isdigit((unsigned char)c[k]) || isalpha((unsigned char)c[k]);
}

static bool inward_shape(const char *c)
{
    return isdigit((unsigned char)c[0]) && isalpha((unsigned char)c[1]) &&
           isalpha((unsigned char)c[2]);
}

/* Letters and digits upper-cased with spaces dropped; 0 when anything else is in s or it
 * is longer than a postcode. */
static size_t compact(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ' ' || ch == '\t')
            continue;
        if (!isalnum(ch) || k == 7)
            return 0;
        out[k++] = (char)toupper(ch);
    }
    out[k] = '\0';
    return k;
}

static bool shape(const char *c, size_t k, char out[SVP_POSTCODE_CAP])
{
    if (k < 5 || k > 7)
        return false;
    bool ok = (k == 6 && !memcmp(c, "GIR0AA", 6)) || (outward_shape(c, k - 3) && inward_shape(c + k - 3));
    if (!ok)
        return false;
    memcpy(out, c, k - 3);
    out[k - 3] = ' ';
    memcpy(out + k - 2, c + k - 3, 3);
    out[k + 1] = '\0';
    return true;
}

bool svp_postcode_canonical(const char *s, size_t n, char out[SVP_POSTCODE_CAP])
{
    char c[8];
    size_t k = s ? compact(s, n, c) : 0;
    return k && shape(c, k, out);
}

bool svp_postcode_outward(const char *s, size_t n, char out[SVP_POSTCODE_CAP])
{
    char c[8];
    size_t k = s ? compact(s, n, c) : 0;
    if (!k || !outward_shape(c, k))
        return false;
    memcpy(out, c, k + 1);
    return true;
}

bool svp_postcode_find(const char *s, size_t n, char out[SVP_POSTCODE_CAP])
{
    if (!s)
        return false;
    if (svp_postcode_canonical(s, n, out))
        return true;
    /* the words of letters and digits, from the end: a word that is a whole postcode, or a
     * word that is an inward code after one that is an outward code */
    size_t e = n;
    size_t next_a = 0, next_n = 0; /* the word after this one */
    while (e > 0) {
        while (e > 0 && !isalnum((unsigned char)s[e - 1]))
            e--;
        size_t a = e;
        while (a > 0 && isalnum((unsigned char)s[a - 1]))
            a--;
        if (a == e)
            break;
        size_t len = e - a;
        char c[8];
        if (len >= 5 && len <= 7 && compact(s + a, len, c) && shape(c, len, out))
            return true;
        if (next_n == 3 && len >= 2 && len <= 4) {
            char two[8];
            memcpy(two, s + a, len);
            memcpy(two + len, s + next_a, 3);
            size_t k = compact(two, len + 3, c);
            if (k && shape(c, k, out))
                return true;
        }
        next_a = a, next_n = len;
        e = a;
    }
    return false;
}

bool svp_postcode_pseudo(const char *canon)
{
    return canon && !strncmp(canon, "ZZ99 ", 5);
}
