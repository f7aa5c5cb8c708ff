/* synth's generator state and the helpers its files share (synth.c: geography, households,
 * each agency's events and planted harm; decoys.c: the decoys and traps). Private to the
 * synth room. */
#ifndef SVP_SYNTH_GEN_H
#define SVP_SYNTH_GEN_H

#include "synth_int.h"

#include <stdio.h>

#define MAX_AREAS 999
/* The grid of areas (build_geography): its south-west cell's middle and its step. */
#define GRID_LAT0 52.28
#define GRID_LON0 (-1.62)
#define GRID_DLAT 0.09
#define GRID_DLON 0.115
#define PC_PER_AREA 150
#define NTOWNS 5
#define PC_PER_TOWN 20
#define PLACES_PER_AREA 11 /* 8 public places and 3 schools */
#define MAX_MEMBERS 8
#define MAX_ADULTS 3
#define MAX_EVENTS 160
#define PROFILE_CHILDREN 104000.0
#define NETH 18

/* ------------------------------------------------------------------ profile rates */

/* county-profile.csv figures (per year for a county of 104,000 children unless noted). */
#define P_CONTACTS 14016.0
#define P_REFERRALS 3912.0
#define P_ASSESSMENTS 5515.0
#define P_CP_PLANS 397.0 /* children on a plan at a point in time */
#define P_LAC 443.0      /* children looked after at a point in time */
#define P_MISSING_EPISODES 1360.0
#define P_MISSING_CHILDREN 513.0
#define P_RHI_COMPLETED 441.0
#define P_RHI_DECLINED 229.0
#define P_DA_INCIDENTS 3312.0
#define P_YJS 219.0
#define P_PF 42.0

enum agency { AG_CSC, AG_POLICE, AG_RHI, AG_ED, AG_SH, AG_EDU, AG_YJS, AG_COUNT };
enum ex_type { EX_NONE = -1, EX_CSE, EX_CCE, EX_CL };

/* Decoy signs (one or two of the exploited children's signs) and the traps: a child missing
 * again and again from unstable care, found with family or at the placement; a brother or
 * sister of an exploited child, in the same police occurrences with the same adults; a child
 * of 10 to 17 in a household with domestic abuse (present at incidents, in the police's
 * household lists, with the same adults as the victim and suspect), not exploited. */
enum decoy_ind { DC_MISSING = 1, DC_ABSENCE = 2, DC_ED = 4, DC_SUSPENSION = 8, DC_SUSPECT = 16,
                 DC_CARE = 32, DC_SIBLING = 64, DC_DA = 128, DC_DA_ACROSS = 256 };
#define DC_KINDS 9

enum file_id {
    F_AREAS,
    F_POSTCODES,
    F_PLACES,
    F_CSC_PERSONS,
    F_CSC_CONTACTS,
    F_CSC_REFERRALS,
    F_CSC_ASSESSMENTS,
    F_CSC_CP,
    F_CSC_LAC,
    F_CSC_LAC_EVENTS,
    F_CSC_PF,
    F_POL_NOMINALS,
    F_POL_MISSING,
    F_POL_OCC,
    F_POL_DA,
    F_RHI,
    F_ED,
    F_SH,
    F_EDU_ATT,
    F_EDU_EV,
    F_YJS,
    F_MARAC,
    F_ASC,
    F_POL_KO,
    F_SMS,
    F_CSC_HH,
    F_COUNT
};

struct area {
    char code[16];
    char name[40];
    double lat, lon;
};

struct postcode {
    char code[24];
    double lat, lon;
    int area; /* -1 out of county */
};

struct place {
    char id[12];
    char name[80];
    const char *kind;
    int area; /* -1 out of county */
    uint32_t pc;
    char urn[16];
};

/* ------------------------------------------------------------------ people */

struct group {
    int type, area;
    uint32_t hotspot, route; /* place indexes; route UINT32_MAX when none */
    svp_day start;
    int nmem, nadult, nev;
    uint64_t mem[MAX_MEMBERS];
    uint32_t adult[MAX_ADULTS];
    svp_day ev[MAX_EVENTS];
};

struct plan_entry {
    uint64_t child;
    uint32_t group, slot;
};

struct corr {
    const char *kind, *field;
};

/* A person as one agency records them. */
struct view {
    bool made;
    char fore[64], sur[64];
    svp_day dob;
    bool no_dob, no_sex, no_eth, no_pc, old_address, has_dup;
    svp_day dup_from;
    char id[24], dup_id[24];
    int ncorr;
    struct corr corr[12];
};

