/* The partnership's registers as schemas of the generic engine (docs/registers.md): the
 * risk register, the challenge log and its escalations under the Case Resolution Protocol,
 * training (courses, sessions, bookings, evaluations), audits, inspections, child deaths
 * and meetings with their attendance. Each names its required fields, choices, ranges,
 * computed fields and the checks that need the other entries. */
#include "registers_int.h"

#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ risk register */

/* SVPP annual report 2021-22: "a partnership risk register ... to ensure the SVPP executive
 * are sighted on significant risks across the safeguarding system". */
static const struct reg_field risk_fields[] = {
    {"title", REG_TEXT, true, NULL, NULL, 200, "the risk, in a line", 0, 0},
    {"description", REG_TEXT, false, NULL, NULL, 2000, "cause and consequence", 0, 0},
    {"owner_agency", REG_TEXT, true, NULL, NULL, 100, "the agency that owns the risk", 0, 0},
    {"owner", REG_TEXT, false, NULL, NULL, 100, "the person (role) who owns it", 0, 0},
    {"likelihood", REG_INT, true, NULL, NULL, 0, "likelihood before controls, 1-5", 1, 5},
    {"impact", REG_INT, true, NULL, NULL, 0, "impact before controls, 1-5", 1, 5},
    {"controls", REG_TEXT, false, NULL, NULL, 2000, "the controls in place", 0, 0},
    {"likelihood_after", REG_INT, false, NULL, NULL, 0, "likelihood after controls, 1-5", 1, 5},
    {"impact_after", REG_INT, false, NULL, NULL, 0, "impact after controls, 1-5", 1, 5},
    {"actions", REG_TEXT, false, NULL, NULL, 2000, "further actions agreed", 0, 0},
    {"raised", REG_DATE, false, NULL, NULL, 0, "when the risk was entered", 0, 0},
    {"reviewed", REG_DATE, false, NULL, NULL, 0,
     "last reviewed (the next review falls due 3 months later: clock risk_review)", 0, 0},
    {"trend", REG_CHOICE, false, "rising|steady|falling", NULL, 0, "rising, steady or falling", 0,
     0},
    {"status", REG_CHOICE, true, "open|closed", "open", 0, "open or closed", 0, 0},
    {"closed", REG_DATE, false, NULL, NULL, 0, "when it was closed", 0, 0},
};

static const struct reg_order risk_order[] = {
    {"raised", "reviewed"},
    {"raised", "closed"},
};

static bool product(const struct reg_entry *e, const char *a, const char *b, long *out)
{
    long x, y;
    if (!reg_entry_int(e, a, &x) || !reg_entry_int(e, b, &y))
        return false;
    *out = x * y;
    return true;
}

static bool risk_score(const struct reg_entry *e, char *buf, size_t cap)
{
    long v;
    return product(e, "likelihood", "impact", &v) && snprintf(buf, cap, "%ld", v) > 0;
}

static bool risk_score_after(const struct reg_entry *e, char *buf, size_t cap)
{
    long v;
    return product(e, "likelihood_after", "impact_after", &v) && snprintf(buf, cap, "%ld", v) > 0;
}

const char *reg_risk_rating(long score)
{
    return score >= 15 ? "high" : score >= 5 ? "medium" : "low";
}

/* The rating of the risk as it stands: after controls when both are scored, else before. */
static bool risk_rating(const struct reg_entry *e, char *buf, size_t cap)
{
    long v;
    if (!product(e, "likelihood_after", "impact_after", &v) &&
        !product(e, "likelihood", "impact", &v))
        return false;
    svp_strlcpy(buf, reg_risk_rating(v), cap);
    return true;
}

static const struct reg_computed risk_computed[] = {
    {"score", "likelihood x impact before controls (1-25)", risk_score},
    {"score_after", "likelihood x impact after controls (1-25)", risk_score_after},
    {"rating", "low (1-4), medium (5-12) or high (15-25), after controls when scored", risk_rating},
};

/* ------------------------------------------------------------------ challenge log */

/* WSCB annual report 2016-17: "a formal means of recording challenges made to partners and
 * their responses, to review progress, evaluate impact on practice, analyse themes". */
