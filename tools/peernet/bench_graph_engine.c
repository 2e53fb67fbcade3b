/* Benchmarks of the Peer Graphing engine: record database offers and range hashes, and
 * the `sim graph` scenario (convergence cost per record). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "peernet/graph.h"
#include "sim_graph.h"

#define BENCH_RECORDS 10000

void pn_bench_graph_engine(void)
{
    static const pn_graph_guid type = PN_GRAPH_GUID(0xbe7c0001, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    size_t need = pn_graph_db_memory_size(BENCH_RECORDS, 320);
    void *mem = malloc(need);
    uint8_t creator[32], gid[32], enc[512], h[16];
    pn_graph_db db;
    pn_graph_record rec;
    struct graph_opts o;
    struct graph_result r;
    double t0, dt;
    uint32_t i, idx;
    if (mem == NULL || pn_graph_db_init(&db, BENCH_RECORDS, 320, mem, need) != PN_OK) {
        free(mem);
        return;
    }
    memset(&rec, 0, sizeof rec);
    pn_graph_str16_from_utf8("bench", 5, creator, sizeof creator, NULL, &rec.creator_id);
    pn_graph_str16_from_utf8("bench-graph", 11, gid, sizeof gid, NULL, &rec.graph_id);
    rec.type = type;
    rec.version = 1;
    rec.creation_time = rec.modification_time = 133000000000000000ull;
    rec.expiration_time = rec.creation_time + 36000000000ull;
    rec.payload = enc; /* any bytes */
    rec.payload_len = 100;
    t0 = pn_bench_now();
    for (i = 0; i < BENCH_RECORDS; i++) {
        pn_graph_guid g;
        pn_graph_record v;
        pn_graph_err err;
        uint8_t buf[512];
        int n;
        memset(&g, 0, sizeof g);
        g.b[12] = (uint8_t)(i >> 24), g.b[13] = (uint8_t)(i >> 16), g.b[14] = (uint8_t)(i >> 8);
        g.b[15] = (uint8_t)i;
        pn_graph_record_id_make(&rec.creator_id, &g, &rec.id);
        rec.modification_time = rec.creation_time + (i * 7919u) % 100000u;
        n = pn_graph_record_encode(&rec, buf, sizeof buf, NULL);
        if (n < 0 || pn_graph_record_decode(buf, (size_t)n, &v, &err) != PN_OK ||
            pn_graph_db_offer(&db, buf, (size_t)n, &v, &idx) != PN_GRAPH_DB_NEW)
            break;
    }
    dt = pn_bench_now() - t0;
    if (dt > 0)
        pn_bench_report("graph_engine.db_offer_per_s", (double)BENCH_RECORDS / dt, "records/s", 0);
    t0 = pn_bench_now();
    for (i = 0; i + PN_GRAPH_DB_RANGE <= db.count; i += PN_GRAPH_DB_RANGE)
        pn_graph_db_range_hash(&db, i, i + PN_GRAPH_DB_RANGE, h);
    dt = pn_bench_now() - t0;
    if (dt > 0)
        pn_bench_report("graph_engine.range_hash_per_s",
                        (double)(db.count / PN_GRAPH_DB_RANGE) / dt, "ranges/s", 0);
    free(mem);
    memset(&o, 0, sizeof o);
    o.nodes = 50;
    o.records = 500;
    o.seed = 1;
    o.max_wait_ms = 120000;
    if (pn_sim_graph_run(&o, &r) == 0 && r.converged && o.records > 0) {
        pn_bench_report("graph_engine.sim50.msgs_per_record", (double)r.msgs / o.records, "msgs",
                        0);
        pn_bench_report("graph_engine.sim50.bytes_per_record", (double)r.c.tcp_bytes / o.records,
                        "bytes", 0);
        pn_bench_report("graph_engine.sim50.convergence_s", (double)r.convergence_ms / 1000.0, "s",
                        0);
        pn_bench_report("graph_engine.sim50.wall_s", r.wall_s, "s", 0);
    }
}
