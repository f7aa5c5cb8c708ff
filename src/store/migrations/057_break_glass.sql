-- Break glass (src/access): urgent access to a person beyond the sharing rules, by one user,
-- for a reason from the list (data/break-glass.csv) and in their own words, until
-- expires_at (seconds since 1970). Every use is audited and listed for the auditor.
CREATE TABLE break_glass (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES app_user(id),
    person_id BIGINT NOT NULL,       -- a person, or an unlinked record (kind 'R')
    kind TEXT NOT NULL DEFAULT 'P',
    reason TEXT NOT NULL,
    reason_text TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX break_glass_user ON break_glass(user_id, person_id);
