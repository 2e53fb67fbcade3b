/* Fuzz harness: PKCS#1 v1.5 verification and the raw public operation against a fixed
 * 1024-bit public key (Wycheproof's rsa_pkcs1_1024_sig_gen key), and with the input as
 * the modulus.  Invariants: never crash or over-read; only the documented results.
 * Input: one mode byte, then the hash (mode 0-3: bare 20 bytes, MD5, SHA-1, SHA-256) and
 * the signature; mode 4: a raw block; mode 5: a modulus; mode 6: prefix length byte,
 * prefix, 20-byte hash, signature. */
#include <stdlib.h>
#include <string.h>

#include "peernet/err.h"
#include "peernet/rsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t fixed_n[] = {
    0xd0, 0x94, 0x1e, 0x63, 0xa9, 0x80, 0xfa, 0x92, 0xfb, 0x25, 0xed, 0x4c, 0x7b, 0x33, 0x07, 0xf8,
    0x27, 0x02, 0x30, 0x34, 0xae, 0x7f, 0x1a, 0x74, 0x91, 0xf0, 0x69, 0x9c, 0xa7, 0x60, 0x72, 0x85,
    0xe6, 0x2a, 0xd8, 0xe9, 0x94, 0xba, 0xc2, 0x1b, 0x8b, 0x6e, 0x30, 0x5e, 0x33, 0x4f, 0x48, 0x74,
    0x06, 0x7d, 0x28, 0xe3, 0x04, 0x23, 0x0d, 0xca, 0x7f, 0x0e, 0x85, 0xf7, 0xce, 0x59, 0x57, 0x70,
    0xb6, 0xe0, 0x54, 0xc9, 0xf8, 0x44, 0xba, 0x86, 0xc0, 0x69, 0x6e, 0xeb, 0xa0, 0x76, 0x9d, 0x8d,
    0x4a, 0x34, 0x7e, 0x8f, 0xe8, 0x5c, 0x72, 0x4a, 0xc1, 0xc4, 0x49, 0x94, 0xaf, 0x18, 0xa3, 0x9e,
    0x71, 0x9f, 0x72, 0x1f, 0x1b, 0xc5, 0x0c, 0x46, 0xa3, 0x9e, 0x6c, 0x07, 0x5f, 0xcd, 0x16, 0x49,
    0xf0, 0x1f, 0x22, 0x60, 0x8c, 0xe7, 0xdc, 0x69, 0x55, 0x50, 0x22, 0x58, 0x33, 0x69, 0x87, 0xd9,
};
static const uint8_t fixed_e[] = {0x01, 0x00, 0x01};

static void expect(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t hash_lens[] = {20, 16, 20, 32};
    pn_rsa_public pub = {fixed_n, sizeof fixed_n, fixed_e, sizeof fixed_e};
    uint8_t block[PN_RSA_MAX_BYTES + 1];
    unsigned mode;
    int rc;
    if (size < 1 || size > 2 * PN_RSA_MAX_BYTES)
        return 0;
    mode = data[0] & 7;
    data++, size--;
    if (mode <= 3 || mode == 7) {
        size_t hl = hash_lens[mode & 3];
        if (size < hl)
            return 0;
        rc = pn_rsa_pkcs1_verify(&pub, (pn_hash_id)(mode & 3), data, hl, data + hl, size - hl);
        expect(rc == PN_OK || rc == PN_ERR_CRYPTO_SIGNATURE);
        /* A valid signature stays valid for exactly this hash. */
        if (rc == PN_OK && size > hl) {
            uint8_t h[32];
            memcpy(h, data, hl);
            h[hl - 1] ^= 1;
            expect(pn_rsa_pkcs1_verify(&pub, (pn_hash_id)(mode & 3), h, hl, data + hl, size - hl) ==
                   PN_ERR_CRYPTO_SIGNATURE);
        }
    } else if (mode == 4) {
        if (size > sizeof block)
            return 0;
        memcpy(block, data, size);
        rc = pn_rsa_public_op(&pub, block, size);
        expect(rc == PN_OK || rc == PN_ERR_RANGE || rc == PN_ERR_LENGTH);
    } else if (mode == 5) {
        pn_rsa_public k2 = {data, size, fixed_e, sizeof fixed_e};
        size_t i, len = size;
        for (i = 0; i < size && data[i] == 0; i++)
            len--;
        if (len > sizeof block)
            return 0;
        memset(block, 0x01, len);
        rc = pn_rsa_public_op(&k2, block, len);
        expect(rc == PN_OK || rc == PN_ERR_RANGE || rc == PN_ERR_CRYPTO_KEY ||
               rc == PN_ERR_CRYPTO_KEYSIZE);
        rc = pn_rsa_pkcs1_verify(&k2, PN_HASH_SHA1, fixed_n, 20, block, len);
        expect(rc == PN_ERR_CRYPTO_SIGNATURE || rc == PN_ERR_CRYPTO_KEY ||
               rc == PN_ERR_CRYPTO_KEYSIZE);
    } else {
        size_t pl;
        if (size < 1)
            return 0;
        pl = data[0];
        data++, size--;
        if (size < pl + 20)
            return 0;
        rc = pn_rsa_pkcs1_verify_prefix(&pub, data, pl, data + pl, 20, data + pl + 20,
                                        size - pl - 20);
        expect(rc == PN_OK || rc == PN_ERR_CRYPTO_SIGNATURE);
    }
    return 0;
}
