/* The graph node's connections: framing, the connection and link state machines of
 * MS-PPGRH 3.1.5.1-3.1.5.2.4 (AUTH_INFO, the security provider exchange, CONNECT,
 * WELCOME, REFUSE, DISCONNECT), referrals, neighbour maintenance (3.1.7.14) and the
 * output side of every connection. */
#include "graph_node_int.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

static size_t align8(size_t v)
{
    return (v + 7u) & ~(size_t)7u;
}

static int cfg_ok(const pn_graph_node_config *c)
{
    return c != NULL && c->graph_id != NULL && c->peer_id != NULL && c->max_records > 0 &&
           c->slot_bytes >= PN_GRAPH_RECORD_MIN_SIZE && c->conn_out_bytes >= 1024 &&
           c->max_msg_bytes >= c->slot_bytes + 12 && c->max_msg_bytes <= PN_GRAPH_MSG_MAX_BYTES &&
           c->n_listen <= 2;
}

static uint32_t queue_cap(const pn_graph_node_config *c)
{
    return c->max_records < PN_GRAPH_CONN_QUEUE ? c->max_records : PN_GRAPH_CONN_QUEUE;
}

/* Without a security provider frames stream into the message reassembly and need no
 * frame buffer (decision GE-43). */
static size_t frame_buf(const pn_graph_node_config *c)
{
    return c->security != NULL ? align8(PN_GRAPH_FRAME_MAX + 2) : 0;
}

static size_t conn_bytes(const pn_graph_node_config *c)
{
    return align8(sizeof(pn_graph_conn)) + frame_buf(c) + align8(c->max_msg_bytes) +
           align8(c->conn_out_bytes) + align8((size_t)queue_cap(c) * 4);
}

size_t pn_graph_node_conn_memory(const pn_graph_node_config *cfg)
{
    return cfg_ok(cfg) ? conn_bytes(cfg) : 0;
}

size_t pn_graph_node_memory_size(const pn_graph_node_config *cfg)
{
    size_t db;
    if (!cfg_ok(cfg))
        return 0;
    db = pn_graph_db_memory_size(cfg->max_records, cfg->slot_bytes);
    if (db == 0)
        return 0;
    return 8 + align8(db) + 3 * align8(cfg->max_msg_bytes) + PN_GRAPH_MAX_CONNS * conn_bytes(cfg) +
           align8((size_t)PN_GRAPH_MAX_DEFERRED * cfg->slot_bytes);
}

int pn_graph_node_init(pn_graph_node *node, const pn_graph_node_config *cfg, void *mem, size_t len)
{
    size_t need = pn_graph_node_memory_size(cfg), db, needed, n;
    uint8_t *p = (uint8_t *)mem, nid[8];
    int i, r;
    if (node == NULL || mem == NULL || need == 0)
        return PN_ERR_ARG;
    if (len < need)
        return PN_ERR_BUFSIZE;
    memset(node, 0, sizeof *node);
    node->cfg = *cfg;
    p += (8u - ((uintptr_t)p & 7u)) & 7u;
    db = pn_graph_db_memory_size(cfg->max_records, cfg->slot_bytes);
    r = pn_graph_db_init(&node->db, cfg->max_records, cfg->slot_bytes, p, db);
    if (r != PN_OK)
        return r;
    p += align8(db);
    node->scratch = p;
    p += align8(cfg->max_msg_bytes);
    node->scratch2 = p;
    p += align8(cfg->max_msg_bytes);
    node->decbuf = p;
    p += align8(cfg->max_msg_bytes);
    node->deferred = p; /* the Deferred Record List (GE-42) */
    p += align8((size_t)PN_GRAPH_MAX_DEFERRED * cfg->slot_bytes);
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        pn_graph_conn *c = (pn_graph_conn *)(void *)p;
        memset(c, 0, sizeof *c);
        c->fbuf = cfg->security != NULL ? p + align8(sizeof(pn_graph_conn)) : NULL;
        c->rbuf = p + align8(sizeof(pn_graph_conn)) + frame_buf(cfg);
        c->out = c->rbuf + align8(cfg->max_msg_bytes);
        c->q = (uint32_t *)(void *)(c->out + align8(cfg->conn_out_bytes));
        node->cptr[i] = c;
        p += conn_bytes(cfg);
    }
    n = 0;
    while (cfg->graph_id[n] != '\0')
        n++;
    r = pn_graph_str16_from_utf8(cfg->graph_id, n, node->graph_id16, sizeof node->graph_id16,
                                 &needed, &node->gid16);
    if (r < 0 || node->gid16.count < 2)
        return PN_ERR_ARG;
    n = 0;
    while (cfg->peer_id[n] != '\0')
        n++;
    r = pn_graph_str16_from_utf8(cfg->peer_id, n, node->peer_id16, sizeof node->peer_id16, &needed,
                                 &node->pid16);
    if (r < 0 || node->pid16.count < 2)
        return PN_ERR_ARG;
    r = pn_drbg_init(&node->drbg, cfg->seed, sizeof cfg->seed, cfg->graph_id, 0, NULL, 0);
    if (r != PN_OK)
        return r;
    /* MS-PPGRH 3.1.3: a fresh random Node ID for every instance. */
    pn_drbg_generate(&node->drbg, nid, sizeof nid, NULL, 0);
    node->node_id = pn_get_u64be(nid);
    node->listening = cfg->creator;
    node->time_set = cfg->creator; /* 3.1.3: the creator's clock starts the peer time */
    node->maint_at = MAINT_IDLE_MS;
    node->nbr_retry_at = UINT64_MAX;
    node->expire_at = EXPIRE_MS;
    node->refresh_at = UINT64_MAX;
    return pn_gn_internal_init(node);
}

/* ---- events and helpers -------------------------------------------------------------- */
void pn_gn_event(pn_graph_node *node, int type, int ci, const pn_graph_guid *id,
                 const pn_graph_guid *type_guid)
{
    pn_graph_event ev;
    if (node->cfg.event == NULL)
        return;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.conn = ci;
    if (ci >= 0)
        ev.node_id = node->cptr[ci]->remote_node;
    if (id != NULL)
        ev.record_id = *id;
    if (type_guid != NULL)
        ev.record_type = *type_guid;
    node->cfg.event(node->cfg.event_ctx, &ev);
}

size_t pn_gn_out_free(const pn_graph_node *node, int ci)
{
    const pn_graph_conn *c = node->cptr[ci];
    return node->cfg.conn_out_bytes - c->out_len;
}

/* Frame a message into the connection's output: MS-PPGRH 2.2.1.1, and with a provider
 * one encrypted chunk per frame (decision GE-7). */
