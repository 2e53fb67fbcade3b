/* Simulator TCP: reliable in-order byte streams between simulated nodes.
 *
 * One connection slot serves both ends.  Each direction's bytes live in one ring of
 * tcp_buffer bytes from the moment the sender writes them until the receiver reads
 * them; segments in flight only carry offsets into it.  The sender may have at most
 * tcp_buffer bytes written and not yet reported read (its window), so the ring never
 * overflows.  Loss becomes retransmission delay and every segment of one direction
 * arrives no earlier than the one sent before it, which is what TCP shows its
 * application.  Decisions: spec/decisions.md, "Simulator".
 */
#include "sim_int.h"
#include "wire/pn_mem.h"

static uint8_t *ring(pn_sim *s, uint32_t ci, int side)
{
    return s->rings + ((size_t)ci * 2u + (size_t)side) * s->cfg.tcp_buffer;
}

static void conn_maybe_free(pn_sim *s, uint32_t ci)
{
    sim_conn *c = &s->conns[ci];
    if (c->used && c->end[0].released && c->end[1].released && c->inflight == 0) {
        c->used = 0;
        c->next = s->conn_free;
        s->conn_free = ci;
    }
}

/* Put one segment sent by end `side` on the wire. */
static int emit(pn_sim *s, uint32_t ci, int side, uint8_t flags, uint32_t off, uint16_t len)
{
    sim_conn *c = &s->conns[ci];
    uint32_t src = c->end[side].node, dst = c->end[!side].node;
    uint32_t base = pn_sim_link(s, src, dst), tries = 0;
    uint64_t t;
    if (base == SIM_NONE)
        base = 0; /* no route: the arrival check drops it */
    t = s->now + base + pn_sim_uniform(s, s->cfg.net.jitter_ms);
    /* A lost segment is sent again after the retransmission timeout, which doubles per
     * loss (RFC 6298 5.5); six losses in a row are as far as we model. */
    while (tries < 6 && pn_sim_chance(s, s->cfg.net.loss_ppm)) {
        t += (uint64_t)s->cfg.tcp_rto_ms << tries;
        tries++;
        SIM_CNT(s, src, tcp_retransmits, 1);
    }
    if (t < c->arr[side])
        t = c->arr[side];
    if (pn_sim_push(s, t, EV_TCP, ci, off, c->dir[!side].rd, len,
                    (uint8_t)(flags | (side ? TCPF_SIDE1 : 0))) != PN_OK) {
        SIM_CNT(s, src, drop_nomem, 1);
        return PN_ERR_NOMEM;
    }
    c->arr[side] = t;
    c->inflight++;
    SIM_CNT(s, src, tcp_segments, 1);
    SIM_CNT(s, src, tcp_bytes, len);
    pn_sim_pcap_tcp(s, ci, side, flags, off, len);
    return PN_OK;
}

/* Send what the window and the in-flight budget allow, then the FIN once all is sent. */
static void flush(pn_sim *s, uint32_t ci, int side)
{
    sim_conn *c = &s->conns[ci];
    sim_dir *d = &c->dir[side];
    if (c->reset || c->end[side].state != END_EST)
        return;
    while (d->segs < s->seg_budget && d->sent != d->wr) {
        uint32_t n = d->wr - d->sent;
        if (n > s->cfg.tcp_mss)
            n = s->cfg.tcp_mss;
        if (emit(s, ci, side, TCPF_ACK | TCPF_PSH, d->sent, (uint16_t)n) != PN_OK)
            return;
        d->sent += n;
        d->segs++;
    }
    if (d->fin_req && !d->fin_sent && d->sent == d->wr &&
        emit(s, ci, side, TCPF_FIN | TCPF_ACK, d->sent, 0) == PN_OK)
        d->fin_sent = 1;
}

