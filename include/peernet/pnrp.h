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
#include "peernet/pnrp_guard.h"
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
    uint8_t authority[20]; /* the names' authority, most significant byte first: SHA-1 of
                              key_data, or of the chain root's key for a delegate */
    const pn_rsa_private *priv;
    /* A delegate (1.3.2): the PKCS#7 certificate chain, root first, whose last
     * certificate holds key_data (caller memory; NULL for an owner). */
    const uint8_t *chain;
    size_t chain_len;
} pn_pnrp_identity;

/* From a 1024-bit key with e = 65537 or another exponent of at most 3 bytes.
 * PN_ERR_CRYPTO_KEYSIZE for another modulus size, PN_ERR_CRYPTO_KEY for a bad exponent. */
int pn_pnrp_identity_init(pn_pnrp_identity *id, const pn_rsa_public *pub,
                          const pn_rsa_private *priv);
/* The secure-name authority as 40 hex digits plus NUL. */
void pn_pnrp_identity_authority_text(const pn_pnrp_identity *id, char out[41]);

/* ---- delegation: certificate chains (1.3.2, 2.2.3.5, 3.1.5.10) ---------------------- */
/* What a chain is checked against.  NULL members are not checked. */
typedef struct pn_pnrp_chain_check {
    const uint8_t *cpa_key;     /* PN_PNRP_PUBKEY_DATA_LEN: the key that signed the CPA */
    const uint8_t *authority;   /* the CPA's BinaryAuthority (20, most significant first) */
    const uint16_t *classifier; /* the AUTHORITY_BUFFER classifier as UTF-16 code units */
    size_t classifier_units;
    uint64_t now_filetime; /* every certificate must be valid then (FILETIME, so that no
                              64-bit division is needed) */
} pn_pnrp_chain_check;

/* Validate a Certificate Chain (PKCS#7 SignedData DER, root first) as 3.1.5.10 says:
 * at most PN_PNRP_CHAIN_MAX certificates of the 2.2.3.5 shape, the root self-signed of
 * certTypeRoot, each member signed by the previous key, its issuer Name the previous
 * subject, its classifiers delegated by the previous list under its role, the last
 * key the CPA key, the same PnrpPeerName first and last.  PN_OK (root_authority, may be
 * NULL, gets the root key's authority), PN_ERR_CRYPTO_EXPIRED, PN_ERR_CRYPTO_SIGNATURE,
 * PN_ERR_CRYPTO_CHAIN, or a parse error. */
int pn_pnrp_chain_validate(const uint8_t *der, size_t len, const pn_pnrp_chain_check *chk,
                           uint8_t root_authority[20]);
/* Make id a delegate: chain must end in id's key (validated at `now`, Unix seconds);
 * id->authority becomes the root's.  chain must outlive id. */
int pn_pnrp_identity_set_chain(pn_pnrp_identity *id, const uint8_t *chain, size_t len, int64_t now);

enum { PN_PNRP_ROLE_ADMIN = 1, PN_PNRP_ROLE_MEMBER = 2, PN_PNRP_ROLE_INVITING = 3 };

/* A PNRP certificate (2.2.3.5): a root (issuer_cert NULL, self-signed by issuer_key,
 * role 0) or a member issued by the holder of issuer_cert (role PN_PNRP_ROLE_*). */
typedef struct pn_pnrp_cert_params {
    const pn_rsa_private *issuer_key;
    const uint8_t *issuer_cert; /* DER of the issuing certificate, NULL for a root */
    size_t issuer_cert_len;
    const pn_rsa_public *subject_key; /* RSA-1024 */
    uint8_t serial[16];               /* top bit clear: exactly 16 bytes encoded */
    int64_t not_before, not_after;    /* Unix seconds */
    const char *peer_name;            /* PnrpPeerName (UTF-8), the same along a chain */
    size_t peer_name_len;
    const char *const *classifiers; /* NUL-terminated UTF-8, up to 8 */
    size_t n_classifiers;
    int role;
} pn_pnrp_cert_params;

