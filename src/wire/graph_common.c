/* MS-PPGRH codecs: error reports, GUIDs, UTF-16 record strings and array entries. */
#include "wire/graph_int.h"
#include "wire/pn_mem.h"

/* MS-PPGRH 2.2.1.9 (reserved record types), 2.2.3.1/2.2.3.2 (fixed record IDs) and
 * 2.2.4.1 (the Ping data type; the spec prints its last group without the hyphen). */
const pn_graph_guid pn_graph_type_graph_info =
    PN_GRAPH_GUID(0x00000100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
const pn_graph_guid pn_graph_type_signature =
    PN_GRAPH_GUID(0x00000200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
const pn_graph_guid pn_graph_type_contact = PN_GRAPH_GUID(0x00000300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
const pn_graph_guid pn_graph_type_presence =
    PN_GRAPH_GUID(0x00000400, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
const pn_graph_guid pn_graph_id_graph_info =
    PN_GRAPH_GUID(0x6c796768, 0x7732, 0x406b, 0xbc, 0x6e, 0x5e, 0x9c, 0x0d, 0x86, 0x45, 0x80);
const pn_graph_guid pn_graph_id_signature =
    PN_GRAPH_GUID(0x4c515c94, 0x4252, 0x494f, 0x84, 0x40, 0x34, 0xcc, 0x79, 0x76, 0x9c, 0x81);
const pn_graph_guid pn_graph_type_ping =
    PN_GRAPH_GUID(0x0ccbb0d2, 0xbe41, 0x4bd6, 0x91, 0x4b, 0x05, 0x8e, 0xc5, 0xdc, 0xce, 0x64);

int pn_graph_fail(pn_graph_err *err, int code, const uint8_t *base, const uint8_t *at,
                  const char *field)
{
    if (err != NULL && err->code == PN_OK) {
        err->code = code;
        err->offset = (base != NULL && at != NULL && at >= base) ? (size_t)(at - base) : 0;
        err->field = field;
    }
    return code;
}

int pn_graph_wr_result(const pn_wr *w, size_t *needed)
{
    int e = pn_wr_finish(w);
    if (needed != NULL)
        *needed = pn_wr_len(w);
    if (e != PN_OK)
        return e;
    if (pn_wr_len(w) > 0x7fffffffu)
        return PN_ERR_OVERFLOW;
    return (int)pn_wr_len(w);
}

uint16_t pn_graph_u16_get(const uint8_t *p)
{
#if PN_GRAPH_UTF16_BE
    return pn_get_u16be(p);
#else
    return pn_get_u16le(p);
#endif
}

void pn_graph_u16_put(uint8_t *p, uint16_t v)
{
#if PN_GRAPH_UTF16_BE
    pn_put_u16be(p, v);
#else
    pn_put_u16le(p, v);
#endif
}

void pn_graph_guid_read(const uint8_t *wire, pn_graph_guid *g)
{
    memcpy(g->b, wire, 16);
#if PN_GRAPH_GUID_WIRE_LE
    g->b[0] = wire[3];
    g->b[1] = wire[2];
    g->b[2] = wire[1];
    g->b[3] = wire[0];
    g->b[4] = wire[5];
    g->b[5] = wire[4];
    g->b[6] = wire[7];
    g->b[7] = wire[6];
#endif
}

void pn_graph_guid_write(uint8_t *wire, const pn_graph_guid *g)
{
    pn_graph_guid t;
    pn_graph_guid_read(g->b, &t); /* the permutation is its own inverse */
    memcpy(wire, t.b, 16);
}

int pn_graph_guid_eq(const pn_graph_guid *a, const pn_graph_guid *b)
{
    return memcmp(a->b, b->b, 16) == 0;
}

void pn_graph_guid_format(const pn_graph_guid *g, char out[PN_GRAPH_GUID_STRLEN])
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;
    out[o++] = '{';
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[g->b[i] >> 4];
        out[o++] = hex[g->b[i] & 15];
    }
    out[o++] = '}';
    out[o] = '\0';
}

int pn_graph_str16_check(const uint8_t *p, uint32_t count, size_t *bad)
{
    uint32_t i;
    for (i = 0; i < count; i++) {
        uint16_t u = pn_graph_u16_get(p + 2 * (size_t)i);
        if ((u == 0) != (i + 1 == count))
            goto fail;
        if (u >= 0xD800 && u <= 0xDBFF) {
            uint16_t v;
            if (i + 1 >= count)
                goto fail;
            v = pn_graph_u16_get(p + 2 * ((size_t)i + 1));
            if (v < 0xDC00 || v > 0xDFFF)
                goto fail;
            i++;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            goto fail;
        }
    }
    return PN_OK;
fail:
    if (bad != NULL)
        *bad = i;
    return PN_ERR_GRAPH_STRING;
}

int pn_graph_rd_str16(pn_rd *r, pn_graph_str16 *s, uint32_t min, uint32_t max, int allow_zero,
                      const uint8_t *base, pn_graph_err *err, const char *len_field,
                      const char *field)
{
    const uint8_t *at = r->p;
    uint32_t n = pn_rd_u32be(r);
    size_t bad = 0;
    s->p = NULL;
    s->count = 0;
    if (pn_rd_err(r) != PN_OK)
        return pn_graph_fail(err, pn_rd_err(r), base, at, len_field);
    if (n == 0 && allow_zero)
        return PN_OK;
    if (n < min || n > max)
        return pn_rd_fail(r, pn_graph_fail(err, PN_ERR_GRAPH_LENGTH, base, at, len_field));
    if ((size_t)n * 2 > pn_rd_left(r))
        return pn_rd_fail(r, pn_graph_fail(err, PN_ERR_TRUNCATED, base, at, len_field));
    s->p = pn_rd_ptr(r, (size_t)n * 2);
    s->count = n;
    if (pn_graph_str16_check(s->p, n, &bad) != PN_OK)
        return pn_rd_fail(r, pn_graph_fail(err, PN_ERR_GRAPH_STRING, base, s->p + 2 * bad, field));
    return PN_OK;
}

void pn_graph_wr_str16(pn_wr *w, const pn_graph_str16 *s)
{
    pn_wr_u32be(w, s->count);
    if (s->count > 0)
        pn_wr_bytes(w, s->p, (size_t)s->count * 2);
}

void pn_graph_wr_guid(pn_wr *w, const pn_graph_guid *g)
{
    uint8_t b[16];
    pn_graph_guid_write(b, g);
    pn_wr_bytes(w, b, 16);
}

uint16_t pn_graph_str16_unit(const pn_graph_str16 *s, size_t i)
{
    return pn_graph_u16_get(s->p + 2 * i);
}

int pn_graph_str16_from_utf8(const char *utf8, size_t len, uint8_t *buf, size_t cap, size_t *needed,
                             pn_graph_str16 *out)
{
    const uint8_t *in = (const uint8_t *)utf8;
    size_t i = 0, units = 0;
    int pass;
    if (pn_utf8_valid(in, len) != PN_OK)
        return PN_ERR_UTF8;
    /* Pass 0 counts, pass 1 writes; the input is valid UTF-8, so decoding is simple. */
    for (pass = 0; pass < 2; pass++) {
        units = 0;
        for (i = 0; i < len;) {
            uint32_t c = in[i];
            size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, k;
            if (n > 1)
                c &= 0x3Fu >> (n - 1);
            for (k = 1; k < n; k++)
                c = (c << 6) | (in[i + k] & 0x3Fu);
            i += n;
            if (c == 0)
                return PN_ERR_ARG; /* an embedded NUL would end the string early */
            if (c >= 0x10000) {
                if (pass)
                    pn_graph_u16_put(buf + 2 * units, (uint16_t)(0xD800 + ((c - 0x10000) >> 10)));
                if (pass)
                    pn_graph_u16_put(buf + 2 * units + 2, (uint16_t)(0xDC00 + (c & 0x3FF)));
                units += 2;
            } else {
                if (pass)
                    pn_graph_u16_put(buf + 2 * units, (uint16_t)c);
                units++;
            }
        }
        if (pass)
            pn_graph_u16_put(buf + 2 * units, 0);
        units++;
        if (needed != NULL)
            *needed = units * 2;
        if (units * 2 > cap || buf == NULL)
            return PN_ERR_BUFSIZE;
        if (units > 0x7fffffffu / 2)
            return PN_ERR_OVERFLOW;
    }
    if (out != NULL) {
        out->p = buf;
        out->count = (uint32_t)units;
    }
    return (int)(units * 2);
}

int pn_graph_str16_to_utf8(const pn_graph_str16 *s, char *out, size_t cap, size_t *needed)
{
    size_t i, n = 0, units = s->count > 0 ? s->count - 1 : 0;
    uint8_t *o = (uint8_t *)out;
    for (i = 0; i < units; i++) {
        uint32_t c = pn_graph_u16_get(s->p + 2 * i);
        uint8_t b[4];
        size_t k, m;
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
            uint32_t d = pn_graph_u16_get(s->p + 2 * (i + 1));
            if (d >= 0xDC00 && d <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            }
        }
        if (c >= 0xD800 && c <= 0xDFFF)
            return PN_ERR_UTF16;
        if (c < 0x80) {
            b[0] = (uint8_t)c;
            m = 1;
        } else if (c < 0x800) {
            b[0] = (uint8_t)(0xC0 | (c >> 6));
            b[1] = (uint8_t)(0x80 | (c & 0x3F));
            m = 2;
        } else if (c < 0x10000) {
            b[0] = (uint8_t)(0xE0 | (c >> 12));
            b[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            b[2] = (uint8_t)(0x80 | (c & 0x3F));
            m = 3;
        } else {
            b[0] = (uint8_t)(0xF0 | (c >> 18));
            b[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
            b[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            b[3] = (uint8_t)(0x80 | (c & 0x3F));
            m = 4;
        }
        for (k = 0; k < m; k++, n++)
            if (n < cap)
                o[n] = b[k];
    }
    if (needed != NULL)
        *needed = n;
    if (n > cap || o == NULL)
        return PN_ERR_BUFSIZE;
    if (n < cap)
        o[n] = 0;
    return (int)n;
}

/* ---- array entries ------------------------------------------------------------------ */
void pn_graph_in6_get(const pn_graph_array *a, size_t i, pn_graph_in6 *out)
{
    const uint8_t *p = a->p + i * PN_GRAPH_IN6_SIZE;
    out->port = pn_get_u16be(p + 2);
    memcpy(out->addr, p + 4, 16);
}

void pn_graph_in6_put(uint8_t *raw, size_t i, const pn_graph_in6 *in)
{
    uint8_t *p = raw + i * PN_GRAPH_IN6_SIZE;
    pn_put_u16be(p, PN_GRAPH_FAMILY_INET6);
    pn_put_u16be(p + 2, in->port);
    memcpy(p + 4, in->addr, 16);
}

void pn_graph_peer_addr_get(const pn_graph_array *a, size_t i, pn_graph_peer_addr *out)
{
    const uint8_t *p = a->p + i * PN_GRAPH_PEER_ADDR_SIZE;
    out->port = pn_get_u16be(p + 6);
    out->flow_info = pn_get_u32be(p + 8);
    memcpy(out->addr, p + 12, 16);
}

void pn_graph_peer_addr_put(uint8_t *raw, size_t i, const pn_graph_peer_addr *in)
{
    uint8_t *p = raw + i * PN_GRAPH_PEER_ADDR_SIZE;
    pn_put_u32be(p, PN_GRAPH_PEER_ADDR_SIZE);
    pn_put_u16be(p + 4, PN_GRAPH_FAMILY_INET6);
    pn_put_u16be(p + 6, in->port);
    pn_put_u32be(p + 8, in->flow_info);
    memcpy(p + 12, in->addr, 16);
    pn_put_u32be(p + 28, 0);
}

void pn_graph_guid_get(const pn_graph_array *a, size_t i, pn_graph_guid *out)
{
    pn_graph_guid_read(a->p + i * 16, out);
}

void pn_graph_guid_put(uint8_t *raw, size_t i, const pn_graph_guid *in)
{
    pn_graph_guid_write(raw + i * 16, in);
}

void pn_graph_abstract_get(const pn_graph_array *a, size_t i, pn_graph_abstract *out)
{
    const uint8_t *p = a->p + i * PN_GRAPH_ABSTRACT_SIZE;
    pn_graph_guid_read(p, &out->id);
    out->version = pn_get_u32be(p + 16);
}

void pn_graph_abstract_put(uint8_t *raw, size_t i, const pn_graph_abstract *in)
{
    uint8_t *p = raw + i * PN_GRAPH_ABSTRACT_SIZE;
    pn_graph_guid_write(p, &in->id);
    pn_put_u32be(p + 16, in->version);
}

void pn_graph_hash_info_get(const pn_graph_array *a, size_t i, pn_graph_hash_info *out)
{
    const uint8_t *p = a->p + i * PN_GRAPH_HASH_INFO_SIZE;
    memcpy(out->hash, p, 16);
    out->mod_time = pn_get_u64be(p + 16);
    pn_graph_guid_read(p + 24, &out->id);
}

void pn_graph_hash_info_put(uint8_t *raw, size_t i, const pn_graph_hash_info *in)
{
    uint8_t *p = raw + i * PN_GRAPH_HASH_INFO_SIZE;
    memcpy(p, in->hash, 16);
    pn_put_u64be(p + 16, in->mod_time);
    pn_graph_guid_write(p + 24, &in->id);
}

void pn_graph_boundary_get(const pn_graph_array *a, size_t i, pn_graph_boundary *out)
{
    const uint8_t *p = a->p + i * PN_GRAPH_BOUNDARY_SIZE;
    out->mod_time_lower = pn_get_u64be(p);
    pn_graph_guid_read(p + 8, &out->id_lower);
    out->mod_time_upper = pn_get_u64be(p + 24);
    pn_graph_guid_read(p + 32, &out->id_upper);
    out->count = pn_get_u32be(p + 48);
}

void pn_graph_boundary_put(uint8_t *raw, size_t i, const pn_graph_boundary *in)
{
    uint8_t *p = raw + i * PN_GRAPH_BOUNDARY_SIZE;
    pn_put_u64be(p, in->mod_time_lower);
    pn_graph_guid_write(p + 8, &in->id_lower);
    pn_put_u64be(p + 24, in->mod_time_upper);
    pn_graph_guid_write(p + 32, &in->id_upper);
    pn_put_u32be(p + 48, in->count);
}

void pn_graph_ack_get(const pn_graph_array *a, size_t i, pn_graph_ack_entry *out)
{
    const uint8_t *p = a->p + i * PN_GRAPH_ACK_ENTRY_SIZE;
    pn_graph_guid_read(p, &out->id);
    out->flags = pn_get_u32be(p + 16);
}

void pn_graph_ack_put(uint8_t *raw, size_t i, const pn_graph_ack_entry *in)
{
    uint8_t *p = raw + i * PN_GRAPH_ACK_ENTRY_SIZE;
    pn_graph_guid_write(p, &in->id);
    pn_put_u32be(p + 16, in->flags);
}
