/* MS-PPGRH 3.1: the graph node engine on an in-memory network of byte streams
 * (connection handshake, neighbour limits, flooding, synchronisation, peer time,
 * persistence, bad input). */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph.h"
#include "peernet/wire.h"
#include "pn_test.h"

#define MAXN 12
#define MAXL 64
#define UTC0 133000000000000000ull
#define SECT 10000000ull

static const pn_graph_guid chat =
    PN_GRAPH_GUID(0x6a1b2c3d, 0x1111, 0x2222, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66);

typedef struct tnode {
    pn_graph_node n;
    void *mem;
    int up;
    uint32_t added, updated, deleted, joined, left, synced, synchronised, direct, data;
    uint8_t last_data[64];
    size_t last_len;
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
    switch (ev->type) {
    case PN_GRAPH_EV_RECORD_ADDED:
        t->added++;
        break;
    case PN_GRAPH_EV_RECORD_UPDATED:
        t->updated++;
        break;
    case PN_GRAPH_EV_RECORD_DELETED:
        t->deleted++;
        break;
    case PN_GRAPH_EV_NEIGHBOUR_JOINED:
        t->joined++;
        break;
    case PN_GRAPH_EV_NEIGHBOUR_LEFT:
        t->left++;
        break;
    case PN_GRAPH_EV_SYNC_DONE:
        t->synced++;
        break;
    case PN_GRAPH_EV_SYNCHRONISED:
        t->synchronised++;
        break;
    case PN_GRAPH_EV_DIRECT_OPENED:
        t->direct++;
        break;
    case PN_GRAPH_EV_DATA:
        t->data++;
        t->last_len = ev->data_len < sizeof t->last_data ? ev->data_len : sizeof t->last_data;
        memcpy(t->last_data, ev->data, t->last_len);
        break;
    default:
        break;
    }
}

static void addr_of(int i, pn_graph_in6 *a)
{
    memset(a, 0, sizeof *a);
    a->addr[0] = 0x20;
    a->addr[1] = 0x01;
    a->addr[15] = (uint8_t)(i + 1);
    a->port = 3587;
}

static void cfg_for(pn_graph_node_config *c, int i, int creator, uint32_t records)
{
    memset(c, 0, sizeof *c);
    c->graph_id = "test-graph";
    c->peer_id = i == 0 ? "alice" : "peer";
    c->creator = creator;
    c->max_records = records;
    c->slot_bytes = 600;
    c->conn_out_bytes = 16384;
    c->max_msg_bytes = 16384;
    c->seed[0] = (uint8_t)i;
    c->seed[1] = 0x5a;
    c->accept_direct = 1;
    addr_of(i, &c->listen[0]);
    c->n_listen = 1;
    c->no_internal_records = 1; /* record counts below are application records only */
}

static const pn_graph_security *next_security; /* provider of the next add_node */
static size_t next_out_bytes;                  /* 0: default output buffer */

static int add_node(tnet *net, int creator, uint32_t records, uint64_t utc_skew)
{
    int i = net->nn++;
    tnode *t = &net->nodes[i];
    pn_graph_node_config c;
    size_t need;
    cfg_for(&c, i, creator, records);
    c.event = on_event;
    c.event_ctx = t;
    c.security = next_security;
    if (next_out_bytes != 0) {
        c.conn_out_bytes = next_out_bytes;
        c.max_msg_bytes = next_out_bytes;
    }
    need = pn_graph_node_memory_size(&c);
    ck_assert_uint_gt(need, 0);
    t->mem = malloc(need + 1);
    ck_assert_int_eq(pn_graph_node_init(&t->n, &c, (uint8_t *)t->mem + 1, need), PN_OK);
    pn_graph_node_set_clock(&t->n, net->now, UTC0 + utc_skew);
    t->up = 1;
    return i;
}

static void free_net(tnet *net)
{
    int i;
    for (i = 0; i < net->nn; i++)
        free(net->nodes[i].mem);
}

static int node_at(const tnet *net, const pn_graph_in6 *a)
{
    int i;
    for (i = 0; i < net->nn; i++) {
        pn_graph_in6 x;
        addr_of(i, &x);
        if (net->nodes[i].up && x.port == a->port && memcmp(x.addr, a->addr, 16) == 0)
            return i;
    }
    return -1;
}

/* A TCP connection from one node to another; 0 when the responder does not accept it
 * (the initiator then sees the connection fail). */
static int try_connect(tnet *net, int from, int to)
{
    tlink *l = &net->links[net->nl];
    pn_graph_in6 a;
    ck_assert_int_lt(net->nl, MAXL);
    addr_of(to, &a);
    l->a = to;
    l->b = from;
    l->cb = pn_graph_node_conn_open(&net->nodes[from].n, net->now, 1, &a);
    ck_assert_int_ge(l->cb, 0);
    l->ca = pn_graph_node_conn_open(&net->nodes[to].n, net->now, 0, NULL);
    if (l->ca < 0) {
        pn_graph_node_conn_closed(&net->nodes[from].n, net->now, l->cb);
        return 0;
    }
    l->up = 1;
    net->nl++;
    return 1;
}

static void connect_nodes(tnet *net, int from, int to)
{
    ck_assert_int_eq(try_connect(net, from, to), 1);
}

static size_t move_cap; /* 0: 3000-byte chunks */

static int move(tnet *net, tlink *l, int rev)
{
    uint8_t buf[3000];
    int src = rev ? l->b : l->a, sc = rev ? l->cb : l->ca;
    int dst = rev ? l->a : l->b, dc = rev ? l->ca : l->cb;
    int n = pn_graph_node_poll_conn(&net->nodes[src].n, net->now, sc, buf,
                                    move_cap ? move_cap : sizeof buf);
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
            if (!l->up)
                continue;
            if (l->a == i && l->ca == ci) {
                l->up = 0;
                pn_graph_node_conn_closed(&net->nodes[l->b].n, net->now, l->cb);
            } else if (l->b == i && l->cb == ci) {
                l->up = 0;
                pn_graph_node_conn_closed(&net->nodes[l->a].n, net->now, l->ca);
            }
        }
    }
}

