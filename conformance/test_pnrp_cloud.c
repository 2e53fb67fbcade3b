/* Several clouds per node (MS-PNRP 1.3.3, 3.1.1; decision PE-56): one engine per cloud
 * behind pn_pnrp_multi, scopes kept apart, names registered and resolved per cloud,
 * closing a cloud. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp_cloud.h"
#include "peernet/wire.h"
#include "pn_test.h"

static const int64_t T0_MS = 1767225600000ll;
static pn_rsa_keybuf g_key;
static pn_pnrp_identity g_id;
static int g_have;

static int drbg_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

static void key_once(void)
{
    pn_drbg d;
    uint8_t seed[32];
    if (g_have)
        return;
    memset(seed, 0x29, sizeof seed);
    ck_assert_int_eq(pn_drbg_init(&d, seed, sizeof seed, "cloud", 5, NULL, 0), PN_OK);
    ck_assert_int_eq(pn_rsa_generate(&g_key, 1024, drbg_rng, &d), PN_OK);
    ck_assert_int_eq(pn_pnrp_identity_init(&g_id, &g_key.pub, &g_key.priv), PN_OK);
    g_have = 1;
}

START_TEST(pnrp_cloud_address_scopes)
{
    uint8_t a[16];
    PN_REQ("PNRP-1.3.3-02");
    memset(a, 0, 16);
    a[0] = 0x20;
    a[1] = 0x01;
    ck_assert_int_eq(pn_pnrp_addr_scope(a), PN_PNRP_SCOPE_GLOBAL);
    a[0] = 0xfe;
    a[1] = 0x80;
    ck_assert_int_eq(pn_pnrp_addr_scope(a), PN_PNRP_SCOPE_LINK);
    a[1] = 0xc0;
    ck_assert_int_eq(pn_pnrp_addr_scope(a), PN_PNRP_SCOPE_SITE);
    a[0] = 0xfd;
    a[1] = 0x12;
    ck_assert_int_eq(pn_pnrp_addr_scope(a), PN_PNRP_SCOPE_SITE);
    a[0] = 0xff;
    a[1] = 0x02;
    ck_assert_int_eq(pn_pnrp_addr_scope(a), PN_PNRP_SCOPE_LINK);
    a[1] = 0x05;
    ck_assert_int_eq(pn_pnrp_addr_scope(a), PN_PNRP_SCOPE_SITE);
    a[1] = 0x0e;
    ck_assert_int_eq(pn_pnrp_addr_scope(a), PN_PNRP_SCOPE_GLOBAL);
    memset(a, 0, 16);
    a[15] = 1; /* ::1 */
    ck_assert_int_eq(pn_pnrp_addr_scope(a), PN_PNRP_SCOPE_GLOBAL);
}
END_TEST

/* ---- hosts, each in a global and a link-local cloud ------------------------------------ */
#define HOSTS  6
#define TQ_MAX 2048
enum { G = 0, L = 1 };

typedef struct tcloud {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    uint8_t out[PN_PNRP_DEFAULT_OUT];
    pn_pnrp_endpoint ep;
    int resolved, not_found;
    pn_pnrp_endpoint last_addr;
} tcloud;

typedef struct thost {
    pn_pnrp_multi m;
    tcloud c[2];
    int idx[2];
} thost;

typedef struct tpkt {
    uint64_t at;
    pn_pnrp_endpoint from, to;
    uint16_t len;
    uint8_t buf[PN_UDP_MAX];
} tpkt;

typedef struct tnet {
    thost h[HOSTS];
    uint64_t now;
    tpkt q[TQ_MAX];
    size_t qn;
} tnet;

static void on_event(void *ctx, const pn_pnrp_event *ev)
{
    tcloud *c = (tcloud *)ctx;
    if (ev->type == PN_PNRP_EV_RESOLVED) {
        c->resolved++;
        c->last_addr = ev->cpa->addrs[0];
    } else if (ev->type == PN_PNRP_EV_NOT_FOUND) {
        c->not_found++;
    }
}

