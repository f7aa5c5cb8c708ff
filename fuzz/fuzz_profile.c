/* Fuzz target: the source profile parser accepts any bytes without crashing or leaking;
 * whatever it accepts reports consistent counts, and any refusal names a line within the
 * text (docs/profiles.md). */
#include "ingest/ingest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ingest_profile *p = NULL;
    struct svp_err err;
    svp_err_clear(&err);
    int rc = ingest_profile_parse((const char *)data, size, "fuzz", &p, &err);
    if (rc == SVP_OK) {
        int cols, events, rels, others;
        ingest_profile_counts(p, &cols, &events, &rels, &others);
        if (cols < 0 || events < 0 || rels < 0 || others < 0 || !ingest_profile_name(p) ||
            !ingest_profile_agency(p) || !ingest_profile_id_space(p))
            abort();
        ingest_profile_free(&p);
        if (p)
            abort();
    } else {
        if (p || err.msg[0] == '\0')
            abort();
        long lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += data[i] == '\n';
        if (err.line < 0 || err.line > lines)
            abort();
    }
    return 0;
}
