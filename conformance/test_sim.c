/* The deterministic network simulator (include/peernet/sim.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peernet/sim.h"
#include "peernet/wire.h"
#include "pn_test.h"

/* ---- helpers ------------------------------------------------------------------------ */
typedef struct capture {
    uint8_t *buf;
    size_t len, cap;
} capture;

static void cap_write(void *ctx, const uint8_t *buf, size_t len)
{
    capture *c = (capture *)ctx;
    if (c->len + len > c->cap) {
        c->cap = (c->len + len) * 2 + 4096;
        c->buf = (uint8_t *)realloc(c->buf, c->cap);
        ck_assert_ptr_nonnull(c->buf);
    }
    memcpy(c->buf + c->len, buf, len);
    c->len += len;
}

static pn_sim *sim_new(const pn_sim_config *cfg, void **mem)
{
    size_t need = pn_sim_memory_size(cfg);
    pn_sim *sim = NULL;
    ck_assert_uint_gt(need, 0);
    *mem = malloc(need);
    ck_assert_ptr_nonnull(*mem);
    ck_assert_int_eq(pn_sim_init(&sim, cfg, *mem, need), PN_OK);
    return sim;
}

static int udp_bind(pn_platform *pf, uint16_t port)
{
    pn_addr a;
    int s;
    memset(&a, 0, sizeof a);
    a.family = PN_AF_INET6;
    a.port = port;
    s = pf->udp_open(pf->ctx, &a);
    ck_assert_int_ge(s, 0);
    return s;
}

static void addr_of(pn_sim *sim, uint32_t node, uint16_t port, pn_addr *a)
{
    ck_assert_int_eq(pn_sim_node_addr(sim, node, port, a), PN_OK);
}

static void send_seq(pn_platform *pf, int s, const pn_addr *to, uint32_t seq, size_t len)
{
    uint8_t buf[256];
    size_t i;
    ck_assert_uint_le(len, sizeof buf);
    ck_assert_uint_ge(len, 4);
    pn_put_u32be(buf, seq);
    for (i = 4; i < len; i++)
        buf[i] = (uint8_t)(seq * 7u + i);
    ck_assert_int_eq(pf->udp_send(pf->ctx, s, to, buf, len), (int)len);
}

/* A small application: pings a fixed peer every 10 ms, answers pings, keeps a boot
 * counter in storage.  Used for run-loop, determinism and crash tests. */
typedef struct ping_app {
    pn_sim *sim;
    uint32_t self, peer;
    int sock;
    uint32_t seq;
    uint64_t next_ping;
    uint32_t starts, runs, pings_rx, pongs_rx, boot_seen;
    int echo_only;
} ping_app;

static void ping_start(void *app, pn_platform *pf)
{
    ping_app *a = (ping_app *)app;
    uint8_t b[4];
    uint32_t boots = 0;
    a->starts++;
    a->sock = udp_bind(pf, 3540);
    a->next_ping = pf->now_ms(pf->ctx) + 10;
    if (pf->storage_read(pf->ctx, "boot", b, sizeof b) == 4)
        boots = pn_get_u32be(b);
    a->boot_seen = boots;
    pn_put_u32be(b, boots + 1);
    ck_assert_int_eq(pf->storage_replace(pf->ctx, "boot", b, 4), PN_OK);
}

static uint64_t ping_run(void *app, pn_platform *pf, uint64_t now)
{
    ping_app *a = (ping_app *)app;
    uint8_t buf[64];
    pn_addr from, to;
    int n;
    a->runs++;
    while ((n = pf->udp_recv(pf->ctx, a->sock, &from, buf, sizeof buf)) >= 0) {
        if (n >= 5 && buf[0] == 'P') {
            a->pings_rx++;
            buf[0] = 'R';
            ck_assert_int_eq(pf->udp_send(pf->ctx, a->sock, &from, buf, (size_t)n), n);
        } else if (n >= 5 && buf[0] == 'R') {
            a->pongs_rx++;
        }
    }
    ck_assert_int_eq(n, PN_ERR_WOULDBLOCK);
    if (a->echo_only)
        return UINT64_MAX;
    if (now >= a->next_ping) {
        memset(buf, (int)a->self, sizeof buf);
        buf[0] = 'P';
        pn_put_u32be(buf + 1, a->seq++);
        pn_sim_node_addr(a->sim, a->peer, 3540, &to);
        ck_assert_int_eq(pf->udp_send(pf->ctx, a->sock, &to, buf, 5 + (a->seq % 40)),
                         (int)(5 + (a->seq % 40)));
        a->next_ping = now + 10;
    }
    return a->next_ping;
}

static const pn_sim_app_ops ping_ops = {ping_start, ping_run};

/* ---- memory and bounds -------------------------------------------------------------- */
START_TEST(sim_memory_size_reported_and_checked)
{
    pn_sim_config cfg;
    pn_sim *sim = NULL;
    size_t need;
    void *mem;
    pn_sim_config_default(&cfg, 4);
    need = pn_sim_memory_size(&cfg);
    ck_assert_uint_gt(need, 0);
    mem = malloc(need);
    ck_assert_int_eq(pn_sim_init(&sim, &cfg, mem, need - 1), PN_ERR_BUFSIZE);
    /* Any alignment of the caller's block works. */
    ck_assert_int_eq(pn_sim_init(&sim, &cfg, (uint8_t *)mem + 1, need - 1), PN_ERR_BUFSIZE);
    ck_assert_int_eq(pn_sim_init(&sim, &cfg, mem, need), PN_OK);
    ck_assert_int_eq(pn_sim_add_node(sim, NULL, NULL), 0);
    ck_assert_int_eq(pn_sim_add_node(sim, NULL, NULL), 1);
    ck_assert_int_eq(pn_sim_add_node(sim, NULL, NULL), 2);
    ck_assert_int_eq(pn_sim_add_node(sim, NULL, NULL), 3);
    ck_assert_int_eq(pn_sim_add_node(sim, NULL, NULL), PN_ERR_NOMEM);
    ck_assert_ptr_null(pn_sim_platform(sim, 4));
    cfg.max_nodes = 0;
    ck_assert_uint_eq(pn_sim_memory_size(&cfg), 0);
    ck_assert_int_eq(pn_sim_init(&sim, &cfg, mem, need), PN_ERR_ARG);
    pn_sim_config_default(&cfg, 4);
    cfg.tcp_mss = 0;
    ck_assert_uint_eq(pn_sim_memory_size(&cfg), 0);
    free(mem);
}
END_TEST

START_TEST(sim_addresses_map_to_nodes)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_addr a;
    char text[PN_ADDR_STRLEN];
    pn_sim_config_default(&cfg, 300);
    sim = sim_new(&cfg, &mem);
    while (pn_sim_add_node(sim, NULL, NULL) >= 0)
        ;
    addr_of(sim, 0, 3540, &a);
    ck_assert_int_gt(pn_addr_format(&a, text, sizeof text), 0);
    ck_assert_str_eq(text, "[2001:db8::1]:3540");
    addr_of(sim, 299, 1, &a);
    ck_assert_int_gt(pn_addr_format(&a, text, sizeof text), 0);
    ck_assert_str_eq(text, "[2001:db8::12c]:1");
    ck_assert_int_eq(pn_sim_addr_node(sim, &a), 299);
    a.ip[15]++;
    ck_assert_int_eq(pn_sim_addr_node(sim, &a), PN_ERR_NOTFOUND);
    free(mem);
}
END_TEST

