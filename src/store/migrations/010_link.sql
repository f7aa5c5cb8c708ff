-- Identity resolution (the link room). See src/link/link.h.

-- The Fellegi-Sunter model a run used: m and u per comparison level, the prior, and the
-- name frequencies for term-frequency adjustment (text, one setting a line). The newest
-- row is the model in force; re-linking reuses it so incremental and full runs agree.
CREATE TABLE link_model (
    id {{ID}},
    created_at TEXT NOT NULL,
    records BIGINT NOT NULL,
    body TEXT NOT NULL
);

-- Candidate pairs scored at or above the review floor (record_a < record_b), kept so that
-- an incremental run only re-scores new and changed records.
CREATE TABLE link_pair (
    record_a BIGINT NOT NULL REFERENCES record(id),
    record_b BIGINT NOT NULL REFERENCES record(id),
    probability {{REAL}} NOT NULL,
    weight {{REAL}} NOT NULL,        -- match weight (log2 odds); orders joins
    PRIMARY KEY (record_a, record_b)
);
CREATE INDEX link_pair_b ON link_pair(record_b);

-- A reviewer's decision on a pair (record_a < record_b): same = 1 confirms they are one
-- person, 0 rejects. Decisions override the model on every later run.
CREATE TABLE link_decision (
    record_a BIGINT NOT NULL REFERENCES record(id),
    record_b BIGINT NOT NULL REFERENCES record(id),
    same BIGINT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (record_a, record_b)
);

-- What the last run saw of each record: a fingerprint of the linked fields (a changed
-- fingerprint makes the record "changed" for the next incremental run) and why a record
-- can link only weakly or not at all ('' when it has enough).
CREATE TABLE link_state (
    record_id BIGINT PRIMARY KEY REFERENCES record(id),
    fingerprint TEXT NOT NULL,
    reason TEXT NOT NULL
);
