/* Person registers and truth: the persons files and truth/persons.csv. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The NHS number children's social care holds for a child: most records have it, not
 * all, and a few have two adjacent digits swapped in the keying. Drawn from a stream of
 * its own, so the rest of the county is the same with or without this column. */
static void csc_nhs_number(struct gen *g, const struct child *c, char *out, size_t cap,
                           bool *keyed_wrong)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, (c->idx + 1) * 16 + AG_CSC + 0x2000000000ULL);
    *keyed_wrong = false;
    nhs_number(c, out, cap);
    if (!out[0] || !synth_rng_chance(&r, 0.8)) {
        out[0] = '\0';
        return;
    }
    if (synth_rng_chance(&r, 0.01)) {
        size_t k = (size_t)synth_rng_below(&r, 9);
        char t = out[k];
        out[k] = out[k + 1];
        out[k + 1] = t;
        *keyed_wrong = out[k] != out[k + 1];
    }
}

void register_rows(struct gen *g, struct child *c, int ag)
{
    if (!c->known[ag])
        return;
    struct view *v = &c->v[ag];
    int a, s, no;
    hh_addr(c->hh, g->end, &a, &s, &no);
    bool stale = v->old_address;
    if (stale)
        hh_addr(c->hh, c->hh->move - 1, &a, &s, &no);
    char addr[128];
    addr_text(g, addr, sizeof addr, a, s, no);
    const char *pc = v->no_pc ? "" : g->pc[addr_pc(a, s, no)].code;
    enum file_id f = ag == AG_CSC ? F_CSC_PERSONS : F_POL_NOMINALS;
    char nhs[16] = "";
    bool nhs_wrong = false;
    if (ag == AG_CSC)
        csc_nhs_number(g, c, nhs, sizeof nhs, &nhs_wrong);
    for (int k = 0; k < (v->has_dup ? 2 : 1); k++) {
        struct out_file *o = &g->files[f];
        const char *id = k ? v->dup_id : v->id;
        out_str(o, id);
        if (ag == AG_CSC) {
            out_str(o, v->fore);
            out_str(o, v->sur);
            out_dob(o, v, 0);
        } else {
            out_str(o, v->sur);
            out_str(o, v->fore);
            out_dob(o, v, 1);
        }
        out_str(o, sex_code(v, c->sex, ag));
        out_str(o, eth_code(v, c->eth, ag));
        out_str(o, v->no_pc ? "" : addr);
        out_str(o, pc);
        if (ag == AG_CSC)
            out_str(o, nhs);
        log_corr(g, f, id, v);
        if (nhs_wrong)
            fprintf(g->t_corr, "%s,%s,TYPO,nhs_number\n", file_specs[f].name, id);
        if (stale)
            fprintf(g->t_corr, "%s,%s,OLD_ADDRESS,address\n", file_specs[f].name, id);
        if (k)
            fprintf(g->t_corr, "%s,%s,DUPLICATE_ID,person_id\n", file_specs[f].name, id);
        row_end(g, f, id, c->pid);
    }
}

void truth_child(struct gen *g, struct child *c, const char *twin_of)
{
    char dob[12];
    svp_date_format(c->dob, dob, sizeof dob);
    fprintf(g->t_persons, "%s,CHILD,%s,%s,%s,%c,%s,H%08llu,%s,%s\n", c->pid, c->fore,
            c->hh->surname, dob, c->sex, eth_dfe[c->eth], (unsigned long long)(c->hh->no + 1),
            area_code(g, c->hh->area), twin_of);
    fprintf(g->t_households, "H%08llu,%s,child\n", (unsigned long long)(c->hh->no + 1), c->pid);
    /* The partnership's view of the truth (svp panel quality --truth): the child by one
     * agency's own id, what the child is, and the month harm began. */
    static const int ags[] = {AG_POLICE, AG_CSC, AG_EDU, AG_ED, AG_SH, AG_RHI, AG_YJS};
    static const char *const spaces[] = {"police", "csc", "education", "health-ed",
                                         "health-sexual", "rhi", "yjs"};
    const char *ref = NULL, *space = NULL;
    for (size_t i = 0; i < sizeof ags / sizeof ags[0] && !ref; i++)
        if (c->known[ags[i]]) {
            ref = c->v[ags[i]].id;
            space = spaces[i];
        }
    if (c->ex != EX_NONE) {
        int y, m, d;
        svp_date_to_ymd(c->harm, &y, &m, &d);
        if (c->school_only)
            fprintf(g->t_exploited, "%s,%s,%04d-%02d,\n", c->pid, ex_names[c->ex], y, m);
        else
            fprintf(g->t_exploited, "%s,%s,%04d-%02d,G%04u\n", c->pid, ex_names[c->ex], y, m,
                    c->group + 1);
        if (ref)
            fprintf(g->t_panel, "%s:%s,exploited%s,%04d-%02d\n", space, ref,
                    c->school_only ? ":school_only" : "", y, m);
        g->stats.exploited++;
    }
    if (c->decoy) {
        fprintf(g->t_decoys, "%s,", c->pid);
        bool first = true;
        for (int i = 0; i < DC_KINDS; i++)
            if (c->decoy & (1u << i)) {
                fprintf(g->t_decoys, "%s%s", first ? "" : ";", decoy_names[i]);
                first = false;
            }
        fputc('\n', g->t_decoys);
        /* one kind per child in the partnership's file: the trap if any, else the signs */
        const char *kind = c->decoy & DC_CARE                            ? "care_missing"
                           : c->decoy & DC_SIBLING                       ? "sibling"
                           : c->decoy & (DC_MISSING | DC_ABSENCE | DC_ED | DC_SUSPENSION |
                                         DC_SUSPECT)                     ? "signs"
                           : c->decoy & DC_DA_ACROSS                     ? "da_across_households"
                                                                         : "domestic_abuse";
        if (ref)
            fprintf(g->t_panel, "%s:%s,decoy:%s,\n", space, ref, kind);
        g->stats.decoys++;
    }
}