/* Build and sign it (SHA-1/RSA, subject and issuer a commonName of the 40-digit
 * authority of their keys).  Returns the DER length, or PN_ERR_BUFSIZE with *needed. */
int pn_pnrp_cert_build(const pn_pnrp_cert_params *p, pn_rng_fn rng, void *rng_ctx, uint8_t *out,
                       size_t cap, size_t *needed);

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
    uint8_t has_ext_payload; /* X flag: an EXTENDED_PAYLOAD goes with this CPA */
} pn_pnrp_cpa_params;

/* Encode and sign an Encoded CPA into buf (3.2.5.7, 3.2.5.9).  rng feeds RSA blinding;
 * work is a scratch area of at least PN_RSA_WORK_BYTES(1024) bytes.  Returns the length
 * or a negative code. */
int pn_pnrp_cpa_build(const pn_pnrp_cpa_params *p, uint8_t *buf, size_t cap, pn_rng_fn rng,
                      void *rng_ctx, void *work, size_t work_len);

/* The signature of the last CPA signed with a memo (decision PE-62): the SHA-1 that was
 * signed, the signature in wire order and the Not After it was built with (0: empty). */
typedef struct pn_pnrp_sig_memo {
    uint64_t not_after;
    uint32_t hits; /* builds answered from the memo */
    uint8_t digest[20];
    uint8_t sig[PN_PNRP_SIG_DATA_LEN];
} pn_pnrp_sig_memo;

/* pn_pnrp_cpa_build remembering its signature in *memo (which may be NULL).  When the
 * memo holds a Not After of at least min_not_after, the CPA is first built with that Not
 * After; if it is byte for byte the CPA the memo was signed for, the remembered
 * signature (the very one RSASSA-PKCS1-v1_5 would compute again) completes it.
 * Otherwise p is built and signed as given and the memo keeps the new signature. */
int pn_pnrp_cpa_build_memo(const pn_pnrp_cpa_params *p, uint8_t *buf, size_t cap, pn_rng_fn rng,
                           void *rng_ctx, void *work, size_t work_len, pn_pnrp_sig_memo *memo,
                           uint64_t min_not_after);

/* What validation checks besides the CPA itself (3.1.5.7). */
typedef struct pn_pnrp_cpa_expect {
    uint64_t now_filetime;     /* the CPA must not be expired */
    const uint8_t *nonce;      /* NULL: not checked; else the INQUIRE nonce */
    const pn_pnrp_id *id;      /* NULL: not checked; else the ROUTE_ENTRY PNRP ID */
    int revoke;                /* 1: must be a revoke CPA, 0: must not be */
    const uint8_t *cert_chain; /* the Certificate Chain that came with it, or NULL */
    size_t cert_chain_len;
    const pn_pnrp_classifier *classifier;   /* the CLASSIFIER that came with it, or NULL */
    const pn_pnrp_ext_payload *ext_payload; /* the EXTENDED_PAYLOAD, or NULL */
    int ext_required; /* 1: X was asked for, so a CPA with X needs its payload */
} pn_pnrp_cpa_expect;

/* Validate a decoded CPA (3.1.5.7, 3.1.5.9), with its chain (3.1.5.10) and extended
 * payload (3.1.5.8) when given.  PN_OK, PN_ERR_CRYPTO_SIGNATURE, PN_ERR_CRYPTO_EXPIRED,
 * PN_ERR_PNRP_NONCE, PN_ERR_PNRP_CPA (ID, authority or flags mismatch),
 * PN_ERR_CRYPTO_CHAIN (the chain failed 3.1.5.10, or a delegated authority came
 * without one), PN_ERR_PNRP_EXT_PAYLOAD (the payload failed 3.1.5.8 or is missing).
 * With PN_FUZZING_SKIP_SIGNATURES the signature checks pass. */
int pn_pnrp_cpa_validate(const pn_pnrp_cpa *cpa, const pn_pnrp_cpa_expect *e);

/* Build and sign an EXTENDED_PAYLOAD (3.2.5.8) for the registration of id, carrying
 * the INQUIRE nonce; data is binary or a string (type PN_PNRP_XP_*).  Same rng/work
 * rules as pn_pnrp_cpa_build.  Returns the length or a negative code. */
