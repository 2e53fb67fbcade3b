/* AES-128/192/256 (FIPS 197), CBC mode (SP 800-38A) and PKCS#7 padding (RFC 5652 6.3).
 *
 * The block cipher is bitsliced: it never indexes a table with key or data, so its
 * time and memory access pattern do not depend on secrets (see src/crypto/aes.c).
 * Contexts are caller-owned plain structs; nothing is allocated and nothing is global.
 *
 * Buffers: `out` may be exactly `in` (in-place); partially overlapping buffers are not
 * supported.  Lengths of the unpadded calls must be whole blocks.
 */
#ifndef PEERNET_AES_H
#define PEERNET_AES_H

#include <stddef.h>
#include <stdint.h>

#define PN_AES_BLOCK      16
#define PN_AES_MAX_ROUNDS 14

/* Widest word of the bitsliced core: 64 (four blocks per pass, used by ECB and CBC
 * decryption) where pointers are 64-bit, hence registers too, and 32 (two blocks per
 * pass) elsewhere, e.g. on Cortex-M.  Define PN_AES_WORD_BITS to 32 or 64 to choose;
 * both give the same results. */
#ifndef PN_AES_WORD_BITS
#if defined(UINTPTR_MAX) && UINTPTR_MAX > 0xFFFFFFFFu
#define PN_AES_WORD_BITS 64
#else
#define PN_AES_WORD_BITS 32
#endif
#endif
#if PN_AES_WORD_BITS != 32 && PN_AES_WORD_BITS != 64
#error "PN_AES_WORD_BITS must be 32 or 64"
#endif

typedef struct pn_aes {
    /* Round keys in the bitsliced layouts of src/crypto/aes.c, 8 words a round: two
     * blocks a pass, and with 64-bit words also four blocks a pass. */
    uint32_t sk[(PN_AES_MAX_ROUNDS + 1) * 8];
#if PN_AES_WORD_BITS == 64
    uint64_t sk4[(PN_AES_MAX_ROUNDS + 1) * 8];
#endif
    unsigned rounds; /* 10, 12 or 14 */
} pn_aes;

/* Expand a 16-, 24- or 32-byte key.  PN_ERR_CRYPTO_KEYSIZE for any other length. */
int pn_aes_init(pn_aes *c, const uint8_t *key, size_t key_len);
/* Overwrite the round keys so they do not outlive their use. */
void pn_aes_wipe(pn_aes *c);

/* One block. */
void pn_aes_encrypt_block(const pn_aes *c, const uint8_t in[PN_AES_BLOCK],
                          uint8_t out[PN_AES_BLOCK]);
void pn_aes_decrypt_block(const pn_aes *c, const uint8_t in[PN_AES_BLOCK],
                          uint8_t out[PN_AES_BLOCK]);

/* ECB over whole blocks: a building block for modes and tests, never a way to encrypt a
 * message.  PN_OK, or PN_ERR_LENGTH when len is not a multiple of PN_AES_BLOCK. */
int pn_aes_ecb_encrypt(const pn_aes *c, const void *in, void *out, size_t len);
int pn_aes_ecb_decrypt(const pn_aes *c, const void *in, void *out, size_t len);

/* CBC over whole blocks.  iv is the chaining value: it is read first and, on return,
 * holds the last ciphertext block, so a long message may be processed in several calls.
 * PN_OK, or PN_ERR_LENGTH when len is not a multiple of PN_AES_BLOCK (nothing written). */
int pn_aes_cbc_encrypt(const pn_aes *c, uint8_t iv[PN_AES_BLOCK], const void *in, void *out,
                       size_t len);
int pn_aes_cbc_decrypt(const pn_aes *c, uint8_t iv[PN_AES_BLOCK], const void *in, void *out,
                       size_t len);

/* Bytes the padded encryption of len bytes produces: the next multiple of 16 above len
 * (a whole block of padding when len is already a multiple).  0 on size_t overflow. */
size_t pn_aes_cbc_padded_len(size_t len);

/* One-shot CBC encryption of len bytes with PKCS#7 padding.  The IV is only read.
 * Returns the ciphertext length, or PN_ERR_BUFSIZE (with *needed, when not NULL, set to
 * pn_aes_cbc_padded_len(len)) when cap is too small, or PN_ERR_RANGE when the result
 * would not fit an int.  In place: out == in, with cap counting from in. */
int pn_aes_cbc_encrypt_pad(const pn_aes *c, const uint8_t iv[PN_AES_BLOCK], const void *in,
                           size_t len, void *out, size_t cap, size_t *needed);

/* One-shot CBC decryption and PKCS#7 unpadding.  Returns the plaintext length, or:
 *   PN_ERR_LENGTH          len is zero or not a multiple of PN_AES_BLOCK (public facts);
 *   PN_ERR_BUFSIZE         cap < len - 1, the largest plaintext len could hold (*needed);
 *   PN_ERR_CRYPTO_PADDING  the padding is wrong, whatever is wrong with it.
 * The padding is checked without branches or indexing on decrypted data, and every bad
 * padding gives the same error after the same work.  On error the output is zeroed;
 * on success, the bytes of out past the returned length are unspecified.
 * Without a MAC over the ciphertext, the error itself is a padding oracle: authenticate
 * before decrypting whenever an attacker can submit ciphertexts. */
int pn_aes_cbc_decrypt_unpad(const pn_aes *c, const uint8_t iv[PN_AES_BLOCK], const void *in,
                             size_t len, void *out, size_t cap, size_t *needed);

#endif
