/*
 * access: the door of svp's accounts, authorisation and audit room.
 *
 * Who may use svp (users with argon2id password hashes), who is signed in (sessions whose
 * tokens are kept only as hashes), who may see what (one authorisation check: role, agency
 * and purpose) and what they looked at (an append-only audit log in a hash chain).
 *
 * Need-to-know, as the partnership's information sharing agreement asks: what each user
 * sees of a person is decided by the sharing rules (data/sharing.csv, docs/sharing.md) by
 * data category, holding agency and condition; by default a practitioner sees their own
 * agency's records and which other agencies know the person. An analyst sees everything
 * pseudonymised; an auditor sees the audit trail and no case data. Break glass opens a
 * person for a limited time, audited.
 */
#ifndef SVP_ACCESS_H
#define SVP_ACCESS_H

#include "base/base.h"
#include "store/store.h"

/* ------------------------------------------------------------------ roles */

enum access_role {
    ACCESS_ADMIN = 1 << 0,        /* "administrator": users; sees all, audited */
    ACCESS_ANALYST = 1 << 1,      /* "analyst": always pseudonymised (docs/sharing.md) */
    ACCESS_PANEL = 1 << 2,        /* "panel": multi-agency panel member: sees all */
    ACCESS_PRACTITIONER = 1 << 3, /* "practitioner": own agency's people and shared ones */
    ACCESS_AUDITOR = 1 << 4,      /* "auditor": the audit trail only */
};
#define ACCESS_ALL_ROLES 0x1f

/* The role's name ("administrator", "analyst", "panel", "practitioner", "auditor"). */
const char *access_role_name(enum access_role role);
/* Parses a role name (the names above; "panel-member" is accepted for "panel").
 * Returns 0 and *out, or SVP_EINPUT naming the roles. */
