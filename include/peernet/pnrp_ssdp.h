/* SSDP multicast cloud discovery for PNRP (MS-PNRP 1.3.3.1, 3.1.4.2.2, 3.1.5.1, 3.2.4.1,
 * 3.2.4.2; UPnP Device Architecture 1.0 section 1), sans-I/O.
 *
 * The codec reads and writes the three HTTP-over-UDP messages PNRP needs: M-SEARCH for
 * "urn:Microsoft Windows Peer Name Resolution Protocol: V4:IPV6:<Scope>", the unicast
 * answer, and the NOTIFY a publisher sends (ssdp:alive / ssdp:byebye), the last two
 * carrying AL: [address]:port.  The discovery state machine sits next to one engine
 * (one cloud): it searches when asked, answers and advertises while the engine has a
 * registered name, and turns at most five answers into synchronisations.  Datagrams go
 * to PN_PNRP_SSDP_GROUP port 1900 or back to a searcher; the platform joins the group
 * on the cloud's interface (pn_posix_udp_join on POSIX).  Decisions PE-58, PE-59. */
#ifndef PEERNET_PNRP_SSDP_H
#define PEERNET_PNRP_SSDP_H

#include "peernet/pnrp.h"

enum {
    PN_PNRP_SSDP_PORT = 1900,
    PN_PNRP_SSDP_MAX = 512,         /* longest message written or read */
    PN_PNRP_SSDP_TARGETS = 5,       /* 3.1.5.1: answers turned into synchronisations */
    PN_PNRP_SSDP_MAX_AGE_S = 1800,  /* CACHE-CONTROL of the advertisement */
    PN_PNRP_SSDP_NOTIFY_MS = 900000 /* an advertisement is repeated at half its age */
};
/* The SSDP group (UPnP: FF02::C link-local, FF05::C site-local). */
extern const uint8_t pn_pnrp_ssdp_group_link[16];
extern const uint8_t pn_pnrp_ssdp_group_site[16];

enum {
    PN_PNRP_SSDP_MSEARCH = 1,
    PN_PNRP_SSDP_RESPONSE = 2,
    PN_PNRP_SSDP_ALIVE = 3,
    PN_PNRP_SSDP_BYEBYE = 4
};

typedef struct pn_pnrp_ssdp_msg {
    int type;
    uint8_t scope;       /* PN_PNRP_SCOPE_* of the ST / NT URN */
    pn_pnrp_endpoint al; /* RESPONSE, ALIVE: the PNRP endpoint of the sender */
    uint8_t usn_id[16];  /* RESPONSE, ALIVE, BYEBYE: the sender's random instance */
} pn_pnrp_ssdp_msg;

/* Write m: the length, or PN_ERR_BUFSIZE / PN_ERR_ARG. */
int pn_pnrp_ssdp_encode(const pn_pnrp_ssdp_msg *m, uint8_t *buf, size_t cap);
/* Read one datagram.  PN_OK, or PN_ERR_PNRP_FIELD for anything that is not one of the four
 * messages for a PNRP search target with the headers they need (the AL must be an
 * RFC 2732 "[IPv6]:port" with a port above 1024, 3.1.5.1). */
int pn_pnrp_ssdp_decode(const uint8_t *buf, size_t len, pn_pnrp_ssdp_msg *m);

typedef struct pn_pnrp_ssdp_out {
    pn_pnrp_endpoint to;
    uint8_t type;
} pn_pnrp_ssdp_out;

typedef struct pn_pnrp_ssdp {
    pn_pnrp_node *node;
    uint8_t scope;
    uint8_t target_count; /* CloudDiscoverySSDPTargetCount */
    uint8_t searching;    /* an M-SEARCH went out: answers are expected */
    uint8_t advertising;
    uint8_t usn_id[16];
    uint64_t next_notify;
    pn_pnrp_ssdp_out q[4]; /* datagrams to send, rebuilt by poll_output */
    uint8_t qn;
    uint32_t rx, drop_decode, drop_scope, drop_extra, syncs;
} pn_pnrp_ssdp;

/* For the (link- or site-local) cloud of `node`; usn_id is this instance's random ID. */
int pn_pnrp_ssdp_init(pn_pnrp_ssdp *s, pn_pnrp_node *node, const uint8_t usn_id[16]);
/* 3.1.4.2.2: multicast an M-SEARCH and reset the target count. */
void pn_pnrp_ssdp_search(pn_pnrp_ssdp *s);
/* A datagram that arrived on the SSDP port. */
void pn_pnrp_ssdp_input(pn_pnrp_ssdp *s, uint64_t now, const pn_pnrp_endpoint *from,
                        const uint8_t *buf, size_t len);
/* Start or stop the advertisement as the engine gains its first or loses its last
 * registered name (3.2.4.1, 3.2.4.2); repeat it before it ages out. */
void pn_pnrp_ssdp_tick(pn_pnrp_ssdp *s, uint64_t now);
uint64_t pn_pnrp_ssdp_next_deadline(const pn_pnrp_ssdp *s);
/* The next datagram: its length (0 when none), to the group or to a searcher. */
int pn_pnrp_ssdp_poll_output(pn_pnrp_ssdp *s, uint8_t *buf, size_t cap, pn_pnrp_endpoint *to);

#endif
