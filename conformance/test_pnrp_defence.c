/* Defence of the PNRP node engine (include/peernet/pnrp_guard.h, decisions PE-30 to
 * PE-35): each table an attacker can reach is filled from one hostile source, and the
 * node keeps serving an honest peer; dropped messages change no state; the simulator's
 * hostile scenario meets the resolve target.  Deterministic: fixed seeds, virtual time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "peernet/hash.h"
#include "peernet/pnrp.h"
#include "peernet/wire.h"
#include "pn_test.h"

static const int64_t T0_MS = 1767225600000ll; /* 2026-01-01 */

/* ---- keys ---------------------------------------------------------------------------- */
static pn_rsa_keybuf g_keys[2];
static pn_pnrp_identity g_ids[2];
static int g_have_keys;

static int drbg_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

static void keys_once(void)
{
    pn_drbg d;
    uint8_t seed[32];
    int i;
    if (g_have_keys)
        return;
    memset(seed, 0x24, sizeof seed);
    ck_assert_int_eq(pn_drbg_init(&d, seed, sizeof seed, "defence", 7, NULL, 0), PN_OK);
    for (i = 0; i < 2; i++) {
        ck_assert_int_eq(pn_rsa_generate(&g_keys[i], 1024, drbg_rng, &d), PN_OK);
        ck_assert_int_eq(pn_pnrp_identity_init(&g_ids[i], &g_keys[i].pub, &g_keys[i].priv), PN_OK);
    }
    g_have_keys = 1;
}

/* ---- a small in-process network -------------------------------------------------------- */
#define DN_MAX 8
#define DQ_MAX 4096

typedef struct dnode {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    uint8_t out[PN_PNRP_DEFAULT_OUT];
    pn_pnrp_reasm *reasm;
    pn_pnrp_endpoint ep;
    int resolved, not_found, synced;
    pn_pnrp_id last_id;
} dnode;

typedef struct dpkt {
    uint64_t at;
    pn_pnrp_endpoint from, to;
    uint16_t len;
    uint8_t buf[PN_UDP_MAX];
} dpkt;

typedef struct dnet {
    dnode nodes[DN_MAX];
    size_t count;
    uint64_t now;
    dpkt *q;
    size_t qn;
    /* What nodes sent to addresses outside the network (the hostile sources). */
    uint32_t to_outside;
    pn_pnrp_msg last_out_msg;
    uint8_t last_out[PN_UDP_MAX];
    size_t last_out_len;
} dnet;

static void dn_event(void *ctx, const pn_pnrp_event *ev)
{
    dnode *t = (dnode *)ctx;
    if (ev->type == PN_PNRP_EV_RESOLVED) {
        t->resolved++;
        t->last_id = ev->id;
    } else if (ev->type == PN_PNRP_EV_NOT_FOUND) {
        t->not_found++;
    } else if (ev->type == PN_PNRP_EV_SYNCED) {
        t->synced++;
    }
}

static dnet *dn_new(void)
{
    dnet *net = (dnet *)calloc(1, sizeof *net);
    ck_assert_ptr_nonnull(net);
    net->q = (dpkt *)calloc(DQ_MAX, sizeof *net->q);
    ck_assert_ptr_nonnull(net->q);
    net->now = 1000;
    return net;
}

static void dn_free(dnet *net)
{
    size_t i;
    for (i = 0; i < net->count; i++)
        free(net->nodes[i].reasm);
    free(net->q);
    free(net);
}

static int dn_add(dnet *net, int seed_node, int with_reasm)
{
    dnode *t = &net->nodes[net->count];
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    pn_pnrp_node_config_default(&cfg);
    memset(t->ep.addr, 0, 16);
    t->ep.addr[0] = 0x20;
    t->ep.addr[1] = 0x01;
    t->ep.addr[15] = (uint8_t)(net->count + 1);
    t->ep.port = 3540;
    cfg.local[0] = t->ep;
    cfg.local_count = 1;
    if (seed_node >= 0) {
        cfg.seeds[0] = net->nodes[seed_node].ep;
        cfg.seed_count = 1;
    }
    memset(cfg.seed, (int)net->count + 11, sizeof cfg.seed);
    cfg.wall_offset_ms = T0_MS;
    cfg.on_event = dn_event;
    cfg.event_ctx = t;
    memset(&mem, 0, sizeof mem);
    mem.cache = t->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = t->out;
    mem.out_cap = sizeof t->out;
    if (with_reasm) {
        t->reasm = (pn_pnrp_reasm *)calloc(1, sizeof *t->reasm);
        ck_assert_ptr_nonnull(t->reasm);
        mem.reasm = t->reasm;
    }
    ck_assert_int_eq(pn_pnrp_node_init(&t->n, &cfg, &mem, net->now), PN_OK);
    return (int)net->count++;
}

static int dn_find(const dnet *net, const pn_pnrp_endpoint *ep)
{
    size_t i;
    for (i = 0; i < net->count; i++)
        if (net->nodes[i].ep.port == ep->port && memcmp(net->nodes[i].ep.addr, ep->addr, 16) == 0)
            return (int)i;
    return -1;
}

/* Move every node's output to the queue; what goes outside the network is counted and
 * the last such datagram kept. */
static void dn_collect(dnet *net)
{
    size_t i;
    for (i = 0; i < net->count; i++) {
        pn_pnrp_endpoint to;
        int len;
        while (net->qn < DQ_MAX &&
               (len = pn_pnrp_node_poll_output(&net->nodes[i].n, net->q[net->qn].buf, PN_UDP_MAX,
                                               &to)) > 0) {
            dpkt *p = &net->q[net->qn];
            if (dn_find(net, &to) < 0) {
                net->to_outside++;
                memcpy(net->last_out, p->buf, (size_t)len);
                net->last_out_len = (size_t)len;
                ck_assert_int_eq(pn_pnrp_decode(p->buf, (size_t)len, 0, &net->last_out_msg, NULL),
                                 PN_OK);
                continue;
            }
            net->qn++;
            p->at = net->now + 10;
            p->from = net->nodes[i].ep;
            p->to = to;
            p->len = (uint16_t)len;
        }
    }
}

static void dn_run(dnet *net, uint64_t until)
{
    for (;;) {
        uint64_t next = UINT64_MAX;
        size_t i, k;
        dn_collect(net);
        for (i = 0; i < net->qn; i++)
            if (net->q[i].at < next)
                next = net->q[i].at;
        for (i = 0; i < net->count; i++) {
            uint64_t d = pn_pnrp_node_next_deadline(&net->nodes[i].n);
            if (d < next)
                next = d;
        }
        if (next > until) {
            net->now = until;
            return;
        }
        if (next > net->now)
            net->now = next;
        for (i = 0, k = 0; i < net->qn; i++) {
            dpkt *p = &net->q[i];
            if (p->at <= net->now) {
                int dst = dn_find(net, &p->to);
                if (dst >= 0)
                    pn_pnrp_node_input(&net->nodes[dst].n, net->now, &p->from, p->buf, p->len);
            } else {
                if (k != i)
                    net->q[k] = *p;
                k++;
            }
        }
        net->qn = k;
        for (i = 0; i < net->count; i++)
            if (pn_pnrp_node_next_deadline(&net->nodes[i].n) <= net->now)
                pn_pnrp_node_tick(&net->nodes[i].n, net->now);
    }
}

static int dn_register(dnet *net, int node, const char *name, int key)
{
    pn_pnrp_registration r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.name_len = strlen(name);
    r.identity = &g_ids[key];
    return pn_pnrp_node_register(&net->nodes[node].n, net->now, &r);
}

