/* The synthetic county: geography, households and children, the events agencies record
 * about them, planted exploitation and the hidden truth. Layouts: docs/extracts.md.
 *
 * Base rates are calibrated to ../shared/data/county-profile.csv (a county of 104,000
 * children in 2016-17), scaled per child so any --children gives the same rates. */
#include "gen.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>



static const char *const ex_names[] = {"CSE", "CCE", "COUNTY_LINES"};



static const struct file_spec {
    const char *name, *profile, *agency;
    enum synth_enc enc;
    bool crlf;
    const char *header;
} file_specs[F_COUNT] = {
    {"areas.csv", "geo-areas", "ref", ENC_UTF8, false, "area_code,name,lat,lon,district"},
    {"postcodes.csv", "geo-postcodes", "ref", ENC_UTF8, false, "postcode,lat,lon,area_code"},
    {"places.csv", "geo-places", "ref", ENC_UTF8, false,
     "place_id,name,kind,area_code,postcode,lat,lon"},
    {"csc_persons.csv", "csc-persons", "csc", ENC_UTF8, false,
     "PersonID,Forename,Surname,DateOfBirth,Gender,Ethnicity,AddressLine,Postcode,NHSNumber"},
    {"csc_contacts.csv", "csc-contacts", "csc", ENC_UTF8, false,
     "ContactID,PersonID,ContactDateTime,Source,Reason,DecisionDate,Outcome"},
    {"csc_referrals.csv", "csc-referrals", "csc", ENC_UTF8, false,
     "ReferralID,PersonID,ContactID,ReferralDate,Source,DecisionDate,Outcome,ReReferral"},
    {"csc_assessments.csv", "csc-assessments", "csc", ENC_UTF8, false,
     "AssessmentID,PersonID,ReferralID,StartDate,CompletedDate,Outcome,Factors"},
    {"csc_child_protection.csv", "csc-child-protection", "csc", ENC_UTF8, false,
     "EventID,PersonID,PlanID,EventType,EventDate,Category"},
    {"csc_looked_after.csv", "csc-looked-after", "csc", ENC_UTF8, false,
     "EpisodeID,PersonID,StartDate,EndDate,LegalStatus,PlacementType,PlacementPostcode,"
     "DistanceMiles,OutOfCounty,EndReason"},
    {"csc_lac_events.csv", "csc-lac-events", "csc", ENC_UTF8, false,
     "EventID,PersonID,EpisodeID,EventType,EventDate"},
    {"csc_private_fostering.csv", "csc-private-fostering", "csc", ENC_UTF8, false,
     "RecordID,PersonID,ArrangementID,RecordType,ArrangementStart,RecordDate"},
    {"police_nominals.csv", "police-nominals", "police", ENC_UTF8, false,
     "NominalID,Surname,Forenames,DOB,Sex,EthnicAppearance,Address,Postcode"},
    {"police_missing.csv", "police-missing", "police", ENC_UTF8, false,
     "OccurrenceRef,NominalID,ReportedDateTime,MissingFromDateTime,ReturnedDateTime,"
     "MissingFrom,RiskGrade,FoundLocation,FoundPostcode,FoundLat,FoundLon,OutOfCounty,"
     "FoundWith,ReturnedBy"},
    {"police_occurrences.csv", "police-occurrences", "police", ENC_UTF8, false,
     "InvolvementID,OccurrenceRef,NominalID,Role,OccurrenceType,Category,OccurrenceDateTime,"
     "PlaceName,Postcode,Lat,Lon,ArrestDateTime,Outcome"},
    {"police_domestic_abuse.csv", "police-domestic-abuse", "police", ENC_UTF8, false,
     "IncidentRef,IncidentDateTime,VictimNominalID,SuspectNominalID,Postcode,Lat,Lon,DashRisk,"
     "DASH01,DASH02,DASH03,DASH04,DASH05,DASH06,DASH07,DASH08,DASH09,DASH10,DASH11,DASH12,"
     "DASH13,DASH14,DASH15,DASH16,DASH17,DASH18,DASH19,DASH20,DASH21,DASH22,DASH23,DASH24,"
     "DASH25,DASH26,DASH27,ChildrenPresent,ChildrenInHousehold,MaracReferral"},
    {"rhi_interviews.csv", "rhi-interviews", "rhi", ENC_BOM, false,
     "InterviewRef,ClientID,ChildFirstName,ChildLastName,DOB,Gender,PoliceRef,ReturnDateTime,"
     "OfferedDateTime,Outcome,CompletedDateTime,Disclosures"},
    {"health_ed.csv", "health-ed", "health", ENC_UTF8, true,
     "AttendanceID,LocalPatientID,NHSNumber,PatientName,DOB,Sex,Ethnicity,Postcode,"
     "ArrivalDateTime,AttendanceReason,ArrivalMode,AccompaniedBy,SafeguardingReferral"},
    {"health_sexual.csv", "health-sexual", "health", ENC_UTF8, false,
     "VisitID,ClinicNumber,FirstName,LastName,DateOfBirth,Gender,PostcodeDistrict,VisitDate,"
     "Service,SpottingTheSigns"},
    {"edu_attendance.csv", "education-attendance", "education", ENC_CP1252, false,
     "RecordID,UPN,LegalSurname,LegalForename,DOB,Gender,Ethnicity,Postcode,SchoolURN,"
     "SchoolName,AcademicYear,Term,PossibleSessions,AttendedSessions,AuthorisedAbsence,"
     "UnauthorisedAbsence"},
    {"edu_events.csv", "education-events", "education", ENC_CP1252, false,
     "RecordID,UPN,LegalSurname,LegalForename,DOB,EventType,StartDate,EndDate,Days,Reason,"
     "SchoolURN"},
    {"yjs_interventions.csv", "yjs-interventions", "yjs", ENC_UTF8, false,
     "InterventionID,YJID,Name,DOB,Sex,Ethnicity,Postcode,InterventionType,StartDate,EndDate,"
     "OffenceCategory,Outcome"},
    {"marac_cases.csv", "marac-cases", "police", ENC_UTF8, false,
     "MaracRef,HeardDate,VictimNominalID,ReferringAgency,Repeat,ChildrenInHousehold,Disabled,"
     "LGBT"},
    {"asc_concerns.csv", "asc-concerns", "asc", ENC_UTF8, false,
     "SafeguardingID,PersonID,FirstName,LastName,DateOfBirth,Gender,Postcode,ConcernReceived,"
     "ConcernSource,PrimaryCategory,SecondaryCategory,LocationOfRisk,SourceOfRisk,Decision,"
     "DecisionDate,EnquiryType,EnquiryStart,EnquiryConcluded,RiskOutcome,RiskResult,MSPAsked,"
     "MSPOutcomesExpressed,MSPOutcomesMet"},
    {"police_known_offenders.csv", "police-known-offenders", "police", ENC_UTF8, false,
     "NominalID,PNCID,Surname,Forenames,DOB,Sex,Postcode,Basis,MAPPACategory,ManagingAgency,"
     "RiskToChildren,StartDate,EndDate"},
};

/* ------------------------------------------------------------------ code sets */

/* True ethnicity: DfE codes with shares of a mostly White British shire county
 * (county-profile white_british_pupils 86.3%). */

static const char *const eth_dfe[NETH] = {"WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC",
                                          "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
                                          "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH"};
static const double eth_share[NETH] = {86.3, 0.5, 0.1, 0.2, 4.0, 1.0, 0.5, 1.2, 1.0,
                                       1.2,  0.8, 0.3, 0.8, 0.3, 0.8, 0.2, 0.3, 0.5};
static const char *const eth_csc[NETH] = {"WB", "WI", "WT", "WR", "WO", "MC", "MA", "MS", "MO",
                                          "AI", "AP", "AB", "AO", "BC", "BA", "BO", "CH", "OO"};
static const char *const eth_police[NETH] = {"IC1", "IC1", "IC1", "IC1", "IC2", "IC3",
                                             "IC3", "IC1", "IC1", "IC4", "IC4", "IC4",
                                             "IC4", "IC3", "IC3", "IC3", "IC5", "IC6"};
static const char *const eth_nhs[NETH] = {"A", "B", "C", "C", "C", "D", "E", "F", "G",
                                          "H", "J", "K", "L", "M", "N", "P", "R", "S"};
static const char *const eth_yjs[NETH] = {"White British",
                                          "White Irish",
                                          "White Traveller",
                                          "White Gypsy Roma",
                                          "White Other",
                                          "Mixed White Black Caribbean",
                                          "Mixed White Black African",
                                          "Mixed White Asian",
                                          "Mixed Other",
                                          "Asian Indian",
                                          "Asian Pakistani",
                                          "Asian Bangladeshi",
                                          "Asian Other",
                                          "Black Caribbean",
                                          "Black African",
                                          "Black Other",
                                          "Chinese",
                                          "Other"};

/* ------------------------------------------------------------------ geography */

/* The first 18 areas' names; more areas (--areas) get names built from the two lists below. */
static const char *const area_names[18] = {
    "Ashcombe Vale", "Brindlemoor", "Castlebrook",     "Dunmere",  "Elderfield",
    "Foxhollow",     "Greystone",   "Hartwell Green",  "Ivybank",  "Kingsmeadow",
    "Larkspur Hill", "Millbeck",    "Northcote Heath", "Oakhurst", "Pennydale",
    "Quarrybank",    "Redwater",    "Sallowfield"};
static const char *const town_names[NTOWNS] = {"Calderbridge", "Port Haverly", "Marrowby",
                                               "Northgate", "Westhaven"};
static const char *const town_districts[NTOWNS] = {"ZX1", "ZX7", "ZY2", "ZY9", "ZW4"};
static const char *const street_base[30] = {
    "Mill",   "Church",   "Station",  "Victoria", "Albert",   "Queens", "Kings", "Park",
    "Chapel", "Orchard",  "Meadow",   "Willow",   "Beech",    "Elm",    "Oak",   "Ash",
    "Rowan",  "Hawthorn", "Manor",    "Grange",   "Bridge",   "Brook",  "Field", "Spring",
    "York",   "Windsor",  "Clarence", "Nelson",   "Cromwell", "Priory"};
static const char *const street_suffix[10] = {"Road",  "Street", "Lane",     "Close",   "Avenue",
                                              "Drive", "Way",    "Crescent", "Gardens", "Grove"};
static const char *const place_kinds[PLACES_PER_AREA] = {
    "PARK",   "STATION", "SHOPS",  "FAST_FOOD", "CAR_PARK", "LEISURE",
    "HOSTEL", "FLAT",    "SCHOOL", "SCHOOL",    "SCHOOL"};
static const char *const place_fmt[PLACES_PER_AREA] = {"%s Recreation Ground",
                                                       "%s Bus Station",
                                                       "%s Shopping Parade",
                                                       "Chicken Shack, %s",
                                                       "%s Multi-Storey Car Park",
                                                       "%s Leisure Centre",
                                                       "Mill House Hostel, %s",
                                                       "Flat 4, Tower Court, %s",
                                                       "%s Primary School",
                                                       "St Mary's Primary School, %s",
                                                       "%s Academy"};
/* Unit letters of real postcodes (no C, I, K, M, O, V). */
static const char pc_letters[] = "ABDEFGHJLNPQRSTUWXYZ";

static const char *const area_prefix[18] = {"Alder", "Birch", "Cold",  "Deep",  "East", "Fern",
                                            "Glen",  "High",  "Long",  "Marsh", "New",  "Old",
                                            "Rush",  "Stan",  "Thorn", "Upper", "West", "Wood"};
static const char *const area_suffix[9] = {"ford", "ley",   "ton",   "by",  "wick",
                                           "ham",  "field", "worth", "bury"};


/* ------------------------------------------------------------------ small helpers */


/* The n-th working day after d; outside the calendar's years it falls back to calendar
 * days (7 for every 5) rather than fail a whole county. */
static svp_day wd_add(const struct gen *g, svp_day d, int n)
{
    svp_day out;
    struct svp_err e;
    if (svp_calendar_add_working_days(g->cal, d, n, &out, &e) == SVP_OK)
        return out;
    return d + n * 7 / 5;
}

static double miles_between(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * M_PI / 180, p2 = lat2 * M_PI / 180;
    double dp = p2 - p1, dl = (lon2 - lon1) * M_PI / 180;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 3958.8 * 2 * atan2(sqrt(a), sqrt(1 - a));
}

/* An agency id: prefix and at least min_digits digits, more when the id space needs it. */
static void make_id(char *buf, size_t cap, const char *prefix, uint64_t x, int min_digits,
                    uint64_t space)
{
    int w = min_digits;
    uint64_t p = 1;
    for (int i = 1; i < w; i++)
        p *= 10;
    while (9 * p < space + 1) {
        w++;
        p *= 10;
    }
    snprintf(buf, cap, "%s%0*llu", prefix, w, (unsigned long long)(p + synth_scramble(x, 9 * p)));
}

static void seq_id(char *buf, size_t cap, struct out_file *o, const char *prefix, int digits)
{
    snprintf(buf, cap, "%s%0*llu", prefix, digits, (unsigned long long)++o->seq);
}

void adult_pid(char *buf, size_t cap, uint64_t adult_no)
{
    snprintf(buf, cap, "A%08llu", (unsigned long long)(adult_no + 1));
}

/* Police nominal ids: children idx, their duplicates N + idx, adults 2N + adult number
 * (adult numbers: groups, households, DA partners, decoys, adult social care, unconnected
 * known offenders: below 7N + N / 2000 + the groups'). */
void police_id(const struct gen *g, char *buf, size_t cap, uint64_t x)
{
    make_id(buf, cap, "N", x, 9, 10 * g->n + 1000); /* adults up to 7n + n/2000 after 2n */
}

void row_end(struct gen *g, enum file_id f, const char *recid, const char *pid)
{
    struct out_file *o = &g->files[f];
    if (out_line(o) && !g->rc)
        g->rc = svp_err_set(g->err, SVP_EIO, "cannot write %s: %s", o->name, strerror(errno));
    o->rows++;
    g->stats.rows++;
    if (pid) {
        fprintf(g->t_rows, "%s,%llu,%s,%s\n", o->name, (unsigned long long)o->line, recid, pid);
        g->stats.truth_rows++;
    }
}

void log_corr(struct gen *g, enum file_id f, const char *recid, const struct view *v)
{
    for (int i = 0; i < v->ncorr; i++)
        fprintf(g->t_corr, "%s,%s,%s,%s\n", file_specs[f].name, recid, v->corr[i].kind,
                v->corr[i].field);
}

/* ------------------------------------------------------------------ geography */

static void pc_code(char *buf, size_t cap, const char *district, int k, int salt)
{
    int u = (k / 10 * 7 + salt) % 400;
    snprintf(buf, cap, "%s %d%c%c", district, k % 10, pc_letters[u / 20], pc_letters[u % 20]);
}

