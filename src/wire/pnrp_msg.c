/* The PNRP header (MS-PNRP 2.2.1), the eight messages (2.2.2.1-2.2.2.8) and the
 * AUTHORITY_BUFFER (2.2.2.6.1).  Every message is a fixed sequence of elements; an
 * optional element is recognised by its FieldID at the place it may appear. */
#include "wire/pnrp_int.h"

const char *pn_pnrp_msg_name(int type)
{
    switch (type) {
    case PN_PNRP_SOLICIT:
        return "SOLICIT";
    case PN_PNRP_ADVERTISE:
        return "ADVERTISE";
    case PN_PNRP_REQUEST:
        return "REQUEST";
    case PN_PNRP_FLOOD:
        return "FLOOD";
    case PN_PNRP_INQUIRE:
        return "INQUIRE";
    case PN_PNRP_AUTHORITY:
        return "AUTHORITY";
    case PN_PNRP_ACK:
        return "ACK";
    case PN_PNRP_LOOKUP:
        return "LOOKUP";
    default:
        return NULL;
    }
}

const char *pn_pnrp_field_name(int field_id)
{
    switch (field_id) {
    case PN_PNRP_F_HEADER:
        return "PNRP_HEADER";
    case PN_PNRP_F_HEADER_ACKED:
        return "PNRP_HEADER_ACKED";
    case PN_PNRP_F_PNRP_ID:
        return "PNRP_ID";
    case PN_PNRP_F_TARGET_PNRP_ID:
        return "TARGET_PNRP_ID";
    case PN_PNRP_F_VALIDATE_PNRP_ID:
        return "VALIDATE_PNRP_ID";
    case PN_PNRP_F_FLAGS:
        return "FLAGS_FIELD";
    case PN_PNRP_F_FLOOD_CONTROLS:
        return "FLOOD_CONTROLS";
    case PN_PNRP_F_SOLICIT_CONTROLS:
        return "SOLICIT_CONTROLS";
    case PN_PNRP_F_LOOKUP_CONTROLS:
        return "LOOKUP_CONTROLS";
    case PN_PNRP_F_EXTENDED_PAYLOAD:
        return "EXTENDED_PAYLOAD";
    case PN_PNRP_F_PNRP_ID_ARRAY:
        return "PNRP_ID_ARRAY";
    case PN_PNRP_F_CERT_CHAIN:
        return "CERT_CHAIN";
    case PN_PNRP_F_WCHAR:
        return "WCHAR";
    case PN_PNRP_F_CLASSIFIER:
        return "CLASSIFIER";
    case PN_PNRP_F_HASHED_NONCE:
        return "HASHED_NONCE";
    case PN_PNRP_F_NONCE:
        return "NONCE";
    case PN_PNRP_F_SPLIT_CONTROLS:
        return "SPLIT_CONTROLS";
    case PN_PNRP_F_ROUTING_ENTRY:
        return "ROUTING_ENTRY";
    case PN_PNRP_F_VALIDATE_CPA:
        return "VALIDATE_CPA";
    case PN_PNRP_F_REVOKE_CPA:
        return "REVOKE_CPA";
    case PN_PNRP_F_IPV6_ENDPOINT:
        return "IPV6_ENDPOINT";
    case PN_PNRP_F_IPV6_ENDPOINT_ARRAY:
        return "IPV6_ENDPOINT_ARRAY";
    default:
        return NULL;
    }
}

/* ---- shared elements -----------------------------------------------------------------
 * pn_pnrp_elem checks a fixed Length, so the body of a fixed-size element is read in
 * place without further checks. */
static inline uint32_t dec_acked(pn_pnrp_dec *d)
{
    pn_rd b;
    if (pn_pnrp_elem(d, PN_PNRP_F_HEADER_ACKED, 8, "PNRP_HEADER_ACKED", &b) != 0)
        return 0;
    return pn_get_u32be(b.p);
}

static inline void dec_fixed(pn_pnrp_dec *d, uint16_t fid, const char *name, uint8_t *out, size_t n)
{
    pn_rd b;
    if (pn_pnrp_elem(d, fid, (uint16_t)(4 + n), name, &b) != 0)
        return;
    memcpy(out, b.p, n);
}

static inline void dec_id_elem(pn_pnrp_dec *d, uint16_t fid, const char *name, pn_pnrp_id *id)
{
    pn_rd b;
    if (pn_pnrp_elem(d, fid, 4 + PN_PNRP_ID_LEN, name, &b) != 0)
        return;
    pn_pnrp_id_wire_copy(id->b, b.p);
}

/* Arrays: pn_pnrp_array has checked that exactly count entries follow. */
static void dec_id_list(pn_pnrp_dec *d, pn_pnrp_id_list *l)
{
    pn_rd b;
    long n, i;
    if (pn_pnrp_elem(d, PN_PNRP_F_PNRP_ID_ARRAY, 0, "PNRP_ID_ARRAY", &b) != 0)
        return;
    n = pn_pnrp_array(d, &b, PN_PNRP_F_PNRP_ID, PN_PNRP_ID_LEN, 0, 0x7FFF, PN_PNRP_ID_ARRAY_MAX,
                      "PNRP_ID_ARRAY");
    if (n < 0)
        return;
    l->count = (uint16_t)n;
    for (i = 0; i < n; i++)
        pn_pnrp_id_wire_copy(l->ids[i].b, b.p + (size_t)i * PN_PNRP_ID_LEN);
}

static void dec_endpoint_list(pn_pnrp_dec *d, unsigned min, pn_pnrp_endpoint_list *l,
                              const char *name)
{
    pn_rd b;
    long n, i;
    if (pn_pnrp_elem(d, PN_PNRP_F_IPV6_ENDPOINT_ARRAY, 0, name, &b) != 0)
        return;
    n = pn_pnrp_array(d, &b, PN_PNRP_F_IPV6_ENDPOINT, PN_PNRP_ENDPOINT_LEN, min, 22,
                      PN_PNRP_PATH_MAX, name);
    if (n < 0)
        return;
    l->count = (uint8_t)n;
    for (i = 0; i < n; i++) {
        const uint8_t *p = b.p + (size_t)i * PN_PNRP_ENDPOINT_LEN;
        pn_pnrp_endpoint *ep = &l->eps[i];
        ep->port = pn_get_u16be(p);
        memcpy(ep->addr, p + 2, 16);
        /* 2.2.3.6: the port MUST be greater than 1024. */
        if (ep->port <= 1024) {
            pn_pnrp_fail(d, PN_ERR_PNRP_PORT, pn_pnrp_off(&b) + (size_t)i * PN_PNRP_ENDPOINT_LEN,
                         name);
            return;
        }
    }
}

/* 2.2.3.4 in one test: when the left bytes at p are a well-formed ROUTE_ENTRY (versions,
 * port above 1024, reserved Flags, 1..20 addresses filling them) it is copied to re and
 * the result is 1; otherwise 0, and the field-by-field decoder names the first failure. */
PN_PNRP_HOT int route_fast(const uint8_t *p, size_t left, int strict, pn_pnrp_route_entry *re)
{
    size_t n = left >= 38 ? p[37] : 0;
    if (left != 38 + 16 * n || n < 1 || n > PN_PNRP_ROUTE_ADDRS_MAX ||
        pn_pnrp_ld16be(p + 32) != ((PN_PNRP_VERSION_MAJOR << 8) | PN_PNRP_VERSION_MINOR) ||
        pn_pnrp_ld16be(p + 34) <= 1024 || (p[36] != 0 && strict))
        return 0;
    pn_pnrp_id_wire_copy(re->id.b, p);
    re->port = pn_pnrp_ld16be(p + 34);
    re->addr_count = (uint8_t)n;
    pn_pnrp_copy_addrs((uint8_t *)re->addrs, p + 38, n);
    return 1;
}

/* An optional ROUTING_ENTRY element with its padding. */
static void dec_opt_route(pn_pnrp_dec *d, uint8_t *has, pn_pnrp_route_entry *re)
{
    pn_rd b;
    if (pn_pnrp_peek(d) != PN_PNRP_F_ROUTING_ENTRY)
        return;
    if (pn_pnrp_elem(d, PN_PNRP_F_ROUTING_ENTRY, 0, "ROUTING_ENTRY", &b) != 0)
        return;
    if (!route_fast(b.p, pn_pnrp_left(&b), pn_pnrp_strict(d), re)) {
        pn_pnrp_dec_route_entry(d, &b, re);
        pn_pnrp_body_end(d, &b, "ROUTING_ENTRY");
    }
    pn_pnrp_pad(d, "ROUTING_ENTRY padding");
    *has = 1;
}

/* A 16-bit flags word at the start of a fixed-size body: returns it, after checking
 * that bits outside known are zero (strict mode only: reserved bits are ignored on
 * receipt). */
