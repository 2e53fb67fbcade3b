/* Delegation through certificate chains (MS-PNRP 1.3.2, 2.2.3.5, 3.1.5.10): PNRP
 * certificates built and chains validated.  The chain is walked one certificate at a
 * time (only the previous one is kept), so its length costs time, not memory. */
#include "peernet/hash.h"
#include "peernet/pnrp.h"
#include "peernet/wire.h"
#include "peernet/x509.h"
#include "wire/pn_mem.h"

/* 2.2.3.5.1.4 role UUIDs, bytes in the order the specification prints them (PE-51). */
static const uint8_t role_admin[16] = {0x04, 0x38, 0x71, 0x27, 0xaa, 0x56, 0x45, 0x0a,
                                       0x8c, 0xe5, 0x4f, 0x56, 0x5c, 0x67, 0x90, 0xf4};
static const uint8_t role_member[16] = {0xf1, 0x2d, 0xc4, 0xc7, 0x08, 0x57, 0x4c, 0xa0,
                                        0x93, 0xfc, 0xb1, 0xbb, 0x19, 0xa3, 0xd8, 0xc2};
static const uint8_t role_inviting[16] = {0xdd, 0x15, 0xf4, 0x1f, 0xfc, 0x4e, 0x49, 0x22,
                                          0xb0, 0x35, 0x4c, 0x06, 0xa7, 0x54, 0xd0, 0x1d};
static const uint8_t cert_version[4] = {0x01, 0x00, 0x02, 0x00}; /* 2.2.3.5.1.2: 1.2 */

enum { UNITS_MAX = 2 * 150 }; /* a 150-character UniversalString as UTF-16 */

static size_t text_len(const char *s)
{
    size_t n = 0;
    while (n < 4 * UNITS_MAX && s[n] != 0)
        n++;
    return n;
}

/* A DER UniversalString / BMPString as UTF-16 code units; -1 when malformed. */
static int der_units(const pn_der_tlv *v, uint16_t *out, size_t cap)
{
    size_t i, n = 0;
    if (v->tag == PN_DER_BMP_STRING) {
        if (v->len % 2 != 0 || v->len / 2 > cap)
            return -1;
        for (i = 0; i < v->len; i += 2)
            out[n++] = (uint16_t)(v->val[i] << 8 | v->val[i + 1]);
        return (int)n;
    }
    if (v->tag != PN_DER_UNIVERSAL_STRING || v->len % 4 != 0)
        return -1;
    for (i = 0; i < v->len; i += 4) {
        uint32_t c = pn_get_u32be(v->val + i);
        if (c > 0x10FFFFu || (c >= 0xD800u && c <= 0xDFFFu))
            return -1;
        if (c >= 0x10000u) {
            if (n + 2 > cap)
                return -1;
            c -= 0x10000u;
            out[n++] = (uint16_t)(0xD800u + (c >> 10));
            out[n++] = (uint16_t)(0xDC00u + (c & 0x3FFu));
        } else {
            if (n + 1 > cap)
                return -1;
            out[n++] = (uint16_t)c;
        }
    }
    return (int)n;
}

