/*
 * synth: the synthetic county generator, the test bed of every later room.
 *
 * synth_run() writes a folder of multi-agency extracts (layouts in docs/extracts.md), the
 * geography they refer to, a manifest and the hidden truth (DIR/truth/). It generates one
 * household at a time and writes rows as it goes, so memory stays bounded whatever the
 * number of children; the same options give byte-identical files.
 *
 * The building blocks (a seeded PRNG, samplers, identity noise, identifier schemes) are
 * public so they can be unit tested; nothing else in svp should need them.
 */
#ifndef SVP_SYNTH_H
#define SVP_SYNTH_H

#include "base/base.h"

/* ------------------------------------------------------------------ options */

/* Amounts of identity noise: probabilities per agency record of a person (or per row for
 * the files that repeat a person's details on every row). */
struct synth_noise {
    double nickname;     /* forename recorded as a nickname (Margaret -> Maggie) */
    double variant;      /* forename or surname recorded as a variant spelling */
    double typo;         /* one keyboard slip in a name (per name field) */
    double swap;         /* forename and surname swapped */
    double hyphen_part;  /* only one part of a double-barrelled surname recorded */
    double dob_swap;     /* day and month transposed (only when both are <= 12) */
    double dob_typo;     /* one digit of the date of birth wrong */
    double missing;      /* each optional field (DOB, sex, ethnicity, postcode) left empty */
    double accent;       /* accents dropped from a name that has them */
    double old_address;  /* a person register keeps the address from before a move */
    double duplicate_id; /* an agency opens a second person id for the same child */
    double move;         /* a household moves house during the window */
    double twins;        /* a household's children include twins */
    double hyphenated;   /* a household has a double-barrelled surname */
    /* decoys and traps (truth/decoys.csv, truth/panel-truth.csv) */
    double decoy;        /* a child of 11-15 has one or two of the exploited children's signs */
    double care_decoy;   /* a looked-after child of 11-16 goes missing again and again from
                            unstable care, found with family or at the placement */
    double sibling_decoy; /* an exploited child's brother or sister of 10-17 is in the same
                             police occurrences with the same adults */
    double school_only;  /* a child of 11-13 is exploited and only the school's attendance
                            shows it */
};

struct synth_opts {
    uint64_t children; /* children in the county, >= 1 */
    uint64_t seed;
    svp_day start;   /* first day of the window */
    int months;      /* length of the window, 1..120 */
    int areas;       /* community areas, 1..999; 0: as the population (synth_areas_for) */
    const char *out; /* output folder (borrowed); created if missing */
    bool quiet;      /* no progress on the terminal */
    struct synth_noise noise;
};

/* Fills opts with the defaults: 104,000 children, seed 1, start 2021-04-01, 24 months,
 * areas as the population (0), realistic noise (see the README), out NULL. */
void synth_opts_default(struct synth_opts *opts);

/* The community areas a county of this many children gets by default: the county profile's
 * 18 up to 104,000 children, then one more per ~5,800 children (1,000,000 children: 173),
 * at most 999. The areas widen the county (each area keeps its size and its 150 postcodes),
 * so a bigger county is wider, not denser. */
int synth_areas_for(uint64_t children);

/* Summary of a run, for the CLI and the benchmark. */
struct synth_stats {
    uint64_t children;
    uint64_t households;
    uint64_t rows;       /* data rows over all extract files */
    uint64_t truth_rows; /* rows in DIR/truth/rows.csv (== rows) */
    uint64_t exploited;
    uint64_t groups;
    uint64_t decoys;
};

/* Generates the county into opts->out (creating it and DIR/truth/; existing files of the
 * same names are replaced). Borrows opts. Returns 0, SVP_EUSAGE for bad options (err names
 * the option), SVP_EIO when the folder or a file cannot be written (err names the file),
 * SVP_ENOMEM. On error the folder may hold partial files. stats may be NULL. */
int synth_run(const struct synth_opts *opts, struct synth_stats *stats,
              struct svp_err *err) SVP_WUR;

/* ------------------------------------------------------------------ PRNG and samplers */

/* xoshiro256** seeded through splitmix64: fast, small state, good statistical quality.
 * A (seed, stream) pair gives an independent sequence, so each household, child and
 * group draws from its own stream and output does not depend on generation order. */
struct synth_rng {
    uint64_t s[4];
};