static int build_geography(struct gen *g)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0xA4EAULL);
    g->npc = g->nareas * PC_PER_AREA + NTOWNS * PC_PER_TOWN;
    g->npl = g->nareas * PLACES_PER_AREA + NTOWNS;
    g->pc = svp_calloc(g->npc, sizeof *g->pc);
    g->pl = svp_calloc(g->npl, sizeof *g->pl);
    g->areas = svp_calloc((size_t)g->nareas, sizeof *g->areas);
    if (!g->pc || !g->pl || !g->areas)
        return svp_err_set(g->err, SVP_ENOMEM, "out of memory building the geography");
    /* A compact county about 48 km east to west and 30 km north to south: areas on a
     * jittered grid six wide (6 x 3 for the default 18 areas). */
    int rows = (g->nareas + 5) / 6;
    const double lat0 = 52.28, lon0 = -1.62, dlon = 0.115;
    const double dlat = rows <= 3 ? 0.09 : 0.27 / rows;
    size_t p = 0;
    for (int a = 0; a < g->nareas; a++) {
        struct area *ar = &g->areas[a];
        snprintf(ar->code, sizeof ar->code, "CA%02d", a + 1);
        if (a < 18)
            svp_strlcpy(ar->name, area_names[a], sizeof ar->name);
        else
            snprintf(ar->name, sizeof ar->name, "%s%s", area_prefix[(a - 18) % 18],
                     area_suffix[(a - 18) / 18 % 9]);
        ar->lat = lat0 + (a / 6) * dlat + (synth_rng_unit(&r) - 0.5) * 0.03;
        ar->lon = lon0 + (a % 6) * dlon + (synth_rng_unit(&r) - 0.5) * 0.04;
        char district[16];
        snprintf(district, sizeof district, "SV%d", a + 1);
        for (int k = 0; k < PC_PER_AREA; k++, p++) {
            pc_code(g->pc[p].code, sizeof g->pc[p].code, district, k, a);
            g->pc[p].lat = ar->lat + (synth_rng_unit(&r) - 0.5) * 0.045;
            g->pc[p].lon = ar->lon + (synth_rng_unit(&r) - 0.5) * 0.07;
            g->pc[p].area = a;
        }
    }
    /* Out-of-county towns, 60-150 km away: county-lines destinations and far placements. */
    for (int t = 0; t < NTOWNS; t++) {
        double ang = 2 * M_PI * t / NTOWNS + 0.4;
        double tlat = 52.38 + sin(ang) * 0.9, tlon = -1.30 + cos(ang) * 1.4;
        for (int k = 0; k < PC_PER_TOWN; k++, p++) {
            pc_code(g->pc[p].code, sizeof g->pc[p].code, town_districts[t], k, t * 3);
            g->pc[p].lat = tlat + (synth_rng_unit(&r) - 0.5) * 0.03;
            g->pc[p].lon = tlon + (synth_rng_unit(&r) - 0.5) * 0.05;
            g->pc[p].area = -1;
        }
    }
    size_t q = 0;
    for (int a = 0; a < g->nareas; a++)
        for (int k = 0; k < PLACES_PER_AREA; k++, q++) {
            struct place *pl = &g->pl[q];
            snprintf(pl->id, sizeof pl->id, "PL%04zu", q + 1);
            snprintf(pl->name, sizeof pl->name, place_fmt[k], g->areas[a].name);
            pl->kind = place_kinds[k];
            pl->area = a;
            pl->pc = (uint32_t)(a * PC_PER_AREA + synth_rng_below(&r, PC_PER_AREA));
            if (!strcmp(pl->kind, "SCHOOL"))
                snprintf(pl->urn, sizeof pl->urn, "%06d", 110000 + a * 37 + k * 5);
        }
    for (int t = 0; t < NTOWNS; t++, q++) {
        struct place *pl = &g->pl[q];
        snprintf(pl->id, sizeof pl->id, "PL%04zu", q + 1);
        snprintf(pl->name, sizeof pl->name, "%s Town Centre", town_names[t]);
        pl->kind = "TOWN";
        pl->area = -1;
        pl->pc = (uint32_t)(g->nareas * PC_PER_AREA + t * PC_PER_TOWN);
    }
    /* Two places where ordinary incidents cluster (the non-exploitation hotspots). */
    g->incident_hotspot[0] = (uint32_t)(synth_rng_below(&r, g->nareas) * PLACES_PER_AREA + 1);
    g->incident_hotspot[1] = (uint32_t)(synth_rng_below(&r, g->nareas) * PLACES_PER_AREA + 2);
    return SVP_OK;
}

const char *area_code(const struct gen *g, int a)
{
    return a < 0 ? "OUT" : g->areas[a].code;
}

static int write_geography(struct gen *g)
{
    for (int a = 0; a < g->nareas; a++) {
        struct out_file *o = &g->files[F_AREAS];
        out_str(o, g->areas[a].code);
        out_str(o, g->areas[a].name);
        out_fmt(o, "%.5f", g->areas[a].lat);
        out_fmt(o, "%.5f", g->areas[a].lon);
        out_fmt(o, "SV%d", a + 1);
        row_end(g, F_AREAS, g->areas[a].code, NULL);
    }
    for (size_t p = 0; p < g->npc; p++) {
        struct out_file *o = &g->files[F_POSTCODES];
        out_str(o, g->pc[p].code);
        out_fmt(o, "%.5f", g->pc[p].lat);
        out_fmt(o, "%.5f", g->pc[p].lon);
        out_str(o, area_code(g, g->pc[p].area));
        row_end(g, F_POSTCODES, g->pc[p].code, NULL);
    }
    for (size_t q = 0; q < g->npl; q++) {
        struct out_file *o = &g->files[F_PLACES];
        const struct place *pl = &g->pl[q];
        out_str(o, pl->id);
        out_str(o, pl->name);
        out_str(o, pl->kind);
        out_str(o, area_code(g, pl->area));
        out_str(o, g->pc[pl->pc].code);
        out_fmt(o, "%.5f", g->pc[pl->pc].lat);
        out_fmt(o, "%.5f", g->pc[pl->pc].lon);
        row_end(g, F_PLACES, pl->id, NULL);
    }
    return g->rc;
}

uint32_t addr_pc(int area, int street, int number)
{
    return (uint32_t)(area * PC_PER_AREA + (street * 5 + number / 20) % PC_PER_AREA);
}

void addr_text(const struct gen *g, char *buf, size_t cap, int area, int street, int number)
{
    snprintf(buf, cap, "%d %s %s, %s", number, street_base[(street + area * 7) % 30],
             street_suffix[(street * 3 + area) % 10], g->areas[area].name);
}

/* The household's address on day d. */
void hh_addr(const struct household *h, svp_day d, int *area, int *street, int *number)
{
    bool moved = d >= h->move;
    *area = moved ? h->area2 : h->area;
    *street = moved ? h->street2 : h->street;
    *number = moved ? h->number2 : h->number;
}

uint32_t hh_pc(const struct household *h, svp_day d)
{
    int a, s, n;
    hh_addr(h, d, &a, &s, &n);
    return addr_pc(a, s, n);
}

/* ------------------------------------------------------------------ groups (planted harm) */

static svp_day member_harm(const struct gen *g, uint32_t gi, uint32_t slot)
{
    const struct group *gr = &g->groups[gi];
    svp_day h = svp_date_add_months(gr->start, (int)(synth_hash(g->o->seed ^ gi, slot) % 3));
    return h > g->end - 60 ? g->end - 60 : h;
}

/* Whether member slot joins the group's e-th outing: more often the longer the harm has
 * gone on, so missing episodes rise after harm begins. Every member computes the same
 * answer for every other member, so "found with" lists agree across children. */
static bool joins(const struct gen *g, uint32_t gi, int e, uint32_t slot)
{
    svp_day d = g->groups[gi].ev[e], h = member_harm(g, gi, slot);
    if (d < h)
        return false;
    double p = fmin(0.4, 0.1 + 0.03 * ((d - h) / 30));
    return synth_hash_unit(g->o->seed ^ ((uint64_t)gi * 1000003u + (uint64_t)e), slot + 77) < p;
}

static bool adult_joins(const struct gen *g, uint32_t gi, int e, int a)
{
    return synth_hash_unit(g->o->seed ^ ((uint64_t)gi * 1000003u + (uint64_t)e), 500u + a) < 0.5;
}

static int plan_cmp(const void *a, const void *b)
{
    const struct plan_entry *x = a, *y = b;
    return x->child < y->child ? -1 : x->child > y->child;
}


static int plan_groups(struct gen *g)
{
    /* About 16 groups and 80 exploited children per 104,000 children (the county had 39
     * children open to its CSE team at one time: county-profile cse_open_to_specialist_team). */
    size_t ng = (size_t)llround((double)g->n * 16.0 / PROFILE_CHILDREN);
    if (ng < 1 && g->n >= 50)
        ng = 1;
    g->ngroups = ng;
    if (!ng)
        return SVP_OK;
    g->groups = svp_calloc(ng, sizeof *g->groups);
    g->plan = svp_calloc(ng * MAX_MEMBERS, sizeof *g->plan);
    if (!g->groups || !g->plan)
        return svp_err_set(g->err, SVP_ENOMEM, "out of memory planning groups");
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x6E0ULL);
    uint32_t adult_no = 0;
    for (size_t gi = 0; gi < ng; gi++) {
        struct group *gr = &g->groups[gi];
        double u = synth_rng_unit(&r);
        gr->type = u < 0.4 ? EX_CSE : u < 0.7 ? EX_CCE : EX_CL;
        gr->area = (int)synth_rng_below(&r, g->nareas);
        static const int hot_kinds[] = {0, 2, 3, 4, 6, 7}; /* park, shops, food, car park... */
        gr->hotspot = (uint32_t)(gr->area * PLACES_PER_AREA + hot_kinds[synth_rng_below(&r, 6)]);
        gr->route = gr->type == EX_CL
                        ? (uint32_t)(g->nareas * PLACES_PER_AREA + synth_rng_below(&r, NTOWNS))
                        : UINT32_MAX;
        int span = g->o->months * 6 / 10;
        gr->start =
            svp_date_add_months(g->start, (int)synth_rng_range(&r, -2, span > 0 ? span : 0));
        gr->nmem = (int)synth_rng_range(&r, 3, 7);
        if ((uint64_t)gr->nmem > g->n)
            gr->nmem = (int)g->n;
        gr->nadult = (int)synth_rng_range(&r, 1, MAX_ADULTS);
        for (int a = 0; a < gr->nadult; a++)
            gr->adult[a] = adult_no++;
        /* Outings: every two weeks or so from the group's start to the window's end. */
        svp_day d = gr->start;
        while (gr->nev < MAX_EVENTS) {
            d += 1 + (svp_day)synth_rng_exp(&r, 16.0);
            if (d > g->end)
                break;
            gr->ev[gr->nev++] = d;
        }
        for (int m = 0; m < gr->nmem; m++) {
            uint64_t c;
            bool taken;
            do { /* distinct children, not already in another group */
                c = synth_rng_below(&r, g->n);
                taken = false;
                for (size_t k = 0; k < g->nplan; k++)
                    taken |= g->plan[k].child == c;
            } while (taken);
            gr->mem[m] = c;
            g->plan[g->nplan++] = (struct plan_entry){c, (uint32_t)gi, (uint32_t)m};
        }
    }
    g->nadults_concern = adult_no;
    qsort(g->plan, g->nplan, sizeof *g->plan, plan_cmp);
    /* Truth about groups, hotspots and adults now; the adults' police records too. */
    static const char *const roles[] = {"ORGANISER", "RECRUITER", "ASSOCIATE"};
    for (size_t gi = 0; gi < ng; gi++) {
        struct group *gr = &g->groups[gi];
        const struct place *hp = &g->pl[gr->hotspot];
        fprintf(g->t_groups, "G%04zu,%s,%s,%s,%s\n", gi + 1, ex_names[gr->type],
                area_code(g, gr->area), hp->id, gr->route == UINT32_MAX ? "" : g->pl[gr->route].id);
        /* Two groups may share a meeting place or a route: each hotspot is listed once. */
        bool seen_hot = false, seen_route = false;
        for (size_t gj = 0; gj < gi; gj++) {
            seen_hot |= g->groups[gj].hotspot == gr->hotspot;
            seen_route |= g->groups[gj].route == gr->route;
        }
        if (!seen_hot)
            fprintf(g->t_hotspots, "%s,\"%s\",%s,%s,%.5f,%.5f,GROUP\n", hp->id, hp->name,
                    area_code(g, hp->area), g->pc[hp->pc].code, g->pc[hp->pc].lat,
                    g->pc[hp->pc].lon);
        if (gr->route != UINT32_MAX && !seen_route) {
            const struct place *rp = &g->pl[gr->route];
            fprintf(g->t_hotspots, "%s,\"%s\",%s,%s,%.5f,%.5f,ROUTE\n", rp->id, rp->name, "OUT",
                    g->pc[rp->pc].code, g->pc[rp->pc].lat, g->pc[rp->pc].lon);
        }
        for (int m = 0; m < gr->nmem; m++)
            fprintf(g->t_members, "G%04zu,C%08llu,CHILD\n", gi + 1,
                    (unsigned long long)(gr->mem[m] + 1));
        for (int a = 0; a < gr->nadult; a++) {
            char pid[16];
            adult_pid(pid, sizeof pid, gr->adult[a]);
            fprintf(g->t_members, "G%04zu,%s,ADULT\n", gi + 1, pid);
            fprintf(g->t_adults, "%s,G%04zu,%s\n", pid, gi + 1, roles[a]);
            struct synth_rng ar;
            synth_rng_seed(&ar, g->o->seed, 0xAD000000ULL + gr->adult[a]);
            char sex = synth_rng_chance(&ar, 0.85) ? 'M' : 'F';
            svp_day dob = g->start - (svp_day)synth_rng_range(&ar, 19 * 365, 38 * 365);
            write_adult_nominal(g, gr->adult[a], &ar, sex, synth_names_surname(g->names, &ar), dob,
                                gr->area);
        }
    }
    for (int k = 0; k < 2; k++) {
        const struct place *hp = &g->pl[g->incident_hotspot[k]];
        fprintf(g->t_hotspots, "%s,\"%s\",%s,%s,%.5f,%.5f,INCIDENT\n", hp->id, hp->name,
                area_code(g, hp->area), g->pc[hp->pc].code, g->pc[hp->pc].lat, g->pc[hp->pc].lon);
    }
    return g->rc;
}

/* ------------------------------------------------------------------ identity as recorded */

/* Names that some families spell with an accent (truth) and agencies often key without. */
static const struct {
    const char *plain, *accented;
} accented_names[] = {
    {"Zoe", "Zoë"},     {"Chloe", "Chloé"}, {"Renee", "Renée"},   {"Jose", "José"},
    {"Andre", "André"}, {"Noel", "Noël"},   {"Anais", "Anaïs"},   {"Ines", "Inés"},
    {"Leon", "Léon"},   {"Sofia", "Sofía"}, {"Elodie", "Élodie"}, {"Ramon", "Ramón"},
};

static void add_corr(struct view *v, const char *kind, const char *field)
{
    if (v->ncorr < (int)(sizeof v->corr / sizeof v->corr[0]))
        v->corr[v->ncorr++] = (struct corr){kind, field};
}

static const uint64_t agency_id_space_factor[AG_COUNT] = {2, 1, 1, 1, 1, 1, 1};

