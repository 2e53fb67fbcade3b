/* `peernet sim`: run a scenario on the deterministic network simulator, and the `sim`
 * benchmark group.
 *
 * Scenario "net" exercises the simulator itself until protocol engines exist: every
 * node pings random peers over UDP and checks each echo byte for byte, streams a few
 * KiB of pseudo-random data over TCP to one peer which checks every byte, and keeps a
 * boot counter and an identity blob in storage.  Optional faults: a partition that
 * heals, and crashes with restarts that keep or lose storage (checked afterwards). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "peernet/sim.h"
#include "peernet/wire.h"
#include "sim_graph.h"
#include "sim_pnrp.h"

#define NET_UDP_PORT     47000
#define NET_TCP_PORT     47001
#define PING_SLOTS       8
#define PING_HDR         11 /* type, seq, origin, payload length */
#define PING_TIMEOUT_MS  2000
#define PING_INTERVAL_MS 200
#define STREAMS          4
#define STREAM_HDR       12
#define STREAM_IDLE_MS   10000
#define IDENT_LEN        16

struct net_opts {
    uint32_t nodes;
    uint64_t seed;
    uint64_t duration_ms;
    uint32_t latency_ms, jitter_ms;
    double loss, dup, reorder;
    int partition;
    uint32_t crash;
    const char *pcap;
    int json;
};

struct net_stats {
    uint64_t pings_sent, answered, lost, dup_replies, echoes;
    uint64_t rtt_min, rtt_max, rtt_sum;
    uint64_t tcp_started, tcp_sent, tcp_tx_aborted, tcp_rx_ok, tcp_rx_aborted, tcp_verified;
    uint64_t integrity_failures;
    uint32_t starts, boot_seen;
    int ident_state; /* 0 absent, 1 intact, 2 corrupt */
};

struct ping_slot {
    uint32_t seq;
    uint16_t len;
    uint8_t used;
    uint64_t sent;
};

struct in_stream {
    int sock;
    uint8_t hdr[STREAM_HDR];
    uint32_t hdr_got, len, got, gen;
    uint64_t last;
    int parsed, bad;
};

struct scenario {
    pn_sim *sim;
    uint32_t nodes;
    uint64_t duration_ms, stop_pings_at;
};

struct net_app {
    const struct scenario *sc;
    uint32_t self;
    /* volatile state: rebuilt by start, lost in a crash */
    int udp, lsn, out;
    int out_state; /* 0 none, 1 waiting to connect, 2 sending, 3 done */
    uint32_t out_len, out_sent, out_gen;
    uint64_t out_at;
    uint32_t next_seq;
    uint64_t next_ping;
    struct ping_slot pings[PING_SLOTS];
    struct in_stream in[STREAMS];
    /* what the observer saw; survives crashes */
    struct net_stats st;
};

static uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/* Byte i of the stream or ping payload identified by gen: computable at any offset. */
static uint8_t gen_byte(uint32_t gen, uint32_t i)
{
    return (uint8_t)(mix32(gen + i * 0x9E3779B9U) >> 24);
}

static uint32_t rand32(pn_platform *pf)
{
    uint8_t b[4];
    pf->random(pf->ctx, b, sizeof b);
    return pn_get_u32le(b);
}

static uint32_t pick_peer(const struct net_app *a, pn_platform *pf)
{
    uint32_t p = rand32(pf) % (a->sc->nodes - 1);
    return p >= a->self ? p + 1 : p;
}