static int frame_out(pn_graph_node *node, int ci, const uint8_t *msg, size_t len, int raw)
{
    pn_graph_conn *c = node->cptr[ci];
    const pn_graph_security *sec = node->cfg.security;
    size_t needed, freeb;
    int r;
    if (c->out_off > 0 && c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
    if (c->out_off > 0 && pn_gn_out_free(node, ci) < len + 64) {
        memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
        c->out_len -= c->out_off;
        c->out_off = 0;
    }
    freeb = pn_gn_out_free(node, ci);
    if (sec == NULL || raw || c->state == CS_AUTH || c->state == CS_WAIT_AUTHINFO) {
        r = pn_graph_frames_encode(msg, len, PN_GRAPH_FRAME_MAX, c->out + c->out_len, freeb,
                                   &needed);
        if (r < 0)
            return r == PN_ERR_BUFSIZE ? PN_ERR_NOMEM : r;
        c->out_len += (size_t)r;
        return PN_OK;
    } else {
        size_t chunk = PN_GRAPH_FRAME_MAX - sec->overhead, off = 0, start = c->out_len;
        while (off < len) {
            size_t n = len - off < chunk ? len - off : chunk;
            if (c->out_len + 2 > node->cfg.conn_out_bytes)
                goto full;
            r = sec->encrypt(sec->ctx, ci, msg + off, n, c->out + c->out_len + 2,
                             node->cfg.conn_out_bytes - c->out_len - 2);
            if (r <= 0 || r > PN_GRAPH_FRAME_MAX)
                goto full;
            pn_put_u16be(c->out + c->out_len, (uint16_t)r);
            c->out_len += 2 + (size_t)r;
            off += n;
        }
        return PN_OK;
    full:
        c->out_len = start;
        return PN_ERR_NOMEM;
    }
}

int pn_gn_send(pn_graph_node *node, int ci, const pn_graph_msg *m)
{
    size_t needed;
    int n = pn_graph_msg_encode(m, node->scratch, node->cfg.max_msg_bytes, &needed), r;
    if (n < 0)
        return n;
    r = frame_out(node, ci, node->scratch, (size_t)n, 0);
    if (r == PN_OK) {
        node->ctr.msgs_out++;
        node->ctr.bytes_out += (uint64_t)n;
    }
    return r;
}

/* Send a control message; a connection whose output cannot take it is closed (its peer
 * would otherwise wait forever for an answer). */
static int send_or_close(pn_graph_node *node, int ci, const pn_graph_msg *m)
{
    int r = pn_gn_send(node, ci, m);
    if (r != PN_OK) {
        node->ctr.closed_out_full++;
        pn_gn_close(node, ci, 0);
    }
    return r;
}

int pn_gn_send_flood(pn_graph_node *node, int ci, uint32_t idx)
{
    size_t len;
    const uint8_t *rec = pn_graph_db_bytes(&node->db, idx, &len);
    uint8_t *m = node->scratch;
    int r;
    if (rec == NULL)
        return PN_OK;
    /* MS-PPGRH 2.2.2.11: header, Record Offset 12, Reserved2, then the stored record as
     * it is (it was validated when it was stored). */
    pn_put_u32be(m, (uint32_t)(12 + len));
    m[4] = PN_GRAPH_VERSION;
    m[5] = PN_GRAPH_FLOOD;
    m[6] = m[7] = 0;
    pn_put_u16be(m + 8, 12);
    pn_put_u16be(m + 10, 0);
    memcpy(m + 12, rec, len);
    r = frame_out(node, ci, m, 12 + len, 0);
    if (r == PN_OK) {
        pn_graph_db_entry *e = &node->db.e[idx];
        pn_graph_conn *c = node->cptr[ci];
        e->sent |= (uint16_t)(1u << ci);
        node->ctr.msgs_out++;
        node->ctr.floods_out++;
        node->ctr.bytes_out += 12 + len;
        c->floods_out++;
        c->flood_bytes_out += 12 + len;
        if (e->syncq & (1u << ci)) {
            e->syncq = (uint16_t)(e->syncq & ~(1u << ci));
            c->sync_floods_out++;
            c->sync_flood_bytes_out += 12 + len;
        }
    }
    return r;
}

/* A FLOOD a synchronisation asked for (SOLICIT_NEW/_TIME answers, REQUEST answers,
 * Records To Send): queued as any other, and counted apart when it leaves (GE-62). */
void pn_gn_queue_sync(pn_graph_node *node, int ci, uint32_t idx)
{
    pn_graph_db_entry *e = &node->db.e[idx];
    if (e->sent & (1u << ci))
        return;
    e->syncq = (uint16_t)(e->syncq | (1u << ci));
    pn_gn_queue(node, ci, idx);
}

int pn_graph_node_conn_stats(const pn_graph_node *node, int ci, pn_graph_conn_stats *st)
{
    const pn_graph_conn *c;
    if (node == NULL || st == NULL || ci < 0 || ci >= PN_GRAPH_MAX_CONNS)
        return PN_ERR_ARG;
    c = node->cptr[ci];
    memset(st, 0, sizeof *st);
    if (c->state == CS_FREE)
        return PN_ERR_STATE;
    st->connected = c->state == CS_CONNECTED && !c->closing;
    st->direct = c->direct;
    st->remote_node = c->remote_node;
    st->floods_out = c->floods_out;
    st->flood_bytes_out = c->flood_bytes_out;
    st->sync_floods_out = c->sync_floods_out;
    st->sync_flood_bytes_out = c->sync_flood_bytes_out;
    return PN_OK;
}

void pn_gn_queue(pn_graph_node *node, int ci, uint32_t idx)
{
    pn_graph_conn *c = node->cptr[ci];
    pn_graph_db_entry *e = &node->db.e[idx];
    uint32_t pos;
    /* Queued already, or the neighbour has this version: sent on this link or received
     * from it (GE-45). */
    if ((e->queued | e->sent) & (1u << ci))
        return;
    e->queued = (uint16_t)(e->queued | (1u << ci));
    if (c->qlen == c->qcap) {
        c->spilled = 1; /* the mark keeps it; refill finds it when the ring drains */
        return;
    }
    pos = c->qhead + c->qlen;
    if (pos >= c->qcap)
        pos -= c->qcap;
    c->q[pos] = idx;
    c->qlen++;
}

/* The ring has drained and marked records spilled: refill it from the marks, in hash-sync
 * order (GE-43). */
static void unspill(pn_graph_node *node, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    uint32_t p, bit = 1u << ci;
    c->spilled = 0;
    c->qhead = 0;
    for (p = 0; p < node->db.count; p++) {
        uint32_t i = pn_graph_db_sorted(&node->db, p);
        if (!(node->db.e[i].queued & bit))
            continue;
        if (c->qlen == c->qcap) {
            c->spilled = 1;
            return;
        }
        c->q[c->qlen++] = i;
    }
}

static void free_conn(pn_graph_node *node, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    uint32_t i;
    for (i = 0; i < node->db.cap; i++)
        node->db.e[i].queued = (uint16_t)(node->db.e[i].queued & ~(1u << ci)),
        node->db.e[i].tosend = (uint16_t)(node->db.e[i].tosend & ~(1u << ci)),
        node->db.e[i].sent = (uint16_t)(node->db.e[i].sent & ~(1u << ci)),
        node->db.e[i].syncq = (uint16_t)(node->db.e[i].syncq & ~(1u << ci));
    c->state = CS_FREE;
    c->closing = 0;
}

void pn_gn_close(pn_graph_node *node, int ci, int flush)
{
    pn_graph_conn *c = node->cptr[ci];
    if (c->state == CS_FREE || c->closing)
        return;
    if (c->state == CS_CONNECTED && !c->direct)
        pn_gn_event(node, PN_GRAPH_EV_NEIGHBOUR_LEFT, ci, NULL, NULL);
    c->closing = 1;
    if (!flush)
        c->out_off = c->out_len = 0;
    c->qlen = 0;
    c->spilled = 0;
    c->n_ack = 0;
    c->sync_end_pending = 0;
}

static int send_pt2pt(pn_graph_node *node, int ci, const pn_graph_guid *type, const uint8_t *data,
                      size_t len);

/* ---- referrals ---------------------------------------------------------------------- */
static int own_addr(const pn_graph_node *node, const pn_graph_in6 *a)
{
    uint32_t i;
    for (i = 0; i < node->cfg.n_listen; i++)
        if (node->cfg.listen[i].port == a->port &&
            memcmp(node->cfg.listen[i].addr, a->addr, 16) == 0)
            return 1;
    return 0;
}

static int same_in6(const pn_graph_in6 *a, const pn_graph_in6 *b)
{
    return a->port == b->port && memcmp(a->addr, b->addr, 16) == 0;
}

void pn_graph_node_add_referral(pn_graph_node *node, const pn_graph_in6 *addr)
{
    uint32_t i;
    if (own_addr(node, addr) || addr->port == 0)
        return;
    for (i = 0; i < PN_GRAPH_MAX_REFERRALS; i++)
        if (node->referrals[i].used && same_in6(&node->referrals[i].addr, addr))
            return;
    /* MS-PPGRH 3.1.1: at most 100 referrals; the oldest goes first. */
    i = node->referral_next;
    node->referral_next = i + 1 == PN_GRAPH_MAX_REFERRALS ? 0 : i + 1;
    node->referrals[i].used = 1;
    node->referrals[i].tried = 0;
    node->referrals[i].addr = *addr;
}

static void add_referrals(pn_graph_node *node, const pn_graph_array *a)
{
    uint32_t i;
    for (i = 0; i < a->n; i++) {
        pn_graph_in6 x;
        pn_graph_in6_get(a, i, &x);
        pn_graph_node_add_referral(node, &x);
    }
}

/* Up to PN_GRAPH_REFERRALS_SENT listening addresses of neighbours other than ci. */
static uint32_t build_referrals(pn_graph_node *node, int ci, uint8_t *raw)
{
    uint32_t n = 0;
    int i;
    for (i = 0; i < PN_GRAPH_MAX_CONNS && n < PN_GRAPH_REFERRALS_SENT; i++) {
        pn_graph_conn *c = node->cptr[i];
        if (i == ci || c->state != CS_CONNECTED || c->closing || c->direct || !c->has_listen)
            continue;
        pn_graph_in6_put(raw, n++, &c->listen);
    }
    return n;
}

int pn_graph_node_neighbours(const pn_graph_node *node)
{
    int i, n = 0;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        const pn_graph_conn *c = node->cptr[i];
        n += c->state == CS_CONNECTED && !c->closing && !c->direct;
    }
    return n;
}

