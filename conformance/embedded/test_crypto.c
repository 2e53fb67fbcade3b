/* Known-answer tests of the hashes, HMAC, HMAC-DRBG, AES and Base64 on the target: the
 * same published answers as on the host, computed by a 32-bit core without a C library. */
#include "emb.h"
#include "peernet/aes.h"
#include "peernet/base64.h"
#include "peernet/drbg.h"
#include "peernet/hash.h"

int pn_emb_test_sha1_fips180(void);
int pn_emb_test_sha256_fips180(void);
int pn_emb_test_md5_rfc1321(void);
int pn_emb_test_hmac_rfc4231_rfc2202(void);
int pn_emb_test_hmac_drbg_nist(void);
int pn_emb_test_aes_fips197(void);
int pn_emb_test_aes_cbc_pkcs7(void);
int pn_emb_test_base64_rfc4648(void);

static const char abc[] = "abc";
static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

/* One million 'a' fed in uneven pieces, so block boundaries fall inside updates. */
static void feed_million_a(pn_hash_ctx *c)
{
    uint8_t chunk[777];
    size_t left = 1000000;
    unsigned i;
    for (i = 0; i < sizeof chunk; i++)
        chunk[i] = 'a';
    while (left > 0) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        pn_hash_update(c, chunk, n);
        left -= n;
    }
}

/* FIPS 180-2 appendix A examples. */
int pn_emb_test_sha1_fips180(void)
{
    uint8_t out[PN_SHA1_LEN];
    pn_hash_ctx c;
    pn_sha1(abc, 3, out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out, "a9993e364706816aba3e25717850c26c9cd0d89d"));
    pn_sha1(two_blocks, pn_emb_strlen(two_blocks), out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
    PN_EMB_CHECK(pn_hash_init(&c, PN_HASH_SHA1) == PN_OK);
    feed_million_a(&c);
    pn_hash_final(&c, out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
    return 0;
}

/* FIPS 180-2 appendix B examples. */
int pn_emb_test_sha256_fips180(void)
{
    uint8_t out[PN_SHA256_LEN];
    pn_hash_ctx c;
    pn_sha256(abc, 3, out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out,
                               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    pn_sha256(two_blocks, pn_emb_strlen(two_blocks), out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out,
                               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    PN_EMB_CHECK(pn_hash_init(&c, PN_HASH_SHA256) == PN_OK);
    feed_million_a(&c);
    pn_hash_final(&c, out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out,
                               "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    return 0;
}

/* RFC 1321 appendix A.5. */
int pn_emb_test_md5_rfc1321(void)
{
    static const char digits[] =
        "12345678901234567890123456789012345678901234567890123456789012345678901234567890";
    uint8_t out[PN_MD5_LEN];
    pn_md5("", 0, out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out, "d41d8cd98f00b204e9800998ecf8427e"));
    pn_md5(abc, 3, out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out, "900150983cd24fb0d6963f7d28e17f72"));
    pn_md5("message digest", 14, out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out, "f96b697d7cb7938d525a2f31aaf161d0"));
    pn_md5(digits, 80, out);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out, "57edf4a22be3c955ac49da2e2107b67a"));
    return 0;
}

/* RFC 4231 test cases 2 and 6 (HMAC-SHA-256; case 6 hashes its 131-byte key first) and
 * RFC 2202 test case 2 (HMAC-SHA-1). */