static void net_start(void *app, pn_platform *pf)
{
    struct net_app *a = (struct net_app *)app;
    uint8_t b[IDENT_LEN], want[IDENT_LEN];
    uint64_t now = pf->now_ms(pf->ctx);
    int i, n;
    /* Whatever the crash interrupted is lost from the observer's point of view. */
    for (i = 0; i < PING_SLOTS; i++)
        a->st.lost += a->pings[i].used;
    for (i = 0; i < STREAMS; i++)
        a->st.tcp_rx_aborted += a->in[i].sock >= 0 && a->st.starts > 0;
    a->st.tcp_tx_aborted += a->out_state == 1 || a->out_state == 2;
    a->st.starts++;
    memset(a->pings, 0, sizeof a->pings);
    for (i = 0; i < STREAMS; i++)
        a->in[i].sock = -1;
    a->out = -1;
    a->out_state = 0;
    a->next_seq = 0;
    a->udp = pf->udp_open(pf->ctx, &(pn_addr){PN_AF_INET6, {0}, NET_UDP_PORT, 0});
    a->lsn = pf->tcp_listen(pf->ctx, &(pn_addr){PN_AF_INET6, {0}, NET_TCP_PORT, 0});
    if (a->udp < 0 || a->lsn < 0)
        a->st.integrity_failures++;
    /* Storage: a boot counter and an identity blob whose survival the tool checks. */
    n = pf->storage_read(pf->ctx, "boot", b, 4);
    a->st.boot_seen = n == 4 ? pn_get_u32be(b) : 0;
    pn_put_u32be(b, a->st.boot_seen + 1);
    if (pf->storage_replace(pf->ctx, "boot", b, 4) != PN_OK)
        a->st.integrity_failures++;
    for (i = 0; i < IDENT_LEN; i++)
        want[i] = gen_byte(a->self, (uint32_t)i);
    n = pf->storage_read(pf->ctx, "ident", b, sizeof b);
    if (n == PN_ERR_NOTFOUND) {
        a->st.ident_state = 0;
        if (pf->storage_replace(pf->ctx, "ident", want, sizeof want) != PN_OK)
            a->st.integrity_failures++;
    } else {
        a->st.ident_state = n == IDENT_LEN && memcmp(b, want, IDENT_LEN) == 0 ? 1 : 2;
    }
    a->next_ping = now + rand32(pf) % PING_INTERVAL_MS;
    if (a->st.starts == 1) { /* one transfer per node, early in the run */
        a->out_state = 1;
        a->out_at = now + rand32(pf) % (a->sc->duration_ms / 4 + 1);
        a->out_len = 4096 + rand32(pf) % 12288;
        a->out_gen = rand32(pf) | 1u;
    }
}

static void ping_check(struct net_app *a, const uint8_t *buf, int n, uint32_t *seq,
                       uint32_t *origin)
{
    uint32_t len, i, gen;
    *seq = pn_get_u32be(buf + 1);
    *origin = pn_get_u32be(buf + 5);
    len = pn_get_u16be(buf + 9);
    gen = *origin * 0x10001u + *seq;
    if ((uint32_t)n != PING_HDR + len) {
        a->st.integrity_failures++;
        return;
    }
    for (i = 0; i < len; i++)
        if (buf[PING_HDR + i] != gen_byte(gen, i)) {
            a->st.integrity_failures++;
            return;
        }
}

static void udp_input(struct net_app *a, pn_platform *pf, uint64_t now)
{
    uint8_t buf[PN_SIM_MAX_PAYLOAD];
    pn_addr from;
    int n, i;
    while ((n = pf->udp_recv(pf->ctx, a->udp, &from, buf, sizeof buf)) != PN_ERR_WOULDBLOCK) {
        uint32_t seq, origin;
        if (n < PING_HDR || (buf[0] != 'P' && buf[0] != 'E')) {
            a->st.integrity_failures++;
            continue;
        }
        ping_check(a, buf, n, &seq, &origin);
        if (buf[0] == 'P') {
            buf[0] = 'E';
            if (pf->udp_send(pf->ctx, a->udp, &from, buf, (size_t)n) == n)
                a->st.echoes++;
            continue;
        }
        if (origin != a->self) {
            a->st.integrity_failures++;
            continue;
        }
        for (i = 0; i < PING_SLOTS; i++)
            if (a->pings[i].used && a->pings[i].seq == seq)
                break;
        if (i == PING_SLOTS) { /* a network duplicate, or an echo after the timeout */
            a->st.dup_replies++;
            continue;
        }
        if (a->pings[i].len != (uint32_t)n)
            a->st.integrity_failures++;
        a->pings[i].used = 0;
        a->st.answered++;
        {
            uint64_t rtt = now - a->pings[i].sent;
            if (a->st.answered == 1 || rtt < a->st.rtt_min)
                a->st.rtt_min = rtt;
            if (rtt > a->st.rtt_max)
                a->st.rtt_max = rtt;
            a->st.rtt_sum += rtt;
        }
    }
}

