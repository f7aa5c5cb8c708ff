-- The triage room's own records (src/triage/): what people decide about domestic abuse
-- incidents. The incidents themselves are events (docs/model.md, da_incident); these
-- tables refer to them by the incident's row id, which survives re-imports.

-- An action set at the daily conference call, carried to later calls until done.
CREATE TABLE da_action (
    id {{ID}},
    incident_ref TEXT NOT NULL,      -- the incident's row id, e.g. DA/16/000123
    agency TEXT NOT NULL,            -- agency code (docs/model.md) that owns the action
    action TEXT NOT NULL,
    owner TEXT NOT NULL,             -- the person or team responsible
    due TEXT NOT NULL,               -- YYYY-MM-DD
    set_on TEXT NOT NULL,            -- the call's day, YYYY-MM-DD
    done_on TEXT,                    -- YYYY-MM-DD; NULL while open
    created_at TEXT NOT NULL
);
CREATE INDEX da_action_incident ON da_action(incident_ref);

-- A DASH completed in svp (by an IDVA, adult social care, a health worker...), keyed by
-- question id; it replaces the police extract's answers for the incident when later.
CREATE TABLE da_assessment (
    id {{ID}},
    incident_ref TEXT NOT NULL,
    form TEXT NOT NULL,              -- ric, police, care
    assessed_on TEXT NOT NULL,       -- YYYY-MM-DD
    agency TEXT NOT NULL,
    answers TEXT NOT NULL,           -- JSON object: question id -> yes, no, not_known, not_asked
    judged TEXT NOT NULL,            -- the assessor's level: standard, medium, high
    reason TEXT,                     -- required for high by professional judgement
    yes_count BIGINT NOT NULL,
    level TEXT NOT NULL,             -- as triage_dash_assess worked it out when recorded
    created_at TEXT NOT NULL
);
CREATE INDEX da_assessment_incident ON da_assessment(incident_ref);

-- Operation Encompass: when a child's school was told about an incident.
CREATE TABLE da_encompass (
    id {{ID}},
    incident_ref TEXT NOT NULL,
    child_ref TEXT NOT NULL,         -- the child's agency id as the incident records it
    notified_at TEXT NOT NULL,       -- YYYY-MM-DDTHH:MM:SSZ (UK wall clock, as events)
    created_at TEXT NOT NULL,
    UNIQUE (incident_ref, child_ref)
);
