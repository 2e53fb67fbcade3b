/* peernet Peer Graphing engine (MS-PPGRH section 3): the record database and the graph
 * node, a sans-I/O state machine over one byte stream per connection.
 *
 * Memory.  Nothing is allocated: the database and the node live in one caller buffer
 * sized by pn_graph_db_memory_size / pn_graph_node_memory_size (any alignment).  Records
 * are kept in wire form (an encoded PEER_RECORD) in fixed-size slots of slot_bytes each;
 * a record larger than a slot is refused with PN_ERR_GRAPH_TOO_BIG (decision GE-1).
 *
 * Time.  `now` is the driver's monotonic milliseconds.  Record times are peer time
 * (FILETIME ticks); the node derives it from a UTC reading the driver gives it once
 * (pn_graph_node_set_clock) and the peer time delta of MS-PPGRH 3.1.5.2.2.
 */
#ifndef PEERNET_GRAPH_H
#define PEERNET_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/drbg.h"
#include "peernet/err.h"
#include "peernet/graph_wire.h"
#include "peernet/opts.h"
#include "peernet/platform.h"

/* ---- record database ------------------------------------------------------------------ */

/* Metadata of one slot; the encoded record is in the slot's bytes. */
typedef struct pn_graph_db_entry {
    pn_graph_guid id;
    pn_graph_guid type;
    uint64_t mod_time; /* Last Modification Time (peer time) */
    uint64_t exp_time; /* Expiration Time (peer time) */
    uint32_t version;
    uint32_t len;        /* bytes of the encoded record; 0: the slot is free */
    uint32_t receipts;   /* FLOODs received for this record ID (statistics) */
    uint16_t queued;     /* engine: a FLOOD of it is queued on connection i (bit i) */
    uint16_t tosend;     /* engine: "Records To Send" of a hash sync on connection i */
    uint16_t sent;       /* engine: the neighbour on connection i has this version (GE-45) */
    uint16_t syncq;      /* engine: its FLOOD on connection i answers a synchronisation (GE-62) */
    uint8_t flags;       /* PN_GRAPH_RECORD_DELETED */
    uint8_t autorefresh; /* local state (decision G-5): this node republishes it (GE-41) */
} pn_graph_db_entry;

typedef struct pn_graph_db {
    pn_graph_db_entry *e;
    uint8_t *slots;
    uint32_t *order; /* used entries sorted by (mod_time, id): the hash-sync order */
    uint32_t *index; /* open-addressing table of entry numbers + 1, 0 = empty */
    uint32_t cap, count, index_mask, hint;
    size_t slot_bytes;
} pn_graph_db;

/* Results of pn_graph_db_offer (MS-PPGRH 3.1.7.32 classification). */
enum { PN_GRAPH_DB_SAME = 0, PN_GRAPH_DB_NEW = 1, PN_GRAPH_DB_OLD = 2 };

#define PN_GRAPH_DB_RANGE 10 /* MS-PPGRH 3.1.7.31: records per hash range */

size_t pn_graph_db_memory_size(uint32_t cap, size_t slot_bytes);
int pn_graph_db_init(pn_graph_db *db, uint32_t cap, size_t slot_bytes, void *mem, size_t len);
void pn_graph_db_clear(pn_graph_db *db);
/* Entry number of a record ID, or PN_ERR_NOTFOUND. */
int pn_graph_db_find(const pn_graph_db *db, const pn_graph_guid *id);
/* The encoded record of entry i (NULL for a free entry) and its decoded view. */
const uint8_t *pn_graph_db_bytes(const pn_graph_db *db, uint32_t i, size_t *len);
int pn_graph_db_get(const pn_graph_db *db, uint32_t i, pn_graph_record *rec);
/* MS-PPGRH 3.1.7.32: > 0 when a wins over b, < 0 when b wins, 0 when neither (the same
 * record).  Only meaningful for two records with the same Record ID. */
