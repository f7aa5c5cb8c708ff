/* The registers svp keeps, described as data for the generic engine in registers.c.
 * A new register (risk register, challenge log, training) is a new schema here. */
#include "registers_int.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The case review register (SVPP annual report 2021-22: "a case data tracker to enable
 * better oversight of timeliness of notifications and publication of reviews"). Dates are
 * the milestones Working Together 2018 ch.4 times; deadlines come from the clock rules. */
static const struct reg_field review_fields[] = {
    {"kind", REG_CHOICE, true, "rapid_review|lcspr|sar|dhr|non_statutory", NULL, 0,
     "rapid_review, lcspr (local child safeguarding practice review), sar, dhr, "
     "non_statutory",
     0, 0},
    {"title", REG_TEXT, false, NULL, NULL, 200,
     "a short name that does not identify the person (e.g. 'Child E')", 0, 0},
    {"awareness", REG_DATE, false, NULL, NULL, 0, "the partnership became aware of the incident", 0,
     0},
    {"notification", REG_DATE, false, NULL, NULL, 0,
     "notified to the national panel (or, for a DHR, to the community safety partnership)", 0, 0},
    {"rapid_review_sent", REG_DATE, false, NULL, NULL, 0, "rapid review sent to the panel", 0, 0},
    {"decision", REG_DATE, false, NULL, NULL, 0, "decision to hold the review (DHR)", 0, 0},
    {"initiation", REG_DATE, false, NULL, NULL, 0,
     "review initiated (SVPP: the panel's letter after the rapid review is received)", 0, 0},
    {"final_report_sent", REG_DATE, false, NULL, NULL, 0,
     "final report sent to the panel and the Secretary of State (DHR: to the Home Office)", 0, 0},
    {"publication", REG_DATE, false, NULL, NULL, 0, "final report published", 0, 0},
    {"notes", REG_TEXT, false, NULL, NULL, 1000, "free text; no personal data", 0, 0},
};

static const struct reg_order review_order[] = {
    {"awareness", "notification"},
    {"notification", "rapid_review_sent"},
    {"awareness", "decision"},
    {"awareness", "initiation"},
    {"rapid_review_sent", "initiation"},
    {"decision", "final_report_sent"},
    {"initiation", "final_report_sent"},
    {"initiation", "publication"},
    {"final_report_sent", "publication"},
    {"awareness", "publication"},
};

/* The case learning tracker (SVPP annual report 2021-22: "oversight of the actions in
 * response to recommendations and learning and their impact"). */
static const struct reg_field recommendation_fields[] = {
    {"text", REG_TEXT, true, NULL, NULL, 2000, "the recommendation", 0, 0},
    {"theme", REG_TEXT, false, NULL, NULL, 100, "e.g. 'safe sleeping', 'invisible men'", 0, 0},
    {"course", REG_REF, false, "course", NULL, 0,
     "the training course that answers it (the learning loop into training)", 0, 0},
    {"state", REG_CHOICE, true, "open|closed", "open", 0, "open or closed", 0, 0},
    {"closed", REG_DATE, false, NULL, NULL, 0, "when it was closed", 0, 0},
};

static const struct reg_field action_fields[] = {
    {"text", REG_TEXT, true, NULL, NULL, 2000, "the action agreed", 0, 0},
    {"owner", REG_TEXT, true, NULL, NULL, 100, "the agency that owns it", 0, 0},
    {"due", REG_DATE, true, NULL, NULL, 0, "when it is due", 0, 0},
    {"state", REG_CHOICE, true, "open|done|dropped", "open", 0, "open, done or dropped", 0, 0},
    {"done_date", REG_DATE, false, NULL, NULL, 0, "when it was done", 0, 0},
};

static const struct reg_field evidence_fields[] = {
    {"text", REG_TEXT, true, NULL, NULL, 2000, "the evidence of impact", 0, 0},
    {"date", REG_DATE, true, NULL, NULL, 0, "when it was recorded or observed", 0, 0},
};

/* The panel meeting (the Vulnerable Adolescents panel of the partnership's plan): per child
 * on the list, the current owner, RAG rating, next review, last decision and the day last
 * discussed (panel_child, ref "P<person id>"); each discussion kept as it was recorded
 * (panel_discussion: the history); and the actions agreed (panel_action). Personal data:
 * read and written only through the panel pages, audited. */
static const struct reg_field panel_child_fields[] = {
    {"person_id", REG_TEXT, true, NULL, NULL, 20, "the linked person the entry is about", 0, 0},
    {"owner", REG_TEXT, false, NULL, NULL, 100, "who owns the child's plan for the panel", 0, 0},
    {"rag", REG_CHOICE, false, "red|amber|green", NULL, 0, "red, amber or green", 0, 0},
    {"next_review", REG_DATE, false, NULL, NULL, 0, "when the panel looks at the child again", 0,
     0},
    {"discussed_on", REG_DATE, false, NULL, NULL, 0, "the last meeting that discussed the child", 0,
     0},
    {"decision", REG_TEXT, false, NULL, NULL, 2000, "the last decision, in the panel's words", 0,
     0},
};

static const struct reg_field panel_discussion_fields[] = {
    {"discussed_on", REG_DATE, true, NULL, NULL, 0, "the meeting's date", 0, 0},
    {"decision", REG_TEXT, false, NULL, NULL, 2000, "what the panel decided", 0, 0},
    {"rag", REG_CHOICE, false, "red|amber|green", NULL, 0, "red, amber or green", 0, 0},
    {"owner", REG_TEXT, false, NULL, NULL, 100, "who owns the child's plan", 0, 0},
    {"next_review", REG_DATE, false, NULL, NULL, 0, "when the panel looks again", 0, 0},
};

