/* The storage-backed record database (decision GE-40) against abrupt kills: a storage shim
 * whose replace writes in place and can be killed after any number of bytes, leaving a
 * torn copy (new bytes, a garbage tail in the last block, the old bytes after it). */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph.h"
#include "peernet/hash.h"
#include "pn_test.h"

#define T0    133000000000000000ull
#define SEC   10000000ull
#define BLOCK 512u
#define NIDS  60u   /* record IDs the workload touches */
#define IMG   65536 /* store buffer */

typedef struct shim_blob {
    char name[70];
    uint8_t *data;
    size_t len;
    int used;
} shim_blob;

typedef struct shim {
    shim_blob b[4];
    uint64_t budget; /* bytes the process may still write before it is killed */
    int armed, killed;
    uint64_t rng;
    uint32_t tears;
} shim;

static uint32_t rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(*s >> 33);
}

static shim_blob *shim_find(shim *s, const char *name, int create)
{
    int i;
    for (i = 0; i < 4; i++)
        if (s->b[i].used && strcmp(s->b[i].name, name) == 0)
            return &s->b[i];
    if (!create)
        return NULL;
    for (i = 0; i < 4; i++)
        if (!s->b[i].used) {
            s->b[i].used = 1;
            strcpy(s->b[i].name, name);
            s->b[i].data = NULL;
            s->b[i].len = 0;
            return &s->b[i];
        }
    return NULL;
}

static int shim_read(void *ctx, const char *name, uint8_t *buf, size_t cap)
{
    shim_blob *b = shim_find((shim *)ctx, name, 0);
    if (b == NULL)
        return PN_ERR_NOTFOUND;
    if (b->len > cap)
        return PN_ERR_BUFSIZE;
    memcpy(buf, b->data, b->len);
    return (int)b->len;
}

/* Writes in place, not atomically.  When the kill budget runs out inside this write the
 * blob keeps the first k new bytes, garbage up to the end of that block, then the old
 * bytes; its length is the old length, the torn block's end, or the new length. */
static int shim_replace(void *ctx, const char *name, const uint8_t *buf, size_t len)
{
    shim *s = (shim *)ctx;
    shim_blob *b;
    uint8_t *nd;
    size_t k, torn_end, nl, i;
    if (s->killed)
        return PN_ERR_IO;
    b = shim_find(s, name, 1);
    ck_assert_ptr_nonnull(b);
    if (!s->armed || s->budget >= len) {
        if (s->armed)
            s->budget -= len;
        nd = (uint8_t *)realloc(b->data, len ? len : 1);
        ck_assert_ptr_nonnull(nd);
        memcpy(nd, buf, len);
        b->data = nd;
        b->len = len;
        return PN_OK;
    }
    k = (size_t)s->budget;
    torn_end = (k / BLOCK + 1) * BLOCK;
    if (torn_end > len)
        torn_end = len;
    switch (rnd(&s->rng) % 3) {
    case 0:
        nl = b->len > k ? b->len : k;
        break;
    case 1:
        nl = torn_end;
        break;
    default:
        nl = len;
        break;
    }
    if (nl < k)
        nl = k;
    nd = (uint8_t *)calloc(nl ? nl : 1, 1);
    ck_assert_ptr_nonnull(nd);
    for (i = 0; i < nl; i++) {
        if (i < k)
            nd[i] = buf[i];
        else if (i < torn_end)
            nd[i] = (uint8_t)rnd(&s->rng);
        else if (i < b->len)
            nd[i] = b->data[i];
    }
    if (k == 0 && b->len == 0 && nl == 0) { /* killed before the file existed */
        free(nd);
        b->used = 0;
        b->data = NULL;
    } else {
        free(b->data);
        b->data = nd;
        b->len = nl;
    }
    s->killed = 1;
    s->tears++;
    return PN_ERR_IO;
}

typedef struct rec_model {
    uint32_t version; /* newest version made; 0 = never */
    uint32_t acked;   /* version acknowledged by a commit; 0 = none */
} rec_model;

static uint8_t creator_raw[64], gid_raw[64];

