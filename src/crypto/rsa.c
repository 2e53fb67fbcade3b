/* RSA (RFC 8017): raw operations, PKCS#1 v1.5 signatures and encryption, key
 * generation (FIPS 186-4 B.3.3 style with Miller-Rabin probable primes). */
#include "peernet/rsa.h"

#include "crypto/bigint.h"
#include "crypto/ct_check.h"
#include "peernet/err.h"
#include "wire/pn_mem.h"

#define MIN_BITS 512

/* ---- helpers ---------------------------------------------------------------------------- */

static const uint8_t *strip(const uint8_t *p, size_t *len)
{
    while (*len > 0 && *p == 0) {
        p++;
        (*len)--;
    }
    return p;
}

/* Bit length of a big-endian string without leading zeros. */
static size_t bytes_bits(const uint8_t *p, size_t len)
{
    size_t b = 0;
    uint8_t top;
    if (len == 0)
        return 0;
    for (top = p[0]; top; top >>= 1)
        b++;
    return (len - 1) * 8 + b;
}

/* Length of a secret big-endian string without its leading zeros, and its bit length,
 * in time that depends on len only (every byte is read, no branch on a value). */
static size_t ct_stripped_len(const uint8_t *p, size_t len, size_t *bits)
{
    size_t i, n = 0, b = 0, seen = 0;
    for (i = 0; i < len; i++) {
        size_t nz = (size_t)0 - (((size_t)p[i] + 0xFF) >> 8), first = nz & ~seen, top = 0;
        unsigned j;
        for (j = 0; j < 8; j++)
            top += ((size_t)(p[i] >> j) + 0xFF) >> 8;
        n |= (len - i) & first;
        b |= ((len - i - 1) * 8 + top) & first;
        seen |= nz;
    }
    *bits = b;
    return n;
}

/* A verdict computed from secrets that is public by nature, so it is declassified for
 * the constant-time check: the key checks that hold for every good key (a CRT value in
 * range, odd primes, the fault check, an invertible blinding factor), whose failure
 * tells an observer only that the key or the hardware is bad, and the range check of
 * the input against the public modulus. */
static int public_verdict(pn_limb ok)
{
    PN_CT_DECLASSIFY(&ok, sizeof ok);
    return ok != 0;
}

/* Carve limb arrays from a caller's work area, aligned for pn_limb. */
typedef struct carver {
    pn_limb *next;
    size_t left; /* limbs */
} carver;

static void carver_init(carver *c, void *work, size_t work_len)
{
    uintptr_t a = (uintptr_t)work, mis = a & (PN_LIMB_BYTES - 1);
    size_t skip = mis ? PN_LIMB_BYTES - (size_t)mis : 0;
    if (work == NULL || work_len < skip) {
        c->next = NULL;
        c->left = 0;
        return;
    }
    c->next = (pn_limb *)(void *)((uint8_t *)work + skip);
    c->left = (work_len - skip) >> (PN_LIMB_SHIFT - 3);
}

static pn_limb *take(carver *c, size_t n)
{
    pn_limb *p = c->next;
    if (p == NULL || n > c->left)
        return NULL;
    c->next += n;
    c->left -= n;
    return p;
}

/* Public exponent checks shared by both key kinds: nonzero, not 1, odd. */
static int check_exponent(const uint8_t *e, size_t e_len)
{
    if (e_len == 0)
        return PN_ERR_CRYPTO_KEY;
    if ((e[e_len - 1] & 1) == 0)
        return PN_ERR_CRYPTO_KEY;
    if (e_len == 1 && e[0] == 1)
        return PN_ERR_CRYPTO_KEY;
    return PN_OK;
}

typedef struct pub_view {
    const uint8_t *n, *e;
    size_t n_len, e_len; /* without leading zeros */
} pub_view;

static int check_public(const pn_rsa_public *key, pub_view *v)
{
    int rc;
    if (key == NULL || key->n == NULL || key->e == NULL)
        return PN_ERR_ARG;
    v->n_len = key->n_len;
    v->n = strip(key->n, &v->n_len);
    v->e_len = key->e_len;
    v->e = strip(key->e, &v->e_len);
    if (v->n_len > PN_RSA_MAX_BYTES)
        return PN_ERR_CRYPTO_KEYSIZE;
    if (bytes_bits(v->n, v->n_len) < MIN_BITS)
        return PN_ERR_CRYPTO_KEYSIZE;
    if ((v->n[v->n_len - 1] & 1) == 0)
        return PN_ERR_CRYPTO_KEY;
    rc = check_exponent(v->e, v->e_len);
    if (rc < 0)
        return rc;
    if (v->e_len > v->n_len || (v->e_len == v->n_len && memcmp(v->e, v->n, v->n_len) >= 0))
        return PN_ERR_CRYPTO_KEY;
    return PN_OK;
}

/* The expected EMSA-PKCS1-v1_5 encoding T = prefix || hash, for a comparison made
 * without a k-byte buffer. */
typedef struct emsa_ref {
    const uint8_t *prefix, *hash;
    size_t plen, hlen;
} emsa_ref;

/* Byte i of 00 01 FF..FF 00 prefix hash (k bytes). */
static unsigned emsa_byte(const emsa_ref *r, size_t k, size_t i)
{
    size_t tstart = k - r->plen - r->hlen;
    if (i == 0)
        return 0x00;
    if (i == 1)
        return 0x01;
    if (i + 1 < tstart)
        return 0xff;
    if (i + 1 == tstart)
        return 0x00;
    i -= tstart;
    return i < r->plen ? r->prefix[i] : r->hash[i - r->plen];
}

/* out = in^e mod n for a checked key (out may be in); len must be the modulus length.
 * With ref, the result is compared with that encoding instead (RFC 8017 8.2.2 step 4):
 * PN_OK or PN_ERR_CRYPTO_SIGNATURE, every byte compared whatever differs.  The big values
 * sit on the stack (n, the value, an accumulator, a double-length product): verification
 * is the common operation on small devices and needs no work area. */
