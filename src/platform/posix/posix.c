/* POSIX platform: context, clocks, randomness, logging and the errno mapping.  Sockets
 * are in net.c, storage in storage.c. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__) && defined(__GLIBC__)
#if __GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25)
#define PN_PX_HAVE_GETRANDOM 1
#include <sys/random.h>
#endif
#endif
#ifndef PN_PX_HAVE_GETRANDOM
#define PN_PX_HAVE_GETRANDOM 0
#endif

#include "posix_int.h"

int pn_posix_err(int e)
{
    /* Some of these share a value on some systems, so a switch cannot list them all. */
    if (e == 0)
        return PN_OK;
    if (e == EAGAIN || e == EWOULDBLOCK || e == EINPROGRESS || e == EALREADY || e == EINTR)
        return PN_ERR_WOULDBLOCK;
    if (e == ECONNREFUSED)
        return PN_ERR_REFUSED;
    if (e == ENETUNREACH || e == EHOSTUNREACH || e == ENETDOWN
#ifdef EHOSTDOWN
        || e == EHOSTDOWN
#endif
    )
        return PN_ERR_UNREACHABLE;
    if (e == ETIMEDOUT)
        return PN_ERR_TIMEOUT;
    if (e == ECONNRESET || e == ECONNABORTED || e == EPIPE || e == ENOTCONN
#ifdef ESHUTDOWN
        || e == ESHUTDOWN
#endif
    )
        return PN_ERR_CLOSED;
    if (e == EADDRINUSE || e == EEXIST || e == EISCONN)
        return PN_ERR_EXISTS;
    if (e == ENOENT)
        return PN_ERR_NOTFOUND;
    if (e == EMSGSIZE)
        return PN_ERR_BUFSIZE;
    if (e == ENOMEM || e == ENOBUFS || e == EMFILE || e == ENFILE)
        return PN_ERR_NOMEM;
    if (e == EAFNOSUPPORT || e == EADDRNOTAVAIL)
        return PN_ERR_PLATFORM_ADDR;
    if (e == EINVAL || e == EBADF || e == ENOTSOCK || e == EFAULT || e == ENAMETOOLONG ||
        e == EDESTADDRREQ)
        return PN_ERR_ARG;
    if (e == EOPNOTSUPP || e == ENOSYS || e == EPROTONOSUPPORT)
        return PN_ERR_UNSUPPORTED;
    return PN_ERR_IO;
}

int pn_px_errno(void)
{
    return pn_posix_err(errno);
}

/* ---- clocks ------------------------------------------------------------------------- */

uint64_t pn_px_now_ms(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    /* CLOCK_MONOTONIC cannot fail with a valid clock id and pointer. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)(ts.tv_nsec / 1000000);
}

static int64_t px_wall_ms(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + (int64_t)(ts.tv_nsec / 1000000);
}

/* ---- randomness ---------------------------------------------------------------------- */

static int urandom_fill(uint8_t *out, size_t len)
{
    int fd;
    do
        fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return PN_ERR_CRYPTO_ENTROPY;
    while (len > 0) {
        ssize_t n = read(fd, out, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return PN_ERR_CRYPTO_ENTROPY;
        }
        out += n;
        len -= (size_t)n;
    }
    close(fd);
    return PN_OK;
}

static int px_random(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    if (out == NULL && len > 0)
        return PN_ERR_ARG;
#if PN_PX_HAVE_GETRANDOM
    while (len > 0) {
        /* Blocks only until the kernel pool is first initialised, which is what a DRBG
         * seed needs; requests over 256 bytes may come back short. */
        ssize_t n = getrandom(out, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == ENOSYS)
            return urandom_fill(out, len); /* kernel older than 3.17 */
        if (n <= 0)
            return PN_ERR_CRYPTO_ENTROPY;
        out += n;
        len -= (size_t)n;
    }
    return PN_OK;
#else
    return urandom_fill(out, len);
#endif
}

/* ---- logging ------------------------------------------------------------------------- */

static void px_log(void *ctx, int level, const char *msg)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    pn_posix *px = ctx;
    const char *lv;
    if (px == NULL || msg == NULL || level > px->log_level || level < 0)
        return;
    lv = level < 4 ? names[level] : "debug";
    if (px->log_file != NULL) {
        fprintf(px->log_file, "peernet %s: %s\n", lv, msg);
        fflush(px->log_file);
    } else {
        /* One writev so concurrent writers to the same fd do not interleave a line. */
        struct iovec iov[5];
        char *const pre = (char *)(uintptr_t) "peernet ";
        iov[0].iov_base = pre;
        iov[0].iov_len = 8;
        iov[1].iov_base = (char *)(uintptr_t)lv;
        iov[1].iov_len = strlen(lv);
        iov[2].iov_base = (char *)(uintptr_t) ": ";
        iov[2].iov_len = 2;
        iov[3].iov_base = (char *)(uintptr_t)msg;
        iov[3].iov_len = strlen(msg);
        iov[4].iov_base = (char *)(uintptr_t) "\n";
        iov[4].iov_len = 1;
        while (writev(px->log_fd, iov, 5) < 0 && errno == EINTR)
            ;
    }
}

