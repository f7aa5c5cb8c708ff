/* Splitting a name written in one field into its parts, the way UK agency systems write
 * them: "SMITH, Jane Ann", "SMITH Jane Ann" (surname upper case, no comma), "Jane Ann
 * SMITH", "Mr J A Smith-Jones Jr", "Sir John Smith, 9th Baronet", "de la CRUZ Maria",
 * "DUNN, Kayla (Kay)". Titles and suffixes are split off so they are never compared as
 * names; a known-as name in brackets or quotes is kept apart. Only ASCII case is read: a token is
 * "upper case" when it has two or more letters and no lower-case ASCII letter. */
#include "base.h"

#include <ctype.h>
#include <string.h>

#define NAME_MAX_TOKENS 32

struct tok {
    const char *p;
    size_t n;
};

static bool word_is(const struct tok *t, const char *const *list)
{
    size_t n = t->n;
    if (n && t->p[n - 1] == '.')
        n--; /* "Mr." "Jr." */
    for (; *list; list++)
        if (strlen(*list) == n && !strncasecmp(*list, t->p, n))
            return true;
    return false;
}

static bool is_title(const struct tok *t)
{
    static const char *const titles[] = {
        "mr", "mrs", "ms", "miss", "mx", "master", "dr", "doctor", "rev", "revd", "reverend",
        "fr", "father", "sir", "dame", "lord", "lady", "prof", "professor", "hon", "capt",
        "sgt", "cllr", "rt", NULL};
    return word_is(t, titles);
}

/* "9th" "2nd" "1st" "3rd" */
static bool is_ordinal(const struct tok *t)
{
    size_t i = 0;
    while (i < t->n && isdigit((unsigned char)t->p[i]))
        i++;
    return i > 0 && t->n - i == 2 && isalpha((unsigned char)t->p[i]);
}

static bool is_suffix(const struct tok *t)
{
    static const char *const suffixes[] = {
        "jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv", "bt", "bart",
        "baronet", "esq", "obe", "mbe", "cbe", "kbe", "dbe", "qc", "kc", "phd", NULL};
    return word_is(t, suffixes);
}

/* "9th Baronet", "3rd Earl" */
static bool is_peerage(const struct tok *t)
{
    static const char *const words[] = {"baronet", "bt", "earl", "baron", "viscount",
                                        "marquess", "duke", NULL};
    return word_is(t, words);
}

/* Whether t[0..n) holds only suffixes: "Jr", "9th Baronet", "OBE". */
static bool only_suffixes(const struct tok *t, int n)
{
    for (int i = 0; i < n; i++) {
        if (is_suffix(&t[i]))
            continue;
        if (i + 1 < n && is_ordinal(&t[i]) && is_peerage(&t[i + 1])) {
            i++;
            continue;
        }
        return false;
    }
    return n > 0;
}

/* van, de, al ...: lower-case particles that belong to the surname after them. */
static bool is_particle(const struct tok *t)
{
    static const char *const particles[] = {"van", "von", "de", "der", "den", "da", "di", "du",
                                            "del", "della", "le", "la", "ter", "ten", "bin",
                                            "binti", "al", "el", "ap", NULL};
    static const char *const capitalised[] = {"van", "von", "der", "den", "de", "del",
                                              "della", "du", "ter", "ten", NULL};
    if (!t->n)
        return false;
    /* "Kayla Van Der Berg", "Ana De Souza": these are surname particles capitalised too */
    return islower((unsigned char)t->p[0]) ? word_is(t, particles) : word_is(t, capitalised);
}

static bool is_upper_word(const struct tok *t)
{
    int letters = 0;
    for (size_t i = 0; i < t->n; i++) {
        unsigned char c = (unsigned char)t->p[i];
        if (c >= 'a' && c <= 'z')
            return false;
        letters += (c >= 'A' && c <= 'Z') || c >= 0x80;
    }
    return letters >= 2;
}

static int tokenize(const char *s, size_t n, struct tok *t)
{
    int k = 0;
    size_t i = 0;
    while (i < n && k < NAME_MAX_TOKENS) {
        while (i < n && (isspace((unsigned char)s[i]) || s[i] == ','))
            i++;
        size_t a = i;
        while (i < n && !isspace((unsigned char)s[i]) && s[i] != ',')
            i++;
        if (i > a)
            t[k++] = (struct tok){s + a, i - a};
    }
    if (k == NAME_MAX_TOKENS && i < n) /* a longer run joins the last token */
        t[k - 1].n = (size_t)(s + n - t[k - 1].p);
    return k;
}

static struct svp_span span(const struct tok *t, int a, int z)
{
    if (z <= a)
        return (struct svp_span){NULL, 0};
    return (struct svp_span){t[a].p, (size_t)(t[z - 1].p + t[z - 1].n - t[a].p)};
}

/* Takes titles off the front of t[*a..*z) and suffixes off its end into the parts. */
static void strip_honorifics(const struct tok *t, int *a, int *z, struct svp_name_parts *o)
{
    int a0 = *a;
    while (*a < *z - 1 && is_title(&t[*a]))
        (*a)++;
    if (*a > a0 && !o->title.p)
        o->title = span(t, a0, *a);
    int z0 = *z;
    while (*z - 1 > *a) {
        const struct tok *l = &t[*z - 1];
        if (is_suffix(l))
            (*z)--;
        else if (*z - 2 > *a && is_ordinal(&t[*z - 2]) && is_peerage(l))
            *z -= 2;
        else
            break;
    }
    if (*z < z0 && !o->suffix.p)
        o->suffix = span(t, *z, z0);
}

