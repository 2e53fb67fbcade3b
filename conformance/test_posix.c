/* The POSIX platform (src/platform/posix) on real loopback sockets and a scratch
 * directory, and `peernet probe` end to end.  Every socket binds port 0 and learns its
 * port from sock_name, so suites can run in parallel. */
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "peernet/pnrp_ssdp.h"
#include "peernet/posix.h"
#include "pn_test.h"

/* How long a test waits for loopback traffic before calling it lost: generous, because
 * it bounds a failure, not a measurement. */
#define LOOP_MS 3000

typedef struct fixture {
    pn_posix px;
    pn_platform p;
    char dir[64];
} fixture;

static void fx_init(fixture *f, int with_storage)
{
    pn_posix_config cfg;
    pn_posix_config_default(&cfg);
    f->dir[0] = '\0';
    if (with_storage) {
        strcpy(f->dir, "/tmp/pn_posix_XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(f->dir));
        cfg.storage_dir = f->dir;
    }
    ck_assert_int_eq(pn_posix_init(&f->px, &cfg), PN_OK);
    f->p = pn_posix_platform(&f->px);
}

/* Entries in the storage directory, and the first one's name. */
static int dir_entries(const char *dir, char *first, size_t cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n++ == 0 && first != NULL)
            snprintf(first, cap, "%s", e->d_name);
    }
    closedir(d);
    return n;
}

static void fx_done(fixture *f)
{
    pn_posix_close(&f->px);
    if (f->dir[0] != '\0') {
        DIR *d = opendir(f->dir);
        struct dirent *e;
        char path[400];
        while (d != NULL && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", f->dir, e->d_name);
            unlink(path);
        }
        if (d != NULL)
            closedir(d);
        rmdir(f->dir);
    }
}

static pn_addr loop6(uint16_t port)
{
    pn_addr a;
    ck_assert_int_eq(pn_addr_parse(&a, "[::1]"), PN_OK);
    a.port = port;
    return a;
}

static pn_addr name_of(fixture *f, int h)
{
    pn_addr a;
    ck_assert_int_eq(f->p.sock_name(f->p.ctx, h, &a), PN_OK);
    return a;
}

static uint64_t soon(fixture *f)
{
    return f->p.now_ms(f->p.ctx) + LOOP_MS;
}

/* udp_recv, waiting for the datagram if it is not there yet. */
static int udp_recv_wait(fixture *f, int h, pn_addr *from, uint8_t *buf, size_t cap)
{
    uint64_t deadline = soon(f);
    int n;
    while ((n = f->p.udp_recv(f->p.ctx, h, from, buf, cap)) == PN_ERR_WOULDBLOCK &&
           f->p.now_ms(f->p.ctx) < deadline)
        ck_assert_int_ge(f->p.wait(f->p.ctx, deadline), 0);
    return n;
}

/* ---- clock, random, errno ------------------------------------------------------------ */

START_TEST(posix_monotonic_clock_never_goes_back)
{
    fixture f;
    uint64_t prev, now;
    int i;
    fx_init(&f, 0);
    prev = f.p.now_ms(f.p.ctx);
    for (i = 0; i < 100000; i++) {
        now = f.p.now_ms(f.p.ctx);
        ck_assert(now >= prev);
        prev = now;
    }
    /* Wall time is milliseconds since 1970: anything this code runs at is past 2020. */
    ck_assert(f.p.wall_ms(f.p.ctx) > INT64_C(1577836800000));
    fx_done(&f);
}
END_TEST

START_TEST(posix_random_fills_and_differs)
{
    fixture f;
    static uint8_t a[1000], b[1000]; /* over 256 bytes: getrandom may return short */
    size_t i, zeros = 0;
    fx_init(&f, 0);
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    ck_assert_int_eq(f.p.random(f.p.ctx, a, sizeof a), PN_OK);
    ck_assert_int_eq(f.p.random(f.p.ctx, b, sizeof b), PN_OK);
    ck_assert_int_eq(f.p.random(f.p.ctx, NULL, 0), PN_OK);
    ck_assert(memcmp(a, b, sizeof a) != 0);
    for (i = 0; i < sizeof a; i++)
        zeros += a[i] == 0;
    ck_assert_uint_lt(zeros, 40); /* about 4 expected; 40 is beyond any fair source */
    ck_assert(memcmp(a + 500, b + 500, 16) != 0); /* the tail is filled too */
    fx_done(&f);
}
END_TEST

