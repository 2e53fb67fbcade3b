/* The PNRP engine under faults: loss, abrupt leaves, churn and CPA expiry (issue 5 "At
 * scale"; decisions PE-40 to PE-45).  Engine-level cases run a few nodes on an
 * in-process network where the test decides which nodes are gone; the cloud-level
 * cases run `peernet sim pnrp` at small N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peernet/pnrp.h"
#include "peernet/wire.h"
#include "pn_test.h"

static pn_rsa_keybuf s_key;
static pn_pnrp_identity s_id;
static int s_have_key;

static int drbg_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

static void key_once(void)
{
    pn_drbg d;
    uint8_t seed[32];
    if (s_have_key)
        return;
    memset(seed, 0x5c, sizeof seed);
    ck_assert_int_eq(pn_drbg_init(&d, seed, sizeof seed, "pnrp-scale", 10, NULL, 0), PN_OK);
    ck_assert_int_eq(pn_rsa_generate(&s_key, 1024, drbg_rng, &d), PN_OK);
    ck_assert_int_eq(pn_pnrp_identity_init(&s_id, &s_key.pub, &s_key.priv), PN_OK);
    s_have_key = 1;
}

/* ---- a small in-process network -------------------------------------------------------- */
#define SN_MAX 12
#define SQ_MAX 4096

typedef struct snode {
    pn_pnrp_node n;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    uint8_t out[PN_PNRP_DEFAULT_OUT];
    pn_pnrp_endpoint ep;
    int down;                            /* vanished: receives and sends nothing, never ticks */
    int resolved, not_found, registered; /* registered: registration walks ended */
    pn_pnrp_id last_id;
} snode;

typedef struct spkt {
    uint64_t at;
    pn_pnrp_endpoint from, to;
    uint16_t len;
    uint8_t buf[PN_UDP_MAX];
} spkt;

typedef struct snet {
    snode nodes[SN_MAX];
    size_t count;
    uint64_t now;
    spkt *q;
    size_t qn;
} snet;

static const int64_t T0_MS = 1767225600000ll; /* 2026-01-01 */

static void sn_event(void *ctx, const pn_pnrp_event *ev)
{
    snode *t = (snode *)ctx;
    if (ev->type == PN_PNRP_EV_RESOLVED) {
        t->resolved++;
        t->last_id = ev->id;
    } else if (ev->type == PN_PNRP_EV_NOT_FOUND) {
        t->not_found++;
    } else if (ev->type == PN_PNRP_EV_REGISTERED) {
        t->registered++;
    }
}

static snet *sn_new(void)
{
    snet *net = (snet *)calloc(1, sizeof *net);
    ck_assert_ptr_nonnull(net);
    net->q = (spkt *)calloc(SQ_MAX, sizeof *net->q);
    ck_assert_ptr_nonnull(net->q);
    net->now = 1000;
    key_once();
    return net;
}

static void sn_free(snet *net)
{
    free(net->q);
    free(net);
}

static void ep_of(size_t i, pn_pnrp_endpoint *ep)
{
    memset(ep, 0, sizeof *ep);
    ep->addr[0] = 0x20;
    ep->addr[1] = 0x01;
    ep->addr[15] = (uint8_t)(i + 1);
    ep->port = 3540;
}

static int sn_add(snet *net, int seed_node, uint32_t lifetime_s)
{
    snode *t = &net->nodes[net->count];
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    pn_pnrp_node_config_default(&cfg);
    ep_of(net->count, &t->ep);
    cfg.local[0] = t->ep;
    cfg.local_count = 1;
    if (seed_node >= 0) {
        cfg.seeds[0] = net->nodes[seed_node].ep;
        cfg.seed_count = 1;
    }
    memset(cfg.seed, (int)net->count + 31, sizeof cfg.seed);
    cfg.wall_offset_ms = T0_MS;
    cfg.cpa_lifetime_s = lifetime_s;
    cfg.on_event = sn_event;
    cfg.event_ctx = t;
    memset(&mem, 0, sizeof mem);
    mem.cache = t->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = t->out;
    mem.out_cap = sizeof t->out;
    ck_assert_int_eq(pn_pnrp_node_init(&t->n, &cfg, &mem, net->now), PN_OK);
    return (int)net->count++;
}

