/* SSDP discovery of link-local PNRP clouds (MS-PNRP 1.3.3.1, 3.1.4.2.2, 3.1.5.1,
 * 3.2.4.1, 3.2.4.2): the codec, and two engines finding each other through an
 * in-memory multicast group. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp_cloud.h"
#include "peernet/pnrp_ssdp.h"
#include "peernet/sim.h"
#include "peernet/wire.h"
#include "pn_test.h"

static const int64_t T0_MS = 1767225600000ll;

static int drbg_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

static void ll(pn_pnrp_endpoint *ep, int host, uint16_t port)
{
    memset(ep, 0, sizeof *ep);
    ep->addr[0] = 0xfe;
    ep->addr[1] = 0x80;
    ep->addr[15] = (uint8_t)(host + 1);
    ep->port = port;
}

static int dec(const char *text, pn_pnrp_ssdp_msg *m)
{
    return pn_pnrp_ssdp_decode((const uint8_t *)text, strlen(text), m);
}

#define URN "urn:Microsoft Windows Peer Name Resolution Protocol: V4:IPV6:"

START_TEST(pnrp_ssdp_codec_round_trip_and_rejects)
{
    pn_pnrp_ssdp_msg m, d;
    uint8_t buf[PN_PNRP_SSDP_MAX];
    int type, len;
    PN_REQ("PNRP-3.1.4.2.2-01");
    PN_REQ("PNRP-3.1.5.1-01");
    for (type = PN_PNRP_SSDP_MSEARCH; type <= PN_PNRP_SSDP_BYEBYE; type++) {
        memset(&m, 0, sizeof m);
        m.type = type;
        m.scope = PN_PNRP_SCOPE_LINK;
        ll(&m.al, 6, 3540);
        memset(m.usn_id, 0xa5, 16);
        len = pn_pnrp_ssdp_encode(&m, buf, sizeof buf);
        ck_assert_int_gt(len, 0);
        ck_assert_int_eq(pn_pnrp_ssdp_decode(buf, (size_t)len, &d), PN_OK);
        ck_assert_int_eq(d.type, type);
        ck_assert_int_eq(d.scope, PN_PNRP_SCOPE_LINK);
        if (type == PN_PNRP_SSDP_RESPONSE || type == PN_PNRP_SSDP_ALIVE)
            ck_assert_mem_eq(d.al.addr, m.al.addr, 16);
        if (type != PN_PNRP_SSDP_MSEARCH)
            ck_assert_mem_eq(d.usn_id, m.usn_id, 16);
        ck_assert_int_eq(pn_pnrp_ssdp_encode(&m, buf, (size_t)len - 1), PN_ERR_BUFSIZE);
    }
    /* The search target exactly as 3.1.4.2.2 writes it. */
    m.type = PN_PNRP_SSDP_MSEARCH;
    len = pn_pnrp_ssdp_encode(&m, buf, sizeof buf);
    buf[len] = 0;
    ck_assert_ptr_nonnull(strstr((char *)buf, "\r\nST: " URN "LinkLocal\r\n"));
    ck_assert_ptr_nonnull(strstr((char *)buf, "MAN: \"ssdp:discover\"\r\n"));
    ck_assert_int_eq(
        dec("HTTP/1.1 200 OK\r\nST: " URN "Global\r\nal:  [2001:db8::1]:3540 \r\n\r\n", &d), PN_OK);
    ck_assert_int_eq(d.scope, PN_PNRP_SCOPE_GLOBAL);
    ck_assert_uint_eq(d.al.port, 3540);
    /* 3.1.5.1: an AL that is not [IPv6]:port is discarded; so is anything else odd. */
    ck_assert_int_ne(dec("HTTP/1.1 200 OK\r\nST: " URN "LinkLocal\r\nAL: fe80::1:3540\r\n\r\n", &d),
                     PN_OK);
    ck_assert_int_ne(dec("HTTP/1.1 200 OK\r\nST: " URN "LinkLocal\r\nAL: [fe80::1]\r\n\r\n", &d),
                     PN_OK);
    ck_assert_int_ne(
        dec("HTTP/1.1 200 OK\r\nST: " URN "LinkLocal\r\nAL: [fe80::1]:1000\r\n\r\n", &d), PN_OK);
    ck_assert_int_ne(
        dec("HTTP/1.1 200 OK\r\nST: " URN "LinkLocal\r\nAL: [10.0.0.1]:3540\r\n\r\n", &d), PN_OK);
    ck_assert_int_ne(dec("HTTP/1.1 200 OK\r\nST: " URN "LinkLocal\r\n\r\n", &d), PN_OK);
    ck_assert_int_ne(
        dec("HTTP/1.1 200 OK\r\nST: " URN "Linklocal\r\nAL: [fe80::1]:3540\r\n\r\n", &d), PN_OK);
    ck_assert_int_ne(
        dec("HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\nAL: [fe80::1]:3540\r\n\r\n", &d), PN_OK);
    ck_assert_int_ne(
        dec("HTTP/1.1 200 OK\r\nST: " URN "LinkLocal\r\nAL: [fe80::1]:3540\r\n\r\nX", &d), PN_OK);
    ck_assert_int_ne(dec("HTTP/1.1 200 OK\r\nST: " URN "LinkLocal\r\nAL: [fe80::1]:3540\r\n", &d),
                     PN_OK);
    ck_assert_int_ne(dec("M-SEARCH * HTTP/1.1\r\nST: " URN "LinkLocal\r\n\r\n", &d),
                     PN_OK); /* no MAN */
    ck_assert_int_ne(
        dec("NOTIFY * HTTP/1.1\r\nNT: " URN "LinkLocal\r\nNTS: ssdp:alive\r\n\r\n", &d), PN_OK);
    ck_assert_int_ne(dec("GET / HTTP/1.1\r\n\r\n", &d), PN_OK);
}
END_TEST

