/*
 * link: the door of svp's identity-resolution room.
 *
 * Agencies share no identifier, so svp decides which records are the same person:
 *   comparators   fast string, date, postcode, address and sex comparisons;
 *   blocking      rules that say which records are worth comparing (pairs counted first);
 *   model         Fellegi-Sunter: comparison levels, m and u by EM (u seeded from random
 *                 pairs), term-frequency adjustment for names, weight and probability;
 *   clusters      pairs above a threshold form persons, with a guard against chaining;
 *   store         persons with stable ids, review decisions, explain, export.
 * A wrong merge puts one child's history on another and a missed link hides a pattern, so
 * every link can be explained and overridden by a reviewer.
 */
#ifndef SVP_LINK_H
#define SVP_LINK_H

#include "base/base.h"
#include "store/store.h"

/* ------------------------------------------------------------------ comparators */

/* Jaro and Jaro-Winkler similarity of two byte strings (0..1), as Winkler defined them:
 * matching window max(len)/2-1, prefix bonus 0.1 per common leading byte (up to 4) only when
 * Jaro > 0.7. Empty input gives 0. Strings longer than 64 bytes use a slower path. */
double link_jaro(const char *a, size_t alen, const char *b, size_t blen);
double link_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);
/* link_jaro_winkler when it can reach min; 0 when a bound cheaper than the measure (the
 * bytes each string has of the other's, the common prefix) shows it is below min. */
double link_jaro_winkler_min(const char *a, size_t alen, const char *b, size_t blen, double min);

/* Optimal-string-alignment distance (Levenshtein plus adjacent transposition, no substring
 * edited twice), bit-parallel (Hyyro 2003) for strings up to 64 bytes. Returns the distance,
 * or max + 1 when it is larger than max (max < 0: no bound). */
int link_osa_distance(const char *a, size_t alen, const char *b, size_t blen, int max);

/* Unrestricted Damerau-Levenshtein distance (Lowrance-Wagner), bounded like
 * link_osa_distance. Inputs over 255 bytes give max + 1 (or -1 with no bound). */
int link_dl_distance(const char *a, size_t alen, const char *b, size_t blen, int max);
/* Whether link_dl_distance(a, alen, b, blen, 1) <= 1 (equal, or one substitution,
 * insertion, deletion or swap of neighbours apart), without its table. */
bool link_dl_within_one(const char *a, size_t alen, const char *b, size_t blen);

/* A phonetic key for British names, written for svp (a Metaphone-like code: "Mc"/"Mac"
 * folded, PH->F, GH silent, CK/Q->K, TH->0, vowels kept only at the start, doubled letters
 * collapsed). Writes at most cap-1 bytes and a NUL to out; input is normalised name text
 * (lower-case ASCII letters; other bytes are skipped). Returns the key length. */
size_t link_phonetic(const char *s, size_t len, char *out, size_t cap);

/* Nickname and name-variant equivalence (Bob ~ Robert ~ Robbie, Giuseppe ~ Joseph) from
 * data/nicknames.csv and the given-name rows of data/names-variants.csv. */
struct link_nicknames;

/* Reads a `name,nickname` CSV, or a `kind,name,variant` CSV of which the `given` rows are
 * read, from memory (borrowed); name is for messages. Returns an owned table in *out;
 * SVP_EINPUT names the bad line. */
int link_nicknames_load(const char *data, size_t len, const char *name,
                        struct link_nicknames **out, struct svp_err *err) SVP_WUR;
/* Loads the lists embedded from data/nicknames.csv and data/names-variants.csv. */
int link_nicknames_default(struct link_nicknames **out, struct svp_err *err) SVP_WUR;
void link_nicknames_free(struct link_nicknames **t);
/* True if a and b (normalised, lower case) are the same name or one is a nickname of the
 * other or both are nicknames of one formal name. */
bool link_nicknames_equiv(const struct link_nicknames *t, const char *a, const char *b);
/* The same in two steps for the inner loop: a name's entry (-1 when not listed), then
 * whether two entries are equivalent (false when either is -1). */
