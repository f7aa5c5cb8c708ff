/*
 * triage: the door of svp's domestic abuse room.
 *
 * The partnership's Domestic Abuse Conference Call (DACC) is held every working day in the
 * MASH, chaired by the police: every domestic abuse incident since the previous call is
 * discussed with partners, who see the list beforehand; actions are set and followed up
 * (WSCB annual report 2016-17, "Domestic Abuse Conference Call"). High risk victims go to
 * MARAC (566 cases and 805 children in their households in 2016-17, ibid. "MARAC"); the
 * schools of children present are told through Operation Encompass.
 *
 * This room reads the `da_incident` events of the canonical model (docs/model.md: one event
 * for the victim, one for the perpetrator and one for each child present, sharing the
 * incident's row id) and the `marac` events, and works out:
 *   - DASH: answers keyed by question id (data/dash-questions.csv), the count of yes
 *     answers, and the risk level with its basis (visible high risk, professional
 *     judgement, potential escalation);
 *   - MARAC criteria as data (data/marac-criteria.csv), repeat MARAC, the MARAC list and
 *     the SafeLives data return figures for any period;
 *   - the daily call's list, with each case's history, and its actions (stored, carried
 *     to later calls until done);
 *   - Operation Encompass clocks and compliance;
 *   - serial perpetrators, repeat victims and escalation.
 * Everything is computed when asked for: nothing but actions, DASH assessments recorded in
 * svp and Encompass notifications is stored. docs/triage.md defines every rule and figure.
 */
#ifndef SVP_TRIAGE_H
#define SVP_TRIAGE_H

#include "base/base.h"
#include "store/store.h"

#include <jansson.h>

/* ------------------------------------------------------------------ DASH */

enum triage_answer {
    TRIAGE_NOT_ASKED = 0,
    TRIAGE_YES,
    TRIAGE_NO,
    TRIAGE_NOT_KNOWN,
};

/* "not_asked", "yes", "no", "not_known". */
const char *triage_answer_name(enum triage_answer a);
/* Parses an answer: yes/no/not_known/not_asked (also y, n, nk, 1, 0; any case). SVP_EINPUT
 * for anything else, with err naming the allowed values. */
int triage_answer_parse(const char *s, enum triage_answer *out, struct svp_err *err) SVP_WUR;

enum triage_form { TRIAGE_FORM_RIC, TRIAGE_FORM_POLICE, TRIAGE_FORM_CARE, TRIAGE_FORM_N };
/* "ric", "police", "care". */
const char *triage_form_name(enum triage_form f);
int triage_form_parse(const char *s, enum triage_form *out, struct svp_err *err) SVP_WUR;

#define TRIAGE_QUESTIONS_MAX 64
#define TRIAGE_QID_MAX 8

struct triage_question {
    char id[TRIAGE_QID_MAX];
    unsigned forms;  /* bit (1 << enum triage_form) for each form that asks it */
    int police_pos;  /* 1-based position on the police form, 0 if not on it */
    bool counts;     /* a yes counts towards the visible high risk threshold */
    char topic[80];
};

struct triage_questions {
    struct triage_question v[TRIAGE_QUESTIONS_MAX];
    size_t n;
};

/* Parses a question table (CSV text, borrowed; '#' lines are comments). Checks unique
 * well-formed ids, known forms, police positions unique and 1..TRIAGE_QUESTIONS_MAX.
 * SVP_EINPUT naming the line otherwise. Fills *out. */
int triage_questions_parse(const char *data, size_t len, const char *name,
                           struct triage_questions *out, struct svp_err *err) SVP_WUR;
/* Loads path (borrowed), or the embedded data/dash-questions.csv when path is NULL. */
int triage_questions_load(const char *path, struct triage_questions *out,
                          struct svp_err *err) SVP_WUR;
/* Index of question id in qs, or -1. */
int triage_question_find(const struct triage_questions *qs, const char *id);

/* One completed checklist: an answer per question of qs (by index). */
struct triage_dash {
    enum triage_form form;
    unsigned char answer[TRIAGE_QUESTIONS_MAX]; /* enum triage_answer */
};