static void build(pn_graph_record *r, pn_graph_str16 *creator, pn_graph_str16 *gid, uint32_t k,
                  uint32_t version, int del, uint8_t *payload)
{
    pn_graph_guid g;
    memset(r, 0, sizeof *r);
    memset(&g, 0, sizeof g);
    g.b[15] = (uint8_t)k;
    g.b[14] = 0x5a;
    r->creator_id = *creator;
    r->graph_id = *gid;
    pn_graph_record_id_make(creator, &g, &r->id);
    r->type = (pn_graph_guid)PN_GRAPH_GUID(0x11223344, 0x5566, 0x7788, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
                                           0xee, 0xff, 0x00);
    r->version = version;
    r->creation_time = T0;
    r->modification_time = T0 + version;
    r->expiration_time = T0 + 3600 * SEC;
    if (del) {
        r->flags = PN_GRAPH_RECORD_DELETED;
    } else {
        memset(payload, (int)(k * 31u + version), 200);
        r->payload = payload;
        r->payload_len = 40 + (k * 13u + version * 7u) % 160u;
    }
}

static void *db_new(pn_graph_db *db)
{
    size_t n = pn_graph_db_memory_size(NIDS + 4, 512);
    void *mem = malloc(n);
    ck_assert_ptr_nonnull(mem);
    ck_assert_int_eq(pn_graph_db_init(db, NIDS + 4, 512, mem, n), PN_OK);
    return mem;
}

/* Every acknowledged record is present at its acknowledged version or a later one that
 * was made; nothing unknown is present. */
static void check_acked(const pn_graph_db *db, const rec_model *m, pn_graph_str16 *creator,
                        pn_graph_str16 *gid)
{
    uint32_t k;
    uint8_t payload[200];
    for (k = 0; k < NIDS; k++) {
        pn_graph_record r;
        int i;
        build(&r, creator, gid, k, 1, 0, payload);
        i = pn_graph_db_find(db, &r.id);
        if (m[k].acked == 0) {
            if (i >= 0)
                ck_assert_uint_le(db->e[i].version, m[k].version);
            continue;
        }
        ck_assert_int_ge(i, 0);
        ck_assert_uint_ge(db->e[i].version, m[k].acked);
        ck_assert_uint_le(db->e[i].version, m[k].version);
    }
}

START_TEST(graph_store_survives_100_kills_during_writes)
{
    shim s;
    pn_platform pf;
    pn_graph_store st;
    pn_graph_db db;
    pn_graph_db_meta meta = {T0, 0};
    pn_graph_str16 creator, gid;
    rec_model m[NIDS];
    uint8_t *buf = (uint8_t *)malloc(IMG);
    void *mem;
    size_t need;
    uint32_t kills = 0, commits = 0, empty_reopens = 0;
    uint64_t rng = 0x5eed0001u;
    PN_REQ("GRAPH-3.1.1-01");
    PN_REQ("GRAPH-3.1.1-02");
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_ge(
        pn_graph_str16_from_utf8("alice", 5, creator_raw, sizeof creator_raw, &need, &creator), 0);
    ck_assert_int_ge(pn_graph_str16_from_utf8("g1", 2, gid_raw, sizeof gid_raw, &need, &gid), 0);
    memset(&s, 0, sizeof s);
    s.rng = 0x7ea12u;
    memset(m, 0, sizeof m);
    memset(&pf, 0, sizeof pf);
    pf.ctx = &s;
    pf.storage_read = shim_read;
    pf.storage_replace = shim_replace;
    mem = db_new(&db);
    ck_assert_int_eq(pn_graph_store_init(&st, &pf, "graphdb", buf, IMG), PN_OK);
    ck_assert_int_eq(pn_graph_store_load_db(&st, &db, &meta), PN_ERR_NOTFOUND);
    while (kills < 100) {
        /* The next kill lands somewhere in the next few commits' bytes. */
        if (!s.armed) {
            s.armed = 1;
            s.budget = rnd(&rng) % (3u * (db.count + 2u) * 280u + 200u);
        }
        {
            uint32_t ops = 1 + rnd(&rng) % 4, o;
            for (o = 0; o < ops; o++) {
                uint32_t k = rnd(&rng) % NIDS, idx;
                uint8_t payload[200];
                pn_graph_record r;
                int del = m[k].version > 0 && rnd(&rng) % 5 == 0;
                uint8_t enc[1024];
                pn_graph_err err;
                int n;
                build(&r, &creator, &gid, k, m[k].version + 1, del, payload);
                n = pn_graph_record_encode(&r, enc, sizeof enc, &need);
                ck_assert_int_gt(n, 0);
                ck_assert_int_eq(pn_graph_record_decode(enc, (size_t)n, &r, &err), PN_OK);
                ck_assert_int_eq(pn_graph_db_offer(&db, enc, (size_t)n, &r, &idx), PN_GRAPH_DB_NEW);
                m[k].version++;
            }
        }
        meta.left_time++;
        if (pn_graph_store_save_db(&st, &db, &meta) == PN_OK) {
            uint32_t k;
            ck_assert(!s.killed);
            commits++;
            for (k = 0; k < NIDS; k++) /* acknowledged */
                m[k].acked = m[k].version;
            continue;
        }
        /* Killed: the process and its memory are gone; a new one reopens the storage. */
        ck_assert(s.killed);
        kills++;
        s.killed = 0;
        s.armed = 0;
        free(mem);
        mem = db_new(&db);
        memset(buf, 0xee, IMG);
        ck_assert_int_eq(pn_graph_store_init(&st, &pf, "graphdb", buf, IMG), PN_OK);
        {
            pn_graph_db_meta m2;
            int r = pn_graph_store_load_db(&st, &db, &m2);
            if (r == PN_ERR_NOTFOUND) {
                empty_reopens++;
                ck_assert_uint_eq(db.count, 0);
            } else {
                ck_assert_int_eq(r, PN_OK);
                ck_assert_uint_le(m2.left_time, meta.left_time);
            }
        }
        check_acked(&db, m, &creator, &gid);
        /* What survived is the new truth: versions made but lost may be made again. */
        {
            uint32_t k;
            uint8_t payload[200];
            for (k = 0; k < NIDS; k++) {
                pn_graph_record r;
                int i;
                build(&r, &creator, &gid, k, 1, 0, payload);
                i = pn_graph_db_find(&db, &r.id);
                m[k].version = i >= 0 ? db.e[i].version : m[k].acked;
                if (i < 0)
                    ck_assert_uint_eq(m[k].acked, 0);
            }
        }
    }
    ck_assert_uint_eq(s.tears, 100);
    /* The workload committed between kills and mostly reopened a non-empty database. */
    ck_assert_uint_gt(commits, 100);
    ck_assert_uint_lt(empty_reopens, 5);
    free(mem);
    free(buf);
    {
        int i;
        for (i = 0; i < 4; i++)
            free(s.b[i].data);
    }
}
END_TEST

