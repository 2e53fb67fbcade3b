/* `peernet sim pnrp`: a PNRP cloud on the deterministic network simulator.
 *
 * Every node runs the sans-I/O engine (src/pnrp) behind a simulated UDP socket on port
 * 3540.  Nodes join one after another, synchronising with node 0 and an earlier node as
 * seeds; the names 0.n<j> are registered at node j mod N; then R resolves of random
 * names from random nodes run, and the tool reports how many found the registered PNRP
 * ID, the LOOKUP hops, the traffic per resolve and the engine memory per node.
 *
 * Faults (decisions PE-40, PE-41): --loss drops datagrams; --leave F crashes a fraction F
 * of the nodes (no unregistration) once the cloud has settled, then waits two maintenance
 * periods before resolving the names of the nodes that remain; --churn C makes a
 * fraction C of the nodes leave per simulated minute during the resolve phase (every
 * other one unregisters first, the rest vanish) and come back 10 s later as new nodes
 * at the same address, registering the same names under new PNRP IDs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "peernet/pnrp.h"
#include "peernet/sim.h"
#include "peernet/wire.h"
#include "sim_hostile.h"
#include "sim_pnrp.h"

#define KEY_POOL           4
#define JOIN_GAP_MS        20     /* the default join gap, up to JOIN_PHASE_MS / N ... */
#define JOIN_PHASE_MS      200000 /* ... for larger clouds the joins fill 200 s ... */
#define JOIN_GAP_MIN_MS    2      /* ... but come at most one per 2 ms (decision PE-74) */
#define REGISTER_DELAY_MS  1500
#define SETTLE_MS          20000
#define RESOLVE_GAP_MS     10
#define RESOLVE_TIMEOUT_MS 30000
#define LEAVE_WAIT_MS      30000 /* two maintenance periods (3.1.2) */
#define CHURN_DOWN_MS      10000 /* a churned node is away this long */
#define CLEAN_LEAVE_MS     2000  /* a clean leave: unregister, crash this much later */
#define ELIGIBLE_AFTER_MS  5000  /* a name counts once registered this long */

struct pnrp_opts {
    uint32_t nodes, names, resolves;
    uint32_t hostile; /* --hostile K: nodes running sim_hostile.c instead of the engine */
    uint64_t seed;
    double loss, churn, leave;
    uint32_t join_gap_ms, settle_s;
    const char *pcap;
    int json;
};

struct task {
    uint64_t at;
    uint32_t name; /* the name index */
    uint32_t gidx; /* the resolve's global index */
};

struct cloud;

struct papp {
    struct cloud *cl;
    uint32_t self, rank; /* rank: index among the honest nodes (names j = rank mod H) */
    int udp;
    uint8_t booted, registered, leave_clean, left;
    uint64_t register_at, reg_time;
    uint64_t leave_at; /* churn: when this node leaves (UINT64_MAX: never) */
    uint64_t gone_at;  /* when it last stopped publishing (UINT64_MAX: never) */
    uint64_t back_at;  /* when it last came back */
    int handles[4];
    uint8_t n_handles;
    uint32_t n_tasks, next_task;
    struct task *tasks;
    pn_pnrp_node node;
    pn_pnrp_cache_entry cache[PN_PNRP_DEFAULT_CACHE];
    uint8_t out[PN_PNRP_DEFAULT_OUT];
};

struct outcome {
    uint8_t done, ok, issued, eligible;
    uint16_t hops;
    uint32_t publisher;
    uint64_t issued_at, done_at;
};

struct cloud {
    pn_sim *sim;
    uint32_t nodes, names;
    pn_pnrp_identity ids[KEY_POOL];
    pn_rsa_keybuf keys[KEY_POOL];
    struct papp *apps;
    pn_pnrp_id *name_ids; /* registered ID of each name (zero until registered) */
    struct outcome *res;
    const struct task **by_gidx;
    uint32_t resolves;
    /* --hostile: which nodes are hostile, the honest ones in order, the hostile apps */
    uint32_t n_honest;
    uint32_t *honest;
    uint8_t *is_hostile;
    hostile_app *happs;
    hostile_world hw;
    pn_pnrp_identity hkey_id;
    pn_rsa_keybuf hkey;
    uint64_t (*now_fn)(const pn_sim *);
};

static void addr_of(const struct cloud *cl, uint32_t i, pn_pnrp_endpoint *ep)
{
    pn_addr a;
    pn_sim_node_addr(cl->sim, i, PN_PNRP_PORT, &a);
    memcpy(ep->addr, a.ip, 16);
    ep->port = a.port;
}

static long g_trace = -1;

static void trace_msg(const struct papp *a, uint64_t now, const char *dir, const uint8_t *peer,
                      const uint8_t *buf, size_t len)
{
    pn_pnrp_msg m;
    if ((long)a->self != g_trace || pn_pnrp_decode(buf, len, 0, &m, NULL) != PN_OK)
        return;
    fprintf(stderr, "%8llu node %u %s %u %-9s id %08x", (unsigned long long)now, a->self, dir,
            (unsigned)(pn_get_u32be(peer + 12) - 1), pn_pnrp_msg_name(m.type), m.msg_id);
    if (m.type == PN_PNRP_AUTHORITY) {
        pn_pnrp_authority_buffer ab;
        fprintf(stderr, " acked %08x", m.u.authority.acked_id);
        if (pn_pnrp_authority_buffer_decode(m.u.authority.fragment.p, m.u.authority.fragment.len, 0,
                                            &ab, NULL) == PN_OK)
            fprintf(stderr, " N%d L%d route %s%02x%02x cpa %d", ab.flag_n, ab.flag_l,
                    ab.has_route ? "" : "-", ab.route.id.b[0], ab.route.id.b[1], ab.has_cpa);
    } else if (m.type == PN_PNRP_LOOKUP) {
        fprintf(stderr, " target %02x%02x validate %02x%02x path %u A%d", m.u.lookup.target.b[0],
                m.u.lookup.target.b[1], m.u.lookup.validate.b[0], m.u.lookup.validate.b[1],
                m.u.lookup.path.count, m.u.lookup.flag_a);
    } else if (m.type == PN_PNRP_INQUIRE) {
        fprintf(stderr, " validate %02x%02x A%d", m.u.inquire.validate.b[0],
                m.u.inquire.validate.b[1], m.u.inquire.flag_a);
    } else if (m.type == PN_PNRP_ADVERTISE) {
        fprintf(stderr, " acked %08x ids %u", m.u.advertise.acked_id,
                (unsigned)m.u.advertise.ids.count);
    } else if (m.type == PN_PNRP_ACK) {
        fprintf(stderr, " acked %08x", m.u.ack.acked_id);
    }
    fprintf(stderr, "\n");
}

