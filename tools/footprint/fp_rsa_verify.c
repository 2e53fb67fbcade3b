/* Footprint: RSA PKCS#1 v1.5 verification with SHA-1, as a PNRP node checks a CPA's
 * signature (see README.md). */
#include "peernet/hash.h"
#include "peernet/rsa.h"

const uint8_t *volatile pn_fp_in;
const pn_rsa_public *volatile pn_fp_key;
int main(void);

int main(void)
{
    uint8_t hash[PN_SHA1_LEN];
    pn_sha1(pn_fp_in, 100, hash);
    return pn_rsa_pkcs1_verify(pn_fp_key, PN_HASH_SHA1, hash, sizeof hash, pn_fp_in + 100, 128);
}
