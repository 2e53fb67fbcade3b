/* The PNRP node engine (MS-PNRP section 3): identities and CPAs, the Route Entry Cache
 * and the sans-I/O node.
 *
 * Three layers, each usable alone:
 *   - identities and CPAs: build, sign and validate Encoded CPAs (RSA-1024 / SHA-1);
 *   - the Route Entry Cache: leaf sets around the local IDs and levels that each cover
 *     a tenth of the distance range above, in a caller-provided array;
 *   - the node: fed with datagrams and a monotonic clock, it hands back datagrams to
 *     send and the next time it wants to be woken, and reports resolutions through a
 *     callback.  It never calls the OS.
 *
 * Open points of the specification and how they are settled: spec/decisions.md,
 * "PNRP engine".
 */
#ifndef PEERNET_PNRP_H
#define PEERNET_PNRP_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/drbg.h"
#include "peernet/err.h"
#include "peernet/opts.h"
#include "peernet/pnrp_wire.h"
#include "peernet/rsa.h"

/* The engine's table sizes (PN_PNRP_PENDING_MAX, ...) are options in peernet/opts.h. */

/* Protocol constants of section 3. */
enum {
    PN_PNRP_RETRANSMIT_MS = 1000,    /* 3.1.2 Message Retransmission Timer */
    PN_PNRP_RETRY_COUNT = 2,         /* 3.1.4.3, 3.1.4.4.2, 3.2.4.2 */
    PN_PNRP_MAINTENANCE_MS = 15000,  /* 3.1.2 Maintenance Timer */
    PN_PNRP_CONVERSATION_MS = 15000, /* 3.2.2 Conversation Timer */
    PN_PNRP_LEAF_SIDE = 5            /* 3.2.1: five closest IDs each side */
};

/* FILETIME of a Unix time in milliseconds (100 ns units since 1601-01-01). */
uint64_t pn_pnrp_filetime(int64_t unix_ms);

/* ---- identities and CPAs ------------------------------------------------------------- */
/* An RSA-1024 key as PNRP uses it: the DER RSAPublicKey of the CPA Public Key field and
 * the authority derived from it.  priv is caller memory that must outlive the identity
 * (NULL for a verify-only identity). */
typedef struct pn_pnrp_identity {
    uint8_t key_data[PN_PNRP_PUBKEY_DATA_LEN];
    uint8_t authority[20]; /* SHA-1 of key_data, most significant byte first */
    const pn_rsa_private *priv;
} pn_pnrp_identity;

/* From a 1024-bit key with e = 65537 or another exponent of at most 3 bytes.
 * PN_ERR_CRYPTO_KEYSIZE for another modulus size, PN_ERR_CRYPTO_KEY for a bad exponent. */
int pn_pnrp_identity_init(pn_pnrp_identity *id, const pn_rsa_public *pub,
                          const pn_rsa_private *priv);
/* The secure-name authority as 40 hex digits plus NUL. */
void pn_pnrp_identity_authority_text(const pn_pnrp_identity *id, char out[41]);

/* What a CPA says (the caller's view; pn_pnrp_cpa_build encodes and signs it). */
typedef struct pn_pnrp_cpa_params {
    const pn_pnrp_identity *identity; /* signs; its authority goes in when secure */
    uint8_t secure;                   /* 1: A flag and BinaryAuthority */
    uint8_t revoke;                   /* 1: R flag, zero nonce (3.2.4.2) */
    uint8_t classifier_hash[20];
    uint8_t service_loc[16];
    uint8_t nonce[16];
    uint64_t not_after; /* FILETIME */
    uint8_t addr_count; /* 0..4 (0 only when revoking) */
    pn_pnrp_endpoint addrs[4];
    uint8_t app_count; /* 0: no PAYLOAD */
    const pn_pnrp_app_endpoint *apps;
} pn_pnrp_cpa_params;

/* Encode and sign an Encoded CPA into buf (3.2.5.7, 3.2.5.9).  rng feeds RSA blinding;
 * work is a scratch area of at least PN_RSA_WORK_BYTES(1024) bytes.  Returns the length
 * or a negative code. */
