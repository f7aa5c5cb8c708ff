/* The registers svp keeps, described as data for the generic engine in registers.c.
 * A new register (risk register, challenge log, training) is a new schema here. */
#include "registers.h"

#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The case review register (SVPP annual report 2021-22: "a case data tracker to enable
 * better oversight of timeliness of notifications and publication of reviews"). Dates are
 * the milestones Working Together 2018 ch.4 times; deadlines come from the clock rules. */
static const struct reg_field review_fields[] = {
    {"kind", REG_CHOICE, true, "rapid_review|lcspr|sar|dhr|non_statutory", NULL, 0,
     "rapid_review, lcspr (local child safeguarding practice review), sar, dhr, "
     "non_statutory"},
    {"title", REG_TEXT, false, NULL, NULL, 200,
     "a short name that does not identify the person (e.g. 'Child E')"},
    {"awareness", REG_DATE, false, NULL, NULL, 0, "the partnership became aware of the incident"},
    {"notification", REG_DATE, false, NULL, NULL, 0,
     "notified to the national panel (or, for a DHR, to the community safety partnership)"},
    {"rapid_review_sent", REG_DATE, false, NULL, NULL, 0, "rapid review sent to the panel"},
    {"decision", REG_DATE, false, NULL, NULL, 0, "decision to hold the review (DHR)"},
    {"initiation", REG_DATE, false, NULL, NULL, 0,
     "review initiated (SVPP: the panel's letter after the rapid review is received)"},
    {"final_report_sent", REG_DATE, false, NULL, NULL, 0,
     "final report sent to the panel and the Secretary of State (DHR: to the Home Office)"},
    {"publication", REG_DATE, false, NULL, NULL, 0, "final report published"},
    {"notes", REG_TEXT, false, NULL, NULL, 1000, "free text; no personal data"},
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
    {"text", REG_TEXT, true, NULL, NULL, 2000, "the recommendation"},
    {"theme", REG_TEXT, false, NULL, NULL, 100, "e.g. 'safe sleeping', 'invisible men'"},
};

static const struct reg_field action_fields[] = {
    {"text", REG_TEXT, true, NULL, NULL, 2000, "the action agreed"},
    {"owner", REG_TEXT, true, NULL, NULL, 100, "the agency that owns it"},
    {"due", REG_DATE, true, NULL, NULL, 0, "when it is due"},
    {"state", REG_CHOICE, true, "open|done|dropped", "open", 0, "open, done or dropped"},
    {"done_date", REG_DATE, false, NULL, NULL, 0, "when it was done"},
};

static const struct reg_field evidence_fields[] = {
    {"text", REG_TEXT, true, NULL, NULL, 2000, "the evidence of impact"},
    {"date", REG_DATE, true, NULL, NULL, 0, "when it was recorded or observed"},
};

/* The panel meeting (the Vulnerable Adolescents panel of the partnership's plan): per child
 * on the list, the current owner, RAG rating, next review, last decision and the day last
 * discussed (panel_child, ref "P<person id>"); each discussion kept as it was recorded
 * (panel_discussion: the history); and the actions agreed (panel_action). Personal data:
 * read and written only through the panel pages, audited. */
static const struct reg_field panel_child_fields[] = {
    {"person_id", REG_TEXT, true, NULL, NULL, 20, "the linked person the entry is about"},
    {"owner", REG_TEXT, false, NULL, NULL, 100, "who owns the child's plan for the panel"},
    {"rag", REG_CHOICE, false, "red|amber|green", NULL, 0, "red, amber or green"},
    {"next_review", REG_DATE, false, NULL, NULL, 0, "when the panel looks at the child again"},
    {"discussed_on", REG_DATE, false, NULL, NULL, 0, "the last meeting that discussed the child"},
    {"decision", REG_TEXT, false, NULL, NULL, 2000, "the last decision, in the panel's words"},
};

static const struct reg_field panel_discussion_fields[] = {
    {"discussed_on", REG_DATE, true, NULL, NULL, 0, "the meeting's date"},
    {"decision", REG_TEXT, false, NULL, NULL, 2000, "what the panel decided"},
    {"rag", REG_CHOICE, false, "red|amber|green", NULL, 0, "red, amber or green"},
    {"owner", REG_TEXT, false, NULL, NULL, 100, "who owns the child's plan"},
    {"next_review", REG_DATE, false, NULL, NULL, 0, "when the panel looks again"},
};

static const struct reg_order panel_discussion_order[] = {
    {"discussed_on", "next_review"},
};

static const struct reg_field panel_action_fields[] = {
    {"text", REG_TEXT, true, NULL, NULL, 2000, "the action agreed"},
    {"owner", REG_TEXT, true, NULL, NULL, 100, "who does it"},
    {"due", REG_DATE, true, NULL, NULL, 0, "when it is due"},
    {"state", REG_CHOICE, true, "open|done|dropped", "open", 0, "open, done or dropped"},
    {"done_date", REG_DATE, false, NULL, NULL, 0, "when it was done or dropped"},
    {"agreed_on", REG_DATE, false, NULL, NULL, 0, "the meeting that agreed it"},
};

static const struct reg_schema schemas[] = {
    {"review", "case review", NULL, NULL, review_fields, N(review_fields), review_order,
     N(review_order)},
    {"recommendation", "recommendation", "review", "R", recommendation_fields,
     N(recommendation_fields), NULL, 0},
    {"action", "action", "recommendation", "A", action_fields, N(action_fields), NULL, 0},
    {"evidence", "evidence of impact", "action", "E", evidence_fields, N(evidence_fields), NULL, 0},
    {"panel_child", "child on the panel", NULL, NULL, panel_child_fields,
     N(panel_child_fields), NULL, 0},
    {"panel_discussion", "panel discussion", "panel_child", "D", panel_discussion_fields,
     N(panel_discussion_fields), panel_discussion_order, N(panel_discussion_order)},
    {"panel_action", "panel action", "panel_child", "A", panel_action_fields,
     N(panel_action_fields), NULL, 0},
};

const struct reg_schema *reg_schema_find(const char *name)
{
    for (size_t i = 0; i < N(schemas); i++)
        if (!strcmp(schemas[i].name, name))
            return &schemas[i];
    return NULL;
}

const struct reg_field *reg_schema_field(const struct reg_schema *schema, const char *name)
{
    for (size_t i = 0; i < schema->nfields; i++)
        if (!strcmp(schema->fields[i].name, name))
            return &schema->fields[i];
    return NULL;
}
