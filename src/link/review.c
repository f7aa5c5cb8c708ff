/* The link room's answers by the agency's ids: record references (SOURCE:ID), explain,
 * the review queue and its decisions, and the export of persons. */
#include "link_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ record references */

int link_record_resolve(struct store *db, const char *ref, int64_t *id, struct svp_err *err)
{
    *id = 0;
    const char *colon = strchr(ref, ':');
    if (!colon) {
        if (svp_parse_i64(ref, id) || *id <= 0)
            return svp_err_set(err, SVP_EINPUT,
                               "'%.40s' is neither SOURCE:ID (e.g. police:P123) nor a record id",
                               ref);
        return 0;
    }
    size_t sl = (size_t)(colon - ref);
    if (!sl || !colon[1] || sl > 200 || strlen(colon + 1) > 200)
        return svp_err_set(err, SVP_EINPUT, "'%.40s' is not SOURCE:ID (e.g. police:P123)", ref);
    char src[201];
    memcpy(src, ref, sl);
    src[sl] = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(db, "SELECT id FROM record WHERE source = ? AND agency_record_id = ?",
                           &st, err);
    if (!rc && (store_bind_text(st, 1, src, -1) || store_bind_text(st, 2, colon + 1, -1)))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    if (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        *id = store_column_int64(st, 0);
        rc = 0;
    } else if (rc == STORE_DONE)
        rc = svp_err_set(err, SVP_ENOTFOUND, "no record '%.80s' (source '%.40s', agency id "
                         "'%.40s'); see 'svp persons export'", ref, src, colon + 1);
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}

