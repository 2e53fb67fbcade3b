/* Base64 (RFC 4648 section 4), strict decoder: src/crypto/base64.c. */
#include <string.h>

#include "peernet/base64.h"
#include "peernet/err.h"
#include "pn_test.h"

static void check_pair(const char *raw, const char *text)
{
    char enc[64];
    uint8_t dec[64];
    size_t rlen = strlen(raw), tlen = strlen(text), need = 0;
    ck_assert_uint_eq(pn_base64_encoded_len(rlen), tlen);
    ck_assert_int_eq(pn_base64_encode(raw, rlen, enc, sizeof enc, NULL), (int)tlen);
    ck_assert_mem_eq(enc, text, tlen);
    ck_assert_int_eq(pn_base64_decode(text, tlen, dec, sizeof dec, NULL, 0), (int)rlen);
    ck_assert_mem_eq(dec, raw, rlen);
    /* Exact sizes: one short fails and reports the size, exact fits. */
    if (tlen > 0) {
        ck_assert_int_eq(pn_base64_encode(raw, rlen, enc, tlen - 1, &need), PN_ERR_BUFSIZE);
        ck_assert_uint_eq(need, tlen);
    }
    if (rlen > 0) {
        need = 0;
        ck_assert_int_eq(pn_base64_decode(text, tlen, dec, rlen - 1, &need, 0), PN_ERR_BUFSIZE);
        ck_assert_uint_eq(need, rlen);
        ck_assert_int_eq(pn_base64_decode(text, tlen, dec, rlen, NULL, 0), (int)rlen);
    }
}

START_TEST(base64_rfc4648_section10_vectors)
{
    PN_REQ("CRYPTO-RFC4648-01", "CRYPTO-RFC4648-02");
    check_pair("", "");
    check_pair("f", "Zg==");
    check_pair("fo", "Zm8=");
    check_pair("foo", "Zm9v");
    check_pair("foob", "Zm9vYg==");
    check_pair("fooba", "Zm9vYmE=");
    check_pair("foobar", "Zm9vYmFy");
}
END_TEST

START_TEST(base64_alphabet_is_exactly_rfc4648_table1)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t raw[48], back[48];
    char text[64];
    int i, accepted = 0;
    PN_REQ("CRYPTO-RFC4648-01", "CRYPTO-RFC4648-03");
    /* Bytes whose 6-bit groups run through 0..63 in order encode to the table itself. */
    for (i = 0; i < 48; i += 3) {
        uint32_t v = (uint32_t)(4 * (i / 3)) << 18 | (uint32_t)(4 * (i / 3) + 1) << 12 |
                     (uint32_t)(4 * (i / 3) + 2) << 6 | (uint32_t)(4 * (i / 3) + 3);
        raw[i] = (uint8_t)(v >> 16);
        raw[i + 1] = (uint8_t)(v >> 8);
        raw[i + 2] = (uint8_t)v;
    }
    ck_assert_int_eq(pn_base64_encode(raw, 48, text, sizeof text, NULL), 64);
    ck_assert_mem_eq(text, alphabet, 64);
    ck_assert_int_eq(pn_base64_decode(alphabet, 64, back, sizeof back, NULL, 0), 48);
    ck_assert_mem_eq(back, raw, 48);
    /* Of all 256 byte values in a data position, exactly the 64 letters decode. */
    for (i = 0; i < 256; i++) {
        char q[4] = {'A', 'A', 'A', 'A'};
        uint8_t out[3];
        int r;
        q[0] = (char)i;
        r = pn_base64_decode(q, 4, out, sizeof out, NULL, PN_BASE64_SKIP_WS);
        if (r == 3) {
            ck_assert_ptr_nonnull(memchr(alphabet, i, 64));
            accepted++;
        } else {
            ck_assert_int_eq(r, PN_ERR_CRYPTO_BASE64);
            ck_assert(i == 0 || memchr(alphabet, i, 64) == NULL);
        }
    }
    ck_assert_int_eq(accepted, 64);
}
END_TEST

