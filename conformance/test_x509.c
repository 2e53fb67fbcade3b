/* X.509 v3 certificates, RSA key formats and PKCS#7 certificate bags: openssl-made
 * vectors (conformance/vectors/x509/README.md), strictness, limits, building, and a
 * cross-check against the openssl command when it is installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "peernet/x509.h"
#include "pn_test.h"

/* notBefore/notAfter of the vectors (see the README). */
#define T_NOT_BEFORE     1795305745ll
#define T_CA_NOT_AFTER   2426025745ll
#define T_LEAF_NOT_AFTER 2110665745ll
#define T_SS_NOT_AFTER   4948905745ll
#define T_NOW            (T_NOT_BEFORE + 86400)

typedef struct blob {
    uint8_t b[8192];
    size_t n;
} blob;

static void load(blob *f, const char *name)
{
    char rel[256];
    long n;
    snprintf(rel, sizeof rel, "vectors/x509/%s", name);
    n = pn_test_read_file(rel, f->b, sizeof f->b);
    ck_assert_msg(n > 0, "cannot read %s", rel);
    f->n = (size_t)n;
}

/* Deterministic random source for signing (blinding only; results do not depend on it). */
static int test_rng(void *ctx, uint8_t *out, size_t len)
{
    uint64_t *s = ctx;
    size_t i;
    for (i = 0; i < len; i++) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        out[i] = (uint8_t)(*s >> 24);
    }
    return PN_OK;
}

static int have_openssl(void)
{
    return system("command -v openssl >/dev/null 2>&1") == 0;
}

static int contains(const uint8_t *h, size_t hn, const uint8_t *n, size_t nn)
{
    size_t i;
    for (i = 0; i + nn <= hn; i++)
        if (memcmp(h + i, n, nn) == 0)
            return 1;
    return 0;
}

static int span_is(const pn_x509_span *s, const void *p, size_t n)
{
    return s->len == n && memcmp(s->p, p, n) == 0;
}

/* ---- parsing the vectors ----------------------------------------------------------- */

START_TEST(x509_parses_self_signed_sha256_fields)
{
    static blob f;
    static const uint8_t serial[] = {0x01, 0x02, 0x03, 0x04, 0x05};
    pn_x509 c;
    char cn[64];
    PN_REQ("CRYPTO-RFC5280-02");
    PN_REQ("CRYPTO-RFC5280-03");
    load(&f, "ss2048.der");
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_OK);
    ck_assert_uint_eq(c.version, 3);
    ck_assert(span_is(&c.serial, serial, sizeof serial));
    ck_assert_int_eq(c.sig_alg, PN_X509_SIG_SHA256_RSA);
    ck_assert_int_eq(c.sig_hash, PN_HASH_SHA256);
    ck_assert_ptr_eq(c.der.p, f.b);
    ck_assert_uint_eq(c.der.len, f.n);
    ck_assert_ptr_eq(c.tbs.p, f.b + 4);
    ck_assert_int_eq(pn_x509_subject_cn(&c, cn, sizeof cn), 16);
    ck_assert_str_eq(cn, "Self Signed 2048");
    ck_assert_int_eq(pn_x509_issuer_cn(&c, cn, sizeof cn), 16);
    ck_assert(c.issuer.len == c.subject.len && memcmp(c.issuer.p, c.subject.p, c.issuer.len) == 0);
    ck_assert(c.not_before == T_NOT_BEFORE);
    ck_assert(c.not_after == T_SS_NOT_AFTER); /* GeneralizedTime, year 2126 */
    ck_assert_uint_eq(c.pub.n_len, 256);
    ck_assert_uint_eq(c.pub.e_len, 3);
    ck_assert_mem_eq(c.pub.e, "\x01\x00\x01", 3);
    ck_assert_uint_eq(c.signature.len, 256);
    ck_assert_uint_eq(c.ext_present, PN_X509_EXT_BASIC_CONSTRAINTS | PN_X509_EXT_SUBJECT_KEY_ID |
                                         PN_X509_EXT_AUTHORITY_KEY_ID);
    ck_assert_int_eq(c.is_ca, 1);
    ck_assert_int_eq(c.path_len, -1);
    ck_assert_int_eq(c.has_unique_ids, 0);
    ck_assert_uint_eq(c.subject_key_id.len, 22); /* OCTET STRING of a 20-byte SHA-1 */
    ck_assert_int_eq(pn_x509_check_validity(&c, T_NOW), PN_OK);
    ck_assert_int_eq(pn_x509_check_validity(&c, T_NOT_BEFORE - 1), PN_ERR_CRYPTO_EXPIRED);
    ck_assert_int_eq(pn_x509_check_validity(&c, T_SS_NOT_AFTER + 1), PN_ERR_CRYPTO_EXPIRED);
}
END_TEST

START_TEST(x509_parses_ca_and_sha1_leaf_fields)
{
    static blob ca, leaf;
    static const uint8_t serial[] = {0x00, 0xF1, 0xE2, 0xD3, 0xC4, 0xB5, 0xA6, 0x97, 0x88};
    static const uint8_t san[] = {0x30, 0x1b, 0x82, 0x0c, 'l', 'e', 'a',  'f',  '.', 'e',
                                  'x',  'a',  'm',  'p',  'l', 'e', 0x82, 0x0b, 'a', 'l',
                                  't',  '.',  'e',  'x',  'a', 'm', 'p',  'l',  'e'};
    static const uint8_t peer_auth[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
                                        0x01, 0x82, 0x37, 0x2c, 0x03, 0x04};
    pn_x509 c, l;
    pn_x509_ext e;
    char cn[64];
    PN_REQ("CRYPTO-RFC5280-02");
    PN_REQ("CRYPTO-RFC5280-04");
    load(&ca, "ca.der");
    load(&leaf, "leaf.der");
    ck_assert_int_eq(pn_x509_parse(&c, ca.b, ca.n), PN_OK);
    ck_assert_int_eq(pn_x509_parse(&l, leaf.b, leaf.n), PN_OK);
    /* CA */
    ck_assert_int_eq(c.sig_alg, PN_X509_SIG_SHA256_RSA);
    ck_assert_int_eq(c.is_ca, 1);
    ck_assert_int_eq(c.path_len, 1);
    ck_assert_uint_eq(c.key_usage, PN_X509_KU_KEY_CERT_SIGN | PN_X509_KU_CRL_SIGN);
    ck_assert(c.not_after == T_CA_NOT_AFTER);
    ck_assert_int_eq(pn_x509_subject_cn(&c, cn, sizeof cn), 7);
    ck_assert_str_eq(cn, "Test CA");
    /* Leaf */
    ck_assert_int_eq(l.sig_alg, PN_X509_SIG_SHA1_RSA);
    ck_assert_int_eq(l.sig_hash, PN_HASH_SHA1);
    ck_assert(span_is(&l.serial, serial, sizeof serial));
    ck_assert(l.not_before == T_NOT_BEFORE);
    ck_assert(l.not_after == T_LEAF_NOT_AFTER);
    ck_assert_int_eq(pn_x509_subject_cn(&l, cn, sizeof cn), 12);
    ck_assert_str_eq(cn, "leaf.example");
    ck_assert_int_eq(pn_x509_issuer_cn(&l, cn, sizeof cn), 7);
    ck_assert_str_eq(cn, "Test CA");
    ck_assert(l.issuer.len == c.subject.len && memcmp(l.issuer.p, c.subject.p, c.subject.len) == 0);
    ck_assert_uint_eq(l.pub.n_len, 128);
    ck_assert(l.ext_present & PN_X509_EXT_BASIC_CONSTRAINTS);
    ck_assert_int_eq(l.is_ca, 0);
    ck_assert_uint_eq(l.key_usage, PN_X509_KU_DIGITAL_SIGNATURE | PN_X509_KU_KEY_ENCIPHERMENT);
    ck_assert(span_is(&l.subject_alt_name, san, sizeof san));
    ck_assert(l.ext_present & PN_X509_EXT_EXT_KEY_USAGE);
    ck_assert(contains(l.ext_key_usage.p, l.ext_key_usage.len, peer_auth, sizeof peer_auth));
    ck_assert_int_eq(
        pn_x509_has_ext_key_usage(&l, (const uint8_t *)PN_OID_P2P_PEER_AUTH, PN_OID_P2P_LEN), 1);
    ck_assert_int_eq(
        pn_x509_has_ext_key_usage(&l, (const uint8_t *)PN_OID_KP_SERVER_AUTH, PN_OID_KP_LEN), 1);
    ck_assert_int_eq(
        pn_x509_has_ext_key_usage(&l, (const uint8_t *)PN_OID_P2P_ROLES, PN_OID_P2P_LEN), 0);
    ck_assert_int_eq(
        pn_x509_has_ext_key_usage(&c, (const uint8_t *)PN_OID_KP_SERVER_AUTH, PN_OID_KP_LEN),
        PN_ERR_NOTFOUND);
    /* The raw extension walk sees all six, with keyUsage the only critical one. */
    ck_assert_int_eq(pn_x509_ext_find(&l, (const uint8_t *)PN_OID_KEY_USAGE, 3, &e), 1);
    ck_assert_int_eq(e.critical, 1);
    ck_assert_int_eq(pn_x509_ext_find(&l, (const uint8_t *)PN_OID_SUBJECT_ALT_NAME, 3, &e), 1);
    ck_assert_int_eq(e.critical, 0);
    ck_assert(span_is(&e.value, san, sizeof san));
    ck_assert_int_eq(pn_x509_ext_find(&l, (const uint8_t *)PN_OID_ISSUER_ALT_NAME, 3, &e), 0);
    {
        pn_der it;
        int n = 0;
        pn_x509_ext_begin(&l, &it);
        while (pn_x509_ext_next(&it, &e) == 1)
            n++;
        ck_assert_int_eq(n, 6);
    }
}
END_TEST

