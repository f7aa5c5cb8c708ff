/*
 * people: the door of svp's read room over the canonical model (docs/model.md).
 *
 * Finds persons-as-recorded and gathers a person's records and the multi-agency chronology
 * (every event from every agency on one timeline, each with its agency, source, file and
 * line). It reads only; the ingest room writes records and events, the link room persons.
 * Who may see which person is decided by the access room; the scope_agency argument here
 * narrows results to the people one agency may see (same rule as access_authorise).
 * Results live in a caller's arena: everything is freed with it.
 */
#ifndef SVP_PEOPLE_H
#define SVP_PEOPLE_H

#include "base/base.h"
#include "store/store.h"

struct people_record {
    int64_t id;
    int64_t person_id; /* 0 when not linked */
    const char *source, *agency, *agency_record_id;
    const char *given_name, *family_name, *dob, *sex, *postcode, *area, *role;
};

struct people_event {
    int64_t id;
    int64_t record_id;
    const char *agency, *source, *type, *subtype, *started_at, *ended_at;
    const char *place;  /* place name, or NULL */
    const char *detail; /* JSON object text, or NULL */
    const char *file;   /* source file path, or NULL */
    int64_t line;
};

struct people_search {
    const char *query;        /* name words, an agency's record id, or "" for everyone */
    const char *agency;       /* only records held by this agency, or NULL */
    const char *scope_agency; /* only people visible to this agency, or NULL for all */
    size_t limit;             /* at most 200 */
    size_t offset;
};

/* Finds records whose normalised given or family name starts with each word of query, or
 * whose agency record id equals it, ordered by family and given name. Returns *out (in
 * arena a) and *n, and the total that matched in *total. SVP_EINPUT for a query that is not
 * valid UTF-8 or longer than 200 bytes. */
int people_search(struct store *s, struct svp_arena *a, const struct people_search *q,
                  struct people_record **out, size_t *n, int64_t *total,
                  struct svp_err *err) SVP_WUR;

/* The records of person person_id, or (person_id 0) the single record record_id, with
 * every event of those records ordered by time. SVP_ENOTFOUND if there is none. */
int people_get(struct store *s, struct svp_arena *a, int64_t person_id, int64_t record_id,
               struct people_record **records, size_t *nrecords, struct people_event **events,
               size_t *nevents, struct svp_err *err) SVP_WUR;

/* The display name ("Given Family") of person person_id (its first record by agency and
 * id) or, person_id 0, of record record_id; "" when no name is recorded. *out is in arena a.
 * SVP_ENOTFOUND if there is no such person or record. */
int people_display_name(struct store *s, struct svp_arena *a, int64_t person_id,
                        int64_t record_id, const char **out, struct svp_err *err) SVP_WUR;

#endif
