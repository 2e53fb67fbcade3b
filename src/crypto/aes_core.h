/* Internal to aes.c: the bitsliced AES core, written once for two word sizes.  aes.c
 * includes it once per size (no include guard, on purpose) after defining
 *   AES_W      the word type (uint32_t or uint64_t),
 *   AES_LANES  blocks per pass (2 or 4: one per 16 bits of AES_W),
 *   AES_F(n)   the name of function n for this size,
 * and it leaves none of its own macros defined.  The layout is described in aes.c. */

#define ROW_BITS (4 * AES_LANES) /* bits between rows of a bit plane */
/* A 64-bit mask, cut to the word size (the 32-bit layout uses the low half's pattern). */
#define WMASK(m) ((AES_W)(m##ULL))

static AES_W AES_F(rotr_w)(AES_W x, unsigned n)
{
    return (x >> n) | (x << (16 * AES_LANES - n));
}

/* Exchange the bits of a at (mask << n) with the bits of b at mask. */
#define AES_SWAPMOVE(a, b, mask, n)                                                                \
    do {                                                                                           \
        AES_W t_ = (((a) >> (n)) ^ (b)) & (mask);                                                  \
        (b) ^= t_;                                                                                 \
        (a) ^= t_ << (n);                                                                          \
    } while (0)

/* Transpose the 8x8 bit matrices formed by (word index, bit index within a byte): bit i
 * of byte n of word k moves to bit k of byte n of word i.  Its own inverse. */
static void AES_F(aes_transpose)(AES_W q[8])
{
    const AES_W m1 = WMASK(0x5555555555555555), m2 = WMASK(0x3333333333333333);
    const AES_W m4 = WMASK(0x0F0F0F0F0F0F0F0F);
    AES_SWAPMOVE(q[0], q[1], m1, 1);
    AES_SWAPMOVE(q[2], q[3], m1, 1);
    AES_SWAPMOVE(q[4], q[5], m1, 1);
    AES_SWAPMOVE(q[6], q[7], m1, 1);
    AES_SWAPMOVE(q[0], q[2], m2, 2);
    AES_SWAPMOVE(q[1], q[3], m2, 2);
    AES_SWAPMOVE(q[4], q[6], m2, 2);
    AES_SWAPMOVE(q[5], q[7], m2, 2);
    AES_SWAPMOVE(q[0], q[4], m4, 4);
    AES_SWAPMOVE(q[1], q[5], m4, 4);
    AES_SWAPMOVE(q[2], q[6], m4, 4);
    AES_SWAPMOVE(q[3], q[7], m4, 4);
}

#if AES_LANES == 2
/* Two blocks into bit planes: column c of block b is word 2c+b before the transpose,
 * and a little-endian load puts row r in byte r, giving the layout described above. */
static void AES_F(aes_load)(AES_W q[8], const uint8_t *in)
{
    int col;
    for (col = 0; col < 4; col++) {
        q[2 * col] = pn_get_u32le(in + 4 * col);
        q[2 * col + 1] = pn_get_u32le(in + PN_AES_BLOCK + 4 * col);
    }
    AES_F(aes_transpose)(q);
}

