/* RSA (RFC 8017 PKCS#1 v1.5, FIPS 186-4 key generation) and the big-integer layer:
 * every Wycheproof case of the copied files, generated-key round trips, bad input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/bigint.h"
#include "peernet/err.h"
#include "peernet/hash.h"
#include "peernet/rsa.h"
#include "pn_test.h"

/* ---- deterministic randomness ------------------------------------------------------- */

typedef struct test_rng {
    uint64_t s;
    long calls;
    long fail_after; /* fail every call after this many (-1: never) */
} test_rng;

static void rng_seed(test_rng *r, uint64_t seed)
{
    r->s = seed * 0x9E3779B97F4A7C15ull + 1;
    r->calls = 0;
    r->fail_after = -1;
}

static int rng_fn(void *ctx, uint8_t *out, size_t len)
{
    test_rng *r = ctx;
    size_t i;
    if (r->fail_after >= 0 && r->calls >= r->fail_after)
        return PN_ERR_CRYPTO_ENTROPY;
    r->calls++;
    for (i = 0; i < len; i++) {
        r->s ^= r->s << 13;
        r->s ^= r->s >> 7;
        r->s ^= r->s << 17;
        out[i] = (uint8_t)(r->s >> 24);
    }
    return 0;
}

/* ---- a minimal JSON reader for the Wycheproof files ---------------------------------- */

enum { J_OBJ, J_ARR, J_STR, J_PRIM };

typedef struct jtok {
    int type;
    int start, end; /* text span; strings without quotes */
    int next;       /* index of the token after this one's subtree */
} jtok;

typedef struct jdoc {
    char *text;
    jtok *tok;
    int n;
} jdoc;

static int json_load(jdoc *d, const char *rel)
{
    long len;
    int cap = 1 << 16, depth = 0, stack[64], i;
    d->text = malloc(1 << 20);
    d->tok = malloc(sizeof(jtok) * (size_t)cap);
    d->n = 0;
    ck_assert_ptr_nonnull(d->text);
    len = pn_test_read_file(rel, (uint8_t *)d->text, (1 << 20) - 1);
    ck_assert_msg(len > 0, "cannot read %s", rel);
    d->text[len] = 0;
    for (i = 0; i < len; i++) {
        char c = d->text[i];
        jtok *t;
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ':' || c == ',')
            continue;
        if (c == '}' || c == ']') {
            ck_assert(depth > 0);
            d->tok[stack[--depth]].end = i + 1;
            d->tok[stack[depth]].next = d->n;
            continue;
        }
        if (d->n == cap) {
            cap *= 2;
            d->tok = realloc(d->tok, sizeof(jtok) * (size_t)cap);
            ck_assert_ptr_nonnull(d->tok);
        }
        t = &d->tok[d->n];
        t->start = i;
        if (c == '{' || c == '[') {
            t->type = c == '{' ? J_OBJ : J_ARR;
            ck_assert(depth < 64);
            stack[depth++] = d->n++;
            continue;
        }
        if (c == '"') {
            t->type = J_STR;
            t->start = ++i;
            while (d->text[i] != '"')
                i += d->text[i] == '\\' ? 2 : 1;
            t->end = i;
        } else {
            t->type = J_PRIM;
            while (i < len && strchr(" \n\r\t,}]", d->text[i]) == NULL)
                i++;
            t->end = i--;
        }
        t->next = ++d->n;
    }
    ck_assert_int_eq(depth, 0);
    return 0;
}

static void json_free(jdoc *d)
{
    free(d->text);
    free(d->tok);
}

static int json_eq(const jdoc *d, int t, const char *s)
{
    size_t n = strlen(s);
    return t >= 0 && (size_t)(d->tok[t].end - d->tok[t].start) == n &&
           memcmp(d->text + d->tok[t].start, s, n) == 0;
}

/* Value token of key in object t, or -1. */
static int json_get(const jdoc *d, int t, const char *key)
{
    int i = t + 1;
    while (i < d->tok[t].next) {
        int v = d->tok[i].next;
        if (json_eq(d, i, key))
            return v;
        i = d->tok[v].next;
    }
    return -1;
}

/* Elements of array t: first with json_first, then json_after. */
static int json_first(const jdoc *d, int t)
{
    return t + 1 < d->tok[t].next ? t + 1 : -1;
}

static int json_after(const jdoc *d, int arr, int el)
{
    int n = d->tok[el].next;
    return n < d->tok[arr].next ? n : -1;
}

static long json_hex(const jdoc *d, int t, uint8_t *out, size_t cap)
{
    char buf[8192];
    int n;
    ck_assert(t >= 0 && d->tok[t].type == J_STR);
    n = d->tok[t].end - d->tok[t].start;
    ck_assert(n < (int)sizeof buf);
    memcpy(buf, d->text + d->tok[t].start, (size_t)n);
    buf[n] = 0;
    return pn_test_hex(buf, out, cap);
}

static long json_int(const jdoc *d, int t)
{
    return strtol(d->text + d->tok[t].start, NULL, 10);
}

static int json_has_flag(const jdoc *d, int test, const char *flag)
{
    int fl = json_get(d, test, "flags"), e;
    if (fl < 0)
        return 0;
    for (e = json_first(d, fl); e >= 0; e = json_after(d, fl, e))
        if (json_eq(d, e, flag))
            return 1;
    return 0;
}

/* ---- shared material ------------------------------------------------------------------ */