static const struct reg_field challenge_fields[] = {
    {"raised", REG_DATE, true, NULL, NULL, 0, "when the challenge was made", 0, 0},
    {"raised_by_agency", REG_TEXT, true, NULL, NULL, 100, "the agency that challenged", 0, 0},
    {"raised_by_role", REG_TEXT, false, NULL, NULL, 100, "the role that challenged", 0, 0},
    {"raised_to_agency", REG_TEXT, true, NULL, NULL, 100, "the agency challenged", 0, 0},
    {"raised_to_role", REG_TEXT, false, NULL, NULL, 100, "the role challenged", 0, 0},
    {"subject", REG_TEXT, true, NULL, NULL, 500, "what it is about; no personal data", 0, 0},
    {"kind", REG_CHOICE, true, "challenge|escalation", "challenge", 0,
     "challenge (by the partnership) or escalation (of a case, under the Case Resolution "
     "Protocol)",
     0, 0},
    {"themes", REG_TEXT, false, NULL, NULL, 300, "themes separated by ';'", 0, 0},
    {"response", REG_TEXT, false, NULL, NULL, 2000, "the response", 0, 0},
    {"response_date", REG_DATE, false, NULL, NULL, 0, "when the response came", 0, 0},
    {"outcome", REG_CHOICE, true, "open|resolved|partly_resolved|not_resolved|withdrawn", "open", 0,
     "open, resolved, partly_resolved, not_resolved or withdrawn", 0, 0},
    {"impact", REG_TEXT, false, NULL, NULL, 2000, "the impact on practice", 0, 0},
    {"closed", REG_DATE, false, NULL, NULL, 0, "when it was closed", 0, 0},
};

static const struct reg_order challenge_order[] = {
    {"raised", "response_date"},
    {"raised", "closed"},
};

/* One stage of an escalation under the Case Resolution Protocol (data/case-resolution.csv). */
static const struct reg_field escalation_fields[] = {
    {"stage", REG_INT, true, NULL, NULL, 0,
     "the protocol's stage (data/case-resolution.csv), each the one after the last", 1, 9},
    {"raised", REG_DATE, true, NULL, NULL, 0, "when the stage began", 0, 0},
    {"raised_with_agency", REG_TEXT, false, NULL, NULL, 100, "the agency it was raised with", 0, 0},
    {"raised_with_role", REG_TEXT, false, NULL, NULL, 100, "the role it was raised with", 0, 0},
    {"response", REG_TEXT, false, NULL, NULL, 2000, "the response", 0, 0},
    {"response_date", REG_DATE, false, NULL, NULL, 0,
     "when the response came (the stage's clock stops)", 0, 0},
    {"outcome", REG_CHOICE, false, "resolved|escalated|withdrawn", NULL, 0,
     "resolved, escalated (to the next stage) or withdrawn", 0, 0},
};

static const struct reg_order escalation_order[] = {
    {"raised", "response_date"},
};

/* The stages: each the one after the previous escalation of the same challenge, within
 * the protocol's stages, and not begun before the previous one. */
static int escalation_check(struct store *s, const struct reg_entry *e, struct svp_err *err)
{
    struct reg_crp_stage *stages = NULL;
    size_t nstages = 0;
    long stage;
    int rc = reg_crp_stages(&stages, &nstages, err);
    if (rc)
        return rc;
    svp_free(stages);
    if (!reg_entry_int(e, "stage", &stage))
        return SVP_OK; /* required: reg_entry_check said so */
    if ((size_t)stage > nstages)
        return svp_err_at(err, SVP_EINPUT, NULL, 0, "stage",
                          "the Case Resolution Protocol has %zu stages, not %ld", nstages, stage);
    struct reg_entry *v = NULL;
    size_t n = 0;
    if ((rc = reg_list(s, e->schema, e->parent_id, &v, &n, err)))
        return rc;
    long before = 0;
    const char *prev_raised = NULL;
    for (size_t i = 0; i < n; i++)
        if (e->id == 0 || v[i].id < e->id) {
            before++;
            prev_raised = reg_entry_get(&v[i], "raised");
        }
    const char *raised = reg_entry_get(e, "raised");
    if (stage != before + 1 && before)
        rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "stage",
                        "stage %ld is out of order: the challenge is at stage %ld, so this is "
                        "stage %ld",
                        stage, before, before + 1);
    else if (stage != before + 1)
        rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "stage",
                        "stage %ld is out of order: the challenge has no stage yet, so this is "
                        "stage 1",
                        stage);
    else if (prev_raised && raised && strcmp(raised, prev_raised) < 0)
        rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "raised",
                        "stage %ld raised %s, before stage %ld was raised (%s)", stage, raised,
                        before, prev_raised);
    reg_entries_free(&v, n);
    return rc;
}

