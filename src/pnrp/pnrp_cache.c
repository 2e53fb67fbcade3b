/* The Route Entry Cache (MS-PNRP 3.2.1, 3.2.1.1, 3.2.5.11).
 *
 * One flat caller-provided array.  An entry is either in the leaf set of a local ID
 * (the five nearest IDs above and the five below it, always kept: 3.2.1.1 requires the
 * cache to hold every leaf set) or in a level: level k holds entries whose distance to
 * the nearest local ID lies between a tenth and the whole of that of level k-1, so a
 * node knows the circle coarsely far away and finely near itself, and each LOOKUP hop
 * gains about one decimal digit (the Log10(n) bound of 3.2.1.1).  A level keeps at most
 * PN_PNRP_CACHE_LEVEL_CAP entries; when full, the entry whose nearest neighbour in the
 * level is closest goes, so that the entries stay spread (decision PE-2). */
#include "peernet/pnrp.h"
#include "wire/pn_mem.h"

static int ep_in(const uint8_t addr[16], uint16_t port, const pn_pnrp_endpoint *l, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (l[i].port == port && memcmp(l[i].addr, addr, 16) == 0)
            return 1;
    return 0;
}

#if PN_PNRP_ID_WORDS
/* IDs as four 64-bit words, most significant first: the scans below compare distances
 * on every message a node handles, so they work on words rather than bytes. */
typedef struct {
    uint64_t w[4];
} idw;

static inline idw idw_of(const pn_pnrp_id *a)
{
    idw r;
    r.w[0] = pn_get_u64be(a->b);
    r.w[1] = pn_get_u64be(a->b + 8);
    r.w[2] = pn_get_u64be(a->b + 16);
    r.w[3] = pn_get_u64be(a->b + 24);
    return r;
}

/* idw_of as a statement for the loops over the array: GCC keeps idw_of out of line
 * there (a 32-byte value through memory per entry). */
#define IDW_LOAD(r, id)                                                                            \
    do {                                                                                           \
        (r).w[0] = pn_get_u64be((id)->b);                                                          \
        (r).w[1] = pn_get_u64be((id)->b + 8);                                                      \
        (r).w[2] = pn_get_u64be((id)->b + 16);                                                     \
        (r).w[3] = pn_get_u64be((id)->b + 24);                                                     \
    } while (0)

static void idw_put(pn_pnrp_id *out, const idw *a)
{
    pn_put_u64be(out->b, a->w[0]);
    pn_put_u64be(out->b + 8, a->w[1]);
    pn_put_u64be(out->b + 16, a->w[2]);
    pn_put_u64be(out->b + 24, a->w[3]);
}

/* One word of a - b with the borrow in *c (0 or 1) taken and given. */
static inline uint64_t sub_w(uint64_t a, uint64_t b, uint64_t *c)
{
    uint64_t d = a - b, r = d - *c;
    *c = (uint64_t)(a < b) | (uint64_t)(d < *c);
    return r;
}

/* mod 2^256, written out word by word: inlined into the scans, where a loop kept the
 * result in memory and reloaded it (store forwarding stalls in the profile). */
static inline idw idw_sub(const idw *a, const idw *b)
{
    idw r;
    uint64_t c = 0;
    r.w[3] = sub_w(a->w[3], b->w[3], &c);
    r.w[2] = sub_w(a->w[2], b->w[2], &c);
    r.w[1] = sub_w(a->w[1], b->w[1], &c);
    r.w[0] = sub_w(a->w[0], b->w[0], &c);
    return r;
}

static inline int idw_cmp(const idw *a, const idw *b)
{
    if (a->w[0] != b->w[0])
        return a->w[0] < b->w[0] ? -1 : 1;
    if (a->w[1] != b->w[1])
        return a->w[1] < b->w[1] ? -1 : 1;
    if (a->w[2] != b->w[2])
        return a->w[2] < b->w[2] ? -1 : 1;
    if (a->w[3] != b->w[3])
        return a->w[3] < b->w[3] ? -1 : 1;
    return 0;
}

static inline int idw_eq(const idw *a, const idw *b)
{
    return ((a->w[0] ^ b->w[0]) | (a->w[1] ^ b->w[1]) | (a->w[2] ^ b->w[2]) |
            (a->w[3] ^ b->w[3])) == 0;
}

