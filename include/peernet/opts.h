/* peernet compile-time options.
 *
 * Every size an attacker can grow and every feature switch lives here, under #ifndef,
 * so an integrator overrides it on the command line (-DPN_PNRP_CACHE_MAX=64) or in a
 * user options file: define PN_USER_OPTS to 1 and put "peernet_user_opts.h" on the
 * include path; it is read before the defaults below.  Inconsistent settings fail the
 * build at the bottom of this file (as lwIP's opt.h / Mbed TLS's check_config.h do).
 */
#ifndef PEERNET_OPTS_H
#define PEERNET_OPTS_H

#if defined(PN_USER_OPTS) && PN_USER_OPTS
#include "peernet_user_opts.h"
#endif

/* ---- profiles ---------------------------------------------------------------------
 * PN_PROFILE selects a set of feature defaults; individual switches still override it.
 *   0 full stack (default), 1 resolve-only PNRP node, 2 full PNRP node,
 *   3 graphing without grouping security.
 *   profile              PNRP  register/serve  delegation+payloads  graphing  grouping
 *   0 full stack          yes       yes              yes              yes       yes
 *   1 resolve-only        yes       no               no               no        no
 *   2 full PNRP node      yes       yes              no               no        no
 *   3 graphing            no        no               no               yes       no
 * (delegation: PN_PNRP_DELEGATION, decision PORT-4.) */
#ifndef PN_PROFILE
#define PN_PROFILE 0
#endif

#ifndef PN_FEATURE_PNRP
#define PN_FEATURE_PNRP (PN_PROFILE != 3)
#endif
#ifndef PN_FEATURE_PNRP_REGISTER /* publishing names (needs RSA signing) */
#define PN_FEATURE_PNRP_REGISTER (PN_PROFILE == 0 || PN_PROFILE == 2)
#endif
#ifndef PN_FEATURE_GRAPHING
#define PN_FEATURE_GRAPHING (PN_PROFILE == 0 || PN_PROFILE == 3)
#endif
#ifndef PN_FEATURE_GROUPING_SECURITY
#define PN_FEATURE_GROUPING_SECURITY (PN_PROFILE == 0)
#endif

/* Build switch for fuzzing only: skip signature checks so a fuzzer reaches the logic
 * behind them.  Never enable in a product build. */
#ifndef PN_FUZZING_SKIP_SIGNATURES
#define PN_FUZZING_SKIP_SIGNATURES 0
#endif

/* ---- C environment ----------------------------------------------------------------- */
/* 1 when the toolchain has <string.h>; 0 for a freestanding build (the library then
 * declares memcpy/memmove/memset/memcmp itself and the integrator links them). */
#ifndef PN_HAVE_STRING_H
#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#define PN_HAVE_STRING_H 1
#else
#define PN_HAVE_STRING_H 0
#endif
#endif

/* ---- wire -------------------------------------------------------------------------- */
#ifndef PN_UDP_MAX /* largest UDP payload peernet sends or accepts */
#define PN_UDP_MAX 1500
#endif
/* 1: the PNRP codecs' speed paths: the decoders first try a fast path for the usual
 * shape of each message (decision PW-28; same results, about twice as fast), and the
 * encoders write the Encoded CPA inline and endpoint and address arrays in straight-line
 * code (PW-27); a few KB of host code.  0 keeps only the field-by-field decoders and the
 * compact loops.  Default: 0 when the compiler optimises for size. */
#ifndef PN_PNRP_FAST_PATHS
#if defined(__OPTIMIZE_SIZE__)
#define PN_PNRP_FAST_PATHS 0
#else
#define PN_PNRP_FAST_PATHS 1
#endif
#endif

/* ---- crypto ------------------------------------------------------------------------ */
/* 1 selects compact, rolled loops in the hash functions (small flash, slower); 0 the
 * unrolled rounds (fast).  Default: compact when the compiler optimises for size. */
#ifndef PN_CRYPTO_SMALL
#if defined(__OPTIMIZE_SIZE__)
#define PN_CRYPTO_SMALL 1
#else
#define PN_CRYPTO_SMALL 0
#endif
#endif
/* 1: MD5 can be chosen at run time (pn_hash_init, HMAC, PKCS#1 DigestInfo); graphing
 * and grouping need it.  0 drops it from the run-time choice, so a PNRP-only node does
 * not link MD5; the pn_md5_* calls stay available (decision PORT-2). */
#ifndef PN_CRYPTO_MD5
#define PN_CRYPTO_MD5 (PN_FEATURE_GRAPHING || PN_FEATURE_GROUPING_SECURITY)
#endif
/* Generate requests an HMAC-DRBG serves before it demands a reseed (SP 800-90A
 * 10.1 allows up to 2^48; a smaller default bounds what one seed may produce). */