int access_role_parse(const char *name, enum access_role *out, struct svp_err *err) SVP_WUR;
/* Checks an agency code: csc, police, health, education, yjs, rhi or partnership. */
int access_agency_check(const char *agency, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ users */

struct access_user {
    int64_t id;
    char username[64];
    enum access_role role;
    char agency[32];
    bool must_change; /* signed in with a one-time password that must be changed */
    bool disabled;
    int64_t locked_until; /* seconds since 1970, 0 when not locked */
    char created_at[24];
};

/* Usernames: 1-63 of [a-z0-9._-], starting with a letter or digit. Passwords: 12-256 bytes. */
int access_username_check(const char *username, struct svp_err *err) SVP_WUR;
int access_password_check(const char *password, struct svp_err *err) SVP_WUR;

/* Writes a new random one-time password (20 characters from an unambiguous alphabet, about
 * 100 bits) into buf (cap >= 21). */
void access_password_generate(char *buf, size_t cap);

/* Adds a user with an argon2id hash of password (borrowed). one_time marks the password as
 * one that must be changed at first sign-in. Returns the new id in *id (may be NULL).
 * SVP_ECONFLICT if the username exists, SVP_EINPUT for a bad name, role, agency or
 * password. Writes an audit entry as actor (NULL: "system"). */
int access_user_add(struct store *s, const struct access_user *actor, const char *username,
                    enum access_role role, const char *agency, const char *password,
                    bool one_time, int64_t *id, struct svp_err *err) SVP_WUR;

/* Finds a user by name or by id; SVP_ENOTFOUND if there is none. Fills *out. */
int access_user_find(struct store *s, const char *username, struct access_user *out,
                     struct svp_err *err) SVP_WUR;
int access_user_get(struct store *s, int64_t id, struct access_user *out,
                    struct svp_err *err) SVP_WUR;

/* Disables (disabled = true) or re-enables a user; disabling ends their sessions.
 * Audited as actor (NULL: "system"). SVP_ENOTFOUND for an unknown user. */
int access_user_set_disabled(struct store *s, const struct access_user *actor,
                             const char *username, bool disabled, struct svp_err *err) SVP_WUR;

/* Sets a new password (borrowed), clears the lock and failed count, ends the user's
 * sessions. one_time: the user must change it at next sign-in. Audited as actor. */
int access_user_set_password(struct store *s, const struct access_user *actor,
                             const char *username, const char *password, bool one_time,
                             struct svp_err *err) SVP_WUR;

/* Lists users ordered by name: returns an owned array in *out (svp_free) and its length. */
int access_user_list(struct store *s, struct access_user **out, size_t *n,
                     struct svp_err *err) SVP_WUR;

/* Checks a password. On success fills *out, resets the failure count and returns 0. Wrong
 * password, unknown or disabled user and locked account all return SVP_EINPUT with the same
 * message after the same work (the argon2id check runs in every case), so a caller cannot
 * learn which names exist or which are locked. Failures are counted (for the administrator)
 * but lock nothing: a lock others could trigger would let anyone shut the chair out; the web
 * server delays repeated failures per account and client address instead. An account is
 * locked only by an administrator setting locked_until. Every attempt is audited. */
int access_login(struct store *s, const char *username, const char *password, svp_time now,
                 struct access_user *out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ sessions */

#define ACCESS_TOKEN_LEN 64 /* hex characters of a session token or CSRF token */

struct access_session {
    char token[ACCESS_TOKEN_LEN + 1]; /* only set by access_session_create */
    char csrf[ACCESS_TOKEN_LEN + 1];
    int64_t expires_at;
    struct access_user user;
};

/* Starts a session for user_id lasting ttl seconds from now: 32 random bytes as the token
 * (returned in out->token, stored only as its SHA-256) and a CSRF token. */
int access_session_create(struct store *s, int64_t user_id, svp_time now, int64_t ttl,
                          struct access_session *out, struct svp_err *err) SVP_WUR;

/* Looks up a session by its token (borrowed). SVP_ENOTFOUND when unknown, expired, or the
 * user is disabled. Fills *out (without the token). */
int access_session_find(struct store *s, const char *token, svp_time now,
                        struct access_session *out, struct svp_err *err) SVP_WUR;

/* As access_session_find, also SVP_ENOTFOUND when the session has not been used for more
 * than idle seconds (0: no idle limit); notes the use at most once a minute. */
int access_session_find_idle(struct store *s, const char *token, svp_time now, int64_t idle,
                             struct access_session *out, struct svp_err *err) SVP_WUR;

/* Ends the session with this token (no error if it is already gone). */
int access_session_end(struct store *s, const char *token, struct svp_err *err) SVP_WUR;

/* Constant-time comparison of a presented CSRF token with the session's. */
bool access_csrf_ok(const struct access_session *sess, const char *presented);

/* ------------------------------------------------------------------ authorisation */

/* What a route reads. */
enum access_data {
    ACCESS_DATA_NONE,     /* nothing personal (a session, the user's own activity) */
    ACCESS_DATA_PERSONAL, /* personal data about children and adults */
    ACCESS_DATA_AUDIT,    /* the audit trail */
    ACCESS_DATA_USERS,    /* accounts */
};

/* The object a request is about, when it names one. */
enum access_object { ACCESS_OBJ_NONE, ACCESS_OBJ_PERSON, ACCESS_OBJ_RECORD };

/* ------------------------------------------------------------------ sharing rules */

/* Data categories (data/data-categories.csv gives every event type and indicator one). */
enum access_category {
    ACCESS_CAT_ORDINARY,
    ACCESS_CAT_SEXUAL_HEALTH,
    ACCESS_CAT_MENTAL_HEALTH,
    ACCESS_CAT_SUBSTANCE_MISUSE,
    ACCESS_CAT_DA_VICTIM,
    ACCESS_CAT_POLICE_INTEL,
    ACCESS_CAT_YOUTH_JUSTICE,
    ACCESS_CAT_ADULT_SAFEGUARDING,
    ACCESS_NCAT
};
#define ACCESS_CAT_ALL ((1u << ACCESS_NCAT) - 1)

/* Agencies that hold records, by index (csc, asc, police, health, education, yjs, rhi,
 * partnership); ACCESS_AGENCY_OTHER for an agency code outside the list. */
#define ACCESS_NAGENCY 9
#define ACCESS_AGENCY_OTHER 8

/* The category's name ("ordinary", "sexual_health", ...) and its parse (-1: unknown). */
const char *access_category_name(int category);
int access_category_parse(const char *name);
/* The agency's index (ACCESS_AGENCY_OTHER when unknown) and the name of an index. */
int access_agency_index(const char *agency);
const char *access_agency_name(int index);

/* The partnership's sharing rules (data/sharing.csv) with the data categories
 * (data/data-categories.csv): what access_authorise decides from. Opaque, owned. */
struct access_policy;

/* Loads the rules in force: those loaded into the database with access_policy_store, or
 * else the shipped data/sharing.csv; and the shipped categories. Owned in *out. */
int access_policy_load(struct store *s, struct access_policy **out, struct svp_err *err) SVP_WUR;
/* Parses sharing rules from CSV text (borrowed; name for messages) with the shipped
 * categories. SVP_EINPUT naming the line and column of anything not understood. */
int access_policy_parse(const char *text, size_t len, const char *name,
                        struct access_policy **out, struct svp_err *err) SVP_WUR;
void access_policy_free(struct access_policy **p);
/* Number of rules (for a summary). */
size_t access_policy_rules(const struct access_policy *p);
/* Checks and stores sharing rules text in the database (svp_meta), replacing those in
 * force; audited as actor with the file's name. */
int access_policy_store(struct store *s, const struct access_user *actor, const char *text,
                        size_t len, const char *name, struct svp_err *err) SVP_WUR;
/* The rules text in force (owned, svp_free) and where it came from ("database" or
 * "data/sharing.csv"). */
int access_policy_text(struct store *s, char **out, const char **from,
                       struct svp_err *err) SVP_WUR;

/* The category of an event type and subtype (subtype may be NULL) and of an indicator. */
int access_event_category(const struct access_policy *p, const char *type,
                          const char *subtype);
int access_indicator_category(const struct access_policy *p, const char *indicator);
/* The category of a recorded relationship of this kind (associate, perpetrator, ...):
 * rows "relationship,KIND,*,CATEGORY" of data/data-categories.csv; unlisted: ordinary. */
int access_relationship_category(const struct access_policy *p, const char *kind);

/* What one viewer may see of one person: for each holding agency, the categories allowed
 * (bits of enum access_category); which agencies hold a record of them (known_to, agency
 * bits), so a page can say "known to health" without any detail. */
struct access_view {
    bool any;       /* something of this person may be shown (else the request is refused) */
    bool whole;     /* every category of every agency (no filtering needed) */
    unsigned known_to;
    unsigned allow[ACCESS_NAGENCY];
    const char *why; /* the condition that opened it: "own agency", "shared", ... */
};

/* True if the view allows category cat of a record held by agency. */
bool access_view_allows(const struct access_view *v, const char *agency, int cat);

struct access_request {
    unsigned roles;           /* roles that may call (enum access_role bits) */
    enum access_data data;
    enum access_object object;
    int64_t object_id;
    const char *purpose; /* stated purpose, or NULL/"" */
    const struct access_policy *policy; /* the rules; NULL: loaded for this call */
};

struct access_decision {
    bool allowed;
    int status;           /* HTTP-style: 200 allowed, 401 no session, 403 refused */
    bool pseudonymise;    /* personal data must be pseudonymised for this user */
    char scope_agency[32]; /* "" when every person is visible whole; else each person shown
                            * must be checked (access_authorise with the object) */
    struct access_view view; /* for a PERSON or RECORD object: what of it may be shown */
    char reason[160];     /* why refused, for the person refused */
};

/* The one authorisation check. user NULL means no session. Decides from the role, the
 * user's agency, the sharing rules (what of the object's records the user may see, and on
 * which condition) and the purpose; deny unless a rule allows. For personal data without an
 * object, scope_agency says whether each person listed must be checked in turn. Returns 0
 * with *out filled, or a negative status if the store failed. */
int access_authorise(struct store *s, const struct access_user *user,
                     const struct access_request *req, struct access_decision *out,
                     struct svp_err *err) SVP_WUR;

/* A stable pseudonym for a record or person id ("R-3F9A2C1B" / "P-..."), keyed by a secret
 * kept in svp_meta (created on first use) so it cannot be reversed by counting. */
int access_pseudonym(struct store *s, char kind, int64_t id, char *buf, size_t cap,
                     struct svp_err *err) SVP_WUR;

/* Finds what a pseudonym stands for (re-identification): *kind 'P' (a person) or 'R' (an
 * unlinked record) and *id. SVP_ENOTFOUND when nothing has it under the current key. The
 * caller checks the role and audits, with the reason. */
int access_pseudonym_find(struct store *s, const char *pseudonym, char *kind, int64_t *id,
                          struct svp_err *err) SVP_WUR;

/* Replaces the pseudonym key: every pseudonym changes, so pseudonymised extracts made
 * before cannot be joined to those made after. Audited as actor. */
int access_pseudonym_rotate(struct store *s, const struct access_user *actor,
                            struct svp_err *err) SVP_WUR;

/* Checks a stated purpose against the partnership's list (data/purposes.csv): 0 when it is
 * one of the codes, else SVP_EINPUT naming them. */
int access_purpose_check(const char *purpose, struct svp_err *err) SVP_WUR;

/* Shares a person with an agency (e.g. a panel list shared with it). Idempotent. Audited. */
int access_share_person(struct store *s, const struct access_user *actor, int64_t person_id,
                        const char *agency, const char *reason, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ break glass */

/* Urgent access beyond the sharing rules: user sees every record of person (kind 'P') or
 * unlinked record ('R') id for minutes (1-240) from now, for reason (a code of
 * data/break-glass.csv) and text (at least 10 characters, their own words). Only
 * practitioners and panel members may; audited as "break-glass". Returns the new id. */
int access_break_glass(struct store *s, const struct access_user *user, char kind, int64_t id,
                       const char *reason, const char *text, int minutes, svp_time now,
                       int64_t *glass_id, struct svp_err *err) SVP_WUR;

struct access_glass {
    int64_t id, user_id, person_id;
    char kind;
    char username[64], reason[48], text[256];
    int64_t started_at, expires_at;
};

/* The reasons one may break glass for (data/break-glass.csv): code and description, in the
 * file's order. Owned array in *out (svp_free). */
struct access_glass_reason {
    char code[48];
    char description[200];
};
int access_glass_reasons(struct access_glass_reason **out, size_t *n, struct svp_err *err) SVP_WUR;

/* Break-glass uses, newest first, up to limit, for the auditor's review. Owned in *out. */
int access_glass_list(struct store *s, size_t limit, struct access_glass **out, size_t *n,
                      struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ subject access */

/* Everything svp holds about person (kind 'P') or record ('R') id, for a subject access
 * request: every record, earlier versions, event, relationship, place, link decision and
 * candidate, share, saved panel entry and break-glass use, each row as stored with its
 * source (source, agency, source_file, line), and (for a person) every audit entry that
 * named them. reason (10+ characters, e.g. the request's reference) is recorded with the
 * export, audited as actor ("export", naming the person) before the text is returned.
 * Owned JSON text in *out (svp_free). SVP_ENOTFOUND when there is no such person. */
int access_subject_export(struct store *s, const struct access_user *actor, char kind,
                          int64_t id, const char *reason, char **out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ retention */

/* The partnership's retention rules (data/retention.csv, docs/retention.md): per source,
 * what happens N years after a record's last event. Opaque, owned. */
enum access_retention_action { ACCESS_RETAIN_KEEP, ACCESS_RETAIN_ARCHIVE, ACCESS_RETAIN_DELETE };
struct access_retention;
/* Parses rules text (borrowed; name for messages): header source,action,years; one rule per
 * source ("*" for every source not named); action archive, delete or keep; years 1-100.
 * SVP_EINPUT naming the line and column of anything not understood. */
int access_retention_parse(const char *text, size_t len, const char *name,
                           struct access_retention **out, struct svp_err *err) SVP_WUR;
/* The shipped rules (data/retention.csv). */
int access_retention_shipped(struct access_retention **out, struct svp_err *err) SVP_WUR;
void access_retention_free(struct access_retention **r);
const char *access_retention_action_name(enum access_retention_action a);

/* What a run did (or, dry, would do) to one source's records. */
struct access_retention_result {
    char source[64];
    bool has_rule;       /* false: no rule covers the source (kept) */
    enum access_retention_action action;
    int years;
    char cutoff[12];     /* records whose last event is before this day are due */
    int64_t records, events, relationships; /* due */
    bool done;           /* archived or deleted (not in a dry run) */
};

/* Applies rules as of day as_of: each due record leaves the live model with its events,
 * histories, relationships and links (archived: kept as JSON in retention_archive; deleted:
 * gone), in one transaction, one audit entry per source acted on (as actor, action
 * "retention"). dry_run: the same counts, nothing written (not even the audit). Owned
 * results (one per source held) in *out (svp_free). */
int access_retention_run(struct store *s, const struct access_user *actor,
                         const struct access_retention *rules, svp_day as_of, bool dry_run,
                         struct access_retention_result **out, size_t *n,
                         struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ audit */

struct access_audit_entry {
    int64_t id;
    char at[24];
    int64_t user_id;
    char username[64];
    char action[24];
    char object[64];
    char purpose[256];
    char detail[256];
    char hash[65];
    size_t persons; /* how many persons and records the entry names as shown */
};

/* Appends an entry: who (user, NULL: "system"), action (view, search, export, change,
 * login, ...), object (e.g. "person:12"), purpose and detail (may be NULL). Text beyond
 * the entry's fields is cut. Safe with concurrent writers: the chain never forks. */
/* As access_audit, inside the caller's open transaction (no retry): the entry is stored
 * exactly when the caller's change commits (e.g. with reg_add_also). */
int access_audit_in_tx(struct store *s, const struct access_user *user, const char *action,
                       const char *object, const char *purpose, const char *detail,
                       struct svp_err *err) SVP_WUR;

int access_audit(struct store *s, const struct access_user *user, const char *action,
                 const char *object, const char *purpose, const char *detail,
                 struct svp_err *err) SVP_WUR;

/* One entry for access_audit_many; fields as for access_audit (all borrowed). */
struct access_audit_item {
    const struct access_user *user;
    const char *action, *object, *purpose, *detail;
    const char *persons; /* who the reply showed, ",p12,p57,r9," (NULL or "": none named) */
};

/* Appends n entries in order in one transaction (group commit: a server with many
 * requests in flight pays for one commit per batch, not per entry). All or none are
 * written; retried like access_audit when another writer appends at the same time. */
int access_audit_many(struct store *s, const struct access_audit_item *items, size_t n,
                      struct svp_err *err) SVP_WUR;

/* Lists entries newest first, up to limit, with id < before (0: from the newest);
 * user_id > 0 restricts to one user. Returns an owned array (svp_free) in *out. */
int access_audit_list(struct store *s, int64_t user_id, int64_t before, size_t limit,
                      struct access_audit_entry **out, size_t *n, struct svp_err *err) SVP_WUR;

/* Every entry that showed person person_id, or one of their records, or refused a request
 * for them: page views, list, search and network views that listed them (by the ids they
 * recorded), refusals. Newest first, up to limit, with id < before (0: from the newest).
 * Returns an owned array (svp_free) in *out. */
int access_audit_person(struct store *s, int64_t person_id, int64_t before, size_t limit,
                        struct access_audit_entry **out, size_t *n,
                        struct svp_err *err) SVP_WUR;

/* The chain's head: the newest entry's id and hash (0 and the genesis hash when empty).
 * Kept outside svp (printed, mailed, signed), it lets access_audit_check_anchor detect that
 * the newest entries were removed, which the chain alone cannot show. */
int access_audit_anchor(struct store *s, int64_t *id, char hash[65], struct svp_err *err) SVP_WUR;
/* Checks that entry id still exists with this hash (and so, with access_audit_verify, that
 * everything up to it is intact). SVP_ECONFLICT saying what differs. */
int access_audit_check_anchor(struct store *s, int64_t id, const char *hash,
                              struct svp_err *err) SVP_WUR;

/* Walks the whole chain recomputing every hash. Returns 0 with *checked entries when it is
 * intact; SVP_ECONFLICT naming the first broken entry (edited, removed or reordered). */
int access_audit_verify(struct store *s, int64_t *checked, struct svp_err *err) SVP_WUR;

#endif
