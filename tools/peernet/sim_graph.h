/* `peernet sim graph`: the Peer Graphing scenario on the simulator (sim_graph.c). */
#ifndef PN_SIM_GRAPH_H
#define PN_SIM_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/sim.h"

struct graph_opts {
    uint32_t nodes, records;
    uint64_t seed, max_wait_ms;
    double loss;
    int partition, json;
    uint32_t crash; /* nodes killed while records are published, restarted 2 s later */
    const char *pcap;
    /* The newsletter scenario: node 0 alone publishes, then goes offline for good; the
     * last node joins only afterwards, through a remaining subscriber. */
    int newsletter;
    int no_internal; /* --no-internal: no Signature, Contact or Presence records */
};

#define HEAL_LINKS_KEPT 16 /* --partition: links reported one by one */

struct heal_link {
    uint32_t node; /* the initiator */
    uint32_t missing_records, floods, dup_floods, dup_from_initiator;
    uint64_t missing_bytes, flood_bytes, dup_bytes, hash_bytes;
    uint64_t sync_floods, sync_bytes; /* FLOODs the sync asked for, both ways (GE-62) */
};

struct graph_result {
    pn_sim_counters c;
    int converged;
    uint64_t convergence_ms, virtual_ms;
    uint32_t distinct_digests, incomplete, max_receipts, failures;
    uint32_t min_records, max_records, lost_unsaved, missing_unexplained, components;
    uint32_t crashes, reloads, reload_failures, reload_lost;
    uint64_t msgs, bytes, floods, invalid, neighbour_sum;
    int min_neighbours, max_neighbours; /* over the live nodes at the end */
    uint32_t live_nodes, below_min_neighbours;
    uint8_t digest0[32];
    size_t memory;
    double wall_s;
    uint32_t late_missing; /* newsletter: issues the late subscriber lacks */
    /* internal records at the end, summed over the nodes */
    uint32_t have_signature, contacts, presences, partitions_detected, repair_connects;
    /* Receipts against neighbour links: nodes where one record arrived more often than the
     * node had neighbour links during the run, and more often than its final count. */
    uint32_t receipts_over_links, receipts_over_final;
    /* --partition: the hash syncs of the links opened after the heal, each measured from
     * its WELCOME to its SYNC_DONE.  Records and record bytes the two ends of each link
     * lacked from each other when it opened (summed over links); FLOOD, hash exchange
     * (SOLICIT_HASH, ADVERTISE, REQUEST, SYNC_END) and other message bytes both ways. */
    int heal_measured;
    uint32_t heal_links, heal_missing_records;
    double heal_worst_ratio;
    uint64_t heal_missing_bytes, heal_flood_bytes, heal_hash_bytes, heal_other_bytes;
    uint32_t heal_floods, heal_dup_floods;
    uint64_t heal_dup_bytes, heal_sync_floods, heal_sync_bytes;
    double heal_worst_sync_ratio;
    struct heal_link heal_link[HEAL_LINKS_KEPT];
};

int pn_sim_graph_run(const struct graph_opts *o, struct graph_result *r);
void pn_sim_graph_print(const struct graph_opts *o, const struct graph_result *r);
/* argv[0] is "graph". */
int pn_sim_graph_cmd(int argc, char **argv);

#endif
