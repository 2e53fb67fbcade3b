/* POSIX platform: named blobs as files in one directory, replaced atomically. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "posix_int.h"

/* A replace writes "<name>~" first: '~' is outside the blob-name alphabet, so the
 * temporary file can never be mistaken for, or collide with, a blob. */
#define PX_TMP_SUFFIX '~'

int pn_px_storage_open(pn_posix *px, const char *dir)
{
    int fd;
    do
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0 && errno == ENOENT) {
        /* Private keys live here: only the owner may look. */
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return pn_px_errno();
        do
            fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        while (fd < 0 && errno == EINTR);
    }
    if (fd < 0)
        return pn_px_errno();
    px->dir_fd = fd;
    return PN_OK;
}

static int open_at(int dir_fd, const char *name, int flags)
{
    int fd;
    do
        fd = openat(dir_fd, name, flags | O_CLOEXEC, 0600);
    while (fd < 0 && errno == EINTR);
    return fd;
}

/* Read until cap is full or the file ends; the byte count or a pn_err. */
static long read_all(int fd, uint8_t *buf, size_t cap)
{
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return pn_px_errno();
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (long)got;
}

int pn_px_storage_read(void *ctx, const char *name, uint8_t *buf, size_t cap)
{
    pn_posix *px = ctx;
    struct stat st;
    long got;
    int fd;
    if (px == NULL || (buf == NULL && cap > 0))
        return PN_ERR_ARG;
    if (px->dir_fd < 0)
        return PN_ERR_UNSUPPORTED;
    if (!pn_storage_name_valid(name))
        return PN_ERR_PLATFORM_NAME;
    if (cap > INT_MAX)
        cap = INT_MAX;
    fd = open_at(px->dir_fd, name, O_RDONLY);
    if (fd < 0)
        return pn_px_errno(); /* ENOENT: PN_ERR_NOTFOUND */
    if (fstat(fd, &st) != 0) {
        got = pn_px_errno();
    } else if (!S_ISREG(st.st_mode)) {
        got = PN_ERR_IO;
    } else if ((uintmax_t)st.st_size > cap) {
        got = PN_ERR_BUFSIZE;
    } else {
        got = read_all(fd, buf, cap);
        if (got == (long)cap) {
            /* Full buffer: make sure nothing is left (the size may have lied). */
            uint8_t extra;
            long more = read_all(fd, &extra, 1);
            if (more != 0)
                got = more < 0 ? more : PN_ERR_BUFSIZE;
        }
    }
    close(fd);
    return (int)got;
}

/* Push a file's data to stable storage.  On macOS fsync() stops at the drive's cache;
 * F_FULLFSYNC goes through it. */
static int sync_fd(int fd)
{
#ifdef F_FULLFSYNC
    if (fcntl(fd, F_FULLFSYNC) == 0)
        return PN_OK;
#endif
    while (fsync(fd) != 0) {
        if (errno != EINTR)
            return pn_px_errno();
    }
    return PN_OK;
}

int pn_px_storage_replace(void *ctx, const char *name, const uint8_t *buf, size_t len)
{
    pn_posix *px = ctx;
    char tmp[66];
    size_t nlen, off = 0;
    int fd, r = PN_OK;
    if (px == NULL || (buf == NULL && len > 0))
        return PN_ERR_ARG;
    if (px->dir_fd < 0)
        return PN_ERR_UNSUPPORTED;
    if (!pn_storage_name_valid(name))
        return PN_ERR_PLATFORM_NAME;
    if (len > INT_MAX)
        return PN_ERR_RANGE; /* storage_read could not report its length */
    nlen = strlen(name);     /* at most 64: pn_storage_name_valid */
    memcpy(tmp, name, nlen);
    tmp[nlen] = PX_TMP_SUFFIX;
    tmp[nlen + 1] = '\0';

    /* spec/decisions.md POSIX-3: write aside, sync, rename over, sync the directory.
     * A crash before the rename leaves the old blob (and a stale temporary file that the
     * next replace truncates); after it, the new one. */
    fd = open_at(px->dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC);
    if (fd < 0)
        return pn_px_errno();
    while (off < len && r == PN_OK) {
        ssize_t n = write(fd, buf + off, len - off);
        if (n > 0)
            off += (size_t)n;
        else if (n == 0)
            r = PN_ERR_IO;
        else if (errno != EINTR)
            r = pn_px_errno();
    }
    if (r == PN_OK)
        r = sync_fd(fd);
    if (close(fd) != 0 && r == PN_OK && errno != EINTR)
        r = pn_px_errno();
    if (r == PN_OK && renameat(px->dir_fd, tmp, px->dir_fd, name) != 0)
        r = pn_px_errno();
    if (r != PN_OK) {
        unlinkat(px->dir_fd, tmp, 0);
        return r;
    }
    /* The rename is durable only once the directory is.  Some file systems cannot
     * sync a directory (EINVAL): the data is then as safe as they can make it. */
    r = sync_fd(px->dir_fd);
    return r == PN_ERR_ARG ? PN_OK : r;
}
