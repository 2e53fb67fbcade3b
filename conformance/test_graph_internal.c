/* MS-PPGRH 3.1.7.4-3.1.7.6, 3.1.7.11-3.1.7.17: the internal records of the graph node
 * (signature, contacts, presence), partition detection and repair, on an in-memory
 * network of byte streams whose nodes can be split into groups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "peernet/graph.h"
#include "peernet/wire.h"
#include "pn_test.h"

#define MAXN 8
#define MAXL 96
#define UTC0 133000000000000000ull

static const pn_graph_guid note =
    PN_GRAPH_GUID(0x6a1b2c3d, 0x9999, 0x2222, 0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x77);

typedef struct inode {
    pn_graph_node n;
    void *mem;
    int up, group;
    uint32_t expired, deleted, want;
} inode;

typedef struct ilink {
    int a, ca, b, cb, up;
} ilink;

typedef struct inet {
    inode nodes[MAXN];
    ilink links[MAXL];
    int nn, nl;
    uint64_t now;
} inet;

static void on_event(void *ctx, const pn_graph_event *ev)
{
    inode *t = (inode *)ctx;
    if (ev->type == PN_GRAPH_EV_RECORD_EXPIRED)
        t->expired++;
    else if (ev->type == PN_GRAPH_EV_RECORD_DELETED)
        t->deleted++;
    else if (ev->type == PN_GRAPH_EV_WANT_CONNECTION)
        t->want++;
}

static void addr_of(int i, pn_graph_in6 *a)
{
    memset(a, 0, sizeof *a);
    a->addr[0] = 0x20;
    a->addr[1] = 0x01;
    a->addr[15] = (uint8_t)(i + 1);
    a->port = 3587;
}

/* A node with its own peer ID and, for a creator, the rest of the Graph Info (gi). */
static int add_node2(inet *net, int creator, uint32_t max_presence, int no_internal,
                     const char *peer, const pn_graph_properties *gi)
{
    int i = net->nn++;
    inode *t = &net->nodes[i];
    pn_graph_node_config c;
    size_t need;
    memset(&c, 0, sizeof c);
    c.graph_id = "internal-graph";
    c.peer_id = peer != NULL ? peer : "peer";
    c.creator = creator;
    c.max_records = 64;
    c.slot_bytes = peer != NULL ? 2048 : 600;
    if (gi != NULL) {
        c.friendly_name = gi->friendly_name;
        c.comment = gi->comment;
        c.scope = gi->scope;
        c.max_record_size = gi->max_record_size;
        c.defer_expiration = gi->defer_expiration;
        c.presence_lifetime = gi->presence_lifetime;
    }
    c.conn_out_bytes = 16384;
    c.max_msg_bytes = 16384;
    c.seed[0] = (uint8_t)i;
    c.seed[1] = 0x77;
    addr_of(i, &c.listen[0]);
    c.n_listen = 1;
    c.event = on_event;
    c.event_ctx = t;
    c.max_presence = max_presence;
    c.no_internal_records = no_internal;
    need = pn_graph_node_memory_size(&c);
    ck_assert_uint_gt(need, 0);
    t->mem = malloc(need);
    ck_assert_int_eq(pn_graph_node_init(&t->n, &c, t->mem, need), PN_OK);
    pn_graph_node_set_clock(&t->n, net->now, UTC0);
    t->up = 1;
    return i;
}

static int add_node(inet *net, int creator, uint32_t max_presence, int no_internal)
{
    return add_node2(net, creator, max_presence, no_internal, NULL, NULL);
}

static void free_net(inet *net)
{
    int i;
    for (i = 0; i < net->nn; i++)
        free(net->nodes[i].mem);
    free(net);
}

static int node_at(const inet *net, const pn_graph_in6 *a)
{
    int i;
    for (i = 0; i < net->nn; i++) {
        pn_graph_in6 x;
        addr_of(i, &x);
        if (x.port == a->port && memcmp(x.addr, a->addr, 16) == 0)
            return i;
    }
    return -1;
}

/* A connection attempt; it fails (the initiator is told) across groups or to a node that
 * is down, as a lost SYN would. */
static void try_connect(inet *net, int from, int to)
{
    ilink *l = &net->links[net->nl];
    pn_graph_in6 a;
    int cb;
    addr_of(to, &a);
    cb = pn_graph_node_conn_open(&net->nodes[from].n, net->now, 1, &a);
    if (cb < 0)
        return;
    if (to < 0 || !net->nodes[to].up || net->nodes[to].group != net->nodes[from].group ||
        net->nl == MAXL) {
        pn_graph_node_conn_closed(&net->nodes[from].n, net->now, cb);
        return;
    }
    l->a = to;
    l->b = from;
    l->cb = cb;
    l->ca = pn_graph_node_conn_open(&net->nodes[to].n, net->now, 0, NULL);
    if (l->ca < 0) {
        pn_graph_node_conn_closed(&net->nodes[from].n, net->now, l->cb);
        return;
    }
    l->up = 1;
    net->nl++;
}

static void drop_link(inet *net, ilink *l)
{
    l->up = 0;
    if (net->nodes[l->a].up)
        pn_graph_node_conn_closed(&net->nodes[l->a].n, net->now, l->ca);
    if (net->nodes[l->b].up)
        pn_graph_node_conn_closed(&net->nodes[l->b].n, net->now, l->cb);
}

static void compact(inet *net)
{
    int k, j = 0;
    for (k = 0; k < net->nl; k++)
        if (net->links[k].up)
            net->links[j++] = net->links[k];
    net->nl = j;
}

static int move(inet *net, ilink *l, int rev)
{
    uint8_t buf[3000];
    int src = rev ? l->b : l->a, sc = rev ? l->cb : l->ca;
    int dst = rev ? l->a : l->b, dc = rev ? l->ca : l->cb;
    int n = pn_graph_node_poll_conn(&net->nodes[src].n, net->now, sc, buf, sizeof buf);
    if (n > 0)
        pn_graph_node_input(&net->nodes[dst].n, net->now, dc, buf, (size_t)n);
    return n > 0;
}

