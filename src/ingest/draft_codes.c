/* The draft's readings of person codes as systems write them: sex (words, letters, ISO/IEC
 * 5218 digits) and ethnicity (the descriptions of the DfE/ONS census categories as case,
 * school and health systems print them, and the NHS Data Dictionary's one-letter ethnic
 * category codes), each to svp's canonical code (docs/model.md). A value none of these
 * reads gets no code: the draft leaves it out of the map for the analyst. */
#include "draft_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *draft_sex_code(const char *v, bool iso5218)
{
    static const struct {
        const char *in, *out;
    } t[] = {{"m", "M"}, {"male", "M"}, {"boy", "M"}, {"man", "M"},
             {"f", "F"}, {"female", "F"}, {"girl", "F"}, {"woman", "F"},
             {"x", "X"}, {"other", "X"}, {"indeterminate", "X"}, {"non-binary", "X"},
             {"i", "X"}, {"u", "U"}, {"unknown", "U"}, {"not known", "U"}, {"n", "U"},
             {"not stated", "U"}, {"ns", "U"}, {"nk", "U"}, {"not recorded", "U"}};
    if (iso5218 || draft_all_digits(v, strlen(v))) {
        if (!strcmp(v, "1"))
            return "M";
        if (!strcmp(v, "2"))
            return "F";
        if (!strcmp(v, "0") || !strcmp(v, "9"))
            return "U"; /* ISO/IEC 5218: 0 not known, 9 not applicable */
        return NULL;
    }
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcasecmp(t[i].in, v))
            return t[i].out;
    return NULL;
}

/* NHS Data Dictionary, ETHNIC CATEGORY (2001 census): A-S, Z not stated, 99 not known. */
const char *draft_nhs_ethnic_letter(const char *v)
{
    static const char letters[] = "ABCDEFGHJKLMNPRS";
    static const char *const codes[] = {"WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "MWAS",
                                        "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
                                        "BAFR", "BOTH", "ACHN", "OOTH"};
    if (!strcmp(v, "Z") || !strcmp(v, "z") || !strcmp(v, "99"))
        return "NOBT";
    const char *at = v[0] && !v[1] ? strchr(letters, toupper((unsigned char)v[0])) : NULL;
    return at ? codes[at - letters] : NULL;
}

/* Whether the word w (lower case) is one of text's words. */
static bool has_word(const char *text, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = text; (p = strstr(p, w)); p += n) {
        bool start = p == text || !isalpha((unsigned char)p[-1]);
        bool end = !isalpha((unsigned char)p[n]);
        if (start && end)
            return true;
    }
    return false;
}

const char *draft_ethnicity_code(const char *v)
{
    char s[128];
    size_t n = 0;
    for (; *v && n < sizeof s - 1; v++)
        s[n++] = (char)tolower((unsigned char)*v);
    s[n] = '\0';
    if (has_word(s, "refused") || has_word(s, "declined") || strstr(s, "not wish") ||
        strstr(s, "prefer not"))
        return "REFU";
    if (strstr(s, "not stated") || strstr(s, "not known") || has_word(s, "unknown") ||
        strstr(s, "not obtained") || strstr(s, "not recorded") || strstr(s, "not given"))
        return "NOBT";
    bool white = has_word(s, "white"), black = has_word(s, "black"),
         asian = has_word(s, "asian");
    if (has_word(s, "mixed") || has_word(s, "dual") || has_word(s, "multiple") ||
        (white && (black || asian))) {
        if (white && has_word(s, "caribbean"))
            return "MWBC";
        if (white && has_word(s, "african"))
            return "MWBA";
        if (white && asian)
            return "MWAS";
        return "MOTH";
    }
    if (has_word(s, "traveller") || has_word(s, "travellers"))
        return "WIRT";
    if (has_word(s, "gypsy") || has_word(s, "roma") || has_word(s, "romany"))
        return "WROM";
    if (has_word(s, "indian"))
        return "AIND";
    if (has_word(s, "pakistani"))
        return "APKN";
    if (has_word(s, "bangladeshi"))
        return "ABAN";
    if (has_word(s, "chinese"))
        return "ACHN";
    if (asian)
        return "AOTH";
    if (has_word(s, "caribbean"))
        return "BCRB";
    if (has_word(s, "african"))
        return "BAFR";
    if (black)
        return "BOTH";
    if (has_word(s, "arab"))
        return "OARA";
    if (white) {
        if (has_word(s, "irish") && !has_word(s, "northern"))
            return "WIRI";
        if (has_word(s, "british") || has_word(s, "english") || has_word(s, "scottish") ||
            has_word(s, "welsh") || has_word(s, "northern"))
            return "WBRI";
        return "WOTH";
    }
    if (has_word(s, "other"))
        return "OOTH";
    return NULL;
}