int pn_graph_node_neighbour_ids(const pn_graph_node *node, uint64_t *ids, int cap)
{
    int i, n = 0;
    for (i = 0; i < PN_GRAPH_MAX_CONNS && n < cap; i++) {
        const pn_graph_conn *c = node->cptr[i];
        if (c->state == CS_CONNECTED && !c->closing && !c->direct)
            ids[n++] = c->remote_node;
    }
    return n;
}

static int pending_out(const pn_graph_node *node)
{
    int i, n = 0;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        const pn_graph_conn *c = node->cptr[i];
        n += c->state != CS_FREE && c->state != CS_CONNECTED && !c->closing && c->initiator &&
             !c->direct;
    }
    return n;
}

static int connected_to(const pn_graph_node *node, const pn_graph_in6 *a)
{
    int i;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        const pn_graph_conn *c = node->cptr[i];
        if (c->state != CS_FREE && !c->closing && c->has_listen && same_in6(&c->listen, a))
            return 1;
    }
    return 0;
}

/* MS-PPGRH 3.1.7.14 connection maintenance: candidates from the Referral List, else
 * from the Contact and Presence Lists (graph_internal.c).  on_timer: 0 after an event,
 * 1 on the Graph Maintenance Timer, 2 on the retry of a node below Minimum Neighbours
 * (decision GE-60). */
void pn_gn_maintenance(pn_graph_node *node, uint64_t now, int on_timer)
{
    int n = pn_graph_node_neighbours(node), want, i, best = -1;
    uint32_t start, k;
    uint8_t r[4];
    if (node->leaving)
        return;
    if (on_timer == 1 && n > PN_GRAPH_IDEAL_NEIGHBOURS) {
        pn_graph_msg m;
        uint8_t raw[PN_GRAPH_REFERRALS_SENT * PN_GRAPH_IN6_SIZE];
        for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
            pn_graph_conn *c = node->cptr[i];
            if (c->state == CS_CONNECTED && !c->closing && !c->direct &&
                (best < 0 || c->utility < node->cptr[best]->utility))
                best = i;
        }
        memset(&m, 0, sizeof m);
        m.type = PN_GRAPH_DISCONNECT;
        m.u.refuse.code = PN_GRAPH_DISCONNECT_LEAST_USEFUL;
        m.u.refuse.addrs.p = raw;
        m.u.refuse.addrs.n = build_referrals(node, best, raw);
        m.u.refuse.addrs.off = PN_GRAPH_OFF_END;
        (void)pn_gn_send(node, best, &m);
        pn_gn_close(node, best, 1);
        return;
    }
    want = on_timer == 1 ? PN_GRAPH_IDEAL_NEIGHBOURS : PN_GRAPH_MIN_NEIGHBOURS;
    if (n + pending_out(node) >= want) {
        node->nbr_retry_at = UINT64_MAX;
        return;
    }
    if (node->want_connect)
        return;
    if (n == 0 && !node->synchronised && pending_out(node) > 0)
        return;
    pn_drbg_generate(&node->drbg, r, sizeof r, NULL, 0);
    start = pn_get_u32be(r) % PN_GRAPH_MAX_REFERRALS;
    for (k = 0; k < 2 * PN_GRAPH_MAX_REFERRALS; k++) {
        uint32_t j = (start + k) % PN_GRAPH_MAX_REFERRALS;
        pn_graph_referral *f = &node->referrals[j];
        if (!f->used || connected_to(node, &f->addr))
            continue;
        if (f->tried) {
            if (k < PN_GRAPH_MAX_REFERRALS || on_timer != 1)
                continue;
            f->tried = 0; /* every candidate was tried once: start over */
        }
        f->tried = 1;
        node->want_connect = 1;
        node->want_addr = f->addr;
        return;
    }
    /* Contact and Presence List candidates have no "tried" mark: on the timers, so that a
     * failing candidate is not retried at once on every failure (GE-33).  Below Minimum
     * Neighbours also on events, at most once per NBR_RETRY_MS, and the node looks again
     * every NBR_RETRY_MS rather than at the next Graph Maintenance Timer, 300 s away
     * (GE-60): a joiner whose only WELCOME carried no referral finds its second neighbour
     * as soon as its first synchronisation brought the lists. */
    if ((on_timer == 1 || (n < PN_GRAPH_MIN_NEIGHBOURS && now >= node->nbr_cand_at)) &&
        pn_gn_internal_candidate(node, &node->want_addr)) {
        node->want_connect = 1;
        node->nbr_cand_at = now + NBR_RETRY_MS;
    }
    if (n < PN_GRAPH_MIN_NEIGHBOURS && node->synchronised) {
        uint64_t at = node->nbr_cand_at > now ? node->nbr_cand_at : now + NBR_RETRY_MS;
        if (at < node->nbr_retry_at)
            node->nbr_retry_at = at;
    }
}

