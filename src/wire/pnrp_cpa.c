/* Encoded CPA (MS-PNRP 2.2.3.1) with its Service Address List, PAYLOAD,
 * IPV6_APP_ENDPOINTs, CPA Public Key and SIGNATURE, and EXTENDED_PAYLOAD (2.2.3.3).
 * Inside these structures integers are little-endian unless noted. */
#include "wire/pnrp_int.h"

/* 2.2.3.1.4: rsaEncryption written as ASCII dotted text, exactly 20 bytes. */
const uint8_t pn_pnrp_rsa_oid[PN_PNRP_PUBKEY_OID_LEN] = {'1', '.', '2', '.', '8', '4', '0',
                                                         '.', '1', '1', '3', '5', '4', '9',
                                                         '.', '1', '.', '1', '.', '1'};

/* Byte-reversed copies (n a multiple of 4). */
#define reverse_copy pn_pnrp_reverse

/* The 16 bytes at p are all zero. */
static int zero16(const uint8_t *p)
{
    return (pn_pnrp_ld64le(p) | pn_pnrp_ld64le(p + 8)) == 0;
}

/* 2.2.3.1.4: PublicKey Data is the DER RSAPublicKey of a 1024-bit modulus; with cbData
 * fixed at 140 bytes the only shape is SEQUENCE { INTEGER (129 bytes, leading zero),
 * INTEGER (3 bytes) }. */
PN_PNRP_HOT int rsa1024_der_shape_ok(const uint8_t *k)
{
    /* 30 81 89 (SEQUENCE, 137 bytes), 02 81 81 00 (INTEGER, 129 bytes, leading zero). */
    if (pn_get_u32be(k) != 0x30818902u || pn_get_u16be(k + 4) != 0x8181u || k[6] != 0 ||
        (k[7] & 0x80) == 0)
        return 0;
    return k[135] == 0x02 && k[136] == 0x03 && k[137] != 0 && (k[137] & 0x80) == 0;
}

static void dec_pubkey(pn_pnrp_dec *d, pn_rd *r, pn_pnrp_pubkey *pk)
{
    /* Field Length, ObjId Length, Reserved, cbData (16 bits each, LE), Unused, ObjId,
     * PublicKey Data. */
    static const uint8_t ends[] = {2, 4, 6, 8, 9};
    static const char *const names[] = {
        "CPA Public Key.Field Length", "CPA Public Key.Algorithm ObjId Length",
        "CPA Public Key.Reserved", "CPA Public Key.PublicKey cbData",
        "CPA Public Key.PublicKey Unused"};
    size_t off = pn_pnrp_off(r), left = pn_pnrp_left(r);
    const uint8_t *p = r->p;
    if (pn_pnrp_bad(d))
        return;
    if (left < 9) {
        pn_pnrp_trunc_fields(d, off, left, ends, names);
        return;
    }
    if (pn_get_u16le(p) != PN_PNRP_PUBKEY_LEN) {
        pn_pnrp_fail(d, PN_ERR_PNRP_PUBKEY, off, "CPA Public Key.Field Length");
        return;
    }
    if (pn_get_u16le(p + 2) != PN_PNRP_PUBKEY_OID_LEN) {
        pn_pnrp_fail(d, PN_ERR_PNRP_PUBKEY, off + 2, "CPA Public Key.Algorithm ObjId Length");
        return;
    }
    if (pn_pnrp_reserved(d, pn_get_u16le(p + 4), off + 4, "CPA Public Key.Reserved") != 0)
        return;
    if (pn_get_u16le(p + 6) != PN_PNRP_PUBKEY_DATA_LEN) {
        pn_pnrp_fail(d, PN_ERR_PNRP_PUBKEY, off + 6, "CPA Public Key.PublicKey cbData");
        return;
    }
    if (pn_pnrp_reserved(d, p[8], off + 8, "CPA Public Key.PublicKey Unused") != 0)
        return;
    if (left < 9 + PN_PNRP_PUBKEY_OID_LEN) {
        pn_pnrp_trunc(d, off + 9, "CPA Public Key.Algorithm ObjId");
        return;
    }
    pk->oid = p + 9;
    if (pn_pnrp_ld64le(pk->oid) != pn_pnrp_ld64le(pn_pnrp_rsa_oid) ||
        pn_pnrp_ld64le(pk->oid + 8) != pn_pnrp_ld64le(pn_pnrp_rsa_oid + 8) ||
        pn_pnrp_ld32le(pk->oid + 16) != pn_pnrp_ld32le(pn_pnrp_rsa_oid + 16)) {
        pn_pnrp_fail(d, PN_ERR_PNRP_PUBKEY, off + 9, "CPA Public Key.Algorithm ObjId");
        return;
    }
    if (left < PN_PNRP_PUBKEY_LEN) {
        pn_pnrp_trunc(d, off + 29, "CPA Public Key.PublicKey Data");
        return;
    }
    pk->key_data = pn_pnrp_take(r, PN_PNRP_PUBKEY_LEN) + 29;
    if (!rsa1024_der_shape_ok(pk->key_data))
        pn_pnrp_fail(d, PN_ERR_PNRP_PUBKEY, off + 29, "CPA Public Key.PublicKey Data");
}