/* The key the Vulnerability Tracker reads (src/risk/score.c) for a school attendance
 * export's column, by its header's words: possible sessions, sessions attended, missed
 * (absent), authorised and unauthorised absence, attendance %, a persistent absence flag;
 * NULL for any other column. */
const char *draft_attendance_key(const struct col *c)
{
    static const char *const pct_w[] = {"percent", "percentage", "pct", "rate", NULL};
    static const char *const att_w[] = {"attendance", "attended", "present", "attend", NULL};
    static const char *const unauth_w[] = {"unauthorised", "unauthorized", "unauth",
                                           "unauthorisedabsence", NULL};
    static const char *const auth_w[] = {"authorised", "authorized", "auth",
                                         "authorisedabsence", NULL};
    static const char *const attended_w[] = {"attended", "present", "attendances", NULL};
    static const char *const missed_w[] = {"missed", "absent", "absence", "absences", NULL};
    static const char *const persistent_w[] = {"persistent", "persistently", NULL};
    /* "PA Flag", "Persistent Absentee": a yes/no */
    if ((draft_has_any(c, persistent_w) || draft_has_word(c, "pa")) && c->kind == K_FLAG)
        return "persistent_absence";
    if (c->kind != K_INT && c->kind != K_NUM && !(c->nonblank && c->ints == c->nonblank))
        return NULL; /* counts, also when a few repeat (140 possible sessions a term) */
    bool pct = strchr(c->name, '%') || draft_has_any(c, pct_w);
    if (pct && draft_has_any(c, att_w))
        return "attendance_pct";
    /* an absence's percentage ("Authorised Absence %") is not a count of sessions, nor are
     * decimals */
    if (pct || c->ints != c->nonblank)
        return NULL;
    if (draft_has_word(c, "possible"))
        return "sessions_possible";
    if (draft_has_any(c, unauth_w))
        return "sessions_unauthorised";
    if (draft_has_any(c, auth_w))
        return "sessions_authorised";
    if (draft_has_any(c, attended_w))
        return "sessions_attended";
    if (draft_has_any(c, missed_w))
        return "sessions_missed";
    return NULL;
}

/* Whether the lower-cased text s holds any of the words (or phrases) in ws, or a word that
 * starts as one ending in '*' does ("pregnan*": pregnant, pregnancy). */
static bool says(const char *s, const char *const *ws)
{
    for (; *ws; ws++) {
        size_t n = strlen(*ws);
        if ((*ws)[n - 1] != '*') {
            if (has_word(s, *ws))
                return true;
            continue;
        }
        for (const char *p = s; *p; p++)
            if ((p == s || !isalpha((unsigned char)p[-1])) && !strncmp(p, *ws, n - 1))
                return true;
    }
    return false;
}

static void lower(const char *v, char *s, size_t cap)
{
    size_t n = 0;
    for (; *v && n < cap - 1; v++)
        s[n++] = *v == '-' || *v == '_' ? ' ' : (char)tolower((unsigned char)*v);
    s[n] = '\0';
}

/* An ED attendance's reason as the ED system writes it ("Self harm", "Stab wound", "Alcohol
 * intoxication") to docs/model.md's ED reasons, or NULL. */