int32_t link_nicknames_lookup(const struct link_nicknames *t, const char *name);
bool link_nicknames_equiv_ids(const struct link_nicknames *t, int32_t a, int32_t b);

/* Comparison levels. Level 0 always means "not comparable" (a value is missing): it carries
 * no weight. Higher levels are weaker agreement; the last level is disagreement. */
enum link_dob_level {
    LINK_DOB_NULL, LINK_DOB_EXACT, LINK_DOB_TRANSPOSED, LINK_DOB_ONE_DIGIT, LINK_DOB_SAME_YEAR,
    LINK_DOB_DIFFERENT, LINK_DOB_NLEVELS
};
/* Compares two ISO dates (YYYY-MM-DD). Anything that is not such a date is "missing".
 * LINK_DOB_ONE_DIGIT is one keying error: one digit wrong, two adjacent digits swapped, or
 * the year one off with the same day and month. */
enum link_dob_level link_compare_dob(const char *a, const char *b);
/* The same on dates parsed once (for the inner loop): ok is false for a missing date. */
struct link_dob {
    char d[8];            /* YYYYMMDD digits */
    int16_t y;
    int8_t m, day;
    bool ok;
};
bool link_dob_parse(const char *s, struct link_dob *out);
enum link_dob_level link_compare_dob_parsed(const struct link_dob *a, const struct link_dob *b);

enum link_postcode_level {
    LINK_PC_NULL, LINK_PC_FULL, LINK_PC_SECTOR, LINK_PC_DISTRICT, LINK_PC_TYPO, LINK_PC_DIFFERENT,
    LINK_PC_NLEVELS
};
/* Compares postcodes ignoring case and spaces. UK shapes (e.g. "LS6 2AB") agree at sector
 * ("LS6 2") or district ("LS6"); any code may agree with one typo. */
enum link_postcode_level link_compare_postcode(const char *a, const char *b);

/* A postcode parsed once: the spaceless upper-case code, its sector and its district
 * ("" when not a UK shape for sector/district; len 0 when missing). */
struct link_postcode {
    char full[16], sector[16], district[16];
    uint8_t len;
};
void link_postcode_parse(const char *pc, struct link_postcode *out);
enum link_postcode_level link_compare_postcode_parsed(const struct link_postcode *a,
                                                      const struct link_postcode *b);

enum link_address_level {
    LINK_ADDR_NULL, LINK_ADDR_EXACT, LINK_ADDR_CLOSE, LINK_ADDR_TOKENS, LINK_ADDR_DIFFERENT,
    LINK_ADDR_NLEVELS
};
/* Compares free-text addresses (case and punctuation ignored): exact, close (Jaro-Winkler
 * >= 0.9), sharing at least half their words, or different. */
enum link_address_level link_compare_address(const char *a, const char *b);
/* The normal form compared: lower-case letters and digits, single spaces; writes at most
 * cap-1 bytes and a NUL; returns the length. */
size_t link_address_normalise(const char *s, char *out, size_t cap);
/* link_compare_address on two normal forms. */
enum link_address_level link_compare_address_norm(const char *a, size_t alen, const char *b,
                                                  size_t blen);

enum link_sex_level { LINK_SEX_NULL, LINK_SEX_SAME, LINK_SEX_DIFFERENT, LINK_SEX_NLEVELS };
/* M/F/X compare; U, empty or anything else is missing. */
enum link_sex_level link_compare_sex(const char *a, const char *b);

enum link_id_level { LINK_ID_NULL, LINK_ID_SAME, LINK_ID_ONE_EDIT, LINK_ID_DIFFERENT,
                     LINK_ID_NLEVELS };

/* Email or phone: missing (no email or phone on both), the same email or phone, close (an
 * email one slip away at the same domain, a phone number one keying error away), different. */
enum link_contact_level { LINK_CONTACT_NULL, LINK_CONTACT_SAME, LINK_CONTACT_CLOSE,
                          LINK_CONTACT_DIFFERENT, LINK_CONTACT_NLEVELS };
