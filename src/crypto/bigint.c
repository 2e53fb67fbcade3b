/* Fixed-capacity big integers: limb arithmetic, Montgomery multiplication (CIOS),
 * constant-time exponentiation and inversion, Miller-Rabin.  See bigint.h. */
#include "crypto/bigint.h"
#include "crypto/ct_check.h"

#include "peernet/err.h"
#include "wire/pn_mem.h"

#define PN_LIMB_MASK ((size_t)PN_LIMB_BITS - 1)

/* a*b + t + c: returns the low limb, leaves the high limb in *c (never overflows).
 * With 64-bit limbs the additions are spelt out on limbs, which compilers turn into
 * add/adc pairs instead of full 128-bit additions (about twice as fast with gcc). */
static inline pn_limb mac(pn_limb a, pn_limb b, pn_limb t, pn_limb *c)
{
#if PN_BIGINT_LIMB64
    pn_dlimb z = (pn_dlimb)a * b;
    pn_limb lo = (pn_limb)z, hi = (pn_limb)(z >> PN_LIMB_BITS);
    lo += t;
    hi += lo < t;
    lo += *c;
    hi += lo < *c;
    *c = hi;
    return lo;
#else
    pn_dlimb z = (pn_dlimb)a * b + t + *c;
    *c = (pn_limb)(z >> PN_LIMB_BITS);
    return (pn_limb)z;
#endif
}

/* r[0..n) += a[0..n) * u; returns the carry limb.  Unrolled by four: the loop overhead
 * is a good share of a 64-bit multiply-accumulate. */
static inline pn_limb mac_row(pn_limb *restrict r, const pn_limb *restrict a, pn_limb u, size_t n)
{
    pn_limb c = 0;
    size_t j = 0;
    for (; j + 4 <= n; j += 4) {
        r[j] = mac(u, a[j], r[j], &c);
        r[j + 1] = mac(u, a[j + 1], r[j + 1], &c);
        r[j + 2] = mac(u, a[j + 2], r[j + 2], &c);
        r[j + 3] = mac(u, a[j + 3], r[j + 3], &c);
    }
    for (; j < n; j++)
        r[j] = mac(u, a[j], r[j], &c);
    return c;
}

/* All-ones when ctl is 1, zero when ctl is 0. */
static pn_limb mask_of(pn_limb ctl)
{
    pn_limb m = (pn_limb)0 - ctl;
    PN_CT_BARRIER(m); /* or clang turns `x & m` into a branch on ctl */
    return m;
}

/* 1 when x is zero, without a branch. */
static pn_limb limb_is_zero(pn_limb x)
{
    return ((x | ((pn_limb)0 - x)) >> (PN_LIMB_BITS - 1)) ^ 1;
}

void pn_bn_wipe(void *p, size_t n)
{
    volatile uint8_t *v = (volatile uint8_t *)p;
    while (n--)
        *v++ = 0;
}

int pn_bn_decode(pn_limb *x, size_t L, const uint8_t *in, size_t len)
{
    size_t i;
    uint8_t excess = 0;
    pn_bn_zero(x, L);
    for (i = 0; i < len; i++) {
        size_t pos = len - 1 - i; /* byte position from the least significant end */
        size_t limb = pos >> (PN_LIMB_SHIFT - 3);
        if (limb < L)
            x[limb] |= (pn_limb)in[i] << ((pos & (PN_LIMB_BYTES - 1)) * 8);
        else
            excess |= in[i];
    }
    /* A mask, not a branch: the verdict on a secret (a CRT value too long for its
     * prime) is the caller's to branch on. */
    return -(int)(((unsigned)excess + 0xFFu) >> 8) & PN_ERR_RANGE;
}

void pn_bn_encode(uint8_t *out, size_t len, const pn_limb *x, size_t L)
{
    size_t i;
    for (i = 0; i < len; i++) {
        size_t pos = len - 1 - i;
        size_t limb = pos >> (PN_LIMB_SHIFT - 3);
        out[i] = limb < L ? (uint8_t)(x[limb] >> ((pos & (PN_LIMB_BYTES - 1)) * 8)) : 0;
    }
}

size_t pn_bn_bits(const pn_limb *x, size_t L)
{
    while (L > 0 && x[L - 1] == 0)
        L--;
    if (L == 0)
        return 0;
    {
        pn_limb top = x[L - 1];
        size_t b = 0;
        while (top) {
            top >>= 1;
            b++;
        }
        return ((L - 1) << PN_LIMB_SHIFT) + b;
    }
}

unsigned pn_bn_bit(const pn_limb *x, size_t L, size_t i)
{
    size_t limb = i >> PN_LIMB_SHIFT;
    return limb < L ? (unsigned)((x[limb] >> (i & PN_LIMB_MASK)) & 1) : 0;
}

void pn_bn_zero(pn_limb *x, size_t L)
{
    size_t i;
    for (i = 0; i < L; i++)
        x[i] = 0;
}

