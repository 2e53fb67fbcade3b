/* The PNRP node engine (include/peernet/pnrp.h): identities and CPAs, the Route Entry
 * Cache, the node on an in-process network, and the simulator scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "peernet/hash.h"
#include "peernet/pnrp.h"
#include "peernet/wire.h"
#include "pn_test.h"

/* ---- a fixed RSA-1024 key (generated once from a seeded DRBG) ---------------------- */
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
    memset(seed, 0x42, sizeof seed);
    ck_assert_int_eq(pn_drbg_init(&d, seed, sizeof seed, "pnrp-test", 9, NULL, 0), PN_OK);
    for (i = 0; i < 2; i++) {
        ck_assert_int_eq(pn_rsa_generate(&g_keys[i], 1024, drbg_rng, &d), PN_OK);
        ck_assert_int_eq(pn_pnrp_identity_init(&g_ids[i], &g_keys[i].pub, &g_keys[i].priv), PN_OK);
    }
    g_have_keys = 1;
}

static const int64_t T0_MS = 1767225600000ll; /* 2026-01-01 */

static void params_for(pn_pnrp_cpa_params *p, const pn_pnrp_identity *id, const char *name,
                       pn_pnrp_id *out_id)
{
    pn_pnrp_name nm;
    memset(p, 0, sizeof *p);
    ck_assert_int_eq(pn_pnrp_name_parse(name, strlen(name), &nm), PN_OK);
    p->identity = id;
    p->secure = nm.secure;
    pn_pnrp_classifier_hash(nm.classifier, nm.classifier_len, p->classifier_hash);
    pn_pnrp_service_location(0x20010db800000000ull, 0x1234, p->service_loc);
    memset(p->nonce, 0x5a, 16);
    p->not_after = pn_pnrp_filetime(T0_MS + 3600000);
    p->addr_count = 1;
    p->addrs[0].addr[0] = 0x20;
    p->addrs[0].addr[15] = 7;
    p->addrs[0].port = 3540;
    ck_assert_int_eq(pn_pnrp_name_id(&nm, p->service_loc, out_id), PN_OK);
}

static size_t build(const pn_pnrp_cpa_params *p, uint8_t *buf, size_t cap)
{
    static pn_rsa_work work;
    pn_drbg d;
    uint8_t seed[32] = {1};
    int len;
    pn_drbg_init(&d, seed, sizeof seed, NULL, 0, NULL, 0);
    len = pn_pnrp_cpa_build(p, buf, cap, pn_drbg_rng, &d, &work, sizeof work);
    ck_assert_int_gt(len, 0);
    return (size_t)len;
}

/* ---- identities and CPAs ------------------------------------------------------------- */
START_TEST(pnrp_cpa_built_signed_and_validated)
{
    pn_pnrp_cpa_params p;
    pn_pnrp_cpa cpa;
    pn_pnrp_cpa_expect e;
    pn_pnrp_id id, got;
    uint8_t buf[700];
    size_t len;
    PN_REQ("PNRP-3.2.5.7-01");
    PN_REQ("PNRP-3.2.5.9-01");
    PN_REQ("PNRP-3.1.5.9-01");
    PN_REQ("PNRP-3.1.5.7-05");
    keys_once();
    params_for(&p, &g_ids[0], "0.printer", &id);
    len = build(&p, buf, sizeof buf);
    ck_assert_int_eq(pn_pnrp_cpa_decode(buf, len, PN_PNRP_STRICT, &cpa, NULL), PN_OK);
    ck_assert_uint_eq(cpa.flags & PN_PNRP_CPA_A, 0); /* unsecured: no authority */
    pn_pnrp_cpa_id(&cpa, &got);
    ck_assert_int_eq(pn_pnrp_id_cmp(&got, &id), 0);
    memset(&e, 0, sizeof e);
    e.now_filetime = pn_pnrp_filetime(T0_MS);
    e.nonce = p.nonce;
    e.id = &id;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_OK);
    /* The signature is PKCS#1 v1.5 over SHA-1 of everything before SIGNATURE. */
    {
        uint8_t h[20], sig[128];
        size_t i;
        memcpy(sig, buf + len - 128, 128);
        if (PN_PNRP_SIG_WIRE_LE)
            for (i = 0; i < 64; i++) {
                uint8_t t = sig[i];
                sig[i] = sig[127 - i];
                sig[127 - i] = t;
            }
        pn_sha1(buf, len - PN_PNRP_SIGNATURE_LEN, h);
        ck_assert_int_eq(pn_rsa_pkcs1_verify(&g_keys[0].pub, PN_HASH_SHA1, h, 20, sig, 128), PN_OK);
    }
}
END_TEST

START_TEST(pnrp_cpa_validation_rejects_each_broken_assertion)
{
    pn_pnrp_cpa_params p;
    pn_pnrp_cpa cpa;
    pn_pnrp_cpa_expect e;
    pn_pnrp_id id, other;
    uint8_t buf[700], nonce2[16];
    size_t len;
    PN_REQ("PNRP-3.1.5.7-01");
    PN_REQ("PNRP-3.1.5.7-02");
    PN_REQ("PNRP-3.1.5.7-03");
    PN_REQ("PNRP-3.1.5.7-04");
    PN_REQ("PNRP-3.1.5.7-05");
    keys_once();
    params_for(&p, &g_ids[0], "0.printer", &id);
    len = build(&p, buf, sizeof buf);
    ck_assert_int_eq(pn_pnrp_cpa_decode(buf, len, 0, &cpa, NULL), PN_OK);
    memset(&e, 0, sizeof e);
    e.now_filetime = pn_pnrp_filetime(T0_MS);
    e.nonce = p.nonce;
    e.id = &id;
    /* Expired: now after Not After. */
    e.now_filetime = pn_pnrp_filetime(T0_MS + 3600001);
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_ERR_CRYPTO_EXPIRED);
    e.now_filetime = pn_pnrp_filetime(T0_MS);
    /* Nonce of another INQUIRE. */
    memset(nonce2, 0x5b, 16);
    e.nonce = nonce2;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_ERR_PNRP_NONCE);
    e.nonce = p.nonce;
    /* A route entry naming another PNRP ID. */
    other = id;
    other.b[31] ^= 1;
    e.id = &other;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_ERR_PNRP_CPA);
    e.id = &id;
    /* Expected a revoke CPA. */
    e.revoke = 1;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_ERR_PNRP_CPA);
    e.revoke = 0;
    /* One bit flipped in the signed part (the Not After) breaks the signature. */
    buf[9] ^= 0x01;
    ck_assert_int_eq(pn_pnrp_cpa_decode(buf, len, 0, &cpa, NULL), PN_OK);
    e.now_filetime = 0;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_ERR_CRYPTO_SIGNATURE);
    buf[9] ^= 0x01;
    /* And in the signature itself. */
    buf[len - 5] ^= 0x80;
    ck_assert_int_eq(pn_pnrp_cpa_decode(buf, len, 0, &cpa, NULL), PN_OK);
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_ERR_CRYPTO_SIGNATURE);
}
END_TEST