/* Run until nothing moves for 'quiet' ms of virtual time or until 'until'. */
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
            pn_graph_in6 to;
            if (!net->nodes[i].up)
                continue;
            closes(net, i);
            while (pn_graph_node_poll_connect(&net->nodes[i].n, &to)) {
                int j = node_at(net, &to);
                if (j >= 0 && j != i && net->nl < MAXL)
                    try_connect(net, i, j);
                moved = 1;
            }
            if (pn_graph_node_next_deadline(&net->nodes[i].n) <= net->now)
                pn_graph_node_tick(&net->nodes[i].n, net->now);
        }
        if (!moved)
            net->now += 10;
    }
}

static void digest(tnet *net, int i, uint8_t out[32])
{
    pn_graph_db_digest(&net->nodes[i].n.db, out);
}

static void add_records(tnet *net, int i, int k, const char *tag)
{
    int j;
    char text[64];
    for (j = 0; j < k; j++) {
        size_t n = 0;
        memcpy(text, tag, strlen(tag) + 1);
        n = strlen(text);
        text[n] = (char)('a' + j % 26);
        text[n + 1] = (char)('a' + j / 26);
        text[n + 2] = 0;
        ck_assert_int_eq(pn_graph_node_add(&net->nodes[i].n, net->now, &chat, (const uint8_t *)text,
                                           n + 2, 3600, NULL),
                         PN_OK);
    }
}

START_TEST(graph_node_join_syncs_all_records)
{
    tnet *net = calloc(1, sizeof *net);
    uint8_t d0[32], d1[32];
    PN_REQ("GRAPH-3.1.7.24-01");
    PN_REQ("GRAPH-3.1.5.2.1-01");
    PN_REQ("GRAPH-3.1.7.29-01");
    add_node(net, 1, 64, 0);
    add_node(net, 0, 64, 0);
    add_records(net, 0, 25, "hello");
    connect_nodes(net, 1, 0);
    run(net, 5000);
    ck_assert_uint_eq(net->nodes[1].n.db.count, 25);
    digest(net, 0, d0);
    digest(net, 1, d1);
    ck_assert_mem_eq(d0, d1, 32);
    ck_assert_uint_eq(net->nodes[1].synchronised, 1);
    ck_assert_uint_eq(net->nodes[1].added, 25);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[0].n), 1);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[1].n), 1);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_flood_update_delete)
{
    tnet *net = calloc(1, sizeof *net);
    pn_graph_guid id;
    uint8_t d[3][32];
    int i, idx;
    PN_REQ("GRAPH-3.1.5.2.10-03");
    PN_REQ("GRAPH-3.1.7.8-01");
    for (i = 0; i < 3; i++)
        add_node(net, i == 0, 64, 0);
    connect_nodes(net, 1, 0);
    connect_nodes(net, 2, 1);
    run(net, 3000);
    ck_assert_int_eq(
        pn_graph_node_add(&net->nodes[2].n, net->now, &chat, (const uint8_t *)"v1", 2, 600, &id),
        PN_OK);
    run(net, 6000);
    idx = pn_graph_db_find(&net->nodes[0].n.db, &id);
    ck_assert_int_ge(idx, 0);
    ck_assert_uint_eq(net->nodes[0].n.db.e[idx].receipts, 1);
    ck_assert_int_eq(
        pn_graph_node_update(&net->nodes[0].n, net->now, &id, (const uint8_t *)"v2", 2, 600),
        PN_OK);
    run(net, 9000);
    idx = pn_graph_db_find(&net->nodes[2].n.db, &id);
    ck_assert_uint_eq(net->nodes[2].n.db.e[idx].version, 2);
    ck_assert_uint_eq(net->nodes[2].updated, 1);
    ck_assert_int_eq(pn_graph_node_delete(&net->nodes[1].n, net->now, &id), PN_OK);
    run(net, 12000);
    for (i = 0; i < 3; i++) {
        idx = pn_graph_db_find(&net->nodes[i].n.db, &id);
        ck_assert_int_ge(idx, 0);
        ck_assert_uint_eq(net->nodes[i].n.db.e[idx].version, 3);
        ck_assert_uint_eq(net->nodes[i].n.db.e[idx].flags, PN_GRAPH_RECORD_DELETED);
        digest(net, i, d[i]);
    }
    ck_assert_uint_eq(net->nodes[0].deleted + net->nodes[2].deleted, 2);
    ck_assert_mem_eq(d[0], d[1], 32);
    ck_assert_mem_eq(d[1], d[2], 32);
    /* A tombstone cannot be updated again. */
    ck_assert_int_eq(
        pn_graph_node_update(&net->nodes[0].n, net->now, &id, (const uint8_t *)"v3", 2, 600),
        PN_ERR_STATE);
    free_net(net);
    free(net);
}
END_TEST

/* Two populated graphs halves meet through a node with links to both: hash sync in both
 * directions, then flooding, gives identical databases. */
