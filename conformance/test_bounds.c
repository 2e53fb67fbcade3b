/* Resource bounds that hold without the engines: one hostile source filling a bounded
 * table must not keep others out for longer than the table's timeout, and must never
 * take a live entry away from anyone (issue 7, "Resource bounds are tested"; the engine
 * bound tests still to come are listed in spec/security.md). */
#include <string.h>

#include "peernet/pnrp_wire.h"
#include "pn_test.h"

/* ---- AUTHORITY reassembly (MS-PNRP 3.1.5.6) ------------------------------------------ */
enum { AB_LEN = 2000, TIMEOUT = 500 }; /* two fragments: 1188 + 812 bytes */

static uint8_t ab[AB_LEN];

/* Fragment k of a 2000-byte AUTHORITY_BUFFER sent as message msg_id, decoded the way a
 * node decodes it before reassembly. */
static void fragment(uint32_t msg_id, size_t k, pn_pnrp_msg *m)
{
    static uint8_t buf[1300];
    pn_pnrp_decode_error e;
    int n = pn_pnrp_fragment_encode(msg_id, 1, ab, AB_LEN, k, buf, sizeof buf, NULL);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_pnrp_decode(buf, (size_t)n, PN_PNRP_STRICT, m, &e), PN_OK);
}

static void fill_buffer(void)
{
    size_t i;
    for (i = 0; i < AB_LEN; i++)
        ab[i] = (uint8_t)(i * 13 + 5);
}

static int feed(pn_pnrp_reasm *ra, uint64_t now, const uint8_t *addr, uint32_t msg_id, size_t k,
                const uint8_t **out, size_t *out_len)
{
    static pn_pnrp_msg m;
    fragment(msg_id, k, &m);
    return pn_pnrp_reasm_input(ra, now, addr, 3540, m.msg_id, &m.u.authority, out, out_len);
}

static size_t live_slots(const pn_pnrp_reasm *ra)
{
    size_t i, n = 0;
    for (i = 0; i < PN_PNRP_REASSEMBLY_SLOTS; i++)
        n += ra->slots[i].used;
    return n;
}

static const uint8_t HOSTILE[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x66};
static const uint8_t HONEST[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01};

START_TEST(reassembly_table_filled_by_one_source_serves_another_after_timeout)
{
    static pn_pnrp_reasm ra;
    const uint8_t *out;
    size_t out_len;
    uint32_t id;
    uint64_t t;
    PN_REQ("PNRP-3.1.5.6-01");
    fill_buffer();
    pn_pnrp_reasm_init(&ra, TIMEOUT);

    /* The hostile source opens a reassembly in every slot at t = 1000 and never sends
     * the second fragments. */
    for (id = 0; id < PN_PNRP_REASSEMBLY_SLOTS; id++)
        ck_assert_int_eq(feed(&ra, 1000, HOSTILE, 100 + id, 0, &out, &out_len), 0);
    ck_assert_uint_eq(live_slots(&ra), PN_PNRP_REASSEMBLY_SLOTS);
    /* While they are live, more of its openings and the honest source are turned away
     * (the live state is never evicted for a newcomer), and re-sending the first
     * fragments every 100 ms does not extend their lifetime. */
    for (t = 1000; t < 1000 + TIMEOUT; t += 100) {
        ck_assert_int_eq(feed(&ra, t, HOSTILE, 200 + (uint32_t)t, 0, &out, &out_len), PN_ERR_NOMEM);
        for (id = 0; id < PN_PNRP_REASSEMBLY_SLOTS; id++)
            ck_assert_int_eq(feed(&ra, t, HOSTILE, 100 + id, 0, &out, &out_len), 0);
        ck_assert_int_eq(feed(&ra, t, HONEST, 7, 0, &out, &out_len), PN_ERR_NOMEM);
        ck_assert_uint_eq(live_slots(&ra), PN_PNRP_REASSEMBLY_SLOTS);
    }
    ck_assert(pn_pnrp_reasm_next_deadline(&ra) == 1000 + TIMEOUT);

    /* At the deadline the hostile reassemblies are gone: the honest source gets a slot
     * (the expiry runs inside the input call, no tick needed). */
    t = 1000 + TIMEOUT;
    ck_assert_int_eq(feed(&ra, t, HONEST, 7, 0, &out, &out_len), 0);
    ck_assert_uint_eq(live_slots(&ra), 1);
    /* The hostile source refills every other slot at once and keeps trying... */
    for (id = 0; id + 1 < PN_PNRP_REASSEMBLY_SLOTS; id++)
        ck_assert_int_eq(feed(&ra, t, HOSTILE, 300 + id, 0, &out, &out_len), 0);
    for (; t < 1000 + 2 * TIMEOUT - 1; t += 50)
        ck_assert_int_eq(feed(&ra, t, HOSTILE, 400 + (uint32_t)t, 0, &out, &out_len), PN_ERR_NOMEM);
    /* ...but the honest reassembly was never evicted: its second fragment, just before
     * its own deadline, completes the exact buffer. */
    ck_assert_int_eq(feed(&ra, 1000 + 2 * TIMEOUT - 1, HONEST, 7, 1, &out, &out_len), 1);
    ck_assert_uint_eq(out_len, AB_LEN);
    ck_assert_mem_eq(out, ab, AB_LEN);
    /* The honest completion freed its slot for the next newcomer. */
    ck_assert_int_eq(feed(&ra, 1000 + 2 * TIMEOUT - 1, HONEST, 8, 0, &out, &out_len), 0);
    ck_assert_uint_ge(ra.dropped, 10);
}
END_TEST

START_TEST(reassembly_conflicting_fragment_from_another_source_cannot_cancel)
{
    static pn_pnrp_reasm ra;
    static pn_pnrp_msg m;
    const uint8_t *out;
    size_t out_len;
    uint8_t forged[1188];
    PN_REQ("PNRP-3.1.5.6-01");
    fill_buffer();
    pn_pnrp_reasm_init(&ra, TIMEOUT);
    ck_assert_int_eq(feed(&ra, 0, HONEST, 9, 0, &out, &out_len), 0);
    /* A hostile source that guesses the Message ID sends a different first fragment:
     * reassembly state is keyed on the source too, so the honest state survives. */
    fragment(9, 0, &m);
    memcpy(forged, m.u.authority.fragment.p, sizeof forged);
    forged[0] ^= 0xFF;
    m.u.authority.fragment.p = forged;
    ck_assert_int_eq(pn_pnrp_reasm_input(&ra, 1, HOSTILE, 3540, 9, &m.u.authority, &out, &out_len),
                     0);
    ck_assert_int_eq(feed(&ra, 2, HONEST, 9, 1, &out, &out_len), 1);
    ck_assert_mem_eq(out, ab, AB_LEN);
}
END_TEST

PN_SUITE(bounds)
{
    Suite *s = suite_create("bounds");
    TCase *tc = tcase_create("bounds");
    tcase_add_test(tc, reassembly_table_filled_by_one_source_serves_another_after_timeout);
    tcase_add_test(tc, reassembly_conflicting_fragment_from_another_source_cannot_cancel);
    suite_add_tcase(s, tc);
    return s;
}
