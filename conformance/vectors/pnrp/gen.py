#!/usr/bin/env python3
"""Generate the PNRP wire vectors of this directory from the MS-PNRP section 2 field
tables.  Each vector is one .hex file: a first line
    # <what it is> ; expect=ok|ERRNAME@OFFSET [; strict]
then the bytes as hex.  mode says in which decoding mode the result holds: strict
(sender rules too), receive (receiver rules only) or both.  Run from anywhere: it writes next
to itself.  The byte layouts are built independently of the C codec."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = []


def be16(v):
    return struct.pack(">H", v)


def be32(v):
    return struct.pack(">I", v)


def le16(v):
    return struct.pack("<H", v)


def le32(v):
    return struct.pack("<I", v)


def le64(v):
    return struct.pack("<Q", v)


def pad4(b, start=0):
    return b + b"\0" * ((4 - (start + len(b)) % 4) % 4)


class Msg:
    """Bytes plus named offsets (marks) for error expectations."""

    def __init__(self):
        self.b = b""
        self.marks = {}

    def mark(self, name):
        self.marks[name] = len(self.b)

    def add(self, data, name=None):
        if name:
            self.mark(name)
        self.b += data
        return self

    def pad(self, name=None, fill=0):
        n = (4 - len(self.b) % 4) % 4
        if name:
            self.mark(name)
        self.b += bytes([fill]) * n
        return self


def header(t, mid=0x01020304, fid=0x0010, ln=12, ident=0x51, vmaj=4, vmin=0):
    m = Msg()
    m.add(be16(fid), "hdr.fid").add(be16(ln), "hdr.len").add(bytes([ident]), "hdr.ident")
    m.add(bytes([vmaj]), "hdr.vmaj").add(bytes([vmin]), "hdr.vmin").add(bytes([t]), "hdr.type")
    m.add(be32(mid), "hdr.mid")
    return m


def elem(fid, body, ln=None):
    return be16(fid) + be16(4 + len(body) if ln is None else ln) + body


ADDR1 = bytes.fromhex("20010db8000000000000000000000001")
ADDR2 = bytes.fromhex("20010db8000000000000000000000002")
LL = bytes.fromhex("fe800000000000000000000000000abc")
NONCE = bytes(range(16))
HNONCE = bytes.fromhex("56178b86a57fac22899a9964185c2cc96e7da589")  # SHA-1(00..0f)


def route_entry(pid=b"\x33" * 32, major=4, minor=0, port=3540, flags=0, addrs=(ADDR1,),
                count=None):
    return (pid + bytes([major, minor]) + be16(port) + bytes([flags]) +
            bytes([len(addrs) if count is None else count]) + b"".join(addrs))


def endpoint(port=3540, addr=ADDR1):
    return be16(port) + addr


def array(fid, etype, elen, entries, n=None, alen=None, ln=None):
    n = len(entries) if n is None else n
    data = b"".join(entries)
    alen = 8 + len(data) if alen is None else alen
    return elem(fid, be16(n) + be16(alen) + be16(etype) + be16(elen) + data, ln)


def id_array(ids, **kw):
    return array(0x0060, 0x0030, 0x20, ids, **kw)


def ep_array(eps, **kw):
    return array(0x009E, 0x009D, 0x12, eps, **kw)


def classifier(units, wchar_be=True, **kw):
    ent = [struct.pack(">H" if wchar_be else "<H", u) for u in units]
    return array(0x0085, 0x0084, 2, ent, **kw)


# A DER RSAPublicKey of 1024 bits with e = 65537 (made-up modulus with its top bit set).
MODULUS = bytes([0xC0 | (i % 0x3F) for i in range(1)]) + bytes((i * 37 + 11) % 256 for i in range(127))
KEY = bytes.fromhex("30818902818100") + MODULUS + bytes.fromhex("0203010001")
assert len(KEY) == 140
OID = b"1.2.840.113549.1.1.1"
SIGDATA = bytes((i * 7 + 3) % 256 for i in range(128))


def pubkey(flen=169, olen=20, resv=0, cb=0x8C, unused=0, oid=OID, key=KEY):
    return le16(flen) + le16(olen) + le16(resv) + le16(cb) + bytes([unused]) + oid + key


def signature(flen=0x88, slen=0x80, alg=0x8004, data=SIGDATA):
    return le16(flen) + le16(slen) + le32(alg) + data


def app_endpoint(addr=ADDR2, port=8080, proto=6):
    return addr + be16(port) + le16(proto)


def cpa(flags=0x0C, resv=0, versions=(0, 2, 0, 4), not_after=0x01D9000000000000,
        sloc=bytes(range(0x40, 0x50)), nonce=bytes(16), authority=bytes(range(0x60, 0x74)),
        chash=bytes(range(0x80, 0x94)), fname=None, fname_len=None, addrs=None, nsal=None,
        sal=0x12, payload=None, npay=None, total=None, ptype=1, dlen=None, pk=None, sig=None,
        length=None):
    m = Msg()
    m.add(b"\0\0", "cpa.len")
    m.add(bytes(versions), "cpa.ver").add(bytes([flags]), "cpa.flags").add(bytes([resv]), "cpa.resv")
    m.add(le64(not_after)).add(sloc, "cpa.sloc").add(nonce, "cpa.nonce")
    if flags & 0x04:
        m.add(authority, "cpa.auth")
    if flags & 0x08:
        m.add(chash, "cpa.chash")
    if flags & 0x10:
        m.add(le16(len(fname) if fname_len is None else fname_len), "cpa.fnlen")
        m.add(fname, "cpa.fname")
    addrs = [endpoint()] if addrs is None else addrs
    m.add(le16(len(addrs) if nsal is None else nsal), "cpa.nsal").add(le16(sal), "cpa.sal")
    m.add(b"".join(addrs), "cpa.addrs")
    apps = payload or []
    pbytes = b""
    if apps:
        d = b"".join(apps)
        pbytes = le32(ptype) + le16(len(d) if dlen is None else dlen) + d
    m.add(le16((1 if apps else 0) if npay is None else npay), "cpa.npay")
    m.add(le16(4 + len(pbytes) if total is None else total), "cpa.total")
    if apps:
        m.mark("cpa.ptype")
        m.add(pbytes[:4]).add(pbytes[4:6], "cpa.dlen").add(pbytes[6:])
    m.add(pubkey() if pk is None else pk, "cpa.pk")
    m.add(signature() if sig is None else sig, "cpa.sig")
    n = len(m.b) if length is None else length
    m.b = le16(n) + m.b[2:]
    return m


def ext_payload(ptype=0x80000003, data=b"hello binary", stype=None, length=None, ver=(0, 2),
                resv=0, sigoff=None, npay=1, tbytes=None, plen=None, sig=None):
    m = Msg()
    is_str = ptype == 0x80000002
    body_len = len(data) + (2 if is_str or stype is not None else 0)
    plen = body_len if plen is None else plen
    tbytes = 10 + plen if tbytes is None else tbytes
    sigoff = 64 + 10 + body_len if sigoff is None else sigoff
    m.add(b"\0\0", "xp.len").add(bytes(ver), "xp.ver").add(le16(resv), "xp.resv")
    m.add(le16(sigoff), "xp.sigoff").add(le64(0x01D9000000000000))
    m.add(bytes(range(0xA0, 0xC0)), "xp.id").add(NONCE, "xp.nonce")
    m.add(le16(npay), "xp.npay").add(le16(tbytes), "xp.tbytes").add(le32(ptype), "xp.ptype")
    m.add(le16(plen), "xp.plen")
    if stype is not None:
        m.add(le16(stype), "xp.stype")
    m.add(data, "xp.data").add(signature() if sig is None else sig, "xp.sig")
    n = len(m.b) if length is None else length
    m.b = le16(n) + m.b[2:]
    return m


def vec(name, what, msg, expect="ok", strict=False, receive=False):
    """expect: 'ok' or (ERRNAME, offset); strict/receive: the result holds only in that
    decoding mode (otherwise in both)."""
    data = msg.b if isinstance(msg, Msg) else msg
    if expect == "ok":
        e = "ok"
    else:
        e = "%s@%d" % expect
    OUT.append((name, what, e, "strict" if strict else "receive" if receive else "both", data))


def with_elem(m, name, data):
    m.add(data, name)
    return m


# ---------------------------------------------------------------- builders per message
def solicit(controls=None, route=None, hn=HNONCE, mid=0x01020304, ctl_len=6, ctl_resv=0,
            ctl_pad=b"\0\0", route_pad=b"\0\0", hn_len=0x18):
    m = header(0x01, mid)
    if controls is not None:
        m.add(be16(0x0044) + be16(ctl_len), "solicit.ctl").add(bytes([ctl_resv]), "solicit.resv")
        m.add(bytes([controls]), "solicit.type").add(ctl_pad, "solicit.pad")
    if route is not None:
        m.add(elem(0x009A, route), "route").add(route_pad, "route.pad")
    m.add(be16(0x0092) + be16(hn_len) + hn, "hn")
    return m


def advertise(ids=(), acked=0x01020304, mid=0x00000006, **kw):
    m = header(0x02, mid)
    m.add(elem(0x0018, be32(acked)), "acked")
    m.add(id_array(list(ids), **kw), "ids")
    m.add(elem(0x0092, HNONCE), "hn")
    return m


def request(ids=(), mid=0x00000007, **kw):
    m = header(0x03, mid)
    m.add(elem(0x0093, NONCE), "nonce")
    m.add(id_array(list(ids), **kw), "ids")
    return m


def flood(d=0, resv2=0, validate=b"\x22" * 32, revoke=None, route=None, eps=(), ctl_len=7,
          flags_extra=0, pad1=0, route_pad=b"\0\0", mid=0x00000003, **kw):
    m = header(0x04, mid)
    m.add(be16(0x0043) + be16(ctl_len), "flood.ctl").add(be16(flags_extra | d), "flood.flags")
    m.add(bytes([resv2])).add(bytes([pad1]), "flood.pad1")
    m.add(elem(0x0039, validate), "validate")
    if revoke is not None:
        base = len(m.b) + 4
        m.add(elem(0x009C, revoke.b), "revoke")
        for k, v in revoke.marks.items():
            m.marks["revoke." + k] = base + v
        m.pad("revoke.pad")
    if route is not None:
        m.add(elem(0x009A, route), "route").add(route_pad, "route.pad")
    m.add(ep_array(list(eps), **kw), "eps")
    return m


def inquire(flags=0x001C, nonce=NONCE, validate=b"\x22" * 32, flen=6, pad=b"\0\0",
            nonce_len=0x14, mid=0x00000001):
    m = header(0x07, mid)
    m.add(be16(0x0040) + be16(flen), "inq.flags").add(be16(flags), "inq.flagword")
    m.add(pad, "inq.pad")
    m.add(elem(0x0039, validate), "validate")
    if nonce is not None:
        m.add(be16(0x0093) + be16(nonce_len) + nonce, "nonce")
    return m


def authority(buf, size=None, offset=0, acked=0x00000001, mid=0x00000005):
    m = header(0x08, mid)
    blen = len(buf.b) if isinstance(buf, Msg) else len(buf)
    m.add(elem(0x0018, be32(acked)), "acked")
    m.add(be16(0x0098) + be16(8), "split").add(be16(blen if size is None else size), "split.size")
    m.add(be16(offset), "split.offset")
    base = len(m.b)
    if isinstance(buf, Msg):
        for k, v in buf.marks.items():
            m.marks["ab." + k] = base + v
        buf = buf.b
    m.add(buf, "buffer")
    return m


def ab(flags=0, unpadded=False, pad=b"\0\0", chain=None, cls=None, xp=None, route=None,
       cpa_=None, order=None):
    m = Msg()
    m.add(be16(0x0040) + be16(6), "flags").add(be16(flags), "flagword")
    if not unpadded:
        m.add(pad, "flags.pad")
    parts = []
    if chain is not None:
        parts.append(("chain", elem(0x0080, chain), True))
    if cls is not None:
        parts.append(("cls", cls, True))
    if xp is not None:
        parts.append(("xp", xp, True))
    if route is not None:
        parts.append(("route", elem(0x009A, route), True))
    if cpa_ is not None:
        parts.append(("cpa", cpa_, False))
    if order is not None:
        parts = [parts[i] for i in order]
    for name, data, padded in parts:
        if isinstance(data, Msg):
            fid = 0x005A if name == "xp" else 0x009B
            base = len(m.b) + 4
            m.add(elem(fid, data.b), name)
            for k, v in data.marks.items():
                m.marks[name + "." + k] = base + v
        else:
            m.add(data, name)
        if padded:
            m.pad(name + ".pad")
    return m


def ack(flags=None, acked=0x01020304, mid=0x0A0B0C0D, flen=6, trailing=b""):
    m = header(0x09, mid)
    m.add(elem(0x0018, be32(acked)), "acked")
    if flags is not None:
        m.add(be16(0x0040) + be16(flen) + be16(flags), "flags")
    m.add(trailing, "trailing")
    return m


def lookup(flags=0x0002, precision=0, criteria=0, reason=0, resv2=0, route=route_entry(),
           eps=(endpoint(),), clen=12, route_pad=b"\0\0", target=b"\x11" * 32, mid=2,
           skip_target=False, **kw):
    m = header(0x0B, mid)
    m.add(be16(0x0045) + be16(clen), "lk.ctl").add(be16(flags), "lk.flags")
    m.add(be16(precision), "lk.precision").add(bytes([criteria]), "lk.criteria")
    m.add(bytes([reason]), "lk.reason").add(be16(resv2), "lk.resv2")
    if not skip_target:
        m.add(elem(0x0038, target), "target")
    m.add(elem(0x0039, b"\x22" * 32), "validate")
    if route is not None:
        m.add(elem(0x009A, route), "route").add(route_pad, "route.pad")
    m.add(ep_array(list(eps), **kw), "eps")
    return m


def utf16le(s):
    return s.encode("utf-16-le")


def build():
    # ---- valid: every message and optional-field combination ------------------------
    vec("solicit_nonce_only", "SOLICIT, hashed nonce only (digest 6.2)", solicit())
    vec("solicit_controls_any", "SOLICIT with SOLICIT_CONTROLS type ANY", solicit(controls=0))
    vec("solicit_controls_local_route", "SOLICIT with controls LOCAL and a ROUTING_ENTRY",
        solicit(controls=1, route=route_entry(addrs=(ADDR1, LL))))
    vec("solicit_route_only", "SOLICIT with a ROUTING_ENTRY and no controls",
        solicit(route=route_entry()))
    vec("advertise_empty", "ADVERTISE busy/empty (digest 6.2)", advertise())
    vec("advertise_five", "ADVERTISE with five PNRP IDs",
        advertise([bytes([i]) * 32 for i in range(1, 6)]))
    vec("request_empty", "REQUEST with no IDs", request())
    vec("request_two", "REQUEST for two IDs", request([b"\x01" * 32, bytes(range(32))]))
    vec("flood_route_digest", "FLOOD D clear, route entry, empty list (digest 6.2)",
        flood(route=route_entry()))
    vec("flood_d_route_two", "FLOOD D set, route entry, two flooded endpoints, reserved2 any",
        flood(d=1, resv2=0xA5, route=route_entry(), eps=[endpoint(), endpoint(4000, ADDR2)]))
    vec("flood_revoke", "FLOOD with a revoke CPA (R, no addresses) and one flooded endpoint",
        flood(revoke=cpa(flags=0x0D, addrs=[]), eps=[endpoint()]))
    vec("flood_revoke_route_full", "FLOOD with revoke CPA, route entry and 22 flooded endpoints",
        flood(revoke=cpa(flags=0x0D), route=route_entry(), eps=[endpoint(2000 + i) for i in range(22)]))
    vec("flood_zero_validate", "FLOOD with zero Validate PNRP ID and route entry",
        flood(validate=bytes(32), route=route_entry()))
    vec("inquire_axc_nonce", "INQUIRE A|X|C with nonce (digest 6.2)", inquire())
    vec("inquire_plain", "INQUIRE with no flags and no nonce", inquire(flags=0, nonce=None))
    vec("authority_n_only", "AUTHORITY, flags-only buffer with N (digest 6.2)",
        authority(ab(flags=0x0001)))
    vec("authority_flags_unpadded", "AUTHORITY, 6-byte flags-only buffer L|B (decision PW-9)",
        authority(ab(flags=0x0208, unpadded=True)))
    vec("authority_route_cpa", "AUTHORITY with route entry and a minimal CPA (A|C)",
        authority(ab(route=route_entry(), cpa_=cpa())))
    full_xp = ext_payload(ptype=0x80000002, stype=1, data=b"hello world\0")
    full_cpa = cpa(flags=0x3E, fname=b"caf\xc3\xa9", addrs=[endpoint(), endpoint(3541, ADDR2)],
                   payload=[app_endpoint(), app_endpoint(LL, 443, 17)])
    vec("authority_everything", "AUTHORITY with chain, classifier, UTF-8 string extended "
        "payload, route, CPA with X|F|C|A|U, two addresses, payload",
        authority(ab(chain=bytes.fromhex("3003020101"), cls=classifier([ord(c) for c in "MyApp"]),
                     xp=full_xp, route=route_entry(), cpa_=full_cpa)))
    vec("authority_utf16_names", "AUTHORITY with UTF-16 friendly name, UTF-16 string "
        "payload, C-only CPA (unsecured)",
        authority(ab(xp=ext_payload(ptype=0x80000002, stype=0, data=utf16le("hi\0")),
                     cpa_=cpa(flags=0x18, fname=utf16le("node")))))
    vec("authority_binary_xp", "AUTHORITY with binary extended payload and A-only CPA",
        authority(ab(xp=ext_payload(), cpa_=cpa(flags=0x04))))
    vec("authority_empty_classifier", "AUTHORITY with an empty CLASSIFIER",
        authority(ab(cls=classifier([]), route=route_entry())))
    big = bytes((i * 13) % 251 for i in range(2000))
    vec("authority_frag1", "AUTHORITY fragment 1 of 2 (Size 2000, Offset 0)",
        authority(big[:1188], size=2000, offset=0))
    vec("authority_frag2", "AUTHORITY fragment 2 of 2 (Size 2000, Offset 1188; digest 6.2)",
        authority(big[1188:], size=2000, offset=1188))
    vec("ack_plain", "ACK without flags (digest 6.2)", ack())
    vec("ack_n", "ACK with N set (digest 6.2)", ack(flags=1))
    vec("ack_flags_clear", "ACK with a FLAGS_FIELD and N clear", ack(flags=0))
    vec("lookup_digest", "LOOKUP A, route entry, one-entry path (digest 6.2)", lookup())
    vec("lookup_no_route_path22", "LOOKUP without route entry, 22-entry flagged path",
        lookup(flags=0, route=None, eps=[endpoint(1025 + i) for i in range(22)]))
    vec("lookup_upper_bits", "LOOKUP criteria UPPER_BITS precision 40, reason SPLIT_DETECTION",
        lookup(criteria=8, precision=40, reason=3))
    vec("lookup_other_criteria", "LOOKUP criteria NEAREST64, reason CACHE_MAINTENANCE, "
        "20-address route entry", lookup(criteria=4, reason=2,
                                         route=route_entry(addrs=[bytes([i]) * 16 for i in range(20)])))
    vec("lookup_reason_unknown_receive", "LOOKUP with ResolveReasonCode 9: ignored on receipt",
        lookup(reason=9), receive=True)
    vec("lookup_reserved_receive", "LOOKUP with reserved flag bit and Reserved2 set: "
        "ignored on receipt", lookup(flags=0x8003, resv2=0x1234), receive=True)

    # ---- invalid: header --------------------------------------------------------------
    vec("bad_hdr_fid", "header FieldID not 0x0010", solicit().b[:0] + header(1, fid=0x0011).b +
        solicit().b[12:], ("PN_ERR_PNRP_HEADER", 0))
    vec("bad_hdr_len", "header Length not 12", header(1, ln=13).b + solicit().b[12:],
        ("PN_ERR_PNRP_HEADER", 2))
    vec("bad_hdr_ident", "header Identifier not 0x51", header(1, ident=0x50).b + solicit().b[12:],
        ("PN_ERR_PNRP_HEADER", 4))
    vec("bad_hdr_vmaj", "header VersionMajor 2", header(1, vmaj=2).b + solicit().b[12:],
        ("PN_ERR_PNRP_VERSION", 5))
    vec("bad_hdr_vmin", "header VersionMinor 1", header(1, vmin=1).b + solicit().b[12:],
        ("PN_ERR_PNRP_VERSION", 6))
    vec("bad_hdr_type", "MessageType 0x05 is not defined", header(5).b + solicit().b[12:],
        ("PN_ERR_PNRP_MSGTYPE", 7))
    vec("bad_hdr_short", "header cut at 11 bytes", header(1).b[:11], ("PN_ERR_TRUNCATED", 8))
    # ---- invalid: element scheme ------------------------------------------------------
    m = solicit(hn_len=0x17)
    vec("bad_elem_length", "HASHED_NONCE Length 0x17", m, ("PN_ERR_PNRP_FIELD_LENGTH", m.marks["hn"] + 2))
    m = advertise()
    b = m.b[:12] + m.b[20:]
    vec("bad_elem_missing", "ADVERTISE without PNRP_HEADER_ACKED", b, ("PN_ERR_PNRP_FIELD_ORDER", 12))
    m = solicit()
    vec("bad_elem_truncated", "SOLICIT cut inside HASHED_NONCE", m.b[:-3],
        ("PN_ERR_TRUNCATED", m.marks["hn"] + 2))
    vec("bad_trailing", "ACK followed by 4 extra bytes", ack(trailing=b"\0\0\0\0"),
        ("PN_ERR_TRAILING", 20))
    m = ack(flags=1, trailing=b"\0\0")
    vec("bad_ack_flags_padded", "ACK FLAGS_FIELD followed by padding (nothing may follow)",
        m, ("PN_ERR_TRAILING", 26))
    m = ack(flags=1, flen=7)
    vec("bad_ack_flags_len", "ACK FLAGS_FIELD Length 7", m, ("PN_ERR_PNRP_FIELD_LENGTH", 22))
    m = ack(flags=0x8001)
    vec("bad_ack_reserved", "ACK flags reserved bit 15 set", m, ("PN_ERR_PNRP_RESERVED", 24), True)
    # ---- arrays -----------------------------------------------------------------------
    m = advertise([b"\1" * 32], alen=0x29)
    vec("bad_array_alen", "PNRP_ID_ARRAY ArrayLength not 8+32n", m, ("PN_ERR_PNRP_ARRAY", m.marks["ids"] + 6))
    m = Msg()
    m = advertise()
    m.b = m.b.replace(bytes.fromhex("0060000c000000080030"), bytes.fromhex("0060000c000000080031"))
    vec("bad_array_type", "PNRP_ID_ARRAY ElementFieldType 0x0031", m, ("PN_ERR_PNRP_ARRAY", 28))
    m = advertise()
    m.b = m.b.replace(bytes.fromhex("000800300020"), bytes.fromhex("000800300021"))
    vec("bad_array_entry_len", "PNRP_ID_ARRAY EntryLength 0x21", m, ("PN_ERR_PNRP_ARRAY", 30))
    m = advertise([b"\1" * 32], n=0x8000)
    vec("bad_array_count_range", "PNRP_ID_ARRAY NumEntries 0x8000", m, ("PN_ERR_PNRP_COUNT", m.marks["ids"] + 4))
    m = advertise([b"\1" * 32], n=2, alen=8 + 64)
    vec("bad_array_count_len", "PNRP_ID_ARRAY NumEntries 2 with one ID", m,
        ("PN_ERR_PNRP_FIELD_LENGTH", m.marks["ids"] + 2))
    m = request([bytes([i]) * 32 for i in range(17)])
    vec("bad_array_too_many", "REQUEST with 17 IDs, above PN_PNRP_ID_ARRAY_MAX (16)", m,
        ("PN_ERR_PNRP_TOO_MANY", m.marks["ids"] + 4))
    m = lookup(eps=[])
    vec("bad_lookup_path_empty", "LOOKUP Flagged Path with 0 entries", m,
        ("PN_ERR_PNRP_COUNT", m.marks["eps"] + 4))
    m = flood(route=route_entry(), eps=[endpoint(2000 + i) for i in range(23)])
    vec("bad_flood_list_23", "FLOOD Already Flooded List with 23 entries", m,
        ("PN_ERR_PNRP_COUNT", m.marks["eps"] + 4))
    m = lookup(eps=[endpoint(port=1024)])
    vec("bad_endpoint_port", "IPV6_ENDPOINT port 1024 in Flagged Path", m,
        ("PN_ERR_PNRP_PORT", m.marks["eps"] + 12))
    # ---- route entry ------------------------------------------------------------------
    for name, kw, code, off in [
        ("bad_route_major", dict(major=3), "PN_ERR_PNRP_VERSION", 32),
        ("bad_route_minor", dict(minor=1), "PN_ERR_PNRP_VERSION", 33),
        ("bad_route_port", dict(port=1024), "PN_ERR_PNRP_PORT", 34),
        ("bad_route_count0", dict(addrs=(), count=0), "PN_ERR_PNRP_COUNT", 37),
        ("bad_route_count21", dict(addrs=[ADDR1] * 21), "PN_ERR_PNRP_COUNT", 37),
        ("bad_route_count_len", dict(addrs=[ADDR1, ADDR2], count=1), "PN_ERR_PNRP_FIELD_LENGTH", 38),
    ]:
        m = lookup(route=route_entry(**kw))
        vec(name, "LOOKUP ROUTE_ENTRY with %s" % kw, m, (code, m.marks["route"] + 4 + off))
    m = lookup(route=route_entry(flags=1))
    vec("bad_route_flags", "ROUTE_ENTRY Flags not zero", m, ("PN_ERR_PNRP_RESERVED", m.marks["route"] + 40), True)
    m = lookup(route_pad=b"\0\1")
    vec("bad_route_padding", "ROUTING_ENTRY padding not zero", m,
        ("PN_ERR_PNRP_RESERVED", m.marks["route.pad"] + 1), True)
    vec("route_padding_receive", "ROUTING_ENTRY padding not zero: ignored on receipt",
        lookup(route_pad=b"\0\1"), receive=True)
    m = lookup(route_pad=b"")
    vec("bad_route_no_padding", "ROUTING_ENTRY without its padding", m,
        ("PN_ERR_PNRP_FIELD_ORDER", m.marks["eps"] + 2), receive=True)
    # ---- SOLICIT ----------------------------------------------------------------------
    m = solicit(controls=2)
    vec("bad_solicit_type", "SOLICIT SolicitType 2", m, ("PN_ERR_PNRP_VALUE", m.marks["solicit.type"]))
    m = solicit(controls=0, ctl_resv=1)
    vec("bad_solicit_reserved", "SOLICIT_CONTROLS Reserved 1", m,
        ("PN_ERR_PNRP_RESERVED", m.marks["solicit.resv"]), True)
    m = solicit(controls=0, ctl_pad=b"\0\7")
    vec("bad_solicit_padding", "SOLICIT_CONTROLS Padding1 not zero", m,
        ("PN_ERR_PNRP_RESERVED", m.marks["solicit.pad"] + 1), True)
    m = solicit(controls=0, ctl_len=8)
    vec("bad_solicit_ctl_len", "SOLICIT_CONTROLS Length 8", m,
        ("PN_ERR_PNRP_FIELD_LENGTH", m.marks["solicit.ctl"] + 2))
    m = solicit(route=route_entry())
    at = m.marks["hn"]
    b = m.b[:at] + bytes.fromhex("0044000600000000") + m.b[at:]
    vec("bad_solicit_order", "SOLICIT with SOLICIT_CONTROLS after the ROUTING_ENTRY", b,
        ("PN_ERR_PNRP_FIELD_ORDER", at))
    # ---- FLOOD ------------------------------------------------------------------------
    m = flood(ctl_len=8, route=route_entry())
    vec("bad_flood_ctl_len", "FLOOD_CONTROLS Length 8", m, ("PN_ERR_PNRP_FIELD_LENGTH", 14))
    m = flood(flags_extra=0x0100, route=route_entry())
    vec("bad_flood_reserved", "FLOOD reserved flag bit", m, ("PN_ERR_PNRP_RESERVED", 16), True)
    m = flood(pad1=1, route=route_entry())
    vec("bad_flood_pad1", "FLOOD Padding1 not zero", m, ("PN_ERR_PNRP_RESERVED", 19), True)
    m = flood(revoke=cpa(flags=0x0C))
    vec("bad_flood_revoke_no_r", "REVOKE_CPA whose CPA has R clear (decision PW-12)", m,
        ("PN_ERR_PNRP_CPA_FLAGS", m.marks["revoke.cpa.flags"]))
    m = flood(revoke=cpa(flags=0x0D, nonce=b"\1" * 16))
    vec("bad_flood_revoke_nonce", "revoke CPA with a non-zero Nonce", m,
        ("PN_ERR_PNRP_NONCE", m.marks["revoke.cpa.nonce"]))
    m = flood(route=route_entry())
    b = m.b[:20] + m.b[56:]
    vec("bad_flood_no_validate", "FLOOD without VALIDATE_PNRP_ID", b, ("PN_ERR_PNRP_FIELD_ORDER", 20))
    # ---- INQUIRE ----------------------------------------------------------------------
    m = inquire(flags=0x001D)
    vec("bad_inquire_reserved", "INQUIRE reserved flag bit 0", m, ("PN_ERR_PNRP_RESERVED", 16), True)
    m = inquire(pad=b"\1\0")
    vec("bad_inquire_padding", "INQUIRE Padding not zero", m, ("PN_ERR_PNRP_RESERVED", 18), True)
    m = inquire(nonce_len=0x18, nonce=NONCE + b"\0" * 4)
    vec("bad_inquire_nonce_len", "INQUIRE NONCE Length 0x18", m, ("PN_ERR_PNRP_FIELD_LENGTH", 58))
    m = inquire(flen=8, pad=b"")
    vec("bad_inquire_flags_len", "INQUIRE FLAGS_FIELD Length 8", m, ("PN_ERR_PNRP_FIELD_LENGTH", 14))
    # ---- AUTHORITY / SPLIT_CONTROLS -----------------------------------------------------
    m = authority(big[:1188], size=37349)
    vec("bad_split_size", "SPLIT_CONTROLS Size 37349", m, ("PN_ERR_PNRP_SPLIT", 24))
    m = authority(big[:100], size=2000, offset=100)
    vec("bad_split_offset", "SPLIT_CONTROLS Offset 100 (not a multiple of 1188)", m,
        ("PN_ERR_PNRP_SPLIT", 26))
    m = authority(big[:900], size=2000, offset=1188)
    vec("bad_split_beyond", "fragment at 1188 with 900 bytes passes Size 2000", m,
        ("PN_ERR_PNRP_SPLIT", 28))
    m = authority(big[:1000], size=2000, offset=0)
    vec("bad_split_short", "first fragment of 1000 bytes when Size is 2000", m,
        ("PN_ERR_PNRP_SPLIT", 28))
    m = authority(big[:1200], size=2000, offset=0)
    vec("bad_split_long", "fragment of 1200 bytes (over 1188)", m, ("PN_ERR_PNRP_SPLIT", 28))
    m = authority(b"", size=8, offset=0)
    vec("bad_split_empty", "AUTHORITY with no Buffer bytes", m, ("PN_ERR_TRUNCATED", 28))
    m = authority(ab(flags=1), size=0)
    vec("bad_split_size0", "SPLIT_CONTROLS Size 0", m, ("PN_ERR_PNRP_SPLIT", 24))
    # ---- AUTHORITY_BUFFER ---------------------------------------------------------------
    m = authority(ab(flags=0x0401))
    vec("bad_ab_reserved", "AUTHORITY_BUFFER reserved flag bit", m,
        ("PN_ERR_PNRP_RESERVED", m.marks["ab.flagword"]), True)
    m = authority(ab(flags=1, pad=b"\0\1"))
    vec("bad_ab_padding", "AUTHORITY_BUFFER Padding1 not zero", m,
        ("PN_ERR_PNRP_RESERVED", m.marks["ab.flags.pad"] + 1), True)
    m = authority(ab(chain=b""))
    vec("bad_ab_chain_empty", "CERT_CHAIN with no bytes", m, ("PN_ERR_PNRP_FIELD_LENGTH", m.marks["ab.chain"] + 2))
    m = authority(ab(route=route_entry(), cpa_=cpa(), order=[1, 0]))
    vec("bad_ab_order", "VALIDATE_CPA before ROUTING_ENTRY", m,
        ("PN_ERR_PNRP_FIELD_ORDER", m.marks["ab.route"]))
    m = authority(ab(cls=classifier([0x41, 0, 0x42])))
    vec("bad_classifier_nul", "CLASSIFIER with a NUL code unit", m,
        ("PN_ERR_PNRP_CLASSIFIER", m.marks["ab.cls"] + 14))
    m = authority(ab(cls=classifier([0x41] * 150)))
    vec("bad_classifier_150", "CLASSIFIER of 150 code units", m,
        ("PN_ERR_PNRP_CLASSIFIER", m.marks["ab.cls"] + 4))
    m = authority(ab(cls=array(0x0085, 0x0030, 2, [b"\0A"])))
    vec("bad_classifier_type", "CLASSIFIER ElementFieldType not WCHAR", m,
        ("PN_ERR_PNRP_ARRAY", m.marks["ab.cls"] + 8))
    m = authority(ab(cls=classifier([0x41]), order=None))
    m.b = m.b[:m.marks["ab.cls.pad"]] + b"\1\0"
    vec("bad_classifier_pad", "CLASSIFIER Padding3 not zero", m,
        ("PN_ERR_PNRP_RESERVED", m.marks["ab.cls.pad"]), True)
    # extended payload
    for name, kw, code, mark, delta in [
        ("bad_xp_length", dict(length=10), "PN_ERR_PNRP_EXT_PAYLOAD", "xp.len", 0),
        ("bad_xp_version", dict(ver=(0, 1)), "PN_ERR_PNRP_VERSION", "xp.ver", 1),
        ("bad_xp_npay", dict(npay=2), "PN_ERR_PNRP_COUNT", "xp.npay", 0),
        ("bad_xp_type", dict(ptype=0x80000001), "PN_ERR_PNRP_VALUE", "xp.ptype", 0),
        ("bad_xp_plen", dict(data=b""), "PN_ERR_PNRP_EXT_PAYLOAD", "xp.plen", 0),
        ("bad_xp_tbytes", dict(tbytes=30), "PN_ERR_PNRP_EXT_PAYLOAD", "xp.tbytes", 0),
        ("bad_xp_sigoff", dict(sigoff=10), "PN_ERR_PNRP_EXT_PAYLOAD", "xp.sigoff", 0),
        ("bad_xp_stype", dict(ptype=0x80000002, stype=2, data=b"abcd\0"), "PN_ERR_PNRP_VALUE",
         "xp.stype", 0),
        ("bad_xp_no_nul", dict(ptype=0x80000002, stype=1, data=b"abcde"), "PN_ERR_PNRP_EXT_PAYLOAD",
         "xp.data", 0),
        ("bad_xp_sig_alg", dict(sig=signature(alg=0x8003)), "PN_ERR_PNRP_SIGNATURE", "xp.sig", 4),
    ]:
        m = authority(ab(xp=ext_payload(**kw)))
        vec(name, "EXTENDED_PAYLOAD %s" % name[7:], m, (code, m.marks["ab.xp." + mark] + delta))
    m = authority(ab(xp=ext_payload(resv=1)))
    vec("bad_xp_reserved", "EXTENDED_PAYLOAD Reserved not zero", m,
        ("PN_ERR_PNRP_RESERVED", m.marks["ab.xp.xp.resv"]), True)
    # CPA
    cases = [
        ("bad_cpa_length", dict(length=400), "PN_ERR_PNRP_CPA", "cpa.len", 0, False),
        ("bad_cpa_major", dict(versions=(0, 1, 0, 4)), "PN_ERR_PNRP_VERSION", "cpa.ver", 1, False),
        ("bad_cpa_pnrp_major", dict(versions=(0, 2, 0, 3)), "PN_ERR_PNRP_VERSION", "cpa.ver", 3, False),
        ("bad_cpa_no_a_no_c", dict(flags=0x00), "PN_ERR_PNRP_CPA_FLAGS", "cpa.flags", 0, False),
        ("bad_cpa_u_without_f", dict(flags=0x0E), "PN_ERR_PNRP_CPA_FLAGS", "cpa.flags", 0, False),
        ("bad_cpa_flags_reserved", dict(flags=0x4C), "PN_ERR_PNRP_RESERVED", "cpa.flags", 0, True),
        ("bad_cpa_reserved", dict(resv=1), "PN_ERR_PNRP_RESERVED", "cpa.resv", 0, True),
        ("bad_cpa_fname_len0", dict(flags=0x1C, fname=b"", fname_len=0), "PN_ERR_PNRP_CPA", "cpa.fnlen", 0, False),
        ("bad_cpa_fname_len79", dict(flags=0x1E, fname=b"a" * 79), "PN_ERR_PNRP_CPA", "cpa.fnlen", 0, False),
        ("bad_cpa_fname_utf8", dict(flags=0x1E, fname=b"\xc3"), "PN_ERR_PNRP_CPA", "cpa.fname", 0, False),
        ("bad_cpa_fname_utf16_odd", dict(flags=0x1C, fname=b"abc"), "PN_ERR_PNRP_CPA", "cpa.fname", 0, False),
        ("bad_cpa_fname_nul", dict(flags=0x1E, fname=b"ab\0"), "PN_ERR_PNRP_CPA", "cpa.fname", 0, False),
        ("bad_cpa_nsal5", dict(addrs=[endpoint()] * 5), "PN_ERR_PNRP_COUNT", "cpa.nsal", 0, False),
        ("bad_cpa_nsal0", dict(addrs=[]), "PN_ERR_PNRP_COUNT", "cpa.nsal", 0, False),
        ("bad_cpa_sal", dict(sal=16), "PN_ERR_PNRP_CPA", "cpa.sal", 0, False),
        ("bad_cpa_addr_port", dict(addrs=[endpoint(port=80)]), "PN_ERR_PNRP_PORT", "cpa.addrs", 0, False),
        ("bad_cpa_npay2", dict(npay=2), "PN_ERR_PNRP_COUNT", "cpa.npay", 0, False),
        ("bad_cpa_total_range", dict(total=3), "PN_ERR_PNRP_PAYLOAD", "cpa.total", 0, False),
        ("bad_cpa_total_mismatch", dict(payload=[app_endpoint()], total=40), "PN_ERR_PNRP_PAYLOAD", "cpa.total", 0, False),
        ("bad_cpa_payload_type", dict(payload=[app_endpoint()], ptype=2), "PN_ERR_PNRP_VALUE", "cpa.ptype", 0, False),
        ("bad_cpa_dlen", dict(payload=[app_endpoint()], dlen=30, total=40), "PN_ERR_PNRP_PAYLOAD", "cpa.dlen", 0, False),
        ("bad_pk_flen", dict(pk=pubkey(flen=170)), "PN_ERR_PNRP_PUBKEY", "cpa.pk", 0, False),
        ("bad_pk_olen", dict(pk=pubkey(olen=9)), "PN_ERR_PNRP_PUBKEY", "cpa.pk", 2, False),
        ("bad_pk_cb", dict(pk=pubkey(cb=0x8B)), "PN_ERR_PNRP_PUBKEY", "cpa.pk", 6, False),
        ("bad_pk_oid", dict(pk=pubkey(oid=b"1.2.840.113549.1.1.5")), "PN_ERR_PNRP_PUBKEY", "cpa.pk", 9, False),
        ("bad_pk_der", dict(pk=pubkey(key=b"\x31" + KEY[1:])), "PN_ERR_PNRP_PUBKEY", "cpa.pk", 29, False),
        ("bad_pk_reserved", dict(pk=pubkey(resv=1)), "PN_ERR_PNRP_RESERVED", "cpa.pk", 4, True),
        ("bad_pk_unused", dict(pk=pubkey(unused=1)), "PN_ERR_PNRP_RESERVED", "cpa.pk", 8, True),
        ("bad_sig_flen", dict(sig=signature(flen=0x87)), "PN_ERR_PNRP_SIGNATURE", "cpa.sig", 0, False),
        ("bad_sig_slen", dict(sig=signature(slen=0x7F)), "PN_ERR_PNRP_SIGNATURE", "cpa.sig", 2, False),
        ("bad_sig_alg", dict(sig=signature(alg=0x800C)), "PN_ERR_PNRP_SIGNATURE", "cpa.sig", 4, False),
    ]
    for name, kw, code, mark, delta, strict in cases:
        m = authority(ab(route=route_entry(), cpa_=cpa(**kw)))
        vec(name, "Encoded CPA %s" % name[4:], m, (code, m.marks["ab.cpa." + mark] + delta), strict)
    vec("cpa_reserved_receive", "CPA reserved flag bits and Reserved byte: ignored on receipt",
        authority(ab(cpa_=cpa(flags=0xCC, resv=0xFF))), receive=True)
    # structures longer than their content
    c = cpa()
    c.b = le16(len(c.b) + 4) + c.b[2:] + b"\0\0\0\0"
    m = authority(ab(cpa_=c))
    vec("bad_cpa_extra_bytes", "Encoded CPA with 4 bytes after its SIGNATURE", m,
        ("PN_ERR_PNRP_CPA", m.marks["ab.cpa"] + 4))
    x = ext_payload()
    x.b = le16(len(x.b) + 4) + x.b[2:] + b"\0\0\0\0"
    m = authority(ab(xp=x))
    vec("bad_xp_extra_bytes", "EXTENDED_PAYLOAD with 4 bytes after its SIGNATURE", m,
        ("PN_ERR_PNRP_EXT_PAYLOAD", m.marks["ab.xp"] + 4))
    m = authority(ab(route=route_entry()).b + bytes.fromhex("12340008aabbccdd"))
    vec("bad_ab_garbage", "AUTHORITY_BUFFER followed by an unknown element", m,
        ("PN_ERR_TRAILING", len(m.b) - 8))
    m = authority(ab(route=route_entry()).b + elem(0x0080, b"\x30\x00"))
    vec("bad_ab_chain_late", "CERT_CHAIN after the ROUTING_ENTRY", m,
        ("PN_ERR_PNRP_FIELD_ORDER", len(m.b) - 6))
    m = ack(flags=1, flen=3)
    vec("bad_elem_length_lt4", "ACK FLAGS_FIELD with Length 3", m, ("PN_ERR_PNRP_FIELD_LENGTH", 22))
    b = ab(route=route_entry()).b[:-2]
    vec("authority_route_unpadded_receive", "AUTHORITY_BUFFER ending in a ROUTING_ENTRY "
        "without its padding: accepted on receipt (PW-14)", authority(b), receive=True)
    m = authority(b)
    vec("bad_authority_route_unpadded", "AUTHORITY_BUFFER ending in a ROUTING_ENTRY without "
        "its padding (sender rule)", m, ("PN_ERR_TRUNCATED", len(m.b)), strict=True)
    vec("flood_bare", "FLOOD with neither revoke CPA nor route entry", flood())
    vec("authority_chain_only", "AUTHORITY_BUFFER with only a CERT_CHAIN (odd length, padded)",
        authority(ab(chain=bytes.fromhex("3082000100"))))
    # ---- LOOKUP -----------------------------------------------------------------------
    m = lookup(criteria=3)
    vec("bad_lookup_criteria", "LOOKUP ResolveCriteria 3", m, ("PN_ERR_PNRP_VALUE", 20))
    m = lookup(reason=4)
    vec("bad_lookup_reason", "LOOKUP ResolveReasonCode 4 (sender rule)", m, ("PN_ERR_PNRP_VALUE", 21), True)
    m = lookup(resv2=1)
    vec("bad_lookup_reserved2", "LOOKUP Reserved2 not zero", m, ("PN_ERR_PNRP_RESERVED", 22), True)
    m = lookup(flags=0x0003)
    vec("bad_lookup_flag0", "LOOKUP reserved bit 0 set", m, ("PN_ERR_PNRP_RESERVED", 16), True)
    m = lookup(clen=8)
    vec("bad_lookup_ctl_len", "LOOKUP_CONTROLS Length 8", m, ("PN_ERR_PNRP_FIELD_LENGTH", 14))
    m = lookup(skip_target=True)
    vec("bad_lookup_no_target", "LOOKUP without TARGET_PNRP_ID", m, ("PN_ERR_PNRP_FIELD_ORDER", 24))
    m = lookup(route=None, eps=[endpoint()])
    b = m.b + bytes.fromhex("0039002400") 
    vec("bad_lookup_extra", "LOOKUP with bytes after the Flagged Path", b,
        ("PN_ERR_TRAILING", len(m.b)))


def main():
    build()
    for f in os.listdir(HERE):
        if f.endswith(".hex"):
            os.remove(os.path.join(HERE, f))
    names = set()
    for name, what, e, mode, data in OUT:
        assert name not in names, name
        names.add(name)
        with open(os.path.join(HERE, name + ".hex"), "w") as fh:
            fh.write("# %s ; expect=%s ; mode=%s\n" % (what, e, mode))
            for i in range(0, len(data), 16):
                fh.write(" ".join("%02x" % x for x in data[i:i + 16]) + "\n")
    print("%d vectors" % len(OUT))
    write_corpora()


def write_corpora():
    """Seed corpora for fuzz/fuzz_pnrp_msg.c and fuzz/fuzz_pnrp_reassembly.c."""
    root = os.path.normpath(os.path.join(HERE, "..", "..", "..", "fuzz", "corpus"))
    msg_dir = os.path.join(root, "pnrp_msg")
    re_dir = os.path.join(root, "pnrp_reassembly")
    for d in (msg_dir, re_dir):
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            os.remove(os.path.join(d, f))
    frags = {}
    for name, what, e, mode, data in OUT:
        if e == "ok":
            with open(os.path.join(msg_dir, name), "wb") as fh:
                fh.write(data)
            if name.startswith("authority_"):
                frags[name] = data
        # the AUTHORITY_BUFFER and CPA on their own, for the other two decoders
        if e == "ok" and name == "authority_everything":
            with open(os.path.join(msg_dir, "ab_everything"), "wb") as fh:
                fh.write(data[28:])

    def rec(step, src, d):
        return bytes([step, src]) + be16(len(d)) + d

    big = bytes((i * 13) % 251 for i in range(5000))
    f5 = [authority(big[k:k + 1188], size=5000, offset=k, mid=77).b for k in range(0, 5000, 1188)]
    seqs = {
        "in_order": b"".join(rec(1, 0, frags[n]) for n in ("authority_frag1", "authority_frag2")),
        "reversed_dup": b"".join(rec(1, 0, frags[n]) for n in
                                 ("authority_frag2", "authority_frag2", "authority_frag1")),
        "two_sources": b"".join(rec(1, s, frags[n]) for s in (0, 5) for n in
                                ("authority_frag1", "authority_frag2")),
        "timeout": rec(0, 0, frags["authority_frag1"]) + rec(0xFF, 0, frags["authority_frag2"]),
        "five_shuffled": b"".join(rec(3, 1, f5[i]) for i in (4, 0, 3, 1, 2)),
        "unfragmented": rec(1, 0, frags["authority_route_cpa"]),
    }
    for n, d in seqs.items():
        with open(os.path.join(re_dir, n), "wb") as fh:
            fh.write(d)


if __name__ == "__main__":
    main()
