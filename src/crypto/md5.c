/* MD5 (RFC 1321 section 3).
 *
 * MD5 is broken for collision resistance; peernet has it only where a protocol or a
 * legacy certificate names it.  Words are little-endian (RFC 1321 3.4), unlike SHA. */
#include "peernet/hash.h"
#include "peernet/opts.h"
#include "peernet/wire.h"
#include "crypto/md_block.h"
#include "wire/pn_mem.h"

/* RFC 1321 3.4: T[i] is the integer part of 2^32 * |sin(i)|, i counted from 1. */
static const uint32_t md5_t[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

#define ROL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
/* RFC 1321 3.4 auxiliary functions; F and G rewritten with one operation less. */
#define F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define G(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define I(x, y, z) ((y) ^ ((x) | ~(z)))

#if PN_CRYPTO_SMALL

/* Per round: shift amounts (4 per round) and the message-word index as start + step*i
 * modulo 16 (RFC 1321 3.4 rounds 1..4). */
static const uint8_t md5_s[16] = {7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

static void md5_blocks(uint32_t st[4], const uint8_t *p, size_t n)
{
    uint32_t x[16], a, b, c, d, f, t;
    unsigned i, k;
    for (; n > 0; n--, p += 64) {
        for (i = 0; i < 16; i++)
            x[i] = pn_get_u32le(p + 4 * i);
        a = st[0];
        b = st[1];
        c = st[2];
        d = st[3];
        for (i = 0; i < 64; i++) {
            switch (i >> 4) {
            case 0:
                f = F(b, c, d);
                k = i;
                break;
            case 1:
                f = G(b, c, d);
                k = 1 + 5 * i;
                break;
            case 2:
                f = H(b, c, d);
                k = 5 + 3 * i;
                break;
            default:
                f = I(b, c, d);
                k = 7 * i;
                break;
            }
            t = a + f + md5_t[i] + x[k & 15];
            a = d;
            d = c;
            c = b;
            b += ROL(t, md5_s[((i >> 4) << 2) | (i & 3)]);
        }
        st[0] += a;
        st[1] += b;
        st[2] += c;
        st[3] += d;
    }
    pn_wipe(x, sizeof x);
}

#else

/* One step of RFC 1321 3.4: a = b + ((a + fn(b,c,d) + X[k] + T[i]) <<< s). */
#define STEP(fn, a, b, c, d, k, s, i)                                                              \
    do {                                                                                           \
        (a) += fn(b, c, d) + x[k] + md5_t[i];                                                      \
        (a) = (b) + ROL(a, s);                                                                     \
    } while (0)

static void md5_blocks(uint32_t st[4], const uint8_t *p, size_t n)
{
    uint32_t x[16], a, b, c, d;
    unsigned i;
    for (; n > 0; n--, p += 64) {
        for (i = 0; i < 16; i++)
            x[i] = pn_get_u32le(p + 4 * i);
        a = st[0];
        b = st[1];
        c = st[2];
        d = st[3];
        STEP(F, a, b, c, d, 0, 7, 0);
        STEP(F, d, a, b, c, 1, 12, 1);
        STEP(F, c, d, a, b, 2, 17, 2);
        STEP(F, b, c, d, a, 3, 22, 3);
        STEP(F, a, b, c, d, 4, 7, 4);
        STEP(F, d, a, b, c, 5, 12, 5);
        STEP(F, c, d, a, b, 6, 17, 6);
        STEP(F, b, c, d, a, 7, 22, 7);
        STEP(F, a, b, c, d, 8, 7, 8);
        STEP(F, d, a, b, c, 9, 12, 9);
        STEP(F, c, d, a, b, 10, 17, 10);
        STEP(F, b, c, d, a, 11, 22, 11);
        STEP(F, a, b, c, d, 12, 7, 12);
        STEP(F, d, a, b, c, 13, 12, 13);
        STEP(F, c, d, a, b, 14, 17, 14);
        STEP(F, b, c, d, a, 15, 22, 15);
        STEP(G, a, b, c, d, 1, 5, 16);
        STEP(G, d, a, b, c, 6, 9, 17);
        STEP(G, c, d, a, b, 11, 14, 18);
        STEP(G, b, c, d, a, 0, 20, 19);
        STEP(G, a, b, c, d, 5, 5, 20);
        STEP(G, d, a, b, c, 10, 9, 21);
        STEP(G, c, d, a, b, 15, 14, 22);
        STEP(G, b, c, d, a, 4, 20, 23);
        STEP(G, a, b, c, d, 9, 5, 24);
        STEP(G, d, a, b, c, 14, 9, 25);
        STEP(G, c, d, a, b, 3, 14, 26);
        STEP(G, b, c, d, a, 8, 20, 27);
        STEP(G, a, b, c, d, 13, 5, 28);
        STEP(G, d, a, b, c, 2, 9, 29);
        STEP(G, c, d, a, b, 7, 14, 30);
        STEP(G, b, c, d, a, 12, 20, 31);
        STEP(H, a, b, c, d, 5, 4, 32);
        STEP(H, d, a, b, c, 8, 11, 33);
        STEP(H, c, d, a, b, 11, 16, 34);
        STEP(H, b, c, d, a, 14, 23, 35);
        STEP(H, a, b, c, d, 1, 4, 36);
        STEP(H, d, a, b, c, 4, 11, 37);
        STEP(H, c, d, a, b, 7, 16, 38);
        STEP(H, b, c, d, a, 10, 23, 39);
        STEP(H, a, b, c, d, 13, 4, 40);
        STEP(H, d, a, b, c, 0, 11, 41);
        STEP(H, c, d, a, b, 3, 16, 42);
        STEP(H, b, c, d, a, 6, 23, 43);
        STEP(H, a, b, c, d, 9, 4, 44);
        STEP(H, d, a, b, c, 12, 11, 45);
        STEP(H, c, d, a, b, 15, 16, 46);
        STEP(H, b, c, d, a, 2, 23, 47);
        STEP(I, a, b, c, d, 0, 6, 48);
        STEP(I, d, a, b, c, 7, 10, 49);
        STEP(I, c, d, a, b, 14, 15, 50);
        STEP(I, b, c, d, a, 5, 21, 51);
        STEP(I, a, b, c, d, 12, 6, 52);
        STEP(I, d, a, b, c, 3, 10, 53);
        STEP(I, c, d, a, b, 10, 15, 54);
        STEP(I, b, c, d, a, 1, 21, 55);
        STEP(I, a, b, c, d, 8, 6, 56);
        STEP(I, d, a, b, c, 15, 10, 57);
        STEP(I, c, d, a, b, 6, 15, 58);
        STEP(I, b, c, d, a, 13, 21, 59);
        STEP(I, a, b, c, d, 4, 6, 60);
        STEP(I, d, a, b, c, 11, 10, 61);
        STEP(I, c, d, a, b, 2, 15, 62);
        STEP(I, b, c, d, a, 9, 21, 63);
        st[0] += a;
        st[1] += b;
        st[2] += c;
        st[3] += d;
    }
    pn_wipe(x, sizeof x);
}

#endif

void pn_md5_init(pn_md5_ctx *c)
{
    /* RFC 1321 3.3 (the words A..D written as numbers) */
    c->h[0] = 0x67452301;
    c->h[1] = 0xefcdab89;
    c->h[2] = 0x98badcfe;
    c->h[3] = 0x10325476;
    c->count = 0;
}

void pn_md5_update(pn_md5_ctx *c, const void *data, size_t len)
{
    pn_md_absorb(c->h, &c->count, c->buf, data, len, md5_blocks);
}

void pn_md5_final(pn_md5_ctx *c, uint8_t out[PN_MD5_LEN])
{
    /* RFC 1321 3.1-3.2: as SHA's padding but the bit length is little-endian. */
    unsigned i;
    pn_md_pad(c->h, c->count, c->buf, 0, md5_blocks);
    for (i = 0; i < 4; i++)
        pn_put_u32le(out + 4 * i, c->h[i]);
    pn_wipe(c, sizeof *c);
}

void pn_md5(const void *data, size_t len, uint8_t out[PN_MD5_LEN])
{
    pn_md5_ctx c;
    pn_md5_init(&c);
    pn_md5_update(&c, data, len);
    pn_md5_final(&c, out);
}
