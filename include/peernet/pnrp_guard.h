/* Defence of the PNRP node engine: per-source rate limits in a fixed-size table.
 *
 * Every datagram a node receives is charged to its source address in a token bucket;
 * work that costs far more than answering (an INQUIRE sent to admit a route entry, a
 * signature made or checked) is charged to a second, smaller bucket of the same source
 * and, for signatures, to one bucket shared by all sources.  The buckets live in a
 * hashed, set-associative table of PN_PNRP_GUARD_SLOTS entries keyed by a secret drawn
 * at initialisation; a source not in the table takes the least recently seen slot of
 * its set and starts with a full bucket, so a spoofing attacker who cycles through
 * addresses only ever hands honest sources a fresh bucket (decision PE-30).
 *
 * Sizes and rates are options in peernet/opts.h (PN_PNRP_GUARD_*, PN_PNRP_RATE_*).
 * The arithmetic is 32-bit: tokens in 1/64 units, elapsed time clamped to 60 s. */
#ifndef PEERNET_PNRP_GUARD_H
#define PEERNET_PNRP_GUARD_H

#include <stdint.h>

#include "peernet/opts.h"

enum {
    PN_PNRP_GUARD_MSG = 0,   /* any datagram */
    PN_PNRP_GUARD_WORK = 1,  /* an admission check (INQUIRE on behalf of the source) */
    PN_PNRP_GUARD_CRYPTO = 2 /* a signature made or verified for the source */
};

/* What pn_pnrp_guard_charge answers. */
enum {
    PN_PNRP_GUARD_OK = 0,
    PN_PNRP_GUARD_SOURCE = 1, /* the source's own bucket is empty */
    PN_PNRP_GUARD_GLOBAL = 2  /* the shared signature bucket is empty */
};

/* 12 bytes per source: the table is part of the 16 KiB engine budget. */
typedef struct pn_pnrp_guard_slot {
    uint32_t tag;       /* keyed hash of the address; 0: free */
    uint32_t seen;      /* low 32 bits of the ms clock when last seen (and refilled) */
    uint16_t msg, work; /* tokens in 1/64 units */
} pn_pnrp_guard_slot;

typedef struct pn_pnrp_guard {
    pn_pnrp_guard_slot slots[PN_PNRP_GUARD_SLOTS];
    uint32_t key[4];
    uint32_t crypto; /* the shared signature bucket, 1/64 token units */
    uint32_t crypto_seen;
    uint32_t replaced; /* sources that took the slot of another */
} pn_pnrp_guard;

/* key: 16 secret bytes (the node derives them from its DRBG seed). */
void pn_pnrp_guard_init(pn_pnrp_guard *g, const uint8_t key[16], uint64_t now);
/* Charge one unit of kind to the source address; PN_PNRP_GUARD_OK when allowed (the
 * tokens are then spent), else which bucket refused (nothing is spent). */
int pn_pnrp_guard_charge(pn_pnrp_guard *g, uint64_t now, const uint8_t addr[16], int kind);
/* The slot tracking addr, or NULL (for tests and operators). */
const pn_pnrp_guard_slot *pn_pnrp_guard_find(const pn_pnrp_guard *g, const uint8_t addr[16]);

#endif
