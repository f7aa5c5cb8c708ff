/* `svp profile draft`, the draft's maps: which code-like columns get a table of their
 * codes, read by which of svp's code sets (ED reasons, offences, exclusions, disposals,
 * missing episodes' gradings, return interviews' outcomes, concerns) and under which
 * detail key the tracker reads (draft_codes.c holds the code sets), and the tables written
 * out. draft_write.c writes the rest of the profile. */
#include "draft_int.h"

#include <string.h>
#include <strings.h>

/* A map for column i: its name (the column's key, made unique). */
int draft_new_map(struct writer *w, int col, bool sex)
{
    if (w->nmaps == DRAFT_MAX_MAPS)
        return -1;
    struct dmap *m = &w->maps[w->nmaps];
    snprintf(m->name, sizeof m->name, "%s", sex ? "sex" : w->d->cols[col].key);
    for (int i = 0; i < w->nmaps; i++)
        if (!strcmp(w->maps[i].name, m->name)) {
            snprintf(m->name, sizeof m->name, "%.40s_%d", sex ? "sex" : w->d->cols[col].key,
                     w->nmaps + 1);
            break;
        }
    m->col = col;
    m->sex = sex;
    return w->nmaps++;
}

/* Whether every code of column c is already a canonical code for target t. */
static bool codes_canonical(const struct col *c, enum ingest_target t)
{
    for (int k = 0; k < c->ncodes; k++)
        if (!ingest_known_code(t, c->codes[k].v))
            return false;
    return true;
}

/* Whether every code of column a is one of column b's. */
static bool codes_within(const struct col *a, const struct col *b)
{
    for (int i = 0; i < a->ncodes; i++) {
        bool found = false;
        for (int j = 0; j < b->ncodes && !found; j++)
            found = !strcasecmp(a->codes[i].v, b->codes[j].v);
        if (!found)
            return false;
    }
    return true;
}

/* Whether a code-like text column's values make a map (each to its lower_snake code). */
static bool mappable(const struct col *c)
{
    /* a reference with few values in the rows read ("CR001") is an id, kept as written */
    static const char *const id_w[] = {"ref", "reference", "id", "no", "number", "urn", NULL};
    if (c->kind != K_CODE || c->ints == c->nonblank || c->keep_codes ||
        (draft_has_any(c, id_w) && c->digits * 10 >= c->nonblank * 9))
        return false;
    int ok = 0;
    for (int i = 0; i < c->ncodes; i++) {
        char s[64];
        draft_snake(c->codes[i].v, strlen(c->codes[i].v), s, sizeof s);
        ok += *s && draft_writable_code(c->codes[i].v);
    }
    return ok > 0;
}

/* The separator a text column's values are lists on ('|' or ';', in one value in twenty
 * and two at least), or 0. */
char draft_list_sep(const struct col *c)
{
    if (c->sep_pipe * 20 >= c->nonblank && c->sep_pipe >= 2)
        return '|';
    if (c->sep_semi * 20 >= c->nonblank && c->sep_semi >= 2)
        return ';';
    return 0;
}

/* Whether a list's items are codes a map can hold: at most DRAFT_CODES of them, each seen
 * twice on average, each writable. */
static bool items_mappable(const struct col *c)
{
    int64_t seen = 0;
    for (int i = 0; i < c->nitems; i++) {
        if (!draft_writable_code(c->items[i].v))
            return false;
        seen += c->items[i].n;
    }
    return c->kind == K_TEXT && draft_list_sep(c) && !c->items_many && c->nitems >= 2 &&
           seen >= 2 * c->nitems;
}

/* Gives column c the detail key k unless another column has it: 1 renamed, 0 taken,
 * SVP_ENOMEM. */
int draft_rename_key(struct draft *d, struct col *c, const char *k)
{
    for (int j = 0; j < d->ncols; j++)
        if (d->cols[j].key && !strcmp(d->cols[j].key, k))
            return 0;
    char *nk = svp_strdup(k);
    if (!nk)
        return SVP_ENOMEM;
    svp_free(c->key);
    c->key = nk;
    return 1;
}

/* Whether a map would change any of a list's items (canon's code, else its lower_snake
 * form): a list already written in codes needs none. */
static bool items_change(const struct col *c, const char *(*canon)(const char *))
{
    for (int i = 0; i < c->nitems; i++) {
        const char *v = c->items[i].v, *to = canon ? canon(v) : NULL;
        char s[64];
        if (!to) {
            draft_snake(v, strlen(v), s, sizeof s);
            to = s;
        }
        if (strcmp(to, v))
            return true;
    }
    return false;
}