START_TEST(graph_node_hash_sync_merges_both_sides)
{
    tnet *net = calloc(1, sizeof *net);
    uint8_t d[3][32];
    int i;
    PN_REQ("GRAPH-3.1.7.31-02");
    PN_REQ("GRAPH-3.1.5.2.8-01");
    for (i = 0; i < 3; i++)
        add_node(net, i != 1, 256, 0);
    add_records(net, 0, 37, "left");
    add_records(net, 2, 53, "right");
    connect_nodes(net, 1, 0);
    run(net, 3000);
    ck_assert_uint_eq(net->nodes[1].n.db.count, 37);
    connect_nodes(net, 1, 2);
    run(net, 10000);
    for (i = 0; i < 3; i++) {
        ck_assert_uint_eq(net->nodes[i].n.db.count, 90);
        digest(net, i, d[i]);
    }
    ck_assert_mem_eq(d[0], d[1], 32);
    ck_assert_mem_eq(d[1], d[2], 32);
    ck_assert_uint_ge(net->nodes[1].synced, 2);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_neighbour_limit_refuses_with_referrals)
{
    tnet *net = calloc(1, sizeof *net);
    int i;
    PN_REQ("GRAPH-3.1.5.2.1-02");
    add_node(net, 1, 16, 0);
    for (i = 1; i <= 8; i++) {
        add_node(net, 0, 16, 0);
        connect_nodes(net, i, 0);
        run(net, net->now + 2000);
    }
    ck_assert_int_le(pn_graph_node_neighbours(&net->nodes[0].n), PN_GRAPH_MAX_NEIGHBOURS);
    ck_assert_uint_ge(net->nodes[8].n.ctr.closed_refused, 1);
    /* The refused node was given referrals and found other neighbours. */
    ck_assert_int_ge(pn_graph_node_neighbours(&net->nodes[8].n), 1);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_peer_time_inherited_then_averaged)
{
    tnet *net = calloc(1, sizeof *net);
    uint64_t a, b;
    PN_REQ("GRAPH-3.1.5.2.2-01");
    add_node(net, 1, 16, 0);
    add_node(net, 0, 16, 3600 * SECT); /* the joiner's clock is an hour fast */
    connect_nodes(net, 1, 0);
    run(net, 2000);
    a = pn_graph_node_peer_time(&net->nodes[0].n, net->now);
    b = pn_graph_node_peer_time(&net->nodes[1].n, net->now);
    ck_assert_uint_lt(a > b ? a - b : b - a, SECT); /* within a second (one round trip) */
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_bad_input_closes_connection)
{
    tnet *net = calloc(1, sizeof *net);
    static const uint8_t junk[] = {0x00, 0x08, 0, 0, 0, 8, 0x11, 1, 0, 0}; /* version 0x11 */
    static const uint8_t toolong[] = {0xff, 0xff};
    int ci;
    PN_REQ("GRAPH-3.1.5.2-01");
    add_node(net, 1, 16, 0);
    ci = pn_graph_node_conn_open(&net->nodes[0].n, 0, 0, NULL);
    ck_assert_int_lt(pn_graph_node_input(&net->nodes[0].n, 0, ci, junk, sizeof junk), 0);
    ck_assert_int_eq(pn_graph_node_poll_close(&net->nodes[0].n), ci);
    ck_assert_uint_eq(net->nodes[0].n.ctr.closed_bad_msg, 1);
    ci = pn_graph_node_conn_open(&net->nodes[0].n, 0, 0, NULL);
    ck_assert_int_lt(pn_graph_node_input(&net->nodes[0].n, 0, ci, toolong, sizeof toolong), 0);
    ck_assert_uint_eq(net->nodes[0].n.ctr.closed_bad_frame, 1);
    ck_assert_int_eq(pn_graph_node_poll_close(&net->nodes[0].n), ci);
    ck_assert_uint_eq(net->nodes[0].n.db.count, 0);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_auth_timer_closes_silent_connection)
{
    tnet *net = calloc(1, sizeof *net);
    int ci;
    PN_REQ("GRAPH-3.1.6.1-01");
    add_node(net, 1, 16, 0);
    ci = pn_graph_node_conn_open(&net->nodes[0].n, 0, 0, NULL);
    ck_assert_uint_le(pn_graph_node_next_deadline(&net->nodes[0].n), 20000);
    pn_graph_node_tick(&net->nodes[0].n, 20000);
    ck_assert_uint_eq(net->nodes[0].n.ctr.closed_timeout, 1);
    ck_assert_int_eq(pn_graph_node_poll_close(&net->nodes[0].n), ci);
    free_net(net);
    free(net);
}
END_TEST

/* A node saves its database, is rebuilt from the image, and rejoins with a time-based
 * sync followed by hash sync: it gets what was added meanwhile. */
START_TEST(graph_node_reopen_with_time_sync)
{
    tnet *net = calloc(1, sizeof *net);
    static uint8_t img[65536];
    size_t need;
    int n, fresh, i;
    uint8_t d0[32], d1[32];
    PN_REQ("GRAPH-3.1.7.30-01");
    add_node(net, 1, 128, 0);
    add_node(net, 0, 128, 0);
    add_records(net, 0, 20, "old");
    connect_nodes(net, 1, 0);
    run(net, 3000);
    n = pn_graph_node_save(&net->nodes[1].n, net->now, img, sizeof img, &need);
    ck_assert_int_gt(n, 0);
    net->nodes[1].up = 0;
    for (i = 0; i < net->nl; i++)
        if (net->links[i].up) {
            net->links[i].up = 0;
            pn_graph_node_conn_closed(&net->nodes[0].n, net->now, net->links[i].ca);
        }
    run(net, net->now + 1000);
    add_records(net, 0, 15, "new");
    fresh = add_node(net, 0, 128, 0);
    ck_assert_int_eq(pn_graph_node_load(&net->nodes[fresh].n, img, (size_t)n), PN_OK);
    ck_assert_uint_eq(net->nodes[fresh].n.db.count, 20);
    connect_nodes(net, fresh, 0);
    run(net, net->now + 5000);
    digest(net, 0, d0);
    digest(net, fresh, d1);
    ck_assert_mem_eq(d0, d1, 32);
    ck_assert_uint_eq(net->nodes[fresh].n.db.count, 35);
    /* Only the 15 new records came over, not the 20 it had. */
    ck_assert_uint_eq(net->nodes[fresh].n.ctr.floods_in, 15);
    free_net(net);
    free(net);
}
END_TEST

/* Ten nodes joining through referrals converge to one database; same seeds, same run. */
static void ten_nodes(uint8_t out[32], uint64_t *msgs)
{
    tnet *net = calloc(1, sizeof *net);
    uint8_t d[32], first[32];
    int i;
    add_node(net, 1, 512, 0);
    for (i = 1; i < 10; i++) {
        add_node(net, 0, 512, (uint64_t)i * SECT);
        connect_nodes(net, i, i == 1 ? 0 : i - 1);
        run(net, net->now + 500);
    }
    for (i = 0; i < 10; i++)
        add_records(net, i, 20, "r");
    run(net, net->now + 20000);
    *msgs = 0;
    for (i = 0; i < 10; i++) {
        ck_assert_uint_eq(net->nodes[i].n.db.count, 200);
        ck_assert_int_ge(pn_graph_node_neighbours(&net->nodes[i].n), 1);
        digest(net, i, d);
        if (i == 0)
            memcpy(first, d, 32);
        ck_assert_mem_eq(first, d, 32);
        *msgs += net->nodes[i].n.ctr.msgs_out;
    }
    memcpy(out, first, 32);
    free_net(net);
    free(net);
}

