/* MS-PPGRH 2.2.1.9 PEER_RECORD, 2.2.1.5 PEER_ADDRESS and the internal record payloads of
 * 2.2.3.1-2.2.3.4, with the single-record checks of 3.1.7.27. */
#include "wire/graph_int.h"
#include "wire/pn_mem.h"

#define TRY(x)                                                                                     \
    do {                                                                                           \
        int rc_ = (x);                                                                             \
        if (rc_ != PN_OK)                                                                          \
            return rc_;                                                                            \
    } while (0)

/* A read error from r (truncation), reported at the field that was being read. */
static int rd_check(pn_rd *r, const uint8_t *base, const uint8_t *at, pn_graph_err *err,
                    const char *field)
{
    if (pn_rd_err(r) != PN_OK)
        return pn_graph_fail(err, pn_rd_err(r), base, at, field);
    return PN_OK;
}

static uint32_t rd_u32(pn_rd *r, const uint8_t **at)
{
    *at = r->p;
    return pn_rd_u32be(r);
}

static uint64_t rd_u64(pn_rd *r, const uint8_t **at)
{
    *at = r->p;
    return pn_rd_u64be(r);
}

/* Length-prefixed byte block (Security Data, Payload Data). */
static int rd_block(pn_rd *r, const uint8_t **p, uint32_t *len, const uint8_t *base,
                    pn_graph_err *err, const char *len_field)
{
    const uint8_t *at = r->p;
    uint32_t n = pn_rd_u32be(r);
    *p = NULL;
    *len = 0;
    TRY(rd_check(r, base, at, err, len_field));
    if (n > pn_rd_left(r))
        return pn_graph_fail(err, PN_ERR_TRUNCATED, base, at, len_field);
    *len = n;
    *p = n > 0 ? pn_rd_ptr(r, n) : NULL;
    return PN_OK;
}

/* MS-PPGRH 2.2.1.5: Size 0x20, family 0x0017, Zero 0. */
static int check_peer_addrs(const pn_graph_array *a, const uint8_t *base, pn_graph_err *err)
{
    uint32_t i;
    for (i = 0; i < a->n; i++) {
        const uint8_t *p = a->p + (size_t)i * PN_GRAPH_PEER_ADDR_SIZE;
        if (pn_get_u32be(p) != PN_GRAPH_PEER_ADDR_SIZE)
            return pn_graph_fail(err, PN_ERR_GRAPH_ADDRESS, base, p, "PEER_ADDRESS Size");
        if (pn_get_u16be(p + 4) != PN_GRAPH_FAMILY_INET6)
            return pn_graph_fail(err, PN_ERR_GRAPH_ADDRESS, base, p + 4, "Protocol Family");
        if (pn_get_u32be(p + 28) != 0)
            return pn_graph_fail(err, PN_ERR_GRAPH_ADDRESS, base, p + 28, "Zero");
    }
    return PN_OK;
}

static int rd_peer_addrs(pn_rd *r, pn_graph_array *a, const uint8_t *base, pn_graph_err *err)
{
    const uint8_t *at;
    uint32_t n = rd_u32(r, &at);
    a->p = NULL;
    a->n = 0;
    a->off = 0;
    TRY(rd_check(r, base, at, err, "Number of Addresses"));
    if ((uint64_t)n * PN_GRAPH_PEER_ADDR_SIZE > pn_rd_left(r))
        return pn_graph_fail(err, PN_ERR_TRUNCATED, base, at, "Number of Addresses");
    if (n > PN_GRAPH_MAX_RECORD_ADDRESSES)
        return pn_graph_fail(err, PN_ERR_GRAPH_COUNT, base, at, "Number of Addresses");
    a->n = n;
    a->p = n > 0 ? pn_rd_ptr(r, (size_t)n * PN_GRAPH_PEER_ADDR_SIZE) : NULL;
    return check_peer_addrs(a, base, err);
}

static int rd_end(const pn_rd *r, const uint8_t *base, pn_graph_err *err, const char *field)
{
    if (pn_rd_left(r) != 0)
        return pn_graph_fail(err, PN_ERR_TRAILING, base, r->p, field);
    return PN_OK;
}

