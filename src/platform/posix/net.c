/* POSIX platform: UDP and TCP over non-blocking BSD sockets, and wait() over poll(). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "posix_int.h"

#ifdef MSG_NOSIGNAL
#define PX_SEND_FLAGS MSG_NOSIGNAL
#else
#define PX_SEND_FLAGS 0 /* SO_NOSIGPIPE is set on the socket instead */
#endif

/* Connections waiting in a listener's accept queue. */
#define PX_LISTEN_BACKLOG 16
/* Queued ICMP errors udp_recv skips before it reports "nothing queued". */
#define PX_UDP_SKIP_ERRORS 16

static int to_sockaddr(const pn_addr *a, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    if (a->family == PN_AF_INET6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(a->port);
        memcpy(&s6->sin6_addr, a->ip, 16);
        /* Link-local destinations need their zone: the kernel rejects fe80::/10
         * without one. */
        s6->sin6_scope_id = a->scope_id;
        *len = sizeof *s6;
        return PN_OK;
    }
    if (a->family == PN_AF_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(a->port);
        memcpy(&s4->sin_addr, a->ip, 4);
        *len = sizeof *s4;
        return PN_OK;
    }
    return PN_ERR_PLATFORM_ADDR;
}

static void from_sockaddr(const struct sockaddr_storage *ss, pn_addr *a)
{
    memset(a, 0, sizeof *a);
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
        a->family = PN_AF_INET6;
        memcpy(a->ip, &s6->sin6_addr, 16);
        a->port = ntohs(s6->sin6_port);
        a->scope_id = s6->sin6_scope_id;
    } else if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
        a->family = PN_AF_INET;
        memcpy(a->ip, &s4->sin_addr, 4);
        a->port = ntohs(s4->sin_port);
    }
}

/* The entry behind a handle when it holds a socket of the wanted kind (0: any). */
static pn_posix_sock *entry(void *ctx, int sock, int kind)
{
    pn_posix *px = ctx;
    pn_posix_sock *s;
    if (px == NULL || sock < 0 || sock >= PN_POSIX_MAX_SOCKETS)
        return NULL;
    s = &px->socks[sock];
    if (s->kind == PN_PX_FREE || (kind != PN_PX_FREE && s->kind != kind))
        return NULL;
    return s;
}

static int free_entry(pn_posix *px)
{
    int i;
    for (i = 0; i < PN_POSIX_MAX_SOCKETS; i++)
        if (px->socks[i].kind == PN_PX_FREE)
            return i;
    return PN_ERR_NOMEM;
}

static int set_int_opt(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof value) == 0 ? PN_OK : pn_px_errno();
}

/* Make a descriptor non-blocking and close-on-exec (fcntl rather than SOCK_NONBLOCK,
 * which not every system has, and accept() does not inherit it). */
static int set_fd_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return pn_px_errno();
    fl = fcntl(fd, F_GETFD);
    if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
        return pn_px_errno();
    return PN_OK;
}

static int tune_stream(int fd)
{
    int r = set_int_opt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
#ifdef SO_NOSIGPIPE
    if (r == PN_OK)
        r = set_int_opt(fd, SOL_SOCKET, SO_NOSIGPIPE, 1);
#endif
    return r;
}

/* A socket of the address's family with the options every peernet socket has. */
static int new_socket(const pn_addr *a, int type, int *fd_out)
{
    int fd, r;
    int domain = a->family == PN_AF_INET6 ? AF_INET6 : AF_INET;
    if (a->family != PN_AF_INET6 && a->family != PN_AF_INET)
        return PN_ERR_PLATFORM_ADDR;
    fd = socket(domain, type, 0);
    if (fd < 0)
        return pn_px_errno();
    r = set_fd_flags(fd);
    /* spec/decisions.md POSIX-1: IPv6 sockets never carry IPv4-mapped traffic. */
    if (r == PN_OK && domain == AF_INET6)
        r = set_int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
    if (r == PN_OK && type == SOCK_STREAM)
        r = tune_stream(fd);
    if (r != PN_OK) {
        close(fd);
        return r;
    }
    *fd_out = fd;
    return PN_OK;
}

static int bind_to(int fd, const pn_addr *a)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    int r = to_sockaddr(a, &ss, &sl);
    if (r != PN_OK)
        return r;
    return bind(fd, (struct sockaddr *)&ss, sl) == 0 ? PN_OK : pn_px_errno();
}

static void take_entry(pn_posix *px, int h, int fd, int kind, uint8_t family)
{
    pn_posix_sock *s = &px->socks[h];
    memset(s, 0, sizeof *s);
    s->fd = fd;
    s->kind = (uint8_t)kind;
    s->family = family;
}

