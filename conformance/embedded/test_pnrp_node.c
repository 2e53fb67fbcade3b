/* Two PNRP node engines on the bare-metal image: node A publishes "0.embedded", node B
 * joins through A and resolves the name.  Everything is static memory; the nodes talk
 * through a small in-memory datagram exchange (a queue in .bss, 10 ms of virtual delay per
 * datagram) and a virtual clock the loop below advances, as the simulator does on a host.
 * A signs its CPA with the fixed RSA-1024 leaf key of the x509 vectors (no key
 * generation on the device); B checks the signature before it reports the resolve. */
#include "emb.h"
#include "emb_vec.h"
#include "peernet/pnrp.h"
#include "peernet/x509.h"

int pn_emb_test_pnrp_two_node_register_resolve(void);

enum { NODES = 2, QMAX = 24, CACHE = 16, OUTQ = 2 * (PN_UDP_MAX + 20), DELAY_MS = 10 };

typedef struct emb_node {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[CACHE];
    uint8_t out[OUTQ];
    pn_pnrp_endpoint ep;
    int resolved, not_found, registered, synced;
    pn_pnrp_id last_id;
    pn_pnrp_endpoint last_addr;
    uint8_t last_app_count;
    uint16_t last_app_port;
} emb_node;

typedef struct emb_dgram {
    uint64_t at;
    pn_pnrp_endpoint from, to;
    uint16_t len;
    uint8_t buf[PN_UDP_MAX];
} emb_dgram;

/* The exchange: the two nodes and the datagrams in flight. */
static struct {
    emb_node nodes[NODES];
    emb_dgram q[QMAX];
    unsigned qn;
    uint64_t now;
    unsigned delivered, lost;
    /* Fault injection: flip a bit in the signature of every CPA A sends, to show that
     * a damaged CPA is not reported as a resolve. */
    int corrupt_a_sig;
    unsigned corrupted;
} net;

/* Flip one bit inside the CPA signature of an AUTHORITY datagram (decoded in place:
 * the decoders point into the datagram). */
static void corrupt_cpa_signature(emb_dgram *d)
{
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    const uint8_t *sig;
    if (pn_pnrp_decode(d->buf, d->len, 0, &m, NULL) != PN_OK || m.type != PN_PNRP_AUTHORITY ||
        m.u.authority.offset != 0 || m.u.authority.fragment.len != m.u.authority.size ||
        pn_pnrp_authority_buffer_decode(m.u.authority.fragment.p, m.u.authority.fragment.len, 0,
                                        &ab, NULL) != PN_OK ||
        !ab.has_cpa)
        return;
    /* The last 136 bytes of an Encoded CPA are its SIGNATURE field. */
    sig = ab.cpa.raw.p + ab.cpa.raw.len - 40;
    d->buf[sig - d->buf] ^= 0x10;
    net.corrupted++;
}

static void on_event(void *ctx, const pn_pnrp_event *ev)
{
    emb_node *t = ctx;
    switch (ev->type) {
    case PN_PNRP_EV_RESOLVED:
        t->resolved++;
        t->last_id = ev->id;
        if (ev->cpa->addr_count > 0)
            t->last_addr = ev->cpa->addrs[0];
        t->last_app_count = ev->cpa->app_count;
        if (ev->cpa->app_count > 0)
            t->last_app_port = ev->cpa->apps[0].port;
        break;
    case PN_PNRP_EV_NOT_FOUND:
        t->not_found++;
        break;
    case PN_PNRP_EV_REGISTERED:
        t->registered++;
        break;
    case PN_PNRP_EV_SYNCED:
        t->synced++;
        break;
    default:
        break;
    }
}

