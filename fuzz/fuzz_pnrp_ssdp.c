/* Fuzz harness: SSDP messages for PNRP discovery (peernet/pnrp_ssdp.h).
 * Invariants: a message that decodes encodes again (its AL, scope and type kept) into
 * bytes that decode to the same message. */
#include <stdlib.h>
#include <string.h>

#include "peernet/pnrp_ssdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn_pnrp_ssdp_msg m, again;
    uint8_t out[PN_PNRP_SSDP_MAX];
    int len;
    if (pn_pnrp_ssdp_decode(data, size, &m) != PN_OK)
        return 0;
    if (m.scope < PN_PNRP_SCOPE_GLOBAL || m.scope > PN_PNRP_SCOPE_LINK ||
        ((m.type == PN_PNRP_SSDP_RESPONSE || m.type == PN_PNRP_SSDP_ALIVE) && m.al.port <= 1024))
        abort();
    len = pn_pnrp_ssdp_encode(&m, out, sizeof out);
    if (len <= 0 || pn_pnrp_ssdp_decode(out, (size_t)len, &again) != PN_OK ||
        again.type != m.type || again.scope != m.scope)
        abort();
    if ((m.type == PN_PNRP_SSDP_RESPONSE || m.type == PN_PNRP_SSDP_ALIVE) &&
        (again.al.port != m.al.port || memcmp(again.al.addr, m.al.addr, 16) != 0))
        abort();
    return 0;
}
