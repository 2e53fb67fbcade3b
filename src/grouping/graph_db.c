/* The Peer Graphing record database (MS-PPGRH 3.1.1 "Database", 3.1.7.32 conflict
 * rules, 3.1.7.31 hash ranges, 3.1.6.7 expiry) over caller memory, and its persistence
 * image. */
#include "peernet/graph.h"
#include "peernet/hash.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

#define DB_MAGIC_LEN 8
#define DB_HDR_LEN   28 /* magic, left time, delta, count */
static const uint8_t db_magic[DB_MAGIC_LEN] = {'P', 'N', 'G', 'R', 'D', 'B', '0', '1'};

static uint32_t index_size(uint32_t cap)
{
    uint32_t n = 8;
    while (n < 2 * cap)
        n <<= 1;
    return n;
}

static size_t align8(size_t v)
{
    return (v + 7u) & ~(size_t)7u;
}

size_t pn_graph_db_memory_size(uint32_t cap, size_t slot_bytes)
{
    if (cap == 0 || cap > 0x1000000u || slot_bytes < PN_GRAPH_RECORD_MIN_SIZE)
        return 0;
    return 8 + align8((size_t)cap * sizeof(pn_graph_db_entry)) + align8((size_t)cap * 4) +
           align8((size_t)index_size(cap) * 4) + (size_t)cap * slot_bytes;
}

int pn_graph_db_init(pn_graph_db *db, uint32_t cap, size_t slot_bytes, void *mem, size_t len)
{
    size_t need = pn_graph_db_memory_size(cap, slot_bytes);
    uint8_t *p = (uint8_t *)mem;
    if (db == NULL || mem == NULL || need == 0)
        return PN_ERR_ARG;
    if (len < need)
        return PN_ERR_BUFSIZE;
    p += (8u - ((uintptr_t)p & 7u)) & 7u;
    db->e = (pn_graph_db_entry *)(void *)p;
    p += align8((size_t)cap * sizeof(pn_graph_db_entry));
    db->order = (uint32_t *)(void *)p;
    p += align8((size_t)cap * 4);
    db->index = (uint32_t *)(void *)p;
    db->index_mask = index_size(cap) - 1;
    p += align8((size_t)index_size(cap) * 4);
    db->slots = p;
    db->cap = cap;
    db->slot_bytes = slot_bytes;
    pn_graph_db_clear(db);
    return PN_OK;
}

void pn_graph_db_clear(pn_graph_db *db)
{
    memset(db->e, 0, (size_t)db->cap * sizeof(pn_graph_db_entry));
    memset(db->index, 0, ((size_t)db->index_mask + 1) * 4);
    db->count = 0;
    db->hint = 0;
}

static uint32_t id_hash(const pn_graph_guid *id)
{
    /* The low half of an ID is random (MS-PPGRH 3.1.7.2); mix in the high half for the
     * fixed internal IDs. */
    uint32_t h = pn_get_u32be(id->b + 12) ^ pn_get_u32be(id->b + 8) ^ pn_get_u32be(id->b);
    h ^= h >> 16;
    h *= 0x7feb352dU;
    h ^= h >> 15;
    return h;
}

int pn_graph_db_find(const pn_graph_db *db, const pn_graph_guid *id)
{
    uint32_t s = id_hash(id) & db->index_mask, v;
    while ((v = db->index[s]) != 0) {
        if (memcmp(db->e[v - 1].id.b, id->b, 16) == 0)
            return (int)(v - 1);
        s = (s + 1) & db->index_mask;
    }
    return PN_ERR_NOTFOUND;
}

static void index_insert(pn_graph_db *db, uint32_t i)
{
    uint32_t s = id_hash(&db->e[i].id) & db->index_mask;
    while (db->index[s] != 0)
        s = (s + 1) & db->index_mask;
    db->index[s] = i + 1;
}

/* Linear probing with backward-shift deletion: no tombstones to accumulate. */
static void index_remove(pn_graph_db *db, uint32_t i)
{
    uint32_t m = db->index_mask, s = id_hash(&db->e[i].id) & m, j, k;
    while (db->index[s] != i + 1)
        s = (s + 1) & m;
    j = s;
    for (;;) {
        db->index[s] = 0;
        for (;;) {
            j = (j + 1) & m;
            if (db->index[j] == 0)
                return;
            k = id_hash(&db->e[db->index[j] - 1].id) & m;
            /* Move the entry at j to s unless its home k lies cyclically in (s, j]. */
            if (s <= j ? (s < k && k <= j) : (s < k || k <= j))
                continue;
            break;
        }
        db->index[s] = db->index[j];
        s = j;
    }
}

