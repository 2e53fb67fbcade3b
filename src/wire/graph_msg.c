/* MS-PPGRH 2.2.1.2 and 2.2.2: the PEER_MESSAGE header and the fourteen messages.
 *
 * Every decoder applies, in this order: the receive checks of MS-PPGRH 3.1.5.2.x for its
 * message (sizes, offsets, counts, enumerations), the field rules of 2.2.2.x, and then
 * the layout rule of decision G-6 (variable parts back to back in table order). */
#include "wire/graph_int.h"
#include "wire/pn_mem.h"

typedef struct dec {
    const uint8_t *b;
    uint32_t size;
    pn_graph_err *err;
} dec;

static int fail(const dec *d, int code, size_t at, const char *field)
{
    return pn_graph_fail(d->err, code, d->b, d->b + at, field);
}

/* Fields MS-PPGRH says are zero when sent and ignored on receipt (opts.h policy). */
static int reserved(const dec *d, uint32_t v, size_t at, const char *field)
{
    if (PN_GRAPH_CHECK_RESERVED && v != 0)
        return fail(d, PN_ERR_GRAPH_RESERVED, at, field);
    return PN_OK;
}

/* An array of n entries of elem bytes whose offset field (at off_at) holds off.  Empty:
 * the raw offset is kept for re-encoding.  Otherwise it must start at *pos. */
static int take_array(const dec *d, size_t *pos, pn_graph_array *a, uint32_t n, uint32_t off,
                      size_t elem, uint32_t max, size_t off_at, const char *off_field,
                      size_t cnt_at, const char *cnt_field)
{
    a->n = n;
    a->p = NULL;
    if (n == 0) {
        a->off = off == d->size ? PN_GRAPH_OFF_END : off;
        return PN_OK;
    }
    a->off = off;
    if (off != *pos)
        return fail(d, PN_ERR_GRAPH_OFFSET, off_at, off_field);
    if ((uint64_t)n * elem > d->size - *pos)
        return fail(d, PN_ERR_GRAPH_COUNT, cnt_at, cnt_field);
    if (n > max)
        return fail(d, PN_ERR_GRAPH_COUNT, cnt_at, cnt_field);
    a->p = d->b + *pos;
    *pos += (size_t)n * elem;
    return PN_OK;
}

/* A NUL-terminated UTF-8 string at off (MS-PPGRH 2.2.2.1-2.2.2.3).  optional: absent when
 * off equals Message Size.  nonempty: at least one byte before the NUL. */
static int take_str(const dec *d, size_t *pos, pn_graph_str8 *s, uint32_t off, int optional,
                    int nonempty, size_t off_at, const char *off_field, const char *field)
{
    size_t i;
    s->p = NULL;
    s->len = 0;
    if (optional && off == d->size)
        return PN_OK;
    if (off != *pos)
        return fail(d, PN_ERR_GRAPH_OFFSET, off_at, off_field);
    for (i = off; i < d->size && d->b[i] != 0; i++)
        ;
    if (i >= d->size)
        return fail(d, PN_ERR_GRAPH_STRING, off, field);
    if (nonempty && i == off)
        return fail(d, PN_ERR_GRAPH_STRING, off, field);
    if (pn_utf8_valid(d->b + off, i - off) != PN_OK)
        return fail(d, PN_ERR_GRAPH_STRING, off, field);
    s->p = d->b + off;
    s->len = i - off;
    *pos = i + 1;
    return PN_OK;
}

static int check_end(const dec *d, size_t pos)
{
    if (pos != d->size)
        return fail(d, PN_ERR_TRAILING, pos, "Message Size");
    return PN_OK;
}

/* MS-PPGRH 2.2.1.3: every PEER_IN6_ADDRESS has Protocol Family 0x0017. */
static int check_in6(const dec *d, const pn_graph_array *a)
{
    uint32_t i;
    for (i = 0; i < a->n; i++) {
        const uint8_t *p = a->p + (size_t)i * PN_GRAPH_IN6_SIZE;
        if (pn_get_u16be(p) != PN_GRAPH_FAMILY_INET6)
            return fail(d, PN_ERR_GRAPH_ADDRESS, (size_t)(p - d->b), "Protocol Family");
    }
    return PN_OK;
}

#define TRY(x)                                                                                     \
    do {                                                                                           \
        int rc_ = (x);                                                                             \
        if (rc_ != PN_OK)                                                                          \
            return rc_;                                                                            \
    } while (0)

