/* AES block cipher (FIPS 197), constant-time.
 *
 * Why bitsliced: a table-driven AES (T-tables or even a plain 256-byte S-box) indexes
 * memory with key-dependent bytes, which leaks the key through the data cache on any
 * machine that shares one.  Here the state of L blocks is spread over eight words, word i
 * holding bit i of every byte, and SubBytes is computed with the Boyar-Peralta boolean
 * circuit for the S-box (J. Boyar, R. Peralta, "A depth-16 circuit for the AES S-box",
 * 2011), so every round is the same fixed sequence of AND/XOR/NOT and shifts whatever
 * the key and data.  The core (aes_core.h) is built for 32-bit words with L = 2 blocks
 * everywhere and, on 64-bit hosts (PN_AES_WORD_BITS in peernet/aes.h), also for 64-bit
 * words with L = 4.  A pass costs about the same number of operations either way, so
 * the wide core doubles the throughput of the modes that can feed it four blocks at once
 * (ECB, CBC decryption), and the narrow one is the cheaper pass when only one block is
 * ready (single blocks, CBC encryption, which is serial).
 *
 * Layout of a bit-plane word (p = bit position):  p = 4L*row + L*col + block, for the
 * state byte at row `row`, column `col` of block `block` (0..L-1).  Rows sit 4L bits
 * apart so a rotation by 4L moves every byte to the row above (MixColumns), and the
 * columns of one row sit in one 4L-bit lane so ShiftRows is a rotation inside each lane.
 *
 * No table-based variant is provided (PN_AES_TABLES is not implemented): nothing in
 * peernet's AES use is fast enough to need one, and a non-constant-time fallback is one
 * more thing to audit.
 */
#include "aes_ct.h"

#include "peernet/err.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

void pn_aes_ct_wipe(void *p, size_t n)
{
    volatile uint8_t *v = (volatile uint8_t *)p;
    while (n--)
        *v++ = 0;
}

static uint32_t rotr32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

#define AES_CAT_(a, b) a##_##b
#define AES_CAT(a, b)  AES_CAT_(a, b)

/* Two blocks a pass in 32-bit words: every target has it, and it serves single blocks and
 * CBC encryption (one block a pass whatever the width) at the lowest cost. */
#define AES_W     uint32_t
#define AES_LANES 2
#define AES_F(n)  AES_CAT(n, 2)
#include "aes_core.h"
#undef AES_W
#undef AES_LANES
#undef AES_F

#if PN_AES_WORD_BITS == 64
/* Four blocks a pass in 64-bit words, for the modes that can fill them. */
#define AES_W     uint64_t
#define AES_LANES 4
#define AES_F(n)  AES_CAT(n, 4)
#include "aes_core.h"
#undef AES_W
#undef AES_LANES
#undef AES_F
#endif

void pn_aes_ct_encrypt2(const pn_aes *c, uint8_t buf[2 * PN_AES_BLOCK])
{
    aes_encrypt_2(c->sk, c->rounds, buf);
}

void pn_aes_ct_decrypt2(const pn_aes *c, uint8_t buf[2 * PN_AES_BLOCK])
{
    aes_decrypt_2(c->sk, c->rounds, buf);
}

#if PN_AES_WORD_BITS == 64
void pn_aes_ct_encrypt(const pn_aes *c, uint8_t buf[PN_AES_CT_BYTES])
{
    aes_encrypt_4(c->sk4, c->rounds, buf);
}

void pn_aes_ct_decrypt(const pn_aes *c, uint8_t buf[PN_AES_CT_BYTES])
{
    aes_decrypt_4(c->sk4, c->rounds, buf);
}
#endif

/* SubWord through the same circuit (one word in one lane), so the key schedule does
 * not index a table with key bytes either. */
static uint32_t aes_sub_word(uint32_t x)
{
    uint32_t q[8];
    int i;
    q[0] = x;
    for (i = 1; i < 8; i++)
        q[i] = 0;
    aes_transpose_2(q);
    aes_sbox_2(q);
    aes_transpose_2(q);
    x = q[0];
    pn_aes_ct_wipe(q, sizeof q);
    return x;
}

