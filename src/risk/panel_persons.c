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

/* One record's row of the persons query: its person and record ids and its text columns
 * (NULL when null), whether read from the statement or from the records' copies. */
enum { PC_DOB, PC_SEX, PC_ETH, PC_AREA, PC_ROLE, PC_POSTCODE, PC_FAMILY, PC_ADDRESS, PC_GIVEN,
       PC_DETAIL, PC_N };
struct prow {
    int64_t pid, rid;
    const char *c[PC_N];
};

/* The reading of the records, person after person, each person's records in id order. */
struct preader {
    int64_t cur; /* the person being read (-1 none yet) */
    size_t cap;
    struct vote vsex, veth, varea;
    const struct pc_area *pcmap;
    size_t npc;
};

/* One record of the person being read, or of the next one (ids as the whole table's query
 * gives them: by person, then record). SVP_ENOMEM or SVP_OK. */
static int person_row(struct loader *L, struct preader *R, const struct prow *row)
{
    struct risk_panel *p = L->p;
    int64_t pid = row->pid, rid = row->rid;
    if (pid != R->cur) {
        if (R->cur >= 0)
            panel_vote_settle(&p->persons[p->npersons - 1], &R->vsex, &R->veth, &R->varea);
        /* persons and their load-time info grow together, one capacity for both */
        size_t pcap = R->cap, icap = R->cap, need = p->npersons + 1;
        struct risk_person *np = svp_grow(p->persons, &pcap, need, sizeof *np, 1024);
        struct pinfo *ni = np ? svp_grow(L->info, &icap, need, sizeof *ni, 1024) : NULL;
        if (np)
            p->persons = np;
        if (!np || !ni)
            return SVP_ENOMEM;
        L->info = ni;
        R->cap = icap;
        struct risk_person *rp = &p->persons[p->npersons];
        memset(rp, 0, sizeof *rp);
        memset(&L->info[p->npersons], 0, sizeof L->info[0]);
        rp->person_id = pid;
        rp->age = -1;
        p->npersons++;
        R->cur = pid;
        memset(&R->vsex, 0, sizeof R->vsex);
        memset(&R->veth, 0, sizeof R->veth);
        memset(&R->varea, 0, sizeof R->varea);
    }
    uint32_t idx = (uint32_t)(p->npersons - 1);
    struct pinfo *pi = &L->info[idx];
    svp_day dob;
    bool has_dob = panel_day_cached(L, row->c[PC_DOB], &dob);
    const char *role = row->c[PC_ROLE];
    bool role_child = role && !strcmp(role, "child");
    if (rid > 0 && rid <= L->max_record) {
        L->rec_person[rid] = idx + 1;
        L->rec_flags[rid] = REC_READ | (has_dob ? REC_DOB : 0) | (role_child ? REC_CHILD : 0);
        L->rec_dob[rid] = has_dob ? dob : 0;
    }
    if (!pi->has_dob && has_dob) {
        pi->has_dob = true;
        pi->dob = dob;
        pi->dob_record = rid;
    }
    panel_vote_add(&R->vsex, panel_intern(L, row->c[PC_SEX]));
    panel_vote_add(&R->veth, panel_intern(L, row->c[PC_ETH]));
    const char *area = row->c[PC_AREA];
    if (!area || !*area) {
        /* a full postcode, else its district (health records give only the district) */
        const char *pc = row->c[PC_POSTCODE];
        area = area_of_postcode(R->pcmap, R->npc, pc);
        if (!area && pc) {
            char district[16];
            size_t k = 0;
            while (pc[k] && pc[k] != ' ' && k + 1 < sizeof district) {
                district[k] = pc[k];
                k++;
            }
            district[k] = '\0';
            area = area_of_postcode(R->pcmap, R->npc, district);
        }
    }
    panel_vote_add(&R->varea, panel_intern(L, area));
    /* the address with its postcode, for children's homes and foster placements
     * (panel_links.c): one entry per person and address */
    uint64_t home = risk_key_hash(row->c[PC_ADDRESS], row->c[PC_POSTCODE]);
    bool seen = false;
    for (size_t b = L->nhomes; home && b > 0 && L->homes[b - 1].person == idx && !seen; b--)
        seen = L->homes[b - 1].key == home;
    if (home && !seen &&
        panel_add_famrec(&L->homes, &L->nhomes, &L->caphomes, home, idx))
        return SVP_ENOMEM;
    /* family name with address, and with postcode: the keys of family inference */
    if (family_keys(L, idx, row->c[PC_FAMILY], row->c[PC_GIVEN], row->c[PC_ADDRESS],
                    row->c[PC_POSTCODE]) ||
        family_phone(L, idx, row->c[PC_DETAIL], row->c[PC_FAMILY]))
        return SVP_ENOMEM;
    if (role_child)
        pi->role_child = true;
    else if (role && !strcmp(role, "adult"))
        pi->role_adult = true;
    return SVP_OK;
}

