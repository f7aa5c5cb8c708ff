/* Fuzz target: `svp profile draft` scans any bytes without crashing or leaking. Whatever it
 * drafts is a profile the parser accepts; a refusal carries a message. */
#include "ingest/ingest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ingest_draft d;
    struct svp_err err;
    struct ingest_draft_opts o = {.as_of = "2024-08-01", .max_rows = 2000};
    int rc = ingest_draft_mem((const char *)data, size, "fuzz.csv", &o, &d, &err);
    if (rc == SVP_OK) {
        if (!d.report || !d.profile || d.rows < 1 || d.columns < 1)
            abort();
        struct ingest_profile *p = NULL;
        if (ingest_profile_parse(d.profile, strlen(d.profile), "draft", &p, &err))
            abort(); /* a draft svp itself refuses */
        ingest_profile_free(&p);
        ingest_draft_free(&d);
    } else if (rc == SVP_EINTERNAL || !err.msg[0] || d.report || d.profile) {
        abort();
    }
    return 0;
}