START_TEST(graph_node_ten_nodes_converge_deterministically)
{
    uint8_t a[32], b[32];
    uint64_t ma, mb;
    PN_REQ("GRAPH-3.1.5.2.10-04");
    ten_nodes(a, &ma);
    ten_nodes(b, &mb);
    ck_assert_mem_eq(a, b, 32);
    ck_assert_uint_eq(ma, mb);
}
END_TEST

/* ---- a toy security provider: a one-round handshake, XOR "encryption" with a tag byte,
 * a fixed "signature" in Security Data, and a validator that rejects unsigned records
 * and records whose payload starts with "evil". */
typedef struct toy {
    int auth_calls, encrypts, decrypts, secured, rejected, fail_auth;
} toy;

static int toy_auth(void *ctx, int conn, int initiator, const uint8_t *in, size_t in_len,
                    uint8_t *out, size_t cap, size_t *out_len)
{
    toy *t = (toy *)ctx;
    (void)conn;
    (void)cap;
    t->auth_calls++;
    *out_len = 0;
    if (initiator && in == NULL) {
        memcpy(out, "HELLO", 5);
        *out_len = 5;
        return 0;
    }
    if (!initiator && in == NULL)
        return 0;
    if (!initiator && in_len == 5 && memcmp(in, "HELLO", 5) == 0 && !t->fail_auth) {
        memcpy(out, "OK", 2);
        *out_len = 2;
        return 1;
    }
    if (initiator && in_len == 2 && memcmp(in, "OK", 2) == 0)
        return 1;
    return PN_ERR_GROUP_AUTH;
}

static int toy_encrypt(void *ctx, int conn, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    size_t i;
    (void)conn;
    if (cap < len + 1)
        return PN_ERR_BUFSIZE;
    ((toy *)ctx)->encrypts++;
    out[0] = 0xA5;
    for (i = 0; i < len; i++)
        out[i + 1] = (uint8_t)(in[i] ^ 0x5A);
    return (int)(len + 1);
}

static int toy_decrypt(void *ctx, int conn, const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    size_t i;
    (void)conn;
    if (len < 1 || in[0] != 0xA5 || cap < len - 1)
        return PN_ERR_GROUP_AUTH;
    ((toy *)ctx)->decrypts++;
    for (i = 1; i < len; i++)
        out[i - 1] = (uint8_t)(in[i] ^ 0x5A);
    return (int)(len - 1);
}

static int toy_secure(void *ctx, const pn_graph_record *rec, uint8_t *sec, size_t cap)
{
    (void)rec;
    if (cap < 4)
        return PN_ERR_BUFSIZE;
    ((toy *)ctx)->secured++;
    memcpy(sec, "SIG!", 4);
    return 4;
}

static int toy_validate(void *ctx, const pn_graph_record *rec)
{
    if (rec->security_len != 4 || memcmp(rec->security, "SIG!", 4) != 0 ||
        (rec->payload_len >= 4 && memcmp(rec->payload, "evil", 4) == 0)) {
        ((toy *)ctx)->rejected++;
        return PN_GRAPH_INVALID;
    }
    return PN_GRAPH_VALID;
}

START_TEST(graph_node_security_provider_hooks)
{
    tnet *net = calloc(1, sizeof *net);
    toy t0, t1;
    pn_graph_security s0 = {&t0, 1, toy_auth, toy_encrypt, toy_decrypt, toy_secure, toy_validate};
    pn_graph_security s1 = s0;
    uint8_t d0[32], d1[32];
    PN_REQ("GRAPH-3.1.5.1.2-01");
    PN_REQ("GRAPH-3.1.7.28-01");
    memset(&t0, 0, sizeof t0);
    memset(&t1, 0, sizeof t1);
    s1.ctx = &t1;
    next_security = &s0;
    add_node(net, 1, 64, 0);
    next_security = &s1;
    add_node(net, 0, 64, 0);
    next_security = NULL;
    add_records(net, 0, 12, "sec");
    ck_assert_int_eq(t0.secured, 12);
    connect_nodes(net, 1, 0);
    run(net, 3000);
    ck_assert_int_ge(t0.auth_calls, 1);
    ck_assert_int_ge(t1.auth_calls, 2);
    ck_assert_int_gt(t0.decrypts, 0);
    ck_assert_int_gt(t1.decrypts, 0);
    ck_assert_uint_eq(net->nodes[1].n.db.count, 12);
    /* A record the validator refuses is not stored (the sender keeps its own copy). */
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[1].n, net->now, &chat,
                                       (const uint8_t *)"evil plan", 9, 600, NULL),
                     PN_OK);
    run(net, 6000);
    ck_assert_int_eq(t0.rejected, 1);
    ck_assert_uint_eq(net->nodes[0].n.db.count, 12);
    ck_assert_uint_eq(net->nodes[0].n.ctr.drop_invalid_record, 1);
    add_records(net, 1, 3, "ok");
    run(net, 9000);
    ck_assert_uint_eq(net->nodes[0].n.db.count, 15);
    digest(net, 0, d0);
    digest(net, 1, d1);
    ck_assert_mem_ne(d0, d1, 32); /* node 1 still holds its refused record */
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_failed_authentication_stores_nothing)
{
    tnet *net = calloc(1, sizeof *net);
    toy t0, t1;
    pn_graph_security s0 = {&t0, 1, toy_auth, toy_encrypt, toy_decrypt, toy_secure, toy_validate};
    pn_graph_security s1 = s0;
    memset(&t0, 0, sizeof t0);
    memset(&t1, 0, sizeof t1);
    t0.fail_auth = 1;
    s1.ctx = &t1;
    next_security = &s0;
    add_node(net, 1, 64, 0);
    next_security = &s1;
    add_node(net, 0, 64, 0);
    next_security = NULL;
    add_records(net, 0, 5, "sec");
    connect_nodes(net, 1, 0);
    run(net, 3000);
    ck_assert_uint_eq(net->nodes[1].n.db.count, 0);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[0].n), 0);
    ck_assert_uint_ge(net->nodes[0].n.ctr.closed_unexpected, 1);
    /* And a node without the provider cannot talk to one with it. */
    add_node(net, 0, 64, 0);
    connect_nodes(net, 2, 0);
    run(net, 6000);
    ck_assert_uint_eq(net->nodes[2].n.db.count, 0);
    free_net(net);
    free(net);
}
END_TEST

