/* Footprint: SHA-256 alone (see README.md). */
#include "peernet/hash.h"

const uint8_t *volatile pn_fp_in;
uint8_t pn_fp_out[PN_SHA256_LEN];
int main(void);

int main(void)
{
    pn_sha256_ctx c;
    pn_sha256_init(&c);
    pn_sha256_update(&c, pn_fp_in, 64);
    pn_sha256_final(&c, pn_fp_out);
    return 0;
}
