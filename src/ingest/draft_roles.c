/* `svp profile draft`: what each column is for (ids are chosen in draft.c) and the type
 * of event each row records, from the header's words and the codes: names, dates of birth,
 * codes, places, the start and end of the event, a date's time in a column of its own. */
#include "draft_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ the event's type */

static const struct {
    const char *word, *type;
} type_words[] = {
    {"missing", "missing_episode"}, {"absconded", "missing_episode"},
    {"interview", "return_interview"}, {"rhi", "return_interview"},
    {"arrived", "ed_attendance"}, {"triage", "ed_attendance"}, {"patient", "ed_attendance"},
    {"nhs", "ed_attendance"}, {"ed", "ed_attendance"}, {"ae", "ed_attendance"},
    {"upn", "school_attendance"}, {"sessions", "school_attendance"},
    {"possible", "school_attendance"}, {"term", "school_attendance"},
    {"pupil", "school_attendance"},
    {"exclusion", "exclusion"}, {"excluded", "exclusion"}, {"excl", "exclusion"},
    {"suspension", "exclusion"},
    {"occurrence", "crime"}, {"crime", "crime"}, {"offence", "crime"}, {"nominal", "crime"},
    {"occurred", "crime"}, {"victim", "crime"}, {"suspect", "crime"}, {"witness", "crime"},
    {"arrest", "arrest"}, {"arrested", "arrest"}, {"custody", "arrest"},
    {"referral", "referral"}, {"referred", "referral"},
    {"assessment", "assessment"},
    {"yj", "yj_intervention"}, {"yot", "yj_intervention"}, {"intervention", "yj_intervention"},
    {"breach", "yj_intervention"},
    {"leaver", "care_leaver"}, {"pathway", "care_leaver"}, {"leaving care", "care_leaver"},
    {"former relevant", "care_leaver"}, {"qualifying", "care_leaver"},
    /* before "exploitation": a screening of exploitation is a screening */
    {"screening", "exploitation_screening"}, {"screened", "exploitation_screening"},
    {"exploitation", "exploitation_concern"}, {"concern", "exploitation_concern"},
    {"cse", "exploitation_concern"}, {"cce", "exploitation_concern"},
    {"county lines", "exploitation_concern"},
    {"domestic", "da_incident"}, {"dash", "da_incident"},
    {"lac", "looked_after"}, {"placement", "looked_after"}, {"looked after", "looked_after"},
    {"contact", "contact"}, {"strategy", "strategy_discussion"}, {"s47", "s47_enquiry"},
    {"marac", "marac"}, {"nrm", "nrm_referral"}, {"stop search", "stop_search"},
    {"intelligence", "intelligence"}, {"camhs", "camhs_referral"},
    {"sexual health", "sexual_health"}, {"substance", "substance_misuse"},
    {"s42", "adult_concern"}, {"section 42", "adult_concern"},
    {"safeguarding adults", "adult_concern"}, {"care act", "adult_concern"},
    {"drugs", "substance_misuse"},
};
#define NTW ((int)(sizeof type_words / sizeof type_words[0]))

/* Which event types words found in text (a header or a code, as words) point to. */
static void type_votes(const char *words, int *votes, int weight)
{
    for (int i = 0; i < NTW; i++) {
        size_t n = strlen(type_words[i].word);
        /* a pupil's number names the child in every school extract (exclusions, events),
         * not its attendance: half a vote */
        bool pupil = !strcmp(type_words[i].word, "upn") || !strcmp(type_words[i].word, "pupil");
        for (const char *p = words; (p = strstr(p, type_words[i].word)); p++)
            if ((p == words || p[-1] == ' ') && (p[n] == ' ' || !p[n])) {
                votes[i] += pupil && weight > 1 ? weight / 2 : weight;
                break;
            }
    }
}

const char *draft_type_of_flag(const struct col *c)
{
    static const char *const w[] = {"referred", "referral", "excluded", "exclusion", "excl",
                                    "arrested", "arrest", "missing", "suspended", NULL};
    static const char *const t[] = {"referral", "referral", "exclusion", "exclusion",
                                    "exclusion", "arrest", "arrest", "missing_episode",
                                    "exclusion"};
    for (int i = 0; w[i]; i++)
        if (draft_has_word(c, w[i]))
            return t[i];
    return NULL;
}