/* Compares shared identifiers (an NHS number, a national insurance number: an identifier
 * more than one agency may record for a person), ignoring case, spaces and hyphens: the
 * same, one keying error apart (one character wrong, missing, extra, or two adjacent
 * swapped), or different. Writes at most 31 significant characters; longer ids compare on
 * those. */
enum link_id_level link_compare_id(const char *a, const char *b);
/* The normal form compared: upper-case letters and digits only; writes at most cap-1 bytes
 * and a NUL; returns the length. */
size_t link_id_normalise(const char *s, char *out, size_t cap);
/* An email address in the form compared: lower case, spaces, angle brackets and "mailto:"
 * dropped; "" (length 0) unless it has one @ with text either side. At most cap-1 bytes. */
size_t link_email_normalise(const char *s, char *out, size_t cap);
/* A phone number in the form compared: digits only, a UK number in its national form
 * (+44 7700 900123 and 0044 7700 900123 read 07700900123); "" when under 7 digits. */
size_t link_phone_normalise(const char *s, char *out, size_t cap);
/* Emails and phones (normalised, lengths given; 0 when absent) compared: see
 * enum link_contact_level. */
enum link_contact_level link_compare_contact_norm(const char *ea, size_t eal, const char *pa,
                                                  size_t pal, const char *eb, size_t ebl,
                                                  const char *pb, size_t pbl);

/* ------------------------------------------------------------------ records and model */

/* A record as the linker sees it. Strings are borrowed (NULL or "" when missing): given and
 * family are svp_name_normalise()d; dob is YYYY-MM-DD. */
struct link_rec {
    int64_t id;           /* the record table's id (or any caller id) */
    const char *source;   /* the profile / extract it came from */
    const char *given;
    const char *family;
    const char *dob;
    const char *sex;
    const char *postcode;
    const char *address;
    const char *shared_id; /* an identifier several agencies may record (NHS number) */
    const char *known_as;  /* a known-as or preferred name, normalised like given names */
    const char *email;     /* an email address, as recorded */
    const char *phone;     /* a phone number, as recorded */
    const char *role;      /* the source's role for the person: "adult" where the source
                            * says the person is an adult (a parent, a suspect); NULL or
                            * anything else says nothing */
    const char *carer_phone; /* a parent's or carer's phone recorded with a child (a school's
                              * priority-one contact): a household fact, never compared as
                              * the person's own (docs/household.md) */
};

/* The version of the model's text (link_model_save): raised whenever the comparisons or
 * their levels change, so a model stored by an older svp is learnt again. */
#define LINK_MODEL_VERSION 7

/* The comparisons the model makes, in this order. */
enum link_cmp {
    LINK_CMP_GIVEN, LINK_CMP_FAMILY, LINK_CMP_DOB, LINK_CMP_POSTCODE, LINK_CMP_ADDRESS,
    LINK_CMP_SEX, LINK_CMP_ID, LINK_CMP_CONTACT, LINK_NCMP
};
#define LINK_MAX_LEVELS 10

/* A set of records prepared for linking (features computed once). */
struct link_set;

/* Builds a set from n records (borrowed; strings copied). Returns owned *out. */
int link_set_new(const struct link_rec *recs, size_t n, struct link_set **out,
                 struct svp_err *err) SVP_WUR;
void link_set_free(struct link_set **s);
size_t link_set_count(const struct link_set *s);
/* The household guard (on by default) holds two records to be two people, whatever the
 * weights say, when (a) they share a date of birth (allowing a typo) and a family name
 * (allowing a misspelling) but have clearly different full given names, and a household
 * (the postcode, the address or the carer's phone) with neither postcode nor address
 * clearly different (twins share a household), or (b) one source holds
 * both with given names alike but not the same and dates of birth in different years, or
 * (c) they agree on neither given name nor date of birth, so only household facts (family
 * name, address, postcode, sex) join them (siblings). None of these holds when both records
 * carry the same shared identifier, or one a keying error away: twins and siblings have
 * identifiers of their own, so the same NHS number says one person whatever the names say.
 * Turn off only for data known to have no households. */
void link_set_household_guard(struct link_set *s, bool on);
/* Why record i can link only weakly or not at all ("" when it has enough to link):
 * e.g. "no name", "no date of birth", "given name is an initial". Borrowed. */
