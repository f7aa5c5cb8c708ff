-- Bank holidays imported from gov.uk's bank-holidays.json (`svp calendar import`). When this
-- table has rows they are the calendar in use instead of the embedded data/bank-holidays.csv.
-- Owned by the clock room. Deadlines are computed from it when asked for, never stored, so
-- an import changes every open deadline at once.
CREATE TABLE calendar_holiday (
    day TEXT PRIMARY KEY,            -- ISO 8601 date
    title TEXT NOT NULL,
    source TEXT NOT NULL,            -- 'embedded' or the imported file's name
    imported_at TEXT NOT NULL
);