int pn_aes_init(pn_aes *c, const uint8_t *key, size_t key_len)
{
    /* FIPS 197 5.2: Nk key words, Nr = Nk + 6 rounds, 4 (Nr + 1) schedule words.  Words
     * are little-endian here (first key byte in the low bits), so RotWord is a rotation
     * right by 8 and Rcon goes into the low byte. */
    uint32_t w[4 * (PN_AES_MAX_ROUNDS + 1)];
    uint32_t rcon = 1, q[8];
#if PN_AES_WORD_BITS == 64
    uint64_t q4[8];
#endif
    uint8_t rk[PN_AES_CT_BYTES];
    unsigned nk, nw, i, j, r;
    int col, lane;
    if (key_len != 16 && key_len != 24 && key_len != 32)
        return PN_ERR_CRYPTO_KEYSIZE;
    nk = (unsigned)key_len / 4;
    c->rounds = nk + 6;
    nw = 4 * (c->rounds + 1);
    for (i = 0; i < nk; i++)
        w[i] = pn_get_u32le(key + 4 * i);
    /* j is i mod nk, kept by hand to stay clear of division on cores without it. */
    for (i = nk, j = 0; i < nw; i++, j = j + 1 == nk ? 0 : j + 1) {
        uint32_t t = w[i - 1];
        if (j == 0) {
            t = aes_sub_word(rotr32(t, 8)) ^ rcon;
            /* xtime on the public round constant. */
            rcon = ((rcon << 1) ^ (0x11Bu & (0u - (rcon >> 7)))) & 0xFFu;
        } else if (nk > 6 && j == 4) {
            t = aes_sub_word(t);
        }
        w[i] = w[i - nk] ^ t;
    }
    /* Each round key goes into every block lane of each layout. */
    for (r = 0; r <= c->rounds; r++) {
        for (lane = 0; lane < PN_AES_CT_LANES; lane++)
            for (col = 0; col < 4; col++)
                pn_put_u32le(rk + PN_AES_BLOCK * lane + 4 * col, w[4 * r + (unsigned)col]);
        aes_load_2(q, rk);
        memcpy(c->sk + 8 * r, q, sizeof q);
#if PN_AES_WORD_BITS == 64
        aes_load_4(q4, rk);
        memcpy(c->sk4 + 8 * r, q4, sizeof q4);
#endif
    }
    pn_aes_ct_wipe(w, sizeof w);
    pn_aes_ct_wipe(q, sizeof q);
#if PN_AES_WORD_BITS == 64
    pn_aes_ct_wipe(q4, sizeof q4);
#endif
    pn_aes_ct_wipe(rk, sizeof rk);
    return PN_OK;
}

void pn_aes_wipe(pn_aes *c)
{
    pn_aes_ct_wipe(c, sizeof *c);
}

void pn_aes_encrypt_block(const pn_aes *c, const uint8_t in[PN_AES_BLOCK],
                          uint8_t out[PN_AES_BLOCK])
{
    uint8_t buf[2 * PN_AES_BLOCK];
    memcpy(buf, in, PN_AES_BLOCK);
    memset(buf + PN_AES_BLOCK, 0, PN_AES_BLOCK);
    pn_aes_ct_encrypt2(c, buf);
    memcpy(out, buf, PN_AES_BLOCK);
    pn_aes_ct_wipe(buf, sizeof buf);
}

void pn_aes_decrypt_block(const pn_aes *c, const uint8_t in[PN_AES_BLOCK],
                          uint8_t out[PN_AES_BLOCK])
{
    uint8_t buf[2 * PN_AES_BLOCK];
    memcpy(buf, in, PN_AES_BLOCK);
    memset(buf + PN_AES_BLOCK, 0, PN_AES_BLOCK);
    pn_aes_ct_decrypt2(c, buf);
    memcpy(out, buf, PN_AES_BLOCK);
    pn_aes_ct_wipe(buf, sizeof buf);
}

static int aes_ecb(const pn_aes *c, const void *in, void *out, size_t len, int dec)
{
    const uint8_t *src = (const uint8_t *)in;
    uint8_t *dst = (uint8_t *)out;
    uint8_t buf[PN_AES_CT_BYTES];
    if (len % PN_AES_BLOCK != 0)
        return PN_ERR_LENGTH;
    while (len > 0) {
        size_t n = len >= sizeof buf ? sizeof buf : len;
        memcpy(buf, src, n);
        if (n < sizeof buf)
            memset(buf + n, 0, sizeof buf - n);
        if (dec)
            pn_aes_ct_decrypt(c, buf);
        else
            pn_aes_ct_encrypt(c, buf);
        memcpy(dst, buf, n);
        src += n;
        dst += n;
        len -= n;
    }
    pn_aes_ct_wipe(buf, sizeof buf);
    return PN_OK;
}

int pn_aes_ecb_encrypt(const pn_aes *c, const void *in, void *out, size_t len)
{
    return aes_ecb(c, in, out, len, 0);
}

int pn_aes_ecb_decrypt(const pn_aes *c, const void *in, void *out, size_t len)
{
    return aes_ecb(c, in, out, len, 1);
}