/* 0x01 AUTH_INFO: MS-PPGRH 2.2.2.1, 3.1.5.1.1 */
static int dec_auth_info(const dec *d, pn_graph_auth_info *m)
{
    const uint8_t *b = d->b;
    uint32_t goff, soff, doff;
    size_t pos = 16;
    if (d->size < 0x10)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    m->conn_type = b[8];
    goff = pn_get_u16be(b + 10);
    soff = pn_get_u16be(b + 12);
    doff = pn_get_u16be(b + 14);
    if (m->conn_type != PN_GRAPH_CONN_NEIGHBOR && m->conn_type != PN_GRAPH_CONN_DIRECT)
        return fail(d, PN_ERR_GRAPH_ENUM, 8, "Connection Type");
    TRY(reserved(d, b[9], 9, "Reserved2"));
    if (goff >= soff)
        return fail(d, PN_ERR_GRAPH_OFFSET, 12, "Source Peer ID Offset");
    if (soff >= doff)
        return fail(d, PN_ERR_GRAPH_OFFSET, 14, "Destination Peer ID Offset");
    if (doff > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 14, "Destination Peer ID Offset");
    TRY(take_str(d, &pos, &m->graph_id, goff, 0, 1, 10, "Graph ID Offset", "Graph ID Data"));
    TRY(take_str(d, &pos, &m->src_peer_id, soff, 0, 1, 12, "Source Peer ID Offset",
                 "Source Peer ID Data"));
    TRY(take_str(d, &pos, &m->dst_peer_id, doff, 1, 1, 14, "Destination Peer ID Offset",
                 "Destination Peer ID Data"));
    return check_end(d, pos);
}

/* 0x02 CONNECT: MS-PPGRH 2.2.2.2, 3.1.5.2.1 */
static int dec_connect(const dec *d, pn_graph_connect *m)
{
    const uint8_t *b = d->b;
    uint32_t count, aoff, foff;
    size_t pos = 24;
    if (d->size < 0x18)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    m->flags = b[8];
    count = b[9];
    aoff = pn_get_u16be(b + 10);
    foff = pn_get_u16be(b + 12);
    m->node_id = pn_get_u64be(b + 16);
    if ((uint64_t)count * 20 + aoff > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 10, "Address Offset");
    if (foff < count * 20 + aoff)
        return fail(d, PN_ERR_GRAPH_OFFSET, 12, "Friendly Name Offset");
    if (foff > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 12, "Friendly Name Offset");
    TRY(reserved(d, m->flags & PN_GRAPH_CONNECT_MBZ, 8, "Flags"));
    if ((m->flags & PN_GRAPH_CONNECT_UPDATE) && count == 0)
        return fail(d, PN_ERR_GRAPH_FLAG, 9, "Address Count");
    TRY(reserved(d, pn_get_u16be(b + 14), 14, "Reserved2"));
    TRY(take_array(d, &pos, &m->addrs, count, aoff, PN_GRAPH_IN6_SIZE, PN_GRAPH_MAX_ADDRESSES, 10,
                   "Address Offset", 9, "Address Count"));
    TRY(check_in6(d, &m->addrs));
    TRY(take_str(d, &pos, &m->friendly_name, foff, 1, 0, 12, "Friendly Name Offset",
                 "Friendly Name"));
    return check_end(d, pos);
}

/* 0x03 WELCOME: MS-PPGRH 2.2.2.3, 3.1.5.2.2 */
static int dec_welcome(const dec *d, pn_graph_welcome *m)
{
    const uint8_t *b = d->b;
    uint32_t count, aoff, poff, foff;
    size_t pos = 32;
    if (d->size < 0x20)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    m->node_id = pn_get_u64be(b + 8);
    m->peer_time = pn_get_u64be(b + 16);
    count = b[24];
    aoff = pn_get_u16be(b + 26);
    poff = pn_get_u16be(b + 28);
    foff = pn_get_u16be(b + 30);
    if ((uint64_t)count * 20 + aoff >= d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 26, "Address Offset");
    if (poff < count * 20 + aoff)
        return fail(d, PN_ERR_GRAPH_OFFSET, 28, "Peer ID Offset");
    if (foff <= poff)
        return fail(d, PN_ERR_GRAPH_OFFSET, 30, "Friendly Name Offset");
    if (foff > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 30, "Friendly Name Offset");
    TRY(reserved(d, b[25], 25, "Reserved2"));
    TRY(take_array(d, &pos, &m->addrs, count, aoff, PN_GRAPH_IN6_SIZE, PN_GRAPH_MAX_ADDRESSES, 26,
                   "Address Offset", 24, "Address Count"));
    TRY(check_in6(d, &m->addrs));
    TRY(take_str(d, &pos, &m->peer_id, poff, 0, 0, 28, "Peer ID Offset", "Peer ID"));
    TRY(take_str(d, &pos, &m->friendly_name, foff, 1, 0, 30, "Friendly Name Offset",
                 "Friendly Name"));
    return check_end(d, pos);
}

