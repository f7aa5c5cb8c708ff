/* Private helpers shared by the access room's files. */
#ifndef SVP_ACCESS_INT_H
#define SVP_ACCESS_INT_H

#include "access/access.h"

/* Writes the hex SHA-256 of p[0..n) into out (cap >= 65). */
void access_sha256_hex(const void *p, size_t n, char *out, size_t cap);

/* Appends an audit entry inside the caller's open transaction (no retry). */
int access_audit_in_tx(struct store *s, const struct access_user *user, const char *action,
                       const char *object, const char *purpose, const char *detail,
                       struct svp_err *err);

/* Now as an ISO 8601 UTC string (cap >= 21). */
void access_now_iso(char *buf, size_t cap);

#endif
