/* Database synchronisation (MS-PPGRH 3.1.7.29-3.1.7.31 and the receive rules of
 * 3.1.5.2.5-3.1.5.2.11): Sync All and time-based sync by record type in priority order,
 * then hash-based sync over ranges of 10 records. */
#include "graph_node_int.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

static const pn_graph_guid max_guid = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

/* MS-PPGRH 3.1.7.29 / 3.1.7.30: Graph Info, then Presence, then every other type. */
static int send_solicit(pn_graph_node *node, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    pn_graph_msg m;
    uint8_t raw[2 * PN_GRAPH_GUID_SIZE];
    memset(&m, 0, sizeof m);
    m.type = c->sync == SYNC_NEW ? PN_GRAPH_SOLICIT_NEW : PN_GRAPH_SOLICIT_TIME;
    m.u.solicit.mod_time = node->left_time;
    m.u.solicit.types.p = raw;
    if (c->sync_stage == 1) {
        pn_graph_guid_put(raw, 0, &pn_graph_type_graph_info);
        m.u.solicit.inclusion = 1;
    } else if (c->sync_stage == 2) {
        pn_graph_guid_put(raw, 0, &pn_graph_type_presence);
        m.u.solicit.inclusion = 1;
    } else {
        pn_graph_guid_put(raw, 0, &pn_graph_type_graph_info);
        pn_graph_guid_put(raw, 1, &pn_graph_type_presence);
        m.u.solicit.exclusion = 2;
    }
    m.u.solicit.types.n = (uint32_t)m.u.solicit.inclusion + m.u.solicit.exclusion;
    return pn_gn_send(node, ci, &m);
}

static void key_of(const pn_graph_node *node, uint32_t pos, uint64_t *mt, pn_graph_guid *id)
{
    const pn_graph_db_entry *e = &node->db.e[pn_graph_db_sorted(&node->db, pos)];
    *mt = e->mod_time;
    *id = e->id;
}

/* MS-PPGRH 3.1.7.31: one HASH_INFO_ENTRY per range, carrying the range's upper key. */
static void hash_start(pn_graph_node *node, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    const pn_graph_db *db = &node->db;
    pn_graph_msg m;
    size_t room = pn_gn_out_free(node, ci);
    uint32_t fit, per = PN_GRAPH_DB_RANGE, p, n = 0;
    if (room > node->cfg.max_msg_bytes)
        room = node->cfg.max_msg_bytes;
    fit = room > 128 ? (uint32_t)((room - 128) / (PN_GRAPH_HASH_INFO_SIZE + 8)) : 0;
    if (fit > PN_GRAPH_MAX_HASH_ENTRIES)
        fit = PN_GRAPH_MAX_HASH_ENTRIES;
    if (fit == 0) {
        c->hash_again = 1; /* retry once the output drains */
        return;
    }
    /* Too many ranges for one message: wider ranges (decision GE-4). */
    if ((db->count + PN_GRAPH_DB_RANGE - 1) / PN_GRAPH_DB_RANGE > fit)
        per = (db->count + fit - 1) / fit;
    c->sync = SYNC_HASH;
    c->hash_rounds++;
    node->ctr.hash_rounds++;
    c->hash_wait_req = 0;
    c->moved = 0;
    for (p = 0; p < db->count; p += per) {
        uint32_t end = db->count - p < per ? db->count : p + per;
        pn_graph_hash_info h;
        pn_graph_db_range_hash(db, p, end, h.hash);
        key_of(node, end - 1, &h.mod_time, &h.id);
        pn_graph_hash_info_put(node->scratch2, n++, &h);
    }
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_SOLICIT_HASH;
    m.u.solicit.hashes.p = node->scratch2;
    m.u.solicit.hashes.n = n;
    if (pn_gn_send(node, ci, &m) != PN_OK) {
        c->sync = SYNC_NONE;
        c->hash_again = 1;
    }
}

void pn_gn_sync_start(pn_graph_node *node, uint64_t now, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    (void)now;
    /* MS-PPGRH 3.1.5.2.2: the node's first link syncs everything (or, with a stored
     * database, what changed since it left); later links use hash sync (GE-10). */
    if (!node->sync_started) {
        node->sync_started = 1;
        c->sync = node->loaded ? SYNC_TIME : SYNC_NEW;
        c->sync_stage = 1;
        c->had_records = node->db.count > 0;
        if (send_solicit(node, ci) != PN_OK)
            pn_gn_close(node, ci, 0);
        return;
    }
    hash_start(node, ci);
}

