-- svp's own settings and facts about this database (key/value).
CREATE TABLE svp_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
