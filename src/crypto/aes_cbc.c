/* CBC mode (NIST SP 800-38A 6.2) and PKCS#7 padding (RFC 5652 6.3) over the bitsliced
 * AES core.  Encryption is inherently serial (each block needs the previous ciphertext),
 * so it runs one block per core pass; decryption has every input up front and fills
 * every lane of the core (two or four blocks a pass), hence its higher throughput. */
#include <limits.h>

#include "aes_ct.h"

#include "peernet/err.h"
#include "wire/pn_mem.h"

static void xor16(uint8_t *dst, const uint8_t *a, const uint8_t *b)
{
    int i;
    for (i = 0; i < PN_AES_BLOCK; i++)
        dst[i] = (uint8_t)(a[i] ^ b[i]);
}

/* SP 800-38A 6.2: C_j = CIPH(P_j ^ C_{j-1}), C_0 = IV.  One block a pass, so the
 * narrow core; its second lane carries whatever the previous pass left. */
static void cbc_encrypt_blocks(const pn_aes *c, uint8_t chain[PN_AES_BLOCK], const uint8_t *src,
                               uint8_t *dst, size_t len)
{
    uint8_t buf[2 * PN_AES_BLOCK];
    memset(buf + PN_AES_BLOCK, 0, PN_AES_BLOCK);
    for (; len >= PN_AES_BLOCK; len -= PN_AES_BLOCK, src += PN_AES_BLOCK, dst += PN_AES_BLOCK) {
        xor16(buf, src, chain);
        pn_aes_ct_encrypt2(c, buf);
        memcpy(dst, buf, PN_AES_BLOCK);
        memcpy(chain, buf, PN_AES_BLOCK);
    }
    pn_aes_ct_wipe(buf, sizeof buf);
}

/* SP 800-38A 6.2: P_j = CIPH^-1(C_j) ^ C_{j-1}.  The ciphertext is copied before the
 * output is written, so dst may be src. */
static void cbc_decrypt_blocks(const pn_aes *c, uint8_t chain[PN_AES_BLOCK], const uint8_t *src,
                               uint8_t *dst, size_t len)
{
    uint8_t ct[PN_AES_CT_BYTES], buf[PN_AES_CT_BYTES];
    while (len > 0) {
        size_t n = len >= sizeof buf ? sizeof buf : len, i;
        memcpy(ct, src, n);
        memcpy(buf, ct, n);
        if (n < sizeof buf)
            memset(buf + n, 0, sizeof buf - n);
        pn_aes_ct_decrypt(c, buf);
        xor16(dst, buf, chain);
        for (i = PN_AES_BLOCK; i < n; i += PN_AES_BLOCK)
            xor16(dst + i, buf + i, ct + i - PN_AES_BLOCK);
        memcpy(chain, ct + n - PN_AES_BLOCK, PN_AES_BLOCK);
        src += n;
        dst += n;
        len -= n;
    }
    pn_aes_ct_wipe(buf, sizeof buf);
}

int pn_aes_cbc_encrypt(const pn_aes *c, uint8_t iv[PN_AES_BLOCK], const void *in, void *out,
                       size_t len)
{
    if (len % PN_AES_BLOCK != 0)
        return PN_ERR_LENGTH;
    cbc_encrypt_blocks(c, iv, (const uint8_t *)in, (uint8_t *)out, len);
    return PN_OK;
}

int pn_aes_cbc_decrypt(const pn_aes *c, uint8_t iv[PN_AES_BLOCK], const void *in, void *out,
                       size_t len)
{
    if (len % PN_AES_BLOCK != 0)
        return PN_ERR_LENGTH;
    cbc_decrypt_blocks(c, iv, (const uint8_t *)in, (uint8_t *)out, len);
    return PN_OK;
}

size_t pn_aes_cbc_padded_len(size_t len)
{
    size_t full = len - len % PN_AES_BLOCK;
    if (full > (size_t)-1 - PN_AES_BLOCK)
        return 0;
    return full + PN_AES_BLOCK;
}

