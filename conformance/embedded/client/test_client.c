/* A resolve-only PNRP client on the bare-metal image (the library built for PN_PROFILE
 * 1: no registration, no signing, answers nothing; decision PORT-1) joins through a
 * full node and resolves the name that node publishes.  The full node is the engine
 * compiled for PN_PROFILE 2 in srv_node.c.  The two talk through a datagram queue in
 * .bss with a virtual clock, as in ../test_pnrp_node.c. */
#include "emb.h"
#include "peernet/hash.h"
#include "peernet/pnrp.h"
#include "srv.h"

int pn_emb_test_pnrp_resolve_only_client(void);

#if PN_FEATURE_PNRP_REGISTER || PN_PNRP_SERVE
#error "this image's library must be built for the resolve-only profile (PN_PROFILE=1)"
#endif

enum { QMAX = 24, DELAY_MS = 10, SRV = 0, CLI = 1 };

typedef struct dgram {
    uint64_t at;
    pn_pnrp_endpoint from, to;
    uint16_t len;
    uint8_t buf[PN_UDP_MAX];
} dgram;

static struct {
    pn_pnrp_node n; /* the client */
    pn_pnrp_cache_entry cache[16];
    uint8_t out[PN_UDP_MAX + 20]; /* the smallest output queue the engine accepts */
    pn_pnrp_endpoint ep[2];
    dgram q[QMAX];
    unsigned qn, lost;
    uint64_t now;
    int resolved, not_found, synced;
    pn_pnrp_id last_id;
    pn_pnrp_endpoint last_addr;
} t;

static void on_event(void *ctx, const pn_pnrp_event *ev)
{
    (void)ctx;
    if (ev->type == PN_PNRP_EV_RESOLVED) {
        t.resolved++;
        t.last_id = ev->id;
        if (ev->cpa->addr_count > 0)
            t.last_addr = ev->cpa->addrs[0];
    } else if (ev->type == PN_PNRP_EV_NOT_FOUND) {
        t.not_found++;
    } else if (ev->type == PN_PNRP_EV_SYNCED) {
        t.synced++;
    }
}

static int poll_node(int who, uint8_t *buf, pn_pnrp_endpoint *to)
{
    return who == SRV ? pn_emb_srv_poll(buf, PN_UDP_MAX, to)
                      : pn_pnrp_node_poll_output(&t.n, buf, PN_UDP_MAX, to);
}

static void collect(void)
{
    static uint8_t sink[PN_UDP_MAX];
    int who;
    for (who = 0; who < 2; who++) {
        for (;;) {
            pn_pnrp_endpoint to;
            dgram *d = t.qn < QMAX ? &t.q[t.qn] : NULL;
            int len = poll_node(who, d != NULL ? d->buf : sink, &to);
            if (len <= 0)
                break;
            if (d == NULL) {
                t.lost++;
                continue;
            }
            t.qn++;
            d->at = t.now + DELAY_MS;
            d->from = t.ep[who];
            d->to = to;
            d->len = (uint16_t)len;
        }
    }
}

static uint64_t deadline(void)
{
    uint64_t a = pn_emb_srv_deadline(), b = pn_pnrp_node_next_deadline(&t.n);
    return a < b ? a : b;
}