START_TEST(x509_rejects_unknown_critical_extension)
{
    static blob f;
    pn_x509 c;
    PN_REQ("CRYPTO-RFC5280-05");
    load(&f, "critunknown.der");
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_ERR_CRYPTO_X509);
}
END_TEST

START_TEST(x509_parses_microsoft_p2p_extensions_md5)
{
    static blob f;
    static const uint8_t role[16] = {0xc7, 0xc4, 0x2d, 0xf1, 0x57, 0x08, 0xa0, 0x4c,
                                     0x93, 0xfc, 0xb1, 0xbb, 0x19, 0xa3, 0xd8, 0xc2};
    pn_x509 c;
    pn_der it;
    const uint8_t *r;
    pn_der_tlv v;
    PN_REQ("CRYPTO-RFC5280-02");
    PN_REQ("CRYPTO-RFC5280-06");
    load(&f, "p2p_md5.der");
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_OK);
    ck_assert_int_eq(c.sig_alg, PN_X509_SIG_MD5_RSA);
    ck_assert_int_eq(c.sig_hash, PN_HASH_MD5);
    ck_assert_uint_eq(c.serial.len, 15);
    ck_assert(c.ext_present & PN_X509_EXT_P2P_CERT_TYPE);
    ck_assert_uint_eq(c.p2p_cert_type, 1); /* certTypeMember, little-endian DWORD */
    ck_assert(span_is(&c.p2p_cert_version, "\x01\x00\x02\x00", 4));
    ck_assert_int_eq(pn_x509_p2p_roles_begin(&c, &it), PN_OK);
    ck_assert_int_eq(pn_x509_p2p_role_next(&it, &r), 1);
    ck_assert_mem_eq(r, role, 16);
    ck_assert_int_eq(pn_x509_p2p_role_next(&it, &r), 0);
    ck_assert_int_eq(pn_x509_p2p_peer_name(&c, &v), PN_ERR_NOTFOUND);
    ck_assert_int_eq(pn_x509_p2p_classifiers_begin(&c, &it), PN_ERR_NOTFOUND);
}
END_TEST

/* Replace every occurrence of `from` by `to` (same length) in a copy. */
static size_t patch_all(uint8_t *b, size_t n, const void *from, const void *to, size_t len)
{
    size_t i, hits = 0;
    for (i = 0; i + len <= n; i++)
        if (memcmp(b + i, from, len) == 0) {
            memcpy(b + i, to, len);
            hits++;
        }
    return hits;
}

START_TEST(x509_rejects_other_signature_algorithms)
{
    static blob f;
    static const uint8_t sha1rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05};
    static const uint8_t sha512rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d};
    static const uint8_t sha256rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
    pn_x509 c;
    PN_REQ("CRYPTO-RFC5280-07");
    load(&f, "leaf.der");
    ck_assert_uint_eq(patch_all(f.b, f.n, sha1rsa, sha512rsa, 9), 2);
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_ERR_CRYPTO_ALGORITHM);
    /* Inner and outer algorithms that differ. */
    load(&f, "leaf.der");
    ck_assert_uint_eq(patch_all(f.b + 100, f.n - 100, sha1rsa, sha256rsa, 9), 1);
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_ERR_CRYPTO_X509);
}
END_TEST

START_TEST(x509_rejects_oversized_truncated_and_trailing)
{
    static blob f;
    static uint8_t big[PN_X509_MAX_CERT_BYTES + 16];
    pn_x509 c;
    size_t n;
    PN_REQ("CRYPTO-RFC5280-08");
    load(&f, "leaf.der");
    for (n = 0; n < f.n; n++) {
        /* A heap copy of exactly n bytes, so ASan catches any read past the input. */
        uint8_t *cut = malloc(n ? n : 1);
        memcpy(cut, f.b, n);
        ck_assert_int_lt(pn_x509_parse(&c, cut, n), 0);
        free(cut);
    }
    memcpy(big, f.b, f.n);
    big[f.n] = 0x00;
    ck_assert_int_eq(pn_x509_parse(&c, big, f.n + 1), PN_ERR_TRAILING);
    ck_assert_int_eq(pn_x509_parse(&c, big, PN_X509_MAX_CERT_BYTES + 1), PN_ERR_CRYPTO_X509);
    ck_assert_int_eq(pn_x509_parse(&c, NULL, 0), PN_ERR_CRYPTO_X509);
}
END_TEST

START_TEST(x509_single_byte_mutations_never_crash)
{
    static blob f;
    static const uint8_t flips[] = {0x00, 0x01, 0x80, 0xFF};
    pn_x509 c;
    size_t i, k, accepted = 0;
    PN_REQ("CRYPTO-RFC5280-08");
    load(&f, "leaf.der");
    for (i = 0; i < f.n; i++) {
        uint8_t keep = f.b[i];
        for (k = 0; k < sizeof flips; k++) {
            int rc;
            f.b[i] = (uint8_t)(keep ^ flips[k]);
            rc = pn_x509_parse(&c, f.b, f.n);
            ck_assert(rc == PN_OK || rc < 0);
            if (rc == PN_OK) {
                accepted++;
                ck_assert_ptr_eq(c.der.p, f.b);
            }
        }
        f.b[i] = keep;
    }
    /* Flips inside the key, signature and string values still parse; structure ones not. */
    ck_assert_uint_gt(accepted, 0);
    ck_assert_uint_lt(accepted, f.n * 4);
}
END_TEST

START_TEST(x509_rejects_v1_encoded_version_and_bad_extensions)
{
    static blob f;
    pn_x509 c;
    PN_REQ("CRYPTO-RFC5280-09");
    /* version [0] INTEGER 0 is the DEFAULT and must not be encoded. */
    load(&f, "leaf.der");
    ck_assert_uint_eq(f.b[8], 0xA0);
    f.b[12] = 0x00;
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_ERR_CRYPTO_DER);
    f.b[12] = 0x05; /* v6 does not exist */
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_ERR_CRYPTO_X509);
    f.b[12] = 0x01; /* v2 may not carry extensions */
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_ERR_CRYPTO_X509);
    /* A duplicate extension: turn keyUsage into a second basicConstraints. */
    load(&f, "leaf.der");
    ck_assert_uint_eq(patch_all(f.b, f.n, "\x06\x03\x55\x1d\x0f", "\x06\x03\x55\x1d\x13", 5), 1);
    ck_assert_int_lt(pn_x509_parse(&c, f.b, f.n), 0);
    /* critical BOOLEAN FALSE explicitly encoded (a DEFAULT): not DER. */
    load(&f, "leaf.der");
    ck_assert_uint_eq(patch_all(f.b, f.n, "\x01\x01\xff\x04\x04\x03\x02\x05\xa0",
                                "\x01\x01\x00\x04\x04\x03\x02\x05\xa0", 9),
                      1);
    ck_assert_int_eq(pn_x509_parse(&c, f.b, f.n), PN_ERR_CRYPTO_DER);
}
END_TEST

/* ---- RSA key formats --------------------------------------------------------------- */

