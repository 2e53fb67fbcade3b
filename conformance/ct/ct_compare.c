/* Constant-time check: pn_ct_equal, and HMAC tag computation followed by verification
 * with pn_ct_equal, the way a receiver checks a MAC (key, message and both tags secret
 * until the verdict).  Only the verdict of each comparison is made public.
 *
 * Built a second time with -DPN_CT_NEGATIVE_CONTROL=1, the verification uses an
 * early-exit compare instead; `make check-ct` requires Valgrind to flag that build, which
 * proves the check can see a secret-dependent branch. */
#include "ct_common.h"
#include "peernet/hash.h"

#if defined(PN_CT_NEGATIVE_CONTROL) && PN_CT_NEGATIVE_CONTROL
/* Deliberately leaky: stops at the first differing byte. */
static int leaky_equal(const void *a, const void *b, size_t len)
{
    const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
    size_t i;
    for (i = 0; i < len; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}
#define VERIFY_EQUAL leaky_equal
#else
#define VERIFY_EQUAL pn_ct_equal
#endif

static int verdict(int v)
{
    CT_PUBLIC(&v, sizeof v);
    return v;
}

static void check_ct_equal(void)
{
    uint8_t a[64], b[64];
    size_t len;
    for (len = 0; len <= sizeof a; len += 7) {
        memset(a, 0x5a, sizeof a);
        memset(b, 0x5a, sizeof b);
        CT_SECRET(a, sizeof a);
        CT_SECRET(b, sizeof b);
        CT_EXPECT(verdict(pn_ct_equal(a, b, len)) == 1);
        if (len > 0) {
            b[len - 1] ^= 0x80; /* differs in the last byte compared */
            CT_EXPECT(verdict(pn_ct_equal(a, b, len)) == 0);
            b[0] ^= 0x01; /* and in the first */
            CT_EXPECT(verdict(pn_ct_equal(a, b, len)) == 0);
        }
    }
}

static void check_hmac_verify(pn_hash_id id)
{
    uint8_t key[80], msg[200], tag[PN_HASH_MAX_LEN], got[PN_HASH_MAX_LEN];
    size_t tlen = pn_hash_len(id), klen;
    ct_rng r = {0x9e3779b97f4a7c15ull};
    for (klen = 16; klen <= sizeof key; klen += 64) { /* under and over a block */
        pn_hmac_ctx c;
        ct_rng_fill(&r, key, sizeof key);
        ct_rng_fill(&r, msg, sizeof msg);
        CT_SECRET(key, sizeof key);
        CT_SECRET(msg, sizeof msg);
        /* The sender's tag... */
        CT_EXPECT(pn_hmac(id, key, klen, msg, sizeof msg, tag) == 0);
        /* ...and the receiver's, streamed in two pieces, then the comparison. */
        CT_EXPECT(pn_hmac_init(&c, id, key, klen) == 0);
        pn_hmac_update(&c, msg, 77);
        pn_hmac_update(&c, msg + 77, sizeof msg - 77);
        pn_hmac_final(&c, got);
        CT_EXPECT(verdict(VERIFY_EQUAL(tag, got, tlen)) == 1);
        got[tlen / 2] ^= 1; /* a forged tag */
        CT_EXPECT(verdict(VERIFY_EQUAL(tag, got, tlen)) == 0);
    }
}

int main(void)
{
    check_ct_equal();
    check_hmac_verify(PN_HASH_MD5);
    check_hmac_verify(PN_HASH_SHA1);
    check_hmac_verify(PN_HASH_SHA256);
    printf("ct_compare: pn_ct_equal, HMAC-MD5/SHA-1/SHA-256 tag and verification%s\n",
#if defined(PN_CT_NEGATIVE_CONTROL) && PN_CT_NEGATIVE_CONTROL
           " (NEGATIVE CONTROL: leaky compare)"
#else
           ""
#endif
    );
    return 0;
}