START_TEST(posix_errno_maps_to_pn_err)
{
    ck_assert_int_eq(pn_posix_err(0), PN_OK);
    ck_assert_int_eq(pn_posix_err(EAGAIN), PN_ERR_WOULDBLOCK);
    ck_assert_int_eq(pn_posix_err(EWOULDBLOCK), PN_ERR_WOULDBLOCK);
    ck_assert_int_eq(pn_posix_err(EINPROGRESS), PN_ERR_WOULDBLOCK);
    ck_assert_int_eq(pn_posix_err(ECONNREFUSED), PN_ERR_REFUSED);
    ck_assert_int_eq(pn_posix_err(ENETUNREACH), PN_ERR_UNREACHABLE);
    ck_assert_int_eq(pn_posix_err(EHOSTUNREACH), PN_ERR_UNREACHABLE);
    ck_assert_int_eq(pn_posix_err(ETIMEDOUT), PN_ERR_TIMEOUT);
    ck_assert_int_eq(pn_posix_err(ECONNRESET), PN_ERR_CLOSED);
    ck_assert_int_eq(pn_posix_err(EPIPE), PN_ERR_CLOSED);
    ck_assert_int_eq(pn_posix_err(EADDRINUSE), PN_ERR_EXISTS);
    ck_assert_int_eq(pn_posix_err(ENOENT), PN_ERR_NOTFOUND);
    ck_assert_int_eq(pn_posix_err(EMSGSIZE), PN_ERR_BUFSIZE);
    ck_assert_int_eq(pn_posix_err(EMFILE), PN_ERR_NOMEM);
    ck_assert_int_eq(pn_posix_err(EAFNOSUPPORT), PN_ERR_PLATFORM_ADDR);
    ck_assert_int_eq(pn_posix_err(EINVAL), PN_ERR_ARG);
    ck_assert_int_eq(pn_posix_err(EOPNOTSUPP), PN_ERR_UNSUPPORTED);
    ck_assert_int_eq(pn_posix_err(EIO), PN_ERR_IO);
    ck_assert_int_eq(pn_posix_err(ENOSPC), PN_ERR_IO);
}
END_TEST

/* ---- UDP ----------------------------------------------------------------------------- */

START_TEST(posix_udp_loopback_delivers_payload_and_sender)
{
    fixture f;
    pn_addr any6 = loop6(0), na, nb, from;
    uint8_t buf[64];
    int a, b;
    fx_init(&f, 0);
    a = f.p.udp_open(f.p.ctx, &any6);
    b = f.p.udp_open(f.p.ctx, &any6);
    ck_assert_int_ge(a, 0);
    ck_assert_int_ge(b, 0);
    ck_assert_int_ne(a, b);
    na = name_of(&f, a);
    nb = name_of(&f, b);
    ck_assert_uint_eq(na.family, PN_AF_INET6);
    ck_assert_uint_ne(na.port, 0);
    ck_assert_uint_ne(nb.port, 0);
    ck_assert_uint_ne(na.port, nb.port);

    ck_assert_int_eq(f.p.udp_send(f.p.ctx, a, &nb, (const uint8_t *)"hello", 5), 5);
    ck_assert_int_eq(udp_recv_wait(&f, b, &from, buf, sizeof buf), 5);
    ck_assert(memcmp(buf, "hello", 5) == 0);
    ck_assert(pn_addr_equal(&from, &na));
    ck_assert_uint_eq(from.port, na.port);

    /* And back, to the address the datagram came from; an empty datagram is legal. */
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, b, &from, NULL, 0), 0);
    ck_assert_int_eq(udp_recv_wait(&f, a, &from, buf, sizeof buf), 0);
    ck_assert(pn_addr_equal(&from, &nb));
    fx_done(&f);
}
END_TEST

/* An interface that can send multicast and has an IPv6 link-local address, or 0. */
static unsigned multicast_ifindex(void)
{
    struct ifaddrs *ifs, *i;
    unsigned idx = 0;
    if (getifaddrs(&ifs) != 0)
        return 0;
    for (i = ifs; i != NULL && idx == 0; i = i->ifa_next)
        if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET6 &&
            (i->ifa_flags & IFF_MULTICAST) && (i->ifa_flags & IFF_UP) &&
            !(i->ifa_flags & IFF_LOOPBACK) &&
            IN6_IS_ADDR_LINKLOCAL(&((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr))
            idx = if_nametoindex(i->ifa_name);
    freeifaddrs(ifs);
    /* The system must also accept a group join and the multicast options on it
     * (qemu-user, for one, refuses some of them): probed here without the library, so that a
     * refusal of the environment reads "not run" and a fault of the library still fails. */
    if (idx != 0) {
        struct ipv6_mreq mr;
        int fd = socket(AF_INET6, SOCK_DGRAM, 0);
        memset(&mr, 0, sizeof mr);
        memcpy(&mr.ipv6mr_multiaddr, pn_pnrp_ssdp_group_link, 16);
        mr.ipv6mr_interface = idx;
        int one = 1;
        if (fd < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof mr) != 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof idx) != 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &one, sizeof one) != 0 ||
            setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof one) != 0)
            idx = 0;
        if (fd >= 0)
            close(fd);
    }
    return idx;
}

/* Two members of the SSDP group on one host both get an M-SEARCH sent to the group. */
START_TEST(posix_udp_join_receives_group_datagrams)
{
    fixture f;
    pn_addr group, from;
    pn_pnrp_ssdp_msg m;
    uint8_t buf[PN_PNRP_SSDP_MAX];
    unsigned ifx = multicast_ifindex();
    uint16_t port = (uint16_t)(40000 + getpid() % 20000);
    int a, b, len;
    PN_REQ("PNRP-1.3.3.1-02");
    if (ifx == 0) {
        fprintf(stderr, "posix_udp_join_receives_group_datagrams: no multicast interface "
                        "that accepts a group join, not run\n");
        return;
    }
    fx_init(&f, 0);
    a = pn_posix_udp_join(&f.px, port, pn_pnrp_ssdp_group_link, ifx);
    b = pn_posix_udp_join(&f.px, port, pn_pnrp_ssdp_group_link, ifx);
    ck_assert_int_ge(a, 0);
    ck_assert_int_ge(b, 0);
    {
        static const uint8_t unicast[16] = {0x20, 0x01};
        ck_assert_int_eq(pn_posix_udp_join(&f.px, port, unicast, ifx), PN_ERR_ARG);
    }
    memset(&m, 0, sizeof m);
    m.type = PN_PNRP_SSDP_MSEARCH;
    m.scope = PN_PNRP_SCOPE_LINK;
    len = pn_pnrp_ssdp_encode(&m, buf, sizeof buf);
    ck_assert_int_gt(len, 0);
    memset(&group, 0, sizeof group);
    group.family = PN_AF_INET6;
    memcpy(group.ip, pn_pnrp_ssdp_group_link, 16);
    group.port = port;
    group.scope_id = ifx;
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, a, &group, buf, (size_t)len), len);
    memset(buf, 0, sizeof buf);
    ck_assert_int_eq(udp_recv_wait(&f, b, &from, buf, sizeof buf), len);
    ck_assert_int_eq(pn_pnrp_ssdp_decode(buf, (size_t)len, &m), PN_OK);
    ck_assert_int_eq(m.type, PN_PNRP_SSDP_MSEARCH);
    ck_assert_int_eq(udp_recv_wait(&f, a, &from, buf, sizeof buf), len); /* looped back */
    pn_posix_close(&f.px);
}
END_TEST

