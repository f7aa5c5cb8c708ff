/* A quality report any partnership can run: the tracker's ranking against a list of children
 * the partnership knows were exploited (with the month harm began) and of children known not
 * to be (decoys, by kind), beside a naive baseline (ranked by missing episodes) in the same
 * run: recall and precision at K, decoys in the top K per kind, the area under the
 * precision-recall curve (average precision) and months from first harm to the top K. */
#include "risk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int kind_index(struct risk_quality *q, const char *k)
{
    for (size_t i = 0; i < q->nkinds; i++)
        if (!strcmp(q->kinds[i], k))
            return (int)i;
    if (q->nkinds >= RISK_QUALITY_KINDS)
        return -1;
    svp_strlcpy(q->kinds[q->nkinds], k, sizeof q->kinds[0]);
    return (int)q->nkinds++;
}

/* The person of "SOURCE:ID" (the agency's own id under its id space or source) or of a
 * record id; 0 when no such record is linked. */
static int resolve(struct store *s, const char *ref, int64_t *person, struct svp_err *err)
{
    *person = 0;
    const char *colon = strchr(ref, ':');
    struct store_stmt *st = NULL;
    int rc;
    if (colon) {
        rc = store_prepare(s,
                           "SELECT pr.person_id FROM record r JOIN person_record pr ON "
                           "pr.record_id = r.id WHERE r.source = ? AND r.agency_record_id = ?",
                           &st, err);
        if (rc)
            return rc;
        if (store_bind_text(st, 1, ref, (int)(colon - ref)) ||
            store_bind_text(st, 2, colon + 1, -1)) {
            store_finalize(&st);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
    } else {
        int64_t id;
        if (svp_parse_i64(ref, &id) || id < 1)
            return SVP_EINPUT;
        rc = store_prepare(s, "SELECT person_id FROM person_record WHERE record_id = ?", &st,
                           err);
        if (rc)
            return rc;
        if (store_bind_int64(st, 1, id)) {
            store_finalize(&st);
            return svp_err_set(err, SVP_ENOMEM, "out of memory");
        }
    }
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        *person = store_column_int64(st, 0);
    store_finalize(&st);
    return rc < 0 ? rc : SVP_OK;
}

int risk_quality_truth_parse(const char *data, size_t len, const char *name,
                             struct risk_quality *q, struct risk_quality_child **out, size_t *n,
                             struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    struct svp_csv_opts copts = {.delim = ',', .max_field = 4096, .max_fields = 32,
                                 .check_utf8 = true};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(data, len, &copts, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row row;
    int col_child = -1, col_kind = -1, col_harm = -1;
    size_t cap = 0;
    while ((rc = svp_csv_next(csv, &row, err)) == 1) {
        if (row.error) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, NULL, "%s", row.error);
            goto out;
        }
        if (row.nfields == 1 && !*row.fields[0].p)
            continue;
        if (col_child < 0) {
            for (size_t i = 0; i < row.nfields; i++) {
                const char *h = row.fields[i].p;
                if (!strcmp(h, "child"))
                    col_child = (int)i;
                else if (!strcmp(h, "kind"))
                    col_kind = (int)i;
                else if (!strcmp(h, "first_harm"))
                    col_harm = (int)i;
            }
            if (col_child < 0 || col_kind < 0) {
                rc = svp_err_at(err, SVP_EINPUT, name, row.line, NULL,
                                "the header must name the columns child and kind (and "
                                "first_harm for the months to the top K)");
                goto out;
            }
            continue;
        }
        const char *child = (size_t)col_child < row.nfields ? row.fields[col_child].p : "";
        const char *kind = (size_t)col_kind < row.nfields ? row.fields[col_kind].p : "";
        const char *harm = col_harm >= 0 && (size_t)col_harm < row.nfields
                               ? row.fields[col_harm].p
                               : "";
        if (!*child) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "child",
                            "a child is needed: SOURCE:ID (an agency's own id) or a record id");
            goto out;
        }
        struct risk_quality_child c = {0};
        svp_strlcpy(c.ref, child, sizeof c.ref);
        if (!strncmp(kind, "exploited", 9) && (!kind[9] || kind[9] == ':')) {
            c.exploited = true;
        } else if (!strncmp(kind, "decoy", 5) && (!kind[5] || kind[5] == ':')) {
            c.kind = kind_index(q, kind[5] ? kind + 6 : "decoy");
            if (c.kind < 0) {
                rc = svp_err_at(err, SVP_EINPUT, name, row.line, "kind",
                                "more than %d kinds of decoy", RISK_QUALITY_KINDS);
                goto out;
            }
        } else {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "kind",
                            "kind must be exploited or decoy (decoy:KIND names the kind), not "
                            "'%.40s'",
                            kind);
            goto out;
        }
        if (*harm) {
            char buf[16];
            size_t hl = strlen(harm);
            if (hl == 7)
                snprintf(buf, sizeof buf, "%s-01", harm);
            else
                svp_strlcpy(buf, harm, sizeof buf);
            if ((hl != 7 && hl != 10) || svp_date_parse_iso(buf, 10, &c.harm, NULL)) {
                rc = svp_err_at(err, SVP_EINPUT, name, row.line, "first_harm",
                                "first_harm must be YYYY-MM or YYYY-MM-DD");
                goto out;
            }
        }
        struct risk_quality_child *x = svp_grow(*out, &cap, *n + 1, sizeof *x, 256);
        if (!x) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading %s", name);
            goto out;
        }
        *out = x;
        x[(*n)++] = c;
    }
    if (rc == 0 && col_child < 0)
        rc = svp_err_at(err, SVP_EINPUT, name, 1, NULL, "the file is empty: a header child,kind "
                                                       "is needed");
