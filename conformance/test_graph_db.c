/* MS-PPGRH 3.1: the record database (conflict rules, tombstones, expiry, hash ranges,
 * persistence image). */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph.h"
#include "peernet/hash.h"
#include "pn_test.h"

#define T0  133000000000000000ull /* a peer time in 2022 */
#define SEC 10000000ull

typedef struct rbuf {
    uint8_t creator[64], modby[64], gid[64];
    uint8_t enc[2048];
    size_t len;
    pn_graph_record rec;
} rbuf;

static const pn_graph_guid app_type =
    PN_GRAPH_GUID(0x11223344, 0x5566, 0x7788, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00);
static const pn_graph_guid app_type2 =
    PN_GRAPH_GUID(0x11223344, 0x5566, 0x7788, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01);

/* Build and encode an application record; id_low picks the random half of the ID. */
static void mk(rbuf *b, uint32_t id_low, uint32_t version, uint64_t mod, const char *modby,
               const char *payload)
{
    size_t need;
    pn_graph_guid r;
    memset(&b->rec, 0, sizeof b->rec);
    ck_assert_int_ge(pn_graph_str16_from_utf8("alice", 5, b->creator, sizeof b->creator, &need,
                                              &b->rec.creator_id),
                     0);
    ck_assert_int_ge(
        pn_graph_str16_from_utf8("g1", 2, b->gid, sizeof b->gid, &need, &b->rec.graph_id), 0);
    if (modby != NULL)
        ck_assert_int_ge(pn_graph_str16_from_utf8(modby, strlen(modby), b->modby, sizeof b->modby,
                                                  &need, &b->rec.last_modified_by),
                         0);
    memset(&r, 0, sizeof r);
    r.b[12] = (uint8_t)(id_low >> 24);
    r.b[13] = (uint8_t)(id_low >> 16);
    r.b[14] = (uint8_t)(id_low >> 8);
    r.b[15] = (uint8_t)id_low;
    pn_graph_record_id_make(&b->rec.creator_id, &r, &b->rec.id);
    b->rec.type = app_type;
    b->rec.version = version;
    b->rec.creation_time = T0;
    b->rec.modification_time = mod;
    b->rec.expiration_time = mod + 3600 * SEC;
    b->rec.payload = (const uint8_t *)payload;
    b->rec.payload_len = payload ? (uint32_t)strlen(payload) : 0;
}

static void enc(rbuf *b)
{
    size_t need;
    int n = pn_graph_record_encode(&b->rec, b->enc, sizeof b->enc, &need);
    pn_graph_err err;
    ck_assert_int_gt(n, 0);
    b->len = (size_t)n;
    /* Re-point the view into the encoding, as a received record would be. */
    ck_assert_int_eq(pn_graph_record_decode(b->enc, b->len, &b->rec, &err), PN_OK);
}

static int offer(pn_graph_db *db, rbuf *b)
{
    uint32_t idx;
    enc(b);
    return pn_graph_db_offer(db, b->enc, b->len, &b->rec, &idx);
}

static void *db_new(pn_graph_db *db, uint32_t cap, size_t slot)
{
    size_t n = pn_graph_db_memory_size(cap, slot);
    void *mem = malloc(n + 3);
    ck_assert_ptr_nonnull(mem);
    /* Deliberately misaligned: the database aligns its own tables. */
    ck_assert_int_eq(pn_graph_db_init(db, cap, slot, (uint8_t *)mem + 3, n), PN_OK);
    return mem;
}