int pn_pnrp_cpa_build(const pn_pnrp_cpa_params *p, uint8_t *buf, size_t cap, pn_rng_fn rng,
                      void *rng_ctx, void *work, size_t work_len);

/* What validation checks besides the CPA itself (3.1.5.7). */
typedef struct pn_pnrp_cpa_expect {
    uint64_t now_filetime;     /* the CPA must not be expired */
    const uint8_t *nonce;      /* NULL: not checked; else the INQUIRE nonce */
    const pn_pnrp_id *id;      /* NULL: not checked; else the ROUTE_ENTRY PNRP ID */
    int revoke;                /* 1: must be a revoke CPA, 0: must not be */
    const uint8_t *cert_chain; /* present chain (delegation): unsupported, rejected */
} pn_pnrp_cpa_expect;

/* Validate a decoded CPA (3.1.5.7, 3.1.5.9).  PN_OK, PN_ERR_CRYPTO_SIGNATURE,
 * PN_ERR_CRYPTO_EXPIRED, PN_ERR_PNRP_NONCE, PN_ERR_PNRP_CPA (ID, authority or flags
 * mismatch), PN_ERR_UNSUPPORTED (extended payload or certificate chain).  With
 * PN_FUZZING_SKIP_SIGNATURES the signature check passes. */
int pn_pnrp_cpa_validate(const pn_pnrp_cpa *cpa, const pn_pnrp_cpa_expect *e);

/* ---- the Route Entry Cache (3.2.1.1) ------------------------------------------------- */
enum { PN_PNRP_CE_LEAF = 1 };

typedef struct pn_pnrp_cache_entry {
    pn_pnrp_id id;
    uint8_t addr[16]; /* the first address of the ROUTE_ENTRY (decision PE-3) */
    uint16_t port;
    uint8_t used;
    uint8_t level;  /* 0 = widest; meaningful outside the leaf sets */
    uint8_t flags;  /* PN_PNRP_CE_* */
    uint32_t stamp; /* admission order, for replacement */
    /* Not After of the CPA that admitted the entry, in units of 1024 ms of the node's
     * clock (decision PE-44); 0 when admitted without a CPA. */
    uint32_t expires;
} pn_pnrp_cache_entry;

typedef struct pn_pnrp_cache {
    pn_pnrp_cache_entry *e;
    size_t cap;
    size_t count;
    uint32_t clock;
    /* The IDs the leaf sets and levels are measured from (the locally registered IDs;
     * a resolve-only node uses one random reference). */
    const pn_pnrp_id *local;
    size_t local_count;
    uint8_t no_leaves; /* 1: the IDs are only a level reference (resolve-only node) */
    uint32_t evicted, rejected;
} pn_pnrp_cache;

/* cap must be at least 11. */
int pn_pnrp_cache_init(pn_pnrp_cache *c, pn_pnrp_cache_entry *entries, size_t cap);
/* Point the cache at the current local ID list and recompute leaf sets and levels. */
void pn_pnrp_cache_set_local(pn_pnrp_cache *c, const pn_pnrp_id *local, size_t n);
/* 1 when id would belong to a leaf set of some local ID (3.2.5.1). */
int pn_pnrp_cache_in_leaf_range(const pn_pnrp_cache *c, const pn_pnrp_id *id);
/* Add or refresh an entry.  Returns 1 added (2 when it joined a leaf set), 0 refreshed,
 * PN_ERR_NOMEM when the rules kept the existing entries instead. */
int pn_pnrp_cache_add(pn_pnrp_cache *c, const pn_pnrp_id *id, const uint8_t addr[16],
                      uint16_t port);
int pn_pnrp_cache_remove(pn_pnrp_cache *c, const pn_pnrp_id *id); /* 1 removed, 0 absent */

pn_pnrp_cache_entry *pn_pnrp_cache_find(pn_pnrp_cache *c, const pn_pnrp_id *id);
/* Up to max entries ordered closest to target first, skipping those whose endpoint is
 * in `skip` (n_skip entries) and, when `closer_than` is not NULL, those not strictly
 * closer to target than it.  Returns the count. */