static const pn_addr *or_any(const pn_addr *a, pn_addr *any)
{
    if (a != NULL)
        return a;
    memset(any, 0, sizeof *any);
    any->family = PN_AF_INET6;
    return any;
}

/* ---- UDP ----------------------------------------------------------------------------- */

int pn_px_udp_open(void *ctx, const pn_addr *bind_addr)
{
    pn_posix *px = ctx;
    pn_addr any;
    int h, fd, r;
    if (px == NULL)
        return PN_ERR_ARG;
    bind_addr = or_any(bind_addr, &any);
    h = free_entry(px);
    if (h < 0)
        return h;
    r = new_socket(bind_addr, SOCK_DGRAM, &fd);
    if (r != PN_OK)
        return r;
    r = bind_to(fd, bind_addr);
    if (r != PN_OK) {
        close(fd);
        return r;
    }
    take_entry(px, h, fd, PN_PX_UDP, bind_addr->family);
    return h;
}

int pn_posix_udp_join(pn_posix *px, uint16_t port, const uint8_t group[16], uint32_t ifindex)
{
    struct ipv6_mreq mr;
    pn_addr any;
    int h, fd, r;
    if (px == NULL || group == NULL || group[0] != 0xff)
        return PN_ERR_ARG;
    memset(&any, 0, sizeof any);
    any.family = PN_AF_INET6;
    any.port = port;
    h = free_entry(px);
    if (h < 0)
        return h;
    r = new_socket(&any, SOCK_DGRAM, &fd);
    if (r != PN_OK)
        return r;
    /* Several listeners on one host share the SSDP port (UPnP 1.0 section 1). */
    r = set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
#ifdef SO_REUSEPORT
    if (r == PN_OK)
        r = set_int_opt(fd, SOL_SOCKET, SO_REUSEPORT, 1);
#endif
    if (r == PN_OK)
        r = bind_to(fd, &any);
    memset(&mr, 0, sizeof mr);
    memcpy(&mr.ipv6mr_multiaddr, group, 16);
    mr.ipv6mr_interface = ifindex;
    if (r == PN_OK && setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof mr) != 0)
        r = pn_px_errno();
    /* Sent on that interface, one hop, and seen by the other listeners on this host. */
    if (r == PN_OK &&
        setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof ifindex) != 0)
        r = pn_px_errno();
    if (r == PN_OK)
        r = set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 1);
    if (r == PN_OK)
        r = set_int_opt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 1);
    if (r != PN_OK) {
        close(fd);
        return r;
    }
    take_entry(px, h, fd, PN_PX_UDP, PN_AF_INET6);
    return h;
}

int pn_px_udp_send(void *ctx, int sock, const pn_addr *to, const uint8_t *buf, size_t len)
{
    pn_posix_sock *s = entry(ctx, sock, PN_PX_UDP);
    struct sockaddr_storage ss;
    socklen_t sl;
    ssize_t n;
    if (s == NULL || to == NULL || (buf == NULL && len > 0))
        return PN_ERR_ARG;
    if (to->family != s->family || to_sockaddr(to, &ss, &sl) != PN_OK)
        return PN_ERR_PLATFORM_ADDR;
    do
        n = sendto(s->fd, buf, len, PX_SEND_FLAGS, (struct sockaddr *)&ss, sl);
    while (n < 0 && errno == EINTR);
    return n < 0 ? pn_px_errno() : (int)n;
}

int pn_px_udp_recv(void *ctx, int sock, pn_addr *from, uint8_t *buf, size_t cap)
{
    pn_posix_sock *s = entry(ctx, sock, PN_PX_UDP);
    int skipped = 0;
    if (s == NULL || (buf == NULL && cap > 0))
        return PN_ERR_ARG;
    while (skipped < PX_UDP_SKIP_ERRORS) {
        struct sockaddr_storage ss;
        struct iovec iov;
        struct msghdr msg;
        ssize_t n;
        memset(&msg, 0, sizeof msg);
        memset(&ss, 0, sizeof ss);
        iov.iov_base = buf;
        iov.iov_len = cap;
        msg.msg_name = &ss;
        msg.msg_namelen = sizeof ss;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        /* recvmsg's MSG_TRUNC output flag is POSIX; recv's MSG_TRUNC input flag is not. */
        n = recvmsg(s->fd, &msg, 0);
        if (n < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            /* An ICMP error for an earlier datagram, which some systems report on the
             * next call even on unconnected sockets: it is not about this read. */
            if (e == ECONNREFUSED || e == ECONNRESET || e == EHOSTUNREACH || e == ENETUNREACH) {
                skipped++;
                continue;
            }
            return pn_posix_err(e);
        }
        if (msg.msg_flags & MSG_TRUNC)
            return PN_ERR_BUFSIZE; /* the kernel dropped the rest of the datagram */
        if (from != NULL)
            from_sockaddr(&ss, from);
        return (int)n;
    }
    return PN_ERR_WOULDBLOCK;
}