START_TEST(pnrp_secure_cpa_authority_must_be_hash_of_its_key)
{
    pn_pnrp_cpa_params p;
    pn_pnrp_cpa cpa;
    pn_pnrp_cpa_expect e;
    pn_pnrp_id id;
    char text[64], auth[41];
    uint8_t buf[700];
    size_t len;
    PN_REQ("PNRP-3.1.5.7-02");
    keys_once();
    pn_pnrp_identity_authority_text(&g_ids[0], auth);
    snprintf(text, sizeof text, "%s.camera", auth);
    params_for(&p, &g_ids[0], text, &id);
    ck_assert_int_eq(p.secure, 1);
    len = build(&p, buf, sizeof buf);
    ck_assert_int_eq(pn_pnrp_cpa_decode(buf, len, 0, &cpa, NULL), PN_OK);
    ck_assert_uint_ne(cpa.flags & PN_PNRP_CPA_A, 0);
    memset(&e, 0, sizeof e);
    e.now_filetime = pn_pnrp_filetime(T0_MS);
    e.id = &id;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_OK);
    /* The same authority signed with another key: the authority no longer matches. */
    p.identity = &g_ids[1];
    {
        pn_pnrp_identity forged = g_ids[1];
        memcpy(forged.authority, g_ids[0].authority, 20);
        p.identity = &forged;
        len = build(&p, buf, sizeof buf);
    }
    ck_assert_int_eq(pn_pnrp_cpa_decode(buf, len, 0, &cpa, NULL), PN_OK);
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_ERR_PNRP_CPA);
}
END_TEST

START_TEST(pnrp_revoke_cpa_has_r_flag_and_zero_nonce)
{
    pn_pnrp_cpa_params p;
    pn_pnrp_cpa cpa;
    pn_pnrp_cpa_expect e;
    pn_pnrp_id id;
    uint8_t buf[700];
    size_t len, i;
    PN_REQ("PNRP-3.2.4.2-01");
    keys_once();
    params_for(&p, &g_ids[0], "0.gone", &id);
    p.revoke = 1;
    p.addr_count = 0;
    len = build(&p, buf, sizeof buf);
    ck_assert_int_eq(pn_pnrp_cpa_decode(buf, len, PN_PNRP_STRICT, &cpa, NULL), PN_OK);
    ck_assert_uint_ne(cpa.flags & PN_PNRP_CPA_R, 0);
    for (i = 0; i < 16; i++)
        ck_assert_uint_eq(cpa.nonce[i], 0);
    memset(&e, 0, sizeof e);
    e.now_filetime = pn_pnrp_filetime(T0_MS);
    e.revoke = 1;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_OK);
    e.revoke = 0;
    ck_assert_int_eq(pn_pnrp_cpa_validate(&cpa, &e), PN_ERR_PNRP_CPA);
}
END_TEST

START_TEST(pnrp_identity_needs_a_1024_bit_key)
{
    pn_pnrp_identity id;
    pn_rsa_public pub;
    uint8_t n[256], e3[3] = {1, 0, 1}, e2[3] = {1, 0, 0};
    memset(n, 0xC5, sizeof n);
    pub.n = n;
    pub.n_len = 256;
    pub.e = e3;
    pub.e_len = 3;
    ck_assert_int_eq(pn_pnrp_identity_init(&id, &pub, NULL), PN_ERR_CRYPTO_KEYSIZE);
    pub.n_len = 128;
    ck_assert_int_eq(pn_pnrp_identity_init(&id, &pub, NULL), PN_OK);
    ck_assert_uint_eq(id.key_data[0], 0x30);
    ck_assert_uint_eq(id.key_data[139], 0x01);
    pub.e = e2; /* even exponent */
    ck_assert_int_eq(pn_pnrp_identity_init(&id, &pub, NULL), PN_ERR_CRYPTO_KEY);
}
END_TEST