/* DigestInfo prefixes for the hashes peernet does not implement (RFC 8017 9.2 note 1). */
static const uint8_t di_sha224[] = {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c};
static const uint8_t di_sha384[] = {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
static const uint8_t di_sha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
static const uint8_t di_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                  0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
static const uint8_t di_sha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

static pn_rsa_work work; /* shared scratch: the suite runs tests one at a time */

/* Digest of a sig_gen message: computed for SHA-1/SHA-256, looked up for the others
 * (conformance/vectors/rsa/sha2_digests.txt). */
static long sig_gen_digest(const char *file, long tc, const char *sha, const uint8_t *msg,
                           size_t msg_len, uint8_t *out)
{
    static char table[16384];
    char key[128];
    const char *p;
    long n;
    if (strcmp(sha, "SHA-1") == 0) {
        pn_sha1(msg, msg_len, out);
        return PN_SHA1_LEN;
    }
    if (strcmp(sha, "SHA-256") == 0) {
        pn_sha256(msg, msg_len, out);
        return PN_SHA256_LEN;
    }
    n = pn_test_read_file("vectors/rsa/sha2_digests.txt", (uint8_t *)table, sizeof table - 1);
    ck_assert(n > 0);
    table[n] = 0;
    snprintf(key, sizeof key, "\n%s %ld ", file, tc);
    p = strstr(table, key);
    ck_assert_msg(p != NULL, "no digest for %s", key + 1);
    {
        char hex[160];
        size_t i = 0;
        p += strlen(key);
        while (p[i] && p[i] != '\n' && i < sizeof hex - 1) {
            hex[i] = p[i];
            i++;
        }
        hex[i] = 0;
        return pn_test_hex(hex, out, 64);
    }
}

static void prefix_for(const char *sha, const uint8_t **prefix, size_t *plen)
{
    if (strcmp(sha, "SHA-1") == 0)
        *prefix = di_sha1, *plen = sizeof di_sha1;
    else if (strcmp(sha, "SHA-224") == 0)
        *prefix = di_sha224, *plen = sizeof di_sha224;
    else if (strcmp(sha, "SHA-256") == 0)
        *prefix = di_sha256, *plen = sizeof di_sha256;
    else if (strcmp(sha, "SHA-384") == 0)
        *prefix = di_sha384, *plen = sizeof di_sha384;
    else if (strcmp(sha, "SHA-512") == 0)
        *prefix = di_sha512, *plen = sizeof di_sha512;
    else
        ck_abort_msg("unknown hash %s", sha);
}

/* ---- Wycheproof: signature generation (every case signs identically and verifies) ---- */

static void run_sig_gen(const char *file, int expect_valid, int expect_acceptable)
{
    char rel[128];
    jdoc d;
    int groups, g, count = 0, valid = 0, acceptable = 0;
    static pn_rsa_keybuf kb;
    snprintf(rel, sizeof rel, "vectors/rsa/%s", file);
    json_load(&d, rel);
    groups = json_get(&d, 0, "testGroups");
    for (g = json_first(&d, groups); g >= 0; g = json_after(&d, groups, g)) {
        int key = json_get(&d, g, "privateKey"), tests, t;
        uint8_t n[600], e[8], dd[600];
        long nl, el, dl;
        char sha[16];
        int shat = json_get(&d, g, "sha");
        const uint8_t *prefix;
        size_t plen;
        snprintf(sha, sizeof sha, "%.*s", d.tok[shat].end - d.tok[shat].start,
                 d.text + d.tok[shat].start);
        prefix_for(sha, &prefix, &plen);
        nl = json_hex(&d, json_get(&d, key, "modulus"), n, sizeof n);
        el = json_hex(&d, json_get(&d, key, "publicExponent"), e, sizeof e);
        dl = json_hex(&d, json_get(&d, key, "privateExponent"), dd, sizeof dd);
        ck_assert(nl > 0 && el > 0 && dl > 0);
        ck_assert_int_eq(pn_rsa_from_ned(&kb, n, (size_t)nl, e, (size_t)el, dd, (size_t)dl), PN_OK);
        tests = json_get(&d, g, "tests");
        for (t = json_first(&d, tests); t >= 0; t = json_after(&d, tests, t)) {
            static uint8_t msg[4096], sig[600], out[600];
            uint8_t h[64];
            long tc = json_int(&d, json_get(&d, t, "tcId"));
            long ml = json_hex(&d, json_get(&d, t, "msg"), msg, sizeof msg);
            long sl = json_hex(&d, json_get(&d, t, "sig"), sig, sizeof sig);
            long hl = sig_gen_digest(file, tc, sha, msg, (size_t)ml, h);
            int rc;
            test_rng r;
            rng_seed(&r, (uint64_t)tc);
            /* Every case here is valid or acceptable only for a weak hash, a small
             * modulus or a small public exponent: all are accepted (decision RSA-3). */
            if (json_eq(&d, json_get(&d, t, "result"), "valid")) {
                valid++;
            } else {
                ck_assert(json_eq(&d, json_get(&d, t, "result"), "acceptable"));
                ck_assert(json_has_flag(&d, t, "SmallModulus") ||
                          json_has_flag(&d, t, "WeakHash") ||
                          json_has_flag(&d, t, "SmallPublicKey"));
                acceptable++;
            }
            rc = pn_rsa_pkcs1_sign_prefix(&kb.priv, prefix, plen, h, (size_t)hl, out, sizeof out,
                                          rng_fn, &r, &work, sizeof work);
            ck_assert_msg(rc == sl, "%s tc %ld: sign returned %d", file, tc, rc);
            ck_assert_msg(memcmp(out, sig, (size_t)sl) == 0, "%s tc %ld: signature differs", file,
                          tc);
            ck_assert_msg(pn_rsa_pkcs1_verify_prefix(&kb.pub, prefix, plen, h, (size_t)hl, sig,
                                                     (size_t)sl) == PN_OK,
                          "%s tc %ld: verify failed", file, tc);
            if (strcmp(sha, "SHA-256") == 0)
                ck_assert_int_eq(
                    pn_rsa_pkcs1_verify(&kb.pub, PN_HASH_SHA256, h, 32, sig, (size_t)sl), PN_OK);
            count++;
        }
    }
    ck_assert_int_eq(valid, expect_valid);
    ck_assert_int_eq(acceptable, expect_acceptable);
    ck_assert_int_eq(count, valid + acceptable);
    printf("wycheproof %s: %d cases (%d valid, 0 invalid, %d acceptable: signed identically "
           "and verified, decision RSA-3)\n",
           file, count, valid, acceptable);
    json_free(&d);
}

START_TEST(wycheproof_sig_gen_1024_signs_identically_and_verifies)
{
    PN_REQ("CRYPTO-RFC8017-01", "CRYPTO-RFC8017-03", "CRYPTO-RFC8017-09");
    run_sig_gen("rsa_pkcs1_1024_sig_gen_test.json", 0, 33);
}
END_TEST

START_TEST(wycheproof_sig_gen_2048_signs_identically_and_verifies)
{
    PN_REQ("CRYPTO-RFC8017-01", "CRYPTO-RFC8017-03", "CRYPTO-RFC8017-09");
    run_sig_gen("rsa_pkcs1_2048_sig_gen_test.json", 32, 11);
}
END_TEST

/* ---- Wycheproof: signature verification, all 259 cases ---------------------------------- */

START_TEST(wycheproof_sig_verify_2048_sha256_all_cases)
{
    jdoc d;
    int groups, g, valid = 0, invalid = 0, acceptable = 0;
    PN_REQ("CRYPTO-RFC8017-02", "CRYPTO-RFC8017-04", "CRYPTO-RFC8017-05");
    json_load(&d, "vectors/rsa/rsa_signature_2048_sha256_test.json");
    groups = json_get(&d, 0, "testGroups");
    for (g = json_first(&d, groups); g >= 0; g = json_after(&d, groups, g)) {
        int key = json_get(&d, g, "publicKey"), tests, t;
        uint8_t n[600], e[600];
        pn_rsa_public pub;
        long nl = json_hex(&d, json_get(&d, key, "modulus"), n, sizeof n);
        long el = json_hex(&d, json_get(&d, key, "publicExponent"), e, sizeof e);
        ck_assert(nl > 0 && el > 0);
        pub.n = n, pub.n_len = (size_t)nl, pub.e = e, pub.e_len = (size_t)el;
        tests = json_get(&d, g, "tests");
        for (t = json_first(&d, tests); t >= 0; t = json_after(&d, tests, t)) {
            static uint8_t msg[4096], sig[1024];
            uint8_t h[32];
            long tc = json_int(&d, json_get(&d, t, "tcId"));
            long ml = json_hex(&d, json_get(&d, t, "msg"), msg, sizeof msg);
            long sl = json_hex(&d, json_get(&d, t, "sig"), sig, sizeof sig);
            int res = json_get(&d, t, "result");
            int rc;
            ck_assert(ml >= 0 && sl >= 0);
            pn_sha256(msg, (size_t)ml, h);
            rc = pn_rsa_pkcs1_verify(&pub, PN_HASH_SHA256, h, 32, sig, (size_t)sl);
            if (json_eq(&d, res, "valid")) {
                ck_assert_msg(rc == PN_OK, "tc %ld: valid signature rejected (%d)", tc, rc);
                valid++;
            } else if (json_eq(&d, res, "invalid")) {
                ck_assert_msg(rc == PN_ERR_CRYPTO_SIGNATURE, "tc %ld: invalid accepted (%d)", tc,
                              rc);
                invalid++;
            } else {
                /* Decision RSA-2: DigestInfo without the NULL parameters is rejected. */
                ck_assert(json_has_flag(&d, t, "MissingNull"));
                ck_assert_msg(rc == PN_ERR_CRYPTO_SIGNATURE, "tc %ld: accepted", tc);
                acceptable++;
            }
        }
    }
    ck_assert_int_eq(valid, 9);
    ck_assert_int_eq(invalid, 249);
    ck_assert_int_eq(acceptable, 1);
    printf("wycheproof rsa_signature_2048_sha256_test.json: %d cases (%d valid, %d invalid, "
           "%d acceptable: MissingNull rejected, decision RSA-2)\n",
           valid + invalid + acceptable, valid, invalid, acceptable);
    json_free(&d);
}
END_TEST

/* ---- Wycheproof: PKCS#1 v1.5 decryption, all 67 cases --------------------------------- */

START_TEST(wycheproof_pkcs1_decrypt_2048_all_cases)
{
    jdoc d;
    int groups, g, valid = 0, invalid = 0;
    PN_REQ("CRYPTO-RFC8017-01", "CRYPTO-RFC8017-07", "CRYPTO-RFC8017-10");
    json_load(&d, "vectors/rsa/rsa_pkcs1_2048_test.json");
    groups = json_get(&d, 0, "testGroups");
    for (g = json_first(&d, groups); g >= 0; g = json_after(&d, groups, g)) {
        int key = json_get(&d, g, "privateKey"), tests, t;
        static uint8_t n[600], e[8], dd[600], p[300], q[300], dp[300], dq[300], qi[300];
        static pn_rsa_keybuf kb;
        pn_rsa_private priv;
        long nl = json_hex(&d, json_get(&d, key, "modulus"), n, sizeof n);
        long el = json_hex(&d, json_get(&d, key, "publicExponent"), e, sizeof e);
        long dl = json_hex(&d, json_get(&d, key, "privateExponent"), dd, sizeof dd);
        long pl = json_hex(&d, json_get(&d, key, "prime1"), p, sizeof p);
        long ql = json_hex(&d, json_get(&d, key, "prime2"), q, sizeof q);
        long dpl = json_hex(&d, json_get(&d, key, "exponent1"), dp, sizeof dp);
        long dql = json_hex(&d, json_get(&d, key, "exponent2"), dq, sizeof dq);
        long qil = json_hex(&d, json_get(&d, key, "coefficient"), qi, sizeof qi);
        ck_assert(nl > 0 && el > 0 && pl > 0 && ql > 0 && dpl > 0 && dql > 0 && qil > 0);
        priv.n_bits = 2048;
        priv.p = p, priv.p_len = (size_t)pl, priv.q = q, priv.q_len = (size_t)ql;
        priv.dp = dp, priv.dp_len = (size_t)dpl, priv.dq = dq, priv.dq_len = (size_t)dql;
        priv.qinv = qi, priv.qinv_len = (size_t)qil, priv.e = e, priv.e_len = (size_t)el;
        /* The n/e/d import finds the same key (its own order of p and q). */
        ck_assert_int_eq(pn_rsa_from_ned(&kb, n, (size_t)nl, e, (size_t)el, dd, (size_t)dl), PN_OK);
        ck_assert_uint_eq(kb.priv.n_bits, 2048);
        tests = json_get(&d, g, "tests");
        for (t = json_first(&d, tests); t >= 0; t = json_after(&d, tests, t)) {
            static uint8_t msg[600], ct[600], out[600];
            long tc = json_int(&d, json_get(&d, t, "tcId"));
            long ml = json_hex(&d, json_get(&d, t, "msg"), msg, sizeof msg);
            long cl = json_hex(&d, json_get(&d, t, "ct"), ct, sizeof ct);
            int res = json_get(&d, t, "result"), rc, rc2;
            test_rng r;
            rng_seed(&r, (uint64_t)tc);
            ck_assert(ml >= 0 && cl >= 0);
            rc = pn_rsa_pkcs1_decrypt_work(&priv, ct, (size_t)cl, out, sizeof out, rng_fn, &r,
                                           &work, sizeof work);
            rc2 = pn_rsa_pkcs1_decrypt_work(&kb.priv, ct, (size_t)cl, out + 300, 300, rng_fn, &r,
                                            &work, sizeof work);
            ck_assert_int_eq(rc, rc2);
            if (json_eq(&d, res, "valid")) {
                ck_assert_msg(rc == ml, "tc %ld: decrypt gave %d, want %ld", tc, rc, ml);
                ck_assert(memcmp(out, msg, (size_t)ml) == 0);
                ck_assert(memcmp(out + 300, msg, (size_t)ml) == 0);
                valid++;
            } else {
                ck_assert(json_eq(&d, res, "invalid"));
                ck_assert_msg(rc == PN_ERR_CRYPTO_PADDING || rc == PN_ERR_LENGTH ||
                                  rc == PN_ERR_RANGE,
                              "tc %ld: invalid ciphertext gave %d", tc, rc);
                invalid++;
            }
        }
    }
    ck_assert_int_eq(valid, 42);
    ck_assert_int_eq(invalid, 25);
    printf("wycheproof rsa_pkcs1_2048_test.json: %d cases (%d valid, %d invalid, 0 acceptable)\n",
           valid + invalid, valid, invalid);
    json_free(&d);
}
END_TEST

/* ---- Wycheproof: primality, all 317 cases --------------------------------------------- */

START_TEST(wycheproof_primality_all_cases)
{
    jdoc d;
    int groups, g, valid = 0, invalid = 0, acceptable = 0;
    test_rng r;
    PN_REQ("CRYPTO-FIPS186-03");
    rng_seed(&r, 186);
    json_load(&d, "vectors/rsa/primality_test.json");
    groups = json_get(&d, 0, "testGroups");
    for (g = json_first(&d, groups); g >= 0; g = json_after(&d, groups, g)) {
        int tests = json_get(&d, g, "tests"), t;
        for (t = json_first(&d, tests); t >= 0; t = json_after(&d, tests, t)) {
            static uint8_t v[600];
            long tc = json_int(&d, json_get(&d, t, "tcId"));
            long vl = json_hex(&d, json_get(&d, t, "value"), v, sizeof v);
            int res = json_get(&d, t, "result"), rc, negative;
            ck_assert(vl > 0);
            /* Wycheproof values are two's complement.  The API takes unsigned integers:
             * a negative value is never prime (decision RSA-4); its magnitude is still
             * tested below so the acceptable "negative of a prime" cases mean something. */
            negative = (v[0] & 0x80) != 0;
            if (negative) {
                long i;
                int carry = 1;
                for (i = vl - 1; i >= 0; i--) {
                    int x = (uint8_t)~v[i] + carry;
                    v[i] = (uint8_t)x;
                    carry = x >> 8;
                }
            }
            rc = pn_rsa_is_probable_prime(v, (size_t)vl, 40, rng_fn, &r);
            ck_assert_int_ge(rc, 0);
            if (json_eq(&d, res, "valid")) {
                ck_assert(!negative);
                ck_assert_msg(rc == 1, "tc %ld: prime rejected", tc);
                valid++;
            } else if (json_eq(&d, res, "invalid")) {
                ck_assert_msg(negative || rc == 0, "tc %ld: composite accepted", tc);
                if (negative)
                    ck_assert_msg(rc == 0, "tc %ld: |negative composite| accepted", tc);
                invalid++;
            } else {
                ck_assert(negative && json_has_flag(&d, t, "NegativeOfPrime"));
                ck_assert_msg(rc == 1, "tc %ld: magnitude of negative prime rejected", tc);
                acceptable++;
            }
        }
    }
    ck_assert_int_eq(valid, 66);
    ck_assert_int_eq(invalid, 243);
    ck_assert_int_eq(acceptable, 8);
    printf("wycheproof primality_test.json: %d cases (%d valid, %d invalid, %d acceptable: "
           "negative of a prime is not prime, decision RSA-4)\n",
           valid + invalid + acceptable, valid, invalid, acceptable);
    json_free(&d);
}
END_TEST

START_TEST(primality_small_values_and_carmichael_numbers)
{
    static const struct {
        uint32_t v;
        int prime;
    } cases[] = {{0, 0},          {1, 0},      {2, 1},           {3, 1},           {4, 0},
                 {9, 0},          {561, 0},    {1021, 1},        {1031, 1},        {1033, 1},
                 {1023, 0},       {1105, 0},   {65537, 1},       {1046527, 1},     {1048573, 1},
                 {1050623, 0},    {294409, 0}, {2147483647u, 1}, {3215031751u, 0}, {4294967291u, 1},
                 {4294967295u, 0}};
    size_t i;
    test_rng r;
    PN_REQ("CRYPTO-FIPS186-03");
    rng_seed(&r, 7);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t b[4] = {(uint8_t)(cases[i].v >> 24), (uint8_t)(cases[i].v >> 16),
                        (uint8_t)(cases[i].v >> 8), (uint8_t)cases[i].v};
        ck_assert_msg(pn_rsa_is_probable_prime(b, 4, 20, rng_fn, &r) == cases[i].prime, "%u",
                      (unsigned)cases[i].v);
    }
    /* 2^127 - 1 (Mersenne prime), and its product with 3. */
    {
        uint8_t m[16], m3[17];
        int carry = 0, k;
        memset(m, 0xff, sizeof m);
        m[0] = 0x7f;
        ck_assert_int_eq(pn_rsa_is_probable_prime(m, sizeof m, 20, rng_fn, &r), 1);
        for (k = 15; k >= 0; k--) {
            int x = m[k] * 3 + carry;
            m3[k + 1] = (uint8_t)x;
            carry = x >> 8;
        }
        m3[0] = (uint8_t)carry;
        ck_assert_int_eq(pn_rsa_is_probable_prime(m3, sizeof m3, 20, rng_fn, &r), 0);
        r.fail_after = 0;
        ck_assert_int_eq(pn_rsa_is_probable_prime(m, sizeof m, 20, rng_fn, &r),
                         PN_ERR_CRYPTO_ENTROPY);
        ck_assert_int_eq(pn_rsa_is_probable_prime(m, sizeof m, 20, NULL, NULL), PN_ERR_ARG);
        r.fail_after = -1;
    }
    {
        uint8_t big[PN_RSA_MAX_BYTES + 1];
        memset(big, 0xff, sizeof big);
        ck_assert_int_eq(pn_rsa_is_probable_prime(big, sizeof big, 1, rng_fn, &r), PN_ERR_RANGE);
    }
}
END_TEST

