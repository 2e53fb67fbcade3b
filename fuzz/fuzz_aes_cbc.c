/* Fuzz harness: AES-CBC with PKCS#7 padding under a fixed key.
 * Invariants: decrypting any bytes never crashes and ends in a length, PN_ERR_LENGTH or
 * PN_ERR_CRYPTO_PADDING; an accepted plaintext re-encrypts to the same ciphertext (valid
 * padding is unique); any bytes round-trip through encrypt and decrypt, in place too. */
#include <stdlib.h>
#include <string.h>

#include "peernet/aes.h"
#include "peernet/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t key[32] = {0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe,
                                    0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
                                    0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7,
                                    0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4};
    static const uint8_t iv[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    static uint8_t pt[4096], ct[4112], buf[4112];
    pn_aes c;
    size_t klen;
    int n, m;
    if (size < 1 || size > 4096)
        return 0;
    /* The first byte picks the key size, so all three schedules are exercised. */
    klen = 16 + 8 * (size_t)(data[0] % 3);
    data++;
    size--;
    if (pn_aes_init(&c, key, klen) != PN_OK)
        abort();
    n = pn_aes_cbc_decrypt_unpad(&c, iv, data, size, pt, sizeof pt, NULL);
    if (n >= 0) {
        if (size % 16 != 0 || n > (int)size - 1 || n < (int)size - 16)
            abort();
        m = pn_aes_cbc_encrypt_pad(&c, iv, pt, (size_t)n, ct, sizeof ct, NULL);
        if (m != (int)size || memcmp(ct, data, size) != 0)
            abort();
    } else if (n != PN_ERR_CRYPTO_PADDING && n != PN_ERR_LENGTH) {
        abort();
    } else if (n == PN_ERR_LENGTH && size != 0 && size % 16 == 0) {
        abort();
    }
    m = pn_aes_cbc_encrypt_pad(&c, iv, data, size, ct, sizeof ct, NULL);
    if (m != (int)pn_aes_cbc_padded_len(size))
        abort();
    memcpy(buf, ct, (size_t)m);
    if (pn_aes_cbc_decrypt_unpad(&c, iv, buf, (size_t)m, buf, sizeof buf, NULL) != (int)size ||
        memcmp(buf, data, size) != 0)
        abort();
    pn_aes_wipe(&c);
    return 0;
}
