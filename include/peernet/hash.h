/* Hashes (MD5, SHA-1, SHA-256), HMAC over each, constant-time compare and secure wipe.
 *
 * Streaming init/update/final; a context is a plain struct, so copying it takes a
 * midstate (hash a common prefix once, then finish several messages from it).
 * Context types carry a _ctx suffix (pn_sha256_ctx); the bare names (pn_sha256) are
 * the one-shot functions.  Every _final wipes its context.
 */
#ifndef PEERNET_HASH_H
#define PEERNET_HASH_H

#include <stddef.h>
#include <stdint.h>

#define PN_MD5_LEN        16
#define PN_SHA1_LEN       20
#define PN_SHA256_LEN     32
#define PN_HASH_MAX_LEN   32
#define PN_HASH_BLOCK_MAX 64

typedef struct pn_md5_ctx {
    uint32_t h[4];
    uint64_t count; /* bytes hashed */
    uint8_t buf[64];
} pn_md5_ctx;

typedef struct pn_sha1_ctx {
    uint32_t h[5];
    uint64_t count;
    uint8_t buf[64];
} pn_sha1_ctx;

typedef struct pn_sha256_ctx {
    uint32_t h[8];
    uint64_t count;
    uint8_t buf[64];
} pn_sha256_ctx;

void pn_md5_init(pn_md5_ctx *c);
void pn_md5_update(pn_md5_ctx *c, const void *data, size_t len);
void pn_md5_final(pn_md5_ctx *c, uint8_t out[PN_MD5_LEN]); /* wipes c */
void pn_md5(const void *data, size_t len, uint8_t out[PN_MD5_LEN]);

void pn_sha1_init(pn_sha1_ctx *c);
void pn_sha1_update(pn_sha1_ctx *c, const void *data, size_t len);
void pn_sha1_final(pn_sha1_ctx *c, uint8_t out[PN_SHA1_LEN]);
void pn_sha1(const void *data, size_t len, uint8_t out[PN_SHA1_LEN]);

void pn_sha256_init(pn_sha256_ctx *c);
void pn_sha256_update(pn_sha256_ctx *c, const void *data, size_t len);
void pn_sha256_final(pn_sha256_ctx *c, uint8_t out[PN_SHA256_LEN]);
void pn_sha256(const void *data, size_t len, uint8_t out[PN_SHA256_LEN]);

/* A hash chosen at run time (PKCS#1 DigestInfo, HMAC, DRBG). */
typedef enum pn_hash_id { PN_HASH_MD5 = 1, PN_HASH_SHA1 = 2, PN_HASH_SHA256 = 3 } pn_hash_id;

typedef struct pn_hash_ctx {
    pn_hash_id id;
    union {
        pn_md5_ctx md5;
        pn_sha1_ctx sha1;
        pn_sha256_ctx sha256;
    } u;
} pn_hash_ctx;

size_t pn_hash_len(pn_hash_id id);               /* 0 for an unknown id */
int pn_hash_init(pn_hash_ctx *c, pn_hash_id id); /* PN_ERR_CRYPTO_ALGORITHM */
void pn_hash_update(pn_hash_ctx *c, const void *data, size_t len);
void pn_hash_final(pn_hash_ctx *c, uint8_t *out); /* pn_hash_len(id) bytes */
int pn_hash(pn_hash_id id, const void *data, size_t len, uint8_t *out);

/* HMAC (RFC 2104) over any of the three hashes. */
typedef struct pn_hmac_ctx {
    pn_hash_ctx inner, outer;
} pn_hmac_ctx;

int pn_hmac_init(pn_hmac_ctx *c, pn_hash_id id, const void *key, size_t key_len);
void pn_hmac_update(pn_hmac_ctx *c, const void *data, size_t len);
void pn_hmac_final(pn_hmac_ctx *c, uint8_t *out); /* wipes c */
int pn_hmac(pn_hash_id id, const void *key, size_t key_len, const void *data, size_t len,
            uint8_t *out);

/* 1 when a and b are equal, 0 otherwise; time depends only on len. */
int pn_ct_equal(const void *a, const void *b, size_t len);
/* Overwrite len bytes with zeros in a way the compiler cannot drop. */
void pn_wipe(void *p, size_t len);

#endif
