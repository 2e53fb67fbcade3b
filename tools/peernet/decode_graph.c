/* `peernet decode graph`: print an MS-PPGRH message field by field (section 2 names). */
#include "decode_graph.h"

#include <inttypes.h>
#include <string.h>

#include "peernet/graph_wire.h"
#include "peernet/wire.h"

static void guid(FILE *out, const char *name, const pn_graph_guid *g, const char *ind)
{
    char t[PN_GRAPH_GUID_STRLEN];
    pn_graph_guid_format(g, t);
    fprintf(out, "%s%s: %s\n", ind, name, t);
}

static void hexdump(FILE *out, const char *name, const uint8_t *p, size_t n, const char *ind)
{
    size_t i;
    fprintf(out, "%s%s (%zu bytes):", ind, name, n);
    for (i = 0; i < n && i < 64; i++)
        fprintf(out, " %02x", p[i]);
    fprintf(out, "%s\n", n > 64 ? " ..." : "");
}

static void str8(FILE *out, const char *name, const pn_graph_str8 *s, const char *ind)
{
    if (s->p == NULL)
        fprintf(out, "%s%s: (absent)\n", ind, name);
    else
        fprintf(out, "%s%s: \"%.*s\"\n", ind, name, (int)s->len, (const char *)s->p);
}

static void str16(FILE *out, const char *name, const pn_graph_str16 *s, const char *ind)
{
    static char buf[4 * 65536];
    if (s->count == 0) {
        fprintf(out, "%s%s: (absent)\n", ind, name);
        return;
    }
    if (pn_graph_str16_to_utf8(s, buf, sizeof buf, NULL) < 0)
        snprintf(buf, sizeof buf, "(not printable)");
    fprintf(out, "%s%s (%" PRIu32 " chars): \"%s\"\n", ind, name, s->count, buf);
}

static void in6_list(FILE *out, const pn_graph_array *a, const char *ind)
{
    uint32_t i;
    fprintf(out, "%sAddress Count: %" PRIu32 "\n", ind, a->n);
    if (a->n == 0)
        fprintf(out, "%sAddress Offset (empty array): %s%" PRIu32 "\n", ind,
                a->off == PN_GRAPH_OFF_END ? "Message Size = " : "", a->off);
    for (i = 0; i < a->n; i++) {
        pn_graph_in6 x;
        int k;
        pn_graph_in6_get(a, i, &x);
        fprintf(out, "%s  [%" PRIu32 "] PEER_IN6_ADDRESS [", ind, i);
        for (k = 0; k < 16; k += 2)
            fprintf(out, "%s%02x%02x", k ? ":" : "", x.addr[k], x.addr[k + 1]);
        fprintf(out, "]:%u\n", x.port);
    }
}

static void peer_addr_list(FILE *out, const pn_graph_array *a, const char *ind)
{
    uint32_t i;
    fprintf(out, "%sNumber of Addresses: %" PRIu32 "\n", ind, a->n);
    for (i = 0; i < a->n; i++) {
        pn_graph_peer_addr x;
        int k;
        pn_graph_peer_addr_get(a, i, &x);
        fprintf(out, "%s  [%" PRIu32 "] PEER_ADDRESS [", ind, i);
        for (k = 0; k < 16; k += 2)
            fprintf(out, "%s%02x%02x", k ? ":" : "", x.addr[k], x.addr[k + 1]);
        fprintf(out, "]:%u flow %" PRIu32 "\n", x.port, x.flow_info);
    }
}

static void types_list(FILE *out, const pn_graph_array *a, const char *ind)
{
    uint32_t i;
    for (i = 0; i < a->n; i++) {
        pn_graph_guid g;
        char t[PN_GRAPH_GUID_STRLEN];
        pn_graph_guid_get(a, i, &g);
        pn_graph_guid_format(&g, t);
        fprintf(out, "%s  Record Type [%" PRIu32 "]: %s\n", ind, i, t);
    }
}

