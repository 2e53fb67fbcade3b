/* pn_platform: everything peernet needs from the machine it runs on.
 *
 * The protocol engines never call this: they are sans-I/O.  Drivers (the `peernet`
 * tool, the simulator's node loop, an integrator's main loop) use it to move bytes
 * between sockets and engines and to read the clock.  A port implements the function
 * pointers below for its OS or bare-metal network stack; src/platform/posix and
 * src/platform/sim are two complete implementations and src/platform/baremetal/port.c a
 * commented template.
 *
 * Conventions: every call returns a non-negative value on success or a negative pn_err.
 * Socket handles are small non-negative ints chosen by the platform.  Nothing blocks
 * except `wait`.  Function pointers an implementation does not support may be NULL
 * (callers check and report PN_ERR_UNSUPPORTED).
 */
#ifndef PEERNET_PLATFORM_H
#define PEERNET_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/err.h"

enum { PN_AF_INET6 = 6, PN_AF_INET = 4 };

/* A transport address.  IPv6 is the protocols' native family; IPv4 is only used where a
 * specification allows it (PNRP carries IPv4 endpoints only as payload data). */
typedef struct pn_addr {
    uint8_t family;    /* PN_AF_INET6 or PN_AF_INET */
    uint8_t ip[16];    /* network byte order; IPv4 uses the first 4 bytes */
    uint16_t port;     /* host byte order */
    uint32_t scope_id; /* IPv6 zone (link-local), 0 otherwise */
} pn_addr;

/* Log levels, most severe first. */
enum { PN_LOG_ERROR = 0, PN_LOG_WARN = 1, PN_LOG_INFO = 2, PN_LOG_DEBUG = 3 };

typedef struct pn_platform {
    void *ctx; /* passed back to every call */

    /* Monotonic milliseconds from an arbitrary origin: every timer uses this. */
    uint64_t (*now_ms)(void *ctx);
    /* Wall-clock milliseconds since 1970-01-01T00:00:00Z, only for timestamps that a
     * protocol carries (CPA expiry, FILETIME peer time). */
    int64_t (*wall_ms)(void *ctx);
    /* Fill out with len unpredictable bytes (seeds the DRBG). */
    int (*random)(void *ctx, uint8_t *out, size_t len);

    /* UDP.  udp_open binds (port 0: any free port) and returns a handle. udp_recv returns
     * the datagram length, PN_ERR_WOULDBLOCK when none is queued, PN_ERR_BUFSIZE (and
     * drops the datagram) when it is larger than cap. */
    int (*udp_open)(void *ctx, const pn_addr *bind_addr);
    int (*udp_send)(void *ctx, int sock, const pn_addr *to, const uint8_t *buf, size_t len);
    int (*udp_recv)(void *ctx, int sock, pn_addr *from, uint8_t *buf, size_t cap);

    /* TCP.  tcp_connect starts a connection and returns its handle at once; until it is
     * established tcp_send returns PN_ERR_WOULDBLOCK, and a failure shows as
     * PN_ERR_REFUSED / PN_ERR_UNREACHABLE / PN_ERR_TIMEOUT from send or recv.
     * tcp_send returns the bytes accepted (possibly fewer than len).  tcp_recv returns
     * bytes read, 0 when the peer closed its side, PN_ERR_WOULDBLOCK when nothing is
     * pending, PN_ERR_CLOSED after a reset. */
    int (*tcp_listen)(void *ctx, const pn_addr *bind_addr);
    int (*tcp_accept)(void *ctx, int listener, pn_addr *peer);
    int (*tcp_connect)(void *ctx, const pn_addr *to);
    int (*tcp_send)(void *ctx, int sock, const uint8_t *buf, size_t len);
    int (*tcp_recv)(void *ctx, int sock, uint8_t *buf, size_t cap);

    /* Close any socket handle.  The local address of a bound socket (to learn an
     * ephemeral port). */
    int (*sock_close)(void *ctx, int sock);
    int (*sock_name)(void *ctx, int sock, pn_addr *out);

    /* Persistent storage of named blobs (names: [A-Za-z0-9._-], 1..64 chars).
     * storage_read returns the blob length, PN_ERR_NOTFOUND, or PN_ERR_BUFSIZE when cap
     * is too small.  storage_replace is atomic: after a crash at any point the blob is
     * either wholly old or wholly new. */
    int (*storage_read)(void *ctx, const char *name, uint8_t *buf, size_t cap);
    int (*storage_replace)(void *ctx, const char *name, const uint8_t *buf, size_t len);

    /* A log line (no trailing newline).  May be NULL. */
    void (*log)(void *ctx, int level, const char *msg);

    /* Block until a socket is readable or monotonic time reaches deadline_ms, whichever
     * comes first.  Event-driven platforms (the simulator) set this to NULL: they call
     * the driver when something happens instead. */
    int (*wait)(void *ctx, uint64_t deadline_ms);
} pn_platform;

/* Helpers over pn_addr (src/platform/addr.c; no OS calls). */
/* Parse "[v6]:port", "v6" (port 0), "a.b.c.d:port" or "a.b.c.d"; PN_ERR_PLATFORM_ADDR. */
int pn_addr_parse(pn_addr *out, const char *text);
/* Format as "[v6]:port" or "a.b.c.d:port" (RFC 5952 compressed v6); returns length or
 * PN_ERR_BUFSIZE.  46 + 8 bytes always suffice. */
int pn_addr_format(const pn_addr *a, char *out, size_t cap);
int pn_addr_equal(const pn_addr *a, const pn_addr *b);
/* 1 when a storage name follows the rule above, else 0. */
int pn_storage_name_valid(const char *name);

#define PN_ADDR_STRLEN 64

#endif