/* Both ends see err (those still owned by a socket or listener), nothing more flows. */
static void conn_reset(pn_sim *s, uint32_t ci, int err)
{
    sim_conn *c = &s->conns[ci];
    int side;
    c->reset = 1;
    for (side = 0; side < 2; side++) {
        sim_end *e = &c->end[side];
        if (!e->released && e->err == 0) {
            e->err = err;
            SIM_CNT(s, e->node, tcp_resets, 1);
            pn_sim_wake(s, e->node, s->now);
        }
    }
}

static void queue_unlink(pn_sim *s, sim_sock *l, uint32_t prev, uint32_t ci)
{
    uint32_t next = s->conns[ci].next;
    if (prev == SIM_NONE)
        l->head = next;
    else
        s->conns[prev].next = next;
    if (l->tail == ci)
        l->tail = prev;
    l->count--;
    s->conns[ci].next = SIM_NONE;
}

static void syn_arrive(pn_sim *s, uint32_t ci)
{
    sim_conn *c = &s->conns[ci];
    sim_end *e = &c->end[1];
    sim_sock *l = NULL;
    uint32_t i;
    if (!pn_sim_path_ok(s, c->end[0].node, e->node))
        return; /* lost: the connect timeout reports it */
    for (i = 0; i < s->cfg.sockets_per_node; i++) {
        sim_sock *k = &s->socks[(size_t)e->node * s->cfg.sockets_per_node + i];
        if (k->type == SOCK_LISTEN && k->port == e->port) {
            l = k;
            e->sock = i;
            break;
        }
    }
    if (l == NULL || l->count >= s->cfg.tcp_backlog) {
        (void)emit(s, ci, 1, TCPF_RST | TCPF_ACK, 0, 0);
        return;
    }
    e->state = END_SYN_RCVD;
    e->released = 0;
    c->dir[1].isn = (uint32_t)pn_sim_rng_next(s->rng);
    c->next = SIM_NONE;
    if (l->head == SIM_NONE)
        l->head = ci;
    else
        s->conns[l->tail].next = ci;
    l->tail = ci;
    l->count++;
    (void)emit(s, ci, 1, TCPF_SYN | TCPF_ACK, 0, 0);
}

void pn_sim_tcp_arrive(pn_sim *s, const sim_ev *ev)
{
    uint32_t ci = ev->a;
    sim_conn *c = &s->conns[ci];
    int side = (ev->flags & TCPF_SIDE1) ? 1 : 0, dst = !side;
    uint8_t fl = ev->flags;
    sim_end *to = &c->end[dst];
    sim_dir *mine = &c->dir[dst];    /* the stream the receiving end sends */
    sim_dir *theirs = &c->dir[side]; /* the stream this segment belongs to */
    c->inflight--;
    if (c->reset)
        goto out;
    if ((fl & TCPF_SYN) && !(fl & TCPF_ACK)) {
        syn_arrive(s, ci);
        goto out;
    }
    if (!pn_sim_path_ok(s, c->end[side].node, to->node)) {
        /* A partition or a dead host: retransmissions would time out; we say so now. */
        conn_reset(s, ci, PN_ERR_CLOSED);
        goto out;
    }
    if (fl & TCPF_RST) {
        if (!to->released) {
            to->err = to->state == END_SYN_SENT ? PN_ERR_REFUSED : PN_ERR_CLOSED;
            if (to->err == PN_ERR_REFUSED)
                SIM_CNT(s, to->node, tcp_refused, 1);
            else
                SIM_CNT(s, to->node, tcp_resets, 1);
            pn_sim_wake(s, to->node, s->now);
        }
        c->reset = 1;
        goto out;
    }
    if (fl & TCPF_SYN) { /* SYN-ACK at the connecting end */
        if (to->released)
            (void)emit(s, ci, 0, TCPF_RST | TCPF_ACK, mine->sent, 0);
        else if (to->state == END_SYN_SENT) {
            to->state = END_EST;
            (void)emit(s, ci, 0, TCPF_ACK, 0, 0);
            flush(s, ci, 0);
            pn_sim_wake(s, to->node, s->now);
        }
        goto out;
    }
    /* The sender reports how much of our stream its application has read. */
    if (ev->c != mine->ack && (uint32_t)(ev->c - mine->ack) <= s->cfg.tcp_buffer) {
        mine->ack = ev->c;
        flush(s, ci, dst);
        if (!to->released)
            pn_sim_wake(s, to->node, s->now);
    }
    if (fl & TCPF_WINUPD) {
        mine->winupd_inflight = 0;
        if (mine->rd != ev->c && !c->end[side].released &&
            emit(s, ci, side, TCPF_ACK | TCPF_WINUPD, theirs->sent, 0) == PN_OK)
            mine->winupd_inflight = 1;
    }
    if (to->state == END_SYN_RCVD) { /* the handshake's third segment */
        to->state = END_EST;
        if (!to->released)
            pn_sim_wake(s, to->node, s->now);
    }
    if (ev->d > 0) {
        theirs->segs--;
        if (to->released) {
            /* Data for a socket that is gone (RFC 9293 3.10.7.1 answers with RST). */
            (void)emit(s, ci, dst, TCPF_RST | TCPF_ACK, mine->sent, 0);
            goto out;
        }
        theirs->dlv += ev->d;
        pn_sim_wake(s, to->node, s->now);
        flush(s, ci, side);
    }
    if (fl & TCPF_FIN) {
        theirs->fin_dlv = 1;
        if (!to->released)
            pn_sim_wake(s, to->node, s->now);
    }
out:
    conn_maybe_free(s, ci);
}

