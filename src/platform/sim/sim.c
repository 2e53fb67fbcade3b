/* Simulator core: memory layout, the event heap, the run loop, node control, and the
 * platform entries that need no socket (clock, random, storage, log). */
#include "sim_int.h"
#include "wire/pn_mem.h"

/* ---- random ------------------------------------------------------------------------
 * xoshiro256** (Blackman and Vigna) seeded through splitmix64: small, fast, and good
 * enough for simulation; never used for keys outside the simulator. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t pn_sim_rng_next(uint64_t st[4])
{
    uint64_t r = rotl(st[1] * 5, 7) * 9;
    uint64_t t = st[1] << 17;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 45);
    return r;
}

static void rng_seed(uint64_t st[4], uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull);
    int i;
    for (i = 0; i < 4; i++)
        st[i] = splitmix64(&x);
}

/* Uniform in [0, max_inclusive] by multiply-shift (no division). */
static uint32_t uniform(uint64_t st[4], uint32_t max_inclusive)
{
    uint64_t r = pn_sim_rng_next(st) >> 32;
    return (uint32_t)((r * ((uint64_t)max_inclusive + 1)) >> 32);
}

uint32_t pn_sim_uniform(pn_sim *s, uint32_t max_inclusive)
{
    return max_inclusive == 0 ? 0 : uniform(s->rng, max_inclusive);
}

int pn_sim_chance(pn_sim *s, uint32_t ppm)
{
    if (ppm == 0)
        return 0;
    if (ppm >= 1000000u)
        return 1;
    return uniform(s->rng, 999999u) < ppm;
}

/* ---- configuration and memory ------------------------------------------------------ */
void pn_sim_config_default(pn_sim_config *cfg, uint32_t nodes)
{
    /* Sizes are clamped, not wrapped: an oversized result fails pn_sim_memory_size. */
    uint64_t packets = (uint64_t)nodes * 16u + 64u, bytes = packets * 512u;
    memset(cfg, 0, sizeof *cfg);
    cfg->packets = packets > 0xffffffffu ? 0xffffffffu : (uint32_t)packets;
    cfg->packet_bytes = bytes > 0xffffff80u ? 0xffffff80u : (uint32_t)bytes;
    cfg->udp_inbox = 64;
    cfg->seed = 1;
    cfg->max_nodes = nodes;
    cfg->sockets_per_node = 8;
    cfg->tcp_conns = nodes > 0x7ffffff0u ? 0xffffffffu : nodes * 2 + 8;
    cfg->tcp_buffer = 16384;
    cfg->tcp_backlog = 8;
    cfg->tcp_mss = 1220; /* IPv6 minimum MTU less IPv6 and TCP headers */
    cfg->tcp_rto_ms = 200;
    cfg->connect_timeout_ms = 3000;
    cfg->storage_blobs = 4;
    cfg->storage_blob_max = 4096;
    cfg->wall_epoch_ms = 1767225600000ll; /* 2026-01-01T00:00:00Z */
    cfg->net.latency_ms = 20;
    cfg->net.reorder_ms = 50;
}

/* Memory is laid out as the pn_sim struct followed by its arrays, each 8-aligned. */
struct layout {
    size_t nodes, socks, heap, pkts, chunk_next, chunks, conns, rings, blobs, blob_data, total;
    uint32_t heap_cap;
};

static int lay(size_t *off, size_t *at, uint64_t count, uint64_t elem)
{
    uint64_t bytes = count * elem; /* both are below 2^34 after the checks in layout() */
    size_t n;
    if (bytes > ((size_t)-1 >> 2))
        return -1;
    n = ((size_t)bytes + 7u) & ~(size_t)7u;
    if (*off > ((size_t)-1 >> 1) - n)
        return -1;
    *at = *off;
    *off += n;
    return 0;
}

static uint32_t seg_budget(const pn_sim_config *c)
{
    uint32_t b = c->tcp_mss ? c->tcp_buffer / c->tcp_mss + 2 : 2;
    return b > 1024 ? 1024 : b;
}

/* Events one connection can have queued at once: data segments, FIN and window update
 * per direction, the handshake, the connect timeout and an RST (see sim_tcp.c). */
static uint64_t conn_events(const pn_sim_config *c)
{
    return 2u * ((uint64_t)seg_budget(c) + 2u) + 8u;
}

