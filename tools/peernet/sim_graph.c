/* `peernet sim graph`: Peer Graphing nodes on the simulator's TCP.
 *
 * Node 0 creates the graph; node i boots at i x JOIN_MS and connects to a random earlier
 * node; the graph engine finds more neighbours through referrals.  Once everyone has
 * joined, R records are published round robin by the nodes, one every PUB_GAP_MS.  The
 * run reports when every node holds all R records, the messages and bytes spent per
 * record, how often one node received one record, and whether every database is
 * identical (a SHA-256 digest per node over the application records: the internal
 * Signature, Contact and Presence records are refreshed by their publishers at times of
 * their own, so a snapshot of whole databases may catch one in flight; decision GE-39).
 * Every node publishes its presence (Max Presence Records -1).
 *
 * --partition lets the internal records settle (PART_SETTLE_MS: a signature record and
 * contact records exist), splits the nodes in two halves while records are published,
 * and heals the network afterwards.  Nothing in the driver reconnects the halves: only
 * Graphing's partition detection (a contact whose signature differs from the signature
 * record, MS-PPGRH 3.1.7.13) does, so a run converges only if it works.
 * --no-internal turns the internal records off (the run then stays split).  When a
 * contact asks for long-term repair (PN_GRAPH_EV_WANT_CONNECTION, at graph maintenance),
 * the driver connects it to a random node, as an application's discovery would.
 *
 * With --crash every node saves its database to its storage through the store
 * (pn_graph_store: two checksummed copies) at most once a second, plus a second per MB of
 * database, when it changed (without --crash nothing reopens a database, and hashing
 * whole images was most of a large run's time).  --crash K kills K nodes at random moments while
 * records are published and restarts them 2 s later with their storage: each reloads its image
 * (which must load, holding at least what it held at its last save), rejoins and catches up by
 * time-based and hash sync.
 *
 * --newsletter: node 0 (the creator) publishes all R issues, and once they have spread
 * it is crashed and never restarted (offline for good).  The last node stays out until
 * then and joins through one of the remaining subscribers; the run checks that it
 * receives every issue, which only synchronisation with the other subscribers can give
 * it (MS-PPGRH 3.1.7.29). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "peernet/graph.h"
#include "peernet/hash.h"
#include "peernet/sim.h"
#include "peernet/wire.h"
#include "sim_graph.h"

#define GRAPH_PORT     3587
#define JOIN_MS        150
#define PUB_GAP_MS     5
#define SETTLE_MS      3000
#define PEND_BYTES     4096
#define REC_PAYLOAD    96
#define SAVE_MS        1000
#define RETRY_MS       5000
#define DOWN_MS        2000
#define DB_BLOB        "graphdb"
#define PART_SETTLE_MS 200000 /* --partition: contact timers are at most 180 s */
#define PART_WAIT_MS   1200000
#define PART_HOLD_MS   150000 /* --partition: the halves stay apart this long after publishing */

static const pn_graph_guid sim_type =
    PN_GRAPH_GUID(0x5e5e0001, 0x7a11, 0x4c0d, 0x9e, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01);

/* A passive parser of one connection's streams (frames, then message headers), to count
 * the bytes of each message type on the links that heal a partition. */
struct stream_tap {
    uint8_t fsz[2], hdr[6];
    uint32_t fhave, frame_left, hhave;
    uint64_t msg_left;
    /* a FLOOD's fixed part and the start of its record: type, ID, version */
    uint8_t fl[48];
    uint32_t flhave;
    uint64_t flsize;
};

struct link_tap {
    struct stream_tap st[2]; /* 0: sent, 1: received */
    int counting;
    const pn_graph_node *end[2]; /* the receiving node for each direction */
    int rci;                     /* the remote end's connection index, -1: not found */
    pn_graph_conn_stats s0[2];   /* both ends' counters when the link opened */
    uint32_t missing_records, floods, dup_floods, dup_dir[2];
    uint64_t missing_bytes, flood_bytes, hash_bytes, other_bytes, dup_bytes;
    uint64_t sync_floods, sync_bytes; /* FLOODs a synchronisation asked for (GE-62) */
};

struct gscen;

/* Internal records on top of the application's: signature, contacts, presences. */
static uint32_t db_cap(const struct graph_opts *o)
{
    /* A newsletter's one publisher may hold only PN_GRAPH_PUBLISHER_PERCENT of a store
     * (decision GE-72): its subscribers size theirs for that. */
    if (o->newsletter)
        return (uint32_t)((uint64_t)o->records * 100u / PN_GRAPH_PUBLISHER_PERCENT) + 2 * o->nodes +
               32;
    return o->records + 2 * o->nodes + 32;
}

static uint32_t app_count(const pn_graph_db *db)
{
    uint32_t pos = 0, n = 0;
    while (pn_graph_db_next(db, &pos, &sim_type) >= 0)
        n++;
    return n;
}

/* SHA-256 over the application records in hash-sync order. */
static void app_digest(const pn_graph_db *db, uint8_t out[32])
{
    pn_sha256_ctx c;
    uint32_t p;
    pn_sha256_init(&c);
    for (p = 0; p < db->count; p++) {
        uint32_t i = pn_graph_db_sorted(db, p);
        size_t len;
        const uint8_t *b;
        if (!pn_graph_guid_eq(&db->e[i].type, &sim_type))
            continue;
        b = pn_graph_db_bytes(db, i, &len);
        pn_sha256_update(&c, b, len);
    }
    pn_sha256_final(&c, out);
}

struct gapp {
    struct gscen *sc;
    uint32_t self;
    pn_graph_node node;
    void *mem;
    size_t mem_len;
    int lsn, joined;
    int sock[PN_GRAPH_MAX_CONNS];
    uint8_t pend[PN_GRAPH_MAX_CONNS][PEND_BYTES];
    size_t pend_len[PN_GRAPH_MAX_CONNS], pend_off[PN_GRAPH_MAX_CONNS];
    uint64_t join_at;
    uint32_t next_pub; /* index among this node's records */
    uint32_t failures;
    /* persistence: survives crashes (the observer's view) */
    pn_graph_store store; /* two checksummed copies (GE-40) */
    uint64_t saved_changes, last_save;
    uint32_t saved_count, starts, reloads, reload_failures, reload_lost;
    uint64_t retry_at;                      /* bootstrap again while isolated */
    uint32_t saved_next_pub;                /* next_pub at the last save */
    uint32_t unsaved_from, unsaved_to, hit; /* own records not saved when it crashed */
    int want_repair; /* PN_GRAPH_EV_WANT_CONNECTION seen (long-term partition repair) */
    uint32_t links;  /* neighbour links held during the run */
    struct link_tap tap[PN_GRAPH_MAX_CONNS];
    uint8_t initiated[PN_GRAPH_MAX_CONNS]; /* this node opened connection ci */
    char peer_id[24]; /* each node its own identity: the publisher share counts them (GE-72) */
};

/* Totals over the hash syncs of links opened after the heal (--partition). */
struct heal_stats {
    uint32_t links, missing_records, floods, dup_floods;
    uint64_t missing_bytes, flood_bytes, hash_bytes, other_bytes, dup_bytes;
    uint64_t sync_floods, sync_bytes;
    double worst_ratio;      /* the highest FLOOD bytes / missing bytes of one link */
    double worst_sync_ratio; /* the same for the FLOODs the sync asked for */
    struct heal_link link[HEAL_LINKS_KEPT];
};

struct gscen {
    pn_sim *sim;
    const struct graph_opts *o;
    struct gapp *apps;
    uint64_t pub_start;
    uint8_t *img;
    size_t img_cap;
    int publisher_gone;    /* newsletter: node 0 crashed for good */
    uint64_t late_join_at; /* newsletter: when the late subscriber joins */
    int healed;
    struct heal_stats heal;
};

static uint32_t rnd32(pn_platform *pf)
{
    uint8_t b[4];
    pf->random(pf->ctx, b, sizeof b);
    return pn_get_u32le(b);
}