/* Output buffers too small for one ADVERTISE: the hash sync runs several rounds and
 * still merges everything (decision GE-4). */
START_TEST(graph_node_hash_sync_rounds_with_small_buffers)
{
    tnet *net = calloc(1, sizeof *net);
    uint8_t d[3][32];
    int i;
    PN_REQ("GRAPH-3.1.7.31-04");
    next_out_bytes = 2048;
    for (i = 0; i < 3; i++)
        add_node(net, i != 1, 512, 0);
    next_out_bytes = 0;
    add_records(net, 0, 120, "L");
    add_records(net, 2, 150, "R");
    connect_nodes(net, 1, 0);
    run(net, 5000);
    connect_nodes(net, 1, 2);
    run(net, 30000);
    ck_assert_uint_ge(net->nodes[1].n.ctr.hash_rounds, 3);
    for (i = 0; i < 3; i++) {
        ck_assert_uint_eq(net->nodes[i].n.db.count, 270);
        digest(net, i, d[i]);
    }
    ck_assert_mem_eq(d[0], d[2], 32);
    ck_assert_mem_eq(d[1], d[2], 32);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_leave_sends_disconnect_with_referrals)
{
    tnet *net = calloc(1, sizeof *net);
    int i;
    PN_REQ("GRAPH-3.1.4.12-01");
    for (i = 0; i < 3; i++)
        add_node(net, i == 0, 16, 0);
    connect_nodes(net, 1, 0);
    run(net, 2000);
    connect_nodes(net, 2, 0);
    run(net, 4000);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[0].n), 2);
    ck_assert_int_eq(pn_graph_node_leave(&net->nodes[0].n, net->now), 2);
    run(net, 6000);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[0].n), 0);
    ck_assert_uint_eq(net->nodes[1].left, 1);
    ck_assert_uint_eq(net->nodes[2].left, 1);
    /* The DISCONNECT named the other neighbour: 1 and 2 found each other. */
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[1].n), 1);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[2].n), 1);
    ck_assert_int_eq(pn_graph_node_conn_open(&net->nodes[0].n, net->now, 0, NULL), PN_ERR_STATE);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_direct_connection_carries_pt2pt_only)
{
    tnet *net = calloc(1, sizeof *net);
    tlink *l;
    pn_graph_in6 a;
    int cb;
    PN_REQ("GRAPH-3.1.4.7-01");
    PN_REQ("GRAPH-3.1.5.2.13-01");
    add_node(net, 1, 64, 0);
    add_node(net, 0, 64, 0);
    add_node(net, 0, 64, 0);
    add_records(net, 0, 5, "x");
    /* Node 2 joins as a neighbour: Pings flow but are not data. */
    connect_nodes(net, 2, 0);
    run(net, 2000);
    ck_assert_uint_eq(net->nodes[0].data + net->nodes[2].data, 0);
    /* Node 1 opens a direct connection to node 0 (which accepts them). */
    addr_of(0, &a);
    l = &net->links[net->nl++];
    l->a = 0;
    l->b = 1;
    l->cb = cb = pn_graph_node_conn_open_direct(&net->nodes[1].n, net->now, &a);
    l->ca = pn_graph_node_conn_open(&net->nodes[0].n, net->now, 0, NULL);
    l->up = 1;
    run(net, 3000);
    ck_assert_uint_eq(net->nodes[0].direct, 1);
    ck_assert_uint_eq(net->nodes[1].direct, 1);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[0].n), 1);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[1].n), 0);
    ck_assert_uint_eq(net->nodes[1].n.db.count, 0); /* no synchronisation */
    ck_assert_int_eq(
        pn_graph_node_send_data(&net->nodes[1].n, cb, &chat, (const uint8_t *)"psst", 4), PN_OK);
    ck_assert_int_eq(pn_graph_node_send_data(&net->nodes[1].n, cb, &pn_graph_type_ping, NULL, 0),
                     PN_ERR_ARG);
    run(net, 4000);
    ck_assert_uint_eq(net->nodes[0].data, 1);
    ck_assert_uint_eq(net->nodes[0].last_len, 4);
    ck_assert_mem_eq(net->nodes[0].last_data, "psst", 4);
    /* New records are not flooded over the direct link. */
    add_records(net, 0, 2, "y");
    run(net, 6000);
    ck_assert_uint_eq(net->nodes[1].n.db.count, 0);
    ck_assert_uint_eq(net->nodes[2].n.db.count, 7);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_direct_connection_refused_when_not_accepted)
{
    tnet *net = calloc(1, sizeof *net);
    tlink *l;
    pn_graph_in6 a;
    add_node(net, 1, 64, 0);
    add_node(net, 0, 64, 0);
    net->nodes[0].n.cfg.accept_direct = 0;
    addr_of(0, &a);
    l = &net->links[net->nl++];
    l->a = 0;
    l->b = 1;
    l->cb = pn_graph_node_conn_open_direct(&net->nodes[1].n, net->now, &a);
    l->ca = pn_graph_node_conn_open(&net->nodes[0].n, net->now, 0, NULL);
    l->up = 1;
    run(net, 2000);
    ck_assert_uint_eq(net->nodes[1].n.ctr.closed_refused, 1);
    ck_assert_uint_eq(net->nodes[0].direct + net->nodes[1].direct, 0);
    free_net(net);
    free(net);
}
END_TEST

/* Feed node a FLOOD carrying rec on connection ci, framed as on the wire. */
static void inject_flood(tnet *net, int i, int ci, pn_graph_record *rec)
{
    uint8_t msg[1200], frame[1300];
    size_t need;
    int n = pn_graph_record_encode(rec, msg + 12, sizeof msg - 12, &need);
    ck_assert_int_gt(n, 0);
    memset(msg, 0, 12);
    msg[0] = (uint8_t)((n + 12) >> 24);
    msg[1] = (uint8_t)((n + 12) >> 16);
    msg[2] = (uint8_t)((n + 12) >> 8);
    msg[3] = (uint8_t)(n + 12);
    msg[4] = PN_GRAPH_VERSION;
    msg[5] = PN_GRAPH_FLOOD;
    msg[9] = 12;
    n = pn_graph_frames_encode(msg, (size_t)n + 12, PN_GRAPH_FRAME_MAX, frame, sizeof frame, &need);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_graph_node_input(&net->nodes[i].n, net->now, ci, frame, (size_t)n), PN_OK);
}

