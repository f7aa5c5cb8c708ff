/* The blocking keys: a record's value for each blocking field and, from the values, its key
 * under a rule (a hash under an equality rule, a packed sort key under a sorted
 * neighbourhood, one for each of its names under an any_name rule); and its names as sets
 * of letters for the letters filter. blocking.c builds the index from them. */
#include "link_internal.h"

#include <stdio.h>
#include <string.h>

/* The value of one blocking field of a record, or NULL/"" when missing. */
static const char *bfield_value(const struct srec *r, enum bfield f, char *tmp, size_t *len)
{
    const char *v = "";
    size_t n = 0;
    switch (f) {
    case BF_GIVEN: v = r->gfirst, n = r->g1len; break;
    case BF_FAMILY: v = r->family, n = r->flen; break;
    case BF_GIVEN_OR_FAMILY: /* the one name a record with one name has, in either field */
        if (r->g1len)
            v = r->gfirst, n = r->g1len;
        else
            v = r->family, n = r->flen;
        break;
    case BF_FAMILY_OR_GIVEN:
        if (r->flen)
            v = r->family, n = r->flen;
        else
            v = r->gfirst, n = r->g1len;
        break;
    case BF_GIVEN1: v = r->gfirst, n = r->g1len ? 1 : 0; break;
    case BF_FAMILY1: v = r->family, n = r->flen ? 1 : 0; break;
    case BF_GIVEN_PH: v = r->gph, n = strlen(r->gph); break;
    case BF_FAMILY_PH: v = r->fph, n = strlen(r->fph); break;
    case BF_DOB: v = r->dob, n = strlen(r->dob); break;
    case BF_DOB_YEAR: v = r->dob, n = r->dob[0] ? 4 : 0; break;
    case BF_DOB_MD: v = r->dob[0] ? r->dob + 5 : "", n = r->dob[0] ? 5 : 0; break;
    case BF_DOB_YEAR3: /* the year without its tens digit: 1983 and 1993 one value */
        if (r->dobp.ok) {
            n = (size_t)snprintf(tmp, 128, "%03d%d", r->dobp.y / 100, r->dobp.y % 10);
            v = tmp;
        }
        break;
    case BF_DOB_DM:
        if (r->dobp.ok) {
            n = (size_t)snprintf(tmp, 128, "%02d%02d", r->dobp.day, r->dobp.m);
            v = tmp;
        }
        break;
    case BF_POSTCODE: v = r->pc.full, n = r->pc.len; break;
    case BF_SECTOR: v = r->pc.sector, n = strlen(r->pc.sector); break;
    case BF_DISTRICT: v = r->pc.district, n = strlen(r->pc.district); break;
    case BF_SEX: v = r->sex, n = (r->sex[0] && strchr("MFXmfx", r->sex[0])) ? 1 : 0; break;
    case BF_SOURCE: v = r->source, n = strlen(r->source); break;
    case BF_NAMES:
        /* both names in alphabetical order, so "smith john" blocks with "john smith" */
        if (r->g1len && r->flen && r->g1len + r->flen + 2 <= 128) {
            bool gf = strcmp(r->gfirst, r->family) <= 0;
            const char *x = gf ? r->gfirst : r->family, *y = gf ? r->family : r->gfirst;
            size_t xl = gf ? r->g1len : r->flen, yl = gf ? r->flen : r->g1len;
            memcpy(tmp, x, xl);
            tmp[xl] = '|';
            memcpy(tmp + xl + 1, y, yl);
            n = xl + 1 + yl;
            v = tmp;
        }
        break;
    case BF_NAMES_PH:
        if (r->gph[0] && r->fph[0]) {
            bool gf = strcmp(r->gph, r->fph) <= 0;
            n = (size_t)snprintf(tmp, 128, "%s|%s", gf ? r->gph : r->fph, gf ? r->fph : r->gph);
            v = tmp;
        }
        break;
    case BF_ADDRESS: v = r->anorm, n = r->alen; break;
    case BF_ID: v = r->idn, n = r->idlen; break;
    case BF_CONTACT: /* the email address, else the phone number */
        v = r->elen ? r->email : r->phone, n = r->elen ? r->elen : r->plen;
        break;
    case BF_STREET: {
        /* the first two words: house number and street name, or name and street */
        size_t k = 0, words = 0;
        while (k < r->alen && words < 2) {
            if (r->anorm[k] == ' ')
                words++;
            if (words < 2)
                k++;
        }
        v = r->anorm, n = words >= 1 ? k : 0;
        break;
    }
    case BF_HOUSENUM: {
        /* the first number in the address (the house or flat number): with the postcode it
         * names a home whatever typos the street's words carry */
        size_t k = 0;
        while (k < r->alen && !(r->anorm[k] >= '0' && r->anorm[k] <= '9'))
            k++;
        size_t e = k;
        while (e < r->alen && r->anorm[e] >= '0' && r->anorm[e] <= '9')
            e++;
        v = r->anorm + k, n = e - k;
        break;
    }
    case BF_STREET3: {
        /* the first three letters of the street's name: the first word of letters after the
         * house number (or the first word of letters when there is no number) */
        size_t k = 0;
        while (k < r->alen && !(r->anorm[k] >= '0' && r->anorm[k] <= '9'))
            k++;
        if (k == r->alen)
            k = 0;
        while (k < r->alen && !(r->anorm[k] >= 'a' && r->anorm[k] <= 'z'))
            k++;
        size_t e = k;
        while (e < r->alen && r->anorm[e] >= 'a' && r->anorm[e] <= 'z')
            e++;
        v = r->anorm + k, n = e - k >= 3 ? 3 : 0;
        break;
    }
    case BF_DOB_SWAP:
        /* the date with its day and month in either order (the year, then the smaller of
         * the two, then the larger): a date written day-first in one system and month-first
         * in another still meets itself */
        if (r->dobp.ok) {
            int a = r->dobp.m, d = r->dobp.day, lo = a < d ? a : d, hi = a < d ? d : a;
            int y = r->dobp.y;
            char *t = tmp;
            t[0] = (char)('0' + y / 1000 % 10), t[1] = (char)('0' + y / 100 % 10);
            t[2] = (char)('0' + y / 10 % 10), t[3] = (char)('0' + y % 10);
            t[4] = (char)('0' + lo / 10 % 10), t[5] = (char)('0' + lo % 10);
            t[6] = (char)('0' + hi / 10 % 10), t[7] = (char)('0' + hi % 10);
            n = 8;
            v = tmp;
        }
        break;
    case BF_GIVEN_LETTERS:
        /* the first given name's letters in order (an anagram key): two letters swapped
         * or moved by a keying slip ("enrest", "ernest") give the same key */
        if (r->g1len >= 3 && r->g1len < 128) {
            for (size_t k = 0; k < r->g1len; k++) { /* insertion sort: names are short */
                char c = r->gfirst[k];
                size_t q = k;
                for (; q > 0 && tmp[q - 1] > c; q--)
                    tmp[q] = tmp[q - 1];
                tmp[q] = c;
            }
            n = r->g1len;
            v = tmp;
        }
        break;
    case BF_EMAIL_USER: {
        /* the email address before its @ (at least three characters): one address with its
         * domain mistyped still meets itself */
        const char *at = r->elen ? memchr(r->email, '@', r->elen) : NULL;
        v = r->email, n = at && at - r->email >= 3 ? (size_t)(at - r->email) : 0;
        break;
    }
    case BF_GIVEN3: v = r->gfirst, n = r->g1len >= 3 ? 3 : 0; break;
    case BF_FAMILY3: v = r->family, n = r->flen >= 3 ? 3 : 0; break;
    case BF_INITIALS:
        if (r->g1len && r->flen) {
            char x = r->gfirst[0], y = r->family[0];
            tmp[0] = x < y ? x : y;
            tmp[1] = x < y ? y : x;
            tmp[2] = 0;
            v = tmp;
            n = 2;
        }
        break;
    case BF_ANY_NAME:
    case BF_ANY_NAME_REV: /* several values: link_any_names gives them */
    case BF_ANY_NAME_LETTERS:
    case BF_COUNT: break;
    }
    *len = n;
    return v;
}

