/* `peernet graph`: one Peer Graphing node (MS-PPGRH) on real TCP through the posix
 * platform.  It creates the graph (no --connect) or joins it through --connect,
 * publishes each --publish text as a record, prints record events with --watch, keeps
 * its database image in --db (read at start, atomically replaced at most once a second
 * and at exit) and leaves the graph cleanly on SIGINT/SIGTERM or after --exit-after.
 *
 * The loop has the shape of the simulator driver (sim_graph.c): accept, drain every
 * socket until WOULDBLOCK into the engine, tick, flush the engine's output, then
 * pf.wait until the next deadline. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "peernet/graph.h"
#include "peernet/platform.h"
#include "peernet/posix.h"
#include "peernet/wire.h"

#define PEND_BYTES   4096
#define MAX_PUBLISH  64
#define MAX_RECORDS  4096
#define SLOT_BYTES   1024
#define MSG_BYTES    32768
#define SAVE_MS      1000
#define RETRY_MS     3000
#define LEAVE_MS     1000
#define WAIT_MAX_MS  200
#define REC_LIFETIME (30u * 86400u)

/* The record type of `peernet graph` texts (payload: the UTF-8 text, no NUL). */
static const pn_graph_guid text_type =
    PN_GRAPH_GUID(0x5e5e0002, 0x7e47, 0x4c0d, 0x9e, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02);

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

struct gcli {
    pn_posix px;
    pn_platform pf;
    pn_graph_node node;
    void *mem;
    int lsn, watch, creator, has_connect, ever_joined;
    uint64_t synced_at; /* monotonic ms of the first complete synchronisation, 0: none */
    pn_graph_in6 connect_to;
    int sock[PN_GRAPH_MAX_CONNS];
    uint8_t pend[PN_GRAPH_MAX_CONNS][PEND_BYTES];
    size_t pend_len[PN_GRAPH_MAX_CONNS], pend_off[PN_GRAPH_MAX_CONNS];
    const char *db_name;
    uint8_t *img;
    size_t img_cap;
    pn_graph_store store; /* two checksummed copies, DIR/NAME.0 and .1 (GE-40) */
    uint64_t changes, saved_changes, last_save, retry_at;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: peernet graph --graph ID --bind [ADDR]:PORT [--connect [ADDR]:PORT]\n"
               "                     [--db FILE] [--publish TEXT ...] [--publish-after S]\n"
               "                     [--watch] [--presence] [--exit-after S] [--peer ID]\n"
               "\n"
               "Runs one Peer Graphing node on TCP: creates the graph ID (without --connect) or\n"
               "joins it through --connect, publishes each TEXT as a record and keeps running\n"
               "until SIGINT/SIGTERM or --exit-after seconds, then leaves the graph.\n"
               "\n"
               "  --graph ID        graph name\n"
               "  --bind ADDR:PORT  IPv6 listening address, e.g. [::1]:3587\n"
               "  --connect A:P     a member to join through (retried while isolated)\n"
               "  --db FILE         the database (two copies, FILE.0 and FILE.1): loaded at\n"
               "                    start, saved while running\n"
               "  --publish TEXT    publish a record (repeatable)\n"
               "  --publish-after S publish S seconds after the first synchronisation (a\n"
               "                    joiner) or after the start (a creator); default: at once\n"
               "  --watch           print one line per record event on stdout:\n"
               "                    added|updated|deleted RECORD-ID TEXT, and for presence\n"
               "                    records: presence added|updated|deleted|expired\n"
               "                    RECORD-ID [NODE-ID in hex]\n"
               "  --presence        publish this node's presence once it listens\n"
               "  --exit-after S    leave after S seconds (default: run until a signal)\n"
               "  --peer ID         this member's Peer ID, the Creator ID of its records\n"
               "                    (default: peernet@ and the listening address, so a node\n"
               "                    restarted on the same address is the same member)\n"
               "\n"
               "exit status: 0 clean exit, 1 failure (socket, database, publish, or a joiner that\n"
               "never had a neighbour), 2 usage error\n");
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "peernet graph: %s%s%s\n\n", what, arg ? " " : "", arg ? arg : "");
    usage(stderr);
    return PN_EXIT_USAGE;
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

