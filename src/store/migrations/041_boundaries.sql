-- Area boundaries for the hotspot map (`svp context boundaries import FILE.geojson`): wards,
-- LSOAs or police beats with their names, drawn and labelled in the browser with nothing
-- fetched from outside.
CREATE TABLE context_boundary (
    code TEXT NOT NULL,              -- the area's code (ONS WD23CD, LSOA21CD) or its name
    name TEXT NOT NULL,              -- drawn on the map
    kind TEXT NOT NULL,              -- ward, lsoa, beat, area: an import replaces one kind
    geometry TEXT NOT NULL,          -- GeoJSON Polygon or MultiPolygon, WGS84 lon/lat
    label_lat {{REAL}} NOT NULL,     -- where the name goes: inside the largest polygon
    label_lon {{REAL}} NOT NULL,
    PRIMARY KEY (kind, code)
);