/* Sets one answer from text: SVP_EINPUT if qid is not a question of qs, is not asked on
 * d->form, or the answer is not an allowed value (err says which and why). d unchanged on
 * error. */
int triage_dash_set(const struct triage_questions *qs, struct triage_dash *d, const char *qid,
                    const char *answer, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ criteria */

struct triage_criteria {
    int high_risk_yes;        /* visible high risk: this many yes answers or more (14) */
    int escalation_incidents; /* potential escalation: N incidents ... (3) */
    int escalation_months;    /* ... within M months (12) */
    int repeat_months;        /* repeat MARAC window after the last referral (12) */
    int call_minute;          /* minute of the day of the daily call (09:30 = 570) */
    int school_minute;        /* minute of the day schools start (08:45 = 525) */
};

/* Parses key,value CSV text (borrowed): every key of struct triage_criteria must be given
 * once, numbers in range (thresholds 1..100, months 1..120, times HH:MM). SVP_EINPUT naming
 * the line and key otherwise. */
int triage_criteria_parse(const char *data, size_t len, const char *name,
                          struct triage_criteria *out, struct svp_err *err) SVP_WUR;
/* Loads path (borrowed), or the embedded data/marac-criteria.csv when path is NULL. */
int triage_criteria_load(const char *path, struct triage_criteria *out,
                         struct svp_err *err) SVP_WUR;

enum triage_level { TRIAGE_LEVEL_NONE = 0, TRIAGE_STANDARD, TRIAGE_MEDIUM, TRIAGE_HIGH };
/* "", "standard", "medium", "high". */
const char *triage_level_name(enum triage_level l);
/* standard/medium/high (any case); anything else is TRIAGE_LEVEL_NONE. */
enum triage_level triage_level_parse(const char *s);

/* MARAC criteria an incident meets (bits). */
enum {
    TRIAGE_CRIT_VISIBLE_HIGH = 1, /* yes answers >= high_risk_yes */
    TRIAGE_CRIT_JUDGEMENT = 2,    /* assessed high by professional judgement */
    TRIAGE_CRIT_ESCALATION = 4,   /* the victim's Nth incident within M months */
    TRIAGE_CRIT_REPEAT = 8,       /* within repeat_months of the last referral, same pair */
};

/* The DASH result: yes/known counts over the questions the form asks, the level and why. */
struct triage_dash_result {
    int yes;     /* yes answers on counted questions */
    int asked;   /* questions the form asks that count */
    int unknown; /* not known or not asked, among those */
    int extra_yes; /* yes answers on questions that do not count (care questions) */
    enum triage_level level;
    unsigned criteria; /* TRIAGE_CRIT_VISIBLE_HIGH and/or TRIAGE_CRIT_JUDGEMENT */
};

/* Assesses d: visible high risk when yes >= c->high_risk_yes; else professional judgement
 * when judged is TRIAGE_HIGH (the assessor's level; a reason must then be recorded by the
 * caller); else the assessor's level (standard when none). */
void triage_dash_assess(const struct triage_questions *qs, const struct triage_criteria *c,
                        const struct triage_dash *d, enum triage_level judged,
                        struct triage_dash_result *out);

/* ------------------------------------------------------------------ reading details */

/* Gets one member of an event's detail: key k (kl bytes), value v (vl bytes; a string's
 * content, or the text of a number, true, false or null when str is false). Not
 * NUL-terminated. */
typedef void (*triage_member_fn)(void *ctx, const char *k, size_t kl, const char *v, size_t vl,
                                 bool str);

/* The fast path: reads detail (NUL-terminated) when it is one flat JSON object whose keys
 * and string values are printable ASCII without escapes and whose other values are JSON
 * numbers, true, false or null, calling fn (may be NULL) for each member in order
 * (duplicates too). False for anything else: nesting, escapes, other bytes, bad syntax;
 * fn may then have seen the members before the one it stopped at, each as it is (a full
 * parse delivers them again). Whatever it accepts is
 * valid JSON (fuzz/fuzz_detail.c checks it against jansson). */
bool triage_detail_flat(const char *detail, triage_member_fn fn, void *ctx);

/* Every scalar member of detail: triage_detail_flat, else a full parse (jansson; the last
 * of duplicate keys wins; reals as "%.17g"; nested values skipped), delivering every
 * member again. False when detail is not a JSON object. */
bool triage_detail_scan(const char *detail, triage_member_fn fn, void *ctx);

/* A flag value as details hold it: 1, true, yes, y (any case) are set; anything else not. */
bool triage_detail_flag(const char *v, size_t vl);

/* ------------------------------------------------------------------ incidents */

#define TRIAGE_REF_MAX 64

/* A person in the room: a linked person (id > 0) or, before linkage, an agency record
 * (-record id). */
typedef int64_t triage_subject;

struct triage_incident {
    char ref[TRIAGE_REF_MAX]; /* the incident's row id, e.g. DA/16/000123 */
    svp_time at;              /* when (a day-only date is midnight) */
    svp_day day;
    triage_subject victim, perpetrator; /* 0: not recorded */
    int64_t victim_record, perpetrator_record;
    triage_subject *children; /* present; owned by the set */
    size_t nchildren;
    char (*child_refs)[32];   /* each child's agency id as the incident records it */
    svp_time *told;           /* Operation Encompass: when each child's school was told (0:
                                 not recorded); owned by the set, NULL when none */
    bool has_dash;
    struct triage_dash dash;
    bool assessed_in_svp; /* dash is a later assessment recorded in svp (da_assessment) */
    enum triage_level recorded; /* the assessor's level (the event's dash_risk) */
    bool referred;              /* recorded MARAC referral (marac_referred) */
    char victim_sex;            /* M F X U, from the victim's record */
    char victim_ethnicity[8];
    /* computed by triage_set_evaluate */
    struct triage_dash_result dres;
    unsigned criteria;    /* TRIAGE_CRIT_* met */
    bool repeat_referral; /* referred, and within repeat_months of an earlier referral of
                             the same victim and perpetrator */
    enum triage_level level; /* the level shown: high when any criterion is met */
    const char *problem;     /* NULL, or why the incident cannot be triaged */
};

/* A MARAC case recorded by the MARAC (a `marac` event): heard on day, for victim. */
struct triage_marac {
    char ref[TRIAGE_REF_MAX];
    svp_day day;
    triage_subject victim;
    char agency[16]; /* referring agency */
    bool repeat;     /* as recorded */
    bool disabled, lgbt; /* as recorded (absent: false) */
    int children;        /* as recorded, -1 if not */
};

/* Children recorded in a household with a victim (household_member relationships). */
struct triage_household {
    triage_subject adult, child;
};

struct triage_set {
    struct triage_incident *v; /* sorted by (at, ref) */
    size_t n;
    struct triage_marac *marac;
    size_t nmarac;
    struct triage_household *hh; /* sorted by (adult, child) */
    size_t nhh;
    long skipped; /* events that could not be read (bad dates) */
};

/* Validates a hand-made incident before it is added: a victim, a perpetrator who is not the
 * victim. SVP_EINPUT with the reason otherwise. */
int triage_incident_check(const struct triage_incident *inc, struct svp_err *err) SVP_WUR;

/* Adds a copy of inc to set (children copied). For tests and importers of other layouts;
 * call triage_set_evaluate afterwards. SVP_EINPUT as triage_incident_check, SVP_ENOMEM. */
int triage_set_add(struct triage_set *set, const struct triage_incident *inc,
                   struct svp_err *err) SVP_WUR;

/* Loads every domestic abuse incident, MARAC case and household from the store, reading
 * police-form DASH answers (dash_01.. by qs' police positions), then evaluates the set.
 * Incidents with no victim or a perpetrator equal to the victim are kept with `problem`
 * set and meet no criteria. Returns an owned set in *out. */
int triage_set_load(struct store *s, const struct triage_questions *qs,
                    const struct triage_criteria *c, struct triage_set **out,
                    struct svp_err *err) SVP_WUR;

/* What triage_set_load_some may leave out. */
enum {
    /* Households (set->hh stays empty): the daily call shows the children present, not the
     * households, and reading every household relationship is a third of its load. */
    TRIAGE_SKIP_HOUSEHOLDS = 1,
};
/* As triage_set_load, leaving out what skip (TRIAGE_SKIP_* bits) names. */
int triage_set_load_some(struct store *s, const struct triage_questions *qs,
                         const struct triage_criteria *c, unsigned skip,
                         struct triage_set **out, struct svp_err *err) SVP_WUR;

/* Sorts the set and works out every incident's DASH result, criteria, level and repeat
 * referral flag. SVP_ENOMEM only. */
int triage_set_evaluate(struct triage_set *set, const struct triage_questions *qs,
                        const struct triage_criteria *c, struct svp_err *err) SVP_WUR;

void triage_set_free(struct triage_set **set);

/* Children in the victim's household at incident i (household relationships and children
 * present), distinct, into out (cap entries); returns how many there are (may exceed cap). */
size_t triage_household_children(const struct triage_set *set, size_t i, triage_subject *out,
                                 size_t cap);

/* ------------------------------------------------------------------ history */

/* Index lists into set->v (owned). */
struct triage_idx {
    size_t *v;
    size_t n, cap;
};
void triage_idx_free(struct triage_idx *x);

struct triage_history {
    struct triage_idx same_pair;      /* earlier incidents, same victim and perpetrator */
    struct triage_idx victim_other;   /* earlier, the victim with another perpetrator */
    struct triage_idx perp_other;     /* earlier, the perpetrator against another victim */
    struct triage_idx referrals;      /* earlier MARAC referrals of the victim */
};
/* Fills h with incident i's history (before i in time). SVP_ENOMEM. */
int triage_history_of(const struct triage_set *set, size_t i, struct triage_history *h,
                      struct svp_err *err) SVP_WUR;
void triage_history_free(struct triage_history *h);

/* ------------------------------------------------------------------ the daily call */

struct triage_call {
    svp_day day;           /* the call */
    svp_day previous;      /* the previous call (the working day before) */
    svp_time from, to;     /* incidents with from <= at < to */
    struct triage_idx cases;
};

/* The call on day: refuses a day after today ("cannot run a call for the future") and a
 * day that is not a working day (naming the next one); a Monday, or the day after a bank
 * holiday, covers everything since the previous working day's call. cal borrowed. */
int triage_call_build(const struct triage_set *set, const struct svp_calendar *cal,
                      const struct triage_criteria *c, svp_day day, svp_day today,
                      struct triage_call *out, struct svp_err *err) SVP_WUR;
void triage_call_free(struct triage_call *call);

struct triage_action;

/* How a caller shows the call: person() gives how the viewer sees who (never 0): an object
 * with "name" and, as far as they may see them, "dob", "agencies", "plans" and, for a child,
 * "school"; visible() says whether the viewer may see an incident at all (a case withheld
 * is counted, not shown, and so are the actions on it). A NULL viewer or function: every
 * case, every person described in full (triage_person_describe). */
struct triage_viewer {
    int (*person)(void *ctx, triage_subject who, bool child, json_t **out,
                  struct svp_err *err);
    int (*visible)(void *ctx, const struct triage_incident *inc, bool *ok,
                   struct svp_err *err);
    void *ctx;
};

/* The call as partners see it (what GET /api/v1/da/call answers; docs/triage.md):
 *   {"date", "previous", "from", "to", "withheld",
 *    "cases": [{"ref", "at", "level", "assessed", "has_dash", "dash_yes", "dash_asked",
 *               "criteria": [...], "referred", "problem"?, "victim", "perpetrator",
 *               "children": [...], "history": {...}, "actions": [...]}],
 *    "carried": [actions open on earlier cases, each with its "incident"]}
 * acts: the actions open on the call's day (triage_actions_open). Owned in *out. */
int triage_call_json(struct store *s, const struct triage_set *set,
                     const struct triage_call *call, const struct triage_action *acts,
                     size_t nacts, const struct triage_viewer *v, json_t **out,
                     struct svp_err *err) SVP_WUR;

/* The call's document (triage_call_json) as a workbook: sheets Call, Cases, Children and
 * Actions. Written to path when it is not NULL (SVP_EIO naming it when it cannot be), else
 * into owned bytes *out, *len (svp_free). */
int triage_call_xlsx(const json_t *call, const char *path, char **out, size_t *len,
                     struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ serial and repeat */

struct triage_group {
    triage_subject who;
    struct triage_idx incidents; /* in time order */
    int others;                  /* distinct victims (serial) or perpetrators (repeat) */
    bool faster, worse;          /* escalation in frequency / severity (see below) */
};

enum triage_group_kind { TRIAGE_SERIAL, TRIAGE_REPEAT_VICTIM };

/* Groups the incidents in [from, to] (days): TRIAGE_SERIAL gives perpetrators with
 * incidents against two or more victims; TRIAGE_REPEAT_VICTIM victims with two or more
 * incidents. For each: escalation in frequency (the last gap between incidents is shorter
 * than the one before it) and severity (each of the last three incidents has more DASH
 * yes answers than the one before). Owned array in *out. */
int triage_groups(const struct triage_set *set, enum triage_group_kind kind, svp_day from,
                  svp_day to, struct triage_group **out, size_t *n,
                  struct svp_err *err) SVP_WUR;
void triage_groups_free(struct triage_group **v, size_t n);

/* ------------------------------------------------------------------ MARAC figures */

#define TRIAGE_FIG_AGENCIES 16

/* MARAC cases referred by one agency (as recorded; "police" for police referrals). */
struct triage_agency_count {
    char agency[16];
    long cases;
};

/* The SafeLives MARAC data return for [from, to] (docs/triage.md defines each). */
struct triage_figures {
    svp_day from, to;
    long incidents;           /* DA incidents in the period */
    long cases;               /* MARAC cases: referrals in the period */
    long repeat_cases;        /* of which repeats */
    long children;            /* children in the households of the cases */
    long by_agency_police, by_agency_other; /* referrals from the police / other agencies */
    struct triage_agency_count by_agency[TRIAGE_FIG_AGENCIES]; /* most cases first, then by
                                         name; beyond the table, one last "(others)" row */
    size_t nby_agency;
    long victims_male, victims_bme, victims_disabled, victims_lgbt;
    long meets_criteria;      /* incidents meeting a criterion */
    long meets_not_referred;  /* of which no referral is recorded */
    long crit_visible, crit_judgement, crit_escalation, crit_repeat;
    long serial_perpetrators, repeat_victims;
};

int triage_figures_compute(const struct triage_set *set, svp_day from, svp_day to,
                           struct triage_figures *out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ Operation Encompass */

/* The deadline to tell a child's school about incident at: school_minute on the first
 * working day after the incident's day. SVP_EINPUT outside the calendar. */
int triage_encompass_due(const struct svp_calendar *cal, const struct triage_criteria *c,
                         svp_time at, svp_time *due, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ people */

/* What the call shows about a person: name (the agency's id when the record has none), date
 * of birth, the agencies that hold a record of them (linked records included), the latest
 * school recorded and open plans. */
struct triage_person {
    char name[128];
    char dob[12];
    char agencies[96]; /* "csc police" */
    char id[48];       /* the first record's "source:agency id", e.g. "police:N123" */
    char school[96];   /* latest school_enrolment/school_attendance school_name, or "" */
    char plans[96];    /* open cp_plan, cin_plan, looked_after, early_help, space separated */
};

/* Describes who (a person, or -record id). SVP_ENOTFOUND if there is no such record. */
int triage_person_describe(struct store *s, triage_subject who, struct triage_person *out,
                           struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ what people record */

/* Agencies that take part in the call: the model's codes (csc, asc, police, health,
 * education, yjs, rhi) and housing, probation, idva, military, other. SVP_EINPUT otherwise. */
int triage_agency_check(const char *agency, struct svp_err *err) SVP_WUR;

#define TRIAGE_TEXT_MAX 500

struct triage_action {
    int64_t id;
    char incident[TRIAGE_REF_MAX];
    char agency[16];
    char action[TRIAGE_TEXT_MAX + 1];
    char owner[81];
    svp_day due, set_on;
    svp_day done_on; /* 0 while open */
};

/* Records an action set at the call on a->set_on for incident a->incident (which must be in
 * set): a known agency, action text and owner (1..TRIAGE_TEXT_MAX and 1..80 bytes of UTF-8),
 * due on or after set_on. Writes *id. SVP_EINPUT/SVP_ENOTFOUND with nothing written. */
int triage_action_add(struct store *s, const struct triage_set *set,
                      const struct triage_action *a, int64_t *id, struct svp_err *err) SVP_WUR;
/* Marks action id done on day (not before it was set). SVP_ENOTFOUND, SVP_ECONFLICT if
 * already done. */
int triage_action_done(struct store *s, int64_t id, svp_day day, struct svp_err *err) SVP_WUR;
/* The actions open on day: set on or before it, not done by it (done_on > day counts as open
 * then), oldest due first. Owned array. */
int triage_actions_open(struct store *s, svp_day day, struct triage_action **out, size_t *n,
                        struct svp_err *err) SVP_WUR;

/* Records a DASH completed in svp, from a JSON object (text, borrowed, at most 64 KiB):
 *   {"incident": REF, "form": "ric"|"police"|"care", "assessed_on": "YYYY-MM-DD",
 *    "agency": A, "answers": {QID: "yes"|"no"|"not_known"|"not_asked", ...},
 *    "level": "standard"|"medium"|"high", "reason": TEXT}
 * Every question id must be one of qs asked on the form, every answer an allowed value, the
 * incident one of set's with a victim and a perpetrator who is not the victim, the date not
 * after today; a high level below the visible high risk threshold needs a reason
 * (professional judgement). Unanswered questions are not asked. On any error nothing is
 * written and err names the field. Fills *res with the assessment's result. */
int triage_assessment_record(struct store *s, const struct triage_questions *qs,
                             const struct triage_criteria *c, const struct triage_set *set,
                             const char *json, svp_day today, struct triage_dash_result *res,
                             struct svp_err *err) SVP_WUR;

/* Records that child_ref's school was told about incident at (Operation Encompass). The
 * child must be one present at the incident (their agency id); at not before the incident.
 * SVP_EINPUT/SVP_ENOTFOUND/SVP_ECONFLICT (already recorded) with nothing written. */
int triage_encompass_record(struct store *s, const struct triage_set *set, const char *incident,
                            const char *child_ref, svp_time at, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ Encompass compliance */

enum triage_told { TRIAGE_TOLD_ON_TIME, TRIAGE_TOLD_LATE, TRIAGE_TOLD_OVERDUE, TRIAGE_TOLD_OPEN };
/* "on time", "late", "overdue", "open". */
const char *triage_told_name(enum triage_told t);

/* The state of child k of incident i at now: told by the deadline, told after it, not told
 * and past it, not told and not yet due. Fills *due. SVP_EINPUT outside the calendar. */
int triage_encompass_state(const struct triage_set *set, size_t i, size_t k,
                           const struct svp_calendar *cal, const struct triage_criteria *c,
                           svp_time now, svp_time *due, enum triage_told *state,
                           struct svp_err *err) SVP_WUR;

/* Counts of children present at incidents in [from, to] by state at now. */
struct triage_encompass_figures {
    long children, on_time, late, overdue, open;
};
int triage_encompass_compliance(const struct triage_set *set, const struct svp_calendar *cal,
                                const struct triage_criteria *c, svp_day from, svp_day to,
                                svp_time now, struct triage_encompass_figures *out,
                                struct svp_err *err) SVP_WUR;

#endif