static void flush(struct papp *a, pn_platform *pf)
{
    uint8_t buf[PN_UDP_MAX];
    pn_pnrp_endpoint to;
    int n;
    while ((n = pn_pnrp_node_poll_output(&a->node, buf, sizeof buf, &to)) > 0) {
        pn_addr dst;
        memset(&dst, 0, sizeof dst);
        dst.family = PN_AF_INET6;
        memcpy(dst.ip, to.addr, 16);
        dst.port = to.port;
        trace_msg(a, pf->now_ms(pf->ctx), "->", to.addr, buf, (size_t)n);
        pf->udp_send(pf->ctx, a->udp, &dst, buf, (size_t)n);
    }
}

static void on_event(void *ctx, const pn_pnrp_event *ev)
{
    struct papp *a = (struct papp *)ctx;
    struct cloud *cl = a->cl;
    if (ev->type == PN_PNRP_EV_RESOLVED || ev->type == PN_PNRP_EV_NOT_FOUND) {
        size_t k = (size_t)(uintptr_t)ev->user;
        struct outcome *o;
        if (k == 0 || k > cl->resolves)
            return;
        o = &cl->res[k - 1];
        o->done = 1;
        o->done_at = a->cl->now_fn(a->cl->sim);
        o->hops = (uint16_t)ev->hops;
        if ((long)a->self == g_trace)
            fprintf(stderr, "node %u resolve %u -> %d hops %u\n", a->self, (unsigned)(k - 1),
                    ev->type, ev->hops);
        /* Success: the CPA found is the one registered under that name. */
        if (ev->type == PN_PNRP_EV_RESOLVED &&
            pn_pnrp_id_cmp(&ev->id, &cl->name_ids[cl->by_gidx[k - 1]->name]) == 0)
            o->ok = 1;
    }
}

static void do_register(struct papp *a, uint64_t now)
{
    struct cloud *cl = a->cl;
    uint32_t j;
    a->registered = 1;
    a->reg_time = now;
    a->n_handles = 0;
    for (j = a->rank; j < cl->names; j += cl->n_honest) {
        pn_pnrp_registration r;
        char name[32];
        int h;
        memset(&r, 0, sizeof r);
        snprintf(name, sizeof name, "0.n%u", j);
        r.name = name;
        r.name_len = strlen(name);
        r.identity = &cl->ids[j % KEY_POOL];
        h = pn_pnrp_node_register(&a->node, now, &r);
        if (h < 0)
            break;
        if (a->n_handles < 4)
            a->handles[a->n_handles++] = h;
        pn_pnrp_node_local_id(&a->node, h, &cl->name_ids[j]);
    }
}

static void papp_start(void *app, pn_platform *pf)
{
    struct papp *a = (struct papp *)app;
    struct cloud *cl = a->cl;
    pn_pnrp_node_config cfg;
    pn_pnrp_node_memory mem;
    uint64_t now = pf->now_ms(pf->ctx);
    a->udp = pf->udp_open(pf->ctx, &(pn_addr){PN_AF_INET6, {0}, PN_PNRP_PORT, 0});
    pn_pnrp_node_config_default(&cfg);
    addr_of(cl, a->self, &cfg.local[0]);
    cfg.local_count = 1;
    if (a->self > 0) {
        addr_of(cl, 0, &cfg.seeds[0]);
        cfg.seed_count = 1;
        if (a->self > 1) {
            uint8_t b[4];
            pf->random(pf->ctx, b, 4);
            addr_of(cl, 1 + pn_get_u32le(b) % (a->self - 1), &cfg.seeds[1]);
            cfg.seed_count = 2;
        }
    }
    pf->random(pf->ctx, cfg.seed, sizeof cfg.seed);
    cfg.wall_offset_ms = pf->wall_ms(pf->ctx) - (int64_t)now;
    cfg.on_event = on_event;
    cfg.event_ctx = a;
    memset(&mem, 0, sizeof mem);
    mem.cache = a->cache;
    mem.cache_cap = PN_PNRP_DEFAULT_CACHE;
    mem.out = a->out;
    mem.out_cap = sizeof a->out;
    pn_pnrp_node_init(&a->node, &cfg, &mem, now);
    a->booted = 1;
    a->left = 0;
    a->back_at = now;
    a->registered = 0;
    a->n_handles = 0;
    a->register_at = a->self == 0 ? now : now + REGISTER_DELAY_MS;
    flush(a, pf);
}

static uint64_t papp_run(void *app, pn_platform *pf, uint64_t now)
{
    struct papp *a = (struct papp *)app;
    struct cloud *cl = a->cl;
    uint8_t buf[PN_SIM_MAX_PAYLOAD];
    pn_addr from;
    uint64_t next;
    int n;
    while ((n = pf->udp_recv(pf->ctx, a->udp, &from, buf, sizeof buf)) != PN_ERR_WOULDBLOCK) {
        pn_pnrp_endpoint ep;
        if (n < 0)
            continue;
        memcpy(ep.addr, from.ip, 16);
        ep.port = from.port;
        trace_msg(a, now, "<-", ep.addr, buf, (size_t)n);
        pn_pnrp_node_input(&a->node, now, &ep, buf, (size_t)n);
        flush(a, pf);
    }
    pn_pnrp_node_tick(&a->node, now);
    if (a->leave_at <= now && !a->left) {
        /* Churn: a clean leave unregisters every name (revoke FLOODs, 3.2.4.2); the
         * driver crashes the node CLEAN_LEAVE_MS later.  An abrupt one just stops. */
        uint8_t h;
        a->left = 1;
        a->gone_at = now;
        if (a->leave_clean)
            for (h = 0; h < a->n_handles; h++)
                pn_pnrp_node_unregister(&a->node, now, a->handles[h]);
        a->n_handles = 0;
    }
    if (!a->registered && now >= a->register_at && !a->left)
        do_register(a, now);
    while (a->next_task < a->n_tasks && a->tasks[a->next_task].at <= now) {
        struct task *t = &a->tasks[a->next_task];
        char name[32];
        snprintf(name, sizeof name, "0.n%u", t->name);
        if ((long)a->self == g_trace)
            fprintf(stderr, "%8llu node %u resolves %s (resolve %u)\n", (unsigned long long)now,
                    a->self, name, t->gidx);
        if (a->left || t->at < a->back_at) { /* nothing from a node that was away */
            a->next_task++;
            continue;
        }
        if (pn_pnrp_node_resolve(&a->node, now, name, strlen(name), PN_PNRP_SEARCH_ANY_PEERNAME, 0,
                                 0, (void *)(uintptr_t)(t->gidx + 1)) == PN_ERR_NOMEM) {
            t->at = now + 100; /* every resolve slot busy: try again shortly */
            break;
        }
        {
            /* Counted only when the publisher has been registered a while and is not
             * leaving; the driver later drops those whose publisher or resolver went
             * away before the answer. */
            struct outcome *o = &cl->res[t->gidx];
            const struct papp *pub = &cl->apps[t->name % cl->nodes];
            o->issued = 1;
            o->issued_at = now;
            o->publisher = t->name % cl->nodes;
            o->eligible = pub->registered && !pub->left && now >= pub->reg_time + ELIGIBLE_AFTER_MS;
        }
        a->next_task++;
    }
    flush(a, pf);
    next = pn_pnrp_node_next_deadline(&a->node);
    if (!a->registered && a->register_at < next)
        next = a->register_at;
    if (a->next_task < a->n_tasks && a->tasks[a->next_task].at < next)
        next = a->tasks[a->next_task].at;
    if (!a->left && a->leave_at < next)
        next = a->leave_at;
    return next;
}