static void closes(inet *net, int i)
{
    int ci, k;
    while ((ci = pn_graph_node_poll_close(&net->nodes[i].n)) >= 0) {
        for (k = 0; k < net->nl; k++) {
            ilink *l = &net->links[k];
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

static void run(inet *net, uint64_t until)
{
    while (net->now < until) {
        int moved = 0, i, k;
        for (k = 0; k < net->nl; k++) {
            ilink *l = &net->links[k];
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
            if (pn_graph_node_poll_connect(&net->nodes[i].n, &to)) {
                try_connect(net, i, node_at(net, &to));
                moved = 1;
            }
            if (pn_graph_node_next_deadline(&net->nodes[i].n) <= net->now)
                pn_graph_node_tick(&net->nodes[i].n, net->now);
        }
        if (net->nl > MAXL - 8)
            compact(net);
        if (!moved)
            net->now += 10;
    }
}

/* Node i stops at once (no DISCONNECT, nothing deleted): its peers see the sockets die. */
static void crash(inet *net, int i)
{
    int k;
    for (k = 0; k < net->nl; k++) {
        ilink *l = &net->links[k];
        if (l->up && (l->a == i || l->b == i))
            drop_link(net, l);
    }
    net->nodes[i].up = 0;
}

/* Split: every link between different groups dies. */
static void cut(inet *net)
{
    int k;
    for (k = 0; k < net->nl; k++) {
        ilink *l = &net->links[k];
        if (l->up && net->nodes[l->a].group != net->nodes[l->b].group)
            drop_link(net, l);
    }
}

static uint64_t lowest_id(const inet *net)
{
    uint64_t m = UINT64_MAX;
    int i;
    for (i = 0; i < net->nn; i++)
        if (net->nodes[i].up && net->nodes[i].n.node_id < m)
            m = net->nodes[i].n.node_id;
    return m;
}

static int holds_note(const pn_graph_node *n, const char *text)
{
    uint32_t pos = 0;
    int i;
    while ((i = pn_graph_db_next(&n->db, &pos, &note)) >= 0) {
        pn_graph_record r;
        if (pn_graph_db_get(&n->db, (uint32_t)i, &r) == PN_OK && r.payload_len == strlen(text) &&
            memcmp(r.payload, text, r.payload_len) == 0)
            return 1;
    }
    return 0;
}

/* A chain 0-1-...-(n-1), node 0 the creator. */
static inet *chain(int n, uint32_t max_presence, int no_internal)
{
    inet *net = (inet *)calloc(1, sizeof *net);
    int i;
    ck_assert_ptr_nonnull(net);
    for (i = 0; i < n; i++)
        add_node(net, i == 0, max_presence, no_internal);
    for (i = 1; i < n; i++) {
        try_connect(net, i, i - 1);
        run(net, net->now + 2000);
    }
    return net;
}

START_TEST(graph_internal_signature_is_the_lowest_node_id)
{
    inet *net = chain(5, 0, 0);
    uint64_t sig, low = lowest_id(net);
    int i;
    PN_REQ("GRAPH-3.1.7.11-01");
    PN_REQ("GRAPH-3.1.7.6-01");
    PN_REQ("GRAPH-3.1.6.4-01");
    run(net, 60000);
    for (i = 0; i < net->nn; i++) {
        ck_assert_int_eq(pn_graph_node_signature(&net->nodes[i].n, &sig), 1);
        ck_assert_uint_eq(sig, low);
    }
    /* Refreshed by its publisher (3.1.7.22): still there long after its 300 s lifetime. */
    run(net, 1000000);
    for (i = 0; i < net->nn; i++) {
        ck_assert_int_eq(pn_graph_node_signature(&net->nodes[i].n, &sig), 1);
        ck_assert_uint_eq(sig, low);
        ck_assert_uint_eq(net->nodes[i].expired, 0);
    }
    /* The application cannot mark an internal record for the generic autorefresh: the
     * internal records refresh themselves (GE-37), a second refresh would double them.
     * Every node here has the same peer ID, so without that rule each would be owned. */
    for (i = 0; i < net->nn; i++) {
        pn_graph_db *db = &net->nodes[i].n.db;
        uint32_t pos = 0, seen = 0;
        int k;
        while ((k = pn_graph_db_next(db, &pos, NULL)) >= 0) {
            if (!pn_graph_record_type_is_internal(&db->e[k].type))
                continue;
            seen++;
            ck_assert_int_eq(
                pn_graph_node_set_autorefresh(&net->nodes[i].n, net->now, &db->e[k].id, 1),
                PN_ERR_STATE);
            ck_assert_uint_eq(db->e[k].autorefresh, 0);
        }
        ck_assert_uint_gt(seen, 0);
    }
    free_net(net);
}
END_TEST

START_TEST(graph_internal_signature_moves_on_when_its_owner_leaves_or_crashes)
{
    inet *net = chain(5, 0, 0);
    uint64_t sig, low;
    int i, owner = -1;
    PN_REQ("GRAPH-3.1.7.19-01");
    PN_REQ("GRAPH-3.1.4.12-03");
    run(net, 60000);
    low = lowest_id(net);
    for (i = 0; i < net->nn; i++)
        if (net->nodes[i].n.node_id == low)
            owner = i;
    ck_assert_int_ge(owner, 0);
    /* A clean leave deletes the signature record: another node takes over at once. */
    ck_assert_int_ge(pn_graph_node_leave(&net->nodes[owner].n, net->now), 1);
    run(net, net->now + 2000);
    net->nodes[owner].up = 0;
    crash(net, owner);
    if (owner != 0 && owner != net->nn - 1) { /* mend the chain around it */
        try_connect(net, owner + 1, owner - 1);
    }
    run(net, net->now + 40000);
    low = lowest_id(net);
    for (i = 0; i < net->nn; i++) {
        if (!net->nodes[i].up)
            continue;
        ck_assert_int_eq(pn_graph_node_signature(&net->nodes[i].n, &sig), 1);
        ck_assert_uint_eq(sig, low);
    }
    /* A crash leaves the record behind until it expires (300 s), then the next lowest
     * node publishes its own. */
    for (i = 0; i < net->nn; i++)
        if (net->nodes[i].up && net->nodes[i].n.node_id == low)
            owner = i;
    crash(net, owner);
    if (owner != 0 && owner != net->nn - 1 && net->nodes[owner - 1].up && net->nodes[owner + 1].up)
        try_connect(net, owner + 1, owner - 1);
    run(net, net->now + 400000);
    low = lowest_id(net);
    for (i = 0; i < net->nn; i++) {
        if (!net->nodes[i].up)
            continue;
        ck_assert_int_eq(pn_graph_node_signature(&net->nodes[i].n, &sig), 1);
        ck_assert_uint_eq(sig, low);
    }
    free_net(net);
}
END_TEST

START_TEST(graph_internal_contacts_published_up_to_the_minimum)
{
    inet *net = chain(6, 0, 0);
    int i, own, total = 0;
    PN_REQ("GRAPH-3.1.7.12-01");
    PN_REQ("GRAPH-3.1.7.5-01");
    PN_REQ("GRAPH-3.1.6.3-01");
    PN_REQ("GRAPH-3.1.7.15-01");
    /* Six nodes: the signature is far above 2^60, so Cmin is 5 and Cmax 10: contact
     * timers (10..180 s) make at least five of them contacts, and every node sees the
     * same set. */
    run(net, 250000);
    for (i = 0; i < net->nn; i++) {
        int n = pn_graph_node_contacts(&net->nodes[i].n, &own);
        ck_assert_int_ge(n, 5);
        ck_assert_int_le(n, 6);
        ck_assert_int_eq(n, pn_graph_node_contacts(&net->nodes[0].n, NULL));
        total += own;
    }
    ck_assert_int_eq(total, pn_graph_node_contacts(&net->nodes[0].n, NULL));
    /* Contacts refresh their 900 s records and ask for long-term repair connections. */
    run(net, 2000000);
    ck_assert_int_ge(pn_graph_node_contacts(&net->nodes[0].n, NULL), 5);
    for (i = 0; i < net->nn; i++)
        ck_assert_uint_eq(net->nodes[i].expired, 0);
    total = 0;
    for (i = 0; i < net->nn; i++)
        total += (int)net->nodes[i].want;
    ck_assert_int_gt(total, 0);
    free_net(net);
}
END_TEST

START_TEST(graph_internal_presence_published_seen_and_gone)
{
    inet *net = chain(4, 0xFFFFFFFFu, 0);
    uint64_t ids[8];
    int i, n, k, found;
    PN_REQ("GRAPH-3.1.7.17-01");
    PN_REQ("GRAPH-3.1.7.4-01");
    PN_REQ("GRAPH-3.1.7.20-01");
    PN_REQ("GRAPH-3.1.4.12-03");
    run(net, 30000);
    /* Max Presence Records -1: every listening node publishes; all see all. */
    for (i = 0; i < net->nn; i++) {
        n = pn_graph_node_presence(&net->nodes[i].n, ids, 8);
        ck_assert_int_eq(n, 4);
        for (k = 0; k < 4; k++) {
            int j;
            found = 0;
            for (j = 0; j < n; j++)
                found |= ids[j] == net->nodes[k].n.node_id;
            ck_assert_int_eq(found, 1);
        }
    }
    /* A leaving node deletes its presence at once. */
    ck_assert_int_ge(pn_graph_node_leave(&net->nodes[3].n, net->now), 1);
    run(net, net->now + 2000);
    crash(net, 3);
    for (i = 0; i < 3; i++)
        ck_assert_int_eq(pn_graph_node_presence(&net->nodes[i].n, ids, 8), 3);
    /* A crashed node's presence expires after the Presence Lifetime (300 s), while the
     * live nodes keep theirs refreshed. */
    crash(net, 2);
    run(net, net->now + 200000);
    ck_assert_int_eq(pn_graph_node_presence(&net->nodes[0].n, ids, 8), 3);
    run(net, net->now + 200000);
    for (i = 0; i < 2; i++) {
        ck_assert_int_eq(pn_graph_node_presence(&net->nodes[i].n, ids, 8), 2);
        ck_assert_uint_ge(net->nodes[i].expired, 1);
    }
    free_net(net);
}
END_TEST

START_TEST(graph_internal_presence_on_request_only)
{
    inet *net = chain(3, 0, 0);
    uint64_t ids[4];
    int i;
    PN_REQ("GRAPH-3.1.4.6-01");
    PN_REQ("GRAPH-3.1.7.4-01");
    run(net, 30000);
    for (i = 0; i < net->nn; i++)
        ck_assert_int_eq(pn_graph_node_presence(&net->nodes[i].n, ids, 4), 0);
    ck_assert_int_eq(pn_graph_node_publish_presence(&net->nodes[1].n, net->now), PN_OK);
    run(net, net->now + 2000);
    for (i = 0; i < net->nn; i++) {
        ck_assert_int_eq(pn_graph_node_presence(&net->nodes[i].n, ids, 4), 1);
        ck_assert_uint_eq(ids[0], net->nodes[1].n.node_id);
    }
    /* Kept while the node is in the graph. */
    run(net, net->now + 700000);
    ck_assert_int_eq(pn_graph_node_presence(&net->nodes[2].n, ids, 4), 1);
    ck_assert_int_eq(pn_graph_node_publish_presence(NULL, 0), PN_ERR_ARG);
    free_net(net);
}
END_TEST

START_TEST(graph_internal_presence_target_count)
{
    inet *net = chain(6, 2, 0);
    uint64_t ids[8];
    int i, n;
    PN_REQ("GRAPH-3.1.6.9-01");
    /* Max Presence Records 2: presence timers (30..180 s) publish until two nodes have
     * theirs in the graph, and no more. */
    run(net, 20000);
    ck_assert_int_eq(pn_graph_node_presence(&net->nodes[0].n, ids, 8), 0);
    run(net, 250000);
    n = pn_graph_node_presence(&net->nodes[0].n, ids, 8);
    ck_assert_int_eq(n, 2);
    for (i = 1; i < net->nn; i++)
        ck_assert_int_eq(pn_graph_node_presence(&net->nodes[i].n, ids, 8), n);
    free_net(net);
}
END_TEST

/* Two halves 0-1-2 and 3-4-5 joined by one link; the network splits for 500 s (long
 * enough for one half's copy of the signature record to expire) while each half
 * publishes a record, then heals.  Nothing but the node engines reconnects them. */
static void partition_scenario(int no_internal, int *merged, uint32_t *detected)
{
    inet *net = chain(6, 0, no_internal);
    int i;
    run(net, 250000); /* signature and contact records settle */
    for (i = 3; i < 6; i++)
        net->nodes[i].group = 1;
    cut(net);
    run(net, net->now + 1000);
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[0].n, net->now, &note, (const uint8_t *)"left",
                                       4, 86400, NULL),
                     PN_OK);
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[5].n, net->now, &note, (const uint8_t *)"right",
                                       5, 86400, NULL),
                     PN_OK);
    run(net, 700000);
    ck_assert_int_eq(holds_note(&net->nodes[5].n, "left"), 0); /* really apart */
    for (i = 3; i < 6; i++)
        net->nodes[i].group = 0;
    /* Healed between two graph maintenance timers (30 s + k x 300 s): connection
     * maintenance alone would not look for new neighbours before 930 s. */
    run(net, 760000);
    *merged = 1;
    *detected = 0;
    for (i = 0; i < 6; i++) {
        *merged &= holds_note(&net->nodes[i].n, "left") && holds_note(&net->nodes[i].n, "right");
        *detected += net->nodes[i].n.in.repair_connects;
    }
    free_net(net);
}

