/* `peernet bench aes`: AES-256-CBC throughput on 16 KiB messages, with the figure of
 * `openssl speed -evp aes-256-cbc -bytes 16384` as the reference when openssl exists.
 * OpenSSL uses AES-NI where the CPU has it, so the ratio mostly measures that gap. */
#include <string.h>

#include "bench_openssl.h"
#include "cli.h"
#include "peernet/aes.h"

static double aes_cbc_mbps(const pn_aes *c, int decrypt)
{
    static uint8_t buf[16384];
    uint8_t iv[PN_AES_BLOCK];
    double t0, dt;
    long iters = 0;
    memset(buf, 0x5A, sizeof buf);
    memset(iv, 0, sizeof iv);
    t0 = pn_bench_now();
    do {
        int k;
        for (k = 0; k < 8; k++, iters++) {
            if (decrypt)
                pn_aes_cbc_decrypt(c, iv, buf, buf, sizeof buf);
            else
                pn_aes_cbc_encrypt(c, iv, buf, buf, sizeof buf);
        }
        dt = pn_bench_now() - t0;
    } while (dt < 0.5);
    return (double)iters * (double)sizeof buf / dt / 1e6;
}

void pn_bench_aes(void)
{
    static const uint8_t key[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
    pn_aes c;
    double enc, dec;
    pn_aes_init(&c, key, sizeof key);
    enc = aes_cbc_mbps(&c, 0);
    dec = aes_cbc_mbps(&c, 1);
    pn_aes_wipe(&c);
    pn_bench_report("aes256_cbc_enc.16k", enc, "MB/s",
                    pn_bench_openssl_speed("-evp aes-256-cbc", 16384, NULL));
    pn_bench_report("aes256_cbc_dec.16k", dec, "MB/s",
                    pn_bench_openssl_speed("-decrypt -evp aes-256-cbc", 16384, NULL));
}