void pn_gn_sync_done(pn_graph_node *node, uint64_t now, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    int i;
    c->sync = SYNC_NONE;
    node->ctr.syncs_done++;
    pn_gn_event(node, PN_GRAPH_EV_SYNC_DONE, ci, NULL, NULL);
    if (!node->synchronised) {
        node->synchronised = 1;
        pn_gn_event(node, PN_GRAPH_EV_SYNCHRONISED, ci, NULL, NULL);
        /* MS-PPGRH 3.1.4.8 / 3.1.4.9: a joiner listens once synchronised and tells its neighbours
         * where (CONNECT with U). */
        if (!node->listening && node->cfg.n_listen > 0) {
            node->listening = 1;
            for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
                pn_graph_conn *k = node->cptr[i];
                pn_graph_msg m;
                uint8_t raw[2 * PN_GRAPH_IN6_SIZE];
                uint32_t j;
                if (k->state != CS_CONNECTED || k->closing || k->direct)
                    continue;
                memset(&m, 0, sizeof m);
                m.type = PN_GRAPH_CONNECT;
                m.u.connect.flags = PN_GRAPH_CONNECT_UPDATE;
                m.u.connect.node_id = node->node_id;
                for (j = 0; j < node->cfg.n_listen; j++)
                    pn_graph_in6_put(raw, j, &node->cfg.listen[j]);
                m.u.connect.addrs.p = raw;
                m.u.connect.addrs.n = node->cfg.n_listen;
                (void)pn_gn_send(node, i, &m);
            }
        }
    }
    pn_gn_maintenance(node, now, 0);
}

/* End of one hash round at the initiator: send Records To Send, then maybe another
 * round (decision GE-4). */
static void hash_round_end(pn_graph_node *node, uint64_t now, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    uint32_t i, bit = 1u << ci;
    for (i = 0; i < node->db.cap; i++) {
        pn_graph_db_entry *e = &node->db.e[i];
        if (e->tosend & bit) {
            e->tosend = (uint16_t)(e->tosend & ~bit);
            if (e->len != 0) {
                pn_gn_queue_sync(node, ci, i);
                c->moved = 1;
            }
        }
    }
    if (c->moved && c->hash_rounds < PN_GRAPH_HASH_ROUNDS) {
        c->hash_again = 1; /* after the queued FLOODs */
        c->sync = SYNC_NONE;
        return;
    }
    pn_gn_sync_done(node, now, ci);
}

/* Called when a connection's FLOOD queue is empty. */
void pn_gn_sync_idle(pn_graph_node *node, uint64_t now, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    (void)now;
    if (c->sync_end_pending) {
        pn_graph_msg m;
        memset(&m, 0, sizeof m);
        m.type = PN_GRAPH_SYNC_END;
        m.u.sync_end.flags = PN_GRAPH_SYNC_END_FINAL;
        if (pn_gn_send(node, ci, &m) == PN_OK)
            c->sync_end_pending = 0;
        return;
    }
    if (c->hash_again) {
        c->hash_again = 0;
        hash_start(node, ci);
    }
}

/* ---- responder --------------------------------------------------------------------------- */
static int type_listed(const pn_graph_array *types, uint32_t from, uint32_t n,
                       const pn_graph_guid *t)
{
    uint32_t i;
    for (i = from; i < from + n; i++) {
        pn_graph_guid g;
        pn_graph_guid_get(types, i, &g);
        if (pn_graph_guid_eq(&g, t))
            return 1;
    }
    return 0;
}

/* A token bucket of one connection: burst tokens, one more per interval ms.  Takes a
 * token and returns 1, or returns 0 when none is left. */
static int take_token(uint8_t *tokens, uint64_t *at, uint64_t now, uint8_t burst, uint32_t interval)
{
    while (*tokens < burst && now - *at >= interval) {
        (*tokens)++;
        *at += interval;
    }
    if (*tokens == burst)
        *at = now;
    if (*tokens == 0)
        return 0;
    (*tokens)--;
    return 1;
}

/* Decision GE-74: SOLICIT_HASH (a range hash over the whole store) and REQUEST (a FLOOD
 * per listed record) share one bucket per connection, sized for one full hash sync. */