#ifndef PN_DRBG_RESEED_INTERVAL
#define PN_DRBG_RESEED_INTERVAL 16777216u
#endif
#ifndef PN_RSA_MAX_BITS /* largest RSA modulus accepted or generated */
#define PN_RSA_MAX_BITS 4096
#endif
/* Bignum limb width: 1 for 64-bit limbs with 128-bit products (needs the compiler's
 * unsigned __int128), 0 for 32-bit limbs with 64-bit products (any C99 compiler). */
#ifndef PN_BIGINT_LIMB64
#if defined(__SIZEOF_INT128__)
#define PN_BIGINT_LIMB64 1
#else
#define PN_BIGINT_LIMB64 0
#endif
#endif
/* PNRP ID arithmetic (distances on the circle, the cache's scans) on 64-bit words: 1
 * where those are native (faster, a large simulated cloud spends much of its time
 * there), 0 byte by byte (smaller code for 32-bit microcontrollers). Same results. */
#ifndef PN_PNRP_ID_WORDS
#define PN_PNRP_ID_WORDS PN_BIGINT_LIMB64
#endif
#ifndef PN_RSA_STACK_WORK /* 1: RSA calls without a work area exist (their scratch, about          \
                             3 * PN_RSA_MAX_BITS bytes, lives on the stack); 0: only the           \
                             _work forms, for targets with small stacks */
#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#define PN_RSA_STACK_WORK 1
#else
#define PN_RSA_STACK_WORK 0
#endif
#endif
#ifndef PN_X509_MAX_CHAIN /* certificates in one chain */
#define PN_X509_MAX_CHAIN 4
#endif
#ifndef PN_X509_MAX_CERT_BYTES /* DER bytes of one certificate */
#define PN_X509_MAX_CERT_BYTES 4096
#endif
#ifndef PN_DER_MAX_DEPTH /* nesting the iterative DER reader follows */
#define PN_DER_MAX_DEPTH 16
#endif

/* ---- PNRP -------------------------------------------------------------------------- */
#ifndef PN_PNRP_CACHE_MAX /* largest Route Entry Cache a node accepts (entries per cloud) */
#define PN_PNRP_CACHE_MAX 256
#endif
#ifndef PN_PNRP_REASSEMBLY_SLOTS /* concurrent AUTHORITY reassemblies */
#define PN_PNRP_REASSEMBLY_SLOTS 4
#endif
#ifndef PN_PNRP_REASSEMBLY_BYTES /* largest reassembled AUTHORITY_BUFFER */
#define PN_PNRP_REASSEMBLY_BYTES 8192
#endif
#ifndef PN_PNRP_REASSEMBLY_TIMEOUT_MS /* a reassembly left incomplete this long is dropped */
#define PN_PNRP_REASSEMBLY_TIMEOUT_MS 5000
#endif
#ifndef PN_PNRP_ROUTE_ADDRS_MAX /* addresses kept per ROUTE_ENTRY (MS-PNRP 2.2.3.4: 1..20) */
#define PN_PNRP_ROUTE_ADDRS_MAX 20
#endif
#ifndef PN_PNRP_ID_ARRAY_MAX /* PNRP IDs per ADVERTISE/REQUEST (spec allows 0x7FFF) */
#define PN_PNRP_ID_ARRAY_MAX 16
#endif
#ifndef PN_PNRP_PATH_MAX /* Flagged Path / Already Flooded List entries (2.2.2.4: 22) */
#define PN_PNRP_PATH_MAX 22
#endif
#ifndef PN_PNRP_APP_ENDPOINTS_MAX /* IPV6_APP_ENDPOINTs per CPA PAYLOAD (2.2.3.1.2: 10) */
#define PN_PNRP_APP_ENDPOINTS_MAX 10
#endif

/* ---- PNRP engine (src/pnrp) ------------------------------------------------------- */
/* PE-1: SIGNATURE Signature Data byte order.  1: little-endian, as CryptoAPI's
 * CryptSignHash writes it (the PKCS#1 block reversed); 0: PKCS#1 big-endian. */
#ifndef PN_PNRP_SIG_WIRE_LE
#define PN_PNRP_SIG_WIRE_LE 1
#endif
#ifndef PN_PNRP_CLOUDS_MAX /* clouds one pn_pnrp_multi serves (global, site, link-local) */
#define PN_PNRP_CLOUDS_MAX 4
#endif
#ifndef PN_PNRP_CHAIN_MAX /* certificates in a CPA's Certificate Chain (MS-PNRP 2.2.3.5:           \
                             at most 25; decision PE-50) */