void pn_bn_copy(pn_limb *r, const pn_limb *a, size_t L)
{
    if (r != a)
        memmove(r, a, L * sizeof *r);
}

/* Carries and borrows are computed on limbs (x < y), never through the double-width
 * type: compilers turn this into add/adc and sub/sbb chains. */
static inline pn_limb add_c(pn_limb a, pn_limb b, pn_limb *c)
{
    pn_limb s = a + b, s2 = s + *c;
    *c = (pn_limb)(s < a) | (pn_limb)(s2 < s);
    return s2;
}

static inline pn_limb sub_b(pn_limb a, pn_limb b, pn_limb *bw)
{
    pn_limb d = a - b, d2 = d - *bw;
    *bw = (pn_limb)(a < b) | (pn_limb)(d < *bw);
    return d2;
}

pn_limb pn_bn_add(pn_limb *r, const pn_limb *a, const pn_limb *b, size_t L)
{
    pn_limb c = 0;
    size_t i;
    for (i = 0; i < L; i++)
        r[i] = add_c(a[i], b[i], &c);
    return c;
}

pn_limb pn_bn_sub(pn_limb *r, const pn_limb *a, const pn_limb *b, size_t L)
{
    pn_limb c = 0;
    size_t i;
    for (i = 0; i < L; i++)
        r[i] = sub_b(a[i], b[i], &c);
    return c;
}

pn_limb pn_bn_cadd(pn_limb *r, const pn_limb *b, pn_limb ctl, size_t L)
{
    pn_limb m = mask_of(ctl), c = 0;
    size_t i;
    for (i = 0; i < L; i++)
        r[i] = add_c(r[i], b[i] & m, &c);
    return c;
}

pn_limb pn_bn_csub(pn_limb *r, const pn_limb *b, pn_limb ctl, size_t L)
{
    pn_limb m = mask_of(ctl), c = 0;
    size_t i;
    for (i = 0; i < L; i++)
        r[i] = sub_b(r[i], b[i] & m, &c);
    return c;
}

void pn_bn_ccopy(pn_limb *r, const pn_limb *a, pn_limb ctl, size_t L)
{
    pn_limb m = mask_of(ctl);
    size_t i;
    for (i = 0; i < L; i++)
        r[i] ^= (r[i] ^ a[i]) & m;
}

void pn_bn_cswap(pn_limb *a, pn_limb *b, pn_limb ctl, size_t L)
{
    pn_limb m = mask_of(ctl);
    size_t i;
    for (i = 0; i < L; i++) {
        pn_limb d = (a[i] ^ b[i]) & m;
        a[i] ^= d;
        b[i] ^= d;
    }
}

pn_limb pn_bn_lt(const pn_limb *a, const pn_limb *b, size_t L)
{
    pn_limb c = 0;
    size_t i;
    for (i = 0; i < L; i++)
        (void)sub_b(a[i], b[i], &c);
    return c;
}

pn_limb pn_bn_eq(const pn_limb *a, const pn_limb *b, size_t L)
{
    pn_limb d = 0;
    size_t i;
    for (i = 0; i < L; i++)
        d |= a[i] ^ b[i];
    return limb_is_zero(d);
}

pn_limb pn_bn_is_zero(const pn_limb *x, size_t L)
{
    pn_limb d = 0;
    size_t i;
    for (i = 0; i < L; i++)
        d |= x[i];
    return limb_is_zero(d);
}

void pn_bn_shr1(pn_limb *x, pn_limb in, size_t L)
{
    size_t i;
    for (i = 0; i + 1 < L; i++)
        x[i] = (x[i] >> 1) | (x[i + 1] << (PN_LIMB_BITS - 1));
    if (L > 0)
        x[L - 1] = (x[L - 1] >> 1) | (in << (PN_LIMB_BITS - 1));
}

void pn_bn_mul(pn_limb *r, const pn_limb *a, size_t La, const pn_limb *b, size_t Lb)
{
    size_t i, j;
    pn_bn_zero(r, La + Lb);
    for (i = 0; i < La; i++) {
        pn_limb c = 0, ai = a[i];
        for (j = 0; j < Lb; j++)
            r[i + j] = mac(ai, b[j], r[i + j], &c);
        r[i + Lb] = c;
    }
}

pn_limb pn_bn_add_limb(pn_limb *x, pn_limb w, size_t L)
{
    size_t i;
    for (i = 0; i < L; i++) {
        pn_dlimb z = (pn_dlimb)x[i] + w;
        x[i] = (pn_limb)z;
        w = (pn_limb)(z >> PN_LIMB_BITS);
    }
    return w;
}

