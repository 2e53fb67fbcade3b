/* The Route Entry Cache scans exist twice: on 64-bit words (PN_PNRP_ID_WORDS, hosts;
 * the faster code the simulator runs) and byte by byte (small targets).  This file
 * compiles src/pnrp/pnrp_cache.c a second time with the byte code and its functions
 * renamed ref_cache_*, drives both with the same seeded operations, and requires the
 * same answer from every call and the same slots (flags, levels, stamps) after it.  On
 * a target that builds the byte code anyway both sides are the byte code. */
#include <string.h>

#include "peernet/pnrp.h"
#include "peernet/wire.h"
#include "pn_test.h"

int ref_cache_init(pn_pnrp_cache *c, pn_pnrp_cache_entry *entries, size_t cap);
void ref_cache_set_local(pn_pnrp_cache *c, const pn_pnrp_id *local, size_t n);
int ref_cache_in_leaf_range(const pn_pnrp_cache *c, const pn_pnrp_id *id);
int ref_cache_add(pn_pnrp_cache *c, const pn_pnrp_id *id, const uint8_t addr[16], uint16_t port);
int ref_cache_remove(pn_pnrp_cache *c, const pn_pnrp_id *id);
pn_pnrp_cache_entry *ref_cache_find(pn_pnrp_cache *c, const pn_pnrp_id *id);
size_t ref_cache_closest(const pn_pnrp_cache *c, const pn_pnrp_id *target,
                         const pn_pnrp_endpoint *skip, size_t n_skip, const pn_pnrp_id *closer_than,
                         const pn_pnrp_cache_entry **out, size_t max);
const pn_pnrp_cache_entry *ref_cache_neighbour(const pn_pnrp_cache *c, const pn_pnrp_id *id,
                                               int dir, int rank, const pn_pnrp_endpoint *skip,
                                               size_t n_skip);

#undef PN_PNRP_ID_WORDS
#define PN_PNRP_ID_WORDS            0
#define pn_pnrp_cache_init          ref_cache_init
#define pn_pnrp_cache_set_local     ref_cache_set_local
#define pn_pnrp_cache_in_leaf_range ref_cache_in_leaf_range
#define pn_pnrp_cache_add           ref_cache_add
#define pn_pnrp_cache_remove        ref_cache_remove
#define pn_pnrp_cache_find          ref_cache_find
#define pn_pnrp_cache_closest       ref_cache_closest
#define pn_pnrp_cache_neighbour     ref_cache_neighbour
#include "pnrp/pnrp_cache.c"
#undef pn_pnrp_cache_init
#undef pn_pnrp_cache_set_local
#undef pn_pnrp_cache_in_leaf_range
#undef pn_pnrp_cache_add
#undef pn_pnrp_cache_remove
#undef pn_pnrp_cache_find
#undef pn_pnrp_cache_closest
#undef pn_pnrp_cache_neighbour