#define PN_PNRP_CHAIN_MAX 4
#endif
/* 1: the node answers SOLICIT, REQUEST, LOOKUP and INQUIRE (it publishes names or
 * serves as a seed); 0: a resolve-only client that only asks (decision PORT-1).  The
 * tables below default smaller for such a client (one resolve at a time). */
#ifndef PN_PNRP_SERVE
#define PN_PNRP_SERVE PN_FEATURE_PNRP_REGISTER
#endif
/* 1: the scratch of a CPA signature (the RSA-1024 work area, 4352 bytes) and of an
 * AUTHORITY_BUFFER being sent (2376 bytes) lives on the stack of the call that needs
 * it; 0: in the node struct, so that no stack frame passes 3 KiB (decision PORT-3).
 * Default: stack for hosted builds, node struct for freestanding ones. */
#ifndef PN_PNRP_STACK_WORK
#if defined(__STDC_HOSTED__) && __STDC_HOSTED__
#define PN_PNRP_STACK_WORK 1
#else
#define PN_PNRP_STACK_WORK 0
#endif
#endif
/* 1: certificate-chain delegation and extended payloads (MS-PNRP 3.1.5.8, 3.1.5.10,
 * 3.2.5.6, 3.2.5.8): the node validates a CPA whose authority a certificate chain
 * delegates and an EXTENDED_PAYLOAD that comes with it, and publishes delegated names
 * and payloads.  0: none of that code is linked (X.509, PKCS#7, DER); the node asks for
 * the CPA only, refuses a CPA with a delegated authority (counted as drop_chain: the
 * resolve ends not found), ignores a chain or payload it did not ask for, and refuses
 * to register a delegated identity or a payload (decision PORT-4).  Default: on in the
 * full stack, off in the PNRP node profiles (the footprint targets of issue 8). */
#ifndef PN_PNRP_DELEGATION
#define PN_PNRP_DELEGATION (PN_PROFILE == 0)
#endif
#ifndef PN_PNRP_LOCAL_MAX /* locally registered PNRP IDs per node */
#define PN_PNRP_LOCAL_MAX (PN_PNRP_SERVE ? 4 : 1)
#endif
#ifndef PN_PNRP_LOCAL_APPS_MAX /* IPV6_APP_ENDPOINTs kept per registration (payload) */
#define PN_PNRP_LOCAL_APPS_MAX 2
#endif
#ifndef PN_PNRP_PENDING_MAX /* Pending List entries (sent messages awaiting an answer) */
#define PN_PNRP_PENDING_MAX (PN_PNRP_SERVE ? 16 : 5)
#endif
#ifndef PN_PNRP_RESOLVES_MAX /* Outstanding Resolves Table entries */
#define PN_PNRP_RESOLVES_MAX (PN_PNRP_SERVE ? 2 : 1)
#endif
#ifndef PN_PNRP_ADDS_MAX /* Pending Route Entry Add List entries */
#define PN_PNRP_ADDS_MAX (PN_PNRP_SERVE ? 6 : 3)
#endif
#ifndef PN_PNRP_CONV_MAX /* synchronisation conversations, each side */
#define PN_PNRP_CONV_MAX (PN_PNRP_SERVE ? 2 : 1)
#endif
#ifndef PN_PNRP_CONV_IN /* conversations a node answers at once (3.2.1) */
#define PN_PNRP_CONV_IN (PN_PNRP_SERVE ? 8 : 1)
#endif
#ifndef PN_PNRP_RESULTS_MAX /* distinct matches one resolve remembers (resolve_many) */
#define PN_PNRP_RESULTS_MAX 3
#endif
#ifndef PN_PNRP_SEEDS_MAX /* configured seed nodes */
#define PN_PNRP_SEEDS_MAX 4
#endif
#ifndef PN_PNRP_NEXTHOP_MAX /* NextHopStack depth of one resolve */
#define PN_PNRP_NEXTHOP_MAX 8
#endif
#ifndef PN_PNRP_BESTMATCH_MAX /* BestMatchStack depth of one resolve */
#define PN_PNRP_BESTMATCH_MAX 4
#endif
#ifndef PN_PNRP_CONV_REQUEST_IDS /* PNRP IDs asked for in one REQUEST */
#define PN_PNRP_CONV_REQUEST_IDS (PN_PNRP_SERVE ? 8 : 4)
#endif
#ifndef PN_PNRP_FLOODED_KEEP /* Already Flooded List entries kept for a retransmission */
#define PN_PNRP_FLOODED_KEEP (PN_PNRP_SERVE ? 4 : 2)
#endif
#ifndef PN_PNRP_CACHE_LEVEL_CAP /* entries per cache level outside the leaf sets */
#define PN_PNRP_CACHE_LEVEL_CAP 10
#endif
#ifndef PN_PNRP_DEFAULT_CACHE /* cache entries the defaults (and the simulator) use */
/* 77: 60-byte entries carrying their CPA expiry (decision PE-44) next to the defence,
 * delegation and split state, within the 16 KiB node budget */