static void on_event(void *ctx, const pn_graph_event *ev)
{
    struct gcli *g = (struct gcli *)ctx;
    const char *what;
    char id[PN_GRAPH_GUID_STRLEN];
    pn_graph_record rec;
    int i;
    switch (ev->type) {
    case PN_GRAPH_EV_RECORD_ADDED:
        what = "added";
        break;
    case PN_GRAPH_EV_RECORD_UPDATED:
        what = "updated";
        break;
    case PN_GRAPH_EV_RECORD_DELETED:
        what = "deleted";
        break;
    case PN_GRAPH_EV_RECORD_EXPIRED:
        what = "expired";
        break;
    case PN_GRAPH_EV_SYNCHRONISED:
        fprintf(stderr, "peernet graph: synchronised\n");
        if (g->synced_at == 0)
            g->synced_at = g->pf.now_ms(g->pf.ctx) + 1;
        return;
    case PN_GRAPH_EV_NEIGHBOUR_JOINED:
        g->ever_joined = 1;
        return;
    default:
        return;
    }
    g->changes++;
    if (g->watch && pn_graph_guid_eq(&ev->record_type, &pn_graph_type_presence)) {
        pn_graph_presence pr;
        pn_graph_err err;
        pn_graph_guid_format(&ev->record_id, id);
        i = pn_graph_db_find(&g->node.db, &ev->record_id);
        if (i >= 0 && ev->type != PN_GRAPH_EV_RECORD_DELETED &&
            ev->type != PN_GRAPH_EV_RECORD_EXPIRED &&
            pn_graph_db_get(&g->node.db, (uint32_t)i, &rec) == PN_OK &&
            pn_graph_presence_decode(rec.payload, rec.payload_len, NULL, &pr, &err) == PN_OK)
            printf("presence %s %s %016llx\n", what, id, (unsigned long long)pr.node_id);
        else
            printf("presence %s %s\n", what, id);
        fflush(stdout);
        return;
    }
    if (!g->watch || !pn_graph_guid_eq(&ev->record_type, &text_type) ||
        ev->type == PN_GRAPH_EV_RECORD_EXPIRED)
        return;
    pn_graph_guid_format(&ev->record_id, id);
    i = pn_graph_db_find(&g->node.db, &ev->record_id);
    if (i >= 0 && pn_graph_db_get(&g->node.db, (uint32_t)i, &rec) == PN_OK &&
        ev->type != PN_GRAPH_EV_RECORD_DELETED)
        printf("%s %s %.*s\n", what, id, (int)rec.payload_len, (const char *)rec.payload);
    else
        printf("%s %s\n", what, id);
    fflush(stdout);
}

static void open_conn(struct gcli *g, uint64_t now, const pn_graph_in6 *to)
{
    pn_addr addr;
    int s, ci;
    from_in6(to, &addr);
    s = g->pf.tcp_connect(g->pf.ctx, &addr);
    if (s < 0)
        return;
    /* A pending connect is handed to the engine at once: its first bytes wait in pend[]
     * until the socket is writable, and a failed connect surfaces as a send error. */
    ci = pn_graph_node_conn_open(&g->node, now, 1, to);
    if (ci < 0) {
        g->pf.sock_close(g->pf.ctx, s);
        return;
    }
    g->sock[ci] = s;
    g->pend_len[ci] = g->pend_off[ci] = 0;
}

static void drop_conn(struct gcli *g, uint64_t now, int ci, int engine_knows)
{
    g->pf.sock_close(g->pf.ctx, g->sock[ci]);
    g->sock[ci] = -1;
    g->pend_len[ci] = g->pend_off[ci] = 0;
    if (!engine_knows)
        pn_graph_node_conn_closed(&g->node, now, ci);
}

