/* RSA key formats, X.509 v3 certificates and PKCS#7 certificate bags.
 *
 * Everything parsed here is a struct of pointers into the caller's DER bytes: nothing is
 * copied or allocated, so the DER must outlive the struct.  Builders write into a
 * caller buffer through pn_wr and report the exact size needed (PN_ERR_BUFSIZE with
 * *needed set), so a first call with cap 0 sizes the output.
 */
#ifndef PEERNET_X509_H
#define PEERNET_X509_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/der.h"
#include "peernet/hash.h"
#include "peernet/opts.h"
#include "peernet/rsa.h"

/* ---- OIDs (content octets) used by callers ------------------------------------------ */
/* Microsoft peer-to-peer arcs, 1.3.6.1.4.1.311.44.* (MS-PNRP 2.2.3.5, MS-PPSEC 2.2.5). */
#define PN_OID_P2P_CERT_TYPE       "\x2b\x06\x01\x04\x01\x82\x37\x2c\x00\x01" /* 44.0.1 */
#define PN_OID_P2P_PEER_NAME_TYPE  "\x2b\x06\x01\x04\x01\x82\x37\x2c\x00\x02" /* 44.0.2 */
#define PN_OID_P2P_CLASSIFIER_TYPE "\x2b\x06\x01\x04\x01\x82\x37\x2c\x00\x03" /* 44.0.3 */
#define PN_OID_P2P_CERT_VERSION    "\x2b\x06\x01\x04\x01\x82\x37\x2c\x00\x04" /* 44.0.4 */
#define PN_OID_P2P_IDENTITY_FLAGS  "\x2b\x06\x01\x04\x01\x82\x37\x2c\x02\x02" /* 44.2.2 */
#define PN_OID_P2P_PEER_NAME       "\x2b\x06\x01\x04\x01\x82\x37\x2c\x03\x01" /* 44.3.1 */
#define PN_OID_P2P_GROUPING_FLAGS  "\x2b\x06\x01\x04\x01\x82\x37\x2c\x03\x02" /* 44.3.2 */
#define PN_OID_P2P_ROLES           "\x2b\x06\x01\x04\x01\x82\x37\x2c\x03\x03" /* 44.3.3 */
#define PN_OID_P2P_PEER_AUTH       "\x2b\x06\x01\x04\x01\x82\x37\x2c\x03\x04" /* 44.3.4 EKU */
#define PN_OID_P2P_CLASSIFIERS     "\x2b\x06\x01\x04\x01\x82\x37\x2c\x03\x05" /* 44.3.5 */
#define PN_OID_P2P_LEN             10
/* RFC 5280 4.2.1 extensions. */
#define PN_OID_BASIC_CONSTRAINTS "\x55\x1d\x13" /* 2.5.29.19 */
#define PN_OID_KEY_USAGE         "\x55\x1d\x0f" /* 2.5.29.15 */
#define PN_OID_SUBJECT_ALT_NAME  "\x55\x1d\x11" /* 2.5.29.17 */
#define PN_OID_ISSUER_ALT_NAME   "\x55\x1d\x12" /* 2.5.29.18 */
#define PN_OID_EXT_KEY_USAGE     "\x55\x1d\x25" /* 2.5.29.37 */
#define PN_OID_X509_EXT_LEN      3

/* ---- RSA key formats (RFC 8017 A.1, RFC 5280 4.1.2.7, RFC 5208) --------------------- */
/* A private key as read from DER: the public half, the CRT view rsa.h signs with, and
 * the private exponent (needed only to export RSAPrivateKey again). */
typedef struct pn_rsa_der_key {
    pn_rsa_public pub;
    pn_rsa_private priv;
    const uint8_t *d;
    size_t d_len;
} pn_rsa_der_key;

/* RSAPublicKey ::= SEQUENCE { modulus, publicExponent }.  Integer fields point at the
 * magnitudes (sign octet dropped).  PN_ERR_CRYPTO_KEYSIZE above PN_RSA_MAX_BITS or
 * below 512 bits; PN_ERR_CRYPTO_KEY for an even modulus or exponent < 3. */
