/* `peernet bench hash`: MD5, SHA-1, SHA-256 and HMAC-SHA-256 throughput on 16 KiB
 * messages, each next to `openssl speed` on the same machine in the same run.  The
 * SHA references run with SHA-NI disabled (PN_BENCH_OPENSSL_NO_SHANI) so they
 * measure OpenSSL's best general-purpose code, which is what portable C competes with. */
#include <stdio.h>

#include "bench_openssl.h"
#include "cli.h"
#include "peernet/hash.h"

#define BENCH_BYTES 16384

static uint8_t bench_msg[BENCH_BYTES];

/* MB/s over bench_msg, timed in CPU time (as openssl speed does) for at least half a
 * second. */
static double bench_rate(pn_hash_id id, int hmac)
{
    static const uint8_t key[32] = {1, 2, 3};
    uint8_t out[PN_HASH_MAX_LEN];
    volatile uint8_t sink = 0;
    double t0 = pn_bench_cpu_now(), dt;
    long iters = 0;
    do {
        int k;
        for (k = 0; k < 16; k++, iters++) {
            if (hmac)
                (void)pn_hmac(id, key, sizeof key, bench_msg, sizeof bench_msg, out);
            else
                (void)pn_hash(id, bench_msg, sizeof bench_msg, out);
            sink ^= out[0];
        }
        dt = pn_bench_cpu_now() - t0;
    } while (dt < 0.5);
    (void)sink;
    return (double)iters * BENCH_BYTES / dt / 1e6;
}

void pn_bench_hash(void)
{
    size_t i;
    for (i = 0; i < sizeof bench_msg; i++)
        bench_msg[i] = (uint8_t)(i * 131u + 7u);
    printf("# refs: openssl speed -bytes 16384 -seconds 1 ALG; SHA refs with %s (no SHA-NI);"
           " both timed in CPU time\n",
           PN_BENCH_OPENSSL_NO_SHANI);
    pn_bench_report("md5.16k", bench_rate(PN_HASH_MD5, 0), "MB/s",
                    pn_bench_openssl_speed("md5", BENCH_BYTES, NULL));
    pn_bench_report("sha1.16k", bench_rate(PN_HASH_SHA1, 0), "MB/s",
                    pn_bench_openssl_speed("sha1", BENCH_BYTES, PN_BENCH_OPENSSL_NO_SHANI));
    pn_bench_report("sha256.16k", bench_rate(PN_HASH_SHA256, 0), "MB/s",
                    pn_bench_openssl_speed("sha256", BENCH_BYTES, PN_BENCH_OPENSSL_NO_SHANI));
    pn_bench_report("hmac_sha256.16k", bench_rate(PN_HASH_SHA256, 1), "MB/s",
                    pn_bench_openssl_speed("-hmac sha256", BENCH_BYTES, PN_BENCH_OPENSSL_NO_SHANI));
}