/* ---- two hosts on one link ----------------------------------------------------------- */
#define HOSTS 3
#define TQ    256

typedef struct lhost {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    uint8_t out[PN_PNRP_DEFAULT_OUT];
    pn_pnrp_ssdp ssdp;
    pn_pnrp_endpoint ep;
    int resolved, not_found;
    uint32_t alive, byebye;
} lhost;

typedef struct lpkt {
    uint64_t at;
    pn_pnrp_endpoint from, to;
    uint16_t len;
    uint8_t buf[PN_UDP_MAX];
} lpkt;

typedef struct lnet {
    lhost h[HOSTS];
    int count;
    uint64_t now;
    lpkt q[TQ];
    size_t qn;
    uint32_t multicast; /* datagrams sent to the SSDP group */
} lnet;

static void ev(void *ctx, const pn_pnrp_event *e)
{
    lhost *h = (lhost *)ctx;
    if (e->type == PN_PNRP_EV_RESOLVED)
        h->resolved++;
    else if (e->type == PN_PNRP_EV_NOT_FOUND)
        h->not_found++;
}

static void add_host(lnet *net)
{
    lhost *h = &net->h[net->count];
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    uint8_t usn[16];
    pn_pnrp_node_config_default(&cfg);
    ll(&h->ep, net->count, 3540);
    cfg.local[0] = h->ep;
    cfg.local_count = 1;
    cfg.scope = PN_PNRP_SCOPE_LINK; /* no seeds: SSDP finds the cloud */
    memset(cfg.seed, net->count + 11, sizeof cfg.seed);
    cfg.wall_offset_ms = T0_MS;
    cfg.on_event = ev;
    cfg.event_ctx = h;
    memset(&mem, 0, sizeof mem);
    mem.cache = h->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = h->out;
    mem.out_cap = sizeof h->out;
    ck_assert_int_eq(pn_pnrp_node_init(&h->n, &cfg, &mem, net->now), PN_OK);
    memset(usn, net->count + 1, sizeof usn);
    ck_assert_int_eq(pn_pnrp_ssdp_init(&h->ssdp, &h->n, usn), PN_OK);
    net->count++;
}

