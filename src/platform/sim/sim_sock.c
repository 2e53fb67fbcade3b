/* Simulator sockets: the per-node socket table, ports, and UDP datagrams. */
#include "sim_int.h"
#include "wire/pn_mem.h"

sim_sock *pn_sim_sock(pn_sim *s, uint32_t node, int handle)
{
    sim_sock *k;
    if (handle < 0 || (uint32_t)handle >= s->cfg.sockets_per_node)
        return NULL;
    k = &s->socks[(size_t)node * s->cfg.sockets_per_node + (uint32_t)handle];
    return k->type == SOCK_FREE ? NULL : k;
}

int pn_sim_sock_alloc(pn_sim *s, uint32_t node)
{
    uint32_t i;
    sim_sock *k = &s->socks[(size_t)node * s->cfg.sockets_per_node];
    for (i = 0; i < s->cfg.sockets_per_node; i++)
        if (k[i].type == SOCK_FREE)
            return (int)i;
    return PN_ERR_NOMEM;
}

static int port_in_use(pn_sim *s, uint32_t node, uint8_t type, uint16_t port)
{
    uint32_t i;
    const sim_sock *k = &s->socks[(size_t)node * s->cfg.sockets_per_node];
    for (i = 0; i < s->cfg.sockets_per_node; i++)
        if (k[i].type == type && k[i].port == port)
            return 1;
    return 0;
}

/* A port for a new socket of the given type: want when free (PN_ERR_EXISTS if taken),
 * or the next free ephemeral port when want is 0. */
int pn_sim_port_alloc(pn_sim *s, uint32_t node, uint8_t type, uint16_t want)
{
    sim_node *n = &s->nodes[node];
    uint32_t tries;
    if (want != 0)
        return port_in_use(s, node, type, want) ? PN_ERR_EXISTS : (int)want;
    for (tries = 0; tries < 65536u - PN_SIM_EPHEMERAL_FIRST; tries++) {
        uint16_t p = n->next_port;
        n->next_port = (uint16_t)(p == 65535u ? PN_SIM_EPHEMERAL_FIRST : p + 1u);
        if (!port_in_use(s, node, type, p))
            return p;
    }
    return PN_ERR_NOMEM;
}

/* ---- packet pool -------------------------------------------------------------------- */
static void pkt_free(pn_sim *s, uint32_t p)
{
    uint32_t c = s->pkts[p].chunk;
    while (c != SIM_NONE) {
        uint32_t next = s->chunk_next[c];
        s->chunk_next[c] = s->chunk_free;
        s->chunk_free = c;
        c = next;
    }
    s->pkts[p].next = s->pkt_free;
    s->pkt_free = p;
}

/* A packet holding a copy of buf, or SIM_NONE when the pool is exhausted. */
static uint32_t pkt_alloc(pn_sim *s, const uint8_t *buf, size_t len)
{
    uint32_t p = s->pkt_free, need = (uint32_t)((len + SIM_CHUNK - 1) >> SIM_CHUNK_SHIFT), i, c;
    uint32_t *link;
    if (p == SIM_NONE)
        return SIM_NONE;
    /* Check the chain is long enough before taking anything. */
    for (i = 0, c = s->chunk_free; i < need; i++, c = s->chunk_next[c])
        if (c == SIM_NONE)
            return SIM_NONE;
    s->pkt_free = s->pkts[p].next;
    s->pkts[p].next = SIM_NONE;
    s->pkts[p].len = (uint16_t)len;
    link = &s->pkts[p].chunk;
    for (i = 0; i < need; i++) {
        size_t k = len - (size_t)i * SIM_CHUNK;
        c = s->chunk_free;
        s->chunk_free = s->chunk_next[c];
        memcpy(s->chunks + (size_t)c * SIM_CHUNK, buf + (size_t)i * SIM_CHUNK,
               k < SIM_CHUNK ? k : SIM_CHUNK);
        *link = c;
        link = &s->chunk_next[c];
    }
    *link = SIM_NONE;
    return p;
}

static void pkt_copy_out(pn_sim *s, uint32_t p, uint8_t *out)
{
    uint32_t c = s->pkts[p].chunk;
    size_t left = s->pkts[p].len;
    while (c != SIM_NONE && left > 0) {
        size_t k = left < SIM_CHUNK ? left : SIM_CHUNK;
        memcpy(out, s->chunks + (size_t)c * SIM_CHUNK, k);
        out += k;
        left -= k;
        c = s->chunk_next[c];
    }
}