/* ---- generated keys ------------------------------------------------------------------- */

static void check_generated_key(const pn_rsa_keybuf *kb, unsigned bits)
{
    size_t half = bits / 16;
    const uint8_t *n = kb->pub.n;
    uint8_t diff[PN_RSA_MAX_BYTES / 2];
    size_t i;
    int borrow = 0, top = -1;
    ck_assert_uint_eq(kb->pub.n_len, bits / 8);
    ck_assert(n[0] & 0x80);
    ck_assert(n[kb->pub.n_len - 1] & 1);
    ck_assert_uint_eq(kb->priv.n_bits, bits);
    ck_assert_uint_eq(kb->priv.p_len, half);
    /* FIPS 186-4 B.3.3: top two bits of p and q set; p > q; |p - q| > 2^(nlen/2 - 100). */
    ck_assert_uint_eq(kb->p[0] & 0xc0, 0xc0);
    ck_assert_uint_eq(kb->q[0] & 0xc0, 0xc0);
    ck_assert_int_gt(memcmp(kb->p, kb->q, half), 0);
    for (i = half; i-- > 0;) {
        int x = kb->p[i] - kb->q[i] - borrow;
        diff[i] = (uint8_t)x;
        borrow = x < 0;
    }
    for (i = 0; i < half && top < 0; i++)
        if (diff[i])
            top = (int)((half - i) * 8);
    ck_assert_int_gt(top, (int)(bits / 2 - 100));
    /* e = 65537 */
    ck_assert_uint_eq(kb->e[1], 1);
    ck_assert_uint_eq(kb->e[2], 0);
    ck_assert_uint_eq(kb->e[3], 1);
    /* d > 2^(nlen/2) */
    for (i = 0; i < kb->d_len / 2 && kb->d[i] == 0; i++)
        ;
    ck_assert_uint_lt(i, kb->d_len / 2);
    /* p and q are probable primes by an independent run. */
    {
        test_rng r;
        rng_seed(&r, 99);
        ck_assert_int_eq(pn_rsa_is_probable_prime(kb->p, half, 8, rng_fn, &r), 1);
        ck_assert_int_eq(pn_rsa_is_probable_prime(kb->q, half, 8, rng_fn, &r), 1);
    }
}

