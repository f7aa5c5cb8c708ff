/* `svp profile draft`: candidate keys (single columns, pairs, triples unique over the rows
 * read) and the person and row ids the draft chooses from them. */
#include "draft_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool id_like(const struct col *c)
{
    if (c->kind == K_DATE || c->kind == K_TIME || c->kind == K_NUM || c->kind == K_FLAG ||
        c->blank || c->spaces ||
        c->maxlen > 40 || c->distinct.n < 2 || c->digits * 10 < c->nonblank * 9)
        return false; /* an id has no blanks or spaces, and digits in nearly every value */
    return true;
}

int draft_id_score(const struct col *c)
{
    /* a hospital's number for its patient (MRN, "Hospital No", a PAS or case note number)
     * names the person as a pupil number does */
    static const char *const person[] = {"person", "subject", "child", "client", "pupil", "upn",
                                         "yp", "patient", "nominal", "individual", "service",
                                         "user", "customer", "mosaic", "lcs", "pid",
                                         "victim", "complainant", "aggrieved", "misper", "mrn",
                                         "hospital", "pas", "casenote", NULL};
    static const char *const idw[] = {"id", "ref", "no", "number", "num", "code", "key", "upn",
                                      "reference", "urn", NULL};
    char k[64];
    draft_compact(c->name, k, sizeof k);
    int s = 0;
    if (draft_has_any(c, person) || strstr(k, "person") || strstr(k, "child") || strstr(k, "client"))
        s += 4;
    if (draft_has_any(c, idw) || strstr(k, "ref") || !strcmp(k + (strlen(k) > 2 ? strlen(k) - 2 : 0), "id"))
        s += 2;
    if (draft_has_word(c, "nhs"))
        s -= 10; /* a shared identifier, not the agency's own */
    return s;
}

/* Whether a column can be part of a key: not a measure (a decimal, or a whole number whose
 * name does not say id, ref or number). */
static bool key_kind(const struct col *c)
{
    return c->kind != K_NUM && (c->kind != K_INT || draft_id_score(c) > 0);
}

/* Candidate keys: single columns unique over the rows read, then pairs and (when no pair
 * is unique) triples of the id-like columns with most distinct values. */
int draft_find_keys(struct draft *d, struct svp_err *err)
{
    int cand[DRAFT_KEY_COLS], ncand = 0;
    /* a key may repeat on a few rows (0.5%): the duplicates an import rejects */
    int64_t tol = d->rows / 200;
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        c->dups = d->rows - (int64_t)c->distinct.n;
        if (c->unusable || c->blank || !c->nonblank || !key_kind(c) || c->kind == K_DATE ||
            c->kind == K_TIME)
            continue;
        if (c->dups <= tol && d->rows > 1 && d->nsingles < 8)
            d->singles[d->nsingles++] = i;
    }
    /* the columns worth combining: no blanks, far from unique alone, most distinct first */
    bool used[DRAFT_MAX_COLS] = {false};
    while (ncand < DRAFT_KEY_COLS) {
        int best = -1;
        for (int i = 0; i < d->ncols; i++) {
            struct col *c = &d->cols[i];
            if (used[i] || c->unusable || c->blank || !c->nonblank || c->maxlen > 64 ||
                !key_kind(c) || (int64_t)c->distinct.n * 10 >= d->rows * 9 ||
                c->distinct.n < 2)
                continue;
            if (best < 0 || c->distinct.n > d->cols[best].distinct.n)
                best = i;
        }
        if (best < 0)
            break;
        used[best] = true;
        cand[ncand++] = best;
    }
    if (ncand < 2 || d->rows < 2)
        return SVP_OK;
    /* sort the candidates into header order, so keys read as the header does */
    for (int i = 1; i < ncand; i++)
        for (int j = i; j > 0 && cand[j - 1] > cand[j]; j--) {
            int t = cand[j];
            cand[j] = cand[j - 1];
            cand[j - 1] = t;
        }
    uint64_t *h = svp_calloc((size_t)d->rows * (size_t)ncand, sizeof *h);
    if (!h)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    struct svp_csv_opts o = {.delim = d->delim};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(d->text, d->len, &o, &csv, err);
    struct svp_csv_row r;
    int64_t row = 0;
    if (!rc && (rc = svp_csv_next(csv, &r, err)) == 1)
        rc = 0;
    int next = 1;
    while (!rc && row < d->rows && (next = svp_csv_next(csv, &r, err)) == 1) {
        if (r.error || r.nfields != (size_t)d->ncols)
            continue;
        for (int k = 0; k < ncand; k++) {
            const char *s = r.fields[cand[k]].p;
            size_t n = r.fields[cand[k]].len;
            while (n && isspace((unsigned char)*s))
                s++, n--;
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            h[row * ncand + k] = svp_fnv1a(s, n, SVP_FNV1A_START + (uint64_t)k);
        }
        row++;
    }
    svp_csv_free(&csv);
    if (!rc && next == SVP_ENOMEM)
        rc = SVP_ENOMEM;
    if (rc) {
        svp_free(h);
        return rc == SVP_ENOMEM ? svp_err_set(err, SVP_ENOMEM, "out of memory") : SVP_OK;
    }
    for (int a = 0; a < ncand && !rc; a++)
        for (int b = a + 1; b < ncand && !rc && d->npairs < 8; b++) {
            struct hset s = {0};
            int64_t dups = 0;
            for (int64_t i = 0; i < row && dups <= tol && !rc; i++) {
                uint64_t x = h[i * ncand + a] * 0x9E3779B97F4A7C15ull ^ h[i * ncand + b];
                int got = draft_hset_add(&s, x);
                if (got < 0)
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                dups += got == 0;
            }
            draft_hset_free(&s);
            if (dups <= tol && !rc) {
                d->pair_dups[d->npairs] = dups;
                d->pairs[d->npairs][0] = cand[a];
                d->pairs[d->npairs++][1] = cand[b];
            }
        }
    int nt = ncand < 10 ? ncand : 10;
    for (int a = 0; a < nt && !rc && !d->npairs && !d->nsingles; a++)
        for (int b = a + 1; b < nt && !rc; b++)
            for (int c = b + 1; c < nt && !rc && d->ntriples < 4; c++) {
                struct hset s = {0};
                int64_t dups = 0;
                for (int64_t i = 0; i < row && dups <= tol && !rc; i++) {
                    uint64_t x = (h[i * ncand + a] * 0x9E3779B97F4A7C15ull ^ h[i * ncand + b]) *
                                     0xC2B2AE3D27D4EB4Full ^ h[i * ncand + c];
                    int got = draft_hset_add(&s, x);
                    if (got < 0)
                        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                    dups += got == 0;
                }
                draft_hset_free(&s);
                if (dups <= tol && !rc) {
                    d->triple_dups[d->ntriples] = dups;
                    d->triples[d->ntriples][0] = cand[a];
                    d->triples[d->ntriples][1] = cand[b];
                    d->triples[d->ntriples++][2] = cand[c];
                }
            }
    svp_free(h);
    return rc;
}

