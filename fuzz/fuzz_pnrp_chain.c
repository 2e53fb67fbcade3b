/* Fuzz harness: PNRP certificate chains (MS-PNRP 3.1.5.10) and the CPA validation that
 * uses them.  Input: 1 byte selecting the checks, then the chain DER.
 * Invariants: validation never reads outside the input and is deterministic; a chain
 * accepted with a classifier is accepted without one (the classifier only narrows). */
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint16_t cl[] = {'p', 'r', 'i', 'n', 't', 'e', 'r'};
    pn_pnrp_chain_check chk;
    uint8_t root[20], root2[20];
    int rc, rc2;
    if (size < 1 || size > 65536)
        return 0;
    memset(&chk, 0, sizeof chk);
    chk.now_filetime =
        pn_pnrp_filetime(1795400000LL * 1000); /* 2026-11-22, inside the seed chains' validity */
    if (data[0] & 1) {
        chk.classifier = cl;
        chk.classifier_units = (data[0] >> 1) % 8;
    }
    rc = pn_pnrp_chain_validate(data + 1, size - 1, &chk, root);
    rc2 = pn_pnrp_chain_validate(data + 1, size - 1, &chk, root2);
    if (rc != rc2 || (rc == PN_OK && memcmp(root, root2, 20) != 0))
        abort();
    if (rc == PN_OK && chk.classifier != NULL) {
        chk.classifier = NULL;
        if (pn_pnrp_chain_validate(data + 1, size - 1, &chk, NULL) != PN_OK)
            abort();
    }
    return 0;
}
