/* The PNRP node engine (MS-PNRP section 3), sans-I/O.
 *
 * Every table is bounded: the Pending List, the Outstanding Resolves Table, the Pending
 * Route Entry Add List and the conversation tables live in the node struct, the Route
 * Entry Cache and the output queue in caller memory.  A full table drops the work and
 * counts it.  Messages waiting for an answer are kept as the state needed to encode
 * them again (a retransmission re-encodes), not as bytes. */
#include "peernet/graph_wire.h"
#include "peernet/hash.h"
#include "peernet/pnrp.h"
#include "pnrp/pnrp_int.h"
#include "pnrp_guard_int.h"
#include "wire/pn_mem.h"

enum { K_NONE = 0, K_RESOLVE, K_ADD, K_CONV, K_FLOOD, K_REVOKE };
enum { OUT_HDR = 20 }; /* length (2), address (16), port (2) */
/* What this node can send in one AUTHORITY_BUFFER: what it can receive (PE-54). */
enum {
    AB_MAX = PN_PNRP_REASSEMBLY_BYTES > 2 * PN_PNRP_FRAGMENT_LEN ? PN_PNRP_REASSEMBLY_BYTES
                                                                 : 2 * PN_PNRP_FRAGMENT_LEN
};
enum { LOCAL_USED = 1, LOCAL_REVOKING = 2 };
enum { PN_PNRP_CACHE_MIN = 10 }; /* 3.2.1.1: at least ten route entries */

static void announce_new(pn_pnrp_node *n, uint64_t now);
static void register_walk(pn_pnrp_node *n, uint64_t now, const pn_pnrp_local *l);
static void rnd_fill(pn_pnrp_node *n, uint8_t *out, size_t len);
static void forward_revoke(pn_pnrp_node *n, const pn_pnrp_endpoint *from, const pn_pnrp_msg *m,
                           const pn_pnrp_id *id);

/* Decision PE-16: a node that still knows no one after a failed or empty
 * synchronisation tries again (the next seed) in two seconds, not at the next
 * maintenance period. */
static void soon_retry(pn_pnrp_node *n, uint64_t now)
{
    if (n->cache.count == 0 && n->next_maintenance > now + 2000)
        n->next_maintenance = now + 2000;
}

/* ---- small helpers ------------------------------------------------------------------- */
static void rnd(pn_pnrp_node *n, uint8_t *out, size_t len)
{
    /* Small requests (message IDs, choices) come from a pool refilled 64 bytes at a
     * time: one DRBG generate costs several SHA-256 compressions. */
    if (len <= sizeof n->rpool) {
        if (n->rpool_left < len) {
            rnd_fill(n, n->rpool, sizeof n->rpool);
            n->rpool_left = sizeof n->rpool;
        }
        memcpy(out, n->rpool + sizeof n->rpool - n->rpool_left, len);
        memset(n->rpool + sizeof n->rpool - n->rpool_left, 0, len);
        n->rpool_left = (uint8_t)(n->rpool_left - len);
        return;
    }
    rnd_fill(n, out, len);
}

static void rnd_fill(pn_pnrp_node *n, uint8_t *out, size_t len)
{
    if (pn_drbg_generate(&n->drbg, out, len, NULL, 0) != PN_OK) {
        /* Reseed from the state itself: the engine has no entropy source of its own. */
        uint8_t s[32];
        memcpy(s, n->drbg.v, 32);
        pn_drbg_reseed(&n->drbg, s, sizeof s, NULL, 0);
        pn_drbg_generate(&n->drbg, out, len, NULL, 0);
    }
}

static uint32_t rnd32(pn_pnrp_node *n)
{
    uint8_t b[4];
    rnd(n, b, 4);
    return pn_get_u32be(b);
}

static uint32_t new_msg_id(pn_pnrp_node *n)
{
    uint32_t id;
    do
        id = rnd32(n);
    while (id == 0);
    return id;
}

static int ep_eq(const pn_pnrp_endpoint *a, const pn_pnrp_endpoint *b)
{
    return a->port == b->port && memcmp(a->addr, b->addr, 16) == 0;
}

static int id_zero(const pn_pnrp_id *id)
{
    size_t i;
    for (i = 0; i < PN_PNRP_ID_LEN; i++)
        if (id->b[i])
            return 0;
    return 1;
}

static uint64_t now_filetime(const pn_pnrp_node *n, uint64_t now)
{
    return pn_pnrp_filetime((int64_t)now + n->cfg.wall_offset_ms);
}

static int is_local_ep(const pn_pnrp_node *n, const pn_pnrp_endpoint *ep)
{
    size_t i;
    for (i = 0; i < n->cfg.local_count; i++)
        if (ep_eq(&n->cfg.local[i], ep))
            return 1;
    return 0;
}

static pn_pnrp_local *find_local(pn_pnrp_node *n, const pn_pnrp_id *id)
{
    size_t i;
    for (i = 0; i < PN_PNRP_LOCAL_MAX; i++)
        if (n->locals[i].used == LOCAL_USED && pn_pnrp_id_cmp(&n->locals[i].id, id) == 0)
            return &n->locals[i];
    return NULL;
}

static void refresh_locals(pn_pnrp_node *n)
{
    size_t i;
    n->n_local_ids = 0;
    for (i = 0; i < PN_PNRP_LOCAL_MAX; i++)
        if (n->locals[i].used == LOCAL_USED)
            n->local_ids[n->n_local_ids++] = n->locals[i].id;
    /* Without registrations there are no leaf sets; a random ID anchors the levels. */
    n->cache.no_leaves = n->n_local_ids == 0;
    if (n->n_local_ids == 0) {
        n->local_ids[0] = n->ref_id;
        pn_pnrp_cache_set_local(&n->cache, n->local_ids, 1);
    } else {
        pn_pnrp_cache_set_local(&n->cache, n->local_ids, n->n_local_ids);
    }
}

/* ab: the validated AUTHORITY_BUFFER of a RESOLVED event (its CPA and extended
 * payload reach the application), NULL otherwise. */
static void emit_event(pn_pnrp_node *n, int type, int handle, void *user, unsigned hops,
                       const pn_pnrp_id *id, const pn_pnrp_authority_buffer *ab)
{
    pn_pnrp_event ev;
    if (n->cfg.on_event == NULL)
        return;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.handle = handle;
    ev.user = user;
    ev.hops = hops;
    if (id != NULL)
        ev.id = *id;
    ev.cpa = ab != NULL ? &ab->cpa : NULL;
    ev.ext_payload = PN_PNRP_DELEGATION && ab != NULL && ab->has_ext_payload ? &ab->ext_payload
                                                                             : NULL; /* PORT-4 */
    n->cfg.on_event(n->cfg.event_ctx, &ev);
}

/* ---- output queue -------------------------------------------------------------------- */
static void queue_bytes(pn_pnrp_node *n, const pn_pnrp_endpoint *to, const uint8_t *buf, size_t len)
{
    size_t need = OUT_HDR + len;
    uint8_t *p;
    if (n->out_head + n->out_len + need > n->out_cap && n->out_head > 0) {
        memmove(n->out, n->out + n->out_head, n->out_len);
        n->out_head = 0;
    }
    if (n->out_len + need > n->out_cap) {
        n->ctr.drop_out_full++;
        return;
    }
    p = n->out + n->out_head + n->out_len;
    pn_put_u16be(p, (uint16_t)len);
    memcpy(p + 2, to->addr, 16);
    pn_put_u16be(p + 18, to->port);
    memcpy(p + OUT_HDR, buf, len);
    n->out_len += need;
    n->ctr.tx++;
    n->ctr.tx_bytes += (uint32_t)len;
}

static int send_msg(pn_pnrp_node *n, const pn_pnrp_endpoint *to, const pn_pnrp_msg *m)
{
    uint8_t buf[PN_UDP_MAX];
    int len = pn_pnrp_encode(m, buf, sizeof buf, NULL);
    if (len > 0)
        queue_bytes(n, to, buf, (size_t)len);
    return len;
}

/* Traffic of application resolves, for the figures per resolve. */
static void count_resolve(pn_pnrp_node *n, const pn_pnrp_pending *p, int len)
{
    if (p->kind == K_RESOLVE && n->resolves[p->ctx].reason == PN_PNRP_REASON_APP_REQUEST &&
        len > 0) {
        n->ctr.resolve_msgs++;
        n->ctr.resolve_bytes += (uint32_t)len;
    }
}

int pn_pnrp_node_poll_output(pn_pnrp_node *n, uint8_t *buf, size_t cap, pn_pnrp_endpoint *to)
{
    const uint8_t *p;
    size_t len;
    if (n->out_len == 0)
        return 0;
    p = n->out + n->out_head;
    len = pn_get_u16be(p);
    if (len > cap)
        return PN_ERR_BUFSIZE;
    memcpy(to->addr, p + 2, 16);
    to->port = pn_get_u16be(p + 18);
    memcpy(buf, p + OUT_HDR, len);
    n->out_head += OUT_HDR + len;
    n->out_len -= OUT_HDR + len;
    if (n->out_len == 0)
        n->out_head = 0;
    return (int)len;
}

/* ---- route entries ------------------------------------------------------------------- */
static void local_route(const pn_pnrp_node *n, const pn_pnrp_id *id, pn_pnrp_route_entry *re)
{
    size_t i;
    memset(re, 0, sizeof *re);
    re->id = *id;
    re->port = n->cfg.local[0].port;
    for (i = 0; i < n->cfg.local_count && i < PN_PNRP_ROUTE_ADDRS_MAX; i++)
        memcpy(re->addrs[i], n->cfg.local[i].addr, 16);
    re->addr_count = (uint8_t)i;
}

static void hop_route(const pn_pnrp_hop *h, pn_pnrp_route_entry *re)
{
    memset(re, 0, sizeof *re);
    re->id = h->id;
    re->port = h->ep.port;
    re->addr_count = 1;
    memcpy(re->addrs[0], h->ep.addr, 16);
}

static void hop_from_route(pn_pnrp_hop *h, const pn_pnrp_route_entry *re)
{
    memset(h, 0, sizeof *h);
    h->id = re->id;
    h->ep.port = re->port;
    memcpy(h->ep.addr, re->addrs[0], 16); /* decision PE-3: the first address */
    h->valid = 1;
}

static void hop_from_entry(pn_pnrp_hop *h, const pn_pnrp_cache_entry *e)
{
    memset(h, 0, sizeof *h);
    h->id = e->id;
    h->ep.port = e->port;
    memcpy(h->ep.addr, e->addr, 16);
    h->valid = 1;
}

/* ---- Pending List (3.1.1, 3.1.6.3) ------------------------------------------------- */
/* n->due_lo bounds the pending deadlines and conversation expiries from below: every
 * time set lowers it, and a time that equalled it going away (or rising) leaves it a
 * bound only (due_exact 0) until tick, which then scans, measures it again.  The
 * zeroed state after init is such a bound. */
static void due_set(pn_pnrp_node *n, uint64_t t)
{
    if (t < n->due_lo)
        n->due_lo = t;
}

static void due_gone(pn_pnrp_node *n, uint64_t t)
{
    if (t == n->due_lo)
        n->due_exact = 0;
}

static pn_pnrp_pending *pending_new(pn_pnrp_node *n, uint64_t now, uint8_t type, uint8_t kind,
                                    uint16_t ctx, const pn_pnrp_endpoint *to)
{
    size_t i;
    for (i = 0; i < PN_PNRP_PENDING_MAX; i++) {
        pn_pnrp_pending *p = &n->pending[i];
        if (p->used)
            continue;
        memset(p, 0, sizeof *p);
        p->used = 1;
        p->type = type;
        p->kind = kind;
        p->ctx = ctx;
        p->to = *to;
        p->msg_id = new_msg_id(n);
        p->retries = PN_PNRP_RETRY_COUNT;
        p->deadline = now + PN_PNRP_RETRANSMIT_MS;
        due_set(n, p->deadline);
        return p;
    }
    n->ctr.drop_table_full++;
    return NULL;
}

static pn_pnrp_pending *pending_find(pn_pnrp_node *n, uint32_t msg_id, const pn_pnrp_endpoint *from)
{
    size_t i;
    for (i = 0; i < PN_PNRP_PENDING_MAX; i++) {
        pn_pnrp_pending *p = &n->pending[i];
        /* Decision PE-4: the answer must also come from the address the message went
         * to, so that a third party cannot complete it by guessing the Message ID. */
        if (p->used && p->msg_id == msg_id && ep_eq(&p->to, from))
            return p;
    }
    return NULL;
}