int pn_rsa_public_from_der(pn_rsa_public *key, const uint8_t *der, size_t len);
/* SubjectPublicKeyInfo with rsaEncryption and NULL parameters (RFC 3279 2.3.1). */
int pn_rsa_public_from_spki(pn_rsa_public *key, const uint8_t *der, size_t len);
/* RSAPrivateKey (two-prime, version 0; multi-prime → PN_ERR_CRYPTO_ALGORITHM). */
int pn_rsa_private_from_der(pn_rsa_der_key *key, const uint8_t *der, size_t len);
/* PKCS#8 PrivateKeyInfo holding rsaEncryption (what `openssl genpkey` writes). */
int pn_rsa_private_from_pkcs8(pn_rsa_der_key *key, const uint8_t *der, size_t len);

/* Writers: bytes written, or PN_ERR_BUFSIZE with *needed the exact size (needed may be
 * NULL).  The private writers need the modulus (pub) and d besides the CRT values. */
int pn_rsa_public_to_der(const pn_rsa_public *key, uint8_t *out, size_t cap, size_t *needed);
int pn_rsa_public_to_spki(const pn_rsa_public *key, uint8_t *out, size_t cap, size_t *needed);
int pn_rsa_private_to_der(const pn_rsa_public *pub, const pn_rsa_private *priv, const uint8_t *d,
                          size_t d_len, uint8_t *out, size_t cap, size_t *needed);
int pn_rsa_private_to_pkcs8(const pn_rsa_public *pub, const pn_rsa_private *priv, const uint8_t *d,
                            size_t d_len, uint8_t *out, size_t cap, size_t *needed);
/* Write the SPKI into an open writer (used by the certificate builder). */
void pn_rsa_public_wr_spki(pn_wr *w, const pn_rsa_public *key);

/* ---- X.509 certificate ------------------------------------------------------------- */
typedef enum pn_x509_sig_alg {
    PN_X509_SIG_MD5_RSA = 1,    /* 1.2.840.113549.1.1.4 */
    PN_X509_SIG_SHA1_RSA = 2,   /* 1.2.840.113549.1.1.5 */
    PN_X509_SIG_SHA256_RSA = 3, /* 1.2.840.113549.1.1.11 */
} pn_x509_sig_alg;

/* keyUsage bits (RFC 5280 4.2.1.3), numbered as in the ASN.1: bit 0 is the first. */
#define PN_X509_KU_DIGITAL_SIGNATURE 0x0001u
#define PN_X509_KU_NON_REPUDIATION   0x0002u
#define PN_X509_KU_KEY_ENCIPHERMENT  0x0004u
#define PN_X509_KU_DATA_ENCIPHERMENT 0x0008u
#define PN_X509_KU_KEY_AGREEMENT     0x0010u
#define PN_X509_KU_KEY_CERT_SIGN     0x0020u
#define PN_X509_KU_CRL_SIGN          0x0040u
#define PN_X509_KU_ENCIPHER_ONLY     0x0080u
#define PN_X509_KU_DECIPHER_ONLY     0x0100u

/* Which extensions a certificate carries (pn_x509.ext_present). */
#define PN_X509_EXT_BASIC_CONSTRAINTS    0x0001u
#define PN_X509_EXT_KEY_USAGE            0x0002u
#define PN_X509_EXT_SUBJECT_ALT_NAME     0x0004u
#define PN_X509_EXT_ISSUER_ALT_NAME      0x0008u
#define PN_X509_EXT_EXT_KEY_USAGE        0x0010u
#define PN_X509_EXT_SUBJECT_KEY_ID       0x0020u
#define PN_X509_EXT_AUTHORITY_KEY_ID     0x0040u
#define PN_X509_EXT_OLD_SUBJECT_ALT_NAME 0x0080u /* 2.5.29.7, MS-PPSEC 2.2.5 */
#define PN_X509_EXT_OLD_ISSUER_ALT_NAME  0x0100u /* 2.5.29.8 */
#define PN_X509_EXT_P2P_CERT_TYPE        0x0200u
#define PN_X509_EXT_P2P_CERT_VERSION     0x0400u
#define PN_X509_EXT_P2P_PEER_NAME        0x0800u
#define PN_X509_EXT_P2P_ROLES            0x1000u
#define PN_X509_EXT_P2P_CLASSIFIERS      0x2000u
#define PN_X509_EXT_P2P_GROUPING_FLAGS   0x4000u
#define PN_X509_EXT_P2P_IDENTITY_FLAGS   0x8000u

