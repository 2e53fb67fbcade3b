/* Fuzz harness: the MS-PPGRH frame extractor and message reassembler on a byte stream.
 * Invariant: feeding the stream whole, byte by byte, or in chunks chosen by the input
 * gives the same messages and the same error at the same stream offset. */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct summary {
    size_t messages;
    uint32_t sum;
    int err;
    size_t err_offset;
} summary;

static void run(const uint8_t *data, size_t size, int mode, summary *out)
{
    static uint8_t fbuf[PN_GRAPH_FRAME_MAX + 2], mbuf[PN_GRAPH_MSG_MAX_BYTES];
    pn_graph_framer f;
    pn_graph_reasm r;
    size_t at = 0, step = 0;
    memset(out, 0, sizeof *out);
    pn_graph_framer_init(&f, fbuf, sizeof fbuf);
    pn_graph_reasm_init(&r, mbuf, sizeof mbuf);
    while (at < size) {
        size_t chunk = mode == 0   ? size - at
                       : mode == 1 ? 1
                                   : 1 + (size_t)(data[step++ % size] % 64);
        size_t end = at + chunk > size ? size : at + chunk, pos = at;
        while (pos < end) {
            pn_graph_err e = {0, 0, NULL};
            const uint8_t *pl, *msg;
            size_t used, plen, mlen, i;
            int rc = pn_graph_framer_input(&f, data + pos, end - pos, &used, &pl, &plen, &e);
            pos += used;
            if (rc == 1)
                rc = pn_graph_reasm_input(&r, pl, plen, &msg, &mlen, &e);
            else if (rc == 0)
                continue;
            if (rc < 0) {
                out->err = rc;
                out->err_offset = e.offset;
                return;
            }
            if (rc == 1) {
                pn_graph_msg m;
                out->messages++;
                for (i = 0; i < mlen; i++)
                    out->sum = out->sum * 31 + msg[i];
                (void)pn_graph_msg_decode(msg, mlen, &m, NULL);
            }
        }
        at = end;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    summary a, b, c;
    if (size > 200000)
        return 0;
    run(data, size, 0, &a);
    run(data, size, 1, &b);
    run(data, size, 2, &c);
    if (memcmp(&a, &b, sizeof a) != 0 || memcmp(&a, &c, sizeof a) != 0)
        abort();
    return 0;
}
