/* AES block cipher (FIPS 197), constant-time.
 *
 * Why bitsliced: a table-driven AES (T-tables or even a plain 256-byte S-box) indexes
 * memory with key-dependent bytes, which leaks the key through the data cache on any
 * machine that shares one.  Here the state of L blocks is spread over eight words, word i
 * holding bit i of every byte, and SubBytes is computed with the Boyar-Peralta boolean
 * circuit for the S-box (J. Boyar, R. Peralta, "A depth-16 circuit for the AES S-box",
 * 2011), so every round is the same fixed sequence of AND/XOR/NOT and shifts whatever
 * the key and data.  The word is 32 bits with L = 2 blocks on 32-bit cores (Cortex-M)
 * and 64 bits with L = 4 on 64-bit hosts (PN_AES_WORD_BITS in peernet/aes.h): a pass
 * costs the same number of operations either way, so the wide word doubles the
 * throughput of every mode that can feed it four blocks at once.
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

#define AES_LANES PN_AES_CT_LANES
#define ROW_BITS  (4 * AES_LANES) /* bits between rows of a bit plane */

/* A 64-bit mask, cut to the word size (the 32-bit layout uses the low half's pattern). */
#define WMASK(m) ((pn_aes_word)(m##ULL))

static pn_aes_word rotr_w(pn_aes_word x, unsigned n)
{
    return (x >> n) | (x << (PN_AES_WORD_BITS - n));
}

/* Exchange the bits of a at (mask << n) with the bits of b at mask. */
#define PN_AES_SWAPMOVE(a, b, mask, n)                                                             \
    do {                                                                                           \
        pn_aes_word t_ = (((a) >> (n)) ^ (b)) & (mask);                                            \
        (b) ^= t_;                                                                                 \
        (a) ^= t_ << (n);                                                                          \
    } while (0)

/* Transpose the 8x8 bit matrices formed by (word index, bit index within a byte): bit i
 * of byte n of word k moves to bit k of byte n of word i.  Its own inverse. */
static void aes_transpose(pn_aes_word q[8])
{
    const pn_aes_word m1 = WMASK(0x5555555555555555), m2 = WMASK(0x3333333333333333);
    const pn_aes_word m4 = WMASK(0x0F0F0F0F0F0F0F0F);
    PN_AES_SWAPMOVE(q[0], q[1], m1, 1);
    PN_AES_SWAPMOVE(q[2], q[3], m1, 1);
    PN_AES_SWAPMOVE(q[4], q[5], m1, 1);
    PN_AES_SWAPMOVE(q[6], q[7], m1, 1);
    PN_AES_SWAPMOVE(q[0], q[2], m2, 2);
    PN_AES_SWAPMOVE(q[1], q[3], m2, 2);
    PN_AES_SWAPMOVE(q[4], q[6], m2, 2);
    PN_AES_SWAPMOVE(q[5], q[7], m2, 2);
    PN_AES_SWAPMOVE(q[0], q[4], m4, 4);
    PN_AES_SWAPMOVE(q[1], q[5], m4, 4);
    PN_AES_SWAPMOVE(q[2], q[6], m4, 4);
    PN_AES_SWAPMOVE(q[3], q[7], m4, 4);
}

#if AES_LANES == 2
/* Two blocks into bit planes: column c of block b is word 2c+b before the transpose,
 * and a little-endian load puts row r in byte r, giving the layout described above. */
static void aes_load(pn_aes_word q[8], const uint8_t *in)
{
    int col;
    for (col = 0; col < 4; col++) {
        q[2 * col] = pn_get_u32le(in + 4 * col);
        q[2 * col + 1] = pn_get_u32le(in + PN_AES_BLOCK + 4 * col);
    }
    aes_transpose(q);
}