/* ---- the Route Entry Cache ------------------------------------------------------------ */
static uint64_t sm(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rand_id(uint64_t *x, pn_pnrp_id *id)
{
    size_t i;
    for (i = 0; i < 32; i += 8)
        pn_put_u64be(id->b + i, sm(x));
}

/* The k nearest IDs above (dir 1) or below (dir -1) `from` among ids[0..n). */
static void nearest(const pn_pnrp_id *ids, size_t n, const pn_pnrp_id *from, int dir, size_t k,
                    size_t *out)
{
    size_t i, j, m = 0;
    pn_pnrp_id d[8], x;
    for (i = 0; i < n; i++) {
        if (dir > 0)
            pn_pnrp_id_sub(&x, &ids[i], from);
        else
            pn_pnrp_id_sub(&x, from, &ids[i]);
        for (j = m; j > 0 && pn_pnrp_id_cmp(&x, &d[j - 1]) < 0; j--)
            if (j < k) {
                d[j] = d[j - 1];
                out[j] = out[j - 1];
            }
        if (j < k) {
            d[j] = x;
            out[j] = i;
            if (m < k)
                m++;
        }
    }
}

START_TEST(pnrp_cache_keeps_leaf_sets_and_bounds_levels)
{
    static pn_pnrp_cache_entry ents[64];
    static pn_pnrp_id seen[2000];
    pn_pnrp_cache c;
    pn_pnrp_id local[2];
    uint64_t x = 12345 + (uint64_t)_i;
    size_t i, j, n = 0;
    uint8_t a[16] = {0x20, 1};
    PN_REQ("PNRP-3.2.1.1-01");
    PN_REQ("PNRP-3.2.5.11-01");
    ck_assert_int_eq(pn_pnrp_cache_init(&c, ents, 64), PN_OK);
    rand_id(&x, &local[0]);
    rand_id(&x, &local[1]);
    pn_pnrp_cache_set_local(&c, local, 2);
    for (i = 0; i < 2000; i++) {
        pn_pnrp_id id;
        int r;
        rand_id(&x, &id);
        /* Some IDs near the local ones, so that leaf sets keep changing. */
        if (i % 3 == 0) {
            id = local[i % 2];
            id.b[4 + (sm(&x) % 20)] ^= (uint8_t)sm(&x);
        }
        r = pn_pnrp_cache_add(&c, &id, a, 4000);
        if (r == PN_ERR_EXISTS) /* a local ID itself is never cached */
            continue;
        ck_assert_int_ge(r, PN_ERR_NOMEM);
        seen[n++] = id;
        /* Invariants after every insertion. */
        if (i % 50 == 49 || i < 40) {
            size_t used = 0, lv[256];
            memset(lv, 0, sizeof lv);
            for (j = 0; j < 64; j++)
                if ((ents[j].flags & PN_PNRP_CE_USED)) {
                    used++;
                    if (!(ents[j].flags & PN_PNRP_CE_LEAF))
                        lv[ents[j].level]++;
                }
            ck_assert_uint_eq(used, c.count);
            for (j = 0; j < 256; j++)
                ck_assert_uint_le(lv[j], PN_PNRP_CACHE_LEVEL_CAP);
            /* The true five nearest each side of each local ID are all present. */
            for (j = 0; j < 2; j++) {
                size_t k, idx[5];
                int dir;
                for (dir = -1; dir <= 1; dir += 2) {
                    nearest(seen, n, &local[j], dir, n < 5 ? n : 5, idx);
                    for (k = 0; k < (n < 5 ? n : 5); k++) {
                        pn_pnrp_cache_entry *e = pn_pnrp_cache_find(&c, &seen[idx[k]]);
                        ck_assert_ptr_nonnull(e);
                        ck_assert_uint_ne(e->flags & PN_PNRP_CE_LEAF, 0);
                    }
                }
            }
        }
    }
    ck_assert_uint_eq(c.count, 64);
    /* Removal. */
    ck_assert_int_eq(pn_pnrp_cache_remove(&c, &ents[0].id), 1);
    ck_assert_uint_eq(c.count, 63);
}
END_TEST

/* Decision PORT-7: PN_PNRP_CACHE_MAX is the largest cache a node accepts; a larger (or
 * a too small) one is refused before the node is touched. */
START_TEST(pnrp_node_init_refuses_a_cache_past_the_ceiling)
{
    static pn_pnrp_cache_entry ents[PN_PNRP_CACHE_MAX + 1];
    static pn_pnrp_node n, before;
    static uint8_t out[PN_PNRP_DEFAULT_OUT];
    pn_pnrp_cache c;
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    ck_assert_int_eq(pn_pnrp_cache_init(&c, ents, PN_PNRP_CACHE_MAX + 1), PN_ERR_ARG);
    ck_assert_int_eq(pn_pnrp_cache_init(&c, ents, 10), PN_ERR_ARG);
    ck_assert_int_eq(pn_pnrp_cache_init(&c, ents, PN_PNRP_CACHE_MAX), PN_OK);
    ck_assert_uint_eq(c.cap, PN_PNRP_CACHE_MAX);
    pn_pnrp_node_config_default(&cfg);
    cfg.local[0].addr[0] = 0x20;
    cfg.local[0].addr[1] = 0x01;
    cfg.local[0].addr[15] = 1;
    cfg.local[0].port = 3540;
    cfg.local_count = 1;
    memset(&mem, 0, sizeof mem);
    mem.cache = ents;
    mem.out = out;
    mem.out_cap = sizeof out;
    memset(&n, 0xA5, sizeof n);
    before = n;
    mem.cache_cap = PN_PNRP_CACHE_MAX + 1;
    ck_assert_int_eq(pn_pnrp_node_init(&n, &cfg, &mem, 1000), PN_ERR_ARG);
    ck_assert(memcmp(&n, &before, sizeof n) == 0);
    mem.cache_cap = 10;
    ck_assert_int_eq(pn_pnrp_node_init(&n, &cfg, &mem, 1000), PN_ERR_ARG);
    ck_assert(memcmp(&n, &before, sizeof n) == 0);
    mem.cache = NULL;
    mem.cache_cap = PN_PNRP_CACHE_MAX;
    ck_assert_int_eq(pn_pnrp_node_init(&n, &cfg, &mem, 1000), PN_ERR_ARG);
    ck_assert(memcmp(&n, &before, sizeof n) == 0);
    mem.cache = ents;
    ck_assert_int_eq(pn_pnrp_node_init(&n, &cfg, &mem, 1000), PN_OK);
}
END_TEST

START_TEST(pnrp_cache_closest_sorted_skipping_path_and_not_closer)
{
    static pn_pnrp_cache_entry ents[40];
    pn_pnrp_cache c;
    pn_pnrp_id local, target;
    const pn_pnrp_cache_entry *out[8];
    pn_pnrp_endpoint skip;
    uint64_t x = 99;
    size_t i, k;
    ck_assert_int_eq(pn_pnrp_cache_init(&c, ents, 40), PN_OK);
    rand_id(&x, &local);
    pn_pnrp_cache_set_local(&c, &local, 1);
    for (i = 0; i < 40; i++) {
        pn_pnrp_id id;
        uint8_t a[16] = {0x20};
        rand_id(&x, &id);
        a[15] = (uint8_t)i;
        pn_pnrp_cache_add(&c, &id, a, (uint16_t)(5000 + i));
    }
    rand_id(&x, &target);
    k = pn_pnrp_cache_closest(&c, &target, NULL, 0, NULL, out, 8);
    ck_assert_uint_eq(k, 8);
    for (i = 1; i < k; i++)
        ck_assert_int_le(pn_pnrp_id_closer(&target, &out[i - 1]->id, &out[i]->id), 0);
    /* The closest entry's endpoint in the path: it is skipped. */
    memcpy(skip.addr, out[0]->addr, 16);
    skip.port = out[0]->port;
    {
        const pn_pnrp_cache_entry *first = out[0], *second = out[1];
        k = pn_pnrp_cache_closest(&c, &target, &skip, 1, NULL, out, 8);
        ck_assert_ptr_eq(out[0], second);
        for (i = 0; i < k; i++)
            ck_assert_ptr_ne(out[i], first);
        /* Only entries strictly closer than the second one: just the first. */
        k = pn_pnrp_cache_closest(&c, &target, NULL, 0, &second->id, out, 8);
        ck_assert_uint_eq(k, 1);
        ck_assert_ptr_eq(out[0], first);
    }
}
END_TEST

/* ---- an in-process network of engines ------------------------------------------------- */
#define TN_MAX 40
#define TQ_MAX 4096

typedef struct tnode {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    uint8_t out[PN_PNRP_DEFAULT_OUT];
    pn_pnrp_endpoint ep;
    int resolved, not_found, registered, synced, done;
    pn_pnrp_id ids[8];
    pn_pnrp_id last_id;
    pn_pnrp_endpoint last_addr;
    uint8_t last_apps;
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
    tpkt *q;
    size_t qn;
    int drop_to;        /* node index whose inbound datagrams are lost, or -1 */
    uint32_t delivered; /* datagrams delivered */
} tnet;

static void tn_event(void *ctx, const pn_pnrp_event *ev)
{
    tnode *t = (tnode *)ctx;
    if (ev->type == PN_PNRP_EV_RESOLVED) {
        if (t->resolved < 8)
            t->ids[t->resolved] = ev->id;
        t->resolved++;
        t->last_id = ev->id;
        if (ev->cpa->addr_count > 0)
            t->last_addr = ev->cpa->addrs[0];
        t->last_apps = ev->cpa->app_count;
    } else if (ev->type == PN_PNRP_EV_NOT_FOUND) {
        t->not_found++;
    } else if (ev->type == PN_PNRP_EV_REGISTERED) {
        t->registered++;
    } else if (ev->type == PN_PNRP_EV_SYNCED) {
        t->synced++;
    } else if (ev->type == PN_PNRP_EV_DONE) {
        t->done++;
    }
}

static tnet *tn_new(void)
{
    tnet *net = (tnet *)calloc(1, sizeof *net);
    ck_assert_ptr_nonnull(net);
    net->q = (tpkt *)calloc(TQ_MAX, sizeof *net->q);
    ck_assert_ptr_nonnull(net->q);
    net->drop_to = -1;
    net->now = 1000;
    return net;
}

static void tn_free(tnet *net)
{
    free(net->q);
    free(net);
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
    memset(cfg.seed, (int)net->count + 7, sizeof cfg.seed);
    cfg.wall_offset_ms = T0_MS;
    cfg.on_event = tn_event;
    cfg.event_ctx = t;
    memset(&mem, 0, sizeof mem);
    mem.cache = t->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = t->out;
    mem.out_cap = sizeof t->out;
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

static void tn_collect(tnet *net)
{
    size_t i;
    for (i = 0; i < net->count; i++) {
        pn_pnrp_endpoint to;
        int len;
        while (net->qn < TQ_MAX &&
               (len = pn_pnrp_node_poll_output(&net->nodes[i].n, net->q[net->qn].buf, PN_UDP_MAX,
                                               &to)) > 0) {
            tpkt *p = &net->q[net->qn++];
            p->at = net->now + 10;
            p->from = net->nodes[i].ep;
            p->to = to;
            p->len = (uint16_t)len;
        }
    }
}

/* The node keeps a bound of its pending deadlines and conversation expiries instead of
 * scanning for them after every datagram (decision PORT-8): whatever the tests do, its
 * next deadline must be what a full scan gives, and the bound may never pass a time. */
static void tn_check_due(const pn_pnrp_node *n)
{
    uint64_t d = n->next_maintenance;
    size_t i;
    if (n->fill_walks < 6 && n->cache.count > 0 && n->next_fill < d)
        d = n->next_fill;
    for (i = 0; i < PN_PNRP_PENDING_MAX; i++)
        if (n->pending[i].used) {
            ck_assert_uint_le(n->due_lo, n->pending[i].deadline);
            if (n->pending[i].deadline < d)
                d = n->pending[i].deadline;
        }
    for (i = 0; i < PN_PNRP_CONV_IN; i++)
        if (n->conv_in[i].used) {
            ck_assert_uint_le(n->due_lo, n->conv_in[i].expires);
            if (n->conv_in[i].expires < d)
                d = n->conv_in[i].expires;
        }
    if (n->reasm != NULL && pn_pnrp_reasm_next_deadline(n->reasm) < d)
        d = pn_pnrp_reasm_next_deadline(n->reasm);
    ck_assert_uint_eq(pn_pnrp_node_next_deadline(n), d);
}

static void tn_run(tnet *net, uint64_t until)
{
    for (;;) {
        uint64_t next = UINT64_MAX;
        size_t i, k;
        tn_collect(net);
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
        /* Deliver what is due, in order. */
        for (i = 0, k = 0; i < net->qn; i++) {
            tpkt *p = &net->q[i];
            if (p->at <= net->now) {
                int dst = tn_find(net, &p->to);
                if (dst >= 0 && dst != net->drop_to) {
                    pn_pnrp_node_input(&net->nodes[dst].n, net->now, &p->from, p->buf, p->len);
                    net->delivered++;
                }
            } else {
                if (k != i)
                    net->q[k] = *p;
                k++;
            }
        }
        net->qn = k;
        for (i = 0; i < net->count; i++) {
            tn_check_due(&net->nodes[i].n);
            if (pn_pnrp_node_next_deadline(&net->nodes[i].n) <= net->now)
                pn_pnrp_node_tick(&net->nodes[i].n, net->now);
            tn_check_due(&net->nodes[i].n);
        }
    }
}

static int tn_register(tnet *net, int node, const char *name, int key)
{
    pn_pnrp_registration r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.name_len = strlen(name);
    r.identity = &g_ids[key];
    r.app_count = 1;
    r.apps[0].addr[0] = 0xfe;
    r.apps[0].port = 8080;
    r.apps[0].protocol = 6;
    return pn_pnrp_node_register(&net->nodes[node].n, net->now, &r);
}

/* Nodes 1..n-1 join through node 0; each registers "0.node<i>". */
static tnet *tn_cloud(size_t n)
{
    tnet *net = tn_new();
    size_t i;
    keys_once();
    tn_add(net, -1);
    for (i = 1; i < n; i++) {
        tn_add(net, 0);
        tn_run(net, net->now + 200);
    }
    for (i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "0.node%u", (unsigned)i);
        ck_assert_int_ge(tn_register(net, (int)i, name, (int)(i & 1)), 0);
        tn_run(net, net->now + 300);
    }
    tn_run(net, net->now + 20000);
    return net;
}

START_TEST(pnrp_node_bootstrap_synchronises_with_seed)
{
    tnet *net = tn_new();
    pn_pnrp_id id;
    const pn_pnrp_counters *c;
    PN_REQ("PNRP-3.1.4.3-01");
    PN_REQ("PNRP-3.2.5.3-01");
    PN_REQ("PNRP-3.1.5.3-01");
    PN_REQ("PNRP-3.2.5.4-01");
    PN_REQ("PNRP-3.1.5.11-01");
    keys_once();
    tn_add(net, -1);
    ck_assert_int_ge(tn_register(net, 0, "0.seed", 0), 0);
    tn_run(net, net->now + 3000);
    tn_add(net, 0);
    tn_run(net, net->now + 3000);
    /* SOLICIT -> ADVERTISE -> REQUEST -> ACK + FLOOD; the seed's ID was then admitted
     * only after the INQUIRE/AUTHORITY round trip. */
    ck_assert_int_eq(net->nodes[1].synced, 1);
    c = pn_pnrp_node_counters(&net->nodes[1].n);
    ck_assert_uint_eq(c->rx_by_type[PN_PNRP_ADVERTISE], 1);
    ck_assert_uint_eq(c->rx_by_type[PN_PNRP_FLOOD], 1);
    ck_assert_uint_ge(c->rx_by_type[PN_PNRP_AUTHORITY], 1);
    ck_assert_uint_eq(c->adds_started, 1);
    ck_assert_uint_eq(c->adds_done, 1);
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[0].n, 0, &id), PN_OK);
    ck_assert_ptr_nonnull(
        pn_pnrp_cache_find((pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&net->nodes[1].n), &id));
    tn_free(net);
}
END_TEST