static int node_init(unsigned i, int seed_node)
{
    emb_node *t = &net.nodes[i];
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    unsigned k;
    pn_pnrp_node_config_default(&cfg);
    for (k = 0; k < 16; k++)
        t->ep.addr[k] = 0;
    t->ep.addr[0] = 0x20;
    t->ep.addr[1] = 0x01;
    t->ep.addr[2] = 0x0d;
    t->ep.addr[3] = 0xb8;
    t->ep.addr[15] = (uint8_t)(i + 1);
    t->ep.port = 3540;
    cfg.local[0] = t->ep;
    cfg.local_count = 1;
    if (seed_node >= 0) {
        cfg.seeds[0] = net.nodes[seed_node].ep;
        cfg.seed_count = 1;
    }
    for (k = 0; k < sizeof cfg.seed; k++)
        cfg.seed[k] = (uint8_t)(i * 31 + k);
    cfg.wall_offset_ms = 1795000000000; /* 2026-11-18: inside the CPA lifetime */
    cfg.on_event = on_event;
    cfg.event_ctx = t;
    mem.cache = t->cache;
    mem.cache_cap = CACHE;
    mem.out = t->out;
    mem.out_cap = sizeof t->out;
    mem.reasm = NULL; /* the CPAs here fit one AUTHORITY fragment */
    return pn_pnrp_node_init(&t->n, &cfg, &mem, net.now);
}

static int node_of(const pn_pnrp_endpoint *ep)
{
    unsigned i;
    for (i = 0; i < NODES; i++)
        if (net.nodes[i].ep.port == ep->port && pn_emb_eq(net.nodes[i].ep.addr, ep->addr, 16))
            return (int)i;
    return -1;
}

/* Move what the nodes want to send into the queue (a full queue loses the rest). */
static void collect(void)
{
    unsigned i;
    for (i = 0; i < NODES; i++) {
        for (;;) {
            emb_dgram *d;
            pn_pnrp_endpoint to;
            uint8_t *buf = net.qn < QMAX ? net.q[net.qn].buf : net.q[QMAX - 1].buf;
            int len;
            if (net.qn >= QMAX) {
                /* Drain into a slot that is then discarded. */
                static uint8_t sink[PN_UDP_MAX];
                buf = sink;
            }
            len = pn_pnrp_node_poll_output(&net.nodes[i].n, buf, PN_UDP_MAX, &to);
            if (len <= 0)
                break;
            if (net.qn >= QMAX) {
                net.lost++;
                continue;
            }
            d = &net.q[net.qn++];
            d->at = net.now + DELAY_MS;
            d->from = net.nodes[i].ep;
            d->to = to;
            d->len = (uint16_t)len;
            if (i == 0 && net.corrupt_a_sig)
                corrupt_cpa_signature(d);
        }
    }
}

/* Run the exchange until virtual time `until`: deliver due datagrams in order, fire due
 * timers, advance the clock to the next event. */
static void run(uint64_t until)
{
    for (;;) {
        uint64_t next = UINT64_MAX;
        unsigned i, k;
        collect();
        for (i = 0; i < net.qn; i++)
            if (net.q[i].at < next)
                next = net.q[i].at;
        for (i = 0; i < NODES; i++) {
            uint64_t d = pn_pnrp_node_next_deadline(&net.nodes[i].n);
            if (d < next)
                next = d;
        }
        if (next > until) {
            net.now = until;
            return;
        }
        if (next > net.now)
            net.now = next;
        for (i = 0, k = 0; i < net.qn; i++) {
            emb_dgram *d = &net.q[i];
            if (d->at <= net.now) {
                int dst = node_of(&d->to);
                if (dst >= 0) {
                    pn_pnrp_node_input(&net.nodes[dst].n, net.now, &d->from, d->buf, d->len);
                    net.delivered++;
                } else {
                    net.lost++;
                }
            } else {
                if (k != i)
                    pn_emb_copy(&net.q[k], d, sizeof *d);
                k++;
            }
        }
        net.qn = k;
        for (i = 0; i < NODES; i++)
            if (pn_pnrp_node_next_deadline(&net.nodes[i].n) <= net.now)
                pn_pnrp_node_tick(&net.nodes[i].n, net.now);
    }
}

static const char name_a[] = "0.embedded";

