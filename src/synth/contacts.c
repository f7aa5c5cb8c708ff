/* Contact phones: the number a school holds for a pupil's priority-one contact and the next
 * of kin's number an emergency department takes at the door. What real records get wrong is
 * kept: a household has one or two parents' mobiles and perhaps a landline, and each child's
 * school holds whichever the family gave (one brother with the mother's number, his sister
 * with the father's); a parent who changes number is updated by some schools and not others
 * (a stale number); a landline changes when the family moves; fields are left blank; a digit
 * is keyed wrong; and a few children's priority contact is a grandparent or childminder who
 * is also the contact of children of other families in the area. Drawn from hashes of the
 * household, child and row, so no other draw of the county moves. */
#include "gen.h"

#include <stdio.h>
#include <string.h>

enum { SALT = 0x7E1E };

static uint64_t h3(const struct gen *g, uint64_t a, uint64_t b)
{
    return synth_hash(synth_hash(g->o->seed ^ 0xC0117AC7ULL, a), b);
}

static double u3(const struct gen *g, uint64_t a, uint64_t b)
{
    return (double)(h3(g, a, b) >> 11) * 0x1.0p-53;
}

/* A UK mobile (07 and nine digits) or landline (01 and nine digits) from a hash. */
static uint64_t mobile(uint64_t x)
{
    return 7000000000ULL + x % 1000000000ULL;
}

static uint64_t landline(uint64_t x)
{
    return 1000000000ULL + x % 1000000000ULL;
}

/* One digit keyed wrong, on a few rows. */
static uint64_t slip(const struct gen *g, uint64_t num, uint64_t row, double p)
{
    if (u3(g, row, SALT + 1) >= p)
        return num;
    uint64_t pos = 1;
    for (uint64_t k = h3(g, row, SALT + 2) % 8; k; k--)
        pos *= 10;
    uint64_t d = num / pos % 10, nd = (d + 1 + h3(g, row, SALT + 3) % 9) % 10;
    return num - d * pos + nd * pos;
}

/* Eleven digits, as the system keys them: "07700 900123", "07700900123", "+44 7700 900123". */
static void format(char *out, size_t cap, uint64_t num, int style)
{
    char d[16];
    snprintf(d, sizeof d, "0%llu", (unsigned long long)num);
    if (style == 1)
        snprintf(out, cap, "%.5s %s", d, d + 5);
    else if (style == 2)
        snprintf(out, cap, "+44 %.4s %s", d + 1, d + 5);
    else
        snprintf(out, cap, "%s", d);
}

/* The household's numbers on day d: parent one's mobile (a new one from the day it
 * changed), parent two's (0 when none) and the landline (0 when none; a new one after a
 * move). */
struct numbers {
    uint64_t p1_old, p1_new, p2, land_old, land_new;
    svp_day p1_change;
};

static struct numbers numbers_of(const struct gen *g, const struct household *h)
{
    struct numbers n = {0};
    n.p1_old = mobile(h3(g, h->no, SALT + 10));
    n.p1_new = n.p1_old;
    n.p1_change = INT32_MAX;
    if (u3(g, h->no, SALT + 11) < 0.1) {
        n.p1_new = mobile(h3(g, h->no, SALT + 12));
        uint64_t span = (uint64_t)(g->end - g->start + 1);
        n.p1_change = g->start + (svp_day)(h3(g, h->no, SALT + 13) % span);
    }
    if (u3(g, h->no, SALT + 14) < 0.6)
        n.p2 = mobile(h3(g, h->no, SALT + 15));
    if (u3(g, h->no, SALT + 16) < 0.25) {
        n.land_old = landline(h3(g, h->no, SALT + 17));
        n.land_new = h->move != INT32_MAX ? landline(h3(g, h->no, SALT + 18)) : n.land_old;
    }
    return n;
}

void contact_phone_school(const struct gen *g, const struct child *c, svp_day d, uint64_t row,
                          char *out, size_t cap)
{
    const struct household *h = c->hh;
    struct numbers n = numbers_of(g, h);
    double u = u3(g, c->idx, SALT + 20);
    uint64_t num;
    out[0] = '\0';
    if (u < 0.08)
        return; /* no contact number on the pupil's record */
    if (u < 0.12) {
        /* a grandparent or childminder, priority contact of about three children of other
         * families in the area too */
        uint64_t per_area = g->n / (uint64_t)(g->nareas > 0 ? g->nareas : 1);
        uint64_t carers = per_area * 4 / 300 + 1;
        uint64_t k = h3(g, c->idx, SALT + 21) % carers;
        num = mobile(h3(g, (uint64_t)h->area << 32 | k, SALT + 22));
    } else if (u < 0.75 || (u < 0.93 ? !n.p2 : !n.land_old)) {
        /* parent one: the new number once it changed, where the school was told */
        bool told = u3(g, c->idx, SALT + 23) < 0.5;
        num = d >= n.p1_change && told ? n.p1_new : n.p1_old;
    } else if (u < 0.93) {
        num = n.p2;
    } else {
        bool told = u3(g, c->idx, SALT + 24) < 0.7;
        num = d >= h->move && told ? n.land_new : n.land_old;
    }
    num = slip(g, num, row, 0.015);
    format(out, cap, num, u3(g, c->idx, SALT + 25) < 0.7 ? 1 : 0);
}

void contact_phone_ed(const struct gen *g, const struct child *c, svp_day d, uint64_t row,
                      char *out, size_t cap)
{
    struct numbers n = numbers_of(g, c->hh);
    double u = u3(g, row, SALT + 30);
    uint64_t num;
    out[0] = '\0';
    if (u < 0.3)
        return; /* not taken at the door */
    if (u < 0.75 || (u < 0.9 ? !n.p2 : !n.land_old))
        num = d >= n.p1_change ? n.p1_new : n.p1_old;
    else if (u < 0.9)
        num = n.p2;
    else if (u < 0.95)
        num = d >= c->hh->move ? n.land_new : n.land_old;
    else
        num = mobile(h3(g, row, SALT + 31)); /* a friend or neighbour who brought the child */
    num = slip(g, num, row, 0.02);
    format(out, cap, num, u3(g, row, SALT + 32) < 0.2 ? 2 : 0);
}

void contact_phone_adult(const struct gen *g, uint64_t adult_no, uint64_t row, char *out,
                         size_t cap)
{
    out[0] = '\0';
    if (u3(g, row, SALT + 40) < 0.4)
        return;
    /* a partner, friend or relative of the adult's own */
    format(out, cap, mobile(h3(g, adult_no, SALT + 41)), u3(g, row, SALT + 42) < 0.2 ? 2 : 0);
}