static int public_core(const pub_view *v, const uint8_t *in, uint8_t *out, size_t len,
                       const emsa_ref *ref)
{
    pn_limb n[PN_BN_MAX_LIMBS], x[PN_BN_MAX_LIMBS], acc[PN_BN_MAX_LIMBS];
    pn_limb t[2 * PN_BN_MAX_LIMBS + 1];
    size_t L = PN_BN_LIMBS(v->n_len * 8), i;
    pn_bn_mont mc;
    if (len != v->n_len)
        return PN_ERR_LENGTH;
    pn_bn_decode(n, L, v->n, v->n_len);
    pn_bn_decode(x, L, in, len);
    if (!pn_bn_lt(x, n, L))
        return PN_ERR_RANGE;
    pn_bn_mont_init(&mc, n, L, t);
    pn_bn_mont_r2(acc, acc, &mc); /* R^2 first, then the accumulator */
    pn_bn_mont_mul(x, x, acc, &mc);
    pn_bn_mont_exp_pub(acc, x, v->e, v->e_len, NULL, &mc);
    pn_bn_mont_redc(acc, acc, &mc);
    if (ref != NULL) {
        unsigned diff = 0;
        for (i = 0; i < len; i++) {
            size_t pos = len - 1 - i;
            unsigned byte =
                (unsigned)(acc[pos >> (PN_LIMB_SHIFT - 3)] >> ((pos & (PN_LIMB_BYTES - 1)) * 8));
            diff |= (byte ^ emsa_byte(ref, len, i)) & 0xffu;
        }
        return diff == 0 ? PN_OK : PN_ERR_CRYPTO_SIGNATURE;
    }
    pn_bn_encode(out, len, acc, L);
    return PN_OK;
}

int pn_rsa_public_op(const pn_rsa_public *key, uint8_t *block, size_t len)
{
    pub_view v;
    int rc = check_public(key, &v);
    if (rc < 0)
        return rc;
    if (block == NULL)
        return PN_ERR_ARG;
    return public_core(&v, block, block, len, NULL);
}

/* ---- private operation ------------------------------------------------------------------ */

/* out = (c^x mod m) for one prime of the CRT, blinded: the base is multiplied by r^e
 * for a fresh random r, which turns the result into (c^x)*r since e*x = 1 mod (m - 1);
 * the product with r^-1 (computed in constant time) removes it.  s: scratch. */
typedef struct crt_scratch {
    pn_limb *r2, *one, *base, *rb, *inv, *acc, *chunk, *invtmp, *t, *table;
} crt_scratch;

static int crt_half(pn_limb *out, const pn_limb *m, size_t P, const pn_limb *x, const pn_limb *c,
                    size_t cL, const uint8_t *e, size_t e_len, pn_rng_fn rng, void *rng_ctx,
                    const crt_scratch *s, pn_bn_mont *mc)
{
    size_t i, k;
    unsigned tries;
    pn_bn_mont_init(mc, m, P, s->t);
    k = mc->mbits;
    pn_bn_mont_r2(s->r2, s->one, mc);
    pn_bn_mont_redc(s->one, s->r2, mc);
    pn_bn_mont_import(s->base, c, cL, s->r2, s->chunk, mc);
    /* r uniform below 2^(k-1) < m, nonzero. */
    for (tries = 0;; tries++) {
        if (tries == 16 || rng(rng_ctx, (uint8_t *)s->rb, P * sizeof(pn_limb)) < 0)
            return PN_ERR_CRYPTO_ENTROPY;
        for (i = 0; i < P; i++) {
            size_t lo = i * PN_LIMB_BITS;
            if (lo >= k - 1)
                s->rb[i] = 0;
            else if (k - 1 - lo < PN_LIMB_BITS)
                s->rb[i] &= ((pn_limb)1 << (k - 1 - lo)) - 1;
        }
        /* Rejection of r = 0: the verdict says only that a draw was redrawn. */
        if (public_verdict(pn_bn_is_zero(s->rb, P) ^ 1))
            break;
    }
    pn_bn_mont_mul(s->acc, s->rb, s->r2, mc);
    pn_bn_mont_exp_pub(s->inv, s->acc, e, e_len, s->chunk, mc);
    pn_bn_mont_mul(s->base, s->base, s->inv, mc);
    pn_bn_mont_exp_ct(s->acc, s->base, x, P, k, s->one, s->table, mc);
    if (!public_verdict(pn_bn_mod_inv(s->inv, s->rb, m, P, k, s->invtmp, NULL)))
        return PN_ERR_CRYPTO_KEY; /* r shares a factor with m: m is not prime */
    pn_bn_mont_mul(out, s->acc, s->inv, mc);
    return PN_OK;
}

