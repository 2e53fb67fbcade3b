/* The graph node's records: peer time (MS-PPGRH 3.1.5.2.2), receiving FLOODs with the
 * validation of 3.1.7.27 and the classification of 3.1.7.32, ACKs and connection
 * utility (3.1.7.33), and the application's add / update / delete (3.1.4.3-3.1.4.5,
 * 3.1.7.2-3.1.7.9). */
#include "graph_node_int.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

/* ---- peer time ------------------------------------------------------------------------ */
void pn_graph_node_set_clock(pn_graph_node *node, uint64_t now, uint64_t utc_ft)
{
    node->clock_mono = now;
    node->clock_utc = utc_ft;
}

static uint64_t utc_at(const pn_graph_node *node, uint64_t now)
{
    uint64_t d = now >= node->clock_mono ? now - node->clock_mono : 0;
    return node->clock_utc + d * 10000u;
}

uint64_t pn_graph_node_peer_time(const pn_graph_node *node, uint64_t now)
{
    return utc_at(node, now) - (uint64_t)node->time_delta;
}

/* Unsigned 64-bit division by 5 with 32-bit operations (no libgcc helper). */
static uint64_t udiv5(uint64_t u)
{
    uint64_t q = 0;
    uint32_t r = 0;
    int s;
    for (s = 48; s >= 0; s -= 16) {
        uint32_t cur = (r << 16) | (uint32_t)((u >> s) & 0xffffu);
        q |= (uint64_t)(cur / 5u) << s;
        r = cur % 5u;
    }
    return q;
}

static int64_t sdiv5(int64_t x)
{
    uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    uint64_t q = udiv5(u);
    return x < 0 ? -(int64_t)q : (int64_t)q;
}

/* MS-PPGRH 3.1.5.2.2: compensate half the round trip, inherit the first neighbour's time,
 * then average 0.8 / 0.2 with later ones inside a 20-minute window (decision GE-8). */
void pn_gn_welcome_time(pn_graph_node *node, uint64_t now, int ci, uint64_t peer_time)
{
    const pn_graph_conn *c = node->cptr[ci];
    uint64_t rtt = now >= c->connect_sent ? now - c->connect_sent : 0;
    uint64_t ptw = peer_time + rtt * 5000u, local, diff;
    int64_t remote = (int64_t)(utc_at(node, now) - ptw);
    if (!node->time_set) {
        node->time_delta = remote;
        node->time_set = 1;
        return;
    }
    local = pn_graph_node_peer_time(node, now);
    diff = ptw > local ? ptw - local : local - ptw;
    if (diff > PT_WINDOW_TICKS)
        return;
    node->time_delta += sdiv5(remote - node->time_delta);
}

/* ---- receiving records ------------------------------------------------------------------ */
static void utility(pn_graph_conn *c, int useful)
{
    /* MS-PPGRH 3.1.7.33: LU = 31/32 LU + (useful ? 128 : 0). */
    c->utility = c->utility - (c->utility >> 5) + (useful ? 128u : 0u);
}

static void ack_push(pn_graph_node *node, uint64_t now, int ci, const pn_graph_guid *id, int useful)
{
    pn_graph_conn *c = node->cptr[ci];
    if (c->n_ack == 0)
        c->ack_due = now + ACK_DELAY_MS;
    if (c->n_ack == PN_GRAPH_ACK_BATCH)
        pn_gn_flush_acks(node, ci);
    if (c->n_ack == PN_GRAPH_ACK_BATCH)
        return; /* output full: an ACK only feeds the sender's utility score */
    memcpy(c->ack_id[c->n_ack], id->b, 16);
    c->ack_useful[c->n_ack] = (uint8_t)useful;
    c->n_ack++;
}

static int str16_eq(const pn_graph_str16 *a, const pn_graph_str16 *b)
{
    return a->count == b->count && memcmp(a->p, b->p, 2 * (size_t)a->count) == 0;
}

static int fixed_id_type(const pn_graph_guid *t)
{
    return pn_graph_guid_eq(t, &pn_graph_type_graph_info) ||
           pn_graph_guid_eq(t, &pn_graph_type_signature);
}

/* MS-PPGRH 3.1.7.27, the checks the record decoder leaves to the engine (decision G-14). */
int pn_gn_record_acceptable(const pn_graph_node *node, const pn_graph_record *rec, uint64_t now_pt)
{
    if (!str16_eq(&rec->graph_id, &node->gid16))
        return 0;
    if (!fixed_id_type(&rec->type) && !pn_graph_record_id_check(&rec->creator_id, &rec->id))
        return 0;
    if (pn_graph_record_check_size(rec, node->max_record_size) != PN_OK)
        return 0;
    return rec->expiration_time > now_pt; /* an expired record is never stored */
}