START_TEST(rsa_keys_import_from_openssl_formats)
{
    static blob pkcs1, pkcs8, spki, rsapub, leaf;
    pn_rsa_der_key k1, k8;
    pn_rsa_public p1, p2;
    pn_x509 c;
    PN_REQ("CRYPTO-RFC8017-41");
    PN_REQ("CRYPTO-RFC8017-42");
    load(&pkcs1, "leaf1024_pkcs1.der");
    load(&pkcs8, "leaf1024_pkcs8.der");
    load(&spki, "leaf1024_spki.der");
    load(&rsapub, "leaf1024_rsapub.der");
    load(&leaf, "leaf.der");
    ck_assert_int_eq(pn_rsa_private_from_der(&k1, pkcs1.b, pkcs1.n), PN_OK);
    ck_assert_int_eq(pn_rsa_private_from_pkcs8(&k8, pkcs8.b, pkcs8.n), PN_OK);
    ck_assert_int_eq(pn_rsa_public_from_spki(&p1, spki.b, spki.n), PN_OK);
    ck_assert_int_eq(pn_rsa_public_from_der(&p2, rsapub.b, rsapub.n), PN_OK);
    ck_assert_int_eq(pn_x509_parse(&c, leaf.b, leaf.n), PN_OK);
    ck_assert_uint_eq(k1.priv.n_bits, 1024);
    ck_assert_uint_eq(k1.pub.n_len, 128);
    ck_assert_uint_eq(k1.priv.p_len, 64);
    ck_assert_uint_eq(k1.priv.q_len, 64);
    ck_assert_mem_eq(k1.pub.n, k8.pub.n, 128);
    ck_assert_mem_eq(k1.pub.n, p1.n, 128);
    ck_assert_mem_eq(k1.pub.n, p2.n, 128);
    ck_assert_mem_eq(k1.pub.n, c.pub.n, 128);
    ck_assert_mem_eq(k1.priv.qinv, k8.priv.qinv, k1.priv.qinv_len);
    ck_assert_uint_eq(k1.d_len, k8.d_len);
    ck_assert_ptr_eq(k1.priv.e, k1.pub.e);
    /* Zero copy: the views point into the input. */
    ck_assert(k1.pub.n > pkcs1.b && k1.pub.n < pkcs1.b + pkcs1.n);
    /* The wrong container for each reader. */
    ck_assert_int_lt(pn_rsa_public_from_der(&p1, spki.b, spki.n), 0);
    ck_assert_int_lt(pn_rsa_public_from_spki(&p1, rsapub.b, rsapub.n), 0);
    ck_assert_int_lt(pn_rsa_private_from_der(&k1, pkcs8.b, pkcs8.n), 0);
    ck_assert_int_lt(pn_rsa_private_from_pkcs8(&k1, pkcs1.b, pkcs1.n), 0);
}
END_TEST

START_TEST(rsa_keys_export_matches_openssl_bytes)
{
    static blob pkcs1, pkcs8, spki, rsapub;
    static uint8_t out[2048];
    pn_rsa_der_key k;
    size_t need = 0;
    int n;
    PN_REQ("CRYPTO-RFC8017-41");
    PN_REQ("CRYPTO-RFC8017-42");
    load(&pkcs1, "leaf1024_pkcs1.der");
    load(&pkcs8, "leaf1024_pkcs8.der");
    load(&spki, "leaf1024_spki.der");
    load(&rsapub, "leaf1024_rsapub.der");
    ck_assert_int_eq(pn_rsa_private_from_der(&k, pkcs1.b, pkcs1.n), PN_OK);
    n = pn_rsa_private_to_der(&k.pub, &k.priv, k.d, k.d_len, out, sizeof out, &need);
    ck_assert_int_eq(n, (int)pkcs1.n);
    ck_assert_mem_eq(out, pkcs1.b, pkcs1.n);
    n = pn_rsa_private_to_pkcs8(&k.pub, &k.priv, k.d, k.d_len, out, sizeof out, &need);
    ck_assert_int_eq(n, (int)pkcs8.n);
    ck_assert_mem_eq(out, pkcs8.b, pkcs8.n);
    n = pn_rsa_public_to_spki(&k.pub, out, sizeof out, NULL);
    ck_assert_int_eq(n, (int)spki.n);
    ck_assert_mem_eq(out, spki.b, spki.n);
    n = pn_rsa_public_to_der(&k.pub, out, sizeof out, NULL);
    ck_assert_int_eq(n, (int)rsapub.n);
    ck_assert_mem_eq(out, rsapub.b, rsapub.n);
    /* Sizing: too small reports the exact size and writes nothing past cap. */
    memset(out, 0xEE, sizeof out);
    ck_assert_int_eq(pn_rsa_public_to_spki(&k.pub, out, 10, &need), PN_ERR_BUFSIZE);
    ck_assert_uint_eq(need, spki.n);
    ck_assert_uint_eq(out[10], 0xEE);
}
END_TEST

START_TEST(rsa_keys_reject_bad_parameters)
{
    static blob pkcs1, spki;
    pn_rsa_der_key k;
    pn_rsa_public p;
    /* SEQUENCE { INTEGER 0xC1 (an 8-bit modulus), INTEGER 3 } */
    static const uint8_t tiny[] = {0x30, 0x07, 0x02, 0x02, 0x00, 0xC1, 0x02, 0x01, 0x03};
    PN_REQ("CRYPTO-RFC8017-43");
    ck_assert_int_eq(pn_rsa_public_from_der(&p, tiny, sizeof tiny), PN_ERR_CRYPTO_KEYSIZE);
    load(&pkcs1, "leaf1024_pkcs1.der");
    /* version 1 (multi-prime) is not supported. */
    ck_assert_uint_eq(pkcs1.b[4], 0x02);
    pkcs1.b[6] = 0x01;
    ck_assert_int_eq(pn_rsa_private_from_der(&k, pkcs1.b, pkcs1.n), PN_ERR_CRYPTO_ALGORITHM);
    pkcs1.b[6] = 0x00;
    ck_assert_int_eq(pn_rsa_private_from_der(&k, pkcs1.b, pkcs1.n), PN_OK);
    /* An even modulus. */
    pkcs1.b[(size_t)(k.pub.n - pkcs1.b) + k.pub.n_len - 1] &= 0xFE;
    ck_assert_int_eq(pn_rsa_private_from_der(&k, pkcs1.b, pkcs1.n), PN_ERR_CRYPTO_KEY);
    /* SPKI: another algorithm, and non-NULL parameters. */
    load(&spki, "leaf1024_spki.der");
    spki.b[15] = 0x02; /* 1.2.840.113549.1.1.2 (md2WithRSA, not a key algorithm) */
    ck_assert_int_eq(pn_rsa_public_from_spki(&p, spki.b, spki.n), PN_ERR_CRYPTO_ALGORITHM);
    load(&spki, "leaf1024_spki.der");
    ck_assert_uint_eq(spki.b[16], 0x05);
    spki.b[16] = 0x04; /* NULL -> empty OCTET STRING */
    ck_assert_int_eq(pn_rsa_public_from_spki(&p, spki.b, spki.n), PN_ERR_CRYPTO_DER);
}
END_TEST

/* ---- signatures and chains --------------------------------------------------------- */

START_TEST(x509_verifies_openssl_signatures)
{
    static blob ss, ca, leaf, p2p;
    pn_x509 s, c, l, m;
    PN_REQ("CRYPTO-RFC5280-10");
    load(&ss, "ss2048.der");
    load(&ca, "ca.der");
    load(&leaf, "leaf.der");
    load(&p2p, "p2p_md5.der");
    ck_assert_int_eq(pn_x509_parse(&s, ss.b, ss.n), PN_OK);
    ck_assert_int_eq(pn_x509_parse(&c, ca.b, ca.n), PN_OK);
    ck_assert_int_eq(pn_x509_parse(&l, leaf.b, leaf.n), PN_OK);
    ck_assert_int_eq(pn_x509_parse(&m, p2p.b, p2p.n), PN_OK);
    ck_assert_int_eq(pn_x509_verify_signature(&s, &s.pub), PN_OK); /* SHA-256 */
    ck_assert_int_eq(pn_x509_verify_signature(&c, &c.pub), PN_OK); /* SHA-256 */
    ck_assert_int_eq(pn_x509_verify_signature(&l, &c.pub), PN_OK); /* SHA-1 */
    ck_assert_int_eq(pn_x509_verify_signature(&m, &c.pub), PN_OK); /* MD5 */
    ck_assert_int_eq(pn_x509_verify_signature(&l, &s.pub), PN_ERR_CRYPTO_SIGNATURE);
    ck_assert_int_eq(pn_x509_verify_signature(&l, &l.pub), PN_ERR_CRYPTO_SIGNATURE);
    /* One flipped bit in the signed part. */
    leaf.b[200] ^= 0x01;
    ck_assert_int_eq(pn_x509_parse(&l, leaf.b, leaf.n), PN_OK);
    ck_assert_int_eq(pn_x509_verify_signature(&l, &c.pub), PN_ERR_CRYPTO_SIGNATURE);
}
END_TEST

START_TEST(x509_verifies_openssl_dgst_signature)
{
    static blob msg, sig, spki;
    pn_rsa_public p;
    uint8_t h[32];
    PN_REQ("CRYPTO-RFC8017-44");
    load(&msg, "msg.txt");
    load(&sig, "msg.sha256.sig");
    load(&spki, "leaf1024_spki.der");
    ck_assert_int_eq(pn_rsa_public_from_spki(&p, spki.b, spki.n), PN_OK);
    pn_sha256(msg.b, msg.n, h);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&p, PN_HASH_SHA256, h, 32, sig.b, sig.n), PN_OK);
    h[0] ^= 1;
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&p, PN_HASH_SHA256, h, 32, sig.b, sig.n),
                     PN_ERR_CRYPTO_SIGNATURE);
}
END_TEST

