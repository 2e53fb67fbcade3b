/* PNRP wire codecs (MS-PNRP section 2): vectors, round trips, mutation sweep,
 * AUTHORITY fragmentation and reassembly, peer names and ID arithmetic. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "peernet/pnrp_wire.h"
#include "pn_test.h"
#include "wire/pnrp_int.h"

#define VEC_DIR "vectors/pnrp"
#define VEC_MAX 200

/* ---- deterministic generator --------------------------------------------------------- */
static uint64_t rng_state;
static void rng_seed(uint64_t s)
{
    rng_state = s ? s : 1;
}
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}
static unsigned rnd(unsigned n) /* 0..n-1 */
{
    return n ? rng() % n : 0;
}
static void rnd_bytes(uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = (uint8_t)rng();
}

/* ---- vectors ------------------------------------------------------------------------- */
typedef struct vector {
    char name[64];
    char what[200];
    char expect[64]; /* "ok" or "NAME@OFF" */
    char mode[16];   /* both, strict, receive */
    uint8_t data[4096];
    size_t len;
} vector;

static vector *vecs;
static size_t nvecs;

static int load_one(const char *file, vector *v)
{
    static char text[20000];
    char rel[512], *nl, *p;
    long n;
    snprintf(rel, sizeof rel, VEC_DIR "/%s", file);
    n = pn_test_read_file(rel, (uint8_t *)text, sizeof text - 1);
    if (n < 0)
        return -1;
    text[n] = 0;
    nl = strchr(text, '\n');
    if (text[0] != '#' || nl == NULL)
        return -1;
    *nl = 0;
    snprintf(v->name, sizeof v->name, "%.*s", (int)(strlen(file) - 4), file);
    snprintf(v->what, sizeof v->what, "%.199s", text + 2);
    p = strstr(text, "expect=");
    if (p == NULL || sscanf(p, "expect=%63s", v->expect) != 1)
        return -1;
    p = strstr(text, "mode=");
    if (p == NULL || sscanf(p, "mode=%15s", v->mode) != 1)
        return -1;
    n = pn_test_hex(nl + 1, v->data, sizeof v->data);
    if (n < 0)
        return -1;
    v->len = (size_t)n;
    return 0;
}

static void load_vectors(void)
{
    char path[512];
    DIR *d;
    struct dirent *e;
    if (vecs != NULL)
        return;
    vecs = calloc(VEC_MAX, sizeof *vecs);
    ck_assert_ptr_nonnull(vecs);
    d = opendir(pn_test_path(VEC_DIR, path, sizeof path));
    ck_assert_msg(d != NULL, "cannot open %s", path);
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".hex") != 0)
            continue;
        ck_assert_uint_lt(nvecs, VEC_MAX);
        ck_assert_msg(load_one(e->d_name, &vecs[nvecs]) == 0, "bad vector file %s", e->d_name);
        nvecs++;
    }
    closedir(d);
}

/* Decode as the tool does: the message, then an unfragmented AUTHORITY's buffer. */
static pn_pnrp_msg g_msg;
static pn_pnrp_authority_buffer g_ab;
static uint8_t *g_copy; /* exact-size heap copy, so sanitizers see any over-read */
static int full_decode(const uint8_t *in, size_t len, unsigned flags, pn_pnrp_decode_error *e,
                       int *has_ab)
{
    const uint8_t *b;
    int rc;
    free(g_copy);
    g_copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(g_copy);
    memcpy(g_copy, in, len);
    b = g_copy;
    rc = pn_pnrp_decode(b, len, flags, &g_msg, e);
    *has_ab = 0;
    if (rc != PN_OK)
        return rc;
    if (g_msg.type == PN_PNRP_AUTHORITY && g_msg.u.authority.offset == 0 &&
        g_msg.u.authority.fragment.len == g_msg.u.authority.size) {
        size_t base = (size_t)(g_msg.u.authority.fragment.p - b);
        *has_ab = 1;
        rc = pn_pnrp_authority_buffer_decode(g_msg.u.authority.fragment.p,
                                             g_msg.u.authority.fragment.len, flags, &g_ab, e);
        if (rc != PN_OK)
            e->offset += base;
    }
    return rc;
}

static void check_vector(const vector *v, unsigned flags)
{
    pn_pnrp_decode_error e;
    char got[96];
    int has_ab;
    int rc = full_decode(v->data, v->len, flags, &e, &has_ab);
    if (rc == PN_OK)
        snprintf(got, sizeof got, "ok");
    else
        snprintf(got, sizeof got, "%s@%u", pn_errname(rc), (unsigned)e.offset);
    ck_assert_msg(strcmp(got, v->expect) == 0, "%s (%s, %s): got %s (%s), want %s", v->name,
                  v->what, flags ? "strict" : "receive", got, rc ? e.field : "", v->expect);
    if (rc != PN_OK)
        ck_assert_ptr_nonnull(e.field);
}

START_TEST(pnrp_vectors_decode_as_expected)
{
    size_t i, valid = 0, invalid = 0;
    PN_REQ("PNRP-2.2-01", "PNRP-2.2-02", "PNRP-2.2-03");
    PN_REQ("PNRP-2.2.1-01", "PNRP-2.2.1-02", "PNRP-2.2.1-03");
    PN_REQ("PNRP-2.2.1-04", "PNRP-2.2.1-05", "PNRP-2.2.1-06");
    PN_REQ("PNRP-2.2.2.1-01", "PNRP-2.2.2.1-02", "PNRP-2.2.2.1-03");
    PN_REQ("PNRP-2.2.2.1-04", "PNRP-2.2.2.1-05", "PNRP-2.2.2.2-01");
    PN_REQ("PNRP-2.2.2.2-02", "PNRP-2.2.2.2-03", "PNRP-2.2.2.2-04");
    PN_REQ("PNRP-2.2.2.3-01", "PNRP-2.2.2.4-01", "PNRP-2.2.2.4-02");
    PN_REQ("PNRP-2.2.2.4-03", "PNRP-2.2.2.4-04", "PNRP-2.2.2.4-05");
    PN_REQ("PNRP-2.2.2.5-01", "PNRP-2.2.2.5-02", "PNRP-2.2.2.5-03");
    PN_REQ("PNRP-2.2.2.6-01", "PNRP-2.2.2.6-02", "PNRP-2.2.2.6-03");
    PN_REQ("PNRP-2.2.2.6.1-01", "PNRP-2.2.2.6.1-02", "PNRP-2.2.2.6.1-03");
    PN_REQ("PNRP-2.2.2.6.1-04", "PNRP-2.2.2.6.1-05", "PNRP-2.2.2.7-01");
    PN_REQ("PNRP-2.2.2.7-02", "PNRP-2.2.2.8-01", "PNRP-2.2.2.8-02");
    PN_REQ("PNRP-2.2.2.8-03", "PNRP-2.2.2.8-04", "PNRP-2.2.2.8-05");
    PN_REQ("PNRP-3.2.5.2-01", "PNRP-2.2.3.1-01", "PNRP-2.2.3.1-02");
    PN_REQ("PNRP-2.2.3.1-03", "PNRP-2.2.3.1-04", "PNRP-2.2.3.1-05");
    PN_REQ("PNRP-2.2.3.1-06", "PNRP-2.2.3.1-07", "PNRP-2.2.3.1-08");
    PN_REQ("PNRP-2.2.3.1.1-01", "PNRP-2.2.3.1.1-02", "PNRP-2.2.3.1.2-01");
    PN_REQ("PNRP-2.2.3.1.4-01", "PNRP-2.2.3.1.4-02", "PNRP-2.2.3.2-01");
    PN_REQ("PNRP-2.2.3.3-01", "PNRP-2.2.3.3-02", "PNRP-2.2.3.3-03");
    PN_REQ("PNRP-2.2.3.3-04", "PNRP-2.2.3.4-01", "PNRP-2.2.3.4-02");
    PN_REQ("PNRP-2.2.3.4-03", "PNRP-2.2.3.6-01", "PNRP-2.2.4-02");
    load_vectors();
    ck_assert_uint_gt(nvecs, 100);
    for (i = 0; i < nvecs; i++) {
        const vector *v = &vecs[i];
        if (strcmp(v->mode, "strict") != 0)
            check_vector(v, 0);
        if (strcmp(v->mode, "receive") != 0)
            check_vector(v, PN_PNRP_STRICT);
        if (strcmp(v->expect, "ok") == 0)
            valid++;
        else
            invalid++;
    }
    ck_assert_uint_gt(valid, 30);
    ck_assert_uint_gt(invalid, 90);
}
END_TEST

/* encode(decode(b)) == b for every vector valid under the sender rules. */
/* Every code the message decoders can return has at least one invalid vector. */
START_TEST(pnrp_vectors_cover_every_decoder_error)
{
    static const int codes[] = {
        PN_ERR_TRUNCATED,        PN_ERR_TRAILING,         PN_ERR_PNRP_HEADER,
        PN_ERR_PNRP_MSGTYPE,     PN_ERR_PNRP_FIELD_ORDER, PN_ERR_PNRP_FIELD_LENGTH,
        PN_ERR_PNRP_ARRAY,       PN_ERR_PNRP_COUNT,       PN_ERR_PNRP_TOO_MANY,
        PN_ERR_PNRP_VERSION,     PN_ERR_PNRP_PORT,        PN_ERR_PNRP_RESERVED,
        PN_ERR_PNRP_VALUE,       PN_ERR_PNRP_CPA,         PN_ERR_PNRP_CPA_FLAGS,
        PN_ERR_PNRP_PUBKEY,      PN_ERR_PNRP_SIGNATURE,   PN_ERR_PNRP_PAYLOAD,
        PN_ERR_PNRP_EXT_PAYLOAD, PN_ERR_PNRP_SPLIT,       PN_ERR_PNRP_NONCE,
        PN_ERR_PNRP_CLASSIFIER};
    size_t i, j;
    load_vectors();
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *name = pn_errname(codes[i]);
        size_t n = strlen(name), hits = 0;
        for (j = 0; j < nvecs; j++)
            if (strncmp(vecs[j].expect, name, n) == 0 && vecs[j].expect[n] == '@')
                hits++;
        ck_assert_msg(hits > 0, "no vector expects %s", name);
    }
}
END_TEST

