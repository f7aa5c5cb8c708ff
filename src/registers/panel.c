/* The panel meeting's register: what the panel decided about each child on the list, with
 * every discussion kept (history) and the actions agreed. Built on the generic engine. */
#include "registers.h"

#include <string.h>

static void child_ref(int64_t person_id, char *buf, size_t cap)
{
    snprintf(buf, cap, "P%lld", (long long)person_id);
}

/* The child's entry, added (with its person id) when the panel first records anything. */
static int ensure_child(struct store *s, int64_t person_id, const char *ref, struct svp_err *err)
{
    const struct reg_schema *sc = reg_schema_find("panel_child");
    struct reg_entry e;
    int rc = reg_get(s, sc, ref, &e, err);
    if (rc == SVP_OK) {
        reg_entry_clear(&e);
        return SVP_OK;
    }
    if (rc != SVP_ENOTFOUND)
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)person_id);
    if ((rc = reg_entry_init(&e, sc, err)))
        return rc;
    svp_strlcpy(e.ref, ref, sizeof e.ref);
    rc = reg_entry_set(&e, "person_id", id, err);
    if (!rc)
        rc = reg_add(s, &e, NULL, err);
    reg_entry_clear(&e);
    return rc;
}

int reg_panel_discuss(struct store *s, int64_t person_id, const struct reg_panel_decision *d,
                      char *ref_out, size_t cap, struct svp_err *err)
{
    if (person_id <= 0)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "person_id", "not a person");
    const struct reg_schema *sc = reg_schema_find("panel_discussion");
    struct reg_entry e;
    int rc = reg_entry_init(&e, sc, err);
    if (rc)
        return rc;
    /* Every field is checked before anything is stored. */
    const char *names[] = {"discussed_on", "decision", "rag", "owner", "next_review"};
    const char *values[] = {d->discussed_on, d->decision, d->rag, d->owner, d->next_review};
    for (size_t i = 0; !rc && i < 5; i++)
        rc = reg_entry_set(&e, names[i], values[i], err);
    if (!rc)
        rc = reg_entry_check(&e, err);
    char ref[REG_REF_MAX];
    child_ref(person_id, ref, sizeof ref);
    if (!rc)
        rc = ensure_child(s, person_id, ref, err);
    if (!rc)
        rc = reg_add(s, &e, ref, err);
    if (!rc && ref_out)
        svp_strlcpy(ref_out, e.ref, cap);
    reg_entry_clear(&e);
    if (rc)
        return rc;
    /* The child's current state: the day and decision always, the rest when given. */
    struct reg_change ch[5];
    size_t n = 0;
    for (size_t i = 0; i < 5; i++)
        if (i < 2 || (values[i] && *values[i]))
            ch[n++] = (struct reg_change){names[i], values[i]};
    return reg_update(s, reg_schema_find("panel_child"), ref, ch, n, NULL, err);
}

int reg_panel_action_add(struct store *s, int64_t person_id, const char *text, const char *owner,
                         const char *due, const char *agreed_on, char *ref_out, size_t cap,
                         struct svp_err *err)
{
    if (person_id <= 0)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "person_id", "not a person");
    struct reg_entry e;
    int rc = reg_entry_init(&e, reg_schema_find("panel_action"), err);
    if (!rc)
        rc = reg_entry_set(&e, "text", text, err);
    if (!rc)
        rc = reg_entry_set(&e, "owner", owner, err);
    if (!rc)
        rc = reg_entry_set(&e, "due", due, err);
    if (!rc)
        rc = reg_entry_set(&e, "agreed_on", agreed_on, err);
    if (!rc)
        rc = reg_entry_check(&e, err);
    char ref[REG_REF_MAX];
    child_ref(person_id, ref, sizeof ref);
    if (!rc)
        rc = ensure_child(s, person_id, ref, err);
    if (!rc)
        rc = reg_add(s, &e, ref, err);
    if (!rc && ref_out)
        svp_strlcpy(ref_out, e.ref, cap);
    reg_entry_clear(&e);
    return rc;
}

int reg_panel_action_set(struct store *s, const char *ref, const char *state, const char *date,
                         struct svp_err *err)
{
    if (!state || (strcmp(state, "open") && strcmp(state, "done") && strcmp(state, "dropped")))
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "state", "must be open, done or dropped");
    struct reg_change ch[] = {{"state", state},
                              {"done_date", strcmp(state, "open") ? date : NULL}};
    return reg_update(s, reg_schema_find("panel_action"), ref, ch, 2, NULL, err);
}
