/* Wire primitives and address text on the target: byte order and bounds must hold on a
 * 32-bit little-endian core exactly as on the host. */
#include "emb.h"
#include "peernet/platform.h"
#include "peernet/wire.h"

int pn_emb_test_wire_endian(void);
int pn_emb_test_wire_reader_writer(void);
int pn_emb_test_wire_utf16(void);
int pn_emb_test_addr_text(void);

int pn_emb_test_wire_endian(void)
{
    uint8_t b[8];
    pn_put_u32be(b, 0x01020304u);
    PN_EMB_CHECK(b[0] == 1 && b[3] == 4);
    pn_put_u64le(b, 0x0102030405060708ull);
    PN_EMB_CHECK(b[0] == 8 && b[7] == 1);
    PN_EMB_CHECK(pn_get_u64le(b) == 0x0102030405060708ull);
    PN_EMB_CHECK(pn_get_u16be(b) == 0x0807);
    return 0;
}

int pn_emb_test_wire_reader_writer(void)
{
    uint8_t buf[16];
    pn_wr w;
    pn_rd r;
    size_t at;
    pn_wr_init(&w, buf, sizeof buf);
    at = pn_wr_reserve(&w, 2);
    pn_wr_u8(&w, 7);
    pn_wr_align(&w, 4);
    pn_wr_u64be(&w, 0x1122334455667788ull);
    pn_wr_patch_u16le(&w, at, (uint16_t)pn_wr_len(&w));
    PN_EMB_CHECK(pn_wr_finish(&w) == PN_OK && pn_wr_len(&w) == 12);
    pn_rd_init(&r, buf, pn_wr_len(&w));
    PN_EMB_CHECK(pn_rd_u16le(&r) == 12);
    PN_EMB_CHECK(pn_rd_u8(&r) == 7);
    pn_rd_align(&r, 4, 1);
    PN_EMB_CHECK(pn_rd_u64be(&r) == 0x1122334455667788ull);
    PN_EMB_CHECK(pn_rd_finish(&r) == PN_OK);
    PN_EMB_CHECK(pn_rd_u8(&r) == 0 && pn_rd_err(&r) == PN_ERR_TRUNCATED);
    pn_wr_init(&w, buf, 3);
    pn_wr_u32le(&w, 1);
    PN_EMB_CHECK(pn_wr_finish(&w) == PN_ERR_BUFSIZE && pn_wr_len(&w) == 4);
    return 0;
}

int pn_emb_test_wire_utf16(void)
{
    static const uint8_t u8[] = {0x41, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80};
    static const uint8_t u16[] = {0x41, 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE};
    uint8_t out[16];
    size_t i;
    PN_EMB_CHECK(pn_utf8_to_utf16le(u8, sizeof u8, out, sizeof out, NULL) == sizeof u16);
    for (i = 0; i < sizeof u16; i++)
        PN_EMB_CHECK(out[i] == u16[i]);
    PN_EMB_CHECK(pn_utf16le_to_utf8(u16, sizeof u16, out, sizeof out, NULL) == sizeof u8);
    PN_EMB_CHECK(pn_utf16le_valid(u16, 6) == PN_ERR_UTF16); /* cut surrogate pair */
    return 0;
}

int pn_emb_test_addr_text(void)
{
    pn_addr a;
    char text[PN_ADDR_STRLEN];
    const char *want = "[2001:db8::1:0:0:1]:3540";
    int i;
    PN_EMB_CHECK(pn_addr_parse(&a, "[2001:db8:0:0:1:0:0:1]:3540") == PN_OK);
    PN_EMB_CHECK(pn_addr_format(&a, text, sizeof text) == 24);
    for (i = 0; want[i] != '\0'; i++)
        PN_EMB_CHECK(text[i] == want[i]);
    PN_EMB_CHECK(pn_addr_parse(&a, "[::1]:65536") == PN_ERR_PLATFORM_ADDR);
    return 0;
}
