/* X.509 v3 certificate parser (RFC 5280 4.1, 4.2): a flat walk of the fixed structure,
 * every field a pointer into the input. */
#include "crypto/x509_int.h"
#include "wire/pn_mem.h"

static void span_set(pn_x509_span *s, const uint8_t *p, size_t len)
{
    s->p = p;
    s->len = len;
}

/* AlgorithmIdentifier of the signature: OID with NULL or absent parameters (RFC 4055 5
 * says NULL; some encoders omit it). */
static int read_sig_alg(pn_der *d, pn_der_tlv *whole, pn_x509_sig_alg *alg, pn_hash_id *hash)
{
    pn_der seq;
    const uint8_t *oid;
    size_t oid_len;
    int rc;
    if ((rc = pn_der_expect(d, PN_DER_SEQUENCE, whole)) != PN_OK)
        return rc;
    pn_der_init(&seq, whole->val, whole->len);
    if ((rc = pn_der_read_oid(&seq, &oid, &oid_len)) != PN_OK)
        return rc;
    if (!pn_der_at_end(&seq) && (rc = pn_der_read_null(&seq)) != PN_OK)
        return rc;
    if ((rc = pn_der_finish(&seq)) != PN_OK)
        return rc;
    if (PN_OID_IS(oid, oid_len, PN_OID_SHA1_RSA)) {
        *alg = PN_X509_SIG_SHA1_RSA;
        *hash = PN_HASH_SHA1;
    } else if (PN_OID_IS(oid, oid_len, PN_OID_SHA256_RSA)) {
        *alg = PN_X509_SIG_SHA256_RSA;
        *hash = PN_HASH_SHA256;
    } else if (PN_OID_IS(oid, oid_len, PN_OID_MD5_RSA)) {
        *alg = PN_X509_SIG_MD5_RSA;
        *hash = PN_HASH_MD5;
    } else {
        return PN_ERR_CRYPTO_ALGORITHM;
    }
    return PN_OK;
}

/* Name ::= SEQUENCE OF RelativeDistinguishedName (SET SIZE(1..MAX) OF
 * AttributeTypeAndValue).  Checks the shape and finds the last commonName. */
static int read_name(pn_der *d, pn_x509_span *name, uint8_t *cn_tag, pn_x509_span *cn)
{
    pn_der_tlv whole, val;
    pn_der rdns, set, atv;
    const uint8_t *oid;
    size_t oid_len;
    int rc;
    if ((rc = pn_der_expect(d, PN_DER_SEQUENCE, &whole)) != PN_OK)
        return rc;
    span_set(name, whole.tlv, whole.tlv_len);
    *cn_tag = 0;
    span_set(cn, NULL, 0);
    pn_der_init(&rdns, whole.val, whole.len);
    while (!pn_der_at_end(&rdns)) {
        if ((rc = pn_der_enter(&rdns, PN_DER_SET, &set)) != PN_OK)
            return rc;
        if (pn_der_at_end(&set))
            return PN_ERR_CRYPTO_X509; /* an RDN has at least one attribute */
        while (!pn_der_at_end(&set)) {
            if ((rc = pn_der_enter(&set, PN_DER_SEQUENCE, &atv)) != PN_OK ||
                (rc = pn_der_read_oid(&atv, &oid, &oid_len)) != PN_OK)
                return rc;
            if (PN_OID_IS(oid, oid_len, PN_OID_AT_COMMON_NAME)) {
                if ((rc = pn_der_read_string(&atv, &val)) != PN_OK)
                    return rc;
                *cn_tag = val.tag;
                span_set(cn, val.val, val.len);
            } else if ((rc = pn_der_next(&atv, &val)) != PN_OK) {
                return rc;
            }
            if ((rc = pn_der_finish(&atv)) != PN_OK)
                return rc;
        }
    }
    return PN_OK;
}

/* A value that must be exactly one well-formed DER element. */
static int check_one_element(const uint8_t *p, size_t len, uint8_t tag)
{
    pn_der d;
    pn_der_tlv t;
    int rc;
    pn_der_init(&d, p, len);
    if ((rc = pn_der_expect(&d, tag, &t)) != PN_OK)
        return rc;
    if ((rc = pn_der_finish(&d)) != PN_OK)
        return rc;
    rc = pn_der_validate(p, len, PN_DER_MAX_DEPTH);
    return rc < 0 ? rc : PN_OK;
}

/* BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER
 * (0..MAX) OPTIONAL } (RFC 5280 4.2.1.9). */
static int parse_basic_constraints(pn_x509 *c, const uint8_t *p, size_t len)
{
    pn_der d, seq;
    uint32_t pl;
    int rc, ca = 0;
    pn_der_init(&d, p, len);
    if ((rc = pn_der_enter(&d, PN_DER_SEQUENCE, &seq)) != PN_OK ||
        (rc = pn_der_finish(&d)) != PN_OK)
        return rc;
    if (pn_der_peek(&seq) == PN_DER_BOOLEAN) {
        if ((rc = pn_der_read_bool(&seq, &ca)) != PN_OK)
            return rc;
        if (!ca)
            return PN_ERR_CRYPTO_DER; /* X.690 11.5: a DEFAULT value is never encoded */
    }
    c->path_len = -1;
    if (!pn_der_at_end(&seq)) {
        if ((rc = pn_der_read_u32(&seq, &pl)) != PN_OK)
            return rc == PN_ERR_RANGE ? PN_ERR_CRYPTO_X509 : rc;
        if (pl > 255u)
            pl = 255u; /* longer than any chain peernet accepts anyway */
        c->path_len = (int)pl;
    }
    c->is_ca = ca;
    return pn_der_finish(&seq);
}

static int parse_key_usage(pn_x509 *c, const uint8_t *p, size_t len)
{
    pn_der d;
    const uint8_t *bits;
    size_t nbytes, i;
    unsigned unused;
    int rc;
    pn_der_init(&d, p, len);
    if ((rc = pn_der_read_bits(&d, &bits, &nbytes, &unused)) != PN_OK ||
        (rc = pn_der_finish(&d)) != PN_OK)
        return rc;
    /* X.690 11.2.2: a named bit list carries no trailing zero bits, so an encoding that
     * ends in a zero octet is not DER. */
    if (nbytes > 0 && bits[nbytes - 1] == 0)
        return PN_ERR_CRYPTO_DER;
    c->key_usage = 0;
    for (i = 0; i < 9 && i < nbytes * 8; i++)
        if (bits[i / 8] & (0x80u >> (i % 8)))
            c->key_usage |= 1u << i;
    return PN_OK;
}

/* OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }, as GeneralName [0]
 * (IMPLICIT, so the SEQUENCE tag becomes 0xA0).  The value must be a string. */
static int read_other_name(pn_der *d, const uint8_t *type, size_t type_len, pn_der_tlv *value)
{
    pn_der on, ex;
    const uint8_t *oid;
    size_t oid_len;
    int rc;
    if ((rc = pn_der_enter(d, PN_DER_CTX_C(0), &on)) != PN_OK ||
        (rc = pn_der_read_oid(&on, &oid, &oid_len)) != PN_OK)
        return rc;
    if (!pn_der_oid_eq(oid, oid_len, type, type_len))
        return PN_ERR_CRYPTO_X509;
    if ((rc = pn_der_enter(&on, PN_DER_CTX_C(0), &ex)) != PN_OK ||
        (rc = pn_der_read_string(&ex, value)) != PN_OK || (rc = pn_der_finish(&ex)) != PN_OK ||
        (rc = pn_der_finish(&on)) != PN_OK)
        return rc;
    /* MS-PNRP 2.2.3.5 specifies UniversalString; BMPString is accepted as well until a
     * Windows capture says which one it writes (spec/decisions.md X509-3). */
    if (value->tag != PN_DER_UNIVERSAL_STRING && value->tag != PN_DER_BMP_STRING)
        return PN_ERR_CRYPTO_X509;
    if (value->len == 0)
        return PN_ERR_CRYPTO_X509;
    return PN_OK;
}

static int check_peer_name(const uint8_t *p, size_t len)
{
    pn_der d, seq;
    pn_der_tlv v;
    int rc;
    pn_der_init(&d, p, len);
    if ((rc = pn_der_enter(&d, PN_DER_SEQUENCE, &seq)) != PN_OK ||
        (rc = pn_der_finish(&d)) != PN_OK ||
        (rc = read_other_name(&seq, (const uint8_t *)PN_OID_P2P_PEER_NAME_TYPE, PN_OID_P2P_LEN,
                              &v)) != PN_OK)
        return rc;
    return pn_der_finish(&seq) == PN_OK ? PN_OK : PN_ERR_CRYPTO_X509; /* SIZE(1) */
}