/* ------------------------------------------------------------------ training */

/* WSCB annual report 2016-17: the multi-agency training programme (courses, sessions,
 * attendees against capacity, attendance by agency, pre/post evaluation). */
static const struct reg_field course_fields[] = {
    {"title", REG_TEXT, true, NULL, NULL, 200, "the course's name", 0, 0},
    {"kind", REG_CHOICE, true, "face_to_face|e_learning|learning_event|conference", "face_to_face",
     0, "face_to_face, e_learning, learning_event or conference", 0, 0},
    {"level", REG_TEXT, false, NULL, NULL, 60, "e.g. foundation, advanced", 0, 0},
    {"outcomes", REG_TEXT, false, NULL, NULL, 1000,
     "its learning outcomes, separated by ';' (evaluations name one)", 0, 0},
};

static const struct reg_field session_fields[] = {
    {"date", REG_DATE, true, NULL, NULL, 0, "the day it ran (or runs)", 0, 0},
    {"capacity", REG_INT, true, NULL, NULL, 0, "places", 0, 10000},
    {"trainer", REG_TEXT, false, NULL, NULL, 100, "who delivered it", 0, 0},
    {"venue", REG_TEXT, false, NULL, NULL, 100, "where", 0, 0},
    {"state", REG_CHOICE, true, "planned|held|cancelled", "held", 0, "planned, held or cancelled",
     0, 0},
    {"attended", REG_INT, false, NULL, NULL, 0,
     "head count, when the bookings are not kept one by one (bookings marked attended count "
     "instead when there are any)",
     0, 10000},
};

static const struct reg_field booking_fields[] = {
    {"agency", REG_TEXT, true, NULL, NULL, 100, "the delegate's agency or sector", 0, 0},
    {"delegate", REG_TEXT, false, NULL, NULL, 100,
     "the delegate's staff number or initials (staff data: keep it short)", 0, 0},
    {"status", REG_CHOICE, true, "booked|attended|no_show|cancelled", "booked", 0,
     "booked, attended, no_show or cancelled", 0, 0},
};

static const struct reg_field evaluation_fields[] = {
    {"stage", REG_CHOICE, true, "before|after|follow_up", NULL, 0,
     "before the course, after it, or at follow_up (6-8 weeks later)", 0, 0},
    {"outcome", REG_TEXT, true, NULL, NULL, 200, "the learning outcome rated", 0, 0},
    {"confidence", REG_INT, true, NULL, NULL, 0, "the delegate's confidence in it, 1-10", 1, 10},
    {"rating", REG_INT, false, NULL, NULL, 0, "the course rated, 1 (poor) to 5 (excellent)", 1, 5},
    {"date", REG_DATE, false, NULL, NULL, 0, "when it was returned", 0, 0},
};

/* Only a delegate who attended evaluates a course after it; before it, one booked. */
static int evaluation_check(struct store *s, const struct reg_entry *e, struct svp_err *err)
{
    struct reg_entry booking;
    int rc = reg_get_id(s, e->parent_id, &booking, err);
    if (rc)
        return rc;
    const char *status = reg_entry_get(&booking, "status");
    const char *stage = reg_entry_get(e, "stage");
    bool before = stage && !strcmp(stage, "before");
    bool ok = status && (!strcmp(status, "attended") || (before && !strcmp(status, "booked")));
    if (!ok)
        rc = svp_err_at(err, SVP_EINPUT, NULL, 0, "parent",
                        "booking %s is '%s': an evaluation %s the session needs a delegate "
                        "who %s",
                        booking.ref, status ? status : "?", before ? "before" : "after",
                        before ? "is booked on it" : "attended it");
    reg_entry_clear(&booking);
    return rc;
}

/* ------------------------------------------------------------------ audits */