static void to_in6(const pn_addr *a, pn_graph_in6 *g)
{
    memset(g, 0, sizeof *g);
    memcpy(g->addr, a->ip, 16);
    g->port = a->port;
}

static void from_in6(const pn_graph_in6 *g, pn_addr *a)
{
    memset(a, 0, sizeof *a);
    a->family = PN_AF_INET6;
    memcpy(a->ip, g->addr, 16);
    a->port = g->port;
}

static void tap_count(struct link_tap *t, uint8_t type, uint64_t size)
{
    if (!t->counting)
        return;
    switch (type) {
    case PN_GRAPH_FLOOD:
        t->flood_bytes += size;
        t->floods++;
        break;
    case PN_GRAPH_SOLICIT_HASH:
    case PN_GRAPH_ADVERTISE:
    case PN_GRAPH_REQUEST:
    case PN_GRAPH_SYNC_END:
        t->hash_bytes += size;
        break;
    default:
        t->other_bytes += size;
        break;
    }
}

/* A FLOOD on a measured link carrying a version its receiver already holds (judged when
 * it leaves the sender, or when it reaches the receiver): bytes a perfect sync would not
 * have sent. */
static void tap_flood_seen(struct link_tap *t, int dir, const struct stream_tap *s)
{
    pn_graph_array a;
    pn_graph_guid id;
    int i;
    const pn_graph_node *rx = t->end[dir];
    if (rx == NULL)
        return;
    a.p = s->fl + 12 + 16; /* the fixed part, then the record's type GUID */
    a.n = 1;
    a.off = 0;
    pn_graph_guid_get(&a, 0, &id);
    i = pn_graph_db_find(&rx->db, &id);
    if (i >= 0 && rx->db.e[i].version >= pn_get_u32be(s->fl + 12 + 32)) {
        t->dup_floods++;
        t->dup_bytes += s->flsize;
        t->dup_dir[dir]++;
    }
}

static void tap_feed(struct link_tap *t, int dir, const uint8_t *p, size_t len)
{
    struct stream_tap *s = &t->st[dir];
    while (len > 0) {
        if (s->frame_left == 0) {
            s->fsz[s->fhave++] = *p++;
            len--;
            if (s->fhave == 2) {
                s->fhave = 0;
                s->frame_left = pn_get_u16be(s->fsz);
            }
            continue;
        }
        if (s->msg_left == 0) { /* a message header */
            s->hdr[s->hhave++] = *p++;
            len--;
            s->frame_left--;
            if (s->hhave == 6) {
                uint64_t size = pn_get_u32be(s->hdr);
                s->hhave = 0;
                tap_count(t, s->hdr[5], size);
                s->msg_left = size > 6 ? size - 6 : 0;
                s->flhave = 0;
                if (t->counting && s->hdr[5] == PN_GRAPH_FLOOD && size >= sizeof s->fl) {
                    memcpy(s->fl, s->hdr, 6);
                    s->flhave = 6;
                    s->flsize = size;
                }
            }
            continue;
        }
        {
            uint64_t n = len;
            if (n > s->frame_left)
                n = s->frame_left;
            if (n > s->msg_left)
                n = s->msg_left;
            if (s->flhave > 0 && s->flhave < sizeof s->fl) {
                uint32_t take = (uint32_t)sizeof s->fl - s->flhave;
                if (take > n)
                    take = (uint32_t)n;
                memcpy(s->fl + s->flhave, p, take);
                s->flhave += take;
                if (s->flhave == sizeof s->fl)
                    tap_flood_seen(t, dir, s);
            }
            p += n;
            len -= (size_t)n;
            s->frame_left -= (uint32_t)n;
            s->msg_left -= n;
        }
    }
}

/* Records one database holds that the other lacks (or holds older), and their bytes. */
static void db_missing(const pn_graph_db *a, const pn_graph_db *b, uint32_t *n, uint64_t *bytes)
{
    uint32_t pos = 0;
    int i;
    while ((i = pn_graph_db_next(a, &pos, NULL)) >= 0) {
        int j = pn_graph_db_find(b, &a->e[i].id);
        if (j < 0 || b->e[j].version < a->e[i].version) {
            (*n)++;
            *bytes += a->e[i].len;
        }
    }
}

static void tap_stop(struct gapp *a, int ci)
{
    struct link_tap *t = &a->tap[ci];
    struct heal_stats *h = &a->sc->heal;
    if (!t->counting)
        return;
    t->counting = 0;
    {
        pn_graph_conn_stats st;
        if (pn_graph_node_conn_stats(&a->node, ci, &st) == PN_OK) {
            t->sync_floods += st.sync_floods_out - t->s0[0].sync_floods_out;
            t->sync_bytes += st.sync_flood_bytes_out - t->s0[0].sync_flood_bytes_out;
        }
        if (t->rci >= 0 && pn_graph_node_conn_stats(t->end[0], t->rci, &st) == PN_OK &&
            st.remote_node == a->node.node_id) {
            t->sync_floods += st.sync_floods_out - t->s0[1].sync_floods_out;
            t->sync_bytes += st.sync_flood_bytes_out - t->s0[1].sync_flood_bytes_out;
        }
    }
    h->links++;
    h->missing_records += t->missing_records;
    h->missing_bytes += t->missing_bytes;
    h->floods += t->floods;
    h->flood_bytes += t->flood_bytes;
    h->hash_bytes += t->hash_bytes;
    h->other_bytes += t->other_bytes;
    if (t->missing_bytes > 0 && (double)t->flood_bytes / (double)t->missing_bytes > h->worst_ratio)
        h->worst_ratio = (double)t->flood_bytes / (double)t->missing_bytes;
    h->dup_floods += t->dup_floods;
    h->dup_bytes += t->dup_bytes;
    h->sync_floods += t->sync_floods;
    h->sync_bytes += t->sync_bytes;
    if (t->missing_bytes > 0 &&
        (double)t->sync_bytes / (double)t->missing_bytes > h->worst_sync_ratio)
        h->worst_sync_ratio = (double)t->sync_bytes / (double)t->missing_bytes;
    if (h->links <= HEAL_LINKS_KEPT) {
        struct heal_link *l = &h->link[h->links - 1];
        l->node = a->self;
        l->missing_records = t->missing_records;
        l->floods = t->floods;
        l->dup_floods = t->dup_floods;
        l->dup_from_initiator = t->dup_dir[0];
        l->missing_bytes = t->missing_bytes;
        l->flood_bytes = t->flood_bytes;
        l->dup_bytes = t->dup_bytes;
        l->hash_bytes = t->hash_bytes;
        l->sync_floods = t->sync_floods;
        l->sync_bytes = t->sync_bytes;
    }
}

static void g_event(void *ctx, const pn_graph_event *ev)
{
    struct gapp *a = (struct gapp *)ctx;
    struct gscen *sc = a->sc;
    if (ev->type == PN_GRAPH_EV_WANT_CONNECTION)
        a->want_repair = 1;
    if (ev->type == PN_GRAPH_EV_NEIGHBOUR_JOINED) {
        a->links++;
        /* A link opened after the heal by this node (the initiator, which runs the hash
         * sync): count from here until its SYNC_DONE. */
        if (sc->healed && ev->conn >= 0 && a->initiated[ev->conn]) {
            struct link_tap *t = &a->tap[ev->conn];
            uint32_t j;
            int k;
            for (j = 0; j < sc->o->nodes; j++)
                if (sc->apps[j].node.node_id == ev->node_id && j != a->self)
                    break;
            if (j < sc->o->nodes) {
                memset(&t->missing_records, 0,
                       sizeof *t - offsetof(struct link_tap, missing_records));
                t->counting = 1;
                t->end[0] = &sc->apps[j].node;
                t->end[1] = &a->node;
                (void)pn_graph_node_conn_stats(&a->node, ev->conn, &t->s0[0]);
                t->rci = -1;
                for (k = 0; k < PN_GRAPH_MAX_CONNS; k++) {
                    pn_graph_conn_stats st;
                    if (pn_graph_node_conn_stats(&sc->apps[j].node, k, &st) == PN_OK &&
                        st.remote_node == a->node.node_id && !st.direct) {
                        t->rci = k;
                        t->s0[1] = st;
                    }
                }
                db_missing(&a->node.db, &sc->apps[j].node.db, &t->missing_records,
                           &t->missing_bytes);
                db_missing(&sc->apps[j].node.db, &a->node.db, &t->missing_records,
                           &t->missing_bytes);
            }
        }
    }
    if ((ev->type == PN_GRAPH_EV_SYNC_DONE || ev->type == PN_GRAPH_EV_NEIGHBOUR_LEFT) &&
        ev->conn >= 0)
        tap_stop(a, ev->conn);
}