START_TEST(sim_tables_bounded_return_nomem)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *p0, *p1;
    pn_sim_counters c;
    pn_addr to;
    uint8_t big[PN_SIM_MAX_PAYLOAD + 1];
    int s0, i, rc;
    pn_sim_config_default(&cfg, 2);
    cfg.sockets_per_node = 3;
    cfg.packets = 4;
    cfg.packet_bytes = 4 * 128; /* four chunks */
    cfg.udp_inbox = 2;
    cfg.tcp_conns = 1;
    cfg.storage_blobs = 2;
    cfg.storage_blob_max = 16;
    sim = sim_new(&cfg, &mem);
    pn_sim_add_node(sim, NULL, NULL);
    pn_sim_add_node(sim, NULL, NULL);
    p0 = pn_sim_platform(sim, 0);
    p1 = pn_sim_platform(sim, 1);
    /* sockets */
    s0 = udp_bind(p0, 1000);
    ck_assert_int_eq(udp_bind(p0, 0), 1);
    ck_assert_int_eq(p0->udp_open(p0->ctx, NULL), 2);
    ck_assert_int_eq(p0->udp_open(p0->ctx, NULL), PN_ERR_NOMEM);
    ck_assert_int_eq(p0->tcp_listen(p0->ctx, NULL), PN_ERR_NOMEM);
    ck_assert_int_eq(p0->sock_close(p0->ctx, 2), PN_OK);
    ck_assert_int_eq(p0->sock_close(p0->ctx, 2), PN_ERR_ARG);
    ck_assert_int_eq(udp_bind(p1, 1000), 0);
    ck_assert_int_eq(p1->udp_open(p1->ctx, &(pn_addr){PN_AF_INET6, {0}, 1000, 0}), PN_ERR_EXISTS);
    /* packet pool: one 600-byte datagram takes five chunks of four */
    addr_of(sim, 1, 1000, &to);
    memset(big, 0xab, sizeof big);
    ck_assert_int_eq(p0->udp_send(p0->ctx, s0, &to, big, 600), PN_ERR_NOMEM);
    for (i = 0; i < 4; i++)
        ck_assert_int_eq(p0->udp_send(p0->ctx, s0, &to, big, 10), 10);
    ck_assert_int_eq(p0->udp_send(p0->ctx, s0, &to, big, 10), PN_ERR_NOMEM);
    pn_sim_get_counters(sim, 0, &c);
    ck_assert_uint_eq(c.drop_nomem, 2);
    /* inbox of two: the other two are dropped at the receiver */
    pn_sim_run(sim, 1000, 0);
    pn_sim_get_counters(sim, 1, &c);
    ck_assert_uint_eq(c.udp_delivered, 2);
    ck_assert_uint_eq(c.drop_inbox_full, 2);
    ck_assert_int_eq(p1->udp_recv(p1->ctx, 0, NULL, big, sizeof big), 10);
    /* too small a buffer drops the datagram and says so */
    ck_assert_int_eq(p1->udp_recv(p1->ctx, 0, NULL, big, 9), PN_ERR_BUFSIZE);
    ck_assert_int_eq(p1->udp_recv(p1->ctx, 0, NULL, big, sizeof big), PN_ERR_WOULDBLOCK);
    /* oversize datagrams are refused */
    ck_assert_int_eq(p0->udp_send(p0->ctx, s0, &to, big, PN_SIM_MAX_PAYLOAD + 1), PN_ERR_RANGE);
    /* connections: one slot */
    ck_assert_int_eq(p0->sock_close(p0->ctx, 1), PN_OK);
    addr_of(sim, 1, 80, &to);
    ck_assert_int_ge(p0->tcp_connect(p0->ctx, &to), 0);
    ck_assert_int_eq(p0->tcp_connect(p0->ctx, &to), PN_ERR_NOMEM);
    /* storage: two names fit, a third does not, replacing still works */
    ck_assert_int_eq(p0->storage_replace(p0->ctx, "a", big, 16), PN_OK);
    ck_assert_int_eq(p0->storage_replace(p0->ctx, "b", big, 16), PN_OK);
    ck_assert_int_eq(p0->storage_replace(p0->ctx, "c", big, 1), PN_ERR_NOMEM);
    ck_assert_int_eq(p0->storage_replace(p0->ctx, "a", big, 3), PN_OK);
    ck_assert_int_eq(p0->storage_replace(p0->ctx, "b", big, 17), PN_ERR_RANGE);
    rc = p0->storage_read(p0->ctx, "a", big, sizeof big);
    ck_assert_int_eq(rc, 3);
    free(mem);
}
END_TEST

START_TEST(sim_storage_replace_is_old_or_new)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *pf;
    uint8_t v1[8] = {1, 1, 1, 1, 1, 1, 1, 1}, v2[5] = {2, 2, 2, 2, 2}, out[16];
    int i;
    pn_sim_config_default(&cfg, 1);
    cfg.storage_blobs = 1;
    cfg.storage_blob_max = 8;
    sim = sim_new(&cfg, &mem);
    pn_sim_add_node(sim, NULL, NULL);
    pf = pn_sim_platform(sim, 0);
    ck_assert_int_eq(pf->storage_read(pf->ctx, "k", out, sizeof out), PN_ERR_NOTFOUND);
    ck_assert_int_eq(pf->storage_read(pf->ctx, "bad/name", out, sizeof out), PN_ERR_PLATFORM_NAME);
    ck_assert_int_eq(pf->storage_replace(pf->ctx, "k", v1, sizeof v1), PN_OK);
    /* Repeated replacement with a single configured blob works (the spare slot). */
    for (i = 0; i < 10; i++) {
        const uint8_t *v = (i & 1) ? v1 : v2;
        size_t n = (i & 1) ? sizeof v1 : sizeof v2;
        ck_assert_int_eq(pf->storage_replace(pf->ctx, "k", v, n), PN_OK);
        ck_assert_int_eq(pf->storage_read(pf->ctx, "k", out, sizeof out), (int)n);
        ck_assert_mem_eq(out, v, n);
    }
    /* A failed replacement (too big, bad name, no room for a new name) leaves the old
     * value whole. */
    ck_assert_int_eq(pf->storage_replace(pf->ctx, "k", out, 9), PN_ERR_RANGE);
    ck_assert_int_eq(pf->storage_replace(pf->ctx, "k k", v2, 5), PN_ERR_PLATFORM_NAME);
    ck_assert_int_eq(pf->storage_replace(pf->ctx, "other", v2, 5), PN_ERR_NOMEM);
    ck_assert_int_eq(pf->storage_read(pf->ctx, "k", out, sizeof out), (int)sizeof v1);
    ck_assert_mem_eq(out, v1, sizeof v1);
    ck_assert_int_eq(pf->storage_read(pf->ctx, "k", out, 7), PN_ERR_BUFSIZE);
    ck_assert_int_eq(pf->storage_read(pf->ctx, "other", out, sizeof out), PN_ERR_NOTFOUND);
    free(mem);
}
END_TEST

/* ---- platform details --------------------------------------------------------------- */
static uint32_t pair_latency(void *ctx, uint32_t from, uint32_t to)
{
    (void)ctx;
    if ((from == 0 && to == 2) || (from == 2 && to == 0))
        return UINT32_MAX; /* no route */
    return 1 + from * 10 + to;
}

