-- Accounts, sessions, sharing and the audit trail (src/access). Owned by the access room.

-- A person who signs in to svp. Passwords are argon2id hashes (libsodium crypto_pwhash_str);
-- the plain password is never stored. role: administrator, analyst, panel, practitioner,
-- auditor. agency: the partner agency the user works for (csc, police, health, education,
-- yjs, rhi) or 'partnership' for the partnership's own staff.
CREATE TABLE app_user (
    id {{ID}},
    username TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    agency TEXT NOT NULL,
    pw_hash TEXT NOT NULL,
    must_change BIGINT NOT NULL DEFAULT 1,   -- a one-time password must be changed first
    disabled BIGINT NOT NULL DEFAULT 0,
    failed_logins BIGINT NOT NULL DEFAULT 0, -- consecutive failures since the last success
    locked_until BIGINT NOT NULL DEFAULT 0,  -- seconds since 1970; 0 when not locked
    created_at TEXT NOT NULL
);

-- A signed-in browser. Only a hash of the session token is kept, so a copy of the database
-- cannot be used to sign in.
CREATE TABLE app_session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX app_session_user ON app_session(user_id);

-- A person shared with an agency that holds no record of them (e.g. through the panel
-- list), so that agency's practitioners may see them. Written by the rooms that share.
CREATE TABLE person_share (
    person_id BIGINT NOT NULL REFERENCES person(id),
    agency TEXT NOT NULL,
    reason TEXT NOT NULL,
    shared_at TEXT NOT NULL,
    PRIMARY KEY (person_id, agency)
);

-- Every view, search, export and change of personal data: who, when, what and why. Each
-- entry's hash covers the previous entry's hash and its own fields, so editing or removing a
-- row breaks the chain (svp audit verify). prev_hash is unique: two writers that read the
-- same last entry cannot both append, so the chain never forks.
CREATE TABLE audit_log (
    id {{ID}},
    at TEXT NOT NULL,
    user_id BIGINT NOT NULL DEFAULT 0,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log(user_id);