START_TEST(x509_chain_validation)
{
    static blob ca, leaf, ss;
    pn_x509 chain[PN_X509_MAX_CHAIN + 1], rev[2];
    size_t i;
    PN_REQ("CRYPTO-RFC5280-11");
    PN_REQ("CRYPTO-RFC5280-12");
    load(&ca, "ca.der");
    load(&leaf, "leaf.der");
    load(&ss, "ss2048.der");
    ck_assert_int_eq(pn_x509_parse(&chain[0], leaf.b, leaf.n), PN_OK);
    ck_assert_int_eq(pn_x509_parse(&chain[1], ca.b, ca.n), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain, 2, T_NOW, 0), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain + 1, 1, T_NOW, 0), PN_OK); /* root alone */
    /* Validity is checked for every certificate. */
    ck_assert_int_eq(pn_x509_chain_verify(chain, 2, T_LEAF_NOT_AFTER + 1, 0),
                     PN_ERR_CRYPTO_EXPIRED);
    ck_assert_int_eq(pn_x509_chain_verify(chain, 2, T_NOT_BEFORE - 1, 0), PN_ERR_CRYPTO_EXPIRED);
    /* Root-first order (MS-PNRP) with the flag; the wrong order without it fails. */
    rev[0] = chain[1];
    rev[1] = chain[0];
    ck_assert_int_eq(pn_x509_chain_verify(rev, 2, T_NOW, PN_X509_ROOT_FIRST), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(rev, 2, T_NOW, 0), PN_ERR_CRYPTO_CHAIN);
    /* A leaf alone is not self-signed. */
    ck_assert_int_eq(pn_x509_chain_verify(chain, 1, T_NOW, 0), PN_ERR_CRYPTO_CHAIN);
    /* Wrong issuer: names do not chain. */
    ck_assert_int_eq(pn_x509_parse(&chain[1], ss.b, ss.n), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain, 2, T_NOW, 0), PN_ERR_CRYPTO_CHAIN);
    /* Lengths: none, and one more than PN_X509_MAX_CHAIN. */
    ck_assert_int_eq(pn_x509_chain_verify(chain, 0, T_NOW, 0), PN_ERR_CRYPTO_CHAIN);
    for (i = 0; i <= PN_X509_MAX_CHAIN; i++)
        ck_assert_int_eq(pn_x509_parse(&chain[i], ca.b, ca.n), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain, PN_X509_MAX_CHAIN + 1, T_NOW, 0),
                     PN_ERR_CRYPTO_CHAIN);
}
END_TEST

/* ---- building ---------------------------------------------------------------------- */

typedef struct keys {
    blob der;
    pn_rsa_der_key k;
} keys;

static void load_key(keys *k, const char *name)
{
    load(&k->der, name);
    ck_assert_int_eq(pn_rsa_private_from_der(&k->k, k->der.b, k->der.n), PN_OK);
}

/* A root (CA, SHA-256) from the CA key and a leaf (SHA-1) for the 1024-bit key. */
static void build_pair(keys *root_key, keys *leaf_key, uint8_t *root, int *root_len, uint8_t *leaf,
                       int *leaf_len, int64_t nb, int64_t na)
{
    static const uint8_t serial1[] = {0x7F, 0x01};
    static const uint8_t serial2[16] = {0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    uint8_t bc[16], ku[8];
    pn_x509_ext_in ext[2];
    pn_x509_build_params p;
    pn_x509 r;
    uint64_t seed = 12345;
    int n;
    load_key(root_key, "ca_pkcs1.der");
    load_key(leaf_key, "leaf1024_pkcs1.der");
    memset(&p, 0, sizeof p);
    p.serial = serial1;
    p.serial_len = sizeof serial1;
    p.hash = PN_HASH_SHA256;
    p.issuer_cn = p.subject_cn = "peernet root \xC3\xA9";
    p.issuer_cn_len = p.subject_cn_len = strlen(p.issuer_cn);
    p.not_before = nb;
    p.not_after = na;
    p.subject_key = &root_key->k.pub;
    n = pn_x509_basic_constraints_value(1, 0, bc, sizeof bc);
    ck_assert_int_gt(n, 0);
    ext[0].oid = (const uint8_t *)PN_OID_BASIC_CONSTRAINTS;
    ext[0].oid_len = 3;
    ext[0].critical = 1;
    ext[0].value = bc;
    ext[0].value_len = (size_t)n;
    n = pn_x509_key_usage_value(PN_X509_KU_KEY_CERT_SIGN | PN_X509_KU_CRL_SIGN, ku, sizeof ku);
    ck_assert_int_gt(n, 0);
    ext[1].oid = (const uint8_t *)PN_OID_KEY_USAGE;
    ext[1].oid_len = 3;
    ext[1].critical = 1;
    ext[1].value = ku;
    ext[1].value_len = (size_t)n;
    p.exts = ext;
    p.n_exts = 2;
    *root_len = pn_x509_build(&p, &root_key->k.priv, test_rng, &seed, root, 4096, NULL);
    ck_assert_int_gt(*root_len, 0);
    ck_assert_int_eq(pn_x509_parse(&r, root, (size_t)*root_len), PN_OK);
    /* Leaf: issuer Name copied from the root's subject. */
    memset(&p, 0, sizeof p);
    p.serial = serial2;
    p.serial_len = sizeof serial2;
    p.hash = PN_HASH_SHA1;
    p.issuer_der = r.subject.p;
    p.issuer_der_len = r.subject.len;
    p.subject_cn = "peernet leaf";
    p.subject_cn_len = 12;
    p.not_before = nb;
    p.not_after = na;
    p.subject_key = &leaf_key->k.pub;
    *leaf_len = pn_x509_build(&p, &root_key->k.priv, test_rng, &seed, leaf, 4096, NULL);
    ck_assert_int_gt(*leaf_len, 0);
}

START_TEST(x509_built_certificates_parse_and_verify)
{
    static keys rk, lk;
    static uint8_t root[4096], leaf[4096];
    int rl, ll;
    pn_x509 chain[2];
    char cn[64];
    static const uint8_t serial2[17] = {0x00, 0x80, 1,  2,  3,  4,  5,  6, 7,
                                        8,    9,    10, 11, 12, 13, 14, 15};
    PN_REQ("CRYPTO-RFC5280-13");
    build_pair(&rk, &lk, root, &rl, leaf, &ll, 1700000000ll, 4102444800ll);
    ck_assert_int_eq(pn_x509_parse(&chain[0], leaf, (size_t)ll), PN_OK);
    ck_assert_int_eq(pn_x509_parse(&chain[1], root, (size_t)rl), PN_OK);
    ck_assert_uint_eq(chain[1].version, 3);
    ck_assert_int_eq(chain[1].is_ca, 1);
    ck_assert_int_eq(chain[1].path_len, 0);
    ck_assert_uint_eq(chain[1].key_usage, PN_X509_KU_KEY_CERT_SIGN | PN_X509_KU_CRL_SIGN);
    ck_assert_int_eq(chain[1].sig_alg, PN_X509_SIG_SHA256_RSA);
    ck_assert_int_eq(chain[0].sig_alg, PN_X509_SIG_SHA1_RSA);
    ck_assert(span_is(&chain[0].serial, serial2, sizeof serial2));
    ck_assert(chain[0].not_before == 1700000000ll);
    ck_assert(chain[0].not_after == 4102444800ll); /* 2100: GeneralizedTime */
    ck_assert_int_eq(pn_x509_subject_cn(&chain[1], cn, sizeof cn), 15);
    ck_assert_str_eq(cn, "peernet root \xC3\xA9");
    ck_assert_int_eq(pn_x509_issuer_cn(&chain[0], cn, sizeof cn), 15);
    ck_assert_mem_eq(chain[0].pub.n, lk.k.pub.n, lk.k.pub.n_len);
    ck_assert_int_eq(pn_x509_verify_signature(&chain[1], &chain[1].pub), PN_OK);
    ck_assert_int_eq(pn_x509_verify_signature(&chain[0], &chain[1].pub), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain, 2, 1800000000ll, 0), PN_OK);
}
END_TEST

START_TEST(x509_build_reports_exact_size)
{
    static keys k;
    static uint8_t out[4096];
    static const uint8_t serial[] = {1};
    pn_x509_build_params p;
    uint64_t seed = 99;
    size_t need = 0, need2 = 0;
    int n;
    PN_REQ("CRYPTO-RFC5280-13");
    load_key(&k, "leaf1024_pkcs1.der");
    memset(&p, 0, sizeof p);
    p.serial = serial;
    p.serial_len = 1;
    p.hash = PN_HASH_SHA256;
    p.issuer_cn = p.subject_cn = "size";
    p.issuer_cn_len = p.subject_cn_len = 4;
    p.not_before = 0;
    p.not_after = 86400;
    p.subject_key = &k.k.pub;
    ck_assert_int_eq(pn_x509_build(&p, &k.k.priv, test_rng, &seed, NULL, 0, &need), PN_ERR_BUFSIZE);
    memset(out, 0xEE, sizeof out);
    ck_assert_int_eq(pn_x509_build(&p, &k.k.priv, test_rng, &seed, out, need - 1, &need2),
                     PN_ERR_BUFSIZE);
    ck_assert_uint_eq(need2, need);
    ck_assert_uint_eq(out[need - 1], 0xEE);
    n = pn_x509_build(&p, &k.k.priv, test_rng, &seed, out, need, NULL);
    ck_assert_int_eq(n, (int)need);
    {
        /* With a caller scratch area: the same certificate (PKCS#1 v1.5 is deterministic). */
        static pn_rsa_work work;
        static uint8_t out2[4096];
        ck_assert_int_eq(pn_x509_build_work(&p, &k.k.priv, test_rng, &seed, &work, sizeof work,
                                            out2, sizeof out2, NULL),
                         (int)need);
        ck_assert_mem_eq(out2, out, need);
    }
    /* Refused inputs. */
    p.hash = PN_HASH_MD5;
    ck_assert_int_eq(pn_x509_build(&p, &k.k.priv, test_rng, &seed, out, sizeof out, NULL),
                     PN_ERR_CRYPTO_ALGORITHM);
    p.hash = PN_HASH_SHA1;
    p.serial = (const uint8_t *)"\0\0";
    p.serial_len = 2;
    ck_assert_int_eq(pn_x509_build(&p, &k.k.priv, test_rng, &seed, out, sizeof out, NULL),
                     PN_ERR_ARG);
}
END_TEST