START_TEST(sim_link_latency_hook_per_pair)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *pf[3];
    pn_sim_counters c;
    pn_addr to;
    uint8_t buf[16];
    int s[3], i;
    pn_sim_config_default(&cfg, 3);
    cfg.net.link_latency = pair_latency;
    sim = sim_new(&cfg, &mem);
    for (i = 0; i < 3; i++) {
        pn_sim_add_node(sim, NULL, NULL);
        pf[i] = pn_sim_platform(sim, (uint32_t)i);
        s[i] = udp_bind(pf[i], 5);
    }
    addr_of(sim, 0, 5, &to);
    send_seq(pf[1], s[1], &to, 1, 4); /* 1 -> 0: 11 ms */
    addr_of(sim, 1, 5, &to);
    send_seq(pf[2], s[2], &to, 2, 4); /* 2 -> 1: 22 ms */
    addr_of(sim, 2, 5, &to);
    send_seq(pf[0], s[0], &to, 3, 4); /* 0 -> 2: no route */
    pn_sim_run(sim, 10, 0);
    ck_assert_int_eq(pf[0]->udp_recv(pf[0]->ctx, s[0], NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    pn_sim_run(sim, 11, 0);
    ck_assert_int_eq(pf[0]->udp_recv(pf[0]->ctx, s[0], NULL, buf, sizeof buf), 4);
    pn_sim_run(sim, 21, 0);
    ck_assert_int_eq(pf[1]->udp_recv(pf[1]->ctx, s[1], NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    pn_sim_run(sim, 22, 0);
    ck_assert_int_eq(pf[1]->udp_recv(pf[1]->ctx, s[1], NULL, buf, sizeof buf), 4);
    pn_sim_run(sim, 1000, 0);
    ck_assert_int_eq(pf[2]->udp_recv(pf[2]->ctx, s[2], NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    pn_sim_get_counters(sim, 0, &c);
    ck_assert_uint_eq(c.drop_unreachable, 1);
    /* A datagram to oneself uses the self link (1 ms here). */
    addr_of(sim, 0, 5, &to);
    send_seq(pf[0], s[0], &to, 4, 4);
    pn_sim_run(sim, 1001, 0);
    ck_assert_int_eq(pf[0]->udp_recv(pf[0]->ctx, s[0], NULL, buf, sizeof buf), 4);
    ck_assert_uint_eq(pn_get_u32be(buf), 4);
    free(mem);
}
END_TEST

typedef struct log_sink {
    uint32_t lines, node;
    uint64_t now;
    int level;
    char msg[32];
} log_sink;

static void log_cb(void *ctx, uint32_t node, uint64_t now, int level, const char *msg)
{
    log_sink *l = (log_sink *)ctx;
    l->lines++;
    l->node = node;
    l->now = now;
    l->level = level;
    snprintf(l->msg, sizeof l->msg, "%s", msg);
}

START_TEST(sim_clock_random_and_log)
{
    pn_sim_config cfg;
    void *mem, *mem2;
    pn_sim *sim, *sim2;
    pn_platform *p0, *p1, *q0;
    log_sink sink;
    uint8_t r0[32], r1[32], r2[32];
    memset(&sink, 0, sizeof sink);
    pn_sim_config_default(&cfg, 2);
    cfg.wall_epoch_ms = 1000000;
    cfg.log = log_cb;
    cfg.log_ctx = &sink;
    sim = sim_new(&cfg, &mem);
    sim2 = sim_new(&cfg, &mem2);
    pn_sim_add_node(sim, NULL, NULL);
    pn_sim_add_node(sim, NULL, NULL);
    pn_sim_add_node(sim2, NULL, NULL);
    p0 = pn_sim_platform(sim, 0);
    p1 = pn_sim_platform(sim, 1);
    q0 = pn_sim_platform(sim2, 0);
    pn_sim_run(sim, 1234, 0);
    ck_assert_uint_eq(p0->now_ms(p0->ctx), 1234);
    ck_assert_int_eq(p0->wall_ms(p0->ctx), 1000000 + 1234);
    /* Each node has its own stream; the same seed gives the same stream. */
    ck_assert_int_eq(p0->random(p0->ctx, r0, sizeof r0), PN_OK);
    ck_assert_int_eq(p1->random(p1->ctx, r1, sizeof r1), PN_OK);
    ck_assert_int_eq(q0->random(q0->ctx, r2, 13), PN_OK);
    ck_assert_int_eq(q0->random(q0->ctx, r2 + 13, sizeof r2 - 13), PN_OK);
    ck_assert(memcmp(r0, r1, sizeof r0) != 0);
    ck_assert_mem_eq(r0, r2, 8); /* whole 64-bit words are taken per call */
    p1->log(p1->ctx, PN_LOG_WARN, "hello");
    ck_assert_uint_eq(sink.lines, 1);
    ck_assert_uint_eq(sink.node, 1);
    ck_assert_uint_eq(sink.now, 1234);
    ck_assert_int_eq(sink.level, PN_LOG_WARN);
    ck_assert_str_eq(sink.msg, "hello");
    free(mem);
    free(mem2);
}
END_TEST

typedef struct self_app {
    pn_sim *sim;
    int crash_rc, nested_run, runs;
} self_app;

static uint64_t self_run(void *app, pn_platform *pf, uint64_t now)
{
    self_app *a = (self_app *)app;
    (void)pf;
    a->crash_rc = pn_sim_crash(a->sim, 0);
    a->nested_run = (int)pn_sim_run(a->sim, now + 100, 0);
    a->runs++;
    return now + 5;
}

START_TEST(sim_run_limits_and_callback_rules)
{
    static const pn_sim_app_ops ops = {NULL, self_run};
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    self_app a;
    pn_sim_config_default(&cfg, 1);
    sim = sim_new(&cfg, &mem);
    memset(&a, 0, sizeof a);
    a.sim = sim;
    ck_assert_int_eq(pn_sim_add_node(sim, &ops, &a), 0);
    /* At most max_events, and the clock stops at the last one processed. */
    ck_assert_uint_eq(pn_sim_run(sim, 100, 3), 3);
    ck_assert_int_eq(a.runs, 3);
    ck_assert_uint_eq(pn_sim_now(sim), 10);
    ck_assert_uint_eq(pn_sim_next_event(sim), 15);
    /* A node cannot crash itself from its callback, nor run the simulation. */
    ck_assert_int_eq(a.crash_rc, PN_ERR_STATE);
    ck_assert_int_eq(a.nested_run, 0);
    ck_assert_int_eq(pn_sim_node_up(sim, 0), 1);
    ck_assert_uint_eq(pn_sim_run(sim, 100, 0), 18);
    ck_assert_uint_eq(pn_sim_now(sim), 100);
    /* After a crash its deadline is forgotten. */
    ck_assert_int_eq(pn_sim_crash(sim, 0), PN_OK);
    ck_assert_uint_eq(pn_sim_next_event(sim), UINT64_MAX);
    ck_assert_uint_eq(pn_sim_run(sim, 1000, 0), 0);
    ck_assert_int_eq(a.runs, 21);
    free(mem);
}
END_TEST

START_TEST(sim_closed_socket_returns_queued_packets)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *p0, *p1;
    pn_addr to;
    int s0, s1, i;
    pn_sim_config_default(&cfg, 2);
    cfg.packets = 4;
    sim = sim_new(&cfg, &mem);
    pn_sim_add_node(sim, NULL, NULL);
    pn_sim_add_node(sim, NULL, NULL);
    p0 = pn_sim_platform(sim, 0);
    p1 = pn_sim_platform(sim, 1);
    s0 = udp_bind(p0, 0);
    s1 = udp_bind(p1, 6);
    addr_of(sim, 1, 6, &to);
    for (i = 0; i < 4; i++)
        send_seq(p0, s0, &to, (uint32_t)i, 4);
    pn_sim_run(sim, 100, 0);
    ck_assert_int_eq(p0->udp_send(p0->ctx, s0, &to, (const uint8_t *)"abcd", 4), PN_ERR_NOMEM);
    ck_assert_int_eq(p1->sock_close(p1->ctx, s1), PN_OK);
    for (i = 0; i < 4; i++)
        send_seq(p0, s0, &to, (uint32_t)i, 4);
    free(mem);
}
END_TEST

/* The tool end to end: exit statuses and a byte-identical capture for one seed. */
static int tool_run(const char *args, const char *out)
{
    const char *tool = getenv("PN_TOOL");
    char cmd[2048];
    int st;
    snprintf(cmd, sizeof cmd, "\"%s\" %s >%s 2>/dev/null", tool, args, out);
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static long slurp(const char *path, uint8_t **buf)
{
    FILE *f = fopen(path, "rb");
    long n;
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *buf = (uint8_t *)malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(*buf, 1, (size_t)n, f), (size_t)n);
    (*buf)[n] = 0;
    fclose(f);
    return n;
}

START_TEST(sim_tool_scenario_exit_codes_and_repeatable_capture)
{
    char dir[] = "/tmp/pn_sim_XXXXXX", args[1024], p1[64], p2[64], out[64];
    uint8_t *a, *b, *json;
    long na, nb;
    if (getenv("PN_TOOL") == NULL)
        return; /* run through `make check`, which names the tool */
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(p1, sizeof p1, "%s/1.pcap", dir);
    snprintf(p2, sizeof p2, "%s/2.pcap", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(args, sizeof args,
             "sim net --nodes 24 --duration-ms 8000 --seed 9 --partition --crash 2 --loss 0.05 "
             "--json --pcap %s",
             p1);
    ck_assert_int_eq(tool_run(args, out), 0);
    slurp(out, &json);
    ck_assert_ptr_nonnull(strstr((char *)json, "\"ok\":true"));
    ck_assert_ptr_nonnull(strstr((char *)json, "\"crashes\":2"));
    ck_assert_ptr_nonnull(strstr((char *)json, "\"integrity_failures\":0"));
    /* one JSON object on one line */
    ck_assert_uint_eq(json[0], '{');
    ck_assert_ptr_eq(strchr((char *)json, '\n'), (char *)json + strlen((char *)json) - 1);
    free(json);
    snprintf(args, sizeof args,
             "sim --nodes 24 --duration-ms 8000 --seed 9 --partition --crash 2 --loss 0.05 "
             "--json --pcap %s",
             p2);
    ck_assert_int_eq(tool_run(args, out), 0);
    na = slurp(p1, &a);
    nb = slurp(p2, &b);
    ck_assert_int_gt(na, 1000);
    ck_assert_int_eq(na, nb);
    ck_assert_mem_eq(a, b, (size_t)na);
    free(a);
    free(b);
    ck_assert_int_eq(tool_run("sim --nodes 20 --duration-ms 3000", out), 0);
    ck_assert_int_eq(tool_run("sim nosuch", out), 2);
    ck_assert_int_eq(tool_run("sim --nodes 1", out), 2);
    ck_assert_int_eq(tool_run("sim --loss 1.5", out), 2);
    ck_assert_int_eq(tool_run("sim --bogus", out), 2);
    ck_assert_int_eq(tool_run("sim --help", out), 0);
    remove(p1);
    remove(p2);
    remove(out);
    rmdir(dir);
}
END_TEST

/* ---- UDP model ---------------------------------------------------------------------- */
START_TEST(sim_udp_latency_honoured)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *p0, *p1;
    pn_addr to, from, expect;
    uint8_t buf[64];
    int s0, s1, i, got;
    pn_sim_config_default(&cfg, 2);
    cfg.net.latency_ms = 25;
    cfg.udp_inbox = 512;
    cfg.packets = 512;
    sim = sim_new(&cfg, &mem);
    pn_sim_add_node(sim, NULL, NULL);
    pn_sim_add_node(sim, NULL, NULL);
    p0 = pn_sim_platform(sim, 0);
    p1 = pn_sim_platform(sim, 1);
    s0 = udp_bind(p0, 0);
    s1 = udp_bind(p1, 3540);
    pn_sim_run(sim, 100, 0);
    ck_assert_uint_eq(p0->now_ms(p0->ctx), 100);
    addr_of(sim, 1, 3540, &to);
    send_seq(p0, s0, &to, 42, 32);
    pn_sim_run(sim, 124, 0);
    ck_assert_int_eq(p1->udp_recv(p1->ctx, s1, &from, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    pn_sim_run(sim, 125, 0);
    ck_assert_int_eq(p1->udp_recv(p1->ctx, s1, &from, buf, sizeof buf), 32);
    ck_assert_uint_eq(pn_get_u32be(buf), 42);
    ck_assert_int_eq(p0->sock_name(p0->ctx, s0, &expect), PN_OK);
    ck_assert_uint_eq(expect.port, PN_SIM_EPHEMERAL_FIRST);
    ck_assert(pn_addr_equal(&from, &expect));
    /* With jitter every arrival falls in [latency, latency + jitter], and spreads. */
    cfg.net.latency_ms = 10;
    cfg.net.jitter_ms = 5;
    pn_sim_set_net(sim, &cfg.net);
    for (i = 0; i < 200; i++)
        send_seq(p0, s0, &to, (uint32_t)i, 8);
    pn_sim_run(sim, 134, 0);
    ck_assert_int_eq(p1->udp_recv(p1->ctx, s1, NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    pn_sim_run(sim, 137, 0);
    got = 0;
    while (p1->udp_recv(p1->ctx, s1, NULL, buf, sizeof buf) > 0)
        got++;
    ck_assert_int_gt(got, 0);
    ck_assert_int_lt(got, 200);
    pn_sim_run(sim, 140, 0);
    while (p1->udp_recv(p1->ctx, s1, NULL, buf, sizeof buf) > 0)
        got++;
    ck_assert_int_eq(got, 200);
    ck_assert_uint_eq(pn_sim_next_event(sim), UINT64_MAX);
    free(mem);
}
END_TEST

START_TEST(sim_udp_loss_dup_reorder_near_configured)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *p0, *p1;
    pn_sim_counters c0, c1;
    pn_addr to;
    uint8_t buf[64];
    int s0, s1, n;
    uint32_t i, last = 0, inversions = 0, received = 0;
    const uint32_t total = 20000;
    pn_sim_config_default(&cfg, 2);
    cfg.seed = 99;
    cfg.udp_inbox = 4096;
    cfg.packets = 4096;
    cfg.packet_bytes = 4096 * 128;
    cfg.net.latency_ms = 10;
    cfg.net.loss_ppm = 100000;   /* 10 % */
    cfg.net.dup_ppm = 50000;     /* 5 % */
    cfg.net.reorder_ppm = 20000; /* 2 % */
    cfg.net.reorder_ms = 3;
    sim = sim_new(&cfg, &mem);
    pn_sim_add_node(sim, NULL, NULL);
    pn_sim_add_node(sim, NULL, NULL);
    p0 = pn_sim_platform(sim, 0);
    p1 = pn_sim_platform(sim, 1);
    s0 = udp_bind(p0, 0);
    s1 = udp_bind(p1, 7);
    addr_of(sim, 1, 7, &to);
    /* One datagram per millisecond, so a held-back one lands behind later ones. */
    for (i = 0; i < total; i++) {
        send_seq(p0, s0, &to, i + 1, 8);
        pn_sim_run(sim, pn_sim_now(sim) + 1, 0);
        while ((n = p1->udp_recv(p1->ctx, s1, NULL, buf, sizeof buf)) > 0) {
            uint32_t seq = pn_get_u32be(buf);
            received++;
            if (seq < last)
                inversions++;
            last = seq;
        }
    }
    pn_sim_run(sim, pn_sim_now(sim) + 100, 0);
    while (p1->udp_recv(p1->ctx, s1, NULL, buf, sizeof buf) > 0)
        received++;
    pn_sim_get_counters(sim, 0, &c0);
    pn_sim_get_counters(sim, 1, &c1);
    ck_assert_uint_eq(c0.udp_sent, total);
    ck_assert_uint_ge(c0.udp_lost, 1800);
    ck_assert_uint_le(c0.udp_lost, 2200);
    ck_assert_uint_ge(c0.udp_duplicated, 800); /* 5 % of the 90 % that survive */
    ck_assert_uint_le(c0.udp_duplicated, 1000);
    ck_assert_uint_ge(c0.udp_reordered, 300);
    ck_assert_uint_le(c0.udp_reordered, 460);
    ck_assert_uint_eq(c1.udp_delivered, total - c0.udp_lost + c0.udp_duplicated);
    ck_assert_uint_eq(received, c1.udp_delivered);
    /* Reordering shows at the receiver: held-back datagrams arrive after newer ones. */
    ck_assert_uint_gt(inversions, 200);
    free(mem);
}
END_TEST

START_TEST(sim_partition_drops_then_heals)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *p0, *p1, *p2;
    pn_sim_counters c;
    pn_addr to1, to2;
    uint8_t buf[16];
    int s0, s1, s2;
    pn_sim_config_default(&cfg, 3);
    sim = sim_new(&cfg, &mem);
    pn_sim_add_node(sim, NULL, NULL);
    pn_sim_add_node(sim, NULL, NULL);
    pn_sim_add_node(sim, NULL, NULL);
    p0 = pn_sim_platform(sim, 0);
    p1 = pn_sim_platform(sim, 1);
    p2 = pn_sim_platform(sim, 2);
    s0 = udp_bind(p0, 9);
    s1 = udp_bind(p1, 9);
    s2 = udp_bind(p2, 9);
    addr_of(sim, 1, 9, &to1);
    addr_of(sim, 2, 9, &to2);
    ck_assert_int_eq(pn_sim_partition(sim, 2, 1), PN_OK);
    ck_assert_int_eq(pn_sim_partition(sim, 3, 1), PN_ERR_ARG);
    send_seq(p0, s0, &to1, 1, 8);
    send_seq(p0, s0, &to2, 2, 8);
    pn_sim_run(sim, 100, 0);
    ck_assert_int_eq(p1->udp_recv(p1->ctx, s1, NULL, buf, sizeof buf), 8);
    ck_assert_int_eq(p2->udp_recv(p2->ctx, s2, NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    pn_sim_get_counters(sim, 2, &c);
    ck_assert_uint_eq(c.drop_partition, 1);
    /* A datagram in flight when the partition heals gets through: the check is made
     * on arrival. */
    send_seq(p0, s0, &to2, 3, 8);
    pn_sim_run(sim, 105, 0);
    pn_sim_heal(sim);
    pn_sim_run(sim, 200, 0);
    ck_assert_int_eq(p2->udp_recv(p2->ctx, s2, NULL, buf, sizeof buf), 8);
    ck_assert_uint_eq(pn_get_u32be(buf), 3);
    pn_sim_get_counters(sim, PN_SIM_ALL, &c);
    ck_assert_uint_eq(c.drop_partition, 1);
    ck_assert_uint_eq(c.udp_delivered, 2);
    free(mem);
}
END_TEST

/* Decision SIM-8: a UDP socket is named by the address it was bound to: fe80::<i+1>
 * when bound to the node's link-local address, 2001:db8::<i+1> when bound to :: or the
 * global address; a reply to a datagram received on the link goes back the same way. */
START_TEST(sim_sock_name_reports_the_bound_scope)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *p0, *p1;
    pn_addr ll, gl, name, from;
    uint8_t buf[8];
    int s_ll, s_any, s_gl;
    pn_sim_config_default(&cfg, 2);
    sim = sim_new(&cfg, &mem);
    ck_assert_int_eq(pn_sim_add_node(sim, NULL, NULL), 0);
    ck_assert_int_eq(pn_sim_add_node(sim, NULL, NULL), 1);
    p0 = pn_sim_platform(sim, 0);
    p1 = pn_sim_platform(sim, 1);
    memset(&ll, 0, sizeof ll);
    ll.family = PN_AF_INET6;
    ll.ip[0] = 0xfe;
    ll.ip[1] = 0x80;
    ll.ip[15] = 1; /* node 0 */
    ll.port = 3540;
    s_ll = p0->udp_open(p0->ctx, &ll);
    ck_assert_int_ge(s_ll, 0);
    ck_assert_int_eq(p0->sock_name(p0->ctx, s_ll, &name), PN_OK);
    ck_assert(pn_addr_equal(&name, &ll));
    /* Another node's link-local address is not ours to bind. */
    ll.ip[15] = 2;
    ck_assert_int_eq(p0->udp_open(p0->ctx, &ll), PN_ERR_PLATFORM_ADDR);
    s_any = udp_bind(p0, 3541);
    ck_assert_int_eq(p0->sock_name(p0->ctx, s_any, &name), PN_OK);
    addr_of(sim, 0, 3541, &gl);
    ck_assert(pn_addr_equal(&name, &gl));
    addr_of(sim, 0, 3542, &gl);
    s_gl = p0->udp_open(p0->ctx, &gl);
    ck_assert_int_ge(s_gl, 0);
    ck_assert_int_eq(p0->sock_name(p0->ctx, s_gl, &name), PN_OK);
    ck_assert(pn_addr_equal(&name, &gl));
    /* What node 1 sees as the source of a datagram sent to it on the link is the name
     * node 0's link-local socket reports. */
    ll.ip[15] = 2;
    ll.port = 3540;
    ck_assert_int_ge(p1->udp_open(p1->ctx, &ll), 0);
    ck_assert_int_eq(p0->udp_send(p0->ctx, s_ll, &ll, (const uint8_t *)"ping", 4), 4);
    pn_sim_run(sim, 1000, 0);
    ck_assert_int_eq(p1->udp_recv(p1->ctx, 0, &from, buf, sizeof buf), 4);
    ck_assert_int_eq(p0->sock_name(p0->ctx, s_ll, &name), PN_OK);
    ck_assert(pn_addr_equal(&from, &name));
    free(mem);
}
END_TEST

/* Multicast groups and link-local addresses (decision SIM-7). */
START_TEST(sim_udp_multicast_group_members_loss_and_capture)
{
    static const uint8_t group[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0c};
    static const uint8_t other[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0d};
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *p[5];
    pn_sim_counters c;
    pn_addr to, from, ll2;
    capture cap = {NULL, 0, 0};
    uint8_t buf[16], g[16];
    int s[5], i, k, got, seen = 0;
    size_t off;
    uint64_t delivered;
    pn_sim_config_default(&cfg, 5);
    cfg.pcap_write = cap_write;
    cfg.pcap_ctx = &cap;
    sim = sim_new(&cfg, &mem);
    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(pn_sim_add_node(sim, NULL, NULL), i);
        p[i] = pn_sim_platform(sim, (uint32_t)i);
        s[i] = udp_bind(p[i], 1900);
    }
    /* Nodes 0..3 join; node 4 listens on the port without joining. */
    for (i = 0; i < 4; i++)
        ck_assert_int_eq(pn_sim_udp_join(p[i], s[i], group), PN_OK);
    ck_assert_int_eq(pn_sim_udp_join(p[0], s[0] + 7, group), PN_ERR_ARG);
    memset(g, 0x20, sizeof g); /* not multicast */
    ck_assert_int_eq(pn_sim_udp_join(p[0], s[0], g), PN_ERR_ARG);
    memset(&to, 0, sizeof to);
    to.family = PN_AF_INET6;
    memcpy(to.ip, group, 16);
    to.port = 1900;
    send_seq(p[0], s[0], &to, 7, 8);
    pn_sim_run(sim, 100, 0);
    /* Every other member gets it, from node 0's link-local address; not the sender, not
     * the node that did not join. */
    for (i = 1; i < 4; i++) {
        ck_assert_int_eq(p[i]->udp_recv(p[i]->ctx, s[i], &from, buf, sizeof buf), 8);
        ck_assert_uint_eq(pn_get_u32be(buf), 7);
        ck_assert_uint_eq(from.ip[0], 0xfe);
        ck_assert_uint_eq(from.ip[1], 0x80);
        ck_assert_uint_eq(from.ip[15], 1);
        ck_assert_uint_eq(from.port, 1900);
    }
    ck_assert_int_eq(p[0]->udp_recv(p[0]->ctx, s[0], NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    ck_assert_int_eq(p[4]->udp_recv(p[4]->ctx, s[4], NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    pn_sim_get_counters(sim, 0, &c);
    ck_assert_uint_eq(c.udp_sent, 3); /* one datagram per member reached */
    /* The capture has it once, to the group, from fe80::1. */
    for (off = 24; off + 16 + 40 <= cap.len; off += 16 + pn_get_u32le(cap.buf + off + 8)) {
        const uint8_t *ip = cap.buf + off + 16;
        if (memcmp(ip + 24, group, 16) == 0) {
            seen++;
            ck_assert_uint_eq(ip[8], 0xfe);
            ck_assert_uint_eq(ip[23], 1);
        }
    }
    ck_assert_int_eq(seen, 1);
    /* Partitions apply per copy. */
    ck_assert_int_eq(pn_sim_partition(sim, 3, 1), PN_OK);
    send_seq(p[0], s[0], &to, 8, 8);
    pn_sim_run(sim, 200, 0);
    ck_assert_int_eq(p[3]->udp_recv(p[3]->ctx, s[3], NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    ck_assert_int_eq(p[2]->udp_recv(p[2]->ctx, s[2], NULL, buf, sizeof buf), 8);
    ck_assert_int_eq(p[1]->udp_recv(p[1]->ctx, s[1], NULL, buf, sizeof buf), 8);
    pn_sim_heal(sim);
    /* Loss applies per copy: half of 3 x 200 copies, the rest delivered. */
    cfg.net.loss_ppm = 500000;
    pn_sim_set_net(sim, &cfg.net);
    pn_sim_get_counters(sim, PN_SIM_ALL, &c);
    delivered = c.udp_delivered;
    for (k = 0, got = 0; k < 200; k++) {
        send_seq(p[0], s[0], &to, (uint32_t)k, 8);
        if (k % 8 == 7) { /* drained before the inboxes fill */
            pn_sim_run(sim, pn_sim_now(sim) + 50, 0);
            for (i = 1; i < 4; i++)
                while (p[i]->udp_recv(p[i]->ctx, s[i], NULL, buf, sizeof buf) == 8)
                    got++;
        }
    }
    ck_assert_int_gt(got, 200);
    ck_assert_int_lt(got, 400);
    pn_sim_get_counters(sim, PN_SIM_ALL, &c);
    ck_assert_uint_eq(c.udp_delivered - delivered, (uint64_t)got);
    ck_assert_uint_eq(c.udp_sent + c.udp_duplicated,
                      c.udp_lost + c.udp_delivered + c.drop_partition + c.drop_no_socket +
                          c.drop_inbox_full + c.drop_nomem + c.drop_unreachable + c.drop_node_down);
    cfg.net.loss_ppm = 0;
    pn_sim_set_net(sim, &cfg.net);
    /* A group nobody joined: one datagram, dropped for want of a socket. */
    memcpy(to.ip, other, 16);
    pn_sim_get_counters(sim, PN_SIM_ALL, &c);
    delivered = c.drop_no_socket;
    send_seq(p[0], s[0], &to, 9, 8);
    pn_sim_run(sim, pn_sim_now(sim) + 100, 0);
    pn_sim_get_counters(sim, PN_SIM_ALL, &c);
    ck_assert_uint_eq(c.drop_no_socket, delivered + 1);
    /* Unicast to a link-local address reaches the node, which sees a link-local source. */
    memset(&ll2, 0, sizeof ll2);
    ll2.family = PN_AF_INET6;
    ll2.ip[0] = 0xfe;
    ll2.ip[1] = 0x80;
    ll2.ip[15] = 3; /* node 2 */
    ll2.port = 1900;
    ck_assert_int_eq(pn_sim_addr_node(sim, &ll2), 2);
    send_seq(p[4], s[4], &ll2, 10, 8);
    pn_sim_run(sim, pn_sim_now(sim) + 100, 0);
    ck_assert_int_eq(p[2]->udp_recv(p[2]->ctx, s[2], &from, buf, sizeof buf), 8);
    ck_assert_uint_eq(from.ip[0], 0xfe);
    ck_assert_uint_eq(from.ip[15], 5);
    /* The group table is bounded. */
    for (k = 1; k <= PN_SIM_GROUPS_MAX; k++) {
        memcpy(g, other, 16);
        g[14] = (uint8_t)k;
        ck_assert_int_eq(pn_sim_udp_join(p[4], s[4], g),
                         (k < PN_SIM_GROUPS_MAX ? PN_OK : PN_ERR_NOMEM));
    }
    free(cap.buf);
    free(mem);
}
END_TEST

/* ---- applications, crashes ---------------------------------------------------------- */
START_TEST(sim_app_run_on_input_and_deadline)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    ping_app a[2];
    int i;
    pn_sim_config_default(&cfg, 2);
    cfg.net.latency_ms = 3;
    sim = sim_new(&cfg, &mem);
    memset(a, 0, sizeof a);
    for (i = 0; i < 2; i++) {
        a[i].sim = sim;
        a[i].self = (uint32_t)i;
        a[i].peer = (uint32_t)(1 - i);
    }
    a[1].echo_only = 1;
    ck_assert_int_eq(pn_sim_add_node(sim, &ping_ops, &a[0]), 0);
    ck_assert_int_eq(pn_sim_add_node(sim, &ping_ops, &a[1]), 1);
    ck_assert_uint_eq(a[0].starts, 1);
    ck_assert(pn_sim_platform(sim, 0)->wait == NULL);
    pn_sim_run(sim, 1000, 0);
    /* Pings at 10, 20, ... 1000 (100 of them); replies 6 ms later. */
    ck_assert_uint_eq(a[0].seq, 100);
    ck_assert_uint_eq(a[1].pings_rx, 99); /* the ping sent at 1000 lands at 1003 */
    ck_assert_uint_eq(a[0].pongs_rx, 99);
    /* Node 1 runs once at boot and once per ping; node 0 at boot, per deadline and per
     * reply (replies land 6 ms after a ping, never on a deadline). */
    ck_assert_uint_eq(a[1].runs, 100);
    ck_assert_uint_eq(a[0].runs, 1 + 100 + 99);
    free(mem);
}
END_TEST

START_TEST(sim_crash_drops_input_and_restart_storage)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    ping_app a[3];
    pn_sim_counters c;
    pn_platform *pf;
    uint8_t buf[8];
    int i;
    pn_sim_config_default(&cfg, 3);
    cfg.net.latency_ms = 3;
    sim = sim_new(&cfg, &mem);
    memset(a, 0, sizeof a);
    for (i = 0; i < 3; i++) {
        a[i].sim = sim;
        a[i].self = (uint32_t)i;
        a[i].echo_only = i != 0;
    }
    a[0].peer = 1;
    for (i = 0; i < 3; i++)
        pn_sim_add_node(sim, &ping_ops, &a[i]);
    pn_sim_run(sim, 105, 0);
    ck_assert_uint_eq(a[1].pings_rx, 10);
    /* Crash node 1 with a ping in flight (sent at 110, due at 113). */
    pn_sim_run(sim, 111, 0);
    ck_assert_int_eq(pn_sim_crash(sim, 1), PN_OK);
    ck_assert_int_eq(pn_sim_crash(sim, 1), PN_ERR_STATE);
    ck_assert_int_eq(pn_sim_node_up(sim, 1), 0);
    pf = pn_sim_platform(sim, 1);
    ck_assert_int_eq(pf->udp_open(pf->ctx, NULL), PN_ERR_STATE);
    pn_sim_run(sim, 200, 0);
    ck_assert_uint_eq(a[1].pings_rx, 10);
    pn_sim_get_counters(sim, 1, &c);
    ck_assert_uint_eq(c.drop_node_down, 9); /* pings at 110 .. 190 */
    ck_assert_uint_eq(c.crashes, 1);
    /* Restart keeping storage: the boot counter goes on. */
    ck_assert_int_eq(pn_sim_restart(sim, 1, 1), PN_OK);
    ck_assert_int_eq(pn_sim_restart(sim, 1, 1), PN_ERR_STATE);
    ck_assert_uint_eq(a[1].starts, 2);
    ck_assert_uint_eq(a[1].boot_seen, 1);
    pn_sim_run(sim, 300, 0);
    ck_assert_uint_gt(a[1].pings_rx, 15);
    /* Crash and restart losing storage: it boots as new. */
    ck_assert_int_eq(pn_sim_crash(sim, 1), PN_OK);
    ck_assert_int_eq(pn_sim_restart(sim, 1, 0), PN_OK);
    ck_assert_uint_eq(a[1].starts, 3);
    ck_assert_uint_eq(a[1].boot_seen, 0);
    ck_assert_int_eq(pf->storage_read(pf->ctx, "boot", buf, sizeof buf), 4);
    ck_assert_uint_eq(pn_get_u32be(buf), 1);
    /* The other nodes' storage is untouched. */
    pf = pn_sim_platform(sim, 2);
    ck_assert_int_eq(pf->storage_read(pf->ctx, "boot", buf, sizeof buf), 4);
    ck_assert_uint_eq(pn_get_u32be(buf), 1);
    free(mem);
}
END_TEST

/* Run the ping app on n nodes, capturing; returns the capture. */
static capture run_scenario(uint64_t seed, pn_sim_counters *out)
{
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    ping_app a[20];
    capture cap = {NULL, 0, 0};
    uint32_t i;
    pn_sim_config_default(&cfg, 20);
    cfg.seed = seed;
    cfg.net.latency_ms = 5;
    cfg.net.jitter_ms = 20;
    cfg.net.loss_ppm = 50000;
    cfg.net.dup_ppm = 20000;
    cfg.net.reorder_ppm = 20000;
    cfg.pcap_write = cap_write;
    cfg.pcap_ctx = &cap;
    sim = sim_new(&cfg, &mem);
    memset(a, 0, sizeof a);
    for (i = 0; i < 20; i++) {
        uint8_t r[4];
        a[i].sim = sim;
        a[i].self = i;
        pn_sim_add_node(sim, &ping_ops, &a[i]);
        pn_sim_platform(sim, i)->random(pn_sim_platform(sim, i)->ctx, r, sizeof r);
        a[i].peer = (i + 1 + pn_get_u32be(r) % 19) % 20;
    }
    pn_sim_run(sim, pn_sim_now(sim) + 100, 0);
    pn_sim_crash(sim, 3);
    pn_sim_partition(sim, 5, 1);
    pn_sim_run(sim, 800, 0);
    pn_sim_restart(sim, 3, 1);
    pn_sim_heal(sim);
    pn_sim_run(sim, 1500, 0);
    pn_sim_get_counters(sim, PN_SIM_ALL, out);
    free(mem);
    return cap;
}

START_TEST(sim_same_seed_identical_run)
{
    pn_sim_counters c1, c2, c3;
    capture a = run_scenario(7, &c1), b = run_scenario(7, &c2), c = run_scenario(8, &c3);
    ck_assert_uint_gt(a.len, 10000);
    ck_assert_uint_eq(a.len, b.len);
    ck_assert_mem_eq(a.buf, b.buf, a.len);
    ck_assert_mem_eq(&c1, &c2, sizeof c1);
    ck_assert_uint_gt(c1.udp_lost, 0);
    ck_assert_uint_gt(c1.udp_duplicated, 0);
    ck_assert_uint_gt(c1.drop_node_down + c1.drop_partition, 0);
    ck_assert(c.len != a.len || memcmp(c.buf, a.buf, a.len) != 0);
    ck_assert(memcmp(&c1, &c3, sizeof c1) != 0);
    free(a.buf);
    free(b.buf);
    free(c.buf);
}
END_TEST

/* ---- TCP ---------------------------------------------------------------------------- */
typedef struct tcp_pair {
    pn_sim_config cfg;
    void *mem;
    pn_sim *sim;
    pn_platform *p0, *p1;
    int lsn, cli, srv;
} tcp_pair;

static void tcp_pair_open(tcp_pair *t, uint32_t loss_ppm, uint32_t jitter, capture *cap)
{
    pn_addr to, peer, name;
    pn_sim_config_default(&t->cfg, 2);
    t->cfg.seed = 5;
    t->cfg.net.latency_ms = 10;
    t->cfg.net.jitter_ms = jitter;
    t->cfg.net.loss_ppm = loss_ppm;
    t->cfg.tcp_buffer = 5000; /* not a multiple of the MSS: exercises ring wrap */
    if (cap != NULL) {
        t->cfg.pcap_write = cap_write;
        t->cfg.pcap_ctx = cap;
    }
    t->sim = sim_new(&t->cfg, &t->mem);
    pn_sim_add_node(t->sim, NULL, NULL);
    pn_sim_add_node(t->sim, NULL, NULL);
    t->p0 = pn_sim_platform(t->sim, 0);
    t->p1 = pn_sim_platform(t->sim, 1);
    addr_of(t->sim, 1, 80, &to);
    t->lsn = t->p1->tcp_listen(t->p1->ctx, &to);
    ck_assert_int_ge(t->lsn, 0);
    ck_assert_int_eq(t->p1->tcp_listen(t->p1->ctx, &to), PN_ERR_EXISTS);
    t->cli = t->p0->tcp_connect(t->p0->ctx, &to);
    ck_assert_int_ge(t->cli, 0);
    ck_assert_int_eq(t->p0->tcp_send(t->p0->ctx, t->cli, (const uint8_t *)"x", 1),
                     PN_ERR_WOULDBLOCK);
    ck_assert_int_eq(t->p1->tcp_accept(t->p1->ctx, t->lsn, &peer), PN_ERR_WOULDBLOCK);
    pn_sim_run(t->sim, pn_sim_now(t->sim) + 2000, 0);
    t->srv = t->p1->tcp_accept(t->p1->ctx, t->lsn, &peer);
    ck_assert_int_ge(t->srv, 0);
    ck_assert_int_eq(t->p0->sock_name(t->p0->ctx, t->cli, &name), PN_OK);
    ck_assert(pn_addr_equal(&peer, &name));
}

static uint8_t stream_byte(uint32_t i)
{
    return (uint8_t)((i * 2654435761u) >> 13);
}

/* Stream total bytes from client to server, verifying order and content. */
static void tcp_stream(tcp_pair *t, uint32_t total)
{
    uint8_t buf[3000];
    uint32_t sent = 0, got = 0, i;
    int n, rounds = 0;
    while (got < total) {
        while (sent < total) {
            uint32_t k = total - sent < 1777 ? total - sent : 1777;
            for (i = 0; i < k; i++)
                buf[i] = stream_byte(sent + i);
            n = t->p0->tcp_send(t->p0->ctx, t->cli, buf, k);
            if (n == PN_ERR_WOULDBLOCK)
                break;
            ck_assert_int_gt(n, 0);
            sent += (uint32_t)n;
            if (sent == total)
                ck_assert_int_eq(t->p0->sock_close(t->p0->ctx, t->cli), PN_OK);
        }
        pn_sim_run(t->sim, pn_sim_now(t->sim) + 7, 0);
        while ((n = t->p1->tcp_recv(t->p1->ctx, t->srv, buf, 1500)) > 0) {
            for (i = 0; i < (uint32_t)n; i++)
                ck_assert_uint_eq(buf[i], stream_byte(got + i));
            got += (uint32_t)n;
        }
        ck_assert(n == PN_ERR_WOULDBLOCK || (n == 0 && got == total));
        ck_assert_int_lt(++rounds, 100000);
    }
    pn_sim_run(t->sim, pn_sim_now(t->sim) + 2000, 0);
    ck_assert_int_eq(t->p1->tcp_recv(t->p1->ctx, t->srv, buf, sizeof buf), 0);
}

START_TEST(sim_tcp_delivers_bytes_in_order)
{
    tcp_pair t;
    pn_sim_counters c;
    tcp_pair_open(&t, 50000, 30, NULL);
    tcp_stream(&t, 200000);
    pn_sim_get_counters(t.sim, 0, &c);
    ck_assert_uint_eq(c.tcp_connects, 1);
    ck_assert_uint_gt(c.tcp_retransmits, 0); /* loss became delay, not missing bytes */
    ck_assert_uint_ge(c.tcp_bytes, 200000);
    pn_sim_get_counters(t.sim, 1, &c);
    ck_assert_uint_eq(c.tcp_accepts, 1);
    /* Closing both ends frees the connection slot for a new one. */
    ck_assert_int_eq(t.p1->sock_close(t.p1->ctx, t.srv), PN_OK);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 5000, 0);
    {
        pn_addr to;
        addr_of(t.sim, 1, 80, &to);
        ck_assert_int_ge(t.p0->tcp_connect(t.p0->ctx, &to), 0);
    }
    free(t.mem);
}
END_TEST

START_TEST(sim_tcp_server_to_client_and_window)
{
    tcp_pair t;
    uint8_t buf[8000];
    int n;
    tcp_pair_open(&t, 0, 0, NULL);
    /* The window is the 5000-byte buffer: more is refused until the reader reads. */
    memset(buf, 0x5a, sizeof buf);
    ck_assert_int_eq(t.p1->tcp_send(t.p1->ctx, t.srv, buf, sizeof buf), 5000);
    ck_assert_int_eq(t.p1->tcp_send(t.p1->ctx, t.srv, buf, 1), PN_ERR_WOULDBLOCK);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 100, 0);
    ck_assert_int_eq(t.p1->tcp_send(t.p1->ctx, t.srv, buf, 1), PN_ERR_WOULDBLOCK);
    ck_assert_int_eq(t.p0->tcp_recv(t.p0->ctx, t.cli, buf, 3000), 3000);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 100, 0);
    ck_assert_int_eq(t.p1->tcp_send(t.p1->ctx, t.srv, buf, sizeof buf), 3000);
    n = t.p0->tcp_recv(t.p0->ctx, t.cli, buf, sizeof buf);
    ck_assert_int_eq(n, 2000);
    free(t.mem);
}
END_TEST

START_TEST(sim_tcp_refused_timeout_and_partition_reset)
{
    tcp_pair t;
    pn_addr to;
    pn_sim_counters c;
    uint8_t buf[16];
    int s;
    tcp_pair_open(&t, 0, 0, NULL);
    /* No listener on port 81: RST, refused. */
    addr_of(t.sim, 1, 81, &to);
    s = t.p0->tcp_connect(t.p0->ctx, &to);
    ck_assert_int_ge(s, 0);
    ck_assert_int_eq(t.p0->tcp_recv(t.p0->ctx, s, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 100, 0);
    ck_assert_int_eq(t.p0->tcp_recv(t.p0->ctx, s, buf, sizeof buf), PN_ERR_REFUSED);
    ck_assert_int_eq(t.p0->tcp_send(t.p0->ctx, s, buf, 1), PN_ERR_REFUSED);
    t.p0->sock_close(t.p0->ctx, s);
    /* Not a simulated address at all. */
    ck_assert_int_eq(pn_addr_parse(&to, "[2001:db9::1]:80"), PN_OK);
    ck_assert_int_eq(t.p0->tcp_connect(t.p0->ctx, &to), PN_ERR_UNREACHABLE);
    /* Partitioned: the established connection is reset on its next segment, and a new
     * connect times out. */
    pn_sim_partition(t.sim, 1, 1);
    ck_assert_int_eq(t.p0->tcp_send(t.p0->ctx, t.cli, buf, 4), 4);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 100, 0);
    ck_assert_int_eq(t.p0->tcp_send(t.p0->ctx, t.cli, buf, 4), PN_ERR_CLOSED);
    ck_assert_int_eq(t.p1->tcp_recv(t.p1->ctx, t.srv, buf, sizeof buf), PN_ERR_CLOSED);
    addr_of(t.sim, 1, 80, &to);
    s = t.p0->tcp_connect(t.p0->ctx, &to);
    ck_assert_int_ge(s, 0);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + t.cfg.connect_timeout_ms - 1, 0);
    ck_assert_int_eq(t.p0->tcp_send(t.p0->ctx, s, buf, 1), PN_ERR_WOULDBLOCK);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 1, 0);
    ck_assert_int_eq(t.p0->tcp_send(t.p0->ctx, s, buf, 1), PN_ERR_TIMEOUT);
    pn_sim_get_counters(t.sim, 0, &c);
    ck_assert_uint_eq(c.tcp_refused, 1);
    ck_assert_uint_eq(c.tcp_timeouts, 1);
    ck_assert_uint_eq(c.tcp_resets, 1);
    free(t.mem);
}
END_TEST

START_TEST(sim_tcp_peer_crash_resets_sender)
{
    tcp_pair t;
    uint8_t buf[16] = {0};
    tcp_pair_open(&t, 0, 0, NULL);
    ck_assert_int_eq(pn_sim_crash(t.sim, 1), PN_OK);
    ck_assert_int_eq(t.p0->tcp_send(t.p0->ctx, t.cli, buf, 4), 4);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 100, 0);
    ck_assert_int_eq(t.p0->tcp_recv(t.p0->ctx, t.cli, buf, sizeof buf), PN_ERR_CLOSED);
    t.p0->sock_close(t.p0->ctx, t.cli);
    free(t.mem);
    /* After a restart the old connection is unknown there: data draws an RST. */
    tcp_pair_open(&t, 0, 0, NULL);
    ck_assert_int_eq(pn_sim_crash(t.sim, 1), PN_OK);
    ck_assert_int_eq(pn_sim_restart(t.sim, 1, 1), PN_OK);
    ck_assert_int_eq(t.p0->tcp_send(t.p0->ctx, t.cli, buf, 4), 4);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 100, 0);
    ck_assert_int_eq(t.p0->tcp_recv(t.p0->ctx, t.cli, buf, sizeof buf), PN_ERR_CLOSED);
    free(t.mem);
}
END_TEST

/* ---- random operations -------------------------------------------------------------- */
#define ST_NODES 12
#define ST_SOCKS 6

typedef struct st_sock {
    int h, is_tcp;
    uint32_t tx, rx; /* stream offsets written / verified */
    int closed_tx;
} st_sock;

typedef struct stress {
    pn_sim *sim;
    pn_platform *pf[ST_NODES];
    int udp[ST_NODES], lsn[ST_NODES];
    st_sock s[ST_NODES][ST_SOCKS];
    uint64_t rng;
    uint64_t verified;
} stress;

static uint32_t st_rand(stress *t, uint32_t n)
{
    t->rng = t->rng * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)((t->rng >> 33) % n);
}

static void st_boot(stress *t, uint32_t n)
{
    pn_addr a;
    int i;
    memset(&a, 0, sizeof a);
    a.family = PN_AF_INET6;
    a.port = 1;
    t->udp[n] = t->pf[n]->udp_open(t->pf[n]->ctx, &a);
    a.port = 2;
    t->lsn[n] = t->pf[n]->tcp_listen(t->pf[n]->ctx, &a);
    ck_assert_int_ge(t->udp[n], 0);
    ck_assert_int_ge(t->lsn[n], 0);
    for (i = 0; i < ST_SOCKS; i++)
        t->s[n][i].h = -1;
}

static st_sock *st_free_slot(stress *t, uint32_t n)
{
    int i;
    for (i = 0; i < ST_SOCKS; i++)
        if (t->s[n][i].h < 0)
            return &t->s[n][i];
    return NULL;
}

static void st_close(stress *t, uint32_t n, st_sock *k)
{
    ck_assert_int_eq(t->pf[n]->sock_close(t->pf[n]->ctx, k->h), PN_OK);
    memset(k, 0, sizeof *k);
    k->h = -1;
}

static void st_step(stress *t)
{
    uint32_t n = st_rand(t, ST_NODES), m = st_rand(t, ST_NODES), op = st_rand(t, 100);
    pn_platform *pf = t->pf[n];
    st_sock *k = &t->s[n][st_rand(t, ST_SOCKS)];
    uint8_t buf[3000];
    pn_addr to;
    int r, i;
    if (op < 10) {
        pn_sim_run(t->sim, pn_sim_now(t->sim) + st_rand(t, 60), 0);
        return;
    }
    if (op < 13) {
        if (op < 12 && st_rand(t, 4) != 0)
            return; /* crashes and restarts: about 1 % of steps */
        if (pn_sim_node_up(t->sim, n)) {
            ck_assert_int_eq(pn_sim_crash(t->sim, n), PN_OK);
        } else {
            ck_assert_int_eq(pn_sim_restart(t->sim, n, (int)st_rand(t, 2)), PN_OK);
            st_boot(t, n);
        }
        return;
    }
    if (op < 15) {
        if (op == 13)
            pn_sim_partition(t->sim, n, st_rand(t, 2));
        else
            pn_sim_heal(t->sim);
        return;
    }
    if (op < 17) {
        pn_sim_net net;
        memset(&net, 0, sizeof net);
        net.latency_ms = st_rand(t, 30);
        net.jitter_ms = st_rand(t, 30);
        net.loss_ppm = st_rand(t, 200000);
        net.dup_ppm = st_rand(t, 100000);
        net.reorder_ppm = st_rand(t, 100000);
        net.reorder_ms = st_rand(t, 50);
        pn_sim_set_net(t->sim, &net);
        return;
    }
    if (!pn_sim_node_up(t->sim, n))
        return;
    if (op < 40) { /* datagram of random size */
        size_t len = st_rand(t, 1500);
        memset(buf, (int)op, len);
        pn_sim_node_addr(t->sim, m, (uint16_t)(1 + st_rand(t, 2)), &to);
        r = pf->udp_send(pf->ctx, t->udp[n], &to, buf, len);
        ck_assert(r == (int)len || r == PN_ERR_NOMEM);
        while (pf->udp_recv(pf->ctx, t->udp[n], NULL, buf, sizeof buf) >= 0)
            ;
        return;
    }
    if (op < 48) { /* connect */
        st_sock *f = st_free_slot(t, n);
        if (f == NULL)
            return;
        pn_sim_node_addr(t->sim, m, (uint16_t)(2 + (st_rand(t, 8) == 0)), &to);
        r = pf->tcp_connect(pf->ctx, &to);
        if (r == PN_ERR_NOMEM)
            return;
        ck_assert_int_ge(r, 0);
        memset(f, 0, sizeof *f);
        f->h = r;
        f->is_tcp = 1;
        return;
    }
    if (op < 56) { /* accept */
        st_sock *f = st_free_slot(t, n);
        if (f == NULL)
            return;
        r = pf->tcp_accept(pf->ctx, t->lsn[n], NULL);
        if (r < 0) {
            ck_assert(r == PN_ERR_WOULDBLOCK || r == PN_ERR_NOMEM);
            return;
        }
        memset(f, 0, sizeof *f);
        f->h = r;
        f->is_tcp = 1;
        return;
    }
    if (k->h < 0)
        return;
    if (op < 75) { /* send the shared pattern */
        uint32_t len = st_rand(t, sizeof buf);
        if (k->closed_tx)
            return;
        for (i = 0; i < (int)len; i++)
            buf[i] = stream_byte(k->tx + (uint32_t)i);
        r = pf->tcp_send(pf->ctx, k->h, buf, len);
        if (r > 0)
            k->tx += (uint32_t)r;
        else if (r != PN_ERR_WOULDBLOCK && r != 0)
            st_close(t, n, k);
        return;
    }
    if (op < 95) { /* receive and verify */
        r = pf->tcp_recv(pf->ctx, k->h, buf, st_rand(t, sizeof buf) + 1);
        if (r > 0) {
            for (i = 0; i < r; i++)
                ck_assert_uint_eq(buf[i], stream_byte(k->rx + (uint32_t)i));
            k->rx += (uint32_t)r;
            t->verified += (uint32_t)r;
        } else if (r != PN_ERR_WOULDBLOCK) {
            st_close(t, n, k);
        }
        return;
    }
    st_close(t, n, k);
}

START_TEST(sim_random_operations_stay_consistent)
{
    pn_sim_config cfg;
    void *mem;
    stress t;
    pn_sim_counters c;
    uint32_t n, i;
    memset(&t, 0, sizeof t);
    pn_sim_config_default(&cfg, ST_NODES);
    cfg.seed = 1234;
    cfg.sockets_per_node = 2 + ST_SOCKS + 2;
    cfg.packets = 4096;
    cfg.packet_bytes = 4096 * 1536;
    cfg.udp_inbox = 8;
    cfg.tcp_conns = ST_NODES * ST_SOCKS * 3;
    cfg.tcp_buffer = 3000;
    cfg.tcp_mss = 700;
    cfg.tcp_backlog = 3;
    cfg.connect_timeout_ms = 500;
    t.sim = sim_new(&cfg, &mem);
    t.rng = 42;
    for (n = 0; n < ST_NODES; n++) {
        pn_sim_add_node(t.sim, NULL, NULL);
        t.pf[n] = pn_sim_platform(t.sim, n);
        st_boot(&t, n);
    }
    for (i = 0; i < 30000; i++)
        st_step(&t);
    pn_sim_heal(t.sim);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 60000, 0);
    ck_assert_uint_eq(pn_sim_next_event(t.sim), UINT64_MAX);
    pn_sim_get_counters(t.sim, PN_SIM_ALL, &c);
    /* The event heap never overflowed: the only memory drops are pool exhaustion. */
    ck_assert_uint_gt(t.verified, 10000);
    ck_assert_uint_gt(c.tcp_resets + c.tcp_refused + c.tcp_timeouts, 0);
    ck_assert_uint_gt(c.crashes, 0);
    /* Every datagram is accounted for once nothing is in flight. */
    ck_assert_uint_eq(c.udp_sent + c.udp_duplicated, c.udp_lost + c.drop_unreachable +
                                                         c.drop_nomem + c.udp_delivered +
                                                         c.drop_partition + c.drop_node_down +
                                                         c.drop_no_socket + c.drop_inbox_full);
    free(mem);
}
END_TEST

/* ---- capture ------------------------------------------------------------------------ */
static uint16_t l4_sum(const uint8_t *ip6, const uint8_t *l4, size_t len, uint8_t nh)
{
    uint32_t acc = 0;
    size_t i;
    for (i = 0; i < 32; i += 2)
        acc += pn_get_u16be(ip6 + 8 + i);
    acc += (uint32_t)len + nh;
    for (i = 0; i + 1 < len; i += 2)
        acc += pn_get_u16be(l4 + i);
    if (len & 1)
        acc += (uint32_t)l4[len - 1] << 8;
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)acc; /* all ones when the embedded checksum is right */
}