uint32_t pn_bn_mod_small(const pn_limb *x, size_t L, uint32_t s)
{
    /* Digits small enough that (r << width) | digit fits 32 bits: only 32-bit division,
     * which every target has (in hardware or a runtime helper), never 64-bit. */
    unsigned width = s <= 0x10000u ? 16 : 8;
    uint32_t r = 0;
    size_t i = L;
    while (i--) {
        int sh = PN_LIMB_BITS;
        while (sh > 0) {
            sh -= (int)width;
            r = ((r << width) | (uint32_t)((x[i] >> sh) & ((1u << width) - 1))) % s;
        }
    }
    return r;
}

/* Inverse of an odd limb modulo 2^PN_LIMB_BITS (Newton: each step doubles the bits). */
static pn_limb limb_inverse(pn_limb a)
{
    pn_limb x = a; /* correct to 3 bits for odd a */
    int i;
    for (i = 0; i < 5; i++)
        x *= 2 - a * x;
    return x;
}

void pn_bn_divexact_small(pn_limb *x, size_t L, uint32_t s)
{
    pn_limb inv = limb_inverse(s), borrow = 0;
    size_t i;
    for (i = 0; i < L; i++) {
        pn_limb t = x[i] - borrow, q;
        pn_limb under = x[i] < borrow;
        q = t * inv;
        x[i] = q;
        /* q*s matches t in the low limb; its high limb is what later limbs owe. */
        borrow = (pn_limb)(((pn_dlimb)q * s) >> PN_LIMB_BITS) + under;
    }
}

/* ---- Montgomery ---------------------------------------------------------------------- */

void pn_bn_mont_init(pn_bn_mont *mc, const pn_limb *m, size_t L, pn_limb *t)
{
    mc->m = m;
    mc->L = L;
    mc->m0i = (pn_limb)0 - limb_inverse(m[0]);
    /* The moduli here are p and q as well as n, so the bit length is found without
     * branching on the limbs; the length itself is public (the key size fixes it), and
     * the exponentiation's step counts are built on it. */
    mc->mbits = pn_bn_bits_ct(m, L);
    PN_CT_DECLASSIFY(&mc->mbits, sizeof mc->mbits);
    mc->t = t;
}

/* Montgomery reduction of t[0..2L] (t < m*R) in place: L passes, each adding the
 * multiple of m that clears the lowest limb; the result t[L..2L] (< 2m) is then brought
 * below m by one masked subtraction into r. */
static void redc_wide(pn_limb *r, pn_limb *restrict t, const pn_bn_mont *mc)
{
    const pn_limb *restrict m = mc->m;
    const pn_limb m0i = mc->m0i;
    const size_t L = mc->L;
    pn_limb carry = 0, borrow;
    size_t i;
    for (i = 0; i < L; i++) {
        pn_limb u = t[i] * m0i, c = 0;
        pn_limb *restrict ti = t + i;
        pn_dlimb z;
        c = mac_row(ti, m, u, L);
        z = (pn_dlimb)t[i + L] + c + carry;
        t[i + L] = (pn_limb)z;
        carry = (pn_limb)(z >> PN_LIMB_BITS);
    }
    borrow = pn_bn_sub(r, t + L, m, L);
    pn_bn_ccopy(r, t + L, borrow & (carry ^ 1), L);
}

/* Product then reduction (separated operand scanning): the product loop and the
 * reduction loop each keep few values live, and squaring can skip half the products. */
void pn_bn_mont_mul(pn_limb *r, const pn_limb *a, const pn_limb *b, const pn_bn_mont *mc)
{
    pn_limb *restrict t = mc->t;
    const size_t L = mc->L;
    size_t i, j;
    if (a == b) {
        pn_bn_mont_sqr(r, a, mc);
        return;
    }
    for (j = 0; j < L; j++)
        t[j] = 0;
    for (i = 0; i < L; i++)
        t[i + L] = mac_row(t + i, b, a[i], L);
    t[2 * L] = 0;
    redc_wide(r, t, mc);
}

void pn_bn_mont_sqr(pn_limb *r, const pn_limb *a, const pn_bn_mont *mc)
{
    pn_limb *restrict t = mc->t;
    const size_t L = mc->L;
    size_t i, j;
    pn_limb c, top;
    /* Cross products a[i]*a[j], i < j, once each; then doubled; then the squares. */
    for (j = 0; j < 2 * L + 1; j++)
        t[j] = 0;
    for (i = 0; i + 1 < L; i++)
        t[i + L] = mac_row(t + 2 * i + 1, a + i + 1, a[i], L - i - 1);
    top = 0;
    for (j = 0; j < 2 * L; j++) {
        pn_limb v = t[j];
        t[j] = (v << 1) | top;
        top = v >> (PN_LIMB_BITS - 1);
    }
    c = 0;
    for (i = 0; i < L; i++) {
        pn_dlimb z = (pn_dlimb)a[i] * a[i];
        pn_dlimb s = (pn_dlimb)t[2 * i] + (pn_limb)z + c;
        t[2 * i] = (pn_limb)s;
        s = (pn_dlimb)t[2 * i + 1] + (pn_limb)(z >> PN_LIMB_BITS) + (pn_limb)(s >> PN_LIMB_BITS);
        t[2 * i + 1] = (pn_limb)s;
        c = (pn_limb)(s >> PN_LIMB_BITS);
    }
    redc_wide(r, t, mc);
}

