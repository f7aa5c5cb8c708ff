/* Users, passwords and sessions. Passwords are argon2id hashes from libsodium's
 * crypto_pwhash_str (salted, parameters stored in the hash); session tokens are 32 random
 * bytes of which only the SHA-256 is stored. */
#include "access_int.h"

#include <pwquality.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

static const struct {
    enum access_role role;
    const char *name;
} role_names[] = {
    {ACCESS_ADMIN, "administrator"}, {ACCESS_ANALYST, "analyst"},
    {ACCESS_PANEL, "panel"},         {ACCESS_PRACTITIONER, "practitioner"},
    {ACCESS_AUDITOR, "auditor"},
};

/* The partner agencies of the partnership (seeds: information sharing agreement), and the
 * partnership's own staff. */
static const char *const agencies[] = {"csc", "asc", "police", "health", "education",
                                       "yjs", "rhi", "partnership", NULL};

const char *access_role_name(enum access_role role)
{
    for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
        if (role_names[i].role == role)
            return role_names[i].name;
    return "unknown";
}

int access_role_parse(const char *name, enum access_role *out, struct svp_err *err)
{
    if (name && !strcmp(name, "panel-member")) {
        *out = ACCESS_PANEL;
        return SVP_OK;
    }
    for (size_t i = 0; name && i < sizeof role_names / sizeof role_names[0]; i++)
        if (!strcmp(role_names[i].name, name)) {
            *out = role_names[i].role;
            return SVP_OK;
        }
    return svp_err_at(err, SVP_EINPUT, "", 0, "role",
                      "unknown role; use administrator, analyst, panel, practitioner or auditor");
}

int access_agency_check(const char *agency, struct svp_err *err)
{
    for (size_t i = 0; agency && agencies[i]; i++)
        if (!strcmp(agencies[i], agency))
            return SVP_OK;
    return svp_err_at(err, SVP_EINPUT, "", 0, "agency",
                      "unknown agency; use csc, asc, police, health, education, yjs, rhi or "
                      "partnership");
}

int access_username_check(const char *u, struct svp_err *err)
{
    size_t n = u ? strlen(u) : 0;
    if (n == 0 || n > 63)
        return svp_err_at(err, SVP_EINPUT, "", 0, "username", "a username has 1 to 63 characters");
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  (i > 0 && (c == '.' || c == '_' || c == '-'));
        if (!ok)
            return svp_err_at(err, SVP_EINPUT, "", 0, "username",
                              "a username uses only a-z, 0-9, '.', '_' and '-' and starts with "
                              "a letter or digit");
    }
    return SVP_OK;
}

/* libpwquality's 0-100 estimate below which a password is refused: it rejects common and
 * dictionary-based passwords, keyboard runs and repeats ("password1234" scores 22,
 * "qwertyuiopas" 20; "correct horse battery" 90). */
#define MIN_PW_SCORE 50

int access_password_check(const char *p, struct svp_err *err)
{
    size_t n = p ? strlen(p) : 0;
    if (n < 12 || n > 256)
        return svp_err_at(err, SVP_EINPUT, "", 0, "password",
                          "a password has 12 to 256 characters");
    /* Debian's libpwquality with the cracklib dictionary: the common-password check. Its
     * own settings file is not read, so the rule is the same on every machine. */
    pwquality_settings_t *pw = pwquality_default_settings();
    if (!pw)
        return svp_err_set(err, SVP_ENOMEM, "out of memory checking a password");
    int rc = pwquality_set_int_value(pw, PWQ_SETTING_MIN_LENGTH, 12);
    void *aux = NULL;
    int score = rc ? rc : pwquality_check(pw, p, NULL, NULL, &aux);
    char why[256] = "";
    if (score < 0)
        svp_strlcpy(why, pwquality_strerror(why, sizeof why, score, aux), sizeof why);
    pwquality_free_settings(pw);
    if (score < 0)
        return svp_err_at(err, SVP_EINPUT, "", 0, "password",
                          "choose another password: %s", why);
    if (score < MIN_PW_SCORE)
        return svp_err_at(err, SVP_EINPUT, "", 0, "password",
                          "choose another password: it is too easy to guess (a common word "
                          "or pattern); a few unrelated words work well");
    return SVP_OK;
}