static void ep_of(pn_pnrp_endpoint *ep, int host, int cloud)
{
    memset(ep, 0, sizeof *ep);
    if (cloud == G) {
        ep->addr[0] = 0x20;
        ep->addr[1] = 0x01;
    } else {
        ep->addr[0] = 0xfe;
        ep->addr[1] = 0x80;
    }
    ep->addr[15] = (uint8_t)(host + 1);
    ep->port = 3540;
}

static void host_init(tnet *net, int h)
{
    thost *t = &net->h[h];
    int k;
    pn_pnrp_multi_init(&t->m);
    for (k = 0; k < 2; k++) {
        tcloud *c = &t->c[k];
        pn_pnrp_node_config cfg;
        pn_pnrp_node_memory mem;
        pn_pnrp_node_config_default(&cfg);
        ep_of(&c->ep, h, k);
        cfg.local[0] = c->ep;
        cfg.local_count = 1;
        cfg.scope = k == G ? PN_PNRP_SCOPE_GLOBAL : PN_PNRP_SCOPE_LINK;
        if (h > 0) {
            ep_of(&cfg.seeds[0], 0, k);
            cfg.seed_count = 1;
        }
        memset(cfg.seed, h * 2 + k + 1, sizeof cfg.seed);
        cfg.wall_offset_ms = T0_MS;
        cfg.on_event = on_event;
        cfg.event_ctx = c;
        memset(&mem, 0, sizeof mem);
        mem.cache = c->cache;
        mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
        mem.out = c->out;
        mem.out_cap = sizeof c->out;
        ck_assert_int_eq(pn_pnrp_node_init(&c->n, &cfg, &mem, net->now), PN_OK);
        t->idx[k] = pn_pnrp_multi_add(&t->m, &c->n, cfg.scope, k == L ? 2 : 0,
                                      k == G ? "Global_" : "LinkLocal_eth0");
        ck_assert_int_ge(t->idx[k], 0);
    }
}

static int host_of(const tnet *net, const pn_pnrp_endpoint *ep)
{
    int h, k;
    for (h = 0; h < HOSTS; h++)
        for (k = 0; k < 2; k++)
            if (net->h[h].c[k].ep.port == ep->port &&
                memcmp(net->h[h].c[k].ep.addr, ep->addr, 16) == 0)
                return h;
    return -1;
}

static void run(tnet *net, uint64_t until)
{
    for (;;) {
        uint64_t next = UINT64_MAX;
        size_t i, k;
        int h;
        for (h = 0; h < HOSTS; h++) {
            pn_pnrp_endpoint to, from;
            int len;
            while (net->qn < TQ_MAX &&
                   (len = pn_pnrp_multi_poll_output(&net->h[h].m, net->q[net->qn].buf, PN_UDP_MAX,
                                                    &to, &from, NULL)) > 0) {
                tpkt *p = &net->q[net->qn++];
                p->at = net->now + 10;
                p->from = from;
                p->to = to;
                p->len = (uint16_t)len;
            }
        }
        for (i = 0; i < net->qn; i++)
            if (net->q[i].at < next)
                next = net->q[i].at;
        for (h = 0; h < HOSTS; h++) {
            uint64_t d = pn_pnrp_multi_next_deadline(&net->h[h].m);
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
            tpkt *p = &net->q[i];
            if (p->at <= net->now) {
                int dst = host_of(net, &p->to);
                if (dst >= 0)
                    pn_pnrp_multi_input(&net->h[dst].m, net->now, &p->to, &p->from, p->buf, p->len);
            } else {
                if (k != i)
                    net->q[k] = *p;
                k++;
            }
        }
        net->qn = k;
        for (h = 0; h < HOSTS; h++)
            pn_pnrp_multi_tick(&net->h[h].m, net->now);
    }
}