/* One field's bytes mixed into h eight at a time (the byte-at-a-time FNV hash this
 * replaces was a chain of dependent multiplies, one a byte, and a third of the index's
 * build); the tail's length goes in with it, so values that split differently over two
 * fields mix differently. */
static inline uint64_t mix_field(uint64_t h, const char *v, size_t n)
{
    const uint64_t k = 0x9e3779b97f4a7c15ULL;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, v, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
        v += 8;
        n -= 8;
    }
    uint64_t w = (uint64_t)n << 56;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)(unsigned char)v[i] << (8 * i);
    h = (h ^ w) * k;
    return h ^ (h >> 29);
}

/* 0 means "this record is not blocked by this rule" (a field is missing). */
uint64_t link_rule_key(const struct link_blocking *b, size_t r, const struct srec *rec)
{
    uint64_t h = 1469598103934665603ULL;
    for (int k = 0; k < b->rule[r].nf; k++) {
        size_t n;
        char tmp[128];
        const char *v = bfield_value(rec, b->rule[r].f[k], tmp, &n);
        if (!n)
            return 0;
        h = mix_field(h, v, n);
    }
    return h ? h : 1;
}

/* A sorted neighbourhood's key: the rule's fields packed in order into 64 bits so that
 * the keys sort as the values do. A date of birth is its day number (18 bits), a year 10
 * bits, a day and month 9; any other field its first characters, 6 bits each (space and
 * punctuation, then digits, then letters, case ignored), as many as the bits left allow
 * (shared equally between the rule's text fields), padded so a shorter value sorts first.
 * 0 means a field is missing. */