START_TEST(posix_udp_recv_when_empty_would_block)
{
    fixture f;
    pn_addr any6 = loop6(0), from;
    uint8_t buf[16];
    int a;
    fx_init(&f, 0);
    a = f.p.udp_open(f.p.ctx, &any6);
    ck_assert_int_ge(a, 0);
    ck_assert_int_eq(f.p.udp_recv(f.p.ctx, a, &from, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    ck_assert_int_eq(f.p.udp_recv(f.p.ctx, a, NULL, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    fx_done(&f);
}
END_TEST

START_TEST(posix_udp_truncated_datagram_is_dropped_whole)
{
    fixture f;
    pn_addr any6 = loop6(0), nb, from;
    uint8_t big[100], buf[10];
    int a, b;
    fx_init(&f, 0);
    memset(big, 0xAB, sizeof big);
    a = f.p.udp_open(f.p.ctx, &any6);
    b = f.p.udp_open(f.p.ctx, &any6);
    nb = name_of(&f, b);
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, a, &nb, big, sizeof big), 100);
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, a, &nb, (const uint8_t *)"small", 5), 5);
    ck_assert_int_eq(udp_recv_wait(&f, b, &from, buf, sizeof buf), PN_ERR_BUFSIZE);
    /* The next read is the next datagram, not the rest of the big one. */
    ck_assert_int_eq(udp_recv_wait(&f, b, &from, buf, sizeof buf), 5);
    ck_assert(memcmp(buf, "small", 5) == 0);
    ck_assert_int_eq(f.p.udp_recv(f.p.ctx, b, &from, buf, sizeof buf), PN_ERR_WOULDBLOCK);
    fx_done(&f);
}
END_TEST

START_TEST(posix_udp_oversized_send_is_bufsize)
{
    fixture f;
    pn_addr any6 = loop6(0), nb;
    static uint8_t huge[70000]; /* beyond the 65,535-byte IPv6 UDP payload limit */
    int a, b;
    fx_init(&f, 0);
    a = f.p.udp_open(f.p.ctx, &any6);
    b = f.p.udp_open(f.p.ctx, &any6);
    nb = name_of(&f, b);
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, a, &nb, huge, sizeof huge), PN_ERR_BUFSIZE);
    fx_done(&f);
}
END_TEST

START_TEST(posix_udp_ipv4_through_family_4)
{
    fixture f;
    pn_addr any4, nb, from, six = loop6(9);
    uint8_t buf[16];
    int a, b;
    fx_init(&f, 0);
    ck_assert_int_eq(pn_addr_parse(&any4, "127.0.0.1:0"), PN_OK);
    a = f.p.udp_open(f.p.ctx, &any4);
    b = f.p.udp_open(f.p.ctx, &any4);
    ck_assert_int_ge(a, 0);
    ck_assert_int_ge(b, 0);
    nb = name_of(&f, b);
    ck_assert_uint_eq(nb.family, PN_AF_INET);
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, a, &nb, (const uint8_t *)"v4", 2), 2);
    ck_assert_int_eq(udp_recv_wait(&f, b, &from, buf, sizeof buf), 2);
    ck_assert_uint_eq(from.family, PN_AF_INET);
    ck_assert_uint_eq(from.ip[0], 127);
    ck_assert_uint_eq(from.port, name_of(&f, a).port);
    /* An IPv4 socket cannot reach an IPv6 address (sockets are single-family). */
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, a, &six, buf, 1), PN_ERR_PLATFORM_ADDR);
    fx_done(&f);
}
END_TEST

START_TEST(posix_bad_handles_are_rejected)
{
    fixture f;
    pn_addr any6 = loop6(0), name;
    uint8_t buf[4];
    int l;
    fx_init(&f, 0);
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, -1, &any6, buf, 1), PN_ERR_ARG);
    ck_assert_int_eq(f.p.udp_recv(f.p.ctx, PN_POSIX_MAX_SOCKETS, NULL, buf, 4), PN_ERR_ARG);
    ck_assert_int_eq(f.p.sock_close(f.p.ctx, 3), PN_ERR_ARG);
    ck_assert_int_eq(f.p.sock_name(f.p.ctx, 0, &name), PN_ERR_ARG);
    l = f.p.tcp_listen(f.p.ctx, &any6);
    ck_assert_int_ge(l, 0);
    /* A handle of another kind is not accepted either. */
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, l, &any6, buf, 1), PN_ERR_ARG);
    ck_assert_int_eq(f.p.tcp_send(f.p.ctx, l, buf, 1), PN_ERR_ARG);
    ck_assert_int_eq(pn_posix_fd(&f.px, 5), -1);
    ck_assert_int_ge(pn_posix_fd(&f.px, l), 0);
    ck_assert_int_eq(f.p.sock_close(f.p.ctx, l), PN_OK);
    ck_assert_int_eq(f.p.sock_close(f.p.ctx, l), PN_ERR_ARG);
    fx_done(&f);
}
END_TEST

