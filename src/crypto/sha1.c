/* SHA-1 (FIPS 180-4 sections 4.1.1, 5.3.1, 6.1).
 *
 * SHA-1 is kept for the protocols that require it (MS-PNRP peer-name hashing, X.509
 * signatures of the era); it is not collision resistant.  As in sha256.c the schedule
 * is a 16-word ring (FIPS 180-4 6.1.3 "alternate method"). */
#include "peernet/hash.h"
#include "peernet/opts.h"
#include "peernet/wire.h"
#include "crypto/md_block.h"
#include "wire/pn_mem.h"

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
/* FIPS 180-4 4.1.1: Ch, Parity, Maj, Parity for the four 20-round stages. */
#define F0(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define F1(x, y, z) ((x) ^ (y) ^ (z))
#define F2(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))
#define K0          0x5a827999u
#define K1          0x6ed9eba1u
#define K2          0x8f1bbcdcu
#define K3          0xca62c1d6u
#define SCHED(w, j)                                                                                \
    ((w)[(j)&15] =                                                                                 \
         ROL((w)[((j) + 13) & 15] ^ (w)[((j) + 8) & 15] ^ (w)[((j) + 2) & 15] ^ (w)[(j)&15], 1))

#if PN_CRYPTO_SMALL

static void sha1_blocks(uint32_t st[5], const uint8_t *p, size_t n)
{
    uint32_t w[16], a, b, c, d, e, t;
    unsigned i;
    for (; n > 0; n--, p += 64) {
        a = st[0];
        b = st[1];
        c = st[2];
        d = st[3];
        e = st[4];
        for (i = 0; i < 80; i++) {
            if (i < 16)
                w[i] = pn_get_u32be(p + 4 * i);
            else
                SCHED(w, i);
            if (i < 20)
                t = F0(b, c, d) + K0;
            else if (i < 40)
                t = F1(b, c, d) + K1;
            else if (i < 60)
                t = F2(b, c, d) + K2;
            else
                t = F1(b, c, d) + K3;
            t += ROL(a, 5) + e + w[i & 15];
            e = d;
            d = c;
            c = ROL(b, 30);
            b = a;
            a = t;
        }
        st[0] += a;
        st[1] += b;
        st[2] += c;
        st[3] += d;
        st[4] += e;
    }
    pn_wipe(w, sizeof w);
}

#else

/* One round with renamed variables instead of the five-way shift of FIPS 180-4
 * 6.1.2 step 4; five rounds bring the names back to where they started. */
#define RND(a, b, c, d, e, F, K, wj)                                                               \
    do {                                                                                           \
        (e) += ROL(a, 5) + F(b, c, d) + (K) + (wj);                                                \
        (b) = ROL(b, 30);                                                                          \
    } while (0)
#define RND5(j, F, K, W)                                                                           \
    RND(a, b, c, d, e, F, K, W((j) + 0));                                                          \
    RND(e, a, b, c, d, F, K, W((j) + 1));                                                          \
    RND(d, e, a, b, c, F, K, W((j) + 2));                                                          \
    RND(c, d, e, a, b, F, K, W((j) + 3));                                                          \
    RND(b, c, d, e, a, F, K, W((j) + 4))
#define RND20(j, F, K, W)                                                                          \
    RND5((j) + 0, F, K, W);                                                                        \
    RND5((j) + 5, F, K, W);                                                                        \
    RND5((j) + 10, F, K, W);                                                                       \
    RND5((j) + 15, F, K, W)
#define WLOAD(j) (w[(j)&15] = pn_get_u32be(p + 4 * ((j)&15)))
#define WNEXT(j) SCHED(w, j)

static void sha1_blocks(uint32_t st[5], const uint8_t *p, size_t n)
{
    uint32_t w[16], a, b, c, d, e;
    for (; n > 0; n--, p += 64) {
        a = st[0];
        b = st[1];
        c = st[2];
        d = st[3];
        e = st[4];
        RND5(0, F0, K0, WLOAD);
        RND5(5, F0, K0, WLOAD);
        RND5(10, F0, K0, WLOAD);
        RND(a, b, c, d, e, F0, K0, WLOAD(15));
        RND(e, a, b, c, d, F0, K0, WNEXT(16));
        RND(d, e, a, b, c, F0, K0, WNEXT(17));
        RND(c, d, e, a, b, F0, K0, WNEXT(18));
        RND(b, c, d, e, a, F0, K0, WNEXT(19));
        RND20(20, F1, K1, WNEXT);
        RND20(40, F2, K2, WNEXT);
        RND20(60, F1, K3, WNEXT);
        st[0] += a;
        st[1] += b;
        st[2] += c;
        st[3] += d;
        st[4] += e;
    }
    pn_wipe(w, sizeof w);
}

#endif

void pn_sha1_init(pn_sha1_ctx *c)
{
    /* FIPS 180-4 5.3.1 */
    c->h[0] = 0x67452301;
    c->h[1] = 0xefcdab89;
    c->h[2] = 0x98badcfe;
    c->h[3] = 0x10325476;
    c->h[4] = 0xc3d2e1f0;
    c->count = 0;
}

void pn_sha1_update(pn_sha1_ctx *c, const void *data, size_t len)
{
    pn_md_absorb(c->h, &c->count, c->buf, data, len, sha1_blocks);
}

void pn_sha1_final(pn_sha1_ctx *c, uint8_t out[PN_SHA1_LEN])
{
    /* FIPS 180-4 5.1.1 padding, as for SHA-256. */
    unsigned i;
    pn_md_pad(c->h, c->count, c->buf, 1, sha1_blocks);
    for (i = 0; i < 5; i++)
        pn_put_u32be(out + 4 * i, c->h[i]);
    pn_wipe(c, sizeof *c);
}

void pn_sha1(const void *data, size_t len, uint8_t out[PN_SHA1_LEN])
{
    pn_sha1_ctx c;
    pn_sha1_init(&c);
    pn_sha1_update(&c, data, len);
    pn_sha1_final(&c, out);
}