/* The shorter way round the circle (1.3.3), as pn_pnrp_id_distance. */
static inline idw idw_dist(const idw *a, const idw *b)
{
    idw d = idw_sub(a, b);
    if (d.w[0] > 0x8000000000000000u ||
        (d.w[0] == 0x8000000000000000u && (d.w[1] | d.w[2] | d.w[3]) != 0))
        d = idw_sub(b, a);
    return d;
}

/* Distance going up (dir > 0: id - from) or down (from - id), mod 2^256. */
static inline idw idw_side(const idw *from, const idw *id, int dir)
{
    return dir > 0 ? idw_sub(id, from) : idw_sub(from, id);
}

static const idw idw_max = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
#else
/* Distance going up (dir > 0: id - from) or down (from - id), mod 2^256. */
static void side_distance(pn_pnrp_id *out, const pn_pnrp_id *from, const pn_pnrp_id *id, int dir)
{
    if (dir > 0)
        pn_pnrp_id_sub(out, id, from);
    else
        pn_pnrp_id_sub(out, from, id);
}
#endif

/* floor(log10(2^255 / d)) approximately: the bit length gives log2 d, the next 15 bits
 * a linear estimate of its fraction; log10 2 = 19728 / 65536. */
static uint8_t level_of(const pn_pnrp_id *d)
{
    unsigned i, bitlen = 0, m;
    uint32_t l2, x;
    uint64_t lv;
    for (i = 0; i < PN_PNRP_ID_LEN; i++)
        if (d->b[i] != 0)
            break;
    if (i == PN_PNRP_ID_LEN)
        return 255;
    {
        unsigned top = d->b[i], z = 0;
        while ((top & 0x80) == 0) {
            top <<= 1;
            z++;
        }
        bitlen = (PN_PNRP_ID_LEN - i) * 8 - z;
    }
    /* 16 bits starting at the leading one. */
    {
        unsigned bit = 256 - bitlen; /* index of the leading one from the top */
        uint32_t w = 0;
        unsigned k;
        for (k = 0; k < 3; k++) {
            unsigned byte = bit / 8 + k;
            w = (w << 8) | (byte < PN_PNRP_ID_LEN ? d->b[byte] : 0);
        }
        m = (unsigned)((w >> (8 - (bit & 7))) & 0xFFFFu);
    }
    l2 = ((uint32_t)(bitlen - 1) << 16) + ((uint32_t)(m - 32768u) << 1);
    if (l2 >= (255u << 16))
        return 0;
    x = (255u << 16) - l2;
    lv = ((uint64_t)x * 19728u) >> 32;
    return lv > 254 ? 254 : (uint8_t)lv;
}

/* Distance from the nearest reference ID. */
#if PN_PNRP_ID_WORDS
static void ref_distance(const pn_pnrp_cache *c, const pn_pnrp_id *id, pn_pnrp_id *out)
{
    size_t i;
    idw best = idw_max, x = idw_of(id);
    for (i = 0; i < c->local_count; i++) {
        idw l = idw_of(&c->local[i]), d = idw_dist(&x, &l);
        if (idw_cmp(&d, &best) < 0)
            best = d;
    }
    idw_put(out, &best);
}
#else
static void ref_distance(const pn_pnrp_cache *c, const pn_pnrp_id *id, pn_pnrp_id *out)
{
    size_t i;
    pn_pnrp_id d;
    memset(out->b, 0xFF, sizeof out->b);
    for (i = 0; i < c->local_count; i++) {
        pn_pnrp_id_distance(&d, id, &c->local[i]);
        if (pn_pnrp_id_cmp(&d, out) < 0)
            *out = d;
    }
}
#endif

static uint8_t entry_level(const pn_pnrp_cache *c, const pn_pnrp_id *id)
{
    pn_pnrp_id d;
    if (c->local_count == 0)
        return 0;
    ref_distance(c, id, &d);
    return level_of(&d);
}

#if PN_PNRP_ID_WORDS
/* Keeps the LEAF_SIDE smallest distances seen, in order (ties keep the earlier). */
static void leaf_insert(idw *bd, size_t *best, size_t *nb, const idw *d, size_t i)
{
    size_t k;
    for (k = *nb; k > 0 && idw_cmp(d, &bd[k - 1]) < 0; k--) {
        if (k < PN_PNRP_LEAF_SIDE) {
            bd[k] = bd[k - 1];
            best[k] = best[k - 1];
        }
    }
    if (k < PN_PNRP_LEAF_SIDE) {
        bd[k] = *d;
        best[k] = i;
        if (*nb < PN_PNRP_LEAF_SIDE)
            (*nb)++;
    }
}

