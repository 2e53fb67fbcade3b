/* pn_sim: a deterministic discrete-event network of many nodes in one process.
 *
 * Every node gets a pn_platform whose clock, random source, sockets and storage are
 * simulated: time is virtual (milliseconds), randomness comes from one seed, and the
 * network adds latency, jitter, loss, duplication, reordering, partitions and crashes.
 * The same seed and the same sequence of calls give a bit-identical run (counters and
 * capture).  All memory comes from the caller (pn_sim_memory_size); the simulator has
 * no globals and calls nothing from the OS.
 *
 * Driving model.  A node's application supplies pn_sim_app_ops.  The simulator calls
 * `start` when the node boots (and again after every restart), then `run` whenever the
 * node has new input (a datagram, a TCP connection or data, a TCP state change) or the
 * deadline `run` last returned has come.  `run` drains its sockets until
 * PN_ERR_WOULDBLOCK, does its work and returns its next deadline (UINT64_MAX: none) --
 * the loop a posix driver runs around pf->wait, which is NULL here.  A node added
 * without ops is passive: a test drives it through its pn_platform between
 * pn_sim_run calls.
 *
 * Network model (decisions in spec/decisions.md, "Simulator"):
 *  - Node i has the address 2001:db8::<i+1> (the low 32 bits hold i+1).
 *  - A datagram's one-way delay is the link latency (net.latency_ms or the link_latency
 *    hook) plus a uniform jitter in [0, jitter_ms], plus reorder_ms for the fraction
 *    reorder_ppm that is held back.  loss_ppm drops, dup_ppm delivers a second copy with
 *    its own delay.  Probabilities are parts per million.
 *  - Partitions: every node is in group 0 unless pn_sim_partition moves it; a datagram
 *    or segment whose ends are in different groups when it arrives is dropped.
 *  - TCP is reliable: a lost segment is modelled as a retransmission delay (tcp_rto_ms,
 *    doubled per successive loss), never as missing bytes, and segments of one direction
 *    arrive in order.  A segment that meets a partition or a crashed node resets the
 *    connection at both ends (PN_ERR_CLOSED); a SYN that meets one is lost and the
 *    connect fails with PN_ERR_TIMEOUT after connect_timeout_ms.  A SYN to a port
 *    without a listener is answered by RST: PN_ERR_REFUSED.  Data arriving for a socket
 *    its node closed or lost in a crash is answered by RST (PN_ERR_CLOSED at the peer).
 *  - Crash: the node stops, its sockets vanish, queued and arriving input is dropped,
 *    its pending deadline is forgotten.  Restart: storage kept or wiped, `start` again.
 *  - Capture: every datagram and TCP segment is written (as raw IPv6 with UDP/TCP
 *    headers, valid checksums, virtual timestamps) when it leaves its sender, so lost
 *    datagrams appear and network duplicates do not.
 *
 *  - Link and multicast (decision SIM-7): node i is also fe80::<i+1>, all nodes on one
 *    link; a datagram sent to a link-local or link-scoped multicast address shows its
 *    receiver the sender's fe80:: address.  A UDP socket joins one multicast group with
 *    pn_sim_udp_join; a datagram to [group]:port reaches the socket of that port that
 *    joined the group on every other node (never the sender's own), each copy with its
 *    own delay, loss, duplication and partition check, and counted as one datagram
 *    sent; the capture shows it once, addressed to the group.
 *  - Addresses outside the simulation: udp_send succeeds and the datagram is counted
 *    drop_unreachable; tcp_connect fails at once with PN_ERR_UNREACHABLE.
 *
 * Counters: per node, datagrams/segments are counted as sent (and lost, duplicated,
 * reordered, dropped for drop_nomem / drop_unreachable / drop_too_big) at the sender
 * and as delivered or dropped for the other reasons at the receiver.  Once nothing is in
 * flight, udp_sent + udp_duplicated equals udp_lost + udp_delivered + every drop_*
 * except drop_too_big (which is not counted as sent).
 *
 * One thread drives a pn_sim; callbacks run inside pn_sim_run, pn_sim_add_node and
 * pn_sim_restart.
 */
