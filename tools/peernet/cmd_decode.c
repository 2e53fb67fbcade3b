/* peernet decode PROTOCOL [--hex] [--strict] FILE: decode one message and print every
 * field by name.  Exit 0 when valid, 1 with the error name and byte offset when not,
 * 2 on usage errors.  PROTOCOL is the first word so other protocols can be added.
 * `decode pnrp --pcap FILE` checks every PNRP datagram (UDP port 3540) of a capture
 * instead, such as the simulator's `--pcap` writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "decode_graph.h"
#include "peernet/opts.h"
#include "peernet/pnrp_wire.h"
#include "peernet/wire.h"

/* Room for the largest graph message (a FLOOD of the largest record) and any datagram. */
#define DECODE_MAX (PN_GRAPH_MSG_MAX_BYTES > 65536 ? PN_GRAPH_MSG_MAX_BYTES : 65536)

static int usage(void)
{
    fprintf(stderr, "usage: peernet decode pnrp [--hex] [--strict] FILE|-\n"
                    "       peernet decode pnrp --pcap [--strict] FILE|-\n"
                    "       peernet decode graph [--hex] FILE|-\n"
                    "  pnrp: FILE is one raw UDP payload; graph: one whole PEER_MESSAGE.\n"
                    "  '-' reads stdin.  Exit 0 when valid, 1 when not (error name and byte\n"
                    "  offset printed), 2 on usage errors.\n"
                    "  --hex     FILE is hex text (whitespace ignored, '#' starts a comment)\n"
                    "  --strict  also apply the sender rules (reserved bits and padding zero)\n"
                    "  --pcap    FILE is a libpcap capture (raw IPv6, IPv6, or Ethernet links):\n"
                    "            every UDP datagram from or to port 3540 is decoded (and the\n"
                    "            AUTHORITY_BUFFER of an unfragmented AUTHORITY); each invalid one\n"
                    "            is printed, then a count.  Exit 0 when there was at least one\n"
                    "            and all are valid, 1 otherwise or for a damaged capture.\n");
    return PN_EXIT_USAGE;
}

/* The file's length, -1 when it cannot be opened, -2 when it is larger than cap. */
static long read_all(const char *path, unsigned char *buf, size_t cap)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t n;
    long rc;
    if (f == NULL)
        return -1;
    n = fread(buf, 1, cap, f);
    rc = (n == cap && fgetc(f) != EOF) ? -2 : (long)n;
    if (f != stdin)
        fclose(f);
    return rc;
}

/* Hex text to bytes, in place; comments from '#' to the end of a line. */
static long unhex(unsigned char *buf, size_t len)
{
    size_t i, n = 0;
    int hi = -1, comment = 0;
    for (i = 0; i < len; i++) {
        int c = buf[i], v;
        if (comment) {
            comment = c != '\n';
            continue;
        }
        if (c == '#') {
            comment = 1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':')
            continue;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else
            return -1;
        if (hi < 0) {
            hi = v;
        } else {
            buf[n++] = (unsigned char)(hi << 4 | v);
            hi = -1;
        }
    }
    return hi < 0 ? (long)n : -1;
}