START_TEST(pnrp_vectors_reencode_identically)
{
    static uint8_t out[8192];
    size_t i, n = 0;
    PN_REQ("PNRP-2.2-02");
    load_vectors();
    for (i = 0; i < nvecs; i++) {
        const vector *v = &vecs[i];
        pn_pnrp_decode_error e;
        size_t need = 0;
        int has_ab, len;
        if (strcmp(v->expect, "ok") != 0 || strcmp(v->mode, "receive") == 0)
            continue;
        ck_assert_int_eq(full_decode(v->data, v->len, PN_PNRP_STRICT, &e, &has_ab), PN_OK);
        len = pn_pnrp_encode(&g_msg, out, sizeof out, &need);
        ck_assert_msg(len == (int)v->len && memcmp(out, v->data, v->len) == 0,
                      "%s re-encodes differently (%d bytes)", v->name, len);
        ck_assert_uint_eq(need, v->len);
        if (has_ab) {
            const pn_pnrp_authority *a = &g_msg.u.authority;
            len = pn_pnrp_authority_buffer_encode(&g_ab, out, sizeof out, NULL);
            ck_assert_msg(len == (int)a->fragment.len &&
                              memcmp(out, a->fragment.p, a->fragment.len) == 0,
                          "%s: AUTHORITY_BUFFER re-encodes differently", v->name);
        }
        n++;
    }
    ck_assert_uint_gt(n, 30);
}
END_TEST

/* The decoders do not clear their result structs (pnrp_wire.h): whatever a struct held
 * before, a valid vector decodes to the same presence flags and counts and re-encodes to
 * itself, so every field an encoder reads was written by the decoder.  A CPA's fields
 * that its Flags leave out read as zero, and a cut header leaves type 0. */
static void fill_decode(const vector *v, int fill, pn_pnrp_msg *m, pn_pnrp_authority_buffer *ab,
                        pn_pnrp_cpa *cpa, int *has_ab)
{
    pn_pnrp_decode_error e;
    memset(m, fill, sizeof *m);
    memset(ab, fill, sizeof *ab);
    memset(cpa, fill, sizeof *cpa);
    *has_ab = 0;
    ck_assert_int_eq(pn_pnrp_decode(v->data, v->len, PN_PNRP_STRICT, m, &e), PN_OK);
    if (m->type == PN_PNRP_AUTHORITY && m->u.authority.offset == 0 &&
        m->u.authority.fragment.len == m->u.authority.size) {
        *has_ab = 1;
        ck_assert_int_eq(pn_pnrp_authority_buffer_decode(m->u.authority.fragment.p,
                                                         m->u.authority.fragment.len,
                                                         PN_PNRP_STRICT, ab, &e),
                         PN_OK);
        if (ab->has_cpa)
            ck_assert_int_eq(
                pn_pnrp_cpa_decode(ab->cpa.raw.p, ab->cpa.raw.len, PN_PNRP_STRICT, cpa, &e), PN_OK);
    }
}

static void cpa_unused_zero(const pn_pnrp_cpa *c)
{
    static const uint8_t zero[20];
    if (!(c->flags & PN_PNRP_CPA_A))
        ck_assert_mem_eq(c->authority, zero, 20);
    if (!(c->flags & PN_PNRP_CPA_C))
        ck_assert_mem_eq(c->classifier_hash, zero, 20);
    if (!(c->flags & PN_PNRP_CPA_F))
        ck_assert(c->friendly_name.p == NULL && c->friendly_name.len == 0);
    if (c->payload_count == 0)
        ck_assert(c->payload_type == 0 && c->app_count == 0);
}

START_TEST(pnrp_decoders_set_every_field_they_promise)
{
    static const int fills[] = {0x00, 0xA5, 0xFF};
    static pn_pnrp_msg m[3];
    static pn_pnrp_authority_buffer ab[3];
    static pn_pnrp_cpa cpa[3];
    static uint8_t out[8192];
    pn_pnrp_decode_error e;
    size_t i, n = 0, k;
    PN_REQ("PNRP-2.2-02");
    load_vectors();
    for (i = 0; i < nvecs; i++) {
        const vector *v = &vecs[i];
        int has_ab[3], len;
        if (strcmp(v->expect, "ok") != 0 || strcmp(v->mode, "receive") == 0)
            continue;
        for (k = 0; k < 3; k++) {
            fill_decode(v, fills[k], &m[k], &ab[k], &cpa[k], &has_ab[k]);
            len = pn_pnrp_encode(&m[k], out, sizeof out, NULL);
            ck_assert_msg(len == (int)v->len && memcmp(out, v->data, v->len) == 0,
                          "%s (fill %02x) re-encodes differently", v->name, fills[k]);
            if (m[k].type == PN_PNRP_FLOOD && m[k].u.flood.has_revoke)
                cpa_unused_zero(&m[k].u.flood.revoke);
            if (!has_ab[k])
                continue;
            len = pn_pnrp_authority_buffer_encode(&ab[k], out, sizeof out, NULL);
            ck_assert_msg(len == (int)m[k].u.authority.fragment.len &&
                              memcmp(out, m[k].u.authority.fragment.p, (size_t)len) == 0,
                          "%s (fill %02x): AUTHORITY_BUFFER re-encodes differently", v->name,
                          fills[k]);
            if (ab[k].has_cpa) {
                cpa_unused_zero(&ab[k].cpa);
                cpa_unused_zero(&cpa[k]);
                len = pn_pnrp_cpa_encode(&cpa[k], out, sizeof out, NULL);
                ck_assert_msg(len == (int)ab[k].cpa.raw.len &&
                                  memcmp(out, ab[k].cpa.raw.p, (size_t)len) == 0,
                              "%s (fill %02x): CPA re-encodes differently", v->name, fills[k]);
            }
            if (ab[k].has_ext_payload && ab[k].ext_payload.payload_type != PN_PNRP_XP_STRING)
                ck_assert_uint_eq(ab[k].ext_payload.string_type, 0);
        }
        /* The same presence flags and counts whatever the struct held. */
        for (k = 1; k < 3; k++) {
            const pn_pnrp_msg *a = &m[0], *b = &m[k];
            ck_assert_uint_eq(a->type, b->type);
            ck_assert_uint_eq(a->msg_id, b->msg_id);
            switch (a->type) {
            case PN_PNRP_SOLICIT:
                ck_assert(a->u.solicit.has_controls == b->u.solicit.has_controls &&
                          a->u.solicit.solicit_type == b->u.solicit.solicit_type &&
                          a->u.solicit.has_route == b->u.solicit.has_route);
                break;
            case PN_PNRP_ADVERTISE:
                ck_assert_uint_eq(a->u.advertise.ids.count, b->u.advertise.ids.count);
                break;
            case PN_PNRP_REQUEST:
                ck_assert_uint_eq(a->u.request.ids.count, b->u.request.ids.count);
                break;
            case PN_PNRP_FLOOD:
                ck_assert(a->u.flood.has_revoke == b->u.flood.has_revoke &&
                          a->u.flood.has_route == b->u.flood.has_route &&
                          a->u.flood.flooded.count == b->u.flood.flooded.count);
                break;
            case PN_PNRP_INQUIRE:
                ck_assert_uint_eq(a->u.inquire.has_nonce, b->u.inquire.has_nonce);
                break;
            case PN_PNRP_ACK:
                ck_assert(a->u.ack.has_flags == b->u.ack.has_flags &&
                          a->u.ack.flag_n == b->u.ack.flag_n);
                break;
            case PN_PNRP_LOOKUP:
                ck_assert(a->u.lookup.has_route == b->u.lookup.has_route &&
                          a->u.lookup.path.count == b->u.lookup.path.count);
                break;
            default:
                break;
            }
            if (has_ab[0]) {
                const pn_pnrp_authority_buffer *x = &ab[0], *y = &ab[k];
                ck_assert(x->flag_l == y->flag_l && x->flag_b == y->flag_b &&
                          x->flag_n == y->flag_n && x->flags_unpadded == y->flags_unpadded);
                ck_assert(x->has_cert_chain == y->has_cert_chain &&
                          x->has_classifier == y->has_classifier &&
                          x->has_ext_payload == y->has_ext_payload &&
                          x->has_route == y->has_route && x->has_cpa == y->has_cpa);
            }
        }
        n++;
    }
    ck_assert_uint_gt(n, 30);
    /* Cut inside the header: type is the MessageType byte when there is one, else 0. */
    for (k = 0; k < PN_PNRP_HEADER_LEN; k++) {
        static const uint8_t hdr[PN_PNRP_HEADER_LEN] = {0x00, 0x10, 0x00, 0x0c, 0x51, 0x04,
                                                        0x00, 0x0b, 0,    0,    0,    2};
        memset(&m[0], 0xA5, sizeof m[0]);
        ck_assert_int_eq(pn_pnrp_decode(hdr, k, PN_PNRP_STRICT, &m[0], &e), PN_ERR_TRUNCATED);
        ck_assert_uint_eq(m[0].type, k >= 8 ? PN_PNRP_LOOKUP : 0);
    }
}
END_TEST

/* Flip, truncate and extend every byte of each valid vector: the decoder either accepts
 * or names an error inside the input; in strict mode an accepted input re-encodes to
 * itself. */
