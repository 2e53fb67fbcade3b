/* PNRP element scheme (MS-PNRP 2.2): FieldID/Length pairs on 4-byte boundaries, the
 * shared array header, and the small structures every message uses (PNRP ID,
 * IPV6_ENDPOINT, ROUTE_ENTRY, CLASSIFIER). */
#include "wire/pnrp_int.h"

/* ---- decoding state ------------------------------------------------------------------ */
int pn_pnrp_fail(pn_pnrp_dec *d, int code, size_t offset, const char *field)
{
    if (d->code == PN_OK) {
        d->code = d->err->code = code;
        d->err->offset = offset;
        d->err->field = field;
        /* Stop the outer reader too, so later reads are no-ops. */
        pn_rd_fail(&d->r, code);
    }
    return d->code;
}

int pn_pnrp_trunc(pn_pnrp_dec *d, size_t offset, const char *field)
{
    return pn_pnrp_fail(d, PN_ERR_TRUNCATED, offset, field);
}

int pn_pnrp_trunc_fields(pn_pnrp_dec *d, size_t off, size_t left, const uint8_t *ends,
                         const char *const *names)
{
    size_t i = 0;
    while (ends[i] <= left)
        i++;
    return pn_pnrp_trunc(d, off + (i == 0 ? 0 : ends[i - 1]), names[i]);
}

/* A read either succeeds or records PN_ERR_TRUNCATED at the field's offset.  These
 * field-at-a-time readers serve the rarely used structures; the hot ones check a run of
 * fields at once (pnrp_int.h). */
static int short_read(pn_pnrp_dec *d, pn_rd *r, size_t off, const char *field)
{
    if (pn_pnrp_bad(d))
        return 1;
    if (pn_rd_err(r) != 0) {
        pn_pnrp_fail(d, pn_rd_err(r), off, field);
        return 1;
    }
    return 0;
}

uint8_t pn_pnrp_rd8(pn_pnrp_dec *d, pn_rd *r, const char *field)
{
    size_t off = pn_rd_offset(r);
    uint8_t v = pn_pnrp_bad(d) ? 0 : pn_rd_u8(r);
    return short_read(d, r, off, field) ? 0 : v;
}

uint16_t pn_pnrp_rd16le(pn_pnrp_dec *d, pn_rd *r, const char *field)
{
    size_t off = pn_rd_offset(r);
    uint16_t v = pn_pnrp_bad(d) ? 0 : pn_rd_u16le(r);
    return short_read(d, r, off, field) ? 0 : v;
}

uint32_t pn_pnrp_rd32le(pn_pnrp_dec *d, pn_rd *r, const char *field)
{
    size_t off = pn_rd_offset(r);
    uint32_t v = pn_pnrp_bad(d) ? 0 : pn_rd_u32le(r);
    return short_read(d, r, off, field) ? 0 : v;
}

uint64_t pn_pnrp_rd64le(pn_pnrp_dec *d, pn_rd *r, const char *field)
{
    size_t off = pn_rd_offset(r);
    uint64_t v = pn_pnrp_bad(d) ? 0 : pn_rd_u64le(r);
    return short_read(d, r, off, field) ? 0 : v;
}

const uint8_t *pn_pnrp_rdptr(pn_pnrp_dec *d, pn_rd *r, size_t n, const char *field)
{
    if (pn_pnrp_bad(d))
        return NULL;
    if (n > pn_pnrp_left(r)) {
        pn_pnrp_trunc(d, pn_pnrp_off(r), field);
        return NULL;
    }
    return pn_pnrp_take(r, n);
}

void pn_pnrp_rdcopy(pn_pnrp_dec *d, pn_rd *r, void *out, size_t n, const char *field)
{
    const uint8_t *p = pn_pnrp_rdptr(d, r, n, field);
    if (p != NULL)
        memcpy(out, p, n);
    else
        memset(out, 0, n);
}

/* ---- elements ------------------------------------------------------------------------ */
int pn_pnrp_elem_slow(pn_pnrp_dec *d, uint16_t want, uint16_t want_len, const char *name,
                      pn_rd *body)
{
    pn_rd *r = &d->r;
    size_t at = pn_pnrp_off(r), left = pn_pnrp_left(r);
    uint16_t len;
    body->start = body->p = body->end = r->p;
    body->err = PN_ERR_TRUNCATED;
    if (pn_pnrp_bad(d))
        return -1;
    if (left == 0)
        return pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_ORDER, at, name);
    if (left < 2)
        return pn_pnrp_trunc(d, at, name);
    if (pn_get_u16be(r->p) != want)
        return pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_ORDER, at, name);
    if (left < 4)
        return pn_pnrp_trunc(d, at + 2, name);
    len = pn_get_u16be(r->p + 2);
    if (len < 4 || (want_len != 0 && len != want_len))
        return pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_LENGTH, at + 2, name);
    if (len > left)
        return pn_pnrp_trunc(d, at + 2, name);
    /* Offsets in the body stay relative to the whole input. */
    body->start = r->start;
    body->p = r->p + 4;
    body->end = r->p + len;
    body->err = 0;
    r->p += len;
    return 0;
}