/* Builds how agency ag records child c: one set of slips per agency, kept on every row. */
void make_view(struct gen *g, struct child *c, int ag)
{
    struct view *v = &c->v[ag];
    if (v->made)
        return;
    memset(v, 0, sizeof *v);
    v->made = true;
    const struct synth_noise *nz = &g->o->noise;
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, (c->idx + 1) * 16 + (uint64_t)ag + 0x1000000000ULL);
    svp_strlcpy(v->fore, c->fore, sizeof v->fore);
    svp_strlcpy(v->sur, c->hh->surname, sizeof v->sur);
    char tmp[64];
    if (synth_noise_strip_accents(v->fore, tmp, sizeof tmp) && synth_rng_chance(&r, nz->accent)) {
        svp_strlcpy(v->fore, tmp, sizeof v->fore);
        add_corr(v, "ACCENT", "forename");
    }
    const char *alt;
    if (synth_rng_chance(&r, nz->nickname) && (alt = synth_names_nickname(g->names, v->fore, &r))) {
        svp_strlcpy(v->fore, alt, sizeof v->fore);
        add_corr(v, "NICKNAME", "forename");
    } else if (synth_rng_chance(&r, nz->variant) &&
               (alt = synth_names_variant(g->names, v->fore, false, &r))) {
        svp_strlcpy(v->fore, alt, sizeof v->fore);
        add_corr(v, "VARIANT", "forename");
    }
    if (synth_rng_chance(&r, nz->variant) &&
        (alt = synth_names_variant(g->names, v->sur, true, &r))) {
        svp_strlcpy(v->sur, alt, sizeof v->sur);
        add_corr(v, "VARIANT", "surname");
    }
    if (c->hh->hyphen && synth_rng_chance(&r, nz->hyphen_part) &&
        synth_noise_hyphen_part(v->sur, &r, tmp, sizeof tmp)) {
        svp_strlcpy(v->sur, tmp, sizeof v->sur);
        add_corr(v, "HYPHEN_PART", "surname");
    }
    if (synth_rng_chance(&r, nz->typo) && synth_noise_typo(v->fore, &r, tmp, sizeof tmp)) {
        svp_strlcpy(v->fore, tmp, sizeof v->fore);
        add_corr(v, "TYPO", "forename");
    }
    if (synth_rng_chance(&r, nz->typo) && synth_noise_typo(v->sur, &r, tmp, sizeof tmp)) {
        svp_strlcpy(v->sur, tmp, sizeof v->sur);
        add_corr(v, "TYPO", "surname");
    }
    if (synth_rng_chance(&r, nz->swap)) {
        svp_strlcpy(tmp, v->fore, sizeof tmp);
        svp_strlcpy(v->fore, v->sur, sizeof v->fore);
        svp_strlcpy(v->sur, tmp, sizeof v->sur);
        add_corr(v, "NAME_SWAP", "forename");
    }
    v->dob = c->dob;
    if (synth_rng_chance(&r, nz->dob_swap) && synth_noise_dob_swap(c->dob, &v->dob))
        add_corr(v, "DOB_SWAP", "dob");
    else if (synth_rng_chance(&r, nz->dob_typo) && synth_noise_dob_typo(c->dob, &r, &v->dob)) {
        /* A slip that gives a birth date after the window would be refused at import;
         * keep the slips that look plausible, as the ones that survive into records do. */
        if (v->dob < g->start)
            add_corr(v, "DOB_TYPO", "dob");
        else
            v->dob = c->dob;
    }
    if ((v->no_dob = synth_rng_chance(&r, nz->missing)))
        add_corr(v, "MISSING", "dob");
    if ((v->no_sex = synth_rng_chance(&r, nz->missing / 2)))
        add_corr(v, "MISSING", "sex");
    if ((v->no_eth = synth_rng_chance(&r, nz->missing * 4)))
        add_corr(v, "MISSING", "ethnicity");
    if ((v->no_pc = synth_rng_chance(&r, nz->missing * 2)))
        add_corr(v, "MISSING", "postcode");
    v->old_address = c->hh->move <= g->end && synth_rng_chance(&r, nz->old_address);
    uint64_t space = agency_id_space_factor[ag] * g->n + 10;
    switch (ag) {
    case AG_CSC:
        make_id(v->id, sizeof v->id, "", c->idx, 7, space);
        break;
    case AG_POLICE:
        police_id(g, v->id, sizeof v->id, c->idx);
        break;
    case AG_RHI:
        make_id(v->id, sizeof v->id, "RHI", c->idx, 6, space);
        break;
    case AG_ED:
        make_id(v->id, sizeof v->id, "RX", c->idx, 7, space);
        break;
    case AG_SH:
        make_id(v->id, sizeof v->id, "SH", c->idx, 6, space);
        break;
    case AG_YJS:
        make_id(v->id, sizeof v->id, "YJ", c->idx, 6, space);
        break;
    default: {
        char digits12[24];
        make_id(digits12, sizeof digits12, "", c->idx, 12, space);
        snprintf(v->id, sizeof v->id, "%c%s", "ABCDEFGHJKLMNPQRTUVWXYZ"[c->idx % 23],
                 digits12 + strlen(digits12) - 12);
        break;
    }
    }
    if ((ag == AG_CSC || ag == AG_POLICE) && synth_rng_chance(&r, nz->duplicate_id)) {
        v->has_dup = true;
        v->dup_from = rand_day(&r, g->start, g->end);
        if (ag == AG_CSC)
            make_id(v->dup_id, sizeof v->dup_id, "", g->n + c->idx, 7, space);
        else
            police_id(g, v->dup_id, sizeof v->dup_id, g->n + c->idx);
    }
}

/* The id agency ag uses for c on day d (a duplicate record takes over from dup_from). */
const char *view_id(struct gen *g, struct child *c, int ag, svp_day d, enum file_id f,
                           const char *recid)
{
    make_view(g, c, ag);
    c->known[ag] = true;
    struct view *v = &c->v[ag];
    if (v->has_dup && d >= v->dup_from) {
        fprintf(g->t_corr, "%s,%s,DUPLICATE_ID,person_id\n", file_specs[f].name, recid);
        return v->dup_id;
    }
    return v->id;
}

static const char *sex_code(const struct view *v, char sex, int ag)
{
    bool m = sex == 'M';
    switch (ag) {
    case AG_CSC:
        return v->no_sex ? "U" : m ? "M" : "F";
    case AG_POLICE:
        return v->no_sex ? "X" : m ? "M" : "F";
    case AG_RHI:
        return v->no_sex ? "Not recorded" : m ? "Boy" : "Girl";
    case AG_ED:
        return v->no_sex ? "0" : m ? "1" : "2";
    case AG_SH:
        return v->no_sex ? "Not stated" : m ? "Male" : "Female";
    case AG_EDU:
        return v->no_sex ? "" : m ? "M" : "F";
    default:
        return v->no_sex ? "Not stated" : m ? "Male" : "Female";
    }
}

static const char *eth_code(const struct view *v, int eth, int ag)
{
    switch (ag) {
    case AG_CSC:
        return v->no_eth ? (eth % 3 ? "NK" : "RF") : eth_csc[eth];
    case AG_POLICE:
        return v->no_eth ? "IC0" : eth_police[eth];
    case AG_ED:
        return v->no_eth ? (eth % 2 ? "Z" : "99") : eth_nhs[eth];
    case AG_EDU:
        return v->no_eth ? (eth % 3 ? "NOBT" : "REFU") : eth_dfe[eth];
    default:
        return v->no_eth ? "Not known" : eth_yjs[eth];
    }
}

static void out_dob(struct out_file *o, const struct view *v, int style)
{
    if (v->no_dob)
        out_str(o, "");
    else if (style == 0)
        out_date_iso(o, v->dob);
    else if (style == 1)
        out_date_dmy(o, v->dob);
    else
        out_date_compact(o, v->dob);
}

/* Home postcode as recorded on day d ("" when the agency left it out). */
static const char *rec_pc(const struct gen *g, const struct child *c, const struct view *v,
                          svp_day d)
{
    return v->no_pc ? "" : g->pc[hh_pc(c->hh, d)].code;
}

void write_adult_nominal(struct gen *g, uint64_t adult_no, struct synth_rng *r, char sex,
                                const char *surname, svp_day dob, int area)
{
    char nid[24], pid[16], fore[64], addr[128];
    police_id(g, nid, sizeof nid, 2 * g->n + adult_no);
    adult_pid(pid, sizeof pid, adult_no);
    svp_strlcpy(fore, synth_names_given(g->names, sex, r), sizeof fore);
    int street = (int)synth_rng_below(r, 30), number = (int)synth_rng_range(r, 1, 180);
    addr_text(g, addr, sizeof addr, area, street, number);
    struct out_file *o = &g->files[F_POL_NOMINALS];
    out_str(o, nid);
    out_str(o, surname);
    out_str(o, fore);
    out_date_dmy(o, dob);
    out_str(o, sex == 'M' ? "M" : "F");
    out_str(o, synth_rng_chance(r, 0.85) ? "IC1" : "IC3");
    out_str(o, addr);
    out_str(o, g->pc[addr_pc(area, street, number)].code);
    row_end(g, F_POL_NOMINALS, nid, pid);
    synth_known_offender(g, adult_no, nid, pid, fore, surname, dob, sex,
                         g->pc[addr_pc(area, street, number)].code);
    char dob_s[12];
    svp_date_format(dob, dob_s, sizeof dob_s);
    fprintf(g->t_persons, "%s,ADULT,%s,%s,%s,%c,,,%s,\n", pid, fore, surname, dob_s, sex,
            area_code(g, area));
}

/* ------------------------------------------------------------------ children's social care */

static const char *const contact_sources[] = {"POLICE", "SCHOOL",    "HEALTH",   "HOUSING",
                                              "FAMILY", "ANONYMOUS", "LA_OTHER", "OTHER"};
static const double contact_source_cum[] = {30, 50, 65, 69, 79, 83, 93, 100};
static const char *const contact_reasons[] = {"DOMESTIC_ABUSE",
                                              "NEGLECT",
                                              "PHYSICAL_ABUSE",
                                              "SEXUAL_ABUSE",
                                              "EMOTIONAL_ABUSE",
                                              "MISSING",
                                              "CSE",
                                              "CCE",
                                              "BEHAVIOUR",
                                              "MENTAL_HEALTH",
                                              "PARENTING",
                                              "OTHER"};
static const double contact_reason_cum[] = {22, 38, 46, 50, 58, 60, 61, 62, 72, 82, 92, 100};

static void emit_assessment(struct gen *g, struct child *c, const char *refid, svp_day start,
                            const char *factors)
{
    if (start > g->end)
        return;
    char id[24];
    struct out_file *o = &g->files[F_CSC_ASSESSMENTS];
    seq_id(id, sizeof id, o, "SA", 8);
    const char *pid = view_id(g, c, AG_CSC, start, F_CSC_ASSESSMENTS, id);
    /* About 89% completed within 45 working days (county-profile
     * single_assessments_within_45_working_days). */
    int wd = synth_rng_chance(&c->r, 0.89) ? (int)synth_rng_range(&c->r, 8, 45)
                                           : (int)synth_rng_range(&c->r, 46, 90);
    svp_day done = wd_add(g, start, wd);
    out_str(o, id);
    out_str(o, pid);
    out_str(o, refid);
    out_date_iso(o, start);
    double u = synth_rng_unit(&c->r);
    const char *outcome = u < 0.35 ? "NFA" : u < 0.6 ? "EARLY_HELP" : u < 0.93 ? "CIN_PLAN" : "S47";
    if (done > g->end) {
        out_str(o, "");
        out_str(o, "");
    } else {
        out_date_iso(o, done);
        out_str(o, outcome);
    }
    out_str(o, factors);
    row_end(g, F_CSC_ASSESSMENTS, id, c->pid);
    if (done <= g->end && !strcmp(outcome, "S47")) {
        /* A section 47 enquiry that led to no conference: strategy discussion only. */
        struct out_file *p = &g->files[F_CSC_CP];
        for (int k = 0; k < 2; k++) {
            char eid[24];
            seq_id(eid, sizeof eid, p, "CP", 8);
            out_str(p, eid);
            out_str(p, view_id(g, c, AG_CSC, done, F_CSC_CP, eid));
            out_str(p, "");
            out_str(p, k ? "S47_START" : "STRATEGY_DISCUSSION");
            out_date_iso(p, done);
            out_str(p, "");
            row_end(g, F_CSC_CP, eid, c->pid);
        }
    }
}

/* A contact to the front door, with the decision and what followed. reason < 0 draws one. */
void emit_contact(struct gen *g, struct child *c, svp_time t, int source, int reason,
                         double p_referral, const char *factors)
{
    svp_day d = day_of(t);
    if (d > g->end || d < c->dob)
        return;
    struct out_file *o = &g->files[F_CSC_CONTACTS];
    char id[24];
    seq_id(id, sizeof id, o, "C", 8);
    if (source < 0)
        source = (int)synth_pick_cumulative(contact_source_cum, 8, synth_rng_unit(&c->r));
    if (reason < 0)
        reason = (int)synth_pick_cumulative(contact_reason_cum, 12, synth_rng_unit(&c->r));
    /* Working Together 2018 ch. 1: a decision within one working day, mostly met. */
    svp_day dec =
        wd_add(g, d, synth_rng_chance(&c->r, 0.85) ? 1 : (int)synth_rng_range(&c->r, 2, 5));
    double u = synth_rng_unit(&c->r);
    bool referral = u < p_referral;
    const char *outcome = referral               ? "REFERRAL"
                          : u < p_referral + 0.3 ? "NFA"
                          : u < p_referral + 0.5 ? "ADVICE"
                                                 : "EARLY_HELP";
    out_str(o, id);
    out_str(o, view_id(g, c, AG_CSC, d, F_CSC_CONTACTS, id));
    out_time_iso(o, t);
    out_str(o, contact_sources[source]);
    out_str(o, contact_reasons[reason]);
    if (dec > g->end) {
        out_str(o, "");
        out_str(o, "");
        referral = false;
    } else {
        out_date_iso(o, dec);
        out_str(o, outcome);
    }
    row_end(g, F_CSC_CONTACTS, id, c->pid);
    if (!referral)
        return;
    struct out_file *r = &g->files[F_CSC_REFERRALS];
    char rid[24];
    seq_id(rid, sizeof rid, r, "R", 8);
    svp_day rdec = wd_add(g, dec, synth_rng_chance(&c->r, 0.7) ? 0 : 1);
    bool rerefer = c->last_referral != INT32_MIN ? dec - c->last_referral <= 365
                                                 : synth_rng_chance(&c->r, 0.12);
    c->last_referral = dec;
    double v = synth_rng_unit(&c->r);
    const char *rout = v < 0.93 ? "ASSESSMENT" : v < 0.97 ? "STRATEGY" : "NFA";
    out_str(r, rid);
    out_str(r, view_id(g, c, AG_CSC, dec, F_CSC_REFERRALS, rid));
    out_str(r, id);
    out_date_iso(r, dec);
    out_str(r, contact_sources[source]);
    if (rdec > g->end) {
        out_str(r, "");
        out_str(r, "");
    } else {
        out_date_iso(r, rdec);
        out_str(r, rout);
    }
    out_str(r, rerefer ? "Y" : "N");
    row_end(g, F_CSC_REFERRALS, rid, c->pid);
    if (rdec > g->end || !strcmp(rout, "NFA"))
        return;
    if (!factors) {
        static const char *const f[] = {"DOMESTIC_ABUSE",
                                        "PARENT_MENTAL_HEALTH",
                                        "PARENT_SUBSTANCE",
                                        "NEGLECT",
                                        "DOMESTIC_ABUSE;PARENT_MENTAL_HEALTH",
                                        "NEGLECT;PARENT_SUBSTANCE",
                                        "SELF_HARM",
                                        ""};
        factors = f[synth_rng_below(&c->r, 8)];
    }
    emit_assessment(g, c, rid, rdec, factors);
    /* More single assessments than referrals in the profile (5,515 against 3,912): open
     * cases are re-assessed when circumstances change. */
    if (synth_rng_chance(&c->r, 0.45))
        emit_assessment(g, c, "", rdec + (svp_day)synth_rng_range(&c->r, 30, 180), factors);
}

static void cp_event(struct gen *g, struct child *c, const char *plan, const char *type, svp_day d,
                     const char *cat)
{
    struct out_file *p = &g->files[F_CSC_CP];
    char eid[24];
    seq_id(eid, sizeof eid, p, "CP", 8);
    out_str(p, eid);
    out_str(p, view_id(g, c, AG_CSC, d, F_CSC_CP, eid));
    out_str(p, plan);
    out_str(p, type);
    out_date_iso(p, d);
    out_str(p, cat);
    row_end(g, F_CSC_CP, eid, c->pid);
}

