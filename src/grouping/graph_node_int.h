/* Internal state of the graph node shared by graph_conn.c, graph_node.c and
 * graph_sync.c. */
#ifndef PN_GRAPH_NODE_INT_H
#define PN_GRAPH_NODE_INT_H

#include "peernet/graph.h"

#define SEC_TICKS            10000000ull
#define AUTH_TIMEOUT_MS      20000u  /* MS-PPGRH 3.1.2: the authentication timer's minimum */
#define CONNECT_TIMER_MS     60000u  /* MS-PPGRH 3.1.2 Connect Timer */
#define MAINT_IDLE_MS        30000u  /* MS-PPGRH 3.1.2: maintenance without neighbours */
#define MAINT_MS             300000u /* ... and with */
#define NBR_RETRY_MS         10000u  /* GE-60: below Minimum Neighbours, retry this often */
#define EXPIRE_MS            15000u  /* the expiration timer's shortest period */
#define PT_WINDOW_TICKS      (20ull * 60u * SEC_TICKS) /* MS-PPGRH 3.1.5.2.2: 20 minutes */
#define PN_GRAPH_HASH_ROUNDS 32
#define ACK_DELAY_MS         100u
#if PN_GRAPH_HASH_BURST < 2 * PN_GRAPH_HASH_ROUNDS
#error "PN_GRAPH_HASH_BURST must hold a SOLICIT_HASH and a REQUEST for every hash round"
#endif

/* Connection states (MS-PPGRH 3.1.1 connection and link states, merged). */
enum {
    CS_FREE = 0,
    CS_WAIT_AUTHINFO, /* responder: IN_CONN_STATE_ACCEPTED */
    CS_AUTH,          /* provider exchange: SENT_AUTHINFO / GOT_AUTHINFO */
    CS_AUTHENTICATED, /* responder waiting for CONNECT */
    CS_CONNECT_WAIT,  /* initiator sent CONNECT */
    CS_CONNECTED
};

enum { SYNC_NONE = 0, SYNC_NEW, SYNC_TIME, SYNC_HASH };

struct pn_graph_conn {
    uint8_t state, initiator, direct, closing, drop_output;
    uint8_t sync, sync_stage, hash_rounds, hash_again, hash_wait_req, moved, sync_end_pending;
    uint8_t has_listen, had_records;
    uint8_t has_peer;  /* peer holds the remote address the driver gave (GE-70) */
    pn_graph_in6 peer; /* ... counted against PN_GRAPH_CONNS_PER_ADDR */
    uint64_t remote_node;
    pn_graph_in6 listen; /* the neighbour's listening address, when known */
    uint64_t deadline;   /* authentication or connect timer (monotonic) */
    uint64_t connect_sent;
    uint32_t utility;
    uint64_t floods_out, flood_bytes_out, sync_floods_out, sync_flood_bytes_out; /* GE-62 */
    uint8_t *fbuf, *rbuf;
    pn_graph_framer fr;
    pn_graph_reasm ra;
    uint8_t *out;
    size_t out_len, out_off;
    uint32_t *q; /* ring of qcap slot numbers; marked records beyond it spill (GE-43) */
    uint32_t qhead, qlen, qcap;
    uint8_t spilled;
    uint8_t fsz[2], fhave; /* without a provider: the Frame Size being read (GE-43) */
    uint32_t frame_left;   /* ... and the payload bytes left in the current frame */
    uint8_t ack_id[PN_GRAPH_ACK_BATCH][16];
    uint8_t ack_useful[PN_GRAPH_ACK_BATCH];
    uint32_t n_ack;
    uint64_t ack_due;    /* ACKs wait up to ACK_DELAY_MS to share one message */
    uint8_t sol_tokens;  /* SOLICIT_NEW/_TIME answers left (GE-48) */
    uint64_t sol_at;     /* when the last token was added */
    uint8_t hash_tokens; /* SOLICIT_HASH and REQUEST answers left (GE-74) */
    uint64_t hash_at;    /* when the last one was added */
};

/* graph_conn.c */
int pn_gn_send(pn_graph_node *node, int ci, const pn_graph_msg *m);
void pn_gn_close(pn_graph_node *node, int ci, int flush);
void pn_gn_queue(pn_graph_node *node, int ci, uint32_t idx);
size_t pn_gn_out_free(const pn_graph_node *node, int ci);
void pn_gn_event(pn_graph_node *node, int type, int ci, const pn_graph_guid *id,
                 const pn_graph_guid *type_guid);
void pn_gn_flush_acks(pn_graph_node *node, int ci);
void pn_gn_sync_done(pn_graph_node *node, uint64_t now, int ci);
void pn_gn_maintenance(pn_graph_node *node, uint64_t now, int on_timer);
void pn_gn_maintenance_lists_grew(pn_graph_node *node);
void pn_gn_queue_sync(pn_graph_node *node, int ci, uint32_t idx);

/* graph_node.c */
int pn_gn_flood_in(pn_graph_node *node, uint64_t now, int ci, const pn_graph_msg *m);
void pn_gn_ack_in(pn_graph_node *node, int ci, const pn_graph_msg *m);
void pn_gn_welcome_time(pn_graph_node *node, uint64_t now, int ci, uint64_t peer_time);
int pn_gn_send_flood(pn_graph_node *node, int ci, uint32_t idx);
/* Secure, encode, store and flood a record built locally (3.1.7.3). */
int pn_gn_publish(pn_graph_node *node, pn_graph_record *rec, uint32_t *idx_out);

/* graph_internal.c: Signature, Contact and Presence records, partition detection */
int pn_gn_internal_init(pn_graph_node *node);
/* GE-50: 0 (counted) for a Graph Info record its publisher may not publish, else 1. */
int pn_gn_internal_accept(pn_graph_node *node, const pn_graph_record *rec);
void pn_gn_internal_changed(pn_graph_node *node, const pn_graph_guid *type);
void pn_gn_internal_tick(pn_graph_node *node, uint64_t now);
void pn_gn_internal_maintenance(pn_graph_node *node, uint64_t now);
uint64_t pn_gn_internal_deadline(const pn_graph_node *node);
int pn_gn_internal_candidate(pn_graph_node *node, pn_graph_in6 *to);
void pn_gn_internal_leave(pn_graph_node *node, uint64_t now);
void pn_gn_internal_loaded(pn_graph_node *node);
int pn_gn_record_acceptable(const pn_graph_node *node, const pn_graph_record *rec, uint64_t now_pt);
int pn_gn_publisher_room(const pn_graph_node *node, const pn_graph_record *rec);
void pn_gn_after_store(pn_graph_node *node, int ci, uint32_t idx, int was_known);

/* graph_defer.c */
void pn_gn_defer_add(pn_graph_node *node, uint64_t now, const uint8_t *enc, size_t len,
                     const pn_graph_record *rec);
void pn_gn_autorefresh(pn_graph_node *node, uint64_t now);

/* graph_sync.c */
void pn_gn_sync_start(pn_graph_node *node, uint64_t now, int ci);
int pn_gn_sync_input(pn_graph_node *node, uint64_t now, int ci, const pn_graph_msg *m);
void pn_gn_sync_idle(pn_graph_node *node, uint64_t now, int ci);

#endif