size_t pn_pnrp_cache_closest(const pn_pnrp_cache *c, const pn_pnrp_id *target,
                             const pn_pnrp_endpoint *skip, size_t n_skip,
                             const pn_pnrp_id *closer_than, const pn_pnrp_cache_entry **out,
                             size_t max);
/* The nearest entry strictly above (dir > 0) or below (dir < 0) id on the circle that
 * is not id itself and not in skip; NULL when none. */
const pn_pnrp_cache_entry *pn_pnrp_cache_neighbour(const pn_pnrp_cache *c, const pn_pnrp_id *id,
                                                   int dir, int rank, const pn_pnrp_endpoint *skip,
                                                   size_t n_skip);

/* ---- the node ------------------------------------------------------------------------ */
enum {
    PN_PNRP_EV_RESOLVED = 1,   /* a matching CPA was found and validated */
    PN_PNRP_EV_NOT_FOUND = 2,  /* the resolve ended without an adequate match */
    PN_PNRP_EV_REGISTERED = 3, /* the registration LOOKUP walk finished */
    PN_PNRP_EV_SYNCED = 4,     /* a seed answered the synchronisation */
    PN_PNRP_EV_DONE = 5        /* a resolve for several matches ended after >= 1 result */
};

typedef struct pn_pnrp_event {
    int type;
    int handle;             /* from pn_pnrp_node_resolve / _register */
    void *user;             /* from pn_pnrp_node_resolve */
    unsigned hops;          /* TotalUsefulHops of the resolve */
    pn_pnrp_id id;          /* the matching PNRP ID (RESOLVED) */
    const pn_pnrp_cpa *cpa; /* RESOLVED: endpoints and payload; valid during the call */
} pn_pnrp_event;

typedef void (*pn_pnrp_event_fn)(void *ctx, const pn_pnrp_event *ev);

typedef struct pn_pnrp_node_config {
    pn_pnrp_endpoint local[4]; /* Local Endpoint List: same port (3.1.4.1) */
    uint8_t local_count;       /* 1..4 */
    pn_pnrp_endpoint seeds[PN_PNRP_SEEDS_MAX];
    uint8_t seed_count;
    uint8_t seed[32];        /* DRBG seed (the driver draws it from pn_platform.random) */
    int64_t wall_offset_ms;  /* Unix wall ms = monotonic now + this (CPA expiry) */
    uint32_t cpa_lifetime_s; /* Not After of the CPAs this node signs (default 8 h) */
    pn_pnrp_event_fn on_event;
    void *event_ctx;
} pn_pnrp_node_config;

/* Caller memory besides the pn_pnrp_node struct. */
typedef struct pn_pnrp_node_memory {
    pn_pnrp_cache_entry *cache; /* at least 11 */
    size_t cache_cap;
    uint8_t *out;         /* output queue (datagrams waiting for poll_output) */
    size_t out_cap;       /* at least PN_UDP_MAX + 20 */
    pn_pnrp_reasm *reasm; /* optional: NULL accepts only unfragmented AUTHORITY */
} pn_pnrp_node_memory;

/* Drop and event counters. */
typedef struct pn_pnrp_counters {
    uint32_t rx, tx, tx_bytes, rx_bytes;
    uint32_t rx_by_type[12];
    uint32_t drop_decode, drop_src_port, drop_unsolicited, drop_nonce, drop_cpa, drop_reasm,
        drop_out_full, drop_table_full, drop_no_route, drop_type;
    uint32_t retransmits, timeouts;
    uint32_t adds_started, adds_done, adds_refused, removed;
    uint32_t resolves_ok, resolves_failed;
    uint32_t resolve_msgs, resolve_bytes; /* sent and answered for application resolves */
    uint32_t signs, verifies;
    uint32_t expired; /* cache entries whose CPA expired, sent back to admission (PE-44) */
} pn_pnrp_counters;

struct pn_pnrp_node;
typedef struct pn_pnrp_node pn_pnrp_node;

/* Defaults: no seeds, 8 h CPA lifetime. */
void pn_pnrp_node_config_default(pn_pnrp_node_config *cfg);
int pn_pnrp_node_init(pn_pnrp_node *n, const pn_pnrp_node_config *cfg,
                      const pn_pnrp_node_memory *mem, uint64_t now);