/* A child protection plan: a stock of 397 children on plans at any time
 * (county-profile child_protection_plans). Plans start uniformly over the 18 months before
 * the window and the window itself and last 3-18 months (mean 10.5). */
static void gen_cp_plan(struct gen *g, struct child *c)
{
    double span_m = 18.0 + g->o->months;
    double p = P_CP_PLANS / PROFILE_CHILDREN * span_m / 10.5;
    if (!synth_rng_chance(&c->r, p))
        return;
    svp_day lo = svp_date_add_months(g->start, -18);
    svp_day icpc = rand_day(&c->r, lo, g->end);
    if (icpc < c->dob + 14)
        icpc = c->dob + 14;
    svp_day end = icpc + (svp_day)synth_rng_range(&c->r, 91, 548);
    svp_day eighteen = svp_date_add_months(c->dob, 216);
    if (end > eighteen)
        end = eighteen;
    if (end < g->start || icpc > g->end || icpc >= end)
        return;
    char plan[24];
    snprintf(plan, sizeof plan, "PLN%07llu", (unsigned long long)++g->plan_seq);
    /* Working Together 2018: the initial conference within 15 working days of the strategy
     * discussion; about four in five on time. */
    int wd = synth_rng_chance(&c->r, 0.8) ? (int)synth_rng_range(&c->r, 5, 15)
                                          : (int)synth_rng_range(&c->r, 16, 30);
    svp_day strat = wd_add(g, icpc, -wd);
    cp_event(g, c, plan, "STRATEGY_DISCUSSION", strat, "");
    cp_event(g, c, plan, "S47_START", strat, "");
    cp_event(g, c, plan, "ICPC", icpc, "");
    static const char *const cats[] = {"NEGLECT", "EMOTIONAL", "PHYSICAL", "SEXUAL", "MULTIPLE"};
    static const double cat_cum[] = {48, 83, 91, 95, 100};
    cp_event(g, c, plan, "PLAN_START", icpc,
             cats[synth_pick_cumulative(cat_cum, 5, synth_rng_unit(&c->r))]);
    /* Reviews: first within 3 months of the ICPC, then every 6 months; some late. */
    svp_day due = svp_date_add_months(icpc, 3);
    while (true) {
        svp_day held = synth_rng_chance(&c->r, 0.9) ? due - (svp_day)synth_rng_range(&c->r, 0, 10)
                                                    : due + (svp_day)synth_rng_range(&c->r, 1, 25);
        if (held >= end || held > g->end)
            break;
        cp_event(g, c, plan, "REVIEW_CONFERENCE", held, "");
        due = svp_date_add_months(held, 6);
    }
    if (end <= g->end)
        cp_event(g, c, plan, "PLAN_END", end, "");
}

/* Decides whether c is looked after during the window (a stock of 443 at any time,
 * county-profile looked_after_children): episodes start uniformly in the 48 months before
 * the window and the window, and last 6-48 months (mean 27). */
static void plan_lac(struct gen *g, struct child *c)
{
    double span_m = 48.0 + g->o->months;
    double p = P_LAC / PROFILE_CHILDREN * span_m / 27.0 * 1.05; /* 1.05: episodes cut at 18 */
    if (!synth_rng_chance(&c->r, p))
        return;
    svp_day s = rand_day(&c->r, svp_date_add_months(g->start, -48), g->end);
    if (s < c->dob + 7)
        s = c->dob + 7;
    svp_day e = svp_date_add_months(s, (int)synth_rng_range(&c->r, 6, 48));
    svp_day eighteen = svp_date_add_months(c->dob, 216);
    if (e > eighteen)
        e = eighteen;
    if (e < g->start || s >= e || s > g->end)
        return;
    c->lac = true;
    c->lac_start = s;
    c->lac_end = e > g->end ? INT32_MAX : e;
}

static void emit_lac(struct gen *g, struct child *c)
{
    if (!c->lac)
        return;
    struct out_file *o = &g->files[F_CSC_LAC];
    char id[24];
    seq_id(id, sizeof id, o, "LA", 8);
    out_str(o, id);
    out_str(o, view_id(g, c, AG_CSC, c->lac_start, F_CSC_LAC, id));
    out_date_iso(o, c->lac_start);
    bool open = c->lac_end == INT32_MAX;
    if (open)
        out_str(o, "");
    else
        out_date_iso(o, c->lac_end);
    static const char *const legal[] = {"C2", "C1", "V2", "E1", "L2"};
    static const double legal_cum[] = {55, 70, 92, 97, 100};
    out_str(o, legal[synth_pick_cumulative(legal_cum, 5, synth_rng_unit(&c->r))]);
    static const char *const ptype[] = {"FOSTER_LA",      "FOSTER_AGENCY",    "KINSHIP",
                                        "CHILDRENS_HOME", "SEMI_INDEPENDENT", "WITH_PARENTS"};
    static const double ptype_cum[] = {45, 66, 75, 87, 93, 100};
    out_str(o, ptype[synth_pick_cumulative(ptype_cum, 6, synth_rng_unit(&c->r))]);
    /* 36% placed more than 20 miles away (county-profile looked_after_placed_over_20_miles). */
    uint32_t home = hh_pc(c->hh, c->lac_start), place;
    if (synth_rng_chance(&c->r, 0.27))
        place = (uint32_t)(g->nareas * PC_PER_AREA + synth_rng_below(&c->r, NTOWNS * PC_PER_TOWN));
    else
        place = (uint32_t)synth_rng_below(&c->r, g->nareas * PC_PER_AREA);
    double miles =
        miles_between(g->pc[home].lat, g->pc[home].lon, g->pc[place].lat, g->pc[place].lon);
    out_str(o, g->pc[place].code);
    out_fmt(o, "%.1f", miles);
    out_str(o, g->pc[place].area < 0 ? "Y" : "N");
    if (open) {
        out_str(o, "");
    } else {
        static const char *const why[] = {"RETURNED_HOME", "ADOPTED", "SGO", "OTHER"};
        bool adult = c->lac_end >= svp_date_add_months(c->dob, 216);
        out_str(o, adult ? "AGE_18" : why[synth_rng_below(&c->r, 4)]);
    }
    row_end(g, F_CSC_LAC, id, c->pid);
    /* Reviews: first within 20 working days, second within 3 months, then 6-monthly. */
    struct out_file *e = &g->files[F_CSC_LAC_EVENTS];
    svp_day stop = open ? g->end : c->lac_end;
    svp_day due = wd_add(g, c->lac_start, 20);
    for (int k = 0;; k++) {
        svp_day held = synth_rng_chance(&c->r, 0.88) ? due - (svp_day)synth_rng_range(&c->r, 0, 7)
                                                     : due + (svp_day)synth_rng_range(&c->r, 1, 20);
        if (held > stop)
            break;
        char eid[24];
        seq_id(eid, sizeof eid, e, "LE", 8);
        out_str(e, eid);
        out_str(e, view_id(g, c, AG_CSC, held, F_CSC_LAC_EVENTS, eid));
        out_str(e, id);
        out_str(e, "REVIEW");
        out_date_iso(e, held);
        row_end(g, F_CSC_LAC_EVENTS, eid, c->pid);
        due = svp_date_add_months(held, k == 0 ? 3 : 6);
    }
    /* Initial health assessment: 67% within 28 days (initial_health_assessments_within_28_days). */
    svp_day iha =
        c->lac_start + (synth_rng_chance(&c->r, 0.67) ? (svp_day)synth_rng_range(&c->r, 7, 28)
                                                      : (svp_day)synth_rng_range(&c->r, 29, 75));
    if (iha <= stop) {
        char eid[24];
        seq_id(eid, sizeof eid, e, "LE", 8);
        out_str(e, eid);
        out_str(e, view_id(g, c, AG_CSC, iha, F_CSC_LAC_EVENTS, eid));
        out_str(e, id);
        out_str(e, "IHA");
        out_date_iso(e, iha);
        row_end(g, F_CSC_LAC_EVENTS, eid, c->pid);
    }
}

/* Private fostering: 42 notifications a year (private_fostering_notifications). */
static void gen_private_fostering(struct gen *g, struct child *c)
{
    if (!synth_rng_chance(&c->r, P_PF / PROFILE_CHILDREN * g->years))
        return;
    svp_day start = rand_day(&c->r, g->start, g->end);
    if (start < c->dob + 60)
        return;
    svp_day note = start + (svp_day)synth_rng_range(&c->r, 0, 25);
    svp_day end = svp_date_add_months(start, (int)synth_rng_range(&c->r, 3, 18));
    if (note > g->end)
        return;
    char arr[16];
    struct out_file *o = &g->files[F_CSC_PF];
    snprintf(arr, sizeof arr, "PFA%06llu", (unsigned long long)++g->pf_seq);
    svp_day first_year = svp_date_add_months(note, 12);
    /* Regulation 8 of the Children (Private Arrangements for Fostering) Regulations 2005:
     * a visit within 7 days of notification, then at least every 6 weeks in the first year. */
    svp_day d = note;
    for (int k = 0;; k++) {
        const char *type = k == 0 ? "NOTIFICATION" : "VISIT";
        if (k == 1)
            d = note + (synth_rng_chance(&c->r, 0.8) ? (svp_day)synth_rng_range(&c->r, 1, 7)
                                                     : (svp_day)synth_rng_range(&c->r, 8, 21));
        else if (k > 1)
            d += synth_rng_chance(&c->r, 0.85) ? (svp_day)synth_rng_range(&c->r, 28, 42)
                                               : (svp_day)synth_rng_range(&c->r, 43, 60);
        if (d > g->end || d >= end || (k > 1 && d > first_year + 90))
            break;
        char id[24];
        seq_id(id, sizeof id, o, "PF", 8);
        out_str(o, id);
        out_str(o, view_id(g, c, AG_CSC, d, F_CSC_PF, id));
        out_str(o, arr);
        out_str(o, type);
        out_date_iso(o, start);
        out_date_iso(o, d);
        row_end(g, F_CSC_PF, id, c->pid);
    }
    if (end <= g->end) {
        char id[24];
        seq_id(id, sizeof id, o, "PF", 8);
        out_str(o, id);
        out_str(o, view_id(g, c, AG_CSC, end, F_CSC_PF, id));
        out_str(o, arr);
        out_str(o, "END");
        out_date_iso(o, start);
        out_date_iso(o, end);
        row_end(g, F_CSC_PF, id, c->pid);
    }
}

/* ------------------------------------------------------------------ police and return interviews
 */


struct where at_place(const struct gen *g, uint32_t place)
{
    return (struct where){g->pl[place].name, g->pl[place].pc};
}

static void emit_rhi(struct gen *g, struct child *c, const char *police_ref, svp_time back,
                     bool exploited)
{
    struct out_file *o = &g->files[F_RHI];
    char id[24];
    seq_id(id, sizeof id, o, "INT", 7);
    make_view(g, c, AG_RHI);
    const struct view *v = &c->v[AG_RHI];
    out_str(o, id);
    out_str(o, view_id(g, c, AG_RHI, day_of(back), F_RHI, id));
    out_str(o, v->fore);
    out_str(o, v->sur);
    out_dob(o, v, 1);
    out_str(o, sex_code(v, c->sex, AG_RHI));
    out_str(o, police_ref);
    out_time_dmy(o, back);
    /* county-profile: 441 interviews completed and 229 declined for 1,360 episodes. */
    double u = synth_rng_unit(&c->r);
    const char *outcome = u < P_RHI_COMPLETED / P_MISSING_EPISODES ? "COMPLETED"
                          : u < (P_RHI_COMPLETED + P_RHI_DECLINED) / P_MISSING_EPISODES
                              ? "DECLINED"
                              : "NOT_COMPLETED";
    bool never = outcome[0] == 'N' && synth_rng_chance(&c->r, 0.15);
    /* Statutory guidance on children who run away or go missing (2014): offer an
     * independent return interview within 72 hours of the child's return. */
    int offered_h = synth_rng_chance(&c->r, 0.85) ? (int)synth_rng_range(&c->r, 2, 70)
                                                  : (int)synth_rng_range(&c->r, 73, 200);
    svp_time offered = back + (svp_time)offered_h * 3600;
    svp_time done = 0;
    if (outcome[0] == 'C') {
        /* Most interviews are held within the 72 hours; an offer made late cannot be. */
        int h = offered_h < 72 && synth_rng_chance(&c->r, 0.62)
                    ? (int)synth_rng_range(&c->r, offered_h, 72)
                    : (int)synth_rng_range(&c->r, offered_h > 73 ? offered_h : 73, 240);
        done = back + (svp_time)h * 3600 + (h < 72 ? 1800 : 0);
    }
    if (never || offered > g->extract_time) {
        out_str(o, "");
        out_str(o, "NOT_COMPLETED");
        out_str(o, "");
        out_str(o, "");
    } else {
        out_time_dmy(o, offered);
        if (done > g->extract_time) {
            outcome = "NOT_COMPLETED";
            done = 0;
        }
        out_str(o, outcome);
        if (done)
            out_time_dmy(o, done);
        else
            out_str(o, "");
        if (done && exploited && synth_rng_chance(&c->r, 0.6)) {
            static const char *const disclosed[] = {"CSE;ADULT_ASSOCIATES", "CCE;DRUGS",
                                                    "CCE;PEER_ASSOCIATES;ADULT_ASSOCIATES"};
            out_str(o, disclosed[c->ex]);
        } else if (done && synth_rng_chance(&c->r, 0.3)) {
            static const char *const disclosed[] = {"HOME_CONFLICT", "BULLYING", "ALCOHOL",
                                                    "PEER_ASSOCIATES"};
            out_str(o, disclosed[synth_rng_below(&c->r, 4)]);
        } else {
            out_str(o, "");
        }
    }
    log_corr(g, F_RHI, id, v);
    row_end(g, F_RHI, id, c->pid);
}

/* One missing episode, its police record and (once returned) its return interview.
 * back == 0: still missing when the extract was taken. */
void emit_missing(struct gen *g, struct child *c, svp_time from, svp_time back,
                         struct where found, bool home, const char *with, bool exploited)
{
    if (day_of(from) > g->end || day_of(from) < g->start)
        return;
    if (back > g->extract_time)
        back = 0;
    struct out_file *o = &g->files[F_POL_MISSING];
    svp_time reported = from + (svp_time)synth_rng_range(&c->r, 30, 300) * 60;
    char id[32];
    snprintf(id, sizeof id, "MIS/%02d/%06llu", year2(day_of(reported)),
             (unsigned long long)++o->seq);
    out_str(o, id);
    out_str(o, view_id(g, c, AG_POLICE, day_of(from), F_POL_MISSING, id));
    out_time_dmy(o, reported);
    out_time_dmy(o, from);
    bool in_care = c->lac && day_of(from) >= c->lac_start && day_of(from) < c->lac_end;
    if (back) {
        out_time_dmy(o, back);
    } else {
        out_str(o, "");
    }
    double u = synth_rng_unit(&c->r);
    out_str(o, in_care ? "CARE_PLACEMENT" : u < 0.9 ? "HOME" : u < 0.95 ? "SCHOOL" : "OTHER");
    double risk = synth_rng_unit(&c->r) - (exploited ? 0.4 : 0);
    out_str(o, risk < 0.1   ? "HIGH"
               : risk < 0.6 ? "MEDIUM"
               : risk < 0.9 ? "LOW"
                            : "NO_APPARENT_RISK");
    if (!back) {
        for (int k = 0; k < 5; k++)
            out_str(o, "");
        out_str(o, "");
    } else {
        uint32_t pc = home ? hh_pc(c->hh, day_of(back)) : found.pc;
        out_str(o, home ? "HOME_ADDRESS" : found.name);
        out_str(o, g->pc[pc].code);
        out_fmt(o, "%.5f", g->pc[pc].lat);
        out_fmt(o, "%.5f", g->pc[pc].lon);
        out_str(o, g->pc[pc].area < 0 ? "Y" : "N");
        out_str(o, with);
    }
    static const char *const by[] = {"SELF", "POLICE", "FAMILY", "CARER"};
    out_str(o, back ? (in_care && synth_rng_chance(&c->r, 0.4) ? "CARER"
                                                               : by[synth_rng_below(&c->r, 3)])
                    : "");
    row_end(g, F_POL_MISSING, id, c->pid);
    if (back)
        emit_rhi(g, c, id, back, exploited);
}

