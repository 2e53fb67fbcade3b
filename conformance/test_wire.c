/* Wire primitives: reader, writer, endian helpers, UTF-8/UTF-16, error names. */
#include <string.h>

#include "peernet/wire.h"
#include "pn_test.h"

START_TEST(endian_helpers_round_trip)
{
    uint8_t b[8];
    pn_put_u16be(b, 0x1234);
    ck_assert_uint_eq(b[0], 0x12);
    ck_assert_uint_eq(pn_get_u16be(b), 0x1234);
    pn_put_u16le(b, 0x1234);
    ck_assert_uint_eq(b[0], 0x34);
    ck_assert_uint_eq(pn_get_u16le(b), 0x1234);
    pn_put_u32be(b, 0xA1B2C3D4u);
    ck_assert_uint_eq(b[0], 0xA1);
    ck_assert_uint_eq(b[3], 0xD4);
    ck_assert_uint_eq(pn_get_u32be(b), 0xA1B2C3D4u);
    pn_put_u32le(b, 0xA1B2C3D4u);
    ck_assert_uint_eq(b[0], 0xD4);
    ck_assert_uint_eq(pn_get_u32le(b), 0xA1B2C3D4u);
    pn_put_u64be(b, 0x0102030405060708ull);
    ck_assert_uint_eq(b[0], 1);
    ck_assert_uint_eq(b[7], 8);
    ck_assert(pn_get_u64be(b) == 0x0102030405060708ull);
    pn_put_u64le(b, 0x0102030405060708ull);
    ck_assert_uint_eq(b[0], 8);
    ck_assert(pn_get_u64le(b) == 0x0102030405060708ull);
}
END_TEST

START_TEST(reader_reads_fields_in_order)
{
    static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12};
    pn_rd r;
    uint8_t two[2];
    pn_rd_init(&r, in, sizeof in);
    ck_assert_uint_eq(pn_rd_u8(&r), 0x01);
    ck_assert_uint_eq(pn_rd_u16be(&r), 0x0203);
    ck_assert_uint_eq(pn_rd_u16le(&r), 0x0504);
    ck_assert_uint_eq(pn_rd_u32be(&r), 0x06070809u);
    ck_assert_uint_eq(pn_rd_offset(&r), 9);
    pn_rd_bytes(&r, two, 2);
    ck_assert_uint_eq(two[1], 0x0b);
    ck_assert_ptr_eq(pn_rd_ptr(&r, 2), in + 11);
    ck_assert(pn_rd_u32le(&r) == 0x11100f0eU);
    ck_assert_int_eq(pn_rd_finish(&r), PN_ERR_TRAILING);
    pn_rd_skip(&r, 1);
    ck_assert_int_eq(pn_rd_finish(&r), PN_OK);
}
END_TEST

START_TEST(reader_truncation_is_sticky_and_reads_zero)
{
    static const uint8_t in[] = {0xff, 0xff, 0xff};
    pn_rd r;
    uint8_t out[4] = {9, 9, 9, 9};
    pn_rd_init(&r, in, sizeof in);
    ck_assert_uint_eq(pn_rd_u32be(&r), 0);
    ck_assert_int_eq(pn_rd_err(&r), PN_ERR_TRUNCATED);
    /* The failed read did not move the cursor, and later reads fail too. */
    ck_assert_uint_eq(pn_rd_offset(&r), 0);
    ck_assert_uint_eq(pn_rd_u8(&r), 0);
    pn_rd_bytes(&r, out, 4);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_ptr_null(pn_rd_ptr(&r, 1));
    ck_assert_int_eq(pn_rd_finish(&r), PN_ERR_TRUNCATED);
}
END_TEST

START_TEST(reader_never_trusts_huge_lengths)
{
    static const uint8_t in[] = {1, 2, 3, 4};
    pn_rd r;
    pn_rd_init(&r, in, sizeof in);
    pn_rd_skip(&r, 1);
    ck_assert_ptr_null(pn_rd_ptr(&r, SIZE_MAX));
    ck_assert_int_eq(pn_rd_err(&r), PN_ERR_TRUNCATED);
}
END_TEST

