/* Cloud split detection and repair (MS-PNRP 3.2.6.2.1, 3.2.6.2.1.1, 3.2.5.11.1),
 * sans-I/O, next to one engine.  Decisions PE-60, PE-61.
 *
 * At every maintenance period a publisher tests, with a probability that falls as the
 * estimated cloud size grows (so that the whole cloud runs about PN_PNRP_SPLIT_RATE
 * tests per period), whether it is cut off: it resolves one of its IDs + 1 starting at
 * a seed node, and compares the best match the walk reached with its own cache.  When
 * that says it sits in the smaller piece, it repairs: it synchronises with the node the
 * walk found, walks again for every registered name so that the other piece takes its
 * IDs into its leaf sets, and repeats the test for its other IDs. */
#ifndef PEERNET_PNRP_SPLIT_H
#define PEERNET_PNRP_SPLIT_H

#include "peernet/pnrp.h"

enum {
    PN_PNRP_SPLIT_RATE = 4,        /* tests per maintenance period in the whole cloud */
    PN_PNRP_SPLIT_REPAIR_MS = 2000 /* from the synchronisation to the new walks */
};

enum { PN_PNRP_SPLIT_NONE = 1, PN_PNRP_SPLIT_BIGGER = 2, PN_PNRP_SPLIT_SMALLER = 3 };

typedef struct pn_pnrp_split {
    pn_pnrp_node *node;
    uint32_t rng;
    uint8_t seed_index, repeat;
    int probe; /* handle of the running test, -1 when none */
    /* The cache's closest entry to the target when the test started (PE-60). */
    pn_pnrp_id known_best;
    uint8_t known_valid;
    uint64_t next_test, repair_at;
    uint32_t tests, none, bigger, smaller, repairs, no_answer;
    int last; /* PN_PNRP_SPLIT_* of the last test, 0 before one */
} pn_pnrp_split;

/* rng_seed varies the per-node choice of when to test. */
void pn_pnrp_split_init(pn_pnrp_split *s, pn_pnrp_node *node, uint32_t rng_seed, uint64_t now);
void pn_pnrp_split_tick(pn_pnrp_split *s, uint64_t now);
uint64_t pn_pnrp_split_next_deadline(const pn_pnrp_split *s);
/* Pass every event of the engine; returns 1 when it was this module's. */
int pn_pnrp_split_event(pn_pnrp_split *s, uint64_t now, const pn_pnrp_event *ev);
/* 3.2.6.2.1.1: the estimated number of nodes in the cloud, 0 without an estimate. */
uint32_t pn_pnrp_split_cloud_size(const pn_pnrp_node *n);

#endif
