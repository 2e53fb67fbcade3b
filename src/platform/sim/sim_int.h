/* Internal structures of the simulator (include/peernet/sim.h), shared by its files. */
#ifndef PN_SIM_INT_H
#define PN_SIM_INT_H

#include "peernet/opts.h"
#include "peernet/sim.h"

#define SIM_NONE         UINT32_MAX
#define SIM_CHUNK_SHIFT  7u /* payload pool granule: 128 bytes */
#define SIM_CHUNK        (1u << SIM_CHUNK_SHIFT)
#define SIM_NAME_MAX     64u /* storage names, platform.h */
#define SIM_PCAP_SCRATCH (16u + 40u + 20u + PN_SIM_MAX_PAYLOAD)

/* Event kinds. */
enum { EV_NODE = 1, EV_UDP = 2, EV_TCP = 3, EV_CONNECT_TIMEOUT = 4 };

/* TCP flag bits as on the wire (RFC 9293 3.1) plus two simulator-only bits kept in the
 * same byte of an event. */
enum {
    TCPF_FIN = 0x01,
    TCPF_SYN = 0x02,
    TCPF_RST = 0x04,
    TCPF_PSH = 0x08,
    TCPF_ACK = 0x10,
    TCPF_WIRE = 0x1f,
    TCPF_WINUPD = 0x20, /* a window update sent after the reader consumed data */
    TCPF_SIDE1 = 0x80   /* sent by end 1 (the accepting side) */
};

/* One heap entry.  Ties in time are broken by ord, a counter of insertions, so the
 * order of events never depends on anything but the calls made. */
typedef struct sim_ev {
    uint64_t t;
    uint64_t ord;
    uint32_t a; /* node, packet or connection index */
    uint32_t b; /* TCP: stream offset of the segment */
    uint32_t c; /* TCP: bytes the sender had read of the reverse stream */
    uint16_t d; /* TCP: payload length */
    uint8_t kind;
    uint8_t flags;
} sim_ev;

typedef struct sim_node {
    pn_platform pf; /* pf.ctx points at this node */
    pn_sim *sim;
    uint32_t index;
    uint32_t heap_pos; /* SIM_NONE when no wake-up is queued */
    uint32_t group;
    uint8_t used, up;
    uint16_t next_port;
    uint64_t rng[4];
    const pn_sim_app_ops *ops;
    void *app;
    pn_sim_counters cnt;
} sim_node;

enum { SOCK_FREE = 0, SOCK_UDP, SOCK_LISTEN, SOCK_TCP };

typedef struct sim_sock {
    uint8_t type;
    uint8_t side; /* TCP: which end of conn; UDP: joined multicast group + 1, 0 none */
    uint16_t port;
    uint32_t head, tail, count; /* UDP: queued packets; LISTEN: accept queue (conns) */
    uint32_t conn;
    uint8_t link; /* UDP: bound to the node's fe80:: address (SIM-8) */
} sim_sock;

/* A datagram in flight or queued; payload in a chain of pool chunks. */
typedef struct sim_pkt {
    uint32_t next;
    uint32_t chunk;
    uint32_t src, dst;
    uint16_t sport, dport;
    uint16_t len;
    uint16_t flags; /* PKT_LINK, and the multicast group + 1 in the high byte */
} sim_pkt;

/* The datagram went to a link-scoped address: its receiver sees the sender's fe80::
 * address (SIM-7). */
#define PKT_LINK 0x0001u

enum { END_NONE = 0, END_SYN_SENT, END_SYN_RCVD, END_EST };

/* One end of a connection. released: no socket or listener owns it any more. */
typedef struct sim_end {
    uint32_t node;
    uint32_t sock; /* socket slot on node, or the listener's slot while queued */
    uint16_t port;
    uint8_t state;
    uint8_t released;
    int err; /* sticky error shown to the socket, 0 when none */
} sim_end;

/* The byte stream sent by one end.  Offsets count bytes since the start (mod 2^32):
 * rd <= dlv <= sent <= wr, and the window rule wr - ack <= tcp_buffer with ack <= rd
 * keeps every unread byte in the ring. */
typedef struct sim_dir {
    uint32_t wr;   /* written by the sender's application */
    uint32_t sent; /* handed to segments */
    uint32_t dlv;  /* arrived at the receiver */
    uint32_t rd;   /* read by the receiver's application */
    uint32_t ack;  /* what the sender has heard of rd */
    uint32_t isn;  /* initial sequence number (capture only) */
    uint32_t segs; /* data segments in flight */
    uint8_t fin_req, fin_sent, fin_dlv, winupd_inflight;
} sim_dir;

typedef struct sim_conn {
    uint8_t used;
    uint8_t reset;
    sim_end end[2];  /* 0: connecting side, 1: accepting side */
    sim_dir dir[2];  /* dir[s]: bytes sent by end s */
    uint64_t arr[2]; /* latest arrival time of segments sent by end s (in-order rule) */
    uint32_t next;   /* accept queue / free list */
    uint32_t inflight;
} sim_conn;

typedef struct sim_blob {
    uint8_t used;
    uint8_t name_len;
    char name[SIM_NAME_MAX];
    uint32_t len;
} sim_blob;

