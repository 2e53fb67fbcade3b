/* The full PNRP node of the resolve-only client test (see srv.h).  The Makefile builds
 * this file with the whole library for PN_PROFILE 2 and renames every global symbol of
 * that build srv_* (.ci/emb-srv-check), so the calls below reach the full node's own
 * engine, never the PN_PROFILE 1 library of the rest of the image. */
#include "peernet/pnrp.h"

#include "emb_vec.h"
#include "peernet/x509.h"
#include "srv.h"
#include "wire/pn_mem.h"

#if !PN_FEATURE_PNRP_REGISTER || !PN_PNRP_SERVE
#error "the publishing node must be a full node"
#endif

static struct {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[16];
    uint8_t out[2 * (PN_UDP_MAX + 20)];
    pn_rsa_der_key key;
    pn_pnrp_identity ident, deleg;
    pn_pnrp_registration reg_deleg, reg_xp;
} srv;

int pn_emb_srv_start(uint64_t now, const pn_pnrp_endpoint *ep, const char *name, size_t len)
{
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    pn_pnrp_registration reg;
    size_t i;
    int r;
    r = pn_rsa_private_from_der(&srv.key, pn_emb_leaf_key_der, sizeof pn_emb_leaf_key_der);
    if (r != PN_OK || (r = pn_pnrp_identity_init(&srv.ident, &srv.key.pub, &srv.key.priv)) != PN_OK)
        return r;
    pn_pnrp_node_config_default(&cfg);
    cfg.local[0] = *ep;
    cfg.local_count = 1;
    for (i = 0; i < sizeof cfg.seed; i++)
        cfg.seed[i] = (uint8_t)(0xA0 + i);
    cfg.wall_offset_ms = 1795000000000; /* 2026-11-18 */
    memset(&mem, 0, sizeof mem);
    mem.cache = srv.cache;
    mem.cache_cap = sizeof srv.cache / sizeof srv.cache[0];
    mem.out = srv.out;
    mem.out_cap = sizeof srv.out;
    r = pn_pnrp_node_init(&srv.n, &cfg, &mem, now);
    if (r != PN_OK)
        return r;
    memset(&reg, 0, sizeof reg);
    reg.name = name;
    reg.name_len = len;
    reg.identity = &srv.ident;
    reg.app_count = 1;
    reg.apps[0].addr[0] = 0xfe;
    reg.apps[0].addr[1] = 0x80;
    reg.apps[0].port = 8080;
    reg.apps[0].protocol = 6;
    r = pn_pnrp_node_register(&srv.n, now, &reg);
    return r < 0 ? r : 0;
}

void pn_emb_srv_input(uint64_t now, const pn_pnrp_endpoint *from, const uint8_t *buf, size_t len)
{
    pn_pnrp_node_input(&srv.n, now, from, buf, len);
}

int pn_emb_srv_poll(uint8_t *buf, size_t cap, pn_pnrp_endpoint *to)
{
    return pn_pnrp_node_poll_output(&srv.n, buf, cap, to);
}

uint64_t pn_emb_srv_deadline(void)
{
    return pn_pnrp_node_next_deadline(&srv.n);
}

void pn_emb_srv_tick(uint64_t now)
{
    pn_pnrp_node_tick(&srv.n, now);
}

int pn_emb_srv_local_id(pn_pnrp_id *out)
{
    return pn_pnrp_node_local_id(&srv.n, 0, out);
}

unsigned long pn_emb_srv_signs(void)
{
    return pn_pnrp_node_counters(&srv.n)->signs;
}

int pn_emb_srv_publish_delegated(uint64_t now, const char *name, size_t len)
{
    srv.deleg = srv.ident;
    memset(srv.deleg.authority, 0x42, sizeof srv.deleg.authority); /* the root's, say */
    memset(&srv.reg_deleg, 0, sizeof srv.reg_deleg);
    srv.reg_deleg.name = name;
    srv.reg_deleg.name_len = len;
    srv.reg_deleg.identity = &srv.deleg;
    return pn_pnrp_node_register(&srv.n, now, &srv.reg_deleg);
}

int pn_emb_srv_publish_payload(uint64_t now, const char *name, size_t len)
{
    static const uint8_t data[4] = {1, 2, 3, 4};
    memset(&srv.reg_xp, 0, sizeof srv.reg_xp);
    srv.reg_xp.name = name;
    srv.reg_xp.name_len = len;
    srv.reg_xp.identity = &srv.ident;
    srv.reg_xp.xp_data = data;
    srv.reg_xp.xp_len = sizeof data;
    srv.reg_xp.xp_type = PN_PNRP_XP_BINARY;
    return pn_pnrp_node_register(&srv.n, now, &srv.reg_xp);
}