static int key_cmp(uint64_t mt_a, const pn_graph_guid *a, uint64_t mt_b, const pn_graph_guid *b)
{
    if (mt_a != mt_b)
        return mt_a < mt_b ? -1 : 1;
    return memcmp(a->b, b->b, 16);
}

/* First sorted position whose key is greater than (mt, id) (or not less, when incl). */
static uint32_t order_bound(const pn_graph_db *db, uint64_t mt, const pn_graph_guid *id, int incl)
{
    uint32_t lo = 0, hi = db->count;
    while (lo < hi) {
        uint32_t mid = lo + ((hi - lo) >> 1);
        const pn_graph_db_entry *e = &db->e[db->order[mid]];
        int c = key_cmp(e->mod_time, &e->id, mt, id);
        if (c < 0 || (c == 0 && !incl))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void order_insert(pn_graph_db *db, uint32_t i)
{
    uint32_t p = order_bound(db, db->e[i].mod_time, &db->e[i].id, 0);
    memmove(db->order + p + 1, db->order + p, (size_t)(db->count - p) * 4);
    db->order[p] = i;
    db->count++;
}

static void order_remove(pn_graph_db *db, uint32_t i)
{
    uint32_t p = order_bound(db, db->e[i].mod_time, &db->e[i].id, 1);
    memmove(db->order + p, db->order + p + 1, (size_t)(db->count - p - 1) * 4);
    db->count--;
}

uint32_t pn_graph_db_sorted(const pn_graph_db *db, uint32_t p)
{
    return db->order[p];
}

uint32_t pn_graph_db_rank(const pn_graph_db *db, uint64_t mt, const pn_graph_guid *id)
{
    return order_bound(db, mt, id, 0);
}

const uint8_t *pn_graph_db_bytes(const pn_graph_db *db, uint32_t i, size_t *len)
{
    if (i >= db->cap || db->e[i].len == 0)
        return NULL;
    *len = db->e[i].len;
    return db->slots + (size_t)i * db->slot_bytes;
}

int pn_graph_db_get(const pn_graph_db *db, uint32_t i, pn_graph_record *rec)
{
    size_t len;
    const uint8_t *p = pn_graph_db_bytes(db, i, &len);
    pn_graph_err err;
    if (p == NULL)
        return PN_ERR_NOTFOUND;
    return pn_graph_record_decode(p, len, rec, &err);
}

static int str16_cmp(const pn_graph_str16 *a, const pn_graph_str16 *b)
{
    uint32_t i, n = a->count < b->count ? a->count : b->count;
    for (i = 0; i < n; i++) {
        uint16_t x = pn_graph_str16_unit(a, i), y = pn_graph_str16_unit(b, i);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a->count == b->count ? 0 : (a->count < b->count ? -1 : 1);
}

/* MS-PPGRH 3.1.7.32: the rules are applied in order; the first that tells the two
 * records apart decides. */
int pn_graph_record_compare(const pn_graph_record *a, const pn_graph_record *b)
{
    int c;
    if (a->version != b->version)
        return a->version > b->version ? 1 : -1;
    if ((a->last_modified_by.count != 0) != (b->last_modified_by.count != 0))
        return a->last_modified_by.count != 0 ? 1 : -1;
    c = str16_cmp(&a->last_modified_by, &b->last_modified_by);
    if (c != 0)
        return c;
    if (a->modification_time != b->modification_time)
        return a->modification_time > b->modification_time ? 1 : -1;
    if (a->security_len != b->security_len)
        return a->security_len > b->security_len ? 1 : -1;
    if (a->security_len != 0) {
        c = memcmp(a->security, b->security, a->security_len);
        if (c != 0)
            return c > 0 ? 1 : -1;
    }
    return 0;
}

static void entry_fill(pn_graph_db *db, uint32_t i, const uint8_t *enc, size_t len,
                       const pn_graph_record *rec)
{
    pn_graph_db_entry *e = &db->e[i];
    memcpy(db->slots + (size_t)i * db->slot_bytes, enc, len);
    e->id = rec->id;
    e->type = rec->type;
    e->mod_time = rec->modification_time;
    e->exp_time = rec->expiration_time;
    e->version = rec->version;
    e->flags = rec->flags;
    e->len = (uint32_t)len;
    e->sent = 0; /* a new version: no neighbour has it yet */
    e->syncq = 0;
}

int pn_graph_db_offer(pn_graph_db *db, const uint8_t *enc, size_t len, const pn_graph_record *rec,
                      uint32_t *idx)
{
    int f = pn_graph_db_find(db, &rec->id);
    uint32_t i;
    if (len > db->slot_bytes || len == 0)
        return PN_ERR_GRAPH_TOO_BIG;
    if (f >= 0) {
        pn_graph_record old;
        int c;
        i = (uint32_t)f;
        *idx = i;
        if (pn_graph_db_get(db, i, &old) != PN_OK) /* cannot happen: stored records decode */
            return PN_ERR_STATE;
        c = pn_graph_record_compare(rec, &old);
        if (c < 0)
            return PN_GRAPH_DB_OLD;
        if (c == 0)
            return PN_GRAPH_DB_SAME;
        order_remove(db, i);
        entry_fill(db, i, enc, len, rec);
        order_insert(db, i);
        return PN_GRAPH_DB_NEW;
    }
    if (db->count == db->cap)
        return PN_ERR_NOMEM;
    for (i = db->hint; db->e[i].len != 0; i = i + 1 == db->cap ? 0 : i + 1)
        ;
    db->hint = i + 1 == db->cap ? 0 : i + 1;
    memset(&db->e[i], 0, sizeof db->e[i]);
    entry_fill(db, i, enc, len, rec);
    index_insert(db, i);
    order_insert(db, i);
    *idx = i;
    return PN_GRAPH_DB_NEW;
}

void pn_graph_db_remove(pn_graph_db *db, uint32_t i)
{
    if (i >= db->cap || db->e[i].len == 0)
        return;
    order_remove(db, i);
    index_remove(db, i);
    memset(&db->e[i], 0, sizeof db->e[i]);
}

int pn_graph_db_expire(pn_graph_db *db, uint64_t now_pt,
                       void (*cb)(void *ctx, const pn_graph_db *db, uint32_t i), void *ctx)
{
    uint32_t i;
    int n = 0;
    /* MS-PPGRH 3.1.6.7: a record is gone once its Expiration Time has come. */
    for (i = 0; i < db->cap; i++) {
        if (db->e[i].len != 0 && db->e[i].exp_time <= now_pt) {
            if (cb != NULL)
                cb(ctx, db, i);
            pn_graph_db_remove(db, i);
            n++;
        }
    }
    return n;
}

int pn_graph_db_next(const pn_graph_db *db, uint32_t *pos, const pn_graph_guid *type)
{
    while (*pos < db->cap) {
        uint32_t i = (*pos)++;
        if (db->e[i].len != 0 && (type == NULL || pn_graph_guid_eq(&db->e[i].type, type)))
            return (int)i;
    }
    return -1;
}

void pn_graph_db_range_hash(const pn_graph_db *db, uint32_t from, uint32_t to, uint8_t out[16])
{
    pn_md5_ctx c;
    uint8_t ab[PN_GRAPH_ABSTRACT_SIZE];
    pn_md5_init(&c);
    for (; from < to; from++) {
        const pn_graph_db_entry *e = &db->e[db->order[from]];
        pn_graph_abstract a;
        a.id = e->id;
        a.version = e->version;
        pn_graph_abstract_put(ab, 0, &a);
        pn_md5_update(&c, ab, sizeof ab);
    }
    pn_md5_final(&c, out);
}

void pn_graph_db_digest(const pn_graph_db *db, uint8_t out[32])
{
    pn_sha256_ctx c;
    uint32_t p;
    pn_sha256_init(&c);
    for (p = 0; p < db->count; p++) {
        size_t len = 0;
        const uint8_t *b = pn_graph_db_bytes(db, db->order[p], &len);
        uint8_t l[4];
        pn_put_u32be(l, (uint32_t)len);
        pn_sha256_update(&c, l, 4);
        pn_sha256_update(&c, b, len);
    }
    pn_sha256_final(&c, out);
}

/* ---- persistence ------------------------------------------------------------------------ */
int pn_graph_db_serialise(const pn_graph_db *db, const pn_graph_db_meta *meta, uint8_t *buf,
                          size_t cap, size_t *needed)
{
    size_t need = DB_HDR_LEN + PN_SHA256_LEN, off;
    uint32_t p;
    if (db == NULL || meta == NULL || (buf == NULL && cap != 0))
        return PN_ERR_ARG;
    for (p = 0; p < db->count; p++)
        need += 4 + db->e[db->order[p]].len;
    if (needed != NULL)
        *needed = need;
    if (cap < need)
        return PN_ERR_BUFSIZE;
    if (need > 0x7fffffffu)
        return PN_ERR_RANGE;
    memcpy(buf, db_magic, DB_MAGIC_LEN);
    pn_put_u64be(buf + 8, meta->left_time);
    pn_put_u64be(buf + 16, (uint64_t)meta->time_delta);
    pn_put_u32be(buf + 24, db->count);
    off = DB_HDR_LEN;
    /* Hash-sync order: the image of two identical databases is identical. */
    for (p = 0; p < db->count; p++) {
        size_t len = 0;
        const uint8_t *b = pn_graph_db_bytes(db, db->order[p], &len);
        pn_put_u32be(buf + off, (uint32_t)len);
        memcpy(buf + off + 4, b, len);
        off += 4 + len;
    }
    pn_sha256(buf, off, buf + off);
    return (int)need;
}

int pn_graph_db_load(pn_graph_db *db, const uint8_t *buf, size_t len, pn_graph_db_meta *meta)
{
    uint8_t sum[PN_SHA256_LEN];
    size_t off, body;
    uint32_t n, k;
    if (db == NULL || buf == NULL)
        return PN_ERR_ARG;
    if (len < DB_HDR_LEN + PN_SHA256_LEN)
        return PN_ERR_CORRUPT;
    body = len - PN_SHA256_LEN;
    pn_sha256(buf, body, sum);
    if (memcmp(sum, buf + body, PN_SHA256_LEN) != 0 || memcmp(buf, db_magic, DB_MAGIC_LEN) != 0)
        return PN_ERR_CORRUPT;
    n = pn_get_u32be(buf + 24);
    if (n > db->cap)
        return PN_ERR_NOMEM;
    /* Pass 1: the whole image must be sound before the database changes. */
    for (off = DB_HDR_LEN, k = 0; k < n; k++) {
        pn_graph_record rec;
        pn_graph_err err;
        uint32_t l;
        if (body - off < 4)
            return PN_ERR_CORRUPT;
        l = pn_get_u32be(buf + off);
        if (l > body - off - 4)
            return PN_ERR_CORRUPT;
        if (l > db->slot_bytes)
            return PN_ERR_GRAPH_TOO_BIG;
        if (pn_graph_record_decode(buf + off + 4, l, &rec, &err) != PN_OK)
            return PN_ERR_CORRUPT;
        off += 4 + (size_t)l;
    }
    if (off != body)
        return PN_ERR_CORRUPT;
    /* Pass 2: cannot fail (count, sizes and syntax checked; a repeated ID keeps the
     * winner). */
    pn_graph_db_clear(db);
    for (off = DB_HDR_LEN, k = 0; k < n; k++) {
        pn_graph_record rec;
        pn_graph_err err;
        uint32_t l = pn_get_u32be(buf + off), idx;
        (void)pn_graph_record_decode(buf + off + 4, l, &rec, &err);
        (void)pn_graph_db_offer(db, buf + off + 4, l, &rec, &idx);
        off += 4 + (size_t)l;
    }
    if (meta != NULL) {
        meta->left_time = pn_get_u64be(buf + 8);
        meta->time_delta = (int64_t)pn_get_u64be(buf + 16);
    }
    return PN_OK;
}

/* ---- record IDs ------------------------------------------------------------------------- */
static void creator_half(const pn_graph_str16 *creator, uint8_t h8[8])
{
    uint8_t h[16];
    size_t n = creator->count > 0 ? 2 * ((size_t)creator->count - 1) : 0;
    int i;
    pn_md5(creator->p, n, h);
    for (i = 0; i < 8; i++)
        h8[i] = (uint8_t)(h[i] ^ h[8 + i]);
}

void pn_graph_record_id_make(const pn_graph_str16 *creator, const pn_graph_guid *r,
                             pn_graph_guid *id)
{
    int i;
    creator_half(creator, id->b);
    for (i = 0; i < 8; i++)
        id->b[8 + i] = (uint8_t)(r->b[i] ^ r->b[8 + i]);
}

int pn_graph_record_id_check(const pn_graph_str16 *creator, const pn_graph_guid *id)
{
    uint8_t h8[8];
    creator_half(creator, h8);
    return memcmp(h8, id->b, 8) == 0;
}