/* ---- TCP ----------------------------------------------------------------------------- */

int pn_px_tcp_listen(void *ctx, const pn_addr *bind_addr)
{
    pn_posix *px = ctx;
    pn_addr any;
    int h, fd, r;
    if (px == NULL)
        return PN_ERR_ARG;
    bind_addr = or_any(bind_addr, &any);
    h = free_entry(px);
    if (h < 0)
        return h;
    r = new_socket(bind_addr, SOCK_STREAM, &fd);
    /* A restarted node must get its well-known port back while old connections sit in
     * TIME_WAIT. */
    if (r == PN_OK) {
        r = set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        if (r == PN_OK)
            r = bind_to(fd, bind_addr);
        if (r == PN_OK && listen(fd, PX_LISTEN_BACKLOG) != 0)
            r = pn_px_errno();
        if (r != PN_OK)
            close(fd);
    }
    if (r != PN_OK)
        return r;
    take_entry(px, h, fd, PN_PX_LISTEN, bind_addr->family);
    return h;
}

int pn_px_tcp_accept(void *ctx, int listener, pn_addr *peer)
{
    pn_posix *px = ctx;
    pn_posix_sock *l = entry(ctx, listener, PN_PX_LISTEN);
    int h, fd, r;
    if (l == NULL)
        return PN_ERR_ARG;
    /* Find room first, so a full table leaves the connection queued, not dropped. */
    h = free_entry(px);
    if (h < 0)
        return h;
    for (;;) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        fd = accept(l->fd, (struct sockaddr *)&ss, &sl);
        if (fd < 0) {
            int e = errno;
            /* The peer gave up while queued: look at the next one. */
            if (e == EINTR || e == ECONNABORTED
#ifdef EPROTO
                || e == EPROTO
#endif
            )
                continue;
            return pn_posix_err(e);
        }
        r = set_fd_flags(fd);
        if (r == PN_OK)
            r = tune_stream(fd);
        if (r != PN_OK) {
            close(fd);
            return r;
        }
        take_entry(px, h, fd, PN_PX_TCP, l->family);
        if (peer != NULL)
            from_sockaddr(&ss, peer);
        return h;
    }
}

int pn_px_tcp_connect(void *ctx, const pn_addr *to)
{
    pn_posix *px = ctx;
    struct sockaddr_storage ss;
    socklen_t sl;
    int h, fd, r, e;
    if (px == NULL || to == NULL)
        return PN_ERR_ARG;
    h = free_entry(px);
    if (h < 0)
        return h;
    r = to_sockaddr(to, &ss, &sl);
    if (r == PN_OK)
        r = new_socket(to, SOCK_STREAM, &fd);
    if (r != PN_OK)
        return r;
    take_entry(px, h, fd, PN_PX_TCP, to->family);
    if (connect(fd, (struct sockaddr *)&ss, sl) == 0)
        return h;
    e = errno;
    /* POSIX: an interrupted connect carries on asynchronously, like EINPROGRESS. */
    if (e == EINPROGRESS || e == EINTR) {
        px->socks[h].pending = 1;
        return h;
    }
    r = pn_posix_err(e);
    if (r == PN_ERR_REFUSED || r == PN_ERR_UNREACHABLE || r == PN_ERR_TIMEOUT) {
        /* platform.h: connect failures show up on send/recv, even when immediate. */
        px->socks[h].failed = r;
        return h;
    }
    pn_px_sock_close(px, h);
    return r;
}

/* PN_OK once connected, PN_ERR_WOULDBLOCK while connecting, or the sticky error. */
static int stream_ready(pn_posix_sock *s)
{
    struct pollfd pfd;
    int r, err = 0;
    socklen_t el = sizeof err;
    if (s->failed != 0)
        return s->failed;
    if (!s->pending)
        return PN_OK;
    pfd.fd = s->fd;
    pfd.events = POLLOUT;
    pfd.revents = 0;
    r = poll(&pfd, 1, 0);
    if (r < 0)
        return errno == EINTR ? PN_ERR_WOULDBLOCK : pn_px_errno();
    if (r == 0)
        return PN_ERR_WOULDBLOCK;
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0)
        err = errno;
    s->pending = 0;
    if (err != 0) {
        r = pn_posix_err(err);
        /* A connect can only fail as refused, unreachable or timed out to the caller. */
        if (r != PN_ERR_REFUSED && r != PN_ERR_UNREACHABLE && r != PN_ERR_TIMEOUT)
            r = PN_ERR_UNREACHABLE;
        s->failed = r;
        return r;
    }
    return PN_OK;
}

