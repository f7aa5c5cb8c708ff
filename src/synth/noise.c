/* Identity noise: the ways a person's details go wrong as agencies key them in. Each
 * function changes one thing so tests and truth/corruptions.csv can name the kind. */
#include "synth.h"

#include <string.h>

/* Neighbouring keys on a UK QWERTY keyboard, for replacement slips. */
static const char *const keyboard_near[26] = {
    "qwsz",   "vghn",  "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
    "huikmn", "jiolm", "kop",  "njk",    "bhjm", "iklp",   "ol",     "wa",     "edft",
    "awedxz", "rfgy",  "yhji", "cfgb",   "qase", "zsdc",   "tghu",   "asx",
};

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool synth_noise_typo(const char *name, struct synth_rng *r, char *out, size_t cap)
{
    size_t n = strlen(name);
    svp_strlcpy(out, name, cap);
    if (n < 3 || n + 2 > cap)
        return false;
    /* Slips land after the first letter: people rarely mistype a name's initial. */
    for (int attempt = 0; attempt < 8; attempt++) {
        size_t i = 1 + (size_t)synth_rng_below(r, n - 1);
        if (!is_letter(name[i]))
            continue;
        switch (synth_rng_below(r, 4)) {
        case 0: /* deletion */
            memmove(out + i, name + i + 1, n - i);
            break;
        case 1: /* doubling */
            memmove(out + i + 1, name + i, n - i + 1);
            break;
        case 2: { /* neighbouring key */
            const char *near = keyboard_near[lower(name[i]) - 'a'];
            out[i] = near[synth_rng_below(r, strlen(near))];
            break;
        }
        default: /* transposition with the next letter */
            if (i + 1 >= n || !is_letter(name[i + 1]) || lower(name[i]) == lower(name[i + 1]))
                continue;
            out[i] = lower(name[i + 1]);
            out[i + 1] = lower(name[i]);
            break;
        }
        if (strcmp(out, name))
            return true;
        svp_strlcpy(out, name, cap);
    }
    return false;
}

bool synth_noise_strip_accents(const char *name, char *out, size_t cap)
{
    /* Only the Latin-1 letters synth adds; their UTF-8 form is 0xC3 then one byte. */
    static const struct {
        unsigned char second;
        char plain;
    } map[] = {{0xA9, 'e'}, {0xAB, 'e'}, {0xAF, 'i'}, {0xB6, 'o'}, {0xBC, 'u'},
               {0xA1, 'a'}, {0xAD, 'i'}, {0xB3, 'o'}, {0xB1, 'n'}, {0x89, 'E'}};
    size_t o = 0;
    bool changed = false;
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 1 < cap; p++) {
        if (p[0] == 0xC3 && p[1]) {
            size_t k;
            for (k = 0; k < sizeof map / sizeof map[0]; k++)
                if (map[k].second == p[1])
                    break;
            if (k < sizeof map / sizeof map[0]) {
                out[o++] = map[k].plain;
                p++;
                changed = true;
                continue;
            }
        }
        out[o++] = (char)*p;
    }
    out[o] = '\0';
    return changed;
}

bool synth_noise_hyphen_part(const char *name, struct synth_rng *r, char *out, size_t cap)
{
    const char *h = strchr(name, '-');
    if (!h || h == name || !h[1]) {
        svp_strlcpy(out, name, cap);
        return false;
    }
    if (synth_rng_chance(r, 0.5)) {
        size_t n = (size_t)(h - name);
        if (n >= cap)
            n = cap - 1;
        memcpy(out, name, n);
        out[n] = '\0';
    } else {
        svp_strlcpy(out, h + 1, cap);
    }
    return true;
}

bool synth_noise_dob_swap(svp_day dob, svp_day *out)
{
    int y, m, d;
    svp_date_to_ymd(dob, &y, &m, &d);
    *out = dob;
    if (d > 12 || d == m)
        return false;
    return svp_date_from_ymd(y, d, m, out) == SVP_OK;
}

bool synth_noise_dob_typo(svp_day dob, struct synth_rng *r, svp_day *out)
{
    int y, m, d;
    svp_date_to_ymd(dob, &y, &m, &d);
    *out = dob;
    for (int attempt = 0; attempt < 16; attempt++) {
        int ny = y, nm = m, nd = d;
        int digit = (int)synth_rng_below(r, 10);
        switch (synth_rng_below(r, 4)) {
        case 0:
            nd = (d / 10) * 10 + digit;
            break; /* day's units */
        case 1:
            nd = digit * 10 + d % 10;
            break; /* day's tens */
        case 2:
            nm = (m / 10) * 10 + digit;
            break; /* month's units */
        default:
            ny = (y / 10) * 10 + digit;
            break; /* year's last digit */
        }
        svp_day v;
        if ((ny != y || nm != m || nd != d) && svp_date_from_ymd(ny, nm, nd, &v) == SVP_OK) {
            *out = v;
            return true;
        }
    }
    return false;
}