/* n nodes joined through node 0, each registering "0.d<i>". */
static dnet *dn_cloud(size_t n, int with_reasm)
{
    dnet *net = dn_new();
    size_t i;
    keys_once();
    dn_add(net, -1, with_reasm);
    for (i = 1; i < n; i++) {
        dn_add(net, 0, with_reasm);
        dn_run(net, net->now + 200);
    }
    for (i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "0.d%u", (unsigned)i);
        ck_assert_int_ge(dn_register(net, (int)i, name, (int)(i & 1)), 0);
        dn_run(net, net->now + 300);
    }
    dn_run(net, net->now + 20000);
    return net;
}

/* Node `from` resolves "0.d<target>": 1 when the registered ID came back. */
static int dn_resolves(dnet *net, int from, int target)
{
    char name[16];
    pn_pnrp_id want;
    int before = net->nodes[from].resolved;
    snprintf(name, sizeof name, "0.d%u", (unsigned)target);
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[target].n, 0, &want), PN_OK);
    ck_assert_int_ge(pn_pnrp_node_resolve(&net->nodes[from].n, net->now, name, strlen(name),
                                          PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                     0);
    dn_run(net, net->now + 8000);
    return net->nodes[from].resolved == before + 1 &&
           pn_pnrp_id_cmp(&net->nodes[from].last_id, &want) == 0;
}

static void hostile_ep(pn_pnrp_endpoint *ep, uint8_t tag, uint16_t port)
{
    memset(ep, 0, sizeof *ep);
    ep->addr[0] = 0x20;
    ep->addr[1] = 0x01;
    ep->addr[2] = 0x0b;
    ep->addr[14] = 0x66;
    ep->addr[15] = tag;
    ep->port = port;
}

static size_t enc(const pn_pnrp_msg *m, uint8_t *buf)
{
    int len = pn_pnrp_encode(m, buf, PN_UDP_MAX, NULL);
    ck_assert_int_gt(len, 0);
    return (size_t)len;
}

static void feed(dnet *net, int node, const pn_pnrp_endpoint *from, const pn_pnrp_msg *m)
{
    uint8_t buf[PN_UDP_MAX];
    size_t len = enc(m, buf);
    pn_pnrp_node_input(&net->nodes[node].n, net->now, from, buf, len);
    dn_collect(net); /* keep the output queue drained, as a driver does */
}

static size_t used_pending(const pn_pnrp_node *n)
{
    size_t i, k = 0;
    for (i = 0; i < PN_PNRP_PENDING_MAX; i++)
        k += n->pending[i].used != 0;
    return k;
}

static size_t used_adds_from(const pn_pnrp_node *n, const pn_pnrp_endpoint *src)
{
    size_t i, k = 0;
    for (i = 0; i < PN_PNRP_ADDS_MAX; i++)
        k += n->adds[i].used && memcmp(n->adds[i].src.addr, src->addr, 16) == 0;
    return k;
}

/* ---- the rate limiter on its own ------------------------------------------------------ */
START_TEST(defence_rate_limit_bounds_one_source_and_refills)
{
    pn_pnrp_guard g;
    uint8_t key[16], a[16], b[16];
    int i, ok = 0;
    PN_REQ("PNRP-5.1-01");
    memset(key, 7, sizeof key);
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    a[15] = 1;
    b[15] = 2;
    pn_pnrp_guard_init(&g, key, 5000);
    /* A burst, then nothing more at the same instant. */
    for (i = 0; i < 1000; i++)
        ok += pn_pnrp_guard_charge(&g, 5000, a, PN_PNRP_GUARD_MSG) == PN_PNRP_GUARD_OK;
    ck_assert_int_eq(ok, PN_PNRP_RATE_MSG_BURST);
    /* Another source is not affected. */
    ck_assert_int_eq(pn_pnrp_guard_charge(&g, 5000, b, PN_PNRP_GUARD_MSG), PN_PNRP_GUARD_OK);
    /* One second later: the rate's worth (within the 1/64 rounding). */
    for (i = 0, ok = 0; i < 1000; i++)
        ok += pn_pnrp_guard_charge(&g, 6000, a, PN_PNRP_GUARD_MSG) == PN_PNRP_GUARD_OK;
    ck_assert_int_ge(ok, PN_PNRP_RATE_MSG_PER_S - 1);
    ck_assert_int_le(ok, PN_PNRP_RATE_MSG_PER_S);
    /* Work: the per-source bucket, then for signatures also the shared one. */
    for (i = 0, ok = 0; i < 1000; i++)
        ok += pn_pnrp_guard_charge(&g, 6000, a, PN_PNRP_GUARD_WORK) == PN_PNRP_GUARD_OK;
    ck_assert_int_eq(ok, PN_PNRP_RATE_WORK_BURST);
    ck_assert_int_eq(pn_pnrp_guard_charge(&g, 6000, a, PN_PNRP_GUARD_CRYPTO), PN_PNRP_GUARD_SOURCE);
    {
        int global = 0, src;
        uint8_t c[16];
        memset(c, 0, sizeof c);
        for (i = 0, ok = 0; i < 100000 && !global; i++) {
            c[0] = (uint8_t)i;
            c[1] = (uint8_t)(i >> 8);
            c[2] = (uint8_t)(i >> 16);
            src = pn_pnrp_guard_charge(&g, 6000, c, PN_PNRP_GUARD_CRYPTO);
            ok += src == PN_PNRP_GUARD_OK;
            global = src == PN_PNRP_GUARD_GLOBAL;
        }
        ck_assert_int_eq(global, 1);
        ck_assert_int_eq(ok, PN_PNRP_RATE_CRYPTO_BURST);
    }
}
END_TEST

START_TEST(defence_rate_table_fixed_spoofers_only_refresh_others)
{
    pn_pnrp_guard g;
    uint8_t key[16], flooder[16], honest[16], s[16];
    size_t i, before = sizeof g;
    int ok = 0;
    PN_REQ("PNRP-5.1-01");
    memset(key, 9, sizeof key);
    memset(flooder, 0x11, sizeof flooder);
    memset(honest, 0x22, sizeof honest);
    pn_pnrp_guard_init(&g, key, 0);
    /* The honest source spends part of its bucket. */
    for (i = 0; i < 10; i++)
        ck_assert_int_eq(pn_pnrp_guard_charge(&g, 100, honest, PN_PNRP_GUARD_MSG),
                         PN_PNRP_GUARD_OK);
    /* 100,000 spoofed sources: the table stays its configured size, every slot holds
     * one of them or a live source, and each spoofed address gets only its own burst. */
    memset(s, 0, sizeof s);
    for (i = 0; i < 100000; i++) {
        s[12] = (uint8_t)(i >> 16);
        s[13] = (uint8_t)(i >> 8);
        s[14] = (uint8_t)i;
        pn_pnrp_guard_charge(&g, 200, s, PN_PNRP_GUARD_MSG);
    }
    ck_assert_uint_eq(sizeof g, before);
    ck_assert_uint_ge(g.replaced, 100000 - PN_PNRP_GUARD_SLOTS);
    /* Whether or not it kept its slot, the honest source still gets a full share: its
     * bucket can only have been replaced by a full one. */
    for (i = 0; i < 1000; i++)
        ok += pn_pnrp_guard_charge(&g, 200, honest, PN_PNRP_GUARD_MSG) == PN_PNRP_GUARD_OK;
    ck_assert_int_ge(ok, PN_PNRP_RATE_MSG_BURST - 10);
    /* A source that floods continuously stays in its set (most recently seen) and stays
     * limited, even while spoofed sources churn the other slots. */
    for (i = 0, ok = 0; i < 2000; i++) {
        s[14] = (uint8_t)i;
        s[13] = 0x7f;
        pn_pnrp_guard_charge(&g, 300, s, PN_PNRP_GUARD_MSG);
        ok += pn_pnrp_guard_charge(&g, 300, flooder, PN_PNRP_GUARD_MSG) == PN_PNRP_GUARD_OK;
    }
    ck_assert_int_le(ok, PN_PNRP_RATE_MSG_BURST);
}
END_TEST