/* GE-60: a Contact or Presence record arrived while the node is below Minimum Neighbours:
 * connection maintenance runs at the next tick (or once NBR_RETRY_MS has passed since the
 * last candidate from those lists). */
void pn_gn_maintenance_lists_grew(pn_graph_node *node)
{
    if (node->synchronised && !node->leaving &&
        pn_graph_node_neighbours(node) < PN_GRAPH_MIN_NEIGHBOURS &&
        node->nbr_cand_at < node->nbr_retry_at)
        node->nbr_retry_at = node->nbr_cand_at;
}

int pn_graph_node_poll_connect(pn_graph_node *node, pn_graph_in6 *to)
{
    if (!node->want_connect)
        return 0;
    node->want_connect = 0;
    *to = node->want_addr;
    return 1;
}

/* ---- opening and the handshake ------------------------------------------------------- */
static int send_connect(pn_graph_node *node, uint64_t now, int ci, uint8_t flags)
{
    pn_graph_conn *c = node->cptr[ci];
    pn_graph_msg m;
    uint8_t raw[2 * PN_GRAPH_IN6_SIZE];
    uint32_t i;
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_CONNECT;
    /* MS-PPGRH 3.1.7.24: N asks for referrals; listening addresses only if listening. */
    m.u.connect.flags = (uint8_t)(flags | PN_GRAPH_CONNECT_NEIGHBORS);
    if (c->direct)
        m.u.connect.flags = (uint8_t)(m.u.connect.flags | PN_GRAPH_CONNECT_DIRECT);
    m.u.connect.node_id = node->node_id;
    if (node->listening) {
        for (i = 0; i < node->cfg.n_listen; i++)
            pn_graph_in6_put(raw, i, &node->cfg.listen[i]);
        m.u.connect.addrs.p = raw;
        m.u.connect.addrs.n = node->cfg.n_listen;
    }
    if (!(flags & PN_GRAPH_CONNECT_UPDATE)) {
        c->connect_sent = now;
        c->deadline = now + CONNECT_TIMER_MS;
        c->state = CS_CONNECT_WAIT;
    }
    return send_or_close(node, ci, &m);
}

static void authenticated(pn_graph_node *node, uint64_t now, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    if (c->initiator) {
        (void)send_connect(node, now, ci, 0);
    } else {
        c->state = CS_AUTHENTICATED;
        c->deadline = now + CONNECT_TIMER_MS;
    }
}

/* One step of the provider exchange: in is a raw frame payload (NULL to start). */
static void auth_step(pn_graph_node *node, uint64_t now, int ci, const uint8_t *in, size_t len)
{
    const pn_graph_security *sec = node->cfg.security;
    pn_graph_conn *c = node->cptr[ci];
    size_t olen = 0;
    int r = sec->authenticate(sec->ctx, ci, c->initiator, in, len, node->scratch2,
                              node->cfg.max_msg_bytes, &olen);
    if (r < 0) {
        node->ctr.closed_unexpected++;
        pn_gn_close(node, ci, 0);
        return;
    }
    if (olen > 0 && olen <= PN_GRAPH_FRAME_MAX &&
        frame_out(node, ci, node->scratch2, olen, 1) != PN_OK) {
        node->ctr.closed_out_full++;
        pn_gn_close(node, ci, 0);
        return;
    }
    if (r == 1)
        authenticated(node, now, ci);
}

/* Decision GE-70: one remote host.  An IPv4(-mapped) address counts whole, an IPv6 one by
 * its first PN_GRAPH_CONN_PREFIX6 bits. */
static int same_host(const pn_graph_in6 *a, const pn_graph_in6 *b)
{
    static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a->addr, v4mapped, 12) == 0)
        return memcmp(a->addr, b->addr, 16) == 0;
    return memcmp(a->addr, b->addr, PN_GRAPH_CONN_PREFIX6 / 8) == 0;
}

static int host_slots(const pn_graph_node *node, const pn_graph_in6 *remote)
{
    int ci, n = 0;
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++) {
        const pn_graph_conn *c = node->cptr[ci];
        if (c->state != CS_FREE && c->has_peer && same_host(&c->peer, remote))
            n++;
    }
    return n;
}