START_TEST(pnrp_node_registers_and_resolves_in_a_small_cloud)
{
    tnet *net = tn_cloud(12);
    size_t i, ok = 0;
    PN_REQ("PNRP-3.2.4.1-01");
    PN_REQ("PNRP-3.1.4.4.2-01");
    PN_REQ("PNRP-3.2.5.2-02");
    PN_REQ("PNRP-3.2.5.6-01");
    PN_REQ("PNRP-3.1.5.6.1.1-01");
    for (i = 0; i < 12; i++) {
        char name[32];
        int from = (int)((i * 5 + 3) % 12);
        pn_pnrp_id want;
        snprintf(name, sizeof name, "0.node%u", (unsigned)i);
        net->nodes[from].resolved = 0;
        ck_assert_int_ge(pn_pnrp_node_resolve(&net->nodes[from].n, net->now, name, strlen(name),
                                              PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                         0);
        tn_run(net, net->now + 5000);
        pn_pnrp_node_local_id(&net->nodes[i].n, 0, &want);
        if (net->nodes[from].resolved == 1 &&
            pn_pnrp_id_cmp(&net->nodes[from].last_id, &want) == 0) {
            ok++;
            /* The endpoints and payload come from the publisher's CPA. */
            ck_assert_mem_eq(net->nodes[from].last_addr.addr, net->nodes[i].ep.addr, 16);
            ck_assert_uint_eq(net->nodes[from].last_apps, 1);
        }
    }
    ck_assert_uint_eq(ok, 12);
    /* A name nobody registered is not found. */
    ck_assert_int_ge(pn_pnrp_node_resolve(&net->nodes[3].n, net->now, "0.nobody", 8,
                                          PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                     0);
    tn_run(net, net->now + 10000);
    ck_assert_int_eq(net->nodes[3].not_found, 1);
    tn_free(net);
}
END_TEST

START_TEST(pnrp_node_resolve_many_reports_every_registration)
{
    tnet *net = tn_cloud(12);
    pn_pnrp_id target, want[3];
    const int pubs[3] = {2, 6, 9};
    int i, j, seen = 0;
    PN_REQ("PNRP-3.1.4.4.2-02");
    for (i = 0; i < 3; i++) {
        int h = tn_register(net, pubs[i], "0.shared", i & 1);
        ck_assert_int_ge(h, 0);
        pn_pnrp_node_local_id(&net->nodes[pubs[i]].n, h, &want[i]);
        tn_run(net, net->now + 500);
    }
    tn_run(net, net->now + 20000);
    ck_assert_int_eq(pn_pnrp_name_target("0.shared", 8, 0, &target), PN_OK);
    net->nodes[4].resolved = 0;
    ck_assert_int_ge(pn_pnrp_node_resolve_many(&net->nodes[4].n, net->now, &target,
                                               PN_PNRP_SEARCH_ANY_PEERNAME, 0, 8, NULL),
                     0);
    tn_run(net, net->now + 20000);
    ck_assert_int_eq(net->nodes[4].done, 1);
    ck_assert_int_eq(net->nodes[4].resolved, 3);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
            seen += pn_pnrp_id_cmp(&net->nodes[4].ids[j], &want[i]) == 0;
    ck_assert_int_eq(seen, 3);
    tn_free(net);
}
END_TEST

START_TEST(pnrp_node_lookup_is_retransmitted_then_fails)
{
    tnet *net = tn_new();
    const pn_pnrp_counters *c;
    uint32_t r0, t0;
    PN_REQ("PNRP-3.1.6.3-01");
    PN_REQ("PNRP-3.1.2-01");
    keys_once();
    tn_add(net, -1);
    ck_assert_int_ge(tn_register(net, 0, "0.a", 0), 0);
    tn_add(net, 0);
    /* Past the cache-filling walks (PE-17), before the first maintenance period. */
    tn_run(net, net->now + 11000);
    ck_assert_uint_eq(pn_pnrp_node_cache(&net->nodes[1].n)->count, 1);
    c = pn_pnrp_node_counters(&net->nodes[1].n);
    r0 = c->retransmits;
    t0 = c->timeouts;
    /* Node 0 goes silent; node 1 resolves through it. */
    net->drop_to = 0;
    ck_assert_int_ge(
        pn_pnrp_node_resolve(&net->nodes[1].n, net->now, "0.x", 3, PN_PNRP_SEARCH_NONE, 0, 0, NULL),
        0);
    tn_run(net, net->now + 999);
    ck_assert_uint_eq(c->retransmits, r0);
    tn_run(net, net->now + 2);
    ck_assert_uint_eq(c->retransmits, r0 + 1); /* after one second, sent again */
    tn_run(net, net->now + 1000);
    ck_assert_uint_eq(c->retransmits, r0 + 1); /* retry count 2: no third send */
    ck_assert_uint_eq(c->timeouts, t0 + 1);
    /* Decision PE-9: the silent hop is asked once more with a new LOOKUP (two sends). */
    ck_assert_int_eq(net->nodes[1].not_found, 0);
    tn_run(net, net->now + 2000);
    ck_assert_uint_eq(c->retransmits, r0 + 2);
    ck_assert_uint_eq(c->timeouts, t0 + 2);
    ck_assert_int_eq(net->nodes[1].not_found, 1);
    /* The silent node left the cache. */
    ck_assert_uint_eq(pn_pnrp_node_cache(&net->nodes[1].n)->count, 0);
    tn_free(net);
}
END_TEST

static size_t encode_to(const pn_pnrp_msg *m, uint8_t *buf)
{
    int len = pn_pnrp_encode(m, buf, PN_UDP_MAX, NULL);
    ck_assert_int_gt(len, 0);
    return (size_t)len;
}

/* A conversation's timer restarts on a repeated SOLICIT and the entry goes when it
 * expires; the node's next deadline follows it (its bound of the conversation times is
 * checked against a full scan at each step, decision PORT-8). */
START_TEST(pnrp_node_conversation_timer_restarts_and_expires)
{
    tnet *net = tn_new();
    pn_pnrp_node *n;
    pn_pnrp_msg m;
    pn_pnrp_endpoint from, to;
    uint8_t buf[PN_UDP_MAX], obuf[PN_UDP_MAX];
    size_t len;
    PN_REQ("PNRP-3.2.5.3-02");
    PN_REQ("PNRP-3.2.6.1-01");
    tn_add(net, -1); /* at 1,000 ms: maintenance at 16,000 */
    n = &net->nodes[0].n;
    memset(&from, 0, sizeof from);
    from.addr[0] = 0x20;
    from.addr[15] = 0x77;
    from.port = 4000;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_SOLICIT;
    m.msg_id = 4242;
    m.u.solicit.hashed_nonce[0] = 0x5a;
    len = encode_to(&m, buf);
    /* Just before the maintenance: the conversation then ends before the next one. */
    pn_pnrp_node_input(n, 15999, &from, buf, len);
    while (pn_pnrp_node_poll_output(n, obuf, sizeof obuf, &to) > 0)
        ck_assert_uint_eq(to.addr[15], 0x77); /* the ADVERTISE */
    tn_check_due(n);
    ck_assert_uint_eq(n->conv_in[0].used, 1);
    pn_pnrp_node_tick(n, 16000);
    tn_check_due(n);
    ck_assert_uint_eq(pn_pnrp_node_next_deadline(n), 15999 + PN_PNRP_CONVERSATION_MS);
    /* The same SOLICIT again restarts the timer (3.2.5.3). */
    pn_pnrp_node_input(n, 20000, &from, buf, len);
    while (pn_pnrp_node_poll_output(n, obuf, sizeof obuf, &to) > 0)
        ck_assert_uint_eq(to.addr[15], 0x77); /* the ADVERTISE */
    tn_check_due(n);
    ck_assert_uint_eq(pn_pnrp_node_next_deadline(n), 16000 + PN_PNRP_MAINTENANCE_MS);
    pn_pnrp_node_tick(n, 16000 + PN_PNRP_MAINTENANCE_MS);
    tn_check_due(n);
    ck_assert_uint_eq(n->conv_in[0].used, 1);
    /* It expires 15 s after the second SOLICIT (3.2.6.1). */
    pn_pnrp_node_tick(n, 20000 + PN_PNRP_CONVERSATION_MS - 1);
    tn_check_due(n);
    ck_assert_uint_eq(n->conv_in[0].used, 1);
    pn_pnrp_node_tick(n, 20000 + PN_PNRP_CONVERSATION_MS);
    tn_check_due(n);
    ck_assert_uint_eq(n->conv_in[0].used, 0);
    tn_free(net);
}
END_TEST

START_TEST(pnrp_node_drops_unsolicited_and_low_port_messages)
{
    tnet *net = tn_new();
    pn_pnrp_msg m;
    pn_pnrp_endpoint from;
    uint8_t buf[PN_UDP_MAX], junk[3] = {1, 2, 3};
    const pn_pnrp_counters *c;
    size_t len, before;
    uint8_t ab[16] = {0};
    PN_REQ("PNRP-3.1.5.2-01");
    PN_REQ("PNRP-3.1.5.4-01");
    PN_REQ("PNRP-3.1.5.6-05");
    PN_REQ("PNRP-3.1.5.3-02");
    keys_once();
    tn_add(net, -1);
    c = pn_pnrp_node_counters(&net->nodes[0].n);
    memset(&from, 0, sizeof from);
    from.addr[0] = 0x20;
    from.addr[15] = 0x99;
    from.port = 4000;
    /* An ACK for nothing. */
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_ACK;
    m.msg_id = 7;
    m.u.ack.acked_id = 1234;
    len = encode_to(&m, buf);
    pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, buf, len);
    ck_assert_uint_eq(c->drop_unsolicited, 1);
    /* An ADVERTISE answering no SOLICIT. */
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_ADVERTISE;
    m.msg_id = 8;
    m.u.advertise.acked_id = 55;
    len = encode_to(&m, buf);
    pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, buf, len);
    ck_assert_uint_eq(c->drop_unsolicited, 2);
    /* An AUTHORITY answering no LOOKUP or INQUIRE. */
    {
        int n = pn_pnrp_fragment_encode(9, 77, ab, 8, 0, buf, sizeof buf, NULL);
        ck_assert_int_gt(n, 0);
        pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, buf, (size_t)n);
        ck_assert_uint_eq(c->drop_unsolicited, 3);
    }
    /* A REQUEST without a conversation. */
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_REQUEST;
    m.msg_id = 10;
    len = encode_to(&m, buf);
    pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, buf, len);
    ck_assert_uint_eq(c->drop_unsolicited, 4);
    /* Source port 1024: dropped before decoding. */
    from.port = 1024;
    pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, buf, len);
    ck_assert_uint_eq(c->drop_src_port, 1);
    from.port = 4000;
    pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, junk, sizeof junk);
    ck_assert_uint_eq(c->drop_decode, 1);
    /* Nothing was answered, nothing cached. */
    before = net->qn;
    tn_collect(net);
    ck_assert_uint_eq(net->qn, before);
    ck_assert_uint_eq(pn_pnrp_node_cache(&net->nodes[0].n)->count, 0);
    tn_free(net);
}
END_TEST