static void recompute_leaves(pn_pnrp_cache *c)
{
    /* One pass per local ID finds both sides: each entry is read once. */
    size_t i, l, k;
    for (i = 0; i < c->cap; i++)
        c->e[i].flags &= (uint8_t)~PN_PNRP_CE_LEAF;
    for (l = 0; l < c->local_count && !c->no_leaves; l++) {
        idw lw = idw_of(&c->local[l]);
        size_t bdn[PN_PNRP_LEAF_SIDE], bup[PN_PNRP_LEAF_SIDE], ndn = 0, nup = 0;
        idw ddn[PN_PNRP_LEAF_SIDE], dup[PN_PNRP_LEAF_SIDE];
        for (i = 0; i < c->cap; i++) {
            idw ew, d;
            if (!(c->e[i].flags & PN_PNRP_CE_USED))
                continue;
            IDW_LOAD(ew, &c->e[i].id);
            d = idw_sub(&lw, &ew);
            if (ndn < PN_PNRP_LEAF_SIDE || idw_cmp(&d, &ddn[PN_PNRP_LEAF_SIDE - 1]) < 0)
                leaf_insert(ddn, bdn, &ndn, &d, i);
            d = idw_sub(&ew, &lw);
            if (nup < PN_PNRP_LEAF_SIDE || idw_cmp(&d, &dup[PN_PNRP_LEAF_SIDE - 1]) < 0)
                leaf_insert(dup, bup, &nup, &d, i);
        }
        for (k = 0; k < ndn; k++)
            c->e[bdn[k]].flags |= PN_PNRP_CE_LEAF;
        for (k = 0; k < nup; k++)
            c->e[bup[k]].flags |= PN_PNRP_CE_LEAF;
        if (l < PN_PNRP_LOCAL_MAX && ndn == PN_PNRP_LEAF_SIDE && nup == PN_PNRP_LEAF_SIDE) {
            c->rim_down[l] = (uint8_t)bdn[PN_PNRP_LEAF_SIDE - 1];
            c->rim_up[l] = (uint8_t)bup[PN_PNRP_LEAF_SIDE - 1];
        }
    }
}
#else
static void recompute_leaves(pn_pnrp_cache *c)
{
    size_t i, l, k;
    int dir;
    for (i = 0; i < c->cap; i++)
        c->e[i].flags &= (uint8_t)~PN_PNRP_CE_LEAF;
    for (l = 0; l < c->local_count && !c->no_leaves; l++) {
        for (dir = -1; dir <= 1; dir += 2) {
            size_t best[PN_PNRP_LEAF_SIDE], nb = 0;
            pn_pnrp_id bd[PN_PNRP_LEAF_SIDE], d;
            for (i = 0; i < c->cap; i++) {
                if (!(c->e[i].flags & PN_PNRP_CE_USED))
                    continue;
                side_distance(&d, &c->local[l], &c->e[i].id, dir);
                for (k = nb; k > 0 && pn_pnrp_id_cmp(&d, &bd[k - 1]) < 0; k--) {
                    if (k < PN_PNRP_LEAF_SIDE) {
                        bd[k] = bd[k - 1];
                        best[k] = best[k - 1];
                    }
                }
                if (k < PN_PNRP_LEAF_SIDE) {
                    bd[k] = d;
                    best[k] = i;
                    if (nb < PN_PNRP_LEAF_SIDE)
                        nb++;
                }
            }
            for (k = 0; k < nb; k++)
                c->e[best[k]].flags |= PN_PNRP_CE_LEAF;
        }
    }
}
#endif

int pn_pnrp_cache_init(pn_pnrp_cache *c, pn_pnrp_cache_entry *entries, size_t cap)
{
    /* Decision PORT-7: PN_PNRP_CACHE_MAX bounds the cache (every scan is linear in it). */
    if (c == NULL || entries == NULL || cap < 2 * PN_PNRP_LEAF_SIDE + 1 || cap > PN_PNRP_CACHE_MAX)
        return PN_ERR_ARG;
    memset(c, 0, sizeof *c);
    memset(entries, 0, cap * sizeof *entries);
    c->e = entries;
    c->cap = cap;
    return PN_OK;
}