static inline uint16_t dec_flags16(pn_pnrp_dec *d, pn_rd *b, uint16_t known, const char *name)
{
    uint16_t v = pn_get_u16be(b->p);
    pn_pnrp_reserved(d, v & (uint16_t)~known, pn_pnrp_off(b), name);
    return v;
}

static void dec_finish(pn_pnrp_dec *d)
{
    if (!pn_pnrp_bad(d) && pn_pnrp_left(&d->r) != 0)
        pn_pnrp_fail(d, PN_ERR_TRAILING, pn_pnrp_off(&d->r), "end of message");
}

/* ---- messages ------------------------------------------------------------------------ */
static void dec_solicit(pn_pnrp_dec *d, pn_pnrp_solicit *s)
{
    pn_rd b;
    s->has_controls = s->solicit_type = s->has_route = 0;
    if (pn_pnrp_peek(d) == PN_PNRP_F_SOLICIT_CONTROLS) {
        size_t off;
        if (pn_pnrp_elem(d, PN_PNRP_F_SOLICIT_CONTROLS, 6, "SOLICIT_CONTROLS", &b) != 0)
            return;
        off = pn_pnrp_off(&b);
        if (pn_pnrp_reserved(d, b.p[0], off, "SOLICIT_CONTROLS.Reserved") != 0)
            return;
        s->solicit_type = b.p[1];
        if (s->solicit_type > PN_PNRP_SOLICIT_LOCAL) {
            pn_pnrp_fail(d, PN_ERR_PNRP_VALUE, off + 1, "SOLICIT_CONTROLS.SolicitType");
            return;
        }
        pn_pnrp_pad(d, "SOLICIT_CONTROLS.Padding1");
        s->has_controls = 1;
    }
    dec_opt_route(d, &s->has_route, &s->route);
    dec_fixed(d, PN_PNRP_F_HASHED_NONCE, "HASHED_NONCE", s->hashed_nonce, 20);
}

static void dec_advertise(pn_pnrp_dec *d, pn_pnrp_advertise *a)
{
    a->ids.count = 0;
    a->acked_id = dec_acked(d);
    dec_id_list(d, &a->ids);
    dec_fixed(d, PN_PNRP_F_HASHED_NONCE, "HASHED_NONCE", a->hashed_nonce, 20);
}

static void dec_request(pn_pnrp_dec *d, pn_pnrp_request *r)
{
    r->ids.count = 0;
    dec_fixed(d, PN_PNRP_F_NONCE, "NONCE", r->nonce, 16);
    dec_id_list(d, &r->ids);
}

static void dec_flood(pn_pnrp_dec *d, pn_pnrp_flood *f)
{
    pn_rd b;
    f->has_revoke = f->has_route = f->flooded.count = 0;
    /* FLOOD_CONTROLS: Length 7 = header, 15 reserved bits + D, Reserved2; Padding1
     * follows as alignment padding. */
    if (pn_pnrp_elem(d, PN_PNRP_F_FLOOD_CONTROLS, 7, "FLOOD_CONTROLS", &b) != 0)
        return;
    f->flag_d = (uint8_t)(dec_flags16(d, &b, 0x0001, "FLOOD_CONTROLS.Flags") & 1);
    f->reserved2 = b.p[2];
    pn_pnrp_pad(d, "FLOOD_CONTROLS.Padding1");
    dec_id_elem(d, PN_PNRP_F_VALIDATE_PNRP_ID, "VALIDATE_PNRP_ID", &f->validate);
    if (pn_pnrp_peek(d) == PN_PNRP_F_REVOKE_CPA) {
        size_t off = pn_pnrp_off(&d->r);
        if (pn_pnrp_elem(d, PN_PNRP_F_REVOKE_CPA, 0, "REVOKE_CPA", &b) != 0)
            return;
        pn_pnrp_dec_cpa(d, &b, &f->revoke);
        /* Decision PW-12: a REVOKE_CPA element carries a CPA with R set. */
        if (!pn_pnrp_bad(d) && !(f->revoke.flags & PN_PNRP_CPA_R)) {
            pn_pnrp_fail(d, PN_ERR_PNRP_CPA_FLAGS, off + 10, "REVOKE_CPA.Flags");
            return;
        }
        pn_pnrp_pad(d, "REVOKE_CPA.Padding3");
        f->has_revoke = 1;
    }
    dec_opt_route(d, &f->has_route, &f->route);
    dec_endpoint_list(d, 0, &f->flooded, "IPV6_ENDPOINT_ARRAY (Already Flooded List)");
}

static void dec_inquire(pn_pnrp_dec *d, pn_pnrp_inquire *q)
{
    pn_rd b;
    uint16_t flags;
    q->has_nonce = 0;
    if (pn_pnrp_elem(d, PN_PNRP_F_FLAGS, 6, "FLAGS_FIELD", &b) != 0)
        return;
    flags = dec_flags16(d, &b, 0x001C, "FLAGS_FIELD.Flags");
    q->flag_a = (flags & 0x0010) != 0;
    q->flag_x = (flags & 0x0008) != 0;
    q->flag_c = (flags & 0x0004) != 0;
    pn_pnrp_pad(d, "FLAGS_FIELD.Padding");
    dec_id_elem(d, PN_PNRP_F_VALIDATE_PNRP_ID, "VALIDATE_PNRP_ID", &q->validate);
    if (pn_pnrp_peek(d) == PN_PNRP_F_NONCE) {
        dec_fixed(d, PN_PNRP_F_NONCE, "NONCE", q->nonce, 16);
        q->has_nonce = 1;
    }
}

static void dec_authority(pn_pnrp_dec *d, pn_pnrp_authority *a)
{
    pn_rd b;
    size_t off, n;
    a->fragment.p = NULL;
    a->fragment.len = 0;
    a->acked_id = dec_acked(d);
    if (pn_pnrp_elem(d, PN_PNRP_F_SPLIT_CONTROLS, 8, "SPLIT_CONTROLS", &b) != 0)
        return;
    off = pn_pnrp_off(&b);
    a->size = pn_get_u16be(b.p);
    a->offset = pn_get_u16be(b.p + 2);
    if (a->size > PN_PNRP_AUTHORITY_MAX_SIZE || a->size == 0) {
        pn_pnrp_fail(d, PN_ERR_PNRP_SPLIT, off, "SPLIT_CONTROLS.Size");
        return;
    }
    if (a->offset % PN_PNRP_FRAGMENT_LEN != 0) {
        pn_pnrp_fail(d, PN_ERR_PNRP_SPLIT, off + 2, "SPLIT_CONTROLS.Offset");
        return;
    }
    /* The Buffer is the rest of the datagram (3.1.5.6); 3.2.5.10: every fragment but
     * the last is exactly 1188 bytes, the last at most 1188, and none passes Size. */
    n = pn_pnrp_left(&d->r);
    off = pn_pnrp_off(&d->r);
    if (n == 0) {
        pn_pnrp_trunc(d, off, "AUTHORITY.Buffer");
        return;
    }
    if (n > PN_PNRP_FRAGMENT_LEN || (size_t)a->offset + n > a->size ||
        ((size_t)a->offset + n < a->size && n != PN_PNRP_FRAGMENT_LEN)) {
        pn_pnrp_fail(d, PN_ERR_PNRP_SPLIT, off, "AUTHORITY.Buffer");
        return;
    }
    a->fragment.p = pn_pnrp_take(&d->r, n);
    a->fragment.len = n;
}

static void dec_ack(pn_pnrp_dec *d, pn_pnrp_ack *k)
{
    pn_rd b;
    k->has_flags = k->flag_n = 0;
    k->acked_id = dec_acked(d);
    if (pn_pnrp_peek(d) == PN_PNRP_F_FLAGS) {
        if (pn_pnrp_elem(d, PN_PNRP_F_FLAGS, 6, "FLAGS_FIELD", &b) != 0)
            return;
        k->flag_n = (uint8_t)(dec_flags16(d, &b, 0x0001, "FLAGS_FIELD.Flags") & 1);
        k->has_flags = 1;
    }
}

