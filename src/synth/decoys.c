/* The decoys and traps of the synthetic county: children with some of the signs of the
 * exploited and none of the harm, written with their truth (truth/decoys.csv). */
#include "gen.h"

void gen_decoy(struct gen *g, struct child *c)
{
    svp_day from = g->start + (g->end - g->start) / 4;
    if (c->decoy & DC_MISSING) {
        int n = 1 + (int)synth_rng_below(&c->r, 2);
        for (int i = 0; i < n; i++)
            background_missing(g, c, rand_day(&c->r, from, g->end));
    }
    if (c->decoy & DC_ED)
        emit_ed(g, c, at(rand_day(&c->r, from, g->end), (int)synth_rng_range(&c->r, 600, 1300)),
                synth_rng_chance(&c->r, 0.7) ? "INJURY_ACCIDENT" : "INJURY_ASSAULT", "PARENT");
    if (c->decoy & DC_SUSPECT) {
        svp_day d = rand_day(&c->r, from, g->end);
        emit_occurrence(g, c, at(d, 1000), "SUSPECT",
                        synth_rng_chance(&c->r, 0.5) ? "THEFT" : "ANTISOCIAL",
                        at_place(g, (uint32_t)(c->hh->area * PLACES_PER_AREA + 2)), UINT64_MAX, 0);
    }
}