static void hex(const char *name, const uint8_t *p, size_t n)
{
    size_t i;
    printf("%s = ", name);
    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static void print_id(const char *name, const pn_pnrp_id *id)
{
    hex(name, id->b, sizeof id->b);
}

static void print_ip6(const uint8_t a[16])
{
    int i;
    for (i = 0; i < 16; i += 2)
        printf("%s%x", i ? ":" : "", (unsigned)(a[i] << 8 | a[i + 1]));
}

static void print_endpoint(const char *name, size_t i, const pn_pnrp_endpoint *e)
{
    printf("%s[%u] = [", name, (unsigned)i);
    print_ip6(e->addr);
    printf("]:%u\n", e->port);
}

static void print_route(const char *pfx, const pn_pnrp_route_entry *re)
{
    char name[96];
    size_t i;
    snprintf(name, sizeof name, "%s.pnrp_id", pfx);
    print_id(name, &re->id);
    printf("%s.port = %u\n%s.address_count = %u\n", pfx, re->port, pfx, re->addr_count);
    for (i = 0; i < re->addr_count; i++) {
        printf("%s.address[%u] = ", pfx, (unsigned)i);
        print_ip6(re->addrs[i]);
        printf("\n");
    }
}

static void print_ids(const char *pfx, const pn_pnrp_id_list *l)
{
    char name[64];
    size_t i;
    printf("%s.count = %u\n", pfx, l->count);
    for (i = 0; i < l->count; i++) {
        snprintf(name, sizeof name, "%s[%u]", pfx, (unsigned)i);
        print_id(name, &l->ids[i]);
    }
}

static void print_eps(const char *pfx, const pn_pnrp_endpoint_list *l)
{
    size_t i;
    printf("%s.count = %u\n", pfx, l->count);
    for (i = 0; i < l->count; i++)
        print_endpoint(pfx, i, &l->eps[i]);
}

static void print_sig(const char *pfx, const pn_pnrp_signature *s)
{
    char name[64];
    snprintf(name, sizeof name, "%s.signature.data", pfx);
    if (s->data != NULL)
        hex(name, s->data, PN_PNRP_SIG_DATA_LEN);
}

static void print_cpa(const char *pfx, const pn_pnrp_cpa *c)
{
    char name[96];
    size_t i;
    printf("%s.length = %u\n", pfx, (unsigned)c->raw.len);
    printf("%s.flags = 0x%02x%s%s%s%s%s%s\n", pfx, c->flags, c->flags & PN_PNRP_CPA_X ? " X" : "",
           c->flags & PN_PNRP_CPA_F ? " F" : "", c->flags & PN_PNRP_CPA_C ? " C" : "",
           c->flags & PN_PNRP_CPA_A ? " A" : "", c->flags & PN_PNRP_CPA_U ? " U" : "",
           c->flags & PN_PNRP_CPA_R ? " R" : "");
    printf("%s.not_after = %llu\n", pfx, (unsigned long long)c->not_after);
    snprintf(name, sizeof name, "%s.service_location", pfx);
    hex(name, c->service_loc, 16);
    snprintf(name, sizeof name, "%s.nonce", pfx);
    hex(name, c->nonce, 16);
    if (c->flags & PN_PNRP_CPA_A) {
        snprintf(name, sizeof name, "%s.binary_authority", pfx);
        hex(name, c->authority, 20);
    }
    if (c->flags & PN_PNRP_CPA_C) {
        snprintf(name, sizeof name, "%s.classifier_hash", pfx);
        hex(name, c->classifier_hash, 20);
    }
    if (c->flags & PN_PNRP_CPA_F) {
        snprintf(name, sizeof name, "%s.friendly_name", pfx);
        hex(name, c->friendly_name.p, c->friendly_name.len);
    }
    snprintf(name, sizeof name, "%s.service_address", pfx);
    printf("%s.service_address.count = %u\n", pfx, c->addr_count);
    for (i = 0; i < c->addr_count; i++)
        print_endpoint(name, i, &c->addrs[i]);
    printf("%s.num_payloads = %u\n", pfx, c->payload_count);
    for (i = 0; i < c->app_count && c->payload_count; i++) {
        printf("%s.payload.app_endpoint[%u] = [", pfx, (unsigned)i);
        print_ip6(c->apps[i].addr);
        printf("]:%u protocol %u\n", c->apps[i].port, c->apps[i].protocol);
    }
    snprintf(name, sizeof name, "%s.public_key.data", pfx);
    hex(name, c->pubkey.key_data, PN_PNRP_PUBKEY_DATA_LEN);
    print_sig(pfx, &c->sig);
}

static void print_xp(const pn_pnrp_ext_payload *x)
{
    printf("extended_payload.length = %u\n", (unsigned)x->raw.len);
    printf("extended_payload.not_after = %llu\n", (unsigned long long)x->not_after);
    print_id("extended_payload.pnrp_id", &x->id);
    hex("extended_payload.nonce", x->nonce, 16);
    printf("extended_payload.payload_type = 0x%08lx (%s)\n", (unsigned long)x->payload_type,
           x->payload_type == PN_PNRP_XP_STRING ? "string" : "binary");
    if (x->payload_type == PN_PNRP_XP_STRING)
        printf("extended_payload.string_type = %u (%s)\n", x->string_type,
               x->string_type == PN_PNRP_XP_UTF8 ? "UTF-8" : "UTF-16");
    hex("extended_payload.payload", x->data.p, x->data.len);
    print_sig("extended_payload", &x->sig);
}

static void print_buffer(const pn_pnrp_authority_buffer *ab)
{
    size_t i;
    printf("authority_buffer.flags = L %u B %u N %u%s\n", ab->flag_l, ab->flag_b, ab->flag_n,
           ab->flags_unpadded ? " (no padding)" : "");
    if (ab->has_cert_chain)
        hex("authority_buffer.cert_chain", ab->cert_chain.p, ab->cert_chain.len);
    if (ab->has_classifier) {
        printf("authority_buffer.classifier.count = %u\n", ab->classifier.count);
        printf("authority_buffer.classifier.units =");
        for (i = 0; i < ab->classifier.count; i++)
            printf(" %04x", pn_pnrp_classifier_unit(&ab->classifier, i));
        printf("\n");
    }
    if (ab->has_ext_payload)
        print_xp(&ab->ext_payload);
    if (ab->has_route)
        print_route("authority_buffer.route_entry", &ab->route);
    if (ab->has_cpa)
        print_cpa("authority_buffer.cpa", &ab->cpa);
}

static void print_msg(const pn_pnrp_msg *m)
{
    printf("header.message_type = %s (0x%02x)\n", pn_pnrp_msg_name(m->type), m->type);
    printf("header.message_id = 0x%08lx\n", (unsigned long)m->msg_id);
    switch (m->type) {
    case PN_PNRP_SOLICIT: {
        const pn_pnrp_solicit *s = &m->u.solicit;
        if (s->has_controls)
            printf("solicit_controls.solicit_type = %u (%s)\n", s->solicit_type,
                   s->solicit_type ? "LOCAL" : "ANY");
        if (s->has_route)
            print_route("route_entry", &s->route);
        hex("hashed_nonce", s->hashed_nonce, 20);
        break;
    }
    case PN_PNRP_ADVERTISE:
        printf("acked_message_id = 0x%08lx\n", (unsigned long)m->u.advertise.acked_id);
        print_ids("pnrp_id_array", &m->u.advertise.ids);
        hex("hashed_nonce", m->u.advertise.hashed_nonce, 20);
        break;
    case PN_PNRP_REQUEST:
        hex("nonce", m->u.request.nonce, 16);
        print_ids("pnrp_id_array", &m->u.request.ids);
        break;
    case PN_PNRP_FLOOD: {
        const pn_pnrp_flood *f = &m->u.flood;
        printf("flood_controls.d = %u\nflood_controls.reserved2 = 0x%02x\n", f->flag_d,
               f->reserved2);
        print_id("validate_pnrp_id", &f->validate);
        if (f->has_revoke)
            print_cpa("revoke_cpa", &f->revoke);
        if (f->has_route)
            print_route("route_entry", &f->route);
        print_eps("already_flooded", &f->flooded);
        break;
    }
    case PN_PNRP_INQUIRE: {
        const pn_pnrp_inquire *q = &m->u.inquire;
        printf("flags.a = %u\nflags.x = %u\nflags.c = %u\n", q->flag_a, q->flag_x, q->flag_c);
        print_id("validate_pnrp_id", &q->validate);
        if (q->has_nonce)
            hex("nonce", q->nonce, 16);
        break;
    }
    case PN_PNRP_AUTHORITY: {
        const pn_pnrp_authority *a = &m->u.authority;
        printf("acked_message_id = 0x%08lx\n", (unsigned long)a->acked_id);
        printf("split_controls.size = %u\nsplit_controls.offset = %u\n", a->size, a->offset);
        printf("buffer.length = %u\n", (unsigned)a->fragment.len);
        break;
    }
    case PN_PNRP_ACK:
        printf("acked_message_id = 0x%08lx\n", (unsigned long)m->u.ack.acked_id);
        if (m->u.ack.has_flags)
            printf("flags.n = %u\n", m->u.ack.flag_n);
        break;
    case PN_PNRP_LOOKUP: {
        const pn_pnrp_lookup *l = &m->u.lookup;
        printf("lookup_controls.a = %u\nlookup_controls.precision = %u\n", l->flag_a, l->precision);
        printf("lookup_controls.resolve_criteria = 0x%02x\n", l->criteria);
        printf("lookup_controls.resolve_reason = %u\n", l->reason);
        print_id("target_pnrp_id", &l->target);
        print_id("validate_pnrp_id", &l->validate);
        if (l->has_route)
            print_route("route_entry", &l->route);
        print_eps("flagged_path", &l->path);
        break;
    }
    default:
        break;
    }
}

static int report(const pn_pnrp_decode_error *e, size_t base)
{
    printf("invalid: %s at offset %u (%s): %s\n", pn_errname(e->code), (unsigned)(e->offset + base),
           e->field ? e->field : "?", pn_strerror(e->code));
    return PN_EXIT_FAIL;
}

/* An AUTHORITY whose one fragment is the whole AUTHORITY_BUFFER (that can be decoded). */
static int whole_authority(const pn_pnrp_msg *m)
{
    return m->type == PN_PNRP_AUTHORITY && m->u.authority.offset == 0 &&
           m->u.authority.fragment.len == m->u.authority.size;
}

static int decode_pnrp(const uint8_t *buf, size_t len, unsigned flags)
{
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    pn_pnrp_decode_error e;
    if (pn_pnrp_decode(buf, len, flags, &m, &e) != PN_OK)
        return report(&e, 0);
    print_msg(&m);
    if (m.type == PN_PNRP_AUTHORITY) {
        const pn_pnrp_authority *a = &m.u.authority;
        if (!whole_authority(&m)) {
            printf("buffer = fragment of a larger AUTHORITY_BUFFER (not decoded)\n");
        } else {
            /* An unfragmented AUTHORITY: its Buffer is the whole AUTHORITY_BUFFER. */
            size_t base = (size_t)(a->fragment.p - buf);
            if (pn_pnrp_authority_buffer_decode(a->fragment.p, a->fragment.len, flags, &ab, &e) !=
                PN_OK)
                return report(&e, base);
            print_buffer(&ab);
        }
    }
    printf("valid %s, %u bytes\n", pn_pnrp_msg_name(m.type), (unsigned)len);
    return PN_EXIT_OK;
}

/* ---- decode pnrp --pcap ---------------------------------------------------------- */
enum { LINK_ETHERNET = 1, LINK_RAW = 101, LINK_IPV6 = 229 };

/* One datagram quietly: 0 valid, -1 invalid (e says why, at offset *at of the payload). */
static int check_pnrp(const uint8_t *buf, size_t len, unsigned flags, pn_pnrp_decode_error *e,
                      size_t *at)
{
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    *at = 0;
    if (pn_pnrp_decode(buf, len, flags, &m, e) != PN_OK)
        return -1;
    if (whole_authority(&m)) {
        *at = (size_t)(m.u.authority.fragment.p - buf);
        if (pn_pnrp_authority_buffer_decode(m.u.authority.fragment.p, m.u.authority.fragment.len,
                                            flags, &ab, e) != PN_OK)
            return -1;
    }
    return 0;
}

/* The UDP payload of one captured packet when it is IPv6/UDP from or to port 3540 (the
 * extension headers a simulator or a PNRP node sends: none), else NULL. */
static const uint8_t *pnrp_payload(const uint8_t *pkt, size_t n, uint32_t link, size_t *len)
{
    size_t udp_len;
    if (link == LINK_ETHERNET) {
        if (n < 14 || pn_get_u16be(pkt + 12) != 0x86DD)
            return NULL;
        pkt += 14;
        n -= 14;
    }
    if (n < 48 || (pkt[0] >> 4) != 6 || pkt[6] != 17)
        return NULL;
    udp_len = pn_get_u16be(pkt + 44);
    if (udp_len < 8 || udp_len > n - 40)
        return NULL;
    if (pn_get_u16be(pkt + 40) != PN_PNRP_PORT && pn_get_u16be(pkt + 42) != PN_PNRP_PORT)
        return NULL;
    *len = udp_len - 8;
    return pkt + 48;
}

static uint32_t get32(const uint8_t *p, int swap)
{
    return swap ? pn_get_u32be(p) : pn_get_u32le(p);
}

static int decode_pcap(const uint8_t *buf, size_t n, unsigned flags)
{
    size_t off = 24, count = 0, bad = 0, rec = 0;
    uint32_t magic, link;
    int swap;
    if (n < 24) {
        fprintf(stderr, "peernet decode: not a pcap capture (%u bytes)\n", (unsigned)n);
        return PN_EXIT_FAIL;
    }
    magic = pn_get_u32le(buf);
    if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
        swap = 0;
    else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
        swap = 1;
    else {
        fprintf(stderr, "peernet decode: not a pcap capture (magic %08x)\n", (unsigned)magic);
        return PN_EXIT_FAIL;
    }
    link = get32(buf + 20, swap);
    if (link != LINK_RAW && link != LINK_IPV6 && link != LINK_ETHERNET) {
        fprintf(stderr, "peernet decode: link type %u not read (raw IPv6, IPv6, Ethernet)\n",
                (unsigned)link);
        return PN_EXIT_FAIL;
    }
    while (off < n) {
        uint32_t incl;
        const uint8_t *pl;
        size_t len, at;
        pn_pnrp_decode_error e;
        if (n - off < 16 || (incl = get32(buf + off + 8, swap)) > n - off - 16) {
            fprintf(stderr, "peernet decode: capture truncated in record %u (byte %u)\n",
                    (unsigned)rec + 1, (unsigned)off);
            return PN_EXIT_FAIL;
        }
        rec++;
        pl = pnrp_payload(buf + off + 16, incl, link, &len);
        off += 16 + incl;
        if (pl == NULL)
            continue;
        count++;
        if (check_pnrp(pl, len, flags, &e, &at) != 0) {
            bad++;
            printf("record %u: invalid: %s at byte %u: %s\n", (unsigned)rec,
                   e.field ? e.field : "?", (unsigned)(at + e.offset), pn_strerror(e.code));
        }
    }
    printf("%u PNRP datagrams in %u records: %u valid, %u invalid\n", (unsigned)count,
           (unsigned)rec, (unsigned)(count - bad), (unsigned)bad);
    return count > 0 && bad == 0 ? PN_EXIT_OK : PN_EXIT_FAIL;
}

/* A capture is read whole, however large. */
static int decode_pcap_file(const char *path, unsigned flags)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    int rc;
    if (f == NULL) {
        fprintf(stderr, "peernet decode: cannot read '%s'\n", path);
        return PN_EXIT_USAGE;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            uint8_t *nb = (uint8_t *)realloc(buf, cap ? 2 * cap : 65536);
            if (nb == NULL) {
                free(buf);
                if (f != stdin)
                    fclose(f);
                fprintf(stderr, "peernet decode: out of memory reading '%s'\n", path);
                return PN_EXIT_FAIL;
            }
            buf = nb;
            cap = cap ? 2 * cap : 65536;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (f != stdin)
        fclose(f);
    rc = decode_pcap(buf, n, flags);
    free(buf);
    return rc;
}

int pn_cmd_decode(int argc, char **argv)
{
    /* Hex text takes up to three characters per byte, plus comments. */
    static unsigned char buf[4 * DECODE_MAX];
    const char *proto, *path = NULL;
    int i, as_hex = 0, as_pcap = 0;
    unsigned flags = 0;
    long n;
    if (argc < 2)
        return usage();
    proto = argv[1];
    if (strcmp(proto, "--help") == 0 || strcmp(proto, "-h") == 0) {
        usage();
        return PN_EXIT_OK;
    }
    for (i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--hex") == 0)
            as_hex = 1;
        else if (strcmp(argv[i], "--pcap") == 0)
            as_pcap = 1;
        else if (strcmp(argv[i], "--strict") == 0)
            flags |= PN_PNRP_STRICT;
        else if (path == NULL && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
            path = argv[i];
        else
            return usage();
    }
    if (strcmp(proto, "pnrp") != 0 && strcmp(proto, "graph") != 0) {
        fprintf(stderr, "peernet decode: unknown protocol '%s'\n", proto);
        return usage();
    }
    if (path == NULL || (as_pcap && (as_hex || strcmp(proto, "pnrp") != 0)))
        return usage();
    if (as_pcap)
        return decode_pcap_file(path, flags);
    n = read_all(path, buf, sizeof buf);
    if (n < 0) {
        fprintf(stderr, "peernet decode: %s '%s'\n", n == -2 ? "input too large:" : "cannot read",
                path);
        return PN_EXIT_USAGE;
    }
    if (as_hex && (n = unhex(buf, (size_t)n)) < 0) {
        fprintf(stderr, "peernet decode: '%s' is not hex text\n", path);
        return PN_EXIT_USAGE;
    }
    if (strcmp(proto, "graph") == 0) {
        if (flags != 0) {
            fprintf(stderr, "peernet decode: --strict applies to pnrp only\n");
            return PN_EXIT_USAGE;
        }
        return pn_decode_graph_print(buf, (size_t)n, stdout) == 0 ? PN_EXIT_OK : PN_EXIT_FAIL;
    }
    return decode_pnrp(buf, (size_t)n, flags);
}