static void ping_out(struct net_app *a, pn_platform *pf, uint64_t now)
{
    uint8_t buf[PING_HDR + 512];
    pn_addr to;
    uint32_t len, i, gen;
    int slot;
    for (slot = 0; slot < PING_SLOTS; slot++) {
        if (a->pings[slot].used && now - a->pings[slot].sent > PING_TIMEOUT_MS) {
            a->pings[slot].used = 0;
            a->st.lost++;
        }
    }
    if (now < a->next_ping || now >= a->sc->stop_pings_at)
        return;
    a->next_ping = now + PING_INTERVAL_MS / 2 + rand32(pf) % PING_INTERVAL_MS;
    for (slot = 0; slot < PING_SLOTS && a->pings[slot].used; slot++)
        ;
    if (slot == PING_SLOTS)
        return;
    len = 16 + rand32(pf) % 480;
    gen = a->self * 0x10001u + a->next_seq;
    buf[0] = 'P';
    pn_put_u32be(buf + 1, a->next_seq);
    pn_put_u32be(buf + 5, a->self);
    pn_put_u16be(buf + 9, (uint16_t)len);
    for (i = 0; i < len; i++)
        buf[PING_HDR + i] = gen_byte(gen, i);
    pn_sim_node_addr(a->sc->sim, pick_peer(a, pf), NET_UDP_PORT, &to);
    if (pf->udp_send(pf->ctx, a->udp, &to, buf, PING_HDR + len) != (int)(PING_HDR + len))
        return;
    a->pings[slot].used = 1;
    a->pings[slot].seq = a->next_seq++;
    a->pings[slot].len = (uint16_t)(PING_HDR + len);
    a->pings[slot].sent = now;
    a->st.pings_sent++;
}

static void tcp_out(struct net_app *a, pn_platform *pf, uint64_t now)
{
    uint8_t buf[1024]; /* small: a blocked send wastes what it generated */
    if (a->out_state == 1 && now >= a->out_at) {
        pn_addr to;
        pn_sim_node_addr(a->sc->sim, pick_peer(a, pf), NET_TCP_PORT, &to);
        a->st.tcp_started++;
        a->out = pf->tcp_connect(pf->ctx, &to);
        if (a->out < 0) {
            a->st.tcp_tx_aborted++;
            a->out_state = 3;
            return;
        }
        a->out_state = 2;
        a->out_sent = 0;
    }
    while (a->out_state == 2) {
        uint32_t total = STREAM_HDR + a->out_len, k = 0, i;
        int n;
        if (a->out_sent == total) {
            pf->sock_close(pf->ctx, a->out);
            a->st.tcp_sent++;
            a->out_state = 3;
            break;
        }
        for (; k < sizeof buf && a->out_sent + k < total; k++) {
            i = a->out_sent + k;
            if (i < STREAM_HDR) {
                uint8_t h[STREAM_HDR] = {'S', 0, 0, 0};
                pn_put_u32be(h + 4, a->out_len);
                pn_put_u32be(h + 8, a->out_gen);
                buf[k] = h[i];
            } else {
                buf[k] = gen_byte(a->out_gen, i - STREAM_HDR);
            }
        }
        n = pf->tcp_send(pf->ctx, a->out, buf, k);
        if (n == PN_ERR_WOULDBLOCK)
            break;
        if (n < 0) {
            pf->sock_close(pf->ctx, a->out);
            a->st.tcp_tx_aborted++;
            a->out_state = 3;
            break;
        }
        a->out_sent += (uint32_t)n;
    }
}

static void stream_end(struct net_app *a, pn_platform *pf, struct in_stream *s, int eof)
{
    if (s->bad)
        a->st.integrity_failures++;
    else if (eof && s->hdr_got == STREAM_HDR && s->got == s->len) {
        a->st.tcp_rx_ok++;
        a->st.tcp_verified += s->len;
    } else
        a->st.tcp_rx_aborted++;
    pf->sock_close(pf->ctx, s->sock);
    s->sock = -1;
}

