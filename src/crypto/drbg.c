/* HMAC-DRBG, SHA-256 (NIST SP 800-90A Rev. 1, 10.1.2). */
#include "peernet/drbg.h"
#include "peernet/hash.h"
#include "peernet/opts.h"
#include "wire/pn_mem.h"

#define DRBG_OUTLEN       32 /* SHA-256 output, "outlen" in 10.1 */
#define DRBG_MAX_INTERVAL ((uint64_t)1 << 48)

/* The provided_data of HMAC_DRBG_Update is a concatenation; passing its pieces
 * separately saves copying entropy, nonce and personalization into one buffer. */
typedef struct drbg_data {
    const void *p[3];
    size_t n[3];
} drbg_data;

static size_t data_len(const drbg_data *pd)
{
    return pd->n[0] + pd->n[1] + pd->n[2];
}

/* K = HMAC(K, V || byte || provided_data); V = HMAC(K, V).  keyed, when not NULL, is
 * an HMAC context already keyed with the current K (a copy of a keyed midstate saves
 * hashing the padded key again); it is consumed (wiped). */
static void drbg_step(pn_drbg *d, pn_hmac_ctx *keyed, uint8_t byte, const drbg_data *pd)
{
    pn_hmac_ctx own, *h = keyed;
    unsigned i;
    if (h == NULL) {
        h = &own;
        pn_hmac_init(h, PN_HASH_SHA256, d->k, sizeof d->k);
    }
    pn_hmac_update(h, d->v, sizeof d->v);
    pn_hmac_update(h, &byte, 1);
    for (i = 0; i < 3; i++)
        if (pd->n[i] > 0)
            pn_hmac_update(h, pd->p[i], pd->n[i]);
    pn_hmac_final(h, d->k);
    pn_hmac(PN_HASH_SHA256, d->k, sizeof d->k, d->v, sizeof d->v, d->v);
}

/* HMAC_DRBG_Update (10.1.2.2): the second half runs only when data was provided. */
static void drbg_update(pn_drbg *d, const drbg_data *pd)
{
    drbg_step(d, NULL, 0x00, pd);
    if (data_len(pd) > 0)
        drbg_step(d, NULL, 0x01, pd);
}

int pn_drbg_init(pn_drbg *d, const void *entropy, size_t entropy_len, const void *nonce,
                 size_t nonce_len, const void *pers, size_t pers_len)
{
    drbg_data pd;
    if (entropy == NULL || entropy_len < PN_DRBG_MIN_ENTROPY)
        return PN_ERR_CRYPTO_ENTROPY;
    if ((nonce == NULL && nonce_len > 0) || (pers == NULL && pers_len > 0))
        return PN_ERR_ARG;
    /* 10.1.2.3: seed_material = entropy || nonce || personalization; Key = 0x00...,
     * V = 0x01..., then Update. */
    memset(d->k, 0x00, sizeof d->k);
    memset(d->v, 0x01, sizeof d->v);
    pd.p[0] = entropy;
    pd.n[0] = entropy_len;
    pd.p[1] = nonce;
    pd.n[1] = nonce_len;
    pd.p[2] = pers;
    pd.n[2] = pers_len;
    drbg_update(d, &pd);
    d->reseed_counter = 1;
    d->reseed_interval = PN_DRBG_RESEED_INTERVAL;
    d->ready = 1;
    return PN_OK;
}

int pn_drbg_reseed(pn_drbg *d, const void *entropy, size_t entropy_len, const void *add,
                   size_t add_len)
{
    drbg_data pd;
    if (!d->ready)
        return PN_ERR_STATE;
    if (entropy == NULL || entropy_len < PN_DRBG_MIN_ENTROPY)
        return PN_ERR_CRYPTO_ENTROPY;
    if (add == NULL && add_len > 0)
        return PN_ERR_ARG;
    /* 10.1.2.4: seed_material = entropy || additional_input. */
    pd.p[0] = entropy;
    pd.n[0] = entropy_len;
    pd.p[1] = add;
    pd.n[1] = add_len;
    pd.p[2] = NULL;
    pd.n[2] = 0;
    drbg_update(d, &pd);
    d->reseed_counter = 1;
    return PN_OK;
}

int pn_drbg_generate(pn_drbg *d, uint8_t *out, size_t len, const void *add, size_t add_len)
{
    drbg_data pd;
    pn_hmac_ctx keyed, h;
    if (!d->ready)
        return PN_ERR_STATE;
    if (len > PN_DRBG_MAX_REQUEST || (out == NULL && len > 0) || (add == NULL && add_len > 0))
        return len > PN_DRBG_MAX_REQUEST ? PN_ERR_RANGE : PN_ERR_ARG;
    /* 10.1.2.5 step 1: past the reseed interval the caller must reseed first. */
    if (d->reseed_counter > d->reseed_interval)
        return PN_ERR_CRYPTO_ENTROPY;
    pd.p[0] = add;
    pd.n[0] = add_len;
    pd.p[1] = pd.p[2] = NULL;
    pd.n[1] = pd.n[2] = 0;
    /* Step 2: additional input is mixed in before output... */
    if (add_len > 0)
        drbg_update(d, &pd);
    /* Step 4: V = HMAC(Key, V) per output block.  Key is fixed across the loop, so
     * the keyed HMAC midstate is computed once and copied. */
    pn_hmac_init(&keyed, PN_HASH_SHA256, d->k, sizeof d->k);
    while (len > 0) {
        size_t take = len < DRBG_OUTLEN ? len : DRBG_OUTLEN;
        h = keyed;
        pn_hmac_update(&h, d->v, sizeof d->v);
        pn_hmac_final(&h, d->v);
        memcpy(out, d->v, take);
        out += take;
        len -= take;
    }
    /* Step 6: ...and again after it (with the same additional input), so a later
     * compromise of the state does not reveal this output.  The Key has not changed
     * since the loop, so the Update's first HMAC starts from the same midstate. */
    drbg_step(d, &keyed, 0x00, &pd);
    if (add_len > 0)
        drbg_step(d, NULL, 0x01, &pd);
    d->reseed_counter++;
    return PN_OK;
}

int pn_drbg_set_reseed_interval(pn_drbg *d, uint64_t interval)
{
    if (interval < 1 || interval > DRBG_MAX_INTERVAL)
        return PN_ERR_RANGE;
    d->reseed_interval = interval;
    return PN_OK;
}

int pn_drbg_rng(void *drbg, uint8_t *out, size_t len)
{
    pn_drbg *d = (pn_drbg *)drbg;
    while (len > 0) {
        size_t take = len < PN_DRBG_MAX_REQUEST ? len : PN_DRBG_MAX_REQUEST;
        int rc = pn_drbg_generate(d, out, take, NULL, 0);
        if (rc != PN_OK)
            return rc;
        out += take;
        len -= take;
    }
    return PN_OK;
}

void pn_drbg_wipe(pn_drbg *d)
{
    pn_wipe(d, sizeof *d);
}
