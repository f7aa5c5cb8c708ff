/* Mentions: people named in free text ("found with Kayla Dunn"), kept by a profile's
 * `mentions` step in an event's detail as {"names": [...], "codes": [...]}, resolved to
 * persons where a name plus age or area singles one out (issue 13, item 7). A name alone
 * never resolves a mention: two Kayla Dunns in a county are common, and a wrong link would
 * put a child in another's peer group. What cannot be resolved is kept as written, with
 * why, in link_mention (migration 012); codes (family, older males) stay in the event. */
#include "link.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MENTION_AGE_YEARS 3 /* a companion within this many years of the child's age */

struct mrec {
    int64_t id, person;  /* person 0: not linked */
    char *given, *family; /* normalised */
    int year;             /* of birth, 0 unknown */
    char *area, *district;
    int next;             /* the next record with this family name, -1 */
};

struct mctx {
    struct store *db;
    struct svp_err *err;
    struct mrec *recs;
    size_t n, cap;
    struct svp_smap by_family; /* family name -> first record (id = index) */
    struct link_nicknames *nick;
    struct store_bulk *ins; /* link_mention rows */
    struct link_mention_stats *st;
};

static char *dup_or_null(const char *s)
{
    return s && *s ? svp_strdup(s) : NULL;
}

/* The outward code of a postcode ("SN15 1AB" -> "SN15"), owned, or NULL. */
static char *district_of(const char *pc)
{
    if (!pc)
        return NULL;
    char t[16];
    size_t n = 0;
    for (; *pc && n < sizeof t - 1; pc++)
        if (isalnum((unsigned char)*pc))
            t[n++] = (char)toupper((unsigned char)*pc);
    t[n] = '\0';
    if (n < 5 || n > 7)
        return NULL;
    t[n - 3] = '\0';
    return svp_strdup(t);
}

static int year_of(const char *dob)
{
    return dob && strlen(dob) >= 4 && isdigit((unsigned char)dob[0]) ? (int)strtol(dob, NULL, 10) : 0;
}

static int load_records(struct mctx *m)
{
    struct store_stmt *q = NULL;
    int rc = store_prepare(m->db,
                           "SELECT r.id, r.norm_given, r.norm_family, r.dob, r.area, r.postcode, "
                           "pr.person_id FROM record r LEFT JOIN person_record pr ON "
                           "pr.record_id = r.id WHERE r.norm_family IS NOT NULL AND "
                           "r.norm_given IS NOT NULL ORDER BY r.id",
                           &q, m->err);
    while (!rc && (rc = store_step(q, m->err)) == STORE_ROW) {
        rc = 0;
        struct mrec *nr = svp_grow(m->recs, &m->cap, m->n + 1, sizeof *m->recs, 256);
        if (!nr) {
            rc = svp_err_set(m->err, SVP_ENOMEM, "out of memory");
            break;
        }
        m->recs = nr;
        struct mrec *r = &m->recs[m->n];
        memset(r, 0, sizeof *r);
        r->id = store_column_int64(q, 0);
        r->person = store_column_is_null(q, 6) ? 0 : store_column_int64(q, 6);
        r->given = dup_or_null(store_column_text(q, 1));
        r->family = dup_or_null(store_column_text(q, 2));
        r->year = year_of(store_column_text(q, 3));
        r->area = dup_or_null(store_column_text(q, 4));
        r->district = district_of(store_column_text(q, 5));
        m->n++;
        if (!r->given || !r->family)
            continue; /* out of memory is caught below; an empty name names nobody */
        struct svp_smap_val *head = svp_smap_get(&m->by_family, r->family);
        r->next = head ? (int)head->id : -1;
        rc = svp_smap_put(&m->by_family, r->family, (struct svp_smap_val){(int64_t)(m->n - 1), 0, 0});
        if (rc)
            rc = svp_err_set(m->err, SVP_ENOMEM, "out of memory");
    }
    store_finalize(&q);
    return rc < 0 ? rc : SVP_OK;
}

/* The strings of every "names":[...] array in a detail object written by the mentions step
 * (JSON strings as svp writes them). Calls fn for each; stops at its first error. */