/* A background missing episode: found at home, nearby or (11% of incidents,
 * missing_out_of_county_share) out of county. */
void background_missing(struct gen *g, struct child *c, svp_day d)
{
    svp_time from = at(d, (int)synth_rng_range(&c->r, 14 * 60, 23 * 60 + 59));
    double u = synth_rng_unit(&c->r);
    int hours = u < 0.6   ? (int)synth_rng_range(&c->r, 2, 12)
                : u < 0.9 ? (int)synth_rng_range(&c->r, 13, 48)
                          : (int)synth_rng_range(&c->r, 49, 120);
    svp_time back = from + (svp_time)hours * 3600 + (svp_time)synth_rng_range(&c->r, 0, 59) * 60;
    double f = synth_rng_unit(&c->r);
    int area = c->hh->area;
    struct where w = {"UNKNOWN", hh_pc(c->hh, d)};
    bool home = false;
    if (f < 0.12)
        w = at_place(g, (uint32_t)(g->nareas * PLACES_PER_AREA + synth_rng_below(&c->r, NTOWNS)));
    else if (f < 0.6)
        home = true;
    else if (f < 0.9)
        w = at_place(g, (uint32_t)(area * PLACES_PER_AREA + synth_rng_below(&c->r, 8)));
    else if (f < 0.97)
        w = at_place(g, (uint32_t)(synth_rng_below(&c->r, g->nareas) * PLACES_PER_AREA +
                                   synth_rng_below(&c->r, 8)));
    emit_missing(g, c, from, back, w, home, "", false);
}

static void emit_occ_row(struct gen *g, const char *ref, const char *nominal, const char *pid,
                         const char *role, const char *type, const char *cat, svp_time t,
                         struct where w, svp_time arrest, const char *outcome)
{
    struct out_file *o = &g->files[F_POL_OCC];
    char id[24];
    seq_id(id, sizeof id, o, "INV", 9);
    out_str(o, id);
    out_str(o, ref);
    out_str(o, nominal);
    out_str(o, role);
    out_str(o, type);
    out_str(o, cat);
    out_time_dmy(o, t);
    out_str(o, w.name);
    out_str(o, g->pc[w.pc].code);
    out_fmt(o, "%.5f", g->pc[w.pc].lat);
    out_fmt(o, "%.5f", g->pc[w.pc].lon);
    if (arrest)
        out_time_dmy(o, arrest);
    else
        out_str(o, "");
    out_str(o, outcome);
    row_end(g, F_POL_OCC, id, pid);
}

static void emit_yjs(struct gen *g, struct child *c, svp_day start, const char *outcome_police,
                     const char *cat)
{
    if (start > g->end)
        return;
    struct out_file *o = &g->files[F_YJS];
    char id[24], name[140];
    seq_id(id, sizeof id, o, "YI", 7);
    make_view(g, c, AG_YJS);
    const struct view *v = &c->v[AG_YJS];
    const char *type =
        !strcmp(outcome_police, "COMMUNITY_RESOLUTION") ? "TRIAGE"
        : !strcmp(outcome_police, "CAUTION")
            ? (synth_rng_chance(&c->r, 0.5) ? "YOUTH_CAUTION" : "YOUTH_CONDITIONAL_CAUTION")
        : synth_rng_chance(&c->r, 0.6) ? "REFERRAL_ORDER"
        : synth_rng_chance(&c->r, 0.8) ? "YRO"
                                       : "DTO";
    svp_day end = svp_date_add_months(start, (int)synth_rng_range(&c->r, 3, 12));
    out_str(o, id);
    out_str(o, view_id(g, c, AG_YJS, start, F_YJS, id));
    snprintf(name, sizeof name, "%s, %s", v->sur, v->fore);
    out_str(o, name);
    out_dob(o, v, 1);
    out_str(o, sex_code(v, c->sex, AG_YJS));
    out_str(o, eth_code(v, c->eth, AG_YJS));
    out_str(o, rec_pc(g, c, v, start));
    out_str(o, type);
    out_date_dmy(o, start);
    if (end > g->end)
        out_str(o, "");
    else
        out_date_dmy(o, end);
    out_str(o, cat);
    out_str(o, end > g->end ? "ONGOING" : synth_rng_chance(&c->r, 0.85) ? "COMPLETED" : "BREACH");
    log_corr(g, F_YJS, id, v);
    row_end(g, F_YJS, id, c->pid);
}

/* A crime or incident involving c; co is an adult of concern's number (or UINT64_MAX) who
 * is a co-suspect (or the suspect when c is the victim). */
void emit_occurrence(struct gen *g, struct child *c, svp_time t, const char *role,
                            const char *cat, struct where w, uint64_t co, double p_yjs)
{
    emit_occurrence_with(g, c, t, role, cat, w, co, p_yjs, NULL, NULL);
}

void emit_occurrence_with(struct gen *g, struct child *c, svp_time t, const char *role,
                          const char *cat, struct where w, uint64_t co, double p_yjs,
                          struct child *also, const char *also_role)
{
    if (day_of(t) > g->end || day_of(t) < g->start)
        return;
    char ref[32];
    snprintf(ref, sizeof ref, "OCC/%02d/%07llu", year2(day_of(t)),
             (unsigned long long)++g->occ_seq);
    bool suspect = !strcmp(role, "SUSPECT");
    const char *type =
        (!strcmp(cat, "ANTISOCIAL") || !strcmp(role, "WITNESS")) && synth_rng_chance(&c->r, 0.6)
            ? "INCIDENT"
            : "CRIME";
    svp_time arrest = suspect && synth_rng_chance(&c->r, 0.45)
                          ? t + (svp_time)synth_rng_range(&c->r, 0, 72 * 60) * 60
                          : 0;
    const char *outcome = "";
    if (suspect) {
        static const char *const outs[] = {"CHARGED", "CAUTION", "COMMUNITY_RESOLUTION", "NFA",
                                           "UNDER_INVESTIGATION"};
        static const double outs_cum[] = {25, 40, 62, 88, 100};
        outcome = outs[synth_pick_cumulative(outs_cum, 5, synth_rng_unit(&c->r))];
    }
    char pref[32];
    snprintf(pref, sizeof pref, "INV%09llu", (unsigned long long)g->files[F_POL_OCC].seq + 1);
    const char *nom = view_id(g, c, AG_POLICE, day_of(t), F_POL_OCC, pref);
    emit_occ_row(g, ref, nom, c->pid, role, type, cat, t, w, arrest, outcome);
    if (co != UINT64_MAX) {
        char nid[24], apid[16];
        police_id(g, nid, sizeof nid, 2 * g->n + co);
        adult_pid(apid, sizeof apid, co);
        emit_occ_row(g, ref, nid, apid, "SUSPECT", type, cat, t, w,
                     synth_rng_chance(&c->r, 0.5) ? t + 3600 : 0, "UNDER_INVESTIGATION");
    }
    if (also) {
        snprintf(pref, sizeof pref, "INV%09llu", (unsigned long long)g->files[F_POL_OCC].seq + 1);
        const char *snom = view_id(g, also, AG_POLICE, day_of(t), F_POL_OCC, pref);
        emit_occ_row(g, ref, snom, also->pid, also_role, type, cat, t, w, 0, "");
    }
    if (suspect && strcmp(outcome, "NFA") && strcmp(outcome, "UNDER_INVESTIGATION") &&
        synth_rng_chance(&c->r, p_yjs))
        emit_yjs(g, c, day_of(t) + (svp_day)synth_rng_range(&c->r, 14, 60), outcome, cat);
}

/* ------------------------------------------------------------------ health */

/* The child's NHS number: synthetic ones start with 9 and pass the modulus 11 check.
 * Empty when the check digit would be 10 (no such number is issued). */
static void nhs_number(const struct child *c, char *out, size_t cap)
{
    uint64_t body = 900000000u + synth_scramble(c->idx, 100000000u);
    int dig[9];
    uint64_t b = body;
    for (int i = 8; i >= 0; i--) {
        dig[i] = (int)(b % 10);
        b /= 10;
    }
    int check = synth_nhs_check_digit(dig);
    if (check >= 0)
        snprintf(out, cap, "%09llu%c", (unsigned long long)body, (char)('0' + check));
    else if (cap)
        out[0] = '\0';
}

void emit_ed(struct gen *g, struct child *c, svp_time t, const char *reason,
                    const char *accompanied)
{
    svp_day d = day_of(t);
    if (d > g->end || d < g->start || d < c->dob)
        return;
    struct out_file *o = &g->files[F_ED];
    char id[24], name[140], nhs[32] = "";
    seq_id(id, sizeof id, o, "ED", 9);
    make_view(g, c, AG_ED);
    const struct view *v = &c->v[AG_ED];
    out_str(o, id);
    out_str(o, view_id(g, c, AG_ED, d, F_ED, id));
    nhs_number(c, nhs, sizeof nhs); /* a few attendances are recorded without it */
    if (nhs[0] && synth_rng_chance(&c->r, 0.08))
        nhs[0] = '\0';
    out_str(o, nhs);
    char upper[64];
    size_t k = 0;
    for (; v->sur[k] && k + 1 < sizeof upper; k++)
        upper[k] = (v->sur[k] >= 'a' && v->sur[k] <= 'z') ? (char)(v->sur[k] - 32) : v->sur[k];
    upper[k] = '\0';
    snprintf(name, sizeof name, "%s, %s", upper, v->fore);
    out_str(o, name);
    out_dob(o, v, 2);
    out_str(o, sex_code(v, c->sex, AG_ED));
    out_str(o, eth_code(v, c->eth, AG_ED));
    out_str(o, rec_pc(g, c, v, d));
    out_time_isot(o, t);
    out_str(o, reason);
    bool serious = strcmp(reason, "ILLNESS") && strcmp(reason, "INJURY_ACCIDENT");
    out_str(o, serious && synth_rng_chance(&c->r, 0.5) ? "AMBULANCE"
               : !strcmp(accompanied, "POLICE")        ? "POLICE"
                                                       : "WALK_IN");
    out_str(o, accompanied);
    out_str(o, serious && synth_rng_chance(&c->r, 0.5) ? "Y" : "N");
    log_corr(g, F_ED, id, v);
    row_end(g, F_ED, id, c->pid);
}

static void emit_sh(struct gen *g, struct child *c, svp_day d, bool concern)
{
    if (d > g->end || d < g->start)
        return;
    struct out_file *o = &g->files[F_SH];
    char id[24];
    seq_id(id, sizeof id, o, "SHV", 8);
    make_view(g, c, AG_SH);
    const struct view *v = &c->v[AG_SH];
    out_str(o, id);
    out_str(o, view_id(g, c, AG_SH, d, F_SH, id));
    out_str(o, v->fore);
    out_str(o, v->sur);
    out_dob(o, v, 0);
    out_str(o, sex_code(v, c->sex, AG_SH));
    char district[8] = "";
    if (!v->no_pc) {
        const char *pc = g->pc[hh_pc(c->hh, d)].code;
        size_t n = (size_t)(strchr(pc, ' ') - pc);
        memcpy(district, pc, n);
        district[n] = '\0';
    }
    out_str(o, district);
    out_date_iso(o, d);
    static const char *const svc[] = {"STI_TEST", "CONTRACEPTION", "EMERGENCY_CONTRACEPTION",
                                      "PREGNANCY_TEST", "ADVICE"};
    out_str(o, svc[synth_rng_below(&c->r, 5)]);
    out_str(o, concern ? "Y" : "N");
    log_corr(g, F_SH, id, v);
    row_end(g, F_SH, id, c->pid);
}

/* ------------------------------------------------------------------ education */

struct term {
    svp_day start, end;
    int year; /* academic year's first calendar year */
    const char *name;
    int sessions;
};

/* Age on 31 August before the academic year that starts in calendar year y. */
static int age_at_aug31(svp_day dob, int y)
{
    int by, bm, bd;
    svp_date_to_ymd(dob, &by, &bm, &bd);
    int age = y - by;
    if (bm > 8)
        age--;
    return age;
}

static int school_for(int area, int age)
{
    /* Two primaries (places 8 and 9) and one secondary (10) per area. */
    return area * PLACES_PER_AREA + (age <= 10 ? 8 + (area + age) % 2 : 10);
}

static void edu_event(struct gen *g, struct child *c, const char *type, svp_day s, svp_day e,
                      int days, const char *reason, const char *urn)
{
    struct out_file *o = &g->files[F_EDU_EV];
    char id[24];
    seq_id(id, sizeof id, o, "EV", 9);
    make_view(g, c, AG_EDU);
    const struct view *v = &c->v[AG_EDU];
    out_str(o, id);
    out_str(o, view_id(g, c, AG_EDU, s, F_EDU_EV, id));
    out_str(o, v->sur);
    out_str(o, v->fore);
    out_dob(o, v, 1);
    out_str(o, type);
    out_date_dmy(o, s);
    if (e)
        out_date_dmy(o, e);
    else
        out_str(o, "");
    if (days)
        out_fmt(o, "%d", days);
    else
        out_str(o, "");
    out_str(o, reason);
    out_str(o, urn);
    log_corr(g, F_EDU_EV, id, v);
    row_end(g, F_EDU_EV, id, c->pid);
}

