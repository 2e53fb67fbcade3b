/* Certificate builder: one forward pass through pn_wr; the signature is written in place
 * over the TBS bytes already in the buffer. */
#include "crypto/x509_int.h"
#include "wire/pn_mem.h"

static void wr_sig_alg(pn_wr *w, pn_hash_id hash)
{
    size_t m = pn_der_wr_open(w, PN_DER_SEQUENCE);
    if (hash == PN_HASH_SHA256)
        pn_der_wr_oid(w, (const uint8_t *)PN_OID_SHA256_RSA, PN_OID_LEN(PN_OID_SHA256_RSA));
    else
        pn_der_wr_oid(w, (const uint8_t *)PN_OID_SHA1_RSA, PN_OID_LEN(PN_OID_SHA1_RSA));
    pn_der_wr_null(w); /* RFC 4055 5: parameters NULL for the PKCS#1 v1.5 algorithms */
    pn_der_wr_close(w, m);
}

/* A Name of one RDN holding a commonName in a UTF8String (RFC 5280 4.1.2.6 prefers
 * UTF8String for new certificates). */
static void wr_cn_name(pn_wr *w, const char *cn, size_t len)
{
    size_t name = pn_der_wr_open(w, PN_DER_SEQUENCE);
    size_t rdn = pn_der_wr_open(w, PN_DER_SET);
    size_t atv = pn_der_wr_open(w, PN_DER_SEQUENCE);
    pn_der_wr_oid(w, (const uint8_t *)PN_OID_AT_COMMON_NAME, PN_OID_LEN(PN_OID_AT_COMMON_NAME));
    pn_der_wr_tlv(w, PN_DER_UTF8_STRING, cn, len);
    pn_der_wr_close(w, atv);
    pn_der_wr_close(w, rdn);
    pn_der_wr_close(w, name);
}

static int check_name(const uint8_t *der, size_t der_len, const char *cn, size_t cn_len)
{
    if (der != NULL) {
        char tmp[4];
        int rc = pn_x509_name_cn(der, der_len, tmp, sizeof tmp);
        /* Only the shape matters here: a missing or long commonName is fine. */
        return (rc >= 0 || rc == PN_ERR_NOTFOUND || rc == PN_ERR_BUFSIZE) ? PN_OK : rc;
    }
    if (cn == NULL || cn_len == 0)
        return PN_ERR_ARG;
    return pn_der_string_check(PN_DER_UTF8_STRING, (const uint8_t *)cn, cn_len) == PN_OK
               ? PN_OK
               : PN_ERR_ARG;
}

int pn_x509_build(const pn_x509_build_params *pp, const pn_rsa_private *issuer_key, pn_rng_fn rng,
                  void *rng_ctx, uint8_t *out, size_t cap, size_t *needed)
{
    return pn_x509_build_work(pp, issuer_key, rng, rng_ctx, NULL, 0, out, cap, needed);
}

