/* Fuzz target: a whole import, from the bytes of an extract file to rows in a database. The
 * first byte chooses one of the profiles built into svp; the rest is the file. Each input is
 * imported into an in-memory SQLite database with the full schema, emptied after each input
 * (every table but schema_migrations, which alone holds rows after migration), so every input
 * meets the same empty database. An import either
 * refuses the file with a message (bad input, nothing written) or keeps it with every row
 * counted once as accepted or rejected; either way the database passes SQLite's integrity
 * and foreign key checks, and no other failure (a database error, an internal error) is
 * acceptable for any bytes. */
#include "ingest/ingest.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PROFILES 64

static struct ingest_profile *profiles[MAX_PROFILES];
static int nprofiles = -1;

static void load_profiles(void)
{
    struct svp_err err;
    nprofiles = 0;
    for (int i = 0; nprofiles < MAX_PROFILES && ingest_builtin_profile(i); i++) {
        char name[128]; /* "NAME.profile": loaded by NAME */
        snprintf(name, sizeof name, "%s", ingest_builtin_profile(i));
        char *dot = strstr(name, ".profile");
        if (dot)
            *dot = '\0';
        if (ingest_profile_load(name, NULL, &profiles[nprofiles], &err)) {
            fprintf(stderr, "built-in profile %s: %s\n", ingest_builtin_profile(i), err.msg);
            abort(); /* a built-in profile must load */
        }
        nprofiles++;
    }
    if (!nprofiles)
        abort();
}

static struct store *db;
static char tables[256][64];
static int ntables;

/* Opens and migrates the database once; lists the tables an input may fill. */
static void open_db(void)
{
    struct svp_err err;
    struct store_migration_status ms;
    struct store_stmt *st = NULL;
    if (store_open("sqlite::memory:", STORE_OPEN_CREATE, &db, &err) ||
        store_migrate(db, &ms, &err) ||
        store_prepare(db,
                      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                      "('schema_migrations') AND name NOT LIKE 'sqlite_stat%'",
                      &st, &err)) {
        fprintf(stderr, "in-memory database: %s\n", err.msg);
        abort();
    }
    while (store_step(st, &err) == 1 && ntables < 256)
        snprintf(tables[ntables++], sizeof tables[0], "%s", store_column_text(st, 0));
    store_finalize(&st);
}

/* Empties every table (names from sqlite_master, not from the input). */
static void empty_db(void)
{
    struct svp_err err;
    if (store_exec(db, "PRAGMA foreign_keys = OFF", &err))
        abort();
    for (int i = 0; i < ntables; i++) {
        char sql[128];
        int w = snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", tables[i]);
        if (w < 0 || (size_t)w >= sizeof sql || store_exec(db, sql, &err))
            abort();
    }
    if (store_exec(db, "PRAGMA foreign_keys = ON", &err))
        abort();
}

static void check_db(struct store *s)
{
    struct svp_err err;
    struct store_stmt *st = NULL;
    if (store_prepare(s, "PRAGMA integrity_check", &st, &err) || store_step(st, &err) != 1 ||
        strcmp(store_column_text(st, 0), "ok"))
        abort();
    store_finalize(&st);
    if (store_prepare(s, "PRAGMA foreign_key_check", &st, &err) || store_step(st, &err) != 0)
        abort(); /* a row that breaks a foreign key */
    store_finalize(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (nprofiles < 0)
        load_profiles();
    if (size < 1 || size > (1 << 16))
        return 0;
    const struct ingest_profile *p = profiles[data[0] % nprofiles];
    int fd = memfd_create("extract", 0);
    if (fd < 0)
        abort();
    if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (!db)
        open_db();
    struct svp_err err;
    struct store *s = db;
    struct ingest_opts o = {.rejects_path = "/dev/null", .quiet = true};
    struct ingest_result res;
    svp_err_clear(&err);
    int rc = ingest_import_file(s, p, path, &o, &res, &err);
    if (rc == SVP_OK) {
        if (res.rows_accepted + res.rows_rejected != res.rows_read || res.rows_read < 0)
            abort();
    } else if (rc != SVP_EINPUT && rc != SVP_EIO) {
        fprintf(stderr, "import failed with %d: %s\n", rc, err.msg);
        abort(); /* only bad input may refuse a file */
    } else if (!err.msg[0]) {
        abort(); /* a refusal says why */
    }
    check_db(s);
    empty_db();
    close(fd);
    return 0;
}