START_TEST(graph_db_conflict_rules)
{
    pn_graph_db db;
    void *mem = db_new(&db, 8, 512);
    rbuf a, b;
    PN_REQ("GRAPH-3.1.7.32-01");
    PN_REQ("GRAPH-3.1.7.32-02");
    mk(&a, 1, 2, T0 + 10 * SEC, "bob", "x");
    ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_NEW);
    ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_SAME);
    /* 1: higher version wins, whatever else. */
    mk(&b, 1, 1, T0 + 99 * SEC, "zed", "y");
    ck_assert_int_eq(offer(&db, &b), PN_GRAPH_DB_OLD);
    mk(&b, 1, 3, T0 + 1 * SEC, NULL, "y");
    ck_assert_int_eq(offer(&db, &b), PN_GRAPH_DB_NEW);
    /* 2: a Last Modified By beats none at equal versions. */
    mk(&a, 1, 3, T0 + 1 * SEC, "bob", "z");
    ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_NEW);
    mk(&b, 1, 3, T0 + 50 * SEC, NULL, "y");
    ck_assert_int_eq(offer(&db, &b), PN_GRAPH_DB_OLD);
    /* 3: lexicographically higher modifier. */
    mk(&b, 1, 3, T0 + 1 * SEC, "bobby", "z");
    ck_assert_int_eq(offer(&db, &b), PN_GRAPH_DB_NEW);
    mk(&a, 1, 3, T0 + 60 * SEC, "bob", "z");
    ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_OLD);
    /* 4: later modification time. */
    mk(&a, 1, 3, T0 + 2 * SEC, "bobby", "z");
    ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_NEW);
    /* 5 and 6: security data size, then bytes. */
    mk(&b, 1, 3, T0 + 2 * SEC, "bobby", "z");
    b.rec.security = (const uint8_t *)"\x01\x02";
    b.rec.security_len = 2;
    ck_assert_int_eq(offer(&db, &b), PN_GRAPH_DB_NEW);
    mk(&a, 1, 3, T0 + 2 * SEC, "bobby", "z");
    a.rec.security = (const uint8_t *)"\x01\x03";
    a.rec.security_len = 2;
    ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_NEW);
    mk(&b, 1, 3, T0 + 2 * SEC, "bobby", "z");
    b.rec.security = (const uint8_t *)"\x01\x02";
    b.rec.security_len = 2;
    ck_assert_int_eq(offer(&db, &b), PN_GRAPH_DB_OLD);
    ck_assert_uint_eq(db.count, 1);
    free(mem);
}
END_TEST

START_TEST(graph_db_tombstone_replaces_and_lookup_by_type)
{
    pn_graph_db db;
    void *mem = db_new(&db, 8, 512);
    rbuf a;
    uint32_t pos = 0, n = 0;
    int i;
    pn_graph_record r;
    PN_REQ("GRAPH-3.1.7.9-01");
    for (i = 0; i < 5; i++) {
        mk(&a, (uint32_t)i + 10, 1, T0 + (uint64_t)i * SEC, NULL, "payload");
        if (i & 1)
            a.rec.type = app_type2;
        ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_NEW);
    }
    while ((i = pn_graph_db_next(&db, &pos, &app_type2)) >= 0) {
        ck_assert(pn_graph_guid_eq(&db.e[i].type, &app_type2));
        n++;
    }
    ck_assert_uint_eq(n, 2);
    /* Delete = tombstone with a higher version, no payload. */
    mk(&a, 12, 2, T0 + 30 * SEC, "alice", NULL);
    a.rec.flags = PN_GRAPH_RECORD_DELETED;
    ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_NEW);
    i = pn_graph_db_find(&db, &a.rec.id);
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(pn_graph_db_get(&db, (uint32_t)i, &r), PN_OK);
    ck_assert_uint_eq(r.flags, PN_GRAPH_RECORD_DELETED);
    ck_assert_uint_eq(r.payload_len, 0);
    /* The live version no longer wins. */
    mk(&a, 12, 1, T0 + 2 * SEC, NULL, "payload");
    ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_OLD);
    ck_assert_uint_eq(db.count, 5);
    free(mem);
}
END_TEST

START_TEST(graph_db_expiry_purges_due_records)
{
    pn_graph_db db;
    void *mem = db_new(&db, 16, 512);
    rbuf a;
    int i;
    PN_REQ("GRAPH-3.1.6.7-01");
    for (i = 0; i < 10; i++) {
        mk(&a, (uint32_t)i + 1, 1, T0, NULL, "p");
        a.rec.expiration_time = T0 + (uint64_t)(i + 1) * SEC;
        ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_NEW);
    }
    ck_assert_int_eq(pn_graph_db_expire(&db, T0 + 3 * SEC - 1, NULL, NULL), 2);
    ck_assert_int_eq(pn_graph_db_expire(&db, T0 + 3 * SEC, NULL, NULL), 1);
    ck_assert_uint_eq(db.count, 7);
    mk(&a, 2, 1, T0, NULL, "p");
    ck_assert_int_eq(pn_graph_db_find(&db, &a.rec.id), PN_ERR_NOTFOUND);
    mk(&a, 4, 1, T0, NULL, "p");
    ck_assert_int_ge(pn_graph_db_find(&db, &a.rec.id), 0);
    free(mem);
}
END_TEST

