/* Cloud split detection and repair (MS-PNRP 3.2.6.2.1, 3.2.6.2.1.1, 3.2.5.11.1). */
#include "peernet/pnrp_split.h"
#include "wire/pn_mem.h"

static uint32_t next_rand(pn_pnrp_split *s)
{
    /* xorshift32: only spreads the tests over time, nothing secret. */
    uint32_t x = s->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s->rng = x;
    return x;
}

void pn_pnrp_split_init(pn_pnrp_split *s, pn_pnrp_node *node, uint32_t rng_seed, uint64_t now)
{
    memset(s, 0, sizeof *s);
    s->node = node;
    s->rng = rng_seed != 0 ? rng_seed : 0x9e3779b9u;
    s->probe = -1;
    s->next_test = now + PN_PNRP_MAINTENANCE_MS;
}

/* 2^257 / d for a distance d (most significant byte first), below 2^32, else 0. */
static uint32_t size_of_gap(const pn_pnrp_id *d)
{
    size_t i = 0;
    unsigned bits, e;
    uint32_t top;
    uint8_t b[PN_PNRP_ID_LEN + 2];
    while (i < PN_PNRP_ID_LEN && d->b[i] == 0)
        i++;
    if (i == PN_PNRP_ID_LEN)
        return 0;
    bits = (unsigned)(PN_PNRP_ID_LEN - i) * 8;
    for (e = 0x80; (d->b[i] & e) == 0; e >>= 1)
        bits--;
    /* The top 16 bits of d, m in [2^15, 2^16): d ~ m * 2^(bits-16). */
    memset(b, 0, sizeof b);
    memcpy(b, d->b, PN_PNRP_ID_LEN);
    {
        unsigned shift = 256 - bits; /* leading zero bits */
        size_t byte = shift / 8;
        unsigned bit = shift % 8;
        uint32_t w = (uint32_t)b[byte] << 16 | (uint32_t)b[byte + 1] << 8 | b[byte + 2];
        top = (w >> (8 - bit)) & 0xffffu;
    }
    /* 2^257 / (m * 2^(bits-16)) = 2^(273-bits) / m, in 32-bit steps. */
    e = 273 - bits;
    if (e <= 31)
        return ((uint32_t)1 << e) / top;
    if (e <= 46)
        return ((uint32_t)1 << 31) / top << (e - 31);
    return 0;
}

uint32_t pn_pnrp_split_cloud_size(const pn_pnrp_node *n)
{
    const pn_pnrp_cache *c = pn_pnrp_node_cache(n);
    uint32_t sum = 0, count = 0, k;
    size_t i;
    for (i = 0; i < n->n_local_ids; i++) {
        const pn_pnrp_cache_entry *a = pn_pnrp_cache_neighbour(c, &n->local_ids[i], -1, 0, NULL, 0);
        const pn_pnrp_cache_entry *b = pn_pnrp_cache_neighbour(c, &n->local_ids[i], 1, 0, NULL, 0);
        pn_pnrp_id d;
        uint32_t est;
        if (a == NULL || b == NULL || a == b)
            continue;
        pn_pnrp_id_sub(&d, &b->id, &a->id);
        est = size_of_gap(&d);
        if (est == 0)
            continue;                   /* 2^32 or more: the same name registered many times */
        sum += est / PN_PNRP_LOCAL_MAX; /* kept below 2^32 */
        count++;
    }
    if (count == 0)
        return 0;
    /* The average over the IDs, then per node (each node holds n_local_ids IDs). */
    k = sum / count * PN_PNRP_LOCAL_MAX / (uint32_t)n->n_local_ids;
    return k > 0 ? k : 1;
}

static const pn_pnrp_endpoint *pick_seed(pn_pnrp_split *s)
{
    const pn_pnrp_node *n = s->node;
    size_t k, j;
    for (k = 0; k < n->cfg.seed_count; k++) {
        const pn_pnrp_endpoint *ep = &n->cfg.seeds[(s->seed_index + k) % n->cfg.seed_count];
        int local = 0;
        for (j = 0; j < n->cfg.local_count; j++)
            local |=
                ep->port == n->cfg.local[j].port && memcmp(ep->addr, n->cfg.local[j].addr, 16) == 0;
        if (!local) {
            /* 3.1.4.2.1: the seeds in turn. */
            s->seed_index = (uint8_t)((s->seed_index + k + 1) % n->cfg.seed_count);
            return ep;
        }
    }
    return NULL;
}

