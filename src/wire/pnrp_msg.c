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

/* An optional ROUTING_ENTRY element with its padding. */
static void dec_opt_route(pn_pnrp_dec *d, uint8_t *has, pn_pnrp_route_entry *re)
{
    pn_rd b;
    if (pn_pnrp_peek(d) != PN_PNRP_F_ROUTING_ENTRY)
        return;
    if (pn_pnrp_elem(d, PN_PNRP_F_ROUTING_ENTRY, 0, "ROUTING_ENTRY", &b) != 0)
        return;
    pn_pnrp_dec_route_entry(d, &b, re);
    pn_pnrp_body_end(d, &b, "ROUTING_ENTRY");
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
    a->acked_id = dec_acked(d);
    dec_id_list(d, &a->ids);
    dec_fixed(d, PN_PNRP_F_HASHED_NONCE, "HASHED_NONCE", a->hashed_nonce, 20);
}

static void dec_request(pn_pnrp_dec *d, pn_pnrp_request *r)
{
    dec_fixed(d, PN_PNRP_F_NONCE, "NONCE", r->nonce, 16);
    dec_id_list(d, &r->ids);
}

static void dec_flood(pn_pnrp_dec *d, pn_pnrp_flood *f)
{
    pn_rd b;
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

int pn_pnrp_decode(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_msg *m,
                   pn_pnrp_decode_error *err)
{
    pn_pnrp_decode_error e;
    pn_pnrp_dec d;
    const uint8_t *h = buf;
    pn_pnrp_zero(m, sizeof *m);
    pn_pnrp_dec_init(&d, buf, len, flags, err != NULL ? err : &e);
    if (len < PN_PNRP_HEADER_LEN) {
        if (len >= 8)
            m->type = buf[7];
        return pn_pnrp_trunc_fields(&d, 0, len, hdr_ends, hdr_names);
    }
    (void)pn_pnrp_take(&d.r, PN_PNRP_HEADER_LEN);
    m->type = h[7];
    m->msg_id = pn_get_u32be(h + 8);
    /* 2.2.1: the header's fixed values. */
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

/* ---- AUTHORITY_BUFFER ---------------------------------------------------------------- */
int pn_pnrp_authority_buffer_decode(const uint8_t *buf, size_t len, unsigned flags,
                                    pn_pnrp_authority_buffer *ab, pn_pnrp_decode_error *err)
{
    pn_pnrp_decode_error e;
    pn_pnrp_dec d;
    pn_rd b;
    uint16_t fl;
    pn_pnrp_zero(ab, sizeof *ab);
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

/* ---- encoding ------------------------------------------------------------------------
 * Fixed-size elements are written in place into one pn_wr_ptr reservation each. */
static inline uint8_t *wr_elem_hdr(pn_wr *w, uint16_t fid, uint16_t len, size_t n)
{
    uint8_t *p = pn_pnrp_wr_take(w, n);
    if (p != NULL)
        pn_pnrp_put_elem_hdr(p, fid, len);
    return p;
}

static inline void wr_acked(pn_wr *w, uint32_t id)
{
    uint8_t *p = wr_elem_hdr(w, PN_PNRP_F_HEADER_ACKED, 8, 8);
    if (p != NULL)
        pn_put_u32be(p + 4, id);
}

static inline void wr_fixed(pn_wr *w, uint16_t fid, const uint8_t *src, size_t n)
{
    uint8_t *p = wr_elem_hdr(w, fid, (uint16_t)(4 + n), 4 + n);
    if (p != NULL)
        memcpy(p + 4, src, n);
}

static inline void wr_id_elem(pn_wr *w, uint16_t fid, const pn_pnrp_id *id)
{
    uint8_t *p = wr_elem_hdr(w, fid, 4 + PN_PNRP_ID_LEN, 4 + PN_PNRP_ID_LEN);
    if (p != NULL)
        pn_pnrp_id_wire_copy(p + 4, id->b);
}

/* An array element (2.2.2.2 and the like): element header, array header, then room for
 * n entries of entry_len bytes (returned; NULL when they do not fit). */
static inline uint8_t *wr_array(pn_wr *w, uint16_t fid, uint16_t elem_type, size_t entry_len,
                                size_t n)
{
    uint8_t *p = wr_elem_hdr(w, fid, (uint16_t)(12 + n * entry_len), 12 + n * entry_len);
    if (p == NULL)
        return NULL;
    pn_put_u16be(p + 4, (uint16_t)n);
    pn_put_u16be(p + 6, (uint16_t)(8 + n * entry_len));
    pn_put_u16be(p + 8, elem_type);
    pn_put_u16be(p + 10, (uint16_t)entry_len);
    return p + 12;
}

static void wr_id_list(pn_wr *w, const pn_pnrp_id_list *l)
{
    size_t i, n = l->count;
    uint8_t *p;
    if (n > PN_PNRP_ID_ARRAY_MAX) {
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_TOO_MANY);
        return;
    }
    p = wr_array(w, PN_PNRP_F_PNRP_ID_ARRAY, PN_PNRP_F_PNRP_ID, PN_PNRP_ID_LEN, n);
    for (i = 0; p != NULL && i < n; i++)
        pn_pnrp_id_wire_copy(p + i * PN_PNRP_ID_LEN, l->ids[i].b);
}

static void wr_endpoint_list(pn_wr *w, const pn_pnrp_endpoint_list *l, unsigned min)
{
    size_t i, n = l->count;
    uint8_t *p;
    if (n < min || n > PN_PNRP_PATH_MAX) {
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_COUNT);
        return;
    }
    p = wr_array(w, PN_PNRP_F_IPV6_ENDPOINT_ARRAY, PN_PNRP_F_IPV6_ENDPOINT, PN_PNRP_ENDPOINT_LEN,
                 n);
    for (i = 0; p != NULL && i < n; i++, p += PN_PNRP_ENDPOINT_LEN) {
        pn_put_u16be(p, l->eps[i].port);
        memcpy(p + 2, l->eps[i].addr, 16);
    }
}

/* A ROUTING_ENTRY element and its padding to a multiple of 4, in one reservation. */
static void wr_route(pn_wr *w, const pn_pnrp_route_entry *re)
{
    size_t n = re->addr_count, len = 4 + 38 + 16 * n, pad, i;
    uint8_t *p;
    if (n < 1 || n > PN_PNRP_ROUTE_ADDRS_MAX) {
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_COUNT);
        return;
    }
    pad = (4 - ((pn_wr_len(w) + len) & 3)) & 3;
    if ((p = wr_elem_hdr(w, PN_PNRP_F_ROUTING_ENTRY, (uint16_t)len, len + pad)) == NULL)
        return;
    pn_pnrp_put_route_entry(p + 4, re);
    for (i = 0; i < pad; i++)
        p[len + i] = 0;
}