START_TEST(posix_socket_table_full_is_nomem)
{
    fixture f;
    pn_addr any6 = loop6(0);
    int i, h;
    fx_init(&f, 0);
    for (i = 0; i < PN_POSIX_MAX_SOCKETS; i++)
        ck_assert_int_eq(f.p.udp_open(f.p.ctx, &any6), i);
    ck_assert_int_eq(f.p.udp_open(f.p.ctx, &any6), PN_ERR_NOMEM);
    ck_assert_int_eq(f.p.tcp_connect(f.p.ctx, &any6), PN_ERR_NOMEM);
    /* A freed entry is reused. */
    ck_assert_int_eq(f.p.sock_close(f.p.ctx, 7), PN_OK);
    h = f.p.udp_open(f.p.ctx, &any6);
    ck_assert_int_eq(h, 7);
    fx_done(&f);
}
END_TEST

/* ---- TCP ----------------------------------------------------------------------------- */

/* A connected pair over [::1]: *cli from tcp_connect, *srv from tcp_accept. */
static void tcp_pair(fixture *f, int *lis, int *cli, int *srv, pn_addr *peer)
{
    pn_addr any6 = loop6(0), ln;
    uint64_t deadline = soon(f);
    *lis = f->p.tcp_listen(f->p.ctx, &any6);
    ck_assert_int_ge(*lis, 0);
    ln = name_of(f, *lis);
    ck_assert_uint_ne(ln.port, 0);
    *cli = f->p.tcp_connect(f->p.ctx, &ln);
    ck_assert_int_ge(*cli, 0);
    while ((*srv = f->p.tcp_accept(f->p.ctx, *lis, peer)) == PN_ERR_WOULDBLOCK) {
        ck_assert(f->p.now_ms(f->p.ctx) < deadline);
        ck_assert_int_ge(f->p.wait(f->p.ctx, deadline), 0);
    }
    ck_assert_int_ge(*srv, 0);
}

/* tcp_send the whole buffer, waiting while the connection is not ready. */
static void tcp_send_all(fixture *f, int h, const uint8_t *buf, size_t len)
{
    uint64_t deadline = soon(f);
    size_t off = 0;
    while (off < len) {
        int n = f->p.tcp_send(f->p.ctx, h, buf + off, len - off);
        if (n == PN_ERR_WOULDBLOCK) {
            ck_assert(f->p.now_ms(f->p.ctx) < deadline);
            ck_assert_int_ge(f->p.wait(f->p.ctx, f->p.now_ms(f->p.ctx) + 5), 0);
            continue;
        }
        ck_assert_int_gt(n, 0);
        off += (size_t)n;
    }
}

/* tcp_recv once, waiting while nothing is pending. */
static int tcp_recv_wait(fixture *f, int h, uint8_t *buf, size_t cap)
{
    uint64_t deadline = soon(f);
    int n;
    while ((n = f->p.tcp_recv(f->p.ctx, h, buf, cap)) == PN_ERR_WOULDBLOCK) {
        ck_assert(f->p.now_ms(f->p.ctx) < deadline);
        ck_assert_int_ge(f->p.wait(f->p.ctx, deadline), 0);
    }
    return n;
}

START_TEST(posix_tcp_stream_partial_reads_and_orderly_close)
{
    fixture f;
    pn_addr peer, cn;
    static uint8_t out[1000], in[1000];
    size_t got = 0, i;
    int lis, cli, srv, n;
    fx_init(&f, 0);
    tcp_pair(&f, &lis, &cli, &srv, &peer);
    cn = name_of(&f, cli);
    ck_assert(pn_addr_equal(&peer, &cn)); /* accept reports the client's address */
    ck_assert_uint_eq(peer.family, PN_AF_INET6);

    for (i = 0; i < sizeof out; i++)
        out[i] = (uint8_t)(i * 7 + 3);
    tcp_send_all(&f, cli, out, sizeof out);
    /* Reads smaller than what is queued return at most cap bytes each. */
    while (got < sizeof out) {
        n = tcp_recv_wait(&f, srv, in + got, 100);
        ck_assert_int_gt(n, 0);
        ck_assert_int_le(n, 100);
        got += (size_t)n;
    }
    ck_assert(memcmp(in, out, sizeof out) == 0);
    ck_assert_int_eq(f.p.tcp_recv(f.p.ctx, srv, in, sizeof in), PN_ERR_WOULDBLOCK);

    /* The other direction, then an orderly close seen as 0. */
    tcp_send_all(&f, srv, (const uint8_t *)"pong", 4);
    ck_assert_int_eq(tcp_recv_wait(&f, cli, in, sizeof in), 4);
    ck_assert(memcmp(in, "pong", 4) == 0);
    ck_assert_int_eq(f.p.tcp_recv(f.p.ctx, cli, in, 0), PN_ERR_ARG); /* 0 means EOF */
    ck_assert_int_eq(f.p.sock_close(f.p.ctx, cli), PN_OK);
    ck_assert_int_eq(tcp_recv_wait(&f, srv, in, sizeof in), 0);
    ck_assert_int_eq(f.p.tcp_recv(f.p.ctx, srv, in, sizeof in), 0);
    /* wait() does not sleep over a stream at its end that the driver still holds. */
    ck_assert_int_gt(f.p.wait(f.p.ctx, f.p.now_ms(f.p.ctx) + 60000), 0);
    fx_done(&f);
}
END_TEST

