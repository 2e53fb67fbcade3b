/* `peernet bench rsa`: PKCS#1 v1.5 SHA-256 signing (CRT, blinded, fault-checked) and
 * verification (e = 65537) with 1024- and 2048-bit keys, each next to `openssl speed`
 * in the same run.  The keys are generated once from a fixed seed, so every run times
 * the same keys. */
#include <stdio.h>

#include "bench_openssl.h"
#include "cli.h"
#include "peernet/rsa.h"

/* xorshift64: deterministic bytes for key generation and blinding (benchmark only). */
static int bench_rng(void *ctx, uint8_t *out, size_t len)
{
    uint64_t *s = ctx;
    size_t i;
    for (i = 0; i < len; i++) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        out[i] = (uint8_t)(*s >> 24);
    }
    return 0;
}

static pn_rsa_work bench_work;

/* Operations per second in CPU time over at least a second. */
static double bench_ops(const pn_rsa_keybuf *kb, int sign, uint64_t *seed)
{
    uint8_t hash[32], sig[PN_RSA_MAX_BYTES];
    double t0, dt;
    long ops = 0;
    size_t i;
    for (i = 0; i < sizeof hash; i++)
        hash[i] = (uint8_t)(i * 29 + 1);
    if (pn_rsa_pkcs1_sign_work(&kb->priv, PN_HASH_SHA256, hash, sizeof hash, sig, sizeof sig,
                               bench_rng, seed, &bench_work, sizeof bench_work) < 0)
        return -1;
    t0 = pn_bench_cpu_now();
    do {
        int k;
        for (k = 0; k < 8; k++, ops++) {
            int rc;
            if (sign)
                rc = pn_rsa_pkcs1_sign_work(&kb->priv, PN_HASH_SHA256, hash, sizeof hash, sig,
                                            sizeof sig, bench_rng, seed, &bench_work,
                                            sizeof bench_work);
            else
                rc = pn_rsa_pkcs1_verify(&kb->pub, PN_HASH_SHA256, hash, sizeof hash, sig,
                                         kb->pub.n_len);
            if (rc < 0)
                return -1;
        }
        dt = pn_bench_cpu_now() - t0;
    } while (dt < 1.0);
    return (double)ops / dt;
}

void pn_bench_rsa(void)
{
    static pn_rsa_keybuf kb;
    static const unsigned sizes[] = {1024, 2048};
    size_t i;
    printf("# refs: openssl speed -seconds 1 rsaBITS (sign/s, verify/s), both in CPU time;"
           " keys from a fixed seed, SHA-256 DigestInfo\n");
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint64_t seed = 0x5eed0000u + sizes[i];
        char name[32], alg[16];
        if (pn_rsa_generate_work(&kb, sizes[i], bench_rng, &seed, &bench_work, sizeof bench_work) <
            0) {
            printf("# rsa%u: key generation failed\n", sizes[i]);
            continue;
        }
        snprintf(alg, sizeof alg, "rsa%u", sizes[i]);
        snprintf(name, sizeof name, "rsa%u.sign", sizes[i]);
        pn_bench_report(name, bench_ops(&kb, 1, &seed), "ops/s",
                        pn_bench_openssl_speed_col(alg, 0, NULL, 0));
        snprintf(name, sizeof name, "rsa%u.verify", sizes[i]);
        pn_bench_report(name, bench_ops(&kb, 0, &seed), "ops/s",
                        pn_bench_openssl_speed_col(alg, 0, NULL, 1));
    }
}