const char *draft_ed_reason(const char *v)
{
    static const char *const stab[] = {"stab", "stabbed", "stabbing", "knife", "blade", NULL};
    static const char *const sexual_assault[] = {"rape", "sexual assault", NULL};
    static const char *const assault[] = {"assault", "assaulted", "fight", "punched", "violence",
                                          NULL};
    static const char *const self_harm[] = {"self harm", "dsh", "deliberate self", "cutting",
                                            "self inflicted", NULL};
    static const char *const overdose[] = {"overdose", "od", "poisoning", "ingestion", NULL};
    static const char *const alcohol[] = {"alcohol", "intoxication", "intoxicated", "drunk",
                                          "etoh", NULL};
    static const char *const drugs[] = {"drug", "drugs", "substance", "cannabis", "cocaine",
                                        NULL};
    static const char *const sexual_health[] = {"contraception", "sti", "std", "sexual health",
                                                "morning after", "gum", "genitourinary",
                                                "termination", "pep", NULL};
    static const char *const pregnancy[] = {"pregnan*", NULL};
    static const char *const mental[] = {"mental", "psychiatric", "anxiety", "depression",
                                         "suicidal", "psychosis", NULL};
    static const char *const injury[] = {"injury", "injuries", "fall", "fracture", "wound",
                                         "burn", "sprain", "laceration", NULL};
    char s[128];
    lower(v, s, sizeof s);
    return says(s, stab)            ? "stab_wound"
           : says(s, sexual_assault) ? "sexual_assault"
           : says(s, assault)        ? "assault"
           : says(s, self_harm)      ? "self_harm"
           : says(s, overdose)       ? "overdose"
           : says(s, alcohol)        ? "alcohol"
           : says(s, drugs)          ? "drugs"
           : says(s, sexual_health)  ? "sexual_health"
           : says(s, pregnancy)      ? "pregnancy"
           : says(s, mental)         ? "mental_health"
           : says(s, injury)         ? "injury"
                                     : NULL;
}

/* An exclusion's category as a school MIS writes it, the school census's codes (FIXD a
 * suspension, formerly a fixed-period exclusion; LUNC a lunchtime one; PERM permanent) or
 * words ("Fixed Term", "Suspension", "Permanent exclusion"), to the exclusion's subtype
 * (docs/model.md), or NULL ("Internal" isolation is no exclusion in law). */
const char *draft_exclusion_category(const char *v)
{
    static const char *const permanent[] = {"perm", "permanent", "permanently", "expelled",
                                            "expulsion", NULL};
    static const char *const suspension[] = {"fixd", "lunc", "fixed", "suspension",
                                             "suspended", "lunchtime", "fixed term",
                                             "fixed period", "fte", NULL};
    char s[96];
    lower(v, s, sizeof s);
    if (says(s, permanent))
        return "permanent";
    if (says(s, suspension) && !has_word(s, "internal"))
        return "suspension";
    return NULL;
}

/* An exclusion's reason as the school census codes it (PD, PP, PA, VP, VA, RA, BU, SM, DA,
 * DM, TH, MT, OT; DfE, "Suspensions and permanent exclusions" guidance) or describes it
 * ("Persistent disruptive behaviour", "Physical assault against an adult"), to the reasons
 * of docs/model.md, or NULL. Abuse against a pupil or an adult, racist abuse and bullying
 * are verbal abuse; sexual misconduct is other. */
const char *draft_exclusion_reason(const char *v)
{
    static const struct {
        const char *code, *reason;
    } dfe[] = {{"pd", "persistent_disruption"}, {"pp", "physical_assault_pupil"},
               {"pa", "physical_assault_adult"}, {"vp", "verbal_abuse"},
               {"va", "verbal_abuse"},          {"ra", "verbal_abuse"},
               {"bu", "verbal_abuse"},          {"sm", "other"},
               {"da", "drugs_alcohol"},         {"dm", "damage"},
               {"th", "theft"},                 {"mt", "weapon"},
               {"ot", "other"}};
    char s[128];
    lower(v, s, sizeof s);
    const char *t = s;
    size_t n = strlen(s);
    svp_trim(&t, &n);
    for (size_t i = 0; i < sizeof dfe / sizeof dfe[0]; i++)
        if (strlen(dfe[i].code) == n && !memcmp(t, dfe[i].code, n))
            return dfe[i].reason;
    static const char *const disrupt[] = {"persistent", "disruptive", "disruption", NULL};
    static const char *const physical[] = {"physical", "assault", "fighting", NULL};
    static const char *const adult[] = {"adult", "staff", "teacher", NULL};
    static const char *const verbal[] = {"verbal", "threatening", "racist", "bullying",
                                         "abuse", NULL};
    static const char *const drugs[] = {"drug", "drugs", "alcohol", "substance", NULL};
    static const char *const weapon[] = {"weapon", "knife", "blade", "prohibited item", NULL};
    return says(s, weapon)       ? "weapon"
           : says(s, physical)   ? (says(s, adult) ? "physical_assault_adult"
                                                   : "physical_assault_pupil")
           : says(s, verbal)     ? "verbal_abuse"
           : says(s, drugs)      ? "drugs_alcohol"
           : says(s, disrupt)    ? "persistent_disruption"
           : has_word(s, "damage") ? "damage"
           : has_word(s, "theft")  ? "theft"
                                   : NULL;
}