static void round_trips(const pn_rsa_keybuf *kb, test_rng *r)
{
    static const pn_hash_id ids[] = {(pn_hash_id)0, PN_HASH_MD5, PN_HASH_SHA1, PN_HASH_SHA256};
    uint8_t h[32], sig[PN_RSA_MAX_BYTES], ct[PN_RSA_MAX_BYTES], pt[PN_RSA_MAX_BYTES];
    uint8_t msg[PN_RSA_MAX_BYTES];
    size_t k = kb->pub.n_len, i, lens[4];
    int j;
    for (i = 0; i < sizeof h; i++)
        h[i] = (uint8_t)(i * 7 + 3);
    for (j = 0; j < 4; j++) {
        size_t hl = ids[j] == 0 ? 20 : pn_hash_len(ids[j]);
        int rc = pn_rsa_pkcs1_sign_work(&kb->priv, ids[j], h, hl, sig, sizeof sig, rng_fn, r, &work,
                                        sizeof work);
        ck_assert_int_eq(rc, (int)k);
        ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, ids[j], h, hl, sig, k), PN_OK);
        /* Another hash id, another hash, or any flipped bit: rejected. */
        ck_assert_int_eq(
            pn_rsa_pkcs1_verify(&kb->pub, ids[(j + 1) % 4], h,
                                ids[(j + 1) % 4] == 0 ? 20 : pn_hash_len(ids[(j + 1) % 4]), sig, k),
            PN_ERR_CRYPTO_SIGNATURE);
        h[0] ^= 1;
        ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, ids[j], h, hl, sig, k),
                         PN_ERR_CRYPTO_SIGNATURE);
        h[0] ^= 1;
        for (i = 0; i < k; i += k / 7) {
            sig[i] ^= (uint8_t)(1u << (i % 8));
            ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, ids[j], h, hl, sig, k),
                             PN_ERR_CRYPTO_SIGNATURE);
            sig[i] ^= (uint8_t)(1u << (i % 8));
        }
        sig[k - 1] ^= 0x80;
        ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, ids[j], h, hl, sig, k),
                         PN_ERR_CRYPTO_SIGNATURE);
    }
    lens[0] = 0, lens[1] = 1, lens[2] = 48, lens[3] = k - 11;
    for (j = 0; j < 4; j++) {
        int rc;
        rng_fn(r, msg, lens[j]);
        rc = pn_rsa_pkcs1_encrypt(&kb->pub, msg, lens[j], ct, sizeof ct, rng_fn, r);
        ck_assert_int_eq(rc, (int)k);
        rc = pn_rsa_pkcs1_decrypt_work(&kb->priv, ct, k, pt, sizeof pt, rng_fn, r, &work,
                                       sizeof work);
        ck_assert_int_eq(rc, (int)lens[j]);
        ck_assert(memcmp(pt, msg, lens[j]) == 0);
        /* Ciphertext with a flipped bit: random padding garbage, rejected. */
        ct[k / 2] ^= 4;
        rc = pn_rsa_pkcs1_decrypt_work(&kb->priv, ct, k, pt, sizeof pt, rng_fn, r, &work,
                                       sizeof work);
        ck_assert(rc == PN_ERR_CRYPTO_PADDING || rc == PN_ERR_RANGE);
    }
    ck_assert_int_eq(pn_rsa_pkcs1_encrypt(&kb->pub, msg, k - 10, ct, sizeof ct, rng_fn, r),
                     PN_ERR_RANGE);
}

