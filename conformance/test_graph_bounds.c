/* Resource bounds of the graph node engine (spec/security.md, MS-PPGRH 5.1): one hostile
 * source fills a table (connection slots, a message reassembly, the record store) and the
 * node keeps within the table's size, counts what it drops, and still serves an honest
 * peer.  Deterministic: fixed seeds, virtual time, in-memory byte streams. */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph.h"
#include "peernet/graph_wire.h"
#include "pn_test.h"

#define MAXN 4
#define MAXL 16
#define UTC0 133000000000000000ull

static const pn_graph_guid chat =
    PN_GRAPH_GUID(0x6a1b2c3d, 0x1111, 0x2222, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66);

typedef struct tnode {
    pn_graph_node n;
    void *mem;
    size_t need;
    uint32_t added, synchronised;
} tnode;

typedef struct tlink {
    int a, ca, b, cb, up;
} tlink;

typedef struct tnet {
    tnode nodes[MAXN];
    tlink links[MAXL];
    int nn, nl;
    uint64_t now;
} tnet;

static void on_event(void *ctx, const pn_graph_event *ev)
{
    tnode *t = (tnode *)ctx;
    if (ev->type == PN_GRAPH_EV_RECORD_ADDED)
        t->added++;
    else if (ev->type == PN_GRAPH_EV_SYNCHRONISED)
        t->synchronised++;
}

static void addr_of(int i, pn_graph_in6 *a)
{
    memset(a, 0, sizeof *a);
    a->addr[0] = 0x20;
    a->addr[1] = 0x01;
    a->addr[15] = (uint8_t)(i + 1);
    a->port = 3587;
}

static int add_node(tnet *net, int creator, uint32_t records)
{
    int i = net->nn++;
    tnode *t = &net->nodes[i];
    pn_graph_node_config c;
    memset(&c, 0, sizeof c);
    c.graph_id = "test-graph";
    c.peer_id = i == 1 ? "mallory" : i == 3 ? "eve" : "peer";
    c.creator = creator;
    c.max_records = records;
    c.slot_bytes = 600;
    c.conn_out_bytes = 16384;
    c.max_msg_bytes = 16384;
    c.seed[0] = (uint8_t)i;
    c.seed[1] = 0xb0;
    addr_of(i, &c.listen[0]);
    c.n_listen = 1;
    c.no_internal_records = 1; /* application records only */
    c.event = on_event;
    c.event_ctx = t;
    t->need = pn_graph_node_memory_size(&c);
    ck_assert_uint_gt(t->need, 0);
    t->mem = malloc(t->need);
    ck_assert_int_eq(pn_graph_node_init(&t->n, &c, t->mem, t->need), PN_OK);
    pn_graph_node_set_clock(&t->n, net->now, UTC0);
    return i;
}

static void free_net(tnet *net)
{
    int i;
    for (i = 0; i < net->nn; i++)
        free(net->nodes[i].mem);
    free(net);
}

/* A TCP connection from one node to another; returns the link number. */
static int connect_nodes(tnet *net, int from, int to)
{
    tlink *l = &net->links[net->nl];
    pn_graph_in6 a;
    ck_assert_int_lt(net->nl, MAXL);
    addr_of(to, &a);
    l->a = to;
    l->b = from;
    l->cb = pn_graph_node_conn_open(&net->nodes[from].n, net->now, 1, &a);
    ck_assert_int_ge(l->cb, 0);
    addr_of(from, &a);
    a.port = (uint16_t)(50000 + net->nl); /* the initiator's ephemeral port */
    l->ca = pn_graph_node_conn_open(&net->nodes[to].n, net->now, 0, &a);
    ck_assert_int_ge(l->ca, 0);
    l->up = 1;
    return net->nl++;
}

static int move(tnet *net, tlink *l, int rev)
{
    uint8_t buf[3000];
    int src = rev ? l->b : l->a, sc = rev ? l->cb : l->ca;
    int dst = rev ? l->a : l->b, dc = rev ? l->ca : l->cb;
    int n = pn_graph_node_poll_conn(&net->nodes[src].n, net->now, sc, buf, sizeof buf);
    if (n > 0)
        pn_graph_node_input(&net->nodes[dst].n, net->now, dc, buf, (size_t)n);
    return n > 0;
}