void pn_bn_mont_redc(pn_limb *r, const pn_limb *a, const pn_bn_mont *mc)
{
    pn_limb *t = mc->t;
    size_t L = mc->L, j;
    for (j = 0; j < L; j++)
        t[j] = a[j];
    for (j = L; j < 2 * L + 1; j++)
        t[j] = 0;
    redc_wide(r, t, mc);
}

/* x = 2x mod m for x < m, in constant time. */
static void mod_double(pn_limb *x, const pn_bn_mont *mc)
{
    size_t L = mc->L, i;
    pn_limb top = x[L - 1] >> (PN_LIMB_BITS - 1), lt;
    for (i = L - 1; i > 0; i--)
        x[i] = (x[i] << 1) | (x[i - 1] >> (PN_LIMB_BITS - 1));
    x[0] <<= 1;
    lt = pn_bn_lt(x, mc->m, L);
    pn_bn_csub(x, mc->m, top | (lt ^ 1), L);
}

void pn_bn_mont_one(pn_limb *one, const pn_bn_mont *mc)
{
    size_t L = mc->L, k = mc->mbits, total = L << PN_LIMB_SHIFT, i;
    /* Start from 2^(k-1) < m and double up to 2^(L*w). */
    pn_bn_zero(one, L);
    one[(k - 1) >> PN_LIMB_SHIFT] = (pn_limb)1 << ((k - 1) & PN_LIMB_MASK);
    for (i = k - 1; i < total; i++)
        mod_double(one, mc);
}

void pn_bn_mont_r2(pn_limb *r2, pn_limb *tmp, const pn_bn_mont *mc)
{
    size_t L = mc->L, total = L << PN_LIMB_SHIFT;
    int bit;
    pn_bn_mont_one(tmp, mc);
    /* tmp is 1 in Montgomery form.  Walk the bits of L*w: squaring the form of 2^j
     * gives the form of 2^2j, doubling gives 2^(j+1); end at 2^(L*w), i.e. R^2. */
    for (bit = 0; ((size_t)2 << bit) <= total; bit++)
        ;
    mod_double(tmp, mc); /* the form of 2^1: the top bit of total */
    while (bit-- > 0) {
        pn_bn_mont_mul(tmp, tmp, tmp, mc);
        if ((total >> bit) & 1)
            mod_double(tmp, mc);
    }
    pn_bn_copy(r2, tmp, L);
}

void pn_bn_mod_add(pn_limb *r, const pn_limb *a, const pn_limb *b, const pn_limb *m, size_t L)
{
    pn_limb c = pn_bn_add(r, a, b, L);
    pn_limb lt = pn_bn_lt(r, m, L);
    pn_bn_csub(r, m, c | (lt ^ 1), L);
}

void pn_bn_mod_sub(pn_limb *r, const pn_limb *a, const pn_limb *b, const pn_limb *m, size_t L)
{
    pn_limb borrow = pn_bn_sub(r, a, b, L);
    pn_bn_cadd(r, m, borrow, L);
}

void pn_bn_mont_import(pn_limb *r, const pn_limb *x, size_t xL, const pn_limb *r2, pn_limb *chunk,
                       const pn_bn_mont *mc)
{
    size_t L = mc->L, chunks = 0, c;
    pn_bn_zero(r, L);
    for (c = 0; c < xL; c += L)
        chunks++;
    /* Horner over L-limb chunks, high first: acc = acc*R + chunk*R (mod m). */
    for (c = chunks; c-- > 0;) {
        size_t base = c * L, n = xL - base < L ? xL - base : L;
        pn_bn_zero(chunk, L);
        pn_bn_copy(chunk, x + base, n);
        pn_bn_mont_mul(r, r, r2, mc);
        pn_bn_mont_mul(chunk, chunk, r2, mc);
        pn_bn_mod_add(r, r, chunk, mc->m, L);
    }
}

static unsigned window_at(const pn_limb *e, size_t eL, size_t pos)
{
    size_t limb = pos >> PN_LIMB_SHIFT;
    if (limb >= eL)
        return 0;
    return (unsigned)(e[limb] >> (pos & PN_LIMB_MASK)) & (PN_BN_TABLE - 1);
}

/* sel = table[idx], reading every entry so the access pattern does not depend on idx. */
static void table_select(pn_limb *sel, const pn_limb *table, unsigned idx, size_t L)
{
    unsigned k;
    size_t j;
    pn_bn_zero(sel, L);
    for (k = 0; k < PN_BN_TABLE; k++) {
        uint32_t d = (uint32_t)(k ^ idx);
        pn_limb m = mask_of((pn_limb)((d - 1u) >> 31));
        const pn_limb *row = table + (size_t)k * L;
        for (j = 0; j < L; j++)
            sel[j] |= row[j] & m;
    }
}