static inline void wr_flags_elem(pn_wr *w, uint16_t flags, int padded)
{
    uint8_t *p = wr_elem_hdr(w, PN_PNRP_F_FLAGS, 6, padded ? 8 : 6);
    if (p == NULL)
        return;
    pn_put_u16be(p + 4, flags);
    if (padded)
        pn_put_u16be(p + 6, 0);
}

static void wr_authority(pn_wr *w, const pn_pnrp_authority *a)
{
    uint8_t *p;
    if (a->fragment.len == 0 || a->fragment.len > PN_PNRP_FRAGMENT_LEN || a->fragment.p == NULL ||
        (size_t)a->offset + a->fragment.len > a->size || a->size > PN_PNRP_AUTHORITY_MAX_SIZE ||
        a->offset % PN_PNRP_FRAGMENT_LEN != 0 ||
        ((size_t)a->offset + a->fragment.len < a->size &&
         a->fragment.len != PN_PNRP_FRAGMENT_LEN)) {
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_SPLIT);
        return;
    }
    wr_acked(w, a->acked_id);
    p = wr_elem_hdr(w, PN_PNRP_F_SPLIT_CONTROLS, 8, 8 + a->fragment.len);
    if (p == NULL)
        return;
    pn_put_u16be(p + 4, a->size);
    pn_put_u16be(p + 6, a->offset);
    memcpy(p + 8, a->fragment.p, a->fragment.len);
}