/* ---- socket release ----------------------------------------------------------------- */
void pn_sim_sock_release(pn_sim *s, uint32_t node, uint32_t slot, int crash)
{
    sim_sock *k = &s->socks[(size_t)node * s->cfg.sockets_per_node + slot];
    switch (k->type) {
    case SOCK_UDP:
        while (k->head != SIM_NONE) {
            uint32_t p = k->head;
            k->head = s->pkts[p].next;
            pkt_free(s, p);
        }
        break;
    case SOCK_LISTEN:
        pn_sim_tcp_listener_gone(s, k, crash);
        break;
    case SOCK_TCP:
        pn_sim_tcp_release(s, k->conn, k->side, crash);
        break;
    default:
        break;
    }
    memset(k, 0, sizeof *k);
    k->type = SOCK_FREE;
}

/* ---- UDP ---------------------------------------------------------------------------- */
static int node_up_check(sim_node *n)
{
    return n->up ? PN_OK : PN_ERR_STATE;
}

int pn_sim_p_udp_open(void *ctx, const pn_addr *bind_addr)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    int slot, port;
    uint16_t want = 0;
    uint8_t link = 0;
    sim_sock *k;
    if (node_up_check(n) != PN_OK)
        return PN_ERR_STATE;
    if (bind_addr != NULL) {
        static const uint8_t any[16];
        if (bind_addr->family != PN_AF_INET6)
            return PN_ERR_PLATFORM_ADDR;
        if (memcmp(bind_addr->ip, any, 16) != 0 && pn_sim_node_of(s, bind_addr) != n->index)
            return PN_ERR_PLATFORM_ADDR;
        want = bind_addr->port;
        link = (uint8_t)pn_sim_link_scoped(bind_addr->ip);
    }
    slot = pn_sim_sock_alloc(s, n->index);
    if (slot < 0)
        return slot;
    port = pn_sim_port_alloc(s, n->index, SOCK_UDP, want);
    if (port < 0)
        return port;
    k = &s->socks[(size_t)n->index * s->cfg.sockets_per_node + (uint32_t)slot];
    memset(k, 0, sizeof *k);
    k->type = SOCK_UDP;
    k->port = (uint16_t)port;
    k->head = k->tail = SIM_NONE;
    k->link = link;
    return slot;
}

/* One copy of a datagram into the network with its own delay. */
static int udp_launch(pn_sim *s, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
                      const uint8_t *buf, size_t len, uint32_t base, uint16_t flags)
{
    const pn_sim_net *net = &s->cfg.net;
    uint64_t t = s->now + base + pn_sim_uniform(s, net->jitter_ms);
    uint32_t p;
    int held = pn_sim_chance(s, net->reorder_ppm);
    if (held)
        t += net->reorder_ms;
    p = pkt_alloc(s, buf, len);
    if (p == SIM_NONE)
        return PN_ERR_NOMEM;
    s->pkts[p].src = src;
    s->pkts[p].dst = dst;
    s->pkts[p].sport = sport;
    s->pkts[p].dport = dport;
    s->pkts[p].flags = flags;
    if (pn_sim_push(s, t, EV_UDP, p, 0, 0, 0, 0) != PN_OK) {
        pkt_free(s, p);
        return PN_ERR_NOMEM;
    }
    if (held)
        SIM_CNT(s, src, udp_reordered, 1);
    return PN_OK;
}

/* ---- multicast (decision SIM-7) ----------------------------------------------------- */
static int group_find(const pn_sim *s, const uint8_t group[16])
{
    uint32_t g;
    for (g = 0; g < s->ngroups; g++)
        if (memcmp(s->groups[g], group, 16) == 0)
            return (int)g;
    return -1;
}

int pn_sim_udp_join(pn_platform *pf, int sock, const uint8_t group[16])
{
    sim_node *n;
    sim_sock *k;
    int g;
    if (pf == NULL || pf->ctx == NULL || group == NULL || group[0] != 0xff)
        return PN_ERR_ARG;
    n = (sim_node *)pf->ctx;
    if (node_up_check(n) != PN_OK)
        return PN_ERR_STATE;
    k = pn_sim_sock(n->sim, n->index, sock);
    if (k == NULL || k->type != SOCK_UDP)
        return PN_ERR_ARG;
    g = group_find(n->sim, group);
    if (g < 0) {
        if (n->sim->ngroups >= PN_SIM_GROUPS_MAX)
            return PN_ERR_NOMEM;
        g = (int)n->sim->ngroups++;
        memcpy(n->sim->groups[g], group, 16);
    }
    k->side = (uint8_t)(g + 1);
    return PN_OK;
}

