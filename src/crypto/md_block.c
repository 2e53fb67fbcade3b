/* Shared Merkle-Damgard buffering for the 64-byte-block hashes (see md_block.h). */
#include "crypto/md_block.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

void pn_md_absorb(uint32_t *state, uint64_t *count, uint8_t buf[64], const void *data, size_t len,
                  pn_md_compress_fn compress)
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

void pn_md_pad(uint32_t *state, uint64_t count, uint8_t buf[64], int length_be,
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