#ifndef PEERNET_SIM_H
#define PEERNET_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/opts.h"
#include "peernet/platform.h"

typedef struct pn_sim pn_sim;

/* The node argument of pn_sim_get_counters that selects the whole simulation. */
#define PN_SIM_ALL UINT32_MAX
/* The UDP/TCP port range ephemeral binds and outgoing connections use. */
#define PN_SIM_EPHEMERAL_FIRST 49152u

/* Network behaviour; may be changed while the simulation runs (pn_sim_set_net). */
typedef struct pn_sim_net {
    uint32_t latency_ms;  /* one-way base latency of every link */
    uint32_t jitter_ms;   /* plus uniform [0, jitter_ms] per datagram or segment */
    uint32_t loss_ppm;    /* datagrams dropped; TCP: retransmission delay */
    uint32_t dup_ppm;     /* datagrams delivered twice (TCP: no effect) */
    uint32_t reorder_ppm; /* datagrams held back by reorder_ms more */
    uint32_t reorder_ms;
    /* Per-pair base latency replacing latency_ms; UINT32_MAX means "no route" (the
     * datagram is dropped as unreachable).  NULL: latency_ms for every pair. */
    uint32_t (*link_latency)(void *ctx, uint32_t from, uint32_t to);
    void *link_ctx;
} pn_sim_net;

typedef struct pn_sim_config {
    uint64_t seed;
    uint32_t max_nodes;
    uint32_t sockets_per_node; /* UDP, listening and TCP sockets of one node */
    uint32_t packets;          /* datagrams in flight or queued, whole simulation */
    uint32_t packet_bytes;     /* payload pool backing them (in 128-byte chunks) */
    uint32_t udp_inbox;        /* datagrams queued on one UDP socket; more are dropped */
    uint32_t tcp_conns;        /* TCP connections, whole simulation */
    uint32_t tcp_buffer;       /* bytes per direction of one connection (its window) */
    uint32_t tcp_backlog;      /* connections waiting for tcp_accept on one listener */
    uint32_t tcp_mss;          /* largest segment payload */
    uint32_t tcp_rto_ms;       /* first retransmission delay for a lost segment */
    uint32_t connect_timeout_ms;
    uint32_t storage_blobs;    /* named blobs per node */
    uint32_t storage_blob_max; /* bytes per blob */
    int64_t wall_epoch_ms;     /* wall_ms() at virtual time 0 */
    pn_sim_net net;
    /* Log lines of every node; NULL discards them. */
    void (*log)(void *ctx, uint32_t node, uint64_t now_ms, int level, const char *msg);
    void *log_ctx;
    /* Capture in libpcap classic format (LINKTYPE_RAW); NULL: no capture.  Called with
     * the file header from pn_sim_init, then once per record. */
    void (*pcap_write)(void *ctx, const uint8_t *buf, size_t len);
    void *pcap_ctx;
} pn_sim_config;

/* A node's application.  `start` boots it (and reboots it after pn_sim_restart: it must
 * reinitialise all volatile state, which the crash lost); `run` is then called at once.
 * `run` returns the next virtual time it wants to be called at, UINT64_MAX for none (a
 * time not after now means "again at once, after the events already due").  Either
 * pointer may be NULL; without `run` the node is passive. */
typedef struct pn_sim_app_ops {
    void (*start)(void *app, pn_platform *pf);
    uint64_t (*run)(void *app, pn_platform *pf, uint64_t now_ms);
} pn_sim_app_ops;

typedef struct pn_sim_counters {
    uint64_t events; /* events processed (per node: run calls) */
    uint64_t udp_sent, udp_bytes_sent, udp_delivered, udp_bytes_delivered;
    uint64_t udp_lost, udp_duplicated, udp_reordered;
    /* datagrams dropped, by reason */
    uint64_t drop_partition, drop_node_down, drop_no_socket, drop_inbox_full, drop_nomem,
        drop_unreachable, drop_too_big;
    uint64_t tcp_segments, tcp_bytes, tcp_retransmits, tcp_connects, tcp_accepts, tcp_refused,
        tcp_resets, tcp_timeouts;
    uint64_t crashes, restarts;
} pn_sim_counters;

