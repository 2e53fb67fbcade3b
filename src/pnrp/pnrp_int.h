/* Internal hooks between the node (pnrp_node.c) and the delegation / extended payload
 * code (pnrp_extras.c), so that the node keeps only small call sites. */
#ifndef PEERNET_PNRP_INT_H
#define PEERNET_PNRP_INT_H

#include "peernet/pnrp.h"

#if PN_PNRP_DELEGATION
/* Register: keep the classifier of a delegated secure name and the extended payload. */
int pn_pnrp_local_extras(pn_pnrp_local *l, const pn_pnrp_registration *reg,
                         const pn_pnrp_name *name);
/* Answer an INQUIRE: put the chain, the classifier and the signed extended payload into
 * ab as C and X ask.  xp (cap bytes) and units (2 * PN_PNRP_CLASSIFIER_MAX bytes) must
 * live as long as ab.  Returns 1 when something was signed. */
int pn_pnrp_attach_extras(pn_pnrp_node *n, uint64_t now_ft, const pn_pnrp_local *l,
                          const pn_pnrp_inquire *iq, pn_pnrp_authority_buffer *ab, uint8_t *xp,
                          size_t cap, uint8_t *units);
/* Point e at the chain, classifier and extended payload that came in ab. */
void pn_pnrp_expect_extras(pn_pnrp_cpa_expect *e, const pn_pnrp_authority_buffer *ab);
#else
/* Decision PORT-4: no delegation code.  A registration with a delegated identity or an
 * extended payload is refused; answers carry neither; what came with a CPA is not read
 * (pn_pnrp_cpa_validate refuses a delegated authority). */
static inline int pn_pnrp_local_extras(pn_pnrp_local *l, const pn_pnrp_registration *reg,
                                       const pn_pnrp_name *name)
{
    (void)l;
    (void)name;
    return reg->xp_data != NULL || reg->xp_len != 0 || reg->identity->chain != NULL
               ? PN_ERR_UNSUPPORTED
               : PN_OK;
}
static inline void pn_pnrp_expect_extras(pn_pnrp_cpa_expect *e, const pn_pnrp_authority_buffer *ab)
{
    (void)e;
    (void)ab;
}
#endif
/* Count a refused CPA by its reason; returns rc. */
int pn_pnrp_count_cpa_drop(pn_pnrp_counters *c, int rc);

#endif