static void dec_lookup(pn_pnrp_dec *d, pn_pnrp_lookup *l)
{
    pn_rd b;
    size_t off;
    l->has_route = l->path.count = 0;
    if (pn_pnrp_elem(d, PN_PNRP_F_LOOKUP_CONTROLS, 12, "LOOKUP_CONTROLS", &b) != 0)
        return;
    /* Flags (16), Precision (16), ResolveCriteria, ResolveReasonCode, Reserved2 (16). */
    l->flag_a = (dec_flags16(d, &b, 0x0002, "LOOKUP_CONTROLS.Flags") & 0x0002) != 0;
    if (pn_pnrp_bad(d))
        return;
    l->precision = pn_get_u16be(b.p + 2);
    off = pn_pnrp_off(&b) + 4;
    l->criteria = b.p[4];
    l->reason = b.p[5];
    if (l->criteria != PN_PNRP_SEARCH_NONE && l->criteria != PN_PNRP_SEARCH_ANY_PEERNAME &&
        l->criteria != PN_PNRP_SEARCH_NEAREST_PEERNAME &&
        l->criteria != PN_PNRP_SEARCH_NEAREST64_PEERNAME &&
        l->criteria != PN_PNRP_SEARCH_UPPER_BITS) {
        pn_pnrp_fail(d, PN_ERR_PNRP_VALUE, off, "LOOKUP_CONTROLS.ResolveCriteria");
        return;
    }
    /* 3.2.5.2: the receiver ignores the reason code; a sender must use a listed one. */
    if (l->reason > PN_PNRP_REASON_SPLIT_DETECTION && pn_pnrp_strict(d)) {
        pn_pnrp_fail(d, PN_ERR_PNRP_VALUE, off + 1, "LOOKUP_CONTROLS.ResolveReasonCode");
        return;
    }
    pn_pnrp_reserved(d, pn_get_u16be(b.p + 6), off + 2, "LOOKUP_CONTROLS.Reserved2");
    dec_id_elem(d, PN_PNRP_F_TARGET_PNRP_ID, "TARGET_PNRP_ID", &l->target);
    dec_id_elem(d, PN_PNRP_F_VALIDATE_PNRP_ID, "VALIDATE_PNRP_ID", &l->validate);
    dec_opt_route(d, &l->has_route, &l->route);
    dec_endpoint_list(d, 1, &l->path, "IPV6_ENDPOINT_ARRAY (Flagged Path)");
}

/* 2.2.1: the header fields in order, with the offset just past each, for naming the
 * first one a short datagram cuts. */
static const uint8_t hdr_ends[] = {2, 4, 5, 6, 7, 8, 12};
static const char *const hdr_names[] = {"PNRP_HEADER.FieldID",      "PNRP_HEADER.Length",
                                        "PNRP_HEADER.Identifier",   "PNRP_HEADER.VersionMajor",
                                        "PNRP_HEADER.VersionMinor", "PNRP_HEADER.MessageType",
                                        "PNRP_HEADER.Message ID"};

/* The header's fixed values (2.2.1) as the first 7 bytes of a big-endian word. */
#define HDR_FIXED                                                                                  \
    (((uint64_t)PN_PNRP_F_HEADER << 40) | ((uint64_t)PN_PNRP_HEADER_LEN << 24) |                   \
     ((uint32_t)PN_PNRP_IDENTIFIER << 16) | ((uint32_t)PN_PNRP_VERSION_MAJOR << 8) |               \
     PN_PNRP_VERSION_MINOR)

#if PN_PNRP_FAST_PATHS
/* ---- whole-message fast paths (decision PW-28) ----------------------------------------
 * A message as nodes send it (reserved bits, reserved bytes and padding zero, every count
 * in range, elements where they belong) is decoded in one pass over its bytes, without
 * the reader state the field-by-field decoders keep for naming failures.  Each fast path
 * either sets its struct exactly as the field-by-field decoder would and returns 1, or
 * returns 0 at the first thing it does not expect; the field-by-field decoder then runs
 * from the start, and only it reports errors (and takes what the receive rules alone
 * allow, such as nonzero reserved bits).  So the fast paths accept a subset of what the
 * decoders accept and change no result; PN_PNRP_FIELDWISE turns them off for the tests
 * that check this.  The cursor is p with left bytes from offset at of the message. */
typedef struct fast_cur {
    const uint8_t *p;
    size_t left, at;
} fast_cur;

PN_PNRP_HOT void fast_skip(fast_cur *c, size_t n)
{
    c->p += n;
    c->left -= n;
    c->at += n;
}

/* An element with FieldID fid and Length len (len bytes there). */
PN_PNRP_HOT int fast_elem(const fast_cur *c, uint16_t fid, uint16_t len)
{
    return c->left >= len && pn_pnrp_ld32be(c->p) == ((uint32_t)fid << 16 | len);
}

/* A fixed-size element of n bytes copied to out. */
PN_PNRP_HOT int fast_fixed(fast_cur *c, uint16_t fid, uint8_t *out, size_t n)
{
    if (!fast_elem(c, fid, (uint16_t)(4 + n)))
        return 0;
    memcpy(out, c->p + 4, n);
    fast_skip(c, 4 + n);
    return 1;
}

PN_PNRP_HOT int fast_id(fast_cur *c, uint16_t fid, pn_pnrp_id *id)
{
    if (!fast_elem(c, fid, 4 + PN_PNRP_ID_LEN))
        return 0;
    pn_pnrp_id_wire_copy(id->b, c->p + 4);
    fast_skip(c, 4 + PN_PNRP_ID_LEN);
    return 1;
}

/* The Encoded CPA in the element of len bytes at p: the CPA's own decoder, on a reader of
 * its own (on any failure the field-by-field decoder runs again and names it). */
PN_PNRP_APART int fast_cpa_reader(const uint8_t *p, size_t len, int strict, pn_pnrp_cpa *cpa)
{
    pn_pnrp_decode_error e;
    pn_pnrp_dec d;
    pn_rd b;
    pn_pnrp_dec_init(&d, p, len, strict ? PN_PNRP_STRICT : 0, &e);
    b = d.r;
    b.p += 4;
    pn_pnrp_dec_cpa(&d, &b, cpa);
    return !pn_pnrp_bad(&d);
}

/* The same, trying the CPA's fast path first. */
PN_PNRP_HOT int fast_cpa(const uint8_t *p, size_t len, int strict, pn_pnrp_cpa *cpa)
{
    return pn_pnrp_cpa_fast(p + 4, len - 4, cpa) || fast_cpa_reader(p, len, strict, cpa);
}

/* An optional ROUTING_ENTRY and its zero padding, followed by at least 4 more bytes (the
 * padding is read as the low bytes of a little-endian word). */
PN_PNRP_HOT int fast_opt_route(fast_cur *c, int strict, uint8_t *has, pn_pnrp_route_entry *re)
{
    size_t len, pad;
    *has = 0;
    if (c->left < 4 || pn_pnrp_ld16be(c->p) != PN_PNRP_F_ROUTING_ENTRY)
        return 1;
    len = pn_pnrp_ld16be(c->p + 2);
    pad = (0u - (c->at + len)) & 3;
    if (len < 4 || len + 4 > c->left ||
        (pn_pnrp_ld32le(c->p + len) & ((1u << (8 * pad)) - 1)) != 0 ||
        !route_fast(c->p + 4, len - 4, strict, re))
        return 0;
    *has = 1;
    fast_skip(c, len + pad);
    return 1;
}

/* The array header of an element that is all the rest: count n of entries of type etype
 * and entry_len bytes; returns n, or -1. */
PN_PNRP_HOT long fast_array(const fast_cur *c, uint16_t fid, uint16_t etype, size_t entry_len)
{
    size_t n;
    if (c->left < 12 || pn_pnrp_ld16be(c->p) != fid || pn_pnrp_ld16be(c->p + 2) != c->left ||
        pn_pnrp_ld32be(c->p + 8) != ((uint32_t)etype << 16 | entry_len))
        return -1;
    n = pn_pnrp_ld16be(c->p + 4);
    if (pn_pnrp_ld16be(c->p + 6) != 8 + n * entry_len || c->left != 12 + n * entry_len)
        return -1;
    return (long)n;
}

/* An IPV6_ENDPOINT_ARRAY of min..22 entries ending the message. */
PN_PNRP_HOT int fast_endpoints(const fast_cur *c, unsigned min, pn_pnrp_endpoint_list *l)
{
    long n = fast_array(c, PN_PNRP_F_IPV6_ENDPOINT_ARRAY, PN_PNRP_F_IPV6_ENDPOINT,
                        PN_PNRP_ENDPOINT_LEN),
         i;
    const uint8_t *p = c->p + 12;
    if (n < (long)min || n > PN_PNRP_PATH_MAX)
        return 0;
    for (i = 0; i < n; i++, p += PN_PNRP_ENDPOINT_LEN) {
        pn_pnrp_endpoint *ep = &l->eps[i];
        ep->port = pn_pnrp_ld16be(p);
        memcpy(ep->addr, p + 2, 16);
        if (ep->port <= 1024)
            return 0;
    }
    l->count = (uint8_t)n;
    return 1;
}

/* A PNRP_ID_ARRAY that is all the rest but tail bytes. */
PN_PNRP_HOT int fast_ids(fast_cur *c, size_t tail, pn_pnrp_id_list *l)
{
    fast_cur a = *c;
    long n, i;
    if (c->left < tail)
        return 0;
    a.left -= tail;
    n = fast_array(&a, PN_PNRP_F_PNRP_ID_ARRAY, PN_PNRP_F_PNRP_ID, PN_PNRP_ID_LEN);
    if (n < 0 || n > PN_PNRP_ID_ARRAY_MAX)
        return 0;
    l->count = (uint16_t)n;
    for (i = 0; i < n; i++)
        pn_pnrp_id_wire_copy(l->ids[i].b, a.p + 12 + (size_t)i * PN_PNRP_ID_LEN);
    fast_skip(c, a.left);
    return 1;
}

