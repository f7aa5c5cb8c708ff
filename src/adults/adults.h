/* The adults room: adult safeguarding under the Care Act 2014. Concerns and section 42
 * enquiries come in through a profile as events `adult_concern` and `adult_enquiry`
 * (docs/model.md); this room computes the figures of the national Safeguarding Adults
 * Collection (SAC, NHS England) for any period (docs/adults.md gives each definition).
 * The CLI (`svp adults sac`) only prints what adults_sac_compute returns. */
#ifndef SVP_ADULTS_H
#define SVP_ADULTS_H

#include "base/base.h"

#include <jansson.h>

struct store;

/* The SAC's categories, in its order. Codes as docs/model.md gives them. */
enum { ADULTS_NTYPES = 11, ADULTS_NLOCATIONS = 6, ADULTS_NSOURCES = 3, ADULTS_NASSESS = 4,
       ADULTS_NRESULTS = 3, ADULTS_NAGES = 6, ADULTS_NSEXES = 3 };
extern const char *const adults_type_codes[ADULTS_NTYPES];
extern const char *const adults_location_codes[ADULTS_NLOCATIONS];
extern const char *const adults_source_codes[ADULTS_NSOURCES];
extern const char *const adults_assess_codes[ADULTS_NASSESS];
extern const char *const adults_result_codes[ADULTS_NRESULTS];
extern const char *const adults_age_bands[ADULTS_NAGES]; /* 18-64 ... 95+, unknown */
extern const char *const adults_sex_codes[ADULTS_NSEXES]; /* F, M, other or unknown */

struct adults_sac {
    svp_day from, to;
    /* SAC table SG1: concerns received in the period, and the adults they were about */
    long concerns, concern_adults;
    /* SG1: enquiries started in the period (section 42 and other), and the adults in s42 */
    long s42_started, other_started, s42_adults;
    /* SG2: adults in s42 enquiries started, by age band (on the enquiry's start) and sex */
    long s42_by_age[ADULTS_NAGES], s42_by_sex[ADULTS_NSEXES];
    /* SG3-SG4: s42 enquiries concluded in the period; by type of risk (an enquiry counts
     * under each type it records), location and source of risk */
    long s42_concluded;
    long by_type[ADULTS_NTYPES], by_location[ADULTS_NLOCATIONS + 1],
        by_source[ADULTS_NSOURCES + 1]; /* the last of location and source: not recorded */
    /* SG5: the risk assessment's outcome, and for risks identified with action taken,
     * the result (removed, reduced, remains) */
    long by_assess[ADULTS_NASSESS + 1], by_result[ADULTS_NRESULTS + 1];
    /* SG6, Making Safeguarding Personal: asked about desired outcomes (yes, no, don't know
     * or not recorded); of those asked, outcomes expressed; of those, fully, partially or
     * not achieved */
    long msp_asked_yes, msp_asked_no, msp_asked_unknown, msp_expressed, msp_fully,
        msp_partially, msp_not;
};

/* Conversion rate: s42 enquiries started per 100 concerns (0 when no concerns). */
double adults_sac_conversion(const struct adults_sac *f);

/* The collection's year: the financial year from 1 April of year to 31 March after. */
int adults_financial_year(int year, svp_day *from, svp_day *to) SVP_WUR;

/* The year (as above) of the last financial year that ended on or before today. */
int adults_last_financial_year(svp_day today);

/* The SAC figures for the days from..to (inclusive) from the store's events. */
int adults_sac_compute(struct store *s, svp_day from, svp_day to, struct adults_sac *out,
                       struct svp_err *err) SVP_WUR;

/* The figures as one JSON object (the CLI's --json, the tests' oracle comparison). */
int adults_sac_json(const struct adults_sac *f, struct svp_buf *out) SVP_WUR;

/* ------------------------------------------------------------------ the adult list */

/* The adult vulnerability list (docs/indicators.md, "Adults"): adults (18 or over on the
 * day) whose homes are taken over for drug dealing and adults exploited alongside children,
 * each with the indicators that put them there. Indicators, in adults_indicators' order: */
enum {
    ADULTS_IND_CUCKOOED_HOME,
    ADULTS_IND_EXPLOITED,
    ADULTS_IND_WITH_CHILDREN,
    ADULTS_IND_YOUNG_AT_CUCKOOED,
    ADULTS_IND_AT_CUCKOOED,
    ADULTS_IND_YOUNG_DRUG_SUPPLY,
    ADULTS_IND_CONCERN,
    ADULTS_IND_MISSING,
    ADULTS_IND_CARE_HISTORY,
    ADULTS_NIND
};
struct adults_indicator {
    const char *code;
    int points;
    const char *text;
};
extern const struct adults_indicator adults_indicators[ADULTS_NIND];

struct adults_list_opts {
    svp_day as_of;     /* events up to this day; ages on it */
    int lookback_days; /* events this recent count (0: 730); care history counts always */
    int min_score;     /* listed from this score (0: 25) */
};

/* One indicator of one adult: its points, how many events gave it and the latest of them. */
struct adults_reason {
    int ind, points;
    long events;
    svp_day day;
    int64_t event_id;
    char agency[16];
    char type[24], subtype[24]; /* the event's: its data category decides who may read it */
};

struct adults_entry {
    int64_t person_id, record_id; /* person_id 0: a record not linked to a person */
    int age, score, rank;
    svp_day last; /* the latest evidence */
    size_t nreasons;
    struct adults_reason reasons[ADULTS_NIND]; /* most points first */
};

/* A place where cuckooing was recorded (the adults' places; the contexts room maps them as
 * the hotspot kind "cuckooing"). */
struct adults_place {
    int64_t place_id;
    char name[96], postcode[16], area[64];
    long events;
    svp_day first, last;
};

struct adults_list {
    svp_day as_of;
    int lookback_days, min_score;
    long adults, scored; /* adults with a date of birth; with any indicator */
    size_t n;
    struct adults_entry *v; /* listed (score >= min_score), highest first */
    size_t nplaces;
    struct adults_place *places; /* most events first */
};

/* Builds the list from the store. Adults with no date of birth cannot be told from children
 * and are left out. Returns an owned list in *out; SVP_EUSAGE (negative options), SVP_EDB,
 * SVP_ENOMEM. */
int adults_list_build(struct store *s, const struct adults_list_opts *o, struct adults_list **out,
                      struct svp_err *err) SVP_WUR;
void adults_list_free(struct adults_list **l);

/* JSON: {as_of, lookback_days, min_score, adults, scored, listed, list: [entry, ...] (at most
 * top, 0: all), cuckooed_places: [...]}; an entry {rank, person_id, record_id, age, score,
 * last, reasons: [{indicator, description, points, events, event_id, date, agency, type,
 * subtype}]}. NULL
 * when out of memory. */
json_t *adults_list_json(const struct adults_list *l, size_t top);
json_t *adults_entry_json(const struct adults_entry *a);

/* ------------------------------------------------------------------ known offenders */

/* A person's place on the known offenders' list on a day (an offender_management event
 * started by then and not ended before it; the latest such). */
struct adults_offender {
    bool listed;
    int64_t event_id;
    char agency[16];          /* the agency that holds the list entry */
    char basis[24];           /* mappa_1, mappa_2, mappa_3, rso, partnership */
    char managing_agency[24]; /* as the list gives it ("" when not) */
    svp_day since;
};
int adults_known_offender(struct store *s, int64_t person_id, svp_day as_of,
                          struct adults_offender *out, struct svp_err *err) SVP_WUR;

#endif