static const pn_sim_app_ops pnrp_ops = {papp_start, papp_run};

static void pcap_out(void *ctx, const uint8_t *buf, size_t len)
{
    if (fwrite(buf, 1, len, (FILE *)ctx) != len)
        fprintf(stderr, "peernet sim: capture write failed\n");
}

static uint64_t mix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int key_rng(void *ctx, uint8_t *out, size_t len)
{
    return pn_drbg_generate((pn_drbg *)ctx, out, len, NULL, 0);
}

static int cmp_u16(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return x < y ? -1 : x > y;
}

struct ctl {
    uint64_t at;
    uint32_t node;
    uint8_t kind;
};
enum { CTL_CRASH = 1, CTL_RESTART = 2 };

/* qsort of name indices by registered PNRP ID (the debug leaf-set figures). */
static const pn_pnrp_id *g_sort_ids;
static int cmp_name_id(const void *a, const void *b)
{
    return pn_pnrp_id_cmp(&g_sort_ids[*(const uint32_t *)a], &g_sort_ids[*(const uint32_t *)b]);
}

/* Leaf sets (3.2.1.1): of the five registered IDs each side of every registered ID, the
 * share its publisher caches (all ten: *all; the nearest one each side: *nearest).  Only
 * live publishers count.  PN_SIM_PNRP_DEBUG prints it, PN_SIM_PNRP_LEAFS each missing
 * nearest neighbour. */
static void leafset_measure(const struct cloud *cl, const struct pnrp_opts *o, const char *when,
                            double *all, double *nearest)
{
    uint32_t *ord = (uint32_t *)calloc(o->names + 1, sizeof *ord), m = 0, q, d;
    uint64_t own = 0, near = 0, slots = 0, full = 0;
    *all = *nearest = 1.0;
    for (q = 0; ord != NULL && q < o->names; q++) {
        uint32_t pub = cl->honest[q % cl->n_honest];
        if (!cl->apps[pub].left && cl->apps[pub].registered &&
            (cl->name_ids[q].b[0] | cl->name_ids[q].b[1] | cl->name_ids[q].b[2]))
            ord[m++] = q;
    }
    g_sort_ids = cl->name_ids;
    if (ord != NULL)
        qsort(ord, m, sizeof *ord, cmp_name_id);
    for (q = 0; ord != NULL && m > 10 && q < m; q++) {
        uint32_t a0 = cl->honest[ord[q] % cl->n_honest], got = 0;
        pn_pnrp_cache *ca = (pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&cl->apps[a0].node);
        for (d = 1; d <= 10; d++) {
            uint32_t nb = ord[(q + m + (d <= 5 ? d : m - (d - 5))) % m];
            int x = pn_pnrp_cache_find(ca, &cl->name_ids[nb]) != NULL;
            own += x;
            got += x;
            near += (d == 1 || d == 6) && x;
            if ((d == 1 || d == 6) && !x && getenv("PN_SIM_PNRP_LEAFS") != NULL)
                fprintf(stderr,
                        "  %s: node %u (%02x%02x, up %llu) lacks node %u (%02x%02x, up %llu)\n",
                        when, a0, cl->name_ids[ord[q]].b[0], cl->name_ids[ord[q]].b[1],
                        (unsigned long long)cl->apps[a0].reg_time, cl->honest[nb % cl->n_honest],
                        cl->name_ids[nb].b[0], cl->name_ids[nb].b[1],
                        (unsigned long long)cl->apps[cl->honest[nb % cl->n_honest]].reg_time);
            slots++;
        }
        full += got == 10;
    }
    if (slots > 0) {
        *all = (double)own / (double)slots;
        *nearest = (double)near / (slots / 5.0);
        if (getenv("PN_SIM_PNRP_DEBUG") != NULL)
            fprintf(stderr,
                    "leaf sets (%s): %u IDs, neighbours cached %.2f %%, nearest each side "
                    "%.2f %%, complete %.2f %%\n",
                    when, m, 100.0 * *all, 100.0 * *nearest, 100.0 * (double)full / (double)m);
    }
    free(ord);
}

static int cmp_ctl(const void *a, const void *b)
{
    const struct ctl *x = (const struct ctl *)a, *y = (const struct ctl *)b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->kind < y->kind ? -1 : x->kind > y->kind;
}

struct pnrp_result {
    uint32_t ok, done, eligible, left, churn_events;
    double hops_mean, hops_median, hops_p99;
    double msgs_per_resolve, bytes_per_resolve;
    size_t engine_bytes;
    double sim_s, wall_s, cpu_s;
    uint64_t total_msgs, total_bytes;
    double bg_msgs_per_node_s;
    double leaf_all, leaf_nearest; /* leaf sets when the resolves start (leafset_measure) */
    uint32_t drops;
    pn_pnrp_counters sum; /* engine counters summed over the honest nodes */
    uint64_t hostile_sent[HK_KINDS];
};

/* Resolve task k goes to node res_node[k] at res_at[k]; the user pointer of the
 * engine's resolve is k + 1, so tasks are stored per node with their global index. */
struct gtask {
    uint32_t node, name;
    uint64_t at;
};

/* Decision PE-74: up to 10,000 nodes one join per 20 ms; a larger cloud joins within
 * 200 simulated seconds (2 ms apart at 100,000 nodes), since every live node's background
 * traffic makes a run's work grow with N times the length of the join phase. */
static uint64_t default_join_gap(uint32_t nodes)
{
    uint64_t gap = JOIN_PHASE_MS / (nodes ? nodes : 1);
    return gap > JOIN_GAP_MS ? JOIN_GAP_MS : gap < JOIN_GAP_MIN_MS ? JOIN_GAP_MIN_MS : gap;
}