/* ---- Graph Info (MS-PPGRH 2.2.3.1) ------------------------------------------------- */
int pn_graph_info_decode(const uint8_t *p, size_t len, const uint8_t *base, pn_graph_info *gi,
                         pn_graph_err *err)
{
    pn_rd r;
    const uint8_t *at;
    uint32_t size;
    if (base == NULL)
        base = p;
    memset(gi, 0, sizeof *gi);
    pn_rd_init(&r, p, len);
    size = rd_u32(&r, &at);
    TRY(rd_check(&r, base, at, err, "Size"));
    if (size != len)
        return pn_graph_fail(err, PN_ERR_GRAPH_PAYLOAD, base, at, "Size");
    gi->flags = rd_u32(&r, &at);
    TRY(rd_check(&r, base, at, err, "Flags"));
    /* Reserved bits and the I bit: zero when sent, ignored on receipt. */
    if (PN_GRAPH_CHECK_RESERVED && (gi->flags & ~PN_GRAPH_INFO_DEFER_EXPIRATION) != 0)
        return pn_graph_fail(err, PN_ERR_GRAPH_RESERVED, base, at, "Flags");
    gi->scope = rd_u32(&r, &at);
    TRY(rd_check(&r, base, at, err, "Scope"));
    if (gi->scope < PN_GRAPH_SCOPE_GLOBAL || gi->scope > PN_GRAPH_SCOPE_LINKLOCAL)
        return pn_graph_fail(err, PN_ERR_GRAPH_ENUM, base, at, "Scope");
    TRY(pn_graph_rd_str16(&r, &gi->graph_id, 2, PN_GRAPH_STR_MAX_CHARS, 0, base, err,
                          "Graph ID Length", "Graph ID"));
    TRY(pn_graph_rd_str16(&r, &gi->creator_id, 2, PN_GRAPH_STR_MAX_CHARS, 0, base, err,
                          "Creator ID Length", "Creator ID"));
    TRY(pn_graph_rd_str16(&r, &gi->friendly_name, 1, PN_GRAPH_STR_MAX_CHARS, 1, base, err,
                          "Friendly Name Length", "Friendly Name"));
    TRY(pn_graph_rd_str16(&r, &gi->comment, 1, PN_GRAPH_COMMENT_MAX_CHARS, 1, base, err,
                          "Comment Length", "Comment"));
    gi->presence_lifetime = rd_u32(&r, &at);
    TRY(rd_check(&r, base, at, err, "Presence Lifetime"));
    if (gi->presence_lifetime != 0 && gi->presence_lifetime < 300)
        return pn_graph_fail(err, PN_ERR_GRAPH_PAYLOAD, base, at, "Presence Lifetime");
    gi->max_presence = rd_u32(&r, &at);
    TRY(rd_check(&r, base, at, err, "Max Presence Records"));
    gi->max_record_size = rd_u32(&r, &at);
    TRY(rd_check(&r, base, at, err, "Max Record Size"));
    if (gi->max_record_size != 0 && (gi->max_record_size < 1024 || gi->max_record_size > 62914560u))
        return pn_graph_fail(err, PN_ERR_GRAPH_PAYLOAD, base, at, "Max Record Size");
    return rd_end(&r, base, err, "Size");
}

static size_t str16_bytes(const pn_graph_str16 *s)
{
    return 4 + (size_t)s->count * 2;
}

static int str16_ok(const pn_graph_str16 *s)
{
    return s->count == 0 || s->p != NULL;
}