PN_PNRP_HOT int fast_solicit(fast_cur *c, int strict, pn_pnrp_solicit *s)
{
    uint32_t w;
    s->has_controls = s->solicit_type = 0;
    if (fast_elem(c, PN_PNRP_F_SOLICIT_CONTROLS, 6) && c->left >= 8) {
        /* Reserved, SolicitType, two bytes of padding. */
        w = pn_pnrp_ld32be(c->p + 4);
        if ((w & 0xFF00FFFFu) != 0 || (w >> 16) > PN_PNRP_SOLICIT_LOCAL)
            return 0;
        s->has_controls = 1;
        s->solicit_type = (uint8_t)(w >> 16);
        fast_skip(c, 8);
    }
    return fast_opt_route(c, strict, &s->has_route, &s->route) &&
           fast_fixed(c, PN_PNRP_F_HASHED_NONCE, s->hashed_nonce, 20) && c->left == 0;
}

PN_PNRP_HOT int fast_advertise(fast_cur *c, pn_pnrp_advertise *a)
{
    if (!fast_elem(c, PN_PNRP_F_HEADER_ACKED, 8))
        return 0;
    a->acked_id = pn_pnrp_ld32be(c->p + 4);
    fast_skip(c, 8);
    return fast_ids(c, 24, &a->ids) && fast_fixed(c, PN_PNRP_F_HASHED_NONCE, a->hashed_nonce, 20);
}

PN_PNRP_HOT int fast_request(fast_cur *c, pn_pnrp_request *r)
{
    return fast_fixed(c, PN_PNRP_F_NONCE, r->nonce, 16) && fast_ids(c, 0, &r->ids);
}

PN_PNRP_HOT int fast_flood(fast_cur *c, int strict, pn_pnrp_flood *f)
{
    uint32_t w;
    f->has_revoke = 0;
    /* FLOOD_CONTROLS: Flags (only D), Reserved2 (any value), one byte of padding. */
    if (!fast_elem(c, PN_PNRP_F_FLOOD_CONTROLS, 7) || c->left < 8)
        return 0;
    w = pn_pnrp_ld32be(c->p + 4);
    if ((w & 0xFFFE00FFu) != 0)
        return 0;
    f->flag_d = (uint8_t)(w >> 16);
    f->reserved2 = (uint8_t)(w >> 8);
    fast_skip(c, 8);
    if (!fast_id(c, PN_PNRP_F_VALIDATE_PNRP_ID, &f->validate))
        return 0;
    if (c->left >= 4 && pn_pnrp_ld16be(c->p) == PN_PNRP_F_REVOKE_CPA) {
        size_t len = pn_pnrp_ld16be(c->p + 2), pad = (0u - (c->at + len)) & 3;
        if (len < 4 || len + 4 > c->left ||
            (pn_pnrp_ld32le(c->p + len) & ((1u << (8 * pad)) - 1)) != 0 ||
            !fast_cpa(c->p, len, strict, &f->revoke) || !(f->revoke.flags & PN_PNRP_CPA_R))
            return 0;
        f->has_revoke = 1;
        fast_skip(c, len + pad);
    }
    return fast_opt_route(c, strict, &f->has_route, &f->route) && fast_endpoints(c, 0, &f->flooded);
}

PN_PNRP_HOT int fast_inquire(fast_cur *c, pn_pnrp_inquire *q)
{
    uint32_t w;
    /* FLAGS_FIELD (A, X, C) and two bytes of padding. */
    if (!fast_elem(c, PN_PNRP_F_FLAGS, 6) || c->left < 8)
        return 0;
    w = pn_pnrp_ld32be(c->p + 4);
    if ((w & ~((uint32_t)0x001C << 16)) != 0)
        return 0;
    q->flag_a = (w >> 20) & 1;
    q->flag_x = (w >> 19) & 1;
    q->flag_c = (w >> 18) & 1;
    fast_skip(c, 8);
    if (!fast_id(c, PN_PNRP_F_VALIDATE_PNRP_ID, &q->validate))
        return 0;
    q->has_nonce = c->left != 0;
    return c->left == 0 || (fast_fixed(c, PN_PNRP_F_NONCE, q->nonce, 16) && c->left == 0);
}

PN_PNRP_HOT int fast_lookup(fast_cur *c, int strict, pn_pnrp_lookup *l)
{
    uint32_t w;
    uint8_t crit;
    /* LOOKUP_CONTROLS: Flags (only A), Precision, ResolveCriteria, ResolveReasonCode,
     * Reserved2. */
    if (!fast_elem(c, PN_PNRP_F_LOOKUP_CONTROLS, 12))
        return 0;
    w = pn_pnrp_ld32be(c->p + 4);
    crit = c->p[8];
    if ((w & 0xFFFD0000u) != 0 || c->p[9] > PN_PNRP_REASON_SPLIT_DETECTION ||
        pn_pnrp_ld16be(c->p + 10) != 0 ||
        (crit != PN_PNRP_SEARCH_NONE && crit != PN_PNRP_SEARCH_ANY_PEERNAME &&
         crit != PN_PNRP_SEARCH_NEAREST_PEERNAME && crit != PN_PNRP_SEARCH_NEAREST64_PEERNAME &&
         crit != PN_PNRP_SEARCH_UPPER_BITS))
        return 0;
    l->flag_a = (w >> 17) & 1;
    l->precision = (uint16_t)w;
    l->criteria = crit;
    l->reason = c->p[9];
    fast_skip(c, 12);
    return fast_id(c, PN_PNRP_F_TARGET_PNRP_ID, &l->target) &&
           fast_id(c, PN_PNRP_F_VALIDATE_PNRP_ID, &l->validate) &&
           fast_opt_route(c, strict, &l->has_route, &l->route) && fast_endpoints(c, 1, &l->path);
}

PN_PNRP_HOT int fast_authority(fast_cur *c, pn_pnrp_authority *a)
{
    size_t n;
    if (!fast_elem(c, PN_PNRP_F_HEADER_ACKED, 8) || c->left < 16 ||
        pn_pnrp_ld32be(c->p + 8) != ((uint32_t)PN_PNRP_F_SPLIT_CONTROLS << 16 | 8))
        return 0;
    a->acked_id = pn_pnrp_ld32be(c->p + 4);
    a->size = pn_pnrp_ld16be(c->p + 12);
    a->offset = pn_pnrp_ld16be(c->p + 14);
    /* The Buffer: the rest, 1..1188 bytes, all 1188 but in the last fragment. */
    n = c->left - 16;
    if (a->size == 0 || a->size > PN_PNRP_AUTHORITY_MAX_SIZE ||
        a->offset % PN_PNRP_FRAGMENT_LEN != 0 || n == 0 || n > PN_PNRP_FRAGMENT_LEN ||
        (size_t)a->offset + n > a->size ||
        ((size_t)a->offset + n < a->size && n != PN_PNRP_FRAGMENT_LEN))
        return 0;
    a->fragment.p = c->p + 16;
    a->fragment.len = n;
    return 1;
}

PN_PNRP_HOT int fast_ack(fast_cur *c, pn_pnrp_ack *k)
{
    if (!fast_elem(c, PN_PNRP_F_HEADER_ACKED, 8))
        return 0;
    k->acked_id = pn_pnrp_ld32be(c->p + 4);
    k->has_flags = k->flag_n = 0;
    if (c->left == 8)
        return 1;
    /* FLAGS_FIELD (N only), the last element. */
    if (c->left != 14 || pn_pnrp_ld32be(c->p + 8) != ((uint32_t)PN_PNRP_F_FLAGS << 16 | 6) ||
        (pn_pnrp_ld16be(c->p + 12) & ~1u) != 0)
        return 0;
    k->has_flags = 1;
    k->flag_n = c->p[13] & 1;
    return 1;
}

/* The message at buf (len bytes), when it has the usual shape of its type. */
PN_PNRP_HOT int decode_fast(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_msg *m)
{
    int strict = (flags & PN_PNRP_STRICT) != 0;
    fast_cur c;
    if (len < PN_PNRP_HEADER_LEN || (pn_pnrp_ld64be(buf) >> 8) != HDR_FIXED)
        return 0;
    m->type = buf[7];
    m->msg_id = pn_pnrp_ld32be(buf + 8);
    c.p = buf + PN_PNRP_HEADER_LEN;
    c.left = len - PN_PNRP_HEADER_LEN;
    c.at = PN_PNRP_HEADER_LEN;
    switch (buf[7]) {
    case PN_PNRP_SOLICIT:
        return fast_solicit(&c, strict, &m->u.solicit);
    case PN_PNRP_ADVERTISE:
        return fast_advertise(&c, &m->u.advertise);
    case PN_PNRP_REQUEST:
        return fast_request(&c, &m->u.request);
    case PN_PNRP_FLOOD:
        return fast_flood(&c, strict, &m->u.flood);
    case PN_PNRP_INQUIRE:
        return fast_inquire(&c, &m->u.inquire);
    case PN_PNRP_AUTHORITY:
        return fast_authority(&c, &m->u.authority);
    case PN_PNRP_ACK:
        return fast_ack(&c, &m->u.ack);
    case PN_PNRP_LOOKUP:
        return fast_lookup(&c, strict, &m->u.lookup);
    default:
        return 0;
    }
}