/* Records a reopened database keeps: all but Presence, Signature and Contact, which
 * MS-PPGRH 3.1.4.2 leaves out of a loaded database (GE-54). */
static uint32_t kept_on_load(const pn_graph_db *db)
{
    uint32_t pos = 0, n = 0;
    int i;
    while ((i = pn_graph_db_next(db, &pos, NULL)) >= 0)
        n += !pn_graph_guid_eq(&db->e[i].type, &pn_graph_type_presence) &&
             !pn_graph_guid_eq(&db->e[i].type, &pn_graph_type_signature) &&
             !pn_graph_guid_eq(&db->e[i].type, &pn_graph_type_contact);
    return n;
}

static void g_start(void *app, pn_platform *pf)
{
    struct gapp *a = (struct gapp *)app;
    const struct graph_opts *o = a->sc->o;
    pn_graph_node_config c;
    pn_addr me;
    uint64_t ft;
    int i;
    memset(&c, 0, sizeof c);
    c.graph_id = "sim-graph";
    snprintf(a->peer_id, sizeof a->peer_id, "sim-peer-%u", (unsigned)a->self);
    c.peer_id = a->peer_id;
    c.creator = a->self == 0;
    c.max_records = db_cap(o);
    c.max_presence = 0xFFFFFFFFu;
    c.no_internal_records = o->no_internal;
    c.event = g_event;
    c.event_ctx = a;
    c.slot_bytes = 512;
    c.conn_out_bytes = 32768;
    c.max_msg_bytes = 32768;
    pf->random(pf->ctx, c.seed, sizeof c.seed);
    pn_sim_node_addr(a->sc->sim, a->self, GRAPH_PORT, &me);
    to_in6(&me, &c.listen[0]);
    c.n_listen = 1;
    c.event = g_event;
    c.event_ctx = a;
    if (pn_graph_node_init(&a->node, &c, a->mem, a->mem_len) != PN_OK) {
        a->failures++;
        return;
    }
    if (pn_graph_unix_ms_to_filetime(pf->wall_ms(pf->ctx), &ft) != PN_OK)
        a->failures++;
    pn_graph_node_set_clock(&a->node, pf->now_ms(pf->ctx), ft);
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++)
        a->sock[i] = -1;
    a->lsn = pf->tcp_listen(pf->ctx, &me);
    if (a->lsn < 0)
        a->failures++;
    a->join_at = (uint64_t)a->self * JOIN_MS;
    if (a->sc->o->newsletter && a->self == a->sc->o->nodes - 1)
        a->join_at = a->sc->late_join_at;
    a->joined = a->self == 0;
    a->starts++;
    a->saved_changes = 0;
    a->last_save = pf->now_ms(pf->ctx);
    if (a->starts > 1) {
        /* A restart: reopen the stored database and rejoin at once.  Records this node
         * published after its last save may have died with it, if no neighbour had
         * acknowledged them yet. */
        a->hit = 1;
        a->unsaved_from = a->saved_next_pub;
        a->unsaved_to = a->next_pub;
        int n;
        a->join_at = pf->now_ms(pf->ctx) + 10;
        a->joined = 0;
        a->reloads++;
        n = pn_graph_store_init(&a->store, pf, DB_BLOB, a->sc->img, a->sc->img_cap);
        if (n == PN_OK)
            n = pn_graph_store_load_node(&a->store, &a->node);
        if (n != PN_OK && !(n == PN_ERR_NOTFOUND && a->saved_count == 0))
            a->reload_failures++;
        else if (kept_on_load(&a->node.db) < a->saved_count)
            a->reload_lost++;
    } else if (pn_graph_store_init(&a->store, pf, DB_BLOB, a->sc->img, a->sc->img_cap) != PN_OK) {
        a->failures++;
    }
}

/* Saving rewrites (and checksums) the whole image: once a second, plus a second per MB of
 * database, so that a large run does not spend its time hashing images. */
static uint64_t save_gap(const struct gapp *a)
{
    return SAVE_MS + (uint64_t)a->node.db.count * 512u / 1000000u * 1000u;
}

static uint64_t changes(const struct gapp *a)
{
    return a->node.ctr.floods_new + a->next_pub;
}

/* The storage-backed database (pn_graph_store): two checksummed copies. */
static void save(struct gapp *a, uint64_t now)
{
    int n;
    if (a->sc->o->crash == 0 || changes(a) == a->saved_changes || now < a->last_save + save_gap(a))
        return;
    n = pn_graph_store_save_node(&a->store, &a->node, now);
    if (n != PN_OK) {
        a->failures++;
        return;
    }
    a->saved_changes = changes(a);
    a->saved_count = kept_on_load(&a->node.db);
    a->saved_next_pub = a->next_pub;
    a->last_save = now;
}

static int open_conn(struct gapp *a, pn_platform *pf, uint64_t now, const pn_graph_in6 *to)
{
    pn_addr addr;
    int s, ci;
    from_in6(to, &addr);
    s = pf->tcp_connect(pf->ctx, &addr);
    if (s < 0)
        return -1;
    ci = pn_graph_node_conn_open(&a->node, now, 1, to);
    if (ci < 0) {
        pf->sock_close(pf->ctx, s);
        return -1;
    }
    a->sock[ci] = s;
    a->pend_len[ci] = a->pend_off[ci] = 0;
    a->initiated[ci] = 1;
    return ci;
}

static void drop_conn(struct gapp *a, pn_platform *pf, uint64_t now, int ci, int engine_knows)
{
    tap_stop(a, ci);
    memset(&a->tap[ci], 0, sizeof a->tap[ci]);
    pf->sock_close(pf->ctx, a->sock[ci]);
    a->sock[ci] = -1;
    a->pend_len[ci] = a->pend_off[ci] = 0;
    if (!engine_knows)
        pn_graph_node_conn_closed(&a->node, now, ci);
}

/* Send what the engine has for one connection; keeps what TCP does not take. */
static void flush(struct gapp *a, pn_platform *pf, uint64_t now, int ci)
{
    for (;;) {
        int n;
        if (a->pend_off[ci] < a->pend_len[ci]) {
            n = pf->tcp_send(pf->ctx, a->sock[ci], a->pend[ci] + a->pend_off[ci],
                             a->pend_len[ci] - a->pend_off[ci]);
            if (n == PN_ERR_WOULDBLOCK)
                return;
            if (n < 0) {
                drop_conn(a, pf, now, ci, 0);
                return;
            }
            a->pend_off[ci] += (size_t)n;
            if (a->pend_off[ci] < a->pend_len[ci])
                return;
        }
        n = pn_graph_node_poll_conn(&a->node, now, ci, a->pend[ci], PEND_BYTES);
        if (n > 0 && a->sc->o->partition)
            tap_feed(&a->tap[ci], 0, a->pend[ci], (size_t)n);
        a->pend_off[ci] = 0;
        a->pend_len[ci] = n > 0 ? (size_t)n : 0;
        if (n <= 0)
            return;
    }
}

