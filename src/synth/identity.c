/* Identity as each agency records it: ids, names, dates and the corruptions of a view. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void add_corr(struct view *v, const char *kind, const char *field)
{
    if (v->ncorr < (int)(sizeof v->corr / sizeof v->corr[0]))
        v->corr[v->ncorr++] = (struct corr){kind, field};
}

static const uint64_t agency_id_space_factor[AG_COUNT] = {2, 1, 1, 1, 1, 1, 1};

/* Builds how agency ag records child c: one set of slips per agency, kept on every row. */
void make_view(struct gen *g, struct child *c, int ag)
{
    struct view *v = &c->v[ag];
    if (v->made)
        return;
    memset(v, 0, sizeof *v);
    v->made = true;
    const struct synth_noise *nz = &g->o->noise;
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, (c->idx + 1) * 16 + (uint64_t)ag + 0x1000000000ULL);
    svp_strlcpy(v->fore, c->fore, sizeof v->fore);
    svp_strlcpy(v->sur, c->hh->surname, sizeof v->sur);
    char tmp[64];
    if (synth_noise_strip_accents(v->fore, tmp, sizeof tmp) && synth_rng_chance(&r, nz->accent)) {
        svp_strlcpy(v->fore, tmp, sizeof v->fore);
        add_corr(v, "ACCENT", "forename");
    }
    const char *alt;
    if (synth_rng_chance(&r, nz->nickname) && (alt = synth_names_nickname(g->names, v->fore, &r))) {
        svp_strlcpy(v->fore, alt, sizeof v->fore);
        add_corr(v, "NICKNAME", "forename");
    } else if (synth_rng_chance(&r, nz->variant) &&
               (alt = synth_names_variant(g->names, v->fore, false, &r))) {
        svp_strlcpy(v->fore, alt, sizeof v->fore);
        add_corr(v, "VARIANT", "forename");
    }
    if (synth_rng_chance(&r, nz->variant) &&
        (alt = synth_names_variant(g->names, v->sur, true, &r))) {
        svp_strlcpy(v->sur, alt, sizeof v->sur);
        add_corr(v, "VARIANT", "surname");
    }
    if (c->hh->hyphen && synth_rng_chance(&r, nz->hyphen_part) &&
        synth_noise_hyphen_part(v->sur, &r, tmp, sizeof tmp)) {
        svp_strlcpy(v->sur, tmp, sizeof v->sur);
        add_corr(v, "HYPHEN_PART", "surname");
    }
    if (synth_rng_chance(&r, nz->typo) && synth_noise_typo(v->fore, &r, tmp, sizeof tmp)) {
        svp_strlcpy(v->fore, tmp, sizeof v->fore);
        add_corr(v, "TYPO", "forename");
    }
    if (synth_rng_chance(&r, nz->typo) && synth_noise_typo(v->sur, &r, tmp, sizeof tmp)) {
        svp_strlcpy(v->sur, tmp, sizeof v->sur);
        add_corr(v, "TYPO", "surname");
    }
    if (synth_rng_chance(&r, nz->swap)) {
        svp_strlcpy(tmp, v->fore, sizeof tmp);
        svp_strlcpy(v->fore, v->sur, sizeof v->fore);
        svp_strlcpy(v->sur, tmp, sizeof v->sur);
        add_corr(v, "NAME_SWAP", "forename");
    }
    v->dob = c->dob;
    if (synth_rng_chance(&r, nz->dob_swap) && synth_noise_dob_swap(c->dob, &v->dob))
        add_corr(v, "DOB_SWAP", "dob");
    else if (synth_rng_chance(&r, nz->dob_typo) && synth_noise_dob_typo(c->dob, &r, &v->dob)) {
        /* A slip that gives a birth date after the window would be refused at import;
         * keep the slips that look plausible, as the ones that survive into records do. */
        if (v->dob < g->start)
            add_corr(v, "DOB_TYPO", "dob");
        else
            v->dob = c->dob;
    }
    if ((v->no_dob = synth_rng_chance(&r, nz->missing)))
        add_corr(v, "MISSING", "dob");
    if ((v->no_sex = synth_rng_chance(&r, nz->missing / 2)))
        add_corr(v, "MISSING", "sex");
    if ((v->no_eth = synth_rng_chance(&r, nz->missing * 4)))
        add_corr(v, "MISSING", "ethnicity");
    if ((v->no_pc = synth_rng_chance(&r, nz->missing * 2)))
        add_corr(v, "MISSING", "postcode");
    v->old_address = c->hh->move <= g->end && synth_rng_chance(&r, nz->old_address);
    uint64_t space = agency_id_space_factor[ag] * g->n + 10;
    switch (ag) {
    case AG_CSC:
        make_id(v->id, sizeof v->id, "", c->idx, 7, space);
        break;
    case AG_POLICE:
        police_id(g, v->id, sizeof v->id, c->idx);
        break;
    case AG_RHI:
        make_id(v->id, sizeof v->id, "RHI", c->idx, 6, space);
        break;
    case AG_ED:
        make_id(v->id, sizeof v->id, "RX", c->idx, 7, space);
        break;
    case AG_SH:
        make_id(v->id, sizeof v->id, "SH", c->idx, 6, space);
        break;
    case AG_YJS:
        make_id(v->id, sizeof v->id, "YJ", c->idx, 6, space);
        break;
    default: {
        char digits12[24];
        make_id(digits12, sizeof digits12, "", c->idx, 12, space);
        snprintf(v->id, sizeof v->id, "%c%s", "ABCDEFGHJKLMNPQRTUVWXYZ"[c->idx % 23],
                 digits12 + strlen(digits12) - 12);
        break;
    }
    }
    if ((ag == AG_CSC || ag == AG_POLICE) && synth_rng_chance(&r, nz->duplicate_id)) {
        v->has_dup = true;
        v->dup_from = rand_day(&r, g->start, g->end);
        if (ag == AG_CSC)
            make_id(v->dup_id, sizeof v->dup_id, "", g->n + c->idx, 7, space);
        else
            police_id(g, v->dup_id, sizeof v->dup_id, g->n + c->idx);
    }
}