int pn_emb_test_hmac_rfc4231_rfc2202(void)
{
    static const char jefe_msg[] = "what do ya want for nothing?";
    static const char big_key_msg[] = "Test Using Larger Than Block-Size Key - Hash Key First";
    uint8_t key[131], out[PN_SHA256_LEN];
    unsigned i;
    PN_EMB_CHECK(pn_hmac(PN_HASH_SHA256, "Jefe", 4, jefe_msg, 28, out) == PN_OK);
    PN_EMB_CHECK(
        pn_emb_eq_hex(out, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    for (i = 0; i < sizeof key; i++)
        key[i] = 0xaa;
    PN_EMB_CHECK(pn_hmac(PN_HASH_SHA256, key, sizeof key, big_key_msg, pn_emb_strlen(big_key_msg),
                         out) == PN_OK);
    PN_EMB_CHECK(
        pn_emb_eq_hex(out, 32, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"));
    PN_EMB_CHECK(pn_hmac(PN_HASH_SHA1, "Jefe", 4, jefe_msg, 28, out) == PN_OK);
    PN_EMB_CHECK(pn_emb_eq_hex(out, 20, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"));
    return 0;
}

/* conformance/vectors/hash/HMAC_DRBG.rsp, [SHA-256] no personalization, COUNT = 0:
 * instantiate, generate 1024 bits twice, the second output is ReturnedBits. */
int pn_emb_test_hmac_drbg_nist(void)
{
    uint8_t entropy[32], nonce[16], out[128];
    pn_drbg d;
    PN_EMB_CHECK(pn_emb_unhex("ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488",
                              entropy, sizeof entropy) == 32);
    PN_EMB_CHECK(pn_emb_unhex("659ba96c601dc69fc902940805ec0ca8", nonce, sizeof nonce) == 16);
    PN_EMB_CHECK(pn_drbg_init(&d, entropy, sizeof entropy, nonce, sizeof nonce, NULL, 0) == PN_OK);
    PN_EMB_CHECK(pn_drbg_generate(&d, out, sizeof out, NULL, 0) == PN_OK);
    PN_EMB_CHECK(pn_drbg_generate(&d, out, sizeof out, NULL, 0) == PN_OK);
    PN_EMB_CHECK(pn_emb_eq_hex(out, sizeof out,
                               "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89"
                               "d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc1"
                               "07694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668"
                               "961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8"));
    pn_drbg_wipe(&d);
    PN_EMB_CHECK(pn_drbg_generate(&d, out, 16, NULL, 0) < 0);
    return 0;
}

/* FIPS 197 appendix C.1 (AES-128) and C.3 (AES-256), both directions. */
int pn_emb_test_aes_fips197(void)
{
    uint8_t key[32], pt[16], ct[16], back[16];
    pn_aes a;
    PN_EMB_CHECK(pn_emb_unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                              key, sizeof key) == 32);
    PN_EMB_CHECK(pn_emb_unhex("00112233445566778899aabbccddeeff", pt, sizeof pt) == 16);
    PN_EMB_CHECK(pn_aes_init(&a, key, 16) == PN_OK && a.rounds == 10);
    pn_aes_encrypt_block(&a, pt, ct);
    PN_EMB_CHECK(pn_emb_eq_hex(ct, 16, "69c4e0d86a7b0430d8cdb78070b4c55a"));
    pn_aes_decrypt_block(&a, ct, back);
    PN_EMB_CHECK(pn_emb_eq(back, pt, 16));
    PN_EMB_CHECK(pn_aes_init(&a, key, 32) == PN_OK && a.rounds == 14);
    pn_aes_encrypt_block(&a, pt, ct);
    PN_EMB_CHECK(pn_emb_eq_hex(ct, 16, "8ea2b7ca516745bfeafc49904b496089"));
    pn_aes_decrypt_block(&a, ct, back);
    PN_EMB_CHECK(pn_emb_eq(back, pt, 16));
    PN_EMB_CHECK(pn_aes_init(&a, key, 20) == PN_ERR_CRYPTO_KEYSIZE);
    pn_aes_wipe(&a);
    return 0;
}

/* CBC with PKCS#7 padding: a 22-byte message under the SP 800-38A key; the expected
 * ciphertext is what `openssl enc -aes-128-cbc` produced for the same key, IV and text. */
int pn_emb_test_aes_cbc_pkcs7(void)
{
    static const char msg[] = "peernet on bare metal!";
    uint8_t key[16], iv[16], ct[48], pt[48];
    size_t need = 0;
    pn_aes a;
    PN_EMB_CHECK(pn_emb_unhex("2b7e151628aed2a6abf7158809cf4f3c", key, sizeof key) == 16);
    PN_EMB_CHECK(pn_emb_unhex("000102030405060708090a0b0c0d0e0f", iv, sizeof iv) == 16);
    PN_EMB_CHECK(pn_aes_init(&a, key, sizeof key) == PN_OK);
    PN_EMB_CHECK(pn_aes_cbc_padded_len(22) == 32);
    PN_EMB_CHECK(pn_aes_cbc_encrypt_pad(&a, iv, msg, 22, ct, 31, &need) == PN_ERR_BUFSIZE &&
                 need == 32);
    PN_EMB_CHECK(pn_aes_cbc_encrypt_pad(&a, iv, msg, 22, ct, sizeof ct, NULL) == 32);
    PN_EMB_CHECK(
        pn_emb_eq_hex(ct, 32, "365edb6a2c2741c5caf0211f74c4b0a6e80c2ca4318ad900e958df687a3b1d52"));
    PN_EMB_CHECK(pn_aes_cbc_decrypt_unpad(&a, iv, ct, 32, pt, sizeof pt, NULL) == 22);
    PN_EMB_CHECK(pn_emb_eq(pt, msg, 22));
    ct[15] ^= 1; /* turns the last padding byte from 0x0a into 0x0b: invalid PKCS#7 */
    PN_EMB_CHECK(pn_aes_cbc_decrypt_unpad(&a, iv, ct, 32, pt, sizeof pt, NULL) < 0);
    pn_aes_wipe(&a);
    return 0;
}

/* RFC 4648 section 10. */
int pn_emb_test_base64_rfc4648(void)
{
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const coded[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                        "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    char text[16];
    uint8_t bytes[8];
    unsigned i;
    for (i = 0; i < 7; i++) {
        size_t plen = pn_emb_strlen(plain[i]), clen = pn_emb_strlen(coded[i]);
        PN_EMB_CHECK(pn_base64_encoded_len(plen) == clen);
        PN_EMB_CHECK(pn_base64_encode(plain[i], plen, text, sizeof text, NULL) == (int)clen);
        PN_EMB_CHECK(pn_emb_eq(text, coded[i], clen));
        PN_EMB_CHECK(pn_base64_decode(coded[i], clen, bytes, sizeof bytes, NULL, 0) == (int)plen);
        PN_EMB_CHECK(pn_emb_eq(bytes, plain[i], plen));
    }
    PN_EMB_CHECK(pn_base64_decode("Zm9=v", 5, bytes, sizeof bytes, NULL, 0) < 0);
    return 0;
}