int link_record_name(struct store *db, int64_t id, char *out, size_t cap, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    snprintf(out, cap, "%lld", (long long)id);
    int rc = store_prepare(db, "SELECT source, agency_record_id FROM record WHERE id = ?", &st,
                           err);
    if (!rc && store_bind_int64(st, 1, id))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    if (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        const char *a = store_column_text(st, 0), *b = store_column_text(st, 1);
        snprintf(out, cap, "%s:%s", a ? a : "", b ? b : "");
        rc = 0;
    }
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ explain */

static int load_two(struct store *db, int64_t a, int64_t b, struct link_set **out,
                    struct svp_err *err)
{
    struct loaded l = {0};
    struct store_stmt *st = NULL;
    int rc = store_prepare(db,
                           "SELECT id, " REC_FIELDS " FROM record WHERE id = ?",
                           &st, err);
    int64_t ids[2] = {a, b};
    if (!rc && !(l.r = svp_calloc(2, sizeof *l.r)))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    for (int k = 0; k < 2 && !rc; k++) {
        store_reset(st);
        if (store_bind_int64(st, 1, ids[k])) {
            rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
            break;
        }
        rc = store_step(st, err);
        if (rc == STORE_DONE) {
            rc = svp_err_set(err, SVP_ENOTFOUND, "no record with id %lld", (long long)ids[k]);
            break;
        }
        if (rc < 0)
            break;
        rc = 0;
        struct rowrec *r = &l.r[l.n++];
        r->id = ids[k];
        rc = link_row_fields(st, r->f, err);
    }
    store_finalize(&st);
    if (!rc)
        rc = link_build_set(&l, out, err);
    link_loaded_free(&l);
    return rc;
}

int link_explain_store(struct store *db, int64_t a, int64_t b, struct link_score *out,
                       struct svp_err *err)
{
    struct link_model *m = NULL;
    struct link_set *s = NULL;
    int rc = link_load_model(db, &m, NULL, err);
    if (!rc && !m)
        rc = svp_err_set(err, SVP_ECONFLICT, "nothing has been linked yet; run 'svp link'");
    if (!rc)
        rc = load_two(db, a, b, &s, err);
    char settings[256];
    if (!rc)
        rc = link_meta_get(db, "link.settings", settings, sizeof settings, err);
    if (!rc) {
        /* explain as the last run scored: with its guard setting */
        link_set_household_guard(s, !strstr(settings, "guard=off"));
        link_score_pair(m, s, 0, 1, out);
    }
    link_set_free(&s);
    link_model_free(&m);
    return rc;
}

void link_explain_print(FILE *f, const struct link_score *sc)
{
    fprintf(f, "%-17s %-28s %9s %9s %8s\n", "comparison", "agreement", "m", "u", "weight");
    fprintf(f, "%-17s %-28s %9s %9s %+8.2f\n", "prior", "(share of candidate pairs)", "", "",
            sc->prior_weight);
    for (int c = 0; c < LINK_NCMP; c++) {
        const struct link_term *t = &sc->terms[c];
        if (!t->level)
            fprintf(f, "%-17s %-28s %9s %9s %8s\n", t->label, t->level_name, "-", "-", "0");
        else
            fprintf(f, "%-17s %-28s %9.4f %9.4f %+8.2f\n", t->label, t->level_name, t->m, t->u,
                    t->weight);
    }
    fprintf(f, "%-17s %-28s %9s %9s %+8.2f\n", "total", "match weight (log2 odds)", "", "",
            sc->weight);
    fprintf(f, "probability of the same person: %.4f\n", sc->probability);
    if (sc->note)
        fprintf(f, "note: %s\n", sc->note);
}

/* ------------------------------------------------------------------ review */

static int cmp_i64(const void *x, const void *y)
{
    const int64_t *a = x, *b = y;
    return *a < *b ? -1 : *a > *b;
}

int link_review_list(struct store *db, bool all,
                     int (*fn)(const struct link_review_item *it, void *ctx), void *ctx,
                     struct svp_err *err)
{
    return link_review_list_first(db, all, NULL, 0, fn, ctx, err);
}

int link_review_list_first(struct store *db, bool all, const int64_t *first, size_t nfirst,
                           int (*fn)(const struct link_review_item *it, void *ctx), void *ctx,
                           struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int64_t *sorted = NULL;
    struct link_review_item *rows = NULL; /* decisions point at string literals */
    size_t nrows = 0, cap = 0;
    if (nfirst) {
        if (!(sorted = svp_malloc(nfirst * sizeof *sorted)))
            return svp_err_set(err, SVP_ENOMEM, "out of memory listing the review queue");
        memcpy(sorted, first, nfirst * sizeof *sorted);
        qsort(sorted, nfirst, sizeof *sorted, cmp_i64);
    }
    int rc = store_prepare(db,
                           all ? "SELECT d.record_a, d.record_b, COALESCE(p.probability, -1), "
                                 "d.same, NULL, NULL FROM link_decision d LEFT JOIN link_pair p ON "
                                 "p.record_a = d.record_a AND p.record_b = d.record_b "
                                 "ORDER BY d.record_a, d.record_b"
                               /* what a decision would change first: a confirmation
                                * that joins two persons, by the records it would bring
                                * together (a rejection of a pair already in one person
                                * splits it, which is next); then the most likely */
                               : "SELECT p.record_a, p.record_b, p.probability, NULL, "
                                 "pa.person_id, pb.person_id "
                                 "FROM link_pair p LEFT JOIN link_decision d ON "
                                 "d.record_a = p.record_a AND d.record_b = p.record_b "
                                 "LEFT JOIN person_record pa ON pa.record_id = p.record_a "
                                 "LEFT JOIN person_record pb ON pb.record_id = p.record_b "
                                 "LEFT JOIN (SELECT person_id, COUNT(*) AS n FROM person_record "
                                 "GROUP BY person_id) ca ON ca.person_id = pa.person_id "
                                 "LEFT JOIN (SELECT person_id, COUNT(*) AS n FROM person_record "
                                 "GROUP BY person_id) cb ON cb.person_id = pb.person_id "
                                 "WHERE d.same IS NULL AND p.probability < ("
                                 "SELECT CAST(value AS REAL) FROM svp_meta WHERE key = "
                                 "'link.threshold') ORDER BY "
                                 "CASE WHEN pa.person_id = pb.person_id THEN 1 ELSE 0 END, "
                                 "COALESCE(ca.n, 1) + COALESCE(cb.n, 1) DESC, "
                                 "p.probability DESC, p.record_a, p.record_b",
                           &st, err);
    while (rc == 0 && (rc = store_step(st, err)) == STORE_ROW) {
        struct link_review_item it = {store_column_int64(st, 0), store_column_int64(st, 1),
                                      store_column_double(st, 2), NULL, false};
        if (!store_column_is_null(st, 3))
            it.decision = store_column_int64(st, 3) ? "confirm" : "reject";
        for (int k = 4; k <= 5 && nfirst; k++) {
            int64_t pid = store_column_is_null(st, k) ? 0 : store_column_int64(st, k);
            it.first |= pid && bsearch(&pid, sorted, nfirst, sizeof *sorted, cmp_i64);
        }
        if (!nfirst) {
            rc = fn(&it, ctx);
            continue;
        }
        /* kept to list in two parts */
        struct link_review_item *nr = svp_grow(rows, &cap, nrows + 1, sizeof *rows, 256);
        if (!nr) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory listing the review queue");
            break;
        }
        rows = nr;
        rows[nrows++] = it;
        rc = 0;
    }
    store_finalize(&st);
    for (int part = 0; part < 2 && rc >= 0; part++)
        for (size_t k = 0; k < nrows && rc >= 0; k++)
            if (rows[k].first == (part == 0))
                rc = fn(&rows[k], ctx);
    svp_free(rows);
    svp_free(sorted);
    return rc < 0 ? rc : 0;
}