/* A code of a map written as a profile line can hold: no '=', no leading '#', ';' or '[',
 * no line end, and not '*'. */
bool draft_writable_code(const char *s)
{
    return *s && !strchr(s, '=') && !strchr(s, '\n') && !strchr(s, '\r') && s[0] != '#' &&
           s[0] != ';' && s[0] != '[' && strcmp(s, "*") && strlen(s) < 200;
}


/* The event type a code's words point to ("Child sexual exploitation": an exploitation
 * concern), or NULL. */
const char *draft_code_type(const struct draft *d, const char *code)
{
    char words[160];
    int v[NTW] = {0};
    draft_header_words(code, words, sizeof words);
    type_votes(words, v, 1);
    /* "concern" names an exploitation concern in a header ("Concern type"), but a code
     * that says only that ("Child is cause for concern") says no kind of harm */
    for (int i = 0; i < NTW; i++)
        if (v[i] && strcmp(type_words[i].word, "concern")) {
            /* the police record drugs as an offence ("Drugs Possession": a crime whose
             * offence is drugs_possession), not as a service's substance misuse */
            if (!strcmp(type_words[i].type, "substance_misuse") && d->agency &&
                !strcmp(d->agency, "police"))
                continue;
            /* a youth justice disposal ("Triage", "Referral Order") is the intervention's
             * own subtype, not an ED's triage or a social care referral */
            if (d->type && !strcmp(d->type, "yj_intervention") && draft_yj_disposal(code))
                return NULL;
            return type_words[i].type;
        }
    return NULL;
}

/* A code column whose codes name two or more event types other than the file's own (a
 * GP's safeguarding codes: "Child sexual exploitation", "Domestic abuse in household",
 * "Substance misuse") says each row's type: the one with most such types, or -1. (One
 * other type is an outcome or a detail: a youth justice order's outcome "Absconded".) */
int draft_type_column(const struct draft *d)
{
    /* what a row led to ("Outcome: Referral to CSC", "Next Steps: Strategy discussion")
     * is not what it records: the contact stays a contact, and its reasons stay read */
    static const char *const outcome_w[] = {"outcome", "outcomes", "result", "decision",
                                            "next", "action", "actions", "nfa", "closure",
                                            NULL};
    int best = -1, best_n = 1;
    for (int i = 0; i < d->ncols; i++) {
        const struct col *c = &d->cols[i];
        if (c->kind != K_CODE || draft_has_any(c, outcome_w))
            continue;
        const char *seen[DRAFT_CODES + 1];
        int n = 0;
        for (int k = 0; k < c->ncodes; k++) {
            const char *t = draft_writable_code(c->codes[k].v) ? draft_code_type(d, c->codes[k].v) : NULL;
            if (t && d->type && !strcmp(t, d->type))
                t = NULL;
            int j = 0;
            while (t && j < n && strcmp(seen[j], t))
                j++;
            if (t && j == n)
                seen[n++] = t;
        }
        if (n > best_n)
            best = i, best_n = n;
    }
    return best;
}