START_TEST(posix_tcp_ipv4_through_family_4)
{
    fixture f;
    pn_addr any4, ln, peer;
    uint8_t buf[8];
    uint64_t deadline;
    int lis, cli, srv;
    fx_init(&f, 0);
    ck_assert_int_eq(pn_addr_parse(&any4, "127.0.0.1:0"), PN_OK);
    lis = f.p.tcp_listen(f.p.ctx, &any4);
    ck_assert_int_ge(lis, 0);
    ln = name_of(&f, lis);
    ck_assert_uint_eq(ln.family, PN_AF_INET);
    cli = f.p.tcp_connect(f.p.ctx, &ln);
    ck_assert_int_ge(cli, 0);
    deadline = soon(&f);
    while ((srv = f.p.tcp_accept(f.p.ctx, lis, &peer)) == PN_ERR_WOULDBLOCK) {
        ck_assert(f.p.now_ms(f.p.ctx) < deadline);
        ck_assert_int_ge(f.p.wait(f.p.ctx, deadline), 0);
    }
    ck_assert_int_ge(srv, 0);
    ck_assert_uint_eq(peer.family, PN_AF_INET);
    ck_assert_uint_eq(peer.ip[0], 127);
    tcp_send_all(&f, cli, (const uint8_t *)"four", 4);
    ck_assert_int_eq(tcp_recv_wait(&f, srv, buf, sizeof buf), 4);
    ck_assert(memcmp(buf, "four", 4) == 0);
    fx_done(&f);
}
END_TEST

START_TEST(posix_tcp_send_is_partial_when_buffers_fill)
{
    fixture f;
    pn_addr peer;
    static uint8_t chunk[65536], in[65536];
    size_t sent = 0, got = 0, wrong = 0, i;
    int lis, cli, srv, n, blocked = 0;
    fx_init(&f, 0);
    tcp_pair(&f, &lis, &cli, &srv, &peer);
    for (i = 0; i < sizeof chunk; i++)
        chunk[i] = (uint8_t)i; /* stream byte k is (k mod 256): chunk size is a multiple */
    tcp_send_all(&f, cli, chunk, 1);
    sent = 1;
    /* Nobody reads: the kernel buffers fill and send stops blocking-free. */
    while (sent < (size_t)64 << 20) {
        size_t off = sent % sizeof chunk;
        n = f.p.tcp_send(f.p.ctx, cli, chunk + off, sizeof chunk - off);
        if (n == PN_ERR_WOULDBLOCK) {
            blocked = 1;
            break;
        }
        ck_assert_int_gt(n, 0);
        ck_assert_int_le(n, (int)(sizeof chunk - off));
        sent += (size_t)n;
    }
    ck_assert_int_eq(blocked, 1);
    while (got < sent) {
        n = tcp_recv_wait(&f, srv, in, sizeof in);
        ck_assert_int_gt(n, 0);
        for (i = 0; i < (size_t)n; i++)
            wrong += in[i] != (uint8_t)(got + i);
        got += (size_t)n;
    }
    ck_assert_uint_eq(got, sent);
    ck_assert_uint_eq(wrong, 0); /* every byte in order, none lost or repeated */
    fx_done(&f);
}
END_TEST

START_TEST(posix_tcp_connect_to_closed_port_is_refused)
{
    fixture f;
    pn_addr any6 = loop6(0), dead;
    uint8_t b[4] = {1, 2, 3, 4};
    uint64_t deadline;
    int lis, c, r;
    fx_init(&f, 0);
    /* A port known to be free a moment ago: bind one, then close it. */
    lis = f.p.tcp_listen(f.p.ctx, &any6);
    dead = name_of(&f, lis);
    ck_assert_int_eq(f.p.sock_close(f.p.ctx, lis), PN_OK);
    c = f.p.tcp_connect(f.p.ctx, &dead);
    ck_assert_int_ge(c, 0); /* the failure shows on send/recv, not here */
    deadline = soon(&f);
    while ((r = f.p.tcp_send(f.p.ctx, c, b, sizeof b)) == PN_ERR_WOULDBLOCK) {
        ck_assert(f.p.now_ms(f.p.ctx) < deadline);
        ck_assert_int_ge(f.p.wait(f.p.ctx, deadline), 0);
    }
    ck_assert_int_eq(r, PN_ERR_REFUSED);
    ck_assert_int_eq(f.p.tcp_recv(f.p.ctx, c, b, sizeof b), PN_ERR_REFUSED); /* sticky */
    ck_assert_int_eq(f.p.sock_close(f.p.ctx, c), PN_OK);
    fx_done(&f);
}
END_TEST