/* 0x04 REFUSE and 0x05 DISCONNECT: MS-PPGRH 2.2.2.4/2.2.2.5, 3.1.5.2.3/3.1.5.2.4 */
static int dec_refuse(const dec *d, uint8_t type, pn_graph_refuse *m)
{
    const uint8_t *b = d->b;
    uint32_t count, aoff;
    size_t pos = 12;
    unsigned max_code = type == PN_GRAPH_REFUSE ? 4 : 3;
    if (d->size < 0x0C)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    m->code = b[8];
    count = b[9];
    aoff = pn_get_u16be(b + 10);
    if ((uint64_t)count * 20 + aoff > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 10, "Address Offset");
    if (m->code < 1 || m->code > max_code)
        return fail(d, PN_ERR_GRAPH_ENUM, 8, type == PN_GRAPH_REFUSE ? "Error Code" : "Reason");
    TRY(take_array(d, &pos, &m->addrs, count, aoff, PN_GRAPH_IN6_SIZE, PN_GRAPH_MAX_ADDRESSES, 10,
                   "Address Offset", 9, "Address Count"));
    TRY(check_in6(d, &m->addrs));
    return check_end(d, pos);
}

/* 0x06 SOLICIT_NEW, 0x07 SOLICIT_TIME, 0x08 SOLICIT_HASH: MS-PPGRH 2.2.2.6-2.2.2.8,
 * 3.1.5.2.5-3.1.5.2.7 */
static int dec_solicit(const dec *d, uint8_t type, pn_graph_solicit *m)
{
    const uint8_t *b = d->b;
    uint32_t toff, hcount = 0, hoff = 0, ntypes;
    size_t fixed = type == PN_GRAPH_SOLICIT_NEW ? 12 : 20, pos = fixed;
    if (d->size < fixed)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    m->inclusion = b[8];
    m->exclusion = b[9];
    toff = pn_get_u16be(b + 10);
    ntypes = (uint32_t)m->inclusion + m->exclusion;
    if (type == PN_GRAPH_SOLICIT_TIME)
        m->mod_time = pn_get_u64be(b + 12);
    if (type != PN_GRAPH_SOLICIT_HASH && m->inclusion > 1)
        return fail(d, PN_ERR_GRAPH_COUNT, 8, "Inclusion Count");
    if (m->inclusion != 0 && m->exclusion != 0)
        return fail(d, PN_ERR_GRAPH_COUNT, 9, "Exclusion Count");
    if (type == PN_GRAPH_SOLICIT_HASH) {
        hcount = pn_get_u32be(b + 12);
        hoff = pn_get_u16be(b + 16);
        /* The spec's "Hash Entry Offset * 0x28 + Hash Entry Offset" is read as Hash Count
         * * 0x28 + Hash Entry Offset (decision G-9). */
        if ((uint64_t)ntypes * 16 + toff > hoff)
            return fail(d, PN_ERR_GRAPH_OFFSET, 10, "Record Types Offset");
        if ((uint64_t)hcount * 40 + hoff > d->size)
            return fail(d, PN_ERR_GRAPH_OFFSET, 16, "Hash Entry Offset");
        TRY(reserved(d, pn_get_u16be(b + 18), 18, "Reserved2"));
    } else if ((uint64_t)ntypes * 16 + toff > d->size) {
        return fail(d, PN_ERR_GRAPH_OFFSET, 10, "Record Types Offset");
    }
    TRY(take_array(d, &pos, &m->types, ntypes, toff, 16, PN_GRAPH_MAX_RECORD_TYPES, 10,
                   "Record Types Offset", m->inclusion ? 8 : 9,
                   m->inclusion ? "Inclusion Count" : "Exclusion Count"));
    if (type == PN_GRAPH_SOLICIT_HASH)
        TRY(take_array(d, &pos, &m->hashes, hcount, hoff, PN_GRAPH_HASH_INFO_SIZE,
                       PN_GRAPH_MAX_HASH_ENTRIES, 16, "Hash Entry Offset", 12, "Hash Count"));
    return check_end(d, pos);
}

