/* Reasons in plain words: the short label of each indicator, shared by the CLI and the web
 * app, so a panel reads "found with an adult after going missing", not an indicator code.
 * (The weights file's description says the same at length; this is the short form.) */
#include "risk.h"
#include "risk_int.h"

#include <math.h>

static const char *const labels[RISK_INDICATOR_COUNT] = {
    [RISK_MISSING_EPISODE] = "went missing",
    [RISK_MISSING_ESCALATION] = "missing episodes escalating",
    [RISK_MISSING_HIGH_RISK] = "went missing, graded high risk",
    [RISK_MISSING_FROM_CARE] = "went missing from care",
    [RISK_MISSING_FOUND_OUT_OF_COUNTY] = "found out of county after going missing",
    [RISK_MISSING_FOUND_WITH_ADULT] = "found with an adult after going missing",
    [RISK_MISSING_FOUND_WITH_PEER_AT_RISK] = "found with another young person on the list",
    [RISK_RETURN_INTERVIEW_DISCLOSURE] = "disclosed exploitation at a return interview",
    [RISK_RETURN_INTERVIEW_DECLINED] = "return interview declined or not done",
    [RISK_EXPLOITATION_SCREENING_HIGH] = "exploitation screening: high risk",
    [RISK_EXPLOITATION_SCREENING_MEDIUM] = "exploitation screening: medium risk",
    [RISK_EXPLOITATION_SCREENING_LOW] = "exploitation screening: low risk",
    [RISK_EXPLOITATION_INTELLIGENCE] = "police intelligence about exploitation",
    [RISK_NRM_REFERRAL] = "referred to the National Referral Mechanism",
    [RISK_EXPLOITATION_CONCERN] = "a practitioner recorded an exploitation concern",
    [RISK_CRIME_EXPLOITATION] = "victim of a crime flagged as exploitation",
    [RISK_DA_HOUSEHOLD] = "domestic abuse in the household",
    [RISK_TOXIC_TRIO] = "toxic trio in the household",
    [RISK_SCHOOL_PERSISTENT_ABSENCE] = "persistently absent from school",
    [RISK_SCHOOL_SEVERE_ABSENCE] = "severely absent from school",
    [RISK_EXCLUSION_SUSPENSION] = "suspended from school",
    [RISK_EXCLUSION_PERMANENT] = "permanently excluded from school",
    [RISK_MISSING_EDUCATION] = "missing education",
    [RISK_EHE_AFTER_EXCLUSION] = "home educated soon after an exclusion",
    [RISK_ED_INJURY] = "at A&E with an injury or assault",
    [RISK_ED_STAB_WOUND] = "at A&E with a stab wound",
    [RISK_ED_SELF_HARM] = "at A&E after self-harm or overdose",
    [RISK_ED_SUBSTANCE] = "at A&E with alcohol or drugs",
    [RISK_ED_SEXUAL_ASSAULT] = "at A&E after sexual assault",
    [RISK_SEXUAL_HEALTH] = "sexual health concern",
    [RISK_SUBSTANCE_MISUSE] = "referred to substance misuse services",
    [RISK_POLICE_VICTIM] = "victim of a crime",
    [RISK_POLICE_SUSPECT] = "suspect in a crime",
    [RISK_DRUG_SUPPLY] = "arrested or suspected for drug supply",
    [RISK_WEAPON] = "weapon offence or weapon found",
    [RISK_STOP_SEARCH_DRUGS] = "stopped and searched, drugs found",
    [RISK_YOUTH_JUSTICE] = "youth justice intervention",
    [RISK_LOOKED_AFTER] = "looked after (in care)",
    [RISK_PLACEMENT_MOVE] = "placement move",
    [RISK_PLACEMENT_OUT_OF_COUNTY] = "placed out of county",
    [RISK_AGE_BAND] = "in the age band where exploitation most often begins",
    [RISK_PEER_AT_RISK] = "associates with a young person on the list",
    [RISK_ADULT_OF_CONCERN] = "associates with an adult of concern",
    [RISK_PERPETRATOR_LINK] = "recorded as harmed by a named perpetrator",
    [RISK_ATTENDANCE_DECLINE] = "school attendance falling term on term",
    [RISK_MISSING_FOUND_WITH_FAMILY] = "found with family after going missing",
    [RISK_MISSING_FOUND_WITH_CARER] = "found with a carer or at the placement",
    [RISK_INTRA_FAMILIAL] = "a family member is an adult of concern (harm within the family)",
    [RISK_SIBLING_AT_RISK] = "a brother or sister is on the list",
};

const char *risk_indicator_label(int indicator)
{
    if (indicator < 0 || indicator >= RISK_INDICATOR_COUNT || !labels[indicator])
        return "other reason";
    return labels[indicator];
}

const char *risk_indicator_other_kind(int indicator)
{
    switch (indicator) {
    case RISK_MISSING_FOUND_WITH_ADULT:
    case RISK_ADULT_OF_CONCERN:
    case RISK_PERPETRATOR_LINK:
    case RISK_INTRA_FAMILIAL:
        return "adult";
    case RISK_SIBLING_AT_RISK:
        return "brother or sister";
    case RISK_MISSING_FOUND_WITH_PEER_AT_RISK:
    case RISK_PEER_AT_RISK:
        return "young person";
    default:
        return NULL;
    }
}

void risk_indicator_sums(const struct risk_person *rp, double sum[RISK_INDICATOR_COUNT])
{
    for (int i = 0; i < RISK_INDICATOR_COUNT; i++)
        sum[i] = 0;
    for (size_t i = 0; i < rp->nreasons; i++)
        if (rp->reasons[i].indicator >= 0 && rp->reasons[i].indicator < RISK_INDICATOR_COUNT)
            sum[rp->reasons[i].indicator] += rp->reasons[i].points;
}

int risk_indicator_next_best(const double sum[RISK_INDICATOR_COUNT])
{
    int best = -1;
    for (int i = 0; i < RISK_INDICATOR_COUNT; i++)
        if (sum[i] > 0.005 && (best < 0 || sum[i] > sum[best]))
            best = i;
    return best;
}

void risk_reasons_summary_plain(const struct risk_person *rp, int n, char *buf, size_t cap)
{
    double sum[RISK_INDICATOR_COUNT];
    risk_indicator_sums(rp, sum);
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int k = 0; k < n; k++) {
        int best = risk_indicator_next_best(sum);
        if (best < 0)
            break;
        /* written in place (no allocation that could fail and cut the summary silently) */
        int w = len < cap ? snprintf(buf + len, cap - len, "%s%s (%.0f points)", len ? "; " : "",
                                     risk_indicator_label(best), round(sum[best]))
                          : -1;
        if (w < 0 || (size_t)w >= cap - len) {
            if (len < cap)
                buf[len] = '\0';
            break;
        }
        len += (size_t)w;
        sum[best] = 0;
    }
    if (!len)
        svp_strlcpy(buf, "no reason recorded", cap);
}