static void dec_signature(pn_pnrp_dec *d, pn_rd *r, pn_pnrp_signature *sig)
{
    /* Field Length, Signature Length (16 bits each, LE), ALG_ID (32), Signature Data. */
    static const uint8_t ends[] = {2, 4, 8};
    static const char *const names[] = {"SIGNATURE.Field Length", "SIGNATURE.Signature Length",
                                        "SIGNATURE.ALG_ID"};
    size_t off = pn_pnrp_off(r), left = pn_pnrp_left(r);
    const uint8_t *p = r->p;
    if (pn_pnrp_bad(d))
        return;
    if (left < 8) {
        pn_pnrp_trunc_fields(d, off, left, ends, names);
        return;
    }
    if (pn_get_u16le(p) != PN_PNRP_SIGNATURE_LEN) {
        pn_pnrp_fail(d, PN_ERR_PNRP_SIGNATURE, off, "SIGNATURE.Field Length");
        return;
    }
    if (pn_get_u16le(p + 2) != PN_PNRP_SIG_DATA_LEN) {
        pn_pnrp_fail(d, PN_ERR_PNRP_SIGNATURE, off + 2, "SIGNATURE.Signature Length");
        return;
    }
    if (pn_get_u32le(p + 4) != 0x00008004u) {
        pn_pnrp_fail(d, PN_ERR_PNRP_SIGNATURE, off + 4, "SIGNATURE.ALG_ID");
        return;
    }
    if (left < PN_PNRP_SIGNATURE_LEN) {
        pn_pnrp_trunc(d, off + 8, "SIGNATURE.Signature Data");
        return;
    }
    sig->data = pn_pnrp_take(r, PN_PNRP_SIGNATURE_LEN) + 8;
}

/* A text that must not end in a NUL and must be well formed in its encoding. */
static int text_ok(const uint8_t *p, size_t n, int utf8)
{
    if (utf8)
        return p[n - 1] != 0 && pn_utf8_valid(p, n) == PN_OK;
    return (n & 1) == 0 && pn_get_u16le(p + n - 2) != 0 && pn_utf16le_valid(p, n) == PN_OK;
}