/* A byte range inside the certificate. */
typedef struct pn_x509_span {
    const uint8_t *p;
    size_t len;
} pn_x509_span;

typedef struct pn_x509 {
    pn_x509_span der;    /* the whole Certificate TLV */
    pn_x509_span tbs;    /* TBSCertificate TLV: the signed bytes */
    unsigned version;    /* 1, 2 or 3 (the encoded field plus one) */
    pn_x509_span serial; /* INTEGER content octets, as encoded */
    pn_x509_sig_alg sig_alg;
    pn_hash_id sig_hash;
    pn_x509_span issuer;   /* Name TLV */
    pn_x509_span subject;  /* Name TLV */
    uint8_t issuer_cn_tag; /* string tag of the last commonName, 0 when none */
    uint8_t subject_cn_tag;
    pn_x509_span issuer_cn; /* value octets of that commonName */
    pn_x509_span subject_cn;
    int64_t not_before, not_after; /* seconds since the Unix epoch */
    pn_x509_span spki;             /* SubjectPublicKeyInfo TLV */
    pn_rsa_public pub;             /* points into spki */
    int has_unique_ids;            /* issuerUniqueID or subjectUniqueID present */
    pn_x509_span extensions;       /* content of the Extensions SEQUENCE (may be empty) */
    uint32_t ext_present;          /* PN_X509_EXT_* */
    int is_ca;                     /* basicConstraints cA */
    int path_len;                  /* pathLenConstraint, -1 when absent */
    uint32_t key_usage;            /* PN_X509_KU_* (valid when the extension is present) */
    /* Extension values (the content of extnValue) of the extensions listed above. */
    pn_x509_span subject_alt_name, issuer_alt_name, ext_key_usage;
    pn_x509_span subject_key_id, authority_key_id;
    pn_x509_span old_subject_alt_name, old_issuer_alt_name;
    uint32_t p2p_cert_type; /* MS-PNRP 2.2.3.5 PnrpCertificateType: LE u32 */
    pn_x509_span p2p_cert_version, p2p_peer_name, p2p_roles, p2p_classifiers;
    pn_x509_span p2p_grouping_flags, p2p_identity_flags;
    pn_x509_span signature; /* signatureValue bits */
} pn_x509;

/* One extension, as walked by pn_x509_ext_next. */
typedef struct pn_x509_ext {
    pn_x509_span oid; /* content octets */
    int critical;
    pn_x509_span value; /* content of extnValue */
} pn_x509_ext;

/* Parse one certificate occupying exactly [der, der+len).  PN_ERR_CRYPTO_X509 for a
 * certificate above PN_X509_MAX_CERT_BYTES, a structure X.509 forbids, an unknown
 * critical extension or a duplicate extension; PN_ERR_CRYPTO_ALGORITHM for a signature
 * algorithm other than md5/sha1/sha256WithRSAEncryption or a key other than
 * rsaEncryption; the key errors of pn_rsa_public_from_der; DER errors as such;
 * PN_ERR_TRAILING for bytes after the certificate.  The serial is taken as encoded
 * (RFC 5280 asks for a positive one; old certificates break that). */
int pn_x509_parse(pn_x509 *cert, const uint8_t *der, size_t len);

/* Walk the extensions: start with *it from pn_x509_ext_begin; returns 1 per extension,
 * 0 at the end, or a negative error. */
void pn_x509_ext_begin(const pn_x509 *cert, pn_der *it);
int pn_x509_ext_next(pn_der *it, pn_x509_ext *ext);
/* Find an extension by OID content octets: 1 found, 0 absent. */
int pn_x509_ext_find(const pn_x509 *cert, const uint8_t *oid, size_t oid_len, pn_x509_ext *ext);

/* The last commonName of a Name TLV as UTF-8 (NUL-terminated); returns its length,
 * PN_ERR_NOTFOUND without a commonName. */