static void publish(struct gapp *a, uint64_t now)
{
    const struct graph_opts *o = a->sc->o;
    uint32_t nodes = o->newsletter ? 1 : o->nodes;
    if (o->newsletter && a->self != 0)
        return;
    for (;;) {
        uint32_t k = a->next_pub * nodes + a->self; /* global record number */
        uint8_t payload[REC_PAYLOAD];
        uint32_t i;
        if (k >= o->records || now < a->sc->pub_start + (uint64_t)k * PUB_GAP_MS)
            return;
        for (i = 0; i < REC_PAYLOAD; i++)
            payload[i] = (uint8_t)('a' + (k * 7u + i) % 26u);
        pn_put_u32be(payload, k);
        if (pn_graph_node_add(&a->node, now, &sim_type, payload, sizeof payload, 86400, NULL) !=
            PN_OK)
            a->failures++;
        a->next_pub++;
    }
}

static uint64_t g_run(void *app, pn_platform *pf, uint64_t now)
{
    struct gapp *a = (struct gapp *)app;
    const struct graph_opts *o = a->sc->o;
    uint8_t buf[4096];
    uint64_t next;
    pn_graph_in6 to;
    int s, ci, pending = 0;
    pn_addr peer;
    if (a->lsn < 0)
        return UINT64_MAX;
    while ((s = pf->tcp_accept(pf->ctx, a->lsn, &peer)) >= 0) {
        to_in6(&peer, &to); /* the node limits the slots one host may hold (GE-70) */
        ci = pn_graph_node_conn_open(&a->node, now, 0, &to);
        if (ci < 0) {
            pf->sock_close(pf->ctx, s);
            continue;
        }
        a->sock[ci] = s;
        a->pend_len[ci] = a->pend_off[ci] = 0;
        a->initiated[ci] = 0;
    }
    /* Graphing has no discovery: an isolated node's application supplies another
     * address every RETRY_MS (as a PNRP lookup would). */
    if (a->joined && a->self != 0 && pn_graph_node_neighbours(&a->node) == 0) {
        if (a->retry_at == 0)
            a->retry_at = now + RETRY_MS;
        if (now >= a->retry_at) {
            a->joined = 0;
            a->join_at = now;
            a->retry_at = 0;
        }
    } else {
        a->retry_at = 0;
    }
    if (!a->joined && now >= a->join_at) {
        pn_addr boot;
        uint32_t t = rnd32(pf) % (a->starts > 1 || now > a->self * JOIN_MS ? o->nodes : a->self);
        a->joined = 1;
        if (t == a->self)
            t = (t + 1) % o->nodes;
        if (o->newsletter && a->sc->publisher_gone) /* among the remaining subscribers */
            t = 1 + rnd32(pf) % (o->nodes - 2);
        pn_sim_node_addr(a->sc->sim, t, GRAPH_PORT, &boot);
        to_in6(&boot, &to);
        open_conn(a, pf, now, &to);
    }
    if (a->want_repair) {
        /* MS-PPGRH 3.1.7.15: a contact asks for one more connection; the application's
         * discovery (a PNRP lookup in Grouping) finds it some member of the graph. */
        pn_addr other;
        uint32_t t = rnd32(pf) % o->nodes;
        a->want_repair = 0;
        if (t == a->self)
            t = (t + 1) % o->nodes;
        pn_sim_node_addr(a->sc->sim, t, GRAPH_PORT, &other);
        to_in6(&other, &to);
        open_conn(a, pf, now, &to);
    }
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++) {
        while (a->sock[ci] >= 0) {
            int n = pf->tcp_recv(pf->ctx, a->sock[ci], buf, sizeof buf);
            if (n == PN_ERR_WOULDBLOCK)
                break;
            if (n <= 0) {
                drop_conn(a, pf, now, ci, 0);
                break;
            }
            if (o->partition)
                tap_feed(&a->tap[ci], 1, buf, (size_t)n);
            pn_graph_node_input(&a->node, now, ci, buf, (size_t)n);
        }
    }
    if (pn_graph_node_next_deadline(&a->node) <= now)
        pn_graph_node_tick(&a->node, now);
    publish(a, now);
    save(a, now);
    while (pn_graph_node_poll_connect(&a->node, &to))
        open_conn(a, pf, now, &to);
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++)
        if (a->sock[ci] >= 0)
            flush(a, pf, now, ci);
    while ((ci = pn_graph_node_poll_close(&a->node)) >= 0)
        if (a->sock[ci] >= 0)
            drop_conn(a, pf, now, ci, 1);
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++)
        pending |= a->sock[ci] >= 0 && a->pend_off[ci] < a->pend_len[ci];
    next = pn_graph_node_next_deadline(&a->node);
    if (pending && now + 5 < next)
        next = now + 5; /* blocked sends: try again when the window has moved */
    if (!a->joined && a->join_at < next)
        next = a->join_at;
    if (a->retry_at != 0 && a->retry_at < next)
        next = a->retry_at;
    if (!o->newsletter || a->self == 0) {
        uint64_t k = o->newsletter ? a->next_pub : (uint64_t)a->next_pub * o->nodes + a->self;
        if (k < o->records && a->sc->pub_start + k * PUB_GAP_MS < next)
            next = a->sc->pub_start + k * PUB_GAP_MS;
    }
    if (o->crash > 0 && changes(a) != a->saved_changes && a->last_save + save_gap(a) < next)
        next = a->last_save + save_gap(a);
    return next;
}

static const pn_sim_app_ops graph_ops = {g_start, g_run};

static void pcap_fw(void *ctx, const uint8_t *buf, size_t len)
{
    if (fwrite(buf, 1, len, (FILE *)ctx) != len)
        fprintf(stderr, "peernet sim: capture write failed\n");
}

/* Converged: every node holds the same records, and the only records missing are ones
 * whose publisher crashed before saving them (never acknowledged by anyone).  Counts are
 * compared first; digests only when they agree. */
static uint32_t may_be_lost(const struct gscen *sc)
{
    uint32_t i, n = 0;
    for (i = 0; i < sc->o->nodes; i++)
        if (sc->apps[i].hit)
            n += sc->apps[i].unsaved_to - sc->apps[i].unsaved_from;
    return n;
}

static int all_have(const struct gscen *sc)
{
    uint32_t i, c0 = app_count(&sc->apps[0].node.db);
    uint8_t d0[32], d[32];
    if (c0 > sc->o->records || c0 + may_be_lost(sc) < sc->o->records)
        return 0;
    for (i = 1; i < sc->o->nodes; i++)
        if (app_count(&sc->apps[i].node.db) != c0)
            return 0;
    if (c0 == sc->o->records)
        return 1;
    app_digest(&sc->apps[0].node.db, d0);
    for (i = 1; i < sc->o->nodes; i++) {
        app_digest(&sc->apps[i].node.db, d);
        if (memcmp(d, d0, 32) != 0)
            return 0;
    }
    return 1;
}

/* Connected components of the neighbour graph (union-find over node indexes). */
static uint32_t find_root(uint32_t *up, uint32_t x)
{
    while (up[x] != x)
        x = up[x] = up[up[x]];
    return x;
}

static uint32_t components(const struct gscen *sc)
{
    uint32_t n = sc->o->nodes, i, j, c = 0;
    uint32_t *up = (uint32_t *)malloc((size_t)n * sizeof *up);
    if (up == NULL)
        return 0;
    for (i = 0; i < n; i++)
        up[i] = i;
    for (i = 0; i < n; i++) {
        uint64_t ids[PN_GRAPH_MAX_CONNS];
        int k, m = pn_graph_node_neighbour_ids(&sc->apps[i].node, ids, PN_GRAPH_MAX_CONNS);
        for (k = 0; k < m; k++)
            for (j = 0; j < n; j++)
                if (sc->apps[j].node.node_id == ids[k])
                    up[find_root(up, i)] = find_root(up, j);
    }
    for (i = 0; i < n; i++)
        c += find_root(up, i) == i;
    free(up);
    return c;
}

