/* The contexts room's unit tests' fixture (test_context.c, test_context_network.c,
 * test_context_groups.c). */
#ifndef SVP_CONTEXT_FIXTURE_H
#define SVP_CONTEXT_FIXTURE_H

#include "testutil.h"

#include "context/context.h"

#include <stdio.h>

struct fixture {
    char *uri;
    struct store *s;
    char *dir;
};

/* A migrated store (SVP_TEST_BACKEND) and a directory of its own; fx_teardown drops both. */
int fx_setup(void **state);
int fx_teardown(void **state);
#define exec_ok testutil_exec
/* The store's contexts data; fails the test on error. */
struct context_data *load_ok(struct store *s);
/* Text a function printed, for checks on what a person reads (owned). */
char *capture(void (*fn)(void *arg, FILE *f), void *arg);
/* The network of d under o; fails the test on error. */
struct context_network *network_ok(const struct context_data *d,
                                   const struct context_network_opts *o);
/* For capture: the network's GraphML, which must be written without error. */
void print_graphml(void *arg, FILE *f);
/* Two areas; three children missing on one evening and found at a shop; an adult associate
 * of two of them and parent of the third; places in and out of the county. */
void small_county(struct store *s);

/* Each record's peer group (0: none), by record id: a context_groups_each callback,
 * note_group, fills it. */
struct group_of {
    int group[32]; /* by record id */
};
void note_group(void *arg, int group, int64_t person_id, int64_t record_id);

#endif