static void gen_education(struct gen *g, struct child *c)
{
    int sy, sm, sd;
    svp_date_to_ymd(g->start, &sy, &sm, &sd);
    /* A pupil's own propensity to be absent: persistent absence (below 90%) in about
     * 10.3% of pupil-terms (county-profile persistent_absence). */
    double base = 0.015 + synth_rng_exp(&c->r, 0.036);
    if (c->decoy & DC_ABSENCE)
        base = 0.12 + synth_rng_unit(&c->r) * 0.12;
    int ev_budget = 0;
    svp_day cme_from = INT32_MAX, ehe_from = INT32_MAX;
    if (synth_rng_chance(&c->r, 0.003))
        cme_from = rand_day(&c->r, g->start, g->end);
    else if (synth_rng_chance(&c->r, 0.006))
        ehe_from = rand_day(&c->r, g->start, g->end);
    bool excluded = false;
    for (int y = sy - 1; y <= sy + g->o->months / 12 + 1; y++) {
        int age = age_at_aug31(c->dob, y);
        if (age < 4 || age > 15)
            continue;
        struct term terms[3];
        svp_day a, b;
        if (svp_date_from_ymd(y, 9, 1, &a) || svp_date_from_ymd(y, 12, 20, &b))
            continue;
        terms[0] = (struct term){a, b, y, "AUT", 144};
        if (svp_date_from_ymd(y + 1, 1, 4, &a) || svp_date_from_ymd(y + 1, 3, 31, &b))
            continue;
        terms[1] = (struct term){a, b, y, "SPR", 118};
        if (svp_date_from_ymd(y + 1, 4, 15, &a) || svp_date_from_ymd(y + 1, 7, 20, &b))
            continue;
        terms[2] = (struct term){a, b, y, "SUM", 130};
        for (int t = 0; t < 3; t++) {
            const struct term *tm = &terms[t];
            if (tm->end < g->start || tm->start > g->end || tm->start >= cme_from ||
                tm->start >= ehe_from)
                continue;
            int area, st, no;
            hh_addr(c->hh, tm->start, &area, &st, &no);
            int school = school_for(area, age);
            if (excluded && age > 10)
                school = ((area + 1) % g->nareas) * PLACES_PER_AREA + 10;
            double absent = base;
            bool harmed = c->ex != EX_NONE && tm->start >= c->harm;
            if (harmed && c->school_only) /* only the attendance shows it */
                absent += 0.2 + 0.06 * ((tm->start - c->harm) / 120);
            else if (harmed)
                absent += 0.12 + 0.05 * ((tm->start - c->harm) / 120);
            absent += (synth_rng_unit(&c->r) - 0.5) * 0.02;
            if (absent < 0)
                absent = 0;
            if (absent > 0.9)
                absent = 0.9;
            int possible = tm->sessions - (int)synth_rng_below(&c->r, 5);
            int missed = (int)lround(absent * possible);
            double unauth_share = harmed ? 0.75 : 0.3;
            int unauth = (int)lround(missed * unauth_share);
            struct out_file *o = &g->files[F_EDU_ATT];
            char id[24], ay[12];
            seq_id(id, sizeof id, o, "AT", 9);
            make_view(g, c, AG_EDU);
            const struct view *v = &c->v[AG_EDU];
            out_str(o, id);
            out_str(o, view_id(g, c, AG_EDU, tm->start, F_EDU_ATT, id));
            out_str(o, v->sur);
            out_str(o, v->fore);
            out_dob(o, v, 1);
            out_str(o, sex_code(v, c->sex, AG_EDU));
            out_str(o, eth_code(v, c->eth, AG_EDU));
            out_str(o, rec_pc(g, c, v, tm->start));
            out_str(o, g->pl[school].urn);
            out_str(o, g->pl[school].name);
            snprintf(ay, sizeof ay, "%d/%02d", tm->year, (tm->year + 1) % 100);
            out_str(o, ay);
            out_str(o, tm->name);
            out_fmt(o, "%d", possible);
            out_fmt(o, "%d", possible - missed);
            out_fmt(o, "%d", missed - unauth);
            out_fmt(o, "%d", unauth);
            log_corr(g, F_EDU_ATT, id, v);
            row_end(g, F_EDU_ATT, id, c->pid);
            /* Suspensions: background in secondary school, more once harm has begun. */
            double p_susp = age >= 11 ? 0.012 : 0.002;
            if (harmed && !c->school_only)
                p_susp = 0.45;
            if ((c->decoy & DC_SUSPENSION) && ev_budget == 0)
                p_susp = 1;
            if (synth_rng_chance(&c->r, p_susp) && ev_budget < 4) {
                ev_budget++;
                svp_day s = rand_day(&c->r, tm->start, tm->end - 10);
                int days = (int)synth_rng_range(&c->r, 1, 5);
                static const char *const reasons[] = {"PERSISTENT_DISRUPTION",
                                                      "PHYSICAL_ASSAULT_PUPIL",
                                                      "VERBAL_ABUSE",
                                                      "PHYSICAL_ASSAULT_ADULT",
                                                      "DAMAGE",
                                                      "OTHER",
                                                      "DRUGS_ALCOHOL",
                                                      "WEAPON"};
                const char *why = harmed ? reasons[5 + synth_rng_below(&c->r, 3)]
                                         : reasons[synth_rng_below(&c->r, 6)];
                if (harmed && c->ex != EX_CSE && !excluded && synth_rng_chance(&c->r, 0.12)) {
                    edu_event(g, c, "PERMANENT_EXCLUSION", s, 0, 0, why, g->pl[school].urn);
                    excluded = true;
                } else if (s <= g->end && s >= g->start) {
                    edu_event(g, c, "SUSPENSION", s, wd_add(g, s, days - 1), days, why,
                              g->pl[school].urn);
                }
            }
        }
    }
    if (cme_from != INT32_MAX) {
        int age = age_at_aug31(c->dob, sy);
        if (age >= 4 && age <= 15)
            edu_event(g, c, "CME", cme_from,
                      synth_rng_chance(&c->r, 0.6) && cme_from + 60 <= g->end ? cme_from + 60 : 0,
                      0, synth_rng_chance(&c->r, 0.5) ? "NOT_ON_ROLL" : "LEFT_NO_DESTINATION", "");
    }
    if (ehe_from != INT32_MAX) {
        int age = age_at_aug31(c->dob, sy);
        static const char *const why[] = {"PARENT_CHOICE", "SCHOOL_DISPUTE", "HEALTH"};
        if (age >= 4 && age <= 15)
            edu_event(g, c, "EHE", ehe_from, 0, 0, why[synth_rng_below(&c->r, 3)], "");
    }
}

/* ------------------------------------------------------------------ domestic abuse */

/* Domestic abuse at households with children: 3,312 incidents a year
 * (county-profile domestic_abuse_incidents). About 3% of households, ~1.9 incidents a year.
 * da.c plans each household's story; this writes it: police DA rows (victim, suspect, DASH,
 * children present), the MARAC coordinator's list of cases heard, and truth/da.csv. */
static void da_adult(const struct gen *g, const struct household *h, enum synth_da_who w,
                     uint64_t *adult_no)
{
    /* The household's own two adults, and two more in a range of their own after every
     * household's pair, so no id collides with another household's. */
    if (w == DA_VICTIM || w == DA_PERP)
        *adult_no = h->adult0 + (w == DA_PERP);
    else
        *adult_no = g->nadults_concern + 2 * g->n + 2 * h->no + (w == DA_NEW);
}

static void gen_domestic_abuse(struct gen *g, struct household *h, struct child *kids,
                               struct synth_rng *r)
{
    double households = PROFILE_CHILDREN / 1.83;
    double q = P_DA_INCIDENTS / (households * 1.9);
    if (!synth_rng_chance(r, q))
        return;
    h->da = true;
    h->adult0 = g->nadults_concern + 2 * h->no;
    struct synth_da_plan plan;
    synth_da_plan(r, g->start, g->end, 1.6, &plan);
    char vsex = synth_rng_chance(r, 0.85) ? 'F' : 'M', ssex = vsex == 'F' ? 'M' : 'F';
    svp_day eldest = kids[0].dob;
    for (int j = 1; j < h->nkids; j++)
        if (kids[j].dob < eldest)
            eldest = kids[j].dob;
    char nom[4][24], pid[4][16];
    bool used[4] = {true, true, plan.serial, plan.two_perps};
    for (int w = 0; w < 4; w++) {
        uint64_t a;
        da_adult(g, h, (enum synth_da_who)w, &a);
        police_id(g, nom[w], sizeof nom[w], 2 * g->n + a);
        adult_pid(pid[w], sizeof pid[w], a);
        if (!used[w])
            continue;
        bool victim = w == DA_VICTIM || w == DA_EX;
        char sex = victim ? vsex : ssex;
        const char *surname = w == DA_VICTIM                              ? h->surname
                              : w == DA_PERP && synth_rng_chance(r, 0.6) ? h->surname
                                                                          : synth_names_surname(
                                                                                g->names, r);
        write_adult_nominal(g, a, r, sex, surname,
                            eldest - (svp_day)synth_rng_range(r, 18 * 365, 34 * 365),
                            w == DA_EX ? (int)synth_rng_below(r, g->nareas) : h->area);
        if (w == DA_VICTIM || w == DA_PERP) /* the household's own two adults */
            fprintf(g->t_households, "H%08llu,%s,%s\n", (unsigned long long)(h->no + 1), pid[w],
                    w == DA_VICTIM ? "adult_da_victim" : "adult_da_perpetrator");
    }
    static const char *const levels[] = {"STANDARD", "MEDIUM", "HIGH"};
    for (int k = 0; k < plan.n; k++) {
        const struct synth_da_incident *x = &plan.v[k];
        struct out_file *o = &g->files[F_POL_DA];
        svp_day d = day_of(x->at);
        char id[32];
        snprintf(id, sizeof id, "DA/%02d/%06llu", year2(d), (unsigned long long)++o->seq);
        uint32_t pc = hh_pc(h, d);
        if (!x->kids) /* the ex-partner's home: somewhere in her area */
            pc = (uint32_t)synth_rng_below(r, (uint64_t)g->npc);
        out_str(o, id);
        out_time_dmy(o, x->at);
        out_str(o, nom[x->victim]);
        out_str(o, nom[x->perp]);
        out_str(o, g->pc[pc].code);
        out_fmt(o, "%.5f", g->pc[pc].lat);
        out_fmt(o, "%.5f", g->pc[pc].lon);
        out_str(o, levels[x->level]);
        /* x->yes answers are yes, the rest no or (5%) not known, in random positions */
        unsigned char ans[27];
        memset(ans, 'N', sizeof ans);
        for (int y = 0; y < x->yes && y < 27;) {
            int q2 = (int)synth_rng_below(r, 27);
            if (ans[q2] != 'Y') {
                ans[q2] = 'Y';
                y++;
            }
        }
        for (int q2 = 0; q2 < 27; q2++)
            out_str(o, ans[q2] == 'Y' ? "Y" : synth_rng_chance(r, 0.05) ? "NK" : "N");
        char present[512] = "", all[512] = "";
        size_t lp = 0, la = 0;
        int nkids = 0;
        for (int j = 0; x->kids && j < h->nkids; j++) {
            struct child *c = &kids[j];
            if (c->dob > d)
                continue;
            char rec[40];
            snprintf(rec, sizeof rec, "%s", id);
            const char *cnom = view_id(g, c, AG_POLICE, d, F_POL_DA, rec);
            la += (size_t)snprintf(all + la, sizeof all - la, "%s%s", la ? ";" : "", cnom);
            nkids++;
            if (synth_rng_chance(r, 0.37)) {
                lp += (size_t)snprintf(present + lp, sizeof present - lp, "%s%s", lp ? ";" : "",
                                       cnom);
                if (synth_rng_chance(r, 0.45))
                    emit_contact(g, c, x->at + 6 * 3600, 0, 0, 0.25, "DOMESTIC_ABUSE");
            }
            if (la >= sizeof all - 40 || lp >= sizeof present - 40)
                break;
        }
        out_str(o, present);
        out_str(o, all);
        out_str(o, x->referred ? "Y" : "N");
        /* The incident's truth person is the victim; children are listed by id. */
        row_end(g, F_POL_DA, id, pid[x->victim]);
        const char *scenario = x->victim == DA_EX     ? "serial"
                               : x->perp == DA_NEW    ? "second_perpetrator"
                               : plan.escalating      ? "escalating"
                                                      : "ordinary";
        fprintf(g->t_da, "%s,%s,%s,%s,%s,%d,%s,%d\n", id, pid[x->victim], pid[x->perp],
                nom[x->victim], nom[x->perp], x->yes, scenario, x->referred);
        if (x->agency < 0 || x->heard > g->end)
            continue;
        struct out_file *m = &g->files[F_MARAC];
        char mref[32];
        snprintf(mref, sizeof mref, "M%02d-%05llu", year2(x->heard),
                 (unsigned long long)++m->seq);
        out_str(m, mref);
        out_date_dmy(m, x->heard);
        out_str(m, nom[x->victim]);
        out_str(m, synth_da_agencies[x->agency]);
        out_str(m, x->repeat ? "Y" : "N");
        out_fmt(m, "%d", nkids);
        out_str(m, synth_rng_chance(r, 0.12) ? "Y" : "N");
        out_str(m, synth_rng_chance(r, 0.02) ? "Y" : "N");
        row_end(g, F_MARAC, mref, pid[x->victim]);
    }
}

static void gen_exploited(struct gen *g, struct child *c)
{
    const struct group *gr = &g->groups[c->group];
    uint32_t gi = c->group;
    int nepisodes = 0;
    for (int e = 0; e < gr->nev; e++) {
        if (!joins(g, gi, e, c->slot))
            continue;
        uint64_t h = synth_hash(g->o->seed ^ gi, (uint64_t)e);
        svp_time from =
            at(gr->ev[e], 16 * 60 + (int)(h % 360)) + (svp_time)synth_rng_range(&c->r, 0, 40) * 60;
        svp_time back = from + (svp_time)(6 + (h >> 16) % 42) * 3600 +
                        (svp_time)synth_rng_range(&c->r, 0, 90) * 60;
        uint32_t place = gr->hotspot;
        if (gr->type == EX_CL && (h >> 32) % 10 < 7)
            place = gr->route;
        else if (gr->type == EX_CSE && (h >> 32) % 10 < 2)
            place = (uint32_t)(gr->area * PLACES_PER_AREA + 7);
        char with[512] = "";
        size_t lw = 0;
        for (int m = 0; m < gr->nmem && lw < sizeof with - 40; m++) {
            if ((uint32_t)m == c->slot || !joins(g, gi, e, (uint32_t)m))
                continue;
            char nid[24];
            police_id(g, nid, sizeof nid, gr->mem[m]);
            lw += (size_t)snprintf(with + lw, sizeof with - lw, "%s%s", lw ? ";" : "", nid);
        }
        for (int a = 0; a < gr->nadult && lw < sizeof with - 40; a++) {
            if (!adult_joins(g, gi, e, a))
                continue;
            char nid[24];
            police_id(g, nid, sizeof nid, 2 * g->n + gr->adult[a]);
            lw += (size_t)snprintf(with + lw, sizeof with - lw, "%s%s", lw ? ";" : "", nid);
        }
        emit_missing(g, c, from, back, at_place(g, place), false, with, true);
        if (nepisodes++ < 3 && synth_rng_chance(&c->r, 0.4))
            emit_contact(g, c, back + 20 * 3600, 0, 5, 0.5, "MISSING");
    }
    svp_day harm = c->harm;
    int months_after = (g->end - harm) / 30;
    int solo = synth_rng_poisson(&c->r, 0.05 * months_after);
    for (int k = 0; k < solo; k++) {
        svp_time from = at(rand_day(&c->r, harm, g->end), (int)synth_rng_range(&c->r, 900, 1400));
        emit_missing(g, c, from, from + (svp_time)synth_rng_range(&c->r, 4, 60) * 3600,
                     at_place(g, gr->hotspot), synth_rng_chance(&c->r, 0.4), "", true);
    }
    static const char *const factors[] = {"CSE;MISSING", "CCE;MISSING;GANGS",
                                          "CCE;MISSING;TRAFFICKING;CHILD_DRUGS"};
    emit_contact(g, c, at(rand_day(&c->r, harm + 30, harm + 150), 600), 1, c->ex == EX_CSE ? 6 : 7,
                 0.85, factors[c->ex]);
    /* Police: drug supply and weapons for criminal exploitation, victim of CSE otherwise;
     * an adult of the group is the co-suspect or suspect. */
    int k = 1 + (int)synth_rng_below(&c->r, 2);
    for (int i = 0; i < k; i++) {
        svp_day d = rand_day(&c->r, harm + 20, g->end);
        uint32_t place =
            gr->route != UINT32_MAX && synth_rng_chance(&c->r, 0.5) ? gr->route : gr->hotspot;
        uint64_t adult = gr->adult[synth_rng_below(&c->r, (uint64_t)gr->nadult)];
        svp_time t = at(d, (int)synth_rng_range(&c->r, 600, 1430));
        if (c->ex == EX_CSE)
            emit_occurrence(g, c, t, "VICTIM",
                            synth_rng_chance(&c->r, 0.7) ? "CSE" : "SEXUAL_OFFENCE",
                            at_place(g, place), adult, 0);
        else
            emit_occurrence(g, c, t, "SUSPECT",
                            i == 1 && synth_rng_chance(&c->r, 0.6) ? "WEAPON_POSSESSION"
                                                                   : "DRUG_SUPPLY",
                            at_place(g, place), adult, 0.8);
    }
    /* A brother or sister drawn in: the police come to the family home, where the adults
     * of the group are with the child, and record the sibling as a witness or a victim. */
    if (c->sib) {
        int nhome = 1 + (int)(synth_hash(g->o->seed ^ c->idx, 0x51B) % 3);
        svp_day span = g->end - harm > 40 ? g->end - harm - 20 : 20;
        for (int i = 0; i < nhome; i++) {
            uint64_t hsh = synth_hash(g->o->seed ^ c->idx, 0x51C + (uint64_t)i);
            svp_day d = harm + 20 + (svp_day)(hsh % (uint64_t)span);
            int a, s2, no;
            hh_addr(c->hh, d, &a, &s2, &no);
            char addr[128];
            addr_text(g, addr, sizeof addr, a, s2, no);
            struct where home = {addr, addr_pc(a, s2, no)};
            uint64_t adult = gr->adult[(hsh >> 20) % (uint64_t)gr->nadult];
            emit_occurrence_with(g, c, at(d, 600 + (int)((hsh >> 8) % 800)),
                                 c->ex == EX_CSE ? "VICTIM" : "SUSPECT",
                                 c->ex == EX_CSE ? "SEXUAL_OFFENCE" : "DRUG_SUPPLY", home, adult,
                                 0.5, c->sib, (hsh >> 40) % 10 < 6 ? "WITNESS" : "VICTIM");
        }
    }
    if (c->ex != EX_CSE && synth_rng_chance(&c->r, 0.3))
        emit_occurrence(g, c, at(rand_day(&c->r, harm, g->end), 1300), "VICTIM", "ROBBERY",
                        at_place(g, gr->hotspot), UINT64_MAX, 0);
    /* Emergency department: injuries, substances, self-harm. */
    int ned = 1 + (int)synth_rng_below(&c->r, 3);
    static const char *const ed_cse[] = {"SELF_HARM", "OVERDOSE", "ALCOHOL", "INJURY_ASSAULT"};
    static const char *const ed_cce[] = {"INJURY_ASSAULT", "INJURY_STAB", "DRUGS", "ALCOHOL"};
    static const char *const with[] = {"FRIEND", "ADULT_NOT_FAMILY", "ALONE", "POLICE"};
    for (int i = 0; i < ned; i++)
        emit_ed(g, c, at(rand_day(&c->r, harm, g->end), (int)synth_rng_range(&c->r, 0, 1439)),
                (c->ex == EX_CSE ? ed_cse : ed_cce)[synth_rng_below(&c->r, 4)],
                with[synth_rng_below(&c->r, 4)]);
    if (c->ex == EX_CSE && c->sex == 'F') {
        int nsh = 1 + (int)synth_rng_below(&c->r, 3);
        for (int i = 0; i < nsh; i++)
            emit_sh(g, c, rand_day(&c->r, harm, g->end), synth_rng_chance(&c->r, 0.6));
    }
}