START_TEST(pnrp_node_inquire_for_unknown_id_gets_n_flag)
{
    tnet *net = tn_new();
    pn_pnrp_msg m, out;
    pn_pnrp_authority_buffer ab;
    pn_pnrp_endpoint from, to;
    uint8_t buf[PN_UDP_MAX];
    size_t len;
    int n;
    PN_REQ("PNRP-3.2.5.6-02");
    keys_once();
    tn_add(net, -1);
    memset(&from, 0, sizeof from);
    from.addr[0] = 0x20;
    from.addr[15] = 0x77;
    from.port = 5000;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_INQUIRE;
    m.msg_id = 42;
    m.u.inquire.flag_a = 1;
    m.u.inquire.validate.b[0] = 9;
    len = encode_to(&m, buf);
    pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, buf, len);
    n = pn_pnrp_node_poll_output(&net->nodes[0].n, buf, sizeof buf, &to);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(to.port, 5000);
    ck_assert_int_eq(pn_pnrp_decode(buf, (size_t)n, PN_PNRP_STRICT, &out, NULL), PN_OK);
    ck_assert_int_eq(out.type, PN_PNRP_AUTHORITY);
    ck_assert_uint_eq(out.u.authority.acked_id, 42);
    ck_assert_int_eq(pn_pnrp_authority_buffer_decode(out.u.authority.fragment.p,
                                                     out.u.authority.fragment.len, 0, &ab, NULL),
                     PN_OK);
    ck_assert_int_eq(ab.flag_n, 1);
    ck_assert_int_eq(ab.has_cpa, 0);
    tn_free(net);
}
END_TEST