START_TEST(base64_rejects_non_canonical_text)
{
    static const char *bad[] = {
        "Zg",       /* padding missing (3.2) */
        "Zg=",      /* padding short */
        "Zm9",      /* incomplete quantum */
        "Z===",     /* three pad characters */
        "====",     /* nothing but padding */
        "Zm9v====", /* padding after a full quantum */
        "=Zm9",     /* padding first */
        "Zg==Zg==", /* data after padding (3.3) */
        "Zg==\n",   /* newline when not asked to skip it */
        "Zm9v=",    /* stray pad */
        "Zh==",     /* non-zero bits under the padding (3.5) */
        "Zm9=",     /* non-zero bits under the padding (3.5) */
        "Zm-v",     /* base64url letter in base64 */
        "Zm_v",     /* base64url letter in base64 */
        "Zm 9v",    /* space when not asked to skip it */
        "Zm9v\r\n", /* CRLF when not asked to skip it */
        "Zm9v.",    /* punctuation */
    };
    uint8_t out[16];
    size_t i, need = 77;
    PN_REQ("CRYPTO-RFC4648-02", "CRYPTO-RFC4648-03", "CRYPTO-RFC4648-04");
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(pn_base64_decode(bad[i], strlen(bad[i]), out, sizeof out, &need, 0) ==
                          PN_ERR_CRYPTO_BASE64,
                      "accepted \"%s\"", bad[i]);
        /* Validation comes before the size check: a tiny buffer changes nothing. */
        ck_assert_int_eq(pn_base64_decode(bad[i], strlen(bad[i]), out, 0, &need, 0),
                         PN_ERR_CRYPTO_BASE64);
    }
    ck_assert_uint_eq(need, 77);
    /* A NUL inside the given length is a character outside the alphabet. */
    ck_assert_int_eq(pn_base64_decode("Zm9v\0AAA", 8, out, sizeof out, NULL, PN_BASE64_SKIP_WS),
                     PN_ERR_CRYPTO_BASE64);
}
END_TEST

START_TEST(base64_skip_ws_reads_pem_lines)
{
    static const char pem[] = "  Zm9v\r\nYmFy\n\tZm9v YmE=\r\n";
    uint8_t out[32];
    size_t need = 0;
    PN_REQ("CRYPTO-RFC4648-05");
    ck_assert_int_eq(pn_base64_decode(pem, strlen(pem), out, sizeof out, NULL, PN_BASE64_SKIP_WS),
                     11);
    ck_assert_mem_eq(out, "foobarfooba", 11);
    ck_assert_int_eq(pn_base64_decode(pem, strlen(pem), out, 10, &need, PN_BASE64_SKIP_WS),
                     PN_ERR_BUFSIZE);
    ck_assert_uint_eq(need, 11);
    /* Whitespace inside the padding is still whitespace. */
    ck_assert_int_eq(pn_base64_decode("Zg=\n=", 5, out, sizeof out, NULL, PN_BASE64_SKIP_WS), 1);
    /* Only whitespace: the empty string. */
    ck_assert_int_eq(pn_base64_decode(" \r\n", 3, out, sizeof out, NULL, PN_BASE64_SKIP_WS), 0);
    /* Whitespace does not excuse a bad text. */
    ck_assert_int_eq(pn_base64_decode("Zg\n=", 4, out, sizeof out, NULL, PN_BASE64_SKIP_WS),
                     PN_ERR_CRYPTO_BASE64);
}
END_TEST

START_TEST(base64_random_round_trips)
{
    uint8_t raw[200], back[200];
    char text[300];
    uint32_t x = 12345;
    int iter;
    PN_REQ("CRYPTO-RFC4648-01", "CRYPTO-RFC4648-05");
    for (iter = 0; iter < 500; iter++) {
        size_t len, i;
        int n, m;
        x = x * 1103515245u + 12345u;
        len = (x >> 8) % sizeof raw;
        for (i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            raw[i] = (uint8_t)(x >> 16);
        }
        n = pn_base64_encode(raw, len, text, sizeof text, NULL);
        ck_assert_int_eq(n, (int)pn_base64_encoded_len(len));
        /* The encoder never emits line breaks (3.1). */
        ck_assert_ptr_null(memchr(text, '\n', (size_t)n));
        m = pn_base64_decode(text, (size_t)n, back, sizeof back, NULL, 0);
        ck_assert_int_eq(m, (int)len);
        ck_assert_mem_eq(back, raw, len);
    }
}
END_TEST

PN_SUITE(base64)
{
    Suite *s = suite_create("base64");
    TCase *tc = tcase_create("rfc4648");
    tcase_add_test(tc, base64_rfc4648_section10_vectors);
    tcase_add_test(tc, base64_alphabet_is_exactly_rfc4648_table1);
    tcase_add_test(tc, base64_rejects_non_canonical_text);
    tcase_add_test(tc, base64_skip_ws_reads_pem_lines);
    tcase_add_test(tc, base64_random_round_trips);
    suite_add_tcase(s, tc);
    return s;
}
