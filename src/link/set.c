/* The record set: records prepared for linking once (names cleaned of titles, first given
 * name, phonetic keys, parsed dates and postcodes, normalised address and identifier, and
 * the reason a record can link only weakly). */
#include "link_internal.h"

#include <sys/mman.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ the record set */


static const char *dup_or_empty(struct svp_arena *a, const char *s)
{
    if (!s)
        return "";
    return svp_arena_strndup(a, s, strlen(s));
}

/* Words in a name field that are not the name: titles, honorifics, generation marks and
 * ordinals ("sir", "mrs", "revd", "bart", "jnr", "9th", "iii"). Records written by hand or
 * by older systems put them in the given or family name; compared as names they would make
 * a baronet's "sir" agree with every other sir. */
static const char *const name_noise[] = {
    "mr", "mrs", "miss", "ms", "mx", "master", "mstr", "dr", "sir", "dame", "lady", "lord",
    "rev", "revd", "reverend", "fr", "capt", "captain", "col", "lt", "sgt", "prof", "hon",
    "esq", "esquire", "bart", "bt", "baronet", "baronetess", "jr", "jnr", "junior", "sr", "snr",
    "senior", "ii", "iii", "iv", "deceased", "decd", "dec", "widow", "wid", NULL};

/* A number or an ordinal ("9", "9th"): never a name. */
static bool name_number_word(const char *w, size_t n)
{
    size_t d = 0;
    while (d < n && w[d] >= '0' && w[d] <= '9')
        d++;
    if (d == n)
        return true; /* a number */
    if (d && n - d == 2 &&
        (!memcmp(w + d, "st", 2) || !memcmp(w + d, "nd", 2) || !memcmp(w + d, "rd", 2) ||
         !memcmp(w + d, "th", 2)))
        return true; /* an ordinal: 9th */
    return false;
}

static bool name_noise_word(const char *w, size_t n)
{
    if (!n || name_number_word(w, n))
        return true;
    for (size_t k = 0; name_noise[k]; k++)
        if (strlen(name_noise[k]) == n && !memcmp(name_noise[k], w, n))
            return true;
    return false;
}

/* What systems write where they hold no name: "Unknown", "N/K", "NULL", "TBC", and for a
 * child not yet born or named, "Baby", "Unborn", "Infant", "Baby Boy" (children's social
 * care records a pre-birth assessment under the mother's surname as "Unborn Smith"). They
 * name no one, so two records that both say "Baby" agree on nothing: the name is missing. */
static const char *const placeholder_given[] = {
    "unknown", "not known", "nk", "n k", "null", "none", "na", "n a", "tbc", "tba", "anon",
    "anonymous", "unnamed", "no name", "baby", "unborn", "infant", "newborn", "baby boy",
    "baby girl", "unborn baby", "unborn child", "unborn boy", "unborn girl", "child", "boy",
    "girl", "male", "female", "twin", "twin a", "twin b", "x", "xx", "xxx", NULL};
static const char *const placeholder_family[] = {
    "unknown", "not known", "nk", "n k", "null", "none", "na", "n a", "tbc", "tba", "anon",
    "anonymous", "unnamed", "no name", "x", "xx", "xxx", NULL};

static bool is_placeholder(const char *name, const char *const *list)
{
    for (size_t k = 0; list[k]; k++)
        if (!strcmp(list[k], name))
            return true;
    return false;
}

/* Copies the words of a normalised name that are not titles or ordinals (single spaces).
 * A name that is nothing but title words is a name: Lady, Lord, Major and Sir are given
 * names in the register of births (data/names' given-names.csv), and surnames too, so a
 * title is dropped only where another word of the name remains (as svp_name_split keeps a
 * lone title as the name); numbers and ordinals are dropped always. */
