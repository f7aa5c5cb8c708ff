/* Failing allocations across whole operations (curl's torture mode, SQLite's own allocations
 * included through store_sqlite_torture): a multi-file import, a link, a panel build and
 * save. For each allocation in turn (every one of the first few hundred, then a widening
 * stride; every one with SVP_TORTURE_FULL=1; SVP_TORTURE_AT=N fails only the N-th) the n-th
 * allocation fails and the operation must report it with a message, leave the database passing
 * integrity_check with either nothing or everything of the operation in it, and, run again with
 * memory, reach exactly the clean result (a fingerprint of every table). ASan checks that nothing
 * leaks. SQLite. */
#include "testutil.h"

#include "ingest/ingest.h"
#include "link/link.h"
#include "risk/risk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ data (our own rows) */

static const char nominals_csv[] =
    "NominalID,Surname,Forenames,DOB,Sex,EthnicAppearance,Address,Postcode\n"
    "N1001,Adeyemi,Tobi,14/03/2010,M,IC3,\"4 Larch Row, Eastby\",EB1 4QT\n"
    "N1002,Kowalska,Zofia,02/11/2009,F,IC1,\"17 Harbour St, Eastby\",EB2 9LW\n"
    "N1003,Adeyemi,Kemi,30/06/1985,F,IC3,\"4 Larch Row, Eastby\",EB1 4QT\n"
    "N1004,Hart,Reece,08/08/2001,M,IC1,\"Flat 2, 9 Quay Lane, Eastby\",EB2 1PX\n";

static const char csc_csv[] =
    "PersonID,Forename,Surname,DateOfBirth,Gender,Ethnicity,AddressLine,Postcode,NHSNumber\n"
    "5001,Toby,Adeyemi,2010-03-14,M,BA,\"4 Larch Row, Eastby\",EB1 4QT,\n"
    "5002,Zofia,Kowalski,2009-11-02,F,WO,\"17 Harbour Street, Eastby\",EB2 9LW,\n"
    "5003,Mia,Osei,2012-01-20,F,BA,\"33 Mill View, Westby\",WB3 2AA,\n";

static const char missing_csv[] =
    "OccurrenceRef,NominalID,ReportedDateTime,MissingFromDateTime,ReturnedDateTime,"
    "MissingFrom,RiskGrade,FoundLocation,FoundPostcode,FoundLat,FoundLon,OutOfCounty,"
    "FoundWith,ReturnedBy\n"
    "MIS/26/0001,N1001,03/02/2026 23:10,03/02/2026 19:00,04/02/2026 07:30,HOME,HIGH,"
    "Rail station,EB1 1AA,52.1,-1.3,N,N1002;N1004,POLICE\n"
    "MIS/26/0002,N1002,10/03/2026 22:00,10/03/2026 18:45,11/03/2026 02:00,CARE_PLACEMENT,"
    "MEDIUM,Rail station,EB1 1AA,52.1,-1.3,N,N1004,SELF\n"
    "MIS/26/0003,N1001,21/04/2026 21:30,21/04/2026 17:00,,HOME,HIGH,UNKNOWN,,,,Y,,\n";

static const struct {
    const char *file, *profile, *text;
} extracts[] = {
    {"nominals.csv", "police-nominals", nominals_csv},
    {"csc.csv", "csc-persons", csc_csv},
    {"missing.csv", "police-missing", missing_csv},
};
#define NEXTRACTS (sizeof extracts / sizeof extracts[0])

struct world {
    char *dir;
    char *paths[NEXTRACTS];
    char rejects[1200];
    struct ingest_profile *profiles[NEXTRACTS];
    struct risk_weights w;
};

/* ------------------------------------------------------------------ fingerprint */

/* Columns that hold the wall clock (or values made from it) differ between two runs that
 * are otherwise the same; tables of sessions and the audit trail likewise. */
static bool clock_column(const char *name)
{
    static const char *const cols[] = {"created_at", "updated_at", "imported_at", "changed_at",
                                       "shared_at",  "saved_at",   "decided_at",  "applied_at",
                                       "expires_at", NULL};
    for (const char *const *c = cols; *c; c++)
        if (!strcmp(name, *c))
            return true;
    return false;
}

static void fnv(uint64_t *h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        *h ^= (unsigned char)s[i];
        *h *= 1099511628211ULL;
    }
}

