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
    RISK_INDICATOR_COUNT
};

/* The indicator's code as in the weights file (e.g. "missing_episode"); static text. */
const char *risk_indicator_name(int indicator);

/* The indicator for a code, or -1 if there is none. Borrows name. */
int risk_indicator_find(const char *name);

/* True for the indicators that need the first-pass scores of other persons (association
 * with young people on the list); they are added in a second pass. */
bool risk_indicator_second_pass(int indicator);

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
    int64_t event_id;  /* source event, 0 if none */
    int64_t relationship_id; /* source relationship, 0 if none */
    int64_t record_id; /* the agency record (person as recorded) it came from */
    int64_t other;     /* association indicators: index of the other person + 1, else 0 */
};

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
};

struct risk_panel_opts {
    svp_day as_of;            /* the scoring date; events after it are ignored */
    const char *area;         /* list only this area (NULL: all) */
    int top;                  /* list at most this many (0: every child in band medium or above) */
    bool unlinked;            /* treat every record as its own person when link has not run */
    bool no_previous;         /* do not compare with the last saved panel */
    enum risk_band min_band;  /* lowest band listed (0: medium) */
};

struct risk_panel {
    svp_day as_of;
    struct risk_weights weights;
    bool unlinked;                 /* persons are records (link had not run), said in output */
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

/* The person with this id in the panel, or NULL. Fills its reasons if not yet filled. */
struct risk_person *risk_panel_person(struct risk_panel *p, int64_t person_id);

/* The person with this id in the panel (borrowed from p), or NULL. Unlike
 * risk_panel_person it does not fill reasons, so it is cheap for a walk over many ids. */
struct risk_person *risk_panel_find(const struct risk_panel *p, int64_t person_id);

/* The date of the latest event in the store that is not after today (for scoring an
 * extract as at its end: `--as-of latest`). SVP_ENOTFOUND when there are no events. */
int risk_latest_event_day(struct store *s, svp_day *out, struct svp_err *err) SVP_WUR;

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