static int has_k(const pn_graph_db *db, uint32_t k)
{
    uint32_t pos = 0;
    int i;
    while ((i = pn_graph_db_next(db, &pos, &sim_type)) >= 0) {
        pn_graph_record r;
        if (pn_graph_db_get(db, (uint32_t)i, &r) == PN_OK && r.payload_len >= 4 &&
            pn_get_u32be(r.payload) == k)
            return 1;
    }
    return 0;
}

/* Records missing from node 0 that were not in a crashed publisher's unsaved window. */
static uint32_t unexplained_missing(const struct gscen *sc, uint32_t *lost)
{
    const pn_graph_db *db = &sc->apps[0].node.db;
    uint8_t *have = (uint8_t *)calloc(sc->o->records, 1);
    uint32_t pos = 0, k, bad = 0;
    int i;
    *lost = 0;
    if (have == NULL)
        return sc->o->records;
    while ((i = pn_graph_db_next(db, &pos, &sim_type)) >= 0) {
        pn_graph_record r;
        if (pn_graph_db_get(db, (uint32_t)i, &r) == PN_OK && r.payload_len >= 4) {
            k = pn_get_u32be(r.payload);
            if (k < sc->o->records)
                have[k] = 1;
        }
    }
    for (k = 0; k < sc->o->records; k++) {
        const struct gapp *a = &sc->apps[k % sc->o->nodes];
        uint32_t own = k / sc->o->nodes;
        if (have[k])
            continue;
        if (a->hit && own >= a->unsaved_from && own < a->unsaved_to)
            (*lost)++;
        else
            bad++;
        if (getenv("PN_SIM_GRAPH_DEBUG") != NULL)
            fprintf(stderr,
                    "missing k=%u publisher %u own %u hit %u window [%u,%u) next_pub %u "
                    "publisher holds %u records (this one: %d), failures %u\n",
                    k, k % sc->o->nodes, own, a->hit, a->unsaved_from, a->unsaved_to, a->next_pub,
                    a->node.db.count, has_k(&a->node.db, k), a->failures);
    }
    free(have);
    return bad;
}