void draft_guess_type(struct draft *d)
{
    int votes[NTW] = {0};
    char words[160];
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->kind == K_FLAG && draft_type_of_flag(c))
            continue; /* a flag names a further event, not the row's */
        if (c->kind == K_BLANK)
            continue; /* a column the system left empty ("NHS_NO") says nothing of the rows */
        type_votes(c->words, votes, 2);
        if (c->kind != K_CODE)
            continue;
        /* the school census's exclusion categories (FIXD, PERM): no other record has them,
         * so they say exclusion as two header words would */
        if (draft_codes_read(c, draft_exclusion_category))
            for (int k = 0; k < NTW; k++)
                votes[k] += 4 * !strcmp(type_words[k].word, "exclusion");
        /* the Safeguarding Adults Collection's categories of abuse say adult concern over
         * any header word ("Concern ID", "Concern Received" say concern, not whose) */
        int abuse = 0;
        bool adult_only = false; /* a category no child protection plan has */
        for (int k = 0; k < c->ncodes; k++) {
            const char *a = draft_adult_abuse(c->codes[k].v);
            abuse += a != NULL;
            adult_only |= a && (!strcmp(a, "financial") || !strcmp(a, "organisational") ||
                                !strcmp(a, "discriminatory") || !strcmp(a, "self_neglect"));
        }
        if (c->ncodes >= 3 && !c->many && abuse * 2 >= c->ncodes && abuse >= 3 && adult_only)
            for (int k = 0; k < NTW; k++)
                votes[k] += 8 * !strcmp(type_words[k].word, "s42");
        /* the column's codes, as words, vote once */
        int cv[NTW] = {0};
        for (int k = 0; k < c->ncodes; k++) {
            draft_header_words(c->codes[k].v, words, sizeof words);
            type_votes(words, cv, 1);
        }
        for (int k = 0; k < NTW; k++)
            votes[k] += cv[k] > 0;
    }
    /* the part a person plays prefixes each of their columns ("Victim Ref", "Victim
     * Surname" ...): it says crime once, not once per column, so that one "DASH Risk"
     * still says what kind of incident it is */
    bool part_seen = false;
    for (int i = 0; i < NTW; i++)
        if (!strcmp(type_words[i].word, "victim") || !strcmp(type_words[i].word, "suspect") ||
            !strcmp(type_words[i].word, "witness")) {
            votes[i] = votes[i] && !part_seen;
            part_seen |= votes[i] > 0;
        }
    const char *types[NTW];
    int tv[NTW], nt = 0;
    for (int i = 0; i < NTW; i++) {
        int k = 0;
        while (k < nt && strcmp(types[k], type_words[i].type))
            k++;
        if (k == nt)
            types[nt] = type_words[i].type, tv[nt++] = 0;
        tv[k] += votes[i];
    }
    int best = -1, screening = -1, marac = -1;
    for (int k = 0; k < nt; k++) {
        if (tv[k] && (best < 0 || tv[k] > tv[best]))
            best = k;
        if (tv[k] && !strcmp(types[k], "exploitation_screening"))
            screening = k;
        if (tv[k] && !strcmp(types[k], "marac"))
            marac = k;
    }
    /* a screening for exploitation names the exploitation it screens for: a file that says
     * screening at all is the screenings'; a MARAC's cases are referred to it and scored by
     * DASH: a file that says MARAC is its cases' as much as any referral's or incident's */
    if (best >= 0 && screening >= 0 && !strcmp(types[best], "exploitation_concern"))
        best = screening;
    if (best >= 0 && marac >= 0 && tv[marac] == tv[best] &&
        (!strcmp(types[best], "referral") || !strcmp(types[best], "da_incident")))
        best = marac;
    d->type = best >= 0 ? types[best] : NULL;
    static const struct {
        const char *type, *agency;
    } ag[] = {{"missing_episode", "police"}, {"crime", "police"}, {"arrest", "police"},
              {"stop_search", "police"}, {"intelligence", "police"}, {"da_incident", "police"},
              {"ed_attendance", "health"}, {"sexual_health", "health"},
              {"camhs_referral", "health"}, {"substance_misuse", "health"},
              {"school_attendance", "education"}, {"exclusion", "education"},
              {"yj_intervention", "yjs"}, {"return_interview", "rhi"},
              {"adult_concern", "asc"}};
    d->agency = d->type ? "csc" : "other";
    for (size_t i = 0; d->type && i < sizeof ag / sizeof ag[0]; i++)
        if (!strcmp(ag[i].type, d->type))
            d->agency = ag[i].agency;
}

/* ------------------------------------------------------------------ roles */

static bool words_any(const struct col *c, const char *const *w)
{
    return draft_has_any(c, w);
}

/* A header's words without those that say date or time: "date missing" and "time missing"
 * are both "missing". */