/* ---- the node: each table, flooded from one source ------------------------------------- */

/* A LOOKUP storm from one source: answered up to its burst, counted beyond it, no state
 * kept for it; an honest resolve through the node still succeeds. */
START_TEST(defence_lookup_storm_leaves_node_resolving)
{
    dnet *net = dn_cloud(6, 0);
    pn_pnrp_endpoint h;
    pn_pnrp_msg m;
    const pn_pnrp_counters *c = pn_pnrp_node_counters(&net->nodes[2].n);
    uint32_t answered0, i;
    PN_REQ("PNRP-5.1-01");
    hostile_ep(&h, 1, 40000);
    answered0 = net->to_outside;
    for (i = 0; i < 2000; i++) {
        memset(&m, 0, sizeof m);
        m.type = PN_PNRP_LOOKUP;
        m.msg_id = 1000 + i;
        m.u.lookup.target.b[0] = (uint8_t)i;
        m.u.lookup.target.b[5] = (uint8_t)(i >> 8);
        m.u.lookup.criteria = PN_PNRP_SEARCH_ANY_PEERNAME;
        m.u.lookup.path.count = 1;
        m.u.lookup.path.eps[0] = h;
        feed(net, 2, &h, &m);
    }
    ck_assert_uint_eq(net->to_outside - answered0, PN_PNRP_RATE_MSG_BURST);
    ck_assert_uint_eq(c->drop_rate, 2000 - PN_PNRP_RATE_MSG_BURST);
    ck_assert_uint_eq(used_pending(&net->nodes[2].n), 0);
    ck_assert_int_eq(dn_resolves(net, 2, 4), 1);
    ck_assert_int_eq(dn_resolves(net, 5, 2), 1);
    dn_free(net);
}
END_TEST

/* A FLOOD storm of route entries at unreachable addresses: admission (Pending Route Entry
 * Add List and Pending List) holds at most the source's quota; a node joining later is
 * admitted and resolvable. */
START_TEST(defence_flood_storm_cannot_fill_admission_tables)
{
    dnet *net = dn_cloud(5, 0);
    pn_pnrp_endpoint h;
    pn_pnrp_msg m;
    const pn_pnrp_node *x = &net->nodes[1].n;
    const pn_pnrp_counters *c = pn_pnrp_node_counters(x);
    uint32_t i;
    int nn;
    PN_REQ("PNRP-5.1-02");
    hostile_ep(&h, 2, 40001);
    for (i = 0; i < 500; i++) {
        memset(&m, 0, sizeof m);
        m.type = PN_PNRP_FLOOD;
        m.msg_id = 5000 + i;
        m.u.flood.flag_d = 1;
        m.u.flood.has_route = 1;
        m.u.flood.route.id.b[0] = (uint8_t)(i * 7);
        m.u.flood.route.id.b[1] = (uint8_t)i;
        m.u.flood.route.port = 3540;
        m.u.flood.route.addr_count = 1;
        m.u.flood.route.addrs[0][0] = 0x20;
        m.u.flood.route.addrs[0][1] = 0x01;
        m.u.flood.route.addrs[0][13] = 0xde; /* nobody there */
        m.u.flood.route.addrs[0][14] = (uint8_t)(i >> 8);
        m.u.flood.route.addrs[0][15] = (uint8_t)i;
        feed(net, 1, &h, &m);
        ck_assert_uint_le(used_adds_from(x, &h), PN_PNRP_ADDS_PER_SOURCE);
        if (i % 50 == 0)
            dn_run(net, net->now + 400);
    }
    ck_assert_uint_gt(c->drop_quota + c->drop_rate + c->drop_rate_work, 0);
    ck_assert_uint_le(c->adds_started, 500);
    /* A newcomer joins through node 1 and registers; everyone can resolve it. */
    nn = dn_add(net, 1, 0);
    dn_run(net, net->now + 3000);
    ck_assert_int_ge(dn_register(net, nn, "0.d5", 1), 0);
    dn_run(net, net->now + 20000);
    ck_assert_int_eq(dn_resolves(net, 3, nn), 1);
    ck_assert_int_eq(dn_resolves(net, nn, 2), 1);
    dn_free(net);
}
END_TEST

/* Route entries from many addresses at once: a full Pending Route Entry Add List keeps
 * the checks still within their first retransmission interval and ignores newcomers
 * (decision PE-72; 3.1.5.11: an entry that cannot be added is ignored); once the oldest
 * INQUIRE has been sent again, a newcomer takes its place (PE-31). */
/* A FLOOD from source src_tag carrying the route entry of ID 5a<tag>. */
static void flood_route_via(dnet *net, int node, uint8_t src_tag, uint8_t tag, uint32_t msg_id)
{
    pn_pnrp_endpoint h;
    pn_pnrp_msg m;
    hostile_ep(&h, src_tag, 40200);
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_FLOOD;
    m.msg_id = msg_id;
    m.u.flood.flag_d = 1;
    m.u.flood.has_route = 1;
    m.u.flood.route.id.b[0] = 0x5a;
    m.u.flood.route.id.b[1] = tag;
    m.u.flood.route.port = 3540;
    m.u.flood.route.addr_count = 1;
    m.u.flood.route.addrs[0][0] = 0x20;
    m.u.flood.route.addrs[0][1] = 0x01;
    m.u.flood.route.addrs[0][13] = 0xde; /* nobody there */
    m.u.flood.route.addrs[0][15] = tag;
    feed(net, node, &h, &m);
}

static void flood_route_from(dnet *net, int node, uint8_t tag, uint32_t msg_id)
{
    flood_route_via(net, node, tag, tag, msg_id);
}

static int adding(const pn_pnrp_node *n, uint8_t tag)
{
    size_t i;
    for (i = 0; i < PN_PNRP_ADDS_MAX; i++)
        if (n->adds[i].used && n->adds[i].id.b[0] == 0x5a && n->adds[i].id.b[1] == tag)
            return 1;
    return 0;
}

START_TEST(defence_full_admission_table_keeps_fresh_checks)
{
    dnet *net = dn_cloud(3, 0);
    const pn_pnrp_node *x = &net->nodes[1].n;
    const pn_pnrp_counters *c = pn_pnrp_node_counters(x);
    uint32_t started, full, k, free_slots = 0;
    PN_REQ("PNRP-3.1.5.11-11");
    for (k = 0; k < PN_PNRP_ADDS_MAX; k++)
        free_slots += !x->adds[k].used;
    ck_assert_uint_ge(free_slots, 2);
    started = c->adds_started;
    full = c->drop_table_full;
    for (k = 0; k < free_slots + 5; k++)
        flood_route_from(net, 1, (uint8_t)(10 + k), 6000 + k);
    /* The first ones are being checked; the rest were ignored and counted. */
    ck_assert_uint_eq(c->adds_started - started, free_slots);
    ck_assert_uint_eq(c->drop_table_full - full, 5);
    for (k = 0; k < free_slots; k++)
        ck_assert(adding(x, (uint8_t)(10 + k)));
    for (k = free_slots; k < free_slots + 5; k++)
        ck_assert(!adding(x, (uint8_t)(10 + k)));
    /* A second later every check has been sent again: a newcomer now replaces one. */
    net->now += PN_PNRP_RETRANSMIT_MS - 1;
    dn_run(net, net->now + 2);
    flood_route_from(net, 1, 99, 6099);
    ck_assert(adding(x, 99));
    dn_free(net);
}
END_TEST