/* 0x09 ADVERTISE: MS-PPGRH 2.2.2.9, 3.1.5.2.8 */
static int dec_advertise(const dec *d, pn_graph_advertise *m)
{
    const uint8_t *b = d->b;
    uint32_t hn, an, hoff, aoff;
    size_t pos = 24;
    if (d->size < 0x18)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    hn = pn_get_u32be(b + 8);
    an = pn_get_u32be(b + 12);
    hoff = pn_get_u16be(b + 16);
    aoff = pn_get_u32be(b + 20);
    if (hoff > aoff)
        return fail(d, PN_ERR_GRAPH_OFFSET, 16, "Hash Entry Boundary Offset");
    if (aoff > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 20, "Record Abstracts Offset");
    if ((uint64_t)hn * 52 + hoff > aoff)
        return fail(d, PN_ERR_GRAPH_COUNT, 8, "Hash Entry Boundary Count");
    if ((uint64_t)an * 20 + aoff > d->size)
        return fail(d, PN_ERR_GRAPH_COUNT, 12, "Record Abstract Count");
    TRY(reserved(d, pn_get_u16be(b + 18), 18, "Reserved2"));
    TRY(take_array(d, &pos, &m->boundaries, hn, hoff, PN_GRAPH_BOUNDARY_SIZE,
                   PN_GRAPH_MAX_HASH_ENTRIES, 16, "Hash Entry Boundary Offset", 8,
                   "Hash Entry Boundary Count"));
    TRY(take_array(d, &pos, &m->abstracts, an, aoff, PN_GRAPH_ABSTRACT_SIZE, PN_GRAPH_MAX_ABSTRACTS,
                   20, "Record Abstracts Offset", 12, "Record Abstract Count"));
    return check_end(d, pos);
}

/* 0x0A REQUEST: MS-PPGRH 2.2.2.10, 3.1.5.2.9 (at least 0x14 bytes: one abstract) */
static int dec_request(const dec *d, pn_graph_request *m)
{
    const uint8_t *b = d->b;
    uint32_t n, off;
    size_t pos = 16;
    if (d->size < 0x14)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    n = pn_get_u32be(b + 8);
    off = pn_get_u32be(b + 12);
    if (off > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 12, "Record Abstracts Offset");
    if ((uint64_t)n * 20 + off > d->size)
        return fail(d, PN_ERR_GRAPH_COUNT, 8, "Record Abstract Count");
    TRY(take_array(d, &pos, &m->abstracts, n, off, PN_GRAPH_ABSTRACT_SIZE, PN_GRAPH_MAX_ABSTRACTS,
                   12, "Record Abstracts Offset", 8, "Record Abstract Count"));
    return check_end(d, pos);
}

/* 0x0B FLOOD: MS-PPGRH 2.2.2.11, 3.1.5.2.10, 3.1.7.27 */
static int dec_flood(const dec *d, pn_graph_flood *m)
{
    const uint8_t *b = d->b;
    uint32_t off;
    if (d->size < 0x10)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    off = pn_get_u16be(b + 8);
    if (off > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 8, "Record Offset");
    if (pn_get_u16be(b + 10) != 0) /* a receive check, whatever the reserved policy */
        return fail(d, PN_ERR_GRAPH_RESERVED, 10, "Reserved2");
    if (off != 12)
        return fail(d, PN_ERR_GRAPH_OFFSET, 8, "Record Offset");
    return pn_graph_record_decode_at(b + 12, d->size - 12, b, &m->rec, d->err);
}

/* 0x0C SYNC_END: MS-PPGRH 2.2.2.12, 3.1.5.2.11.  F clear is accepted: 3.1.5.2.5 sends
 * non-final SYNC_ENDs (decision G-10). */
static int dec_sync_end(const dec *d, pn_graph_sync_end *m)
{
    const uint8_t *b = d->b;
    if (d->size < 0x0C)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    m->flags = b[8];
    TRY(reserved(d, m->flags & PN_GRAPH_SYNC_END_MBZ, 8, "Flags"));
    TRY(reserved(d, b[9], 9, "Reserved2"));
    TRY(reserved(d, pn_get_u16be(b + 10), 10, "Reserved3"));
    return check_end(d, 12);
}

/* 0x0D PT2PT: MS-PPGRH 2.2.2.13, 2.2.4.1, 3.1.5.2.13.  The spec's minimum (0x10) is
 * shorter than the fixed part; the Data Type must be there (decision G-8). */
static int dec_pt2pt(const dec *d, pn_graph_pt2pt *m)
{
    const uint8_t *b = d->b;
    uint32_t off;
    if (d->size < 0x10)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    off = pn_get_u16be(b + 8);
    if (off > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 8, "Data Offset");
    TRY(reserved(d, pn_get_u16be(b + 10), 10, "Reserved2"));
    if (d->size < 28)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    pn_graph_guid_read(b + 12, &m->data_type);
    if (off != 28)
        return fail(d, PN_ERR_GRAPH_OFFSET, 8, "Data Offset");
    m->payload = d->size > 28 ? b + 28 : NULL;
    m->payload_len = d->size - 28;
    if (m->payload_len != 0 && pn_graph_guid_eq(&m->data_type, &pn_graph_type_ping))
        return fail(d, PN_ERR_GRAPH_FLAG, 28, "Payload Data");
    return PN_OK;
}