START_TEST(pnrp_mutation_sweep_never_crashes)
{
    static uint8_t buf[4200], out[8192];
    size_t i, pos, decoded = 0;
    load_vectors();
    for (i = 0; i < nvecs; i++) {
        const vector *v = &vecs[i];
        if (strcmp(v->expect, "ok") != 0)
            continue;
        for (pos = 0; pos <= v->len; pos++) {
            int kind;
            for (kind = 0; kind < 5; kind++) {
                size_t len = v->len;
                unsigned mode;
                memcpy(buf, v->data, v->len);
                if (kind == 0 && pos < len)
                    buf[pos] ^= 0xFF;
                else if (kind == 1 && pos < len)
                    buf[pos] ^= 0x01;
                else if (kind == 2)
                    len = pos; /* truncate */
                else if (kind == 3 && pos < 4) {
                    memset(buf + len, pos == 0 ? 0 : 0xA5, pos + 1); /* extend */
                    len += pos + 1;
                } else if (kind == 4 && pos < len)
                    buf[pos] = (uint8_t)(buf[pos] + 0x80);
                else
                    continue;
                for (mode = 0; mode < 2; mode++) {
                    pn_pnrp_decode_error e;
                    int has_ab, rc = full_decode(buf, len, mode ? PN_PNRP_STRICT : 0, &e, &has_ab);
                    decoded++;
                    if (rc != PN_OK) {
                        ck_assert_int_lt(rc, 0);
                        ck_assert_ptr_nonnull(pn_errname(rc));
                        ck_assert_ptr_nonnull(e.field);
                        ck_assert_uint_le(e.offset, len);
                    } else if (mode == 1) {
                        int n = pn_pnrp_encode(&g_msg, out, sizeof out, NULL);
                        ck_assert_msg(n == (int)len && memcmp(out, buf, len) == 0,
                                      "%s mutated at %u kind %d: accepted but re-encodes "
                                      "differently",
                                      v->name, (unsigned)pos, kind);
                    }
                }
            }
        }
    }
    ck_assert_uint_gt(decoded, 10000);
}
END_TEST

/* The two decoders, and the fast path alone, of a message or an AUTHORITY_BUFFER behind
 * one signature, so that one agreement check serves both. */
typedef struct fast_kind {
    const char *what;
    size_t size; /* of the decoded struct */
    int (*decode)(const uint8_t *, size_t, unsigned, void *, pn_pnrp_decode_error *);
    int (*fast)(const uint8_t *, size_t, unsigned, void *);
} fast_kind;

static int msg_decode(const uint8_t *b, size_t n, unsigned f, void *o, pn_pnrp_decode_error *e)
{
    return pn_pnrp_decode(b, n, f, (pn_pnrp_msg *)o, e);
}

static int ab_decode(const uint8_t *b, size_t n, unsigned f, void *o, pn_pnrp_decode_error *e)
{
    return pn_pnrp_authority_buffer_decode(b, n, f, (pn_pnrp_authority_buffer *)o, e);
}

#if PN_PNRP_FAST_PATHS
static int msg_fast(const uint8_t *b, size_t n, unsigned f, void *o)
{
    return pn_pnrp_decode_fast(b, n, f, (pn_pnrp_msg *)o);
}

static int ab_fast(const uint8_t *b, size_t n, unsigned f, void *o)
{
    return pn_pnrp_ab_decode_fast(b, n, f, (pn_pnrp_authority_buffer *)o);
}
#else
#define msg_fast NULL
#define ab_fast  NULL
#endif

static const fast_kind kind_msg = {"message", sizeof(pn_pnrp_msg), msg_decode, msg_fast};
static const fast_kind kind_ab = {"AUTHORITY_BUFFER", sizeof(pn_pnrp_authority_buffer), ab_decode,
                                  ab_fast};

/* Decision PW-28: the whole-message fast paths change no result.  Every vector and every
 * mutation of the sweep above, in both modes, decodes to the same code, error and struct
 * (both structs pre-filled alike) with and without PN_PNRP_FIELDWISE; whatever the fast
 * path alone accepts is what the field-by-field decoder makes of it; and every valid vector
 * of a type with a fast path that a sender could have written (mode both) takes it. */
static void fast_agrees(const fast_kind *k, const uint8_t *in, size_t len, unsigned mode,
                        size_t *fast_taken)
{
    static pn_pnrp_msg am, bm; /* the larger of the two structs */
    void *a = &am, *b = &bm;
    pn_pnrp_decode_error ea, eb;
    int ra, rb;
    /* An exact-size heap copy, so the sanitizers see any read past the input. */
    uint8_t *buf = malloc(len ? len : 1);
    ck_assert_uint_le(k->size, sizeof am);
    ck_assert_ptr_nonnull(buf);
    memcpy(buf, in, len);
    memset(a, 0x5A, k->size);
    memset(b, 0x5A, k->size);
    ra = k->decode(buf, len, mode, a, &ea);
    rb = k->decode(buf, len, mode | PN_PNRP_FIELDWISE, b, &eb);
    ck_assert_int_eq(ra, rb);
    ck_assert_int_eq(ea.code, eb.code);
    ck_assert_uint_eq(ea.offset, eb.offset);
    ck_assert_ptr_eq(ea.field, eb.field);
    if (ra == PN_OK)
        ck_assert_msg(memcmp(a, b, k->size) == 0, "%s: fast and field-by-field structs differ",
                      k->what);
    memset(a, 0x5A, k->size);
    if (k->fast != NULL && k->fast(buf, len, mode, a)) {
        ck_assert_int_eq(rb, PN_OK);
        ck_assert_msg(memcmp(a, b, k->size) == 0, "%s: fast path alone differs", k->what);
        (*fast_taken)++;
    }
    free(buf);
}

/* Both decoders on a message and, for an AUTHORITY, on its buffer (from byte 28). */
static void both_agree(const uint8_t *buf, size_t len, unsigned mode, size_t *taken,
                       size_t *ab_taken)
{
    fast_agrees(&kind_msg, buf, len, mode, taken);
    if (len > 28 && buf[7] == PN_PNRP_AUTHORITY)
        fast_agrees(&kind_ab, buf + 28, len - 28, mode, ab_taken);
}

START_TEST(pnrp_fast_paths_agree_with_the_fieldwise_decoder)
{
    static uint8_t buf[4200];
    size_t i, pos, taken = 0, ab_taken = 0, checked = 0;
    PN_REQ("PNRP-2.2-01", "PNRP-2.2-02");
    load_vectors();
    for (i = 0; i < nvecs; i++) {
        const vector *v = &vecs[i];
        size_t before = taken;
        both_agree(v->data, v->len, PN_PNRP_STRICT, &taken, &ab_taken);
        both_agree(v->data, v->len, 0, &taken, &ab_taken);
        if (PN_PNRP_FAST_PATHS && strcmp(v->expect, "ok") == 0 && strcmp(v->mode, "both") == 0)
            ck_assert_msg(taken == before + 2, "%s: valid, but the fast path declined it", v->name);
        for (pos = 0; pos <= v->len; pos++) {
            int kind;
            for (kind = 0; kind < 4; kind++) {
                size_t len = v->len;
                memcpy(buf, v->data, v->len);
                if (kind == 0 && pos < len)
                    buf[pos] ^= 0xFF;
                else if (kind == 1 && pos < len)
                    buf[pos] ^= 0x01;
                else if (kind == 2)
                    len = pos; /* truncate */
                else if (kind == 3 && pos < len)
                    buf[pos] = (uint8_t)(buf[pos] + 0x80);
                else
                    continue;
                both_agree(buf, len, PN_PNRP_STRICT, &taken, &ab_taken);
                both_agree(buf, len, 0, &taken, &ab_taken);
                checked += 2;
            }
        }
    }
    ck_assert_uint_gt(checked, 20000);
    if (PN_PNRP_FAST_PATHS) {
        ck_assert_uint_gt(taken, 1000);
        ck_assert_uint_gt(ab_taken, 100);
    }
}
END_TEST

/* ---- generated messages: decode(encode(m)) == m -------------------------------------- */
static uint8_t key_data[PN_PNRP_PUBKEY_DATA_LEN];
static uint8_t sig_data[PN_PNRP_SIG_DATA_LEN];
static uint8_t blob_pool[8][512];

static void make_key(void)
{
    static const uint8_t head[7] = {0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00};
    memcpy(key_data, head, 7);
    rnd_bytes(key_data + 7, 128);
    key_data[7] |= 0x80;
    key_data[135] = 0x02;
    key_data[136] = 0x03;
    key_data[137] = 0x01;
    key_data[138] = 0x00;
    key_data[139] = 0x01;
    rnd_bytes(sig_data, sizeof sig_data);
}

static void gen_id(pn_pnrp_id *id)
{
    rnd_bytes(id->b, sizeof id->b);
}

static void gen_endpoint(pn_pnrp_endpoint *e)
{
    e->port = (uint16_t)(1025 + rnd(64000));
    rnd_bytes(e->addr, 16);
}

static void gen_route(pn_pnrp_route_entry *re)
{
    uint8_t i;
    gen_id(&re->id);
    re->port = (uint16_t)(1025 + rnd(64000));
    re->addr_count = (uint8_t)(1 + rnd(PN_PNRP_ROUTE_ADDRS_MAX));
    for (i = 0; i < re->addr_count; i++)
        rnd_bytes(re->addrs[i], 16);
}