static void pending_free(pn_pnrp_node *n, pn_pnrp_pending *p)
{
    uint8_t kind = p->kind;
    uint16_t ctx = p->ctx;
    size_t i;
    due_gone(n, p->deadline);
    memset(p, 0, sizeof *p);
    if (kind == K_REVOKE && ctx < PN_PNRP_LOCAL_MAX && n->locals[ctx].used == LOCAL_REVOKING) {
        for (i = 0; i < PN_PNRP_PENDING_MAX; i++)
            if (n->pending[i].used && n->pending[i].kind == K_REVOKE && n->pending[i].ctx == ctx)
                return;
        memset(&n->locals[ctx], 0, sizeof n->locals[ctx]);
    }
}

/* ---- CPA of a local registration (3.2.5.7) ------------------------------------------ */
static int local_cpa(pn_pnrp_node *n, uint64_t now, const pn_pnrp_local *l, const uint8_t *nonce,
                     int revoke, uint8_t *buf, size_t cap)
{
    pn_pnrp_cpa_params p;
    size_t i;
    int r;
#if PN_PNRP_STACK_WORK
    union {
        uint64_t align_;
        uint8_t b[PN_RSA_WORK_BYTES(1024)];
    } stack_work;
    uint8_t *work = stack_work.b;
    const size_t work_len = sizeof stack_work.b;
#else
    uint8_t *work = n->work.rsa; /* decision PORT-3 */
    const size_t work_len = sizeof n->work.rsa;
#endif
    if (!PN_FEATURE_PNRP_REGISTER) /* resolve-only build: no signing code */
        return PN_ERR_UNSUPPORTED;
    memset(&p, 0, sizeof p);
    p.identity = l->identity;
    p.secure = l->secure;
    p.revoke = (uint8_t)revoke;
    memcpy(p.classifier_hash, l->classifier_hash, 20);
    memcpy(p.service_loc, l->id.b + 16, 16);
    if (nonce != NULL)
        memcpy(p.nonce, nonce, 16);
    p.not_after = now_filetime(n, now) + (uint64_t)n->cfg.cpa_lifetime_s * 10000000u;
    for (i = 0; i < n->cfg.local_count && i < 4; i++)
        p.addrs[i] = n->cfg.local[i];
    p.addr_count = revoke ? 0 : (uint8_t)i;
    p.app_count = revoke ? 0 : l->app_count;
    p.apps = l->apps;
    p.has_ext_payload = l->reg != NULL && l->reg->xp_data != NULL;
#if PN_FEATURE_PNRP_REGISTER
    {
        /* Decision PE-62: a CPA without a nonce (an admission INQUIRE carries none) is
         * the same bytes for a while, so its signature is remembered and used again
         * while at least half of its lifetime remains. */
        static const uint8_t zero[16] = {0};
        int memo_ok = !revoke && memcmp(p.nonce, zero, 16) == 0;
        uint32_t hits = n->sig_memo.hits;
        r = pn_pnrp_cpa_build_memo(&p, buf, cap, pn_drbg_rng, &n->drbg, work, work_len,
                                   memo_ok ? &n->sig_memo : NULL,
                                   p.not_after - (uint64_t)(n->cfg.cpa_lifetime_s / 2) * 10000000u);
        if (r > 0 && n->sig_memo.hits == hits)
            n->ctr.signs++;
    }
#else
    r = pn_pnrp_cpa_build(&p, buf, cap, pn_drbg_rng, &n->drbg, work, work_len);
#endif
    memset(work, 0, work_len);
    return r;
}

/* ---- AUTHORITY (3.2.5.10) ------------------------------------------------------------ */
static void send_authority(pn_pnrp_node *n, const pn_pnrp_endpoint *to, uint32_t acked_id,
                           const pn_pnrp_authority_buffer *ab)
{
#if PN_PNRP_STACK_WORK
    uint8_t abuf[AB_MAX];
    const size_t abuf_len = sizeof abuf;
#else
    uint8_t *abuf = n->work.ab; /* decision PORT-3 */
    const size_t abuf_len = sizeof n->work.ab;
#endif
    uint8_t msg[PN_UDP_MAX];
    size_t k, count;
    uint32_t id = new_msg_id(n);
    int len = pn_pnrp_authority_buffer_encode(ab, abuf, abuf_len, NULL);
    if (len <= 0)
        return;
    count = pn_pnrp_fragment_count((size_t)len);
    for (k = 0; k < count; k++) {
        int m = pn_pnrp_fragment_encode(id, acked_id, abuf, (size_t)len, k, msg, sizeof msg, NULL);
        if (m > 0)
            queue_bytes(n, to, msg, (size_t)m);
    }
}

/* ---- message emitters ---------------------------------------------------------------- */
static void emit_lookup(pn_pnrp_node *n, const pn_pnrp_resolve *r, const pn_pnrp_pending *p)
{
    pn_pnrp_msg m;
    pn_pnrp_lookup *lk = &m.u.lookup;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_LOOKUP;
    m.msg_id = p->msg_id;
    /* 3.1.4.4.2 step 9: A when the cache is small; and when looking for further matches
     * next to one found (decision PE-20). */
    lk->flag_a = n->cache.count < 8 || r->n_results > 0;
    lk->precision = r->precision;
    lk->criteria = r->criteria;
    lk->reason = r->reason;
    lk->target = r->target;
    lk->validate = p->id;
    if (r->has_initial) { /* decision PE-6: the route entry only for registrations */
        hop_route(&r->initial, &lk->route);
        lk->has_route = 1;
        if (find_local(n, &r->initial.id) != NULL)
            local_route(n, &r->initial.id, &lk->route);
    }
    lk->path.count = r->n_path;
    memcpy(lk->path.eps, r->path, r->n_path * sizeof r->path[0]);
    count_resolve(n, p, send_msg(n, &p->to, &m));
}

static void emit_inquire(pn_pnrp_node *n, const pn_pnrp_pending *p, const uint8_t *nonce)
{
    pn_pnrp_msg m;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_INQUIRE;
    m.msg_id = p->msg_id;
    m.u.inquire.flag_a = (p->flags & 1) != 0;
    m.u.inquire.flag_c = (p->flags & 2) != 0;
    m.u.inquire.flag_x = (p->flags & 4) != 0;
    m.u.inquire.validate = p->id;
    if (nonce != NULL) {
        m.u.inquire.has_nonce = 1;
        memcpy(m.u.inquire.nonce, nonce, 16);
    }
    count_resolve(n, p, send_msg(n, &p->to, &m));
}

static void emit_flood(pn_pnrp_node *n, uint64_t now, const pn_pnrp_pending *p)
{
    pn_pnrp_msg m;
    pn_pnrp_flood *f = &m.u.flood;
    uint8_t cpa[700];
    if (!PN_FEATURE_PNRP_REGISTER) /* only a node with registrations floods */
        return;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_FLOOD;
    m.msg_id = p->msg_id;
    f->flag_d = (p->flags & 1) != 0;
    f->validate = p->id;
    if (p->kind == K_REVOKE) {
        const pn_pnrp_local *l = &n->locals[p->ctx];
        pn_pnrp_decode_error de;
        int len = local_cpa(n, now, l, NULL, 1, cpa, sizeof cpa);
        if (len <= 0 || pn_pnrp_cpa_decode(cpa, (size_t)len, 0, &f->revoke, &de) != PN_OK)
            return;
        f->has_revoke = 1;
    } else {
        pn_pnrp_hop h;
        h.id = p->route_id;
        h.ep = p->route_ep;
        hop_route(&h, &f->route);
        if (find_local(n, &p->route_id) != NULL)
            local_route(n, &p->route_id, &f->route);
        f->has_route = 1;
    }
    f->flooded.count = p->n_flooded;
    memcpy(f->flooded.eps, p->flooded, p->n_flooded * sizeof p->flooded[0]);
    send_msg(n, &p->to, &m);
}

static void emit_conv(pn_pnrp_node *n, const pn_pnrp_pending *p)
{
    const pn_pnrp_conv_out *c = &n->conv_out[p->ctx];
    pn_pnrp_msg m;
    memset(&m, 0, sizeof m);
    m.msg_id = p->msg_id;
    if (p->type == PN_PNRP_SOLICIT) {
        m.type = PN_PNRP_SOLICIT;
        m.u.solicit.has_controls = 1;
        m.u.solicit.solicit_type = PN_PNRP_SOLICIT_ANY;
        pn_sha1(c->nonce, 16, m.u.solicit.hashed_nonce);
        if (n->n_local_ids > 0) {
            local_route(n, &n->local_ids[0], &m.u.solicit.route);
            m.u.solicit.has_route = 1;
        }
    } else {
        m.type = PN_PNRP_REQUEST;
        memcpy(m.u.request.nonce, c->nonce, 16);
        m.u.request.ids.count = c->n_ids;
        memcpy(m.u.request.ids.ids, c->ids, c->n_ids * sizeof c->ids[0]);
    }
    send_msg(n, &p->to, &m);
}

static void emit_pending(pn_pnrp_node *n, uint64_t now, const pn_pnrp_pending *p)
{
    switch (p->type) {
    case PN_PNRP_LOOKUP:
        emit_lookup(n, &n->resolves[p->ctx], p);
        break;
    case PN_PNRP_INQUIRE:
        emit_inquire(n, p, p->kind == K_RESOLVE ? n->resolves[p->ctx].nonce : NULL);
        break;
    case PN_PNRP_FLOOD:
        emit_flood(n, now, p);
        break;
    default:
        emit_conv(n, p);
        break;
    }
}

static void send_ack(pn_pnrp_node *n, const pn_pnrp_endpoint *to, uint32_t acked, int flag_n)
{
    pn_pnrp_msg m;
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_ACK;
    m.msg_id = new_msg_id(n);
    m.u.ack.acked_id = acked;
    if (flag_n) {
        m.u.ack.has_flags = 1;
        m.u.ack.flag_n = 1;
    }
    send_msg(n, to, &m);
}

/* ---- admission: the return-routability check (3.1.5.11, 3.2.5.1) -------------------- */
/* Decision PE-31: the admission whose INQUIRE has waited longest (fewest retries left,
 * then earliest deadline) is the one a newcomer may replace; NULL when none may. */
static pn_pnrp_pending *add_victim(pn_pnrp_node *n)
{
    pn_pnrp_pending *v = NULL;
    size_t i;
    for (i = 0; i < PN_PNRP_PENDING_MAX; i++) {
        pn_pnrp_pending *p = &n->pending[i];
        /* Only an INQUIRE already sent again (unanswered for a whole retransmission
         * interval) gives way (decision PE-72): a fresh one is still within its round
         * trip, and replacing those would let a steady stream of newcomers starve every
         * admission. */
        if (!p->used || p->kind != K_ADD || p->ctx >= PN_PNRP_ADDS_MAX ||
            p->retries >= PN_PNRP_RETRY_COUNT)
            continue;
        if (v == NULL || p->retries < v->retries ||
            (p->retries == v->retries && p->deadline < v->deadline))
            v = p;
    }
    return v;
}

/* revalidate: the entry is in the cache already (its CPA expired, PE-44); it stays
 * there while the INQUIRE is out and leaves if the answer does not come or fails. */
static void admit(pn_pnrp_node *n, uint64_t now, const pn_pnrp_route_entry *re,
                  const pn_pnrp_endpoint *src, const pn_pnrp_endpoint_list *flooded, int revalidate)
{
    pn_pnrp_hop h;
    pn_pnrp_add *a = NULL;
    pn_pnrp_pending *p, *victim = NULL;
    size_t i;
    /* 3.1.5.11: a port below 1024 is ignored. */
    if (re->port < 1024 || re->addr_count == 0) {
        n->ctr.drop_no_route++;
        return;
    }
    /* 1.6: a cloud's nodes all have addresses of its scope (decision PE-56). */
    if (n->cfg.scope != 0 && pn_pnrp_addr_scope(re->addrs[0]) != n->cfg.scope) {
        n->ctr.drop_no_route++; /* unusable in this cloud */
        return;
    }
    hop_from_route(&h, re);
    if (is_local_ep(n, &h.ep) || find_local(n, &h.id) != NULL ||
        (!revalidate && pn_pnrp_cache_find(&n->cache, &h.id) != NULL))
        return;
    for (i = 0; i < PN_PNRP_ADDS_MAX; i++)
        if (n->adds[i].used && pn_pnrp_id_cmp(&n->adds[i].id, &h.id) == 0)
            return;
    for (i = 0; i < PN_PNRP_ADDS_MAX; i++)
        if (!n->adds[i].used) {
            a = &n->adds[i];
            break;
        }
    /* Decisions PE-31, PE-32: one source holds a bounded share of the table and pays
     * for the INQUIRE it causes; in a full table the check that has waited longest
     * gives way (an answer comes within a round trip; what waits is unreachable). */
    if (src != NULL && !pn_pnrp_guard_adds_ok(n->adds, PN_PNRP_ADDS_MAX, src)) {
        n->ctr.drop_quota++;
        return;
    }
    /* A full table refuses before the source is charged: a route entry that starts no
     * INQUIRE costs its source nothing (decision PE-75). */
    if (a == NULL && (victim = add_victim(n)) == NULL) {
        n->ctr.drop_table_full++;
        return;
    }
    if (src != NULL &&
        pn_pnrp_guard_charge(&n->guard, now, src->addr, PN_PNRP_GUARD_WORK) != PN_PNRP_GUARD_OK) {
        n->ctr.drop_rate_work++;
        return;
    }
    if (a == NULL) { /* the victim's check gives way: counted as a table-full drop */
        a = &n->adds[victim->ctx];
        n->ctr.drop_table_full++;
        pending_free(n, victim);
    }
    memset(a, 0, sizeof *a);
    p = pending_new(n, now, PN_PNRP_INQUIRE, K_ADD, (uint16_t)(a - n->adds), &h.ep);
    if (p == NULL)
        return;
    a->used = 1;
    a->revalidate = (uint8_t)(revalidate != 0);
    a->id = h.id;
    a->ep = h.ep;
    if (src != NULL)
        a->src = *src;
    if (flooded != NULL) {
        a->from_flood = 1;
        for (i = 0; i < flooded->count && a->n_flooded < PN_PNRP_FLOODED_KEEP; i++)
            a->flooded[a->n_flooded++] = flooded->eps[i];
    }
    /* 3.2.5.1: an ID inside a leaf set needs its CPA (and certificate chain). */
    a->need_cpa = (uint8_t)(n->n_local_ids > 0 && pn_pnrp_cache_in_leaf_range(&n->cache, &h.id));
    a->inquire_id = p->msg_id;
    p->id = h.id;
    p->flags = a->need_cpa ? 3 : 0;
    n->ctr.adds_started++;
    /* Decision PE-62: no nonce (2.2.2.5 makes it optional; 3.1.5.11 asks for none). */
    emit_inquire(n, p, NULL);
}