static int private_core(const pn_rsa_private *key, uint8_t *block, size_t len, pn_rng_fn rng,
                        void *rng_ctx, void *work, size_t work_len)
{
    const uint8_t *p, *q, *dp, *dq, *qi, *e;
    size_t p_len, q_len, dp_len, dq_len, qi_len, e_len, pbits, qbits, P, N, k;
    pn_limb *pp, *qq, *nn, *c, *mp, *mq, *ex, *qinv, *mm;
    crt_scratch s;
    pn_bn_mont mc;
    carver cv;
    int rc;

    if (key == NULL || block == NULL || rng == NULL || key->p == NULL || key->q == NULL ||
        key->dp == NULL || key->dq == NULL || key->qinv == NULL || key->e == NULL)
        return PN_ERR_ARG;
    if (key->n_bits > PN_RSA_MAX_BITS || key->n_bits < MIN_BITS)
        return PN_ERR_CRYPTO_KEYSIZE;
    k = (key->n_bits + 7) / 8;
    if (len != k)
        return PN_ERR_LENGTH;
    dp_len = key->dp_len, dq_len = key->dq_len, qi_len = key->qinv_len, e_len = key->e_len;
    /* Only the primes lose their leading zeros; dP, dQ and qInv keep the caller's
     * length, so their top bytes are never looked at alone.  The primes' lengths are
     * public: the key size fixes them, so they are declassified once found. */
    p_len = ct_stripped_len(key->p, key->p_len, &pbits);
    q_len = ct_stripped_len(key->q, key->q_len, &qbits);
    PN_CT_DECLASSIFY(&p_len, sizeof p_len);
    PN_CT_DECLASSIFY(&q_len, sizeof q_len);
    PN_CT_DECLASSIFY(&pbits, sizeof pbits);
    PN_CT_DECLASSIFY(&qbits, sizeof qbits);
    p = key->p + (key->p_len - p_len);
    q = key->q + (key->q_len - q_len);
    dp = key->dp;
    dq = key->dq;
    qi = key->qinv;
    e = strip(key->e, &e_len);
    rc = check_exponent(e, e_len);
    if (rc < 0)
        return rc;
    if (e_len > k || p_len > k || q_len > k)
        return PN_ERR_CRYPTO_KEY;
    if (pbits < 2 || qbits < 2 || !public_verdict((pn_limb)(p[p_len - 1] & q[q_len - 1] & 1)))
        return PN_ERR_CRYPTO_KEY;
    P = PN_BN_LIMBS(pbits > qbits ? pbits : qbits);
    N = PN_BN_LIMBS(key->n_bits);
    if (2 * P < N)
        return PN_ERR_CRYPTO_KEY;

    carver_init(&cv, work, work_len);
    pp = take(&cv, P);
    qq = take(&cv, P);
    nn = take(&cv, 2 * P);
    c = take(&cv, 2 * P);
    mp = take(&cv, P);
    mq = take(&cv, P);
    ex = take(&cv, P);
    qinv = take(&cv, P);
    s.r2 = take(&cv, P);
    s.one = take(&cv, P);
    s.base = take(&cv, P);
    s.rb = take(&cv, P);
    s.inv = take(&cv, P);
    s.acc = take(&cv, P);
    s.chunk = take(&cv, P);
    s.invtmp = take(&cv, PN_BN_INV_TMP(P));
    s.t = take(&cv, 4 * P + 1);
    s.table = take(&cv, (PN_BN_TABLE + 1) * P);
    if (s.table == NULL)
        return PN_ERR_BUFSIZE;
    mm = s.table; /* the table is free again when the result is assembled */

    rc = PN_ERR_CRYPTO_KEY;
    pn_bn_decode(pp, P, p, p_len);
    pn_bn_decode(qq, P, q, q_len);
    if (!public_verdict((pn_limb)(pn_bn_decode(qinv, P, qi, qi_len) == 0) & pn_bn_lt(qinv, pp, P)))
        goto out;
    pn_bn_mul(nn, pp, P, qq, P);
    {
        /* p q is the public modulus, so its length is public too. */
        size_t nbits = pn_bn_bits_ct(nn, 2 * P);
        PN_CT_DECLASSIFY(&nbits, sizeof nbits);
        if (nbits != key->n_bits)
            goto out;
    }
    pn_bn_decode(c, 2 * P, block, len);
    /* Whether the input is below n: the caller's input against the public modulus. */
    if (!public_verdict(pn_bn_lt(c, nn, 2 * P))) {
        rc = PN_ERR_RANGE;
        goto out;
    }

    /* RFC 8017 5.1.2 step 2b: m2 = c^dQ mod q, m1 = c^dP mod p, h = (m1 - m2) qInv mod p,
     * m = m2 + q h.  The q half first, so p's Montgomery context stays for h. */
    if (!public_verdict((pn_limb)(pn_bn_decode(ex, P, dq, dq_len) == 0) & pn_bn_lt(ex, qq, P)))
        goto out;
    rc = crt_half(mq, qq, P, ex, c, N, e, e_len, rng, rng_ctx, &s, &mc);
    if (rc < 0)
        goto out;
    rc = PN_ERR_CRYPTO_KEY;
    if (!public_verdict((pn_limb)(pn_bn_decode(ex, P, dp, dp_len) == 0) & pn_bn_lt(ex, pp, P)))
        goto out;
    rc = crt_half(mp, pp, P, ex, c, N, e, e_len, rng, rng_ctx, &s, &mc);
    if (rc < 0)
        goto out;
    /* h = (mp - (mq mod p)) * qinv mod p; mq may exceed p when q > p. */
    pn_bn_mont_import(s.acc, mq, P, s.r2, s.chunk, &mc);
    pn_bn_mont_redc(s.acc, s.acc, &mc);
    pn_bn_mod_sub(s.acc, mp, s.acc, pp, P);
    pn_bn_mont_mul(s.acc, s.acc, qinv, &mc);
    pn_bn_mont_mul(s.acc, s.acc, s.r2, &mc);
    pn_bn_mul(mm, qq, P, s.acc, P);
    pn_bn_add_limb(mm + P, pn_bn_add(mm, mm, mq, P), P);

    /* Fault check: release the result only if it maps back to c under e (a glitched CRT
     * half would otherwise leak a factor of n). */
    {
        pn_limb *r2n = mm + 2 * P, *xm = r2n + N, *acc = xm + N;
        pn_bn_mont_init(&mc, nn, N, s.t);
        pn_bn_mont_r2(r2n, acc, &mc);
        pn_bn_mont_mul(xm, mm, r2n, &mc);
        pn_bn_mont_exp_pub(acc, xm, e, e_len, r2n, &mc);
        pn_bn_mont_redc(acc, acc, &mc);
        if (!public_verdict(pn_bn_eq(acc, c, N))) {
            rc = PN_ERR_CRYPTO_KEY;
            goto out;
        }
    }
    pn_bn_encode(block, len, mm, N);
    rc = PN_OK;
out:
    pn_bn_wipe(pp, (size_t)((uint8_t *)cv.next - (uint8_t *)pp));
    return rc;
}

int pn_rsa_private_op_work(const pn_rsa_private *key, uint8_t *block, size_t len, pn_rng_fn rng,
                           void *rng_ctx, void *work, size_t work_len)
{
    return private_core(key, block, len, rng, rng_ctx, work, work_len);
}

#if PN_RSA_STACK_WORK
int pn_rsa_private_op(const pn_rsa_private *key, uint8_t *block, size_t len, pn_rng_fn rng,
                      void *rng_ctx)
{
    pn_rsa_work w;
    return private_core(key, block, len, rng, rng_ctx, &w, sizeof w);
}
#endif

/* ---- PKCS#1 v1.5 signatures (RFC 8017 8.2, 9.2) ----------------------------------------- */