static void run(uint64_t until)
{
    for (;;) {
        uint64_t next = deadline();
        unsigned i, k;
        collect();
        for (i = 0; i < t.qn; i++)
            if (t.q[i].at < next)
                next = t.q[i].at;
        if (next > until) {
            t.now = until;
            return;
        }
        if (next > t.now)
            t.now = next;
        for (i = 0, k = 0; i < t.qn; i++) {
            dgram *d = &t.q[i];
            if (d->at > t.now) {
                if (k != i)
                    pn_emb_copy(&t.q[k], d, sizeof *d);
                k++;
            } else if (d->to.port == t.ep[SRV].port && pn_emb_eq(d->to.addr, t.ep[SRV].addr, 16)) {
                pn_emb_srv_input(t.now, &d->from, d->buf, d->len);
            } else if (d->to.port == t.ep[CLI].port && pn_emb_eq(d->to.addr, t.ep[CLI].addr, 16)) {
                pn_pnrp_node_input(&t.n, t.now, &d->from, d->buf, d->len);
            } else {
                t.lost++;
            }
        }
        t.qn = k;
        if (pn_emb_srv_deadline() <= t.now)
            pn_emb_srv_tick(t.now);
        if (pn_pnrp_node_next_deadline(&t.n) <= t.now)
            pn_pnrp_node_tick(&t.n, t.now);
    }
}

static const char name[] = "0.embedded";

/* Hand the client one message of type `type` from the full node's endpoint and report
 * whether it answered (1) or stayed silent (0). */
static int answers(uint8_t type, const pn_pnrp_id *about)
{
    static pn_pnrp_msg m;
    static uint8_t buf[PN_UDP_MAX];
    pn_pnrp_endpoint to;
    int len;
    pn_emb_copy(&m, &(pn_pnrp_msg){0}, sizeof m);
    m.type = type;
    m.msg_id = 0x5a5a0000u + type;
    if (type == PN_PNRP_INQUIRE) {
        m.u.inquire.validate = *about;
        m.u.inquire.flag_a = 1;
    } else if (type == PN_PNRP_LOOKUP) {
        m.u.lookup.target = *about;
        m.u.lookup.validate = *about;
        m.u.lookup.path.count = 1; /* the Flagged Path holds at least the sender */
        m.u.lookup.path.eps[0] = t.ep[SRV];
    }
    len = pn_pnrp_encode(&m, buf, sizeof buf, NULL);
    if (len <= 0)
        return -1;
    while (pn_pnrp_node_poll_output(&t.n, buf, sizeof buf, &to) > 0) {
    }
    pn_pnrp_node_input(&t.n, t.now, &t.ep[SRV], buf, (size_t)len);
    return pn_pnrp_node_poll_output(&t.n, buf, sizeof buf, &to) > 0;
}

