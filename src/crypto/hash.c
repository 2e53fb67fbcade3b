/* Run-time choice among the three hashes, for callers that learn the algorithm from
 * data (PKCS#1 DigestInfo, certificate signature algorithms) and for HMAC. */
#include "peernet/err.h"
#include "peernet/hash.h"
#include "peernet/opts.h"

size_t pn_hash_len(pn_hash_id id)
{
    switch (id) {
#if PN_CRYPTO_MD5
    case PN_HASH_MD5:
        return PN_MD5_LEN;
#else
    case PN_HASH_MD5:
        break;
#endif
    case PN_HASH_SHA1:
        return PN_SHA1_LEN;
    case PN_HASH_SHA256:
        return PN_SHA256_LEN;
    }
    return 0;
}

int pn_hash_init(pn_hash_ctx *c, pn_hash_id id)
{
    switch (id) {
#if PN_CRYPTO_MD5 /* else MD5 is not offered by name (decision PORT-2) */
    case PN_HASH_MD5:
        pn_md5_init(&c->u.md5);
        break;
#endif
    case PN_HASH_SHA1:
        pn_sha1_init(&c->u.sha1);
        break;
    case PN_HASH_SHA256:
        pn_sha256_init(&c->u.sha256);
        break;
    default:
        return PN_ERR_CRYPTO_ALGORITHM;
    }
    c->id = id;
    return PN_OK;
}

void pn_hash_update(pn_hash_ctx *c, const void *data, size_t len)
{
    switch (c->id) {
#if PN_CRYPTO_MD5
    case PN_HASH_MD5:
        pn_md5_update(&c->u.md5, data, len);
        break;
#else
    case PN_HASH_MD5: /* never the id of a context (init refuses it) */
        break;
#endif
    case PN_HASH_SHA1:
        pn_sha1_update(&c->u.sha1, data, len);
        break;
    case PN_HASH_SHA256:
        pn_sha256_update(&c->u.sha256, data, len);
        break;
    }
}

void pn_hash_final(pn_hash_ctx *c, uint8_t *out)
{
    switch (c->id) {
#if PN_CRYPTO_MD5
    case PN_HASH_MD5:
        pn_md5_final(&c->u.md5, out);
        break;
#else
    case PN_HASH_MD5: /* never the id of a context (init refuses it) */
        break;
#endif
    case PN_HASH_SHA1:
        pn_sha1_final(&c->u.sha1, out);
        break;
    case PN_HASH_SHA256:
        pn_sha256_final(&c->u.sha256, out);
        break;
    }
}

int pn_hash(pn_hash_id id, const void *data, size_t len, uint8_t *out)
{
    pn_hash_ctx c;
    int rc = pn_hash_init(&c, id);
    if (rc != PN_OK)
        return rc;
    pn_hash_update(&c, data, len);
    pn_hash_final(&c, out);
    return PN_OK;
}
