/* Private to the contexts room: the in-memory snapshot shared by its files. */
#ifndef SVP_CONTEXT_INT_H
#define SVP_CONTEXT_INT_H

#include "context/context.h"

/* Event types the room reads (docs/model.md); everything else is CTX_T_OTHER. */
enum ctx_type {
    CTX_T_OTHER,
    CTX_T_MISSING,   /* missing_episode */
    CTX_T_CRIME,     /* crime */
    CTX_T_INTEL,     /* intelligence */
    CTX_T_STOP,      /* stop_search */
    CTX_T_ARREST,    /* arrest */
    CTX_T_SCREENING, /* exploitation_screening */
    CTX_T_NRM,       /* nrm_referral */
    CTX_T_RHI,       /* return_interview */
    CTX_T_INCIDENT,  /* incident (a police occurrence that is not a crime) */
    CTX_T_DA,        /* da_incident (domestic abuse: victim, suspect, children present) */
};

/* The event types the snapshot loads (docs/model.md): missing episodes, police events and
 * the exploitation indicators. School attendance and the like are most of a county's events
 * and say nothing about places or peer groups. */
#define CTX_LOADED_TYPES                                                                           \
    "missing_episode, return_interview, crime, incident, arrest, stop_search, intelligence, "      \
    "exploitation_screening, nrm_referral, da_incident"
#define CTX_LOADED_TYPES_SQL                                                                       \
    "'missing_episode', 'return_interview', 'crime', 'incident', 'arrest', 'stop_search', "        \
    "'intelligence', 'exploitation_screening', 'nrm_referral', 'da_incident'"

/* Police incident types: what "incident" selects and what "same incident" pairs. */
#define CTX_IS_POLICE(t)                                                                           \
    ((t) == CTX_T_CRIME || (t) == CTX_T_INTEL || (t) == CTX_T_STOP || (t) == CTX_T_ARREST ||       \
     (t) == CTX_T_INCIDENT)

struct ctx_place {
    int64_t id; /* 0 for a found place known only from an episode's text */
    char *name, *postcode, *area;
    double lat, lon, x, y; /* x, y: metres east and north of the snapshot's origin */
    enum context_place_status status;
    const char *why; /* for OUTSIDE and NO_LOCATION */
};

struct ctx_node {
    int64_t person_id; /* 0 when the record is not linked to a person */
    int64_t record_id; /* the node's first record */
    char role;         /* 'c' child, 'a' adult, 'u' unknown */
    bool at_risk;
    const char *name; /* borrowed from the first record with a name; may be NULL */
    const char *area; /* home area, may be NULL */
    bool has_dob;     /* dob: the first recorded date of birth */
    svp_day dob;
    bool scored; /* the risk room scored this child (context_scores_attach) */
    double score;
    int rank;         /* on the panel, 0 when not ranked */
    const char *band; /* static text from risk_band_name */
};

struct ctx_record {
    int64_t id;
    int node;
    char role;
    char *given, *family, *addr_key, *area;
    int home; /* place of the home postcode, -1 when unknown */
    bool has_dob;
    svp_day dob;
};

struct ctx_event {
    int64_t id;
    int record, node;
    enum ctx_type type;
    char *type_name, *subtype;
    svp_time t;
    svp_day day;
    /* index into places, -1 when none. A missing episode's place is where the child went
     * missing from: docs/model.md records only where they were found, so this is the
     * child's home postcode (missing from home is the common case). */
    int place;
    int found_place; /* missing_episode: where found (the event's place), -1 if unknown */
    bool found_out_of_county;
    bool found_at_home; /* missing_episode: found where the child lives (the recorded found
                           place says home or care placement, or is the child's home):
                           never a county-lines route */
    svp_time found_t;           /* returned_at, or t when not recorded */
    const char *occurrence_ref; /* police: the occurrence shared by everyone involved */
    bool da;        /* domestic abuse: a da_incident, or a police event whose offence or
                       category says domestic */
    bool offending; /* a suspect or offender in a crime, or an arrest */
    bool exploit; /* exploitation-related: a police event flagged cse, cce, county lines or
                     gang, an NRM referral, a medium or high screening, a return interview
                     disclosing exploitation, a missing episode found with an adult who is
                     not family (the hotspot kind "exploitation") */
    bool has_time; /* started_at carries a time of day, not a date alone */
    bool cuckoo;  /* an adult's home taken over for drug dealing: a police event flagged
                     cuckooing, or intelligence of subtype cuckooing (the hotspot kind
                     "cuckooing", of adults; not "exploitation" or "general") */
};

