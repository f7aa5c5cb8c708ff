-- Vulnerability Tracker (src/risk/): saved panels. `svp panel save` keeps a dated snapshot
-- of the list (every child in band medium or above) with the reasons behind each score, so
-- the next panel can show who is new, up, down or has left, and a past list can be
-- explained exactly as it was. Person ids are not foreign keys: a snapshot outlives a
-- re-run of linking, and in unlinked mode they are record ids.
CREATE TABLE risk_snapshot (
    id {{ID}},
    saved_at TEXT NOT NULL,          -- date saved
    as_of TEXT NOT NULL,             -- the scoring date
    weights TEXT NOT NULL,           -- where the weights came from
    children BIGINT NOT NULL,
    scored BIGINT NOT NULL,
    listed BIGINT NOT NULL
);

CREATE TABLE risk_snapshot_person (
    snapshot_id BIGINT NOT NULL REFERENCES risk_snapshot(id),
    person_id BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    score {{REAL}} NOT NULL,
    band TEXT NOT NULL,
    age BIGINT,
    area TEXT,
    PRIMARY KEY (snapshot_id, person_id)
);

-- One row per reason: the points one source record gave (docs/indicators.md).
CREATE TABLE risk_snapshot_reason (
    id {{ID}},
    snapshot_id BIGINT NOT NULL REFERENCES risk_snapshot(id),
    person_id BIGINT NOT NULL,
    indicator TEXT NOT NULL,
    points {{REAL}} NOT NULL,
    day TEXT NOT NULL,
    agency TEXT NOT NULL,
    event_id BIGINT,
    relationship_id BIGINT,
    record_id BIGINT,
    other_person_id BIGINT
);
CREATE INDEX risk_snapshot_reason_person ON risk_snapshot_reason(snapshot_id, person_id);