#define PN_PNRP_DEFAULT_CACHE 77
#endif
#ifndef PN_PNRP_DEFAULT_OUT /* output queue bytes the defaults use */
#define PN_PNRP_DEFAULT_OUT 2240
#endif
/* Defence (src/pnrp/pnrp_guard.c, decisions PE-30 to PE-35): per-source token buckets
 * in a fixed hashed table, and per-source quotas on the engine's tables. */
#ifndef PN_PNRP_GUARD_SLOTS /* sources tracked by the rate limiter (a multiple of _WAYS); a        \
                               resolve-only client talks to a few nodes at a time (PORT-5) */
#define PN_PNRP_GUARD_SLOTS (PN_PNRP_SERVE ? 16 : 4)
#endif
#ifndef PN_PNRP_GUARD_WAYS /* slots per hash set; the least recently seen one is replaced */
#define PN_PNRP_GUARD_WAYS 4
#endif
#ifndef PN_PNRP_RATE_MSG_PER_S /* datagrams per second accepted from one source address */
#define PN_PNRP_RATE_MSG_PER_S 40
#endif
#ifndef PN_PNRP_RATE_MSG_BURST /* ... and in a burst */
#define PN_PNRP_RATE_MSG_BURST 80
#endif
#ifndef PN_PNRP_RATE_WORK_PER_S /* admissions and signature operations per source per s */
#define PN_PNRP_RATE_WORK_PER_S 5
#endif
#ifndef PN_PNRP_RATE_WORK_BURST /* ... and in a burst */
#define PN_PNRP_RATE_WORK_BURST 24
#endif
#ifndef PN_PNRP_RATE_CRYPTO_PER_S /* signature operations per second, all sources together */
#define PN_PNRP_RATE_CRYPTO_PER_S 100
#endif
#ifndef PN_PNRP_RATE_CRYPTO_BURST /* ... and in a burst */
#define PN_PNRP_RATE_CRYPTO_BURST 200
#endif
#ifndef PN_PNRP_ADDS_PER_SOURCE /* Pending Route Entry Add List entries one source may hold */
#define PN_PNRP_ADDS_PER_SOURCE 2
#endif
#ifndef PN_PNRP_CONV_IN_PER_SOURCE /* answered conversations one source address may hold */
#define PN_PNRP_CONV_IN_PER_SOURCE 1
#endif
#ifndef PN_PNRP_REASM_PER_SOURCE /* AUTHORITY reassemblies one source address may hold */
#define PN_PNRP_REASM_PER_SOURCE 1
#endif

/* ---- graphing ---------------------------------------------------------------------- */
#ifndef PN_GRAPH_RECORD_MAX_BYTES /* largest record accepted */
#define PN_GRAPH_RECORD_MAX_BYTES 65536
#endif
#ifndef PN_GRAPH_MAX_CONNS /* connection slots of one graph node (neighbour and direct) */
#define PN_GRAPH_MAX_CONNS 12
#endif
#ifndef PN_GRAPH_MAX_NEIGHBOURS /* MS-PPGRH: maximum neighbours is 7 */
#define PN_GRAPH_MAX_NEIGHBOURS 7
#endif
#ifndef PN_GRAPH_CONN_QUEUE /* FLOOD queue entries per connection; more spill to marks (GE-43) */
#define PN_GRAPH_CONN_QUEUE 256
#endif
#if PN_GRAPH_CONN_QUEUE < 1 || PN_GRAPH_CONN_QUEUE > 0x1000000
#error "PN_GRAPH_CONN_QUEUE must be between 1 and 2^24"
#endif
#ifndef PN_GRAPH_MAX_DEFERRED /* Deferred Record List entries of one node (MS-PPGRH 3.1.1) */
#define PN_GRAPH_MAX_DEFERRED 8
#endif
#if PN_GRAPH_MAX_DEFERRED < 1 || PN_GRAPH_MAX_DEFERRED > 1024
#error "PN_GRAPH_MAX_DEFERRED must be between 1 and 1024"
#endif
#ifndef PN_GRAPH_FRAME_MAX /* largest frame payload accepted or sent (MS-PPGRH 2.2: 16,379) */
#define PN_GRAPH_FRAME_MAX 16379
#endif
#ifndef PN_GRAPH_MSG_MAX_BYTES /* largest reassembled message: a FLOOD of the largest record */
#define PN_GRAPH_MSG_MAX_BYTES (PN_GRAPH_RECORD_MAX_BYTES + 12)
#endif
#ifndef PN_GRAPH_MSG_TIMEOUT_MS /* a connected peer's frame or message must end this soon (GE-47)  \
                                 */