int pn_pnrp_ext_payload_build(const pn_pnrp_identity *signer, uint64_t not_after,
                              const pn_pnrp_id *id, const uint8_t nonce[16], uint32_t type,
                              uint16_t string_type, const uint8_t *data, size_t len, uint8_t *buf,
                              size_t cap, pn_rng_fn rng, void *rng_ctx, void *work,
                              size_t work_len);
/* 3.1.5.8: not expired at now_filetime, for PNRP ID id, carrying nonce (NULL: not
 * checked), signed by key_data (the CPA's key).  PN_OK or PN_ERR_PNRP_EXT_PAYLOAD. */
int pn_pnrp_ext_payload_validate(const pn_pnrp_ext_payload *xp, const uint8_t *key_data,
                                 uint64_t now_filetime, const pn_pnrp_id *id, const uint8_t *nonce);

/* ---- the Route Entry Cache (3.2.1.1) ------------------------------------------------- */
enum { PN_PNRP_CE_LEAF = 1, PN_PNRP_CE_USED = 2 };

typedef struct pn_pnrp_cache_entry {
    pn_pnrp_id id;
    uint8_t addr[16]; /* the first address of the ROUTE_ENTRY (decision PE-3) */
    uint16_t port;
    uint8_t level;  /* 0 = widest; meaningful outside the leaf sets */
    uint8_t flags;  /* PN_PNRP_CE_*: USED marks a live slot (no byte of its own: 60-byte entries) */
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
#if PN_PNRP_ID_WORDS
    /* For each of the first PN_PNRP_LOCAL_MAX local IDs, the slot of the farthest leaf
     * below it (rim_down) and above it (rim_up), set with the leaf sets when the cache
     * holds at least a leaf set's worth: the leaf-range test then reads two entries
     * instead of the whole array.  Both sit in padding (64-bit hosts only). */
    uint8_t rim_down[PN_PNRP_LOCAL_MAX];
#endif
    /* The IDs the leaf sets and levels are measured from (the locally registered IDs;
     * a resolve-only node uses one random reference). */
    const pn_pnrp_id *local;
    size_t local_count;
    uint8_t no_leaves; /* 1: the IDs are only a level reference (resolve-only node) */
#if PN_PNRP_ID_WORDS
    uint8_t rim_up[PN_PNRP_LOCAL_MAX];
#endif
    /* 0 only while no level holds more than PN_PNRP_CACHE_LEVEL_CAP non-leaf entries
     * (set when levels or leaf sets are measured again), so that an addition skips the
     * level trim that would find nothing to do.  In padding. */
    uint8_t trim_due;
    uint32_t evicted, rejected;
} pn_pnrp_cache;

/* cap must be at least 11 and at most PN_PNRP_CACHE_MAX (PN_ERR_ARG otherwise). */
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
    PN_PNRP_EV_DONE = 5,       /* a resolve for several matches ended after >= 1 result */
    PN_PNRP_EV_SPLIT_PROBE = 6 /* a split test ended (pn_pnrp_node_split_probe) */
};

typedef struct pn_pnrp_event {
    int type;
    int handle;             /* from pn_pnrp_node_resolve / _register */
    void *user;             /* from pn_pnrp_node_resolve */
    unsigned hops;          /* TotalUsefulHops of the resolve */
    pn_pnrp_id id;          /* the matching PNRP ID (RESOLVED) */
    const pn_pnrp_cpa *cpa; /* RESOLVED: endpoints and payload; valid during the call */
    const pn_pnrp_ext_payload *ext_payload; /* RESOLVED: the validated extended payload
                                               or NULL; valid during the call */
    /* SPLIT_PROBE: id is the target, best_* the closest node the walk reached. */
    int best_valid;
    pn_pnrp_id best_id;
    pn_pnrp_endpoint best_ep;
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
    /* The cloud's scope (PN_PNRP_SCOPE_*, peernet/pnrp_cloud.h), 0 for any: route
     * entries and seeds whose address has another scope are dropped (1.6, PE-56). */
    uint8_t scope;
} pn_pnrp_node_config;

