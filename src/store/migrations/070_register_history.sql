-- The history of every register entry: each add and update keeps the entry's fields as
-- they then were, with who made the change and when (the registers room writes it in the
-- same transaction as the change). The browser's history view and `svp register show
-- --history` read it.
CREATE TABLE register_history (
    id {{ID}},
    entry_id BIGINT NOT NULL REFERENCES register_entry(id),
    register TEXT NOT NULL,
    ref TEXT NOT NULL,
    change TEXT NOT NULL,            -- added | updated
    data TEXT NOT NULL,              -- JSON object: field -> text value, after the change
    changed_by TEXT NOT NULL,        -- the user (web), "command line" or "import FILE"
    changed_at TEXT NOT NULL
);
CREATE INDEX register_history_entry ON register_history(entry_id);