static int sn_find(const snet *net, const pn_pnrp_endpoint *ep)
{
    size_t i;
    for (i = 0; i < net->count; i++)
        if (net->nodes[i].ep.port == ep->port && memcmp(net->nodes[i].ep.addr, ep->addr, 16) == 0)
            return (int)i;
    return -1;
}

static void sn_run(snet *net, uint64_t until)
{
    for (;;) {
        uint64_t next = UINT64_MAX;
        size_t i, k;
        for (i = 0; i < net->count; i++) {
            pn_pnrp_endpoint to;
            int len;
            while (net->qn < SQ_MAX &&
                   (len = pn_pnrp_node_poll_output(&net->nodes[i].n, net->q[net->qn].buf,
                                                   PN_UDP_MAX, &to)) > 0) {
                spkt *p = &net->q[net->qn];
                if (net->nodes[i].down)
                    continue;
                p->at = net->now + 10;
                p->from = net->nodes[i].ep;
                p->to = to;
                p->len = (uint16_t)len;
                net->qn++;
            }
        }
        for (i = 0; i < net->qn; i++)
            if (net->q[i].at < next)
                next = net->q[i].at;
        for (i = 0; i < net->count; i++) {
            uint64_t d = pn_pnrp_node_next_deadline(&net->nodes[i].n);
            if (!net->nodes[i].down && d < next)
                next = d;
        }
        if (next > until) {
            net->now = until;
            return;
        }
        if (next > net->now)
            net->now = next;
        for (i = 0, k = 0; i < net->qn; i++) {
            spkt *p = &net->q[i];
            if (p->at <= net->now) {
                int dst = sn_find(net, &p->to);
                if (dst >= 0 && !net->nodes[dst].down)
                    pn_pnrp_node_input(&net->nodes[dst].n, net->now, &p->from, p->buf, p->len);
            } else {
                if (k != i)
                    net->q[k] = *p;
                k++;
            }
        }
        net->qn = k;
        for (i = 0; i < net->count; i++)
            if (!net->nodes[i].down && pn_pnrp_node_next_deadline(&net->nodes[i].n) <= net->now)
                pn_pnrp_node_tick(&net->nodes[i].n, net->now);
    }
}

static int sn_register(snet *net, int node, const char *name)
{
    pn_pnrp_registration r;
    memset(&r, 0, sizeof r);
    r.name = name;
    r.name_len = strlen(name);
    r.identity = &s_id;
    return pn_pnrp_node_register(&net->nodes[node].n, net->now, &r);
}

/* n nodes join through node 0, each registers "0.s<i>". */
static snet *sn_cloud(size_t n, uint32_t lifetime_s)
{
    snet *net = sn_new();
    size_t i;
    sn_add(net, -1, lifetime_s);
    for (i = 1; i < n; i++) {
        sn_add(net, 0, lifetime_s);
        sn_run(net, net->now + 200);
    }
    for (i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "0.s%u", (unsigned)i);
        ck_assert_int_ge(sn_register(net, (int)i, name), 0);
        sn_run(net, net->now + 300);
    }
    sn_run(net, net->now + 20000);
    return net;
}

static int in_cache(snet *net, int node, const pn_pnrp_id *id)
{
    const pn_pnrp_cache *c = pn_pnrp_node_cache(&net->nodes[node].n);
    size_t i;
    for (i = 0; i < c->cap; i++)
        if ((c->e[i].flags & PN_PNRP_CE_USED) && pn_pnrp_id_cmp(&c->e[i].id, id) == 0)
            return 1;
    return 0;
}

static const pn_pnrp_cache_entry *entry_of(snet *net, int node, const pn_pnrp_id *id)
{
    const pn_pnrp_cache *c = pn_pnrp_node_cache(&net->nodes[node].n);
    size_t i;
    for (i = 0; i < c->cap; i++)
        if ((c->e[i].flags & PN_PNRP_CE_USED) && pn_pnrp_id_cmp(&c->e[i].id, id) == 0)
            return &c->e[i];
    return NULL;
}