/* The person id and the row id. The person id is the id-like column whose header names a
 * person (PersonRef, UPN, ChildRef, Subject) or else the first unique one; the row id is
 * then the person id when that is unique, a unique id-like column, a unique pair holding
 * the person id, or the line number. */
void draft_choose_ids(struct draft *d)
{
    d->person = -1;
    int best = -1, best_s = 0;
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->unusable || !id_like(c))
            continue;
        int s = draft_id_score(c);
        if (c->kind == K_CODE && s < 4)
            continue; /* few values, each on many rows: a code, unless its name says person */
        if (s > best_s)
            best = i, best_s = s;
    }
    if (best < 0 && d->nsingles) {
        for (int k = 0; k < d->nsingles && best < 0; k++)
            if (id_like(&d->cols[d->singles[k]]))
                best = d->singles[k];
    }
    /* a health extract may hold no id but the NHS number: it names the person (with its
     * spaces, as health systems print it), when nearly every row has one (a row without
     * is rejected: at most 0.5% of them, as for a key) */
    for (int i = 0; i < d->ncols && best < 0; i++) {
        struct col *c = &d->cols[i];
        if (!c->unusable && c->nonblank && c->blank * 200 <= c->blank + c->nonblank &&
            c->nhs * 10 >= c->nonblank * 9) {
            best = i;
            d->person_nhs = true;
        }
    }
    d->person = best;
    d->person_line = best < 0;
    /* the row's own key: a unique id-like column other than the person id (a report, case
     * or attendance number), the most id-like first */
    int rbest = -1, rs = -100;
    for (int k = 0; k < d->nsingles; k++) {
        struct col *c = &d->cols[d->singles[k]];
        if (!id_like(c) || d->singles[k] == best || c->kind == K_CODE)
            continue;
        int s = draft_id_score(c);
        if (s > rs && s >= 0)
            rbest = d->singles[k], rs = s;
    }
    if (rbest >= 0) {
        d->row_parts[0] = rbest;
        d->nrow_parts = 1;
        return;
    }
    if (best >= 0 && d->cols[best].dups == 0)
        return; /* one row per person: the row id is the person id */
    for (int k = 0; k < d->npairs; k++)
        if (d->pairs[k][0] == best || d->pairs[k][1] == best) {
            d->row_parts[0] = d->pairs[k][0];
            d->row_parts[1] = d->pairs[k][1];
            d->nrow_parts = 2;
            return;
        }
    for (int k = 0; k < d->ntriples; k++)
        for (int j = 0; j < 3; j++)
            if (d->triples[k][j] == best) {
                memcpy(d->row_parts, d->triples[k], sizeof d->row_parts);
                d->nrow_parts = 3;
                return;
            }
    if (!d->person_line)
        d->row_line = true;
}
