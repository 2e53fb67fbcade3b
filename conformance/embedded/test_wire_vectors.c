/* PNRP and Peer Graphing vectors on the target: each valid vector decodes and re-encodes
 * to the same bytes (an unfragmented AUTHORITY's buffer too); each invalid one fails
 * with the error and offset the host suite expects. */
#include "emb.h"
#include "emb_vec.h"
#include "peernet/graph_wire.h"
#include "peernet/pnrp_wire.h"

int pn_emb_test_pnrp_vectors_round_trip(void);
int pn_emb_test_graph_vectors_round_trip(void);

/* Decoded forms are a few KiB: kept out of the stack, as an engine would. */
static union {
    pn_pnrp_msg pnrp;
    pn_graph_msg graph;
    pn_graph_record record;
} dec;
static pn_pnrp_authority_buffer ab;
static uint8_t out[2048];

static int pnrp_one(const pn_emb_wire_vec *v)
{
    pn_pnrp_decode_error e;
    size_t need = 0;
    int rc = pn_pnrp_decode(v->data, v->len, PN_PNRP_STRICT, &dec.pnrp, &e);
    PN_EMB_CHECK(rc == v->expect);
    if (rc != PN_OK) {
        PN_EMB_CHECK(e.code == rc && e.offset == v->offset);
        return 0;
    }
    PN_EMB_CHECK(dec.pnrp.type == v->data[7]); /* MS-PNRP 2.2.1: MessageType */
    PN_EMB_CHECK(pn_pnrp_encode(&dec.pnrp, out, sizeof out, &need) == (int)v->len);
    PN_EMB_CHECK(need == v->len && pn_emb_eq(out, v->data, v->len));
    PN_EMB_CHECK(pn_pnrp_encode(&dec.pnrp, out, v->len - 1, &need) == PN_ERR_BUFSIZE);
    if (dec.pnrp.type == PN_PNRP_AUTHORITY && dec.pnrp.u.authority.offset == 0 &&
        dec.pnrp.u.authority.fragment.len == dec.pnrp.u.authority.size) {
        const pn_pnrp_authority *a = &dec.pnrp.u.authority;
        PN_EMB_CHECK(pn_pnrp_authority_buffer_decode(a->fragment.p, a->fragment.len, PN_PNRP_STRICT,
                                                     &ab, &e) == PN_OK);
        PN_EMB_CHECK(ab.has_cpa);
        PN_EMB_CHECK(pn_pnrp_authority_buffer_encode(&ab, out, sizeof out, NULL) ==
                     (int)a->fragment.len);
        PN_EMB_CHECK(pn_emb_eq(out, a->fragment.p, a->fragment.len));
    }
    return 0;
}

static int graph_one(const pn_emb_wire_vec *v)
{
    pn_graph_err e;
    size_t need = 0;
    int rc, len;
    if (v->kind == PN_EMB_GRAPH_MSG)
        rc = pn_graph_msg_decode(v->data, v->len, &dec.graph, &e);
    else
        rc = pn_graph_record_decode(v->data, v->len, &dec.record, &e);
    PN_EMB_CHECK(rc == v->expect);
    if (rc != PN_OK) {
        PN_EMB_CHECK(e.code == rc && e.offset == v->offset);
        return 0;
    }
    if (v->kind == PN_EMB_GRAPH_MSG) {
        PN_EMB_CHECK(dec.graph.type == v->data[5]); /* MS-PPGRH 2.2.1.2: Message Type */
        len = pn_graph_msg_encode(&dec.graph, out, sizeof out, &need);
    } else {
        len = pn_graph_record_encode(&dec.record, out, sizeof out, &need);
    }
    PN_EMB_CHECK(len == (int)v->len && need == v->len && pn_emb_eq(out, v->data, v->len));
    return 0;
}

static int run(int want_pnrp)
{
    size_t i, seen = 0;
    for (i = 0; i < pn_emb_wire_vec_count; i++) {
        const pn_emb_wire_vec *v = &pn_emb_wire_vecs[i];
        int line;
        if ((v->kind == PN_EMB_PNRP_MSG) != want_pnrp)
            continue;
        line = want_pnrp ? pnrp_one(v) : graph_one(v);
        if (line != 0) {
            pn_emb_puts("  vector ");
            pn_emb_puts(v->name);
            pn_emb_puts(" failed\n");
            return line;
        }
        seen++;
    }
    PN_EMB_CHECK(seen >= 7);
    return 0;
}

int pn_emb_test_pnrp_vectors_round_trip(void)
{
    return run(1);
}

int pn_emb_test_graph_vectors_round_trip(void)
{
    return run(0);
}