static void closes(tnet *net, int i)
{
    int ci, k;
    while ((ci = pn_graph_node_poll_close(&net->nodes[i].n)) >= 0) {
        for (k = 0; k < net->nl; k++) {
            tlink *l = &net->links[k];
            if (l->a == i && l->ca == ci && l->up) {
                l->up = 0;
                pn_graph_node_conn_closed(&net->nodes[l->b].n, net->now, l->cb);
            } else if (l->b == i && l->cb == ci && l->up) {
                l->up = 0;
                pn_graph_node_conn_closed(&net->nodes[l->a].n, net->now, l->ca);
            }
        }
    }
}

/* Move bytes and run timers until 'until' (virtual ms). */
static void run(tnet *net, uint64_t until)
{
    while (net->now < until) {
        int moved = 0, i, k;
        for (k = 0; k < net->nl; k++) {
            tlink *l = &net->links[k];
            if (!l->up)
                continue;
            moved |= move(net, l, 0);
            moved |= move(net, l, 1);
        }
        for (i = 0; i < net->nn; i++) {
            closes(net, i);
            if (pn_graph_node_next_deadline(&net->nodes[i].n) <= net->now)
                pn_graph_node_tick(&net->nodes[i].n, net->now);
        }
        if (!moved)
            net->now += 10;
    }
}

static int add_text(tnet *net, int i, const char *text, uint32_t lifetime_s, pn_graph_guid *id)
{
    return pn_graph_node_add(&net->nodes[i].n, net->now, &chat, (const uint8_t *)text, strlen(text),
                             lifetime_s, id);
}

static int has(const tnet *net, int i, const pn_graph_guid *id)
{
    return pn_graph_db_find(&net->nodes[i].n.db, id) >= 0;
}

/* Connection slots: hostile sources (one address per slot, GE-70 keeps any one address
 * to PN_GRAPH_CONNS_PER_ADDR) open every slot and stall their handshakes (a
 * partial AUTH_INFO frame, then a byte now and then).  The node never holds more than
 * PN_GRAPH_MAX_CONNS connections, refuses (and counts) the rest, and the authentication
 * timer frees every slot after 20 s however the source trickles; an honest node then
 * joins and synchronises. */
START_TEST(graph_bounds_half_open_handshakes_time_out)
{
    tnet *net = calloc(1, sizeof *net);
    static const uint8_t partial[] = {0x00, 0x40, 0x00, 0x00, 0x00, 0x40};
    static const uint8_t one[] = {0x01};
    pn_graph_guid id;
    int ci, k, v;
    PN_REQ("GRAPH-5.1-01");
    v = add_node(net, 1, 16);
    add_node(net, 0, 16);
    ck_assert_int_eq(add_text(net, v, "kept", 3600, &id), PN_OK);
    for (k = 0; k < PN_GRAPH_MAX_CONNS; k++) {
        pn_graph_in6 src;
        addr_of(100 + k, &src);
        ci = pn_graph_node_conn_open(&net->nodes[v].n, 0, 0, &src);
        ck_assert_int_eq(ci, k);
        ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, 0, ci, partial, sizeof partial),
                         PN_OK);
    }
    for (k = 0; k < 50; k++)
        ck_assert_int_eq(pn_graph_node_conn_open(&net->nodes[v].n, 0, 0, NULL), PN_ERR_NOMEM);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_conn_full, 50);
    /* Trickling bytes does not extend the authentication timer. */
    for (k = 0; k < PN_GRAPH_MAX_CONNS; k++)
        ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, 19999, k, one, 1), PN_OK);
    pn_graph_node_tick(&net->nodes[v].n, 19999);
    ck_assert_uint_eq(net->nodes[v].n.ctr.closed_timeout, 0);
    ck_assert_uint_le(pn_graph_node_next_deadline(&net->nodes[v].n), 20000);
    pn_graph_node_tick(&net->nodes[v].n, 20000);
    ck_assert_uint_eq(net->nodes[v].n.ctr.closed_timeout, PN_GRAPH_MAX_CONNS);
    for (k = 0; k < PN_GRAPH_MAX_CONNS; k++) {
        ci = pn_graph_node_poll_close(&net->nodes[v].n);
        ck_assert_int_ge(ci, 0);
        pn_graph_node_conn_closed(&net->nodes[v].n, 20000, ci);
    }
    ck_assert_int_lt(pn_graph_node_poll_close(&net->nodes[v].n), 0);
    ck_assert_uint_eq(net->nodes[v].n.db.count, 1);
    /* The honest node joins through the freed slots and gets the record. */
    net->now = 20000;
    connect_nodes(net, 1, v);
    run(net, 25000);
    ck_assert_uint_eq(net->nodes[1].synchronised, 1);
    ck_assert(has(net, 1, &id));
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[v].n), 1);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_conn_full, 50);
    free_net(net);
}
END_TEST

