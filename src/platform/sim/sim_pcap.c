/* Simulator capture: libpcap classic format, LINKTYPE_RAW (101), each record one IPv6
 * packet (RFC 8200) carrying UDP (RFC 768) or TCP (RFC 9293) with valid checksums
 * (RFC 8200 8.1 pseudo-header), so Wireshark dissects it like a real capture. */
#include "peernet/wire.h"
#include "sim_int.h"
#include "wire/pn_mem.h"

#define PCAP_LINKTYPE_RAW 101u
#define IP6_HDR           40u
#define UDP_HDR           8u
#define TCP_HDR           20u
#define REC_HDR           16u

void pn_sim_pcap_header(pn_sim *s)
{
    uint8_t h[24];
    if (s->cfg.pcap_write == NULL)
        return;
    pn_put_u32le(h, 0xa1b2c3d4u); /* microsecond timestamps, little-endian file */
    pn_put_u16le(h + 4, 2);
    pn_put_u16le(h + 6, 4);
    pn_put_u32le(h + 8, 0);  /* GMT offset */
    pn_put_u32le(h + 12, 0); /* timestamp accuracy */
    pn_put_u32le(h + 16, 65535);
    pn_put_u32le(h + 20, PCAP_LINKTYPE_RAW);
    s->cfg.pcap_write(s->cfg.pcap_ctx, h, sizeof h);
}

/* v / 1000 by shift-and-subtract: the library avoids 64-bit division helpers. */
static uint64_t div1000(uint64_t v, uint32_t *rem)
{
    uint64_t q = 0, r = 0;
    int i;
    for (i = 63; i >= 0; i--) {
        r = (r << 1) | ((v >> i) & 1u);
        if (r >= 1000u) {
            r -= 1000u;
            q |= (uint64_t)1 << i;
        }
    }
    *rem = (uint32_t)r;
    return q;
}

static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t len)
{
    size_t i;
    for (i = 0; i + 1 < len; i += 2)
        acc += pn_get_u16be(p + i);
    if (len & 1u)
        acc += (uint32_t)p[len - 1] << 8;
    return acc;
}

/* Internet checksum over the IPv6 pseudo-header and the transport segment at l4. */
static uint16_t l4_checksum(const uint8_t *ip6, const uint8_t *l4, size_t len, uint8_t nh)
{
    uint32_t acc = sum16(0, ip6 + 8, 32); /* source and destination addresses */
    acc += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffffu) + nh;
    acc = sum16(acc, l4, len);
    while (acc >> 16)
        acc = (acc & 0xffffu) + (acc >> 16);
    return (uint16_t)~acc;
}

/* Fill the record and IPv6 headers in the scratch buffer and hand the record out. */
static void finish(pn_sim *s, const pn_addr *src, const pn_addr *dst, uint8_t nh, size_t l4len)
{
    uint8_t *rec = s->scratch, *ip = rec + REC_HDR;
    uint32_t usec;
    uint64_t ms = (uint64_t)s->cfg.wall_epoch_ms + s->now;
    uint64_t sec = div1000(ms, &usec);
    size_t total = IP6_HDR + l4len;
    pn_put_u32le(rec, (uint32_t)sec);
    pn_put_u32le(rec + 4, usec * 1000u);
    pn_put_u32le(rec + 8, (uint32_t)total);
    pn_put_u32le(rec + 12, (uint32_t)total);
    pn_put_u32be(ip, 0x60000000u); /* version 6, no traffic class, no flow label */
    pn_put_u16be(ip + 4, (uint16_t)l4len);
    ip[6] = nh;
    ip[7] = 64;
    memcpy(ip + 8, src->ip, 16);
    memcpy(ip + 24, dst->ip, 16);
    s->cfg.pcap_write(s->cfg.pcap_ctx, rec, REC_HDR + total);
}

void pn_sim_pcap_udp(pn_sim *s, uint32_t src, uint16_t sport, const pn_addr *to,
                     const uint8_t *payload, size_t len)
{
    uint8_t *ip = s->scratch + REC_HDR, *udp = ip + IP6_HDR;
    pn_addr from;
    uint16_t ck;
    if (s->cfg.pcap_write == NULL)
        return;
    if (pn_sim_link_scoped(to->ip))
        pn_sim_link_addr_of(src, sport, &from);
    else
        pn_sim_addr_of(src, sport, &from);
    pn_put_u16be(udp, sport);
    pn_put_u16be(udp + 2, to->port);
    pn_put_u16be(udp + 4, (uint16_t)(UDP_HDR + len));
    pn_put_u16be(udp + 6, 0);
    if (len > 0)
        memcpy(udp + UDP_HDR, payload, len);
    memcpy(ip + 8, from.ip, 16);
    memcpy(ip + 24, to->ip, 16);
    ck = l4_checksum(ip, udp, UDP_HDR + len, 17);
    pn_put_u16be(udp + 6, ck == 0 ? 0xffffu : ck); /* RFC 768: zero is sent as all ones */
    finish(s, &from, to, 17, UDP_HDR + len);
}

void pn_sim_pcap_tcp(pn_sim *s, uint32_t ci, int side, uint8_t flags, uint32_t off, uint16_t len)
{
    uint8_t *ip = s->scratch + REC_HDR, *tcp = ip + IP6_HDR;
    const sim_conn *c = &s->conns[ci];
    const sim_dir *mine = &c->dir[side], *theirs = &c->dir[!side];
    pn_addr src, dst;
    uint32_t seq, ack = 0, win, b = s->cfg.tcp_buffer;
    uint8_t wire = (uint8_t)(flags & TCPF_WIRE);
    if (s->cfg.pcap_write == NULL)
        return;
    pn_sim_addr_of(c->end[side].node, c->end[side].port, &src);
    pn_sim_addr_of(c->end[!side].node, c->end[!side].port, &dst);
    /* The SYN carries the ISN and occupies one sequence number. */
    seq = (wire & TCPF_SYN) ? mine->isn : mine->isn + 1u + off;
    if (wire & TCPF_ACK)
        ack = theirs->isn + 1u + theirs->dlv + theirs->fin_dlv;
    win = b - (theirs->dlv - theirs->rd);
    if (win > 65535u)
        win = 65535u;
    pn_put_u16be(tcp, src.port);
    pn_put_u16be(tcp + 2, dst.port);
    pn_put_u32be(tcp + 4, seq);
    pn_put_u32be(tcp + 8, ack);
    tcp[12] = (uint8_t)((TCP_HDR / 4u) << 4);
    tcp[13] = wire;
    pn_put_u16be(tcp + 14, (uint16_t)win);
    pn_put_u16be(tcp + 16, 0);
    pn_put_u16be(tcp + 18, 0);
    if (len > 0) {
        uint32_t at = off % b, first = b - at < len ? b - at : len;
        const uint8_t *r = s->rings + ((size_t)ci * 2u + (size_t)side) * b;
        memcpy(tcp + TCP_HDR, r + at, first);
        memcpy(tcp + TCP_HDR + first, r, len - first);
    }
    memcpy(ip + 8, src.ip, 16);
    memcpy(ip + 24, dst.ip, 16);
    pn_put_u16be(tcp + 16, l4_checksum(ip, tcp, TCP_HDR + len, 6));
    finish(s, &src, &dst, 6, TCP_HDR + len);
}
