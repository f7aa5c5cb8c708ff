/* Indicator names and the weights file (data/risk-weights.csv): what a partnership edits. */
#include "risk.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Same order as enum risk_indicator. */
static const char *const indicator_names[RISK_INDICATOR_COUNT] = {
    "missing_episode",
    "missing_escalation",
    "missing_high_risk",
    "missing_from_care",
    "missing_found_out_of_county",
    "missing_found_with_adult",
    "missing_found_with_peer_at_risk",
    "return_interview_disclosure",
    "return_interview_declined",
    "exploitation_screening_high",
    "exploitation_screening_medium",
    "exploitation_screening_low",
    "exploitation_intelligence",
    "nrm_referral",
    "exploitation_concern",
    "crime_exploitation",
    "da_household",
    "toxic_trio",
    "school_persistent_absence",
    "school_severe_absence",
    "exclusion_suspension",
    "exclusion_permanent",
    "missing_education",
    "ehe_after_exclusion",
    "ed_injury",
    "ed_stab_wound",
    "ed_self_harm",
    "ed_substance",
    "ed_sexual_assault",
    "sexual_health",
    "substance_misuse",
    "police_victim",
    "police_suspect",
    "drug_supply",
    "weapon",
    "stop_search_drugs",
    "youth_justice",
    "looked_after",
    "placement_move",
    "placement_out_of_county",
    "age_band",
    "peer_at_risk",
    "adult_of_concern",
    "perpetrator_link",
    "attendance_decline",
    "missing_found_with_family",
    "missing_found_with_carer",
    "intra_familial",
    "sibling_at_risk",
};

const char *risk_indicator_name(int indicator)
{
    if (indicator < 0 || indicator >= RISK_INDICATOR_COUNT)
        return "unknown";
    return indicator_names[indicator];
}

int risk_indicator_find(const char *name)
{
    for (int i = 0; i < RISK_INDICATOR_COUNT; i++)
        if (!strcmp(indicator_names[i], name))
            return i;
    return -1;
}

bool risk_indicator_second_pass(int indicator)
{
    return indicator == RISK_MISSING_FOUND_WITH_PEER_AT_RISK || indicator == RISK_PEER_AT_RISK ||
           indicator == RISK_SIBLING_AT_RISK;
}

bool risk_indicator_exploitation(int indicator)
{
    switch (indicator) {
    case RISK_MISSING_FOUND_OUT_OF_COUNTY:
    case RISK_MISSING_FOUND_WITH_ADULT:
    case RISK_MISSING_FOUND_WITH_PEER_AT_RISK:
    case RISK_RETURN_INTERVIEW_DISCLOSURE:
    case RISK_EXPLOITATION_SCREENING_HIGH:
    case RISK_EXPLOITATION_SCREENING_MEDIUM:
    case RISK_EXPLOITATION_INTELLIGENCE:
    case RISK_NRM_REFERRAL:
    case RISK_EXPLOITATION_CONCERN:
    case RISK_CRIME_EXPLOITATION:
    case RISK_ED_STAB_WOUND:
    case RISK_ED_SEXUAL_ASSAULT:
    case RISK_ED_SUBSTANCE:
    case RISK_SEXUAL_HEALTH:
    case RISK_SUBSTANCE_MISUSE:
    case RISK_DRUG_SUPPLY:
    case RISK_WEAPON:
    case RISK_STOP_SEARCH_DRUGS:
    case RISK_PEER_AT_RISK:
    case RISK_ADULT_OF_CONCERN:
    case RISK_PERPETRATOR_LINK:
        return true;
    default:
        return false;
    }
}

static const char *const agency_names[RISK_AG_COUNT] = {
    "csc", "asc", "police", "health", "education", "yjs", "rhi", "other",
};

const char *risk_agency_name(int agency)
{
    if (agency < 0 || agency >= RISK_AG_COUNT)
        return "other";
    return agency_names[agency];
}

int risk_agency_find(const char *code)
{
    if (code)
        for (int i = 0; i < RISK_AG_COUNT; i++)
            if (agency_names[i][0] == code[0] && !strcmp(agency_names[i], code))
                return i;
    return RISK_AG_OTHER;
}