static size_t drain(tnet *net, int i, int ci)
{
    uint8_t buf[3000];
    size_t total = 0;
    int n;
    while ((n = pn_graph_node_poll_conn(&net->nodes[i].n, net->now, ci, buf, sizeof buf)) > 0)
        total += (size_t)n;
    return total;
}

/* A framed SOLICIT_NEW without type lists (every record): 14 bytes. */
static void solicit_frame(uint8_t fr[14])
{
    pn_graph_msg m;
    uint8_t msg[64];
    size_t need;
    int n;
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_SOLICIT_NEW;
    n = pn_graph_msg_encode(&m, msg, sizeof msg, &need);
    ck_assert_int_eq(n, 12);
    ck_assert_int_eq(pn_graph_frames_encode(msg, (size_t)n, PN_GRAPH_FRAME_MAX, fr, 14, &need), 14);
}

static void send_solicit_new(tnet *net, int i, int ci)
{
    uint8_t fr[14];
    solicit_frame(fr);
    ck_assert_int_eq(pn_graph_node_input(&net->nodes[i].n, net->now, ci, fr, sizeof fr), PN_OK);
}

/* Message reassembly: a message announced beyond max_msg_bytes closes the connection at
 * once (counted); a connected neighbour that starts a large message and stalls keeps only
 * its own connection's buffer, loses it when the message timer (PN_GRAPH_MSG_TIMEOUT_MS)
 * ends, while an honest neighbour's records are stored and flooded all along. */
