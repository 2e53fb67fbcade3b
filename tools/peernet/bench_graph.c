/* Benchmarks of the MS-PPGRH wire codecs: FLOOD decode/encode (with its PEER_RECORD and
 * attribute XML) and the frame extractor plus reassembler over a stream. */
#include <string.h>

#include "cli.h"
#include "peernet/graph_wire.h"

static int build_flood(uint8_t *out, size_t cap)
{
    static uint8_t creator[64], graph[64], attrs[1024], payload[1024];
    static const pn_graph_attr_in in[] = {{"Owner", PN_GRAPH_ATTR_STRING, "Scott"},
                                          {"Birthday", PN_GRAPH_ATTR_DATE, "1972-04-04"},
                                          {"Priority", PN_GRAPH_ATTR_INT, "1"}};
    pn_graph_msg m;
    memset(&m, 0, sizeof m);
    memset(payload, 0xA5, sizeof payload);
    m.type = PN_GRAPH_FLOOD;
    m.u.flood.rec.type.b[0] = 0x7f;
    m.u.flood.rec.id.b[0] = 0x11;
    m.u.flood.rec.version = 1;
    pn_graph_str16_from_utf8("alice", 5, creator, sizeof creator, NULL, &m.u.flood.rec.creator_id);
    pn_graph_str16_from_utf8("graph.example", 13, graph, sizeof graph, NULL,
                             &m.u.flood.rec.graph_id);
    pn_graph_attrs_encode(in, 3, attrs, sizeof attrs, NULL, &m.u.flood.rec.attributes);
    m.u.flood.rec.creation_time = m.u.flood.rec.modification_time = 133137663984140288ull;
    m.u.flood.rec.expiration_time = m.u.flood.rec.creation_time + 3000000000ull;
    m.u.flood.rec.payload = payload;
    m.u.flood.rec.payload_len = sizeof payload;
    return pn_graph_msg_encode(&m, out, cap, NULL);
}

void pn_bench_graph_wire(void)
{
    static uint8_t msg[4096], out[4096], stream[64 * 4200], fbuf[PN_GRAPH_FRAME_MAX + 2],
        mbuf[PN_GRAPH_MSG_MAX_BYTES];
    volatile uint32_t sink = 0;
    int len = build_flood(msg, sizeof msg), k;
    size_t slen = 0;
    double t0, dt;
    long iters = 0;
    if (len < 0)
        return;
    t0 = pn_bench_now();
    do {
        for (k = 0; k < 256; k++, iters++) {
            pn_graph_msg m;
            sink += (uint32_t)pn_graph_msg_decode(msg, (size_t)len, &m, NULL);
            sink += m.size;
        }
        dt = pn_bench_now() - t0;
    } while (dt < 0.5);
    pn_bench_report("graph_wire.flood_decode", (double)iters / dt, "msg/s", 0);
    pn_bench_report("graph_wire.flood_decode_bytes", (double)iters * len / dt / 1e6, "MB/s", 0);
    iters = 0;
    t0 = pn_bench_now();
    do {
        pn_graph_msg m;
        pn_graph_msg_decode(msg, (size_t)len, &m, NULL);
        for (k = 0; k < 256; k++, iters++)
            sink += (uint32_t)pn_graph_msg_encode(&m, out, sizeof out, NULL);
        dt = pn_bench_now() - t0;
    } while (dt < 0.5);
    pn_bench_report("graph_wire.flood_encode", (double)iters / dt, "msg/s", 0);
    for (k = 0; k < 64; k++) {
        int n = pn_graph_frames_encode(msg, (size_t)len, k % 2 ? 100 : PN_GRAPH_FRAME_MAX,
                                       stream + slen, sizeof stream - slen, NULL);
        if (n < 0)
            return;
        slen += (size_t)n;
    }
    iters = 0;
    t0 = pn_bench_now();
    do {
        pn_graph_framer f;
        pn_graph_reasm r;
        size_t at = 0;
        pn_graph_framer_init(&f, fbuf, sizeof fbuf);
        pn_graph_reasm_init(&r, mbuf, sizeof mbuf);
        while (at < slen) {
            const uint8_t *pl, *ms;
            size_t used, plen, ml;
            size_t chunk = slen - at < 1460 ? slen - at : 1460; /* one TCP segment */
            int rc = pn_graph_framer_input(&f, stream + at, chunk, &used, &pl, &plen, NULL);
            at += used;
            if (rc == 1 && pn_graph_reasm_input(&r, pl, plen, &ms, &ml, NULL) == 1)
                sink += (uint32_t)ml;
            if (rc < 0)
                return;
        }
        iters++;
        dt = pn_bench_now() - t0;
    } while (dt < 0.5);
    pn_bench_report("graph_wire.frames", (double)iters * (double)slen / dt / 1e6, "MB/s", 0);
    (void)sink;
}