static void stem(const char *words, char *out, size_t cap)
{
    static const char *const drop[] = {"date", "time", "datetime", "dt", "tm", "of", NULL};
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = words; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        bool skip = false;
        for (int i = 0; drop[i] && !skip; i++)
            skip = strlen(drop[i]) == len && !strncmp(drop[i], p, len);
        if (!skip && n + len + 2 < cap) {
            if (n)
                out[n++] = ' ';
            memcpy(out + n, p, len);
            n += len;
            out[n] = '\0';
        }
        p = e ? e + 1 : p + len;
    }
}

/* A time of day kept in a column of its own beside its date ("Date Missing", "Time
 * Missing"; "Arrival Date", "Arrival Time") is read with the date: the date column takes
 * it (time_col) and the time column is not drafted apart. Only when every row has its
 * time: "A + B" is empty when either is. */
static void pair_times(struct draft *d)
{
    char a[128], b[128];
    for (int i = 0; i < d->ncols; i++) {
        struct col *t = &d->cols[i];
        if (t->kind != K_TIME || t->blank || t->unusable)
            continue;
        stem(t->words, a, sizeof a);
        for (int j = 0; j < d->ncols; j++) {
            struct col *c = &d->cols[j];
            if (c->kind != K_DATE || c->with_time || c->time_col >= 0 || c->unusable)
                continue;
            stem(c->words, b, sizeof b);
            bool excel = false;
            for (int k = 0; k < c->nchosen; k++)
                excel |= c->chosen[k] == DF_EXCEL;
            if (excel || strcmp(a, b))
                continue;
            c->time_col = i;
            t->role = R_SKIP;
            break;
        }
    }
}

/* A phone number's column: its name says so ("Tel", "Mobile"), or nearly every value is a UK
 * number written as people write them ("Contact No", "Number": 0113 496 0001, +44 7700
 * 900123) and few are NHS numbers (whose 10 digits a phone's can share). */
static bool phoney(const struct col *c, const char *const *phone_w)
{
    if (c->kind == K_DATE)
        return false;
    if (draft_has_any(c, phone_w))
        return true;
    return c->nonblank && c->phones * 10 >= c->nonblank * 9 && c->nhs * 2 < c->nonblank;
}

/* A screening's risk level column: a code column most of whose codes read as levels
 * (draft_risk_level), named for a risk, level, rating or outcome; the subtype it takes
 * becomes detail. */
static void screening_level(struct draft *d)
{
    static const char *const level_w[] = {"risk", "level", "rating", "grading", "outcome",
                                          "score", NULL};
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->kind != K_CODE || (c->role != R_DETAIL && c->role != R_SUBTYPE) ||
            !draft_has_any(c, level_w) || !draft_codes_read(c, draft_risk_level))
            continue;
        for (int j = 0; j < d->ncols; j++)
            if (d->cols[j].role == R_SUBTYPE)
                d->cols[j].role = R_DETAIL;
        c->role = R_SUBTYPE;
        return;
    }
}

/* The dates of a return interview: its start the return, its end the interview. */
static void rhi_times(struct draft *d)
{
    static const char *const returned_w[] = {"return", "returned", "found", "located", NULL};
    static const char *const held_w[] = {"interview", "completed", "held", "conducted", NULL};
    int ret = -1, held = -1;
    for (int i = 0; i < d->ncols; i++) {
        const struct col *c = &d->cols[i];
        if (c->kind != K_DATE || (c->role != R_START && c->role != R_END && c->role != R_DETAIL))
            continue;
        if (ret < 0 && draft_has_any(c, returned_w) && !draft_has_any(c, held_w))
            ret = i;
        else if (held < 0 && draft_has_any(c, held_w))
            held = i;
    }
    if (ret < 0)
        return;
    for (int i = 0; i < d->ncols; i++)
        if (d->cols[i].role == R_START || (held >= 0 && d->cols[i].role == R_END))
            d->cols[i].role = R_DETAIL;
    d->cols[ret].role = R_START;
    if (held >= 0)
        d->cols[held].role = R_END;
}

