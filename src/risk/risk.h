/*
 * risk: the door of the Vulnerability Tracker room.
 *
 * Ranks the children most at risk of exploitation for the multi-agency panel (the
 * Vulnerable Adolescents Contextual Safeguarding panel of the partnership's plan), with
 * the reasons behind every place on the list. Indicators are computed per linked person
 * from every agency's events (docs/model.md is the input vocabulary; docs/indicators.md
 * defines each indicator). Each occurrence of an indicator is a "fact" with the source
 * record behind it; a fact's points are weight * 0.5^(age / half-life); a score is the
 * sum of the points, so every point of a score traces to a source record.
 *
 * The weights, half-lives, caps, bands and age band live in a CSV file that a partnership
 * can read and change without C (data/risk-weights.csv, embedded; --weights FILE).
 */
#ifndef SVP_RISK_H
#define SVP_RISK_H

#include "base/base.h"
#include "store/store.h"

#include <jansson.h>

/* ------------------------------------------------------------------ indicators */

enum risk_indicator {
    RISK_MISSING_EPISODE,
    RISK_MISSING_ESCALATION,
    RISK_MISSING_HIGH_RISK,
    RISK_MISSING_FROM_CARE,
    RISK_MISSING_FOUND_OUT_OF_COUNTY,
    RISK_MISSING_FOUND_WITH_ADULT,
    RISK_MISSING_FOUND_WITH_PEER_AT_RISK,
    RISK_RETURN_INTERVIEW_DISCLOSURE,
    RISK_RETURN_INTERVIEW_DECLINED,
    RISK_EXPLOITATION_SCREENING_HIGH,
    RISK_EXPLOITATION_SCREENING_MEDIUM,
    RISK_EXPLOITATION_SCREENING_LOW,
    RISK_EXPLOITATION_INTELLIGENCE,
    RISK_NRM_REFERRAL,
    RISK_EXPLOITATION_CONCERN,
    RISK_CRIME_EXPLOITATION,
    RISK_DA_HOUSEHOLD,
    RISK_TOXIC_TRIO,
    RISK_SCHOOL_PERSISTENT_ABSENCE,
    RISK_SCHOOL_SEVERE_ABSENCE,
    RISK_EXCLUSION_SUSPENSION,
    RISK_EXCLUSION_PERMANENT,
    RISK_MISSING_EDUCATION,
    RISK_EHE_AFTER_EXCLUSION,
    RISK_ED_INJURY,
    RISK_ED_STAB_WOUND,
    RISK_ED_SELF_HARM,
    RISK_ED_SUBSTANCE,
    RISK_ED_SEXUAL_ASSAULT,
    RISK_SEXUAL_HEALTH,
    RISK_SUBSTANCE_MISUSE,
    RISK_POLICE_VICTIM,
    RISK_POLICE_SUSPECT,
    RISK_DRUG_SUPPLY,
    RISK_WEAPON,
    RISK_STOP_SEARCH_DRUGS,
    RISK_YOUTH_JUSTICE,
    RISK_LOOKED_AFTER,
    RISK_PLACEMENT_MOVE,
    RISK_PLACEMENT_OUT_OF_COUNTY,
    RISK_AGE_BAND,
    RISK_PEER_AT_RISK,
    RISK_ADULT_OF_CONCERN,
    RISK_PERPETRATOR_LINK,
    RISK_ATTENDANCE_DECLINE,
    RISK_MISSING_FOUND_WITH_FAMILY,
    RISK_MISSING_FOUND_WITH_CARER,
    RISK_INTRA_FAMILIAL,
    RISK_SIBLING_AT_RISK,
    RISK_INDICATOR_COUNT
};

/* The indicator's code as in the weights file (e.g. "missing_episode"); static text. */
const char *risk_indicator_name(int indicator);

/* The indicator for a code, or -1 if there is none. Borrows name. */
int risk_indicator_find(const char *name);

/* True for the indicators that need the first-pass scores of other persons (association
 * with young people on the list); they are added in a second pass. */
bool risk_indicator_second_pass(int indicator);

/* True for the exploitation signals (docs/indicators.md, "Care signals"): adults, peers on
 * the list, found out of area, drugs, weapons, injuries, sexual health, disclosures,
 * screenings, intelligence. Care signals (missing from care, placement moves, placed out
 * of county, looked after) count towards the score only beside one of these. */