void pn_sim_tcp_timeout(pn_sim *s, uint32_t ci)
{
    sim_conn *c = &s->conns[ci];
    c->inflight--;
    if (!c->reset && c->end[0].state == END_SYN_SENT) {
        if (!c->end[0].released) {
            c->end[0].err = PN_ERR_TIMEOUT;
            SIM_CNT(s, c->end[0].node, tcp_timeouts, 1);
            pn_sim_wake(s, c->end[0].node, s->now);
        }
        c->reset = 1;
    }
    conn_maybe_free(s, ci);
}

void pn_sim_tcp_release(pn_sim *s, uint32_t ci, int side, int crash)
{
    sim_conn *c = &s->conns[ci];
    sim_end *e = &c->end[side];
    if (e->released)
        return;
    e->released = 1;
    if (crash) {
        /* A dead host sends nothing more, not even what it had buffered. */
        c->dir[side].wr = c->dir[side].sent;
        c->dir[side].fin_req = 0;
    } else if (!c->reset) {
        c->dir[side].fin_req = 1;
        flush(s, ci, side);
    }
    conn_maybe_free(s, ci);
}

void pn_sim_tcp_listener_gone(pn_sim *s, sim_sock *l, int crash)
{
    uint32_t ci = l->head;
    while (ci != SIM_NONE) {
        sim_conn *c = &s->conns[ci];
        uint32_t next = c->next;
        c->next = SIM_NONE;
        c->end[1].released = 1;
        if (!crash && !c->reset)
            (void)emit(s, ci, 1, TCPF_RST | TCPF_ACK, c->dir[1].sent, 0);
        conn_maybe_free(s, ci);
        ci = next;
    }
    l->head = l->tail = SIM_NONE;
    l->count = 0;
}

/* ---- platform entries ---------------------------------------------------------------- */
static int check_bind(pn_sim *s, sim_node *n, const pn_addr *a, uint16_t *port)
{
    static const uint8_t any[16];
    *port = 0;
    if (a == NULL)
        return PN_OK;
    if (a->family != PN_AF_INET6)
        return PN_ERR_PLATFORM_ADDR;
    if (memcmp(a->ip, any, 16) != 0 && pn_sim_node_of(s, a) != n->index)
        return PN_ERR_PLATFORM_ADDR;
    *port = a->port;
    return PN_OK;
}