int pn_x509_name_cn(const uint8_t *name, size_t name_len, char *out, size_t cap);
/* The subject's / issuer's commonName as UTF-8. */
int pn_x509_subject_cn(const pn_x509 *cert, char *out, size_t cap);
int pn_x509_issuer_cn(const pn_x509 *cert, char *out, size_t cap);

/* Verify cert's signature with the issuer's public key: PN_OK or
 * PN_ERR_CRYPTO_SIGNATURE. */
int pn_x509_verify_signature(const pn_x509 *cert, const pn_rsa_public *issuer_key);
/* PN_OK when not_before <= now <= not_after, PN_ERR_CRYPTO_EXPIRED otherwise. */
int pn_x509_check_validity(const pn_x509 *cert, int64_t now);

/* Chain validation (RFC 5280 6.1, simplified): certs[0] is the leaf and certs[n-1] the
 * root, unless PN_X509_ROOT_FIRST (the MS-PNRP 2.2.3.5 order: root first).  Each
 * certificate's issuer Name equals the next one's subject Name byte for byte, its
 * signature verifies with that key, every issuer is a CA (basicConstraints cA, and
 * keyCertSign when keyUsage is present) within its pathLenConstraint, every certificate
 * is valid at `now`, and the root is self-signed.  Whether the root is trusted is the
 * caller's decision (compare its SPKI with a trust anchor).
 * PN_ERR_CRYPTO_CHAIN for n == 0, n > PN_X509_MAX_CHAIN or a broken link. */
#define PN_X509_ROOT_FIRST 0x1u
int pn_x509_chain_verify(const pn_x509 *certs, size_t n, int64_t now, unsigned flags);

/* extKeyUsage (RFC 5280 4.2.1.12): 1 when the certificate lists the purpose OID (content
 * octets), 0 when it lists others only, PN_ERR_NOTFOUND without the extension (which
 * RFC 5280 reads as "any purpose": the caller decides).  MS-PPSEC 2.2.5 requires both
 * PN_OID_P2P_PEER_AUTH and id-kp-serverAuth (PN_OID_KP_SERVER_AUTH). */
#define PN_OID_KP_SERVER_AUTH "\x2b\x06\x01\x05\x05\x07\x03\x01" /* 1.3.6.1.5.5.7.3.1 */
#define PN_OID_KP_LEN         8
int pn_x509_has_ext_key_usage(const pn_x509 *cert, const uint8_t *oid, size_t oid_len);

/* ---- Microsoft peer-to-peer extensions (MS-PNRP 2.2.3.5, MS-PPSEC 2.2.5) ------------- */
/* The UniversalString (or BMPString) value of the otherName inside PnrpPeerName
 * (SEQUENCE SIZE(1) OF GeneralName, type-id 44.0.2).  PN_ERR_NOTFOUND when absent. */
int pn_x509_p2p_peer_name(const pn_x509 *cert, pn_der_tlv *value);
/* Walk PnrpClassifiersList (GeneralNames of otherName 44.0.3); *it starts from
 * pn_x509_p2p_classifiers_begin.  1 per classifier (value filled), 0 at the end. */
int pn_x509_p2p_classifiers_begin(const pn_x509 *cert, pn_der *it);
int pn_x509_p2p_classifier_next(pn_der *it, pn_der_tlv *value);
/* Walk PnrpRole (SEQUENCE OF OCTET STRING, 16-byte role IDs). */
int pn_x509_p2p_roles_begin(const pn_x509 *cert, pn_der *it);
int pn_x509_p2p_role_next(pn_der *it, const uint8_t **role16);

/* ---- building certificates --------------------------------------------------------- */
typedef struct pn_x509_ext_in {
    const uint8_t *oid; /* content octets */
    size_t oid_len;
    int critical;
    const uint8_t *value; /* DER of the extension value (goes into extnValue) */
    size_t value_len;
} pn_x509_ext_in;

