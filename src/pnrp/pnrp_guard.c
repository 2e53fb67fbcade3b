/* Defence of the PNRP node engine (include/peernet/pnrp_guard.h): token buckets per
 * source in a fixed hashed table, and the per-source quotas the node applies to its own
 * tables (src/pnrp/pnrp_guard_int.h).  Decisions PE-30 to PE-35. */
#include "pnrp_guard_int.h"

#include "peernet/hash.h"
#include "wire/pn_mem.h"

enum { SETS = PN_PNRP_GUARD_SLOTS / PN_PNRP_GUARD_WAYS, CLAMP_MS = 60000, UNIT = 64 };

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void pn_pnrp_guard_init(pn_pnrp_guard *g, const uint8_t key[16], uint64_t now)
{
    size_t i;
    memset(g, 0, sizeof *g);
    for (i = 0; i < 4; i++)
        g->key[i] = rd32(key + 4 * i);
    g->crypto = (uint32_t)PN_PNRP_RATE_CRYPTO_BURST * UNIT;
    g->crypto_seen = (uint32_t)now;
}

/* A keyed mix of the address: the attacker does not know which addresses share a set,
 * nor which collide on a tag.  Never 0 (0 marks a free slot). */
static uint32_t tag_of(const pn_pnrp_guard *g, const uint8_t addr[16])
{
    uint32_t h = g->key[0];
    size_t i;
    for (i = 0; i < 4; i++) {
        h = (h ^ rd32(addr + 4 * i) ^ g->key[(i + 1) & 3]) * 0x9E3779B1u;
        h ^= h >> 15;
        h *= 0x85EBCA77u;
        h ^= h >> 13;
    }
    h ^= g->key[3];
    return h ? h : 1;
}

/* Tokens (1/64 units) after dt ms at rate per second, capped at burst. */
static uint32_t refill(uint32_t tokens, uint32_t dt, uint32_t rate, uint32_t burst)
{
    uint32_t add;
    if (tokens >= burst * UNIT || dt >= CLAMP_MS || dt * rate >= burst * 1000u)
        return burst * UNIT;
    /* dt * rate is milli-tokens (below 1,000,000): times 64/1000 ~ 131/2048. */
    add = (dt * rate * 131u) >> 11;
    return tokens + add >= burst * UNIT ? burst * UNIT : tokens + add;
}

static pn_pnrp_guard_slot *lookup(const pn_pnrp_guard *g, uint32_t tag)
{
    const pn_pnrp_guard_slot *s = &g->slots[(tag % (uint32_t)SETS) * PN_PNRP_GUARD_WAYS];
    size_t i;
    for (i = 0; i < PN_PNRP_GUARD_WAYS; i++)
        if (s[i].tag == tag)
            return (pn_pnrp_guard_slot *)(uintptr_t)&s[i];
    return NULL;
}

const pn_pnrp_guard_slot *pn_pnrp_guard_find(const pn_pnrp_guard *g, const uint8_t addr[16])
{
    return lookup(g, tag_of(g, addr));
}

static pn_pnrp_guard_slot *slot_for(pn_pnrp_guard *g, uint64_t now, const uint8_t addr[16])
{
    uint32_t tag = tag_of(g, addr), t = (uint32_t)now;
    pn_pnrp_guard_slot *s = lookup(g, tag), *set, *victim = NULL;
    size_t i;
    if (s != NULL) {
        uint32_t dt = t - s->seen; /* modulo 2^32: fine across the wrap */
        s->msg = (uint16_t)refill(s->msg, dt, PN_PNRP_RATE_MSG_PER_S, PN_PNRP_RATE_MSG_BURST);
        s->work = (uint16_t)refill(s->work, dt, PN_PNRP_RATE_WORK_PER_S, PN_PNRP_RATE_WORK_BURST);
        s->seen = t;
        return s;
    }
    /* A free slot of the set first, else its least recently seen one (decision PE-30). */
    set = &g->slots[(tag % (uint32_t)SETS) * PN_PNRP_GUARD_WAYS];
    for (i = 0; i < PN_PNRP_GUARD_WAYS; i++) {
        if (set[i].tag == 0) {
            victim = &set[i];
            break;
        }
        if (victim == NULL || t - set[i].seen > t - victim->seen)
            victim = &set[i];
    }
    if (victim->tag != 0)
        g->replaced++;
    victim->tag = tag;
    victim->seen = t;
    victim->msg = (uint16_t)(PN_PNRP_RATE_MSG_BURST * UNIT);
    victim->work = (uint16_t)(PN_PNRP_RATE_WORK_BURST * UNIT);
    return victim;
}

int pn_pnrp_guard_charge(pn_pnrp_guard *g, uint64_t now, const uint8_t addr[16], int kind)
{
    pn_pnrp_guard_slot *s = slot_for(g, now, addr);
    if (kind == PN_PNRP_GUARD_MSG) {
        if (s->msg < UNIT)
            return PN_PNRP_GUARD_SOURCE;
        s->msg = (uint16_t)(s->msg - UNIT);
        return PN_PNRP_GUARD_OK;
    }
    if (s->work < UNIT)
        return PN_PNRP_GUARD_SOURCE;
    if (kind == PN_PNRP_GUARD_CRYPTO) {
        g->crypto = refill(g->crypto, (uint32_t)now - g->crypto_seen, PN_PNRP_RATE_CRYPTO_PER_S,
                           PN_PNRP_RATE_CRYPTO_BURST);
        g->crypto_seen = (uint32_t)now;
        if (g->crypto < UNIT)
            return PN_PNRP_GUARD_GLOBAL;
        g->crypto -= UNIT;
    }
    s->work = (uint16_t)(s->work - UNIT);
    return PN_PNRP_GUARD_OK;
}

/* ---- per-source quotas on the node's tables ------------------------------------------- */
void pn_pnrp_guard_key(const uint8_t seed[32], uint8_t key[16])
{
    uint8_t h[20];
    pn_sha1_ctx c;
    /* A hash of the DRBG seed, so that the node's random stream is left as it was. */
    pn_sha1_init(&c);
    pn_sha1_update(&c, "pnrp-guard", 10);
    pn_sha1_update(&c, seed, 32);
    pn_sha1_final(&c, h);
    memcpy(key, h, 16);
}

int pn_pnrp_guard_adds_ok(const pn_pnrp_add *adds, size_t n, const pn_pnrp_endpoint *src)
{
    size_t i, held = 0;
    for (i = 0; i < n; i++)
        if (adds[i].used && memcmp(adds[i].src.addr, src->addr, 16) == 0)
            held++;
    return held < PN_PNRP_ADDS_PER_SOURCE;
}

int pn_pnrp_guard_reasm_ok(const pn_pnrp_reasm *ra, const uint8_t addr[16], uint16_t port,
                           uint32_t msg_id)
{
    size_t i, held = 0;
    for (i = 0; i < PN_PNRP_REASSEMBLY_SLOTS; i++) {
        const pn_pnrp_reasm_slot *s = &ra->slots[i];
        if (!s->used || memcmp(s->addr, addr, 16) != 0)
            continue;
        if (s->msg_id == msg_id && s->port == port)
            return 1; /* a fragment of a reassembly it already has */
        held++;
    }
    return held < PN_PNRP_REASM_PER_SOURCE;
}