const char *link_set_reason(const struct link_set *s, size_t i);

/* Blocking rules: fields joined by '+', e.g. "family_ph+dob_year". Known fields:
 * given family given1 family1 given_ph family_ph given_letters (the first given name's
 * letters sorted: an anagram key) dob dob_year dob_md dob_swap (the date with day and month
 * in either order) postcode sector district sex source, and three that ignore which name is given and which family (names
 * written the wrong way round): names (both names), names_ph (both phonetic keys),
 * initials (both first letters); given_or_family (the given name, else the family name: a
 * record's one name in whichever field it was put) and family_or_given; address (the
 * whole address), street (its first two
 * words), housenum (the address's first number), street3 (the first three letters of the
 * street's name: the first word of letters after the house number), given3 and family3
 * (a name's first three letters), id (the shared identifier), contact (the email address,
 * else the phone number) and email_user (the email address before its @).
 * A rule ending "~W" (2 <= W <= LINK_MAX_WINDOW) is a sorted neighbourhood: the records
 * that have every field are sorted on the fields in order (a date of birth by its day, a
 * text field by its first characters) and each is paired with the next W - 1, so the rule
 * makes at most (W - 1) pairs a record whatever the data's size, and reaches values that
 * are near without being equal (a date of birth a month or a year out, a name with no
 * other to share). "~W:letters" filters the window: only pairs whose ordered values
 * differ and where a name of one record has all its letters in a name of the other (or
 * one record has no name) are given. dob_dm is the day of birth then the month, dob_year3
 * the year without its tens digit (1983 and 1993 one value). */
#define LINK_MAX_WINDOW 50
struct link_blocking;
/* Parses rules (borrowed; one per element). An unknown or empty field is refused with a
 * message naming the rule and field. Returns owned *out. */
int link_blocking_parse(const char *const *rules, size_t n, struct link_blocking **out,
                        struct svp_err *err) SVP_WUR;
/* The default rules used when none are given (borrowed; NULL-terminated). */
const char *const *link_blocking_defaults(void);
void link_blocking_free(struct link_blocking **b);
struct link_opts;
/* The candidate pairs the rules make on s under o (oversized blocks left out), as owned
 * (i, j) index pairs with i < j, sorted, in *out (2 * *nout values): what a benchmark
 * checks against its truth to measure the blocking's recall. */
int link_blocking_candidates(const struct link_set *s, const struct link_blocking *b,
                             const struct link_opts *o, uint32_t **out, size_t *nout,
                             struct svp_err *err) SVP_WUR;

#define LINK_DEFAULT_MAX_BLOCK 30

/* Options of one linking run. */
struct link_opts {
    double threshold;     /* pairs at or above this probability join (default 0.95) */
    double review_low;    /* pairs in [review_low, threshold) go to review (default 0.5) */
    uint64_t max_pairs;   /* a rule producing more pairs than this is refused (0: default) */
    size_t max_block;     /* blocks of more records are left out of their rule (0: default
                           * LINK_DEFAULT_MAX_BLOCK) and counted in the stats */
    bool dedupe_within_source; /* compare records of the same source (default true) */
    bool no_household_guard; /* see link_set_household_guard (default false: guard on) */
    bool quiet;
};
void link_opts_default(struct link_opts *o);

/* Fellegi-Sunter parameters: per comparison and level, m and u; lambda the prior match
 * rate among candidate pairs; term frequencies for names. */
struct link_model;

/* Estimates a model on s: u from random pairs, then m, u and lambda by EM on the blocked
 * candidate pairs. Returns owned *out. */
int link_model_train(const struct link_set *s, const struct link_blocking *b,
                     const struct link_opts *o, struct link_model **out,
                     struct svp_err *err) SVP_WUR;
void link_model_free(struct link_model **m);

/* Serialises the model to owned text in *out (a line-based format) and reads it back. A
 * model written by an older svp, which made other comparisons, reads as none: *out is
 * NULL and 0 is returned, so the caller trains a new one. */
