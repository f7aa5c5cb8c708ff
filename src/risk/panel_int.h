/* Private to the panel's files (panel.c and the loader split from it: panel_persons.c,
 * panel_events.c, panel_links.c; panel_text.c): the loader's state and the helpers they
 * share. */
#ifndef SVP_RISK_PANEL_INT_H
#define SVP_RISK_PANEL_INT_H

#include "risk.h"
#include "risk_int.h"

#include <jansson.h>

/* Household factors of the 'toxic trio' (domestic abuse, parental substance misuse, mental
 * ill health): the partnership's practice fora worked on it (WSCB annual report 2016-17). */
enum { TRIO_DA = RISK_NEED_DA, TRIO_SUBSTANCE = RISK_NEED_SUBSTANCE,
       TRIO_MENTAL = RISK_NEED_MENTAL, TRIO_N = 3 };

struct trio_fact {
    svp_day day; /* most recent, 0 none */
    int64_t event_id, record_id;
    uint8_t agency;
};

/* What the loader knows about a person beyond the public struct. */
struct pinfo {
    svp_day dob;   /* 0 unknown (1970-01-01 taken as unknown is harmless for children) */
    bool has_dob;
    bool role_child, role_adult;
    int64_t dob_record;
    svp_day concern_day;       /* adult of concern since (0: not of concern) */
    struct trio_fact trio[TRIO_N];
    int64_t first_placement_event;
    svp_day first_placement_day;
    svp_day last_exclusion;    /* for elective home education after exclusion */
    bool in_care;              /* a looked_after or placement event by the scoring date */
};

struct loader {
    struct store *s;
    const struct risk_weights *w;
    svp_day as_of;
    bool unlinked;
    struct risk_panel *p;
    struct pinfo *info;
    const uint8_t *scope; /* record id -> 1 when in one person's neighbourhood (NULL: all;
                             risk_person_score) */
    int64_t scope_max;    /* the largest record id scope covers */
    uint32_t *rec_person; /* record id -> person index + 1 (0: none) */
    int64_t max_record;
    /* what the relationships read of a record and an event, kept as they are read
     * (panel_links.c asks the store only for the others): a record's date of birth and
     * role (REC_*), an event's day and type (EV_*) */
    uint8_t *rec_flags;
    svp_day *rec_dob;
    uint8_t *ev_flags;
    svp_day *ev_day;
    int64_t max_event;
    struct risk_fact *facts;
    size_t nfacts, capfacts;
    /* days of dates read, by their text (panel_day_cached): a county's events fall on a
     * few thousand days */
    struct {
        uint64_t lo;
        uint16_t hi;
        bool used, ok;
        svp_day day;
    } days[1024];
    /* interned short strings (sex, ethnicity, area codes) */
    const char *interned[1024]; /* open addressing by the text's hash, at most half full */
    size_t ninterned;
    /* family inference: records' family name with address, the name's sound with address,
     * and the name with postcode */
    struct risk_famrec *fam_addr, *fam_pc, *fam_sound;
    size_t nfam_addr, nfam_pc, capfam_addr, capfam_pc, nfam_sound, capfam_sound;
    struct risk_famname *fam_names; /* family names under postcodes */
    size_t nfam_names, capfam_names;
    struct risk_famphone *fam_phone; /* contact phones with family names */
    size_t nfam_phone, capfam_phone;
    /* records' addresses with postcode, for placements (panel_links.c) */
    struct risk_famrec *homes;
    size_t nhomes, caphomes;
    struct risk_family_link *links;
    size_t nlinks, caplinks;
    /* police occurrences (one row per person involved), for co-involvement */
    struct occ_row *occ;
    size_t nocc, capocc;
    /* school attendance per term, for the decline */
    struct att_row *att;
    size_t natt, capatt;
};

enum { REC_READ = 1, REC_DOB = 2, REC_CHILD = 4 };
enum { EV_READ = 1, EV_DAY = 2, EV_DA = 4 };

struct occ_row {
    uint64_t ref;  /* hash of the occurrence reference */
    uint32_t person;
    uint8_t role;  /* OCC_OTHER (witness, other), OCC_VICTIM, OCC_SUSPECT */
    uint8_t agency;
    svp_day day;
    int64_t event_id, record_id;
};

enum { OCC_OTHER, OCC_VICTIM, OCC_SUSPECT };

struct att_row {
    uint32_t person;
    uint8_t agency;
    svp_day day;
    double pct;
    int64_t event_id, record_id;
};

/* The most common non-empty value among up to 16 candidates (first one wins ties). */
struct vote {
    const char *v[16];
    int n[16];
    int k;
};

int panel_load_persons(struct loader *L, struct svp_err *err);
int panel_load_events(struct loader *L, struct svp_err *err);
int panel_load_relationships(struct loader *L, struct svp_err *err);
int panel_add_famrec(struct risk_famrec **arr, size_t *n, size_t *cap, uint64_t key,
                      uint32_t person);
const char *panel_intern(struct loader *L, const char *s);
int panel_add_fact(struct loader *L, uint32_t person, int ind, svp_day day, int agency,
                    int64_t event_id, int64_t rel_id, int64_t record_id, int64_t other, int share);
bool panel_day_of(const char *s, svp_day *out);
/* panel_day_of, its answers kept by the date's text (L->days). */
bool panel_day_cached(struct loader *L, const char *s, svp_day *out);
int64_t panel_person_of(const struct loader *L, int64_t record_id);
void panel_vote_add(struct vote *vt, const char *s);
void panel_vote_settle(struct risk_person *rp, const struct vote *sex, const struct vote *eth,
                        const struct vote *area);

#endif
