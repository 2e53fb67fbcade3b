/* Fuzz harness: PEER_RECORD and the internal record payloads of MS-PPGRH 2.2.3.
 * The first byte picks the decoder (0 record, 1 Graph Info, 2 Contact, 3 Presence,
 * 4 Signature); the rest is its input.  Invariant: valid input re-encodes identically. */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[PN_GRAPH_RECORD_MAX_BYTES];
    pn_graph_err e = {0, 0, NULL};
    size_t need = 0;
    int rc, n = -1;
    const uint8_t *p;
    if (size < 1)
        return 0;
    p = data + 1;
    size--;
    switch (data[0] % 5) {
    case 0: {
        pn_graph_record r;
        rc = pn_graph_record_decode(p, size, &r, &e);
        if (rc == PN_OK)
            n = pn_graph_record_encode(&r, out, sizeof out, &need);
        break;
    }
    case 1: {
        pn_graph_info g;
        rc = pn_graph_info_decode(p, size, NULL, &g, &e);
        if (rc == PN_OK)
            n = pn_graph_info_encode(&g, out, sizeof out, &need);
        break;
    }
    case 2: {
        pn_graph_contact c;
        rc = pn_graph_contact_decode(p, size, NULL, &c, &e);
        if (rc == PN_OK)
            n = pn_graph_contact_encode(&c, out, sizeof out, &need);
        break;
    }
    case 3: {
        pn_graph_presence pr;
        rc = pn_graph_presence_decode(p, size, NULL, &pr, &e);
        if (rc == PN_OK)
            n = pn_graph_presence_encode(&pr, out, sizeof out, &need);
        break;
    }
    default: {
        uint64_t s;
        rc = pn_graph_signature_decode(p, size, NULL, &s, &e);
        if (rc == PN_OK)
            n = pn_graph_signature_encode(s, out, sizeof out, &need);
        break;
    }
    }
    if (rc != PN_OK) {
        if (e.code != rc || e.field == NULL || e.offset > size)
            abort();
        return 0;
    }
#if !PN_GRAPH_WIRE_IGNORE_RESERVED
    if (n != (int)size || need != size || memcmp(out, p, size) != 0)
        abort();
#endif
    return 0;
}
