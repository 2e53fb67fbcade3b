/* Hostile nodes for `peernet sim pnrp --hostile K` (sim_hostile.c).
 *
 * A hostile node runs no PNRP engine.  Every HOSTILE_GAP_MS it picks an honest node (node
 * 0, the seed everyone joins through, one time in four) and an attack and sends it a burst of
 * datagrams: junk, valid messages with a byte flipped, LOOKUP, SOLICIT and FLOOD storms (route
 * entries for made-up IDs at unreachable addresses, at the hostile node itself, or at an honest
 * node under a wrong ID), revoke CPAs it signed itself for names others registered, CPAs with a
 * broken signature, answers (AUTHORITY, ACK, ADVERTISE, REQUEST) to requests never made, and
 * replays of datagrams it received.  An INQUIRE that asks for a CPA is answered with a forged one
 * (another name's ID, a stale nonce); other INQUIREs and LOOKUPs get no answer. */
#ifndef PN_SIM_HOSTILE_H
#define PN_SIM_HOSTILE_H

#include <stdint.h>

#include "peernet/pnrp.h"
#include "peernet/sim.h"

enum {
    HK_JUNK,
    HK_MUTATED,
    HK_LOOKUP,
    HK_SOLICIT,
    HK_FLOOD,
    HK_REVOKE,
    HK_BADSIG,
    HK_ANSWER,
    HK_REPLAY,
    HK_FORGED_AUTHORITY,
    HK_KINDS
};

#define HOSTILE_POOL   16 /* forged revoke CPAs signed once and shared */
#define HOSTILE_REPLAY 4  /* datagrams a hostile node keeps to replay */

typedef struct hostile_world {
    pn_sim *sim;
    uint32_t nodes, names;
    const uint8_t *is_hostile;   /* per node */
    const pn_pnrp_id *name_ids;  /* registered ID of each name (zero until registered) */
    const pn_pnrp_identity *key; /* the hostile nodes' own key (signs forged revokes) */
    int64_t wall_offset_ms;      /* wall ms = virtual ms + this (CPA Not After) */
    uint8_t pool[HOSTILE_POOL][700];
    uint16_t pool_len[HOSTILE_POOL];
    uint64_t sent[HK_KINDS]; /* datagrams sent per attack */
} hostile_world;

typedef struct hostile_app {
    hostile_world *w;
    uint32_t self;
    int udp;
    uint64_t rng, next;
    uint16_t replay_len[HOSTILE_REPLAY];
    uint8_t replay[HOSTILE_REPLAY][600];
    pn_addr replay_from[HOSTILE_REPLAY];
    uint32_t n_replay;
} hostile_app;

extern const pn_sim_app_ops hostile_ops;
const char *hostile_kind_name(int kind);

#endif
