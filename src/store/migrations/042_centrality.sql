-- Centrality of the association network (issue 22, item 3), computed once per data version
-- and stored: `svp context run` writes it; groups,
-- perpetrators and pages read it while the data version and the graph are the ones it was
-- computed for (src/context/centrality.c). Derived data: writing it is not a change to the
-- data (src/store/version.c counts these tables as bookkeeping).
CREATE TABLE context_centrality_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data_version BIGINT NOT NULL,     -- the data version the values were computed at
    graph TEXT NOT NULL,              -- a fingerprint of the graph (nodes, links, weights)
    nodes BIGINT NOT NULL,            -- rows in context_centrality
    computed_at TEXT NOT NULL
);
INSERT INTO context_centrality_state (id, data_version, graph, nodes, computed_at)
    VALUES (1, 0, '', 0, '');
-- One row per linked node of the graph, by its place in the graph (its person, else its
-- record, kept for a reader).
CREATE TABLE context_centrality (
    node BIGINT PRIMARY KEY,
    person_id BIGINT NOT NULL,
    record_id BIGINT NOT NULL,
    betweenness {{REAL}} NOT NULL,    -- shortest chains of up to 4 links through the node
    strength {{REAL}} NOT NULL        -- the sum of its links' weights
);