static void dec_payload(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_cpa *cpa)
{
    static const uint8_t ends[] = {2, 4, 8, 10};
    static const char *const names[] = {"CPA.NumPayloads", "CPA.Total Bytes", "PAYLOAD.Type",
                                        "PAYLOAD.DataLength"};
    size_t off = pn_pnrp_off(body), left = pn_pnrp_left(body), i;
    const uint8_t *p = body->p;
    uint16_t np, total, dlen;
    if (pn_pnrp_bad(d))
        return;
    if (left < 4) {
        pn_pnrp_trunc_fields(d, off, left, ends, names);
        return;
    }
    np = pn_get_u16le(p);
    total = pn_get_u16le(p + 2);
    if (np > 1) {
        pn_pnrp_fail(d, PN_ERR_PNRP_COUNT, off, "CPA.NumPayloads");
        return;
    }
    if (total < 4 || total > 210 || (np == 0 && total != 4)) {
        pn_pnrp_fail(d, PN_ERR_PNRP_PAYLOAD, off + 2, "CPA.Total Bytes");
        return;
    }
    cpa->payload_count = (uint8_t)np;
    if (np == 0) {
        /* The struct is not cleared beforehand (pnrp_wire.h): the unused fields too. */
        cpa->payload_type = 0;
        cpa->app_count = 0;
        (void)pn_pnrp_take(body, 4);
        return;
    }
    if (left < 10) {
        pn_pnrp_trunc_fields(d, off, left, ends, names);
        return;
    }
    cpa->payload_type = pn_get_u32le(p + 4);
    dlen = pn_get_u16le(p + 8);
    if (cpa->payload_type != PN_PNRP_PAYLOAD_IPV6_ENDPOINTS) {
        pn_pnrp_fail(d, PN_ERR_PNRP_VALUE, off + 4, "PAYLOAD.Type");
        return;
    }
    /* 2.2.3.1.2: DataLength a multiple of 20 in 20..200; 2.2.3.1: Total Bytes counts
     * NumPayloads, Total Bytes and the PAYLOAD (6 + DataLength). */
    if (dlen < 20 || dlen > 200 || dlen % 20 != 0) {
        pn_pnrp_fail(d, PN_ERR_PNRP_PAYLOAD, off + 8, "PAYLOAD.DataLength");
        return;
    }
    if (total != 10 + dlen) {
        pn_pnrp_fail(d, PN_ERR_PNRP_PAYLOAD, off + 2, "CPA.Total Bytes");
        return;
    }
    if (dlen / 20 > PN_PNRP_APP_ENDPOINTS_MAX) {
        pn_pnrp_fail(d, PN_ERR_PNRP_TOO_MANY, off + 8, "PAYLOAD.DataLength");
        return;
    }
    /* IPV6_APP_ENDPOINT: sin6_addr (16), sin6_port, Protocol (16 bits each). */
    if (left - 10 < dlen) {
        size_t at = (left - 10) % 20;
        off += 10 + (left - 10) - at;
        pn_pnrp_trunc(d,
                      at < 16   ? off
                      : at < 18 ? off + 16
                                : off + 18,
                      at < 16   ? "IPV6_APP_ENDPOINT.sin6_addr"
                      : at < 18 ? "IPV6_APP_ENDPOINT.sin6_port"
                                : "IPV6_APP_ENDPOINT.Protocol");
        return;
    }
    p = pn_pnrp_take(body, 10 + (size_t)dlen) + 10;
    cpa->app_count = (uint8_t)(dlen / 20);
    for (i = 0; i < cpa->app_count; i++, p += 20) {
        pn_pnrp_app_endpoint *a = &cpa->apps[i];
        memcpy(a->addr, p, 16);
        /* Decision PW-4: the port byte order. */
        a->port = PN_PNRP_APP_PORT_LE ? pn_get_u16le(p + 16) : pn_get_u16be(p + 16);
        a->protocol = pn_get_u16le(p + 18);
    }
}