static void gen_cpa(pn_pnrp_cpa *c, int revoke)
{
    size_t i;
    uint8_t f = (uint8_t)(rnd(3) == 0 ? PN_PNRP_CPA_A
                          : rnd(2)    ? PN_PNRP_CPA_C
                                      : PN_PNRP_CPA_A | PN_PNRP_CPA_C);
    if (rnd(2))
        f |= PN_PNRP_CPA_X;
    if (rnd(2))
        f |= PN_PNRP_CPA_F | (rnd(2) ? PN_PNRP_CPA_U : 0);
    if (revoke)
        f |= PN_PNRP_CPA_R;
    c->flags = f;
    c->not_after = ((uint64_t)rng() << 32) | rng();
    rnd_bytes(c->service_loc, 16);
    if (!revoke)
        rnd_bytes(c->nonce, 16);
    if (f & PN_PNRP_CPA_A)
        rnd_bytes(c->authority, 20);
    if (f & PN_PNRP_CPA_C)
        rnd_bytes(c->classifier_hash, 20);
    if (f & PN_PNRP_CPA_F) {
        uint8_t *b = blob_pool[0];
        size_t n = 1 + rnd(39);
        for (i = 0; i < n; i++) {
            /* ASCII letters: valid in UTF-8 and, two bytes each, in UTF-16LE. */
            b[2 * i] = (uint8_t)('a' + rnd(26));
            b[2 * i + 1] = (f & PN_PNRP_CPA_U) ? (uint8_t)('a' + rnd(26)) : 0;
        }
        c->friendly_name.p = b;
        c->friendly_name.len = 2 * n;
    }
    c->addr_count = (uint8_t)(revoke ? rnd(5) : 1 + rnd(4));
    for (i = 0; i < c->addr_count; i++)
        gen_endpoint(&c->addrs[i]);
    if (rnd(2)) {
        c->payload_count = 1;
        c->payload_type = PN_PNRP_PAYLOAD_IPV6_ENDPOINTS;
        c->app_count = (uint8_t)(1 + rnd(PN_PNRP_APP_ENDPOINTS_MAX));
        for (i = 0; i < c->app_count; i++) {
            rnd_bytes(c->apps[i].addr, 16);
            c->apps[i].port = (uint16_t)rng();
            c->apps[i].protocol = (uint16_t)(rnd(2) ? 6 : 17);
        }
    }
    c->pubkey.key_data = key_data;
    c->sig.data = sig_data;
}

static void gen_msg(pn_pnrp_msg *m, int type)
{
    size_t i;
    memset(m, 0, sizeof *m);
    m->type = (uint8_t)type;
    m->msg_id = rng();
    switch (type) {
    case PN_PNRP_SOLICIT:
        m->u.solicit.has_controls = (uint8_t)rnd(2);
        m->u.solicit.solicit_type = (uint8_t)(m->u.solicit.has_controls ? rnd(2) : 0);
        m->u.solicit.has_route = (uint8_t)rnd(2);
        if (m->u.solicit.has_route)
            gen_route(&m->u.solicit.route);
        rnd_bytes(m->u.solicit.hashed_nonce, 20);
        break;
    case PN_PNRP_ADVERTISE:
        m->u.advertise.acked_id = rng();
        m->u.advertise.ids.count = (uint16_t)rnd(PN_PNRP_ID_ARRAY_MAX + 1);
        for (i = 0; i < m->u.advertise.ids.count; i++)
            gen_id(&m->u.advertise.ids.ids[i]);
        rnd_bytes(m->u.advertise.hashed_nonce, 20);
        break;
    case PN_PNRP_REQUEST:
        rnd_bytes(m->u.request.nonce, 16);
        m->u.request.ids.count = (uint16_t)rnd(PN_PNRP_ID_ARRAY_MAX + 1);
        for (i = 0; i < m->u.request.ids.count; i++)
            gen_id(&m->u.request.ids.ids[i]);
        break;
    case PN_PNRP_FLOOD: {
        pn_pnrp_flood *f = &m->u.flood;
        f->flag_d = (uint8_t)rnd(2);
        f->reserved2 = (uint8_t)rng();
        gen_id(&f->validate);
        f->has_revoke = (uint8_t)rnd(2);
        if (f->has_revoke)
            gen_cpa(&f->revoke, 1);
        f->has_route = (uint8_t)rnd(2);
        if (f->has_route)
            gen_route(&f->route);
        f->flooded.count = (uint8_t)rnd(PN_PNRP_PATH_MAX + 1);
        for (i = 0; i < f->flooded.count; i++)
            gen_endpoint(&f->flooded.eps[i]);
        break;
    }
    case PN_PNRP_INQUIRE:
        m->u.inquire.flag_a = (uint8_t)rnd(2);
        m->u.inquire.flag_x = (uint8_t)rnd(2);
        m->u.inquire.flag_c = (uint8_t)rnd(2);
        gen_id(&m->u.inquire.validate);
        m->u.inquire.has_nonce = (uint8_t)rnd(2);
        if (m->u.inquire.has_nonce)
            rnd_bytes(m->u.inquire.nonce, 16);
        break;
    case PN_PNRP_AUTHORITY: {
        pn_pnrp_authority *a = &m->u.authority;
        size_t nfrag;
        a->acked_id = rng();
        a->size = (uint16_t)(1 + rnd(5000));
        nfrag = pn_pnrp_fragment_count(a->size);
        a->offset = (uint16_t)(rnd((unsigned)nfrag) * PN_PNRP_FRAGMENT_LEN);
        a->fragment.len =
            a->size - a->offset > PN_PNRP_FRAGMENT_LEN ? PN_PNRP_FRAGMENT_LEN : a->size - a->offset;
        a->fragment.p = sig_data; /* any bytes: reuse a pool big enough */
        if (a->fragment.len > sizeof sig_data) {
            static uint8_t frag[PN_PNRP_FRAGMENT_LEN];
            rnd_bytes(frag, sizeof frag);
            a->fragment.p = frag;
        }
        break;
    }
    case PN_PNRP_ACK:
        m->u.ack.acked_id = rng();
        m->u.ack.has_flags = (uint8_t)rnd(2);
        m->u.ack.flag_n = (uint8_t)(m->u.ack.has_flags ? rnd(2) : 0);
        break;
    case PN_PNRP_LOOKUP: {
        static const uint8_t crit[5] = {0, 1, 2, 4, 8};
        pn_pnrp_lookup *l = &m->u.lookup;
        l->flag_a = (uint8_t)rnd(2);
        l->precision = (uint16_t)rng();
        l->criteria = crit[rnd(5)];
        l->reason = (uint8_t)rnd(4);
        gen_id(&l->target);
        gen_id(&l->validate);
        l->has_route = (uint8_t)rnd(2);
        if (l->has_route)
            gen_route(&l->route);
        l->path.count = (uint8_t)(1 + rnd(PN_PNRP_PATH_MAX));
        for (i = 0; i < l->path.count; i++)
            gen_endpoint(&l->path.eps[i]);
        break;
    }
    default:
        ck_abort();
    }
}