int pn_graph_record_compare(const pn_graph_record *a, const pn_graph_record *b);
/* Offer an encoded, validated record (rec is its decoded view).  Stores it when its ID
 * is unknown or it wins over the stored copy (PN_GRAPH_DB_NEW), else reports
 * PN_GRAPH_DB_OLD (the stored copy wins) or PN_GRAPH_DB_SAME.  *idx: its entry.
 * PN_ERR_NOMEM when full, PN_ERR_GRAPH_TOO_BIG above slot_bytes. */
int pn_graph_db_offer(pn_graph_db *db, const uint8_t *enc, size_t len, const pn_graph_record *rec,
                      uint32_t *idx);
void pn_graph_db_remove(pn_graph_db *db, uint32_t i);
/* Purge every record whose Expiration Time is not after now_pt; returns the count.  When
 * cb is not NULL it sees each record just before it goes. */
int pn_graph_db_expire(pn_graph_db *db, uint64_t now_pt,
                       void (*cb)(void *ctx, const pn_graph_db *db, uint32_t i), void *ctx);
/* Enumerate used entries in slot order, optionally of one type: *pos starts at 0;
 * returns the entry number or -1 at the end. */
int pn_graph_db_next(const pn_graph_db *db, uint32_t *pos, const pn_graph_guid *type);
/* Hash-sync order: the entry at sorted position p (p < count). */
uint32_t pn_graph_db_sorted(const pn_graph_db *db, uint32_t p);
/* Number of records whose (mod_time, id) is not after (mt, id). */
uint32_t pn_graph_db_rank(const pn_graph_db *db, uint64_t mt, const pn_graph_guid *id);
/* MD5 over the RECORD_ABSTRACTs (Record ID, Version in wire form) of sorted positions
 * [from, to) (MS-PPGRH 3.1.7.31). */
void pn_graph_db_range_hash(const pn_graph_db *db, uint32_t from, uint32_t to, uint8_t out[16]);
/* Digest of the whole database (SHA-256 over the encoded records in hash-sync order),
 * for checking that replicas are identical. */
void pn_graph_db_digest(const pn_graph_db *db, uint8_t out[32]);

/* Persistence image (decision GE-5): magic "PNGRDB01", meta, count, then each record as
 * a 4-byte length and its bytes, then SHA-256 of everything before.  serialise returns
 * the bytes written or PN_ERR_BUFSIZE with *needed.  load checks the whole image (checksum,
 * layout, every record decodes and fits) before it touches the database: on any error
 * the database is unchanged. */
typedef struct pn_graph_db_meta {
    uint64_t left_time; /* peer time when the node last saved (for time-based sync) */
    int64_t time_delta; /* peer time delta, FILETIME ticks */
} pn_graph_db_meta;
int pn_graph_db_serialise(const pn_graph_db *db, const pn_graph_db_meta *meta, uint8_t *buf,
                          size_t cap, size_t *needed);
int pn_graph_db_load(pn_graph_db *db, const uint8_t *buf, size_t len, pn_graph_db_meta *meta);

/* ---- storage-backed database (decision GE-40) --------------------------------------------
 * The image above kept in two copies, NAME.0 and NAME.1, through pn_platform's storage calls
 * (only storage_read and storage_replace are used).  A commit overwrites the older copy and
 * returns PN_OK only once the copy is written: everything the image held is then
 * acknowledged, and survives a crash at any later moment, even one that tears a write
 * (a platform whose replace is not atomic).  buf (cap bytes, caller memory) holds one copy:
 * PN_GRAPH_STORE_HDR bytes plus the largest image. */
#define PN_GRAPH_STORE_HDR      48
#define PN_GRAPH_STORE_NAME_MAX 62 /* NAME plus ".0" is a storage name (at most 64 chars) */
typedef struct pn_graph_store {
    const pn_platform *pf;
    char name[2][PN_GRAPH_STORE_NAME_MAX + 3];
    uint8_t *buf;
    size_t cap;
    uint64_t generation; /* of the newest sound copy */
    int next;            /* the copy the next commit overwrites */
    int first;           /* no commit completed yet: the next one writes both copies */
} pn_graph_store;
int pn_graph_store_init(pn_graph_store *st, const pn_platform *pf, const char *name, uint8_t *buf,
                        size_t cap);