/* Parses a non-negative decimal number that fills the whole field. */
static bool parse_number(const char *s, double *out)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

enum setting { SET_BAND_HIGH, SET_BAND_MEDIUM, SET_AGE_MIN, SET_AGE_MAX, SET_LOOKBACK,
               SET_MIN_EVENTS, SET_COUNT };
static const char *const setting_names[SET_COUNT] = {
    "band_high", "band_medium", "age_min", "age_max", "lookback_days", "min_events",
};

static int apply_setting(struct risk_weights *w, int which, double v, const char *name,
                         long line, struct svp_err *err)
{
    bool whole = v == floor(v) && v <= 100000;
    switch (which) {
    case SET_BAND_HIGH: w->band_high = v; break;
    case SET_BAND_MEDIUM: w->band_medium = v; break;
    case SET_AGE_MIN:
    case SET_AGE_MAX:
        if (!whole || v > 25)
            return svp_err_at(err, SVP_EINPUT, name, line, "weight",
                              "%s must be a whole number of years up to 25", setting_names[which]);
        if (which == SET_AGE_MIN)
            w->age_min = (int)v;
        else
            w->age_max = (int)v;
        break;
    case SET_LOOKBACK:
        if (!whole || v < 1)
            return svp_err_at(err, SVP_EINPUT, name, line, "weight",
                              "lookback_days must be a whole number of days from 1 to 100000");
        w->lookback_days = (int)v;
        break;
    default:
        if (!whole)
            return svp_err_at(err, SVP_EINPUT, name, line, "weight",
                              "min_events must be a whole number");
        w->min_events = (int)v;
        break;
    }
    return SVP_OK;
}