/* Section 11 returns per agency, section 175 returns per school, early years settings and
 * childminders, multi-agency case audits and walkabouts (WSCB annual report 2016-17). */
static const struct reg_field audit_fields[] = {
    {"kind", REG_CHOICE, true, "s11|s175|early_years|childminder|case_audit|walkabout", NULL, 0,
     "s11, s175, early_years (settings), childminder, case_audit or walkabout", 0, 0},
    {"year", REG_TEXT, true, NULL, NULL, 9, "the audit round, e.g. 2016-17", 0, 0},
    {"subject", REG_TEXT, true, NULL, NULL, 200, "the agency, school, setting or theme audited", 0,
     0},
    {"sector", REG_TEXT, false, NULL, NULL, 60,
     "e.g. la_maintained, academy, independent (s175); pre_school, nursery (early years)", 0, 0},
    {"due", REG_DATE, false, NULL, NULL, 0, "when the return was due", 0, 0},
    {"returned", REG_DATE, false, NULL, NULL, 0, "when it was returned (unset: not returned)", 0,
     0},
    {"challenged", REG_DATE, false, NULL, NULL, 0, "when a non-returner was challenged", 0, 0},
    {"follow_up", REG_TEXT, false, NULL, NULL, 1000, "follow-up agreed", 0, 0},
    {"standards_met", REG_INT, false, NULL, NULL, 0, "s11: standards rated met", 0, 100},
    {"standards_partly", REG_INT, false, NULL, NULL, 0, "s11: standards rated partly met", 0, 100},
    {"standards_not_met", REG_INT, false, NULL, NULL, 0, "s11: standards rated not met", 0, 100},
    {"grading", REG_CHOICE, false, "outstanding|good|requires_improvement|inadequate", NULL, 0,
     "case audits: outstanding, good, requires_improvement or inadequate", 0, 0},
    {"date", REG_DATE, false, NULL, NULL, 0, "when the case audit or walkabout took place", 0, 0},
    {"findings", REG_TEXT, false, NULL, NULL, 2000, "what was found; no personal data", 0, 0},
    {"actions", REG_TEXT, false, NULL, NULL, 2000, "actions agreed", 0, 0},
};

static bool audit_returned(const struct reg_entry *e, char *buf, size_t cap)
{
    const char *k = reg_entry_get(e, "kind");
    if (!k || !reg_audit_kind_returns(k))
        return false;
    svp_strlcpy(buf, reg_entry_get(e, "returned") ? "yes" : "no", cap);
    return true;
}

static const struct reg_computed audit_computed[] = {
    {"return_in", "s11, s175, early years, childminder: yes when returned", audit_returned},
};

bool reg_audit_kind_returns(const char *kind)
{
    return !strcmp(kind, "s11") || !strcmp(kind, "s175") || !strcmp(kind, "early_years") ||
           !strcmp(kind, "childminder");
}

/* ------------------------------------------------------------------ inspections */

static const struct reg_field inspection_fields[] = {
    {"body", REG_CHOICE, true, "ofsted|cqc|hmicfrs|hmip|jtai|other", NULL, 0,
     "ofsted, cqc, hmicfrs, hmip, jtai (joint targeted area inspection) or other", 0, 0},
    {"title", REG_TEXT, true, NULL, NULL, 200, "e.g. 'JTAI: children living with domestic abuse'",
     0, 0},
    {"date", REG_DATE, true, NULL, NULL, 0, "the inspection (its first day)", 0, 0},
    {"published", REG_DATE, false, NULL, NULL, 0, "report published", 0, 0},
    {"judgement", REG_TEXT, false, NULL, NULL, 200, "the overall judgement, if any", 0, 0},
};

static const struct reg_order inspection_order[] = {
    {"date", "published"},
};

/* ------------------------------------------------------------------ child deaths */

/* The Child Death Overview Panel (WSCB annual report 2016-17: notifications, expected and
 * unexpected, modifiable factors, under-1s). No names: a reference, an age band, dates. */