/* UniversalString (UCS-4 BE) of ASCII text. */
static size_t ucs4(const char *s, uint8_t *out)
{
    size_t i, n = strlen(s);
    for (i = 0; i < n; i++) {
        out[4 * i] = out[4 * i + 1] = out[4 * i + 2] = 0;
        out[4 * i + 3] = (uint8_t)s[i];
    }
    return 4 * n;
}

/* GeneralName otherName [0] { type-id, [0] { UniversalString } }. */
static void wr_other_name(pn_wr *w, const char *type, const char *text)
{
    uint8_t u[256];
    size_t on = pn_der_wr_open(w, PN_DER_CTX_C(0)), ex;
    pn_der_wr_oid(w, (const uint8_t *)type, PN_OID_P2P_LEN);
    ex = pn_der_wr_open(w, PN_DER_CTX_C(0));
    pn_der_wr_tlv(w, PN_DER_UNIVERSAL_STRING, u, ucs4(text, u));
    pn_der_wr_close(w, ex);
    pn_der_wr_close(w, on);
}

START_TEST(x509_p2p_extensions_build_and_parse)
{
    static keys k;
    static uint8_t out[4096];
    static const uint8_t serial[16] = {0x11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    static const uint8_t type_root[] = {0x04, 0x04, 0x02, 0x00, 0x00, 0x00};
    static const uint8_t version[] = {0x04, 0x04, 0x01, 0x00, 0x02, 0x00};
    static const uint8_t admin[16] = {0x04, 0x38, 0x71, 0x27, 0xaa, 0x56, 0x45, 0x0a,
                                      0x8c, 0xe5, 0x4f, 0x56, 0x5c, 0x67, 0x90, 0xf4};
    uint8_t pname[256], classes[256], roles[64];
    pn_x509_ext_in ext[5];
    pn_x509_build_params p;
    pn_x509 c;
    pn_wr w;
    pn_der it;
    pn_der_tlv v;
    const uint8_t *r;
    size_t m;
    uint64_t seed = 7;
    char text[128];
    int n;
    PN_REQ("CRYPTO-RFC5280-06");
    PN_REQ("CRYPTO-RFC5280-13");
    load_key(&k, "leaf1024_pkcs1.der");
    pn_wr_init(&w, pname, sizeof pname);
    m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    wr_other_name(&w, PN_OID_P2P_PEER_NAME_TYPE, "0.peernet");
    pn_der_wr_close(&w, m);
    ck_assert_int_eq(pn_wr_err(&w), 0);
    ext[0].value_len = pn_wr_len(&w);
    pn_wr_init(&w, classes, sizeof classes);
    m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    wr_other_name(&w, PN_OID_P2P_CLASSIFIER_TYPE, "fish");
    wr_other_name(&w, PN_OID_P2P_CLASSIFIER_TYPE, "cheese");
    pn_der_wr_close(&w, m);
    ext[1].value_len = pn_wr_len(&w);
    pn_wr_init(&w, roles, sizeof roles);
    m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    pn_der_wr_octets(&w, admin, 16);
    pn_der_wr_close(&w, m);
    ext[2].value_len = pn_wr_len(&w);
    ext[0].oid = (const uint8_t *)PN_OID_P2P_PEER_NAME;
    ext[0].value = pname;
    ext[1].oid = (const uint8_t *)PN_OID_P2P_CLASSIFIERS;
    ext[1].value = classes;
    ext[2].oid = (const uint8_t *)PN_OID_P2P_ROLES;
    ext[2].value = roles;
    ext[3].oid = (const uint8_t *)PN_OID_P2P_CERT_TYPE;
    ext[3].value = type_root;
    ext[3].value_len = sizeof type_root;
    ext[4].oid = (const uint8_t *)PN_OID_P2P_CERT_VERSION;
    ext[4].value = version;
    ext[4].value_len = sizeof version;
    for (n = 0; n < 5; n++) {
        ext[n].oid_len = PN_OID_P2P_LEN;
        ext[n].critical = 1; /* MS-PNRP 2.2.3.5: all critical */
    }
    memset(&p, 0, sizeof p);
    p.serial = serial;
    p.serial_len = 16;
    p.hash = PN_HASH_SHA1;
    p.issuer_cn = p.subject_cn = "group";
    p.issuer_cn_len = p.subject_cn_len = 5;
    p.not_before = T_NOT_BEFORE;
    p.not_after = T_LEAF_NOT_AFTER;
    p.subject_key = &k.k.pub;
    p.exts = ext;
    p.n_exts = 5;
    n = pn_x509_build(&p, &k.k.priv, test_rng, &seed, out, sizeof out, NULL);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_x509_parse(&c, out, (size_t)n), PN_OK);
    ck_assert_uint_eq(c.serial.len, 16);
    ck_assert_uint_eq(c.p2p_cert_type, 2);
    ck_assert(span_is(&c.p2p_cert_version, "\x01\x00\x02\x00", 4));
    ck_assert_int_eq(pn_x509_p2p_peer_name(&c, &v), PN_OK);
    ck_assert_uint_eq(v.tag, PN_DER_UNIVERSAL_STRING);
    ck_assert_int_eq(pn_der_string_to_utf8(v.tag, v.val, v.len, text, sizeof text), 9);
    ck_assert_str_eq(text, "0.peernet");
    ck_assert_int_eq(pn_x509_p2p_classifiers_begin(&c, &it), PN_OK);
    ck_assert_int_eq(pn_x509_p2p_classifier_next(&it, &v), 1);
    ck_assert_int_eq(pn_der_string_to_utf8(v.tag, v.val, v.len, text, sizeof text), 4);
    ck_assert_str_eq(text, "fish");
    ck_assert_int_eq(pn_x509_p2p_classifier_next(&it, &v), 1);
    ck_assert_int_eq(pn_der_string_to_utf8(v.tag, v.val, v.len, text, sizeof text), 6);
    ck_assert_str_eq(text, "cheese");
    ck_assert_int_eq(pn_x509_p2p_classifier_next(&it, &v), 0);
    ck_assert_int_eq(pn_x509_p2p_roles_begin(&c, &it), PN_OK);
    ck_assert_int_eq(pn_x509_p2p_role_next(&it, &r), 1);
    ck_assert_mem_eq(r, admin, 16);
    ck_assert_int_eq(pn_x509_chain_verify(&c, 1, T_NOW, 0), PN_OK);
    /* A peer-name otherName with the wrong type-id is refused (the extension is critical). */
    ck_assert_uint_eq(patch_all(out, (size_t)n, PN_OID_P2P_PEER_NAME_TYPE,
                                PN_OID_P2P_CLASSIFIER_TYPE, PN_OID_P2P_LEN),
                      1);
    ck_assert_int_eq(pn_x509_parse(&c, out, (size_t)n), PN_ERR_CRYPTO_X509);
}
END_TEST

/* Build one certificate: subject CN, issuer Name DER (NULL: self-issued with the same CN),
 * optional basicConstraints CA with path_len (-2: no extension) and keyUsage (0: none). */