#define PN_GRAPH_MSG_TIMEOUT_MS 60000u
#endif
#if PN_GRAPH_MSG_TIMEOUT_MS < 1000 || PN_GRAPH_MSG_TIMEOUT_MS > 3600000
#error "PN_GRAPH_MSG_TIMEOUT_MS must be between 1 s and 1 h"
#endif
#ifndef PN_GRAPH_SOLICIT_BURST   /* SOLICIT_NEW/_TIME (whole-store answers) per connection (GE-48) \
                                  */
#define PN_GRAPH_SOLICIT_BURST 3 /* a joining node's sync sends 3 */
#endif
#ifndef PN_GRAPH_SOLICIT_INTERVAL_MS /* ... and one more each this often */
#define PN_GRAPH_SOLICIT_INTERVAL_MS 60000u
#endif
#if PN_GRAPH_SOLICIT_BURST < 3 || PN_GRAPH_SOLICIT_BURST > 255 || PN_GRAPH_SOLICIT_INTERVAL_MS < 1
#error "PN_GRAPH_SOLICIT_BURST must hold a sync's 3 SOLICITs and fit a byte"
#endif
#ifndef PN_GRAPH_CONNS_PER_ADDR /* connection slots one IPv4 address or IPv6 /64 may hold (GE-70)  \
                                 */
#define PN_GRAPH_CONNS_PER_ADDR 4
#endif
#if PN_GRAPH_CONNS_PER_ADDR < 1 || PN_GRAPH_CONNS_PER_ADDR > PN_GRAPH_MAX_CONNS
#error "PN_GRAPH_CONNS_PER_ADDR must be between 1 and PN_GRAPH_MAX_CONNS"
#endif
#ifndef PN_GRAPH_CONN_PREFIX6 /* ... where IPv6 addresses sharing this many leading bits count as  \
                                 one (GE-70); IPv4 (mapped) addresses count whole */
#define PN_GRAPH_CONN_PREFIX6 128
#endif
#if PN_GRAPH_CONN_PREFIX6 < 32 || PN_GRAPH_CONN_PREFIX6 > 128 || PN_GRAPH_CONN_PREFIX6 % 8 != 0
#error "PN_GRAPH_CONN_PREFIX6 must be a multiple of 8 between 32 and 128"
#endif
#ifndef PN_GRAPH_PUBLISHER_PERCENT /* share of max_records one publisher's records may take        \
                                      (GE-72) */
#define PN_GRAPH_PUBLISHER_PERCENT 50
#endif
#if PN_GRAPH_PUBLISHER_PERCENT < 1 || PN_GRAPH_PUBLISHER_PERCENT > 100
#error "PN_GRAPH_PUBLISHER_PERCENT must be between 1 and 100"
#endif
#ifndef PN_GRAPH_HASH_BURST /* SOLICIT_HASH + REQUEST answered per connection (GE-74): 2 a round   \
                             */
#define PN_GRAPH_HASH_BURST 64 /* ... times PN_GRAPH_HASH_ROUNDS (32), one whole hash sync */
#endif
#ifndef PN_GRAPH_HASH_INTERVAL_MS /* ... and one more each this often */
#define PN_GRAPH_HASH_INTERVAL_MS 1000u
#endif
#if PN_GRAPH_HASH_BURST < 64 || PN_GRAPH_HASH_BURST > 255 || PN_GRAPH_HASH_INTERVAL_MS < 1
#error "PN_GRAPH_HASH_BURST must hold one hash sync (2 x 32 rounds) and fit a byte"
#endif
#ifndef PN_GRAPH_MAX_ADDRESSES /* PEER_IN6_ADDRESS entries in CONNECT/WELCOME/REFUSE/DISCONNECT */
#define PN_GRAPH_MAX_ADDRESSES 32
#endif
#ifndef PN_GRAPH_MAX_RECORD_TYPES /* Record Types in one SOLICIT_* (inclusion + exclusion) */
#define PN_GRAPH_MAX_RECORD_TYPES 64
#endif
#ifndef PN_GRAPH_MAX_HASH_ENTRIES /* HASH_INFO_ENTRY / HASH_ENTRY_BOUNDARY per message */
#define PN_GRAPH_MAX_HASH_ENTRIES 1024
#endif
#ifndef PN_GRAPH_MAX_ABSTRACTS /* RECORD_ABSTRACT entries per ADVERTISE or REQUEST */
#define PN_GRAPH_MAX_ABSTRACTS 4096
#endif
#ifndef PN_GRAPH_MAX_ACKS /* Record ACK entries per ACK */
#define PN_GRAPH_MAX_ACKS 1024
#endif
#ifndef PN_GRAPH_MAX_RECORD_ADDRESSES /* PEER_ADDRESS entries in a Contact or Presence record */
#define PN_GRAPH_MAX_RECORD_ADDRESSES 32
#endif
#ifndef PN_GRAPH_MAX_ATTRIBUTES /* <attribute> elements in one record's attribute XML */
#define PN_GRAPH_MAX_ATTRIBUTES 64
#endif
#ifndef PN_GRAPH_PRESENCE_ATTR_MAX_CHARS /* this node's presence Attributes, NUL included */
#define PN_GRAPH_PRESENCE_ATTR_MAX_CHARS 256
#endif
/* 1: decoders ignore reserved fields and must-be-zero bits that MS-PPGRH says are "ignored
 * on receipt" (a lenient receiver); 0 (default): they reject non-zero values, so a
 * decoded message re-encodes to the same bytes.  FLOOD Reserved2 is always checked
 * (MS-PPGRH 3.1.5.2.10 makes it a receive check). */