static int layout(const pn_sim_config *c, struct layout *l)
{
    size_t off = (sizeof(pn_sim) + 7u) & ~(size_t)7u;
    uint64_t heap;
    uint32_t nchunks = c->packet_bytes / SIM_CHUNK;
    if (c->max_nodes == 0 || c->max_nodes > (1u << 24) || c->sockets_per_node == 0 ||
        c->sockets_per_node > 4096 || c->packets == 0 || c->packets > (1u << 26) ||
        c->udp_inbox == 0 || c->tcp_conns > (1u << 24) || c->tcp_mss == 0 ||
        c->tcp_mss > PN_SIM_MAX_PAYLOAD || c->storage_blobs > 1024 ||
        c->storage_blob_max > (1u << 24) || (c->tcp_conns > 0 && c->tcp_buffer == 0) ||
        c->tcp_buffer > (1u << 30) || c->tcp_backlog == 0)
        return -1;
    heap = (uint64_t)c->max_nodes + c->packets + (uint64_t)c->tcp_conns * conn_events(c);
    if (heap > 0x7fffffffu)
        return -1;
    l->heap_cap = (uint32_t)heap;
    if (lay(&off, &l->nodes, c->max_nodes, sizeof(sim_node)) ||
        lay(&off, &l->socks, (uint64_t)c->max_nodes * c->sockets_per_node, sizeof(sim_sock)) ||
        lay(&off, &l->heap, heap, sizeof(sim_ev)) ||
        lay(&off, &l->pkts, c->packets, sizeof(sim_pkt)) ||
        lay(&off, &l->chunk_next, nchunks, sizeof(uint32_t)) ||
        lay(&off, &l->chunks, nchunks, SIM_CHUNK) ||
        lay(&off, &l->conns, c->tcp_conns, sizeof(sim_conn)) ||
        lay(&off, &l->rings, (uint64_t)c->tcp_conns * 2u, c->tcp_buffer) ||
        lay(&off, &l->blobs, (uint64_t)c->max_nodes * (c->storage_blobs + 1u), sizeof(sim_blob)) ||
        lay(&off, &l->blob_data, (uint64_t)c->max_nodes * (c->storage_blobs + 1u),
            c->storage_blob_max))
        return -1;
    l->total = off + 8u; /* slack to align an arbitrary caller pointer */
    return 0;
}

size_t pn_sim_memory_size(const pn_sim_config *cfg)
{
    struct layout l;
    if (cfg == NULL || layout(cfg, &l) != 0)
        return 0;
    return l.total;
}

int pn_sim_init(pn_sim **out, const pn_sim_config *cfg, void *mem, size_t len)
{
    struct layout l;
    uint8_t *base;
    pn_sim *s;
    uint32_t i;
    if (out == NULL || cfg == NULL || mem == NULL || layout(cfg, &l) != 0)
        return PN_ERR_ARG;
    if (len < l.total)
        return PN_ERR_BUFSIZE;
    base = (uint8_t *)mem;
    base += (8u - ((uintptr_t)base & 7u)) & 7u;
    memset(base, 0, l.total - 8u);
    s = (pn_sim *)(void *)base;
    s->cfg = *cfg;
    s->in_callback = SIM_NONE;
    s->heap_cap = l.heap_cap;
    s->seg_budget = seg_budget(cfg);
    s->nodes = (sim_node *)(void *)(base + l.nodes);
    s->socks = (sim_sock *)(void *)(base + l.socks);
    s->heap = (sim_ev *)(void *)(base + l.heap);
    s->pkts = (sim_pkt *)(void *)(base + l.pkts);
    s->chunk_next = (uint32_t *)(void *)(base + l.chunk_next);
    s->chunks = base + l.chunks;
    s->conns = (sim_conn *)(void *)(base + l.conns);
    s->rings = base + l.rings;
    s->blobs = (sim_blob *)(void *)(base + l.blobs);
    s->blob_data = base + l.blob_data;
    s->nchunks = cfg->packet_bytes / SIM_CHUNK;
    rng_seed(s->rng, cfg->seed, 0);
    /* Free lists, lowest index first so allocation order is fixed. */
    for (i = 0; i < cfg->packets; i++)
        s->pkts[i].next = i + 1 < cfg->packets ? i + 1 : SIM_NONE;
    s->pkt_free = 0;
    for (i = 0; i < s->nchunks; i++)
        s->chunk_next[i] = i + 1 < s->nchunks ? i + 1 : SIM_NONE;
    s->chunk_free = s->nchunks ? 0 : SIM_NONE;
    for (i = 0; i < cfg->tcp_conns; i++)
        s->conns[i].next = i + 1 < cfg->tcp_conns ? i + 1 : SIM_NONE;
    s->conn_free = cfg->tcp_conns ? 0 : SIM_NONE;
    *out = s;
    pn_sim_pcap_header(s);
    return PN_OK;
}