static void aes_store(uint8_t *out, pn_aes_word q[8])
{
    int col;
    aes_transpose(q);
    for (col = 0; col < 4; col++) {
        pn_put_u32le(out + 4 * col, q[2 * col]);
        pn_put_u32le(out + PN_AES_BLOCK + 4 * col, q[2 * col + 1]);
    }
}
#else
/* Byte r of w to byte 2r of the result, and back. */
static uint64_t spread_bytes(uint32_t w)
{
    uint64_t x = w;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
    return (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
}

static uint32_t gather_bytes(uint64_t x)
{
    x &= 0x00FF00FF00FF00FFULL;
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
    return (uint32_t)(x | (x >> 16));
}

/* Four blocks into bit planes.  Before the transpose, word 4*(c & 1) + b holds columns
 * c and c + 2 of block b, row r of the first in byte 2r and of the second in byte 2r + 1,
 * so bit k of byte n lands at 8n + k = 16*row + 4*col + block afterwards. */
static void aes_load(pn_aes_word q[8], const uint8_t *in)
{
    int b, c;
    for (b = 0; b < 4; b++)
        for (c = 0; c < 2; c++)
            q[4 * c + b] = spread_bytes(pn_get_u32le(in + 16 * b + 4 * c)) |
                           spread_bytes(pn_get_u32le(in + 16 * b + 4 * c + 8)) << 8;
    aes_transpose(q);
}

static void aes_store(uint8_t *out, pn_aes_word q[8])
{
    int b, c;
    aes_transpose(q);
    for (b = 0; b < 4; b++)
        for (c = 0; c < 2; c++) {
            pn_put_u32le(out + 16 * b + 4 * c, gather_bytes(q[4 * c + b]));
            pn_put_u32le(out + 16 * b + 4 * c + 8, gather_bytes(q[4 * c + b] >> 8));
        }
}
#endif

/* SubBytes on every byte: the Boyar-Peralta circuit (top linear layer, shared
 * GF(2^4) inversion, bottom linear layer).  u0 is the most significant bit plane. */
static void aes_sbox(pn_aes_word q[8])
{
    pn_aes_word u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
    pn_aes_word u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];
    pn_aes_word t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14;
    pn_aes_word t15, t16, t17, t18, t19, t20, t21, t22, t23, t24, t25, t26, t27;
    pn_aes_word m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15;
    pn_aes_word m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29;
    pn_aes_word m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43;
    pn_aes_word m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57;
    pn_aes_word m58, m59, m60, m61, m62, m63;
    pn_aes_word l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14;
    pn_aes_word l15, l16, l17, l18, l19, l20, l21, l22, l23, l24, l25, l26, l27;
    pn_aes_word l28, l29;

    t1 = u0 ^ u3;
    t2 = u0 ^ u5;
    t3 = u0 ^ u6;
    t4 = u3 ^ u5;
    t5 = u4 ^ u6;
    t6 = t1 ^ t5;
    t7 = u1 ^ u2;
    t8 = u7 ^ t6;
    t9 = u7 ^ t7;
    t10 = t6 ^ t7;
    t11 = u1 ^ u5;
    t12 = u2 ^ u5;
    t13 = t3 ^ t4;
    t14 = t6 ^ t11;
    t15 = t5 ^ t11;
    t16 = t5 ^ t12;
    t17 = t9 ^ t16;
    t18 = u3 ^ u7;
    t19 = t7 ^ t18;
    t20 = t1 ^ t19;
    t21 = u6 ^ u7;
    t22 = t7 ^ t21;
    t23 = t2 ^ t22;
    t24 = t2 ^ t10;
    t25 = t20 ^ t17;
    t26 = t3 ^ t16;
    t27 = t1 ^ t12;

    m1 = t13 & t6;
    m2 = t23 & t8;
    m3 = t14 ^ m1;
    m4 = t19 & u7;
    m5 = m4 ^ m1;
    m6 = t3 & t16;
    m7 = t22 & t9;
    m8 = t26 ^ m6;
    m9 = t20 & t17;
    m10 = m9 ^ m6;
    m11 = t1 & t15;
    m12 = t4 & t27;
    m13 = m12 ^ m11;
    m14 = t2 & t10;
    m15 = m14 ^ m11;
    m16 = m3 ^ m2;
    m17 = m5 ^ t24;
    m18 = m8 ^ m7;
    m19 = m10 ^ m15;
    m20 = m16 ^ m13;
    m21 = m17 ^ m15;
    m22 = m18 ^ m13;
    m23 = m19 ^ t25;
    m24 = m22 ^ m23;
    m25 = m22 & m20;
    m26 = m21 ^ m25;
    m27 = m20 ^ m21;
    m28 = m23 ^ m25;
    m29 = m28 & m27;
    m30 = m26 & m24;
    m31 = m20 & m23;
    m32 = m27 & m31;
    m33 = m27 ^ m25;
    m34 = m21 & m22;
    m35 = m24 & m34;
    m36 = m24 ^ m25;
    m37 = m21 ^ m29;
    m38 = m32 ^ m33;
    m39 = m23 ^ m30;
    m40 = m35 ^ m36;
    m41 = m38 ^ m40;
    m42 = m37 ^ m39;
    m43 = m37 ^ m38;
    m44 = m39 ^ m40;
    m45 = m42 ^ m41;
    m46 = m44 & t6;
    m47 = m40 & t8;
    m48 = m39 & u7;
    m49 = m43 & t16;
    m50 = m38 & t9;
    m51 = m37 & t17;
    m52 = m42 & t15;
    m53 = m45 & t27;
    m54 = m41 & t10;
    m55 = m44 & t13;
    m56 = m40 & t23;
    m57 = m39 & t19;
    m58 = m43 & t3;
    m59 = m38 & t22;
    m60 = m37 & t20;
    m61 = m42 & t1;
    m62 = m45 & t4;
    m63 = m41 & t2;

    l0 = m61 ^ m62;
    l1 = m50 ^ m56;
    l2 = m46 ^ m48;
    l3 = m47 ^ m55;
    l4 = m54 ^ m58;
    l5 = m49 ^ m61;
    l6 = m62 ^ l5;
    l7 = m46 ^ l3;
    l8 = m51 ^ m59;
    l9 = m52 ^ m53;
    l10 = m53 ^ l4;
    l11 = m60 ^ l2;
    l12 = m48 ^ m51;
    l13 = m50 ^ l0;
    l14 = m52 ^ m61;
    l15 = m55 ^ l1;
    l16 = m56 ^ l0;
    l17 = m57 ^ l1;
    l18 = m58 ^ l8;
    l19 = m63 ^ l4;
    l20 = l0 ^ l1;
    l21 = l1 ^ l7;
    l22 = l3 ^ l12;
    l23 = l18 ^ l2;
    l24 = l15 ^ l9;
    l25 = l6 ^ l10;
    l26 = l7 ^ l9;
    l27 = l8 ^ l10;
    l28 = l11 ^ l14;
    l29 = l11 ^ l17;

    q[7] = l6 ^ l24;
    q[6] = ~(l16 ^ l26);
    q[5] = ~(l19 ^ l28);
    q[4] = l6 ^ l21;
    q[3] = l20 ^ l22;
    q[2] = l25 ^ l29;
    q[1] = ~(l13 ^ l27);
    q[0] = ~(l6 ^ l23);
}

