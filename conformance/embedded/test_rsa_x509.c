/* RSA and X.509 on the target: a fixed RSA-1024 signature verified, the same signature
 * reproduced by signing with the private key through the small-stack `_work` API, and a
 * certificate parsed and its signature checked against its issuer. */
#include "emb.h"
#include "emb_vec.h"
#include "peernet/drbg.h"
#include "peernet/hash.h"
#include "peernet/rsa.h"
#include "peernet/x509.h"

int pn_emb_test_rsa1024_verify_fixed(void);
int pn_emb_test_rsa1024_sign_work_known_answer(void);
int pn_emb_test_x509_parse_and_verify(void);

/* conformance/vectors/x509/msg.txt */
static const char msg_txt[] = "peernet signature cross-check\n";

/* `openssl dgst -sha256 -verify`'s view of msg.sha256.sig, checked by our verifier. */
int pn_emb_test_rsa1024_verify_fixed(void)
{
    uint8_t hash[PN_SHA256_LEN], sig[128];
    pn_rsa_public pub;
    PN_EMB_CHECK(pn_rsa_public_from_der(&pub, pn_emb_leaf_pub_der, sizeof pn_emb_leaf_pub_der) ==
                 PN_OK);
    PN_EMB_CHECK(pub.n_len == 128);
    pn_sha256(msg_txt, 30, hash);
    PN_EMB_CHECK(pn_rsa_pkcs1_verify(&pub, PN_HASH_SHA256, hash, sizeof hash, pn_emb_msg_sig,
                                     sizeof pn_emb_msg_sig) == PN_OK);
    pn_emb_copy(sig, pn_emb_msg_sig, sizeof sig);
    sig[64] ^= 0x10;
    PN_EMB_CHECK(pn_rsa_pkcs1_verify(&pub, PN_HASH_SHA256, hash, sizeof hash, sig, sizeof sig) ==
                 PN_ERR_CRYPTO_SIGNATURE);
    hash[0] ^= 1;
    PN_EMB_CHECK(pn_rsa_pkcs1_verify(&pub, PN_HASH_SHA256, hash, sizeof hash, pn_emb_msg_sig,
                                     sizeof pn_emb_msg_sig) == PN_ERR_CRYPTO_SIGNATURE);
    return 0;
}

/* Scratch for a 1024-bit private operation: a few KiB in .bss instead of the
 * PN_RSA_MAX_BITS-sized pn_rsa_work the non-`_work` calls put on the stack. */
static union {
    uint32_t align_;
    uint8_t bytes[PN_RSA_WORK_BYTES(1024)];
} work;

/* PKCS#1 v1.5 signing is deterministic: with the leaf key the signature of msg.txt must
 * be exactly the one openssl made (blinding, fed by a DRBG, must not change it). */
