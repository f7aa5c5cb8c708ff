-- The same imports give the same ids on both back ends (issue 22). SQLite numbers a new row
-- one after the highest id there is; PostgreSQL's identity columns took numbers from a
-- sequence, which an upsert that found its row (INSERT ... ON CONFLICT DO NOTHING) used up
-- all the same, so a source's later files numbered their rows differently. Here the tables
-- an import writes number their rows as SQLite does. The advisory lock (one for all of them,
-- held to the end of the transaction) keeps two writers from taking the same number, as
-- SQLite's one writer at a time does; an import that reserves ids ahead
-- (src/ingest/rels.c) locks the table itself.
{{PG}}
ALTER TABLE source_file ALTER COLUMN id DROP IDENTITY IF EXISTS;
ALTER TABLE record ALTER COLUMN id DROP IDENTITY IF EXISTS;
ALTER TABLE record_history ALTER COLUMN id DROP IDENTITY IF EXISTS;
ALTER TABLE place ALTER COLUMN id DROP IDENTITY IF EXISTS;
ALTER TABLE event ALTER COLUMN id DROP IDENTITY IF EXISTS;
ALTER TABLE event_history ALTER COLUMN id DROP IDENTITY IF EXISTS;
ALTER TABLE relationship ALTER COLUMN id DROP IDENTITY IF EXISTS;
CREATE FUNCTION svp_next_source_file_id() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT pg_advisory_xact_lock(22006); SELECT COALESCE(MAX(id), 0) + 1 FROM source_file $$;
CREATE FUNCTION svp_next_record_id() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT pg_advisory_xact_lock(22006); SELECT COALESCE(MAX(id), 0) + 1 FROM record $$;
CREATE FUNCTION svp_next_record_history_id() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT pg_advisory_xact_lock(22006); SELECT COALESCE(MAX(id), 0) + 1 FROM record_history $$;
CREATE FUNCTION svp_next_place_id() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT pg_advisory_xact_lock(22006); SELECT COALESCE(MAX(id), 0) + 1 FROM place $$;
CREATE FUNCTION svp_next_event_id() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT pg_advisory_xact_lock(22006); SELECT COALESCE(MAX(id), 0) + 1 FROM event $$;
CREATE FUNCTION svp_next_event_history_id() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT pg_advisory_xact_lock(22006); SELECT COALESCE(MAX(id), 0) + 1 FROM event_history $$;
CREATE FUNCTION svp_next_relationship_id() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT pg_advisory_xact_lock(22006); SELECT COALESCE(MAX(id), 0) + 1 FROM relationship $$;
ALTER TABLE source_file ALTER COLUMN id SET DEFAULT svp_next_source_file_id();
ALTER TABLE record ALTER COLUMN id SET DEFAULT svp_next_record_id();
ALTER TABLE record_history ALTER COLUMN id SET DEFAULT svp_next_record_history_id();
ALTER TABLE place ALTER COLUMN id SET DEFAULT svp_next_place_id();
ALTER TABLE event ALTER COLUMN id SET DEFAULT svp_next_event_id();
ALTER TABLE event_history ALTER COLUMN id SET DEFAULT svp_next_event_history_id();
ALTER TABLE relationship ALTER COLUMN id SET DEFAULT svp_next_relationship_id();
{{/PG}}
