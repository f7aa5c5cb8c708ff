/* `svp profile draft`: the people of a row. A row may name several people, each in columns
 * whose names begin with the part they play ("Victim Ref", "Victim Surname", "Suspect
 * Forename", "Suspect DOB"): the row's person keeps the [record]; each other one gets a
 * [record WORD] of its own (its id, names, date of birth, sex, postcode, address) and an
 * [event WORD], so that a suspect is a person with a name rather than detail on the
 * victim's event (draft_write.c writes them). Several playing one part are numbered
 * ("Child 1 Forename", "Child 2 Forename"): each number a person, [record child_2]. */
#include "draft_int.h"

#include <stdio.h>
#include <string.h>

/* The parts people play that a system prefixes their columns with. */
static const char *const part_w[] = {"victim",   "suspect",  "offender", "perpetrator",
                                     "accused",  "alleged",  "witness",  "complainant",
                                     "aggrieved", "mother",  "father",   "parent",
                                     "carer",    "guardian", "partner",  "child",
                                     NULL};

/* The value of n (1 or 2) digits. */
static int small_number(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* The part a column's name begins with, or NULL; *num its number where the layout numbers
 * the people playing it ("Child 1 Forename", "Child2 DOB": a contact or a notification
 * naming each child of a household), else 0. */
static const char *part_of(const struct col *c, int *num)
{
    const char *w = c->words;
    size_t n = strcspn(w, " ");
    *num = 0;
    if (!w[n])
        return NULL; /* the part alone ("Victim") names no field of that person */
    size_t letters = n;
    while (letters && w[letters - 1] >= '0' && w[letters - 1] <= '9')
        letters--;
    const char *next = w + n + 1;
    size_t m = strcspn(next, " ");
    if (letters < n && n - letters <= 2) { /* "child2 forename" */
        *num = small_number(w + letters, n - letters);
    } else if (letters == n && m && m <= 2 && next[m] &&
               strspn(next, "0123456789") == m) { /* "child 2 forename" */
        *num = small_number(next, m);
    } else if (letters < n) {
        return NULL;
    }
    for (int k = 0; part_w[k]; k++)
        if (strlen(part_w[k]) == letters && !strncmp(w, part_w[k], letters))
            return part_w[k];
    *num = 0;
    return NULL;
}

/* What a column of one of those people is, from the rest of its name. */
static enum crole person_role(const struct col *c)
{
    static const char *const id_w[] = {"ref", "id", "no", "number", "urn", "reference",
                                       "pnc", NULL};
    static const char *const given_w[] = {"forename", "forenames", "firstname", "first",
                                          "given", NULL};
    static const char *const family_w[] = {"surname", "lastname", "last", "family", NULL};
    static const char *const middle_w[] = {"middle", "middlename", "middlenames", NULL};
    static const char *const name_w[] = {"name", "fullname", NULL};
    static const char *const dob_w[] = {"dob", "birth", "born", NULL};
    static const char *const addr_w[] = {"address", "addr", NULL};
    static const char *const sex_w[] = {"sex", "gender", NULL};
    bool text = c->kind == K_TEXT || c->kind == K_CODE;
    if (c->kind == K_DATE && draft_has_any(c, dob_w))
        return R_DOB;
    if (text && draft_has_any(c, given_w))
        return R_GIVEN;
    if (text && draft_has_any(c, family_w))
        return R_FAMILY;
    if (text && draft_has_any(c, middle_w))
        return R_MIDDLE;
    if (text && draft_has_any(c, sex_w) && c->ncodes && !c->many)
        return R_SEX;
    if (text && draft_has_any(c, name_w) && c->namey * 10 >= c->nonblank * 8)
        return R_FULL;
    if (text && c->nonblank && c->postcodes * 10 >= c->nonblank * 8)
        return R_POSTCODE;
    if (text && draft_has_any(c, addr_w))
        return R_ADDRESS;
    if (c->kind != K_DATE && c->kind != K_NUM && c->kind != K_FLAG && draft_has_any(c, id_w) &&
        !c->spaces)
        return R_PERSON_ID;
    return R_DETAIL;
}

static int group_of(struct draft *d, const char *part, int num)
{
    for (int g = 0; g < d->npeople; g++)
        if (!strcmp(d->people[g].part, part) && d->people[g].num == num)
            return g;
    if (d->npeople == DRAFT_PEOPLE)
        return -1;
    struct draft_person *p = &d->people[d->npeople];
    memset(p, 0, sizeof *p);
    p->part = part;
    p->num = num;
    if (num)
        snprintf(p->name, sizeof p->name, "%s_%d", part, num);
    else
        snprintf(p->name, sizeof p->name, "%s", part);
    p->key_col = -1;
    return d->npeople++;
}

/* The group of the people a column belongs to, or -1. */
static int group_of_col(struct draft *d, const struct col *c)
{
    int num;
    const char *part = part_of(c, &num);
    return part ? group_of(d, part, num) : -1;
}

void draft_find_people(struct draft *d)
{
    d->npeople = 0;
    d->main_person = -1;
    for (int i = 0; i < d->ncols; i++)
        (void)group_of_col(d, &d->cols[i]);
    if (d->npeople < 2) {
        d->npeople = 0;
        return;
    }
    /* the row's person: the one whose id is the person id, else whose name the record
     * took, else the first named */
    for (int pass = 0; pass < 2 && d->main_person < 0; pass++)
        for (int i = 0; i < d->ncols && d->main_person < 0; i++) {
            const struct col *c = &d->cols[i];
            bool hit = pass == 0 ? i == d->person
                                 : c->role == R_GIVEN || c->role == R_FAMILY || c->role == R_FULL;
            if (hit)
                d->main_person = group_of_col(d, c);
        }
    if (d->main_person < 0)
        d->main_person = 0;
    /* the others' columns: theirs, never the row's record's or detail */
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        int g = group_of_col(d, c);
        if (g < 0 || g == d->main_person || c->unusable || c->role == R_PERSON_ID ||
            c->role == R_ROW_ID)
            continue;
        enum crole r = person_role(c);
        struct draft_person *p = &d->people[g];
        if (r == R_DETAIL || p->ncols == DRAFT_PERSON_COLS)
            continue;
        /* a role held, or a full name beside given and family names (either first): the
         * record takes one or the other, as the row's person's does */
        bool taken = false, parts = r == R_GIVEN || r == R_FAMILY || r == R_MIDDLE;
        for (int k = 0; k < p->ncols; k++)
            taken |= p->roles[k] == r || (parts && p->roles[k] == R_FULL) ||
                     (r == R_FULL && (p->roles[k] == R_GIVEN || p->roles[k] == R_FAMILY));
        if (taken)
            continue;
        p->cols[p->ncols] = i;
        p->roles[p->ncols++] = r;
        c->role = R_SKIP; /* written in the person's own section */
    }
    /* the row's person's own columns take the record's roles the others' columns had taken
     * (a suspect's columns written before the victim's) */
    bool held[R_COUNT] = {false};
    for (int i = 0; i < d->ncols; i++)
        held[d->cols[i].role] = true;
    for (int i = 0; i < d->ncols; i++) {
        struct col *c = &d->cols[i];
        if (group_of_col(d, c) != d->main_person || c->role != R_DETAIL || c->unusable)
            continue;
        enum crole r = person_role(c);
        bool parts = r == R_GIVEN || r == R_FAMILY || r == R_MIDDLE;
        if (r == R_DETAIL || r == R_PERSON_ID || held[r] || (parts && held[R_FULL]) ||
            (r == R_FULL && (held[R_GIVEN] || held[R_FAMILY])))
            continue;
        c->role = r;
        held[r] = true;
    }
    /* each one's id: its own, else its names (and date of birth) joined */
    for (int g = 0; g < d->npeople; g++) {
        struct draft_person *p = &d->people[g];
        if (g == d->main_person)
            continue;
        for (int k = 0; k < p->ncols; k++)
            if (p->roles[k] == R_PERSON_ID)
                p->key_col = p->cols[k];
        if (p->key_col < 0) {
            static const enum crole by[] = {R_FAMILY, R_FULL, R_GIVEN, R_DOB};
            for (size_t b = 0; b < sizeof by / sizeof *by; b++)
                for (int k = 0; k < p->ncols; k++)
                    if (p->roles[k] == by[b] && p->nkey < 3)
                        p->key[p->nkey++] = p->cols[k];
        }
        bool named = false;
        for (int k = 0; k < p->ncols; k++)
            named |= p->roles[k] == R_GIVEN || p->roles[k] == R_FAMILY || p->roles[k] == R_FULL;
        if (!named || (p->key_col < 0 && p->nkey < 2)) {
            /* too little to know the person by: kept as detail, as before; a name alone
             * ("Perpetrator Name") as a mention, which the linker resolves to a person where
             * the name and the area single one out (docs/profiles.md, `mentions`) */
            for (int k = 0; k < p->ncols; k++) {
                struct col *c = &d->cols[p->cols[k]];
                c->role = p->roles[k] == R_FULL ? R_MENTIONS : R_DETAIL;
                c->name_mention = p->roles[k] == R_FULL;
            }
            p->ncols = 0;
        }
    }
}

const char *draft_person_role(const struct draft *d, int g)
{
    static const char *const harm_w[] = {"suspect", "offender", "perpetrator", "accused",
                                         "alleged", NULL};
    const char *part = d->people[g].part;
    bool da = d->type && !strcmp(d->type, "da_incident");
    for (int k = 0; harm_w[k]; k++)
        if (!strcmp(part, harm_w[k]))
            return da ? "perpetrator" : !strcmp(part, "offender") ? "offender" : "suspect";
    if (!strcmp(part, "complainant") || !strcmp(part, "aggrieved"))
        return "victim";
    return part;
}

bool draft_person_harms(const struct draft *d, int g)
{
    const char *r = draft_person_role(d, g);
    return !strcmp(r, "perpetrator") || !strcmp(r, "suspect") || !strcmp(r, "offender");
}

bool draft_person_parent(const struct draft *d, int g)
{
    static const char *const parent_w[] = {"mother", "father", "parent", "carer", "guardian",
                                           NULL};
    for (int k = 0; parent_w[k]; k++)
        if (!strcmp(d->people[g].part, parent_w[k]))
            return true;
    return false;
}
