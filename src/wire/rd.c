/* Bounds-checked cursor reader (see peernet/wire.h). */
#include "peernet/wire.h"
#include "wire/pn_mem.h"

int pn_rd_fail(pn_rd *r, int err)
{
    if (r->err == 0)
        r->err = err;
    return r->err;
}

/* The single place that advances the cursor: NULL (and a sticky error) on a short read. */
static const uint8_t *take(pn_rd *r, size_t n)
{
    const uint8_t *p;
    if (r->err != 0)
        return NULL;
    if (n > pn_rd_left(r)) {
        r->err = PN_ERR_TRUNCATED;
        return NULL;
    }
    p = r->p;
    r->p += n;
    return p;
}

void pn_rd_sub(pn_rd *r, size_t len, pn_rd *sub)
{
    const uint8_t *p = take(r, len);
    if (p == NULL) {
        sub->start = sub->p = sub->end = r->p;
        sub->err = r->err;
        return;
    }
    /* Offsets in a sub-reader stay relative to the whole input. */
    sub->start = r->start;
    sub->p = p;
    sub->end = p + len;
    sub->err = 0;
}

uint8_t pn_rd_u8(pn_rd *r)
{
    const uint8_t *p = take(r, 1);
    return p ? p[0] : 0;
}

uint16_t pn_rd_u16be(pn_rd *r)
{
    const uint8_t *p = take(r, 2);
    return p ? pn_get_u16be(p) : 0;
}

uint16_t pn_rd_u16le(pn_rd *r)
{
    const uint8_t *p = take(r, 2);
    return p ? pn_get_u16le(p) : 0;
}

uint32_t pn_rd_u32be(pn_rd *r)
{
    const uint8_t *p = take(r, 4);
    return p ? pn_get_u32be(p) : 0;
}

uint32_t pn_rd_u32le(pn_rd *r)
{
    const uint8_t *p = take(r, 4);
    return p ? pn_get_u32le(p) : 0;
}

uint64_t pn_rd_u64be(pn_rd *r)
{
    const uint8_t *p = take(r, 8);
    return p ? pn_get_u64be(p) : 0;
}

uint64_t pn_rd_u64le(pn_rd *r)
{
    const uint8_t *p = take(r, 8);
    return p ? pn_get_u64le(p) : 0;
}

void pn_rd_bytes(pn_rd *r, void *out, size_t n)
{
    const uint8_t *p = take(r, n);
    if (p != NULL)
        memcpy(out, p, n);
    else if (n > 0)
        memset(out, 0, n);
}

const uint8_t *pn_rd_ptr(pn_rd *r, size_t n)
{
    return take(r, n);
}

void pn_rd_skip(pn_rd *r, size_t n)
{
    (void)take(r, n);
}

void pn_rd_align(pn_rd *r, size_t align, int must_be_zero)
{
    size_t off, pad, i;
    const uint8_t *p;
    if (align < 2 || r->err != 0)
        return;
    off = pn_rd_offset(r);
    pad = (align - off % align) % align;
    p = take(r, pad);
    if (p == NULL || !must_be_zero)
        return;
    for (i = 0; i < pad; i++) {
        if (p[i] != 0) {
            r->err = PN_ERR_PADDING;
            r->p = p + i; /* report the offending byte's offset */
            return;
        }
    }
}

int pn_rd_finish(const pn_rd *r)
{
    if (r->err != 0)
        return r->err;
    return pn_rd_left(r) == 0 ? PN_OK : PN_ERR_TRAILING;
}
