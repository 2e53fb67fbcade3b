/* HMAC (RFC 2104; FIPS 198-1) over MD5, SHA-1 or SHA-256.
 *
 * After init the two contexts hold the hash state after the padded key blocks, so
 * copying a pn_hmac after init is a keyed midstate: each further message costs only
 * its own blocks plus two (the HMAC-DRBG relies on this). */
#include "peernet/err.h"
#include "peernet/hash.h"
#include "wire/pn_mem.h"

/* All three hashes have 64-byte blocks (RFC 2104 section 2, B = 64). */
#define HMAC_BLOCK 64

int pn_hmac_init(pn_hmac_ctx *c, pn_hash_id id, const void *key, size_t key_len)
{
    uint8_t pad[HMAC_BLOCK];
    size_t i;
    int rc = pn_hash_init(&c->inner, id);
    if (rc != PN_OK)
        return rc;
    /* RFC 2104 section 2: a key longer than B is replaced by its hash; a shorter one
     * is padded with zeros to B. */
    memset(pad, 0, sizeof pad);
    if (key_len > HMAC_BLOCK) {
        pn_hash_update(&c->inner, key, key_len);
        pn_hash_final(&c->inner, pad);
        pn_hash_init(&c->inner, id);
    } else if (key_len > 0) {
        memcpy(pad, key, key_len);
    }
    pn_hash_init(&c->outer, id);
    for (i = 0; i < HMAC_BLOCK; i++)
        pad[i] ^= 0x36;
    pn_hash_update(&c->inner, pad, HMAC_BLOCK);
    for (i = 0; i < HMAC_BLOCK; i++)
        pad[i] ^= 0x36 ^ 0x5c;
    pn_hash_update(&c->outer, pad, HMAC_BLOCK);
    pn_wipe(pad, sizeof pad);
    return PN_OK;
}

void pn_hmac_update(pn_hmac_ctx *c, const void *data, size_t len)
{
    pn_hash_update(&c->inner, data, len);
}

void pn_hmac_final(pn_hmac_ctx *c, uint8_t *out)
{
    uint8_t ih[PN_HASH_MAX_LEN];
    size_t n = pn_hash_len(c->inner.id);
    pn_hash_final(&c->inner, ih);
    pn_hash_update(&c->outer, ih, n);
    pn_hash_final(&c->outer, out);
    pn_wipe(ih, sizeof ih);
    pn_wipe(c, sizeof *c);
}

int pn_hmac(pn_hash_id id, const void *key, size_t key_len, const void *data, size_t len,
            uint8_t *out)
{
    pn_hmac_ctx c;
    int rc = pn_hmac_init(&c, id, key, key_len);
    if (rc != PN_OK)
        return rc;
    pn_hmac_update(&c, data, len);
    pn_hmac_final(&c, out);
    return PN_OK;
}