#ifndef PN_GRAPH_WIRE_IGNORE_RESERVED
#define PN_GRAPH_WIRE_IGNORE_RESERVED 0
#endif

/* ---- simulator --------------------------------------------------------------------- */
#ifndef PN_SIM_GROUPS_MAX /* multicast groups one simulation knows (pn_sim_udp_join) */
#define PN_SIM_GROUPS_MAX 8
#endif
#ifndef PN_SIM_MAX_PAYLOAD /* largest datagram or segment the simulator carries */
#define PN_SIM_MAX_PAYLOAD 2048
#endif

/* ---- POSIX platform (src/platform/posix) ----------------------------------------- */
#ifndef PN_POSIX_MAX_SOCKETS /* sockets one pn_posix context holds open at once */
#define PN_POSIX_MAX_SOCKETS 64
#endif

/* ---- consistency checks ------------------------------------------------------------ */
#if PN_RSA_MAX_BITS < 1024 || PN_RSA_MAX_BITS > 16384 || (PN_RSA_MAX_BITS % 64) != 0
#error "PN_RSA_MAX_BITS must be a multiple of 64 between 1024 (PNRP CPAs) and 16384"
#endif
#if PN_BIGINT_LIMB64 && !defined(__SIZEOF_INT128__)
#error "PN_BIGINT_LIMB64 needs a compiler with unsigned __int128"
#endif
#if PN_UDP_MAX < 1280
#error "PN_UDP_MAX must hold an IPv6 minimum-MTU datagram (1280)"
#endif
#if PN_PNRP_CACHE_MAX < 11
#error "PN_PNRP_CACHE_MAX must hold at least the leaf set (5 each side) and the local ID"
#endif
#if PN_PNRP_CACHE_MAX > 65535
#error "PN_PNRP_CACHE_MAX must be at most 65535 (the cache counts its levels in 16 bits)"
#endif
#if PN_PNRP_DEFAULT_CACHE < 11 || PN_PNRP_DEFAULT_CACHE > PN_PNRP_CACHE_MAX
#error "PN_PNRP_DEFAULT_CACHE must be between 11 and PN_PNRP_CACHE_MAX"
#endif
#if PN_PNRP_REASSEMBLY_SLOTS < 1 || PN_PNRP_REASSEMBLY_BYTES < 1188
#error "PNRP AUTHORITY reassembly needs at least one slot of one 1188-byte fragment"
#endif
#if PN_PNRP_REASSEMBLY_BYTES > 37348
#error "PN_PNRP_REASSEMBLY_BYTES above the largest AUTHORITY_BUFFER (37348) is wasted"
#endif
#if PN_PNRP_REASSEMBLY_TIMEOUT_MS < 1
#error "PN_PNRP_REASSEMBLY_TIMEOUT_MS must be positive"
#endif
#if PN_PNRP_ROUTE_ADDRS_MAX < 1 || PN_PNRP_ROUTE_ADDRS_MAX > 20
#error "PN_PNRP_ROUTE_ADDRS_MAX must be 1..20 (MS-PNRP 2.2.3.4)"
#endif
#if PN_PNRP_ID_ARRAY_MAX < 5 || PN_PNRP_ID_ARRAY_MAX > 0x7FFF
#error "PN_PNRP_ID_ARRAY_MAX must hold the five IDs of an ADVERTISE and at most 0x7FFF"
#endif
#if PN_PNRP_PATH_MAX < 2 || PN_PNRP_PATH_MAX > 22
#error "PN_PNRP_PATH_MAX must be 2..22 (MS-PNRP 2.2.2.4, 2.2.2.8)"
#endif
#if PN_PNRP_APP_ENDPOINTS_MAX < 1 || PN_PNRP_APP_ENDPOINTS_MAX > 10
#error "PN_PNRP_APP_ENDPOINTS_MAX must be 1..10 (MS-PNRP 2.2.3.1.2)"
#endif
#if PN_PNRP_GUARD_WAYS < 1 || PN_PNRP_GUARD_SLOTS < PN_PNRP_GUARD_WAYS ||                          \
    (PN_PNRP_GUARD_SLOTS % PN_PNRP_GUARD_WAYS) != 0 || PN_PNRP_GUARD_SLOTS > 4096
