/* The synthetic county: geography, households and children, the events agencies record
 * about them, planted exploitation and the hidden truth. Layouts: docs/extracts.md.
 *
 * Base rates are calibrated to ../shared/data/county-profile.csv (a county of 104,000
 * children in 2016-17), scaled per child so any --children gives the same rates.
 *
 * This file holds the code sets, the small helpers and the run; what the county is made of
 * is in a file each: geography.c, groups.c (planted harm), identity.c (identity as recorded),
 * csc.c, police.c, health.c, education.c, da_write.c (with da.c's plans), lives.c
 * (background lives), registers.c (person registers and truth), households.c, decoys.c,
 * asc.c and adults_ex.c. */
#include "gen.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const ex_names[] = {"CSE", "CCE", "COUNTY_LINES"};

const struct file_spec file_specs[F_COUNT] = {
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
     "DASH25,DASH26,DASH27,ChildrenPresent,ChildrenInHousehold,MaracReferral,"
     "SuspectRelationship,SuspectLivesAtAddress"},
    {"rhi_interviews.csv", "rhi-interviews", "rhi", ENC_BOM, false,
     "InterviewRef,ClientID,ChildFirstName,ChildLastName,DOB,Gender,PoliceRef,ReturnDateTime,"
     "OfferedDateTime,Outcome,CompletedDateTime,Disclosures"},
    {"health_ed.csv", "health-ed", "health", ENC_UTF8, true,
     "AttendanceID,LocalPatientID,NHSNumber,PatientName,DOB,Sex,Ethnicity,Postcode,"
     "ArrivalDateTime,AttendanceReason,ArrivalMode,AccompaniedBy,SafeguardingReferral,"
     "NextOfKinPhone"},
    {"health_sexual.csv", "health-sexual", "health", ENC_UTF8, false,
     "VisitID,ClinicNumber,FirstName,LastName,DateOfBirth,Gender,PostcodeDistrict,VisitDate,"
     "Service,SpottingTheSigns"},
    {"edu_attendance.csv", "education-attendance", "education", ENC_CP1252, false,
     "RecordID,UPN,LegalSurname,LegalForename,DOB,Gender,Ethnicity,Postcode,SchoolURN,"
     "SchoolName,AcademicYear,Term,PossibleSessions,AttendedSessions,AuthorisedAbsence,"
     "UnauthorisedAbsence,ContactPhone"},
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
    {"health_substance_misuse.csv", "health-substance-misuse", "health", ENC_UTF8, false,
     "ReferralID,ClientID,Forename,Surname,DateOfBirth,Gender,Postcode,ReferralDate,DischargeDate,"
     "PrimarySubstance,ReferralSource"},
    {"csc_household.csv", "csc-household", "csc", ENC_UTF8, false,
     "RowID,PersonID,MemberID,MemberForename,MemberSurname,MemberDOB,MemberGender,"
     "Relationship,RecordedDate"},
};

/* ------------------------------------------------------------------ code sets */

/* True ethnicity: DfE codes with shares of a mostly White British shire county
 * (county-profile white_british_pupils 86.3%). */

const char *const eth_dfe[NETH] = {"WBRI", "WIRI", "WIRT", "WROM", "WOTH", "MWBC",
                                          "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
                                          "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH"};
static const double eth_share[NETH] = {86.3, 0.5, 0.1, 0.2, 4.0, 1.0, 0.5, 1.2, 1.0,
                                       1.2,  0.8, 0.3, 0.8, 0.3, 0.8, 0.2, 0.3, 0.5};
const char *const eth_csc[NETH] = {"WB", "WI", "WT", "WR", "WO", "MC", "MA", "MS", "MO",
                                          "AI", "AP", "AB", "AO", "BC", "BA", "BO", "CH", "OO"};
const char *const eth_police[NETH] = {"IC1", "IC1", "IC1", "IC1", "IC2", "IC3",
                                             "IC3", "IC1", "IC1", "IC4", "IC4", "IC4",
                                             "IC4", "IC3", "IC3", "IC3", "IC5", "IC6"};
const char *const eth_nhs[NETH] = {"A", "B", "C", "C", "C", "D", "E", "F", "G",
                                          "H", "J", "K", "L", "M", "N", "P", "R", "S"};
