/* Footprint of a PNRP node as an application links it (`make size-node`): the real node
 * engine (src/pnrp) driven by a minimal event loop, so that a --gc-sections link keeps
 * exactly what a node reaches.  Built against the Cortex-M4 library of PN_PROFILE 1
 * (resolve-only node: joins a cloud, answers the protocol, resolves names) and of
 * PN_PROFILE 2 (full node: also publishes names, signing its CPAs with a provisioned
 * RSA-1024 key read from DER).  Never run.
 *
 * Every byte of state is a static object here, so the image's .data + .bss is the
 * node's RAM: the engine struct, its Route Entry Cache (PN_FP_NODE_CACHE entries), its
 * output queue, one datagram buffer for the driver, and (full node) the RSA work area
 * the engine signs with.  The stack is reported separately. */
#include "peernet/pnrp.h"
#if PN_FEATURE_PNRP_REGISTER
#include "peernet/x509.h"
#endif

#ifndef PN_FP_NODE_CACHE /* a realistic small cache: leaf sets and a few levels */
#define PN_FP_NODE_CACHE 24
#endif

/* What the platform delivers: the compiler cannot see through these. */
volatile uint64_t pn_fp_now;
volatile uint32_t pn_fp_len;
volatile int pn_fp_cmd;
volatile int pn_fp_sink;
const uint8_t *volatile pn_fp_key_der;
const pn_pnrp_endpoint *volatile pn_fp_from;
const pn_pnrp_endpoint *volatile pn_fp_local;
const pn_pnrp_endpoint *volatile pn_fp_seed;
const uint8_t *volatile pn_fp_seed_bytes;
int main(void);

static pn_pnrp_node node;
static pn_pnrp_cache_entry cache[PN_FP_NODE_CACHE];
static uint8_t outq[PN_UDP_MAX + 20];
static uint8_t dgram[PN_UDP_MAX]; /* receive and send buffer of the driver */
static pn_pnrp_endpoint result;   /* the application's view of the last resolve */

static void on_event(void *ctx, const pn_pnrp_event *ev)
{
    (void)ctx;
    if (ev->type == PN_PNRP_EV_RESOLVED && ev->cpa->addr_count > 0)
        result = ev->cpa->addrs[0];
    pn_fp_sink = ev->type;
}

#if PN_FEATURE_PNRP_REGISTER
static pn_rsa_der_key key;
static pn_pnrp_identity ident;

static int publish(uint64_t now)
{
    static const pn_pnrp_registration zero;
    pn_pnrp_registration reg = zero;
    int r = pn_rsa_private_from_der(&key, pn_fp_key_der, pn_fp_len);
    if (r != PN_OK || (r = pn_pnrp_identity_init(&ident, &key.pub, &key.priv)) != PN_OK)
        return r;
    reg.name = (const char *)pn_fp_key_der;
    reg.name_len = pn_fp_len;
    reg.identity = &ident;
    return pn_pnrp_node_register(&node, now, &reg);
}
#endif

int main(void)
{
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    size_t i;
    pn_pnrp_node_config_default(&cfg);
    cfg.local[0] = *pn_fp_local;
    cfg.local_count = 1;
    cfg.seeds[0] = *pn_fp_seed;
    cfg.seed_count = 1;
    for (i = 0; i < sizeof cfg.seed; i++)
        cfg.seed[i] = pn_fp_seed_bytes[i];
    cfg.on_event = on_event;
    mem.cache = cache;
    mem.cache_cap = PN_FP_NODE_CACHE;
    mem.out = outq;
    mem.out_cap = sizeof outq;
    mem.reasm = NULL; /* single-fragment AUTHORITY only (CPAs of up to 1188 bytes) */
    if (pn_pnrp_node_init(&node, &cfg, &mem, pn_fp_now) != PN_OK)
        return 1;
    for (;;) {
        uint64_t now = pn_fp_now;
        pn_pnrp_endpoint to;
        int len;
        switch (pn_fp_cmd) {
        case 1: /* a datagram arrived */
            pn_pnrp_node_input(&node, now, pn_fp_from, dgram, pn_fp_len);
            break;
        case 2: /* the application resolves a name */
            pn_fp_sink = pn_pnrp_node_resolve(&node, now, (const char *)dgram, pn_fp_len,
                                              PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL);
            break;
#if PN_FEATURE_PNRP_REGISTER
        case 3: /* the application publishes a name, and withdraws it */
            pn_fp_sink = publish(now);
            break;
        case 4:
            pn_fp_sink = pn_pnrp_node_unregister(&node, now, 0);
            break;
#endif
        default:
            break;
        }
        if (pn_pnrp_node_next_deadline(&node) <= now)
            pn_pnrp_node_tick(&node, now);
        while ((len = pn_pnrp_node_poll_output(&node, dgram, sizeof dgram, &to)) > 0)
            pn_fp_sink = len + to.port + result.port;
    }
}
