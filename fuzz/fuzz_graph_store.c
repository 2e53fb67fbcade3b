/* Fuzz harness: opening the storage-backed graph database (pn_graph_store_open, then
 * pn_graph_db_load of the copy it picks).  The input is split into the two stored copies
 * (a two-byte big-endian length of copy 0, copy 0, the rest is copy 1; an empty part is a
 * missing copy).  Invariants: open never reports a copy outside its buffer; whatever it
 * accepts carries a sound tag; a load that fails leaves the database empty. */
#include <stdlib.h>
#include <string.h>

#include "peernet/graph.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
    const uint8_t *p[2];
    size_t n[2];
};

static int fz_read(void *ctx, const char *name, uint8_t *buf, size_t cap)
{
    struct fz *f = (struct fz *)ctx;
    size_t len = strlen(name);
    int k = name[len - 1] == '1';
    if (f->n[k] == 0)
        return PN_ERR_NOTFOUND;
    if (f->n[k] > cap)
        return PN_ERR_BUFSIZE;
    memcpy(buf, f->p[k], f->n[k]);
    return (int)f->n[k];
}

static int fz_replace(void *ctx, const char *name, const uint8_t *buf, size_t len)
{
    (void)ctx;
    (void)name;
    (void)buf;
    (void)len;
    return PN_ERR_IO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[8192], mem[65536];
    struct fz f;
    pn_platform pf;
    pn_graph_store st;
    pn_graph_db db;
    pn_graph_db_meta meta;
    const uint8_t *img;
    size_t len, n0;
    int r;
    if (size < 2)
        return 0;
    n0 = ((size_t)data[0] << 8) | data[1];
    if (n0 > size - 2)
        n0 = size - 2;
    f.p[0] = data + 2;
    f.n[0] = n0;
    f.p[1] = data + 2 + n0;
    f.n[1] = size - 2 - n0;
    memset(&pf, 0, sizeof pf);
    pf.ctx = &f;
    pf.storage_read = fz_read;
    pf.storage_replace = fz_replace;
    if (pn_graph_db_init(&db, 16, 512, mem, sizeof mem) != PN_OK ||
        pn_graph_store_init(&st, &pf, "fz", buf, sizeof buf) != PN_OK)
        abort();
    r = pn_graph_store_open(&st, &img, &len);
    if (r != PN_OK)
        return 0;
    if (len != 0 && (img < buf || img + len > buf + sizeof buf))
        abort();
    if (len != 0 && pn_graph_db_load(&db, img, len, &meta) != PN_OK && db.count != 0)
        abort();
    return 0;
}