/* ---- CPA expiry (PE-44) --------------------------------------------------------------- */
START_TEST(pnrp_cache_entries_expire_with_their_cpa_and_are_revalidated)
{
    /* CPAs live 60 s.  Leaf entries carry the expiry of the CPA that admitted them; past
     * it a live publisher is admitted again with a fresh CPA, a vanished one is gone, and
     * its name no longer resolves. */
    snet *net = sn_cloud(6, 60);
    pn_pnrp_id id_dead, id_live;
    const pn_pnrp_cache_entry *e;
    uint32_t first_expiry;
    size_t i;
    int holder = -1, live_holder = -1, total_expired = 0;
    PN_REQ("PNRP-3.1.5.7-10");
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[5].n, 0, &id_dead), PN_OK);
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[4].n, 0, &id_live), PN_OK);
    for (i = 0; i < 4; i++) {
        e = entry_of(net, (int)i, &id_dead);
        if (e != NULL && e->expires != 0)
            holder = (int)i;
        e = entry_of(net, (int)i, &id_live);
        if (e != NULL && e->expires != 0)
            live_holder = (int)i;
    }
    ck_assert_int_ge(holder, 0);
    ck_assert_int_ge(live_holder, 0);
    e = entry_of(net, live_holder, &id_live);
    first_expiry = e->expires;
    /* About 60 s after admission, in 1024 ms units of the node clock. */
    ck_assert_uint_le(first_expiry, (uint32_t)((net->now + 61000) >> 10));
    ck_assert_uint_ge(first_expiry, (uint32_t)((net->now + 60000 - 25000) >> 10));
    /* Node 5 vanishes without revoking. */
    net->nodes[5].down = 1;
    sn_run(net, net->now + 100000);
    for (i = 0; i < 5; i++) {
        ck_assert(!in_cache(net, (int)i, &id_dead));
        total_expired += (int)pn_pnrp_node_counters(&net->nodes[i].n)->expired;
    }
    ck_assert_int_gt(total_expired, 0);
    /* The live publisher is still cached, admitted again with a later expiry. */
    e = entry_of(net, live_holder, &id_live);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_gt(e->expires, first_expiry);
    /* A name whose publisher is gone no longer resolves; the others still do. */
    ck_assert_int_ge(pn_pnrp_node_resolve(&net->nodes[1].n, net->now, "0.s5", 4,
                                          PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                     0);
    sn_run(net, net->now + 30000);
    ck_assert_int_eq(net->nodes[1].resolved, 0);
    ck_assert_int_eq(net->nodes[1].not_found, 1);
    ck_assert_int_ge(pn_pnrp_node_resolve(&net->nodes[1].n, net->now, "0.s4", 4,
                                          PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                     0);
    sn_run(net, net->now + 30000);
    ck_assert_int_eq(net->nodes[1].resolved, 1);
    ck_assert_int_eq(pn_pnrp_id_cmp(&net->nodes[1].last_id, &id_live), 0);
    sn_free(net);
}
END_TEST

/* ---- abrupt leaves: the walk goes on through the rest of the cache (PE-43, PE-45) ------ */
START_TEST(pnrp_resolve_survives_vanished_first_hops)
{
    /* A registered node R knows three nodes very close to the target that have all
     * vanished (never answered), and one live node far away.  The resolve tries the three
     * (each twice, PE-9), drops them from the cache although they are leaves (PE-45),
     * then continues through the live node (PE-43) and finds the name. */
    snet *net = sn_cloud(5, 0);
    pn_pnrp_id target, target_reg, fake;
    pn_pnrp_cache *rc;
    pn_pnrp_endpoint ghost;
    int r, k;
    PN_REQ("PNRP-3.1.4.4.2-10");
    PN_REQ("PNRP-3.1.6.3-10");
    r = sn_add(net, -1, 0);
    ck_assert_int_ge(sn_register(net, r, "0.rr"), 0);
    ck_assert_int_eq(pn_pnrp_name_target("0.s3", 4, 0, &target), PN_OK);
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[3].n, 0, &target_reg), PN_OK);
    rc = (pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&net->nodes[r].n);
    for (k = 0; k < 3; k++) {
        fake = target;
        fake.b[31] ^= (uint8_t)(k + 1); /* closer to the target than anyone */
        ep_of(100 + (size_t)k, &ghost); /* no node has this address */
        ck_assert_int_ge(pn_pnrp_cache_add(rc, &fake, ghost.addr, ghost.port), 1);
    }
    ck_assert_int_ge(pn_pnrp_cache_add(rc, pn_pnrp_node_cache(&net->nodes[0].n)->local,
                                       net->nodes[0].ep.addr, net->nodes[0].ep.port),
                     1);
    ck_assert_uint_eq(rc->count, 4);
    fake = target;
    fake.b[31] ^= 1;
    ck_assert(pn_pnrp_cache_find(rc, &fake)->flags & PN_PNRP_CE_LEAF);
    ck_assert_int_ge(pn_pnrp_node_resolve(&net->nodes[r].n, net->now, "0.s3", 4,
                                          PN_PNRP_SEARCH_ANY_PEERNAME, 0, 0, NULL),
                     0);
    sn_run(net, net->now + 14000);
    ck_assert_int_eq(net->nodes[r].not_found, 0);
    ck_assert_int_eq(net->nodes[r].resolved, 1);
    ck_assert_int_eq(pn_pnrp_id_cmp(&net->nodes[r].last_id, &target_reg), 0);
    for (k = 0; k < 3; k++) {
        fake = target;
        fake.b[31] ^= (uint8_t)(k + 1);
        ck_assert_ptr_null(pn_pnrp_cache_find(rc, &fake));
    }
    sn_free(net);
}
END_TEST