START_TEST(posix_tcp_reset_is_closed)
{
    fixture f;
    pn_addr peer;
    struct linger lg;
    uint8_t b[8];
    int lis, cli, srv;
    fx_init(&f, 0);
    tcp_pair(&f, &lis, &cli, &srv, &peer);
    tcp_send_all(&f, cli, (const uint8_t *)"x", 1);
    ck_assert_int_eq(tcp_recv_wait(&f, srv, b, sizeof b), 1);
    /* Linger 0: close() sends a reset instead of a FIN. */
    lg.l_onoff = 1;
    lg.l_linger = 0;
    ck_assert_int_eq(setsockopt(pn_posix_fd(&f.px, srv), SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    ck_assert_int_eq(f.p.sock_close(f.p.ctx, srv), PN_OK);
    ck_assert_int_eq(tcp_recv_wait(&f, cli, b, sizeof b), PN_ERR_CLOSED);
    ck_assert_int_eq(f.p.tcp_recv(f.p.ctx, cli, b, sizeof b), PN_ERR_CLOSED);
    ck_assert_int_eq(f.p.tcp_send(f.p.ctx, cli, b, 1), PN_ERR_CLOSED);
    fx_done(&f);
}
END_TEST

/* ---- wait ---------------------------------------------------------------------------- */

START_TEST(posix_wait_returns_when_data_arrives)
{
    fixture f;
    pn_addr any6 = loop6(0), nb;
    uint8_t buf[8];
    int a, b, r;
    fx_init(&f, 0);
    a = f.p.udp_open(f.p.ctx, &any6);
    b = f.p.udp_open(f.p.ctx, &any6);
    nb = name_of(&f, b);
    ck_assert_int_eq(f.p.udp_send(f.p.ctx, a, &nb, (const uint8_t *)"ping", 4), 4);
    /* A one-minute deadline: the test would time out if wait slept through the data. */
    r = f.p.wait(f.p.ctx, f.p.now_ms(f.p.ctx) + 60000);
    ck_assert_int_gt(r, 0);
    ck_assert_int_eq(f.p.udp_recv(f.p.ctx, b, NULL, buf, sizeof buf), 4);
    fx_done(&f);
}
END_TEST

START_TEST(posix_wait_returns_at_the_deadline)
{
    fixture f;
    pn_addr any6 = loop6(0);
    uint64_t deadline;
    fx_init(&f, 0);
    ck_assert_int_ge(f.p.udp_open(f.p.ctx, &any6), 0);
    deadline = f.p.now_ms(f.p.ctx) + 20;
    ck_assert_int_eq(f.p.wait(f.p.ctx, deadline), 0);
    ck_assert(f.p.now_ms(f.p.ctx) >= deadline); /* never early */
    ck_assert_int_eq(f.p.wait(f.p.ctx, 0), 0);  /* a past deadline just polls */
    fx_done(&f);
}
END_TEST

/* ---- storage ------------------------------------------------------------------------- */

START_TEST(posix_storage_missing_blob_is_notfound)
{
    fixture f;
    uint8_t buf[8];
    fx_init(&f, 1);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "absent", buf, sizeof buf), PN_ERR_NOTFOUND);
    fx_done(&f);
}
END_TEST

START_TEST(posix_storage_replace_then_read_back)
{
    fixture f;
    uint8_t buf[32];
    struct stat st;
    char path[128];
    fx_init(&f, 1);
    ck_assert_int_eq(f.p.storage_replace(f.p.ctx, "node.key", (const uint8_t *)"secret", 6), PN_OK);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "node.key", buf, sizeof buf), 6);
    ck_assert(memcmp(buf, "secret", 6) == 0);
    /* Blobs may hold private keys: owner-only. */
    snprintf(path, sizeof path, "%s/node.key", f.dir);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 077, 0);
    /* Empty blobs exist and read as 0 bytes. */
    ck_assert_int_eq(f.p.storage_replace(f.p.ctx, "empty", NULL, 0), PN_OK);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "empty", buf, sizeof buf), 0);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "empty", NULL, 0), 0);
    fx_done(&f);
}
END_TEST

START_TEST(posix_storage_replace_is_whole_and_leaves_no_temporary)
{
    fixture f;
    static uint8_t big[5000], buf[5000];
    char first[300], path[128];
    FILE *stale;
    fx_init(&f, 1);
    memset(big, 'A', sizeof big);
    ck_assert_int_eq(f.p.storage_replace(f.p.ctx, "graph-db", big, sizeof big), PN_OK);
    /* A shorter replacement leaves nothing of the longer old content. */
    ck_assert_int_eq(f.p.storage_replace(f.p.ctx, "graph-db", (const uint8_t *)"BBB", 3), PN_OK);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "graph-db", buf, sizeof buf), 3);
    ck_assert(memcmp(buf, "BBB", 3) == 0);
    ck_assert_int_eq(dir_entries(f.dir, first, sizeof first), 1);
    ck_assert_str_eq(first, "graph-db");

    /* A crash between writing the temporary file and the rename: the blob still reads
     * as the old one, and the next replace takes over the leftover. */
    snprintf(path, sizeof path, "%s/graph-db~", f.dir);
    stale = fopen(path, "wb");
    ck_assert_ptr_nonnull(stale);
    fputs("half-written junk", stale);
    fclose(stale);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "graph-db", buf, sizeof buf), 3);
    ck_assert(memcmp(buf, "BBB", 3) == 0);
    ck_assert_int_eq(f.p.storage_replace(f.p.ctx, "graph-db", big, 10), PN_OK);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "graph-db", buf, sizeof buf), 10);
    ck_assert(memcmp(buf, big, 10) == 0);
    ck_assert_int_eq(dir_entries(f.dir, first, sizeof first), 1);
    ck_assert_str_eq(first, "graph-db");
    fx_done(&f);
}
END_TEST