void draft_assign_roles(struct draft *d)
{
    static const char *const given_w[] = {"forename", "forenames", "firstname", "first",
                                          "given", "christian", NULL};
    static const char *const family_w[] = {"surname", "lastname", "last", "family", NULL};
    static const char *const middle_w[] = {"middle", "middlename", "middlenames", "second", NULL};
    static const char *const name_w[] = {"name", "nominal", "fullname", NULL};
    static const char *const sex_w[] = {"sex", "gender", NULL};
    static const char *const eth_w[] = {"ethnicity", "ethnic", "ethnicorigin", NULL};
    static const char *const addr_w[] = {"address", "addr", NULL};
    static const char *const place_w[] = {"location", "place", "venue", "where", "site",
                                          "found", "at", NULL};
    static const char *const start_w[] = {"start", "started", "from", "opened", "occurred",
                                          "date", "reported", "arrived", "since", "on", NULL};
    static const char *const end_w[] = {"end", "ended", "returned", "return", "closed", "close",
                                        "until", "finish", "finished", "discharged", "left",
                                        "to", "found", "located", NULL};
    /* start words that an end date's name cannot have ("date" is in both) */
    static const char *const start_only_w[] = {"start", "started", "from", "opened", "occurred",
                                               "reported", "arrived", "since", NULL};
    static const char *const subtype_w[] = {"type", "kind", "category", "subtype", "reason",
                                            "role", "status", "concern", "complaint",
                                            "presenting", "presentation", "diagnosis",
                                            "involvement", NULL};
    static const char *const lat_w[] = {"lat", "latitude", NULL};
    static const char *const phone_w[] = {"phone", "tel", "telephone", "mobile", NULL};
    /* a school's or a GP's number for a child is its parent's or carer's ("Contact
     * Phone", "Parent Mobile", "Priority 1 Contact Tel", "Home Phone"); "contact", "home"
     * and "household" say so only of a child: an adult's "Contact Number" or "Home Phone"
     * is the person's own (draft_own_phones, once the ages are known) */
    static const char *const carer_w[] = {"parent", "carer", "guardian", "mother", "father",
                                          "mum", "dad", "emergency", "priority", "family",
                                          NULL};
    static const char *const home_w[] = {"contact", "home", "household", NULL};
    static const char *const known_w[] = {"preferred", "known", "aka", "alias", "nickname",
                                           NULL};
    static const char *const lon_w[] = {"lon", "long", "lng", "longitude", NULL};
    bool have[R_COUNT] = {false};
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        c->role = c->unusable || c->kind == K_BLANK ? R_SKIP : R_DETAIL;
    }
    pair_times(d);
    if (d->person >= 0)
        d->cols[d->person].role = R_PERSON_ID;
    if (d->nrow_parts == 1)
        d->cols[d->row_parts[0]].role = R_ROW_ID;
    char k[64];
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->role != R_DETAIL)
            continue; /* an id, a time read with its date, or a column svp cannot name */
        draft_compact(c->name, k, sizeof k);
        enum crole r = R_DETAIL;
        bool text = c->kind == K_TEXT || c->kind == K_CODE;
        if (c->kind == K_DATE && (strstr(k, "dob") || strstr(k, "birth") || draft_has_word(c, "born")))
            r = R_DOB;
        else if (c->kind == K_TERM)
            r = R_TERM;
        else if (text && (draft_has_word(c, "with") || draft_has_word(c, "whom")))
            r = R_MENTIONS;
        else if (text && (draft_has_word(c, "email") || draft_has_word(c, "e mail")))
            r = R_EMAIL;
        else if (phoney(c, phone_w) && (draft_has_any(c, carer_w) || draft_has_any(c, home_w))) {
            c->carer_phone = true; /* a parent's, a carer's or the home's: not the person's */
            c->own_phone_if_adult = !draft_has_any(c, carer_w);
        } else if (phoney(c, phone_w))
            r = R_PHONE;
        else if (draft_has_word(c, "nhs") || c->nhs * 10 >= c->nonblank * 9)
            r = R_SHARED;
        else if (text && words_any(c, sex_w))
            r = R_SEX;
        else if (c->kind == K_INT && words_any(c, sex_w) && c->distinct.n <= 4)
            r = R_SEX;
        else if (text && words_any(c, eth_w))
            r = R_ETHNICITY;
        else if (text && words_any(c, known_w) && c->namey * 10 >= c->nonblank * 8)
            r = R_KNOWN_AS; /* "Preferred Forename", "Known As": the linker compares it */
        else if (text && words_any(c, middle_w))
            r = R_MIDDLE;
        else if (text && words_any(c, given_w))
            r = R_GIVEN;
        else if (text && words_any(c, family_w))
            r = R_FAMILY;
        else if (text && words_any(c, name_w) && c->namey * 10 >= c->nonblank * 8 &&
                 c->single * 2 < c->nonblank)
            r = R_FULL;
        else if (text && c->kind == K_TEXT && c->namey * 10 >= c->nonblank * 9 &&
                 (c->comma + c->upper_first + c->upper_last) * 10 >= c->nonblank * 8 &&
                 c->single * 2 < c->nonblank)
            r = R_FULL; /* a header that does not say so ("Patient", "Subject"), values that
                           show a name's order ("DUNN, Kayla", "Kayla DUNN") */
        else if (text && c->postcodes * 10 >= c->nonblank * 8)
            r = words_any(c, place_w) ? R_PLACE_POSTCODE : R_POSTCODE;
        else if (c->kind == K_NUM && words_any(c, lat_w) && c->lo >= -90 && c->hi <= 90)
            r = R_LAT;
        else if (c->kind == K_NUM && words_any(c, lon_w) && c->lo >= -180 && c->hi <= 180)
            r = R_LON;
        else if (text && words_any(c, addr_w))
            r = words_any(c, place_w) ? R_PLACE_NAME : R_ADDRESS;
        else if (text && words_any(c, place_w))
            r = R_PLACE_NAME;
        else if (c->kind == K_DATE && words_any(c, end_w) && !words_any(c, start_only_w) &&
                 have[R_START])
            r = R_END;
        else if (c->kind == K_DATE && !have[R_START])
            r = R_START;
        else if (c->kind == K_CODE && words_any(c, subtype_w))
            r = R_SUBTYPE;
        else if (c->kind == K_CODE && d->type && !strcmp(d->type, "da_incident") &&
                 draft_has_word(c, "dash"))
            r = R_SUBTYPE; /* a DA incident's subtype is its DASH risk (docs/model.md) */
        if (r != R_DETAIL && r != R_DOB && have[r])
            r = R_DETAIL; /* one column per role; the rest kept in detail */
        if (r == R_DOB && have[R_DOB])
            r = R_DETAIL;
        if (r == R_TERM && have[R_START])
            r = R_DETAIL;
        if (r == R_START && have[R_TERM])
            r = R_DETAIL;
        if (r == R_FULL && (have[R_GIVEN] || have[R_FAMILY]))
            r = R_DETAIL;
        c->role = r;
        have[r] = true;
        if (r == R_TERM)
            have[R_START] = true;
    }
    /* an end date may come before the start in the header */
    for (int i = 0; i < d->ncols && have[R_START] && !have[R_END]; i++) {
        struct col *c = &d->cols[i];
        if (c->role == R_DETAIL && c->kind == K_DATE && words_any(c, end_w) &&
            !words_any(c, start_w)) {
            c->role = R_END;
            have[R_END] = true;
        }
    }
    /* a return interview starts at the return it follows and ends when it is held
     * (docs/model.md): "Date Returned" and "Interview Date", not the first date ("Date
     * Missing", kept in detail) */
    if (d->type && !strcmp(d->type, "return_interview"))
        rhi_times(d);
    /* a screening's subtype is its risk level ("Overall Risk": Significant, Moderate, Low),
     * which the tracker weighs, not the kind of exploitation screened (kept as concerns) */
    if (d->type && !strcmp(d->type, "exploitation_screening"))
        screening_level(d);
    /* an adult concern's "Location of Abuse" is a category (Own Home, Care Home), which the
     * Safeguarding Adults Collection counts, not a place */
    for (int i = 0; d->type && !strcmp(d->type, "adult_concern") && i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->role == R_PLACE_NAME && c->kind == K_CODE &&
            draft_codes_read(c, draft_adult_location))
            c->role = R_DETAIL;
    }
    /* an address over several columns ("Address Line 1", "Address Line 2", "Town"): the
     * other lines and the town join the address column, in the header's order */
    static const char *const addr_part_w[] = {"address", "addr", "street", "road", "town",
                                              "city", "locality", "village", "house",
                                              "building", "flat", NULL};
    d->naddr_parts = 0;
    for (int i = 0; i < d->ncols && have[R_ADDRESS]; i++) {
        struct col *c = &d->cols[i];
        bool part = c->role == R_ADDRESS ||
                    (c->role == R_DETAIL && (c->kind == K_TEXT || c->kind == K_CODE) &&
                     words_any(c, addr_part_w) && !words_any(c, place_w) &&
                     !words_any(c, known_w));
        if (part && d->naddr_parts < DRAFT_ADDR_PARTS)
            d->addr_parts[d->naddr_parts++] = i;
    }
    if (d->naddr_parts < 2)
        d->naddr_parts = 0;
    for (int a = 0; a < d->naddr_parts; a++)
        if (d->cols[d->addr_parts[a]].role != R_ADDRESS)
            d->cols[d->addr_parts[a]].role = R_SKIP; /* written with the address */
    /* given and family names must come as a pair, or a full name alone (whichever column
     * came first in the header): a pair wins and the full name is kept in detail */
    bool pair = have[R_GIVEN] && have[R_FAMILY];
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if ((c->role == R_GIVEN || c->role == R_FAMILY || c->role == R_MIDDLE) && !pair)
            c->role = R_DETAIL;
        else if (c->role == R_FULL && pair)
            c->role = R_DETAIL;
    }
}