/* ---- islands rejoin the cloud (PE-42) ------------------------------------------------- */
START_TEST(pnrp_small_cache_solicits_seeds_again)
{
    /* Below the ten entries 3.2.1.1 requires, each maintenance period synchronises with
     * a seed again; a full-enough cache does not. */
    snet *net = sn_cloud(4, 0);
    const pn_pnrp_counters *c0 = pn_pnrp_node_counters(&net->nodes[0].n);
    uint32_t before = c0->rx_by_type[PN_PNRP_SOLICIT];
    PN_REQ("PNRP-3.2.1.1-10");
    ck_assert_uint_lt(pn_pnrp_node_cache(&net->nodes[1].n)->count, 10);
    sn_run(net, net->now + 31000); /* two maintenance periods */
    /* Nodes 1 to 3 have node 0 as their seed: at least one SOLICIT each per period. */
    ck_assert_uint_ge(c0->rx_by_type[PN_PNRP_SOLICIT], before + 6);
    sn_free(net);
}
END_TEST

/* ---- leaf-set repair after fast joins (PE-71, PE-73) ---------------------------------- */
static void sn_feed(snet *net, int node, const pn_pnrp_endpoint *from, const pn_pnrp_msg *m)
{
    uint8_t buf[PN_UDP_MAX];
    int len = pn_pnrp_encode(m, buf, sizeof buf, NULL);
    ck_assert_int_gt(len, 0);
    pn_pnrp_node_input(&net->nodes[node].n, net->now, from, buf, (size_t)len);
}

