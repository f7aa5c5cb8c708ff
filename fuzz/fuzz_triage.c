/* Fuzz target: the triage room's tables (DASH questions, MARAC criteria) must refuse bad
 * input with a message and never crash, hang or read out of bounds; anything accepted must
 * be usable (ids unique, thresholds and times in range). Every input goes to both parsers. */
#include "triage/triage.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct triage_questions qs;
    struct triage_criteria c;
    struct svp_err err;
    int rc = triage_questions_parse((const char *)data, size, "fuzz.csv", &qs, &err);
    if (rc == SVP_OK) {
        if (qs.n == 0 || qs.n > TRIAGE_QUESTIONS_MAX)
            abort();
        for (size_t i = 0; i < qs.n; i++) {
            if (!qs.v[i].forms || triage_question_find(&qs, qs.v[i].id) != (int)i)
                abort();
            struct triage_dash d = {.form = TRIAGE_FORM_POLICE};
            struct triage_dash_result r;
            int set = triage_dash_set(&qs, &d, qs.v[i].id, "yes", &err);
            bool on_police = (qs.v[i].forms >> TRIAGE_FORM_POLICE) & 1;
            if ((set == SVP_OK) != on_police)
                abort();
            struct triage_criteria dc = {.high_risk_yes = 14};
            triage_dash_assess(&qs, &dc, &d, TRIAGE_LEVEL_NONE, &r);
            if (r.yes < 0 || r.yes > (int)qs.n)
                abort();
        }
    } else if (rc != SVP_EINPUT || !err.msg[0]) {
        abort();
    }
    rc = triage_criteria_parse((const char *)data, size, "fuzz.csv", &c, &err);
    if (rc == SVP_OK) {
        if (c.high_risk_yes < 1 || c.escalation_incidents < 2 || c.escalation_months < 1 ||
            c.repeat_months < 1 || c.call_minute < 0 || c.call_minute >= 1440 ||
            c.school_minute < 0 || c.school_minute >= 1440)
            abort();
    } else if (rc != SVP_EINPUT || !err.msg[0]) {
        abort();
    }
    return 0;
}