bool risk_indicator_exploitation(int indicator);

/* ------------------------------------------------------------------ weights */

struct risk_weight {
    double weight;         /* points of one occurrence recorded on the scoring date */
    double half_life_days; /* 0: no decay */
    int cap;               /* at most this many occurrences count (the most recent) */
    char description[160]; /* shown as the reason */
};

struct risk_weights {
    struct risk_weight ind[RISK_INDICATOR_COUNT];
    double band_high;   /* score >= this: band high */
    double band_medium; /* score >= this: band medium; high and medium make the list */
    int age_min;        /* age band [age_min, age_max) in whole years */
    int age_max;
    int lookback_days;  /* facts older than this are ignored */
    int min_events;     /* fewer events in the lookback: no score */
    char name[256];     /* where the weights came from, for output */
};

/* Parses a weights CSV (header indicator,weight,half_life_days,cap,description; lines
 * starting with # are comments). Every indicator must have a row; settings rows
 * (band_high, band_medium, age_min, age_max, lookback_days, min_events) may override the
 * defaults. An unknown indicator, a missing or negative weight, a negative half-life, a
 * bad cap or a missing indicator row is refused (SVP_EINPUT) with err naming name and the
 * line. Borrows data and name; fills *out. */
int risk_weights_parse(const char *data, size_t len, const char *name, struct risk_weights *out,
                       struct svp_err *err) SVP_WUR;

/* Loads the embedded default data/risk-weights.csv, or the file at path when path is not
 * NULL (read whole, capped at 1 MiB). Errors as risk_weights_parse, or SVP_EIO. */