static int bytes_equal(pn_pnrp_bytes a, pn_pnrp_bytes b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* Compare a CPA field by field, then blank the pointers so memcmp can do the rest. */
static void cpa_same(pn_pnrp_cpa *want, pn_pnrp_cpa *got)
{
    ck_assert(bytes_equal(want->friendly_name, got->friendly_name));
    ck_assert_mem_eq(want->pubkey.key_data, got->pubkey.key_data, PN_PNRP_PUBKEY_DATA_LEN);
    ck_assert_mem_eq(want->sig.data, got->sig.data, PN_PNRP_SIG_DATA_LEN);
    ck_assert_mem_eq(got->pubkey.oid, "1.2.840.113549.1.1.1", 20);
    memset(&want->friendly_name, 0, sizeof want->friendly_name);
    memset(&got->friendly_name, 0, sizeof got->friendly_name);
    memset(&want->pubkey, 0, sizeof want->pubkey);
    memset(&got->pubkey, 0, sizeof got->pubkey);
    memset(&want->sig, 0, sizeof want->sig);
    memset(&got->sig, 0, sizeof got->sig);
    memset(&want->raw, 0, sizeof want->raw);
    memset(&got->raw, 0, sizeof got->raw);
}

START_TEST(pnrp_generated_messages_round_trip)
{
    static const int types[8] = {PN_PNRP_SOLICIT, PN_PNRP_ADVERTISE, PN_PNRP_REQUEST,
                                 PN_PNRP_FLOOD,   PN_PNRP_INQUIRE,   PN_PNRP_AUTHORITY,
                                 PN_PNRP_ACK,     PN_PNRP_LOOKUP};
    static pn_pnrp_msg want, got;
    static uint8_t buf[4096];
    int iter;
    PN_REQ("PNRP-2.2-01", "PNRP-2.2.2.1-02", "PNRP-2.2.2.1-03");
    PN_REQ("PNRP-2.2.2.2-02", "PNRP-2.2.2.3-01", "PNRP-2.2.2.4-01");
    PN_REQ("PNRP-2.2.2.4-03", "PNRP-2.2.2.4-04", "PNRP-2.2.2.4-05");
    PN_REQ("PNRP-2.2.2.5-01", "PNRP-2.2.2.5-03", "PNRP-2.2.2.6-01");
    PN_REQ("PNRP-2.2.2.7-01", "PNRP-2.2.2.7-02", "PNRP-2.2.2.8-01");
    PN_REQ("PNRP-2.2.2.8-02", "PNRP-2.2.2.8-05", "PNRP-2.2.3.1-05");
    PN_REQ("PNRP-2.2.3.1.1-01", "PNRP-2.2.3.4-03");
    rng_seed(0x5EED0001);
    make_key();
    for (iter = 0; iter < 4000; iter++) {
        pn_pnrp_decode_error e;
        size_t need = 0;
        int len, type = types[iter % 8], small;
        gen_msg(&want, type);
        len = pn_pnrp_encode(&want, buf, sizeof buf, &need);
        ck_assert_msg(len > 0, "encode type %d: %s", type, pn_errname(len));
        ck_assert_uint_eq(need, (size_t)len);
        /* A buffer one byte short reports the exact size. */
        small = pn_pnrp_encode(&want, buf, (size_t)len - 1, &need);
        ck_assert_int_eq(small, PN_ERR_BUFSIZE);
        ck_assert_uint_eq(need, (size_t)len);
        len = pn_pnrp_encode(&want, buf, sizeof buf, NULL);
        /* Decoders leave unused parts as they were (pnrp_wire.h); zeros compare with the
         * generated struct.  pnrp_decoders_set_every_field_they_promise covers the rest. */
        memset(&got, 0, sizeof got);
        ck_assert_msg(pn_pnrp_decode(buf, (size_t)len, PN_PNRP_STRICT, &got, &e) == PN_OK,
                      "type %d: %s at %u (%s)", type, pn_errname(e.code), (unsigned)e.offset,
                      e.field);
        if (type == PN_PNRP_FLOOD && want.u.flood.has_revoke)
            cpa_same(&want.u.flood.revoke, &got.u.flood.revoke);
        if (type == PN_PNRP_AUTHORITY) {
            ck_assert(bytes_equal(want.u.authority.fragment, got.u.authority.fragment));
            want.u.authority.fragment.p = got.u.authority.fragment.p = NULL;
        }
        ck_assert_msg(memcmp(&want, &got, sizeof want) == 0, "type %d differs after round trip",
                      type);
    }
}
END_TEST

static void gen_ab(pn_pnrp_authority_buffer *ab)
{
    static uint8_t chain[300], cls[2 * 149], xpdata[300];
    size_t i, n;
    memset(ab, 0, sizeof *ab);
    ab->flag_l = (uint8_t)rnd(2);
    ab->flag_b = (uint8_t)rnd(2);
    ab->flag_n = (uint8_t)rnd(2);
    if ((ab->has_cert_chain = (uint8_t)rnd(2)) != 0) {
        ab->cert_chain.len = 1 + rnd(sizeof chain);
        rnd_bytes(chain, ab->cert_chain.len);
        ab->cert_chain.p = chain;
    }
    if ((ab->has_classifier = (uint8_t)rnd(2)) != 0) {
        n = rnd(150);
        for (i = 0; i < n; i++) {
            uint16_t u = (uint16_t)(1 + rnd(0xFFFE));
            cls[2 * i] = (uint8_t)(u >> 8);
            cls[2 * i + 1] = (uint8_t)u;
        }
        ab->classifier.units = n ? cls : NULL;
        ab->classifier.count = (uint16_t)n;
    }
    if ((ab->has_ext_payload = (uint8_t)rnd(2)) != 0) {
        pn_pnrp_ext_payload *x = &ab->ext_payload;
        x->not_after = rng();
        gen_id(&x->id);
        rnd_bytes(x->nonce, 16);
        if (rnd(2)) {
            x->payload_type = PN_PNRP_XP_BINARY;
            x->data.len = 1 + rnd(sizeof xpdata);
            rnd_bytes(xpdata, x->data.len);
        } else {
            x->payload_type = PN_PNRP_XP_STRING;
            x->string_type = (uint16_t)rnd(2);
            n = 4 + rnd(100);
            for (i = 0; i < n; i++)
                xpdata[i] = (uint8_t)('A' + rnd(26));
            if (x->string_type == PN_PNRP_XP_UTF8) {
                xpdata[n - 1] = 0;
                x->data.len = n;
            } else {
                for (i = 0; i < n; i += 2)
                    xpdata[i + 1] = 0;
                n = (n + 1) & ~(size_t)1;
                xpdata[n] = xpdata[n + 1] = 0;
                x->data.len = n + 2;
            }
        }
        x->data.p = xpdata;
        x->sig.data = sig_data;
    }
    if ((ab->has_route = (uint8_t)rnd(2)) != 0)
        gen_route(&ab->route);
    if ((ab->has_cpa = (uint8_t)rnd(2)) != 0)
        gen_cpa(&ab->cpa, 0);
    if (!ab->has_cert_chain && !ab->has_classifier && !ab->has_ext_payload && !ab->has_route &&
        !ab->has_cpa)
        ab->flags_unpadded = (uint8_t)rnd(2);
}

START_TEST(pnrp_generated_authority_buffers_round_trip)
{
    static pn_pnrp_authority_buffer want, got;
    static uint8_t buf[8192];
    int iter;
    PN_REQ("PNRP-2.2.2.6.1-01", "PNRP-2.2.2.6.1-02", "PNRP-2.2.2.6.1-03");
    PN_REQ("PNRP-2.2.2.6.1-04", "PNRP-2.2.2.6.1-05", "PNRP-2.2.3.1-05");
    PN_REQ("PNRP-2.2.3.1-06", "PNRP-2.2.3.1-07", "PNRP-2.2.3.1.2-01");
    PN_REQ("PNRP-2.2.3.3-01", "PNRP-2.2.3.3-02", "PNRP-2.2.3.3-03");
    PN_REQ("PNRP-2.2.3.3-04");
    rng_seed(0x5EED0002);
    make_key();
    for (iter = 0; iter < 2000; iter++) {
        pn_pnrp_decode_error e;
        int len;
        gen_ab(&want);
        len = pn_pnrp_authority_buffer_encode(&want, buf, sizeof buf, NULL);
        ck_assert_msg(len > 0, "encode: %s", pn_errname(len));
        memset(&got, 0, sizeof got);
        ck_assert_msg(
            pn_pnrp_authority_buffer_decode(buf, (size_t)len, PN_PNRP_STRICT, &got, &e) == PN_OK,
            "iter %d: %s at %u (%s)", iter, pn_errname(e.code), (unsigned)e.offset, e.field);
        ck_assert(bytes_equal(want.cert_chain, got.cert_chain));
        want.cert_chain.p = got.cert_chain.p = NULL;
        ck_assert_uint_eq(want.classifier.count, got.classifier.count);
        if (want.classifier.count)
            ck_assert_mem_eq(want.classifier.units, got.classifier.units,
                             2u * want.classifier.count);
        want.classifier.units = got.classifier.units = NULL;
        if (want.has_ext_payload) {
            ck_assert(bytes_equal(want.ext_payload.data, got.ext_payload.data));
            ck_assert_mem_eq(want.ext_payload.sig.data, got.ext_payload.sig.data, 128);
            memset(&want.ext_payload.data, 0, sizeof want.ext_payload.data);
            memset(&got.ext_payload.data, 0, sizeof got.ext_payload.data);
            want.ext_payload.sig.data = got.ext_payload.sig.data = NULL;
            memset(&got.ext_payload.raw, 0, sizeof got.ext_payload.raw);
        }
        if (want.has_cpa)
            cpa_same(&want.cpa, &got.cpa);
        ck_assert_msg(memcmp(&want, &got, sizeof want) == 0, "iter %d differs", iter);
    }
}
END_TEST

START_TEST(pnrp_encoder_rejects_out_of_range_structs)
{
    static pn_pnrp_msg m;
    static uint8_t buf[2048];
    rng_seed(7);
    make_key();
    gen_msg(&m, PN_PNRP_LOOKUP);
    m.u.lookup.path.count = 0;
    ck_assert_int_eq(pn_pnrp_encode(&m, buf, sizeof buf, NULL), PN_ERR_PNRP_COUNT);
    gen_msg(&m, PN_PNRP_LOOKUP);
    m.u.lookup.has_route = 1;
    m.u.lookup.route.addr_count = 0;
    ck_assert_int_eq(pn_pnrp_encode(&m, buf, sizeof buf, NULL), PN_ERR_PNRP_COUNT);
    gen_msg(&m, PN_PNRP_ADVERTISE);
    m.u.advertise.ids.count = PN_PNRP_ID_ARRAY_MAX + 1;
    ck_assert_int_eq(pn_pnrp_encode(&m, buf, sizeof buf, NULL), PN_ERR_PNRP_TOO_MANY);
    gen_msg(&m, PN_PNRP_AUTHORITY);
    m.u.authority.offset = 5;
    ck_assert_int_eq(pn_pnrp_encode(&m, buf, sizeof buf, NULL), PN_ERR_PNRP_SPLIT);
    m.type = 0x05;
    ck_assert_int_eq(pn_pnrp_encode(&m, buf, sizeof buf, NULL), PN_ERR_PNRP_MSGTYPE);
}
END_TEST

/* The encoders size and check the whole struct before they write: a buffer one byte
 * short reports the exact size and is left untouched, and an invalid struct is reported
 * (ahead of a too-small buffer) without writing anything either. */
START_TEST(pnrp_encoders_size_first_and_write_nothing_on_error)
{
    static pn_pnrp_authority_buffer ab;
    static pn_pnrp_msg m;
    static uint8_t buf[8192], ref[8192];
    size_t need;
    int iter, len;
    rng_seed(0x5EED0003);
    make_key();
    for (iter = 0; iter < 500; iter++) {
        gen_ab(&ab);
        len = pn_pnrp_authority_buffer_encode(&ab, buf, sizeof buf, &need);
        ck_assert_int_gt(len, 0);
        ck_assert_uint_eq(need, (size_t)len);
        memset(buf, 0xA5, sizeof buf);
        memcpy(ref, buf, sizeof ref);
        ck_assert_int_eq(pn_pnrp_authority_buffer_encode(&ab, buf, (size_t)len - 1, &need),
                         PN_ERR_BUFSIZE);
        ck_assert_uint_eq(need, (size_t)len);
        ck_assert(memcmp(buf, ref, sizeof buf) == 0);
        if (ab.has_cpa) {
            len = pn_pnrp_cpa_encode(&ab.cpa, buf, sizeof buf, &need);
            ck_assert_int_gt(len, 0);
            ck_assert_int_eq(pn_pnrp_cpa_encode(&ab.cpa, buf, (size_t)len - 1, &need),
                             PN_ERR_BUFSIZE);
            ck_assert_uint_eq(need, (size_t)len);
        }
    }
    for (iter = 0; iter < 8 * 50; iter++) {
        static const uint8_t types[] = {PN_PNRP_SOLICIT, PN_PNRP_ADVERTISE, PN_PNRP_REQUEST,
                                        PN_PNRP_FLOOD,   PN_PNRP_INQUIRE,   PN_PNRP_AUTHORITY,
                                        PN_PNRP_ACK,     PN_PNRP_LOOKUP};
        gen_msg(&m, types[iter % 8]);
        len = pn_pnrp_encode(&m, buf, sizeof buf, NULL);
        ck_assert_int_gt(len, 0);
        memset(buf, 0x5A, sizeof buf);
        memcpy(ref, buf, sizeof ref);
        ck_assert_int_eq(pn_pnrp_encode(&m, buf, (size_t)len - 1, &need), PN_ERR_BUFSIZE);
        ck_assert_uint_eq(need, (size_t)len);
        ck_assert(memcmp(buf, ref, sizeof buf) == 0);
    }
    /* Invalid AUTHORITY_BUFFER parts, each with room to spare and with no room at all. */
    memset(buf, 0x5A, sizeof buf);
    memcpy(ref, buf, sizeof ref);
    gen_ab(&ab);
    ab.has_cert_chain = 1;
    ab.cert_chain.len = 0;
    ck_assert_int_eq(pn_pnrp_authority_buffer_encode(&ab, buf, sizeof buf, NULL),
                     PN_ERR_PNRP_FIELD_LENGTH);
    ck_assert_int_eq(pn_pnrp_authority_buffer_encode(&ab, buf, 0, NULL), PN_ERR_PNRP_FIELD_LENGTH);
    gen_ab(&ab);
    ab.has_classifier = 1;
    ab.classifier.count = PN_PNRP_CLASSIFIER_MAX + 1;
    ck_assert_int_eq(pn_pnrp_authority_buffer_encode(&ab, buf, 0, NULL), PN_ERR_PNRP_CLASSIFIER);
    gen_ab(&ab);
    ab.has_ext_payload = 1;
    ab.ext_payload.payload_type = 7;
    ck_assert_int_eq(pn_pnrp_authority_buffer_encode(&ab, buf, 0, NULL), PN_ERR_PNRP_EXT_PAYLOAD);
    gen_ab(&ab);
    ab.has_ext_payload = 0;
    ab.has_route = 1;
    ab.route.addr_count = 0;
    ck_assert_int_eq(pn_pnrp_authority_buffer_encode(&ab, buf, sizeof buf, NULL),
                     PN_ERR_PNRP_COUNT);
    gen_ab(&ab);
    ab.has_ext_payload = 0;
    ab.has_route = 0;
    ab.has_cpa = 1;
    gen_cpa(&ab.cpa, 0);
    ab.cpa.pubkey.key_data = NULL;
    ck_assert_int_eq(pn_pnrp_authority_buffer_encode(&ab, buf, 0, NULL), PN_ERR_PNRP_CPA);
    ck_assert_int_eq(pn_pnrp_cpa_encode(&ab.cpa, buf, sizeof buf, NULL), PN_ERR_PNRP_CPA);
    /* A FLOOD whose revoke CPA is invalid, and a LOOKUP without a path, into no room. */
    gen_msg(&m, PN_PNRP_FLOOD);
    m.u.flood.has_revoke = 1;
    gen_cpa(&m.u.flood.revoke, 1);
    m.u.flood.revoke.addr_count = 5;
    ck_assert_int_eq(pn_pnrp_encode(&m, buf, 0, NULL), PN_ERR_PNRP_CPA);
    gen_msg(&m, PN_PNRP_LOOKUP);
    m.u.lookup.path.count = 0;
    ck_assert_int_eq(pn_pnrp_encode(&m, buf, 4, NULL), PN_ERR_PNRP_COUNT);
    ck_assert(memcmp(buf, ref, sizeof buf) == 0);
}
END_TEST

/* ---- fragmentation and reassembly ---------------------------------------------------- */
static uint8_t big_ab[PN_PNRP_REASSEMBLY_BYTES];
static uint8_t frags[8][1300];
static int frag_len[8];

static size_t make_frags(size_t ab_len, uint32_t msg_id)
{
    size_t i, n = pn_pnrp_fragment_count(ab_len);
    for (i = 0; i < ab_len; i++)
        big_ab[i] = (uint8_t)(i * 7 + (i >> 8));
    for (i = 0; i < n; i++) {
        frag_len[i] = pn_pnrp_fragment_encode(msg_id, 0xACC, big_ab, ab_len, i, frags[i],
                                              sizeof frags[i], NULL);
        ck_assert_int_gt(frag_len[i], 0);
    }
    return n;
}

static int feed(pn_pnrp_reasm *ra, uint64_t now, const uint8_t *addr, uint16_t port, size_t k,
                const uint8_t **out, size_t *out_len)
{
    static pn_pnrp_msg m;
    pn_pnrp_decode_error e;
    ck_assert_int_eq(pn_pnrp_decode(frags[k], (size_t)frag_len[k], PN_PNRP_STRICT, &m, &e), PN_OK);
    return pn_pnrp_reasm_input(ra, now, addr, port, m.msg_id, &m.u.authority, out, out_len);
}

static const uint8_t A1[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t A2[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

START_TEST(pnrp_fragmentation_splits_at_1188)
{
    static pn_pnrp_msg m;
    pn_pnrp_decode_error e;
    size_t n, i;
    PN_REQ("PNRP-3.2.5.10-01", "PNRP-3.2.5.10-02");
    ck_assert_uint_eq(pn_pnrp_fragment_count(1), 1);
    ck_assert_uint_eq(pn_pnrp_fragment_count(1188), 1);
    ck_assert_uint_eq(pn_pnrp_fragment_count(1189), 2);
    ck_assert_uint_eq(pn_pnrp_fragment_count(2000), 2);
    ck_assert_uint_eq(pn_pnrp_fragment_count(37348), 32);
    n = make_frags(2000, 0x11223344);
    ck_assert_uint_eq(n, 2);
    for (i = 0; i < n; i++) {
        ck_assert_int_eq(pn_pnrp_decode(frags[i], (size_t)frag_len[i], PN_PNRP_STRICT, &m, &e),
                         PN_OK);
        /* Every fragment repeats the same header values. */
        ck_assert_uint_eq(m.msg_id, 0x11223344);
        ck_assert_uint_eq(m.u.authority.size, 2000);
        ck_assert_uint_eq(m.u.authority.offset, i * 1188);
        ck_assert_uint_eq(m.u.authority.fragment.len, i == 0 ? 1188 : 812);
        ck_assert_mem_eq(m.u.authority.fragment.p, big_ab + i * 1188, m.u.authority.fragment.len);
    }
    ck_assert_int_eq(pn_pnrp_fragment_encode(1, 1, big_ab, 2000, 2, frags[2], 1300, NULL),
                     PN_ERR_ARG);
    ck_assert_int_eq(pn_pnrp_fragment_encode(1, 1, big_ab, 37349, 0, frags[2], 1300, NULL),
                     PN_ERR_ARG);
}
END_TEST

START_TEST(pnrp_reassembly_in_order_out_of_order_and_duplicates)
{
    static pn_pnrp_reasm ra;
    const uint8_t *out;
    size_t out_len, n;
    pn_pnrp_reasm_init(&ra, 1000);
    PN_REQ("PNRP-3.1.5.6-01", "PNRP-3.1.5.6-04");
    n = make_frags(5000, 7);
    ck_assert_uint_eq(n, 5);
    /* Out of order, with duplicates of fragments not yet complete. */
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 3, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 1, A1, 3540, 0, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 2, A1, 3540, 3, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 3, A1, 3540, 4, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 4, A1, 3540, 1, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 5, A1, 3540, 2, &out, &out_len), 1);
    ck_assert_uint_eq(out_len, 5000);
    ck_assert_mem_eq(out, big_ab, 5000);
    /* The slot is free again: a late duplicate starts a new reassembly, no completion. */
    ck_assert_int_eq(feed(&ra, 6, A1, 3540, 2, &out, &out_len), 0);
    /* An unfragmented buffer comes straight back. */
    n = make_frags(600, 8);
    ck_assert_int_eq(feed(&ra, 7, A1, 3540, 0, &out, &out_len), 1);
    ck_assert_uint_eq(out_len, 600);
}
END_TEST

START_TEST(pnrp_reassembly_keys_on_source_and_message_id)
{
    static pn_pnrp_reasm ra;
    const uint8_t *out;
    size_t out_len;
    pn_pnrp_reasm_init(&ra, 1000);
    PN_REQ("PNRP-3.1.5.6-01");
    make_frags(2000, 9);
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 0, &out, &out_len), 0);
    /* Same Message ID from another address or port does not complete A1's buffer. */
    ck_assert_int_eq(feed(&ra, 0, A2, 3540, 1, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 0, A1, 3541, 1, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 1, &out, &out_len), 1);
    ck_assert_mem_eq(out, big_ab, 2000);
}
END_TEST