/* How strongly a list column's name says it lists concerns: 2 ("Concerns Disclosed",
 * "Exploitation Concerns"), 1 ("Push Factors", "Reasons", "Risks"), 0. */
static int concern_words(const struct col *c)
{
    static const char *const strong[] = {"concern", "concerns", "disclosed", "disclosure",
                                         "disclosures", NULL};
    static const char *const weak[] = {"risk", "risks", "issue", "issues", "factor",
                                       "factors", "reason", "reasons", "theme", "themes",
                                       "vulnerability", "vulnerabilities", NULL};
    return draft_has_any(c, strong) ? 2 : draft_has_any(c, weak) ? 1 : 0;
}

/* The list of concerns the tracker reads (concern_key): the one whose name says so most,
 * the first of those; -1 if none. */
static int concern_column(const struct draft *d)
{
    int best = -1, best_w = 0;
    for (int i = 0; i < d->ncols; i++) {
        const struct col *c = &d->cols[i];
        int cw = c->role == R_DETAIL && items_mappable(c) ? concern_words(c) : 0;
        if (cw > best_w)
            best = i, best_w = cw;
    }
    return best;
}

/* The detail key the tracker reads a list of concerns under for the file's record, or
 * NULL (docs/model.md). */
static const char *concern_key(const struct draft *d)
{
    static const struct {
        const char *type, *key;
    } k[] = {{"return_interview", "disclosures"}, {"contact", "reasons"},
             {"referral", "reasons"},             {"assessment", "factors"},
             {"exploitation_screening", "concerns"}, {"exploitation_concern", "concerns"}};
    for (size_t i = 0; d->type && i < sizeof k / sizeof k[0]; i++)
        if (!strcmp(d->type, k[i].type))
            return k[i].key;
    return NULL;
}

bool draft_codes_read(const struct col *c, const char *(*canon)(const char *))
{
    int n = 0;
    for (int k = 0; k < c->ncodes; k++)
        n += canon(c->codes[k].v) != NULL;
    return c->ncodes && !c->many && n * 2 >= c->ncodes;
}

/* The code sets a column of a file's record is read by (draft_codes.c), and the detail key
 * the tracker, the panels or the Safeguarding Adults Collection read it under: the first
 * rule whose type, role and header words fit, and half of whose codes the set reads (all
 * of an ED's reasons: its complaints are free to name anything), gives the map its canon. */
static const char *const risk_w[] = {"risk", "grading", "graded", "assessment", NULL};
static const char *const from_w[] = {"from", NULL};
static const char *const by_w[] = {"returned", "return", "brought", NULL};
static const char *const loc_w[] = {"location", "where", "setting", NULL};
static const char *const src_w[] = {"source", "referrer", "raised", "reported", NULL};
static const char *const kind_w[] = {"type", "kind", "category", "concern", "concerns",
                                     "exploitation", NULL};
static const struct code_set {
    const char *type;
    enum crole role;
    const char *const *words; /* one of them in the header, or NULL */
    const char *(*canon)(const char *);
    const char *key;  /* the detail key, or NULL to keep the column's */
    bool all;         /* taken whatever share of the codes the set reads */
    bool also_detail; /* the subtype written again as detail.KEY */
} code_sets[] = {
    {"ed_attendance", R_SUBTYPE, NULL, draft_ed_reason, NULL, true, false},
    {"yj_intervention", R_SUBTYPE, NULL, draft_yj_disposal, NULL, false, false},
    /* a missing episode's risk grading, where from and who brought the child back */
    {"missing_episode", R_DETAIL, risk_w, draft_missing_risk, "risk_level", false, false},
    {"missing_episode", R_DETAIL, from_w, draft_missing_from, "missing_from", false, false},
    {"missing_episode", R_DETAIL, by_w, draft_returned_by, "returned_by", false, false},
    /* an adult concern's category of abuse (its subtype, and abuse_type, which the
     * Safeguarding Adults Collection counts), location and who raised it */
    {"adult_concern", R_SUBTYPE, NULL, draft_adult_abuse, "abuse_type", false, true},
    {"adult_concern", R_DETAIL, loc_w, draft_adult_location, "location", false, false},
    {"adult_concern", R_DETAIL, src_w, draft_concern_source, "concern_source", false, false},
    /* a screening's level (Significant: high) and the kinds it screened for */
    {"exploitation_screening", R_SUBTYPE, NULL, draft_risk_level, NULL, false, false},
    {"exploitation_screening", R_DETAIL, kind_w, draft_concern, "concerns", false, false},
    /* a return interview's outcome ("Completed", "Declined", "Unable to contact") */
    {"return_interview", R_SUBTYPE, NULL, draft_rhi_outcome, NULL, false, false},
    {"return_interview", R_DETAIL, NULL, draft_rhi_outcome, "outcome", false, false},
    /* an exclusion's category (the census's FIXD, PERM) is its subtype, suspension or
     * permanent, which the tracker weighs; its reason (PD, PP ...) the reason */
    {"exclusion", R_SUBTYPE, NULL, draft_exclusion_category, NULL, false, false},
    {"exclusion", R_DETAIL, NULL, draft_exclusion_reason, "reason", false, false},
};