void pn_pnrp_pad_slow(pn_pnrp_dec *d, const char *name)
{
    size_t off = pn_pnrp_off(&d->r);
    size_t pad = (4 - (off & 3)) & 3, i;
    const uint8_t *p;
    if (pn_pnrp_bad(d) || pad == 0)
        return;
    /* Decision PW-14: on receipt, padding may be missing when the input ends. */
    if (pn_pnrp_left(&d->r) == 0 && !pn_pnrp_strict(d))
        return;
    p = pn_pnrp_rdptr(d, &d->r, pad, name);
    if (p == NULL)
        return;
    for (i = 0; i < pad; i++)
        if (p[i] != 0) {
            pn_pnrp_reserved(d, p[i], off + i, name);
            return;
        }
}

long pn_pnrp_array_slow(pn_pnrp_dec *d, pn_rd *body, uint16_t elem_type, uint16_t entry_len,
                        unsigned min, unsigned max_spec, unsigned build_max, const char *name)
{
    size_t at = pn_pnrp_off(body), left = pn_pnrp_left(body);
    const uint8_t *p = body->p;
    uint16_t n, alen;
    if (pn_pnrp_bad(d))
        return -1;
    /* NumEntries, ArrayLength, ElementFieldType, EntryLength: 16 bits each. */
    if (left < 8) {
        pn_pnrp_trunc(d, at + (left & ~(size_t)1), name);
        return -1;
    }
    n = pn_get_u16be(p);
    alen = pn_get_u16be(p + 2);
    if (pn_get_u16be(p + 4) != elem_type) {
        pn_pnrp_fail(d, PN_ERR_PNRP_ARRAY, at + 4, name);
        return -1;
    }
    if (pn_get_u16be(p + 6) != entry_len) {
        pn_pnrp_fail(d, PN_ERR_PNRP_ARRAY, at + 6, name);
        return -1;
    }
    (void)pn_pnrp_take(body, 8);
    if (n < min || n > max_spec) {
        pn_pnrp_fail(d, PN_ERR_PNRP_COUNT, at, name);
        return -1;
    }
    /* Length = 12 + n*E and ArrayLength = 8 + n*E (2.2.2.2 and every array). */
    if ((uint32_t)alen != 8u + (uint32_t)n * entry_len) {
        pn_pnrp_fail(d, PN_ERR_PNRP_ARRAY, at + 2, name);
        return -1;
    }
    if (left - 8 != (size_t)n * entry_len) {
        pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_LENGTH, at - 2, name);
        return -1;
    }
    if (n > build_max) {
        pn_pnrp_fail(d, PN_ERR_PNRP_TOO_MANY, at, name);
        return -1;
    }
    return (long)n;
}

/* ---- PNRP IDs (decision PW-1) -------------------------------------------------------- */
void pn_pnrp_id_from_wire(pn_pnrp_id *id, const uint8_t wire[PN_PNRP_ID_LEN])
{
    pn_pnrp_id_wire_copy(id->b, wire);
}

void pn_pnrp_id_to_wire(uint8_t wire[PN_PNRP_ID_LEN], const pn_pnrp_id *id)
{
    pn_pnrp_id_wire_copy(wire, id->b);
}

/* ---- IPV6_ENDPOINT (2.2.3.6) --------------------------------------------------------- */
void pn_pnrp_dec_endpoint(pn_pnrp_dec *d, pn_rd *r, pn_pnrp_endpoint *ep, int in_cpa,
                          const char *field)
{
    size_t off = pn_pnrp_off(r), left = pn_pnrp_left(r);
    const uint8_t *p;
    if (pn_pnrp_bad(d))
        return;
    if (left < PN_PNRP_ENDPOINT_LEN) {
        pn_pnrp_trunc(d, left < 2 ? off : off + 2, field);
        return;
    }
    p = pn_pnrp_take(r, PN_PNRP_ENDPOINT_LEN);
    /* Decision PW-5: the port keeps network order even inside the LE Encoded CPA. */
    ep->port = in_cpa && PN_PNRP_CPA_ENDPOINT_PORT_LE ? pn_get_u16le(p) : pn_get_u16be(p);
    memcpy(ep->addr, p + 2, 16);
    /* 2.2.3.6: the port MUST be greater than 1024. */
    if (ep->port <= 1024)
        pn_pnrp_fail(d, PN_ERR_PNRP_PORT, off, field);
}