int pn_emb_test_rsa1024_sign_work_known_answer(void)
{
    static const uint8_t seed[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                     12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                     23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    uint8_t hash[PN_SHA256_LEN], sig[128];
    pn_rsa_der_key key;
    pn_drbg rng;
    PN_EMB_CHECK(pn_rsa_private_from_der(&key, pn_emb_leaf_key_der, sizeof pn_emb_leaf_key_der) ==
                 PN_OK);
    PN_EMB_CHECK(key.priv.n_bits == 1024);
    PN_EMB_CHECK(pn_drbg_init(&rng, seed, sizeof seed, "nonce", 5, "emb", 3) == PN_OK);
    pn_sha256(msg_txt, 30, hash);
    PN_EMB_CHECK(pn_rsa_pkcs1_sign_work(&key.priv, PN_HASH_SHA256, hash, sizeof hash, sig,
                                        sizeof sig, pn_drbg_rng, &rng, work.bytes,
                                        sizeof work.bytes) == 128);
    PN_EMB_CHECK(pn_emb_eq(sig, pn_emb_msg_sig, sizeof sig));
    PN_EMB_CHECK(
        pn_rsa_pkcs1_verify(&key.pub, PN_HASH_SHA256, hash, sizeof hash, sig, sizeof sig) == PN_OK);
    /* A second signature over another hash, with fresh blinding, verifies too. */
    hash[31] ^= 0x80;
    PN_EMB_CHECK(pn_rsa_pkcs1_sign_work(&key.priv, PN_HASH_SHA256, hash, sizeof hash, sig,
                                        sizeof sig, pn_drbg_rng, &rng, work.bytes,
                                        sizeof work.bytes) == 128);
    PN_EMB_CHECK(!pn_emb_eq(sig, pn_emb_msg_sig, sizeof sig));
    PN_EMB_CHECK(
        pn_rsa_pkcs1_verify(&key.pub, PN_HASH_SHA256, hash, sizeof hash, sig, sizeof sig) == PN_OK);
    /* Too little scratch is an error, not an overrun. */
    PN_EMB_CHECK(pn_rsa_pkcs1_sign_work(&key.priv, PN_HASH_SHA256, hash, sizeof hash, sig,
                                        sizeof sig, pn_drbg_rng, &rng, work.bytes,
                                        256) == PN_ERR_BUFSIZE);
    return 0;
}

/* leaf.der (RSA-1024, SHA-1 signed) under ca.der (RSA-2048, self-signed, SHA-256):
 * fields as conformance/vectors/x509/README.md lists them, both signatures valid, and a
 * one-bit change in the signed part detected. */
int pn_emb_test_x509_parse_and_verify(void)
{
    static uint8_t copy[sizeof pn_emb_leaf_der];
    const int64_t now = 1800000000; /* 2027-01-15, inside both validity periods */
    pn_x509 chain[2], bad;
    char cn[32];
    PN_EMB_CHECK(pn_x509_parse(&chain[0], pn_emb_leaf_der, sizeof pn_emb_leaf_der) == PN_OK);
    PN_EMB_CHECK(pn_x509_parse(&chain[1], pn_emb_ca_der, sizeof pn_emb_ca_der) == PN_OK);
    PN_EMB_CHECK(chain[0].version == 3 && chain[0].sig_hash == PN_HASH_SHA1);
    PN_EMB_CHECK(pn_emb_eq_hex(chain[0].serial.p, chain[0].serial.len, "00f1e2d3c4b5a69788"));
    PN_EMB_CHECK(pn_x509_subject_cn(&chain[0], cn, sizeof cn) == 12);
    PN_EMB_CHECK(pn_emb_eq(cn, "leaf.example", 12));
    PN_EMB_CHECK(pn_x509_issuer_cn(&chain[0], cn, sizeof cn) == 7 && pn_emb_eq(cn, "Test CA", 7));
    PN_EMB_CHECK(chain[0].not_before == 1795305745);
    PN_EMB_CHECK(chain[1].is_ca && chain[1].path_len == 1 && chain[1].pub.n_len == 256);
    PN_EMB_CHECK(pn_x509_verify_signature(&chain[0], &chain[1].pub) == PN_OK);
    PN_EMB_CHECK(pn_x509_verify_signature(&chain[1], &chain[1].pub) == PN_OK);
    PN_EMB_CHECK(pn_x509_chain_verify(chain, 2, now, 0) == PN_OK);
    PN_EMB_CHECK(pn_x509_chain_verify(chain, 2, 1795305745 - 1, 0) == PN_ERR_CRYPTO_EXPIRED);
    pn_emb_copy(copy, pn_emb_leaf_der, sizeof copy);
    copy[chain[0].subject_cn.p - pn_emb_leaf_der] ^= 0x20; /* "Leaf.example" */
    PN_EMB_CHECK(pn_x509_parse(&bad, copy, sizeof copy) == PN_OK);
    PN_EMB_CHECK(pn_x509_verify_signature(&bad, &chain[1].pub) == PN_ERR_CRYPTO_SIGNATURE);
    return 0;
}
