/* DER reader and writer (ITU-T X.690): primitives, strictness, limits, round trips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "peernet/der.h"
#include "pn_test.h"

static pn_der cur(const uint8_t *b, size_t n)
{
    pn_der d;
    pn_der_init(&d, b, n);
    return d;
}

START_TEST(der_length_forms_round_trip)
{
    static const size_t lens[] = {0, 1, 127, 128, 255, 256, 65535, 65536, 70000};
    static uint8_t val[70000], buf[70016];
    size_t i;
    PN_REQ("CRYPTO-X690-01");
    memset(val, 0x5A, sizeof val);
    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        pn_wr w;
        pn_der d;
        pn_der_tlv t;
        size_t hl = lens[i] < 128 ? 2 : lens[i] < 256 ? 3 : lens[i] < 65536 ? 4 : 5;
        pn_wr_init(&w, buf, sizeof buf);
        pn_der_wr_tlv(&w, PN_DER_OCTET_STRING, val, lens[i]);
        ck_assert_int_eq(pn_wr_err(&w), 0);
        ck_assert_uint_eq(pn_wr_len(&w), hl + lens[i]);
        d = cur(buf, pn_wr_len(&w));
        ck_assert_int_eq(pn_der_next(&d, &t), PN_OK);
        ck_assert_uint_eq(t.tag, PN_DER_OCTET_STRING);
        ck_assert_uint_eq(t.len, lens[i]);
        ck_assert_ptr_eq(t.val, buf + hl);
        ck_assert_uint_eq(t.tlv_len, hl + lens[i]);
        ck_assert_int_eq(pn_der_finish_top(&d), PN_OK);
    }
}
END_TEST

START_TEST(der_rejects_non_minimal_lengths)
{
    static const uint8_t long_for_short[] = {0x04, 0x81, 0x05, 1, 2, 3, 4, 5};
    static const uint8_t leading_zero[] = {0x04, 0x82, 0x00, 0x80};
    static const uint8_t too_many_octets[] = {0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00};
    static const uint8_t reserved[] = {0x04, 0xFF, 0x00};
    pn_der d;
    pn_der_tlv t;
    PN_REQ("CRYPTO-X690-02");
    d = cur(long_for_short, sizeof long_for_short);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_CRYPTO_DER);
    ck_assert_ptr_eq(d.p, long_for_short); /* the cursor did not move */
    d = cur(leading_zero, sizeof leading_zero);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_CRYPTO_DER);
    d = cur(too_many_octets, sizeof too_many_octets);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_CRYPTO_DER);
    d = cur(reserved, sizeof reserved);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_CRYPTO_DER);
}
END_TEST

START_TEST(der_rejects_indefinite_length)
{
    static const uint8_t indef[] = {0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00};
    pn_der d = cur(indef, sizeof indef);
    pn_der_tlv t;
    PN_REQ("CRYPTO-X690-03");
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_validate(indef, sizeof indef, 8), PN_ERR_CRYPTO_DER);
}
END_TEST

START_TEST(der_rejects_high_tag_numbers)
{
    static const uint8_t high[] = {0x1F, 0x22, 0x01, 0x00};
    static const uint8_t high_ctx[] = {0xBF, 0x81, 0x00, 0x00};
    pn_der d = cur(high, sizeof high);
    pn_der_tlv t;
    PN_REQ("CRYPTO-X690-04");
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_peek(&d), PN_ERR_CRYPTO_DER);
    d = cur(high_ctx, sizeof high_ctx);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_CRYPTO_DER);
}
END_TEST

START_TEST(der_lengths_never_run_past_input)
{
    static const uint8_t past[] = {0x04, 0x05, 0x01, 0x02};
    static const uint8_t huge[] = {0x04, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0x00};
    static const uint8_t hdr_cut[] = {0x04, 0x82, 0x01};
    static const uint8_t one[] = {0x04};
    /* A child longer than its parent: parent says 3 bytes, child claims 4. */
    static const uint8_t child_over[] = {0x30, 0x03, 0x04, 0x04, 0x00, 0x00, 0x00, 0x00};
    pn_der d, in;
    pn_der_tlv t;
    PN_REQ("CRYPTO-X690-05");
    d = cur(past, sizeof past);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_TRUNCATED);
    d = cur(huge, sizeof huge);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_TRUNCATED);
    d = cur(hdr_cut, sizeof hdr_cut);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_TRUNCATED);
    d = cur(one, sizeof one);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_TRUNCATED);
    d = cur(child_over, sizeof child_over);
    ck_assert_int_eq(pn_der_enter(&d, PN_DER_SEQUENCE, &in), PN_OK);
    ck_assert_int_eq(pn_der_finish_top(&d), PN_ERR_TRAILING);
    ck_assert_int_eq(pn_der_next(&in, &t), PN_ERR_TRUNCATED);
    ck_assert_int_lt(pn_der_validate(child_over, sizeof child_over, 8), 0);
    d = cur(NULL, 0);
    ck_assert_int_eq(pn_der_at_end(&d), 1);
    ck_assert_int_eq(pn_der_next(&d, &t), PN_ERR_TRUNCATED);
}
END_TEST

