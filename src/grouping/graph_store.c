/* The storage-backed record database (decision GE-40): the persistence image of
 * pn_graph_db_serialise kept in two copies, NAME.0 and NAME.1, through the platform's
 * storage calls.  A commit overwrites the older copy, so a crash that tears the write in
 * progress (a platform whose replace is not atomic, a torn last flash block) leaves the
 * other copy, which holds everything the previous commit acknowledged.
 *
 * Copy layout: "PNGRST01", generation (u64 BE), tag = SHA-256("PNGRST01" | generation |
 * the image's own SHA-256), then the image.  The tag binds the generation to the image,
 * so a torn write that left a new header in front of an old image is rejected. */
#include "peernet/graph.h"
#include "peernet/hash.h"
#include "peernet/wire.h"
#include "wire/pn_mem.h"

static const uint8_t st_magic[8] = {'P', 'N', 'G', 'R', 'S', 'T', '0', '1'};

static void make_tag(const uint8_t hdr16[16], const uint8_t image_sum[PN_SHA256_LEN],
                     uint8_t out[PN_SHA256_LEN])
{
    pn_sha256_ctx c;
    pn_sha256_init(&c);
    pn_sha256_update(&c, hdr16, 16);
    pn_sha256_update(&c, image_sum, PN_SHA256_LEN);
    pn_sha256_final(&c, out);
}

int pn_graph_store_init(pn_graph_store *st, const pn_platform *pf, const char *name, uint8_t *buf,
                        size_t cap)
{
    size_t n = 0;
    int k;
    if (st == NULL || pf == NULL || name == NULL || buf == NULL || cap < PN_GRAPH_STORE_HDR + 64 ||
        pf->storage_read == NULL || pf->storage_replace == NULL)
        return PN_ERR_ARG;
    while (name[n] != '\0' && n <= PN_GRAPH_STORE_NAME_MAX)
        n++;
    if (n == 0 || n > PN_GRAPH_STORE_NAME_MAX)
        return PN_ERR_ARG;
    memset(st, 0, sizeof *st);
    for (k = 0; k < 2; k++) {
        memcpy(st->name[k], name, n);
        st->name[k][n] = '.';
        st->name[k][n + 1] = (char)('0' + k);
        st->name[k][n + 2] = '\0';
        if (!pn_storage_name_valid(st->name[k]))
            return PN_ERR_ARG;
    }
    st->pf = pf;
    st->buf = buf;
    st->cap = cap;
    st->first = 1;
    return PN_OK;
}

uint8_t *pn_graph_store_image(pn_graph_store *st, size_t *cap)
{
    *cap = st->cap - PN_GRAPH_STORE_HDR;
    return st->buf + PN_GRAPH_STORE_HDR;
}

/* Read copy k into buf and check it: 1 (valid, *gen set), 0 (torn or corrupt),
 * PN_ERR_NOTFOUND, or another error from the platform. */
static int read_copy(pn_graph_store *st, int k, uint64_t *gen, size_t *len)
{
    uint8_t sum[PN_SHA256_LEN], tag[PN_SHA256_LEN];
    size_t body;
    int n = st->pf->storage_read(st->pf->ctx, st->name[k], st->buf, st->cap);
    if (n < 0)
        return n;
    *len = (size_t)n;
    if ((size_t)n < PN_GRAPH_STORE_HDR + PN_SHA256_LEN || memcmp(st->buf, st_magic, 8) != 0)
        return 0;
    body = (size_t)n - PN_SHA256_LEN;
    pn_sha256(st->buf + PN_GRAPH_STORE_HDR, body - PN_GRAPH_STORE_HDR, sum);
    if (memcmp(sum, st->buf + body, PN_SHA256_LEN) != 0)
        return 0;
    make_tag(st->buf, sum, tag);
    if (memcmp(tag, st->buf + 16, PN_SHA256_LEN) != 0)
        return 0;
    *gen = pn_get_u64be(st->buf + 8);
    return 1;
}