struct household {
    uint64_t no, first;
    int nkids;
    int area, street, number;
    int area2, street2, number2;
    svp_day move; /* INT32_MAX when the family does not move */
    char surname[64];
    bool hyphen, da;
    bool da_ex; /* a serial perpetrator's ex-partner lives here with her children */
    uint64_t adult0; /* adult number of the DA victim; suspect is adult0 + 1 */
};

struct child {
    uint64_t idx;
    char pid[16];
    char sex;
    char fore[64];
    svp_day dob;
    int eth;
    struct household *hh;
    int tier;
    int ex; /* enum ex_type */
    uint32_t group, slot;
    svp_day harm;
    unsigned decoy;
    bool school_only;      /* exploited, and only the school's records show it */
    struct child *sib;     /* an exploited child's brother or sister drawn in (DC_SIBLING) */
    bool lac;
    svp_day lac_start, lac_end; /* lac_end INT32_MAX while open */
    bool known[AG_COUNT];
    svp_day last_referral;
    int csc_events; /* contacts etc. generated for exploitation, to cap them */
    uint64_t rows;
    struct view v[AG_COUNT];
    struct synth_rng r;
};

/* A serial domestic abuse perpetrator's incidents against his ex-partner, waiting for the
 * household where she lives with her children (the next household generated that has
 * children, none exploited, and no domestic abuse of its own): da_write.c. */
struct da_ex_pending {
    bool on;
    uint64_t h1;       /* the perpetrator's own household */
    uint64_t ex_adult; /* the ex-partner's adult number */
    char vsex;
    svp_day ex_dob;
    char vnom[24], vpid[16], pnom[24], ppid[16];
    int n;
    struct synth_da_incident v[SYNTH_DA_MAX];
    int nkids;              /* the perpetrator's household's children known to the police, */
    struct child kids[4];   /* copied when that household is done (a handover incident) */
};

/* ------------------------------------------------------------------ generator state */

struct gen {
    const struct synth_opts *o;
    struct synth_names *names;
    struct svp_calendar *cal;
    svp_day start, end; /* inclusive window */
    svp_time extract_time;
    double years;
    uint64_t n;
    double eth_cum[NETH];
    struct area *areas;
    int nareas;
    int grid_cols, grid_rows; /* the areas' grid (build_geography) */
    double grid_dlat;
    struct postcode *pc;
    size_t npc;
    struct place *pl;
    size_t npl;
    uint32_t incident_hotspot[2];
    struct group *groups;
    size_t ngroups;
    uint32_t nadults_concern;
    struct plan_entry *plan;
    size_t nplan, plan_pos;
    struct out_file *files;
    FILE *t_rows, *t_persons, *t_exploited, *t_groups, *t_members, *t_adults, *t_hotspots,
        *t_decoys, *t_corr, *t_da, *t_panel, *t_known, *t_households,
        *t_hh_needs, *t_da_linked;
    struct da_ex_pending da_ex;
    char path[4096];
    uint64_t occ_seq, pf_seq, plan_seq; /* ids shared by several rows */
    int rc;
    struct svp_err *err;
    struct synth_stats stats;
};

struct where {
    const char *name; /* place name, street address or a code such as HOME_ADDRESS */
    uint32_t pc;
};

/* ------------------------------------------------------------------ shared helpers */

static inline svp_time at(svp_day d, int minutes)
{
    return (svp_time)d * 86400 + (svp_time)minutes * 60;
}

static inline svp_day day_of(svp_time t)
{
    return (svp_day)(t / 86400);
}

static inline int year2(svp_day d)
{
    int y, m, dd;
    svp_date_to_ymd(d, &y, &m, &dd);
    return y % 100;
}

static inline svp_day rand_day(struct synth_rng *r, svp_day a, svp_day b)
{
    return b <= a ? a : (svp_day)synth_rng_range(r, a, b);
}

void adult_pid(char *buf, size_t cap, uint64_t adult_no);
/* Police nominal ids: children idx, their duplicates N + idx, adults 2N + adult number. */
void police_id(const struct gen *g, char *buf, size_t cap, uint64_t x);
void row_end(struct gen *g, enum file_id f, const char *recid, const char *pid);
void log_corr(struct gen *g, enum file_id f, const char *recid, const struct view *v);
const char *area_code(const struct gen *g, int a);
uint32_t addr_pc(int area, int street, int number);
void addr_text(const struct gen *g, char *buf, size_t cap, int area, int street, int number);
/* The household's address on day d. */
void hh_addr(const struct household *h, svp_day d, int *area, int *street, int *number);
uint32_t hh_pc(const struct household *h, svp_day d);
void make_view(struct gen *g, struct child *c, int ag);
/* The id agency ag uses for c on day d (a duplicate record takes over from dup_from). */
const char *view_id(struct gen *g, struct child *c, int ag, svp_day d, enum file_id f,
                    const char *recid);
