/* Fuzz harness: hashing and HMAC must not depend on how the input is cut.
 * Input: two bytes choosing split points, then the message.  For MD5, SHA-1, SHA-256
 * and HMAC over each (keyed with the message's first bytes) the one-shot result must
 * equal the result of feeding the message in two and in three pieces, and a copied
 * midstate must finish the same way. */
#include <stdlib.h>
#include <string.h>

#include "peernet/hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(pn_hash_id id, const uint8_t *msg, size_t len, size_t a, size_t b)
{
    uint8_t one[PN_HASH_MAX_LEN], two[PN_HASH_MAX_LEN], three[PN_HASH_MAX_LEN];
    size_t n = pn_hash_len(id);
    size_t klen = len < 80 ? len : 80; /* keys both below and above the block size */
    pn_hash_ctx c, copy;
    pn_hmac_ctx h, hcopy;
    if (pn_hash(id, msg, len, one) != 0)
        abort();
    pn_hash_init(&c, id);
    pn_hash_update(&c, msg, a);
    copy = c;
    pn_hash_update(&c, msg + a, len - a);
    pn_hash_final(&c, two);
    pn_hash_update(&copy, msg + a, b - a);
    pn_hash_update(&copy, msg + b, len - b);
    pn_hash_final(&copy, three);
    if (memcmp(one, two, n) != 0 || memcmp(one, three, n) != 0)
        abort();
    if (pn_hmac(id, msg, klen, msg, len, one) != 0)
        abort();
    pn_hmac_init(&h, id, msg, klen);
    pn_hmac_update(&h, msg, a);
    hcopy = h;
    pn_hmac_update(&h, msg + a, len - a);
    pn_hmac_final(&h, two);
    pn_hmac_update(&hcopy, msg + a, b - a);
    pn_hmac_update(&hcopy, msg + b, len - b);
    pn_hmac_final(&hcopy, three);
    if (memcmp(one, two, n) != 0 || memcmp(one, three, n) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len, a, b;
    if (size < 2 || size > 1024)
        return 0;
    len = size - 2;
    a = len ? ((size_t)data[0] * 257u) % (len + 1) : 0;
    b = a + (len - a ? ((size_t)data[1] * 263u) % (len - a + 1) : 0);
    check(PN_HASH_MD5, data + 2, len, a, b);
    check(PN_HASH_SHA1, data + 2, len, a, b);
    check(PN_HASH_SHA256, data + 2, len, a, b);
    return 0;
}