START_TEST(pnrp_leaf_flood_back_reaches_new_entry)
{
    /* Node 1 hears of a new node X from a FLOOD that a third node forwarded.  Once X is
     * admitted into node 1's leaf set, node 1 sends its own route entry to X (4.4; the
     * "back to the sender" of 3.2.5.11 read as the new entry's node, decision PE-71),
     * and so do the nodes node 1 floods X on to: X, which knew no one, learns its leaf
     * set from them. */
    snet *net = sn_cloud(5, 0);
    pn_pnrp_id idx, id1;
    pn_pnrp_endpoint fwd;
    pn_pnrp_msg m;
    int x;
    PN_REQ("PNRP-3.2.5.11-10");
    x = sn_add(net, -1, 0); /* no seed: knows no one */
    ck_assert_int_ge(sn_register(net, x, "0.xx"), 0);
    sn_run(net, net->now + 1000);
    ck_assert_uint_eq(pn_pnrp_node_cache(&net->nodes[x].n)->count, 0);
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[x].n, 0, &idx), PN_OK);
    ck_assert_int_eq(pn_pnrp_node_local_id(&net->nodes[1].n, 0, &id1), PN_OK);
    ep_of(200, &fwd); /* the forwarding node: outside this network */
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_FLOOD;
    m.msg_id = 0x4444;
    m.u.flood.validate = id1;
    m.u.flood.has_route = 1;
    m.u.flood.route.id = idx;
    m.u.flood.route.port = net->nodes[x].ep.port;
    m.u.flood.route.addr_count = 1;
    memcpy(m.u.flood.route.addrs[0], net->nodes[x].ep.addr, 16);
    m.u.flood.flooded.count = 1;
    m.u.flood.flooded.eps[0] = fwd;
    sn_feed(net, 1, &fwd, &m);
    sn_run(net, net->now + 5000);
    ck_assert(in_cache(net, 1, &idx));
    ck_assert(in_cache(net, x, &id1));
    ck_assert_uint_ge(pn_pnrp_node_cache(&net->nodes[x].n)->count, 3);
    sn_free(net);
}
END_TEST

START_TEST(pnrp_names_announced_again_when_cache_reaches_ten)
{
    /* When a node's cache reaches the ten entries of 3.2.1.1, the registration walks it
     * made before no longer count (decision PE-73): its name is walked again at the next
     * maintenance periods.  Node X loses entries down to nine (as a node that joined
     * through an islanded seed holds few), synchronises with its seed (PE-42) and is back
     * at ten: it walks its name at each of the two periods after that, while an untouched
     * node walks at most once (every fourth period, PE-11). */
    snet *net = sn_cloud(SN_MAX, 0);
    pn_pnrp_cache *xc;
    int x = 5, y = 7, wx, wy;
    size_t i;
    PN_REQ("PNRP-3.2.4.1-10");
    sn_run(net, net->now + 31000);
    xc = (pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&net->nodes[x].n);
    ck_assert_uint_ge(xc->count, 10);
    ck_assert_uint_ge(net->nodes[x].n.locals[0].announced, 2);
    ck_assert_uint_ge(net->nodes[y].n.locals[0].announced, 2);
    for (i = 0; i < xc->cap && xc->count > 9; i++)
        if ((xc->e[i].flags & PN_PNRP_CE_USED) && !(xc->e[i].flags & PN_PNRP_CE_LEAF)) {
            pn_pnrp_id id = xc->e[i].id;
            ck_assert_int_eq(pn_pnrp_cache_remove(xc, &id), 1);
        }
    for (i = 0; i < xc->cap && xc->count > 9; i++)
        if (xc->e[i].flags & PN_PNRP_CE_USED) {
            pn_pnrp_id id = xc->e[i].id;
            ck_assert_int_eq(pn_pnrp_cache_remove(xc, &id), 1);
        }
    ck_assert_uint_eq(xc->count, 9);
    wx = net->nodes[x].registered;
    wy = net->nodes[y].registered;
    /* Three maintenance periods: X synchronises at the first (its walks made then still
     * count) and walks at the next two. */
    sn_run(net, net->now + 46000);
    ck_assert_uint_ge(xc->count, 10);
    ck_assert_int_ge(net->nodes[x].registered - wx, 2);
    ck_assert_int_le(net->nodes[y].registered - wy, 1);
    sn_free(net);
}
END_TEST