static int run_cloud(const struct pnrp_opts *o, struct pnrp_result *res)
{
    pn_sim_config cfg;
    struct cloud cl;
    struct gtask *gt;
    struct task *tasks;
    uint32_t *count, *start, i, k;
    uint64_t rng = o->seed ^ 0x5eedu, t_resolve, t_settle, t_end;
    uint64_t gap = o->join_gap_ms ? o->join_gap_ms : default_join_gap(o->nodes);
    uint8_t *dead;
    struct ctl *ctl;
    uint32_t n_ctl = 0;
    int progress;
    clock_t c_start;
    pn_sim_counters c0, c1;
    FILE *pcap = NULL;
    void *mem;
    size_t need;
    uint16_t *hops;
    pn_drbg kd;
    unsigned w0;
    double t0;
    memset(res, 0, sizeof *res);
    memset(&cl, 0, sizeof cl);
    if (getenv("PN_SIM_PNRP_TRACE") != NULL)
        g_trace = atol(getenv("PN_SIM_PNRP_TRACE"));
    progress = getenv("PN_SIM_PNRP_PROGRESS") != NULL;
    cl.nodes = o->nodes;
    cl.names = o->names;
    cl.resolves = o->resolves;
    cl.now_fn = pn_sim_now;
    /* A small pool of RSA-1024 keys from a seeded DRBG: unsecured names need a key to
     * sign CPAs, and sharing keys keeps a large cloud quick to set up. */
    {
        uint8_t seed[32];
        memset(seed, 0, sizeof seed);
        pn_put_u64be(seed, o->seed);
        pn_drbg_init(&kd, seed, sizeof seed, "sim-keys", 8, NULL, 0);
        for (i = 0; i < KEY_POOL; i++) {
            if (pn_rsa_generate(&cl.keys[i], 1024, key_rng, &kd) != PN_OK ||
                pn_pnrp_identity_init(&cl.ids[i], &cl.keys[i].pub, &cl.keys[i].priv) != PN_OK) {
                fprintf(stderr, "peernet sim pnrp: key generation failed\n");
                return -1;
            }
        }
    }
    pn_sim_config_default(&cfg, o->nodes);
    cfg.seed = o->seed;
    cfg.packets = o->nodes * 32u + 1024;
    cfg.packet_bytes = cfg.packets * 256u;
    cfg.udp_inbox = 128;
    cfg.sockets_per_node = 2;
    cfg.tcp_conns = 1;
    cfg.storage_blobs = 1;
    cfg.storage_blob_max = 16;
    cfg.net.latency_ms = 20;
    cfg.net.jitter_ms = 10;
    cfg.net.loss_ppm = (uint32_t)(o->loss * 1e6 + 0.5);
    if (o->pcap != NULL) {
        pcap = fopen(o->pcap, "wb");
        if (pcap == NULL) {
            fprintf(stderr, "peernet sim: %s: %s\n", o->pcap, strerror(errno));
            return -1;
        }
        cfg.pcap_write = pcap_out;
        cfg.pcap_ctx = pcap;
    }
    need = pn_sim_memory_size(&cfg);
    mem = need ? malloc(need) : NULL;
    cl.apps = (struct papp *)calloc(o->nodes, sizeof *cl.apps);
    cl.name_ids = (pn_pnrp_id *)calloc(o->names + 1, sizeof *cl.name_ids);
    cl.res = (struct outcome *)calloc(o->resolves + 1, sizeof *cl.res);
    gt = (struct gtask *)calloc(o->resolves + 1, sizeof *gt);
    tasks = (struct task *)calloc(o->resolves + 1, sizeof *tasks);
    count = (uint32_t *)calloc(o->nodes + 1, sizeof *count);
    start = (uint32_t *)calloc(o->nodes + 1, sizeof *start);
    hops = (uint16_t *)calloc(o->resolves + 1, sizeof *hops);
    if (mem == NULL || cl.apps == NULL || cl.name_ids == NULL || cl.res == NULL || gt == NULL ||
        tasks == NULL || count == NULL || start == NULL || hops == NULL ||
        pn_sim_init(&cl.sim, &cfg, mem, need) != PN_OK) {
        fprintf(stderr, "peernet sim pnrp: cannot set up %u nodes\n", o->nodes);
        return -1;
    }
    for (i = 0; i < o->nodes; i++) {
        cl.apps[i].cl = &cl;
        cl.apps[i].self = i;
        cl.apps[i].leave_at = UINT64_MAX;
        cl.apps[i].gone_at = UINT64_MAX;
    }
    /* The timeline: joins, registrations, settling; with --leave the crash and two
     * maintenance periods; then the resolves (with --churn the leaves and returns). */
    t_settle = (uint64_t)o->nodes * gap + REGISTER_DELAY_MS +
               (o->settle_s ? (uint64_t)o->settle_s * 1000u : SETTLE_MS);
    t_resolve = t_settle + (o->leave > 0 ? LEAVE_WAIT_MS : 0);
    t_end = t_resolve + (uint64_t)o->resolves * RESOLVE_GAP_MS + RESOLVE_TIMEOUT_MS;
    dead = (uint8_t *)calloc(o->nodes, 1);
    ctl = (struct ctl *)calloc(2u * o->nodes + 2, sizeof *ctl);
    if (dead == NULL || ctl == NULL)
        return -1;
    if (o->leave > 0) {
        /* Decision PE-41: a fraction of the nodes, drawn at random, vanish at once. */
        uint32_t want = (uint32_t)(o->leave * o->nodes + 0.5);
        if (want > o->nodes - 1)
            want = o->nodes - 1;
        while (res->left < want) {
            uint32_t v = (uint32_t)(mix64(&rng) % o->nodes);
            if (dead[v])
                continue;
            dead[v] = 1;
            res->left++;
            ctl[n_ctl].at = t_settle;
            ctl[n_ctl].node = v;
            ctl[n_ctl++].kind = CTL_CRASH;
        }
    }
    /* --hostile K: K nodes other than node 0, chosen from the seed; the names live at and
     * the resolves start from the honest nodes (without hostiles: every node, as before). */
    cl.is_hostile = (uint8_t *)calloc(o->nodes, 1);
    cl.honest = (uint32_t *)calloc(o->nodes, sizeof *cl.honest);
    cl.happs = (hostile_app *)calloc(o->hostile + 1, sizeof *cl.happs);
    if (cl.is_hostile == NULL || cl.honest == NULL || cl.happs == NULL)
        return -1;
    {
        uint64_t hr = o->seed ^ 0x4057113ull;
        for (k = 0; k < o->hostile;) {
            uint32_t v = 1 + (uint32_t)(mix64(&hr) % (o->nodes - 1));
            if (!cl.is_hostile[v])
                cl.is_hostile[v] = 1, k++;
        }
        for (i = 0; i < o->nodes; i++)
            if (!cl.is_hostile[i])
                cl.honest[cl.n_honest++] = i;
    }
    if (o->hostile > 0) {
        uint8_t hs[32];
        pn_drbg hd;
        memset(hs, 0x66, sizeof hs);
        pn_drbg_init(&hd, hs, sizeof hs, "hostile-key", 11, NULL, 0);
        if (pn_rsa_generate(&cl.hkey, 1024, key_rng, &hd) != PN_OK ||
            pn_pnrp_identity_init(&cl.hkey_id, &cl.hkey.pub, &cl.hkey.priv) != PN_OK)
            return -1;
        cl.hw.sim = cl.sim;
        cl.hw.nodes = o->nodes;
        cl.hw.names = o->names;
        cl.hw.is_hostile = cl.is_hostile;
        cl.hw.name_ids = cl.name_ids;
        cl.hw.key = &cl.hkey_id;
        cl.hw.wall_offset_ms = cfg.wall_epoch_ms;
    }
    for (k = 0; k < o->resolves; k++) {
        /* Resolvers and names from the honest nodes that remain. */
        do
            gt[k].node = cl.honest[mix64(&rng) % cl.n_honest];
        while (dead[gt[k].node]);
        do
            gt[k].name = (uint32_t)(mix64(&rng) % o->names);
        while (dead[cl.honest[gt[k].name % cl.n_honest]]);
        gt[k].at = t_resolve + (uint64_t)k * RESOLVE_GAP_MS;
        count[gt[k].node]++;
    }
    if (o->churn > 0 && o->nodes > 2) {
        /* Decision PE-40: C x N departures per simulated minute, evenly spaced over the
         * resolve phase; node 0 (everyone's first seed) stays; a node leaves at most once.
         * Even departures unregister first, odd ones vanish; each comes back
         * CHURN_DOWN_MS later as a new node at the same address. */
        double per_ms = o->churn * o->nodes / 60000.0;
        uint64_t phase = t_end - RESOLVE_TIMEOUT_MS - t_resolve, ev;
        uint64_t n_ev = (uint64_t)(per_ms * (double)phase + 0.5);
        uint8_t *used = dead; /* no --leave with --churn: reuse as "already churned" */
        if (n_ev > o->nodes - 1)
            n_ev = o->nodes - 1;
        for (ev = 0; ev < n_ev; ev++) {
            uint32_t v;
            uint64_t at = t_resolve + phase * ev / n_ev;
            do
                v = 1 + (uint32_t)(mix64(&rng) % (o->nodes - 1));
            while (used[v]);
            used[v] = 1;
            cl.apps[v].leave_at = at;
            cl.apps[v].leave_clean = (uint8_t)((ev & 1) == 0);
            ctl[n_ctl].at = at + (cl.apps[v].leave_clean ? CLEAN_LEAVE_MS : 0);
            ctl[n_ctl].node = v;
            ctl[n_ctl++].kind = CTL_CRASH;
            ctl[n_ctl].at = at + CHURN_DOWN_MS;
            ctl[n_ctl].node = v;
            ctl[n_ctl++].kind = CTL_RESTART;
            res->churn_events++;
        }
        qsort(ctl, n_ctl, sizeof *ctl, cmp_ctl);
    }
    for (i = 1; i <= o->nodes; i++)
        start[i] = start[i - 1] + count[i - 1];
    cl.by_gidx = (const struct task **)calloc(o->resolves + 1, sizeof *cl.by_gidx);
    if (cl.by_gidx == NULL)
        return -1;
    memset(count, 0, (o->nodes + 1) * sizeof *count);
    for (k = 0; k < o->resolves; k++) {
        struct task *t = &tasks[start[gt[k].node] + count[gt[k].node]++];
        t->at = gt[k].at;
        t->name = gt[k].name;
        t->gidx = k;
        cl.by_gidx[k] = t;
    }
    for (i = 0, k = 0; i < o->nodes; i++) {
        if (!cl.is_hostile[i])
            cl.apps[i].rank = k++;
        cl.apps[i].cl = &cl;
        cl.apps[i].self = i;
        cl.apps[i].tasks = tasks + start[i];
        cl.apps[i].n_tasks = count[i];
    }
    t0 = pn_bench_now();
    c_start = clock();
    for (i = 0, k = 0; i < o->nodes; i++) {
        if (cl.is_hostile[i]) {
            cl.happs[k].w = &cl.hw;
            cl.happs[k].self = i;
            pn_sim_add_node(cl.sim, &hostile_ops, &cl.happs[k++]);
        } else {
            pn_sim_add_node(cl.sim, &pnrp_ops, &cl.apps[i]);
        }
        pn_sim_run(cl.sim, pn_sim_now(cl.sim) + gap, 0);
        if (progress && (i + 1) % (o->nodes / 10 ? o->nodes / 10 : 1) == 0)
            fprintf(stderr,
                    "peernet sim pnrp: %u nodes joined, %.1f s simulated, %.1f s wall, "
                    "%.1f s CPU\n",
                    i + 1, (double)pn_sim_now(cl.sim) / 1000.0, pn_bench_now() - t0,
                    (double)(clock() - c_start) / CLOCKS_PER_SEC);
    }
    if (o->leave > 0) {
        pn_sim_run(cl.sim, t_settle, 0);
        for (k = 0; k < n_ctl; k++)
            if (ctl[k].at == t_settle) {
                cl.apps[ctl[k].node].left = 1;
                cl.apps[ctl[k].node].gone_at = t_settle;
                pn_sim_crash(cl.sim, ctl[k].node);
            }
    }
    pn_sim_run(cl.sim, t_resolve - 1, 0);
    leafset_measure(&cl, o, "resolves start", &res->leaf_all, &res->leaf_nearest);
    pn_sim_get_counters(cl.sim, PN_SIM_ALL, &c0);
    for (k = 0; k < n_ctl; k++) {
        struct papp *a = &cl.apps[ctl[k].node];
        if (ctl[k].at < t_resolve) {
            /* The --leave crash: before the counters of the resolve phase. */
            continue;
        }
        pn_sim_run(cl.sim, ctl[k].at, 0);
        if (ctl[k].kind == CTL_CRASH) {
            a->left = 1;
            if (a->gone_at == UINT64_MAX || a->gone_at < a->back_at)
                a->gone_at = ctl[k].at;
            pn_sim_crash(cl.sim, ctl[k].node);
        } else {
            a->leave_at = UINT64_MAX;
            pn_sim_restart(cl.sim, ctl[k].node, 0);
        }
    }
    pn_sim_run(cl.sim, t_end, 0);
    pn_sim_get_counters(cl.sim, PN_SIM_ALL, &c1);
    res->wall_s = pn_bench_now() - t0;
    res->cpu_s = (double)(clock() - c_start) / CLOCKS_PER_SEC;
    res->sim_s = (double)pn_sim_now(cl.sim) / 1000.0;
    /* A resolve counts when its publisher had been registered a while and neither it nor
     * the resolver went away before the answer. */
    for (k = 0; k < o->resolves; k++) {
        struct outcome *oc = &cl.res[k];
        uint64_t until = oc->done ? oc->done_at : t_end;
        const struct papp *pub = &cl.apps[oc->publisher], *rv = &cl.apps[gt[k].node];
        if (!oc->issued)
            oc->eligible = 0;
        if (pub->gone_at != UINT64_MAX && pub->gone_at >= oc->issued_at && pub->gone_at <= until)
            oc->eligible = 0;
        if (rv->gone_at != UINT64_MAX && rv->gone_at >= oc->issued_at && rv->gone_at <= until)
            oc->eligible = 0;
        res->eligible += oc->eligible;
    }
    {
        uint32_t nh = 0;
        double sum = 0;
        for (k = 0; k < o->resolves; k++) {
            const struct outcome *oc = &cl.res[k];
            if (oc->done)
                res->done++;
            if (oc->ok && oc->eligible) {
                res->ok++;
                hops[nh++] = oc->hops;
                sum += oc->hops;
            }
        }
        if (nh > 0) {
            qsort(hops, nh, sizeof *hops, cmp_u16);
            res->hops_mean = sum / nh;
            res->hops_median = hops[nh / 2];
            res->hops_p99 = hops[(size_t)((nh - 1) * 0.99)];
        }
    }
    res->total_msgs = c1.udp_sent - c0.udp_sent;
    res->total_bytes = c1.udp_bytes_sent - c0.udp_bytes_sent;
    {
        uint64_t m = 0, b = 0;
        for (i = 0; i < o->nodes; i++) {
            const pn_pnrp_counters *pc = pn_pnrp_node_counters(&cl.apps[i].node);
            const uint32_t *src = (const uint32_t *)(const void *)pc;
            uint32_t *dst = (uint32_t *)(void *)&res->sum;
            size_t w;
            if (cl.is_hostile[i])
                continue;
            m += pc->resolve_msgs;
            b += pc->resolve_bytes;
            for (w = 0; w < sizeof res->sum / 4; w++)
                dst[w] += src[w];
        }
        memcpy(res->hostile_sent, cl.hw.sent, sizeof res->hostile_sent);
        res->msgs_per_resolve = o->resolves ? (double)m / o->resolves : 0;
        res->bytes_per_resolve = o->resolves ? (double)b / o->resolves : 0;
    }
    res->bg_msgs_per_node_s =
        (double)res->total_msgs / o->nodes /
        ((double)(o->resolves * (uint64_t)RESOLVE_GAP_MS + RESOLVE_TIMEOUT_MS) / 1000.0);
    res->engine_bytes = pn_pnrp_node_memory_used(&cl.apps[0].node);
    if (getenv("PN_SIM_PNRP_DEBUG") != NULL) {
        pn_pnrp_counters t;
        uint64_t cache = 0;
        memset(&t, 0, sizeof t);
        for (i = 0; i < o->nodes; i++) {
            const pn_pnrp_counters *c = pn_pnrp_node_counters(&cl.apps[i].node);
            const uint32_t *src = (const uint32_t *)(const void *)c;
            uint32_t *dst = (uint32_t *)(void *)&t;
            size_t w;
            for (w = 0; w < sizeof t / 4; w++)
                dst[w] += src[w];
            cache += pn_pnrp_node_cache(&cl.apps[i].node)->count;
        }
        fprintf(stderr,
                "rx %u tx %u decode %u srcport %u unsol %u nonce %u cpa %u reasm %u outfull %u "
                "table %u noroute %u type %u retx %u timeouts %u adds %u/%u refused %u removed %u "
                "ok %u failed %u signs %u verifies %u cache avg %.1f\n",
                t.rx, t.tx, t.drop_decode, t.drop_src_port, t.drop_unsolicited, t.drop_nonce,
                t.drop_cpa, t.drop_reasm, t.drop_out_full, t.drop_table_full, t.drop_no_route,
                t.drop_type, t.retransmits, t.timeouts, t.adds_started, t.adds_done, t.adds_refused,
                t.removed, t.resolves_ok, t.resolves_failed, t.signs, t.verifies,
                (double)cache / o->nodes);
        double all_end, near_end;
        leafset_measure(&cl, o, "end", &all_end, &near_end);
        for (k = 0; k < o->resolves; k++) {
            uint32_t holders = 0, reg = 0, nm = cl.by_gidx[k]->name;
            if (cl.res[k].ok || !cl.res[k].eligible)
                continue;
            fprintf(stderr,
                    "  resolve %u issued %llu done %llu; resolver gone %lld back %lld, "
                    "publisher gone %lld back %lld\n",
                    k, (unsigned long long)cl.res[k].issued_at,
                    (unsigned long long)cl.res[k].done_at, (long long)cl.apps[gt[k].node].gone_at,
                    (long long)cl.apps[gt[k].node].back_at,
                    (long long)cl.apps[cl.res[k].publisher].gone_at,
                    (long long)cl.apps[cl.res[k].publisher].back_at);
            for (i = 0; i < o->nodes; i++) {
                pn_pnrp_cache *cc =
                    (pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&cl.apps[i].node);
                holders += pn_pnrp_cache_find(cc, &cl.name_ids[nm]) != NULL;
            }
            reg = cl.name_ids[nm].b[0] | cl.name_ids[nm].b[1];
            {
                /* The nodes whose own name IDs are nearest to the target: do they know it? */
                uint32_t q;
                pn_pnrp_cache *tc = (pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(
                    &cl.apps[cl.honest[nm % cl.n_honest]].node);
                for (q = 0; q < o->nodes && q < o->names; q++) {
                    pn_pnrp_id d;
                    pn_pnrp_id_distance(&d, &cl.name_ids[q], &cl.name_ids[nm]);
                    if (d.b[0] < 2 && q != nm) {
                        pn_pnrp_cache *cc =
                            (pn_pnrp_cache *)(uintptr_t)pn_pnrp_node_cache(&cl.apps[q].node);
                        fprintf(stderr,
                                "   near: node %u id %02x%02x (target %02x%02x) knows %d, known %d "
                                "(cache %zu)\n",
                                q, cl.name_ids[q].b[0], cl.name_ids[q].b[1], cl.name_ids[nm].b[0],
                                cl.name_ids[nm].b[1],
                                pn_pnrp_cache_find(cc, &cl.name_ids[nm]) != NULL,
                                pn_pnrp_cache_find(tc, &cl.name_ids[q]) != NULL, cc->count);
                    }
                }
            }
            fprintf(
                stderr,
                "failed resolve %u from %u: name %u (node %u) done %u hops %u, in %u caches%s\n", k,
                gt[k].node, nm, nm % o->nodes, cl.res[k].done, cl.res[k].hops, holders,
                reg ? "" : " (not registered)");
        }
        fprintf(stderr, "by type:");
        for (w0 = 0; w0 < 12; w0++)
            fprintf(stderr, " %u", t.rx_by_type[w0]);
        fprintf(stderr, "\n");
    }
    free(mem);
    free(cl.apps);
    free(cl.name_ids);
    free(cl.res);
    free(gt);
    free(tasks);
    free(count);
    free(start);
    free(hops);
    free(cl.by_gidx);
    free(cl.is_hostile);
    free(cl.honest);
    free(cl.happs);
    free(dead);
    free(ctl);
    if (pcap != NULL)
        fclose(pcap);
    return 0;
}

/* ---- command line --------------------------------------------------------------------- */
static void pnrp_usage(FILE *f)
{
    fprintf(f, "usage: peernet sim pnrp [--nodes N] [--names M] [--resolves R] [--seed S]\n"
               "                        [--loss P] [--churn C | --leave F] [--join-gap MS]\n"
               "                        [--settle S] [--hostile K] [--json] [--pcap FILE]\n"
               "\n"
               "Build a PNRP cloud of N nodes on the simulator (each joins through node 0 and\n"
               "an earlier node), register the names 0.n<j> (j < M) at node j mod N, resolve\n"
               "R random names from random nodes, and report the success rate, LOOKUP hops,\n"
               "traffic per resolve and engine memory per node.  Defaults: N 200, M = N,\n"
               "R 100, S 1, P 0.\n"
               "\n"
               "--loss P      each datagram is lost with probability P.\n"
               "--churn C     during the resolves, C x N nodes per simulated minute leave (every\n"
               "              other one unregisters first, the others vanish) and come back\n"
               "              10 s later as new nodes registering the same names.\n"
               "--leave F     once the cloud settled, a fraction F of the nodes vanish without\n"
               "              unregistering; the resolves (of the remaining names, from the\n"
               "              remaining nodes) start two maintenance periods (30 s) later.\n"
               "--join-gap MS one node joins every MS ms (default 20; above 10,000 nodes\n"
               "              200000 / N, at least 2: the joins then take 200 s).\n"
               "--settle S    the cloud settles S s after the last registration (default 20).\n"
               "Only resolves whose publisher was registered 5 s before and stayed, from a\n"
               "resolver that stayed, are counted in the success rate.\n"
               "--hostile K makes K nodes (not node 0) hostile: they run no engine and send\n"
               "honest nodes junk, forged CPAs, replays and LOOKUP/SOLICIT/FLOOD storms; the\n"
               "names live at, and the resolves start from, the honest nodes.  The honest\n"
               "nodes' drop counters are printed.\n"
               "\n"
               "Environment: PN_SIM_PNRP_DEBUG=1 adds the summed engine counters and the\n"
               "failed resolves to stderr; PN_SIM_PNRP_TRACE=N traces node N's datagrams;\n"
               "PN_SIM_PNRP_PROGRESS=1 reports every tenth of the joins.\n"
               "\n"
               "exit status: 0 every resolve found the registered ID, 1 otherwise, 2 usage\n");
}

/* The honest nodes' drop counters (every reason) and what the hostile nodes sent. */
static void print_drops(const struct pnrp_opts *o, const struct pnrp_result *r, int json)
{
    const pn_pnrp_counters *c = &r->sum;
    const struct {
        const char *name;
        uint32_t v;
    } d[] = {{"decode", c->drop_decode},
             {"src_port", c->drop_src_port},
             {"unsolicited", c->drop_unsolicited},
             {"nonce", c->drop_nonce},
             {"cpa", c->drop_cpa},
             {"reasm", c->drop_reasm},
             {"out_full", c->drop_out_full},
             {"table_full", c->drop_table_full},
             {"no_route", c->drop_no_route},
             {"type", c->drop_type},
             {"rate", c->drop_rate},
             {"rate_work", c->drop_rate_work},
             {"rate_crypto", c->drop_rate_crypto},
             {"quota", c->drop_quota},
             {"stale", c->drop_stale},
             {"revoke_forged", c->drop_revoke_forged},
             {"chain", c->drop_chain},
             {"xp", c->drop_xp}};
    uint64_t sent = 0;
    size_t i;
    for (i = 0; i < HK_KINDS; i++)
        sent += r->hostile_sent[i];
    if (json) {
        printf("\"hostile\":%u,\"hostile_datagrams\":%llu,\"drops\":{", o->hostile,
               (unsigned long long)sent);
        for (i = 0; i < sizeof d / sizeof d[0]; i++)
            printf("%s\"%s\":%u", i ? "," : "", d[i].name, d[i].v);
        printf("},\"hostile_sent\":{");
        for (i = 0; i < HK_KINDS; i++)
            printf("%s\"%s\":%llu", i ? "," : "", hostile_kind_name((int)i),
                   (unsigned long long)r->hostile_sent[i]);
        printf("}}\n");
        return;
    }
    printf("  drops       ");
    for (i = 0; i < sizeof d / sizeof d[0]; i++)
        printf(" %s %u%s", d[i].name, d[i].v, i == 7 ? "\n              " : "");
    printf("\n");
    if (o->hostile > 0) {
        printf("  hostile      %u nodes sent %llu datagrams:", o->hostile,
               (unsigned long long)sent);
        for (i = 0; i < HK_KINDS; i++)
            printf(" %s %llu", hostile_kind_name((int)i), (unsigned long long)r->hostile_sent[i]);
        printf("\n");
    }
}

int pn_sim_pnrp_main(int argc, char **argv)
{
    struct pnrp_opts o;
    struct pnrp_result r;
    int i, names_set = 0;
    memset(&o, 0, sizeof o);
    o.nodes = 200;
    o.resolves = 100;
    o.seed = 1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (strcmp(a, "pnrp") == 0 && i == 1) {
            continue;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            pnrp_usage(stdout);
            return PN_EXIT_OK;
        } else if (strcmp(a, "--json") == 0) {
            o.json = 1;
            continue;
        } else if (strcmp(a, "--pcap") == 0 && v != NULL) {
            o.pcap = v;
        } else if (strcmp(a, "--hostile") == 0 && v != NULL) {
            if (pn_arg_u64(v, 1000000, &n) != 0) {
                fprintf(stderr, "peernet sim pnrp: --hostile needs a number, got %s\n", v);
                return PN_EXIT_USAGE;
            }
            o.hostile = (uint32_t)n;
        } else if ((strcmp(a, "--loss") == 0 || strcmp(a, "--churn") == 0 ||
                    strcmp(a, "--leave") == 0) &&
                   v != NULL) {
            double *dst = a[3] == 'o' ? &o.loss : a[3] == 'h' ? &o.churn : &o.leave;
            if (pn_arg_prob(v, dst) != 0) {
                fprintf(stderr, "peernet sim pnrp: %s needs a fraction from 0 to 1, got %s\n", a,
                        v);
                return PN_EXIT_USAGE;
            }
        } else if (strcmp(a, "--settle") == 0 && v != NULL) {
            if (pn_arg_u64(v, 3600, &n) != 0 || n == 0) {
                fprintf(stderr, "peernet sim pnrp: --settle needs 1 to 3600 s, got %s\n", v);
                return PN_EXIT_USAGE;
            }
            o.settle_s = (uint32_t)n;
        } else if (strcmp(a, "--join-gap") == 0 && v != NULL) {
            if (pn_arg_u64(v, 60000, &n) != 0 || n == 0) {
                fprintf(stderr, "peernet sim pnrp: --join-gap needs 1 to 60000 ms, got %s\n", v);
                return PN_EXIT_USAGE;
            }
            o.join_gap_ms = (uint32_t)n;
        } else if ((strcmp(a, "--nodes") == 0 || strcmp(a, "--names") == 0 ||
                    strcmp(a, "--resolves") == 0 || strcmp(a, "--seed") == 0) &&
                   v != NULL) {
            if (pn_arg_u64(v, a[2] == 's' ? UINT64_MAX : 1000000, &n) != 0) {
                fprintf(stderr, "peernet sim pnrp: %s needs a number, got %s\n", a, v);
                return PN_EXIT_USAGE;
            }
            if (a[2] == 'n' && a[4] == 'd')
                o.nodes = (uint32_t)n;
            else if (a[2] == 'n')
                o.names = (uint32_t)n, names_set = 1;
            else if (a[2] == 'r')
                o.resolves = (uint32_t)n;
            else
                o.seed = n;
        } else {
            fprintf(stderr, "peernet sim pnrp: unknown or incomplete option %s\n\n", a);
            pnrp_usage(stderr);
            return PN_EXIT_USAGE;
        }
        i++;
    }
    if (!names_set)
        o.names = o.nodes;
    if (o.nodes < 2 || o.names < 1) {
        fprintf(stderr, "peernet sim pnrp: at least 2 nodes and 1 name\n");
        return PN_EXIT_USAGE;
    }
    if (o.hostile > 0 && o.hostile + 2 > o.nodes) {
        fprintf(stderr, "peernet sim pnrp: --hostile must leave at least 2 honest nodes\n");
        return PN_EXIT_USAGE;
    }
    if (o.hostile > 0 && (o.churn > 0 || o.leave > 0)) {
        fprintf(
            stderr,
            "peernet sim pnrp: --hostile is a scenario of its own (not with --churn or --leave)\n");
        return PN_EXIT_USAGE;
    }
    if (o.churn > 0 && o.leave > 0) {
        fprintf(stderr, "peernet sim pnrp: --churn and --leave are separate scenarios\n");
        return PN_EXIT_USAGE;
    }
    if (run_cloud(&o, &r) != 0)
        return PN_EXIT_FAIL;
    if (o.json) {
        printf("{\"scenario\":\"pnrp\",\"nodes\":%u,\"names\":%u,\"resolves\":%u,\"seed\":%llu,"
               "\"loss\":%.4f,\"churn\":%.4f,\"leave\":%.4f,\"nodes_left\":%u,"
               "\"churn_events\":%u,\"resolves_counted\":%u,\"resolves_ok\":%u,"
               "\"resolve_success_rate\":%.6f,\"resolves_answered\":%u,"
               "\"hops_mean\":%.3f,\"hops_median\":%.1f,\"hops_p99\":%.1f,"
               "\"msgs_per_resolve\":%.2f,\"bytes_per_resolve\":%.1f,"
               "\"cloud_msgs_per_node_s\":%.3f,\"engine_bytes_per_node\":%zu,\"sim_seconds\":%.3f,"
               "\"wall_seconds\":%.3f,\"cpu_seconds\":%.3f,\"leaf_neighbours_cached\":%.4f,"
               "\"leaf_nearest_cached\":%.4f,",
               o.nodes, o.names, o.resolves, (unsigned long long)o.seed, o.loss, o.churn, o.leave,
               r.left, r.churn_events, r.eligible, r.ok,
               r.eligible ? (double)r.ok / r.eligible : 1.0, r.done, r.hops_mean, r.hops_median,
               r.hops_p99, r.msgs_per_resolve, r.bytes_per_resolve, r.bg_msgs_per_node_s,
               r.engine_bytes, r.sim_s, r.wall_s, r.cpu_s, r.leaf_all, r.leaf_nearest);
        print_drops(&o, &r, 1);
    } else {
        printf("peernet sim pnrp: %u nodes, %u names, %u resolves, seed %llu, loss %.3f", o.nodes,
               o.names, o.resolves, (unsigned long long)o.seed, o.loss);
        if (o.hostile > 0)
            printf(", %u hostile", o.hostile);
        printf("\n");
        if (o.leave > 0)
            printf("  left         %u nodes vanished %u s before the resolves\n", r.left,
                   LEAVE_WAIT_MS / 1000);
        if (o.churn > 0)
            printf("  churn        %u nodes left and came back during the resolves\n",
                   r.churn_events);
        printf("  resolved     %u of %u counted (%.2f %%), %u answered\n", r.ok, r.eligible,
               r.eligible ? 100.0 * r.ok / r.eligible : 100.0, r.done);
        printf("  hops         mean %.2f median %.0f p99 %.0f\n", r.hops_mean, r.hops_median,
               r.hops_p99);
        printf("  traffic      %.1f messages, %.0f bytes per resolve (its LOOKUPs, INQUIREs and "
               "AUTHORITY answers)\n",
               r.msgs_per_resolve, r.bytes_per_resolve);
        printf("  cloud        %.2f datagrams per node per second during the resolve phase\n",
               r.bg_msgs_per_node_s);
        printf("  engine       %zu bytes per node\n", r.engine_bytes);
        printf("  time         %.1f s simulated in %.2f s wall (%.2f s CPU)\n", r.sim_s, r.wall_s,
               r.cpu_s);
        print_drops(&o, &r, 0);
    }
    return r.ok == r.eligible ? PN_EXIT_OK : PN_EXIT_FAIL;
}