/* Caller memory besides the pn_pnrp_node struct. */
typedef struct pn_pnrp_node_memory {
    pn_pnrp_cache_entry *cache; /* 11 to PN_PNRP_CACHE_MAX entries */
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
    /* Defence (decisions PE-30 to PE-35): rate limits (per source: datagrams, admission
     * and signature work; all sources: signatures), per-source table quotas, answers
     * to requests no longer current, revokes the revoked node denies. */
    uint32_t drop_rate, drop_rate_work, drop_rate_crypto, drop_quota, drop_stale,
        drop_revoke_forged;
    uint32_t drop_chain; /* CPAs refused for their certificate chain (3.1.5.10) */
    uint32_t drop_xp;    /* CPAs refused for their extended payload (3.1.5.8) */
    uint32_t expired;    /* cache entries whose CPA expired, sent back to admission (PE-44) */
} pn_pnrp_counters;

struct pn_pnrp_node;
typedef struct pn_pnrp_node pn_pnrp_node;

/* Room for the largest EXTENDED_PAYLOAD (2.2.3.3: 4096 data bytes, a string type, the
 * header and the SIGNATURE). */
enum { PN_PNRP_XP_BUF = 74 + 4098 + PN_PNRP_SIGNATURE_LEN };

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

/* The scope of an IPv6 address as clouds see it (decision PE-56): PN_PNRP_SCOPE_LINK
 * for fe80::/10, PN_PNRP_SCOPE_SITE for fec0::/10 and fc00::/7, the scope nibble of a
 * multicast address, PN_PNRP_SCOPE_GLOBAL for everything else (::1 included). */
enum { PN_PNRP_SCOPE_GLOBAL = 1, PN_PNRP_SCOPE_SITE = 2, PN_PNRP_SCOPE_LINK = 3 };
int pn_pnrp_addr_scope(const uint8_t addr[16]);

/* A name to publish (3.2.4.1). */
typedef struct pn_pnrp_registration {
    const char *name; /* "0.classifier" or "<authority>.classifier" (UTF-8) */
    size_t name_len;
    const pn_pnrp_identity *identity; /* signs the CPAs; must outlive the registration */
    int has_prefix;                   /* else the first 64 bits of a local address */
    uint64_t prefix;
    uint8_t app_count;
    pn_pnrp_app_endpoint apps[PN_PNRP_LOCAL_APPS_MAX];
    /* Optional EXTENDED_PAYLOAD (2.2.3.3): xp_len bytes (1..4096) of caller memory that
     * must outlive the registration; xp_type PN_PNRP_XP_BINARY or _STRING (then
     * xp_string_type PN_PNRP_XP_UTF8/_UTF16 and the data ends with its NUL). */
    const uint8_t *xp_data;
    size_t xp_len;
    uint32_t xp_type;
    uint16_t xp_string_type;
} pn_pnrp_registration;
/* With an extended payload or a delegated identity (identity->chain set: the classifier
 * goes out with the chain, 3.2.5.6) the engine keeps a pointer to *r, so r, its name
 * and its payload must then stay valid while the name is registered. */

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
/* Start a synchronisation with a node found by other means (SSDP, 3.1.5.1); it is also
 * kept as a seed while there is room.  PN_ERR_ARG for a port up to 1024, a local
 * endpoint or an address of another scope than the cloud's. */
int pn_pnrp_node_solicit(pn_pnrp_node *n, uint64_t now, const pn_pnrp_endpoint *ep);
/* Split detection (3.2.6.2.1): resolve target (a local ID + 1) with criteria NONE and
 * reason SPLIT_DETECTION starting at `seed` (a route entry of PNRP ID zero); the end
 * comes as a PN_PNRP_EV_SPLIT_PROBE event.  Returns a handle or a negative code.
 * pn_pnrp_split (peernet/pnrp_split.h) drives this. */
int pn_pnrp_node_split_probe(pn_pnrp_node *n, uint64_t now, const pn_pnrp_id *target,
                             const pn_pnrp_endpoint *seed, void *user);
