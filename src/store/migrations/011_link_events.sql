-- Persons joined or split by a link run, with the reason (the link room; see link.h).
-- kind 'merge': the records of other_person_id now belong to person_id (other_person_id is
-- gone); kind 'split': some records of other_person_id (which stays) now form or join
-- person_id. records counts the records that moved.
CREATE TABLE link_event (
    id {{ID}},
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    person_id BIGINT NOT NULL,
    other_person_id BIGINT NOT NULL,
    records BIGINT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX link_event_person ON link_event(person_id);
CREATE INDEX link_event_other ON link_event(other_person_id);