void pn_pnrp_dec_cpa(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_cpa *cpa)
{
    /* The fixed head: CPA Length (16, LE), the four version bytes, Flags, Reserved, Not
     * After (64, LE), Service Location (16 bytes), Nonce (16 bytes). */
    static const uint8_t ends[] = {2, 6, 7, 8, 16, 32, 48};
    static const char *const names[] = {"CPA.CPA Length", "CPA.Version",   "CPA.Flags",
                                        "CPA.Reserved",   "CPA.Not After", "CPA.Service Location",
                                        "CPA.Nonce"};
    static const uint8_t want[4] = {0, 2, 0, 4};
    static const uint8_t sal_ends[] = {2, 4};
    static const char *const sal_names[] = {"Service Address List.NumServiceAddresses",
                                            "Service Address List.ServiceAddressLength"};
    static const char *const vnames[4] = {"CPA.Cpa MinorVersion", "CPA.Cpa MajorVersion",
                                          "CPA.PnrpMinorVersion", "CPA.PnrpMajorVersion"};
    size_t start = pn_pnrp_off(body), total = pn_pnrp_left(body), off, i;
    const uint8_t *p = body->p;
    uint16_t n, sal;
    uint8_t flags;
    cpa->raw.p = body->p;
    cpa->raw.len = total;
    if (pn_pnrp_bad(d))
        return;
    if (total < 2) {
        pn_pnrp_trunc_fields(d, start, total, ends, names);
        return;
    }
    if (pn_get_u16le(p) != total) {
        pn_pnrp_fail(d, PN_ERR_PNRP_CPA, start, "CPA.CPA Length");
        return;
    }
    if (total < 6) {
        pn_pnrp_trunc_fields(d, start, total, ends, names);
        return;
    }
    /* Cpa Minor 0, Cpa Major 2, Pnrp Minor 0, Pnrp Major 4 (one word compare; the loop
     * names the first that differs). */
    if (pn_pnrp_ld32be(p + 2) != pn_pnrp_ld32be(want))
        for (i = 0; i < 4; i++)
            if (p[2 + i] != want[i]) {
                pn_pnrp_fail(d, PN_ERR_PNRP_VERSION, start + 2 + i, vnames[i]);
                return;
            }
    if (total < 8) {
        pn_pnrp_trunc_fields(d, start, total, ends, names);
        return;
    }
    flags = p[6];
    if (pn_pnrp_reserved(d, flags & PN_PNRP_CPA_RESERVED, start + 6, "CPA.Flags") != 0)
        return;
    /* 2.2.3.1: A or C (or both) MUST be set; U MUST be 0 when F is 0. */
    if ((flags & (PN_PNRP_CPA_A | PN_PNRP_CPA_C)) == 0 ||
        ((flags & PN_PNRP_CPA_U) && !(flags & PN_PNRP_CPA_F))) {
        pn_pnrp_fail(d, PN_ERR_PNRP_CPA_FLAGS, start + 6, "CPA.Flags");
        return;
    }
    if (pn_pnrp_reserved(d, p[7], start + 7, "CPA.Reserved") != 0)
        return;
    cpa->flags = flags;
    if (total < 48) {
        pn_pnrp_trunc_fields(d, start, total, ends, names);
        return;
    }
    cpa->not_after = pn_pnrp_ld64le(p + 8);
    reverse_copy(cpa->service_loc, p + 16, 16); /* 2.2.3.1: least significant byte first */
    memcpy(cpa->nonce, p + 32, 16);
    (void)pn_pnrp_take(body, 48);
    if ((flags & PN_PNRP_CPA_R) && !zero16(cpa->nonce)) {
        pn_pnrp_fail(d, PN_ERR_PNRP_NONCE, start + 32, "CPA.Nonce");
        return;
    }
    if (flags & PN_PNRP_CPA_A) {
        if (pn_pnrp_left(body) < 20) {
            pn_pnrp_trunc(d, pn_pnrp_off(body), "CPA.BinaryAuthority");
            return;
        }
        p = pn_pnrp_take(body, 20);
        if (PN_PNRP_AUTHORITY_WIRE_REVERSED) /* decision PW-7 */
            reverse_copy(cpa->authority, p, 20);
        else
            memcpy(cpa->authority, p, 20);
    } else
        memset(cpa->authority, 0, 20);
    if (flags & PN_PNRP_CPA_C) {
        if (pn_pnrp_left(body) < 20) {
            pn_pnrp_trunc(d, pn_pnrp_off(body), "CPA.ClassifierHash");
            return;
        }
        memcpy(cpa->classifier_hash, pn_pnrp_take(body, 20), 20);
    } else
        memset(cpa->classifier_hash, 0, 20);
    cpa->friendly_name.p = NULL;
    cpa->friendly_name.len = 0;
    if (flags & PN_PNRP_CPA_F) {
        off = pn_pnrp_off(body);
        n = pn_pnrp_rd16le(d, body, "CPA.FriendlyName Len");
        if (pn_pnrp_bad(d))
            return;
        if (n < 1 || n > 78) {
            pn_pnrp_fail(d, PN_ERR_PNRP_CPA, off, "CPA.FriendlyName Len");
            return;
        }
        cpa->friendly_name.p = pn_pnrp_rdptr(d, body, n, "CPA.FriendlyName");
        cpa->friendly_name.len = n;
        if (cpa->friendly_name.p != NULL &&
            !text_ok(cpa->friendly_name.p, n, (flags & PN_PNRP_CPA_U) != 0)) {
            pn_pnrp_fail(d, PN_ERR_PNRP_CPA, off + 2, "CPA.FriendlyName");
            return;
        }
    }
    /* Service Address List (2.2.3.1.1): NumServiceAddresses, ServiceAddressLength (16
     * bits each), the addresses. */
    off = pn_pnrp_off(body);
    if (pn_pnrp_left(body) < 4) {
        pn_pnrp_trunc_fields(d, off, pn_pnrp_left(body), sal_ends, sal_names);
        return;
    }
    p = pn_pnrp_take(body, 4);
    n = pn_get_u16le(p);
    sal = pn_get_u16le(p + 2);
    if (n > 4 || (n == 0 && !(flags & PN_PNRP_CPA_R))) {
        pn_pnrp_fail(d, PN_ERR_PNRP_COUNT, off, "Service Address List.NumServiceAddresses");
        return;
    }
    if (sal != PN_PNRP_ENDPOINT_LEN) {
        pn_pnrp_fail(d, PN_ERR_PNRP_CPA, off + 2, "Service Address List.ServiceAddressLength");
        return;
    }
    cpa->addr_count = (uint8_t)n;
    for (i = 0; i < n; i++)
        pn_pnrp_dec_endpoint(d, body, &cpa->addrs[i], 1, "Service Address List.Service Addresses");
    dec_payload(d, body, cpa);
    dec_pubkey(d, body, &cpa->pubkey);
    dec_signature(d, body, &cpa->sig);
    if (!pn_pnrp_bad(d) && pn_pnrp_left(body) != 0)
        pn_pnrp_fail(d, PN_ERR_PNRP_CPA, start, "CPA.CPA Length");
}

