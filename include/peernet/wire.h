/* peernet wire primitives: byte-wise endian helpers, a bounds-checked reader and a
 * back-patching writer, alignment padding and UTF-8/UTF-16 helpers.
 *
 * Packet bytes are never cast to structs; every multi-byte value goes through the
 * helpers below.  Reader and writer are "sticky": the first error is remembered, later
 * calls do nothing, and the caller checks once at the end (pn_rd_err / pn_wr_err).
 */
#ifndef PEERNET_WIRE_H
#define PEERNET_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "peernet/err.h"

/* ---- endian helpers ---------------------------------------------------------------- */
static inline uint16_t pn_get_u16be(const uint8_t *p)
{
    return (uint16_t)(((uint16_t)p[0] << 8) | p[1]);
}
static inline uint16_t pn_get_u16le(const uint8_t *p)
{
    return (uint16_t)(((uint16_t)p[1] << 8) | p[0]);
}
static inline uint32_t pn_get_u32be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline uint32_t pn_get_u32le(const uint8_t *p)
{
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}
static inline uint64_t pn_get_u64be(const uint8_t *p)
{
    return ((uint64_t)pn_get_u32be(p) << 32) | pn_get_u32be(p + 4);
}
static inline uint64_t pn_get_u64le(const uint8_t *p)
{
    return ((uint64_t)pn_get_u32le(p + 4) << 32) | pn_get_u32le(p);
}
static inline void pn_put_u16be(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void pn_put_u16le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void pn_put_u32be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static inline void pn_put_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void pn_put_u64be(uint8_t *p, uint64_t v)
{
    pn_put_u32be(p, (uint32_t)(v >> 32));
    pn_put_u32be(p + 4, (uint32_t)v);
}
static inline void pn_put_u64le(uint8_t *p, uint64_t v)
{
    pn_put_u32le(p, (uint32_t)v);
    pn_put_u32le(p + 4, (uint32_t)(v >> 32));
}

/* ---- reader ------------------------------------------------------------------------
 * A cursor over [p, end).  Reads past the end set PN_ERR_TRUNCATED and return zeros. */
typedef struct pn_rd {
    const uint8_t *start; /* first byte of the whole input, for offsets in errors */
    const uint8_t *p;
    const uint8_t *end;
    int err; /* first error, 0 while all reads succeeded */
} pn_rd;

/* The accessors are inline: codecs call them between every few fields. */
static inline void pn_rd_init(pn_rd *r, const uint8_t *buf, size_t len)
{
    r->start = buf;
    r->p = buf;
    r->end = buf + len;
    r->err = 0;
}
/* A sub-reader over the next len bytes of r (which advances past them); on a short
 * input both r and sub carry PN_ERR_TRUNCATED. */
void pn_rd_sub(pn_rd *r, size_t len, pn_rd *sub);
static inline size_t pn_rd_left(const pn_rd *r)
{
    return (size_t)(r->end - r->p);
}
static inline size_t pn_rd_offset(const pn_rd *r) /* bytes consumed since start */
{
    return (size_t)(r->p - r->start);
}
static inline int pn_rd_err(const pn_rd *r)
{
    return r->err;
}
/* Record an error (the first one wins) and return it. */
int pn_rd_fail(pn_rd *r, int err);
uint8_t pn_rd_u8(pn_rd *r);
uint16_t pn_rd_u16be(pn_rd *r);
uint16_t pn_rd_u16le(pn_rd *r);
uint32_t pn_rd_u32be(pn_rd *r);
uint32_t pn_rd_u32le(pn_rd *r);
uint64_t pn_rd_u64be(pn_rd *r);
uint64_t pn_rd_u64le(pn_rd *r);
/* Copy n bytes out. */
void pn_rd_bytes(pn_rd *r, void *out, size_t n);
/* Zero-copy: a pointer to the next n bytes inside the input (NULL on error). */
const uint8_t *pn_rd_ptr(pn_rd *r, size_t n);
void pn_rd_skip(pn_rd *r, size_t n);
/* Skip padding up to the next multiple of align (counted from start); the padding
 * bytes must be zero when must_be_zero is set (PN_ERR_PADDING otherwise). */
void pn_rd_align(pn_rd *r, size_t align, int must_be_zero);
/* PN_OK when every byte was consumed and no error happened, else the error
 * (PN_ERR_TRAILING for leftover bytes). */
int pn_rd_finish(const pn_rd *r);

/* ---- writer ------------------------------------------------------------------------
 * Writes into [buf, buf+cap).  When the buffer is too small the writer keeps counting,
 * so pn_wr_len() after a failed pass is the exact size needed (a sizing pass is simply
 * a writer with cap 0). */
typedef struct pn_wr {
    uint8_t *buf;
    size_t cap;
    size_t len; /* bytes written, or that would have been */
    int err;
} pn_wr;

static inline void pn_wr_init(pn_wr *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf != NULL ? cap : 0;
    w->len = 0;
    w->err = 0;
}
static inline int pn_wr_err(const pn_wr *w)
{
    return w->err;
}
static inline size_t pn_wr_len(const pn_wr *w)
{
    return w->len;
}
/* PN_OK and the length written, or the error (PN_ERR_BUFSIZE: see pn_wr_len). */
int pn_wr_finish(const pn_wr *w);
void pn_wr_u8(pn_wr *w, uint8_t v);
void pn_wr_u16be(pn_wr *w, uint16_t v);
void pn_wr_u16le(pn_wr *w, uint16_t v);
void pn_wr_u32be(pn_wr *w, uint32_t v);
void pn_wr_u32le(pn_wr *w, uint32_t v);
void pn_wr_u64be(pn_wr *w, uint64_t v);
void pn_wr_u64le(pn_wr *w, uint64_t v);
void pn_wr_bytes(pn_wr *w, const void *src, size_t n);
/* Room for the next n bytes, for a caller that fills a run of fields in place with
 * pn_put_*: a pointer into the buffer, or NULL (with the same sticky error and length
 * accounting as any other write) when they do not fit.  The caller must write all n. */
uint8_t *pn_wr_ptr(pn_wr *w, size_t n);
void pn_wr_zeros(pn_wr *w, size_t n);
/* Zero padding up to the next multiple of align (counted from the buffer start). */
void pn_wr_align(pn_wr *w, size_t align);
/* Reserve room for a length field; returns its offset for the patch calls. */
size_t pn_wr_reserve(pn_wr *w, size_t n);
void pn_wr_patch_u16be(pn_wr *w, size_t at, uint16_t v);
void pn_wr_patch_u16le(pn_wr *w, size_t at, uint16_t v);
void pn_wr_patch_u32be(pn_wr *w, size_t at, uint32_t v);
void pn_wr_patch_u32le(pn_wr *w, size_t at, uint32_t v);

/* ---- text -------------------------------------------------------------------------- */
/* Validate UTF-8 (RFC 3629: no overlongs, no surrogates, max U+10FFFF). */
int pn_utf8_valid(const uint8_t *s, size_t len);
/* Validate little-endian UTF-16 given in bytes (len must be even; surrogates paired). */
int pn_utf16le_valid(const uint8_t *s, size_t len);
/* Convert UTF-8 to UTF-16LE bytes.  Returns the number of bytes written, or a negative
 * error; with PN_ERR_BUFSIZE *needed (when not NULL) holds the size required. */
int pn_utf8_to_utf16le(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *needed);
/* Convert UTF-16LE bytes to UTF-8, same contract. */
int pn_utf16le_to_utf8(const uint8_t *in, size_t in_len, uint8_t *out, size_t cap, size_t *needed);

#endif
