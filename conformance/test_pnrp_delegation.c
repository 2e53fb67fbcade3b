/* Delegation through certificate chains and extended payloads (MS-PNRP 1.3.2, 2.2.3.3,
 * 2.2.3.5, 3.1.5.7, 3.1.5.8, 3.1.5.10, 3.2.5.6, 3.2.5.8): chains built and validated,
 * and delegated names with payloads resolved by engines on an in-process network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp.h"
#include "peernet/wire.h"
#include "peernet/x509.h"
#include "pn_test.h"

enum { NKEYS = 4 };
static pn_rsa_keybuf g_keys[NKEYS];
static pn_pnrp_identity g_own[NKEYS]; /* owner identities of the keys */
static int g_have;
static pn_drbg g_rng;

static const int64_t T0_MS = 1767225600000ll; /* 2026-01-01 */
#define T0_S (T0_MS / 1000)

static int drbg_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

static void keys_once(void)
{
    uint8_t seed[32];
    int i;
    if (g_have)
        return;
    memset(seed, 0x37, sizeof seed);
    ck_assert_int_eq(pn_drbg_init(&g_rng, seed, sizeof seed, "deleg", 5, NULL, 0), PN_OK);
    for (i = 0; i < NKEYS; i++) {
        ck_assert_int_eq(pn_rsa_generate(&g_keys[i], 1024, drbg_rng, &g_rng), PN_OK);
        ck_assert_int_eq(pn_pnrp_identity_init(&g_own[i], &g_keys[i].pub, &g_keys[i].priv), PN_OK);
    }
    g_have = 1;
}

typedef struct blob {
    uint8_t b[8192];
    size_t n;
} blob;

/* A PNRP certificate for key `subj` issued by key `iss` (root when issuer is NULL). */
static void cert(blob *out, int iss, const blob *issuer, int subj, int role, const char *cl,
                 int64_t nb, int64_t na)
{
    pn_pnrp_cert_params p;
    const char *cls[1];
    char pname[48];
    int len;
    memset(&p, 0, sizeof p);
    p.issuer_key = &g_keys[iss].priv;
    if (issuer != NULL) {
        p.issuer_cert = issuer->b;
        p.issuer_cert_len = issuer->n;
    }
    p.subject_key = &g_keys[subj].pub;
    memset(p.serial, 0x11 + subj, 16);
    p.serial[0] = 0x40;
    p.not_before = nb;
    p.not_after = na;
    pn_pnrp_identity_authority_text(&g_own[0], pname);
    strcat(pname, ".");
    p.peer_name = pname;
    p.peer_name_len = strlen(pname);
    cls[0] = cl;
    p.classifiers = cls;
    p.n_classifiers = cl != NULL ? 1 : 0;
    p.role = role;
    len = pn_pnrp_cert_build(&p, drbg_rng, &g_rng, out->b, sizeof out->b, NULL);
    ck_assert_int_gt(len, 0);
    out->n = (size_t)len;
}

static void bag(blob *out, const blob *const *certs, size_t n)
{
    pn_x509_span s[8];
    uint8_t tmp[8192];
    size_t i;
    int len;
    static uint8_t store[4][8192];
    static int k;
    for (i = 0; i < n; i++) {
        s[i].p = certs[i]->b;
        s[i].len = certs[i]->n;
    }
    len = pn_pkcs7_bag_build(s, n, tmp, sizeof tmp, NULL);
    ck_assert_int_gt(len, 0);
    (void)store;
    (void)k;
    ck_assert_uint_le((size_t)len, sizeof out->b);
    memcpy(out->b, tmp, (size_t)len);
    out->n = (size_t)len;
}

static void units_of(const char *s, uint16_t *u, size_t *n)
{
    size_t i;
    for (i = 0; s[i] != 0; i++)
        u[i] = (uint8_t)s[i];
    *n = i;
}

static int check(const blob *chain, int cpa_key, int auth_key, const char *cl, int64_t now)
{
    pn_pnrp_chain_check c;
    uint16_t u[160];
    memset(&c, 0, sizeof c);
    c.cpa_key = g_own[cpa_key].key_data;
    c.authority = g_own[auth_key].authority;
    if (cl != NULL) {
        units_of(cl, u, &c.classifier_units);
        c.classifier = u;
    }
    c.now_filetime = pn_pnrp_filetime(now * 1000);
    return pn_pnrp_chain_validate(chain->b, chain->n, &c, NULL);
}