/* The `pnrp` benchmark: a 300-node cloud, 300 resolves. */
void pn_bench_pnrp(void)
{
    struct pnrp_opts o;
    struct pnrp_result r;
    memset(&o, 0, sizeof o);
    o.nodes = 300;
    o.names = 300;
    o.resolves = 300;
    o.seed = 1;
    if (run_cloud(&o, &r) != 0 || r.wall_s <= 0)
        return;
    pn_bench_report("pnrp.sim300.resolve_success", (double)r.ok / (r.eligible ? r.eligible : 1),
                    "ratio", 0);
    pn_bench_report("pnrp.sim300.hops_median", r.hops_median, "hops", 0);
    pn_bench_report("pnrp.sim300.msgs_per_resolve", r.msgs_per_resolve, "msgs", 0);
    pn_bench_report("pnrp.sim300.engine_bytes", (double)r.engine_bytes, "bytes", 0);
    pn_bench_report("pnrp.sim300.wall", r.wall_s, "s", 0);
    pn_bench_report("pnrp.sim300.cpu", r.cpu_s, "s", 0);
    /* RSA signatures per node over the run (decision PE-62: one per registration plus
     * the resolves' nonce'd CPAs; admissions reuse the zero-nonce signature). */
    pn_bench_report("pnrp.sim300.signs_per_node", (double)r.sum.signs / o.nodes, "signs", 0);
}