#if PN_PNRP_FAST_PATHS
/* Decision PW-28 for the Encoded CPA: the usual shape (no FriendlyName, no PAYLOAD,
 * reserved bits and bytes zero) checked in one pass; anything else returns 0 and
 * pn_pnrp_dec_cpa decides.  On success cpa is set as pn_pnrp_dec_cpa sets it. */
int pn_pnrp_cpa_fast(const uint8_t *p, size_t total, pn_pnrp_cpa *cpa)
{
    const uint8_t *q = p + 48, *k;
    uint8_t flags;
    size_t n, i;
    /* CPA Length, versions (Cpa 0.2, Pnrp 0.4), Flags, Reserved. */
    if (total < 48 + 4 + 4 + PN_PNRP_PUBKEY_LEN + PN_PNRP_SIGNATURE_LEN ||
        pn_pnrp_ld16le(p) != total || pn_pnrp_ld32be(p + 2) != 0x00020004u || p[7] != 0)
        return 0;
    flags = p[6];
    if ((flags & (PN_PNRP_CPA_RESERVED | PN_PNRP_CPA_F | PN_PNRP_CPA_U)) != 0 ||
        (flags & (PN_PNRP_CPA_A | PN_PNRP_CPA_C)) == 0 ||
        ((flags & PN_PNRP_CPA_R) && !zero16(p + 32)))
        return 0;
    if (flags & PN_PNRP_CPA_A)
        q += 20;
    if (flags & PN_PNRP_CPA_C)
        q += 20;
    /* Service Address List; PAYLOAD absent (NumPayloads 0, Total Bytes 4). */
    n = pn_pnrp_ld16le(q);
    if (n > 4 || (n == 0 && !(flags & PN_PNRP_CPA_R)) ||
        pn_pnrp_ld16le(q + 2) != PN_PNRP_ENDPOINT_LEN ||
        (size_t)(q - p) + 4 + PN_PNRP_ENDPOINT_LEN * n + 4 + PN_PNRP_PUBKEY_LEN +
                PN_PNRP_SIGNATURE_LEN !=
            total)
        return 0;
    for (i = 0, q += 4; i < n; i++, q += PN_PNRP_ENDPOINT_LEN) {
        pn_pnrp_endpoint *ep = &cpa->addrs[i];
        /* Decision PW-5. */
        ep->port = PN_PNRP_CPA_ENDPOINT_PORT_LE ? pn_pnrp_ld16le(q) : pn_pnrp_ld16be(q);
        memcpy(ep->addr, q + 2, 16);
        if (ep->port <= 1024)
            return 0;
    }
    if (pn_pnrp_ld32le(q) != (uint32_t)4 << 16)
        return 0;
    q += 4;
    /* CPA Public Key: Field Length, ObjId Length, Reserved, cbData, Unused, ObjId, Data;
     * SIGNATURE: Field Length, Signature Length, ALG_ID, Data. */
    k = q + 29;
    if (pn_pnrp_ld64le(q) != (((uint64_t)PN_PNRP_PUBKEY_DATA_LEN << 48) |
                              ((uint64_t)PN_PNRP_PUBKEY_OID_LEN << 16) | PN_PNRP_PUBKEY_LEN) ||
        q[8] != 0 || pn_pnrp_ld64le(q + 9) != pn_pnrp_ld64le(pn_pnrp_rsa_oid) ||
        pn_pnrp_ld64le(q + 17) != pn_pnrp_ld64le(pn_pnrp_rsa_oid + 8) ||
        pn_pnrp_ld32le(q + 25) != pn_pnrp_ld32le(pn_pnrp_rsa_oid + 16) ||
        !rsa1024_der_shape_ok(k) ||
        pn_pnrp_ld64le(q + PN_PNRP_PUBKEY_LEN) !=
            (((uint64_t)0x00008004u << 32) | ((uint32_t)PN_PNRP_SIG_DATA_LEN << 16) |
             PN_PNRP_SIGNATURE_LEN))
        return 0;
    cpa->raw.p = p;
    cpa->raw.len = total;
    cpa->flags = flags;
    cpa->not_after = pn_pnrp_ld64le(p + 8);
    /* The reversed copies unrolled (as reverse_copy). */
    pn_pnrp_st64be(cpa->service_loc, pn_pnrp_ld64le(p + 24));
    pn_pnrp_st64be(cpa->service_loc + 8, pn_pnrp_ld64le(p + 16));
    memcpy(cpa->nonce, p + 32, 16);
    q = p + 48;
    if (flags & PN_PNRP_CPA_A) {
        if (PN_PNRP_AUTHORITY_WIRE_REVERSED) { /* decision PW-7 */
            pn_pnrp_st64be(cpa->authority, pn_pnrp_ld64le(q + 12));
            pn_pnrp_st64be(cpa->authority + 8, pn_pnrp_ld64le(q + 4));
            pn_pnrp_st32be(cpa->authority + 16, pn_pnrp_ld32le(q));
        } else
            memcpy(cpa->authority, q, 20);
        q += 20;
    } else
        memset(cpa->authority, 0, 20);
    if (flags & PN_PNRP_CPA_C)
        memcpy(cpa->classifier_hash, q, 20);
    else
        memset(cpa->classifier_hash, 0, 20);
    cpa->friendly_name.p = NULL;
    cpa->friendly_name.len = 0;
    cpa->addr_count = (uint8_t)n;
    cpa->payload_count = 0;
    cpa->payload_type = 0;
    cpa->app_count = 0;
    cpa->pubkey.oid = k - PN_PNRP_PUBKEY_OID_LEN;
    cpa->pubkey.key_data = k;
    cpa->sig.data = k + PN_PNRP_PUBKEY_DATA_LEN + 8;
    return 1;
}
#endif