/* A youth justice disposal as a YOT case system writes it ("Referral Order", "YRO",
 * "Detention and Training Order", "Youth Conditional Caution", "Triage") to the
 * intervention's subtype (docs/model.md), or NULL. Out-of-court diversion (triage, a
 * community resolution, Outcome 22) is triage; a custodial sentence is custody. */
const char *draft_yj_disposal(const char *v)
{
    static const char *const custody[] = {"custody", "custodial", "detention", "dto",
                                          "section 250", "s250", "secure", NULL};
    static const char *const triage[] = {"triage", "diversion", "community resolution",
                                         "outcome 22", "prevention", NULL};
    char s[96];
    lower(v, s, sizeof s);
    if (says(s, custody))
        return "custody";
    if (has_word(s, "yro") || (has_word(s, "rehabilitation") && has_word(s, "order")))
        return "yro";
    if (has_word(s, "referral") && has_word(s, "order"))
        return "referral_order";
    if (has_word(s, "ycc") || (has_word(s, "conditional") && has_word(s, "caution")))
        return "youth_conditional_caution";
    if (has_word(s, "caution"))
        return "youth_caution";
    if (says(s, triage))
        return "triage";
    return NULL;
}

/* A return interview's outcome as a service records it to docs/model.md's, or NULL:
 * "Completed", "Declined"/"Refused", "Not offered", "Offered", and an interview that did
 * not happen for want of the child ("Unable to contact", "Did not attend", "No response")
 * not_completed, which the tracker weighs as a declined one. */
const char *draft_rhi_outcome(const char *v)
{
    static const char *const declined[] = {"declined", "refused", "did not want",
                                           "not wanted", NULL};
    static const char *const not_done[] = {"unable", "not completed", "incomplete",
                                           "did not attend", "dna", "no response",
                                           "no contact", "not engaged", "did not engage",
                                           "could not", "missing again", NULL};
    char s[96];
    lower(v, s, sizeof s);
    if (says(s, declined))
        return "declined";
    if (says(s, not_done))
        return "not_completed";
    if (has_word(s, "not offered") || (has_word(s, "not") && has_word(s, "offered")))
        return "not_offered";
    if (has_word(s, "completed") || has_word(s, "complete") || has_word(s, "done"))
        return "completed";
    if (has_word(s, "offered"))
        return "offered";
    return NULL;
}

/* A missing episode's risk as the police grade it (APP: "No Apparent Risk", formerly
 * "Absent", then low, medium, high) to docs/model.md's risk_level, or NULL. */
const char *draft_missing_risk(const char *v)
{
    char s[96];
    lower(v, s, sizeof s);
    if ((has_word(s, "no") && has_word(s, "apparent")) || has_word(s, "absent") ||
        has_word(s, "nar"))
        return "no_apparent_risk";
    return draft_risk_level(v);
}

/* Where a child went missing from ("Home address", "Foster placement", "Children's home",
 * "School") to docs/model.md's missing_from, or NULL. */
const char *draft_missing_from(const char *v)
{
    static const char *const care[] = {"placement", "foster", "fostering", "children s home",
                                       "childrens home", "residential", "care", "lac",
                                       "supported accommodation", "semi independent", NULL};
    static const char *const home[] = {"home", "home address", "family home", "parent",
                                       "parents", "address", NULL};
    static const char *const school[] = {"school", "college", "academy", NULL};
    char s[96];
    lower(v, s, sizeof s);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = ' ';
    if (says(s, care))
        return "care_placement";
    if (says(s, school))
        return "school";
    if (says(s, home))
        return "home";
    return NULL;
}

/* Who brought a missing child back ("Self", "Police", "Parent", "Foster carer") to
 * docs/model.md's returned_by, or NULL. */
const char *draft_returned_by(const char *v)
{
    static const char *const carer[] = {"carer", "carers", "foster", "staff", "placement",
                                        "social worker", NULL};
    static const char *const family[] = {"parent", "parents", "mother", "father", "mum", "dad",
                                         "family", "relative", "grandparent", NULL};
    char s[96];
    lower(v, s, sizeof s);
    if (says(s, carer))
        return "carer";
    if (says(s, family))
        return "family";
    if (has_word(s, "police") || has_word(s, "officer"))
        return "police";
    if (has_word(s, "self") || has_word(s, "own accord") || has_word(s, "returned home"))
        return "self";
    return NULL;
}

/* A category of abuse as an adult social care system writes it (the Safeguarding Adults
 * Collection's, Care Act 2014: "Financial or Material Abuse", "Neglect and Acts of
 * Omission", "Self-Neglect") to docs/adults.md's codes, or NULL. */