/* ---- event heap -------------------------------------------------------------------- */
static int ev_before(const sim_ev *x, const sim_ev *y)
{
    return x->t < y->t || (x->t == y->t && x->ord < y->ord);
}

static void heap_put(pn_sim *s, uint32_t i, const sim_ev *e)
{
    s->heap[i] = *e;
    if (e->kind == EV_NODE)
        s->nodes[e->a].heap_pos = i;
}

static void sift_up(pn_sim *s, uint32_t i)
{
    sim_ev e = s->heap[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!ev_before(&e, &s->heap[p]))
            break;
        heap_put(s, i, &s->heap[p]);
        i = p;
    }
    heap_put(s, i, &e);
}

static void sift_down(pn_sim *s, uint32_t i)
{
    sim_ev e = s->heap[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= s->heap_len)
            break;
        if (c + 1 < s->heap_len && ev_before(&s->heap[c + 1], &s->heap[c]))
            c++;
        if (!ev_before(&s->heap[c], &e))
            break;
        heap_put(s, i, &s->heap[c]);
        i = c;
    }
    heap_put(s, i, &e);
}

static void heap_remove(pn_sim *s, uint32_t i)
{
    if (s->heap[i].kind == EV_NODE)
        s->nodes[s->heap[i].a].heap_pos = SIM_NONE;
    s->heap_len--;
    if (i == s->heap_len)
        return;
    heap_put(s, i, &s->heap[s->heap_len]);
    sift_down(s, i);
    sift_up(s, i);
}

int pn_sim_push(pn_sim *s, uint64_t t, uint8_t kind, uint32_t a, uint32_t b, uint32_t c, uint16_t d,
                uint8_t flags)
{
    sim_ev e;
    /* The heap is sized for every event the other tables can generate at once, so
     * this only fails if that accounting is wrong; callers count it as a drop. */
    if (s->heap_len >= s->heap_cap)
        return PN_ERR_NOMEM;
    e.t = t;
    e.ord = s->ord++;
    e.a = a;
    e.b = b;
    e.c = c;
    e.d = d;
    e.kind = kind;
    e.flags = flags;
    s->heap[s->heap_len] = e;
    sift_up(s, s->heap_len++);
    return PN_OK;
}

/* A node has input (or a deadline) at t: make sure its single wake-up entry is no
 * later than t.  Passive and crashed nodes have none. */
void pn_sim_wake(pn_sim *s, uint32_t node, uint64_t t)
{
    sim_node *n = &s->nodes[node];
    if (!n->up || n->ops == NULL || n->ops->run == NULL)
        return;
    if (n->heap_pos != SIM_NONE) {
        sim_ev *e = &s->heap[n->heap_pos];
        if (e->t > t) {
            e->t = t;
            e->ord = s->ord++;
            sift_up(s, n->heap_pos);
        }
        return;
    }
    (void)pn_sim_push(s, t, EV_NODE, node, 0, 0, 0, 0);
}

static void run_node(pn_sim *s, uint32_t node)
{
    sim_node *n = &s->nodes[node];
    uint64_t next;
    if (!n->up || n->ops == NULL || n->ops->run == NULL)
        return;
    SIM_CNT(s, node, events, 1);
    s->in_callback = node;
    next = n->ops->run(n->app, &n->pf, s->now);
    s->in_callback = SIM_NONE;
    if (next != UINT64_MAX)
        pn_sim_wake(s, node, next < s->now ? s->now : next);
}

uint64_t pn_sim_run(pn_sim *s, uint64_t until_ms, uint64_t max_events)
{
    uint64_t done = 0;
    if (s->in_callback != SIM_NONE)
        return 0;
    while (s->heap_len > 0 && s->heap[0].t <= until_ms) {
        sim_ev e;
        if (max_events != 0 && done >= max_events)
            return done;
        e = s->heap[0];
        heap_remove(s, 0);
        if (e.t > s->now)
            s->now = e.t;
        done++;
        s->total.events++;
        switch (e.kind) {
        case EV_NODE:
            run_node(s, e.a);
            break;
        case EV_UDP:
            pn_sim_udp_arrive(s, e.a);
            break;
        case EV_TCP:
            pn_sim_tcp_arrive(s, &e);
            break;
        case EV_CONNECT_TIMEOUT:
            pn_sim_tcp_timeout(s, e.a);
            break;
        default:
            break;
        }
    }
    if (until_ms != UINT64_MAX && until_ms > s->now)
        s->now = until_ms;
    return done;
}

