/* RSA key formats: PKCS#1 RSAPublicKey / RSAPrivateKey (RFC 8017 A.1), SubjectPublicKeyInfo
 * (RFC 5280 4.1.2.7 with RFC 3279 2.3.1) and PKCS#8 PrivateKeyInfo (RFC 5208 5). */
#include "peernet/x509.h"
#include "wire/pn_mem.h"
#include "crypto/x509_int.h"

#define PN_RSA_MIN_BITS 512

static size_t mag_bits(const uint8_t *p, size_t n)
{
    size_t bits;
    uint8_t top;
    while (n > 0 && p[0] == 0) {
        p++;
        n--;
    }
    if (n == 0)
        return 0;
    bits = (n - 1) * 8;
    for (top = p[0]; top != 0; top >>= 1)
        bits++;
    return bits;
}

/* Sanity of a public key before anyone computes with it. */
static int check_public(const pn_rsa_public *k)
{
    size_t nb = mag_bits(k->n, k->n_len);
    if (nb > PN_RSA_MAX_BITS || nb < PN_RSA_MIN_BITS)
        return PN_ERR_CRYPTO_KEYSIZE;
    if ((k->n[k->n_len - 1] & 1u) == 0 || (k->e[k->e_len - 1] & 1u) == 0 ||
        mag_bits(k->e, k->e_len) < 2 || k->e_len > k->n_len)
        return PN_ERR_CRYPTO_KEY;
    return PN_OK;
}

static int read_public_seq(pn_der *d, pn_rsa_public *key)
{
    pn_der seq;
    int rc;
    if ((rc = pn_der_enter(d, PN_DER_SEQUENCE, &seq)) != PN_OK)
        return rc;
    if ((rc = pn_der_read_uint(&seq, &key->n, &key->n_len)) != PN_OK ||
        (rc = pn_der_read_uint(&seq, &key->e, &key->e_len)) != PN_OK ||
        (rc = pn_der_finish(&seq)) != PN_OK)
        return rc;
    return check_public(key);
}

int pn_rsa_public_from_der(pn_rsa_public *key, const uint8_t *der, size_t len)
{
    pn_der d;
    pn_rsa_public k;
    int rc;
    pn_der_init(&d, der, len);
    if ((rc = read_public_seq(&d, &k)) != PN_OK || (rc = pn_der_finish_top(&d)) != PN_OK)
        return rc;
    *key = k;
    return PN_OK;
}

/* AlgorithmIdentifier { rsaEncryption, NULL } (RFC 3279 2.3.1: parameters MUST be NULL). */
static int read_rsa_alg(pn_der *d)
{
    pn_der alg;
    const uint8_t *oid;
    size_t oid_len;
    int rc;
    if ((rc = pn_der_enter(d, PN_DER_SEQUENCE, &alg)) != PN_OK ||
        (rc = pn_der_read_oid(&alg, &oid, &oid_len)) != PN_OK)
        return rc;
    if (!PN_OID_IS(oid, oid_len, PN_OID_RSA_ENCRYPTION))
        return PN_ERR_CRYPTO_ALGORITHM;
    if ((rc = pn_der_read_null(&alg)) != PN_OK)
        return rc;
    return pn_der_finish(&alg);
}

/* Shared with the certificate parser: SPKI TLV at the cursor. */
int pn_rsa_spki_read(pn_der *d, pn_rsa_public *key)
{
    pn_der spki, inner;
    const uint8_t *bits;
    size_t nbits;
    unsigned unused;
    int rc;
    if ((rc = pn_der_enter(d, PN_DER_SEQUENCE, &spki)) != PN_OK ||
        (rc = read_rsa_alg(&spki)) != PN_OK ||
        (rc = pn_der_read_bits(&spki, &bits, &nbits, &unused)) != PN_OK)
        return rc;
    if (unused != 0)
        return PN_ERR_CRYPTO_DER;
    if ((rc = pn_der_finish(&spki)) != PN_OK)
        return rc;
    pn_der_init(&inner, bits, nbits);
    if ((rc = read_public_seq(&inner, key)) != PN_OK)
        return rc;
    return pn_der_finish(&inner);
}

int pn_rsa_public_from_spki(pn_rsa_public *key, const uint8_t *der, size_t len)
{
    pn_der d;
    pn_rsa_public k;
    int rc;
    pn_der_init(&d, der, len);
    if ((rc = pn_rsa_spki_read(&d, &k)) != PN_OK || (rc = pn_der_finish_top(&d)) != PN_OK)
        return rc;
    *key = k;
    return PN_OK;
}

