-- "Found with" and other free-text mentions of people (a profile's `mentions` step keeps
-- them in an event's detail as {"names": [...], "codes": [...]}), resolved to persons by
-- the link room where a name plus age or area singles one out (link.h,
-- link_mentions_resolve). Rewritten by every link run. status: 'resolved' (person_id or,
-- for a record not yet linked, record_id set), 'ambiguous' (several persons fit as well),
-- 'unresolved' (none fits: the mention is kept as written).
CREATE TABLE link_mention (
    id {{ID}},
    event_id BIGINT NOT NULL REFERENCES event(id),
    name TEXT NOT NULL,              -- as written in the extract
    status TEXT NOT NULL,
    person_id BIGINT,                -- the person it names, when resolved
    record_id BIGINT REFERENCES record(id), -- the record that matched best, when resolved
    confidence {{REAL}} NOT NULL,    -- 0..1 (0 when not resolved)
    basis TEXT NOT NULL,             -- what agreed ('name+age+area', 'name+area' ...) or why not
    candidates BIGINT NOT NULL       -- persons whose name fits
);
CREATE INDEX link_mention_event ON link_mention(event_id);
CREATE INDEX link_mention_person ON link_mention(person_id);