/* Defaults for n nodes: 8 sockets per node, 16 packets per node, 16 KiB TCP windows,
 * 20 ms latency, no jitter, no loss, seed 1, epoch 2026-01-01. */
void pn_sim_config_default(pn_sim_config *cfg, uint32_t nodes);
/* Bytes of memory pn_sim_init needs for cfg (0 when cfg is invalid or too large). */
size_t pn_sim_memory_size(const pn_sim_config *cfg);
/* Set up a simulation in mem (any alignment); writes the capture header.  PN_ERR_ARG
 * for an invalid config, PN_ERR_BUFSIZE when len < pn_sim_memory_size(cfg). */
int pn_sim_init(pn_sim **out, const pn_sim_config *cfg, void *mem, size_t len);

/* Add a node (ops NULL: passive); it boots at the current virtual time (`start` runs
 * inside this call).  Returns its index, PN_ERR_NOMEM when max_nodes are in use, or
 * PN_ERR_STATE from inside a node's callback.  Indexes are assigned 0, 1, 2... */
int pn_sim_add_node(pn_sim *sim, const pn_sim_app_ops *ops, void *app);
/* The node's platform (valid for the life of sim), NULL for a bad index. */
pn_platform *pn_sim_platform(pn_sim *sim, uint32_t node);
/* The node's address with the given port; PN_ERR_ARG for a bad index. */
int pn_sim_node_addr(const pn_sim *sim, uint32_t node, uint16_t port, pn_addr *out);
/* The node owning an address, or PN_ERR_NOTFOUND. */
int pn_sim_addr_node(const pn_sim *sim, const pn_addr *addr);

/* Process events up to virtual time until_ms (inclusive), at most max_events of them
 * (0: no limit); the clock then reads until_ms unless the limit stopped it earlier.
 * Returns the number of events processed. */
uint64_t pn_sim_run(pn_sim *sim, uint64_t until_ms, uint64_t max_events);
uint64_t pn_sim_now(const pn_sim *sim);
/* Time of the next pending event, UINT64_MAX when none. */
uint64_t pn_sim_next_event(const pn_sim *sim);

void pn_sim_set_net(pn_sim *sim, const pn_sim_net *net);
/* Move a node to a partition group; PN_ERR_ARG for a bad index.  pn_sim_heal puts
 * every node back in group 0. */
int pn_sim_partition(pn_sim *sim, uint32_t node, uint32_t group);
void pn_sim_heal(pn_sim *sim);

/* Crash a node now (PN_ERR_STATE if already down or called from its own callback);
 * restart it with its storage kept (keep_storage != 0) or wiped. */
int pn_sim_crash(pn_sim *sim, uint32_t node);
int pn_sim_restart(pn_sim *sim, uint32_t node, int keep_storage);
/* 1 when the node is up, 0 when crashed, PN_ERR_ARG for a bad index. */
int pn_sim_node_up(const pn_sim *sim, uint32_t node);

/* Make UDP socket sock of the node whose platform is pf (from pn_sim_platform or the
 * app's callbacks) a member of the multicast group (ff00::/8): what pn_posix_udp_join
 * does on a real host.  A socket is in at most one group (a second join moves it).
 * PN_ERR_ARG for a bad socket or a group that is not multicast, PN_ERR_NOMEM when
 * PN_SIM_GROUPS_MAX other groups are known, PN_ERR_STATE when the node is down. */
int pn_sim_udp_join(pn_platform *pf, int sock, const uint8_t group[16]);
/* Counters of one node, or of the whole simulation with PN_SIM_ALL. */
int pn_sim_get_counters(const pn_sim *sim, uint32_t node, pn_sim_counters *out);

#endif