START_TEST(graph_bounds_stalled_message_loses_its_buffer)
{
    tnet *net = calloc(1, sizeof *net);
    uint8_t frame[2 + 1000];
    static const uint8_t huge[] = {0x00, 0x08, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0};
    pn_graph_guid id1, id2;
    uint8_t sol[14];
    int v, h, g, hl, ci, ca, k;
    uint64_t t0;
    PN_REQ("GRAPH-5.1-02");
    v = add_node(net, 1, 16);
    h = add_node(net, 0, 16); /* hostile: its link is driven by hand below */
    g = add_node(net, 0, 16); /* honest */
    hl = connect_nodes(net, h, v);
    connect_nodes(net, g, v);
    run(net, 3000);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[v].n), 2);
    /* An inbound stream announcing a 2 GB message: closed at once. */
    ci = pn_graph_node_conn_open(&net->nodes[v].n, net->now, 0, NULL);
    ck_assert_int_ge(ci, 0);
    ck_assert_int_lt(pn_graph_node_input(&net->nodes[v].n, net->now, ci, huge, sizeof huge), 0);
    ck_assert_uint_eq(net->nodes[v].n.ctr.closed_bad_frame, 1);
    ck_assert_int_eq(pn_graph_node_poll_close(&net->nodes[v].n), ci);
    pn_graph_node_conn_closed(&net->nodes[v].n, net->now, ci);
    /* The hostile neighbour sends one frame of a 16,000-byte message and stalls. */
    net->links[hl].up = 0;
    /* A busy neighbour whose input always ends inside a message is not cut off while its
     * messages keep completing: 90 s of 14-byte SOLICIT frames sent in 14-byte pieces
     * that straddle two frames (they are rate-dropped, GE-48, and harmless). */
    solicit_frame(sol);
    ca = net->links[hl].ca;
    ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, net->now, ca, sol, 7), PN_OK);
    for (k = 0; k < 90; k++) {
        uint8_t two[14];
        net->now += 1000;
        memcpy(two, sol + 7, 7);
        memcpy(two + 7, sol, 7);
        ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, net->now, ca, two, 14), PN_OK);
        if (pn_graph_node_next_deadline(&net->nodes[v].n) <= net->now)
            pn_graph_node_tick(&net->nodes[v].n, net->now);
    }
    ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, net->now, ca, sol + 7, 7), PN_OK);
    ck_assert_uint_eq(net->nodes[v].n.ctr.closed_timeout, 0);
    ck_assert_int_lt(pn_graph_node_poll_close(&net->nodes[v].n), 0);
    drain(net, v, ca);
    memset(frame, 0x41, sizeof frame);
    frame[0] = 0x03; /* Frame Size 1000 */
    frame[1] = 0xe8;
    frame[2] = 0x00; /* Message Size 16000 */
    frame[3] = 0x00;
    frame[4] = 0x3e;
    frame[5] = 0x80;
    t0 = net->now;
    ck_assert_int_eq(
        pn_graph_node_input(&net->nodes[v].n, t0, net->links[hl].ca, frame, sizeof frame), PN_OK);
    ck_assert_uint_le(pn_graph_node_next_deadline(&net->nodes[v].n), t0 + PN_GRAPH_MSG_TIMEOUT_MS);
    /* Meanwhile the honest neighbour is served. */
    ck_assert_int_eq(add_text(net, g, "honest-1", 3600, &id1), PN_OK);
    run(net, t0 + 2000);
    ck_assert(has(net, v, &id1));
    ck_assert_uint_eq(net->nodes[v].n.ctr.closed_timeout, 0);
    /* The stalled message's timer ends: its connection (and buffer) goes, counted. */
    run(net, t0 + PN_GRAPH_MSG_TIMEOUT_MS + 100);
    ck_assert_uint_eq(net->nodes[v].n.ctr.closed_timeout, 1);
    ck_assert_int_eq(net->links[hl].up, 0);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[v].n), 1);
    ck_assert_uint_eq(net->nodes[v].n.ctr.closed_bad_frame, 1);
    ck_assert_uint_eq(net->nodes[v].n.ctr.closed_bad_msg, 0);
    /* The honest neighbour, idle for a minute between messages, is not touched. */
    ck_assert_int_eq(add_text(net, g, "honest-2", 3600, &id2), PN_OK);
    run(net, net->now + 2000);
    ck_assert(has(net, v, &id2));
    free_net(net);
}
END_TEST

/* Record store: two publishers (each held to its share, GE-72) flood far more records
 * than the store holds.  The store never goes beyond max_records, the overflow is
 * counted (drop_store_full once full), no stored record of another publisher is evicted,
 * and once the flood's records expire an honest record is stored and flooded on. */
