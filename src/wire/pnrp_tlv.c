/* PNRP element scheme (MS-PNRP 2.2): FieldID/Length pairs on 4-byte boundaries, the
 * shared array header, and the small structures every message uses (PNRP ID,
 * IPV6_ENDPOINT, ROUTE_ENTRY, CLASSIFIER). */
#include "wire/pnrp_int.h"

/* ---- decoding state ------------------------------------------------------------------ */
void pn_pnrp_dec_init(pn_pnrp_dec *d, const uint8_t *buf, size_t len, unsigned flags,
                      pn_pnrp_decode_error *err)
{
    pn_rd_init(&d->r, buf, len);
    d->flags = flags;
    d->err = err;
    err->code = PN_OK;
    err->offset = 0;
    err->field = NULL;
}

int pn_pnrp_fail(pn_pnrp_dec *d, int code, size_t offset, const char *field)
{
    if (d->err->code == PN_OK) {
        d->err->code = code;
        d->err->offset = offset;
        d->err->field = field;
        /* Stop the outer reader too, so later reads are no-ops. */
        pn_rd_fail(&d->r, code);
    }
    return d->err->code;
}

int pn_pnrp_bad(const pn_pnrp_dec *d)
{
    return d->err->code != PN_OK;
}

int pn_pnrp_strict(const pn_pnrp_dec *d)
{
    return (d->flags & PN_PNRP_STRICT) != 0;
}

/* A read either succeeds or records PN_ERR_TRUNCATED at the field's offset. */
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

uint16_t pn_pnrp_rd16be(pn_pnrp_dec *d, pn_rd *r, const char *field)
{
    size_t off = pn_rd_offset(r);
    uint16_t v = pn_pnrp_bad(d) ? 0 : pn_rd_u16be(r);
    return short_read(d, r, off, field) ? 0 : v;
}

uint16_t pn_pnrp_rd16le(pn_pnrp_dec *d, pn_rd *r, const char *field)
{
    size_t off = pn_rd_offset(r);
    uint16_t v = pn_pnrp_bad(d) ? 0 : pn_rd_u16le(r);
    return short_read(d, r, off, field) ? 0 : v;
}

uint32_t pn_pnrp_rd32be(pn_pnrp_dec *d, pn_rd *r, const char *field)
{
    size_t off = pn_rd_offset(r);
    uint32_t v = pn_pnrp_bad(d) ? 0 : pn_rd_u32be(r);
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
    size_t off = pn_rd_offset(r);
    const uint8_t *p = pn_pnrp_bad(d) ? NULL : pn_rd_ptr(r, n);
    return short_read(d, r, off, field) ? NULL : p;
}

void pn_pnrp_rdcopy(pn_pnrp_dec *d, pn_rd *r, void *out, size_t n, const char *field)
{
    const uint8_t *p = pn_pnrp_rdptr(d, r, n, field);
    if (p != NULL)
        memcpy(out, p, n);
    else
        memset(out, 0, n);
}

void pn_pnrp_reserved(pn_pnrp_dec *d, uint32_t value, size_t offset, const char *field)
{
    if (value != 0 && pn_pnrp_strict(d))
        pn_pnrp_fail(d, PN_ERR_PNRP_RESERVED, offset, field);
}

void pn_pnrp_body_end(pn_pnrp_dec *d, const pn_rd *body, const char *field)
{
    if (!pn_pnrp_bad(d) && pn_rd_left(body) != 0)
        pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_LENGTH, pn_rd_offset(body), field);
}

/* ---- elements ------------------------------------------------------------------------ */
int pn_pnrp_peek(const pn_pnrp_dec *d)
{
    if (pn_pnrp_bad(d) || pn_rd_left(&d->r) < 2)
        return -1;
    return pn_get_u16be(d->r.p);
}