/* ------------------------------------------------------------------ background lives */

static int age_years(svp_day dob, svp_day d)
{
    return (int)((d - dob) / 365.25);
}

static void gen_background(struct gen *g, struct child *c)
{
    struct synth_rng *r = &c->r;
    int nyears = (g->o->months + 11) / 12;
    for (int y = 0; y < nyears; y++) {
        svp_day ys = svp_date_add_months(g->start, 12 * y);
        svp_day ye = svp_date_add_months(g->start, 12 * (y + 1)) - 1;
        if (ye > g->end)
            ye = g->end;
        double frac = (ye - ys + 1) / 365.25;
        int age = age_years(c->dob, ys);
        /* Missing: 1,360 episodes by 513 children a year, 54% of episodes by the 131
         * children in care who go missing (county-profile missing profile). */
        bool in_care = c->lac && c->lac_start <= ye && c->lac_end >= ys;
        /* (a care-missing decoy's episodes are its own: decoys.c) */
        if (in_care && age >= 8 && synth_rng_chance(r, 0.34 * frac) && !(c->decoy & DC_CARE)) {
            int n = synth_rng_chance(r, 0.09) ? 12 + synth_rng_poisson(r, 4)
                                              : 1 + synth_rng_poisson(r, 1.6);
            svp_day lo = c->lac_start > ys ? c->lac_start : ys;
            svp_day hi = c->lac_end < ye ? c->lac_end : ye;
            for (int k = 0; k < n; k++)
                background_missing(g, c, rand_day(r, lo, hi));
        } else if (!in_care && c->ex == EX_NONE && age >= 10 &&
                   synth_rng_chance(r, 0.0075 * frac)) {
            int n = 1 + synth_rng_poisson(r, 0.45);
            for (int k = 0; k < n; k++)
                background_missing(g, c, rand_day(r, ys, ye));
        }
        /* Police: victims, suspects and witnesses among older children; some incidents at
         * the two incident hotspots. */
        if (age >= 10) {
            static const char *const vcat[] = {"ASSAULT", "THEFT", "ROBBERY", "SEXUAL_OFFENCE"};
            static const char *const scat[] = {"THEFT", "CRIMINAL_DAMAGE", "ASSAULT", "ANTISOCIAL",
                                               "DRUG_POSSESSION"};
            const char *role = NULL, *cat = NULL;
            double u = synth_rng_unit(r) / frac;
            if (u < 0.015) {
                role = "VICTIM";
                cat = vcat[synth_rng_below(r, 4)];
            } else if (u < 0.025) {
                role = "SUSPECT";
                cat = scat[synth_rng_below(r, 5)];
            } else if (u < 0.032) {
                role = "WITNESS";
                cat = scat[synth_rng_below(r, 4)];
            }
            if (role) {
                svp_day d = rand_day(r, ys, ye);
                struct where w;
                char addr[128];
                double p = synth_rng_unit(r);
                if (p < 0.25) {
                    w = at_place(g, g->incident_hotspot[synth_rng_below(r, 2)]);
                } else if (p < 0.7) {
                    w = at_place(g,
                                 (uint32_t)(c->hh->area * PLACES_PER_AREA + synth_rng_below(r, 8)));
                } else {
                    int a, s, no;
                    hh_addr(c->hh, d, &a, &s, &no);
                    addr_text(g, addr, sizeof addr, a, s, no);
                    w = (struct where){addr, addr_pc(a, s, no)};
                }
                emit_occurrence(g, c, at(d, (int)synth_rng_range(r, 480, 1439)), role, cat, w,
                                UINT64_MAX, 0.72);
            }
        }
        /* Emergency department and sexual health. */
        int ned = synth_rng_poisson(r, 0.2 * frac);
        for (int k = 0; k < ned; k++) {
            static const char *const why[] = {"ILLNESS",   "INJURY_ACCIDENT", "MENTAL_HEALTH",
                                              "SELF_HARM", "ALCOHOL",         "INJURY_ASSAULT"};
            static const double cum_young[] = {55, 100, 100, 100, 100, 100};
            static const double cum_teen[] = {40, 78, 85, 92, 96, 100};
            int i =
                (int)synth_pick_cumulative(age >= 12 ? cum_teen : cum_young, 6, synth_rng_unit(r));
            emit_ed(g, c, at(rand_day(r, ys, ye), (int)synth_rng_range(r, 0, 1439)), why[i],
                    age < 16 ? "PARENT" : "ALONE");
        }
        if (age >= 14 && synth_rng_chance(r, (c->sex == 'F' ? 0.05 : 0.01) * frac))
            emit_sh(g, c, rand_day(r, ys, ye), synth_rng_chance(r, 0.02));
    }
    /* Contacts to the front door: 14,016 a year (contacts_to_social_care), 27.9% becoming
     * referrals (referrals_to_mash 3,912), concentrated in a minority of families. Domestic
     * abuse and exploitation contacts come on top, so the base is a little lower. */
    static const double tier_mult[] = {0.35 / 0.8975, 3.0 / 0.8975, 8.0 / 0.8975};
    double lambda = (P_CONTACTS - 1900.0) / PROFILE_CHILDREN * tier_mult[c->tier] * g->years;
    int nc = synth_rng_poisson(r, lambda);
    for (int k = 0; k < nc; k++)
        emit_contact(g, c, at(rand_day(r, g->start, g->end), (int)synth_rng_range(r, 420, 1260)),
                     -1, -1, 0.30, NULL);
}

/* ------------------------------------------------------------------ person registers and truth */

/* The NHS number children's social care holds for a child: most records have it, not
 * all, and a few have two adjacent digits swapped in the keying. Drawn from a stream of
 * its own, so the rest of the county is the same with or without this column. */
static void csc_nhs_number(struct gen *g, const struct child *c, char *out, size_t cap,
                           bool *keyed_wrong)
{
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, (c->idx + 1) * 16 + AG_CSC + 0x2000000000ULL);
    *keyed_wrong = false;
    nhs_number(c, out, cap);
    if (!out[0] || !synth_rng_chance(&r, 0.8)) {
        out[0] = '\0';
        return;
    }
    if (synth_rng_chance(&r, 0.01)) {
        size_t k = (size_t)synth_rng_below(&r, 9);
        char t = out[k];
        out[k] = out[k + 1];
        out[k + 1] = t;
        *keyed_wrong = out[k] != out[k + 1];
    }
}

static void register_rows(struct gen *g, struct child *c, int ag)
{
    if (!c->known[ag])
        return;
    struct view *v = &c->v[ag];
    int a, s, no;
    hh_addr(c->hh, g->end, &a, &s, &no);
    bool stale = v->old_address;
    if (stale)
        hh_addr(c->hh, c->hh->move - 1, &a, &s, &no);
    char addr[128];
    addr_text(g, addr, sizeof addr, a, s, no);
    const char *pc = v->no_pc ? "" : g->pc[addr_pc(a, s, no)].code;
    enum file_id f = ag == AG_CSC ? F_CSC_PERSONS : F_POL_NOMINALS;
    char nhs[16] = "";
    bool nhs_wrong = false;
    if (ag == AG_CSC)
        csc_nhs_number(g, c, nhs, sizeof nhs, &nhs_wrong);
    for (int k = 0; k < (v->has_dup ? 2 : 1); k++) {
        struct out_file *o = &g->files[f];
        const char *id = k ? v->dup_id : v->id;
        out_str(o, id);
        if (ag == AG_CSC) {
            out_str(o, v->fore);
            out_str(o, v->sur);
            out_dob(o, v, 0);
        } else {
            out_str(o, v->sur);
            out_str(o, v->fore);
            out_dob(o, v, 1);
        }
        out_str(o, sex_code(v, c->sex, ag));
        out_str(o, eth_code(v, c->eth, ag));
        out_str(o, v->no_pc ? "" : addr);
        out_str(o, pc);
        if (ag == AG_CSC)
            out_str(o, nhs);
        log_corr(g, f, id, v);
        if (nhs_wrong)
            fprintf(g->t_corr, "%s,%s,TYPO,nhs_number\n", file_specs[f].name, id);
        if (stale)
            fprintf(g->t_corr, "%s,%s,OLD_ADDRESS,address\n", file_specs[f].name, id);
        if (k)
            fprintf(g->t_corr, "%s,%s,DUPLICATE_ID,person_id\n", file_specs[f].name, id);
        row_end(g, f, id, c->pid);
    }
}

static void truth_child(struct gen *g, struct child *c, const char *twin_of)
{
    char dob[12];
    svp_date_format(c->dob, dob, sizeof dob);
    fprintf(g->t_persons, "%s,CHILD,%s,%s,%s,%c,%s,H%08llu,%s,%s\n", c->pid, c->fore,
            c->hh->surname, dob, c->sex, eth_dfe[c->eth], (unsigned long long)(c->hh->no + 1),
            area_code(g, c->hh->area), twin_of);
    fprintf(g->t_households, "H%08llu,%s,child\n", (unsigned long long)(c->hh->no + 1), c->pid);
    /* The partnership's view of the truth (svp panel quality --truth): the child by one
     * agency's own id, what the child is, and the month harm began. */
    static const int ags[] = {AG_POLICE, AG_CSC, AG_EDU, AG_ED, AG_SH, AG_RHI, AG_YJS};
    static const char *const spaces[] = {"police", "csc", "education", "health-ed",
                                         "health-sexual", "rhi", "yjs"};
    const char *ref = NULL, *space = NULL;
    for (size_t i = 0; i < sizeof ags / sizeof ags[0] && !ref; i++)
        if (c->known[ags[i]]) {
            ref = c->v[ags[i]].id;
            space = spaces[i];
        }
    if (c->ex != EX_NONE) {
        int y, m, d;
        svp_date_to_ymd(c->harm, &y, &m, &d);
        if (c->school_only)
            fprintf(g->t_exploited, "%s,%s,%04d-%02d,\n", c->pid, ex_names[c->ex], y, m);
        else
            fprintf(g->t_exploited, "%s,%s,%04d-%02d,G%04u\n", c->pid, ex_names[c->ex], y, m,
                    c->group + 1);
        if (ref)
            fprintf(g->t_panel, "%s:%s,exploited%s,%04d-%02d\n", space, ref,
                    c->school_only ? ":school_only" : "", y, m);
        g->stats.exploited++;
    }
    if (c->decoy) {
        fprintf(g->t_decoys, "%s,", c->pid);
        bool first = true;
        for (int i = 0; i < DC_KINDS; i++)
            if (c->decoy & (1u << i)) {
                fprintf(g->t_decoys, "%s%s", first ? "" : ";", decoy_names[i]);
                first = false;
            }
        fputc('\n', g->t_decoys);
        /* one kind per child in the partnership's file: the trap if any, else the signs */
        const char *kind = c->decoy & DC_CARE                            ? "care_missing"
                           : c->decoy & DC_SIBLING                       ? "sibling"
                           : c->decoy & (DC_MISSING | DC_ABSENCE | DC_ED | DC_SUSPENSION |
                                         DC_SUSPECT)                     ? "signs"
                                                                         : "domestic_abuse";
        if (ref)
            fprintf(g->t_panel, "%s:%s,decoy:%s,\n", space, ref, kind);
        g->stats.decoys++;
    }
}

/* ------------------------------------------------------------------ households */

struct hh_state {
    struct household h;
    struct child kids[6];
};