/* The inverse of the S-box's affine map (FIPS 197 5.3.2): bit i of the result is
 * b[i+2] ^ b[i+5] ^ b[i+7] ^ d[i] with d = 0x05. */
static void aes_inv_affine(pn_aes_word q[8])
{
    pn_aes_word a0 = q[0], a1 = q[1], a2 = q[2], a3 = q[3];
    pn_aes_word a4 = q[4], a5 = q[5], a6 = q[6], a7 = q[7];
    q[0] = ~(a2 ^ a5 ^ a7);
    q[1] = a3 ^ a6 ^ a0;
    q[2] = ~(a4 ^ a7 ^ a1);
    q[3] = a5 ^ a0 ^ a2;
    q[4] = a6 ^ a1 ^ a3;
    q[5] = a7 ^ a2 ^ a4;
    q[6] = a0 ^ a3 ^ a5;
    q[7] = a1 ^ a4 ^ a6;
}

/* S = A o inv, so inv = A^-1 o S and InvSubBytes = inv o A^-1 = A^-1 o S o A^-1: the
 * forward circuit serves both directions. */
static void aes_inv_sbox(pn_aes_word q[8])
{
    aes_inv_affine(q);
    aes_sbox(q);
    aes_inv_affine(q);
}

/* Row r moves left by r columns: inside lane r, a rotation right by r*L bits. */
static void aes_shift_rows(pn_aes_word q[8])
{
    int i;
    for (i = 0; i < 8; i++) {
        pn_aes_word x = q[i];
#if AES_LANES == 2
        q[i] = (x & 0x000000FFu) | ((x & 0x0000FC00u) >> 2) | ((x & 0x00000300u) << 6) |
               ((x & 0x00F00000u) >> 4) | ((x & 0x000F0000u) << 4) | ((x & 0xC0000000u) >> 6) |
               ((x & 0x3F000000u) << 2);
#else
        q[i] = (x & 0x000000000000FFFFULL) | ((x & 0x00000000FFF00000ULL) >> 4) |
               ((x & 0x00000000000F0000ULL) << 12) | ((x & 0x0000FF0000000000ULL) >> 8) |
               ((x & 0x000000FF00000000ULL) << 8) | ((x & 0xF000000000000000ULL) >> 12) |
               ((x & 0x0FFF000000000000ULL) << 4);
#endif
    }
}