static int conn_open(pn_graph_node *node, uint64_t now, int initiator, int direct,
                     const pn_graph_in6 *remote)
{
    int ci;
    pn_graph_conn *c;
    /* Decision GE-70: an accepted socket from a host that already holds its share of the
     * slots (either direction) is refused, so one host cannot take every slot. */
    if (!initiator && remote != NULL && host_slots(node, remote) >= PN_GRAPH_CONNS_PER_ADDR) {
        node->ctr.drop_conn_addr++;
        return PN_ERR_REFUSED;
    }
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS && node->cptr[ci]->state != CS_FREE; ci++)
        ;
    if (ci == PN_GRAPH_MAX_CONNS) {
        node->ctr.drop_conn_full++;
        return PN_ERR_NOMEM;
    }
    if (node->leaving)
        return PN_ERR_STATE;
    c = node->cptr[ci];
    {
        uint8_t *fb = c->fbuf, *rb = c->rbuf, *out = c->out;
        uint32_t *q = c->q;
        memset(c, 0, sizeof *c);
        c->fbuf = fb;
        c->rbuf = rb;
        c->out = out;
        c->q = q;
    }
    if (c->fbuf != NULL)
        pn_graph_framer_init(&c->fr, c->fbuf, PN_GRAPH_FRAME_MAX + 2);
    c->qcap = queue_cap(&node->cfg);
    pn_graph_reasm_init(&c->ra, c->rbuf, node->cfg.max_msg_bytes);
    c->initiator = (uint8_t)(initiator != 0);
    c->direct = (uint8_t)(direct != 0);
    c->deadline = now + AUTH_TIMEOUT_MS;
    c->sol_tokens = PN_GRAPH_SOLICIT_BURST;
    c->sol_at = now;
    c->hash_tokens = PN_GRAPH_HASH_BURST;
    c->hash_at = now;
    if (remote != NULL) {
        c->peer = *remote;
        c->has_peer = 1;
    }
    if (initiator && remote != NULL) {
        c->listen = *remote;
        c->has_listen = 1;
    }
    if (!initiator) {
        c->state = CS_WAIT_AUTHINFO;
        return ci;
    }
    {
        pn_graph_msg m;
        size_t n = 0;
        memset(&m, 0, sizeof m);
        /* MS-PPGRH 3.1.7.24: AUTH_INFO first, in clear. */
        m.type = PN_GRAPH_AUTH_INFO;
        m.u.auth_info.conn_type = direct ? PN_GRAPH_CONN_DIRECT : PN_GRAPH_CONN_NEIGHBOR;
        while (node->cfg.graph_id[n] != '\0')
            n++;
        m.u.auth_info.graph_id.p = (const uint8_t *)node->cfg.graph_id;
        m.u.auth_info.graph_id.len = n;
        n = 0;
        while (node->cfg.peer_id[n] != '\0')
            n++;
        m.u.auth_info.src_peer_id.p = (const uint8_t *)node->cfg.peer_id;
        m.u.auth_info.src_peer_id.len = n;
        c->state = CS_AUTH;
        if (pn_gn_send(node, ci, &m) != PN_OK) {
            c->state = CS_FREE;
            return PN_ERR_NOMEM;
        }
    }
    if (node->cfg.security != NULL)
        auth_step(node, now, ci, NULL, 0);
    else
        authenticated(node, now, ci);
    return ci;
}

int pn_graph_node_conn_open(pn_graph_node *node, uint64_t now, int initiator,
                            const pn_graph_in6 *remote)
{
    return conn_open(node, now, initiator, 0, remote);
}

int pn_graph_node_conn_open_direct(pn_graph_node *node, uint64_t now, const pn_graph_in6 *remote)
{
    return conn_open(node, now, 1, 1, remote);
}

void pn_graph_node_conn_closed(pn_graph_node *node, uint64_t now, int ci)
{
    if (ci < 0 || ci >= PN_GRAPH_MAX_CONNS || node->cptr[ci]->state == CS_FREE)
        return;
    pn_gn_close(node, ci, 0);
    free_conn(node, ci);
    pn_gn_maintenance(node, now, 0);
}

int pn_graph_node_poll_close(pn_graph_node *node)
{
    int i;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        pn_graph_conn *c = node->cptr[i];
        if (c->state != CS_FREE && c->closing && c->out_off == c->out_len) {
            free_conn(node, i);
            return i;
        }
    }
    return -1;
}

/* ---- messages on a connection ---------------------------------------------------------- */
static int str8_eq(const pn_graph_str8 *s, const char *z)
{
    size_t n = 0;
    while (z[n] != '\0')
        n++;
    return s->len == n && memcmp(s->p, z, n) == 0;
}

static void refuse(pn_graph_node *node, int ci, uint8_t code, int referrals)
{
    pn_graph_msg m;
    uint8_t raw[PN_GRAPH_REFERRALS_SENT * PN_GRAPH_IN6_SIZE];
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_REFUSE;
    m.u.refuse.code = code;
    m.u.refuse.addrs.p = raw;
    m.u.refuse.addrs.n = referrals ? build_referrals(node, ci, raw) : 0;
    if (pn_gn_send(node, ci, &m) == PN_OK)
        pn_gn_close(node, ci, 1);
    else
        pn_gn_close(node, ci, 0);
}

static int neighbour_with(const pn_graph_node *node, uint64_t id, int except)
{
    int i;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        const pn_graph_conn *c = node->cptr[i];
        if (i != except && c->state == CS_CONNECTED && !c->closing && !c->direct &&
            c->remote_node == id)
            return 1;
    }
    return 0;
}

/* MS-PPGRH 3.1.5.2.1: the responder's CONNECT processing. */
static void on_connect(pn_graph_node *node, uint64_t now, int ci, const pn_graph_connect *cm)
{
    pn_graph_conn *c = node->cptr[ci];
    pn_graph_msg m;
    uint8_t raw[PN_GRAPH_REFERRALS_SENT * PN_GRAPH_IN6_SIZE];
    if (c->state == CS_CONNECTED) {
        if (cm->flags & PN_GRAPH_CONNECT_UPDATE) {
            if (cm->addrs.n > 0) {
                pn_graph_in6_get(&cm->addrs, 0, &c->listen);
                c->has_listen = 1;
            }
            return;
        }
        refuse(node, ci, PN_GRAPH_REFUSE_ALREADY_CONNECTED, 0);
        return;
    }
    c->remote_node = cm->node_id;
    if (cm->addrs.n > 0) {
        pn_graph_in6_get(&cm->addrs, 0, &c->listen);
        c->has_listen = 1;
    }
    c->direct = (cm->flags & PN_GRAPH_CONNECT_DIRECT) != 0;
    if (c->direct) {
        if (!node->cfg.accept_direct) {
            refuse(node, ci, PN_GRAPH_REFUSE_DIRECT_DISALLOWED, 0);
            return;
        }
    } else if (cm->node_id == node->node_id || neighbour_with(node, cm->node_id, ci)) {
        refuse(node, ci, PN_GRAPH_REFUSE_DUPLICATE, 0);
        return;
    } else if (pn_graph_node_neighbours(node) >= PN_GRAPH_MAX_NEIGHBOURS) {
        refuse(node, ci, PN_GRAPH_REFUSE_BUSY, 1);
        return;
    }
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_WELCOME;
    m.u.welcome.node_id = node->node_id;
    m.u.welcome.peer_time = pn_graph_node_peer_time(node, now);
    m.u.welcome.peer_id.p = (const uint8_t *)node->cfg.peer_id;
    while (node->cfg.peer_id[m.u.welcome.peer_id.len] != '\0')
        m.u.welcome.peer_id.len++;
    m.u.welcome.addrs.p = raw;
    if (!c->direct && (cm->flags & PN_GRAPH_CONNECT_NEIGHBORS))
        m.u.welcome.addrs.n = build_referrals(node, ci, raw);
    if (send_or_close(node, ci, &m) != PN_OK)
        return;
    c->state = CS_CONNECTED;
    c->deadline = UINT64_MAX;
    if (node->in.defer_expiration && !c->direct)
        node->expire_at = now; /* 3.1.5.2.1: the deferred expiration scan runs now */
    pn_gn_event(node, c->direct ? PN_GRAPH_EV_DIRECT_OPENED : PN_GRAPH_EV_NEIGHBOUR_JOINED, ci,
                NULL, NULL);
}