static int hash_allowed(pn_graph_node *node, uint64_t now, int ci)
{
    pn_graph_conn *c = node->cptr[ci];
    if (take_token(&c->hash_tokens, &c->hash_at, now, PN_GRAPH_HASH_BURST,
                   PN_GRAPH_HASH_INTERVAL_MS))
        return 1;
    node->ctr.drop_hash_rate++;
    return 0;
}

/* MS-PPGRH 3.1.5.2.5 / 3.1.5.2.6: every matching record, then SYNC_END (one final
 * SYNC_END for an exclusion list: decision GE-6). */
static void on_solicit(pn_graph_node *node, uint64_t now, int ci, const pn_graph_msg *m)
{
    const pn_graph_solicit *s = &m->u.solicit;
    const pn_graph_db *db = &node->db;
    pn_graph_conn *c = node->cptr[ci];
    uint32_t p;
    /* Decision GE-48: each answer queues the whole store, so a connection gets
     * PN_GRAPH_SOLICIT_BURST of them and one more per PN_GRAPH_SOLICIT_INTERVAL_MS; the
     * rest are dropped unanswered and counted. */
    if (!take_token(&c->sol_tokens, &c->sol_at, now, PN_GRAPH_SOLICIT_BURST,
                    PN_GRAPH_SOLICIT_INTERVAL_MS)) {
        node->ctr.drop_sync_rate++;
        return;
    }
    for (p = 0; p < db->count; p++) {
        uint32_t i = pn_graph_db_sorted(db, p);
        const pn_graph_db_entry *e = &db->e[i];
        if (s->inclusion > 0 && !type_listed(&s->types, 0, s->inclusion, &e->type))
            continue;
        if (s->inclusion == 0 && s->exclusion > 0 &&
            type_listed(&s->types, 0, s->exclusion, &e->type))
            continue;
        if (m->type == PN_GRAPH_SOLICIT_TIME && e->mod_time < s->mod_time)
            continue;
        pn_gn_queue_sync(node, ci, i);
    }
    node->cptr[ci]->sync_end_pending = 1;
}

typedef struct adv_build {
    uint32_t nb, na, max_b, max_a;
    size_t budget, used;
    uint8_t *braw, *araw;
} adv_build;

/* Add one mismatching range; returns 0 when the ADVERTISE is full. */
static int adv_range(pn_graph_node *node, adv_build *ab, uint64_t lo_mt, const pn_graph_guid *lo_id,
                     uint64_t up_mt, const pn_graph_guid *up_id, uint32_t from, uint32_t to)
{
    pn_graph_boundary b;
    uint32_t take = to - from, k, room;
    if (ab->nb == ab->max_b || ab->used + PN_GRAPH_BOUNDARY_SIZE > ab->budget)
        return 0;
    room = (uint32_t)((ab->budget - ab->used - PN_GRAPH_BOUNDARY_SIZE) / PN_GRAPH_ABSTRACT_SIZE);
    if (room > ab->max_a - ab->na)
        room = ab->max_a - ab->na;
    if (take > room) {
        if (room == 0)
            return 0;
        take = room; /* a shortened range ends at its last advertised record */
    }
    b.mod_time_lower = lo_mt;
    b.id_lower = *lo_id;
    b.mod_time_upper = up_mt;
    b.id_upper = *up_id;
    if (take < to - from)
        key_of(node, from + take - 1, &b.mod_time_upper, &b.id_upper);
    b.count = take;
    pn_graph_boundary_put(ab->braw, ab->nb++, &b);
    for (k = 0; k < take; k++) {
        const pn_graph_db_entry *e = &node->db.e[pn_graph_db_sorted(&node->db, from + k)];
        pn_graph_abstract a;
        a.id = e->id;
        a.version = e->version;
        pn_graph_abstract_put(ab->araw, ab->na++, &a);
    }
    ab->used += PN_GRAPH_BOUNDARY_SIZE + (size_t)take * PN_GRAPH_ABSTRACT_SIZE;
    return take == to - from;
}