/* DER DigestInfo prefixes, RFC 8017 9.2 note 1. */
static const uint8_t di_md5[] = {0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                 0x86, 0xf7, 0x0d, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10};
static const uint8_t di_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                  0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
static const uint8_t di_sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

static int digest_info(pn_hash_id id, size_t hash_len, const uint8_t **prefix, size_t *plen)
{
    size_t want;
    switch ((int)id) {
    case 0: /* MS-PPSEC: the bare hash, no DigestInfo */
        *prefix = NULL;
        *plen = 0;
        return hash_len > 0 ? PN_OK : PN_ERR_ARG;
    case PN_HASH_MD5:
        *prefix = di_md5, *plen = sizeof di_md5, want = PN_MD5_LEN;
        break;
    case PN_HASH_SHA1:
        *prefix = di_sha1, *plen = sizeof di_sha1, want = PN_SHA1_LEN;
        break;
    case PN_HASH_SHA256:
        *prefix = di_sha256, *plen = sizeof di_sha256, want = PN_SHA256_LEN;
        break;
    default:
        return PN_ERR_CRYPTO_ALGORITHM;
    }
    return hash_len == want ? PN_OK : PN_ERR_ARG;
}

/* EMSA-PKCS1-v1_5 (RFC 8017 9.2): 00 01 FF..FF 00 || prefix || hash, k bytes. */
static void emsa_encode(uint8_t *em, size_t k, const uint8_t *prefix, size_t plen,
                        const uint8_t *hash, size_t hlen)
{
    size_t ps = k - plen - hlen - 3;
    em[0] = 0x00;
    em[1] = 0x01;
    memset(em + 2, 0xff, ps);
    em[2 + ps] = 0x00;
    if (plen)
        memcpy(em + 3 + ps, prefix, plen);
    memcpy(em + 3 + ps + plen, hash, hlen);
}

int pn_rsa_pkcs1_sign_prefix(const pn_rsa_private *key, const uint8_t *prefix, size_t prefix_len,
                             const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t sig_cap,
                             pn_rng_fn rng, void *rng_ctx, void *work, size_t work_len)
{
    size_t k;
    int rc;
    if (key == NULL || sig == NULL || (hash == NULL && hash_len) || (prefix == NULL && prefix_len))
        return PN_ERR_ARG;
    if (key->n_bits > PN_RSA_MAX_BITS || key->n_bits < MIN_BITS)
        return PN_ERR_CRYPTO_KEYSIZE;
    k = (key->n_bits + 7) / 8;
    if (sig_cap < k)
        return PN_ERR_BUFSIZE;
    /* RFC 8017 9.2 step 3: at least 8 bytes of FF padding. */
    if (prefix_len + hash_len + 11 > k)
        return PN_ERR_CRYPTO_KEYSIZE;
    emsa_encode(sig, k, prefix, prefix_len, hash, hash_len);
    rc = private_core(key, sig, k, rng, rng_ctx, work, work_len);
    if (rc < 0) {
        pn_bn_wipe(sig, k);
        return rc;
    }
    return (int)k;
}

int pn_rsa_pkcs1_sign_work(const pn_rsa_private *key, pn_hash_id id, const uint8_t *hash,
                           size_t hash_len, uint8_t *sig, size_t sig_cap, pn_rng_fn rng,
                           void *rng_ctx, void *work, size_t work_len)
{
    const uint8_t *prefix;
    size_t plen;
    int rc = digest_info(id, hash_len, &prefix, &plen);
    if (rc < 0)
        return rc;
    return pn_rsa_pkcs1_sign_prefix(key, prefix, plen, hash, hash_len, sig, sig_cap, rng, rng_ctx,
                                    work, work_len);
}

#if PN_RSA_STACK_WORK
int pn_rsa_pkcs1_sign(const pn_rsa_private *key, pn_hash_id id, const uint8_t *hash,
                      size_t hash_len, uint8_t *sig, size_t sig_cap, pn_rng_fn rng, void *rng_ctx)
{
    pn_rsa_work w;
    return pn_rsa_pkcs1_sign_work(key, id, hash, hash_len, sig, sig_cap, rng, rng_ctx, &w,
                                  sizeof w);
}
#endif

int pn_rsa_pkcs1_verify_prefix(const pn_rsa_public *key, const uint8_t *prefix, size_t prefix_len,
                               const uint8_t *hash, size_t hash_len, const uint8_t *sig,
                               size_t sig_len)
{
    emsa_ref ref;
    pub_view v;
    int rc = check_public(key, &v);
    if (rc < 0)
        return rc;
    if ((hash == NULL && hash_len) || (prefix == NULL && prefix_len))
        return PN_ERR_ARG;
    /* RFC 8017 8.2.2 step 1: the signature is exactly k bytes. */
    if (sig == NULL || sig_len != v.n_len || prefix_len + hash_len + 11 > v.n_len)
        return PN_ERR_CRYPTO_SIGNATURE;
    /* Steps 2-4: re-encode and compare every byte (no parsing, so no lenient DER or
     * padding reading). */
    ref.prefix = prefix, ref.plen = prefix_len, ref.hash = hash, ref.hlen = hash_len;
    rc = public_core(&v, sig, NULL, sig_len, &ref);
    return rc == PN_OK ? PN_OK : PN_ERR_CRYPTO_SIGNATURE;
}

int pn_rsa_pkcs1_verify(const pn_rsa_public *key, pn_hash_id id, const uint8_t *hash,
                        size_t hash_len, const uint8_t *sig, size_t sig_len)
{
    const uint8_t *prefix;
    size_t plen;
    int rc = digest_info(id, hash_len, &prefix, &plen);
    if (rc < 0)
        return rc;
    return pn_rsa_pkcs1_verify_prefix(key, prefix, plen, hash, hash_len, sig, sig_len);
}

/* ---- PKCS#1 v1.5 encryption (RFC 8017 7.2) ---------------------------------------------- */

