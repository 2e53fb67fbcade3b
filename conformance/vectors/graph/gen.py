#!/usr/bin/env python3
"""Builds the MS-PPGRH wire vectors in this directory from the field tables of
MS-PPGRH section 2 (cross-checked with the implementation digest), independently of the
C codecs.  Run from anywhere: python3 gen.py  (rewrites every *.hex file here).

Encoding decisions (spec/decisions.md, "Graphing wire"): integers big-endian, GUIDs in
text (big-endian) order, record strings UTF-16LE, flag bits counted from the most
significant bit of their field."""
import os
import struct
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))

# The same three switches as src/wire/graph_int.h (decisions G-1, G-2, G-3).
UTF16_BE = False
GUID_WIRE_LE = False
RECORD_ATTRS_FIRST = False
U16 = "utf-16-be" if UTF16_BE else "utf-16-le"
OUT = []


def vec(name, kind, desc, data, expect="ok", source="", extra=None):
    OUT.append((name, kind, desc, bytes(data), expect, source, extra or {}))


def err(code, at, field):
    return "%s at %d (%s)" % (code, at, field)


def u8(v): return struct.pack(">B", v)
def u16(v): return struct.pack(">H", v)
def u32(v): return struct.pack(">I", v)
def u64(v): return struct.pack(">Q", v)
def guid(s): return uuid.UUID(s).bytes_le if GUID_WIRE_LE else uuid.UUID(s).bytes
def w(s): return s.encode(U16) + b"\0\0"  # wire UTF-16 with NUL
def wlen(s): return len(s.encode(U16)) // 2 + 1
def z(s): return s.encode("utf-8") + b"\0"


T_GRAPH_INFO = guid("00000100-0000-0000-0000-000000000000")
T_SIGNATURE = guid("00000200-0000-0000-0000-000000000000")
T_CONTACT = guid("00000300-0000-0000-0000-000000000000")
T_PRESENCE = guid("00000400-0000-0000-0000-000000000000")
ID_GRAPH_INFO = guid("6c796768-7732-406b-bc6e-5e9c0d864580")
ID_SIGNATURE = guid("4c515c94-4252-494f-8440-34cc79769c81")
T_PING = guid("0ccbb0d2-be41-4bd6-914b-058ec5dcce64")
T_APP = guid("7f2c1e44-9a51-4c0b-8d3e-2b6a0c5d9e11")
R_ID = guid("a1b2c3d4-e5f6-4718-9a2b-3c4d5e6f7081")
FT = 0x01D9_0000_0000_0000  # a peer time (FILETIME) in 2023


def header(size, mtype, version=0x10, reserved=0):
    return u32(size) + u8(version) + u8(mtype) + u16(reserved)


def fix_size(m):
    return u32(len(m)) + m[4:]


