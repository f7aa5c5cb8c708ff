/* The ingest suites' fixture (test_ingest.c: import through a profile, updates, refusals;
 * test_ingest_draft.c: drafts and extracts in other systems' layouts): a migrated store on
 * the back end SVP_TEST_BACKEND names, a directory, a rejects file and the t-missing
 * profile, and the helpers both suites use. */
#ifndef SVP_INGEST_FIXTURE_H
#define SVP_INGEST_FIXTURE_H

#include "testutil.h"

#include "ingest/ingest.h"

struct fixture {
    char *uri;
    struct store *s;
    char *dir;
    char *rejects;
    struct ingest_profile *p;
};

/* The fixture's profile (t-missing: a police missing-persons layout). */
extern const char profile_text[];

int setup(void **state);
int teardown(void **state);
/* A count from SQL (fails the test on an error). */
int64_t count(struct store *s, const char *sql);
/* A profile from its text (fails the test, showing the text, when it is refused). */
struct ingest_profile *profile_of(const char *text);
/* Writes text as the file NAME and imports it through p as of as_of (NULL: today); fails
 * the test on an error. */
struct ingest_result import_through(struct fixture *f, const struct ingest_profile *p,
                                    const char *name, const char *text, const char *as_of);
/* import_through the fixture's profile. */
struct ingest_result import(struct fixture *f, const char *name, const char *text);
/* The whole of a small file (owned), or NULL. */
char *slurp(const char *path);
/* How many times needle occurs in text. */
int count_lines(const char *text, const char *needle);
/* svp profile draft of an extract in memory, as of 2024-08-01, named t-draft. */
struct ingest_draft draft_of(const char *text, size_t len);
/* The rows of a query, each column followed by ':' and each row by '\n' (owned); fails
 * the test on an error. */
char *dump(struct store *s, const char *sql);
/* Fails the test, showing both, when the query's dump is not want. */
void expect_dump(struct store *s, const char *sql, const char *want);
/* Fails the test, showing hay, when needle is not in it. */
void assert_has(const char *hay, const char *needle);

#endif
