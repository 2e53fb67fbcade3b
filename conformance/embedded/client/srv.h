/* The publishing node of the resolve-only client test: a full PNRP node (PN_PROFILE 2)
 * compiled into the same image as the resolve-only client (PN_PROFILE 1).  The two
 * profiles lay out pn_pnrp_node differently, so the full node is srv_node.c with its own
 * build of the library, every global name of which is renamed (Makefile, EMB_SRV_OBJ),
 * and the test reaches it only through these calls. */
#ifndef PN_EMB_SRV_H
#define PN_EMB_SRV_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/pnrp_wire.h"

/* Start the node at ep and publish name (signed with the x509 vectors' RSA-1024 key).
 * Returns 0 or a negative pn_err. */
int pn_emb_srv_start(uint64_t now, const pn_pnrp_endpoint *ep, const char *name, size_t len);
void pn_emb_srv_input(uint64_t now, const pn_pnrp_endpoint *from, const uint8_t *buf, size_t len);
int pn_emb_srv_poll(uint8_t *buf, size_t cap, pn_pnrp_endpoint *to);
uint64_t pn_emb_srv_deadline(void);
void pn_emb_srv_tick(uint64_t now);
int pn_emb_srv_local_id(pn_pnrp_id *out);
unsigned long pn_emb_srv_signs(void);
/* Register name (secure, "<40 hex digits>.classifier") with an identity that claims that
 * authority without a chain, as a delegate would (decision PORT-4).  Returns the
 * handle or a negative pn_err. */
int pn_emb_srv_publish_delegated(uint64_t now, const char *name, size_t len);
/* Register name with an extended payload: the full node profile has no delegation code
 * and must refuse it (PN_ERR_UNSUPPORTED, decision PORT-4). */
int pn_emb_srv_publish_payload(uint64_t now, const char *name, size_t len);

#endif