/* MS-PPGRH 3.1.5.2.7: compare the initiator's range hashes with ours (decision GE-4). */
static int on_solicit_hash(pn_graph_node *node, int ci, const pn_graph_msg *m)
{
    const pn_graph_solicit *s = &m->u.solicit;
    const pn_graph_db *db = &node->db;
    pn_graph_msg out;
    adv_build ab;
    uint64_t lo_mt = 0;
    pn_graph_guid lo_id;
    uint32_t k, pos = 0;
    size_t room = pn_gn_out_free(node, ci);
    if (room > node->cfg.max_msg_bytes)
        room = node->cfg.max_msg_bytes;
    memset(&lo_id, 0, sizeof lo_id);
    memset(&ab, 0, sizeof ab);
    ab.budget = room > 64 ? room - 64 : 0;
    ab.max_b = PN_GRAPH_MAX_HASH_ENTRIES;
    if ((size_t)ab.max_b * PN_GRAPH_BOUNDARY_SIZE > node->cfg.max_msg_bytes / 2)
        ab.max_b = (uint32_t)(node->cfg.max_msg_bytes / 2 / PN_GRAPH_BOUNDARY_SIZE);
    ab.braw = node->scratch2;
    ab.araw = node->scratch2 + (size_t)ab.max_b * PN_GRAPH_BOUNDARY_SIZE;
    ab.max_a = (uint32_t)((node->cfg.max_msg_bytes - (size_t)ab.max_b * PN_GRAPH_BOUNDARY_SIZE) /
                          PN_GRAPH_ABSTRACT_SIZE);
    if (ab.max_a > PN_GRAPH_MAX_ABSTRACTS)
        ab.max_a = PN_GRAPH_MAX_ABSTRACTS;
    for (k = 0; k <= s->hashes.n; k++) {
        pn_graph_hash_info h;
        uint32_t end;
        uint8_t mine[16];
        if (k < s->hashes.n) {
            pn_graph_hash_info_get(&s->hashes, k, &h);
            end = pn_graph_db_rank(db, h.mod_time, &h.id);
            if (end < pos)
                end = pos; /* keys out of order: an empty range */
            pn_graph_db_range_hash(db, pos, end, mine);
            if (memcmp(mine, h.hash, 16) == 0)
                goto next;
        } else {
            h.mod_time = UINT64_MAX;
            h.id = max_guid;
            end = db->count;
            if (pos == end)
                break;
        }
        if (!adv_range(node, &ab, lo_mt, &lo_id, h.mod_time, &h.id, pos, end))
            break;
    next:
        lo_mt = h.mod_time;
        lo_id = h.id;
        pos = end;
    }
    memset(&out, 0, sizeof out);
    out.type = PN_GRAPH_ADVERTISE;
    out.u.advertise.boundaries.p = ab.braw;
    out.u.advertise.boundaries.n = ab.nb;
    out.u.advertise.abstracts.p = ab.araw;
    out.u.advertise.abstracts.n = ab.na;
    return pn_gn_send(node, ci, &out);
}

/* MS-PPGRH 3.1.5.2.9: FLOOD every requested record we hold, then SYNC_END. */
static void on_request(pn_graph_node *node, int ci, const pn_graph_msg *m)
{
    uint32_t i;
    for (i = 0; i < m->u.request.abstracts.n; i++) {
        pn_graph_abstract a;
        int idx;
        pn_graph_abstract_get(&m->u.request.abstracts, i, &a);
        idx = pn_graph_db_find(&node->db, &a.id);
        /* A version already sent on this link is still on its way (the ADVERTISE that made
         * the neighbour ask overtook the queued FLOOD): TCP delivers it first (GE-45). */
        if (idx >= 0)
            pn_gn_queue_sync(node, ci, (uint32_t)idx);
    }
    node->cptr[ci]->sync_end_pending = 1;
}

