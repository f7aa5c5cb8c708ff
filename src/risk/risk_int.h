/* Private to the risk room: shared between its source files, not part of its door. */
#ifndef SVP_RISK_INT_H
#define SVP_RISK_INT_H

#include "risk.h"

/* Scores one person's facts (sorted by day descending). When reasons is not NULL it must
 * hold 2 * n entries; each point of the returned score is written there as a reason with
 * its source (other_person_id holds the other person's index + 1). */
double risk_score_person(const struct risk_weights *w, svp_day as_of, const struct risk_fact *f,
                         size_t n, const double *first_pass, struct risk_reason *reasons,
                         size_t *nreasons);

#endif