/* Find the newest sound copy: PN_OK with *img, *len inside buf (*len 0: no database yet, or
 * a first commit that never completed); PN_ERR_CORRUPT when both copies exist and neither
 * is sound; a platform error.  Call before the first commit. */
int pn_graph_store_open(pn_graph_store *st, const uint8_t **img, size_t *len);
/* The room for the next image (serialise into it, then commit its length). */
uint8_t *pn_graph_store_image(pn_graph_store *st, size_t *cap);
int pn_graph_store_commit(pn_graph_store *st, size_t len);
/* Serialise and commit / open and load (PN_ERR_NOTFOUND: no database yet). */
int pn_graph_store_save_db(pn_graph_store *st, const pn_graph_db *db, const pn_graph_db_meta *meta);
int pn_graph_store_load_db(pn_graph_store *st, pn_graph_db *db, pn_graph_db_meta *meta);

/* Record ID of a new record (MS-PPGRH 3.1.7.2; decision GE-3): the high 8 bytes are the
 * XOR of the two halves of MD5(creator ID wire bytes without the NUL), the low 8 the XOR
 * of the two halves of the random GUID r. */
void pn_graph_record_id_make(const pn_graph_str16 *creator, const pn_graph_guid *r,
                             pn_graph_guid *id);
int pn_graph_record_id_check(const pn_graph_str16 *creator, const pn_graph_guid *id);

/* ---- security provider hook (MS-PPGRH 3.1.5.1.2, 3.1.7.27, 3.1.7.28)
 * ------------------------------------------ A NULL provider means no security at all.  With a
 * provider: after AUTH_INFO every frame goes to `authenticate` until it reports completion;
 * afterwards each frame payload is one `encrypt` output of at most (frame maximum - overhead)
 * message bytes (decision GE-7).  Return values: authenticate 0 = continue, 1 = done, < 0 = abort
 * (it may write a token to out and set *out_len); encrypt/decrypt the output length or < 0;
 * secure_record the Security Data length written; validate_record one of
 * PN_GRAPH_VALID / PN_GRAPH_INVALID / PN_GRAPH_DEFER. */
enum { PN_GRAPH_VALID = 0, PN_GRAPH_INVALID = 1, PN_GRAPH_DEFER = 2 };
typedef struct pn_graph_security {
    void *ctx;
    size_t overhead;
    int (*authenticate)(void *ctx, int conn, int initiator, const uint8_t *in, size_t in_len,
                        uint8_t *out, size_t cap, size_t *out_len);
    int (*encrypt)(void *ctx, int conn, const uint8_t *in, size_t len, uint8_t *out, size_t cap);
    int (*decrypt)(void *ctx, int conn, const uint8_t *in, size_t len, uint8_t *out, size_t cap);
    int (*secure_record)(void *ctx, const pn_graph_record *rec, uint8_t *sec, size_t cap);
    int (*validate_record)(void *ctx, const pn_graph_record *rec);
} pn_graph_security;

/* ---- graph node ------------------------------------------------------------------------ */
/* PN_GRAPH_MAX_CONNS (connection slots of one node) is in peernet/opts.h. */
#define PN_GRAPH_MIN_NEIGHBOURS   2 /* MS-PPGRH 3.1.1 */
#define PN_GRAPH_IDEAL_NEIGHBOURS 3
#define PN_GRAPH_MAX_REFERRALS    100
#define PN_GRAPH_REFERRALS_SENT   10
#define PN_GRAPH_ACK_BATCH        32