START_TEST(graph_internal_partition_detected_and_repaired)
{
    int merged;
    uint32_t detected;
    PN_REQ("GRAPH-3.1.7.13-01");
    PN_REQ("GRAPH-3.1.6.5-01");
    partition_scenario(0, &merged, &detected);
    ck_assert_int_eq(merged, 1);
    ck_assert_uint_gt(detected, 0);
    /* The same split without internal records stays split over the same time. */
    partition_scenario(1, &merged, &detected);
    ck_assert_int_eq(merged, 0);
    ck_assert_uint_eq(detected, 0);
}
END_TEST

START_TEST(graph_internal_records_bounded_by_the_database)
{
    inet *net = chain(3, 0xFFFFFFFFu, 0);
    pn_graph_record r;
    int i, found = 0;
    uint32_t pos = 0;
    PN_REQ("GRAPH-3.1.7.10.4-01");
    PN_REQ("GRAPH-3.1.7.6-01");
    PN_REQ("GRAPH-3.1.7.5-01");
    run(net, 250000);
    /* The internal records are ordinary records: their types and fixed signature ID,
     * and they validate like any received record (Record ID derived from the creator). */
    while ((i = pn_graph_db_next(&net->nodes[2].n.db, &pos, NULL)) >= 0) {
        ck_assert_int_eq(pn_graph_db_get(&net->nodes[2].n.db, (uint32_t)i, &r), PN_OK);
        if (pn_graph_guid_eq(&r.type, &pn_graph_type_signature)) {
            ck_assert(pn_graph_guid_eq(&r.id, &pn_graph_id_signature));
            found |= 1;
        } else if (pn_graph_guid_eq(&r.type, &pn_graph_type_contact)) {
            ck_assert_int_eq(pn_graph_record_id_check(&r.creator_id, &r.id), 1);
            found |= 2;
        } else if (pn_graph_guid_eq(&r.type, &pn_graph_type_presence)) {
            ck_assert_int_eq(pn_graph_record_id_check(&r.creator_id, &r.id), 1);
            found |= 4;
        }
    }
    ck_assert_int_eq(found, 7);
    free_net(net);
}
END_TEST