/* A record's copy: its id, person and the offsets of its columns' text in the copies'
 * buffer (UINT32_MAX: null). */
struct rcopy {
    int64_t pid, rid;
    uint32_t off[PC_N];
};

static int cmp_rcopy(const void *a, const void *b)
{
    const struct rcopy *x = a, *y = b;
    if (x->pid != y->pid)
        return x->pid < y->pid ? -1 : 1;
    return (x->rid > y->rid) - (x->rid < y->rid);
}

/* Every linked record, read as the whole table's query by person and record would give
 * them, but without it: the records are read in the table's order and the persons' links
 * apart (the join and its sort cost SQLite more than the rest of the reading), then put in
 * the order of person and record in memory. */
static int read_linked_records(struct loader *L, struct preader *R, struct svp_err *err)
{
    int64_t *pid_of = svp_calloc((size_t)L->max_record + 1, sizeof *pid_of);
    uint8_t *linked = svp_calloc((size_t)L->max_record + 1, 1);
    struct rcopy *rows = NULL;
    size_t nrows = 0, caprows = 0;
    struct svp_buf text;
    svp_buf_init(&text, UINT32_MAX - 1);
    struct store_stmt *st = NULL;
    int rc = pid_of && linked ? SVP_OK : svp_err_set(err, SVP_ENOMEM, "out of memory");
    if (!rc)
        rc = store_prepare(L->s, "SELECT record_id, person_id FROM person_record", &st, err);
    if (!rc)
        while ((rc = store_step(st, err)) == STORE_ROW) {
            int64_t rid = store_column_int64(st, 0);
            if (rid > 0 && rid <= L->max_record) {
                pid_of[rid] = store_column_int64(st, 1);
                linked[rid] = 1;
            }
        }
    store_finalize(&st);
    if (!rc)
        rc = store_prepare(L->s,
                           "SELECT r.id, r.dob, r.sex, r.ethnicity, r.area, r.role, r.postcode, "
                           "COALESCE(r.norm_family, r.family_name), r.address, r.given_name, "
                           "r.detail FROM record r ORDER BY r.id",
                           &st, err);
    if (!rc)
        while ((rc = store_step(st, err)) == STORE_ROW) {
            int64_t rid = store_column_int64(st, 0);
            if (rid <= 0 || rid > L->max_record || !linked[rid])
                continue;
            struct rcopy *x = svp_grow(rows, &caprows, nrows + 1, sizeof *x, 4096);
            if (!x) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading persons");
                break;
            }
            rows = x;
            x = &rows[nrows++];
            x->pid = pid_of[rid];
            x->rid = rid;
            for (int c = 0; c < PC_N && rc == STORE_ROW; c++) {
                const char *v = store_column_text(st, 1 + c);
                x->off[c] = UINT32_MAX;
                if (!v)
                    continue;
                x->off[c] = (uint32_t)text.len;
                if (svp_buf_append(&text, v, strlen(v) + 1))
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading persons");
            }
            if (rc != STORE_ROW)
                break;
        }
    store_finalize(&st);
    svp_free(pid_of);
    svp_free(linked);
    if (!rc) {
        /* by person, then record: read in record order, so a stable order by person is
         * that (risk_order_key64, the sign bit flipped to keep the ids' order), else the
         * comparison */
        uint64_t *keys = nrows > 1 ? svp_malloc(nrows * sizeof *keys) : NULL;
        uint32_t *perm = keys ? svp_malloc(nrows * sizeof *perm) : NULL;
        struct rcopy *sorted = perm ? svp_malloc(nrows * sizeof *sorted) : NULL;
        for (size_t i = 0; sorted && i < nrows; i++)
            keys[i] = (uint64_t)rows[i].pid ^ (1ull << 63);
        if (sorted && !risk_order_key64(keys, nrows, perm)) {
            for (size_t i = 0; i < nrows; i++)
                sorted[i] = rows[perm[i]];
            svp_free(rows);
            rows = sorted;
            sorted = NULL;
        } else if (nrows > 1) {
            qsort(rows, nrows, sizeof *rows, cmp_rcopy);
        }
        svp_free(keys);
        svp_free(perm);
        svp_free(sorted);
        for (size_t i = 0; i < nrows && !rc; i++) {
            struct prow row = {.pid = rows[i].pid, .rid = rows[i].rid};
            for (int c = 0; c < PC_N; c++)
                row.c[c] = rows[i].off[c] == UINT32_MAX ? NULL : text.data + rows[i].off[c];
            if (person_row(L, R, &row))
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading persons");
        }
    }
    svp_free(rows);
    svp_buf_free(&text);
    return rc;
}