START_TEST(graph_bounds_record_flood_cannot_evict_others)
{
    tnet *net = calloc(1, sizeof *net);
    pn_graph_guid kept, later;
    char text[16];
    int v, h, g, e, k;
    PN_REQ("GRAPH-5.1-03");
    v = add_node(net, 1, 8);  /* the node under attack: 8 records */
    h = add_node(net, 0, 64); /* hostile publisher "mallory" */
    g = add_node(net, 0, 64); /* honest publisher */
    e = add_node(net, 0, 64); /* hostile publisher "eve" */
    connect_nodes(net, h, v);
    connect_nodes(net, g, v);
    connect_nodes(net, e, v);
    run(net, 3000);
    ck_assert_int_eq(add_text(net, g, "kept", 3600, &kept), PN_OK);
    run(net, 4000);
    ck_assert(has(net, v, &kept));
    for (k = 0; k < 60; k++) {
        text[0] = 'x';
        text[1] = (char)('a' + k % 26);
        text[2] = (char)('a' + k / 26);
        text[3] = 0;
        ck_assert_int_eq(add_text(net, k % 2 ? e : h, text, 30, NULL), PN_OK);
        run(net, net->now + 50);
        ck_assert_uint_le(net->nodes[v].n.db.count, 8);
    }
    run(net, net->now + 2000);
    ck_assert_uint_eq(net->nodes[v].n.db.count, 8);
    ck_assert_uint_ge(net->nodes[v].n.ctr.drop_store_full, 1);
    ck_assert_uint_ge(
        net->nodes[v].n.ctr.drop_store_full + net->nodes[v].n.ctr.drop_publisher_quota, 60 - 7);
    ck_assert(has(net, v, &kept));
    ck_assert(has(net, g, &kept));
    /* Expiries free the space: a new honest record is stored and flooded on to h. */
    run(net, net->now + 50000);
    ck_assert_uint_eq(net->nodes[v].n.db.count, 1);
    ck_assert_int_eq(add_text(net, g, "later", 3600, &later), PN_OK);
    run(net, net->now + 2000);
    ck_assert(has(net, v, &later));
    ck_assert(has(net, h, &later));
    free_net(net);
}
END_TEST

/* Synchronisation: a neighbour that asks for the whole store (SOLICIT_NEW) again and again
 * gets PN_GRAPH_SOLICIT_BURST answers per connection (a join uses them) and one more per
 * PN_GRAPH_SOLICIT_INTERVAL_MS; the rest are dropped unanswered and counted, and an honest
 * node's synchronisation meanwhile completes. */
START_TEST(graph_bounds_repeated_solicit_is_rate_bounded)
{
    tnet *net = calloc(1, sizeof *net);
    size_t out = 0, once;
    int v, h, g, hl, k, ca;
    char text[8];
    PN_REQ("GRAPH-5.1-04");
    v = add_node(net, 1, 16);
    h = add_node(net, 0, 16);
    g = add_node(net, 0, 16);
    for (k = 0; k < 8; k++) {
        memcpy(text, "rec-", 4);
        text[4] = (char)('a' + k);
        text[5] = 0;
        ck_assert_int_eq(add_text(net, v, text, 3600, NULL), PN_OK);
    }
    hl = connect_nodes(net, h, v);
    run(net, 3000);
    ck_assert_uint_eq(net->nodes[h].n.db.count, 8); /* the join's 3 SOLICITs were answered */
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_sync_rate, 0);
    net->links[hl].up = 0;
    ca = net->links[hl].ca;
    drain(net, v, ca);
    for (k = 0; k < 200; k++) {
        send_solicit_new(net, v, ca);
        out += drain(net, v, ca);
    }
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_sync_rate, 200);
    ck_assert_uint_eq(out, 0); /* not even a SYNC_END went out */
    /* An honest node joins meanwhile and synchronises. */
    connect_nodes(net, g, v);
    run(net, net->now + 2000);
    ck_assert_uint_eq(net->nodes[g].synchronised, 1);
    ck_assert_uint_eq(net->nodes[g].n.db.count, 8);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_sync_rate, 200);
    /* A minute later the hostile neighbour gets one answer, and only one. */
    net->now = 3000 + PN_GRAPH_SOLICIT_INTERVAL_MS;
    send_solicit_new(net, v, ca);
    once = drain(net, v, ca);
    ck_assert_uint_gt(once, 0); /* SYNC_END; the records were sent already (GE-45) */
    send_solicit_new(net, v, ca);
    ck_assert_uint_eq(drain(net, v, ca), 0);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_sync_rate, 201);
    free_net(net);
}
END_TEST

/* Per-address connection share (GE-70): one address opens PN_GRAPH_CONNS_PER_ADDR
 * stalled handshakes (any port) and no more: the rest are refused with PN_ERR_REFUSED and
 * counted, while connections from other addresses (another IPv4 address, another IPv6
 * address in the same /64, decision GE-70) still get slots and an honest node joins and
 * synchronises.  A slot freed by the authentication timer may be taken again. */