int link_review_decide(struct store *db, int64_t a, int64_t b, bool same, const char *who,
                       struct svp_err *err)
{
    if (a == b)
        return svp_err_set(err, SVP_EINPUT, "a record is always the same person as itself");
    if (a > b) {
        int64_t t = a;
        a = b;
        b = t;
    }
    int64_t n = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(db, "SELECT COUNT(*) FROM record WHERE id = ? OR id = ?", &st, err);
    if (!rc && (store_bind_int64(st, 1, a) || store_bind_int64(st, 2, b)))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    if (!rc && (rc = store_step(st, err)) == STORE_ROW) {
        n = store_column_int64(st, 0);
        rc = 0;
    }
    store_finalize(&st);
    if (rc < 0)
        return rc;
    if (n != 2)
        return svp_err_set(err, SVP_ENOTFOUND, "no record with id %lld",
                           (long long)(n == 0 ? a : b));
    char now[32];
    link_now_iso(now);
    if ((rc = store_begin(db, err)))
        return rc;
    rc = link_exec_bind2(db, "DELETE FROM link_decision WHERE record_a = ? AND record_b = ?", a, b,
                    true, err);
    if (!rc)
        rc = store_prepare(db,
                           "INSERT INTO link_decision (record_a, record_b, same, decided_by, "
                           "decided_at) VALUES (?, ?, ?, ?, ?)",
                           &st, err);
    if (!rc && (store_bind_int64(st, 1, a) || store_bind_int64(st, 2, b) ||
                store_bind_int64(st, 3, same) || store_bind_text(st, 4, who ? who : "", -1) ||
                store_bind_text(st, 5, now, -1)))
        rc = svp_err_set(err, SVP_EINTERNAL, "cannot bind values");
    if (!rc && (rc = store_step(st, err)) > 0)
        rc = 0;
    store_finalize(&st);
    if (rc) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db, err);
}

/* ------------------------------------------------------------------ export */

int link_export(struct store *db, int (*fn)(const struct link_export_row *r, void *ctx),
                void *ctx, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(db,
                           "SELECT r.source, r.agency_record_id, pr.person_id, pr.probability "
                           "FROM record r JOIN person_record pr ON pr.record_id = r.id "
                           "ORDER BY r.source, r.agency_record_id",
                           &st, err);
    while (rc == 0 && (rc = store_step(st, err)) == STORE_ROW) {
        struct link_export_row r = {store_column_text(st, 0), store_column_text(st, 1),
                                    store_column_int64(st, 2),
                                    store_column_is_null(st, 3) ? NAN
                                                                : store_column_double(st, 3)};
        rc = fn(&r, ctx);
    }
    store_finalize(&st);
    return rc < 0 ? rc : 0;
}
