-- The canonical model: what partner agencies told us, as they told it, with provenance.
-- Described in docs/model.md. Owned by the ingest room; read by link, risk, context, clock.

-- One imported extract file. Re-importing identical bytes from the same source is a no-op.
CREATE TABLE source_file (
    id {{ID}},
    source TEXT NOT NULL,            -- the profile that read it, e.g. 'police-missing'
    agency TEXT NOT NULL,            -- csc, police, health, education, yjs, rhi
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows_read BIGINT NOT NULL DEFAULT 0,
    rows_accepted BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    UNIQUE (source, sha256)
);

-- A person as one agency records them (persons-as-recorded): one row per agency record.
CREATE TABLE record (
    id {{ID}},
    source TEXT NOT NULL,
    agency TEXT NOT NULL,
    agency_record_id TEXT NOT NULL,  -- the agency's own person identifier
    given_name TEXT,
    middle_names TEXT,
    family_name TEXT,
    dob TEXT,                        -- ISO 8601 date
    sex TEXT,                        -- M, F, X (other), U (unknown)
    ethnicity TEXT,                  -- ONS 2021 code, e.g. WBRI
    postcode TEXT,
    address TEXT,
    area TEXT,                       -- community area
    role TEXT NOT NULL DEFAULT 'child', -- child, adult
    norm_given TEXT,                 -- svp_name_normalise() of the name fields
    norm_family TEXT,
    file_id BIGINT REFERENCES source_file(id),
    line BIGINT,
    content_hash TEXT,
    updated_at TEXT,
    UNIQUE (source, agency_record_id)
);

-- Earlier versions of a record replaced by a later extract (incremental import).
CREATE TABLE record_history (
    id {{ID}},
    record_id BIGINT NOT NULL REFERENCES record(id),
    file_id BIGINT REFERENCES source_file(id),
    line BIGINT,
    changed_at TEXT NOT NULL,
    previous TEXT NOT NULL           -- JSON object of the replaced values
);

-- A place with coordinates (WGS84) and community area.
CREATE TABLE place (
    id {{ID}},
    place_key TEXT NOT NULL UNIQUE,  -- normalised name and postcode
    name TEXT,
    postcode TEXT,
    lat {{REAL}},
    lon {{REAL}},
    area TEXT,
    in_county BIGINT NOT NULL DEFAULT 1
);

-- Something an agency recorded about a person (typed; see docs/model.md for the types).
CREATE TABLE event (
    id {{ID}},
    source TEXT NOT NULL,
    agency TEXT NOT NULL,
    agency_event_id TEXT NOT NULL,   -- the agency's own id of the row
    record_id BIGINT NOT NULL REFERENCES record(id),
    type TEXT NOT NULL,              -- missing_episode, return_interview, referral, ...
    subtype TEXT,                    -- e.g. role (victim, suspect), ED reason
    started_at TEXT NOT NULL,        -- ISO 8601 date or date-time (UTC)
    ended_at TEXT,
    place_id BIGINT REFERENCES place(id),
    detail TEXT,                     -- JSON object of type-specific fields
    file_id BIGINT REFERENCES source_file(id),
    line BIGINT,
    content_hash TEXT,
    UNIQUE (source, agency_event_id)
);
CREATE INDEX event_record ON event(record_id);
CREATE INDEX event_type_time ON event(type, started_at);

-- A relationship an agency recorded between two persons-as-recorded.
CREATE TABLE relationship (
    id {{ID}},
    source TEXT NOT NULL,
    agency TEXT NOT NULL,
    kind TEXT NOT NULL,              -- found_with, household_member, associate, co_involved
    record_a BIGINT NOT NULL REFERENCES record(id),
    record_b BIGINT NOT NULL REFERENCES record(id),
    event_id BIGINT REFERENCES event(id),
    file_id BIGINT REFERENCES source_file(id),
    line BIGINT
);
CREATE INDEX relationship_a ON relationship(record_a);
CREATE INDEX relationship_b ON relationship(record_b);

-- A linked person: one real individual across agencies (written by the link room).
CREATE TABLE person (
    id {{ID}},
    created_at TEXT NOT NULL
);

CREATE TABLE person_record (
    record_id BIGINT PRIMARY KEY REFERENCES record(id),
    person_id BIGINT NOT NULL REFERENCES person(id),
    probability {{REAL}}             -- match probability that joined it; NULL for the first
);
CREATE INDEX person_record_person ON person_record(person_id);
