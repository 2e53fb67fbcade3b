/* Fixed-capacity unsigned big integers for RSA (internal).
 *
 * A number is an array of limbs, least significant first, with its length in limbs
 * passed next to it; the caller owns every array (no allocation, no recursion).  The
 * arithmetic a private key touches runs in time that depends only on the lengths:
 * conditions become all-ones/all-zeros masks, never branches or table indexes.  Functions
 * documented as "public values only" may branch on the data.
 */
#ifndef PN_CRYPTO_BIGINT_H
#define PN_CRYPTO_BIGINT_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/opts.h"
#include "peernet/rsa.h"

#if PN_BIGINT_LIMB64
typedef uint64_t pn_limb;
__extension__ typedef unsigned __int128 pn_dlimb;
#define PN_LIMB_BITS  64
#define PN_LIMB_SHIFT 6
#else
typedef uint32_t pn_limb;
typedef uint64_t pn_dlimb;
#define PN_LIMB_BITS  32
#define PN_LIMB_SHIFT 5
#endif
#define PN_LIMB_BYTES (PN_LIMB_BITS / 8)
/* Shifts, not divisions, on size_t: no 64-bit division anywhere (see the link check). */
#define PN_BN_LIMBS(bits) (((size_t)(bits) + PN_LIMB_BITS - 1) >> PN_LIMB_SHIFT)
#define PN_BN_MAX_LIMBS   PN_BN_LIMBS(PN_RSA_MAX_BITS)

/* Load a big-endian byte string into x[0..L).  PN_ERR_RANGE when the value needs more
 * than L limbs.  Time depends on len and L only. */
int pn_bn_decode(pn_limb *x, size_t L, const uint8_t *in, size_t len);
/* Store x as exactly len big-endian bytes (limbs beyond len are dropped). */
void pn_bn_encode(uint8_t *out, size_t len, const pn_limb *x, size_t L);

/* Bit length (0 for zero).  Public values only. */
size_t pn_bn_bits(const pn_limb *x, size_t L);
/* The same in time that depends on L only, for secret values. */
size_t pn_bn_bits_ct(const pn_limb *x, size_t L);
/* Bit i (0 or 1); i may be past the end (reads 0).  Public index only. */
unsigned pn_bn_bit(const pn_limb *x, size_t L, size_t i);

void pn_bn_zero(pn_limb *x, size_t L);
void pn_bn_copy(pn_limb *r, const pn_limb *a, size_t L);
/* r = a + b, r = a - b (r may alias either); returns the carry / borrow (0 or 1). */
pn_limb pn_bn_add(pn_limb *r, const pn_limb *a, const pn_limb *b, size_t L);
pn_limb pn_bn_sub(pn_limb *r, const pn_limb *a, const pn_limb *b, size_t L);
/* r += b or r -= b when ctl is 1, unchanged when 0; same time either way. */
pn_limb pn_bn_cadd(pn_limb *r, const pn_limb *b, pn_limb ctl, size_t L);
pn_limb pn_bn_csub(pn_limb *r, const pn_limb *b, pn_limb ctl, size_t L);
/* r = a when ctl is 1. */
void pn_bn_ccopy(pn_limb *r, const pn_limb *a, pn_limb ctl, size_t L);
/* Exchange a and b when ctl is 1. */
void pn_bn_cswap(pn_limb *a, pn_limb *b, pn_limb ctl, size_t L);
/* 1 when a < b, 0 otherwise; constant time. */
pn_limb pn_bn_lt(const pn_limb *a, const pn_limb *b, size_t L);
/* 1 when a == b / when x == 0; constant time. */
pn_limb pn_bn_eq(const pn_limb *a, const pn_limb *b, size_t L);
pn_limb pn_bn_is_zero(const pn_limb *x, size_t L);
/* Shift right by one bit, top bit in from `in` (0 or 1). */
void pn_bn_shr1(pn_limb *x, pn_limb in, size_t L);
/* r[0..La+Lb) = a * b; r must not alias a or b. */
void pn_bn_mul(pn_limb *r, const pn_limb *a, size_t La, const pn_limb *b, size_t Lb);
/* x += w (a single limb), returns the carry out of the top. */
pn_limb pn_bn_add_limb(pn_limb *x, pn_limb w, size_t L);
/* x mod s for a small s (2 <= s < 2^16).  Public or short-lived values. */
uint32_t pn_bn_mod_small(const pn_limb *x, size_t L, uint32_t s);
/* x = x / s exactly, for an odd s < 2^32 that divides x (Hensel division). */
void pn_bn_divexact_small(pn_limb *x, size_t L, uint32_t s);

/* ---- Montgomery arithmetic modulo an odd m, R = 2^(L*PN_LIMB_BITS) ----------------- */
typedef struct pn_bn_mont {
    const pn_limb *m; /* the modulus, L limbs, odd */
    size_t L;
    pn_limb m0i;  /* -m^-1 mod 2^PN_LIMB_BITS */
    size_t mbits; /* bit length of m */
    pn_limb *t;   /* scratch of 2L + 1 limbs for the products */
} pn_bn_mont;