/* Column c's map read by the first code set that fits it (code_sets), its key renamed. */
static int read_by_code_set(struct draft *d, struct col *c, struct dmap *m)
{
    for (size_t k = 0; d->type && k < sizeof code_sets / sizeof code_sets[0]; k++) {
        const struct code_set *cs = &code_sets[k];
        if (strcmp(d->type, cs->type) || c->role != cs->role ||
            (cs->words && !draft_has_any(c, cs->words)) ||
            (!cs->all && !draft_codes_read(c, cs->canon)))
            continue;
        m->canon = cs->canon;
        int r = cs->key ? draft_rename_key(d, c, cs->key) : 0;
        if (r < 0)
            return SVP_ENOMEM;
        if (cs->also_detail) /* its key the set's, whether renamed or so named already */
            c->also_detail = !strcmp(c->key, cs->key);
        return SVP_OK;
    }
    return SVP_OK;
}

/* The sex columns of the other people a row names ("Child 2 Gender"): a map as the row's
 * person's sex column gets one, shared with an earlier sex column whose codes hold all of
 * theirs (one [map sex] for "Male"/"Female" however many children). */
void draft_people_sex_maps(struct writer *w)
{
    struct draft *d = w->d;
    int first = -1; /* the first sex column, the row's person's where there is one */
    for (int i = 0; i < d->ncols && first < 0; i++)
        if (d->cols[i].role == R_SEX)
            first = i;
    for (int g = 0; g < d->npeople; g++) {
        const struct draft_person *p = &d->people[g];
        for (int k = 0; g != d->main_person && k < p->ncols; k++) {
            struct col *c = &d->cols[p->cols[k]];
            if (p->roles[k] != R_SEX)
                continue;
            if (codes_canonical(c, T_SEX))
                continue;
            if (first >= 0 && d->cols[first].map >= 0 && codes_within(c, &d->cols[first]))
                c->map = d->cols[first].map;
            else
                c->map = draft_new_map(w, p->cols[k], true);
            if (first < 0)
                first = p->cols[k];
        }
    }
}