#error "PN_PNRP_GUARD_SLOTS must be a multiple of PN_PNRP_GUARD_WAYS, at most 4096"
#endif
#if PN_PNRP_RATE_MSG_PER_S < 1 || PN_PNRP_RATE_MSG_PER_S > 60000 || PN_PNRP_RATE_WORK_PER_S < 1 || \
    PN_PNRP_RATE_WORK_PER_S > 60000 || PN_PNRP_RATE_CRYPTO_PER_S < 1 ||                            \
    PN_PNRP_RATE_CRYPTO_PER_S > 60000
#error "PNRP rates must be 1..60000 per second (token arithmetic is 32-bit)"
#endif
#if PN_PNRP_RATE_MSG_BURST < 1 || PN_PNRP_RATE_MSG_BURST > 1000 || PN_PNRP_RATE_WORK_BURST < 1 ||  \
    PN_PNRP_RATE_WORK_BURST > 1000 || PN_PNRP_RATE_CRYPTO_BURST < 1 ||                             \
    PN_PNRP_RATE_CRYPTO_BURST > 1000
#error "PNRP bursts must be 1..1000 (16-bit buckets of 1/64 tokens)"
#endif
#if PN_PNRP_ADDS_PER_SOURCE < 1 || (PN_PNRP_SERVE && PN_PNRP_ADDS_PER_SOURCE >= PN_PNRP_ADDS_MAX)
#error "PN_PNRP_ADDS_PER_SOURCE must be at least 1 and (in a serving node) below PN_PNRP_ADDS_MAX"
#endif
#if PN_PNRP_CONV_IN_PER_SOURCE < 1 ||                                                              \
    (PN_PNRP_SERVE && PN_PNRP_CONV_IN_PER_SOURCE >= PN_PNRP_CONV_IN)
#error "PN_PNRP_CONV_IN_PER_SOURCE must be at least 1 and (in a serving node) below PN_PNRP_CONV_IN"
#endif
#if PN_PNRP_REASM_PER_SOURCE < 1 || PN_PNRP_REASM_PER_SOURCE > PN_PNRP_REASSEMBLY_SLOTS
#error "PN_PNRP_REASM_PER_SOURCE must be 1..PN_PNRP_REASSEMBLY_SLOTS"
#endif
#if PN_DRBG_RESEED_INTERVAL < 1 || PN_DRBG_RESEED_INTERVAL > 281474976710656
#error "PN_DRBG_RESEED_INTERVAL must be between 1 and 2^48 (SP 800-90A 10.1)"
#endif
#if PN_X509_MAX_CHAIN < 1 || PN_X509_MAX_CERT_BYTES < 256
#error "X.509 limits too small to hold one certificate"
#endif
#if PN_DER_MAX_DEPTH < 8
#error "PN_DER_MAX_DEPTH must be at least 8 to read an X.509 certificate"
#endif
#if PN_GRAPH_MAX_CONNS > 16 || PN_GRAPH_MAX_CONNS < PN_GRAPH_MAX_NEIGHBOURS
#error "PN_GRAPH_MAX_CONNS must hold the neighbours and fit the 16-bit queue masks"
#endif
#if PN_GRAPH_MAX_NEIGHBOURS < 2
#error "MS-PPGRH needs at least 2 neighbours"
#endif
#if PN_GRAPH_FRAME_MAX < 64 || PN_GRAPH_FRAME_MAX > 32768
#error "PN_GRAPH_FRAME_MAX must be between 64 and 32768 (MS-PPGRH 3.1.1 Max Frame Size)"
#endif
#if PN_GRAPH_RECORD_MAX_BYTES < 8192 || PN_GRAPH_RECORD_MAX_BYTES > 62914560 + 8192
#error "PN_GRAPH_RECORD_MAX_BYTES must hold a Graph Info record (8192) and stay near 60 MB"
#endif
#if PN_GRAPH_MSG_MAX_BYTES < PN_GRAPH_RECORD_MAX_BYTES + 12 || PN_GRAPH_MSG_MAX_BYTES > 0x7fffffff
#error "PN_GRAPH_MSG_MAX_BYTES must hold a FLOOD of the largest record and fit an int"
#endif
#if PN_GRAPH_MAX_ADDRESSES < 10 || PN_GRAPH_MAX_ADDRESSES > 255
#error "PN_GRAPH_MAX_ADDRESSES must hold the default 10 referrals and fit a one-byte count"
#endif
#if PN_GRAPH_MAX_RECORD_TYPES < 2 || PN_GRAPH_MAX_RECORD_TYPES > 510
#error "PN_GRAPH_MAX_RECORD_TYPES must be between 2 (Graph Info + Presence) and 510"
#endif
#if PN_GRAPH_MAX_HASH_ENTRIES < 1 || PN_GRAPH_MAX_ABSTRACTS < 1 || PN_GRAPH_MAX_ACKS < 1 ||        \
    PN_GRAPH_MAX_ACKS > 65535 || PN_GRAPH_MAX_RECORD_ADDRESSES < 1 || PN_GRAPH_MAX_ATTRIBUTES < 1