def in6(port, last, family=0x0017):
    return u16(family) + u16(port) + bytes([0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [last])


def peer_addr(port, last, size=0x20, family=0x0017, flow=0, zero=0):
    return u32(size) + u16(family) + u16(port) + u32(flow) + \
        bytes([0xfe, 0x80] + [0] * 13 + [last]) + u32(zero)


# ---- messages ------------------------------------------------------------------------
def auth_info(ctype=1, graph="graph.example", src="alice", dst="bob", r1=0, r2=0,
              goff=None, soff=None, doff=None, size=None, tail=b""):
    g, s = z(graph), z(src)
    d = z(dst) if dst is not None else b""
    body = g + s + d + tail
    n = 16 + len(body)
    goff = 16 if goff is None else goff
    soff = 16 + len(g) if soff is None else soff
    doff = (16 + len(g) + len(s) if dst is not None else n) if doff is None else doff
    return header(n if size is None else size, 1, reserved=r1) + u8(ctype) + u8(r2) + \
        u16(goff) + u16(soff) + u16(doff) + body


def connect(flags=0x09, addrs=(), name="Alice's laptop", node=0x1122334455667788,
            aoff=None, foff=None, r2=0, count=None, tail=b""):
    a = b"".join(addrs)
    f = z(name) if name is not None else b""
    n = 24 + len(a) + len(f) + len(tail)
    aoff = (24 if addrs else 0) if aoff is None else aoff
    foff = (24 + len(a) if name is not None else n) if foff is None else foff
    cnt = len(addrs) if count is None else count
    return header(n, 2) + u8(flags) + u8(cnt) + u16(aoff) + u16(foff) + u16(r2) + u64(node) + \
        a + f + tail


def welcome(addrs=(), peer="bob", name="Bob", node=0x0102030405060708, ptime=FT,
            aoff=None, poff=None, foff=None, r2=0, tail=b""):
    a = b"".join(addrs)
    p = z(peer)
    f = z(name) if name is not None else b""
    n = 32 + len(a) + len(p) + len(f) + len(tail)
    aoff = (32 if addrs else 0) if aoff is None else aoff
    poff = 32 + len(a) if poff is None else poff
    foff = (32 + len(a) + len(p) if name is not None else n) if foff is None else foff
    return header(n, 3) + u64(node) + u64(ptime) + u8(len(addrs)) + u8(r2) + u16(aoff) + \
        u16(poff) + u16(foff) + a + p + f + tail


def refuse(mtype=4, code=1, addrs=(), aoff=None, count=None):
    a = b"".join(addrs)
    n = 12 + len(a)
    aoff = (12 if addrs else 0) if aoff is None else aoff
    return header(n, mtype) + u8(code) + u8(len(addrs) if count is None else count) + \
        u16(aoff) + a


def solicit(mtype, incl=0, excl=0, types=(), toff=None, mtime=FT, hashes=(), hoff=None,
            hcount=None, r2=0):
    t = b"".join(types)
    h = b"".join(hashes)
    fixed = 12 if mtype == 6 else 20
    n = fixed + len(t) + len(h)
    toff = (fixed if types else 0) if toff is None else toff
    m = header(n, mtype) + u8(incl) + u8(excl) + u16(toff)
    if mtype == 7:
        m += u64(mtime)
    if mtype == 8:
        hoff = (fixed + len(t) if hashes else 0) if hoff is None else hoff
        m += u32(len(hashes) if hcount is None else hcount) + u16(hoff) + u16(r2)
    return m + t + h


def hash_info(k):
    return bytes(range(k, k + 16)) + u64(FT + k) + guid("%08x-0000-4000-8000-00000000000%x" % (k, k % 16))


def boundary(k, count=10):
    return u64(FT + k) + guid("%08x-1111-4000-8000-000000000000" % k) + u64(FT + k + 100) + \
        guid("%08x-2222-4000-8000-000000000000" % k) + u32(count)


def abstract(k, version=1):
    return guid("%08x-3333-4000-8000-000000000000" % k) + u32(version)


def advertise(bounds=(), abstracts=(), hoff=None, aoff=None, hn=None, an=None, r2=0):
    b = b"".join(bounds)
    a = b"".join(abstracts)
    n = 24 + len(b) + len(a)
    hoff = (24 if bounds else 0) if hoff is None else hoff
    aoff = (24 + len(b) if abstracts else 0) if aoff is None else aoff
    return header(n, 9) + u32(len(bounds) if hn is None else hn) + \
        u32(len(abstracts) if an is None else an) + u16(hoff) + u16(r2) + u32(aoff) + b + a


def request(abstracts=(), off=None, count=None):
    a = b"".join(abstracts)
    n = 16 + len(a)
    off = (16 if abstracts else 0) if off is None else off
    return header(n, 10) + u32(len(abstracts) if count is None else count) + u32(off) + a


def record(rtype=T_APP, rid=R_ID, version=1, res=b"\0\0\0", flags=0, creator="alice",
           lmb=None, security=b"", ct=FT, et=FT + 3000000000, mt=None, graph="graph.example",
           proto=0x0100, payload=b"hello", attrs=None, clen=None, lmblen=None, glen=None,
           seclen=None, plen=None, alen=None, cstr=None, tail=b""):
    mt = ct if mt is None else mt
    c = w(creator) if cstr is None else cstr
    r = rtype + rid + u32(version) + res + u8(flags)
    r += u32(wlen(creator) if clen is None else clen) + c
    if lmb is None:
        r += u32(0 if lmblen is None else lmblen)
    else:
        r += u32(wlen(lmb) if lmblen is None else lmblen) + w(lmb)
    r += u32(len(security) if seclen is None else seclen) + security
    r += u64(ct) + u64(et) + u64(mt)
    r += u32(wlen(graph) if glen is None else glen) + w(graph)
    if attrs is None:
        a = u32(0 if alen is None else alen)
    else:
        a = u32(len(attrs) // 2 if alen is None else alen) + attrs
    p = u16(proto) + u32(len(payload) if plen is None else plen) + payload
    return r + (a + p if RECORD_ATTRS_FIRST else p + a) + tail


def units(*us):
    return b"".join(struct.pack(">H" if UTF16_BE else "<H", u) for u in us)


def xml(s):
    return s.encode(U16) + b"\0\0"


EXAMPLE_XML = ('<attributes><attribute name="Owner" type="string">Scott</attribute>'
               '<attribute name="Birthday" type="date">1972-04-04</attribute>'
               '<attribute name="Priority" type="int">1</attribute></attributes>')


def flood(rec, off=12, r2=0):
    return header(12 + len(rec), 11) + u16(off) + u16(r2) + rec


def sync_end(flags=1, r2=0, r3=0, tail=b""):
    return header(12 + len(tail), 12) + u8(flags) + u8(r2) + u16(r3) + tail


def pt2pt(dtype=T_APP, payload=b"app data", off=28, r2=0):
    return header(28 + len(payload), 13) + u16(off) + u16(r2) + dtype + payload


def ack(entries=(), off=None, count=None):
    e = b"".join(entries)
    off = (12 if entries else 0) if off is None else off
    return header(12 + len(e), 14) + u16(len(entries) if count is None else count) + u16(off) + e


def ack_entry(k, useful):
    return guid("%08x-4444-4000-8000-000000000000" % k) + u32(1 if useful else 0)


def graph_info(size=None, flags=0x2, scope=1, gid="graph.example", creator="alice",
               fname="Example graph", comment="for tests", lifetime=0, maxp=0xFFFFFFFF,
               maxr=0, glen=None, clen=None, flen=None, colen=None, tail=b""):
    def s(v, ln):
        if v is None:
            return u32(0 if ln is None else ln)
        return u32(wlen(v) if ln is None else ln) + w(v)
    body = u32(flags) + u32(scope) + s(gid, glen) + s(creator, clen) + s(fname, flen) + \
        s(comment, colen) + u32(lifetime) + u32(maxp) + u32(maxr) + tail
    return u32(4 + len(body) if size is None else size) + body


def contact(addrs=(peer_addr(3587, 1),), count=None, tail=b""):
    a = b"".join(addrs)
    return u64(0x0000000000001234) + u64(0x1122334455667788) + \
        u32(len(addrs) if count is None else count) + a + tail


def presence(attrs=None, addrs=(peer_addr(3587, 2),), alen=None, count=None):
    a = b"".join(addrs)
    r = u64(0x1122334455667788)
    if attrs is None:
        r += u32(0 if alen is None else alen)
    else:
        r += u32(len(attrs) // 2 if alen is None else alen) + attrs
    return r + u32(len(addrs) if count is None else count) + a


def frames(msg, sizes):
    out, i = b"", 0
    for s in sizes:
        out += u16(s) + msg[i:i + s]
        i += s
    assert i == len(msg)
    return out


def main():
    A1, A2 = in6(3587, 1), in6(3587, 2)
    S = "MS-PPGRH "
    # --- header (2.2.1.2, 3.1.5.2) ---
    base = sync_end()
    vec("hdr_short", "msg", "three bytes: no Message Size", base[:3],
        err("PN_ERR_TRUNCATED", 0, "Message Size"), S + "2.2.1.2")
    vec("hdr_size_below_8", "msg", "Message Size 7", u32(7) + base[4:8],
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), S + "3.1.5.2")
    vec("hdr_size_beyond_data", "msg", "Message Size larger than the data",
        u32(13) + base[4:], err("PN_ERR_TRUNCATED", 0, "Message Size"), S + "2.2.1.2")
    vec("hdr_data_beyond_size", "msg", "a byte after Message Size",
        base + b"\0", err("PN_ERR_TRAILING", 12, "Message Size"), S + "2.2.1.2")
    vec("hdr_version", "msg", "Version 0x11",
        base[:4] + b"\x11" + base[5:], err("PN_ERR_GRAPH_VERSION", 4, "Version"), S + "2.2.1.2")
    vec("hdr_type_zero", "msg", "Message Type 0x00 (not in the table)",
        base[:5] + b"\x00" + base[6:], err("PN_ERR_GRAPH_MSGTYPE", 5, "Message Type"), S + "2.2.1.2")
    vec("hdr_type_0f", "msg", "Message Type 0x0F",
        base[:5] + b"\x0f" + base[6:], err("PN_ERR_GRAPH_MSGTYPE", 5, "Message Type"), S + "2.2.1.2")
    vec("hdr_reserved", "msg", "header Reserved not zero",
        base[:6] + b"\x00\x01" + base[8:], err("PN_ERR_GRAPH_RESERVED", 6, "Reserved"), S + "2.2.1.2")

    # --- AUTH_INFO (2.2.2.1, 3.1.5.1.1) ---
    src = S + "2.2.2.1, 3.1.5.1.1"
    vec("auth_info_neighbor", "msg", "AUTH_INFO neighbour connection with destination",
        auth_info(), source=src)
    vec("auth_info_direct_no_dst", "msg", "AUTH_INFO direct, no destination (offset = size)",
        auth_info(ctype=2, dst=None), source=src)
    vec("auth_info_too_short", "msg", "AUTH_INFO of 12 bytes",
        header(12, 1) + u8(1) + u8(0) + u16(0), err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    vec("auth_info_conn_type", "msg", "Connection Type 3", auth_info(ctype=3),
        err("PN_ERR_GRAPH_ENUM", 8, "Connection Type"), src)
    vec("auth_info_reserved2", "msg", "Reserved2 not zero", auth_info(r2=1),
        err("PN_ERR_GRAPH_RESERVED", 9, "Reserved2"), src)
    vec("auth_info_graph_after_src", "msg", "Graph ID Offset not below Source Peer ID Offset",
        auth_info(goff=30, soff=30), err("PN_ERR_GRAPH_OFFSET", 12, "Source Peer ID Offset"), src)
    vec("auth_info_src_after_dst", "msg", "Source Peer ID Offset not below Destination",
        auth_info(soff=40, doff=40), err("PN_ERR_GRAPH_OFFSET", 14, "Destination Peer ID Offset"), src)
    vec("auth_info_dst_past_end", "msg", "Destination Peer ID Offset beyond Message Size",
        auth_info(doff=200), err("PN_ERR_GRAPH_OFFSET", 14, "Destination Peer ID Offset"), src)
    vec("auth_info_graph_gap", "msg", "Graph ID not right after the fixed part",
        auth_info(goff=17), err("PN_ERR_GRAPH_OFFSET", 10, "Graph ID Offset"), src)
    vec("auth_info_graph_empty", "msg", "empty Graph ID", auth_info(graph=""),
        err("PN_ERR_GRAPH_STRING", 16, "Graph ID Data"), src)
    vec("auth_info_src_empty", "msg", "empty Source Peer ID", auth_info(src=""),
        err("PN_ERR_GRAPH_STRING", 30, "Source Peer ID Data"), src)
    vec("auth_info_dst_empty", "msg", "present but empty Destination Peer ID", auth_info(dst=""),
        err("PN_ERR_GRAPH_STRING", 36, "Destination Peer ID Data"), src)
    m = fix_size(auth_info(dst=None)[:-1])
    m = m[:14] + u16(len(m)) + m[16:]
    vec("auth_info_no_nul", "msg", "Source Peer ID without its NUL", m,
        err("PN_ERR_GRAPH_STRING", 30, "Source Peer ID Data"), src)
    m = auth_info()
    vec("auth_info_bad_utf8", "msg", "Graph ID is not UTF-8 (lone 0xC3 lead byte)",
        m[:18] + b"\xc3" + m[19:], err("PN_ERR_GRAPH_STRING", 16, "Graph ID Data"), src)
    vec("auth_info_trailing", "msg", "a byte after the destination string",
        auth_info(tail=b"x"), err("PN_ERR_TRAILING", 40, "Message Size"), S + "2.2.1.2 (decision G-6)")

    # --- CONNECT (2.2.2.2, 3.1.5.2.1) ---
    src = S + "2.2.2.2, 3.1.5.2.1"
    vec("connect_update_addrs_name", "msg", "CONNECT Update+Neighbours, two addresses, name",
        connect(flags=0x09, addrs=(A1, A2)), source=src)
    vec("connect_direct_bare", "msg", "CONNECT Direct, no addresses (offset 0), no name",
        connect(flags=0x04, name=None), source=src)
    vec("connect_too_short", "msg", "CONNECT of 20 bytes",
        fix_size(connect(flags=0, name=None)[:20]), err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    vec("connect_addrs_past_end", "msg", "Address Count * 20 + Address Offset beyond size",
        connect(addrs=(A1,), count=3), err("PN_ERR_GRAPH_OFFSET", 10, "Address Offset"), src)
    vec("connect_name_inside_addrs", "msg", "Friendly Name Offset inside the address array",
        connect(addrs=(A1, A2), foff=50), err("PN_ERR_GRAPH_OFFSET", 12, "Friendly Name Offset"), src)
    vec("connect_name_past_end", "msg", "Friendly Name Offset beyond Message Size",
        connect(foff=0x200), err("PN_ERR_GRAPH_OFFSET", 12, "Friendly Name Offset"), src)
    vec("connect_flag_mbz", "msg", "Z1 flag set", connect(flags=0x80 | 0x09, addrs=(A1,)),
        err("PN_ERR_GRAPH_RESERVED", 8, "Flags"), src)
    vec("connect_update_no_addrs", "msg", "Update bit with Address Count 0",
        connect(flags=0x08), err("PN_ERR_GRAPH_FLAG", 9, "Address Count"), src)
    vec("connect_reserved2", "msg", "Reserved2 not zero", connect(addrs=(A1,), r2=5),
        err("PN_ERR_GRAPH_RESERVED", 14, "Reserved2"), src)
    vec("connect_addr_gap", "msg", "address array not right after the fixed part",
        connect(addrs=(A1,), aoff=26, foff=46, tail=b"\0\0"),
        err("PN_ERR_GRAPH_OFFSET", 10, "Address Offset"), src)
    vec("connect_addr_family", "msg", "PEER_IN6_ADDRESS family 0x0002",
        connect(addrs=(A1, in6(80, 3, family=2))), err("PN_ERR_GRAPH_ADDRESS", 44, "Protocol Family"),
        S + "2.2.1.3")
    m = connect(addrs=(A1,), name="caf\u00e9")
    vec("connect_name_bad_utf8", "msg", "Friendly Name with a cut UTF-8 sequence",
        m[:-2] + b"\x41" + m[-1:], err("PN_ERR_GRAPH_STRING", 44, "Friendly Name"), src)
    vec("connect_too_many_addrs", "msg", "33 addresses (PN_GRAPH_MAX_ADDRESSES is 32)",
        connect(addrs=tuple(in6(1000 + i, i) for i in range(33)), name=None),
        err("PN_ERR_GRAPH_COUNT", 9, "Address Count"), "peernet limit")

    # --- WELCOME (2.2.2.3, 3.1.5.2.2) ---
    src = S + "2.2.2.3, 3.1.5.2.2"
    vec("welcome_referrals_name", "msg", "WELCOME with two referrals and a friendly name",
        welcome(addrs=(A1, A2)), source=src)
    vec("welcome_direct", "msg", "WELCOME for a direct connection: no addresses, offset 0, no name",
        welcome(name=None), source=src)
    vec("welcome_too_short", "msg", "WELCOME of 28 bytes",
        fix_size(welcome()[:28]), err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    vec("welcome_addrs_reach_end", "msg", "Address Count * 20 + Address Offset not below size",
        welcome(addrs=(A1,), aoff=40), err("PN_ERR_GRAPH_OFFSET", 26, "Address Offset"), src)
    vec("welcome_peer_inside_addrs", "msg", "Peer ID Offset inside the address array",
        welcome(addrs=(A1,), poff=40), err("PN_ERR_GRAPH_OFFSET", 28, "Peer ID Offset"), src)
    vec("welcome_name_before_peer", "msg", "Friendly Name Offset not above Peer ID Offset",
        welcome(foff=32), err("PN_ERR_GRAPH_OFFSET", 30, "Friendly Name Offset"), src)
    vec("welcome_name_past_end", "msg", "Friendly Name Offset beyond Message Size",
        welcome(foff=300), err("PN_ERR_GRAPH_OFFSET", 30, "Friendly Name Offset"), src)
    vec("welcome_reserved2", "msg", "Reserved2 not zero", welcome(r2=1),
        err("PN_ERR_GRAPH_RESERVED", 25, "Reserved2"), src)
    m = fix_size(welcome(name=None)[:-1])
    m = m[:30] + u16(len(m)) + m[32:]
    vec("welcome_peer_no_nul", "msg", "Peer ID runs to the end without a NUL", m, err("PN_ERR_GRAPH_STRING", 32, "Peer ID"), src)

    # --- REFUSE / DISCONNECT (2.2.2.4-5, 3.1.5.2.3-4) ---
    src = S + "2.2.2.4, 3.1.5.2.3"
    vec("refuse_busy_referrals", "msg", "REFUSE busy with two referrals",
        refuse(code=1, addrs=(A1, A2)), source=src)
    vec("refuse_direct_disallowed", "msg", "REFUSE direct disallowed: count 0, offset 0",
        refuse(code=4), source=src)
    vec("refuse_code_zero", "msg", "Error Code 0", refuse(code=0),
        err("PN_ERR_GRAPH_ENUM", 8, "Error Code"), src)
    vec("refuse_code_five", "msg", "Error Code 5", refuse(code=5),
        err("PN_ERR_GRAPH_ENUM", 8, "Error Code"), src)
    vec("refuse_addrs_past_end", "msg", "Address Count * 20 + Address Offset beyond size",
        refuse(addrs=(A1,), count=2), err("PN_ERR_GRAPH_OFFSET", 10, "Address Offset"), src)
    vec("refuse_too_short", "msg", "REFUSE of 10 bytes", header(10, 4) + b"\x01\x00",
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    src = S + "2.2.2.5, 3.1.5.2.4"
    vec("disconnect_leaving_off_end", "msg", "DISCONNECT leaving, no neighbours, offset = size",
        refuse(mtype=5, code=1, aoff=12), source=src + ", 3.1.7.25")
    vec("disconnect_least_useful", "msg", "DISCONNECT least useful with one referral",
        refuse(mtype=5, code=2, addrs=(A1,)), source=src)
    vec("disconnect_reason_four", "msg", "Reason 4", refuse(mtype=5, code=4),
        err("PN_ERR_GRAPH_ENUM", 8, "Reason"), src)

    # --- SOLICIT_* (2.2.2.6-8, 3.1.5.2.5-7) ---
    src = S + "2.2.2.6, 3.1.5.2.5"
    vec("solicit_new_all", "msg", "SOLICIT_NEW for all records (no types, offset 0)",
        solicit(6), source=src)
    vec("solicit_new_graph_info", "msg", "SOLICIT_NEW including Graph Info only",
        solicit(6, incl=1, types=(T_GRAPH_INFO,)), source=src + ", 3.1.7.29")
    vec("solicit_new_incl_two", "msg", "Inclusion Count 2", solicit(6, incl=2, types=(T_GRAPH_INFO, T_PRESENCE)),
        err("PN_ERR_GRAPH_COUNT", 8, "Inclusion Count"), src)
    vec("solicit_new_incl_and_excl", "msg", "both counts non-zero",
        solicit(6, incl=1, excl=1, types=(T_GRAPH_INFO, T_PRESENCE)),
        err("PN_ERR_GRAPH_COUNT", 9, "Exclusion Count"), src)
    vec("solicit_new_types_past_end", "msg", "(incl + excl) * 16 + offset beyond size",
        fix_size(solicit(6, incl=1, types=(T_GRAPH_INFO,))[:20]),
        err("PN_ERR_GRAPH_OFFSET", 10, "Record Types Offset"), src)
    vec("solicit_new_types_gap", "msg", "types not right after the fixed part",
        fix_size(solicit(6, incl=1, types=(T_GRAPH_INFO,), toff=14) + b"\0\0"),
        err("PN_ERR_GRAPH_OFFSET", 10, "Record Types Offset"), src)
    src = S + "2.2.2.7, 3.1.5.2.6"
    vec("solicit_time_exclude", "msg", "SOLICIT_TIME excluding Graph Info and Presence",
        solicit(7, excl=2, types=(T_GRAPH_INFO, T_PRESENCE)), source=src + ", 3.1.5.2.11")
    vec("solicit_time_too_short", "msg", "SOLICIT_TIME of 12 bytes", solicit(6)[:5] + b"\x07" + solicit(6)[6:],
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    vec("solicit_time_incl_two", "msg", "Inclusion Count 2",
        solicit(7, incl=2, types=(T_GRAPH_INFO, T_PRESENCE)), err("PN_ERR_GRAPH_COUNT", 8, "Inclusion Count"), src)
    src = S + "2.2.2.8, 3.1.5.2.7"
    vec("solicit_hash_two", "msg", "SOLICIT_HASH with two HASH_INFO_ENTRYs",
        solicit(8, hashes=(hash_info(1), hash_info(2))), source=src + ", 2.2.1.7")
    vec("solicit_hash_incl_two", "msg", "SOLICIT_HASH including two types (no 0/1 limit here)",
        solicit(8, incl=2, types=(T_GRAPH_INFO, T_PRESENCE), hashes=(hash_info(3),)), source=src)
    vec("solicit_hash_types_over_hashes", "msg", "(incl + excl) * 16 + types offset beyond Hash Entry Offset",
        solicit(8, incl=1, types=(T_GRAPH_INFO,), hashes=(hash_info(1),), hoff=30),
        err("PN_ERR_GRAPH_OFFSET", 10, "Record Types Offset"), src)
    vec("solicit_hash_hashes_past_end", "msg", "Hash Count * 40 + Hash Entry Offset beyond size",
        solicit(8, hashes=(hash_info(1),), hcount=2), err("PN_ERR_GRAPH_OFFSET", 16, "Hash Entry Offset"),
        src + " (decision G-9)")
    vec("solicit_hash_reserved2", "msg", "Reserved2 not zero", solicit(8, hashes=(hash_info(1),), r2=1),
        err("PN_ERR_GRAPH_RESERVED", 18, "Reserved2"), src)
    vec("solicit_hash_incl_and_excl", "msg", "both counts non-zero",
        solicit(8, incl=1, excl=1, types=(T_GRAPH_INFO, T_PRESENCE), hashes=(hash_info(1),)),
        err("PN_ERR_GRAPH_COUNT", 9, "Exclusion Count"), src)

    vec("solicit_new_too_many_types", "msg", "65 excluded types (PN_GRAPH_MAX_RECORD_TYPES is 64)",
        solicit(6, excl=65, types=tuple(guid("%08x-0000-4000-8000-000000000000" % k) for k in range(65))),
        err("PN_ERR_GRAPH_COUNT", 9, "Exclusion Count"), "peernet limit")
    vec("solicit_hash_too_many_hashes", "msg", "1025 hash entries (PN_GRAPH_MAX_HASH_ENTRIES is 1024)",
        solicit(8, hashes=tuple(hash_info(k % 200) for k in range(1025))),
        err("PN_ERR_GRAPH_COUNT", 12, "Hash Count"), "peernet limit")

    # --- ADVERTISE (2.2.2.9, 3.1.5.2.8) ---
    src = S + "2.2.2.9, 3.1.5.2.8"
    vec("advertise_one_range", "msg", "ADVERTISE: one boundary, two abstracts",
        advertise(bounds=(boundary(1, 2),), abstracts=(abstract(1), abstract(2, 3))),
        source=src + ", 2.2.1.6, 2.2.1.8")
    vec("advertise_empty", "msg", "ADVERTISE with nothing mismatching (offsets 0)", advertise(), source=src)
    vec("advertise_too_short", "msg", "ADVERTISE of 20 bytes", fix_size(advertise()[:20]),
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    vec("advertise_hoff_above_aoff", "msg", "Hash Entry Boundary Offset above Record Abstracts Offset",
        advertise(abstracts=(abstract(1),), hoff=30), err("PN_ERR_GRAPH_OFFSET", 16, "Hash Entry Boundary Offset"), src)
    vec("advertise_aoff_past_end", "msg", "Record Abstracts Offset beyond size",
        advertise(aoff=100), err("PN_ERR_GRAPH_OFFSET", 20, "Record Abstracts Offset"), src)
    vec("advertise_bounds_over_abstracts", "msg", "boundaries overrun the abstracts",
        advertise(bounds=(boundary(1),), abstracts=(abstract(1),), hn=2),
        err("PN_ERR_GRAPH_COUNT", 8, "Hash Entry Boundary Count"), src)
    vec("advertise_abstracts_past_end", "msg", "Record Abstract Count * 20 + offset beyond size",
        advertise(abstracts=(abstract(1),), an=2), err("PN_ERR_GRAPH_COUNT", 12, "Record Abstract Count"), src)
    vec("advertise_reserved2", "msg", "Reserved2 not zero", advertise(r2=1),
        err("PN_ERR_GRAPH_RESERVED", 18, "Reserved2"), src)

    # --- REQUEST (2.2.2.10, 3.1.5.2.9) ---
    src = S + "2.2.2.10, 3.1.5.2.9"
    vec("request_two", "msg", "REQUEST for two records", request((abstract(5, 2), abstract(6, 1))), source=src)
    vec("request_empty", "msg", "REQUEST with no abstracts (16 bytes < 0x14)", request(),
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src + " (decision G-8)")
    vec("request_off_past_end", "msg", "Record Abstracts Offset beyond size",
        request((abstract(5),), off=40), err("PN_ERR_GRAPH_OFFSET", 12, "Record Abstracts Offset"), src)
    vec("request_count_past_end", "msg", "Record Abstract Count * 20 + offset beyond size",
        request((abstract(5),), count=2), err("PN_ERR_GRAPH_COUNT", 8, "Record Abstract Count"), src)

    # --- FLOOD (2.2.2.11, 3.1.5.2.10) + PEER_RECORD ---
    src = S + "2.2.2.11, 3.1.5.2.10"
    app_attrs = xml(EXAMPLE_XML)
    rec_full = record(lmb="bob", mt=FT + 5000, security=bytes(range(20)), attrs=app_attrs, version=3)
    vec("flood_app_record", "msg", "FLOOD of an application record with every optional part",
        flood(rec_full), source=src + ", 2.2.1.9")
    gi = graph_info()
    rec_gi = record(rtype=T_GRAPH_INFO, rid=ID_GRAPH_INFO, payload=gi)
    vec("flood_graph_info", "msg", "FLOOD of the Graph Info record", flood(rec_gi), source=src + ", 2.2.3.1")
    vec("flood_too_short", "msg", "FLOOD of 12 bytes", header(12, 11) + u16(12) + u16(0),
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    vec("flood_off_past_end", "msg", "Record Offset beyond size", flood(record(), off=0x400),
        err("PN_ERR_GRAPH_OFFSET", 8, "Record Offset"), src)
    vec("flood_reserved2", "msg", "Reserved2 not zero (a receive check)", flood(record(), r2=1),
        err("PN_ERR_GRAPH_RESERVED", 10, "Reserved2"), src)
    vec("flood_off_gap", "msg", "Record Offset not 12", flood(record(), off=14),
        err("PN_ERR_GRAPH_OFFSET", 8, "Record Offset"), src)
    vec("flood_record_short", "msg", "record data of 80 bytes", flood(record()[:80]),
        err("PN_ERR_GRAPH_SIZE", 12, "Record Data"), S + "3.1.7.27")
    vec("flood_record_bad_time", "msg", "record error reported at its message offset",
        flood(record(mt=FT - 1)), err("PN_ERR_GRAPH_TIME", 12 + 80, "Last Modification Time"), S + "3.1.7.27")

    # --- SYNC_END (2.2.2.12, 3.1.5.2.11) ---
    src = S + "2.2.2.12, 3.1.5.2.11"
    vec("sync_end_final", "msg", "SYNC_END with Final", sync_end(), source=src)
    vec("sync_end_not_final", "msg", "SYNC_END without Final (3.1.5.2.5 sends it)", sync_end(flags=0),
        source=src + " (decision G-10)")
    vec("sync_end_flag_mbz", "msg", "Z7 set", sync_end(flags=0x03), err("PN_ERR_GRAPH_RESERVED", 8, "Flags"), src)
    vec("sync_end_reserved2", "msg", "Reserved2 not zero", sync_end(r2=1), err("PN_ERR_GRAPH_RESERVED", 9, "Reserved2"), src)
    vec("sync_end_reserved3", "msg", "Reserved3 not zero", sync_end(r3=1), err("PN_ERR_GRAPH_RESERVED", 10, "Reserved3"), src)
    vec("sync_end_trailing", "msg", "13-byte SYNC_END", sync_end(tail=b"\0"), err("PN_ERR_TRAILING", 12, "Message Size"), src)
    vec("sync_end_too_short", "msg", "SYNC_END of 9 bytes", header(9, 12) + b"\x01",
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)

    # --- PT2PT (2.2.2.13, 2.2.4.1, 3.1.5.2.13) ---
    src = S + "2.2.2.13, 3.1.5.2.13"
    vec("pt2pt_app", "msg", "PT2PT with application data", pt2pt(), source=src)
    vec("pt2pt_ping", "msg", "Ping: PT2PT of the reserved type, no payload", pt2pt(T_PING, b""), source=S + "2.2.4.1")
    vec("pt2pt_ping_payload", "msg", "Ping with a payload", pt2pt(T_PING, b"x"),
        err("PN_ERR_GRAPH_FLAG", 28, "Payload Data"), S + "2.2.4.1")
    vec("pt2pt_too_short", "msg", "PT2PT of 14 bytes", header(14, 13) + u16(14) + u16(0) + b"\0\0",
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    vec("pt2pt_no_data_type", "msg", "PT2PT of 20 bytes: Data Type cut", header(20, 13) + u16(20) + u16(0) + bytes(8),
        err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src + " (decision G-8)")
    vec("pt2pt_off_past_end", "msg", "Data Offset beyond size", pt2pt(off=100),
        err("PN_ERR_GRAPH_OFFSET", 8, "Data Offset"), src)
    vec("pt2pt_off_gap", "msg", "Data Offset not 28", pt2pt(off=30),
        err("PN_ERR_GRAPH_OFFSET", 8, "Data Offset"), src)
    vec("pt2pt_reserved2", "msg", "Reserved2 not zero", pt2pt(r2=1),
        err("PN_ERR_GRAPH_RESERVED", 10, "Reserved2"), src)

    # --- ACK (2.2.2.14, 3.1.5.2.12) ---
    src = S + "2.2.2.14, 3.1.5.2.12"
    vec("ack_two", "msg", "ACK of two FLOODs, one useful", ack((ack_entry(1, True), ack_entry(2, False))), source=src)
    vec("ack_empty", "msg", "ACK with no entries (offset 0)", ack(), source=src)
    vec("ack_too_short", "msg", "ACK of 10 bytes", header(10, 14) + u16(0), err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), src)
    vec("ack_off_past_end", "msg", "ACKs Offset beyond size", ack(off=13), err("PN_ERR_GRAPH_OFFSET", 10, "ACKs Offset"), src)
    vec("ack_count_past_end", "msg", "ACKs Count * 20 + offset beyond size",
        ack((ack_entry(1, True),), count=2), err("PN_ERR_GRAPH_COUNT", 8, "ACKs Count"), src)
    vec("ack_entry_reserved", "msg", "reserved bits of an entry set",
        ack((guid("00000001-4444-4000-8000-000000000000") + u32(0x80000001),)),
        err("PN_ERR_GRAPH_RESERVED", 28, "Record ACK Reserved"), src)

    vec("ack_too_many", "msg", "1025 entries (PN_GRAPH_MAX_ACKS is 1024)",
        ack(tuple(ack_entry(k, k % 2) for k in range(1025))), err("PN_ERR_GRAPH_COUNT", 8, "ACKs Count"),
        "peernet limit")

    # --- PEER_RECORD alone (2.2.1.9, 3.1.7.27) ---
    src = S + "2.2.1.9, 3.1.7.27"
    vec("record_app_minimal", "record", "application record, no optional parts", record(), source=src)
    vec("record_app_full", "record", "application record with modifier, security data, attributes", rec_full, source=src)
    vec("record_deleted", "record", "deleted record: flag 0x02, empty payload",
        record(flags=2, payload=b"", lmb="alice", mt=FT + 10, version=2), source=src)
    vec("record_short", "record", "89 bytes", record(payload=b"")[:89], err("PN_ERR_GRAPH_SIZE", 0, "Record Data"), src)
    vec("record_reserved", "record", "Reserved bytes not zero", record(res=b"\0\1\0"),
        err("PN_ERR_GRAPH_RESERVED", 36, "Reserved"), src)
    vec("record_flag_z8", "record", "Z8 (0x01) set", record(flags=1), err("PN_ERR_GRAPH_RESERVED", 39, "Flags"),
        src + " (decision G-4/G-5)")
    vec("record_flag_z1", "record", "Z1 (0x80) set", record(flags=0x80), err("PN_ERR_GRAPH_RESERVED", 39, "Flags"), src)
    vec("record_creator_len_one", "record", "Creator ID Length 1", record(creator="", clen=1),
        err("PN_ERR_GRAPH_LENGTH", 40, "Creator ID Length"), src)
    vec("record_creator_len_257", "record", "Creator ID Length 257", record(creator="a" * 256, clen=257, payload=b"x" * 4),
        err("PN_ERR_GRAPH_LENGTH", 40, "Creator ID Length"), src)
    vec("record_creator_no_nul", "record", "Creator ID not NUL-terminated",
        record(cstr="alice!".encode("utf-16-le")), err("PN_ERR_GRAPH_STRING", 54, "Creator ID"), src)
    vec("record_creator_inner_nul", "record", "NUL inside Creator ID",
        record(cstr="al\0ce".encode("utf-16-le") + b"\0\0"), err("PN_ERR_GRAPH_STRING", 48, "Creator ID"), src)
    vec("record_creator_lone_surrogate", "record", "unpaired surrogate in Creator ID",
        record(cstr=units(0x61, 0xD800, 0x63, 0x65, 0), clen=5), err("PN_ERR_GRAPH_STRING", 46, "Creator ID"), src)
    vec("record_lmb_len_one", "record", "Last Modified By ID Length 1", record(lmblen=1, tail=b""),
        err("PN_ERR_GRAPH_LENGTH", 56, "Last Modified By ID Length"), src)
    vec("record_security_past_end", "record", "Security Data Size beyond the record", record(seclen=5000),
        err("PN_ERR_TRUNCATED", 60, "Security Data Size"), src)
    vec("record_graph_len_zero", "record", "Graph ID Length 0", record(glen=0, graph="ab", payload=b"x" * 10),
        err("PN_ERR_GRAPH_LENGTH", 88, "Graph ID Length"), src)
    rr = record()
    gl = 88 + 4 + 2 * wlen("graph.example") + (4 if RECORD_ATTRS_FIRST else 0)
    vec("record_protocol_version", "record", "Protocol Version 0x0101", record(proto=0x0101),
        err("PN_ERR_GRAPH_VERSION", gl, "Protocol Version"), src)
    vec("record_payload_past_end", "record", "Payload Data Size beyond the record", record(plen=100),
        err("PN_ERR_TRUNCATED", gl + 2, "Payload Data Size"), src)
    vec("record_trailing", "record", "a byte after the attributes", record(tail=b"\0"),
        err("PN_ERR_TRAILING", len(rr), "Attributes Length"), src)
    vec("record_deleted_payload", "record", "deleted record with a payload", record(flags=2),
        err("PN_ERR_GRAPH_FLAG", gl + 2, "Payload Data Size"), src)
    vec("record_modified_before_created", "record", "Last Modification Time < Creation Time", record(mt=FT - 1),
        err("PN_ERR_GRAPH_TIME", 80, "Last Modification Time"), src)
    vec("record_expired_at_modification", "record", "Expiration Time = Last Modification Time",
        record(et=FT + 7, mt=FT + 7, lmb="bob"), err("PN_ERR_GRAPH_TIME", 72 + 8, "Expiration Time"), src)
    vec("record_unmodified_with_modifier", "record", "Creation = Modification but Last Modified By present",
        record(lmb="bob"), err("PN_ERR_GRAPH_TIME", 56, "Last Modified By ID Length"), src)
    bad_x = xml("<attributes></attributes>")
    off_x = record(attrs=bad_x).index(bad_x)
    vec("record_attrs_bad_xml", "record", "attributes without an <attribute>", record(attrs=bad_x),
        err("PN_ERR_GRAPH_XML", off_x + 24, "attribute"), src + ", 2.2.3.5")
    res_x = xml('<attributes><attribute name="peerRecordID" type="string">x</attribute></attributes>')
    off_x = record(attrs=res_x).index(res_x)
    vec("record_attrs_reserved_name", "record", "application record using a reserved attribute name",
        record(attrs=res_x), err("PN_ERR_GRAPH_ATTR", off_x + 2 * 29, "attribute/name"), src + ", 2.2.3.5")
    vec("record_graph_info_wrong_id", "record", "Graph Info record with another record ID",
        record(rtype=T_GRAPH_INFO, payload=gi), err("PN_ERR_GRAPH_RECORD_ID", 16, "Record ID"), S + "2.2.3.1")
    vec("record_signature_wrong_id", "record", "Signature record with another record ID",
        record(rtype=T_SIGNATURE, payload=u64(5)), err("PN_ERR_GRAPH_RECORD_ID", 16, "Record ID"), S + "2.2.3.2")

    big = record(payload=bytes(65536 - len(record(payload=b"")) + 1))
    vec("record_too_big", "record", "a record of 65,537 bytes (PN_GRAPH_RECORD_MAX_BYTES is 65,536)",
        big, err("PN_ERR_GRAPH_TOO_BIG", 0, "Record Data"), "peernet limit")

    # --- internal records (2.2.3) ---
    src = S + "2.2.3.1"
    vec("record_graph_info", "record", "Graph Info record", rec_gi, source=src)
    rec_sig = record(rtype=T_SIGNATURE, rid=ID_SIGNATURE, payload=u64(0x0102030405060708))
    vec("record_signature", "record", "Signature record", rec_sig, source=S + "2.2.3.2")
    rec_c = record(rtype=T_CONTACT, payload=contact((peer_addr(3587, 1), peer_addr(3588, 2, flow=7))))
    vec("record_contact", "record", "Contact record with two addresses", rec_c, source=S + "2.2.3.3, 2.2.1.5")
    rec_p = record(rtype=T_PRESENCE, payload=presence(attrs=xml("status=online")))
    vec("record_presence", "record", "Presence record with node attributes", rec_p, source=S + "2.2.3.4")
    vec("record_graph_info_deleted", "record", "deleted Graph Info record (payload not decoded)",
        record(rtype=T_GRAPH_INFO, rid=ID_GRAPH_INFO, flags=2, payload=b"", lmb="alice", mt=FT + 1), source=src)
    pl_off = rec_gi.index(gi)
    vec("record_graph_info_bad_payload", "record", "Graph Info record whose payload has Scope 9",
        record(rtype=T_GRAPH_INFO, rid=ID_GRAPH_INFO, payload=graph_info(scope=9)),
        err("PN_ERR_GRAPH_ENUM", pl_off + 8, "Scope"), src)
    vec("graph_info_full", "graphinfo", "Graph Info payload with every string", gi, source=src)
    vec("graph_info_minimal", "graphinfo", "Graph Info payload without name and comment",
        graph_info(fname=None, comment=None, flags=0, lifetime=300, maxp=0, maxr=1024, scope=3), source=src)
    vec("graph_info_size", "graphinfo", "Size not the payload length", graph_info(size=10),
        err("PN_ERR_GRAPH_PAYLOAD", 0, "Size"), src)
    vec("graph_info_flags", "graphinfo", "I bit set", graph_info(flags=3), err("PN_ERR_GRAPH_RESERVED", 4, "Flags"), src)
    vec("graph_info_scope_zero", "graphinfo", "Scope 0", graph_info(scope=0), err("PN_ERR_GRAPH_ENUM", 8, "Scope"), src)
    vec("graph_info_scope_four", "graphinfo", "Scope 4", graph_info(scope=4), err("PN_ERR_GRAPH_ENUM", 8, "Scope"), src)
    vec("graph_info_gid_len_one", "graphinfo", "Graph ID Length 1", graph_info(gid="", glen=1),
        err("PN_ERR_GRAPH_LENGTH", 12, "Graph ID Length"), src)
    cpos = 12 + 4 + 2 * wlen("graph.example")
    vec("graph_info_creator_len_zero", "graphinfo", "Creator ID Length 0", graph_info(creator=None),
        err("PN_ERR_GRAPH_LENGTH", cpos, "Creator ID Length"), src)
    fpos = cpos + 4 + 2 * wlen("alice")
    vec("graph_info_name_len_257", "graphinfo", "Friendly Name Length 257", graph_info(fname="n" * 256, flen=257),
        err("PN_ERR_GRAPH_LENGTH", fpos, "Friendly Name Length"), src)
    copos = fpos + 4 + 2 * wlen("Example graph")
    vec("graph_info_comment_len_513", "graphinfo", "Comment Length 513",
        graph_info(comment="c" * 512, colen=513), err("PN_ERR_GRAPH_LENGTH", copos, "Comment Length"), src)
    vec("graph_info_comment_512", "graphinfo", "Comment of 511 characters + NUL", graph_info(comment="c" * 511), source=src)
    lpos = copos + 4 + 2 * wlen("for tests")
    vec("graph_info_lifetime_299", "graphinfo", "Presence Lifetime 299", graph_info(lifetime=299),
        err("PN_ERR_GRAPH_PAYLOAD", lpos, "Presence Lifetime"), src)
    vec("graph_info_max_record_1023", "graphinfo", "Max Record Size 1023", graph_info(maxr=1023),
        err("PN_ERR_GRAPH_PAYLOAD", lpos + 8, "Max Record Size"), src)
    vec("graph_info_max_record_big", "graphinfo", "Max Record Size 62,914,561", graph_info(maxr=62914561),
        err("PN_ERR_GRAPH_PAYLOAD", lpos + 8, "Max Record Size"), src)
    vec("graph_info_max_record_60mb", "graphinfo", "Max Record Size 62,914,560", graph_info(maxr=62914560), source=src)
    vec("graph_info_trailing", "graphinfo", "a byte after Max Record Size", graph_info(tail=b"\0"),
        err("PN_ERR_TRAILING", lpos + 12, "Size"), src)
    vec("graph_info_truncated", "graphinfo", "cut in the middle of Comment",
        (lambda g: u32(copos + 6) + g[4:copos + 6])(graph_info()), err("PN_ERR_TRUNCATED", copos, "Comment Length"), src)
    src = S + "2.2.3.2"
    vec("signature_ok", "signature", "Signature payload", u64(0x0a0b0c0d0e0f1011), source=src)
    vec("signature_short", "signature", "7 bytes", u64(1)[:7], err("PN_ERR_TRUNCATED", 0, "Signature"), src)
    vec("signature_long", "signature", "9 bytes", u64(1) + b"\0", err("PN_ERR_TRAILING", 8, "Signature"), src)
    src = S + "2.2.3.3, 2.2.1.5"
    vec("contact_two", "contact", "Contact payload with two addresses",
        contact((peer_addr(3587, 1), peer_addr(3588, 2, flow=0x12345))), source=src)
    vec("contact_none", "contact", "Contact payload without addresses", contact(()), source=src)
    vec("contact_addr_size", "contact", "PEER_ADDRESS Size 0x1c", contact((peer_addr(1, 1, size=0x1c),)),
        err("PN_ERR_GRAPH_ADDRESS", 20, "PEER_ADDRESS Size"), src)
    vec("contact_addr_family", "contact", "PEER_ADDRESS family 2", contact((peer_addr(1, 1, family=2),)),
        err("PN_ERR_GRAPH_ADDRESS", 24, "Protocol Family"), src)
    vec("contact_addr_zero", "contact", "PEER_ADDRESS Zero field set", contact((peer_addr(1, 1, zero=1),)),
        err("PN_ERR_GRAPH_ADDRESS", 48, "Zero"), src)
    vec("contact_count_past_end", "contact", "Number of Addresses beyond the data", contact(count=2),
        err("PN_ERR_TRUNCATED", 16, "Number of Addresses"), src)
    vec("contact_too_many", "contact", "33 addresses (PN_GRAPH_MAX_RECORD_ADDRESSES is 32)",
        contact(tuple(peer_addr(i, i) for i in range(33))), err("PN_ERR_GRAPH_COUNT", 16, "Number of Addresses"),
        "peernet limit")
    vec("contact_trailing", "contact", "a byte after the addresses", contact(tail=b"\0"),
        err("PN_ERR_TRAILING", 52, "Addresses"), src)
    src = S + "2.2.3.4"
    vec("presence_attrs", "presence", "Presence payload with attributes and one address",
        presence(attrs=xml("away")), source=src)
    vec("presence_bare", "presence", "Presence payload without attributes or addresses", presence(addrs=()), source=src)
    vec("presence_attrs_no_nul", "presence", "attributes not NUL-terminated",
        presence(attrs=b"a\0b\0"), err("PN_ERR_GRAPH_STRING", 14, "Attributes"), src)
    vec("presence_attrs_past_end", "presence", "Attributes Length beyond the data", presence(alen=100),
        err("PN_ERR_TRUNCATED", 8, "Attributes Length"), src)

    # --- attribute XML (2.2.3.5) ---
    src = S + "2.2.3.5"
    for name, text in [
        ("xml_spec_example", EXAMPLE_XML),
        ("xml_whitespace_quotes", ' <attributes >\r\n\t<attribute type=\'int\' name = "n1" >42</attribute >\n'
                                  '<attribute name="e" type="string"/> </attributes> '),
        ("xml_entities", '<attributes><attribute name="q" type="string">a &lt;b&gt; &amp; &quot;c&apos; &#65;&#x42;'
                         ' \u00e9\u4e2d\U0001f600</attribute></attributes>'),
        ("xml_dates", '<attributes><attribute name="d1" type="date">2000-02-29</attribute>'
                      '<attribute name="d2" type="date">2024-12-31T23:59:60.123Z</attribute>'
                      '<attribute name="d3" type="date">1999-01-01T00:00+05:30</attribute>'
                      '<attribute name="keyword" type="string">a</attribute>'
                      '<attribute name="keyword" type="string">b</attribute></attributes>'),
        ("xml_name_40", '<attributes><attribute name="%s" type="int">0123456789</attribute></attributes>' % ("Ab1" * 13 + "Z")),
    ]:
        vec(name, "xml", "valid attribute XML", xml(text), source=src)
    vec("xml_reserved_name_internal", "xml", "reserved name allowed outside application records",
        xml('<attributes><attribute name="peercreatorid" type="string">x</attribute></attributes>'), source=src)
    bad = [
        ("xml_empty_string", "", "PN_ERR_GRAPH_XML", 0, "attributes"),
        ("xml_no_root", '<attribute name="a" type="int">1</attribute>', "PN_ERR_GRAPH_XML", 0, "attributes"),
        ("xml_declaration", '<?xml version="1.0"?><attributes><attribute name="a" type="int">1</attribute></attributes>',
         "PN_ERR_GRAPH_XML", 0, "attributes"),
        ("xml_no_elements", "<attributes></attributes>", "PN_ERR_GRAPH_XML", 12, "attribute"),
        ("xml_comment", '<attributes><!-- c --><attribute name="a" type="int">1</attribute></attributes>',
         "PN_ERR_GRAPH_XML", 12, "attribute"),
        ("xml_missing_type", '<attributes><attribute name="a">1</attribute></attributes>',
         "PN_ERR_GRAPH_XML", 31, "attribute"),
        ("xml_missing_name", '<attributes><attribute type="int">1</attribute></attributes>',
         "PN_ERR_GRAPH_XML", 33, "attribute"),
        ("xml_duplicate_name", '<attributes><attribute name="a" name="b">1</attribute></attributes>',
         "PN_ERR_GRAPH_XML", 32, "attribute/name"),
        ("xml_duplicate_type", '<attributes><attribute type="int" type="int">1</attribute></attributes>',
         "PN_ERR_GRAPH_XML", ('type="int">', 0), "attribute/type"),
        ("xml_extra_attribute", '<attributes><attribute name="a" type="int" x="1">1</attribute></attributes>',
         "PN_ERR_GRAPH_XML", ('x=', 0), "attribute"),
        ("xml_unquoted", '<attributes><attribute name=a type="int">1</attribute></attributes>',
         "PN_ERR_GRAPH_XML", 28, "attribute"),
        ("xml_name_41", '<attributes><attribute name="%s" type="int">1</attribute></attributes>' % ("a" * 41),
         "PN_ERR_GRAPH_ATTR", 29, "attribute/name"),
        ("xml_name_empty", '<attributes><attribute name="" type="int">1</attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", 29, "attribute/name"),
        ("xml_name_underscore", '<attributes><attribute name="my_name" type="int">1</attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", 31, "attribute/name"),
        ("xml_type_float", '<attributes><attribute name="a" type="float">1</attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", 38, "attribute/type"),
        ("xml_int_letters", '<attributes><attribute name="a" type="int">12a</attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", ('12a', 2), "attribute value"),
        ("xml_int_sign", '<attributes><attribute name="a" type="int">-1</attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", ('-1', 0), "attribute value"),
        ("xml_int_empty", '<attributes><attribute name="a" type="int"></attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", ('></attribute>', 1), "attribute value"),
        ("xml_date_feb30", '<attributes><attribute name="a" type="date">2020-02-30</attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", ('2020', 0), "attribute value"),
        ("xml_date_not_leap", '<attributes><attribute name="a" type="date">1900-02-29</attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", ('1900', 0), "attribute value"),
        ("xml_date_hour_24", '<attributes><attribute name="a" type="date">2020-01-01T24:00</attribute></attributes>',
         "PN_ERR_GRAPH_ATTR", ('2020', 0), "attribute value"),
        ("xml_bad_entity", '<attributes><attribute name="a" type="string">&foo;</attribute></attributes>',
         "PN_ERR_GRAPH_XML", ('&foo', 0), "attribute value"),
        ("xml_bare_ampersand", '<attributes><attribute name="a" type="string">a & b</attribute></attributes>',
         "PN_ERR_GRAPH_XML", ('& b', 0), "attribute value"),
        ("xml_cdata_end", '<attributes><attribute name="a" type="string">x]]>y</attribute></attributes>',
         "PN_ERR_GRAPH_XML", (']]>', 2), "attribute value"),
        ("xml_control_char", '<attributes><attribute name="a" type="string">a\x01</attribute></attributes>',
         "PN_ERR_GRAPH_XML", ('\x01', 0), "attribute value"),
        ("xml_char_ref_zero", '<attributes><attribute name="a" type="string">&#0;</attribute></attributes>',
         "PN_ERR_GRAPH_XML", ('&#0', 0), "attribute value"),
        ("xml_nested_element", '<attributes><attribute name="a" type="string"><b/></attribute></attributes>',
         "PN_ERR_GRAPH_XML", ('<b/>', 0), "attribute"),
        ("xml_wrong_close", '<attributes><attribute name="a" type="string">x</attributes>',
         "PN_ERR_GRAPH_XML", ('x</attribute', 12), "attribute"),
        ("xml_unclosed_root", '<attributes><attribute name="a" type="string">x</attribute>',
         "PN_ERR_GRAPH_XML", 59, "attribute"),
        ("xml_trailing_text", '<attributes><attribute name="a" type="string">x</attribute></attributes>z',
         "PN_ERR_GRAPH_XML", ('>z', 1), "attributes"),
        ("xml_too_many", "<attributes>" + '<attribute name="a" type="int">1</attribute>' * 65 + "</attributes>",
         "PN_ERR_GRAPH_TOO_BIG", 12 + 64 * 44, "attribute"),
    ]
    for name, text, code, unit, field in bad:
        if isinstance(unit, tuple):
            unit = text.index(unit[0]) + unit[1]
        vec(name, "xml", "invalid attribute XML", xml(text), err(code, 2 * unit, field), src)
    vec("xml_reserved_name_app", "xml", "reserved name (any case) in an application record",
        xml('<attributes><attribute name="PeerCreationTime" type="date">2001-01-01</attribute></attributes>'),
        err("PN_ERR_GRAPH_ATTR", 2 * 29, "attribute/name"), src, {"flags": "app"})
    vec("xml_odd_surrogate", "xml", "unpaired surrogate in the value",
        xml('<attributes><attribute name="a" type="string">x</attribute></attributes>')[:94] + units(0xDC00) +
        xml('<attributes><attribute name="a" type="string">x</attribute></attributes>')[96:],
        err("PN_ERR_GRAPH_STRING", 94, "Attributes"), src)

    # --- frames (2.2.1.1) ---
    src = S + "2.2.1.1"
    m1 = connect(addrs=(A1,))
    m2 = sync_end()
    m3 = flood(rec_full)
    vec("frames_one_each", "frames", "three messages, one frame each",
        frames(m1, [len(m1)]) + frames(m2, [len(m2)]) + frames(m3, [len(m3)]), source=src, extra={"count": 3})
    vec("frames_split", "frames", "a FLOOD cut into frames of 3, 1, 100 and the rest bytes, then a SYNC_END",
        frames(m3, [3, 1, 100, len(m3) - 104]) + frames(m2, [len(m2)]), source=src, extra={"count": 2})
    vec("frames_size_zero", "frames", "Frame Size 0", frames(m2, [len(m2)]) + u16(0),
        err("PN_ERR_GRAPH_FRAME", 14, "Frame Size"), src)
    vec("frames_size_over_max", "frames", "Frame Size 16,380 (above the 16,379 default)", u16(16380) + bytes(10),
        err("PN_ERR_GRAPH_FRAME", 0, "Frame Size"), src + ", 2.2")
    vec("frames_cross_message", "frames", "one frame holding a message and the start of the next",
        u16(len(m2) + 2) + m2 + b"\0\0", err("PN_ERR_GRAPH_FRAME", 12, "Frame Payload"), src + " (decision G-7)")
    vec("frames_message_size_small", "frames", "frame whose message announces 4 bytes",
        u16(4) + u32(4), err("PN_ERR_GRAPH_SIZE", 0, "Message Size"), S + "3.1.5.2")

    vec("frames_message_too_big", "frames", "a message announcing 1 MiB (above PN_GRAPH_MSG_MAX_BYTES)",
        u16(8) + u32(1 << 20) + b"\x10\x0b\0\0", err("PN_ERR_GRAPH_TOO_BIG", 0, "Message Size"), "peernet limit")

    # --- write ---
    for f in os.listdir(HERE):
        if f.endswith(".hex"):
            os.remove(os.path.join(HERE, f))
    index = []
    for name, kind, desc, data, expect, source, extra in OUT:
        lines = ["# %s" % desc, "# kind: %s" % kind, "# expect: %s" % expect]
        if source:
            lines.append("# source: %s" % source)
        for k, v in extra.items():
            lines.append("# %s: %s" % (k, v))
        for i in range(0, len(data), 16):
            lines.append(data[i:i + 16].hex(" "))
        with open(os.path.join(HERE, name + ".hex"), "w") as fh:
            fh.write("\n".join(lines) + "\n")
        index.append(name + ".hex")
    with open(os.path.join(HERE, "INDEX"), "w") as fh:
        fh.write("\n".join(sorted(index)) + "\n")
    print("%d vectors" % len(OUT))


if __name__ == "__main__":
    main()