/* Decision GE-72: a record with a new ID may take a slot only while its publisher holds
 * fewer than PN_GRAPH_PUBLISHER_PERCENT of max_records.  The publisher is the Creator ID,
 * read from the Record ID's first 8 bytes, which pn_gn_record_acceptable has checked are
 * derived from it (GE-3), so counting needs no decoding.  Graph Info and the Signature
 * (fixed IDs, one each) are outside the quota; updates of stored IDs take no new slot.
 * Returns 1 when the record may be stored. */
int pn_gn_publisher_room(const pn_graph_node *node, const pn_graph_record *rec)
{
    const pn_graph_db *db = &node->db;
    uint32_t quota, i, n = 0;
    if (fixed_id_type(&rec->type))
        return 1;
    quota = db->cap / 100u * PN_GRAPH_PUBLISHER_PERCENT +
            db->cap % 100u * PN_GRAPH_PUBLISHER_PERCENT / 100u;
    if (quota == 0)
        quota = 1;
    if (db->count < quota || pn_graph_db_find(db, &rec->id) >= 0)
        return 1;
    for (i = 0; i < db->cap; i++) {
        const pn_graph_db_entry *e = &db->e[i];
        if (e->len != 0 && memcmp(e->id.b, rec->id.b, 8) == 0 && !fixed_id_type(&e->type) &&
            ++n >= quota)
            return 0;
    }
    return 1;
}

void pn_gn_after_store(pn_graph_node *node, int ci, uint32_t idx, int was_known)
{
    pn_graph_db_entry *e = &node->db.e[idx];
    int i;
    /* MS-PPGRH 3.1.5.2.10: a new record goes to every neighbour but its sender. */
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++) {
        const pn_graph_conn *c = node->cptr[i];
        if (i != ci && c->state == CS_CONNECTED && !c->closing && !c->direct)
            pn_gn_queue(node, i, idx);
    }
    if (pn_graph_guid_eq(&e->type, &pn_graph_type_graph_info) &&
        !(e->flags & PN_GRAPH_RECORD_DELETED)) {
        pn_graph_record r;
        pn_graph_info gi;
        pn_graph_err err;
        if (pn_graph_db_get(&node->db, idx, &r) == PN_OK &&
            pn_graph_info_decode(r.payload, r.payload_len, NULL, &gi, &err) == PN_OK)
            node->max_record_size = gi.max_record_size;
    }
    pn_gn_internal_changed(node, &e->type); /* graph_internal.c acts at the next tick */
    if (!(e->flags & PN_GRAPH_RECORD_DELETED) &&
        (pn_graph_guid_eq(&e->type, &pn_graph_type_contact) ||
         pn_graph_guid_eq(&e->type, &pn_graph_type_presence)))
        pn_gn_maintenance_lists_grew(node); /* GE-60 */
    pn_gn_event(node,
                (e->flags & PN_GRAPH_RECORD_DELETED) ? PN_GRAPH_EV_RECORD_DELETED
                : was_known                          ? PN_GRAPH_EV_RECORD_UPDATED
                                                     : PN_GRAPH_EV_RECORD_ADDED,
                ci, &e->id, &e->type);
}

