/* Private to the risk room: shared between its source files, not part of its door. */
#ifndef SVP_RISK_INT_H
#define SVP_RISK_INT_H

#include "risk.h"

/* Scores one person's facts (sorted by day descending). When reasons is not NULL it must
 * hold 2 * n entries; each point of the returned score is written there as a reason with
 * its source (other_person_id holds the other person's index + 1). */
double risk_score_person(const struct risk_weights *w, svp_day as_of, const struct risk_fact *f,
                         size_t n, const double *first_pass, struct risk_reason *reasons,
                         size_t *nreasons);

/* Sorts n items of elem bytes stably by cmp, whose first key is bucket(item), a small dense
 * number (a person index): a counting sort by it, then each bucket by cmp (sort.c). */
void risk_sort_bucketed(void *items, size_t n, size_t elem, uint32_t (*bucket)(const void *),
                        int (*cmp)(const void *, const void *));
/* The order of n 64-bit keys, equal keys in the order given (a stable radix sort: four
 * passes of 16 bits, where a comparison sort of hashed keys compares n log n times):
 * perm[k] is the index of the k-th smallest. SVP_ENOMEM when memory is short, SVP_EINPUT
 * when n does not fit 32 bits (the caller then sorts otherwise). */
int risk_order_key64(const uint64_t *keys, size_t n, uint32_t *perm);

/* An event's detail reduced to the keys the risk room reads, when the text is one flat JSON
 * object (svp_json_flat): 1 with *out the reduced object (NULL when a key is given twice,
 * which jansson refuses too), 0 when the text is not flat (read it with jansson), SVP_ENOMEM.
 * The same values jansson would give those keys (score.c). */
int risk_detail_slim(const char *text, json_t **out);

/* Family inference (family.c). One record's key: a hash of its family name with its address
 * (or postcode). */
struct risk_famrec {
    uint64_t key;
    uint32_t person;
};
int risk_family_add(struct risk_family_link **links, size_t *n, size_t *cap, uint32_t a,
                    uint32_t b, int relation, bool recorded, int agency, float confidence,
                    const char *basis);
/* What a family inference key holds (risk_family_infer). */
enum risk_fam_key { RISK_FAM_ADDRESS, RISK_FAM_POSTCODE, RISK_FAM_ADDRESS_SOUND };
/* Sorts recs by key, then person (a radix order when they come by person). */
void risk_famrec_sort(struct risk_famrec *recs, size_t n);
int risk_family_infer(struct risk_famrec *recs, size_t n, const struct risk_person *persons,
                      int how, struct risk_family_link **links, size_t *nlinks,
                      size_t *cap);
/* One record's family name under its postcode, for names one slip apart (a family name typed
 * differently on every record): children of one postcode whose family names are one edit
 * apart, one of the two names a slip (no more than two persons anywhere carry it), and whose
 * ages are a family's, are siblings, with little confidence; and so are two whose records
 * swap the fields (one's given name is the other's family name, and the family name it
 * carries is a forename: more persons have it as their given name than as their family
 * name). */
struct risk_famname {
    uint64_t key; /* the postcode's hash */
    uint32_t person;
    char name[28]; /* the normalised family (or, given set, given) name, letters only */
    bool given;    /* the record's given name: for names swapped between the two fields */
    uint32_t carriers; /* persons of the whole panel with this family name (infer_names) */
    uint32_t as_given; /* persons of the whole panel with this as their given name */
};
int risk_family_infer_names(struct risk_famname *recs, size_t n,
                            const struct risk_person *persons, struct risk_family_link **links,
                            size_t *nlinks, size_t *cap);
/* A contact phone (a parent's or carer's number a school or a hospital holds for a child,
 * kept as the record's detail.contact_phone) in the national form the linker compares
 * phones in (link_phone_normalise: +44, 0044 and a lost leading 0 read as the trunk 0);
 * 10 or 11 digits starting 0 and not 00; a placeholder of one repeated digit, or anything
 * that is not one number ("07700 900123 ext 2", "mum's"), is none. Writes it to out (cap
 * at least 12) and returns its length, 0 for none. */
size_t risk_phone_norm(const char *raw, char *out, size_t cap);
/* A record's detail's contact_phone, normalised (risk_phone_norm) into out ("" for none: no
 * such key, a detail that is not JSON, no usable number). SVP_ENOMEM when out of memory. */
int risk_detail_contact_phone(const char *detail, char *out, size_t cap);
/* One record's contact phone (its hash) with the record's family name: children whose
 * records give one carer's number, with family names that agree (the same, a part of a
 * double-barrelled name, one slip apart, or names that sound alike) and ages of brothers and
 * sisters, are siblings (confidence 0.8). A number given for more than PHONE_MOST persons is
 * a childminder's, a foster carer's or an office's, not a family's. */
enum { PHONE_MOST = 5 };
struct risk_famphone {
    uint64_t key;  /* the normalised phone's hash */
    uint32_t person;
    char name[28]; /* the record's family name, lower-case letters only */
};
int risk_family_infer_phone(struct risk_famphone *recs, size_t n,
                            const struct risk_person *persons, struct risk_family_link **links,
                            size_t *nlinks, size_t *cap);
/* Sorts links by (a, b) and keeps one per pair (recorded, else most confident). */
void risk_family_finish(struct risk_family_link *links, size_t *n);
bool risk_family_has(const struct risk_family_link *links, size_t n, uint32_t a, uint32_t b);

/* FNV-1a over the letters and digits of a and b, lower-cased: the key of family inference
 * (family name with address or postcode) and of occurrence references; 0 when either has
 * none. */
uint64_t risk_key_hash(const char *a, const char *b);

/* One person's neighbourhood (scope.c): the records of the person, of everyone linked to
 * them, and of everyone linked to those (relationships, shared police occurrences, resolved
 * "found with" mentions, a shared family name with address or postcode): all that can change
 * the person's score. Writes an owned array (svp_free) of max_record + 1 flags, record id ->
 * 1 when in it. SVP_ENOTFOUND when the person has no records. */
int risk_scope_records(struct store *s, bool unlinked, int64_t person_id, svp_day as_of,
                       uint8_t **scope, int64_t *max_record, struct svp_err *err) SVP_WUR;

/* The points of rp's reasons summed per indicator (labels.c), and the indicator with the
 * most points left in sum (over 0.005; ties: the lower index), or -1: the reason summaries
 * name them in turn, zeroing each as it is named. */
void risk_indicator_sums(const struct risk_person *rp, double sum[RISK_INDICATOR_COUNT]);
int risk_indicator_next_best(const double sum[RISK_INDICATOR_COUNT]);

#endif