void pn_bn_mont_exp_ct(pn_limb *r, const pn_limb *a, const pn_limb *e, size_t eL, size_t ebits,
                       const pn_limb *one, pn_limb *table, const pn_bn_mont *mc)
{
    size_t L = mc->L, k, pos;
    pn_limb *sel = table + (size_t)PN_BN_TABLE * L;
    pn_bn_copy(table, one, L);
    pn_bn_copy(table + L, a, L);
    for (k = 2; k < PN_BN_TABLE; k++)
        pn_bn_mont_mul(table + k * L, table + (k - 1) * L, a, mc);
    pos = (ebits + PN_BN_WIN - 1) & ~(size_t)(PN_BN_WIN - 1);
    if (pos == 0) {
        pn_bn_copy(r, one, L);
        return;
    }
    pos -= PN_BN_WIN;
    table_select(r, table, window_at(e, eL, pos), L);
    while (pos > 0) {
        int s;
        pos -= PN_BN_WIN;
        for (s = 0; s < PN_BN_WIN; s++)
            pn_bn_mont_mul(r, r, r, mc);
        table_select(sel, table, window_at(e, eL, pos), L);
        pn_bn_mont_mul(r, r, sel, mc);
    }
}

void pn_bn_mont_exp_pub(pn_limb *r, const pn_limb *a, const uint8_t *e, size_t elen, pn_limb *tmp,
                        const pn_bn_mont *mc)
{
    size_t L = mc->L, i;
    int bit, started = 0;
    if (r == a) {
        pn_bn_copy(tmp, a, L);
        a = tmp;
    }
    pn_bn_copy(r, a, L);
    for (i = 0; i < elen; i++) {
        for (bit = 7; bit >= 0; bit--) {
            if (started) {
                pn_bn_mont_mul(r, r, r, mc);
                if ((e[i] >> bit) & 1)
                    pn_bn_mont_mul(r, r, a, mc);
            } else if ((e[i] >> bit) & 1) {
                started = 1; /* the top bit: r = a already */
            }
        }
    }
}

pn_limb pn_bn_mod_inv_simple(pn_limb *r, const pn_limb *x, const pn_limb *m, size_t L, size_t mbits,
                             pn_limb *tmp, pn_limb *gcd)
{
    /* Invariants: a = u*x and b = r*x (mod m), b odd.  Each step makes a even and halves
     * it, so bits(a) + bits(b) drops by one at least: 2*mbits steps reach a = 0, and b is
     * then gcd(x, m). */
    pn_limb *a = tmp, *b = tmp + L, *u = tmp + 2 * L, ok;
    size_t i;
    pn_bn_copy(a, x, L);
    pn_bn_copy(b, m, L);
    pn_bn_zero(u, L);
    u[0] = 1;
    pn_bn_zero(r, L);
    for (i = 0; i < 2 * mbits; i++) {
        pn_limb odd = a[0] & 1, mo = mask_of(odd), ms, ba = 0, bu = 0, mu, c, prev, cur, pa;
        size_t j;
        ms = mask_of(odd & pn_bn_lt(a, b, L));
        /* if odd: (a, u) <-> (b, r) when a < b, then a -= b, u -= r */
        for (j = 0; j < L; j++) {
            pn_limb d = (a[j] ^ b[j]) & ms, e = (u[j] ^ r[j]) & ms;
            a[j] ^= d, b[j] ^= d, u[j] ^= e, r[j] ^= e;
            a[j] = sub_b(a[j], b[j] & mo, &ba);
            u[j] = sub_b(u[j], r[j] & mo, &bu);
        }
        pn_bn_cadd(u, m, bu, L);
        /* a /= 2; u /= 2 mod m (add m first when u is odd) */
        mu = mask_of(u[0] & 1);
        c = 0;
        prev = add_c(u[0], m[0] & mu, &c);
        pa = a[0];
        for (j = 1; j < L; j++) {
            cur = add_c(u[j], m[j] & mu, &c);
            u[j - 1] = (prev >> 1) | (cur << (PN_LIMB_BITS - 1));
            prev = cur;
            a[j - 1] = (pa >> 1) | (a[j] << (PN_LIMB_BITS - 1));
            pa = a[j];
        }
        u[L - 1] = (prev >> 1) | (c << (PN_LIMB_BITS - 1));
        a[L - 1] = pa >> 1;
    }
    if (gcd != NULL)
        pn_bn_copy(gcd, b, L);
    /* b == 1? */
    b[0] ^= 1;
    ok = pn_bn_is_zero(b, L);
    pn_bn_wipe(tmp, 3 * L * sizeof *tmp);
    return ok;
}