int pn_gn_flood_in(pn_graph_node *node, uint64_t now, int ci, const pn_graph_msg *m)
{
    pn_graph_conn *c = node->cptr[ci];
    const pn_graph_record *rec = &m->u.flood.rec;
    const pn_graph_security *sec = node->cfg.security;
    uint32_t idx;
    int known, r;
    node->ctr.floods_in++;
    if (!pn_gn_record_acceptable(node, rec, pn_graph_node_peer_time(node, now)) ||
        !pn_gn_internal_accept(node, rec)) {
        node->ctr.drop_invalid_record++;
        utility(c, 0);
        ack_push(node, now, ci, &rec->id, 0);
        return PN_OK; /* 3.1.7.27: silently discarded */
    }
    if (sec != NULL && sec->validate_record != NULL) {
        int v = sec->validate_record(sec->ctx, rec);
        if (v != PN_GRAPH_VALID) {
            /* Deferred: held apart, never stored unvalidated (decision GE-42). */
            if (v == PN_GRAPH_DEFER) {
                node->ctr.drop_deferred++;
                pn_gn_defer_add(node, now, node->in_msg + 12, node->in_len - 12, rec);
            } else
                node->ctr.drop_invalid_record++;
            utility(c, 0);
            ack_push(node, now, ci, &rec->id, 0);
            return PN_OK;
        }
    }
    known = pn_graph_db_find(&node->db, &rec->id) >= 0;
    if (!known && !pn_gn_publisher_room(node, rec)) {
        node->ctr.drop_publisher_quota++;
        utility(c, 0);
        ack_push(node, now, ci, &rec->id, 0);
        return PN_OK;
    }
    r = pn_graph_db_offer(&node->db, node->in_msg + 12, node->in_len - 12, rec, &idx);
    if (r < 0) {
        if (r == PN_ERR_NOMEM)
            node->ctr.drop_store_full++;
        else
            node->ctr.drop_invalid_record++;
        utility(c, 0);
        ack_push(node, now, ci, &rec->id, 0);
        return PN_OK;
    }
    node->db.e[idx].receipts++;
    if (r != PN_GRAPH_DB_OLD) /* the sender holds this very version (GE-45) */
        node->db.e[idx].sent |= (uint16_t)(1u << ci);
    if (r == PN_GRAPH_DB_NEW) {
        node->ctr.floods_new++;
        pn_gn_after_store(node, ci, idx, known);
    } else if (r == PN_GRAPH_DB_OLD) {
        node->ctr.floods_old++;
        pn_gn_queue(node, ci, idx); /* the sender gets our newer copy */
    } else {
        node->ctr.floods_same++;
    }
    utility(c, r == PN_GRAPH_DB_NEW);
    ack_push(node, now, ci, &rec->id, r == PN_GRAPH_DB_NEW);
    return PN_OK;
}

void pn_gn_ack_in(pn_graph_node *node, int ci, const pn_graph_msg *m)
{
    uint32_t i;
    for (i = 0; i < m->u.ack.acks.n; i++) {
        pn_graph_ack_entry a;
        pn_graph_ack_get(&m->u.ack.acks, i, &a);
        utility(node->cptr[ci], (a.flags & PN_GRAPH_ACK_USEFUL) != 0);
        node->ctr.acks_in++;
    }
}

/* ---- local records ---------------------------------------------------------------------- */
/* Secure (provider), encode, store and flood a record built locally. */
int pn_gn_publish(pn_graph_node *node, pn_graph_record *rec, uint32_t *idx_out)
{
    const pn_graph_security *sec = node->cfg.security;
    uint8_t sd[256];
    size_t needed;
    pn_graph_record view;
    pn_graph_err err;
    uint32_t idx;
    int n, r, known;
    if (sec != NULL && sec->secure_record != NULL) {
        n = sec->secure_record(sec->ctx, rec, sd, sizeof sd);
        if (n < 0)
            return n;
        rec->security = n > 0 ? sd : NULL;
        rec->security_len = (uint32_t)n;
    }
    n = pn_graph_record_encode(rec, node->decbuf, node->cfg.max_msg_bytes, &needed);
    if (n < 0)
        return n == PN_ERR_BUFSIZE ? PN_ERR_GRAPH_TOO_BIG : n;
    r = pn_graph_record_decode(node->decbuf, (size_t)n, &view, &err);
    if (r != PN_OK)
        return r;
    r = pn_graph_record_check_size(&view, node->max_record_size);
    if (r != PN_OK)
        return r;
    known = pn_graph_db_find(&node->db, &view.id) >= 0;
    r = pn_graph_db_offer(&node->db, node->decbuf, (size_t)n, &view, &idx);
    if (r < 0)
        return r;
    if (r != PN_GRAPH_DB_NEW)
        return PN_ERR_STATE;
    pn_gn_after_store(node, -1, idx, known);
    if (idx_out != NULL)
        *idx_out = idx;
    return PN_OK;
}