static void wr_body(pn_wr *w, const pn_pnrp_msg *m)
{
    uint8_t *p;
    switch (m->type) {
    case PN_PNRP_SOLICIT: {
        const pn_pnrp_solicit *s = &m->u.solicit;
        if (s->has_controls && (p = wr_elem_hdr(w, PN_PNRP_F_SOLICIT_CONTROLS, 6, 8)) != NULL) {
            p[4] = 0;
            p[5] = s->solicit_type;
            pn_put_u16be(p + 6, 0);
        }
        if (s->has_route)
            wr_route(w, &s->route);
        wr_fixed(w, PN_PNRP_F_HASHED_NONCE, s->hashed_nonce, 20);
        break;
    }
    case PN_PNRP_ADVERTISE:
        wr_acked(w, m->u.advertise.acked_id);
        wr_id_list(w, &m->u.advertise.ids);
        wr_fixed(w, PN_PNRP_F_HASHED_NONCE, m->u.advertise.hashed_nonce, 20);
        break;
    case PN_PNRP_REQUEST:
        wr_fixed(w, PN_PNRP_F_NONCE, m->u.request.nonce, 16);
        wr_id_list(w, &m->u.request.ids);
        break;
    case PN_PNRP_FLOOD: {
        const pn_pnrp_flood *f = &m->u.flood;
        if ((p = wr_elem_hdr(w, PN_PNRP_F_FLOOD_CONTROLS, 7, 8)) != NULL) {
            pn_put_u16be(p + 4, f->flag_d ? 1 : 0);
            p[6] = f->reserved2;
            p[7] = 0;
        }
        wr_id_elem(w, PN_PNRP_F_VALIDATE_PNRP_ID, &f->validate);
        if (f->has_revoke)
            pn_pnrp_wr_cpa_elem(w, &f->revoke, PN_PNRP_F_REVOKE_CPA);
        if (f->has_route)
            wr_route(w, &f->route);
        wr_endpoint_list(w, &f->flooded, 0);
        break;
    }
    case PN_PNRP_INQUIRE: {
        const pn_pnrp_inquire *q = &m->u.inquire;
        wr_flags_elem(
            w, (uint16_t)((q->flag_a ? 0x10 : 0) | (q->flag_x ? 0x08 : 0) | (q->flag_c ? 0x04 : 0)),
            1);
        wr_id_elem(w, PN_PNRP_F_VALIDATE_PNRP_ID, &q->validate);
        if (q->has_nonce)
            wr_fixed(w, PN_PNRP_F_NONCE, q->nonce, 16);
        break;
    }
    case PN_PNRP_AUTHORITY:
        wr_authority(w, &m->u.authority);
        break;
    case PN_PNRP_ACK:
        wr_acked(w, m->u.ack.acked_id);
        if (m->u.ack.has_flags)
            wr_flags_elem(w, m->u.ack.flag_n ? 1 : 0, 0);
        break;
    case PN_PNRP_LOOKUP: {
        const pn_pnrp_lookup *l = &m->u.lookup;
        if ((p = wr_elem_hdr(w, PN_PNRP_F_LOOKUP_CONTROLS, 12, 12)) != NULL) {
            pn_put_u16be(p + 4, l->flag_a ? 0x0002 : 0);
            pn_put_u16be(p + 6, l->precision);
            p[8] = l->criteria;
            p[9] = l->reason;
            pn_put_u16be(p + 10, 0);
        }
        wr_id_elem(w, PN_PNRP_F_TARGET_PNRP_ID, &l->target);
        wr_id_elem(w, PN_PNRP_F_VALIDATE_PNRP_ID, &l->validate);
        if (l->has_route)
            wr_route(w, &l->route);
        wr_endpoint_list(w, &l->path, 1);
        break;
    }
    default:
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_MSGTYPE);
    }
}