static unsigned sn_char(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        c = (unsigned char)(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z')
        return 12u + (unsigned)(c - 'a');
    if (c >= '0' && c <= '9')
        return 2u + (unsigned)(c - '0');
    return c >= 0x80 ? 38u : 1u;
}

/* A record's names for any_name: each word of its given names, its family name, and each
 * run of three or more letters in its email address's user part (lilyw82@, e.richards@),
 * the same word once, at most SN_MULTI. A name put in the other field, or found only in an
 * email address, still meets the name it is. */
int link_any_names(const struct srec *r, const char *tok[SN_MULTI], size_t len[SN_MULTI])
{
    int nt = 0;
    const char *at = r->elen ? memchr(r->email, '@', r->elen) : NULL;
    size_t ulen = at ? (size_t)(at - r->email) : r->elen;
    const struct {
        const char *s;
        size_t n, min;
    } part[3] = {{r->given, r->glen, 2}, {r->family, r->flen, 2}, {r->email, ulen, 3}};
    for (int p = 0; p < 3 && nt < SN_MULTI; p++) {
        const char *s = part[p].s;
        size_t n = part[p].n;
        for (size_t k = 0; k < n && nt < SN_MULTI;) {
            /* given names split at spaces, the family name kept whole, the email user's
             * letters */
            bool letter = p < 2 ? (p == 1 || s[k] != ' ')
                                : ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z'));
            if (!letter) {
                k++;
                continue;
            }
            size_t e = k;
            while (e < n && (p < 2 ? (p == 1 || s[e] != ' ')
                                   : ((s[e] >= 'a' && s[e] <= 'z') || (s[e] >= 'A' && s[e] <= 'Z'))))
                e++;
            if (e - k >= part[p].min) {
                bool dup = false;
                for (int q = 0; q < nt && !dup; q++)
                    dup = len[q] == e - k && !memcmp(tok[q], s + k, e - k);
                if (!dup) {
                    tok[nt] = s + k;
                    len[nt++] = e - k;
                }
            }
            k = e;
        }
    }
    return nt;
}

/* A record's names (link_any_names) as sets of letters, a bit a letter, the set ones first. */
void link_letter_masks(const struct srec *r, uint32_t out[SN_MULTI])
{
    const char *tok[SN_MULTI];
    size_t len[SN_MULTI];
    int nt = link_any_names(r, tok, len), k = 0;
    memset(out, 0, SN_MULTI * sizeof *out);
    for (int t = 0; t < nt; t++) {
        uint32_t m = 0;
        for (size_t x = 0; x < len[t]; x++) {
            unsigned c = (unsigned char)tok[t][x] | 0x20u; /* case ignored */
            if (c >= 'a' && c <= 'z')
                m |= 1u << (c - 'a');
        }
        if (m)
            out[k++] = m;
    }
}

/* tok, tlen: the value of the rule's any_name field for this entry (NULL: none) */
uint64_t link_sn_key(const struct link_blocking *b, size_t r, const struct srec *rec,
                     const char *tok, size_t tlen)
{
    int fixed = 0, ntext = 0;
    for (int k = 0; k < b->rule[r].nf; k++) {
        enum bfield f = b->rule[r].f[k];
        bool date = f == BF_DOB || f == BF_DOB_YEAR || f == BF_DOB_YEAR3 || f == BF_DOB_MD ||
                    f == BF_DOB_DM;
        fixed += f == BF_DOB ? 18 : f == BF_DOB_YEAR || f == BF_DOB_YEAR3 ? 10 : date ? 9 : 0;
        ntext += !date;
    }
    int chars = ntext ? (64 - fixed) / ntext / 6 : 0;
    if (ntext && chars < 1)
        chars = 1;
    uint64_t key = 0;
    int used = 0;
    for (int k = 0; k < b->rule[r].nf; k++) {
        enum bfield f = b->rule[r].f[k];
        uint64_t v = 0;
        int width;
        if (f == BF_DOB || f == BF_DOB_YEAR || f == BF_DOB_YEAR3 || f == BF_DOB_MD ||
            f == BF_DOB_DM) {
            if (!rec->dobp.ok)
                return 0;
            int y = rec->dobp.y - 1700;
            y = y < 0 ? 0 : y > 699 ? 699 : y;
            int md = (rec->dobp.m - 1) * 31 + (rec->dobp.day - 1);
            md = md < 0 ? 0 : md > 371 ? 371 : md;
            int dm = (rec->dobp.day - 1) * 12 + (rec->dobp.m - 1);
            dm = dm < 0 ? 0 : dm > 371 ? 371 : dm;
            width = f == BF_DOB ? 18 : f == BF_DOB_YEAR || f == BF_DOB_YEAR3 ? 10 : 9;
            v = f == BF_DOB ? (uint64_t)(y * 372 + md + 1)
                : f == BF_DOB_YEAR ? (uint64_t)(y + 1)
                : f == BF_DOB_YEAR3 ? (uint64_t)(y / 100 * 10 + y % 10 + 1)
                : f == BF_DOB_MD ? (uint64_t)(md + 1) : (uint64_t)(dm + 1);
        } else {
            char tmp[128];
            size_t n;
            bool multi = f == BF_ANY_NAME || f == BF_ANY_NAME_REV || f == BF_ANY_NAME_LETTERS;
            const char *s = multi ? (n = tok ? tlen : 0, tok) : bfield_value(rec, f, tmp, &n);
            if (!n)
                return 0;
            if (f == BF_ANY_NAME_LETTERS) {
                /* the name's letters in order: a name with two letters swapped or moved by a
                 * keying slip (nleaeor, eleanor) sorts beside itself */
                n = n < sizeof tmp ? n : sizeof tmp - 1;
                for (size_t x = 0; x < n; x++) { /* insertion sort: names are short */
                    char c = s[x];
                    size_t q = x;
                    for (; q > 0 && tmp[q - 1] > c; q--)
                        tmp[q] = tmp[q - 1];
                    tmp[q] = c;
                }
                s = tmp;
            }
            bool rev = f == BF_ANY_NAME_REV;
            width = 6 * chars;
            /* letters and digits only: punctuation and spaces (e.richards@, e-richards@,
             * an @ lost) do not move a value in the order */
            size_t at = 0;
            for (int c = 0; c < chars; c++) {
                unsigned ch = 0;
                while (at < n && !ch) {
                    ch = sn_char((unsigned char)s[rev ? n - 1 - at : at]);
                    at++;
                    if (ch == 1)
                        ch = 0;
                }
                v = (v << 6) | ch;
            }
        }
        if (used + width > 64)
            break; /* the bits are spent: later fields do not order */
        key = width == 64 ? v : (key << width) | v;
        used += width;
    }
    return key ? key : 1;
}
