/* Constant-time check: the RSA private operation (CRT halves, blinding, fixed-window
 * exponentiation, recombination, fault check) with p, q, dP, dQ, qInv, the input block
 * and the blinding randomness secret, through the _work API; and PKCS#1 v1.5 decryption
 * with the key and the ciphertext secret, where only the returned length or error is
 * made public.  The library declassifies, with PN_CT_DECLASSIFY (src/crypto/ct_check.h),
 * exactly the key-derived values that are public by nature; see the comments there. */
#include "ct_common.h"
#include "crypto/bigint.h" /* PN_LIMB_BITS, for the report line */
#include "peernet/err.h"
#include "peernet/hash.h"
#include "peernet/rsa.h"

static int verdict(int v)
{
    CT_PUBLIC(&v, sizeof v);
    return v;
}

/* Blinding values are secrets too. */
static int secret_rng(void *ctx, uint8_t *out, size_t len)
{
    ct_rng_fill(ctx, out, len);
    CT_SECRET(out, len);
    return 0;
}

static void mark_key_secret(const pn_rsa_private *k)
{
    CT_SECRET(k->p, k->p_len);
    CT_SECRET(k->q, k->q_len);
    CT_SECRET(k->dp, k->dp_len);
    CT_SECRET(k->dq, k->dq_len);
    CT_SECRET(k->qinv, k->qinv_len);
}

static void check_key(unsigned bits, unsigned long long seed)
{
    static pn_rsa_keybuf kb;
    static pn_rsa_work work;
    uint8_t m[PN_RSA_MAX_BYTES], blk[PN_RSA_MAX_BYTES], msg[PN_RSA_MAX_BYTES];
    uint8_t got[PN_RSA_MAX_BYTES];
    size_t k = bits / 8, i;
    ct_rng r = {seed};
    int n;
    CT_EXPECT(pn_rsa_generate_work(&kb, bits, ct_rng_fill, &r, &work, sizeof work) == 0);

    /* Raw private operation on c = m^e: must give m back. */
    ct_rng_fill(&r, m, k);
    m[0] = 0; /* below n */
    memcpy(blk, m, k);
    CT_EXPECT(pn_rsa_public_op(&kb.pub, blk, k) == 0);
    mark_key_secret(&kb.priv);
    CT_SECRET(blk, k);
    CT_SECRET(m, k);
    for (i = 0; i < 2; i++) {
        uint8_t c[PN_RSA_MAX_BYTES];
        memcpy(c, blk, k);
        CT_EXPECT(verdict(pn_rsa_private_op_work(&kb.priv, c, k, secret_rng, &r, &work,
                                                 sizeof work)) == 0);
        CT_EXPECT(verdict(pn_ct_equal(c, m, k)) == 1);
    }

    /* PKCS#1 v1.5 decryption of a good ciphertext, and of one with bad padding. */
    CT_PUBLIC(msg, sizeof msg);
    ct_rng_fill(&r, msg, 40);
    CT_EXPECT(pn_rsa_pkcs1_encrypt(&kb.pub, msg, 40, blk, sizeof blk, ct_rng_fill, &r) == (int)k);
    CT_SECRET(msg, 40);
    CT_SECRET(blk, k);
    n = verdict(pn_rsa_pkcs1_decrypt_work(&kb.priv, blk, k, got, sizeof got, secret_rng, &r, &work,
                                          sizeof work));
    CT_EXPECT(n == 40);
    CT_EXPECT(verdict(pn_ct_equal(got, msg, 40)) == 1);
    memcpy(blk, m, k); /* m^d: a random block, so the padding is wrong */
    n = verdict(pn_rsa_pkcs1_decrypt_work(&kb.priv, blk, k, got, sizeof got, secret_rng, &r, &work,
                                          sizeof work));
    CT_EXPECT(n == PN_ERR_CRYPTO_PADDING);
    /* The message buffer is too small for the message: the same work, another verdict. */
    CT_PUBLIC(blk, k);
    CT_EXPECT(pn_rsa_pkcs1_encrypt(&kb.pub, msg, 40, blk, sizeof blk, ct_rng_fill, &r) == (int)k);
    CT_SECRET(blk, k);
    n = verdict(
        pn_rsa_pkcs1_decrypt_work(&kb.priv, blk, k, got, 39, secret_rng, &r, &work, sizeof work));
    CT_EXPECT(n == PN_ERR_BUFSIZE);
}

int main(void)
{
    check_key(1024, 0x0123456789abcdefull);
    printf("ct_rsa: RSA-1024 private operation (CRT, blinding, fault check), PKCS#1 v1.5 "
           "decryption, %u-bit limbs\n",
           (unsigned)PN_LIMB_BITS);
    return 0;
}