const char *draft_adult_abuse(const char *v)
{
    static const char *const psych[] = {"psychological", "emotional", NULL};
    static const char *const financial[] = {"financial", "material", NULL};
    static const char *const organisational[] = {"organisational", "organizational",
                                                 "institutional", NULL};
    static const char *const neglect[] = {"neglect", "acts of omission", NULL};
    char s[96];
    lower(v, s, sizeof s);
    if (has_word(s, "self neglect"))
        return "self_neglect";
    if (has_word(s, "sexual exploitation"))
        return "sexual_exploitation";
    if (has_word(s, "modern slavery") || has_word(s, "slavery") || has_word(s, "trafficking"))
        return "modern_slavery";
    if (has_word(s, "domestic"))
        return "domestic_abuse";
    if (says(s, financial))
        return "financial";
    if (says(s, psych))
        return "psychological";
    if (has_word(s, "discriminatory"))
        return "discriminatory";
    if (says(s, organisational))
        return "organisational";
    if (has_word(s, "sexual"))
        return "sexual";
    if (has_word(s, "physical"))
        return "physical";
    if (says(s, neglect))
        return "neglect";
    return NULL;
}

/* Where an adult's abuse happened, as adult social care records it ("Own Home", "Care Home -
 * Nursing", "Hospital - Acute", "In the Community"), to docs/adults.md's codes, or NULL. */
const char *draft_adult_location(const char *v)
{
    static const char *const care_home[] = {"care home", "nursing", "residential", NULL};
    static const char *const service[] = {"community service", "day centre", "day center",
                                          "supported living", NULL};
    char s[96];
    lower(v, s, sizeof s);
    if (says(s, care_home))
        return "care_home";
    if (has_word(s, "hospital"))
        return "hospital";
    if (has_word(s, "own home") || has_word(s, "home"))
        return "own_home";
    if (says(s, service))
        return "community_service";
    if (has_word(s, "community") || has_word(s, "public place"))
        return "community";
    if (has_word(s, "other"))
        return "other";
    return NULL;
}

/* Who raised an adult's concern ("Care Provider", "GP", "Family or Friend", "Member of the
 * Public") to docs/adults.md's concern_source, or NULL. */
const char *draft_concern_source(const char *v)
{
    static const char *const provider[] = {"care provider", "provider", "care home", "care agency",
                                           "domiciliary", NULL};
    static const char *const health[] = {"health", "gp", "hospital", "nhs", "nurse",
                                         "ambulance", "mental health", NULL};
    static const char *const family[] = {"family", "friend", "relative", "carer", NULL};
    static const char *const public_w[] = {"public", "neighbour", "anonymous", NULL};
    char s[96];
    lower(v, s, sizeof s);
    return says(s, provider)       ? "care_provider"
           : says(s, health)       ? "health"
           : has_word(s, "police") ? "police"
           : says(s, family)       ? "family"
           : has_word(s, "self")   ? "self"
           : says(s, public_w)     ? "public"
           : has_word(s, "other")  ? "other"
                                   : NULL;
}

/* A concern as a case system or a return interview lists it ("CSE", "Child Criminal
 * Exploitation", "Gangs", "Peers", "Family conflict") to the codes the tracker reads in a
 * return interview's disclosures, a contact's reasons, an assessment's factors and a
 * screening's concerns (docs/model.md), or NULL. */
const char *draft_concern(const char *v)
{
    static const char *const cse[] = {"cse", "sexual exploitation", NULL};
    static const char *const cce[] = {"cce", "criminal exploitation", NULL};
    static const char *const lines[] = {"county lines", NULL};
    static const char *const trafficking[] = {"trafficking", "trafficked", "modern slavery",
                                              NULL};
    static const char *const gang[] = {"gang", "gangs", NULL};
    static const char *const online[] = {"online", "internet", "social media", NULL};
    static const char *const adults[] = {"older", "adult associates", "adults", NULL};
    static const char *const peers[] = {"peer", "peers", NULL};
    static const char *const drugs[] = {"drug", "drugs", "substance", "substances", "cannabis",
                                        NULL};
    static const char *const alcohol[] = {"alcohol", NULL};
    static const char *const bullying[] = {"bullying", "bullied", NULL};
    static const char *const home[] = {"family conflict", "home conflict", "conflict at home",
                                       "conflict with parents", "arguments at home", NULL};
    static const struct {
        const char *const *words;
        const char *code;
    } *k, kinds[] = {{cse, "cse"},         {cce, "cce"},
                     {lines, "county_lines"}, {trafficking, "trafficking"},
                     {gang, "gang"},       {online, "online"},
                     {adults, "adult_associates"}, {peers, "peer_associates"},
                     {drugs, "drugs"},     {alcohol, "alcohol"},
                     {bullying, "bullying"}, {home, "home_conflict"},
                     {NULL, NULL}};
    char s[128];
    lower(v, s, sizeof s);
    for (k = kinds; k->words; k++)
        if (says(s, k->words))
            return k->code;
    return NULL;
}

