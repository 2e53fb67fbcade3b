/* Deferred records (MS-PPGRH 3.1.1 Deferred Record List, 3.1.4.10, 3.1.7.28; decision
 * GE-42) and autorefresh (3.1.6.8, 3.1.7.22; decision GE-41). */
#include "graph_node_int.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

#define REFRESH_MIN_MS   4000u /* MS-PPGRH 3.1.6.8: the timer never fires sooner than 4 s */
#define REFRESH_AHEAD    (20u * SEC_TICKS) /* 3.1.7.22: refresh within 20 s of expiry */
#define REFRESH_DEFAULT  (300u * SEC_TICKS)
#define DEFER_MAX_AGE_MS 600000u /* a deferred record still undecided after 10 min goes */

/* ---- deferred records ------------------------------------------------------------------ */
static uint8_t *slot(pn_graph_node *node, uint32_t i)
{
    return node->deferred + (size_t)i * node->cfg.slot_bytes;
}

int pn_graph_node_deferred(const pn_graph_node *node)
{
    int n = 0;
    uint32_t i;
    for (i = 0; i < PN_GRAPH_MAX_DEFERRED; i++)
        n += node->deferred_len[i] != 0;
    return n;
}

void pn_gn_defer_add(pn_graph_node *node, uint64_t now, const uint8_t *enc, size_t len,
                     const pn_graph_record *rec)
{
    uint32_t i, pick = PN_GRAPH_MAX_DEFERRED;
    if (len > node->cfg.slot_bytes || len == 0) {
        node->ctr.deferred_dropped++;
        return;
    }
    for (i = 0; i < PN_GRAPH_MAX_DEFERRED; i++) {
        pn_graph_record held;
        pn_graph_err err;
        if (node->deferred_len[i] == 0 ||
            pn_graph_record_decode(slot(node, i), node->deferred_len[i], &held, &err) != PN_OK ||
            !pn_graph_guid_eq(&held.id, &rec->id))
            continue;
        /* One entry per Record ID: the winner of the conflict rules stays. */
        if (pn_graph_record_compare(rec, &held) <= 0) {
            node->ctr.deferred_dropped++;
            return;
        }
        pick = i;
        break;
    }
    for (i = 0; pick == PN_GRAPH_MAX_DEFERRED && i < PN_GRAPH_MAX_DEFERRED; i++)
        if (node->deferred_len[i] == 0)
            pick = i;
    if (pick == PN_GRAPH_MAX_DEFERRED) {
        /* Full: the oldest entry goes (bounded: one peer cannot pin the list). */
        pick = 0;
        for (i = 1; i < PN_GRAPH_MAX_DEFERRED; i++)
            if (node->deferred_since[i] < node->deferred_since[pick])
                pick = i;
        node->ctr.deferred_dropped++;
    } else if (node->deferred_len[pick] != 0) {
        node->ctr.deferred_dropped++; /* the older version it replaces */
    }
    memcpy(slot(node, pick), enc, len);
    node->deferred_len[pick] = (uint32_t)len;
    node->deferred_since[pick] = now;
    node->ctr.deferred_held++;
}

/* Re-process entry i as if it had just arrived in a FLOOD (3.1.4.10); returns 1 when it
 * was stored. */
static int reprocess(pn_graph_node *node, uint64_t now, uint32_t i)
{
    const pn_graph_security *sec = node->cfg.security;
    pn_graph_record rec;
    pn_graph_err err;
    uint32_t idx;
    int v, r, known, stored = 0;
    size_t len = node->deferred_len[i];
    if (pn_graph_record_decode(slot(node, i), len, &rec, &err) != PN_OK ||
        !pn_gn_record_acceptable(node, &rec, pn_graph_node_peer_time(node, now)) ||
        !pn_gn_internal_accept(node, &rec)) {
        v = PN_GRAPH_INVALID; /* expired meanwhile, or the graph changed */
    } else {
        v = sec != NULL && sec->validate_record != NULL ? sec->validate_record(sec->ctx, &rec)
                                                        : PN_GRAPH_VALID;
    }
    if (v == PN_GRAPH_DEFER && now - node->deferred_since[i] < DEFER_MAX_AGE_MS)
        return 0; /* still undecided: kept */
    if (v == PN_GRAPH_VALID) {
        known = pn_graph_db_find(&node->db, &rec.id) >= 0;
        if (!known && !pn_gn_publisher_room(node, &rec))
            r = PN_ERR_REFUSED; /* GE-72 */
        else
            r = pn_graph_db_offer(&node->db, slot(node, i), len, &rec, &idx);
        if (r == PN_GRAPH_DB_NEW) {
            pn_gn_after_store(node, -1, idx, known);
            stored = 1;
        }
        if (r == PN_ERR_NOMEM)
            node->ctr.drop_store_full++;
        if (r == PN_ERR_REFUSED)
            node->ctr.drop_publisher_quota++;
    }
    if (stored)
        node->ctr.deferred_stored++;
    else
        node->ctr.deferred_dropped++;
    node->deferred_len[i] = 0;
    return stored;
}

