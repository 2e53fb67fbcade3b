/* HMAC-DRBG with SHA-256 (NIST SP 800-90A Rev. 1, section 10.1.2): the one source of
 * randomness for RSA padding, blinding and key generation, and for the engines'
 * nonces and identifiers.  No prediction resistance; the caller reseeds from the
 * platform's entropy (pn_platform.random) when generate reports
 * PN_ERR_CRYPTO_ENTROPY.  A context is plain caller-owned memory; wipe it when done.
 */
#ifndef PEERNET_DRBG_H
#define PEERNET_DRBG_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/err.h"

/* SP 800-90A 10.1 Table 2 limits as applied here (SHA-256, 256-bit strength). */
#define PN_DRBG_MIN_ENTROPY 32     /* bytes of entropy input at instantiate and reseed */
#define PN_DRBG_MAX_REQUEST 65536u /* bytes per generate call (2^19 bits) */

typedef struct pn_drbg {
    uint8_t k[32]; /* Key (SP 800-90A 10.1.2.1) */
    uint8_t v[32]; /* V */
    uint64_t reseed_counter;
    uint64_t reseed_interval; /* generate calls allowed per seed */
    int ready;                /* 1 after instantiate, 0 after pn_drbg_wipe */
} pn_drbg;

/* Instantiate (10.1.2.3) from entropy (at least PN_DRBG_MIN_ENTROPY bytes), a nonce
 * and an optional personalization string (NULL, 0 for none).  The reseed interval
 * starts at PN_DRBG_RESEED_INTERVAL.  PN_ERR_CRYPTO_ENTROPY when entropy is short. */
int pn_drbg_init(pn_drbg *d, const void *entropy, size_t entropy_len, const void *nonce,
                 size_t nonce_len, const void *pers, size_t pers_len);

/* Reseed (10.1.2.4) with fresh entropy and optional additional input. */
int pn_drbg_reseed(pn_drbg *d, const void *entropy, size_t entropy_len, const void *add,
                   size_t add_len);

/* Generate (10.1.2.5) len bytes (at most PN_DRBG_MAX_REQUEST) with optional
 * additional input.  PN_ERR_CRYPTO_ENTROPY when a reseed is due (nothing written),
 * PN_ERR_STATE before instantiate, PN_ERR_RANGE for an over-long request. */
int pn_drbg_generate(pn_drbg *d, uint8_t *out, size_t len, const void *add, size_t add_len);

/* Lower (or raise, up to 2^48) the number of generate calls between reseeds; values
 * outside 1..2^48 give PN_ERR_RANGE. */
int pn_drbg_set_reseed_interval(pn_drbg *d, uint64_t interval);

/* A pn_rng_fn (peernet/rsa.h) over a pn_drbg: any length, split into requests of
 * PN_DRBG_MAX_REQUEST bytes; no additional input.  drbg is a pn_drbg *. */
int pn_drbg_rng(void *drbg, uint8_t *out, size_t len);

/* Uninstantiate (10.1.2 "uninstantiate"): wipe the state; generate then fails. */
void pn_drbg_wipe(pn_drbg *d);

#endif