/* Decision PE-75: a route entry refused because the admission table is full costs its
 * source nothing.  One source sends more refused entries than its work burst; they are
 * all counted as table-full drops, none as rate drops, and the source's next entry, once
 * a check may give way, starts an INQUIRE. */
START_TEST(defence_refused_admission_is_not_charged)
{
    dnet *net = dn_cloud(3, 0);
    const pn_pnrp_node *x = &net->nodes[1].n;
    const pn_pnrp_counters *c = pn_pnrp_node_counters(x);
    uint32_t full, work, rate, k, free_slots = 0;
    PN_REQ("PNRP-3.1.5.11-12");
    for (k = 0; k < PN_PNRP_ADDS_MAX; k++)
        free_slots += !x->adds[k].used;
    for (k = 0; k < free_slots; k++) /* fresh checks, from sources of their own */
        flood_route_from(net, 1, (uint8_t)(10 + k), 6000 + k);
    full = c->drop_table_full;
    work = c->drop_rate_work;
    rate = c->drop_rate;
    for (k = 0; k < PN_PNRP_RATE_WORK_BURST + 8; k++)
        flood_route_via(net, 1, 200, (uint8_t)(100 + k), 7000 + k);
    ck_assert_uint_eq(c->drop_rate, rate); /* the FLOODs themselves were let in */
    ck_assert_uint_eq(c->drop_table_full - full, PN_PNRP_RATE_WORK_BURST + 8);
    ck_assert_uint_eq(c->drop_rate_work, work);
    net->now += PN_PNRP_RETRANSMIT_MS - 1;
    dn_run(net, net->now + 2);
    flood_route_via(net, 1, 200, 99, 7999);
    ck_assert(adding(x, 99));
    ck_assert_uint_eq(c->drop_rate_work, work);
    dn_free(net);
}
END_TEST

/* A SOLICIT storm with fresh nonces: one source holds one answered conversation; an
 * honest node still synchronises with the flooded node. */
START_TEST(defence_solicit_storm_holds_one_conversation)
{
    dnet *net = dn_cloud(3, 0);
    pn_pnrp_endpoint h;
    pn_pnrp_msg m;
    const pn_pnrp_node *x = &net->nodes[0].n;
    uint32_t i, k, held;
    int nn;
    PN_REQ("PNRP-5.1-02");
    for (k = 0; k < 4; k++) { /* the same address from several ports */
        hostile_ep(&h, 3, (uint16_t)(40010 + k));
        for (i = 0; i < 50; i++) {
            memset(&m, 0, sizeof m);
            m.type = PN_PNRP_SOLICIT;
            m.msg_id = 9000 + i;
            m.u.solicit.hashed_nonce[0] = (uint8_t)i;
            m.u.solicit.hashed_nonce[1] = (uint8_t)k;
            feed(net, 0, &h, &m);
        }
    }
    for (i = 0, held = 0; i < PN_PNRP_CONV_IN; i++)
        held += x->conv_in[i].used && memcmp(x->conv_in[i].peer.addr, h.addr, 16) == 0;
    ck_assert_uint_le(held, PN_PNRP_CONV_IN_PER_SOURCE);
    /* Many addresses can fill the table.  While every conversation in it is younger
     * than a retransmission interval, a newcomer finds the node busy (decision PE-72):
     * an ADVERTISE without IDs (3.2.5.3), and the table is left as it was. */
    PN_REQ("PNRP-3.2.5.3-10");
    for (k = 0; k < PN_PNRP_CONV_IN + 1; k++) {
        hostile_ep(&h, (uint8_t)(100 + k), 40100);
        memset(&m, 0, sizeof m);
        m.type = PN_PNRP_SOLICIT;
        m.msg_id = 9900 + k;
        m.u.solicit.hashed_nonce[0] = (uint8_t)k;
        feed(net, 0, &h, &m);
        net->now += 10;
    }
    ck_assert_int_eq(net->last_out_msg.type, PN_PNRP_ADVERTISE);
    ck_assert_uint_eq(net->last_out_msg.u.advertise.acked_id, 9900 + PN_PNRP_CONV_IN);
    ck_assert_uint_eq(net->last_out_msg.u.advertise.ids.count, 0);
    ck_assert_uint_ge(pn_pnrp_node_counters(x)->drop_table_full, 1);
    for (i = 0, held = 0; i < PN_PNRP_CONV_IN; i++) {
        held += x->conv_in[i].used;
        ck_assert(!x->conv_in[i].used || x->conv_in[i].peer.addr[15] != 100 + PN_PNRP_CONV_IN);
    }
    ck_assert_uint_eq(held, PN_PNRP_CONV_IN);
    /* Once the oldest has waited a whole retransmission interval without its REQUEST, a
     * newcomer replaces it (decision PE-31) and is answered with IDs. */
    net->now += PN_PNRP_RETRANSMIT_MS;
    hostile_ep(&h, (uint8_t)(101 + PN_PNRP_CONV_IN), 40100);
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_SOLICIT;
    m.msg_id = 9990;
    m.u.solicit.hashed_nonce[0] = 0x77;
    feed(net, 0, &h, &m);
    ck_assert_int_eq(net->last_out_msg.type, PN_PNRP_ADVERTISE);
    ck_assert_uint_eq(net->last_out_msg.u.advertise.acked_id, 9990);
    ck_assert_uint_gt(net->last_out_msg.u.advertise.ids.count, 0);
    for (i = 0, held = 0; i < PN_PNRP_CONV_IN; i++)
        held += x->conv_in[i].used;
    ck_assert_uint_eq(held, PN_PNRP_CONV_IN);
    /* With the table full of entries that never finish, an honest node synchronises at
     * once (well within the Conversation Timer). */
    nn = dn_add(net, 0, 0);
    dn_run(net, net->now + 3000);
    ck_assert_int_ge(net->nodes[nn].synced, 1);
    ck_assert_uint_gt(pn_pnrp_node_cache(&net->nodes[nn].n)->count, 0);
    dn_free(net);
}
END_TEST

/* INQUIREs asking for a CPA cost a signature each: one source gets at most its work
 * burst of them; another source's INQUIRE is still answered with the CPA. */
START_TEST(defence_inquire_storm_bounds_signatures)
{
    dnet *net = dn_cloud(3, 0);
    pn_pnrp_endpoint h, p;
    pn_pnrp_msg m;
    pn_pnrp_id id;
    const pn_pnrp_counters *c = pn_pnrp_node_counters(&net->nodes[1].n);
    uint32_t signs0 = c->signs, i;
    PN_REQ("PNRP-5.1-01");
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[1].n, 0, &id), PN_OK);
    hostile_ep(&h, 4, 40020);
    for (i = 0; i < 300; i++) {
        memset(&m, 0, sizeof m);
        m.type = PN_PNRP_INQUIRE;
        m.msg_id = 7000 + i;
        m.u.inquire.flag_a = 1;
        m.u.inquire.validate = id;
        m.u.inquire.has_nonce = 1; /* a non-zero nonce each: each costs a signature */
        m.u.inquire.nonce[0] = 1;
        m.u.inquire.nonce[1] = (uint8_t)i;
        feed(net, 1, &h, &m);
    }
    ck_assert_uint_eq(c->signs - signs0, PN_PNRP_RATE_WORK_BURST);
    /* Past its datagram burst it is not even decoded further; within it, past its work
     * burst it gets no signature. */
    ck_assert_uint_eq(c->drop_rate, 300 - PN_PNRP_RATE_MSG_BURST);
    ck_assert_uint_eq(c->drop_rate_work, PN_PNRP_RATE_MSG_BURST - PN_PNRP_RATE_WORK_BURST);
    hostile_ep(&p, 5, 40021);
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_INQUIRE;
    m.msg_id = 7777;
    m.u.inquire.flag_a = 1;
    m.u.inquire.validate = id;
    feed(net, 1, &p, &m);
    ck_assert_int_eq(net->last_out_msg.type, PN_PNRP_AUTHORITY);
    ck_assert_uint_eq(net->last_out_msg.u.authority.acked_id, 7777);
    {
        pn_pnrp_authority_buffer ab;
        ck_assert_int_eq(pn_pnrp_authority_buffer_decode(net->last_out_msg.u.authority.fragment.p,
                                                         net->last_out_msg.u.authority.fragment.len,
                                                         0, &ab, NULL),
                         PN_OK);
        ck_assert_int_eq(ab.has_cpa, 1);
    }
    dn_free(net);
}
END_TEST