int pn_pnrp_decode_fast(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_msg *m)
{
    return decode_fast(buf, len, flags, m);
}
#endif

/* The field-by-field decoder. */
PN_PNRP_APART int decode_fieldwise(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_msg *m,
                                   pn_pnrp_decode_error *err)
{
    pn_pnrp_decode_error e;
    pn_pnrp_dec d;
    const uint8_t *h = buf;
    /* No clearing of the whole struct (see the contract in pnrp_wire.h): each message's
     * decoder sets its presence flags and counts first and every other field it reads. */
    pn_pnrp_dec_init(&d, buf, len, flags, err != NULL ? err : &e);
    m->msg_id = 0;
    if (len < PN_PNRP_HEADER_LEN) {
        m->type = len >= 8 ? buf[7] : 0;
        return pn_pnrp_trunc_fields(&d, 0, len, hdr_ends, hdr_names);
    }
    (void)pn_pnrp_take(&d.r, PN_PNRP_HEADER_LEN);
    m->type = h[7];
    m->msg_id = pn_get_u32be(h + 8);
    /* 2.2.1: the header's fixed values (one word compare; each field's own test names the
     * first that differs). */
    if ((pn_pnrp_ld64be(h) >> 8) != HDR_FIXED) {
        if (pn_get_u16be(h) != PN_PNRP_F_HEADER)
            return pn_pnrp_fail(&d, PN_ERR_PNRP_HEADER, 0, "PNRP_HEADER.FieldID");
        if (pn_get_u16be(h + 2) != PN_PNRP_HEADER_LEN)
            return pn_pnrp_fail(&d, PN_ERR_PNRP_HEADER, 2, "PNRP_HEADER.Length");
        if (h[4] != PN_PNRP_IDENTIFIER)
            return pn_pnrp_fail(&d, PN_ERR_PNRP_HEADER, 4, "PNRP_HEADER.Identifier");
        if (h[5] != PN_PNRP_VERSION_MAJOR)
            return pn_pnrp_fail(&d, PN_ERR_PNRP_VERSION, 5, "PNRP_HEADER.VersionMajor");
        if (h[6] != PN_PNRP_VERSION_MINOR)
            return pn_pnrp_fail(&d, PN_ERR_PNRP_VERSION, 6, "PNRP_HEADER.VersionMinor");
    }
    switch (m->type) {
    case PN_PNRP_SOLICIT:
        dec_solicit(&d, &m->u.solicit);
        break;
    case PN_PNRP_ADVERTISE:
        dec_advertise(&d, &m->u.advertise);
        break;
    case PN_PNRP_REQUEST:
        dec_request(&d, &m->u.request);
        break;
    case PN_PNRP_FLOOD:
        dec_flood(&d, &m->u.flood);
        break;
    case PN_PNRP_INQUIRE:
        dec_inquire(&d, &m->u.inquire);
        break;
    case PN_PNRP_AUTHORITY:
        dec_authority(&d, &m->u.authority);
        break;
    case PN_PNRP_ACK:
        dec_ack(&d, &m->u.ack);
        break;
    case PN_PNRP_LOOKUP:
        dec_lookup(&d, &m->u.lookup);
        break;
    default:
        return pn_pnrp_fail(&d, PN_ERR_PNRP_MSGTYPE, 7, "PNRP_HEADER.MessageType");
    }
    dec_finish(&d);
    return d.code;
}

#if PN_PNRP_FAST_PATHS
/* A fast path accepted the bytes: the error report says so, as the field-by-field
 * decoder's would. */
static int fast_ok(pn_pnrp_decode_error *err)
{
    if (err != NULL) {
        err->code = PN_OK;
        err->offset = 0;
        err->field = NULL;
    }
    return PN_OK;
}
#endif

int pn_pnrp_decode(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_msg *m,
                   pn_pnrp_decode_error *err)
{
#if PN_PNRP_FAST_PATHS
    if (!(flags & PN_PNRP_FIELDWISE) && decode_fast(buf, len, flags, m)) {
        return fast_ok(err);
    }
#endif
    return decode_fieldwise(buf, len, flags, m, err);
}

/* ---- AUTHORITY_BUFFER ---------------------------------------------------------------- */
#if PN_PNRP_FAST_PATHS
/* Decision PW-28 for the AUTHORITY_BUFFER: padded flags, an optional route entry, an
 * optional VALIDATE_CPA (the rest); anything else goes the field-by-field way. */
PN_PNRP_HOT int ab_fast(const uint8_t *buf, size_t len, unsigned flags,
                        pn_pnrp_authority_buffer *ab)
{
    int strict = (flags & PN_PNRP_STRICT) != 0;
    fast_cur c;
    uint32_t w;
    c.p = buf;
    c.left = len;
    c.at = 0;
    if (!fast_elem(&c, PN_PNRP_F_FLAGS, 6) || c.left < 12)
        return 0;
    /* Flags (L, B, N) and two bytes of padding. */
    w = pn_pnrp_ld32be(c.p + 4);
    if ((w & ~((uint32_t)0x0209 << 16)) != 0)
        return 0;
    ab->flag_l = (w >> 25) & 1;
    ab->flag_b = (w >> 19) & 1;
    ab->flag_n = (w >> 16) & 1;
    ab->flags_unpadded = ab->has_cert_chain = ab->has_classifier = ab->has_ext_payload = 0;
    fast_skip(&c, 8);
    w = pn_pnrp_ld16be(c.p);
    if (w == PN_PNRP_F_CERT_CHAIN || w == PN_PNRP_F_CLASSIFIER || w == PN_PNRP_F_EXTENDED_PAYLOAD ||
        !fast_opt_route(&c, strict, &ab->has_route, &ab->route))
        return 0;
    ab->has_cpa = 0;
    if (c.left == 0)
        return 1;
    if (c.left < 4 || pn_pnrp_ld32be(c.p) != ((uint32_t)PN_PNRP_F_VALIDATE_CPA << 16 | c.left) ||
        !fast_cpa(c.p, c.left, strict, &ab->cpa))
        return 0;
    ab->has_cpa = 1;
    return 1;
}

int pn_pnrp_ab_decode_fast(const uint8_t *buf, size_t len, unsigned flags,
                           pn_pnrp_authority_buffer *ab)
{
    return ab_fast(buf, len, flags, ab);
}
#endif

PN_PNRP_APART int ab_decode_fieldwise(const uint8_t *buf, size_t len, unsigned flags,
                                      pn_pnrp_authority_buffer *ab, pn_pnrp_decode_error *err)
{
    pn_pnrp_decode_error e;
    pn_pnrp_dec d;
    pn_rd b;
    uint16_t fl;
    ab->flag_l = ab->flag_b = ab->flag_n = ab->flags_unpadded = 0;
    ab->has_cert_chain = ab->has_classifier = ab->has_ext_payload = ab->has_route = ab->has_cpa = 0;
    pn_pnrp_dec_init(&d, buf, len, flags, err != NULL ? err : &e);
    if (pn_pnrp_elem(&d, PN_PNRP_F_FLAGS, 6, "FLAGS_FIELD", &b) != 0)
        return d.code;
    /* Reserved bits around L (0x0200), B (0x0008) and N (0x0001). */
    fl = dec_flags16(&d, &b, 0x0209, "FLAGS_FIELD.Flags");
    ab->flag_l = (fl & 0x0200) != 0;
    ab->flag_b = (fl & 0x0008) != 0;
    ab->flag_n = (fl & 0x0001) != 0;
    if (pn_pnrp_left(&d.r) == 0 && !pn_pnrp_bad(&d)) {
        /* Decision PW-9: a flags-only buffer may end without Padding1. */
        ab->flags_unpadded = 1;
        return d.code;
    }
    pn_pnrp_pad(&d, "FLAGS_FIELD.Padding1");
    if (pn_pnrp_peek(&d) == PN_PNRP_F_CERT_CHAIN) {
        if (pn_pnrp_elem(&d, PN_PNRP_F_CERT_CHAIN, 0, "CERT_CHAIN", &b) != 0)
            return d.code;
        ab->cert_chain.len = pn_pnrp_left(&b);
        if (ab->cert_chain.len == 0)
            return pn_pnrp_fail(&d, PN_ERR_PNRP_FIELD_LENGTH, pn_pnrp_off(&b) - 2, "CERT_CHAIN");
        ab->cert_chain.p = pn_pnrp_rdptr(&d, &b, ab->cert_chain.len, "CERT_CHAIN");
        pn_pnrp_pad(&d, "CERT_CHAIN.Padding2");
        ab->has_cert_chain = 1;
    }
    if (pn_pnrp_peek(&d) == PN_PNRP_F_CLASSIFIER) {
        if (pn_pnrp_elem(&d, PN_PNRP_F_CLASSIFIER, 0, "CLASSIFIER", &b) != 0)
            return d.code;
        pn_pnrp_dec_classifier(&d, &b, &ab->classifier);
        pn_pnrp_pad(&d, "CLASSIFIER.Padding3");
        ab->has_classifier = 1;
    }
    if (pn_pnrp_peek(&d) == PN_PNRP_F_EXTENDED_PAYLOAD) {
        if (pn_pnrp_elem(&d, PN_PNRP_F_EXTENDED_PAYLOAD, 0, "EXTENDED_PAYLOAD", &b) != 0)
            return d.code;
        pn_pnrp_dec_ext_payload(&d, &b, &ab->ext_payload);
        pn_pnrp_pad(&d, "EXTENDED_PAYLOAD.Padding4");
        ab->has_ext_payload = 1;
    }
    dec_opt_route(&d, &ab->has_route, &ab->route);
    if (pn_pnrp_peek(&d) == PN_PNRP_F_VALIDATE_CPA) {
        if (pn_pnrp_elem(&d, PN_PNRP_F_VALIDATE_CPA, 0, "VALIDATE_CPA", &b) != 0)
            return d.code;
        pn_pnrp_dec_cpa(&d, &b, &ab->cpa);
        ab->has_cpa = 1;
    }
    if (!pn_pnrp_bad(&d) && pn_pnrp_left(&d.r) != 0) {
        /* Something is left: either an element out of order or garbage. */
        int fid = pn_pnrp_peek(&d);
        pn_pnrp_fail(&d,
                     fid >= 0 && pn_pnrp_field_name(fid) != NULL ? PN_ERR_PNRP_FIELD_ORDER
                                                                 : PN_ERR_TRAILING,
                     pn_pnrp_off(&d.r), "end of AUTHORITY_BUFFER");
    }
    return d.code;
}