static int build_one(uint8_t *out, size_t cap, const char *cn, const pn_x509 *issuer,
                     const pn_rsa_der_key *subject_key, const pn_rsa_der_key *issuer_key,
                     int path_len, uint32_t ku)
{
    static const uint8_t serial[] = {0x33, 0x44};
    uint8_t bc[16], kub[8];
    pn_x509_ext_in ext[2];
    pn_x509_build_params p;
    uint64_t seed = 5;
    size_t n_ext = 0;
    int n;
    memset(&p, 0, sizeof p);
    p.serial = serial;
    p.serial_len = sizeof serial;
    p.hash = PN_HASH_SHA256;
    p.subject_cn = cn;
    p.subject_cn_len = strlen(cn);
    if (issuer != NULL) {
        p.issuer_der = issuer->subject.p;
        p.issuer_der_len = issuer->subject.len;
    } else {
        p.issuer_cn = cn;
        p.issuer_cn_len = strlen(cn);
    }
    p.not_before = T_NOT_BEFORE;
    p.not_after = T_LEAF_NOT_AFTER;
    p.subject_key = &subject_key->pub;
    if (path_len > -2) {
        n = pn_x509_basic_constraints_value(1, path_len, bc, sizeof bc);
        ck_assert_int_gt(n, 0);
        ext[n_ext].oid = (const uint8_t *)PN_OID_BASIC_CONSTRAINTS;
        ext[n_ext].oid_len = 3;
        ext[n_ext].critical = 1;
        ext[n_ext].value = bc;
        ext[n_ext++].value_len = (size_t)n;
    }
    if (ku != 0) {
        n = pn_x509_key_usage_value(ku, kub, sizeof kub);
        ck_assert_int_gt(n, 0);
        ext[n_ext].oid = (const uint8_t *)PN_OID_KEY_USAGE;
        ext[n_ext].oid_len = 3;
        ext[n_ext].critical = 1;
        ext[n_ext].value = kub;
        ext[n_ext++].value_len = (size_t)n;
    }
    p.exts = ext;
    p.n_exts = n_ext;
    n = pn_x509_build(&p, &issuer_key->priv, test_rng, &seed, out, cap, NULL);
    ck_assert_int_gt(n, 0);
    return n;
}

START_TEST(x509_chain_enforces_path_length_and_key_usage)
{
    static keys rk, ik, lk;
    static uint8_t rb[4096], ib[4096], lb[4096];
    pn_x509 chain[3];
    int rl, il, ll;
    PN_REQ("CRYPTO-RFC5280-12");
    load_key(&rk, "ca_pkcs1.der");
    load_key(&ik, "leaf1024_pkcs1.der");
    load_key(&lk, "ss2048_pkcs1.der");
    /* root (pathLen 1) -> intermediate (CA) -> leaf (no CA): valid. */
    rl = build_one(rb, sizeof rb, "root", NULL, &rk.k, &rk.k, 1, 0);
    ck_assert_int_eq(pn_x509_parse(&chain[2], rb, (size_t)rl), PN_OK);
    il = build_one(ib, sizeof ib, "intermediate", &chain[2], &ik.k, &rk.k, -1,
                   PN_X509_KU_KEY_CERT_SIGN);
    ck_assert_int_eq(pn_x509_parse(&chain[1], ib, (size_t)il), PN_OK);
    ll = build_one(lb, sizeof lb, "leaf", &chain[1], &lk.k, &ik.k, -2, 0);
    ck_assert_int_eq(pn_x509_parse(&chain[0], lb, (size_t)ll), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain, 3, T_NOW, 0), PN_OK);
    /* Root with pathLen 0: the intermediate CA is one too many. */
    rl = build_one(rb, sizeof rb, "root", NULL, &rk.k, &rk.k, 0, 0);
    ck_assert_int_eq(pn_x509_parse(&chain[2], rb, (size_t)rl), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain, 3, T_NOW, 0), PN_ERR_CRYPTO_CHAIN);
    ck_assert_int_eq(pn_x509_chain_verify(chain + 1, 2, T_NOW, 0), PN_OK);
    /* Intermediate whose keyUsage lacks keyCertSign. */
    rl = build_one(rb, sizeof rb, "root", NULL, &rk.k, &rk.k, 1, 0);
    ck_assert_int_eq(pn_x509_parse(&chain[2], rb, (size_t)rl), PN_OK);
    il = build_one(ib, sizeof ib, "intermediate", &chain[2], &ik.k, &rk.k, -1,
                   PN_X509_KU_DIGITAL_SIGNATURE);
    ck_assert_int_eq(pn_x509_parse(&chain[1], ib, (size_t)il), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain, 3, T_NOW, 0), PN_ERR_CRYPTO_CHAIN);
    /* Intermediate without basicConstraints. */
    il = build_one(ib, sizeof ib, "intermediate", &chain[2], &ik.k, &rk.k, -2, 0);
    ck_assert_int_eq(pn_x509_parse(&chain[1], ib, (size_t)il), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain, 3, T_NOW, 0), PN_ERR_CRYPTO_CHAIN);
    /* Signed by the wrong key although the names chain. */
    il = build_one(ib, sizeof ib, "intermediate", &chain[2], &ik.k, &lk.k, -1, 0);
    ck_assert_int_eq(pn_x509_parse(&chain[1], ib, (size_t)il), PN_OK);
    ck_assert_int_eq(pn_x509_chain_verify(chain + 1, 2, T_NOW, 0), PN_ERR_CRYPTO_SIGNATURE);
}
END_TEST

START_TEST(pkcs7_bag_iteration_stops_at_a_bad_certificate)
{
    static blob ca, crit;
    static uint8_t out[8192];
    pn_x509_span certs[2];
    pn_pkcs7_bag b;
    pn_der it;
    pn_x509 c;
    int n;
    PN_REQ("CRYPTO-RFC5652-12");
    load(&ca, "ca.der");
    load(&crit, "critunknown.der");
    certs[0].p = ca.b;
    certs[0].len = ca.n;
    certs[1].p = crit.b;
    certs[1].len = crit.n;
    n = pn_pkcs7_bag_build(certs, 2, out, sizeof out, NULL);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_pkcs7_bag_parse(&b, out, (size_t)n), PN_OK);
    ck_assert_uint_eq(b.count, 2);
    pn_pkcs7_bag_begin(&b, &it);
    ck_assert_int_eq(pn_pkcs7_bag_next(&it, &c), 1);
    ck_assert_int_eq(pn_pkcs7_bag_next(&it, &c), PN_ERR_CRYPTO_X509);
    ck_assert_int_eq(pn_pkcs7_bag_next(&it, &c), PN_ERR_CRYPTO_X509); /* stays put */
    /* An empty bag is valid and yields nothing. */
    n = pn_pkcs7_bag_build(NULL, 0, out, sizeof out, NULL);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_pkcs7_bag_parse(&b, out, (size_t)n), PN_OK);
    ck_assert_uint_eq(b.count, 0);
    pn_pkcs7_bag_begin(&b, &it);
    ck_assert_int_eq(pn_pkcs7_bag_next(&it, &c), 0);
}
END_TEST

START_TEST(x509_name_cn_reads_bmp_and_last_cn)
{
    /* Name: CN=first (PrintableString), then a BMPString CN "A" e-acute (the last wins). */
    static const uint8_t name[] = {0x30, 0x1f, 0x31, 0x0e, 0x30, 0x0c, 0x06, 0x03, 0x55,
                                   0x04, 0x03, 0x13, 0x05, 'f',  'i',  'r',  's',  't',
                                   0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x03,
                                   0x1e, 0x04, 0x00, 'A',  0x00, 0xe9};
    static const uint8_t no_cn[] = {0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03,
                                    0x55, 0x04, 0x0a, 0x0c, 0x02, 'o',  'k'};
    static const uint8_t empty_rdn[] = {0x30, 0x02, 0x31, 0x00};
    static const uint8_t bad_printable[] = {0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06,
                                            0x03, 0x55, 0x04, 0x03, 0x13, 0x01, '@'};
    char out[32];
    PN_REQ("CRYPTO-RFC5280-03");
    ck_assert_int_eq(pn_x509_name_cn(name, sizeof name, out, sizeof out), 3);
    ck_assert_str_eq(out, "A\xC3\xA9");
    ck_assert_int_eq(pn_x509_name_cn(no_cn, sizeof no_cn, out, sizeof out), PN_ERR_NOTFOUND);
    ck_assert_int_eq(pn_x509_name_cn(empty_rdn, sizeof empty_rdn, out, sizeof out),
                     PN_ERR_CRYPTO_X509);
    ck_assert_int_eq(pn_x509_name_cn(bad_printable, sizeof bad_printable, out, sizeof out),
                     PN_ERR_CRYPTO_DER);
    ck_assert_int_eq(pn_x509_name_cn(name, sizeof name - 1, out, sizeof out), PN_ERR_TRUNCATED);
}
END_TEST

/* ---- PKCS#7 ------------------------------------------------------------------------ */

START_TEST(pkcs7_bag_parses_openssl_output)
{
    static blob bag, ca, leaf;
    pn_pkcs7_bag b;
    pn_der it;
    pn_x509 c[2];
    PN_REQ("CRYPTO-RFC5652-10");
    load(&bag, "bag.p7b");
    load(&ca, "ca.der");
    load(&leaf, "leaf.der");
    ck_assert_int_eq(pn_pkcs7_bag_parse(&b, bag.b, bag.n), PN_OK);
    ck_assert_uint_eq(b.count, 2);
    pn_pkcs7_bag_begin(&b, &it);
    ck_assert_int_eq(pn_pkcs7_bag_next(&it, &c[1]), 1);
    ck_assert_int_eq(pn_pkcs7_bag_next(&it, &c[0]), 1);
    ck_assert_int_eq(pn_pkcs7_bag_next(&it, &c[0]), 0);
    ck_assert(span_is(&c[1].der, ca.b, ca.n));
    ck_assert(span_is(&c[0].der, leaf.b, leaf.n));
    ck_assert_int_eq(pn_x509_chain_verify(c, 2, T_NOW, 0), PN_OK);
}
END_TEST