uint64_t pn_sim_now(const pn_sim *s)
{
    return s->now;
}

uint64_t pn_sim_next_event(const pn_sim *s)
{
    return s->heap_len ? s->heap[0].t : UINT64_MAX;
}

/* ---- network ----------------------------------------------------------------------- */
void pn_sim_set_net(pn_sim *s, const pn_sim_net *net)
{
    s->cfg.net = *net;
}

uint32_t pn_sim_link(pn_sim *s, uint32_t from, uint32_t to)
{
    if (s->cfg.net.link_latency != NULL)
        return s->cfg.net.link_latency(s->cfg.net.link_ctx, from, to);
    return s->cfg.net.latency_ms;
}

int pn_sim_path_ok(pn_sim *s, uint32_t from, uint32_t to)
{
    return s->nodes[to].up && s->nodes[from].group == s->nodes[to].group &&
           pn_sim_link(s, from, to) != SIM_NONE;
}

int pn_sim_partition(pn_sim *s, uint32_t node, uint32_t group)
{
    if (node >= s->nodes_used)
        return PN_ERR_ARG;
    s->nodes[node].group = group;
    return PN_OK;
}

void pn_sim_heal(pn_sim *s)
{
    uint32_t i;
    for (i = 0; i < s->nodes_used; i++)
        s->nodes[i].group = 0;
}

/* Node i is 2001:db8::/32 (RFC 3849 documentation prefix) with i+1 in the low 32 bits. */
void pn_sim_addr_of(uint32_t node, uint16_t port, pn_addr *out)
{
    memset(out, 0, sizeof *out);
    out->family = PN_AF_INET6;
    out->ip[0] = 0x20;
    out->ip[1] = 0x01;
    out->ip[2] = 0x0d;
    out->ip[3] = 0xb8;
    out->ip[12] = (uint8_t)((node + 1) >> 24);
    out->ip[13] = (uint8_t)((node + 1) >> 16);
    out->ip[14] = (uint8_t)((node + 1) >> 8);
    out->ip[15] = (uint8_t)(node + 1);
    out->port = port;
}

void pn_sim_link_addr_of(uint32_t node, uint16_t port, pn_addr *out)
{
    pn_sim_addr_of(node, port, out);
    out->ip[0] = 0xfe;
    out->ip[1] = 0x80;
    out->ip[2] = 0;
    out->ip[3] = 0;
}

int pn_sim_link_scoped(const uint8_t ip[16])
{
    return (ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80) || (ip[0] == 0xff && (ip[1] & 0x0f) <= 2);
}

/* 2001:db8::<i+1>, or fe80::<i+1> on the one simulated link (SIM-7). */
uint32_t pn_sim_node_of(const pn_sim *s, const pn_addr *a)
{
    static const uint8_t prefix[12] = {0x20, 0x01, 0x0d, 0xb8};
    static const uint8_t link[12] = {0xfe, 0x80};
    uint32_t v;
    if (a == NULL || a->family != PN_AF_INET6 ||
        (memcmp(a->ip, prefix, 12) != 0 && memcmp(a->ip, link, 12) != 0))
        return SIM_NONE;
    v = ((uint32_t)a->ip[12] << 24) | ((uint32_t)a->ip[13] << 16) | ((uint32_t)a->ip[14] << 8) |
        a->ip[15];
    if (v == 0 || v - 1 >= s->nodes_used)
        return SIM_NONE;
    return v - 1;
}

int pn_sim_node_addr(const pn_sim *s, uint32_t node, uint16_t port, pn_addr *out)
{
    if (node >= s->nodes_used || out == NULL)
        return PN_ERR_ARG;
    pn_sim_addr_of(node, port, out);
    return PN_OK;
}

int pn_sim_addr_node(const pn_sim *s, const pn_addr *addr)
{
    uint32_t n = pn_sim_node_of(s, addr);
    return n == SIM_NONE ? PN_ERR_NOTFOUND : (int)n;
}