enum pn_graph_event_type {
    PN_GRAPH_EV_RECORD_ADDED = 1,
    PN_GRAPH_EV_RECORD_UPDATED,
    PN_GRAPH_EV_RECORD_DELETED,
    PN_GRAPH_EV_RECORD_EXPIRED,
    PN_GRAPH_EV_NEIGHBOUR_JOINED,
    PN_GRAPH_EV_NEIGHBOUR_LEFT,
    PN_GRAPH_EV_SYNC_DONE,     /* a synchronisation with one neighbour finished */
    PN_GRAPH_EV_SYNCHRONISED,  /* the first complete synchronisation: start listening */
    PN_GRAPH_EV_DIRECT_OPENED, /* a direct connection is ready for PT2PT data */
    PN_GRAPH_EV_DATA,          /* PT2PT data arrived: data, data_len, data_type */
    /* MS-PPGRH 3.1.7.15 long-term partition repair: this node is a contact and asks the
     * application to find one more node of the graph (by its own discovery) and connect. */
    PN_GRAPH_EV_WANT_CONNECTION
};

typedef struct pn_graph_event {
    int type;
    int conn;
    uint64_t node_id; /* neighbour events */
    pn_graph_guid record_id, record_type;
    pn_graph_guid data_type; /* PN_GRAPH_EV_DATA: valid during the callback only */
    const uint8_t *data;
    size_t data_len;
} pn_graph_event;

typedef struct pn_graph_node_config {
    const char *graph_id; /* UTF-8 */
    const char *peer_id;  /* UTF-8 */
    int creator;          /* 1: create the graph (listen at once, peer time from UTC) */
    uint32_t max_records;
    size_t slot_bytes;      /* per record slot (encoded PEER_RECORD) */
    size_t conn_out_bytes;  /* per connection output buffer (framed bytes) */
    size_t max_msg_bytes;   /* largest message received or sent */
    uint8_t seed[32];       /* DRBG entropy, from the driver's pn_platform.random */
    pn_graph_in6 listen[2]; /* listening addresses announced in CONNECT */
    uint32_t n_listen;
    int accept_direct;
    const pn_graph_security *security; /* NULL: no security */
    void (*event)(void *ctx, const pn_graph_event *ev);
    void *event_ctx;
    /* Internal records (graph_internal.c).  Presence settings apply until a Graph Info
     * record gives the graph's own: presence_lifetime in seconds (0 or below 300: 300),
     * max_presence as in Graph Info (0: presence only on pn_graph_node_publish_presence,
     * 0xFFFFFFFF: every listening node publishes, else a target count).
     * no_internal_records = 1 turns off the Signature, Contact and Presence machinery
     * (signature calculation, contact maintenance, partition detection and repair,
     * presence): for tests of the record engine alone; not for real graphs. */
    uint32_t presence_lifetime;
    uint32_t max_presence;
    int no_internal_records;
    /* The rest of the Graph Info record (MS-PPGRH 3.1.4.1, 2.2.3.1; decision GE-49), used by
     * the creator only, which publishes it with presence_lifetime and max_presence above
     * (0 there: presence lifetime 300 s).  Strings are UTF-8, NULL or "" for none.  scope 0
     * means PN_GRAPH_SCOPE_GLOBAL; max_record_size 0 means 60 MB; defer_expiration sets
     * the D flag: every node of the graph then expires records only while it is connected
     * to at least one neighbour (GE-55). */
    const char *friendly_name; /* at most 255 characters */
    const char *comment;       /* at most 511 characters */
    uint32_t scope;
    uint32_t max_record_size;
    int defer_expiration;
} pn_graph_node_config;

