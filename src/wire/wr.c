/* Back-patching, size-counting writer (see peernet/wire.h). */
#include "peernet/wire.h"
#include "wire/pn_mem.h"

int pn_wr_finish(const pn_wr *w)
{
    return w->err != 0 ? w->err : PN_OK;
}

/* The single place that grows the output: NULL when it does not fit, but the length
 * still counts so a failed pass reports the size needed. */
static uint8_t *grow(pn_wr *w, size_t n)
{
    uint8_t *p;
    if (w->err != 0 && w->err != PN_ERR_BUFSIZE)
        return NULL;
    if (n > SIZE_MAX - w->len) {
        w->err = PN_ERR_OVERFLOW;
        return NULL;
    }
    if (w->err != 0 || n > w->cap - w->len) {
        w->err = PN_ERR_BUFSIZE;
        w->len += n;
        return NULL;
    }
    p = w->buf + w->len;
    w->len += n;
    return p;
}

uint8_t *pn_wr_ptr(pn_wr *w, size_t n)
{
    return grow(w, n);
}

void pn_wr_u8(pn_wr *w, uint8_t v)
{
    uint8_t *p = grow(w, 1);
    if (p)
        p[0] = v;
}

void pn_wr_u16be(pn_wr *w, uint16_t v)
{
    uint8_t *p = grow(w, 2);
    if (p)
        pn_put_u16be(p, v);
}

void pn_wr_u16le(pn_wr *w, uint16_t v)
{
    uint8_t *p = grow(w, 2);
    if (p)
        pn_put_u16le(p, v);
}

void pn_wr_u32be(pn_wr *w, uint32_t v)
{
    uint8_t *p = grow(w, 4);
    if (p)
        pn_put_u32be(p, v);
}

void pn_wr_u32le(pn_wr *w, uint32_t v)
{
    uint8_t *p = grow(w, 4);
    if (p)
        pn_put_u32le(p, v);
}

void pn_wr_u64be(pn_wr *w, uint64_t v)
{
    uint8_t *p = grow(w, 8);
    if (p)
        pn_put_u64be(p, v);
}

void pn_wr_u64le(pn_wr *w, uint64_t v)
{
    uint8_t *p = grow(w, 8);
    if (p)
        pn_put_u64le(p, v);
}

void pn_wr_bytes(pn_wr *w, const void *src, size_t n)
{
    uint8_t *p = grow(w, n);
    if (p && n > 0)
        memcpy(p, src, n);
}

void pn_wr_zeros(pn_wr *w, size_t n)
{
    uint8_t *p = grow(w, n);
    if (p && n > 0)
        memset(p, 0, n);
}

void pn_wr_align(pn_wr *w, size_t align)
{
    if (align < 2)
        return;
    pn_wr_zeros(w, (align - w->len % align) % align);
}

size_t pn_wr_reserve(pn_wr *w, size_t n)
{
    size_t at = w->len;
    pn_wr_zeros(w, n);
    return at;
}

/* Patches only land when the reserved bytes were really written. */
static uint8_t *patch_at(pn_wr *w, size_t at, size_t n)
{
    if (w->err != 0 || at > w->len || n > w->len - at)
        return NULL;
    return w->buf + at;
}

void pn_wr_patch_u16be(pn_wr *w, size_t at, uint16_t v)
{
    uint8_t *p = patch_at(w, at, 2);
    if (p)
        pn_put_u16be(p, v);
}

void pn_wr_patch_u16le(pn_wr *w, size_t at, uint16_t v)
{
    uint8_t *p = patch_at(w, at, 2);
    if (p)
        pn_put_u16le(p, v);
}

void pn_wr_patch_u32be(pn_wr *w, size_t at, uint32_t v)
{
    uint8_t *p = patch_at(w, at, 4);
    if (p)
        pn_put_u32be(p, v);
}

void pn_wr_patch_u32le(pn_wr *w, size_t at, uint32_t v)
{
    uint8_t *p = patch_at(w, at, 4);
    if (p)
        pn_put_u32le(p, v);
}
