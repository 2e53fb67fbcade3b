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
 *   3 graphing without grouping security. */
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
#ifndef PN_PNRP_CACHE_MAX /* route entries per cloud */
#define PN_PNRP_CACHE_MAX 256
#endif
#ifndef PN_PNRP_REASSEMBLY_SLOTS /* concurrent AUTHORITY reassemblies */
#define PN_PNRP_REASSEMBLY_SLOTS 4
#endif
#ifndef PN_PNRP_REASSEMBLY_BYTES /* largest reassembled AUTHORITY_BUFFER */
#define PN_PNRP_REASSEMBLY_BYTES 8192
#endif

/* ---- graphing ---------------------------------------------------------------------- */
#ifndef PN_GRAPH_RECORD_MAX_BYTES /* largest record accepted */
#define PN_GRAPH_RECORD_MAX_BYTES 65536
#endif
#ifndef PN_GRAPH_MAX_NEIGHBOURS /* MS-PPGRH: maximum neighbours is 7 */
#define PN_GRAPH_MAX_NEIGHBOURS 7
#endif

/* ---- simulator --------------------------------------------------------------------- */
#ifndef PN_SIM_MAX_PAYLOAD /* largest datagram or segment the simulator carries */
#define PN_SIM_MAX_PAYLOAD 2048
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
#if PN_PNRP_REASSEMBLY_SLOTS < 1 || PN_PNRP_REASSEMBLY_BYTES < 1188
#error "PNRP AUTHORITY reassembly needs at least one slot of one 1188-byte fragment"
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
#if PN_GRAPH_MAX_NEIGHBOURS < 2
#error "MS-PPGRH needs at least 2 neighbours"
#endif
#if PN_FEATURE_PNRP_REGISTER && !PN_FEATURE_PNRP
#error "PN_FEATURE_PNRP_REGISTER needs PN_FEATURE_PNRP"
#endif
#if PN_FEATURE_GROUPING_SECURITY && !PN_FEATURE_GRAPHING
#error "PN_FEATURE_GROUPING_SECURITY needs PN_FEATURE_GRAPHING"
#endif
#if PN_SIM_MAX_PAYLOAD < PN_UDP_MAX
#error "PN_SIM_MAX_PAYLOAD must carry a full PN_UDP_MAX datagram"
#endif

#endif