static const struct reg_field child_death_fields[] = {
    {"notified", REG_DATE, true, NULL, NULL, 0, "the death was notified to CDOP", 0, 0},
    {"age_band", REG_CHOICE, true, "under_28_days|28_days_to_1|1_to_4|5_to_9|10_to_14|15_to_17",
     NULL, 0, "under_28_days, 28_days_to_1, 1_to_4, 5_to_9, 10_to_14 or 15_to_17", 0, 0},
    {"expected", REG_CHOICE, true, "expected|unexpected", NULL, 0, "expected or unexpected", 0, 0},
    {"category", REG_CHOICE, false,
     "deliberately_inflicted|suicide_self_harm|trauma_external|malignancy|acute_medical|"
     "chronic_medical|chromosomal_genetic|perinatal_neonatal|infection|sudden_unexplained",
     NULL, 0, "the panel's category of death (the ten national categories)", 0, 0},
    {"rapid_response", REG_DATE, false, NULL, NULL, 0,
     "unexpected deaths: the joint agency rapid response meeting", 0, 0},
    {"reviewed", REG_DATE, false, NULL, NULL, 0, "reviewed by the panel", 0, 0},
    {"modifiable", REG_CHOICE, false, "yes|no|insufficient_information", NULL, 0,
     "the panel found modifiable factors: yes, no, insufficient_information", 0, 0},
    {"notes", REG_TEXT, false, NULL, NULL, 1000, "themes; no personal data", 0, 0},
};

static const struct reg_order child_death_order[] = {
    {"notified", "rapid_response"},
    {"notified", "reviewed"},
};

static bool under_1(const struct reg_entry *e, char *buf, size_t cap)
{
    const char *a = reg_entry_get(e, "age_band");
    if (!a)
        return false;
    svp_strlcpy(buf, !strcmp(a, "under_28_days") || !strcmp(a, "28_days_to_1") ? "yes" : "no", cap);
    return true;
}

static bool response_days(const struct reg_entry *e, char *buf, size_t cap)
{
    const char *a = reg_entry_get(e, "notified"), *b = reg_entry_get(e, "rapid_response");
    svp_day x, y;
    struct svp_err ignore;
    if (!a || !b || svp_date_parse_iso(a, strlen(a), &x, &ignore) ||
        svp_date_parse_iso(b, strlen(b), &y, &ignore))
        return false;
    snprintf(buf, cap, "%ld", (long)(y - x));
    return true;
}

static const struct reg_computed child_death_computed[] = {
    {"under_1", "yes when the child was under one", under_1},
    {"response_days", "calendar days from notification to the rapid response meeting",
     response_days},
};

/* ------------------------------------------------------------------ meetings */

static const struct reg_field meeting_fields[] = {
    {"body", REG_TEXT, true, NULL, NULL, 100, "board, executive or the sub-group's name", 0, 0},
    {"date", REG_DATE, true, NULL, NULL, 0, "the meeting's date", 0, 0},
    {"quorate", REG_CHOICE, false, "yes|no", NULL, 0, "yes or no", 0, 0},
};

static const struct reg_field attendance_fields[] = {
    {"agency", REG_TEXT, true, NULL, NULL, 200, "the member agency", 0, 0},
    {"role", REG_TEXT, false, NULL, NULL, 100, "the member's role", 0, 0},
    {"present", REG_CHOICE, true, "present|apologies|absent", "present", 0,
     "present, apologies or absent", 0, 0},
};

/* ------------------------------------------------------------------ the schemas */

const struct reg_schema reg_schema_risk = {
    "risk",        "partnership risk", NULL,       NULL,
    risk_fields,   N(risk_fields),     risk_order, N(risk_order),
    risk_computed, N(risk_computed),   NULL,       "administrator panel",
    "risk"};
const struct reg_schema reg_schema_challenge = {"challenge",
                                                "challenge",
                                                NULL,
                                                NULL,
                                                challenge_fields,
                                                N(challenge_fields),
                                                challenge_order,
                                                N(challenge_order),
                                                NULL,
                                                0,
                                                NULL,
                                                "administrator panel",
                                                "challenge"};
const struct reg_schema reg_schema_escalation = {
    "escalation",         "escalation stage",    "challenge",         "S",  escalation_fields,
    N(escalation_fields), escalation_order,      N(escalation_order), NULL, 0,
    escalation_check,     "administrator panel", "challenge"};
const struct reg_schema reg_schema_course = {
    "course", "course", NULL, NULL, course_fields,   N(course_fields), NULL,
    0,        NULL,     0,    NULL, "administrator", "training"};