/* `peernet graph --presence --watch` over real TCP on [::1]: a creator and a joiner see
 * both presences; when the joiner leaves, the creator sees its presence deleted.  The
 * shell script bounds every wait; --exit-after is each process's backstop. */
START_TEST(graph_internal_presence_over_real_sockets)
{
    char cmd[2048], out[4096], line[256];
    const char *tool = getenv("PN_TOOL");
    FILE *p;
    size_t len = 0;
    int rc, added = 0, deleted = 0, sep = 0;
    PN_REQ("GRAPH-3.1.7.17-02");
    if (tool == NULL)
        tool = "build/peernet";
    snprintf(cmd, sizeof cmd,
             "T=$(mktemp -d) || exit 3; "
             "'%s' graph --graph presence-e2e --bind '[::1]:0' --presence --watch "
             "--exit-after 6 >$T/a 2>$T/ae & "
             "i=0; P=; while [ $i -lt 50 ] && [ -z \"$P\" ]; do sleep 0.1; i=$((i+1)); "
             "P=$(sed -n 's/.*listening on //p' $T/ae); done; "
             "'%s' graph --graph presence-e2e --bind '[::1]:0' --connect \"$P\" --presence "
             "--watch --exit-after 2 >$T/b 2>/dev/null; wait; "
             "cat $T/a; echo ===; cat $T/b; rm -rf $T",
             tool, tool);
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    out[0] = '\0';
    while (fgets(line, sizeof line, p) != NULL) {
        size_t n = strlen(line);
        if (len + n < sizeof out) {
            memcpy(out + len, line, n + 1);
            len += n;
        }
        if (strncmp(line, "===", 3) == 0)
            sep = 1;
        else if (!sep && strncmp(line, "presence added ", 15) == 0)
            added++;
        else if (!sep && strncmp(line, "presence deleted ", 17) == 0)
            deleted++;
    }
    rc = pclose(p);
    ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "script failed: %s", out);
    /* The creator: its own presence and the joiner's, then the joiner's deletion (and its
     * own, as it leaves last). */
    ck_assert_msg(added == 2, "creator saw %d presences: %s", added, out);
    ck_assert_msg(deleted >= 1, "creator saw no presence leave: %s", out);
    ck_assert_ptr_nonnull(strstr(strstr(out, "===\n"), "presence added "));
}
END_TEST