static void mk_rec(pn_graph_record *r, uint8_t *b16, const char *graph, const char *creator,
                   uint64_t pt, uint32_t id_low)
{
    size_t need;
    pn_graph_guid g;
    memset(r, 0, sizeof *r);
    ck_assert_int_gt(
        pn_graph_str16_from_utf8(creator, strlen(creator), b16, 128, &need, &r->creator_id), 0);
    ck_assert_int_gt(
        pn_graph_str16_from_utf8(graph, strlen(graph), b16 + 128, 128, &need, &r->graph_id), 0);
    memset(&g, 0, sizeof g);
    g.b[15] = (uint8_t)id_low;
    g.b[14] = (uint8_t)(id_low >> 8);
    pn_graph_record_id_make(&r->creator_id, &g, &r->id);
    r->type = chat;
    r->version = 1;
    r->creation_time = r->modification_time = pt;
    r->expiration_time = pt + 600 * SECT;
    r->payload = (const uint8_t *)"injected";
    r->payload_len = 8;
}

/* MS-PPGRH 3.1.7.27: a received record of another graph, with a Record ID that does not
 * derive from its creator, or already expired is discarded; a good one is stored and
 * flooded on. */
START_TEST(graph_node_received_record_validation)
{
    tnet *net = calloc(1, sizeof *net);
    pn_graph_record r;
    uint8_t b16[256];
    uint64_t pt, out0;
    int ca;
    PN_REQ("GRAPH-3.1.7.27-01");
    PN_REQ("GRAPH-3.1.7.27-02");
    add_node(net, 1, 64, 0);
    add_node(net, 0, 64, 0);
    add_node(net, 0, 64, 0);
    connect_nodes(net, 1, 0);
    run(net, 1000);
    connect_nodes(net, 2, 0);
    run(net, 2000);
    ca = net->links[0].ca;
    pt = pn_graph_node_peer_time(&net->nodes[0].n, net->now);
    mk_rec(&r, b16, "other-graph", "mallory", pt, 1);
    inject_flood(net, 0, ca, &r);
    mk_rec(&r, b16, "test-graph", "mallory", pt, 2);
    r.id.b[0] ^= 0x80; /* high half no longer MD5-derived from the creator */
    inject_flood(net, 0, ca, &r);
    mk_rec(&r, b16, "test-graph", "mallory", pt - 1200 * SECT, 3); /* expired 10 min ago */
    inject_flood(net, 0, ca, &r);
    ck_assert_uint_eq(net->nodes[0].n.ctr.drop_invalid_record, 3);
    ck_assert_uint_eq(net->nodes[0].n.db.count, 0);
    out0 = net->nodes[0].n.ctr.floods_out;
    mk_rec(&r, b16, "test-graph", "mallory", pt, 4);
    inject_flood(net, 0, ca, &r);
    ck_assert_uint_eq(net->nodes[0].n.db.count, 1);
    run(net, 4000);
    ck_assert_uint_eq(net->nodes[2].n.db.count, 1); /* flooded on to the other neighbour */
    /* ... and only to it: node 0 sent one FLOOD, none back on the sender's link. */
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[0].n), 2);
    ck_assert_uint_eq(net->nodes[0].n.ctr.floods_out - out0, 1);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_second_link_to_a_neighbour_refused)
{
    tnet *net = calloc(1, sizeof *net);
    PN_REQ("GRAPH-3.1.5.2.1-03");
    add_node(net, 1, 16, 0);
    add_node(net, 0, 16, 0);
    connect_nodes(net, 1, 0);
    run(net, 1000);
    connect_nodes(net, 1, 0);
    run(net, 2000);
    ck_assert_uint_eq(net->nodes[1].n.ctr.closed_refused, 1);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[0].n), 1);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[1].n), 1);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_expired_records_purged_everywhere)
{
    tnet *net = calloc(1, sizeof *net);
    uint32_t expired = 0;
    int i;
    PN_REQ("GRAPH-3.1.6.7-02");
    add_node(net, 1, 16, 0);
    add_node(net, 0, 16, 0);
    connect_nodes(net, 1, 0);
    run(net, 1000);
    ck_assert_int_eq(
        pn_graph_node_add(&net->nodes[0].n, net->now, &chat, (const uint8_t *)"short", 5, 5, NULL),
        PN_OK);
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[0].n, net->now, &chat, (const uint8_t *)"long",
                                       4, 3600, NULL),
                     PN_OK);
    run(net, 3000);
    ck_assert_uint_eq(net->nodes[1].n.db.count, 2);
    run(net, 40000); /* the expiration timer runs every 15 s */
    for (i = 0; i < 2; i++) {
        ck_assert_uint_eq(net->nodes[i].n.db.count, 1);
        expired += (uint32_t)net->nodes[i].n.ctr.records_expired;
    }
    ck_assert_uint_eq(expired, 2);
    free_net(net);
    free(net);
}
END_TEST

/* ---- deferred records and autorefresh (decisions GE-41, GE-42) ---- */
static int defer_mode; /* 0: toy verdicts; 1: defer "later" records; 2: reject them */

static int defer_validate(void *ctx, const pn_graph_record *rec)
{
    if (rec->payload_len >= 5 && memcmp(rec->payload, "later", 5) == 0 && defer_mode != 0)
        return defer_mode == 1 ? PN_GRAPH_DEFER : PN_GRAPH_INVALID;
    return toy_validate(ctx, rec);
}