/* ---- context ------------------------------------------------------------------------- */

void pn_posix_config_default(pn_posix_config *cfg)
{
    if (cfg == NULL)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->storage_dir = NULL;
    cfg->log_file = NULL;
    cfg->log_fd = -1;
    cfg->log_level = PN_LOG_INFO;
}

int pn_posix_init(pn_posix *ctx, const pn_posix_config *cfg)
{
    pn_posix_config def;
    int i;
    if (ctx == NULL)
        return PN_ERR_ARG;
    if (cfg == NULL) {
        pn_posix_config_default(&def);
        cfg = &def;
    }
    for (i = 0; i < PN_POSIX_MAX_SOCKETS; i++) {
        memset(&ctx->socks[i], 0, sizeof ctx->socks[i]);
        ctx->socks[i].fd = -1;
    }
    ctx->dir_fd = -1;
    ctx->log_level = cfg->log_level;
    ctx->log_file = cfg->log_file;
    ctx->log_fd = cfg->log_fd;
    if (ctx->log_file == NULL && ctx->log_fd <= 0)
        ctx->log_fd = STDERR_FILENO;
    if (cfg->storage_dir != NULL)
        return pn_px_storage_open(ctx, cfg->storage_dir);
    return PN_OK;
}

pn_platform pn_posix_platform(pn_posix *ctx)
{
    pn_platform p;
    memset(&p, 0, sizeof p);
    p.ctx = ctx;
    p.now_ms = pn_px_now_ms;
    p.wall_ms = px_wall_ms;
    p.random = px_random;
    p.udp_open = pn_px_udp_open;
    p.udp_send = pn_px_udp_send;
    p.udp_recv = pn_px_udp_recv;
    p.tcp_listen = pn_px_tcp_listen;
    p.tcp_accept = pn_px_tcp_accept;
    p.tcp_connect = pn_px_tcp_connect;
    p.tcp_send = pn_px_tcp_send;
    p.tcp_recv = pn_px_tcp_recv;
    p.sock_close = pn_px_sock_close;
    p.sock_name = pn_px_sock_name;
    p.storage_read = pn_px_storage_read;
    p.storage_replace = pn_px_storage_replace;
    p.log = px_log;
    p.wait = pn_px_wait;
    return p;
}

void pn_posix_close(pn_posix *ctx)
{
    int i;
    if (ctx == NULL)
        return;
    for (i = 0; i < PN_POSIX_MAX_SOCKETS; i++)
        if (ctx->socks[i].kind != PN_PX_FREE)
            pn_px_sock_close(ctx, i);
    if (ctx->dir_fd >= 0)
        close(ctx->dir_fd);
    ctx->dir_fd = -1;
}

int pn_posix_fd(const pn_posix *ctx, int sock)
{
    if (ctx == NULL || sock < 0 || sock >= PN_POSIX_MAX_SOCKETS)
        return -1;
    return ctx->socks[sock].kind == PN_PX_FREE ? -1 : ctx->socks[sock].fd;
}