/* An offence as a police or youth justice system writes it ("Possession with intent to
 * supply Class A", "Theft from shop", "ABH") to docs/model.md's offence categories, or
 * NULL. */
const char *draft_offence(const char *v)
{
    static const char *const supply[] = {"supply", "supplying", "intent to supply", "dealing",
                                         "production", "cultivation", NULL};
    static const char *const drug[] = {"drug", "drugs", "cannabis", "cocaine", "heroin",
                                       "class a", "class b", "controlled", NULL};
    static const char *const weapon[] = {"knife", "blade", "bladed", "weapon", "firearm",
                                         "offensive", NULL};
    static const char *const violent[] = {"assault", "abh", "gbh", "wounding", "violence",
                                          "battery", "murder", "manslaughter", "stabbing",
                                          "threats to kill", NULL};
    static const char *const sexual[] = {"rape", "sexual", "indecent", "indecency", NULL};
    static const char *const exploitation[] = {"exploitation", "slavery", "trafficking",
                                               "grooming", NULL};
    static const char *const online[] = {"online", "malicious communications", "sexting",
                                         "social media", NULL};
    static const char *const damage[] = {"criminal damage", "arson", "vandalism", "graffiti",
                                         NULL};
    static const char *const order[] = {"public order", "affray", "riot", "violent disorder",
                                        "harassment", NULL};
    static const char *const theft[] = {"theft", "shoplifting", "stealing", "handling",
                                        "vehicle taking", "twoc", NULL};
    char s[160];
    lower(v, s, sizeof s);
    if (says(s, drug) || says(s, supply))
        return says(s, supply) && !says(s, exploitation) ? "drugs_supply" : "drugs_possession";
    if (says(s, exploitation))
        return "exploitation";
    if (says(s, sexual))
        return "sexual";
    if (says(s, weapon))
        return says(s, violent) ? "violence_weapon" : "weapon_possession";
    if (has_word(s, "robbery"))
        return "robbery";
    if (has_word(s, "burglary"))
        return "burglary";
    if (says(s, violent))
        return "violence";
    if (says(s, online))
        return "online";
    if (says(s, damage))
        return "criminal_damage";
    if (says(s, order))
        return "public_order";
    if (says(s, theft))
        return "theft";
    return NULL;
}

/* A risk level as screening tools and case systems write it ("High", "Significant",
 * "Amber", "Medium risk", "Low") to the screening's level, or NULL ("None", "Not
 * assessed"). */
const char *draft_risk_level(const char *v)
{
    static const char *const high[] = {"high", "significant", "severe", "red", NULL};
    static const char *const medium[] = {"medium", "moderate", "amber", NULL};
    static const char *const low[] = {"low", "green", "emerging", NULL};
    static const char *const none[] = {"none", "no", "not", "nil", NULL};
    char s[64];
    lower(v, s, sizeof s);
    if (says(s, none))
        return NULL; /* "no risk", "not assessed", "none identified" */
    return says(s, high) ? "high" : says(s, medium) ? "medium" : says(s, low) ? "low" : NULL;
}

/* A column's header naming a kind of exploitation ("CSE Risk", "CCE screening level",
 * "Exploitation risk"): the kind for the screening's concerns, or NULL. */
const char *draft_exploitation_kind(const struct col *c)
{
    if (draft_has_word(c, "cse") || (draft_has_word(c, "sexual") &&
                                      draft_has_word(c, "exploitation")))
        return "cse";
    if (draft_has_word(c, "cce") || (draft_has_word(c, "criminal") &&
                                      draft_has_word(c, "exploitation")))
        return "cce";
    if (draft_has_word(c, "county") && draft_has_word(c, "lines"))
        return "county_lines";
    if (draft_has_word(c, "exploitation") || draft_has_word(c, "gang"))
        return draft_has_word(c, "gang") ? "gang" : "unspecified";
    return NULL;
}