/* ---- fast constant-time inverse (binary GCD on word-sized approximations) ------------
 *
 * The binary extended Euclid above, run K steps at a time on one-limb approximations of
 * a and b (their low K bits and their top bits at the current common length), as in
 * T. Pornin, "Optimized Binary GCD for Modular Inversion" (2020): the K steps give
 * update factors (f0, g0, f1, g1), |f| + |g| <= 2^K, applied once to the full numbers
 * and, divided by 2^K in the Montgomery way, to the coefficients.  An approximate step
 * may make a or b negative; the sign is folded back into the factors.  Every operation
 * is masked; the step count depends only on mbits. */

#if PN_BIGINT_LIMB64
__extension__ typedef __int128 pn_sdlimb;
typedef int64_t pn_slimb;
#else
typedef int64_t pn_sdlimb;
typedef int32_t pn_slimb;
#endif
#define GCD_K   (PN_LIMB_BITS / 2 - 1)
#define GCD_LOW (((pn_limb)1 << GCD_K) - 1)

/* All-ones when x != 0. */
static pn_limb mask_nz(pn_limb x)
{
    return mask_of(limb_is_zero(x) ^ 1);
}

/* 1 when a < b (borrow of a - b), without a comparison instruction. */
static pn_limb limb_lt(pn_limb a, pn_limb b)
{
    return ((~a & b) | ((~a | b) & (a - b))) >> (PN_LIMB_BITS - 1);
}

/* Bit length of one limb, in constant time (binary search with masks). */
static size_t limb_bits_ct(pn_limb x)
{
    size_t b = 0;
    int s;
    for (s = PN_LIMB_BITS / 2; s > 0; s >>= 1) {
        pn_limb hi = x >> s, m = mask_nz(hi);
        b += (size_t)s & (size_t)m;
        x = (hi & m) | (x & ~m);
    }
    return b + (size_t)(x & 1);
}

size_t pn_bn_bits_ct(const pn_limb *x, size_t L)
{
    size_t i, res = 0;
    for (i = 0; i < L; i++) {
        size_t nz = (size_t)mask_nz(x[i]), cand = (i << PN_LIMB_SHIFT) + limb_bits_ct(x[i]);
        res ^= (res ^ cand) & nz;
    }
    return res;
}

/* Bit length of max(a, b), at least PN_LIMB_BITS, in constant time. */
static size_t common_bits(const pn_limb *a, const pn_limb *b, size_t L)
{
    size_t i, res = 0;
    for (i = 0; i < L; i++) {
        pn_limb v = a[i] | b[i];
        size_t nz = (size_t)mask_nz(v), cand = (i << PN_LIMB_SHIFT) + limb_bits_ct(v);
        res ^= (res ^ cand) & nz;
    }
    {
        size_t lt = (size_t)mask_of(limb_lt((pn_limb)res, PN_LIMB_BITS));
        res ^= (res ^ (size_t)PN_LIMB_BITS) & lt;
    }
    return res;
}

/* Low GCD_K bits of a, with the PN_LIMB_BITS - GCD_K bits below position n above them. */
static pn_limb approx(const pn_limb *a, size_t L, size_t n)
{
    size_t p = n - (PN_LIMB_BITS - GCD_K), idx = p >> PN_LIMB_SHIFT, j;
    unsigned sh = (unsigned)(p & PN_LIMB_MASK);
    pn_limb lo = 0, hi = 0, top;
    for (j = 0; j < L; j++) {
        lo |= a[j] & ~mask_nz((pn_limb)(j ^ idx));
        hi |= a[j] & ~mask_nz((pn_limb)(j ^ (idx + 1)));
    }
    top = (lo >> sh) | ((hi << 1) << (PN_LIMB_MASK - sh));
    return (a[0] & GCD_LOW) | (top << GCD_K);
}

/* out = |a f + b g| / 2^K (exact); returns 1 when a f + b g was negative. */
static pn_limb comb_shift(pn_limb *out, const pn_limb *a, const pn_limb *b, pn_limb f, pn_limb g,
                          size_t L)
{
    pn_sdlimb carry = 0, z;
    pn_slimb fs = (pn_slimb)f, gs = (pn_slimb)g;
    pn_limb prev = 0, t, top, neg, c;
    size_t j;
    for (j = 0; j < L; j++) {
        z = (pn_sdlimb)a[j] * fs + (pn_sdlimb)b[j] * gs + carry;
        t = (pn_limb)z;
        carry = z >> PN_LIMB_BITS; /* arithmetic shift */
        if (j > 0)
            out[j - 1] = (prev >> GCD_K) | (t << (PN_LIMB_BITS - GCD_K));
        prev = t;
    }
    top = (pn_limb)carry;
    out[L - 1] = (prev >> GCD_K) | (top << (PN_LIMB_BITS - GCD_K));
    neg = top >> (PN_LIMB_BITS - 1);
    /* two's complement negation when negative */
    c = neg;
    for (j = 0; j < L; j++)
        out[j] = add_c(out[j] ^ mask_of(neg), 0, &c);
    return neg;
}