/* A hash of every row of every table (in rowid order), clock columns left out. */
static uint64_t fingerprint(struct store *s)
{
    struct svp_err err;
    struct store_stmt *t = NULL;
    uint64_t h = 14695981039346656037ULL;
    if (store_prepare(s,
                      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                      "('audit_log', 'app_session', 'session') AND name NOT LIKE 'sqlite_%' "
                      "ORDER BY name",
                      &t, &err))
        fail_msg("%s", err.msg);
    int rc;
    while ((rc = store_step(t, &err)) == STORE_ROW) {
        const char *table = store_column_text(t, 0);
        fnv(&h, table, strlen(table) + 1);
        char sql[200];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid", table);
        struct store_stmt *r = NULL;
        if (store_prepare(s, sql, &r, &err))
            fail_msg("%s", err.msg);
        int rrc;
        while ((rrc = store_step(r, &err)) == STORE_ROW) {
            for (int c = 0; c < store_column_count(r); c++) {
                if (clock_column(store_column_name(r, c)))
                    continue;
                const char *v = store_column_text(r, c);
                fnv(&h, v ? v : "\1NULL", v ? strlen(v) + 1 : 6);
            }
            fnv(&h, "\n", 1);
        }
        if (rrc < 0)
            fail_msg("%s: %s", table, err.msg);
        store_finalize(&r);
    }
    if (rc < 0)
        fail_msg("%s", err.msg);
    store_finalize(&t);
    return h;
}

static void integrity_ok(struct store *s)
{
    struct svp_err err;
    struct store_stmt *st = NULL;
    if (store_prepare(s, "PRAGMA integrity_check", &st, &err) || store_step(st, &err) != 1)
        fail_msg("integrity_check: %s", err.msg);
    if (strcmp(store_column_text(st, 0), "ok"))
        fail_msg("integrity_check: %s", store_column_text(st, 0));
    store_finalize(&st);
    if (store_prepare(s, "PRAGMA foreign_key_check", &st, &err) || store_step(st, &err) != 0)
        fail_msg("foreign_key_check found a row that breaks a foreign key");
    store_finalize(&st);
}

/* ------------------------------------------------------------------ operations */

/* One file per step: each file is its own transaction, so a failure may keep the files
 * before it. */
static int do_import(struct world *w, struct store *s, int step, struct svp_err *err)
{
    struct ingest_opts o = {.rejects_path = w->rejects, .quiet = true};
    struct ingest_result res;
    return ingest_import_file(s, w->profiles[step], w->paths[step], &o, &res, err);
}

static int do_link(struct world *w, struct store *s, int step, struct svp_err *err)
{
    (void)w;
    (void)step;
    struct link_opts o;
    link_opts_default(&o);
    o.quiet = true;
    struct link_stats stats;
    return link_run_store(s, &o, NULL, 0, true, false, &stats, err);
}

static int do_panel(struct world *w, struct store *s, int step, struct svp_err *err)
{
    (void)step;
    struct risk_panel_opts o = {.as_of = testutil_day("2026-06-01")};
    struct risk_panel *p = NULL;
    int rc = risk_panel_build(s, &w->w, &o, &p, err);
    int64_t id = 0;
    if (!rc)
        rc = risk_panel_save(s, p, &id, err);
    risk_panel_free(&p);
    return rc;
}

/* ------------------------------------------------------------------ the torture loop */

struct scenario {
    const char *name;
    long dense; /* every allocation up to this one fails in turn, then a stride of n/step */
    long step;
    /* with memory, all steps each; then armed, steps 0 .. nsteps-1 (each one commit) */
    int (*before[2])(struct world *w, struct store *s, int step, struct svp_err *err);
    int nbefore[2];
    int (*act)(struct world *w, struct store *s, int step, struct svp_err *err);
    int nsteps;
};

/* Runs the steps of op from first; stops at the first failure. */
static int run_steps(int (*op)(struct world *, struct store *, int, struct svp_err *), int first,
                     int n, struct world *w, struct store *s, struct svp_err *err)
{
    for (int i = first; i < n; i++) {
        int rc = op(w, s, i, err);
        if (rc)
            return rc;
    }
    return SVP_OK;
}

/* The database each run starts from: migrated and prepared once, then copied. */
static char *make_template(struct world *w, const struct scenario *sc)
{
    char *uri = NULL;
    struct store *s = testutil_open_migrated(&uri);
    struct svp_err err;
    for (int i = 0; i < 2 && sc->before[i]; i++)
        if (run_steps(sc->before[i], 0, sc->nbefore[i], w, s, &err))
            fail_msg("%s: preparing: %s", sc->name, err.msg);
    store_close(&s); /* the last connection checkpoints the WAL into the file */
    return uri;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out)
        fail_msg("cannot copy %s to %s", from, to);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            fail_msg("cannot write %s", to);
    fclose(in);
    if (fclose(out))
        fail_msg("cannot write %s", to);
}

static struct store *fresh(char **uri, const char *template)
{
    *uri = testutil_new_db();
    copy_file(template, *uri);
    struct store *s = NULL;
    struct svp_err err;
    if (store_open(*uri, 0, &s, &err))
        fail_msg("open: %s", err.msg);
    return s;
}

static struct store *reopen(const char *uri, struct store **s)
{
    store_close(s);
    struct svp_err err;
    if (store_open(uri, 0, s, &err))
        fail_msg("reopen: %s", err.msg);
    return *s;
}