static void abstracts(FILE *out, const pn_graph_array *a, const char *ind)
{
    uint32_t i;
    fprintf(out, "%sRecord Abstract Count: %" PRIu32 "\n", ind, a->n);
    for (i = 0; i < a->n; i++) {
        pn_graph_abstract x;
        char t[PN_GRAPH_GUID_STRLEN];
        pn_graph_abstract_get(a, i, &x);
        pn_graph_guid_format(&x.id, t);
        fprintf(out, "%s  [%" PRIu32 "] RECORD_ABSTRACT Record ID %s Version %" PRIu32 "\n", ind, i,
                t, x.version);
    }
}

static void attributes(FILE *out, const pn_graph_str16 *xml, const char *ind)
{
    static const char *const tn[] = {"?", "string", "int", "date"};
    size_t pos = 0;
    pn_graph_attr a;
    str16(out, "Attributes", xml, ind);
    while (xml->count > 0 && pn_graph_attrs_next(xml, &pos, &a) == 1) {
        char name[64], value[1024];
        size_t i;
        for (i = 0; i < a.name.count && i < sizeof name - 1; i++)
            name[i] = (char)pn_graph_str16_unit(&a.name, i);
        name[i] = '\0';
        if (pn_graph_attr_value_utf8(&a, value, sizeof value, NULL) < 0)
            snprintf(value, sizeof value, "(long)");
        fprintf(out, "%s  attribute name=\"%s\" type=%s value=\"%s\"\n", ind, name, tn[a.type],
                value);
    }
}

static void payload(FILE *out, const pn_graph_record *r, const char *ind)
{
    if (r->flags & PN_GRAPH_RECORD_DELETED)
        return;
    if (pn_graph_guid_eq(&r->type, &pn_graph_type_graph_info)) {
        pn_graph_info g;
        if (pn_graph_info_decode(r->payload, r->payload_len, NULL, &g, NULL) != PN_OK)
            return;
        fprintf(out, "%sGraph Info:\n", ind);
        fprintf(out, "%s  Flags: 0x%08" PRIx32 "%s\n", ind, g.flags,
                g.flags & PN_GRAPH_INFO_DEFER_EXPIRATION ? " (Deferred Expiration)" : "");
        fprintf(out, "%s  Scope: %" PRIu32 "\n", ind, g.scope);
        str16(out, "Graph ID", &g.graph_id, "    ");
        str16(out, "Creator ID", &g.creator_id, "    ");
        str16(out, "Friendly Name", &g.friendly_name, "    ");
        str16(out, "Comment", &g.comment, "    ");
        fprintf(out, "%s  Presence Lifetime: %" PRIu32 "\n", ind, g.presence_lifetime);
        fprintf(out, "%s  Max Presence Records: %" PRIu32 "\n", ind, g.max_presence);
        fprintf(out, "%s  Max Record Size: %" PRIu32 "\n", ind, g.max_record_size);
    } else if (pn_graph_guid_eq(&r->type, &pn_graph_type_signature)) {
        uint64_t s;
        if (pn_graph_signature_decode(r->payload, r->payload_len, NULL, &s, NULL) == PN_OK)
            fprintf(out, "%sSignature: 0x%016" PRIx64 "\n", ind, s);
    } else if (pn_graph_guid_eq(&r->type, &pn_graph_type_contact)) {
        pn_graph_contact c;
        if (pn_graph_contact_decode(r->payload, r->payload_len, NULL, &c, NULL) != PN_OK)
            return;
        fprintf(out, "%sContact:\n%s  Signature: 0x%016" PRIx64 "\n%s  Node ID: 0x%016" PRIx64 "\n",
                ind, ind, c.signature, ind, c.node_id);
        peer_addr_list(out, &c.addrs, "    ");
    } else if (pn_graph_guid_eq(&r->type, &pn_graph_type_presence)) {
        pn_graph_presence p;
        if (pn_graph_presence_decode(r->payload, r->payload_len, NULL, &p, NULL) != PN_OK)
            return;
        fprintf(out, "%sPresence:\n%s  Node ID: 0x%016" PRIx64 "\n", ind, ind, p.node_id);
        str16(out, "Attributes", &p.attributes, "    ");
        peer_addr_list(out, &p.addrs, "    ");
    } else if (r->payload_len > 0) {
        hexdump(out, "Payload Data", r->payload, r->payload_len, ind);
    }
}

