/* Fuzz target: the risk panel's fast reading of a term's attendance (risk_attendance_flat).
 * Whatever it reads must be a detail jansson (with duplicates refused, as the panel parses)
 * reads as an object giving the same attendance and the same indicators; what it refuses
 * is left to jansson. Never a crash, a hang or a read past the end. */
#include "risk/risk.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct risk_attendance_in a;
    if (risk_attendance_flat(text, &a)) {
        json_error_t je;
        json_t *d = json_loads(text, JSON_REJECT_DUPLICATES, &je);
        if (!json_is_object(d))
            abort(); /* read what the panel's parse refuses */
        double pw = 0, pg = 0;
        bool hw = risk_attendance_pct(d, &pw), hg = risk_attendance_of(&a, &pg);
        if (hw != hg || (hw && pw != pg))
            abort();
        struct risk_event_in in = {.type = "school_attendance", .detail = d};
        int want[8], got[8];
        int nw = risk_classify_event(&in, want), ng = risk_classify_attendance(&a, got);
        if (nw != ng || memcmp(want, got, (size_t)nw * sizeof want[0]))
            abort();
        json_decref(d);
    }
    free(text);
    return 0;
}