static void reg(tnet *net, int h, int k, const char *name)
{
    pn_pnrp_registration r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.name_len = strlen(name);
    r.identity = &g_id;
    ck_assert_int_ge(
        pn_pnrp_node_register(pn_pnrp_multi_node(&net->h[h].m, net->h[h].idx[k]), net->now, &r), 0);
}

static tnet *clouds(void)
{
    tnet *net = (tnet *)calloc(1, sizeof *net);
    int h;
    char name[32];
    ck_assert_ptr_nonnull(net);
    key_once();
    net->now = 1000;
    for (h = 0; h < HOSTS; h++) {
        host_init(net, h);
        run(net, net->now + 300);
    }
    for (h = 0; h < HOSTS; h++) {
        snprintf(name, sizeof name, "0.g%d", h);
        reg(net, h, G, name);
        snprintf(name, sizeof name, "0.l%d", h);
        reg(net, h, L, name);
        run(net, net->now + 300);
    }
    run(net, net->now + 20000);
    return net;
}

/* 1 resolved (address in *addr), 0 not found. */
static int resolve_in(tnet *net, int h, int k, const char *name, pn_pnrp_endpoint *addr)
{
    tcloud *c = &net->h[h].c[k];
    c->resolved = c->not_found = 0;
    ck_assert_int_ge(pn_pnrp_node_resolve(pn_pnrp_multi_node(&net->h[h].m, net->h[h].idx[k]),
                                          net->now, name, strlen(name), PN_PNRP_SEARCH_ANY_PEERNAME,
                                          0, 0, NULL),
                     0);
    run(net, net->now + 15000);
    ck_assert_int_eq(c->resolved + c->not_found, 1);
    if (addr != NULL)
        *addr = c->last_addr;
    return c->resolved;
}

START_TEST(pnrp_cloud_add_checks_scope_and_endpoints)
{
    pn_pnrp_multi m;
    static pn_pnrp_node n1, n2, n3;
    static pn_pnrp_cache_entry cache[3][16];
    static uint8_t out[3][PN_PNRP_DEFAULT_OUT];
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    PN_REQ("PNRP-1.3.3-03");
    PN_REQ("PNRP-1.3.3-05");
    pn_pnrp_node_config_default(&cfg);
    ep_of(&cfg.local[0], 0, G);
    cfg.local_count = 1;
    cfg.scope = PN_PNRP_SCOPE_LINK; /* a global address in a link-local cloud */
    memset(&mem, 0, sizeof mem);
    mem.cache = cache[0];
    mem.cache_cap = 16;
    mem.out = out[0];
    mem.out_cap = sizeof out[0];
    ck_assert_int_eq(pn_pnrp_node_init(&n1, &cfg, &mem, 0), PN_ERR_ARG);
    cfg.scope = PN_PNRP_SCOPE_GLOBAL;
    ep_of(&cfg.seeds[0], 1, L); /* a link-local seed for the global cloud */
    cfg.seed_count = 1;
    ck_assert_int_eq(pn_pnrp_node_init(&n1, &cfg, &mem, 0), PN_ERR_ARG);
    cfg.seed_count = 0;
    ck_assert_int_eq(pn_pnrp_node_init(&n1, &cfg, &mem, 0), PN_OK);
    mem.cache = cache[1];
    mem.out = out[1];
    ep_of(&cfg.local[0], 1, G);
    ck_assert_int_eq(pn_pnrp_node_init(&n2, &cfg, &mem, 0), PN_OK);
    mem.cache = cache[2];
    mem.out = out[2];
    ep_of(&cfg.local[0], 0, L);
    cfg.scope = PN_PNRP_SCOPE_LINK;
    ck_assert_int_eq(pn_pnrp_node_init(&n3, &cfg, &mem, 0), PN_OK);
    pn_pnrp_multi_init(&m);
    ck_assert_int_eq(pn_pnrp_multi_add(&m, &n1, PN_PNRP_SCOPE_GLOBAL, 0, "Global_"), 0);
    /* Only one global cloud; the node's scope must be the cloud's. */
    ck_assert_int_eq(pn_pnrp_multi_add(&m, &n2, PN_PNRP_SCOPE_GLOBAL, 0, "g2"), PN_ERR_ARG);
    ck_assert_int_eq(pn_pnrp_multi_add(&m, &n3, PN_PNRP_SCOPE_SITE, 0, "s"), PN_ERR_ARG);
    ck_assert_int_eq(pn_pnrp_multi_add(&m, &n3, PN_PNRP_SCOPE_LINK, 2, "LinkLocal_eth0"), 1);
    ck_assert_int_eq(pn_pnrp_multi_add(&m, &n3, PN_PNRP_SCOPE_LINK, 2, "again"), PN_ERR_ARG);
    ck_assert_int_eq(pn_pnrp_multi_find(&m, "LinkLocal_eth0", 14), 1);
    ck_assert_int_eq(pn_pnrp_multi_find(&m, "LinkLocal", 9), PN_ERR_NOTFOUND);
    /* Datagrams to no cloud's endpoint, or from another scope, are dropped. */
    {
        pn_pnrp_endpoint to, from;
        uint8_t junk[8] = {0};
        ep_of(&to, 5, G);
        ep_of(&from, 4, G);
        pn_pnrp_multi_input(&m, 0, &to, &from, junk, sizeof junk);
        ck_assert_uint_eq(m.drop_no_cloud, 1);
        ep_of(&to, 0, L);
        pn_pnrp_multi_input(&m, 0, &to, &from, junk, sizeof junk);
        ck_assert_uint_eq(m.drop_scope, 1);
        ck_assert_uint_eq(pn_pnrp_node_counters(&n3)->rx, 0);
    }
}
END_TEST