const char *const eth_yjs[NETH] = {"White British",
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
const char *const area_names[18] = {
    "Ashcombe Vale", "Brindlemoor", "Castlebrook",     "Dunmere",  "Elderfield",
    "Foxhollow",     "Greystone",   "Hartwell Green",  "Ivybank",  "Kingsmeadow",
    "Larkspur Hill", "Millbeck",    "Northcote Heath", "Oakhurst", "Pennydale",
    "Quarrybank",    "Redwater",    "Sallowfield"};
const char *const town_names[NTOWNS] = {"Calderbridge", "Port Haverly", "Marrowby",
                                               "Northgate", "Westhaven"};
const char *const town_districts[NTOWNS] = {"ZX1", "ZX7", "ZY2", "ZY9", "ZW4"};
const char *const street_base[30] = {
    "Mill",   "Church",   "Station",  "Victoria", "Albert",   "Queens", "Kings", "Park",
    "Chapel", "Orchard",  "Meadow",   "Willow",   "Beech",    "Elm",    "Oak",   "Ash",
    "Rowan",  "Hawthorn", "Manor",    "Grange",   "Bridge",   "Brook",  "Field", "Spring",
    "York",   "Windsor",  "Clarence", "Nelson",   "Cromwell", "Priory"};
const char *const street_suffix[10] = {"Road",  "Street", "Lane",     "Close",   "Avenue",
                                              "Drive", "Way",    "Crescent", "Gardens", "Grove"};
const char *const place_kinds[PLACES_PER_AREA] = {
    "PARK",   "STATION", "SHOPS",  "FAST_FOOD", "CAR_PARK", "LEISURE",
    "HOSTEL", "FLAT",    "SCHOOL", "SCHOOL",    "SCHOOL"};
const char *const place_fmt[PLACES_PER_AREA] = {"%s Recreation Ground",
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
const char pc_letters[] = "ABDEFGHJLNPQRSTUWXYZ";

const char *const area_prefix[18] = {"Alder", "Birch", "Cold",  "Deep",  "East", "Fern",
                                            "Glen",  "High",  "Long",  "Marsh", "New",  "Old",
                                            "Rush",  "Stan",  "Thorn", "Upper", "West", "Wood"};
const char *const area_suffix[9] = {"ford", "ley",   "ton",   "by",  "wick",
                                           "ham",  "field", "worth", "bury"};

/* ------------------------------------------------------------------ small helpers */

/* The n-th working day after d; outside the calendar's years it falls back to calendar
 * days (7 for every 5) rather than fail a whole county. */
svp_day wd_add(const struct gen *g, svp_day d, int n)
{
    svp_day out;
    struct svp_err e;
    if (svp_calendar_add_working_days(g->cal, d, n, &out, &e) == SVP_OK)
        return out;
    return d + n * 7 / 5;
}

double miles_between(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * M_PI / 180, p2 = lat2 * M_PI / 180;
    double dp = p2 - p1, dl = (lon2 - lon1) * M_PI / 180;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 3958.8 * 2 * atan2(sqrt(a), sqrt(1 - a));
}

/* An agency id: prefix and at least min_digits digits, more when the id space needs it. */
void make_id(char *buf, size_t cap, const char *prefix, uint64_t x, int min_digits,
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

void seq_id(char *buf, size_t cap, struct out_file *o, const char *prefix, int digits)
{
    snprintf(buf, cap, "%s%0*llu", prefix, digits, (unsigned long long)++o->seq);
}

void adult_pid(char *buf, size_t cap, uint64_t adult_no)
{
    snprintf(buf, cap, "A%08llu", (unsigned long long)(adult_no + 1));
}

/* Police nominal ids: children idx, their duplicates N + idx, adults 2N + adult number
 * (adult numbers: groups, households, DA partners, decoys, adult social care, unconnected
 * known offenders, exploited young adults: below 7N + N / 2000 + the groups' and theirs;
 * the night-time economy's from 7N + N / 2, below 7N + N / 2 + N / 200 + 10 + the
 * groups'). */
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

/* ------------------------------------------------------------------ the run */

void synth_opts_default(struct synth_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->children = 104000;
    opts->seed = 1;
    if (svp_date_from_ymd(2021, 4, 1, &opts->start))
        opts->start = 0;
    opts->months = 24;
    opts->areas = 0; /* as the population: the county profile's 18 up to 104,000 children */
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

FILE *open_out(struct gen *g, const char *rel)
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
    {"truth/household_needs.csv", "household_id,person_id,need,source",
     offsetof(struct gen, t_hh_needs)},
    {"truth/da.csv", "incident,victim_id,perpetrator_id,victim_nominal,perpetrator_nominal,"
     "dash_yes,scenario,police_referral", offsetof(struct gen, t_da)},
    {"truth/da_linked.csv", "perpetrator_id,household_id,role,children",
     offsetof(struct gen, t_da_linked)},
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
    if (o->areas < 0 || o->areas > MAX_AREAS)
        return svp_err_at(err, SVP_EUSAGE, NULL, 0, "areas",
                          "the number of areas must be between 1 and %d (0: as the "
                          "population)", MAX_AREAS);
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
    g->nareas = opts->areas ? opts->areas : synth_areas_for(opts->children);
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
        rc = write_boundaries(g);
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
            gen_da_ex_flush(g);
        if (!g->rc)
            synth_asc(g);
        if (!g->rc)
            synth_known_unconnected(g);
        if (!g->rc)
            synth_adults_exploited(g);
        if (!g->rc)
            synth_night_economy(g);
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