int panel_load_persons(struct loader *L, struct svp_err *err)
{
    struct risk_panel *p = L->p;
    int rc = store_query_int64(L->s, "SELECT COALESCE(MAX(id), 0) FROM record", &L->max_record,
                               err);
    if (rc)
        return rc;
    L->rec_person = svp_calloc((size_t)L->max_record + 1, sizeof *L->rec_person);
    L->rec_flags = svp_calloc((size_t)L->max_record + 1, sizeof *L->rec_flags);
    L->rec_dob = svp_calloc((size_t)L->max_record + 1, sizeof *L->rec_dob);
    if (!L->rec_person || !L->rec_flags || !L->rec_dob)
        return svp_err_set(err, SVP_ENOMEM, "out of memory for %lld records",
                           (long long)L->max_record);
    const char *sql =
        L->scope
            ? "SELECT CAST(? AS BIGINT), r.id, r.dob, r.sex, r.ethnicity, r.area, r.role, r.postcode, "
              "COALESCE(r.norm_family, r.family_name), r.address, r.given_name, r.detail "
              "FROM record r WHERE r.id = ?"
            : "SELECT r.id, r.id, r.dob, r.sex, r.ethnicity, r.area, r.role, r.postcode, "
              "COALESCE(r.norm_family, r.family_name), r.address, r.given_name, r.detail "
              "FROM record r ORDER BY r.id";
    struct pc_area *pcmap = NULL;
    size_t npc = 0;
    if ((rc = load_postcode_areas(L, &pcmap, &npc, err))) {
        svp_free(pcmap);
        return rc;
    }
    struct preader R = {.cur = -1, .pcmap = pcmap, .npc = npc};
    if (!L->scope && !L->unlinked) {
        rc = read_linked_records(L, &R, err);
    } else {
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
            struct prow row = {.pid = store_column_int64(st, 0),
                               .rid = store_column_int64(st, 1)};
            for (int c = 0; c < PC_N; c++)
                row.c[c] = store_column_text(st, 2 + c);
            if (person_row(L, &R, &row)) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory loading persons");
                break;
            }
        }
        store_finalize(&st);
        svp_free(pairs);
    }
    if (R.cur >= 0 && rc >= 0)
        panel_vote_settle(&p->persons[p->npersons - 1], &R.vsex, &R.veth, &R.varea);
    svp_free(pcmap);
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
