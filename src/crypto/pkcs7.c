/* PKCS#7 / CMS SignedData used as a certificate bag (RFC 2315 9.1, RFC 5652 5.1): the
 * form MS-PNRP 2.2.3.5 and MS-PPSEC 2.2.5 use to carry certificate chains. */
#include "crypto/x509_int.h"
#include "wire/pn_mem.h"

int pn_pkcs7_bag_parse(pn_pkcs7_bag *bag, const uint8_t *der, size_t len)
{
    pn_der top, ci, ctx0, sd, eci, certs;
    pn_der_tlv t, set;
    const uint8_t *oid;
    size_t oid_len, count = 0;
    uint32_t version;
    int rc;
    pn_der_init(&top, der, len);
    if ((rc = pn_der_enter(&top, PN_DER_SEQUENCE, &ci)) != PN_OK ||
        (rc = pn_der_finish_top(&top)) != PN_OK ||
        (rc = pn_der_read_oid(&ci, &oid, &oid_len)) != PN_OK)
        return rc;
    if (!PN_OID_IS(oid, oid_len, PN_OID_PKCS7_SIGNED_DATA))
        return PN_ERR_CRYPTO_PKCS7;
    if ((rc = pn_der_enter(&ci, PN_DER_CTX_C(0), &ctx0)) != PN_OK ||
        (rc = pn_der_finish(&ci)) != PN_OK ||
        (rc = pn_der_enter(&ctx0, PN_DER_SEQUENCE, &sd)) != PN_OK ||
        (rc = pn_der_finish(&ctx0)) != PN_OK)
        return rc;
    /* RFC 2315 writes version 1; RFC 5652 5.1 allows 1, 3, 4 and 5. */
    if ((rc = pn_der_read_u32(&sd, &version)) != PN_OK)
        return rc == PN_ERR_RANGE ? PN_ERR_CRYPTO_PKCS7 : rc;
    if (version != 1 && version != 3 && version != 4 && version != 5)
        return PN_ERR_CRYPTO_PKCS7;
    /* digestAlgorithms: unused without signers, only its shape is checked. */
    if ((rc = pn_der_expect(&sd, PN_DER_SET, &set)) != PN_OK)
        return rc;
    if ((rc = pn_der_enter(&sd, PN_DER_SEQUENCE, &eci)) != PN_OK ||
        (rc = pn_der_read_oid(&eci, &oid, &oid_len)) != PN_OK)
        return rc;
    if (!PN_OID_IS(oid, oid_len, PN_OID_PKCS7_DATA))
        return PN_ERR_CRYPTO_PKCS7;
    /* A bag carries no content: [0] eContent must be absent. */
    if ((rc = pn_der_finish(&eci)) != PN_OK)
        return PN_ERR_CRYPTO_PKCS7;
    if ((rc = pn_der_optional(&sd, PN_DER_CTX_C(0), &t)) < 0)
        return rc;
    if (rc == 0) {
        bag->certs.p = NULL;
        bag->certs.len = 0;
    } else {
        bag->certs.p = t.val;
        bag->certs.len = t.len;
    }
    pn_der_init(&certs, bag->certs.p, bag->certs.len);
    while (!pn_der_at_end(&certs)) {
        /* CertificateChoices: only the plain Certificate (a SEQUENCE) is accepted;
         * extended and attribute certificates are not used by MS-PNRP/MS-PPSEC. */
        if ((rc = pn_der_next(&certs, &t)) != PN_OK)
            return rc;
        if (t.tag != PN_DER_SEQUENCE)
            return PN_ERR_CRYPTO_PKCS7;
        if (t.tlv_len > PN_X509_MAX_CERT_BYTES)
            return PN_ERR_CRYPTO_X509;
        if (++count > PN_X509_MAX_CHAIN)
            return PN_ERR_CRYPTO_CHAIN;
    }
    /* crls [1] are skipped; signerInfos must be there and, for a bag, empty. */
    if ((rc = pn_der_optional(&sd, PN_DER_CTX_C(1), &t)) < 0)
        return rc;
    if ((rc = pn_der_expect(&sd, PN_DER_SET, &set)) != PN_OK)
        return rc;
    if (set.len != 0)
        return PN_ERR_CRYPTO_PKCS7;
    if ((rc = pn_der_finish(&sd)) != PN_OK)
        return rc;
    bag->count = count;
    return PN_OK;
}

void pn_pkcs7_bag_begin(const pn_pkcs7_bag *bag, pn_der *it)
{
    pn_der_init(it, bag->certs.p, bag->certs.len);
}

int pn_pkcs7_bag_next(pn_der *it, pn_x509 *cert)
{
    pn_der save = *it;
    pn_der_tlv t;
    int rc;
    if (pn_der_at_end(it))
        return 0;
    if ((rc = pn_der_next(it, &t)) != PN_OK)
        return rc;
    if ((rc = pn_x509_parse(cert, t.tlv, t.tlv_len)) != PN_OK) {
        *it = save;
        return rc;
    }
    return 1;
}

int pn_pkcs7_bag_build(const pn_x509_span *certs, size_t n, uint8_t *out, size_t cap,
                       size_t *needed)
{
    pn_wr w;
    size_t ci, ctx0, sd, eci, set, i;
    if (n > PN_X509_MAX_CHAIN)
        return PN_ERR_CRYPTO_CHAIN;
    if (certs == NULL && n > 0)
        return PN_ERR_ARG;
    pn_wr_init(&w, out, cap);
    ci = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    pn_der_wr_oid(&w, (const uint8_t *)PN_OID_PKCS7_SIGNED_DATA,
                  PN_OID_LEN(PN_OID_PKCS7_SIGNED_DATA));
    ctx0 = pn_der_wr_open(&w, PN_DER_CTX_C(0));
    sd = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    pn_der_wr_i64(&w, 1);
    pn_der_wr_header(&w, PN_DER_SET, 0); /* no digest algorithms */
    eci = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    pn_der_wr_oid(&w, (const uint8_t *)PN_OID_PKCS7_DATA, PN_OID_LEN(PN_OID_PKCS7_DATA));
    pn_der_wr_close(&w, eci);
    /* The certificates keep the caller's order: MS-PNRP reads it as the chain order,
     * so they are not sorted as a DER SET OF otherwise would be. */
    set = pn_der_wr_open(&w, PN_DER_CTX_C(0));
    for (i = 0; i < n; i++)
        pn_wr_bytes(&w, certs[i].p, certs[i].len);
    pn_der_wr_close(&w, set);
    pn_der_wr_header(&w, PN_DER_SET, 0); /* no signers */
    pn_der_wr_close(&w, sd);
    pn_der_wr_close(&w, ctx0);
    pn_der_wr_close(&w, ci);
    if (needed)
        *needed = pn_wr_len(&w);
    if (pn_wr_err(&w) != 0)
        return pn_wr_err(&w);
    if (pn_wr_len(&w) > (size_t)INT32_MAX)
        return PN_ERR_RANGE;
    return (int)pn_wr_len(&w);
}