START_TEST(pnrp_node_flood_acked_unless_d_set)
{
    tnet *net = tn_new();
    pn_pnrp_msg m, out;
    pn_pnrp_endpoint from, to;
    uint8_t buf[PN_UDP_MAX];
    size_t len;
    int n;
    PN_REQ("PNRP-3.1.5.5-01");
    PN_REQ("PNRP-3.2.5.5-01");
    keys_once();
    tn_add(net, -1);
    memset(&from, 0, sizeof from);
    from.addr[0] = 0x20;
    from.addr[15] = 0x55;
    from.port = 6000;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_FLOOD;
    m.msg_id = 100;
    m.u.flood.validate.b[3] = 1; /* not registered here */
    len = encode_to(&m, buf);
    pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, buf, len);
    n = pn_pnrp_node_poll_output(&net->nodes[0].n, buf, sizeof buf, &to);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_pnrp_decode(buf, (size_t)n, 0, &out, NULL), PN_OK);
    ck_assert_int_eq(out.type, PN_PNRP_ACK);
    ck_assert_uint_eq(out.u.ack.acked_id, 100);
    ck_assert_int_eq(out.u.ack.flag_n, 1);
    m.u.flood.flag_d = 1;
    m.msg_id = 101;
    len = encode_to(&m, buf);
    pn_pnrp_node_input(&net->nodes[0].n, net->now, &from, buf, len);
    ck_assert_int_eq(pn_pnrp_node_poll_output(&net->nodes[0].n, buf, sizeof buf, &to), 0);
    tn_free(net);
}
END_TEST