START_TEST(pnrp_chain_delegation_validated)
{
    blob root, mem, adm, sub, ch, bad;
    const blob *two[2], *three[3];
    uint8_t auth[20];
    pn_pnrp_chain_check c;
    PN_REQ("PNRP-2.2.3.5-01");
    PN_REQ("PNRP-3.1.5.10-01");
    PN_REQ("PNRP-3.1.5.10-02");
    PN_REQ("PNRP-2.2.3.5.1.5.1-01");
    PN_REQ("PNRP-3.1.5.10-03");
    keys_once();
    cert(&root, 0, NULL, 0, 0, NULL, T0_S - 3600, T0_S + 86400);
    cert(&mem, 0, &root, 1, PN_PNRP_ROLE_MEMBER, "printer", T0_S - 3600, T0_S + 86400);
    two[0] = &root;
    two[1] = &mem;
    bag(&ch, two, 2);
    /* The delegate's key signs; the owner's key is the authority. */
    memset(&c, 0, sizeof c);
    c.cpa_key = g_own[1].key_data;
    c.now_filetime = pn_pnrp_filetime(T0_S * 1000);
    ck_assert_int_eq(pn_pnrp_chain_validate(ch.b, ch.n, &c, auth), PN_OK);
    ck_assert_mem_eq(auth, g_own[0].authority, 20);
    ck_assert_int_eq(check(&ch, 1, 0, "printer", T0_S), PN_OK);
    /* roleMember: only the exact classifier. */
    ck_assert_int_eq(check(&ch, 1, 0, "printers", T0_S), PN_ERR_CRYPTO_CHAIN);
    ck_assert_int_eq(check(&ch, 1, 0, "scanner", T0_S), PN_ERR_CRYPTO_CHAIN);
    /* Wrong authority, wrong signing key. */
    ck_assert_int_eq(check(&ch, 1, 2, "printer", T0_S), PN_ERR_CRYPTO_CHAIN);
    ck_assert_int_eq(check(&ch, 2, 0, "printer", T0_S), PN_ERR_CRYPTO_CHAIN);
    /* Outside the validity of a certificate. */
    ck_assert_int_eq(check(&ch, 1, 0, "printer", T0_S + 2 * 86400), PN_ERR_CRYPTO_EXPIRED);
    ck_assert_int_eq(check(&ch, 1, 0, "printer", T0_S - 7200), PN_ERR_CRYPTO_EXPIRED);
    /* A tampered member certificate breaks its signature. */
    bad = ch;
    bad.b[bad.n - 5] ^= 1;
    ck_assert_int_ne(check(&bad, 1, 0, "printer", T0_S), PN_OK);
    /* Member first (not a root), or root missing: broken. */
    two[0] = &mem;
    two[1] = &root;
    bag(&bad, two, 2);
    ck_assert_int_ne(check(&bad, 1, 0, "printer", T0_S), PN_OK);
    two[0] = &mem;
    bag(&bad, two, 1);
    ck_assert_int_ne(check(&bad, 1, 0, "printer", T0_S), PN_OK);
    /* A member certificate signed by the wrong key. */
    {
        blob forged;
        cert(&forged, 2, &root, 1, PN_PNRP_ROLE_MEMBER, "printer", T0_S - 3600, T0_S + 86400);
        two[0] = &root;
        two[1] = &forged;
        bag(&bad, two, 2);
        ck_assert_int_eq(check(&bad, 1, 0, "printer", T0_S), PN_ERR_CRYPTO_SIGNATURE);
    }
    /* Subdelegation: admin "print", then admin "printer" (the prefix rule of the
     * receiving certificate's role). */
    cert(&adm, 0, &root, 1, PN_PNRP_ROLE_ADMIN, "print", T0_S - 3600, T0_S + 86400);
    cert(&sub, 1, &adm, 2, PN_PNRP_ROLE_ADMIN, "printer", T0_S - 3600, T0_S + 86400);
    three[0] = &root;
    three[1] = &adm;
    three[2] = &sub;
    bag(&ch, three, 3);
    ck_assert_int_eq(check(&ch, 2, 0, "printer", T0_S), PN_OK);
    /* A member below "print" gets "print" exactly, not "printer"; nobody gets "scan". */
    cert(&sub, 1, &adm, 2, PN_PNRP_ROLE_MEMBER, "printer", T0_S - 3600, T0_S + 86400);
    bag(&ch, three, 3);
    ck_assert_int_eq(check(&ch, 2, 0, "printer", T0_S), PN_ERR_CRYPTO_CHAIN);
    cert(&sub, 1, &adm, 2, PN_PNRP_ROLE_ADMIN, "scan", T0_S - 3600, T0_S + 86400);
    bag(&ch, three, 3);
    ck_assert_int_eq(check(&ch, 2, 0, "scan", T0_S), PN_ERR_CRYPTO_CHAIN);
    /* The admin's own prefix rule: "print-queue" is delegated by "print". */
    two[0] = &root;
    two[1] = &adm;
    bag(&ch, two, 2);
    ck_assert_int_eq(check(&ch, 1, 0, "print-queue", T0_S), PN_OK);
}
END_TEST