int pn_pnrp_elem(pn_pnrp_dec *d, uint16_t want, uint16_t want_len, const char *name, pn_rd *body)
{
    size_t at = pn_rd_offset(&d->r);
    uint16_t fid, len;
    body->start = body->p = body->end = d->r.p;
    body->err = PN_ERR_TRUNCATED;
    if (pn_pnrp_bad(d))
        return -1;
    if (pn_rd_left(&d->r) == 0)
        return pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_ORDER, at, name);
    fid = pn_pnrp_rd16be(d, &d->r, name);
    if (pn_pnrp_bad(d))
        return -1;
    if (fid != want)
        return pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_ORDER, at, name);
    len = pn_pnrp_rd16be(d, &d->r, name);
    if (pn_pnrp_bad(d))
        return -1;
    if (len < 4 || (want_len != 0 && len != want_len))
        return pn_pnrp_fail(d, PN_ERR_PNRP_FIELD_LENGTH, at + 2, name);
    pn_rd_sub(&d->r, (size_t)len - 4, body);
    if (pn_rd_err(&d->r) != 0)
        return pn_pnrp_fail(d, PN_ERR_TRUNCATED, at + 2, name);
    return 0;
}

void pn_pnrp_pad(pn_pnrp_dec *d, const char *name)
{
    size_t off = pn_rd_offset(&d->r);
    size_t pad = (4 - (off & 3)) & 3, i;
    const uint8_t *p;
    if (pn_pnrp_bad(d) || pad == 0)
        return;
    /* Decision PW-14: on receipt, padding may be missing when the input ends. */
    if (pn_rd_left(&d->r) == 0 && !pn_pnrp_strict(d))
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

long pn_pnrp_array(pn_pnrp_dec *d, pn_rd *body, uint16_t elem_type, uint16_t entry_len,
                   unsigned min, unsigned max_spec, unsigned build_max, const char *name)
{
    size_t at = pn_rd_offset(body);
    uint16_t n = pn_pnrp_rd16be(d, body, name);
    uint16_t alen = pn_pnrp_rd16be(d, body, name);
    uint16_t type = pn_pnrp_rd16be(d, body, name);
    uint16_t elen = pn_pnrp_rd16be(d, body, name);
    if (pn_pnrp_bad(d))
        return -1;
    if (type != elem_type) {
        pn_pnrp_fail(d, PN_ERR_PNRP_ARRAY, at + 4, name);
        return -1;
    }
    if (elen != entry_len) {
        pn_pnrp_fail(d, PN_ERR_PNRP_ARRAY, at + 6, name);
        return -1;
    }
    if (n < min || n > max_spec) {
        pn_pnrp_fail(d, PN_ERR_PNRP_COUNT, at, name);
        return -1;
    }
    /* Length = 12 + n*E and ArrayLength = 8 + n*E (2.2.2.2 and every array). */
    if ((uint32_t)alen != 8u + (uint32_t)n * entry_len) {
        pn_pnrp_fail(d, PN_ERR_PNRP_ARRAY, at + 2, name);
        return -1;
    }
    if (pn_rd_left(body) != (size_t)n * entry_len) {
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
    size_t i;
    for (i = 0; i < PN_PNRP_ID_LEN; i++)
        id->b[i] = PN_PNRP_ID_WIRE_LSB_FIRST ? wire[PN_PNRP_ID_LEN - 1 - i] : wire[i];
}

void pn_pnrp_id_to_wire(uint8_t wire[PN_PNRP_ID_LEN], const pn_pnrp_id *id)
{
    size_t i;
    for (i = 0; i < PN_PNRP_ID_LEN; i++)
        wire[i] = PN_PNRP_ID_WIRE_LSB_FIRST ? id->b[PN_PNRP_ID_LEN - 1 - i] : id->b[i];
}

void pn_pnrp_dec_id(pn_pnrp_dec *d, pn_rd *r, pn_pnrp_id *id, const char *field)
{
    const uint8_t *p = pn_pnrp_rdptr(d, r, PN_PNRP_ID_LEN, field);
    if (p != NULL)
        pn_pnrp_id_from_wire(id, p);
    else
        memset(id, 0, sizeof *id);
}

void pn_pnrp_wr_id(pn_wr *w, const pn_pnrp_id *id)
{
    uint8_t b[PN_PNRP_ID_LEN];
    pn_pnrp_id_to_wire(b, id);
    pn_wr_bytes(w, b, sizeof b);
}

/* ---- IPV6_ENDPOINT (2.2.3.6) --------------------------------------------------------- */
void pn_pnrp_dec_endpoint(pn_pnrp_dec *d, pn_rd *r, pn_pnrp_endpoint *ep, int in_cpa,
                          const char *field)
{
    size_t off = pn_rd_offset(r);
    /* Decision PW-5: the port keeps network order even inside the LE Encoded CPA. */
    if (in_cpa && PN_PNRP_CPA_ENDPOINT_PORT_LE)
        ep->port = pn_pnrp_rd16le(d, r, field);
    else
        ep->port = pn_pnrp_rd16be(d, r, field);
    pn_pnrp_rdcopy(d, r, ep->addr, 16, field);
    /* 2.2.3.6: the port MUST be greater than 1024. */
    if (!pn_pnrp_bad(d) && ep->port <= 1024)
        pn_pnrp_fail(d, PN_ERR_PNRP_PORT, off, field);
}

void pn_pnrp_wr_endpoint(pn_wr *w, const pn_pnrp_endpoint *ep, int in_cpa)
{
    if (in_cpa && PN_PNRP_CPA_ENDPOINT_PORT_LE)
        pn_wr_u16le(w, ep->port);
    else
        pn_wr_u16be(w, ep->port);
    pn_wr_bytes(w, ep->addr, 16);
}

/* ---- ROUTE_ENTRY (2.2.3.4) ----------------------------------------------------------- */
void pn_pnrp_dec_route_entry(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_route_entry *re)
{
    size_t off;
    uint8_t major, minor, flags, n, i;
    memset(re, 0, sizeof *re);
    pn_pnrp_dec_id(d, body, &re->id, "ROUTE_ENTRY.PNRP ID");
    off = pn_rd_offset(body);
    major = pn_pnrp_rd8(d, body, "ROUTE_ENTRY.PNRP Major Version");
    minor = pn_pnrp_rd8(d, body, "ROUTE_ENTRY.PNRP Minor Version");
    if (pn_pnrp_bad(d))
        return;
    if (major != PN_PNRP_VERSION_MAJOR) {
        pn_pnrp_fail(d, PN_ERR_PNRP_VERSION, off, "ROUTE_ENTRY.PNRP Major Version");
        return;
    }
    if (minor != PN_PNRP_VERSION_MINOR) {
        pn_pnrp_fail(d, PN_ERR_PNRP_VERSION, off + 1, "ROUTE_ENTRY.PNRP Minor Version");
        return;
    }
    off = pn_rd_offset(body);
    re->port = pn_pnrp_rd16be(d, body, "ROUTE_ENTRY.Port Number");
    if (!pn_pnrp_bad(d) && re->port <= 1024) {
        pn_pnrp_fail(d, PN_ERR_PNRP_PORT, off, "ROUTE_ENTRY.Port Number");
        return;
    }
    off = pn_rd_offset(body);
    flags = pn_pnrp_rd8(d, body, "ROUTE_ENTRY.Flags");
    pn_pnrp_reserved(d, flags, off, "ROUTE_ENTRY.Flags");
    off = pn_rd_offset(body);
    n = pn_pnrp_rd8(d, body, "ROUTE_ENTRY.Address Count");
    if (pn_pnrp_bad(d))
        return;
    if (n < 1 || n > 20) {
        pn_pnrp_fail(d, PN_ERR_PNRP_COUNT, off, "ROUTE_ENTRY.Address Count");
        return;
    }
    if (pn_rd_left(body) != (size_t)n * 16) {
        pn_pnrp_fail(
            d, pn_rd_left(body) < (size_t)n * 16 ? PN_ERR_TRUNCATED : PN_ERR_PNRP_FIELD_LENGTH,
            off + 1, "ROUTE_ENTRY.IPv6 Addresses");
        return;
    }
    if (n > PN_PNRP_ROUTE_ADDRS_MAX) {
        pn_pnrp_fail(d, PN_ERR_PNRP_TOO_MANY, off, "ROUTE_ENTRY.Address Count");
        return;
    }
    re->addr_count = n;
    for (i = 0; i < n; i++)
        pn_pnrp_rdcopy(d, body, re->addrs[i], 16, "ROUTE_ENTRY.IPv6 Addresses");
}

void pn_pnrp_wr_route_entry(pn_wr *w, const pn_pnrp_route_entry *re)
{
    uint8_t i;
    if (re->addr_count < 1 || re->addr_count > PN_PNRP_ROUTE_ADDRS_MAX) {
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_COUNT);
        return;
    }
    pn_pnrp_wr_id(w, &re->id);
    pn_wr_u8(w, PN_PNRP_VERSION_MAJOR);
    pn_wr_u8(w, PN_PNRP_VERSION_MINOR);
    pn_wr_u16be(w, re->port);
    pn_wr_u8(w, 0);
    pn_wr_u8(w, re->addr_count);
    for (i = 0; i < re->addr_count; i++)
        pn_wr_bytes(w, re->addrs[i], 16);
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

void pn_pnrp_wr_classifier(pn_wr *w, const pn_pnrp_classifier *c)
{
    if (c->count > PN_PNRP_CLASSIFIER_MAX || (c->count > 0 && c->units == NULL)) {
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_CLASSIFIER);
        return;
    }
    pn_pnrp_wr_array_hdr(w, c->count, PN_PNRP_F_WCHAR, 2);
    pn_wr_bytes(w, c->units, (size_t)c->count * 2);
}

/* ---- encoding helpers ---------------------------------------------------------------- */
size_t pn_pnrp_wr_elem_open(pn_wr *w, uint16_t field_id)
{
    size_t at = pn_wr_len(w);
    pn_wr_u16be(w, field_id);
    pn_wr_u16be(w, 0);
    return at;
}

void pn_pnrp_wr_elem_close(pn_wr *w, size_t at)
{
    size_t len = pn_wr_len(w) - at;
    if (len > 0xFFFF) {
        pn_pnrp_wr_fail(w, PN_ERR_OVERFLOW);
        return;
    }
    pn_wr_patch_u16be(w, at + 2, (uint16_t)len);
}

void pn_pnrp_wr_array_hdr(pn_wr *w, uint16_t count, uint16_t elem_type, uint16_t entry_len)
{
    uint32_t alen = 8u + (uint32_t)count * entry_len;
    if (alen > 0xFFFF - 4) {
        pn_pnrp_wr_fail(w, PN_ERR_OVERFLOW);
        return;
    }
    pn_wr_u16be(w, count);
    pn_wr_u16be(w, (uint16_t)alen);
    pn_wr_u16be(w, elem_type);
    pn_wr_u16be(w, entry_len);
}

void pn_pnrp_wr_fail(pn_wr *w, int err)
{
    if (w->err == 0 || w->err == PN_ERR_BUFSIZE)
        w->err = err;
}

int pn_pnrp_wr_result(const pn_wr *w, size_t *needed)
{
    if (needed != NULL)
        *needed = pn_wr_len(w);
    if (w->err != 0)
        return w->err;
    if (pn_wr_len(w) > 0x7FFFFFFF)
        return PN_ERR_OVERFLOW;
    return (int)pn_wr_len(w);
}