START_TEST(sim_pcap_records_valid)
{
    capture cap = {NULL, 0, 0};
    tcp_pair t;
    pn_addr to;
    size_t off;
    uint32_t udp = 0, tcp = 0, syn = 0, fin = 0, rst = 0, last_sec = 0, last_usec = 0;
    uint8_t buf[1300];
    int s;
    tcp_pair_open(&t, 20000, 5, &cap);
    tcp_stream(&t, 30000);
    /* UDP to port 3540 (PNRP), odd and even lengths, one to a port nobody listens on. */
    s = udp_bind(t.p1, 3540);
    addr_of(t.sim, 0, 3540, &to);
    memset(buf, 0x33, sizeof buf);
    ck_assert_int_eq(t.p1->udp_send(t.p1->ctx, s, &to, buf, 1201), 1201);
    ck_assert_int_eq(t.p1->udp_send(t.p1->ctx, s, &to, buf, 0), 0);
    ck_assert_int_eq(t.p1->udp_send(t.p1->ctx, s, &to, buf, 64), 64);
    /* RST for a refused connect */
    addr_of(t.sim, 1, 99, &to);
    ck_assert_int_ge(t.p0->tcp_connect(t.p0->ctx, &to), 0);
    pn_sim_run(t.sim, pn_sim_now(t.sim) + 100, 0);

    ck_assert_uint_ge(cap.len, 24);
    ck_assert_uint_eq(pn_get_u32le(cap.buf), 0xa1b2c3d4u);
    ck_assert_uint_eq(pn_get_u16le(cap.buf + 4), 2);
    ck_assert_uint_eq(pn_get_u16le(cap.buf + 6), 4);
    ck_assert_uint_eq(pn_get_u32le(cap.buf + 16), 65535);
    ck_assert_uint_eq(pn_get_u32le(cap.buf + 20), 101); /* LINKTYPE_RAW */
    off = 24;
    while (off < cap.len) {
        const uint8_t *r = cap.buf + off, *ip = r + 16, *l4 = ip + 40;
        uint32_t sec, usec, incl, orig, plen;
        ck_assert_uint_ge(cap.len - off, 16);
        sec = pn_get_u32le(r);
        usec = pn_get_u32le(r + 4);
        incl = pn_get_u32le(r + 8);
        orig = pn_get_u32le(r + 12);
        ck_assert_uint_eq(incl, orig);
        ck_assert_uint_ge(incl, 48);
        ck_assert_uint_le(16 + incl, cap.len - off);
        ck_assert_uint_lt(usec, 1000000);
        /* virtual time, from the configured epoch, never going back */
        ck_assert_uint_ge(sec, 1767225600u);
        ck_assert(sec > last_sec || (sec == last_sec && usec >= last_usec));
        last_sec = sec;
        last_usec = usec;
        ck_assert_uint_eq(ip[0] >> 4, 6);
        plen = pn_get_u16be(ip + 4);
        ck_assert_uint_eq(plen, incl - 40);
        ck_assert_uint_eq(ip[8], 0x20);
        ck_assert_uint_eq(ip[9], 0x01);
        if (ip[6] == 17) {
            ck_assert_uint_eq(pn_get_u16be(l4 + 4), plen);
            ck_assert_uint_ne(pn_get_u16be(l4 + 6), 0);
            ck_assert_uint_eq(l4_sum(ip, l4, plen, 17), 0xffff);
            ck_assert_uint_eq(pn_get_u16be(l4 + 2), 3540);
            ck_assert_uint_eq(pn_get_u16be(l4), 3540);
            udp++;
        } else {
            ck_assert_uint_eq(ip[6], 6);
            ck_assert_uint_eq(l4[12] >> 4, 5);
            ck_assert_uint_eq(l4_sum(ip, l4, plen, 6), 0xffff);
            syn += (l4[13] & 0x02) != 0;
            fin += (l4[13] & 0x01) != 0;
            rst += (l4[13] & 0x04) != 0;
            ck_assert_uint_le(plen - 20, t.cfg.tcp_mss);
            tcp++;
        }
        off += 16 + incl;
    }
    ck_assert_uint_eq(off, cap.len);
    ck_assert_uint_eq(udp, 3);
    ck_assert_uint_gt(tcp, 30000 / 1220);
    ck_assert_uint_eq(syn, 3); /* SYN, SYN-ACK, and the refused SYN */
    ck_assert_uint_eq(fin, 1);
    ck_assert_uint_eq(rst, 1);
    free(t.mem);
    free(cap.buf);
}
END_TEST