static void torture(struct world *w, const struct scenario *sc)
{
    bool full = getenv("SVP_TORTURE_FULL") != NULL;
    struct svp_err err;
    char *uri = NULL;
    char *template = make_template(w, sc);
    /* the clean result, twice: it must not depend on the run; and the state after each
     * step (a failure may keep the steps before it) */
    uint64_t clean = 0, at_step[8] = {0};
    for (int k = 0; k < 2; k++) {
        struct store *s = fresh(&uri, template);
        for (int i = 0; i < sc->nsteps; i++) {
            if (sc->act(w, s, i, &err))
                fail_msg("%s: clean run: %s", sc->name, err.msg);
            at_step[i] = fingerprint(s);
        }
        uint64_t fp = at_step[sc->nsteps - 1];
        if (k && fp != clean)
            fail_msg("%s: two clean runs differ", sc->name);
        clean = fp;
        store_close(&s);
        testutil_drop_db(&uri);
        remove(w->rejects);
    }
    long tried = 0, reported = 0;
    uint64_t before = 0;
    const char *at = getenv("SVP_TORTURE_AT");
    for (long n = at ? strtol(at, NULL, 10) : 0;;
         n += full || n < sc->dense ? 1 : 1 + n / sc->step) {
        struct store *s = fresh(&uri, template);
        if (!before)
            before = fingerprint(s);
        svp_err_clear(&err);
        svp_mem_fail_after(n);
        int rc = run_steps(sc->act, 0, sc->nsteps, w, s, &err);
        bool failed = svp_mem_failed();
        svp_mem_fail_after(-1);
        tried++;
        if (!failed) {
            if (rc)
                fail_msg("%s: failed with memory to spare: %s", sc->name, err.msg);
            if (fingerprint(s) != clean)
                fail_msg("%s: a clean run differs", sc->name);
            store_close(&s);
            testutil_drop_db(&uri);
            remove(w->rejects);
            break;
        }
        if (rc) {
            reported++;
            if (!err.msg[0] || rc == SVP_EUSAGE)
                fail_msg("%s: allocation %ld: failure reported as %d without a message "
                         "(file '%s', line %ld)",
                         sc->name, n, rc, err.file, err.line);
        }
        reopen(uri, &s);
        integrity_ok(s);
        uint64_t after = fingerprint(s);
        int done = after == before ? 0 : -1; /* steps whose work the database holds */
        for (int i = 0; i < sc->nsteps && done < 0; i++)
            if (after == at_step[i])
                done = i + 1;
        if (done < 0)
            fail_msg("%s: allocation %ld failed (%s) and left part of a step's work", sc->name, n,
                     rc ? err.msg : "reported as success");
        if (!rc && done != sc->nsteps)
            fail_msg("%s: allocation %ld failed, the operation said it succeeded, and the "
                     "result differs",
                     sc->name, n);
        if (run_steps(sc->act, done, sc->nsteps, w, s, &err))
            fail_msg("%s: allocation %ld: the run again failed: %s", sc->name, n, err.msg);
        if (fingerprint(s) != clean)
            fail_msg("%s: allocation %ld: the run again differs from the clean result", sc->name,
                     n);
        store_close(&s);
        testutil_drop_db(&uri);
        remove(w->rejects);
        if (n > 2000000)
            fail_msg("%s: still allocating after 2,000,000 allocations", sc->name);
    }
    testutil_drop_db(&template);
    print_message("# %s: %ld allocations failed in turn, %ld reported as errors\n", sc->name,
                  tried - 1, reported);
    assert_true(reported > 0);
}

static void test_import_torture(void **state)
{
    static const struct scenario sc = {
        "import of three files", 40, 4, {NULL, NULL}, {0, 0}, do_import, NEXTRACTS};
    torture(*state, &sc);
}

static void test_link_torture(void **state)
{
    static const struct scenario sc = {"link", 4, 1, {do_import, NULL}, {NEXTRACTS, 0}, do_link, 1};
    torture(*state, &sc);
}

static void test_panel_torture(void **state)
{
    static const struct scenario sc = {"panel build and save", 20,       3, {do_import, do_link},
                                       {NEXTRACTS, 1},         do_panel, 1};
    torture(*state, &sc);
}

static int group_setup(void **state)
{
    struct svp_err err;
    if (store_sqlite_torture(&err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    struct world *w = calloc(1, sizeof *w);
    w->dir = testutil_tmpdir();
    snprintf(w->rejects, sizeof w->rejects, "%s/rejects.csv", w->dir);
    for (size_t i = 0; i < NEXTRACTS; i++) {
        w->paths[i] = testutil_write_file(w->dir, extracts[i].file, extracts[i].text,
                                          strlen(extracts[i].text));
        if (ingest_profile_load(extracts[i].profile, NULL, &w->profiles[i], &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return -1;
        }
    }
    if (risk_weights_load(NULL, &w->w, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = w;
    return 0;
}

static int group_teardown(void **state)
{
    struct world *w = *state;
    for (size_t i = 0; i < NEXTRACTS; i++) {
        free(w->paths[i]);
        ingest_profile_free(&w->profiles[i]);
    }
    testutil_rmdir(&w->dir);
    free(w);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_torture),
        cmocka_unit_test(test_link_torture),
        cmocka_unit_test(test_panel_torture),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