/* ---- platform entries without sockets ---------------------------------------------- */
static uint64_t p_now_ms(void *ctx)
{
    return ((sim_node *)ctx)->sim->now;
}

static int64_t p_wall_ms(void *ctx)
{
    pn_sim *s = ((sim_node *)ctx)->sim;
    return s->cfg.wall_epoch_ms + (int64_t)s->now;
}

static int p_random(void *ctx, uint8_t *out, size_t len)
{
    sim_node *n = (sim_node *)ctx;
    while (len > 0) {
        uint64_t r = pn_sim_rng_next(n->rng);
        size_t k = len < 8 ? len : 8;
        size_t i;
        for (i = 0; i < k; i++, r >>= 8)
            *out++ = (uint8_t)r;
        len -= k;
    }
    return PN_OK;
}

static void p_log(void *ctx, int level, const char *msg)
{
    sim_node *n = (sim_node *)ctx;
    if (n->sim->cfg.log != NULL)
        n->sim->cfg.log(n->sim->cfg.log_ctx, n->index, n->sim->now, level, msg);
}

static size_t name_len(const char *name)
{
    size_t n = 0;
    while (name[n] != '\0')
        n++;
    return n;
}

/* Slot of a named blob on a node, SIM_NONE when absent. */
static uint32_t blob_find(pn_sim *s, uint32_t node, const char *name, size_t nl)
{
    uint32_t per = s->cfg.storage_blobs + 1u, i;
    sim_blob *b = &s->blobs[(size_t)node * per];
    for (i = 0; i < per; i++)
        if (b[i].used && b[i].name_len == nl && memcmp(b[i].name, name, nl) == 0)
            return i;
    return SIM_NONE;
}

static uint8_t *blob_bytes(pn_sim *s, uint32_t node, uint32_t slot)
{
    return s->blob_data +
           ((size_t)node * (s->cfg.storage_blobs + 1u) + slot) * s->cfg.storage_blob_max;
}

static int p_storage_read(void *ctx, const char *name, uint8_t *buf, size_t cap)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    uint32_t slot;
    const sim_blob *b;
    if (name == NULL || !pn_storage_name_valid(name))
        return PN_ERR_PLATFORM_NAME;
    slot = blob_find(s, n->index, name, name_len(name));
    if (slot == SIM_NONE)
        return PN_ERR_NOTFOUND;
    b = &s->blobs[(size_t)n->index * (s->cfg.storage_blobs + 1u) + slot];
    if (b->len > cap)
        return PN_ERR_BUFSIZE;
    if (b->len > 0)
        memcpy(buf, blob_bytes(s, n->index, slot), b->len);
    return (int)b->len;
}

/* Write-new-then-retire-old: the new copy goes to a free slot and only then replaces
 * the old one, so a failure at any step leaves the old blob intact.  Each node has one
 * slot more than storage_blobs, so replacing never needs more than what is configured. */
static int p_storage_replace(void *ctx, const char *name, const uint8_t *buf, size_t len)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    uint32_t per = s->cfg.storage_blobs + 1u, old, slot, used = 0, i;
    sim_blob *b = &s->blobs[(size_t)n->index * per];
    size_t nl;
    if (name == NULL || !pn_storage_name_valid(name))
        return PN_ERR_PLATFORM_NAME;
    if (len > s->cfg.storage_blob_max)
        return PN_ERR_RANGE;
    if (len > 0 && buf == NULL)
        return PN_ERR_ARG;
    nl = name_len(name);
    old = blob_find(s, n->index, name, nl);
    slot = SIM_NONE;
    for (i = 0; i < per; i++) {
        if (b[i].used)
            used++;
        else if (slot == SIM_NONE)
            slot = i;
    }
    /* A new name may use only storage_blobs slots; the last one is the spare. */
    if (slot == SIM_NONE || (old == SIM_NONE && used >= s->cfg.storage_blobs))
        return PN_ERR_NOMEM;
    if (len > 0)
        memcpy(blob_bytes(s, n->index, slot), buf, len);
    memcpy(b[slot].name, name, nl);
    b[slot].name_len = (uint8_t)nl;
    b[slot].len = (uint32_t)len;
    b[slot].used = 1;
    if (old != SIM_NONE)
        b[old].used = 0;
    return PN_OK;
}