void pn_pnrp_wr_cpa(pn_wr *w, const pn_pnrp_cpa *cpa)
{
    pn_pnrp_wr_cpa_elem(w, cpa, 0);
}

size_t pn_pnrp_cpa_size(const pn_pnrp_cpa *cpa)
{
    return pn_pnrp_cpa_size_in(cpa);
}

void pn_pnrp_wr_cpa_elem(pn_wr *w, const pn_pnrp_cpa *cpa, uint16_t field_id)
{
    size_t total = pn_pnrp_cpa_size(cpa), hdr = field_id != 0 ? 4 : 0, pad = 0, i;
    uint8_t *p;
    if (total == 0) {
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_CPA);
        return;
    }
    /* The size is known from the struct: one reservation (with the element header and
     * the padding of a REVOKE_CPA), filled in place. */
    if (field_id == PN_PNRP_F_REVOKE_CPA)
        pad = (4 - ((pn_wr_len(w) + hdr + total) & 3)) & 3;
    if ((p = pn_pnrp_wr_take(w, hdr + total + pad)) == NULL)
        return;
    if (hdr != 0) {
        pn_pnrp_put_elem_hdr(p, field_id, hdr + total);
        p += hdr;
    }
    for (i = 0; i < pad; i++)
        p[total + i] = 0;
    pn_pnrp_put_cpa(p, cpa, total);
}

void pn_pnrp_put_cpa(uint8_t *p, const pn_pnrp_cpa *cpa, size_t total)
{
    pn_pnrp_put_cpa_in(p, cpa, total);
}

