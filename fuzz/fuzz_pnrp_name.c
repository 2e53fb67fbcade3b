/* Fuzz harness: peer-name parsing (MS-PNRP 2.2.4) and the PNRP ID derived from it.
 * Invariants: an accepted name has a "0" or 40-digit authority that formats back to the
 * input's authority, a classifier of at most 149 UTF-16 code units inside the input,
 * and a PNRP ID whose lower half is the service location given. */
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t sl[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0x80};
    char auth[41];
    pn_pnrp_name n;
    pn_pnrp_id id;
    size_t alen;
    if (pn_pnrp_name_parse((const char *)data, size, &n) != PN_OK)
        return 0;
    alen = pn_pnrp_authority_format(n.authority, n.secure, auth);
    if (alen + 1 + n.classifier_len != size || memcmp(auth, data, alen) != 0 || data[alen] != '.')
        abort();
    if ((const uint8_t *)n.classifier != data + alen + 1 || n.classifier_units > 149)
        abort();
    if (pn_pnrp_name_id(&n, sl, &id) != PN_OK || memcmp(id.b + 16, sl, 16) != 0)
        abort();
    return 0;
}
