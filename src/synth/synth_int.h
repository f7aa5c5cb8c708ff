/* synth's private parts shared by its files: the row writers. Not part of the room's door
 * (synth.h). */
#ifndef SVP_SYNTH_INT_H
#define SVP_SYNTH_INT_H

#include "synth.h"

enum synth_enc { ENC_UTF8, ENC_BOM, ENC_CP1252 };

/* One output CSV. Fields are appended with out_* and out_line writes the row. */
struct out_file {
    FILE *f;
    const char *name, *profile, *agency;
    enum synth_enc enc;
    bool crlf;
    uint64_t line; /* physical line of the last row written (header = 1) */
    uint64_t rows; /* data rows written */
    uint64_t seq;  /* record id sequence */
    size_t len;
    int nfields;
    char buf[8192];
};

void out_str(struct out_file *o, const char *s); /* NULL or "" is an empty field */
void out_fmt(struct out_file *o, const char *fmt, ...) SVP_PRINTF(2, 3);
void out_u64(struct out_file *o, uint64_t v);
void out_date_iso(struct out_file *o, svp_day d);     /* YYYY-MM-DD */
void out_date_dmy(struct out_file *o, svp_day d);     /* dd/mm/yyyy */
void out_date_compact(struct out_file *o, svp_day d); /* YYYYMMDD */
void out_time_dmy(struct out_file *o, svp_time t);    /* dd/mm/yyyy HH:MM */
void out_time_iso(struct out_file *o, svp_time t);    /* YYYY-MM-DD HH:MM */
void out_time_isot(struct out_file *o, svp_time t);   /* YYYY-MM-DDTHH:MM:SS */
/* Writes the row (converting to the file's encoding and line end); SVP_EIO on failure. */
int out_line(struct out_file *o) SVP_WUR;

/* ------------------------------------------------------------------ domestic abuse (da.c) */

/* The people of a domestic abuse household's story: the victim and the perpetrator who live
 * with the children, the perpetrator's ex-partner (his other victim: a serial perpetrator),
 * and the victim's new partner (her second perpetrator). */
enum synth_da_who { DA_VICTIM, DA_PERP, DA_EX, DA_NEW };

#define SYNTH_DA_MAX 48

struct synth_da_incident {
    svp_time at;
    enum synth_da_who victim, perp;
    int level;     /* the officer's level: 0 standard, 1 medium, 2 high */
    int yes;       /* DASH yes answers of 27 */
    bool kids;     /* at the children's home (children may be present) */
    bool referred; /* police MARAC referral */
    int agency;    /* MARAC referral: -1 none, 0 police, else index in synth_da_agencies */
    bool repeat;   /* the coordinator's repeat flag: a referral of the victim in the year */
    svp_day heard; /* MARAC hearing */
};

struct synth_da_plan {
    int n;
    struct synth_da_incident v[SYNTH_DA_MAX]; /* in time order */
    bool serial, two_perps, escalating;
};

/* Referring agencies of the MARAC list; [0] is the police. */
extern const char *const synth_da_agencies[];
#define SYNTH_DA_NAGENCIES 7

/* Plans one household's domestic abuse over [start, end] (r: the household's stream): the
 * incidents between the victim and perpetrator (Poisson, `rate` a year), and by chance a
 * serial perpetrator (incidents against an ex-partner), a second perpetrator (the victim's
 * new partner after a separation), an escalating run (shrinking gaps, rising DASH yes
 * answers, three or more in twelve months); DASH levels, police referrals (high risk, and
 * the repeat rule: an incident within 12 months of the pair's last referral) and referrals
 * by other agencies. Same stream, same plan. */
void synth_da_plan(struct synth_rng *r, svp_day start, svp_day end, double rate,
                   struct synth_da_plan *out);

#endif