/* ---- the cloud scenarios -------------------------------------------------------------- */
/* `peernet SUB ARGS REDIRECT`: its output in out, its exit status. */
static int run_tool(const char *sub, const char *args, const char *redirect, char *out, size_t cap)
{
    char cmd[1024];
    const char *tool = getenv("PN_TOOL");
    FILE *p;
    size_t n;
    int rc;
    snprintf(cmd, sizeof cmd, "'%s' %s %s %s", tool ? tool : "build/peernet", sub, args, redirect);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int run_sim(const char *args, char *out, size_t cap)
{
    return run_tool("sim pnrp", args, "--json 2>/dev/null", out, cap);
}

static double json_num(const char *js, const char *key)
{
    char k[64];
    const char *p;
    snprintf(k, sizeof k, "\"%s\":", key);
    p = strstr(js, k);
    ck_assert_msg(p != NULL, "no %s in %s", key, js);
    return strtod(p + strlen(k), NULL);
}

/* `peernet decode pnrp ARGS`, its messages included. */
static int run_decode(const char *args, char *out, size_t cap)
{
    return run_tool("decode pnrp", args, "2>&1", out, cap);
}

static void write_file(const char *path, const uint8_t *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(buf, 1, n, f), n);
    fclose(f);
}

/* Issue 5: every datagram of a simulator capture decodes with `peernet decode pnrp`
 * (strict: as the engine sends them).  A capture with one datagram damaged, or cut in a
 * record, fails. */
START_TEST(pnrp_sim_capture_decodes_datagram_by_datagram)
{
    char dir[] = "/tmp/pn_cap_XXXXXX", path[64], args[256], out[4096], js[2048];
    unsigned count = 0, valid = 0, bad = 0, recs = 0;
    uint8_t *buf;
    long n;
    size_t off;
    FILE *f;
    PN_REQ("PNRP-2.2-90");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/c.pcap", dir);
    snprintf(args, sizeof args, "--nodes 40 --resolves 20 --seed 2 --pcap %s", path);
    ck_assert_int_eq(run_sim(args, js, sizeof js), 0);
    snprintf(args, sizeof args, "--pcap --strict %s", path);
    ck_assert_int_eq(run_decode(args, out, sizeof out), 0);
    ck_assert_int_eq(sscanf(out, "%u PNRP datagrams in %u records: %u valid, %u invalid", &count,
                            &recs, &valid, &bad),
                     4);
    ck_assert_uint_gt(count, 1000);
    ck_assert_uint_eq(count, recs); /* the simulator carries PNRP only here */
    ck_assert_uint_eq(valid, count);
    /* Damage the Identifier byte of the first datagram's header (PNRP_HEADER, 2.2.1). */
    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (uint8_t *)malloc((size_t)n);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    off = 24 + 16 + 40 + 8; /* file header, record header, IPv6, UDP */
    ck_assert_uint_eq(buf[off + 4], 0x51);
    buf[off + 4] = 0x52;
    write_file(path, buf, (size_t)n);
    ck_assert_int_eq(run_decode(args, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "record 1: invalid: PNRP_HEADER.Identifier"));
    ck_assert_ptr_nonnull(strstr(out, " 1 invalid"));
    /* Cut inside a record. */
    write_file(path, buf, 24 + 16 + 10);
    ck_assert_int_eq(run_decode(args, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "truncated in record 1"));
    /* Not a capture. */
    write_file(path, buf + 100, 200);
    ck_assert_int_eq(run_decode(args, out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "not a pcap capture"));
    ck_assert_int_eq(run_decode("--pcap --hex x", out, sizeof out), 2);
    free(buf);
    remove(path);
    rmdir(dir);
}
END_TEST

START_TEST(pnrp_sim_resolves_survive_loss)
{
    char a[2048];
    PN_REQ("PNRP-3.1.6.3-11");
    ck_assert_int_eq(run_sim("--nodes 150 --resolves 150 --seed 3 --loss 0.05", a, sizeof a), 0);
    ck_assert_double_eq(json_num(a, "resolve_success_rate"), 1.0);
    ck_assert_double_eq(json_num(a, "resolves_counted"), 150);
}
END_TEST