static void generate_and_check(unsigned bits, uint64_t seed)
{
    static pn_rsa_keybuf kb, kb2;
    test_rng r;
    rng_seed(&r, seed);
    ck_assert_int_eq(pn_rsa_generate_work(&kb, bits, rng_fn, &r, &work, sizeof work), PN_OK);
    check_generated_key(&kb, bits);
    round_trips(&kb, &r);
    /* Same seed, same key; and the n/e/d import recovers the CRT values exactly. */
    rng_seed(&r, seed);
    ck_assert_int_eq(pn_rsa_generate_work(&kb2, bits, rng_fn, &r, &work, sizeof work), PN_OK);
    ck_assert(memcmp(kb.n, kb2.n, bits / 8) == 0);
    ck_assert_int_eq(pn_rsa_from_ned(&kb2, kb.n, bits / 8, kb.e, 4, kb.d, kb.d_len), PN_OK);
    ck_assert(memcmp(kb.p, kb2.p, bits / 16) == 0);
    ck_assert(memcmp(kb.q, kb2.q, bits / 16) == 0);
    ck_assert(memcmp(kb.dp, kb2.dp, bits / 16) == 0);
    ck_assert(memcmp(kb.dq, kb2.dq, bits / 16) == 0);
    ck_assert(memcmp(kb.qinv, kb2.qinv, bits / 16) == 0);
}

START_TEST(generated_1024_keys_round_trip)
{
    PN_REQ("CRYPTO-FIPS186-01", "CRYPTO-FIPS186-02", "CRYPTO-FIPS186-04", "CRYPTO-FIPS186-05");
    PN_REQ("CRYPTO-RFC8017-03", "CRYPTO-RFC8017-05", "CRYPTO-RFC8017-06", "CRYPTO-RFC8017-07");
    generate_and_check(1024, 1);
    generate_and_check(1024, 2);
}
END_TEST

START_TEST(generated_2048_keys_round_trip)
{
    PN_REQ("CRYPTO-FIPS186-01", "CRYPTO-FIPS186-02", "CRYPTO-FIPS186-04", "CRYPTO-FIPS186-05");
    PN_REQ("CRYPTO-RFC8017-06", "CRYPTO-RFC8017-07");
    generate_and_check(2048, 3);
    generate_and_check(2048, 4);
}
END_TEST

START_TEST(generated_3072_keys_round_trip)
{
    PN_REQ("CRYPTO-FIPS186-01", "CRYPTO-FIPS186-02", "CRYPTO-FIPS186-04");
    generate_and_check(3072, 5);
    generate_and_check(3072, 6);
}
END_TEST

/* ---- bad input -------------------------------------------------------------------------- */

/* A fixed 1024-bit key for the error cases (generated once per test run). */
static const pn_rsa_keybuf *fixed_key(void)
{
    static pn_rsa_keybuf kb;
    static int done;
    if (!done) {
        test_rng r;
        rng_seed(&r, 42);
        ck_assert_int_eq(pn_rsa_generate_work(&kb, 1024, rng_fn, &r, &work, sizeof work), PN_OK);
        done = 1;
    }
    return &kb;
}