int pn_graph_info_encode(const pn_graph_info *gi, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_wr w;
    size_t size;
    int rc;
    if (!str16_ok(&gi->graph_id) || !str16_ok(&gi->creator_id) || !str16_ok(&gi->friendly_name) ||
        !str16_ok(&gi->comment))
        return PN_ERR_ARG;
    size = 12 + str16_bytes(&gi->graph_id) + str16_bytes(&gi->creator_id) +
           str16_bytes(&gi->friendly_name) + str16_bytes(&gi->comment) + 12;
    pn_wr_init(&w, buf, cap);
    pn_wr_u32be(&w, (uint32_t)size);
    pn_wr_u32be(&w, gi->flags);
    pn_wr_u32be(&w, gi->scope);
    pn_graph_wr_str16(&w, &gi->graph_id);
    pn_graph_wr_str16(&w, &gi->creator_id);
    pn_graph_wr_str16(&w, &gi->friendly_name);
    pn_graph_wr_str16(&w, &gi->comment);
    pn_wr_u32be(&w, gi->presence_lifetime);
    pn_wr_u32be(&w, gi->max_presence);
    pn_wr_u32be(&w, gi->max_record_size);
    rc = pn_graph_wr_result(&w, needed);
    if (rc >= 0) {
        pn_graph_info chk;
        int v = pn_graph_info_decode(buf, (size_t)rc, NULL, &chk, NULL);
        if (v != PN_OK)
            return v;
    }
    return rc;
}

/* ---- Signature (MS-PPGRH 2.2.3.2) -------------------------------------------------- */
int pn_graph_signature_decode(const uint8_t *p, size_t len, const uint8_t *base,
                              uint64_t *signature, pn_graph_err *err)
{
    if (base == NULL)
        base = p;
    *signature = 0;
    if (len != 8)
        return pn_graph_fail(err, len < 8 ? PN_ERR_TRUNCATED : PN_ERR_TRAILING, base,
                             len < 8 ? p : p + 8, "Signature");
    *signature = pn_get_u64be(p);
    return PN_OK;
}

int pn_graph_signature_encode(uint64_t signature, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_wr w;
    pn_wr_init(&w, buf, cap);
    pn_wr_u64be(&w, signature);
    return pn_graph_wr_result(&w, needed);
}

/* ---- Contact (MS-PPGRH 2.2.3.3) ---------------------------------------------------- */
int pn_graph_contact_decode(const uint8_t *p, size_t len, const uint8_t *base, pn_graph_contact *c,
                            pn_graph_err *err)
{
    pn_rd r;
    const uint8_t *at;
    if (base == NULL)
        base = p;
    memset(c, 0, sizeof *c);
    pn_rd_init(&r, p, len);
    c->signature = rd_u64(&r, &at);
    TRY(rd_check(&r, base, at, err, "Signature"));
    c->node_id = rd_u64(&r, &at);
    TRY(rd_check(&r, base, at, err, "Node ID"));
    TRY(rd_peer_addrs(&r, &c->addrs, base, err));
    return rd_end(&r, base, err, "Addresses");
}

static int peer_addrs_ok(const pn_graph_array *a)
{
    return (a->n == 0 || a->p != NULL) && a->n <= PN_GRAPH_MAX_RECORD_ADDRESSES;
}

int pn_graph_contact_encode(const pn_graph_contact *c, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_wr w;
    int rc;
    if (!peer_addrs_ok(&c->addrs))
        return PN_ERR_ARG;
    pn_wr_init(&w, buf, cap);
    pn_wr_u64be(&w, c->signature);
    pn_wr_u64be(&w, c->node_id);
    pn_wr_u32be(&w, c->addrs.n);
    if (c->addrs.n > 0)
        pn_wr_bytes(&w, c->addrs.p, (size_t)c->addrs.n * PN_GRAPH_PEER_ADDR_SIZE);
    rc = pn_graph_wr_result(&w, needed);
    if (rc >= 0) {
        pn_graph_contact chk;
        int v = pn_graph_contact_decode(buf, (size_t)rc, NULL, &chk, NULL);
        if (v != PN_OK)
            return v;
    }
    return rc;
}