void emit_contact(struct gen *g, struct child *c, svp_time t, int source, int reason,
                  double p_referral, const char *factors);
struct where at_place(const struct gen *g, uint32_t place);
/* One missing episode, its police record and (once returned) its return interview.
 * back == 0: still missing when the extract was taken. */
void emit_missing(struct gen *g, struct child *c, svp_time from, svp_time back,
                  struct where found, bool home, const char *with, bool exploited);
void background_missing(struct gen *g, struct child *c, svp_day d);
/* A crime or incident involving c; co is an adult of concern's number (or UINT64_MAX) who
 * is a co-suspect (or the suspect when c is the victim). */
void emit_occurrence(struct gen *g, struct child *c, svp_time t, const char *role,
                     const char *cat, struct where w, uint64_t co, double p_yjs);
/* As emit_occurrence, with also (when not NULL) in the same occurrence in also_role. */
void emit_occurrence_with(struct gen *g, struct child *c, svp_time t, const char *role,
                          const char *cat, struct where w, uint64_t co, double p_yjs,
                          struct child *also, const char *also_role);
void emit_ed(struct gen *g, struct child *c, svp_time t, const char *reason,
             const char *accompanied);
void write_adult_nominal(struct gen *g, uint64_t adult_no, struct synth_rng *r, char sex,
                         const char *surname, svp_day dob, int area);
/* One adult of a household as the police nominal record holds them (hh_needs.c). */
struct hh_adult {
    uint64_t no;
    char nid[24], pid[16], fore[64], sur[64], postcode[16];
    char sex;
    svp_day dob;
};
/* As write_adult_nominal, filling *who (NULL: not wanted) with what the record says. */
void write_adult_nominal_as(struct gen *g, uint64_t adult_no, struct synth_rng *r, char sex,
                            const char *surname, svp_day dob, int area, struct hh_adult *who);
/* hh_needs.c: the needs of a household's adults (mental ill health, substance misuse,
 * offending) as an emergency department, the adult substance misuse service and the police
 * record them, with truth/household_needs.csv; a random stream of its own. */
void synth_household_needs(struct gen *g, const struct household *h,
                           const struct hh_adult *adults, int n);

/* ------------------------------------------------------------------ decoys (decoys.c) */

/* The decoy signs of c (c->decoy): a few of the exploited children's signs, and the traps
 * a tracker must not take for exploitation. */
void gen_decoy(struct gen *g, struct child *c);
/* asc.c: adult social care's safeguarding concerns and enquiries (after the households) */
void synth_asc(struct gen *g);
/* asc.c: one concern (and its enquiry) about an adult; primary and location NULL: drawn */
void synth_asc_concern(struct gen *g, struct synth_rng *r, const char *asc_id, const char *pid,
                       const char *fore, const char *sur, svp_day dob, char sex,
                       const char *postcode, svp_day day, const char *primary,
                       const char *location);
/* adults_ex.c: cuckooed addresses, exploited young adults and young adults with histories,
 * with truth/cuckooed.csv and truth/young_adults.csv (after the known offenders) */
void synth_adults_exploited(struct gen *g);
/* asc.c: the police's known offenders list; write_adult_nominal calls the first for every
 * adult it writes, the second adds listed adults who meet no child (after the households) */
void synth_known_offender(struct gen *g, uint64_t adult_no, const char *nid, const char *pid,
                          const char *fore, const char *surname, svp_day dob, char sex,
                          const char *postcode);
void synth_known_unconnected(struct gen *g);
/* nightlife.c: the night-time-economy hotspot (adults only, Friday and Saturday nights) and
 * its NIGHT row of truth/hotspots.csv; after everything else */
void synth_night_economy(struct gen *g);
/* Chooses the traps of a household (care-missing decoys, siblings drawn in, children whose
 * only sign is at school) from streams of their own, so the rest of the county is as it
 * would be without them. Call after the children are made and plan_lac has run. */
void choose_traps(struct gen *g, struct household *h, struct child *kids, int nk);
/* The decoy kind's name in truth/decoys.csv (bit i of enum decoy_ind). */
extern const char *const decoy_names[DC_KINDS];

/* Each extract's file name, profile, agency, encoding, line ends and header (synth.c). */
struct file_spec {
    const char *name, *profile, *agency;
    enum synth_enc enc;
    bool crlf;
    const char *header;
};
extern const struct file_spec file_specs[F_COUNT];