/* MS-PPGRH 3.1.5.2.2: WELCOME at the initiator. */
static void on_welcome(pn_graph_node *node, uint64_t now, int ci, const pn_graph_welcome *w)
{
    pn_graph_conn *c = node->cptr[ci];
    int i;
    if (c->direct) { /* 3.1.5.2.2: a direct connection carries PT2PT data only */
        c->remote_node = w->node_id;
        c->state = CS_CONNECTED;
        c->deadline = UINT64_MAX;
        pn_gn_event(node, PN_GRAPH_EV_DIRECT_OPENED, ci, NULL, NULL);
        return;
    }
    if (w->node_id == node->node_id || neighbour_with(node, w->node_id, ci)) {
        pn_gn_close(node, ci, 0); /* ourselves, or a second link to one neighbour */
        return;
    }
    if (pn_graph_node_neighbours(node) >= PN_GRAPH_MAX_NEIGHBOURS) {
        /* GE-61: links accepted while this one was opening filled the Neighbour List; the
         * responder already counts us, so it learns with a DISCONNECT (and our referrals). */
        pn_graph_msg m;
        uint8_t raw[PN_GRAPH_REFERRALS_SENT * PN_GRAPH_IN6_SIZE];
        memset(&m, 0, sizeof m);
        m.type = PN_GRAPH_DISCONNECT;
        m.u.refuse.code = PN_GRAPH_DISCONNECT_LEAST_USEFUL;
        m.u.refuse.addrs.p = raw;
        m.u.refuse.addrs.n = build_referrals(node, ci, raw);
        m.u.refuse.addrs.off = PN_GRAPH_OFF_END;
        node->ctr.closed_surplus++;
        if (pn_gn_send(node, ci, &m) == PN_OK)
            pn_gn_close(node, ci, 1);
        else
            pn_gn_close(node, ci, 0);
        return;
    }
    c->remote_node = w->node_id;
    c->state = CS_CONNECTED;
    c->deadline = UINT64_MAX;
    if (node->in.defer_expiration)
        node->expire_at = now; /* 3.1.5.2.2: the deferred expiration scan runs now */
    add_referrals(node, &w->addrs);
    pn_gn_welcome_time(node, now, ci, w->peer_time);
    pn_gn_event(node, PN_GRAPH_EV_NEIGHBOUR_JOINED, ci, NULL, NULL);
    /* 3.1.5.2.2: a Ping on every connected link. */
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++)
        if (node->cptr[i]->state == CS_CONNECTED && !node->cptr[i]->closing)
            (void)send_pt2pt(node, i, &pn_graph_type_ping, NULL, 0);
    pn_gn_sync_start(node, now, ci);
    pn_gn_maintenance(node, now, 0);
}

static void data_event(pn_graph_node *node, int ci, const pn_graph_pt2pt *d)
{
    pn_graph_event ev;
    if (node->cfg.event == NULL)
        return;
    memset(&ev, 0, sizeof ev);
    ev.type = PN_GRAPH_EV_DATA;
    ev.conn = ci;
    ev.node_id = node->cptr[ci]->remote_node;
    ev.data_type = d->data_type;
    ev.data = d->payload;
    ev.data_len = d->payload_len;
    node->cfg.event(node->cfg.event_ctx, &ev);
}

static int send_pt2pt(pn_graph_node *node, int ci, const pn_graph_guid *type, const uint8_t *data,
                      size_t len)
{
    pn_graph_msg m;
    pn_graph_conn *c = node->cptr[ci];
    if (c->state != CS_CONNECTED || c->closing)
        return PN_ERR_STATE;
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_PT2PT;
    m.u.pt2pt.data_type = *type;
    m.u.pt2pt.payload = data;
    m.u.pt2pt.payload_len = len;
    return pn_gn_send(node, ci, &m);
}

int pn_graph_node_send_data(pn_graph_node *node, int ci, const pn_graph_guid *type,
                            const uint8_t *data, size_t len)
{
    if (node == NULL || ci < 0 || ci >= PN_GRAPH_MAX_CONNS || type == NULL ||
        (data == NULL && len != 0) || pn_graph_guid_eq(type, &pn_graph_type_ping))
        return PN_ERR_ARG;
    return send_pt2pt(node, ci, type, data, len);
}

static void dispatch(pn_graph_node *node, uint64_t now, int ci, const pn_graph_msg *m)
{
    pn_graph_conn *c = node->cptr[ci];
    switch (c->state) {
    case CS_WAIT_AUTHINFO:
        /* MS-PPGRH 3.1.5.1.1: AUTH_INFO first, naming our graph. */
        if (m->type != PN_GRAPH_AUTH_INFO || !str8_eq(&m->u.auth_info.graph_id, node->cfg.graph_id))
            break;
        c->direct = m->u.auth_info.conn_type == PN_GRAPH_CONN_DIRECT;
        c->state = CS_AUTH;
        if (node->cfg.security != NULL)
            auth_step(node, now, ci, NULL, 0);
        else
            authenticated(node, now, ci);
        return;
    case CS_AUTHENTICATED:
        if (m->type != PN_GRAPH_CONNECT)
            break;
        on_connect(node, now, ci, &m->u.connect);
        return;
    case CS_CONNECT_WAIT:
        if (m->type == PN_GRAPH_WELCOME) {
            on_welcome(node, now, ci, &m->u.welcome);
            return;
        }
        if (m->type == PN_GRAPH_REFUSE || m->type == PN_GRAPH_DISCONNECT) {
            add_referrals(node, &m->u.refuse.addrs);
            node->ctr.closed_refused++;
            pn_gn_close(node, ci, 0);
            pn_gn_maintenance(node, now, 0);
            return;
        }
        break;
    case CS_CONNECTED:
        switch (m->type) {
        case PN_GRAPH_CONNECT:
            on_connect(node, now, ci, &m->u.connect);
            return;
        case PN_GRAPH_DISCONNECT:
            add_referrals(node, &m->u.refuse.addrs);
            pn_gn_close(node, ci, 0);
            pn_gn_maintenance(node, now, 0);
            return;
        case PN_GRAPH_PT2PT:
            /* 3.1.5.2.13: Pings are dropped; application data goes to the application. */
            if (!pn_graph_guid_eq(&m->u.pt2pt.data_type, &pn_graph_type_ping))
                data_event(node, ci, &m->u.pt2pt);
            return;
        default:
            break;
        }
        if (c->direct)
            break; /* 3.1.5.2: no flooding or synchronisation on a direct connection */
        switch (m->type) {
        case PN_GRAPH_FLOOD:
            if (pn_gn_flood_in(node, now, ci, m) < 0)
                break;
            return;
        case PN_GRAPH_ACK:
            pn_gn_ack_in(node, ci, m);
            return;
        case PN_GRAPH_SOLICIT_NEW:
        case PN_GRAPH_SOLICIT_TIME:
        case PN_GRAPH_SOLICIT_HASH:
        case PN_GRAPH_ADVERTISE:
        case PN_GRAPH_REQUEST:
        case PN_GRAPH_SYNC_END:
            if (pn_gn_sync_input(node, now, ci, m) < 0)
                break;
            return;
        default:
            break;
        }
        break;
    default:
        break;
    }
    node->ctr.closed_unexpected++;
    pn_gn_close(node, ci, 0);
}