int pn_pnrp_authority_buffer_decode(const uint8_t *buf, size_t len, unsigned flags,
                                    pn_pnrp_authority_buffer *ab, pn_pnrp_decode_error *err)
{
#if PN_PNRP_FAST_PATHS
    if (!(flags & PN_PNRP_FIELDWISE) && ab_fast(buf, len, flags, ab)) {
        return fast_ok(err);
    }
#endif
    return ab_decode_fieldwise(buf, len, flags, ab, err);
}

/* ---- encoding ------------------------------------------------------------------------
 * Two passes over the struct, in one function per message type (decision PW-27: enc_solicit
 * ... enc_lookup behind the single dispatch of pn_pnrp_encode; ab_size and put_ab for the
 * AUTHORITY_BUFFER).  The sizing pass checks every rule the encoder enforces, in element
 * order so the first broken one is reported, and computes the exact size, paddings
 * included; so an invalid struct or a buffer that is too small is reported before
 * anything is written.  The writing pass then fills the buffer through a plain pointer
 * with no per-field bounds checks.  Both passes walk the same elements in the same order:
 * keep them in step. */

/* The padding after an element ending at offset end (from the start of the message). */
static inline size_t pad4(size_t end)
{
    return (0u - end) & 3u;
}

/* FieldID and Length (len <= 0xFFFF, checked by the sizing pass) at p. */
static inline void put_hdr(uint8_t *p, uint16_t fid, size_t len)
{
    pn_pnrp_st32be(p, ((uint32_t)fid << 16) | (uint32_t)len);
}

static inline uint8_t *put_acked(uint8_t *p, uint32_t id)
{
    pn_pnrp_st64be(p, ((uint64_t)PN_PNRP_F_HEADER_ACKED << 48) | ((uint64_t)8 << 32) | id);
    return p + 8;
}

/* A fixed-size element of n (a constant) bytes copied from src. */
static inline uint8_t *put_fixed(uint8_t *p, uint16_t fid, const uint8_t *src, size_t n)
{
    put_hdr(p, fid, 4 + n);
    memcpy(p + 4, src, n);
    return p + 4 + n;
}

static inline uint8_t *put_id_elem(uint8_t *p, uint16_t fid, const pn_pnrp_id *id)
{
    put_hdr(p, fid, 4 + PN_PNRP_ID_LEN);
    pn_pnrp_id_wire_copy(p + 4, id->b);
    return p + 4 + PN_PNRP_ID_LEN;
}

/* FLAGS (2.2.2.x): 6 bytes, or 8 with its padding. */
static inline uint8_t *put_flags(uint8_t *p, uint16_t flags, int padded)
{
    if (padded) {
        pn_pnrp_st64be(p, ((uint64_t)PN_PNRP_F_FLAGS << 48) | ((uint64_t)6 << 32) |
                              ((uint32_t)flags << 16));
        return p + 8;
    }
    put_hdr(p, PN_PNRP_F_FLAGS, 6);
    pn_pnrp_st16be(p + 4, flags);
    return p + 6;
}

/* An array element (2.2.2.2 and the like): element header and array header, 12 bytes. */
static inline uint8_t *put_array_hdr(uint8_t *p, uint16_t fid, uint16_t elem_type, size_t entry_len,
                                     size_t n)
{
    put_hdr(p, fid, 12 + n * entry_len);
    pn_pnrp_st32be(p + 4, ((uint32_t)n << 16) | (uint32_t)(8 + n * entry_len));
    pn_pnrp_st32be(p + 8, ((uint32_t)elem_type << 16) | (uint32_t)entry_len);
    return p + 12;
}

PN_PNRP_HOT uint8_t *put_id_list(uint8_t *p, const pn_pnrp_id_list *l)
{
    size_t i, n = l->count;
    p = put_array_hdr(p, PN_PNRP_F_PNRP_ID_ARRAY, PN_PNRP_F_PNRP_ID, PN_PNRP_ID_LEN, n);
    for (i = 0; i < n; i++, p += PN_PNRP_ID_LEN)
        pn_pnrp_id_wire_copy(p, l->ids[i].b);
    return p;
}

PN_PNRP_HOT uint8_t *put_endpoint_list(uint8_t *p, const pn_pnrp_endpoint_list *l)
{
    size_t n = l->count;
    p = put_array_hdr(p, PN_PNRP_F_IPV6_ENDPOINT_ARRAY, PN_PNRP_F_IPV6_ENDPOINT,
                      PN_PNRP_ENDPOINT_LEN, n);
    return pn_pnrp_put_endpoints(p, l->eps, n);
}

/* Sizes of the variable elements; the checks return a negative code. */
static inline size_t route_len(const pn_pnrp_route_entry *re)
{
    return 4 + 38 + 16 * (size_t)re->addr_count;
}
static inline int route_bad(const pn_pnrp_route_entry *re)
{
    return re->addr_count < 1 || re->addr_count > PN_PNRP_ROUTE_ADDRS_MAX;
}

/* Zeros from p up to the next multiple of 4 from buf. */
static uint8_t *put_pad(uint8_t *p, const uint8_t *buf)
{
    size_t pad = pad4((size_t)(p - buf));
    while (pad-- > 0)
        *p++ = 0;
    return p;
}

/* A ROUTING_ENTRY element and its padding to a multiple of 4 (at is p's offset). */
/* A ROUTING_ENTRY element starting at offset at and its padding: the bytes they take. */
static inline size_t route_padded(size_t at, const pn_pnrp_route_entry *re)
{
    size_t len = route_len(re);
    return len + pad4(at + len);
}

/* A ROUTING_ENTRY element and its padding, end bytes (what route_padded gave). */
PN_PNRP_HOT uint8_t *put_route(uint8_t *p, size_t end, const pn_pnrp_route_entry *re)
{
    size_t n = re->addr_count;
    /* The padding: zeros in the last word of the padded element first (one store instead
     * of a loop; the entry then overwrites the bytes of that word that are not padding). */
    pn_pnrp_st32be(p + end - 4, 0);
    put_hdr(p, PN_PNRP_F_ROUTING_ENTRY, 4 + 38 + 16 * n);
    /* ROUTE_ENTRY (2.2.3.4): the ID, Version (major, minor), Port (big-endian), Flags
     * (reserved), AddressCount, the addresses. */
    pn_pnrp_id_wire_copy(p + 4, re->id.b);
    pn_pnrp_st32be(p + 36, ((uint32_t)PN_PNRP_VERSION_MAJOR << 24) |
                               ((uint32_t)PN_PNRP_VERSION_MINOR << 16) | re->port);
    pn_pnrp_st16be(p + 40, (uint16_t)n);
    pn_pnrp_copy_addrs(p + 42, (const uint8_t *)re->addrs, n);
    return p + end;
}