START_TEST(pnrp_chain_longer_than_the_limit_rejected)
{
    blob c[PN_PNRP_CHAIN_MAX + 1], ch;
    const blob *list[PN_PNRP_CHAIN_MAX + 1];
    size_t i;
    PN_REQ("PNRP-2.2.3.5-02");
    keys_once();
    cert(&c[0], 0, NULL, 0, 0, NULL, T0_S - 3600, T0_S + 86400);
    list[0] = &c[0];
    for (i = 1; i <= PN_PNRP_CHAIN_MAX; i++) {
        cert(&c[i], (int)((i - 1) % NKEYS), &c[i - 1], (int)(i % NKEYS), PN_PNRP_ROLE_ADMIN, "x",
             T0_S - 3600, T0_S + 86400);
        list[i] = &c[i];
    }
    bag(&ch, list, PN_PNRP_CHAIN_MAX);
    ck_assert_int_eq(check(&ch, (int)((PN_PNRP_CHAIN_MAX - 1) % NKEYS), 0, "x", T0_S), PN_OK);
    {
        /* One more certificate: a SignedData written by hand, since the bag builder
         * itself stops at PN_X509_MAX_CHAIN. */
        static uint8_t tmp[32768];
        pn_wr w;
        size_t m0, m1, m2, m3;
        pn_pnrp_chain_check k;
        pn_wr_init(&w, tmp, sizeof tmp);
        m0 = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_oid(&w, (const uint8_t *)"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 9);
        m1 = pn_der_wr_open(&w, PN_DER_CTX_C(0));
        m2 = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_tlv(&w, 0x02, "\x01", 1);
        pn_der_wr_tlv(&w, 0x31, NULL, 0);
        m3 = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_oid(&w, (const uint8_t *)"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 9);
        pn_der_wr_close(&w, m3);
        m3 = pn_der_wr_open(&w, PN_DER_CTX_C(0));
        for (i = 0; i <= PN_PNRP_CHAIN_MAX; i++)
            pn_wr_bytes(&w, c[i].b, c[i].n);
        pn_der_wr_close(&w, m3);
        pn_der_wr_tlv(&w, 0x31, NULL, 0);
        pn_der_wr_close(&w, m2);
        pn_der_wr_close(&w, m1);
        pn_der_wr_close(&w, m0);
        ck_assert_int_eq(pn_wr_err(&w), 0);
        memset(&k, 0, sizeof k);
        k.now_filetime = pn_pnrp_filetime(T0_S * 1000);
        ck_assert_int_eq(pn_pnrp_chain_validate(tmp, pn_wr_len(&w), &k, NULL), PN_ERR_CRYPTO_CHAIN);
    }
}
END_TEST

START_TEST(pnrp_ext_payload_signed_and_validated)
{
    uint8_t buf[4400];
    static pn_rsa_work work;
    pn_pnrp_ext_payload xp;
    pn_pnrp_id id, other;
    uint8_t nonce[16], nonce2[16];
    const uint8_t data[] = "hello payload";
    uint64_t na = pn_pnrp_filetime(T0_MS + 60000);
    int len;
    PN_REQ("PNRP-3.2.5.8-01");
    PN_REQ("PNRP-3.1.5.8-01");
    keys_once();
    memset(&id, 0x21, sizeof id);
    memset(&other, 0x22, sizeof other);
    memset(nonce, 0x5a, 16);
    memset(nonce2, 0x5b, 16);
    len = pn_pnrp_ext_payload_build(&g_own[1], na, &id, nonce, PN_PNRP_XP_BINARY, 0, data,
                                    sizeof data, buf, sizeof buf, drbg_rng, &g_rng, &work,
                                    sizeof work);
    ck_assert_int_gt(len, 0);
    ck_assert_int_eq(pn_pnrp_ext_payload_decode(buf, (size_t)len, 0, &xp, NULL), PN_OK);
    ck_assert_uint_eq(xp.data.len, sizeof data);
    ck_assert_int_eq(pn_pnrp_ext_payload_validate(&xp, g_own[1].key_data, na - 1, &id, nonce),
                     PN_OK);
    ck_assert_int_eq(pn_pnrp_ext_payload_validate(&xp, g_own[0].key_data, na - 1, &id, nonce),
                     PN_ERR_PNRP_EXT_PAYLOAD);
    ck_assert_int_eq(pn_pnrp_ext_payload_validate(&xp, g_own[1].key_data, na + 1, &id, nonce),
                     PN_ERR_PNRP_EXT_PAYLOAD);
    ck_assert_int_eq(pn_pnrp_ext_payload_validate(&xp, g_own[1].key_data, na - 1, &other, nonce),
                     PN_ERR_PNRP_EXT_PAYLOAD);
    ck_assert_int_eq(pn_pnrp_ext_payload_validate(&xp, g_own[1].key_data, na - 1, &id, nonce2),
                     PN_ERR_PNRP_EXT_PAYLOAD);
    buf[80] ^= 1; /* a payload byte */
    ck_assert_int_eq(pn_pnrp_ext_payload_decode(buf, (size_t)len, 0, &xp, NULL), PN_OK);
    ck_assert_int_eq(pn_pnrp_ext_payload_validate(&xp, g_own[1].key_data, na - 1, &id, nonce),
                     PN_ERR_PNRP_EXT_PAYLOAD);
}
END_TEST

/* ---- engines on an in-process network ------------------------------------------------ */
#define TN_MAX 8
#define TQ_MAX 2048

typedef struct tnode {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    uint8_t out[16384];
    pn_pnrp_reasm reasm;
    pn_pnrp_endpoint ep;
    int resolved, not_found;
    pn_pnrp_id last_id;
    uint8_t xp[64];
    size_t xp_len;
} tnode;

typedef struct tpkt {
    uint64_t at;
    pn_pnrp_endpoint from, to;
    uint16_t len;
    uint8_t buf[PN_UDP_MAX];
} tpkt;

typedef struct tnet {
    tnode nodes[TN_MAX];
    size_t count;
    uint64_t now;
    tpkt q[TQ_MAX];
    size_t qn;
} tnet;

static void tn_event(void *ctx, const pn_pnrp_event *ev)
{
    tnode *t = (tnode *)ctx;
    if (ev->type == PN_PNRP_EV_RESOLVED) {
        t->resolved++;
        t->last_id = ev->id;
        t->xp_len = 0;
        if (ev->ext_payload != NULL && ev->ext_payload->data.len <= sizeof t->xp) {
            memcpy(t->xp, ev->ext_payload->data.p, ev->ext_payload->data.len);
            t->xp_len = ev->ext_payload->data.len;
        }
    } else if (ev->type == PN_PNRP_EV_NOT_FOUND) {
        t->not_found++;
    }
}

static int tn_add(tnet *net, int seed_node)
{
    tnode *t = &net->nodes[net->count];
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
    memset(cfg.seed, (int)net->count + 3, sizeof cfg.seed);
    cfg.wall_offset_ms = T0_MS;
    cfg.on_event = tn_event;
    cfg.event_ctx = t;
    memset(&mem, 0, sizeof mem);
    mem.cache = t->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = t->out;
    mem.out_cap = sizeof t->out;
    pn_pnrp_reasm_init(&t->reasm, PN_PNRP_REASSEMBLY_TIMEOUT_MS);
    mem.reasm = &t->reasm;
    ck_assert_int_eq(pn_pnrp_node_init(&t->n, &cfg, &mem, net->now), PN_OK);
    return (int)net->count++;
}

static int tn_find(const tnet *net, const pn_pnrp_endpoint *ep)
{
    size_t i;
    for (i = 0; i < net->count; i++)
        if (net->nodes[i].ep.port == ep->port && memcmp(net->nodes[i].ep.addr, ep->addr, 16) == 0)
            return (int)i;
    return -1;
}

static void tn_run(tnet *net, uint64_t until)
{
    for (;;) {
        uint64_t next = UINT64_MAX;
        size_t i, k;
        for (i = 0; i < net->count; i++) {
            pn_pnrp_endpoint to;
            int len;
            while (net->qn < TQ_MAX &&
                   (len = pn_pnrp_node_poll_output(&net->nodes[i].n, net->q[net->qn].buf,
                                                   PN_UDP_MAX, &to)) > 0) {
                tpkt *p = &net->q[net->qn++];
                p->at = net->now + 10;
                p->from = net->nodes[i].ep;
                p->to = to;
                p->len = (uint16_t)len;
            }
        }
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
            tpkt *p = &net->q[i];
            if (p->at <= net->now) {
                int dst = tn_find(net, &p->to);
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

static tnet *tn_cloud(size_t n)
{
    tnet *net = (tnet *)calloc(1, sizeof *net);
    size_t i;
    ck_assert_ptr_nonnull(net);
    net->now = 1000;
    tn_add(net, -1);
    for (i = 1; i < n; i++) {
        tn_add(net, 0);
        tn_run(net, net->now + 300);
    }
    for (i = 0; i < n; i++) {
        pn_pnrp_registration r;
        static char names[TN_MAX][16];
        snprintf(names[i], sizeof names[i], "0.node%u", (unsigned)i);
        memset(&r, 0, sizeof r);
        r.name = names[i];
        r.name_len = strlen(names[i]);
        r.identity = &g_own[3];
        ck_assert_int_ge(pn_pnrp_node_register(&net->nodes[i].n, net->now, &r), 0);
        tn_run(net, net->now + 300);
    }
    tn_run(net, net->now + 20000);
    return net;
}

/* Publish `name` from node pub with identity id (and payload xp), resolve it from node
 * res; returns 1 when resolved to the publisher's ID. */
static int publish_and_resolve(tnet *net, int pub, int res, const pn_pnrp_identity *id,
                               const char *name, const char *xp)
{
    pn_pnrp_registration r;
    pn_pnrp_id want;
    int h;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.name_len = strlen(name);
    r.identity = id;
    if (xp != NULL) {
        r.xp_data = (const uint8_t *)xp;
        r.xp_len = strlen(xp);
        r.xp_type = PN_PNRP_XP_BINARY;
    }
    h = pn_pnrp_node_register(&net->nodes[pub].n, net->now, &r);
    ck_assert_int_ge(h, 0);
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[pub].n, h, &want), PN_OK);
    tn_run(net, net->now + 10000);
    net->nodes[res].resolved = net->nodes[res].not_found = 0;
    ck_assert_int_ge(pn_pnrp_node_resolve(&net->nodes[res].n, net->now, name, strlen(name),
                                          PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                     0);
    tn_run(net, net->now + 15000);
    ck_assert_int_eq(net->nodes[res].resolved + net->nodes[res].not_found, 1);
    return net->nodes[res].resolved == 1 && pn_pnrp_id_cmp(&net->nodes[res].last_id, &want) == 0;
}

static blob g_root, g_mem, g_chain;

static void delegate_chain(int64_t member_not_after)
{
    const blob *two[2];
    cert(&g_root, 0, NULL, 0, 0, NULL, T0_S - 3600, T0_S + 86400);
    cert(&g_mem, 0, &g_root, 1, PN_PNRP_ROLE_MEMBER, "printer", T0_S - 3600, member_not_after);
    two[0] = &g_root;
    two[1] = &g_mem;
    bag(&g_chain, two, 2);
}

START_TEST(pnrp_node_resolves_delegated_name_with_payload)
{
    tnet *net;
    pn_pnrp_identity del;
    char name[64];
    const pn_pnrp_counters *c;
    PN_REQ("PNRP-1.3.2-01");
    PN_REQ("PNRP-3.2.5.6-03");
    PN_REQ("PNRP-3.1.5.7-06");
    keys_once();
    delegate_chain(T0_S + 86400);
    del = g_own[1];
    ck_assert_int_eq(pn_pnrp_identity_set_chain(&del, g_chain.b, g_chain.n, T0_S), PN_OK);
    ck_assert_mem_eq(del.authority, g_own[0].authority, 20);
    /* The delegate publishes under the owner's authority. */
    pn_pnrp_identity_authority_text(&g_own[0], name);
    strcat(name, ".printer");
    net = tn_cloud(6);
    {
        int ok = publish_and_resolve(net, 3, 5, &del, name, "queue=7");
        if (!ok) {
            size_t i;
            for (i = 0; i < net->count; i++) {
                const pn_pnrp_counters *k = pn_pnrp_node_counters(&net->nodes[i].n);
                fprintf(stderr,
                        "node %u: cpa %u chain %u xp %u reasm %u out_full %u decode %u signs %u\n",
                        (unsigned)i, k->drop_cpa, k->drop_chain, k->drop_xp, k->drop_reasm,
                        k->drop_out_full, k->drop_decode, k->signs);
            }
        }
        ck_assert_int_eq(ok, 1);
    }
    ck_assert_uint_eq(net->nodes[5].xp_len, 7);
    ck_assert_mem_eq(net->nodes[5].xp, "queue=7", 7);
    c = pn_pnrp_node_counters(&net->nodes[5].n);
    ck_assert_uint_eq(c->drop_chain, 0);
    ck_assert_uint_eq(c->drop_xp, 0);
    /* The owner's key cannot be claimed without the chain: a name of another authority
     * is refused at registration. */
    {
        pn_pnrp_registration r;
        char other[64];
        memset(&r, 0, sizeof r);
        pn_pnrp_identity_authority_text(&g_own[2], other);
        strcat(other, ".printer");
        r.name = other;
        r.name_len = strlen(other);
        r.identity = &del;
        ck_assert_int_eq(pn_pnrp_node_register(&net->nodes[3].n, net->now, &r), PN_ERR_PNRP_NAME);
    }
    free(net);
}
END_TEST

/* Each broken delegation is refused by the resolver and counted in drop_chain. */
START_TEST(pnrp_node_rejects_and_counts_bad_delegations)
{
    int scenario;
    PN_REQ("PNRP-3.1.5.10-01");
    PN_REQ("PNRP-3.1.5.10-03");
    PN_REQ("PNRP-3.1.5.7-06");
    PN_REQ("PNRP-3.1.5.6.1.2-01");
    keys_once();
    for (scenario = 0; scenario < 4; scenario++) {
        tnet *net;
        pn_pnrp_identity del;
        static blob tampered;
        char name[64];
        const char *cl = ".printer";
        /* 2: the member certificate expires an hour after T0 (the cloud runs past it). */
        delegate_chain(scenario == 2 ? T0_S + 20 : T0_S + 86400);
        del = g_own[1];
        ck_assert_int_eq(pn_pnrp_identity_set_chain(&del, g_chain.b, g_chain.n, T0_S), PN_OK);
        if (scenario == 0) { /* broken chain: one bit of the member signature */
            tampered = g_chain;
            tampered.b[tampered.n - 5] ^= 0x10;
            del.chain = tampered.b;
        } else if (scenario == 1) { /* wrong authority: the chain roots at key 0 */
            memcpy(del.authority, g_own[2].authority, 20);
        } else if (scenario == 3) { /* a classifier the chain does not delegate */
            cl = ".scanner";
        }
        pn_pnrp_identity_authority_text(&del, name);
        strcat(name, cl);
        net = tn_cloud(5);
        ck_assert_int_eq(publish_and_resolve(net, 2, 4, &del, name, NULL), 0);
        ck_assert_int_eq(net->nodes[4].not_found, 1);
        ck_assert_uint_ge(pn_pnrp_node_counters(&net->nodes[4].n)->drop_chain, 1);
        free(net);
    }
}
END_TEST

PN_SUITE(pnrp_delegation)
{
    Suite *s = suite_create("pnrp_delegation");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pnrp_chain_delegation_validated);
    tcase_add_test(tc, pnrp_chain_longer_than_the_limit_rejected);
    tcase_add_test(tc, pnrp_ext_payload_signed_and_validated);
    tcase_add_test(tc, pnrp_node_resolves_delegated_name_with_payload);
    tcase_add_test(tc, pnrp_node_rejects_and_counts_bad_delegations);
    suite_add_tcase(s, tc);
    return s;
}