static void push(lnet *net, const pn_pnrp_endpoint *from, const pn_pnrp_endpoint *to,
                 const uint8_t *buf, int len)
{
    lpkt *p;
    ck_assert_uint_lt(net->qn, TQ);
    p = &net->q[net->qn++];
    p->at = net->now + 5;
    p->from = *from;
    p->to = *to;
    p->len = (uint16_t)len;
    memcpy(p->buf, buf, (size_t)len);
}

static void deliver(lnet *net, const lpkt *p)
{
    int i;
    if (p->to.port == PN_PNRP_SSDP_PORT && memcmp(p->to.addr, pn_pnrp_ssdp_group_link, 16) == 0) {
        /* The in-memory multicast group: everybody on the link but the sender. */
        for (i = 0; i < net->count; i++)
            if (memcmp(net->h[i].ep.addr, p->from.addr, 16) != 0)
                pn_pnrp_ssdp_input(&net->h[i].ssdp, net->now, &p->from, p->buf, p->len);
        return;
    }
    for (i = 0; i < net->count; i++)
        if (memcmp(net->h[i].ep.addr, p->to.addr, 16) == 0) {
            if (p->to.port == PN_PNRP_SSDP_PORT)
                pn_pnrp_ssdp_input(&net->h[i].ssdp, net->now, &p->from, p->buf, p->len);
            else if (p->to.port == net->h[i].ep.port)
                pn_pnrp_node_input(&net->h[i].n, net->now, &p->from, p->buf, p->len);
        }
}

static void lrun(lnet *net, uint64_t until)
{
    for (;;) {
        uint64_t next = UINT64_MAX;
        size_t k, j;
        int i, len;
        uint8_t buf[PN_UDP_MAX];
        pn_pnrp_endpoint to, from;
        for (i = 0; i < net->count; i++) {
            lhost *h = &net->h[i];
            if (pn_pnrp_ssdp_next_deadline(&h->ssdp) <= net->now)
                pn_pnrp_ssdp_tick(&h->ssdp, net->now);
            while ((len = pn_pnrp_node_poll_output(&h->n, buf, sizeof buf, &to)) > 0)
                push(net, &h->ep, &to, buf, len);
            from = h->ep;
            from.port = PN_PNRP_SSDP_PORT;
            while ((len = pn_pnrp_ssdp_poll_output(&h->ssdp, buf, sizeof buf, &to)) > 0) {
                pn_pnrp_ssdp_msg m;
                ck_assert_int_eq(pn_pnrp_ssdp_decode(buf, (size_t)len, &m), PN_OK);
                h->alive += m.type == PN_PNRP_SSDP_ALIVE;
                h->byebye += m.type == PN_PNRP_SSDP_BYEBYE;
                net->multicast += memcmp(to.addr, pn_pnrp_ssdp_group_link, 16) == 0;
                push(net, &from, &to, buf, len);
            }
        }
        for (k = 0; k < net->qn; k++)
            if (net->q[k].at < next)
                next = net->q[k].at;
        for (i = 0; i < net->count; i++) {
            uint64_t d = pn_pnrp_node_next_deadline(&net->h[i].n);
            uint64_t s = pn_pnrp_ssdp_next_deadline(&net->h[i].ssdp);
            if (d < next)
                next = d;
            if (s < next)
                next = s;
        }
        if (next > until) {
            net->now = until;
            return;
        }
        if (next > net->now)
            net->now = next;
        for (k = 0, j = 0; k < net->qn; k++) {
            if (net->q[k].at <= net->now) {
                lpkt p = net->q[k];
                deliver(net, &p);
            } else {
                net->q[j++] = net->q[k];
            }
        }
        net->qn = j;
        for (i = 0; i < net->count; i++)
            if (pn_pnrp_node_next_deadline(&net->h[i].n) <= net->now)
                pn_pnrp_node_tick(&net->h[i].n, net->now);
    }
}