static void submit_route(pn_pnrp_node *n, uint64_t now, const pn_pnrp_route_entry *re,
                         const pn_pnrp_endpoint *src, const pn_pnrp_endpoint_list *flooded)
{
    admit(n, now, re, src, flooded, 0);
}

/* A revalidation that failed (no answer, not registered, bad CPA): the entry goes. */
static void add_failed(pn_pnrp_node *n, const pn_pnrp_add *a)
{
    if (a->revalidate && pn_pnrp_cache_remove(&n->cache, &a->id))
        n->ctr.removed++;
}

static void flood_route(pn_pnrp_node *n, uint64_t now, const pn_pnrp_cache_entry *to,
                        const pn_pnrp_id *route_id, const pn_pnrp_endpoint *route_ep,
                        const pn_pnrp_endpoint *flooded, size_t n_flooded)
{
    pn_pnrp_endpoint dst;
    pn_pnrp_pending *p;
    size_t i;
    if (!PN_FEATURE_PNRP_REGISTER) /* only a node with registrations floods */
        return;
    memcpy(dst.addr, to->addr, 16);
    dst.port = to->port;
    p = pending_new(n, now, PN_PNRP_FLOOD, K_FLOOD, 0, &dst);
    if (p == NULL)
        return;
    /* Validate = the recipient's ID: its ACK says whether it is still registered. */
    p->id = to->id;
    p->route_id = *route_id;
    p->route_ep = *route_ep;
    for (i = 0; i < n_flooded && p->n_flooded < PN_PNRP_FLOODED_KEEP; i++)
        p->flooded[p->n_flooded++] = flooded[i];
    emit_flood(n, now, p);
}

/* 3.2.5.11: a new leaf-set member is flooded to its nearest cached neighbours. */
static void leaf_flood(pn_pnrp_node *n, uint64_t now, const pn_pnrp_add *a)
{
    const pn_pnrp_cache_entry *g, *l;
    pn_pnrp_endpoint list[PN_PNRP_FLOODED_KEEP + 2];
    size_t k = 0, i;
    if (!PN_FEATURE_PNRP_REGISTER) /* only a node with registrations floods */
        return;
    g = pn_pnrp_cache_neighbour(&n->cache, &a->id, 1, 0, a->flooded, a->n_flooded);
    l = pn_pnrp_cache_neighbour(&n->cache, &a->id, -1, 0, a->flooded, a->n_flooded);
    if (g != NULL) {
        memcpy(list[k].addr, g->addr, 16);
        list[k++].port = g->port;
    }
    if (l != NULL && l != g) {
        memcpy(list[k].addr, l->addr, 16);
        list[k++].port = l->port;
    }
    for (i = 0; i < a->n_flooded && k < PN_PNRP_FLOODED_KEEP; i++)
        list[k++] = a->flooded[i];
    if (g != NULL)
        flood_route(n, now, g, &a->id, &a->ep, list, k);
    if (l != NULL && l != g)
        flood_route(n, now, l, &a->id, &a->ep, list, k);
    /* From a FLOOD whose sender is not the entry itself: tell the new entry's node about
     * us (decision PE-71: 4.4 says the nodes that took X into a leaf set send their own
     * route entry to X; the sender of the FLOOD knows us already). */
    if (a->from_flood && !ep_eq(&a->src, &a->ep) && n->n_local_ids > 0) {
        pn_pnrp_cache_entry back;
        const pn_pnrp_id *mine = &n->local_ids[0]; /* the local ID whose leaf set took it */
        for (i = 1; i < n->n_local_ids; i++)
            if (pn_pnrp_id_closer(&a->id, &n->local_ids[i], mine) < 0)
                mine = &n->local_ids[i];
        memset(&back, 0, sizeof back);
        memcpy(back.addr, a->ep.addr, 16);
        back.port = a->ep.port;
        back.id = a->id;
        flood_route(n, now, &back, mine, &n->cfg.local[0], NULL, 0);
    }
}

/* The node clock in the units cache expiries use (1024 ms: a shift, no division). */
static uint32_t clock_units(uint64_t now)
{
    return (uint32_t)(now >> 10);
}

/* Decision PE-44: an entry admitted on the strength of a CPA is kept only until that
 * CPA's Not After (3.1.5.7 makes it invalid afterwards); it then leaves the cache at the
 * next maintenance, so a publisher that vanished drops out of its leaf sets even when
 * no message ever finds it silent. */
static void set_expiry(pn_pnrp_node *n, uint64_t now, const pn_pnrp_id *id, uint64_t not_after)
{
    pn_pnrp_cache_entry *e = pn_pnrp_cache_find(&n->cache, id);
    uint64_t ft = now_filetime(n, now), left_ms;
    uint32_t rem, u;
    if (e == NULL)
        return;
    if (not_after <= ft) {
        e->expires = clock_units(now) ? clock_units(now) : 1;
        return;
    }
    left_ms = pn_graph_div10000(not_after - ft, &rem); /* 100 ns units to ms */
    if (left_ms > (uint64_t)0xFFFFFFFFu << 9)
        left_ms = (uint64_t)0xFFFFFFFFu << 9;
    u = clock_units(now + left_ms + 1023);
    e->expires = u ? u : 1;
}

static const uint8_t zero_nonce[16] = {0};

static void add_answer(pn_pnrp_node *n, uint64_t now, pn_pnrp_add *a,
                       const pn_pnrp_authority_buffer *ab)
{
    int r;
    if (PN_PNRP_SERVE && a->revoke_check) { /* PE-33: the node itself says whether it left */
        if (!ab->flag_n)
            n->ctr.drop_revoke_forged++;
        else if (pn_pnrp_cache_remove(&n->cache, &a->id))
            n->ctr.removed++;
        goto done;
    }
    if (ab->flag_n) { /* 3.1.5.6.1.2: not registered there */
        n->ctr.adds_refused++;
        goto done;
    }
    if (PN_FEATURE_PNRP_REGISTER && a->need_cpa) { /* set only with a local ID */
        pn_pnrp_cpa_expect e;
        size_t i;
        int addr_ok = 0;
        if (!ab->has_cpa) {
            n->ctr.drop_cpa++;
            goto done;
        }
        memset(&e, 0, sizeof e);
        e.now_filetime = now_filetime(n, now);
        e.nonce = zero_nonce; /* 3.2.5.6: no nonce in the INQUIRE, zeros in the CPA */
        e.id = &a->id;
        pn_pnrp_expect_extras(&e, ab);
        n->ctr.verifies++;
        if (pn_pnrp_count_cpa_drop(&n->ctr, pn_pnrp_cpa_validate(&ab->cpa, &e)) != PN_OK)
            goto done;
        /* The route entry's address must be one the CPA certifies. */
        for (i = 0; i < ab->cpa.addr_count; i++)
            addr_ok |= ep_eq(&ab->cpa.addrs[i], &a->ep);
        if (!addr_ok) {
            n->ctr.drop_cpa++;
            goto done;
        }
    }
    r = pn_pnrp_cache_add(&n->cache, &a->id, a->ep.addr, a->ep.port);
    if (r >= 0)
        n->ctr.adds_done++;
    if (r >= 0 && a->need_cpa)
        set_expiry(n, now, &a->id, ab->cpa.not_after);
    /* A registration made while the cache was empty is announced once someone is
     * known (decision PE-11). */
    if (r >= 0 && n->cache.count == 1)
        announce_new(n, now);
    /* Decision PE-73: when the cache reaches the ten entries of 3.2.1.1, the walks made
     * before (which could only reach the few nodes a lone or islanded node knew, not
     * the neighbourhood of the ID) no longer count: the names are announced again. */
    if (r > 0 && n->cache.count == PN_PNRP_CACHE_MIN) {
        size_t i;
        for (i = 0; i < PN_PNRP_LOCAL_MAX; i++)
            n->locals[i].announced = 0;
    }
    if (r == 2 && n->n_local_ids > 0)
        leaf_flood(n, now, a);
    memset(a, 0, sizeof *a);
    return;
done:
    add_failed(n, a);
    memset(a, 0, sizeof *a);
}

/* ---- resolving (3.1.4.4.2, 3.1.5.6.1) ---------------------------------------------- */
static int close_enough(const pn_pnrp_resolve *r, const pn_pnrp_id *id, int exhausted)
{
    switch (r->criteria) {
    case PN_PNRP_SEARCH_ANY_PEERNAME:
        return pn_pnrp_id_prefix_equal(id, &r->target, 128);
    case PN_PNRP_SEARCH_NEAREST_PEERNAME:
        return exhausted; /* decision PE-7 */
    case PN_PNRP_SEARCH_NEAREST64_PEERNAME:
        return exhausted || pn_pnrp_id_prefix_equal(id, &r->target, 192);
    case PN_PNRP_SEARCH_UPPER_BITS:
        return pn_pnrp_id_prefix_equal(id, &r->target, r->precision > 256 ? 256 : r->precision);
    default:
        return pn_pnrp_id_cmp(id, &r->target) == 0;
    }
}

/* A resolve for several matches remembers the nodes that answered (decision PE-20:
 * one match per node). */
static int already_found(const pn_pnrp_resolve *r, const pn_pnrp_endpoint *ep)
{
    size_t i;
    for (i = 0; i < r->n_results && i < PN_PNRP_RESULTS_MAX; i++)
        if (ep_eq(&r->found[i], ep))
            return 1;
    return 0;
}

static int best_wanted(const pn_pnrp_resolve *r, int exhausted)
{
    return r->cur_best.valid && close_enough(r, &r->cur_best.id, exhausted) &&
           !already_found(r, &r->cur_best.ep);
}