/* out = (u f + v g) / 2^K mod m, for u, v < m: adds the multiple q m (q < 2^K) that
 * clears the low K bits, shifts, and brings the result from (-2m, 3m) into [0, m).
 * w: L + 1 limbs of scratch. */
static void comb_mod(pn_limb *out, const pn_limb *u, const pn_limb *v, pn_limb f, pn_limb g,
                     const pn_limb *m, pn_limb m0i, size_t L, pn_limb *w)
{
    pn_sdlimb carry = 0, z;
    pn_slimb fs = (pn_slimb)f, gs = (pn_slimb)g;
    pn_limb q = ((u[0] * f + v[0] * g) * m0i) & GCD_LOW, prev = 0, t, top;
    size_t j;
    int k;
    for (j = 0; j < L; j++) {
        z = (pn_sdlimb)u[j] * fs + (pn_sdlimb)v[j] * gs + (pn_sdlimb)((pn_dlimb)m[j] * q) + carry;
        t = (pn_limb)z;
        carry = z >> PN_LIMB_BITS;
        if (j > 0)
            w[j - 1] = (prev >> GCD_K) | (t << (PN_LIMB_BITS - GCD_K));
        prev = t;
    }
    top = (pn_limb)carry;
    w[L - 1] = (prev >> GCD_K) | (top << (PN_LIMB_BITS - GCD_K));
    w[L] = (pn_limb)((pn_slimb)top >> GCD_K);
    for (k = 0; k < 2; k++) {
        pn_limb neg = w[L] >> (PN_LIMB_BITS - 1), c = 0;
        for (j = 0; j < L; j++)
            w[j] = add_c(w[j], m[j] & mask_of(neg), &c);
        w[L] += c;
    }
    for (k = 0; k < 2; k++) {
        pn_limb bw = 0, ge;
        for (j = 0; j < L; j++)
            (void)sub_b(w[j], m[j], &bw);
        (void)sub_b(w[L], 0, &bw);
        ge = bw ^ 1;
        bw = 0;
        for (j = 0; j < L; j++)
            w[j] = sub_b(w[j], m[j] & mask_of(ge), &bw);
        w[L] -= bw;
    }
    pn_bn_copy(out, w, L);
}

pn_limb pn_bn_mod_inv(pn_limb *r, const pn_limb *x, const pn_limb *m, size_t L, size_t mbits,
                      pn_limb *tmp, pn_limb *gcd)
{
    pn_limb *a = tmp, *b = a + L, *u = b + L, *na = u + L, *nb = na + L, *nu = nb + L;
    pn_limb *nv = nu + L, *w = nv + L, m0i = (pn_limb)0 - limb_inverse(m[0]), ok;
    size_t it, iters = 2, cnt;
    /* Each round of K steps shortens a and b by K - 2 bits at least; two spare rounds
     * (a round with a = 0 changes nothing that matters). */
    for (cnt = 0; cnt < 2 * mbits; cnt += GCD_K - 2)
        iters++;
    pn_bn_copy(a, x, L);
    pn_bn_copy(b, m, L);
    pn_bn_zero(u, L);
    u[0] = 1;
    pn_bn_zero(r, L);
    for (it = 0; it < iters; it++) {
        size_t n = common_bits(a, b, L);
        pn_limb aa = approx(a, L, n), bb = approx(b, L, n);
        pn_limb f0 = 1, g0 = 0, f1 = 0, g1 = 1, neg;
        int j;
        for (j = 0; j < GCD_K; j++) {
            pn_limb odd = mask_of(aa & 1), sw = odd & mask_of(limb_lt(aa, bb)), t;
            t = (aa ^ bb) & sw, aa ^= t, bb ^= t;
            t = (f0 ^ f1) & sw, f0 ^= t, f1 ^= t;
            t = (g0 ^ g1) & sw, g0 ^= t, g1 ^= t;
            aa -= bb & odd, f0 -= f1 & odd, g0 -= g1 & odd;
            aa >>= 1, f1 <<= 1, g1 <<= 1;
        }
        neg = mask_of(comb_shift(na, a, b, f0, g0, L));
        f0 = (f0 ^ neg) - neg, g0 = (g0 ^ neg) - neg;
        neg = mask_of(comb_shift(nb, a, b, f1, g1, L));
        f1 = (f1 ^ neg) - neg, g1 = (g1 ^ neg) - neg;
        pn_bn_copy(a, na, L);
        pn_bn_copy(b, nb, L);
        comb_mod(nu, u, r, f0, g0, m, m0i, L, w);
        comb_mod(nv, u, r, f1, g1, m, m0i, L, w);
        pn_bn_copy(u, nu, L);
        pn_bn_copy(r, nv, L);
    }
    if (gcd != NULL)
        pn_bn_copy(gcd, b, L);
    b[0] ^= 1;
    ok = pn_bn_is_zero(b, L);
    pn_bn_wipe(tmp, PN_BN_INV_TMP(L) * sizeof *tmp);
    return ok;
}