/* ---- nodes ------------------------------------------------------------------------- */
static void node_boot(pn_sim *s, uint32_t node)
{
    sim_node *n = &s->nodes[node];
    n->up = 1;
    if (n->ops != NULL && n->ops->start != NULL) {
        s->in_callback = node;
        n->ops->start(n->app, &n->pf);
        s->in_callback = SIM_NONE;
    }
    pn_sim_wake(s, node, s->now);
}

int pn_sim_add_node(pn_sim *s, const pn_sim_app_ops *ops, void *app)
{
    uint32_t idx = s->nodes_used;
    sim_node *n;
    uint32_t i;
    if (idx >= s->cfg.max_nodes)
        return PN_ERR_NOMEM;
    if (s->in_callback != SIM_NONE)
        return PN_ERR_STATE;
    n = &s->nodes[idx];
    memset(n, 0, sizeof *n);
    n->sim = s;
    n->index = idx;
    n->used = 1;
    n->heap_pos = SIM_NONE;
    n->next_port = (uint16_t)PN_SIM_EPHEMERAL_FIRST;
    n->ops = ops;
    n->app = app;
    rng_seed(n->rng, s->cfg.seed, (uint64_t)idx + 1);
    n->pf.ctx = n;
    n->pf.now_ms = p_now_ms;
    n->pf.wall_ms = p_wall_ms;
    n->pf.random = p_random;
    n->pf.udp_open = pn_sim_p_udp_open;
    n->pf.udp_send = pn_sim_p_udp_send;
    n->pf.udp_recv = pn_sim_p_udp_recv;
    n->pf.tcp_listen = pn_sim_p_tcp_listen;
    n->pf.tcp_accept = pn_sim_p_tcp_accept;
    n->pf.tcp_connect = pn_sim_p_tcp_connect;
    n->pf.tcp_send = pn_sim_p_tcp_send;
    n->pf.tcp_recv = pn_sim_p_tcp_recv;
    n->pf.sock_close = pn_sim_p_sock_close;
    n->pf.sock_name = pn_sim_p_sock_name;
    n->pf.storage_read = p_storage_read;
    n->pf.storage_replace = p_storage_replace;
    n->pf.log = p_log;
    n->pf.wait = NULL;
    for (i = 0; i < s->cfg.sockets_per_node; i++)
        s->socks[(size_t)idx * s->cfg.sockets_per_node + i].type = SOCK_FREE;
    s->nodes_used++;
    node_boot(s, idx);
    return (int)idx;
}

pn_platform *pn_sim_platform(pn_sim *s, uint32_t node)
{
    return node < s->nodes_used ? &s->nodes[node].pf : NULL;
}

int pn_sim_node_up(const pn_sim *s, uint32_t node)
{
    return node < s->nodes_used ? s->nodes[node].up : PN_ERR_ARG;
}

int pn_sim_crash(pn_sim *s, uint32_t node)
{
    sim_node *n;
    uint32_t i;
    if (node >= s->nodes_used)
        return PN_ERR_ARG;
    n = &s->nodes[node];
    if (!n->up || s->in_callback != SIM_NONE)
        return PN_ERR_STATE;
    if (n->heap_pos != SIM_NONE)
        heap_remove(s, n->heap_pos);
    for (i = 0; i < s->cfg.sockets_per_node; i++)
        pn_sim_sock_release(s, node, i, 1);
    n->up = 0;
    SIM_CNT(s, node, crashes, 1);
    return PN_OK;
}

int pn_sim_restart(pn_sim *s, uint32_t node, int keep_storage)
{
    sim_node *n;
    if (node >= s->nodes_used)
        return PN_ERR_ARG;
    n = &s->nodes[node];
    if (n->up || s->in_callback != SIM_NONE)
        return PN_ERR_STATE;
    if (!keep_storage)
        memset(&s->blobs[(size_t)node * (s->cfg.storage_blobs + 1u)], 0,
               sizeof(sim_blob) * (s->cfg.storage_blobs + 1u));
    SIM_CNT(s, node, restarts, 1);
    node_boot(s, node);
    return PN_OK;
}

int pn_sim_get_counters(const pn_sim *s, uint32_t node, pn_sim_counters *out)
{
    if (out == NULL)
        return PN_ERR_ARG;
    if (node == PN_SIM_ALL) {
        *out = s->total;
        return PN_OK;
    }
    if (node >= s->nodes_used)
        return PN_ERR_ARG;
    *out = s->nodes[node].cnt;
    return PN_OK;
}
