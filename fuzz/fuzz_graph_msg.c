/* Fuzz harness: MS-PPGRH message decoder (pn_graph_msg_decode).
 * Invariant: whatever decodes re-encodes to exactly the same bytes (decision G-6). */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[PN_GRAPH_MSG_MAX_BYTES];
    pn_graph_msg m;
    pn_graph_err e;
    size_t need = 0;
    int n;
    if (pn_graph_msg_decode(data, size, &m, &e) != PN_OK) {
        if (e.code >= 0 || e.field == NULL || e.offset > size)
            abort();
        return 0;
    }
#if !PN_GRAPH_WIRE_IGNORE_RESERVED
    n = pn_graph_msg_encode(&m, out, sizeof out, &need);
    if (n != (int)size || need != size || memcmp(out, data, size) != 0)
        abort();
#endif
    (void)need;
    (void)n;
    return 0;
}