START_TEST(pnrp_clouds_keep_names_and_caches_apart)
{
    tnet *net = clouds();
    pn_pnrp_endpoint a, want;
    int h, k;
    size_t i;
    PN_REQ("PNRP-1.3.3-04");
    PN_REQ("PNRP-1.3.3-05");
    /* Each name resolves in its own cloud, to the address of that cloud... */
    ck_assert_int_eq(resolve_in(net, 4, L, "0.l2", &a), 1);
    ep_of(&want, 2, L);
    ck_assert_mem_eq(a.addr, want.addr, 16);
    ck_assert_int_eq(resolve_in(net, 4, G, "0.g2", &a), 1);
    ep_of(&want, 2, G);
    ck_assert_mem_eq(a.addr, want.addr, 16);
    /* ... and not in the other. */
    ck_assert_int_eq(resolve_in(net, 4, G, "0.l2", NULL), 0);
    ck_assert_int_eq(resolve_in(net, 5, L, "0.g3", NULL), 0);
    /* Every cache holds addresses of its cloud's scope only. */
    for (h = 0; h < HOSTS; h++)
        for (k = 0; k < 2; k++) {
            const pn_pnrp_cache *c = pn_pnrp_node_cache(&net->h[h].c[k].n);
            ck_assert_uint_gt(c->count, 0);
            for (i = 0; i < c->cap; i++)
                if ((c->e[i].flags & PN_PNRP_CE_USED))
                    ck_assert_int_eq(pn_pnrp_addr_scope(c->e[i].addr),
                                     k == G ? PN_PNRP_SCOPE_GLOBAL : PN_PNRP_SCOPE_LINK);
        }
    /* A route entry of another scope offered to the link cloud is dropped. */
    {
        pn_pnrp_msg m;
        uint8_t buf[PN_UDP_MAX];
        pn_pnrp_endpoint from;
        int len;
        pn_pnrp_node *n = &net->h[1].c[L].n;
        uint32_t before = pn_pnrp_node_counters(n)->drop_no_route;
        memset(&m, 0, sizeof m);
        m.type = PN_PNRP_FLOOD;
        m.msg_id = 77;
        m.u.flood.flag_d = 1;
        m.u.flood.has_route = 1;
        memset(&m.u.flood.route.id, 0x44, sizeof m.u.flood.route.id);
        m.u.flood.route.port = 3540;
        m.u.flood.route.addr_count = 1;
        ep_of(&want, 9, G);
        memcpy(m.u.flood.route.addrs[0], want.addr, 16);
        len = pn_pnrp_encode(&m, buf, sizeof buf, NULL);
        ck_assert_int_gt(len, 0);
        ep_of(&from, 3, L);
        pn_pnrp_multi_input(&net->h[1].m, net->now, &net->h[1].c[L].ep, &from, buf, (size_t)len);
        ck_assert_uint_eq(pn_pnrp_node_counters(n)->drop_no_route, before + 1);
    }
    free(net);
}
END_TEST