START_TEST(pnrp_ssdp_two_nodes_discover_each_other_on_the_link)
{
    static pn_rsa_keybuf key;
    pn_pnrp_identity id;
    pn_pnrp_registration r;
    pn_drbg d;
    uint8_t seed[32];
    lnet *net = (lnet *)calloc(1, sizeof *net);
    int h;
    PN_REQ("PNRP-1.3.3.1-01");
    PN_REQ("PNRP-3.1.5.1-02");
    PN_REQ("PNRP-3.2.4.1-02");
    PN_REQ("PNRP-3.2.4.2-04");
    ck_assert_ptr_nonnull(net);
    memset(seed, 0x61, sizeof seed);
    pn_drbg_init(&d, seed, sizeof seed, NULL, 0, NULL, 0);
    ck_assert_int_eq(pn_rsa_generate(&key, 1024, drbg_rng, &d), PN_OK);
    ck_assert_int_eq(pn_pnrp_identity_init(&id, &key.pub, &key.priv), PN_OK);
    net->now = 1000;
    add_host(net);
    /* A publishes a name: it starts advertising on the link (nobody else there yet). */
    memset(&r, 0, sizeof r);
    r.name = "0.printer";
    r.name_len = 9;
    r.identity = &id;
    h = pn_pnrp_node_register(&net->h[0].n, net->now, &r);
    ck_assert_int_ge(h, 0);
    lrun(net, net->now + 1000);
    ck_assert_uint_eq(net->h[0].alive, 1);
    add_host(net);
    /* B has no seed and an empty cache: nothing to resolve with. */
    ck_assert_uint_eq(pn_pnrp_node_cache(&net->h[1].n)->count, 0);
    /* B searches; A answers; B synchronises with the endpoint of the answer. */
    pn_pnrp_ssdp_search(&net->h[1].ssdp);
    lrun(net, net->now + 5000);
    ck_assert_uint_ge(net->h[1].ssdp.syncs, 1);
    ck_assert_uint_le(net->h[1].ssdp.syncs, PN_PNRP_SSDP_TARGETS);
    ck_assert_uint_ge(pn_pnrp_node_cache(&net->h[1].n)->count, 1);
    ck_assert_int_ge(pn_pnrp_node_resolve(&net->h[1].n, net->now, "0.printer", 9,
                                          PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                     0);
    lrun(net, net->now + 10000);
    ck_assert_int_eq(net->h[1].resolved, 1);
    /* A third host joins through the advertisement of A alone (its cache is empty). */
    add_host(net);
    lrun(net, net->now + PN_PNRP_SSDP_NOTIFY_MS + 1000);
    ck_assert_uint_ge(net->h[0].alive, 2); /* repeated before it ages out */
    ck_assert_uint_ge(pn_pnrp_node_cache(&net->h[2].n)->count, 1);
    /* The last name gone, the advertisement is withdrawn. */
    ck_assert_int_eq(pn_pnrp_node_unregister(&net->h[0].n, net->now, h), PN_OK);
    lrun(net, net->now + 3000);
    ck_assert_uint_eq(net->h[0].byebye, 1);
    free(net);
}
END_TEST

START_TEST(pnrp_ssdp_at_most_five_answers_synchronise)
{
    lnet *net = (lnet *)calloc(1, sizeof *net);
    pn_pnrp_ssdp_msg m;
    uint8_t buf[PN_PNRP_SSDP_MAX];
    int i, len;
    PN_REQ("PNRP-3.1.5.1-01");
    PN_REQ("PNRP-3.1.5.1-03");
    ck_assert_ptr_nonnull(net);
    add_host(net);
    /* An answer before any search is ignored. */
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_SSDP_RESPONSE;
    m.scope = PN_PNRP_SCOPE_LINK;
    ll(&m.al, 40, 3540);
    len = pn_pnrp_ssdp_encode(&m, buf, sizeof buf);
    pn_pnrp_ssdp_input(&net->h[0].ssdp, 0, &m.al, buf, (size_t)len);
    ck_assert_uint_eq(net->h[0].ssdp.syncs, 0);
    pn_pnrp_ssdp_search(&net->h[0].ssdp);
    for (i = 0; i < 7; i++) {
        ll(&m.al, 50 + i, 3540);
        len = pn_pnrp_ssdp_encode(&m, buf, sizeof buf);
        pn_pnrp_ssdp_input(&net->h[0].ssdp, 0, &m.al, buf, (size_t)len);
    }
    ck_assert_uint_eq(net->h[0].ssdp.syncs, PN_PNRP_SSDP_TARGETS);
    ck_assert_uint_eq(net->h[0].ssdp.drop_extra, 2);
    /* Another scope's answer, a global source, a malformed datagram: dropped. */
    m.scope = PN_PNRP_SCOPE_GLOBAL;
    len = pn_pnrp_ssdp_encode(&m, buf, sizeof buf);
    pn_pnrp_ssdp_search(&net->h[0].ssdp);
    pn_pnrp_ssdp_input(&net->h[0].ssdp, 0, &m.al, buf, (size_t)len);
    ck_assert_uint_eq(net->h[0].ssdp.drop_scope, 1);
    pn_pnrp_ssdp_input(&net->h[0].ssdp, 0, &m.al, buf, 10);
    ck_assert_uint_eq(net->h[0].ssdp.drop_decode, 1);
    ck_assert_uint_eq(net->h[0].ssdp.syncs, PN_PNRP_SSDP_TARGETS);
    free(net);
}
END_TEST

typedef struct capture_t {
    uint8_t *buf;
    size_t len, cap;
} capture_t;

static void cap_put(void *ctx, const uint8_t *buf, size_t len)
{
    capture_t *c = (capture_t *)ctx;
    if (c->len + len > c->cap) {
        c->cap = (c->len + len) * 2 + 4096;
        c->buf = (uint8_t *)realloc(c->buf, c->cap);
        ck_assert_ptr_nonnull(c->buf);
    }
    memcpy(c->buf + c->len, buf, len);
    c->len += len;
}

/* ---- a link-local cloud in the simulator (multicast groups, decision SIM-7) ---------- */
#define SN 8 /* nodes with SSDP; one more without it is the control */

typedef struct sapp {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    uint8_t out[PN_PNRP_DEFAULT_OUT];
    pn_pnrp_ssdp ssdp;
    pn_pnrp_registration reg;
    const pn_pnrp_identity *id;
    int index, use_ssdp, sock, ssdp_sock;
    char name[16];
    const char *to_resolve;
    int resolved, not_found;
} sapp;

static void sapp_ev(void *ctx, const pn_pnrp_event *e)
{
    sapp *a = (sapp *)ctx;
    if (e->type == PN_PNRP_EV_RESOLVED)
        a->resolved++;
    else if (e->type == PN_PNRP_EV_NOT_FOUND)
        a->not_found++;
}

static void sapp_start(void *app, pn_platform *pf)
{
    sapp *a = (sapp *)app;
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    pn_addr me;
    uint8_t usn[16];
    uint64_t now = pf->now_ms(pf->ctx);
    memset(&me, 0, sizeof me);
    me.family = PN_AF_INET6;
    me.ip[0] = 0xfe; /* fe80::<index+1>, this node on the simulated link */
    me.ip[1] = 0x80;
    me.ip[15] = (uint8_t)(a->index + 1);
    me.port = 3540;
    a->sock = pf->udp_open(pf->ctx, &me);
    ck_assert_int_ge(a->sock, 0);
    pn_pnrp_node_config_default(&cfg);
    cfg.scope = PN_PNRP_SCOPE_LINK;
    memcpy(cfg.local[0].addr, me.ip, 16);
    cfg.local[0].port = me.port;
    cfg.local_count = 1; /* and no seeds at all */
    ck_assert_int_eq(pf->random(pf->ctx, cfg.seed, sizeof cfg.seed), PN_OK);
    cfg.wall_offset_ms = pf->wall_ms(pf->ctx) - (int64_t)now;
    cfg.on_event = sapp_ev;
    cfg.event_ctx = a;
    memset(&mem, 0, sizeof mem);
    mem.cache = a->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = a->out;
    mem.out_cap = sizeof a->out;
    ck_assert_int_eq(pn_pnrp_node_init(&a->n, &cfg, &mem, now), PN_OK);
    snprintf(a->name, sizeof a->name, "0.lan%d", a->index);
    memset(&a->reg, 0, sizeof a->reg);
    a->reg.name = a->name;
    a->reg.name_len = strlen(a->name);
    a->reg.identity = a->id;
    ck_assert_int_ge(pn_pnrp_node_register(&a->n, now, &a->reg), 0);
    a->ssdp_sock = -1;
    if (!a->use_ssdp)
        return;
    me.port = PN_PNRP_SSDP_PORT;
    memset(me.ip, 0, 16);
    a->ssdp_sock = pf->udp_open(pf->ctx, &me);
    ck_assert_int_ge(a->ssdp_sock, 0);
    ck_assert_int_eq(pn_sim_udp_join(pf, a->ssdp_sock, pn_pnrp_ssdp_group_link), PN_OK);
    ck_assert_int_eq(pf->random(pf->ctx, usn, sizeof usn), PN_OK);
    ck_assert_int_eq(pn_pnrp_ssdp_init(&a->ssdp, &a->n, usn), PN_OK);
    pn_pnrp_ssdp_search(&a->ssdp);
}

static void to_addr(pn_addr *a, const pn_pnrp_endpoint *ep)
{
    memset(a, 0, sizeof *a);
    a->family = PN_AF_INET6;
    memcpy(a->ip, ep->addr, 16);
    a->port = ep->port;
}

static uint64_t sapp_run(void *app, pn_platform *pf, uint64_t now)
{
    sapp *a = (sapp *)app;
    uint8_t buf[PN_UDP_MAX];
    pn_pnrp_endpoint ep;
    pn_addr from, to;
    uint64_t next;
    int len;
    while ((len = pf->udp_recv(pf->ctx, a->sock, &from, buf, sizeof buf)) >= 0) {
        memcpy(ep.addr, from.ip, 16);
        ep.port = from.port;
        pn_pnrp_node_input(&a->n, now, &ep, buf, (size_t)len);
    }
    while (a->ssdp_sock >= 0 &&
           (len = pf->udp_recv(pf->ctx, a->ssdp_sock, &from, buf, sizeof buf)) >= 0) {
        memcpy(ep.addr, from.ip, 16);
        ep.port = from.port;
        pn_pnrp_ssdp_input(&a->ssdp, now, &ep, buf, (size_t)len);
    }
    if (a->to_resolve != NULL) {
        ck_assert_int_ge(pn_pnrp_node_resolve(&a->n, now, a->to_resolve, strlen(a->to_resolve),
                                              PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                         0);
        a->to_resolve = NULL;
    }
    if (pn_pnrp_node_next_deadline(&a->n) <= now)
        pn_pnrp_node_tick(&a->n, now);
    if (a->ssdp_sock >= 0 && pn_pnrp_ssdp_next_deadline(&a->ssdp) <= now)
        pn_pnrp_ssdp_tick(&a->ssdp, now);
    while ((len = pn_pnrp_node_poll_output(&a->n, buf, sizeof buf, &ep)) > 0) {
        to_addr(&to, &ep);
        pf->udp_send(pf->ctx, a->sock, &to, buf, (size_t)len);
    }
    while (a->ssdp_sock >= 0 &&
           (len = pn_pnrp_ssdp_poll_output(&a->ssdp, buf, sizeof buf, &ep)) > 0) {
        to_addr(&to, &ep);
        pf->udp_send(pf->ctx, a->ssdp_sock, &to, buf, (size_t)len);
    }
    next = pn_pnrp_node_next_deadline(&a->n);
    if (a->ssdp_sock >= 0 && pn_pnrp_ssdp_next_deadline(&a->ssdp) < next)
        next = pn_pnrp_ssdp_next_deadline(&a->ssdp);
    /* Looked at every second at least, so a resolve the test asks for starts soon. */
    return next < now + 1000 ? next : now + 1000;
}

START_TEST(pnrp_ssdp_sim_link_cloud_found_by_multicast_only)
{
    static pn_rsa_keybuf key;
    static pn_pnrp_identity id;
    static const pn_sim_app_ops ops = {sapp_start, sapp_run};
    sapp *apps = (sapp *)calloc(SN + 1, sizeof *apps);
    capture_t cap = {NULL, 0, 0};
    pn_sim_config cfg;
    pn_sim *sim = NULL;
    pn_sim_counters c;
    pn_drbg d;
    uint8_t seed[32];
    void *mem;
    size_t need, off;
    int i, group_datagrams = 0, ok = 0;
    PN_REQ("PNRP-1.3.3.1-04");
    ck_assert_ptr_nonnull(apps);
    memset(seed, 0x62, sizeof seed);
    pn_drbg_init(&d, seed, sizeof seed, NULL, 0, NULL, 0);
    ck_assert_int_eq(pn_rsa_generate(&key, 1024, drbg_rng, &d), PN_OK);
    ck_assert_int_eq(pn_pnrp_identity_init(&id, &key.pub, &key.priv), PN_OK);
    pn_sim_config_default(&cfg, SN + 1);
    cfg.seed = 5;
    cfg.net.latency_ms = 5;
    cfg.net.jitter_ms = 5;
    cfg.net.loss_ppm = 10000; /* 1 %: multicast copies are lost like any datagram */
    cfg.pcap_write = cap_put;
    cfg.pcap_ctx = &cap;
    need = pn_sim_memory_size(&cfg);
    mem = malloc(need);
    ck_assert_ptr_nonnull(mem);
    ck_assert_int_eq(pn_sim_init(&sim, &cfg, mem, need), PN_OK);
    /* Nodes join one by one; the last one has no SSDP (the control). */
    for (i = 0; i <= SN; i++) {
        apps[i].index = i;
        apps[i].id = &id;
        apps[i].use_ssdp = i < SN;
        ck_assert_int_eq(pn_sim_add_node(sim, &ops, &apps[i]), i);
        pn_sim_run(sim, pn_sim_now(sim) + 3000, 0);
    }
    pn_sim_run(sim, pn_sim_now(sim) + 4 * PN_PNRP_MAINTENANCE_MS, 0);
    for (i = 0; i < SN; i++) {
        ck_assert_uint_ge(pn_pnrp_node_cache(&apps[i].n)->count, 1);
        apps[i].to_resolve = apps[(i + 3) % SN].name;
    }
    /* The control never hears of anybody, and nobody of it. */
    ck_assert_uint_eq(pn_pnrp_node_cache(&apps[SN].n)->count, 0);
    apps[0].to_resolve = apps[SN].name;
    apps[1].to_resolve = apps[4].name;
    pn_sim_run(sim, pn_sim_now(sim) + 20000, 0);
    for (i = 1; i < SN; i++)
        ok += apps[i].resolved == 1;
    fprintf(stderr, "ssdp sim: %d of %d resolves through SSDP-found caches\n", ok, SN - 1);
    ck_assert_int_eq(ok, SN - 1);
    ck_assert_int_eq(apps[0].resolved, 0); /* the control's name */
    ck_assert_int_eq(apps[0].not_found, 1);
    /* The capture shows the multicast: datagrams to [FF02::C]:1900. */
    for (off = 24; off + 16 + 48 <= cap.len; off += 16 + pn_get_u32le(cap.buf + off + 8)) {
        const uint8_t *ip = cap.buf + off + 16;
        if (memcmp(ip + 24, pn_pnrp_ssdp_group_link, 16) == 0 && pn_get_u16be(ip + 42) == 1900)
            group_datagrams++;
    }
    ck_assert_int_ge(group_datagrams, SN);
    pn_sim_get_counters(sim, PN_SIM_ALL, &c);
    ck_assert_uint_gt(c.udp_lost, 0);
    free(cap.buf);
    free(mem);
    free(apps);
}
END_TEST

PN_SUITE(pnrp_ssdp)
{
    Suite *s = suite_create("pnrp_ssdp");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pnrp_ssdp_codec_round_trip_and_rejects);
    tcase_add_test(tc, pnrp_ssdp_two_nodes_discover_each_other_on_the_link);
    tcase_add_test(tc, pnrp_ssdp_at_most_five_answers_synchronise);
    suite_add_tcase(s, tc);
    tc = tcase_create("sim");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pnrp_ssdp_sim_link_cloud_found_by_multicast_only);
    suite_add_tcase(s, tc);
    return s;
}