START_TEST(public_key_errors_are_specific)
{
    const pn_rsa_keybuf *kb = fixed_key();
    uint8_t n[PN_RSA_MAX_BYTES + 2], blk[PN_RSA_MAX_BYTES + 2], h[20] = {0};
    uint8_t e0[1] = {0}, e1[1] = {1}, e2[3] = {1, 0, 0}, e3[1] = {3};
    pn_rsa_public pub = kb->pub;
    PN_REQ("CRYPTO-RFC8017-08");
    memcpy(blk, kb->n, 128);
    blk[0] = 0;
    /* Oversized modulus. */
    memset(n, 0xff, sizeof n);
    pub.n = n, pub.n_len = PN_RSA_MAX_BYTES + 1;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_ERR_CRYPTO_KEYSIZE);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&pub, (pn_hash_id)0, h, 20, blk, 128),
                     PN_ERR_CRYPTO_KEYSIZE);
    /* Leading zero bytes do not count. */
    memset(n, 0, sizeof n);
    memcpy(n + sizeof n - 128, kb->n, 128);
    pub.n = n, pub.n_len = sizeof n;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_OK);
    /* Too small, even. */
    pub.n = kb->n, pub.n_len = 32;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 32), PN_ERR_CRYPTO_KEYSIZE);
    memcpy(n, kb->n, 128);
    n[127] ^= 1;
    pub.n = n, pub.n_len = 128;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_ERR_CRYPTO_KEY);
    /* Exponents 0 (also empty), 1, even; e >= n. */
    pub = kb->pub;
    pub.e = e0, pub.e_len = 1;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_ERR_CRYPTO_KEY);
    pub.e_len = 0;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_ERR_CRYPTO_KEY);
    pub.e = e1, pub.e_len = 1;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_ERR_CRYPTO_KEY);
    pub.e = e2, pub.e_len = 3;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_ERR_CRYPTO_KEY);
    pub.e = kb->n, pub.e_len = 128;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_ERR_CRYPTO_KEY);
    pub.e = e3, pub.e_len = 1;
    ck_assert_int_eq(pn_rsa_public_op(&pub, blk, 128), PN_OK);
    /* NULL key. */
    ck_assert_int_eq(pn_rsa_public_op(NULL, blk, 128), PN_ERR_ARG);
}
END_TEST

START_TEST(values_and_lengths_outside_the_modulus_are_rejected)
{
    const pn_rsa_keybuf *kb = fixed_key();
    uint8_t blk[PN_RSA_MAX_BYTES + 1], h[32] = {0};
    test_rng r;
    PN_REQ("CRYPTO-RFC8017-02", "CRYPTO-RFC8017-04", "CRYPTO-RFC8017-10");
    rng_seed(&r, 3);
    /* block == n and block > n */
    memcpy(blk, kb->n, 128);
    ck_assert_int_eq(pn_rsa_public_op(&kb->pub, blk, 128), PN_ERR_RANGE);
    ck_assert_int_eq(pn_rsa_private_op_work(&kb->priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_RANGE);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, PN_HASH_SHA256, h, 32, blk, 128),
                     PN_ERR_CRYPTO_SIGNATURE);
    memset(blk, 0xff, sizeof blk);
    ck_assert_int_eq(pn_rsa_public_op(&kb->pub, blk, 128), PN_ERR_RANGE);
    ck_assert_int_eq(
        pn_rsa_pkcs1_decrypt_work(&kb->priv, blk, 128, h, sizeof h, rng_fn, &r, &work, sizeof work),
        PN_ERR_RANGE);
    /* lengths other than k */
    memset(blk, 0, sizeof blk);
    blk[100] = 1;
    ck_assert_int_eq(pn_rsa_public_op(&kb->pub, blk, 127), PN_ERR_LENGTH);
    ck_assert_int_eq(pn_rsa_public_op(&kb->pub, blk, 129), PN_ERR_LENGTH);
    ck_assert_int_eq(pn_rsa_private_op_work(&kb->priv, blk, 129, rng_fn, &r, &work, sizeof work),
                     PN_ERR_LENGTH);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, PN_HASH_SHA256, h, 32, blk, 127),
                     PN_ERR_CRYPTO_SIGNATURE);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, PN_HASH_SHA256, h, 32, blk, 129),
                     PN_ERR_CRYPTO_SIGNATURE);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, PN_HASH_SHA256, h, 32, blk, 0),
                     PN_ERR_CRYPTO_SIGNATURE);
    ck_assert_int_eq(
        pn_rsa_pkcs1_decrypt_work(&kb->priv, blk, 127, h, sizeof h, rng_fn, &r, &work, sizeof work),
        PN_ERR_LENGTH);
    /* A good signature with a zero byte in front (k + 1 bytes) is still wrong. */
    {
        uint8_t sig[129];
        sig[0] = 0;
        ck_assert_int_eq(pn_rsa_pkcs1_sign_work(&kb->priv, PN_HASH_SHA256, h, 32, sig + 1, 128,
                                                rng_fn, &r, &work, sizeof work),
                         128);
        ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, PN_HASH_SHA256, h, 32, sig + 1, 128), PN_OK);
        ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, PN_HASH_SHA256, h, 32, sig, 129),
                         PN_ERR_CRYPTO_SIGNATURE);
    }
}
END_TEST