static void record(FILE *out, const pn_graph_record *r)
{
    const char *ind = "  ";
    fprintf(out, "PEER_RECORD:\n");
    guid(out, "Record Type", &r->type, ind);
    guid(out, "Record ID", &r->id, ind);
    fprintf(out, "  Record Version: %" PRIu32 "\n", r->version);
    fprintf(out, "  Flags: 0x%02x%s\n", r->flags,
            r->flags & PN_GRAPH_RECORD_DELETED ? " (Deleted)" : "");
    str16(out, "Creator ID", &r->creator_id, ind);
    str16(out, "Last Modified By ID", &r->last_modified_by, ind);
    if (r->security_len > 0)
        hexdump(out, "Security Data", r->security, r->security_len, ind);
    else
        fprintf(out, "  Security Data Size: 0\n");
    fprintf(out, "  Creation Time: %" PRIu64 " (unix ms %" PRId64 ")\n", r->creation_time,
            pn_graph_filetime_to_unix_ms(r->creation_time));
    fprintf(out, "  Expiration Time: %" PRIu64 " (unix ms %" PRId64 ")\n", r->expiration_time,
            pn_graph_filetime_to_unix_ms(r->expiration_time));
    fprintf(out, "  Last Modification Time: %" PRIu64 " (unix ms %" PRId64 ")\n",
            r->modification_time, pn_graph_filetime_to_unix_ms(r->modification_time));
    str16(out, "Graph ID", &r->graph_id, ind);
    fprintf(out, "  Protocol Version: 0x%04x\n", PN_GRAPH_RECORD_PROTOCOL);
    fprintf(out, "  Payload Data Size: %" PRIu32 "\n", r->payload_len);
    payload(out, r, "  ");
    attributes(out, &r->attributes, ind);
}

/* The fixed part of each message, field by field (MS-PPGRH 2.2.2.x tables). */
typedef struct fixed_field {
    uint8_t type, off, size;
    const char *name;
} fixed_field;

static const fixed_field fixed[] = {
    {1, 8, 1, "Connection Type"},
    {1, 9, 1, "Reserved2"},
    {1, 10, 2, "Graph ID Offset"},
    {1, 12, 2, "Source Peer ID Offset"},
    {1, 14, 2, "Destination Peer ID Offset"},
    {2, 8, 1, "Flags"},
    {2, 9, 1, "Address Count"},
    {2, 10, 2, "Address Offset"},
    {2, 12, 2, "Friendly Name Offset"},
    {2, 14, 2, "Reserved2"},
    {2, 16, 8, "Source Node ID"},
    {3, 8, 8, "Node ID"},
    {3, 16, 8, "Peer Time"},
    {3, 24, 1, "Address Count"},
    {3, 25, 1, "Reserved2"},
    {3, 26, 2, "Address Offset"},
    {3, 28, 2, "Peer ID Offset"},
    {3, 30, 2, "Friendly Name Offset"},
    {4, 8, 1, "Error Code"},
    {4, 9, 1, "Address Count"},
    {4, 10, 2, "Address Offset"},
    {5, 8, 1, "Reason"},
    {5, 9, 1, "Address Count"},
    {5, 10, 2, "Address Offset"},
    {6, 8, 1, "Inclusion Count"},
    {6, 9, 1, "Exclusion Count"},
    {6, 10, 2, "Record Types Offset"},
    {7, 8, 1, "Inclusion Count"},
    {7, 9, 1, "Exclusion Count"},
    {7, 10, 2, "Record Types Offset"},
    {7, 12, 8, "Modification Time"},
    {8, 8, 1, "Inclusion Count"},
    {8, 9, 1, "Exclusion Count"},
    {8, 10, 2, "Record Types Offset"},
    {8, 12, 4, "Hash Count"},
    {8, 16, 2, "Hash Entry Offset"},
    {8, 18, 2, "Reserved2"},
    {9, 8, 4, "Hash Entry Boundary Count"},
    {9, 12, 4, "Record Abstract Count"},
    {9, 16, 2, "Hash Entry Boundary Offset"},
    {9, 18, 2, "Reserved2"},
    {9, 20, 4, "Record Abstracts Offset"},
    {10, 8, 4, "Record Abstract Count"},
    {10, 12, 4, "Record Abstracts Offset"},
    {11, 8, 2, "Record Offset"},
    {11, 10, 2, "Reserved2"},
    {12, 8, 1, "Flags"},
    {12, 9, 1, "Reserved2"},
    {12, 10, 2, "Reserved3"},
    {13, 8, 2, "Data Offset"},
    {13, 10, 2, "Reserved2"},
    {14, 8, 2, "ACKs Count"},
    {14, 10, 2, "ACKs Offset"},
};