START_TEST(graph_bounds_one_address_cannot_take_every_slot)
{
    tnet *net = calloc(1, sizeof *net);
    static const uint8_t partial[] = {0x00, 0x40, 0x00, 0x00, 0x00, 0x40};
    pn_graph_in6 bad, v4, v4b, near;
    pn_graph_guid id;
    int ci, k, v, held = 0;
    PN_REQ("GRAPH-5.1-05");
    v = add_node(net, 1, 16);
    add_node(net, 0, 16);
    ck_assert_int_eq(add_text(net, v, "kept", 3600, &id), PN_OK);
    addr_of(40, &bad);
    for (k = 0; k < 50; k++) {
        bad.port = (uint16_t)(40000 + k);
        ci = pn_graph_node_conn_open(&net->nodes[v].n, 0, 0, &bad);
        if (k < PN_GRAPH_CONNS_PER_ADDR) {
            ck_assert_int_ge(ci, 0);
            ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, 0, ci, partial, sizeof partial),
                             PN_OK);
            held++;
        } else {
            ck_assert_int_eq(ci, PN_ERR_REFUSED);
        }
    }
    ck_assert_int_eq(held, PN_GRAPH_CONNS_PER_ADDR);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_conn_addr, 50 - PN_GRAPH_CONNS_PER_ADDR);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_conn_full, 0);
    /* IPv4-mapped addresses count whole: 192.0.2.7 fills its share, 192.0.2.8 still
     * gets a slot. */
    memset(&v4, 0, sizeof v4);
    v4.addr[10] = v4.addr[11] = 0xff;
    v4.addr[12] = 192;
    v4.addr[14] = 2;
    v4.addr[15] = 7;
    v4b = v4;
    v4b.addr[15] = 8;
    for (k = 0; k < PN_GRAPH_CONNS_PER_ADDR; k++)
        ck_assert_int_ge(pn_graph_node_conn_open(&net->nodes[v].n, 0, 0, &v4), 0);
    ck_assert_int_eq(pn_graph_node_conn_open(&net->nodes[v].n, 0, 0, &v4), PN_ERR_REFUSED);
    ck_assert_int_ge(pn_graph_node_conn_open(&net->nodes[v].n, 0, 0, &v4b), 0);
    /* Another address of the same /64 is another host (PN_GRAPH_CONN_PREFIX6 128). */
    near = bad;
    near.addr[15] ^= 0x80;
#if PN_GRAPH_CONN_PREFIX6 == 128
    ck_assert_int_ge(pn_graph_node_conn_open(&net->nodes[v].n, 0, 0, &near), 0);
#else
    ck_assert_int_eq(pn_graph_node_conn_open(&net->nodes[v].n, 0, 0, &near), PN_ERR_REFUSED);
#endif
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_conn_addr,
                      50 - PN_GRAPH_CONNS_PER_ADDR + 1 + (PN_GRAPH_CONN_PREFIX6 == 128 ? 0 : 1));
    /* An honest node joins at once through a slot the hostile address could not take. */
    connect_nodes(net, 1, v);
    run(net, 5000);
    ck_assert_uint_eq(net->nodes[1].synchronised, 1);
    ck_assert(has(net, 1, &id));
    /* The stalled ones time out; the address may then connect again, up to its share. */
    run(net, 21000);
    ck_assert_uint_ge(net->nodes[v].n.ctr.closed_timeout, PN_GRAPH_CONNS_PER_ADDR);
    for (k = 0; k < PN_GRAPH_CONNS_PER_ADDR; k++)
        ck_assert_int_ge(pn_graph_node_conn_open(&net->nodes[v].n, net->now, 0, &bad), 0);
    ck_assert_int_eq(pn_graph_node_conn_open(&net->nodes[v].n, net->now, 0, &bad), PN_ERR_REFUSED);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[v].n), 1);
    free_net(net);
}
END_TEST

/* Per-publisher share of the store (GE-72): one publisher floods records at a node whose
 * store holds 8; it gets PN_GRAPH_PUBLISHER_PERCENT of them and no more (the rest
 * counted drop_publisher_quota, none drop_store_full), so honest records published during
 * the flood are stored and flooded on; nothing stored is evicted, and the flooder may
 * still update the records it holds. */