out:
    svp_csv_free(&csv);
    if (rc < 0 || rc > 1) {
        svp_free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    return SVP_OK;
}

/* Ranks: svp's (rank order of scored children) and the baseline's (count of missing episodes
 * up to the scoring date, most first, ties by person id; children never missing unranked).
 * Fills rank_of[i] (1-based, 0 unranked) for persons of p. */
struct ranked {
    int64_t person_id;
    double key;
};

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

static bool person_ge(const void *arr, size_t i, const void *key)
{
    return ((const struct risk_person *)arr)[i].person_id < *(const int64_t *)key;
}

/* rank[i] for every person index i of p: svp's when baseline is false. */
static int ranks(const struct risk_panel *p, bool baseline, int *rank)
{
    struct ranked *r = svp_malloc((p->npersons ? p->npersons : 1) * sizeof *r);
    if (!r)
        return SVP_ENOMEM;
    size_t n = 0;
    if (baseline) {
        double *count = svp_calloc(p->npersons ? p->npersons : 1, sizeof *count);
        if (!count) {
            svp_free(r);
            return SVP_ENOMEM;
        }
        for (size_t i = 0; i < p->nfacts; i++)
            if (p->facts[i].indicator == RISK_MISSING_EPISODE && p->facts[i].day <= p->as_of)
                count[p->facts[i].person]++;
        for (size_t i = 0; i < p->npersons; i++)
            if (p->persons[i].status == RISK_SCORED && count[i] > 0)
                r[n++] = (struct ranked){p->persons[i].person_id, count[i]};
        svp_free(count);
        qsort(r, n, sizeof *r, cmp_ranked);
    } else {
        for (size_t i = 0; i < p->npersons; i++)
            if (p->persons[i].rank > 0)
                r[n++] = (struct ranked){p->persons[i].person_id, -p->persons[i].rank};
        qsort(r, n, sizeof *r, cmp_ranked);
    }
    memset(rank, 0, p->npersons * sizeof *rank);
    for (size_t k = 0; k < n; k++) {
        size_t i = svp_lower_bound(p->persons, p->npersons, &r[k].person_id, person_ge);
        rank[i] = (int)k + 1;
    }
    svp_free(r);
    return SVP_OK;
}

