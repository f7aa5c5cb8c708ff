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

#endif
