/* Footprint: RSA PKCS#1 v1.5 signing with a caller-provided work area and an HMAC-DRBG
 * for blinding, as a PNRP node registering a name signs its CPA (see README.md). */
#include "peernet/drbg.h"
#include "peernet/hash.h"
#include "peernet/rsa.h"

const uint8_t *volatile pn_fp_in;
const pn_rsa_private *volatile pn_fp_key;
pn_drbg pn_fp_rng;
uint8_t pn_fp_sig[256];
/* Scratch for a 2048-bit key, outside the stack. */
uint32_t pn_fp_work[PN_RSA_WORK_BYTES(2048) / 4];
int main(void);

int main(void)
{
    uint8_t hash[PN_SHA1_LEN];
    if (pn_drbg_init(&pn_fp_rng, pn_fp_in, 32, pn_fp_in + 32, 16, NULL, 0) != PN_OK)
        return 1;
    pn_sha1(pn_fp_in, 100, hash);
    return pn_rsa_pkcs1_sign_work(pn_fp_key, PN_HASH_SHA1, hash, sizeof hash, pn_fp_sig,
                                  sizeof pn_fp_sig, pn_drbg_rng, &pn_fp_rng, pn_fp_work,
                                  sizeof pn_fp_work);
}