/* Decision PE-62: an INQUIRE without a nonce gets the same zero-nonce CPA, signed once
 * and answered from the remembered signature while half its lifetime remains; one with a
 * nonce is signed for that nonce; an admission INQUIRE carries no nonce. */
static void inquire_cpa(dnet *net, const pn_pnrp_endpoint *from, uint32_t msg_id,
                        const pn_pnrp_id *id, const uint8_t *nonce, uint8_t *cpa, size_t *cpa_len)
{
    pn_pnrp_msg m;
    pn_pnrp_authority_buffer ab;
    pn_pnrp_cpa_expect e;
    static const uint8_t zero[16] = {0};
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_INQUIRE;
    m.msg_id = msg_id;
    m.u.inquire.flag_a = 1;
    m.u.inquire.validate = *id;
    if (nonce != NULL) {
        m.u.inquire.has_nonce = 1;
        memcpy(m.u.inquire.nonce, nonce, 16);
    }
    feed(net, 1, from, &m);
    ck_assert_int_eq(net->last_out_msg.type, PN_PNRP_AUTHORITY);
    ck_assert_uint_eq(net->last_out_msg.u.authority.acked_id, msg_id);
    ck_assert_int_eq(pn_pnrp_authority_buffer_decode(net->last_out_msg.u.authority.fragment.p,
                                                     net->last_out_msg.u.authority.fragment.len, 0,
                                                     &ab, NULL),
                     PN_OK);
    ck_assert_int_eq(ab.has_cpa, 1);
    /* Every answer is a CPA that validates (signature included) for that nonce. */
    memset(&e, 0, sizeof e);
    e.now_filetime = pn_pnrp_filetime(net->nodes[1].n.cfg.wall_offset_ms + (int64_t)net->now);
    e.nonce = nonce != NULL ? nonce : zero;
    e.id = id;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&ab.cpa, &e), PN_OK);
    ck_assert_uint_le(ab.cpa.raw.len, 700);
    memcpy(cpa, ab.cpa.raw.p, ab.cpa.raw.len);
    *cpa_len = ab.cpa.raw.len;
}

START_TEST(pnrp_zero_nonce_cpa_signature_reused)
{
    dnet *net = dn_cloud(3, 0);
    const pn_pnrp_counters *c = pn_pnrp_node_counters(&net->nodes[1].n);
    pn_pnrp_endpoint from[6];
    pn_pnrp_id id;
    uint8_t first[700], again[700], nonce[16];
    size_t first_len, again_len, k;
    uint32_t signs;
    pn_pnrp_msg m;
    uint8_t buf[PN_UDP_MAX];
    int got, seen = 0;
    PN_REQ("PNRP-3.2.5.6-10");
    PN_REQ("PNRP-3.1.5.11-10");
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[1].n, 0, &id), PN_OK);
    for (k = 0; k < 6; k++) /* one source each: the rate limits stay out of the way */
        hostile_ep(&from[k], (uint8_t)(30 + k), (uint16_t)(41000 + k));
    inquire_cpa(net, &from[0], 8001, &id, NULL, first, &first_len);
    signs = c->signs;
    /* Again without a nonce: byte for byte the same CPA, no RSA operation. */
    inquire_cpa(net, &from[1], 8002, &id, NULL, again, &again_len);
    ck_assert_uint_eq(again_len, first_len);
    ck_assert_int_eq(memcmp(again, first, first_len), 0);
    ck_assert_uint_eq(c->signs, signs);
    /* A nonce is signed into its own CPA (a different one each time)... */
    memset(nonce, 0xA5, sizeof nonce);
    inquire_cpa(net, &from[2], 8003, &id, nonce, again, &again_len);
    ck_assert_uint_eq(c->signs, signs + 1);
    ck_assert_int_ne(memcmp(again, first, first_len), 0);
    nonce[0] = 0x5A;
    inquire_cpa(net, &from[3], 8004, &id, nonce, again, &again_len);
    ck_assert_uint_eq(c->signs, signs + 2);
    /* ...and does not displace the remembered zero-nonce one. */
    inquire_cpa(net, &from[4], 8005, &id, NULL, again, &again_len);
    ck_assert_int_eq(memcmp(again, first, first_len), 0);
    ck_assert_uint_eq(c->signs, signs + 2);
    /* Past half the CPA lifetime a new one is signed, with a later Not After. */
    net->now += (uint64_t)net->nodes[1].n.cfg.cpa_lifetime_s * 500u + 1000u;
    inquire_cpa(net, &from[5], 8006, &id, NULL, again, &again_len);
    ck_assert_uint_eq(c->signs, signs + 3);
    ck_assert_int_ne(memcmp(again, first, first_len), 0);
    /* An admission INQUIRE (a route entry learnt from a LOOKUP) goes without a nonce. */
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_LOOKUP;
    m.msg_id = 8100;
    m.u.lookup.target = id;
    m.u.lookup.has_route = 1;
    m.u.lookup.route.id = id;
    m.u.lookup.route.id.b[31] ^= 1; /* right next to the local ID: in its leaf set */
    m.u.lookup.route.port = from[0].port;
    m.u.lookup.route.addr_count = 1;
    memcpy(m.u.lookup.route.addrs[0], from[0].addr, 16);
    m.u.lookup.path.count = 1;
    m.u.lookup.path.eps[0] = from[0];
    pn_pnrp_node_input(&net->nodes[1].n, net->now, &from[0], buf, enc(&m, buf));
    {
        pn_pnrp_endpoint to;
        while ((got = pn_pnrp_node_poll_output(&net->nodes[1].n, buf, sizeof buf, &to)) > 0) {
            pn_pnrp_msg o;
            ck_assert_int_eq(pn_pnrp_decode(buf, (size_t)got, 0, &o, NULL), PN_OK);
            if (o.type == PN_PNRP_INQUIRE &&
                pn_pnrp_id_cmp(&o.u.inquire.validate, &m.u.lookup.route.id) == 0) {
                ck_assert_int_eq(o.u.inquire.has_nonce, 0);
                ck_assert_int_eq(o.u.inquire.flag_a, 1); /* 3.2.5.1: a leaf-set ID */
                seen = 1;
            }
        }
    }
    ck_assert_int_eq(seen, 1);
    dn_free(net);
}
END_TEST

/* Reassembly: a hop the node asked may answer with fragments under many Message IDs;
 * it holds one slot, and another hop's fragmented AUTHORITY is still reassembled. */