void synth_rng_seed(struct synth_rng *r, uint64_t seed, uint64_t stream);
uint64_t synth_rng_next(struct synth_rng *r);
/* Uniform in [0, 1). */
double synth_rng_unit(struct synth_rng *r);
/* Uniform integer in [0, n); n == 0 gives 0. Unbiased (Lemire's method). */
uint64_t synth_rng_below(struct synth_rng *r, uint64_t n);
/* Uniform integer in [lo, hi]; lo when hi <= lo. */
int64_t synth_rng_range(struct synth_rng *r, int64_t lo, int64_t hi);
/* True with probability p. */
bool synth_rng_chance(struct synth_rng *r, double p);
/* A Poisson count with mean lambda >= 0 (normal approximation above 60). */
int synth_rng_poisson(struct synth_rng *r, double lambda);
/* An exponential draw with the given mean. */
double synth_rng_exp(struct synth_rng *r, double mean);
/* A stateless 64-bit mix of a and b (splitmix64 finaliser): the same inputs always give
 * the same value. Used for decisions two generators must agree on (who joins an event). */
uint64_t synth_hash(uint64_t a, uint64_t b);
/* synth_hash mapped to [0, 1). */
double synth_hash_unit(uint64_t a, uint64_t b);

/* Index i in [0, n) with P(i) proportional to cum[i] - cum[i-1]; cum is a non-decreasing
 * cumulative weight table (borrowed) with cum[n-1] > 0. */
size_t synth_pick_cumulative(const double *cum, size_t n, double u);

/* ------------------------------------------------------------------ names */

/* Name frequencies, nicknames and variants from the embedded data/names-*.csv. */
struct synth_names;

/* Loads the embedded tables. Returns owned tables in *out; SVP_EINTERNAL if a table is
 * missing from the binary, SVP_ENOMEM. */
int synth_names_load(struct synth_names **out, struct svp_err *err) SVP_WUR;
void synth_names_free(struct synth_names **names);

/* A forename for sex 'M' or 'F' by birth frequency; the string is borrowed from names. */
const char *synth_names_given(const struct synth_names *names, char sex, struct synth_rng *r);
/* A surname by population frequency (borrowed). */
const char *synth_names_surname(const struct synth_names *names, struct synth_rng *r);
/* A nickname of given, or NULL if the table has none (borrowed). */
const char *synth_names_nickname(const struct synth_names *names, const char *given,
                                 struct synth_rng *r);
/* A variant spelling: surname true picks from surname variants, else given names. NULL if
 * none (borrowed). */
const char *synth_names_variant(const struct synth_names *names, const char *name, bool surname,
                                struct synth_rng *r);

/* ------------------------------------------------------------------ identity noise */

/* Writes name with one keyboard slip into out (cap bytes): a letter deleted, doubled,
 * replaced by a neighbour on the keyboard, or two letters transposed. Names of fewer than
 * three bytes are copied unchanged. Works on bytes of ASCII letters only, so UTF-8 stays
 * valid. Returns true if out differs from name. */
bool synth_noise_typo(const char *name, struct synth_rng *r, char *out, size_t cap);

/* Removes the accents synth ever adds (é, ë, ï, ö, ü, á, í, ó, ñ in UTF-8) from name into
 * out. Returns true if anything changed. */
bool synth_noise_strip_accents(const char *name, char *out, size_t cap);

/* The part of a double-barrelled surname ("Smith-Jones") before or after the hyphen into
 * out; returns false (out = name) if there is no hyphen. */
bool synth_noise_hyphen_part(const char *name, struct synth_rng *r, char *out, size_t cap);

/* Day and month transposed: returns false (day unchanged) when the day is above 12 or
 * equals the month, so the result is always a real, different date. */
bool synth_noise_dob_swap(svp_day dob, svp_day *out);

/* One digit of the day, month or year mistyped so the result is still a real date (and a
 * different one). Returns false if no such change was found. */
bool synth_noise_dob_typo(svp_day dob, struct synth_rng *r, svp_day *out);

/* ------------------------------------------------------------------ identifiers */

/* A bijective scramble of x into [0, m): distinct x < m give distinct values, so agency
 * ids derived from svp's own indices never collide. m must have no prime factors but 2, 3
 * and 5 (e.g. 9 x 10^k), so that the multiplier, a larger prime, is coprime with it. */
uint64_t synth_scramble(uint64_t x, uint64_t m);

/* The NHS number check digit of the first nine digits in d (each 0..9): 0..9, or -1 when
 * the number would be invalid (remainder gives 10). */
int synth_nhs_check_digit(const int d[9]);

#endif