static void tcp_in(struct net_app *a, pn_platform *pf, uint64_t now)
{
    uint8_t buf[2048];
    int i, s, n;
    while ((s = pf->tcp_accept(pf->ctx, a->lsn, NULL)) >= 0) {
        for (i = 0; i < STREAMS && a->in[i].sock >= 0; i++)
            ;
        if (i == STREAMS) {
            pf->sock_close(pf->ctx, s);
            continue;
        }
        memset(&a->in[i], 0, sizeof a->in[i]);
        a->in[i].sock = s;
        a->in[i].last = now;
    }
    for (i = 0; i < STREAMS; i++) {
        struct in_stream *st = &a->in[i];
        while (st->sock >= 0) {
            int k = 0;
            n = pf->tcp_recv(pf->ctx, st->sock, buf, sizeof buf);
            if (n == PN_ERR_WOULDBLOCK) {
                if (now - st->last > STREAM_IDLE_MS)
                    stream_end(a, pf, st, 0);
                break;
            }
            if (n <= 0) {
                stream_end(a, pf, st, n == 0);
                break;
            }
            st->last = now;
            for (; k < n && st->hdr_got < STREAM_HDR; k++)
                st->hdr[st->hdr_got++] = buf[k];
            if (st->hdr_got == STREAM_HDR && !st->parsed) {
                st->parsed = 1;
                if (st->hdr[0] != 'S')
                    st->bad = 1;
                st->len = pn_get_u32be(st->hdr + 4);
                st->gen = pn_get_u32be(st->hdr + 8);
            }
            for (; k < n; k++, st->got++)
                if (st->got >= st->len || buf[k] != gen_byte(st->gen, st->got))
                    st->bad = 1;
        }
    }
}

static uint64_t net_run(void *app, pn_platform *pf, uint64_t now)
{
    struct net_app *a = (struct net_app *)app;
    uint64_t next = UINT64_MAX;
    int i;
    udp_input(a, pf, now);
    ping_out(a, pf, now);
    tcp_out(a, pf, now);
    tcp_in(a, pf, now);
    if (a->next_ping < a->sc->stop_pings_at)
        next = a->next_ping;
    if (a->out_state == 1 && a->out_at < next)
        next = a->out_at;
    for (i = 0; i < PING_SLOTS; i++)
        if (a->pings[i].used && a->pings[i].sent + PING_TIMEOUT_MS + 1 < next)
            next = a->pings[i].sent + PING_TIMEOUT_MS + 1;
    for (i = 0; i < STREAMS; i++)
        if (a->in[i].sock >= 0 && a->in[i].last + STREAM_IDLE_MS + 1 < next)
            next = a->in[i].last + STREAM_IDLE_MS + 1;
    return next;
}

static const pn_sim_app_ops net_ops = {net_start, net_run};

/* ---- running a scenario --------------------------------------------------------------- */
struct net_result {
    pn_sim_counters c;
    struct net_stats total;
    uint64_t virtual_ms;
    size_t memory;
    double wall_s;
    uint32_t crashed, storage_checked, storage_bad;
};

static void pcap_fwrite(void *ctx, const uint8_t *buf, size_t len)
{
    if (fwrite(buf, 1, len, (FILE *)ctx) != len)
        fprintf(stderr, "peernet sim: capture write failed\n");
}

static uint32_t ppm(double p)
{
    return (uint32_t)(p * 1e6 + 0.5);
}