START_TEST(graph_node_deferred_records_held_then_revalidated)
{
    tnet *net = calloc(1, sizeof *net);
    toy t[3];
    pn_graph_security s[3];
    int i;
    uint32_t before;
    PN_REQ("GRAPH-3.1.7.28-02");
    PN_REQ("GRAPH-3.1.4.10-01");
    for (i = 0; i < 3; i++) {
        pn_graph_security x = {&t[i],       1,          toy_auth,      toy_encrypt,
                               toy_decrypt, toy_secure, defer_validate};
        memset(&t[i], 0, sizeof t[i]);
        s[i] = x;
        next_security = &s[i];
        add_node(net, i == 0, 64, 0);
    }
    next_security = NULL;
    defer_mode = 1;
    connect_nodes(net, 1, 0);
    run(net, 1000);
    connect_nodes(net, 2, 0);
    run(net, 3000);
    /* Node 1 publishes 12 records node 0 cannot validate yet: held apart, bounded, never
     * stored nor flooded on. */
    add_records(net, 1, 12, "later");
    run(net, 5000);
    ck_assert_uint_eq(net->nodes[0].n.db.count, 0);
    ck_assert_uint_eq(net->nodes[2].n.db.count, 0);
    ck_assert_int_eq(pn_graph_node_deferred(&net->nodes[0].n), PN_GRAPH_MAX_DEFERRED);
    ck_assert_uint_eq(net->nodes[0].n.ctr.deferred_held, 12);
    ck_assert_uint_eq(net->nodes[0].n.ctr.deferred_dropped, 12 - PN_GRAPH_MAX_DEFERRED);
    /* The provider can decide now: each is re-processed as if just received, stored and
     * flooded on. */
    defer_mode = 0;
    ck_assert_int_eq(pn_graph_node_revalidate(&net->nodes[0].n, net->now), PN_GRAPH_MAX_DEFERRED);
    ck_assert_int_eq(pn_graph_node_deferred(&net->nodes[0].n), 0);
    ck_assert_uint_eq(net->nodes[0].n.db.count, PN_GRAPH_MAX_DEFERRED);
    run(net, 7000);
    ck_assert_uint_eq(net->nodes[2].n.db.count, PN_GRAPH_MAX_DEFERRED);
    /* Deferred, then refused: dropped, nothing stored. */
    defer_mode = 1;
    before = net->nodes[0].n.db.count;
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[1].n, net->now, &chat,
                                       (const uint8_t *)"later-bad", 9, 600, NULL),
                     PN_OK);
    run(net, 9000);
    ck_assert_int_eq(pn_graph_node_deferred(&net->nodes[0].n), 1);
    defer_mode = 2;
    ck_assert_int_eq(pn_graph_node_revalidate(&net->nodes[0].n, net->now), 0);
    ck_assert_int_eq(pn_graph_node_deferred(&net->nodes[0].n), 0);
    ck_assert_uint_eq(net->nodes[0].n.db.count, before);
    /* Still deferred when the expiration timer retries: kept, still not stored. */
    defer_mode = 1;
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[1].n, net->now, &chat,
                                       (const uint8_t *)"later-again", 11, 600, NULL),
                     PN_OK);
    run(net, 40000);
    ck_assert_int_eq(pn_graph_node_deferred(&net->nodes[0].n), 1);
    ck_assert_uint_eq(net->nodes[0].n.db.count, before);
    defer_mode = 0;
    run(net, 60000); /* the expiration timer (every 15 s) retries it */
    ck_assert_int_eq(pn_graph_node_deferred(&net->nodes[0].n), 0);
    /* (later links' hash syncs may bring the records evicted above as well) */
    ck_assert_uint_ge(net->nodes[0].n.db.count, before + 1);
    ck_assert_uint_ge(net->nodes[0].n.ctr.deferred_stored, PN_GRAPH_MAX_DEFERRED + 1);
    free_net(net);
    free(net);
}
END_TEST

START_TEST(graph_node_autorefresh_keeps_owned_records_alive)
{
    tnet *net = calloc(1, sizeof *net);
    pn_graph_guid kept, lapsed, theirs;
    int i, k;
    PN_REQ("GRAPH-3.1.7.22-01");
    PN_REQ("GRAPH-3.1.6.8-01");
    add_node(net, 1, 16, 0);
    add_node(net, 0, 16, 0);
    connect_nodes(net, 1, 0);
    run(net, 1000);
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[0].n, net->now, &chat,
                                       (const uint8_t *)"kept alive", 10, 60, &kept),
                     PN_OK);
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[0].n, net->now, &chat,
                                       (const uint8_t *)"left to lapse", 13, 60, &lapsed),
                     PN_OK);
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[1].n, net->now, &chat,
                                       (const uint8_t *)"not ours", 8, 600, &theirs),
                     PN_OK);
    run(net, 2000);
    ck_assert_int_eq(pn_graph_node_set_autorefresh(&net->nodes[0].n, net->now, &kept, 1), PN_OK);
    /* Only the owner refreshes: node 0 neither created nor last modified node 1's record. */
    ck_assert_int_eq(pn_graph_node_set_autorefresh(&net->nodes[0].n, net->now, &theirs, 1),
                     PN_ERR_STATE);
    run(net, 300000); /* five minutes: the 60 s record would have expired five times over */
    for (i = 0; i < 2; i++) {
        const pn_graph_node *n = &net->nodes[i].n;
        uint64_t pt = pn_graph_node_peer_time(n, net->now);
        k = pn_graph_db_find(&n->db, &kept);
        ck_assert_int_ge(k, 0);
        ck_assert_uint_gt(n->db.e[k].exp_time, pt);
        ck_assert_uint_ge(n->db.e[k].version, 5); /* republished about every 40 s */
        ck_assert_int_lt(pn_graph_db_find(&n->db, &lapsed), 0);
    }
    ck_assert_uint_ge(net->nodes[0].n.ctr.autorefreshed, 4);
    /* Switched off: it lapses like any other record. */
    ck_assert_int_eq(pn_graph_node_set_autorefresh(&net->nodes[0].n, net->now, &kept, 0), PN_OK);
    run(net, 400000);
    ck_assert_int_lt(pn_graph_db_find(&net->nodes[1].n.db, &kept), 0);
    free_net(net);
    free(net);
}
END_TEST

/* Decision GE-43: without a provider frames stream into the reassembly (no frame buffer)
 * and a FLOOD queue longer than its ring spills to the records' marks. */