START_TEST(graph_bounds_one_publisher_cannot_fill_the_store)
{
    tnet *net = calloc(1, sizeof *net);
    pn_graph_guid kept, first, honest[3];
    char text[16];
    const uint32_t share = 8 * PN_GRAPH_PUBLISHER_PERCENT / 100;
    int v, h, g, k, idx;
    PN_REQ("GRAPH-5.1-06");
    v = add_node(net, 1, 8);
    h = add_node(net, 0, 128); /* "mallory" */
    g = add_node(net, 0, 64);  /* "peer", as the creator v */
    connect_nodes(net, h, v);
    connect_nodes(net, g, v);
    run(net, 3000);
    ck_assert_int_eq(add_text(net, g, "kept", 3600, &kept), PN_OK);
    run(net, 4000);
    for (k = 0; k < 60; k++) {
        text[0] = 'x';
        text[1] = (char)('a' + k % 26);
        text[2] = (char)('a' + k / 26);
        text[3] = 0;
        ck_assert_int_eq(add_text(net, h, text, 3600, k == 0 ? &first : NULL), PN_OK);
        run(net, net->now + 50);
    }
    run(net, net->now + 2000);
    ck_assert_uint_ge(share, 1);
    ck_assert_uint_eq(net->nodes[v].n.db.count, 1 + share);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_publisher_quota, 60 - share);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_store_full, 0);
    ck_assert(has(net, v, &kept));
    ck_assert(has(net, v, &first));
    /* Honest records during the flood: stored at v and flooded on to h. */
    for (k = 0; k < 3; k++) {
        text[0] = 'h';
        text[1] = (char)('0' + k);
        text[2] = 0;
        ck_assert_int_eq(add_text(net, g, text, 3600, &honest[k]), PN_OK);
        ck_assert_int_eq(add_text(net, h, "more", 3600, NULL), PN_OK);
        run(net, net->now + 500);
        ck_assert(has(net, v, &honest[k]));
        ck_assert(has(net, h, &honest[k]));
    }
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_publisher_quota, 60 - share + 3);
    /* An update of a record the flooder holds takes no new slot and is accepted. */
    ck_assert_int_eq(pn_graph_node_update(&net->nodes[h].n, net->now, &first,
                                          (const uint8_t *)"edited", 6, 3600),
                     PN_OK);
    run(net, net->now + 500);
    idx = pn_graph_db_find(&net->nodes[v].n.db, &first);
    ck_assert_int_ge(idx, 0);
    ck_assert_uint_eq(net->nodes[v].n.db.e[idx].version, 2);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_publisher_quota, 60 - share + 3);
    free_net(net);
}
END_TEST

/* A framed SOLICIT_HASH without hash entries (the responder advertises everything). */
static size_t solicit_hash_frame(uint8_t *fr, size_t cap)
{
    pn_graph_msg m;
    uint8_t msg[64];
    size_t need;
    int n;
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_SOLICIT_HASH;
    n = pn_graph_msg_encode(&m, msg, sizeof msg, &need);
    ck_assert_int_gt(n, 0);
    n = pn_graph_frames_encode(msg, (size_t)n, PN_GRAPH_FRAME_MAX, fr, cap, &need);
    ck_assert_int_gt(n, 0);
    return (size_t)n;
}

/* A framed REQUEST for one record. */
static size_t request_frame(const pn_graph_guid *id, uint8_t *fr, size_t cap)
{
    pn_graph_msg m;
    uint8_t msg[128], raw[PN_GRAPH_ABSTRACT_SIZE];
    pn_graph_abstract a;
    size_t need;
    int n;
    memset(&m, 0, sizeof m);
    a.id = *id;
    a.version = 1;
    pn_graph_abstract_put(raw, 0, &a);
    m.type = PN_GRAPH_REQUEST;
    m.u.request.abstracts.p = raw;
    m.u.request.abstracts.n = 1;
    n = pn_graph_msg_encode(&m, msg, sizeof msg, &need);
    ck_assert_int_gt(n, 0);
    n = pn_graph_frames_encode(msg, (size_t)n, PN_GRAPH_FRAME_MAX, fr, cap, &need);
    ck_assert_int_gt(n, 0);
    return (size_t)n;
}