/* ---- ROUTE_ENTRY (2.2.3.4) ----------------------------------------------------------- */
static int route_entry(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_route_entry *re)
{
    /* Fields in order: PNRP ID (32), Major, Minor, Port (2), Flags, Address Count. */
    size_t off = pn_pnrp_off(body), left = pn_pnrp_left(body), i;
    const uint8_t *p = body->p;
    uint8_t n;
    if (pn_pnrp_bad(d))
        return -1;
    if (left < 34)
        return pn_pnrp_trunc(d, left < 32 ? off : off + left,
                             left < 32   ? "ROUTE_ENTRY.PNRP ID"
                             : left < 33 ? "ROUTE_ENTRY.PNRP Major Version"
                                         : "ROUTE_ENTRY.PNRP Minor Version");
    pn_pnrp_id_wire_copy(re->id.b, p);
    if (p[32] != PN_PNRP_VERSION_MAJOR)
        return pn_pnrp_fail(d, PN_ERR_PNRP_VERSION, off + 32, "ROUTE_ENTRY.PNRP Major Version");
    if (p[33] != PN_PNRP_VERSION_MINOR)
        return pn_pnrp_fail(d, PN_ERR_PNRP_VERSION, off + 33, "ROUTE_ENTRY.PNRP Minor Version");
    if (left < 36)
        return pn_pnrp_trunc(d, off + 34, "ROUTE_ENTRY.Port Number");
    re->port = pn_get_u16be(p + 34);
    if (re->port <= 1024)
        return pn_pnrp_fail(d, PN_ERR_PNRP_PORT, off + 34, "ROUTE_ENTRY.Port Number");
    if (left < 37)
        return pn_pnrp_trunc(d, off + 36, "ROUTE_ENTRY.Flags");
    if (pn_pnrp_reserved(d, p[36], off + 36, "ROUTE_ENTRY.Flags") != 0)
        return -1;
    if (left < 38)
        return pn_pnrp_trunc(d, off + 37, "ROUTE_ENTRY.Address Count");
    n = p[37];
    if (n < 1 || n > 20)
        return pn_pnrp_fail(d, PN_ERR_PNRP_COUNT, off + 37, "ROUTE_ENTRY.Address Count");
    if (left - 38 != (size_t)n * 16)
        return pn_pnrp_fail(
            d, left - 38 < (size_t)n * 16 ? PN_ERR_TRUNCATED : PN_ERR_PNRP_FIELD_LENGTH, off + 38,
            "ROUTE_ENTRY.IPv6 Addresses");
    if (n > PN_PNRP_ROUTE_ADDRS_MAX)
        return pn_pnrp_fail(d, PN_ERR_PNRP_TOO_MANY, off + 37, "ROUTE_ENTRY.Address Count");
    re->addr_count = n;
    p = pn_pnrp_take(body, left) + 38;
    /* One address at a time: a single copy of bounded variable size becomes a string
     * instruction with a long start-up on x86. */
    for (i = 0; i < n; i++)
        memcpy(re->addrs[i], p + 16 * i, 16);
    return 0;
}

void pn_pnrp_dec_route_entry(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_route_entry *re)
{
    (void)route_entry(d, body, re);
}

/* ---- CLASSIFIER (2.2.2.6.1) ---------------------------------------------------------- */
uint16_t pn_pnrp_classifier_unit(const pn_pnrp_classifier *c, size_t i)
{
    /* Decision PW-3: one place holds the WCHAR byte order. */
    return PN_PNRP_WCHAR_WIRE_BE ? pn_get_u16be(c->units + 2 * i) : pn_get_u16le(c->units + 2 * i);
}

void pn_pnrp_classifier_put(uint8_t *out, const uint16_t *units, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++) {
        if (PN_PNRP_WCHAR_WIRE_BE)
            pn_put_u16be(out + 2 * i, units[i]);
        else
            pn_put_u16le(out + 2 * i, units[i]);
    }
}

void pn_pnrp_dec_classifier(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_classifier *c)
{
    long n = pn_pnrp_array(d, body, PN_PNRP_F_WCHAR, 2, 0, 0x7FFF, 0x7FFF, "CLASSIFIER");
    size_t off = pn_rd_offset(body), i;
    c->units = NULL;
    c->count = 0;
    if (n < 0)
        return;
    c->units = pn_pnrp_rdptr(d, body, (size_t)n * 2, "CLASSIFIER.Classifier");
    if (c->units == NULL)
        return;
    c->count = (uint16_t)n;
    /* 2.2.4: a classifier is at most 149 non-NUL code units. */
    if (n > PN_PNRP_CLASSIFIER_MAX) {
        pn_pnrp_fail(d, PN_ERR_PNRP_CLASSIFIER, off - 8, "CLASSIFIER.NumEntries");
        return;
    }
    for (i = 0; i < (size_t)n; i++)
        if (pn_pnrp_classifier_unit(c, i) == 0) {
            pn_pnrp_fail(d, PN_ERR_PNRP_CLASSIFIER, off + 2 * i, "CLASSIFIER.Classifier");
            return;
        }
}

/* ---- encoding helpers ---------------------------------------------------------------- */
void pn_pnrp_wr_fail(pn_wr *w, int err)
{
    if (w->err == 0 || w->err == PN_ERR_BUFSIZE)
        w->err = err;
}
