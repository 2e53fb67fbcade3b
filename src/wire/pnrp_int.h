/* Internal helpers shared by the PNRP codec files (not part of the public API). */
#ifndef PN_PNRP_INT_H
#define PN_PNRP_INT_H

#include "peernet/pnrp_wire.h"
#include "wire/pn_mem.h"

/* Decoding state: one reader over the whole input plus the first failure. */
typedef struct pn_pnrp_dec {
    pn_rd r;
    unsigned flags;
    int code;                  /* err->code, kept here for the checks between reads */
    pn_pnrp_decode_error *err; /* never NULL */
} pn_pnrp_dec;

static inline void pn_pnrp_dec_init(pn_pnrp_dec *d, const uint8_t *buf, size_t len, unsigned flags,
                                    pn_pnrp_decode_error *err)
{
    d->r.start = d->r.p = buf;
    d->r.end = buf + len;
    d->r.err = 0;
    d->flags = flags;
    d->err = err;
    d->code = PN_OK;
    err->code = PN_OK;
    err->offset = 0;
    err->field = NULL;
}
/* Record a failure (the first one wins); returns the recorded code. */
int pn_pnrp_fail(pn_pnrp_dec *d, int code, size_t offset, const char *field);
static inline int pn_pnrp_bad(const pn_pnrp_dec *d)
{
    return d->code != PN_OK;
}
static inline int pn_pnrp_strict(const pn_pnrp_dec *d)
{
    return (d->flags & PN_PNRP_STRICT) != 0;
}

/* Fast paths: a structure's decoder checks once that the bytes of a run of fields are
 * there (pn_pnrp_left), reads them in place with pn_get_*, and names the first missing
 * field itself when they are not (pn_pnrp_trunc).  Bytes are consumed with
 * pn_pnrp_take only after such a check. */
static inline size_t pn_pnrp_left(const pn_rd *r)
{
    return (size_t)(r->end - r->p);
}
static inline size_t pn_pnrp_off(const pn_rd *r)
{
    return (size_t)(r->p - r->start);
}
static inline const uint8_t *pn_pnrp_take(pn_rd *r, size_t n)
{
    const uint8_t *p = r->p;
    r->p += n;
    return p;
}
/* PN_ERR_TRUNCATED at offset naming field; returns the recorded code. */
int pn_pnrp_trunc(pn_pnrp_dec *d, size_t offset, const char *field);
/* The same for a run of consecutive fields: ends[i] is the offset just past field i
 * (counted from off), names[i] its name; names the first field left bytes cut. */
int pn_pnrp_trunc_fields(pn_pnrp_dec *d, size_t off, size_t left, const uint8_t *ends,
                         const char *const *names);