static void resolve_finish(pn_pnrp_node *n, pn_pnrp_resolve *r, int ok, const pn_pnrp_id *id,
                           const pn_pnrp_authority_buffer *ab)
{
    size_t i;
    int type = ok                                         ? PN_PNRP_EV_RESOLVED
               : r->reason == PN_PNRP_REASON_REGISTRATION ? PN_PNRP_EV_REGISTERED
               : r->n_results > 0                         ? PN_PNRP_EV_DONE
                                                          : PN_PNRP_EV_NOT_FOUND;
    int handle = r->handle;
    void *user = r->user;
    unsigned hops = r->useful;
    uint8_t reason = r->reason;
    pn_pnrp_id r_initial = r->initial.id;
    /* 3.2.5.11.1: a split test reports the best match it reached (PE-60). */
    pn_pnrp_hop split_best = r->cur_best.valid ? r->cur_best
                             : r->n_best > 0   ? r->best[r->n_best - 1]
                                               : r->cur_best;
    pn_pnrp_id split_target = r->target;
    /* A registration walk that reached no one is repeated at the next maintenance. */
    if (reason == PN_PNRP_REASON_REGISTRATION && hops > 0) {
        pn_pnrp_id id0 = r->initial.id;
        pn_pnrp_local *l = find_local(n, &id0);
        if (l != NULL && l->announced < 255)
            l->announced++;
    }
    for (i = 0; i < PN_PNRP_PENDING_MAX; i++)
        if (n->pending[i].used && n->pending[i].kind == K_RESOLVE &&
            n->pending[i].ctx == (uint16_t)(r - n->resolves))
            pending_free(n, &n->pending[i]);
    memset(r, 0, sizeof *r);
    if (ok)
        n->ctr.resolves_ok++;
    else if (reason == PN_PNRP_REASON_APP_REQUEST && type == PN_PNRP_EV_NOT_FOUND)
        n->ctr.resolves_failed++;
    if (reason == PN_PNRP_REASON_REGISTRATION) {
        /* The event names the registration, not the walk. */
        const pn_pnrp_local *l = find_local(n, &r_initial);
        if (l != NULL)
            emit_event(n, type, (int)(l - n->locals), NULL, hops, &r_initial, NULL);
    } else if (reason == PN_PNRP_REASON_APP_REQUEST) {
        emit_event(n, type, handle, user, hops, id, ab);
    } else if (PN_PNRP_SERVE && /* PORT-5: a client runs no split detection */
               reason == PN_PNRP_REASON_SPLIT_DETECTION && n->cfg.on_event != NULL) {
        pn_pnrp_event ev;
        memset(&ev, 0, sizeof ev);
        ev.type = PN_PNRP_EV_SPLIT_PROBE;
        ev.handle = handle;
        ev.user = user;
        ev.hops = hops;
        ev.id = split_target;
        ev.best_valid = split_best.valid;
        ev.best_id = split_best.id;
        ev.best_ep = split_best.ep;
        n->cfg.on_event(n->cfg.event_ctx, &ev);
    }
}

static void send_resolve_inquire(pn_pnrp_node *n, uint64_t now, pn_pnrp_resolve *r)
{
    pn_pnrp_pending *p = pending_new(n, now, PN_PNRP_INQUIRE, K_RESOLVE,
                                     (uint16_t)(r - n->resolves), &r->cur_best.ep);
    if (p == NULL) {
        resolve_finish(n, r, 0, NULL, NULL);
        return;
    }
    p->id = r->cur_best.id;
    /* 3.1.4.4.2 step 7: CPA, certificate chain, classifier, payload (PORT-4: the CPA) */
    p->flags = PN_PNRP_DELEGATION ? 7 : 1;
    r->inquire_tries++;
    r->state = 2;
    r->last_msg_id = p->msg_id;
    emit_inquire(n, p, r->nonce);
}

static void resolve_step(pn_pnrp_node *n, uint64_t now, pn_pnrp_resolve *r)
{
    pn_pnrp_pending *p;
    if (best_wanted(r, 0)) {
        send_resolve_inquire(n, now, r);
        return;
    }
    if (r->n_next == 0 || r->suspicious > 6 || r->useful > 22) {
        if (best_wanted(r, 1))
            send_resolve_inquire(n, now, r);
        else
            resolve_finish(n, r, 0, NULL, NULL);
        return;
    }
    r->cur_next = r->next[--r->n_next];
    p = pending_new(n, now, PN_PNRP_LOOKUP, K_RESOLVE, (uint16_t)(r - n->resolves),
                    &r->cur_next.ep);
    if (p == NULL) {
        resolve_finish(n, r, 0, NULL, NULL);
        return;
    }
    p->id = r->cur_next.id;
    r->cur_next.use_count++;
    r->state = 1;
    r->last_msg_id = p->msg_id;
    emit_lookup(n, r, p);
}

static void push_next(pn_pnrp_resolve *r, const pn_pnrp_hop *h)
{
    size_t i;
    for (i = 0; i < r->n_next; i++)
        if (pn_pnrp_id_cmp(&r->next[i].id, &h->id) == 0 && ep_eq(&r->next[i].ep, &h->ep))
            return;
    if (r->n_next == PN_PNRP_NEXTHOP_MAX) { /* full: forget the bottom of the stack */
        memmove(&r->next[0], &r->next[1], (PN_PNRP_NEXTHOP_MAX - 1) * sizeof r->next[0]);
        r->n_next--;
    }
    r->next[r->n_next++] = *h;
}

static void push_best(pn_pnrp_resolve *r, const pn_pnrp_hop *h)
{
    if (r->n_best == PN_PNRP_BESTMATCH_MAX) {
        memmove(&r->best[0], &r->best[1], (PN_PNRP_BESTMATCH_MAX - 1) * sizeof r->best[0]);
        r->n_best--;
    }
    r->best[r->n_best++] = *h;
}

static void path_add(pn_pnrp_resolve *r, const pn_pnrp_endpoint *ep)
{
    size_t i;
    for (i = 0; i < r->n_path; i++)
        if (ep_eq(&r->path[i], ep))
            return;
    if (r->n_path < PN_PNRP_PATH_MAX)
        r->path[r->n_path++] = *ep;
}

/* Decision PE-43: a next hop that stayed silent is an alternate-path point (3.1.4.4.2
 * backtracks through the NextHopStack).  When the stack is empty the walk is not given
 * up: the closest cache entry not yet in the ResolvePath goes on it, so that a resolve
 * whose first hops all vanished (abrupt leaves) still reaches the target through the
 * rest of the cache.  Each such entry is tried once (it then joins the path). */
static void resolve_refill(pn_pnrp_node *n, pn_pnrp_resolve *r)
{
    const pn_pnrp_cache_entry *e[1];
    pn_pnrp_hop h;
    if (r->n_next > 0 ||
        pn_pnrp_cache_closest(&n->cache, &r->target, r->path, r->n_path, NULL, e, 1) == 0)
        return;
    hop_from_entry(&h, e[0]);
    push_next(r, &h);
}

static void resolve_lookup_answer(pn_pnrp_node *n, uint64_t now, pn_pnrp_resolve *r,
                                  const pn_pnrp_endpoint *to, const pn_pnrp_authority_buffer *ab)
{
    pn_pnrp_hop nnh, asked = r->cur_next;
    size_t i;
    path_add(r, to);
    r->useful++;
    if (ab->flag_l)
        r->suspicious++;
    if (!ab->flag_n) {
        pn_pnrp_route_entry re;
        hop_route(&r->cur_next, &re);
        if (!id_zero(&re.id))
            submit_route(n, now, &re, to, NULL);
    } else {
        pn_pnrp_cache_remove(&n->cache, &r->cur_next.id);
        r->cur_next.valid = 0;
    }
    if (r->cur_next.valid && !id_zero(&r->cur_next.id) && !already_found(r, &r->cur_next.ep) &&
        (!r->cur_best.valid || already_found(r, &r->cur_best.ep) ||
         pn_pnrp_id_closer(&r->target, &r->cur_next.id, &r->cur_best.id) < 0)) {
        if (r->cur_best.valid)
            push_best(r, &r->cur_best);
        r->cur_best = r->cur_next;
        r->inquire_tries = 0;
    }
    if (r->cur_next.valid && r->cur_next.use_count >= 3)
        r->cur_next.valid = 0;
    nnh.valid = 0;
    if (ab->has_route && ab->route.addr_count > 0)
        hop_from_route(&nnh, &ab->route);
    if (r->cur_next.valid) {
        push_next(r, &r->cur_next);
        r->cur_next.valid = 0;
    }
    if (nnh.valid) {
        /* Not back to a node already asked (the last one may name itself). */
        for (i = 0; i + 1 < r->n_path; i++)
            if (ep_eq(&r->path[i], &nnh.ep))
                nnh.valid = 0;
        if (is_local_ep(n, &nnh.ep))
            nnh.valid = 0;
    }
    if (nnh.valid) {
        if (pn_pnrp_id_closer(&r->target, &nnh.id, &asked.id) < 0 || n->cache.count < 8 ||
            (r->max_results > 1 && close_enough(r, &nnh.id, 0) && !already_found(r, &nnh.ep)))
            push_next(r, &nnh);
    }
    resolve_step(n, now, r);
}

static void resolve_inquire_answer(pn_pnrp_node *n, uint64_t now, pn_pnrp_resolve *r,
                                   const pn_pnrp_authority_buffer *ab)
{
    pn_pnrp_cpa_expect e;
    pn_pnrp_id id;
    int ok = 0, r_ok;
    if (!ab->flag_n && ab->has_cpa) {
        memset(&e, 0, sizeof e);
        e.now_filetime = now_filetime(n, now);
        e.nonce = r->nonce;
        e.id = &r->cur_best.id;
        pn_pnrp_expect_extras(&e, ab);
        e.ext_required = PN_PNRP_DELEGATION; /* the INQUIRE asked for X (3.1.4.4.2 step 7) */
        n->ctr.verifies++;
        r_ok = pn_pnrp_count_cpa_drop(&n->ctr, pn_pnrp_cpa_validate(&ab->cpa, &e));
        if (r_ok == PN_OK) {
            pn_pnrp_cpa_id(&ab->cpa, &id);
            ok = close_enough(r, &id, 1);
            if (!ok)
                n->ctr.drop_cpa++;
        }
    }
    if (ok && r->max_results > 1 && r->n_results + 1 < r->max_results) {
        /* More wanted: report this one and walk on; the CPA's node is in the path now,
         * so the walk finds the other registrations around the target. */
        pn_pnrp_hop again = r->cur_best;
        size_t i;
        if (r->n_results < PN_PNRP_RESULTS_MAX)
            r->found[r->n_results] = r->cur_best.ep;
        r->n_results++;
        n->ctr.resolves_ok++;
        emit_event(n, PN_PNRP_EV_RESOLVED, r->handle, r->user, r->useful, &id, ab);
        if (r->n_results >= PN_PNRP_RESULTS_MAX) {
            resolve_finish(n, r, 0, NULL, NULL);
            return;
        }
        /* The other registrations sit next to this one, in its node's leaf set: ask that
         * node again (A set) with a path of only this node and those already found. */
        r->n_path = 1;
        for (i = 0; i < r->n_results && i < PN_PNRP_RESULTS_MAX; i++)
            path_add(r, &r->found[i]);
        again.use_count = 0;
        push_next(r, &again);
        r->cur_best.valid = 0;
        r->inquire_tries = 0;
        resolve_step(n, now, r);
        return;
    }
    if (ok) {
        resolve_finish(n, r, 1, &id, ab);
        return;
    }
    /* 3.1.5.6.1.1: fall back to the previous best match. */
    if (r->n_best == 0) {
        resolve_finish(n, r, 0, NULL, NULL);
        return;
    }
    r->cur_best = r->best[--r->n_best];
    r->inquire_tries = 0;
    resolve_step(n, now, r);
}

static pn_pnrp_resolve *resolve_begin(pn_pnrp_node *n, const pn_pnrp_id *target, uint8_t criteria,
                                      uint16_t precision, uint8_t reason,
                                      const pn_pnrp_hop *initial_best, int pick_local, void *user,
                                      uint8_t max_results);

static int resolve_start(pn_pnrp_node *n, uint64_t now, const pn_pnrp_id *target, uint8_t criteria,
                         uint16_t precision, uint8_t reason, const pn_pnrp_hop *initial_best,
                         int pick_local, void *user, uint8_t max_results)
{
    pn_pnrp_resolve *r = resolve_begin(n, target, criteria, precision, reason, initial_best,
                                       pick_local, user, max_results);
    int handle;
    if (r == NULL)
        return PN_ERR_NOMEM;
    handle = r->handle;
    resolve_step(n, now, r);
    return handle;
}

static pn_pnrp_resolve *resolve_begin(pn_pnrp_node *n, const pn_pnrp_id *target, uint8_t criteria,
                                      uint16_t precision, uint8_t reason,
                                      const pn_pnrp_hop *initial_best, int pick_local, void *user,
                                      uint8_t max_results)
{
    pn_pnrp_resolve *r = NULL;
    const pn_pnrp_cache_entry *first[3];
    size_t i, k;
    for (i = 0; i < PN_PNRP_RESOLVES_MAX; i++)
        if (!n->resolves[i].used) {
            r = &n->resolves[i];
            break;
        }
    if (r == NULL) {
        n->ctr.drop_table_full++;
        return NULL;
    }
    memset(r, 0, sizeof *r);
    r->used = 1;
    r->reason = reason;
    r->criteria = criteria;
    r->precision = precision;
    r->target = *target;
    r->user = user;
    r->max_results = max_results ? max_results : 1;
    r->handle = n->next_handle++;
    if (n->next_handle < 0)
        n->next_handle = 0;
    rnd(n, r->nonce, 16);
    /* 3.2.7.1: the first path entry is a local endpoint. */
    r->path[0] = n->cfg.local[0];
    r->n_path = 1;
    /* Step 5; decision PE-8: the three closest entries, the closest on top. */
    k = pn_pnrp_cache_closest(&n->cache, target, NULL, 0, NULL, first, 3);
    for (i = k; i > 0; i--) {
        pn_pnrp_hop h;
        hop_from_entry(&h, first[i - 1]);
        push_next(r, &h);
    }
    if (initial_best != NULL) {
        push_best(r, initial_best);
        r->initial = *initial_best;
        r->has_initial = 1;
    }
    if (pick_local && n->n_local_ids > 0) {
        size_t best = 0;
        for (i = 1; i < n->n_local_ids; i++)
            if (pn_pnrp_id_closer(target, &n->local_ids[i], &n->local_ids[best]) < 0)
                best = i;
        r->cur_best.id = n->local_ids[best];
        r->cur_best.ep = n->cfg.local[0];
        r->cur_best.valid = 1;
    }
    return r;
}