START_TEST(pnrp_node_unregister_revokes_at_neighbours)
{
    tnet *net = tn_cloud(8);
    pn_pnrp_id id;
    size_t i, holders = 0, before = 0;
    PN_REQ("PNRP-3.2.4.2-02");
    PN_REQ("PNRP-3.1.5.5-02");
    PN_REQ("PNRP-4.3-01");
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[5].n, 0, &id), PN_OK);
    for (i = 0; i < 8; i++)
        before +=
            pn_pnrp_cache_find((pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&net->nodes[i].n),
                               &id) != NULL;
    ck_assert_uint_ge(before, 2);
    ck_assert_int_eq(pn_pnrp_node_unregister(&net->nodes[5].n, net->now, 0), PN_OK);
    tn_run(net, net->now + 5000);
    for (i = 0; i < 8; i++)
        holders +=
            pn_pnrp_cache_find((pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&net->nodes[i].n),
                               &id) != NULL;
    /* The two nearest leaves dropped it, and (4.3) passed the revoke on through the
     * leaf sets: in a cloud this small every cache had it as a leaf. */
    ck_assert_uint_eq(holders, 0);
    tn_free(net);
}
END_TEST

/* A LOOKUP from a fake peer carrying a route entry makes the node INQUIRE that entry;
 * the answer comes back as a two-fragment AUTHORITY (a 1300-byte certificate chain
 * element pads it).  With reassembly memory the entry is admitted; without, the
 * fragments are dropped and counted. */