/* ---- Graph Info, presence attributes, address change (GE-49 to GE-53) ---------------- */
static int str_is(const pn_graph_str16 *s, const char *text)
{
    char buf[600];
    size_t needed;
    int n = pn_graph_str16_to_utf8(s, buf, sizeof buf, &needed);
    return n >= 0 && (size_t)n == strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

static const pn_graph_record *graph_info_rec(const pn_graph_node *n, pn_graph_record *r)
{
    int i = pn_graph_db_find(&n->db, &pn_graph_id_graph_info);
    if (i < 0 || pn_graph_db_get(&n->db, (uint32_t)i, r) != PN_OK)
        return NULL;
    return r;
}

static inet *club(void)
{
    static const char *const peers[3] = {"owner", "alice", "bob"};
    inet *net = (inet *)calloc(1, sizeof *net);
    pn_graph_properties gi;
    int i;
    ck_assert_ptr_nonnull(net);
    memset(&gi, 0, sizeof gi);
    gi.friendly_name = "Chess club";
    gi.comment = "weekly games";
    gi.presence_lifetime = 600;
    gi.max_record_size = 1024;
    /* The creator sets Max Presence Records -1; the joiners' own configuration says 0
     * (presence on request only): they publish only if they adopt the creator's value. */
    add_node2(net, 1, 0xFFFFFFFFu, 0, peers[0], &gi);
    for (i = 1; i < 3; i++) {
        add_node2(net, 0, 0, 0, peers[i], NULL);
        try_connect(net, i, i - 1);
        run(net, net->now + 2000);
    }
    return net;
}

START_TEST(graph_internal_graph_info_published_adopted_and_updated)
{
    inet *net = club();
    pn_graph_info gi;
    pn_graph_record r;
    pn_graph_properties p;
    pn_graph_presence pr;
    uint64_t ids[4];
    uint8_t big[1500];
    int i;
    PN_REQ("GRAPH-3.1.4.1-01");
    PN_REQ("GRAPH-3.1.7.7-01");
    PN_REQ("GRAPH-3.1.7.7-02");
    PN_REQ("GRAPH-3.1.7.10.2-01");
    PN_REQ("GRAPH-2.2.3.1-07");
    run(net, 30000);
    for (i = 0; i < 3; i++) {
        const pn_graph_node *n = &net->nodes[i].n;
        ck_assert_int_eq(pn_graph_node_graph_info(n, &gi), 1);
        ck_assert(str_is(&gi.friendly_name, "Chess club"));
        ck_assert(str_is(&gi.comment, "weekly games"));
        ck_assert(str_is(&gi.creator_id, "owner"));
        ck_assert(str_is(&gi.graph_id, "internal-graph"));
        ck_assert_uint_eq(gi.scope, PN_GRAPH_SCOPE_GLOBAL);
        ck_assert_ptr_nonnull(graph_info_rec(n, &r));
        ck_assert(str_is(&r.creator_id, "owner"));
        ck_assert_uint_eq(r.version, 1);
        ck_assert_uint_eq(r.expiration_time - r.modification_time, 300ull * 10000000u);
        /* adopted: the settings in force are the creator's, not the node's own */
        ck_assert_uint_eq(n->in.max_presence, 0xFFFFFFFFu);
        ck_assert_uint_eq(n->in.presence_lifetime, 600);
        ck_assert_uint_eq(n->max_record_size, 1024);
        ck_assert_uint_eq(n->in.gi_refused, 0);
        /* ... so every node publishes its presence, with the graph's 600 s lifetime */
        ck_assert_int_eq(pn_graph_node_presence(n, ids, 4), 3);
        ck_assert_int_eq(pn_graph_node_presence_get(n, net->nodes[i].n.node_id, &pr), 1);
    }
    ck_assert_uint_eq(net->nodes[0].n.in.gi_published, 1);
    ck_assert_uint_eq(net->nodes[1].n.in.gi_published, 0);
    {
        uint32_t pos = 0;
        int k;
        while ((k = pn_graph_db_next(&net->nodes[2].n.db, &pos, &pn_graph_type_presence)) >= 0) {
            ck_assert_int_eq(pn_graph_db_get(&net->nodes[2].n.db, (uint32_t)k, &r), PN_OK);
            ck_assert_uint_eq(r.expiration_time - r.modification_time, 600ull * 10000000u);
        }
    }
    /* Max Record Size 1024 holds on a joiner. */
    memset(big, 'x', sizeof big);
    ck_assert_int_eq(
        pn_graph_node_add(&net->nodes[2].n, net->now, &note, big, sizeof big, 600, NULL),
        PN_ERR_GRAPH_TOO_BIG);

    /* Only the creator may change the properties; bad values change nothing. */
    memset(&p, 0, sizeof p);
    p.friendly_name = "Chess club (new)";
    p.comment = "weekly games";
    p.presence_lifetime = 900;
    p.max_presence = 0xFFFFFFFFu;
    ck_assert_int_eq(pn_graph_node_set_properties(&net->nodes[1].n, net->now, &p), PN_ERR_STATE);
    p.presence_lifetime = 100;
    ck_assert_int_eq(pn_graph_node_set_properties(&net->nodes[0].n, net->now, &p), PN_ERR_RANGE);
    p.presence_lifetime = 900;
    p.scope = 9;
    ck_assert_int_eq(pn_graph_node_set_properties(&net->nodes[0].n, net->now, &p), PN_ERR_ARG);
    p.scope = PN_GRAPH_SCOPE_LINKLOCAL;
    p.max_record_size = 100;
    ck_assert_int_eq(pn_graph_node_set_properties(&net->nodes[0].n, net->now, &p), PN_ERR_RANGE);
    ck_assert_int_eq(pn_graph_node_set_properties(NULL, net->now, &p), PN_ERR_ARG);
    ck_assert_uint_eq(graph_info_rec(&net->nodes[0].n, &r)->version, 1);
    /* The creator's update floods and every node adopts it. */
    p.max_record_size = 0;
    ck_assert_int_eq(pn_graph_node_set_properties(&net->nodes[0].n, net->now, &p), PN_OK);
    run(net, net->now + 3000);
    for (i = 0; i < 3; i++) {
        const pn_graph_node *n = &net->nodes[i].n;
        ck_assert_int_eq(pn_graph_node_graph_info(n, &gi), 1);
        ck_assert(str_is(&gi.friendly_name, "Chess club (new)"));
        ck_assert(str_is(&gi.creator_id, "owner")); /* immutable */
        ck_assert(str_is(&gi.graph_id, "internal-graph"));
        ck_assert_uint_eq(gi.scope, PN_GRAPH_SCOPE_LINKLOCAL);
        ck_assert_uint_eq(graph_info_rec(n, &r)->version, 2);
        ck_assert(str_is(&r.creator_id, "owner"));
        ck_assert_uint_eq(n->in.presence_lifetime, 900);
        ck_assert_uint_eq(n->max_record_size, 0);
        ck_assert_uint_ge(n->in.gi_adoptions, 2);
    }
    ck_assert_int_eq(
        pn_graph_node_add(&net->nodes[2].n, net->now, &note, big, sizeof big, 600, NULL), PN_OK);
    /* The creator keeps it alive (300 s lifetime) while it is in the graph. */
    run(net, net->now + 1000000);
    for (i = 0; i < 3; i++)
        ck_assert_int_eq(pn_graph_node_graph_info(&net->nodes[i].n, &gi), 1);
    /* Once the creator is gone the record expires (300 s), and so does its presence (the
     * adopted 900 s), but the adopted settings stay. */
    crash(net, 0);
    run(net, net->now + 400000);
    for (i = 1; i < 3; i++)
        ck_assert_int_eq(pn_graph_node_graph_info(&net->nodes[i].n, &gi), 0);
    run(net, net->now + 600000);
    for (i = 1; i < 3; i++) {
        const pn_graph_node *n = &net->nodes[i].n;
        ck_assert_int_eq(pn_graph_node_graph_info(n, &gi), 0);
        ck_assert_uint_eq(n->in.presence_lifetime, 900);
        ck_assert_uint_eq(n->in.max_presence, 0xFFFFFFFFu);
        ck_assert_int_eq(pn_graph_node_presence(n, ids, 4), 2);
    }
    free_net(net);
}
END_TEST

START_TEST(graph_internal_graph_info_forgeries_refused)
{
    inet *net = club();
    pn_graph_record r, f;
    pn_graph_info gi;
    pn_graph_err err;
    pn_graph_properties eve_gi;
    uint8_t payload[512], enc[2048], who[64];
    pn_graph_str16 mallory;
    size_t needed;
    uint32_t idx, refused;
    int n, m, e, i;
    PN_REQ("GRAPH-3.1.4.1-02");
    PN_REQ("GRAPH-3.1.7.7-03");
    run(net, 30000);
    /* Mallory holds a newer Graph Info "by the owner" that she modified herself (Max
     * Presence Records 0, Presence Lifetime 3000) and joins through bob. */
    m = add_node2(net, 0, 0, 0, "mallory", NULL);
    ck_assert_ptr_nonnull(graph_info_rec(&net->nodes[2].n, &r));
    ck_assert_int_eq(pn_graph_info_decode(r.payload, r.payload_len, NULL, &gi, &err), PN_OK);
    ck_assert_int_ge(pn_graph_str16_from_utf8("mallory", 7, who, sizeof who, &needed, &mallory), 0);
    gi.max_presence = 0;
    gi.presence_lifetime = 3000;
    n = pn_graph_info_encode(&gi, payload, sizeof payload, &needed);
    ck_assert_int_gt(n, 0);
    f = r;
    f.version = r.version + 5;
    f.last_modified_by = mallory;
    f.modification_time = r.modification_time + 1;
    f.payload = payload;
    f.payload_len = (uint32_t)n;
    n = pn_graph_record_encode(&f, enc, sizeof enc, &needed);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_graph_record_decode(enc, (size_t)n, &f, &err), PN_OK);
    ck_assert_int_eq(pn_graph_db_offer(&net->nodes[m].n.db, enc, (size_t)n, &f, &idx),
                     PN_GRAPH_DB_NEW);
    try_connect(net, m, 2);
    run(net, net->now + 20000);
    for (i = 0; i < 3; i++) {
        const pn_graph_node *k = &net->nodes[i].n;
        ck_assert_uint_eq(graph_info_rec(k, &r)->version, 1);
        ck_assert_uint_eq(r.last_modified_by.count, 0);
        ck_assert_uint_eq(k->in.max_presence, 0xFFFFFFFFu);
        ck_assert_uint_eq(k->in.presence_lifetime, 600);
    }
    refused = net->nodes[1].n.in.gi_refused;
    ck_assert_uint_ge(net->nodes[2].n.in.gi_refused, 1); /* bob got it, refused and counted */
    ck_assert_uint_ge(net->nodes[2].n.ctr.drop_invalid_record, 1);
    /* Eve creates a graph of the same ID with her own Graph Info and connects to alice:
     * a second creator's Graph Info is refused (and eve refuses the owner's). */
    memset(&eve_gi, 0, sizeof eve_gi);
    eve_gi.friendly_name = "Eve's club";
    eve_gi.presence_lifetime = 1200;
    e = add_node2(net, 1, 0, 0, "eve", &eve_gi);
    run(net, net->now + 2000);
    ck_assert_int_eq(pn_graph_node_graph_info(&net->nodes[e].n, &gi), 1);
    ck_assert(str_is(&gi.creator_id, "eve"));
    /* her record is newer than the owner's (version 3), so synchronisation carries it */
    ck_assert_int_eq(pn_graph_node_set_properties(&net->nodes[e].n, net->now, &eve_gi), PN_OK);
    ck_assert_int_eq(pn_graph_node_set_properties(&net->nodes[e].n, net->now, &eve_gi), PN_OK);
    ck_assert_uint_eq(graph_info_rec(&net->nodes[e].n, &r)->version, 3);
    try_connect(net, e, 1);
    run(net, net->now + 20000);
    for (i = 0; i < 3; i++) {
        const pn_graph_node *k = &net->nodes[i].n;
        ck_assert_int_eq(pn_graph_node_graph_info(k, &gi), 1);
        ck_assert(str_is(&gi.creator_id, "owner"));
        ck_assert(str_is(&gi.friendly_name, "Chess club"));
        ck_assert_uint_eq(k->in.presence_lifetime, 600);
    }
    ck_assert_uint_gt(net->nodes[1].n.in.gi_refused, refused); /* alice refused eve's */
    ck_assert_int_eq(pn_graph_node_graph_info(&net->nodes[e].n, &gi), 1);
    ck_assert(str_is(&gi.creator_id, "eve"));
    ck_assert_uint_gt(net->nodes[e].n.in.gi_refused, 0);
    ck_assert_uint_gt(net->nodes[1].n.in.gi_refused + net->nodes[2].n.in.gi_refused,
                      refused - refused);
    free_net(net);
}
END_TEST