typedef struct pn_x509_build_params {
    /* Big-endian magnitude, encoded as a positive INTEGER (RFC 5280 4.1.2.2).  A set top
     * bit costs a 0x00 sign octet, so for MS-PNRP's "exactly 16 bytes" pass 16 bytes
     * with the top bit clear. */
    const uint8_t *serial;
    size_t serial_len;
    pn_hash_id hash; /* PN_HASH_SHA1 or PN_HASH_SHA256 */
    /* Names: either a complete Name TLV (issuer_der, e.g. the issuer certificate's
     * subject) or a commonName in UTF-8 giving a one-RDN Name with a UTF8String. */
    const uint8_t *issuer_der;
    size_t issuer_der_len;
    const char *issuer_cn;
    size_t issuer_cn_len;
    const uint8_t *subject_der;
    size_t subject_der_len;
    const char *subject_cn;
    size_t subject_cn_len;
    int64_t not_before, not_after;
    const pn_rsa_public *subject_key;
    const pn_x509_ext_in *exts;
    size_t n_exts;
} pn_x509_build_params;

/* Build and sign a v3 certificate with the issuer's private key (the subject's own for
 * a self-signed one).  Returns the length written, or PN_ERR_BUFSIZE with *needed the
 * exact size (the signature is one modulus long, so the size is known before signing). */
int pn_x509_build(const pn_x509_build_params *params, const pn_rsa_private *issuer_key,
                  pn_rng_fn rng, void *rng_ctx, uint8_t *out, size_t cap, size_t *needed);
/* The same with the RSA scratch area given by the caller (see pn_rsa_work in rsa.h), so
 * signing needs little stack on small targets.  pn_x509_build is this with work NULL,
 * which needs PN_RSA_STACK_WORK (else it returns PN_ERR_ARG). */
int pn_x509_build_work(const pn_x509_build_params *params, const pn_rsa_private *issuer_key,
                       pn_rng_fn rng, void *rng_ctx, void *work, size_t work_len, uint8_t *out,
                       size_t cap, size_t *needed);
/* Extension value helpers: write the DER of basicConstraints / keyUsage values. */
int pn_x509_basic_constraints_value(int ca, int path_len, uint8_t *out, size_t cap);
int pn_x509_key_usage_value(uint32_t bits, uint8_t *out, size_t cap);

/* ---- PKCS#7 certificate bag (RFC 2315 9.1 / RFC 5652 5.1, no signers) ---------------- */
typedef struct pn_pkcs7_bag {
    pn_x509_span certs; /* content of the [0] certificates field (concatenated TLVs) */
    size_t count;
} pn_pkcs7_bag;

/* Parse a degenerate SignedData ContentInfo: version, empty-or-any digestAlgorithms,
 * id-data content without eContent, [0] certificates, optional [1] CRLs (skipped), and
 * signerInfos (must be empty).  Each certificate's outer TLV is checked; at most
 * PN_X509_MAX_CHAIN certificates (PN_ERR_CRYPTO_CHAIN otherwise).  Certificate order is
 * kept as encoded: MS-PNRP gives it meaning. */
int pn_pkcs7_bag_parse(pn_pkcs7_bag *bag, const uint8_t *der, size_t len);
/* Iterate: 1 and cert filled per certificate, 0 at the end, or a negative error. */
void pn_pkcs7_bag_begin(const pn_pkcs7_bag *bag, pn_der *it);
int pn_pkcs7_bag_next(pn_der *it, pn_x509 *cert);
/* Build a bag from n certificate DER blobs (in that order). */
int pn_pkcs7_bag_build(const pn_x509_span *certs, size_t n, uint8_t *out, size_t cap,
                       size_t *needed);

/* ---- PEM (RFC 7468) ----------------------------------------------------------------- */
/* Encode DER as "-----BEGIN label-----", Base64 lines of 64 characters, "-----END
 * label-----", each line ending in LF.  No NUL is added.  Returns the characters
 * written, or PN_ERR_BUFSIZE with *needed the exact size. */
int pn_pem_encode(const char *label, const uint8_t *der, size_t der_len, char *out, size_t cap,
                  size_t *needed);
/* Decode the first block labelled `label` in text[0..len): returns the DER length,
 * PN_ERR_NOTFOUND when no such block, PN_ERR_CRYPTO_BASE64 for a body that is not
 * strict Base64 (RFC 1421 headers included), PN_ERR_BUFSIZE with *needed.  *next (when
 * not NULL) is set just after the END line, to read a file of several blocks. */
int pn_pem_decode(const char *text, size_t len, const char *label, uint8_t *out, size_t cap,
                  size_t *needed, size_t *next);

#endif