/* Children and adults by date of birth, against the extract's date. */
int draft_count_ages(struct draft *d, struct svp_err *err)
{
    int dob = -1;
    for (int i = 0; i < d->ncols; i++)
        if (d->cols[i].role == R_DOB)
            dob = i;
    if (dob < 0)
        return SVP_OK;
    struct col *c = &d->cols[dob];
    char fmts[160];
    draft_formats_text(c, fmts, sizeof fmts);
    struct svp_csv_opts o = {.delim = d->delim};
    struct svp_csv *csv = NULL;
    struct svp_err e;
    int rc = svp_csv_open_mem(d->text, d->len, &o, &csv, &e);
    if (rc)
        return rc == SVP_ENOMEM ? svp_err_set(err, SVP_ENOMEM, "out of memory") : SVP_OK;
    struct svp_csv_row r;
    int y, m, dd;
    svp_day today;
    if (svp_date_parse_iso(d->as_of, 10, &today, &e)) {
        svp_csv_free(&csv);
        return SVP_OK;
    }
    svp_date_to_ymd(today, &y, &m, &dd);
    char adult_before[48];
    snprintf(adult_before, sizeof adult_before, "%04d-%02d-%02d", y - 18, m, dd);
    struct svp_date_opts dopt = {.century_end = d->as_of_year};
    int64_t row = 0;
    int got = svp_csv_next(csv, &r, &e);
    if (got == 1)
        while (row < d->rows && (got = svp_csv_next(csv, &r, &e)) == 1) {
            if (r.error || r.nfields != (size_t)d->ncols)
                continue;
            row++;
            const char *s = r.fields[dob].p;
            size_t n = r.fields[dob].len;
            while (n && isspace((unsigned char)*s))
                s++, n--;
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            for (int k = 0; k < c->nchosen; k++) {
                svp_time t;
                const char *f = draft_formats[c->chosen[k]];
                if (!strcmp(f, "iso") ? svp_time_parse_iso(s, n, &t, &e)
                                      : svp_time_parse_fmt_opt(s, n, f, &dopt, &t, &e))
                    continue;
                char iso[24];
                svp_date_format((svp_day)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400)), iso,
                                sizeof iso);
                if (strcmp(iso, adult_before) <= 0)
                    d->adults++;
                else
                    d->children++;
                break;
            }
        }
    svp_csv_free(&csv);
    return got == SVP_ENOMEM ? svp_err_set(err, SVP_ENOMEM, "out of memory") : SVP_OK;
}


