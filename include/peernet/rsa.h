/* RSA: PKCS#1 v1.5 signatures and encryption, key generation.
 *
 * Keys are big-endian byte strings that point into caller memory (no copies, no
 * allocation), as BearSSL does.  Moduli up to PN_RSA_MAX_BITS.  Private operations use
 * the CRT with blinding and run in time independent of the secret values.
 */
#ifndef PEERNET_RSA_H
#define PEERNET_RSA_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/hash.h"
#include "peernet/opts.h"

#define PN_RSA_MAX_BYTES (PN_RSA_MAX_BITS / 8)

typedef struct pn_rsa_public {
    const uint8_t *n; /* modulus, big-endian, leading zeros allowed */
    size_t n_len;
    const uint8_t *e; /* public exponent, big-endian */
    size_t e_len;
} pn_rsa_public;

typedef struct pn_rsa_private {
    uint32_t n_bits; /* modulus size in bits */
    const uint8_t *p, *q, *dp, *dq, *qinv; /* CRT parameters, big-endian */
    size_t p_len, q_len, dp_len, dq_len, qinv_len;
    const uint8_t *e; /* public exponent (for blinding and the fault check) */
    size_t e_len;
} pn_rsa_private;

/* Storage for a generated key: every component at its maximum size. */
typedef struct pn_rsa_keybuf {
    uint8_t n[PN_RSA_MAX_BYTES], e[4], d[PN_RSA_MAX_BYTES];
    uint8_t p[PN_RSA_MAX_BYTES / 2], q[PN_RSA_MAX_BYTES / 2];
    uint8_t dp[PN_RSA_MAX_BYTES / 2], dq[PN_RSA_MAX_BYTES / 2], qinv[PN_RSA_MAX_BYTES / 2];
    size_t d_len;
    pn_rsa_public pub;   /* points into this struct */
    pn_rsa_private priv; /* points into this struct */
} pn_rsa_keybuf;

/* Random bytes for key generation, blinding and padding (normally pn_drbg_generate). */
typedef int (*pn_rng_fn)(void *rng_ctx, uint8_t *out, size_t len);

/* Generate a key of `bits` (1024..PN_RSA_MAX_BITS, multiple of 64), e = 65537,
 * Miller-Rabin probable primes.  Fills kb and its pub/priv views. */
int pn_rsa_generate(pn_rsa_keybuf *kb, unsigned bits, pn_rng_fn rng, void *rng_ctx);

/* Raw operations on a modulus-sized big-endian block, in place. */
int pn_rsa_public_op(const pn_rsa_public *key, uint8_t *block, size_t len);
int pn_rsa_private_op(const pn_rsa_private *key, uint8_t *block, size_t len, pn_rng_fn rng,
                      void *rng_ctx);

/* PKCS#1 v1.5 signature (RFC 8017 8.2) over a precomputed hash.  With id 0 the hash is
 * padded bare, without DigestInfo (the form MS-PPSEC uses); otherwise with the
 * DigestInfo of id.  sig must hold the modulus length; returns that length. */
int pn_rsa_pkcs1_sign(const pn_rsa_private *key, pn_hash_id id, const uint8_t *hash,
                      size_t hash_len, uint8_t *sig, size_t sig_cap, pn_rng_fn rng,
                      void *rng_ctx);
/* PN_OK or PN_ERR_CRYPTO_SIGNATURE. */
int pn_rsa_pkcs1_verify(const pn_rsa_public *key, pn_hash_id id, const uint8_t *hash,
                        size_t hash_len, const uint8_t *sig, size_t sig_len);

/* PKCS#1 v1.5 encryption (RFC 8017 7.2).  Decryption checks the padding in constant
 * time and returns the message length or PN_ERR_CRYPTO_PADDING. */
int pn_rsa_pkcs1_encrypt(const pn_rsa_public *key, const uint8_t *msg, size_t msg_len,
                         uint8_t *out, size_t out_cap, pn_rng_fn rng, void *rng_ctx);
int pn_rsa_pkcs1_decrypt(const pn_rsa_private *key, const uint8_t *in, size_t in_len,
                         uint8_t *msg, size_t msg_cap, pn_rng_fn rng, void *rng_ctx);

#endif
