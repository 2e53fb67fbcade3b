/* Several PNRP clouds in one node (MS-PNRP 1.3.3 / 3.1.1: global, site and link-local
 * clouds; decision PE-56).
 *
 * One engine (pn_pnrp_node) per cloud, each with its own Route Entry Cache, output
 * queue, registrations and resolves, and a small multiplexer over them: a datagram goes
 * to the cloud that owns the local endpoint it arrived on (messages never cross clouds),
 * output is taken from the clouds in turn together with the local endpoint to send
 * from, and the timers are merged.  The multiplexer owns no memory besides its table. */
#ifndef PEERNET_PNRP_CLOUD_H
#define PEERNET_PNRP_CLOUD_H

#include "peernet/pnrp.h"

typedef struct pn_pnrp_cloud {
    pn_pnrp_node *node; /* caller memory, initialised with cfg.scope = scope */
    uint8_t scope;      /* PN_PNRP_SCOPE_* */
    uint32_t zone;      /* interface of a link or site cloud (what the platform sends on) */
    const char *name;   /* the application's name for it (caller memory; never on the wire) */
} pn_pnrp_cloud;

enum { PN_PNRP_CLOUD_CLEANUP_MS = 15 * 60 * 1000 }; /* 3.1.2 Cloud Cleanup Timer */

typedef struct pn_pnrp_multi {
    pn_pnrp_cloud clouds[PN_PNRP_CLOUDS_MAX];
    uint8_t used[PN_PNRP_CLOUDS_MAX];        /* the slot holds a cloud's state */
    uint16_t open_count[PN_PNRP_CLOUDS_MAX]; /* 3.1.1 Open Count */
    uint64_t cleanup_at[PN_PNRP_CLOUDS_MAX]; /* Cloud Cleanup Timer, when running */
    size_t next_out;                         /* round robin over the clouds' output */
    uint32_t drop_no_cloud, drop_scope;
} pn_pnrp_multi;

void pn_pnrp_multi_init(pn_pnrp_multi *m);
/* Open a new cloud (3.1.4.1) on an initialised engine: Open Count 1.  PN_ERR_ARG when
 * the node's scope is not `scope`, a local endpoint is already used by another cloud,
 * or a second global cloud is added (there is only one); PN_ERR_NOMEM when
 * PN_PNRP_CLOUDS_MAX are in the table.  Returns the cloud index. */
int pn_pnrp_multi_add(pn_pnrp_multi *m, pn_pnrp_node *node, uint8_t scope, uint32_t zone,
                      const char *name);
/* Open an existing cloud again by name (3.1.4.1: Open Count + 1; a cloud waiting for
 * its cleanup is taken back).  Returns its index or PN_ERR_NOTFOUND (then open it with
 * pn_pnrp_multi_add). */
int pn_pnrp_multi_open(pn_pnrp_multi *m, const char *name, size_t len);
/* The open cloud of a name, or PN_ERR_NOTFOUND. */
int pn_pnrp_multi_find(const pn_pnrp_multi *m, const char *name, size_t len);
/* Feed a datagram that arrived on local endpoint `local` from `from`: it goes to the
 * cloud owning `local`; dropped and counted when none does or `from` has another scope. */
void pn_pnrp_multi_input(pn_pnrp_multi *m, uint64_t now, const pn_pnrp_endpoint *local,
                         const pn_pnrp_endpoint *from, const uint8_t *buf, size_t len);
/* The next datagram of any cloud: its length (0 when none), the destination, the local
 * endpoint to send it from and the cloud index (may be NULL). */
int pn_pnrp_multi_poll_output(pn_pnrp_multi *m, uint8_t *buf, size_t cap, pn_pnrp_endpoint *to,
                              pn_pnrp_endpoint *from_local, int *cloud);
uint64_t pn_pnrp_multi_next_deadline(const pn_pnrp_multi *m);
void pn_pnrp_multi_tick(pn_pnrp_multi *m, uint64_t now);
/* The engine of an open cloud (register, resolve, counters go to it), or NULL: an
 * application may not use a cloud it has not opened (3.1.4.4). */
pn_pnrp_node *pn_pnrp_multi_node(pn_pnrp_multi *m, int cloud);
/* Close a cloud (3.1.4.5): Open Count - 1; at zero its names are unregistered (1.3.3.4,
 * revoke FLOODs queued), the engine keeps serving the cloud and the Cloud Cleanup
 * Timer runs; when it expires the state is deleted and the slot freed (3.1.6.1).
 * Returns the number of names unregistered, PN_ERR_NOTFOUND for a cloud not open. */
int pn_pnrp_multi_close(pn_pnrp_multi *m, int cloud, uint64_t now);

#endif