static inline void wr_header(pn_wr *w, uint8_t type, uint32_t msg_id)
{
    uint8_t *p = wr_elem_hdr(w, PN_PNRP_F_HEADER, PN_PNRP_HEADER_LEN, PN_PNRP_HEADER_LEN);
    if (p == NULL)
        return;
    p[4] = PN_PNRP_IDENTIFIER;
    p[5] = PN_PNRP_VERSION_MAJOR;
    p[6] = PN_PNRP_VERSION_MINOR;
    p[7] = type;
    pn_put_u32be(p + 8, msg_id);
}

int pn_pnrp_encode(const pn_pnrp_msg *m, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_wr w;
    pn_wr_init(&w, buf, cap);
    wr_header(&w, m->type, m->msg_id);
    wr_body(&w, m);
    return pn_pnrp_wr_result(&w, needed);
}

int pn_pnrp_encode_authority(uint32_t msg_id, const pn_pnrp_authority *a, uint8_t *buf, size_t cap,
                             size_t *needed)
{
    pn_wr w;
    pn_wr_init(&w, buf, cap);
    wr_header(&w, PN_PNRP_AUTHORITY, msg_id);
    wr_authority(&w, a);
    return pn_pnrp_wr_result(&w, needed);
}

int pn_pnrp_authority_buffer_encode(const pn_pnrp_authority_buffer *ab, uint8_t *buf, size_t cap,
                                    size_t *needed)
{
    pn_wr w;
    size_t at;
    int only_flags = !ab->has_cert_chain && !ab->has_classifier && !ab->has_ext_payload &&
                     !ab->has_route && !ab->has_cpa;
    pn_wr_init(&w, buf, cap);
    wr_flags_elem(&w,
                  (uint16_t)((ab->flag_l ? 0x0200 : 0) | (ab->flag_b ? 0x0008 : 0) |
                             (ab->flag_n ? 0x0001 : 0)),
                  !(only_flags && ab->flags_unpadded));
    if (ab->has_cert_chain) {
        if (ab->cert_chain.len == 0 || ab->cert_chain.p == NULL)
            pn_pnrp_wr_fail(&w, PN_ERR_PNRP_FIELD_LENGTH);
        at = pn_pnrp_wr_elem_open(&w, PN_PNRP_F_CERT_CHAIN);
        pn_wr_bytes(&w, ab->cert_chain.p, ab->cert_chain.len);
        pn_pnrp_wr_elem_close(&w, at);
        pn_wr_align(&w, 4);
    }
    if (ab->has_classifier) {
        at = pn_pnrp_wr_elem_open(&w, PN_PNRP_F_CLASSIFIER);
        pn_pnrp_wr_classifier(&w, &ab->classifier);
        pn_pnrp_wr_elem_close(&w, at);
        pn_wr_align(&w, 4);
    }
    if (ab->has_ext_payload) {
        at = pn_pnrp_wr_elem_open(&w, PN_PNRP_F_EXTENDED_PAYLOAD);
        pn_pnrp_wr_ext_payload(&w, &ab->ext_payload);
        pn_pnrp_wr_elem_close(&w, at);
        pn_wr_align(&w, 4);
    }
    if (ab->has_route)
        wr_route(&w, &ab->route);
    if (ab->has_cpa)
        pn_pnrp_wr_cpa_elem(&w, &ab->cpa, PN_PNRP_F_VALIDATE_CPA);
    if (pn_wr_len(&w) > PN_PNRP_AUTHORITY_MAX_SIZE)
        pn_pnrp_wr_fail(&w, PN_ERR_PNRP_SPLIT);
    return pn_pnrp_wr_result(&w, needed);
}