/* ---- primes ---------------------------------------------------------------------------- */

/* Odd primes below 1024: the trial-division bound. */
static const uint16_t small_primes[] = {
    3,   5,   7,   11,  13,  17,   19,   23,   29,  31,  37,  41,  43,  47,  53,  59,  61,  67,
    71,  73,  79,  83,  89,  97,   101,  103,  107, 109, 113, 127, 131, 137, 139, 149, 151, 157,
    163, 167, 173, 179, 181, 191,  193,  197,  199, 211, 223, 227, 229, 233, 239, 241, 251, 257,
    263, 269, 271, 277, 281, 283,  293,  307,  311, 313, 317, 331, 337, 347, 349, 353, 359, 367,
    373, 379, 383, 389, 397, 401,  409,  419,  421, 431, 433, 439, 443, 449, 457, 461, 463, 467,
    479, 487, 491, 499, 503, 509,  521,  523,  541, 547, 557, 563, 569, 571, 577, 587, 593, 599,
    601, 607, 613, 617, 619, 631,  641,  643,  647, 653, 659, 661, 673, 677, 683, 691, 701, 709,
    719, 727, 733, 739, 743, 751,  757,  761,  769, 773, 787, 797, 809, 811, 821, 823, 827, 829,
    839, 853, 857, 859, 863, 877,  881,  883,  887, 907, 911, 919, 929, 937, 941, 947, 953, 967,
    971, 977, 983, 991, 997, 1009, 1013, 1019, 1021};

int pn_bn_trial_division(const pn_limb *x, size_t L)
{
    size_t i, bits = pn_bn_bits(x, L);
    for (i = 0; i < sizeof small_primes / sizeof small_primes[0]; i++) {
        if (pn_bn_mod_small(x, L, small_primes[i]) == 0)
            return bits <= 10 && x[0] == small_primes[i];
    }
    return 1;
}

int pn_bn_miller_rabin(const pn_limb *w, size_t L, unsigned rounds, pn_rng_fn rng, void *rng_ctx,
                       pn_limb *work)
{
    pn_limb *r2 = work, *one = r2 + L, *mone = one + L, *d = mone + L, *b = d + L, *x = b + L;
    pn_limb *t = x + L, *table = t + 2 * L + 1;
    pn_bn_mont mc;
    size_t s, k, i;
    unsigned round;
    int verdict = 1;

    pn_bn_mont_init(&mc, w, L, t);
    k = mc.mbits;
    /* w - 1 = 2^s * d with d odd; w is odd and > 3 here. */
    pn_bn_copy(d, w, L);
    d[0] ^= 1;
    for (s = 0; !pn_bn_bit(d, L, 0); s++)
        pn_bn_shr1(d, 0, L);
    pn_bn_mont_r2(r2, one, &mc);
    pn_bn_mont_redc(one, r2, &mc);
    pn_bn_zero(x, L);
    pn_bn_mod_sub(mone, x, one, w, L);

    for (round = 0; round < rounds && verdict; round++) {
        unsigned tries;
        int passed;
        /* A random base in [2, w - 2]: below 2^(k-1) < w - 1, and not 0 or 1. */
        for (tries = 0;; tries++) {
            int rc;
            pn_limb small;
            if (tries == 64) {
                verdict = PN_ERR_CRYPTO_ENTROPY;
                goto done;
            }
            rc = rng(rng_ctx, (uint8_t *)b, L * sizeof *b);
            if (rc < 0) {
                verdict = PN_ERR_CRYPTO_ENTROPY;
                goto done;
            }
            for (i = 0; i < L; i++) {
                size_t lo = i << PN_LIMB_SHIFT;
                if (lo >= k - 1)
                    b[i] = 0;
                else if (k - 1 - lo < PN_LIMB_BITS)
                    b[i] &= ((pn_limb)1 << (k - 1 - lo)) - 1;
            }
            small = b[0] >> 1;
            for (i = 1; i < L; i++)
                small |= b[i];
            if (small != 0)
                break;
        }
        pn_bn_mont_mul(b, b, r2, &mc);
        pn_bn_mont_exp_ct(x, b, d, L, k, one, table, &mc);
        passed = (int)(pn_bn_eq(x, one, L) | pn_bn_eq(x, mone, L));
        for (i = 1; i < s && !passed; i++) {
            pn_bn_mont_mul(x, x, x, &mc);
            if (pn_bn_eq(x, mone, L))
                passed = 1;
            else if (pn_bn_eq(x, one, L))
                break;
        }
        if (!passed)
            verdict = 0;
    }
done:
    pn_bn_wipe(work, PN_BN_PRIME_WORK(L) * sizeof *work);
    return verdict;
}
