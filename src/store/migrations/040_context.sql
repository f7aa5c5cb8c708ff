-- The contexts room (src/context/): the postcode lookup a partnership imports with
-- `svp context postcodes import FILE`, so that places an agency gave only a postcode for
-- can be put on the map and in a community area.
CREATE TABLE context_postcode (
    postcode TEXT PRIMARY KEY,       -- canonical form, e.g. 'SN15 1AB'
    lat {{REAL}} NOT NULL,           -- WGS84 decimal degrees
    lon {{REAL}} NOT NULL,
    area TEXT NOT NULL,              -- community area (name, or code as the file gives it)
    in_county BIGINT NOT NULL DEFAULT 1 -- 0: a postcode outside the county (area OUT)
);
CREATE INDEX context_postcode_area ON context_postcode(area);