START_TEST(pnrp_cloud_close_revokes_its_names_only)
{
    tnet *net = clouds();
    int idx;
    PN_REQ("PNRP-3.1.4.1-01");
    PN_REQ("PNRP-3.1.4.5-01");
    PN_REQ("PNRP-3.1.6.1-01");
    PN_REQ("PNRP-1.3.3.4-01");
    ck_assert_int_eq(resolve_in(net, 0, L, "0.l3", NULL), 1);
    idx = net->h[3].idx[L];
    /* A second opener: the cloud exists, its Open Count goes to 2. */
    ck_assert_int_eq(pn_pnrp_multi_open(&net->h[3].m, "LinkLocal_eth0", 14), idx);
    ck_assert_int_eq(pn_pnrp_multi_open(&net->h[3].m, "LinkLocal_eth1", 14), PN_ERR_NOTFOUND);
    ck_assert_int_eq(
        pn_pnrp_multi_add(&net->h[3].m, &net->h[3].c[L].n, PN_PNRP_SCOPE_LINK, 2, "LinkLocal_eth0"),
        PN_ERR_ARG);
    ck_assert_int_eq(pn_pnrp_multi_close(&net->h[3].m, idx, net->now), 0);
    ck_assert_ptr_nonnull(pn_pnrp_multi_node(&net->h[3].m, idx));
    ck_assert_int_eq(resolve_in(net, 0, L, "0.l3", NULL), 1);
    /* The last close unregisters its names; the application may not use it any more. */
    ck_assert_int_eq(pn_pnrp_multi_close(&net->h[3].m, idx, net->now), 1);
    ck_assert_ptr_null(pn_pnrp_multi_node(&net->h[3].m, idx));
    ck_assert_int_eq(pn_pnrp_multi_close(&net->h[3].m, idx, net->now), PN_ERR_NOTFOUND);
    ck_assert_int_eq(pn_pnrp_multi_find(&net->h[3].m, "LinkLocal_eth0", 14), PN_ERR_NOTFOUND);
    run(net, net->now + 5000);
    ck_assert_int_eq(resolve_in(net, 0, L, "0.l3", NULL), 0);
    /* Its other cloud goes on. */
    ck_assert_int_eq(resolve_in(net, 0, G, "0.g3", NULL), 1);
    /* The state stays until the Cloud Cleanup Timer (15 minutes) expires. */
    ck_assert_int_eq(net->h[3].m.used[idx], 1);
    run(net, net->now + PN_PNRP_CLOUD_CLEANUP_MS);
    ck_assert_int_eq(net->h[3].m.used[idx], 0);
    ck_assert_int_eq(pn_pnrp_multi_open(&net->h[3].m, "LinkLocal_eth0", 14), PN_ERR_NOTFOUND);
    free(net);
}
END_TEST

PN_SUITE(pnrp_cloud)
{
    Suite *s = suite_create("pnrp_cloud");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pnrp_cloud_address_scopes);
    tcase_add_test(tc, pnrp_cloud_add_checks_scope_and_endpoints);
    tcase_add_test(tc, pnrp_clouds_keep_names_and_caches_apart);
    tcase_add_test(tc, pnrp_cloud_close_revokes_its_names_only);
    suite_add_tcase(s, tc);
    return s;
}