START_TEST(graph_db_bounded)
{
    pn_graph_db db;
    void *mem = db_new(&db, 4, 200);
    rbuf a;
    char big[300];
    int i;
    for (i = 0; i < 4; i++) {
        mk(&a, (uint32_t)i + 1, 1, T0, NULL, "p");
        ck_assert_int_eq(offer(&db, &a), PN_GRAPH_DB_NEW);
    }
    mk(&a, 99, 1, T0, NULL, "p");
    ck_assert_int_eq(offer(&db, &a), PN_ERR_NOMEM);
    memset(big, 'b', sizeof big - 1);
    big[sizeof big - 1] = 0;
    mk(&a, 1, 2, T0, NULL, big);
    ck_assert_int_eq(offer(&db, &a), PN_ERR_GRAPH_TOO_BIG);
    ck_assert_uint_eq(db.count, 4);
    free(mem);
}
END_TEST

/* The hash-sync order and ranges against a model: sorted (mod time, ID), MD5 over the
 * 20-byte abstracts; random adds, updates and removals keep the index consistent. */
START_TEST(graph_db_hash_ranges_and_index_model)
{
    pn_graph_db db;
    void *mem = db_new(&db, 64, 256);
    rbuf a;
    uint32_t ver[200] = {0}, x = 12345, p, step;
    PN_REQ("GRAPH-3.1.7.31-01");
    for (step = 0; step < 3000; step++) {
        uint32_t k;
        x = x * 1103515245u + 12345u;
        k = (x >> 16) % 200;
        if (ver[k] != 0 && ((x >> 8) & 3) == 0) {
            int i;
            mk(&a, k, 1, T0, NULL, "p");
            i = pn_graph_db_find(&db, &a.rec.id);
            ck_assert_int_ge(i, 0);
            pn_graph_db_remove(&db, (uint32_t)i);
            ver[k] = 0;
        } else {
            int r;
            mk(&a, k, ver[k] + 1, T0 + ((x >> 4) & 0xff) * SEC, NULL, "p");
            r = offer(&db, &a);
            if (r == PN_ERR_NOMEM) {
                ck_assert_uint_eq(db.count, 64);
                continue;
            }
            ck_assert_int_eq(r, PN_GRAPH_DB_NEW);
            ver[k]++;
        }
    }
    for (p = 0; p < 200; p++) {
        mk(&a, p, 1, T0, NULL, "p");
        if (ver[p])
            ck_assert_uint_eq(db.e[pn_graph_db_find(&db, &a.rec.id)].version, ver[p]);
        else
            ck_assert_int_eq(pn_graph_db_find(&db, &a.rec.id), PN_ERR_NOTFOUND);
    }
    for (p = 1; p < db.count; p++) {
        const pn_graph_db_entry *u = &db.e[pn_graph_db_sorted(&db, p - 1)];
        const pn_graph_db_entry *v = &db.e[pn_graph_db_sorted(&db, p)];
        ck_assert(u->mod_time < v->mod_time ||
                  (u->mod_time == v->mod_time && memcmp(u->id.b, v->id.b, 16) < 0));
        ck_assert_uint_eq(pn_graph_db_rank(&db, v->mod_time, &v->id), p + 1);
    }
    for (p = 0; p + PN_GRAPH_DB_RANGE <= db.count; p += PN_GRAPH_DB_RANGE) {
        uint8_t h[16], want[16], ab[PN_GRAPH_DB_RANGE * 20];
        uint32_t j;
        for (j = 0; j < PN_GRAPH_DB_RANGE; j++) {
            const pn_graph_db_entry *e = &db.e[pn_graph_db_sorted(&db, p + j)];
            memcpy(ab + 20 * j, e->id.b, 16); /* decision G-2: text order on the wire */
            ab[20 * j + 16] = (uint8_t)(e->version >> 24);
            ab[20 * j + 17] = (uint8_t)(e->version >> 16);
            ab[20 * j + 18] = (uint8_t)(e->version >> 8);
            ab[20 * j + 19] = (uint8_t)e->version;
        }
        pn_md5(ab, sizeof ab, want);
        pn_graph_db_range_hash(&db, p, p + PN_GRAPH_DB_RANGE, h);
        ck_assert_mem_eq(h, want, 16);
    }
    free(mem);
}
END_TEST

static void fill(pn_graph_db *db, int n)
{
    rbuf a;
    int i;
    for (i = 0; i < n; i++) {
        mk(&a, (uint32_t)i * 7 + 1, 1 + (uint32_t)i % 3, T0 + (uint64_t)i * SEC, NULL, "data");
        ck_assert_int_eq(offer(db, &a), PN_GRAPH_DB_NEW);
    }
}