void pn_pnrp_cache_set_local(pn_pnrp_cache *c, const pn_pnrp_id *local, size_t n)
{
    size_t i;
    c->local = local;
    c->local_count = n;
    for (i = 0; i < c->cap; i++)
        if ((c->e[i].flags & PN_PNRP_CE_USED))
            c->e[i].level = entry_level(c, &c->e[i].id);
    recompute_leaves(c);
    c->trim_due = 1;
}

#if PN_PNRP_ID_WORDS
pn_pnrp_cache_entry *pn_pnrp_cache_find(pn_pnrp_cache *c, const pn_pnrp_id *id)
{
    /* Equality needs no byte order: the first eight bytes as a native word settle
     * nearly every entry, the rest is compared only when they match. */
    size_t i;
    uint64_t x0, e0;
    memcpy(&x0, id->b, 8);
    for (i = 0; i < c->cap; i++) {
        if (!(c->e[i].flags & PN_PNRP_CE_USED))
            continue;
        memcpy(&e0, c->e[i].id.b, 8);
        if (e0 == x0 && memcmp(c->e[i].id.b + 8, id->b + 8, PN_PNRP_ID_LEN - 8) == 0)
            return &c->e[i];
    }
    return NULL;
}
#else
pn_pnrp_cache_entry *pn_pnrp_cache_find(pn_pnrp_cache *c, const pn_pnrp_id *id)
{
    size_t i;
    for (i = 0; i < c->cap; i++)
        if ((c->e[i].flags & PN_PNRP_CE_USED) && pn_pnrp_id_cmp(&c->e[i].id, id) == 0)
            return &c->e[i];
    return NULL;
}
#endif

#if PN_PNRP_ID_WORDS
int pn_pnrp_cache_in_leaf_range(const pn_pnrp_cache *c, const pn_pnrp_id *id)
{
    /* An entry equal to id is as far as id, never nearer, so it needs no test of its
     * own; the count stops as soon as a leaf set's worth of nearer entries is seen. */
    size_t i, l;
    int dir;
    idw d, di, x = idw_of(id);
    for (l = 0; l < c->local_count && !c->no_leaves; l++) {
        idw lw = idw_of(&c->local[l]);
        if (idw_eq(&x, &lw))
            continue;
        if (c->count < PN_PNRP_LEAF_SIDE)
            return 1; /* fewer entries than a leaf set: none can be a fifth nearer one */
        if (l < PN_PNRP_LOCAL_MAX && c->cap <= 256) {
            /* Fewer than LEAF_SIDE entries are nearer exactly when id is no farther
             * than the LEAF_SIDE-th nearest entry on that side, the rim. */
            idw rw = idw_of(&c->e[c->rim_down[l]].id);
            d = idw_sub(&lw, &x);
            di = idw_sub(&lw, &rw);
            if (idw_cmp(&d, &di) <= 0)
                return 1;
            rw = idw_of(&c->e[c->rim_up[l]].id);
            d = idw_sub(&x, &lw);
            di = idw_sub(&rw, &lw);
            if (idw_cmp(&d, &di) <= 0)
                return 1;
            continue;
        }
        for (dir = -1; dir <= 1; dir += 2) {
            size_t nearer = 0;
            d = idw_side(&lw, &x, dir);
            for (i = 0; i < c->cap && nearer < PN_PNRP_LEAF_SIDE; i++) {
                idw ew;
                if (!(c->e[i].flags & PN_PNRP_CE_USED))
                    continue;
                IDW_LOAD(ew, &c->e[i].id);
                di = idw_side(&lw, &ew, dir);
                nearer += idw_cmp(&di, &d) < 0;
            }
            if (nearer < PN_PNRP_LEAF_SIDE)
                return 1;
        }
    }
    return 0;
}
#else
int pn_pnrp_cache_in_leaf_range(const pn_pnrp_cache *c, const pn_pnrp_id *id)
{
    size_t i, l;
    int dir;
    pn_pnrp_id d, di;
    for (l = 0; l < c->local_count && !c->no_leaves; l++) {
        if (pn_pnrp_id_cmp(id, &c->local[l]) == 0)
            continue;
        for (dir = -1; dir <= 1; dir += 2) {
            size_t nearer = 0;
            side_distance(&d, &c->local[l], id, dir);
            for (i = 0; i < c->cap; i++) {
                if (!(c->e[i].flags & PN_PNRP_CE_USED) || pn_pnrp_id_cmp(&c->e[i].id, id) == 0)
                    continue;
                side_distance(&di, &c->local[l], &c->e[i].id, dir);
                if (pn_pnrp_id_cmp(&di, &d) < 0)
                    nearer++;
            }
            if (nearer < PN_PNRP_LEAF_SIDE)
                return 1;
        }
    }
    return 0;
}
#endif

