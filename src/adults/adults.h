/* The adults room: adult safeguarding under the Care Act 2014. Concerns and section 42
 * enquiries come in through a profile as events `adult_concern` and `adult_enquiry`
 * (docs/model.md); this room computes the figures of the national Safeguarding Adults
 * Collection (SAC, NHS England) for any period (docs/adults.md gives each definition).
 * The CLI (`svp adults sac`) only prints what adults_sac_compute returns. */
#ifndef SVP_ADULTS_H
#define SVP_ADULTS_H

#include "base/base.h"

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

#endif