static const struct reg_order panel_discussion_order[] = {
    {"discussed_on", "next_review"},
};

static const struct reg_field panel_action_fields[] = {
    {"text", REG_TEXT, true, NULL, NULL, 2000, "the action agreed", 0, 0},
    {"owner", REG_TEXT, true, NULL, NULL, 100, "who does it", 0, 0},
    {"due", REG_DATE, true, NULL, NULL, 0, "when it is due", 0, 0},
    {"state", REG_CHOICE, true, "open|done|dropped", "open", 0, "open, done or dropped", 0, 0},
    {"done_date", REG_DATE, false, NULL, NULL, 0, "when it was done or dropped", 0, 0},
    {"agreed_on", REG_DATE, false, NULL, NULL, 0, "the meeting that agreed it", 0, 0},
};

static const struct reg_schema review_schema = {
    "review",     "case review",   NULL, NULL, review_fields, N(review_fields),
    review_order, N(review_order), NULL, 0,    NULL,          "administrator panel",
    "learning"};
/* A recommendation's parent: a case review (rapid review, LCSPR, SAR, DHR), an audit, an
 * inspection or a child death review. */
static const struct reg_schema recommendation_schema = {"recommendation",
                                                        "recommendation",
                                                        "review|audit|inspection|child_death",
                                                        "R",
                                                        recommendation_fields,
                                                        N(recommendation_fields),
                                                        NULL,
                                                        0,
                                                        NULL,
                                                        0,
                                                        NULL,
                                                        "administrator panel",
                                                        "learning"};
static const struct reg_schema action_schema = {"action",
                                                "action",
                                                "recommendation",
                                                "A",
                                                action_fields,
                                                N(action_fields),
                                                NULL,
                                                0,
                                                NULL,
                                                0,
                                                NULL,
                                                "administrator panel",
                                                "learning"};
static const struct reg_schema evidence_schema = {"evidence",
                                                  "evidence of impact",
                                                  "action",
                                                  "E",
                                                  evidence_fields,
                                                  N(evidence_fields),
                                                  NULL,
                                                  0,
                                                  NULL,
                                                  0,
                                                  NULL,
                                                  "administrator panel",
                                                  "learning"};
static const struct reg_schema panel_child_schema = {"panel_child",
                                                     "child on the panel",
                                                     NULL,
                                                     NULL,
                                                     panel_child_fields,
                                                     N(panel_child_fields),
                                                     NULL,
                                                     0,
                                                     NULL,
                                                     0,
                                                     NULL,
                                                     NULL,
                                                     "panel"};
static const struct reg_schema panel_discussion_schema = {"panel_discussion",
                                                          "panel discussion",
                                                          "panel_child",
                                                          "D",
                                                          panel_discussion_fields,
                                                          N(panel_discussion_fields),
                                                          panel_discussion_order,
                                                          N(panel_discussion_order),
                                                          NULL,
                                                          0,
                                                          NULL,
                                                          NULL,
                                                          "panel"};
static const struct reg_schema panel_action_schema = {"panel_action",
                                                      "panel action",
                                                      "panel_child",
                                                      "A",
                                                      panel_action_fields,
                                                      N(panel_action_fields),
                                                      NULL,
                                                      0,
                                                      NULL,
                                                      0,
                                                      NULL,
                                                      NULL,
                                                      "panel"};

/* Every register, in the order lists show them. The panel's registers hold personal data
 * and are read and written only through the panel pages. */
static const struct reg_schema *const schemas[] = {
    &review_schema,         &recommendation_schema,  &action_schema,
    &evidence_schema,       &reg_schema_risk,        &reg_schema_challenge,
    &reg_schema_escalation, &reg_schema_course,      &reg_schema_session,
    &reg_schema_booking,    &reg_schema_evaluation,  &reg_schema_audit,
    &reg_schema_inspection, &reg_schema_child_death, &reg_schema_meeting,
    &reg_schema_attendance, &panel_child_schema,     &panel_discussion_schema,
    &panel_action_schema,
};

const struct reg_schema *reg_schema_at(size_t i)
{
    return i < N(schemas) ? schemas[i] : NULL;
}

bool reg_schema_has_parent(const struct reg_schema *schema, const char *name)
{
    if (!schema->parent)
        return false;
    size_t l = strlen(name);
    for (const char *p = schema->parent; *p;) {
        size_t k = strcspn(p, "|");
        if (k == l && !memcmp(p, name, l))
            return true;
        p += k + (p[k] ? 1 : 0);
    }
    return false;
}

const struct reg_computed *reg_schema_computed(const struct reg_schema *schema, const char *name)
{
    for (size_t i = 0; i < schema->ncomputed; i++)
        if (!strcmp(schema->computed[i].name, name))
            return &schema->computed[i];
    return NULL;
}

const struct reg_schema *reg_schema_find(const char *name)
{
    for (size_t i = 0; i < N(schemas); i++)
        if (!strcmp(schemas[i]->name, name))
            return schemas[i];
    return NULL;
}

const struct reg_field *reg_schema_field(const struct reg_schema *schema, const char *name)
{
    for (size_t i = 0; i < schema->nfields; i++)
        if (!strcmp(schema->fields[i].name, name))
            return &schema->fields[i];
    return NULL;
}
