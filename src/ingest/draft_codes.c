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
    if (draft_has_any(c, persistent_w) && c->kind == K_FLAG)
        return "persistent_absence";
    if (c->kind != K_INT && c->kind != K_NUM && !(c->nonblank && c->ints == c->nonblank))
        return NULL; /* counts, also when a few repeat (140 possible sessions a term) */
    if ((strchr(c->name, '%') || draft_has_any(c, pct_w)) && draft_has_any(c, att_w))
        return "attendance_pct";
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