static int check_classifiers(const uint8_t *p, size_t len)
{
    pn_der d, seq;
    pn_der_tlv v;
    int rc;
    pn_der_init(&d, p, len);
    if ((rc = pn_der_enter(&d, PN_DER_SEQUENCE, &seq)) != PN_OK ||
        (rc = pn_der_finish(&d)) != PN_OK)
        return rc;
    while (!pn_der_at_end(&seq))
        if ((rc = read_other_name(&seq, (const uint8_t *)PN_OID_P2P_CLASSIFIER_TYPE, PN_OID_P2P_LEN,
                                  &v)) != PN_OK)
            return rc;
    return PN_OK;
}

static int check_roles(const uint8_t *p, size_t len)
{
    pn_der d, seq;
    const uint8_t *r;
    size_t rl;
    int rc;
    pn_der_init(&d, p, len);
    if ((rc = pn_der_enter(&d, PN_DER_SEQUENCE, &seq)) != PN_OK ||
        (rc = pn_der_finish(&d)) != PN_OK)
        return rc;
    if (pn_der_at_end(&seq))
        return PN_ERR_CRYPTO_X509; /* SIZE(1..MAX) */
    while (!pn_der_at_end(&seq)) {
        if ((rc = pn_der_read_octets(&seq, &r, &rl)) != PN_OK)
            return rc;
        if (rl != 16)
            return PN_ERR_CRYPTO_X509;
    }
    return PN_OK;
}

static int check_eku(const uint8_t *p, size_t len)
{
    pn_der d, seq;
    const uint8_t *o;
    size_t ol;
    int rc;
    pn_der_init(&d, p, len);
    if ((rc = pn_der_enter(&d, PN_DER_SEQUENCE, &seq)) != PN_OK ||
        (rc = pn_der_finish(&d)) != PN_OK)
        return rc;
    if (pn_der_at_end(&seq))
        return PN_ERR_CRYPTO_X509; /* SIZE (1..MAX) */
    while (!pn_der_at_end(&seq))
        if ((rc = pn_der_read_oid(&seq, &o, &ol)) != PN_OK)
            return rc;
    return PN_OK;
}

/* The extensions peernet understands: OID, presence bit, where the value goes and what
 * its outer tag is (0 when a dedicated check runs instead). */
typedef struct ext_desc {
    const char *oid;
    uint8_t oid_len;
    uint8_t tag;
    uint16_t bit;
    size_t span_off;
} ext_desc;

#define PN_EXT_(o, t, b, f)                                                                        \
    {                                                                                              \
        o, (uint8_t)PN_OID_LEN(o), t, b, offsetof(pn_x509, f)                                      \
    }
static const ext_desc ext_table[] = {
    PN_EXT_(PN_OID_BASIC_CONSTRAINTS, 0, PN_X509_EXT_BASIC_CONSTRAINTS, extensions),
    PN_EXT_(PN_OID_KEY_USAGE, 0, PN_X509_EXT_KEY_USAGE, extensions),
    PN_EXT_(PN_OID_SUBJECT_ALT_NAME, PN_DER_SEQUENCE, PN_X509_EXT_SUBJECT_ALT_NAME,
            subject_alt_name),
    PN_EXT_(PN_OID_ISSUER_ALT_NAME, PN_DER_SEQUENCE, PN_X509_EXT_ISSUER_ALT_NAME, issuer_alt_name),
    PN_EXT_(PN_OID_EXT_KEY_USAGE, PN_DER_SEQUENCE, PN_X509_EXT_EXT_KEY_USAGE, ext_key_usage),
    PN_EXT_(PN_OID_SUBJECT_KEY_ID, PN_DER_OCTET_STRING, PN_X509_EXT_SUBJECT_KEY_ID, subject_key_id),
    PN_EXT_(PN_OID_AUTHORITY_KEY_ID, PN_DER_SEQUENCE, PN_X509_EXT_AUTHORITY_KEY_ID,
            authority_key_id),
    PN_EXT_(PN_OID_OLD_SUBJECT_ALT_NAME, PN_DER_SEQUENCE, PN_X509_EXT_OLD_SUBJECT_ALT_NAME,
            old_subject_alt_name),
    PN_EXT_(PN_OID_OLD_ISSUER_ALT_NAME, PN_DER_SEQUENCE, PN_X509_EXT_OLD_ISSUER_ALT_NAME,
            old_issuer_alt_name),
    PN_EXT_(PN_OID_P2P_CERT_TYPE, 0, PN_X509_EXT_P2P_CERT_TYPE, extensions),
    PN_EXT_(PN_OID_P2P_CERT_VERSION, 0, PN_X509_EXT_P2P_CERT_VERSION, p2p_cert_version),
    PN_EXT_(PN_OID_P2P_PEER_NAME, 0, PN_X509_EXT_P2P_PEER_NAME, p2p_peer_name),
    PN_EXT_(PN_OID_P2P_ROLES, 0, PN_X509_EXT_P2P_ROLES, p2p_roles),
    PN_EXT_(PN_OID_P2P_CLASSIFIERS, 0, PN_X509_EXT_P2P_CLASSIFIERS, p2p_classifiers),
    /* The FLAGS DWORD encoding is not given by MS-PPSEC: any one DER element. */
    PN_EXT_(PN_OID_P2P_GROUPING_FLAGS, 0xFF, PN_X509_EXT_P2P_GROUPING_FLAGS, p2p_grouping_flags),
    PN_EXT_(PN_OID_P2P_IDENTITY_FLAGS, 0xFF, PN_X509_EXT_P2P_IDENTITY_FLAGS, p2p_identity_flags),
};
#undef PN_EXT_