static const char *name_clean(struct svp_arena *a, const char *s)
{
    if (!s)
        return "";
    size_t len = strlen(s);
    char *out = svp_arena_alloc(a, len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (int pass = 0; pass < 2 && !o; pass++) {
        for (size_t i = 0; i < len;) {
            while (i < len && s[i] == ' ')
                i++;
            size_t e = i;
            while (e < len && s[e] != ' ')
                e++;
            bool drop = pass ? e == i || name_number_word(s + i, e - i)
                             : name_noise_word(s + i, e - i);
            if (!drop) {
                if (o)
                    out[o++] = ' ';
                memcpy(out + o, s + i, e - i);
                o += e - i;
            }
            i = e;
        }
    }
    out[o] = 0;
    return out;
}

/* A date of birth that is a date, and not what a system writes for none: 1900-01-01 (the
 * "unknown" default of many case systems), 1899-12-30 and 1899-12-31 (day 0 of OLE and of
 * Excel's serials: an empty date cell read as a number), 1901-01-01. Every record keyed so
 * would otherwise share an exact date of birth. */
static bool dob_valid(const char *s)
{
    static const char *const filler[] = {"1900-01-01", "1899-12-30", "1899-12-31", "1901-01-01",
                                         NULL};
    if (!s || link_compare_dob(s, s) != LINK_DOB_EXACT)
        return false;
    for (size_t i = 0; filler[i]; i++)
        if (!strncmp(s, filler[i], 10))
            return false;
    return true;
}

/* Prepares records [from, to) with their text in arena a (one thread's share). The
 * record's source was set before. SVP_ENOMEM or 0. */
struct prep_job {
    struct link_set *s;
    const struct link_rec *recs;
    struct svp_arena *a;
    size_t from, to;
    int rc;
};

static void *prep_records(void *arg)
{
    struct prep_job *j = arg;
    struct link_set *s = j->s;
    struct svp_arena *arena = j->a;
    for (size_t i = j->from; i < j->to; i++) {
        const struct link_rec *in = &j->recs[i];
        struct srec *r = &s->r[i];
        r->given = name_clean(arena, in->given);
        r->family = name_clean(arena, in->family);
        if (r->given && is_placeholder(r->given, placeholder_given))
            r->given = "";
        if (r->family && is_placeholder(r->family, placeholder_family))
            r->family = "";
        r->dob = dup_or_empty(arena, dob_valid(in->dob) ? in->dob : NULL);
        r->sex = dup_or_empty(arena, in->sex);
        r->sexc = link_sex_code(in->sex);
        r->postcode = dup_or_empty(arena, in->postcode);
        r->address = dup_or_empty(arena, in->address);
        char idn[32];
        r->idlen = (uint8_t)link_id_normalise(in->shared_id, idn, sizeof idn);
        r->idn = svp_arena_strndup(arena, idn, r->idlen);
        if (!r->given || !r->family || !r->dob || !r->sex || !r->postcode || !r->address ||
            !r->idn)
            goto nomem;
        r->known = name_clean(arena, in->known_as);
        if (!r->known)
            goto nomem;
        r->klen = (uint16_t)strnlen(r->known, 60000);
        r->adult = in->role && !strcasecmp(in->role, "adult");
        char cbuf[256];
        r->elen = (uint8_t)link_email_normalise(in->email, cbuf, sizeof cbuf);
        r->email = svp_arena_strndup(arena, cbuf, r->elen);
        char pbuf[32];
        r->plen = (uint8_t)link_phone_normalise(in->phone, pbuf, sizeof pbuf);
        r->phone = svp_arena_strndup(arena, pbuf, r->plen);
        r->cphone = svp_arena_strndup(arena, pbuf,
                                      link_phone_normalise(in->carer_phone, pbuf, sizeof pbuf));
        if (!r->email || !r->phone || !r->cphone)
            goto nomem;
        r->glen = (uint16_t)strnlen(r->given, 60000);
        r->flen = (uint16_t)strnlen(r->family, 60000);
        size_t g1 = 0;
        while (g1 < r->glen && r->given[g1] != ' ')
            g1++;
        r->g1len = (uint16_t)g1;
        r->gfirst = svp_arena_strndup(arena, r->given, g1);
        if (!r->gfirst)
            goto nomem;
        link_phonetic(r->gfirst, g1, r->gph, sizeof r->gph);
        link_phonetic(r->family, r->flen, r->fph, sizeof r->fph);
        r->gmask = link_byte_mask(r->gfirst, r->g1len);
        r->fmask = link_byte_mask(r->family, r->flen);
        link_postcode_parse(r->postcode, &r->pc);
        link_dob_parse(r->dob, &r->dobp);
        r->nick = link_nicknames_lookup(s->nick, r->gfirst);
        char an[256];
        size_t al = link_address_normalise(r->address, an, sizeof an);
        r->alen = (uint16_t)al;
        if (!(r->anorm = svp_arena_strndup(arena, an, al)))
            goto nomem;
        /* What the record lacks, so a person reading the export knows why it stands alone. */
        if (!r->glen && !r->flen)
            r->reason = r->dob[0] ? "no name" : "no name and no date of birth";
        else if (!r->dob[0])
            r->reason = "no date of birth";
        else if (r->g1len == 1 && (r->flen <= 1))
            r->reason = "only initials";
        else if (r->g1len == 1)
            r->reason = "given name is an initial";
        else if (r->flen == 1)
            r->reason = "family name is an initial";
        else
            r->reason = "";
    }
    return NULL;
nomem:
    j->rc = SVP_ENOMEM;
    return NULL;
}

void link_hugepages(void *p, size_t len)
{
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1), hi = ((uintptr_t)p + len) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

int link_set_new(const struct link_rec *recs, size_t n, struct link_set **out,
                 struct svp_err *err)
{
    *out = NULL;
    if (n > UINT32_MAX - 1)
        return svp_err_set(err, SVP_EINPUT, "too many records to link at once (%zu)", n);
    struct link_set *s = svp_calloc(1, sizeof *s);
    if (!s)
        return svp_err_set(err, SVP_ENOMEM, "out of memory preparing records");
    s->n = n;
    s->household_guard = true;
    /* the records start on a cache line (a pair reads two at random places: each then
     * spans four lines, not five); r_alloc is what was allocated */
    s->r_alloc = svp_calloc((n ? n : 1) + 1, sizeof *s->r);
    s->r = s->r_alloc ? (struct srec *)(((uintptr_t)s->r_alloc + 63) & ~(uintptr_t)63) : NULL;
    if (s->r_alloc)
        link_hugepages(s->r_alloc, ((n ? n : 1) + 1) * sizeof *s->r);
    s->arena = svp_arena_new(1 << 20);
    s->arena2 = svp_arena_new(1 << 20);
    s->bc = link_bcache_new();
    s->tfw = svp_calloc(1, sizeof *s->tfw);
    int rc = 0;
    if (!s->r || !s->arena || !s->arena2 || !s->bc || !s->tfw)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory preparing records");
    if (!rc)
        rc = link_nicknames_default(&s->nick, err);
    /* the sources in the order first seen, then the rest of each record on two threads,
     * each half with its text in an arena of its own */
    for (size_t i = 0; !rc && i < n; i++) {
        const struct link_rec *in = &recs[i];
        struct srec *r = &s->r[i];
        r->id = in->id;
        const char *src = in->source ? in->source : "";
        r->srcid = UINT16_MAX;
        for (size_t k = 0; k < s->nsources && r->srcid == UINT16_MAX; k++)
            if (!strcmp(s->sources[k], src))
                r->srcid = (uint16_t)k;
        if (r->srcid == UINT16_MAX && s->nsources < 255) {
            s->sources[s->nsources] = dup_or_empty(s->arena, src);
            if (s->sources[s->nsources])
                r->srcid = (uint16_t)s->nsources++;
        }
        r->source = r->srcid != UINT16_MAX ? s->sources[r->srcid] : dup_or_empty(s->arena, src);
        if (!r->source)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory preparing records");
    }
    if (!rc) {
        struct prep_job jobs[2] = {{s, recs, s->arena, 0, n / 2, 0},
                                   {s, recs, s->arena2, n / 2, n, 0}};
        pthread_t tid;
        bool threaded = n >= 4096 && pthread_create(&tid, NULL, prep_records, &jobs[1]) == 0;
        prep_records(&jobs[0]);
        if (threaded)
            pthread_join(tid, NULL);
        else
            prep_records(&jobs[1]);
        if (jobs[0].rc || jobs[1].rc)
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory preparing records");
    }
    if (rc) {
        link_set_free(&s);
        return rc;
    }
    *out = s;
    return 0;
}

void link_set_free(struct link_set **sp)
{
    struct link_set *s = sp ? *sp : NULL;
    if (!s)
        return;
    svp_free(s->r_alloc);
    svp_arena_free(&s->arena);
    svp_arena_free(&s->arena2);
    link_bcache_free(&s->bc);
    if (s->tfw)
        svp_free(s->tfw->w);
    svp_free(s->tfw);
    link_nicknames_free(&s->nick);
    svp_free(s);
    *sp = NULL;
}

void link_set_household_guard(struct link_set *s, bool on)
{
    s->household_guard = on;
}

size_t link_set_count(const struct link_set *s)
{
    return s->n;
}

const char *link_set_reason(const struct link_set *s, size_t i)
{
    return i < s->n ? s->r[i].reason : "";
}

