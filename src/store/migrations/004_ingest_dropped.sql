-- Values an import dropped while keeping their row (an unusable date of birth: the record
-- is kept without it, docs/profiles.md), counted apart from rows rejected whole.
ALTER TABLE source_file ADD COLUMN values_dropped BIGINT NOT NULL DEFAULT 0;
