/* Block buffering and final padding shared by MD5, SHA-1 and SHA-256: all three hash
 * 64-byte blocks and pad with 0x80, zeros and the 64-bit message length in bits (RFC 1321
 * 3.1-3.2, FIPS 180-4 5.1.1); they differ only in the compression function and in the
 * byte order of the length. */
#ifndef PN_MD_BLOCK_H
#define PN_MD_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/wire.h"
#include "wire/pn_mem.h"

/* Compress n whole 64-byte blocks into state.  Each hash passes its own static
 * compression function; these helpers are inline so that the call is direct after
 * inlining (no function pointer survives into the object code, which keeps the stack
 * analysis of `make size` exact). */
typedef void (*pn_md_compress_fn)(uint32_t *state, const uint8_t *blocks, size_t n);

/* Add len bytes (data may be NULL when len is 0): whole blocks go straight to the
 * compression function, the tail waits in buf; count is the running byte count. */
static inline void pn_md_absorb(uint32_t *state, uint64_t *count, uint8_t buf[64], const void *data,
                                size_t len, pn_md_compress_fn compress)
{
    const uint8_t *p = (const uint8_t *)data;
    size_t used = (size_t)(*count & 63);
    if (len == 0)
        return; /* data may be NULL then; memcpy must not see it */
    *count += len;
    if (used != 0) {
        size_t take = 64 - used;
        if (len < take) {
            memcpy(buf + used, p, len);
            return;
        }
        memcpy(buf + used, p, take);
        compress(state, buf, 1);
        p += take;
        len -= take;
    }
    if (len >= 64) {
        compress(state, p, len >> 6);
        p += len & ~(size_t)63;
        len &= 63;
    }
    if (len != 0)
        memcpy(buf, p, len);
}

/* Pad and compress the last block(s); length_be selects SHA's big-endian bit length
 * rather than MD5's little-endian one. */
static inline void pn_md_pad(uint32_t *state, uint64_t count, uint8_t buf[64], int length_be,
                             pn_md_compress_fn compress)
{
    size_t used = (size_t)(count & 63);
    buf[used++] = 0x80;
    if (used > 56) {
        memset(buf + used, 0, 64 - used);
        compress(state, buf, 1);
        used = 0;
    }
    memset(buf + used, 0, 56 - used);
    if (length_be)
        pn_put_u64be(buf + 56, count << 3);
    else
        pn_put_u64le(buf + 56, count << 3);
    compress(state, buf, 1);
}

#endif