START_TEST(pnrp_sim_abrupt_leave_repairs)
{
    char a[2048];
    PN_REQ("PNRP-3.1.4.4.2-10");
    ck_assert_int_eq(run_sim("--nodes 150 --resolves 150 --seed 4 --leave 0.2", a, sizeof a), 0);
    ck_assert_double_eq(json_num(a, "nodes_left"), 30);
    ck_assert_double_eq(json_num(a, "resolves_counted"), 150);
    ck_assert_double_eq(json_num(a, "resolve_success_rate"), 1.0);
}
END_TEST

START_TEST(pnrp_sim_fast_join_converges)
{
    /* A flash crowd: 600 nodes join 2 ms apart (all through node 0 as a seed) and
     * register 1.5 s later, and only 20 s pass before the resolves.  Every leaf set holds
     * its nearest neighbour on each side and every name resolves (decisions PE-71 to
     * PE-73; before them 547 of these 600 resolves succeeded). */
    char a[2048];
    PN_REQ("PNRP-3.2.1.1-11");
    ck_assert_int_eq(run_sim("--nodes 600 --resolves 600 --seed 1 --join-gap 2", a, sizeof a), 0);
    ck_assert_double_eq(json_num(a, "resolves_counted"), 600);
    ck_assert_double_eq(json_num(a, "resolve_success_rate"), 1.0);
    ck_assert_double_eq(json_num(a, "leaf_nearest_cached"), 1.0);
    ck_assert_double_ge(json_num(a, "leaf_neighbours_cached"), 0.8);
    ck_assert_int_eq(run_sim("--nodes 500 --resolves 500 --seed 2 --join-gap 5", a, sizeof a), 0);
    ck_assert_double_eq(json_num(a, "resolve_success_rate"), 1.0);
    ck_assert_double_eq(json_num(a, "leaf_nearest_cached"), 1.0);
}
END_TEST

START_TEST(pnrp_sim_churn_is_deterministic_and_resolves)
{
    char a[2048], b[2048], *w;
    PN_REQ("PNRP-3.1.4.4.2-11");
    ck_assert_int_eq(run_sim("--nodes 100 --resolves 1500 --seed 2 --churn 0.3", a, sizeof a), 0);
    ck_assert_double_ge(json_num(a, "churn_events"), 5);
    ck_assert_double_ge(json_num(a, "resolves_counted"), 1200);
    ck_assert_double_eq(json_num(a, "resolve_success_rate"), 1.0);
    ck_assert_int_eq(run_sim("--nodes 100 --resolves 1500 --seed 2 --churn 0.3", b, sizeof b), 0);
    w = strstr(a, "\"wall_seconds\"");
    ck_assert_ptr_nonnull(w);
    *w = '\0';
    w = strstr(b, "\"wall_seconds\"");
    ck_assert_ptr_nonnull(w);
    *w = '\0';
    ck_assert_str_eq(a, b);
    /* Bad fault options are usage errors. */
    ck_assert_int_eq(run_sim("--churn 2", a, sizeof a), 2);
    ck_assert_int_eq(run_sim("--leave 0.1 --churn 0.1", a, sizeof a), 2);
}
END_TEST

PN_SUITE(pnrp_scale)
{
    Suite *s = suite_create("pnrp_scale");
    TCase *tc = tcase_create("engine");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pnrp_cache_entries_expire_with_their_cpa_and_are_revalidated);
    tcase_add_test(tc, pnrp_resolve_survives_vanished_first_hops);
    tcase_add_test(tc, pnrp_small_cache_solicits_seeds_again);
    tcase_add_test(tc, pnrp_leaf_flood_back_reaches_new_entry);
    tcase_add_test(tc, pnrp_names_announced_again_when_cache_reaches_ten);
    suite_add_tcase(s, tc);
    tc = tcase_create("cloud");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, pnrp_sim_resolves_survive_loss);
    tcase_add_test(tc, pnrp_sim_capture_decodes_datagram_by_datagram);
    tcase_add_test(tc, pnrp_sim_abrupt_leave_repairs);
    tcase_add_test(tc, pnrp_sim_fast_join_converges);
    tcase_add_test(tc, pnrp_sim_churn_is_deterministic_and_resolves);
    suite_add_tcase(s, tc);
    return s;
}