/* m must be odd and > 1 (checked by the callers); t has 2L + 1 limbs. */
void pn_bn_mont_init(pn_bn_mont *mc, const pn_limb *m, size_t L, pn_limb *t);
/* r = a * b / R mod m, for a < R and b < m; r may alias a or b.  Constant time. */
void pn_bn_mont_mul(pn_limb *r, const pn_limb *a, const pn_limb *b, const pn_bn_mont *mc);
/* r = a^2 / R mod m, a < R (what pn_bn_mont_mul does when a == b). */
void pn_bn_mont_sqr(pn_limb *r, const pn_limb *a, const pn_bn_mont *mc);
/* r = a / R mod m (out of the Montgomery domain), a < R. */
void pn_bn_mont_redc(pn_limb *r, const pn_limb *a, const pn_bn_mont *mc);
/* one = R mod m (1 in Montgomery form). */
void pn_bn_mont_one(pn_limb *one, const pn_bn_mont *mc);
/* r2 = R^2 mod m; tmp has L limbs. */
void pn_bn_mont_r2(pn_limb *r2, pn_limb *tmp, const pn_bn_mont *mc);
/* r = x * R mod m for an x of any length xL (into the Montgomery domain); chunk has
 * L limbs of scratch; r must not alias x. */
void pn_bn_mont_import(pn_limb *r, const pn_limb *x, size_t xL, const pn_limb *r2, pn_limb *chunk,
                       const pn_bn_mont *mc);
/* r = a + b mod m (a, b < m), r = a - b mod m. */
void pn_bn_mod_add(pn_limb *r, const pn_limb *a, const pn_limb *b, const pn_limb *m, size_t L);
void pn_bn_mod_sub(pn_limb *r, const pn_limb *a, const pn_limb *b, const pn_limb *m, size_t L);

/* Window width of the constant-time exponentiation and its table size. */
#define PN_BN_WIN   4
#define PN_BN_TABLE (1u << PN_BN_WIN)

/* r = a^e in the Montgomery domain (a and r in Montgomery form, r may alias a), with
 * a fixed 4-bit window over ebits bits of e and a table scanned in full for each window:
 * time depends on L and ebits only.  one = R mod m; table has (PN_BN_TABLE + 1) * L
 * limbs. */
void pn_bn_mont_exp_ct(pn_limb *r, const pn_limb *a, const pn_limb *e, size_t eL, size_t ebits,
                       const pn_limb *one, pn_limb *table, const pn_bn_mont *mc);
/* The same for a public, nonzero big-endian exponent (square and multiply, branches on
 * e only); tmp (L limbs) is used only when r == a, and may be NULL otherwise. */
void pn_bn_mont_exp_pub(pn_limb *r, const pn_limb *a, const uint8_t *e, size_t elen, pn_limb *tmp,
                        const pn_bn_mont *mc);

/* r = x^-1 mod m for odd m > 1, x < m, in constant time (binary extended Euclid, K
 * steps at a time on one-limb approximations; the step count depends on mbits only).
 * Returns 1 when x was invertible, 0 otherwise; gcd (if not NULL) receives gcd(x, m).
 * tmp: PN_BN_INV_TMP(L) limbs.  r must not alias x or m. */
#define PN_BN_INV_TMP(L) (8 * (L) + 1)
pn_limb pn_bn_mod_inv(pn_limb *r, const pn_limb *x, const pn_limb *m, size_t L, size_t mbits,
                      pn_limb *tmp, pn_limb *gcd);
/* The same one bit per step (2*mbits masked steps): the reference for the tests.
 * tmp: 3*L limbs. */
pn_limb pn_bn_mod_inv_simple(pn_limb *r, const pn_limb *x, const pn_limb *m, size_t L, size_t mbits,
                             pn_limb *tmp, pn_limb *gcd);

/* Miller-Rabin with `rounds` random bases (plus trial division by small primes) on
 * w[0..L); 1 probably prime, 0 composite, negative pn_err when the rng fails.
 * work: PN_BN_PRIME_WORK(L) limbs. */
#define PN_BN_PRIME_WORK(L) ((PN_BN_TABLE + 9) * (L) + 2)
int pn_bn_miller_rabin(const pn_limb *w, size_t L, unsigned rounds, pn_rng_fn rng, void *rng_ctx,
                       pn_limb *work);
/* 0 when x has a prime factor below the trial-division bound (and x is not that
 * prime), 1 otherwise. */
int pn_bn_trial_division(const pn_limb *x, size_t L);

/* Overwrite n bytes so that the compiler keeps the stores. */
void pn_bn_wipe(void *p, size_t n);

#endif