static void aes_inv_shift_rows(pn_aes_word q[8])
{
    int i;
    for (i = 0; i < 8; i++) {
        pn_aes_word x = q[i];
#if AES_LANES == 2
        q[i] = (x & 0x000000FFu) | ((x & 0x00003F00u) << 2) | ((x & 0x0000C000u) >> 6) |
               ((x & 0x00F00000u) >> 4) | ((x & 0x000F0000u) << 4) | ((x & 0xFC000000u) >> 2) |
               ((x & 0x03000000u) << 6);
#else
        q[i] = (x & 0x000000000000FFFFULL) | ((x & 0x000000000FFF0000ULL) << 4) |
               ((x & 0x00000000F0000000ULL) >> 12) | ((x & 0x0000FF0000000000ULL) >> 8) |
               ((x & 0x000000FF00000000ULL) << 8) | ((x & 0xFFF0000000000000ULL) >> 4) |
               ((x & 0x000F000000000000ULL) << 12);
#endif
    }
}

/* MixColumns: out[r] = 2a[r] ^ 3a[r+1] ^ a[r+2] ^ a[r+3] = 2(a[r] ^ a[r+1]) ^ a[r+1] ^
 * (a[r+2] ^ a[r+3]).  rotr by ROW_BITS brings row r+1 down to row r; doubling in GF(2^8) moves
 * each plane up one and folds the top plane into planes 0, 1, 3 and 4 (x^8 = x^4 + x^3 +
 * x + 1).  Rows are ROW_BITS apart. */
static void aes_mix_columns(pn_aes_word q[8])
{
    pn_aes_word r[8], t[8];
    int i;
    for (i = 0; i < 8; i++) {
        r[i] = rotr_w(q[i], ROW_BITS);
        t[i] = q[i] ^ r[i];
    }
    q[0] = t[7] ^ r[0] ^ rotr_w(t[0], 2 * ROW_BITS);
    q[1] = t[0] ^ t[7] ^ r[1] ^ rotr_w(t[1], 2 * ROW_BITS);
    q[2] = t[1] ^ r[2] ^ rotr_w(t[2], 2 * ROW_BITS);
    q[3] = t[2] ^ t[7] ^ r[3] ^ rotr_w(t[3], 2 * ROW_BITS);
    q[4] = t[3] ^ t[7] ^ r[4] ^ rotr_w(t[4], 2 * ROW_BITS);
    q[5] = t[4] ^ r[5] ^ rotr_w(t[5], 2 * ROW_BITS);
    q[6] = t[5] ^ r[6] ^ rotr_w(t[6], 2 * ROW_BITS);
    q[7] = t[6] ^ r[7] ^ rotr_w(t[7], 2 * ROW_BITS);
}

/* InvMixColumns = MixColumns o (a[r] ^ 4(a[r] ^ a[r+2])): the inverse matrix
 * (0e 0b 0d 09) factors as (02 03 01 01) times (05 00 04 00). */
static void aes_inv_mix_columns(pn_aes_word q[8])
{
    pn_aes_word w[8];
    int i;
    for (i = 0; i < 8; i++)
        w[i] = q[i] ^ rotr_w(q[i], 2 * ROW_BITS);
    q[0] ^= w[6];
    q[1] ^= w[6] ^ w[7];
    q[2] ^= w[0] ^ w[7];
    q[3] ^= w[1] ^ w[6];
    q[4] ^= w[2] ^ w[6] ^ w[7];
    q[5] ^= w[3] ^ w[7];
    q[6] ^= w[4];
    q[7] ^= w[5];
    aes_mix_columns(q);
}

