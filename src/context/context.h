/*
 * context: the door of svp's contexts room.
 *
 * Contextual safeguarding looks at the places and peer groups where harm happens, not only
 * at the child (issue 7; the partnership's plan: "map hotspots, trends and risks in missing
 * episodes ... target criminal activity involving children including county lines").
 *
 * The room reads the canonical model (docs/model.md: place, event, record, relationship,
 * person_record) once into memory (context_load) and computes from that snapshot:
 *   - places: every place normalised to coordinates and a community area, by its own
 *     coordinates or by the partnership's postcode lookup (context_postcode table);
 *   - hotspots: Getis-Ord Gi* on a square grid and on community areas, with p-values and a
 *     Benjamini-Hochberg false discovery rate, and a quartic kernel density for maps;
 *   - trends: monthly counts per area and event kind, change against the same months a year
 *     earlier with an exact conditional (binomial) test;
 *   - networks: a weighted graph of children and adults from co-occurrence, communities
 *     (Louvain, igraph_community_multilevel) and centrality (igraph betweenness, strength),
 *     possible perpetrators (adults linked to several children at risk) with their links;
 *   - county-lines routes: missing children found out of the county, from area to place;
 *   - profiles: one page of text about a place, an area or a peer group.
 * Every output a person or the web application sees is made here (text, JSON, GeoJSON,
 * GraphML) so that the CLI and the web show the same numbers.
 */
#ifndef SVP_CONTEXT_H
#define SVP_CONTEXT_H

#include <jansson.h>

#include "base/base.h"
#include "store/store.h"

/* ------------------------------------------------------------------ statistics (pure) */

/* Getis-Ord Gi* for n units with values x[0..n) and binary weights: unit i's neighbourhood
 * is nb[nb_start[i] .. nb_start[i+1]) and must include i itself (that is what the star
 * means). Writes the z-score of each unit into z (borrowed, n entries):
 *   Gi* = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n S1_i - W_i^2) / (n - 1)))
 * with xbar the mean, S = sqrt(sum x^2 / n - xbar^2), W_i = S1_i = neighbourhood size.
 * All z are 0 when every value is the same (S = 0) or n < 2. Returns 0, or SVP_EINPUT when
 * a neighbour index is out of range. */
int context_gistar(size_t n, const double *x, const size_t *nb_start, const size_t *nb, double *z,
                   struct svp_err *err) SVP_WUR;

/* Two-sided p-value of a standard normal z. */
double context_normal_p2(double z);

/* Benjamini-Hochberg adjusted p-values (q) of p[0..n) into q (borrowed; may alias p). */
int context_fdr_bh(size_t n, const double *p, double *q) SVP_WUR;

/* One-sided exact p-value that a count a is this high or higher when a + b events split
 * evenly between two equal periods: P(X >= a), X ~ Binomial(a + b, 1/2). This is the
 * conditional test for two Poisson counts with equal exposure. */
double context_binomial_rise_p(long a, long b);

/* Communities of an undirected weighted graph with igraph's multilevel (Louvain) method,
 * seeded so that the same graph gives the same answer. from/to/w have nedges entries (w
 * may be NULL for weight 1). resolution is the modularity resolution (0: 1, the classic
 * modularity; higher finds smaller communities). membership (borrowed, nnodes entries)
 * receives community numbers 0.. ordered by first member; *modularity the partition's
 * modularity at that resolution. An isolated node is a community of its own; a graph with
 * no edges gives each node its own community and modularity 0. Returns 0, SVP_EINPUT (bad
 * node index, weight <= 0, resolution < 0), SVP_ENOMEM. */