int pn_rsa_pkcs1_encrypt(const pn_rsa_public *key, const uint8_t *msg, size_t msg_len, uint8_t *out,
                         size_t out_cap, pn_rng_fn rng, void *rng_ctx)
{
    size_t k, ps, i;
    pub_view v;
    int rc = check_public(key, &v);
    if (rc < 0)
        return rc;
    if (out == NULL || rng == NULL || (msg == NULL && msg_len))
        return PN_ERR_ARG;
    k = v.n_len;
    if (out_cap < k)
        return PN_ERR_BUFSIZE;
    /* RFC 8017 7.2.1 step 1: mLen <= k - 11. */
    if (msg_len > k - 11)
        return PN_ERR_RANGE;
    ps = k - msg_len - 3;
    memmove(out + k - msg_len, msg, msg_len);
    out[0] = 0x00;
    out[1] = 0x02;
    out[2 + ps] = 0x00;
    if (rng(rng_ctx, out + 2, ps) < 0)
        return PN_ERR_CRYPTO_ENTROPY;
    /* Step 2a: PS is nonzero: draw again for each zero byte. */
    for (i = 0; i < ps; i++) {
        unsigned tries = 0;
        while (out[2 + i] == 0) {
            if (++tries > 64 || rng(rng_ctx, out + 2 + i, 1) < 0) {
                pn_bn_wipe(out, k);
                return PN_ERR_CRYPTO_ENTROPY;
            }
        }
    }
    rc = public_core(&v, out, out, k, NULL);
    if (rc < 0)
        return rc;
    return (int)k;
}

/* 0xFF when a == b, 0 otherwise (bytes or small sizes), without branches. */
static unsigned ct_eq(size_t a, size_t b)
{
    size_t d = a ^ b, ne = (d | ((size_t)0 - d)) >> (sizeof(size_t) * 8 - 1);
    /* The barrier hides that ne is 0 or 1; clang would otherwise see a == b and emit a
     * branch for the padding scan's select. */
    PN_CT_BARRIER(ne);
    return (unsigned)(ne ^ 1) * 0xffu;
}

/* 0xFF when a < b. */
static unsigned ct_lt(size_t a, size_t b)
{
    size_t d = a - b;
    /* a, b < 2^(w-1) here, so the top bit of a - b is the borrow */
    size_t lt = d >> (sizeof(size_t) * 8 - 1);
    PN_CT_BARRIER(lt);
    return (unsigned)lt * 0xffu;
}

int pn_rsa_pkcs1_decrypt_work(const pn_rsa_private *key, const uint8_t *in, size_t in_len,
                              uint8_t *msg, size_t msg_cap, pn_rng_fn rng, void *rng_ctx,
                              void *work, size_t work_len)
{
    uint8_t *em;
    size_t k, i, sep = 0, shift, ncopy, mlen;
    unsigned good, found = 0, b;
    int rc;
    if (key == NULL || in == NULL || (msg == NULL && msg_cap) || work == NULL)
        return PN_ERR_ARG;
    if (key->n_bits > PN_RSA_MAX_BITS || key->n_bits < MIN_BITS)
        return PN_ERR_CRYPTO_KEYSIZE;
    k = (key->n_bits + 7) / 8;
    if (in_len != k)
        return PN_ERR_LENGTH;
    if (work_len < k + 64)
        return PN_ERR_BUFSIZE;
    /* EM at the end of the work area, the private operation's scratch before it. */
    em = (uint8_t *)work + work_len - k;
    memcpy(em, in, k);
    rc = private_core(key, em, k, rng, rng_ctx, work, work_len - k);
    if (rc < 0) {
        pn_bn_wipe(em, k);
        return rc;
    }
    /* RFC 8017 7.2.2 step 3, in constant time: EM = 00 02 PS 00 M with |PS| >= 8.  Every
     * byte is read whatever the outcome; only the final verdict branches. */
    good = ct_eq(em[0], 0) & ct_eq(em[1], 2);
    for (i = 2; i < k; i++) {
        unsigned z = ct_eq(em[i], 0), first = z & ~found;
        sep |= i & ((size_t)0 - (size_t)(first & 1));
        found |= z;
    }
    good &= found & ~ct_lt(sep, 10);
    /* Move M to the front: shift left by sep + 1 in log2(k) masked passes. */
    shift = (sep + 1) & ((size_t)0 - (size_t)(good & 1));
    for (b = 0; ((size_t)1 << b) < k; b++) {
        size_t step = (size_t)1 << b;
        uint8_t m = (uint8_t)(0u - (unsigned)((shift >> b) & 1));
        for (i = 0; i < k; i++) {
            uint8_t next = i + step < k ? em[i + step] : 0;
            em[i] = (uint8_t)((em[i] & ~m) | (next & m));
        }
    }
    mlen = k - shift;
    ncopy = msg_cap < k - 11 ? msg_cap : k - 11;
    if (ncopy)
        memcpy(msg, em, ncopy);
    pn_bn_wipe(em, k);
    /* The verdict and the wiping of a rejected message are masked, so that only the
     * caller branches on the returned value (bad padding, too small a buffer or the
     * length).  The capacity is clamped to k first, which keeps ct_lt's operands small. */
    {
        size_t cap = msg_cap < k ? msg_cap : k;
        unsigned fits = ~ct_lt(cap, mlen) & 0xffu, keep = good & fits;
        unsigned pad = ~good & 0xffu, small = good & ~fits & 0xffu;
        int ret;
        for (i = 0; i < ncopy; i++)
            msg[i] = (uint8_t)(msg[i] & keep);
        ret = (PN_ERR_CRYPTO_PADDING & -(int)(pad & 1)) | (PN_ERR_BUFSIZE & -(int)(small & 1)) |
              ((int)mlen & -(int)(keep & 1));
        return ret;
    }
}

#if PN_RSA_STACK_WORK
int pn_rsa_pkcs1_decrypt(const pn_rsa_private *key, const uint8_t *in, size_t in_len, uint8_t *msg,
                         size_t msg_cap, pn_rng_fn rng, void *rng_ctx)
{
    pn_rsa_work w;
    return pn_rsa_pkcs1_decrypt_work(key, in, in_len, msg, msg_cap, rng, rng_ctx, &w, sizeof w);
}
#endif

/* ---- key generation and import ---------------------------------------------------------- */

