/* SHA-256 (FIPS 180-4 sections 4.1.2, 5.3.3, 6.2).
 *
 * Two compression functions share the constants: unrolled rounds for speed, and a
 * single rolled round for small targets (PN_CRYPTO_SMALL).  The message schedule is a
 * 16-word ring: FIPS 180-4 6.2.2 step 1 only ever looks 16 words back, so 64 bytes
 * of schedule suffice and are all that needs wiping. */
#include "peernet/hash.h"
#include "peernet/opts.h"
#include "peernet/wire.h"
#include "crypto/md_block.h"
#include "wire/pn_mem.h"

/* FIPS 180-4 4.2.2: fractional parts of the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
/* FIPS 180-4 4.1.2, written with fewer operations but the same truth tables. */
#define CH(x, y, z)  ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))
#define BSIG0(x)     (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define BSIG1(x)     (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define SSIG0(x)     (ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define SSIG1(x)     (ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
/* Schedule word t (t >= 16) computed in place in the ring slot of word t-16. */
#define SCHED(w, j)                                                                                \
    ((w)[(j)&15] += SSIG1((w)[((j) + 14) & 15]) + (w)[((j) + 9) & 15] + SSIG0((w)[((j) + 1) & 15]))

#if PN_CRYPTO_SMALL

static void sha256_blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
    uint32_t w[16], s[8], t1, t2;
    unsigned i;
    for (; n > 0; n--, p += 64) {
        memcpy(s, h, sizeof s);
        for (i = 0; i < 64; i++) {
            if (i < 16)
                w[i] = pn_get_u32be(p + 4 * i);
            else
                SCHED(w, i);
            t1 = s[7] + BSIG1(s[4]) + CH(s[4], s[5], s[6]) + sha256_k[i] + w[i & 15];
            t2 = BSIG0(s[0]) + MAJ(s[0], s[1], s[2]);
            memmove(s + 1, s, 7 * sizeof s[0]);
            s[4] += t1;
            s[0] = t1 + t2;
        }
        for (i = 0; i < 8; i++)
            h[i] += s[i];
    }
    pn_wipe(w, sizeof w);
}

#else

/* One round with the roles of the eight working variables passed in, so the
 * unrolled code renames instead of shifting them (FIPS 180-4 6.2.2 step 3).  kj is the
 * round constant, wj the schedule word. */
#define RND(a, b, c, d, e, f, g, h, kj, wj)                                                        \
    do {                                                                                           \
        uint32_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + (kj) + (wj);                                 \
        (d) += t1_;                                                                                \
        (h) = t1_ + BSIG0(a) + MAJ(a, b, c);                                                       \
    } while (0)
/* Eight rounds starting at round t0 + i.  i is a constant, so the ring indices fold to
 * constants and the schedule stays in registers.  Fully unrolled: about 8% faster
 * than a loop over 16-round groups on x86-64 with gcc -O2. */
#define RND8(t0, i, W)                                                                             \
    RND(a, b, c, d, e, f, g, h, sha256_k[(t0) + (i) + 0], W((i) + 0));                             \
    RND(h, a, b, c, d, e, f, g, sha256_k[(t0) + (i) + 1], W((i) + 1));                             \
    RND(g, h, a, b, c, d, e, f, sha256_k[(t0) + (i) + 2], W((i) + 2));                             \
    RND(f, g, h, a, b, c, d, e, sha256_k[(t0) + (i) + 3], W((i) + 3));                             \
    RND(e, f, g, h, a, b, c, d, sha256_k[(t0) + (i) + 4], W((i) + 4));                             \
    RND(d, e, f, g, h, a, b, c, sha256_k[(t0) + (i) + 5], W((i) + 5));                             \
    RND(c, d, e, f, g, h, a, b, sha256_k[(t0) + (i) + 6], W((i) + 6));                             \
    RND(b, c, d, e, f, g, h, a, sha256_k[(t0) + (i) + 7], W((i) + 7))
#define WLOAD(i) (w[i] = pn_get_u32be(p + 4 * (i)))
#define WNEXT(i) SCHED(w, i)

static void sha256_blocks(uint32_t st[8], const uint8_t *p, size_t n)
{
    uint32_t w[16];
    uint32_t a, b, c, d, e, f, g, h;
    for (; n > 0; n--, p += 64) {
        a = st[0];
        b = st[1];
        c = st[2];
        d = st[3];
        e = st[4];
        f = st[5];
        g = st[6];
        h = st[7];
        RND8(0, 0, WLOAD);
        RND8(0, 8, WLOAD);
        RND8(16, 0, WNEXT);
        RND8(16, 8, WNEXT);
        RND8(32, 0, WNEXT);
        RND8(32, 8, WNEXT);
        RND8(48, 0, WNEXT);
        RND8(48, 8, WNEXT);
        st[0] += a;
        st[1] += b;
        st[2] += c;
        st[3] += d;
        st[4] += e;
        st[5] += f;
        st[6] += g;
        st[7] += h;
    }
    pn_wipe(w, sizeof w);
}

#endif

void pn_sha256_init(pn_sha256_ctx *c)
{
    /* FIPS 180-4 5.3.3 */
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->count = 0;
}

void pn_sha256_update(pn_sha256_ctx *c, const void *data, size_t len)
{
    pn_md_absorb(c->h, &c->count, c->buf, data, len, sha256_blocks);
}

void pn_sha256_final(pn_sha256_ctx *c, uint8_t out[PN_SHA256_LEN])
{
    /* FIPS 180-4 5.1.1: a one bit, zeros, then the bit length as 64 bits. */
    unsigned i;
    pn_md_pad(c->h, c->count, c->buf, 1, sha256_blocks);
    for (i = 0; i < 8; i++)
        pn_put_u32be(out + 4 * i, c->h[i]);
    pn_wipe(c, sizeof *c);
}

void pn_sha256(const void *data, size_t len, uint8_t out[PN_SHA256_LEN])
{
    pn_sha256_ctx c;
    pn_sha256_init(&c);
    pn_sha256_update(&c, data, len);
    pn_sha256_final(&c, out);
}
