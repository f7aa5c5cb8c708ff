/* Scores from the risk room: who is "at risk" in the networks is who the Vulnerability
 * Tracker puts in band medium or above (docs/indicators.md), one number everywhere. */
#include "context_int.h"

#include "risk/risk.h"

#include <stdlib.h>
#include <string.h>

int context_scores_attach(struct context_data *d, struct store *s, svp_day as_of,
                          struct svp_err *err)
{
    if (as_of == 0) { /* as on the latest event loaded, or today if that is later */
        as_of = svp_date_today();
        if (d->nevents && d->events[d->nevents - 1].day < as_of)
            as_of = d->events[d->nevents - 1].day;
    }
    struct risk_weights w;
    int rc = risk_weights_load(NULL, &w, err);
    if (rc)
        return rc;
    struct risk_panel_opts o = {.as_of = as_of, .no_previous = true};
    struct risk_panel *p = NULL;
    rc = risk_panel_build(s, &w, &o, &p, err);
    if (rc == SVP_ECONFLICT) { /* link has not run: the panel scores records */
        o.unlinked = true;
        rc = risk_panel_build(s, &w, &o, &p, err);
    }
    if (rc)
        return rc;
    size_t scored = 0;
    for (size_t i = 0; i < d->nnodes; i++) {
        struct ctx_node *n = &d->nodes[i];
        int64_t key = p->unlinked ? n->record_id : n->person_id;
        struct risk_person *rp = key ? risk_panel_find(p, key) : NULL;
        if (!rp || rp->status != RISK_SCORED || !rp->child)
            continue;
        n->scored = true;
        n->score = rp->score;
        n->rank = rp->rank;
        n->band = risk_band_name(rp->band);
        n->at_risk = rp->band >= RISK_BAND_MEDIUM;
        scored++;
    }
    d->scores = true;
    snprintf(d->scores_note, sizeof d->scores_note,
             "%zu children scored by the Vulnerability Tracker as on that day%s; 'at risk' is "
             "band medium or above",
             scored, p->unlinked ? " (records, not yet linked)" : "");
    risk_panel_free(&p);
    return 0;
}

void ctx_node_risk_text(const struct ctx_node *n, char *buf, size_t cap)
{
    if (n->scored && n->rank)
        snprintf(buf, cap, ", score %.1f (%s, rank %d)%s", n->score, n->band, n->rank,
                 n->at_risk ? ", at risk" : "");
    else if (n->scored)
        snprintf(buf, cap, ", score %.1f (%s)%s", n->score, n->band, n->at_risk ? ", at risk" : "");
    else
        snprintf(buf, cap, "%s", n->at_risk ? ", at risk" : "");
}

void ctx_scores_note(const struct context_data *d, FILE *f)
{
    if (d->scores)
        fprintf(f,
                "\nscores: %s; a child it could not score is at risk by recorded "
                "exploitation indicators.\n",
                d->scores_note);
    else
        fputs("\nscores: not taken from the Vulnerability Tracker here; 'at risk' marks "
              "children with recorded exploitation indicators (missing episodes, exploitation "
              "flags, intelligence, screenings, NRM referrals, disclosures).\n",
              f);
}