START_TEST(pkcs7_bag_build_matches_openssl_bytes)
{
    static blob bag, ca, leaf;
    static uint8_t out[4096];
    pn_x509_span certs[PN_X509_MAX_CHAIN + 1];
    size_t need = 0, i;
    int n;
    PN_REQ("CRYPTO-RFC5652-11");
    load(&bag, "bag.p7b");
    load(&ca, "ca.der");
    load(&leaf, "leaf.der");
    certs[0].p = ca.b;
    certs[0].len = ca.n;
    certs[1].p = leaf.b;
    certs[1].len = leaf.n;
    ck_assert_int_eq(pn_pkcs7_bag_build(certs, 2, NULL, 0, &need), PN_ERR_BUFSIZE);
    ck_assert_uint_eq(need, bag.n);
    n = pn_pkcs7_bag_build(certs, 2, out, sizeof out, NULL);
    ck_assert_int_eq(n, (int)bag.n);
    ck_assert_mem_eq(out, bag.b, bag.n);
    for (i = 0; i <= PN_X509_MAX_CHAIN; i++)
        certs[i] = certs[0];
    ck_assert_int_eq(pn_pkcs7_bag_build(certs, PN_X509_MAX_CHAIN + 1, out, sizeof out, NULL),
                     PN_ERR_CRYPTO_CHAIN);
}
END_TEST

START_TEST(pkcs7_bag_rejects_malformed)
{
    static blob bag, ca;
    static uint8_t out[8192];
    pn_x509_span certs[PN_X509_MAX_CHAIN + 1];
    pn_pkcs7_bag b;
    size_t i;
    int n;
    PN_REQ("CRYPTO-RFC5652-12");
    load(&bag, "bag.p7b");
    load(&ca, "ca.der");
    for (i = 0; i < bag.n; i++) {
        uint8_t *cut = malloc(i ? i : 1);
        memcpy(cut, bag.b, i);
        ck_assert_int_lt(pn_pkcs7_bag_parse(&b, cut, i), 0);
        free(cut);
    }
    /* Trailing byte. */
    bag.b[bag.n] = 0;
    ck_assert_int_eq(pn_pkcs7_bag_parse(&b, bag.b, bag.n + 1), PN_ERR_TRAILING);
    /* Content type other than signedData (envelopedData, .7.3). */
    bag.b[14] = 0x03;
    ck_assert_int_eq(pn_pkcs7_bag_parse(&b, bag.b, bag.n), PN_ERR_CRYPTO_PKCS7);
    bag.b[14] = 0x02;
    /* Unsupported SignedData version. */
    ck_assert_uint_eq(bag.b[25], 0x01);
    bag.b[25] = 0x02;
    ck_assert_int_eq(pn_pkcs7_bag_parse(&b, bag.b, bag.n), PN_ERR_CRYPTO_PKCS7);
    bag.b[25] = 0x01;
    ck_assert_int_eq(pn_pkcs7_bag_parse(&b, bag.b, bag.n), PN_OK);
    /* More certificates than PN_X509_MAX_CHAIN: build the bag by hand. */
    for (i = 0; i <= PN_X509_MAX_CHAIN; i++) {
        certs[i].p = ca.b;
        certs[i].len = ca.n;
    }
    n = pn_pkcs7_bag_build(certs, PN_X509_MAX_CHAIN, out, sizeof out, NULL);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_pkcs7_bag_parse(&b, out, (size_t)n), PN_OK);
    ck_assert_uint_eq(b.count, PN_X509_MAX_CHAIN);
    {
        /* Append one more certificate inside [0] by rewriting the lengths. */
        pn_wr w;
        size_t ci, c0, sd, eci, set, k;
        pn_wr_init(&w, out, sizeof out);
        ci = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_oid(&w, (const uint8_t *)"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 9);
        c0 = pn_der_wr_open(&w, PN_DER_CTX_C(0));
        sd = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_i64(&w, 1);
        pn_der_wr_header(&w, PN_DER_SET, 0);
        eci = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_oid(&w, (const uint8_t *)"\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 9);
        pn_der_wr_close(&w, eci);
        set = pn_der_wr_open(&w, PN_DER_CTX_C(0));
        for (k = 0; k <= PN_X509_MAX_CHAIN; k++)
            pn_wr_bytes(&w, ca.b, ca.n);
        pn_der_wr_close(&w, set);
        pn_der_wr_header(&w, PN_DER_SET, 0);
        pn_der_wr_close(&w, sd);
        pn_der_wr_close(&w, c0);
        pn_der_wr_close(&w, ci);
        ck_assert_int_eq(pn_wr_err(&w), 0);
        ck_assert_int_eq(pn_pkcs7_bag_parse(&b, out, pn_wr_len(&w)), PN_ERR_CRYPTO_CHAIN);
    }
}
END_TEST

/* ---- PEM --------------------------------------------------------------------------- */

START_TEST(pem_encode_matches_openssl_and_decodes_keys)
{
    static blob der, pem, key, pkcs1;
    static char out[4096];
    static uint8_t back[4096];
    pn_rsa_der_key k8, k1;
    size_t need = 0, next = 0;
    int n;
    PN_REQ("CRYPTO-RFC7468-01");
    load(&der, "ca.der");
    load(&pem, "ca.pem");
    n = pn_pem_encode("CERTIFICATE", der.b, der.n, out, sizeof out, &need);
    ck_assert_int_eq(n, (int)pem.n);
    ck_assert_mem_eq(out, pem.b, pem.n);
    ck_assert_int_eq(pn_pem_encode("CERTIFICATE", der.b, der.n, out, 100, &need), PN_ERR_BUFSIZE);
    ck_assert_uint_eq(need, pem.n);
    n = pn_pem_decode((const char *)pem.b, pem.n, "CERTIFICATE", back, sizeof back, &need, &next);
    ck_assert_int_eq(n, (int)der.n);
    ck_assert_mem_eq(back, der.b, der.n);
    ck_assert_uint_eq(next, pem.n);
    ck_assert_int_eq(
        pn_pem_decode((const char *)pem.b, pem.n, "PRIVATE KEY", back, sizeof back, NULL, NULL),
        PN_ERR_NOTFOUND);
    ck_assert_int_eq(
        pn_pem_decode((const char *)pem.b, pem.n, "CERTIFICATE", back, 10, &need, NULL),
        PN_ERR_BUFSIZE);
    ck_assert_uint_eq(need, der.n);
    /* openssl's PEM private key (PKCS#8) is the same key as the PKCS#1 DER file. */
    load(&key, "leaf1024.key");
    load(&pkcs1, "leaf1024_pkcs1.der");
    n = pn_pem_decode((const char *)key.b, key.n, "PRIVATE KEY", back, sizeof back, NULL, NULL);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_rsa_private_from_pkcs8(&k8, back, (size_t)n), PN_OK);
    ck_assert_int_eq(pn_rsa_private_from_der(&k1, pkcs1.b, pkcs1.n), PN_OK);
    ck_assert_mem_eq(k8.pub.n, k1.pub.n, k1.pub.n_len);
    ck_assert_mem_eq(k8.priv.dq, k1.priv.dq, k1.priv.dq_len);
    /* A damaged body is not Base64. */
    pem.b[40] = '*';
    ck_assert_int_eq(
        pn_pem_decode((const char *)pem.b, pem.n, "CERTIFICATE", back, sizeof back, NULL, NULL),
        PN_ERR_CRYPTO_BASE64);
}
END_TEST

/* ---- openssl cross-check ----------------------------------------------------------- */

static void write_file(const char *path, const uint8_t *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b, 1, n, f), n);
    fclose(f);
}

static int run(const char *cmd)
{
    int rc = system(cmd);
    return rc == 0 ? 0 : 1;
}

