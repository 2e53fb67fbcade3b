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
    uint32_t n_bits;                       /* modulus size in bits */
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

/* Scratch memory for the private-key operations, key generation and the helpers below,
 * so that they need little stack: every big temporary lives here.  A work area of
 * PN_RSA_WORK_BYTES(bits) serves any key of up to `bits` bits; pn_rsa_work is sized for
 * PN_RSA_MAX_BITS.  The functions without a work argument put a pn_rsa_work on the
 * stack (about 3 * PN_RSA_MAX_BITS bytes) and exist only when PN_RSA_STACK_WORK is 1
 * (the default for hosted builds); small targets use the _work forms. */
#define PN_RSA_WORK_BYTES(bits) (52u * ((unsigned)(bits) / 16u + 16u) + (unsigned)(bits) / 8u + 64u)
typedef union pn_rsa_work {
    uint64_t align_;
    uint8_t bytes[PN_RSA_WORK_BYTES(PN_RSA_MAX_BITS)];
} pn_rsa_work;

/* Generate a key of `bits` (1024..PN_RSA_MAX_BITS, multiple of 64), e = 65537,
 * Miller-Rabin probable primes.  Fills kb and its pub/priv views. */
#if PN_RSA_STACK_WORK
int pn_rsa_generate(pn_rsa_keybuf *kb, unsigned bits, pn_rng_fn rng, void *rng_ctx);
#endif
int pn_rsa_generate_work(pn_rsa_keybuf *kb, unsigned bits, pn_rng_fn rng, void *rng_ctx, void *work,
                         size_t work_len);

/* Fill kb from n, e and d alone (e below 2^24): factors n with the classic e*d - 1
 * square-root method (deterministic small bases), then derives dp, dq and qinv.  For
 * importing keys; not constant time in d.  PN_ERR_CRYPTO_KEY when n, e, d do not form
 * an RSA key. */
#if PN_RSA_STACK_WORK
int pn_rsa_from_ned(pn_rsa_keybuf *kb, const uint8_t *n, size_t n_len, const uint8_t *e,
                    size_t e_len, const uint8_t *d, size_t d_len);
#endif

/* Probable-prime test of a big-endian unsigned integer (up to PN_RSA_MAX_BITS): trial
 * division, then `rounds` Miller-Rabin rounds with random bases.  1 prime, 0 composite
 * (0 and 1 included), negative pn_err on error (PN_ERR_RANGE when too long). */
#if PN_RSA_STACK_WORK
int pn_rsa_is_probable_prime(const uint8_t *x, size_t len, unsigned rounds, pn_rng_fn rng,
                             void *rng_ctx);
#endif

/* Raw operations on a modulus-sized big-endian block, in place. */
int pn_rsa_public_op(const pn_rsa_public *key, uint8_t *block, size_t len);
#if PN_RSA_STACK_WORK
int pn_rsa_private_op(const pn_rsa_private *key, uint8_t *block, size_t len, pn_rng_fn rng,
                      void *rng_ctx);
#endif
int pn_rsa_private_op_work(const pn_rsa_private *key, uint8_t *block, size_t len, pn_rng_fn rng,
                           void *rng_ctx, void *work, size_t work_len);
/* Errors of the raw operations: PN_ERR_CRYPTO_KEYSIZE (modulus over PN_RSA_MAX_BITS or
 * under 512 bits), PN_ERR_CRYPTO_KEY (even modulus, exponent 0, 1 or even, inconsistent
 * CRT values, or a private result that fails the check with e), PN_ERR_LENGTH (len is
 * not the modulus length), PN_ERR_RANGE (block >= modulus), PN_ERR_BUFSIZE (work area
 * too small), PN_ERR_CRYPTO_ENTROPY (rng failed), PN_ERR_ARG (NULL key or rng). */

/* PKCS#1 v1.5 signature (RFC 8017 8.2) over a precomputed hash.  With id 0 the hash is
 * padded bare, without DigestInfo (the form MS-PPSEC uses); otherwise with the
 * DigestInfo of id.  sig must hold the modulus length; returns that length. */
#if PN_RSA_STACK_WORK
int pn_rsa_pkcs1_sign(const pn_rsa_private *key, pn_hash_id id, const uint8_t *hash,
                      size_t hash_len, uint8_t *sig, size_t sig_cap, pn_rng_fn rng, void *rng_ctx);
#endif
int pn_rsa_pkcs1_sign_work(const pn_rsa_private *key, pn_hash_id id, const uint8_t *hash,
                           size_t hash_len, uint8_t *sig, size_t sig_cap, pn_rng_fn rng,
                           void *rng_ctx, void *work, size_t work_len);
/* PN_OK or PN_ERR_CRYPTO_SIGNATURE (any length, range or encoding mismatch); a bad key
 * gives the key errors of the raw operations, an id/hash_len mismatch PN_ERR_ARG. */
int pn_rsa_pkcs1_verify(const pn_rsa_public *key, pn_hash_id id, const uint8_t *hash,
                        size_t hash_len, const uint8_t *sig, size_t sig_len);

/* The same with the DER DigestInfo prefix given by the caller (T = prefix || hash), for
 * hashes peernet does not implement; prefix may be NULL with prefix_len 0 (bare hash). */
int pn_rsa_pkcs1_sign_prefix(const pn_rsa_private *key, const uint8_t *prefix, size_t prefix_len,
                             const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t sig_cap,
                             pn_rng_fn rng, void *rng_ctx, void *work, size_t work_len);
int pn_rsa_pkcs1_verify_prefix(const pn_rsa_public *key, const uint8_t *prefix, size_t prefix_len,
                               const uint8_t *hash, size_t hash_len, const uint8_t *sig,
                               size_t sig_len);

/* PKCS#1 v1.5 encryption (RFC 8017 7.2).  Decryption checks the padding in constant
 * time and returns the message length or PN_ERR_CRYPTO_PADDING. */
int pn_rsa_pkcs1_encrypt(const pn_rsa_public *key, const uint8_t *msg, size_t msg_len, uint8_t *out,
                         size_t out_cap, pn_rng_fn rng, void *rng_ctx);
#if PN_RSA_STACK_WORK
int pn_rsa_pkcs1_decrypt(const pn_rsa_private *key, const uint8_t *in, size_t in_len, uint8_t *msg,
                         size_t msg_cap, pn_rng_fn rng, void *rng_ctx);
#endif
int pn_rsa_pkcs1_decrypt_work(const pn_rsa_private *key, const uint8_t *in, size_t in_len,
                              uint8_t *msg, size_t msg_cap, pn_rng_fn rng, void *rng_ctx,
                              void *work, size_t work_len);

#endif