void access_password_generate(char *buf, size_t cap)
{
    /* 32 symbols without look-alikes (0/O, 1/l/I): 5 bits each, 20 of them = 100 bits. */
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    size_t n = cap > 21 ? 20 : (cap ? cap - 1 : 0);
    /* Drawn again (rarely) when the password policy would refuse it: cracklib now and then
     * calls a random string "too simplistic/systematic", and a one-time password svp
     * made must pass the check every password passes. */
    for (int attempt = 0; attempt < 64; attempt++) {
        for (size_t i = 0; i < n; i++)
            buf[i] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
        if (cap)
            buf[n] = '\0';
        struct svp_err err;
        if (n < 12 || access_password_check(buf, &err) == SVP_OK)
            break;
    }
}

void access_sha256_hex(const void *p, size_t n, char *out, size_t cap)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(out, cap, h, sizeof h);
}

void access_now_iso(char *buf, size_t cap)
{
    svp_time_format((svp_time)time(NULL), buf, cap);
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES],
                         struct svp_err *err)
{
    if (sodium_init() < 0)
        return svp_err_set(err, SVP_EINTERNAL, "libsodium could not start");
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return svp_err_set(err, SVP_ENOMEM, "not enough memory to hash the password");
    return SVP_OK;
}

#define USER_COLS "id, username, role, agency, must_change, disabled, locked_until, created_at"

static void read_user(struct store_stmt *st, struct access_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = store_column_int64(st, 0);
    svp_strlcpy(u->username, store_column_text(st, 1) ? store_column_text(st, 1) : "",
                sizeof u->username);
    struct svp_err ignored;
    if (access_role_parse(store_column_text(st, 2), &u->role, &ignored))
        u->role = 0; /* an unknown role in the table is allowed nothing */
    svp_strlcpy(u->agency, store_column_text(st, 3) ? store_column_text(st, 3) : "",
                sizeof u->agency);
    u->must_change = store_column_int64(st, 4) != 0;
    u->disabled = store_column_int64(st, 5) != 0;
    u->locked_until = store_column_int64(st, 6);
    svp_strlcpy(u->created_at, store_column_text(st, 7) ? store_column_text(st, 7) : "",
                sizeof u->created_at);
}

static int user_query(struct store *s, const char *sql, const char *text, int64_t num,
                      struct access_user *out, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    rc = text ? store_bind_text(st, 1, text, -1) : store_bind_int64(st, 1, num);
    if (rc) {
        store_finalize(&st);
        return svp_err_set(err, rc, "cannot bind a value");
    }
    rc = store_step(st, err);
    if (rc == STORE_ROW) {
        read_user(st, out);
        rc = SVP_OK;
    } else if (rc == STORE_DONE) {
        rc = svp_err_set(err, SVP_ENOTFOUND, "no such user");
    }
    store_finalize(&st);
    return rc;
}

int access_user_find(struct store *s, const char *username, struct access_user *out,
                     struct svp_err *err)
{
    return user_query(s, "SELECT " USER_COLS " FROM app_user WHERE username = ?", username ? username : "",
                      0, out, err);
}

int access_user_get(struct store *s, int64_t id, struct access_user *out, struct svp_err *err)
{
    return user_query(s, "SELECT " USER_COLS " FROM app_user WHERE id = ?", NULL, id, out, err);
}

/* Runs one statement with text and integer parameters described by types ("t" text,
 * "i" int64) and returns the rows it changed in *changes (may be NULL). */
static int run(struct store *s, const char *sql, const char *types, const char *const *texts,
               const int64_t *nums, int64_t *changes, struct svp_err *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, sql, &st, err);
    if (rc)
        return rc;
    size_t ti = 0, ni = 0;
    for (int i = 0; types[i]; i++) {
        rc = types[i] == 't' ? store_bind_text(st, i + 1, texts[ti++], -1)
                             : store_bind_int64(st, i + 1, nums[ni++]);
        if (rc) {
            store_finalize(&st);
            return svp_err_set(err, rc, "cannot bind a value");
        }
    }
    rc = store_step(st, err);
    if (rc >= 0) {
        if (changes)
            *changes = store_changes(st);
        rc = SVP_OK;
    }
    store_finalize(&st);
    return rc;
}