/* The node's socket on port that joined group g (index + 1), or NULL. */
static sim_sock *member(pn_sim *s, uint32_t node, uint8_t g1, uint16_t port)
{
    uint32_t i;
    for (i = 0; i < s->cfg.sockets_per_node; i++) {
        sim_sock *c = &s->socks[(size_t)node * s->cfg.sockets_per_node + i];
        if (c->type == SOCK_UDP && c->port == port && c->side == g1)
            return c;
    }
    return NULL;
}

/* One copy per member node other than the sender, each with its own delay, loss and
 * duplication, counted as a datagram of its own; captured once, to the group. */
static int multicast_send(pn_sim *s, uint32_t src, uint16_t sport, const pn_addr *to,
                          const uint8_t *buf, size_t len)
{
    int g = group_find(s, to->ip);
    uint16_t flags = (uint16_t)((uint16_t)(g + 1) << 8 | PKT_LINK);
    uint32_t j, copies = 0;
    pn_sim_pcap_udp(s, src, sport, to, buf, len);
    for (j = 0; g >= 0 && j < s->nodes_used; j++) {
        uint32_t base;
        if (j == src || member(s, j, (uint8_t)(g + 1), to->port) == NULL)
            continue;
        copies++;
        SIM_CNT(s, src, udp_sent, 1);
        SIM_CNT(s, src, udp_bytes_sent, len);
        base = pn_sim_link(s, src, j);
        if (base == SIM_NONE) {
            SIM_CNT(s, src, drop_unreachable, 1);
            continue;
        }
        if (pn_sim_chance(s, s->cfg.net.loss_ppm)) {
            SIM_CNT(s, src, udp_lost, 1);
            continue;
        }
        if (udp_launch(s, src, sport, j, to->port, buf, len, base, flags) != PN_OK) {
            SIM_CNT(s, src, drop_nomem, 1);
            continue;
        }
        if (pn_sim_chance(s, s->cfg.net.dup_ppm) &&
            udp_launch(s, src, sport, j, to->port, buf, len, base, flags) == PN_OK)
            SIM_CNT(s, src, udp_duplicated, 1);
    }
    if (copies == 0) { /* nobody listens: one datagram, dropped like any unheard one */
        SIM_CNT(s, src, udp_sent, 1);
        SIM_CNT(s, src, udp_bytes_sent, len);
        SIM_CNT(s, src, drop_no_socket, 1);
    }
    return (int)len;
}

int pn_sim_p_udp_send(void *ctx, int sock, const pn_addr *to, const uint8_t *buf, size_t len)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    sim_sock *k = pn_sim_sock(s, n->index, sock);
    uint32_t dst, base;
    uint16_t flags;
    int rc;
    if (node_up_check(n) != PN_OK)
        return PN_ERR_STATE;
    if (k == NULL || k->type != SOCK_UDP || to == NULL || (buf == NULL && len > 0))
        return PN_ERR_ARG;
    if (to->family != PN_AF_INET6)
        return PN_ERR_PLATFORM_ADDR;
    if (len > PN_SIM_MAX_PAYLOAD) {
        SIM_CNT(s, n->index, drop_too_big, 1);
        return PN_ERR_RANGE;
    }
    if (to->ip[0] == 0xff)
        return multicast_send(s, n->index, k->port, to, buf, len);
    SIM_CNT(s, n->index, udp_sent, 1);
    SIM_CNT(s, n->index, udp_bytes_sent, len);
    dst = pn_sim_node_of(s, to);
    pn_sim_pcap_udp(s, n->index, k->port, to, buf, len);
    flags = pn_sim_link_scoped(to->ip) ? PKT_LINK : 0;
    base = dst == SIM_NONE ? SIM_NONE : pn_sim_link(s, n->index, dst);
    if (base == SIM_NONE) {
        /* Like a real stack sending into a black hole: the sender learns nothing. */
        SIM_CNT(s, n->index, drop_unreachable, 1);
        return (int)len;
    }
    if (pn_sim_chance(s, s->cfg.net.loss_ppm)) {
        SIM_CNT(s, n->index, udp_lost, 1);
        return (int)len;
    }
    rc = udp_launch(s, n->index, k->port, dst, to->port, buf, len, base, flags);
    if (rc != PN_OK) {
        SIM_CNT(s, n->index, drop_nomem, 1);
        return rc;
    }
    /* A duplicate that finds no room simply does not happen. */
    if (pn_sim_chance(s, s->cfg.net.dup_ppm) &&
        udp_launch(s, n->index, k->port, dst, to->port, buf, len, base, flags) == PN_OK)
        SIM_CNT(s, n->index, udp_duplicated, 1);
    return (int)len;
}