int pn_sim_p_tcp_listen(void *ctx, const pn_addr *bind_addr)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    uint16_t want;
    int slot, port, rc;
    sim_sock *k;
    if (!n->up)
        return PN_ERR_STATE;
    rc = check_bind(s, n, bind_addr, &want);
    if (rc != PN_OK)
        return rc;
    slot = pn_sim_sock_alloc(s, n->index);
    if (slot < 0)
        return slot;
    port = pn_sim_port_alloc(s, n->index, SOCK_LISTEN, want);
    if (port < 0)
        return port;
    k = &s->socks[(size_t)n->index * s->cfg.sockets_per_node + (uint32_t)slot];
    memset(k, 0, sizeof *k);
    k->type = SOCK_LISTEN;
    k->port = (uint16_t)port;
    k->head = k->tail = SIM_NONE;
    return slot;
}

int pn_sim_p_tcp_accept(void *ctx, int listener, pn_addr *peer)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    sim_sock *l = pn_sim_sock(s, n->index, listener), *k;
    uint32_t prev = SIM_NONE, ci;
    int slot;
    if (!n->up)
        return PN_ERR_STATE;
    if (l == NULL || l->type != SOCK_LISTEN)
        return PN_ERR_ARG;
    ci = l->head;
    while (ci != SIM_NONE) {
        sim_conn *c = &s->conns[ci];
        uint32_t next = c->next;
        if (c->reset) { /* died while waiting: drop it from the queue */
            queue_unlink(s, l, prev, ci);
            c->end[1].released = 1;
            conn_maybe_free(s, ci);
            ci = next;
            continue;
        }
        if (c->end[1].state == END_EST)
            break;
        prev = ci;
        ci = next;
    }
    if (ci == SIM_NONE)
        return PN_ERR_WOULDBLOCK;
    slot = pn_sim_sock_alloc(s, n->index);
    if (slot < 0)
        return slot;
    queue_unlink(s, l, prev, ci);
    k = &s->socks[(size_t)n->index * s->cfg.sockets_per_node + (uint32_t)slot];
    memset(k, 0, sizeof *k);
    k->type = SOCK_TCP;
    k->port = l->port;
    k->conn = ci;
    k->side = 1;
    s->conns[ci].end[1].sock = (uint32_t)slot;
    SIM_CNT(s, n->index, tcp_accepts, 1);
    if (peer != NULL)
        pn_sim_addr_of(s->conns[ci].end[0].node, s->conns[ci].end[0].port, peer);
    return slot;
}

int pn_sim_p_tcp_connect(void *ctx, const pn_addr *to)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    uint32_t dst, ci;
    int slot, port;
    sim_conn *c;
    sim_sock *k;
    if (!n->up)
        return PN_ERR_STATE;
    if (to == NULL || to->port == 0)
        return PN_ERR_ARG;
    if (to->family != PN_AF_INET6)
        return PN_ERR_PLATFORM_ADDR;
    dst = pn_sim_node_of(s, to);
    if (dst == SIM_NONE)
        return PN_ERR_UNREACHABLE;
    slot = pn_sim_sock_alloc(s, n->index);
    if (slot < 0)
        return slot;
    ci = s->conn_free;
    if (ci == SIM_NONE)
        return PN_ERR_NOMEM;
    port = pn_sim_port_alloc(s, n->index, SOCK_TCP, 0);
    if (port < 0)
        return port;
    c = &s->conns[ci];
    s->conn_free = c->next;
    memset(c, 0, sizeof *c);
    c->used = 1;
    c->next = SIM_NONE;
    c->end[0].node = n->index;
    c->end[0].sock = (uint32_t)slot;
    c->end[0].port = (uint16_t)port;
    c->end[0].state = END_SYN_SENT;
    c->end[1].node = dst;
    c->end[1].sock = SIM_NONE;
    c->end[1].port = to->port;
    c->end[1].state = END_NONE;
    c->end[1].released = 1; /* until a listener takes it */
    c->dir[0].isn = (uint32_t)pn_sim_rng_next(s->rng);
    k = &s->socks[(size_t)n->index * s->cfg.sockets_per_node + (uint32_t)slot];
    memset(k, 0, sizeof *k);
    k->type = SOCK_TCP;
    k->port = (uint16_t)port;
    k->conn = ci;
    k->side = 0;
    SIM_CNT(s, n->index, tcp_connects, 1);
    (void)emit(s, ci, 0, TCPF_SYN, 0, 0);
    if (pn_sim_push(s, s->now + s->cfg.connect_timeout_ms, EV_CONNECT_TIMEOUT, ci, 0, 0, 0, 0) ==
        PN_OK)
        c->inflight++;
    return slot;
}