typedef struct pn_graph_counters {
    uint64_t msgs_in, msgs_out, bytes_in, bytes_out;
    uint64_t floods_in, floods_out, floods_new, floods_old, floods_same, acks_in;
    uint64_t drop_invalid_record, drop_store_full, drop_queue_full, drop_deferred;
    uint64_t drop_conn_full; /* conn_open refused: every connection slot in use */
    uint64_t drop_sync_rate; /* SOLICIT_NEW/_TIME beyond the connection's rate (GE-48) */
    uint64_t drop_conn_addr; /* accept refused: the address (prefix) holds its share (GE-70) */
    uint64_t drop_publisher_quota; /* new record refused: its publisher holds its share (GE-72) */
    uint64_t drop_hash_rate;       /* SOLICIT_HASH/REQUEST beyond the connection's rate (GE-74) */
    uint64_t closed_bad_frame, closed_bad_msg, closed_unexpected, closed_timeout, closed_out_full,
        closed_refused;
    uint64_t closed_surplus; /* WELCOME with the Neighbour List already full (GE-61) */
    uint64_t syncs_done, hash_rounds, records_expired;
    uint64_t deferred_held, deferred_stored, deferred_dropped, autorefreshed;
} pn_graph_counters;

typedef struct pn_graph_referral {
    pn_graph_in6 addr;
    uint8_t used, tried;
} pn_graph_referral;

typedef struct pn_graph_conn pn_graph_conn; /* internal */

/* State of the internal records (MS-PPGRH 3.1.7.4-3.1.7.6, 3.1.7.11-3.1.7.17; decisions
 * GE-30 onwards).  The Contact List and Presence List of 3.1.1 are not separate tables:
 * they are read from the database (records of the two types), so no peer can grow them
 * beyond max_records.  Times are the driver's monotonic milliseconds; UINT64_MAX = not
 * armed. */
typedef struct pn_graph_internal {
    uint64_t sig_at, contact_at, part_at, presence_at, refresh_at;
    uint64_t contact_exp, presence_exp, sig_exp; /* own records: when they expire (monotonic) */
    pn_graph_guid contact_id, presence_id;       /* own records' IDs (when has_*) */
    uint64_t signature;                          /* the signature in force (have_signature) */
    uint64_t processed_at; /* last reaction to changed internal records (at most 2 a second) */
    uint32_t presence_lifetime, max_presence;
    uint8_t started, dirty, have_signature, has_contact, has_presence, force_presence;
    /* Graph Info (GE-49..GE-51): gi_known once the graph creator is known (gi_creator: MD5
     * of its Peer ID wire bytes); gi_adopted once settings came from a Graph Info record
     * (kept after the record expires); gi_owner when this node published it in this run. */
    uint8_t gi_known, gi_adopted, gi_owner;
    /* Defer Expiration in force (adopted from Graph Info, else the configuration): records
     * expire only while the node has a neighbour (MS-PPGRH 2.2.3.1 D flag, 3.1.6.7; GE-55) */
    uint8_t defer_expiration;
    uint8_t gi_creator[16];
    uint64_t gi_exp;     /* own Graph Info: when it expires (monotonic) */
    uint32_t gi_version; /* version of the Graph Info record adopted last */
    /* this node's presence Attributes (GE-52): attr_count code units with the NUL, 0: none */
    uint32_t attr_count;
    uint8_t attr16[2 * PN_GRAPH_PRESENCE_ATTR_MAX_CHARS];
    /* counters; partitions_detected counts partition detection timer firings that found
     * a contact whose signature differs, repair_connects the connections they asked for,
     * repair_requests the long-term repair events */
    uint32_t sig_published, contact_published, contact_deleted, presence_published,
        presence_deleted, refreshed, partitions_detected, repair_connects, repair_requests;
    /* Graph Info records published by this node, settings adopted from one, received ones
     * refused by the rules of GE-50 (also counted in ctr.drop_invalid_record), and
     * republications of our records for a change of listening addresses (3.1.7.23) */
    uint32_t gi_published, gi_adoptions, gi_refused, addr_changes;
} pn_graph_internal;