void pn_sim_udp_arrive(pn_sim *s, uint32_t p)
{
    sim_pkt *pk = &s->pkts[p];
    uint32_t dst = pk->dst, i;
    sim_sock *k = NULL;
    if (!s->nodes[dst].up) {
        SIM_CNT(s, dst, drop_node_down, 1);
        pkt_free(s, p);
        return;
    }
    if (!pn_sim_path_ok(s, pk->src, dst)) {
        SIM_CNT(s, dst, drop_partition, 1);
        pkt_free(s, p);
        return;
    }
    if (pk->flags >> 8) /* multicast: only the member socket (it may have gone) */
        k = member(s, dst, (uint8_t)(pk->flags >> 8), pk->dport);
    else
        for (i = 0; i < s->cfg.sockets_per_node; i++) {
            sim_sock *c = &s->socks[(size_t)dst * s->cfg.sockets_per_node + i];
            if (c->type == SOCK_UDP && c->port == pk->dport) {
                k = c;
                break;
            }
        }
    if (k == NULL) {
        SIM_CNT(s, dst, drop_no_socket, 1);
        pkt_free(s, p);
        return;
    }
    if (k->count >= s->cfg.udp_inbox) {
        SIM_CNT(s, dst, drop_inbox_full, 1);
        pkt_free(s, p);
        return;
    }
    pk->next = SIM_NONE;
    if (k->head == SIM_NONE)
        k->head = p;
    else
        s->pkts[k->tail].next = p;
    k->tail = p;
    k->count++;
    SIM_CNT(s, dst, udp_delivered, 1);
    SIM_CNT(s, dst, udp_bytes_delivered, pk->len);
    pn_sim_wake(s, dst, s->now);
}

int pn_sim_p_udp_recv(void *ctx, int sock, pn_addr *from, uint8_t *buf, size_t cap)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    sim_sock *k = pn_sim_sock(s, n->index, sock);
    uint32_t p;
    int len;
    if (node_up_check(n) != PN_OK)
        return PN_ERR_STATE;
    if (k == NULL || k->type != SOCK_UDP)
        return PN_ERR_ARG;
    if (k->head == SIM_NONE)
        return PN_ERR_WOULDBLOCK;
    p = k->head;
    k->head = s->pkts[p].next;
    if (k->head == SIM_NONE)
        k->tail = SIM_NONE;
    k->count--;
    len = s->pkts[p].len;
    if ((size_t)len > cap || (buf == NULL && len > 0)) {
        pkt_free(s, p);
        return PN_ERR_BUFSIZE;
    }
    pkt_copy_out(s, p, buf);
    if (from != NULL && (s->pkts[p].flags & PKT_LINK))
        pn_sim_link_addr_of(s->pkts[p].src, s->pkts[p].sport, from);
    else if (from != NULL)
        pn_sim_addr_of(s->pkts[p].src, s->pkts[p].sport, from);
    pkt_free(s, p);
    return len;
}

int pn_sim_p_sock_close(void *ctx, int sock)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    if (pn_sim_sock(s, n->index, sock) == NULL)
        return PN_ERR_ARG;
    pn_sim_sock_release(s, n->index, (uint32_t)sock, 0);
    return PN_OK;
}

int pn_sim_p_sock_name(void *ctx, int sock, pn_addr *out)
{
    sim_node *n = (sim_node *)ctx;
    sim_sock *k = pn_sim_sock(n->sim, n->index, sock);
    if (k == NULL || out == NULL)
        return PN_ERR_ARG;
    /* A socket bound to the node's fe80:: address is named by it, as a host names a
     * socket by the address it was bound to (SIM-8). */
    if (k->type == SOCK_UDP && k->link)
        pn_sim_link_addr_of(n->index, k->port, out);
    else
        pn_sim_addr_of(n->index, k->port, out);
    return PN_OK;
}