START_TEST(defence_fragment_storm_holds_one_reassembly)
{
    dnet *net = dn_new();
    pn_pnrp_node *x;
    pn_pnrp_endpoint h, p;
    pn_pnrp_msg m;
    uint32_t iq_h = 0, iq_p = 0, i;
    static uint8_t chain[1300], abuf[3000];
    uint8_t buf[PN_UDP_MAX];
    pn_pnrp_authority_buffer ab;
    int ablen, got;
    size_t held, k;
    PN_REQ("PNRP-5.1-02");
    PN_REQ("PNRP-5.1-05");
    keys_once();
    dn_add(net, -1, 1);
    x = &net->nodes[0].n;
    hostile_ep(&h, 6, 40030);
    hostile_ep(&p, 7, 40031);
    /* Each announces itself in a LOOKUP route entry: the node INQUIREs both. */
    for (k = 0; k < 2; k++) {
        const pn_pnrp_endpoint *who = k ? &p : &h;
        memset(&m, 0, sizeof m);
        m.type = PN_PNRP_LOOKUP;
        m.msg_id = 50 + (uint32_t)k;
        m.u.lookup.target.b[0] = 0x80;
        m.u.lookup.has_route = 1;
        m.u.lookup.route.id.b[0] = (uint8_t)(0x81 + k);
        m.u.lookup.route.port = who->port;
        m.u.lookup.route.addr_count = 1;
        memcpy(m.u.lookup.route.addrs[0], who->addr, 16);
        m.u.lookup.path.count = 1;
        m.u.lookup.path.eps[0] = *who;
        enc(&m, buf);
        pn_pnrp_node_input(x, net->now, who, buf, enc(&m, buf));
        while ((got = pn_pnrp_node_poll_output(x, buf, sizeof buf, &net->nodes[0].ep)) > 0) {
            pn_pnrp_msg o;
            ck_assert_int_eq(pn_pnrp_decode(buf, (size_t)got, 0, &o, NULL), PN_OK);
            if (o.type == PN_PNRP_INQUIRE)
                *(k ? &iq_p : &iq_h) = o.msg_id;
        }
    }
    net->nodes[0].ep = x->cfg.local[0];
    ck_assert_uint_ne(iq_h, 0);
    ck_assert_uint_ne(iq_p, 0);
    memset(&ab, 0, sizeof ab);
    ab.has_cert_chain = 1;
    memset(chain, 0x30, sizeof chain);
    ab.cert_chain.p = chain;
    ab.cert_chain.len = sizeof chain;
    ab.has_route = 1;
    /* The hostile hop: first fragments under 20 Message IDs. */
    for (i = 0; i < 20; i++) {
        ab.route.id.b[0] = 0x81;
        ab.route.port = h.port;
        ab.route.addr_count = 1;
        memcpy(ab.route.addrs[0], h.addr, 16);
        ablen = pn_pnrp_authority_buffer_encode(&ab, abuf, sizeof abuf, NULL);
        ck_assert_int_gt(ablen, PN_PNRP_FRAGMENT_LEN);
        got = pn_pnrp_fragment_encode(300 + i, iq_h, abuf, (size_t)ablen, 0, buf, sizeof buf, NULL);
        ck_assert_int_gt(got, 0);
        pn_pnrp_node_input(x, net->now, &h, buf, (size_t)got);
    }
    for (k = 0, held = 0; k < PN_PNRP_REASSEMBLY_SLOTS; k++)
        held += net->nodes[0].reasm->slots[k].used &&
                memcmp(net->nodes[0].reasm->slots[k].addr, h.addr, 16) == 0;
    ck_assert_uint_le(held, PN_PNRP_REASM_PER_SOURCE);
    ck_assert_uint_ge(pn_pnrp_node_counters(x)->drop_quota, 20 - PN_PNRP_REASM_PER_SOURCE);
    /* The honest hop's two fragments complete and it is admitted. */
    ab.route.id.b[0] = 0x82;
    ab.route.port = p.port;
    memcpy(ab.route.addrs[0], p.addr, 16);
    ablen = pn_pnrp_authority_buffer_encode(&ab, abuf, sizeof abuf, NULL);
    for (k = 0; k < 2; k++) {
        got = pn_pnrp_fragment_encode(900, iq_p, abuf, (size_t)ablen, k, buf, sizeof buf, NULL);
        pn_pnrp_node_input(x, net->now, &p, buf, (size_t)got);
    }
    {
        pn_pnrp_id want;
        memset(&want, 0, sizeof want);
        want.b[0] = 0x82;
        ck_assert_ptr_nonnull(
            pn_pnrp_cache_find((pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(x), &want));
    }
    /* Replayed, the same fragments answer nothing any more. */
    {
        uint32_t unsol = pn_pnrp_node_counters(x)->drop_unsolicited;
        size_t count = pn_pnrp_node_cache(x)->count;
        for (k = 0; k < 2; k++) {
            got = pn_pnrp_fragment_encode(900, iq_p, abuf, (size_t)ablen, k, buf, sizeof buf, NULL);
            pn_pnrp_node_input(x, net->now, &p, buf, (size_t)got);
        }
        ck_assert_uint_eq(pn_pnrp_node_counters(x)->drop_unsolicited, unsol + 2);
        ck_assert_uint_eq(pn_pnrp_node_cache(x)->count, count);
        for (k = 0; k < PN_PNRP_REASSEMBLY_SLOTS; k++)
            ck_assert_int_eq(net->nodes[0].reasm->slots[k].used &&
                                 memcmp(net->nodes[0].reasm->slots[k].addr, p.addr, 16) == 0,
                             0);
    }
    dn_free(net);
}
END_TEST

/* A revoke CPA correctly signed by someone else's key for a cached unsecured name (or
 * with a broken signature) does not evict the entry; the publisher's own revoke does. */
START_TEST(defence_forged_revoke_keeps_entry)
{
    dnet *net = dn_cloud(5, 0);
    pn_pnrp_endpoint h;
    pn_pnrp_msg m;
    pn_pnrp_cpa_params pp;
    pn_pnrp_cpa cpa;
    pn_pnrp_id id;
    static uint8_t cbuf[700];
    static union {
        uint64_t a;
        uint8_t b[PN_RSA_WORK_BYTES(1024)];
    } work;
    pn_drbg d;
    uint8_t seed[32] = {3};
    int len, holder = -1;
    size_t i;
    const pn_pnrp_counters *c;
    PN_REQ("PNRP-5.1-04");
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[3].n, 0, &id), PN_OK);
    for (i = 0; i < 5 && holder < 0; i++)
        if (i != 3 &&
            pn_pnrp_cache_find((pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&net->nodes[i].n),
                               &id) != NULL)
            holder = (int)i;
    ck_assert_int_ge(holder, 0);
    c = pn_pnrp_node_counters(&net->nodes[holder].n);
    /* "0.d3" revoked by key 0 (node 3 signs with key 1). */
    memset(&pp, 0, sizeof pp);
    pp.identity = &g_ids[0];
    pp.revoke = 1;
    pn_pnrp_classifier_hash("d3", 2, pp.classifier_hash);
    memcpy(pp.service_loc, id.b + 16, 16);
    pp.not_after = pn_pnrp_filetime(T0_MS + (int64_t)net->now + 3600000);
    pn_drbg_init(&d, seed, sizeof seed, NULL, 0, NULL, 0);
    len = pn_pnrp_cpa_build(&pp, cbuf, sizeof cbuf, pn_drbg_rng, &d, &work, sizeof work);
    ck_assert_int_gt(len, 0);
    ck_assert_int_eq(pn_pnrp_cpa_decode(cbuf, (size_t)len, 0, &cpa, NULL), PN_OK);
    hostile_ep(&h, 8, 40040);
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_FLOOD;
    m.msg_id = 4242;
    m.u.flood.flag_d = 1;
    m.u.flood.has_revoke = 1;
    m.u.flood.revoke = cpa;
    feed(net, holder, &h, &m);
    dn_run(net, net->now + 4000);
    ck_assert_ptr_nonnull(pn_pnrp_cache_find(
        (pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&net->nodes[holder].n), &id));
    ck_assert_uint_ge(c->drop_revoke_forged, 1);
    /* A broken signature is refused before anything else. */
    cbuf[len - 5] ^= 0x40;
    ck_assert_int_eq(pn_pnrp_cpa_decode(cbuf, (size_t)len, 0, &cpa, NULL), PN_OK);
    m.u.flood.revoke = cpa;
    m.msg_id = 4243;
    {
        uint32_t before = c->drop_cpa;
        feed(net, holder, &h, &m);
        ck_assert_uint_eq(c->drop_cpa, before + 1);
    }
    ck_assert_int_eq(dn_resolves(net, 0, 3), 1);
    /* The publisher's own revoke takes effect. */
    ck_assert_int_eq(pn_pnrp_node_unregister(&net->nodes[3].n, net->now, 0), PN_OK);
    dn_run(net, net->now + 5000);
    ck_assert_ptr_null(pn_pnrp_cache_find(
        (pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&net->nodes[holder].n), &id));
    dn_free(net);
}
END_TEST