static void gen_household(struct gen *g, struct hh_state *st, uint64_t hno, uint64_t first, int nk)
{
    struct household *h = &st->h;
    memset(h, 0, sizeof *h);
    struct synth_rng r;
    synth_rng_seed(&r, g->o->seed, 0x4000000000ULL + hno);
    const struct synth_noise *nz = &g->o->noise;
    h->no = hno;
    h->first = first;
    h->nkids = nk;
    h->area = (int)synth_rng_below(&r, g->nareas);
    while (g->plan_pos < g->nplan && g->plan[g->plan_pos].child < first)
        g->plan_pos++;
    size_t pp = g->plan_pos;
    bool planned = pp < g->nplan && g->plan[pp].child < first + (uint64_t)nk;
    if (planned) /* exploited children live near their group's meeting place */
        h->area = g->groups[g->plan[pp].group].area;
    h->street = (int)synth_rng_below(&r, 30);
    h->number = (int)synth_rng_range(&r, 1, 180);
    h->move = INT32_MAX;
    h->area2 = h->area;
    h->street2 = h->street;
    h->number2 = h->number;
    if (synth_rng_chance(&r, nz->move)) {
        h->move = rand_day(&r, g->start + 30, g->end);
        if (!planned && synth_rng_chance(&r, 0.5))
            h->area2 = (int)synth_rng_below(&r, g->nareas);
        h->street2 = (h->street + 1 + (int)synth_rng_below(&r, 28)) % 30;
        h->number2 = (int)synth_rng_range(&r, 1, 180);
    }
    const char *s1 = synth_names_surname(g->names, &r);
    h->hyphen = synth_rng_chance(&r, nz->hyphenated);
    if (h->hyphen)
        snprintf(h->surname, sizeof h->surname, "%s-%s", s1, synth_names_surname(g->names, &r));
    else
        svp_strlcpy(h->surname, s1, sizeof h->surname);
    bool twins = nk >= 2 && synth_rng_chance(&r, nz->twins);
    int eth = (int)synth_pick_cumulative(g->eth_cum, NETH, synth_rng_unit(&r));
    for (int j = 0; j < nk; j++) {
        struct child *c = &st->kids[j];
        memset(c, 0, sizeof *c);
        c->idx = first + (uint64_t)j;
        synth_rng_seed(&c->r, g->o->seed, c->idx);
        snprintf(c->pid, sizeof c->pid, "C%08llu", (unsigned long long)(c->idx + 1));
        c->hh = h;
        c->ex = EX_NONE;
        c->last_referral = INT32_MIN;
        c->eth = eth;
        c->sex = synth_rng_chance(&c->r, 0.512) ? 'M' : 'F';
        for (int tries = 0; tries < 4; tries++) { /* siblings get different names */
            svp_strlcpy(c->fore, synth_names_given(g->names, c->sex, &c->r), sizeof c->fore);
            bool same = false;
            for (int k = 0; k < j; k++)
                same |= !strcmp(st->kids[k].fore, c->fore);
            if (!same)
                break;
        }
        for (size_t a = 0; a < sizeof accented_names / sizeof accented_names[0]; a++)
            if (!strcmp(c->fore, accented_names[a].plain) && synth_rng_chance(&c->r, 0.35))
                svp_strlcpy(c->fore, accented_names[a].accented, sizeof c->fore);
        double u = synth_rng_unit(&c->r);
        c->tier = u < 0.85 ? 0 : u < 0.97 ? 1 : 2;
        c->dob = g->start - 1 - (svp_day)synth_rng_below(&c->r, (uint64_t)(18 * 365.25));
        if (twins && j == 1 && c->idx != (pp < g->nplan ? g->plan[pp].child : UINT64_MAX))
            c->dob = st->kids[0].dob;
        if (pp < g->nplan && g->plan[pp].child == c->idx) {
            const struct plan_entry *pe = &g->plan[pp++];
            c->group = pe->group;
            c->slot = pe->slot;
            c->ex = g->groups[pe->group].type;
            c->harm = member_harm(g, pe->group, pe->slot);
            /* Exploited children are 12 to 16 when harm begins. */
            c->dob = c->harm - (svp_day)synth_rng_range(&c->r, 12 * 365, 16 * 365 + 300);
            c->tier = 2;
        } else {
            int age = age_years(c->dob, g->start);
            /* Decoys: about as many as the exploited, with one or two of the same signs. */
            if (age >= 11 && age <= 15 && synth_rng_chance(&c->r, g->o->noise.decoy)) {
                unsigned a = 1u << synth_rng_below(&c->r, 5);
                if (synth_rng_chance(&c->r, 0.4))
                    a |= 1u << synth_rng_below(&c->r, 5);
                c->decoy = a;
            }
        }
    }
    gen_domestic_abuse(g, h, st->kids, &r);
    for (int j = 0; j < nk; j++)
        plan_lac(g, &st->kids[j]);
    choose_traps(g, h, st->kids, nk);
    /* the children of a household with domestic abuse, 10 to 17 by the end, not exploited:
     * their signs are the incidents and the adults (truth only: nothing more is written) */
    for (int j = 0; h->da && j < nk; j++) {
        struct child *c = &st->kids[j];
        int age = age_years(c->dob, g->end);
        if (c->ex == EX_NONE && age >= 10 && age <= 17)
            c->decoy |= DC_DA;
    }
    /* an exploited child whose brother or sister is drawn in comes first, so that the
     * sibling's register rows know of the occurrences they share */
    int order[6], no = 0;
    for (int j = 0; j < nk; j++)
        if (st->kids[j].sib)
            order[no++] = j;
    for (int j = 0; j < nk; j++)
        if (!st->kids[j].sib)
            order[no++] = j;
    for (int oj = 0; oj < nk; oj++) {
        int j = order[oj];
        struct child *c = &st->kids[j];
        uint64_t rows0 = g->stats.rows;
        if (c->ex != EX_NONE && !c->school_only)
            gen_exploited(g, c);
        if (c->decoy)
            gen_decoy(g, c);
        gen_background(g, c);
        gen_cp_plan(g, c);
        emit_lac(g, c);
        gen_private_fostering(g, c);
        gen_education(g, c);
        register_rows(g, c, AG_CSC);
        register_rows(g, c, AG_POLICE);
        c->rows = g->stats.rows - rows0;
        char twin_of[16] = "";
        if (twins && j <= 1 && st->kids[0].dob == st->kids[1].dob)
            svp_strlcpy(twin_of, st->kids[1 - j].pid, sizeof twin_of);
        if (c->rows)
            truth_child(g, c, twin_of);
    }
}

/* ------------------------------------------------------------------ the run */

void synth_opts_default(struct synth_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->children = 104000;
    opts->seed = 1;
    if (svp_date_from_ymd(2021, 4, 1, &opts->start))
        opts->start = 0;
    opts->months = 24;
    opts->areas = 18; /* county-profile community_areas */
    /* Defaults: rates of the slips linkage studies report in English administrative data
     * (a few per cent per field), kept as parameters so tests can turn them up or off. */
    opts->noise = (struct synth_noise){
        .nickname = 0.05,
        .variant = 0.03,
        .typo = 0.03,
        .swap = 0.01,
        .hyphen_part = 0.35,
        .dob_swap = 0.01,
        .dob_typo = 0.015,
        .missing = 0.02,
        .accent = 0.5,
        .old_address = 0.3,
        .duplicate_id = 0.01,
        .move = 0.12,
        .twins = 0.03,
        .hyphenated = 0.04,
        .decoy = 0.0028,
        .care_decoy = 0.15,
        .sibling_decoy = 0.7,
        .school_only = 0.0003,
    };
}

static FILE *open_out(struct gen *g, const char *rel)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", g->o->out, rel);
    FILE *f = fopen(path, "wb");
    if (!f) {
        g->rc =
            svp_err_at(g->err, SVP_EIO, path, 0, NULL, "cannot create file: %s", strerror(errno));
        return NULL;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    return f;
}

static int make_dir(const char *path, struct svp_err *err)
{
    if (mkdir(path, 0777) && errno != EEXIST)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot create folder: %s", strerror(errno));
    struct stat st;
    if (stat(path, &st) || !S_ISDIR(st.st_mode))
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "not a folder");
    return SVP_OK;
}

static const struct {
    const char *name, *header;
    size_t offset;
} truth_files[] = {
    {"truth/rows.csv", "file,line,record_id,person_id", offsetof(struct gen, t_rows)},
    {"truth/persons.csv",
     "person_id,kind,forename,surname,dob,sex,ethnicity,household_id,area_code,twin_of",
     offsetof(struct gen, t_persons)},
    {"truth/exploited.csv", "person_id,type,harm_month,group_id",
     offsetof(struct gen, t_exploited)},
    {"truth/groups.csv", "group_id,type,area_code,hotspot_place_id,route_place_id",
     offsetof(struct gen, t_groups)},
    {"truth/group_members.csv", "group_id,person_id,role", offsetof(struct gen, t_members)},
    {"truth/adults.csv", "person_id,group_id,role", offsetof(struct gen, t_adults)},
    {"truth/hotspots.csv", "place_id,name,area_code,postcode,lat,lon,kind",
     offsetof(struct gen, t_hotspots)},
    {"truth/decoys.csv", "person_id,indicators", offsetof(struct gen, t_decoys)},
    {"truth/panel-truth.csv", "child,kind,first_harm", offsetof(struct gen, t_panel)},
    {"truth/corruptions.csv", "file,record_id,kind,field", offsetof(struct gen, t_corr)},
    {"truth/known_offenders.csv", "person_id,nominal,basis,who", offsetof(struct gen, t_known)},
    {"truth/households.csv", "household_id,person_id,role", offsetof(struct gen, t_households)},
    {"truth/da.csv", "incident,victim_id,perpetrator_id,victim_nominal,perpetrator_nominal,"
     "dash_yes,scenario,police_referral", offsetof(struct gen, t_da)},
};
#define NTRUTH (sizeof truth_files / sizeof truth_files[0])

static FILE **truth_slot(struct gen *g, size_t i)
{
    return (FILE **)((char *)g + truth_files[i].offset);
}

static int open_files(struct gen *g)
{
    char path[4200];
    int rc = make_dir(g->o->out, g->err);
    if (rc)
        return rc;
    snprintf(path, sizeof path, "%s/truth", g->o->out);
    if ((rc = make_dir(path, g->err)))
        return rc;
    for (int f = 0; f < F_COUNT; f++) {
        struct out_file *o = &g->files[f];
        const struct file_spec *fs = &file_specs[f];
        o->name = fs->name;
        o->profile = fs->profile;
        o->agency = fs->agency;
        o->enc = fs->enc;
        o->crlf = fs->crlf;
        if (!(o->f = open_out(g, fs->name)))
            return g->rc;
        if (fs->enc == ENC_BOM)
            fputs("\xEF\xBB\xBF", o->f);
        fputs(fs->header, o->f);
        fputs(fs->crlf ? "\r\n" : "\n", o->f);
        o->line = 1;
    }
    for (size_t i = 0; i < NTRUTH; i++) {
        FILE *f = open_out(g, truth_files[i].name);
        if (!f)
            return g->rc;
        *truth_slot(g, i) = f;
        fprintf(f, "%s\n", truth_files[i].header);
    }
    return SVP_OK;
}

/* Closes every file; reports the first write error if none was reported yet. */
static void close_files(struct gen *g)
{
    for (int f = 0; g->files && f < F_COUNT; f++) {
        FILE *fp = g->files[f].f;
        if (fp && (ferror(fp) | fclose(fp)) && !g->rc)
            g->rc = svp_err_at(g->err, SVP_EIO, g->files[f].name, 0, NULL, "write failed");
        g->files[f].f = NULL;
    }
    for (size_t i = 0; i < NTRUTH; i++) {
        FILE **fp = truth_slot(g, i);
        if (*fp && (ferror(*fp) | fclose(*fp)) && !g->rc)
            g->rc = svp_err_at(g->err, SVP_EIO, truth_files[i].name, 0, NULL, "write failed");
        *fp = NULL;
    }
}

static int write_manifest(struct gen *g)
{
    FILE *f = open_out(g, "manifest.csv");
    if (!f)
        return g->rc;
    static const char *const enc[] = {"utf-8", "utf-8-bom", "windows-1252"};
    fputs("file,profile,agency,encoding,line_ends,rows\n", f);
    for (int i = 0; i < F_COUNT; i++) {
        const struct out_file *o = &g->files[i];
        fprintf(f, "%s,%s,%s,%s,%s,%llu\n", o->name, o->profile, o->agency, enc[o->enc],
                o->crlf ? "crlf" : "lf", (unsigned long long)o->rows);
    }
    if ((ferror(f) | fclose(f)) && !g->rc)
        g->rc = svp_err_at(g->err, SVP_EIO, "manifest.csv", 0, NULL, "write failed");
    return g->rc;
}

static int check_opts(const struct synth_opts *o, struct svp_err *err)
{
    if (o->children < 1 || o->children > 1000000000ULL)
        return svp_err_at(err, SVP_EUSAGE, NULL, 0, "children",
                          "the number of children must be between 1 and 1000000000");
    if (o->months < 1 || o->months > 120)
        return svp_err_at(err, SVP_EUSAGE, NULL, 0, "months", "months must be between 1 and 120");
    if (o->areas < 1 || o->areas > MAX_AREAS)
        return svp_err_at(err, SVP_EUSAGE, NULL, 0, "areas",
                          "the number of areas must be between 1 and %d", MAX_AREAS);
    if (!o->out || !*o->out)
        return svp_err_at(err, SVP_EUSAGE, NULL, 0, "out", "an output folder is needed");
    int y, m, d;
    svp_date_to_ymd(o->start, &y, &m, &d);
    if (y < 1990 || y > 2090)
        return svp_err_at(err, SVP_EUSAGE, NULL, 0, "start", "the start must be in 1990..2090");
    const double *p = &o->noise.nickname;
    for (size_t i = 0; i < sizeof o->noise / sizeof(double); i++)
        if (!(p[i] >= 0 && p[i] <= 1))
            return svp_err_at(err, SVP_EUSAGE, NULL, 0, "noise",
                              "every noise amount must be a probability between 0 and 1");
    return SVP_OK;
}

int synth_run(const struct synth_opts *opts, struct synth_stats *stats, struct svp_err *err)
{
    svp_err_clear(err);
    int rc = check_opts(opts, err);
    if (rc)
        return rc;
    struct gen *g = svp_calloc(1, sizeof *g);
    struct hh_state *st = svp_calloc(1, sizeof *st);
    struct out_file *files = svp_calloc(F_COUNT, sizeof *files);
    if (!g || !st || !files) {
        svp_free(g);
        svp_free(st);
        svp_free(files);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    g->o = opts;
    g->err = err;
    g->files = files;
    g->n = opts->children;
    g->nareas = opts->areas;
    g->start = opts->start;
    g->end = svp_date_add_months(opts->start, opts->months) - 1;
    g->extract_time = at(g->end, 23 * 60 + 59);
    g->years = (g->end - g->start + 1) / 365.25;
    for (int i = 0; i < NETH; i++)
        g->eth_cum[i] = (i ? g->eth_cum[i - 1] : 0) + eth_share[i];
    const struct svp_embedded *bh = svp_data_find("bank-holidays.csv");
    if (!bh)
        rc = svp_err_set(err, SVP_EINTERNAL, "bank-holidays.csv is not embedded in this svp");
    if (!rc)
        rc = svp_calendar_load_csv_mem(bh->data, bh->len, "bank-holidays.csv", &g->cal, err);
    if (!rc)
        rc = synth_names_load(&g->names, err);
    if (!rc)
        rc = open_files(g);
    if (!rc)
        rc = build_geography(g);
    if (!rc)
        rc = write_geography(g);
    if (!rc)
        rc = plan_groups(g);
    if (!rc) {
        struct svp_progress prog;
        svp_progress_start(&prog, "synth: children", g->n, opts->quiet);
        struct synth_rng r;
        synth_rng_seed(&r, opts->seed, 0x5120ULL);
        uint64_t idx = 0, hno = 0;
        while (idx < g->n && !g->rc) {
            /* Children per household: 1 (45%), 2 (35%), 3 (14%), 4 (6%). */
            double u = synth_rng_unit(&r);
            int nk = u < 0.45 ? 1 : u < 0.80 ? 2 : u < 0.94 ? 3 : 4;
            if ((uint64_t)nk > g->n - idx)
                nk = (int)(g->n - idx);
            gen_household(g, st, hno++, idx, nk);
            idx += (uint64_t)nk;
            if ((hno & 255) == 0)
                svp_progress_update(&prog, idx);
        }
        svp_progress_end(&prog, idx);
        if (!g->rc)
            synth_asc(g);
        if (!g->rc)
            synth_known_unconnected(g);
        g->stats.children = idx;
        g->stats.households = hno;
        g->stats.groups = g->ngroups;
        rc = g->rc;
    }
    close_files(g);
    if (!rc)
        rc = g->rc;
    if (!rc)
        rc = write_manifest(g);
    if (stats)
        *stats = g->stats;
    svp_calendar_free(&g->cal);
    synth_names_free(&g->names);
    svp_free(g->pc);
    svp_free(g->pl);
    svp_free(g->areas);
    svp_free(g->groups);
    svp_free(g->plan);
    svp_free(files);
    svp_free(st);
    svp_free(g);
    return rc;
}
