-- The data version: one row whose number goes up in the same transaction as every write
-- that changes what pages show (imports, links, panels, registers, clocks, contexts,
-- accounts...; not sessions or the audit trail). The store bumps it at commit
-- (src/store/version.c); the web server reads this one row instead of counting tables to
-- know when what it has built is out of date.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);
