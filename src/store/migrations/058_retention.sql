-- Retention (src/access/retention.c, docs/retention.md): rows a retention rule whose action
-- is "archive" took out of the live model, kept as they were (a JSON object per row) with
-- the rule that moved them. Nothing here is shown on any page; rows a "delete" rule took
-- are not kept anywhere.
CREATE TABLE retention_archive (
    id {{ID}},
    archived_at TEXT NOT NULL,
    rule TEXT NOT NULL,              -- source, action and years, e.g. 'police-niche archive 6'
    table_name TEXT NOT NULL,        -- record, event, relationship, ...
    body TEXT NOT NULL               -- JSON object of the row
);
CREATE INDEX retention_archive_rule ON retention_archive(rule);
