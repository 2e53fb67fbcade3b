/* Vectors compiled into the bare-metal image (vec_*.c): copies of files under
 * conformance/vectors/, named in each array's comment. */
#ifndef PN_EMB_VEC_H
#define PN_EMB_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/err.h"

/* conformance/vectors/x509 */
extern const uint8_t pn_emb_ca_der[790];
extern const uint8_t pn_emb_leaf_der[745];
extern const uint8_t pn_emb_leaf_key_der[608];
extern const uint8_t pn_emb_leaf_pub_der[140];
extern const uint8_t pn_emb_msg_sig[128];

/* conformance/vectors/pnrp and conformance/vectors/graph */
enum { PN_EMB_PNRP_MSG, PN_EMB_GRAPH_MSG, PN_EMB_GRAPH_RECORD };
typedef struct pn_emb_wire_vec {
    const char *name;
    const uint8_t *data;
    size_t len;
    int kind;      /* PN_EMB_PNRP_MSG ... */
    int expect;    /* PN_OK or the decoder's error */
    size_t offset; /* where the decoder reports the error */
} pn_emb_wire_vec;
extern const pn_emb_wire_vec pn_emb_wire_vecs[];
extern const size_t pn_emb_wire_vec_count;

#endif
