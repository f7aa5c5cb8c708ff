/* Health: emergency department attendances and sexual health visits. Split from synth.c. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The child's NHS number: synthetic ones start with 9 and pass the modulus 11 check.
 * Empty when the check digit would be 10 (no such number is issued). */
void nhs_number(const struct child *c, char *out, size_t cap)
{
    uint64_t body = 900000000u + synth_scramble(c->idx, 100000000u);
    int dig[9];
    uint64_t b = body;
    for (int i = 8; i >= 0; i--) {
        dig[i] = (int)(b % 10);
        b /= 10;
    }
    int check = synth_nhs_check_digit(dig);
    if (check >= 0)
        snprintf(out, cap, "%09llu%c", (unsigned long long)body, (char)('0' + check));
    else if (cap)
        out[0] = '\0';
}

void emit_ed(struct gen *g, struct child *c, svp_time t, const char *reason,
                    const char *accompanied)
{
    svp_day d = day_of(t);
    if (d > g->end || d < g->start || d < c->dob)
        return;
    struct out_file *o = &g->files[F_ED];
    char id[24], name[140], nhs[32] = "";
    seq_id(id, sizeof id, o, "ED", 9);
    make_view(g, c, AG_ED);
    const struct view *v = &c->v[AG_ED];
    out_str(o, id);
    out_str(o, view_id(g, c, AG_ED, d, F_ED, id));
    nhs_number(c, nhs, sizeof nhs); /* a few attendances are recorded without it */
    if (nhs[0] && synth_rng_chance(&c->r, 0.08))
        nhs[0] = '\0';
    out_str(o, nhs);
    char upper[64];
    size_t k = 0;
    for (; v->sur[k] && k + 1 < sizeof upper; k++)
        upper[k] = (v->sur[k] >= 'a' && v->sur[k] <= 'z') ? (char)(v->sur[k] - 32) : v->sur[k];
    upper[k] = '\0';
    snprintf(name, sizeof name, "%s, %s", upper, v->fore);
    out_str(o, name);
    out_dob(o, v, 2);
    out_str(o, sex_code(v, c->sex, AG_ED));
    out_str(o, eth_code(v, c->eth, AG_ED));
    out_str(o, rec_pc(g, c, v, d));
    out_time_isot(o, t);
    out_str(o, reason);
    bool serious = strcmp(reason, "ILLNESS") && strcmp(reason, "INJURY_ACCIDENT");
    out_str(o, serious && synth_rng_chance(&c->r, 0.5) ? "AMBULANCE"
               : !strcmp(accompanied, "POLICE")        ? "POLICE"
                                                       : "WALK_IN");
    out_str(o, accompanied);
    out_str(o, serious && synth_rng_chance(&c->r, 0.5) ? "Y" : "N");
    char phone[32];
    contact_phone_ed(g, c, d, o->seq, phone, sizeof phone);
    out_str(o, phone);
    log_corr(g, F_ED, id, v);
    row_end(g, F_ED, id, c->pid);
}

void emit_sh(struct gen *g, struct child *c, svp_day d, bool concern)
{
    if (d > g->end || d < g->start)
        return;
    struct out_file *o = &g->files[F_SH];
    char id[24];
    seq_id(id, sizeof id, o, "SHV", 8);
    make_view(g, c, AG_SH);
    const struct view *v = &c->v[AG_SH];
    out_str(o, id);
    out_str(o, view_id(g, c, AG_SH, d, F_SH, id));
    out_str(o, v->fore);
    out_str(o, v->sur);
    out_dob(o, v, 0);
    out_str(o, sex_code(v, c->sex, AG_SH));
    char district[8] = "";
    if (!v->no_pc) {
        const char *pc = g->pc[hh_pc(c->hh, d)].code;
        size_t n = (size_t)(strchr(pc, ' ') - pc);
        memcpy(district, pc, n);
        district[n] = '\0';
    }
    out_str(o, district);
    out_date_iso(o, d);
    static const char *const svc[] = {"STI_TEST", "CONTRACEPTION", "EMERGENCY_CONTRACEPTION",
                                      "PREGNANCY_TEST", "ADVICE"};
    out_str(o, svc[synth_rng_below(&c->r, 5)]);
    out_str(o, concern ? "Y" : "N");
    log_corr(g, F_SH, id, v);
    row_end(g, F_SH, id, c->pid);
}