START_TEST(private_key_errors_and_fault_check)
{
    const pn_rsa_keybuf *kb = fixed_key();
    pn_rsa_private priv;
    uint8_t blk[128], dp[64], h[32] = {0}, sig[128];
    test_rng r;
    PN_REQ("CRYPTO-RFC8017-09");
    rng_seed(&r, 5);
    memset(blk, 0, sizeof blk);
    blk[127] = 2;
    /* A wrong dp gives a wrong CRT half: the check with e refuses to release it. */
    priv = kb->priv;
    memcpy(dp, kb->dp, 64);
    dp[63] ^= 2;
    priv.dp = dp;
    ck_assert_int_eq(pn_rsa_private_op_work(&priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_CRYPTO_KEY);
    ck_assert_int_eq(pn_rsa_pkcs1_sign_work(&priv, PN_HASH_SHA256, h, 32, sig, sizeof sig, rng_fn,
                                            &r, &work, sizeof work),
                     PN_ERR_CRYPTO_KEY);
    /* dp >= p, qinv >= p, even p, wrong n_bits, oversized n_bits, zero e. */
    priv = kb->priv;
    priv.dp = kb->p;
    ck_assert_int_eq(pn_rsa_private_op_work(&priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_CRYPTO_KEY);
    priv = kb->priv;
    priv.qinv = kb->p;
    ck_assert_int_eq(pn_rsa_private_op_work(&priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_CRYPTO_KEY);
    priv = kb->priv;
    priv.p_len = 63; /* drops the odd last byte */
    ck_assert_int_eq(pn_rsa_private_op_work(&priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_CRYPTO_KEY);
    priv = kb->priv;
    priv.n_bits = 1023;
    ck_assert_int_eq(pn_rsa_private_op_work(&priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_CRYPTO_KEY);
    priv.n_bits = PN_RSA_MAX_BITS + 8;
    ck_assert_int_eq(pn_rsa_private_op_work(&priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_CRYPTO_KEYSIZE);
    priv = kb->priv;
    priv.e_len = 0;
    ck_assert_int_eq(pn_rsa_private_op_work(&priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_CRYPTO_KEY);
    /* No rng (blinding is mandatory), failing rng, small work area. */
    ck_assert_int_eq(pn_rsa_private_op_work(&kb->priv, blk, 128, NULL, NULL, &work, sizeof work),
                     PN_ERR_ARG);
    r.fail_after = 0;
    ck_assert_int_eq(pn_rsa_private_op_work(&kb->priv, blk, 128, rng_fn, &r, &work, sizeof work),
                     PN_ERR_CRYPTO_ENTROPY);
    r.fail_after = -1;
    ck_assert_int_eq(pn_rsa_private_op_work(&kb->priv, blk, 128, rng_fn, &r, &work, 512),
                     PN_ERR_BUFSIZE);
    /* PN_RSA_WORK_BYTES(1024) is enough for a 1024-bit key, at any alignment. */
    ck_assert_int_eq(pn_rsa_private_op_work(&kb->priv, blk, 128, rng_fn, &r, work.bytes + 3,
                                            PN_RSA_WORK_BYTES(1024)),
                     PN_OK);
    /* The plain (stack work area) form gives the same result as the _work form. */
    {
        uint8_t a[128], b[128];
        memset(a, 0x5a, sizeof a);
        a[0] = 0;
        memcpy(b, a, sizeof b);
        ck_assert_int_eq(pn_rsa_private_op(&kb->priv, a, 128, rng_fn, &r), PN_OK);
        ck_assert_int_eq(pn_rsa_private_op_work(&kb->priv, b, 128, rng_fn, &r, &work, sizeof work),
                         PN_OK);
        ck_assert(memcmp(a, b, sizeof a) == 0);
        ck_assert_int_eq(pn_rsa_public_op(&kb->pub, a, 128), PN_OK);
        ck_assert_uint_eq(a[1], 0x5a);
    }
}
END_TEST

START_TEST(sign_and_generate_argument_errors)
{
    const pn_rsa_keybuf *kb = fixed_key();
    static pn_rsa_keybuf out;
    uint8_t h[200] = {0}, sig[128];
    test_rng r;
    PN_REQ("CRYPTO-RFC8017-03");
    rng_seed(&r, 6);
    ck_assert_int_eq(pn_rsa_pkcs1_sign(&kb->priv, PN_HASH_SHA256, h, 32, sig, 127, rng_fn, &r),
                     PN_ERR_BUFSIZE);
    ck_assert_int_eq(pn_rsa_pkcs1_sign(&kb->priv, PN_HASH_SHA256, h, 20, sig, 128, rng_fn, &r),
                     PN_ERR_ARG);
    ck_assert_int_eq(pn_rsa_pkcs1_sign(&kb->priv, (pn_hash_id)9, h, 20, sig, 128, rng_fn, &r),
                     PN_ERR_CRYPTO_ALGORITHM);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, (pn_hash_id)9, h, 20, sig, 128),
                     PN_ERR_CRYPTO_ALGORITHM);
    /* RFC 8017 9.2 step 3: T longer than k - 11 */
    ck_assert_int_eq(pn_rsa_pkcs1_sign(&kb->priv, (pn_hash_id)0, h, 118, sig, 128, rng_fn, &r),
                     PN_ERR_CRYPTO_KEYSIZE);
    ck_assert_int_eq(pn_rsa_pkcs1_sign(&kb->priv, (pn_hash_id)0, h, 117, sig, 128, rng_fn, &r),
                     128);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, (pn_hash_id)0, h, 117, sig, 128), PN_OK);
    ck_assert_int_eq(pn_rsa_pkcs1_verify(&kb->pub, (pn_hash_id)0, h, 118, sig, 128),
                     PN_ERR_CRYPTO_SIGNATURE);
    /* Key sizes for generation. */
    ck_assert_int_eq(pn_rsa_generate(&out, 512, rng_fn, &r), PN_ERR_CRYPTO_KEYSIZE);
    ck_assert_int_eq(pn_rsa_generate(&out, 1088 + 32, rng_fn, &r), PN_ERR_CRYPTO_KEYSIZE);
    ck_assert_int_eq(pn_rsa_generate(&out, PN_RSA_MAX_BITS + 64, rng_fn, &r),
                     PN_ERR_CRYPTO_KEYSIZE);
    ck_assert_int_eq(pn_rsa_generate(&out, 1024, NULL, NULL), PN_ERR_ARG);
    r.fail_after = 3;
    ck_assert_int_eq(pn_rsa_generate(&out, 1024, rng_fn, &r), PN_ERR_CRYPTO_ENTROPY);
    /* n/e/d that do not form a key. */
    {
        uint8_t d2[128];
        memcpy(d2, kb->d, 128);
        d2[127] ^= 4;
        ck_assert_int_eq(pn_rsa_from_ned(&out, kb->n, 128, kb->e, 4, d2, 128), PN_ERR_CRYPTO_KEY);
        ck_assert_int_eq(pn_rsa_from_ned(&out, kb->n, 128, kb->n, 128, d2, 128),
                         PN_ERR_UNSUPPORTED);
    }
}
END_TEST

START_TEST(decrypt_padding_checks)
{
    const pn_rsa_keybuf *kb = fixed_key();
    uint8_t em[128], ct[128], out[128];
    size_t i;
    int rc;
    test_rng r;
    PN_REQ("CRYPTO-RFC8017-07");
    rng_seed(&r, 8);
    /* Encrypt a crafted EM with the raw public operation, then decrypt. */
#define TRY(expect, cap)                                                                           \
    do {                                                                                           \
        memcpy(ct, em, 128);                                                                       \
        ck_assert_int_eq(pn_rsa_public_op(&kb->pub, ct, 128), PN_OK);                              \
        rc = pn_rsa_pkcs1_decrypt_work(&kb->priv, ct, 128, out, cap, rng_fn, &r, &work,            \
                                       sizeof work);                                               \
        ck_assert_int_eq(rc, expect);                                                              \
    } while (0)
    for (i = 0; i < 128; i++)
        em[i] = (uint8_t)(i | 1);
    em[0] = 0, em[1] = 2, em[10] = 0;
    TRY(117, sizeof out); /* PS of exactly 8 bytes */
    ck_assert(memcmp(out, em + 11, 117) == 0);
    TRY(PN_ERR_BUFSIZE, 116);
    em[10] = 0x55, em[9] = 0;
    TRY(PN_ERR_CRYPTO_PADDING, sizeof out); /* PS of 7 bytes */
    em[9] = 0x55, em[127] = 0;
    TRY(0, sizeof out); /* separator last: empty message */
    TRY(0, 0);
    em[127] = 0x55;
    TRY(PN_ERR_CRYPTO_PADDING, sizeof out); /* no separator at all */
    em[60] = 0;
    TRY(67, sizeof out);
    em[1] = 1;
    TRY(PN_ERR_CRYPTO_PADDING, sizeof out); /* block type 1 */
    em[1] = 2, em[0] = 1;
    TRY(PN_ERR_CRYPTO_PADDING, sizeof out); /* leading byte not zero */
#undef TRY
}
END_TEST

/* ---- big-integer internals --------------------------------------------------------------- */

START_TEST(bigint_inverse_exact_division_and_bytes)
{
    pn_limb m[8], x[8], r[8], tmp[PN_BN_INV_TMP(8)], g[8], t[17], prod[8];
    const size_t L = PN_BN_LIMBS(256);
    uint8_t b[32], back[32];
    pn_bn_mont mc;
    size_t i;
    /* m = 2^127 - 1 (prime), x = 12345: x * x^-1 = 1 mod m. */
    memset(b, 0, sizeof b);
    memset(b + 16, 0xff, 16);
    b[16] = 0x7f;
    ck_assert_int_eq(pn_bn_decode(m, L, b, 32), PN_OK);
    pn_bn_zero(x, L);
    x[0] = 12345;
    ck_assert_uint_eq(pn_bn_mod_inv(r, x, m, L, 127, tmp, g), 1);
    pn_bn_mont_init(&mc, m, L, t);
    {
        pn_limb r2[8], one[8];
        pn_bn_mont_r2(r2, one, &mc);
        pn_bn_mont_mul(prod, x, r, &mc);     /* x r / R */
        pn_bn_mont_mul(prod, prod, r2, &mc); /* x r */
        pn_bn_zero(one, L);
        one[0] = 1;
        ck_assert(pn_bn_eq(prod, one, L));
    }
    /* gcd(6 * 2^120, odd multiple of 3) = 3, not invertible */
    pn_bn_zero(x, L);
    x[0] = 6;
    pn_bn_zero(m, L);
    m[0] = 3 * 5 * 7;
    ck_assert_uint_eq(pn_bn_mod_inv(r, x, m, L, 7, tmp, g), 0);
    ck_assert_uint_eq(g[0], 3);
    /* exact division and small remainders */
    pn_bn_zero(x, L);
    x[0] = 65537u * 40000u;
    pn_bn_divexact_small(x, L, 65537);
    ck_assert_uint_eq(x[0], 40000);
    ck_assert_uint_eq(pn_bn_mod_small(m, L, 11), 105 % 11);
    /* bytes round trip, and values that do not fit */
    for (i = 0; i < 32; i++)
        b[i] = (uint8_t)(i * 9 + 1);
    ck_assert_int_eq(pn_bn_decode(x, L, b, 32), PN_OK);
    pn_bn_encode(back, 32, x, L);
    ck_assert(memcmp(b, back, 32) == 0);
    ck_assert_int_eq(pn_bn_decode(x, PN_BN_LIMBS(128), b, 32), PN_ERR_RANGE);
    memset(b, 0, 16);
    ck_assert_int_eq(pn_bn_decode(x, PN_BN_LIMBS(128), b, 32), PN_OK);
    ck_assert_uint_eq(pn_bn_bits(x, PN_BN_LIMBS(128)), 128);
}
END_TEST

/* The fast inverse (word-sized approximations) agrees with the one-bit-per-step one on
 * random inputs of many sizes, including moduli far below the limb capacity. */
START_TEST(bigint_fast_inverse_matches_simple)
{
    static pn_limb m[PN_BN_MAX_LIMBS], x[PN_BN_MAX_LIMBS], r1[PN_BN_MAX_LIMBS];
    static pn_limb r2[PN_BN_MAX_LIMBS], g1[PN_BN_MAX_LIMBS], g2[PN_BN_MAX_LIMBS];
    static pn_limb tmp[PN_BN_INV_TMP(PN_BN_MAX_LIMBS)];
    static const size_t sizes[] = {3, 64, 65, 127, 255, 512, 521, 1024, 1536, 2048};
    test_rng r;
    size_t si;
    int k;
    rng_seed(&r, 11);
    for (si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t bits = sizes[si], L = PN_BN_LIMBS(bits) + (si & 1), i;
        for (k = 0; k < 12; k++) {
            pn_limb ok1, ok2;
            rng_fn(&r, (uint8_t *)m, L * sizeof(pn_limb));
            rng_fn(&r, (uint8_t *)x, L * sizeof(pn_limb));
            for (i = 0; i < L; i++) {
                size_t lo = i * PN_LIMB_BITS;
                if (lo >= bits)
                    m[i] = x[i] = 0;
                else if (bits - lo < PN_LIMB_BITS)
                    m[i] &= ((pn_limb)1 << (bits - lo)) - 1,
                        x[i] &= ((pn_limb)1 << (bits - lo)) - 1;
            }
            m[(bits - 1) / PN_LIMB_BITS] |= (pn_limb)1 << ((bits - 1) % PN_LIMB_BITS);
            m[0] |= 1;
            if (k == 0)
                pn_bn_zero(x, L), x[0] = 1;
            if (k == 1)
                pn_bn_copy(x, m, L), x[0] ^= 1; /* m - 1 */
            if (k == 2)
                x[0] = 3, m[0] = (m[0] / 3) * 3 + 3 * ((m[0] / 3) % 2 == 0); /* maybe shared 3 */
            if (!pn_bn_lt(x, m, L))
                pn_bn_sub(x, x, m, L);
            if (!pn_bn_lt(x, m, L))
                continue;
            ok1 = pn_bn_mod_inv(r1, x, m, L, bits, tmp, g1);
            ok2 = pn_bn_mod_inv_simple(r2, x, m, L, bits, tmp, g2);
            ck_assert_msg(ok1 == ok2, "bits %zu case %d", bits, k);
            ck_assert_msg(pn_bn_eq(g1, g2, L), "gcd, bits %zu case %d", bits, k);
            if (ok1)
                ck_assert_msg(pn_bn_eq(r1, r2, L), "inverse, bits %zu case %d", bits, k);
        }
    }
}
END_TEST

PN_SUITE(rsa)
{
    Suite *s = suite_create("rsa");
    TCase *tc = tcase_create("wycheproof");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, wycheproof_sig_gen_1024_signs_identically_and_verifies);
    tcase_add_test(tc, wycheproof_sig_gen_2048_signs_identically_and_verifies);
    tcase_add_test(tc, wycheproof_sig_verify_2048_sha256_all_cases);
    tcase_add_test(tc, wycheproof_pkcs1_decrypt_2048_all_cases);
    tcase_add_test(tc, wycheproof_primality_all_cases);
    suite_add_tcase(s, tc);
    tc = tcase_create("keys");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, generated_1024_keys_round_trip);
    tcase_add_test(tc, generated_2048_keys_round_trip);
    tcase_add_test(tc, generated_3072_keys_round_trip);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, public_key_errors_are_specific);
    tcase_add_test(tc, values_and_lengths_outside_the_modulus_are_rejected);
    tcase_add_test(tc, private_key_errors_and_fault_check);
    tcase_add_test(tc, sign_and_generate_argument_errors);
    tcase_add_test(tc, decrypt_padding_checks);
    tcase_add_test(tc, primality_small_values_and_carmichael_numbers);
    tcase_add_test(tc, bigint_inverse_exact_division_and_bytes);
    tcase_add_test(tc, bigint_fast_inverse_matches_simple);
    suite_add_tcase(s, tc);
    return s;
}