START_TEST(pnrp_reassembly_conflicts_and_size_changes_drop_state)
{
    static pn_pnrp_reasm ra;
    static pn_pnrp_msg m;
    pn_pnrp_authority a;
    pn_pnrp_decode_error e;
    const uint8_t *out;
    size_t out_len;
    uint8_t alt[1188];
    pn_pnrp_reasm_init(&ra, 1000);
    PN_REQ("PNRP-3.1.5.6-02", "PNRP-3.1.5.6-03");
    make_frags(3000, 10);
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 0, &out, &out_len), 0);
    /* The same fragment with other bytes (an overlap that disagrees): state dropped. */
    ck_assert_int_eq(pn_pnrp_decode(frags[0], (size_t)frag_len[0], 0, &m, &e), PN_OK);
    a = m.u.authority;
    memcpy(alt, a.fragment.p, sizeof alt);
    alt[5] ^= 1;
    a.fragment.p = alt;
    ck_assert_int_eq(pn_pnrp_reasm_input(&ra, 0, A1, 3540, 10, &a, &out, &out_len),
                     PN_ERR_PNRP_REASM);
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 1, &out, &out_len), 0); /* starts over */
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 2, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 0, &out, &out_len), 1);
    /* A different Size for the same reassembly deletes it. */
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 0, &out, &out_len), 0);
    a = m.u.authority;
    a.size = 2500;
    ck_assert_int_eq(pn_pnrp_reasm_input(&ra, 0, A1, 3540, 10, &a, &out, &out_len),
                     PN_ERR_PNRP_SPLIT);
    ck_assert_int_eq(feed(&ra, 0, A1, 3540, 1, &out, &out_len), 0);
    /* Overlapping boundaries (a short non-final fragment) never reach the slots. */
    a = m.u.authority;
    a.fragment.len = 600;
    ck_assert_int_eq(pn_pnrp_reasm_input(&ra, 0, A1, 3540, 10, &a, &out, &out_len),
                     PN_ERR_PNRP_SPLIT);
    ck_assert_uint_ge(ra.dropped, 3);
}
END_TEST

