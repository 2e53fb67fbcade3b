/* `peernet bench x509`: certificate parsing, DER walking, signature verification and
 * building, on a self-signed RSA-1024 / SHA-256 certificate made at start-up (the
 * MS-PNRP key size).  Timed in CPU time like the other groups. */
#include <stdio.h>
#include <string.h>

#include "bench_openssl.h"
#include "cli.h"
#include "peernet/x509.h"

static int bench_rng(void *ctx, uint8_t *out, size_t len)
{
    uint64_t *s = ctx;
    size_t i;
    for (i = 0; i < len; i++) {
        *s ^= *s << 13;
        *s ^= *s >> 7;
        *s ^= *s << 17;
        out[i] = (uint8_t)(*s >> 32);
    }
    return PN_OK;
}

static pn_rsa_keybuf bench_key;
static uint8_t bench_cert[2048];

static int make_cert(uint64_t *seed, uint8_t *out, size_t cap)
{
    static const uint8_t serial[16] = {0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    uint8_t bc[8];
    pn_x509_ext_in ext;
    pn_x509_build_params p;
    int n = pn_x509_basic_constraints_value(1, -1, bc, sizeof bc);
    if (n < 0)
        return n;
    ext.oid = (const uint8_t *)PN_OID_BASIC_CONSTRAINTS;
    ext.oid_len = PN_OID_X509_EXT_LEN;
    ext.critical = 1;
    ext.value = bc;
    ext.value_len = (size_t)n;
    memset(&p, 0, sizeof p);
    p.serial = serial;
    p.serial_len = sizeof serial;
    p.hash = PN_HASH_SHA256;
    p.issuer_cn = p.subject_cn = "peernet bench";
    p.issuer_cn_len = p.subject_cn_len = 13;
    p.not_before = 1700000000;
    p.not_after = 2000000000;
    p.subject_key = &bench_key.pub;
    p.exts = &ext;
    p.n_exts = 1;
    return pn_x509_build(&p, &bench_key.priv, bench_rng, seed, out, cap, NULL);
}

void pn_bench_x509(void)
{
    uint64_t seed = 0x0123456789ABCDEFull;
    pn_x509 c;
    volatile int sink = 0;
    double t0, dt;
    long iters;
    int len;
    if (pn_rsa_generate(&bench_key, 1024, bench_rng, &seed) != PN_OK ||
        (len = make_cert(&seed, bench_cert, sizeof bench_cert)) < 0 ||
        pn_x509_parse(&c, bench_cert, (size_t)len) != PN_OK) {
        fprintf(stderr, "bench x509: cannot make the test certificate\n");
        return;
    }
#define PN_TIMED_(min_s, body)                                                                     \
    for (iters = 0, t0 = pn_bench_cpu_now();;) {                                                   \
        body;                                                                                      \
        iters++;                                                                                   \
        if ((iters & 15) == 0 && (dt = pn_bench_cpu_now() - t0) >= (min_s))                        \
            break;                                                                                 \
    }
    PN_TIMED_(0.5, sink += pn_x509_parse(&c, bench_cert, (size_t)len));
    pn_bench_report("x509_parse", (double)iters / dt, "certs/s", 0);
    PN_TIMED_(0.5, sink += pn_der_validate(bench_cert, (size_t)len, PN_DER_MAX_DEPTH));
    pn_bench_report("der_validate", (double)iters * len / dt / 1e6, "MB/s", 0);
    PN_TIMED_(0.5, sink += pn_x509_verify_signature(&c, &c.pub));
    pn_bench_report("x509_verify_rsa1024_sha256", (double)iters / dt, "certs/s",
                    pn_bench_openssl_speed_col("rsa1024", 0, NULL, 1));
    {
        static uint8_t out[2048];
        PN_TIMED_(0.5, sink += make_cert(&seed, out, sizeof out));
        pn_bench_report("x509_build_rsa1024_sha256", (double)iters / dt, "certs/s",
                        pn_bench_openssl_speed_col("rsa1024", 0, NULL, 0));
    }
#undef PN_TIMED_
    (void)sink;
}
