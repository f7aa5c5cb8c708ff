/* Source profiles, what the parser (profile.c) does not do: the canonical vocabulary a
 * profile's codes are checked against (docs/model.md), loading a profile by name or path
 * (a directory on the search path, else the ones built in), what the rest of the room
 * asks of a parsed profile, and the two rules import applies from it to a file's text
 * (where its header is; which values mean "not recorded"). */
#include "ingest_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct svp_embedded svp_profiles[];

/* ------------------------------------------------------------------ vocabulary */

/* docs/model.md: the event types every other room may rely on. */
static const char *const event_types[] = {
    "missing_episode", "return_interview", "contact", "referral", "assessment",
    "strategy_discussion", "s47_enquiry", "cin_plan", "cp_plan", "looked_after", "placement",
    "private_fostering", "early_help", "da_incident", "marac", "crime", "arrest",
    "stop_search", "intelligence", "ed_attendance", "sexual_health", "camhs_referral",
    "substance_misuse", "school_attendance", "exclusion", "cme", "ehe", "school_enrolment",
    "yj_intervention", "nrm_referral", "exploitation_screening", "incident", "cp_conference",
    "cp_plan_end", "lac_review", "health_assessment", "care_leaver", "exploitation_concern",
    "adult_concern", "adult_enquiry", "offender_management", NULL};
static const char *const sexes[] = {"M", "F", "X", "U", NULL};
static const char *const ethnicities[] = {
    "WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
    "ABAN", "ACHN", "AOTH", "BCRB", "BAFR", "BOTH", "OARA", "OOTH", "REFU", "NOBT", NULL};
static const char *const roles[] = {"child", "adult", "unknown", NULL};
static const char *const place_kinds[] = {
    "home", "school", "park", "car_park", "transport", "shop", "fast_food", "hotel",
    "licensed", "street", "placement", "hospital", "leisure", "hostel", "town", "area", "other",
    NULL};
static const char *const rel_kinds[] = {
    "found_with", "household_member", "parent", "sibling", "associate", "co_involved",
    "co_offender", "perpetrator", NULL};
static const char *const agencies[] = {"csc", "asc", "police", "health", "education", "yjs",
                                       "rhi", "ref", "other", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (!strcmp(*list, s))
            return true;
    return false;
}

bool ingest_known_event_type(const char *s)
{
    return in_list(event_types, s);
}

bool ingest_known_agency(const char *s)
{
    return in_list(agencies, s);
}

bool ingest_known_code(enum ingest_target t, const char *s)
{
    switch (t) {
    case T_SEX: return in_list(sexes, s);
    case T_ETHNICITY: return in_list(ethnicities, s);
    case T_ROLE: return in_list(roles, s);
    case T_TYPE: return in_list(event_types, s);
    case T_PLACE_KIND: return in_list(place_kinds, s);
    case T_REL_KIND: return in_list(rel_kinds, s);
    default: return true;
    }
}

bool ingest_is_word(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_' ||
              *s == '-'))
            return false;
    return true;
}