/* Among the non-leaf entries of a level (and the candidate, index cap), the one whose
 * nearest neighbour in the level is closest; ties go to the older entry. */
#if PN_PNRP_ID_WORDS
/* Members of one level gathered on the stack (a level holds about LEVEL_CAP entries);
 * a larger one is measured by the general scan below. */
#define MR_GATHER (2 * PN_PNRP_CACHE_LEVEL_CAP + 2)

static size_t most_redundant_scan(const pn_pnrp_cache *c, uint8_t level, const pn_pnrp_id *cand)
{
    size_t i, j, worst = c->cap + 1;
    idw worst_gap = idw_max, d, gap, aw, bw;
    for (i = 0; i <= c->cap; i++) {
        const pn_pnrp_id *a;
        if (i < c->cap) {
            if (!(c->e[i].flags & PN_PNRP_CE_USED) || (c->e[i].flags & PN_PNRP_CE_LEAF) ||
                c->e[i].level != level)
                continue;
            a = &c->e[i].id;
        } else {
            a = cand;
        }
        gap = idw_max;
        aw = idw_of(a);
        for (j = 0; j <= c->cap; j++) {
            const pn_pnrp_id *b;
            if (j == i)
                continue;
            if (j < c->cap) {
                if (!(c->e[j].flags & PN_PNRP_CE_USED) || (c->e[j].flags & PN_PNRP_CE_LEAF) ||
                    c->e[j].level != level)
                    continue;
                b = &c->e[j].id;
            } else {
                b = cand;
            }
            bw = idw_of(b);
            d = idw_dist(&aw, &bw);
            if (idw_cmp(&d, &gap) < 0)
                gap = d;
        }
        if (idw_cmp(&gap, &worst_gap) < 0 || (idw_cmp(&gap, &worst_gap) == 0 && worst < c->cap &&
                                              i < c->cap && c->e[i].stamp < c->e[worst].stamp)) {
            worst_gap = gap;
            worst = i;
        }
    }
    return worst;
}

static size_t most_redundant(const pn_pnrp_cache *c, uint8_t level, const pn_pnrp_id *cand)
{
    /* The same choice as most_redundant_scan, in the same order (members by index, the
     * candidate last), with each pair's distance computed once. */
    idw w[MR_GATHER], gap[MR_GATHER], d, worst_gap = idw_max;
    size_t ix[MR_GATHER], m = 0, a, b, worst = c->cap + 1;
    for (a = 0; a < c->cap; a++) {
        if (!(c->e[a].flags & PN_PNRP_CE_USED) || (c->e[a].flags & PN_PNRP_CE_LEAF) ||
            c->e[a].level != level)
            continue;
        if (m == MR_GATHER - 1)
            return most_redundant_scan(c, level, cand);
        ix[m] = a;
        IDW_LOAD(w[m], &c->e[a].id);
        m++;
    }
    ix[m] = c->cap;
    w[m++] = idw_of(cand);
    for (a = 0; a < m; a++)
        gap[a] = idw_max;
    for (a = 0; a < m; a++)
        for (b = a + 1; b < m; b++) {
            d = idw_dist(&w[a], &w[b]);
            if (idw_cmp(&d, &gap[a]) < 0)
                gap[a] = d;
            if (idw_cmp(&d, &gap[b]) < 0)
                gap[b] = d;
        }
    for (a = 0; a < m; a++) {
        int r = idw_cmp(&gap[a], &worst_gap);
        if (r < 0 ||
            (r == 0 && worst < c->cap && ix[a] < c->cap && c->e[ix[a]].stamp < c->e[worst].stamp)) {
            worst_gap = gap[a];
            worst = ix[a];
        }
    }
    return worst;
}
#else
static size_t most_redundant(const pn_pnrp_cache *c, uint8_t level, const pn_pnrp_id *cand)
{
    size_t i, j, worst = c->cap + 1;
    pn_pnrp_id worst_gap, d, gap;
    memset(worst_gap.b, 0xFF, sizeof worst_gap.b);
    for (i = 0; i <= c->cap; i++) {
        const pn_pnrp_id *a;
        if (i < c->cap) {
            if (!(c->e[i].flags & PN_PNRP_CE_USED) || (c->e[i].flags & PN_PNRP_CE_LEAF) ||
                c->e[i].level != level)
                continue;
            a = &c->e[i].id;
        } else {
            a = cand;
        }
        memset(gap.b, 0xFF, sizeof gap.b);
        for (j = 0; j <= c->cap; j++) {
            const pn_pnrp_id *b;
            if (j == i)
                continue;
            if (j < c->cap) {
                if (!(c->e[j].flags & PN_PNRP_CE_USED) || (c->e[j].flags & PN_PNRP_CE_LEAF) ||
                    c->e[j].level != level)
                    continue;
                b = &c->e[j].id;
            } else {
                b = cand;
            }
            pn_pnrp_id_distance(&d, a, b);
            if (pn_pnrp_id_cmp(&d, &gap) < 0)
                gap = d;
        }
        if (pn_pnrp_id_cmp(&gap, &worst_gap) < 0 ||
            (pn_pnrp_id_cmp(&gap, &worst_gap) == 0 && worst < c->cap && i < c->cap &&
             c->e[i].stamp < c->e[worst].stamp)) {
            worst_gap = gap;
            worst = i;
        }
    }
    return worst;
}
#endif

