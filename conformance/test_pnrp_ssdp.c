/* SSDP discovery of link-local PNRP clouds (MS-PNRP 1.3.3.1, 3.1.4.2.2, 3.1.5.1,
 * 3.2.4.1, 3.2.4.2): the codec, and two engines finding each other through an
 * in-memory multicast group. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp_cloud.h"
#include "peernet/pnrp_ssdp.h"
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

PN_SUITE(pnrp_ssdp)
{
    Suite *s = suite_create("pnrp_ssdp");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pnrp_ssdp_codec_round_trip_and_rejects);
    tcase_add_test(tc, pnrp_ssdp_two_nodes_discover_each_other_on_the_link);
    tcase_add_test(tc, pnrp_ssdp_at_most_five_answers_synchronise);
    suite_add_tcase(s, tc);
    return s;
}