/* SOLICIT_HASH and REQUEST (GE-74): a neighbour repeating them gets PN_GRAPH_HASH_BURST
 * answers per connection (one full hash sync) and one more per
 * PN_GRAPH_HASH_INTERVAL_MS; the rest are dropped unanswered and counted, while an honest
 * node joins and synchronises. */
START_TEST(graph_bounds_repeated_hash_sync_is_rate_bounded)
{
    tnet *net = calloc(1, sizeof *net);
    uint8_t fr[256];
    size_t n, out;
    pn_graph_guid id;
    int v, h, g, hl, k, ca, answered = 0;
    uint64_t t0;
    PN_REQ("GRAPH-5.1-07");
    v = add_node(net, 1, 16);
    h = add_node(net, 0, 16);
    g = add_node(net, 0, 16);
    ck_assert_int_eq(add_text(net, v, "rec", 3600, &id), PN_OK);
    hl = connect_nodes(net, h, v);
    run(net, 3000);
    ck_assert_uint_eq(net->nodes[h].n.db.count, 1);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_hash_rate, 0);
    net->links[hl].up = 0;
    ca = net->links[hl].ca;
    drain(net, v, ca);
    n = solicit_hash_frame(fr, sizeof fr);
    t0 = net->now;
    for (k = 0; k < 150; k++) {
        ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, net->now, ca, fr, n), PN_OK);
        if (drain(net, v, ca) > 0)
            answered++;
    }
    ck_assert_int_eq(answered, PN_GRAPH_HASH_BURST);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_hash_rate, 150 - PN_GRAPH_HASH_BURST);
    /* REQUESTs share the bucket: none answered now. */
    n = request_frame(&id, fr, sizeof fr);
    for (k = 0; k < 20; k++) {
        ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, net->now, ca, fr, n), PN_OK);
        ck_assert_uint_eq(drain(net, v, ca), 0);
    }
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_hash_rate, 170 - PN_GRAPH_HASH_BURST);
    /* An honest node joins meanwhile and synchronises. */
    connect_nodes(net, g, v);
    run(net, net->now + 2000);
    ck_assert_uint_eq(net->nodes[g].synchronised, 1);
    ck_assert_uint_eq(net->nodes[g].n.db.count, 1);
    /* Five intervals after the bucket emptied, exactly five more are answered (REQUESTs:
     * a SYNC_END each). */
    ck_assert_uint_lt(net->now, t0 + 5 * PN_GRAPH_HASH_INTERVAL_MS);
    net->now = t0 + 5 * PN_GRAPH_HASH_INTERVAL_MS;
    answered = 0;
    for (k = 0; k < 10; k++) {
        ck_assert_int_eq(pn_graph_node_input(&net->nodes[v].n, net->now, ca, fr, n), PN_OK);
        out = drain(net, v, ca);
        if (out > 0)
            answered++;
    }
    ck_assert_int_eq(answered, 5);
    ck_assert_uint_eq(net->nodes[v].n.ctr.drop_hash_rate, 175 - PN_GRAPH_HASH_BURST);
    free_net(net);
}
END_TEST

PN_SUITE(graph_bounds)
{
    Suite *s = suite_create("graph_bounds");
    TCase *t = tcase_create("bounds");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, graph_bounds_half_open_handshakes_time_out);
    tcase_add_test(t, graph_bounds_stalled_message_loses_its_buffer);
    tcase_add_test(t, graph_bounds_record_flood_cannot_evict_others);
    tcase_add_test(t, graph_bounds_repeated_solicit_is_rate_bounded);
    tcase_add_test(t, graph_bounds_one_address_cannot_take_every_slot);
    tcase_add_test(t, graph_bounds_one_publisher_cannot_fill_the_store);
    tcase_add_test(t, graph_bounds_repeated_hash_sync_is_rate_bounded);
    suite_add_tcase(s, t);
    return s;
}