static int each_name(const char *detail, int (*fn)(struct mctx *, const char *, void *),
                     struct mctx *m, void *arg)
{
    const char *p = detail;
    while ((p = strstr(p, "\"names\":["))) {
        p += 9;
        while (*p && *p != ']') {
            if (*p != '"') {
                p++;
                continue;
            }
            struct svp_buf b;
            svp_buf_init(&b, 4096);
            int rc = 0;
            for (p++; *p && *p != '"' && !rc; p++) {
                if (*p == '\\' && p[1]) {
                    p++;
                    if (*p == 'u') { /* a control character: a space will do */
                        rc = svp_buf_putc(&b, ' ');
                        p += strlen(p) >= 5 ? 4 : strlen(p) - 1;
                        continue;
                    }
                }
                rc = svp_buf_putc(&b, *p);
            }
            if (*p == '"')
                p++;
            if (!rc && b.len)
                rc = fn(m, b.data, arg);
            svp_buf_free(&b);
            if (rc)
                return rc == SVP_EINPUT ? SVP_OK : rc; /* a name past 4 KiB names nobody */
        }
    }
    return SVP_OK;
}

/* What the event tells about its own child: whose event, age, areas. */
struct subject {
    int64_t event_id, record_id, person;
    int year;
    const char *area, *place_area;
    char *district;
};

static bool same_area(const struct mrec *r, const struct subject *s)
{
    if (r->area && ((s->area && !strcmp(r->area, s->area)) ||
                    (s->place_area && !strcmp(r->area, s->place_area))))
        return true;
    return r->district && s->district && !strcmp(r->district, s->district);
}

static bool given_agrees(const struct mctx *m, const char *a, const char *b)
{
    if (!strcmp(a, b))
        return true;
    if ((strlen(a) == 1 && a[0] == b[0]) || (strlen(b) == 1 && a[0] == b[0]))
        return true; /* an initial */
    return m->nick && link_nicknames_equiv(m->nick, a, b);
}

#define MENTION_MAX_CANDIDATES 64

static int write_mention(struct mctx *m, const struct subject *s, const char *name,
                         const char *status, int64_t person, int64_t record, double conf,
                         const char *basis, int64_t candidates)
{
    struct store_bulk *b = m->ins;
    store_bulk_int64(b, s->event_id);
    store_bulk_text(b, name);
    store_bulk_text(b, status);
    if (person)
        store_bulk_int64(b, person);
    else
        store_bulk_null(b);
    if (record)
        store_bulk_int64(b, record);
    else
        store_bulk_null(b);
    store_bulk_double(b, conf);
    store_bulk_text(b, basis);
    store_bulk_int64(b, candidates);
    int rc = store_bulk_row(b, m->err);
    return rc;
}

/* One mention: the persons whose name fits, and which of them age or area supports. */
static int resolve_one(struct mctx *m, const char *name, void *arg)
{
    const struct subject *s = arg;
    m->st->mentions++;
    struct svp_name_parts np;
    svp_name_split(name, strlen(name), SVP_NAME_ANY_ORDER, &np);
    char *g = NULL, *f = NULL;
    struct svp_err e;
    int rc = SVP_OK;
    if (np.given.p && np.family.p) {
        rc = svp_name_normalise(np.given.p, np.given.n, &g, &e);
        if (!rc)
            rc = svp_name_normalise(np.family.p, np.family.n, &f, &e);
        if (rc == SVP_EINPUT)
            rc = SVP_OK; /* not UTF-8: names nobody svp can find */
        if (rc) {
            svp_free(g);
            return svp_err_set(m->err, SVP_ENOMEM, "out of memory");
        }
    }
    if (!g || !f) {
        svp_free(g);
        svp_free(f);
        m->st->unresolved++;
        return write_mention(m, s, name, "unresolved", 0, 0, 0,
                             "not a given name and a surname", 0);
    }
    /* persons (or unlinked records) whose name fits, with what supports each */
    int64_t who[MENTION_MAX_CANDIDATES], rec[MENTION_MAX_CANDIDATES];
    bool age[MENTION_MAX_CANDIDATES], area[MENTION_MAX_CANDIDATES];
    int nw = 0;
    struct svp_smap_val *head = svp_smap_get(&m->by_family, f);
    for (int i = head ? (int)head->id : -1; i >= 0; i = m->recs[i].next) {
        const struct mrec *r = &m->recs[i];
        if (r->id == s->record_id || (s->person && r->person == s->person))
            continue; /* the child themself */
        if (!given_agrees(m, g, r->given))
            continue;
        int64_t key = r->person ? r->person : -r->id;
        int k = 0;
        while (k < nw && who[k] != key)
            k++;
        if (k == nw) {
            if (nw == MENTION_MAX_CANDIDATES)
                continue;
            who[nw] = key;
            rec[nw] = r->id;
            age[nw] = area[nw] = false;
            nw++;
        }
        bool a = s->year && r->year && abs(s->year - r->year) <= MENTION_AGE_YEARS;
        bool ar = same_area(r, s);
        if ((a || ar) && !(age[k] || area[k]))
            rec[k] = r->id; /* the record that supports it */
        age[k] |= a;
        area[k] |= ar;
    }
    svp_free(g);
    svp_free(f);
    int supported = 0, best = -1;
    for (int k = 0; k < nw; k++)
        if (age[k] || area[k]) {
            supported++;
            if (best < 0 || (age[k] + area[k]) > (age[best] + area[best]))
                best = k;
        }
    char basis[96];
    if (supported == 1) {
        /* one person fits by name and age or area: the others fit by name alone */
        double conf = 0.6 + (age[best] ? 0.2 : 0) + (area[best] ? 0.2 : 0);
        conf /= 1.0 + 0.25 * (double)(nw - 1);
        snprintf(basis, sizeof basis, "name+%s%s%s", age[best] ? "age" : "",
                 age[best] && area[best] ? "+" : "", area[best] ? "area" : "");
        m->st->resolved++;
        if (conf >= 0.8)
            m->st->high++;
        int64_t person = who[best] > 0 ? who[best] : 0;
        return write_mention(m, s, name, "resolved", person, rec[best], conf, basis, nw);
    }
    if (supported > 1) {
        snprintf(basis, sizeof basis, "%d persons fit by name and age or area", supported);
        m->st->ambiguous++;
        return write_mention(m, s, name, "ambiguous", 0, 0, 0, basis, nw);
    }
    if (nw)
        snprintf(basis, sizeof basis, "name only (%d person%s), no age or area agrees", nw,
                 nw == 1 ? "" : "s");
    else
        snprintf(basis, sizeof basis, "no record with this name");
    m->st->unresolved++;
    return write_mention(m, s, name, "unresolved", 0, 0, 0, basis, nw);
}