int pn_pnrp_node_split_probe(pn_pnrp_node *n, uint64_t now, const pn_pnrp_id *target,
                             const pn_pnrp_endpoint *seed, void *user)
{
    pn_pnrp_resolve *r;
    pn_pnrp_hop h;
    int handle;
    if (!PN_PNRP_SERVE) /* decision PORT-5 */
        return PN_ERR_UNSUPPORTED;
    if (n == NULL || target == NULL || seed == NULL || is_local_ep(n, seed))
        return PN_ERR_ARG;
    /* 3.2.6.2.1: criteria NONE, no local pick, no initial best match, the first next hop
     * a route entry of PNRP ID zero at the seed's address. */
    r = resolve_begin(n, target, PN_PNRP_SEARCH_NONE, 0, PN_PNRP_REASON_SPLIT_DETECTION, NULL, 0,
                      user, 1);
    if (r == NULL)
        return PN_ERR_NOMEM;
    memset(&h, 0, sizeof h);
    h.ep = *seed;
    h.valid = 1;
    push_next(r, &h);
    handle = r->handle;
    resolve_step(n, now, r);
    return handle;
}

void pn_pnrp_node_reannounce(pn_pnrp_node *n, uint64_t now)
{
    size_t i, k;
    for (i = 0; i < PN_PNRP_LOCAL_MAX; i++) {
        const pn_pnrp_local *l = &n->locals[i];
        int busy = 0;
        if (l->used != LOCAL_USED)
            continue;
        for (k = 0; k < PN_PNRP_RESOLVES_MAX; k++)
            busy |= n->resolves[k].used && n->resolves[k].reason == PN_PNRP_REASON_REGISTRATION &&
                    pn_pnrp_id_cmp(&n->resolves[k].initial.id, &l->id) == 0;
        if (!busy)
            register_walk(n, now, l);
    }
}

/* ---- defence hooks (decisions PE-30 to PE-33; the tables are in pnrp_guard.c) -------- */
static int guard_crypto(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from)
{
    int g = pn_pnrp_guard_charge(&n->guard, now, from->addr, PN_PNRP_GUARD_CRYPTO);
    if (g == PN_PNRP_GUARD_SOURCE)
        n->ctr.drop_rate_work++;
    else if (g == PN_PNRP_GUARD_GLOBAL)
        n->ctr.drop_rate_crypto++;
    return g == PN_PNRP_GUARD_OK;
}

/* An AUTHORITY, ACK or ADVERTISE that matches our Pending List costs its source nothing. */
static int answers_pending(pn_pnrp_node *n, const pn_pnrp_endpoint *from, const pn_pnrp_msg *m)
{
    uint32_t id;
    if (m->type == PN_PNRP_AUTHORITY)
        id = m->u.authority.acked_id;
    else if (m->type == PN_PNRP_ACK)
        id = m->u.ack.acked_id;
    else if (m->type == PN_PNRP_ADVERTISE)
        id = m->u.advertise.acked_id;
    else
        return 0;
    return pending_find(n, id, from) != NULL;
}

/* PE-33: ask the node a revoke names (from someone else) whether it is still there. */
static void revoke_check(pn_pnrp_node *n, uint64_t now, const pn_pnrp_cache_entry *ce,
                         const pn_pnrp_endpoint *src)
{
    pn_pnrp_add *a = NULL;
    pn_pnrp_pending *p;
    pn_pnrp_endpoint ep;
    size_t i;
    for (i = 0; i < PN_PNRP_ADDS_MAX; i++) {
        if (n->adds[i].used && pn_pnrp_id_cmp(&n->adds[i].id, &ce->id) == 0)
            return; /* already being checked */
        if (!n->adds[i].used && a == NULL)
            a = &n->adds[i];
    }
    if (a == NULL) {
        n->ctr.drop_table_full++;
        return;
    }
    if (!pn_pnrp_guard_adds_ok(n->adds, PN_PNRP_ADDS_MAX, src)) {
        n->ctr.drop_quota++;
        return;
    }
    memcpy(ep.addr, ce->addr, 16);
    ep.port = ce->port;
    memset(a, 0, sizeof *a);
    p = pending_new(n, now, PN_PNRP_INQUIRE, K_ADD, (uint16_t)(a - n->adds), &ep);
    if (p == NULL)
        return;
    a->used = 1;
    a->revoke_check = 1;
    a->id = ce->id;
    a->ep = ep;
    a->src = *src;
    a->inquire_id = p->msg_id;
    p->id = ce->id;
    emit_inquire(n, p, NULL);
}

/* ---- message handlers ---------------------------------------------------------------- */
static void on_lookup(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from,
                      const pn_pnrp_msg *m)
{
    const pn_pnrp_lookup *lk = &m->u.lookup;
    pn_pnrp_authority_buffer ab;
    const pn_pnrp_cache_entry *rem[3];
    const pn_pnrp_id *local_match = NULL;
    size_t i, nrem;
    int not_local, in_path = 0;
    memset(&ab, 0, sizeof ab);
    /* 3.2.5.2 */
    if (lk->has_route)
        submit_route(n, now, &lk->route, from, NULL);
    not_local = !id_zero(&lk->validate) && find_local(n, &lk->validate) == NULL;
    for (i = 0; i < lk->path.count; i++)
        in_path |= is_local_ep(n, &lk->path.eps[i]);
    if (!in_path) {
        for (i = 0; i < n->n_local_ids; i++)
            if (local_match == NULL ||
                pn_pnrp_id_closer(&lk->target, &n->local_ids[i], local_match) < 0)
                local_match = &n->local_ids[i];
        if (local_match != NULL && !not_local && !id_zero(&lk->validate) &&
            pn_pnrp_id_closer(&lk->target, local_match, &lk->validate) >= 0)
            local_match = NULL;
    }
    nrem =
        pn_pnrp_cache_closest(&n->cache, &lk->target, lk->path.eps, lk->path.count,
                              lk->flag_a || id_zero(&lk->validate) ? NULL : &lk->validate, rem, 3);
    if (nrem > 1) {
        /* A weighted random choice favouring the closest (8:2:1). */
        uint32_t w = rnd32(n) % (nrem == 2 ? 10u : 11u);
        size_t pick = w < 8 ? 0 : w < 10 ? 1 : 2;
        rem[0] = rem[pick];
    }
    if (nrem == 0 && n->n_local_ids > 0 && pn_pnrp_cache_in_leaf_range(&n->cache, &lk->target))
        ab.flag_l = 1; /* TargetSuspicious */
    if (local_match != NULL &&
        (nrem == 0 || pn_pnrp_id_closer(&lk->target, local_match, &rem[0]->id) <= 0)) {
        local_route(n, local_match, &ab.route);
        ab.has_route = 1;
    } else if (nrem > 0) {
        pn_pnrp_hop h;
        hop_from_entry(&h, rem[0]);
        hop_route(&h, &ab.route);
        ab.has_route = 1;
    }
    ab.flag_n = (uint8_t)not_local;
    send_authority(n, from, m->msg_id, &ab);
}

static void on_inquire(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from,
                       const pn_pnrp_msg *m)
{
    const pn_pnrp_inquire *iq = &m->u.inquire;
    pn_pnrp_authority_buffer ab;
    pn_pnrp_local *l = find_local(n, &iq->validate);
    uint8_t cpa[700];
#if PN_PNRP_DELEGATION && PN_PNRP_STACK_WORK
    uint8_t xp[PN_PNRP_XP_BUF], units[2 * PN_PNRP_CLASSIFIER_MAX];
#elif PN_PNRP_DELEGATION && PN_FEATURE_PNRP_REGISTER
    uint8_t *xp = n->work_xp.xp, *units = n->work_xp.units; /* decision PORT-3 */
#endif
    memset(&ab, 0, sizeof ab);
    /* 3.2.5.6 */
    if (l == NULL) {
        ab.flag_n = 1;
        send_authority(n, from, m->msg_id, &ab);
        return;
    }
    /* Decision PE-32: a CPA costs an RSA signature; the asker pays for it. */
    if (iq->flag_a && !guard_crypto(n, now, from))
        return;
    /* An extended payload is signed for each INQUIRE too (PE-53): charged the same way. */
    if (iq->flag_x && l->reg != NULL && l->reg->xp_data != NULL && !guard_crypto(n, now, from))
        return;
    local_route(n, &l->id, &ab.route);
    ab.has_route = 1;
    if (iq->flag_a) {
        static const uint8_t zero[16] = {0};
        pn_pnrp_decode_error de;
        int len = local_cpa(n, now, l, iq->has_nonce ? iq->nonce : zero, 0, cpa, sizeof cpa);
        if (len > 0 && pn_pnrp_cpa_decode(cpa, (size_t)len, 0, &ab.cpa, &de) == PN_OK)
            ab.has_cpa = 1;
    }
    /* 3.2.5.6: the certificate chain (with the classifier it delegates) and the extended
     * payload when asked for. */
#if PN_PNRP_DELEGATION && (PN_PNRP_STACK_WORK || PN_FEATURE_PNRP_REGISTER)
    if (pn_pnrp_attach_extras(n, now_filetime(n, now), l, iq, &ab, xp, PN_PNRP_XP_BUF, units) > 0)
        n->ctr.signs++;
#endif
    send_authority(n, from, m->msg_id, &ab);
}

static void on_authority(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from,
                         const pn_pnrp_msg *m)
{
    pn_pnrp_pending *p = pending_find(n, m->u.authority.acked_id, from);
    pn_pnrp_authority_buffer ab;
    pn_pnrp_decode_error de;
    const uint8_t *buf;
    size_t len;
    pn_pnrp_pending copy;
    int r;
    /* 3.1.5.6 */
    if (p == NULL || (p->type != PN_PNRP_LOOKUP && p->type != PN_PNRP_INQUIRE)) {
        n->ctr.drop_unsolicited++;
        return;
    }
    if (m->u.authority.offset == 0 && m->u.authority.fragment.len == m->u.authority.size) {
        buf = m->u.authority.fragment.p;
        len = m->u.authority.fragment.len;
    } else if (n->reasm != NULL) {
        if (!pn_pnrp_guard_reasm_ok(n->reasm, from->addr, from->port, m->msg_id)) {
            n->ctr.drop_quota++; /* decision PE-31 */
            return;
        }
        r = pn_pnrp_reasm_input(n->reasm, now, from->addr, from->port, m->msg_id, &m->u.authority,
                                &buf, &len);
        if (r < 0)
            n->ctr.drop_reasm++;
        if (r != 1)
            return;
    } else {
        n->ctr.drop_reasm++;
        return;
    }
    if (pn_pnrp_authority_buffer_decode(buf, len, 0, &ab, &de) != PN_OK) {
        n->ctr.drop_decode++;
        return;
    }
    copy = *p;
    pending_free(n, p);
    count_resolve(n, &copy, (int)len);
    if (copy.kind == K_RESOLVE) {
        pn_pnrp_resolve *rs = &n->resolves[copy.ctx];
        if (!rs->used || rs->last_msg_id != copy.msg_id) {
            n->ctr.drop_stale++;
            return;
        }
        if (copy.type == PN_PNRP_LOOKUP)
            resolve_lookup_answer(n, now, rs, &copy.to, &ab);
        else
            resolve_inquire_answer(n, now, rs, &ab);
    } else if (copy.kind == K_ADD) {
        pn_pnrp_add *a = &n->adds[copy.ctx];
        if (a->used && a->inquire_id == copy.msg_id)
            add_answer(n, now, a, &ab);
        else
            n->ctr.drop_stale++;
    }
}

static void on_ack(pn_pnrp_node *n, const pn_pnrp_endpoint *from, const pn_pnrp_msg *m)
{
    pn_pnrp_pending *p = pending_find(n, m->u.ack.acked_id, from);
    /* 3.1.5.4 */
    if (p == NULL) {
        n->ctr.drop_unsolicited++;
        return;
    }
    if (p->type == PN_PNRP_FLOOD && m->u.ack.flag_n) {
        if (pn_pnrp_cache_remove(&n->cache, &p->id))
            n->ctr.removed++;
    }
    if (p->type == PN_PNRP_REQUEST && p->kind == K_CONV) {
        memset(&n->conv_out[p->ctx], 0, sizeof n->conv_out[p->ctx]);
        emit_event(n, PN_PNRP_EV_SYNCED, -1, NULL, 0, NULL, NULL);
    }
    if (p->type == PN_PNRP_LOOKUP || p->type == PN_PNRP_INQUIRE || p->type == PN_PNRP_SOLICIT) {
        n->ctr.drop_unsolicited++; /* those are answered by AUTHORITY / ADVERTISE, not ACK */
        return;
    }
    pending_free(n, p);
}