/* Walk for every registered name again now (3.2.4.1), e.g. to repair a split. */
void pn_pnrp_node_reannounce(pn_pnrp_node *n, uint64_t now);
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
    uint8_t revoke_check; /* PE-33: INQUIRE a cached entry that a relayed revoke names */
    uint8_t revalidate;   /* a cached entry whose CPA expired (PE-44) */
    uint32_t inquire_id;
    pn_pnrp_id id;
    pn_pnrp_endpoint ep;
    pn_pnrp_endpoint src;
    /* No nonce: admission INQUIREs carry none (decision PE-62). */
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
    /* The caller's registration, kept only when it has an extended payload or a
     * delegated identity (the chain goes out with the classifier of its name). */
    const struct pn_pnrp_registration *reg;
} pn_pnrp_local;

struct pn_pnrp_node {
    pn_pnrp_node_config cfg;
    pn_drbg drbg;
    uint8_t rpool[64];
    uint8_t rpool_left;
    uint8_t due_exact; /* 1: due_lo is the earliest pending deadline or conversation expiry */
    pn_pnrp_cache cache;
    uint8_t *out;
    size_t out_cap, out_head, out_len;
    pn_pnrp_reasm *reasm;
    uint64_t next_maintenance;
    pn_pnrp_id ref_id; /* level reference of a node without registrations */
    pn_pnrp_id local_ids[PN_PNRP_LOCAL_MAX];
    size_t n_local_ids;
    uint8_t seed_index;
    uint8_t fill_walks;
    uint32_t maint_count;
    uint64_t next_fill;
    /* Never later than any used pending entry's deadline or conversation's expiry, and
     * equal to the earliest of them while due_exact (UINT64_MAX: none), so that tick and
     * next_deadline, called after every datagram, skip those tables while nothing is
     * due.  On 64-bit hosts it takes the padding fill_walks left (decision PORT-8). */
    uint64_t due_lo;
    pn_pnrp_local locals[PN_PNRP_LOCAL_MAX];
    pn_pnrp_resolve resolves[PN_PNRP_RESOLVES_MAX];
    pn_pnrp_pending pending[PN_PNRP_PENDING_MAX];
    pn_pnrp_add adds[PN_PNRP_ADDS_MAX];
    pn_pnrp_conv_out conv_out[PN_PNRP_CONV_MAX];
    pn_pnrp_conv_in conv_in[PN_PNRP_CONV_IN];
    int next_handle;
    pn_pnrp_counters ctr;
    pn_pnrp_guard guard; /* per-source rate limits (pnrp_guard.c) */
#if PN_FEATURE_PNRP_REGISTER
    pn_pnrp_sig_memo sig_memo; /* the last zero-nonce CPA signed (decision PE-62) */
#endif
#if !PN_PNRP_STACK_WORK
    /* Scratch that would otherwise be on the stack (decision PORT-3): the RSA work area
     * of a CPA signature, then the AUTHORITY_BUFFER being sent (never both at once).  In
     * a node that neither signs nor answers, each member is an 8-byte placeholder (C has
     * no empty arrays). */
    union {
        uint64_t align_;
        uint8_t rsa[PN_FEATURE_PNRP_REGISTER ? PN_RSA_WORK_BYTES(1024) : 8];
        uint8_t ab[!PN_PNRP_SERVE ? 8
                   : PN_PNRP_REASSEMBLY_BYTES > 2 * PN_PNRP_FRAGMENT_LEN
                       ? PN_PNRP_REASSEMBLY_BYTES
                       : 2 * PN_PNRP_FRAGMENT_LEN];
    } work;
#if PN_PNRP_DELEGATION && PN_FEATURE_PNRP_REGISTER
    /* The signed EXTENDED_PAYLOAD and the CLASSIFIER of an answer (PORT-3, PORT-4): they
     * outlive the signature (work.rsa) and are encoded with the AUTHORITY (work.ab). */
    struct {
        uint64_t align_;
        uint8_t xp[PN_PNRP_XP_BUF];
        uint8_t units[2 * PN_PNRP_CLASSIFIER_MAX];
    } work_xp;
#endif
#endif
};

#endif
