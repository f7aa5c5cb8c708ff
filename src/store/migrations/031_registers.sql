-- The registers room's one generic table: every entry of every register (case reviews,
-- learning recommendations, actions, evidence of impact, and later the risk register,
-- challenge log and training) is a row here; its fields are a JSON object described by
-- the register's schema in src/registers/schemas.c, which validates every write.
CREATE TABLE register_entry (
    id {{ID}},
    register TEXT NOT NULL,          -- schema name: review, recommendation, action, evidence
    ref TEXT NOT NULL,               -- the partnership's reference, e.g. RR-2021-03 or RR-2021-03/R1
    parent_id BIGINT REFERENCES register_entry(id),
    data TEXT NOT NULL,              -- JSON object: field -> text value
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (register, ref)
);
CREATE INDEX register_entry_parent ON register_entry(parent_id);