#error "graph array maxima must be at least 1 (and ACKs fit a two-byte count)"
#endif
#if PN_GRAPH_PRESENCE_ATTR_MAX_CHARS < 2 || PN_GRAPH_PRESENCE_ATTR_MAX_CHARS > 1024
#error                                                                                             \
    "PN_GRAPH_PRESENCE_ATTR_MAX_CHARS must be 2..1024 (kept in every graph node, built on the stack)"
#endif
#if PN_PNRP_CLOUDS_MAX < 1 || PN_PNRP_CLOUDS_MAX > 64
#error "PN_PNRP_CLOUDS_MAX must be 1..64"
#endif
#if PN_PNRP_CHAIN_MAX < 1 || PN_PNRP_CHAIN_MAX > 25
#error "PN_PNRP_CHAIN_MAX must be 1..25 (MS-PNRP 2.2.3.5)"
#endif
#if PN_PNRP_CHAIN_MAX > PN_X509_MAX_CHAIN
#error "PN_PNRP_CHAIN_MAX above PN_X509_MAX_CHAIN: the PKCS#7 parser would refuse such chains"
#endif
#if PN_PNRP_DELEGATION && !PN_FEATURE_PNRP
#error "PN_PNRP_DELEGATION needs PN_FEATURE_PNRP"
#endif
#if PN_FEATURE_PNRP_REGISTER && !PN_FEATURE_PNRP
#error "PN_FEATURE_PNRP_REGISTER needs PN_FEATURE_PNRP"
#endif
#if PN_FEATURE_PNRP_REGISTER && !PN_PNRP_SERVE
#error "PN_FEATURE_PNRP_REGISTER needs PN_PNRP_SERVE (a published name must be answered for)"
#endif
#if PN_FEATURE_GROUPING_SECURITY && !PN_FEATURE_GRAPHING
#error "PN_FEATURE_GROUPING_SECURITY needs PN_FEATURE_GRAPHING"
#endif
#if PN_POSIX_MAX_SOCKETS < 1 || PN_POSIX_MAX_SOCKETS > 4096
#error "PN_POSIX_MAX_SOCKETS must be between 1 and 4096 (the table lives in the context)"
#endif
#if PN_SIM_GROUPS_MAX < 1 || PN_SIM_GROUPS_MAX > 255
#error "PN_SIM_GROUPS_MAX must be between 1 and 255 (a socket keeps its group in one byte)"
#endif
#if PN_SIM_MAX_PAYLOAD < PN_UDP_MAX
#error "PN_SIM_MAX_PAYLOAD must carry a full PN_UDP_MAX datagram"
#endif

#if PN_PNRP_LOCAL_MAX < 1 || PN_PNRP_CONV_IN < 1 || PN_PNRP_PENDING_MAX < 4 ||                     \
    PN_PNRP_RESOLVES_MAX < 1 || PN_PNRP_ADDS_MAX < 1 || PN_PNRP_CONV_MAX < 1 ||                    \
    PN_PNRP_NEXTHOP_MAX < 2 || PN_PNRP_BESTMATCH_MAX < 1 || PN_PNRP_CONV_REQUEST_IDS < 1 ||        \
    PN_PNRP_CONV_REQUEST_IDS > PN_PNRP_ID_ARRAY_MAX || PN_PNRP_LOCAL_APPS_MAX < 1 ||               \
    PN_PNRP_LOCAL_APPS_MAX > PN_PNRP_APP_ENDPOINTS_MAX || PN_PNRP_FLOODED_KEEP < 2 ||              \
    PN_PNRP_FLOODED_KEEP > PN_PNRP_PATH_MAX
#error "PNRP engine table sizes out of range"
#endif

#endif