struct ctx_rel {
    int64_t id, event_id;
    svp_day day; /* the day of the event it was recorded with, 0 when none */
    bool da;     /* recorded with a domestic abuse incident (da_incident) */
    char *kind;
    int a, b; /* record indices */
};

struct context_data {
    struct svp_arena *arena;
    struct ctx_place *places;
    size_t nplaces, nplaces_db;
    struct ctx_record *records;
    size_t nrecords;
    struct ctx_node *nodes;
    size_t nnodes;
    struct ctx_event *events;
    size_t nevents;
    struct ctx_rel *rels;
    size_t nrels;
    struct {
        char pc[10];
        double lat, lon;
        char *area;
        bool in_county; /* false: a postcode outside the county (area OUT) */
    } * postcodes;
    size_t npostcodes;
    double lat0, lon0;
    struct context_place_report rep;
    bool scores; /* context_scores_attach has run */
    bool extent_from_homes; /* no lookup: the extent is the homes' box (ctx_extent_from_homes) */
    char scores_note[160];
};

/* The event type of a type name (CTX_T_OTHER for one the room does not read). */
enum ctx_type ctx_type_of(const char *t);

/* Index of the canonical form of the postcode raw in the lookup, or -1. */
long ctx_postcode_find(const struct context_data *d, const char *raw);

/* Places each place by its coordinates or postcode and decides whether it is in the county
 * (places.c; context_load calls it once places and postcodes are loaded). */
void ctx_normalise_places(struct context_data *d);

/* Without a postcode lookup, the county's extent is the box around the recorded homes (with
 * a 2 km margin): located places beyond it are outside the county, never part of a grid.
 * Needs three or more homes with coordinates; context_load calls it once records are in. */
void ctx_extent_from_homes(struct context_data *d);

/* Index of the record/place with this id, or -1 (the arrays are sorted by id). */
int ctx_record_index(const struct context_data *d, int64_t id);
int ctx_place_index(const struct context_data *d, int64_t id);

/* Parsed --events list: which analyses each event feeds. */
struct ctx_kinds {
    bool missing, found, incident, exploitation, general, night, cuckooing;
    size_t nraw;
    char raw[16][32];
};
int ctx_kinds_parse(const char *s, struct ctx_kinds *k, struct svp_err *err);

/* The night-time economy's hours: a general police event from 20:00 to 05:59 (the recorded
 * clock) is of the kind "night" (licensed premises' late hours, when violence and disorder
 * around them peak: docs/contexts.md "Kinds apart"). */
#define CTX_NIGHT_FROM 20
#define CTX_NIGHT_TO 6
bool ctx_at_night(const struct ctx_event *e);

/* Calls fn for every (event, place, kind label) the filter selects, including events with
 * no usable place (place -1) so that callers can count them. */
void ctx_select(const struct context_data *d, const struct ctx_kinds *k,
                const struct context_filter *f,
                void (*fn)(void *arg, const struct ctx_event *e, int place, const char *kind),
                void *arg);

/* Projects WGS84 to local metres and back around the snapshot's origin. */
void ctx_project(const struct context_data *d, double lat, double lon, double *x, double *y);
void ctx_unproject(const struct context_data *d, double x, double y, double *lat, double *lon);

/* Writes ", score 12.3 (high, rank 4)" for a scored child, ", at risk" for a child at risk
 * by indicators, or "" into buf. */
void ctx_node_risk_text(const struct ctx_node *n, char *buf, size_t cap);

/* Prints where "at risk" came from: the panel's scores or the indicator rule. */
void ctx_scores_note(const struct context_data *d, FILE *f);

/* A display label for a node: "P12 Name" or "R34 Name". Writes into buf. */
void ctx_node_label(const struct ctx_node *n, char *buf, size_t cap);

/* Counts distinct (key, node) pairs per key: pairs holds key << 32 | node (both >= 0) and
 * is sorted in place; per_key[key] (nkeys entries, zeroed by the caller) is incremented once
 * per distinct node. */
void ctx_count_distinct(uint64_t *pairs, size_t n, long *per_key, size_t nkeys);

/* Writes the profile of peer group grp (network.c). SVP_ENOTFOUND if there is none. */
int ctx_group_profile(const struct context_network *n, int grp, FILE *f);

/* Reads a whole file of at most 256 MiB into owned *out (places.c). SVP_EIO, SVP_ENOMEM. */
int ctx_read_file(const char *path, char **out, size_t *len, struct svp_err *err) SVP_WUR;

#endif
