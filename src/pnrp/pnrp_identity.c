/* Identities and CPAs (MS-PNRP 1.3.1.3, 3.1.5.7, 3.1.5.9, 3.2.5.7, 3.2.5.9). */
#include "peernet/hash.h"
#include "peernet/pnrp.h"
#include "wire/pn_mem.h"

/* FILETIME counts 100 ns from 1601-01-01; 11644473600 s separate it from 1970. */
uint64_t pn_pnrp_filetime(int64_t unix_ms)
{
    int64_t ms = unix_ms + 11644473600000LL;
    return ms < 0 ? 0 : (uint64_t)ms * 10000u;
}

int pn_pnrp_identity_init(pn_pnrp_identity *id, const pn_rsa_public *pub,
                          const pn_rsa_private *priv)
{
    const uint8_t *n, *e;
    size_t n_len, e_len;
    uint8_t *k;
    if (id == NULL || pub == NULL || pub->n == NULL || pub->e == NULL)
        return PN_ERR_ARG;
    n = pub->n;
    n_len = pub->n_len;
    while (n_len > 0 && n[0] == 0) {
        n++;
        n_len--;
    }
    e = pub->e;
    e_len = pub->e_len;
    while (e_len > 0 && e[0] == 0) {
        e++;
        e_len--;
    }
    /* 2.2.3.1.4: the 140-byte DER RSAPublicKey fixes a 1024-bit modulus and a 3-byte
     * exponent (INTEGER without a sign byte). */
    if (n_len != 128 || (n[0] & 0x80) == 0)
        return PN_ERR_CRYPTO_KEYSIZE;
    if (e_len == 0 || e_len > 3 || (e[e_len - 1] & 1) == 0)
        return PN_ERR_CRYPTO_KEY;
    memset(id, 0, sizeof *id);
    k = id->key_data;
    k[0] = 0x30;
    k[1] = 0x81;
    k[2] = 0x89;
    k[3] = 0x02;
    k[4] = 0x81;
    k[5] = 0x81;
    k[6] = 0x00;
    memcpy(k + 7, n, 128);
    k[135] = 0x02;
    k[136] = 0x03;
    /* A shorter exponent is left-padded to 3 bytes; only e whose top byte has the high
     * bit clear keep the INTEGER positive. */
    memcpy(k + 137 + (3 - e_len), e, e_len);
    if ((k[137] & 0x80) != 0 || k[137] == 0)
        return PN_ERR_CRYPTO_KEY;
    pn_pnrp_authority_of_key(k, PN_PNRP_PUBKEY_DATA_LEN, id->authority);
    id->priv = priv;
    return PN_OK;
}

void pn_pnrp_identity_authority_text(const pn_pnrp_identity *id, char out[41])
{
    pn_pnrp_authority_format(id->authority, 1, out);
}