/* ---- Presence (MS-PPGRH 2.2.3.4) --------------------------------------------------- */
int pn_graph_presence_decode(const uint8_t *p, size_t len, const uint8_t *base,
                             pn_graph_presence *pr, pn_graph_err *err)
{
    pn_rd r;
    const uint8_t *at;
    if (base == NULL)
        base = p;
    memset(pr, 0, sizeof *pr);
    pn_rd_init(&r, p, len);
    pr->node_id = rd_u64(&r, &at);
    TRY(rd_check(&r, base, at, err, "Node ID"));
    TRY(pn_graph_rd_str16(&r, &pr->attributes, 1, 0xFFFFFFFFu, 1, base, err, "Attributes Length",
                          "Attributes"));
    TRY(rd_peer_addrs(&r, &pr->addrs, base, err));
    return rd_end(&r, base, err, "Addresses");
}

int pn_graph_presence_encode(const pn_graph_presence *pr, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_wr w;
    int rc;
    if (!peer_addrs_ok(&pr->addrs) || !str16_ok(&pr->attributes))
        return PN_ERR_ARG;
    pn_wr_init(&w, buf, cap);
    pn_wr_u64be(&w, pr->node_id);
    pn_graph_wr_str16(&w, &pr->attributes);
    pn_wr_u32be(&w, pr->addrs.n);
    if (pr->addrs.n > 0)
        pn_wr_bytes(&w, pr->addrs.p, (size_t)pr->addrs.n * PN_GRAPH_PEER_ADDR_SIZE);
    rc = pn_graph_wr_result(&w, needed);
    if (rc >= 0) {
        pn_graph_presence chk;
        int v = pn_graph_presence_decode(buf, (size_t)rc, NULL, &chk, NULL);
        if (v != PN_OK)
            return v;
    }
    return rc;
}

/* ---- PEER_RECORD (MS-PPGRH 2.2.1.9) ------------------------------------------------ */
int pn_graph_record_type_is_internal(const pn_graph_guid *type)
{
    return pn_graph_guid_eq(type, &pn_graph_type_graph_info) ||
           pn_graph_guid_eq(type, &pn_graph_type_signature) ||
           pn_graph_guid_eq(type, &pn_graph_type_contact) ||
           pn_graph_guid_eq(type, &pn_graph_type_presence);
}

static int rd_attrs(pn_rd *r, pn_graph_record *rec, const uint8_t *base, pn_graph_err *err)
{
    return pn_graph_rd_str16(r, &rec->attributes, 1, 0xFFFFFFFFu, 1, base, err, "Attributes Length",
                             "Attributes");
}

static int rd_payload(pn_rd *r, pn_graph_record *rec, const uint8_t *base, pn_graph_err *err)
{
    const uint8_t *at = r->p;
    uint16_t v = pn_rd_u16be(r);
    TRY(rd_check(r, base, at, err, "Protocol Version"));
    if (v != PN_GRAPH_RECORD_PROTOCOL)
        return pn_graph_fail(err, PN_ERR_GRAPH_VERSION, base, at, "Protocol Version");
    return rd_block(r, &rec->payload, &rec->payload_len, base, err, "Payload Data Size");
}

/* The internal record types fix the record ID (2.2.3.1, 2.2.3.2) and the payload. */
static int check_internal(const pn_graph_record *rec, const uint8_t *rec_start, const uint8_t *base,
                          pn_graph_err *err)
{
    const uint8_t *pl = rec->payload != NULL ? rec->payload : rec_start;
    if (pn_graph_guid_eq(&rec->type, &pn_graph_type_graph_info)) {
        pn_graph_info gi;
        if (!pn_graph_guid_eq(&rec->id, &pn_graph_id_graph_info))
            return pn_graph_fail(err, PN_ERR_GRAPH_RECORD_ID, base, rec_start + 16, "Record ID");
        if (rec->flags & PN_GRAPH_RECORD_DELETED)
            return PN_OK;
        return pn_graph_info_decode(pl, rec->payload_len, base, &gi, err);
    }
    if (pn_graph_guid_eq(&rec->type, &pn_graph_type_signature)) {
        uint64_t sig;
        if (!pn_graph_guid_eq(&rec->id, &pn_graph_id_signature))
            return pn_graph_fail(err, PN_ERR_GRAPH_RECORD_ID, base, rec_start + 16, "Record ID");
        if (rec->flags & PN_GRAPH_RECORD_DELETED)
            return PN_OK;
        return pn_graph_signature_decode(pl, rec->payload_len, base, &sig, err);
    }
    if (rec->flags & PN_GRAPH_RECORD_DELETED)
        return PN_OK;
    if (pn_graph_guid_eq(&rec->type, &pn_graph_type_contact)) {
        pn_graph_contact c;
        return pn_graph_contact_decode(pl, rec->payload_len, base, &c, err);
    }
    if (pn_graph_guid_eq(&rec->type, &pn_graph_type_presence)) {
        pn_graph_presence pr;
        return pn_graph_presence_decode(pl, rec->payload_len, base, &pr, err);
    }
    return PN_OK;
}

