/* Fuzz harness: the PNRP node engine (MS-PNRP section 3) fed a sequence of records
 *   [time step u8][source u8][length u16 BE][datagram]
 * The node has one registered name, one seed (so a SOLICIT is pending) and a fixed DRBG
 * seed, so its message IDs and nonces are the same on every run.  Source bits: 0-1 pick
 * one of four peers, bit 2 a second port, bit 3 a port below 1024; source 0xFE starts a
 * resolve, 0xFD unregisters and registers again.  After every record the output queue
 * is drained (every datagram must decode) and the timers run.  Invariants: memory use
 * never changes, the cache never exceeds its array, nothing crashes.  Build the
 * libFuzzer target with PN_FUZZING_SKIP_SIGNATURES=1 to reach what follows CPA checks. */
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int key_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

static int do_register(pn_pnrp_node *n, uint64_t now, const pn_pnrp_identity *id)
{
    pn_pnrp_registration r;
    memset(&r, 0, sizeof r);
    r.name = "0.fuzz";
    r.name_len = 6;
    r.identity = id;
    return pn_pnrp_node_register(n, now, &r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pn_rsa_keybuf key;
    static pn_pnrp_identity ident;
    static int have_key;
    static pn_pnrp_node node;
    static pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    static uint8_t out[PN_PNRP_DEFAULT_OUT];
    static pn_pnrp_reasm reasm;
    static pn_pnrp_msg m;
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    uint64_t now = 1000;
    size_t pos = 0, used;
    int handle;
    if (!have_key) {
        pn_drbg d;
        uint8_t seed[32] = {7};
        pn_drbg_init(&d, seed, sizeof seed, "fuzz", 4, NULL, 0);
        if (pn_rsa_generate(&key, 1024, key_rng, &d) != PN_OK ||
            pn_pnrp_identity_init(&ident, &key.pub, &key.priv) != PN_OK)
            abort();
        have_key = 1;
    }
    pn_pnrp_node_config_default(&cfg);
    memset(cfg.local[0].addr, 0, 16);
    cfg.local[0].addr[0] = 0x20;
    cfg.local[0].addr[1] = 0x01;
    cfg.local[0].addr[15] = 0x10;
    cfg.local[0].port = 3540;
    cfg.local_count = 1;
    cfg.seeds[0] = cfg.local[0];
    cfg.seeds[0].addr[15] = 1;
    cfg.seed_count = 1;
    memset(cfg.seed, 0x33, sizeof cfg.seed);
    cfg.wall_offset_ms = 1767225600000ll;
    memset(&mem, 0, sizeof mem);
    mem.cache = cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = out;
    mem.out_cap = sizeof out;
    mem.reasm = (size & 1) ? &reasm : NULL;
    if (pn_pnrp_node_init(&node, &cfg, &mem, now) != PN_OK)
        abort();
    handle = do_register(&node, now, &ident);
    used = pn_pnrp_node_memory_used(&node);
    while (pos + 4 <= size) {
        uint8_t step = data[pos], src = data[pos + 1], buf[PN_UDP_MAX];
        size_t len = (size_t)data[pos + 2] << 8 | data[pos + 3];
        pn_pnrp_endpoint from, to;
        int n;
        pos += 4;
        if (len > size - pos)
            len = size - pos;
        now += (uint64_t)step * 16;
        if (src == 0xFE) {
            (void)pn_pnrp_node_resolve(&node, now, "0.fuzz", 6, data[pos - 1] & 15, 0, 0, NULL);
        } else if (src == 0xFD) {
            (void)pn_pnrp_node_unregister(&node, now, handle);
            handle = do_register(&node, now, &ident);
        } else {
            memset(&from, 0, sizeof from);
            from.addr[0] = 0x20;
            from.addr[1] = 0x01;
            from.addr[15] = (uint8_t)(1 + (src & 3));
            from.port = (uint16_t)((src & 8) ? 1000 : 3540 + ((src >> 2) & 1));
            pn_pnrp_node_input(&node, now, &from, data + pos, len);
        }
        while ((n = pn_pnrp_node_poll_output(&node, buf, sizeof buf, &to)) > 0)
            if (pn_pnrp_decode(buf, (size_t)n, 0, &m, NULL) != PN_OK)
                abort();
        if (n < 0)
            abort();
        if (pn_pnrp_node_next_deadline(&node) <= now || step == 0xFF)
            pn_pnrp_node_tick(&node, now);
        if (pn_pnrp_node_memory_used(&node) != used ||
            pn_pnrp_node_cache(&node)->count > PN_PNRP_DEFAULT_CACHE)
            abort();
        pos += len;
    }
    return 0;
}