int pn_graph_store_open(pn_graph_store *st, const uint8_t **img, size_t *len)
{
    int r[2], k, best = -1;
    uint64_t gen[2] = {0, 0};
    size_t l[2] = {0, 0};
    if (st == NULL || img == NULL || len == NULL)
        return PN_ERR_ARG;
    *img = NULL;
    *len = 0;
    for (k = 0; k < 2; k++) {
        r[k] = read_copy(st, k, &gen[k], &l[k]);
        if (r[k] < 0 && r[k] != PN_ERR_NOTFOUND)
            return r[k]; /* I/O error, or the caller's buffer is too small */
        if (r[k] == 1 && (best < 0 || gen[k] > gen[best]))
            best = k;
    }
    if (best < 0) {
        if (r[0] == 0 && r[1] == 0)
            return PN_ERR_CORRUPT; /* both copies exist and neither is sound */
        /* No copy, or a first commit that never completed (the first commit writes both
         * copies before it acknowledges anything): an empty database. */
        st->generation = 0;
        st->next = 0;
        st->first = 1;
        return PN_OK;
    }
    if (best == 0 && r[1] >= 0) {
        /* copy 1 was read last: read the winner again */
        if (read_copy(st, 0, &gen[0], &l[0]) != 1)
            return PN_ERR_IO; /* it changed under us */
    }
    st->generation = gen[best];
    st->next = 1 - best;
    st->first = r[1 - best] == PN_ERR_NOTFOUND;
    *img = st->buf + PN_GRAPH_STORE_HDR;
    *len = l[best] - PN_GRAPH_STORE_HDR;
    return PN_OK;
}

int pn_graph_store_commit(pn_graph_store *st, size_t len)
{
    uint8_t *h;
    int k, r;
    if (st == NULL || len < PN_SHA256_LEN || len > st->cap - PN_GRAPH_STORE_HDR)
        return PN_ERR_ARG;
    h = st->buf;
    memcpy(h, st_magic, 8);
    pn_put_u64be(h + 8, st->generation + 1);
    /* The image ends with its own SHA-256 (pn_graph_db_serialise). */
    make_tag(h, st->buf + PN_GRAPH_STORE_HDR + len - PN_SHA256_LEN, h + 16);
    for (k = 0; k < (st->first ? 2 : 1); k++) {
        int c = st->first ? k : st->next;
        r = st->pf->storage_replace(st->pf->ctx, st->name[c], st->buf, PN_GRAPH_STORE_HDR + len);
        if (r < 0)
            return r; /* the copy being written may be torn: the next commit writes it again */
    }
    st->generation++;
    st->next = st->first ? 0 : 1 - st->next;
    st->first = 0;
    return PN_OK;
}

int pn_graph_store_save_db(pn_graph_store *st, const pn_graph_db *db, const pn_graph_db_meta *meta)
{
    size_t cap, need;
    uint8_t *img;
    int n;
    if (st == NULL || db == NULL || meta == NULL)
        return PN_ERR_ARG;
    img = pn_graph_store_image(st, &cap);
    n = pn_graph_db_serialise(db, meta, img, cap, &need);
    if (n < 0)
        return n;
    return pn_graph_store_commit(st, (size_t)n);
}

int pn_graph_store_load_db(pn_graph_store *st, pn_graph_db *db, pn_graph_db_meta *meta)
{
    const uint8_t *img;
    size_t len;
    int r = pn_graph_store_open(st, &img, &len);
    if (r != PN_OK)
        return r;
    if (len == 0)
        return PN_ERR_NOTFOUND;
    return pn_graph_db_load(db, img, len, meta);
}

int pn_graph_store_save_node(pn_graph_store *st, pn_graph_node *node, uint64_t now)
{
    pn_graph_db_meta meta;
    if (st == NULL || node == NULL)
        return PN_ERR_ARG;
    meta.left_time = pn_graph_node_peer_time(node, now);
    meta.time_delta = node->time_delta;
    return pn_graph_store_save_db(st, &node->db, &meta);
}

int pn_graph_store_load_node(pn_graph_store *st, pn_graph_node *node)
{
    const uint8_t *img;
    size_t len;
    int r = pn_graph_store_open(st, &img, &len);
    if (r != PN_OK)
        return r;
    if (len == 0)
        return PN_ERR_NOTFOUND;
    return pn_graph_node_load(node, img, len);
}