static int apply_ext(pn_x509 *c, const ext_desc *e, const uint8_t *v, size_t vl)
{
    int rc;
    pn_der d;
    const uint8_t *o;
    size_t ol;
    switch (e->bit) {
    case PN_X509_EXT_BASIC_CONSTRAINTS:
        return parse_basic_constraints(c, v, vl);
    case PN_X509_EXT_KEY_USAGE:
        return parse_key_usage(c, v, vl);
    case PN_X509_EXT_P2P_CERT_TYPE:
    case PN_X509_EXT_P2P_CERT_VERSION:
        /* MS-PNRP 2.2.3.5: OCTET STRING (SIZE(4)); the type is a little-endian DWORD. */
        pn_der_init(&d, v, vl);
        if ((rc = pn_der_read_octets(&d, &o, &ol)) != PN_OK || (rc = pn_der_finish(&d)) != PN_OK)
            return rc;
        if (ol != 4)
            return PN_ERR_CRYPTO_X509;
        if (e->bit == PN_X509_EXT_P2P_CERT_TYPE)
            c->p2p_cert_type = pn_get_u32le(o);
        else
            span_set(&c->p2p_cert_version, o, ol);
        return PN_OK;
    case PN_X509_EXT_P2P_PEER_NAME:
        rc = check_peer_name(v, vl);
        break;
    case PN_X509_EXT_P2P_ROLES:
        rc = check_roles(v, vl);
        break;
    case PN_X509_EXT_P2P_CLASSIFIERS:
        rc = check_classifiers(v, vl);
        break;
    case PN_X509_EXT_EXT_KEY_USAGE:
        rc = check_eku(v, vl);
        break;
    default:
        if (e->tag == 0xFF) {
            pn_der_tlv t;
            pn_der_init(&d, v, vl);
            if ((rc = pn_der_next(&d, &t)) != PN_OK)
                return rc;
            rc = check_one_element(v, vl, t.tag);
        } else {
            rc = check_one_element(v, vl, e->tag);
        }
        break;
    }
    if (rc == PN_OK)
        span_set((pn_x509_span *)(void *)((uint8_t *)c + e->span_off), v, vl);
    return rc;
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (RFC 5280 4.1.2.9, 4.2). */
static int read_extensions(pn_x509 *c, const uint8_t *p, size_t len)
{
    pn_der it;
    pn_x509_ext e;
    size_t i;
    int rc;
    pn_der_init(&it, p, len);
    if (pn_der_at_end(&it))
        return PN_ERR_CRYPTO_X509;
    while ((rc = pn_x509_ext_next(&it, &e)) == 1) {
        const ext_desc *found = NULL;
        for (i = 0; i < sizeof ext_table / sizeof ext_table[0]; i++)
            if (pn_der_oid_eq(e.oid.p, e.oid.len, (const uint8_t *)ext_table[i].oid,
                              ext_table[i].oid_len))
                found = &ext_table[i];
        if (found == NULL) {
            /* RFC 5280 4.2: a critical extension that is not understood rejects the
             * certificate; MS-PNRP 2.2.3.5 marks all its extensions critical for the
             * same reason. */
            if (e.critical)
                return PN_ERR_CRYPTO_X509;
            continue;
        }
        if (c->ext_present & found->bit)
            return PN_ERR_CRYPTO_X509; /* RFC 5280 4.2: at most one instance */
        if ((rc = apply_ext(c, found, e.value.p, e.value.len)) != PN_OK)
            return rc;
        c->ext_present |= found->bit;
    }
    return rc;
}

void pn_x509_ext_begin(const pn_x509 *cert, pn_der *it)
{
    pn_der_init(it, cert->extensions.p, cert->extensions.len);
}

int pn_x509_ext_next(pn_der *it, pn_x509_ext *ext)
{
    pn_der seq;
    pn_der save = *it;
    const uint8_t *oid, *v;
    size_t oid_len, vl;
    int rc, crit = 0;
    if (pn_der_at_end(it))
        return 0;
    if ((rc = pn_der_enter(it, PN_DER_SEQUENCE, &seq)) != PN_OK ||
        (rc = pn_der_read_oid(&seq, &oid, &oid_len)) != PN_OK)
        goto fail;
    if (pn_der_peek(&seq) == PN_DER_BOOLEAN) {
        if ((rc = pn_der_read_bool(&seq, &crit)) != PN_OK)
            goto fail;
        if (!crit) {
            rc = PN_ERR_CRYPTO_DER; /* DEFAULT FALSE must not be encoded (X.690 11.5) */
            goto fail;
        }
    }
    if ((rc = pn_der_read_octets(&seq, &v, &vl)) != PN_OK || (rc = pn_der_finish(&seq)) != PN_OK)
        goto fail;
    span_set(&ext->oid, oid, oid_len);
    ext->critical = crit;
    span_set(&ext->value, v, vl);
    return 1;
fail:
    *it = save;
    return rc;
}

int pn_x509_ext_find(const pn_x509 *cert, const uint8_t *oid, size_t oid_len, pn_x509_ext *ext)
{
    pn_der it;
    int rc;
    pn_x509_ext_begin(cert, &it);
    while ((rc = pn_x509_ext_next(&it, ext)) == 1)
        if (pn_der_oid_eq(ext->oid.p, ext->oid.len, oid, oid_len))
            return 1;
    return rc;
}

int pn_x509_parse(pn_x509 *cert, const uint8_t *der, size_t len)
{
    pn_der top, certseq, tbs, validity, ex;
    pn_der_tlv whole, tbs_tlv, alg_in, alg_out, t;
    pn_x509 c;
    const uint8_t *spki_start;
    int rc;
    uint32_t version = 0;
    pn_x509_sig_alg alg2;
    pn_hash_id hash2;
    unsigned unused;

    if (der == NULL || len > PN_X509_MAX_CERT_BYTES)
        return PN_ERR_CRYPTO_X509;
    memset(&c, 0, sizeof c);
    c.path_len = -1;
    pn_der_init(&top, der, len);
    if ((rc = pn_der_expect(&top, PN_DER_SEQUENCE, &whole)) != PN_OK)
        return rc;
    if ((rc = pn_der_finish_top(&top)) != PN_OK)
        return rc;
    span_set(&c.der, whole.tlv, whole.tlv_len);
    pn_der_init(&certseq, whole.val, whole.len);

    /* TBSCertificate */
    if ((rc = pn_der_expect(&certseq, PN_DER_SEQUENCE, &tbs_tlv)) != PN_OK)
        return rc;
    span_set(&c.tbs, tbs_tlv.tlv, tbs_tlv.tlv_len);
    pn_der_init(&tbs, tbs_tlv.val, tbs_tlv.len);
    if ((rc = pn_der_optional(&tbs, PN_DER_CTX_C(0), &t)) < 0)
        return rc;
    if (rc == 1) {
        pn_der v;
        pn_der_init(&v, t.val, t.len);
        if ((rc = pn_der_read_u32(&v, &version)) != PN_OK || (rc = pn_der_finish(&v)) != PN_OK)
            return rc == PN_ERR_RANGE ? PN_ERR_CRYPTO_X509 : rc;
        /* v1 is the DEFAULT and never encoded in DER (X.690 11.5); only v2 and v3 exist. */
        if (version == 0)
            return PN_ERR_CRYPTO_DER;
        if (version > 2)
            return PN_ERR_CRYPTO_X509;
    }
    c.version = version + 1;
    if ((rc = pn_der_read_integer(&tbs, &c.serial.p, &c.serial.len)) != PN_OK)
        return rc;
    /* RFC 5280 4.1.2.2: at most 20 octets (21 with the sign octet of a positive one). */
    if (c.serial.len > 21 || (c.serial.len == 21 && c.serial.p[0] != 0))
        return PN_ERR_CRYPTO_X509;
    if ((rc = read_sig_alg(&tbs, &alg_in, &c.sig_alg, &c.sig_hash)) != PN_OK)
        return rc;
    if ((rc = read_name(&tbs, &c.issuer, &c.issuer_cn_tag, &c.issuer_cn)) != PN_OK)
        return rc;
    if (c.issuer.len <= 2)
        return PN_ERR_CRYPTO_X509; /* RFC 5280 4.1.2.4: the issuer is never empty */
    if ((rc = pn_der_enter(&tbs, PN_DER_SEQUENCE, &validity)) != PN_OK ||
        (rc = pn_der_read_time(&validity, &c.not_before)) != PN_OK ||
        (rc = pn_der_read_time(&validity, &c.not_after)) != PN_OK ||
        (rc = pn_der_finish(&validity)) != PN_OK)
        return rc;
    if ((rc = read_name(&tbs, &c.subject, &c.subject_cn_tag, &c.subject_cn)) != PN_OK)
        return rc;
    spki_start = tbs.p;
    if ((rc = pn_rsa_spki_read(&tbs, &c.pub)) != PN_OK)
        return rc;
    span_set(&c.spki, spki_start, (size_t)(tbs.p - spki_start));
    /* RFC 5280 4.1.2.8: unique identifiers only from v2 on. */
    if ((rc = pn_der_optional(&tbs, PN_DER_CTX_P(1), &t)) < 0)
        return rc;
    c.has_unique_ids = rc;
    if ((rc = pn_der_optional(&tbs, PN_DER_CTX_P(2), &t)) < 0)
        return rc;
    c.has_unique_ids |= rc;
    if (c.has_unique_ids && c.version < 2)
        return PN_ERR_CRYPTO_X509;
    if ((rc = pn_der_optional(&tbs, PN_DER_CTX_C(3), &t)) < 0)
        return rc;
    if (rc == 1) {
        if (c.version != 3)
            return PN_ERR_CRYPTO_X509; /* RFC 5280 4.1.2.9: extensions only in v3 */
        pn_der_init(&ex, t.val, t.len);
        if ((rc = pn_der_expect(&ex, PN_DER_SEQUENCE, &t)) != PN_OK ||
            (rc = pn_der_finish(&ex)) != PN_OK)
            return rc;
        span_set(&c.extensions, t.val, t.len);
        if ((rc = read_extensions(&c, t.val, t.len)) != PN_OK)
            return rc;
    }
    if ((rc = pn_der_finish(&tbs)) != PN_OK)
        return rc;

    /* signatureAlgorithm must repeat the TBS signature field (RFC 5280 4.1.1.2). */
    if ((rc = read_sig_alg(&certseq, &alg_out, &alg2, &hash2)) != PN_OK)
        return rc;
    if (alg_out.tlv_len != alg_in.tlv_len || memcmp(alg_out.tlv, alg_in.tlv, alg_in.tlv_len) != 0)
        return PN_ERR_CRYPTO_X509;
    if ((rc = pn_der_read_bits(&certseq, &c.signature.p, &c.signature.len, &unused)) != PN_OK)
        return rc;
    if (unused != 0 || c.signature.len == 0)
        return PN_ERR_CRYPTO_X509;
    if ((rc = pn_der_finish(&certseq)) != PN_OK)
        return rc;
    *cert = c;
    return PN_OK;
}

/* ---- names ------------------------------------------------------------------------- */

int pn_x509_name_cn(const uint8_t *name, size_t name_len, char *out, size_t cap)
{
    pn_der d;
    pn_x509_span n, cn;
    uint8_t tag;
    int rc;
    pn_der_init(&d, name, name_len);
    if ((rc = read_name(&d, &n, &tag, &cn)) != PN_OK || (rc = pn_der_finish_top(&d)) != PN_OK)
        return rc;
    if (tag == 0)
        return PN_ERR_NOTFOUND;
    return pn_der_string_to_utf8(tag, cn.p, cn.len, out, cap);
}

int pn_x509_subject_cn(const pn_x509 *cert, char *out, size_t cap)
{
    if (cert->subject_cn_tag == 0)
        return PN_ERR_NOTFOUND;
    return pn_der_string_to_utf8(cert->subject_cn_tag, cert->subject_cn.p, cert->subject_cn.len,
                                 out, cap);
}

int pn_x509_issuer_cn(const pn_x509 *cert, char *out, size_t cap)
{
    if (cert->issuer_cn_tag == 0)
        return PN_ERR_NOTFOUND;
    return pn_der_string_to_utf8(cert->issuer_cn_tag, cert->issuer_cn.p, cert->issuer_cn.len, out,
                                 cap);
}

int pn_x509_has_ext_key_usage(const pn_x509 *cert, const uint8_t *oid, size_t oid_len)
{
    pn_der d, seq;
    const uint8_t *o;
    size_t ol;
    int rc, found = 0;
    if (!(cert->ext_present & PN_X509_EXT_EXT_KEY_USAGE))
        return PN_ERR_NOTFOUND;
    pn_der_init(&d, cert->ext_key_usage.p, cert->ext_key_usage.len);
    if ((rc = pn_der_enter(&d, PN_DER_SEQUENCE, &seq)) != PN_OK)
        return rc;
    /* KeyPurposeId list: SEQUENCE SIZE (1..MAX) OF OBJECT IDENTIFIER. */
    while (!pn_der_at_end(&seq)) {
        if ((rc = pn_der_read_oid(&seq, &o, &ol)) != PN_OK)
            return rc;
        if (pn_der_oid_eq(o, ol, oid, oid_len))
            found = 1;
    }
    return found;
}

/* ---- Microsoft peer-to-peer extensions --------------------------------------------- */

int pn_x509_p2p_peer_name(const pn_x509 *cert, pn_der_tlv *value)
{
    pn_der d, seq;
    int rc;
    if (!(cert->ext_present & PN_X509_EXT_P2P_PEER_NAME))
        return PN_ERR_NOTFOUND;
    pn_der_init(&d, cert->p2p_peer_name.p, cert->p2p_peer_name.len);
    if ((rc = pn_der_enter(&d, PN_DER_SEQUENCE, &seq)) != PN_OK)
        return rc;
    return read_other_name(&seq, (const uint8_t *)PN_OID_P2P_PEER_NAME_TYPE, PN_OID_P2P_LEN, value);
}

int pn_x509_p2p_classifiers_begin(const pn_x509 *cert, pn_der *it)
{
    pn_der d;
    if (!(cert->ext_present & PN_X509_EXT_P2P_CLASSIFIERS)) {
        it->p = it->end = NULL;
        return PN_ERR_NOTFOUND;
    }
    pn_der_init(&d, cert->p2p_classifiers.p, cert->p2p_classifiers.len);
    return pn_der_enter(&d, PN_DER_SEQUENCE, it);
}

int pn_x509_p2p_classifier_next(pn_der *it, pn_der_tlv *value)
{
    int rc;
    if (pn_der_at_end(it))
        return 0;
    rc = read_other_name(it, (const uint8_t *)PN_OID_P2P_CLASSIFIER_TYPE, PN_OID_P2P_LEN, value);
    return rc == PN_OK ? 1 : rc;
}

int pn_x509_p2p_roles_begin(const pn_x509 *cert, pn_der *it)
{
    pn_der d;
    if (!(cert->ext_present & PN_X509_EXT_P2P_ROLES)) {
        it->p = it->end = NULL;
        return PN_ERR_NOTFOUND;
    }
    pn_der_init(&d, cert->p2p_roles.p, cert->p2p_roles.len);
    return pn_der_enter(&d, PN_DER_SEQUENCE, it);
}

int pn_x509_p2p_role_next(pn_der *it, const uint8_t **role16)
{
    size_t len;
    int rc;
    if (pn_der_at_end(it))
        return 0;
    if ((rc = pn_der_read_octets(it, role16, &len)) != PN_OK)
        return rc;
    return len == 16 ? 1 : PN_ERR_CRYPTO_X509;
}