static int authority_bad(const pn_pnrp_authority *a)
{
    return a->fragment.len == 0 || a->fragment.len > PN_PNRP_FRAGMENT_LEN ||
           a->fragment.p == NULL || (size_t)a->offset + a->fragment.len > a->size ||
           a->size > PN_PNRP_AUTHORITY_MAX_SIZE || a->offset % PN_PNRP_FRAGMENT_LEN != 0 ||
           ((size_t)a->offset + a->fragment.len < a->size &&
            a->fragment.len != PN_PNRP_FRAGMENT_LEN);
}

static uint8_t *put_authority(uint8_t *p, const pn_pnrp_authority *a)
{
    p = put_acked(p, a->acked_id);
    pn_pnrp_st64be(p, ((uint64_t)PN_PNRP_F_SPLIT_CONTROLS << 48) | ((uint64_t)8 << 32) |
                          ((uint32_t)a->size << 16) | a->offset);
    memcpy(p + 8, a->fragment.p, a->fragment.len);
    return p + 8 + a->fragment.len;
}

/* The header (2.2.1): FieldID, Length, Identifier, versions, MessageType, MessageID. */
static inline uint8_t *put_header(uint8_t *p, uint8_t type, uint32_t msg_id)
{
    pn_pnrp_st64be(p, ((uint64_t)PN_PNRP_F_HEADER << 48) | ((uint64_t)PN_PNRP_HEADER_LEN << 32) |
                          ((uint32_t)PN_PNRP_IDENTIFIER << 24) |
                          ((uint32_t)PN_PNRP_VERSION_MAJOR << 16) |
                          ((uint32_t)PN_PNRP_VERSION_MINOR << 8) | type);
    pn_pnrp_st32be(p + 8, msg_id);
    return p + PN_PNRP_HEADER_LEN;
}

/* The public return convention, in two halves.  A struct that breaks a rule: its code,
 * and *needed 0. */
static int enc_invalid(int code, size_t *needed)
{
    if (needed != NULL)
        *needed = 0;
    return code;
}
/* A valid struct whose encoding takes n bytes: *needed n, and whether buf has room (when
 * it has not, the encoder returns PN_ERR_BUFSIZE having written nothing). */
static inline int enc_fits(size_t n, size_t cap, size_t *needed)
{
    if (needed != NULL)
        *needed = n;
    return n <= cap;
}

/* One encoder per message (2.2.2.1-2.2.2.8), each its own sizing pass then its writing
 * pass (decision PW-27): pn_pnrp_encode dispatches on the type once, and a small message
 * is written by a short function with no calls.  Where the compiler optimises for speed
 * they stay separate functions (tail calls from the dispatch, each with only the registers
 * it needs); where it optimises for size it may do as it likes. */
#define PN_PNRP_ENC PN_PNRP_APART
#if defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__)
#define PN_PNRP_ENC_SHARED static inline __attribute__((always_inline))
#elif defined(__GNUC__)
#define PN_PNRP_ENC_SHARED static __attribute__((noinline))
#else
#define PN_PNRP_ENC_SHARED static
#endif

/* The end of a sizing pass: n bytes are needed (*needed = n).  Returns NULL when buf has
 * not room for them (the encoder then returns PN_ERR_BUFSIZE having written nothing),
 * else the position after the header it wrote. */
PN_PNRP_ENC_SHARED uint8_t *enc_begin(const pn_pnrp_msg *m, size_t n, uint8_t *buf, size_t cap,
                                      size_t *needed)
{
    if (needed != NULL)
        *needed = n;
    if (n > cap)
        return NULL;
    return put_header(buf, m->type, m->msg_id);
}

PN_PNRP_ENC int enc_solicit(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    const pn_pnrp_solicit *s = &m->u.solicit;
    size_t n = PN_PNRP_HEADER_LEN + (s->has_controls ? 8 : 0), rn = 0;
    uint8_t *p;
    if (s->has_route) {
        if (route_bad(&s->route))
            return enc_invalid(PN_ERR_PNRP_COUNT, needed);
        rn = route_padded(n, &s->route);
    }
    n += rn + 24;
    if ((p = enc_begin(m, n, buf, cap, needed)) == NULL)
        return PN_ERR_BUFSIZE;
    if (s->has_controls) {
        pn_pnrp_st64be(p, ((uint64_t)PN_PNRP_F_SOLICIT_CONTROLS << 48) | ((uint64_t)6 << 32) |
                              ((uint32_t)s->solicit_type << 16));
        p += 8;
    }
    if (s->has_route)
        p = put_route(p, rn, &s->route);
    (void)put_fixed(p, PN_PNRP_F_HASHED_NONCE, s->hashed_nonce, 20);
    return (int)n;
}

PN_PNRP_ENC int enc_advertise(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    const pn_pnrp_advertise *a = &m->u.advertise;
    size_t n;
    uint8_t *p;
    if (a->ids.count > PN_PNRP_ID_ARRAY_MAX)
        return enc_invalid(PN_ERR_PNRP_TOO_MANY, needed);
    n = PN_PNRP_HEADER_LEN + 8 + 12 + PN_PNRP_ID_LEN * (size_t)a->ids.count + 24;
    if ((p = enc_begin(m, n, buf, cap, needed)) == NULL)
        return PN_ERR_BUFSIZE;
    p = put_acked(p, a->acked_id);
    p = put_id_list(p, &a->ids);
    (void)put_fixed(p, PN_PNRP_F_HASHED_NONCE, a->hashed_nonce, 20);
    return (int)n;
}

PN_PNRP_ENC int enc_request(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    const pn_pnrp_request *r = &m->u.request;
    size_t n;
    uint8_t *p;
    if (r->ids.count > PN_PNRP_ID_ARRAY_MAX)
        return enc_invalid(PN_ERR_PNRP_TOO_MANY, needed);
    n = PN_PNRP_HEADER_LEN + 20 + 12 + PN_PNRP_ID_LEN * (size_t)r->ids.count;
    if ((p = enc_begin(m, n, buf, cap, needed)) == NULL)
        return PN_ERR_BUFSIZE;
    p = put_fixed(p, PN_PNRP_F_NONCE, r->nonce, 16);
    (void)put_id_list(p, &r->ids);
    return (int)n;
}

PN_PNRP_ENC int enc_flood(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    const pn_pnrp_flood *f = &m->u.flood;
    size_t n = PN_PNRP_HEADER_LEN + 8 + 4 + PN_PNRP_ID_LEN, cpa_len = 0, rn = 0;
    uint8_t *p;
    if (f->has_revoke) {
        if ((cpa_len = PN_PNRP_CPA_SIZE(&f->revoke)) == 0)
            return enc_invalid(PN_ERR_PNRP_CPA, needed);
        n += 4 + cpa_len;
        n += pad4(n);
    }
    if (f->has_route) {
        if (route_bad(&f->route))
            return enc_invalid(PN_ERR_PNRP_COUNT, needed);
        n += rn = route_padded(n, &f->route);
    }
    if (f->flooded.count > PN_PNRP_PATH_MAX)
        return enc_invalid(PN_ERR_PNRP_COUNT, needed);
    n += 12 + PN_PNRP_ENDPOINT_LEN * (size_t)f->flooded.count;
    if ((p = enc_begin(m, n, buf, cap, needed)) == NULL)
        return PN_ERR_BUFSIZE;
    pn_pnrp_st64be(p, ((uint64_t)PN_PNRP_F_FLOOD_CONTROLS << 48) | ((uint64_t)7 << 32) |
                          ((uint32_t)(f->flag_d ? 1 : 0) << 16) | ((uint32_t)f->reserved2 << 8));
    p = put_id_elem(p + 8, PN_PNRP_F_VALIDATE_PNRP_ID, &f->validate);
    if (f->has_revoke) {
        put_hdr(p, PN_PNRP_F_REVOKE_CPA, 4 + cpa_len);
        PN_PNRP_PUT_CPA(p + 4, &f->revoke, cpa_len);
        /* The padding: a word of zeros (the endpoint array follows, so it is in buf). */
        p += 4 + cpa_len;
        pn_pnrp_st32be(p, 0);
        p += pad4((size_t)(p - buf));
    }
    if (f->has_route)
        p = put_route(p, rn, &f->route);
    (void)put_endpoint_list(p, &f->flooded);
    return (int)n;
}

PN_PNRP_ENC int enc_inquire(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    const pn_pnrp_inquire *q = &m->u.inquire;
    size_t n = PN_PNRP_HEADER_LEN + 8 + 4 + PN_PNRP_ID_LEN + (q->has_nonce ? 20 : 0);
    uint8_t *p;
    if ((p = enc_begin(m, n, buf, cap, needed)) == NULL)
        return PN_ERR_BUFSIZE;
    p = put_flags(
        p, (uint16_t)((q->flag_a ? 0x10 : 0) | (q->flag_x ? 0x08 : 0) | (q->flag_c ? 0x04 : 0)), 1);
    p = put_id_elem(p, PN_PNRP_F_VALIDATE_PNRP_ID, &q->validate);
    if (q->has_nonce)
        (void)put_fixed(p, PN_PNRP_F_NONCE, q->nonce, 16);
    return (int)n;
}