/* Feed one received UDP payload. */
void pn_pnrp_node_input(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *from,
                        const uint8_t *buf, size_t len);
/* Take the next datagram to send: its length, 0 when none, PN_ERR_BUFSIZE when cap is
 * too small (the datagram stays queued). */
int pn_pnrp_node_poll_output(pn_pnrp_node *n, uint8_t *buf, size_t cap, pn_pnrp_endpoint *to);
uint64_t pn_pnrp_node_next_deadline(const pn_pnrp_node *n);
void pn_pnrp_node_tick(pn_pnrp_node *n, uint64_t now);

/* A name to publish (3.2.4.1). */
typedef struct pn_pnrp_registration {
    const char *name; /* "0.classifier" or "<authority>.classifier" (UTF-8) */
    size_t name_len;
    const pn_pnrp_identity *identity; /* signs the CPAs; must outlive the registration */
    int has_prefix;                   /* else the first 64 bits of a local address */
    uint64_t prefix;
    uint8_t app_count;
    pn_pnrp_app_endpoint apps[PN_PNRP_LOCAL_APPS_MAX];
} pn_pnrp_registration;

/* Register: returns a handle >= 0 or a negative code. */
int pn_pnrp_node_register(pn_pnrp_node *n, uint64_t now, const pn_pnrp_registration *r);
int pn_pnrp_node_unregister(pn_pnrp_node *n, uint64_t now, int handle);
/* The PNRP ID of a registration. */
int pn_pnrp_node_local_id(const pn_pnrp_node *n, int handle, pn_pnrp_id *out);
/* Resolve a peer name (3.1.4.4): criteria PN_PNRP_SEARCH_*, the service location
 * prefix (the suffix is 0x8000000000000000).  Returns a handle or a negative code;
 * the result comes as an event carrying `user`. */
int pn_pnrp_node_resolve(pn_pnrp_node *n, uint64_t now, const char *name, size_t len,
                         uint8_t criteria, uint16_t precision, uint64_t prefix, void *user);
/* Resolve a PNRP ID directly. */
int pn_pnrp_node_resolve_id(pn_pnrp_node *n, uint64_t now, const pn_pnrp_id *target,
                            uint8_t criteria, uint16_t precision, void *user);
/* Resolve up to max_results registrations matching target under criteria: one
 * PN_PNRP_EV_RESOLVED event per distinct match, then PN_PNRP_EV_DONE (or
 * PN_PNRP_EV_NOT_FOUND when there was none).  The walk goes on after each match, so
 * this costs more messages than a single resolve. */
int pn_pnrp_node_resolve_many(pn_pnrp_node *n, uint64_t now, const pn_pnrp_id *target,
                              uint8_t criteria, uint16_t precision, uint8_t max_results,
                              void *user);
/* The target PNRP ID of a resolve for a name (3.1.4.4: suffix 0x8000000000000000). */
int pn_pnrp_name_target(const char *text, size_t len, uint64_t prefix, pn_pnrp_id *out);
/* Start (again) the synchronisation with the configured seeds (3.1.4.2.1). */
void pn_pnrp_node_bootstrap(pn_pnrp_node *n, uint64_t now);

const pn_pnrp_counters *pn_pnrp_node_counters(const pn_pnrp_node *n);
const pn_pnrp_cache *pn_pnrp_node_cache(const pn_pnrp_node *n);
/* Bytes of engine state: the node struct plus the caller memory it was given. */
size_t pn_pnrp_node_memory_used(const pn_pnrp_node *n);

/* ---- the node struct (caller-allocated; fields are private) ----------------------------- */
typedef struct pn_pnrp_hop {
    pn_pnrp_id id;
    pn_pnrp_endpoint ep;
    uint8_t use_count;
    uint8_t valid;
} pn_pnrp_hop;