typedef struct pn_graph_node {
    pn_graph_node_config cfg;
    pn_graph_db db;
    pn_drbg drbg;
    pn_graph_conn *cptr[PN_GRAPH_MAX_CONNS];
    uint8_t *scratch;  /* max_msg_bytes: the message being encoded */
    uint8_t *scratch2; /* max_msg_bytes: arrays of the message being built */
    uint8_t *decbuf;   /* max_msg_bytes: a decrypted frame */
    uint8_t graph_id16[2 * PN_GRAPH_STR_MAX_CHARS];
    uint8_t peer_id16[2 * PN_GRAPH_STR_MAX_CHARS];
    pn_graph_str16 gid16, pid16;
    uint64_t node_id;
    uint64_t clock_mono, clock_utc; /* a UTC FILETIME reading and its monotonic time */
    int64_t time_delta;             /* peer time = UTC - delta */
    uint64_t left_time;             /* from a loaded image: peer time when it was saved */
    int loaded, sync_started, time_set, synchronised, listening, want_connect, leaving;
    pn_graph_in6 want_addr;
    const uint8_t *in_msg; /* the message being dispatched */
    size_t in_len;
    uint64_t maint_at, expire_at;
    /* Below Minimum Neighbours with no untried referral: when connection maintenance runs
     * again with the Contact and Presence Lists (decision GE-60); UINT64_MAX: not armed. */
    uint64_t nbr_retry_at;
    uint64_t nbr_cand_at;     /* ... and before which an event does not use those lists */
    uint32_t max_record_size; /* from the Graph Info record; 0 = 60 MB */
    pn_graph_referral referrals[PN_GRAPH_MAX_REFERRALS];
    uint32_t referral_next;
    uint32_t rr; /* round robin over connections in poll_output */
    int pending_connects;
    /* Deferred Record List (MS-PPGRH 3.1.1, decision GE-42): encoded records the security
     * provider could not validate yet, slot_bytes each; never in the database. */
    uint8_t *deferred;
    uint32_t deferred_len[PN_GRAPH_MAX_DEFERRED];
    uint64_t deferred_since[PN_GRAPH_MAX_DEFERRED];
    uint64_t refresh_at; /* Autorefresh Timer (monotonic), UINT64_MAX: off */
    pn_graph_counters ctr;
    pn_graph_internal in;
} pn_graph_node;

size_t pn_graph_node_memory_size(const pn_graph_node_config *cfg);
/* The part of it each of the PN_GRAPH_MAX_CONNS connection slots takes. */
size_t pn_graph_node_conn_memory(const pn_graph_node_config *cfg);
int pn_graph_node_init(pn_graph_node *node, const pn_graph_node_config *cfg, void *mem, size_t len);
/* Tell the node that the monotonic time now corresponds to this UTC FILETIME. */
void pn_graph_node_set_clock(pn_graph_node *node, uint64_t now, uint64_t utc_ft);
uint64_t pn_graph_node_peer_time(const pn_graph_node *node, uint64_t now);

/* Connections.  conn_open: the driver accepted (initiator = 0) or connected (initiator =
 * 1; the TCP connection is established) a socket; returns the connection number.
 * remote: for an accepted socket, the peer's address as accept reported it; for a
 * connected one, the address connected to.  An accepted socket is refused
 * (PN_ERR_REFUSED, counted drop_conn_addr) while its peer's address holds
 * PN_GRAPH_CONNS_PER_ADDR slots: the same IPv4 address, or for IPv6 the same /64
 * (decision GE-70).  NULL: address unknown, not limited (drivers should pass it).
 * conn_closed: the socket is gone (peer closed, reset, error). */
int pn_graph_node_conn_open(pn_graph_node *node, uint64_t now, int initiator,
                            const pn_graph_in6 *remote);
void pn_graph_node_conn_closed(pn_graph_node *node, uint64_t now, int conn);
/* A direct connection (MS-PPGRH 3.1.4.7, 3.1.5.2.1): no flooding or synchronisation, PT2PT data
 * only; the driver has connected the socket.  The peer must accept direct connections. */
int pn_graph_node_conn_open_direct(pn_graph_node *node, uint64_t now, const pn_graph_in6 *remote);
/* Send application data (PT2PT) on a connected link; type must not be the Ping type. */
int pn_graph_node_send_data(pn_graph_node *node, int conn, const pn_graph_guid *type,
                            const uint8_t *data, size_t len);
