/* The compact compression functions (PN_CRYPTO_SMALL, what -Os targets build) run on
 * the host too: this file compiles src/crypto/{md5,sha1,sha256}.c a second time with
 * PN_CRYPTO_SMALL set and their functions renamed pn_small_*, then checks them against
 * the default build (pn_hash), which the vector tests in test_hash.c pin down. */
#define PN_CRYPTO_SMALL  1
#define pn_md5_init      pn_small_md5_init
#define pn_md5_update    pn_small_md5_update
#define pn_md5_final     pn_small_md5_final
#define pn_md5           pn_small_md5
#define pn_sha1_init     pn_small_sha1_init
#define pn_sha1_update   pn_small_sha1_update
#define pn_sha1_final    pn_small_sha1_final
#define pn_sha1          pn_small_sha1
#define pn_sha256_init   pn_small_sha256_init
#define pn_sha256_update pn_small_sha256_update
#define pn_sha256_final  pn_small_sha256_final
#define pn_sha256        pn_small_sha256

#include <stdlib.h>
#include <string.h>

#include "peernet/hash.h"
#include "pn_test.h"

/* The three files define file-local macros with the same names; each is read alone. */
#include "crypto/md5.c"
#undef ROL
#undef F
#undef G
#undef H
#undef I
#undef STEP
#include "crypto/sha1.c"
#undef ROL
#undef SCHED
#undef K0
#undef K1
#undef K2
#undef K3
#undef F0
#undef F1
#undef F2
#include "crypto/sha256.c"

static void small_hash(pn_hash_id id, const uint8_t *m, size_t n, size_t split, uint8_t *out)
{
    switch (id) {
    case PN_HASH_MD5: {
        pn_md5_ctx c;
        pn_small_md5_init(&c);
        pn_small_md5_update(&c, m, split);
        pn_small_md5_update(&c, m + split, n - split);
        pn_small_md5_final(&c, out);
        break;
    }
    case PN_HASH_SHA1: {
        pn_sha1_ctx c;
        pn_small_sha1_init(&c);
        pn_small_sha1_update(&c, m, split);
        pn_small_sha1_update(&c, m + split, n - split);
        pn_small_sha1_final(&c, out);
        break;
    }
    default: {
        pn_sha256_ctx c;
        pn_small_sha256_init(&c);
        pn_small_sha256_update(&c, m, split);
        pn_small_sha256_update(&c, m + split, n - split);
        pn_small_sha256_final(&c, out);
        break;
    }
    }
}

START_TEST(compact_hashes_equal_the_fast_ones)
{
    static const pn_hash_id ids[] = {PN_HASH_MD5, PN_HASH_SHA1, PN_HASH_SHA256};
    uint8_t *msg = malloc(200000), fast[PN_HASH_MAX_LEN], small[PN_HASH_MAX_LEN];
    uint32_t x = 1;
    size_t i, len, k;
    PN_REQ("CRYPTO-FIPS180-01");
    PN_REQ("CRYPTO-FIPS180-02");
    PN_REQ("CRYPTO-RFC1321-01");
    ck_assert_ptr_nonnull(msg);
    for (i = 0; i < 200000; i++) {
        x = x * 1664525u + 1013904223u;
        msg[i] = (uint8_t)(x >> 24);
    }
    for (k = 0; k < 3; k++) {
        size_t n = pn_hash_len(ids[k]);
        for (len = 0; len <= 300; len++) {
            ck_assert_int_eq(pn_hash(ids[k], msg, len, fast), PN_OK);
            small_hash(ids[k], msg, len, len / 2, small);
            ck_assert_msg(memcmp(fast, small, n) == 0, "id %d len %zu", (int)ids[k], len);
        }
        ck_assert_int_eq(pn_hash(ids[k], msg, 200000, fast), PN_OK);
        small_hash(ids[k], msg, 200000, 12345, small);
        ck_assert_mem_eq(fast, small, n);
    }
    /* The one-shot wrappers of the compact build. */
    pn_small_sha256("abc", 3, small);
    ck_assert_int_eq(pn_hash(PN_HASH_SHA256, "abc", 3, fast), PN_OK);
    ck_assert_mem_eq(fast, small, 32);
    pn_small_sha1("abc", 3, small);
    ck_assert_int_eq(pn_hash(PN_HASH_SHA1, "abc", 3, fast), PN_OK);
    ck_assert_mem_eq(fast, small, 20);
    pn_small_md5("abc", 3, small);
    ck_assert_int_eq(pn_hash(PN_HASH_MD5, "abc", 3, fast), PN_OK);
    ck_assert_mem_eq(fast, small, 16);
    free(msg);
}
END_TEST

PN_SUITE(hash_small)
{
    Suite *s = suite_create("hash_small");
    TCase *tc = tcase_create("compact");
    tcase_add_test(tc, compact_hashes_equal_the_fast_ones);
    suite_add_tcase(s, tc);
    return s;
}