START_TEST(pnrp_reassembly_times_out_and_limits_slots)
{
    static pn_pnrp_reasm ra;
    const uint8_t *out;
    size_t out_len;
    uint16_t port;
    pn_pnrp_reasm_init(&ra, 500);
    PN_REQ("PNRP-3.1.5.6-01");
    make_frags(2000, 11);
    ck_assert(pn_pnrp_reasm_next_deadline(&ra) == UINT64_MAX);
    ck_assert_int_eq(feed(&ra, 1000, A1, 3540, 0, &out, &out_len), 0);
    ck_assert(pn_pnrp_reasm_next_deadline(&ra) == 1500);
    /* After the deadline the first half is gone: the second half alone does not finish. */
    ck_assert_int_eq(feed(&ra, 1500, A1, 3540, 1, &out, &out_len), 0);
    ck_assert_int_eq(pn_pnrp_reasm_expire(&ra, 1999), 0);
    ck_assert_int_eq(pn_pnrp_reasm_expire(&ra, 2000), 1);
    /* Exhaustion: every slot busy, a newcomer is dropped and live ones survive. */
    for (port = 0; port < PN_PNRP_REASSEMBLY_SLOTS; port++)
        ck_assert_int_eq(feed(&ra, 3000, A1, (uint16_t)(4000 + port), 0, &out, &out_len), 0);
    ck_assert_int_eq(feed(&ra, 3000, A2, 3540, 0, &out, &out_len), PN_ERR_NOMEM);
    ck_assert_int_eq(feed(&ra, 3100, A1, 4000, 1, &out, &out_len), 1);
    ck_assert_mem_eq(out, big_ab, 2000);
    /* A freed slot is reusable; expiry frees the rest. */
    ck_assert_int_eq(feed(&ra, 3100, A2, 3540, 0, &out, &out_len), 0);
    ck_assert_int_eq(pn_pnrp_reasm_expire(&ra, 10000), PN_PNRP_REASSEMBLY_SLOTS);
    /* A buffer larger than PN_PNRP_REASSEMBLY_BYTES cannot be reassembled. */
    {
        static pn_pnrp_msg m;
        pn_pnrp_decode_error e;
        static uint8_t buf[1300];
        int len = pn_pnrp_fragment_encode(12, 1, big_ab, PN_PNRP_REASSEMBLY_BYTES, 0, buf,
                                          sizeof buf, NULL);
        ck_assert_int_gt(len, 0);
        ck_assert_int_eq(pn_pnrp_decode(buf, (size_t)len, 0, &m, &e), PN_OK);
        m.u.authority.size = PN_PNRP_REASSEMBLY_BYTES + 1;
        ck_assert_int_eq(pn_pnrp_reasm_input(&ra, 0, A1, 3540, 12, &m.u.authority, &out, &out_len),
                         PN_ERR_NOMEM);
    }
}
END_TEST

/* ---- tool ---------------------------------------------------------------------------- */
static int run_tool(const char *args)
{
    char cmd[1024];
    const char *tool = getenv("PN_TOOL");
    char vd[512];
    int rc;
    if (tool == NULL)
        tool = "build/peernet";
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s%s' decode %s >/dev/null 2>&1",
             pn_test_path(VEC_DIR, vd, sizeof vd), tool[0] == '/' ? "" : "../../../", tool, args);
    rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

START_TEST(pnrp_decode_tool_exit_codes)
{
    ck_assert_int_eq(run_tool("pnrp --hex lookup_digest.hex"), 0);
    ck_assert_int_eq(run_tool("pnrp --hex authority_everything.hex"), 0);
    ck_assert_int_eq(run_tool("pnrp --hex bad_route_port.hex"), 1);
    ck_assert_int_eq(run_tool("pnrp --hex --strict bad_lookup_reserved2.hex"), 1);
    ck_assert_int_eq(run_tool("pnrp --hex bad_lookup_reserved2.hex"), 0);
    ck_assert_int_eq(run_tool("graph --hex --strict lookup_digest.hex"), 2); /* pnrp-only flag */
    ck_assert_int_eq(run_tool("pnrp"), 2);
    ck_assert_int_eq(run_tool("pnrp --bogus x"), 2);
    ck_assert_int_eq(run_tool("pnrp --hex no_such_file.hex"), 2);
}
END_TEST

/* ---- peer names and IDs -------------------------------------------------------------- */
static void id_hex(pn_pnrp_id *id, const char *hex)
{
    ck_assert_int_eq(pn_test_hex(hex, id->b, sizeof id->b), 32);
}