int pn_sim_graph_run(const struct graph_opts *o, struct graph_result *r)
{
    pn_sim_config cfg;
    struct gscen sc;
    pn_graph_node_config nc;
    FILE *pcap = NULL;
    void *simmem;
    size_t need, node_need;
    uint32_t i;
    uint64_t pub_end, deadline, t;
    uint8_t first[32];
    double t0;
    memset(r, 0, sizeof *r);
    memset(&sc, 0, sizeof sc);
    pn_sim_config_default(&cfg, o->nodes);
    cfg.seed = o->seed;
    cfg.sockets_per_node = PN_GRAPH_MAX_CONNS + 4;
    cfg.tcp_conns = o->nodes * 6 + 64;
    cfg.tcp_buffer = 16384;
    cfg.net.latency_ms = 20;
    cfg.net.jitter_ms = 5;
    cfg.net.loss_ppm = (uint32_t)(o->loss * 1e6 + 0.5);
    sc.img_cap = (size_t)db_cap(o) * (512 + 4) + 128 + PN_GRAPH_STORE_HDR;
    cfg.storage_blobs = 2;
    cfg.storage_blob_max = sc.img_cap > (1u << 24) ? (1u << 24) : (uint32_t)sc.img_cap;
    if (o->crash == 0)
        cfg.storage_blob_max = 4096; /* nothing is saved without --crash */
    if (o->pcap != NULL) {
        pcap = fopen(o->pcap, "wb");
        if (pcap == NULL) {
            fprintf(stderr, "peernet sim: %s: %s\n", o->pcap, strerror(errno));
            return -1;
        }
        cfg.pcap_write = pcap_fw;
        cfg.pcap_ctx = pcap;
    }
    need = pn_sim_memory_size(&cfg);
    memset(&nc, 0, sizeof nc);
    nc.graph_id = "sim-graph";
    nc.peer_id = "sim-peer";
    nc.max_records = db_cap(o);
    nc.slot_bytes = 512;
    nc.conn_out_bytes = 32768;
    nc.max_msg_bytes = 32768;
    nc.n_listen = 1;
    node_need = pn_graph_node_memory_size(&nc);
    simmem = need ? malloc(need) : NULL;
    sc.img = (uint8_t *)malloc(sc.img_cap);
    sc.apps = (struct gapp *)calloc(o->nodes, sizeof *sc.apps);
    if (simmem == NULL || sc.apps == NULL || sc.img == NULL || node_need == 0 ||
        pn_sim_init(&sc.sim, &cfg, simmem, need) != PN_OK) {
        fprintf(stderr, "peernet sim: cannot set up %u graph nodes\n", o->nodes);
        free(simmem);
        free(sc.apps);
        if (pcap)
            fclose(pcap);
        return -1;
    }
    sc.o = o;
    sc.pub_start = (uint64_t)o->nodes * JOIN_MS + SETTLE_MS;
    if (o->partition)
        sc.pub_start += PART_SETTLE_MS;
    /* newsletter: the publisher goes at pub_end + SETTLE_MS, the late node 500 ms later */
    sc.late_join_at = sc.pub_start + (uint64_t)o->records * PUB_GAP_MS + SETTLE_MS + 500;
    r->memory = need + (size_t)o->nodes * node_need;
    for (i = 0; i < o->nodes; i++) {
        sc.apps[i].sc = &sc;
        sc.apps[i].self = i;
        sc.apps[i].mem_len = node_need;
        sc.apps[i].mem = malloc(node_need);
        if (sc.apps[i].mem == NULL) {
            fprintf(stderr, "peernet sim: out of memory\n");
            return -1;
        }
    }
    t0 = pn_bench_now();
    for (i = 0; i < o->nodes; i++)
        pn_sim_add_node(sc.sim, &graph_ops, &sc.apps[i]);
    pub_end = sc.pub_start + (uint64_t)o->records * PUB_GAP_MS;
    if (o->crash > 0) {
        /* Victims and moments drawn from the seed: distinct nodes other than the creator,
         * killed while records are published, back DOWN_MS later. */
        uint64_t x = o->seed ^ 0x9E3779B97F4A7C15ull;
        uint32_t *who = (uint32_t *)calloc(o->crash, sizeof *who), k, j;
        uint64_t *when = (uint64_t *)calloc(o->crash, sizeof *when);
        if (who == NULL || when == NULL)
            return -1;
        for (k = 0; k < o->crash; k++) {
            do {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                who[k] = 1 + (uint32_t)((x >> 33) % (o->nodes - 1));
                for (j = 0; j < k && who[j] != who[k]; j++)
                    ;
            } while (j < k);
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            when[k] = sc.pub_start + (x >> 33) % ((uint64_t)o->records * PUB_GAP_MS + 1);
        }
        for (k = 0; k < o->crash; k++) { /* in time order */
            uint32_t m = k;
            for (j = k + 1; j < o->crash; j++)
                if (when[j] < when[m])
                    m = j;
            x = when[k], when[k] = when[m], when[m] = x;
            j = who[k], who[k] = who[m], who[m] = j;
        }
        for (k = 0; k < o->crash; k++) {
            pn_sim_run(sc.sim, when[k], 0);
            if (pn_sim_crash(sc.sim, who[k]) == PN_OK)
                r->crashes++;
        }
        pn_sim_run(sc.sim, when[o->crash - 1] + DOWN_MS, 0);
        for (k = 0; k < o->crash; k++)
            pn_sim_restart(sc.sim, who[k], 1);
        free(who);
        free(when);
    }
    if (o->newsletter) {
        pn_sim_run(sc.sim, pub_end + SETTLE_MS, 0);
        if (pn_sim_crash(sc.sim, 0) == PN_OK)
            r->crashes++;
        sc.publisher_gone = 1;
        pub_end = sc.late_join_at; /* convergence is judged from the late join on */
    }
    if (o->partition) {
        pn_sim_run(sc.sim, sc.pub_start, 0);
        for (i = o->nodes / 2; i < o->nodes; i++)
            pn_sim_partition(sc.sim, i, 1);
        pn_sim_run(sc.sim, pub_end + PART_HOLD_MS, 0);
        pn_sim_heal(sc.sim);
        sc.healed = 1;
    }
    deadline = pub_end + o->max_wait_ms;
    r->converged = 0;
    for (t = pn_sim_now(sc.sim); t < deadline;) {
        t += 100;
        pn_sim_run(sc.sim, t, 0);
        if (t >= pub_end && all_have(&sc)) {
            r->converged = 1;
            r->convergence_ms = t - (o->newsletter ? sc.late_join_at : sc.pub_start);
            break;
        }
    }
    pn_sim_run(sc.sim, pn_sim_now(sc.sim) + SETTLE_MS, 0); /* let ACKs and syncs finish */
    r->wall_s = pn_bench_now() - t0;
    r->virtual_ms = pn_sim_now(sc.sim);
    pn_sim_get_counters(sc.sim, PN_SIM_ALL, &r->c);
    r->distinct_digests = 0;
    for (i = 0; i < o->nodes; i++) {
        const pn_graph_node *n = &sc.apps[i].node;
        uint8_t d[32];
        uint32_t k;
        int nb = pn_graph_node_neighbours(n);
        uint32_t cnt = app_count(&n->db);
        app_digest(&n->db, d);
        if (i == 0) {
            memcpy(first, d, 32);
            memcpy(r->digest0, d, 32);
            r->distinct_digests = 1;
        } else if (memcmp(first, d, 32) != 0) {
            r->distinct_digests = 2; /* counted exactly below */
        }
        r->msgs += n->ctr.msgs_out;
        r->bytes += n->ctr.bytes_out;
        r->floods += n->ctr.floods_out;
        r->failures += sc.apps[i].failures;
        r->reloads += sc.apps[i].reloads;
        r->reload_failures += sc.apps[i].reload_failures;
        r->reload_lost += sc.apps[i].reload_lost;
        r->invalid += n->ctr.drop_invalid_record + n->ctr.drop_store_full;
        /* Neighbour counts of the live nodes only (a node crashed for good keeps the
         * state it had when it died). */
        if (pn_sim_node_up(sc.sim, i)) {
            if (nb > r->max_neighbours)
                r->max_neighbours = nb;
            if (r->live_nodes == 0 || nb < r->min_neighbours)
                r->min_neighbours = nb;
            r->neighbour_sum += (uint64_t)nb;
            r->live_nodes++;
            if (nb < PN_GRAPH_MIN_NEIGHBOURS)
                r->below_min_neighbours++;
            if (nb < PN_GRAPH_MIN_NEIGHBOURS && getenv("PN_SIM_GRAPH_DEBUG") != NULL)
                fprintf(stderr, "node %u ends with %d neighbours (%u links during the run)\n", i,
                        nb, sc.apps[i].links);
        }
        {
            uint32_t mine = 0;
            for (k = 0; k < n->db.cap; k++) {
                const pn_graph_db_entry *e = &n->db.e[k];
                /* Application records only: the receipts of an entry add up over its
                 * versions, and internal records get a new version at every refresh. */
                if (e->len != 0 && e->receipts > mine && pn_graph_guid_eq(&e->type, &sim_type))
                    mine = e->receipts;
            }
            if (mine > r->max_receipts)
                r->max_receipts = mine;
            r->receipts_over_links += mine > sc.apps[i].links;
            if (mine > sc.apps[i].links && getenv("PN_SIM_GRAPH_DEBUG") != NULL)
                fprintf(stderr, "node %u: a record arrived %u times over %u neighbour links\n", i,
                        mine, sc.apps[i].links);
            r->receipts_over_final += mine > (uint32_t)nb;
        }
        if (cnt != app_count(&sc.apps[0].node.db))
            r->incomplete++;
        if (i == 0 || cnt < r->min_records)
            r->min_records = cnt;
        if (cnt > r->max_records)
            r->max_records = cnt;
        r->partitions_detected += n->in.partitions_detected;
        r->repair_connects += n->in.repair_connects;
        r->presences += (uint32_t)pn_graph_node_presence(n, NULL, 0);
        {
            uint64_t sg;
            int own;
            r->contacts += (uint32_t)pn_graph_node_contacts(n, &own);
            r->have_signature += (uint32_t)pn_graph_node_signature(n, &sg);
        }
    }
    if (getenv("PN_SIM_GRAPH_DEBUG") != NULL) {
        for (i = 0; i < o->nodes; i++) {
            const pn_graph_node *n = &sc.apps[i].node;
            uint8_t d[32];
            uint64_t sg;
            int own = 0, ncontacts = pn_graph_node_contacts(n, &own);
            pn_graph_db_digest(&n->db, d);
            fprintf(stderr,
                    "node %u: %u records digest %02x%02x nb %d syncs %llu rounds %llu started %d "
                    "synchronised %d starts %u loaded %d id %016llx signature %016llx contacts %d "
                    "(own %d) partition-timer hits %u\n",
                    i, n->db.count, d[0], d[1], pn_graph_node_neighbours(n),
                    (unsigned long long)n->ctr.syncs_done, (unsigned long long)n->ctr.hash_rounds,
                    n->sync_started, n->synchronised, sc.apps[i].starts, n->loaded,
                    (unsigned long long)n->node_id,
                    (unsigned long long)(pn_graph_node_signature(n, &sg) ? sg : 0), ncontacts, own,
                    n->in.partitions_detected);
        }
    }
    r->missing_unexplained = unexplained_missing(&sc, &r->lost_unsaved);
    if (o->newsletter) {
        uint32_t k;
        for (k = 0; k < o->records; k++)
            r->late_missing += !has_k(&sc.apps[o->nodes - 1].node.db, k);
        if (r->late_missing > 0)
            r->converged = 0;
    }
    r->components = components(&sc);
    if (o->partition) {
        r->heal_measured = 1;
        r->heal_links = sc.heal.links;
        r->heal_missing_records = sc.heal.missing_records;
        r->heal_missing_bytes = sc.heal.missing_bytes;
        r->heal_flood_bytes = sc.heal.flood_bytes;
        r->heal_floods = sc.heal.floods;
        r->heal_hash_bytes = sc.heal.hash_bytes;
        r->heal_other_bytes = sc.heal.other_bytes;
        r->heal_worst_ratio = sc.heal.worst_ratio;
        r->heal_dup_floods = sc.heal.dup_floods;
        r->heal_dup_bytes = sc.heal.dup_bytes;
        r->heal_sync_floods = sc.heal.sync_floods;
        r->heal_sync_bytes = sc.heal.sync_bytes;
        r->heal_worst_sync_ratio = sc.heal.worst_sync_ratio;
        memcpy(r->heal_link, sc.heal.link, sizeof r->heal_link);
    }
    if (r->missing_unexplained > 0)
        r->converged = 0;
    if (r->distinct_digests > 1) {
        /* Count distinct digests (quadratic, only when they differ). */
        uint8_t(*ds)[32] = (uint8_t(*)[32])malloc((size_t)o->nodes * 32);
        uint32_t j, distinct = 0;
        if (ds != NULL) {
            for (i = 0; i < o->nodes; i++) {
                app_digest(&sc.apps[i].node.db, ds[i]);
                for (j = 0; j < i && memcmp(ds[i], ds[j], 32) != 0; j++)
                    ;
                distinct += j == i;
            }
            r->distinct_digests = distinct;
            free(ds);
        }
    }
    for (i = 0; i < o->nodes; i++)
        free(sc.apps[i].mem);
    free(sc.apps);
    free(simmem);
    free(sc.img);
    if (pcap != NULL && fclose(pcap) != 0)
        return -1;
    return 0;
}

static void hex32(const uint8_t d[32], char out[65])
{
    static const char h[] = "0123456789abcdef";
    int i;
    for (i = 0; i < 32; i++) {
        out[2 * i] = h[d[i] >> 4];
        out[2 * i + 1] = h[d[i] & 15];
    }
    out[64] = 0;
}

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

