/* Fuzz harness: one X.509 certificate, plus the RSA key readers and PEM on the same
 * bytes.  Invariants: a parsed certificate's spans lie inside the input; every accessor
 * works on it; key formats that parse re-encode to exactly the input bytes. */
#include <stdlib.h>
#include <string.h>

#include "peernet/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const pn_x509_span *s, const uint8_t *data, size_t size)
{
    if (s->len > 0 && (s->p < data || s->p + s->len > data + size))
        abort();
}

static void keys(const uint8_t *data, size_t size)
{
    static uint8_t out[8192];
    pn_rsa_public pub;
    pn_rsa_der_key k;
    int n;
    if (pn_rsa_public_from_der(&pub, data, size) == PN_OK) {
        n = pn_rsa_public_to_der(&pub, out, sizeof out, NULL);
        if (n != (int)size || memcmp(out, data, size) != 0)
            abort();
    }
    if (pn_rsa_public_from_spki(&pub, data, size) == PN_OK) {
        n = pn_rsa_public_to_spki(&pub, out, sizeof out, NULL);
        if (n != (int)size || memcmp(out, data, size) != 0)
            abort();
    }
    if (pn_rsa_private_from_der(&k, data, size) == PN_OK) {
        n = pn_rsa_private_to_der(&k.pub, &k.priv, k.d, k.d_len, out, sizeof out, NULL);
        if (n != (int)size || memcmp(out, data, size) != 0)
            abort();
    }
    (void)pn_rsa_private_from_pkcs8(&k, data, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t pem[16384];
    pn_x509 c;
    pn_x509_ext e;
    pn_der it;
    pn_der_tlv v;
    const uint8_t *role;
    char cn[1024];
    if (size > PN_X509_MAX_CERT_BYTES + 64)
        return 0;
    keys(data, size);
    (void)pn_pem_decode((const char *)data, size, "CERTIFICATE", pem, sizeof pem, NULL, NULL);
    if (pn_x509_parse(&c, data, size) != PN_OK)
        return 0;
    if (c.der.p != data || c.der.len != size)
        abort();
    inside(&c.tbs, data, size);
    inside(&c.issuer, data, size);
    inside(&c.subject, data, size);
    inside(&c.spki, data, size);
    inside(&c.extensions, data, size);
    inside(&c.signature, data, size);
    (void)pn_x509_subject_cn(&c, cn, sizeof cn);
    (void)pn_x509_issuer_cn(&c, cn, sizeof cn);
    if (pn_x509_name_cn(c.subject.p, c.subject.len, cn, sizeof cn) == PN_ERR_CRYPTO_DER)
        abort(); /* the parser already checked this Name */
    pn_x509_ext_begin(&c, &it);
    while (pn_x509_ext_next(&it, &e) == 1)
        inside(&e.value, data, size);
    if (pn_x509_p2p_peer_name(&c, &v) == PN_OK)
        (void)pn_der_string_to_utf8(v.tag, v.val, v.len, cn, sizeof cn);
    if (pn_x509_p2p_classifiers_begin(&c, &it) == PN_OK)
        while (pn_x509_p2p_classifier_next(&it, &v) == 1)
            ;
    if (pn_x509_p2p_roles_begin(&c, &it) == PN_OK)
        while (pn_x509_p2p_role_next(&it, &role) == 1)
            ;
    (void)pn_x509_verify_signature(&c, &c.pub);
    (void)pn_x509_chain_verify(&c, 1, c.not_before, 0);
    {
        size_t need = 0;
        if (pn_pem_encode("CERTIFICATE", data, size, (char *)pem, sizeof pem, &need) > 0) {
            static uint8_t back[8192];
            int n = pn_pem_decode((const char *)pem, need, "CERTIFICATE", back, sizeof back, NULL,
                                  NULL);
            if (n != (int)size || memcmp(back, data, size) != 0)
                abort();
        }
    }
    return 0;
}