/* Whole-word loads and stores (encoders, and decoders filling their structs).  With GCC and
 * clang each is one native load or store (__builtin_memcpy, inline even under
 * -ffreestanding) and a byte swap when the host order differs: bodies this small are always
 * inlined, where GCC's inliner left wire.h's byte-by-byte pn_get_u64le and pn_put_u64be as
 * calls in the hot ID copies.  Other compilers get the portable helpers of wire.h. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) &&            \
    defined(__ORDER_BIG_ENDIAN__)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ || __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define PN_PNRP_NATIVE 1
#endif
#endif
#ifndef PN_PNRP_NATIVE
#define PN_PNRP_NATIVE 0
#endif
#if PN_PNRP_NATIVE
/* le: the wire order is little-endian. */
#define PN_PNRP_WORD(bits, name, le)                                                               \
    static inline uint##bits##_t pn_pnrp_ld##name(const uint8_t *p)                                \
    {                                                                                              \
        uint##bits##_t v;                                                                          \
        __builtin_memcpy(&v, p, sizeof v);                                                         \
        if ((__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) != (le))                                   \
            v = (uint##bits##_t)__builtin_bswap##bits(v);                                          \
        return v;                                                                                  \
    }                                                                                              \
    static inline void pn_pnrp_st##name(uint8_t *p, uint##bits##_t v)                              \
    {                                                                                              \
        if ((__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) != (le))                                   \
            v = (uint##bits##_t)__builtin_bswap##bits(v);                                          \
        __builtin_memcpy(p, &v, sizeof v);                                                         \
    }
#else
#define PN_PNRP_WORD(bits, name, le)                                                               \
    static inline uint##bits##_t pn_pnrp_ld##name(const uint8_t *p)                                \
    {                                                                                              \
        return pn_get_u##name(p);                                                                  \
    }                                                                                              \
    static inline void pn_pnrp_st##name(uint8_t *p, uint##bits##_t v)                              \
    {                                                                                              \
        pn_put_u##name(p, v);                                                                      \
    }
#endif
PN_PNRP_WORD(16, 16be, 0)
PN_PNRP_WORD(32, 32be, 0)
PN_PNRP_WORD(64, 64be, 0)
PN_PNRP_WORD(16, 16le, 1)
PN_PNRP_WORD(32, 32le, 1)
PN_PNRP_WORD(64, 64le, 1)
#undef PN_PNRP_WORD

/* out = the n bytes at in in reverse order (n a multiple of 4), in whole words so that
 * compilers turn each into one load, byte swap and store. */
static inline void pn_pnrp_reverse(uint8_t *out, const uint8_t *in, size_t n)
{
    for (; n >= 8; n -= 8, out += 8)
        pn_pnrp_st64be(out, pn_pnrp_ld64le(in + n - 8));
    for (; n >= 4; n -= 4, out += 4)
        pn_pnrp_st32be(out, pn_pnrp_ld32le(in + n - 4));
}

/* Field reads on any reader over the input; a short read fails with PN_ERR_TRUNCATED
 * naming field.  They return 0 once anything failed. */
uint8_t pn_pnrp_rd8(pn_pnrp_dec *d, pn_rd *r, const char *field);
uint16_t pn_pnrp_rd16le(pn_pnrp_dec *d, pn_rd *r, const char *field);
uint32_t pn_pnrp_rd32le(pn_pnrp_dec *d, pn_rd *r, const char *field);
uint64_t pn_pnrp_rd64le(pn_pnrp_dec *d, pn_rd *r, const char *field);
const uint8_t *pn_pnrp_rdptr(pn_pnrp_dec *d, pn_rd *r, size_t n, const char *field);
void pn_pnrp_rdcopy(pn_pnrp_dec *d, pn_rd *r, void *out, size_t n, const char *field);
/* A reserved value that must be zero when sent: checked in strict mode only.  Returns
 * nonzero when it failed. */
static inline int pn_pnrp_reserved(pn_pnrp_dec *d, uint32_t value, size_t offset, const char *field)
{
    if (value != 0 && pn_pnrp_strict(d))
        return pn_pnrp_fail(d, PN_ERR_PNRP_RESERVED, offset, field);
    return 0;
}
/* The body of a structure must be used up exactly. */
static inline void pn_pnrp_body_end(pn_pnrp_dec *d, const pn_rd *body, const char *field)
{
    if (!pn_pnrp_bad(d) && pn_pnrp_left(body) != 0)
        pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_LENGTH, pn_pnrp_off(body), field);
}

/* Elements (2.2: FieldID, Length, body; Length counts the 4 header bytes).
 * The element readers are inline with the common case first; anything unusual goes to an
 * out-of-line routine that names the failure. */
int pn_pnrp_elem_slow(pn_pnrp_dec *d, uint16_t want, uint16_t want_len, const char *name,
                      pn_rd *body);
void pn_pnrp_pad_slow(pn_pnrp_dec *d, const char *name);
long pn_pnrp_array_slow(pn_pnrp_dec *d, pn_rd *body, uint16_t elem_type, uint16_t entry_len,
                        unsigned min, unsigned max_spec, unsigned build_max, const char *name);

/* The FieldID at the cursor, or -1 at the end of the input (or after a failure). */
static inline int pn_pnrp_peek(const pn_pnrp_dec *d)
{
    if (pn_pnrp_bad(d) || pn_pnrp_left(&d->r) < 2)
        return -1;
    return pn_get_u16be(d->r.p);
}

/* Read the header of the element that must come next: FieldID want, and (when
 * want_len is not 0) Length want_len.  body covers Length-4 bytes.  Returns 0 on
 * success. */
static inline int pn_pnrp_elem(pn_pnrp_dec *d, uint16_t want, uint16_t want_len, const char *name,
                               pn_rd *body)
{
    pn_rd *r = &d->r;
    size_t left = pn_pnrp_left(r);
    if (!pn_pnrp_bad(d) && left >= 4 && pn_get_u16be(r->p) == want) {
        size_t len = pn_get_u16be(r->p + 2);
        if ((want_len != 0 ? len == want_len : len >= 4) && len <= left) {
            /* Offsets in the body stay relative to the whole input. */
            body->start = r->start;
            body->p = r->p + 4;
            body->end = r->p + len;
            body->err = 0;
            r->p += len;
            return 0;
        }
    }
    return pn_pnrp_elem_slow(d, want, want_len, name, body);
}

/* The padding after an element up to a multiple of 4 from the input start. */
static inline void pn_pnrp_pad(pn_pnrp_dec *d, const char *name)
{
    size_t pad = (0u - pn_pnrp_off(&d->r)) & 3;
    const uint8_t *p = d->r.p;
    if (pad == 0)
        return;
    /* The pad bytes (1 to 3) are the low ones of a little-endian word when another word
     * is there to read; the end of the input and any failure go the slow way. */
    if (!pn_pnrp_bad(d) && pn_pnrp_left(&d->r) >= 4 &&
        (pn_pnrp_ld32le(p) & ((1u << (8 * pad)) - 1)) == 0) {
        d->r.p += pad;
        return;
    }
    pn_pnrp_pad_slow(d, name);
}

/* Array element header (NumEntries, ArrayLength, ElementFieldType, EntryLength), with
 * the element Length already in body's size.  Checks the count against [min, max_spec]
 * and build_max.  Returns the count, or -1 on failure. */
static inline long pn_pnrp_array(pn_pnrp_dec *d, pn_rd *body, uint16_t elem_type,
                                 uint16_t entry_len, unsigned min, unsigned max_spec,
                                 unsigned build_max, const char *name)
{
    size_t left = pn_pnrp_left(body);
    const uint8_t *p = body->p;
    if (!pn_pnrp_bad(d) && left >= 8 && pn_get_u16be(p + 4) == elem_type &&
        pn_get_u16be(p + 6) == entry_len) {
        size_t n = pn_get_u16be(p);
        if (n >= min && n <= max_spec && n <= build_max &&
            pn_get_u16be(p + 2) == 8 + n * entry_len && left - 8 == n * entry_len) {
            body->p += 8;
            return (long)n;
        }
    }
    return pn_pnrp_array_slow(d, body, elem_type, entry_len, min, max_spec, build_max, name);
}

/* Decision PW-1 in one place: a PNRP ID between its wire order and the numeric one
 * (the same mapping both ways). */
#if defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__)
/* Small helpers the encoders and decoders call in their hot loops: inlined even where the
 * compiler's heuristics would not (but not when optimising for size). */
#define PN_PNRP_HOT static inline __attribute__((always_inline))
#else
#define PN_PNRP_HOT static inline
#endif
/* A function kept out of line where the compiler optimises for speed (so that a caller
 * that tail-calls it keeps a short prologue of its own). */
#if defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__)
#define PN_PNRP_APART static __attribute__((noinline))
#else
#define PN_PNRP_APART static
#endif
PN_PNRP_HOT void pn_pnrp_id_wire_copy(uint8_t *out, const uint8_t *in)
{
    if (!PN_PNRP_ID_WIRE_LSB_FIRST) {
        memcpy(out, in, PN_PNRP_ID_LEN);
        return;
    }
    /* Four 64-bit words, each one load, byte swap and store. */
    pn_pnrp_st64be(out, pn_pnrp_ld64le(in + 24));
    pn_pnrp_st64be(out + 8, pn_pnrp_ld64le(in + 16));
    pn_pnrp_st64be(out + 16, pn_pnrp_ld64le(in + 8));
    pn_pnrp_st64be(out + 24, pn_pnrp_ld64le(in));
}

/* n (at most 20) 16-byte addresses from in to out: where PN_PNRP_FAST_PATHS is on, in
 * straight-line code for every count (one 16-byte copy each, no loop; a single copy of
 * variable size would be a library call or a string instruction). */
PN_PNRP_HOT void pn_pnrp_copy_addrs(uint8_t *out, const uint8_t *in, size_t n)
{
#if PN_PNRP_FAST_PATHS
    switch (n) {
    case 20:
        memcpy(out + 304, in + 304, 16);
        /* fall through */
    case 19:
        memcpy(out + 288, in + 288, 16);
        /* fall through */
    case 18:
        memcpy(out + 272, in + 272, 16);
        /* fall through */
    case 17:
        memcpy(out + 256, in + 256, 16);
        /* fall through */
    case 16:
        memcpy(out + 240, in + 240, 16);
        /* fall through */
    case 15:
        memcpy(out + 224, in + 224, 16);
        /* fall through */
    case 14:
        memcpy(out + 208, in + 208, 16);
        /* fall through */
    case 13:
        memcpy(out + 192, in + 192, 16);
        /* fall through */
    case 12:
        memcpy(out + 176, in + 176, 16);
        /* fall through */
    case 11:
        memcpy(out + 160, in + 160, 16);
        /* fall through */
    case 10:
        memcpy(out + 144, in + 144, 16);
        /* fall through */
    case 9:
        memcpy(out + 128, in + 128, 16);
        /* fall through */
    case 8:
        memcpy(out + 112, in + 112, 16);
        /* fall through */
    case 7:
        memcpy(out + 96, in + 96, 16);
        /* fall through */
    case 6:
        memcpy(out + 80, in + 80, 16);
        /* fall through */
    case 5:
        memcpy(out + 64, in + 64, 16);
        /* fall through */
    case 4:
        memcpy(out + 48, in + 48, 16);
        /* fall through */
    case 3:
        memcpy(out + 32, in + 32, 16);
        /* fall through */
    case 2:
        memcpy(out + 16, in + 16, 16);
        /* fall through */
    case 1:
        memcpy(out + 0, in + 0, 16);
        /* fall through */
    default:
        break;
    }
#else
    size_t i;
    for (i = 0; i < n; i++)
        memcpy(out + 16 * i, in + 16 * i, 16);
#endif
}

/* Decision PW-28: the whole-message fast path of pn_pnrp_decode (PN_PNRP_FAST_PATHS).
 * Returns 1 when it decoded buf (a message of the usual shape) into m exactly as the
 * field-by-field decoder would, 0 when that decoder must run (m is then partly written). */
int pn_pnrp_decode_fast(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_msg *m);
/* The same for an Encoded CPA of total bytes at p (pn_pnrp_dec_cpa's results; strict and
 * receive rules alike, as it accepts only zero reserved bits). */
int pn_pnrp_cpa_fast(const uint8_t *p, size_t total, pn_pnrp_cpa *cpa);
/* The same for pn_pnrp_authority_buffer_decode. */
int pn_pnrp_ab_decode_fast(const uint8_t *buf, size_t len, unsigned flags,
                           pn_pnrp_authority_buffer *ab);

/* One IPV6_ENDPOINT (2.2.3.6) at p: the port big-endian, the address. */
PN_PNRP_HOT void pn_pnrp_put_endpoint(uint8_t *p, const pn_pnrp_endpoint *ep)
{
    pn_pnrp_st16be(p, ep->port);
    memcpy(p + 2, ep->addr, 16);
}
/* n (at most 22) of them from eps; returns the end. */
PN_PNRP_HOT uint8_t *pn_pnrp_put_endpoints(uint8_t *p, const pn_pnrp_endpoint *eps, size_t n)
{
#if PN_PNRP_FAST_PATHS
    /* Straight-line code for every count (at most 22, 2.2.2.4): no loop overhead, the
     * entries written last to first. */
    switch (n) {
    case 22:
        pn_pnrp_put_endpoint(p + 21 * PN_PNRP_ENDPOINT_LEN, eps + 21);
        /* fall through */
    case 21:
        pn_pnrp_put_endpoint(p + 20 * PN_PNRP_ENDPOINT_LEN, eps + 20);
        /* fall through */
    case 20:
        pn_pnrp_put_endpoint(p + 19 * PN_PNRP_ENDPOINT_LEN, eps + 19);
        /* fall through */
    case 19:
        pn_pnrp_put_endpoint(p + 18 * PN_PNRP_ENDPOINT_LEN, eps + 18);
        /* fall through */
    case 18:
        pn_pnrp_put_endpoint(p + 17 * PN_PNRP_ENDPOINT_LEN, eps + 17);
        /* fall through */
    case 17:
        pn_pnrp_put_endpoint(p + 16 * PN_PNRP_ENDPOINT_LEN, eps + 16);
        /* fall through */
    case 16:
        pn_pnrp_put_endpoint(p + 15 * PN_PNRP_ENDPOINT_LEN, eps + 15);
        /* fall through */
    case 15:
        pn_pnrp_put_endpoint(p + 14 * PN_PNRP_ENDPOINT_LEN, eps + 14);
        /* fall through */
    case 14:
        pn_pnrp_put_endpoint(p + 13 * PN_PNRP_ENDPOINT_LEN, eps + 13);
        /* fall through */
    case 13:
        pn_pnrp_put_endpoint(p + 12 * PN_PNRP_ENDPOINT_LEN, eps + 12);
        /* fall through */
    case 12:
        pn_pnrp_put_endpoint(p + 11 * PN_PNRP_ENDPOINT_LEN, eps + 11);
        /* fall through */
    case 11:
        pn_pnrp_put_endpoint(p + 10 * PN_PNRP_ENDPOINT_LEN, eps + 10);
        /* fall through */
    case 10:
        pn_pnrp_put_endpoint(p + 9 * PN_PNRP_ENDPOINT_LEN, eps + 9);
        /* fall through */
    case 9:
        pn_pnrp_put_endpoint(p + 8 * PN_PNRP_ENDPOINT_LEN, eps + 8);
        /* fall through */
    case 8:
        pn_pnrp_put_endpoint(p + 7 * PN_PNRP_ENDPOINT_LEN, eps + 7);
        /* fall through */
    case 7:
        pn_pnrp_put_endpoint(p + 6 * PN_PNRP_ENDPOINT_LEN, eps + 6);
        /* fall through */
    case 6:
        pn_pnrp_put_endpoint(p + 5 * PN_PNRP_ENDPOINT_LEN, eps + 5);
        /* fall through */
    case 5:
        pn_pnrp_put_endpoint(p + 4 * PN_PNRP_ENDPOINT_LEN, eps + 4);
        /* fall through */
    case 4:
        pn_pnrp_put_endpoint(p + 3 * PN_PNRP_ENDPOINT_LEN, eps + 3);
        /* fall through */
    case 3:
        pn_pnrp_put_endpoint(p + 2 * PN_PNRP_ENDPOINT_LEN, eps + 2);
        /* fall through */
    case 2:
        pn_pnrp_put_endpoint(p + 1 * PN_PNRP_ENDPOINT_LEN, eps + 1);
        /* fall through */
    case 1:
        pn_pnrp_put_endpoint(p + 0 * PN_PNRP_ENDPOINT_LEN, eps + 0);
        /* fall through */
    default:
        break;
    }
#else
    {
        size_t i;
        for (i = 0; i < n; i++)
            pn_pnrp_put_endpoint(p + i * PN_PNRP_ENDPOINT_LEN, eps + i);
    }
#endif
    return p + n * PN_PNRP_ENDPOINT_LEN;
}

/* Structures inside element bodies.  The output structs are not cleared beforehand (the
 * contract in pnrp_wire.h): on success a decoder sets every field of its struct except
 * array entries past their count (and, in a message, the optional parts whose presence
 * flag it leaves 0). */
void pn_pnrp_dec_route_entry(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_route_entry *re);
void pn_pnrp_dec_endpoint(pn_pnrp_dec *d, pn_rd *r, pn_pnrp_endpoint *ep, int in_cpa,
                          const char *field);
void pn_pnrp_dec_cpa(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_cpa *cpa);
void pn_pnrp_dec_ext_payload(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_ext_payload *xp);
void pn_pnrp_dec_classifier(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_classifier *c);

/* Encoding.  pn_pnrp_wr_take is pn_wr_ptr with the common case inline: encoders reserve
 * a whole element (or structure) whose size they know and fill it in place. */
static inline uint8_t *pn_pnrp_wr_take(pn_wr *w, size_t n)
{
    if (w->err == 0 && n <= w->cap - w->len) {
        uint8_t *p = w->buf + w->len;
        w->len += n;
        return p;
    }
    return pn_wr_ptr(w, n);
}
/* FieldID and Length of an element at p. */
static inline void pn_pnrp_put_elem_hdr(uint8_t *p, uint16_t field_id, size_t len)
{
    pn_put_u16be(p, field_id);
    pn_put_u16be(p + 2, (uint16_t)len);
}
/* An Encoded CPA, inside a field_id element when it is not 0 (a REVOKE_CPA then gets
 * its padding to 4 too). */
void pn_pnrp_wr_cpa_elem(pn_wr *w, const pn_pnrp_cpa *cpa, uint16_t field_id);
/* Encoders in two passes: the size of a structure from its struct (0 when the struct
 * breaks a rule the encoder checks), then the bytes written at p with no bounds checks
 * (p has room for exactly that size). */
size_t pn_pnrp_cpa_size(const pn_pnrp_cpa *cpa);
/* total is what pn_pnrp_cpa_size returned for cpa. */
void pn_pnrp_put_cpa(uint8_t *p, const pn_pnrp_cpa *cpa, size_t total);
/* 2.2.3.1.4: rsaEncryption written as ASCII dotted text, exactly 20 bytes. */
extern const uint8_t pn_pnrp_rsa_oid[PN_PNRP_PUBKEY_OID_LEN];
/* The bodies of those two, inline: the message encoders use them directly where the
 * speed paths are built (PN_PNRP_FAST_PATHS), the out-of-line pair elsewhere. */
/* The size of the Encoded CPA of a valid struct. */
PN_PNRP_HOT size_t pn_pnrp_cpa_total(const pn_pnrp_cpa *cpa)
{
    uint8_t flags = cpa->flags;
    return 48 + (flags & PN_PNRP_CPA_A ? 20 : 0) + (flags & PN_PNRP_CPA_C ? 20 : 0) +
           (flags & PN_PNRP_CPA_F ? 2 + cpa->friendly_name.len : 0) + 4 +
           PN_PNRP_ENDPOINT_LEN * (size_t)cpa->addr_count +
           (cpa->payload_count ? 10 + 20 * (size_t)cpa->app_count : 4) + PN_PNRP_PUBKEY_LEN +
           PN_PNRP_SIGNATURE_LEN;
}

PN_PNRP_HOT size_t pn_pnrp_cpa_size_in(const pn_pnrp_cpa *cpa)
{
    uint8_t flags = cpa->flags;
    if (cpa->addr_count > 4 || cpa->payload_count > 1 ||
        (cpa->payload_count == 1 &&
         (cpa->app_count < 1 || cpa->app_count > PN_PNRP_APP_ENDPOINTS_MAX)) ||
        ((flags & PN_PNRP_CPA_F) && (cpa->friendly_name.len < 1 || cpa->friendly_name.len > 78 ||
                                     cpa->friendly_name.p == NULL)) ||
        cpa->pubkey.key_data == NULL)
        return 0;
    return pn_pnrp_cpa_total(cpa);
}

PN_PNRP_HOT void pn_pnrp_put_cpa_in(uint8_t *p, const pn_pnrp_cpa *cpa, size_t total)
{
    size_t i, naddr = cpa->addr_count, napp = cpa->app_count;
    uint8_t flags = cpa->flags;
    /* CPA Length, version, flags, Not After, Service Location, Nonce. */
    pn_pnrp_st64le(p, (uint64_t)total | ((uint64_t)2 << 24) |
                          ((uint64_t)PN_PNRP_VERSION_MINOR << 32) |
                          ((uint64_t)PN_PNRP_VERSION_MAJOR << 40) | ((uint64_t)flags << 48));
    pn_pnrp_st64le(p + 8, cpa->not_after);
    /* The Service Location least significant byte first (as reverse_copy, unrolled). */
    pn_pnrp_st64be(p + 16, pn_pnrp_ld64le(cpa->service_loc + 8));
    pn_pnrp_st64be(p + 24, pn_pnrp_ld64le(cpa->service_loc));
    memcpy(p + 32, cpa->nonce, 16);
    p += 48;
    if (flags & PN_PNRP_CPA_A) {
        if (PN_PNRP_AUTHORITY_WIRE_REVERSED) { /* reverse_copy of the 20 bytes, unrolled */
            pn_pnrp_st64be(p, pn_pnrp_ld64le(cpa->authority + 12));
            pn_pnrp_st64be(p + 8, pn_pnrp_ld64le(cpa->authority + 4));
            pn_pnrp_st32be(p + 16, pn_pnrp_ld32le(cpa->authority));
        } else
            memcpy(p, cpa->authority, 20);
        p += 20;
    }
    if (flags & PN_PNRP_CPA_C) {
        memcpy(p, cpa->classifier_hash, 20);
        p += 20;
    }
    if (flags & PN_PNRP_CPA_F) {
        pn_pnrp_st16le(p, (uint16_t)cpa->friendly_name.len);
        memcpy(p + 2, cpa->friendly_name.p, cpa->friendly_name.len);
        p += 2 + cpa->friendly_name.len;
    }
    pn_pnrp_st32le(p, ((uint32_t)PN_PNRP_ENDPOINT_LEN << 16) | (uint32_t)naddr);
    p += 4;
    if (!PN_PNRP_CPA_ENDPOINT_PORT_LE) /* decision PW-5: as any IPV6_ENDPOINT */
        p = pn_pnrp_put_endpoints(p, cpa->addrs, naddr);
    else
        for (i = 0; i < naddr; i++, p += PN_PNRP_ENDPOINT_LEN) {
            pn_pnrp_st16le(p, cpa->addrs[i].port);
            memcpy(p + 2, cpa->addrs[i].addr, 16);
        }
    if (cpa->payload_count) {
        pn_pnrp_st32le(p, ((uint32_t)(10 + 20 * napp) << 16) | 1u);
        pn_pnrp_st32le(p + 4, cpa->payload_type);
        pn_pnrp_st16le(p + 8, (uint16_t)(20 * napp));
        for (i = 0, p += 10; i < napp; i++, p += 20) {
            const pn_pnrp_app_endpoint *a = &cpa->apps[i];
            memcpy(p, a->addr, 16);
            /* Decision PW-4. */
            if (PN_PNRP_APP_PORT_LE)
                pn_pnrp_st32le(p + 16, ((uint32_t)a->protocol << 16) | a->port);
            else
                pn_pnrp_st32le(p + 16, ((uint32_t)a->protocol << 16) |
                                           (uint16_t)((a->port >> 8) | (a->port << 8)));
        }
    } else {
        pn_pnrp_st32le(p, (uint32_t)4 << 16);
        p += 4;
    }
    /* CPA Public Key (2.2.3.1.4) and SIGNATURE (2.2.3.2); without signature data, zeros
     * for the signer to patch. */
    pn_pnrp_st64le(p, ((uint64_t)PN_PNRP_PUBKEY_DATA_LEN << 48) |
                          ((uint64_t)PN_PNRP_PUBKEY_OID_LEN << 16) | PN_PNRP_PUBKEY_LEN);
    p[8] = 0;
    memcpy(p + 9, cpa->pubkey.oid != NULL ? cpa->pubkey.oid : pn_pnrp_rsa_oid,
           PN_PNRP_PUBKEY_OID_LEN);
    memcpy(p + 29, cpa->pubkey.key_data, PN_PNRP_PUBKEY_DATA_LEN);
    p += PN_PNRP_PUBKEY_LEN;
    pn_pnrp_st64le(p, ((uint64_t)0x00008004u << 32) | ((uint32_t)PN_PNRP_SIG_DATA_LEN << 16) |
                          PN_PNRP_SIGNATURE_LEN);
    if (cpa->sig.data != NULL)
        memcpy(p + 8, cpa->sig.data, PN_PNRP_SIG_DATA_LEN);
    else
        memset(p + 8, 0, PN_PNRP_SIG_DATA_LEN);
}
#if PN_PNRP_FAST_PATHS
#define PN_PNRP_CPA_SIZE pn_pnrp_cpa_size_in
#define PN_PNRP_PUT_CPA  pn_pnrp_put_cpa_in
#else
#define PN_PNRP_CPA_SIZE pn_pnrp_cpa_size
#define PN_PNRP_PUT_CPA  pn_pnrp_put_cpa
#endif
size_t pn_pnrp_ext_payload_size(const pn_pnrp_ext_payload *xp);
/* Fail the writer with err (first error wins), for invalid input structs. */
void pn_pnrp_wr_fail(pn_wr *w, int err);
/* One AUTHORITY message without building a whole pn_pnrp_msg (small stacks). */
int pn_pnrp_encode_authority(uint32_t msg_id, const pn_pnrp_authority *a, uint8_t *buf, size_t cap,
                             size_t *needed);
/* Turn a finished writer into the public return convention. */
static inline int pn_pnrp_wr_result(const pn_wr *w, size_t *needed)
{
    if (needed != NULL)
        *needed = w->len;
    if (w->err != 0)
        return w->err;
    if (w->len > 0x7FFFFFFF)
        return PN_ERR_OVERFLOW;
    return (int)w->len;
}

#endif
