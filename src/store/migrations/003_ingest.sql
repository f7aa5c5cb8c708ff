-- Ingest amendments to the canonical model (docs/model.md): the kind of a place, a record's
-- source-specific fields, the split of accepted rows, and the history of changed events.
ALTER TABLE place ADD COLUMN kind TEXT;
ALTER TABLE record ADD COLUMN detail TEXT;
ALTER TABLE source_file ADD COLUMN rows_new BIGINT NOT NULL DEFAULT 0;
ALTER TABLE source_file ADD COLUMN rows_updated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE source_file ADD COLUMN rows_unchanged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE source_file ADD COLUMN encoding TEXT;

-- Earlier versions of an event replaced by a later extract (incremental import).
CREATE TABLE event_history (
    id {{ID}},
    event_id BIGINT NOT NULL REFERENCES event(id),
    file_id BIGINT REFERENCES source_file(id),
    line BIGINT,
    changed_at TEXT NOT NULL,
    previous TEXT NOT NULL           -- JSON object of the replaced values
);
CREATE INDEX record_history_record ON record_history(record_id);
CREATE INDEX event_history_event ON event_history(event_id);
CREATE INDEX relationship_event ON relationship(event_id);