/* ---- EXTENDED_PAYLOAD (2.2.3.3) ------------------------------------------------------ */
void pn_pnrp_dec_ext_payload(pn_pnrp_dec *d, pn_rd *body, pn_pnrp_ext_payload *xp)
{
    size_t start = pn_pnrp_off(body), total = pn_pnrp_left(body), off;
    const uint8_t *p;
    uint16_t len, resv, sigoff, npay, tbytes, plen;
    uint8_t minor, major;
    int is_string;
    xp->raw.p = body->p;
    xp->raw.len = total;
    len = pn_pnrp_rd16le(d, body, "EXTENDED_PAYLOAD.Length");
    minor = pn_pnrp_rd8(d, body, "EXTENDED_PAYLOAD.Minor Version");
    major = pn_pnrp_rd8(d, body, "EXTENDED_PAYLOAD.Major Version");
    resv = pn_pnrp_rd16le(d, body, "EXTENDED_PAYLOAD.Reserved");
    sigoff = pn_pnrp_rd16le(d, body, "EXTENDED_PAYLOAD.Signature Offset");
    if (pn_pnrp_bad(d))
        return;
    if (len != total) {
        pn_pnrp_fail(d, PN_ERR_PNRP_EXT_PAYLOAD, start, "EXTENDED_PAYLOAD.Length");
        return;
    }
    if (minor != 0 || major != 2) {
        pn_pnrp_fail(d, PN_ERR_PNRP_VERSION, start + (minor != 0 ? 2 : 3),
                     minor != 0 ? "EXTENDED_PAYLOAD.Minor Version"
                                : "EXTENDED_PAYLOAD.Major Version");
        return;
    }
    pn_pnrp_reserved(d, resv, start + 4, "EXTENDED_PAYLOAD.Reserved");
    xp->not_after = pn_pnrp_rd64le(d, body, "EXTENDED_PAYLOAD.Not After");
    /* 2.2.3.3 states this ID's order explicitly: least significant byte first. */
    p = pn_pnrp_rdptr(d, body, PN_PNRP_ID_LEN, "EXTENDED_PAYLOAD.PNRP ID");
    if (p != NULL)
        reverse_copy(xp->id.b, p, PN_PNRP_ID_LEN);
    pn_pnrp_rdcopy(d, body, xp->nonce, 16, "EXTENDED_PAYLOAD.Nonce");
    off = pn_pnrp_off(body);
    npay = pn_pnrp_rd16le(d, body, "EXTENDED_PAYLOAD.Number of Payloads");
    tbytes = pn_pnrp_rd16le(d, body, "EXTENDED_PAYLOAD.Total Payload Bytes");
    xp->payload_type = pn_pnrp_rd32le(d, body, "EXTENDED_PAYLOAD.Payload Type");
    plen = pn_pnrp_rd16le(d, body, "EXTENDED_PAYLOAD.Payload Length");
    if (pn_pnrp_bad(d))
        return;
    if (npay != 1) {
        pn_pnrp_fail(d, PN_ERR_PNRP_COUNT, off, "EXTENDED_PAYLOAD.Number of Payloads");
        return;
    }
    if (xp->payload_type != PN_PNRP_XP_STRING && xp->payload_type != PN_PNRP_XP_BINARY) {
        pn_pnrp_fail(d, PN_ERR_PNRP_VALUE, off + 4, "EXTENDED_PAYLOAD.Payload Type");
        return;
    }
    is_string = xp->payload_type == PN_PNRP_XP_STRING;
    if (is_string ? (plen < 6 || plen > 4098) : (plen < 1 || plen > 4096)) {
        pn_pnrp_fail(d, PN_ERR_PNRP_EXT_PAYLOAD, off + 8, "EXTENDED_PAYLOAD.Payload Length");
        return;
    }
    if (tbytes != 10u + plen) {
        pn_pnrp_fail(d, PN_ERR_PNRP_EXT_PAYLOAD, off + 2, "EXTENDED_PAYLOAD.Total Payload Bytes");
        return;
    }
    if (sigoff != 64u + tbytes) {
        pn_pnrp_fail(d, PN_ERR_PNRP_EXT_PAYLOAD, start + 6, "EXTENDED_PAYLOAD.Signature Offset");
        return;
    }
    if (is_string) {
        off = pn_pnrp_off(body);
        xp->string_type = pn_pnrp_rd16le(d, body, "EXTENDED_PAYLOAD.String Type");
        if (!pn_pnrp_bad(d) && xp->string_type != PN_PNRP_XP_UTF16 &&
            xp->string_type != PN_PNRP_XP_UTF8) {
            pn_pnrp_fail(d, PN_ERR_PNRP_VALUE, off, "EXTENDED_PAYLOAD.String Type");
            return;
        }
        plen = (uint16_t)(plen - 2);
    } else
        xp->string_type = 0;
    off = pn_pnrp_off(body);
    xp->data.p = pn_pnrp_rdptr(d, body, plen, "EXTENDED_PAYLOAD.Payload");
    xp->data.len = plen;
    if (xp->data.p != NULL && is_string) {
        /* A NUL-terminated string in its encoding. */
        const uint8_t *s = xp->data.p;
        int ok = xp->string_type == PN_PNRP_XP_UTF8
                     ? s[plen - 1] == 0 && pn_utf8_valid(s, (size_t)plen - 1) == PN_OK
                     : (plen & 1) == 0 && pn_get_u16le(s + plen - 2) == 0 &&
                           pn_utf16le_valid(s, (size_t)plen - 2) == PN_OK;
        if (!ok) {
            pn_pnrp_fail(d, PN_ERR_PNRP_EXT_PAYLOAD, off, "EXTENDED_PAYLOAD.Payload");
            return;
        }
    }
    dec_signature(d, body, &xp->sig);
    if (!pn_pnrp_bad(d) && pn_pnrp_left(body) != 0)
        pn_pnrp_fail(d, PN_ERR_PNRP_EXT_PAYLOAD, start, "EXTENDED_PAYLOAD.Length");
}