int pn_graph_node_add(pn_graph_node *node, uint64_t now, const pn_graph_guid *type,
                      const uint8_t *payload, size_t len, uint32_t lifetime_s, pn_graph_guid *id)
{
    pn_graph_record rec;
    pn_graph_guid rnd;
    uint64_t pt = pn_graph_node_peer_time(node, now);
    int r;
    /* MS-PPGRH 3.1.4.3: application types only, a future expiration. */
    if (node == NULL || type == NULL || pn_graph_record_type_is_internal(type) || lifetime_s == 0 ||
        (payload == NULL && len != 0) || len > 0xffffffffu)
        return PN_ERR_ARG;
    memset(&rec, 0, sizeof rec);
    pn_drbg_generate(&node->drbg, rnd.b, 16, NULL, 0);
    pn_graph_record_id_make(&node->pid16, &rnd, &rec.id);
    rec.type = *type;
    rec.version = 1;
    rec.creator_id = node->pid16;
    rec.creation_time = pt;
    rec.modification_time = pt;
    rec.expiration_time = pt + (uint64_t)lifetime_s * SEC_TICKS;
    rec.graph_id = node->gid16;
    rec.payload = payload;
    rec.payload_len = (uint32_t)len;
    r = pn_gn_publish(node, &rec, NULL);
    if (r == PN_OK && id != NULL)
        *id = rec.id;
    return r;
}

/* MS-PPGRH 3.1.7.8 / 3.1.7.9: a new version of a stored record by this node. */
static int modify(pn_graph_node *node, uint64_t now, const pn_graph_guid *id,
                  const uint8_t *payload, size_t len, uint32_t lifetime_s, int del)
{
    pn_graph_record old, rec;
    uint64_t pt = pn_graph_node_peer_time(node, now), exp;
    int i = pn_graph_db_find(&node->db, id);
    if (i < 0)
        return PN_ERR_NOTFOUND;
    if (pn_graph_db_get(&node->db, (uint32_t)i, &old) != PN_OK)
        return PN_ERR_STATE;
    if ((old.flags & PN_GRAPH_RECORD_DELETED) || pn_graph_record_type_is_internal(&old.type))
        return PN_ERR_STATE;
    rec = old;
    rec.version = old.version + 1;
    if (rec.version == 0)
        return PN_ERR_RANGE;
    /* The modification must come after creation and the previous modification. */
    rec.modification_time = pt > old.modification_time ? pt : old.modification_time + 1;
    rec.last_modified_by = node->pid16;
    rec.security = NULL;
    rec.security_len = 0;
    exp = rec.modification_time + (uint64_t)lifetime_s * SEC_TICKS;
    if (exp < old.expiration_time)
        exp = old.expiration_time; /* expiration may only be extended */
    if (exp <= rec.modification_time)
        exp = rec.modification_time + SEC_TICKS;
    rec.expiration_time = exp;
    if (del) {
        rec.flags = PN_GRAPH_RECORD_DELETED;
        rec.payload = NULL;
        rec.payload_len = 0;
        rec.attributes.p = NULL;
        rec.attributes.count = 0;
    } else {
        rec.payload = payload;
        rec.payload_len = (uint32_t)len;
    }
    /* rec still points into the slot: publish encodes it before the slot changes. */
    return pn_gn_publish(node, &rec, NULL);
}

int pn_graph_node_update(pn_graph_node *node, uint64_t now, const pn_graph_guid *id,
                         const uint8_t *payload, size_t len, uint32_t lifetime_s)
{
    if (node == NULL || id == NULL || (payload == NULL && len != 0) || len > 0xffffffffu)
        return PN_ERR_ARG;
    return modify(node, now, id, payload, len, lifetime_s, 0);
}

int pn_graph_node_delete(pn_graph_node *node, uint64_t now, const pn_graph_guid *id)
{
    if (node == NULL || id == NULL)
        return PN_ERR_ARG;
    return modify(node, now, id, NULL, 0, 0, 1);
}

/* ---- persistence ------------------------------------------------------------------------ */
int pn_graph_node_save(pn_graph_node *node, uint64_t now, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_graph_db_meta meta;
    meta.left_time = pn_graph_node_peer_time(node, now);
    meta.time_delta = node->time_delta;
    return pn_graph_db_serialise(&node->db, &meta, buf, cap, needed);
}

int pn_graph_node_load(pn_graph_node *node, const uint8_t *buf, size_t len)
{
    pn_graph_db_meta meta;
    int i, r;
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++)
        if (node->cptr[i]->state != CS_FREE)
            return PN_ERR_STATE;
    if (node->sync_started)
        return PN_ERR_STATE;
    r = pn_graph_db_load(&node->db, buf, len, &meta);
    if (r != PN_OK)
        return r;
    node->left_time = meta.left_time;
    node->time_delta = meta.time_delta;
    node->time_set = 1;
    node->loaded = 1;
    pn_gn_internal_loaded(node); /* 3.1.4.2 */
    return PN_OK;
}