START_TEST(der_expect_checks_tag_and_keeps_cursor)
{
    static const uint8_t in[] = {0x02, 0x01, 0x05, 0x05, 0x00};
    pn_der d = cur(in, sizeof in);
    pn_der_tlv t;
    PN_REQ("CRYPTO-X690-06");
    ck_assert_int_eq(pn_der_expect(&d, PN_DER_OCTET_STRING, &t), PN_ERR_CRYPTO_DER);
    ck_assert_ptr_eq(d.p, in);
    ck_assert_int_eq(pn_der_optional(&d, PN_DER_NULL, &t), 0);
    ck_assert_int_eq(pn_der_peek(&d), PN_DER_INTEGER);
    ck_assert_int_eq(pn_der_expect(&d, PN_DER_INTEGER, &t), PN_OK);
    ck_assert_int_eq(pn_der_finish(&d), PN_ERR_CRYPTO_DER); /* NULL still left */
    ck_assert_int_eq(pn_der_optional(&d, PN_DER_NULL, &t), 1);
    ck_assert_int_eq(pn_der_optional(&d, PN_DER_NULL, &t), 0); /* at the end */
    ck_assert_int_eq(pn_der_finish(&d), PN_OK);
}
END_TEST

START_TEST(der_integer_minimal_encoding)
{
    static const uint8_t zero_pad[] = {0x02, 0x02, 0x00, 0x7F};
    static const uint8_t ff_pad[] = {0x02, 0x02, 0xFF, 0x80};
    static const uint8_t empty[] = {0x02, 0x00};
    static const uint8_t pos128[] = {0x02, 0x02, 0x00, 0x80};
    static const uint8_t neg128[] = {0x02, 0x01, 0x80};
    static const uint8_t constructed[] = {0x22, 0x03, 0x02, 0x01, 0x01};
    const uint8_t *v;
    size_t n;
    int64_t x;
    uint32_t u;
    pn_der d;
    PN_REQ("CRYPTO-X690-07");
    d = cur(zero_pad, sizeof zero_pad);
    ck_assert_int_eq(pn_der_read_integer(&d, &v, &n), PN_ERR_CRYPTO_DER);
    d = cur(ff_pad, sizeof ff_pad);
    ck_assert_int_eq(pn_der_read_integer(&d, &v, &n), PN_ERR_CRYPTO_DER);
    d = cur(empty, sizeof empty);
    ck_assert_int_eq(pn_der_read_integer(&d, &v, &n), PN_ERR_CRYPTO_DER);
    d = cur(constructed, sizeof constructed);
    ck_assert_int_eq(pn_der_read_integer(&d, &v, &n), PN_ERR_CRYPTO_DER);
    d = cur(pos128, sizeof pos128);
    ck_assert_int_eq(pn_der_read_uint(&d, &v, &n), PN_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(v[0], 0x80);
    d = cur(pos128, sizeof pos128);
    ck_assert_int_eq(pn_der_read_u32(&d, &u), PN_OK);
    ck_assert_uint_eq(u, 128);
    d = cur(neg128, sizeof neg128);
    ck_assert_int_eq(pn_der_read_uint(&d, &v, &n), PN_ERR_CRYPTO_DER);
    ck_assert_ptr_eq(d.p, neg128);
    ck_assert_int_eq(pn_der_read_i64(&d, &x), PN_OK);
    ck_assert(x == -128);
}
END_TEST

START_TEST(der_integer_round_trip)
{
    static const int64_t vals[] = {0,
                                   1,
                                   -1,
                                   127,
                                   128,
                                   -128,
                                   -129,
                                   255,
                                   256,
                                   -32768,
                                   -32769,
                                   2147483647,
                                   -2147483647 - 1,
                                   INT64_MAX,
                                   INT64_MIN,
                                   1234567890123ll};
    uint8_t buf[16];
    size_t i;
    PN_REQ("CRYPTO-X690-07");
    for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        pn_wr w;
        pn_der d;
        int64_t back = 42;
        const uint8_t *v;
        size_t n;
        pn_wr_init(&w, buf, sizeof buf);
        pn_der_wr_i64(&w, vals[i]);
        ck_assert_int_eq(pn_wr_err(&w), 0);
        d = cur(buf, pn_wr_len(&w));
        ck_assert_int_eq(pn_der_read_integer(&d, &v, &n), PN_OK); /* minimal */
        d = cur(buf, pn_wr_len(&w));
        ck_assert_int_eq(pn_der_read_i64(&d, &back), PN_OK);
        ck_assert(back == vals[i]);
    }
    {
        /* Magnitudes: leading zeros dropped, a sign octet added when the top bit is set. */
        static const uint8_t mag[] = {0x00, 0x00, 0x80, 0x01};
        static const uint8_t want[] = {0x02, 0x03, 0x00, 0x80, 0x01};
        static const uint8_t zeros[] = {0x00, 0x00};
        static const uint8_t want0[] = {0x02, 0x01, 0x00};
        pn_wr w;
        pn_wr_init(&w, buf, sizeof buf);
        pn_der_wr_uint(&w, mag, sizeof mag);
        ck_assert_uint_eq(pn_wr_len(&w), sizeof want);
        ck_assert_mem_eq(buf, want, sizeof want);
        pn_wr_init(&w, buf, sizeof buf);
        pn_der_wr_uint(&w, zeros, sizeof zeros);
        ck_assert_mem_eq(buf, want0, sizeof want0);
    }
}
END_TEST