static void flush(struct gcli *g, uint64_t now, int ci)
{
    for (;;) {
        int n;
        if (g->pend_off[ci] < g->pend_len[ci]) {
            n = g->pf.tcp_send(g->pf.ctx, g->sock[ci], g->pend[ci] + g->pend_off[ci],
                               g->pend_len[ci] - g->pend_off[ci]);
            if (n == PN_ERR_WOULDBLOCK)
                return;
            if (n < 0) {
                drop_conn(g, now, ci, 0);
                return;
            }
            g->pend_off[ci] += (size_t)n;
            if (g->pend_off[ci] < g->pend_len[ci])
                return;
        }
        n = pn_graph_node_poll_conn(&g->node, now, ci, g->pend[ci], PEND_BYTES);
        g->pend_off[ci] = 0;
        g->pend_len[ci] = n > 0 ? (size_t)n : 0;
        if (n <= 0)
            return;
    }
}

static int save(struct gcli *g, uint64_t now, int force)
{
    size_t need;
    int n;
    if (g->db_name == NULL || g->changes == g->saved_changes ||
        (!force && now < g->last_save + SAVE_MS))
        return 0;
    (void)need;
    n = pn_graph_store_save_node(&g->store, &g->node, now);
    if (n != PN_OK) {
        fprintf(stderr, "peernet graph: cannot save the database: %s\n", pn_strerror(n));
        return -1;
    }
    g->saved_changes = g->changes;
    g->last_save = now;
    return 0;
}

/* One pass of the driver loop; returns the next deadline. */
static uint64_t step(struct gcli *g, uint64_t now, int leaving)
{
    uint8_t buf[4096];
    pn_graph_in6 to;
    uint64_t next;
    int s, ci, pending = 0;
    pn_addr peer;
    while (!leaving && (s = g->pf.tcp_accept(g->pf.ctx, g->lsn, &peer)) >= 0) {
        to_in6(&peer, &to); /* the node limits the slots one host may hold (GE-70) */
        ci = pn_graph_node_conn_open(&g->node, now, 0, &to);
        if (ci < 0) {
            g->pf.sock_close(g->pf.ctx, s);
            continue;
        }
        g->sock[ci] = s;
        g->pend_len[ci] = g->pend_off[ci] = 0;
    }
    /* Graphing has no discovery of its own: while isolated, a joiner tries its
     * --connect address again (the application's bootstrap). */
    if (!leaving && g->has_connect && pn_graph_node_neighbours(&g->node) == 0 &&
        now >= g->retry_at) {
        int busy = 0;
        for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++)
            busy |= g->sock[ci] >= 0;
        if (!busy)
            open_conn(g, now, &g->connect_to);
        g->retry_at = now + RETRY_MS;
    }
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++) {
        while (g->sock[ci] >= 0) {
            int n = g->pf.tcp_recv(g->pf.ctx, g->sock[ci], buf, sizeof buf);
            if (n == PN_ERR_WOULDBLOCK)
                break;
            if (n <= 0) {
                drop_conn(g, now, ci, 0);
                break;
            }
            pn_graph_node_input(&g->node, now, ci, buf, (size_t)n);
        }
    }
    if (pn_graph_node_next_deadline(&g->node) <= now)
        pn_graph_node_tick(&g->node, now);
    while (pn_graph_node_poll_connect(&g->node, &to))
        if (!leaving)
            open_conn(g, now, &to);
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++)
        if (g->sock[ci] >= 0)
            flush(g, now, ci);
    while ((ci = pn_graph_node_poll_close(&g->node)) >= 0)
        if (g->sock[ci] >= 0)
            drop_conn(g, now, ci, 1);
    if (!leaving)
        (void)save(g, now, 0);
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++)
        pending |= g->sock[ci] >= 0 && g->pend_off[ci] < g->pend_len[ci];
    next = pn_graph_node_next_deadline(&g->node);
    if (pending && now + 5 < next)
        next = now + 5; /* blocked sends: poll() does not wait for writability */
    if (g->has_connect && g->retry_at < next)
        next = g->retry_at;
    if (g->db_name != NULL && g->changes != g->saved_changes && g->last_save + SAVE_MS < next)
        next = g->last_save + SAVE_MS;
    if (next > now + WAIT_MAX_MS)
        next = now + WAIT_MAX_MS; /* notice a signal soon */
    return next;
}