START_TEST(sub_reader_is_bounded_and_keeps_offsets)
{
    static const uint8_t in[] = {2, 0xAA, 0xBB, 0xCC};
    pn_rd r, sub;
    pn_rd_init(&r, in, sizeof in);
    pn_rd_sub(&r, pn_rd_u8(&r), &sub);
    ck_assert_uint_eq(pn_rd_u8(&sub), 0xAA);
    ck_assert_uint_eq(pn_rd_offset(&sub), 2);
    ck_assert_uint_eq(pn_rd_u16be(&sub), 0); /* only one byte left in sub */
    ck_assert_int_eq(pn_rd_err(&sub), PN_ERR_TRUNCATED);
    ck_assert_uint_eq(pn_rd_u8(&r), 0xCC); /* outer reader unaffected */
    ck_assert_int_eq(pn_rd_finish(&r), PN_OK);
    pn_rd_init(&r, in, sizeof in);
    pn_rd_sub(&r, 9, &sub);
    ck_assert_int_eq(pn_rd_err(&r), PN_ERR_TRUNCATED);
    ck_assert_int_eq(pn_rd_err(&sub), PN_ERR_TRUNCATED);
}
END_TEST

START_TEST(reader_alignment_checks_zero_padding)
{
    static const uint8_t good[] = {7, 0, 0, 0, 9};
    static const uint8_t bad[] = {7, 0, 1, 0, 9};
    pn_rd r;
    pn_rd_init(&r, good, sizeof good);
    pn_rd_u8(&r);
    pn_rd_align(&r, 4, 1);
    ck_assert_uint_eq(pn_rd_u8(&r), 9);
    ck_assert_int_eq(pn_rd_finish(&r), PN_OK);
    pn_rd_init(&r, bad, sizeof bad);
    pn_rd_u8(&r);
    pn_rd_align(&r, 4, 1);
    ck_assert_int_eq(pn_rd_err(&r), PN_ERR_PADDING);
    ck_assert_uint_eq(pn_rd_offset(&r), 2); /* offset of the non-zero byte */
    pn_rd_init(&r, bad, sizeof bad);
    pn_rd_u8(&r);
    pn_rd_align(&r, 4, 0); /* lenient mode ignores the value */
    ck_assert_uint_eq(pn_rd_u8(&r), 9);
}
END_TEST

START_TEST(writer_writes_and_back_patches)
{
    uint8_t buf[16];
    pn_wr w;
    size_t at;
    pn_wr_init(&w, buf, sizeof buf);
    at = pn_wr_reserve(&w, 2);
    pn_wr_u8(&w, 0x11);
    pn_wr_align(&w, 4);
    pn_wr_u32le(&w, 0x44332211u);
    pn_wr_u16be(&w, 0x5566);
    pn_wr_patch_u16be(&w, at, (uint16_t)pn_wr_len(&w));
    ck_assert_int_eq(pn_wr_finish(&w), PN_OK);
    ck_assert_uint_eq(pn_wr_len(&w), 10);
    ck_assert_uint_eq(buf[0], 0);
    ck_assert_uint_eq(buf[1], 10);
    ck_assert_uint_eq(buf[2], 0x11);
    ck_assert_uint_eq(buf[3], 0);
    ck_assert_uint_eq(buf[4], 0x11);
    ck_assert_uint_eq(buf[7], 0x44);
    ck_assert_uint_eq(buf[8], 0x55);
}
END_TEST

START_TEST(writer_reports_size_needed_without_overrun)
{
    uint8_t buf[8];
    pn_wr w;
    memset(buf, 0xEE, sizeof buf);
    pn_wr_init(&w, buf, 4);
    pn_wr_u32be(&w, 1);
    pn_wr_u64be(&w, 2); /* does not fit */
    pn_wr_u16be(&w, 3);
    ck_assert_int_eq(pn_wr_finish(&w), PN_ERR_BUFSIZE);
    ck_assert_uint_eq(pn_wr_len(&w), 14);
    ck_assert_uint_eq(buf[4], 0xEE); /* nothing written past cap */
    /* A sizing pass: no buffer at all. */
    pn_wr_init(&w, NULL, 100);
    pn_wr_bytes(&w, "abc", 3);
    pn_wr_align(&w, 4);
    ck_assert_uint_eq(pn_wr_len(&w), 4);
    ck_assert_int_eq(pn_wr_finish(&w), PN_ERR_BUFSIZE);
}
END_TEST

