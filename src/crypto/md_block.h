/* Block buffering and final padding shared by MD5, SHA-1 and SHA-256: all three hash
 * 64-byte blocks and pad with 0x80, zeros and the 64-bit message length in bits (RFC 1321
 * 3.1-3.2, FIPS 180-4 5.1.1); they differ only in the compression function and in the
 * byte order of the length. */
#ifndef PN_MD_BLOCK_H
#define PN_MD_BLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Compress n whole 64-byte blocks into state. */
typedef void (*pn_md_compress_fn)(uint32_t *state, const uint8_t *blocks, size_t n);

/* Add len bytes (data may be NULL when len is 0): whole blocks go straight to the
 * compression function, the tail waits in buf; count is the running byte count. */
void pn_md_absorb(uint32_t *state, uint64_t *count, uint8_t buf[64], const void *data, size_t len,
                  pn_md_compress_fn compress);
/* Pad and compress the last block(s); length_be selects SHA's big-endian bit length
 * rather than MD5's little-endian one. */
void pn_md_pad(uint32_t *state, uint64_t count, uint8_t buf[64], int length_be,
               pn_md_compress_fn compress);

#endif
