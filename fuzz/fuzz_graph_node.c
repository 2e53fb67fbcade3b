/* Fuzz harness: the Peer Graphing node engine, stateful.
 *
 * The input is a sequence of entries, each
 *   op (1 byte), time step in 100 ms units (1 byte), length (2 bytes, big-endian), data
 * op 0x80-0xBF opens a connection (bit 0: as initiator; bits 1-3: which of 8 peer addresses), op
 * 0x40-0x7F calls the application API (op & 3: add a record with data as payload, update or delete
 * the first stored record, save the database and load the image into a second database), any other
 * op feeds data to connection op % PN_GRAPH_MAX_CONNS.  After every entry all output is
 * drained, closed connections are collected and the timers run.
 * Invariants: the database stays consistent (sorted order, index, every record decodes,
 * no expired record survives a tick) and a saved image loads to the same digest. */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_RECORDS 32

static const pn_graph_guid fuzz_type =
    PN_GRAPH_GUID(0x0f0f0f0f, 0x1234, 0x5678, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78);

static void fuzz_config(pn_graph_node_config *c)
{
    memset(c, 0, sizeof *c);
    c->graph_id = "fuzz-graph";
    c->peer_id = "fuzzer";
    c->creator = 1;
    c->max_records = FUZZ_RECORDS;
    c->slot_bytes = 1024;
    c->conn_out_bytes = 8192;
    c->max_msg_bytes = 8192;
    c->seed[0] = 0x42;
    c->listen[0].port = 3587;
    c->listen[0].addr[0] = 0x20;
    c->listen[0].addr[15] = 1;
    c->n_listen = 1;
    c->accept_direct = 1;
}

static void check_db(const pn_graph_db *db)
{
    uint32_t p, used = 0, i;
    for (i = 0; i < db->cap; i++) {
        pn_graph_record r;
        if (db->e[i].len == 0)
            continue;
        used++;
        if (pn_graph_db_find(db, &db->e[i].id) != (int)i)
            abort();
        if (pn_graph_db_get(db, i, &r) != PN_OK || r.version != db->e[i].version ||
            r.modification_time != db->e[i].mod_time)
            abort();
    }
    if (used != db->count)
        abort();
    for (p = 1; p < db->count; p++) {
        const pn_graph_db_entry *a = &db->e[pn_graph_db_sorted(db, p - 1)];
        const pn_graph_db_entry *b = &db->e[pn_graph_db_sorted(db, p)];
        if (a->mod_time > b->mod_time ||
            (a->mod_time == b->mod_time && memcmp(a->id.b, b->id.b, 16) >= 0))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pn_graph_node node;
    static uint8_t *mem, *mem2, *img;
    static size_t need, need2;
    static pn_graph_db db2;
    pn_graph_node_config cfg;
    uint64_t now = 0;
    uint8_t out[4096];
    size_t pos = 0;
    fuzz_config(&cfg);
    if (mem == NULL) {
        need = pn_graph_node_memory_size(&cfg);
        need2 = pn_graph_db_memory_size(FUZZ_RECORDS, cfg.slot_bytes);
        mem = (uint8_t *)malloc(need);
        mem2 = (uint8_t *)malloc(need2);
        img = (uint8_t *)malloc(FUZZ_RECORDS * (cfg.slot_bytes + 4) + 128);
        if (mem == NULL || mem2 == NULL || img == NULL)
            abort();
    }
    if (pn_graph_node_init(&node, &cfg, mem, need) != PN_OK)
        abort();
    pn_graph_node_set_clock(&node, 0, 133000000000000000ull);
    while (size - pos >= 4) {
        uint8_t op = data[pos], step = data[pos + 1];
        size_t len = ((size_t)data[pos + 2] << 8) | data[pos + 3];
        const uint8_t *d = data + pos + 4;
        int ci, n;
        pos += 4;
        if (len > size - pos)
            len = size - pos;
        pos += len;
        now += (uint64_t)step * 100u;
        if (op >= 0x80 && op < 0xC0) {
            pn_graph_in6 peer;
            memset(&peer, 0, sizeof peer);
            peer.addr[0] = 0x20;
            peer.addr[15] = (uint8_t)(2 + ((op >> 1) & 7)); /* 8 hosts: the GE-70 share */
            peer.port = 3587;
            (void)pn_graph_node_conn_open(&node, now, op & 1, &peer);
        } else if (op >= 0x40 && op < 0x80) {
            uint32_t p = 0;
            int first = pn_graph_db_next(&node.db, &p, &fuzz_type);
            switch (op & 3) {
            case 0:
                (void)pn_graph_node_add(&node, now, &fuzz_type, d, len, 1 + step, NULL);
                break;
            case 1:
            case 2:
                if (first >= 0) {
                    pn_graph_guid id = node.db.e[first].id;
                    if ((op & 3) == 1)
                        (void)pn_graph_node_update(&node, now, &id, d, len, 60);
                    else
                        (void)pn_graph_node_delete(&node, now, &id);
                }
                break;
            default: {
                size_t nd;
                int k = pn_graph_node_save(&node, now, img,
                                           FUZZ_RECORDS * (cfg.slot_bytes + 4) + 128, &nd);
                uint8_t a[32], b[32];
                if (k < 0)
                    abort();
                if (pn_graph_db_init(&db2, FUZZ_RECORDS, cfg.slot_bytes, mem2, need2) != PN_OK ||
                    pn_graph_db_load(&db2, img, (size_t)k, NULL) != PN_OK)
                    abort();
                pn_graph_db_digest(&node.db, a);
                pn_graph_db_digest(&db2, b);
                if (memcmp(a, b, 32) != 0)
                    abort();
                break;
            }
            }
        } else {
            (void)pn_graph_node_input(&node, now, op % PN_GRAPH_MAX_CONNS, d, len);
        }
        while ((n = pn_graph_node_poll_output(&node, now, &ci, out, sizeof out)) > 0)
            ;
        while (pn_graph_node_poll_close(&node) >= 0)
            ;
        {
            pn_graph_in6 to;
            while (pn_graph_node_poll_connect(&node, &to))
                ;
        }
        if (pn_graph_node_next_deadline(&node) <= now) {
            uint32_t i;
            pn_graph_node_tick(&node, now);
            /* The expiration timer just ran: nothing expired may remain. */
            if (now >= 15000)
                for (i = 0; i < node.db.cap; i++)
                    if (node.db.e[i].len != 0 &&
                        node.db.e[i].exp_time <= pn_graph_node_peer_time(&node, now) &&
                        node.expire_at == now + 15000)
                        abort();
        }
        check_db(&node.db);
    }
    return 0;
}