static void print_fixed(FILE *out, const uint8_t *buf, uint8_t type)
{
    size_t i;
    fprintf(out, "Reserved: 0x%04x\n", pn_get_u16be(buf + 6));
    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        const fixed_field *f = &fixed[i];
        if (f->type != type)
            continue;
        if (f->size == 1)
            fprintf(out, "%s: %u (0x%02x)\n", f->name, buf[f->off], buf[f->off]);
        else if (f->size == 2)
            fprintf(out, "%s: %u\n", f->name, pn_get_u16be(buf + f->off));
        else if (f->size == 4)
            fprintf(out, "%s: %" PRIu32 "\n", f->name, pn_get_u32be(buf + f->off));
        else
            fprintf(out, "%s: 0x%016" PRIx64 "\n", f->name, pn_get_u64be(buf + f->off));
    }
}

int pn_decode_graph_print(const uint8_t *buf, size_t len, FILE *out)
{
    pn_graph_msg m;
    pn_graph_err e;
    int rc = pn_graph_msg_decode(buf, len, &m, &e);
    if (rc != PN_OK) {
        const char *n = pn_errname(rc);
        fprintf(out, "invalid: %s at offset %zu (%s): %s\n", n ? n : "PN_ERR_UNKNOWN", e.offset,
                e.field ? e.field : "-", pn_strerror(rc));
        return 1;
    }
    fprintf(out, "Message Size: %" PRIu32 "\nVersion: 0x%02x\nMessage Type: 0x%02x (%s)\n", m.size,
            PN_GRAPH_VERSION, m.type, pn_graph_msg_name(m.type));
    print_fixed(out, buf, m.type);
    fprintf(out, "-- decoded --\n");
    switch (m.type) {
    case PN_GRAPH_AUTH_INFO:
        fprintf(out, "Connection Type: %u (%s)\n", m.u.auth_info.conn_type,
                m.u.auth_info.conn_type == PN_GRAPH_CONN_DIRECT ? "direct" : "neighbor");
        str8(out, "Graph ID", &m.u.auth_info.graph_id, "");
        str8(out, "Source Peer ID", &m.u.auth_info.src_peer_id, "");
        str8(out, "Destination Peer ID", &m.u.auth_info.dst_peer_id, "");
        break;
    case PN_GRAPH_CONNECT:
        fprintf(out, "Flags: 0x%02x%s%s%s\n", m.u.connect.flags,
                m.u.connect.flags & PN_GRAPH_CONNECT_UPDATE ? " Update" : "",
                m.u.connect.flags & PN_GRAPH_CONNECT_DIRECT ? " Direct" : "",
                m.u.connect.flags & PN_GRAPH_CONNECT_NEIGHBORS ? " NeighborList" : "");
        fprintf(out, "Source Node ID: 0x%016" PRIx64 "\n", m.u.connect.node_id);
        in6_list(out, &m.u.connect.addrs, "");
        str8(out, "Friendly Name", &m.u.connect.friendly_name, "");
        break;
    case PN_GRAPH_WELCOME:
        fprintf(out, "Node ID: 0x%016" PRIx64 "\n", m.u.welcome.node_id);
        fprintf(out, "Peer Time: %" PRIu64 " (unix ms %" PRId64 ")\n", m.u.welcome.peer_time,
                pn_graph_filetime_to_unix_ms(m.u.welcome.peer_time));
        in6_list(out, &m.u.welcome.addrs, "");
        str8(out, "Peer ID", &m.u.welcome.peer_id, "");
        str8(out, "Friendly Name", &m.u.welcome.friendly_name, "");
        break;
    case PN_GRAPH_REFUSE:
    case PN_GRAPH_DISCONNECT:
        fprintf(out, "%s: %u\n", m.type == PN_GRAPH_REFUSE ? "Error Code" : "Reason",
                m.u.refuse.code);
        in6_list(out, &m.u.refuse.addrs, "");
        break;
    case PN_GRAPH_SOLICIT_NEW:
    case PN_GRAPH_SOLICIT_TIME:
    case PN_GRAPH_SOLICIT_HASH: {
        uint32_t i;
        fprintf(out, "Inclusion Count: %u\nExclusion Count: %u\n", m.u.solicit.inclusion,
                m.u.solicit.exclusion);
        if (m.type == PN_GRAPH_SOLICIT_TIME)
            fprintf(out, "Modification Time: %" PRIu64 "\n", m.u.solicit.mod_time);
        types_list(out, &m.u.solicit.types, "");
        if (m.type == PN_GRAPH_SOLICIT_HASH)
            fprintf(out, "Hash Count: %" PRIu32 "\n", m.u.solicit.hashes.n);
        for (i = 0; i < m.u.solicit.hashes.n; i++) {
            pn_graph_hash_info h;
            char t[PN_GRAPH_GUID_STRLEN];
            int k;
            pn_graph_hash_info_get(&m.u.solicit.hashes, i, &h);
            pn_graph_guid_format(&h.id, t);
            fprintf(out, "  [%" PRIu32 "] HASH_INFO_ENTRY Hash ", i);
            for (k = 0; k < 16; k++)
                fprintf(out, "%02x", h.hash[k]);
            fprintf(out, " Modification Time %" PRIu64 " Record ID %s\n", h.mod_time, t);
        }
        break;
    }
    case PN_GRAPH_ADVERTISE: {
        uint32_t i;
        fprintf(out, "Hash Entry Boundary Count: %" PRIu32 "\n", m.u.advertise.boundaries.n);
        for (i = 0; i < m.u.advertise.boundaries.n; i++) {
            pn_graph_boundary b;
            char lo[PN_GRAPH_GUID_STRLEN], hi[PN_GRAPH_GUID_STRLEN];
            pn_graph_boundary_get(&m.u.advertise.boundaries, i, &b);
            pn_graph_guid_format(&b.id_lower, lo);
            pn_graph_guid_format(&b.id_upper, hi);
            fprintf(out,
                    "  [%" PRIu32 "] HASH_ENTRY_BOUNDARY lower %" PRIu64 " %s upper %" PRIu64
                    " %s Count %" PRIu32 "\n",
                    i, b.mod_time_lower, lo, b.mod_time_upper, hi, b.count);
        }
        abstracts(out, &m.u.advertise.abstracts, "");
        break;
    }
    case PN_GRAPH_REQUEST:
        abstracts(out, &m.u.request.abstracts, "");
        break;
    case PN_GRAPH_FLOOD:
        record(out, &m.u.flood.rec);
        break;
    case PN_GRAPH_SYNC_END:
        fprintf(out, "Flags: 0x%02x%s\n", m.u.sync_end.flags,
                m.u.sync_end.flags & PN_GRAPH_SYNC_END_FINAL ? " (Final)" : "");
        break;
    case PN_GRAPH_PT2PT:
        guid(out, "Data Type", &m.u.pt2pt.data_type, "");
        if (pn_graph_guid_eq(&m.u.pt2pt.data_type, &pn_graph_type_ping))
            fprintf(out, "(Ping)\n");
        hexdump(out, "Payload Data", m.u.pt2pt.payload, m.u.pt2pt.payload_len, "");
        break;
    default: {
        uint32_t i;
        fprintf(out, "ACKs Count: %" PRIu32 "\n", m.u.ack.acks.n);
        for (i = 0; i < m.u.ack.acks.n; i++) {
            pn_graph_ack_entry a;
            char t[PN_GRAPH_GUID_STRLEN];
            pn_graph_ack_get(&m.u.ack.acks, i, &a);
            pn_graph_guid_format(&a.id, t);
            fprintf(out, "  [%" PRIu32 "] Record ID %s %s\n", i, t,
                    a.flags & PN_GRAPH_ACK_USEFUL ? "useful" : "not useful");
        }
        break;
    }
    }
    return 0;
}