static int open_sockets(struct gcli *g)
{
    int ci, open = 0;
    for (ci = 0; ci < PN_GRAPH_MAX_CONNS; ci++)
        open += g->sock[ci] >= 0;
    return open;
}

static int publish_all(struct gcli *g, uint64_t now, const char *const *texts, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        int e = pn_graph_node_add(&g->node, now, &text_type, (const uint8_t *)texts[i],
                                  strlen(texts[i]), REC_LIFETIME, NULL);
        if (e != PN_OK) {
            fprintf(stderr, "peernet graph: cannot publish \"%s\": %s\n", texts[i], pn_strerror(e));
            return -1;
        }
        g->changes++;
    }
    return 0;
}

/* Split FILE into the storage directory and the blob name. */
static int split_db(char *path, const char **dir, const char **name)
{
    char *slash = strrchr(path, '/');
    if (slash == NULL) {
        *dir = ".";
        *name = path;
    } else {
        *slash = '\0';
        *dir = slash == path ? "/" : path;
        *name = slash + 1;
    }
    return pn_storage_name_valid(*name) && strlen(*name) <= PN_GRAPH_STORE_NAME_MAX ? 0 : -1;
}

int pn_cmd_graph(int argc, char **argv)
{
    static struct gcli g;
    pn_posix_config pc;
    pn_graph_node_config c;
    pn_addr bind_addr, caddr, me;
    const char *graph_id = NULL, *bind_text = NULL, *connect_text = NULL, *peer = NULL;
    char peer_buf[80];
    const char *publish[MAX_PUBLISH];
    char *db_path = NULL;
    const char *db_dir = NULL;
    double exit_after = -1, pub_after = -1;
    uint64_t start_at;
    int i, n_pub = 0, rc = PN_EXIT_OK, presence = 0;
    size_t need;
    uint64_t now, ft, end_at = UINT64_MAX;
    memset(&g, 0, sizeof g);
    g_stop = 0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return PN_EXIT_OK;
        } else if (strcmp(a, "--watch") == 0) {
            g.watch = 1;
            continue; /* a flag: the next argument is not its value */
        } else if (strcmp(a, "--presence") == 0) {
            presence = 1;
            continue;
        } else if (v == NULL) {
            return usage_error("missing value or unknown option", a);
        } else if (strcmp(a, "--graph") == 0) {
            graph_id = v;
        } else if (strcmp(a, "--bind") == 0) {
            bind_text = v;
        } else if (strcmp(a, "--connect") == 0) {
            connect_text = v;
        } else if (strcmp(a, "--peer") == 0) {
            /* 2.2.3.1: a Peer ID is 1 to 255 characters (with its NUL, 2 to 256) */
            if (v[0] == '\0' || strlen(v) > 255)
                return usage_error("--peer needs 1 to 255 characters, got", v);
            peer = v;
        } else if (strcmp(a, "--db") == 0) {
            db_path = argv[i + 1];
        } else if (strcmp(a, "--publish") == 0) {
            if (n_pub >= MAX_PUBLISH)
                return usage_error("too many --publish (at most 64)", NULL);
            publish[n_pub++] = v;
        } else if (strcmp(a, "--publish-after") == 0) {
            char *end;
            pub_after = strtod(v, &end);
            if (*end != '\0' || !(pub_after >= 0 && pub_after <= 1e6))
                return usage_error("--publish-after needs seconds, got", v);
        } else if (strcmp(a, "--exit-after") == 0) {
            char *end;
            exit_after = strtod(v, &end);
            if (*end != '\0' || !(exit_after >= 0 && exit_after <= 1e6))
                return usage_error("--exit-after needs seconds, got", v);
        } else {
            return usage_error("unknown option", a);
        }
        i++;
    }
    if (graph_id == NULL || graph_id[0] == '\0' || bind_text == NULL)
        return usage_error("--graph and --bind are required", NULL);
    if (pn_addr_parse(&bind_addr, bind_text) != PN_OK || bind_addr.family != PN_AF_INET6)
        return usage_error("--bind needs an IPv6 [ADDR]:PORT, got", bind_text);
    if (connect_text != NULL && (pn_addr_parse(&caddr, connect_text) != PN_OK ||
                                 caddr.family != PN_AF_INET6 || caddr.port == 0))
        return usage_error("--connect needs an IPv6 [ADDR]:PORT, got", connect_text);
    if (db_path != NULL && split_db(db_path, &db_dir, &g.db_name) != 0)
        return usage_error("--db: the file name must be 1-62 of A-Z a-z 0-9 . _ -", NULL);

    pn_posix_config_default(&pc);
    pc.storage_dir = db_dir;
    pc.log_level = PN_LOG_WARN;
    if ((i = pn_posix_init(&g.px, &pc)) != PN_OK) {
        fprintf(stderr, "peernet graph: %s: %s\n", db_dir ? db_dir : "platform", pn_strerror(i));
        return PN_EXIT_FAIL;
    }
    g.pf = pn_posix_platform(&g.px);
    for (i = 0; i < PN_GRAPH_MAX_CONNS; i++)
        g.sock[i] = -1;
    g.lsn = g.pf.tcp_listen(g.pf.ctx, &bind_addr);
    if (g.lsn < 0) {
        fprintf(stderr, "peernet graph: cannot listen on %s: %s\n", bind_text, pn_strerror(g.lsn));
        pn_posix_close(&g.px);
        return PN_EXIT_FAIL;
    }
    if (g.pf.sock_name(g.pf.ctx, g.lsn, &me) != PN_OK)
        me = bind_addr;

    memset(&c, 0, sizeof c);
    c.graph_id = graph_id;
    /* Each member its own Peer ID: records are counted per Creator ID (GE-73) and the
     * graph creator is pinned by it (GE-50). */
    if (peer == NULL) {
        memcpy(peer_buf, "peernet@", 8);
        if (pn_addr_format(&me, peer_buf + 8, sizeof peer_buf - 8) < 0)
            memcpy(peer_buf + 8, "graph", 6);
        peer = peer_buf;
    }
    c.peer_id = peer;
    c.creator = connect_text == NULL;
    c.max_records = MAX_RECORDS;
    c.slot_bytes = SLOT_BYTES;
    c.conn_out_bytes = MSG_BYTES;
    c.max_msg_bytes = MSG_BYTES;
    g.pf.random(g.pf.ctx, c.seed, sizeof c.seed);
    to_in6(&me, &c.listen[0]);
    c.n_listen = 1;
    c.event = on_event;
    c.event_ctx = &g;
    c.max_presence = presence ? 0xFFFFFFFFu : 0; /* decision GE-16 */
    need = pn_graph_node_memory_size(&c);
    g.img_cap = (size_t)MAX_RECORDS * (SLOT_BYTES + 4) + 256 + PN_GRAPH_STORE_HDR;
    g.mem = need ? malloc(need) : NULL;
    g.img = (uint8_t *)malloc(g.img_cap);
    if (g.mem == NULL || g.img == NULL ||
        (i = pn_graph_node_init(&g.node, &c, g.mem, need)) != PN_OK) {
        fprintf(stderr, "peernet graph: cannot set up the node\n");
        rc = PN_EXIT_FAIL;
        goto out;
    }
    now = g.pf.now_ms(g.pf.ctx);
    if (pn_graph_unix_ms_to_filetime(g.pf.wall_ms(g.pf.ctx), &ft) != PN_OK) {
        fprintf(stderr, "peernet graph: the wall clock is out of range\n");
        rc = PN_EXIT_FAIL;
        goto out;
    }
    pn_graph_node_set_clock(&g.node, now, ft);
    if (g.db_name != NULL) {
        const uint8_t *img = NULL;
        size_t len = 0;
        int n = pn_graph_store_init(&g.store, &g.pf, g.db_name, g.img, g.img_cap);
        if (n == PN_OK)
            n = pn_graph_store_open(&g.store, &img, &len);
        if (n == PN_OK && len == 0) {
            /* No store yet: an image in the single blob NAME of earlier versions. */
            n = g.pf.storage_read(g.pf.ctx, g.db_name, g.img, g.img_cap);
            if (n >= 0) {
                img = g.img;
                len = (size_t)n;
                n = PN_OK;
            } else if (n == PN_ERR_NOTFOUND) {
                n = PN_OK;
            }
        }
        if (n != PN_OK) {
            fprintf(stderr, "peernet graph: cannot read %s: %s\n", g.db_name, pn_strerror(n));
            rc = PN_EXIT_FAIL;
            goto out;
        }
        if (len > 0) {
            i = pn_graph_node_load(&g.node, img, len);
            if (i != PN_OK) {
                fprintf(stderr, "peernet graph: %s: not a usable database image: %s\n", g.db_name,
                        pn_strerror(i));
                rc = PN_EXIT_FAIL;
                goto out;
            }
            fprintf(stderr, "peernet graph: loaded %u records from %s\n", g.node.db.count,
                    g.db_name);
        }
    }
    if (connect_text != NULL) {
        to_in6(&caddr, &g.connect_to);
        g.has_connect = 1;
        pn_graph_node_add_referral(&g.node, &g.connect_to);
    }
    if (pub_after < 0 && publish_all(&g, now, publish, n_pub) != 0) {
        rc = PN_EXIT_FAIL;
        goto out;
    }
    {
        char text[PN_ADDR_STRLEN];
        if (pn_addr_format(&me, text, sizeof text) > 0)
            fprintf(stderr, "peernet graph: listening on %s\n", text);
    }
    if (exit_after >= 0)
        end_at = now + (uint64_t)(exit_after * 1000.0);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    start_at = now;
    while (!g_stop && (now = g.pf.now_ms(g.pf.ctx)) < end_at) {
        uint64_t next;
        if (pub_after >= 0) {
            /* --publish-after counts from the first synchronisation for a joiner (so the
             * records travel as FLOODs over live links), from the start for a creator. */
            uint64_t base = g.has_connect ? g.synced_at : start_at + 1;
            uint64_t at = base + (uint64_t)(pub_after * 1000.0);
            if (base != 0 && now + 1 >= at) {
                if (publish_all(&g, now, publish, n_pub) != 0) {
                    rc = PN_EXIT_FAIL;
                    break;
                }
                pub_after = -1;
            }
        }
        if (presence == 1 && g.has_connect && g.synced_at != 0 &&
            pn_graph_node_publish_presence(&g.node, now) == PN_OK)
            presence = 2; /* a joiner follows the creator's Graph Info: force it (GE-36) */
        next = step(&g, now, 0);
        if (pub_after >= 0 && now + 10 < next)
            next = now + 10;
        if (next > end_at)
            next = end_at;
        if (next > now)
            g.pf.wait(g.pf.ctx, next);
    }
    /* MS-PPGRH 3.1.4.12: leave with a DISCONNECT on every link, then close. */
    now = g.pf.now_ms(g.pf.ctx);
    pn_graph_node_leave(&g.node, now);
    {
        uint64_t until = now + LEAVE_MS;
        while (open_sockets(&g) > 0 && (now = g.pf.now_ms(g.pf.ctx)) < until) {
            uint64_t next = step(&g, now, 1);
            if (next > now + 20)
                next = now + 20;
            g.pf.wait(g.pf.ctx, next);
        }
    }
    if (save(&g, g.pf.now_ms(g.pf.ctx), 1) != 0)
        rc = PN_EXIT_FAIL;
    fprintf(stderr, "peernet graph: left with %u records\n", g.node.db.count);
    if (pub_after >= 0 && n_pub > 0) {
        fprintf(stderr, "peernet graph: left before publishing (never synchronised)\n");
        rc = PN_EXIT_FAIL;
    }
    if (g.has_connect && !g.ever_joined) {
        fprintf(stderr, "peernet graph: never reached the graph through %s\n", connect_text);
        rc = PN_EXIT_FAIL;
    }
out:
    pn_posix_close(&g.px);
    free(g.mem);
    free(g.img);
    return rc;
}