START_TEST(posix_storage_rejects_invalid_names)
{
    static const char *const bad[] = {
        "",       ".",     "..",
        "a/b",    "../x",  "blob~",
        "sp ace", "tab\t", "x12345678901234567890123456789012345678901234567890123456789012345"};
    fixture f;
    uint8_t buf[4] = {0x5a, 0, 0, 0}; /* written once below: defined bytes */
    size_t i;
    fx_init(&f, 1);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(f.p.storage_replace(f.p.ctx, bad[i], buf, 1), PN_ERR_PLATFORM_NAME);
        ck_assert_int_eq(f.p.storage_read(f.p.ctx, bad[i], buf, sizeof buf), PN_ERR_PLATFORM_NAME);
    }
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, NULL, buf, sizeof buf), PN_ERR_PLATFORM_NAME);
    ck_assert_int_eq(dir_entries(f.dir, NULL, 0), 0); /* nothing was written */
    /* 64 characters is still a name. */
    ck_assert_int_eq(
        f.p.storage_replace(
            f.p.ctx, "x123456789012345678901234567890123456789012345678901234567890123", buf, 1),
        PN_OK);
    fx_done(&f);
}
END_TEST

START_TEST(posix_storage_small_buffer_is_bufsize)
{
    fixture f;
    uint8_t buf[16];
    fx_init(&f, 1);
    ck_assert_int_eq(f.p.storage_replace(f.p.ctx, "ten", (const uint8_t *)"0123456789", 10), PN_OK);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "ten", buf, 9), PN_ERR_BUFSIZE);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "ten", NULL, 0), PN_ERR_BUFSIZE);
    ck_assert_int_eq(f.p.storage_read(f.p.ctx, "ten", buf, 10), 10); /* exact fit */
    ck_assert(memcmp(buf, "0123456789", 10) == 0);
    fx_done(&f);
}
END_TEST

START_TEST(posix_storage_dir_is_created_or_unsupported)
{
    fixture f;
    pn_posix px;
    pn_posix_config cfg;
    pn_platform p;
    char sub[128];
    uint8_t buf[4];
    fx_init(&f, 1);
    snprintf(sub, sizeof sub, "%s/store", f.dir);
    pn_posix_config_default(&cfg);
    cfg.storage_dir = sub;
    ck_assert_int_eq(pn_posix_init(&px, &cfg), PN_OK); /* created */
    p = pn_posix_platform(&px);
    ck_assert_int_eq(p.storage_replace(p.ctx, "k", (const uint8_t *)"v", 1), PN_OK);
    pn_posix_close(&px);
    snprintf(sub, sizeof sub, "%s/store/k", f.dir);
    unlink(sub);
    snprintf(sub, sizeof sub, "%s/store", f.dir);
    rmdir(sub);
    /* Without a directory there is no storage. */
    ck_assert_int_eq(pn_posix_init(&px, NULL), PN_OK);
    p = pn_posix_platform(&px);
    ck_assert_int_eq(p.storage_read(p.ctx, "k", buf, sizeof buf), PN_ERR_UNSUPPORTED);
    ck_assert_int_eq(p.storage_replace(p.ctx, "k", buf, 1), PN_ERR_UNSUPPORTED);
    pn_posix_close(&px);
    fx_done(&f);
}
END_TEST

/* ---- log ----------------------------------------------------------------------------- */

START_TEST(posix_log_filters_by_level)
{
    pn_posix px;
    pn_posix_config cfg;
    pn_platform p;
    char line[128];
    int fds[2];
    ssize_t n;
    FILE *tmp = tmpfile();
    ck_assert_ptr_nonnull(tmp);
    pn_posix_config_default(&cfg);
    cfg.log_file = tmp;
    cfg.log_level = PN_LOG_WARN;
    ck_assert_int_eq(pn_posix_init(&px, &cfg), PN_OK);
    p = pn_posix_platform(&px);
    p.log(p.ctx, PN_LOG_INFO, "dropped");
    p.log(p.ctx, PN_LOG_ERROR, "kept");
    rewind(tmp);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, tmp));
    ck_assert_ptr_nonnull(strstr(line, "kept"));
    ck_assert_ptr_null(fgets(line, sizeof line, tmp)); /* one line only */
    fclose(tmp);
    pn_posix_close(&px);

    /* The same through a descriptor. */
    ck_assert_int_eq(pipe(fds), 0);
    cfg.log_file = NULL;
    cfg.log_fd = fds[1];
    cfg.log_level = PN_LOG_DEBUG;
    ck_assert_int_eq(pn_posix_init(&px, &cfg), PN_OK);
    p = pn_posix_platform(&px);
    p.log(p.ctx, PN_LOG_DEBUG, "through fd");
    n = read(fds[0], line, sizeof line - 1);
    ck_assert_int_gt(n, 0);
    line[n] = '\0';
    ck_assert_ptr_nonnull(strstr(line, "through fd\n"));
    pn_posix_close(&px);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

/* ---- peernet probe, end to end ------------------------------------------------------- */

/* Run the tool with argv; its stdout and stderr on *out (a pipe).  Returns the pid. */
static pid_t spawn_tool(const char *tool, const char *const argv[], int *out)
{
    int fds[2];
    pid_t pid;
    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execv(tool, (char *const *)(uintptr_t)argv); /* execv does not write them */
        _exit(127);
    }
    close(fds[1]);
    *out = fds[0];
    return pid;
}

