/*
 * household: the door of the Think Family view (docs/household.md).
 *
 * The people a child lives with, as the tracker knows them: the family and household links
 * of src/risk/family.c (recorded by an agency -- parent, sibling and household member
 * relationships, the children listed with a domestic abuse incident -- or inferred from a
 * shared family name and address), one step out from the person and one more through a
 * parent, sibling or household member. For each member: age, open plans and the needs any
 * agency's records show (domestic abuse, substance misuse, mental ill health: the 'toxic
 * trio'; and offending), each need with its evidence (risk_event_needs decides what an
 * event shows, the same function the panel's toxic_trio indicator reads).
 *
 * It reads only. What one viewer may see is narrowed by household_restrict, which the HTTP
 * layer drives with the one need-to-know check; the CLI shows everything (an operator's
 * tool, as `svp person`). Everything lives in the view's arena: household_free frees it.
 */
#ifndef SVP_HOUSEHOLD_H
#define SVP_HOUSEHOLD_H

#include "base/base.h"
#include "risk/risk.h"

#include <jansson.h>

struct store;

/* At most this many members in a view, and evidence events kept per need (newest first). */
enum { HOUSEHOLD_MAX_MEMBERS = 40, HOUSEHOLD_EVIDENCE = 5 };
/* A member is looked through for the second step only when their own link is at least this
 * confident (recorded: 1; same address: 0.85; a family name that sounds alike at the same
 * address: 0.75; not a shared postcode alone: 0.6 or less). */
#define HOUSEHOLD_STEP_CONFIDENCE 0.75f

struct household_evidence {
    int64_t event_id, record_id;
    svp_day day;
    const char *agency, *type, *subtype; /* in the view's arena */
};

struct household_need {
    size_t nevents;  /* events that show it, up to the view's date (0: none known) */
    svp_day latest;  /* the newest of them */
    struct household_evidence evidence[HOUSEHOLD_EVIDENCE];
    size_t nevidence;
};

struct household_member {
    int64_t person_id;
    int relation;        /* enum risk_relation: what the member is to the person */
    bool recorded;       /* an agency recorded the link (else inferred) */
    int agency;          /* recorded: the agency (risk_agency_name) */
    float confidence;    /* 0..1 */
    const char *basis;   /* static text: "same family name and address", ... */
    int64_t via;         /* 0: linked to the person; else the member it was found through */
    int age;             /* whole years on the view's date, -1 unknown */
    bool child;          /* under 18 on the view's date (or recorded as a child) */
    unsigned plans;      /* RISK_PLAN_* bits: open plans */
    bool withheld;       /* household_restrict: the viewer may not see this member */
    struct household_need needs[RISK_NEED_COUNT];
};

struct household_view {
    int64_t person_id;
    svp_day as_of;
    int age;
    bool child;
    unsigned plans;
    bool unlinked; /* persons are records (link had not run) */
    struct household_member *members; /* direct links first, then by relation and id */
    size_t n;
    struct svp_arena *arena;
};

/* The household of person_id from a built panel (risk_panel_build, or the neighbourhood
 * that risk_person_score builds): its family links give the members, its persons their age
 * and plans; each member's events are read from the store for their needs, up to p->as_of.
 * SVP_ENOTFOUND when the panel has no such person. Owned view in *out (household_free). */
int household_from_panel(struct store *s, const struct risk_panel *p, int64_t person_id,
                         struct household_view **out, struct svp_err *err) SVP_WUR;

/* The two halves of household_from_panel: the members alone, from the panel's links (no
 * store read: what `svp household --all` lists for every child), and their needs, read
 * from the store. */
int household_members(const struct risk_panel *p, int64_t person_id,
                      struct household_view **out, struct svp_err *err) SVP_WUR;
int household_read_needs(struct store *s, struct household_view *v,
                         struct svp_err *err) SVP_WUR;

/* The household of person_id without the whole panel: scores the person's neighbourhood
 * (risk_person_score, which holds every family link two steps out) and reads it as
 * household_from_panel does. Errors as risk_person_score. */
int household_get(struct store *s, const struct risk_weights *w,
                  const struct risk_panel_opts *opts, int64_t person_id,
                  struct household_view **out, struct svp_err *err) SVP_WUR;

void household_free(struct household_view **v);

/* What one viewer may see, asked member by member and event by event. */
struct household_viewer {
    void *ctx;
    /* 1: the viewer may see this person; 0: withhold them (their relation stays, their
     * needs and identity go); negative: a failure, with err filled. */
    int (*member)(void *ctx, int64_t person_id, struct svp_err *err);
    /* whether the viewer may see an event of this type and subtype held by this agency
     * about the member */
    bool (*evidence)(void *ctx, int64_t person_id, const char *agency, const char *type,
                     const char *subtype);
};

/* Narrows the view to what who may see: members refused are marked withheld with their
 * needs cleared; evidence refused is dropped and each need's count and date recomputed from
 * what is left, so nothing hidden can be inferred from a count. */
int household_restrict(struct household_view *v, const struct household_viewer *who,
                       struct svp_err *err) SVP_WUR;

/* The 'toxic trio' needs (bits of 1u << RISK_NEED_DA, _SUBSTANCE, _MENTAL) shown by the
 * view's adult members (not withheld). */
unsigned household_trio(const struct household_view *v);

/* The JSON form (what the web app serves and `svp household --format json` prints): owned,
 * NULL when out of memory. Withheld members carry their relation only. */
json_t *household_json(const struct household_view *v);

#endif