static int contact_of(const pn_graph_node *n, uint64_t id, pn_graph_contact *c)
{
    uint32_t pos = 0;
    int i;
    while ((i = pn_graph_db_next(&n->db, &pos, &pn_graph_type_contact)) >= 0) {
        pn_graph_record r;
        pn_graph_err err;
        if (pn_graph_db_get(&n->db, (uint32_t)i, &r) == PN_OK &&
            !(r.flags & PN_GRAPH_RECORD_DELETED) &&
            pn_graph_contact_decode(r.payload, r.payload_len, NULL, c, &err) == PN_OK &&
            c->node_id == id)
            return 1;
    }
    return 0;
}

static uint32_t presence_version(const pn_graph_node *n, uint64_t id)
{
    uint32_t pos = 0;
    int i;
    while ((i = pn_graph_db_next(&n->db, &pos, &pn_graph_type_presence)) >= 0) {
        pn_graph_record r;
        pn_graph_presence p;
        pn_graph_err err;
        if (pn_graph_db_get(&n->db, (uint32_t)i, &r) == PN_OK &&
            !(r.flags & PN_GRAPH_RECORD_DELETED) &&
            pn_graph_presence_decode(r.payload, r.payload_len, NULL, &p, &err) == PN_OK &&
            p.node_id == id)
            return r.version;
    }
    return 0;
}

