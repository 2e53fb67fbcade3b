/* Per-source quotas on the PNRP node's tables (src/pnrp/pnrp_guard.c); internal. */
#ifndef PN_PNRP_GUARD_INT_H
#define PN_PNRP_GUARD_INT_H

#include <stddef.h>

#include "peernet/pnrp.h"

/* The rate limiter's secret: a hash of the node's DRBG seed (the DRBG stream is not
 * touched, so adding the guard changed no run of the simulator). */
void pn_pnrp_guard_key(const uint8_t seed[32], uint8_t key[16]);
/* 1 when src (by address) holds fewer than PN_PNRP_ADDS_PER_SOURCE admissions. */
int pn_pnrp_guard_adds_ok(const pn_pnrp_add *adds, size_t n, const pn_pnrp_endpoint *src);
/* 1 when a fragment from addr/port with this Message ID may use the reassembly table:
 * it continues a reassembly, or the address holds fewer than PN_PNRP_REASM_PER_SOURCE. */
int pn_pnrp_guard_reasm_ok(const pn_pnrp_reasm *ra, const uint8_t addr[16], uint16_t port,
                           uint32_t msg_id);

#endif