int pn_x509_build_work(const pn_x509_build_params *pp, const pn_rsa_private *issuer_key,
                       pn_rng_fn rng, void *rng_ctx, void *work, size_t work_len, uint8_t *out,
                       size_t cap, size_t *needed)
{
    pn_wr w;
    size_t cert, tbs, tbs_off, sig_off, sig_len, m, i, nz;
    int rc;
    if (pp == NULL || issuer_key == NULL || pp->subject_key == NULL || issuer_key->n_bits == 0 ||
        (pp->exts == NULL && pp->n_exts > 0))
        return PN_ERR_ARG;
    if (pp->hash != PN_HASH_SHA1 && pp->hash != PN_HASH_SHA256)
        return PN_ERR_CRYPTO_ALGORITHM;
    /* RFC 5280 4.1.2.2: a positive serial of at most 20 octets. */
    for (nz = 0; nz < pp->serial_len && pp->serial[nz] == 0; nz++)
        ;
    if (pp->serial == NULL || nz == pp->serial_len || pp->serial_len - nz > 20)
        return PN_ERR_ARG;
    if ((rc = check_name(pp->issuer_der, pp->issuer_der_len, pp->issuer_cn, pp->issuer_cn_len)) !=
            PN_OK ||
        (rc = check_name(pp->subject_der, pp->subject_der_len, pp->subject_cn,
                         pp->subject_cn_len)) != PN_OK)
        return rc;
    for (i = 0; i < pp->n_exts; i++)
        if (pn_der_oid_check(pp->exts[i].oid, pp->exts[i].oid_len) != PN_OK)
            return PN_ERR_ARG;
    sig_len = (issuer_key->n_bits + 7u) / 8u;

    pn_wr_init(&w, out, cap);
    cert = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    tbs = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    tbs_off = tbs - 1; /* the tag; later moves only shift what follows it */
    m = pn_der_wr_open(&w, PN_DER_CTX_C(0));
    pn_der_wr_i64(&w, 2); /* v3 */
    pn_der_wr_close(&w, m);
    pn_der_wr_uint(&w, pp->serial, pp->serial_len);
    wr_sig_alg(&w, pp->hash);
    if (pp->issuer_der != NULL)
        pn_wr_bytes(&w, pp->issuer_der, pp->issuer_der_len);
    else
        wr_cn_name(&w, pp->issuer_cn, pp->issuer_cn_len);
    m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    pn_der_wr_time(&w, pp->not_before);
    pn_der_wr_time(&w, pp->not_after);
    pn_der_wr_close(&w, m);
    if (pp->subject_der != NULL)
        pn_wr_bytes(&w, pp->subject_der, pp->subject_der_len);
    else
        wr_cn_name(&w, pp->subject_cn, pp->subject_cn_len);
    pn_rsa_public_wr_spki(&w, pp->subject_key);
    if (pp->n_exts > 0) {
        size_t ctx3 = pn_der_wr_open(&w, PN_DER_CTX_C(3));
        size_t seq = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        for (i = 0; i < pp->n_exts; i++) {
            const pn_x509_ext_in *e = &pp->exts[i];
            size_t one = pn_der_wr_open(&w, PN_DER_SEQUENCE);
            pn_der_wr_oid(&w, e->oid, e->oid_len);
            if (e->critical)
                pn_der_wr_bool(&w, 1); /* FALSE is the DEFAULT: left out (X.690 11.5) */
            pn_der_wr_octets(&w, e->value, e->value_len);
            pn_der_wr_close(&w, one);
        }
        pn_der_wr_close(&w, seq);
        pn_der_wr_close(&w, ctx3);
    }
    pn_der_wr_close(&w, tbs);
    {
        size_t tbs_len = pn_wr_len(&w) - tbs_off;
        wr_sig_alg(&w, pp->hash);
        pn_der_wr_header(&w, PN_DER_BIT_STRING, sig_len + 1);
        pn_wr_u8(&w, 0);
        sig_off = pn_wr_reserve(&w, sig_len);
        if (pn_wr_err(&w) == 0) {
            uint8_t h[PN_HASH_MAX_LEN];
            if ((rc = pn_hash(pp->hash, w.buf + tbs_off, tbs_len, h)) != PN_OK)
                return rc;
            if (work != NULL)
                rc = pn_rsa_pkcs1_sign_work(issuer_key, pp->hash, h, pn_hash_len(pp->hash),
                                            w.buf + sig_off, sig_len, rng, rng_ctx, work, work_len);
            else
#if PN_RSA_STACK_WORK
                rc = pn_rsa_pkcs1_sign(issuer_key, pp->hash, h, pn_hash_len(pp->hash),
                                       w.buf + sig_off, sig_len, rng, rng_ctx);
#else
                rc = PN_ERR_ARG; /* no stack work area in this build: pass one */
#endif
            if (rc < 0)
                return rc;
            if ((size_t)rc != sig_len)
                return PN_ERR_CRYPTO_KEY;
        }
    }
    pn_der_wr_close(&w, cert);
    if (needed)
        *needed = pn_wr_len(&w);
    if (pn_wr_err(&w) != 0)
        return pn_wr_err(&w);
    if (pn_wr_len(&w) > PN_X509_MAX_CERT_BYTES)
        return PN_ERR_CRYPTO_X509; /* the parser would refuse it */
    return (int)pn_wr_len(&w);
}

int pn_x509_basic_constraints_value(int ca, int path_len, uint8_t *out, size_t cap)
{
    pn_wr w;
    size_t m;
    pn_wr_init(&w, out, cap);
    m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    if (ca) {
        pn_der_wr_bool(&w, 1);
        if (path_len >= 0)
            pn_der_wr_i64(&w, path_len);
    }
    pn_der_wr_close(&w, m);
    return pn_wr_err(&w) != 0 ? pn_wr_err(&w) : (int)pn_wr_len(&w);
}

int pn_x509_key_usage_value(uint32_t bits, uint8_t *out, size_t cap)
{
    pn_wr w;
    uint8_t b[2] = {0, 0};
    unsigned i, last = 0, nbytes, unused;
    if (bits == 0 || bits >= (1u << 9))
        return PN_ERR_ARG;
    for (i = 0; i < 9; i++)
        if (bits & (1u << i)) {
            b[i / 8] |= (uint8_t)(0x80u >> (i % 8));
            last = i;
        }
    /* X.690 11.2.2: trailing zero bits of a named bit list are removed. */
    nbytes = last / 8 + 1;
    unused = 7 - last % 8;
    pn_wr_init(&w, out, cap);
    pn_der_wr_header(&w, PN_DER_BIT_STRING, nbytes + 1);
    pn_wr_u8(&w, (uint8_t)unused);
    pn_wr_bytes(&w, b, nbytes);
    return pn_wr_err(&w) != 0 ? pn_wr_err(&w) : (int)pn_wr_len(&w);
}