static void on_flood(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from,
                     const pn_pnrp_msg *m)
{
    const pn_pnrp_flood *f = &m->u.flood;
    /* 3.1.5.5, 3.2.5.5 */
    if (!f->flag_d)
        send_ack(n, from, m->msg_id, !id_zero(&f->validate) && find_local(n, &f->validate) == NULL);
    if (f->has_route)
        submit_route(n, now, &f->route, from, &f->flooded);
    if (f->has_revoke && PN_PNRP_SERVE) { /* PORT-5: revokes go to leaf sets only */
        pn_pnrp_cpa_expect e;
        pn_pnrp_id id;
        /* Decision PE-32: a revoke of an ID the cache does not hold would change nothing,
         * so it is not verified; the others cost their source a unit of work. */
        pn_pnrp_cpa_id(&f->revoke, &id);
        if (pn_pnrp_cache_find(&n->cache, &id) == NULL)
            return;
        if (pn_pnrp_guard_charge(&n->guard, now, from->addr, PN_PNRP_GUARD_WORK) !=
            PN_PNRP_GUARD_OK) {
            n->ctr.drop_rate_work++;
            return;
        }
        memset(&e, 0, sizeof e);
        e.now_filetime = now_filetime(n, now);
        e.revoke = 1;
        n->ctr.verifies++;
        if (pn_pnrp_cpa_validate(&f->revoke, &e) != PN_OK) {
            n->ctr.drop_cpa++;
            return;
        }
        {
            const pn_pnrp_cache_entry *ce = pn_pnrp_cache_find(&n->cache, &id);
            int was_leaf = ce != NULL && (ce->flags & PN_PNRP_CE_LEAF) != 0;
            /* Decision PE-33: an unsecured name's revoke can be signed by anyone, so only
             * the node itself removes its entry at once; a revoke from elsewhere makes
             * the node INQUIRE the entry, which goes when it answers N or not at all. */
            if (ce != NULL && (memcmp(ce->addr, from->addr, 16) != 0 || ce->port != from->port))
                revoke_check(n, now, ce, from);
            else if (pn_pnrp_cache_remove(&n->cache, &id))
                n->ctr.removed++;
            if (was_leaf && PN_PNRP_SERVE)
                forward_revoke(n, from, m, &id);
        }
    }
}

/* 4.3: a revoked ID that was in a leaf set is passed on to the next leaf on the far
 * side from it, so that the whole leaf set hears of it.  Decision PE-19: the forwarded
 * FLOOD has D set (it is not retransmitted, so it asks for no ACK). */
static void forward_revoke(pn_pnrp_node *n, const pn_pnrp_endpoint *from, const pn_pnrp_msg *m,
                           const pn_pnrp_id *id)
{
    const pn_pnrp_id *l = NULL;
    const pn_pnrp_cache_entry *next;
    pn_pnrp_id up, down;
    pn_pnrp_endpoint to;
    pn_pnrp_msg out;
    size_t i;
    for (i = 0; i < n->n_local_ids; i++)
        if (l == NULL || pn_pnrp_id_closer(id, &n->local_ids[i], l) < 0)
            l = &n->local_ids[i];
    if (l == NULL)
        return;
    pn_pnrp_id_sub(&up, l, id);   /* how far the local ID is above the revoked one */
    pn_pnrp_id_sub(&down, id, l); /* how far below */
    next =
        pn_pnrp_cache_neighbour(&n->cache, l, pn_pnrp_id_cmp(&up, &down) < 0 ? 1 : -1, 0, from, 1);
    if (next == NULL)
        return;
    out = *m;
    out.msg_id = new_msg_id(n);
    out.u.flood.flag_d = 1;
    out.u.flood.has_route = 0;
    memset(&out.u.flood.validate, 0, sizeof out.u.flood.validate);
    memcpy(to.addr, next->addr, 16);
    to.port = next->port;
    send_msg(n, &to, &out);
}

static void on_solicit(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from,
                       const pn_pnrp_msg *m)
{
    const pn_pnrp_solicit *so = &m->u.solicit;
    pn_pnrp_conv_in *c = NULL, *free_c = NULL;
    pn_pnrp_msg out;
    size_t i;
    /* 3.2.5.3 */
    pn_pnrp_conv_in *own = NULL;
    size_t held = 0;
    for (i = 0; i < PN_PNRP_CONV_IN; i++) {
        pn_pnrp_conv_in *x = &n->conv_in[i];
        if (x->used && x->expires <= now) {
            x->used = 0;
            due_gone(n, x->expires);
        }
        if (x->used && ep_eq(&x->peer, from) && memcmp(x->hashed_nonce, so->hashed_nonce, 20) == 0)
            c = x;
        else if (!x->used && free_c == NULL)
            free_c = x;
        else if (x->used && memcmp(x->peer.addr, from->addr, 16) == 0) {
            held++;
            if (own == NULL || x->expires < own->expires)
                own = x;
        }
    }
    /* Decision PE-31: a source at its quota replaces its own oldest conversation; in a
     * full table a newcomer replaces the oldest one (an honest conversation ends within
     * a round trip, so what is old is what never finished). */
    if (c == NULL && own != NULL && held >= PN_PNRP_CONV_IN_PER_SOURCE)
        free_c = own;
    if (c == NULL && free_c == NULL) {
        /* Decision PE-72: only a conversation that has waited a whole retransmission
         * interval for its REQUEST gives way; while all are younger the node is busy
         * (3.2.5.3: an ADVERTISE without IDs), as replacing fresh ones under a steady
         * stream of SOLICITs would let no conversation finish. */
        for (i = 0; i < PN_PNRP_CONV_IN; i++)
            if (n->conv_in[i].expires + PN_PNRP_RETRANSMIT_MS <= now + PN_PNRP_CONVERSATION_MS &&
                (free_c == NULL || n->conv_in[i].expires < free_c->expires))
                free_c = &n->conv_in[i];
        if (free_c != NULL)
            n->ctr.drop_table_full++; /* the replaced one; a refusal is counted below */
    }
    memset(&out, 0, sizeof out);
    out.type = PN_PNRP_ADVERTISE;
    out.msg_id = new_msg_id(n);
    out.u.advertise.acked_id = m->msg_id;
    memcpy(out.u.advertise.hashed_nonce, so->hashed_nonce, 20);
    if (c == NULL && free_c != NULL) {
        c = free_c;
        c->used = 1;
        c->peer = *from;
        memcpy(c->hashed_nonce, so->hashed_nonce, 20);
    }
    if (c != NULL) {
        pn_pnrp_id_list *ids = &out.u.advertise.ids;
        size_t want = 5, tries;
        due_gone(n, c->expires); /* a refreshed or replaced conversation */
        c->expires = now + PN_PNRP_CONVERSATION_MS;
        due_set(n, c->expires);
        /* Five IDs from random places in the cache (3.2.5.3 allows random selection);
         * the local IDs when the cache is short. */
        for (tries = 0; tries < 4 * n->cache.cap && ids->count < want && n->cache.count > 0;
             tries++) {
            const pn_pnrp_cache_entry *e = &n->cache.e[rnd32(n) % n->cache.cap];
            size_t k;
            int dup = 0;
            if (!(e->flags & PN_PNRP_CE_USED))
                continue;
            for (k = 0; k < ids->count; k++)
                dup |= pn_pnrp_id_cmp(&ids->ids[k], &e->id) == 0;
            if (!dup)
                ids->ids[ids->count++] = e->id;
        }
        if (n->cache.count < want)
            for (i = 0; i < n->n_local_ids && ids->count < PN_PNRP_ID_ARRAY_MAX; i++)
                ids->ids[ids->count++] = n->local_ids[i];
    } else {
        n->ctr.drop_table_full++;
    }
    send_msg(n, from, &out);
    if (so->has_route)
        submit_route(n, now, &so->route, from, NULL);
}

static void on_advertise(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from,
                         const pn_pnrp_msg *m)
{
    const pn_pnrp_advertise *ad = &m->u.advertise;
    pn_pnrp_pending *p = pending_find(n, ad->acked_id, from), *q;
    pn_pnrp_conv_out *c;
    uint8_t h[20];
    uint16_t ctx;
    size_t i;
    /* 3.1.5.3 */
    if (p == NULL || p->type != PN_PNRP_SOLICIT) {
        n->ctr.drop_unsolicited++;
        return;
    }
    c = &n->conv_out[p->ctx];
    pn_sha1(c->nonce, 16, h);
    if (memcmp(h, ad->hashed_nonce, 20) != 0) {
        n->ctr.drop_nonce++;
        return;
    }
    ctx = p->ctx;
    pending_free(n, p);
    if (ad->ids.count == 0) {
        memset(c, 0, sizeof *c);
        soon_retry(n, now);
        return;
    }
    c->n_ids = 0;
    for (i = 0; i < ad->ids.count && c->n_ids < PN_PNRP_CONV_REQUEST_IDS; i++)
        c->ids[c->n_ids++] = ad->ids.ids[i];
    q = pending_new(n, now, PN_PNRP_REQUEST, K_CONV, ctx, from);
    if (q == NULL) {
        memset(c, 0, sizeof *c);
        return;
    }
    c->state = 2;
    emit_conv(n, q);
}

static void on_request(pn_pnrp_node *n, const pn_pnrp_endpoint *from, const pn_pnrp_msg *m)
{
    const pn_pnrp_request *rq = &m->u.request;
    pn_pnrp_conv_in *c = NULL;
    uint8_t h[20];
    size_t i;
    /* 3.2.5.4 */
    for (i = 0; i < PN_PNRP_CONV_IN; i++)
        if (n->conv_in[i].used && ep_eq(&n->conv_in[i].peer, from))
            c = &n->conv_in[i];
    if (c == NULL) {
        n->ctr.drop_unsolicited++;
        return;
    }
    pn_sha1(rq->nonce, 16, h);
    if (memcmp(h, c->hashed_nonce, 20) != 0) {
        n->ctr.drop_nonce++;
        return;
    }
    send_ack(n, from, m->msg_id, 0);
    for (i = 0; i < rq->ids.count; i++) {
        pn_pnrp_msg f;
        pn_pnrp_cache_entry *e = pn_pnrp_cache_find(&n->cache, &rq->ids.ids[i]);
        memset(&f, 0, sizeof f);
        f.type = PN_PNRP_FLOOD;
        f.msg_id = new_msg_id(n);
        f.u.flood.flag_d = 1;
        f.u.flood.has_route = 1;
        if (e != NULL) {
            pn_pnrp_hop hh;
            hop_from_entry(&hh, e);
            hop_route(&hh, &f.u.flood.route);
        } else if (find_local(n, &rq->ids.ids[i]) != NULL) {
            local_route(n, &rq->ids.ids[i], &f.u.flood.route);
        } else {
            continue;
        }
        send_msg(n, from, &f);
    }
    c->used = 0;
    due_gone(n, c->expires);
}

void pn_pnrp_node_input(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from,
                        const uint8_t *buf, size_t len)
{
    pn_pnrp_msg m;
    pn_pnrp_decode_error de;
    n->ctr.rx++;
    n->ctr.rx_bytes += (uint32_t)len;
    /* 3.1.5.2: a source port of 1024 or below is dropped. */
    if (from->port <= 1024) {
        n->ctr.drop_src_port++;
        return;
    }
    if (pn_pnrp_decode(buf, len, 0, &m, &de) != PN_OK) {
        n->ctr.drop_decode++;
        return;
    }
    if (m.type < 12)
        n->ctr.rx_by_type[m.type]++;
    /* Decision PE-30: what does not answer our own request is paid for by its source. */
    if (!answers_pending(n, from, &m) &&
        pn_pnrp_guard_charge(&n->guard, now, from->addr, PN_PNRP_GUARD_MSG) != PN_PNRP_GUARD_OK) {
        n->ctr.drop_rate++;
        return;
    }
    switch (m.type) {
    case PN_PNRP_SOLICIT:
        /* A resolve-only client (PN_PNRP_SERVE 0) is in nobody's cache and nobody's
         * seed: it answers no SOLICIT, REQUEST, INQUIRE or LOOKUP (decision PORT-1). */
        if (PN_PNRP_SERVE)
            on_solicit(n, now, from, &m);
        break;
    case PN_PNRP_ADVERTISE:
        on_advertise(n, now, from, &m);
        break;
    case PN_PNRP_REQUEST:
        if (PN_PNRP_SERVE)
            on_request(n, from, &m);
        break;
    case PN_PNRP_FLOOD:
        on_flood(n, now, from, &m);
        break;
    case PN_PNRP_INQUIRE:
        if (PN_PNRP_SERVE)
            on_inquire(n, now, from, &m);
        break;
    case PN_PNRP_AUTHORITY:
        on_authority(n, now, from, &m);
        break;
    case PN_PNRP_ACK:
        on_ack(n, from, &m);
        break;
    case PN_PNRP_LOOKUP:
        if (PN_PNRP_SERVE)
            on_lookup(n, now, from, &m);
        break;
    default:
        n->ctr.drop_type++;
        break;
    }
}

