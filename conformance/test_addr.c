/* pn_addr parsing/formatting and storage-name rules (src/platform/addr.c). */
#include <string.h>

#include "peernet/platform.h"
#include "pn_test.h"

static void round_trip(const char *in, const char *want)
{
    pn_addr a;
    char out[PN_ADDR_STRLEN];
    ck_assert_int_eq(pn_addr_parse(&a, in), PN_OK);
    ck_assert_int_ge(pn_addr_format(&a, out, sizeof out), 0);
    ck_assert_str_eq(out, want);
}

START_TEST(addr_parse_format_rfc5952)
{
    round_trip("[::1]:3540", "[::1]:3540");
    round_trip("[2001:db8:0:0:1:0:0:1]:80", "[2001:db8::1:0:0:1]:80");
    round_trip("[2001:DB8::]:1", "[2001:db8::]:1");
    round_trip("[::]:0", "[::]:0");
    round_trip("[fe80::1:2]:65535", "[fe80::1:2]:65535");
    round_trip("[1:2:3:4:5:6:7:8]:9", "[1:2:3:4:5:6:7:8]:9");
    round_trip("[1:0:3:4:5:6:7:8]:9", "[1:0:3:4:5:6:7:8]:9"); /* single zero not "::" */
    round_trip("[::ffff:192.0.2.1]:7", "[::ffff:c000:201]:7");
    round_trip("192.0.2.33:3587", "192.0.2.33:3587");
    round_trip("2001:db8::7", "[2001:db8::7]:0");
}
END_TEST

START_TEST(addr_parse_rejects_garbage)
{
    static const char *bad[] = {"",
                                "[::1",
                                "[::1]:",
                                "[::1]:65536",
                                "[:::1]:1",
                                "[1::2::3]:1",
                                "1.2.3",
                                "1.2.3.256:1",
                                "01.2.3.4",
                                "[12345::]:1",
                                "[1:2:3:4:5:6:7:8:9]:1",
                                "[::1]x",
                                "[1:]:1",
                                "a.b.c.d:1",
                                "[::1]:-1"};
    size_t i;
    pn_addr a;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(pn_addr_parse(&a, bad[i]) == PN_ERR_PLATFORM_ADDR, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(addr_format_reports_small_buffer)
{
    pn_addr a;
    char out[6];
    ck_assert_int_eq(pn_addr_parse(&a, "[2001:db8::1]:3540"), PN_OK);
    ck_assert_int_eq(pn_addr_format(&a, out, sizeof out), PN_ERR_BUFSIZE);
    ck_assert_uint_eq(strlen(out), 5); /* truncated but terminated */
}
END_TEST

START_TEST(addr_equality_includes_port_and_scope)
{
    pn_addr a, b;
    pn_addr_parse(&a, "[fe80::1]:1");
    b = a;
    ck_assert(pn_addr_equal(&a, &b));
    b.scope_id = 2;
    ck_assert(!pn_addr_equal(&a, &b));
    b = a;
    b.port = 2;
    ck_assert(!pn_addr_equal(&a, &b));
}
END_TEST

START_TEST(storage_names_are_restricted)
{
    ck_assert(pn_storage_name_valid("pnrp-cache.global_1"));
    ck_assert(!pn_storage_name_valid(""));
    ck_assert(!pn_storage_name_valid("."));
    ck_assert(!pn_storage_name_valid(".."));
    ck_assert(!pn_storage_name_valid("a/b"));
    ck_assert(!pn_storage_name_valid("x y"));
    ck_assert(!pn_storage_name_valid(
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 65 */
}
END_TEST

PN_SUITE(addr)
{
    Suite *s = suite_create("addr");
    TCase *tc = tcase_create("addr");
    tcase_add_test(tc, addr_parse_format_rfc5952);
    tcase_add_test(tc, addr_parse_rejects_garbage);
    tcase_add_test(tc, addr_format_reports_small_buffer);
    tcase_add_test(tc, addr_equality_includes_port_and_scope);
    tcase_add_test(tc, storage_names_are_restricted);
    suite_add_tcase(s, tc);
    return s;
}