/* Issue #6: after a heal, hash sync sends at most twice the missing records' bytes (plus
 * the hash exchange): the FLOODs each link's sync asked for, link by link, and all FLOODs
 * on the healing links together. */
static int heal_within_target(const struct graph_result *r)
{
    return r->heal_worst_sync_ratio <= 2.0 && r->heal_flood_bytes <= 2 * r->heal_missing_bytes;
}

static double nb_mean(const struct graph_result *r)
{
    return r->live_nodes ? (double)r->neighbour_sum / r->live_nodes : 0.0;
}

void pn_sim_graph_print(const struct graph_opts *o, const struct graph_result *r)
{
    double per = o->records ? 1.0 / (double)o->records : 0.0;
    char dg[65];
    hex32(r->digest0, dg);
    if (o->json) {
        printf("{\"scenario\":\"graph\",\"nodes\":%u,\"records\":%u,\"seed\":%llu,\"loss\":%.6f,"
               "\"partition\":%s,\"converged\":%s,\"distinct_digests\":%u,\"incomplete_nodes\":%u,"
               "\"digest\":\"%s\",\"msgs_per_record\":%.3f,\"bytes_per_record\":%.1f,"
               "\"tcp_bytes_per_record\":%.1f,\"floods_per_record\":%.3f,"
               "\"max_receipts_per_record_per_node\":%u,\"receipts_over_links_nodes\":%u,"
               "\"receipts_over_final_neighbours_nodes\":%u,\"neighbours\":{\"min\":%d,\"max\":%d,"
               "\"avg\":%.2f},\"neighbours_min\":%d,\"neighbours_mean\":%.2f,"
               "\"neighbours_max\":%d,\"nodes_below_min_neighbours\":%u,\"convergence_sim_"
               "seconds\":%.3f,\"virtual_ms\":%llu,"
               "\"wall_seconds\":%.3f,\"memory_bytes\":%zu,\"tcp_resets\":%llu,"
               "\"crashes\":%u,\"reloads\":%u,\"reload_failures\":%u,\"reload_lost\":%u,"
               "\"lost_unsaved_records\":%u,\"missing_records\":%u,\"components\":%u,",
               o->nodes, o->records, (unsigned long long)o->seed, o->loss,
               o->partition ? "true" : "false", r->converged ? "true" : "false",
               r->distinct_digests, r->incomplete, dg, (double)r->msgs * per,
               (double)r->bytes * per, (double)r->c.tcp_bytes * per, (double)r->floods * per,
               r->max_receipts, r->receipts_over_links, r->receipts_over_final, r->min_neighbours,
               r->max_neighbours, nb_mean(r), r->min_neighbours, nb_mean(r), r->max_neighbours,
               r->below_min_neighbours, r->converged ? (double)r->convergence_ms / 1000.0 : -1.0,
               (unsigned long long)r->virtual_ms, r->wall_s, r->memory,
               (unsigned long long)r->c.tcp_resets, r->crashes, r->reloads, r->reload_failures,
               r->reload_lost, r->lost_unsaved, r->missing_unexplained, r->components);
        if (r->heal_measured) {
            printf("\"heal_hash_sync\":{\"links\":%u,\"worst_link_ratio\":%.3f,"
                   "\"worst_link_sync_ratio\":%.3f,\"missing_records\":%u,\"missing_bytes\":%llu,"
                   "\"flood_messages\":%u,\"flood_bytes\":%llu,\"sync_flood_messages\":%llu,"
                   "\"sync_flood_bytes\":%llu,\"already_held_floods\":%u,"
                   "\"already_held_bytes\":%llu,\"hash_exchange_bytes\":%llu,"
                   "\"other_bytes\":%llu,\"flood_over_missing\":%.3f,"
                   "\"sync_over_missing\":%.3f,\"within_target\":%s",
                   r->heal_links, r->heal_worst_ratio, r->heal_worst_sync_ratio,
                   r->heal_missing_records, (unsigned long long)r->heal_missing_bytes,
                   r->heal_floods, (unsigned long long)r->heal_flood_bytes,
                   (unsigned long long)r->heal_sync_floods, (unsigned long long)r->heal_sync_bytes,
                   r->heal_dup_floods, (unsigned long long)r->heal_dup_bytes,
                   (unsigned long long)r->heal_hash_bytes, (unsigned long long)r->heal_other_bytes,
                   ratio(r->heal_flood_bytes, r->heal_missing_bytes),
                   ratio(r->heal_sync_bytes, r->heal_missing_bytes),
                   heal_within_target(r) ? "true" : "false");
            printf("},");
        }
        printf("\"internal\":{\"nodes_with_signature\":%u,\"contacts_seen\":%u,"
               "\"presences_seen\":%u,\"partitions_detected\":%u,\"repair_connects\":%u},"
               "\"failures\":%u,\"newsletter\":%s,\"late_subscriber_missing\":%u",
               r->have_signature, r->contacts, r->presences, r->partitions_detected,
               r->repair_connects, r->failures, o->newsletter ? "true" : "false", r->late_missing);
        if (r->heal_measured) { /* last: the line grows with the links */
            uint32_t k;
            printf(",\"heal_links\":[");
            for (k = 0; k < r->heal_links && k < HEAL_LINKS_KEPT; k++) {
                const struct heal_link *l = &r->heal_link[k];
                printf("%s{\"initiator\":%u,\"missing_records\":%u,\"missing_bytes\":%llu,"
                       "\"flood_bytes\":%llu,\"sync_flood_bytes\":%llu,\"already_held_bytes\":%llu,"
                       "\"hash_exchange_bytes\":%llu,\"flood_over_missing\":%.3f,"
                       "\"sync_over_missing\":%.3f}",
                       k ? "," : "", l->node, l->missing_records,
                       (unsigned long long)l->missing_bytes, (unsigned long long)l->flood_bytes,
                       (unsigned long long)l->sync_bytes, (unsigned long long)l->dup_bytes,
                       (unsigned long long)l->hash_bytes, ratio(l->flood_bytes, l->missing_bytes),
                       ratio(l->sync_bytes, l->missing_bytes));
            }
            printf("]");
        }
        printf("}\n");
        return;
    }
    printf("peernet sim graph: %u nodes, %u records, seed %llu%s%s\n", o->nodes, o->records,
           (unsigned long long)o->seed, o->partition ? ", partition" : "",
           o->loss > 0 ? ", loss" : "");
    if (r->converged)
        printf("  converged     yes, %.3f s of virtual time after %s\n",
               (double)r->convergence_ms / 1000.0,
               o->newsletter ? "the late subscriber joined" : "publishing started");
    else
        printf("  converged     NO (%u nodes differ from node 0, holding %u to %u records, "
               "%u records missing)\n",
               r->incomplete, r->min_records, r->max_records, r->missing_unexplained);
    printf("  databases     %u distinct digest%s (node 0: %.16s...)\n", r->distinct_digests,
           r->distinct_digests == 1 ? "" : "s", dg);
    printf("  per record    %.2f messages, %.0f message bytes, %.0f TCP bytes, %.2f FLOODs\n",
           (double)r->msgs * per, (double)r->bytes * per, (double)r->c.tcp_bytes * per,
           (double)r->floods * per);
    printf("  receipts      at most %u FLOODs of one record at one node; nodes receiving one "
           "record more often than their neighbour links: %u (than their final neighbours: %u)\n",
           r->max_receipts, r->receipts_over_links, r->receipts_over_final);
    if (r->heal_measured) {
        uint32_t k;
        printf(
            "  heal sync     %u links opened after the heal, measured from WELCOME to SYNC_DONE: "
            "%u records (%llu bytes) missing between their ends\n",
            r->heal_links, r->heal_missing_records, (unsigned long long)r->heal_missing_bytes);
        printf(
            "                FLOODs the syncs asked for: %llu, %llu bytes (%.2f x missing, worst "
            "link %.2f; target <= 2 on every link: %s)\n",
            (unsigned long long)r->heal_sync_floods, (unsigned long long)r->heal_sync_bytes,
            ratio(r->heal_sync_bytes, r->heal_missing_bytes), r->heal_worst_sync_ratio,
            heal_within_target(r) ? "yes" : "NO");
        printf("                all FLOODs on those links (with records relayed from other links): "
               "%u, %llu bytes (%.2f x missing, worst link %.2f); %u of them (%llu bytes) carried "
               "a version the receiver already held\n",
               r->heal_floods, (unsigned long long)r->heal_flood_bytes,
               ratio(r->heal_flood_bytes, r->heal_missing_bytes), r->heal_worst_ratio,
               r->heal_dup_floods, (unsigned long long)r->heal_dup_bytes);
        printf("                hash exchange %llu bytes, other messages %llu bytes\n",
               (unsigned long long)r->heal_hash_bytes, (unsigned long long)r->heal_other_bytes);
        for (k = 0; k < r->heal_links && k < HEAL_LINKS_KEPT; k++) {
            const struct heal_link *l = &r->heal_link[k];
            printf(
                "    link %u from node %u: missing %u records, %llu bytes; sync FLOODs %llu bytes "
                "(%.2f x); all FLOODs %u, %llu bytes (%.2f x), %u already held (%u sent by the "
                "initiator); hash exchange %llu bytes\n",
                k, l->node, l->missing_records, (unsigned long long)l->missing_bytes,
                (unsigned long long)l->sync_bytes, ratio(l->sync_bytes, l->missing_bytes),
                l->floods, (unsigned long long)l->flood_bytes,
                ratio(l->flood_bytes, l->missing_bytes), l->dup_floods, l->dup_from_initiator,
                (unsigned long long)l->hash_bytes);
        }
    }
    printf("  neighbours    min %d mean %.2f max %d over %u live nodes (%u below the minimum "
           "of %d), %u connected component%s\n",
           r->min_neighbours, nb_mean(r), r->max_neighbours, r->live_nodes, r->below_min_neighbours,
           PN_GRAPH_MIN_NEIGHBOURS, r->components, r->components == 1 ? "" : "s");
    if (o->newsletter)
        printf("  newsletter    publisher offline for good after %u issues; the subscriber "
               "joining afterwards %s (%u missing)\n",
               o->records, r->late_missing == 0 ? "received every issue" : "MISSES issues",
               r->late_missing);
    if (o->crash > 0)
        printf("  crashes       %u, database reopened %u times (%u failed, %u lost records); "
               "%u records died unsaved with their publisher\n",
               r->crashes, r->reloads, r->reload_failures, r->reload_lost, r->lost_unsaved);
    printf("  internal      %u nodes hold a signature; contact records seen %u, presence "
           "records seen %u (sums over nodes); partitions detected %u, repair connects %u\n",
           r->have_signature, r->contacts, r->presences, r->partitions_detected,
           r->repair_connects);
    printf("  run           %llu ms virtual, %.3f s wall, %zu bytes of memory\n",
           (unsigned long long)r->virtual_ms, r->wall_s, r->memory);
}