int link_mentions_resolve(struct store *db, struct link_mention_stats *st, struct svp_err *err)
{
    memset(st, 0, sizeof *st);
    struct mctx m = {.db = db, .err = err, .st = st};
    struct store_stmt *q = NULL;
    int rc = store_exec(db, "DELETE FROM link_mention", err);
    if (!rc)
        rc = link_nicknames_default(&m.nick, err);
    if (!rc)
        rc = store_bulk_open(db, "link_mention",
                             "event_id, name, status, person_id, record_id, confidence, basis, "
                             "candidates",
                             8, &m.ins, err);
    if (!rc)
        rc = store_prepare(db,
                           "SELECT e.id, e.record_id, e.detail, r.dob, r.area, r.postcode, "
                           "pl.area, pr.person_id FROM event e JOIN record r ON r.id = "
                           "e.record_id LEFT JOIN place pl ON pl.id = e.place_id LEFT JOIN "
                           "person_record pr ON pr.record_id = e.record_id WHERE e.detail LIKE "
                           "'%\"names\":[%' ORDER BY e.id",
                           &q, err);
    /* The records are read only when some event names people: most counties' do not, and
     * reading every record costs more than the rest (0.2-0.4 s at 104,000 children). */
    bool loaded = false;
    while (!rc && (rc = store_step(q, err)) == STORE_ROW) {
        if (!loaded && (rc = load_records(&m)))
            break;
        loaded = true;
        struct subject s = {
            .event_id = store_column_int64(q, 0),
            .record_id = store_column_int64(q, 1),
            .year = year_of(store_column_text(q, 3)),
            .person = store_column_is_null(q, 7) ? 0 : store_column_int64(q, 7),
        };
        char *detail = dup_or_null(store_column_text(q, 2));
        char *area = dup_or_null(store_column_text(q, 4));
        char *parea = dup_or_null(store_column_text(q, 6));
        s.district = district_of(store_column_text(q, 5));
        s.area = area;
        s.place_area = parea;
        rc = detail ? each_name(detail, resolve_one, &m, &s) : SVP_OK;
        svp_free(detail);
        svp_free(area);
        svp_free(parea);
        svp_free(s.district);
    }
    store_finalize(&q);
    if (!rc && m.ins)
        rc = store_bulk_finish(m.ins, err);
    store_bulk_free(&m.ins);
    for (size_t i = 0; i < m.n; i++) {
        svp_free(m.recs[i].given);
        svp_free(m.recs[i].family);
        svp_free(m.recs[i].area);
        svp_free(m.recs[i].district);
    }
    svp_free(m.recs);
    svp_smap_free(&m.by_family);
    link_nicknames_free(&m.nick);
    return rc < 0 ? rc : SVP_OK;
}