START_TEST(utf8_validation_rejects_malformed)
{
    static const uint8_t ok[] = "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    static const uint8_t overlong[] = {0xC0, 0xAF};
    static const uint8_t surrogate[] = {0xED, 0xA0, 0x80};
    static const uint8_t too_big[] = {0xF4, 0x90, 0x80, 0x80};
    static const uint8_t cut[] = {0xE2, 0x82};
    ck_assert_int_eq(pn_utf8_valid(ok, sizeof ok - 1), PN_OK);
    ck_assert_int_eq(pn_utf8_valid(overlong, sizeof overlong), PN_ERR_UTF8);
    ck_assert_int_eq(pn_utf8_valid(surrogate, sizeof surrogate), PN_ERR_UTF8);
    ck_assert_int_eq(pn_utf8_valid(too_big, sizeof too_big), PN_ERR_UTF8);
    ck_assert_int_eq(pn_utf8_valid(cut, sizeof cut), PN_ERR_UTF8);
}
END_TEST

START_TEST(utf16_round_trip_with_surrogates)
{
    static const uint8_t u8[] = "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    static const uint8_t u16[] = {0x41, 0, 0xE9, 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE};
    uint8_t out[32], back[32];
    size_t need = 0;
    int n;
    n = pn_utf8_to_utf16le(u8, sizeof u8 - 1, out, sizeof out, &need);
    ck_assert_int_eq(n, sizeof u16);
    ck_assert_mem_eq(out, u16, sizeof u16);
    ck_assert_int_eq(pn_utf8_to_utf16le(u8, sizeof u8 - 1, out, 4, &need), PN_ERR_BUFSIZE);
    ck_assert_uint_eq(need, sizeof u16);
    n = pn_utf16le_to_utf8(u16, sizeof u16, back, sizeof back, NULL);
    ck_assert_int_eq(n, sizeof u8 - 1);
    ck_assert_mem_eq(back, u8, sizeof u8 - 1);
    ck_assert_int_eq(pn_utf16le_valid(u16, sizeof u16), PN_OK);
}
END_TEST

START_TEST(utf16_rejects_lone_surrogates_and_odd_length)
{
    static const uint8_t lone_hi[] = {0x3D, 0xD8, 0x41, 0x00};
    static const uint8_t lone_lo[] = {0x00, 0xDE};
    static const uint8_t odd[] = {0x41, 0x00, 0x42};
    uint8_t out[8];
    ck_assert_int_eq(pn_utf16le_valid(lone_hi, sizeof lone_hi), PN_ERR_UTF16);
    ck_assert_int_eq(pn_utf16le_valid(lone_lo, sizeof lone_lo), PN_ERR_UTF16);
    ck_assert_int_eq(pn_utf16le_valid(odd, sizeof odd), PN_ERR_UTF16);
    ck_assert_int_eq(pn_utf16le_to_utf8(lone_hi, sizeof lone_hi, out, sizeof out, NULL),
                     PN_ERR_UTF16);
}
END_TEST

START_TEST(every_error_has_name_and_message)
{
    static const int codes[] = {
#define PN_T_CODE_(name, value, msg) value,
        PN_ERRORS_ALL(PN_T_CODE_)
#undef PN_T_CODE_
    };
    size_t i, j;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        ck_assert_int_lt(codes[i], 0);
        ck_assert_ptr_nonnull(pn_errname(codes[i]));
        ck_assert_str_ne(pn_strerror(codes[i]), "unknown error");
        for (j = i + 1; j < sizeof codes / sizeof codes[0]; j++)
            ck_assert_int_ne(codes[i], codes[j]); /* numbers are unique */
    }
    ck_assert_str_eq(pn_errname(PN_ERR_TRUNCATED), "PN_ERR_TRUNCATED");
    ck_assert_ptr_null(pn_errname(12345));
    ck_assert_str_eq(pn_strerror(12345), "unknown error");
}
END_TEST

PN_SUITE(wire)
{
    Suite *s = suite_create("wire");
    TCase *tc = tcase_create("primitives");
    tcase_add_test(tc, endian_helpers_round_trip);
    tcase_add_test(tc, reader_reads_fields_in_order);
    tcase_add_test(tc, reader_truncation_is_sticky_and_reads_zero);
    tcase_add_test(tc, reader_never_trusts_huge_lengths);
    tcase_add_test(tc, sub_reader_is_bounded_and_keeps_offsets);
    tcase_add_test(tc, reader_alignment_checks_zero_padding);
    tcase_add_test(tc, writer_writes_and_back_patches);
    tcase_add_test(tc, writer_reports_size_needed_without_overrun);
    suite_add_tcase(s, tc);
    tc = tcase_create("text");
    tcase_add_test(tc, utf8_validation_rejects_malformed);
    tcase_add_test(tc, utf16_round_trip_with_surrogates);
    tcase_add_test(tc, utf16_rejects_lone_surrogates_and_odd_length);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, every_error_has_name_and_message);
    suite_add_tcase(s, tc);
    return s;
}