/* ---- initiator ---------------------------------------------------------------------------- */
/* MS-PPGRH 3.1.5.2.8: request what the responder has newer, remember what we have newer. */
static int on_advertise(pn_graph_node *node, uint64_t now, int ci, const pn_graph_msg *m)
{
    pn_graph_conn *c = node->cptr[ci];
    const pn_graph_advertise *ad = &m->u.advertise;
    const pn_graph_db *db = &node->db;
    uint32_t b, j, ai = 0, nreq = 0, maxreq, bit = 1u << ci;
    size_t room = pn_gn_out_free(node, ci);
    if (c->sync != SYNC_HASH || c->hash_wait_req)
        return PN_OK; /* not waiting for one: ignored */
    if (room > node->cfg.max_msg_bytes)
        room = node->cfg.max_msg_bytes;
    maxreq = room > 128 ? (uint32_t)((room - 128) / PN_GRAPH_ABSTRACT_SIZE) : 0;
    if (maxreq > PN_GRAPH_MAX_ABSTRACTS)
        maxreq = PN_GRAPH_MAX_ABSTRACTS;
    for (b = 0; b < ad->boundaries.n; b++) {
        pn_graph_boundary bd;
        uint32_t p, from, to;
        pn_graph_boundary_get(&ad->boundaries, b, &bd);
        if (bd.count > ad->abstracts.n - ai)
            return PN_ERR_GRAPH_COUNT;
        for (j = ai; j < ai + bd.count; j++) {
            pn_graph_abstract a;
            int idx;
            pn_graph_abstract_get(&ad->abstracts, j, &a);
            idx = pn_graph_db_find(db, &a.id);
            if ((idx < 0 || db->e[idx].version < a.version) && nreq < maxreq)
                pn_graph_abstract_put(node->scratch2, nreq++, &a);
        }
        from = pn_graph_db_rank(db, bd.mod_time_lower, &bd.id_lower);
        to = pn_graph_db_rank(db, bd.mod_time_upper, &bd.id_upper);
        for (p = from; p < to; p++)
            node->db.e[pn_graph_db_sorted(db, p)].tosend |= (uint16_t)bit;
        ai += bd.count;
    }
    /* A range that differs yet shows nothing to move was cut short (the ADVERTISE was
     * full) or changed under way: look again in another round (decision GE-46). */
    if (ad->boundaries.n > 0)
        c->moved = 1;
    /* Not to send: whatever the responder listed at our version or a newer one, in any
     * range (an update moves a record to another range: its old version must not go back;
     * decision GE-44). */
    for (j = 0; j < ai; j++) {
        pn_graph_abstract a;
        int idx;
        pn_graph_abstract_get(&ad->abstracts, j, &a);
        idx = pn_graph_db_find(db, &a.id);
        if (idx >= 0 && node->db.e[idx].version <= a.version)
            node->db.e[idx].tosend = (uint16_t)(node->db.e[idx].tosend & ~bit);
    }
    if (nreq > 0) {
        pn_graph_msg out;
        memset(&out, 0, sizeof out);
        out.type = PN_GRAPH_REQUEST;
        out.u.request.abstracts.p = node->scratch2;
        out.u.request.abstracts.n = nreq;
        if (pn_gn_send(node, ci, &out) != PN_OK)
            return PN_ERR_NOMEM;
        c->hash_wait_req = 1;
        c->moved = 1;
        return PN_OK;
    }
    hash_round_end(node, now, ci);
    return PN_OK;
}

/* MS-PPGRH 3.1.5.2.11 */
static void on_sync_end(pn_graph_node *node, uint64_t now, int ci, const pn_graph_msg *m)
{
    pn_graph_conn *c = node->cptr[ci];
    if (!(m->u.sync_end.flags & PN_GRAPH_SYNC_END_FINAL))
        return;
    if (c->sync == SYNC_NEW || c->sync == SYNC_TIME) {
        if (c->sync_stage < 3) {
            c->sync_stage++;
            if (send_solicit(node, ci) != PN_OK)
                pn_gn_close(node, ci, 0);
            return;
        }
        /* 3.1.7.31: time sync is followed by hash sync; so is Sync All when the node
         * already held records (created while it was alone: decision GE-14), which Sync
         * All alone never sends. */
        if (c->sync == SYNC_TIME || c->had_records) {
            hash_start(node, ci);
            return;
        }
        pn_gn_sync_done(node, now, ci);
        return;
    }
    if (c->sync == SYNC_HASH && c->hash_wait_req) {
        c->hash_wait_req = 0;
        hash_round_end(node, now, ci);
    }
}

int pn_gn_sync_input(pn_graph_node *node, uint64_t now, int ci, const pn_graph_msg *m)
{
    switch (m->type) {
    case PN_GRAPH_SOLICIT_NEW:
    case PN_GRAPH_SOLICIT_TIME:
        on_solicit(node, now, ci, m);
        return PN_OK;
    case PN_GRAPH_SOLICIT_HASH:
        if (!hash_allowed(node, now, ci))
            return PN_OK; /* dropped unanswered (GE-74) */
        return on_solicit_hash(node, ci, m);
    case PN_GRAPH_REQUEST:
        if (hash_allowed(node, now, ci))
            on_request(node, ci, m);
        return PN_OK;
    case PN_GRAPH_ADVERTISE:
        return on_advertise(node, now, ci, m);
    case PN_GRAPH_SYNC_END:
        on_sync_end(node, now, ci, m);
        return PN_OK;
    default:
        return PN_ERR_STATE;
    }
}