const struct reg_schema reg_schema_session = {"session",      "training session",
                                              "course",       "S",
                                              session_fields, N(session_fields),
                                              NULL,           0,
                                              NULL,           0,
                                              NULL,           "administrator",
                                              "training"};
const struct reg_schema reg_schema_booking = {
    "booking", "booking", "session", "B",  booking_fields,  N(booking_fields), NULL,
    0,         NULL,      0,         NULL, "administrator", "training"};
const struct reg_schema reg_schema_evaluation = {"evaluation",
                                                 "evaluation",
                                                 "booking",
                                                 "E",
                                                 evaluation_fields,
                                                 N(evaluation_fields),
                                                 NULL,
                                                 0,
                                                 NULL,
                                                 0,
                                                 evaluation_check,
                                                 "administrator",
                                                 "training"};
const struct reg_schema reg_schema_audit = {
    "audit",        "audit",           NULL, NULL,
    audit_fields,   N(audit_fields),   NULL, 0,
    audit_computed, N(audit_computed), NULL, "administrator analyst",
    "audit"};
const struct reg_schema reg_schema_inspection = {"inspection",
                                                 "inspection",
                                                 NULL,
                                                 NULL,
                                                 inspection_fields,
                                                 N(inspection_fields),
                                                 inspection_order,
                                                 N(inspection_order),
                                                 NULL,
                                                 0,
                                                 NULL,
                                                 "administrator panel",
                                                 "inspection"};
const struct reg_schema reg_schema_child_death = {"child_death",
                                                  "child death",
                                                  NULL,
                                                  NULL,
                                                  child_death_fields,
                                                  N(child_death_fields),
                                                  child_death_order,
                                                  N(child_death_order),
                                                  child_death_computed,
                                                  N(child_death_computed),
                                                  NULL,
                                                  "administrator",
                                                  "child_death"};
const struct reg_schema reg_schema_meeting = {
    "meeting", "meeting", NULL, NULL, meeting_fields,  N(meeting_fields), NULL,
    0,         NULL,      0,    NULL, "administrator", "meeting"};
const struct reg_schema reg_schema_attendance = {"attendance",
                                                 "attendance",
                                                 "meeting",
                                                 "A",
                                                 attendance_fields,
                                                 N(attendance_fields),
                                                 NULL,
                                                 0,
                                                 NULL,
                                                 0,
                                                 NULL,
                                                 "administrator",
                                                 "meeting"};

/* ------------------------------------------------------------------ the protocol's stages */

int reg_crp_stages(struct reg_crp_stage **out, size_t *n, struct svp_err *err)
{
    const struct svp_embedded *f = svp_data_find("case-resolution.csv");
    if (!f)
        return svp_err_set(err, SVP_EINTERNAL, "data/case-resolution.csv is not embedded");
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(f->data, f->len, NULL, &csv, err);
    if (rc)
        return rc;
    struct reg_crp_stage *v = NULL;
    size_t k = 0, cap = 0;
    struct svp_csv_row row;
    bool header = true;
    while ((rc = svp_csv_next(csv, &row, err)) == 1) {
        if (header) {
            header = false;
            continue;
        }
        int64_t stage, days;
        if (row.error || row.nfields < 4 || svp_parse_i64(row.fields[0].p, &stage) ||
            svp_parse_i64(row.fields[3].p, &days) || stage != (int64_t)k + 1 || days <= 0) {
            rc = svp_err_at(err, SVP_EINTERNAL, "case-resolution.csv", row.line, NULL,
                            "a stage needs stage (1, 2, ... in order), name, raised_with, "
                            "working_days (above 0)");
            break;
        }
        struct reg_crp_stage *nv = svp_grow(v, &cap, k + 1, sizeof *nv, 8);
        if (!nv) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            break;
        }
        v = nv;
        v[k].stage = (int)stage;
        v[k].working_days = (int)days;
        svp_strlcpy(v[k].name, row.fields[1].p, sizeof v[k].name);
        svp_strlcpy(v[k].raised_with, row.fields[2].p, sizeof v[k].raised_with);
        k++;
    }
    svp_csv_free(&csv);
    if (rc != 0) {
        svp_free(v);
        return rc;
    }
    *out = v;
    *n = k;
    return SVP_OK;
}