START_TEST(pnrp_peer_names_parse_and_validate)
{
    static const char *good[] = {"0.MyApplication", "0.", "0.a.b.c", "0.caf\xC3\xA9",
                                 "0123456789abcdef0123456789abcdef01234567.printer"};
    static const char *bad[] = {"MyApplication",
                                "1.x",
                                "00.x",
                                ".x",
                                "0123456789ABCDEF0123456789abcdef01234567.x",  /* upper-case hex */
                                "0123456789abcdef0123456789abcdef0123456.x",   /* 39 digits */
                                "0123456789abcdef0123456789abcdef012345678.x", /* 41 digits */
                                "0123456789abcdef0123456789abcdef0123456g.x",
                                "0.\xC3",
                                "0.\xED\xA0\x80"};
    char name[400];
    pn_pnrp_name n;
    size_t i;
    PN_REQ("PNRP-2.2.4-01", "PNRP-2.2.4-02", "PNRP-1.3.1.1-01");
    for (i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert_msg(pn_pnrp_name_parse(good[i], strlen(good[i]), &n) == PN_OK, "%s", good[i]);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(pn_pnrp_name_parse(bad[i], strlen(bad[i]), &n) == PN_ERR_PNRP_NAME, "%s",
                      bad[i]);
    ck_assert_int_eq(pn_pnrp_name_parse("0.MyApp", 7, &n), PN_OK);
    ck_assert_uint_eq(n.secure, 0);
    ck_assert_uint_eq(n.classifier_len, 5);
    ck_assert_mem_eq(n.classifier, "MyApp", 5);
    /* The classifier splits at the first dot only. */
    ck_assert_int_eq(pn_pnrp_name_parse("0.a.b", 5, &n), PN_OK);
    ck_assert_mem_eq(n.classifier, "a.b", 3);
    ck_assert_int_eq(pn_pnrp_name_parse(good[4], strlen(good[4]), &n), PN_OK);
    ck_assert_uint_eq(n.secure, 1);
    ck_assert_uint_eq(n.authority[0], 0x01);
    ck_assert_uint_eq(n.authority[19], 0x67);
    /* An embedded NUL is not a clchar. */
    ck_assert_int_eq(pn_pnrp_name_parse("0.a\0b", 5, &n), PN_ERR_PNRP_NAME);
    /* 149 code units fit, 150 do not; a supplementary character counts twice. */
    memcpy(name, "0.", 2);
    memset(name + 2, 'x', 149);
    ck_assert_int_eq(pn_pnrp_name_parse(name, 151, &n), PN_OK);
    ck_assert_uint_eq(n.classifier_units, 149);
    memset(name + 2, 'x', 150);
    ck_assert_int_eq(pn_pnrp_name_parse(name, 152, &n), PN_ERR_PNRP_NAME);
    memset(name + 2, 'x', 147);
    memcpy(name + 149, "\xF0\x9F\x98\x80", 4); /* U+1F600: 2 code units, 149 in all */
    ck_assert_int_eq(pn_pnrp_name_parse(name, 153, &n), PN_OK);
    ck_assert_uint_eq(n.classifier_units, 149);
    memcpy(name + 149, "x\xF0\x9F\x98\x80", 5); /* 150 units */
    ck_assert_int_eq(pn_pnrp_name_parse(name, 154, &n), PN_ERR_PNRP_NAME);
}
END_TEST

START_TEST(pnrp_secure_name_authority_is_hash_of_key)
{
    static const uint8_t key[] = "any public key bytes";
    uint8_t h[20];
    char text[41 + 8];
    pn_pnrp_name n;
    size_t len;
    PN_REQ("PNRP-1.3.1.1-01", "PNRP-2.2.3.1-09");
    pn_pnrp_authority_of_key(key, sizeof key - 1, h);
    len = pn_pnrp_authority_format(h, 1, text);
    ck_assert_uint_eq(len, 40);
    memcpy(text + 40, ".Chat", 6);
    ck_assert_int_eq(pn_pnrp_name_parse(text, 45, &n), PN_OK);
    ck_assert_mem_eq(n.authority, h, 20);
    ck_assert_int_eq(pn_pnrp_name_matches_key(&n, key, sizeof key - 1), 1);
    ck_assert_int_eq(pn_pnrp_name_matches_key(&n, key, sizeof key - 2), 0);
    ck_assert_uint_eq(pn_pnrp_authority_format(h, 0, text), 1);
    ck_assert_str_eq(text, "0");
    ck_assert_int_eq(pn_pnrp_name_parse("0.Chat", 6, &n), PN_OK);
    ck_assert_int_eq(pn_pnrp_name_matches_key(&n, key, sizeof key - 1), 0);
}
END_TEST

/* Digest section 6.2 values for "MyApplication", unsecured, UTF-16LE without NUL. */
START_TEST(pnrp_p2p_id_matches_digest_values)
{
    uint8_t ch[20], want_ch[20], p2p[16], want_p2p[16], sl[16];
    static const uint8_t zero[20] = {0};
    pn_pnrp_name n;
    pn_pnrp_id id;
    PN_REQ("PNRP-1.3.1.2-01", "PNRP-3.1.4.4.1-01");
    ck_assert_int_eq(pn_pnrp_classifier_hash("MyApplication", 13, ch), PN_OK);
    pn_test_hex("5aaeff8d28696055198e4405d0db2444285e37f3", want_ch, sizeof want_ch);
    ck_assert_mem_eq(ch, want_ch, 20);
    pn_pnrp_p2p_id(ch, zero, p2p);
    pn_test_hex("7775c82766bfb84e1ca6276fe033d797", want_p2p, sizeof want_p2p);
    ck_assert_mem_eq(p2p, want_p2p, 16);
    /* The whole ID: P2P ID in the upper 128 bits, service location below. */
    pn_pnrp_service_location(0x20010db800000000ull, 0x8000000000000000ull, sl);
    ck_assert_uint_eq(sl[0], 0x20);
    ck_assert_uint_eq(sl[8], 0x80);
    ck_assert_int_eq(pn_pnrp_name_parse("0.MyApplication", 15, &n), PN_OK);
    ck_assert_int_eq(pn_pnrp_name_id(&n, sl, &id), PN_OK);
    ck_assert_mem_eq(id.b, want_p2p, 16);
    ck_assert_mem_eq(id.b + 16, sl, 16);
}
END_TEST

START_TEST(pnrp_cpa_id_matches_name_id)
{
    static pn_pnrp_msg m;
    static pn_pnrp_authority_buffer ab;
    static const uint8_t key[140] = {0x30};
    pn_pnrp_cpa cpa;
    pn_pnrp_name n;
    pn_pnrp_id from_name, from_cpa, wire_back;
    uint8_t sl[16], wire[32];
    char text[64];
    PN_REQ("PNRP-3.1.4.4.1-01", "PNRP-2.2.3.1-09");
    (void)m;
    (void)ab;
    memset(&cpa, 0, sizeof cpa);
    pn_pnrp_authority_of_key(key, sizeof key, cpa.authority);
    pn_pnrp_authority_format(cpa.authority, 1, text);
    memcpy(text + 40, ".svc", 5);
    ck_assert_int_eq(pn_pnrp_name_parse(text, 44, &n), PN_OK);
    pn_pnrp_service_location(0x1122334455667788ull, 0x99aabbccddeeff00ull, sl);
    ck_assert_int_eq(pn_pnrp_name_id(&n, sl, &from_name), PN_OK);
    cpa.flags = PN_PNRP_CPA_A | PN_PNRP_CPA_C;
    ck_assert_int_eq(pn_pnrp_classifier_hash("svc", 3, cpa.classifier_hash), PN_OK);
    memcpy(cpa.service_loc, sl, 16);
    pn_pnrp_cpa_id(&cpa, &from_cpa);
    ck_assert_mem_eq(from_name.b, from_cpa.b, 32);
    /* The wire order helper is its own inverse (decision PW-1). */
    pn_pnrp_id_to_wire(wire, &from_cpa);
    pn_pnrp_id_from_wire(&wire_back, wire);
    ck_assert_mem_eq(wire_back.b, from_cpa.b, 32);
    ck_assert_uint_eq(wire[0], PN_PNRP_ID_WIRE_LSB_FIRST ? from_cpa.b[31] : from_cpa.b[0]);
    /* Unsecured: no A flag, authority counted as 160 zero bits. */
    ck_assert_int_eq(pn_pnrp_name_parse("0.svc", 5, &n), PN_OK);
    ck_assert_int_eq(pn_pnrp_name_id(&n, sl, &from_name), PN_OK);
    cpa.flags = PN_PNRP_CPA_C;
    pn_pnrp_cpa_id(&cpa, &from_cpa);
    ck_assert_mem_eq(from_name.b, from_cpa.b, 32);
}
END_TEST

START_TEST(pnrp_service_location_suffix_is_deterministic)
{
    pn_pnrp_endpoint ep = {3540, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
    static const uint8_t key[3] = {1, 2, 3};
    uint64_t a = pn_pnrp_sl_suffix(key, 3, &ep, 1, 7);
    ck_assert(a == pn_pnrp_sl_suffix(key, 3, &ep, 1, 7));
    ck_assert(a != pn_pnrp_sl_suffix(key, 3, &ep, 1, 8));
    ck_assert(a != pn_pnrp_sl_suffix(key, 3, &ep, 0, 7));
}
END_TEST

START_TEST(pnrp_id_arithmetic_on_the_circle)
{
    pn_pnrp_id zero, one, max, half, a, b, d, t;
    PN_REQ("PNRP-1.3.3-01");
    memset(&zero, 0, sizeof zero);
    memset(&max, 0xFF, sizeof max);
    one = zero;
    one.b[31] = 1;
    half = zero;
    half.b[0] = 0x80;
    /* +1 wraps from 2^256-1 to 0. */
    a = max;
    pn_pnrp_id_inc(&a);
    ck_assert_int_eq(pn_pnrp_id_cmp(&a, &zero), 0);
    a = zero;
    a.b[31] = 0xFF;
    pn_pnrp_id_inc(&a);
    ck_assert_uint_eq(a.b[30], 1);
    ck_assert_uint_eq(a.b[31], 0);
    /* add/sub are inverse mod 2^256. */
    pn_pnrp_id_add(&a, &max, &one);
    ck_assert_int_eq(pn_pnrp_id_cmp(&a, &zero), 0);
    pn_pnrp_id_sub(&a, &zero, &one);
    ck_assert_int_eq(pn_pnrp_id_cmp(&a, &max), 0);
    /* 0 and 2^256-1 are neighbours. */
    pn_pnrp_id_distance(&d, &zero, &max);
    ck_assert_int_eq(pn_pnrp_id_cmp(&d, &one), 0);
    pn_pnrp_id_distance(&d, &max, &zero);
    ck_assert_int_eq(pn_pnrp_id_cmp(&d, &one), 0);
    /* The largest distance is 2^255. */
    pn_pnrp_id_distance(&d, &zero, &half);
    ck_assert_int_eq(pn_pnrp_id_cmp(&d, &half), 0);
    /* Closer: from target 0, max (distance 1) beats 2 (distance 2); ties give 0. */
    b = zero;
    b.b[31] = 2;
    ck_assert_int_eq(pn_pnrp_id_closer(&zero, &max, &b), -1);
    ck_assert_int_eq(pn_pnrp_id_closer(&zero, &b, &max), 1);
    t = zero;
    t.b[31] = 1;
    ck_assert_int_eq(pn_pnrp_id_closer(&t, &zero, &b), 0);
    ck_assert_int_eq(pn_pnrp_id_cmp(&one, &zero), 1);
    ck_assert_int_eq(pn_pnrp_id_cmp(&zero, &one), -1);
    /* Prefix comparison (LOOKUP criteria use 128, 192 or Precision bits). */
    a = zero;
    b = zero;
    b.b[16] = 0x01;
    ck_assert_int_eq(pn_pnrp_id_prefix_equal(&a, &b, 128), 1);
    ck_assert_int_eq(pn_pnrp_id_prefix_equal(&a, &b, 135), 1);
    ck_assert_int_eq(pn_pnrp_id_prefix_equal(&a, &b, 136), 0);
    ck_assert_int_eq(pn_pnrp_id_prefix_equal(&a, &b, 0), 1);
    ck_assert_int_eq(pn_pnrp_id_prefix_equal(&a, &b, 999), 0);
    /* Random checks: distance is symmetric and d(a,b) <= 2^255. */
    {
        int i;
        rng_seed(99);
        for (i = 0; i < 2000; i++) {
            pn_pnrp_id d2;
            rnd_bytes(a.b, 32);
            rnd_bytes(b.b, 32);
            pn_pnrp_id_distance(&d, &a, &b);
            pn_pnrp_id_distance(&d2, &b, &a);
            ck_assert_int_eq(pn_pnrp_id_cmp(&d, &d2), 0);
            ck_assert_int_le(pn_pnrp_id_cmp(&d, &half), 0);
            pn_pnrp_id_add(&t, &a, &b);
            pn_pnrp_id_sub(&t, &t, &b);
            ck_assert_int_eq(pn_pnrp_id_cmp(&t, &a), 0);
        }
    }
    id_hex(&a, "00000000000000000000000000000000000000000000000000000000000000ff");
    ck_assert_uint_eq(a.b[31], 0xFF);
}
END_TEST

PN_SUITE(pnrp_wire)
{
    Suite *s = suite_create("pnrp_wire");
    TCase *tc = tcase_create("pnrp_wire");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pnrp_vectors_decode_as_expected);
    tcase_add_test(tc, pnrp_vectors_cover_every_decoder_error);
    tcase_add_test(tc, pnrp_vectors_reencode_identically);
    tcase_add_test(tc, pnrp_mutation_sweep_never_crashes);
    tcase_add_test(tc, pnrp_fast_paths_agree_with_the_fieldwise_decoder);
    tcase_add_test(tc, pnrp_decoders_set_every_field_they_promise);
    tcase_add_test(tc, pnrp_generated_messages_round_trip);
    tcase_add_test(tc, pnrp_generated_authority_buffers_round_trip);
    tcase_add_test(tc, pnrp_encoder_rejects_out_of_range_structs);
    tcase_add_test(tc, pnrp_encoders_size_first_and_write_nothing_on_error);
    tcase_add_test(tc, pnrp_fragmentation_splits_at_1188);
    tcase_add_test(tc, pnrp_reassembly_in_order_out_of_order_and_duplicates);
    tcase_add_test(tc, pnrp_reassembly_keys_on_source_and_message_id);
    tcase_add_test(tc, pnrp_reassembly_conflicts_and_size_changes_drop_state);
    tcase_add_test(tc, pnrp_reassembly_times_out_and_limits_slots);
    tcase_add_test(tc, pnrp_decode_tool_exit_codes);
    tcase_add_test(tc, pnrp_peer_names_parse_and_validate);
    tcase_add_test(tc, pnrp_secure_name_authority_is_hash_of_key);
    tcase_add_test(tc, pnrp_p2p_id_matches_digest_values);
    tcase_add_test(tc, pnrp_cpa_id_matches_name_id);
    tcase_add_test(tc, pnrp_service_location_suffix_is_deterministic);
    tcase_add_test(tc, pnrp_id_arithmetic_on_the_circle);
    suite_add_tcase(s, tc);
    return s;
}
