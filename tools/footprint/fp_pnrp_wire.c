/* Footprint: the PNRP wire codecs a node needs for every datagram (see README.md). */
#include "peernet/pnrp_wire.h"

const uint8_t *volatile pn_fp_in;
uint8_t pn_fp_out[PN_UDP_MAX];
pn_pnrp_msg pn_fp_msg;
pn_pnrp_cpa pn_fp_cpa;
int main(void);

int main(void)
{
    if (pn_pnrp_decode(pn_fp_in, 200, 0, &pn_fp_msg, NULL) != PN_OK)
        return 1;
    if (pn_pnrp_cpa_decode(pn_fp_in + 200, 300, 0, &pn_fp_cpa, NULL) != PN_OK)
        return 1;
    return pn_pnrp_encode(&pn_fp_msg, pn_fp_out, sizeof pn_fp_out, NULL);
}