int pn_emb_test_pnrp_resolve_only_client(void)
{
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    pn_pnrp_registration reg;
    const pn_pnrp_counters *c;
    pn_pnrp_id want;
    unsigned long signs;
    unsigned k, i;
    uint8_t *p = (uint8_t *)&t;
    for (k = 0; k < sizeof t; k++)
        p[k] = 0;
    t.now = 1000;
    for (i = 0; i < 2; i++) {
        t.ep[i].addr[0] = 0x20;
        t.ep[i].addr[1] = 0x01;
        t.ep[i].addr[2] = 0x0d;
        t.ep[i].addr[3] = 0xb8;
        t.ep[i].addr[15] = (uint8_t)(i + 1);
        t.ep[i].port = 3540;
    }

    /* The full node publishes the name. */
    PN_EMB_CHECK(pn_emb_srv_start(t.now, &t.ep[SRV], name, sizeof name - 1) == 0);
    PN_EMB_CHECK(pn_emb_srv_local_id(&want) == PN_OK);
    run(t.now + 3000);

    /* The client joins with the full node as its seed. */
    pn_pnrp_node_config_default(&cfg);
    cfg.local[0] = t.ep[CLI];
    cfg.local_count = 1;
    cfg.seeds[0] = t.ep[SRV];
    cfg.seed_count = 1;
    for (i = 0; i < sizeof cfg.seed; i++)
        cfg.seed[i] = (uint8_t)(0x30 + i);
    cfg.wall_offset_ms = 1795000000000;
    cfg.on_event = on_event;
    mem.cache = t.cache;
    mem.cache_cap = sizeof t.cache / sizeof t.cache[0];
    mem.out = t.out;
    mem.out_cap = sizeof t.out;
    mem.reasm = NULL;
    PN_EMB_CHECK(pn_pnrp_node_init(&t.n, &cfg, &mem, t.now) == PN_OK);
    run(t.now + 3000);
    PN_EMB_CHECK(t.synced == 1);
    PN_EMB_CHECK(pn_pnrp_node_cache(&t.n)->count == 1);

    /* It resolves the name through the full node's signed CPA. */
    signs = pn_emb_srv_signs();
    PN_EMB_CHECK(pn_pnrp_node_resolve(&t.n, t.now, name, sizeof name - 1,
                                      PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL) >= 0);
    run(t.now + 5000);
    c = pn_pnrp_node_counters(&t.n);
    PN_EMB_CHECK(t.resolved == 1 && t.not_found == 0);
    PN_EMB_CHECK(pn_pnrp_id_cmp(&t.last_id, &want) == 0);
    PN_EMB_CHECK(pn_emb_eq(t.last_addr.addr, t.ep[SRV].addr, 16) &&
                 t.last_addr.port == t.ep[SRV].port);
    PN_EMB_CHECK(c->resolves_ok == 1 && pn_emb_srv_signs() > signs);
    PN_EMB_CHECK(t.lost == 0);
    PN_EMB_CHECK(pn_pnrp_node_resolve(&t.n, t.now, "0.nobody", 8, PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0,
                                      NULL) >= 0);
    run(t.now + 10000);
    PN_EMB_CHECK(t.resolved == 1 && t.not_found == 1);

    /* Decision PORT-4: neither profile builds delegation.  A name whose CPA claims an
     * authority that is not its key's (a delegated name, 3.1.5.10) is refused and
     * counted, the resolve ends not found; the full node refuses an extended payload. */
    {
        static const char deleg[] = "4242424242424242424242424242424242424242.deleg";
        PN_EMB_CHECK(pn_emb_srv_publish_payload(t.now, name, sizeof name - 1) ==
                     PN_ERR_UNSUPPORTED);
        PN_EMB_CHECK(pn_emb_srv_publish_delegated(t.now, deleg, sizeof deleg - 1) >= 0);
        run(t.now + 3000);
        PN_EMB_CHECK(c->drop_chain == 0);
        PN_EMB_CHECK(pn_pnrp_node_resolve(&t.n, t.now, deleg, sizeof deleg - 1,
                                          PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL) >= 0);
        run(t.now + 10000);
        PN_EMB_CHECK(t.resolved == 1 && t.not_found == 2);
        PN_EMB_CHECK(c->drop_chain >= 1 && c->drop_xp == 0);
    }

    /* It publishes nothing and answers nothing (decision PORT-1), and says so. */
    for (k = 0; k < sizeof reg; k++)
        ((uint8_t *)&reg)[k] = 0;
    reg.name = name;
    reg.name_len = sizeof name - 1;
    PN_EMB_CHECK(pn_pnrp_node_register(&t.n, t.now, &reg) == PN_ERR_UNSUPPORTED);
    PN_EMB_CHECK(answers(PN_PNRP_INQUIRE, &want) == 0);
    PN_EMB_CHECK(answers(PN_PNRP_LOOKUP, &want) == 0);
    PN_EMB_CHECK(c->rx_by_type[PN_PNRP_INQUIRE] == 1 && c->rx_by_type[PN_PNRP_LOOKUP] == 1);

    /* A PNRP-only build offers no MD5 by name (decision PORT-2); SHA-1 still works. */
    {
        pn_hash_ctx h;
        PN_EMB_CHECK(pn_hash_init(&h, PN_HASH_MD5) == PN_ERR_CRYPTO_ALGORITHM);
        PN_EMB_CHECK(pn_hash_len(PN_HASH_MD5) == 0);
        PN_EMB_CHECK(pn_hash_init(&h, PN_HASH_SHA1) == PN_OK);
    }
    return 0;
}