bool draft_adult_file(const struct draft *d)
{
    return d->adults + d->children && d->adults * 20 >= (d->adults + d->children) * 19;
}

void draft_own_phones(struct draft *d)
{
    if (!draft_adult_file(d))
        return;
    for (int i = 0; i < d->ncols; i++)
        if (d->cols[i].role == R_PHONE)
            return; /* the person's own is named: "Home Phone" stays the home's */
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->role == R_DETAIL && c->carer_phone && c->own_phone_if_adult) {
            c->carer_phone = false;
            c->role = R_PHONE;
            return;
        }
    }
}

/* The column named exactly `name` (in any case), or -1. */
static int named(const struct draft *d, const char *name)
{
    for (int i = 0; i < d->ncols; i++)
        if (!strcasecmp(d->cols[i].name, name))
            return i;
    return -1;
}

/* The DfE's SSDA903 return on looked-after children, as local authorities' systems export
 * it with the return's own column names: its episodes (CHILD, DECOM, RNE, LS, CIN, PLACE,
 * PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN) and its header
 * (CHILD, SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB). CHILD is the child's id (a UPN is often
 * blank for the young); an episode is a looked_after event from DECOM to DEC whose subtype is
 * the legal status (LS: C1, C2, V2 ..., docs/model.md), kept with the return's other codes
 * as written. */