int link_model_save(const struct link_model *m, char **out, struct svp_err *err) SVP_WUR;
int link_model_load(const char *text, struct link_model **out, struct svp_err *err) SVP_WUR;

/* What a model believes, one line per comparison level (level 0, "missing", has none). */
struct link_model_line {
    const char *comparison; /* e.g. "given name" (static text) */
    const char *level;      /* e.g. "nickname or variant" (static text) */
    double m, u;            /* P(level | same person), P(level | different people) */
    double weight;          /* log2(m/u): what this level adds to a pair's match weight */
};
/* Calls fn for each level of each comparison in order; stops at and returns fn's first
 * non-zero result. */
int link_model_lines(const struct link_model *m,
                     int (*fn)(const struct link_model_line *l, void *ctx), void *ctx);
/* The number of levels comparison CMP has, the null level (0) included; 0 for an unknown
 * comparison. A stored model gives m and u for levels 1 .. this - 1. */
int link_model_levels(int cmp);
/* The prior: the share of all pairs that are the same person, lambda, and its weight. */
double link_model_lambda(const struct link_model *m);
/* Within-source pairs that looked like twins when the model was learnt (the twin guard
 * holds across sources only when this is above 0). */
uint64_t link_model_twins(const struct link_model *m);
/* Within-source pairs that looked like siblings (one home and family name, clearly different
 * given names and dates of birth years apart); UINT64_MAX for a model stored before these
 * were counted. */
uint64_t link_model_siblings(const struct link_model *m);
/* The share of twin-like pairs the data's households can hold as twins (0..1): at most one
 * twin pair for ten sibling pairs (and two where no siblings are seen). Below 0.5 the twin
 * rule no longer holds such pairs apart; their weight is capped at log2((1 - share) / share)
 * instead. 1 when no twin-like pair was seen. */
double link_model_twin_share(const struct link_model *m);
/* Within-source pairs of one home and family name whose given names are alike but not the
 * same and whose dates of birth are apart, when the model was learnt (UINT64_MAX: a model
 * stored before they were counted). */
uint64_t link_model_alike(const struct link_model *m);
/* The share of those pairs the data's households can hold as siblings (0..1): at most one
 * for ten sibling pairs (and two where no siblings are seen). Below 0.5 the sibling rules
 * for alike given names cap such a pair at the share instead of holding it apart. 1 when
 * none was seen. */
double link_model_alike_share(const struct link_model *m);
/* Within-source pairs of one home, family name and given name (the same, a nickname or a
 * misspelling) whose dates of birth are a generation (LINK_GENERATION_YEARS or more) apart:
 * a parent and a child named after them; and the same pairs with dates of birth a year or
 * more but less than a generation apart: one person whose year of birth was keyed wrongly,
 * since siblings do not share a given name. */
#define LINK_GENERATION_YEARS 14
uint64_t link_model_generation(const struct link_model *m);
uint64_t link_model_year_out(const struct link_model *m);
/* The chance that a same-name pair of one home a generation apart is two people (a parent
 * and a junior), from those counts: 1 - year_out / generation (at least 0), 1 when no such
 * pair was seen. At 0.5 or more such pairs are held to be two people. */
double link_model_generation_share(const struct link_model *m);
/* Term frequencies kept for exact agreement (which: 0 given, 1 family, 2 postcode): distinct
 * values, records counted, and the adjusted weight of an exact match on the commonest value
 * and on a value seen once (the names themselves are not given out). */
void link_model_tf(const struct link_model *m, int which, size_t *distinct, uint64_t *records,
                   double *w_commonest, double *w_once, double *share_commonest);
/* The model in force in db (the newest stored), owned in *out; *out is NULL (and 0 is
 * returned) when nothing has been linked yet or the stored model is from an older svp. */
int link_model_stored(struct store *db, struct link_model **out, struct svp_err *err) SVP_WUR;

/* One comparison's part of a pair's score. */
struct link_term {
    int level;            /* 0 = not comparable */
    const char *label;    /* e.g. "given name", borrowed static text */
    const char *level_name; /* e.g. "nickname", borrowed static text */
    double m, u, weight;  /* weight = log2(m/u) after term frequency; 0 when level 0 */
};