/* Bytes received on a connection.  A malformed frame or message closes it (counted);
 * returns PN_OK or the error that closed it. */
int pn_graph_node_input(pn_graph_node *node, uint64_t now, int conn, const uint8_t *bytes,
                        size_t len);
/* Next bytes to send: on any connection (poll_output, *conn_out set) or on one
 * (poll_conn).  Returns the byte count, 0 when nothing is pending. */
int pn_graph_node_poll_output(pn_graph_node *node, uint64_t now, int *conn_out, uint8_t *buf,
                              size_t cap);
int pn_graph_node_poll_conn(pn_graph_node *node, uint64_t now, int conn, uint8_t *buf, size_t cap);
/* A connection the driver must close now (its output is drained); the slot is freed.
 * Returns the connection number or -1. */
int pn_graph_node_poll_close(pn_graph_node *node);
/* An address the node wants a neighbour connection to: 1 and *to, or 0. */
int pn_graph_node_poll_connect(pn_graph_node *node, pn_graph_in6 *to);
uint64_t pn_graph_node_next_deadline(const pn_graph_node *node);
void pn_graph_node_tick(pn_graph_node *node, uint64_t now);
/* Leave the graph: DISCONNECT on every link, then each closes once its output has gone
 * (poll_output / poll_close as usual); no new connections afterwards.  Returns the
 * number of connections being closed. */
int pn_graph_node_leave(pn_graph_node *node, uint64_t now);
/* Add referral addresses (the application's bootstrap list). */
void pn_graph_node_add_referral(pn_graph_node *node, const pn_graph_in6 *addr);
int pn_graph_node_neighbours(const pn_graph_node *node);
/* Node IDs of the connected neighbours (at most cap); returns how many. */
int pn_graph_node_neighbour_ids(const pn_graph_node *node, uint64_t *ids, int cap);

/* One connection's FLOODs sent, and of those the ones a synchronisation asked for
 * (answers to SOLICIT_NEW/_TIME and REQUEST, Records To Send; decision GE-62); the rest
 * relay records flooded from elsewhere. */
typedef struct pn_graph_conn_stats {
    int connected, direct;
    uint64_t remote_node;
    uint64_t floods_out, flood_bytes_out, sync_floods_out, sync_flood_bytes_out;
} pn_graph_conn_stats;
/* PN_ERR_STATE for a free slot. */
int pn_graph_node_conn_stats(const pn_graph_node *node, int ci, pn_graph_conn_stats *st);

/* Records (MS-PPGRH 3.1.4.3-3.1.4.5, 3.1.7.2-3.1.7.9). lifetime_s: Expiration = now + lifetime. */
int pn_graph_node_add(pn_graph_node *node, uint64_t now, const pn_graph_guid *type,
                      const uint8_t *payload, size_t len, uint32_t lifetime_s, pn_graph_guid *id);
int pn_graph_node_update(pn_graph_node *node, uint64_t now, const pn_graph_guid *id,
                         const uint8_t *payload, size_t len, uint32_t lifetime_s);
int pn_graph_node_delete(pn_graph_node *node, uint64_t now, const pn_graph_guid *id);

/* Autorefresh (MS-PPGRH 3.1.7.22, decision GE-41): while on, this node republishes the
 * record (a new version, its lifetime renewed) within 20 s of its expiry.  The record must
 * be stored, not deleted, and created or last modified by this node. */
int pn_graph_node_set_autorefresh(pn_graph_node *node, uint64_t now, const pn_graph_guid *id,
                                  int on);
/* MS-PPGRH 3.1.4.10: re-process every deferred record as if it had just arrived (also done
 * on the expiration timer).  Returns how many were stored. */
int pn_graph_node_revalidate(pn_graph_node *node, uint64_t now);
/* Deferred records held now. */
int pn_graph_node_deferred(const pn_graph_node *node);