static sim_conn *tcp_sock(sim_node *n, int sock, int *side, uint32_t *ci)
{
    sim_sock *k = pn_sim_sock(n->sim, n->index, sock);
    if (k == NULL || k->type != SOCK_TCP)
        return NULL;
    *side = k->side;
    *ci = k->conn;
    return &n->sim->conns[k->conn];
}

int pn_sim_p_tcp_send(void *ctx, int sock, const uint8_t *buf, size_t len)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    int side;
    uint32_t ci, space, at, first, b = s->cfg.tcp_buffer;
    sim_conn *c = tcp_sock(n, sock, &side, &ci);
    sim_dir *d;
    if (!n->up)
        return PN_ERR_STATE;
    if (c == NULL || (buf == NULL && len > 0))
        return PN_ERR_ARG;
    if (c->end[side].err != 0)
        return c->end[side].err;
    if (c->reset)
        return PN_ERR_CLOSED;
    if (c->end[side].state != END_EST)
        return PN_ERR_WOULDBLOCK;
    if (len == 0)
        return 0;
    d = &c->dir[side];
    space = b - (d->wr - d->ack);
    if (space == 0)
        return PN_ERR_WOULDBLOCK;
    if (len < space)
        space = (uint32_t)len;
    if (space > 0x7fffffffu)
        space = 0x7fffffffu;
    at = d->wr % b;
    first = b - at < space ? b - at : space;
    memcpy(ring(s, ci, side) + at, buf, first);
    memcpy(ring(s, ci, side), buf + first, space - first);
    d->wr += space;
    flush(s, ci, side);
    return (int)space;
}

int pn_sim_p_tcp_recv(void *ctx, int sock, uint8_t *buf, size_t cap)
{
    sim_node *n = (sim_node *)ctx;
    pn_sim *s = n->sim;
    int side;
    uint32_t ci, avail, at, first, b = s->cfg.tcp_buffer;
    sim_conn *c = tcp_sock(n, sock, &side, &ci);
    sim_dir *d;
    if (!n->up)
        return PN_ERR_STATE;
    if (c == NULL || (buf == NULL && cap > 0))
        return PN_ERR_ARG;
    if (c->end[side].err != 0)
        return c->end[side].err;
    if (c->reset)
        return PN_ERR_CLOSED;
    d = &c->dir[!side];
    avail = d->dlv - d->rd;
    if (avail == 0)
        return d->fin_dlv ? 0 : PN_ERR_WOULDBLOCK;
    if (cap == 0)
        return PN_ERR_BUFSIZE;
    if (cap < avail)
        avail = (uint32_t)cap;
    if (avail > 0x7fffffffu)
        avail = 0x7fffffffu;
    at = d->rd % b;
    first = b - at < avail ? b - at : avail;
    memcpy(buf, ring(s, ci, !side) + at, first);
    memcpy(buf + first, ring(s, ci, !side), avail - first);
    d->rd += avail;
    /* Tell the sender its window opened (one update in flight at a time). */
    if (!d->winupd_inflight &&
        emit(s, ci, side, TCPF_ACK | TCPF_WINUPD, c->dir[side].sent, 0) == PN_OK)
        d->winupd_inflight = 1;
    return (int)avail;
}