static int admit_via_fragments(int with_reasm)
{
    static pn_pnrp_reasm ra;
    tnet *net = tn_new();
    pn_pnrp_node *n;
    pn_pnrp_msg m, iq;
    pn_pnrp_authority_buffer ab;
    pn_pnrp_endpoint peer, to;
    static uint8_t chain[1300], abuf[3000];
    uint8_t buf[PN_UDP_MAX];
    size_t len, k;
    int ablen, got;
    keys_once();
    tn_add(net, -1);
    n = &net->nodes[0].n;
    if (with_reasm) { /* re-initialise the node with reassembly memory */
        pn_pnrp_node_config cfg = n->cfg;
        pn_pnrp_node_memory mem;
        memset(&mem, 0, sizeof mem);
        mem.cache = net->nodes[0].cache;
        mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
        mem.out = net->nodes[0].out;
        mem.out_cap = sizeof net->nodes[0].out;
        mem.reasm = &ra;
        ck_assert_int_eq(pn_pnrp_node_init(n, &cfg, &mem, net->now), PN_OK);
    }
    memset(&peer, 0, sizeof peer);
    peer.addr[0] = 0x20;
    peer.addr[15] = 0x42;
    peer.port = 7000;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_LOOKUP;
    m.msg_id = 5;
    m.u.lookup.target.b[0] = 0x80;
    m.u.lookup.has_route = 1;
    m.u.lookup.route.id.b[0] = 0x81;
    m.u.lookup.route.port = 7000;
    m.u.lookup.route.addr_count = 1;
    memcpy(m.u.lookup.route.addrs[0], peer.addr, 16);
    m.u.lookup.path.count = 1;
    m.u.lookup.path.eps[0] = peer;
    len = encode_to(&m, buf);
    pn_pnrp_node_input(n, net->now, &peer, buf, len);
    /* Outputs: the INQUIRE (admission) and the AUTHORITY answering the LOOKUP. */
    memset(&iq, 0, sizeof iq);
    while ((got = pn_pnrp_node_poll_output(n, buf, sizeof buf, &to)) > 0) {
        pn_pnrp_msg x;
        ck_assert_int_eq(pn_pnrp_decode(buf, (size_t)got, 0, &x, NULL), PN_OK);
        if (x.type == PN_PNRP_INQUIRE)
            iq = x;
    }
    ck_assert_int_eq(iq.type, PN_PNRP_INQUIRE);
    memset(&ab, 0, sizeof ab);
    ab.has_cert_chain = 1;
    memset(chain, 0x30, sizeof chain);
    ab.cert_chain.p = chain;
    ab.cert_chain.len = sizeof chain;
    ab.has_route = 1;
    ab.route = m.u.lookup.route;
    ablen = pn_pnrp_authority_buffer_encode(&ab, abuf, sizeof abuf, NULL);
    ck_assert_int_gt(ablen, PN_PNRP_FRAGMENT_LEN);
    ck_assert_uint_eq(pn_pnrp_fragment_count((size_t)ablen), 2);
    for (k = 2; k-- > 0;) { /* last fragment first */
        got = pn_pnrp_fragment_encode(77, iq.msg_id, abuf, (size_t)ablen, k, buf, sizeof buf, NULL);
        ck_assert_int_gt(got, 0);
        pn_pnrp_node_input(n, net->now, &peer, buf, (size_t)got);
    }
    got = pn_pnrp_node_cache(n)->count == 1 ? 1 : 0;
    if (!with_reasm)
        ck_assert_uint_eq(pn_pnrp_node_counters(n)->drop_reasm, 2);
    tn_free(net);
    return got;
}

START_TEST(pnrp_node_reassembles_fragmented_authority)
{
    PN_REQ("PNRP-3.1.5.6-04");
    ck_assert_int_eq(admit_via_fragments(1), 1);
    ck_assert_int_eq(admit_via_fragments(0), 0);
}
END_TEST

START_TEST(pnrp_node_memory_within_16k_by_default)
{
    tnet *net = tn_new();
    tn_add(net, -1);
    ck_assert_uint_le(pn_pnrp_node_memory_used(&net->nodes[0].n), 16384);
    ck_assert_uint_ge(pn_pnrp_node_memory_used(&net->nodes[0].n), sizeof(pn_pnrp_node));
    tn_free(net);
}
END_TEST

/* ---- the simulator scenario ------------------------------------------------------------- */
static int run_sim(char *out, size_t cap)
{
    char cmd[1024];
    const char *tool = getenv("PN_TOOL");
    FILE *p;
    size_t n;
    int rc;
    snprintf(cmd, sizeof cmd, "'%s' sim pnrp --nodes 80 --resolves 80 --seed 7 --json",
             tool ? tool : "build/peernet");
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

START_TEST(pnrp_sim_cloud_resolves_everything_deterministically)
{
    char a[2048], b[2048], *w;
    ck_assert_int_eq(run_sim(a, sizeof a), 0);
    ck_assert_ptr_nonnull(strstr(a, "\"resolve_success_rate\":1.000000"));
    ck_assert_int_eq(run_sim(b, sizeof b), 0);
    /* Identical but for the wall time. */
    w = strstr(a, "\"wall_seconds\"");
    ck_assert_ptr_nonnull(w);
    *w = '\0';
    w = strstr(b, "\"wall_seconds\"");
    ck_assert_ptr_nonnull(w);
    *w = '\0';
    ck_assert_str_eq(a, b);
}
END_TEST

PN_SUITE(pnrp_node)
{
    Suite *s = suite_create("pnrp_node");
    TCase *tc = tcase_create("cpa");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pnrp_cpa_built_signed_and_validated);
    tcase_add_test(tc, pnrp_cpa_validation_rejects_each_broken_assertion);
    tcase_add_test(tc, pnrp_secure_cpa_authority_must_be_hash_of_its_key);
    tcase_add_test(tc, pnrp_revoke_cpa_has_r_flag_and_zero_nonce);
    tcase_add_test(tc, pnrp_identity_needs_a_1024_bit_key);
    suite_add_tcase(s, tc);
    tc = tcase_create("cache");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, pnrp_cache_keeps_leaf_sets_and_bounds_levels, 0, 3);
    tcase_add_test(tc, pnrp_cache_closest_sorted_skipping_path_and_not_closer);
    tcase_add_test(tc, pnrp_node_init_refuses_a_cache_past_the_ceiling);
    suite_add_tcase(s, tc);
    tc = tcase_create("node");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pnrp_node_bootstrap_synchronises_with_seed);
    tcase_add_test(tc, pnrp_node_registers_and_resolves_in_a_small_cloud);
    tcase_add_test(tc, pnrp_node_lookup_is_retransmitted_then_fails);
    tcase_add_test(tc, pnrp_node_resolve_many_reports_every_registration);
    tcase_add_test(tc, pnrp_node_drops_unsolicited_and_low_port_messages);
    tcase_add_test(tc, pnrp_node_conversation_timer_restarts_and_expires);
    tcase_add_test(tc, pnrp_node_inquire_for_unknown_id_gets_n_flag);
    tcase_add_test(tc, pnrp_node_flood_acked_unless_d_set);
    tcase_add_test(tc, pnrp_node_unregister_revokes_at_neighbours);
    tcase_add_test(tc, pnrp_node_memory_within_16k_by_default);
    tcase_add_test(tc, pnrp_node_reassembles_fragmented_authority);
    tcase_add_test(tc, pnrp_sim_cloud_resolves_everything_deterministically);
    suite_add_tcase(s, tc);
    return s;
}
