/* The ingest suites' fixture and helpers (ingest_fixture.h). */
#include "ingest_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char profile_text[] =
    "[source]\n"
    "name = t-missing\n"
    "agency = police\n"
    "id_space = t-police\n"
    "person_id = PID\n"
    "row_id = RID\n"
    "[record]\n"
    "full_name = Name | surname_first | required\n"
    "dob = DOB | date %d/%m/%Y\n"
    "sex = Sex | map sex | required\n"
    "postcode = PC | postcode\n"
    "[event]\n"
    "type = \"missing_episode\"\n"
    "started_at = From | datetime %d/%m/%Y %H:%M\n"
    "ended_at = To | datetime %d/%m/%Y %H:%M\n"
    "place.name = Found\n"
    "place.postcode = FoundPC | postcode\n"
    "detail.found_out_of_county = OOC | flag\n"
    "[relationship]\n"
    "kind = \"found_with\"\n"
    "other = With | list ;\n"
    "both_ways = yes\n"
    "[map sex]\n"
    "M = M\n"
    "F = F\n";

int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->s = testutil_open_migrated(&f->uri);
    f->dir = testutil_tmpdir();
    size_t n = strlen(f->dir) + 32;
    f->rejects = malloc(n);
    snprintf(f->rejects, n, "%s/rejects.csv", f->dir);
    struct svp_err err;
    if (ingest_profile_parse(profile_text, strlen(profile_text), "t.profile", &f->p, &err))
        fail_msg("profile: %s", err.msg);
    *state = f;
    return 0;
}

int teardown(void **state)
{
    struct fixture *f = *state;
    ingest_profile_free(&f->p);
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    testutil_rmdir(&f->dir);
    free(f->rejects);
    free(f);
    return 0;
}

int64_t count(struct store *s, const char *sql)
{
    int64_t n = -1;
    struct svp_err err;
    if (store_query_int64(s, sql, &n, &err))
        fail_msg("%s: %s", sql, err.msg);
    return n;
}

struct ingest_profile *profile_of(const char *text)
{
    struct ingest_profile *p = NULL;
    struct svp_err err;
    if (ingest_profile_parse(text, strlen(text), "t.profile", &p, &err))
        fail_msg("profile refused: %s\n%s", err.msg, text);
    return p;
}

struct ingest_result import_through(struct fixture *f, const struct ingest_profile *p,
                                    const char *name, const char *text, const char *as_of)
{
    char *path = testutil_write_file(f->dir, name, text, strlen(text));
    struct ingest_opts o = {.rejects_path = f->rejects, .quiet = true, .as_of = as_of};
    struct ingest_result r;
    struct svp_err err;
    if (ingest_import_file(f->s, p, path, &o, &r, &err))
        fail_msg("import %s: %s", name, err.msg);
    free(path);
    return r;
}

struct ingest_result import(struct fixture *f, const char *name, const char *text)
{
    return import_through(f, f->p, name, text, NULL);
}

char *slurp(const char *path)
{
    FILE *fh = fopen(path, "rb");
    if (!fh)
        return NULL;
    char *b = calloc(1, 1 << 16);
    size_t n = b ? fread(b, 1, (1 << 16) - 1, fh) : 0;
    (void)n;
    fclose(fh);
    return b;
}

int count_lines(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++)
        n++;
    return n;
}


struct ingest_draft draft_of(const char *text, size_t len)
{
    struct ingest_draft d;
    struct svp_err err;
    struct ingest_draft_opts o = {.as_of = "2024-08-01", .name = "t-draft"};
    if (ingest_draft_mem(text, len, "x.csv", &o, &d, &err))
        fail_msg("draft: %s", err.msg);
    return d;
}

void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("'%s' not in:\n%s", needle, hay);
}

/* The rows of a query, each column followed by ':' and each row by '\n' (owned). */
char *dump(struct store *s, const char *sql)
{
    struct store_stmt *st = NULL;
    struct svp_err err;
    struct svp_buf b;
    svp_buf_init(&b, 0);
    if (store_prepare(s, sql, &st, &err))
        fail_msg("%s: %s", sql, err.msg);
    int rc;
    while ((rc = store_step(st, &err)) == STORE_ROW) {
        for (int i = 0; i < store_column_count(st); i++) {
            const char *v = store_column_text(st, i);
            assert_int_equal(svp_buf_printf(&b, "%s:", v ? v : "-"), 0);
        }
        assert_int_equal(svp_buf_putc(&b, '\n'), 0);
    }
    if (rc < 0)
        fail_msg("%s: %s", sql, err.msg);
    store_finalize(&st);
    assert_int_equal(svp_buf_putc(&b, '\0'), 0);
    return svp_buf_take(&b);
}

void expect_dump(struct store *s, const char *sql, const char *want)
{
    char *got = dump(s, sql);
    if (strcmp(got, want))
        fail_msg("%s\ngave\n%s\nwanted\n%s", sql, got, want);
    svp_free(got);
}
