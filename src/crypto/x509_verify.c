/* Certificate signature check and chain validation (RFC 5280 6.1, reduced to what a
 * peer-to-peer chain needs: names, signatures, validity, CA flag, path length). */
#include "crypto/x509_int.h"
#include "wire/pn_mem.h"

int pn_x509_verify_signature(const pn_x509 *cert, const pn_rsa_public *issuer_key)
{
    uint8_t h[PN_HASH_MAX_LEN];
    int rc = pn_hash(cert->sig_hash, cert->tbs.p, cert->tbs.len, h);
    if (rc != PN_OK)
        return rc;
#if PN_FUZZING_SKIP_SIGNATURES
    (void)issuer_key;
    return PN_OK;
#else
    /* RFC 5280 4.1.1.3 / RFC 8017 8.2.2: RSASSA-PKCS1-v1_5 with the DigestInfo of the
     * algorithm named in signatureAlgorithm. */
    rc = pn_rsa_pkcs1_verify(issuer_key, cert->sig_hash, h, pn_hash_len(cert->sig_hash),
                             cert->signature.p, cert->signature.len);
    return rc == PN_OK ? PN_OK : PN_ERR_CRYPTO_SIGNATURE;
#endif
}

int pn_x509_check_validity(const pn_x509 *cert, int64_t now)
{
    return (now >= cert->not_before && now <= cert->not_after) ? PN_OK : PN_ERR_CRYPTO_EXPIRED;
}

static int same_span(const pn_x509_span *a, const pn_x509_span *b)
{
    return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

int pn_x509_chain_verify(const pn_x509 *certs, size_t n, int64_t now, unsigned flags)
{
    size_t i, below = 0;
    int rc;
    if (certs == NULL || n == 0 || n > PN_X509_MAX_CHAIN)
        return PN_ERR_CRYPTO_CHAIN;
#define PN_AT_(k) (&certs[(flags & PN_X509_ROOT_FIRST) ? n - 1 - (k) : (k)])
    for (i = 0; i < n; i++)
        if ((rc = pn_x509_check_validity(PN_AT_(i), now)) != PN_OK)
            return rc;
    for (i = 0; i + 1 < n; i++) {
        const pn_x509 *c = PN_AT_(i), *iss = PN_AT_(i + 1);
        /* RFC 5280 6.1.3 (a)(4): issuer and subject names chain.  Names are compared as
         * encoded bytes; RFC 5280 7.1 allows this and peernet only chains certificates
         * made by one implementation. */
        if (!same_span(&c->issuer, &iss->subject))
            return PN_ERR_CRYPTO_CHAIN;
        /* RFC 5280 6.1.4 (k), (n): an issuer is a CA and may sign certificates. */
        if (!(iss->ext_present & PN_X509_EXT_BASIC_CONSTRAINTS) || !iss->is_ca)
            return PN_ERR_CRYPTO_CHAIN;
        if ((iss->ext_present & PN_X509_EXT_KEY_USAGE) &&
            !(iss->key_usage & PN_X509_KU_KEY_CERT_SIGN))
            return PN_ERR_CRYPTO_CHAIN;
        /* RFC 5280 6.1.4 (l), (m): pathLenConstraint counts the non-self-issued
         * intermediates between this issuer and the leaf. */
        if (i > 0 && !same_span(&c->issuer, &c->subject))
            below++;
        if (iss->path_len >= 0 && below > (size_t)iss->path_len)
            return PN_ERR_CRYPTO_CHAIN;
        if ((rc = pn_x509_verify_signature(c, &iss->pub)) != PN_OK)
            return rc;
    }
    /* The last certificate anchors the chain: it must be self-signed. */
    {
        const pn_x509 *root = PN_AT_(n - 1);
        if (!same_span(&root->issuer, &root->subject))
            return PN_ERR_CRYPTO_CHAIN;
        if ((rc = pn_x509_verify_signature(root, &root->pub)) != PN_OK)
            return rc;
    }
#undef PN_AT_
    return PN_OK;
}