/* 0x0E ACK: MS-PPGRH 2.2.2.14, 3.1.5.2.12 */
static int dec_ack(const dec *d, pn_graph_ack *m)
{
    const uint8_t *b = d->b;
    uint32_t n, off, i;
    size_t pos = 12;
    if (d->size < 0x0C)
        return fail(d, PN_ERR_GRAPH_SIZE, 0, "Message Size");
    n = pn_get_u16be(b + 8);
    off = pn_get_u16be(b + 10);
    if (off > d->size)
        return fail(d, PN_ERR_GRAPH_OFFSET, 10, "ACKs Offset");
    if (n * 20 + off > d->size)
        return fail(d, PN_ERR_GRAPH_COUNT, 8, "ACKs Count");
    TRY(take_array(d, &pos, &m->acks, n, off, PN_GRAPH_ACK_ENTRY_SIZE, PN_GRAPH_MAX_ACKS, 10,
                   "ACKs Offset", 8, "ACKs Count"));
    for (i = 0; i < n; i++) {
        size_t at = 12 + (size_t)i * PN_GRAPH_ACK_ENTRY_SIZE + 16;
        TRY(reserved(d, pn_get_u32be(b + at) & PN_GRAPH_ACK_MBZ, at, "Record ACK Reserved"));
    }
    return check_end(d, pos);
}