struct pn_sim {
    pn_sim_config cfg;
    uint64_t now;
    uint64_t ord;
    uint64_t rng[4]; /* the network's own stream: delays, losses, sequence numbers */
    uint32_t nodes_used;
    uint32_t in_callback; /* node whose start/run is executing, SIM_NONE otherwise */
    uint32_t heap_len, heap_cap;
    uint32_t seg_budget; /* data segments in flight per direction */
    uint32_t pkt_free, chunk_free, nchunks, conn_free;
    sim_node *nodes;
    sim_sock *socks;
    sim_ev *heap;
    sim_pkt *pkts;
    uint32_t *chunk_next;
    uint8_t *chunks;
    sim_conn *conns;
    uint8_t *rings;
    sim_blob *blobs;
    uint8_t *blob_data;
    pn_sim_counters total;
    uint8_t groups[PN_SIM_GROUPS_MAX][16]; /* multicast groups joined so far (SIM-7) */
    uint32_t ngroups;
    uint8_t scratch[SIM_PCAP_SCRATCH];
};

#define SIM_CNT(s, n, f, v)                                                                        \
    do {                                                                                           \
        (s)->nodes[n].cnt.f += (v);                                                                \
        (s)->total.f += (v);                                                                       \
    } while (0)

/* sim.c */
uint64_t pn_sim_rng_next(uint64_t st[4]);
int pn_sim_chance(pn_sim *s, uint32_t ppm);
uint32_t pn_sim_uniform(pn_sim *s, uint32_t max_inclusive);
int pn_sim_push(pn_sim *s, uint64_t t, uint8_t kind, uint32_t a, uint32_t b, uint32_t c, uint16_t d,
                uint8_t flags);
void pn_sim_wake(pn_sim *s, uint32_t node, uint64_t t);
/* Base one-way latency between two nodes, SIM_NONE when there is no route. */
uint32_t pn_sim_link(pn_sim *s, uint32_t from, uint32_t to);
/* 1 when a packet from one node can reach the other right now. */
int pn_sim_path_ok(pn_sim *s, uint32_t from, uint32_t to);
void pn_sim_addr_of(uint32_t node, uint16_t port, pn_addr *out);
/* The node's link-local address fe80::<node+1> (SIM-7). */
void pn_sim_link_addr_of(uint32_t node, uint16_t port, pn_addr *out);
/* 1 for a link-local unicast or link-scoped (ffx1, ffx2) multicast address. */
int pn_sim_link_scoped(const uint8_t ip[16]);
/* Node index of a simulated address, SIM_NONE when it is not one of ours. */
uint32_t pn_sim_node_of(const pn_sim *s, const pn_addr *a);

/* sim_sock.c: socket table, UDP, and the platform vtable entries they back */
sim_sock *pn_sim_sock(pn_sim *s, uint32_t node, int handle);
int pn_sim_sock_alloc(pn_sim *s, uint32_t node);
int pn_sim_port_alloc(pn_sim *s, uint32_t node, uint8_t type, uint16_t want);
void pn_sim_sock_release(pn_sim *s, uint32_t node, uint32_t slot, int crash);
void pn_sim_udp_arrive(pn_sim *s, uint32_t pkt);
int pn_sim_p_udp_open(void *ctx, const pn_addr *bind_addr);
int pn_sim_p_udp_send(void *ctx, int sock, const pn_addr *to, const uint8_t *buf, size_t len);
int pn_sim_p_udp_recv(void *ctx, int sock, pn_addr *from, uint8_t *buf, size_t cap);
int pn_sim_p_sock_close(void *ctx, int sock);
int pn_sim_p_sock_name(void *ctx, int sock, pn_addr *out);

/* sim_tcp.c */
void pn_sim_tcp_arrive(pn_sim *s, const sim_ev *e);
void pn_sim_tcp_timeout(pn_sim *s, uint32_t conn);
/* The socket's end of a connection goes away (close or crash). */
void pn_sim_tcp_release(pn_sim *s, uint32_t conn, int side, int crash);
/* A listener goes away: every connection waiting in its queue is released. */
void pn_sim_tcp_listener_gone(pn_sim *s, sim_sock *l, int crash);
int pn_sim_p_tcp_listen(void *ctx, const pn_addr *bind_addr);
int pn_sim_p_tcp_accept(void *ctx, int listener, pn_addr *peer);
int pn_sim_p_tcp_connect(void *ctx, const pn_addr *to);
int pn_sim_p_tcp_send(void *ctx, int sock, const uint8_t *buf, size_t len);
int pn_sim_p_tcp_recv(void *ctx, int sock, uint8_t *buf, size_t cap);

/* sim_pcap.c */
void pn_sim_pcap_header(pn_sim *s);
void pn_sim_pcap_udp(pn_sim *s, uint32_t src, uint16_t sport, const pn_addr *to,
                     const uint8_t *payload, size_t len);
void pn_sim_pcap_tcp(pn_sim *s, uint32_t conn, int side, uint8_t flags, uint32_t off, uint16_t len);

#endif
