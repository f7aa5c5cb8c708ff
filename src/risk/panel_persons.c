/* The panel's loader, persons: every person with their records' dates of birth, sex, ethnicity, area and the keys of family inference. */
#include "panel_int.h"

#include "link/link.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Postcode (or postcode district) -> community area, from the places the reference
 * geography imported: agencies give a postcode far more often than an area. */
struct pc_area {
    const char *postcode, *area;
};

static int cmp_pc(const void *a, const void *b)
{
    return strcmp(((const struct pc_area *)a)->postcode, ((const struct pc_area *)b)->postcode);
}

static int load_postcode_areas(struct loader *L, struct pc_area **out, size_t *n,
                               struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(L->s,
                           "SELECT postcode, MIN(area) FROM place WHERE postcode IS NOT NULL "
                           "AND area IS NOT NULL AND in_county = 1 GROUP BY postcode",
                           &st, err);
    if (rc)
        return rc;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct pc_area *x = svp_grow(*out, &cap, *n + 1, sizeof *x, 1024);
        if (!x) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading postcodes");
            break;
        }
        *out = x;
        const char *pc = store_column_text(st, 0), *area = store_column_text(st, 1);
        char *dpc = svp_arena_strndup(L->p->arena, pc, strlen(pc));
        if (!dpc) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading postcodes");
            break;
        }
        (*out)[(*n)++] = (struct pc_area){dpc, panel_intern(L, area)};
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (*n > 1)
        qsort(*out, *n, sizeof **out, cmp_pc);
    return SVP_OK;
}

static const char *area_of_postcode(const struct pc_area *map, size_t n, const char *pc)
{
    if (!pc || !*pc || !n)
        return NULL;
    struct pc_area key = {pc, NULL};
    const struct pc_area *hit = bsearch(&key, map, n, sizeof *map, cmp_pc);
    return hit ? hit->area : NULL;
}