/* After a reset every later call reports it too (the kernel would report EOF). */
static int stream_error(pn_posix_sock *s, int e)
{
    int r = pn_posix_err(e);
    if (r == PN_ERR_CLOSED || r == PN_ERR_TIMEOUT || r == PN_ERR_UNREACHABLE)
        s->failed = r;
    return r;
}

int pn_px_tcp_send(void *ctx, int sock, const uint8_t *buf, size_t len)
{
    pn_posix_sock *s = entry(ctx, sock, PN_PX_TCP);
    ssize_t n;
    int r;
    if (s == NULL || (buf == NULL && len > 0))
        return PN_ERR_ARG;
    r = stream_ready(s);
    if (r != PN_OK)
        return r;
    if (len == 0)
        return 0;
    if (len > INT_MAX)
        len = INT_MAX; /* a short write, as the contract allows */
    do
        n = send(s->fd, buf, len, PX_SEND_FLAGS);
    while (n < 0 && errno == EINTR);
    return n < 0 ? stream_error(s, errno) : (int)n;
}

int pn_px_tcp_recv(void *ctx, int sock, uint8_t *buf, size_t cap)
{
    pn_posix_sock *s = entry(ctx, sock, PN_PX_TCP);
    ssize_t n;
    int r;
    if (s == NULL || buf == NULL || cap == 0)
        return PN_ERR_ARG;
    r = stream_ready(s);
    if (r != PN_OK)
        return r;
    if (cap > INT_MAX)
        cap = INT_MAX;
    do
        n = recv(s->fd, buf, cap, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return stream_error(s, errno);
    if (n == 0)
        s->eof = 1;
    return (int)n;
}

/* ---- any socket ---------------------------------------------------------------------- */

int pn_px_sock_close(void *ctx, int sock)
{
    pn_posix_sock *s = entry(ctx, sock, PN_PX_FREE);
    if (s == NULL)
        return PN_ERR_ARG;
    /* Not retried on EINTR: on Linux the descriptor is gone either way. */
    if (s->fd >= 0)
        close(s->fd);
    memset(s, 0, sizeof *s);
    s->fd = -1;
    return PN_OK;
}

int pn_px_sock_name(void *ctx, int sock, pn_addr *out)
{
    pn_posix_sock *s = entry(ctx, sock, PN_PX_FREE);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (s == NULL || out == NULL)
        return PN_ERR_ARG;
    memset(&ss, 0, sizeof ss);
    if (getsockname(s->fd, (struct sockaddr *)&ss, &sl) != 0)
        return pn_px_errno();
    from_sockaddr(&ss, out);
    return PN_OK;
}

int pn_px_wait(void *ctx, uint64_t deadline_ms)
{
    pn_posix *px = ctx;
    struct pollfd fds[PN_POSIX_MAX_SOCKETS];
    nfds_t n = 0;
    int i, sticky = 0;
    if (px == NULL)
        return PN_ERR_ARG;
    for (i = 0; i < PN_POSIX_MAX_SOCKETS; i++) {
        const pn_posix_sock *s = &px->socks[i];
        if (s->kind == PN_PX_FREE)
            continue;
        /* Something the driver has not dealt with yet: do not sleep over it. */
        if (s->failed != 0 || s->eof)
            sticky++;
        fds[n].fd = s->fd;
        fds[n].events = (short)(POLLIN | (s->pending ? POLLOUT : 0));
        fds[n].revents = 0;
        n++;
    }
    for (;;) {
        uint64_t now = pn_px_now_ms(px);
        int timeout = 0, r;
        if (sticky == 0 && deadline_ms > now)
            timeout = deadline_ms - now > INT_MAX ? INT_MAX : (int)(deadline_ms - now);
        r = poll(fds, n, timeout);
        if (r < 0) {
            if (errno == EINTR)
                continue; /* the deadline is recomputed from the clock */
            return pn_px_errno();
        }
        if (r > 0 || sticky > 0)
            return r > sticky ? r : sticky;
        /* poll() may wake a little before a millisecond boundary: sleep the rest. */
        if (pn_px_now_ms(px) >= deadline_ms)
            return 0;
    }
}