/* Persistence: the image of pn_graph_db_serialise with left_time = now. */
int pn_graph_node_save(pn_graph_node *node, uint64_t now, uint8_t *buf, size_t cap, size_t *needed);
/* Before any connection: load an image; the first neighbour link then starts with a
 * time-based sync (MS-PPGRH 3.1.7.30). */
int pn_graph_node_load(pn_graph_node *node, const uint8_t *buf, size_t len);
/* The same through a storage-backed database (pn_graph_store). */
int pn_graph_store_save_node(pn_graph_store *st, pn_graph_node *node, uint64_t now);
int pn_graph_store_load_node(pn_graph_store *st, pn_graph_node *node);

/* ---- internal records (graph_internal.c) ---------------------------------------------- */
/* MS-PPGRH 3.1.4.6: publish this node's presence record now and keep it published while
 * the node is listening (Force Publish Presence).  PN_ERR_STATE while not listening. */
int pn_graph_node_publish_presence(pn_graph_node *node, uint64_t now);
/* The Presence List: node IDs of the live presence records (at most cap); returns how
 * many there are (may exceed cap). */
int pn_graph_node_presence(const pn_graph_node *node, uint64_t *ids, int cap);
/* The graph signature (lowest node ID, MS-PPGRH 3.1.7.11) in the local database: 1 and
 * *sig, or 0 when there is no live signature record. */
int pn_graph_node_signature(const pn_graph_node *node, uint64_t *sig);
/* Live contact records: how many, and whether one is this node's. */
int pn_graph_node_contacts(const pn_graph_node *node, int *own);

/* Graph Info (MS-PPGRH 2.2.3.1, 3.1.7.7, 3.1.7.10.2; decisions GE-49 to GE-51).  The graph's
 * properties as the creator sets them; strings are UTF-8 (NULL or "": none). */
typedef struct pn_graph_properties {
    const char *friendly_name;  /* at most 255 characters */
    const char *comment;        /* at most 511 characters */
    uint32_t scope;             /* PN_GRAPH_SCOPE_*; 0: global */
    uint32_t presence_lifetime; /* 0 or at least 300 s */
    uint32_t max_presence;      /* as pn_graph_node_config.max_presence */
    uint32_t max_record_size;   /* 0 (60 MB) or 1024..62914560 */
    int defer_expiration;
} pn_graph_properties;
/* The creator updates the Graph Info record (a new version, flooded; every node adopts it).
 * Only a node whose Peer ID is the graph creator's (and that knows the graph's Graph Info)
 * may: PN_ERR_STATE otherwise; PN_ERR_ARG / PN_ERR_RANGE for bad values (nothing changes). */
int pn_graph_node_set_properties(pn_graph_node *node, uint64_t now, const pn_graph_properties *p);
/* The live Graph Info record: 1 and *gi (its strings point into the database: valid until
 * the database changes), or 0. */
int pn_graph_node_graph_info(const pn_graph_node *node, pn_graph_info *gi);

/* Presence attributes (MS-PPGRH 2.2.3.4, 3.1.7.4; GE-52): an application string (UTF-8,
 * NULL or "" for none, at most PN_GRAPH_PRESENCE_ATTR_MAX_CHARS - 1 UTF-16 code units)
 * carried in this node's presence record; a published presence is updated at once. */
int pn_graph_node_set_presence_attributes(pn_graph_node *node, uint64_t now, const char *utf8);
/* MS-PPGRH 3.1.7.23 (GE-53): the local listening addresses changed (n <= 2; n = 0: none).
 * The node's presence and contact records are republished as new versions with the new
 * addresses (the presence deleted when none is left), then graph maintenance runs. */
int pn_graph_node_set_addresses(pn_graph_node *node, uint64_t now, const pn_graph_in6 *addrs,
                                uint32_t n);
/* The Presence List entry of node_id: 1 and *p (pointing into the database: valid until the
 * database changes), or 0. */
int pn_graph_node_presence_get(const pn_graph_node *node, uint64_t node_id, pn_graph_presence *p);

#endif