START_TEST(der_boolean_only_00_or_ff)
{
    static const uint8_t t_ff[] = {0x01, 0x01, 0xFF};
    static const uint8_t t_00[] = {0x01, 0x01, 0x00};
    static const uint8_t t_01[] = {0x01, 0x01, 0x01};
    static const uint8_t t_long[] = {0x01, 0x02, 0x00, 0x00};
    static const uint8_t t_empty[] = {0x01, 0x00};
    pn_der d;
    int b = 7;
    uint8_t buf[4];
    pn_wr w;
    PN_REQ("CRYPTO-X690-08");
    d = cur(t_ff, sizeof t_ff);
    ck_assert_int_eq(pn_der_read_bool(&d, &b), PN_OK);
    ck_assert_int_eq(b, 1);
    d = cur(t_00, sizeof t_00);
    ck_assert_int_eq(pn_der_read_bool(&d, &b), PN_OK);
    ck_assert_int_eq(b, 0);
    d = cur(t_01, sizeof t_01);
    ck_assert_int_eq(pn_der_read_bool(&d, &b), PN_ERR_CRYPTO_DER);
    d = cur(t_long, sizeof t_long);
    ck_assert_int_eq(pn_der_read_bool(&d, &b), PN_ERR_CRYPTO_DER);
    d = cur(t_empty, sizeof t_empty);
    ck_assert_int_eq(pn_der_read_bool(&d, &b), PN_ERR_CRYPTO_DER);
    pn_wr_init(&w, buf, sizeof buf);
    pn_der_wr_bool(&w, 5);
    ck_assert_mem_eq(buf, t_ff, 3);
}
END_TEST