struct link_score {
    struct link_term terms[LINK_NCMP];
    double prior_weight;  /* log2(lambda / (1 - lambda)) */
    double weight;        /* prior + sum of terms */
    double probability;
    const char *note;     /* NULL, or a rule that overrode the model (e.g. possible twins) */
};

/* Scores records i and j of s under m, filling *out. */
void link_score_pair(const struct link_model *m, const struct link_set *s, size_t i, size_t j,
                     struct link_score *out);

/* A scored candidate pair. */
struct link_pair {
    uint32_t i, j;        /* indexes into the set, i < j */
    float p;              /* match probability */
    float w;              /* match weight (log2 odds): orders pairs where p rounds to 1 */
};

/* Review decisions that override the model: confirm (same person) or reject. Indexes. */
struct link_decision {
    uint32_t i, j;
    bool same;
};

/* At most this many blocking rules in one run (link_blocking_parse refuses more). */
#define LINK_MAX_RULES 64

/* Counts per rule before pairs are made, and what the run did. */
struct link_stats {
    size_t nrules;
    uint64_t rule_pairs[LINK_MAX_RULES]; /* pairs each rule would produce (before union) */
    uint64_t rule_new[LINK_MAX_RULES];   /* pairs compared that no earlier rule gave */
    uint64_t rule_skipped_blocks[LINK_MAX_RULES]; /* blocks over max_block left out */
    uint64_t rule_skipped_pairs[LINK_MAX_RULES];  /* the pairs they would have made */
    uint64_t candidates;      /* distinct candidate pairs compared */
    uint64_t kept;            /* pairs at or above review_low */
    double block_seconds;     /* making the candidate pairs */
    double compare_seconds;   /* scoring them (two threads) */
    size_t clusters;
    uint64_t merges_refused;  /* merges the chaining guard refused */
    char changed[160];        /* settings changed since the last run (every record was
                               * linked again), e.g. "blocking rules, household guard"; "" */
    char threshold_was[32];   /* the last run's threshold when this run's differs; "" */
    uint64_t events;          /* persons merged or split, recorded in link_event */
    struct link_mention_stats {
        uint64_t mentions;   /* names found in events' mentions (found with ...) */
        uint64_t resolved;   /* to one person by name plus age or area */
        uint64_t high;       /* of those, with confidence 0.8 or more */
        uint64_t ambiguous;  /* several persons fit as well: kept as written */
        uint64_t unresolved; /* none fits: kept as written */
    } mentions;
};

/* Makes the candidate pairs of s (records with index >= first_new only paired with all
 * others when only_new is true: the incremental case), scores them under m and returns the
 * owned array of pairs with p >= o->review_low in *out (sorted by i, j). A rule whose count
 * exceeds the cap is refused (SVP_EINPUT, message names the rule and its count). */
int link_pairs_make(const struct link_set *s, const struct link_blocking *b,
                    const struct link_model *m, const struct link_opts *o, bool only_new,
                    size_t first_new, struct link_pair **out, size_t *nout,
                    struct link_stats *stats, struct svp_err *err) SVP_WUR;

/* Clusters: pairs with p >= o->threshold join in order of probability (decisions first:
 * confirmed pairs join, rejected pairs never share a cluster). Two clusters of more than one
 * record join only if every record of one is compatible with every record of the other
 * (scored directly: no pair below 0.01 and the mean at least 0.5), so a weak third record
 * cannot chain two different people. Writes cluster labels (the smallest member index) to
 * label[0..n) (caller-owned). */