int access_user_add(struct store *s, const struct access_user *actor, const char *username,
                    enum access_role role, const char *agency, const char *password,
                    bool one_time, int64_t *id, struct svp_err *err)
{
    int rc;
    if ((rc = access_username_check(username, err)) || (rc = access_agency_check(agency, err)) ||
        (rc = access_password_check(password, err)))
        return rc;
    if (!strcmp(access_role_name(role), "unknown"))
        return svp_err_at(err, SVP_EINPUT, "", 0, "role", "unknown role");
    struct access_user existing;
    rc = access_user_find(s, username, &existing, err);
    if (rc == SVP_OK)
        return svp_err_at(err, SVP_ECONFLICT, "", 0, "username",
                          "a user named '%s' already exists", username);
    if (rc != SVP_ENOTFOUND)
        return rc;
    char hash[crypto_pwhash_STRBYTES];
    if ((rc = hash_password(password, hash, err)))
        return rc;
    char now[24];
    access_now_iso(now, sizeof now);
    if ((rc = store_begin(s, err)))
        return rc;
    const char *texts[] = {username, access_role_name(role), agency, hash, now};
    const int64_t nums[] = {one_time ? 1 : 0};
    rc = run(s,
             "INSERT INTO app_user (username, role, agency, pw_hash, must_change, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?)",
             "ttttit", texts, nums, NULL, err);
    struct access_user u;
    if (!rc)
        rc = access_user_find(s, username, &u, err);
    char obj[64], detail[96];
    if (!rc) {
        snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
        snprintf(detail, sizeof detail, "added %s, %s", access_role_name(role), agency);
        rc = access_audit_in_tx(s, actor, "change", obj, NULL, detail, err);
    }
    if (!rc)
        rc = store_commit(s, err);
    if (rc) {
        store_rollback(s);
        return rc;
    }
    sodium_memzero(hash, sizeof hash);
    if (id)
        *id = u.id;
    return SVP_OK;
}

static int change_user(struct store *s, const struct access_user *actor, const char *username,
                       const char *sql, const char *types, const char *const *texts,
                       const int64_t *nums, const char *detail, struct svp_err *err)
{
    struct access_user u;
    int rc = access_user_find(s, username, &u, err);
    if (rc == SVP_ENOTFOUND)
        return svp_err_at(err, SVP_ENOTFOUND, "", 0, "username", "no user named '%s'", username);
    if (rc)
        return rc;
    if ((rc = store_begin(s, err)))
        return rc;
    const int64_t uid[] = {u.id};
    char obj[64];
    snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
    rc = run(s, sql, types, texts, nums, NULL, err);
    if (!rc)
        rc = run(s, "DELETE FROM app_session WHERE user_id = ?", "i", NULL, uid, NULL, err);
    if (!rc)
        rc = access_audit_in_tx(s, actor, "change", obj, NULL, detail, err);
    if (!rc)
        rc = store_commit(s, err);
    if (rc)
        store_rollback(s);
    return rc;
}

int access_user_set_disabled(struct store *s, const struct access_user *actor,
                             const char *username, bool disabled, struct svp_err *err)
{
    const char *texts[] = {username};
    const int64_t nums[] = {disabled ? 1 : 0};
    return change_user(s, actor, username, "UPDATE app_user SET disabled = ? WHERE username = ?",
                       "it", texts, nums, disabled ? "disabled" : "enabled", err);
}

int access_user_set_password(struct store *s, const struct access_user *actor,
                             const char *username, const char *password, bool one_time,
                             struct svp_err *err)
{
    int rc = access_password_check(password, err);
    if (rc)
        return rc;
    char hash[crypto_pwhash_STRBYTES];
    if ((rc = hash_password(password, hash, err)))
        return rc;
    const char *texts[] = {hash, username};
    const int64_t nums[] = {one_time ? 1 : 0};
    rc = change_user(s, actor, username,
                     "UPDATE app_user SET pw_hash = ?, must_change = ?, failed_logins = 0, "
                     "locked_until = 0 WHERE username = ?",
                     "tit", texts, nums, one_time ? "password reset" : "password changed", err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int access_user_list(struct store *s, struct access_user **out, size_t *n, struct svp_err *err)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "SELECT " USER_COLS " FROM app_user ORDER BY username", &st, err);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = store_step(st, err)) == STORE_ROW) {
        struct access_user *p = svp_grow(*out, &cap, *n + 1, sizeof *p, 16);
        if (!p) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory listing users");
            break;
        }
        *out = p;
        read_user(st, &(*out)[(*n)++]);
    }
    store_finalize(&st);
    if (rc < 0) {
        svp_free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    return SVP_OK;
}

