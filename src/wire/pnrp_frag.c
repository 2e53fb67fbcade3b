/* AUTHORITY_BUFFER fragmentation (MS-PNRP 3.2.5.10) and reassembly (3.1.5.6).
 *
 * Fragments sit at multiples of 1188 bytes and every one but the last is exactly 1188
 * bytes long (the decoder enforces both), so a fragment is identified by its index and
 * two fragments can only overlap by being the same fragment again.  A repeated fragment
 * with the same bytes is a harmless duplicate; one with different bytes means two
 * senders disagree, and the reassembly is dropped rather than letting either win. */
#include "wire/pnrp_int.h"

size_t pn_pnrp_fragment_count(size_t len)
{
    size_t n = 0;
    /* Repeated subtraction: no division helper on small targets, and len <= 37348. */
    while (len > PN_PNRP_FRAGMENT_LEN) {
        len -= PN_PNRP_FRAGMENT_LEN;
        n++;
    }
    return n + 1;
}

int pn_pnrp_fragment_encode(uint32_t msg_id, uint32_t acked_id, const uint8_t *ab_buf,
                            size_t ab_len, size_t index, uint8_t *buf, size_t cap, size_t *needed)
{
    pn_pnrp_authority a;
    size_t off;
    if (ab_buf == NULL || ab_len == 0 || ab_len > PN_PNRP_AUTHORITY_MAX_SIZE ||
        index >= pn_pnrp_fragment_count(ab_len))
        return PN_ERR_ARG;
    off = index * PN_PNRP_FRAGMENT_LEN;
    a.acked_id = acked_id;
    a.size = (uint16_t)ab_len;
    a.offset = (uint16_t)off;
    a.fragment.p = ab_buf + off;
    a.fragment.len = ab_len - off > PN_PNRP_FRAGMENT_LEN ? PN_PNRP_FRAGMENT_LEN : ab_len - off;
    return pn_pnrp_encode_authority(msg_id, &a, buf, cap, needed);
}

void pn_pnrp_reasm_init(pn_pnrp_reasm *ra, uint32_t timeout_ms)
{
    memset(ra, 0, sizeof *ra);
    ra->timeout_ms = timeout_ms != 0 ? timeout_ms : PN_PNRP_REASSEMBLY_TIMEOUT_MS;
}

int pn_pnrp_reasm_expire(pn_pnrp_reasm *ra, uint64_t now)
{
    int n = 0;
    size_t i;
    for (i = 0; i < PN_PNRP_REASSEMBLY_SLOTS; i++) {
        if (ra->slots[i].used && now >= ra->slots[i].deadline) {
            ra->slots[i].used = 0;
            n++;
        }
    }
    return n;
}

uint64_t pn_pnrp_reasm_next_deadline(const pn_pnrp_reasm *ra)
{
    uint64_t best = UINT64_MAX;
    size_t i;
    for (i = 0; i < PN_PNRP_REASSEMBLY_SLOTS; i++)
        if (ra->slots[i].used && ra->slots[i].deadline < best)
            best = ra->slots[i].deadline;
    return best;
}

static uint32_t all_bits(size_t nfrag)
{
    return nfrag >= 32 ? 0xFFFFFFFFu : (((uint32_t)1 << nfrag) - 1);
}

static int drop(pn_pnrp_reasm *ra, int err)
{
    ra->dropped++;
    return err;
}

int pn_pnrp_reasm_input(pn_pnrp_reasm *ra, uint64_t now, const uint8_t addr[16], uint16_t port,
                        uint32_t msg_id, const pn_pnrp_authority *frag, const uint8_t **out,
                        size_t *out_len)
{
    pn_pnrp_reasm_slot *s = NULL, *free_slot = NULL;
    size_t i, k, len = frag->fragment.len, off = frag->offset;
    *out = NULL;
    *out_len = 0;
    /* The same checks the decoder makes, for callers that build the struct themselves. */
    if (frag->fragment.p == NULL || len == 0 || len > PN_PNRP_FRAGMENT_LEN ||
        frag->size > PN_PNRP_AUTHORITY_MAX_SIZE || off % PN_PNRP_FRAGMENT_LEN != 0 ||
        (off + len < frag->size && len != PN_PNRP_FRAGMENT_LEN))
        return drop(ra, PN_ERR_PNRP_SPLIT);
    pn_pnrp_reasm_expire(ra, now);
    /* 3.1.5.6: a fragment that is the whole buffer needs no reassembly. */
    if (off == 0 && len == frag->size) {
        *out = frag->fragment.p;
        *out_len = len;
        return 1;
    }
    /* Look up (Message ID, source address, port). */
    for (i = 0; i < PN_PNRP_REASSEMBLY_SLOTS; i++) {
        pn_pnrp_reasm_slot *c = &ra->slots[i];
        if (!c->used) {
            if (free_slot == NULL)
                free_slot = c;
            continue;
        }
        if (c->msg_id == msg_id && c->port == port && memcmp(c->addr, addr, 16) == 0) {
            s = c;
            break;
        }
    }
    if (s != NULL) {
        /* 3.1.5.6: beyond Size, or a Size that differs, deletes the state. */
        if (off + len > s->size || frag->size != s->size) {
            s->used = 0;
            return drop(ra, PN_ERR_PNRP_SPLIT);
        }
    } else {
        if (off + len > frag->size)
            return drop(ra, PN_ERR_PNRP_SPLIT);
        if (frag->size > PN_PNRP_REASSEMBLY_BYTES)
            return drop(ra, PN_ERR_NOMEM);
        if (free_slot == NULL)
            return drop(ra, PN_ERR_NOMEM); /* never evict live state for a newcomer */
        s = free_slot;
        memset(s, 0, sizeof *s - sizeof s->buf);
        s->used = 1;
        memcpy(s->addr, addr, 16);
        s->port = port;
        s->msg_id = msg_id;
        s->acked_id = frag->acked_id;
        s->size = frag->size;
        s->deadline = now + ra->timeout_ms;
    }
    k = 0;
    for (i = off; i > 0; i -= PN_PNRP_FRAGMENT_LEN)
        k++;
    if (s->have & ((uint32_t)1 << k)) {
        if (memcmp(s->buf + off, frag->fragment.p, len) != 0) {
            s->used = 0;
            return drop(ra, PN_ERR_PNRP_REASM);
        }
        return 0; /* duplicate */
    }
    memcpy(s->buf + off, frag->fragment.p, len);
    s->have |= (uint32_t)1 << k;
    if (s->have != all_bits(pn_pnrp_fragment_count(s->size)))
        return 0;
    /* Complete: hand the buffer out; the slot is free for reuse after this call. */
    s->used = 0;
    *out = s->buf;
    *out_len = s->size;
    return 1;
}