int pn_emb_test_pnrp_two_node_register_resolve(void)
{
    static pn_rsa_der_key key;
    static pn_pnrp_identity ident;
    pn_pnrp_registration reg;
    pn_pnrp_id want;
    emb_node *a = &net.nodes[0], *b = &net.nodes[1];
    const pn_pnrp_counters *ca, *cb;
    uint32_t b_auth, b_verifies, a_signs;
    unsigned k;
    uint8_t *p = (uint8_t *)&net;
    for (k = 0; k < sizeof net; k++)
        p[k] = 0;
    net.now = 1000;

    /* The fixed RSA-1024 key of the x509 vectors signs A's CPAs. */
    PN_EMB_CHECK(pn_rsa_private_from_der(&key, pn_emb_leaf_key_der, sizeof pn_emb_leaf_key_der) ==
                 PN_OK);
    PN_EMB_CHECK(pn_pnrp_identity_init(&ident, &key.pub, &key.priv) == PN_OK);

    /* A starts alone and publishes the name (an unsecured "0." name). */
    PN_EMB_CHECK(node_init(0, -1) == PN_OK);
    for (k = 0; k < sizeof reg; k++)
        ((uint8_t *)&reg)[k] = 0;
    reg.name = name_a;
    reg.name_len = sizeof name_a - 1;
    reg.identity = &ident;
    reg.app_count = 1;
    reg.apps[0].addr[0] = 0xfe;
    reg.apps[0].addr[1] = 0x80;
    reg.apps[0].addr[15] = 0x01;
    reg.apps[0].port = 8080;
    reg.apps[0].protocol = 6;
    PN_EMB_CHECK(pn_pnrp_node_register(&a->n, net.now, &reg) >= 0);
    PN_EMB_CHECK(pn_pnrp_node_local_id(&a->n, 0, &want) == PN_OK);
    run(net.now + 3000);

    /* B joins with A as its seed: SOLICIT, ADVERTISE, REQUEST, FLOOD, and A's ID enters
     * B's cache only after an INQUIRE/AUTHORITY round trip with a valid CPA. */
    PN_EMB_CHECK(node_init(1, 0) == PN_OK);
    run(net.now + 3000);
    PN_EMB_CHECK(b->synced == 1);
    PN_EMB_CHECK(pn_pnrp_node_cache(&b->n)->count == 1);

    /* B resolves the name: a real LOOKUP/INQUIRE walk answered by A's signed CPA. */
    cb = pn_pnrp_node_counters(&b->n);
    ca = pn_pnrp_node_counters(&a->n);
    b_auth = cb->rx_by_type[PN_PNRP_AUTHORITY];
    b_verifies = cb->verifies;
    a_signs = ca->signs;
    PN_EMB_CHECK(pn_pnrp_node_resolve(&b->n, net.now, name_a, sizeof name_a - 1,
                                      PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL) >= 0);
    run(net.now + 5000);
    PN_EMB_CHECK(b->resolved == 1);
    PN_EMB_CHECK(b->not_found == 0);
    PN_EMB_CHECK(pn_pnrp_id_cmp(&b->last_id, &want) == 0);
    /* A's endpoint and its application endpoint, from A's CPA. */
    PN_EMB_CHECK(pn_emb_eq(b->last_addr.addr, a->ep.addr, 16) && b->last_addr.port == a->ep.port);
    PN_EMB_CHECK(b->last_app_count == 1 && b->last_app_port == 8080);
    PN_EMB_CHECK(cb->rx_by_type[PN_PNRP_AUTHORITY] > b_auth);
    PN_EMB_CHECK(cb->resolves_ok == 1);
    /* A signed a CPA for B's nonce and B checked it. */
    PN_EMB_CHECK(cb->verifies > b_verifies && ca->signs > a_signs);
    PN_EMB_CHECK(net.lost == 0);

    /* A name nobody published is not found. */
    PN_EMB_CHECK(pn_pnrp_node_resolve(&b->n, net.now, "0.nobody", 8, PN_PNRP_SEARCH_ANY_PEERNAME, 0,
                                      0, NULL) >= 0);
    run(net.now + 10000);
    PN_EMB_CHECK(b->resolved == 1 && b->not_found == 1);

    /* A CPA damaged in flight (one byte of its signature) is refused: no resolve. */
    net.corrupt_a_sig = 1;
    PN_EMB_CHECK(pn_pnrp_node_resolve(&b->n, net.now, name_a, sizeof name_a - 1,
                                      PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL) >= 0);
    run(net.now + 10000);
    PN_EMB_CHECK(b->resolved == 1 && b->not_found == 2);
    PN_EMB_CHECK(net.corrupted > 0 && cb->drop_cpa > 0);
    return 0;
}