int pn_pnrp_encode_authority(uint32_t msg_id, const pn_pnrp_authority *a, uint8_t *buf, size_t cap,
                             size_t *needed)
{
    size_t n = PN_PNRP_HEADER_LEN + 16 + a->fragment.len;
    if (authority_bad(a))
        return enc_invalid(PN_ERR_PNRP_SPLIT, needed);
    if (!enc_fits(n, cap, needed))
        return PN_ERR_BUFSIZE;
    (void)put_authority(put_header(buf, PN_PNRP_AUTHORITY, msg_id), a);
    return (int)n;
}

PN_PNRP_ENC int enc_ack(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    const pn_pnrp_ack *k = &m->u.ack;
    size_t n = PN_PNRP_HEADER_LEN + 8 + (k->has_flags ? 6 : 0);
    uint8_t *p;
    if ((p = enc_begin(m, n, buf, cap, needed)) == NULL)
        return PN_ERR_BUFSIZE;
    p = put_acked(p, k->acked_id);
    if (k->has_flags)
        (void)put_flags(p, k->flag_n ? 1 : 0, 0);
    return (int)n;
}

PN_PNRP_ENC int enc_lookup(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    const pn_pnrp_lookup *l = &m->u.lookup;
    size_t n = PN_PNRP_HEADER_LEN + 12 + 2 * (4 + PN_PNRP_ID_LEN), rn = 0;
    uint8_t *p;
    if (l->has_route) {
        if (route_bad(&l->route))
            return enc_invalid(PN_ERR_PNRP_COUNT, needed);
        rn = route_padded(n, &l->route);
    }
    if (l->path.count < 1 || l->path.count > PN_PNRP_PATH_MAX)
        return enc_invalid(PN_ERR_PNRP_COUNT, needed);
    n += rn + 12 + PN_PNRP_ENDPOINT_LEN * (size_t)l->path.count;
    if ((p = enc_begin(m, n, buf, cap, needed)) == NULL)
        return PN_ERR_BUFSIZE;
    pn_pnrp_st64be(p, ((uint64_t)PN_PNRP_F_LOOKUP_CONTROLS << 48) | ((uint64_t)12 << 32) |
                          ((uint32_t)(l->flag_a ? 0x0002 : 0) << 16) | l->precision);
    pn_pnrp_st32be(p + 8, ((uint32_t)l->criteria << 24) | ((uint32_t)l->reason << 16));
    p = put_id_elem(p + 12, PN_PNRP_F_TARGET_PNRP_ID, &l->target);
    p = put_id_elem(p, PN_PNRP_F_VALIDATE_PNRP_ID, &l->validate);
    if (l->has_route)
        p = put_route(p, rn, &l->route);
    (void)put_endpoint_list(p, &l->path);
    return (int)n;
}

int pn_pnrp_encode(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    switch (m->type) {
    case PN_PNRP_SOLICIT:
        return enc_solicit(m, buf, cap, needed);
    case PN_PNRP_ADVERTISE:
        return enc_advertise(m, buf, cap, needed);
    case PN_PNRP_REQUEST:
        return enc_request(m, buf, cap, needed);
    case PN_PNRP_FLOOD:
        return enc_flood(m, buf, cap, needed);
    case PN_PNRP_INQUIRE:
        return enc_inquire(m, buf, cap, needed);
    case PN_PNRP_AUTHORITY:
        return pn_pnrp_encode_authority(m->msg_id, &m->u.authority, buf, cap, needed);
    case PN_PNRP_ACK:
        return enc_ack(m, buf, cap, needed);
    case PN_PNRP_LOOKUP:
        return enc_lookup(m, buf, cap, needed);
    default:
        return enc_invalid(PN_ERR_PNRP_MSGTYPE, needed);
    }
}

/* AUTHORITY_BUFFER (2.2.2.6): the sizing pass. */
static int ab_only_flags(const pn_pnrp_authority_buffer *ab)
{
    return !ab->has_cert_chain && !ab->has_classifier && !ab->has_ext_payload && !ab->has_route &&
           !ab->has_cpa;
}

static long ab_size(const pn_pnrp_authority_buffer *ab)
{
    size_t n = ab->flags_unpadded && ab_only_flags(ab) ? 6 : 8, t;
    if (ab->has_cert_chain) {
        if (ab->cert_chain.len == 0 || ab->cert_chain.p == NULL)
            return PN_ERR_PNRP_FIELD_LENGTH;
        if (ab->cert_chain.len > 0xFFFF - 4)
            return PN_ERR_OVERFLOW;
        n += 4 + ab->cert_chain.len;
        n += pad4(n);
    }
    if (ab->has_classifier) {
        const pn_pnrp_classifier *c = &ab->classifier;
        if (c->count > PN_PNRP_CLASSIFIER_MAX || (c->count > 0 && c->units == NULL))
            return PN_ERR_PNRP_CLASSIFIER;
        n += 4 + 8 + 2 * (size_t)c->count;
        n += pad4(n);
    }
    if (ab->has_ext_payload) {
        if ((t = pn_pnrp_ext_payload_size(&ab->ext_payload)) == 0)
            return PN_ERR_PNRP_EXT_PAYLOAD;
        n += 4 + t;
        n += pad4(n);
    }
    if (ab->has_route) {
        if (route_bad(&ab->route))
            return PN_ERR_PNRP_COUNT;
        n += route_padded(n, &ab->route);
    }
    if (ab->has_cpa) {
        if ((t = PN_PNRP_CPA_SIZE(&ab->cpa)) == 0)
            return PN_ERR_PNRP_CPA;
        n += 4 + t;
    }
    if (n > PN_PNRP_AUTHORITY_MAX_SIZE)
        return PN_ERR_PNRP_SPLIT;
    return (long)n;
}

/* The certificate chain, classifier and extended payload of ab at p (buf is the start of
 * the buffer): out of line, as few buffers carry them. */
PN_PNRP_APART uint8_t *put_ab_rare(const pn_pnrp_authority_buffer *ab, uint8_t *p,
                                   const uint8_t *buf)
{
    if (ab->has_cert_chain) {
        put_hdr(p, PN_PNRP_F_CERT_CHAIN, 4 + ab->cert_chain.len);
        memcpy(p + 4, ab->cert_chain.p, ab->cert_chain.len);
        p = put_pad(p + 4 + ab->cert_chain.len, buf);
    }
    if (ab->has_classifier) {
        const pn_pnrp_classifier *c = &ab->classifier;
        p = put_array_hdr(p, PN_PNRP_F_CLASSIFIER, PN_PNRP_F_WCHAR, 2, c->count);
        if (c->count > 0)
            memcpy(p, c->units, 2 * (size_t)c->count);
        p = put_pad(p + 2 * (size_t)c->count, buf);
    }
    if (ab->has_ext_payload) {
        /* Rare: the writer-level encoder, over exactly the room it needs. */
        size_t t = pn_pnrp_ext_payload_size(&ab->ext_payload);
        pn_wr w;
        put_hdr(p, PN_PNRP_F_EXTENDED_PAYLOAD, 4 + t);
        pn_wr_init(&w, p + 4, t);
        pn_pnrp_wr_ext_payload(&w, &ab->ext_payload);
        p = put_pad(p + 4 + t, buf);
    }
    return p;
}

/* Write ab (ab_size accepted it, n bytes) at buf. */
static void put_ab(const pn_pnrp_authority_buffer *ab, uint8_t *buf, size_t n)
{
    uint8_t *p = put_flags(buf,
                           (uint16_t)((ab->flag_l ? 0x0200 : 0) | (ab->flag_b ? 0x0008 : 0) |
                                      (ab->flag_n ? 0x0001 : 0)),
                           !(ab->flags_unpadded && ab_only_flags(ab)));
    if (ab->has_cert_chain | ab->has_classifier | ab->has_ext_payload)
        p = put_ab_rare(ab, p, buf);
    if (ab->has_route)
        p = put_route(p, route_padded((size_t)(p - buf), &ab->route), &ab->route);
    if (ab->has_cpa) {
        /* The last element: the rest of the n bytes. */
        size_t t = n - (size_t)(p - buf) - 4;
        put_hdr(p, PN_PNRP_F_VALIDATE_CPA, 4 + t);
        PN_PNRP_PUT_CPA(p + 4, &ab->cpa, t);
    }
}

int pn_pnrp_authority_buffer_encode(const pn_pnrp_authority_buffer *ab, uint8_t *buf, size_t cap,
                                    size_t *needed)
{
    long n = ab_size(ab);
    if (n < 0)
        return enc_invalid((int)n, needed);
    if (!enc_fits((size_t)n, cap, needed))
        return PN_ERR_BUFSIZE;
    put_ab(ab, buf, (size_t)n);
    return (int)n;
}