int access_login(struct store *s, const char *username, const char *password, svp_time now,
                 struct access_user *out, struct svp_err *err)
{
    static const char refused[] = "wrong username or password, or the account is locked or "
                                  "disabled";
    if (sodium_init() < 0)
        return svp_err_set(err, SVP_EINTERNAL, "libsodium could not start");
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT " USER_COLS ", pw_hash, failed_logins FROM app_user "
                           "WHERE username = ?",
                           &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, username ? username : "", -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    }
    rc = store_step(st, err);
    if (rc < 0) {
        store_finalize(&st);
        return rc;
    }
    struct access_user u = {0};
    bool found = rc == STORE_ROW, ok = false;
    int64_t failures = 0;
    if (found) {
        read_user(st, &u);
        failures = store_column_int64(st, 9);
        const char *hash = store_column_text(st, 8);
        if (!hash) { /* pw_hash is NOT NULL: SQLite could not allocate the text */
            store_finalize(&st);
            return svp_err_set(err, SVP_ENOMEM, "out of memory reading the account");
        }
        bool locked = u.locked_until > now;
        /* The hash is checked even for a disabled or locked account, so that its answer
         * takes as long as any other. */
        bool match = hash && password &&
                     crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
        ok = match && !u.disabled && !locked;
    } else if (password) {
        /* Spend the same time on an unknown name, so timing does not tell names apart. */
        char dummy[crypto_pwhash_STRBYTES];
        (void)hash_password("not-a-real-password", dummy, err);
    }
    store_finalize(&st);
    struct access_user actor = u;
    if (!found) {
        svp_strlcpy(actor.username, username ? username : "", sizeof actor.username);
        if (access_username_check(actor.username, NULL))
            svp_strlcpy(actor.username, "(invalid name)", sizeof actor.username);
    }
    if ((rc = store_begin(s, err)))
        return rc;
    char obj[64];
    snprintf(obj, sizeof obj, "user:%lld", (long long)u.id);
    if (ok) {
        const int64_t nums[] = {u.id};
        rc = run(s, "/* svp: bookkeeping */ UPDATE app_user SET failed_logins = 0, locked_until = 0 "
                 "WHERE id = ?", "i",
                 NULL, nums, NULL, err);
        if (!rc)
            rc = access_audit_in_tx(s, &actor, "login", obj, NULL, "signed in", err);
    } else if (found) {
        failures++;
        /* No lock anyone could trigger: the count is kept for the administrator, and the
         * web server delays repeated failures per account and client address. */
        int64_t lock = 0;
        const int64_t nums[] = {failures, lock, lock, u.id};
        rc = run(s,
                 "/* svp: bookkeeping */ UPDATE app_user SET failed_logins = ?, "
                 "locked_until = CASE WHEN ? > 0 THEN ? "
                 "ELSE locked_until END WHERE id = ?",
                 "iiii", NULL, nums, NULL, err);
        if (!rc)
            rc = access_audit_in_tx(s, &actor, "login-failed", obj, NULL,
                                    lock ? "failed; account locked" : "failed", err);
    } else {
        actor.id = 0;
        rc = access_audit_in_tx(s, &actor, "login-failed", "user:unknown", NULL, "failed", err);
    }
    if (!rc)
        rc = store_commit(s, err);
    if (rc) {
        store_rollback(s);
        return rc;
    }
    if (!ok)
        return svp_err_set(err, SVP_EINPUT, "%s", refused);
    *out = u;
    return SVP_OK;
}

/* ------------------------------------------------------------------ sessions */

static void random_hex(char *out, size_t cap)
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2hex(out, cap, b, sizeof b);
}