int risk_weights_parse(const char *data, size_t len, const char *name, struct risk_weights *out,
                       struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    out->band_high = 40;
    out->band_medium = 20;
    out->age_min = 10;
    out->age_max = 18;
    out->lookback_days = 1095;
    out->min_events = 1;
    svp_strlcpy(out->name, name, sizeof out->name);
    bool seen[RISK_INDICATOR_COUNT] = {0};
    long seen_line[RISK_INDICATOR_COUNT] = {0};
    bool setting_seen[SET_COUNT] = {0};

    struct svp_csv_opts copts = {.delim = ',', .max_field = 4096, .max_fields = 16,
                                 .check_utf8 = true};
    struct svp_csv *csv = NULL;
    int rc = svp_csv_open_mem(data, len, &copts, &csv, err);
    if (rc)
        return rc;
    struct svp_csv_row row;
    bool header = false;
    while ((rc = svp_csv_next(csv, &row, err)) == 1) {
        if (row.error) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, NULL, "%s", row.error);
            goto out;
        }
        const char *f0 = row.nfields ? row.fields[0].p : "";
        if (f0[0] == '#' || (row.nfields == 1 && !*f0))
            continue;
        if (!header) {
            static const char *const cols[] = {"indicator", "weight", "half_life_days", "cap"};
            for (size_t i = 0; i < 4; i++)
                if (row.nfields <= i || strcmp(row.fields[i].p, cols[i])) {
                    rc = svp_err_at(err, SVP_EINPUT, name, row.line, NULL,
                                    "the header must start indicator,weight,half_life_days,cap");
                    goto out;
                }
            header = true;
            continue;
        }
        const char *weight = row.nfields > 1 ? row.fields[1].p : "";
        const char *hl = row.nfields > 2 ? row.fields[2].p : "";
        const char *capf = row.nfields > 3 ? row.fields[3].p : "";
        int set = -1;
        for (int i = 0; i < SET_COUNT; i++)
            if (!strcmp(setting_names[i], f0))
                set = i;
        double v;
        if (set >= 0) {
            if (!parse_number(weight, &v) || v < 0) {
                rc = svp_err_at(err, SVP_EINPUT, name, row.line, "weight",
                                "setting '%s' needs a number of at least 0 in the weight column",
                                f0);
                goto out;
            }
            if (*hl || *capf) {
                rc = svp_err_at(err, SVP_EINPUT, name, row.line, "half_life_days",
                                "setting '%s' takes only the weight column", f0);
                goto out;
            }
            if (setting_seen[set]) {
                rc = svp_err_at(err, SVP_EINPUT, name, row.line, NULL,
                                "setting '%s' is given twice", f0);
                goto out;
            }
            setting_seen[set] = true;
            if ((rc = apply_setting(out, set, v, name, row.line, err)))
                goto out;
            continue;
        }
        int ind = risk_indicator_find(f0);
        if (ind < 0) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "indicator",
                            "unknown indicator '%.60s' (docs/indicators.md lists them)", f0);
            goto out;
        }
        if (seen[ind]) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "indicator",
                            "indicator '%s' is given twice (first on line %ld)", f0,
                            seen_line[ind]);
            goto out;
        }
        struct risk_weight *rw = &out->ind[ind];
        if (!*weight) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "weight",
                            "indicator '%s' has no weight", f0);
            goto out;
        }
        if (!parse_number(weight, &rw->weight) || rw->weight < 0) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "weight",
                            "weight of '%s' must be a number of at least 0", f0);
            goto out;
        }
        if (!parse_number(hl, &rw->half_life_days)) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "half_life_days",
                            "half-life of '%s' must be a number of days (0: no decay)", f0);
            goto out;
        }
        if (rw->half_life_days < 0) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "half_life_days",
                            "half-life of '%s' is negative; use 0 for no decay", f0);
            goto out;
        }
        if (!parse_number(capf, &v) || v < 1 || v > 1000 || v != floor(v)) {
            rc = svp_err_at(err, SVP_EINPUT, name, row.line, "cap",
                            "cap of '%s' must be a whole number from 1 to 1000", f0);
            goto out;
        }
        rw->cap = (int)v;
        const char *desc = row.nfields > 4 && *row.fields[4].p ? row.fields[4].p : f0;
        svp_strlcpy(rw->description, desc, sizeof rw->description);
        seen[ind] = true;
        seen_line[ind] = row.line;
    }
    if (rc < 0)
        goto out;
    rc = SVP_OK;
    if (!header) {
        rc = svp_err_at(err, SVP_EINPUT, name, 1, NULL, "the weights file is empty");
        goto out;
    }
    for (int i = 0; i < RISK_INDICATOR_COUNT; i++)
        if (!seen[i]) {
            rc = svp_err_at(err, SVP_EINPUT, name, 0, "indicator",
                            "no row for indicator '%s': every indicator needs a weight (0 turns "
                            "it off)",
                            indicator_names[i]);
            goto out;
        }
    if (out->band_medium <= 0 || out->band_high < out->band_medium) {
        rc = svp_err_at(err, SVP_EINPUT, name, 0, "band_high",
                        "bands need 0 < band_medium <= band_high");
        goto out;
    }
    if (out->age_min >= out->age_max) {
        rc = svp_err_at(err, SVP_EINPUT, name, 0, "age_min", "age_min must be below age_max");
        goto out;
    }
out:
    svp_csv_free(&csv);
    return rc;
}

int risk_weights_load(const char *path, struct risk_weights *out, struct svp_err *err)
{
    if (!path) {
        const struct svp_embedded *e = svp_data_find("risk-weights.csv");
        if (!e)
            return svp_err_set(err, SVP_EINTERNAL, "risk-weights.csv is not embedded");
        return risk_weights_parse(e->data, e->len, "data/risk-weights.csv", out, err);
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot open the weights file");
    struct svp_buf b;
    svp_buf_init(&b, 1 << 20);
    char chunk[8192];
    size_t n;
    int rc = SVP_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if ((rc = svp_buf_append(&b, chunk, n))) {
            rc = rc == SVP_ENOMEM ? svp_err_set(err, SVP_ENOMEM, "out of memory")
                                  : svp_err_at(err, SVP_EINPUT, path, 0, NULL,
                                               "the weights file is larger than 1 MiB");
            break;
        }
    if (!rc && ferror(f))
        rc = svp_err_at(err, SVP_EIO, path, 0, NULL, "cannot read the weights file");
    fclose(f);
    if (!rc)
        rc = risk_weights_parse(b.data ? b.data : "", b.len, path, out, err);
    svp_buf_free(&b);
    return rc;
}