typedef struct pn_pnrp_resolve {
    uint8_t used, reason, criteria, state; /* state: 0 idle, 1 LOOKUP, 2 INQUIRE */
    uint16_t precision;
    uint8_t n_next, n_best, n_path, suspicious, useful, has_initial, inquire_tries;
    uint8_t max_results, n_results;
    pn_pnrp_endpoint found[PN_PNRP_RESULTS_MAX]; /* nodes whose CPA was reported */
    pn_pnrp_id target;
    uint32_t last_msg_id;
    void *user;
    int handle;
    pn_pnrp_hop cur_next, cur_best, initial;
    pn_pnrp_hop next[PN_PNRP_NEXTHOP_MAX];
    pn_pnrp_hop best[PN_PNRP_BESTMATCH_MAX];
    pn_pnrp_endpoint path[PN_PNRP_PATH_MAX];
    uint8_t nonce[16];
} pn_pnrp_resolve;

typedef struct pn_pnrp_pending {
    uint8_t used, type, retries, kind;
    uint8_t flags; /* INQUIRE A/C/X, FLOOD D */
    uint8_t n_flooded;
    uint16_t ctx;
    uint32_t msg_id;
    uint64_t deadline;
    pn_pnrp_endpoint to;
    pn_pnrp_id id;       /* INQUIRE / FLOOD Validate PNRP ID */
    pn_pnrp_id route_id; /* FLOOD route entry */
    pn_pnrp_endpoint route_ep;
    pn_pnrp_endpoint flooded[PN_PNRP_FLOODED_KEEP];
} pn_pnrp_pending;

typedef struct pn_pnrp_add {
    uint8_t used, need_cpa, n_flooded, from_flood;
    uint8_t revalidate; /* a cached entry whose CPA expired (PE-44) */
    uint32_t inquire_id;
    pn_pnrp_id id;
    pn_pnrp_endpoint ep;
    pn_pnrp_endpoint src;
    uint8_t nonce[16];
    pn_pnrp_endpoint flooded[PN_PNRP_FLOODED_KEEP];
} pn_pnrp_add;

typedef struct pn_pnrp_conv_out { /* a SOLICIT we sent (3.1.1) */
    uint8_t used, state, n_ids;   /* state 1: SOLICIT sent, 2: REQUEST sent */
    uint32_t msg_id;
    pn_pnrp_endpoint peer;
    uint8_t nonce[16];
    pn_pnrp_id ids[PN_PNRP_CONV_REQUEST_IDS];
} pn_pnrp_conv_out;

typedef struct pn_pnrp_conv_in { /* a SOLICIT we answered (3.2.1) */
    uint8_t used;
    pn_pnrp_endpoint peer;
    uint8_t hashed_nonce[20];
    uint64_t expires;
} pn_pnrp_conv_in;

typedef struct pn_pnrp_local {
    uint8_t used, secure, app_count, announced;
    pn_pnrp_id id;
    uint8_t classifier_hash[20];
    const pn_pnrp_identity *identity;
    pn_pnrp_app_endpoint apps[PN_PNRP_LOCAL_APPS_MAX];
} pn_pnrp_local;

struct pn_pnrp_node {
    pn_pnrp_node_config cfg;
    pn_drbg drbg;
    uint8_t rpool[32];
    uint8_t rpool_left;
    pn_pnrp_cache cache;
    uint8_t *out;
    size_t out_cap, out_head, out_len;
    pn_pnrp_reasm *reasm;
    uint64_t next_maintenance;
    pn_pnrp_id ref_id; /* level reference of a node without registrations */
    pn_pnrp_id local_ids[PN_PNRP_LOCAL_MAX];
    size_t n_local_ids;
    uint8_t seed_index;
    uint32_t maint_count;
    uint8_t fill_walks;
    uint64_t next_fill;
    pn_pnrp_local locals[PN_PNRP_LOCAL_MAX];
    pn_pnrp_resolve resolves[PN_PNRP_RESOLVES_MAX];
    pn_pnrp_pending pending[PN_PNRP_PENDING_MAX];
    pn_pnrp_add adds[PN_PNRP_ADDS_MAX];
    pn_pnrp_conv_out conv_out[PN_PNRP_CONV_MAX];
    pn_pnrp_conv_in conv_in[PN_PNRP_CONV_IN];
    int next_handle;
    pn_pnrp_counters ctr;
};

#endif