int pn_graph_node_revalidate(pn_graph_node *node, uint64_t now)
{
    uint32_t i;
    int n = 0;
    if (node == NULL)
        return PN_ERR_ARG;
    for (i = 0; i < PN_GRAPH_MAX_DEFERRED; i++)
        if (node->deferred_len[i] != 0)
            n += reprocess(node, now, i);
    return n;
}

/* ---- autorefresh ----------------------------------------------------------------------- */
static int owned(const pn_graph_node *node, const pn_graph_record *rec)
{
    const pn_graph_str16 *who =
        rec->last_modified_by.count ? &rec->last_modified_by : &rec->creator_id;
    return who->count == node->pid16.count &&
           memcmp(who->p, node->pid16.p, 2 * (size_t)who->count) == 0;
}

int pn_graph_node_set_autorefresh(pn_graph_node *node, uint64_t now, const pn_graph_guid *id,
                                  int on)
{
    pn_graph_record rec;
    int i;
    if (node == NULL || id == NULL)
        return PN_ERR_ARG;
    i = pn_graph_db_find(&node->db, id);
    if (i < 0)
        return PN_ERR_NOTFOUND;
    if (pn_graph_db_get(&node->db, (uint32_t)i, &rec) != PN_OK)
        return PN_ERR_STATE;
    /* Internal records are refreshed by graph_internal.c (GE-37); marking them here too
     * would refresh them twice. */
    if (on && ((rec.flags & PN_GRAPH_RECORD_DELETED) || !owned(node, &rec) ||
               pn_graph_record_type_is_internal(&rec.type)))
        return PN_ERR_STATE;
    node->db.e[i].autorefresh = on ? 1 : 0;
    if (on && node->refresh_at > now + REFRESH_MIN_MS)
        node->refresh_at = now + REFRESH_MIN_MS;
    return PN_OK;
}

/* 3.1.7.22: an otherwise identical record with a new Last Modification Time and the same
 * lifetime from now (300 s when it had none); a new version by this node (3.1.7.8), so
 * that it wins everywhere. */
static void refresh_one(pn_graph_node *node, uint64_t pt, uint32_t i)
{
    pn_graph_record old, rec;
    uint64_t life;
    if (pn_graph_db_get(&node->db, i, &old) != PN_OK || old.version == UINT32_MAX)
        return;
    rec = old;
    rec.version = old.version + 1;
    rec.modification_time = pt > old.modification_time ? pt : old.modification_time + 1;
    life = old.expiration_time > old.modification_time ? old.expiration_time - old.modification_time
                                                       : REFRESH_DEFAULT;
    rec.expiration_time = rec.modification_time + life;
    rec.last_modified_by = node->pid16;
    rec.security = NULL;
    rec.security_len = 0;
    if (pn_gn_publish(node, &rec, NULL) == PN_OK)
        node->ctr.autorefreshed++;
}

void pn_gn_autorefresh(pn_graph_node *node, uint64_t now)
{
    uint64_t pt = pn_graph_node_peer_time(node, now);
    uint32_t i;
    int any = 0;
    for (i = 0; i < node->db.cap; i++) {
        const pn_graph_db_entry *e = &node->db.e[i];
        if (e->len == 0 || !e->autorefresh || (e->flags & PN_GRAPH_RECORD_DELETED))
            continue;
        any = 1;
        if (e->exp_time <= pt + REFRESH_AHEAD)
            refresh_one(node, pt, i);
    }
    node->refresh_at = any ? now + REFRESH_MIN_MS : UINT64_MAX;
}