int context_communities(size_t nnodes, size_t nedges, const int *from, const int *to,
                        const double *w, double resolution, int *membership, double *modularity,
                        struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ postcode lookup */

struct context_import_report {
    long rows;     /* data rows read */
    long imported; /* inserted or replaced */
    long rejected; /* bad rows, each reported through the callback */
};

/* Called for each bad row of a lookup file: line number and why (never the row's text). */
typedef void (*context_bad_row_fn)(void *arg, long line, const char *why);

/* Parses a postcode lookup CSV (borrows data). The header must name the columns postcode,
 * lat (or latitude), lon (or longitude, lng) and area (or community_area, area_code), in
 * any order. An area of OUT (any case) marks a postcode outside the county. Calls row_fn
 * for every good row with the canonical postcode ("SN15 1AB"), WGS84 coordinates, the area
 * and whether it is in the county; bad rows (no such postcode shape, coordinates not
 * numbers or outside -90..90 / -180..180, empty area) go to bad_fn. Returns 0, or
 * SVP_EINPUT when the header is missing a column or the CSV cannot be read (err names the
 * line), or what row_fn returned. */
int context_postcodes_parse(const char *data, size_t len, const char *name,
                            int (*row_fn)(void *arg, const char *postcode, double lat, double lon,
                                          const char *area, bool in_county),
                            context_bad_row_fn bad_fn, void *arg, struct context_import_report *rep,
                            struct svp_err *err) SVP_WUR;

/* The ONS Postcode Directory's layout (ONSPD, the ONS's CSV of every UK postcode with its
 * coordinates and geography codes): a header with pcds, lat, long and dozens of code
 * columns. The area is the code in area_column (NULL: osward, the electoral ward; lsoa21,
 * msoa21 and the like work too, and an areas file names the codes); a row is in the county
 * when in_county (a comma list of codes, e.g. the partnership's local authorities) holds
 * its county_column's code (NULL: oslaua), or always when in_county is NULL. Postcodes
 * without a grid reference (lat 99.999999) are rejected as bad rows. */
struct context_postcode_layout {
    const char *area_column;
    const char *county_column;
    const char *in_county;
};

/* As context_postcodes_parse, with the layout given (NULL: the plain layout, or ONSPD's
 * defaults when the header has pcds and no area column). */
int context_postcodes_parse_layout(const char *data, size_t len, const char *name,
                                   const struct context_postcode_layout *layout,
                                   int (*row_fn)(void *arg, const char *postcode, double lat,
                                                 double lon, const char *area, bool in_county),
                                   context_bad_row_fn bad_fn, void *arg,
                                   struct context_import_report *rep, struct svp_err *err) SVP_WUR;

/* Imports a postcode lookup file into context_postcode in one transaction (a postcode
 * already known is replaced). areas_path (NULL for none) names an areas file with columns
 * area_code and name: a lookup that gives area codes then stores the areas' names, so that
 * they match the names agencies record. Bad rows are counted and reported through bad_fn;
 * good rows are kept. Returns 0, SVP_EIO (cannot read a file), SVP_EINPUT (bad header, or a
 * code the areas file does not know), SVP_EDB. */
int context_postcodes_import(struct store *s, const char *path, const char *areas_path,
                             context_bad_row_fn bad_fn, void *arg,
                             struct context_import_report *rep, struct svp_err *err) SVP_WUR;
/* As context_postcodes_import, in the layout given (NULL as context_postcodes_parse_layout). */
int context_postcodes_import_layout(struct store *s, const char *path, const char *areas_path,
                                    const struct context_postcode_layout *layout,
                                    context_bad_row_fn bad_fn, void *arg,
                                    struct context_import_report *rep,
                                    struct svp_err *err) SVP_WUR;

/* Writes a postcode in canonical form (upper case, one space before the 3-character inward
 * code) into out (cap >= 9). Returns false if s is not shaped like a UK postcode. */
bool context_postcode_canonical(const char *s, char *out, size_t cap);

/* ------------------------------------------------------------------ area boundaries */

/* Area boundaries (wards, LSOAs, police beats) for the map: a GeoJSON FeatureCollection
 * (RFC 7946, WGS84 longitude and latitude) of Polygon or MultiPolygon features, each with a
 * name and a code in its properties. */
struct context_boundary_opts {
    const char *kind;       /* what the areas are: lower-case letters, digits, _; NULL: "area" */
    const char *name_field; /* property naming the area; NULL: "name", else one ending NM
                               (ONS files: WD23NM, LSOA21NM) */
    const char *code_field; /* property holding its code; NULL: "code", else one ending CD,
                               else the feature's id, else the name */
};

struct context_boundary {
    const char *code, *name, *kind;
    json_t *geometry;           /* borrowed: the feature's Polygon or MultiPolygon */
    double label_lat, label_lon; /* where its name is drawn: inside its largest polygon */
};

/* Parses a boundaries document (borrows data; file names it in messages). Every feature is
 * checked first; each bad one (not a Feature, no name, a geometry that is not a closed
 * polygon in longitude and latitude, a code given twice) is reported through bad_fn with
 * its number (1-based) and a reason naming it, and then nothing is passed on: SVP_EINPUT.
 * Otherwise fn gets every feature in order. SVP_EINPUT also for a document that is not JSON
 * or not a FeatureCollection (err names the line), SVP_ENOMEM, or what fn returned. */
int context_boundaries_parse(const char *data, size_t len, const char *file,
                             const struct context_boundary_opts *o,
                             int (*fn)(void *arg, const struct context_boundary *b),
                             context_bad_row_fn bad_fn, void *arg,
                             struct context_import_report *rep, struct svp_err *err) SVP_WUR;

/* Imports a boundaries file into context_boundary in one transaction, replacing the areas of
 * the same kind (a new ward file replaces the old wards). Nothing changes when a feature is
 * bad. SVP_EIO (cannot read the file), SVP_EINPUT, SVP_EDB. */
int context_boundaries_import(struct store *s, const char *path,
                              const struct context_boundary_opts *o, context_bad_row_fn bad_fn,
                              void *arg, struct context_import_report *rep,
                              struct svp_err *err) SVP_WUR;

/* Every stored boundary as a GeoJSON FeatureCollection (properties code, name, kind and
 * label, [lon, lat]), by kind and name. Owned *out. SVP_EDB, SVP_ENOMEM. */
int context_boundaries_json(struct store *s, json_t **out, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ the snapshot */

/* How a place came by its location. */
enum context_place_status {
    CONTEXT_PLACE_LOCATED,     /* its own coordinates, inside the county */
    CONTEXT_PLACE_BY_POSTCODE, /* placed by the postcode lookup */
    CONTEXT_PLACE_OUTSIDE,     /* coordinates (or in_county = 0) outside the county */
    CONTEXT_PLACE_NO_LOCATION, /* neither coordinates nor a known postcode */
};

struct context_data; /* everything loaded from the store: opaque */

/* Loads places, postcodes, records, events and relationships from s and normalises every
 * place. Returns an owned snapshot in *out; SVP_EDB on a database error, SVP_ENOMEM. */
int context_load(struct store *s, struct context_data **out, struct svp_err *err) SVP_WUR;
void context_data_free(struct context_data **d);

struct context_place_report {
    long places, located, by_postcode, outside, no_location;
    long area_from_nearest; /* had coordinates but no area: took the nearest postcode's */
    long postcodes;         /* rows in the lookup */
    long events, events_placed, events_unplaced; /* events with a usable location or not */
};
void context_places_report(const struct context_data *d, struct context_place_report *r);

/* Lists places that are outside the county or have no location (for the analyst to fix):
 * calls fn with the place id, its status and the reason. */
void context_places_problems(const struct context_data *d,
                             void (*fn)(void *arg, int64_t place_id, enum context_place_status st,
                                        const char *why),
                             void *arg);

/* Takes scores from the risk room (src/risk/risk.h): builds the Vulnerability Tracker's
 * panel with the shipped weights as on as_of (0: the day of the latest event loaded, or today
 * if that is earlier; linked persons, or each record on its own when link has not run) and from
 * then on a child is "at risk" when the panel puts them in band medium or above; a child the panel
 * could not score (no date of birth, too few events) keeps the indicator rule. Profiles, groups and
 * the network JSON show the scores. Borrows s. Returns 0, or the panel's error (the snapshot is
 * unchanged then). */
int context_scores_attach(struct context_data *d, struct store *s, svp_day as_of,
                          struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ event selection */

/* Which events an analysis uses. kinds is a comma list of
 *   missing   missing_episode, at the place the child went missing from
 *   found     missing_episode, at the place the child was found (detail found_place)
 *   incident  crime, intelligence, stop_search, arrest (every police event, flagged as
 *             exploitation or cuckooing or not: the plain count of police activity)
 *   exploitation  exploitation-related: police events flagged cse, cce, county_lines or
 *             gang, NRM referrals, screenings medium or high, return interviews disclosing
 *             exploitation, missing episodes found with an adult who is not family (at the
 *             place found)
 *   cuckooing an adult's home taken over for drug dealing: police events flagged
 *             cuckooing, intelligence of subtype cuckooing (the adults' kind; neither
 *             exploitation nor general)
 *   general   police events not flagged as exploitation (night-time economy, antisocial
 *             behaviour, other crime)
 *   night     general police events from 20:00 to 05:59 (the night-time economy: violence
 *             and disorder around licensed premises); events recorded without a time of
 *             day are not counted
 * or raw event types from docs/model.md; NULL means "missing,found,incident". */
struct context_filter {
    const char *kinds;
    svp_day since; /* 0: no lower bound */
    svp_day until; /* 0: no upper bound */
};

/* ------------------------------------------------------------------ hotspots */

struct context_hotspot_opts {
    struct context_filter filter;
    double cell_m;      /* grid cell side in metres; 0: 250 (a street block or two). A size
                           given is honoured or refused (SVP_EINPUT, field cell, saying the
                           smallest that fits the county's extent); the default grows then,
                           and cell_note says so */
    double bandwidth_m; /* kernel bandwidth in metres; 0: 600 */
    double alpha;       /* false discovery rate; 0: 0.05 */
};

struct context_hot_unit {
    char label[64];  /* grid: "cell 12,7"; area: the area's name */
    double lat, lon; /* centre */
    long count;
    double z, p, q;
    bool significant;    /* hot: z > 0 and q <= alpha */
    size_t rank;         /* 1-based among units with events (z, then count, descending); 0 for
                            a unit with none (hot only through its neighbours) */
    char top_place[128]; /* grid: the place with most events in the cell, "" if none */
    int64_t top_place_id;
    /* grid: what most of the cell's events were, whatever kind selected them: "missing",
     * "found", "exploitation", "cuckooing", "night-time" (general police events from 20:00
     * to 05:59), "general" or "other"; NULL for a cell without events */
    const char *mostly;
};

struct context_hotspots {
    double cell_m, bandwidth_m, alpha;
    bool cell_requested; /* cell_m was given, not the default */
    char kinds[96];      /* the event kinds counted (the filter's list) */
    char cell_note[200]; /* "" unless the default cell grew to fit the grid, then why */
    long events_used, events_outside, events_unplaced;
    size_t ncells, ncols, nrows;
    struct context_hot_unit *cells; /* hottest first (z descending) */
    size_t nareas;
    struct context_hot_unit *areas; /* hottest first */
    /* kernel density on the same grid with cells of cell_m / 2: events per km2 */
    size_t dcols, drows;
    double *density;
    double min_lat, min_lon, dlat, dlon; /* density grid origin and cell size in degrees */
    char empty_reason[256];              /* "" unless there is nothing to show, then why */
};

/* Runs Gi* on the grid and on areas, and the kernel density. Returns an owned result in
 * *out (possibly empty: then empty_reason says why). SVP_EINPUT for a bad kind name or
 * option, SVP_ENOMEM. */
int context_hotspots_run(const struct context_data *d, const struct context_hotspot_opts *o,
                         struct context_hotspots **out, struct svp_err *err) SVP_WUR;
void context_hotspots_free(struct context_hotspots **h);

/* Hotspots of each kind apart (missing, found, exploitation, general, night, cuckooing),
 * each table labelled with its kind and every cell with its busiest place, so an
 * exploitation hotspot is never read beside a night-time-economy one as if alike. Up to
 * limit cells per kind. Errors as context_hotspots_run. */
int context_hotspots_kinds_print(const struct context_data *d,
                                 const struct context_hotspot_opts *o, size_t limit, FILE *f,
                                 struct svp_err *err) SVP_WUR;

/* Writes the table (significant cells and areas first, up to limit rows each). */
void context_hotspots_print(const struct context_hotspots *h, size_t limit, FILE *f);

/* GeoJSON FeatureCollection: grid cells (polygons, properties count, z, p, q, significant,
 * layer "gistar"), areas (points, layer "area") and density cells above 1% of the peak
 * (polygons, layer "density"). Returns owned json, NULL on allocation failure. */
json_t *context_hotspots_geojson(const struct context_hotspots *h);
/* The same for the web's map, with the density as a grid of numbers instead of polygons:
 * "density": {min_lat, min_lon, dlat, dlon, cols, rows, peak, cells: [index, hundredths of
 * events per km2, ...]} (index = row * cols + column). NULL on allocation failure. */
json_t *context_hotspots_web_json(const struct context_hotspots *h);

/* ------------------------------------------------------------------ trends */

struct context_trend_opts {
    struct context_filter filter; /* since/until are ignored: the window is below */
    int to_year, to_month;        /* last month of the window; 0: the latest event's month */
    int months;                   /* window length; 0: 12 */
    double alpha;                 /* 0: 0.05 */
};

struct context_trend_row {
    char area[64];
    char kind[32];
    long *monthly; /* months entries: the current window */
    long current, previous;
    double change_pct; /* NAN when previous is 0 */
    double p, q;
    bool significant_rise;
};

struct context_trends {
    int months, from_year, from_month, to_year, to_month;
    size_t nrows;
    struct context_trend_row *rows; /* significant rises first, then by current count */
    bool has_previous;              /* data reach back to the earlier year */
    char empty_reason[256];
};

int context_trends_run(const struct context_data *d, const struct context_trend_opts *o,
                       struct context_trends **out, struct svp_err *err) SVP_WUR;
void context_trends_free(struct context_trends **t);
void context_trends_print(const struct context_trends *t, size_t limit, FILE *f);
json_t *context_trends_json(const struct context_trends *t);

/* ------------------------------------------------------------------ networks */

/* Link kinds, with the weight each adds to an edge. */
enum context_link_kind {
    CONTEXT_LINK_MISSING_TOGETHER, /* missing within an hour, homes in one area: 1 */
    CONTEXT_LINK_FOUND_TOGETHER,   /* found_with, or found at the same place within a day: 3 */
    CONTEXT_LINK_SAME_INCIDENT,    /* one police occurrence (detail occurrence_ref),
                                      co_involved / co_offender, or without a reference
                                      police events at one place on one day: 2 */
    CONTEXT_LINK_SAME_ADDRESS,     /* same address and postcode, or household_member: 1 */
    CONTEXT_LINK_ASSOCIATE,        /* recorded associate: 2 */
    CONTEXT_LINK_PERPETRATOR,      /* recorded or suspected perpetrator: 3 */
    CONTEXT_LINK_FAMILY,           /* parent, sibling: 1 */
    CONTEXT_LINK_CO_OFFENDING,     /* co_offender, or two suspects, offenders or arrested in
                                      one occurrence: 3 */
    CONTEXT_LINK_DA,               /* domestic abuse co-involvement: one da_incident (victim,
                                      suspect, children present), a relationship recorded with
                                      one, or a domestic occurrence: 1 */
    CONTEXT_LINK_KINDS
};
/* Peer kinds join peer groups; family (FAMILY), household (SAME_ADDRESS) and domestic abuse
 * (DA) never do: an edge carrying any of them is left out of the communities whatever else it
 * carries, and does not count towards a possible perpetrator (it is intra-familial). */
bool context_link_kind_is_peer(enum context_link_kind k);
const char *context_link_kind_name(enum context_link_kind k);
/* The weight one link of the kind so named adds to an edge (0 for an unknown name). */
double context_link_kind_weight(const char *name);

struct context_network; /* opaque */

struct context_network_opts {
    svp_day since;     /* co-occurrence from this day on; 0: all */
    int min_children;  /* an adult linked to this many children at risk is listed; 0: 2 */
    double resolution; /* community resolution; 0: the default (see network.c) */
    int max_group;     /* a community with more members is split at a finer resolution
                          (doubled, up to 64 times); 0: 30 */
    /* Centrality stored per data version (issue 22, item 3; src/context/centrality.c).
     * store (borrowed, the database d was loaded from): the betweenness and strength are
     * read from what was stored when it was stored at the store's current data version for
     * this same graph, and computed otherwise. NULL: always computed, nothing read. */
    struct store *store;
    /* With store: computed values are stored for that version (svp context run). A failure
     * to store them is the build's error. */
    bool save_centrality;
};

/* Builds the graph, finds communities and centrality. Nodes are linked persons (or a
 * record on its own when link has not joined it to a person). Returns owned *out; a graph
 * with no edges is not an error (context_network_empty_reason says so). Errors: bad
 * options (SVP_EINPUT), memory, igraph, and with o->store the database's. */
int context_network_build(const struct context_data *d, const struct context_network_opts *o,
                          struct context_network **out, struct svp_err *err) SVP_WUR;
void context_network_free(struct context_network **n);

/* Where the network's centrality came from: CONTEXT_CENTRALITY_STORED (read back, as
 * computed at this data version), _COMPUTED (computed by this build) or _SAVED (computed
 * and stored by this build). */
enum context_centrality_source {
    CONTEXT_CENTRALITY_COMPUTED,
    CONTEXT_CENTRALITY_STORED,
    CONTEXT_CENTRALITY_SAVED,
};
enum context_centrality_source context_network_centrality_source(const struct context_network *n);

struct context_network_stats {
    size_t nodes, edges, isolated, communities, groups, perpetrators;
    double modularity;
};
void context_network_stats(const struct context_network *n, struct context_network_stats *st);
/* "" when there are groups to show, else why not. Borrowed from n. */
const char *context_network_empty_reason(const struct context_network *n);

/* Peer groups: communities with at least two children. Members, shared places, timeline. */
void context_groups_print(const struct context_network *n, const struct context_data *d,
                          size_t limit, FILE *f);
/* Possible perpetrators: adults linked to min_children or more children at risk outside
 * their own family and household, with the links (kinds, the event or relationship behind
 * each and its date); then, apart, the intra-familial list: adults linked to a child at risk
 * within their family or household (co-involved, perpetrator, domestic abuse). */
void context_perpetrators_print(const struct context_network *n, FILE *f);
/* Iterates the intra-familial list. */
void context_intra_familial_each(const struct context_network *n,
                                 void (*fn)(void *arg, int64_t person_id, int64_t record_id),
                                 void *arg);
/* Iterates possible perpetrators: fn gets the node's record ids (first record) and number of
 * children at risk linked. For benchmarks and the web. */
void context_perpetrators_each(const struct context_network *n,
                               void (*fn)(void *arg, int64_t person_id, int64_t record_id,
                                          size_t children),
                               void *arg);
/* Iterates group membership: fn gets the group number (1-based, as printed) and a member's
 * person id (0 if unlinked) and first record id. */
void context_groups_each(const struct context_network *n,
                         void (*fn)(void *arg, int group, int64_t person_id, int64_t record_id),
                         void *arg);

/* One person's network: the persons within hops links of them (1 to 3), nearest and
 * strongest links first, up to max_nodes (0: 150). visible (NULL: everyone) is the viewer's
 * need-to-know check, asked of each person reached: one it refuses is neither listed nor
 * walked through, only counted (withheld). */
typedef bool (*context_visible_fn)(void *arg, int64_t person_id, int64_t record_id);
struct context_ego_node {
    int64_t person_id, record_id; /* person_id 0: a record not linked to a person */
    int hops;                     /* 0 for the person asked about */
    int via;                      /* index of the node they were reached through, -1: none */
    char role;                    /* 'c', 'a', 'u' */
    bool at_risk;
    const char *name; /* borrowed from the snapshot; may be NULL */
    char kinds[160];  /* the link to via: "found_together x2, associate x1" */
    bool peer;        /* that link is a peer link (not family, household, domestic abuse) */
    double weight;
};
struct context_ego {
    int hops;
    size_t n; /* nodes[0] is the person asked about */
    struct context_ego_node *nodes;
    size_t withheld; /* linked persons the viewer may not see */
    bool truncated;  /* max_nodes reached */
};
/* Returns an owned ego in *out; SVP_ENOTFOUND when the person has no links, SVP_EINPUT for
 * bad hops or not exactly one of person_id, record_id; SVP_ENOMEM. Borrows n. */
int context_network_ego(const struct context_network *n, int64_t person_id, int64_t record_id,
                        int hops, size_t max_nodes, context_visible_fn visible, void *arg,
                        struct context_ego **out, struct svp_err *err) SVP_WUR;
void context_ego_free(struct context_ego **e);
/* Writes the ego network ring by ring: each person with their role, whom they were reached
 * through and by what kinds of link. label (NULL: "P12"/"R34") writes a person's label (a
 * pseudonym for an analyst); names false leaves names out. */
typedef void (*context_label_fn)(void *arg, int64_t person_id, int64_t record_id, char *buf,
                                 size_t cap);
void context_ego_print(const struct context_ego *e, context_label_fn label, void *arg,
                       bool names, FILE *f);

/* JSON for the web: {"nodes": [...], "edges": [...], "communities": [...],
 * "perpetrators": [...], "stats": {...}}. Returns owned json, NULL on allocation failure. */
json_t *context_network_json(const struct context_network *n);
/* GraphML document (yEd, Gephi, Cytoscape). Returns 0 or SVP_EIO. */
int context_network_graphml(const struct context_network *n, FILE *f, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ routes */

/* County-lines routes: missing episodes where the child was found outside the county
 * (detail found_out_of_county, or a found place outside the county), from the child's home
 * area to where they were found, with episode and child counts, busiest first. */
void context_routes_print(const struct context_data *d, size_t limit, FILE *f);
json_t *context_routes_json(const struct context_data *d);

/* ------------------------------------------------------------------ profiles */

/* One page of text about a place (place_id), an area (area name) or a peer group (group
 * number as printed by context_groups_print; n required). Exactly one of place_id > 0,
 * area != NULL, group > 0. SVP_ENOTFOUND when it does not exist. */
int context_profile_print(const struct context_data *d, const struct context_network *n,
                          int64_t place_id, const char *area, int group, FILE *f,
                          struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ one call for the web */

/* For the web application's handlers: each loads the snapshot from s (borrowed), runs one
 * analysis and returns its owned JSON in *out (the same objects the CLI writes):
 * hotspots as GeoJSON, trends, the network (with the Vulnerability Tracker's scores when
 * scores is true) and the county-lines routes. Errors as context_load and the analysis. */
int context_hotspots_geojson_load(struct store *s, const struct context_hotspot_opts *o,
                                  json_t **out, struct svp_err *err) SVP_WUR;
int context_trends_json_load(struct store *s, const struct context_trend_opts *o, json_t **out,
                             struct svp_err *err) SVP_WUR;
int context_network_json_load(struct store *s, const struct context_network_opts *o, bool scores,
                              json_t **out, struct svp_err *err) SVP_WUR;
int context_routes_json_load(struct store *s, json_t **out, struct svp_err *err) SVP_WUR;

#endif