START_TEST(x509_openssl_accepts_peernet_certificates)
{
    static keys rk, lk;
    static uint8_t root[4096], leaf[4096], bag[8192];
    char dir[] = "/tmp/pn_x509_XXXXXX", cmd[1024];
    pn_x509_span certs[2];
    int rl, ll, bl;
    PN_REQ("CRYPTO-RFC5280-14");
    if (!have_openssl()) {
        printf("x509_openssl_accepts_peernet_certificates: skipped: openssl not installed\n");
        return;
    }
    /* Valid from 2020 to 2099 so openssl's own clock is inside the window. */
    build_pair(&rk, &lk, root, &rl, leaf, &ll, 1577836800ll, 4102444799ll);
    certs[0].p = root;
    certs[0].len = (size_t)rl;
    certs[1].p = leaf;
    certs[1].len = (size_t)ll;
    bl = pn_pkcs7_bag_build(certs, 2, bag, sizeof bag, NULL);
    ck_assert_int_gt(bl, 0);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "%s/root.der", dir);
    write_file(cmd, root, (size_t)rl);
    snprintf(cmd, sizeof cmd, "%s/leaf.der", dir);
    write_file(cmd, leaf, (size_t)ll);
    snprintf(cmd, sizeof cmd, "%s/bag.p7b", dir);
    write_file(cmd, bag, (size_t)bl);
    snprintf(cmd, sizeof cmd,
             "cd %s && openssl x509 -inform DER -in root.der -noout -text >root.txt 2>&1 && "
             "openssl x509 -inform DER -in leaf.der -noout -text >leaf.txt 2>&1 && "
             "openssl x509 -inform DER -in root.der -out root.pem 2>/dev/null && "
             "openssl x509 -inform DER -in leaf.der -out leaf.pem 2>/dev/null && "
             "openssl verify -CAfile root.pem leaf.pem >verify.txt 2>&1 && "
             "grep -q 'CA:TRUE, pathlen:0' root.txt && grep -q 'Subject: CN = peernet leaf' "
             "leaf.txt && "
             "openssl pkcs7 -inform DER -in bag.p7b -print_certs -noout >bag.txt 2>&1 && "
             "grep -c '^subject=' bag.txt | grep -qx 2",
             dir);
    ck_assert_msg(run(cmd) == 0, "openssl rejected a peernet certificate (see %s)", dir);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(run(cmd), 0);
}
END_TEST

START_TEST(x509_verifies_fresh_openssl_signature)
{
    static blob spki;
    static uint8_t sig[512];
    char dir[] = "/tmp/pn_sig_XXXXXX", cmd[1024], path[256], key[512];
    static const char msg[] = "fresh message signed by openssl\n";
    pn_rsa_public p;
    uint8_t h[32];
    long n;
    PN_REQ("CRYPTO-RFC8017-44");
    if (!have_openssl()) {
        printf("x509_verifies_fresh_openssl_signature: skipped: openssl not installed\n");
        return;
    }
    load(&spki, "leaf1024_spki.der");
    ck_assert_int_eq(pn_rsa_public_from_spki(&p, spki.b, spki.n), PN_OK);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.txt", dir);
    write_file(path, (const uint8_t *)msg, strlen(msg));
    snprintf(cmd, sizeof cmd, "openssl dgst -sha256 -sign %s -out %s/m.sig %s/m.txt",
             pn_test_path("vectors/x509/leaf1024.key", key, sizeof key), dir, dir);
    ck_assert_int_eq(run(cmd), 0);
    snprintf(path, sizeof path, "%s/m.sig", dir);
    {
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        n = (long)fread(sig, 1, sizeof sig, f);
        fclose(f);
    }
    ck_assert_int_eq(n, 128);
    pn_sha256(msg, strlen(msg), h);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&p, PN_HASH_SHA256, h, 32, sig, (size_t)n), PN_OK);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(run(cmd), 0);
}
END_TEST

START_TEST(rsa_generated_key_exports_and_openssl_checks_it)
{
    static pn_rsa_keybuf kb;
    static uint8_t der[2048], der8[2048];
    char dir[] = "/tmp/pn_key_XXXXXX", cmd[1024];
    pn_rsa_der_key back;
    uint64_t seed = 0xC0FFEE;
    int n, n8;
    PN_REQ("CRYPTO-RFC8017-42");
    ck_assert_int_eq(pn_rsa_generate(&kb, 1024, test_rng, &seed), PN_OK);
    n = pn_rsa_private_to_der(&kb.pub, &kb.priv, kb.d, kb.d_len, der, sizeof der, NULL);
    ck_assert_int_gt(n, 0);
    ck_assert_int_eq(pn_rsa_private_from_der(&back, der, (size_t)n), PN_OK);
    ck_assert_uint_eq(back.priv.n_bits, 1024);
    ck_assert_mem_eq(back.pub.n, kb.pub.n + (kb.pub.n_len - back.pub.n_len), back.pub.n_len);
    n8 = pn_rsa_private_to_pkcs8(&kb.pub, &kb.priv, kb.d, kb.d_len, der8, sizeof der8, NULL);
    ck_assert_int_gt(n8, n);
    ck_assert_int_eq(pn_rsa_private_from_pkcs8(&back, der8, (size_t)n8), PN_OK);
    if (!have_openssl()) {
        printf("rsa_generated_key_exports_and_openssl_checks_it: skipped: openssl not "
               "installed\n");
        return;
    }
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "%s/k1.der", dir);
    write_file(cmd, der, (size_t)n);
    snprintf(cmd, sizeof cmd, "%s/k8.der", dir);
    write_file(cmd, der8, (size_t)n8);
    /* openssl checks p*q = n, d*e = 1 mod lcm and the CRT values. */
    snprintf(
        cmd, sizeof cmd,
        "cd %s && openssl rsa -inform DER -in k1.der -check -noout 2>&1 | grep -q 'RSA key ok' "
        "&& openssl pkey -inform DER -in k8.der -noout 2>/dev/null",
        dir);
    ck_assert_msg(run(cmd) == 0, "openssl rejected an exported key (see %s)", dir);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(run(cmd), 0);
}
END_TEST

/* ---- the `peernet cert` command ----------------------------------------------------- */

START_TEST(cert_command_prints_bag_and_checks_chain)
{
    const char *tool = getenv("PN_TOOL");
    char cmd[1024], path[512], line[256];
    FILE *p;
    int subjects = 0, root_first_ok = 0, status;
    if (tool == NULL) {
        printf("cert_command_prints_bag_and_checks_chain: skipped: PN_TOOL not set\n");
        return;
    }
    snprintf(cmd, sizeof cmd, "%s cert --at %lld %s", tool, (long long)T_NOW,
             pn_test_path("vectors/x509/bag.p7b", path, sizeof path));
    p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    while (fgets(line, sizeof line, p) != NULL) {
        if (strstr(line, "subject CN \"leaf.example\"") || strstr(line, "subject CN \"Test CA\""))
            subjects++;
        if (strcmp(line, "chain root-first: success\n") == 0)
            root_first_ok = 1;
    }
    status = pclose(p);
    ck_assert_int_eq(status, 0);
    ck_assert_int_eq(subjects, 2);
    ck_assert_int_eq(root_first_ok, 1);
    snprintf(cmd, sizeof cmd, "%s cert %s >/dev/null", tool,
             pn_test_path("vectors/x509/critunknown.der", path, sizeof path));
    ck_assert_int_ne(system(cmd), 0);
}
END_TEST

PN_SUITE(x509)
{
    Suite *s = suite_create("x509");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, x509_parses_self_signed_sha256_fields);
    tcase_add_test(tc, x509_parses_ca_and_sha1_leaf_fields);
    tcase_add_test(tc, x509_rejects_unknown_critical_extension);
    tcase_add_test(tc, x509_parses_microsoft_p2p_extensions_md5);
    tcase_add_test(tc, x509_rejects_other_signature_algorithms);
    tcase_add_test(tc, x509_rejects_oversized_truncated_and_trailing);
    tcase_add_test(tc, x509_single_byte_mutations_never_crash);
    tcase_add_test(tc, x509_rejects_v1_encoded_version_and_bad_extensions);
    tcase_add_test(tc, x509_name_cn_reads_bmp_and_last_cn);
    suite_add_tcase(s, tc);
    tc = tcase_create("keys");
    tcase_add_test(tc, rsa_keys_import_from_openssl_formats);
    tcase_add_test(tc, rsa_keys_export_matches_openssl_bytes);
    tcase_add_test(tc, rsa_keys_reject_bad_parameters);
    suite_add_tcase(s, tc);
    tc = tcase_create("verify");
    tcase_add_test(tc, x509_verifies_openssl_signatures);
    tcase_add_test(tc, x509_verifies_openssl_dgst_signature);
    tcase_add_test(tc, x509_chain_validation);
    tcase_add_test(tc, x509_chain_enforces_path_length_and_key_usage);
    suite_add_tcase(s, tc);
    tc = tcase_create("build");
    tcase_add_test(tc, x509_built_certificates_parse_and_verify);
    tcase_add_test(tc, x509_build_reports_exact_size);
    tcase_add_test(tc, x509_p2p_extensions_build_and_parse);
    suite_add_tcase(s, tc);
    tc = tcase_create("pkcs7");
    tcase_add_test(tc, pkcs7_bag_parses_openssl_output);
    tcase_add_test(tc, pkcs7_bag_build_matches_openssl_bytes);
    tcase_add_test(tc, pkcs7_bag_rejects_malformed);
    tcase_add_test(tc, pkcs7_bag_iteration_stops_at_a_bad_certificate);
    suite_add_tcase(s, tc);
    tc = tcase_create("pem");
    tcase_add_test(tc, pem_encode_matches_openssl_and_decodes_keys);
    suite_add_tcase(s, tc);
    tc = tcase_create("openssl");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, x509_openssl_accepts_peernet_certificates);
    tcase_add_test(tc, x509_verifies_fresh_openssl_signature);
    tcase_add_test(tc, rsa_generated_key_exports_and_openssl_checks_it);
    tcase_add_test(tc, cert_command_prints_bag_and_checks_chain);
    suite_add_tcase(s, tc);
    return s;
}