/* a^-1 mod m for small m (< 2^24), 0 when gcd(a, m) != 1.  Extended Euclid on 32-bit
 * values: only 32-bit division. */
static uint32_t inv_mod_small(uint32_t a, uint32_t m)
{
    int32_t t0 = 0, t1 = 1;
    uint32_t r0 = m, r1 = a % m;
    while (r1 != 0) {
        uint32_t q = r0 / r1, r2 = r0 - q * r1;
        int32_t t2 = t0 - (int32_t)q * t1;
        r0 = r1, r1 = r2, t0 = t1, t1 = t2;
    }
    if (r0 != 1)
        return 0;
    return t0 < 0 ? (uint32_t)(t0 + (int32_t)m) : (uint32_t)t0;
}

/* out[0..L+1) = e^-1 mod mod, for an even mod of L limbs and a small odd e: with
 * k = -mod^-1 mod e, (1 + k*mod) is a multiple of e and its quotient is the inverse
 * (no big division needed).  Returns 0 when e and mod share a factor. */
static int inv_e(pn_limb *out, const pn_limb *mod, size_t L, uint32_t e)
{
    uint32_t f = pn_bn_mod_small(mod, L, e), inv;
    pn_limb kk;
    inv = inv_mod_small(f, e);
    if (inv == 0)
        return 0;
    kk = (pn_limb)(e - inv);
    pn_bn_mul(out, mod, L, &kk, 1);
    pn_bn_add_limb(out, 1, L + 1);
    pn_bn_divexact_small(out, L + 1, e);
    return 1;
}

/* Miller-Rabin rounds for an RSA prime of `bits` bits: FIPS 186-4 Table C.3 (error
 * 2^-100 for 512-bit primes, 2^-112 for 1024, 2^-128 for 1536), and 4 above (FIPS 186-5
 * Table B.1 gives 4 for 2048-bit primes). */
static unsigned mr_rounds(size_t bits)
{
    return bits <= 512 ? 7 : bits <= 1024 ? 5 : 4;
}

#define KEYGEN_E 65537u

/* A random prime of exactly `bits` bits with its top two bits set (so p*q has twice
 * the bits), p - 1 prime to e.  FIPS 186-4 B.3.3 steps 4.2-4.5. */
static int gen_prime(pn_limb *x, size_t P, size_t bits, pn_rng_fn rng, void *rng_ctx,
                     pn_limb *mrwork)
{
    size_t tries, i;
    for (tries = 0; tries < 64 * bits; tries++) {
        int rc;
        if (rng(rng_ctx, (uint8_t *)x, P * sizeof *x) < 0)
            return PN_ERR_CRYPTO_ENTROPY;
        for (i = 0; i < P; i++) {
            size_t lo = i * PN_LIMB_BITS;
            if (lo >= bits)
                x[i] = 0;
            else if (bits - lo < PN_LIMB_BITS)
                x[i] &= ((pn_limb)1 << (bits - lo)) - 1;
        }
        x[(bits - 1) >> PN_LIMB_SHIFT] |= (pn_limb)1 << ((bits - 1) & (PN_LIMB_BITS - 1));
        x[(bits - 2) >> PN_LIMB_SHIFT] |= (pn_limb)1 << ((bits - 2) & (PN_LIMB_BITS - 1));
        x[0] |= 1;
        if (pn_bn_mod_small(x, P, KEYGEN_E) == 1)
            continue;
        if (!pn_bn_trial_division(x, P))
            continue;
        rc = pn_bn_miller_rabin(x, P, mr_rounds(bits), rng, rng_ctx, mrwork);
        if (rc < 0)
            return rc;
        if (rc == 1)
            return PN_OK;
    }
    return PN_ERR_CRYPTO_ENTROPY; /* no prime in 64*bits draws: the rng is broken */
}

/* Store the CRT parts of kb from limbs, p > q, and point its views at them. */
static void keybuf_fill(pn_rsa_keybuf *kb, size_t nbits, const pn_limb *n, size_t N,
                        const pn_limb *d, const pn_limb *p, const pn_limb *q, const pn_limb *dp,
                        const pn_limb *dq, const pn_limb *qinv, size_t P, uint32_t e)
{
    size_t nb = (nbits + 7) >> 3, hb = (pn_bn_bits(p, P) + 7) >> 3;
    pn_bn_encode(kb->n, nb, n, N);
    pn_bn_encode(kb->d, nb, d, N);
    kb->d_len = nb;
    kb->e[0] = (uint8_t)(e >> 24), kb->e[1] = (uint8_t)(e >> 16);
    kb->e[2] = (uint8_t)(e >> 8), kb->e[3] = (uint8_t)e;
    pn_bn_encode(kb->p, hb, p, P);
    pn_bn_encode(kb->q, hb, q, P);
    pn_bn_encode(kb->dp, hb, dp, P);
    pn_bn_encode(kb->dq, hb, dq, P);
    pn_bn_encode(kb->qinv, hb, qinv, P);
    kb->pub.n = kb->n, kb->pub.n_len = nb;
    kb->pub.e = kb->e, kb->pub.e_len = sizeof kb->e;
    kb->priv.n_bits = (uint32_t)nbits;
    kb->priv.p = kb->p, kb->priv.q = kb->q, kb->priv.dp = kb->dp, kb->priv.dq = kb->dq;
    kb->priv.qinv = kb->qinv;
    kb->priv.p_len = kb->priv.q_len = kb->priv.dp_len = kb->priv.dq_len = hb;
    kb->priv.qinv_len = hb;
    kb->priv.e = kb->e, kb->priv.e_len = sizeof kb->e;
}

/* dp, dq and qinv from p > q (P limbs) and e; 0 when e is not invertible. */
static int crt_params(pn_limb *dp, pn_limb *dq, pn_limb *qinv, const pn_limb *p, const pn_limb *q,
                      size_t P, uint32_t e, pn_limb *tmp /* 5P+2 */)
{
    pn_limb *pm1 = tmp, *out = tmp + P; /* out: P + 1 limbs */
    pn_bn_copy(pm1, p, P);
    pm1[0] ^= 1;
    if (!inv_e(out, pm1, P, e))
        return 0;
    pn_bn_copy(dp, out, P);
    pn_bn_copy(pm1, q, P);
    pm1[0] ^= 1;
    if (!inv_e(out, pm1, P, e))
        return 0;
    pn_bn_copy(dq, out, P);
    return (int)pn_bn_mod_inv(qinv, q, p, P, pn_bn_bits(p, P), tmp + 2 * P + 1, NULL);
}