/* p: a frame payload, or (streaming) part of one; more: the frame goes on after it. */
static int message_in(pn_graph_node *node, uint64_t now, int ci, const uint8_t *p, size_t len,
                      int more)
{
    pn_graph_conn *c = node->cptr[ci];
    const uint8_t *msg;
    size_t mlen;
    pn_graph_err err;
    pn_graph_msg m;
    int r = pn_graph_reasm_input(&c->ra, p, len, &msg, &mlen, &err);
    if (r < 0) {
        node->ctr.closed_bad_frame++;
        pn_gn_close(node, ci, 0);
        return r;
    }
    if (r == 0)
        return PN_OK;
    if (c->state == CS_CONNECTED)
        c->deadline = UINT64_MAX; /* a message ended: its timer stops (GE-47) */
    if (more) {                   /* decision G-7: a frame carries bytes of one message only */
        node->ctr.closed_bad_frame++;
        pn_gn_close(node, ci, 0);
        return PN_ERR_GRAPH_FRAME;
    }
    r = pn_graph_msg_decode(msg, mlen, &m, &err);
    if (r != PN_OK) {
        node->ctr.closed_bad_msg++;
        pn_gn_close(node, ci, 0);
        return r;
    }
    node->ctr.msgs_in++;
    node->ctr.bytes_in += mlen;
    node->in_msg = msg;
    node->in_len = mlen;
    dispatch(node, now, ci, &m);
    return PN_OK;
}

/* Without a security provider (GE-43): Frame Sizes are read here and each run of payload
 * bytes goes straight to the message reassembly, so a connection needs no frame buffer.
 * Consumes at least one byte. */
static int stream_in(pn_graph_node *node, uint64_t now, int ci, const uint8_t **bytes, size_t *len)
{
    pn_graph_conn *c = node->cptr[ci];
    const uint8_t *p = *bytes;
    size_t n;
    if (c->frame_left == 0) {
        c->fsz[c->fhave++] = *p;
        *bytes = p + 1;
        *len -= 1;
        if (c->fhave < 2)
            return PN_OK;
        c->fhave = 0;
        c->frame_left = pn_get_u16be(c->fsz);
        if (c->frame_left == 0 || c->frame_left > PN_GRAPH_FRAME_MAX) {
            node->ctr.closed_bad_frame++;
            pn_gn_close(node, ci, 0);
            return PN_ERR_GRAPH_FRAME;
        }
        return PN_OK;
    }
    n = *len < c->frame_left ? *len : c->frame_left;
    c->frame_left -= (uint32_t)n;
    *bytes = p + n;
    *len -= n;
    return message_in(node, now, ci, p, n, c->frame_left > 0);
}

int pn_graph_node_input(pn_graph_node *node, uint64_t now, int ci, const uint8_t *bytes, size_t len)
{
    pn_graph_conn *c;
    const pn_graph_security *sec = node->cfg.security;
    if (ci < 0 || ci >= PN_GRAPH_MAX_CONNS || (bytes == NULL && len != 0))
        return PN_ERR_ARG;
    c = node->cptr[ci];
    if (c->state == CS_FREE)
        return PN_ERR_STATE;
    while (sec == NULL && len > 0 && !c->closing) {
        int r = stream_in(node, now, ci, &bytes, &len);
        if (r < 0)
            return r;
    }
    while (sec != NULL && len > 0 && !c->closing) {
        const uint8_t *pl;
        size_t used = 0, plen;
        pn_graph_err err;
        int r = pn_graph_framer_input(&c->fr, bytes, len, &used, &pl, &plen, &err);
        bytes += used;
        len -= used;
        if (r < 0) {
            node->ctr.closed_bad_frame++;
            pn_gn_close(node, ci, 0);
            return r;
        }
        if (r == 0)
            break;
        if (sec != NULL && c->state == CS_AUTH) {
            auth_step(node, now, ci, pl, plen);
            continue;
        }
        if (sec != NULL && c->state != CS_WAIT_AUTHINFO) {
            int n = sec->decrypt(sec->ctx, ci, pl, plen, node->decbuf, node->cfg.max_msg_bytes);
            if (n < 0) {
                node->ctr.closed_bad_frame++;
                pn_gn_close(node, ci, 0);
                return n;
            }
            pl = node->decbuf;
            plen = (size_t)n;
        }
        r = message_in(node, now, ci, pl, plen, 0);
        if (r < 0)
            return r;
    }
    if (!c->closing && c->state == CS_CONNECTED) {
        /* Decision GE-47: a frame or message begun must end within PN_GRAPH_MSG_TIMEOUT_MS
         * of its first byte, else the connection closes (closed_timeout). */
        int partial = c->ra.have > 0 || c->fhave > 0 || c->frame_left > 0 || c->fr.have > 0;
        if (!partial)
            c->deadline = UINT64_MAX;
        else if (c->deadline == UINT64_MAX)
            c->deadline = now + PN_GRAPH_MSG_TIMEOUT_MS;
    }
    return c->closing ? PN_ERR_CLOSED : PN_OK;
}

/* ---- output ---------------------------------------------------------------------------- */
void pn_gn_flush_acks(pn_graph_node *node, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    pn_graph_msg m;
    uint32_t i;
    if (c->n_ack == 0)
        return;
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_ACK;
    for (i = 0; i < c->n_ack; i++) {
        pn_graph_ack_entry a;
        memcpy(a.id.b, c->ack_id[i], 16);
        a.flags = c->ack_useful[i] ? PN_GRAPH_ACK_USEFUL : 0;
        pn_graph_ack_put(node->scratch2, i, &a);
    }
    m.u.ack.acks.p = node->scratch2;
    m.u.ack.acks.n = c->n_ack;
    if (pn_gn_send(node, ci, &m) == PN_OK)
        c->n_ack = 0;
}