static size_t level_count(const pn_pnrp_cache *c, uint8_t level)
{
    size_t i, n = 0;
    for (i = 0; i < c->cap; i++)
        n += (c->e[i].flags & PN_PNRP_CE_USED) && !(c->e[i].flags & PN_PNRP_CE_LEAF) &&
             c->e[i].level == level;
    return n;
}

/* A victim when the array is full: from the most crowded level, the most redundant. */
static size_t victim_for_space(const pn_pnrp_cache *c, const pn_pnrp_id *cand)
{
    uint16_t counts[256];
    size_t i, best = 0;
    uint8_t lv = 0;
    memset(counts, 0, sizeof counts);
    for (i = 0; i < c->cap; i++)
        if ((c->e[i].flags & PN_PNRP_CE_USED) && !(c->e[i].flags & PN_PNRP_CE_LEAF))
            counts[c->e[i].level]++;
    for (i = 0; i < 256; i++)
        if (counts[i] > best) {
            best = counts[i];
            lv = (uint8_t)i;
        }
    if (best == 0)
        return c->cap;
    i = most_redundant(c, lv, cand);
    if (i >= c->cap) { /* the candidate is not in that level: take the oldest there */
        uint32_t oldest = UINT32_MAX;
        size_t k;
        for (k = 0; k < c->cap; k++)
            if ((c->e[k].flags & PN_PNRP_CE_USED) && !(c->e[k].flags & PN_PNRP_CE_LEAF) &&
                c->e[k].level == lv && c->e[k].stamp <= oldest) {
                oldest = c->e[k].stamp;
                i = k;
            }
    }
    return i;
}

static void drop(pn_pnrp_cache *c, size_t i)
{
    memset(&c->e[i], 0, sizeof c->e[i]);
    c->count--;
    c->evicted++;
}

/* After the leaf sets changed, an entry that left a leaf set may overfill its level. */
static void trim_levels(pn_pnrp_cache *c)
{
    uint16_t counts[256]; /* non-leaf entries per level, kept up to date as entries go */
    size_t i;
    memset(counts, 0, sizeof counts);
    for (i = 0; i < c->cap; i++)
        if ((c->e[i].flags & PN_PNRP_CE_USED) && !(c->e[i].flags & PN_PNRP_CE_LEAF))
            counts[c->e[i].level]++;
    for (i = 0; i < c->cap; i++) {
        const pn_pnrp_cache_entry *e = &c->e[i];
        if ((e->flags & PN_PNRP_CE_USED) && !(e->flags & PN_PNRP_CE_LEAF) &&
            counts[e->level] > PN_PNRP_CACHE_LEVEL_CAP) {
            size_t v = most_redundant(c, e->level, &e->id);
            counts[e->level]--; /* v (or i) is a non-leaf entry of that level */
            drop(c, v < c->cap ? v : i);
        }
    }
    /* Every level is within its cap now: most_redundant, asked with an entry's own ID as
     * the candidate, finds a zero gap first at that entry (IDs in the cache are
     * distinct), so each step drops the entry it stands on and one pass suffices. */
    c->trim_due = 0;
}

