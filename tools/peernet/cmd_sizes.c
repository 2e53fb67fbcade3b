/* `peernet sizes`: the memory each context, buffer and table costs on this host, from
 * the same list `make size` measures on the cross targets (tools/footprint/sizes.def),
 * plus the host-only platforms.  PORTING.md quotes the Cortex-M4 figures. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "peernet/aes.h"
#include "peernet/drbg.h"
#include "peernet/graph.h"
#include "peernet/graph_wire.h"
#include "peernet/hash.h"
#include "peernet/platform.h"
#include "peernet/pnrp.h"
#include "peernet/pnrp_wire.h"
#include "peernet/posix.h"
#include "peernet/rsa.h"
#include "peernet/sim.h"
#include "peernet/x509.h"

int pn_cmd_sizes(int argc, char **argv)
{
    pn_sim_config cfg;
    if (argc > 1) {
        fprintf(stderr, "usage: peernet sizes\n"
                        "Print the bytes of every context, buffer and table (sizeof on this\n"
                        "host, with the compiled-in options of peernet/opts.h).\n");
        return strcmp(argv[1], "--help") == 0 ? PN_EXIT_OK : PN_EXIT_USAGE;
    }
#define PN_SIZE(id, bytes, what) printf("%-20s %10lu  %s\n", #id, (unsigned long)(bytes), what);
#include "../footprint/sizes.def"
#undef PN_SIZE
    printf("%-20s %10lu  %s\n", "posix", (unsigned long)sizeof(pn_posix),
           "pn_posix (POSIX platform, PN_POSIX_MAX_SOCKETS sockets)");
    {
        /* The graph engine per connection slot, in the configurations of `peernet graph`
         * (4096 records, 32 KB messages and output) and `peernet sim graph --records
         * 10000` (10,016 records). */
        pn_graph_node_config gc;
        memset(&gc, 0, sizeof gc);
        gc.graph_id = "g";
        gc.peer_id = "p";
        gc.max_records = 4096;
        gc.slot_bytes = 1024;
        gc.conn_out_bytes = 32768;
        gc.max_msg_bytes = 32768;
        printf("%-20s %10lu  %s\n", "graph_conn_cli", (unsigned long)pn_graph_node_conn_memory(&gc),
               "graph engine bytes per connection, `peernet graph` configuration");
        gc.max_records = 10016;
        gc.slot_bytes = 512;
        printf("%-20s %10lu  %s\n", "graph_conn_sim10k",
               (unsigned long)pn_graph_node_conn_memory(&gc),
               "graph engine bytes per connection, `peernet sim graph --records 10000`");
    }
    pn_sim_config_default(&cfg, 100);
    printf("%-20s %10lu  %s\n", "sim_100_nodes", (unsigned long)pn_sim_memory_size(&cfg),
           "pn_sim_memory_size, default configuration, 100 nodes");
    pn_sim_config_default(&cfg, 10000);
    printf("%-20s %10lu  %s\n", "sim_10000_nodes", (unsigned long)pn_sim_memory_size(&cfg),
           "pn_sim_memory_size, default configuration, 10,000 nodes");
    return PN_EXIT_OK;
}