const char *pn_graph_msg_name(unsigned type)
{
    static const char *const names[] = {NULL,           "AUTH_INFO",  "CONNECT",     "WELCOME",
                                        "REFUSE",       "DISCONNECT", "SOLICIT_NEW", "SOLICIT_TIME",
                                        "SOLICIT_HASH", "ADVERTISE",  "REQUEST",     "FLOOD",
                                        "SYNC_END",     "PT2PT",      "ACK"};
    return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

int pn_graph_msg_decode(const uint8_t *buf, size_t len, pn_graph_msg *m, pn_graph_err *err)
{
    dec d;
    uint32_t size;
    int rc;
    if (err != NULL) {
        err->code = PN_OK;
        err->offset = 0;
        err->field = NULL;
    }
    if (m == NULL || (buf == NULL && len != 0))
        return PN_ERR_ARG;
    memset(m, 0, sizeof *m);
    d.b = buf;
    d.err = err;
    d.size = 0;
    if (len < 4)
        return pn_graph_fail(err, PN_ERR_TRUNCATED, buf, buf, "Message Size");
    /* MS-PPGRH 2.2.1.2 and 3.1.5.2: the header, then the type's own decoder. */
    size = pn_get_u32be(buf);
    if (size < PN_GRAPH_HEADER_SIZE)
        return pn_graph_fail(err, PN_ERR_GRAPH_SIZE, buf, buf, "Message Size");
    if (size > len)
        return pn_graph_fail(err, PN_ERR_TRUNCATED, buf, buf, "Message Size");
    if (size < len)
        return pn_graph_fail(err, PN_ERR_TRAILING, buf, buf + size, "Message Size");
    if (size > PN_GRAPH_MSG_MAX_BYTES)
        return pn_graph_fail(err, PN_ERR_GRAPH_TOO_BIG, buf, buf, "Message Size");
    d.size = size;
    m->size = size;
    if (buf[4] != PN_GRAPH_VERSION)
        return fail(&d, PN_ERR_GRAPH_VERSION, 4, "Version");
    m->type = buf[5];
    if (pn_graph_msg_name(m->type) == NULL)
        return fail(&d, PN_ERR_GRAPH_MSGTYPE, 5, "Message Type");
    TRY(reserved(&d, pn_get_u16be(buf + 6), 6, "Reserved"));
    switch (m->type) {
    case PN_GRAPH_AUTH_INFO:
        rc = dec_auth_info(&d, &m->u.auth_info);
        break;
    case PN_GRAPH_CONNECT:
        rc = dec_connect(&d, &m->u.connect);
        break;
    case PN_GRAPH_WELCOME:
        rc = dec_welcome(&d, &m->u.welcome);
        break;
    case PN_GRAPH_REFUSE:
    case PN_GRAPH_DISCONNECT:
        rc = dec_refuse(&d, m->type, &m->u.refuse);
        break;
    case PN_GRAPH_SOLICIT_NEW:
    case PN_GRAPH_SOLICIT_TIME:
    case PN_GRAPH_SOLICIT_HASH:
        rc = dec_solicit(&d, m->type, &m->u.solicit);
        break;
    case PN_GRAPH_ADVERTISE:
        rc = dec_advertise(&d, &m->u.advertise);
        break;
    case PN_GRAPH_REQUEST:
        rc = dec_request(&d, &m->u.request);
        break;
    case PN_GRAPH_FLOOD:
        rc = dec_flood(&d, &m->u.flood);
        break;
    case PN_GRAPH_SYNC_END:
        rc = dec_sync_end(&d, &m->u.sync_end);
        break;
    case PN_GRAPH_PT2PT:
        rc = dec_pt2pt(&d, &m->u.pt2pt);
        break;
    default:
        rc = dec_ack(&d, &m->u.ack);
        break;
    }
    return rc;
}

/* ---- encoding ---------------------------------------------------------------------- */

/* Offset written for an array: where it starts when it has entries, else the raw
 * empty-array value. */
static uint32_t arr_off(const pn_graph_array *a, size_t pos, size_t size)
{
    if (a->n > 0)
        return (uint32_t)pos;
    return a->off == PN_GRAPH_OFF_END ? (uint32_t)size : a->off;
}

/* The second array of SOLICIT_HASH and ADVERTISE: its offset must not be below the end of
 * the first (3.1.5.2.7, 3.1.5.2.8), so the default 0 becomes Message Size when the first
 * array has entries.  A decoded message never holds such a 0, so round trips keep. */
static uint32_t arr_off2(const pn_graph_array *a, const pn_graph_array *first, size_t pos,
                         size_t size)
{
    if (a->n == 0 && a->off == 0 && first->n > 0)
        return (uint32_t)size;
    return arr_off(a, pos, size);
}

static size_t str_bytes(const pn_graph_str8 *s)
{
    return s->p != NULL ? s->len + 1 : 0;
}

static void wr_str(pn_wr *w, const pn_graph_str8 *s)
{
    if (s->p != NULL) {
        pn_wr_bytes(w, s->p, s->len);
        pn_wr_u8(w, 0);
    }
}

static void wr_arr(pn_wr *w, const pn_graph_array *a, size_t elem)
{
    if (a->n > 0)
        pn_wr_bytes(w, a->p, (size_t)a->n * elem);
}

/* max_off: the largest value the array's offset field can carry. */
static int arr_ok(const pn_graph_array *a, uint32_t max, uint32_t max_off)
{
    if (a->n == 0)
        return a->off == PN_GRAPH_OFF_END || a->off <= max_off;
    return a->p != NULL && a->n <= max;
}

/* A required string given as NULL is written as an empty string (which the decoder then
 * rejects where the spec wants it non-empty). */
static const pn_graph_str8 *req_str(const pn_graph_str8 *s, pn_graph_str8 *tmp)
{
    static const uint8_t empty[1] = {0};
    if (s->p != NULL)
        return s;
    tmp->p = empty;
    tmp->len = 0;
    return tmp;
}

static int encode_body(const pn_graph_msg *m, pn_wr *w)
{
    size_t size = 0, p1, p2, p3;
    pn_graph_str8 t1, t2;
    const pn_graph_str8 *s1, *s2;
    uint8_t type = m->type;
    switch (type) {
    case PN_GRAPH_AUTH_INFO: {
        const pn_graph_auth_info *a = &m->u.auth_info;
        s1 = req_str(&a->graph_id, &t1);
        s2 = req_str(&a->src_peer_id, &t2);
        p1 = 16 + str_bytes(s1);
        p2 = p1 + str_bytes(s2);
        size = p2 + str_bytes(&a->dst_peer_id);
        if (size > 0xFFFF)
            return PN_ERR_OVERFLOW;
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u8(w, a->conn_type);
        pn_wr_u8(w, 0);
        pn_wr_u16be(w, 16);
        pn_wr_u16be(w, (uint16_t)p1);
        pn_wr_u16be(w, (uint16_t)p2);
        wr_str(w, s1);
        wr_str(w, s2);
        wr_str(w, &a->dst_peer_id);
        return PN_OK;
    }
    case PN_GRAPH_CONNECT: {
        const pn_graph_connect *c = &m->u.connect;
        if (!arr_ok(&c->addrs, PN_GRAPH_MAX_ADDRESSES, 0xFFFF))
            return PN_ERR_ARG;
        p1 = 24 + (size_t)c->addrs.n * PN_GRAPH_IN6_SIZE;
        size = p1 + str_bytes(&c->friendly_name);
        if (size > 0xFFFF)
            return PN_ERR_OVERFLOW;
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u8(w, c->flags);
        pn_wr_u8(w, (uint8_t)c->addrs.n);
        pn_wr_u16be(w, (uint16_t)arr_off(&c->addrs, 24, size));
        pn_wr_u16be(w, (uint16_t)(c->friendly_name.p != NULL ? p1 : size));
        pn_wr_u16be(w, 0);
        pn_wr_u64be(w, c->node_id);
        wr_arr(w, &c->addrs, PN_GRAPH_IN6_SIZE);
        wr_str(w, &c->friendly_name);
        return PN_OK;
    }
    case PN_GRAPH_WELCOME: {
        const pn_graph_welcome *c = &m->u.welcome;
        if (!arr_ok(&c->addrs, PN_GRAPH_MAX_ADDRESSES, 0xFFFF))
            return PN_ERR_ARG;
        s1 = req_str(&c->peer_id, &t1);
        p1 = 32 + (size_t)c->addrs.n * PN_GRAPH_IN6_SIZE;
        p2 = p1 + str_bytes(s1);
        size = p2 + str_bytes(&c->friendly_name);
        if (size > 0xFFFF)
            return PN_ERR_OVERFLOW;
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u64be(w, c->node_id);
        pn_wr_u64be(w, c->peer_time);
        pn_wr_u8(w, (uint8_t)c->addrs.n);
        pn_wr_u8(w, 0);
        pn_wr_u16be(w, (uint16_t)arr_off(&c->addrs, 32, size));
        pn_wr_u16be(w, (uint16_t)p1);
        pn_wr_u16be(w, (uint16_t)(c->friendly_name.p != NULL ? p2 : size));
        wr_arr(w, &c->addrs, PN_GRAPH_IN6_SIZE);
        wr_str(w, s1);
        wr_str(w, &c->friendly_name);
        return PN_OK;
    }
    case PN_GRAPH_REFUSE:
    case PN_GRAPH_DISCONNECT: {
        const pn_graph_refuse *r = &m->u.refuse;
        if (!arr_ok(&r->addrs, PN_GRAPH_MAX_ADDRESSES, 0xFFFF))
            return PN_ERR_ARG;
        size = 12 + (size_t)r->addrs.n * PN_GRAPH_IN6_SIZE;
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u8(w, r->code);
        pn_wr_u8(w, (uint8_t)r->addrs.n);
        pn_wr_u16be(w, (uint16_t)arr_off(&r->addrs, 12, size));
        wr_arr(w, &r->addrs, PN_GRAPH_IN6_SIZE);
        return PN_OK;
    }
    case PN_GRAPH_SOLICIT_NEW:
    case PN_GRAPH_SOLICIT_TIME:
    case PN_GRAPH_SOLICIT_HASH: {
        const pn_graph_solicit *s = &m->u.solicit;
        size_t fixed = type == PN_GRAPH_SOLICIT_NEW ? 12 : 20;
        if (!arr_ok(&s->types, PN_GRAPH_MAX_RECORD_TYPES, 0xFFFF) ||
            s->types.n != (uint32_t)s->inclusion + s->exclusion)
            return PN_ERR_ARG;
        if (type == PN_GRAPH_SOLICIT_HASH ? !arr_ok(&s->hashes, PN_GRAPH_MAX_HASH_ENTRIES, 0xFFFF)
                                          : s->hashes.n != 0)
            return PN_ERR_ARG;
        p1 = fixed + (size_t)s->types.n * 16;
        size = p1 + (size_t)s->hashes.n * PN_GRAPH_HASH_INFO_SIZE;
        if (p1 > 0xFFFF)
            return PN_ERR_OVERFLOW;
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u8(w, s->inclusion);
        pn_wr_u8(w, s->exclusion);
        pn_wr_u16be(w, (uint16_t)arr_off(&s->types, fixed, size));
        if (type == PN_GRAPH_SOLICIT_TIME)
            pn_wr_u64be(w, s->mod_time);
        if (type == PN_GRAPH_SOLICIT_HASH) {
            pn_wr_u32be(w, s->hashes.n);
            pn_wr_u16be(w, (uint16_t)arr_off2(&s->hashes, &s->types, p1, size));
            pn_wr_u16be(w, 0);
        }
        wr_arr(w, &s->types, 16);
        wr_arr(w, &s->hashes, PN_GRAPH_HASH_INFO_SIZE);
        return PN_OK;
    }
    case PN_GRAPH_ADVERTISE: {
        const pn_graph_advertise *a = &m->u.advertise;
        if (!arr_ok(&a->boundaries, PN_GRAPH_MAX_HASH_ENTRIES, 0xFFFF) ||
            !arr_ok(&a->abstracts, PN_GRAPH_MAX_ABSTRACTS, 0xFFFFFFFEu))
            return PN_ERR_ARG;
        p1 = 24 + (size_t)a->boundaries.n * PN_GRAPH_BOUNDARY_SIZE;
        size = p1 + (size_t)a->abstracts.n * PN_GRAPH_ABSTRACT_SIZE;
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u32be(w, a->boundaries.n);
        pn_wr_u32be(w, a->abstracts.n);
        pn_wr_u16be(w, (uint16_t)arr_off(&a->boundaries, 24, size));
        pn_wr_u16be(w, 0);
        pn_wr_u32be(w, arr_off2(&a->abstracts, &a->boundaries, p1, size));
        wr_arr(w, &a->boundaries, PN_GRAPH_BOUNDARY_SIZE);
        wr_arr(w, &a->abstracts, PN_GRAPH_ABSTRACT_SIZE);
        return PN_OK;
    }
    case PN_GRAPH_REQUEST: {
        const pn_graph_request *r = &m->u.request;
        if (!arr_ok(&r->abstracts, PN_GRAPH_MAX_ABSTRACTS, 0xFFFFFFFEu))
            return PN_ERR_ARG;
        size = 16 + (size_t)r->abstracts.n * PN_GRAPH_ABSTRACT_SIZE;
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u32be(w, r->abstracts.n);
        pn_wr_u32be(w, arr_off(&r->abstracts, 16, size));
        wr_arr(w, &r->abstracts, PN_GRAPH_ABSTRACT_SIZE);
        return PN_OK;
    }
    case PN_GRAPH_SYNC_END: {
        pn_wr_u32be(w, 12);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u8(w, m->u.sync_end.flags);
        pn_wr_u8(w, 0);
        pn_wr_u16be(w, 0);
        return PN_OK;
    }
    case PN_GRAPH_PT2PT: {
        const pn_graph_pt2pt *p = &m->u.pt2pt;
        if (p->payload_len > 0 && p->payload == NULL)
            return PN_ERR_ARG;
        if (p->payload_len > 0xFFFFFFFFu - 28)
            return PN_ERR_OVERFLOW;
        size = 28 + p->payload_len;
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u16be(w, 28);
        pn_wr_u16be(w, 0);
        pn_graph_wr_guid(w, &p->data_type);
        if (p->payload_len > 0)
            pn_wr_bytes(w, p->payload, p->payload_len);
        return PN_OK;
    }
    case PN_GRAPH_ACK: {
        const pn_graph_ack *a = &m->u.ack;
        if (!arr_ok(&a->acks, PN_GRAPH_MAX_ACKS, 0xFFFF))
            return PN_ERR_ARG;
        size = 12 + (size_t)a->acks.n * PN_GRAPH_ACK_ENTRY_SIZE;
        p3 = arr_off(&a->acks, 12, size);
        pn_wr_u32be(w, (uint32_t)size);
        pn_wr_u8(w, PN_GRAPH_VERSION);
        pn_wr_u8(w, type);
        pn_wr_u16be(w, 0);
        pn_wr_u16be(w, (uint16_t)a->acks.n);
        pn_wr_u16be(w, (uint16_t)p3);
        wr_arr(w, &a->acks, PN_GRAPH_ACK_ENTRY_SIZE);
        return PN_OK;
    }
    default:
        return PN_ERR_GRAPH_MSGTYPE;
    }
}

int pn_graph_msg_encode(const pn_graph_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_wr w;
    int rc;
    if (needed != NULL)
        *needed = 0;
    if (m == NULL)
        return PN_ERR_ARG;
    if (m->type == PN_GRAPH_FLOOD) {
        /* MS-PPGRH 2.2.2.11: the record follows the 12-byte fixed part directly. */
        size_t rlen = 0;
        rc = pn_graph_record_encode(&m->u.flood.rec, cap >= 12 ? buf + 12 : NULL,
                                    cap >= 12 ? cap - 12 : 0, &rlen);
        if (rc < 0 && rc != PN_ERR_BUFSIZE)
            return rc;
        if (rlen > 0xFFFFFFFFu - 12)
            return PN_ERR_OVERFLOW;
        if (needed != NULL)
            *needed = 12 + rlen;
        if (rc == PN_ERR_BUFSIZE || cap < 12)
            return PN_ERR_BUFSIZE;
        pn_wr_init(&w, buf, 12);
        pn_wr_u32be(&w, (uint32_t)(12 + rlen));
        pn_wr_u8(&w, PN_GRAPH_VERSION);
        pn_wr_u8(&w, PN_GRAPH_FLOOD);
        pn_wr_u16be(&w, 0);
        pn_wr_u16be(&w, 12);
        pn_wr_u16be(&w, 0);
        rc = (int)(12 + rlen);
    } else {
        pn_wr_init(&w, buf, cap);
        rc = encode_body(m, &w);
        if (rc != PN_OK)
            return rc;
        rc = pn_graph_wr_result(&w, needed);
    }
    if (rc < 0)
        return rc;
    if ((size_t)rc > PN_GRAPH_MSG_MAX_BYTES)
        return PN_ERR_GRAPH_TOO_BIG;
    {
        /* Never emit what the decoder rejects. */
        pn_graph_msg check;
        int v = pn_graph_msg_decode(buf, (size_t)rc, &check, NULL);
        if (v != PN_OK)
            return v;
    }
    return rc;
}