static void AES_F(aes_store)(uint8_t *out, AES_W q[8])
{
    int col;
    AES_F(aes_transpose)(q);
    for (col = 0; col < 4; col++) {
        pn_put_u32le(out + 4 * col, q[2 * col]);
        pn_put_u32le(out + PN_AES_BLOCK + 4 * col, q[2 * col + 1]);
    }
}
#else
/* Byte r of w to byte 2r of the result, and back. */
static uint64_t AES_F(spread_bytes)(uint32_t w)
{
    uint64_t x = w;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
    return (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
}

static uint32_t AES_F(gather_bytes)(uint64_t x)
{
    x &= 0x00FF00FF00FF00FFULL;
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
    return (uint32_t)(x | (x >> 16));
}

/* Four blocks into bit planes.  Before the transpose, word 4*(c & 1) + b holds columns
 * c and c + 2 of block b, row r of the first in byte 2r and of the second in byte 2r + 1,
 * so bit k of byte n lands at 8n + k = 16*row + 4*col + block afterwards. */
static void AES_F(aes_load)(AES_W q[8], const uint8_t *in)
{
    int b, c;
    for (b = 0; b < 4; b++)
        for (c = 0; c < 2; c++)
            q[4 * c + b] = AES_F(spread_bytes)(pn_get_u32le(in + 16 * b + 4 * c)) |
                           AES_F(spread_bytes)(pn_get_u32le(in + 16 * b + 4 * c + 8)) << 8;
    AES_F(aes_transpose)(q);
}

static void AES_F(aes_store)(uint8_t *out, AES_W q[8])
{
    int b, c;
    AES_F(aes_transpose)(q);
    for (b = 0; b < 4; b++)
        for (c = 0; c < 2; c++) {
            pn_put_u32le(out + 16 * b + 4 * c, AES_F(gather_bytes)(q[4 * c + b]));
            pn_put_u32le(out + 16 * b + 4 * c + 8, AES_F(gather_bytes)(q[4 * c + b] >> 8));
        }
}
#endif

/* SubBytes on every byte: the Boyar-Peralta circuit (top linear layer, shared
 * GF(2^4) inversion, bottom linear layer).  u0 is the most significant bit plane. */
static void AES_F(aes_sbox)(AES_W q[8])
{
    AES_W u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
    AES_W u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];
    AES_W t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14;
    AES_W t15, t16, t17, t18, t19, t20, t21, t22, t23, t24, t25, t26, t27;
    AES_W m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15;
    AES_W m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29;
    AES_W m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43;
    AES_W m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57;
    AES_W m58, m59, m60, m61, m62, m63;
    AES_W l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14;
    AES_W l15, l16, l17, l18, l19, l20, l21, l22, l23, l24, l25, l26, l27;
    AES_W l28, l29;

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
static void AES_F(aes_inv_affine)(AES_W q[8])
{
    AES_W a0 = q[0], a1 = q[1], a2 = q[2], a3 = q[3];
    AES_W a4 = q[4], a5 = q[5], a6 = q[6], a7 = q[7];
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
static void AES_F(aes_inv_sbox)(AES_W q[8])
{
    AES_F(aes_inv_affine)(q);
    AES_F(aes_sbox)(q);
    AES_F(aes_inv_affine)(q);
}

/* Row r moves left by r columns: inside lane r, a rotation right by r*L bits. */
static void AES_F(aes_shift_rows)(AES_W q[8])
{
    int i;
    for (i = 0; i < 8; i++) {
        AES_W x = q[i];
#if AES_LANES == 2
        q[i] = (x & 0x000000FFu) | ((x & 0x0000FC00u) >> 2) | ((x & 0x00000300u) << 6) |
               ((x & 0x00F00000u) >> 4) | ((x & 0x000F0000u) << 4) | ((x & 0xC0000000u) >> 6) |
               ((x & 0x3F000000u) << 2);
#else
        /* In 32-bit halves, whose masks fit the immediates of 64-bit hosts. */
        uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
        lo = (lo & 0x0000FFFFu) | ((lo & 0xFFF00000u) >> 4) | ((lo & 0x000F0000u) << 12);
        hi = (hi & 0x000000FFu) << 8 | ((hi >> 8) & 0x000000FFu) | ((hi & 0xF0000000u) >> 12) |
             ((hi & 0x0FFF0000u) << 4);
        q[i] = (uint64_t)hi << 32 | lo;
#endif
    }
}

static void AES_F(aes_inv_shift_rows)(AES_W q[8])
{
    int i;
    for (i = 0; i < 8; i++) {
        AES_W x = q[i];
#if AES_LANES == 2
        q[i] = (x & 0x000000FFu) | ((x & 0x00003F00u) << 2) | ((x & 0x0000C000u) >> 6) |
               ((x & 0x00F00000u) >> 4) | ((x & 0x000F0000u) << 4) | ((x & 0xFC000000u) >> 2) |
               ((x & 0x03000000u) << 6);
#else
        uint32_t lo = (uint32_t)x, hi = (uint32_t)(x >> 32);
        lo = (lo & 0x0000FFFFu) | ((lo & 0x0FFF0000u) << 4) | ((lo & 0xF0000000u) >> 12);
        hi = (hi & 0x000000FFu) << 8 | ((hi >> 8) & 0x000000FFu) | ((hi & 0xFFF00000u) >> 4) |
             ((hi & 0x000F0000u) << 12);
        q[i] = (uint64_t)hi << 32 | lo;
#endif
    }
}

/* MixColumns: out[r] = 2a[r] ^ 3a[r+1] ^ a[r+2] ^ a[r+3] = 2(a[r] ^ a[r+1]) ^ a[r+1] ^
 * (a[r+2] ^ a[r+3]).  rotr by ROW_BITS brings row r+1 down to row r; doubling in GF(2^8) moves
 * each plane up one and folds the top plane into planes 0, 1, 3 and 4 (x^8 = x^4 + x^3 +
 * x + 1).  Rows are ROW_BITS apart. */
static void AES_F(aes_mix_columns)(AES_W q[8])
{
    AES_W r[8], t[8];
    int i;
    for (i = 0; i < 8; i++) {
        r[i] = AES_F(rotr_w)(q[i], ROW_BITS);
        t[i] = q[i] ^ r[i];
    }
    q[0] = t[7] ^ r[0] ^ AES_F(rotr_w)(t[0], 2 * ROW_BITS);
    q[1] = t[0] ^ t[7] ^ r[1] ^ AES_F(rotr_w)(t[1], 2 * ROW_BITS);
    q[2] = t[1] ^ r[2] ^ AES_F(rotr_w)(t[2], 2 * ROW_BITS);
    q[3] = t[2] ^ t[7] ^ r[3] ^ AES_F(rotr_w)(t[3], 2 * ROW_BITS);
    q[4] = t[3] ^ t[7] ^ r[4] ^ AES_F(rotr_w)(t[4], 2 * ROW_BITS);
    q[5] = t[4] ^ r[5] ^ AES_F(rotr_w)(t[5], 2 * ROW_BITS);
    q[6] = t[5] ^ r[6] ^ AES_F(rotr_w)(t[6], 2 * ROW_BITS);
    q[7] = t[6] ^ r[7] ^ AES_F(rotr_w)(t[7], 2 * ROW_BITS);
}

/* InvMixColumns = MixColumns o (a[r] ^ 4(a[r] ^ a[r+2])): the inverse matrix
 * (0e 0b 0d 09) factors as (02 03 01 01) times (05 00 04 00). */
static void AES_F(aes_inv_mix_columns)(AES_W q[8])
{
    AES_W w[8];
    int i;
    for (i = 0; i < 8; i++)
        w[i] = q[i] ^ AES_F(rotr_w)(q[i], 2 * ROW_BITS);
    q[0] ^= w[6];
    q[1] ^= w[6] ^ w[7];
    q[2] ^= w[0] ^ w[7];
    q[3] ^= w[1] ^ w[6];
    q[4] ^= w[2] ^ w[6] ^ w[7];
    q[5] ^= w[3] ^ w[7];
    q[6] ^= w[4];
    q[7] ^= w[5];
    AES_F(aes_mix_columns)(q);
}

static void AES_F(aes_add_round_key)(AES_W q[8], const AES_W *sk)
{
    int i;
    for (i = 0; i < 8; i++)
        q[i] ^= sk[i];
}

static void AES_F(aes_encrypt)(const AES_W *sk, unsigned rounds, uint8_t *buf)
{
    AES_W q[8];
    unsigned r;
    AES_F(aes_load)(q, buf);
    AES_F(aes_add_round_key)(q, sk);
    for (r = 1; r < rounds; r++) {
        AES_F(aes_sbox)(q);
        AES_F(aes_shift_rows)(q);
        AES_F(aes_mix_columns)(q);
        AES_F(aes_add_round_key)(q, sk + 8 * r);
    }
    AES_F(aes_sbox)(q);
    AES_F(aes_shift_rows)(q);
    AES_F(aes_add_round_key)(q, sk + 8 * rounds);
    AES_F(aes_store)(buf, q);
}

static void AES_F(aes_decrypt)(const AES_W *sk, unsigned rounds, uint8_t *buf)
{
    AES_W q[8];
    unsigned r;
    AES_F(aes_load)(q, buf);
    AES_F(aes_add_round_key)(q, sk + 8 * rounds);
    for (r = rounds - 1; r > 0; r--) {
        AES_F(aes_inv_shift_rows)(q);
        AES_F(aes_inv_sbox)(q);
        AES_F(aes_add_round_key)(q, sk + 8 * r);
        AES_F(aes_inv_mix_columns)(q);
    }
    AES_F(aes_inv_shift_rows)(q);
    AES_F(aes_inv_sbox)(q);
    AES_F(aes_add_round_key)(q, sk);
    AES_F(aes_store)(buf, q);
}

#undef ROW_BITS
#undef WMASK
#undef AES_SWAPMOVE