START_TEST(graph_internal_presence_attributes_and_address_change)
{
    inet *net = chain(3, 0xFFFFFFFFu, 0);
    pn_graph_presence pr;
    pn_graph_contact c;
    pn_graph_peer_addr pa;
    pn_graph_in6 na[3];
    uint64_t ids[4], id1 = net->nodes[1].n.node_id;
    uint32_t v0, v1;
    char longer[PN_GRAPH_PRESENCE_ATTR_MAX_CHARS + 8];
    int i;
    PN_REQ("GRAPH-3.1.7.4-02");
    PN_REQ("GRAPH-3.1.7.23-01");
    PN_REQ("GRAPH-3.1.7.23-02");
    PN_REQ("GRAPH-3.1.7.10.5-01");
    ck_assert_int_eq(pn_graph_node_set_presence_attributes(&net->nodes[1].n, net->now, "away"),
                     PN_OK);
    run(net, 250000); /* presence everywhere; three nodes: every one a contact (Cmin 5) */
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(pn_graph_node_presence_get(&net->nodes[i].n, id1, &pr), 1);
        ck_assert(str_is(&pr.attributes, "away"));
        ck_assert_int_eq(contact_of(&net->nodes[i].n, id1, &c), 1);
    }
    ck_assert_int_eq(pn_graph_node_presence_get(&net->nodes[0].n, net->nodes[2].n.node_id, &pr), 1);
    ck_assert_uint_eq(pr.attributes.count, 0); /* no attributes: none carried */
    /* New attributes: an update of the presence record, seen everywhere. */
    v0 = presence_version(&net->nodes[0].n, id1);
    ck_assert_uint_gt(v0, 0);
    ck_assert_int_eq(pn_graph_node_set_presence_attributes(&net->nodes[1].n, net->now, "busy"),
                     PN_OK);
    run(net, net->now + 2000);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(pn_graph_node_presence_get(&net->nodes[i].n, id1, &pr), 1);
        ck_assert(str_is(&pr.attributes, "busy"));
    }
    v1 = presence_version(&net->nodes[0].n, id1);
    ck_assert_uint_gt(v1, v0);
    /* Too long or not UTF-8: refused, nothing changes. */
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    ck_assert_int_eq(pn_graph_node_set_presence_attributes(&net->nodes[1].n, net->now, longer),
                     PN_ERR_RANGE);
    ck_assert_int_lt(pn_graph_node_set_presence_attributes(&net->nodes[1].n, net->now, "\xff"), 0);
    ck_assert_uint_eq(presence_version(&net->nodes[1].n, id1), v1);

    /* 3.1.7.23: node 1's address changes; presence and contact are republished. */
    memset(na, 0, sizeof na);
    na[0].addr[0] = 0x20;
    na[0].addr[1] = 0x01;
    na[0].addr[15] = 0x99;
    na[0].port = 4000;
    ck_assert_int_eq(pn_graph_node_set_addresses(&net->nodes[1].n, net->now, na, 3), PN_ERR_ARG);
    ck_assert_int_eq(pn_graph_node_set_addresses(&net->nodes[1].n, net->now, NULL, 1), PN_ERR_ARG);
    ck_assert_int_eq(pn_graph_node_set_addresses(&net->nodes[1].n, net->now, na, 1), PN_OK);
    run(net, net->now + 2000);
    for (i = 0; i < 3; i++) {
        const pn_graph_node *n = &net->nodes[i].n;
        ck_assert_int_eq(pn_graph_node_presence_get(n, id1, &pr), 1);
        ck_assert_uint_eq(pr.addrs.n, 1);
        pn_graph_peer_addr_get(&pr.addrs, 0, &pa);
        ck_assert_uint_eq(pa.port, 4000);
        ck_assert_int_eq(memcmp(pa.addr, na[0].addr, 16), 0);
        ck_assert(str_is(&pr.attributes, "busy")); /* otherwise identical */
        ck_assert_uint_gt(presence_version(n, id1), v1);
        ck_assert_int_eq(contact_of(n, id1, &c), 1);
        ck_assert_uint_eq(c.addrs.n, 1);
        pn_graph_peer_addr_get(&c.addrs, 0, &pa);
        ck_assert_uint_eq(pa.port, 4000);
    }
    ck_assert_uint_eq(net->nodes[1].n.in.addr_changes, 1);
    /* The same list again is no change. */
    ck_assert_int_eq(pn_graph_node_set_addresses(&net->nodes[1].n, net->now, na, 1), PN_OK);
    ck_assert_uint_eq(net->nodes[1].n.in.addr_changes, 1);
    /* No address left: the node no longer listens anywhere and deletes its presence. */
    ck_assert_int_eq(pn_graph_node_set_addresses(&net->nodes[1].n, net->now, NULL, 0), PN_OK);
    run(net, net->now + 2000);
    for (i = 0; i < 3; i++) {
        ck_assert_int_eq(pn_graph_node_presence(&net->nodes[i].n, ids, 4), 2);
        ck_assert_int_eq(pn_graph_node_presence_get(&net->nodes[i].n, id1, &pr), 0);
    }
    /* An address again: presence maintenance publishes it once more. */
    ck_assert_int_eq(pn_graph_node_set_addresses(&net->nodes[1].n, net->now, na, 1), PN_OK);
    run(net, net->now + 2000);
    for (i = 0; i < 3; i++)
        ck_assert_int_eq(pn_graph_node_presence_get(&net->nodes[i].n, id1, &pr), 1);
    free_net(net);
}
END_TEST

static int count_type(const pn_graph_node *n, const pn_graph_guid *type)
{
    uint32_t pos = 0;
    int k = 0;
    while (pn_graph_db_next(&n->db, &pos, type) >= 0)
        k++;
    return k;
}

/* A lone creator with or without Defer Expiration adds a 60 s note and waits 120 s. */
static inet *lone_creator(int defer)
{
    inet *net = (inet *)calloc(1, sizeof *net);
    pn_graph_properties gi;
    static const uint8_t text[] = "deferred";
    ck_assert_ptr_nonnull(net);
    memset(&gi, 0, sizeof gi);
    gi.defer_expiration = defer;
    add_node2(net, 1, 0, 0, "owner", &gi);
    run(net, 1000);
    ck_assert_int_eq(
        pn_graph_node_add(&net->nodes[0].n, net->now, &note, text, sizeof text, 60, NULL), PN_OK);
    run(net, net->now + 120000);
    return net;
}

