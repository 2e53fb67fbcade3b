/* The POSIX platform: pn_platform over BSD sockets, poll(), files and the POSIX clocks.
 *
 * Usage:
 *
 *     pn_posix px;                      // caller-owned: static, stack or heap
 *     pn_posix_config cfg;
 *     pn_platform p;
 *     pn_posix_config_default(&cfg);
 *     cfg.storage_dir = "/var/lib/peernet";
 *     if (pn_posix_init(&px, &cfg) != PN_OK) ...
 *     p = pn_posix_platform(&px);
 *     h = p.udp_open(p.ctx, &bind_addr);
 *     ...
 *     pn_posix_close(&px);              // closes every socket still open
 *
 * Behaviour worth knowing (spec/decisions.md, "POSIX platform"):
 * - Socket handles are indexes into the context's table of PN_POSIX_MAX_SOCKETS
 *   entries (include/peernet/opts.h); opening more returns PN_ERR_NOMEM.
 * - An IPv6 socket is IPv6-only (IPV6_V6ONLY set): IPv4 traffic needs a socket opened
 *   with a PN_AF_INET address.  Sending to an address of the other family returns
 *   PN_ERR_PLATFORM_ADDR.  A NULL bind address means [::]:0.
 * - Every socket is non-blocking and close-on-exec; TCP sockets have TCP_NODELAY
 *   (peernet writes whole messages) and never raise SIGPIPE; listeners set
 *   SO_REUSEADDR.
 * - udp_recv skips ICMP errors some systems report on unconnected UDP sockets, so it
 *   returns only a length, PN_ERR_WOULDBLOCK or PN_ERR_BUFSIZE.
 * - tcp_recv needs cap > 0 (0 is reserved for "peer closed its side").
 * - wait() also returns at once while a socket is at end of stream or has a failed
 *   connect pending: the driver is expected to read it and close it.
 * - Storage keeps one file per blob in storage_dir (mode 0600).  A replace writes
 *   "<name>~" (never a valid blob name), fsyncs it, renames it over the blob and fsyncs
 *   the directory.  One process per directory: two writers of the same name race.
 * - The context is not thread-safe; use one per thread or lock around it.
 */
#ifndef PEERNET_POSIX_H
#define PEERNET_POSIX_H

#include <stdio.h>

#include "peernet/opts.h"
#include "peernet/platform.h"

typedef struct pn_posix_config {
    /* Directory for storage blobs, created (mode 0700) if missing.  NULL: the storage
     * calls return PN_ERR_UNSUPPORTED. */
    const char *storage_dir;
    /* Log destination: log_file if not NULL, else log_fd if > 0, else stderr (so a zeroed
     * config logs to stderr; fd 0 is stdin, never a log).  The caller keeps it open. */
    FILE *log_file;
    int log_fd;
    /* Lines with a level above this are dropped (PN_LOG_ERROR .. PN_LOG_DEBUG); -1 drops
     * every line. */
    int log_level;
} pn_posix_config;

/* One entry of the socket table.  Private: read it only through the functions below. */
typedef struct pn_posix_sock {
    int fd;          /* -1 when the entry holds no descriptor */
    uint8_t kind;    /* 0 free, else a kind from posix.c */
    uint8_t family;  /* PN_AF_INET6 or PN_AF_INET */
    uint8_t pending; /* TCP connect not yet known to have succeeded */
    int8_t eof;      /* TCP peer closed its side (wait() reports the socket ready) */
    int failed;      /* sticky pn_err of a failed TCP connect, 0 otherwise */
} pn_posix_sock;

/* The context.  Private fields; the caller only provides the memory. */
typedef struct pn_posix {
    pn_posix_sock socks[PN_POSIX_MAX_SOCKETS];
    int dir_fd; /* storage directory, -1 without storage */
    FILE *log_file;
    int log_fd;
    int log_level;
} pn_posix;

/* Defaults: no storage, stderr, PN_LOG_INFO. */
void pn_posix_config_default(pn_posix_config *cfg);
/* Prepare ctx (cfg NULL: defaults).  Returns PN_OK, PN_ERR_ARG, or the mapped error of
 * opening or creating storage_dir. */
int pn_posix_init(pn_posix *ctx, const pn_posix_config *cfg);
/* The pn_platform whose calls run on ctx.  Valid until pn_posix_close(ctx). */
pn_platform pn_posix_platform(pn_posix *ctx);
/* Close every socket and the storage directory.  ctx may be initialised again. */
void pn_posix_close(pn_posix *ctx);

/* A UDP socket on [::]:port (shared with other listeners of the port) that has joined
 * the IPv6 multicast group on interface ifindex and sends multicast there, one hop,
 * looped back to this host's other members: what SSDP discovery of a link-local PNRP
 * cloud needs (peernet/pnrp_ssdp.h; group pn_pnrp_ssdp_group_link, port 1900).  Send
 * to the group with scope_id = ifindex.  Returns a UDP socket handle or a pn_err. */
int pn_posix_udp_join(pn_posix *ctx, uint16_t port, const uint8_t group[16], uint32_t ifindex);

/* The descriptor behind a handle (to set socket options peernet does not know about),
 * or -1.  The platform still owns it: do not close it. */
int pn_posix_fd(const pn_posix *ctx, int sock);

/* The pn_err for an errno value: the one mapping every posix call uses.
 * EAGAIN/EWOULDBLOCK/EINPROGRESS/EALREADY/EINTR -> PN_ERR_WOULDBLOCK,
 * ECONNREFUSED -> PN_ERR_REFUSED, ENETUNREACH/EHOSTUNREACH/ENETDOWN/EHOSTDOWN ->
 * PN_ERR_UNREACHABLE, ETIMEDOUT -> PN_ERR_TIMEOUT, ECONNRESET/ECONNABORTED/EPIPE/
 * ENOTCONN/ESHUTDOWN -> PN_ERR_CLOSED, EADDRINUSE/EEXIST/EISCONN -> PN_ERR_EXISTS,
 * ENOENT -> PN_ERR_NOTFOUND, EMSGSIZE -> PN_ERR_BUFSIZE, ENOMEM/ENOBUFS/EMFILE/ENFILE
 * -> PN_ERR_NOMEM, EAFNOSUPPORT/EADDRNOTAVAIL -> PN_ERR_PLATFORM_ADDR,
 * EINVAL/EBADF/ENOTSOCK/EFAULT/ENAMETOOLONG/EDESTADDRREQ -> PN_ERR_ARG,
 * EOPNOTSUPP/ENOSYS/EPROTONOSUPPORT -> PN_ERR_UNSUPPORTED, 0 -> PN_OK, anything else
 * (EIO, ENOSPC, EACCES, ...) -> PN_ERR_IO. */
int pn_posix_err(int errno_value);

#endif