int pn_graph_record_decode_at(const uint8_t *buf, size_t len, const uint8_t *base,
                              pn_graph_record *rec, pn_graph_err *err)
{
    pn_rd r;
    const uint8_t *at, *ct_at, *et_at, *mt_at, *lmb_at, *pl_at;
    int internal;
    if (rec == NULL || (buf == NULL && len != 0))
        return PN_ERR_ARG;
    memset(rec, 0, sizeof *rec);
    if (base == NULL)
        base = buf;
    /* MS-PPGRH 3.1.7.27: at least 90 bytes of record data. */
    if (len < PN_GRAPH_RECORD_MIN_SIZE)
        return pn_graph_fail(err, PN_ERR_GRAPH_SIZE, base, buf, "Record Data");
    if (len > PN_GRAPH_RECORD_MAX_BYTES)
        return pn_graph_fail(err, PN_ERR_GRAPH_TOO_BIG, base, buf, "Record Data");
    pn_rd_init(&r, buf, len);
    pn_graph_guid_read(pn_rd_ptr(&r, 16), &rec->type);
    pn_graph_guid_read(pn_rd_ptr(&r, 16), &rec->id);
    rec->version = pn_rd_u32be(&r);
    at = r.p;
    if (PN_GRAPH_CHECK_RESERVED && (at[0] | at[1] | at[2]) != 0)
        return pn_graph_fail(err, PN_ERR_GRAPH_RESERVED, base, at, "Reserved");
    pn_rd_skip(&r, 3);
    at = r.p;
    rec->flags = pn_rd_u8(&r);
    if (rec->flags & PN_GRAPH_RECORD_MBZ)
        return pn_graph_fail(err, PN_ERR_GRAPH_RESERVED, base, at, "Flags");
    TRY(pn_graph_rd_str16(&r, &rec->creator_id, 2, PN_GRAPH_STR_MAX_CHARS, 0, base, err,
                          "Creator ID Length", "Creator ID"));
    lmb_at = r.p;
    TRY(pn_graph_rd_str16(&r, &rec->last_modified_by, 2, PN_GRAPH_STR_MAX_CHARS, 1, base, err,
                          "Last Modified By ID Length", "Last Modified By ID"));
    TRY(rd_block(&r, &rec->security, &rec->security_len, base, err, "Security Data Size"));
    rec->creation_time = rd_u64(&r, &ct_at);
    TRY(rd_check(&r, base, ct_at, err, "Creation Time"));
    rec->expiration_time = rd_u64(&r, &et_at);
    TRY(rd_check(&r, base, et_at, err, "Expiration Time"));
    rec->modification_time = rd_u64(&r, &mt_at);
    TRY(rd_check(&r, base, mt_at, err, "Last Modification Time"));
    TRY(pn_graph_rd_str16(&r, &rec->graph_id, 2, PN_GRAPH_STR_MAX_CHARS, 0, base, err,
                          "Graph ID Length", "Graph ID"));
    pl_at = r.p;
#if PN_GRAPH_RECORD_ATTRS_FIRST
    TRY(rd_attrs(&r, rec, base, err));
    pl_at = r.p;
    TRY(rd_payload(&r, rec, base, err));
#else
    TRY(rd_payload(&r, rec, base, err));
    TRY(rd_attrs(&r, rec, base, err));
#endif
    TRY(rd_end(&r, base, err, "Attributes Length"));
    if ((rec->flags & PN_GRAPH_RECORD_DELETED) && rec->payload_len != 0)
        return pn_graph_fail(err, PN_ERR_GRAPH_FLAG, base, pl_at + 2, "Payload Data Size");
    if (rec->modification_time < rec->creation_time)
        return pn_graph_fail(err, PN_ERR_GRAPH_TIME, base, mt_at, "Last Modification Time");
    if (rec->expiration_time <= rec->modification_time)
        return pn_graph_fail(err, PN_ERR_GRAPH_TIME, base, et_at, "Expiration Time");
    if (rec->modification_time == rec->creation_time && rec->last_modified_by.count != 0)
        return pn_graph_fail(err, PN_ERR_GRAPH_TIME, base, lmb_at, "Last Modified By ID Length");
    internal = pn_graph_record_type_is_internal(&rec->type);
    if (rec->attributes.count != 0) {
        int n =
            pn_graph_attrs_check(&rec->attributes, internal ? 0 : PN_GRAPH_ATTRS_APP, base, err);
        if (n < 0)
            return n;
    }
    return internal ? check_internal(rec, buf, base, err) : PN_OK;
}