int pn_aes_cbc_encrypt_pad(const pn_aes *c, const uint8_t iv[PN_AES_BLOCK], const void *in,
                           size_t len, void *out, size_t cap, size_t *needed)
{
    const uint8_t *src = (const uint8_t *)in;
    uint8_t *dst = (uint8_t *)out;
    uint8_t chain[PN_AES_BLOCK], last[PN_AES_BLOCK];
    size_t total = pn_aes_cbc_padded_len(len), full = len - len % PN_AES_BLOCK;
    size_t rest = len - full;
    if (total == 0 || total > (size_t)INT_MAX)
        return PN_ERR_RANGE;
    if (cap < total) {
        if (needed != NULL)
            *needed = total;
        return PN_ERR_BUFSIZE;
    }
    /* RFC 5652 6.3: append k - (len mod k) bytes, each holding that count (1..16).
     * The tail is copied out before the full blocks are written over it in place. */
    if (rest > 0) /* in may be NULL when len is 0 */
        memcpy(last, src + full, rest);
    memset(last + rest, (int)(PN_AES_BLOCK - rest), PN_AES_BLOCK - rest);
    memcpy(chain, iv, PN_AES_BLOCK);
    cbc_encrypt_blocks(c, chain, src, dst, full);
    cbc_encrypt_blocks(c, chain, last, dst + full, PN_AES_BLOCK);
    pn_aes_ct_wipe(last, sizeof last);
    return (int)total;
}

/* All-ones when a < b, else zero, for a, b < 2^31; no branch. */
static uint32_t ct_lt_mask(uint32_t a, uint32_t b)
{
    return 0u - ((a - b) >> 31);
}

int pn_aes_cbc_decrypt_unpad(const pn_aes *c, const uint8_t iv[PN_AES_BLOCK], const void *in,
                             size_t len, void *out, size_t cap, size_t *needed)
{
    uint8_t *dst = (uint8_t *)out;
    uint8_t chain[PN_AES_BLOCK], last[PN_AES_BLOCK];
    uint32_t pad, bad, good;
    size_t body, i;
    if (len == 0 || len % PN_AES_BLOCK != 0)
        return PN_ERR_LENGTH;
    if (len > (size_t)INT_MAX)
        return PN_ERR_RANGE;
    if (cap < len - 1) {
        if (needed != NULL)
            *needed = len - 1;
        return PN_ERR_BUFSIZE;
    }
    body = len - PN_AES_BLOCK;
    memcpy(chain, iv, PN_AES_BLOCK);
    cbc_decrypt_blocks(c, chain, (const uint8_t *)in, dst, body);
    cbc_decrypt_blocks(c, chain, (const uint8_t *)in + body, last, PN_AES_BLOCK);

    /* RFC 5652 6.3: the last byte n must be 1..16 and the last n bytes must all be n.
     * Every byte of the block is examined whatever n is; the verdict is a mask. */
    pad = last[PN_AES_BLOCK - 1];
    bad = ct_lt_mask(pad, 1) | ct_lt_mask(PN_AES_BLOCK, pad);
    for (i = 0; i < PN_AES_BLOCK; i++) {
        uint32_t in_pad = ~ct_lt_mask((uint32_t)i + pad, PN_AES_BLOCK); /* i >= 16 - n */
        uint32_t diff = (uint32_t)last[i] ^ pad;                        /* 0..255 */
        bad |= in_pad & (0u - ((0u - diff) >> 31));
    }
    /* The first 15 bytes always fit (cap >= len - 1); past the plaintext they are
     * padding, which the contract leaves unspecified. */
    memcpy(dst + body, last, PN_AES_BLOCK - 1);
    pn_aes_ct_wipe(last, sizeof last);
    /* Even the verdict is applied without a branch: a bad padding zeroes the output by
     * masking every byte, and the result is selected arithmetically.  Only the caller,
     * reading the return value, learns it. */
    good = ~bad;
    for (i = 0; i < len - 1; i++)
        dst[i] = (uint8_t)(dst[i] & good);
    return (int)(good & (uint32_t)(body + PN_AES_BLOCK - pad)) +
           (int)(bad & 1u) * PN_ERR_CRYPTO_PADDING;
}