int access_session_create(struct store *s, int64_t user_id, svp_time now, int64_t ttl,
                          struct access_session *out, struct svp_err *err)
{
    if (sodium_init() < 0)
        return svp_err_set(err, SVP_EINTERNAL, "libsodium could not start");
    memset(out, 0, sizeof *out);
    int rc = access_user_get(s, user_id, &out->user, err);
    if (rc)
        return rc;
    random_hex(out->token, sizeof out->token);
    random_hex(out->csrf, sizeof out->csrf);
    out->expires_at = now + ttl;
    char th[65];
    access_sha256_hex(out->token, strlen(out->token), th, sizeof th);
    const char *texts[] = {th, out->csrf};
    const int64_t nums[] = {user_id, now, out->expires_at, now};
    rc = run(s,
             "INSERT INTO app_session (token_hash, csrf, user_id, created_at, expires_at) "
             "VALUES (?, ?, ?, ?, ?)",
             "ttiii", texts, nums, NULL, err);
    if (!rc) /* sweep expired sessions while we are here */
        rc = run(s, "DELETE FROM app_session WHERE expires_at <= ?", "i", NULL, nums + 3, NULL,
                 err);
    return rc;
}

int access_session_find(struct store *s, const char *token, svp_time now,
                        struct access_session *out, struct svp_err *err)
{
    return access_session_find_idle(s, token, now, 0, out, err);
}

int access_session_find_idle(struct store *s, const char *token, svp_time now, int64_t idle,
                             struct access_session *out, struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    size_t n = token ? strlen(token) : 0;
    if (n != ACCESS_TOKEN_LEN)
        return svp_err_set(err, SVP_ENOTFOUND, "no such session");
    char th[65];
    access_sha256_hex(token, n, th, sizeof th);
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
                           "SELECT u.id, u.username, u.role, u.agency, u.must_change, u.disabled, "
                           "u.locked_until, u.created_at, s.csrf, s.expires_at, "
                           "s.created_at, s.last_seen "
                           "FROM app_session s JOIN app_user u ON u.id = s.user_id "
                           "WHERE s.token_hash = ?",
                           &st, err);
    if (rc)
        return rc;
    if (store_bind_text(st, 1, th, -1)) {
        store_finalize(&st);
        return svp_err_set(err, SVP_ENOMEM, "cannot bind a value");
    }
    rc = store_step(st, err);
    if (rc == STORE_ROW) {
        read_user(st, &out->user);
        svp_strlcpy(out->csrf, store_column_text(st, 8) ? store_column_text(st, 8) : "",
                    sizeof out->csrf);
        out->expires_at = store_column_int64(st, 9);
        int64_t last = store_column_int64(st, 10);
        if (store_column_int64(st, 11) > last)
            last = store_column_int64(st, 11);
        if (out->expires_at <= now || out->user.disabled)
            rc = svp_err_set(err, SVP_ENOTFOUND, "the session has expired");
        else if (idle > 0 && now - last > idle)
            rc = svp_err_set(err, SVP_ENOTFOUND, "the session was idle too long; sign in again");
        else
            rc = now - last >= 60 ? 1 : SVP_OK; /* 1: note the use (at most once a minute) */
    } else if (rc == STORE_DONE) {
        rc = svp_err_set(err, SVP_ENOTFOUND, "no such session");
    }
    store_finalize(&st);
    if (rc == 1) {
        const char *texts[] = {th};
        const int64_t nums[] = {(int64_t)now};
        struct svp_err werr;
        /* A busy database only delays the note to a later request. */
        if (run(s, "UPDATE app_session SET last_seen = ? WHERE token_hash = ?", "it", texts, nums,
                NULL, &werr))
            svp_log(SVP_LOG_DEBUG, "access: session use not noted: %s", werr.msg);
        rc = SVP_OK;
    }
    return rc;
}

int access_session_end(struct store *s, const char *token, struct svp_err *err)
{
    if (!token)
        return SVP_OK;
    char th[65];
    access_sha256_hex(token, strlen(token), th, sizeof th);
    const char *texts[] = {th};
    return run(s, "DELETE FROM app_session WHERE token_hash = ?", "t", texts, NULL, NULL, err);
}

bool access_csrf_ok(const struct access_session *sess, const char *presented)
{
    if (!presented || strlen(presented) != ACCESS_TOKEN_LEN || strlen(sess->csrf) != ACCESS_TOKEN_LEN)
        return false;
    return sodium_memcmp(sess->csrf, presented, ACCESS_TOKEN_LEN) == 0;
}