/* ------------------------------------------------------------------ between the generator's files
 * (synth.c and the files split from it by what they make: geography.c, groups.c,
 * identity.c, csc.c, police.c, health.c, education.c, da_write.c, lives.c, registers.c,
 * households.c) */

struct hh_state {
    struct household h;
    struct child kids[6];
};

int build_geography(struct gen *g);
int write_boundaries(struct gen *g);
int write_geography(struct gen *g);
svp_day member_harm(const struct gen *g, uint32_t gi, uint32_t slot);
bool joins(const struct gen *g, uint32_t gi, int e, uint32_t slot);
bool adult_joins(const struct gen *g, uint32_t gi, int e, int a);
int plan_groups(struct gen *g);
const char *sex_code(const struct view *v, char sex, int ag);
const char *eth_code(const struct view *v, int eth, int ag);
void out_dob(struct out_file *o, const struct view *v, int style);
const char *rec_pc(const struct gen *g, const struct child *c, const struct view *v,
                          svp_day d);
void gen_cp_plan(struct gen *g, struct child *c);
void plan_lac(struct gen *g, struct child *c);
void emit_lac(struct gen *g, struct child *c);
void gen_private_fostering(struct gen *g, struct child *c);
void nhs_number(const struct child *c, char *out, size_t cap);
void emit_sh(struct gen *g, struct child *c, svp_day d, bool concern);
void gen_education(struct gen *g, struct child *c);
/* Contact phones (contacts.c): a school's priority-one contact for c on day d, an emergency
 * department's next of kin, an adult's next of kin; row makes each row's slips its own.
 * Empty when the record has none. */
void contact_phone_school(const struct gen *g, const struct child *c, svp_day d, uint64_t row,
                          char *out, size_t cap);
void contact_phone_ed(const struct gen *g, const struct child *c, svp_day d, uint64_t row,
                      char *out, size_t cap);
void contact_phone_adult(const struct gen *g, uint64_t adult_no, uint64_t row, char *out,
                         size_t cap);
void gen_domestic_abuse(struct gen *g, struct household *h, struct child *kids,
                               struct synth_rng *r);
/* da_write.c: the household where a serial perpetrator's ex-partner lives takes his pending
 * incidents against her (true when it did: h->da_ex set); after a household is done, the
 * perpetrator's children are kept for them; at the end, incidents still pending are written
 * at a home with no children. */
bool gen_da_ex_household(struct gen *g, struct household *h, struct child *kids, int nk);
void gen_da_ex_keep_kids(struct gen *g, const struct household *h, const struct child *kids,
                         int nk);
void gen_da_ex_flush(struct gen *g);
void gen_exploited(struct gen *g, struct child *c);
int age_years(svp_day dob, svp_day d);
void gen_background(struct gen *g, struct child *c);
void register_rows(struct gen *g, struct child *c, int ag);
void truth_child(struct gen *g, struct child *c, const char *twin_of);
void gen_household(struct gen *g, struct hh_state *st, uint64_t hno, uint64_t first, int nk);
extern const char *const ex_names[];
extern const char *const eth_dfe[NETH];
extern const char *const eth_csc[NETH];
extern const char *const eth_police[NETH];
extern const char *const eth_nhs[NETH];
extern const char *const eth_yjs[NETH];
extern const char *const area_names[18];
extern const char *const town_names[NTOWNS];
extern const char *const town_districts[NTOWNS];
extern const char *const street_base[30];
extern const char *const street_suffix[10];
extern const char *const place_kinds[PLACES_PER_AREA];
extern const char *const place_fmt[PLACES_PER_AREA];
extern const char pc_letters[];
extern const char *const area_prefix[18];
extern const char *const area_suffix[9];
svp_day wd_add(const struct gen *g, svp_day d, int n);
double miles_between(double lat1, double lon1, double lat2, double lon2);
void make_id(char *buf, size_t cap, const char *prefix, uint64_t x, int min_digits,
                    uint64_t space);
void seq_id(char *buf, size_t cap, struct out_file *o, const char *prefix, int digits);
/* One row of the police occurrences extract: its id the next of the file's sequence
 * (INVnnnnnnnnn) when id is NULL; pc the postcode index of the place; arrest 0 for none. */
void synth_occ_row(struct gen *g, const char *id, const char *ref, const char *nominal,
                   const char *pid, const char *role, const char *type, const char *cat,
                   svp_time t, const char *place, uint32_t pc, svp_time arrest,
                   const char *outcome);
FILE *open_out(struct gen *g, const char *rel);

#endif