int risk_weights_load(const char *path, struct risk_weights *out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ facts and scoring core */

/* Agencies as bits of a mask (struct risk_person.agencies). */
enum risk_agency {
    RISK_AG_CSC, RISK_AG_ASC, RISK_AG_POLICE, RISK_AG_HEALTH, RISK_AG_EDUCATION,
    RISK_AG_YJS, RISK_AG_RHI, RISK_AG_OTHER, RISK_AG_COUNT
};
/* The agency code ("csc", ...) of a risk_agency; and the risk_agency of a code. */
const char *risk_agency_name(int agency);
int risk_agency_find(const char *code);

/* One occurrence of an indicator for one person, with the source behind it. */
struct risk_fact {
    uint32_t person;   /* index into the panel's persons */
    uint16_t indicator;
    uint8_t agency;    /* enum risk_agency of the source */
    uint8_t share;     /* the fact carries weight/share points (split indicators); >= 1 */
    svp_day day;       /* the date that ages it */
    uint8_t flags;     /* RISK_FACT_CARE: a care or family-context signal (missing from care,
                          placement moves, domestic abuse in the household): counts only
                          beside an exploitation signal */
    int64_t event_id;  /* source event, 0 if none */
    int64_t relationship_id; /* source relationship, 0 if none */
    int64_t record_id; /* the agency record (person as recorded) it came from */
    int64_t other;     /* association indicators: index of the other person + 1, else 0 */
};

enum { RISK_FACT_CARE = 1 };

/* Points of one fact on as_of (0 for a fact dated after as_of or older than the lookback). */
double risk_fact_points(const struct risk_weights *w, const struct risk_fact *f, svp_day as_of);

/* The scoring core. facts must be sorted by person, then day descending (risk_facts_sort).
 * Adds up capped, decayed points per person into scores[0..npersons) (zeroed first),
 * including missing-episode escalation; second-pass facts count only when their other
 * person's first-pass score (first_pass, may be NULL to skip them) reaches band_medium.
 * Borrows everything. */
void risk_score_facts(const struct risk_weights *w, svp_day as_of, const struct risk_fact *facts,
                      size_t nfacts, const double *first_pass, double *scores, size_t npersons);

/* Sorts facts by person, then day descending, then event id. */
void risk_facts_sort(struct risk_fact *facts, size_t n);

/* ------------------------------------------------------------------ classification */

/* What one event means for the indicators: up to 8 indicators it raises (the facts'
 * other fields are the caller's). Pure: used by the loader and by the unit tests.
 * detail may be NULL. Returns how many indicators were written to out. */
struct risk_event_in {
    const char *type, *subtype;
    const char *started_at, *ended_at;
    json_t *detail; /* borrowed; NULL when the event has none */
    bool place_out_of_county;
};
int risk_classify_event(const struct risk_event_in *ev, int out[8]);

/* Think Family: the needs of a household's adults that one event shows, as bits
 * (1u << RISK_NEED_*): domestic abuse (a domestic abuse incident, any role), substance
 * misuse (a substance misuse service), mental ill health (ED for mental health, self-harm or
 * overdose; a CAMHS referral) -- the 'toxic trio' the panel's toxic_trio indicator counts --
 * and offending (a crime as suspect or offender, an arrest, a youth justice intervention,
 * offender management), which the household view (src/household) shows beside them.
 * detail may be NULL. */
enum risk_need { RISK_NEED_DA, RISK_NEED_SUBSTANCE, RISK_NEED_MENTAL, RISK_NEED_OFFENDING,
                 RISK_NEED_COUNT };
unsigned risk_event_needs(const char *type, const char *subtype, json_t *detail);
/* "domestic_abuse", "substance_misuse", "mental_health", "offending"; "unknown". */
const char *risk_need_name(int need);
/* "domestic abuse", "substance misuse", "mental ill health", "offending". */
const char *risk_need_label(int need);

/* Who a child was found with, from found-with codes (a JSON string or list; the codes of
 * ingest's mentions step: older_males, unknown_adult, family, parent, carer, ...): a mask of
 * RISK_WITH_*. Friends and peers give 0 (they weigh only as persons on the list). */
enum { RISK_WITH_ADULT = 1, RISK_WITH_FAMILY = 2, RISK_WITH_CARER = 4 };
int risk_found_with_kind(json_t *codes);

/* True when a found place as written means the child's home or care placement ("HOME_ADDRESS",
 * "placement", ...; case-insensitive). */
bool risk_found_at_home(const char *place);

/* Whether the person a perpetrator link names as harmed is a child on day, from their
 * record: under 18 by the date of birth (an ISO date), else the record's role is "child".
 * Only harm to a child makes its perpetrator an adult of concern. */
bool risk_harmed_is_child(const char *dob, const char *role, svp_day day);

/* A term's attendance in per cent from a school_attendance detail: attendance_pct, else from
 * sessions_possible with sessions_missed or sessions_attended. False when neither is there. */
bool risk_attendance_pct(json_t *detail, double *out);

/* What a term's attendance detail gives, however it was read: attendance_pct, the sessions
 * (each a JSON number when has_ is set) and persistent_absence (a non-zero integer or
 * true). risk_attendance_of is risk_attendance_pct on it; risk_classify_attendance writes
 * the indicators risk_classify_event gives a school_attendance event with that detail. */
struct risk_attendance_in {
    bool has_pct, has_possible, has_missed, has_attended, persistent;
    double pct, possible, missed, attended;
};
bool risk_attendance_of(const struct risk_attendance_in *a, double *out);
int risk_classify_attendance(const struct risk_attendance_in *a, int out[8]);

/* The same from a detail's text without a full parse, when it is a flat JSON object with no
 * key twice (svp_json_flat): true and *a filled; false when the text needs jansson (nested,
 * escapes, a key twice: jansson refuses duplicates, and so the event has no detail). */
bool risk_attendance_flat(const char *text, struct risk_attendance_in *a);

/* Care signals count no more than the exploitation signals beside them: the factor (0..1)
 * their points are multiplied by for one person's facts, the exploitation signals' points
 * over the care signals' (1 when these are no more; second-pass facts count only when the
 * other person is on the list after the first pass). */
double risk_care_factor(const struct risk_weights *w, svp_day as_of, const struct risk_fact *f,
                        size_t n, const double *first_pass);

/* Attendance decline over one child's terms in date order (pct in per cent, day the term's
 * start): out[i] is true when term i is at least 10 points below the mean of up to three
 * terms before it within 400 days, and below 90%. Returns how many are. */
int risk_attendance_declines(const double *pct, const svp_day *day, size_t n, bool *out);

/* The care-quality flag of one person's facts: care signals in the lookback (missing from
 * care, placement moves) that outweigh the exploitation signals beside them (their points
 * were cut); fills the counts. */
void risk_care_summary(const struct risk_weights *w, svp_day as_of, const struct risk_fact *f,
                       size_t n, const double *first_pass, bool *flag, int *missing, int *moves);

/* ------------------------------------------------------------------ the panel */

enum risk_status {
    RISK_SCORED,
    RISK_NO_DOB,      /* no date of birth on any record: age unknown */
    RISK_TOO_LITTLE,  /* fewer than min_events events and relationships in the lookback */
    RISK_ADULT,       /* 18 or over on the scoring date (never listed) */
};
/* "scored", or why not, e.g. "no score: no date of birth on any record". Static text. */
const char *risk_status_text(enum risk_status st);

enum risk_band { RISK_BAND_NONE, RISK_BAND_LOW, RISK_BAND_MEDIUM, RISK_BAND_HIGH };
const char *risk_band_name(enum risk_band b);
/* The band of a score under w. */
enum risk_band risk_band_of(const struct risk_weights *w, double score);

enum risk_change { RISK_CHANGE_NONE, RISK_CHANGE_NEW, RISK_CHANGE_UP, RISK_CHANGE_DOWN,
                   RISK_CHANGE_SAME, RISK_CHANGE_LEFT };
const char *risk_change_name(enum risk_change c);

/* Open plans as bits (struct risk_person.plans). */
enum { RISK_PLAN_CIN = 1, RISK_PLAN_CP = 2, RISK_PLAN_LAC = 4, RISK_PLAN_EARLY_HELP = 8,
       RISK_PLAN_YJ = 16 };
/* Writes the plans as "CP, LAC" (or "-" for none) into buf. */
void risk_plans_format(unsigned plans, char *buf, size_t cap);
/* Writes the agencies as "csc police" (or "-") into buf. */
void risk_agencies_format(unsigned agencies, char *buf, size_t cap);

/* One reason: the points one fact gave, with its source. */
struct risk_reason {
    int indicator;
    double points;
    svp_day day;
    int agency;
    int64_t event_id, relationship_id, record_id;
    int64_t other_person_id; /* association: the other person's id, else 0 */
    const char *agency_record_id; /* the agency's own id of record_id (listed persons; else
                                     NULL); borrowed from the panel */
};

struct risk_person {
    int64_t person_id;
    enum risk_status status;
    bool child;        /* under 18 on the scoring date (or recorded as a child) */
    int age;           /* whole years on the scoring date, -1 unknown */
    svp_day dob;       /* the date of birth the age comes from (0: unknown) */
    bool transition;   /* 18 or over, tracked because opts.age_to reaches their age */
    const char *sex, *ethnicity, *area; /* most recorded value, "U"/"" when none; borrowed */
    double score;      /* 0 unless status is RISK_SCORED */
    enum risk_band band;
    int rank;          /* 1-based place among scored children; 0 when not ranked */
    unsigned plans, agencies;
    int nevents;       /* events and relationships in the lookback */
    enum risk_change change;
    int prev_rank;     /* rank on the last saved panel, 0 if not on it */
    /* reasons, largest points first; filled for listed persons and by risk_person_explain */
    struct risk_reason *reasons;
    size_t nreasons;
    /* care-quality flag: care signals (missing from care, placement moves, placed out of
     * county) outweighing the exploitation signals beside them; their points were cut to
     * those of the exploitation signals */
    bool care_flag;
    int care_missing;  /* missing episodes from care in the lookback */
    int care_moves;    /* placement moves in the lookback */
};

struct risk_panel;

/* A family or household link between two persons, with its evidence: recorded by an agency
 * (parent, sibling, household member relationships) or inferred from records that share a
 * family name and an address over time (ages telling parent from sibling). */
enum risk_relation { RISK_REL_HOUSEHOLD, RISK_REL_PARENT, RISK_REL_CHILD, RISK_REL_SIBLING };
struct risk_family_link {
    uint32_t a, b;        /* person indexes */
    uint8_t relation;     /* enum risk_relation: what b is to a */
    uint8_t recorded;     /* 1: an agency recorded it; 0: inferred */
    uint8_t agency;       /* recorded: the agency */
    float confidence;     /* 0..1 */
    const char *basis;    /* static text: "same family name and address", ... */
};
/* "parent", "child", "sibling", "household member". */
const char *risk_relation_name(int relation);
/* What b is to a from their ages (-1 unknown): 14 or more years older a parent (or carer),
 * 14 or more younger a child, two children (or a child and an adult fewer than 10 years
 * apart) siblings, else a household member. */
int risk_relation_by_age(int age_a, int age_b);
/* The family links of a person (b's are other persons), at most cap into out; returns how
 * many there are. */
size_t risk_panel_family(const struct risk_panel *p, int64_t person_id,
                         const struct risk_family_link **out);
/* True when persons a and b (indexes) are family or household by any link. */
bool risk_panel_is_family(const struct risk_panel *p, uint32_t a, uint32_t b);

struct risk_panel_opts {
    svp_day as_of;            /* the scoring date; events after it are ignored */
    const char *area;         /* list only this area (NULL: all) */
    int top;                  /* list at most this many (0: every child in band medium or above) */
    bool unlinked;            /* treat every record as its own person when link has not run */
    bool no_previous;         /* do not compare with the last saved panel */
    enum risk_band min_band;  /* lowest band listed (0: medium) */
    /* The oldest age tracked (transitional safeguarding): 0 or 17 children only (the
     * children's panel); up to RISK_AGE_TRACK_MAX to keep young adults on the tracker past
     * 18, scored by the same indicators, marked transition (docs/indicators.md). */
    int age_to;
};
enum { RISK_AGE_TRANSITION = 25, RISK_AGE_TRACK_MAX = 30 };
/* An age band as a user names it: NULL or "children" (0), "transition" (25) or the oldest age
 * tracked, 17 to RISK_AGE_TRACK_MAX; *age_to as risk_panel_opts.age_to. SVP_EUSAGE with a
 * message ("must be ...") naming the choices when it is none of these. */
int risk_age_band_parse(const char *band, int *age_to, struct svp_err *err);

struct risk_panel {
    svp_day as_of;
    struct risk_weights weights;
    bool unlinked;                 /* persons are records (link had not run), said in output */
    int age_to;                    /* the oldest age tracked (opts.age_to; 0: children only) */
    struct risk_person *persons;   /* every person, in person id order */
    size_t npersons;
    struct risk_person **list;     /* the panel list: ranked, filtered, topped */
    size_t nlist;
    struct risk_person **left;     /* on the last saved panel, not on this list */
    size_t nleft;
    int64_t previous_snapshot;     /* id of the saved panel compared with, 0 if none */
    char previous_saved_at[32];
    size_t nchildren, nscored, nno_dob, ntoo_little, nlisted_all;
    double load_seconds, score_seconds;
    /* family and household links (inferred and recorded), both directions, sorted by a */
    struct risk_family_link *family;
    size_t nfamily;
    /* private */
    struct risk_fact *facts;
    size_t nfacts;
    double *first_pass;
    struct svp_arena *arena;
};

/* Builds the panel from the store: loads persons, events and relationships, scores every
 * child (two passes), ranks them, fills reasons for the list and compares with the last
 * saved panel. Linking must have run (SVP_ECONFLICT "run 'svp link' first") unless
 * opts->unlinked. Borrows s, w and opts. Returns an owned panel in *out
 * (risk_panel_free). */
int risk_panel_build(struct store *s, const struct risk_weights *w,
                     const struct risk_panel_opts *opts, struct risk_panel **out,
                     struct svp_err *err) SVP_WUR;

void risk_panel_free(struct risk_panel **p);

/* One person's score without building the whole panel: reads only the person's
 * neighbourhood (their records, and those of everyone within two links: relationships,
 * shared police occurrences, "found with" mentions, family inferred from names and
 * addresses), which is everything their score depends on, and scores it as
 * risk_panel_build does: the same score, band, reasons and care flag. Nobody is ranked (rank
 * 0: the rank needs every child; `svp panel` gives it). *out is an owned panel of the
 * neighbourhood (risk_panel_free), *person the person in it (borrowed from *out).
 * SVP_ENOTFOUND when there is no such person; errors otherwise as risk_panel_build. */
int risk_person_score(struct store *s, const struct risk_weights *w,
                      const struct risk_panel_opts *opts, int64_t person_id,
                      struct risk_panel **out, struct risk_person **person,
                      struct svp_err *err) SVP_WUR;

/* The person with this id in the panel, or NULL. Fills its reasons if not yet filled. */
struct risk_person *risk_panel_person(struct risk_panel *p, int64_t person_id);

/* The person with this id in the panel (borrowed from p), or NULL. Unlike
 * risk_panel_person it does not fill reasons, so it is cheap for a walk over many ids. */
struct risk_person *risk_panel_find(const struct risk_panel *p, int64_t person_id);

/* The date of the latest event in the store that is not after today (for scoring an
 * extract as at its end: `--as-of latest`). SVP_ENOTFOUND when there are no events. */
int risk_latest_event_day(struct store *s, svp_day *out, struct svp_err *err) SVP_WUR;

/* Transition to adulthood: the children of the panel whose 18th birthday falls after the
 * scoring date and within months months of it (1-24) and who are on the list (band medium
 * or above) or have a plan open, soonest first, for handover to adult services with their
 * score, band and open plans (docs/indicators.md, "Transition"). Owned
 * array of borrowed persons in *out (svp_free; NULL when none), *n of them. */
int risk_panel_turning18(const struct risk_panel *p, int months, struct risk_person ***out,
                         size_t *n, struct svp_err *err) SVP_WUR;
/* The day person rp turns 18 (0 when the date of birth is unknown). */
svp_day risk_person_day18(const struct risk_person *rp);
/* The JSON form of that list: {"as_of", "months", "people": [{person_id, age, turns_18,
 * score, band, rank, open_plans, agencies, summary}]}; owned, NULL when out of memory. */
json_t *risk_turning18_json(const struct risk_panel *p, int months, struct risk_person **list,
                            size_t n);

/* Saves the panel list (every child in band medium or above, with reasons) as a dated
 * snapshot that later panels compare with. One transaction. Writes the snapshot id. */
int risk_panel_save(struct store *s, struct risk_panel *p, int64_t *snapshot_id,
                    struct svp_err *err) SVP_WUR;

/* The person ids on the latest saved panel list (owned array in *ids, *n of them; none,
 * and *ids NULL, when no panel has been saved). */
int risk_panel_saved_persons(struct store *s, int64_t **ids, size_t *n,
                             struct svp_err *err) SVP_WUR;

/* The JSON form of the panel list (what the web app serves): returns an owned object,
 * or NULL when out of memory. top_reasons: at most this many reasons per person (0: all).
 * Reasons name agency, record and event ids and dates. */
json_t *risk_panel_json(const struct risk_panel *p, int top_reasons);

/* One person of the panel as risk_panel_json lists them (rank, score, band, change, plans,
 * agencies, summary and reasons, at most top_reasons of them, 0: all); fill the reasons
 * first with risk_panel_person. Owned object, NULL when out of memory. */
json_t *risk_person_json(const struct risk_panel *p, const struct risk_person *rp,
                         int top_reasons);

/* The n indicators that gave a person most points, as "missing_episode 8.2; ..." (summed
 * over the person's reasons), or "-" when there are none. */
void risk_reasons_summary(const struct risk_person *rp, int n, char *buf, size_t cap);

/* The indicator in plain words, short, for people ("found with an adult after going
 * missing"); static text, "other reason" for an unknown indicator. CLI and web share it. */
const char *risk_indicator_label(int indicator);

/* For indicators whose reasons name another person (other_person_id), who that is:
 * "adult" or "young person" (static text); NULL for the others. */
const char *risk_indicator_other_kind(int indicator);

/* As risk_reasons_summary, in plain words with whole points: "found with an adult after
 * going missing (48 points); went missing (12 points)", or "no reason recorded". */
void risk_reasons_summary_plain(const struct risk_person *rp, int n, char *buf, size_t cap);

/* ------------------------------------------------------------------ quality */

/* svp panel quality --truth FILE: the tracker against what a partnership knows. */
#define RISK_QUALITY_KINDS 16

/* One child of the truth file (child,kind,first_harm): child is SOURCE:ID (an agency's own
 * id under its source or id space) or a record id; kind exploited[:WHAT] or decoy[:KIND]. */
struct risk_quality_child {
    char ref[128];
    bool exploited;
    int kind;          /* decoys: index into risk_quality.kinds */
    svp_day harm;      /* first day of the month harm began (0 unknown) */
    int64_t person_id; /* filled by risk_quality_run: 0 when not in the data */
    int64_t person_index;
};

struct risk_quality_ranking {
    size_t hits;         /* exploited children in the top K */
    double recall, precision, auprc;
    size_t decoys_top[RISK_QUALITY_KINDS]; /* decoys of each kind in the top K */
    size_t entered;      /* exploited children who entered the top K at a month end */
    int months_median, months_max;
    double months_mean;
};

struct risk_quality {
    svp_day as_of;
    size_t k;
    size_t nexploited, ndecoys, nunknown; /* nunknown: truth children not in the data */
    size_t exploited_adults; /* exploited persons older than the ages tracked on the scoring
                                date (never listed) */
    char kinds[RISK_QUALITY_KINDS][32];
    size_t nkinds, kind_total[RISK_QUALITY_KINDS];
    struct risk_quality_ranking svp, baseline; /* baseline: ranked by missing episodes */
    bool months_done;
};

struct risk_quality_opts {
    svp_day as_of;
    size_t k;    /* 0: twice the number of exploited children */
    bool months; /* also months from harm to the top K (one panel per month end) */
    int age_to;  /* the oldest age tracked, as risk_panel_opts.age_to */
};

/* Parses a truth file (CSV with a header naming child and kind, optionally first_harm as
 * YYYY-MM or YYYY-MM-DD); decoy kinds are added to q->kinds. SVP_EINPUT names the file, line
 * and column. Returns owned *out (svp_free). */
int risk_quality_truth_parse(const char *data, size_t len, const char *name,
                             struct risk_quality *q, struct risk_quality_child **out, size_t *n,
                             struct svp_err *err) SVP_WUR;

/* As risk_quality_truth_parse, reading the file at path (at most 64 MiB; SVP_EIO when it
 * cannot be read). */
int risk_quality_truth_load(const char *path, struct risk_quality *q,
                            struct risk_quality_child **out, size_t *n,
                            struct svp_err *err) SVP_WUR;

/* Resolves the children to persons and measures svp's ranking and the naive baseline's (by
 * missing episodes) as of o->as_of, and with o->months the months from harm to the top K
 * (scored at every month end from the first harm). q was zeroed and filled by the parse. */
int risk_quality_run(struct store *s, const struct risk_weights *w,
                     const struct risk_quality_opts *o, struct risk_quality_child *c, size_t n,
                     struct risk_quality *q, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ chronology */

/* One line of a multi-agency chronology, with its source. Strings borrowed from the
 * chronology's arena. */
struct risk_chrono_entry {
    const char *when, *agency, *type, *subtype, *detail;
    const char *source, *file; /* profile and extract file path */
    int64_t line;
    const char *agency_record_id, *agency_event_id;
    int64_t event_id, record_id;
};

/* One agency record of the person (a person as one agency recorded them). */
struct risk_chrono_record {
    int64_t record_id;
    const char *agency, *source, *agency_record_id, *file;
    int64_t line;
};

struct risk_chronology {
    int64_t person_id;
    struct risk_chrono_record *records;
    size_t nrecords;
    struct risk_chrono_entry *entries;
    size_t n;
    struct svp_arena *arena;
};

/* The person's records, and every event of every record of the person, oldest first, with its source (agency,
 * file, line, agency record id). SVP_ENOTFOUND if the person does not exist (in unlinked
 * mode person ids are record ids). Returns an owned chronology in *out. */
int risk_chronology_load(struct store *s, int64_t person_id, bool unlinked,
                         struct risk_chronology **out, struct svp_err *err) SVP_WUR;
void risk_chronology_free(struct risk_chronology **c);

/* ------------------------------------------------------------------ fairness */

struct risk_fair_row {
    const char *dimension; /* "sex", "ethnicity", "area" */
    const char *group;
    long list_n, pop_n;
    double list_share, pop_share;
    double ratio;          /* list_share / pop_share */
    double p_value;        /* exact two-sided binomial test of list_n against pop_share */
    bool too_few;          /* fewer than 10 children on the list: not tested */
    bool flagged;          /* ratio outside [0.8, 1.25] and p < 0.05 */
};

struct risk_fairness {
    long list_total, pop_total;
    struct risk_fair_row *rows;
    size_t n;
    struct svp_arena *arena;
};

/* Compares the make-up of the panel list (every child in band medium or above, all areas)
 * with every child in the data, by sex, ethnicity group and area (rows in that order, then
 * by group). Returns owned *out. */
int risk_fairness(const struct risk_panel *p, struct risk_fairness **out,
                  struct svp_err *err) SVP_WUR;
void risk_fairness_free(struct risk_fairness **f);

#endif