/* ---- timers (3.1.6, 3.2.6) ----------------------------------------------------------- */
static void pending_expired(pn_pnrp_node *n, uint64_t now, pn_pnrp_pending *p)
{
    pn_pnrp_pending copy = *p;
    n->ctr.timeouts++;
    pending_free(n, p);
    switch (copy.kind) {
    case K_RESOLVE: {
        pn_pnrp_resolve *r = &n->resolves[copy.ctx];
        if (!r->used || r->last_msg_id != copy.msg_id)
            break;
        if (copy.type == PN_PNRP_LOOKUP) {
            /* Decision PE-9: a next hop silent once is asked again with a new LOOKUP
             * (the UseCount rule of 3.1.5.6.1 allows three); silent twice, it leaves
             * the cache and joins the path, so that no one refers the resolver back to
             * it.  Decision PE-45: leaf-set entries too (four unanswered datagrams),
             * so that the leaf set of a node that vanished repairs itself. */
            if (r->cur_next.valid && r->cur_next.use_count < 2) {
                push_next(r, &r->cur_next);
                r->cur_next.valid = 0;
                resolve_step(n, now, r);
                break;
            }
            {
                if (pn_pnrp_cache_remove(&n->cache, &r->cur_next.id))
                    n->ctr.removed++;
            }
            path_add(r, &copy.to);
            r->cur_next.valid = 0;
            resolve_refill(n, r);
            resolve_step(n, now, r);
        } else if (r->inquire_tries < 2) {
            send_resolve_inquire(n, now, r); /* PE-9: once more with a new INQUIRE */
        } else {
            if (r->n_best == 0) {
                resolve_finish(n, r, 0, NULL, NULL);
            } else {
                r->cur_best = r->best[--r->n_best];
                r->inquire_tries = 0;
                resolve_step(n, now, r);
            }
        }
        break;
    }
    case K_ADD: /* 3.2.6.3: the pending route entry is discarded */
        if (n->adds[copy.ctx].inquire_id == copy.msg_id) {
            /* PE-33: a revoked node that no longer answers leaves the cache. */
            if (n->adds[copy.ctx].revoke_check &&
                pn_pnrp_cache_remove(&n->cache, &n->adds[copy.ctx].id))
                n->ctr.removed++;
            add_failed(n, &n->adds[copy.ctx]);
            memset(&n->adds[copy.ctx], 0, sizeof n->adds[copy.ctx]);
        }
        break;
    case K_CONV: /* 3.2.6.3: the conversation is released */
        memset(&n->conv_out[copy.ctx], 0, sizeof n->conv_out[copy.ctx]);
        /* Decision PE-16: still knowing no one, try the next seed at once rather than
         * at the next maintenance. */
        soon_retry(n, now);
        break;
    case K_FLOOD: /* 3.2.6.3: an unresponsive node leaves the cache */
        if (pn_pnrp_cache_remove(&n->cache, &copy.id))
            n->ctr.removed++;
        break;
    default:
        break;
    }
    if (n->reasm != NULL && (copy.type == PN_PNRP_LOOKUP || copy.type == PN_PNRP_INQUIRE)) {
        size_t i;
        for (i = 0; i < PN_PNRP_REASSEMBLY_SLOTS; i++) {
            pn_pnrp_reasm_slot *s = &n->reasm->slots[i];
            if (s->used && s->acked_id == copy.msg_id && s->port == copy.to.port &&
                memcmp(s->addr, copy.to.addr, 16) == 0)
                s->used = 0;
        }
    }
}

static void start_solicit(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *to)
{
    pn_pnrp_conv_out *c = NULL;
    pn_pnrp_pending *p;
    size_t i;
    for (i = 0; i < PN_PNRP_CONV_MAX; i++)
        if (!n->conv_out[i].used) {
            c = &n->conv_out[i];
            break;
        }
    if (c == NULL) {
        n->ctr.drop_table_full++;
        return;
    }
    p = pending_new(n, now, PN_PNRP_SOLICIT, K_CONV, (uint16_t)(c - n->conv_out), to);
    if (p == NULL)
        return;
    memset(c, 0, sizeof *c);
    c->used = 1;
    c->state = 1;
    c->peer = *to;
    c->msg_id = p->msg_id;
    rnd(n, c->nonce, 16); /* 3.1.4.3 */
    emit_conv(n, p);
}

int pn_pnrp_node_solicit(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *ep)
{
    size_t i;
    if (n == NULL || ep == NULL || ep->port <= 1024 || is_local_ep(n, ep) ||
        (n->cfg.scope != 0 && pn_pnrp_addr_scope(ep->addr) != n->cfg.scope))
        return PN_ERR_ARG;
    /* Kept as a seed too (when there is room), so a lost conversation is retried. */
    for (i = 0; i < n->cfg.seed_count && !ep_eq(&n->cfg.seeds[i], ep); i++)
        ;
    if (i == n->cfg.seed_count && i < PN_PNRP_SEEDS_MAX)
        n->cfg.seeds[n->cfg.seed_count++] = *ep;
    start_solicit(n, now, ep); /* 3.1.4.3 */
    return PN_OK;
}

void pn_pnrp_node_bootstrap(pn_pnrp_node *n, uint64_t now)
{
    /* 3.1.4.2.1: the next seed in turn. */
    if (n->cfg.seed_count == 0)
        return;
    if (n->seed_index >= n->cfg.seed_count)
        n->seed_index = 0;
    start_solicit(n, now, &n->cfg.seeds[n->seed_index++]);
}

static void register_walk(pn_pnrp_node *n, uint64_t now, const pn_pnrp_local *l)
{
    pn_pnrp_hop initial;
    pn_pnrp_id target = l->id;
    if (!PN_FEATURE_PNRP_REGISTER) /* resolve-only build: nothing to announce */
        return;
    /* 3.2.4.1: resolve ID + 1 carrying the new route entry. */
    memset(&initial, 0, sizeof initial);
    initial.id = l->id;
    initial.ep = n->cfg.local[0];
    initial.valid = 1;
    pn_pnrp_id_inc(&target);
    resolve_start(n, now, &target, PN_PNRP_SEARCH_NONE, 0, PN_PNRP_REASON_REGISTRATION, &initial, 0,
                  NULL, 1);
}

static void announce(pn_pnrp_node *n, uint64_t now)
{
    size_t i, k;
    for (i = 0; i < PN_PNRP_LOCAL_MAX; i++) {
        const pn_pnrp_local *l = &n->locals[i];
        int busy = 0;
        /* Decision PE-11: until two walks reached someone, then every fourth period. */
        if (l->used != LOCAL_USED || (l->announced >= 2 && (n->maint_count & 3) != 0))
            continue;
        for (k = 0; k < PN_PNRP_RESOLVES_MAX; k++)
            busy |= n->resolves[k].used && n->resolves[k].reason == PN_PNRP_REASON_REGISTRATION &&
                    pn_pnrp_id_cmp(&n->resolves[k].initial.id, &l->id) == 0;
        if (!busy)
            register_walk(n, now, l);
    }
}

/* 3.1.6.2 / 3.2.6.2 (MAY): resolve a random ID at a random level's distance from a
 * local ID, so that the walk's answering hops fill that level of the cache. */
static void maintenance_walk(pn_pnrp_node *n, uint64_t now, int want_level)
{
    pn_pnrp_id off, target;
    unsigned level, shift, i;
    uint8_t r[2];
    for (i = 0; i < PN_PNRP_RESOLVES_MAX; i++)
        if (!n->resolves[i].used)
            break;
    if (i == PN_PNRP_RESOLVES_MAX)
        return;
    rnd(n, r, 2);
    rnd(n, off.b, sizeof off.b);
    level = want_level >= 0 ? (unsigned)want_level : r[0] % 6u;
    shift = 1 + (level * 10u) / 3u; /* a tenth of the range per level: 3.32 bits */
    for (i = 0; i < PN_PNRP_ID_LEN; i++) {
        unsigned bit = i * 8;
        if (bit + 8 <= shift)
            off.b[i] = 0;
        else if (bit < shift)
            off.b[i] &= (uint8_t)(0xFFu >> (shift - bit));
    }
    if (r[1] & 1)
        pn_pnrp_id_add(&target, &n->local_ids[0], &off);
    else
        pn_pnrp_id_sub(&target, &n->local_ids[0], &off);
    resolve_start(n, now, &target, PN_PNRP_SEARCH_NONE, 0, PN_PNRP_REASON_CACHE_MAINTENANCE, NULL,
                  0, NULL, 1);
}

static void announce_new(pn_pnrp_node *n, uint64_t now)
{
    size_t i;
    for (i = 0; i < PN_PNRP_LOCAL_MAX; i++)
        if (n->locals[i].used == LOCAL_USED && n->locals[i].announced == 0)
            register_walk(n, now, &n->locals[i]);
}

/* Decision PE-44: an entry whose CPA expired goes through admission again (3.1.5.11:
 * INQUIRE, with A set in a leaf set) while it stays in the cache: a live publisher
 * answers with a fresh CPA and gets a new expiry; one that does not answer, answers
 * "not registered" or sends a bad CPA leaves the cache (3.2.6.3). */
static void expire_entries(pn_pnrp_node *n, uint64_t now)
{
    uint32_t u = clock_units(now);
    size_t i, k;
    int asked;
    for (i = 0; i < n->cache.cap; i++) {
        const pn_pnrp_cache_entry *e = &n->cache.e[i];
        pn_pnrp_route_entry re;
        if (!(e->flags & PN_PNRP_CE_USED) || e->expires == 0 || e->expires > u)
            continue;
        memset(&re, 0, sizeof re);
        re.id = e->id;
        re.port = e->port;
        re.addr_count = 1;
        memcpy(re.addrs[0], e->addr, 16);
        n->ctr.expired++;
        n->cache.e[i].expires = 0;
        admit(n, now, &re, NULL, NULL, 1);
        for (k = 0, asked = 0; k < PN_PNRP_ADDS_MAX; k++)
            asked |= n->adds[k].used && n->adds[k].revalidate &&
                     pn_pnrp_id_cmp(&n->adds[k].id, &re.id) == 0;
        /* No room to ask: an entry whose CPA expired is not kept unverified. */
        if (!asked && pn_pnrp_cache_remove(&n->cache, &re.id))
            n->ctr.removed++;
    }
}

static void tick_tables(pn_pnrp_node *n, uint64_t now)
{
    size_t i;
    /* Measured afresh: entries visited keep their time here, entries made meanwhile
     * (at any index) through due_set, and one freed meanwhile clears due_exact. */
    n->due_lo = UINT64_MAX;
    n->due_exact = 1;
    for (i = 0; i < PN_PNRP_PENDING_MAX; i++) {
        pn_pnrp_pending *p = &n->pending[i];
        if (!p->used)
            continue;
        if (p->deadline <= now) {
            /* 3.1.6.3: decrement; resend while non-zero, else fail. */
            if (--p->retries > 0) {
                p->deadline = now + PN_PNRP_RETRANSMIT_MS;
                n->ctr.retransmits++;
                emit_pending(n, now, p);
            } else {
                pending_expired(n, now, p);
            }
        }
        if (p->used)
            due_set(n, p->deadline);
    }
    for (i = 0; i < PN_PNRP_CONV_IN; i++)
        if (n->conv_in[i].used) {
            if (n->conv_in[i].expires <= now)
                n->conv_in[i].used = 0; /* 3.2.6.1 */
            else
                due_set(n, n->conv_in[i].expires);
        }
}