int link_cluster(const struct link_set *s, const struct link_model *m,
                 const struct link_pair *pairs, size_t npairs,
                 const struct link_decision *dec, size_t ndec, const struct link_opts *o,
                 uint32_t *label, struct link_stats *stats, struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ the store */

/* Links every record in the database: trains a model (or reuses the stored one unless
 * retrain, or unless there are now more than twice the records it was trained on, or it
 * was stored by an older svp), scores new and changed records against all (every record
 * when full), clusters, and writes persons with stable ids (a person keeps its id when most
 * of its records stay together), pair scores, the review queue and each record's reason.
 * Settings that decide the pairs (rules, link-only, guard, review floor) are kept with the
 * results: when they differ from the last run's, every record is linked again (and the
 * model learnt again if the rules or link-only changed), and stats->changed says which. A
 * changed threshold re-forms persons from the kept pairs (stats->threshold_was). */
int link_run_store(struct store *db, const struct link_opts *o, const char *const *rules,
                   size_t nrules, bool full, bool retrain, struct link_stats *stats,
                   struct svp_err *err) SVP_WUR;

/* Resolves the people named in events' free text (a profile's `mentions` step: "found with
 * Kayla Dunn") to persons, rewriting link_mention: a name resolves when exactly one person
 * (or record not yet linked) other than the event's own child has that family name and an
 * agreeing given name (equal, a nickname or an initial) and also agrees on age (born within
 * 3 years of the child) or area (the child's or the event's area, or postcode district).
 * confidence is 0.6, plus 0.2 each for age and area, divided by 1 + 0.25 per other person
 * with the name alone. Several such persons make the mention 'ambiguous', none
 * 'unresolved': it is kept as written with why. link_run_store calls it after writing
 * persons, in its transaction; fills *st. */
int link_mentions_resolve(struct store *db, struct link_mention_stats *st,
                          struct svp_err *err) SVP_WUR;

/* Resolves a reference to one record: "SOURCE:ID" (the source's name and the agency's own
 * record id, as `svp persons export` prints them; split at the first ':') or a record id
 * (digits). Fills *id. SVP_EINPUT for a malformed reference, SVP_ENOTFOUND when no record
 * has it (the message names the reference, which holds no personal data). */
int link_record_resolve(struct store *db, const char *ref, int64_t *id,
                        struct svp_err *err) SVP_WUR;
/* The "SOURCE:ID" of record id into out (cap bytes; the id in digits when unknown). */
int link_record_name(struct store *db, int64_t id, char *out, size_t cap,
                     struct svp_err *err) SVP_WUR;

/* Explains the pair of records a and b (record ids): fills *out using the stored model.
 * SVP_ENOTFOUND for an unknown id; SVP_ECONFLICT when nothing has been linked yet. */
int link_explain_store(struct store *db, int64_t a, int64_t b, struct link_score *out,
                       struct svp_err *err) SVP_WUR;

/* Writes the explain table for *sc to f (the one layout CLI and reports use). */
void link_explain_print(FILE *f, const struct link_score *sc);

/* Review queue: pairs in the uncertain band with no decision. Calls fn for each. */
struct link_review_item {
    int64_t a, b;          /* record ids */
    double probability;
    const char *decision;  /* NULL (pending), "confirm" or "reject" */
    bool first;            /* a record's person is among link_review_list_first's first[] */
};
int link_review_list(struct store *db, bool all,
                     int (*fn)(const struct link_review_item *it, void *ctx), void *ctx,
                     struct svp_err *err) SVP_WUR;
/* As link_review_list, with the pending pairs that touch a person in first[] (person ids,
 * any order: the children on the saved panel list, whose record a decision would join or
 * split) before the rest, each part in link_review_list's order, and it->first set. */
int link_review_list_first(struct store *db, bool all, const int64_t *first, size_t nfirst,
                           int (*fn)(const struct link_review_item *it, void *ctx), void *ctx,
                           struct svp_err *err) SVP_WUR;
/* Records a reviewer's decision on records a and b (any order); it overrides the model on
 * every later link. who is the reviewer's name for the audit trail (borrowed). */
int link_review_decide(struct store *db, int64_t a, int64_t b, bool same, const char *who,
                       struct svp_err *err) SVP_WUR;

/* Export: one row per linked record. */
struct link_export_row {
    const char *source, *agency_record_id;
    int64_t person_id;
    double probability;    /* NaN when the record started its person */
};
int link_export(struct store *db, int (*fn)(const struct link_export_row *r, void *ctx),
                void *ctx, struct svp_err *err) SVP_WUR;

#endif