START_TEST(der_null_and_octets)
{
    static const uint8_t null_ok[] = {0x05, 0x00};
    static const uint8_t null_bad[] = {0x05, 0x01, 0x00};
    static const uint8_t oct_constructed[] = {0x24, 0x03, 0x04, 0x01, 0xAA};
    static const uint8_t oct[] = {0x04, 0x02, 0xAB, 0xCD};
    const uint8_t *v;
    size_t n;
    pn_der d;
    PN_REQ("CRYPTO-X690-09");
    d = cur(null_ok, sizeof null_ok);
    ck_assert_int_eq(pn_der_read_null(&d), PN_OK);
    d = cur(null_bad, sizeof null_bad);
    ck_assert_int_eq(pn_der_read_null(&d), PN_ERR_CRYPTO_DER);
    /* DER forbids the constructed form of string types (X.690 10.2). */
    d = cur(oct_constructed, sizeof oct_constructed);
    ck_assert_int_eq(pn_der_read_octets(&d, &v, &n), PN_ERR_CRYPTO_DER);
    d = cur(oct, sizeof oct);
    ck_assert_int_eq(pn_der_read_octets(&d, &v, &n), PN_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(v[1], 0xCD);
}
END_TEST

START_TEST(der_bit_string_unused_bits)
{
    static const uint8_t ok[] = {0x03, 0x02, 0x03, 0xA8};
    static const uint8_t nonzero_pad[] = {0x03, 0x02, 0x03, 0xA9};
    static const uint8_t eight[] = {0x03, 0x02, 0x08, 0x00};
    static const uint8_t empty_unused[] = {0x03, 0x01, 0x01};
    static const uint8_t empty_ok[] = {0x03, 0x01, 0x00};
    static const uint8_t no_octet[] = {0x03, 0x00};
    const uint8_t *b;
    size_t n;
    unsigned u;
    pn_der d;
    PN_REQ("CRYPTO-X690-10");
    d = cur(ok, sizeof ok);
    ck_assert_int_eq(pn_der_read_bits(&d, &b, &n, &u), PN_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(u, 3);
    ck_assert_uint_eq(b[0], 0xA8);
    d = cur(nonzero_pad, sizeof nonzero_pad);
    ck_assert_int_eq(pn_der_read_bits(&d, &b, &n, &u), PN_ERR_CRYPTO_DER);
    d = cur(eight, sizeof eight);
    ck_assert_int_eq(pn_der_read_bits(&d, &b, &n, &u), PN_ERR_CRYPTO_DER);
    d = cur(empty_unused, sizeof empty_unused);
    ck_assert_int_eq(pn_der_read_bits(&d, &b, &n, &u), PN_ERR_CRYPTO_DER);
    d = cur(no_octet, sizeof no_octet);
    ck_assert_int_eq(pn_der_read_bits(&d, &b, &n, &u), PN_ERR_CRYPTO_DER);
    d = cur(empty_ok, sizeof empty_ok);
    ck_assert_int_eq(pn_der_read_bits(&d, &b, &n, &u), PN_OK);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(der_oid_text_round_trip)
{
    static const char *const texts[] = {"1.2.840.113549.1.1.11",  "2.5.29.19", "2.999.3",
                                        "1.3.6.1.4.1.311.44.3.1", "0.0",       "2.5.4.3",
                                        "1.2.4294967295"};
    static const uint8_t sha256rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
    uint8_t enc[32];
    char text[PN_DER_OID_TEXT_MAX];
    size_t i;
    int n;
    PN_REQ("CRYPTO-X690-11");
    n = pn_der_oid_from_text(texts[0], enc, sizeof enc);
    ck_assert_int_eq(n, sizeof sha256rsa);
    ck_assert_mem_eq(enc, sha256rsa, sizeof sha256rsa);
    ck_assert(pn_der_oid_eq(enc, (size_t)n, sha256rsa, sizeof sha256rsa));
    ck_assert(!pn_der_oid_eq(enc, (size_t)n - 1, sha256rsa, sizeof sha256rsa));
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        n = pn_der_oid_from_text(texts[i], enc, sizeof enc);
        ck_assert_int_gt(n, 0);
        ck_assert_int_eq(pn_der_oid_text(enc, (size_t)n, text, sizeof text), (int)strlen(texts[i]));
        ck_assert_str_eq(text, texts[i]);
    }
    ck_assert_int_eq(pn_der_oid_text(sha256rsa, sizeof sha256rsa, text, 8), PN_ERR_BUFSIZE);
    ck_assert_int_eq(pn_der_oid_from_text("3.1", enc, sizeof enc), PN_ERR_ARG);
    ck_assert_int_eq(pn_der_oid_from_text("1.40", enc, sizeof enc), PN_ERR_ARG);
    ck_assert_int_eq(pn_der_oid_from_text("1", enc, sizeof enc), PN_ERR_ARG);
    ck_assert_int_eq(pn_der_oid_from_text("1..2", enc, sizeof enc), PN_ERR_ARG);
    ck_assert_int_eq(pn_der_oid_from_text("1.02", enc, sizeof enc), PN_ERR_ARG);
}
END_TEST

START_TEST(der_oid_rejects_bad_subidentifiers)
{
    static const uint8_t padded[] = {0x06, 0x03, 0x2a, 0x80, 0x01};
    static const uint8_t unfinished[] = {0x06, 0x02, 0x2a, 0x86};
    static const uint8_t empty[] = {0x06, 0x00};
    static const uint8_t big[] = {0x06, 0x07, 0x2a, 0x90, 0x80, 0x80, 0x80, 0x80, 0x01};
    const uint8_t *v;
    size_t n;
    char text[64];
    pn_der d;
    PN_REQ("CRYPTO-X690-11");
    d = cur(padded, sizeof padded);
    ck_assert_int_eq(pn_der_read_oid(&d, &v, &n), PN_ERR_CRYPTO_DER);
    d = cur(unfinished, sizeof unfinished);
    ck_assert_int_eq(pn_der_read_oid(&d, &v, &n), PN_ERR_CRYPTO_DER);
    d = cur(empty, sizeof empty);
    ck_assert_int_eq(pn_der_read_oid(&d, &v, &n), PN_ERR_CRYPTO_DER);
    d = cur(big, sizeof big);
    ck_assert_int_eq(pn_der_read_oid(&d, &v, &n), PN_OK); /* valid DER, just a big arc */
    ck_assert_int_eq(pn_der_oid_text(v, n, text, sizeof text), PN_ERR_UNSUPPORTED);
}
END_TEST

static int64_t parse_time(uint8_t tag, const char *s)
{
    int64_t t = 0x7777;
    int rc = pn_der_time_parse(tag, (const uint8_t *)s, strlen(s), &t);
    return rc == PN_OK ? t : (int64_t)rc;
}

START_TEST(der_time_parses_utc_and_generalized)
{
    PN_REQ("CRYPTO-RFC5280-01");
    ck_assert(parse_time(PN_DER_UTC_TIME, "700101000000Z") == 0);
    ck_assert(parse_time(PN_DER_UTC_TIME, "491231235959Z") == 2524607999ll);
    ck_assert(parse_time(PN_DER_UTC_TIME, "500101000000Z") == -631152000ll);
    ck_assert(parse_time(PN_DER_UTC_TIME, "000229120000Z") == 951825600ll);
    ck_assert(parse_time(PN_DER_GENERALIZED_TIME, "21261029000225Z") == 4948905745ll);
    ck_assert(parse_time(PN_DER_GENERALIZED_TIME, "99991231235959Z") == 253402300799ll);
    ck_assert(parse_time(PN_DER_GENERALIZED_TIME, "19691231235959Z") == -1);
    /* Not the RFC 5280 profile: missing seconds, offsets, fractions, wrong length. */
    ck_assert(parse_time(PN_DER_UTC_TIME, "7001010000Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_UTC_TIME, "700101000000+0100") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_UTC_TIME, "700101000000") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_GENERALIZED_TIME, "20261201000000.5Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_GENERALIZED_TIME, "202612010000000") == PN_ERR_CRYPTO_DER);
    /* Calendar checks. */
    ck_assert(parse_time(PN_DER_UTC_TIME, "230229000000Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_GENERALIZED_TIME, "21000229000000Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_GENERALIZED_TIME, "20000229000000Z") == 951782400ll);
    ck_assert(parse_time(PN_DER_UTC_TIME, "701301000000Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_UTC_TIME, "700100000000Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_UTC_TIME, "700101240000Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_UTC_TIME, "700101006000Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_UTC_TIME, "700101000060Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_UTC_TIME, "7a0101000000Z") == PN_ERR_CRYPTO_DER);
    ck_assert(parse_time(PN_DER_OCTET_STRING, "700101000000Z") == PN_ERR_CRYPTO_DER);
}
END_TEST

START_TEST(der_time_writer_picks_utc_or_generalized)
{
    uint8_t buf[32];
    pn_wr w;
    PN_REQ("CRYPTO-RFC5280-01");
    pn_wr_init(&w, buf, sizeof buf);
    pn_der_wr_time(&w, 2524607999ll); /* 2049-12-31T23:59:59Z */
    ck_assert_uint_eq(buf[0], PN_DER_UTC_TIME);
    ck_assert_mem_eq(buf + 2, "491231235959Z", 13);
    pn_wr_init(&w, buf, sizeof buf);
    pn_der_wr_time(&w, 2524608000ll); /* 2050-01-01 */
    ck_assert_uint_eq(buf[0], PN_DER_GENERALIZED_TIME);
    ck_assert_mem_eq(buf + 2, "20500101000000Z", 15);
    pn_wr_init(&w, buf, sizeof buf);
    pn_der_wr_time(&w, -631152001ll); /* 1949-12-31T23:59:59Z */
    ck_assert_uint_eq(buf[0], PN_DER_GENERALIZED_TIME);
    ck_assert_mem_eq(buf + 2, "19491231235959Z", 15);
    pn_wr_init(&w, buf, sizeof buf);
    pn_der_wr_time(&w, 253402300800ll); /* year 10000 */
    ck_assert_int_eq(pn_wr_err(&w), PN_ERR_RANGE);
}
END_TEST

START_TEST(der_calendar_round_trip_seeded)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    int i;
    PN_REQ("CRYPTO-RFC5280-01");
    for (i = 0; i < 20000; i++) {
        int64_t secs, back;
        int y, mo, d, h, mi, s;
        uint8_t buf[32];
        pn_wr w;
        pn_der rd;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        /* Spread over years 0..9999, plus dense coverage of 1900..2200. */
        if (i & 1)
            secs = -62167219200ll + (int64_t)(x % 315537897600ull);
        else
            secs = -2208988800ll + (int64_t)(x % 9467020800ull);
        ck_assert_int_eq(pn_der_time_to_civil(secs, &y, &mo, &d, &h, &mi, &s), PN_OK);
        ck_assert(pn_der_time_from_civil(y, mo, d, h, mi, s) == secs);
        {
            time_t tt = (time_t)secs;
            struct tm tmv;
            if (sizeof(time_t) == 8 && gmtime_r(&tt, &tmv) != NULL && y >= 1900) {
                ck_assert_int_eq(tmv.tm_year + 1900, y);
                ck_assert_int_eq(tmv.tm_mon + 1, mo);
                ck_assert_int_eq(tmv.tm_mday, d);
                ck_assert_int_eq(tmv.tm_hour * 3600 + tmv.tm_min * 60 + tmv.tm_sec,
                                 h * 3600 + mi * 60 + s);
            }
        }
        pn_wr_init(&w, buf, sizeof buf);
        pn_der_wr_time(&w, secs);
        ck_assert_int_eq(pn_wr_err(&w), 0);
        pn_der_init(&rd, buf, pn_wr_len(&w));
        ck_assert_int_eq(pn_der_read_time(&rd, &back), PN_OK);
        ck_assert(back == secs);
    }
}
END_TEST

START_TEST(der_strings_checked_and_converted)
{
    static const uint8_t bmp[] = {0x00, 'A', 0x00, 0xE9, 0xD8, 0x3D, 0xDE, 0x00};
    static const uint8_t bmp_nul[] = {0x00, 'p', 0x00, 0x00};
    static const uint8_t bmp_mid_nul[] = {0x00, 0x00, 0x00, 'p'};
    static const uint8_t bmp_lone[] = {0xD8, 0x3D, 0x00, 'A'};
    static const uint8_t ucs4[] = {0x00, 0x00, 0x00, 'x', 0x00, 0x01, 0xF6, 0x00};
    static const uint8_t ucs4_bad[] = {0x00, 0x11, 0x00, 0x00};
    static const uint8_t t61[] = {'c', 0xE9};
    char out[32];
    PN_REQ("CRYPTO-X690-12");
    ck_assert_int_eq(
        pn_der_string_check(PN_DER_PRINTABLE_STRING, (const uint8_t *)"Ab 9'()+,-./:=?", 15),
        PN_OK);
    ck_assert_int_eq(pn_der_string_check(PN_DER_PRINTABLE_STRING, (const uint8_t *)"a@b", 3),
                     PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_check(PN_DER_IA5_STRING, (const uint8_t *)"a@b", 3), PN_OK);
    ck_assert_int_eq(pn_der_string_check(PN_DER_IA5_STRING, (const uint8_t *)"\x80", 1),
                     PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_check(PN_DER_UTF8_STRING, (const uint8_t *)"\xC3\xA9", 2),
                     PN_OK);
    ck_assert_int_eq(pn_der_string_check(PN_DER_UTF8_STRING, (const uint8_t *)"\xC0\xAF", 2),
                     PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_check(PN_DER_UTF8_STRING, (const uint8_t *)"a\0b", 3),
                     PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_check(PN_DER_BMP_STRING, bmp, 3), PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_check(PN_DER_BMP_STRING, bmp_lone, 4), PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_check(PN_DER_BMP_STRING, bmp_mid_nul, 4), PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_check(PN_DER_UNIVERSAL_STRING, ucs4_bad, 4), PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_check(PN_DER_OCTET_STRING, bmp, 2), PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_der_string_to_utf8(PN_DER_BMP_STRING, bmp, sizeof bmp, out, sizeof out), 7);
    ck_assert_str_eq(out, "A\xC3\xA9\xF0\x9F\x98\x80");
    ck_assert_int_eq(pn_der_string_to_utf8(PN_DER_BMP_STRING, bmp_nul, 4, out, sizeof out), 1);
    ck_assert_str_eq(out, "p");
    ck_assert_int_eq(pn_der_string_to_utf8(PN_DER_UNIVERSAL_STRING, ucs4, 8, out, sizeof out), 5);
    ck_assert_str_eq(out, "x\xF0\x9F\x98\x80");
    ck_assert_int_eq(pn_der_string_to_utf8(PN_DER_T61_STRING, t61, 2, out, sizeof out), 3);
    ck_assert_str_eq(out, "c\xC3\xA9");
    ck_assert_int_eq(pn_der_string_to_utf8(PN_DER_BMP_STRING, bmp, sizeof bmp, out, 7),
                     PN_ERR_BUFSIZE);
    ck_assert_int_eq(pn_der_string_to_utf8(PN_DER_IA5_STRING, (const uint8_t *)"hi", 2, out, 3), 2);
    ck_assert_int_eq(pn_der_string_to_utf8(PN_DER_IA5_STRING, (const uint8_t *)"hi", 2, out, 2),
                     PN_ERR_BUFSIZE);
}
END_TEST

START_TEST(der_validate_bounds_nesting)
{
    uint8_t buf[128];
    size_t depth;
    PN_REQ("CRYPTO-X690-13");
    for (depth = 1; depth <= PN_DER_MAX_DEPTH + 1; depth++) {
        pn_wr w;
        size_t marks[PN_DER_MAX_DEPTH + 1], i;
        int rc;
        pn_wr_init(&w, buf, sizeof buf);
        for (i = 0; i < depth; i++)
            marks[i] = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_null(&w);
        for (i = depth; i > 0; i--)
            pn_der_wr_close(&w, marks[i - 1]);
        ck_assert_int_eq(pn_wr_err(&w), 0);
        rc = pn_der_validate(buf, pn_wr_len(&w), PN_DER_MAX_DEPTH);
        if (depth <= PN_DER_MAX_DEPTH)
            ck_assert_int_eq(rc, (int)depth + 1);
        else
            ck_assert_int_eq(rc, PN_ERR_CRYPTO_DER_DEPTH);
        rc = pn_der_validate(buf, pn_wr_len(&w), 3);
        ck_assert_int_eq(rc, depth <= 3 ? (int)depth + 1 : PN_ERR_CRYPTO_DER_DEPTH);
    }
    ck_assert_int_eq(pn_der_validate(buf, 0, 4), PN_ERR_TRUNCATED);
}
END_TEST

START_TEST(der_validate_rejects_deep_hostile_nesting)
{
    /* 4000 nested empty-ish SEQUENCE headers: no recursion, an early depth error. */
    static uint8_t deep[8000];
    size_t i;
    PN_REQ("CRYPTO-X690-13");
    for (i = 0; i < 4000; i++) {
        deep[2 * i] = 0x30;
        deep[2 * i + 1] = 0x7F; /* lengths that cannot all be right */
    }
    ck_assert_int_lt(pn_der_validate(deep, sizeof deep, PN_DER_MAX_DEPTH), 0);
    for (i = 0; i < 4000; i++)
        deep[2 * i + 1] = 0x00;
    deep[1] = 0x7F;
    ck_assert_int_lt(pn_der_validate(deep, sizeof deep, PN_DER_MAX_DEPTH), 0);
}
END_TEST

START_TEST(der_writer_sizes_exactly_and_never_overruns)
{
    static uint8_t big[300];
    uint8_t full[400], small[400];
    size_t need, cap;
    PN_REQ("CRYPTO-X690-14");
    memset(big, 0x11, sizeof big);
    {
        pn_wr w;
        size_t a, b;
        pn_wr_init(&w, NULL, 0); /* sizing pass */
        a = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_i64(&w, 5);
        b = pn_der_wr_open(&w, PN_DER_CTX_C(1));
        pn_der_wr_octets(&w, big, sizeof big);
        pn_der_wr_close(&w, b);
        pn_der_wr_close(&w, a);
        need = pn_wr_len(&w);
        ck_assert_int_eq(pn_wr_err(&w), PN_ERR_BUFSIZE);
    }
    /* 30 82 01 37 | 02 01 05 | A1 82 01 30 | 04 82 01 2C ... */
    ck_assert_uint_eq(need, 4 + 3 + 4 + 4 + 300);
    for (cap = 0; cap <= need; cap++) {
        pn_wr w;
        size_t a, b;
        memset(small, 0xEE, sizeof small);
        pn_wr_init(&w, small, cap);
        a = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_i64(&w, 5);
        b = pn_der_wr_open(&w, PN_DER_CTX_C(1));
        pn_der_wr_octets(&w, big, sizeof big);
        pn_der_wr_close(&w, b);
        pn_der_wr_close(&w, a);
        ck_assert_uint_eq(pn_wr_len(&w), need);
        ck_assert_int_eq(pn_wr_err(&w), cap < need ? PN_ERR_BUFSIZE : 0);
        ck_assert_uint_eq(small[cap], 0xEE); /* nothing beyond cap */
        if (cap == need)
            memcpy(full, small, need);
    }
    {
        pn_der d = cur(full, need), seq, ctx;
        int64_t v;
        const uint8_t *o;
        size_t on;
        ck_assert_int_eq(pn_der_validate(full, need, 4), 4);
        ck_assert_int_eq(pn_der_enter(&d, PN_DER_SEQUENCE, &seq), PN_OK);
        ck_assert_int_eq(pn_der_read_i64(&seq, &v), PN_OK);
        ck_assert(v == 5);
        ck_assert_int_eq(pn_der_enter(&seq, PN_DER_CTX_C(1), &ctx), PN_OK);
        ck_assert_int_eq(pn_der_read_octets(&ctx, &o, &on), PN_OK);
        ck_assert_uint_eq(on, 300);
        ck_assert_mem_eq(o, big, 300);
        ck_assert_int_eq(pn_der_finish(&ctx), PN_OK);
        ck_assert_int_eq(pn_der_finish(&seq), PN_OK);
        ck_assert_int_eq(pn_der_finish_top(&d), PN_OK);
    }
}
END_TEST

START_TEST(der_writer_primitives_encode_as_x690)
{
    static const uint8_t oid[] = {0x55, 0x1d, 0x13};
    static const uint8_t bits[] = {0xA0};
    static const uint8_t want[] = {0x30, 0x0B, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x05,
                                   0x00, 0x03, 0x02, 0x00, 0xA0, 0x31, 0x00};
    uint8_t buf[32];
    pn_wr w;
    size_t m;
    PN_REQ("CRYPTO-X690-14");
    pn_wr_init(&w, buf, sizeof buf);
    m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    pn_der_wr_oid(&w, oid, sizeof oid);
    pn_der_wr_null(&w);
    pn_der_wr_bits(&w, bits, sizeof bits);
    pn_der_wr_close(&w, m);
    pn_der_wr_header(&w, PN_DER_SET, 0);
    ck_assert_int_eq(pn_wr_err(&w), 0);
    ck_assert_uint_eq(pn_wr_len(&w), sizeof want);
    ck_assert_mem_eq(buf, want, sizeof want);
}
END_TEST

PN_SUITE(der)
{
    Suite *s = suite_create("der");
    TCase *tc = tcase_create("reader");
    tcase_add_test(tc, der_length_forms_round_trip);
    tcase_add_test(tc, der_rejects_non_minimal_lengths);
    tcase_add_test(tc, der_rejects_indefinite_length);
    tcase_add_test(tc, der_rejects_high_tag_numbers);
    tcase_add_test(tc, der_lengths_never_run_past_input);
    tcase_add_test(tc, der_expect_checks_tag_and_keeps_cursor);
    tcase_add_test(tc, der_validate_bounds_nesting);
    tcase_add_test(tc, der_validate_rejects_deep_hostile_nesting);
    suite_add_tcase(s, tc);
    tc = tcase_create("primitives");
    tcase_add_test(tc, der_integer_minimal_encoding);
    tcase_add_test(tc, der_integer_round_trip);
    tcase_add_test(tc, der_boolean_only_00_or_ff);
    tcase_add_test(tc, der_null_and_octets);
    tcase_add_test(tc, der_bit_string_unused_bits);
    tcase_add_test(tc, der_oid_text_round_trip);
    tcase_add_test(tc, der_oid_rejects_bad_subidentifiers);
    tcase_add_test(tc, der_strings_checked_and_converted);
    suite_add_tcase(s, tc);
    tc = tcase_create("time");
    tcase_add_test(tc, der_time_parses_utc_and_generalized);
    tcase_add_test(tc, der_time_writer_picks_utc_or_generalized);
    tcase_add_test(tc, der_calendar_round_trip_seeded);
    suite_add_tcase(s, tc);
    tc = tcase_create("writer");
    tcase_add_test(tc, der_writer_sizes_exactly_and_never_overruns);
    tcase_add_test(tc, der_writer_primitives_encode_as_x690);
    suite_add_tcase(s, tc);
    return s;
}