static void reverse(uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n / 2; i++) {
        uint8_t t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

/* Encode the CPA of p with its SIGNATURE left zero; *h gets the SHA-1 that is signed. */
static int cpa_encode_unsigned(const pn_pnrp_cpa_params *p, uint8_t *buf, size_t cap, uint8_t h[20])
{
    pn_pnrp_cpa cpa;
    size_t needed = 0;
    int len;
    memset(&cpa, 0, sizeof cpa);
    /* 2.2.3.1: C always (the classifier hash, even of the empty classifier), A for a
     * secure name; R for a revoke CPA, whose nonce is zero (3.2.4.2). */
    cpa.flags = PN_PNRP_CPA_C;
    if (p->secure) {
        cpa.flags |= PN_PNRP_CPA_A;
        memcpy(cpa.authority, p->identity->authority, 20);
    }
    if (p->has_ext_payload && !p->revoke)
        cpa.flags |= PN_PNRP_CPA_X;
    if (p->revoke)
        cpa.flags |= PN_PNRP_CPA_R;
    else
        memcpy(cpa.nonce, p->nonce, 16);
    cpa.not_after = p->not_after;
    memcpy(cpa.service_loc, p->service_loc, 16);
    memcpy(cpa.classifier_hash, p->classifier_hash, 20);
    cpa.addr_count = p->addr_count;
    memcpy(cpa.addrs, p->addrs, sizeof cpa.addrs);
    if (p->app_count) {
        cpa.payload_count = 1;
        cpa.payload_type = PN_PNRP_PAYLOAD_IPV6_ENDPOINTS;
        cpa.app_count = p->app_count;
        memcpy(cpa.apps, p->apps, p->app_count * sizeof *p->apps);
    }
    cpa.pubkey.key_data = p->identity->key_data;
    len = pn_pnrp_cpa_encode(&cpa, buf, cap, &needed);
    if (len < 0)
        return len;
    /* 3.2.5.9: SHA-1 over the structure minus its SIGNATURE, then RSASSA-PKCS1-v1_5. */
    pn_sha1(buf, (size_t)len - PN_PNRP_SIGNATURE_LEN, h);
    return len;
}

static int cpa_params_ok(const pn_pnrp_cpa_params *p, const uint8_t *buf)
{
    return p != NULL && p->identity != NULL && p->identity->priv != NULL && buf != NULL &&
           p->addr_count <= 4 && (p->addr_count > 0 || p->revoke) &&
           p->app_count <= PN_PNRP_APP_ENDPOINTS_MAX;
}

int pn_pnrp_cpa_build(const pn_pnrp_cpa_params *p, uint8_t *buf, size_t cap, pn_rng_fn rng,
                      void *rng_ctx, void *work, size_t work_len)
{
    return pn_pnrp_cpa_build_memo(p, buf, cap, rng, rng_ctx, work, work_len, NULL, 0);
}

int pn_pnrp_cpa_build_memo(const pn_pnrp_cpa_params *p, uint8_t *buf, size_t cap, pn_rng_fn rng,
                           void *rng_ctx, void *work, size_t work_len, pn_pnrp_sig_memo *memo,
                           uint64_t min_not_after)
{
    uint8_t h[20];
    int len, r;
    if (!cpa_params_ok(p, buf))
        return PN_ERR_ARG;
    /* Decision PE-62: RSASSA-PKCS1-v1_5 is deterministic, so the signature of bytes that
     * were signed before is the one remembered.  The CPA is built with the remembered Not
     * After (while it is far enough away); when the SHA-1 that would be signed equals the
     * remembered one (same key, ID, addresses, nonce, flags...), its signature is it. */
    if (memo != NULL && memo->not_after != 0 && memo->not_after >= min_not_after) {
        pn_pnrp_cpa_params q = *p;
        q.not_after = memo->not_after;
        len = cpa_encode_unsigned(&q, buf, cap, h);
        if (len < 0)
            return len;
        if (memcmp(h, memo->digest, 20) == 0) {
            memcpy(buf + len - PN_PNRP_SIG_DATA_LEN, memo->sig, PN_PNRP_SIG_DATA_LEN);
            memo->hits++;
            return len;
        }
    }
    len = cpa_encode_unsigned(p, buf, cap, h);
    if (len < 0)
        return len;
    r = pn_rsa_pkcs1_sign_work(p->identity->priv, PN_HASH_SHA1, h, sizeof h,
                               buf + len - PN_PNRP_SIG_DATA_LEN, PN_PNRP_SIG_DATA_LEN, rng, rng_ctx,
                               work, work_len);
    if (r < 0)
        return r;
    if (r != PN_PNRP_SIG_DATA_LEN)
        return PN_ERR_CRYPTO_KEYSIZE;
    if (PN_PNRP_SIG_WIRE_LE) /* decision PE-1 */
        reverse(buf + len - PN_PNRP_SIG_DATA_LEN, PN_PNRP_SIG_DATA_LEN);
    if (memo != NULL) {
        memcpy(memo->digest, h, 20);
        memcpy(memo->sig, buf + len - PN_PNRP_SIG_DATA_LEN, PN_PNRP_SIG_DATA_LEN);
        memo->not_after = p->not_after;
    }
    return len;
}

/* 3.1.5.9: the SIGNATURE that ends raw, by the CPA Public Key k. */
static int check_signature_of(const pn_pnrp_bytes *raw, const uint8_t *sig_data, const uint8_t *k)
{
#if PN_FUZZING_SKIP_SIGNATURES
    (void)raw;
    (void)sig_data;
    (void)k;
    return PN_OK;
#else
    pn_rsa_public pub;
    uint8_t h[20], sig[PN_PNRP_SIG_DATA_LEN];
    if (raw->p == NULL || raw->len <= PN_PNRP_SIGNATURE_LEN || k == NULL || sig_data == NULL)
        return PN_ERR_PNRP_CPA;
    /* The decoder has checked the 140-byte RSAPublicKey shape (2.2.3.1.4). */
    pub.n = k + 7;
    pub.n_len = 128;
    pub.e = k + 137;
    pub.e_len = 3;
    memcpy(sig, sig_data, sizeof sig);
    if (PN_PNRP_SIG_WIRE_LE)
        reverse(sig, sizeof sig);
    pn_sha1(raw->p, raw->len - PN_PNRP_SIGNATURE_LEN, h);
    return pn_rsa_pkcs1_verify(&pub, PN_HASH_SHA1, h, sizeof h, sig, sizeof sig) == PN_OK
               ? PN_OK
               : PN_ERR_CRYPTO_SIGNATURE;
#endif
}

static int check_signature(const pn_pnrp_cpa *cpa)
{
    return check_signature_of(&cpa->raw, cpa->sig.data, cpa->pubkey.key_data);
}

int pn_pnrp_ext_payload_build(const pn_pnrp_identity *signer, uint64_t not_after,
                              const pn_pnrp_id *id, const uint8_t nonce[16], uint32_t type,
                              uint16_t string_type, const uint8_t *data, size_t len, uint8_t *buf,
                              size_t cap, pn_rng_fn rng, void *rng_ctx, void *work, size_t work_len)
{
    pn_pnrp_ext_payload xp;
    uint8_t h[20];
    int n, r;
    if (signer == NULL || signer->priv == NULL || id == NULL || nonce == NULL || data == NULL ||
        buf == NULL)
        return PN_ERR_ARG;
    memset(&xp, 0, sizeof xp);
    xp.not_after = not_after;
    xp.id = *id;
    memcpy(xp.nonce, nonce, 16);
    xp.payload_type = type;
    xp.string_type = string_type;
    xp.data.p = data;
    xp.data.len = len;
    n = pn_pnrp_ext_payload_encode(&xp, buf, cap, NULL);
    if (n < 0)
        return n;
    /* 3.2.5.9: SHA-1 over the structure minus its SIGNATURE, as for a CPA. */
    pn_sha1(buf, (size_t)n - PN_PNRP_SIGNATURE_LEN, h);
    r = pn_rsa_pkcs1_sign_work(signer->priv, PN_HASH_SHA1, h, sizeof h,
                               buf + n - PN_PNRP_SIG_DATA_LEN, PN_PNRP_SIG_DATA_LEN, rng, rng_ctx,
                               work, work_len);
    if (r < 0)
        return r;
    if (r != PN_PNRP_SIG_DATA_LEN)
        return PN_ERR_CRYPTO_KEYSIZE;
    if (PN_PNRP_SIG_WIRE_LE) /* decision PE-1 */
        reverse(buf + n - PN_PNRP_SIG_DATA_LEN, PN_PNRP_SIG_DATA_LEN);
    return n;
}

int pn_pnrp_ext_payload_validate(const pn_pnrp_ext_payload *xp, const uint8_t *key_data,
                                 uint64_t now_filetime, const pn_pnrp_id *id, const uint8_t *nonce)
{
    if (xp == NULL || key_data == NULL)
        return PN_ERR_ARG;
    /* 3.1.5.8: not expired, for the route entry's ID, with the INQUIRE nonce, signed by
     * the CPA's key. */
    if (now_filetime > xp->not_after)
        return PN_ERR_PNRP_EXT_PAYLOAD;
    if (id != NULL && pn_pnrp_id_cmp(&xp->id, id) != 0)
        return PN_ERR_PNRP_EXT_PAYLOAD;
    if (nonce != NULL && memcmp(nonce, xp->nonce, 16) != 0)
        return PN_ERR_PNRP_EXT_PAYLOAD;
    return check_signature_of(&xp->raw, xp->sig.data, key_data) == PN_OK ? PN_OK
                                                                         : PN_ERR_PNRP_EXT_PAYLOAD;
}

#if PN_PNRP_DELEGATION
/* The classifier of an AUTHORITY_BUFFER must be the one the CPA hashes (decision PE-52):
 * otherwise a delegate could show the chain a classifier it may use and sign another. */
static int classifier_units_match(const pn_pnrp_classifier *c, const uint8_t hash[20],
                                  uint16_t *units)
{
    uint8_t le[2 * PN_PNRP_CLASSIFIER_MAX], h[20];
    size_t i;
    if (c->count > PN_PNRP_CLASSIFIER_MAX)
        return 0;
    for (i = 0; i < c->count; i++) {
        units[i] = pn_pnrp_classifier_unit(c, i);
        le[2 * i] = (uint8_t)units[i];
        le[2 * i + 1] = (uint8_t)(units[i] >> 8);
    }
    pn_sha1(le, 2 * (size_t)c->count, h);
    return memcmp(h, hash, 20) == 0;
}

#endif

int pn_pnrp_cpa_validate(const pn_pnrp_cpa *cpa, const pn_pnrp_cpa_expect *e)
{
    uint8_t auth[20];
    pn_pnrp_id id;
    if (cpa == NULL || e == NULL)
        return PN_ERR_ARG;
    /* 3.1.5.5: a FLOOD's revoke CPA is validated as one; anything else must not be. */
    if (((cpa->flags & PN_PNRP_CPA_R) != 0) != (e->revoke != 0))
        return PN_ERR_PNRP_CPA;
    /* 3.1.5.7: a non-zero BinaryAuthority is the hash of the CPA's key, or a
     * certificate chain delegates it (3.1.5.10). */
    if (cpa->flags & PN_PNRP_CPA_A) {
        static const uint8_t zero[20] = {0};
        if (memcmp(cpa->authority, zero, 20) != 0) {
            pn_pnrp_authority_of_key(cpa->pubkey.key_data, PN_PNRP_PUBKEY_DATA_LEN, auth);
            if (memcmp(auth, cpa->authority, 20) != 0) {
                if (!PN_PNRP_DELEGATION) /* decision PORT-4: no chain can be checked */
                    return PN_ERR_CRYPTO_CHAIN;
                if (e->cert_chain == NULL)
                    return PN_ERR_PNRP_CPA; /* not the key's and no chain delegates it */
            }
        }
    }
#if PN_PNRP_DELEGATION
    if (e->cert_chain != NULL) {
        pn_pnrp_chain_check chk;
        uint16_t units[PN_PNRP_CLASSIFIER_MAX];
        memset(&chk, 0, sizeof chk);
        chk.cpa_key = cpa->pubkey.key_data;
        chk.authority = cpa->authority;
        chk.now_filetime = e->now_filetime;
        /* 3.1.5.10: the classifier must be delegated by the chain; without the
         * CLASSIFIER element a delegated CPA cannot be checked (decision PE-52). */
        if (!(cpa->flags & PN_PNRP_CPA_A) || e->classifier == NULL ||
            !classifier_units_match(e->classifier, cpa->classifier_hash, units))
            return PN_ERR_CRYPTO_CHAIN;
        chk.classifier = units;
        chk.classifier_units = e->classifier->count;
        if (pn_pnrp_chain_validate(e->cert_chain, e->cert_chain_len, &chk, NULL) != PN_OK)
            return PN_ERR_CRYPTO_CHAIN;
    }
    /* 3.1.5.7 / 3.1.5.8: an extended payload that came along is validated; one that was
     * asked for and announced by X must have come (decision PE-53). */
    if (e->ext_payload != NULL) {
        pn_pnrp_id xid;
        if (!(cpa->flags & PN_PNRP_CPA_X))
            return PN_ERR_PNRP_EXT_PAYLOAD;
        pn_pnrp_cpa_id(cpa, &xid);
        if (pn_pnrp_ext_payload_validate(e->ext_payload, cpa->pubkey.key_data, e->now_filetime,
                                         &xid, e->nonce) != PN_OK)
            return PN_ERR_PNRP_EXT_PAYLOAD;
    } else if ((cpa->flags & PN_PNRP_CPA_X) && e->ext_required) {
        return PN_ERR_PNRP_EXT_PAYLOAD;
    }
#else
    /* Decision PORT-4: a payload that is asked for cannot be checked, so it is refused;
     * a chain or payload given with a CPA that stands on its own is not read. */
    if (e->ext_required && (cpa->flags & PN_PNRP_CPA_X))
        return PN_ERR_PNRP_EXT_PAYLOAD;
#endif
    /* 3.1.5.7: now must not be after Not After. */
    if (e->now_filetime > cpa->not_after)
        return PN_ERR_CRYPTO_EXPIRED;
    if (e->nonce != NULL && memcmp(e->nonce, cpa->nonce, 16) != 0)
        return PN_ERR_PNRP_NONCE;
    if (e->id != NULL) {
        pn_pnrp_cpa_id(cpa, &id);
        if (pn_pnrp_id_cmp(&id, e->id) != 0)
            return PN_ERR_PNRP_CPA;
    }
    return check_signature(cpa);
}