START_TEST(graph_db_image_round_trip)
{
    pn_graph_db a, b;
    void *ma = db_new(&a, 16, 256), *mb = db_new(&b, 16, 256);
    uint8_t img[8192], da[32], db_[32];
    size_t need;
    pn_graph_db_meta m = {T0 + 5, -123456789}, m2;
    int n;
    fill(&a, 9);
    n = pn_graph_db_serialise(&a, &m, img, 10, &need);
    ck_assert_int_eq(n, PN_ERR_BUFSIZE);
    n = pn_graph_db_serialise(&a, &m, img, sizeof img, &need);
    ck_assert_int_eq(n, (int)need);
    ck_assert_int_eq(pn_graph_db_load(&b, img, (size_t)n, &m2), PN_OK);
    ck_assert_uint_eq(m2.left_time, m.left_time);
    ck_assert(m2.time_delta == m.time_delta);
    pn_graph_db_digest(&a, da);
    pn_graph_db_digest(&b, db_);
    ck_assert_mem_eq(da, db_, 32);
    ck_assert_uint_eq(b.count, 9);
    free(ma);
    free(mb);
}
END_TEST

/* Every truncation and every single-byte corruption of an image is refused and leaves the
 * database exactly as it was. */
START_TEST(graph_db_image_corruption_changes_nothing)
{
    pn_graph_db a, b;
    void *ma = db_new(&a, 16, 256), *mb = db_new(&b, 16, 256);
    uint8_t img[8192], bad[8192], before[32], after[32];
    size_t need, i;
    pn_graph_db_meta m = {T0, 0}, m2 = {1, 2};
    int n;
    rbuf r;
    fill(&a, 6);
    mk(&r, 999, 1, T0, NULL, "other");
    ck_assert_int_eq(offer(&b, &r), PN_GRAPH_DB_NEW);
    pn_graph_db_digest(&b, before);
    n = pn_graph_db_serialise(&a, &m, img, sizeof img, &need);
    ck_assert_int_gt(n, 0);
    for (i = 0; i < (size_t)n; i++) {
        ck_assert_int_lt(pn_graph_db_load(&b, img, i, &m2), 0);
        memcpy(bad, img, (size_t)n);
        bad[i] ^= (uint8_t)(1u << (i % 8));
        ck_assert_int_lt(pn_graph_db_load(&b, bad, (size_t)n, &m2), 0);
        bad[i] = (uint8_t)~img[i];
        ck_assert_int_lt(pn_graph_db_load(&b, bad, (size_t)n, &m2), 0);
    }
    pn_graph_db_digest(&b, after);
    ck_assert_mem_eq(before, after, 32);
    ck_assert_uint_eq(b.count, 1);
    ck_assert_uint_eq(m2.left_time, 1);
    /* Too many records for the receiving database: refused, unchanged. */
    {
        pn_graph_db c;
        void *mc = db_new(&c, 4, 256);
        ck_assert_int_eq(pn_graph_db_load(&c, img, (size_t)n, NULL), PN_ERR_NOMEM);
        ck_assert_uint_eq(c.count, 0);
        free(mc);
    }
    free(ma);
    free(mb);
}
END_TEST

START_TEST(graph_record_id_derivation)
{
    rbuf a;
    pn_graph_guid id;
    PN_REQ("GRAPH-3.1.7.2-01");
    mk(&a, 5, 1, T0, NULL, "p");
    ck_assert(pn_graph_record_id_check(&a.rec.creator_id, &a.rec.id));
    id = a.rec.id;
    id.b[3] ^= 1;
    ck_assert(!pn_graph_record_id_check(&a.rec.creator_id, &id));
}
END_TEST

PN_SUITE(graph_db)
{
    Suite *s = suite_create("graph_db");
    TCase *t = tcase_create("db");
    tcase_add_test(t, graph_db_conflict_rules);
    tcase_add_test(t, graph_db_tombstone_replaces_and_lookup_by_type);
    tcase_add_test(t, graph_db_expiry_purges_due_records);
    tcase_add_test(t, graph_db_bounded);
    tcase_add_test(t, graph_db_hash_ranges_and_index_model);
    tcase_add_test(t, graph_db_image_round_trip);
    tcase_add_test(t, graph_db_image_corruption_changes_nothing);
    tcase_add_test(t, graph_record_id_derivation);
    suite_add_tcase(s, t);
    return s;
}