/* FIPS 186-4 B.3.1 / RFC 8017 3.2 consistency: sign-then-verify one value. */
static int pairwise_check(const pn_rsa_keybuf *kb, pn_rng_fn rng, void *rng_ctx, void *work,
                          size_t work_len)
{
    uint8_t block[PN_RSA_MAX_BYTES], ref[PN_RSA_MAX_BYTES];
    size_t k = kb->pub.n_len, i;
    int rc;
    for (i = 0; i < k; i++)
        block[i] = (uint8_t)(i * 37 + 11);
    block[0] = 0;
    memcpy(ref, block, k);
    rc = private_core(&kb->priv, block, k, rng, rng_ctx, work, work_len);
    if (rc < 0)
        return rc;
    pn_bn_wipe(work, work_len);
    rc = pn_rsa_public_op(&kb->pub, block, k);
    if (rc < 0)
        return rc;
    return memcmp(block, ref, k) == 0 ? PN_OK : PN_ERR_CRYPTO_KEY;
}

int pn_rsa_generate_work(pn_rsa_keybuf *kb, unsigned bits, pn_rng_fn rng, void *rng_ctx, void *work,
                         size_t work_len)
{
    size_t P, N, hbits = bits / 2, attempt;
    pn_limb *p, *q, *n, *phi, *d, *dp, *dq, *qinv, *tmp, *mrwork;
    carver cv;
    int rc;
    if (kb == NULL || rng == NULL)
        return PN_ERR_ARG;
    if (bits < 1024 || bits > PN_RSA_MAX_BITS || bits % 64 != 0)
        return PN_ERR_CRYPTO_KEYSIZE;
    P = PN_BN_LIMBS(hbits);
    N = PN_BN_LIMBS(bits);
    carver_init(&cv, work, work_len);
    p = take(&cv, P);
    q = take(&cv, P);
    dp = take(&cv, P);
    dq = take(&cv, P);
    qinv = take(&cv, P);
    n = take(&cv, N);
    phi = take(&cv, N + 1);
    d = take(&cv, N + 1);
    tmp = take(&cv, 2 * P + 1 + PN_BN_INV_TMP(P));
    mrwork = take(&cv, PN_BN_PRIME_WORK(P));
    if (mrwork == NULL)
        return PN_ERR_BUFSIZE;
    for (attempt = 0; attempt < 8; attempt++) {
        rc = gen_prime(p, P, hbits, rng, rng_ctx, mrwork);
        if (rc < 0)
            goto out;
        rc = gen_prime(q, P, hbits, rng, rng_ctx, mrwork);
        if (rc < 0)
            goto out;
        pn_bn_cswap(p, q, pn_bn_lt(p, q, P), P);
        /* FIPS 186-4 B.3.3 step 5.4: |p - q| > 2^(nlen/2 - 100). */
        pn_bn_sub(tmp, p, q, P);
        if (pn_bn_bits(tmp, P) <= hbits - 100)
            continue;
        pn_bn_mul(n, p, P, q, P);
        /* d = e^-1 mod (p-1)(q-1) (RFC 8017 3.2 allows phi or lambda). */
        pn_bn_copy(tmp, p, P);
        tmp[0] ^= 1;
        pn_bn_copy(tmp + P, q, P);
        tmp[P] ^= 1;
        pn_bn_mul(phi, tmp, P, tmp + P, P);
        if (!inv_e(d, phi, N, KEYGEN_E))
            continue;
        /* FIPS 186-4 B.3.1 criterion 3: d > 2^(nlen/2). */
        if (pn_bn_bits(d, N) <= hbits)
            continue;
        if (!crt_params(dp, dq, qinv, p, q, P, KEYGEN_E, tmp))
            continue;
        keybuf_fill(kb, bits, n, N, d, p, q, dp, dq, qinv, P, KEYGEN_E);
        pn_bn_wipe(work, work_len);
        rc = pairwise_check(kb, rng, rng_ctx, work, work_len);
        goto out;
    }
    rc = PN_ERR_CRYPTO_ENTROPY;
out:
    pn_bn_wipe(work, work_len);
    if (rc < 0)
        pn_bn_wipe(kb, sizeof *kb);
    return rc;
}

#if PN_RSA_STACK_WORK
int pn_rsa_generate(pn_rsa_keybuf *kb, unsigned bits, pn_rng_fn rng, void *rng_ctx)
{
    pn_rsa_work w;
    return pn_rsa_generate_work(kb, bits, rng, rng_ctx, &w, sizeof w);
}
#endif

/* n = p*q from n, e, d: e*d - 1 = 2^t r is a multiple of lambda(n), so for most g the
 * sequence g^r, g^2r, ... reaches 1 through a square root of 1 other than +-1, and
 * gcd(root -+ 1, n) are the factors (RFC 8017 leaves this to the implementation; this
 * is the method of NIST SP 800-56B Appendix C). */