/* 2.2.4: at most 149 code units, none of them NUL. */
static int classifier_syntax_ok(const uint16_t *u, size_t n)
{
    size_t i;
    if (n > PN_PNRP_CLASSIFIER_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (u[i] == 0)
            return 0;
    return 1;
}

/* 2.2.3.5.1.5.1: is classifier (cl, n) a legal delegate of delegator's list? */
static int classifier_delegated(const pn_x509 *delegator, const uint16_t *cl, size_t n,
                                int prefix_ok)
{
    pn_der it;
    pn_der_tlv v;
    uint16_t u[UNITS_MAX];
    int k, r, any = 0;
    if (pn_x509_p2p_classifiers_begin(delegator, &it) != PN_OK)
        return 1; /* no list: anything goes */
    while ((r = pn_x509_p2p_classifier_next(&it, &v)) == 1) {
        any = 1;
        k = der_units(&v, u, UNITS_MAX);
        if (k < 0 || (size_t)k > n)
            continue;
        if (memcmp(u, cl, (size_t)k * 2) != 0)
            continue;
        if ((size_t)k == n || prefix_ok)
            return 1;
    }
    return r == 0 && !any;
}

/* Roles of a member certificate: 1 when some role allows prefixes (admin, inviting
 * member), 0 for member only, -1 when absent, empty or unknown. */
static int cert_prefix_role(const pn_x509 *c)
{
    pn_der it;
    const uint8_t *role;
    int r, prefix = 0, any = 0;
    if (pn_x509_p2p_roles_begin(c, &it) != PN_OK)
        return -1;
    while ((r = pn_x509_p2p_role_next(&it, &role)) == 1) {
        any = 1;
        if (memcmp(role, role_admin, 16) == 0 || memcmp(role, role_inviting, 16) == 0)
            prefix = 1;
        else if (memcmp(role, role_member, 16) != 0)
            return -1;
    }
    return (r == 0 && any) ? prefix : -1;
}

/* Every classifier of cur is delegated from prev's list (3.1.5.10); an empty list only
 * when prev's list is empty (a classifier cannot be encoded empty, 2.2.3.5.1.5). */
static int list_delegated(const pn_x509 *prev, const pn_x509 *cur, int prefix_ok)
{
    pn_der it, pit;
    pn_der_tlv v;
    uint16_t u[UNITS_MAX];
    int k, r, any = 0;
    if (pn_x509_p2p_classifiers_begin(cur, &it) != PN_OK)
        return 0;
    while ((r = pn_x509_p2p_classifier_next(&it, &v)) == 1) {
        any = 1;
        k = der_units(&v, u, UNITS_MAX);
        if (k < 0 || !classifier_syntax_ok(u, (size_t)k) ||
            !classifier_delegated(prev, u, (size_t)k, prefix_ok))
            return 0;
    }
    if (r != 0)
        return 0;
    if (!any && pn_x509_p2p_classifiers_begin(prev, &pit) == PN_OK &&
        pn_x509_p2p_classifier_next(&pit, &v) != 0)
        return 0;
    return 1;
}

static int same_span(const pn_x509_span *a, const pn_x509_span *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

/* RFC 5280 4.1.2.5 in FILETIME: the certificate's seconds are multiplied up rather than
 * the clock divided down (no 64-bit division on small targets). */
static int check_validity(const pn_x509 *c, uint64_t now_ft)
{
    uint64_t nb = c->not_before < -11644473600LL ? 0 : pn_pnrp_filetime(c->not_before * 1000);
    uint64_t na = c->not_after < -11644473600LL ? 0 : pn_pnrp_filetime(c->not_after * 1000);
    return (now_ft >= nb && now_ft <= na) ? PN_OK : PN_ERR_CRYPTO_EXPIRED;
}

/* The checks every certificate of a chain gets (2.2.3.5). */
static int cert_shape(const pn_x509 *c, uint8_t key_data[PN_PNRP_PUBKEY_DATA_LEN])
{
    pn_pnrp_identity id;
    if (c->version != 3 || c->sig_alg != PN_X509_SIG_SHA1_RSA || c->serial.len != 16 ||
        c->has_unique_ids)
        return PN_ERR_CRYPTO_X509;
    if (!(c->ext_present & PN_X509_EXT_P2P_CERT_VERSION) || c->p2p_cert_version.len != 4 ||
        memcmp(c->p2p_cert_version.p, cert_version, 4) != 0 ||
        !(c->ext_present & PN_X509_EXT_P2P_CERT_TYPE))
        return PN_ERR_CRYPTO_X509;
    /* 2.2.3.5: the key has the CPA Public Key shape (RSA-1024, 2.2.3.1.4). */
    if (pn_pnrp_identity_init(&id, &c->pub, NULL) != PN_OK)
        return PN_ERR_CRYPTO_X509;
    memcpy(key_data, id.key_data, PN_PNRP_PUBKEY_DATA_LEN);
    return PN_OK;
}

int pn_pnrp_chain_validate(const uint8_t *der, size_t len, const pn_pnrp_chain_check *chk,
                           uint8_t root_authority[20])
{
    pn_pkcs7_bag bag;
    pn_der it;
    pn_x509 certs[2]; /* the previous and the current certificate */
    pn_der_tlv root_name, leaf_name;
    uint8_t key[PN_PNRP_PUBKEY_DATA_LEN], auth[20];
    size_t i;
    int rc, prefix = 0;
    if (der == NULL || chk == NULL)
        return PN_ERR_ARG;
    if ((rc = pn_pkcs7_bag_parse(&bag, der, len)) != PN_OK)
        return rc;
    /* 2.2.3.5: at most 25 certificates; this build keeps PN_PNRP_CHAIN_MAX (PE-50). */
    if (bag.count == 0 || bag.count > PN_PNRP_CHAIN_MAX)
        return PN_ERR_CRYPTO_CHAIN;
    pn_pkcs7_bag_begin(&bag, &it);
    for (i = 0; i < bag.count; i++) {
        pn_x509 *cur = &certs[i & 1], *prev = &certs[(i + 1) & 1];
        if ((rc = pn_pkcs7_bag_next(&it, cur)) != 1)
            return rc < 0 ? rc : PN_ERR_CRYPTO_CHAIN;
        if ((rc = cert_shape(cur, key)) != PN_OK)
            return rc;
        if ((rc = check_validity(cur, chk->now_filetime)) != PN_OK)
            return rc;
        if (i == 0) {
            /* The root: self-signed, certTypeRoot, its key the name's authority. */
            if (cur->p2p_cert_type != 2 || !same_span(&cur->issuer, &cur->subject))
                return PN_ERR_CRYPTO_CHAIN;
            if ((rc = pn_x509_verify_signature(cur, &cur->pub)) != PN_OK)
                return rc;
            pn_pnrp_authority_of_key(key, sizeof key, auth);
            if (chk->authority != NULL && memcmp(auth, chk->authority, 20) != 0)
                return PN_ERR_CRYPTO_CHAIN;
            if (root_authority != NULL)
                memcpy(root_authority, auth, 20);
            if (pn_x509_p2p_peer_name(cur, &root_name) != PN_OK)
                return PN_ERR_CRYPTO_CHAIN;
            /* Its own classifiers are unrestricted but must still be classifiers. */
            {
                pn_der cit;
                pn_der_tlv v;
                uint16_t u[UNITS_MAX];
                int k;
                if (pn_x509_p2p_classifiers_begin(cur, &cit) == PN_OK)
                    while ((rc = pn_x509_p2p_classifier_next(&cit, &v)) == 1) {
                        k = der_units(&v, u, UNITS_MAX);
                        if (k < 0 || !classifier_syntax_ok(u, (size_t)k))
                            return PN_ERR_CRYPTO_CHAIN;
                    }
            }
            continue;
        }
        /* A member: certTypeMember, PnrpRole and PnrpClassifiersList present. */
        if (cur->p2p_cert_type != 1 || !(cur->ext_present & PN_X509_EXT_P2P_CLASSIFIERS))
            return PN_ERR_CRYPTO_CHAIN;
        if ((prefix = cert_prefix_role(cur)) < 0)
            return PN_ERR_CRYPTO_CHAIN;
        /* The link (PE-51): issuer Name = previous subject Name, alternative names equal
         * when either is present (3.1.5.10), and the previous key signed it. */
        if (!same_span(&cur->issuer, &prev->subject) ||
            !same_span(&cur->issuer_alt_name, &prev->subject_alt_name))
            return PN_ERR_CRYPTO_CHAIN;
        if ((rc = pn_x509_verify_signature(cur, &prev->pub)) != PN_OK)
            return rc;
        if (!list_delegated(prev, cur, prefix))
            return PN_ERR_CRYPTO_CHAIN;
    }
    {
        const pn_x509 *last = &certs[(bag.count - 1) & 1];
        /* The last certificate holds the key that signed the CPA ... */
        if (chk->cpa_key != NULL && memcmp(key, chk->cpa_key, sizeof key) != 0)
            return PN_ERR_CRYPTO_CHAIN;
        /* ... and the root's peer name. */
        if (pn_x509_p2p_peer_name(last, &leaf_name) != PN_OK || leaf_name.tag != root_name.tag ||
            leaf_name.len != root_name.len ||
            memcmp(leaf_name.val, root_name.val, root_name.len) != 0)
            return PN_ERR_CRYPTO_CHAIN;
        /* The CPA's classifier is delegated by the last certificate. */
        if (chk->classifier != NULL &&
            (!classifier_syntax_ok(chk->classifier, chk->classifier_units) ||
             !classifier_delegated(last, chk->classifier, chk->classifier_units, prefix)))
            return PN_ERR_CRYPTO_CHAIN;
    }
    return PN_OK;
}

int pn_pnrp_identity_set_chain(pn_pnrp_identity *id, const uint8_t *chain, size_t len, int64_t now)
{
    pn_pnrp_chain_check chk;
    uint8_t root[20];
    int rc;
    if (id == NULL || chain == NULL)
        return PN_ERR_ARG;
    memset(&chk, 0, sizeof chk);
    chk.cpa_key = id->key_data;
    chk.now_filetime = pn_pnrp_filetime(now * 1000);
    if ((rc = pn_pnrp_chain_validate(chain, len, &chk, root)) != PN_OK)
        return rc;
    memcpy(id->authority, root, 20);
    id->chain = chain;
    id->chain_len = len;
    return PN_OK;
}

/* ---- building PNRP certificates --------------------------------------------------- */
/* otherName { type-id, [0] UniversalString } inside an open GeneralNames writer. */
static int wr_other_name(pn_wr *w, const uint8_t *oid, const char *utf8, size_t len)
{
    uint8_t u16[2 * UNITS_MAX];
    size_t m1, m2, m3, i;
    int n = pn_utf8_to_utf16le((const uint8_t *)utf8, len, u16, sizeof u16, NULL);
    if (n < 0)
        return PN_ERR_PNRP_NAME;
    m1 = pn_der_wr_open(w, PN_DER_CTX_C(0));
    pn_der_wr_oid(w, oid, PN_OID_P2P_LEN);
    m2 = pn_der_wr_open(w, PN_DER_CTX_C(0));
    m3 = pn_der_wr_open(w, PN_DER_UNIVERSAL_STRING);
    for (i = 0; i + 1 < (size_t)n; i += 2) {
        uint32_t c = (uint32_t)(u16[i] | u16[i + 1] << 8);
        if (c >= 0xD800u && c <= 0xDBFFu && i + 3 < (size_t)n) {
            uint32_t lo = (uint32_t)(u16[i + 2] | u16[i + 3] << 8);
            c = 0x10000u + ((c - 0xD800u) << 10) + (lo - 0xDC00u);
            i += 2;
        }
        pn_wr_u32be(w, c);
    }
    pn_der_wr_close(w, m3);
    pn_der_wr_close(w, m2);
    pn_der_wr_close(w, m1);
    return PN_OK;
}

int pn_pnrp_cert_build(const pn_pnrp_cert_params *p, pn_rng_fn rng, void *rng_ctx, uint8_t *out,
                       size_t cap, size_t *needed)
{
    /* Extension values live in one scratch area, each a slice of it. */
    uint8_t scratch[1024], type_v[6], ver_v[6];
    pn_x509_ext_in ext[5];
    pn_x509_build_params bp;
    pn_x509 issuer;
    pn_pnrp_identity subj;
    pn_wr w;
    size_t n_ext = 0, m, at, i;
    char cn[41];
    int rc;
    if (p == NULL || p->issuer_key == NULL || p->subject_key == NULL || p->peer_name == NULL ||
        p->n_classifiers > 8 || (p->issuer_cert == NULL) != (p->role == 0))
        return PN_ERR_ARG;
    if ((rc = pn_pnrp_identity_init(&subj, p->subject_key, NULL)) != PN_OK)
        return rc;
    pn_pnrp_identity_authority_text(&subj, cn);
    memset(&bp, 0, sizeof bp);
    bp.serial = p->serial;
    bp.serial_len = 16;
    bp.hash = PN_HASH_SHA1; /* 2.2.3.5: sha1WithRSAEncryption */
    bp.subject_cn = cn;
    bp.subject_cn_len = 40;
    if (p->issuer_cert != NULL) {
        if ((rc = pn_x509_parse(&issuer, p->issuer_cert, p->issuer_cert_len)) != PN_OK)
            return rc;
        bp.issuer_der = issuer.subject.p;
        bp.issuer_der_len = issuer.subject.len;
    } else {
        bp.issuer_cn = cn;
        bp.issuer_cn_len = 40;
    }
    bp.not_before = p->not_before;
    bp.not_after = p->not_after;
    bp.subject_key = p->subject_key;
    /* PnrpCertificateType (LE DWORD) and PnrpCertificateVersion, both OCTET STRING(4). */
    type_v[0] = PN_DER_OCTET_STRING;
    type_v[1] = 4;
    pn_put_u32le(type_v + 2, p->issuer_cert == NULL ? 2u : 1u);
    ver_v[0] = PN_DER_OCTET_STRING;
    ver_v[1] = 4;
    memcpy(ver_v + 2, cert_version, 4);
    ext[n_ext].oid = (const uint8_t *)PN_OID_P2P_CERT_TYPE;
    ext[n_ext].value = type_v;
    ext[n_ext++].value_len = 6;
    ext[n_ext].oid = (const uint8_t *)PN_OID_P2P_CERT_VERSION;
    ext[n_ext].value = ver_v;
    ext[n_ext++].value_len = 6;
    pn_wr_init(&w, scratch, sizeof scratch);
    /* PnrpPeerName: SEQUENCE SIZE(1) OF GeneralName. */
    at = pn_wr_len(&w);
    m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
    if ((rc = wr_other_name(&w, (const uint8_t *)PN_OID_P2P_PEER_NAME_TYPE, p->peer_name,
                            p->peer_name_len)) != PN_OK)
        return rc;
    pn_der_wr_close(&w, m);
    ext[n_ext].oid = (const uint8_t *)PN_OID_P2P_PEER_NAME;
    ext[n_ext].value = scratch + at;
    ext[n_ext++].value_len = pn_wr_len(&w) - at;
    if (p->issuer_cert != NULL) {
        const uint8_t *role = p->role == PN_PNRP_ROLE_ADMIN      ? role_admin
                              : p->role == PN_PNRP_ROLE_INVITING ? role_inviting
                                                                 : role_member;
        at = pn_wr_len(&w);
        m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        pn_der_wr_octets(&w, role, 16);
        pn_der_wr_close(&w, m);
        ext[n_ext].oid = (const uint8_t *)PN_OID_P2P_ROLES;
        ext[n_ext].value = scratch + at;
        ext[n_ext++].value_len = pn_wr_len(&w) - at;
    }
    if (p->issuer_cert != NULL || p->n_classifiers > 0) {
        at = pn_wr_len(&w);
        m = pn_der_wr_open(&w, PN_DER_SEQUENCE);
        for (i = 0; i < p->n_classifiers; i++) {
            size_t cl = p->classifiers[i] != NULL ? text_len(p->classifiers[i]) : 0;
            if (cl == 0 || (rc = wr_other_name(&w, (const uint8_t *)PN_OID_P2P_CLASSIFIER_TYPE,
                                               p->classifiers[i], cl)) != PN_OK)
                return PN_ERR_PNRP_NAME;
        }
        pn_der_wr_close(&w, m);
        ext[n_ext].oid = (const uint8_t *)PN_OID_P2P_CLASSIFIERS;
        ext[n_ext].value = scratch + at;
        ext[n_ext++].value_len = pn_wr_len(&w) - at;
    }
    if (pn_wr_err(&w))
        return PN_ERR_PNRP_NAME;
    for (i = 0; i < n_ext; i++) {
        ext[i].oid_len = PN_OID_P2P_LEN;
        ext[i].critical = 1; /* 2.2.3.5.1: every PNRP extension is critical */
    }
    bp.exts = ext;
    bp.n_exts = n_ext;
    return pn_x509_build(&bp, p->issuer_key, rng, rng_ctx, out, cap, needed);
}
