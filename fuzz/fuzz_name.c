/* Fuzz target: name normalisation accepts any bytes without crashing and its output is
 * valid UTF-8 and a fixed point (normalising twice changes nothing); so does a contact
 * phone's (risk_phone_norm: none, or 10 or 11 digits starting 0, a fixed point), also when
 * read from a record's detail. */
#include "base/base.h"
#include "risk/risk_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL, *again = NULL;
    struct svp_err err;
    if (svp_name_normalise((const char *)data, size, &out, &err) != SVP_OK)
        return 0;
    size_t n = strlen(out);
    if (!svp_utf8_valid(out, n, NULL))
        abort();
    if (svp_name_normalise(out, n, &again, &err) != SVP_OK || strcmp(out, again) != 0)
        abort();
    free(out);
    free(again);
    char *z = malloc(size + 1);
    if (!z)
        return 0;
    memcpy(z, data, size);
    z[size] = '\0';
    char phone[24], phone2[24];
    size_t len = risk_phone_norm(z, phone, sizeof phone);
    /* read as a record's detail: none, or a number risk_phone_norm would give */
    char phone3[24];
    if (risk_detail_contact_phone(z, phone2, sizeof phone2) == SVP_OK && phone2[0] &&
        (risk_phone_norm(phone2, phone3, sizeof phone3) != strlen(phone2) ||
         strcmp(phone2, phone3)))
        abort();
    free(z);
    if (len) {
        if ((len != 10 && len != 11) || phone[0] != '0' || strlen(phone) != len ||
            strspn(phone, "0123456789") != len ||
            risk_phone_norm(phone, phone2, sizeof phone2) != len || strcmp(phone, phone2))
            abort();
    } else if (phone[0]) {
        abort();
    }
    char *u8 = NULL;
    if (svp_cp1252_to_utf8((const char *)data, size, &u8, &n, &err) == SVP_OK) {
        if (!svp_utf8_valid(u8, n, NULL))
            abort();
        free(u8);
    }
    return 0;
}