#if PN_RSA_STACK_WORK
int pn_rsa_from_ned(pn_rsa_keybuf *kb, const uint8_t *n_in, size_t n_len, const uint8_t *e_in,
                    size_t e_len, const uint8_t *d_in, size_t d_len)
{
    static const uint8_t bases[] = {2,  3,  5,  7,  11, 13, 17, 19, 23, 29, 31, 37, 41,
                                    43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97};
    pn_rsa_work w;
    const uint8_t *nb, *eb, *db;
    size_t N, P, nbits, t, i, j, bi;
    pn_limb *n, *kk, *x, *y, *one, *mone, *mt, *table, *pf, *qf, *tmp, *dd, *inv;
    pn_limb eh;
    uint32_t e = 0;
    pn_bn_mont mc;
    carver cv;
    int rc = PN_ERR_CRYPTO_KEY;

    if (kb == NULL || n_in == NULL || e_in == NULL || d_in == NULL)
        return PN_ERR_ARG;
    nb = strip(n_in, &n_len);
    eb = strip(e_in, &e_len);
    db = strip(d_in, &d_len);
    if (n_len > PN_RSA_MAX_BYTES || bytes_bits(nb, n_len) < MIN_BITS)
        return PN_ERR_CRYPTO_KEYSIZE;
    if (e_len > 3)
        return PN_ERR_UNSUPPORTED;
    if (check_exponent(eb, e_len) < 0 || d_len == 0 || d_len > n_len || (nb[n_len - 1] & 1) == 0)
        return PN_ERR_CRYPTO_KEY;
    for (i = 0; i < e_len; i++)
        e = e << 8 | eb[i];
    nbits = bytes_bits(nb, n_len);
    N = PN_BN_LIMBS(nbits);
    carver_init(&cv, &w, sizeof w);
    n = take(&cv, N);
    dd = take(&cv, N);
    kk = take(&cv, N + 1);
    x = take(&cv, N);
    y = take(&cv, N);
    one = take(&cv, N);
    mone = take(&cv, N);
    mt = take(&cv, 2 * N + 1);
    table = take(&cv, (PN_BN_TABLE + 1) * N);
    if (table == NULL)
        return PN_ERR_BUFSIZE;
    pn_bn_decode(n, N, nb, n_len);
    pn_bn_decode(dd, N, db, d_len);
    eh = e;
    pn_bn_mul(kk, dd, N, &eh, 1);
    /* kk = e*d - 1 (e*d >= 3 here) */
    for (i = 0; i < N + 1 && kk[i]-- == 0; i++)
        ;
    for (t = 0; t < (N + 1) * PN_LIMB_BITS && !pn_bn_bit(kk, N + 1, 0); t++)
        pn_bn_shr1(kk, 0, N + 1);
    if (t == 0)
        goto out;
    pn_bn_mont_init(&mc, n, N, mt);
    pn_bn_mont_one(one, &mc);
    pn_bn_zero(x, N);
    pn_bn_mod_sub(mone, x, one, n, N);
    for (bi = 0; bi < sizeof bases; bi++) {
        /* x = g in Montgomery form: g copies of R mod n. */
        pn_bn_zero(x, N);
        for (i = 0; i < bases[bi]; i++)
            pn_bn_mod_add(x, x, one, n, N);
        pn_bn_mont_exp_ct(x, x, kk, N + 1, pn_bn_bits(kk, N + 1), one, table, &mc);
        if (pn_bn_eq(x, one, N) || pn_bn_eq(x, mone, N))
            continue;
        for (j = 0; j < t; j++) {
            pn_bn_mont_mul(y, x, x, &mc);
            if (pn_bn_eq(y, one, N))
                goto found;
            if (pn_bn_eq(y, mone, N))
                break;
            pn_bn_copy(x, y, N);
        }
    }
    goto out;
found:
    /* x is a nontrivial square root of 1: p = gcd(x - 1, n), q = gcd(x + 1, n). */
    pf = table, qf = pf + N, inv = qf + N, tmp = inv + N;
    pn_bn_mont_redc(x, x, &mc);
    pn_bn_copy(y, x, N); /* y = x - 1; x >= 2 */
    for (i = 0; i < N && y[i]-- == 0; i++)
        ;
    pn_bn_mod_inv(inv, y, n, N, nbits, tmp, pf);
    pn_bn_copy(y, x, N);
    pn_bn_add_limb(y, 1, N);
    pn_bn_mod_inv(inv, y, n, N, nbits, tmp, qf);
    /* Both factors must be proper and multiply back to n. */
    pn_bn_mul(tmp, pf, N, qf, N);
    if (!pn_bn_eq(tmp, n, N) || !pn_bn_is_zero(tmp + N, N))
        goto out;
    pn_bn_cswap(pf, qf, pn_bn_lt(pf, qf, N), N);
    P = PN_BN_LIMBS(pn_bn_bits(pf, N));
    if ((pn_bn_bits(pf, N) + 7) >> 3 > sizeof kb->p || pn_bn_bits(qf, N) < 2)
        goto out;
    {
        /* Reuse the start of the area for the CRT values (n, dd, x stay as they are). */
        pn_limb *dp = kk, *dq = kk + P, *qinv = y, *ctmp = tmp + 2 * N;
        if (!crt_params(dp, dq, qinv, pf, qf, P, e, ctmp))
            goto out;
        keybuf_fill(kb, nbits, n, N, dd, pf, qf, dp, dq, qinv, P, e);
    }
    /* The stored e is 4 bytes; the views keep them all (leading zeros are allowed). */
    rc = PN_OK;
out:
    pn_bn_wipe(&w, sizeof w);
    return rc;
}
#endif

#if PN_RSA_STACK_WORK
int pn_rsa_is_probable_prime(const uint8_t *xb, size_t len, unsigned rounds, pn_rng_fn rng,
                             void *rng_ctx)
{
    pn_rsa_work w;
    pn_limb *x, *work;
    size_t L, bits;
    carver cv;
    int rc;
    if (xb == NULL && len)
        return PN_ERR_ARG;
    xb = strip(xb, &len);
    if (len > PN_RSA_MAX_BYTES)
        return PN_ERR_RANGE;
    bits = bytes_bits(xb, len);
    if (bits < 2)
        return 0;
    if ((xb[len - 1] & 1) == 0)
        return bits == 2; /* 2 is the only even prime */
    L = PN_BN_LIMBS(bits);
    carver_init(&cv, &w, sizeof w);
    x = take(&cv, L);
    work = take(&cv, PN_BN_PRIME_WORK(L));
    if (work == NULL)
        return PN_ERR_BUFSIZE;
    pn_bn_decode(x, L, xb, len);
    if (!pn_bn_trial_division(x, L))
        return 0;
    if (bits <= 20)
        return 1; /* no factor below 1024 and below 1024^2: prime */
    if (rng == NULL)
        return PN_ERR_ARG;
    rc = pn_bn_miller_rabin(x, L, rounds, rng, rng_ctx, work);
    pn_bn_wipe(&w, sizeof w);
    return rc;
}
#endif