int draft_choose_maps(struct writer *w)
{
    struct draft *d = w->d;
    /* maps: the sex column's, then code-like text columns' */
    int concern_col = concern_column(d);
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (c->role == R_SEX) {
            if (!codes_canonical(c, T_SEX) || c->many)
                c->map = draft_new_map(w, i, true);
            if (c->many && c->map < 0)
                c->role = R_DETAIL;
        } else if ((c->role == R_DETAIL || c->role == R_SUBTYPE) && mappable(c)) {
            c->map = draft_new_map(w, i, false);
            /* an offence is a crime's, an arrest's or an intervention's `offence` (their
             * subtype is the person's role) */
            bool crimes = d->type && (!strcmp(d->type, "crime") || !strcmp(d->type, "incident") ||
                                      !strcmp(d->type, "arrest") ||
                                      !strcmp(d->type, "yj_intervention"));
            /* a column named for offences, or a "type" or "reason" column most of whose codes
             * read as offences ("Occurrence Type": Drugs Possession, Assault, Robbery;
             * "Reason for Arrest"): not the person's role */
            bool offence = crimes && ((c->role == R_DETAIL && (draft_has_word(c, "offence") ||
                                                                draft_has_word(c, "offense"))) ||
                                      (c->role == R_SUBTYPE && draft_codes_read(c, draft_offence)));
            int rc = c->map >= 0 ? read_by_code_set(d, c, &w->maps[c->map]) : SVP_OK;
            if (rc)
                return rc;
            if (offence)
                c->role = R_DETAIL;
            if (c->map >= 0 && offence) {
                w->maps[c->map].canon = draft_offence;
                if (draft_rename_key(d, c, "offence") < 0)
                    return SVP_ENOMEM;
            }
        } else if (c->role == R_DETAIL && items_mappable(c) &&
                   items_change(c, concern_words(c) ? draft_concern : NULL)) {
            /* a list of concerns ("CSE|Drugs"): each item read to the tracker's codes, under
             * the key the tracker reads for the file's record */
            c->map = draft_new_map(w, i, false);
            if (c->map >= 0)
                w->maps[c->map].items = true;
            if (c->map >= 0 && concern_words(c)) {
                w->maps[c->map].canon = draft_concern;
                const char *k = concern_key(d);
                if (k && i == concern_col && draft_rename_key(d, c, k) < 0)
                    return SVP_ENOMEM;
            }
        } else if (c->role == R_ETHNICITY) {
            bool canonical = !c->many && codes_canonical(c, T_ETHNICITY);
            /* descriptions ("White - British") or the NHS's letters: a map to the codes,
             * when most of the values read as one */
            int letters = 0, read = 0;
            for (int k = 0; k < c->ncodes && !canonical && !c->many; k++) {
                letters += draft_nhs_ethnic_letter(c->codes[k].v) != NULL;
                read += draft_ethnicity_code(c->codes[k].v) != NULL;
            }
            bool by_letter = c->ncodes && letters == c->ncodes;
            if (!canonical && !c->many && (by_letter || read * 2 > c->ncodes)) {
                c->map = draft_new_map(w, i, false);
                if (c->map >= 0) {
                    w->maps[c->map].eth = true;
                    w->maps[c->map].eth_letters = by_letter;
                }
            }
            if (!canonical && c->map < 0)
                c->role = R_DETAIL; /* kept as written until the analyst maps it */
        }
    }
    return SVP_OK;
}

/* The tables, as chosen. */
void draft_write_maps(struct writer *w)
{
    struct draft *d = w->d;
    for (int m = 0; m < w->nmaps; m++) {
        struct dmap *mp = &w->maps[m];
        struct col *c = &d->cols[mp->col];
        draft_put(w, "\n[map %s]\n", mp->name);
        bool iso = mp->sex && c->ints == c->nonblank;
        bool skipped = false, unsure = false;
        const struct code *codes = mp->items ? c->items : c->codes;
        int ncodes = mp->items ? c->nitems : c->ncodes;
        for (int i = 0; i < ncodes; i++) {
            const char *v = codes[i].v;
            if (!draft_writable_code(v)) {
                skipped = true;
                continue;
            }
            /* a map's codes match in any case, so one line serves "No kind" and "nO kind" */
            bool again = false;
            for (int j = 0; j < i && !again; j++)
                again = draft_writable_code(codes[j].v) && !strcasecmp(codes[j].v, v);
            if (again)
                continue;
            if (mp->eth) {
                const char *e = mp->eth_letters ? draft_nhs_ethnic_letter(v)
                                                : draft_ethnicity_code(v);
                if (e)
                    draft_put(w, "%s = %s\n", v, e);
                else
                    skipped = true;
            } else if (mp->type) {
                const char *t = draft_code_type(d, v);
                if (t)
                    draft_put(w, "%s = %s\n", v, t);
                else
                    skipped = true;
            } else if (mp->sex) {
                const char *s = draft_sex_code(v, iso);
                if (!s) {
                    s = "U";
                    unsure = true;
                }
                draft_put(w, "%s = %s\n", v, s);
            } else {
                char s[64];
                const char *canon = mp->canon ? mp->canon(v) : NULL;
                if (!canon && mp->only_canon)
                    continue;
                if (canon)
                    snprintf(s, sizeof s, "%s", canon);
                else
                    draft_snake(v, strlen(v), s, sizeof s);
                if (!*s) {
                    skipped = true;
                    continue;
                }
                draft_put(w, "%s = %s\n", v, s);
            }
        }
        if (unsure)
            draft_put(w, "# check: codes read as U (not known) were not recognised\n");
        if (mp->eth && skipped)
            draft_put(w, "# check: values not read as an ethnicity are not in this map (import "
                   "drops them with a warning): add them\n");
        if (mp->eth)
            ;
        else if (mp->type)
            draft_put(w, "* = %s\n", mp->type);
        else if (skipped && !mp->sex)
            draft_put(w, "* = *\n");
        else if (skipped)
            draft_put(w, "* = U\n");
    }
}