/* Every dropped message leaves the node as it was, apart from its counters and the
 * rate limiter's bookkeeping: unsolicited, replayed, out-of-order, bad-nonce, forged,
 * malformed. */
static void same_state(const pn_pnrp_node *a, const pn_pnrp_node *b)
{
    static pn_pnrp_node x, y;
    x = *a;
    y = *b;
    memset(&x.ctr, 0, sizeof x.ctr);
    memset(&y.ctr, 0, sizeof y.ctr);
    memset(&x.guard, 0, sizeof x.guard);
    memset(&y.guard, 0, sizeof y.guard);
    ck_assert_int_eq(memcmp(&x, &y, sizeof x), 0);
}

START_TEST(defence_dropped_messages_change_no_state)
{
    dnet *net = dn_cloud(3, 1);
    static pn_pnrp_node before;
    static pn_pnrp_cache_entry cache_before[PN_PNRP_DEFAULT_CACHE];
    pn_pnrp_node *x = &net->nodes[0].n;
    pn_pnrp_endpoint h, peer = net->nodes[1].ep;
    pn_pnrp_msg m;
    uint8_t buf[PN_UDP_MAX], ab[16] = {0};
    const pn_pnrp_counters *c = pn_pnrp_node_counters(x);
    uint32_t drops0;
    int n, step;
    PN_REQ("PNRP-5.1-05");
    PN_REQ("PNRP-3.1.5.4-01");
    PN_REQ("PNRP-3.1.5.3-02");
    PN_REQ("PNRP-3.2.5.4-02");
    hostile_ep(&h, 9, 40050);
    for (step = 0; step < 9; step++) {
        const pn_pnrp_endpoint *from = &h;
        size_t len = 0;
        memset(&m, 0, sizeof m);
        m.msg_id = 60000 + (uint32_t)step;
        switch (step) {
        case 0: /* ACK of nothing */
            m.type = PN_PNRP_ACK;
            m.u.ack.acked_id = 123;
            break;
        case 1: /* ADVERTISE of no SOLICIT, from a real peer */
            m.type = PN_PNRP_ADVERTISE;
            m.u.advertise.acked_id = 124;
            from = &peer;
            break;
        case 2: /* REQUEST without a conversation */
            m.type = PN_PNRP_REQUEST;
            break;
        case 3: /* AUTHORITY of nothing (also a replay of an answered one) */
            n = pn_pnrp_fragment_encode(m.msg_id, 125, ab, 8, 0, buf, sizeof buf, NULL);
            len = (size_t)n;
            from = &peer;
            break;
        case 4: /* an ACK with the right ID from the wrong address */
        {
            size_t i;
            m.type = PN_PNRP_ACK;
            for (i = 0; i < PN_PNRP_PENDING_MAX; i++)
                if (x->pending[i].used)
                    m.u.ack.acked_id = x->pending[i].msg_id;
            break;
        }
        case 5: /* junk */
            memset(buf, 0xa5, 40);
            len = 40;
            break;
        case 6: /* a truncated LOOKUP */
            m.type = PN_PNRP_LOOKUP;
            m.u.lookup.path.count = 1;
            m.u.lookup.path.eps[0] = h;
            len = enc(&m, buf) - 3;
            break;
        case 7: /* low source port */
            m.type = PN_PNRP_LOOKUP;
            m.u.lookup.path.count = 1;
            m.u.lookup.path.eps[0] = h;
            h.port = 1000;
            break;
        default: /* REQUEST with a wrong nonce inside a live conversation: set one up */
        {
            pn_pnrp_msg so;
            memset(&so, 0, sizeof so);
            so.type = PN_PNRP_SOLICIT;
            so.msg_id = 61000;
            pn_sha1((const uint8_t *)"0123456789abcdef", 16, so.u.solicit.hashed_nonce);
            h.port = 40051;
            feed(net, 0, &h, &so);
            m.type = PN_PNRP_REQUEST;
            memcpy(m.u.request.nonce, "fedcba9876543210", 16);
            break;
        }
        }
        if (len == 0)
            len = enc(&m, buf);
        before = *x;
        memcpy(cache_before, net->nodes[0].cache, sizeof cache_before);
        drops0 = c->drop_unsolicited + c->drop_decode + c->drop_src_port + c->drop_nonce;
        pn_pnrp_node_input(x, net->now, from, buf, len);
        ck_assert_msg(c->drop_unsolicited + c->drop_decode + c->drop_src_port + c->drop_nonce ==
                          drops0 + 1,
                      "step %d not counted", step);
        same_state(&before, x);
        ck_assert_int_eq(memcmp(cache_before, net->nodes[0].cache, sizeof cache_before), 0);
        ck_assert_int_eq(pn_pnrp_node_poll_output(x, buf, sizeof buf, &h), 0);
        hostile_ep(&h, 9, 40050);
    }
    dn_free(net);
}
END_TEST

/* Full tables fail cleanly: a resolve that finds the Pending List full ends at once with
 * NOT_FOUND and frees its slot; an admission is dropped and counted; a third resolve is
 * refused with PN_ERR_NOMEM; once space returns everything works. */