static void aes_add_round_key(pn_aes_word q[8], const pn_aes_word *sk)
{
    int i;
    for (i = 0; i < 8; i++)
        q[i] ^= sk[i];
}

void pn_aes_ct_encrypt(const pn_aes *c, uint8_t buf[PN_AES_CT_BYTES])
{
    pn_aes_word q[8];
    unsigned r;
    aes_load(q, buf);
    aes_add_round_key(q, c->sk);
    for (r = 1; r < c->rounds; r++) {
        aes_sbox(q);
        aes_shift_rows(q);
        aes_mix_columns(q);
        aes_add_round_key(q, c->sk + 8 * r);
    }
    aes_sbox(q);
    aes_shift_rows(q);
    aes_add_round_key(q, c->sk + 8 * c->rounds);
    aes_store(buf, q);
}

void pn_aes_ct_decrypt(const pn_aes *c, uint8_t buf[PN_AES_CT_BYTES])
{
    pn_aes_word q[8];
    unsigned r;
    aes_load(q, buf);
    aes_add_round_key(q, c->sk + 8 * c->rounds);
    for (r = c->rounds - 1; r > 0; r--) {
        aes_inv_shift_rows(q);
        aes_inv_sbox(q);
        aes_add_round_key(q, c->sk + 8 * r);
        aes_inv_mix_columns(q);
    }
    aes_inv_shift_rows(q);
    aes_inv_sbox(q);
    aes_add_round_key(q, c->sk);
    aes_store(buf, q);
}

/* SubWord through the same circuit (one word in one lane), so the key schedule does
 * not index a table with key bytes either. */
static uint32_t aes_sub_word(uint32_t x)
{
    pn_aes_word q[8];
    int i;
    q[0] = x;
    for (i = 1; i < 8; i++)
        q[i] = 0;
    aes_transpose(q);
    aes_sbox(q);
    aes_transpose(q);
    x = (uint32_t)q[0];
    pn_aes_ct_wipe(q, sizeof q);
    return x;
}

int pn_aes_init(pn_aes *c, const uint8_t *key, size_t key_len)
{
    /* FIPS 197 5.2: Nk key words, Nr = Nk + 6 rounds, 4 (Nr + 1) schedule words.  Words
     * are little-endian here (first key byte in the low bits), so RotWord is a rotation
     * right by 8 and Rcon goes into the low byte. */
    uint32_t w[4 * (PN_AES_MAX_ROUNDS + 1)];
    uint32_t rcon = 1;
    pn_aes_word q[8];
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
    /* Each round key goes into every block lane. */
    for (r = 0; r <= c->rounds; r++) {
        for (lane = 0; lane < AES_LANES; lane++)
            for (col = 0; col < 4; col++)
                pn_put_u32le(rk + PN_AES_BLOCK * lane + 4 * col, w[4 * r + (unsigned)col]);
        aes_load(q, rk);
        memcpy(c->sk + 8 * r, q, sizeof q);
    }
    pn_aes_ct_wipe(w, sizeof w);
    pn_aes_ct_wipe(q, sizeof q);
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
    uint8_t buf[PN_AES_CT_BYTES];
    memcpy(buf, in, PN_AES_BLOCK);
    memset(buf + PN_AES_BLOCK, 0, sizeof buf - PN_AES_BLOCK);
    pn_aes_ct_encrypt(c, buf);
    memcpy(out, buf, PN_AES_BLOCK);
}

void pn_aes_decrypt_block(const pn_aes *c, const uint8_t in[PN_AES_BLOCK],
                          uint8_t out[PN_AES_BLOCK])
{
    uint8_t buf[PN_AES_CT_BYTES];
    memcpy(buf, in, PN_AES_BLOCK);
    memset(buf + PN_AES_BLOCK, 0, sizeof buf - PN_AES_BLOCK);
    pn_aes_ct_decrypt(c, buf);
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