static int cmp_int(const void *a, const void *b)
{
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* The measures of one ranking for the truth children (indexes of persons in p). */
static void measure(const struct risk_quality *q, const struct risk_quality_child *c, size_t n,
                    const int *rank, const struct risk_panel *p, struct risk_quality_ranking *m)
{
    memset(m->decoys_top, 0, sizeof m->decoys_top);
    m->hits = 0;
    /* distinct persons: an exploited one wins over a decoy with the same person */
    int *ex_ranks = svp_malloc((n ? n : 1) * sizeof *ex_ranks);
    size_t nex = 0;
    for (size_t i = 0; i < n; i++) {
        int r = 0;
        if (c[i].person_index >= 0)
            r = rank[c[i].person_index];
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = c[j].person_id && c[j].person_id == c[i].person_id &&
                  (c[j].exploited || !c[i].exploited);
        if (dup)
            continue;
        if (c[i].exploited) {
            if (ex_ranks)
                ex_ranks[nex++] = r;
            if (r && (size_t)r <= q->k)
                m->hits++;
        } else if (r && (size_t)r <= q->k) {
            bool also_ex = false;
            for (size_t j = 0; j < n && !also_ex; j++)
                also_ex = c[j].exploited && c[j].person_id && c[j].person_id == c[i].person_id;
            if (!also_ex)
                m->decoys_top[c[i].kind]++;
        }
    }
    m->recall = q->nexploited ? (double)m->hits / q->nexploited : 0;
    m->precision = q->k ? (double)m->hits / q->k : 0;
    /* average precision: the precision at each exploited child's rank, over all of them */
    double ap = 0;
    if (ex_ranks) {
        qsort(ex_ranks, nex, sizeof *ex_ranks, cmp_int);
        size_t found = 0;
        for (size_t i = 0; i < nex; i++)
            if (ex_ranks[i] > 0) {
                found++;
                ap += (double)found / ex_ranks[i];
            }
    }
    m->auprc = q->nexploited ? ap / q->nexploited : 0;
    svp_free(ex_ranks);
    (void)p;
}

static size_t index_of(const struct risk_panel *p, int64_t person_id)
{
    size_t i = svp_lower_bound(p->persons, p->npersons, &person_id, person_ge);
    return i < p->npersons && p->persons[i].person_id == person_id ? i : SIZE_MAX;
}

int risk_quality_run(struct store *s, const struct risk_weights *w,
                     const struct risk_quality_opts *o, struct risk_quality_child *c, size_t n,
                     struct risk_quality *q, struct svp_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc = resolve(s, c[i].ref, &c[i].person_id, err);
        if (rc == SVP_EINPUT)
            return svp_err_set(err, SVP_EINPUT,
                               "child '%.60s' is neither SOURCE:ID nor a record id", c[i].ref);
        if (rc)
            return rc;
        if (c[i].exploited)
            q->nexploited++;
        else {
            q->ndecoys++;
            q->kind_total[c[i].kind]++;
        }
        if (!c[i].person_id)
            q->nunknown++;
    }
    if (!q->nexploited)
        return svp_err_set(err, SVP_EINPUT, "the truth file lists no exploited child");
    q->k = o->k ? o->k : 2 * q->nexploited;
    q->as_of = o->as_of;
    struct risk_panel_opts po = {.as_of = o->as_of, .no_previous = true,
                                 .min_band = RISK_BAND_LOW, .top = 1, .age_to = o->age_to};
    struct risk_panel *p = NULL;
    int rc = risk_panel_build(s, w, &po, &p, err);
    if (rc)
        return rc;
    int *rank = svp_malloc((p->npersons ? p->npersons : 1) * sizeof *rank);
    if (!rank) {
        risk_panel_free(&p);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = c[i].person_id ? index_of(p, c[i].person_id) : SIZE_MAX;
        c[i].person_index = k == SIZE_MAX ? -1 : (int64_t)k;
    }
    for (size_t i = 0; i < n; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = !(c[j].exploited && c[j].person_id == c[i].person_id);
        if (c[i].exploited && first && c[i].person_index >= 0 &&
            p->persons[c[i].person_index].status == RISK_ADULT)
            q->exploited_adults++;
    }
    for (int b = 0; b < 2 && !rc; b++) {
        rc = ranks(p, b == 1, rank);
        if (!rc)
            measure(q, c, n, rank, p, b ? &q->baseline : &q->svp);
    }
    svp_free(rank);
    risk_panel_free(&p);
    if (rc)
        return svp_err_set(err, rc, "out of memory");
    if (!o->months)
        return SVP_OK;

    /* Months from the month harm began to the first month-end the child is in the top K. */
    svp_day first = 0;
    for (size_t i = 0; i < n; i++)
        if (c[i].exploited && c[i].harm && (!first || c[i].harm < first))
            first = c[i].harm;
    int *entered[2];
    entered[0] = svp_calloc(n ? n : 1, sizeof *entered[0]);
    entered[1] = svp_calloc(n ? n : 1, sizeof *entered[1]);
    if (!entered[0] || !entered[1]) {
        svp_free(entered[0]);
        svp_free(entered[1]);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    int y, m, d;
    if (first)
        svp_date_to_ymd(first, &y, &m, &d);
    int month = 0;
    for (svp_day me = 0; first && !rc; month++) {
        int ny = y + (m + month) / 12, nm = (m + month) % 12 + 1; /* the month after */
        int cy = y + (m - 1 + month) / 12, cm = (m - 1 + month) % 12 + 1;
        svp_day next;
        if (svp_date_from_ymd(ny, nm, 1, &next))
            break;
        me = next - 1; /* the month's last day */
        svp_day day = me > o->as_of ? o->as_of : me;
        po.as_of = day;
        if ((rc = risk_panel_build(s, w, &po, &p, err)))
            break;
        rank = svp_malloc((p->npersons ? p->npersons : 1) * sizeof *rank);
        if (!rank) {
            risk_panel_free(&p);
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        for (int b = 0; b < 2 && !rc; b++) {
            if ((rc = ranks(p, b == 1, rank))) {
                svp_err_set(err, rc, "out of memory");
                break;
            }
            for (size_t i = 0; i < n; i++) {
                if (!c[i].exploited || !c[i].harm || c[i].harm > day || entered[b][i])
                    continue;
                size_t k = c[i].person_id ? index_of(p, c[i].person_id) : SIZE_MAX;
                if (k != SIZE_MAX && rank[k] && (size_t)rank[k] <= q->k) {
                    int hy, hm, hd;
                    svp_date_to_ymd(c[i].harm, &hy, &hm, &hd);
                    entered[b][i] = 1 + (cy - hy) * 12 + cm - hm;
                }
            }
        }
        svp_free(rank);
        risk_panel_free(&p);
        if (me >= o->as_of)
            break;
    }
    for (int b = 0; b < 2 && !rc; b++) {
        struct risk_quality_ranking *r = b ? &q->baseline : &q->svp;
        int *delay = svp_malloc((n ? n : 1) * sizeof *delay);
        size_t nd = 0;
        for (size_t i = 0; delay && i < n; i++)
            if (entered[b][i])
                delay[nd++] = entered[b][i] - 1;
        r->entered = nd;
        if (delay && nd) {
            qsort(delay, nd, sizeof *delay, cmp_int);
            double sum = 0;
            for (size_t i = 0; i < nd; i++)
                sum += delay[i];
            r->months_median = delay[nd / 2];
            r->months_mean = sum / nd;
            r->months_max = delay[nd - 1];
        }
        svp_free(delay);
    }
    q->months_done = !rc;
    svp_free(entered[0]);
    svp_free(entered[1]);
    return rc;
}

int risk_quality_truth_load(const char *path, struct risk_quality *q,
                            struct risk_quality_child **out, size_t *n, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot open the truth file");
    struct svp_buf b;
    svp_buf_init(&b, 64u << 20);
    char chunk[8192];
    size_t got;
    int rc = SVP_OK;
    while (!rc && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if ((rc = svp_buf_append(&b, chunk, got)))
            rc = rc == SVP_ENOMEM ? svp_err_set(err, SVP_ENOMEM, "out of memory")
                                  : svp_err_at(err, SVP_EINPUT, path, 0, NULL,
                                               "the truth file is larger than 64 MiB");
    if (!rc && ferror(f))
        rc = svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot read the truth file");
    fclose(f);
    if (!rc)
        rc = risk_quality_truth_parse(b.data ? b.data : "", b.len, path, q, out, n, err);
    svp_buf_free(&b);
    return rc;
}