/* ---- command line --------------------------------------------------------------------- */
static void graph_usage(FILE *f)
{
    fprintf(f, "usage: peernet sim graph [--nodes N] [--records R] [--seed S] [--loss P]\n"
               "                         [--partition] [--crash K] [--max-wait-ms T] [--json]\n"
               "                         [--pcap FILE] [--newsletter] [--no-internal]\n"
               "\n"
               "Peer Graphing nodes join over the simulated TCP, publish R records round robin,\n"
               "and the run reports convergence, cost per record and a database digest per node.\n"
               "\n"
               "  --nodes N        nodes (default 20, 2..2000)\n"
               "  --records R      records published (default 100)\n"
               "  --seed S         random seed (default 1)\n"
               "  --loss P         segment loss probability 0..1 (TCP: retransmission delay)\n"
               "  --partition      after 200 s of settling, two halves while publishing; the\n"
               "                   network heals afterwards and only Graphing's partition\n"
               "                   detection (signature and contact records) reconnects them\n"
               "  --crash K        kill K nodes while publishing, restart them 2 s later with\n"
               "                   their stored database (checked to reopen)\n"
               "  --max-wait-ms T  virtual time allowed for convergence after publishing\n"
               "                   (default 120000; 1200000 with --partition)\n"
               "  --json           one JSON object\n"
               "  --pcap FILE      capture every segment\n"
               "  --newsletter     node 0 alone publishes the R records (issues), then goes\n"
               "                   offline for good; the last node joins afterwards through\n"
               "                   another subscriber and must receive every issue\n"
               "  --no-internal    no Signature, Contact or Presence records (no partition\n"
               "                   detection)\n"
               "\n"
               "exit status: 0 converged with identical databases, 1 not, 2 usage error\n");
}

static int graph_usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "peernet sim graph: %s%s%s\n\n", what, arg ? " " : "", arg ? arg : "");
    graph_usage(stderr);
    return PN_EXIT_USAGE;
}

int pn_sim_graph_cmd(int argc, char **argv)
{
    struct graph_opts o;
    struct graph_result r;
    int i, wait_given = 0;
    memset(&o, 0, sizeof o);
    o.nodes = 20;
    o.records = 100;
    o.seed = 1;
    o.max_wait_ms = 120000;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            graph_usage(stdout);
            return PN_EXIT_OK;
        } else if (strcmp(a, "--json") == 0) {
            o.json = 1;
        } else if (strcmp(a, "--partition") == 0) {
            o.partition = 1;
        } else if (strcmp(a, "--newsletter") == 0) {
            o.newsletter = 1;
        } else if (strcmp(a, "--no-internal") == 0) {
            o.no_internal = 1;
        } else if (strcmp(a, "--nodes") == 0) {
            if (pn_arg_u64(v, 2000, &n) != 0 || n < 2)
                return graph_usage_error("--nodes needs a number from 2 to 2000, got", v);
            o.nodes = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--records") == 0) {
            if (pn_arg_u64(v, 1000000, &n) != 0 || n < 1)
                return graph_usage_error("--records needs a number from 1 to 1000000, got", v);
            o.records = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            if (pn_arg_u64(v, UINT64_MAX, &o.seed) != 0)
                return graph_usage_error("--seed needs a number, got", v);
            i++;
        } else if (strcmp(a, "--crash") == 0) {
            if (pn_arg_u64(v, 1000000, &n) != 0)
                return graph_usage_error("--crash needs a number, got", v);
            o.crash = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--max-wait-ms") == 0) {
            if (pn_arg_u64(v, 100000000, &o.max_wait_ms) != 0)
                return graph_usage_error("--max-wait-ms needs a number, got", v);
            wait_given = 1;
            i++;
        } else if (strcmp(a, "--loss") == 0) {
            if (pn_arg_prob(v, &o.loss) != 0)
                return graph_usage_error("--loss needs a probability from 0 to 1, got", v);
            i++;
        } else if (strcmp(a, "--pcap") == 0) {
            if (v == NULL)
                return graph_usage_error("--pcap needs a file name", NULL);
            o.pcap = v;
            i++;
        } else {
            return graph_usage_error("unknown option", a);
        }
    }
    if (o.partition && !wait_given)
        o.max_wait_ms = PART_WAIT_MS; /* repair waits for a signature record to expire */
    if (o.crash > o.nodes - 1)
        return graph_usage_error("--crash may be at most nodes - 1", NULL);
    if (o.newsletter && (o.nodes < 3 || o.crash > 0 || o.partition))
        return graph_usage_error("--newsletter needs --nodes >= 3, without --crash or --partition",
                                 NULL);
    if (pn_sim_graph_run(&o, &r) != 0)
        return PN_EXIT_FAIL;
    pn_sim_graph_print(&o, &r);
    return r.converged && r.distinct_digests == 1 && r.failures == 0 && r.reload_failures == 0 &&
                   r.reload_lost == 0 && r.late_missing == 0
               ? PN_EXIT_OK
               : PN_EXIT_FAIL;
}