static int read_private_seq(pn_der *d, pn_rsa_der_key *key)
{
    pn_der seq;
    uint32_t version;
    size_t nb;
    int rc;
    pn_rsa_private *pv = &key->priv;
    if ((rc = pn_der_enter(d, PN_DER_SEQUENCE, &seq)) != PN_OK ||
        (rc = pn_der_read_u32(&seq, &version)) != PN_OK)
        return rc;
    /* RFC 8017 A.1.2: version 1 announces otherPrimeInfos, which rsa.h cannot use. */
    if (version != 0)
        return version == 1 ? PN_ERR_CRYPTO_ALGORITHM : PN_ERR_CRYPTO_DER;
    if ((rc = pn_der_read_uint(&seq, &key->pub.n, &key->pub.n_len)) != PN_OK ||
        (rc = pn_der_read_uint(&seq, &key->pub.e, &key->pub.e_len)) != PN_OK ||
        (rc = pn_der_read_uint(&seq, &key->d, &key->d_len)) != PN_OK ||
        (rc = pn_der_read_uint(&seq, &pv->p, &pv->p_len)) != PN_OK ||
        (rc = pn_der_read_uint(&seq, &pv->q, &pv->q_len)) != PN_OK ||
        (rc = pn_der_read_uint(&seq, &pv->dp, &pv->dp_len)) != PN_OK ||
        (rc = pn_der_read_uint(&seq, &pv->dq, &pv->dq_len)) != PN_OK ||
        (rc = pn_der_read_uint(&seq, &pv->qinv, &pv->qinv_len)) != PN_OK ||
        (rc = pn_der_finish(&seq)) != PN_OK)
        return rc;
    if ((rc = check_public(&key->pub)) != PN_OK)
        return rc;
    nb = mag_bits(key->pub.n, key->pub.n_len);
    /* Each CRT component is at most half the modulus (plus a bit of slack for p > q). */
    if (mag_bits(pv->p, pv->p_len) > nb / 2 + 1 || mag_bits(pv->q, pv->q_len) > nb / 2 + 1 ||
        mag_bits(pv->dp, pv->dp_len) > nb / 2 + 1 || mag_bits(pv->dq, pv->dq_len) > nb / 2 + 1 ||
        mag_bits(pv->qinv, pv->qinv_len) > nb / 2 + 1 || mag_bits(key->d, key->d_len) > nb ||
        mag_bits(pv->p, pv->p_len) < 2 || mag_bits(pv->q, pv->q_len) < 2)
        return PN_ERR_CRYPTO_KEY;
    pv->n_bits = (uint32_t)nb;
    pv->e = key->pub.e;
    pv->e_len = key->pub.e_len;
    return PN_OK;
}

int pn_rsa_private_from_der(pn_rsa_der_key *key, const uint8_t *der, size_t len)
{
    pn_der d;
    pn_rsa_der_key k;
    int rc;
    pn_der_init(&d, der, len);
    if ((rc = read_private_seq(&d, &k)) != PN_OK || (rc = pn_der_finish_top(&d)) != PN_OK)
        return rc;
    *key = k;
    return PN_OK;
}

int pn_rsa_private_from_pkcs8(pn_rsa_der_key *key, const uint8_t *der, size_t len)
{
    pn_der d, seq, inner;
    pn_der_tlv attrs;
    uint32_t version;
    const uint8_t *octets;
    size_t olen;
    pn_rsa_der_key k;
    int rc;
    pn_der_init(&d, der, len);
    if ((rc = pn_der_enter(&d, PN_DER_SEQUENCE, &seq)) != PN_OK ||
        (rc = pn_der_read_u32(&seq, &version)) != PN_OK)
        return rc;
    if (version != 0)
        return PN_ERR_CRYPTO_DER;
    if ((rc = read_rsa_alg(&seq)) != PN_OK ||
        (rc = pn_der_read_octets(&seq, &octets, &olen)) != PN_OK)
        return rc;
    /* attributes [0] IMPLICIT SET OF Attribute OPTIONAL: nothing here uses them. */
    if ((rc = pn_der_optional(&seq, PN_DER_CTX_C(0), &attrs)) < 0)
        return rc;
    if ((rc = pn_der_finish(&seq)) != PN_OK || (rc = pn_der_finish_top(&d)) != PN_OK)
        return rc;
    pn_der_init(&inner, octets, olen);
    if ((rc = read_private_seq(&inner, &k)) != PN_OK || (rc = pn_der_finish(&inner)) != PN_OK)
        return rc;
    *key = k;
    return PN_OK;
}