int pn_pnrp_cache_add(pn_pnrp_cache *c, const pn_pnrp_id *id, const uint8_t addr[16], uint16_t port)
{
    pn_pnrp_cache_entry *e;
    size_t i, slot = c->cap;
    uint8_t level;
    int leaf;
    for (i = 0; i < c->local_count; i++)
        if (pn_pnrp_id_cmp(id, &c->local[i]) == 0)
            return PN_ERR_EXISTS;
    e = pn_pnrp_cache_find(c, id);
    if (e != NULL) {
        memcpy(e->addr, addr, 16);
        e->port = port;
        e->stamp = ++c->clock;
        return 0;
    }
    level = entry_level(c, id);
    leaf = pn_pnrp_cache_in_leaf_range(c, id);
    if (!leaf && level_count(c, level) >= PN_PNRP_CACHE_LEVEL_CAP) {
        size_t v = most_redundant(c, level, id);
        if (v >= c->cap) {
            c->rejected++;
            return PN_ERR_NOMEM;
        }
        drop(c, v);
    }
    for (i = 0; i < c->cap; i++)
        if (!(c->e[i].flags & PN_PNRP_CE_USED)) {
            slot = i;
            break;
        }
    if (slot == c->cap) {
        size_t v = victim_for_space(c, id);
        if (v >= c->cap) {
            c->rejected++;
            return PN_ERR_NOMEM;
        }
        drop(c, v);
        slot = v;
    }
    e = &c->e[slot];
    memset(e, 0, sizeof *e);
    e->flags |= PN_PNRP_CE_USED;
    e->id = *id;
    memcpy(e->addr, addr, 16);
    e->port = port;
    e->level = level;
    e->stamp = ++c->clock;
    c->count++;
    /* Leaf sets change only when the newcomer joins one: an entry outside the leaf
     * range has a leaf set's worth of nearer entries on every side, and the victims
     * above are never leaves. */
    if (leaf) {
        recompute_leaves(c);
        c->trim_due = 1;
    }
    /* Without it every level is within its cap here: the newcomer's level had room or
     * lost its most redundant entry above. */
    if (c->trim_due)
        trim_levels(c);
    return leaf ? 2 : 1;
}

int pn_pnrp_cache_remove(pn_pnrp_cache *c, const pn_pnrp_id *id)
{
    pn_pnrp_cache_entry *e = pn_pnrp_cache_find(c, id);
    int was_leaf;
    if (e == NULL)
        return 0;
    was_leaf = (e->flags & PN_PNRP_CE_LEAF) != 0;
    memset(e, 0, sizeof *e);
    c->count--;
    if (was_leaf) { /* a non-leaf entry going leaves every leaf set as it was */
        recompute_leaves(c);
        c->trim_due = 1;
    }
    return 1;
}