int pn_graph_record_decode(const uint8_t *buf, size_t len, pn_graph_record *rec, pn_graph_err *err)
{
    if (err != NULL) {
        err->code = PN_OK;
        err->offset = 0;
        err->field = NULL;
    }
    return pn_graph_record_decode_at(buf, len, buf, rec, err);
}

static void wr_block(pn_wr *w, const uint8_t *p, uint32_t n)
{
    pn_wr_u32be(w, n);
    if (n > 0)
        pn_wr_bytes(w, p, n);
}

int pn_graph_record_encode(const pn_graph_record *rec, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_wr w;
    int rc;
    if (needed != NULL)
        *needed = 0;
    if (rec == NULL || !str16_ok(&rec->creator_id) || !str16_ok(&rec->last_modified_by) ||
        !str16_ok(&rec->graph_id) || !str16_ok(&rec->attributes) ||
        (rec->security_len > 0 && rec->security == NULL) ||
        (rec->payload_len > 0 && rec->payload == NULL))
        return PN_ERR_ARG;
    pn_wr_init(&w, buf, cap);
    pn_graph_wr_guid(&w, &rec->type);
    pn_graph_wr_guid(&w, &rec->id);
    pn_wr_u32be(&w, rec->version);
    pn_wr_zeros(&w, 3);
    pn_wr_u8(&w, rec->flags);
    pn_graph_wr_str16(&w, &rec->creator_id);
    pn_graph_wr_str16(&w, &rec->last_modified_by);
    wr_block(&w, rec->security, rec->security_len);
    pn_wr_u64be(&w, rec->creation_time);
    pn_wr_u64be(&w, rec->expiration_time);
    pn_wr_u64be(&w, rec->modification_time);
    pn_graph_wr_str16(&w, &rec->graph_id);
#if PN_GRAPH_RECORD_ATTRS_FIRST
    pn_graph_wr_str16(&w, &rec->attributes);
#endif
    pn_wr_u16be(&w, PN_GRAPH_RECORD_PROTOCOL);
    wr_block(&w, rec->payload, rec->payload_len);
#if !PN_GRAPH_RECORD_ATTRS_FIRST
    pn_graph_wr_str16(&w, &rec->attributes);
#endif
    rc = pn_graph_wr_result(&w, needed);
    if (rc >= 0) {
        pn_graph_record chk;
        int v = pn_graph_record_decode(buf, (size_t)rc, &chk, NULL);
        if (v != PN_OK)
            return v;
    }
    return rc;
}

int pn_graph_record_check_size(const pn_graph_record *rec, uint32_t max_record_size)
{
    /* MS-PPGRH 2.2.3.1: 0 stands for the 60 MB maximum. */
    uint64_t max = max_record_size != 0 ? max_record_size : 62914560u;
    if ((uint64_t)rec->payload_len + 2 * (uint64_t)rec->attributes.count > max)
        return PN_ERR_GRAPH_TOO_BIG;
    return PN_OK;
}