size_t pn_pnrp_ext_payload_size(const pn_pnrp_ext_payload *xp)
{
    int is_string = xp->payload_type == PN_PNRP_XP_STRING;
    size_t plen = xp->data.len + (is_string ? 2 : 0);
    if ((!is_string && xp->payload_type != PN_PNRP_XP_BINARY) || xp->data.p == NULL ||
        (is_string ? (plen < 6 || plen > 4098) : (plen < 1 || plen > 4096)))
        return 0;
    return 74 + plen + PN_PNRP_SIGNATURE_LEN;
}

void pn_pnrp_wr_ext_payload(pn_wr *w, const pn_pnrp_ext_payload *xp)
{
    uint8_t *b;
    int is_string = xp->payload_type == PN_PNRP_XP_STRING;
    size_t plen = xp->data.len + (is_string ? 2 : 0);
    if (pn_pnrp_ext_payload_size(xp) == 0) {
        pn_pnrp_wr_fail(w, PN_ERR_PNRP_EXT_PAYLOAD);
        return;
    }
    pn_wr_u16le(w, (uint16_t)(74 + plen + PN_PNRP_SIGNATURE_LEN));
    pn_wr_u8(w, 0);
    pn_wr_u8(w, 2);
    pn_wr_u16le(w, 0);
    pn_wr_u16le(w, (uint16_t)(74 + plen));
    pn_wr_u64le(w, xp->not_after);
    if ((b = pn_wr_ptr(w, PN_PNRP_ID_LEN)) != NULL)
        reverse_copy(b, xp->id.b, PN_PNRP_ID_LEN);
    pn_wr_bytes(w, xp->nonce, 16);
    pn_wr_u16le(w, 1);
    pn_wr_u16le(w, (uint16_t)(10 + plen));
    pn_wr_u32le(w, xp->payload_type);
    pn_wr_u16le(w, (uint16_t)plen);
    if (is_string)
        pn_wr_u16le(w, xp->string_type);
    pn_wr_bytes(w, xp->data.p, xp->data.len);
    pn_wr_u16le(w, PN_PNRP_SIGNATURE_LEN);
    pn_wr_u16le(w, PN_PNRP_SIG_DATA_LEN);
    pn_wr_u32le(w, 0x00008004u);
    if (xp->sig.data != NULL)
        pn_wr_bytes(w, xp->sig.data, PN_PNRP_SIG_DATA_LEN);
    else
        pn_wr_zeros(w, PN_PNRP_SIG_DATA_LEN);
}

/* ---- stand-alone entry points -------------------------------------------------------- */
int pn_pnrp_cpa_decode(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_cpa *cpa,
                       pn_pnrp_decode_error *err)
{
    pn_pnrp_decode_error e;
    pn_pnrp_dec d;
    pn_rd body;
    pn_pnrp_dec_init(&d, buf, len, flags, err != NULL ? err : &e);
    pn_rd_sub(&d.r, len, &body);
    pn_pnrp_dec_cpa(&d, &body, cpa);
    return d.code;
}

int pn_pnrp_cpa_encode(const pn_pnrp_cpa *cpa, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_wr w;
    pn_wr_init(&w, buf, cap);
    pn_pnrp_wr_cpa(&w, cpa);
    return pn_pnrp_wr_result(&w, needed);
}

int pn_pnrp_ext_payload_decode(const uint8_t *buf, size_t len, unsigned flags,
                               pn_pnrp_ext_payload *xp, pn_pnrp_decode_error *err)
{
    pn_pnrp_decode_error e;
    pn_pnrp_dec d;
    pn_rd body;
    pn_pnrp_dec_init(&d, buf, len, flags, err != NULL ? err : &e);
    pn_rd_sub(&d.r, len, &body);
    pn_pnrp_dec_ext_payload(&d, &body, xp);
    return d.code;
}

int pn_pnrp_ext_payload_encode(const pn_pnrp_ext_payload *xp, uint8_t *buf, size_t cap,
                               size_t *needed)
{
    pn_wr w;
    pn_wr_init(&w, buf, cap);
    pn_pnrp_wr_ext_payload(&w, xp);
    return pn_pnrp_wr_result(&w, needed);
}