START_TEST(defence_full_tables_fail_cleanly)
{
    dnet *net = dn_cloud(4, 0);
    pn_pnrp_node *x = &net->nodes[0].n;
    const pn_pnrp_counters *c = pn_pnrp_node_counters(x);
    static pn_pnrp_pending saved[PN_PNRP_PENDING_MAX];
    pn_pnrp_endpoint h;
    pn_pnrp_msg m;
    uint32_t full0;
    size_t i;
    int nf0 = net->nodes[0].not_found, h1, h2;
    PN_REQ("PNRP-5.1-03");
    memcpy(saved, x->pending, sizeof saved);
    for (i = 0; i < PN_PNRP_PENDING_MAX; i++) {
        if (!x->pending[i].used) {
            x->pending[i].used = 1;
            x->pending[i].msg_id = 0xF0000000u + (uint32_t)i;
            x->pending[i].deadline = UINT64_MAX - 1;
        }
    }
    full0 = c->drop_table_full;
    ck_assert_int_ge(
        pn_pnrp_node_resolve(x, net->now, "0.d2", 4, PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL), 0);
    ck_assert_int_eq(net->nodes[0].not_found, nf0 + 1);
    for (i = 0; i < PN_PNRP_RESOLVES_MAX; i++)
        ck_assert_int_eq(x->resolves[i].used, 0);
    hostile_ep(&h, 20, 40200);
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_FLOOD;
    m.msg_id = 31337;
    m.u.flood.flag_d = 1;
    m.u.flood.has_route = 1;
    m.u.flood.route.id.b[0] = 0x42;
    m.u.flood.route.port = h.port;
    m.u.flood.route.addr_count = 1;
    memcpy(m.u.flood.route.addrs[0], h.addr, 16);
    feed(net, 0, &h, &m);
    ck_assert_uint_gt(c->drop_table_full, full0 + 1);
    for (i = 0; i < PN_PNRP_ADDS_MAX; i++)
        ck_assert_int_eq(x->adds[i].used && memcmp(x->adds[i].src.addr, h.addr, 16) == 0, 0);
    memcpy(x->pending, saved, sizeof saved);
    /* The resolve table: two at once, the third refused. */
    h1 = pn_pnrp_node_resolve(x, net->now, "0.d1", 4, PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL);
    h2 = pn_pnrp_node_resolve(x, net->now, "0.d3", 4, PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL);
    ck_assert_int_ge(h1, 0);
    ck_assert_int_ge(h2, 0);
    ck_assert_int_eq(
        pn_pnrp_node_resolve(x, net->now, "0.d2", 4, PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
        PN_ERR_NOMEM);
    dn_run(net, net->now + 8000);
    ck_assert_int_eq(dn_resolves(net, 0, 2), 1);
    dn_free(net);
}
END_TEST

/* Memory: a long mixed hostile run never takes an entry beyond the configured tables. */
START_TEST(defence_tables_stay_within_bounds_under_attack)
{
    dnet *net = dn_cloud(4, 1);
    pn_pnrp_node *x = &net->nodes[0].n;
    size_t mem0 = pn_pnrp_node_memory_used(x), i;
    uint32_t r = 12345, round;
    PN_REQ("PNRP-5.1-02");
    for (round = 0; round < 60; round++) {
        for (i = 0; i < 100; i++) {
            pn_pnrp_endpoint h;
            pn_pnrp_msg m;
            r = r * 1103515245u + 12345u;
            hostile_ep(&h, (uint8_t)(r >> 24), (uint16_t)(2000 + (r >> 8) % 60000));
            memset(&m, 0, sizeof m);
            m.msg_id = r;
            switch ((r >> 16) % 4) {
            case 0:
                m.type = PN_PNRP_SOLICIT;
                m.u.solicit.hashed_nonce[0] = (uint8_t)r;
                break;
            case 1:
                m.type = PN_PNRP_FLOOD;
                m.u.flood.has_route = 1;
                m.u.flood.route.id.b[0] = (uint8_t)(r >> 3);
                m.u.flood.route.port = 5000;
                m.u.flood.route.addr_count = 1;
                memcpy(m.u.flood.route.addrs[0], h.addr, 16);
                break;
            case 2:
                m.type = PN_PNRP_LOOKUP;
                m.u.lookup.target.b[0] = (uint8_t)r;
                m.u.lookup.path.count = 1;
                m.u.lookup.path.eps[0] = h;
                break;
            default:
                m.type = PN_PNRP_ACK;
                m.u.ack.acked_id = r ^ 0x55;
                break;
            }
            feed(net, 0, &h, &m);
        }
        dn_run(net, net->now + 500);
        ck_assert_uint_le(used_pending(x), PN_PNRP_PENDING_MAX);
        ck_assert_uint_le(pn_pnrp_node_cache(x)->count, PN_PNRP_DEFAULT_CACHE);
        ck_assert_uint_eq(pn_pnrp_node_memory_used(x), mem0);
    }
    ck_assert_uint_le(mem0 - sizeof(pn_pnrp_reasm), 16384); /* the budget without reassembly */
    /* And it still works. */
    dn_run(net, net->now + 10000);
    ck_assert_int_eq(dn_resolves(net, 0, 3), 1);
    ck_assert_int_eq(dn_resolves(net, 2, 0), 1);
    dn_free(net);
}
END_TEST

/* ---- the simulator: --hostile ----------------------------------------------------------- */
static double json_num(const char *s, const char *key)
{
    char k[64];
    const char *p;
    snprintf(k, sizeof k, "\"%s\":", key);
    p = strstr(s, k);
    ck_assert_msg(p != NULL, "no %s in %s", key, s);
    return strtod(p + strlen(k), NULL);
}

static void run_tool(const char *args, char *out, size_t cap)
{
    char cmd[1024];
    const char *tool = getenv("PN_TOOL");
    FILE *p;
    size_t n;
    snprintf(cmd, sizeof cmd, "'%s' sim pnrp %s --json", tool ? tool : "build/peernet", args);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    pclose(p);
}

START_TEST(defence_sim_hostile_meets_resolve_target)
{
    static char clean[8192], hostile[8192];
    double ok_clean, ok_hostile;
    PN_REQ("PNRP-5.1-06");
    run_tool("--nodes 100 --resolves 100 --seed 3", clean, sizeof clean);
    run_tool("--nodes 100 --resolves 100 --seed 3 --hostile 10", hostile, sizeof hostile);
    ok_clean = json_num(clean, "resolve_success_rate");
    ok_hostile = json_num(hostile, "resolve_success_rate");
    ck_assert_double_ge(ok_clean, 0.99);
    ck_assert_double_ge(ok_hostile, ok_clean - 0.01);
    ck_assert_double_eq(json_num(hostile, "hostile"), 10);
    ck_assert_double_gt(json_num(hostile, "hostile_datagrams"), 10000);
    /* The attacks were seen and dropped for their reasons. */
    ck_assert_double_gt(json_num(hostile, "decode"), 0);
    ck_assert_double_gt(json_num(hostile, "unsolicited"), 0);
    ck_assert_double_gt(json_num(hostile, "cpa"), 0);
    ck_assert_double_gt(json_num(hostile, "rate"), 0);
    ck_assert_double_gt(json_num(hostile, "quota"), 0);
    ck_assert_double_gt(json_num(hostile, "revoke_forged"), 0);
    /* The clean run saw none of that. */
    ck_assert_double_eq(json_num(clean, "decode"), 0);
    ck_assert_double_eq(json_num(clean, "cpa"), 0);
    ck_assert_double_eq(json_num(clean, "revoke_forged"), 0);
    ck_assert_double_eq(json_num(clean, "hostile_datagrams"), 0);
}
END_TEST

PN_SUITE(pnrp_defence)
{
    Suite *s = suite_create("pnrp_defence");
    TCase *tc = tcase_create("guard");
    tcase_add_test(tc, defence_rate_limit_bounds_one_source_and_refills);
    tcase_add_test(tc, defence_rate_table_fixed_spoofers_only_refresh_others);
    suite_add_tcase(s, tc);
    tc = tcase_create("node");
    tcase_set_timeout(tc, 180);
    tcase_add_test(tc, defence_lookup_storm_leaves_node_resolving);
    tcase_add_test(tc, defence_flood_storm_cannot_fill_admission_tables);
    tcase_add_test(tc, defence_full_admission_table_keeps_fresh_checks);
    tcase_add_test(tc, defence_refused_admission_is_not_charged);
    tcase_add_test(tc, defence_solicit_storm_holds_one_conversation);
    tcase_add_test(tc, defence_inquire_storm_bounds_signatures);
    tcase_add_test(tc, pnrp_zero_nonce_cpa_signature_reused);
    tcase_add_test(tc, defence_fragment_storm_holds_one_reassembly);
    tcase_add_test(tc, defence_forged_revoke_keeps_entry);
    tcase_add_test(tc, defence_dropped_messages_change_no_state);
    tcase_add_test(tc, defence_full_tables_fail_cleanly);
    tcase_add_test(tc, defence_tables_stay_within_bounds_under_attack);
    suite_add_tcase(s, tc);
    tc = tcase_create("sim");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, defence_sim_hostile_meets_resolve_target);
    suite_add_tcase(s, tc);
    return s;
}