START_TEST(sim_tcp_sequence_numbers_in_capture_are_consistent)
{
    capture cap = {NULL, 0, 0};
    tcp_pair t;
    size_t off = 24;
    uint32_t isn = 0, next = 0, bytes = 0;
    int seen_syn = 0;
    tcp_pair_open(&t, 0, 0, &cap);
    tcp_stream(&t, 10000);
    /* Client-to-server data segments follow on from the SYN's sequence number with
     * no gap or overlap. */
    while (off < cap.len) {
        const uint8_t *ip = cap.buf + off + 16, *l4 = ip + 40;
        uint32_t incl = pn_get_u32le(cap.buf + off + 8), plen = pn_get_u16be(ip + 4);
        if (ip[6] == 6 && pn_get_u16be(l4 + 2) == 80) {
            uint32_t seq = pn_get_u32be(l4 + 4), len = plen - 20;
            if (l4[13] & 0x02) {
                isn = seq;
                next = seq + 1;
                seen_syn = 1;
            } else if (len > 0) {
                ck_assert(seen_syn);
                ck_assert_uint_eq(seq, next);
                next += len;
                bytes += len;
            } else if (l4[13] & 0x01) {
                ck_assert_uint_eq(seq, next);
            }
        }
        off += 16 + incl;
    }
    ck_assert_uint_eq(bytes, 10000);
    ck_assert_uint_eq(next - isn - 1, 10000);
    free(t.mem);
    free(cap.buf);
}
END_TEST