const char *ingest_from_header(const struct ingest_profile *p, const char *text, size_t len,
                               size_t *rest, long *first_line)
{
    const char *t = text, *end = text + len;
    long line = 1;
    /* the lines above header_line, then any blank lines (a sheet's empty first rows) */
    while (t < end && (line < p->header_line || *t == '\n' || (*t == '\r' && t + 1 < end &&
                                                                 t[1] == '\n'))) {
        const char *nl = memchr(t, '\n', (size_t)(end - t));
        t = nl ? nl + 1 : end;
        line++;
    }
    /* the footer: its lines, and the blank lines about them, are cut from the end */
    for (int k = 0; k < p->footer_lines && end > t; k++) {
        while (end > t && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
            end--;
        while (end > t && end[-1] != '\n')
            end--;
    }
    *rest = (size_t)(end - t);
    *first_line = line;
    return t;
}

bool ingest_is_blank(const struct ingest_profile *p, const char *s, size_t n)
{
    for (int i = 0; i < p->nblanks; i++)
        if (strlen(p->blanks[i]) == n && !memcmp(p->blanks[i], s, n))
            return true;
    return false;
}

void ingest_profile_free(struct ingest_profile **p)
{
    if (!p || !*p)
        return;
    struct svp_arena *a = (*p)->arena;
    svp_arena_free(&a);
    *p = NULL;
}

const char *ingest_profile_name(const struct ingest_profile *p)
{
    return p->name;
}

const char *ingest_profile_agency(const struct ingest_profile *p)
{
    return p->agency;
}

const char *ingest_profile_id_space(const struct ingest_profile *p)
{
    return p->id_space;
}

void ingest_profile_counts(const struct ingest_profile *p, int *columns, int *events,
                           int *relationships, int *others)
{
    *columns = p->ncols;
    *events = *relationships = *others = 0;
    for (int i = 0; i < p->nsecs; i++) {
        if (p->secs[i].kind == SEC_EVENT)
            (*events)++;
        if (p->secs[i].kind == SEC_RELATIONSHIP)
            (*relationships)++;
        if (p->secs[i].kind == SEC_RECORD && i != p->record_sec)
            (*others)++;
    }
}

const char *ingest_builtin_profile(int i)
{
    for (int k = 0; svp_profiles[k].name; k++)
        if (k == i)
            return svp_profiles[k].name;
    return NULL;
}

/* ------------------------------------------------------------------ loading */

static int load_path(const char *path, struct ingest_profile **out, struct svp_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, errno == ENOENT ? SVP_ENOTFOUND : SVP_EIO, path, 0, NULL,
                          "cannot open profile: %s", strerror(errno));
    char *buf = svp_malloc(PROFILE_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading profile");
    }
    size_t n = fread(buf, 1, PROFILE_MAX_BYTES + 1, f);
    bool bad = ferror(f);
    fclose(f);
    int rc = bad ? svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot read profile")
                 : ingest_profile_parse(buf, n, path, out, err);
    svp_free(buf);
    return rc;
}

int ingest_profile_load(const char *spec, const char *search_path, struct ingest_profile **out,
                        struct svp_err *err)
{
    *out = NULL;
    size_t sl = strlen(spec);
    if (strchr(spec, '/') || (sl > 8 && !strcmp(spec + sl - 8, ".profile")))
        return load_path(spec, out, err);
    if (!ingest_is_word(spec))
        return svp_err_set(err, SVP_EINPUT, "profile name '%.60s' must be lower-case letters, "
                                            "digits, _ or - (or give a path)", spec);
    char path[1024];
    for (const char *d = search_path; d && *d;) {
        const char *colon = strchr(d, ':');
        size_t dl = colon ? (size_t)(colon - d) : strlen(d);
        if (dl && (size_t)snprintf(path, sizeof path, "%.*s/%s.profile", (int)dl, d, spec) <
                      sizeof path) {
            FILE *f = fopen(path, "rb");
            if (f) {
                fclose(f);
                return load_path(path, out, err);
            }
        }
        d = colon ? colon + 1 : NULL;
    }
    char want[200];
    snprintf(want, sizeof want, "%s.profile", spec);
    for (const struct svp_embedded *e = svp_profiles; e->name; e++)
        if (!strcmp(e->name, want))
            return ingest_profile_parse(e->data, e->len, e->name, out, err);
    return svp_err_set(err, SVP_ENOTFOUND, "no profile named '%s' (see 'svp profile list')",
                       spec);
}

int ingest_header_unique(char **name, bool (*taken)(void *ctx, const char *s), void *ctx)
{
    if (!**name || !taken(ctx, *name))
        return SVP_OK;
    size_t cap = strlen(*name) + 24;
    char *u = svp_malloc(cap);
    if (!u)
        return SVP_ENOMEM;
    for (int k = 2;; k++) {
        snprintf(u, cap, "%s (%d)", *name, k);
        if (!taken(ctx, u))
            break;
    }
    svp_free(*name);
    *name = u;
    return SVP_OK;
}