START_TEST(graph_internal_defer_expiration_keeps_records_while_alone)
{
    static const uint8_t second[] = "second";
    inet *plain = lone_creator(0), *net = lone_creator(1);
    pn_graph_info gi;
    int j;
    PN_REQ("GRAPH-2.2.3.1-08");
    PN_REQ("GRAPH-3.1.5.2.2-02");
    /* Without the flag the note expires although nobody is connected ... */
    ck_assert_int_eq(count_type(&plain->nodes[0].n, &note), 0);
    ck_assert_uint_eq(plain->nodes[0].expired, 1);
    /* ... with it, it outlives its Expiration Time while the node has no neighbour. */
    ck_assert_int_eq(count_type(&net->nodes[0].n, &note), 1);
    ck_assert_uint_eq(net->nodes[0].expired, 0);
    ck_assert_int_eq(pn_graph_node_graph_info(&net->nodes[0].n, &gi), 1);
    ck_assert_uint_eq(gi.flags & PN_GRAPH_INFO_DEFER_EXPIRATION, PN_GRAPH_INFO_DEFER_EXPIRATION);
    /* The first link starts the expiration scan at once: the note is gone before the
     * joiner could be sent it, and the joiner never stores it. */
    j = add_node2(net, 0, 0, 0, "alice", NULL);
    try_connect(net, j, 0);
    run(net, net->now + 3000);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[0].n), 1);
    ck_assert_int_eq(count_type(&net->nodes[0].n, &note), 0);
    ck_assert_uint_eq(net->nodes[0].expired, 1);
    ck_assert_int_eq(count_type(&net->nodes[j].n, &note), 0);
    /* The joiner adopted the flag from the Graph Info record: a note it receives while
     * connected outlives its expiry once the joiner is alone (its creator crashed). */
    ck_assert_uint_eq(net->nodes[j].n.in.defer_expiration, 1);
    ck_assert_int_eq(
        pn_graph_node_add(&net->nodes[0].n, net->now, &note, second, sizeof second, 60, NULL),
        PN_OK);
    run(net, net->now + 3000);
    ck_assert_int_eq(count_type(&net->nodes[j].n, &note), 1);
    crash(net, 0);
    run(net, net->now + 120000);
    ck_assert_int_eq(pn_graph_node_neighbours(&net->nodes[j].n), 0);
    ck_assert_int_eq(count_type(&net->nodes[j].n, &note), 1);
    ck_assert_uint_eq(net->nodes[j].expired, 0);
    free_net(plain);
    free_net(net);
}
END_TEST

START_TEST(graph_internal_persisted_database_drops_node_records)
{
    inet *net = club();
    static uint8_t img[64 * 2200];
    size_t needed;
    pn_graph_info gi;
    pn_graph_presence pr;
    uint64_t ids[8];
    int r, k;
    PN_REQ("GRAPH-3.1.4.2-01");
    run(net, 250000);
    ck_assert_int_eq(pn_graph_node_add(&net->nodes[1].n, net->now, &note, (const uint8_t *)"kept",
                                       4, 86400, NULL),
                     PN_OK);
    run(net, net->now + 2000);
    ck_assert_int_eq(count_type(&net->nodes[2].n, &pn_graph_type_presence), 3);
    ck_assert_int_eq(count_type(&net->nodes[2].n, &pn_graph_type_signature), 1);
    ck_assert_int_gt(count_type(&net->nodes[2].n, &pn_graph_type_contact), 0);
    r = pn_graph_node_save(&net->nodes[2].n, net->now, img, sizeof img, &needed);
    ck_assert_int_gt(r, 0);
    /* bob restarts (a new node, own configuration: no presence) from that image */
    crash(net, 2);
    k = add_node2(net, 0, 0, 0, "bob", NULL);
    ck_assert_int_eq(pn_graph_node_load(&net->nodes[k].n, img, (size_t)r), PN_OK);
    ck_assert_int_eq(count_type(&net->nodes[k].n, &pn_graph_type_presence), 0);
    ck_assert_int_eq(count_type(&net->nodes[k].n, &pn_graph_type_signature), 0);
    ck_assert_int_eq(count_type(&net->nodes[k].n, &pn_graph_type_contact), 0);
    ck_assert_int_eq(holds_note(&net->nodes[k].n, "kept"), 1);
    ck_assert_int_eq(pn_graph_node_graph_info(&net->nodes[k].n, &gi), 1);
    ck_assert_uint_eq(net->nodes[k].n.in.presence_lifetime, 600);
    ck_assert_uint_eq(net->nodes[k].n.in.max_presence, 0xFFFFFFFFu);
    /* back in the graph it learns the live ones again and publishes its own presence */
    try_connect(net, k, 1);
    run(net, net->now + 30000);
    ck_assert_int_eq(pn_graph_node_signature(&net->nodes[k].n, ids), 1);
    ck_assert_int_eq(pn_graph_node_presence_get(&net->nodes[0].n, net->nodes[k].n.node_id, &pr), 1);
    free_net(net);
}
END_TEST

PN_SUITE(graph_internal)
{
    Suite *s = suite_create("graph_internal");
    TCase *t = tcase_create("internal");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, graph_internal_signature_is_the_lowest_node_id);
    tcase_add_test(t, graph_internal_signature_moves_on_when_its_owner_leaves_or_crashes);
    tcase_add_test(t, graph_internal_contacts_published_up_to_the_minimum);
    tcase_add_test(t, graph_internal_presence_published_seen_and_gone);
    tcase_add_test(t, graph_internal_presence_on_request_only);
    tcase_add_test(t, graph_internal_presence_target_count);
    tcase_add_test(t, graph_internal_partition_detected_and_repaired);
    tcase_add_test(t, graph_internal_records_bounded_by_the_database);
    tcase_add_test(t, graph_internal_presence_over_real_sockets);
    suite_add_tcase(s, t);
    t = tcase_create("graph_info"); /* Graph Info, presence attributes, addresses */
    tcase_set_timeout(t, 120);
    tcase_add_test(t, graph_internal_graph_info_published_adopted_and_updated);
    tcase_add_test(t, graph_internal_graph_info_forgeries_refused);
    tcase_add_test(t, graph_internal_presence_attributes_and_address_change);
    tcase_add_test(t, graph_internal_persisted_database_drops_node_records);
    tcase_add_test(t, graph_internal_defer_expiration_keeps_records_while_alone);
    suite_add_tcase(s, t);
    return s;
}