/* The id agency ag uses for c on day d (a duplicate record takes over from dup_from). */
const char *view_id(struct gen *g, struct child *c, int ag, svp_day d, enum file_id f,
                           const char *recid)
{
    make_view(g, c, ag);
    c->known[ag] = true;
    struct view *v = &c->v[ag];
    if (v->has_dup && d >= v->dup_from) {
        fprintf(g->t_corr, "%s,%s,DUPLICATE_ID,person_id\n", file_specs[f].name, recid);
        return v->dup_id;
    }
    return v->id;
}

const char *sex_code(const struct view *v, char sex, int ag)
{
    bool m = sex == 'M';
    switch (ag) {
    case AG_CSC:
        return v->no_sex ? "U" : m ? "M" : "F";
    case AG_POLICE:
        return v->no_sex ? "X" : m ? "M" : "F";
    case AG_RHI:
        return v->no_sex ? "Not recorded" : m ? "Boy" : "Girl";
    case AG_ED:
        return v->no_sex ? "0" : m ? "1" : "2";
    case AG_SH:
        return v->no_sex ? "Not stated" : m ? "Male" : "Female";
    case AG_EDU:
        return v->no_sex ? "" : m ? "M" : "F";
    default:
        return v->no_sex ? "Not stated" : m ? "Male" : "Female";
    }
}

const char *eth_code(const struct view *v, int eth, int ag)
{
    switch (ag) {
    case AG_CSC:
        return v->no_eth ? (eth % 3 ? "NK" : "RF") : eth_csc[eth];
    case AG_POLICE:
        return v->no_eth ? "IC0" : eth_police[eth];
    case AG_ED:
        return v->no_eth ? (eth % 2 ? "Z" : "99") : eth_nhs[eth];
    case AG_EDU:
        return v->no_eth ? (eth % 3 ? "NOBT" : "REFU") : eth_dfe[eth];
    default:
        return v->no_eth ? "Not known" : eth_yjs[eth];
    }
}

void out_dob(struct out_file *o, const struct view *v, int style)
{
    if (v->no_dob)
        out_str(o, "");
    else if (style == 0)
        out_date_iso(o, v->dob);
    else if (style == 1)
        out_date_dmy(o, v->dob);
    else
        out_date_compact(o, v->dob);
}

/* Home postcode as recorded on day d ("" when the agency left it out). */
const char *rec_pc(const struct gen *g, const struct child *c, const struct view *v,
                          svp_day d)
{
    return v->no_pc ? "" : g->pc[hh_pc(c->hh, d)].code;
}

void write_adult_nominal_as(struct gen *g, uint64_t adult_no, struct synth_rng *r, char sex,
                            const char *surname, svp_day dob, int area, struct hh_adult *who)
{
    char nid[24], pid[16], fore[64], addr[128];
    police_id(g, nid, sizeof nid, 2 * g->n + adult_no);
    adult_pid(pid, sizeof pid, adult_no);
    svp_strlcpy(fore, synth_names_given(g->names, sex, r), sizeof fore);
    int street = (int)synth_rng_below(r, 30), number = (int)synth_rng_range(r, 1, 180);
    addr_text(g, addr, sizeof addr, area, street, number);
    struct out_file *o = &g->files[F_POL_NOMINALS];
    out_str(o, nid);
    out_str(o, surname);
    out_str(o, fore);
    out_date_dmy(o, dob);
    out_str(o, sex == 'M' ? "M" : "F");
    out_str(o, synth_rng_chance(r, 0.85) ? "IC1" : "IC3");
    out_str(o, addr);
    out_str(o, g->pc[addr_pc(area, street, number)].code);
    row_end(g, F_POL_NOMINALS, nid, pid);
    synth_known_offender(g, adult_no, nid, pid, fore, surname, dob, sex,
                         g->pc[addr_pc(area, street, number)].code);
    char dob_s[12];
    svp_date_format(dob, dob_s, sizeof dob_s);
    fprintf(g->t_persons, "%s,ADULT,%s,%s,%s,%c,,,%s,\n", pid, fore, surname, dob_s, sex,
            area_code(g, area));
    if (who) {
        who->no = adult_no;
        svp_strlcpy(who->nid, nid, sizeof who->nid);
        svp_strlcpy(who->pid, pid, sizeof who->pid);
        svp_strlcpy(who->fore, fore, sizeof who->fore);
        svp_strlcpy(who->sur, surname, sizeof who->sur);
        svp_strlcpy(who->postcode, g->pc[addr_pc(area, street, number)].code,
                    sizeof who->postcode);
        who->sex = sex;
        who->dob = dob;
    }
}

void write_adult_nominal(struct gen *g, uint64_t adult_no, struct synth_rng *r, char sex,
                         const char *surname, svp_day dob, int area)
{
    write_adult_nominal_as(g, adult_no, r, sex, surname, dob, area, NULL);
}