/* Both copies damaged: a clear error, the database untouched. */
START_TEST(graph_store_both_copies_corrupt_is_an_error)
{
    shim s;
    pn_platform pf;
    pn_graph_store st;
    pn_graph_db db;
    pn_graph_db_meta meta = {T0, 0};
    uint8_t *buf = (uint8_t *)malloc(IMG);
    void *mem;
    int i;
    PN_REQ("GRAPH-3.1.1-02");
    memset(&s, 0, sizeof s);
    memset(&pf, 0, sizeof pf);
    pf.ctx = &s;
    pf.storage_read = shim_read;
    pf.storage_replace = shim_replace;
    mem = db_new(&db);
    ck_assert_int_eq(pn_graph_store_init(&st, &pf, "graphdb", buf, IMG), PN_OK);
    ck_assert_int_eq(pn_graph_store_save_db(&st, &db, &meta), PN_OK);
    ck_assert_int_eq(pn_graph_store_save_db(&st, &db, &meta), PN_OK);
    for (i = 0; i < 2; i++) {
        shim_blob *b = shim_find(&s, i ? "graphdb.1" : "graphdb.0", 0);
        ck_assert_ptr_nonnull(b);
        b->data[b->len / 2] ^= 0x40;
    }
    ck_assert_int_eq(pn_graph_store_init(&st, &pf, "graphdb", buf, IMG), PN_OK);
    ck_assert_int_eq(pn_graph_store_load_db(&st, &db, &meta), PN_ERR_CORRUPT);
    /* One copy repaired: it loads. */
    {
        shim_blob *b = shim_find(&s, "graphdb.1", 0);
        b->data[b->len / 2] ^= 0x40;
    }
    ck_assert_int_eq(pn_graph_store_load_db(&st, &db, &meta), PN_OK);
    /* A bad name is refused. */
    ck_assert_int_eq(pn_graph_store_init(&st, &pf, "bad/name", buf, IMG), PN_ERR_ARG);
    free(mem);
    free(buf);
    for (i = 0; i < 4; i++)
        free(s.b[i].data);
}
END_TEST

PN_SUITE(graph_store)
{
    Suite *s = suite_create("graph_store");
    TCase *t = tcase_create("store");
    tcase_add_test(t, graph_store_survives_100_kills_during_writes);
    tcase_add_test(t, graph_store_both_copies_corrupt_is_an_error);
    suite_add_tcase(s, t);
    return s;
}