static void start_test(pn_pnrp_split *s, uint64_t now, size_t which)
{
    pn_pnrp_node *n = s->node;
    const pn_pnrp_endpoint *seed = pick_seed(s);
    pn_pnrp_id target;
    int h;
    if (seed == NULL || n->n_local_ids == 0)
        return;
    /* 3.2.6.2.1: a locally registered ID + 1. */
    target = n->local_ids[which % n->n_local_ids];
    pn_pnrp_id_inc(&target);
    /* The walk itself fills the cache, so the comparison of 3.2.5.11.1 is made with
     * what the cache knew before it (PE-60). */
    {
        const pn_pnrp_cache_entry *e[1];
        s->known_valid =
            (uint8_t)pn_pnrp_cache_closest(pn_pnrp_node_cache(n), &target, NULL, 0, NULL, e, 1);
        if (s->known_valid)
            s->known_best = e[0]->id;
    }
    h = pn_pnrp_node_split_probe(n, now, &target, seed, s);
    if (h >= 0) {
        s->probe = h;
        s->tests++;
    }
}

void pn_pnrp_split_tick(pn_pnrp_split *s, uint64_t now)
{
    pn_pnrp_node *n = s->node;
    if (s->repair_at != 0 && now >= s->repair_at) {
        /* The other piece is in the cache now: walk for every name through it. */
        s->repair_at = 0;
        pn_pnrp_node_reannounce(n, now);
    }
    if (now < s->next_test)
        return;
    if (s->repeat > 0) {
        /* 3.2.5.11.1: the test again for the other local IDs. */
        s->next_test = now + 1000;
        if (s->probe < 0) {
            s->repeat--;
            start_test(s, now, (size_t)s->repeat + 1);
        }
        return;
    }
    s->next_test = now + PN_PNRP_MAINTENANCE_MS;
    if (s->probe >= 0 || n->n_local_ids == 0 || n->cfg.seed_count == 0)
        return;
    {
        /* Roughly PN_PNRP_SPLIT_RATE tests per period over the whole cloud. */
        uint32_t size = pn_pnrp_split_cloud_size(n);
        if (size > PN_PNRP_SPLIT_RATE && next_rand(s) % size >= PN_PNRP_SPLIT_RATE)
            return;
    }
    start_test(s, now, next_rand(s));
}

uint64_t pn_pnrp_split_next_deadline(const pn_pnrp_split *s)
{
    if (s->repair_at != 0 && s->repair_at < s->next_test)
        return s->repair_at;
    return s->next_test;
}

static int is_local_id(const pn_pnrp_node *n, const pn_pnrp_id *id)
{
    size_t i;
    for (i = 0; i < n->n_local_ids; i++)
        if (pn_pnrp_id_cmp(&n->local_ids[i], id) == 0)
            return 1;
    return 0;
}

/* 3.2.5.11.1: what the best match the walk reached says about a split, measured
 * against the closest entry the cache knew when the test started (PE-60). */
static int classify(const pn_pnrp_split *s, const pn_pnrp_event *ev)
{
    int c;
    if (is_local_id(s->node, &ev->best_id))
        return PN_PNRP_SPLIT_NONE; /* the seed's side led back to us */
    if (!s->known_valid)
        return PN_PNRP_SPLIT_SMALLER; /* we knew nobody there: anything is news */
    if (pn_pnrp_id_cmp(&s->known_best, &ev->best_id) == 0)
        return PN_PNRP_SPLIT_NONE; /* both sides agree */
    c = pn_pnrp_id_closer(&ev->id, &s->known_best, &ev->best_id);
    /* We knew a closer node the seed's side did not reach: we are in the bigger piece;
     * the seed's side knows a closer node we did not: we are in the smaller one. */
    return c < 0 ? PN_PNRP_SPLIT_BIGGER : c > 0 ? PN_PNRP_SPLIT_SMALLER : PN_PNRP_SPLIT_NONE;
}

int pn_pnrp_split_event(pn_pnrp_split *s, uint64_t now, const pn_pnrp_event *ev)
{
    pn_pnrp_node *n = s->node;
    if (ev->type != PN_PNRP_EV_SPLIT_PROBE || ev->user != (void *)s || ev->handle != s->probe)
        return 0;
    s->probe = -1;
    if (!ev->best_valid) {
        s->no_answer++;
        return 1;
    }
    s->last = classify(s, ev);
    if (s->last == PN_PNRP_SPLIT_NONE) {
        s->none++;
    } else if (s->last == PN_PNRP_SPLIT_BIGGER) {
        s->bigger++;
    } else {
        /* The smaller piece repairs (PE-61): learn the other piece from the node the walk
         * found, then announce every name through it, and test the other IDs. */
        s->smaller++;
        if (pn_pnrp_node_solicit(n, now, &ev->best_ep) == PN_OK) {
            s->repairs++;
            s->repair_at = now + PN_PNRP_SPLIT_REPAIR_MS;
        }
        if (s->repeat == 0 && n->n_local_ids > 1)
            s->repeat = (uint8_t)(n->n_local_ids - 1);
    }
    return 1;
}