/* Everything the child writes, then its exit status. */
static int finish_tool(pid_t pid, int out, char *text, size_t cap)
{
    size_t len = 0;
    ssize_t n;
    int status;
    while (len + 1 < cap && (n = read(out, text + len, cap - 1 - len)) > 0)
        len += (size_t)n;
    text[len] = '\0';
    close(out);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

START_TEST(posix_probe_tool_round_trip)
{
    const char *tool = getenv("PN_TOOL");
    char line[256], target[80], text[4096];
    const char *echo_argv[] = {"peernet", "probe", "echo",   "--bind", "[::1]:0",
                               "--count", "3",     "--idle", "5000",   NULL};
    const char *udp_argv[] = {"peernet", "probe",     "udp",  target, "--count",
                              "3",       "--timeout", "2000", NULL};
    const char *usage_argv[] = {"peernet", "probe", "udp", "--count", "x", NULL};
    char *p;
    FILE *echo_out;
    pid_t echo, udp;
    int efd, ufd;
    if (tool == NULL || tool[0] == '\0') {
        printf("posix_probe_tool_round_trip: PN_TOOL not set, skipped\n");
        return;
    }
    echo = spawn_tool(tool, echo_argv, &efd);
    echo_out = fdopen(efd, "r");
    ck_assert_ptr_nonnull(echo_out);
    ck_assert_ptr_nonnull(fgets(line, sizeof line, echo_out));
    p = strstr(line, "listening on ");
    ck_assert_ptr_nonnull(p);
    snprintf(target, sizeof target, "%s", p + 13);
    target[strcspn(target, "\n")] = '\0';

    udp = spawn_tool(tool, udp_argv, &ufd);
    ck_assert_int_eq(finish_tool(udp, ufd, text, sizeof text), 0);
    ck_assert_ptr_nonnull(strstr(text, "3 sent, 3 received"));
    ck_assert_ptr_nonnull(strstr(text, "seq=2"));

    /* The echo stops by itself after its 3 datagrams. */
    ck_assert_int_eq(finish_tool(echo, dup(fileno(echo_out)), text, sizeof text), 0);
    fclose(echo_out);
    ck_assert_ptr_nonnull(strstr(text, "bytes from [::1]:"));

    /* Nobody answers any more: exit 1.  Bad arguments: exit 2. */
    udp_argv[5] = "1";
    udp_argv[7] = "100";
    udp = spawn_tool(tool, udp_argv, &ufd);
    ck_assert_int_eq(finish_tool(udp, ufd, text, sizeof text), 1);
    ck_assert_ptr_nonnull(strstr(text, "1 sent, 0 received"));
    udp = spawn_tool(tool, usage_argv, &ufd);
    ck_assert_int_eq(finish_tool(udp, ufd, text, sizeof text), 2);
}
END_TEST

PN_SUITE(posix)
{
    Suite *s = suite_create("posix");
    TCase *tc = tcase_create("basics");
    tcase_add_test(tc, posix_monotonic_clock_never_goes_back);
    tcase_add_test(tc, posix_random_fills_and_differs);
    tcase_add_test(tc, posix_errno_maps_to_pn_err);
    tcase_add_test(tc, posix_log_filters_by_level);
    suite_add_tcase(s, tc);
    tc = tcase_create("udp");
    tcase_add_test(tc, posix_udp_loopback_delivers_payload_and_sender);
    tcase_add_test(tc, posix_udp_join_receives_group_datagrams);
    tcase_add_test(tc, posix_udp_recv_when_empty_would_block);
    tcase_add_test(tc, posix_udp_truncated_datagram_is_dropped_whole);
    tcase_add_test(tc, posix_udp_oversized_send_is_bufsize);
    tcase_add_test(tc, posix_udp_ipv4_through_family_4);
    tcase_add_test(tc, posix_bad_handles_are_rejected);
    tcase_add_test(tc, posix_socket_table_full_is_nomem);
    suite_add_tcase(s, tc);
    tc = tcase_create("tcp");
    tcase_add_test(tc, posix_tcp_stream_partial_reads_and_orderly_close);
    tcase_add_test(tc, posix_tcp_ipv4_through_family_4);
    tcase_add_test(tc, posix_tcp_send_is_partial_when_buffers_fill);
    tcase_add_test(tc, posix_tcp_connect_to_closed_port_is_refused);
    tcase_add_test(tc, posix_tcp_reset_is_closed);
    suite_add_tcase(s, tc);
    tc = tcase_create("wait");
    tcase_add_test(tc, posix_wait_returns_when_data_arrives);
    tcase_add_test(tc, posix_wait_returns_at_the_deadline);
    suite_add_tcase(s, tc);
    tc = tcase_create("storage");
    tcase_add_test(tc, posix_storage_missing_blob_is_notfound);
    tcase_add_test(tc, posix_storage_replace_then_read_back);
    tcase_add_test(tc, posix_storage_replace_is_whole_and_leaves_no_temporary);
    tcase_add_test(tc, posix_storage_rejects_invalid_names);
    tcase_add_test(tc, posix_storage_small_buffer_is_bufsize);
    tcase_add_test(tc, posix_storage_dir_is_created_or_unsupported);
    suite_add_tcase(s, tc);
    tc = tcase_create("probe");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, posix_probe_tool_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