static uint64_t tool_rng(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int net_scenario(const struct net_opts *o, struct net_result *r)
{
    pn_sim_config cfg;
    struct scenario sc;
    struct net_app *apps;
    uint32_t *crashed = NULL, i;
    uint64_t pick = o->seed ^ 0xC2B2AE3D27D4EB4Full;
    FILE *pcap = NULL;
    void *mem;
    size_t need;
    double t0;
    memset(r, 0, sizeof *r);
    pn_sim_config_default(&cfg, o->nodes);
    cfg.seed = o->seed;
    /* A node sends a ping at least every PING_INTERVAL_MS / 2; pings and echoes (and
     * their duplicates) stay in flight for up to the longest one-way delay each. */
    {
        uint64_t per =
            16 + 3 * (2 * (uint64_t)o->latency_ms + o->jitter_ms + 10) / (PING_INTERVAL_MS / 2);
        uint64_t n = o->nodes * per + 256;
        cfg.packets = n > (1u << 26) ? (1u << 26) : (uint32_t)n; /* the simulator's cap */
    }
    cfg.packet_bytes = cfg.packets > 0x7fffffu ? 0xffffff80u : cfg.packets * 512;
    cfg.storage_blobs = 2;
    cfg.storage_blob_max = 64;
    cfg.tcp_conns = o->nodes + o->nodes / 4 + 16;
    cfg.tcp_buffer = o->nodes > 2000 ? 4096 : 8192; /* rings dominate big runs */
    cfg.net.latency_ms = o->latency_ms;
    cfg.net.jitter_ms = o->jitter_ms;
    cfg.net.loss_ppm = ppm(o->loss);
    cfg.net.dup_ppm = ppm(o->dup);
    cfg.net.reorder_ppm = ppm(o->reorder);
    cfg.net.reorder_ms = o->latency_ms + 10;
    if (o->pcap != NULL) {
        pcap = fopen(o->pcap, "wb");
        if (pcap == NULL) {
            fprintf(stderr, "peernet sim: %s: %s\n", o->pcap, strerror(errno));
            return -1;
        }
        cfg.pcap_write = pcap_fwrite;
        cfg.pcap_ctx = pcap;
    }
    need = pn_sim_memory_size(&cfg);
    r->memory = need;
    mem = need ? malloc(need) : NULL;
    apps = (struct net_app *)calloc(o->nodes, sizeof *apps);
    crashed = (uint32_t *)calloc(o->crash + 1, sizeof *crashed);
    if (mem == NULL || apps == NULL || crashed == NULL ||
        pn_sim_init(&sc.sim, &cfg, mem, need) != PN_OK) {
        fprintf(stderr, "peernet sim: cannot set up %u nodes (%zu bytes)\n", o->nodes, need);
        free(mem);
        free(apps);
        free(crashed);
        if (pcap)
            fclose(pcap);
        return -1;
    }
    sc.nodes = o->nodes;
    sc.duration_ms = o->duration_ms;
    sc.stop_pings_at =
        o->duration_ms > PING_TIMEOUT_MS + 500 ? o->duration_ms - PING_TIMEOUT_MS - 500 : 0;
    t0 = pn_bench_now();
    for (i = 0; i < o->nodes; i++) {
        apps[i].sc = &sc;
        apps[i].self = i;
        apps[i].out = -1;
        pn_sim_add_node(sc.sim, &net_ops, &apps[i]);
    }
    /* Crash victims: distinct nodes drawn from the seed. */
    for (i = 0; i < o->crash; i++) {
        uint32_t v, j;
        do {
            v = (uint32_t)(tool_rng(&pick) % o->nodes);
            for (j = 0; j < i && crashed[j] != v; j++)
                ;
        } while (j < i);
        crashed[i] = v;
    }
    if (o->partition) {
        pn_sim_run(sc.sim, o->duration_ms / 4, 0);
        for (i = o->nodes / 2; i < o->nodes; i++)
            pn_sim_partition(sc.sim, i, 1);
    }
    pn_sim_run(sc.sim, o->duration_ms / 3, 0);
    for (i = 0; i < o->crash; i++)
        pn_sim_crash(sc.sim, crashed[i]);
    pn_sim_run(sc.sim, o->duration_ms / 2, 0);
    pn_sim_heal(sc.sim);
    for (i = 0; i < o->crash; i++)
        pn_sim_restart(sc.sim, crashed[i], (i & 1) == 0);
    pn_sim_run(sc.sim, o->duration_ms, 0);
    r->wall_s = pn_bench_now() - t0;
    r->virtual_ms = pn_sim_now(sc.sim);
    pn_sim_get_counters(sc.sim, PN_SIM_ALL, &r->c);
    /* Storage semantics: restarted with storage kept -> second boot sees the first
     * boot's counter and an intact identity; lost -> a fresh node. */
    for (i = 0; i < o->nodes; i++) {
        const struct net_stats *s = &apps[i].st;
        uint32_t j;
        int keep = -1;
        for (j = 0; j < o->crash; j++)
            if (crashed[j] == i)
                keep = (j & 1) == 0;
        if (keep < 0) {
            if (s->starts != 1 || s->boot_seen != 0 || s->ident_state != 0)
                r->storage_bad++;
        } else {
            r->crashed++;
            if (s->starts != 2 || s->boot_seen != (keep ? 1u : 0u) ||
                s->ident_state != (keep ? 1 : 0))
                r->storage_bad++;
        }
        r->storage_checked++;
        r->total.pings_sent += s->pings_sent;
        r->total.answered += s->answered;
        r->total.lost += s->lost;
        r->total.dup_replies += s->dup_replies;
        r->total.echoes += s->echoes;
        r->total.rtt_sum += s->rtt_sum;
        if (s->answered && (r->total.rtt_min == 0 || s->rtt_min < r->total.rtt_min))
            r->total.rtt_min = s->rtt_min;
        if (s->rtt_max > r->total.rtt_max)
            r->total.rtt_max = s->rtt_max;
        r->total.tcp_started += s->tcp_started;
        r->total.tcp_sent += s->tcp_sent;
        r->total.tcp_tx_aborted += s->tcp_tx_aborted;
        r->total.tcp_rx_ok += s->tcp_rx_ok;
        r->total.tcp_rx_aborted += s->tcp_rx_aborted;
        r->total.tcp_verified += s->tcp_verified;
        r->total.integrity_failures += s->integrity_failures;
    }
    free(mem);
    free(apps);
    free(crashed);
    if (pcap != NULL && fclose(pcap) != 0) {
        fprintf(stderr, "peernet sim: %s: %s\n", o->pcap, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- command line --------------------------------------------------------------------- */
static void sim_usage(FILE *f)
{
    fprintf(f, "usage: peernet sim [SCENARIO] [OPTIONS]\n"
               "\n"
               "Run a scenario on the deterministic network simulator (same seed, same run).\n"
               "\n"
               "scenarios:\n"
               "  net                every node pings random peers over UDP (echoes checked byte\n"
               "                     for byte) and streams 4-16 KiB over TCP to a peer (every\n"
               "                     byte checked); the default\n"
               "  graph              Peer Graphing nodes join, publish and synchronise records;\n"
               "                     see 'peernet sim graph --help'\n"
               "  pnrp               a PNRP cloud joins, registers and resolves names;\n"
               "                     see 'peernet sim pnrp --help'\n"
               "\n"
               "options:\n"
               "  --nodes N          number of nodes (default 200)\n"
               "  --seed S           random seed (default 1)\n"
               "  --duration-ms T    virtual run time in ms (default 30000)\n"
               "  --latency-ms L     one-way link latency (default 20)\n"
               "  --jitter-ms J      extra uniform delay 0..J per packet (default 10)\n"
               "  --loss P           datagram loss probability 0..1 (default 0.01; TCP: delay)\n"
               "  --dup P            datagram duplication probability (default 0.005)\n"
               "  --reorder P        probability a datagram is held back (default 0.01)\n"
               "  --partition        split the nodes in two halves from T/4 until T/2\n"
               "  --crash K          crash K nodes at T/3, restart them at T/2, alternately\n"
               "                     keeping and losing their storage (checked)\n"
               "  --pcap FILE        capture every datagram and segment (IPv6, pcap format)\n"
               "  --json             print one JSON object instead of the summary\n"
               "  --help             this text\n"
               "\n"
               "exit status: 0 all integrity checks passed, 1 a check failed, 2 usage error\n");
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "peernet sim: %s%s%s\n\n", what, arg ? " " : "", arg ? arg : "");
    sim_usage(stderr);
    return PN_EXIT_USAGE;
}

static void print_human(const struct net_opts *o, const struct net_result *r, int ok)
{
    const pn_sim_counters *c = &r->c;
    const struct net_stats *t = &r->total;
    uint64_t resolved = t->answered + t->lost;
    printf("peernet sim net: %u nodes, seed %llu, %llu ms virtual in %.3f s wall\n", o->nodes,
           (unsigned long long)o->seed, (unsigned long long)r->virtual_ms, r->wall_s);
    printf("  events       %llu (%.0f per wall second)\n", (unsigned long long)c->events,
           r->wall_s > 0 ? (double)c->events / r->wall_s : 0.0);
    printf("  memory       %zu bytes of simulator state\n", r->memory);
    printf("  datagrams    sent %llu delivered %llu lost %llu duplicated %llu reordered %llu\n",
           (unsigned long long)c->udp_sent, (unsigned long long)c->udp_delivered,
           (unsigned long long)c->udp_lost, (unsigned long long)c->udp_duplicated,
           (unsigned long long)c->udp_reordered);
    printf("  dropped      partition %llu node-down %llu no-socket %llu inbox-full %llu "
           "nomem %llu\n",
           (unsigned long long)c->drop_partition, (unsigned long long)c->drop_node_down,
           (unsigned long long)c->drop_no_socket, (unsigned long long)c->drop_inbox_full,
           (unsigned long long)c->drop_nomem);
    printf("  pings        sent %llu answered %llu lost %llu (%.2f %%) duplicate replies %llu\n",
           (unsigned long long)t->pings_sent, (unsigned long long)t->answered,
           (unsigned long long)t->lost, resolved ? 100.0 * (double)t->lost / (double)resolved : 0.0,
           (unsigned long long)t->dup_replies);
    printf("  rtt ms       min %llu avg %.1f max %llu\n", (unsigned long long)t->rtt_min,
           t->answered ? (double)t->rtt_sum / (double)t->answered : 0.0,
           (unsigned long long)t->rtt_max);
    printf("  tcp          transfers %llu verified %llu aborted by sender %llu / receiver %llu, "
           "%llu bytes verified, %llu segments, %llu retransmissions, %llu resets\n",
           (unsigned long long)t->tcp_started, (unsigned long long)t->tcp_rx_ok,
           (unsigned long long)t->tcp_tx_aborted, (unsigned long long)t->tcp_rx_aborted,
           (unsigned long long)t->tcp_verified, (unsigned long long)c->tcp_segments,
           (unsigned long long)c->tcp_retransmits, (unsigned long long)c->tcp_resets);
    printf("  crashes      %u (storage checked on %u nodes, %u wrong)\n", r->crashed,
           r->storage_checked, r->storage_bad);
    printf("  integrity    %s (%llu failures)\n", ok ? "ok" : "FAILED",
           (unsigned long long)t->integrity_failures);
}

static void print_json(const struct net_opts *o, const struct net_result *r, int ok)
{
    const pn_sim_counters *c = &r->c;
    const struct net_stats *t = &r->total;
    printf("{\"scenario\":\"net\",\"nodes\":%u,\"seed\":%llu,\"virtual_ms\":%llu,"
           "\"wall_s\":%.6f,\"events\":%llu,\"memory_bytes\":%zu,",
           o->nodes, (unsigned long long)o->seed, (unsigned long long)r->virtual_ms, r->wall_s,
           (unsigned long long)c->events, r->memory);
    printf("\"udp\":{\"sent\":%llu,\"delivered\":%llu,\"lost\":%llu,\"duplicated\":%llu,"
           "\"reordered\":%llu,\"drop_partition\":%llu,\"drop_node_down\":%llu,"
           "\"drop_no_socket\":%llu,\"drop_inbox_full\":%llu,\"drop_nomem\":%llu},",
           (unsigned long long)c->udp_sent, (unsigned long long)c->udp_delivered,
           (unsigned long long)c->udp_lost, (unsigned long long)c->udp_duplicated,
           (unsigned long long)c->udp_reordered, (unsigned long long)c->drop_partition,
           (unsigned long long)c->drop_node_down, (unsigned long long)c->drop_no_socket,
           (unsigned long long)c->drop_inbox_full, (unsigned long long)c->drop_nomem);
    printf("\"pings\":{\"sent\":%llu,\"answered\":%llu,\"lost\":%llu,\"duplicate_replies\":%llu},",
           (unsigned long long)t->pings_sent, (unsigned long long)t->answered,
           (unsigned long long)t->lost, (unsigned long long)t->dup_replies);
    printf("\"rtt_ms\":{\"min\":%llu,\"avg\":%.3f,\"max\":%llu},", (unsigned long long)t->rtt_min,
           t->answered ? (double)t->rtt_sum / (double)t->answered : 0.0,
           (unsigned long long)t->rtt_max);
    printf("\"tcp\":{\"transfers\":%llu,\"verified\":%llu,\"sender_aborted\":%llu,"
           "\"receiver_aborted\":%llu,\"bytes_verified\":%llu,"
           "\"segments\":%llu,\"retransmits\":%llu,\"resets\":%llu,\"refused\":%llu,"
           "\"timeouts\":%llu},",
           (unsigned long long)t->tcp_started, (unsigned long long)t->tcp_rx_ok,
           (unsigned long long)t->tcp_tx_aborted, (unsigned long long)t->tcp_rx_aborted,
           (unsigned long long)t->tcp_verified, (unsigned long long)c->tcp_segments,
           (unsigned long long)c->tcp_retransmits, (unsigned long long)c->tcp_resets,
           (unsigned long long)c->tcp_refused, (unsigned long long)c->tcp_timeouts);
    printf("\"crashes\":%u,\"storage_wrong\":%u,\"integrity_failures\":%llu,\"ok\":%s}\n",
           r->crashed, r->storage_bad, (unsigned long long)t->integrity_failures,
           ok ? "true" : "false");
}

int pn_cmd_sim(int argc, char **argv)
{
    struct net_opts o;
    struct net_result r;
    int i, ok;
    memset(&o, 0, sizeof o);
    o.nodes = 200;
    o.seed = 1;
    o.duration_ms = 30000;
    o.latency_ms = 20;
    o.jitter_ms = 10;
    o.loss = 0.01;
    o.dup = 0.005;
    o.reorder = 0.01;
    if (argc > 1 && strcmp(argv[1], "graph") == 0)
        return pn_sim_graph_cmd(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "pnrp") == 0)
        return pn_sim_pnrp_main(argc, argv);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            sim_usage(stdout);
            return PN_EXIT_OK;
        } else if (strcmp(a, "--json") == 0) {
            o.json = 1;
        } else if (strcmp(a, "--partition") == 0) {
            o.partition = 1;
        } else if (strcmp(a, "--nodes") == 0) {
            if (pn_arg_u64(v, 1000000, &n) != 0 || n < 2)
                return usage_error("--nodes needs a number from 2 to 1000000, got", v);
            o.nodes = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            if (pn_arg_u64(v, UINT64_MAX, &o.seed) != 0)
                return usage_error("--seed needs a number, got", v);
            i++;
        } else if (strcmp(a, "--duration-ms") == 0) {
            if (pn_arg_u64(v, 1000000000, &o.duration_ms) != 0 || o.duration_ms == 0)
                return usage_error("--duration-ms needs a positive number, got", v);
            i++;
        } else if (strcmp(a, "--latency-ms") == 0 || strcmp(a, "--jitter-ms") == 0) {
            if (pn_arg_u64(v, 60000, &n) != 0)
                return usage_error("milliseconds expected after", a);
            if (a[2] == 'l')
                o.latency_ms = (uint32_t)n;
            else
                o.jitter_ms = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--loss") == 0 || strcmp(a, "--dup") == 0 ||
                   strcmp(a, "--reorder") == 0) {
            double *p = a[2] == 'l' ? &o.loss : a[2] == 'd' ? &o.dup : &o.reorder;
            if (pn_arg_prob(v, p) != 0)
                return usage_error("a probability from 0 to 1 expected after", a);
            i++;
        } else if (strcmp(a, "--crash") == 0) {
            if (pn_arg_u64(v, 1000000, &n) != 0)
                return usage_error("--crash needs a number, got", v);
            o.crash = (uint32_t)n;
            i++;
        } else if (strcmp(a, "--pcap") == 0) {
            if (v == NULL)
                return usage_error("--pcap needs a file name", NULL);
            o.pcap = v;
            i++;
        } else if (a[0] == '-') {
            return usage_error("unknown option", a);
        } else if (i != 1) {
            return usage_error("the scenario goes first:", a);
        } else if (strcmp(a, "net") != 0) {
            return usage_error("unknown scenario", a);
        }
    }
    if (o.crash > o.nodes / 2)
        return usage_error("--crash may be at most half the nodes", NULL);
    if (net_scenario(&o, &r) != 0)
        return PN_EXIT_FAIL;
    ok = r.total.integrity_failures == 0 && r.storage_bad == 0;
    if (o.json)
        print_json(&o, &r, ok);
    else
        print_human(&o, &r, ok);
    return ok ? PN_EXIT_OK : PN_EXIT_FAIL;
}

/* The `sim` benchmark: the net scenario with faults, 1000 nodes, 20 s virtual. */
void pn_bench_sim(void)
{
    struct net_opts o;
    struct net_result r;
    memset(&o, 0, sizeof o);
    o.nodes = 1000;
    o.seed = 1;
    o.duration_ms = 20000;
    o.latency_ms = 20;
    o.jitter_ms = 10;
    o.loss = 0.01;
    o.dup = 0.005;
    o.reorder = 0.01;
    if (net_scenario(&o, &r) != 0 || r.wall_s <= 0)
        return;
    pn_bench_report("sim.events_per_s", (double)r.c.events / r.wall_s, "events/s", 0);
    pn_bench_report("sim.datagrams_per_s", (double)r.c.udp_delivered / r.wall_s, "datagrams/s", 0);
    pn_bench_report("sim.tcp_bytes_per_s", (double)r.c.tcp_bytes / r.wall_s, "bytes/s", 0);
}