/* ---- writers ----------------------------------------------------------------------- */

static int wr_result(const pn_wr *w, size_t *needed)
{
    if (needed)
        *needed = pn_wr_len(w);
    if (pn_wr_err(w) != 0)
        return pn_wr_err(w);
    if (pn_wr_len(w) > (size_t)INT32_MAX)
        return PN_ERR_RANGE;
    return (int)pn_wr_len(w);
}

static void wr_public_seq(pn_wr *w, const pn_rsa_public *key)
{
    size_t m = pn_der_wr_open(w, PN_DER_SEQUENCE);
    pn_der_wr_uint(w, key->n, key->n_len);
    pn_der_wr_uint(w, key->e, key->e_len);
    pn_der_wr_close(w, m);
}

static void wr_rsa_alg(pn_wr *w)
{
    size_t m = pn_der_wr_open(w, PN_DER_SEQUENCE);
    pn_der_wr_oid(w, (const uint8_t *)PN_OID_RSA_ENCRYPTION, PN_OID_LEN(PN_OID_RSA_ENCRYPTION));
    pn_der_wr_null(w);
    pn_der_wr_close(w, m);
}

void pn_rsa_public_wr_spki(pn_wr *w, const pn_rsa_public *key)
{
    size_t m = pn_der_wr_open(w, PN_DER_SEQUENCE), b;
    wr_rsa_alg(w);
    b = pn_der_wr_open(w, PN_DER_BIT_STRING);
    pn_wr_u8(w, 0); /* unused bits */
    wr_public_seq(w, key);
    pn_der_wr_close(w, b);
    pn_der_wr_close(w, m);
}

int pn_rsa_public_to_der(const pn_rsa_public *key, uint8_t *out, size_t cap, size_t *needed)
{
    pn_wr w;
    pn_wr_init(&w, out, cap);
    wr_public_seq(&w, key);
    return wr_result(&w, needed);
}

int pn_rsa_public_to_spki(const pn_rsa_public *key, uint8_t *out, size_t cap, size_t *needed)
{
    pn_wr w;
    pn_wr_init(&w, out, cap);
    pn_rsa_public_wr_spki(&w, key);
    return wr_result(&w, needed);
}

static void wr_private_seq(pn_wr *w, const pn_rsa_public *pub, const pn_rsa_private *pv,
                           const uint8_t *d, size_t d_len)
{
    size_t m = pn_der_wr_open(w, PN_DER_SEQUENCE);
    pn_der_wr_i64(w, 0);
    pn_der_wr_uint(w, pub->n, pub->n_len);
    pn_der_wr_uint(w, pub->e, pub->e_len);
    pn_der_wr_uint(w, d, d_len);
    pn_der_wr_uint(w, pv->p, pv->p_len);
    pn_der_wr_uint(w, pv->q, pv->q_len);
    pn_der_wr_uint(w, pv->dp, pv->dp_len);
    pn_der_wr_uint(w, pv->dq, pv->dq_len);
    pn_der_wr_uint(w, pv->qinv, pv->qinv_len);
    pn_der_wr_close(w, m);
}

int pn_rsa_private_to_der(const pn_rsa_public *pub, const pn_rsa_private *priv, const uint8_t *d,
                          size_t d_len, uint8_t *out, size_t cap, size_t *needed)
{
    pn_wr w;
    pn_wr_init(&w, out, cap);
    wr_private_seq(&w, pub, priv, d, d_len);
    return wr_result(&w, needed);
}

int pn_rsa_private_to_pkcs8(const pn_rsa_public *pub, const pn_rsa_private *priv, const uint8_t *d,
                            size_t d_len, uint8_t *out, size_t cap, size_t *needed)
{
    pn_wr w;
    size_t m, o;
    pn_wr_init(&w, out, cap);
    m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    pn_der_wr_i64(&w, 0);
    wr_rsa_alg(&w);
    o = pn_der_wr_open(&w, PN_DER_OCTET_STRING);
    wr_private_seq(&w, pub, priv, d, d_len);
    pn_der_wr_close(&w, o);
    pn_der_wr_close(&w, m);
    return wr_result(&w, needed);
}