#if PN_PNRP_ID_WORDS
size_t pn_pnrp_cache_closest(const pn_pnrp_cache *c, const pn_pnrp_id *target,
                             const pn_pnrp_endpoint *skip, size_t n_skip,
                             const pn_pnrp_id *closer_than, const pn_pnrp_cache_entry **out,
                             size_t max)
{
    /* Each entry's distance to the target is computed once and kept next to the
     * entries chosen so far (callers ask for a few; more than 8 are compared afresh). */
    idw limit, d, od[8], t = idw_of(target), ew;
    size_t i, k, n = 0;
    if (closer_than != NULL) {
        ew = idw_of(closer_than);
        limit = idw_dist(&t, &ew);
    }
    for (i = 0; i < c->cap && max > 0; i++) {
        const pn_pnrp_cache_entry *e = &c->e[i];
        if (!(e->flags & PN_PNRP_CE_USED))
            continue;
        if (n == max && n <= 8) {
            /* With a full list, the top words often settle it: with a = e0 - t0, the
             * top word of the distance is at least a - 1 going up and ~a going down
             * (the borrow of the lower words moves it by at most one). */
            uint64_t a = pn_get_u64be(e->id.b) - t.w[0];
            uint64_t lb = a == 0 ? 0 : a - 1 < ~a ? a - 1 : ~a;
            if (lb > od[n - 1].w[0])
                continue;
        }
        IDW_LOAD(ew, &e->id);
        d = idw_dist(&t, &ew);
        /* Both filters only drop entries; the cheaper distance tests go first. */
        if (closer_than != NULL && idw_cmp(&d, &limit) >= 0)
            continue;
        if (n == max && n <= 8 && idw_cmp(&d, &od[n - 1]) >= 0)
            continue;
        if (ep_in(e->addr, e->port, skip, n_skip))
            continue;
        for (k = n; k > 0; k--) {
            idw ok;
            if (k - 1 < 8) {
                ok = od[k - 1];
            } else {
                IDW_LOAD(ew, &out[k - 1]->id);
                ok = idw_dist(&t, &ew);
            }
            if (idw_cmp(&d, &ok) >= 0)
                break;
            if (k < max) {
                out[k] = out[k - 1];
                if (k < 8)
                    od[k] = ok;
            }
        }
        if (k < max) {
            out[k] = e;
            if (k < 8)
                od[k] = d;
            if (n < max)
                n++;
        }
    }
    return n;
}
#else
size_t pn_pnrp_cache_closest(const pn_pnrp_cache *c, const pn_pnrp_id *target,
                             const pn_pnrp_endpoint *skip, size_t n_skip,
                             const pn_pnrp_id *closer_than, const pn_pnrp_cache_entry **out,
                             size_t max)
{
    size_t i, k, n = 0;
    for (i = 0; i < c->cap && max > 0; i++) {
        const pn_pnrp_cache_entry *e = &c->e[i];
        if (!(e->flags & PN_PNRP_CE_USED) || ep_in(e->addr, e->port, skip, n_skip))
            continue;
        if (closer_than != NULL && pn_pnrp_id_closer(target, &e->id, closer_than) >= 0)
            continue;
        for (k = n; k > 0 && pn_pnrp_id_closer(target, &e->id, &out[k - 1]->id) < 0; k--)
            if (k < max)
                out[k] = out[k - 1];
        if (k < max) {
            out[k] = e;
            if (n < max)
                n++;
        }
    }
    return n;
}
#endif

#if PN_PNRP_ID_WORDS
const pn_pnrp_cache_entry *pn_pnrp_cache_neighbour(const pn_pnrp_cache *c, const pn_pnrp_id *id,
                                                   int dir, int rank, const pn_pnrp_endpoint *skip,
                                                   size_t n_skip)
{
    const pn_pnrp_cache_entry *best[8];
    idw bd[8], d, x = idw_of(id);
    size_t i, k, nb = 0, want = (size_t)(rank < 0 ? 0 : rank > 7 ? 7 : rank) + 1;
    for (i = 0; i < c->cap; i++) {
        const pn_pnrp_cache_entry *e = &c->e[i];
        idw ew;
        if (!(e->flags & PN_PNRP_CE_USED))
            continue;
        IDW_LOAD(ew, &e->id);
        if (idw_eq(&ew, &x) || ep_in(e->addr, e->port, skip, n_skip))
            continue;
        d = idw_side(&x, &ew, dir);
        for (k = nb; k > 0 && idw_cmp(&d, &bd[k - 1]) < 0; k--)
            if (k < want) {
                bd[k] = bd[k - 1];
                best[k] = best[k - 1];
            }
        if (k < want) {
            bd[k] = d;
            best[k] = e;
            if (nb < want)
                nb++;
        }
    }
    return nb == want ? best[want - 1] : NULL;
}
#else
const pn_pnrp_cache_entry *pn_pnrp_cache_neighbour(const pn_pnrp_cache *c, const pn_pnrp_id *id,
                                                   int dir, int rank, const pn_pnrp_endpoint *skip,
                                                   size_t n_skip)
{
    const pn_pnrp_cache_entry *best[8];
    pn_pnrp_id bd[8], d;
    size_t i, k, nb = 0, want = (size_t)(rank < 0 ? 0 : rank > 7 ? 7 : rank) + 1;
    for (i = 0; i < c->cap; i++) {
        const pn_pnrp_cache_entry *e = &c->e[i];
        if (!(e->flags & PN_PNRP_CE_USED) || pn_pnrp_id_cmp(&e->id, id) == 0 ||
            ep_in(e->addr, e->port, skip, n_skip))
            continue;
        side_distance(&d, id, &e->id, dir);
        for (k = nb; k > 0 && pn_pnrp_id_cmp(&d, &bd[k - 1]) < 0; k--)
            if (k < want) {
                bd[k] = bd[k - 1];
                best[k] = best[k - 1];
            }
        if (k < want) {
            bd[k] = d;
            best[k] = e;
            if (nb < want)
                nb++;
        }
    }
    return nb == want ? best[want - 1] : NULL;
}
#endif