PN_SUITE(sim)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("sim");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, sim_memory_size_reported_and_checked);
    tcase_add_test(tc, sim_addresses_map_to_nodes);
    tcase_add_test(tc, sim_tables_bounded_return_nomem);
    tcase_add_test(tc, sim_storage_replace_is_old_or_new);
    tcase_add_test(tc, sim_link_latency_hook_per_pair);
    tcase_add_test(tc, sim_clock_random_and_log);
    tcase_add_test(tc, sim_run_limits_and_callback_rules);
    tcase_add_test(tc, sim_closed_socket_returns_queued_packets);
    tcase_add_test(tc, sim_tool_scenario_exit_codes_and_repeatable_capture);
    tcase_add_test(tc, sim_udp_latency_honoured);
    tcase_add_test(tc, sim_udp_loss_dup_reorder_near_configured);
    tcase_add_test(tc, sim_partition_drops_then_heals);
    tcase_add_test(tc, sim_udp_multicast_group_members_loss_and_capture);
    tcase_add_test(tc, sim_sock_name_reports_the_bound_scope);
    tcase_add_test(tc, sim_app_run_on_input_and_deadline);
    tcase_add_test(tc, sim_crash_drops_input_and_restart_storage);
    tcase_add_test(tc, sim_same_seed_identical_run);
    tcase_add_test(tc, sim_tcp_delivers_bytes_in_order);
    tcase_add_test(tc, sim_tcp_server_to_client_and_window);
    tcase_add_test(tc, sim_tcp_refused_timeout_and_partition_reset);
    tcase_add_test(tc, sim_tcp_peer_crash_resets_sender);
    tcase_add_test(tc, sim_random_operations_stay_consistent);
    tcase_add_test(tc, sim_pcap_records_valid);
    tcase_add_test(tc, sim_tcp_sequence_numbers_in_capture_are_consistent);
    suite_add_tcase(s, tc);
    return s;
}