static uint64_t cw_next(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Two caches fed alike: a (the build's own code) and b (the byte code). */
typedef struct cw_pair {
    pn_pnrp_cache a, b;
    pn_pnrp_cache_entry ea[PN_PNRP_CACHE_MAX], eb[PN_PNRP_CACHE_MAX];
    pn_pnrp_id la[4], lb[4];
    size_t cap;
    int grid; /* 1: IDs on a coarse grid, so that distances tie */
} cw_pair;

static void cw_id(cw_pair *p, uint64_t *x, pn_pnrp_id *id)
{
    size_t i;
    for (i = 0; i < 32; i += 8)
        pn_put_u64be(id->b + i, cw_next(x));
    if (p->grid) { /* 64 positions on the circle: gaps and distances repeat */
        memset(id->b + 1, 0, 31);
        id->b[0] &= 0xFC;
    }
}

/* An ID to ask about: random, a cached one, one near a cached or a local ID. */
static void cw_probe(cw_pair *p, uint64_t *x, pn_pnrp_id *id)
{
    uint64_t r = cw_next(x) % 8;
    size_t k = (size_t)(cw_next(x) % p->cap);
    cw_id(p, x, id);
    if (r < 3 && (p->ea[k].flags & PN_PNRP_CE_USED))
        *id = p->ea[k].id;
    else if (r < 5 && p->a.local_count > 0)
        *id = p->la[cw_next(x) % p->a.local_count];
    if (r == 1 || r == 4)
        id->b[31 - (cw_next(x) % 24)] ^= (uint8_t)(1 + cw_next(x) % 255);
}

static void cw_same_state(const cw_pair *p)
{
    /* The leaf flags and levels kept incrementally are what measuring afresh gives
     * (every third call: a wrong flag stays wrong until the next full measure). */
    static pn_pnrp_cache_entry fresh[300];
    static unsigned calls;
    pn_pnrp_cache f = p->b;
    if (calls++ % 3 == 0) {
        memcpy(fresh, p->eb, p->cap * sizeof fresh[0]);
        f.e = fresh;
        ref_cache_set_local(&f, p->b.local, p->b.local_count);
        ck_assert_mem_eq(fresh, p->eb, p->cap * sizeof fresh[0]);
    }
    /* An addition skips the level trim only while every level is within its cap. */
    if (!p->b.trim_due || !p->a.trim_due) {
        size_t lv[256], k;
        memset(lv, 0, sizeof lv);
        for (k = 0; k < p->cap; k++)
            if ((p->eb[k].flags & PN_PNRP_CE_USED) && !(p->eb[k].flags & PN_PNRP_CE_LEAF))
                lv[p->eb[k].level]++;
        for (k = 0; k < 256; k++)
            ck_assert_uint_le(lv[k], PN_PNRP_CACHE_LEVEL_CAP);
    }
    ck_assert_uint_eq(p->a.count, p->b.count);
    ck_assert_uint_eq(p->a.clock, p->b.clock);
    ck_assert_uint_eq(p->a.evicted, p->b.evicted);
    ck_assert_uint_eq(p->a.rejected, p->b.rejected);
    ck_assert_mem_eq(p->ea, p->eb, p->cap * sizeof p->ea[0]);
}

static void cw_set_local(cw_pair *p, uint64_t *x)
{
    size_t n = (size_t)(cw_next(x) % 5), i; /* 0: a resolve-only node's reference ID */
    for (i = 0; i < (n ? n : 1); i++) {
        cw_id(p, x, &p->la[i]);
        p->lb[i] = p->la[i];
    }
    p->a.no_leaves = p->b.no_leaves = (uint8_t)(n == 0);
    pn_pnrp_cache_set_local(&p->a, p->la, n ? n : 1);
    ref_cache_set_local(&p->b, p->lb, n ? n : 1);
}

/* adds: percent of operations that add (the next ten remove), so that some runs keep
 * the cache nearly empty and others full. */
static void cw_run(uint64_t seed, size_t cap, int grid, unsigned ops, unsigned adds)
{
    static cw_pair p;
    uint64_t x = seed;
    unsigned op;
    memset(&p, 0, sizeof p);
    p.cap = cap;
    p.grid = grid;
    ck_assert_int_eq(pn_pnrp_cache_init(&p.a, p.ea, cap), PN_OK);
    ck_assert_int_eq(ref_cache_init(&p.b, p.eb, cap), PN_OK);
    cw_set_local(&p, &x);
    for (op = 0; op < ops; op++) {
        pn_pnrp_id id, lim;
        /* adds, then 10 removes, 7 finds, 10 leaf-range tests, 10 closest, 6
         * neighbour, the rest new local IDs (out of 100 + adds - 55). */
        uint64_t r = cw_next(&x) % (100 + adds - 55);
        cw_probe(&p, &x, &id);
        if (r >= adds && r < adds + 10 && cw_next(&x) % 2 == 0 && p.a.count > 0) {
            /* remove a cached ID rather than a probe (which mostly is not cached) */
            size_t k = (size_t)(cw_next(&x) % cap);
            while (!(p.ea[k].flags & PN_PNRP_CE_USED))
                k = (k + 1) % cap;
            id = p.ea[k].id;
        }
        if (r < adds) {
            uint8_t addr[16] = {0x20, 0x01};
            memcpy(addr + 8, id.b, 8);
            ck_assert_int_eq(pn_pnrp_cache_add(&p.a, &id, addr, (uint16_t)(id.b[9] | 1)),
                             ref_cache_add(&p.b, &id, addr, (uint16_t)(id.b[9] | 1)));
        } else if (r < adds + 10) {
            ck_assert_int_eq(pn_pnrp_cache_remove(&p.a, &id), ref_cache_remove(&p.b, &id));
        } else if (r < adds + 17) {
            const pn_pnrp_cache_entry *fa = pn_pnrp_cache_find(&p.a, &id);
            const pn_pnrp_cache_entry *fb = ref_cache_find(&p.b, &id);
            ck_assert_int_eq(fa == NULL, fb == NULL);
            if (fa != NULL)
                ck_assert_int_eq(fa - p.ea, fb - p.eb);
        } else if (r < adds + 27) {
            ck_assert_int_eq(pn_pnrp_cache_in_leaf_range(&p.a, &id),
                             ref_cache_in_leaf_range(&p.b, &id));
        } else if (r < adds + 37) {
            const pn_pnrp_cache_entry *oa[12], *ob[12];
            pn_pnrp_endpoint skip[3];
            size_t max = 1 + (size_t)(cw_next(&x) % 12), ns = (size_t)(cw_next(&x) % 4), k, na, nb;
            int limited = (int)(cw_next(&x) % 2);
            for (k = 0; k < ns; k++) {
                const pn_pnrp_cache_entry *e = &p.ea[cw_next(&x) % cap];
                memcpy(skip[k].addr, e->addr, 16);
                skip[k].port = e->port;
            }
            cw_probe(&p, &x, &lim);
            na = pn_pnrp_cache_closest(&p.a, &id, skip, ns, limited ? &lim : NULL, oa, max);
            nb = ref_cache_closest(&p.b, &id, skip, ns, limited ? &lim : NULL, ob, max);
            ck_assert_uint_eq(na, nb);
            for (k = 0; k < na; k++)
                ck_assert_int_eq(oa[k] - p.ea, ob[k] - p.eb);
        } else if (r < adds + 43) {
            pn_pnrp_endpoint skip;
            const pn_pnrp_cache_entry *e = &p.ea[cw_next(&x) % cap], *na, *nb;
            int dir = cw_next(&x) % 2 ? 1 : -1, rank = (int)(cw_next(&x) % 9);
            size_t ns = (size_t)(cw_next(&x) % 2);
            memcpy(skip.addr, e->addr, 16);
            skip.port = e->port;
            na = pn_pnrp_cache_neighbour(&p.a, &id, dir, rank, &skip, ns);
            nb = ref_cache_neighbour(&p.b, &id, dir, rank, &skip, ns);
            ck_assert_int_eq(na == NULL, nb == NULL);
            if (na != NULL)
                ck_assert_int_eq(na - p.ea, nb - p.eb);
        } else {
            cw_set_local(&p, &x);
        }
        cw_same_state(&p);
    }
}

START_TEST(pnrp_cache_word_scans_match_byte_scans)
{
    /* The largest cache a node accepts last (PORT-7): 256 by default, the most the
     * one-byte rim slots can name; a build with a larger PN_PNRP_CACHE_MAX also runs the
     * leaf-range scan that caches past 256 entries use. */
#if PN_PNRP_ID_WORDS
    static const size_t caps[] = {11, 40, 77, PN_PNRP_CACHE_MAX};
#else
    /* A target without the word code compares the byte code with itself: one size is
     * enough to run it (armhf under qemu, where the whole set takes a minute). */
    static const size_t caps[] = {77};
#endif
    size_t k;
    PN_REQ("PNRP-3.2.1.1-01");
    PN_REQ("PNRP-3.2.5.11-01");
    /* Sized to take seconds natively: the suite also runs under ASan and under qemu
     * (s390x, armhf), where it is ten times slower. */
    for (k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        cw_run(1000 + k, caps[k], 0, 1500, 55);
        cw_run(2000 + k, caps[k], 1, 800, 55);
        cw_run(3000 + k, caps[k], 0, 800, 12);
        cw_run(4000 + k, caps[k], 1, 800, 12);
    }
}
END_TEST

/* A level larger than the gathered set (most_redundant then scans the whole array):
 * entries spread over the levels of one local ID all land in the widest level of a
 * local ID on the far side of the circle, and the next addition trims that level. */
START_TEST(pnrp_cache_word_scans_match_byte_scans_in_crowded_levels)
{
    static cw_pair p;
    uint64_t x = 77;
    unsigned i, round;
    PN_REQ("PNRP-3.2.1.1-01");
    PN_REQ("PNRP-3.2.5.11-01");
    memset(&p, 0, sizeof p);
    p.cap = 200;
    ck_assert_int_eq(pn_pnrp_cache_init(&p.a, p.ea, p.cap), PN_OK);
    ck_assert_int_eq(ref_cache_init(&p.b, p.eb, p.cap), PN_OK);
    for (round = 0; round < 4; round++) {
        size_t lv0 = 0, k;
        memset(p.la[0].b, 0, 32);
        p.la[0].b[0] = (uint8_t)(round << 7); /* 0, then the opposite point, ... */
        p.lb[0] = p.la[0];
        pn_pnrp_cache_set_local(&p.a, p.la, 1);
        ref_cache_set_local(&p.b, p.lb, 1);
        cw_same_state(&p);
        for (k = 0; k < p.cap; k++)
            if ((p.ea[k].flags & PN_PNRP_CE_USED) && !(p.ea[k].flags & PN_PNRP_CE_LEAF))
                lv0 += p.ea[k].level == 0;
        if (round > 0) /* the widest level is far over its cap now */
            ck_assert_uint_gt(lv0, 2 * PN_PNRP_CACHE_LEVEL_CAP + 2);
        for (i = 0; i < 1000; i++) {
            pn_pnrp_id id;
            uint8_t addr[16] = {0x20, 0x01};
            unsigned shift = (unsigned)(cw_next(&x) % 200);
            for (k = 0; k < 32; k += 8)
                pn_put_u64be(id.b + k, cw_next(&x));
            /* Near the local ID, at a distance of about 2^(255 - shift). */
            for (k = 0; k < shift / 8 && k < 32; k++)
                id.b[k] = p.la[0].b[k];
            memcpy(addr + 8, id.b + 20, 8);
            ck_assert_int_eq(pn_pnrp_cache_add(&p.a, &id, addr, 7),
                             ref_cache_add(&p.b, &id, addr, 7));
            cw_same_state(&p);
        }
    }
}
END_TEST

PN_SUITE(pnrp_cache_words)
{
    Suite *s = suite_create("pnrp_cache_words");
    TCase *tc = tcase_create("pnrp_cache_words");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, pnrp_cache_word_scans_match_byte_scans);
    tcase_add_test(tc, pnrp_cache_word_scans_match_byte_scans_in_crowded_levels);
    suite_add_tcase(s, tc);
    return s;
}