START_TEST(graph_node_streamed_frames_and_spilled_queue)
{
    tnet *net = calloc(1, sizeof *net);
    uint8_t d0[32], d1[32], msg[64], in[80];
    pn_graph_msg m;
    size_t need;
    int ci, n;
    PN_REQ("GRAPH-3.1.5.2-01");
    PN_REQ("GRAPH-3.1.7.29-01");
    add_node(net, 1, 700, 0);
    /* The receiver holds alice's 600 within her publisher share (GE-72). */
    add_node(net, 0, 600 * 100 / PN_GRAPH_PUBLISHER_PERCENT + 16, 0);
    add_records(net, 0, 600, "spill"); /* Sync All queues 600 > PN_GRAPH_CONN_QUEUE */
    ck_assert_int_lt(PN_GRAPH_CONN_QUEUE, 600);
    move_cap = 7; /* every frame arrives in pieces */
    connect_nodes(net, 1, 0);
    run(net, 60000);
    move_cap = 0;
    ck_assert_uint_eq(net->nodes[1].n.db.count, 600);
    digest(net, 0, d0);
    digest(net, 1, d1);
    ck_assert_mem_eq(d0, d1, 32);
    ck_assert_uint_eq(net->nodes[1].synchronised, 1);
    /* One frame carrying a whole message and the start of another, cut exactly at the
     * message end: refused as a bad frame (decision G-7), the message never dispatched. */
    memset(&m, 0, sizeof m);
    m.type = PN_GRAPH_SYNC_END;
    n = pn_graph_msg_encode(&m, msg, sizeof msg, &need);
    ck_assert_int_gt(n, 0);
    in[0] = 0;
    in[1] = (uint8_t)(n + 4);
    memcpy(in + 2, msg, (size_t)n);
    ci = pn_graph_node_conn_open(&net->nodes[1].n, net->now, 0, NULL);
    ck_assert_int_ge(ci, 0);
    ck_assert_int_lt(pn_graph_node_input(&net->nodes[1].n, net->now, ci, in, (size_t)n + 2), 0);
    ck_assert_uint_eq(net->nodes[1].n.ctr.closed_bad_frame, 1);
    ck_assert_uint_eq(net->nodes[1].n.ctr.closed_unexpected, 0);
    free_net(net);
    free(net);
}
END_TEST

/* After a split heals, hash sync moves exactly the records one side lacks: one FLOOD per
 * missing record or newer version, nothing the other side already holds. */
START_TEST(graph_node_hash_sync_sends_only_what_is_missing)
{
    tnet *net = calloc(1, sizeof *net);
    uint8_t d0[32], d1[32];
    uint64_t before;
    int k;
    PN_REQ("GRAPH-3.1.7.31-05");
    add_node(net, 1, 256, 0);
    add_node(net, 0, 256, 0);
    add_records(net, 0, 40, "common");
    connect_nodes(net, 1, 0);
    run(net, 3000);
    ck_assert_uint_eq(net->nodes[1].n.db.count, 40);
    /* Split: the link goes; each side changes the database on its own. */
    net->links[0].up = 0;
    pn_graph_node_conn_closed(&net->nodes[0].n, net->now, net->links[0].ca);
    pn_graph_node_conn_closed(&net->nodes[1].n, net->now, net->links[0].cb);
    add_records(net, 0, 30, "zero");
    add_records(net, 1, 30, "one");
    for (k = 0; k < 5; k++) {
        pn_graph_guid id =
            net->nodes[0].n.db.e[pn_graph_db_sorted(&net->nodes[0].n.db, (uint32_t)k)].id;
        ck_assert_int_eq(pn_graph_node_update(&net->nodes[0].n, net->now, &id,
                                              (const uint8_t *)"newer", 5, 3600),
                         PN_OK);
    }
    before = net->nodes[0].n.ctr.floods_out + net->nodes[1].n.ctr.floods_out;
    connect_nodes(net, 1, 0);
    run(net, 8000);
    digest(net, 0, d0);
    digest(net, 1, d1);
    ck_assert_mem_eq(d0, d1, 32);
    ck_assert_uint_eq(net->nodes[0].n.db.count, 100);
    ck_assert_uint_eq(net->nodes[0].n.ctr.floods_out + net->nodes[1].n.ctr.floods_out - before,
                      30 + 30 + 5);
    ck_assert_uint_eq(net->nodes[0].n.ctr.floods_same + net->nodes[1].n.ctr.floods_same, 0);
    free_net(net);
    free(net);
}
END_TEST

PN_SUITE(graph_node)
{
    Suite *s = suite_create("graph_node");
    TCase *t = tcase_create("node");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, graph_node_join_syncs_all_records);
    tcase_add_test(t, graph_node_flood_update_delete);
    tcase_add_test(t, graph_node_hash_sync_merges_both_sides);
    tcase_add_test(t, graph_node_neighbour_limit_refuses_with_referrals);
    tcase_add_test(t, graph_node_peer_time_inherited_then_averaged);
    tcase_add_test(t, graph_node_bad_input_closes_connection);
    tcase_add_test(t, graph_node_auth_timer_closes_silent_connection);
    tcase_add_test(t, graph_node_reopen_with_time_sync);
    tcase_add_test(t, graph_node_ten_nodes_converge_deterministically);
    tcase_add_test(t, graph_node_security_provider_hooks);
    tcase_add_test(t, graph_node_failed_authentication_stores_nothing);
    tcase_add_test(t, graph_node_hash_sync_rounds_with_small_buffers);
    tcase_add_test(t, graph_node_leave_sends_disconnect_with_referrals);
    tcase_add_test(t, graph_node_direct_connection_carries_pt2pt_only);
    tcase_add_test(t, graph_node_direct_connection_refused_when_not_accepted);
    tcase_add_test(t, graph_node_received_record_validation);
    tcase_add_test(t, graph_node_second_link_to_a_neighbour_refused);
    tcase_add_test(t, graph_node_expired_records_purged_everywhere);
    tcase_add_test(t, graph_node_deferred_records_held_then_revalidated);
    tcase_add_test(t, graph_node_autorefresh_keeps_owned_records_alive);
    tcase_add_test(t, graph_node_streamed_frames_and_spilled_queue);
    tcase_add_test(t, graph_node_hash_sync_sends_only_what_is_missing);
    suite_add_tcase(s, t);
    return s;
}