void draft_known_layouts(struct draft *d)
{
    int child = named(d, "CHILD"), decom = named(d, "DECOM");
    if (child < 0 || (decom < 0 && named(d, "UPN") < 0))
        return;
    if (d->person >= 0 && d->person != child && d->cols[d->person].role == R_PERSON_ID)
        d->cols[d->person].role = R_DETAIL;
    d->person = child;
    d->person_line = d->person_nhs = false;
    d->cols[child].role = R_PERSON_ID;
    static const struct {
        const char *col, *key;
    } keep[] = {{"UPN", "upn"},
                {"RNE", "reason_new_episode"},
                {"CIN", "category_of_need"},
                {"PLACE", "placement"},
                {"PLACE_PROVIDER", "placement_provider"},
                {"REC", "reason_ended"},
                {"REASON_PLACE_CHANGE", "reason_place_change"},
                {"PL_POST", "placement_postcode"},
                {"URN", "placement_urn"},
                {"MOTHER", "mother"},
                {"MC_DOB", "mother_child_dob"}};
    for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
        int i = named(d, keep[k].col);
        if (i < 0 || i == child || (decom < 0 && strcmp(keep[k].col, "UPN") &&
                                   strcmp(keep[k].col, "MOTHER") && strcmp(keep[k].col, "MC_DOB")))
            continue;
        struct col *c = &d->cols[i];
        /* out of memory, or the key another column's: the column keeps its own key */
        (void)draft_rename_key(d, c, keep[k].key);
        c->role = c->kind == K_BLANK ? R_SKIP : R_DETAIL;
        c->keep_codes = true;
    }
    if (decom < 0)
        return;
    d->type = "looked_after";
    d->agency = "csc";
    for (int i = 0; i < d->ncols; i++)
        if (d->cols[i].role == R_START || d->cols[i].role == R_END ||
            d->cols[i].role == R_SUBTYPE || d->cols[i].role == R_PLACE_NAME ||
            d->cols[i].role == R_PLACE_POSTCODE)
            d->cols[i].role = R_DETAIL;
    d->cols[decom].role = R_START;
    int dec = named(d, "DEC"), ls = named(d, "LS"), home = named(d, "HOME_POST");
    if (dec >= 0 && d->cols[dec].kind == K_DATE)
        d->cols[dec].role = R_END;
    if (ls >= 0 && d->cols[ls].kind != K_BLANK) {
        struct col *c = &d->cols[ls];
        (void)draft_rename_key(d, c, "legal_status");
        c->role = R_SUBTYPE;
        c->also_detail = c->keep_codes = true;
    }
    if (home >= 0 && d->cols[home].kind != K_BLANK)
        d->cols[home].role = R_POSTCODE;
    if (d->nrow_parts != 2 || d->row_parts[0] != child || d->row_parts[1] != decom) {
        /* the return's key: one episode per child and start */
        d->row_parts[0] = child;
        d->row_parts[1] = decom;
        d->nrow_parts = 2;
        d->row_line = false;
    }
}