/* A known-as name written inside the full name: "Kayla (Kay) DUNN", "DUNN, Kayla "Kay"",
 * "Kayla 'Kay' Dunn". The first span in brackets or quotes (a single quote only around whole
 * words, so O'Brien stays a name) goes to known_as and its tokens leave t. */
static void take_known_as(struct tok *t, int *n, struct svp_name_parts *o)
{
    for (int i = 0; i < *n; i++) {
        char open = t[i].p[0];
        char close = open == '(' ? ')' : open == '"' ? '"' : open == '\'' ? '\'' : 0;
        if (!close)
            continue;
        int j = i;
        while (j < *n && !(t[j].n >= (j == i ? 2u : 1u) && t[j].p[t[j].n - 1] == close))
            j++;
        if (j == *n)
            return; /* never closed: as written */
        const char *a = t[i].p + 1, *z = t[j].p + t[j].n - 1;
        if (z > a && !o->known_as.p)
            o->known_as = (struct svp_span){a, (size_t)(z - a)};
        memmove(&t[i], &t[j + 1], (size_t)(*n - j - 1) * sizeof *t);
        *n -= j - i + 1;
        return;
    }
}

/* Given and middle names from t[a..z). */
static void given_middle(const struct tok *t, int a, int z, struct svp_name_parts *o)
{
    o->given = span(t, a, a + 1 <= z ? a + 1 : a);
    o->middle = span(t, a + 1, z);
}

void svp_name_split(const char *s, size_t n, enum svp_name_order order,
                    struct svp_name_parts *o)
{
    memset(o, 0, sizeof *o);
    const char *comma = memchr(s, ',', n);
    struct tok t[NAME_MAX_TOKENS];
    if (comma) {
        /* "SURNAME, Given Middle"; a suffix may end either part ("SMITH Jr, John"). */
        struct tok f[NAME_MAX_TOKENS];
        int nf = tokenize(s, (size_t)(comma - s), f);
        int nt = tokenize(comma + 1, (size_t)(s + n - comma - 1), t);
        take_known_as(t, &nt, o);
        take_known_as(f, &nf, o);
        if (only_suffixes(t, nt)) {
            /* "Sir John Smith, 9th Baronet": the name is before the comma, written as
             * one says it (an upper-case surname still shows itself) */
            svp_name_split(s, (size_t)(comma - s), SVP_NAME_GIVEN_FIRST, o);
            o->suffix = span(t, 0, nt);
            return;
        }
        int a = 0, z = nt, fa = 0, fz = nf;
        strip_honorifics(t, &a, &z, o);
        strip_honorifics(f, &fa, &fz, o);
        o->family = span(f, fa, fz);
        given_middle(t, a, z, o);
        return;
    }
    int nt = tokenize(s, n, t);
    take_known_as(t, &nt, o);
    /* "LORD Ariana", "MASTER Kai": a title that is also a surname (Lord, Master, Father,
     * Dame, Lady), written in upper case before names that are not, is the surname of a
     * `SURNAME Forename` layout; only words after it are taken as titles ("MR John Smith"
     * keeps its title) */
    static const char *const surname_titles[] = {"lord", "master", "father", "dame", "lady",
                                                 NULL};
    bool title_surname = nt >= 2 && word_is(&t[0], surname_titles) && is_upper_word(&t[0]);
    for (int i = 1; i < nt && title_surname; i++)
        title_surname = !is_upper_word(&t[i]);
    int a = title_surname ? 1 : 0, z = nt;
    strip_honorifics(t, &a, &z, o);
    if (title_surname)
        a = 0;
    if (z - a == 1) {
        o->family = span(t, a, z);
        return;
    }
    if (z <= a)
        return;
    /* A run of upper-case words at one end, with a word not upper case elsewhere, is the
     * surname: "SMITH Jane", "VAN DER BERG Anna", "Jane LLOYD GEORGE". */
    int lead = a, trail = z;
    /* particles before an upper-case surname written first: "de la CRUZ Maria" */
    while (lead < z - 1 && is_particle(&t[lead]))
        lead++;
    if (lead == a || !is_upper_word(&t[lead]))
        lead = a;
    while (lead < z && is_upper_word(&t[lead]))
        lead++;
    while (trail > a && is_upper_word(&t[trail - 1]))
        trail--;
    bool mixed_rest_after = lead > a && lead < z;
    bool mixed_rest_before = trail < z && trail > a;
    bool surname_first;
    if (order == SVP_NAME_SURNAME_FIRST)
        surname_first = !(mixed_rest_before && !mixed_rest_after);
    else if (order == SVP_NAME_GIVEN_FIRST)
        surname_first = mixed_rest_after && !mixed_rest_before;
    else
        surname_first = mixed_rest_after && !mixed_rest_before;
    if (surname_first) {
        int fz = mixed_rest_after ? lead : a + 1;
        o->family = span(t, a, fz);
        given_middle(t, fz, z, o);
    } else {
        int fa = mixed_rest_before ? trail : z - 1;
        while (fa - 1 > a && is_particle(&t[fa - 1]))
            fa--;
        o->family = span(t, fa, z);
        given_middle(t, a, fa, o);
    }
}

void svp_name_given_split(const char *s, size_t n, struct svp_name_parts *o)
{
    memset(o, 0, sizeof *o);
    struct tok t[NAME_MAX_TOKENS];
    int nt = tokenize(s, n, t);
    take_known_as(t, &nt, o);
    int a = 0, z = nt;
    strip_honorifics(t, &a, &z, o);
    o->given = span(t, a, z);
}