void pn_pnrp_node_tick(pn_pnrp_node *n, uint64_t now)
{
    if (now >= n->due_lo || !n->due_exact)
        tick_tables(n, now);
    if (n->reasm != NULL)
        n->ctr.drop_reasm += (uint32_t)pn_pnrp_reasm_expire(n->reasm, now);
    /* Decision PE-17: once the cache has entries, one walk per level (0-5) two
     * seconds apart fills it faster than the maintenance period would. */
    if (n->fill_walks < 6 && n->cache.count > 0 && now >= n->next_fill) {
        maintenance_walk(n, now, n->fill_walks);
        n->fill_walks++;
        n->next_fill = now + 2000;
    }
    if (now >= n->next_maintenance) {
        n->next_maintenance = now + PN_PNRP_MAINTENANCE_MS;
        n->maint_count++;
        expire_entries(n, now);
        /* 3.1.6.2: no known members -> discover again.  Decision PE-42: so does a node
         * whose cache is below the ten entries 3.2.1.1 requires, so that nodes that only
         * found each other (a busy seed answered with an empty ADVERTISE) rejoin the
         * cloud instead of staying an island. */
        if (n->cache.count == 0)
            pn_pnrp_node_bootstrap(n, now);
        else {
            if (n->cache.count < PN_PNRP_CACHE_MIN)
                pn_pnrp_node_bootstrap(n, now);
            announce(n, now);
            maintenance_walk(n, now, -1);
        }
    }
}

uint64_t pn_pnrp_node_next_deadline(const pn_pnrp_node *n)
{
    uint64_t d = n->next_maintenance;
    size_t i;
    if (n->fill_walks < 6 && n->cache.count > 0 && n->next_fill < d)
        d = n->next_fill;
    if (n->due_exact) {
        if (n->due_lo < d)
            d = n->due_lo;
    } else {
        for (i = 0; i < PN_PNRP_PENDING_MAX; i++)
            if (n->pending[i].used && n->pending[i].deadline < d)
                d = n->pending[i].deadline;
        for (i = 0; i < PN_PNRP_CONV_IN; i++)
            if (n->conv_in[i].used && n->conv_in[i].expires < d)
                d = n->conv_in[i].expires;
    }
    if (n->reasm != NULL) {
        uint64_t r = pn_pnrp_reasm_next_deadline(n->reasm);
        if (r < d)
            d = r;
    }
    return d;
}

/* ---- application calls --------------------------------------------------------------- */
void pn_pnrp_node_config_default(pn_pnrp_node_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->cpa_lifetime_s = 8 * 3600;
}

int pn_pnrp_node_init(pn_pnrp_node *n, const pn_pnrp_node_config *cfg,
                      const pn_pnrp_node_memory *mem, uint64_t now)
{
    size_t i;
    int r;
    if (n == NULL || cfg == NULL || mem == NULL || cfg->local_count < 1 || cfg->local_count > 4 ||
        cfg->seed_count > PN_PNRP_SEEDS_MAX || mem->out == NULL ||
        mem->out_cap < PN_UDP_MAX + OUT_HDR || mem->cache == NULL ||
        mem->cache_cap < 2 * PN_PNRP_LEAF_SIDE + 1 || mem->cache_cap > PN_PNRP_CACHE_MAX)
        return PN_ERR_ARG;
    /* 3.1.4.1: one port for every local address; 1.6: all of the cloud's scope. */
    for (i = 1; i < cfg->local_count; i++)
        if (cfg->local[i].port != cfg->local[0].port)
            return PN_ERR_ARG;
    if (cfg->scope > PN_PNRP_SCOPE_LINK)
        return PN_ERR_ARG;
    for (i = 0; i < cfg->local_count && cfg->scope != 0; i++)
        if (pn_pnrp_addr_scope(cfg->local[i].addr) != cfg->scope)
            return PN_ERR_ARG;
    for (i = 0; i < cfg->seed_count && cfg->scope != 0; i++)
        if (pn_pnrp_addr_scope(cfg->seeds[i].addr) != cfg->scope)
            return PN_ERR_ARG;
    memset(n, 0, sizeof *n);
    n->cfg = *cfg;
    if (n->cfg.cpa_lifetime_s == 0)
        n->cfg.cpa_lifetime_s = 8 * 3600;
    r = pn_drbg_init(&n->drbg, cfg->seed, sizeof cfg->seed, "pnrp", 4, NULL, 0);
    if (r != PN_OK)
        return r;
    {
        uint8_t key[16];
        pn_pnrp_guard_key(cfg->seed, key);
        pn_pnrp_guard_init(&n->guard, key, now);
    }
    r = pn_pnrp_cache_init(&n->cache, mem->cache, mem->cache_cap);
    if (r != PN_OK)
        return r;
    n->out = mem->out;
    n->out_cap = mem->out_cap;
    n->reasm = mem->reasm;
    if (n->reasm != NULL)
        pn_pnrp_reasm_init(n->reasm, PN_PNRP_REASSEMBLY_TIMEOUT_MS);
    rnd(n, n->ref_id.b, sizeof n->ref_id.b);
    refresh_locals(n);
    n->next_maintenance = now + PN_PNRP_MAINTENANCE_MS;
    /* 3.1.4.1 / 3.1.4.2: start discovery with the configured seeds. */
    for (i = 0; i < cfg->seed_count && i < PN_PNRP_CONV_MAX; i++)
        pn_pnrp_node_bootstrap(n, now);
    return PN_OK;
}

int pn_pnrp_node_register(pn_pnrp_node *n, uint64_t now, const pn_pnrp_registration *reg)
{
    pn_pnrp_name name;
    pn_pnrp_local *l = NULL;
    uint8_t sl[16], suffix[8];
    size_t i;
    int r;
    if (!PN_FEATURE_PNRP_REGISTER) /* resolve-only build */
        return PN_ERR_UNSUPPORTED;
    if (reg == NULL || reg->identity == NULL || reg->identity->priv == NULL ||
        reg->app_count > PN_PNRP_LOCAL_APPS_MAX)
        return PN_ERR_ARG;
    /* 3.2.4.1 */
    r = pn_pnrp_name_parse(reg->name, reg->name_len, &name);
    if (r != PN_OK)
        return r;
    if (name.secure && memcmp(name.authority, reg->identity->authority, 20) != 0)
        return PN_ERR_PNRP_NAME;
    for (i = 0; i < PN_PNRP_LOCAL_MAX; i++)
        if (!n->locals[i].used) {
            l = &n->locals[i];
            break;
        }
    if (l == NULL)
        return PN_ERR_NOMEM;
    memset(l, 0, sizeof *l);
    rnd(n, suffix, 8);
    pn_pnrp_service_location(reg->has_prefix ? reg->prefix : pn_get_u64be(n->cfg.local[0].addr),
                             pn_get_u64be(suffix), sl);
    r = pn_pnrp_name_id(&name, sl, &l->id);
    if (r != PN_OK)
        return r;
    pn_pnrp_classifier_hash(name.classifier, name.classifier_len, l->classifier_hash);
    l->used = LOCAL_USED;
    l->secure = name.secure;
    l->identity = reg->identity;
    l->app_count = reg->app_count;
    memcpy(l->apps, reg->apps, reg->app_count * sizeof reg->apps[0]);
    if ((r = pn_pnrp_local_extras(l, reg, &name)) != PN_OK) {
        memset(l, 0, sizeof *l);
        return r;
    }
    refresh_locals(n);
    register_walk(n, now, l);
    return (int)(l - n->locals);
}

int pn_pnrp_node_local_id(const pn_pnrp_node *n, int handle, pn_pnrp_id *out)
{
    if (handle < 0 || handle >= PN_PNRP_LOCAL_MAX || n->locals[handle].used != LOCAL_USED)
        return PN_ERR_NOTFOUND;
    *out = n->locals[handle].id;
    return PN_OK;
}

int pn_pnrp_node_unregister(pn_pnrp_node *n, uint64_t now, int handle)
{
    pn_pnrp_local *l;
    const pn_pnrp_cache_entry *lo, *hi, *lo5, *hi5;
    pn_pnrp_pending *p;
    pn_pnrp_endpoint ep;
    if (handle < 0 || handle >= PN_PNRP_LOCAL_MAX || n->locals[handle].used != LOCAL_USED)
        return PN_ERR_NOTFOUND;
    l = &n->locals[handle];
    l->used = LOCAL_REVOKING;
    refresh_locals(n);
    /* 3.2.4.2: revoke to the nearest leaf on each side ... */
    lo = pn_pnrp_cache_neighbour(&n->cache, &l->id, -1, 0, NULL, 0);
    hi = pn_pnrp_cache_neighbour(&n->cache, &l->id, 1, 0, NULL, 0);
    lo5 = pn_pnrp_cache_neighbour(&n->cache, &l->id, -1, PN_PNRP_LEAF_SIDE - 1, NULL, 0);
    hi5 = pn_pnrp_cache_neighbour(&n->cache, &l->id, 1, PN_PNRP_LEAF_SIDE - 1, NULL, 0);
    if (lo != NULL) {
        memcpy(ep.addr, lo->addr, 16);
        ep.port = lo->port;
        p = pending_new(n, now, PN_PNRP_FLOOD, K_REVOKE, (uint16_t)handle, &ep);
        if (p != NULL) {
            p->id = lo->id;
            emit_flood(n, now, p);
        }
    }
    if (hi != NULL && hi != lo) {
        memcpy(ep.addr, hi->addr, 16);
        ep.port = hi->port;
        p = pending_new(n, now, PN_PNRP_FLOOD, K_REVOKE, (uint16_t)handle, &ep);
        if (p != NULL) {
            p->id = hi->id;
            emit_flood(n, now, p);
        }
    }
    /* ... and each edge of the leaf set learns the neighbour across the gap. */
    if (hi != NULL && lo5 != NULL && lo5 != hi) {
        memcpy(ep.addr, hi->addr, 16);
        ep.port = hi->port;
        flood_route(n, now, lo5, &hi->id, &ep, NULL, 0);
    }
    if (lo != NULL && hi5 != NULL && hi5 != lo) {
        memcpy(ep.addr, lo->addr, 16);
        ep.port = lo->port;
        flood_route(n, now, hi5, &lo->id, &ep, NULL, 0);
    }
    {
        size_t i;
        int any = 0;
        for (i = 0; i < PN_PNRP_PENDING_MAX; i++)
            any |= n->pending[i].used && n->pending[i].kind == K_REVOKE &&
                   n->pending[i].ctx == (uint16_t)handle;
        if (!any)
            memset(l, 0, sizeof *l);
    }
    return PN_OK;
}

int pn_pnrp_node_resolve_id(pn_pnrp_node *n, uint64_t now, const pn_pnrp_id *target,
                            uint8_t criteria, uint16_t precision, void *user)
{
    return pn_pnrp_node_resolve_many(n, now, target, criteria, precision, 1, user);
}

int pn_pnrp_node_resolve_many(pn_pnrp_node *n, uint64_t now, const pn_pnrp_id *target,
                              uint8_t criteria, uint16_t precision, uint8_t max_results, void *user)
{
    if (n == NULL || target == NULL)
        return PN_ERR_ARG;
    if (criteria != PN_PNRP_SEARCH_NONE && criteria != PN_PNRP_SEARCH_ANY_PEERNAME &&
        criteria != PN_PNRP_SEARCH_NEAREST_PEERNAME &&
        criteria != PN_PNRP_SEARCH_NEAREST64_PEERNAME && criteria != PN_PNRP_SEARCH_UPPER_BITS)
        return PN_ERR_ARG;
    /* Decision PE-10: application resolves consider the local registrations too. */
    return resolve_start(n, now, target, criteria, precision, PN_PNRP_REASON_APP_REQUEST, NULL, 1,
                         user, max_results);
}

int pn_pnrp_node_resolve(pn_pnrp_node *n, uint64_t now, const char *text, size_t len,
                         uint8_t criteria, uint16_t precision, uint64_t prefix, void *user)
{
    pn_pnrp_name name;
    pn_pnrp_id id;
    uint8_t sl[16];
    int r = pn_pnrp_name_parse(text, len, &name);
    /* 3.1.4.4: the suffix of a resolve is 0x8000000000000000. */
    if (r != PN_OK)
        return r;
    pn_pnrp_service_location(prefix, 0x8000000000000000ull, sl);
    r = pn_pnrp_name_id(&name, sl, &id);
    if (r != PN_OK)
        return r;
    return pn_pnrp_node_resolve_id(n, now, &id, criteria, precision, user);
}

int pn_pnrp_name_target(const char *text, size_t len, uint64_t prefix, pn_pnrp_id *out)
{
    pn_pnrp_name name;
    uint8_t sl[16];
    int r = pn_pnrp_name_parse(text, len, &name);
    if (r != PN_OK)
        return r;
    pn_pnrp_service_location(prefix, 0x8000000000000000ull, sl);
    return pn_pnrp_name_id(&name, sl, out);
}

const pn_pnrp_counters *pn_pnrp_node_counters(const pn_pnrp_node *n)
{
    return &n->ctr;
}

const pn_pnrp_cache *pn_pnrp_node_cache(const pn_pnrp_node *n)
{
    return &n->cache;
}

size_t pn_pnrp_node_memory_used(const pn_pnrp_node *n)
{
    return sizeof *n + n->cache.cap * sizeof n->cache.e[0] + n->out_cap +
           (n->reasm != NULL ? sizeof *n->reasm : 0);
}