/* Generate queued work into the output buffer while it has room. */
static void refill(pn_graph_node *node, uint64_t now, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    if (c->closing || c->state != CS_CONNECTED)
        return;
    if (c->n_ack >= PN_GRAPH_ACK_BATCH || (c->n_ack > 0 && now >= c->ack_due))
        pn_gn_flush_acks(node, ci);
    for (;;) {
        uint32_t idx;
        pn_graph_db_entry *e;
        if (c->qlen == 0 && c->spilled)
            unspill(node, ci);
        if (c->qlen == 0)
            break;
        idx = c->q[c->qhead];
        e = &node->db.e[idx];
        /* FLOODs leave a quarter of the buffer to control messages, so that an
         * ADVERTISE, REQUEST or SOLICIT_HASH always has room for some entries (GE-13). */
        if ((e->queued & (1u << ci)) &&
            pn_gn_out_free(node, ci) + c->out_off < e->len + 64 + node->cfg.conn_out_bytes / 4)
            break;
        c->qhead = c->qhead + 1 == c->qcap ? 0 : c->qhead + 1;
        c->qlen--;
        if (!(e->queued & (1u << ci)))
            continue; /* purged since it was queued */
        e->queued = (uint16_t)(e->queued & ~(1u << ci));
        if (pn_gn_send_flood(node, ci, idx) != PN_OK) {
            pn_gn_queue(node, ci, idx);
            break;
        }
    }
    if (c->qlen == 0 && !c->spilled)
        pn_gn_sync_idle(node, now, ci);
}

int pn_graph_node_poll_conn(pn_graph_node *node, uint64_t now, int ci, uint8_t *buf, size_t cap)
{
    pn_graph_conn *c;
    size_t n;
    if (ci < 0 || ci >= PN_GRAPH_MAX_CONNS)
        return PN_ERR_ARG;
    c = node->cptr[ci];
    if (c->state == CS_FREE)
        return 0;
    if (c->out_len - c->out_off < cap)
        refill(node, now, ci);
    n = c->out_len - c->out_off;
    if (n > cap)
        n = cap;
    if (n > 0x7fffffffu)
        n = 0x7fffffffu;
    memcpy(buf, c->out + c->out_off, n);
    c->out_off += n;
    if (c->out_off == c->out_len)
        c->out_off = c->out_len = 0;
    return (int)n;
}

int pn_graph_node_poll_output(pn_graph_node *node, uint64_t now, int *conn_out, uint8_t *buf,
                              size_t cap)
{
    int k;
    for (k = 0; k < PN_GRAPH_MAX_CONNS; k++) {
        int ci = (int)((node->rr + (uint32_t)k) % PN_GRAPH_MAX_CONNS);
        int n = pn_graph_node_poll_conn(node, now, ci, buf, cap);
        if (n > 0) {
            node->rr = (uint32_t)ci + 1;
            *conn_out = ci;
            return n;
        }
    }
    return 0;
}

/* MS-PPGRH 3.1.4.12 / 3.1.7.25: leaving the graph sends DISCONNECT (with referrals to our other
 * neighbours) on every link, then closes it. */
int pn_graph_node_leave(pn_graph_node *node, uint64_t now)
{
    int i, n = 0;
    pn_gn_internal_leave(node, now); /* tombstones of our internal records first */
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        pn_graph_conn *c = node->cptr[i];
        pn_graph_msg m;
        uint8_t raw[PN_GRAPH_REFERRALS_SENT * PN_GRAPH_IN6_SIZE];
        if (c->state == CS_FREE || c->closing)
            continue;
        if (c->state == CS_CONNECTED) {
            memset(&m, 0, sizeof m);
            m.type = PN_GRAPH_DISCONNECT;
            m.u.refuse.code = PN_GRAPH_DISCONNECT_LEAVING;
            m.u.refuse.addrs.p = raw;
            m.u.refuse.addrs.n = c->direct ? 0 : build_referrals(node, i, raw);
            m.u.refuse.addrs.off = PN_GRAPH_OFF_END;
            (void)pn_gn_send(node, i, &m);
        }
        c->qlen = 0; /* nothing more after the DISCONNECT */
        c->spilled = 0;
        pn_gn_close(node, i, 1);
        n++;
    }
    node->leaving = 1;
    return n;
}

/* ---- timers ---------------------------------------------------------------------------- */
uint64_t pn_graph_node_next_deadline(const pn_graph_node *node)
{
    uint64_t d = node->maint_at < node->expire_at ? node->maint_at : node->expire_at, di;
    int i;
    if (node->refresh_at < d)
        d = node->refresh_at;
    if (node->nbr_retry_at < d)
        d = node->nbr_retry_at;
    di = pn_gn_internal_deadline(node);
    if (di < d)
        d = di;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        const pn_graph_conn *c = node->cptr[i];
        if (c->state != CS_FREE && !c->closing && c->deadline < d)
            d = c->deadline;
        if (c->state == CS_CONNECTED && !c->closing && c->n_ack > 0 && c->ack_due < d)
            d = c->ack_due;
    }
    return d;
}

static void expired_cb(void *ctx, const pn_graph_db *db, uint32_t i)
{
    pn_graph_node *node = (pn_graph_node *)ctx;
    node->ctr.records_expired++;
    pn_gn_internal_changed(node, &db->e[i].type);
    pn_gn_event(node, PN_GRAPH_EV_RECORD_EXPIRED, -1, &db->e[i].id, &db->e[i].type);
}

void pn_graph_node_tick(pn_graph_node *node, uint64_t now)
{
    int i;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        pn_graph_conn *c = node->cptr[i];
        /* MS-PPGRH 3.1.6.1 / 3.1.6.2: authentication and connect timers close the connection;
         * so does the message timer of a stalled message (GE-47). */
        if (c->state != CS_FREE && !c->closing && now >= c->deadline) {
            node->ctr.closed_timeout++;
            pn_gn_close(node, i, 0);
        }
        if (c->state == CS_CONNECTED && !c->closing && c->n_ack > 0 && now >= c->ack_due) {
            pn_gn_flush_acks(node, i);
            if (c->n_ack > 0)
                c->ack_due = now + ACK_DELAY_MS; /* output full: retry later */
        }
    }
    if (now >= node->expire_at) {
        /* MS-PPGRH 3.1.6.7 Record Expiration Timer.  With Defer Expiration it runs only
         * while the node has a neighbour (2.2.3.1 D flag; 3.1.4.1 and 3.1.4.2 start it
         * only without the flag, 3.1.5.2.1/3.1.5.2.2 when a link comes up; GE-55). */
        if (!node->in.defer_expiration || pn_graph_node_neighbours(node) > 0)
            pn_graph_db_expire(&node->db, pn_graph_node_peer_time(node, now), expired_cb, node);
        node->expire_at = now + EXPIRE_MS;
        (void)pn_graph_node_revalidate(node, now); /* retry or drop deferred records */
    }
    if (now >= node->refresh_at)
        pn_gn_autorefresh(node, now); /* MS-PPGRH 3.1.6.8 */
    if (now >= node->maint_at) {
        pn_gn_internal_maintenance(node, now); /* 3.1.7.16 steps 1-3 and 5 */
        pn_gn_maintenance(node, now, 1);
        node->maint_at = now + (pn_graph_node_neighbours(node) > 0 ? MAINT_MS : MAINT_IDLE_MS);
    }
    if (now >= node->nbr_retry_at) {
        node->nbr_retry_at = UINT64_MAX;
        pn_gn_maintenance(node, now, 2); /* GE-60: still below Minimum Neighbours */
    }
    pn_gn_internal_tick(node, now);
}
