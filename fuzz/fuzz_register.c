/* Fuzz target: CSV import into a register (reg_import_csv), from the bytes of a spreadsheet
 * to entries in a database. The first byte chooses the register (every one svp serves but
 * the panel's); the rest is the file. Each input meets a migrated in-memory SQLite database
 * holding one entry of each parent register a row may name (course C1, session C1/S1,
 * booking C1/S1/B1 attended, challenge X1, meeting M1, review V1, inspection I1), so child
 * rows reach the engine's checks. An import either stores every row or none: when it is
 * refused, the database holds exactly what it held before (entries and history), every
 * refused row has a line and a message, and the file's refusal says why; nothing but bad
 * input (or an unreadable file) may refuse it. */
#include "registers/registers.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *db;
static const struct reg_schema *schemas[64];
static int nschemas;

static void add(const char *name, const char *ref, const char *parent, const char *const *kv)
{
    struct reg_entry e;
    struct svp_err err;
    if (reg_entry_init(&e, reg_schema_find(name), &err))
        abort();
    if (ref)
        snprintf(e.ref, sizeof e.ref, "%s", ref);
    for (; *kv; kv += 2)
        if (reg_entry_set(&e, kv[0], kv[1], &err))
            abort();
    if (reg_add(db, &e, parent, &err)) {
        fprintf(stderr, "seed %s: %s\n", name, err.msg);
        abort();
    }
    reg_entry_clear(&e);
}

static void open_db(void)
{
    struct svp_err err;
    struct store_migration_status ms;
    if (store_open("sqlite::memory:", STORE_OPEN_CREATE, &db, &err) || store_migrate(db, &ms, &err))
        abort();
    const struct reg_schema *sc;
    for (size_t i = 0; (sc = reg_schema_at(i)) && nschemas < 64; i++)
        if (strncmp(sc->name, "panel_", 6))
            schemas[nschemas++] = sc;
    add("course", "C1", NULL, (const char *const[]){"title", "t", NULL});
    add("session", NULL, "C1", (const char *const[]){"date", "2026-01-05", "capacity", "10", NULL});
    add("booking", NULL, "C1/S1", (const char *const[]){"agency", "a", "status", "attended", NULL});
    add("challenge", "X1", NULL,
        (const char *const[]){"raised", "2026-01-05", "raised_by_agency", "a", "raised_to_agency",
                              "b", "subject", "s", NULL});
    add("meeting", "M1", NULL, (const char *const[]){"body", "board", "date", "2026-01-05", NULL});
    add("review", "V1", NULL, (const char *const[]){"kind", "sar", NULL});
    add("inspection", "I1", NULL,
        (const char *const[]){"body", "jtai", "title", "t", "date", "2026-01-05", NULL});
}

static int64_t count(const char *sql)
{
    int64_t n = -1;
    struct svp_err err;
    if (store_query_int64(db, sql, &n, &err))
        abort();
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1 << 16))
        return 0;
    if (!db)
        open_db();
    const struct reg_schema *sc = schemas[data[0] % nschemas];
    int fd = memfd_create("register", 0);
    if (fd < 0)
        abort();
    if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int64_t entries = count("SELECT count(*) FROM register_entry");
    int64_t history = count("SELECT count(*) FROM register_history");
    struct reg_import_result res;
    struct svp_err err;
    svp_err_clear(&err);
    int rc = reg_import_csv(db, sc, path, "fuzz", &res, &err);
    if (rc == SVP_OK) {
        if (res.refused || res.added != res.rows ||
            count("SELECT count(*) FROM register_entry") != entries + res.added ||
            count("SELECT count(*) FROM register_history") != history + res.added)
            abort(); /* every row stored, each with its history */
        /* back to the seeded entries for the next input */
        struct svp_err e2;
        if (store_exec(db, "PRAGMA foreign_keys = OFF", &e2))
            abort();
        char sql[160];
        snprintf(sql, sizeof sql, "DELETE FROM register_history WHERE id > %lld",
                 (long long)history);
        if (store_exec(db, sql, &e2))
            abort();
        snprintf(sql, sizeof sql, "DELETE FROM register_entry WHERE id > %lld", (long long)entries);
        if (store_exec(db, sql, &e2) || store_exec(db, "PRAGMA foreign_keys = ON", &e2))
            abort();
    } else {
        if (rc != SVP_EINPUT && rc != SVP_EIO) {
            fprintf(stderr, "import failed with %d: %s\n", rc, err.msg);
            abort(); /* only bad input may refuse a file */
        }
        if (!err.msg[0] || res.added)
            abort();
        for (size_t i = 0; i < res.nerrors; i++)
            if (res.errors[i].line < 2 || !res.errors[i].msg[0])
                abort(); /* a refused row names its line and says why */
        if (count("SELECT count(*) FROM register_entry") != entries ||
            count("SELECT count(*) FROM register_history") != history)
            abort(); /* nothing half-written */
    }
    reg_import_result_free(&res);
    close(fd);
    return 0;
}