/* One record's name under its postcode, for names one slip apart or swapped (family.c). */
static int family_name_entry(struct loader *L, uint32_t idx, uint64_t pk, const char *name,
                             bool given)
{
    struct risk_famname *x =
        svp_grow(L->fam_names, &L->capfam_names, L->nfam_names + 1, sizeof *x, 1024);
    if (!x)
        return SVP_ENOMEM;
    L->fam_names = x;
    x = &L->fam_names[L->nfam_names];
    memset(x, 0, sizeof *x);
    x->key = pk;
    x->person = idx;
    x->given = given;
    size_t k = 0;
    for (const char *s = name; *s && k + 1 < sizeof x->name; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            x->name[k++] = (char)(*s | 0x20);
    x->name[k] = '\0';
    /* one entry per person, name and field: a person's records repeat them (a record's
     * family entry and given entry alternate, so look back two) */
    for (size_t b = 1; b <= 2 && b <= L->nfam_names; b++) {
        const struct risk_famname *y = &L->fam_names[L->nfam_names - b];
        if (y->person == idx && y->key == pk && y->given == given && !strcmp(y->name, x->name))
            return SVP_OK;
    }
    if (k)
        L->nfam_names++;
    return SVP_OK;
}

/* One record's keys of family inference (family.c): its family name with its address (the
 * address line names the town, so a record without a postcode keys too), each part of a
 * double-barrelled name with the address (one agency keys "Smith-Jones", another "Smith"),
 * the family name's sound with the address (a name typed differently on every record), the
 * family name with the postcode, and the family and given names under the postcode (names
 * one slip apart, names swapped between the fields). */
static int family_keys(struct loader *L, uint32_t idx, const char *fam, const char *given,
                       const char *addr, const char *pc)
{
    int rc = SVP_OK;
    bool has_addr = addr && *addr;
    if (fam && *fam) {
        /* the parts of a family name of two or more words, with the address and with the
         * postcode (one agency keys "Smith-Jones", another "Smith") */
        const char *s = fam;
        char part[64];
        size_t k = 0;
        for (;; s++) {
            bool letter = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
            if (letter && k + 1 < sizeof part) {
                part[k++] = *s;
                continue;
            }
            if (letter)
                continue;
            if (k) {
                part[k] = '\0';
                if (k >= 3 && strlen(fam) > k && has_addr && !rc)
                    rc = panel_add_famrec(&L->fam_addr, &L->nfam_addr, &L->capfam_addr,
                                          risk_key_hash(part, addr), idx);
                if (k >= 3 && strlen(fam) > k && !rc)
                    rc = panel_add_famrec(&L->fam_pc, &L->nfam_pc, &L->capfam_pc,
                                          risk_key_hash(part, pc), idx);
                k = 0;
            }
            if (!*s)
                break;
        }
    }
    if (!rc && has_addr && fam && *fam) {
        rc = panel_add_famrec(&L->fam_addr, &L->nfam_addr, &L->capfam_addr,
                              risk_key_hash(fam, addr), idx);
        const char *s;
        char sound[64], norm[64];
        size_t nn = 0;
        for (s = fam; *s && nn + 1 < sizeof norm; s++)
            if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
                norm[nn++] = (char)(*s | 0x20);
        norm[nn] = '\0';
        if (!rc && nn && link_phonetic(norm, nn, sound, sizeof sound) >= 2)
            rc = panel_add_famrec(&L->fam_sound, &L->nfam_sound, &L->capfam_sound,
                                  risk_key_hash(sound, addr), idx);
    }
    if (!rc)
        rc = panel_add_famrec(&L->fam_pc, &L->nfam_pc, &L->capfam_pc, risk_key_hash(fam, pc),
                              idx);
    uint64_t pk = risk_key_hash("postcode", pc);
    if (!rc && pk && fam && *fam)
        rc = family_name_entry(L, idx, pk, fam, false);
    if (!rc && pk && fam && *fam && given && *given)
        rc = family_name_entry(L, idx, pk, given, true);
    return rc;
}

/* One record's contact phone (detail.contact_phone: a parent's or carer's number, not the
 * person's own) with its family name, for brothers and sisters one carer's number names
 * (family.c). A detail that is not JSON, or no usable number, adds nothing. */
static int family_phone(struct loader *L, uint32_t idx, const char *detail, const char *fam)
{
    char num[24];
    if (risk_detail_contact_phone(detail, num, sizeof num))
        return SVP_ENOMEM;
    if (!num[0])
        return SVP_OK;
    uint64_t key = risk_key_hash("contact phone", num);
    char name[28];
    size_t k = 0;
    for (const char *s = fam ? fam : ""; *s && k + 1 < sizeof name; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
            name[k++] = (char)(*s | 0x20);
    name[k] = '\0';
    /* one entry per person, number and name: a person's records repeat them */
    for (size_t b = 1; b <= 4 && b <= L->nfam_phone; b++) {
        const struct risk_famphone *y = &L->fam_phone[L->nfam_phone - b];
        if (y->person != idx)
            break;
        if (y->key == key && !strcmp(y->name, name))
            return SVP_OK;
    }
    struct risk_famphone *x =
        svp_grow(L->fam_phone, &L->capfam_phone, L->nfam_phone + 1, sizeof *x, 1024);
    if (!x)
        return SVP_ENOMEM;
    L->fam_phone = x;
    x = &L->fam_phone[L->nfam_phone++];
    x->key = key;
    x->person = idx;
    memcpy(x->name, name, k + 1);
    return SVP_OK;
}

struct pr_pair {
    int64_t person, record;
};

static int cmp_pr(const void *a, const void *b)
{
    const struct pr_pair *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return (x->record > y->record) - (x->record < y->record);
}

/* One person's neighbourhood (L->scope): its records by person and record, each read by
 * its id (an index), in the order the whole table's query gives them. */
static int scoped_pairs(struct loader *L, struct pr_pair **out, size_t *n, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct store_stmt *st = NULL;
    int rc = L->unlinked ? SVP_OK
                         : store_prepare(L->s, "SELECT person_id FROM person_record WHERE "
                                               "record_id = ?", &st, err);
    for (int64_t r = 1; !rc && r <= L->max_record && r <= L->scope_max; r++) {
        if (!L->scope[r])
            continue;
        int64_t pid = r;
        if (st) {
            store_reset(st);
            if (store_bind_int64(st, 1, r)) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            int step = store_step(st, err);
            if (step < 0) {
                rc = step;
                break;
            }
            if (step != STORE_ROW)
                continue;
            pid = store_column_int64(st, 0);
        }
        struct pr_pair *x = svp_grow(*out, &cap, *n + 1, sizeof *x, 256);
        if (!x) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        *out = x;
        x[(*n)++] = (struct pr_pair){pid, r};
    }
    store_finalize(&st);
    if (rc) {
        svp_free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof **out, cmp_pr);
    return SVP_OK;
}

int panel_load_persons(struct loader *L, struct svp_err *err)
{
    struct risk_panel *p = L->p;
    int rc = store_query_int64(L->s, "SELECT COALESCE(MAX(id), 0) FROM record", &L->max_record,
                               err);
    if (rc)
        return rc;
    L->rec_person = svp_calloc((size_t)L->max_record + 1, sizeof *L->rec_person);
    if (!L->rec_person)
        return svp_err_set(err, SVP_ENOMEM, "out of memory for %lld records",
                           (long long)L->max_record);
    const char *sql =
        L->scope
            ? "SELECT CAST(? AS BIGINT), r.id, r.dob, r.sex, r.ethnicity, r.area, r.role, r.postcode, "
              "COALESCE(r.norm_family, r.family_name), r.address, r.given_name, r.detail "
              "FROM record r WHERE r.id = ?"
        : L->unlinked
            ? "SELECT r.id, r.id, r.dob, r.sex, r.ethnicity, r.area, r.role, r.postcode, "
              "COALESCE(r.norm_family, r.family_name), r.address, r.given_name, r.detail "
              "FROM record r ORDER BY r.id"
            : "SELECT pr.person_id, r.id, r.dob, r.sex, r.ethnicity, r.area, r.role, r.postcode, "
              "COALESCE(r.norm_family, r.family_name), r.address, r.given_name, r.detail "
              "FROM person_record pr JOIN record r ON r.id = pr.record_id "
              "ORDER BY pr.person_id, r.id";
    struct pc_area *pcmap = NULL;
    size_t npc = 0;
    if ((rc = load_postcode_areas(L, &pcmap, &npc, err))) {
        svp_free(pcmap);
        return rc;
    }
    struct pr_pair *pairs = NULL;
    size_t npairs = 0, next = 0;
    if (L->scope && (rc = scoped_pairs(L, &pairs, &npairs, err))) {
        svp_free(pcmap);
        return rc;
    }
    struct store_stmt *st = NULL;
    if ((rc = store_prepare(L->s, sql, &st, err))) {
        svp_free(pcmap);
        svp_free(pairs);
        return rc;
    }
    size_t cap = 0;
    int64_t cur = -1;
    struct vote vsex = {0}, veth = {0}, varea = {0};
    /* values are borrowed from the row, so panel_intern them as they arrive */
    for (;;) {
        if (L->scope) { /* the neighbourhood's records one by one */
            if (next == npairs) {
                rc = STORE_DONE;
                break;
            }
            store_reset(st);
            if (store_bind_int64(st, 1, pairs[next].person) ||
                store_bind_int64(st, 2, pairs[next].record)) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            next++;
        }
        if ((rc = store_step(st, err)) != STORE_ROW) {
            if (rc < 0 || !L->scope)
                break;
            continue;
        }
        int64_t pid = store_column_int64(st, 0), rid = store_column_int64(st, 1);
        if (pid != cur) {
            if (cur >= 0)
                panel_vote_settle(&p->persons[p->npersons - 1], &vsex, &veth, &varea);
            /* persons and their load-time info grow together, one capacity for both */
            size_t pcap = cap, icap = cap, need = p->npersons + 1;
            struct risk_person *np = svp_grow(p->persons, &pcap, need, sizeof *np, 1024);
            struct pinfo *ni = np ? svp_grow(L->info, &icap, need, sizeof *ni, 1024) : NULL;
            if (np)
                p->persons = np;
            if (!np || !ni) {
                store_finalize(&st);
                svp_free(pcmap);
                svp_free(pairs);
                return svp_err_set(err, SVP_ENOMEM, "out of memory loading persons");
            }
            L->info = ni;
            cap = icap;
            struct risk_person *rp = &p->persons[p->npersons];
            memset(rp, 0, sizeof *rp);
            memset(&L->info[p->npersons], 0, sizeof L->info[0]);
            rp->person_id = pid;
            rp->age = -1;
            p->npersons++;
            cur = pid;
            memset(&vsex, 0, sizeof vsex);
            memset(&veth, 0, sizeof veth);
            memset(&varea, 0, sizeof varea);
        }
        uint32_t idx = (uint32_t)(p->npersons - 1);
        struct pinfo *pi = &L->info[idx];
        if (rid > 0 && rid <= L->max_record)
            L->rec_person[rid] = idx + 1;
        svp_day dob;
        if (!pi->has_dob && panel_day_of(store_column_text(st, 2), &dob)) {
            pi->has_dob = true;
            pi->dob = dob;
            pi->dob_record = rid;
        }
        panel_vote_add(&vsex, panel_intern(L, store_column_text(st, 3)));
        panel_vote_add(&veth, panel_intern(L, store_column_text(st, 4)));
        const char *area = store_column_text(st, 5);
        if (!area || !*area) {
            /* a full postcode, else its district (health records give only the district) */
            const char *pc = store_column_text(st, 7);
            area = area_of_postcode(pcmap, npc, pc);
            if (!area && pc) {
                char district[16];
                size_t k = 0;
                while (pc[k] && pc[k] != ' ' && k + 1 < sizeof district) {
                    district[k] = pc[k];
                    k++;
                }
                district[k] = '\0';
                area = area_of_postcode(pcmap, npc, district);
            }
        }
        panel_vote_add(&varea, panel_intern(L, area));
        /* family name with address, and with postcode: the keys of family inference */
        if (family_keys(L, idx, store_column_text(st, 8), store_column_text(st, 10),
                        store_column_text(st, 9), store_column_text(st, 7)) ||
            family_phone(L, idx, store_column_text(st, 11), store_column_text(st, 8))) {
            store_finalize(&st);
            svp_free(pcmap);
            svp_free(pairs);
            return svp_err_set(err, SVP_ENOMEM, "out of memory loading persons");
        }
        const char *role = store_column_text(st, 6);
        if (role && !strcmp(role, "child"))
            pi->role_child = true;
        else if (role && !strcmp(role, "adult"))
            pi->role_adult = true;
    }
    if (cur >= 0)
        panel_vote_settle(&p->persons[p->npersons - 1], &vsex, &veth, &varea);
    store_finalize(&st);
    svp_free(pcmap);
    svp_free(pairs);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < p->npersons; i++) {
        struct risk_person *rp = &p->persons[i];
        struct pinfo *pi = &L->info[i];
        if (pi->has_dob) {
            rp->age = svp_date_age(pi->dob, L->as_of);
            rp->dob = pi->dob;
            rp->child = rp->age >= 0 && rp->age < 18;
        } else {
            rp->child = pi->role_child;
        }
        pi->first_placement_day = INT32_MAX;
    }
    return SVP_OK;
}
