/* PNRP wire codecs: decode and encode rates for a LOOKUP with a route entry and a
 * 22-entry Flagged Path, and for an AUTHORITY_BUFFER carrying a route entry and a CPA
 * with a payload (the largest common messages). */
#include <string.h>

#include "cli.h"
#include "peernet/pnrp_wire.h"

static void time_codec(const char *name, int is_ab, const void *in)
{
    static uint8_t buf[4096];
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    pn_pnrp_decode_error e;
    char label[64];
    double t0, dt;
    long iters = 0;
    int len = is_ab ? pn_pnrp_authority_buffer_encode(in, buf, sizeof buf, NULL)
                    : pn_pnrp_encode(in, buf, sizeof buf, NULL);
    if (len <= 0)
        return;
    t0 = pn_bench_now();
    do {
        int k;
        for (k = 0; k < 1024; k++, iters++)
            if (is_ab)
                (void)pn_pnrp_authority_buffer_decode(buf, (size_t)len, PN_PNRP_STRICT, &ab, &e);
            else
                (void)pn_pnrp_decode(buf, (size_t)len, PN_PNRP_STRICT, &m, &e);
        dt = pn_bench_now() - t0;
    } while (dt < 0.3);
    snprintf(label, sizeof label, "pnrp_wire.decode_%s_%dB", name, len);
    pn_bench_report(label, (double)iters / dt / 1e6, "Mmsg/s", 0);
    iters = 0;
    t0 = pn_bench_now();
    do {
        int k;
        for (k = 0; k < 1024; k++, iters++)
            if (is_ab)
                (void)pn_pnrp_authority_buffer_encode(in, buf, sizeof buf, NULL);
            else
                (void)pn_pnrp_encode(in, buf, sizeof buf, NULL);
        dt = pn_bench_now() - t0;
    } while (dt < 0.3);
    snprintf(label, sizeof label, "pnrp_wire.encode_%s_%dB", name, len);
    pn_bench_report(label, (double)iters / dt / 1e6, "Mmsg/s", 0);
}

void pn_bench_pnrp_wire(void)
{
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    static uint8_t key[PN_PNRP_PUBKEY_DATA_LEN], sig[PN_PNRP_SIG_DATA_LEN];
    static const uint8_t head[7] = {0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00};
    int i;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_LOOKUP;
    m.msg_id = 1;
    m.u.lookup.has_route = 1;
    m.u.lookup.route.port = 3540;
    m.u.lookup.route.addr_count = 2;
    m.u.lookup.path.count = 22;
    for (i = 0; i < 22; i++)
        m.u.lookup.path.eps[i].port = (uint16_t)(2000 + i);
    time_codec("lookup", 0, &m);
    memcpy(key, head, sizeof head);
    key[7] = 0xC0;
    memcpy(key + 135, "\x02\x03\x01\x00\x01", 5);
    memset(&ab, 0, sizeof ab);
    ab.has_route = 1;
    ab.route.port = 3540;
    ab.route.addr_count = 1;
    ab.has_cpa = 1;
    ab.cpa.flags = PN_PNRP_CPA_A | PN_PNRP_CPA_C;
    ab.cpa.addr_count = 2;
    ab.cpa.addrs[0].port = ab.cpa.addrs[1].port = 3540;
    ab.cpa.payload_count = 1;
    ab.cpa.payload_type = PN_PNRP_PAYLOAD_IPV6_ENDPOINTS;
    ab.cpa.app_count = 4;
    ab.cpa.pubkey.key_data = key;
    ab.cpa.sig.data = sig;
    time_codec("authority_buffer", 1, &ab);
}
