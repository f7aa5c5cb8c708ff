/* Private helpers shared by the access room's files. */
#ifndef SVP_ACCESS_INT_H
#define SVP_ACCESS_INT_H

#include "access/access.h"

/* Writes the hex SHA-256 of p[0..n) into out (cap >= 65). */
void access_sha256_hex(const void *p, size_t n, char *out, size_t cap);


/* True if the rules give user every category of every agency's records unconditionally. */
bool access_policy_whole(const struct access_policy *p, const struct access_user *u);

/* What user may see of the person (kind PERSON) or record (kind RECORD) id under p. */
int access_view_compute(struct store *s, const struct access_policy *p,
                        const struct access_user *u, enum access_object kind, int64_t id,
                        struct access_view *v, struct svp_err *err);

/* Checks code against the first column of the embedded CSV file (a list of codes);
 * SVP_EINPUT on field saying say and listing the codes. */
int access_code_check(const char *file, const char *field, const char *say, const char *code,
                      struct svp_err *err);

/* True (*out) when user holds unexpired break glass on person (kind 'P') or record ('R'). */
int access_glass_active(struct store *s, int64_t user_id, char kind, int64_t id, bool *out,
                        struct svp_err *err);

/* Now as an ISO 8601 UTC string (cap >= 21). */
void access_now_iso(char *buf, size_t cap);

#endif
